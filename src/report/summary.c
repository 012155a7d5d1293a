/*
 * summary.c - the short human summary printed on a terminal when no format is asked for.
 * Input-derived strings go through tm_esc_term so a manifest cannot drive the terminal.
 */
#include <stdlib.h>

#include "report.h"

#define MAX_LISTED 12

static void bold(tm_out *o, bool color, const char *s)
{
	tm_out_puts(o, color ? "\033[1m" : "");
	tm_out_puts(o, s);
	tm_out_puts(o, color ? "\033[0m" : "");
}

#define TOP_FINDINGS 5
#define MORE_RULES 4

/* Rules of the open findings past the top ones, most frequent first: "TM-API-002 x12". */
struct rule_count {
	const char *id;
	size_t n;
};

static int rule_count_cmp(const void *pa, const void *pb)
{
	const struct rule_count *a = pa, *b = pb;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* "+74 more open: TM-API-002 x12, TM-API-007 x9, ..." for the open findings past the first shown. */
static void more_open(tm_out *o, const tm_findings *fs, size_t skip_open)
{
	size_t nf = tm_findings_count(fs), seen = 0, nr = 0, rest = 0;
	struct rule_count *rc = tm_calloc(nf + 1, sizeof(*rc));
	if (!rc)
		return; /* a line less; the counts above are complete */
	for (size_t i = 0; i < nf; i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		if (f->status != TM_STATUS_OPEN || seen++ < skip_open)
			continue;
		rest++;
		size_t k = 0;
		while (k < nr && strcmp(rc[k].id, f->rule->id) != 0)
			k++; /* at most one entry per rule of the registry: bounded */
		if (k == nr)
			rc[nr++] = (struct rule_count){f->rule->id, 0};
		rc[k].n++;
	}
	if (rest) {
		qsort(rc, nr, sizeof(*rc), rule_count_cmp);
		tm_out_printf(o, "    +%zu more open:", rest);
		for (size_t k = 0; k < nr && k < MORE_RULES; k++)
			tm_out_printf(o, "%s %s x%zu", k ? "," : "", rc[k].id, rc[k].n);
		tm_out_puts(o, nr > MORE_RULES ? ", ... (--format md lists them)\n" : " (--format md lists them)\n");
	}
	tm_free(rc);
}

/* Open findings by severity, the decided ones counted apart, the first open ones listed. */
static void findings_lines(tm_out *o, const tm_findings *fs)
{
	size_t nf = tm_findings_count(fs);
	tm_severity below;
	size_t hidden = tm_findings_hidden(fs, &below);
	if (hidden)
		tm_out_printf(o, "  filtered     %zu findings below %s not shown (--min-severity)\n", hidden,
			      tm_severity_name(below));
	if (!nf) {
		tm_out_puts(o, "  findings     none\n");
		return;
	}
	size_t by[5] = {0}, decided[TM_STATUS__COUNT] = {0}, open = 0;
	for (size_t i = 0; i < nf; i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		if (f->status == TM_STATUS_OPEN) {
			by[f->severity]++;
			open++;
		} else {
			decided[f->status]++;
		}
	}
	tm_out_printf(o, "  findings     %zu open (%zu critical, %zu high, %zu medium, %zu low)", open, by[4], by[3],
		      by[2], by[1]);
	if (nf > open)
		tm_out_printf(o, "; %zu decided (%zu accepted, %zu mitigated, %zu false-positive)", nf - open,
			      decided[TM_STATUS_ACCEPTED], decided[TM_STATUS_MITIGATED], decided[TM_STATUS_FALSE_POSITIVE]);
	tm_out_puts(o, "\n");
	size_t shown = 0;
	for (size_t i = 0; i < nf && shown < TOP_FINDINGS; i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		if (f->status != TM_STATUS_OPEN)
			continue; /* decided findings are counted above, not listed */
		shown++;
		tm_out_printf(o, "    %-8s %-12s ", tm_severity_name(f->severity), f->rule->id);
		tm_esc_term(o, f->title);
		if (f->expired)
			tm_out_puts(o, "  [acceptance expired]");
		tm_out_puts(o, "\n");
	}
	more_open(o, fs, shown);
}

/* The deployment variants, when the scan found several: which one this summary shows, the others,
 * and what only they hold. */
static void systems_line(const tm_wctx *ctx, tm_out *o)
{
	if (!ctx->variants)
		return;
	tm_out_printf(o, "  systems      %zu deployment variants; this summary: ", ctx->nsystems);
	tm_esc_term(o, tm_report__variant_name(ctx->variants, 0));
	tm_out_puts(o, " (defines the most objects); also ");
	size_t extra_open = 0;
	for (size_t i = 1; i < ctx->nsystems; i++) {
		if (i > MAX_LISTED) {
			tm_out_printf(o, ", +%zu more", ctx->nsystems - i);
			break;
		}
		if (i > 1)
			tm_out_puts(o, ", ");
		tm_esc_term(o, tm_report__variant_name(ctx->variants, i));
	}
	const tm_report__extra *x;
	size_t nx = tm_report__variants_extra(ctx->variants, &x);
	for (size_t i = 0; i < nx; i++)
		extra_open += x[i].f->status == TM_STATUS_OPEN;
	tm_out_printf(o, "\n               %zu open finding%s only in the others (--format md lists them; --system NAME)\n",
		      extra_open, extra_open == 1 ? "" : "s");
}

/* The observed calls' time window (observed_window "start/end", RFC 3339 UTC, so text order is time
 * order): the earliest start and latest end into from and to; false when no export stated one. */
bool tm_report__runtime_window(const tm_model *m, char from[32], char to[32])
{
	from[0] = to[0] = '\0';
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		for (size_t k = 0; k < tm_edge_attr_count(e); k++) {
			const tm_attr *a = tm_edge_attr(e, k);
			const char *slash = a->type == TM_ATTR_STR && a->str && strcmp(a->key, "observed_window") == 0
						    ? strchr(a->str, '/') : NULL;
			size_t n = slash ? (size_t)(slash - a->str) : 0;
			if (!slash || n >= 32 || strlen(slash + 1) >= 32)
				continue;
			char start[32];
			memcpy(start, a->str, n);
			start[n] = '\0';
			if (!from[0] || strcmp(start, from) < 0)
				memcpy(from, start, n + 1);
			if (!to[0] || strcmp(slash + 1, to) > 0)
				tm_formatf(to, 32, "%s", slash + 1);
		}
	}
	return from[0] && to[0];
}

