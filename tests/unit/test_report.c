/* test_report.c - escaping in every writer, and the writer table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "report/html.h"
#include "report/report.h"

#define FFFD "\xef\xbf\xbd"

static int to_strbuf(void *ud, const char *data, size_t len)
{
	tm_strbuf_put(ud, data, len);
	return 0;
}

typedef void (*escaper)(tm_out *, const char *);

static char *run(escaper fn, const char *in)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_sink sink = {to_strbuf, &sb};
	tm_out o;
	tm_out_init(&o, &sink);
	fn(&o, in);
	assert_int_equal(tm_out_finish(&o), 0);
	tm_strbuf_put(&sb, "", 0);
	return tm_strbuf_take(&sb);
}

static void json_escaping(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"plain", "\"plain\""},
		{"q\"b\\", "\"q\\\"b\\\\\""},
		{"a\nb\tc\r", "\"a\\nb\\tc\\r\""},
		{"</script><b>&", "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\""},
		{"\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""},
		{"line\xe2\x80\xa8sep", "\"line\\u2028sep\""},
		{"caf\xc3\xa9", "\"caf\xc3\xa9\""},
		/* C1 controls escaped too (same string, safe to cat); 4-byte sequences pass */
		{"nel\xc2\x85" "csi\xc2\x9b", "\"nel\\u0085csi\\u009b\""},
		{"\xf0\x9f\x94\x92", "\"\xf0\x9f\x94\x92\""},
		/* bytes that are not UTF-8: one U+FFFD each (lone, truncated, overlong, surrogate, > U+10FFFF) */
		{"a\xff\xfe" "b", "\"a" FFFD FFFD "b\""},
		{"x\xe2\x80", "\"x" FFFD FFFD "\""},
		{"\xc0\xaf", "\"" FFFD FFFD "\""},
		{"\xed\xa0\x80", "\"" FFFD FFFD FFFD "\""},
		{"\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""},
		{"\x9b[2J", "\"" FFFD "[2J\""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = run(tm_esc_json, cases[i].in);
		assert_string_equal(got, cases[i].out);
		tm_free(got);
	}
}

static void csv_escaping(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"plain", "\"plain\""},
		{"a,b \"q\"", "\"a,b \"\"q\"\"\""},
		{"line\nbreak", "\"line\nbreak\""},
		/* formula injection: a spreadsheet must see text */
		{"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
		{"+1", "\"'+1\""},
		{"-cmd", "\"'-cmd\""},
		{"@SUM(A1)", "\"'@SUM(A1)\""},
		{"\tx", "\"'\tx\""},
		{"", "\"\""},
		/* terminal controls visible; tab and newline are the cell's own */
		{"a\x1b[31mb\x07\x7f", "\"a\\x1b[31mb\\x07\\x7f\""},
		{"over\rwrite", "\"over\\x0dwrite\""},
		{"c1\xc2\x9b" "2J", "\"c1\\u009b2J\""},
		{"t\tn\n", "\"t\tn\n\""},
		{"bad\xff\x9b", "\"bad" FFFD FFFD "\""},
		{"=\x1b", "\"'=\\x1b\""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = run(tm_esc_csv, cases[i].in);
		assert_string_equal(got, cases[i].out);
		tm_free(got);
	}
}

static void markdown_escaping(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"},
		{"a|b", "a\\|b"},
		{"*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"},
		{"# heading\nnext", "\\# heading next"},
		{"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
		{"a & b", "a &amp; b"},
		/* controls visible (a Markdown backslash before the notation), bytes not UTF-8 as U+FFFD */
		{"a\x1b[31m", "a\\\\x1b\\[31m"},
		{"c1\xc2\x9b", "c1\\\\u009b"},
		{"bad\xff", "bad" FFFD},
		{"caf\xc3\xa9", "caf\xc3\xa9"},
		/* bidi controls (Trojan Source) visible like C1 controls */
		{"pay\xe2\x80\xaeslov", "pay\\\\u202eslov"},
		{"a\xe2\x81\xa6" "b\xe2\x81\xa9", "a\\\\u2066b\\\\u2069"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = run(tm_esc_md, cases[i].in);
		assert_string_equal(got, cases[i].out);
		tm_free(got);
	}
}

static void markdown_code_spans(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"k8s/app.yaml:3:1", "`k8s/app.yaml:3:1`"},
		{"a`b", "``a`b``"},
		{"`x`", "`` `x` ``"},
		{"a|b", "`a\\|b`"},
		{"x\ny", "`x y`"},
		{"a\x1b[31m\xc2\x85", "`a\\x1b[31m\\u0085`"},
		{"a\xff\xfe.yaml", "`a" FFFD FFFD ".yaml`"},
		{"x\xe2\x80\xaay\xe2\x80\xac", "`x\\u202ay\\u202c`"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = run(tm_esc_md_code, cases[i].in);
		assert_string_equal(got, cases[i].out);
		tm_free(got);
	}
}

