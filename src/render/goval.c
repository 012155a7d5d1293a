/*
 * goval.c - Go's values as Helm templates see them: construction, truth, comparison, printing
 * (fmt), and the YAML/JSON writers and readers.
 *
 * Invariants: strings are NUL-terminated arena copies; a dict's keys stay sorted bytewise (Go
 * sorts map keys when it prints, ranges over or marshals a map); numbers read from YAML or JSON
 * are float64, as sigs.k8s.io/yaml's YAML -> JSON -> interface{} makes them in Helm. Printing and
 * marshalling are bounded in depth (a dict may hold itself through set).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/gotmpl.h"

#define MAX_PRINT_DEPTH 64

tm_gv tm_gv_str(tm_arena *a, const char *s, size_t n)
{
	tm_gv v = tm_gv_nil();
	char *p = tm_arena_strndup(a, s ? s : "", s ? n : 0);
	if (!p)
		return v;
	v.k = TM_GV_STR;
	v.u.s.p = p;
	v.u.s.n = s ? n : 0;
	return v;
}

tm_gv tm_gv_strz(tm_arena *a, const char *s)
{
	return tm_gv_str(a, s, s ? strlen(s) : 0);
}

tm_gv tm_gv_str_take(const char *s, size_t n)
{
	tm_gv v = tm_gv_nil();
	v.k = TM_GV_STR;
	v.u.s.p = s;
	v.u.s.n = n;
	return v;
}

tm_gv tm_gv_list_new(tm_arena *a, size_t cap)
{
	tm_gv v = tm_gv_nil();
	tm_gv_list *l = tm_arena_alloc(a, sizeof(*l));
	if (!l)
		return v;
	if (cap && !(l->it = tm_arena_alloc(a, cap * sizeof(tm_gv))))
		return v;
	l->cap = cap;
	v.k = TM_GV_LIST;
	v.u.l = l;
	return v;
}

int tm_gv_list_push(tm_arena *a, tm_gv list, tm_gv item)
{
	tm_gv_list *l = list.u.l;
	if (list.k != TM_GV_LIST || !l)
		return TM_EINVALID;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		tm_gv *it = tm_arena_alloc(a, cap * sizeof(tm_gv));
		if (!it)
			return TM_ENOMEM;
		if (l->n)
			memcpy(it, l->it, l->n * sizeof(tm_gv));
		l->it = it;
		l->cap = cap;
	}
	l->it[l->n++] = item;
	return 0;
}

tm_gv tm_gv_dict_new(tm_arena *a)
{
	tm_gv v = tm_gv_nil();
	tm_gv_dict *d = tm_arena_alloc(a, sizeof(*d));
	if (!d)
		return v;
	v.k = TM_GV_DICT;
	v.u.d = d;
	return v;
}

static int keycmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

/* Position of key, or where it would go (*found false). */
static size_t dict_find(const tm_gv_dict *d, const char *key, size_t klen, bool *found)
{
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = keycmp(d->key[mid], d->klen[mid], key, klen);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

tm_gv *tm_gv_dict_get(const tm_gv_dict *d, const char *key, size_t klen)
{
	bool found;
	if (!d)
		return NULL;
	size_t i = dict_find(d, key, klen, &found);
	return found ? &d->val[i] : NULL;
}

int tm_gv_dict_set(tm_arena *a, tm_gv_dict *d, const char *key, size_t klen, tm_gv val)
{
	bool found;
	size_t i = dict_find(d, key, klen, &found);
	if (found) {
		d->val[i] = val;
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		const char **k = tm_arena_alloc(a, cap * sizeof(*k));
		size_t *kl = tm_arena_alloc(a, cap * sizeof(*kl));
		tm_gv *v = tm_arena_alloc(a, cap * sizeof(*v));
		if (!k || !kl || !v)
			return TM_ENOMEM;
		if (d->n) {
			memcpy(k, d->key, d->n * sizeof(*k));
			memcpy(kl, d->klen, d->n * sizeof(*kl));
			memcpy(v, d->val, d->n * sizeof(*v));
		}
		d->key = k;
		d->klen = kl;
		d->val = v;
		d->cap = cap;
	}
	char *kc = tm_arena_strndup(a, key, klen);
	if (!kc)
		return TM_ENOMEM;
	memmove(d->key + i + 1, d->key + i, (d->n - i) * sizeof(*d->key));
	memmove(d->klen + i + 1, d->klen + i, (d->n - i) * sizeof(*d->klen));
	memmove(d->val + i + 1, d->val + i, (d->n - i) * sizeof(*d->val));
	d->key[i] = kc;
	d->klen[i] = klen;
	d->val[i] = val;
	d->n++;
	return 0;
}

bool tm_gv_dict_del(tm_gv_dict *d, const char *key, size_t klen)
{
	bool found;
	size_t i = dict_find(d, key, klen, &found);
	if (!found)
		return false;
	memmove(d->key + i, d->key + i + 1, (d->n - i - 1) * sizeof(*d->key));
	memmove(d->klen + i, d->klen + i + 1, (d->n - i - 1) * sizeof(*d->klen));
	memmove(d->val + i, d->val + i + 1, (d->n - i - 1) * sizeof(*d->val));
	d->n--;
	return true;
}

tm_gv tm_gv_deep_copy(tm_arena *a, tm_gv v, int depth)
{
	if (depth > MAX_PRINT_DEPTH)
		return tm_gv_nil();
	if (v.k == TM_GV_LIST) {
		tm_gv c = tm_gv_list_new(a, v.u.l->n);
		for (size_t i = 0; c.k && i < v.u.l->n; i++)
			tm_gv_list_push(a, c, tm_gv_deep_copy(a, v.u.l->it[i], depth + 1));
		return c;
	}
	if (v.k == TM_GV_DICT) {
		tm_gv c = tm_gv_dict_new(a);
		for (size_t i = 0; c.k && i < v.u.d->n; i++)
			tm_gv_dict_set(a, c.u.d, v.u.d->key[i], v.u.d->klen[i],
				       tm_gv_deep_copy(a, v.u.d->val[i], depth + 1));
		return c;
	}
	return v;
}

bool tm_gv_truth(tm_gv v)
{
	switch (v.k) {
	case TM_GV_NIL: return false;
	case TM_GV_BOOL: return v.u.b;
	case TM_GV_INT: return v.u.i != 0;
	case TM_GV_FLOAT: return v.u.f != 0;
	case TM_GV_STR: return v.u.s.n != 0;
	case TM_GV_LIST: return v.u.l->n != 0;
	case TM_GV_DICT: return v.u.d->n != 0;
	default: return true;
	}
}

bool tm_gv_empty(tm_gv v)
{
	return !tm_gv_truth(v);
}

const char *tm_gv_type_name(tm_gv v)
{
	switch (v.k) {
	case TM_GV_NIL: return "<nil>";
	case TM_GV_BOOL: return "bool";
	case TM_GV_INT: return v.sub ? "int64" : "int";
	case TM_GV_FLOAT: return "float64";
	case TM_GV_STR: return "string";
	case TM_GV_LIST: return "[]interface {}";
	case TM_GV_DICT: return "map[string]interface {}";
	default: return v.u.o->type_name;
	}
}

const char *tm_gv_kind_name(tm_gv v)
{
	switch (v.k) {
	case TM_GV_NIL: return "invalid";
	case TM_GV_LIST: return "slice";
	case TM_GV_DICT: return "map";
	case TM_GV_OBJ: return "ptr";
	default: return tm_gv_type_name(v);
	}
}

/* ---- numbers ---- */

/* Shortest decimal digits of f > 0 that read back as f: digs (no dot), *nd digits, decimal
 * point after *dp digits. */
static void shortest(double f, char *digs, int *nd, int *dp)
{
	char buf[64];
	for (int p = 1; p <= 17; p++) {
		tm_formatf(buf, sizeof(buf), "%.*e", p - 1, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	int n = 0;
	char *e = strchr(buf, 'e');
	for (char *c = buf; c < e; c++)
		if (isdigit((unsigned char)*c))
			digs[n++] = *c;
	while (n > 1 && digs[n - 1] == '0')
		n--;
	digs[n] = '\0';
	*nd = n;
	*dp = (int)strtol(e + 1, NULL, 10) + 1;
}

static void put_exp(tm_strbuf *sb, const char *digs, int nd, int dp, char e)
{
	tm_strbuf_putc(sb, digs[0]);
	if (nd > 1) {
		tm_strbuf_putc(sb, '.');
		tm_strbuf_put(sb, digs + 1, (size_t)nd - 1);
	}
	int x = dp - 1;
	tm_strbuf_printf(sb, "%c%c%02d", e, x < 0 ? '-' : '+', x < 0 ? -x : x);
}

static void put_fixed(tm_strbuf *sb, const char *digs, int nd, int dp)
{
	if (dp <= 0) {
		tm_strbuf_puts(sb, "0");
		if (nd > 0) {
			tm_strbuf_putc(sb, '.');
			for (int i = 0; i < -dp; i++)
				tm_strbuf_putc(sb, '0');
			tm_strbuf_put(sb, digs, (size_t)nd);
		}
		return;
	}
	for (int i = 0; i < dp; i++)
		tm_strbuf_putc(sb, i < nd ? digs[i] : '0');
	if (nd > dp) {
		tm_strbuf_putc(sb, '.');
		tm_strbuf_put(sb, digs + dp, (size_t)(nd - dp));
	}
}

void tm_gv_format_float(tm_strbuf *sb, double f, char verb, int prec)
{
	if (isnan(f)) {
		tm_strbuf_puts(sb, "NaN");
		return;
	}
	if (isinf(f)) {
		tm_strbuf_puts(sb, f < 0 ? "-Inf" : "+Inf");
		return;
	}
	if (prec >= 0) {
		char fmt[8] = {'%', '.', '*', verb, 0};
		tm_strbuf_printf(sb, fmt, prec > 100 ? 100 : prec, f);
		return;
	}
	if (signbit(f)) {
		tm_strbuf_putc(sb, '-');
		f = -f;
	}
	if (f == 0) {
		tm_strbuf_puts(sb, verb == 'e' ? "0e+00" : "0");
		return;
	}
	char digs[40];
	int nd, dp;
	shortest(f, digs, &nd, &dp);
	int x = dp - 1;
	if (verb == 'e')
		put_exp(sb, digs, nd, dp, 'e');
	else if (verb == 'j') { /* encoding/json: 'e' below 1e-6 and from 1e21, exponent unpadded */
		if (f < 1e-6 || f >= 1e21) {
			tm_strbuf_putc(sb, digs[0]);
			if (nd > 1) {
				tm_strbuf_putc(sb, '.');
				tm_strbuf_put(sb, digs + 1, (size_t)nd - 1);
			}
			tm_strbuf_printf(sb, "e%c%d", x < 0 ? '-' : '+', x < 0 ? -x : x);
		} else
			put_fixed(sb, digs, nd, dp);
	} else if (verb == 'f')
		put_fixed(sb, digs, nd, dp);
	else if (x < -4 || x >= 6) /* %v and %g: strconv's shortest 'g' decides with precision 6 */
		put_exp(sb, digs, nd, dp, 'e');
	else
		put_fixed(sb, digs, nd, dp);
}

/* ---- printing ---- */

static void print_depth(tm_strbuf *sb, tm_gv v, int depth)
{
	if (depth > MAX_PRINT_DEPTH) {
		tm_strbuf_puts(sb, "...");
		return;
	}
	switch (v.k) {
	case TM_GV_NIL: tm_strbuf_puts(sb, "<nil>"); break;
	case TM_GV_BOOL: tm_strbuf_puts(sb, v.u.b ? "true" : "false"); break;
	case TM_GV_INT: tm_strbuf_printf(sb, "%lld", (long long)v.u.i); break;
	case TM_GV_FLOAT: tm_gv_format_float(sb, v.u.f, 'g', -1); break;
	case TM_GV_STR: tm_strbuf_put(sb, v.u.s.p, v.u.s.n); break;
	case TM_GV_LIST:
		tm_strbuf_putc(sb, '[');
		for (size_t i = 0; i < v.u.l->n; i++) {
			if (i)
				tm_strbuf_putc(sb, ' ');
			print_depth(sb, v.u.l->it[i], depth + 1);
		}
		tm_strbuf_putc(sb, ']');
		break;
	case TM_GV_DICT:
		tm_strbuf_puts(sb, "map[");
		for (size_t i = 0; i < v.u.d->n; i++) {
			if (i)
				tm_strbuf_putc(sb, ' ');
			tm_strbuf_put(sb, v.u.d->key[i], v.u.d->klen[i]);
			tm_strbuf_putc(sb, ':');
			print_depth(sb, v.u.d->val[i], depth + 1);
		}
		tm_strbuf_putc(sb, ']');
		break;
	default:
		if (v.u.o->str)
			tm_strbuf_puts(sb, v.u.o->str);
		else
			tm_strbuf_printf(sb, "&{%s}", v.u.o->type_name);
		break;
	}
}

void tm_gv_print(tm_strbuf *sb, tm_gv v)
{
	print_depth(sb, v, 0);
}

tm_gv tm_gv_to_string(tm_arena *a, tm_gv v)
{
	if (v.k == TM_GV_STR)
		return v;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_gv_print(&sb, v);
	tm_gv r = tm_gv_str(a, sb.data ? sb.data : "", sb.len);
	tm_strbuf_dispose(&sb);
	return r;
}

/* Decode one UTF-8 rune at s (n > 0 bytes): its length (1 with *r = -1 when invalid). */
static size_t rune_at(const unsigned char *s, size_t n, int32_t *r)
{
	size_t len = tm_utf8_check(s, n < 4 ? n : 4);
	unsigned c = s[0];
	size_t want = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (c >= 0x80 && (c < 0xC2 || c > 0xF4 || len < want)) {
		*r = -1;
		return 1;
	}
	if (want == 1)
		*r = (int32_t)c;
	else if (want == 2)
		*r = (int32_t)(((c & 0x1F) << 6) | (s[1] & 0x3F));
	else if (want == 3)
		*r = (int32_t)(((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F));
	else
		*r = (int32_t)(((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F));
	return want;
}

void tm_gv_quote(tm_strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	tm_strbuf_putc(sb, '"');
	for (size_t i = 0; i < n;) {
		int32_t r;
		size_t l = rune_at(p + i, n - i, &r);
		if (r < 0) {
			tm_strbuf_printf(sb, "\\x%02x", p[i]);
		} else if (r == '"' || r == '\\') {
			tm_strbuf_putc(sb, '\\');
			tm_strbuf_putc(sb, (char)r);
		} else if (r >= 0x20 && r < 0x7F) {
			tm_strbuf_putc(sb, (char)r);
		} else if (r < 0x20 || r == 0x7F) {
			const char *e = r == '\a' ? "\\a" : r == '\b' ? "\\b" : r == '\f' ? "\\f" : r == '\n' ? "\\n"
				: r == '\r' ? "\\r" : r == '\t' ? "\\t" : r == '\v' ? "\\v" : NULL;
			if (e)
				tm_strbuf_puts(sb, e);
			else
				tm_strbuf_printf(sb, "\\x%02x", (unsigned)r);
		} else if (r <= 0xA0 || r == 0xAD || r == 0x1680 || (r >= 0x2000 && r <= 0x200F) ||
			   (r >= 0x2028 && r <= 0x202F) || (r >= 0x205F && r <= 0x2064) || r == 0x3000 ||
			   r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB)) {
			tm_strbuf_printf(sb, "\\u%04x", (unsigned)r);
		} else {
			tm_strbuf_put(sb, s + i, l);
		}
		i += l;
	}
	tm_strbuf_putc(sb, '"');
}

/* ---- fmt.Sprintf ---- */

typedef struct {
	bool minus, plus, sharp, zero, space;
	int width, prec; /* -1: none */
} fmtspec;

/* fmt's padding of a number: zeros go after the sign. */
static void pad_num(tm_strbuf *sb, const fmtspec *fs, const char *s, size_t n)
{
	/* width counts runes */
	size_t runes = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			runes++;
	size_t w = fs->width > 0 ? (size_t)fs->width : 0;
	size_t fill = w > runes ? w - runes : 0;
	if (!fs->minus) {
		bool zero = fs->zero && n && (isdigit((unsigned char)s[n - 1]) || s[0] == '-' || s[0] == '+');
		if (zero && n && (s[0] == '-' || s[0] == '+')) {
			tm_strbuf_putc(sb, s[0]);
			s++, n--;
		}
		for (size_t i = 0; i < fill; i++)
			tm_strbuf_putc(sb, zero ? '0' : ' ');
		tm_strbuf_put(sb, s, n);
	} else {
		tm_strbuf_put(sb, s, n);
		for (size_t i = 0; i < fill; i++)
			tm_strbuf_putc(sb, ' ');
	}
}

/* fmt's padding of anything else: the 0 flag pads with zeros on the left too (Go 1.19). */
static void pad(tm_strbuf *sb, const fmtspec *fs, const char *s, size_t n)
{
	size_t runes = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			runes++;
	size_t w = fs->width > 0 ? (size_t)fs->width : 0;
	size_t fill = w > runes ? w - runes : 0;
	if (!fs->minus)
		for (size_t i = 0; i < fill; i++)
			tm_strbuf_putc(sb, fs->zero ? '0' : ' ');
	tm_strbuf_put(sb, s, n);
	if (fs->minus)
		for (size_t i = 0; i < fill; i++)
			tm_strbuf_putc(sb, ' ');
}

static void fmt_one(tm_strbuf *sb, const fmtspec *fs, char verb, tm_gv v);

/* fmt's badVerb: "%!f(int=   -1)", the value printed with %v under the same flags. */
static void bad_verb(tm_strbuf *sb, const fmtspec *fs, char verb, tm_gv v)
{
	tm_strbuf_printf(sb, "%%!%c(", verb);
	if (v.k == TM_GV_NIL) {
		tm_strbuf_puts(sb, "<nil>)");
		return;
	}
	tm_strbuf_puts(sb, tm_gv_type_name(v));
	tm_strbuf_putc(sb, '=');
	fmt_one(sb, fs, 'v', v);
	tm_strbuf_putc(sb, ')');
}

static void fmt_int(tm_strbuf *sb, const fmtspec *fs, char verb, int64_t i)
{
	char buf[80];
	uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
	int base = verb == 'x' || verb == 'X' ? 16 : verb == 'o' || verb == 'O' ? 8 : verb == 'b' ? 2 : 10;
	const char *dg = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[70];
	int n = 0;
	do {
		tmp[n++] = dg[u % (uint64_t)base];
		u /= (uint64_t)base;
	} while (u);
	while (fs->prec >= 0 && n < fs->prec && n < 64)
		tmp[n++] = '0';
	int o = 0;
	if (i < 0)
		buf[o++] = '-';
	else if (fs->plus)
		buf[o++] = '+';
	else if (fs->space)
		buf[o++] = ' ';
	if (fs->sharp && base == 16) {
		buf[o++] = '0';
		buf[o++] = verb;
	} else if ((fs->sharp && base == 8) || verb == 'O') {
		buf[o++] = '0';
		if (verb == 'O')
			buf[o++] = 'o';
	}
	while (n)
		buf[o++] = tmp[--n];
	pad_num(sb, fs, buf, (size_t)o);
}

static void fmt_str(tm_strbuf *sb, const fmtspec *fs, char verb, const char *s, size_t n)
{
	tm_strbuf t = TM_STRBUF_INIT;
	if (fs->prec >= 0) { /* precision truncates runes */
		size_t i = 0;
		int r = 0;
		while (i < n && r < fs->prec) {
			i++;
			while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
				i++;
			r++;
		}
		n = i;
	}
	if (verb == 'q')
		tm_gv_quote(&t, s, n);
	else if (verb == 'x' || verb == 'X') {
		for (size_t i = 0; i < n; i++)
			tm_strbuf_printf(&t, verb == 'x' ? "%02x" : "%02X", (unsigned char)s[i]);
	} else
		tm_strbuf_put(&t, s, n);
	pad(sb, fs, t.data ? t.data : "", t.len);
	tm_strbuf_dispose(&t);
}

static void fmt_one(tm_strbuf *sb, const fmtspec *fs, char verb, tm_gv v)
{
	tm_strbuf t = TM_STRBUF_INIT;
	switch (v.k) {
	case TM_GV_BOOL:
		if (verb == 'v' || verb == 't')
			pad(sb, fs, v.u.b ? "true" : "false", v.u.b ? 4 : 5);
		else
			bad_verb(sb, fs, verb, v);
		break;
	case TM_GV_INT:
		if (strchr("vdxXobO", verb))
			fmt_int(sb, fs, verb == 'v' ? 'd' : verb, v.u.i);
		else if (verb == 'c' || verb == 'q' || verb == 'U') {
			if (verb == 'U')
				tm_strbuf_printf(&t, "U+%04llX", (long long)v.u.i);
			else {
				char c[5] = {0};
				int32_t r = (int32_t)v.u.i;
				if (r < 0x80)
					c[0] = (char)r;
				else if (r < 0x800)
					c[0] = (char)(0xC0 | (r >> 6)), c[1] = (char)(0x80 | (r & 0x3F));
				else if (r < 0x10000)
					c[0] = (char)(0xE0 | (r >> 12)), c[1] = (char)(0x80 | ((r >> 6) & 0x3F)),
					c[2] = (char)(0x80 | (r & 0x3F));
				else
					c[0] = (char)(0xF0 | (r >> 18)), c[1] = (char)(0x80 | ((r >> 12) & 0x3F)),
					c[2] = (char)(0x80 | ((r >> 6) & 0x3F)), c[3] = (char)(0x80 | (r & 0x3F));
				if (verb == 'q') { /* strconv.QuoteRune */
					tm_strbuf q = TM_STRBUF_INIT;
					tm_gv_quote(&q, c, r == 0 ? 1 : strlen(c));
					tm_strbuf_putc(&t, '\'');
					if (r == '"')
						tm_strbuf_putc(&t, '"');
					else if (r == '\'')
						tm_strbuf_puts(&t, "\\'");
					else if (q.len >= 2)
						tm_strbuf_put(&t, q.data + 1, q.len - 2);
					tm_strbuf_putc(&t, '\'');
					tm_strbuf_dispose(&q);
				} else
					tm_strbuf_puts(&t, c);
			}
			pad(sb, fs, t.data ? t.data : "", t.len);
		} else
			bad_verb(sb, fs, verb, v);
		break;
	case TM_GV_FLOAT:
		if (verb == 'x' || verb == 'X') { /* hexadecimal mantissa, exponent of two digits at least */
			char buf[64];
			tm_formatf(buf, sizeof(buf), verb == 'x' ? "%a" : "%A", v.u.f);
			char *p = strpbrk(buf, "pP");
			if (p && (p[1] == '+' || p[1] == '-') && p[2] && !p[3]) {
				p[4] = '\0';
				p[3] = p[2];
				p[2] = '0';
			}
			pad_num(sb, fs, buf, strlen(buf));
		} else if (strchr("veEfFgG", verb)) {
			char vb = verb == 'v' ? 'g' : (char)tolower(verb);
			int prec = fs->prec >= 0 ? fs->prec : (vb == 'g') ? -1 : 6;
			if (fs->plus && v.u.f >= 0)
				tm_strbuf_putc(&t, '+');
			else if (fs->space && v.u.f >= 0)
				tm_strbuf_putc(&t, ' ');
			tm_gv_format_float(&t, v.u.f, vb, prec);
			pad_num(sb, fs, t.data ? t.data : "", t.len);
		} else
			bad_verb(sb, fs, verb, v);
		break;
	case TM_GV_STR:
		if (strchr("vsqxX", verb))
			fmt_str(sb, fs, verb, v.u.s.p, v.u.s.n);
		else
			bad_verb(sb, fs, verb, v);
		break;
	case TM_GV_NIL:
		if (verb == 'v' || verb == 's')
			pad(sb, fs, verb == 'v' ? "<nil>" : "%!s(<nil>)", verb == 'v' ? 5 : 10);
		else
			bad_verb(sb, fs, verb, v);
		break;
	default: /* lists and maps: the verb applies to each element; a nil element is <nil> */
		if (v.k == TM_GV_LIST) {
			tm_strbuf_putc(sb, '[');
			for (size_t i = 0; i < v.u.l->n; i++) {
				if (i)
					tm_strbuf_putc(sb, ' ');
				if (v.u.l->it[i].k == TM_GV_NIL)
					pad(sb, fs, "<nil>", 5);
				else
					fmt_one(sb, fs, verb, v.u.l->it[i]);
			}
			tm_strbuf_putc(sb, ']');
		} else if (v.k == TM_GV_DICT) {
			tm_strbuf_puts(sb, "map[");
			for (size_t i = 0; i < v.u.d->n; i++) {
				if (i)
					tm_strbuf_putc(sb, ' ');
				fmt_one(sb, fs, verb, tm_gv_str_take(v.u.d->key[i], v.u.d->klen[i]));
				tm_strbuf_putc(sb, ':');
				if (v.u.d->val[i].k == TM_GV_NIL)
					pad(sb, fs, "<nil>", 5);
				else
					fmt_one(sb, fs, verb, v.u.d->val[i]);
			}
			tm_strbuf_putc(sb, ']');
		} else {
			tm_gv_print(&t, v);
			pad(sb, fs, t.data ? t.data : "", t.len);
		}
		break;
	}
	tm_strbuf_dispose(&t);
}

void tm_gv_sprintf(tm_strbuf *sb, const char *f, size_t n, const tm_gv *args, size_t nargs)
{
	size_t ai = 0;
	for (size_t i = 0; i < n;) {
		if (f[i] != '%') {
			size_t j = i;
			while (j < n && f[j] != '%')
				j++;
			tm_strbuf_put(sb, f + i, j - i);
			i = j;
			continue;
		}
		i++;
		fmtspec fs = {false, false, false, false, false, -1, -1};
		for (; i < n; i++) {
			char c = f[i];
			if (c == '-')
				fs.minus = true;
			else if (c == '+')
				fs.plus = true;
			else if (c == '#')
				fs.sharp = true;
			else if (c == '0')
				fs.zero = true;
			else if (c == ' ')
				fs.space = true;
			else
				break;
		}
		if (i < n && f[i] == '*') {
			i++;
			if (ai < nargs && args[ai].k == TM_GV_INT) {
				int64_t w = args[ai++].u.i;
				fs.width = w < 0 ? (int)(w < -1000 ? 1000 : -w) : (int)(w > 1000 ? 1000 : w);
				if (w < 0)
					fs.minus = true;
			} else {
				tm_strbuf_puts(sb, "%!(BADWIDTH)");
				if (ai < nargs)
					ai++;
			}
		} else
			while (i < n && isdigit((unsigned char)f[i])) {
				fs.width = (fs.width < 0 ? 0 : fs.width) * 10 + (f[i++] - '0');
				if (fs.width > 100000)
					fs.width = 100000;
			}
		if (i < n && f[i] == '.') {
			i++;
			fs.prec = 0;
			if (i < n && f[i] == '*') {
				i++;
				if (ai < nargs && args[ai].k == TM_GV_INT) {
					int64_t p = args[ai++].u.i;
					fs.prec = p < 0 ? -1 : (int)(p > 1000 ? 1000 : p);
				} else {
					tm_strbuf_puts(sb, "%!(BADPREC)");
					if (ai < nargs)
						ai++;
				}
			} else
				while (i < n && isdigit((unsigned char)f[i])) {
					fs.prec = fs.prec * 10 + (f[i++] - '0');
					if (fs.prec > 100000)
						fs.prec = 100000;
				}
		}
		if (i >= n) {
			tm_strbuf_puts(sb, "%!(NOVERB)");
			break;
		}
		char verb = f[i++];
		if (verb == '%') {
			tm_strbuf_putc(sb, '%');
			continue;
		}
		if (ai >= nargs) {
			tm_strbuf_printf(sb, "%%!%c(MISSING)", verb);
			continue;
		}
		if (verb == 'T') {
			const char *tn = tm_gv_type_name(args[ai++]);
			pad(sb, &fs, tn, strlen(tn));
			continue;
		}
		fmt_one(sb, &fs, verb, args[ai++]);
	}
	if (ai < nargs) {
		tm_strbuf_puts(sb, "%!(EXTRA ");
		for (size_t k = ai; k < nargs; k++) {
			if (k > ai)
				tm_strbuf_puts(sb, ", ");
			if (args[k].k == TM_GV_NIL) { /* fmt: "<nil>" alone */
				tm_strbuf_puts(sb, "<nil>");
				continue;
			}
			tm_strbuf_puts(sb, tm_gv_type_name(args[k]));
			tm_strbuf_putc(sb, '=');
			tm_gv_print(sb, args[k]);
		}
		tm_strbuf_putc(sb, ')');
	}
}

/* ---- YAML (Helm's toYaml) ---- */

static void indent_to(tm_strbuf *sb, int ind)
{
	for (int i = 0; i < ind; i++)
		tm_strbuf_putc(sb, ' ');
}

/*
 * Strings as yaml.v2 (inside sigs.k8s.io/yaml) writes them, so text toYaml puts inside another
 * string (a config file in a ConfigMap) is byte-identical to Helm's:
 *  - a string that would read back as something else (null, bool incl. YAML 1.1's yes/no/on/off/
 *    y/n, int, float, timestamp, base-60 float, "<<") is double-quoted;
 *  - one with a line break is a literal block, unless the emitter's analysis forbids blocks;
 *  - otherwise plain, else single-quoted, else double-quoted, as the analysis allows;
 *  - plain and quoted scalars fold at spaces past column 80 (yaml.v2's best_width).
 */
static bool y_digits(const char *s, size_t n, int base)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int d = isdigit(c) ? c - '0' : isxdigit(c) ? 10 + (tolower(c) - 'a') : 99;
		if (d >= base)
			return false;
	}
	return true;
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool y_float(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	size_t d0 = i;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	bool lead = i > d0;
	if (i < n && s[i] == '.') {
		i++;
		size_t f0 = i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (!lead && i == f0)
			return false;
	} else if (!lead)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t e0 = i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == e0)
			return false;
	}
	return i == n;
}

/* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
static bool y_base60(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i >= n || !isdigit((unsigned char)s[i]))
		return false;
	while (i < n && (isdigit((unsigned char)s[i]) || s[i] == '_'))
		i++;
	int groups = 0;
	while (i < n && s[i] == ':') {
		i++;
		size_t g0 = i;
		while (i < n && isdigit((unsigned char)s[i]) && i - g0 < 2)
			i++;
		if (i == g0 || (i - g0 == 2 && s[g0] > '5'))
			return false;
		groups++;
	}
	if (!groups)
		return false;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && (isdigit((unsigned char)s[i]) || s[i] == '_'))
			i++;
	}
	return i == n;
}

/* YYYY-M-D, optionally followed by [Tt ] and a time, as yaml.v2's parseTimestamp accepts. */
static bool y_timestamp(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 4 && isdigit((unsigned char)s[i]))
		i++;
	if (i != 4 || i >= n || s[i] != '-')
		return false;
	for (int part = 0; part < 2; part++) {
		i++;
		size_t d0 = i;
		while (i < n && isdigit((unsigned char)s[i]) && i - d0 < 2)
			i++;
		if (i == d0)
			return false;
		if (part == 0 && (i >= n || s[i] != '-'))
			return false;
	}
	if (i == n)
		return true;
	if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
		return false;
	i++;
	size_t h0 = i;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return i > h0 && i < n && s[i] == ':';
}

