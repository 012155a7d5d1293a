/*
 * cmd_diff.c - trustmap diff --base REV [PATH] | trustmap diff OLD_PATH NEW_PATH
 *              [--format md|json|sarif] [-o FILE] [--fail-on SEV]
 *
 * Reviews the change, not the universe: both sides are scanned, ruled and
 * compared semantically. With --base, the base side is read straight from git
 * (no checkout); the head side is the working tree at PATH.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trustmap/delta.h"
#include "trustmap/git.h"
#include "trustmap/report.h"

static void usage(FILE *fp)
{
	fprintf(fp, "usage: trustmap diff --base REV [PATH] [options]\n"
		    "       trustmap diff OLD_PATH NEW_PATH [options]\n\n"
		    "Compare the threat model of two versions of a system: what changed (by review trigger), the\n"
		    "review depth it calls for, the findings that appeared and disappeared, and an agenda for the\n"
		    "reviewers. With --base, REV is read from the git repository PATH is in (no checkout).\n\n"
		    "  -f, --format FMT   md (default: a pull-request comment), json, sarif (the new findings),\n"
		    "                     html (the review as one page, new findings on the diagram)\n"
		    "  -o, --output FILE  write the report to FILE instead of stdout\n"
		    "      --fail-on SEV  exit 1 if a new, open finding at or above SEV appeared\n"
		    "                     (critical, high, medium, low)\n"
		    "      --store URL    the register whose decisions apply, where the run is recorded\n"
		    "                     (default .trustmap/trustmap.db under PATH; $TRUSTMAP_STORE)\n"
		    "      --no-store     do not read or record the register\n");
}

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
	const char *format = "md", *output = NULL, *fail_on = NULL, *base_rev = NULL, *store_url = NULL;
	bool no_store = false;
	tm_cli_store cs = {0};
	const tm_finding **fresh = NULL;
	const char *pos[2] = {NULL, NULL};
	size_t npos = 0;
	int rc = TM_EXIT_OK;
	struct side base = {0}, head = {0};
	tm_delta *delta = NULL;
	FILE *out = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return TM_EXIT_OK;
		} else if (strcmp(a, "--base") == 0) {
			slot = &base_rev;
		} else if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
			slot = &format;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			slot = &output;
		} else if (strcmp(a, "--fail-on") == 0) {
			slot = &fail_on;
		} else if (strcmp(a, "--store") == 0) {
			slot = &store_url;
		} else if (strcmp(a, "--no-store") == 0) {
			no_store = true;
		} else if (a[0] == '-' && a[1]) {
			return tm_cli_usage_error("diff: unknown option '%s' (see 'trustmap diff --help')", a);
		} else if (npos < 2) {
			pos[npos++] = a;
		} else {
			return tm_cli_usage_error("diff: too many paths (see 'trustmap diff --help')");
		}
		if (slot) {
			if (i + 1 >= argc)
				return tm_cli_usage_error("diff: %s needs a value", a);
			*slot = argv[++i];
		}
	}
	if (strcmp(format, "md") != 0 && strcmp(format, "json") != 0 && strcmp(format, "sarif") != 0 &&
	    strcmp(format, "html") != 0)
		return tm_cli_usage_error("diff: unknown format '%s' (md, json, sarif or html)", format);
	if (store_url && no_store)
		return tm_cli_usage_error("diff: --store and --no-store exclude each other");
	if (fail_on && tm_severity_parse(fail_on) < 0)
		return tm_cli_usage_error("diff: --fail-on takes critical, high, medium or low, not '%s'", fail_on);
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
	tm_cli_store_opts so = {store_url, no_store, head_roots, 1, true};
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