/* A rule's text: its `...` are code spans, the rest Markdown-escaped text; an unpaired backtick is text. */
static void markdown_rule_text(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"Set `read_only: true` with `tmpfs:`.", "Set `read_only: true` with `tmpfs:`."},
		{"a_b `c|d` <e>", "a\\_b `c\\|d` &lt;e&gt;"},
		{"one ` only", "one \\` only"},
		{"``", ""},
		{"`x\ny`*", "`x y`\\*"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = run(tm_esc_md_rich, cases[i].in);
		assert_string_equal(got, cases[i].out);
		tm_free(got);
	}
}

static void terminal_escaping(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"red\x1b[31m bell\x07 csi\xc2\x9b ok\xc3\xa9", "red\\x1b[31m bell\\x07 csi\\u009b ok\xc3\xa9"},
		/* a raw 0x9b is CSI to a terminal in an 8-bit locale: not UTF-8, so U+FFFD */
		{"t\x9b" "2J\xff", "t" FFFD "2J" FFFD},
		{"tab\tnl\ndel\x7f", "tab\\x09nl\\x0adel\\x7f"},
		/* every bidi embedding, override and isolate; the marks and characters next to them are kept */
		{"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae",
		 "\\u202a\\u202b\\u202c\\u202d\\u202e"},
		{"\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069"},
		{"\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa", "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = run(tm_esc_term, cases[i].in);
		assert_string_equal(got, cases[i].out);
		tm_free(got);
	}
}

static void html_escaping(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"<a href='x'>`\"&", "&lt;a href=&#39;x&#39;&gt;&#96;&quot;&amp;"},
		{"esc\x1b c1\xc2\x9b bad\xff nl\n", "esc" FFFD " c1" FFFD " bad" FFFD " nl\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = run(tm_esc_html, cases[i].in);
		assert_string_equal(got, cases[i].out);
		tm_free(got);
	}
}

static void uri_escaping(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"k8s/app-1_x.y~z.yaml", "k8s/app-1_x.y~z.yaml"},
		{"my dir/a#b?c%d:e.yaml", "my%20dir/a%23b%3Fc%25d%3Ae.yaml"},
		{"caf\xc3\xa9\xff\x1b", "caf%C3%A9%FF%1B"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = run(tm_esc_uri_path, cases[i].in);
		assert_string_equal(got, cases[i].out);
		tm_free(got);
	}
}

/* Any bytes through any escaper: valid UTF-8 out, and no control character but the ones a format
 * keeps as its own (tab and newline in CSV cells and HTML text). */
