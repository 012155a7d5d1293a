/*
 * diagram.c - the view a diagram draws, built once for every diagram format
 * (DOT, SVG, Mermaid, HTML): which model nodes are shown, folded into what,
 * and the edges between them with what they enforce.
 *
 * Readable at 11 services, still useful at 200: endpoints fold into their
 * service (their count on the label), identities and secrets are left out
 * unless asked for, a focus keeps a node's neighbourhood, and past a size
 * the services of a namespace fold into one node per namespace (the focus
 * and a highlighted path stay unfolded). Edges between the same two shown
 * nodes merge; the weakest enforcement among them is the merged edge's.
 */
#include <string.h>

#include "diagram.h"

#define DEFAULT_DEPTH 2
#define FOLD_NAMESPACES_ABOVE 120

static bool in_list(const char *const *list, const char *id)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], id) == 0)
			return true;
	return false;
}

static tm_dg_state auth_state(tm_authn a, tm_authz z)
{
	if (a == TM_AUTHN_NONE && (z == TM_AUTHZ_NONE || z == TM_AUTHZ_UNKNOWN))
		return TM_DG_MISSING;
	if (a == TM_AUTHN_UNKNOWN && z == TM_AUTHZ_UNKNOWN)
		return TM_DG_UNKNOWN;
	return TM_DG_ENFORCED;
}

/* The edge's state: what is enforced on a request crossing it. A route into a service whose
 * endpoints are known takes theirs: missing when one of them takes requests without credentials. */
static tm_dg_state state_of(const tm_edge *e, const tm_hmap *exposed)
{
	if (tm_edge_kind_of(e) == TM_EDGE_ROUTES && tm_edge_authn(e) == TM_AUTHN_UNKNOWN &&
	    tm_edge_authz(e) == TM_AUTHZ_UNKNOWN) {
		const char *to = tm_node_id(tm_edge_to(e));
		void *v = tm_hmap_get(exposed, to, strlen(to));
		if (v)
			return (tm_dg_state)((uintptr_t)v - 1);
	}
	switch (tm_edge_kind_of(e)) {
	case TM_EDGE_ROUTES:
	case TM_EDGE_CALLS:
	case TM_EDGE_PUBLISHES:
	case TM_EDGE_SUBSCRIBES:
	case TM_EDGE_READS:
	case TM_EDGE_WRITES:
		break;
	default:
		return TM_DG_STRUCTURAL; /* runs-as, granted, mounts, deploys, exposes: not a request */
	}
	return auth_state(tm_edge_authn(e), tm_edge_authz(e));
}

static bool shown_kind(tm_node_kind k, tm_dg_detail detail)
{
	if (k == TM_NODE_ENDPOINT)
		return detail != TM_DG_SERVICES;
	if (k == TM_NODE_IDENTITY || k == TM_NODE_SECRET)
		return detail == TM_DG_ALL;
	return true;
}

static int add_node(tm_diagram *d, const char *id, const char *label, const char *kind, const char *boundary,
		    int exposure)
{
	if (TM_GROW(d->nodes, d->cap_nodes, d->n + 1))
		return TM_ENOMEM;
	tm_dg_node *n = &d->nodes[d->n];
	memset(n, 0, sizeof(*n));
	n->id = id;
	n->label = label;
	n->kind = kind;
	n->boundary = boundary;
	n->exposure = exposure;
	if (tm_hmap_put(&d->index, id, strlen(id), (void *)(uintptr_t)(d->n + 1)))
		return TM_ENOMEM;
	d->n++;
	return 0;
}

static long find(const tm_diagram *d, const char *id)
{
	void *v = id ? tm_hmap_get(&d->index, id, strlen(id)) : NULL;
	return v ? (long)(uintptr_t)v - 1 : -1;
}

/* Where a model node is drawn: its own node, its service, its namespace's folded node, or nowhere. */
static long place_of(const tm_diagram *d, const tm_node *n, const long *fold)
{
	long at = find(d, tm_node_id(n));
	if (at < 0 && tm_node_kind_of(n) == TM_NODE_ENDPOINT)
		at = find(d, tm_node_attr_str(n, "service"));
	if (at >= 0 && fold && fold[at] >= 0)
		at = fold[at];
	return at;
}

static int add_edge(tm_diagram *d, long from, long to, const tm_edge *e, const tm_hmap *exposed)
{
	tm_dg_state st = state_of(e, exposed);
	for (size_t i = 0; i < d->ne; i++) {
		tm_dg_edge *x = &d->edges[i];
		if (x->from == (size_t)from && x->to == (size_t)to && x->kind == tm_edge_kind_of(e)) {
			x->count++;
			if (st > x->state)
				x->state = st; /* the weakest enforcement wins */
			x->crosses |= tm_edge_crosses_boundary(e);
			return 0;
		}
	}
	if (TM_GROW(d->edges, d->cap_edges, d->ne + 1))
		return TM_ENOMEM;
	d->edges[d->ne++] = (tm_dg_edge){(size_t)from, (size_t)to, tm_edge_kind_of(e), st, tm_edge_crosses_boundary(e), 1,
					 tm_edge_authn(e), tm_edge_authz(e), false};
	return 0;
}

