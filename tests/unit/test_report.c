/* test_report.c - escaping in every writer, and the writer table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "report/report.h"

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
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = run(tm_esc_md_code, cases[i].in);
		assert_string_equal(got, cases[i].out);
		tm_free(got);
	}
}

static void terminal_escaping(void **state)
{
	(void)state;
	char *got = run(tm_esc_term, "red\x1b[31m bell\x07 csi\xc2\x9b ok\xc3\xa9");
	assert_string_equal(got, "red\\x1b[31m bell\\x07 csi\\u009b ok\xc3\xa9");
	tm_free(got);
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

static void unknown_format_is_a_usage_error(void **state)
{
	(void)state;
	tm_sink sink = {to_strbuf, NULL};
	tm_report_ctx ctx = {NULL, NULL, false, NULL, NULL, NULL, NULL};
	assert_int_equal(tm_report_write("xml", &ctx, &sink), TM_EUSAGE);
	const char *const *f = tm_report_formats();
	assert_string_equal(f[0], "json");
	assert_non_null(tm_report_format_summary("md"));
	assert_null(tm_report_format_summary("xml"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_escaping),
		cmocka_unit_test(markdown_escaping),
		cmocka_unit_test(csv_escaping),
		cmocka_unit_test(markdown_code_spans),
		cmocka_unit_test(terminal_escaping),
		cmocka_unit_test(json_emitter_layout),
		cmocka_unit_test(unknown_format_is_a_usage_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
