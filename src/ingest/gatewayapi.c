/*
 * gatewayapi.c - Kubernetes Gateway API: GatewayClass, Gateway, ListenerSet, HTTPRoute,
 * GRPCRoute, TLSRoute, TCPRoute, UDPRoute and ReferenceGrant.
 *
 *   Gateway -> gateway node "gateway:gwapi:<ns>/<name>" (listeners, class,
 *       controller); internet routes-> it: Gateway API gateways are usually
 *       given a public load balancer, and the report says it assumed so.
 *   xRoute -> for each parentRef a Gateway accepts (listener allowedRoutes:
 *       Same, All or a namespace Selector; sectionName; route kind), the
 *       gateway routes-> the workloads behind each backendRef Service, with
 *       the route's hostnames and path matches.
 *   An ambient waypoint (class istio-waypoint, or an HBONE / istio.io/PROXY listener) is no entry
 *       point: its node has no way in from the internet, and it goes into the policy model's
 *       waypoints, which the query reads for the Services that use it (istio.io/use-waypoint).
 *   A backendRef into another namespace needs a ReferenceGrant there naming
 *       the route's kind and namespace; without one the backend is refused,
 *       as the implementation would, and a warning points at the backendRef.
 *   A backend Service that was not scanned becomes an unresolved service node.
 *   ListenerSet -> more listeners of its parentRef Gateway, when the Gateway's allowedListeners
 *       admits the ListenerSet's namespace (none unless it says so); a route whose parentRef is a
 *       ListenerSet is accepted by the ListenerSet's listeners (allowedRoutes relative to the
 *       ListenerSet's namespace) and routed from the parent Gateway's node.
 *   Envoy Gateway's SecurityPolicy and BackendTrafficPolicy (gateway.envoyproxy.io) -> the checks
 *       on the routes edges of the routes and Gateways they target (targetRef, targetRefs), a
 *       route's own policy winning over its Gateway's as Envoy Gateway merges them: JWT, OIDC,
 *       basic auth, API keys, external authorization, an authorization that admits client CIDRs
 *       only; rate limits. Its ClientTrafficPolicy on a Gateway: a client certificate required
 *       (tls.clientValidation, not optional) on every route of the Gateway that checks nothing else. A route of an Envoy Gateway Gateway (its class's controller, or a policy
 *       targeting it) that no policy reaches has no check; any other route's stay unknown, as
 *       before: its implementation's policies were not read.
 */
#include <stdio.h>

#include "ingest.h"

static bool is_route(const char *kind)
{
	static const char *const kinds[] = {"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"};
	for (size_t i = 0; i < TM_ARRAY_LEN(kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

static bool gw_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
		   const char *detail)
{
	tm_objs *g = state;
	const char *api = tm_map_get_str(root, "apiVersion");
	bool eg = api && strncmp(api, "gateway.envoyproxy.io/", 22) == 0;
	if (!g || !(eg ? strcmp(detail, "SecurityPolicy") == 0 || strcmp(detail, "BackendTrafficPolicy") == 0 ||
			 strcmp(detail, "ClientTrafficPolicy") == 0
		       : strcmp(detail, "Gateway") == 0 || strcmp(detail, "GatewayClass") == 0 ||
				 strcmp(detail, "ReferenceGrant") == 0 || strcmp(detail, "ListenerSet") == 0 ||
				 is_route(detail)))
		return false;
	return tm_objs__add(ctx, g, f, root, detail);
}

/* ---- Envoy Gateway's policies ---------------------------------------------------------------- */

/* The policies by what they target: "<policy kind>\x1f<target kind>\x1f<ns>/<name>" -> the first
 * (Envoy Gateway keeps the oldest of two on one target; the scan's order stands for age). */
struct eg {
	tm_hmap by_target;
	tm_hmap checks;    /* a SecurityPolicy (its address) -> its tm_gw_checks, judged once */
	size_t n;          /* policies read */
	tm_strbuf key;
};

static void eg_index(tm_ingest_ctx *ctx, tm_objs *g, struct eg *eg)
{
	for (size_t i = 0; i < g->n; i++) {
		const tm_obj *p = &g->items[i];
		if (strcmp(p->kind, "SecurityPolicy") != 0 && strcmp(p->kind, "BackendTrafficPolicy") != 0 &&
		    strcmp(p->kind, "ClientTrafficPolicy") != 0)
			continue;
		eg->n++;
		const tm_value *spec = tm_map_get(p->v, "spec"), *one = tm_map_get(spec, "targetRef");
		const tm_value *refs = tm_map_get(spec, "targetRefs");
		size_t n = one ? 1 : tm_value_len(refs);
		if (!n && tm_map_get(spec, "targetSelectors"))
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(p->f, tm_map_get(spec, "targetSelectors")),
				    "%s %s/%s targets routes by label (targetSelectors), which this version does not "
				    "read: the routes it selects keep the checks of their Gateway", p->kind, p->ns, p->name);
		for (size_t k = 0; k < n; k++) {
			const tm_value *ref = one ? one : tm_seq_at(refs, k);
			const char *kind = tm_map_get_str(ref, "kind"), *name = tm_map_get_str(ref, "name");
			if (tm_map_get(ref, "sectionName")) {
				/* one listener or rule: not the whole Gateway's or route's, whose other routes it
				 * would seem to guard */
				tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(p->f, ref),
					    "%s %s/%s targets one section (sectionName) of %s %s, which this version does not "
					    "tell apart: not applied", p->kind, p->ns, p->name, kind ? kind : "?", name ? name : "?");
				continue;
			}
			char *key = kind && name ? tm_arena_printf(g->arena, "%s\x1f%s\x1f%s/%s", p->kind, kind, p->ns, name) : NULL;
			if (key && !tm_hmap_get(&eg->by_target, key, strlen(key)) &&
			    tm_hmap_put(&eg->by_target, key, strlen(key), (void *)p))
				tm_arena_set_failed(ctx->scratch);
		}
	}
}