static void every_escaper_emits_utf8(void **state)
{
	(void)state;
	static const struct {
		escaper fn;
		bool keeps_tab_nl;
	} escapers[] = {{tm_esc_json, false}, {tm_esc_md, false},  {tm_esc_md_code, false}, {tm_esc_md_rich, false}, {tm_esc_term, false},
			{tm_esc_csv, true},   {tm_esc_html, true}, {tm_esc_uri_path, false}};
	static const unsigned char alphabet[] = {'a', ' ', '"', '\\', '\n', '\t', '\r', 0x1b, 0x7f, 0x80, 0x85,
						 0x9b, 0xbf, 0xc2, 0xc3, 0xa9, 0xe2, 0xed, 0xf0, 0xf4, 0x9f, 0xff};
	uint32_t seed = 12345;
	for (int round = 0; round < 3000; round++) {
		char in[24];
		size_t len = (size_t)(round % 23);
		for (size_t k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			in[k] = (char)alphabet[(seed >> 16) % sizeof(alphabet)];
		}
		in[len] = '\0';
		for (size_t e = 0; e < sizeof(escapers) / sizeof(escapers[0]); e++) {
			char *got = run(escapers[e].fn, in);
			size_t n = strlen(got);
			assert_int_equal(tm_utf8_check((const unsigned char *)got, n), n);
			for (size_t k = 0; k < n; k++) {
				unsigned char c = (unsigned char)got[k];
				bool ctl = c < 0x20 || c == 0x7f || (c == 0xc2 && (unsigned char)got[k + 1] >= 0x80 &&
								     (unsigned char)got[k + 1] <= 0x9f);
				if (ctl && !(escapers[e].keeps_tab_nl && (c == '\t' || c == '\n')))
					fail_msg("escaper %zu left control 0x%02x in output of round %d", e, c, round);
			}
			tm_free(got);
		}
	}
}

static void json_emitter_layout(void **state)
{
	(void)state;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_sink sink = {to_strbuf, &sb};
	tm_out o;
	tm_out_init(&o, &sink);
	tm_jw w;
	tm_jw_init(&w, &o);
	tm_jw_begin_obj(&w);
	tm_jw_key(&w, "a");
	tm_jw_begin_arr(&w);
	tm_jw_int(&w, 1);
	tm_jw_str(&w, NULL);
	tm_jw_end_arr(&w);
	tm_jw_key(&w, "empty");
	tm_jw_begin_arr(&w);
	tm_jw_end_arr(&w);
	tm_jw_key(&w, "b");
	tm_jw_bool(&w, true);
	tm_jw_end_obj(&w);
	assert_int_equal(tm_out_finish(&o), 0);
	assert_string_equal(sb.data, "{\n  \"a\": [\n    1,\n    null\n  ],\n  \"empty\": [],\n  \"b\": true\n}\n");
	tm_strbuf_dispose(&sb);
}

/* ---- tm_jw_items: long arrays written on every core, the same bytes ---- */

struct items_case {
	size_t n;
	size_t quiet_below; /* items below this write nothing (a run that follows must not owe a comma) */
	size_t every;       /* then only every every-th writes (1: all) */
	bool keyed;         /* items of an object: a key and its value */
	bool by_items;      /* written through tm_jw_items (else one by one, for the reference) */
	pthread_t caller;
	atomic_bool elsewhere; /* an item was written on another thread */
	atomic_bool waited_out;
};

/* Item i: an object with a nested array (itself written through tm_jw_items, one after another
 * inside a run), or nothing. The caller's first item waits until another thread has written one,
 * so a writer that never uses a second thread fails instead of passing by chance. */
static void sub_item(tm_jw *w, size_t i, void *ud)
{
	(void)ud;
	tm_jw_int(w, (int64_t)i);
}

static void case_item(tm_jw *w, size_t i, void *ud)
{
	struct items_case *c = ud;
	if (!pthread_equal(pthread_self(), c->caller))
		atomic_store(&c->elsewhere, true);
	else if (c->by_items && i == 0 && c->n >= TM_JW_ITEMS_PAR && tm_jobs() > 1) {
		struct timespec ms = {0, 1000000};
		for (int t = 0; t < 2000 && !atomic_load(&c->elsewhere); t++)
			nanosleep(&ms, NULL);
		atomic_store(&c->waited_out, !atomic_load(&c->elsewhere));
	}
	if (i < c->quiet_below || i % c->every)
		return;
	char key[32];
	snprintf(key, sizeof(key), "k%zu", i);
	if (c->keyed)
		tm_jw_key(w, key);
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "name", key);
	tm_jw_key(w, "list");
	tm_jw_begin_arr(w);
	tm_jw_items(w, i % 600 == 599 ? TM_JW_ITEMS_PAR + 44 : i % 40, sub_item, NULL);
	tm_jw_end_arr(w);
	tm_jw_end_obj(w);
}