/* yaml.v2's resolve: does plain s read back as something other than a string? */
static bool y_nonstr(const char *s, size_t n)
{
	static const char *const words[] = {"", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N",
		"no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
		".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL};
	for (const char *const *w = words; *w; w++)
		if (strlen(*w) == n && memcmp(*w, s, n) == 0)
			return true;
	if (!n || !strchr("-+.0123456789", s[0]) || n >= 128)
		return false;
	char buf[128];
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '_')
			buf[k++] = s[i];
	buf[k] = '\0';
	const char *b = buf + (buf[0] == '-' || buf[0] == '+');
	size_t bl = strlen(b);
	/* strconv.ParseInt(s, 0, 64) */
	if (bl > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') && y_digits(b + 2, bl - 2, 16))
		return true;
	if (bl > 2 && b[0] == '0' && (b[1] == 'b' || b[1] == 'B') && y_digits(b + 2, bl - 2, 2))
		return true;
	if (bl > 2 && b[0] == '0' && (b[1] == 'o' || b[1] == 'O') && y_digits(b + 2, bl - 2, 8))
		return true;
	if (bl > 1 && b[0] == '0' && y_digits(b + 1, bl - 1, 8))
		return true;
	if (y_digits(b, bl, 10))
		return true;
	if (y_float(buf, k)) { /* strconv.ParseFloat must succeed: out of range is a string */
		errno = 0;
		double d = strtod(buf, NULL);
		if (errno != ERANGE && !isinf(d))
			return true;
	}
	return y_timestamp(s, n) || y_base60(s, n);
}

typedef struct {
	bool block_plain, single, block;
} y_styles;

static bool y_break_at(const unsigned char *p, size_t left)
{
	return p[0] == '\n' || p[0] == '\r' || (left > 1 && p[0] == 0xC2 && p[1] == 0x85) ||
	       (left > 2 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9));
}

