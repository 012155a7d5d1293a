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

/* --from is required. Returns 0, TM_CLI_HELP, or the usage error's exit code. */
static int parse_options(paths_opts *o, tm_cli_list *pos, int argc, char **argv)
{
	int rc = tm_cli_parse(&spec, argc, argv, o, pos);
	if (rc)
		return rc;
	if (!o->from)
		return tm_cli_usage_error("paths: --from POSITION is required (see 'trustmap paths --help')");
	return TM_EXIT_OK;
}

/* What the command found: the nodes reached from --from, and the paths' targets in them. */
typedef struct {
	const char *from, *to;
	const char *why;     /* the reach's note on the start, or NULL */
	const tm_node *goal; /* --to's node, or NULL */
	tm_reach *r;
	struct target *ts;   /* best first */
	size_t nt, n;        /* targets, nodes reached */
} paths_found;

/* "trustmap: paths: --to 'NODE' is no node id ..." on stderr, NODE escaped; returns TM_EXIT_USAGE. */
static int unknown_node(const char *to)
{
	tm_sink err = tm_sink_file(stderr);
	fputs("trustmap: paths: --to '", stderr);
	tm_report_escape("text", to, &err);
	fputs("' is no node id of the model (see scan --format json)\n", stderr);
	return TM_EXIT_USAGE;
}

/* Reach through m from pf->from and keep the targets: pf->to's node, or every valuable node past the
 * start; sorted most valuable, then nearest first. Prints why not and returns the exit code. */
static int find_paths(paths_found *pf, const tm_model *m)
{
	int rrc = tm_reach_run(&pf->r, m, pf->from, &pf->why);
	if (rrc == TM_EINVALID)
		return tm_cli_usage_error("paths: %s", pf->why);
	if (rrc) {
		fprintf(stderr, "trustmap: %s\n", tm_strerror(rrc));
		return TM_EXIT_INPUT;
	}
	if (pf->to && !(pf->goal = tm_model_find(m, pf->to)))
		return unknown_node(pf->to);
	pf->n = tm_reach_count(pf->r);
	pf->ts = calloc(pf->n + 1, sizeof(*pf->ts));
	if (!pf->ts)
		return TM_EXIT_INPUT;
	for (size_t i = 0; i < pf->n; i++) {
		const tm_hop *h = tm_reach_at(pf->r, i);
		const char *w = NULL;
		int v = tm_reach_value(m, h->node, &w);
		if (pf->goal ? h->node == pf->goal : (v > 0 && h->depth > 0))
			pf->ts[pf->nt++] = (struct target){h, v, w};
	}
	qsort(pf->ts, pf->nt, sizeof(*pf->ts), target_cmp);
	return TM_EXIT_OK;
}

/* Path t as a JSON object in "paths": its target, and each hop with its evidence. */
static void json_path(const paths_found *pf, size_t t)
{
	const tm_hop *hops[MAX_HOPS];
	size_t hn = chain(pf->r, pf->ts[t].hop, hops);
	printf("%s\n    {\"to\": ", t ? "," : "");
	jstr(tm_node_id(pf->ts[t].hop->node));
	printf(", \"value\": %d, \"why\": ", pf->ts[t].value);
	jstr(pf->ts[t].why);
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
}

static void write_json(const paths_found *pf)
{
	printf("{\n  \"from\": ");
	jstr(pf->from);
	printf(",\n  \"reached\": %zu,\n  \"note\": ", pf->n);
	jstr(pf->why);
	printf(",\n  \"paths\": [");
	for (size_t t = 0; t < pf->nt; t++)
		json_path(pf, t);
	printf("%s]\n}\n", pf->nt ? "\n  " : "");
}

/* One path as text: "N. target  [why]", then a line per hop with what let it pass and file:line. */
static void text_path(const paths_found *pf, size_t t)
{
	const tm_hop *hops[MAX_HOPS];
	size_t hn = chain(pf->r, pf->ts[t].hop, hops);
	printf("\n%zu. ", t + 1);
	tstr(tm_node_id(pf->ts[t].hop->node));
	printf("  [");
	tstr(pf->ts[t].why ? pf->ts[t].why : "target");
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

static void write_text(const paths_found *pf)
{
	printf("from ");
	tstr(pf->from);
	printf(": %zu node%s reached", pf->n, pf->n == 1 ? "" : "s");
	if (pf->why) {
		printf(" (");
		tstr(pf->why);
		printf(")");
	}
	printf("; %zu path%s%s\n", pf->nt, pf->nt == 1 ? "" : "s", pf->goal ? " to the target" : " to valuable nodes");
	for (size_t t = 0; t < pf->nt; t++)
		text_path(pf, t);
	if (pf->goal && !pf->nt) {
		tstr(pf->to);
		printf(" is not reachable from ");
		tstr(pf->from);
		printf("\n");
	}
}

int tm_cmd_paths(int argc, char **argv)
{
	paths_opts o = {0};
	tm_cli_list pos;
	const char **roots = NULL;
	size_t nroots = 0;
	tm_analysis *an = NULL;
	paths_found pf = {0};
	int rc = parse_options(&o, &pos, argc, argv);
	if (rc) {
		rc = rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
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
	pf.from = o.from;
	pf.to = o.to;
	if ((rc = find_paths(&pf, tm_analysis_model(an))))
		goto done;
	if (o.format == tm_report_kind_format(TM_REPORT_PATHS, "json")) /* both canonical */
		write_json(&pf);
	else
		write_text(&pf);
	fflush(stdout);
done:
	free(pf.ts);
	tm_reach_free(pf.r);
	tm_analysis_free(an);
	free(roots);
	tm_cli_done(&spec, &o, &pos);
	return rc;
}