/* The whole document around the items, through a sink (run appended whole or put) or into memory. */
static char *items_doc(struct items_case *c, bool by_items)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_sink sink = {to_strbuf, &sb};
	tm_out o;
	tm_out_init(&o, &sink);
	tm_jw w;
	tm_jw_init(&w, &o);
	tm_jw_begin_obj(&w);
	tm_jw_kstr(&w, "before", "x");
	tm_jw_key(&w, "items");
	c->keyed ? tm_jw_begin_obj(&w) : tm_jw_begin_arr(&w);
	c->caller = pthread_self();
	c->by_items = by_items;
	atomic_store(&c->elsewhere, false);
	atomic_store(&c->waited_out, false);
	if (by_items)
		tm_jw_items(&w, c->n, case_item, c);
	else
		for (size_t i = 0; i < c->n; i++)
			case_item(&w, i, c);
	/* one more after the items: the comma bookkeeping goes on right */
	if (c->keyed)
		tm_jw_kint(&w, "after", 1);
	else
		tm_jw_int(&w, 1);
	c->keyed ? tm_jw_end_obj(&w) : tm_jw_end_arr(&w);
	tm_jw_end_obj(&w);
	assert_int_equal(tm_out_finish(&o), 0);
	tm_strbuf_put(&sb, "", 0);
	return tm_strbuf_take(&sb);
}

static void jw_items_same_bytes(void **state)
{
	(void)state;
	setenv("TRUSTMAP_JOBS", "3", 1); /* more threads than this machine may have cores: runs interleave */
	static const struct {
		size_t n, quiet_below, every;
		bool keyed;
	} cases[] = {
		{0, 0, 1, false},      {1, 0, 1, false},        {TM_JW_ITEMS_PAR - 1, 0, 1, false},
		{TM_JW_ITEMS_PAR, 0, 1, false}, {5000, 0, 1, false}, {5000, 3000, 1, false},
		{5000, 0, 7, false},   {5000, 5000, 1, false},  {20000, 100, 3, true},
		{3000, 0, 1, true},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct items_case c = {.n = cases[k].n, .quiet_below = cases[k].quiet_below,
				       .every = cases[k].every, .keyed = cases[k].keyed};
		char *one_by_one = items_doc(&c, false);
		char *by_items = items_doc(&c, true);
		if (strcmp(one_by_one, by_items) != 0)
			fail_msg("case %zu (%zu items): tm_jw_items wrote other bytes", k, c.n);
		if (c.n >= TM_JW_ITEMS_PAR && (!atomic_load(&c.elsewhere) || atomic_load(&c.waited_out)))
			fail_msg("case %zu (%zu items): no item was written on another thread", k, c.n);
		tm_free(one_by_one);
		tm_free(by_items);
	}
	unsetenv("TRUSTMAP_JOBS");
}

/* tm_report_escape: the escapers for callers outside the writers (the CLI). */
static void escape_for_callers(void **state)
{
	(void)state;
	static const struct {
		const char *format, *in, *out;
	} cases[] = {
		{"json", "a\"\xff\xc2\x9b\x7f", "\"a\\\"" FFFD "\\u009b\\u007f\""},
		{"json", NULL, "null"},
		{"text", "r\x1b[2J\xc2\x9b\xff\xe2\x80\xae", "r\\x1b[2J\\u009b" FFFD "\\u202e"},
		{"text", NULL, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_sink sink = {to_strbuf, &sb};
		assert_int_equal(tm_report_escape(cases[i].format, cases[i].in, &sink), 0);
		tm_strbuf_put(&sb, "", 0);
		assert_string_equal(sb.data, cases[i].out);
		tm_strbuf_dispose(&sb);
	}
	tm_sink none = {to_strbuf, NULL};
	assert_int_equal(tm_report_escape("md", "x", &none), TM_EUSAGE);
}

static void unknown_format_is_a_usage_error(void **state)
{
	(void)state;
	tm_sink sink = {to_strbuf, NULL};
	tm_report_ctx ctx = {NULL, 0, false, NULL};
	assert_int_equal(tm_report_write("xml", &ctx, &sink), TM_EUSAGE);
	const char *const *f = tm_report_formats();
	assert_string_equal(f[0], "json");
	assert_non_null(tm_report_format_summary("md"));
	assert_null(tm_report_format_summary("xml"));
}

/* ---- the table emitter (table.c) ---------------------------------------------------------- */

typedef void (*table_fn)(tm_table *t);

static char *run_table(const tm_table_spec *spec, table_fn fn)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_sink sink = {to_strbuf, &sb};
	tm_out o;
	tm_out_init(&o, &sink);
	tm_table t;
	tm_table_begin(&t, &o, spec);
	fn(&t);
	tm_table_end(&t);
	assert_int_equal(tm_out_finish(&o), 0);
	tm_strbuf_put(&sb, "", 0);
	return tm_strbuf_take(&sb);
}