static bool y_blankz(const unsigned char *p, size_t left)
{
	return left == 0 || p[0] == ' ' || p[0] == '\t' || y_break_at(p, left);
}

/* yaml.v2's is_printable: no C0/C1 controls but \n, no DEL, no BOM, and nothing beyond the BMP
 * (its byte test stops at three-byte sequences). */
static bool y_printable(int32_t r)
{
	return r == 0x0A || (r >= 0x20 && r <= 0x7E) || (r >= 0xA0 && r <= 0xD7FF) ||
	       (r >= 0xE000 && r <= 0xFFFD && r != 0xFEFF);
}

/* yaml_emitter_analyze_scalar, for the block context. */
static y_styles y_analyze(const char *str, size_t n)
{
	y_styles st = {true, true, true};
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0) {
		st.block = false;
		return st;
	}
	bool block_ind = false, special = false, line_breaks = false;
	bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
	bool break_space = false, space_break = false, prev_space = false, prev_break = false;
	if (n >= 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0))
		block_ind = true;
	bool preceded_ws = true;
	for (size_t i = 0; i < n;) {
		int32_t r;
		size_t w = rune_at(s + i, n - i, &r);
		bool followed_ws = y_blankz(s + i + w, n - i - w);
		unsigned char c = s[i];
		if (i == 0) {
			if (c && strchr("#,[]{}&*!|>'\"%@`", c))
				block_ind = true;
			if ((c == '?' || c == ':' || c == '-') && followed_ws)
				block_ind = true;
		} else {
			if (c == ':' && followed_ws)
				block_ind = true;
			if (c == '#' && preceded_ws)
				block_ind = true;
		}
		bool printable = y_printable(r);
		if (r < 0 || !printable)
			special = true;
		bool brk = y_break_at(s + i, n - i);
		if (brk)
			line_breaks = true;
		if (c == ' ') {
			if (i == 0)
				leading_space = true;
			if (i + w == n)
				trailing_space = true;
			if (prev_break)
				break_space = true;
			prev_space = true;
			prev_break = false;
		} else if (brk) {
			if (i == 0)
				leading_break = true;
			if (i + w == n)
				trailing_break = true;
			if (prev_space)
				space_break = true;
			prev_break = true;
			prev_space = false;
		} else
			prev_space = prev_break = false;
		preceded_ws = y_blankz(s + i, n - i);
		i += w;
	}
	if (leading_space || leading_break || trailing_space || trailing_break || break_space || line_breaks || block_ind)
		st.block_plain = false;
	if (break_space)
		st.single = false;
	if (space_break || special)
		st.block_plain = st.single = st.block = false;
	if (trailing_space)
		st.block = false;
	return st;
}

