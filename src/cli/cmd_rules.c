/*
 * cmd_rules.c - trustmap rules [--format text|json|md] and trustmap explain RULE_ID:
 * the rule library, from the registry.
 */
#include <string.h>

#include "cli.h"
#include "trustmap/findings.h"

static void stride_list(FILE *fp, unsigned stride, const char *sep, bool quoted)
{
	bool first = true;
	for (unsigned b = 0; b < 6; b++)
		if (stride & (1u << b)) {
			fprintf(fp, "%s%s%s%s", first ? "" : sep, quoted ? "\"" : "", tm_stride_name(b), quoted ? "\"" : "");
			first = false;
		}
}

/* JSON string: the registry's texts are ours, but escape anyway. */
static void jstr(FILE *fp, const char *s)
{
	if (!s) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

/* One rule as a Markdown page (docs/rules/<id>.md is exactly this). */
static void page(FILE *fp, const tm_rule_info *r)
{
	fprintf(fp, "# %s: %s\n\n", r->id, r->title);
	fprintf(fp, "| | |\n|---|---|\n| severity (default) | %s |\n| STRIDE | ", tm_severity_name(r->severity));
	stride_list(fp, r->stride, ", ", false);
	fprintf(fp, " |\n| layer | %s |\n| OWASP API Top 10 (2023) | %s |\n| CWE | %s |\n| action | %s |\n\n",
		r->layer, r->owasp ? r->owasp : "-", r->cwe ? r->cwe : "-", tm_action_name(r->action));
	fprintf(fp, "## What\n\n%s\n\n## Why it matters\n\n%s\n\n## How to fix\n\n%s\n\n## How to detect\n\n%s\n", r->what,
		r->why, r->fix, r->detect);
}

int tm_cmd_rules(int argc, char **argv)
{
	const char *format = "text";
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("usage: trustmap rules [--format text|json|md]\n\nList the rule library.\n");
			return TM_EXIT_OK;
		} else if ((strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--format") == 0) && i + 1 < argc) {
			format = argv[++i];
		} else {
			return tm_cli_usage_error("rules: unknown argument '%s' (see 'trustmap rules --help')", argv[i]);
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 && strcmp(format, "md") != 0)
		return tm_cli_usage_error("rules: unknown format '%s' (text, json or md)", format);
	size_t n = tm_rule_count();
	if (strcmp(format, "json") == 0) {
		printf("{\n  \"rules\": [");
		for (size_t i = 0; i < n; i++) {
			const tm_rule_info *r = tm_rule_at(i);
			printf("%s\n    {\"id\": ", i ? "," : "");
			jstr(stdout, r->id);
			printf(", \"title\": ");
			jstr(stdout, r->title);
			printf(", \"severity\": \"%s\", \"stride\": [", tm_severity_name(r->severity));
			stride_list(stdout, r->stride, ", ", true);
			printf("], \"layer\": ");
			jstr(stdout, r->layer);
			printf(", \"owasp_api\": ");
			jstr(stdout, r->owasp);
			printf(", \"cwe\": ");
			jstr(stdout, r->cwe);
			printf(", \"action\": \"%s\", \"what\": ", tm_action_name(r->action));
			jstr(stdout, r->what);
			printf(", \"why\": ");
			jstr(stdout, r->why);
			printf(", \"fix\": ");
			jstr(stdout, r->fix);
			printf(", \"detect\": ");
			jstr(stdout, r->detect);
			printf("}");
		}
		printf("\n  ]\n}\n");
	} else if (strcmp(format, "md") == 0) {
		printf("| rule | title | severity | layer | OWASP | CWE |\n|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < n; i++) {
			const tm_rule_info *r = tm_rule_at(i);
			printf("| [%s](%s.md) | %s | %s | %s | %s | %s |\n", r->id, r->id, r->title,
			       tm_severity_name(r->severity), r->layer, r->owasp ? r->owasp : "-", r->cwe ? r->cwe : "-");
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			const tm_rule_info *r = tm_rule_at(i);
			printf("%-12s %-8s %-18s %s\n", r->id, tm_severity_name(r->severity), r->layer, r->title);
		}
	}
	return fflush(stdout) ? TM_EXIT_INPUT : TM_EXIT_OK;
}

int tm_cmd_explain(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
			printf("usage: trustmap explain RULE_ID\n\nWhat the rule finds, why it matters, how to fix and "
			       "detect it.\n");
			return TM_EXIT_OK;
		}
		return tm_cli_usage_error("explain: usage: trustmap explain RULE_ID (see 'trustmap rules')");
	}
	const tm_rule_info *r = tm_rule_find(argv[1]);
	if (!r)
		return tm_cli_usage_error("explain: no rule '%s' (see 'trustmap rules')", argv[1]);
	page(stdout, r);
	return fflush(stdout) ? TM_EXIT_INPUT : TM_EXIT_OK;
}
