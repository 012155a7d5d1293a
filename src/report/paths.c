/*
 * paths.c - trustmap paths as text (each path hop by hop, with what let each hop pass and the
 * file:line) or JSON (docs/json.md). Reads a tm_paths; computes nothing.
 */
#include "formats.h"

/* seen: the model holds observed calls, so every hop past the start says where its edge comes from
 * (declared, observed, both); a declared-only model's output keeps its shape. */
static void json_path(tm_out *o, const tm_attack_path *t, size_t i, bool seen)
{
	tm_out_printf(o, "%s\n    {\"to\": ", i ? "," : "");
	tm_esc_json_or_null(o, tm_node_id(t->target->node));
	tm_out_printf(o, ", \"value\": %d, \"why\": ", t->value);
	tm_esc_json_or_null(o, t->why);
	tm_out_puts(o, ", \"hops\": [");
	for (size_t k = 0; k < t->nhops; k++) {
		const tm_hop *h = t->hops[k];
		tm_out_printf(o, "%s{\"node\": ", k ? ", " : "");
		tm_esc_json_or_null(o, tm_node_id(h->node));
		tm_out_puts(o, ", \"how\": ");
		tm_esc_json_or_null(o, h->how);
		tm_out_puts(o, ", \"enforced\": ");
		tm_esc_json_or_null(o, h->enforced);
		if (seen && k)
			tm_out_printf(o, ", \"seen\": \"%s\"", tm_seen_name(h->seen));
		if (h->evidence.path) {
			tm_out_puts(o, ", \"evidence\": {\"path\": ");
			tm_esc_json_or_null(o, h->evidence.path);
			tm_out_printf(o, ", \"line\": %u, \"column\": %u}", h->evidence.line, h->evidence.col);
		}
		tm_out_puts(o, "}");
	}
	tm_out_puts(o, "]}");
}

static int paths_json(const void *report, tm_out *o)
{
	const tm_paths *p = report;
	tm_out_puts(o, "{\n  \"from\": ");
	tm_esc_json_or_null(o, tm_paths_from(p));
	tm_out_printf(o, ",\n  \"reached\": %zu,\n  \"note\": ", tm_paths_reached(p));
	tm_esc_json_or_null(o, tm_paths_note(p));
	tm_out_puts(o, ",\n  \"paths\": [");
	for (size_t t = 0; t < tm_paths_count(p); t++)
		json_path(o, tm_paths_at(p, t), t, tm_paths_observed(p));
	tm_out_printf(o, "%s]\n}\n", tm_paths_count(p) ? "\n  " : "");
	return 0;
}

/* One path: "N. target  [why]", then a line per hop with what let it pass and file:line. */
static void text_path(tm_out *o, const tm_attack_path *t, size_t i, bool seen)
{
	tm_out_printf(o, "\n%zu. ", i + 1);
	tm_esc_term(o, tm_node_id(t->target->node));
	tm_out_puts(o, "  [");
	tm_esc_term(o, t->why ? t->why : "target");
	tm_out_puts(o, "]\n");
	for (size_t k = 0; k < t->nhops; k++) {
		const tm_hop *h = t->hops[k];
		tm_out_printf(o, "   %s ", k ? "->" : "  ");
		tm_esc_term(o, tm_node_id(h->node));
		if (k) {
			tm_out_puts(o, "  (");
			tm_esc_term(o, h->how);
			tm_out_puts(o, "; ");
			tm_esc_term(o, h->enforced);
			if (seen)
				tm_out_printf(o, "; %s", tm_seen_name(h->seen));
			tm_out_puts(o, ")");
		}
		if (h->evidence.path) {
			tm_out_puts(o, "  ");
			tm_esc_term(o, h->evidence.path);
			tm_out_printf(o, ":%u", h->evidence.line);
		}
		tm_out_puts(o, "\n");
	}
}

static int paths_text(const void *report, tm_out *o)
{
	const tm_paths *p = report;
	size_t n = tm_paths_reached(p), nt = tm_paths_count(p);
	tm_out_puts(o, "from ");
	tm_esc_term(o, tm_paths_from(p));
	tm_out_printf(o, ": %zu node%s reached", n, n == 1 ? "" : "s");
	if (tm_paths_note(p)) {
		tm_out_puts(o, " (");
		tm_esc_term(o, tm_paths_note(p));
		tm_out_puts(o, ")");
	}
	tm_out_printf(o, "; %zu path%s%s\n", nt, nt == 1 ? "" : "s", tm_paths_to(p) ? " to the target" : " to valuable nodes");
	if (tm_paths_observed(p))
		tm_out_puts(o, "each hop: declared by the files, observed by a runtime map, or both\n");
	for (size_t t = 0; t < nt; t++)
		text_path(o, tm_paths_at(p, t), t, tm_paths_observed(p));
	if (tm_paths_to(p) && !nt) {
		tm_esc_term(o, tm_paths_to(p));
		tm_out_puts(o, " is not reachable from ");
		tm_esc_term(o, tm_paths_from(p));
		tm_out_puts(o, "\n");
	}
	return 0;
}

const tm_report__format tm_report__paths_formats[] = {
	{"text", paths_text, "each path hop by hop, with what let each hop pass and the file:line"},
	{"json", paths_json, "the paths as JSON (docs/json.md)"},
	{NULL, NULL, NULL},
};

int tm_report_paths(const char *format, const tm_paths *p, const tm_sink *sink)
{
	return tm_report__dispatch(TM_REPORT_PATHS, format, p, sink);
}
