/*
 * dot.c - the diagram as Graphviz DOT: trust boundaries as nested clusters,
 * shapes by kind, fill by exposure, edges coloured by what they enforce
 * (green: authentication or authorization; red: neither; grey dashed:
 * unknown; dotted: not a request), boundary crossings drawn thick, a path
 * highlighted in blue. Element ids and classes (tm-n3, kind-service,
 * state-missing...) let the HTML report and the web UI find them in the SVG.
 */
#include <string.h>

#include "diagram.h"

/* A DOT quoted string: quotes and backslashes escaped (Graphviz's \N, \G... stay literal), a newline
 * Graphviz's line break, other control and bidi characters visible (\x1b, \u202e, the backslash
 * escaped so Graphviz shows it), each byte that is not UTF-8 U+FFFD (the shared walk). */
static void dot_cp(tm_out *o, uint32_t cp, const unsigned char *p, size_t n)
{
	if (cp == '"' || cp == '\\') {
		char esc[2] = {'\\', (char)cp};
		tm_out_put(o, esc, 2);
	} else if (cp == '\n') {
		tm_out_puts(o, "\\n"); /* Graphviz's centred line break */
	} else if (tm_esc_is_control(cp) || tm_esc_is_bidi(cp)) {
		tm_out_puts(o, "\\");
		tm_esc_visible_control(o, cp);
	} else {
		tm_out_put(o, (const char *)p, n);
	}
}

static void dot_str(tm_out *o, const char *s)
{
	tm_out_puts(o, "\"");
	tm_esc_utf8_cp(o, s, dot_cp, TM_ESC_FFFD);
	tm_out_puts(o, "\"");
}

static const char *shape_of(const char *kind)
{
	static const struct {
		const char *kind, *shape;
	} shapes[] = {
		{"entrypoint", "oval"},  {"gateway", "hexagon"},     {"service", "box"},
		{"endpoint", "note"},    {"datastore", "cylinder"},  {"queue", "cds"},
		{"identity", "house"},   {"secret", "component"},    {"pipeline", "parallelogram"},
		{"external", "doubleoctagon"}, {"namespace", "folder"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(shapes); i++)
		if (strcmp(shapes[i].kind, kind) == 0)
			return shapes[i].shape;
	return "box";
}

static const char *fill_of(const tm_dg_node *n)
{
	return n->exposure == TM_EXPOSURE_INTERNET ? "#fde0dc" : n->exposure == TM_EXPOSURE_PARTNER ? "#ffe9c7" : "#ffffff";
}

static const char *const state_color[] = {"#9e9e9e", "#2e7d32", "#757575", "#c62828"};
static const char *const state_style[] = {"dotted", "solid", "dashed", "solid"};

static void node_line(tm_out *o, const tm_diagram *d, size_t i, const char *indent)
{
	const tm_dg_node *n = &d->nodes[i];
	char label[640];
	if (n->folded)
		tm_formatf(label, sizeof(label), "namespace %s\n%zu workloads", n->label, n->members);
	else if (n->endpoints)
		tm_formatf(label, sizeof(label), "%s\n%zu endpoint%s", n->label, n->endpoints, n->endpoints == 1 ? "" : "s");
	else
		tm_formatf(label, sizeof(label), "%s", n->label);
	tm_out_printf(o, "%sn%zu [id=\"tm-n%zu\", label=", indent, i, i);
	dot_str(o, label);
	tm_out_printf(o, ", shape=%s, fillcolor=\"%s\", tooltip=", shape_of(n->kind), fill_of(n));
	dot_str(o, n->id);
	tm_out_printf(o, ", class=\"tm-node kind-%s%s%s%s\"", n->kind, n->exposure >= 0 ? " exposure-" : "",
		      n->exposure >= 0 ? tm_exposure_level_name((tm_exposure_level)n->exposure) : "",
		      n->highlight ? " highlight" : "");
	if (n->highlight)
		tm_out_puts(o, ", color=\"#1565c0\", penwidth=3");
	else if (n->focus)
		tm_out_puts(o, ", penwidth=3");
	tm_out_puts(o, "];\n");
}

/* Does boundary b (or one inside it) hold a shown node? */
static bool cluster_used(const tm_diagram *d, const char *b)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->nodes[i].hidden || !d->nodes[i].boundary)
			continue;
		const char *nb = d->nodes[i].boundary;
		for (int hops = 0; nb && hops < 16; hops++) {
			if (strcmp(nb, b) == 0)
				return true;
			const tm_boundary *pb = NULL;
			for (size_t k = 0; k < tm_model_boundary_count(d->model) && !pb; k++)
				if (strcmp(tm_boundary_id(tm_model_boundary(d->model, k)), nb) == 0)
					pb = tm_model_boundary(d->model, k);
			nb = pb ? tm_boundary_parent(pb) : NULL;
		}
	}
	return false;
}