/* Pass 1: the nodes drawn for themselves; endpoints counted on their service. */
static int add_model_nodes(tm_diagram *d, const tm_model *m, const tm_exposure *x)
{
	int rc = 0;
	for (size_t i = 0; i < tm_model_node_count(m) && !rc; i++) {
		const tm_node *n = tm_model_node(m, i);
		if (!shown_kind(tm_node_kind_of(n), d->detail))
			continue;
		rc = add_node(d, tm_node_id(n), tm_node_name(n), tm_node_kind_name(tm_node_kind_of(n)), tm_node_boundary(n),
			      x ? tm_exposure_level_of(x, n) : tm_exposure_level_parse(tm_node_attr_str(n, "exposure")));
		if (!rc)
			d->nodes[d->n - 1].model = n;
	}
	for (size_t i = 0; i < tm_model_node_count(m) && !rc; i++) {
		const tm_node *n = tm_model_node(m, i);
		long at = tm_node_kind_of(n) == TM_NODE_ENDPOINT && d->detail == TM_DG_SERVICES
				  ? find(d, tm_node_attr_str(n, "service"))
				  : -1;
		if (at >= 0)
			d->nodes[at].endpoints++;
	}
	return rc;
}

/* Pass 2, past a size: a namespace's workloads fold into one node (the focus and the path stay).
 * *out maps each node drawn before the fold to its namespace's node, or -1; the caller frees it. */
static int fold_namespaces(tm_diagram *d, const tm_diagram_opts *o, long **out)
{
	int rc = 0;
	size_t before = d->n;
	long *fold = *out = tm_calloc(before + 1, sizeof(long));
	if (!fold)
		rc = TM_ENOMEM;
	for (size_t i = 0; i < before && !rc; i++) {
		tm_dg_node *n = &d->nodes[i];
		fold[i] = -1;
		const char *b = n->boundary;
		/* a namespace's own gateways (its Ingresses, its edge proxies) fold with it too */
		bool workload = strcmp(n->kind, "service") == 0 || strcmp(n->kind, "datastore") == 0 ||
				strcmp(n->kind, "endpoint") == 0 || strcmp(n->kind, "identity") == 0 ||
				strcmp(n->kind, "secret") == 0 || strcmp(n->kind, "gateway") == 0;
		if (!workload || !b || strncmp(b, "namespace:", 10) != 0 || in_list(o->highlight, n->id))
			continue;
		char *key = tm_arena_printf(d->arena, "fold:%s", b);
		long at = find(d, key);
		if (at < 0 && key) {
			tm_node_id_parts bid; /* "namespace:NS": the label is NS */
			rc = add_node(d, key, tm_arena_printf(d->arena, "%s", tm_node_id_parse(b, &bid) ? b : bid.rest),
				      "namespace", b, -1);
			at = (long)d->n - 1;
			if (!rc)
				d->nodes[at].folded = true;
		}
		if (!key)
			rc = TM_ENOMEM;
		if (!rc) {
			fold[i] = at;
			d->nodes[at].members++;
			d->nodes[at].endpoints += d->nodes[i].endpoints;
			d->nodes[i].hidden = true;
		}
	}
	d->folded = true;
	return rc;
}

/* What each service's endpoints enforce, the worst of them: service id -> tm_dg_state + 1. */
static int endpoint_states(tm_hmap *exposed, const tm_model *m)
{
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) != TM_EDGE_EXPOSES)
			continue;
		const char *svc = tm_node_id(tm_edge_from(e));
		uintptr_t st = (uintptr_t)auth_state(tm_edge_authn(e), tm_edge_authz(e)) + 1;
		uintptr_t had = (uintptr_t)tm_hmap_get(exposed, svc, strlen(svc));
		if (st > had && tm_hmap_put(exposed, svc, strlen(svc), (void *)st))
			return TM_ENOMEM;
	}
	return 0;
}

/* Pass 3: the edges between what is drawn. */
static int add_model_edges(tm_diagram *d, const tm_model *m, const long *fold)
{
	tm_hmap exposed = TM_HMAP_INIT;
	int rc = endpoint_states(&exposed, m);
	for (size_t i = 0; i < tm_model_edge_count(m) && !rc; i++) {
		const tm_edge *e = tm_model_edge(m, i);
		long from = place_of(d, tm_edge_from(e), fold), to = place_of(d, tm_edge_to(e), fold);
		if (from >= 0 && to >= 0 && from != to)
			rc = add_edge(d, from, to, e, &exposed);
	}
	tm_hmap_dispose(&exposed);
	return rc;
}

