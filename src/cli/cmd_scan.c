/* cmd_scan.c - trustmap scan [PATH...] [--format FMT] [-o FILE] [--fail-on SEV] [--store URL | --no-store]
 * (options: the table below) */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"
#include "trustmap/findings.h"
#include "trustmap/report.h"

typedef struct {
	const char *format, *output, *fail_on, *min_severity, *store, *focus, *detail, *highlight;
	long depth;
	bool no_store, quiet;
	tm_cli_walk walk;
} scan_opts;

static const char *const details[] = {"services", "endpoints", "all", NULL};

static const tm_opt options[] = {
	TM_OPT_FMT(scan_opts, format, TM_REPORT_SCAN, "the report (default: summary on a terminal, md otherwise):"),
	TM_OPT_WALK(scan_opts, walk),
	TM_OPT_STR(scan_opts, "--output", 'o', output, "FILE", "write the report to FILE instead of stdout"),
	TM_OPT_ONE_OF(scan_opts, "--fail-on", fail_on, "SEV",
		      tm_cli_severities, "exit 1 if an open finding at or above SEV exists; an accepted\n"
					 "risk past its expiry is open again"),
	TM_OPT_ONE_OF(scan_opts, "--min-severity", min_severity, "SEV", tm_cli_severities,
		      "report (and gate on) only findings at or above SEV; the register still\n"
		      "records them all, and the report says how many it left out"),
	TM_OPT_STR(scan_opts, "--store", 0, store, "URL",
		   "the register: sqlite:PATH, postgresql://... or tree (default: under\n"
		   "$XDG_STATE_HOME/trustmap, outside the work tree; $TRUSTMAP_STORE)"),
	TM_OPT_BOOL(scan_opts, "--no-store", no_store, "do not read or record the register"),
	TM_OPT_BOOL_S(scan_opts, "--quiet", 'q', quiet,
		      "on stderr only a count of the problems reading the inputs, unless nothing\n"
		      "could be read (the report lists them all)"),
	TM_OPT_STR(scan_opts, "--focus", 0, focus, "NODE",
		   "diagrams: only NODE's neighbourhood (a node id, e.g. service:shop/orders)"),
	TM_OPT_NUM(scan_opts, "--depth", depth, "N", 1, 20, "diagrams: hops around --focus (default 2)"),
	TM_OPT_ONE_OF(scan_opts, "--detail", detail, "D", details,
		      "diagrams: services (default; endpoints folded into their service),\n"
		      "endpoints, all (identities and secrets too)"),
	TM_OPT_STR(scan_opts, "--highlight", 0, highlight, "FP", "diagrams: draw finding FP's path (its fingerprint) in blue"),
};

static const tm_cli_spec spec = TM_CLI_SPEC("scan", "scan [PATH...] [options]",
	"Build the model of the system in PATH (default .; several paths are one system),\n"
	"write its report, and record the run in the risk register. A repository that keeps\n"
	"deployment variants side by side (kustomization roots, charts, manifest directories\n"
	"defining the same objects) is several systems: the report covers each.",
	options, SIZE_MAX, NULL);

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

/* The format defaults to the summary on a terminal, md otherwise. Returns 0, TM_CLI_HELP, or the
 * usage error's exit code. */
static int parse_options(scan_opts *o, tm_cli_list *pos, int argc, char **argv)
{
	int rc = tm_cli_parse(&spec, argc, argv, o, pos);
	if (rc)
		return rc;
	if (o->store && o->no_store)
		return tm_cli_usage_error("scan: --store and --no-store exclude each other");
	if (!o->format)
		o->format = tm_report_kind_format(TM_REPORT_SCAN, !o->output && isatty(fileno(stdout)) ? "summary" : "md");
	return TM_EXIT_OK;
}

/* The diagrams' options, --focus and --highlight checked against the analysis. */
static int diagram_opts(tm_diagram_opts *d, const scan_opts *o, const tm_analysis *an)
{
	*d = (tm_diagram_opts){o->focus, (int)o->depth, o->detail, NULL};
	if (o->focus && !tm_model_find(tm_analysis_model(an), o->focus))
		return tm_cli_usage_error("scan: --focus '%s' is not a node of the model (ids as in --format json: "
					  "service:NS/NAME, gateway:..., endpoint:...)", o->focus);
	if (o->highlight) {
		const tm_finding *hf = tm_analysis_finding(an, o->highlight);
		if (!hf)
			return tm_cli_usage_error("scan: --highlight '%s' is not the fingerprint of a finding of this scan",
						  o->highlight);
		static const char *one[2];
		one[0] = hf->subject;
		d->highlight = hf->path && hf->path[0] ? hf->path : one;
	}
	return TM_EXIT_OK;
}

/* The report of the systems (the primary first), in format, to out; color: ANSI colour (the
 * summary, on a terminal). */
