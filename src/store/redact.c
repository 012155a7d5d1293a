/*
 * redact.c - no credential of a store URL or connection string is ever shown or kept: not in messages,
 * not in reports, not echoed back inside libpq's own error messages.
 *
 * What counts as a credential is a superset of what libpq reads as one, so that a malformed string
 * (a password with an unencoded '@' or '/', which libpq would then take for a host or a path) leaks
 * nothing either:
 *
 * - a URI (postgresql:// or postgres://, any case): the password of the user info, i.e. everything
 *   from the first ':' after "//" to the last '@' of the URI (libpq ends the user info at the first '@'
 *   before a '/'); and the value of every query parameter whose percent-decoded key is `password` or
 *   `sslpassword` (any case), up to the next '&'. The user name stays visible.
 * - anything else is read as a keyword=value connection string with libpq's rules (whitespace between
 *   pairs, optional whitespace around '=', a value either bare with backslash escapes or in single
 *   quotes with backslash escapes): the values of `password` and `sslpassword`. A sensitive keyword
 *   that the string does not follow with '=' hides everything after it. A plain path has no pair and
 *   comes back unchanged.
 *
 * Each credential becomes "***". Spans are collected, sorted and merged, so overlapping rules never
 * show a piece of one.
 */
#include <ctype.h>
#include <stdlib.h>

#include "store.h"

#define MAX_SPANS 64
#define MASK "***"

typedef struct {
	size_t start, end; /* [start, end) of the original string */
} span;

typedef struct {
	span s[MAX_SPANS];
	size_t n;
	bool overflow; /* more credentials than spans: hide everything after the scheme */
} spans;

static void add(spans *sp, size_t start, size_t end)
{
	if (end <= start)
		return;
	if (sp->n == MAX_SPANS) {
		sp->overflow = true;
		return;
	}
	sp->s[sp->n].start = start;
	sp->s[sp->n].end = end;
	sp->n++;
}

static bool prefix_ci(const char *s, const char *p)
{
	for (; *p; s++, p++)
		if (tolower((unsigned char)*s) != *p)
			return false;
	return true;
}

static size_t uri_prefix(const char *url)
{
	if (prefix_ci(url, "postgresql://"))
		return 13;
	if (prefix_ci(url, "postgres://"))
		return 11;
	return 0;
}

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode s[0..n) into out (n + 1 bytes); an invalid escape stays as written. */
static size_t decode(char *out, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '%' && i + 2 < n && (h = hex((unsigned char)s[i + 1])) >= 0 &&
		    (l = hex((unsigned char)s[i + 2])) >= 0) {
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return o;
}

static bool sensitive(const char *key, size_t n)
{
	static const char *const keys[] = {"password", "sslpassword"};
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		size_t kl = strlen(keys[k]);
		if (n != kl)
			continue;
		size_t i = 0;
		while (i < n && tolower((unsigned char)key[i]) == keys[k][i])
			i++;
		if (i == n)
			return true;
	}
	return false;
}

static void uri_spans(const char *url, size_t pre, spans *sp)
{
	size_t len = strlen(url);
	/* the user info's password: first ':' after "//" .. last '@' */
	const char *at = strrchr(url + pre, '@');
	if (at) {
		const char *colon = memchr(url + pre, ':', (size_t)(at - (url + pre)));
		if (colon)
			add(sp, (size_t)(colon + 1 - url), (size_t)(at - url));
	}
	/* query parameters: after the first '?', split at '&' */
	const char *q = strchr(url + pre, '?');
	if (!q)
		return;
	for (size_t i = (size_t)(q + 1 - url); i <= len;) {
		size_t end = i;
		while (end < len && url[end] != '&')
			end++;
		const char *eq = memchr(url + i, '=', end - i);
		if (eq) {
			size_t kn = (size_t)(eq - (url + i));
			/* an encoded key of 64 bytes or more decodes to 22 or more: not a sensitive one */
			char key[64];
			if (kn < sizeof(key) && sensitive(key, decode(key, url + i, kn)))
				add(sp, (size_t)(eq + 1 - url), end);
		}
		i = end + 1;
	}
}

static bool space(char c) { return isspace((unsigned char)c) != 0; }

/* libpq's conninfo_parse, reduced to finding where values are. */
static void conninfo_spans(const char *s, spans *sp)
{
	size_t n = strlen(s), i = 0;
	while (i < n) {
		while (i < n && space(s[i]))
			i++;
		if (i == n)
			break;
		size_t k = i;
		while (i < n && s[i] != '=' && !space(s[i]))
			i++;
		size_t kend = i;
		while (i < n && space(s[i]))
			i++;
		bool secret = sensitive(s + k, kend - k);
		if (i == n || s[i] != '=') {
			/* not a connection string (a path), or a broken one: after a sensitive keyword, hide the rest */
			if (secret)
				add(sp, kend, n);
			return;
		}
		i++;
		while (i < n && space(s[i]))
			i++;
		size_t v = i;
		if (i < n && s[i] == '\'') {
			for (i++; i < n && s[i] != '\''; i++)
				if (s[i] == '\\' && i + 1 < n)
					i++;
			if (i < n)
				i++; /* the closing quote; unterminated: the value runs to the end */
		} else {
			for (; i < n && !space(s[i]); i++)
				if (s[i] == '\\' && i + 1 < n)
					i++;
		}
		if (secret)
			add(sp, v, i == v ? n : i);
	}
}

