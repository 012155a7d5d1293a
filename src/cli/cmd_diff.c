/*
 * cmd_diff.c - trustmap diff --base REV [PATH] | trustmap diff OLD_PATH NEW_PATH
 *              [--format md|json|sarif|html] [-o FILE] [--fail-on SEV] (options: the table below)
 *
 * Reviews the change, not the universe: both sides are scanned, ruled and
 * compared semantically. With --base, the base side is read straight from git
 * (no checkout); the head side is the working tree at PATH.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "trustmap/delta.h"
#include "trustmap/git.h"
#include "trustmap/report.h"

typedef struct {
	const char *format, *output, *fail_on, *base, *store;
	bool no_store;
} diff_opts;

static const tm_opt options[] = {
	TM_OPT_STR(diff_opts, "--base", 0, base, "REV", "compare with git revision REV of PATH's repository (no checkout)"),
	TM_OPT_FMT(diff_opts, format, TM_REPORT_DIFF, "the review (default md):"),
	TM_OPT_STR(diff_opts, "--output", 'o', output, "FILE", "write the report to FILE instead of stdout"),
	TM_OPT_ONE_OF(diff_opts, "--fail-on", fail_on, "SEV", tm_cli_severities,
		      "exit 1 if a new, open finding at or above SEV appeared"),
	TM_OPT_STR(diff_opts, "--store", 0, store, "URL",
		   "the register whose decisions apply, where the run is recorded\n"
		   "(default .trustmap/trustmap.db under PATH; $TRUSTMAP_STORE)"),
	TM_OPT_BOOL(diff_opts, "--no-store", no_store, "do not read or record the register"),
};

static const tm_cli_spec spec = TM_CLI_SPEC("diff", "diff --base REV [PATH] [options]\ndiff OLD_PATH NEW_PATH [options]",
	"Compare the threat model of two versions of a system: what changed (by review trigger), the\n"
	"review depth it calls for, the findings that appeared and disappeared, and an agenda for the\n"
	"reviewers. With --base, REV is read from the git repository PATH is in (no checkout).",
	options, SIZE_MAX, NULL);

struct side {
	tm_analysis *an;
	tm_git_tree *tree; /* the base's files, which its analysis borrows */
};

static void side_free(struct side *s)
{
	tm_analysis_free(s->an);
	tm_git_tree_free(s->tree);
}

int tm_cmd_diff(int argc, char **argv)
{
	diff_opts o = {0};
	tm_cli_list args;
	tm_cli_store cs = {0};
	const tm_finding **fresh = NULL;
	int rc = TM_EXIT_OK;
	struct side base = {0}, head = {0};
	tm_delta *delta = NULL;
	FILE *out = NULL;
	if ((rc = tm_cli_parse(&spec, argc, argv, &o, &args))) {
		tm_cli_done(&spec, &o, &args);
		return rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
	}
	const char *format = o.format ? o.format : "md", *output = o.output, *fail_on = o.fail_on, *base_rev = o.base;
	const char *pos[2] = {args.n > 0 ? args.items[0] : NULL, args.n > 1 ? args.items[1] : NULL};
	size_t npos = args.n;
	tm_cli_done(&spec, &o, &args); /* pos keeps the argv strings */
	if (npos > 2)
		return tm_cli_usage_error("diff: too many paths (see 'trustmap diff --help')");
	if (o.store && o.no_store)
		return tm_cli_usage_error("diff: --store and --no-store exclude each other");
	if (base_rev ? npos > 1 : npos != 2)
		return tm_cli_usage_error(base_rev ? "diff: --base REV takes one PATH (default .)"
						   : "diff: give --base REV [PATH], or OLD_PATH NEW_PATH");
	const char *head_path = base_rev ? (npos ? pos[0] : ".") : pos[1];
	const char *base_name = base_rev ? base_rev : pos[0];

	const char *head_roots[] = {head_path};
	if ((rc = tm_cli_analysis(&head.an, head_roots, 1, NULL, true)))
		goto done;
	if (base_rev) {
		const char *why = NULL;
		int grc = tm_git_tree_read(&base.tree, head_path, base_rev, &why);
		if (grc) {
			fprintf(stderr, "trustmap: diff: %s\n", why ? why : tm_strerror(grc));
			rc = grc == TM_ENOTFOUND ? TM_EXIT_USAGE : TM_EXIT_INPUT;
			goto done;
		}
		if ((rc = tm_cli_analysis_mem(&base.an, tm_git_tree_files(base.tree), tm_git_tree_count(base.tree),
					      base_rev)))
			goto done;
	} else {
		const char *base_roots[] = {pos[0]};
		if ((rc = tm_cli_analysis(&base.an, base_roots, 1, NULL, true)))
			goto done;
	}
	/* the register's decisions hold on both sides; the run is recorded for the head, as a proposal */
	tm_cli_store_opts so = {o.store, o.no_store, head_roots, 1, true};
	if ((rc = tm_cli_store_open(&cs, &so)) || (rc = tm_cli_store_settle(&cs, base.an)) ||
	    (rc = tm_cli_store_settle(&cs, head.an)))
		goto done;
	int drc = tm_delta_run(&delta, base.an, head.an);
	if (drc) {
		fprintf(stderr, "trustmap: %s\n", tm_strerror(drc));
		rc = TM_EXIT_INPUT;
		goto done;
	}
	char base_label[128];
	if (base.tree && *tm_git_tree_commit(base.tree))
		snprintf(base_label, sizeof(base_label), "%s (%s)", base_name, tm_git_tree_commit(base.tree));
	else
		snprintf(base_label, sizeof(base_label), "%s", base_name);
	tm_diff_report r = {delta, base_label, base_rev ? "working tree" : head_path, head.an};
	out = output ? fopen(output, "wb") : stdout;
	if (!out) {
		fprintf(stderr, "trustmap: cannot write %s: %s\n", output, strerror(errno));
		rc = TM_EXIT_INPUT;
		goto done;
	}
	tm_sink sink = tm_sink_file(out);
	if (tm_report_diff(format, &r, &sink) || fflush(out)) {
		fprintf(stderr, "trustmap: cannot write the report\n");
		rc = TM_EXIT_INPUT;
		goto done;
	}
	if ((rc = tm_cli_store_record(&cs, "diff", head.an, true)))
		goto done;
	tm_cli_note_expired(tm_analysis_findings(head.an));
	if (fail_on) {
		size_t n = tm_delta_new_count(delta);
		fresh = calloc(n ? n : 1, sizeof(*fresh));
		if (!fresh) {
			fprintf(stderr, "trustmap: out of memory\n");
			rc = TM_EXIT_INPUT;
			goto done;
		}
		for (size_t i = 0; i < n; i++)
			fresh[i] = tm_delta_new(delta, i);
		if (tm_cli_gate(tm_analysis_findings(head.an), fresh, n, (tm_severity)tm_severity_parse(fail_on), fail_on))
			rc = TM_EXIT_GATE;
	}
done:
	free(fresh);
	tm_cli_store_close(&cs);
	if (out && out != stdout)
		fclose(out);
	tm_delta_free(delta);
	side_free(&base);
	side_free(&head);
	return rc;
}