static const tm_obj *eg_find(struct eg *eg, const char *pkind, const char *kind, const char *ns, const char *name)
{
	tm_strbuf_reset(&eg->key);
	tm_strbuf_printf(&eg->key, "%s\x1f%s\x1f%s/%s", pkind, kind, ns, name);
	return eg->key.oom ? NULL : tm_hmap_get(&eg->by_target, eg->key.data, eg->key.len);
}

/* "<what> (<Kind> <ns>/<name>) at path:line", as every gateway reader names a check. */
static const char *eg_how(tm_ingest_ctx *ctx, const tm_obj *p, const char *what, const tm_value *at)
{
	return tm_gw_where(ctx, tm_arena_printf(ctx->scratch, "envoy gateway %s (%s %s/%s)", what, p->kind, p->ns, p->name),
			   tm_ingest__loc(p->f, at));
}

/* A SecurityPolicy's checks of the caller into c. */
static void eg_security(tm_ingest_ctx *ctx, const tm_obj *p, tm_gw_checks *c)
{
	/* the first check the policy writes, in this order; an external authorizer's is a decision the
	 * gateway delegates (authn unknown, as nginx's auth_request) */
	static const struct {
		const char *field, *words;
		tm_authn authn;
	} kinds[] = {{"jwt", "jwt", TM_AUTHN_JWT},		 {"oidc", "oidc", TM_AUTHN_OAUTH2},
		     {"basicAuth", "basic auth", TM_AUTHN_BASIC},	 {"apiKeyAuth", "api key", TM_AUTHN_API_KEY},
		     {"extAuth", "external authorization", TM_AUTHN_UNKNOWN}};
	const tm_value *spec = tm_map_get(p->v, "spec");
	for (size_t i = 0; i < TM_ARRAY_LEN(kinds); i++) {
		const tm_value *v = tm_map_get(spec, kinds[i].field);
		bool optional = false; /* a JWT the request may leave out checks no one */
		if (!v || (!tm_scalar_bool(tm_map_get(v, "optional"), &optional) && optional))
			continue;
		c->authn = kinds[i].authn;
		c->authn_how = eg_how(ctx, p, kinds[i].words, v);
		break;
	}
	/* an authorization denying by default and allowing client addresses only: an allow-list */
	const tm_value *az = tm_map_get(spec, "authorization");
	const char *dflt = tm_map_get_str(az, "defaultAction");
	const tm_value *rules = tm_map_get(az, "rules");
	if (!az || (dflt && strcmp(dflt, "Deny") != 0) || !tm_value_len(rules))
		return;
	tm_strbuf cidrs = TM_STRBUF_INIT;
	bool only_cidrs = true, private = true;
	size_t listed = 0, more = 0;
	for (size_t i = 0; i < tm_value_len(rules) && only_cidrs; i++) {
		const tm_value *r = tm_seq_at(rules, i), *pr = tm_map_get(r, "principal");
		const char *act = tm_map_get_str(r, "action");
		if (act && strcmp(act, "Allow") != 0)
			continue;
		const tm_value *cl = tm_map_get(pr, "clientCIDRs");
		only_cidrs = tm_value_len(cl) && !tm_map_get(pr, "jwt") && !tm_map_get(pr, "headers");
		for (size_t k = 0; only_cidrs && k < tm_value_len(cl); k++) {
			const char *cidr = tm_scalar_str(tm_seq_at(cl, k), NULL);
			private = private && cidr && tm_policy__private_cidr(cidr);
			if (listed++ < 16) /* the text names the first few: a policy of many ranges stays one line */
				tm_strbuf_printf(&cidrs, "%s%s", cidrs.len ? " " : "", cidr ? cidr : "?");
			else
				more++;
		}
	}
	if (more)
		tm_strbuf_printf(&cidrs, " and %zu more", more);
	if (only_cidrs && cidrs.len && !cidrs.oom) {
		c->restrict_how = eg_how(ctx, p, tm_arena_printf(ctx->scratch, "client CIDRs %s", cidrs.data), az);
		c->private_only = private;
	}
	tm_strbuf_dispose(&cidrs);
}

/* The checks Envoy Gateway applies to route r through gateway gw: each policy kind from the route's
 * own, else its Gateway's. false: gw is no Envoy Gateway gateway that the scan shows, and r is
 * targeted by none: its checks are unknown. */
