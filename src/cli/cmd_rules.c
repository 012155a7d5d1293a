/*
 * cmd_rules.c - trustmap rules [--format text|json|md] and trustmap explain RULE_ID:
 * the rule library, from the registry.
 */
#include <string.h>

#include "cli.h"
#include "opts.h"
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
	const tm_rule_platform *c = tm_rule_compose(r);
	if (!c)
		return;
	fprintf(fp, "\n## In a docker-compose project\n\nA finding on a compose service, data store or secret says this instead.\n");
	if (c->fix)
		fprintf(fp, "\nHow to fix: %s\n", c->fix);
	if (c->snippet)
		fprintf(fp, "\n```yaml\n%s```\n", c->snippet);
	if (c->detect)
		fprintf(fp, "\nHow to detect: %s\n", c->detect);
}

static void list_json(size_t n)
{
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
		const tm_rule_platform *c = tm_rule_compose(r);
		if (c) {
			printf(", \"compose\": {\"fix\": ");
			jstr(stdout, c->fix);
			printf(", \"snippet\": ");
			jstr(stdout, c->snippet);
			printf(", \"detect\": ");
			jstr(stdout, c->detect);
			printf("}");
		}
		printf("}");
	}
	printf("\n  ]\n}\n");
}

static void list_md(size_t n)
{
	printf("| rule | title | severity | layer | OWASP | CWE |\n|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		const tm_rule_info *r = tm_rule_at(i);
		printf("| [%s](%s.md) | %s | %s | %s | %s | %s |\n", r->id, r->id, r->title,
		       tm_severity_name(r->severity), r->layer, r->owasp ? r->owasp : "-", r->cwe ? r->cwe : "-");
	}
}

static void list_text(size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const tm_rule_info *r = tm_rule_at(i);
		printf("%-12s %-8s %-18s %s\n", r->id, tm_severity_name(r->severity), r->layer, r->title);
	}
}

/* The rule library's formats: written here from the registry, in the order of rule_formats[]. */
static const char *const rule_formats[] = {"text", "json", "md", NULL};
static void (*const rule_writers[])(size_t) = {list_text, list_json, list_md};

typedef struct {
	const char *format;
} rules_opts;

static const tm_opt rules_options[] = {
	{"--format", 'f', TM_OPT_CHOICE, TM_OPT_FIELD(rules_opts, format, const char *), "FMT",
	 "the list: text (default; one line per rule), json (every field), md (a table)", rule_formats,
	 TM_REPORT_SCAN, 0, 0},
	TM_OPT_IGNORE_STORE,
};

static const tm_cli_spec rules_spec = TM_CLI_SPEC("rules", "rules [options]", "List the rule library.",
						  rules_options, 0, NULL);

int tm_cmd_rules(int argc, char **argv)
{
	rules_opts o = {rule_formats[0]};
	tm_cli_list pos;
	int rc = tm_cli_parse(&rules_spec, argc, argv, &o, &pos);
	tm_cli_done(&rules_spec, &o, &pos);
	if (rc)
		return rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
	for (size_t i = 0; rule_formats[i]; i++)
		if (o.format == rule_formats[i])
			rule_writers[i](tm_rule_count());
	return fflush(stdout) ? TM_EXIT_INPUT : TM_EXIT_OK;
}

typedef struct {
	int unused;
} explain_opts;

static const tm_opt explain_options[] = {TM_OPT_IGNORE_STORE};

static const tm_cli_spec explain_spec = TM_CLI_SPEC("explain", "explain RULE_ID",
	"What the rule finds, why it matters, how to fix and detect it. RULE_ID in any case\n"
	"(TM-MESH-002 or tm-mesh-002); 'trustmap rules' lists them.",
	explain_options, 1, NULL);

int tm_cmd_explain(int argc, char **argv)
{
	explain_opts o = {0};
	tm_cli_list pos;
	int rc = tm_cli_parse(&explain_spec, argc, argv, &o, &pos);
	char *id = !rc && pos.n ? (char *)pos.items[0] : NULL;
	tm_cli_done(&explain_spec, &o, &pos);
	if (rc)
		return rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
	if (!id)
		return tm_cli_usage_error("explain: usage: trustmap explain RULE_ID (see 'trustmap rules')");
	const tm_rule_info *r = tm_rule_find(tm_cli_upper(id)); /* ids are uppercase: TM-MESH-002 */
	if (!r)
		return tm_cli_usage_error("explain: no rule '%s' (see 'trustmap rules')", id);
	page(stdout, r);
	return fflush(stdout) ? TM_EXIT_INPUT : TM_EXIT_OK;
}
