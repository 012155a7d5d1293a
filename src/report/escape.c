/*
 * escape.c - every escaping rule of every writer, in one place.
 *
 * Inputs are hostile: a description may hold <script>, Markdown links with
 * javascript: URLs, terminal escape sequences or table-breaking pipes. Each
 * function here makes a string inert in its target, and tests pin that.
 */
#include <stdio.h>

#include "report.h"

void tm_esc_json(tm_out *o, const char *s)
{
	tm_out_put(o, "\"", 1);
	if (!s)
		s = "";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;
	for (; *p; p++) {
		const char *rep = NULL;
		char hex[8];
		switch (*p) {
		case '"': rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case '\n': rep = "\\n"; break;
		case '\r': rep = "\\r"; break;
		case '\t': rep = "\\t"; break;
		case '<': rep = "\\u003c"; break; /* safe to embed in HTML <script> */
		case '>': rep = "\\u003e"; break;
		case '&': rep = "\\u0026"; break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				snprintf(hex, sizeof(hex), "\\u%04x", *p);
				rep = hex;
			} else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
				/* U+2028/2029 end lines in JavaScript */
				snprintf(hex, sizeof(hex), "\\u%04x", p[2] == 0xA8 ? 0x2028 : 0x2029);
				tm_out_put(o, (const char *)run, (size_t)(p - run));
				tm_out_puts(o, hex);
				p += 2;
				run = p + 1;
				continue;
			}
		}
		if (rep) {
			tm_out_put(o, (const char *)run, (size_t)(p - run));
			tm_out_puts(o, rep);
			run = p + 1;
		}
	}
	tm_out_put(o, (const char *)run, (size_t)(p - run));
	tm_out_put(o, "\"", 1);
}

void tm_esc_md(tm_out *o, const char *s)
{
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (c == '<')
			tm_out_puts(o, "&lt;");
		else if (c == '>')
			tm_out_puts(o, "&gt;");
		else if (c == '&')
			tm_out_puts(o, "&amp;");
		else if (c == '\n' || c == '\r' || c == '\t')
			tm_out_puts(o, " ");
		else if (c < 0x20 || c == 0x7f)
			tm_out_puts(o, "?");
		else if (strchr("\\`*_{}[]#!|~", c)) {
			char esc[2] = {'\\', (char)c};
			tm_out_put(o, esc, 2);
		} else
			tm_out_put(o, (const char *)p, 1);
	}
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
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '|')
			tm_out_puts(o, "\\|"); /* GFM tables split on | even inside code spans */
		else if (*p < 0x20 || *p == 0x7f)
			tm_out_puts(o, " ");
		else
			tm_out_put(o, (const char *)p, 1);
	}
	if (pad)
		tm_out_puts(o, " ");
	tm_out_puts(o, fence);
}

void tm_esc_term(tm_out *o, const char *s)
{
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			char hex[8];
			snprintf(hex, sizeof(hex), "\\x%02x", *p);
			tm_out_puts(o, hex);
		} else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			/* C1 controls (CSI 0x9b ...) as UTF-8 */
			char hex[12];
			snprintf(hex, sizeof(hex), "\\u%04x", p[1]);
			tm_out_puts(o, hex);
			p++;
		} else {
			tm_out_put(o, (const char *)p, 1);
		}
	}
}

/* ---- JSON emitter ------------------------------------------------------ */

void tm_jw_init(tm_jw *w, tm_out *o)
{
	memset(w, 0, sizeof(*w));
	w->o = o;
}

static void indent(tm_jw *w)
{
	tm_out_put(w->o, "\n", 1);
	for (int i = 0; i < w->depth; i++)
		tm_out_put(w->o, "  ", 2);
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
	if (!w->first[w->depth])
		tm_out_put(w->o, ",", 1);
	w->first[w->depth] = false;
	indent(w);
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
	tm_out_printf(w->o, "%lld", (long long)v);
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

void tm_esc_csv(tm_out *o, const char *s)
{
	if (!s)
		return;
	/* RFC 4180: quote every cell, double the quotes inside. A cell a spreadsheet would read as a
	 * formula (= + - @, tab, carriage return first) gets a leading apostrophe (OWASP CSV injection). */
	tm_out_puts(o, "\"");
	if (strchr("=+-@\t\r", s[0]) && s[0])
		tm_out_puts(o, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			tm_out_puts(o, "\"\"");
		else
			tm_out_put(o, p, 1);
	}
	tm_out_puts(o, "\"");
}

void tm_md_cell(tm_out *o, const char *s)
{
	tm_out_puts(o, " | ");
	tm_esc_md(o, s ? s : "-");
}

void tm_esc_utf8(tm_out *o, const char *s, void (*byte)(tm_out *o, unsigned char c), const char *bad)
{
	size_t len = s ? strlen(s) : 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t i = 0;
	while (i < len) {
		size_t ok = tm_utf8_check(p + i, len - i);
		for (size_t k = i; k < i + ok; k++)
			byte(o, p[k]);
		i += ok;
		if (i < len) {
			tm_out_puts(o, bad);
			i++;
		}
	}
}