/* Hostile cells: pipes, newlines, backticks, markup, controls, bytes that are not UTF-8. */
static void hostile_rows(tm_table *t)
{
	tm_table_text(t, "x|y\nz");
	tm_table_code(t, "a`b|c\n");
	tm_table_int(t, 42);
	tm_table_end_row(t);
	tm_table_text(t, "<script>alert(1)</script>");
	tm_table_text(t, NULL);
	tm_table_empty(t);
	tm_table_end_row(t);
	tm_table_text(t, "bad\xff\x1b[2J");
	tm_table_raw(t, "**ok**");
	tm_table_numf(t, "%.0f%%", 12.4);
	tm_table_end_row(t);
	tm_table_empty(t);
	tm_out *c = tm_table_cell(t);
	tm_esc_md_code(c, "p");
	tm_out_puts(c, ", ");
	tm_esc_md_code(c, "q");
	tm_table_code(t, NULL);
	tm_table_end_row(t);
}

static void table_markdown(void **state)
{
	(void)state;
	static const tm_table_col cols[] = {{"a", NULL}, {"b `x`", "data-sort=\"b\""}, {"", NULL}};
	char *got = run_table(&(tm_table_spec){TM_TABLE_MD, cols, 3, "class=\"ignored\"", TM_TABLE_HTML_LINES},
			      hostile_rows);
	assert_string_equal(got, "| a | b `x` | |\n|---|---|---|\n"
				 "| x\\|y z | ``a`b\\|c `` | 42 |\n"
				 "| &lt;script&gt;alert(1)&lt;/script&gt; | - | |\n"
				 "| bad" FFFD "\\\\x1b\\[2J | **ok** | 12% |\n"
				 "| | `p`, `q` | - |\n");
	tm_free(got);
}

static void html_rows(tm_table *t)
{
	tm_out *o = tm_table_row(t, "class=\"r\"");
	tm_out_puts(o, " data-v=\"");
	tm_esc_html(o, "\"><script>");
	tm_out_puts(o, "\"");
	tm_table_int(t, 1);
	tm_table_text(t, "<script>alert('x')</script>`\x01\xff");
	tm_table_end_row(t);
	tm_table_code(t, "a<b");
	tm_table_text(t, "line\nbreak");
	tm_table_end_row(t);
	tm_out_puts(tm_table_span(t), "note <b>trusted</b>");
	tm_table_end_row(t);
	tm_table_row(t, "hidden");
	tm_table_raw(t, NULL);
	tm_table_text(t, NULL);
	/* the row ends with the table */
}

static void no_rows(tm_table *t)
{
	(void)t;
}

static void table_html(void **state)
{
	(void)state;
	static const tm_table_col cols[] = {{"#", "data-sort=\"rank\""}, {"Name", NULL}};
	char *got = run_table(&(tm_table_spec){TM_TABLE_HTML, cols, 2, "class=\"t\" id=\"x\"", TM_TABLE_HTML_LINES},
			      html_rows);
	assert_string_equal(got, "<table class=\"t\" id=\"x\">\n<thead><tr><th data-sort=\"rank\">#</th><th>Name</th></tr>"
				 "</thead>\n<tbody>\n"
				 "<tr class=\"r\" data-v=\"&quot;&gt;&lt;script&gt;\"><td>1</td><td>&lt;script&gt;alert("
				 "&#39;x&#39;)&lt;/script&gt;&#96;" FFFD FFFD "</td></tr>\n"
				 "<tr><td><code>a&lt;b</code></td><td>line\nbreak</td></tr>\n"
				 "<tr><td colspan=\"2\">note <b>trusted</b></td></tr>\n"
				 "<tr hidden><td></td><td>-</td></tr>\n"
				 "</tbody></table>");
	tm_free(got);
	static const tm_table_col one[] = {{"A", NULL}};
	got = run_table(&(tm_table_spec){TM_TABLE_HTML, one, 1, NULL, 0}, no_rows);
	assert_string_equal(got, "<table><thead><tr><th>A</th></tr></thead><tbody>\n</tbody></table>");
	tm_free(got);
}

