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
	tm_cli_walk walk;
} diff_opts;

static const tm_opt options[] = {
	TM_OPT_WALK(diff_opts, walk),
	TM_OPT_STR(diff_opts, "--base", 0, base, "REV", "compare with git revision REV of PATH's repository (no checkout)"),
	TM_OPT_FMT(diff_opts, format, TM_REPORT_DIFF, "the review (default md):"),
	TM_OPT_STR(diff_opts, "--output", 'o', output, "FILE", "write the report to FILE instead of stdout"),
	TM_OPT_ONE_OF(diff_opts, "--fail-on", fail_on, "SEV", tm_cli_severities,
		      "exit 1 if a new, open finding at or above SEV appeared"),
	TM_OPT_STR(diff_opts, "--store", 0, store, "URL",
		   "the register whose decisions apply, where the run is recorded\n"
		   "(default: under $XDG_STATE_HOME/trustmap; tree: .trustmap/ under PATH;\n"
		   "$TRUSTMAP_STORE)"),
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

/* The options and the paths, checked: the head side's path and the base side's name (REV, or
 * OLD_PATH, which is also its path). Returns 0, TM_CLI_HELP, or the usage error's exit code. */
static int parse_options(diff_opts *o, const char **head_path, const char **base_name, int argc, char **argv)
{
	tm_cli_list args;
	int rc = tm_cli_parse(&spec, argc, argv, o, &args);
	if (rc) {
		tm_cli_done(&spec, o, &args);
		return rc;
	}
	const char *pos[2] = {args.n > 0 ? args.items[0] : NULL, args.n > 1 ? args.items[1] : NULL};
	size_t npos = args.n;
	free(args.items); /* pos keeps the argv strings; the option lists (--exclude) live to the end */
	const char *usage = NULL;
	if (npos > 2)
		usage = "diff: too many paths (see 'trustmap diff --help')";
	else if (o->store && o->no_store)
		usage = "diff: --store and --no-store exclude each other";
	else if (o->base ? npos > 1 : npos != 2)
		usage = o->base ? "diff: --base REV takes one PATH (default .)"
				: "diff: give --base REV [PATH], or OLD_PATH NEW_PATH";
	if (usage) {
		tm_cli_done(&spec, o, NULL);
		return tm_cli_usage_error(usage);
	}
	if (!o->format)
		o->format = "md";
	*head_path = o->base ? (npos ? pos[0] : ".") : pos[1];
	*base_name = o->base ? o->base : pos[0];
	return TM_EXIT_OK;
}

/* Analyse both sides: the head at head_path; the base read from git at base_rev, or at base_name. */
static int analyse_sides(struct side *base, struct side *head, const char *head_path, const char *base_rev,
			 const char *base_name, const tm_cli_walk *walk, bool recorded)
{
	if (!base_rev)
		return tm_cli_analysis_pair(&head->an, head_path, &base->an, base_name, NULL, 0, base_name, walk,
					    recorded);
	const char *why = NULL;
	int grc = tm_git_tree_read(&base->tree, head_path, base_rev, &why);
	if (grc) {
		fprintf(stderr, "trustmap: diff: %s\n", why ? why : tm_strerror(grc));
		return grc == TM_ENOTFOUND ? TM_EXIT_USAGE : TM_EXIT_INPUT;
	}
	return tm_cli_analysis_pair(&head->an, head_path, &base->an, NULL, tm_git_tree_files(base->tree),
				    tm_git_tree_count(base->tree), base_rev, walk, recorded);
}

/* The review of delta to --output or stdout, the base labelled with its commit when read from git. */
static int write_review(const diff_opts *o, const tm_delta *delta, const struct side *base, const struct side *head,
			const char *head_path, const char *base_name)
{
	char base_label[128];
	if (base->tree && *tm_git_tree_commit(base->tree))
		snprintf(base_label, sizeof(base_label), "%s (%s)", base_name, tm_git_tree_commit(base->tree));
	else
		snprintf(base_label, sizeof(base_label), "%s", base_name);
	tm_diff_report r = {delta, base_label, o->base ? "working tree" : head_path, head->an};
	FILE *out = o->output ? fopen(o->output, "wb") : stdout;
	if (!out) {
		fprintf(stderr, "trustmap: cannot write %s: %s\n", o->output, strerror(errno));
		return TM_EXIT_INPUT;
	}
	int rc = TM_EXIT_OK;
	tm_sink sink = tm_sink_file(out);
	if (tm_report_diff(o->format, &r, &sink) || fflush(out)) {
		fprintf(stderr, "trustmap: cannot write the report\n");
		rc = TM_EXIT_INPUT;
	}
	if (out != stdout)
		fclose(out);
	return rc;
}

/* The gate on the new findings only: TM_EXIT_GATE if one is open at or above fail_on. */
static int apply_gate(const tm_analysis *head, const tm_delta *delta, const char *fail_on)
{
	size_t n = tm_delta_new_count(delta);
	const tm_finding **fresh = calloc(n ? n : 1, sizeof(*fresh));
	if (!fresh) {
		fprintf(stderr, "trustmap: out of memory\n");
		return TM_EXIT_INPUT;
	}
	for (size_t i = 0; i < n; i++)
		fresh[i] = tm_delta_new(delta, i);
	bool fail = tm_cli_gate(tm_analysis_findings(head), fresh, n, (tm_severity)tm_severity_parse(fail_on), fail_on);
	free(fresh);
	return fail ? TM_EXIT_GATE : TM_EXIT_OK;
}

int tm_cmd_diff(int argc, char **argv)
{
	diff_opts o = {0};
	const char *head_path = NULL, *base_name = NULL;
	tm_cli_store cs = {0};
	struct side base = {0}, head = {0};
	tm_delta *delta = NULL;
	int rc = parse_options(&o, &head_path, &base_name, argc, argv);
	if (rc)
		return rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
	/* the head's run goes to the register whole unless --no-store; otherwise only what the review
	 * shows of either side is weighed by the blast radius (tm_analysis_weigh_review) */
	if ((rc = analyse_sides(&base, &head, head_path, o.base, base_name, &o.walk, !o.no_store)))
		goto done;
	/* the register's decisions hold on both sides; the run is recorded for the head, as a proposal */
	const char *head_roots[] = {head_path};
	tm_cli_store_opts so = {o.store, o.no_store, head_roots, 1, true};
	if ((rc = tm_cli_store_open(&cs, &so)) || (base.an != head.an && (rc = tm_cli_store_settle(&cs, base.an))) ||
	    (rc = tm_cli_store_settle(&cs, head.an)))
		goto done;
	int drc = tm_analysis_weigh_review(base.an, head.an);
	if (!drc)
		drc = tm_delta_run(&delta, base.an, head.an);
	if (drc) {
		fprintf(stderr, "trustmap: %s\n", tm_strerror(drc));
		rc = TM_EXIT_INPUT;
		goto done;
	}
	if ((rc = write_review(&o, delta, &base, &head, head_path, base_name)) ||
	    (rc = tm_cli_store_record(&cs, "diff", head.an, true)))
		goto done;
	tm_cli_note_expired(tm_analysis_findings(head.an));
	/* the review covers one variant: say which others changed, which no gate has judged */
	tm_sink err = tm_sink_file(stderr);
	for (size_t i = 0; i < tm_analysis_also_changed_count(head.an); i++) {
		const char *v = tm_analysis_also_changed(head.an, i); /* a directory's name: escaped */
		fputs("trustmap: diff: the inputs of variant ", stderr);
		tm_report_escape("text", v, &err);
		fputs(" changed too and are not in this review: run the diff again with --system ", stderr);
		tm_report_escape("text", v, &err);
		fputs("\n", stderr);
	}
	if (o.fail_on)
		rc = apply_gate(head.an, delta, o.fail_on);
done:
	tm_cli_store_close(&cs);
	tm_cli_done(&spec, &o, NULL);
	if (tm_cli_free_at_exit()) {
		tm_delta_free(delta);
		if (base.an == head.an)
			base.an = NULL; /* one analysis of both sides */
		side_free(&base);
		side_free(&head);
	}
	return rc;
}