static int write_report(FILE *out, const char *format, bool color, tm_analysis *const *systems, size_t n,
			const tm_diagram_opts *d)
{
	tm_report_ctx ctx = {(const tm_analysis *const *)systems, n, color, d};
	tm_sink sink = tm_sink_file(out);
	int wrc = tm_report_write(format, &ctx, &sink);
	if (fflush(out) != 0 || wrc) {
		fprintf(stderr, "trustmap: cannot write the report: %s\n",
			wrc ? tm_strerror(wrc) : strerror(errno));
		return TM_EXIT_INPUT;
	}
	return TM_EXIT_OK;
}

/* `scan -`: the documents on standard input, read whole (up to the file-size limit) and analysed as
 * one file named <stdin>; nothing is recorded, since there is no root to record it under. */
static int analyse_stdin(tm_analysis **an, char **buf)
{
	tm_limits lim;
	tm_limits_default(&lim);
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			if (cap > lim.max_file_bytes) {
				fprintf(stderr, "<stdin>: error: input over the limit of %zu bytes\n", lim.max_file_bytes);
				return TM_EXIT_INPUT;
			}
			cap = cap ? 2 * cap : 65536;
			char *nb = realloc(*buf, cap + 1);
			if (!nb) {
				fprintf(stderr, "trustmap: out of memory\n");
				return TM_EXIT_INPUT;
			}
			*buf = nb;
		}
		size_t got = fread(*buf + len, 1, cap - len, stdin);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "<stdin>: error: cannot read: %s\n", strerror(errno));
		return TM_EXIT_INPUT;
	}
	(*buf)[len] = '\0';
	tm_mem_file f = {"<stdin>", *buf, len};
	return tm_cli_analysis_mem(an, &f, 1, "stdin", NULL);
}

int tm_cmd_scan(int argc, char **argv)
{
	scan_opts o = {0};
	tm_cli_list pos;
	tm_cli_store cs = {0};
	const char **roots = NULL;
	size_t nroots = 0;
	tm_analysis *an = NULL, **all = NULL;
	size_t nall = 0;
	char *input = NULL; /* scan -: standard input, which the analysis borrows */
	FILE *out = NULL;
	int rc = parse_options(&o, &pos, argc, argv);
	if (rc) {
		rc = rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
		goto done;
	}
	const char *format = o.format, *output = o.output, *fail_on = o.fail_on;
	roots = calloc(pos.n + 1, sizeof(char *));
	if (!roots) {
		rc = TM_EXIT_INPUT;
		goto done;
	}
	for (size_t i = 0; i < pos.n; i++)
		roots[nroots++] = pos.items[i];
	if (!nroots)
		roots[nroots++] = ".";
	bool from_stdin = nroots == 1 && strcmp(roots[0], "-") == 0;
	if (from_stdin) {
		rc = analyse_stdin(&an, &input);
		all = &an;
		nall = an ? 1 : 0;
	} else {
		rc = tm_cli_analysis_all(&all, &nall, roots, nroots, o.quiet, &o.walk);
		an = nall ? all[0] : NULL;
	}
	if (rc)
		goto done;
	if (from_stdin)
		o.no_store = true, o.store = NULL; /* no root to record under */
	out = output ? fopen(output, "wb") : stdout;
	if (!out) {
		fprintf(stderr, "trustmap: cannot write %s: %s\n", output, strerror(errno));
		rc = TM_EXIT_INPUT;
		goto done;
	}
	tm_cli_store_opts so = {o.store, o.no_store, roots, nroots, true};
	tm_diagram_opts dopts;
	if ((rc = tm_cli_store_open(&cs, &so)))
		goto done;
	for (size_t i = 0; i < nall; i++)
		if ((rc = tm_cli_store_settle(&cs, all[i])))
			goto done;
	if ((rc = diagram_opts(&dopts, &o, an)))
		goto done;
	bool summary = format == tm_report_kind_format(TM_REPORT_SCAN, "summary"); /* both canonical */
	/* the register records every finding; a severity filter applies to what is shown and gated */
	if ((rc = tm_cli_store_record(&cs, "scan", an, false)))
		goto done;
	for (size_t i = 0; o.min_severity && i < nall; i++)
		tm_analysis_keep_at_least(all[i], (tm_severity)tm_severity_parse(o.min_severity));
	if ((rc = write_report(out, format, summary && !output && tm_cli_color(stdout), all, nall, &dopts)))
		goto done;
	tm_cli_note_expired(tm_analysis_findings(an));
	/* The gate: open findings (not accepted, or accepted past their expiry) at or above --fail-on,
	 * in any system */
	for (size_t i = 0; fail_on && i < nall && rc != TM_EXIT_GATE; i++)
		if (tm_cli_gate(tm_analysis_findings(all[i]), NULL, 0, (tm_severity)tm_severity_parse(fail_on), fail_on))
			rc = TM_EXIT_GATE;
done:
	tm_cli_store_close(&cs);
	if (out && out != stdout)
		fclose(out);
	if (tm_cli_free_at_exit()) { /* else the process ends now and gives it all back */
		if (all == &an)
			tm_analysis_free(an);
		else
			tm_analysis_free_all(all, nall);
	}
	free(input);
	free(roots);
	tm_cli_done(&spec, &o, &pos);
	return rc;
}