static bool eg_checks(tm_ingest_ctx *ctx, struct eg *eg, const tm_obj *r, const tm_obj *gw, bool eg_gateway,
		      tm_gw_checks *c)
{
	*c = (tm_gw_checks)TM_GW_CHECKS_NONE;
	if (!eg->n)
		return false;
	const tm_obj *sp = eg_find(eg, "SecurityPolicy", r->kind, r->ns, r->name);
	const tm_obj *bt = eg_find(eg, "BackendTrafficPolicy", r->kind, r->ns, r->name);
	bool own = sp || bt;
	if (!sp)
		sp = eg_find(eg, "SecurityPolicy", "Gateway", gw->ns, gw->name);
	if (!bt)
		bt = eg_find(eg, "BackendTrafficPolicy", "Gateway", gw->ns, gw->name);
	if (!own && !sp && !bt && !eg_gateway)
		return false;
	if (sp) {
		/* judged once per policy, however many routes it guards */
		const tm_gw_checks *had = tm_hmap_get(&eg->checks, (const char *)&sp, sizeof(sp));
		tm_gw_checks *mine = had ? NULL : tm_arena_alloc(ctx->scratch, sizeof(*mine));
		char *key = had ? NULL : tm_arena_alloc(ctx->scratch, sizeof(sp));
		if (mine && key) {
			*mine = (tm_gw_checks)TM_GW_CHECKS_NONE;
			eg_security(ctx, sp, mine);
			memcpy(key, &sp, sizeof(sp));
			if (tm_hmap_put(&eg->checks, key, sizeof(sp), mine))
				tm_arena_set_failed(ctx->scratch);
			had = mine;
		}
		if (had)
			*c = *had;
	}
	const tm_value *rl = bt ? tm_map_get(tm_map_get(bt->v, "spec"), "rateLimit") : NULL;
	if (rl)
		c->rate_how = eg_how(ctx, bt, "rate limit", rl);
	/* a client certificate the Gateway's listeners require (ClientTrafficPolicy, which targets
	 * Gateways only): every route's callers present one, whatever else the route checks */
	const tm_obj *ct = eg_find(eg, "ClientTrafficPolicy", "Gateway", gw->ns, gw->name);
	const tm_value *cv = ct ? tm_map_get(tm_map_get(tm_map_get(ct->v, "spec"), "tls"), "clientValidation") : NULL;
	bool optional = false;
	/* clientValidation acts on the listeners that terminate TLS: a route a plain HTTP listener of
	 * the Gateway also takes is reached without a certificate */
	const tm_value *ls = tm_map_get(tm_map_get(gw->v, "spec"), "listeners");
	bool all_tls = tm_value_len(ls) > 0;
	for (size_t i = 0; i < tm_value_len(ls) && all_tls; i++) {
		const char *proto = tm_map_get_str(tm_seq_at(ls, i), "protocol");
		all_tls = proto && (strcmp(proto, "HTTPS") == 0 || strcmp(proto, "TLS") == 0);
	}
	if (cv && all_tls && (tm_scalar_bool(tm_map_get(cv, "optional"), &optional) || !optional) &&
	    c->authn == TM_AUTHN_NONE) {
		c->authn = TM_AUTHN_MTLS;
		c->authn_how = eg_how(ctx, ct, "client certificate", cv);
	}
	return true;
}

/* Is gw served by Envoy Gateway? Its class's controller says so, or a policy of it targets gw. */
static bool eg_gateway(tm_objs *g, struct eg *eg, const tm_obj *gw)
{
	const char *cls = tm_map_get_str(tm_map_get(gw->v, "spec"), "gatewayClassName");
	const tm_obj *gc = cls ? tm_objs__find(g, "GatewayClass", NULL, cls) : NULL;
	const char *ctl = gc ? tm_map_get_str(tm_map_get(gc->v, "spec"), "controllerName") : NULL;
	return (ctl && strncmp(ctl, "gateway.envoyproxy.io/", 22) == 0) ||
	       eg_find(eg, "SecurityPolicy", "Gateway", gw->ns, gw->name) ||
	       eg_find(eg, "BackendTrafficPolicy", "Gateway", gw->ns, gw->name) ||
	       eg_find(eg, "ClientTrafficPolicy", "Gateway", gw->ns, gw->name);
}

/* The listeners of d (a Gateway, or a ListenerSet attached to gateway node n: named by set) as facts
 * and hosts of n; true when one terminates TLS (HTTPS, TLS). */
static bool listener_facts(tm_ingest_ctx *ctx, tm_objs *g, tm_node *n, const tm_obj *d, const char *set)
{
	bool tls = false;
	const tm_value *ls = tm_map_get(tm_map_get(d->v, "spec"), "listeners");
	for (size_t i = 0; i < tm_value_len(ls); i++) {
		const tm_value *l = tm_seq_at(ls, i);
		const char *proto = tm_map_get_str(l, "protocol");
		const char *port = tm_map_get_str(l, "port");
		const char *host = tm_map_get_str(l, "hostname");
		const char *name = tm_map_get_str(l, "name");
		char *desc = tm_arena_printf(g->arena, "%s%s%s %s:%s%s%s", set ? set : "", set ? "/" : "", name ? name : "?",
					     proto ? proto : "?", port ? port : "?", host ? " " : "", host ? host : "");
		tm_mb_node_fact(ctx->mb, n, "listeners", desc, tm_ingest__loc(d->f, l));
		if (host)
			tm_mb_node_list_add(ctx->mb, n, "hosts", host);
		if (proto && (strcmp(proto, "HTTPS") == 0 || strcmp(proto, "TLS") == 0))
			tls = true;
	}
	return tls;
}

/* Is Gateway d an ambient waypoint (class istio-waypoint, or a listener of a waypoint's protocol:
 * Istio's HBONE, kgateway's istio.io/PROXY)? Then it is recorded in the policy model, where the query
 * finds it for the Services that use it, and it is no entry point: a waypoint serves in-mesh traffic
 * only (its Service is cluster-internal). */
static bool waypoint(tm_ingest_ctx *ctx, const tm_obj *d, tm_node *n)
{
	const tm_value *spec = tm_map_get(d->v, "spec");
	const char *cls = tm_map_get_str(spec, "gatewayClassName");
	const tm_value *ls = tm_map_get(spec, "listeners");
	const tm_value *mark = cls && strcmp(cls, "istio-waypoint") == 0 ? tm_map_get(spec, "gatewayClassName") : NULL;
	for (size_t i = 0; !mark && i < tm_value_len(ls); i++) {
		const tm_value *l = tm_seq_at(ls, i);
		const char *proto = tm_map_get_str(l, "protocol");
		if (proto && (strcmp(proto, "HBONE") == 0 || strcmp(proto, "istio.io/PROXY") == 0))
			mark = tm_map_get(l, "protocol");
	}
	if (!mark)
		return false;
	tm_policy *pol = tm_mb_policy(ctx->mb);
	tm_waypoint *wp = TM_PM_ADD(pol, waypoints);
	if (wp) {
		const char *traffic = tm_map_get_str(tm_map_get(tm_map_get(d->v, "metadata"), "labels"), "istio.io/waypoint-for");
		wp->ns = tm_pm_strdup(pol->arena, d->ns);
		wp->name = tm_pm_strdup(pol->arena, d->name);
		wp->cls = cls ? tm_pm_strdup(pol->arena, cls) : NULL;
		wp->traffic = traffic ? tm_pm_strdup(pol->arena, traffic) : NULL;
		wp->loc = tm_ingest__loc(d->f, d->v);
	}
	tm_mb_node_bool(ctx->mb, n, "waypoint", true);
	tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(d->f, mark),
		    "Gateway %s/%s is an ambient waypoint (%s): it serves in-mesh traffic to the Services and workloads "
		    "that name it in istio.io/use-waypoint, not the internet, and enforces the AuthorizationPolicies "
		    "attached to them or to it by targetRefs",
		    d->ns, d->name, cls && strcmp(cls, "istio-waypoint") == 0 ? "class istio-waypoint" : "a waypoint listener");
	return true;
}