/* The current column, in runes, at the end of sb. */
static int y_column(const tm_strbuf *sb)
{
	int col = 0;
	for (size_t i = sb->len; i > 0 && sb->data[i - 1] != '\n'; i--)
		if (((unsigned char)sb->data[i - 1] & 0xC0) != 0x80)
			col++;
	return col;
}

static void y_newline_indent(tm_strbuf *sb, int ind)
{
	tm_strbuf_putc(sb, '\n');
	indent_to(sb, ind);
}

#define Y_WIDTH 80

static void y_plain(tm_strbuf *sb, const char *s, size_t n, int ind, bool breaks)
{
	int col = y_column(sb);
	bool spaces = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ') {
			if (breaks && !spaces && col > Y_WIDTH && i + 1 < n && s[i + 1] != ' ') {
				y_newline_indent(sb, ind);
				col = ind;
			} else {
				tm_strbuf_putc(sb, ' ');
				col++;
			}
			spaces = true;
			continue;
		}
		tm_strbuf_putc(sb, s[i]);
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
		spaces = false;
	}
}

static bool y_ls_ps(const char *s, size_t n, size_t i)
{
	return i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
	       ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9);
}

static void y_single(tm_strbuf *sb, const char *s, size_t n, int ind, bool breaks)
{
	tm_strbuf_putc(sb, '\'');
	int col = y_column(sb);
	bool spaces = false, brk = false;
	for (size_t i = 0; i < n; i++) {
		if (y_ls_ps(s, n, i)) { /* a break: written as it is, the next text indented */
			tm_strbuf_put(sb, s + i, 3);
			i += 2;
			brk = true;
			col = 0;
			continue;
		}
		if (brk) {
			indent_to(sb, ind);
			col = ind;
			brk = false;
		}
		if (s[i] == ' ') {
			if (breaks && !spaces && col > Y_WIDTH && i > 0 && i + 1 < n && s[i + 1] != ' ') {
				y_newline_indent(sb, ind);
				col = ind;
			} else {
				tm_strbuf_putc(sb, ' ');
				col++;
			}
			spaces = true;
			continue;
		}
		if (s[i] == '\'') {
			tm_strbuf_putc(sb, '\'');
			col++;
		}
		tm_strbuf_putc(sb, s[i]);
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
		spaces = false;
	}
	tm_strbuf_putc(sb, '\'');
}

