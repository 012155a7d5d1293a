/* cmd_scan.c - trustmap scan [PATH...] [--format FMT] [-o FILE] [--fail-on SEV] [--store URL | --no-store] */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "trustmap/findings.h"
#include "trustmap/report.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: trustmap scan [PATH...] [--format FMT] [-o FILE] [--fail-on SEV] [--store URL]\n\n"
		"Build the model of the system in PATH (default .; several paths are one system),\n"
		"write its report, and record the run in the risk register.\n\n"
		"  -f, --format FMT   summary (default on a terminal), md (default otherwise), json, sarif,\n"
		"                     html, otm, dot, svg, mermaid\n"
		"  -o, --output FILE  write the report to FILE instead of stdout\n"
		"      --fail-on SEV  exit 1 if an open finding at or above SEV exists\n"
		"                     (critical, high, medium, low); an accepted risk past its\n"
		"                     expiry is open again\n"
		"      --store URL    the register: sqlite:PATH or postgresql://... (default\n"
		"                     .trustmap/trustmap.db under PATH; $TRUSTMAP_STORE)\n"
		"      --no-store     do not read or record the register\n"
		"      --focus NODE   diagrams: only NODE's neighbourhood (a node id, e.g. service:shop/orders)\n"
		"      --depth N      diagrams: hops around --focus (default 2)\n"
		"      --detail D     diagrams: services (default; endpoints folded into their service),\n"
		"                     endpoints, all (identities and secrets too)\n"
		"      --highlight FP diagrams: draw finding FP's path (its fingerprint) in blue\n"
		"  -h, --help         show this help\n");
}

static bool valid_severity(const char *s)
{
	static const char *const sev[] = {"critical", "high", "medium", "low"};
	for (size_t i = 0; i < sizeof(sev) / sizeof(sev[0]); i++)
		if (strcmp(s, sev[i]) == 0)
			return true;
	return false;
}

/* "json, md, ..." from the writers' table. */
const char *tm_cli_format_list(void)
{
	static char list[256];
	if (!list[0])
		for (const char *const *n = tm_report_formats(); *n; n++) {
			size_t used = strlen(list);
			snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", *n);
		}
	return list;
}

static bool valid_format(const char *f)
{
	for (const char *const *n = tm_report_formats(); *n; n++)
		if (strcmp(*n, f) == 0)
			return true;
	return false;
}