static void add_gateway(tm_ingest_ctx *ctx, tm_objs *g, const tm_obj *d)
{
	char *id = tm_arena_printf(g->arena, "gateway:gwapi:%s/%s", d->ns, d->name);
	char *bnd = tm_arena_printf(g->arena, "namespace:%s", d->ns);
	if (!id || !bnd)
		return;
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_CLUSTER, "cluster", "Kubernetes cluster", NULL);
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_NAMESPACE, bnd, d->ns, "cluster");
	tm_loc loc = tm_ingest__loc(d->f, d->v);
	tm_node *n = tm_mb_node(ctx->mb, TM_NODE_GATEWAY, id, d->name, bnd, loc);
	if (!n)
		return;
	const tm_value *spec = tm_map_get(d->v, "spec");
	tm_mb_node_str(ctx->mb, n, "namespace", d->ns);
	tm_mb_node_str(ctx->mb, n, "gateway_type", "gateway-api");
	const char *cls = tm_map_get_str(spec, "gatewayClassName");
	if (cls) {
		tm_mb_node_str(ctx->mb, n, "gateway_class", cls);
		const tm_obj *gc = tm_objs__find(g, "GatewayClass", NULL, cls);
		const char *ctl = gc ? tm_map_get_str(tm_map_get(gc->v, "spec"), "controllerName") : NULL;
		if (ctl)
			tm_mb_node_str(ctx->mb, n, "controller", ctl);
	}
	tm_mb_node_bool(ctx->mb, n, "tls", listener_facts(ctx, g, n, d, NULL));
	if (waypoint(ctx, d, n))
		return;
	/* an internal load balancer: GKE's internal classes, or the cloud's annotation the Gateway asks
	 * its Service to carry (spec.infrastructure.annotations) */
	static const char *const internal_classes[] = {"gke-l7-rilb", "gke-l7-rilb-mc",
							"gke-l7-cross-regional-internal-managed",
							"gke-l7-cross-regional-internal-managed-mc"};
	const char *why = NULL;
	const tm_value *mark = tm_ingest__internal_lb_mark(g->arena, tm_map_get(tm_map_get(spec, "infrastructure"), "annotations"), &why);
	for (size_t i = 0; !mark && cls && i < TM_ARRAY_LEN(internal_classes); i++)
		if (strcmp(cls, internal_classes[i]) == 0) {
			mark = tm_map_get(spec, "gatewayClassName");
			why = tm_arena_printf(g->arena, "gateway class %s (an internal load balancer)", cls);
		}
	if (!mark)
		tm_mb_node_assume(ctx->mb, n, "internet-facing (Gateway API gateways usually get a public load balancer)");
	tm_node *in = mark ? tm_ingest__private_network(ctx) : tm_ingest__internet(ctx);
	tm_edge *e = in ? tm_mb_edge(ctx->mb, in, n, TM_EDGE_ROUTES, mark ? tm_ingest__loc(d->f, mark) : loc) : NULL;
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", "Gateway API Gateway");
	if (e && why)
		tm_mb_edge_str(ctx->mb, e, "internal", why);
}

/* A listener with a hostname accepts a route whose hostnames (none: any) share a host with it. */
static bool hostnames_fit(const tm_value *listener, const tm_value *hostnames)
{
	const char *lh = tm_map_get_str(listener, "hostname");
	if (!lh || !tm_value_len(hostnames))
		return true;
	for (size_t i = 0; i < tm_value_len(hostnames); i++) {
		const char *rh = tm_scalar_str(tm_seq_at(hostnames, i), NULL);
		if (rh && tm_ingest__hosts_meet(lh, rh)) /* a wildcard stands for one or more labels */
			return true;
	}
	return false;
}

/* Do namespaces nsv ({from: Same | All | Selector | None, selector}; from not written: dflt) of
 * object o admit namespace other? */
static bool ns_allowed(tm_ingest_ctx *ctx, const tm_policy *pol, const tm_obj *o, const tm_value *nsv, const char *dflt,
		       const char *other)
{
	const char *from = tm_map_get_str(nsv, "from");
	if (!from)
		from = dflt;
	if (strcmp(from, "Same") == 0)
		return strcmp(o->ns, other) == 0;
	if (strcmp(from, "All") == 0)
		return true;
	if (strcmp(from, "Selector") != 0)
		return false;
	tm_selector sel;
	tm_ingest__selector(ctx, pol->arena, o->f, tm_map_get(nsv, "selector"), &sel);
	tm_labels labels = {NULL, 0};
	for (size_t n = 0; n < pol->nnamespaces; n++)
		if (strcmp(pol->namespaces[n].name, other) == 0)
			labels = pol->namespaces[n].labels;
	return tm_selector_matches(&sel, &labels);
}

/* The Gateway a ListenerSet attaches to (its parentRef, when the Gateway's allowedListeners admits
 * the ListenerSet's namespace: from None unless written), or NULL, with a note when say. */