static void yaml_dq_fold(tm_strbuf *sb, const char *s, size_t n, int ind, bool breaks)
{
	const unsigned char *p = (const unsigned char *)s;
	tm_strbuf_putc(sb, '"');
	int col = y_column(sb);
	bool spaces = false;
	for (size_t i = 0; i < n;) {
		int32_t r;
		size_t l = rune_at(p + i, n - i, &r);
		size_t before = sb->len;
		if (r == ' ') {
			if (breaks && !spaces && col > Y_WIDTH && i > 0 && i + 1 < n) {
				y_newline_indent(sb, ind);
				col = ind;
				if (p[i + 1] == ' ') {
					tm_strbuf_putc(sb, '\\');
					col++;
				}
			} else {
				tm_strbuf_putc(sb, ' ');
				col++;
			}
			spaces = true;
			i += l;
			continue;
		}
		spaces = false;
		static const struct {
			int32_t r;
			char e;
		} esc[] = {{0, '0'}, {7, 'a'}, {8, 'b'}, {9, 't'}, {10, 'n'}, {11, 'v'}, {12, 'f'}, {13, 'r'}, {0x1B, 'e'},
			   {'"', '"'}, {'\\', '\\'}, {0x85, 'N'}, {0x2028, 'L'}, {0x2029, 'P'}};
		char e = 0;
		for (size_t k = 0; k < TM_ARRAY_LEN(esc) && !e; k++)
			if (esc[k].r == r)
				e = esc[k].e;
		if (r < 0)
			tm_strbuf_printf(sb, "\\x%02X", p[i]);
		else if (e) {
			tm_strbuf_putc(sb, '\\');
			tm_strbuf_putc(sb, e);
		} else if (!y_printable(r) || r == 0xFEFF)
			tm_strbuf_printf(sb, r <= 0xFF ? "\\x%02X" : r <= 0xFFFF ? "\\u%04X" : "\\U%08X", (unsigned)r);
		else
			tm_strbuf_put(sb, s + i, l);
		col += (int)(sb->len - before);
		i += l;
	}
	tm_strbuf_putc(sb, '"');
}

