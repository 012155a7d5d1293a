/*
 * mermaid.c - the diagram as a Mermaid flowchart, for Markdown that renders
 * on code hosts: trust boundaries as nested subgraphs, edges styled by what
 * they enforce. Labels are quoted with every character that could end them
 * or open markup written as an entity code, so no input can break out.
 */
#include <string.h>

#include "diagram.h"

/* A quoted Mermaid label: "..." with quotes, angle brackets, ampersands, backticks, pipes, brackets,
 * braces and backslashes as #code; entities; control and bidi characters visible as #92;x1b (renders
 * \x1b) or #92;u202e; each byte that is not UTF-8 U+FFFD (the shared walk). */
static void mm_cp(tm_out *o, uint32_t cp, const unsigned char *p, size_t n)
{
	if (cp < 0x80 && cp && strchr("\"<>&`|[](){}#;\\", (int)cp))
		tm_out_printf(o, "#%u;", (unsigned)cp);
	else if (tm_esc_is_control(cp) || tm_esc_is_bidi(cp))
		tm_out_printf(o, cp < 0x80 ? "#92;x%02x" : "#92;u%04x", (unsigned)cp);
	else
		tm_out_put(o, (const char *)p, n);
}

static void mm_str(tm_out *o, const char *s)
{
	tm_out_puts(o, "\"");
	tm_esc_utf8_cp(o, s, mm_cp, TM_ESC_FFFD);
	tm_out_puts(o, "\"");
}

static void mm_node(tm_out *o, const tm_diagram *d, size_t i, int depth)
{
	const tm_dg_node *n = &d->nodes[i];
	char label[640];
	if (n->folded)
		tm_formatf(label, sizeof(label), "namespace %s: %zu workloads", n->label, n->members);
	else if (n->endpoints)
		tm_formatf(label, sizeof(label), "%s: %zu endpoint%s", n->label, n->endpoints, n->endpoints == 1 ? "" : "s");
	else
		tm_formatf(label, sizeof(label), "%s", n->label);
	tm_out_printf(o, "%*sn%zu", depth * 2 + 2, "", i);
	const char *open = "[", *close = "]";
	if (strcmp(n->kind, "datastore") == 0)
		open = "[(", close = ")]";
	else if (strcmp(n->kind, "entrypoint") == 0 || strcmp(n->kind, "external") == 0)
		open = "((", close = "))";
	else if (strcmp(n->kind, "gateway") == 0)
		open = "{{", close = "}}";
	else if (strcmp(n->kind, "queue") == 0)
		open = "[/", close = "/]";
	tm_out_puts(o, open);
	mm_str(o, label);
	tm_out_puts(o, close);
	tm_out_puts(o, "\n");
}

static bool holds(const tm_diagram *d, const char *b, int depth)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->nodes[i].hidden && d->nodes[i].boundary && strcmp(d->nodes[i].boundary, b) == 0)
			return true;
	for (size_t c = 0; depth < 8 && c < tm_model_boundary_count(d->model); c++) {
		const tm_boundary *x = tm_model_boundary(d->model, c);
		if (tm_boundary_parent(x) && strcmp(tm_boundary_parent(x), b) == 0 && holds(d, tm_boundary_id(x), depth + 1))
			return true;
	}
	return false;
}

static void mm_cluster(tm_out *o, const tm_diagram *d, size_t bi, int depth)
{
	const tm_boundary *b = tm_model_boundary(d->model, bi);
	const char *id = tm_boundary_id(b);
	if (depth > 8 || !holds(d, id, 0))
		return;
	char label[512];
	tm_formatf(label, sizeof(label), "%s (%s)", tm_boundary_name(b), tm_boundary_kind_name(tm_boundary_kind_of(b)));
	tm_out_printf(o, "%*ssubgraph b%zu [", depth * 2 + 2, "", bi);
	mm_str(o, label);
	tm_out_puts(o, "]\n");
	for (size_t i = 0; i < d->n; i++)
		if (!d->nodes[i].hidden && d->nodes[i].boundary && strcmp(d->nodes[i].boundary, id) == 0)
			mm_node(o, d, i, depth + 1);
	for (size_t c = 0; c < tm_model_boundary_count(d->model); c++) {
		const char *parent = tm_boundary_parent(tm_model_boundary(d->model, c));
		if (parent && strcmp(parent, id) == 0 && c != bi)
			mm_cluster(o, d, c, depth + 1);
	}
	tm_out_printf(o, "%*send\n", depth * 2 + 2, "");
}

static bool boundary_known(const tm_diagram *d, const char *id)
{
	for (size_t k = 0; id && k < tm_model_boundary_count(d->model); k++)
		if (strcmp(tm_boundary_id(tm_model_boundary(d->model, k)), id) == 0)
			return true;
	return false;
}

void tm_diagram_mermaid(tm_out *o, const tm_diagram *d)
{
	tm_out_puts(o, "flowchart LR\n");
	for (size_t bi = 0; bi < tm_model_boundary_count(d->model); bi++) {
		const char *parent = tm_boundary_parent(tm_model_boundary(d->model, bi));
		if (!parent || !boundary_known(d, parent))
			mm_cluster(o, d, bi, 0);
	}
	for (size_t i = 0; i < d->n; i++)
		if (!d->nodes[i].hidden && !boundary_known(d, d->nodes[i].boundary))
			mm_node(o, d, i, 0);
	size_t shown = 0;
	static const char *const arrow[] = {"-.->", "-->", "-.->", "==>"};
	for (size_t k = 0; k < d->ne; k++) {
		const tm_dg_edge *e = &d->edges[k];
		if (e->hidden)
			continue;
		char label[96];
		tm_formatf(label, sizeof(label), "%s%s", tm_edge_kind_name(e->kind),
			 e->state != TM_DG_MISSING ? "" : e->kind == TM_EDGE_ROUTES && e->authn == TM_AUTHN_UNKNOWN ? ": endpoints without auth" : ": no auth");
		tm_out_printf(o, "  n%zu %s|", e->from, arrow[e->state]);
		mm_str(o, label);
		tm_out_printf(o, "| n%zu\n", e->to);
		e->state == TM_DG_MISSING ? tm_out_printf(o, "  linkStyle %zu stroke:#c62828,stroke-width:2px\n", shown)
		: e->state == TM_DG_ENFORCED ? tm_out_printf(o, "  linkStyle %zu stroke:#2e7d32\n", shown)
					    : (void)0;
		shown++;
	}
	for (size_t i = 0; i < d->n; i++)
		if (!d->nodes[i].hidden && (d->nodes[i].highlight || d->nodes[i].exposure == TM_EXPOSURE_INTERNET))
			tm_out_printf(o, "  style n%zu %s\n", i,
				      d->nodes[i].highlight ? "stroke:#1565c0,stroke-width:3px" : "fill:#fde0dc");
}
