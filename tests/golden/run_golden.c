/*
 * run_golden.c - golden-file tests: produce output for a case, diff it with the
 * expected file. TM_UPDATE_GOLDEN=1 rewrites the expected files instead.
 *
 *   run_golden parse  CASE_DIR            CASE_DIR/input.* -> expected.txt (tree + diagnostics)
 *   run_golden report CASE_DIR [INPUT]    INPUT (default CASE_DIR/input) -> expected.json, expected.md
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trustmap/doc.h"
#include "trustmap/analysis.h"
#include "trustmap/report.h"
#include "trustmap/scan.h"
#include "util/util.h"

static const char *type_name(const tm_value *v)
{
	static const char *const names[] = {"str", "null", "bool", "int", "float"};
	return names[tm_scalar_type_of(v)];
}

static void dump(tm_strbuf *sb, const tm_file *f, const tm_value *v, int ind)
{
	if (!v) {
		tm_strbuf_printf(sb, "%*s(empty)\n", ind, "");
		return;
	}
	tm_loc l = tm_value_loc(f, v);
	if (l.pointer)
		tm_strbuf_printf(sb, "%*s#%s ", ind, "", l.pointer);
	else
		tm_strbuf_printf(sb, "%*s%u:%u ", ind, "", (unsigned)l.line, (unsigned)l.col);
	switch (tm_value_kind_of(v)) {
	case TM_VALUE_SCALAR:
		tm_strbuf_printf(sb, "%s%s \"", type_name(v), tm_scalar_quoted(v) ? " quoted" : "");
		for (const char *p = tm_scalar_str(v, NULL); *p; p++) {
			if (*p == '\n')
				tm_strbuf_puts(sb, "\\n");
			else if (*p == '"' || *p == '\\')
				tm_strbuf_printf(sb, "\\%c", *p);
			else
				tm_strbuf_putc(sb, *p);
		}
		tm_strbuf_puts(sb, "\"\n");
		break;
	case TM_VALUE_MAP:
		tm_strbuf_printf(sb, "map %zu\n", tm_value_len(v));
		for (size_t i = 0; i < tm_value_len(v); i++) {
			dump(sb, f, tm_map_key(v, i), ind + 2);
			dump(sb, f, tm_map_value(v, i), ind + 4);
		}
		break;
	case TM_VALUE_SEQ:
		tm_strbuf_printf(sb, "seq %zu\n", tm_value_len(v));
		for (size_t i = 0; i < tm_value_len(v); i++)
			dump(sb, f, tm_seq_at(v, i), ind + 2);
		break;
	}
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	tm_strbuf sb = TM_STRBUF_INIT;
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		tm_strbuf_put(&sb, buf, n);
	fclose(fp);
	if (!sb.data)
		tm_strbuf_put(&sb, "", 0);
	return tm_strbuf_take(&sb);
}

static int compare(const char *expected_path, const char *actual)
{
	if (getenv("TM_UPDATE_GOLDEN")) {
		FILE *fp = fopen(expected_path, "wb");
		if (!fp || fwrite(actual, 1, strlen(actual), fp) != strlen(actual)) {
			fprintf(stderr, "cannot write %s\n", expected_path);
			return 1;
		}
		fclose(fp);
		printf("updated %s\n", expected_path);
		return 0;
	}
	char *expected = slurp(expected_path);
	if (!expected) {
		fprintf(stderr, "missing %s (run with TM_UPDATE_GOLDEN=1 to create it)\n", expected_path);
		return 1;
	}
	int rc = 0;
	if (strcmp(expected, actual) != 0) {
		/* show the first differing line */
		const char *e = expected, *a = actual;
		unsigned line = 1;
		while (*e && *e == *a) {
			if (*e == '\n')
				line++;
			e++, a++;
		}
		while (e > expected && e[-1] != '\n')
			e--, a--;
		fprintf(stderr, "%s: output differs at line %u\n  expected: %.*s\n  actual:   %.*s\n",
			expected_path, line, (int)strcspn(e, "\n"), e, (int)strcspn(a, "\n"), a);
		rc = 1;
	}
	tm_free(expected);
	return rc;
}

static int golden_parse(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 1;
	char input[4096] = "";
	const char *name = NULL;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "input.", 6) == 0) {
			snprintf(input, sizeof(input), "%s/%s", dir, de->d_name);
			name = de->d_name;
			break;
		}
	if (!name) {
		closedir(d);
		fprintf(stderr, "%s: no input.* file\n", dir);
		return 1;
	}
	tm_diag_list diags;
	tm_diag_list_init(&diags);
	tm_file *f = NULL;
	int rc = tm_file_load(&f, input, name, NULL, &diags);
	closedir(d);
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_printf(&sb, "result: %s\n", rc ? tm_strerror(rc) : "ok");
	for (size_t i = 0; f && i < tm_file_doc_count(f); i++) {
		tm_strbuf_printf(&sb, "--- document %zu\n", i + 1);
		dump(&sb, f, tm_file_doc(f, i), 0);
	}
	for (size_t i = 0; i < diags.count; i++) {
		const tm_diag *g = &diags.items[i];
		tm_strbuf_printf(&sb, "%s:%u:%u: %s: %s\n", g->loc.path, (unsigned)g->loc.line,
				 (unsigned)g->loc.col, tm_level_name(g->level), g->msg);
	}
	char expected[4200];
	snprintf(expected, sizeof(expected), "%s/expected.txt", dir);
	rc = compare(expected, sb.data);
	tm_strbuf_dispose(&sb);
	tm_file_free(f);
	tm_diag_list_dispose(&diags);
	return rc;
}

static int buf_write(void *ud, const char *data, size_t len)
{
	tm_strbuf_put(ud, data, len);
	return 0;
}

static int golden_report(const char *dir, const char *input)
{
	/* roots relative to the case directory (ctest runs there): the JSON report names them */
	if (!input)
		input = "input";
	const char *roots[] = {input};
	tm_analysis_opts opts = {.roots = roots, .nroots = 1, .name = "golden"};
	tm_limits_default(&opts.limits);
	tm_analysis *an = NULL;
	if (tm_analysis_run(&an, &opts) != 0 || !an) {
		fprintf(stderr, "analysis of %s failed\n", input);
		tm_analysis_free(an);
		return 1;
	}
	int rc = 0;
	const tm_analysis *systems[] = {an};
	/* every writer whose output does not depend on a library's version (svg: Graphviz's layout) */
	static const char *const formats[][2] = {{"json", "expected.json"}, {"md", "expected.md"},
						 {"dot", "expected.dot"}, {"mermaid", "expected.mermaid"},
						 {"sarif", "expected.sarif"},
						 {"otm", "expected.otm.json"}};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_sink sink = {buf_write, &sb};
		tm_report_ctx ctx = {systems, 1, false, NULL};
		if (tm_report_write(formats[i][0], &ctx, &sink) != 0)
			rc = 1;
		char path[4300];
		snprintf(path, sizeof(path), "%s/%s", dir, formats[i][1]);
		/* the newer writers' goldens exist where a case was given them; json and md everywhere */
		if (i < 2 || access(path, F_OK) == 0 || getenv("TM_UPDATE_GOLDEN"))
			rc |= compare(path, sb.data ? sb.data : "");
		tm_strbuf_dispose(&sb);
	}
	tm_analysis_free(an);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "parse") == 0)
		return golden_parse(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "report") == 0)
		return golden_report(argv[2], argc > 3 ? argv[3] : NULL);
	fprintf(stderr, "usage: run_golden parse|report CASE_DIR [INPUT]\n");
	return 2;
}