/* Coverage of the live architecture, one line, only when a runtime export was read. */
static void runtime_line(tm_out *o, const tm_figures *fig, const tm_model *m)
{
	if (!fig->runtime_files)
		return;
	tm_out_printf(o, "  runtime      %zu service%s observed (%zu in the model, %zu unknown), %zu call%s (%zu declared)",
		      fig->observed_services_known + fig->observed_services_unknown,
		      fig->observed_services_known + fig->observed_services_unknown == 1 ? "" : "s",
		      fig->observed_services_known, fig->observed_services_unknown, fig->observed_calls,
		      fig->observed_calls == 1 ? "" : "s", fig->observed_calls_declared);
	if (fig->observed_requests)
		tm_out_printf(o, ", %.0f%% of %llu requests on declared calls",
			      100.0 * (double)fig->observed_requests_declared / (double)fig->observed_requests,
			      (unsigned long long)fig->observed_requests);
	char from[32], to[32];
	if (tm_report__runtime_window(m, from, to)) {
		tm_out_puts(o, ", ");
		tm_esc_term(o, from);
		tm_out_puts(o, " to ");
		tm_esc_term(o, to);
	}
	tm_out_puts(o, "\n");
}

size_t tm_report__not_fetched(const tm_diag_list *d)
{
	size_t n = 0;
	for (size_t i = 0; d && i < d->count; i++) /* sorted and unique: each place once */
		n += d->items[i].code == TM_EREMOTE;
	return n;
}

size_t tm_report__files_in_error(const tm_diag_list *d)
{
	tm_hmap seen = TM_HMAP_INIT;
	size_t n = 0;
	for (size_t i = 0; d && i < d->count; i++) {
		const char *p = d->items[i].loc.path;
		if (d->items[i].level < TM_LEVEL_ERROR || !p || tm_hmap_get(&seen, p, strlen(p)))
			continue;
		n++;
		if (tm_hmap_put(&seen, p, strlen(p), (void *)p))
			break; /* out of memory: the count so far */
	}
	tm_hmap_dispose(&seen);
	return n;
}

/* The names the configuration calls that no Service answers (n of them), each with the Service it may
 * have meant: unresolved, not among the services counted above. */