/* yaml_emitter_write_literal_scalar: "|", an indentation hint when the text starts with a space
 * or a break, a chomping hint, then the lines at content_ind (empty lines unindented). The text's
 * own final break ends the output. */
static void yaml_literal(tm_strbuf *sb, const char *s, size_t n, int content_ind)
{
	tm_strbuf_putc(sb, '|');
	const unsigned char *u = (const unsigned char *)s;
	if (s[0] == ' ' || y_break_at(u, n))
		tm_strbuf_putc(sb, '2');
	/* chomping: the last rune, and the one before it, as breaks (\n, LS, PS) */
	size_t last = n - 1;
	while (last > 0 && (u[last] & 0xC0) == 0x80)
		last--;
	if (!y_break_at(u + last, n - last))
		tm_strbuf_putc(sb, '-');
	else {
		size_t prev = last;
		while (prev > 0 && ((u[--prev] & 0xC0) == 0x80))
			;
		if (last == 0 || y_break_at(u + prev, n - prev))
			tm_strbuf_putc(sb, '+');
	}
	tm_strbuf_putc(sb, '\n');
	bool breaks = true;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || y_ls_ps(s, n, i)) { /* LS and PS are breaks, written as they are */
			size_t w = s[i] == '\n' ? 1 : 3;
			tm_strbuf_put(sb, s + i, w);
			i += w - 1;
			breaks = true;
			continue;
		}
		if (breaks)
			indent_to(sb, content_ind);
		tm_strbuf_putc(sb, s[i]);
		breaks = false;
	}
}

/* A string: ind is where folded lines continue (and a literal's lines go); key: a simple key. */
static void yaml_string(tm_strbuf *sb, const char *s, size_t n, int ind, bool key)
{
	if (tm_utf8_check((const unsigned char *)s, n) != n) { /* yaml.v2 would write !!binary */
		yaml_dq_fold(sb, s, n, ind, false);
		return;
	}
	if (y_nonstr(s, n)) {
		yaml_dq_fold(sb, s, n, ind, !key);
		return;
	}
	y_styles st = y_analyze(s, n);
	if (memchr(s, '\n', n) && !key) {
		/* \r and NEL are not printable, so st.block is false for them: quoted */
		if (st.block)
			yaml_literal(sb, s, n, ind);
		else
			yaml_dq_fold(sb, s, n, ind, true);
		return;
	}
	if (st.block_plain)
		y_plain(sb, s, n, ind, !key);
	else if (st.single)
		y_single(sb, s, n, ind, !key);
	else
		yaml_dq_fold(sb, s, n, ind, !key);
}

/* The scalar text of v (content_ind: where continuation lines and a literal's lines go). */
static void yaml_scalar(tm_strbuf *sb, tm_gv v, int content_ind)
{
	switch (v.k) {
	case TM_GV_NIL: tm_strbuf_puts(sb, "null"); return;
	case TM_GV_BOOL: tm_strbuf_puts(sb, v.u.b ? "true" : "false"); return;
	case TM_GV_INT: tm_strbuf_printf(sb, "%lld", (long long)v.u.i); return;
	case TM_GV_FLOAT:
		/* through JSON and back: JSON's integral text reads back as a YAML int (-0 as 0), any
		 * other as a float that yaml.v2 writes with 'g' */
		if (v.u.f > -9.2e18 && v.u.f < 9.2e18 && v.u.f == (double)(int64_t)v.u.f)
			tm_strbuf_printf(sb, "%lld", (long long)v.u.f);
		else if (isinf(v.u.f) || isnan(v.u.f))
			tm_strbuf_puts(sb, "null");
		else
			tm_gv_format_float(sb, v.u.f, 'g', -1);
		return;
	case TM_GV_LIST: tm_strbuf_puts(sb, "[]"); return;
	case TM_GV_DICT: tm_strbuf_puts(sb, "{}"); return;
	case TM_GV_OBJ: tm_strbuf_puts(sb, "{}"); return;
	default: break;
	}
	yaml_string(sb, v.u.s.p, v.u.s.n, content_ind, false);
}

static bool coll_nonempty(tm_gv v)
{
	return (v.k == TM_GV_LIST && v.u.l->n) || (v.k == TM_GV_DICT && v.u.d->n);
}

enum { Y_TOP, Y_KEY, Y_ITEM };

static void yaml_node(tm_strbuf *sb, tm_gv v, int col, int ctx, int depth);

