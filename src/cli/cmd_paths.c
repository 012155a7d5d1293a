/*
 * cmd_paths.c - trustmap paths --from POSITION [--to NODE] [PATH...] [--format text|json]
 *
 * The attack paths from a position: to every valuable node it reaches (identities with
 * dangerous grants, secrets, restricted data, sensitive operations), most valuable first,
 * then shortest; or to NODE. Each hop with what let it pass and the file:line that says so.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "trustmap/paths.h"
#include "trustmap/report.h"

#define MAX_HOPS 64

struct target {
	const tm_hop *hop;
	int value;
	const char *why;
};

static int target_cmp(const void *pa, const void *pb)
{
	const struct target *a = pa, *b = pb;
	if (a->value != b->value)
		return a->value > b->value ? -1 : 1;
	if (a->hop->depth != b->hop->depth)
		return a->hop->depth < b->hop->depth ? -1 : 1;
	return strcmp(tm_node_id(a->hop->node), tm_node_id(b->hop->node));
}

/* Hops from the start to t, start first; returns how many. */
static size_t chain(const tm_reach *r, const tm_hop *t, const tm_hop **out)
{
	size_t n = 0;
	for (const tm_hop *h = t; h && n < MAX_HOPS; h = h->from ? tm_reach_find(r, h->from) : NULL)
		out[n++] = h;
	for (size_t i = 0; i < n / 2; i++) {
		const tm_hop *x = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = x;
	}
	return n;
}

/* Names come from the scanned files: escaped as the reports escape them (docs/reports.md "Escaping"),
 * a JSON string valid UTF-8 whatever the bytes, terminal text with controls and bidi characters visible. */
static void jstr(const char *s)
{
	tm_sink out = tm_sink_file(stdout);
	tm_report_escape("json", s, &out);
}

static void tstr(const char *s)
{
	tm_sink out = tm_sink_file(stdout);
	tm_report_escape("text", s, &out);
}

typedef struct {
	const char *from, *to, *format;
} paths_opts;

static const tm_opt options[] = {
	TM_OPT_STR(paths_opts, "--from", 0, from, "POSITION",
		   "where the attacker starts (required): internet, user, partner[:NAME],\n"
		   "namespace:NS, workload:NS/NAME, ci"),
	TM_OPT_STR(paths_opts, "--to", 0, to, "NODE", "only the paths to NODE (a node id, as in scan --format json)"),
	TM_OPT_FMT(paths_opts, format, TM_REPORT_PATHS, "the paths (default text):"),
	TM_OPT_IGNORE_STORE,
};

static const tm_cli_spec spec = TM_CLI_SPEC("paths", "paths --from POSITION [--to NODE] [PATH...] [options]",
	"Attack paths from POSITION through the system in PATH (default .). Without --to, every\n"
	"valuable node reached, most valuable first.",
	options, SIZE_MAX, NULL);