static const tm_obj *listener_parent(tm_ingest_ctx *ctx, tm_objs *g, const tm_obj *ls, bool say)
{
	const tm_value *pr = tm_map_get(tm_map_get(ls->v, "spec"), "parentRef");
	const char *kind = tm_map_get_str(pr, "kind"), *name = tm_map_get_str(pr, "name");
	const char *ns = tm_map_get_str(pr, "namespace");
	if (!name || (kind && strcmp(kind, "Gateway") != 0))
		return NULL;
	const tm_obj *gw = tm_objs__find(g, "Gateway", ns ? ns : ls->ns, name);
	tm_loc loc = tm_ingest__loc(ls->f, pr);
	if (!gw) {
		if (say)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc, "ListenerSet '%s' attaches to gateway %s/%s, which was not scanned",
				    ls->name, ns ? ns : ls->ns, name);
		return NULL;
	}
	const tm_value *al = tm_map_get(tm_map_get(gw->v, "spec"), "allowedListeners");
	if (!ns_allowed(ctx, tm_mb_policy(ctx->mb), gw, tm_map_get(al, "namespaces"), "None", ls->ns)) {
		if (say)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
				    "gateway %s/%s does not allow ListenerSet '%s' from namespace %s (allowedListeners; none "
				    "unless it says so): its listeners and routes are not served",
				    gw->ns, gw->name, ls->name, ls->ns);
		return NULL;
	}
	return gw;
}

/* Does some listener of gw (sectionName if given) accept a route of this kind from route_ns, with
 * these hostnames? *hosts_only: some listener would, but for the hostnames (the Gateway API
 * accepts a route on a listener only where their hostnames intersect). */
static bool accepts(tm_ingest_ctx *ctx, const tm_policy *pol, const tm_obj *gw, const char *section,
		    const char *kind, const char *route_ns, const tm_value *hostnames, bool *hosts_only)
{
	*hosts_only = false;
	const tm_value *ls = tm_map_get(tm_map_get(gw->v, "spec"), "listeners");
	for (size_t i = 0; i < tm_value_len(ls); i++) {
		const tm_value *l = tm_seq_at(ls, i);
		const char *lname = tm_map_get_str(l, "name");
		if (section && (!lname || strcmp(section, lname) != 0))
			continue;
		bool fit = hostnames_fit(l, hostnames);
		const tm_value *ar = tm_map_get(l, "allowedRoutes");
		const tm_value *kinds = tm_map_get(ar, "kinds");
		bool kind_ok = !tm_value_len(kinds);
		for (size_t k = 0; k < tm_value_len(kinds); k++) {
			const char *kk = tm_map_get_str(tm_seq_at(kinds, k), "kind");
			kind_ok = kind_ok || (kk && strcmp(kk, kind) == 0);
		}
		if (!kind_ok)
			continue;
		bool ns_ok = ns_allowed(ctx, pol, gw, tm_map_get(ar, "namespaces"), "Same", route_ns);
		if (ns_ok && fit)
			return true;
		*hosts_only = *hosts_only || ns_ok;
	}
	return false;
}

/* A ReferenceGrant in to_ns lets routes of kind in from_ns reference Service name? */
static bool granted(const tm_objs *g, const char *from_kind, const char *from_ns, const char *to_ns,
		    const char *name)
{
	for (size_t i = 0; i < g->n; i++) {
		const tm_obj *d = &g->items[i];
		if (strcmp(d->kind, "ReferenceGrant") != 0 || strcmp(d->ns, to_ns) != 0)
			continue;
		const tm_value *spec = tm_map_get(d->v, "spec");
		bool from_ok = false, to_ok = false;
		const tm_value *from = tm_map_get(spec, "from"), *to = tm_map_get(spec, "to");
		for (size_t k = 0; k < tm_value_len(from); k++) {
			const tm_value *fv = tm_seq_at(from, k);
			const char *kind = tm_map_get_str(fv, "kind"), *ns = tm_map_get_str(fv, "namespace");
			from_ok = from_ok || (kind && ns && strcmp(kind, from_kind) == 0 && strcmp(ns, from_ns) == 0);
		}
		for (size_t k = 0; k < tm_value_len(to); k++) {
			const tm_value *tv = tm_seq_at(to, k);
			const char *kind = tm_map_get_str(tv, "kind"), *nm = tm_map_get_str(tv, "name");
			to_ok = to_ok || (kind && strcmp(kind, "Service") == 0 && (!nm || strcmp(nm, name) == 0));
		}
		if (from_ok && to_ok)
			return true;
	}
	return false;
}

/* Services by "ns/name" and workloads by label, built once for every backendRef of the scan (a
 * backend costs its matches, not a pass over every Service and workload). */
struct backends {
	tm_hmap svc, wl;
	tm_strbuf key;
};

/* The route's own check on e, for the one path it takes ("PATH\tAUTHN\tHOW", mark "=" exact, "~"
 * a regular expression, "" a prefix): the edge carries the weakest of the routes to its backend, so
 * a question about one path (query --path, TM-MESH-002) asks the route that takes it. c NULL: the
 * route's checks are not known. */
static void route_check(tm_ingest_ctx *ctx, tm_objs *g, tm_edge *e, const char *mark, const char *path,
			const tm_gw_checks *c)
{
	tm_authn a = c ? c->authn : TM_AUTHN_UNKNOWN;
	const char *how = c && c->authn_how ? c->authn_how : "";
	tm_mb_edge_list_add(ctx->mb, e, "route_checks", tm_arena_printf(g->arena, "%s%s\t%s\t%s", mark, path, tm_authn_name(a), how));
}