static void yaml_key(tm_strbuf *sb, const char *k, size_t kn)
{
	yaml_string(sb, k, kn, 0, true);
	tm_strbuf_putc(sb, ':');
}

/* yaml.v2's keyList.Less: rune by rune; a letter sorts after a non-letter; runs of digits
 * compare as numbers (then by length); otherwise by rune. Letters beyond ASCII: from U+00C0. */
static bool y_letter(int32_t r)
{
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= 0xC0 && r != 0xD7 && r != 0xF7);
}

static bool y_digit(int32_t r)
{
	return r >= '0' && r <= '9';
}

static size_t y_runes(const char *s, size_t n, int32_t *out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < max;) {
		int32_t r;
		i += rune_at((const unsigned char *)s + i, n - i, &r);
		out[k++] = r < 0 ? 0xFFFD : r;
	}
	return k;
}

static bool y_key_less(const char *a, size_t an, const char *b, size_t bn)
{
	int32_t ar[256], br[256];
	size_t la = y_runes(a, an, ar, 256), lb = y_runes(b, bn, br, 256);
	for (size_t i = 0; i < la && i < lb; i++) {
		if (ar[i] == br[i])
			continue;
		bool al = y_letter(ar[i]), bl = y_letter(br[i]);
		if (al && bl)
			return ar[i] < br[i];
		if (al || bl)
			return bl;
		int64_t an_ = 0, bn_ = 0;
		size_t ai, bi;
		if (ar[i] == '0' || br[i] == '0')
			for (size_t j = i; j-- > 0 && y_digit(ar[j]);)
				if (ar[j] != '0') {
					an_ = bn_ = 1;
					break;
				}
		for (ai = i; ai < la && y_digit(ar[ai]); ai++)
			an_ = an_ * 10 + (ar[ai] - '0');
		for (bi = i; bi < lb && y_digit(br[bi]); bi++)
			bn_ = bn_ * 10 + (br[bi] - '0');
		if (an_ != bn_)
			return an_ < bn_;
		if (ai != bi)
			return ai < bi;
		return ar[i] < br[i];
	}
	return la < lb;
}

/* The order toYaml writes a dict's keys in (a stable merge sort); NULL: as stored. tm_free. */
static size_t *y_key_order(const tm_gv_dict *d)
{
	size_t n = d->n;
	if (n < 2)
		return NULL;
	size_t *a = tm_malloc(n * sizeof(size_t)), *b = tm_malloc(n * sizeof(size_t));
	if (!a || !b) {
		tm_free(a);
		tm_free(b);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		a[i] = i;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				b[k++] = y_key_less(d->key[a[j]], d->klen[a[j]], d->key[a[i]], d->klen[a[i]]) ? a[j++] : a[i++];
			while (i < mid)
				b[k++] = a[i++];
			while (j < hi)
				b[k++] = a[j++];
		}
		size_t *t = a;
		a = b;
		b = t;
	}
	tm_free(b);
	return a;
}

/* col: TOP 0; KEY the key's column; ITEM the dash's column. */
static void yaml_node(tm_strbuf *sb, tm_gv v, int col, int ctx, int depth)
{
	if (depth > MAX_PRINT_DEPTH) {
		tm_strbuf_puts(sb, ctx == Y_KEY ? " null\n" : "null\n");
		return;
	}
	if (!coll_nonempty(v)) {
		if (ctx == Y_KEY)
			tm_strbuf_putc(sb, ' ');
		yaml_scalar(sb, v, ctx == Y_TOP ? 2 : col + 2);
		/* a literal ends with its own break (\n, or LS/PS after which yaml.v2 is at column 0) */
		if (!sb->len || !(sb->data[sb->len - 1] == '\n' ||
				  (sb->len >= 3 && y_ls_ps(sb->data, sb->len, sb->len - 3))))
			tm_strbuf_putc(sb, '\n');
		return;
	}
	int ind = ctx == Y_TOP ? 0 : ctx == Y_ITEM ? col + 2 : v.k == TM_GV_DICT ? col + 2 : col;
	bool first_inline = ctx == Y_ITEM;
	if (ctx == Y_KEY)
		tm_strbuf_putc(sb, '\n');
	if (v.k == TM_GV_DICT) {
		size_t *order = y_key_order(v.u.d);
		for (size_t k = 0; k < v.u.d->n; k++) {
			size_t i = order ? order[k] : k;
			if (k || !first_inline)
				indent_to(sb, ind);
			yaml_key(sb, v.u.d->key[i], v.u.d->klen[i]);
			yaml_node(sb, v.u.d->val[i], ind, Y_KEY, depth + 1);
		}
		tm_free(order);
	} else {
		for (size_t i = 0; i < v.u.l->n; i++) {
			if (i || !first_inline)
				indent_to(sb, ind);
			tm_strbuf_puts(sb, "- ");
			yaml_node(sb, v.u.l->it[i], ind, Y_ITEM, depth + 1);
		}
	}
}

void tm_gv_to_yaml(tm_strbuf *sb, tm_gv v)
{
	size_t start = sb->len;
	yaml_node(sb, v, 0, Y_TOP, 0);
	if (!sb->oom && sb->len > start && sb->data[sb->len - 1] == '\n')
		sb->data[--sb->len] = '\0';
}

/* ---- JSON (encoding/json) ---- */

static void json_str(tm_strbuf *sb, const char *s, size_t n, bool html)
{
	const unsigned char *p = (const unsigned char *)s;
	tm_strbuf_putc(sb, '"');
	for (size_t i = 0; i < n;) {
		int32_t r;
		size_t l = rune_at(p + i, n - i, &r);
		if (r < 0)
			tm_strbuf_puts(sb, "\\ufffd");
		else if (r == '"' || r == '\\') {
			tm_strbuf_putc(sb, '\\');
			tm_strbuf_putc(sb, (char)r);
		} else if (r == '\n')
			tm_strbuf_puts(sb, "\\n");
		else if (r == '\r')
			tm_strbuf_puts(sb, "\\r");
		else if (r == '\t')
			tm_strbuf_puts(sb, "\\t");
		else if (r < 0x20 || (html && (r == '<' || r == '>' || r == '&')) || r == 0x2028 || r == 0x2029)
			tm_strbuf_printf(sb, "\\u%04x", (unsigned)r);
		else
			tm_strbuf_put(sb, s + i, l);
		i += l;
	}
	tm_strbuf_putc(sb, '"');
}

static void json_node(tm_strbuf *sb, tm_gv v, bool html, int pretty, int depth)
{
	if (depth > MAX_PRINT_DEPTH) {
		tm_strbuf_puts(sb, "null");
		return;
	}
	switch (v.k) {
	case TM_GV_NIL: tm_strbuf_puts(sb, "null"); return;
	case TM_GV_BOOL: tm_strbuf_puts(sb, v.u.b ? "true" : "false"); return;
	case TM_GV_INT: tm_strbuf_printf(sb, "%lld", (long long)v.u.i); return;
	case TM_GV_FLOAT:
		if (isnan(v.u.f) || isinf(v.u.f))
			tm_strbuf_puts(sb, "null");
		else
			tm_gv_format_float(sb, v.u.f, 'j', -1);
		return;
	case TM_GV_STR: json_str(sb, v.u.s.p, v.u.s.n, html); return;
	case TM_GV_OBJ: tm_strbuf_puts(sb, "{}"); return;
	default: break;
	}
	bool dict = v.k == TM_GV_DICT;
	size_t n = dict ? v.u.d->n : v.u.l->n;
	tm_strbuf_putc(sb, dict ? '{' : '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			tm_strbuf_putc(sb, ',');
		if (pretty) {
			tm_strbuf_putc(sb, '\n');
			indent_to(sb, 2 * (depth + 1));
		}
		if (dict) {
			json_str(sb, v.u.d->key[i], v.u.d->klen[i], html);
			tm_strbuf_puts(sb, pretty ? ": " : ":");
		}
		json_node(sb, dict ? v.u.d->val[i] : v.u.l->it[i], html, pretty, depth + 1);
	}
	if (pretty && n) {
		tm_strbuf_putc(sb, '\n');
		indent_to(sb, 2 * depth);
	}
	tm_strbuf_putc(sb, dict ? '}' : ']');
}