static void unresolved_line(tm_out *o, const tm_model *m, size_t n)
{
	if (!n)
		return;
	tm_out_printf(o, "  unresolved   %zu name%s no Service answers  (", n, n == 1 ? "" : "s");
	size_t listed = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *u = tm_model_node(m, i);
		if (!tm_node_unresolved_name(u))
			continue;
		if (listed == MAX_LISTED) {
			tm_out_puts(o, ", ...");
			break;
		}
		tm_out_puts(o, listed++ ? ", " : "");
		tm_node_id_parts id;
		tm_esc_term(o, tm_node_id_parse(tm_node_id(u), &id) ? tm_node_id(u) : id.rest);
		const char *meant = tm_node_attr_str(u, "did_you_mean");
		if (meant) {
			tm_out_puts(o, ": did you mean ");
			tm_esc_term(o, meant);
			tm_out_puts(o, "?");
		}
	}
	tm_out_puts(o, ")\n");
}

int tm_report__summary(const tm_wctx *ctx, tm_out *o)
{
	const tm_scan *s = ctx->scan;
	const tm_model *m = tm_scan_model(s);
	const tm_diag_list *d = tm_scan_diags(s);
	const tm_figures fig = *ctx->fig;

	bold(o, ctx->color, "trustmap " TM_VERSION);
	tm_out_puts(o, " - ");
	tm_esc_term(o, ctx->title ? ctx->title : "system");
	tm_out_puts(o, "\n");
	systems_line(ctx, o);
	tm_out_printf(o, "  inputs       %zu files modelled (%zu documents), %zu skipped, %zu other files\n",
		      tm_scan_input_count(s), fig.documents, tm_scan_skip_count(s),
		      tm_scan_ignored_count(s));
	tm_out_printf(o, "  services     %zu", fig.services);
	size_t listed = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) != TM_NODE_SERVICE || tm_node_unresolved_name(n))
			continue;
		if (listed == MAX_LISTED) {
			tm_out_puts(o, ", ...");
			break;
		}
		tm_out_puts(o, listed++ ? ", " : "  (");
		tm_node_id_parts id;
		tm_esc_term(o, tm_node_id_parse(tm_node_id(n), &id) ? tm_node_id(n) : id.rest);
	}
	tm_out_puts(o, listed ? ")\n" : "\n");
	unresolved_line(o, m, fig.unresolved_names);
	size_t anonymous = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_attr *a = tm_node_attr_get(tm_model_node(m, i), "anonymous");
		anonymous += tm_node_kind_of(tm_model_node(m, i)) == TM_NODE_ENDPOINT && a && a->num;
	}
	tm_out_printf(o, "  endpoints    %zu (%zu callable without credentials)\n", fig.endpoints, anonymous);
	tm_out_printf(o, "  identities   %zu\n  gateways     %zu\n", fig.identities, fig.gateways);
	tm_out_puts(o, "  exposed      ");
	listed = 0;
	/* the workloads and gateways whose computed exposure is internet, once each */
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) == TM_NODE_ENDPOINT ||
		    tm_exposure_level_of(ctx->exposure, n) != TM_EXPOSURE_INTERNET)
			continue;
		if (listed == MAX_LISTED) {
			tm_out_puts(o, ", ...");
			break;
		}
		if (listed++)
			tm_out_puts(o, ", ");
		tm_esc_term(o, tm_node_id(n));
	}
	tm_out_puts(o, listed					      ? "\n"
		       : tm_report__files_in_error(d) || tm_report__not_fetched(d) ? "nothing reachable from the internet in what is modelled (incomplete: below)\n"
									      : "nothing reachable from the internet\n");
	runtime_line(o, &fig, m);
	findings_lines(o, ctx->findings);
	size_t errs = tm_diag_count(d, TM_LEVEL_ERROR);
	size_t warns = tm_diag_count(d, TM_LEVEL_WARNING) - errs;
	tm_out_printf(o, "  diagnostics  %zu errors, %zu warnings\n", errs, warns);
	size_t bad = tm_report__files_in_error(d);
	if (bad)
		tm_out_printf(o, "  incomplete   %zu input file%s did not render or parse (the errors above): what %s "
				 "would define is missing from this model\n",
			      bad, bad == 1 ? "" : "s", bad == 1 ? "it" : "they");
	size_t remote = tm_report__not_fetched(d);
	if (remote)
		tm_out_printf(o, "  incomplete   %zu deployment%s the inputs name %s not among them (charts of Helm "
				 "repositories, remote resources, other repositories' paths; the diagnostics say which): what "
				 "%s deploy%s is missing from this model\n",
			      remote, remote == 1 ? "" : "s", remote == 1 ? "is" : "are", remote == 1 ? "it" : "they",
			      remote == 1 ? "s" : "");
	tm_out_puts(o, "Full threat model: --format md; machine-readable: --format json.\n");
	return 0;
}