static void route_backend(tm_ingest_ctx *ctx, tm_objs *g, struct backends *ix, const tm_obj *r, tm_node *gwn,
			  const tm_value *ref, const tm_value *rule, const tm_gw_checks *c)
{
	const char *kind = tm_map_get_str(ref, "kind");
	if (kind && strcmp(kind, "Service") != 0)
		return;
	const char *name = tm_map_get_str(ref, "name");
	const char *ns = tm_map_get_str(ref, "namespace");
	if (!name)
		return;
	if (!ns)
		ns = r->ns;
	tm_loc loc = tm_ingest__loc(r->f, ref);
	if (strcmp(ns, r->ns) != 0 && !granted(g, r->kind, r->ns, ns, name)) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, loc,
			    "%s '%s' references service %s/%s in another namespace without a ReferenceGrant "
			    "there; the backend is refused", r->kind, r->name, ns, name);
		return;
	}
	const tm_policy *pol = tm_mb_policy(ctx->mb);
	tm_node *targets[64];
	size_t nt = 0;
	tm_strbuf_reset(&ix->key);
	tm_strbuf_printf(&ix->key, "%s/%s", ns, name);
	for (const struct tm_pm_chain *sc = ix->key.oom ? NULL : tm_hmap_get(&ix->svc, ix->key.data, ix->key.len); sc;
	     sc = sc->next) {
		const tm_pm_service *sv = &pol->services[sc->i];
		if (strcmp(sv->ns, ns) != 0 || strcmp(sv->name, name) != 0)
			continue;
		for (const struct tm_pm_chain *w = tm_policy__selected_chain(&ix->wl, ns, &sv->selector, &ix->key);
		     w && nt < TM_ARRAY_LEN(targets); w = w->next)
			if (strcmp(pol->workloads[w->i].ns, ns) == 0 &&
			    tm_labels_subset(&sv->selector, &pol->workloads[w->i].labels)) {
				tm_node *t = tm_mb_find(ctx->mb, pol->workloads[w->i].node_id);
				if (t)
					targets[nt++] = t;
			}
	}
	if (!nt) {
		char *id = tm_arena_printf(g->arena, "service:%s/%s", ns, name);
		char *bnd = tm_arena_printf(g->arena, "namespace:%s", ns);
		tm_mb_boundary(ctx->mb, TM_BOUNDARY_NAMESPACE, bnd, ns, "cluster");
		tm_node *t = id ? tm_mb_node(ctx->mb, TM_NODE_SERVICE, id, name, bnd, loc) : NULL;
		if (!t)
			return;
		if (!tm_node_attr_get(t, "workload")) {
			tm_mb_node_str(ctx->mb, t, "namespace", ns);
			tm_mb_node_str(ctx->mb, t, "unresolved", "a route backend; no Service or workload of that name was scanned");
		}
		targets[nt++] = t;
	}
	tm_gw_checks svc_c;
	if (c && c->kong) { /* Kong runs the plugins the backend Service names too */
		svc_c = *c;
		tm_ingest__kong_service(ctx, ns, name, &svc_c);
		c = &svc_c;
	}
	const tm_value *hosts = tm_map_get(tm_map_get(r->v, "spec"), "hostnames");
	const tm_value *matches = tm_map_get(rule, "matches");
	for (size_t i = 0; i < nt; i++) {
		tm_edge *e = tm_mb_edge(ctx->mb, gwn, targets[i], TM_EDGE_ROUTES, loc);
		if (!e)
			continue;
		/* one edge per workload: the weakest check of the routes reaching it (tm_k8s__route_edge); a
		 * route whose checks are unknown leaves the edge unknown, whichever route came first */
		bool first = !tm_edge_attr_get(e, "routes");
		bool had = !first && (tm_edge_authn(e) != TM_AUTHN_UNKNOWN || tm_edge_enforced_at(e) == TM_ENFORCED_GATEWAY);
		if (c && (first || had)) {
			tm_gw_checks one = *c;
			tm_gw_edge_weakest(e, first, had, &one);
			tm_gw_edge_checks(ctx, e, &one);
		} else if (!c && had) {
			e->authn = TM_AUTHN_UNKNOWN;
			e->authz = TM_AUTHZ_UNKNOWN;
			e->enforced_at = TM_ENFORCED_UNKNOWN;
			if (tm_edge_attr_get(e, "private_sources_only"))
				tm_mb_edge_bool(ctx->mb, e, "private_sources_only", false);
		}
		tm_mb_edge_str(ctx->mb, e, "via", r->kind);
		tm_mb_edge_list_add(ctx->mb, e, "routes", r->name);
		for (size_t h = 0; h < tm_value_len(hosts); h++)
			tm_mb_edge_list_add(ctx->mb, e, "hosts", tm_scalar_str(tm_seq_at(hosts, h), NULL));
		bool http = strcmp(r->kind, "HTTPRoute") == 0;
		if (!tm_value_len(matches) && http) {
			tm_mb_edge_list_add(ctx->mb, e, "paths", "/*");
			route_check(ctx, g, e, "", "/", c);
		}
		for (size_t m = 0; m < tm_value_len(matches); m++) {
			const tm_value *mv = tm_seq_at(matches, m);
			const tm_value *path = tm_map_get(mv, "path");
			const char *type = tm_map_get_str(path, "type");
			const char *value = tm_map_get_str(path, "value");
			const tm_value *method = tm_map_get(mv, "method");
			if (path || http) {
				bool regex = type && strcmp(type, "RegularExpression") == 0;
				bool prefix = !type || strcmp(type, "PathPrefix") == 0;
				char *p = tm_arena_printf(g->arena, "%s%s%s", regex ? "~" : "", value ? value : "/", prefix ? "*" : "");
				tm_mb_edge_list_add(ctx->mb, e, "paths", p);
				if (http)
					route_check(ctx, g, e, regex ? "~" : prefix ? "" : "=", value ? value : "/", c);
			}
			if (method && tm_value_kind_of(method) == TM_VALUE_SCALAR)
				tm_mb_edge_list_add(ctx->mb, e, "methods", tm_scalar_str(method, NULL));
			else if (method) /* GRPCRoute: {service, method} */
				tm_mb_edge_list_add(ctx->mb, e, "grpc_methods",
						    tm_arena_printf(g->arena, "%s/%s",
								    tm_map_get_str(method, "service") ? tm_map_get_str(method, "service") : "*",
								    tm_map_get_str(method, "method") ? tm_map_get_str(method, "method") : "*"));
		}
	}
}

