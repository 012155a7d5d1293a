/*
 * escape.c - every escaping rule of every writer, in one place.
 *
 * Inputs are hostile: a description may hold <script>, Markdown links with
 * javascript: URLs, terminal escape sequences or table-breaking pipes. Each
 * function here makes a string inert in its target, and tests pin that.
 */
#include <stdio.h>

#include "formats.h"
#include "report.h"

#define FFFD TM_ESC_FFFD

/* ---- the shared UTF-8 walk ------------------------------------------------
 *
 * Every writer emits valid UTF-8 whatever its input holds (file names are
 * bytes, not text). Valid runs are found by tm_utf8_check, the one validator of
 * the program, so what the parser accepts and what the writers pass agree;
 * every byte outside a valid sequence is written as `bad` (one per byte). */

void tm_esc_utf8_cp(tm_out *o, const char *s, tm_esc_cp_fn fn, const char *bad)
{
	size_t len = s ? strlen(s) : 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t i = 0;
	while (i < len) {
		size_t end = i + tm_utf8_check(p + i, len - i);
		while (i < end) {
			/* inside a valid run the lead byte gives the length */
			unsigned char c = p[i];
			size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
			uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
			for (size_t k = 1; k < n; k++)
				cp = (cp << 6) | (p[i + k] & 0x3Fu);
			fn(o, cp, p + i, n);
			i += n;
		}
		if (i < len) {
			tm_out_puts(o, bad);
			i++;
		}
	}
}

bool tm_esc_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