int tm_cmd_paths(int argc, char **argv)
{
	paths_opts o = {0};
	tm_cli_list pos;
	const char **roots = NULL;
	size_t nroots = 0;
	tm_analysis *an = NULL;
	tm_reach *r = NULL;
	struct target *ts = NULL;
	int rc = tm_cli_parse(&spec, argc, argv, &o, &pos);
	if (rc) {
		rc = rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
		goto done;
	}
	const char *from = o.from, *to = o.to;
	if (!from) {
		rc = tm_cli_usage_error("paths: --from POSITION is required (see 'trustmap paths --help')");
		goto done;
	}
	roots = calloc(pos.n + 1, sizeof(char *));
	if (!roots) {
		rc = TM_EXIT_INPUT;
		goto done;
	}
	for (size_t i = 0; i < pos.n; i++)
		roots[nroots++] = pos.items[i];
	if (!nroots)
		roots[nroots++] = ".";
	if ((rc = tm_cli_analysis(&an, roots, nroots, NULL, true)))
		goto done;
	const tm_model *m = tm_analysis_model(an);
	const char *why = NULL;
	int rrc = tm_reach_run(&r, m, from, &why);
	if (rrc == TM_EINVALID) {
		rc = tm_cli_usage_error("paths: %s", why);
		goto done;
	} else if (rrc) {
		fprintf(stderr, "trustmap: %s\n", tm_strerror(rrc));
		rc = TM_EXIT_INPUT;
		goto done;
	}
	const tm_node *goal = NULL;
	if (to && !(goal = tm_model_find(m, to))) {
		tm_sink err = tm_sink_file(stderr);
		fputs("trustmap: paths: --to '", stderr);
		tm_report_escape("text", to, &err);
		fputs("' is no node id of the model (see scan --format json)\n", stderr);
		rc = TM_EXIT_USAGE;
		goto done;
	}
	size_t nt = 0, n = tm_reach_count(r);
	ts = calloc(n + 1, sizeof(*ts));
	if (!ts) {
		rc = TM_EXIT_INPUT;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const tm_hop *h = tm_reach_at(r, i);
		const char *w = NULL;
		int v = tm_reach_value(m, h->node, &w);
		if (goal ? h->node == goal : (v > 0 && h->depth > 0))
			ts[nt++] = (struct target){h, v, w};
	}
	qsort(ts, nt, sizeof(*ts), target_cmp);
	bool json = o.format == tm_report_kind_format(TM_REPORT_PATHS, "json"); /* both canonical */
	if (json) {
		printf("{\n  \"from\": ");
		jstr(from);
		printf(",\n  \"reached\": %zu,\n  \"note\": ", n);
		jstr(why);
		printf(",\n  \"paths\": [");
	} else {
		printf("from ");
		tstr(from);
		printf(": %zu node%s reached", n, n == 1 ? "" : "s");
		if (why) {
			printf(" (");
			tstr(why);
			printf(")");
		}
		printf("; %zu path%s%s\n", nt, nt == 1 ? "" : "s", goal ? " to the target" : " to valuable nodes");
	}
	for (size_t t = 0; t < nt; t++) {
		const tm_hop *hops[MAX_HOPS];
		size_t hn = chain(r, ts[t].hop, hops);
		if (json) {
			printf("%s\n    {\"to\": ", t ? "," : "");
			jstr(tm_node_id(ts[t].hop->node));
			printf(", \"value\": %d, \"why\": ", ts[t].value);
			jstr(ts[t].why);
			printf(", \"hops\": [");
			for (size_t k = 0; k < hn; k++) {
				printf("%s{\"node\": ", k ? ", " : "");
				jstr(tm_node_id(hops[k]->node));
				printf(", \"how\": ");
				jstr(hops[k]->how);
				printf(", \"enforced\": ");
				jstr(hops[k]->enforced);
				if (hops[k]->evidence.path) {
					printf(", \"evidence\": {\"path\": ");
					jstr(hops[k]->evidence.path);
					printf(", \"line\": %u, \"column\": %u}", hops[k]->evidence.line, hops[k]->evidence.col);
				}
				printf("}");
			}
			printf("]}");
		} else {
			printf("\n%zu. ", t + 1);
			tstr(tm_node_id(ts[t].hop->node));
			printf("  [");
			tstr(ts[t].why ? ts[t].why : "target");
			printf("]\n");
			for (size_t k = 0; k < hn; k++) {
				printf("   %s ", k ? "->" : "  ");
				tstr(tm_node_id(hops[k]->node));
				if (k) {
					printf("  (");
					tstr(hops[k]->how);
					printf("; ");
					tstr(hops[k]->enforced);
					printf(")");
				}
				if (hops[k]->evidence.path) {
					printf("  ");
					tstr(hops[k]->evidence.path);
					printf(":%u", hops[k]->evidence.line);
				}
				printf("\n");
			}
		}
	}
	if (json)
		printf("%s]\n}\n", nt ? "\n  " : "");
	if (goal && !nt && !json) {
		tstr(to);
		printf(" is not reachable from ");
		tstr(from);
		printf("\n");
	}
	fflush(stdout);
done:
	free(ts);
	tm_reach_free(r);
	tm_analysis_free(an);
	free(roots);
	tm_cli_done(&spec, &o, &pos);
	return rc;
}
