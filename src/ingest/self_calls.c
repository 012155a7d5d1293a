/*
 * self_calls.c - a workload's own public address is not a third party.
 *
 * Applications are told their public URL (Ghost's `url`, WordPress' WP_HOME, Mastodon's
 * LOCAL_DOMAIN, Nextcloud's OVERWRITEHOST): to write links, set cookies and check origins, not to
 * call out. The readers of configuration (k8s_calls.c, calls.c) see a public host and draw a call
 * to `external:<host>`, so a domain change would read as a new third party in a diff. Once every
 * reader has finished, a call from workload W to `external:H` whose edge was read from W's
 * configuration (an `env` or `address` attribute, not a runtime map's observation) is dropped when
 * H is a host that routes back to W itself: a host a route edge into W carries (an Ingress rule,
 * a Gateway API or Istio route, a Traefik or Caddy route of a compose service), or a host of a
 * gateway whose every route goes to W (an IngressRoute, an HTTPProxy, a Knative route). Wildcard
 * hosts ("*.example.org") match as the platforms match them; "*" (any host) names no address. A
 * note at the value says what was dropped and which route serves the host; the `external:` node
 * goes too when nothing else touches it and no reader said anything of it (no attribute).
 *
 * Cost: one pass over the edges to index the routes' hosts by (workload, host), one over the
 * calls, each looked up at most once per label of its host; one pass to drop (tm_mb_drop).
 */
#include <ctype.h>
#include <string.h>

#include "ingest.h"

enum { HOST_MAX = 253 };

/* The edge's attribute key (the model is not frozen: attributes are in the order added). */
static const tm_attr *edge_attr(const tm_edge *e, const char *key)
{
	for (size_t i = 0; i < e->attrs.count; i++)
		if (strcmp(e->attrs.items[i].key, key) == 0)
			return &e->attrs.items[i];
	return NULL;
}

static const tm_attr *node_attr(const tm_node *n, const char *key)
{
	for (size_t i = 0; i < n->attrs.count; i++)
		if (strcmp(n->attrs.items[i].key, key) == 0)
			return &n->attrs.items[i];
	return NULL;
}

/* The key of (w, host): w's address, then the host in lower case; its length, 0 when too long. */
static size_t key_of(char *key, size_t cap, const tm_node *w, const char *host, size_t hl)
{
	if (hl > HOST_MAX || sizeof(w) + hl > cap)
		return 0;
	memcpy(key, &w, sizeof(w));
	for (size_t i = 0; i < hl; i++)
		key[sizeof(w) + i] = (char)tolower((unsigned char)host[i]);
	return sizeof(w) + hl;
}

/* What a host of a route into a workload says: the route (for the note). */
struct served {
	const tm_edge *route;
	const tm_node *gateway; /* the gateway node whose hosts these are, or NULL: the edge's */
};

static void index_host(tm_ingest_ctx *ctx, tm_hmap *idx, const tm_node *w, const char *host, const tm_edge *route,
		       const tm_node *gw)
{
	char key[sizeof(void *) + HOST_MAX];
	size_t kl = host && strcmp(host, "*") != 0 ? key_of(key, sizeof(key), w, host, strlen(host)) : 0;
	if (!kl || tm_hmap_get(idx, key, kl))
		return;
	char *k = tm_arena_alloc(ctx->scratch, kl);
	struct served *s = tm_arena_alloc(ctx->scratch, sizeof(*s));
	if (!k || !s) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	memcpy(k, key, kl);
	*s = (struct served){route, gw};
	if (tm_hmap_put(idx, k, kl, s))
		tm_arena_set_failed(ctx->scratch);
}

/* The route that makes host h route back to w: h itself, or a wildcard over it ("*.example.org"
 * for "blog.example.org"; Kubernetes and Istio match one label or more). */
static const struct served *served_by(const tm_hmap *idx, const tm_node *w, const char *h)
{
	char key[sizeof(void *) + HOST_MAX + 2];
	size_t hl = strlen(h), kl = key_of(key, sizeof(key), w, h, hl);
	const struct served *s = kl ? tm_hmap_get(idx, key, kl) : NULL;
	for (const char *dot = strchr(h, '.'); !s && dot && dot[1]; dot = strchr(dot + 1, '.')) {
		char wild[HOST_MAX + 2];
		size_t rest = strlen(dot);
		if (rest + 1 > HOST_MAX)
			continue;
		wild[0] = '*';
		memcpy(wild + 1, dot, rest + 1);
		kl = key_of(key, sizeof(key), w, wild, rest + 1);
		s = kl ? tm_hmap_get(idx, key, kl) : NULL;
	}
	return s;
}