static void cluster(tm_out *o, const tm_diagram *d, size_t bi, int depth)
{
	const tm_boundary *b = tm_model_boundary(d->model, bi);
	const char *id = tm_boundary_id(b);
	if (depth > 8 || !cluster_used(d, id))
		return;
	static const char pad[] = "                  ";
	const char *indent = pad + sizeof(pad) - 1 - (size_t)(depth + 1) * 2;
	tm_boundary_kind k = tm_boundary_kind_of(b);
	tm_out_printf(o, "%ssubgraph cluster_%zu {\n%s  id=\"tm-b%zu\"; class=\"tm-boundary boundary-%s\"; label=", indent, bi,
		      indent, bi, tm_boundary_kind_name(k));
	char label[512];
	tm_formatf(label, sizeof(label), "%s (%s)", tm_boundary_name(b), tm_boundary_kind_name(k));
	dot_str(o, label);
	tm_out_printf(o, "; style=\"rounded,dashed\"; color=\"%s\";\n",
		      k == TM_BOUNDARY_INTERNET  ? "#c62828"
		      : k == TM_BOUNDARY_PARTNER ? "#ef6c00"
		      : k == TM_BOUNDARY_CI      ? "#6a1b9a"
						 : "#546e7a");
	char inner[40];
	tm_formatf(inner, sizeof(inner), "%s  ", indent);
	for (size_t i = 0; i < d->n; i++)
		if (!d->nodes[i].hidden && d->nodes[i].boundary && strcmp(d->nodes[i].boundary, id) == 0)
			node_line(o, d, i, inner);
	for (size_t c = 0; c < tm_model_boundary_count(d->model); c++) {
		const char *parent = tm_boundary_parent(tm_model_boundary(d->model, c));
		if (parent && strcmp(parent, id) == 0 && c != bi)
			cluster(o, d, c, depth + 1);
	}
	tm_out_printf(o, "%s}\n", indent);
}

static bool known_boundary(const tm_diagram *d, const char *id)
{
	for (size_t k = 0; id && k < tm_model_boundary_count(d->model); k++)
		if (strcmp(tm_boundary_id(tm_model_boundary(d->model, k)), id) == 0)
			return true;
	return false;
}

void tm_diagram_dot(tm_out *o, const tm_diagram *d, const char *title)
{
	tm_diagram__dot(o, d, title, 0);
}

void tm_diagram__dot(tm_out *o, const tm_diagram *d, const char *title, unsigned flags)
{
	tm_out_puts(o, "digraph trustmap {\n  graph [label=");
	dot_str(o, title ? title : "system");
	/* routed splines cost sfdp time that grows much faster than the graph (a 580-node view took 700 s
	 * in libpathplan): straight lines where the size calls for sfdp */
	tm_out_puts(o, ", labelloc=t, fontname=\"Helvetica\", fontsize=14, rankdir=LR, compound=true, nodesep=0.3, "
		       "ranksep=0.6, overlap=false, splines=");
	/* sfdp: the random start from a fixed seed (without one it seeds from the clock and the process
	 * id, and one system's diagram came out differently from run to run) */
	tm_out_puts(o, strcmp(tm_diagram_engine(d), "dot") == 0 ? "true" : "line, start=1");
	tm_out_puts(o, ", outputorder=edgesfirst];\n"
		       "  node [style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, penwidth=1];\n"
		       "  edge [fontname=\"Helvetica\", fontsize=8, arrowsize=0.7];\n");
	/* clusters from the top boundaries down; then the nodes in no known boundary */
	for (size_t bi = 0; bi < tm_model_boundary_count(d->model); bi++) {
		const char *parent = tm_boundary_parent(tm_model_boundary(d->model, bi));
		if (!parent || !known_boundary(d, parent))
			cluster(o, d, bi, 0);
	}
	for (size_t i = 0; i < d->n; i++)
		if (!d->nodes[i].hidden && !known_boundary(d, d->nodes[i].boundary))
			node_line(o, d, i, "  ");
	for (size_t k = 0; k < d->ne; k++) {
		const tm_dg_edge *e = &d->edges[k];
		if (e->hidden)
			continue;
		bool hl = d->nodes[e->from].highlight && d->nodes[e->to].highlight;
		char label[160];
		const char *kind = tm_edge_kind_name(e->kind);
		if (e->state == TM_DG_STRUCTURAL || e->state == TM_DG_UNKNOWN)
			tm_formatf(label, sizeof(label), "%s", kind);
		else if (e->state == TM_DG_MISSING)
			tm_formatf(label, sizeof(label), "%s: %s", kind,
				 e->kind == TM_EDGE_ROUTES && e->authn == TM_AUTHN_UNKNOWN ? "endpoints without auth" : "no auth");
		else
			tm_formatf(label, sizeof(label), "%s: %s/%s", kind, tm_authn_name(e->authn), tm_authz_name(e->authz));
		if (e->count > 1) {
			size_t n = strlen(label);
			tm_formatf(label + n, sizeof(label) - n, " (x%zu)", e->count);
		}
		tm_out_printf(o, "  n%zu -> n%zu [id=\"tm-e%zu\", class=\"tm-edge state-%s%s%s\", %s=", e->from, e->to, k,
			      tm_dg_state_name(e->state), e->crosses ? " crosses" : "", hl ? " highlight" : "",
			      flags & TM_DOT_XLABELS ? "xlabel" : "label");
		dot_str(o, label);
		tm_out_printf(o, ", color=\"%s\", fontcolor=\"%s\", style=%s, penwidth=%s];\n",
			      hl ? "#1565c0" : state_color[e->state], state_color[e->state], state_style[e->state],
			      hl ? "3" : e->crosses ? "2" : "1");
	}
	tm_out_puts(o, "}\n");
}