int tm_cmd_scan(int argc, char **argv)
{
	const char *format = NULL, *output = NULL, *fail_on = NULL, *store_url = NULL;
	const char *focus = NULL, *depth = NULL, *detail = NULL, *highlight = NULL;
	bool no_store = false;
	tm_cli_store cs = {0};
	const char **roots = calloc((size_t)argc + 1, sizeof(char *));
	size_t nroots = 0;
	int rc = TM_EXIT_OK;
	tm_analysis *an = NULL;
	FILE *out = NULL;
	if (!roots)
		return TM_EXIT_INPUT;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			goto done;
		} else if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
			slot = &format;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			slot = &output;
		} else if (strcmp(a, "--fail-on") == 0) {
			slot = &fail_on;
		} else if (strcmp(a, "--store") == 0) {
			slot = &store_url;
		} else if (strcmp(a, "--focus") == 0) {
			slot = &focus;
		} else if (strcmp(a, "--depth") == 0) {
			slot = &depth;
		} else if (strcmp(a, "--detail") == 0) {
			slot = &detail;
		} else if (strcmp(a, "--highlight") == 0) {
			slot = &highlight;
		} else if (strncmp(a, "--store=", 8) == 0) {
			store_url = a + 8;
		} else if (strcmp(a, "--no-store") == 0) {
			no_store = true;
		} else if (strncmp(a, "--format=", 9) == 0) {
			format = a + 9;
		} else if (strncmp(a, "--fail-on=", 10) == 0) {
			fail_on = a + 10;
		} else if (strcmp(a, "--") == 0) {
			while (++i < argc)
				roots[nroots++] = argv[i];
		} else if (a[0] == '-' && a[1]) {
			rc = tm_cli_usage_error("scan: unknown option '%s' (see 'trustmap scan --help')", a);
			goto done;
		} else {
			roots[nroots++] = a;
		}
		if (slot) {
			if (i + 1 >= argc) {
				rc = tm_cli_usage_error("scan: %s needs a value", a);
				goto done;
			}
			*slot = argv[++i];
		}
	}
	if (format && !valid_format(format)) {
		rc = tm_cli_usage_error("scan: unknown format '%s' (available: %s)", format, tm_cli_format_list());
		goto done;
	}
	tm_diagram_opts dopts = {focus, 0, detail, NULL};
	if (depth) {
		char *end = NULL;
		long v = strtol(depth, &end, 10);
		if (!end || *end || end == depth || v < 1 || v > 20) {
			rc = tm_cli_usage_error("scan: --depth takes 1 to 20 hops, not '%s'", depth);
			goto done;
		}
		dopts.depth = (int)v;
	}
	if (detail && strcmp(detail, "services") != 0 && strcmp(detail, "endpoints") != 0 && strcmp(detail, "all") != 0) {
		rc = tm_cli_usage_error("scan: --detail takes services, endpoints or all, not '%s'", detail);
		goto done;
	}
	if (fail_on && !valid_severity(fail_on)) {
		rc = tm_cli_usage_error("scan: --fail-on takes critical, high, medium or low, not '%s'",
					fail_on);
		goto done;
	}
	if (store_url && no_store) {
		rc = tm_cli_usage_error("scan: --store and --no-store exclude each other");
		goto done;
	}
	if (!nroots)
		roots[nroots++] = ".";
	if (!format)
		format = !output && isatty(fileno(stdout)) ? "summary" : "md";

	rc = tm_cli_analysis(&an, roots, nroots, NULL, false);
	if (rc)
		goto done;

	out = output ? fopen(output, "wb") : stdout;
	if (!out) {
		fprintf(stderr, "trustmap: cannot write %s: %s\n", output, strerror(errno));
		rc = TM_EXIT_INPUT;
		goto done;
	}
	tm_cli_store_opts so = {store_url, no_store, roots, nroots, true};
	if ((rc = tm_cli_store_open(&cs, &so)) || (rc = tm_cli_store_settle(&cs, an)))
		goto done;
	if (focus && !tm_model_find(tm_analysis_model(an), focus)) {
		rc = tm_cli_usage_error("scan: --focus '%s' is not a node of the model (ids as in --format json: "
					"service:NS/NAME, gateway:..., endpoint:...)", focus);
		goto done;
	}
	if (highlight) {
		const tm_finding *hf = tm_analysis_finding(an, highlight);
		if (!hf) {
			rc = tm_cli_usage_error("scan: --highlight '%s' is not the fingerprint of a finding of this scan", highlight);
			goto done;
		}
		static const char *one[2];
		one[0] = hf->subject;
		dopts.highlight = hf->path && hf->path[0] ? hf->path : one;
	}
	const tm_analysis *systems[] = {an};
	tm_report_ctx ctx = {systems, 1, strcmp(format, "summary") == 0 && !output && tm_cli_color(stdout), &dopts};
	tm_sink sink = tm_sink_file(out);
	int wrc = tm_report_write(format, &ctx, &sink);
	if (fflush(out) != 0 || wrc) {
		fprintf(stderr, "trustmap: cannot write the report: %s\n",
			wrc ? tm_strerror(wrc) : strerror(errno));
		rc = TM_EXIT_INPUT;
		goto done;
	}
	if ((rc = tm_cli_store_record(&cs, "scan", an, false)))
		goto done;
	tm_cli_note_expired(tm_analysis_findings(an));
	/* The gate: open findings (not accepted, or accepted past their expiry) at or above --fail-on. */
	if (fail_on && tm_cli_gate(tm_analysis_findings(an), NULL, 0, (tm_severity)tm_severity_parse(fail_on), fail_on))
		rc = TM_EXIT_GATE;
done:
	tm_cli_store_close(&cs);
	if (out && out != stdout)
		fclose(out);
	tm_analysis_free(an);
	free(roots);
	return rc;
}