static int by_start(const void *a, const void *b)
{
	const span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void find(const char *url, spans *sp)
{
	memset(sp, 0, sizeof(*sp));
	size_t pre = uri_prefix(url);
	if (pre)
		uri_spans(url, pre, sp);
	else
		conninfo_spans(url, sp);
	if (sp->overflow) {
		sp->n = 0;
		sp->s[sp->n].start = pre;
		sp->s[sp->n++].end = strlen(url);
		return;
	}
	qsort(sp->s, sp->n, sizeof(span), by_start);
	size_t m = 0;
	for (size_t i = 0; i < sp->n; i++) {
		if (m && sp->s[i].start <= sp->s[m - 1].end) {
			if (sp->s[i].end > sp->s[m - 1].end)
				sp->s[m - 1].end = sp->s[i].end;
		} else {
			sp->s[m++] = sp->s[i];
		}
	}
	sp->n = m;
}

size_t tm_store_redact(char *out, size_t len, const char *url)
{
	spans sp;
	find(url, &sp);
	size_t o = 0, at = 0, n = strlen(url);
#define PUT(p, k)                                                                                                      \
	do {                                                                                                           \
		for (size_t j_ = 0; j_ < (k); j_++, o++)                                                               \
			if (o + 1 < len)                                                                               \
				out[o] = (p)[j_];                                                                      \
	} while (0)
	for (size_t i = 0; i < sp.n; i++) {
		PUT(url + at, sp.s[i].start - at);
		PUT(MASK, sizeof(MASK) - 1);
		at = sp.s[i].end;
	}
	PUT(url + at, n - at);
#undef PUT
	if (len)
		out[o < len ? o : len - 1] = '\0';
	return o;
}

/* Replace every occurrence of secret (NUL-terminated, n bytes) in msg (capacity cap) with MASK. */
static void scrub_one(char *msg, size_t cap, const char *secret, size_t n, char *tmp)
{
	if (!n)
		return;
	size_t o = 0;
	const char *p = msg;
	for (;;) {
		const char *hit = strstr(p, secret);
		size_t k = hit ? (size_t)(hit - p) : strlen(p);
		for (size_t j = 0; j < k && o + 1 < cap; j++)
			tmp[o++] = p[j];
		if (!hit)
			break;
		for (size_t j = 0; j < sizeof(MASK) - 1 && o + 1 < cap; j++)
			tmp[o++] = MASK[j];
		p = hit + n;
	}
	tmp[o] = '\0';
	memcpy(msg, tmp, o + 1);
}

/* Each credential as written, percent-decoded (URI) or unquoted and unescaped (keyword=value), and each
 * of its pieces between URI delimiters (libpq may have read a piece as a host, a port or a path). */
static void scrub_span(char *msg, size_t cap, const char *raw, size_t n, bool uri, char *buf, char *tmp)
{
	memcpy(buf, raw, n);
	buf[n] = '\0';
	scrub_one(msg, cap, buf, n, tmp);
	size_t dn;
	if (uri) {
		dn = decode(buf, raw, n);
	} else {
		size_t i = 0, e = n;
		if (n && raw[0] == '\'') {
			i = 1;
			if (e > 1 && raw[e - 1] == '\'')
				e--;
		}
		dn = 0;
		for (; i < e; i++) {
			if (raw[i] == '\\' && i + 1 < e)
				i++;
			buf[dn++] = raw[i];
		}
		buf[dn] = '\0';
	}
	scrub_one(msg, cap, buf, dn, tmp);
	/* the pieces, of the decoded form (the raw one's pieces are the same or longer) */
	char *whole = buf + dn + 1;
	memcpy(whole, buf, dn + 1);
	for (char *piece = whole; *piece;) {
		size_t k = strcspn(piece, "@/:?&,=#");
		if (k && k < dn) {
			char keep = piece[k];
			piece[k] = '\0';
			scrub_one(msg, cap, piece, k, tmp);
			piece[k] = keep;
		}
		piece += k;
		if (*piece)
			piece++;
	}
}

int tm_store__scrub(char *msg, size_t cap, const char *url)
{
	spans sp;
	find(url, &sp);
	if (!sp.n || !cap)
		return 0;
	size_t n = strlen(url);
	char *buf = tm_malloc(2 * n + 2), *tmp = tm_malloc(cap);
	if (!buf || !tmp) {
		/* cannot check the message: withhold it */
		snprintf(msg, cap, "(message withheld: it may hold a credential)");
		tm_free(buf);
		tm_free(tmp);
		return TM_ENOMEM;
	}
	bool uri = uri_prefix(url) != 0;
	for (size_t i = 0; i < sp.n; i++)
		scrub_span(msg, cap, url + sp.s[i].start, sp.s[i].end - sp.s[i].start, uri, buf, tmp);
	tm_free(buf);
	tm_free(tmp);
	return 0;
}

void tm_store__scrub_value(char *msg, size_t cap, const char *secret)
{
	size_t n = strlen(secret);
	char *tmp = cap ? tm_malloc(cap) : NULL;
	if (!tmp) {
		if (cap && n && strstr(msg, secret))
			snprintf(msg, cap, "(message withheld: it may hold a credential)");
		return;
	}
	scrub_one(msg, cap, secret, n, tmp);
	tm_free(tmp);
}