/* Pass 4, with a focus: its neighbourhood only, both directions, depth hops. */
static int keep_focus(tm_diagram *d, const tm_model *m, const tm_diagram_opts *o)
{
	long f = find(d, o->focus);
	if (f < 0) {
		const tm_node *fn = tm_model_find(m, o->focus);
		f = fn ? place_of(d, fn, NULL) : -1;
	}
	if (f < 0) {
		d->focus_missing = true;
		return 0;
	}
	int depth = o->depth > 0 ? o->depth : DEFAULT_DEPTH;
	int *dist = tm_calloc(d->n, sizeof(int));
	if (!dist)
		return TM_ENOMEM;
	for (size_t i = 0; i < d->n; i++)
		dist[i] = -1;
	dist[f] = 0;
	for (int r = 0; r < depth; r++)
		for (size_t k = 0; k < d->ne; k++) {
			size_t a = d->edges[k].from, b = d->edges[k].to;
			if (dist[a] == r && dist[b] < 0)
				dist[b] = r + 1;
			if (dist[b] == r && dist[a] < 0)
				dist[a] = r + 1;
		}
	for (size_t i = 0; i < d->n; i++)
		if (dist[i] < 0)
			d->nodes[i].hidden = true;
	d->nodes[f].focus = true;
	tm_free(dist);
	return 0;
}

/* Highlights, and what is left shown: an edge is hidden with either of its ends. */
static void count_shown(tm_diagram *d, const tm_diagram_opts *o)
{
	for (size_t i = 0; i < d->n; i++) {
		d->nodes[i].highlight = in_list(o->highlight, d->nodes[i].id);
		d->shown += !d->nodes[i].hidden;
	}
	for (size_t k = 0; k < d->ne; k++) {
		tm_dg_edge *e = &d->edges[k];
		e->hidden = d->nodes[e->from].hidden || d->nodes[e->to].hidden;
		d->shown_edges += !e->hidden;
	}
}

int tm_diagram_build(tm_diagram *d, const tm_model *m, const tm_exposure *x, const tm_diagram_opts *opts)
{
	memset(d, 0, sizeof(*d));
	tm_diagram_opts defaults = {NULL, 0, NULL, NULL};
	const tm_diagram_opts *o = opts ? opts : &defaults;
	d->detail = !o->detail || strcmp(o->detail, "services") == 0 ? TM_DG_SERVICES
		    : strcmp(o->detail, "endpoints") == 0          ? TM_DG_ENDPOINTS
								     : TM_DG_ALL;
	d->model = m;
	if (!(d->arena = tm_arena_new()))
		return TM_ENOMEM;
	int rc = add_model_nodes(d, m, x);
	long *fold = NULL;
	if (!rc && d->n > FOLD_NAMESPACES_ABOVE && !o->focus)
		rc = fold_namespaces(d, o, &fold);
	if (!rc)
		rc = add_model_edges(d, m, fold);
	tm_free(fold);
	if (!rc && o->focus)
		rc = keep_focus(d, m, o);
	count_shown(d, o);
	if (!rc && tm_arena_failed(d->arena))
		rc = TM_ENOMEM;
	return rc;
}

void tm_diagram_dispose(tm_diagram *d)
{
	tm_free(d->nodes);
	tm_free(d->edges);
	tm_hmap_dispose(&d->index);
	tm_arena_free(d->arena);
	memset(d, 0, sizeof(*d));
}

const char *tm_dg_state_name(tm_dg_state s)
{
	static const char *const names[] = {"structural", "enforced", "unknown", "missing"};
	return names[s];
}

const char *tm_diagram_engine(const tm_diagram *d)
{
	/* dot lays 50 nodes out in 0.07 s but 200 nodes / 500 edges in 92 s: above this, sfdp */
	return d->shown <= 150 && d->shown_edges <= 300 ? "dot" : "sfdp";
}

/* The three diagram formats: build the view from the report's context, then draw it. */
static int draw(const tm_wctx *ctx, tm_out *o, char which)
{
	tm_diagram d;
	int rc = tm_diagram_build(&d, tm_scan_model(ctx->scan), ctx->exposure, ctx->diagram);
	if (!rc) {
		if (which == 'd')
			tm_diagram_dot(o, &d, ctx->title);
		else if (which == 's')
			rc = tm_diagram_svg(o, &d, ctx->title);
		else
			tm_diagram_mermaid(o, &d);
	}
	tm_diagram_dispose(&d);
	return rc;
}

int tm_report__dot(const tm_wctx *ctx, tm_out *o) { return draw(ctx, o, 'd'); }
int tm_report__svg(const tm_wctx *ctx, tm_out *o) { return draw(ctx, o, 's'); }
int tm_report__mermaid(const tm_wctx *ctx, tm_out *o) { return draw(ctx, o, 'm'); }
