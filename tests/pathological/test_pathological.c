/*
 * test_pathological.c - hostile inputs generated in memory. Each must end quickly
 * with a result or a clear diagnostic, never a crash or a hang. Time bounds are
 * ctest's TIMEOUT, not assertions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "trustmap/doc.h"
#include "util/util.h"

static int parse_buf(const char *buf, size_t len, tm_file **f, tm_diag_list *d)
{
	tm_diag_list_init(d);
	*f = NULL;
	return tm_file_parse(f, "p.yaml", buf, len, NULL, d);
}

static bool has_msg(const tm_diag_list *d, const char *needle)
{
	for (size_t i = 0; i < d->count; i++)
		if (strstr(d->items[i].msg, needle))
			return true;
	return false;
}

static void deep_flow_nesting(void **state)
{
	(void)state;
	size_t n = 100000;
	char *buf = malloc(2 * n + 1);
	memset(buf, '[', n);
	memset(buf + n, ']', n);
	buf[2 * n] = '\0';
	tm_file *f;
	tm_diag_list d;
	/* one 200 KB line: JSON through jansson */
	assert_int_equal(parse_buf(buf, 2 * n, &f, &d), TM_ELIMIT);
	assert_true(has_msg(&d, "depth"));
	tm_diag_list_dispose(&d);
	/* short lines: YAML flow through libfyaml */
	for (size_t i = 80; i < 2 * n; i += 80)
		buf[i] = '\n';
	assert_int_equal(parse_buf(buf, 2 * n, &f, &d), TM_ELIMIT);
	assert_true(has_msg(&d, "nesting deeper than 256 levels"));
	tm_diag_list_dispose(&d);
	free(buf);
}

static void deep_block_nesting(void **state)
{
	(void)state;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < 5000; i++) {
		for (int k = 0; k < i; k++)
			tm_strbuf_putc(&sb, ' ');
		tm_strbuf_puts(&sb, "a:\n");
	}
	tm_file *f;
	tm_diag_list d;
	assert_int_equal(parse_buf(sb.data, sb.len, &f, &d), TM_ELIMIT);
	assert_true(has_msg(&d, "nesting deeper"));
	tm_diag_list_dispose(&d);
	tm_strbuf_dispose(&sb);
}

static void billion_laughs(void **state)
{
	(void)state;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (char c = 'b'; c <= 'k'; c++) {
		tm_strbuf_printf(&sb, "%c: &%c [", c, c);
		for (int i = 0; i < 10; i++)
			tm_strbuf_printf(&sb, "%s*%c", i ? "," : "", c - 1);
		tm_strbuf_puts(&sb, "]\n");
	}
	tm_file *f;
	tm_diag_list d;
	assert_int_equal(parse_buf(sb.data, sb.len, &f, &d), TM_ELIMIT);
	assert_true(has_msg(&d, "billion laughs"));
	tm_diag_list_dispose(&d);
	tm_strbuf_dispose(&sb);
}

static void huge_scalar(void **state)
{
	(void)state;
	size_t n = 20u << 20;
	char *buf = malloc(n + 16);
	memcpy(buf, "k: ", 3);
	memset(buf + 3, 'x', n);
	buf[n + 3] = '\n';
	tm_file *f;
	tm_diag_list d;
	assert_int_equal(parse_buf(buf, n + 4, &f, &d), TM_ELIMIT);
	assert_true(has_msg(&d, "scalar longer than"));
	tm_diag_list_dispose(&d);
	free(buf);
}

static void ten_thousand_documents(void **state)
{
	(void)state;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < 10000; i++)
		tm_strbuf_printf(&sb, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-%d}\n", i);
	tm_file *f;
	tm_diag_list d;
	assert_int_equal(parse_buf(sb.data, sb.len, &f, &d), 0);
	assert_int_equal(tm_file_doc_count(f), 10000);
	assert_string_equal(tm_map_get_str(tm_map_get(tm_file_doc(f, 9999), "metadata"), "name"), "cm-9999");
	assert_int_equal(tm_value_line(tm_file_doc(f, 9999)), 4 * 9999 + 2);
	tm_file_free(f);
	tm_diag_list_dispose(&d);
	tm_strbuf_dispose(&sb);
}

static void wide_map_with_late_duplicate(void **state)
{
	(void)state;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < 50000; i++)
		tm_strbuf_printf(&sb, "key%d: %d\n", i, i);
	tm_strbuf_puts(&sb, "key7: late\n");
	tm_file *f;
	tm_diag_list d;
	assert_int_equal(parse_buf(sb.data, sb.len, &f, &d), 0);
	assert_int_equal(tm_value_len(tm_file_doc(f, 0)), 50000);
	assert_int_equal(d.count, 1);
	assert_int_equal(d.items[0].loc.line, 50001);
	assert_true(has_msg(&d, "duplicate key 'key7' (first at line 8)"));
	tm_file_free(f);
	tm_diag_list_dispose(&d);
	tm_strbuf_dispose(&sb);
}

static void long_single_line_json(void **state)
{
	(void)state;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, "{\"resource_changes\": [");
	for (int i = 0; i < 60000; i++)
		tm_strbuf_printf(&sb, "%s{\"address\": \"aws_s3_bucket.b%d\", \"n\": %d}", i ? "," : "", i, i);
	tm_strbuf_puts(&sb, "]}");
	assert_true(sb.len > (2u << 20));
	tm_file *f;
	tm_diag_list d;
	assert_int_equal(parse_buf(sb.data, sb.len, &f, &d), 0);
	assert_false(tm_file_has_positions(f));
	const tm_value *last = tm_seq_at(tm_map_get(tm_file_doc(f, 0), "resource_changes"), 59999);
	assert_string_equal(tm_map_get_str(last, "address"), "aws_s3_bucket.b59999");
	assert_string_equal(tm_value_loc(f, last).pointer, "/resource_changes/59999");
	tm_file_free(f);
	tm_diag_list_dispose(&d);
	tm_strbuf_dispose(&sb);
}

static void random_bytes(void **state)
{
	(void)state;
	uint64_t x = 0x9E3779B97F4A7C15ull;
	static const char alphabet[] = "{}[]:,-? &*!|>'\"#%@`\n\n  \tabc019.~<<\xc3\xa9\xff\x00";
	char buf[4096];
	for (int iter = 0; iter < 400; iter++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* half the runs draw from YAML's punctuation, half are raw bytes */
			buf[i] = iter % 2 ? (char)(x & 0xff) : alphabet[x % (sizeof(alphabet) - 1)];
		}
		tm_file *f;
		tm_diag_list d;
		int rc = parse_buf(buf, sizeof(buf), &f, &d);
		assert_true(rc <= 0);
		if (rc == 0)
			tm_file_free(f);
		tm_diag_list_dispose(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deep_flow_nesting),
		cmocka_unit_test(deep_block_nesting),
		cmocka_unit_test(billion_laughs),
		cmocka_unit_test(huge_scalar),
		cmocka_unit_test(ten_thousand_documents),
		cmocka_unit_test(wide_map_with_late_duplicate),
		cmocka_unit_test(long_single_line_json),
		cmocka_unit_test(random_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
