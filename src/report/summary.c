/*
 * summary.c - the short human summary printed on a terminal when no format is asked for.
 * Input-derived strings go through tm_esc_term so a manifest cannot drive the terminal.
 */
#include "report.h"

#define MAX_LISTED 12

static void bold(tm_out *o, bool color, const char *s)
{
	tm_out_puts(o, color ? "\033[1m" : "");
	tm_out_puts(o, s);
	tm_out_puts(o, color ? "\033[0m" : "");
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
	tm_out_printf(o, "\n  inputs       %zu files modelled (%zu documents), %zu skipped, %zu other files\n",
		      tm_scan_input_count(s), fig.documents, tm_scan_skip_count(s),
		      tm_scan_ignored_count(s));
	tm_out_printf(o, "  services     %zu", fig.services);
	size_t listed = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) != TM_NODE_SERVICE)
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
	tm_out_puts(o, listed ? "\n" : "nothing reachable from the internet\n");
	size_t nf = tm_findings_count(ctx->findings);
	if (!nf) {
		tm_out_puts(o, "  findings     none\n");
	} else {
		size_t by[5] = {0};
		for (size_t i = 0; i < nf; i++)
			by[tm_findings_at(ctx->findings, i)->severity]++;
		tm_out_printf(o, "  findings     %zu (%zu critical, %zu high, %zu medium, %zu low)\n", nf, by[4], by[3],
			      by[2], by[1]);
		for (size_t i = 0; i < nf && i < 5; i++) {
			const tm_finding *f = tm_findings_at(ctx->findings, i);
			tm_out_printf(o, "    %-8s %-12s ", tm_severity_name(f->severity), f->rule->id);
			tm_esc_term(o, f->title);
			tm_out_puts(o, "\n");
		}
	}
	size_t errs = tm_diag_count(d, TM_LEVEL_ERROR);
	size_t warns = tm_diag_count(d, TM_LEVEL_WARNING) - errs;
	tm_out_printf(o, "  diagnostics  %zu errors, %zu warnings\n", errs, warns);
	tm_out_puts(o, "Full threat model: --format md; machine-readable: --format json.\n");
	return 0;
}