/* ---- Kong's plugins and Traefik's middlewares on a route ------------------------------------------ */

/* The implementation a route's checks come from, when the files say: its Gateway's class's
 * controller, else the filters it names (only Kong reads a KongPlugin, only Traefik a Middleware). */
typedef enum { IMPL_OTHER, IMPL_KONG, IMPL_TRAEFIK } impl;

static bool is_kong_ref(const char *group, const char *kind)
{
	return group && kind && strcmp(group, "configuration.konghq.com") == 0 && strcmp(kind, "KongPlugin") == 0;
}

static bool is_traefik_ref(const char *group, const char *kind)
{
	return group && kind && (strcmp(group, "traefik.io") == 0 || strcmp(group, "traefik.containo.us") == 0) &&
	       strcmp(kind, "Middleware") == 0;
}

static impl route_impl(tm_objs *g, const tm_obj *r, const tm_obj *gw)
{
	const char *cls = tm_map_get_str(tm_map_get(gw->v, "spec"), "gatewayClassName");
	const tm_obj *gc = cls ? tm_objs__find(g, "GatewayClass", NULL, cls) : NULL;
	const char *ctl = gc ? tm_map_get_str(tm_map_get(gc->v, "spec"), "controllerName") : NULL;
	if (ctl && strncmp(ctl, "konghq.com/", 11) == 0)
		return IMPL_KONG;
	if (ctl && strncmp(ctl, "traefik.io/", 11) == 0)
		return IMPL_TRAEFIK;
	if (ctl)
		return IMPL_OTHER;
	if (tm_map_get(tm_map_get(tm_map_get(r->v, "metadata"), "annotations"), "konghq.com/plugins"))
		return IMPL_KONG;
	const tm_value *rules = tm_map_get(tm_map_get(r->v, "spec"), "rules");
	for (size_t i = 0; i < tm_value_len(rules); i++) {
		const tm_value *filters = tm_map_get(tm_seq_at(rules, i), "filters");
		for (size_t k = 0; k < tm_value_len(filters); k++) {
			const tm_value *ext = tm_map_get(tm_seq_at(filters, k), "extensionRef");
			const char *group = tm_map_get_str(ext, "group"), *kind = tm_map_get_str(ext, "kind");
			if (is_kong_ref(group, kind))
				return IMPL_KONG;
			if (is_traefik_ref(group, kind))
				return IMPL_TRAEFIK;
		}
	}
	return IMPL_OTHER;
}

/* Kong's checks for every route of r: its global plugins (kong, judged once per scan), then the
 * plugins r's konghq.com/plugins annotation names. */
static void kong_route(tm_ingest_ctx *ctx, const tm_obj *r, const tm_gw_checks *kong, tm_gw_checks *c)
{
	*c = *kong;
	c->kong = true;
	const tm_value *ann = tm_map_get(tm_map_get(r->v, "metadata"), "annotations");
	const tm_value *list = tm_map_get(ann, "konghq.com/plugins");
	const char *names = tm_scalar_str(list, NULL);
	if (names && *names)
		tm_ingest__kong_plugins(ctx, r->kind, r->name, r->ns, names, "konghq.com/plugins", tm_ingest__loc(r->f, list), c);
}

/* The checks of one rule of r: the route's (c), with what its ExtensionRef filters add. A filter of
 * another implementation may check anything: the authentication becomes unknown, with a note. */
static void rule_filters(tm_ingest_ctx *ctx, const tm_obj *r, const tm_value *rule, tm_gw_checks *c)
{
	const tm_value *filters = tm_map_get(rule, "filters");
	for (size_t k = 0; k < tm_value_len(filters); k++) {
		const tm_value *ext = tm_map_get(tm_seq_at(filters, k), "extensionRef");
		const char *group = tm_map_get_str(ext, "group"), *kind = tm_map_get_str(ext, "kind");
		const char *name = tm_map_get_str(ext, "name");
		if (!ext || !name)
			continue;
		tm_loc at = tm_ingest__loc(r->f, ext);
		if (is_kong_ref(group, kind)) {
			tm_ingest__kong_plugins(ctx, r->kind, r->name, r->ns, name, "ExtensionRef", at, c);
		} else if (is_traefik_ref(group, kind)) {
			tm_ingest__traefik_middleware(ctx, r->kind, r->name, r->ns, name, at, c);
		} else if (!(group && strcmp(group, "gateway.envoyproxy.io") == 0 && kind &&
			     strcmp(kind, "HTTPRouteFilter") == 0)) {
			/* Envoy Gateway's HTTPRouteFilter rewrites, answers or injects credentials: no check */
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
				    "%s '%s' names filter %s '%s' (%s), which this version does not read: what it checks is "
				    "not known", r->kind, r->name, kind ? kind : "?", name, group ? group : "core");
			if (c->authn == TM_AUTHN_NONE) {
				c->authn = TM_AUTHN_UNKNOWN;
				c->authn_how = tm_gw_where(ctx, tm_arena_printf(ctx->scratch, "filter %s %s (not read)",
										kind ? kind : "?", name), at);
			}
		}
	}
}