void tm_gv_to_json(tm_strbuf *sb, tm_gv v, bool escape_html, bool pretty)
{
	json_node(sb, v, escape_html, pretty, 0);
}

/* ---- reading YAML and JSON ---- */

static bool has2(const char *buf, size_t len, char a, char b)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (buf[i] == a && buf[i + 1] == b)
			return true;
	return false;
}

void tm_gt__mask(char *buf, size_t len, char mask[2])
{
	mask[0] = mask[1] = 0;
	if (len < 2 || !has2(buf, len, '{', '{'))
		return;
	static const char cand[][2] = {{'`', '~'}, {'~', '`'}, {'^', '`'}, {'`', '^'}, {'~', '^'}};
	for (size_t c = 0; c < TM_ARRAY_LEN(cand); c++) {
		if (has2(buf, len, cand[c][0], cand[c][1]))
			continue;
		mask[0] = cand[c][0];
		mask[1] = cand[c][1];
		for (size_t i = 0; i + 1 < len; i++)
			if (buf[i] == '{' && buf[i + 1] == '{') {
				buf[i] = mask[0];
				buf[i + 1] = mask[1];
				i++;
			}
		return;
	}
}

void tm_gt__unmask(char *s, size_t n, const char mask[2])
{
	if (!mask[0])
		return;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == mask[0] && s[i + 1] == mask[1]) {
			s[i] = s[i + 1] = '{';
			i++;
		}
}

static tm_gv from_value(tm_arena *a, const tm_value *v, int depth, const char mask[2])
{
	if (!v || depth > 512)
		return tm_gv_nil();
	switch (tm_value_kind_of(v)) {
	case TM_VALUE_MAP: {
		tm_gv d = tm_gv_dict_new(a);
		for (size_t i = 0; d.k && i < tm_value_len(v); i++) {
			size_t kl = 0;
			const tm_value *kv = tm_map_key(v, i);
			const char *k = tm_scalar_str(kv, &kl);
			bool bk;
			/* YAML -> JSON makes a YAML 1.1 boolean key (y, n, on, off, yes, no) "true"/"false" */
			if (tm_scalar_type_of(kv) == TM_SCALAR_BOOL && tm_scalar_bool(kv, &bk) == 0) {
				k = bk ? "true" : "false";
				kl = strlen(k);
			}
			char *kc = tm_arena_strndup(a, k ? k : "", k ? kl : 0);
			if (!kc)
				break;
			tm_gt__unmask(kc, kl, mask);
			tm_gv_dict_set(a, d.u.d, kc, k ? kl : 0, from_value(a, tm_map_value(v, i), depth + 1, mask));
		}
		return d;
	}
	case TM_VALUE_SEQ: {
		tm_gv l = tm_gv_list_new(a, tm_value_len(v));
		for (size_t i = 0; l.k && i < tm_value_len(v); i++)
			tm_gv_list_push(a, l, from_value(a, tm_seq_at(v, i), depth + 1, mask));
		return l;
	}
	default: break;
	}
	size_t n = 0;
	const char *s = tm_scalar_str(v, &n);
	switch (tm_scalar_type_of(v)) {
	case TM_SCALAR_NULL: return tm_gv_nil();
	case TM_SCALAR_BOOL: {
		bool b = false;
		tm_scalar_bool(v, &b);
		return tm_gv_bool(b);
	}
	case TM_SCALAR_INT: {
		int64_t i;
		if (tm_scalar_int(v, &i) == 0)
			return tm_gv_float((double)i);
		return tm_gv_float(strtod(s, NULL));
	}
	case TM_SCALAR_FLOAT: {
		char buf[64];
		size_t k = 0;
		for (size_t j = 0; j < n && k + 1 < sizeof(buf); j++)
			if (s[j] != '_')
				buf[k++] = (char)tolower((unsigned char)s[j]);
		buf[k] = '\0';
		const char *b = buf;
		bool neg = *b == '-';
		if (*b == '-' || *b == '+')
			b++;
		if (strcmp(b, ".inf") == 0)
			return tm_gv_float(neg ? -INFINITY : INFINITY);
		if (strcmp(b, ".nan") == 0)
			return tm_gv_float(NAN);
		return tm_gv_float(strtod(buf, NULL));
	}
	default: {
		tm_gv r = tm_gv_str(a, s, n);
		if (r.k)
			tm_gt__unmask((char *)r.u.s.p, n, mask);
		return r;
	}
	}
}

tm_gv tm_gv_from_value(tm_arena *a, const tm_value *v, int depth)
{
	static const char none[2] = {0, 0};
	return from_value(a, v, depth, none);
}

tm_gv tm_gt__from_value_unmask(tm_arena *a, const tm_value *v, const char mask[2])
{
	return from_value(a, v, 0, mask);
}

int tm_gv_from_yaml(tm_arena *a, const char *s, size_t n, bool array, tm_gv *out)
{
	*out = tm_gv_nil();
	char *buf = tm_malloc(n + 1);
	if (!buf)
		return TM_ENOMEM;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char mask[2];
	tm_gt__mask(buf, n, mask);
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_file_bytes = 8u << 20;
	tm_file *f = NULL;
	int rc = tm_file_parse(&f, "<fromYaml>", buf, n, &lim, &d);
	tm_free(buf);
	if (rc == 0 && f && tm_diag_count(&d, TM_LEVEL_ERROR) == 0) {
		const tm_value *root = tm_file_doc_count(f) ? tm_file_doc(f, 0) : NULL;
		*out = from_value(a, root, 0, mask);
		if (out->k != TM_GV_NIL && out->k != (array ? TM_GV_LIST : TM_GV_DICT))
			rc = TM_EINVALID; /* *out keeps the root, so the caller can name its type */
	} else
		rc = rc ? rc : TM_EPARSE;
	tm_file_free(f);
	tm_diag_list_dispose(&d);
	return rc;
}

/* ---- comparison (text/template's eq and lt) ---- */

int tm_gv_equal(tm_gv a, tm_gv b)
{
	if (a.k == TM_GV_NIL || b.k == TM_GV_NIL)
		return a.k == b.k;
	if (a.k != b.k)
		return -1;
	switch (a.k) {
	case TM_GV_BOOL: return a.u.b == b.u.b;
	case TM_GV_INT: return a.u.i == b.u.i;
	case TM_GV_FLOAT: return a.u.f == b.u.f;
	case TM_GV_STR: return a.u.s.n == b.u.s.n && memcmp(a.u.s.p, b.u.s.p, a.u.s.n) == 0;
	default: return -1;
	}
}

int tm_gv_less(tm_gv a, tm_gv b)
{
	if (a.k != b.k)
		return -1;
	switch (a.k) {
	case TM_GV_INT: return a.u.i < b.u.i;
	case TM_GV_FLOAT: return a.u.f < b.u.f;
	case TM_GV_STR: return keycmp(a.u.s.p, a.u.s.n, b.u.s.p, b.u.s.n) < 0;
	default: return -1;
	}
}