static void term_rows(tm_table *t)
{
	tm_out_puts(tm_table_row(t, "class=\"dropped\""), " data-x=\"dropped\"");
	tm_table_text(t, "alpha");
	tm_table_int(t, 5);
	tm_table_text(t, "x\xff");
	tm_table_end_row(t);
	tm_table_text(t, "b\x1b[31m");
	tm_table_int(t, 123);
	tm_table_text(t, NULL);
	tm_table_end_row(t);
	tm_table_text(t, "\xc3\xa9|`<>");
	tm_table_numf(t, "%d", 7);
	tm_table_empty(t);
	tm_table_end_row(t);
	tm_esc_term(tm_table_span(t), "p\xe2\x80\xae <b>");
	tm_table_end_row(t);
}

static void table_terminal(void **state)
{
	(void)state;
	static const tm_table_col cols[] = {{"name", NULL}, {"n", NULL}, {"note", NULL}};
	char *got = run_table(&(tm_table_spec){TM_TABLE_TERM, cols, 3, NULL, 0}, term_rows);
	/* padded to the widest cell (code points), numbers right-aligned, no trailing spaces */
	assert_string_equal(got, "name         n  note\n"
				 "---------  ---  ----\n"
				 "alpha        5  x" FFFD "\n"
				 "b\\x1b[31m  123  -\n"
				 "\xc3\xa9|`<>        7\n"
				 "p\\u202e <b>\n");
	tm_free(got);
	got = run_table(&(tm_table_spec){TM_TABLE_TERM, cols, 3, NULL, 0}, no_rows);
	assert_string_equal(got, "name  n  note\n----  -  ----\n");
	tm_free(got);
}

/* Many cells: the terminal table's buffers grow (and the out flushes) without losing a byte. */
static void wide_rows(tm_table *t)
{
	for (int i = 0; i < 3000; i++) {
		tm_table_int(t, i);
		tm_table_text(t, "cell with some text in it to pass the flush size of the out");
		tm_table_end_row(t);
	}
}

static void table_terminal_grows(void **state)
{
	(void)state;
	static const tm_table_col cols[] = {{"i", NULL}, {"text", NULL}};
	char *got = run_table(&(tm_table_spec){TM_TABLE_TERM, cols, 2, NULL, 0}, wide_rows);
	assert_true(strncmp(got, "   i  text\n----  ----", 21) == 0);
	assert_non_null(strstr(got, "\n   0  cell with some text in it to pass the flush size of the out\n"));
	assert_non_null(strstr(got, "\n2999  cell with some text in it to pass the flush size of the out\n"));
	size_t lines = 0;
	for (const char *p = got; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 3002);
	tm_free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_escaping),
		cmocka_unit_test(jw_items_same_bytes),
		cmocka_unit_test(markdown_escaping),
		cmocka_unit_test(csv_escaping),
		cmocka_unit_test(markdown_code_spans),
		cmocka_unit_test(markdown_rule_text),
		cmocka_unit_test(terminal_escaping),
		cmocka_unit_test(html_escaping),
		cmocka_unit_test(uri_escaping),
		cmocka_unit_test(every_escaper_emits_utf8),
		cmocka_unit_test(json_emitter_layout),
		cmocka_unit_test(escape_for_callers),
		cmocka_unit_test(unknown_format_is_a_usage_error),
		cmocka_unit_test(table_markdown),
		cmocka_unit_test(table_html),
		cmocka_unit_test(table_terminal),
		cmocka_unit_test(table_terminal_grows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