static void add_route(tm_ingest_ctx *ctx, tm_objs *g, struct backends *ix, struct eg *eg, const tm_gw_checks *kong,
		      const tm_obj *r)
{
	const tm_value *spec = tm_map_get(r->v, "spec");
	const tm_value *parents = tm_map_get(spec, "parentRefs");
	const tm_policy *pol = tm_mb_policy(ctx->mb);
	for (size_t p = 0; p < tm_value_len(parents); p++) {
		const tm_value *pr = tm_seq_at(parents, p);
		const char *kind = tm_map_get_str(pr, "kind");
		bool set = kind && strcmp(kind, "ListenerSet") == 0;
		if (kind && strcmp(kind, "Gateway") != 0 && !set)
			continue; /* a Service parent (GAMMA mesh routing): not an entry point */
		const char *name = tm_map_get_str(pr, "name");
		const char *ns = tm_map_get_str(pr, "namespace");
		if (!name)
			continue;
		if (!ns)
			ns = r->ns;
		/* gw: whose listeners accept the route (a Gateway, or a ListenerSet); parent: the Gateway */
		const tm_obj *gw = tm_objs__find(g, set ? "ListenerSet" : "Gateway", ns, name);
		tm_loc loc = tm_ingest__loc(r->f, pr);
		if (!gw) {
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc, "%s '%s' attaches to %s %s/%s, which was not scanned",
				    r->kind, r->name, set ? "ListenerSet" : "gateway", ns, name);
			continue;
		}
		const tm_obj *parent = set ? listener_parent(ctx, g, gw, false) : gw;
		if (!parent) {
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
				    "%s '%s' attaches to ListenerSet %s/%s, which no scanned Gateway serves; not routed", r->kind,
				    r->name, ns, name);
			continue;
		}
		bool hosts_only;
		if (!accepts(ctx, pol, gw, tm_map_get_str(pr, "sectionName"), r->kind, r->ns, tm_map_get(spec, "hostnames"),
			     &hosts_only)) {
			if (hosts_only)
				tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
					    "gateway %s/%s has no listener whose hostname intersects the hostnames of %s '%s'; "
					    "not routed",
					    ns, name, r->kind, r->name);
			else
				tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
					    "gateway %s/%s does not accept %s '%s' from namespace %s (allowedRoutes); not routed",
					    ns, name, r->kind, r->name, r->ns);
			continue;
		}
		char *id = tm_arena_printf(g->arena, "gateway:gwapi:%s/%s", parent->ns, parent->name);
		tm_node *gwn = id ? tm_mb_find(ctx->mb, id) : NULL;
		if (!gwn)
			continue;
		tm_gw_checks c;
		bool known = eg_checks(ctx, eg, r, parent, eg_gateway(g, eg, parent), &c);
		impl im = known ? IMPL_OTHER : route_impl(g, r, parent);
		if (im == IMPL_KONG)
			kong_route(ctx, r, kong, &c);
		else if (im == IMPL_TRAEFIK)
			c = (tm_gw_checks)TM_GW_CHECKS_NONE;
		known = known || im != IMPL_OTHER;
		const tm_value *rules = tm_map_get(spec, "rules");
		for (size_t i = 0; i < tm_value_len(rules); i++) {
			const tm_value *rule = tm_seq_at(rules, i);
			const tm_value *refs = tm_map_get(rule, "backendRefs");
			tm_gw_checks rc = c;
			if (known)
				rule_filters(ctx, r, rule, &rc);
			for (size_t b = 0; b < tm_value_len(refs); b++)
				route_backend(ctx, g, ix, r, gwn, tm_seq_at(refs, b), rule, known ? &rc : NULL);
		}
	}
}

static void gw_finish(tm_ingest_ctx *ctx, void *state)
{
	tm_objs *g = state;
	if (!g || !g->n)
		return;
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->items[i].kind, "Gateway") == 0)
			add_gateway(ctx, g, &g->items[i]);
	for (size_t i = 0; i < g->n; i++) {
		const tm_obj *ls = &g->items[i];
		const tm_obj *gw = strcmp(ls->kind, "ListenerSet") == 0 ? listener_parent(ctx, g, ls, true) : NULL;
		char *id = gw ? tm_arena_printf(g->arena, "gateway:gwapi:%s/%s", gw->ns, gw->name) : NULL;
		tm_node *n = id ? tm_mb_find(ctx->mb, id) : NULL;
		const char *set = n ? tm_arena_printf(g->arena, "%s/%s", ls->ns, ls->name) : NULL;
		if (set && listener_facts(ctx, g, n, ls, set))
			tm_mb_node_bool(ctx->mb, n, "tls", true);
	}
	struct backends ix = {TM_HMAP_INIT, TM_HMAP_INIT, TM_STRBUF_INIT};
	const tm_policy *pol = tm_mb_policy(ctx->mb);
	if (tm_policy__service_chains(ctx->scratch, pol, &ix.svc) || tm_policy__workload_chains(ctx->scratch, pol, &ix.wl))
		tm_arena_set_failed(ctx->scratch);
	struct eg eg = {TM_HMAP_INIT, TM_HMAP_INIT, 0, TM_STRBUF_INIT};
	eg_index(ctx, g, &eg);
	tm_gw_checks kong = TM_GW_CHECKS_NONE;
	tm_ingest__kong_global(ctx, &kong);
	for (size_t i = 0; i < g->n; i++)
		if (is_route(g->items[i].kind))
			add_route(ctx, g, &ix, &eg, &kong, &g->items[i]);
	tm_hmap_dispose(&eg.by_target);
	tm_hmap_dispose(&eg.checks);
	tm_strbuf_dispose(&eg.key);
	tm_hmap_dispose(&ix.svc);
	tm_hmap_dispose(&ix.wl);
	tm_strbuf_dispose(&ix.key);
}

const tm_ingester tm_ingest__gatewayapi = {tm_objs__begin, gw_doc, gw_finish, tm_objs__end};