/* Per gateway node: the one workload every route of it reaches, or MANY. */
#define MANY ((void *)1)

static void index_routes(tm_ingest_ctx *ctx, const tm_model *m, tm_hmap *idx)
{
	tm_hmap only = TM_HMAP_INIT; /* gateway node address -> its one target, or MANY */
	for (size_t i = 0; i < m->nedges; i++) {
		const tm_edge *e = m->edges[i];
		if (e->kind != TM_EDGE_ROUTES || e->to->kind != TM_NODE_SERVICE || e->from->kind != TM_NODE_GATEWAY)
			continue;
		void *was = tm_hmap_get(&only, (const char *)&e->from, sizeof(e->from));
		if (tm_hmap_put(&only, (const char *)&e->from, sizeof(e->from), !was || was == e->to ? (void *)e->to : MANY))
			tm_arena_set_failed(ctx->scratch);
	}
	for (size_t i = 0; i < m->nedges; i++) {
		const tm_edge *e = m->edges[i];
		if (e->kind != TM_EDGE_ROUTES || e->to->kind != TM_NODE_SERVICE)
			continue;
		const tm_attr *hosts = edge_attr(e, "hosts");
		for (size_t k = 0; hosts && hosts->type == TM_ATTR_LIST && hosts->list && hosts->list[k]; k++)
			index_host(ctx, idx, e->to, hosts->list[k], e, NULL);
		if (hosts || e->from->kind != TM_NODE_GATEWAY ||
		    tm_hmap_get(&only, (const char *)&e->from, sizeof(e->from)) != (void *)e->to)
			continue;
		/* a gateway that names its hosts itself and routes to this workload alone */
		const tm_attr *gh = node_attr(e->from, "hosts");
		for (size_t k = 0; gh && gh->type == TM_ATTR_LIST && gh->list && gh->list[k]; k++)
			index_host(ctx, idx, e->to, gh->list[k], e, e->from);
	}
	tm_hmap_dispose(&only);
}

/* A call read from configuration (not a runtime map's): its variable, or NULL when it is none. */
static const char *configured_by(const tm_edge *e)
{
	if (edge_attr(e, "observed") || edge_attr(e, "observed_only"))
		return NULL;
	const tm_attr *env = edge_attr(e, "env");
	if (env && env->type == TM_ATTR_LIST && env->list && env->list[0])
		return env->list[0];
	return edge_attr(e, "address") ? "a configured address" : NULL;
}

static void say_dropped(tm_ingest_ctx *ctx, const tm_edge *e, const char *var, const struct served *s)
{
	tm_loc at = e->evidence.count ? e->evidence.items[0] : (tm_loc){NULL, 0, 0, NULL};
	tm_loc rat = s->route->evidence.count ? s->route->evidence.items[0] : (tm_loc){NULL, 0, 0, NULL};
	tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
		    "%s names %s, a host %s's own route serves (%s%s at %s:%u): the workload's own public address, "
		    "not a call to a third party; no call is drawn",
		    var, e->to->name, e->from->id, s->route->from->id, s->gateway ? ", its hosts" : "",
		    rat.path ? rat.path : "?", (unsigned)rat.line);
}

void tm_ingest__self_calls(tm_ingest_ctx *ctx)
{
	if (!ctx->mb)
		return;
	const tm_model *m = tm_mb_model(ctx->mb);
	bool any = false;
	for (size_t i = 0; i < m->nedges && !any; i++)
		any = m->edges[i]->kind == TM_EDGE_CALLS && m->edges[i]->to->kind == TM_NODE_EXTERNAL;
	if (!any)
		return;
	tm_hmap idx = TM_HMAP_INIT;
	tm_pset edges = TM_PSET_INIT, nodes = TM_PSET_INIT;
	index_routes(ctx, m, &idx);
	for (size_t i = 0; idx.count && i < m->nedges; i++) {
		const tm_edge *e = m->edges[i];
		if (e->kind != TM_EDGE_CALLS || e->to->kind != TM_NODE_EXTERNAL || e->from->kind != TM_NODE_SERVICE)
			continue;
		const char *var = configured_by(e);
		const struct served *s = var ? served_by(&idx, e->from, e->to->name) : NULL;
		if (!s)
			continue;
		say_dropped(ctx, e, var, s);
		if (tm_pset_add(&edges, e) < 0 || (!e->to->attrs.count && !e->to->facts.count && tm_pset_add(&nodes, e->to) < 0))
			tm_arena_set_failed(ctx->scratch);
	}
	if (edges.count)
		tm_mb_drop(ctx->mb, &edges, &nodes);
	tm_pset_dispose(&edges);
	tm_pset_dispose(&nodes);
	tm_hmap_dispose(&idx);
}