bool tm_esc_is_bidi(uint32_t cp)
{
	/* the embeddings and overrides LRE..RLO with PDF, the isolates LRI..PDI: they reorder what
	 * follows on screen, so a name could show one thing and be another (Trojan Source, CVE-2021-42574) */
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void tm_esc_visible_control(tm_out *o, uint32_t cp)
{
	char hex[12];
	/* C0 and DEL as the byte (\x1b); C1 and bidirectional controls as the code point (\u009b,
	 * \u202e): they are two or three bytes in UTF-8 */
	if (cp < 0x80)
		tm_formatf(hex, sizeof(hex), "\\x%02x", (unsigned)cp);
	else
		tm_formatf(hex, sizeof(hex), "\\u%04x", (unsigned)cp);
	tm_out_puts(o, hex);
}

static void put_seq(tm_out *o, const unsigned char *p, size_t n)
{
	tm_out_put(o, (const char *)p, n);
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_cp(tm_out *o, uint32_t cp, const unsigned char *p, size_t n)
{
	const char *rep = NULL;
	switch (cp) {
	case '"': rep = "\\\""; break;
	case '\\': rep = "\\\\"; break;
	case '\n': rep = "\\n"; break;
	case '\r': rep = "\\r"; break;
	case '\t': rep = "\\t"; break;
	case '<': rep = "\\u003c"; break; /* safe to embed in HTML <script> */
	case '>': rep = "\\u003e"; break;
	case '&': rep = "\\u0026"; break;
	default:
		/* controls (C1 too, so the file is safe to cat) and U+2028/2029, which end lines in JavaScript */
		if (tm_esc_is_control(cp) || cp == 0x2028 || cp == 0x2029) {
			char hex[12];
			tm_formatf(hex, sizeof(hex), "\\u%04x", (unsigned)cp);
			tm_out_puts(o, hex);
			return;
		}
	}
	if (rep)
		tm_out_puts(o, rep);
	else
		put_seq(o, p, n);
}

/* Printable ASCII that JSON writes as itself (json_cp's exceptions excluded), by byte: a report is
 * hundreds of MB of these, one lookup a byte. */
static const unsigned char json_plain_byte[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static bool json_plain(unsigned char c)
{
	return json_plain_byte[c];
}

void tm_esc_json(tm_out *o, const char *s)
{
	/* the common case, plain ASCII throughout: quoted in one write */
	const char *p0 = s ? s : "";
	size_t plain = 0;
	while (json_plain((unsigned char)p0[plain]))
		plain++;
	if (!p0[plain]) {
		char *at = tm_out_room(o, plain + 2);
		if (at) {
			at[0] = '"';
			memcpy(at + 1, p0, plain);
			at[plain + 1] = '"';
			tm_out_commit(o, plain + 2);
		}
		return;
	}
	tm_out_put(o, "\"", 1);
	/* runs of plain ASCII (most of a report) go out whole; the rest, code point by code point */
	const char *p = s ? s : "";
	while (*p) {
		const char *run = p;
		while (json_plain((unsigned char)*p))
			p++;
		if (p > run)
			tm_out_put(o, run, (size_t)(p - run));
		if (!*p)
			break;
		const char *next = p + 1;
		while (*next && !json_plain((unsigned char)*next))
			next++;
		char *part = NULL;
		size_t n = (size_t)(next - p);
		char stack[256];
		char *buf = n < sizeof(stack) ? stack : (part = tm_malloc(n + 1));
		if (!buf) {
			tm_esc_utf8_cp(o, p, json_cp, FFFD); /* out of memory: the slow way, to the end */
			break;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		tm_esc_utf8_cp(o, buf, json_cp, FFFD);
		tm_free(part);
		p = next;
	}
	tm_out_put(o, "\"", 1);
}

/* ---- Markdown -------------------------------------------------------------- */

static void md_cp(tm_out *o, uint32_t cp, const unsigned char *p, size_t n)
{
	if (cp == '<')
		tm_out_puts(o, "&lt;");
	else if (cp == '>')
		tm_out_puts(o, "&gt;");
	else if (cp == '&')
		tm_out_puts(o, "&amp;");
	else if (cp == '\n' || cp == '\r' || cp == '\t')
		tm_out_puts(o, " "); /* one line: a newline could end a table row or start a block */
	else if (tm_esc_is_control(cp) || tm_esc_is_bidi(cp)) {
		tm_out_puts(o, "\\"); /* a Markdown backslash, so the notation renders as \x1b */
		tm_esc_visible_control(o, cp);
	} else if (cp < 0x80 && strchr("\\`*_{}[]#!|~", (int)cp)) {
		char esc[2] = {'\\', (char)cp};
		tm_out_put(o, esc, 2);
	} else
		put_seq(o, p, n);
}

void tm_esc_md(tm_out *o, const char *s)
{
	if (!s)
		return;
	tm_esc_utf8_cp(o, s, md_cp, FFFD);
}

static void md_code_cp(tm_out *o, uint32_t cp, const unsigned char *p, size_t n)
{
	if (cp == '|')
		tm_out_puts(o, "\\|"); /* GFM tables split on | even inside code spans */
	else if (cp == '\n' || cp == '\r' || cp == '\t')
		tm_out_puts(o, " ");
	else if (tm_esc_is_control(cp) || tm_esc_is_bidi(cp))
		tm_esc_visible_control(o, cp); /* a backslash is literal in a code span */
	else
		put_seq(o, p, n);
}

void tm_esc_md_code(tm_out *o, const char *s)
{
	if (!s)
		s = "";
	/* A code span's fence must be longer than any backtick run inside it. */
	size_t longest = 0, run = 0;
	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	char fence[16];
	size_t fl = longest + 1 < sizeof(fence) - 1 ? longest + 1 : sizeof(fence) - 1;
	memset(fence, '`', fl);
	fence[fl] = '\0';
	/* pad with a space only where CommonMark needs it: content at the fence is a backtick */
	size_t sl = strlen(s);
	bool pad = sl && (s[0] == '`' || s[sl - 1] == '`');
	tm_out_puts(o, fence);
	if (pad)
		tm_out_puts(o, " ");
	tm_esc_utf8_cp(o, s, md_code_cp, FFFD);
	if (pad)
		tm_out_puts(o, " ");
	tm_out_puts(o, fence);
}

void tm_esc_md_rich(tm_out *o, const char *s)
{
	if (!s)
		return;
	tm_strbuf part = TM_STRBUF_INIT;
	for (const char *p = s; *p;) {
		const char *open = strchr(p, '`');
		const char *close = open ? strchr(open + 1, '`') : NULL;
		size_t plain = close ? (size_t)(open - p) : strlen(p);
		tm_strbuf_reset(&part);
		tm_strbuf_put(&part, p, plain);
		tm_esc_md(o, part.data ? part.data : "");
		if (!close)
			break;
		tm_strbuf_reset(&part);
		tm_strbuf_put(&part, open + 1, (size_t)(close - open - 1));
		if (part.len)
			tm_esc_md_code(o, part.data);
		p = close + 1;
	}
	tm_strbuf_dispose(&part);
}

/* ---- terminal -------------------------------------------------------------- */

static void term_cp(tm_out *o, uint32_t cp, const unsigned char *p, size_t n)
{
	if (tm_esc_is_control(cp) || tm_esc_is_bidi(cp))
		tm_esc_visible_control(o, cp);
	else
		put_seq(o, p, n);
}

void tm_esc_term(tm_out *o, const char *s)
{
	if (!s)
		return;
	/* a byte that is not UTF-8 is U+FFFD too: raw, 0x9b is CSI to a terminal in an 8-bit locale */
	tm_esc_utf8_cp(o, s, term_cp, FFFD);
}

/* ---- for callers outside the writers (the CLI) ------------------------------- */

void tm_esc_json_or_null(tm_out *o, const char *s)
{
	if (s)
		tm_esc_json(o, s);
	else
		tm_out_puts(o, "null");
}

static int escape_json(const void *s, tm_out *o)
{
	tm_esc_json_or_null(o, s);
	return 0;
}

static int escape_text(const void *s, tm_out *o)
{
	tm_esc_term(o, s); /* NULL writes nothing */
	return 0;
}

const tm_report__format tm_report__escape_formats[] = {
	{"json", escape_json, "a quoted JSON string (null for none)"},
	{"text", escape_text, "terminal text: control and bidirectional characters made visible"},
	{NULL, NULL, NULL},
};

int tm_report_escape(const char *format, const char *s, const tm_sink *sink)
{
	return tm_report__dispatch(TM_REPORT_ESCAPE, format, s, sink);
}

/* ---- JSON emitter ------------------------------------------------------ */

void tm_jw_init(tm_jw *w, tm_out *o)
{
	memset(w, 0, sizeof(*w));
	w->o = o;
}

static void indent(tm_jw *w)
{
	/* a newline and two spaces a level, in one write (depth is at most 63) */
	static const char spaces[] = "\n                                                                "
				     "                                                                ";
	size_t n = 1 + 2 * (size_t)(w->depth < 63 ? w->depth : 63);
	tm_out_put(w->o, spaces, n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1);
}

/* Before a value: a comma and newline unless it follows a key or opens a container. */
static void pre_value(tm_jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	/* the comma, the newline and the indent in one write */
	size_t comma = !w->first[w->depth], n = 1 + 2 * (size_t)(w->depth < 63 ? w->depth : 63);
	w->first[w->depth] = false;
	char *at = tm_out_room(w->o, comma + n);
	if (!at)
		return;
	at[0] = ',';
	at[comma] = '\n';
	memset(at + comma + 1, ' ', n - 1);
	tm_out_commit(w->o, comma + n);
}

static void open(tm_jw *w, char c)
{
	pre_value(w);
	tm_out_put(w->o, &c, 1);
	if (w->depth < 63)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_(tm_jw *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	tm_out_put(w->o, &c, 1);
	if (w->depth == 0)
		tm_out_put(w->o, "\n", 1);
}

void tm_jw_begin_obj(tm_jw *w) { open(w, '{'); }
void tm_jw_end_obj(tm_jw *w) { close_(w, '}'); }
void tm_jw_begin_arr(tm_jw *w) { open(w, '['); }
void tm_jw_end_arr(tm_jw *w) { close_(w, ']'); }

void tm_jw_key(tm_jw *w, const char *key)
{
	pre_value(w);
	tm_esc_json(w->o, key);
	tm_out_put(w->o, ": ", 2);
	w->after_key = true;
}

void tm_jw_str(tm_jw *w, const char *s)
{
	pre_value(w);
	if (s)
		tm_esc_json(w->o, s);
	else
		tm_out_puts(w->o, "null");
}

void tm_jw_int(tm_jw *w, int64_t v)
{
	pre_value(w);
	/* digits by hand: reports write millions of lines and columns, printf's parsing is the cost */
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	tm_out_put(w->o, p, (size_t)(buf + sizeof(buf) - p));
}

void tm_jw_num(tm_jw *w, double v)
{
	pre_value(w);
	tm_out_printf(w->o, "%.4f", v);
}

void tm_jw_bool(tm_jw *w, bool v)
{
	pre_value(w);
	tm_out_puts(w->o, v ? "true" : "false");
}

void tm_jw_null(tm_jw *w)
{
	pre_value(w);
	tm_out_puts(w->o, "null");
}

void tm_jw_kstr(tm_jw *w, const char *key, const char *s)
{
	tm_jw_key(w, key);
	tm_jw_str(w, s);
}

void tm_jw_kuri(tm_jw *w, const char *key, const char *prefix, const char *path)
{
	tm_jw_key(w, key);
	pre_value(w);
	/* prefix is ours; the encoded path is ASCII without quotes or backslashes: safe in a JSON string */
	tm_out_put(w->o, "\"", 1);
	tm_out_puts(w->o, prefix ? prefix : "");
	tm_esc_uri_path(w->o, path);
	tm_out_put(w->o, "\"", 1);
}

void tm_jw_kint(tm_jw *w, const char *key, int64_t v)
{
	tm_jw_key(w, key);
	tm_jw_int(w, v);
}

void tm_jw_loc(tm_jw *w, tm_loc loc)
{
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "path", loc.path);
	tm_jw_kint(w, "line", loc.line);
	tm_jw_kint(w, "column", loc.col);
	if (loc.pointer)
		tm_jw_kstr(w, "pointer", loc.pointer);
	tm_jw_end_obj(w);
}

static void csv_cp(tm_out *o, uint32_t cp, const unsigned char *p, size_t n)
{
	if (cp == '"')
		tm_out_puts(o, "\"\"");
	else if (cp != '\t' && cp != '\n' && tm_esc_is_control(cp))
		tm_esc_visible_control(o, cp); /* ESC, CR, C1...: a CSV file is read on terminals too */
	else
		put_seq(o, p, n);
}

void tm_esc_csv(tm_out *o, const char *s)
{
	if (!s)
		return;
	/* RFC 4180: quote every cell, double the quotes inside; a tab or a newline inside the quotes
	 * is the cell's own. A cell a spreadsheet would read as a formula (= + - @, tab, carriage
	 * return first) gets a leading apostrophe (OWASP CSV injection). */
	tm_out_puts(o, "\"");
	if (strchr("=+-@\t\r", s[0]) && s[0])
		tm_out_puts(o, "'");
	tm_esc_utf8_cp(o, s, csv_cp, FFFD);
	tm_out_puts(o, "\"");
}

/* ---- SARIF artifact uris ----------------------------------------------------- */

void tm_esc_uri_path(tm_out *o, const char *path)
{
	/* RFC 3986: keep the unreserved characters and the segment separator, percent-encode every
	 * other byte (UTF-8 or not), so the result is a uri-reference whose first segment cannot
	 * read as a scheme (':' is encoded) and that decodes to the original bytes. */
	static const char hexd[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)(path ? path : ""); *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_' || c == '~' || c == '/') {
			tm_out_put(o, (const char *)p, 1);
		} else {
			char pct[3] = {'%', hexd[c >> 4], hexd[c & 15]};
			tm_out_put(o, pct, 3);
		}
	}
}

void tm_md_cell(tm_out *o, const char *s)
{
	tm_out_puts(o, " | ");
	tm_esc_md(o, s ? s : "-");
}

