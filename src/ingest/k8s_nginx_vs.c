/*
 * k8s_nginx_vs.c - F5 NGINX Ingress Controller's custom resources (k8s.nginx.org/v1): the routes a
 * VirtualServer publishes, as an Ingress's.
 *
 *   VirtualServer       spec.host, spec.tls {secret, redirect.enable}, spec.upstreams[] {name,
 *                       service}, spec.routes[] {path, action, splits[].action, matches[] {action,
 *                       splits}, route, policies[]}, spec.policies[]
 *                                             -> a gateway (gateway_type nginx-virtualserver) reached
 *                                                from the internet, a routes edge per path to each
 *                                                workload an upstream's Service selects
 *   VirtualServerRoute  spec.subroutes[] and spec.upstreams: routes of the VirtualServer whose route
 *                       names it ("<ns>/<name>", or "<name>" in the VirtualServer's namespace) or
 *                       selects it (routeSelector.matchLabels, of any namespace)
 *   Policy              accessControl (allow: an allow-list, deny: a deny rule), rateLimit, jwt,
 *                       basicAuth, apiKey, ingressMTLS, oidc, externalAuth -> the route's checks
 *
 * An action passes to an upstream (pass, or proxy.upstream) of the object writing it, whose service
 * is of that object's namespace, or "<ns>/<name>"; redirect and return reach no backend. Policies
 * apply as the controller renders them: spec.policies on the server, a route's over them type by
 * type (a location's directive replaces the server's of its module); a subroute's policies replace
 * its VirtualServer route's whole, which apply when it has none. In one list access control merges its ranges (an allow-list wins over deny rules) and the
 * first authentication policy is the route's. ingressMTLS counts on spec.policies of a
 * VirtualServer with TLS only (the controller refuses it elsewhere). A Policy not in the scanned
 * files (the controller answers 500 for a Policy that does not exist) makes the check unknown, with
 * a note. TLS is the route's only when plaintext is redirected (tls.redirect.enable): the server
 * listens for HTTP beside HTTPS otherwise. A VirtualServerRoute is read once per VirtualServer that
 * names it; one no VirtualServer names is a note.
 */
#include "k8s.h"
#include "model/policy.h"

/* The policies of one list (spec.policies, a route's, a subroute's) as the controller merges them. */
struct level {
	tm_authn authn;
	const char *authn_how, *rate_how;
	const char *allow, *deny;         /* "name (ranges)" of the access policies, merged */
	tm_loc allow_at, deny_at;
	bool allow_private;               /* every allowed range is private */
	const char *missing;              /* the first Policy not in the scanned files */
	tm_loc missing_at;
};

struct vs {
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	const struct tm_k8s_obj *o;       /* the VirtualServer */
	tm_node *gw;
	const char *host;
	bool tls;                         /* TLS offered (a secret), for ingressMTLS */
	struct level server;              /* spec.policies */
	tm_pset seen;                     /* VirtualServerRoutes read for this VirtualServer */
	tm_pset *reached;                 /* ... and for any */
	const struct tm_k8s_obj **vsrs;   /* every VirtualServerRoute, for route selectors */
	size_t nvsrs;
};

static void level_init(struct level *l)
{
	memset(l, 0, sizeof(*l));
	l->authn = TM_AUTHN_NONE;
}

static const char *append(tm_arena *a, const char *list, const char *sep, const char *item)
{
	return list ? tm_arena_printf(a, "%s%s%s", list, sep, item) : item;
}

/* accessControl {allow | deny: [ranges]} merged into l. */
static void access_policy(struct vs *w, const struct tm_k8s_obj *p, const tm_value *body, struct level *l)
{
	tm_arena *a = w->ctx->scratch;
	static const char *const keys[] = {"allow", "deny"};
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *list = tm_map_get(body, keys[k]);
		bool priv = false;
		const char *ranges = tm_gw_ranges(a, list, &priv);
		if (!ranges)
			continue;
		const char *one = tm_arena_printf(a, "%s (%s)", p->name, ranges);
		if (k == 0) {
			l->allow_private = (l->allow ? l->allow_private : true) && priv;
			if (!l->allow)
				l->allow_at = tm_ingest__loc(p->f, list);
			l->allow = append(a, l->allow, ", ", one);
		} else {
			if (!l->deny)
				l->deny_at = tm_ingest__loc(p->f, list);
			l->deny = append(a, l->deny, ", ", one);
		}
	}
}

/* One Policy's check into l (the first of each kind stays, as the controller keeps it); owner names
 * it at ref, spec: in its spec.policies. A Policy holds one type under spec. */
static void policy(struct vs *w, const struct tm_k8s_obj *owner, tm_loc ref, const struct tm_k8s_obj *p, bool spec,
		   struct level *l)
{
	static const struct {
		const char *type;
		tm_authn authn;
	} auth[] = {{"jwt", TM_AUTHN_JWT},       {"basicAuth", TM_AUTHN_BASIC}, {"apiKey", TM_AUTHN_API_KEY},
		    {"oidc", TM_AUTHN_OAUTH2},   {"ingressMTLS", TM_AUTHN_MTLS},
		    /* a decision the controller delegates, as nginx's auth_request */
		    {"externalAuth", TM_AUTHN_UNKNOWN}};
	tm_arena *a = w->ctx->scratch;
	const tm_value *specv = tm_map_get(p->v, "spec");
	const tm_value *body;
	if ((body = tm_map_get(specv, "accessControl")) != NULL) {
		access_policy(w, p, body, l);
		return;
	}
	if ((body = tm_map_get(specv, "rateLimit")) != NULL) {
		const char *rate = tm_map_get_str(body, "rate");
		if (!l->rate_how)
			l->rate_how = tm_gw_where(w->ctx, tm_arena_printf(a, "nginx rateLimit policy %s%s%s", p->name,
									  rate ? " " : "", rate ? rate : ""),
						  tm_ingest__loc(p->f, body));
		return;
	}
	for (size_t i = 0; i < TM_ARRAY_LEN(auth); i++) {
		if ((body = tm_map_get(specv, auth[i].type)) == NULL)
			continue;
		tm_loc at = tm_ingest__loc(p->f, body);
		if (auth[i].authn == TM_AUTHN_MTLS) {
			const char *verify = tm_map_get_str(body, "verifyClient");
			const char *why = !spec ? "the controller takes it in a VirtualServer's spec.policies only"
					  : !w->tls ? "the VirtualServer has no TLS (spec.tls.secret)"
					  : verify && !tm_strcaseeq(verify, "on") ? "verifyClient does not require a certificate"
										 : NULL;
			if (why) {
				tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, ref,
					    "%s '%s' names ingressMTLS policy '%s', not counted as authentication: %s",
					    owner->kind, owner->name, p->name, why);
				return;
			}
		}
		if (!l->authn_how) {
			l->authn = auth[i].authn;
			l->authn_how = tm_gw_where(w->ctx, tm_arena_printf(a, "nginx %s policy %s", auth[i].type, p->name), at);
		}
		return;
	}
	/* egressMTLS, cors, cache, waf...: nothing trustmap weighs */
}

/* The Policies a list of references in owner names (each {name, namespace}; namespace: owner's
 * otherwise) into l; spec: the list is the VirtualServer's spec.policies. */
static void policies(struct vs *w, const struct tm_k8s_obj *owner, const tm_value *refs, bool spec, struct level *l)
{
	const tm_file *f = owner->f;
	const char *ns = owner->ns;
	if (refs && tm_value_kind_of(refs) != TM_VALUE_SEQ) {
		tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, refs),
			    "%s '%s': policies is not a list; no policy read", owner->kind, owner->name);
		return;
	}
	for (size_t i = 0; i < tm_value_len(refs); i++) {
		const tm_value *ref = tm_seq_at(refs, i);
		const char *name = tm_map_get_str(ref, "name");
		const char *pns = tm_map_get_str(ref, "namespace");
		if (!name)
			continue;
		if (!pns || !*pns)
			pns = ns;
		const struct tm_k8s_obj *p = tm_k8s__named(w->ctx, w->k, "NginxPolicy", pns ? pns : "", name);
		tm_loc at = tm_ingest__loc(f, ref);
		if (p) {
			policy(w, owner, at, p, spec, l);
			continue;
		}
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, at,
			    "%s '%s' names Policy '%s/%s', which is not in the scanned files: what it checks is not known "
			    "(the controller answers 500 on the route when it does not exist)",
			    owner->kind, owner->name, pns ? pns : "", name);
		if (!l->missing) {
			l->missing = tm_arena_printf(w->ctx->scratch, "nginx policy %s/%s, not in the scanned files", pns ? pns : "",
						     name);
			l->missing_at = at;
		}
	}
}

/* The checks of a route: its level's over the server's, kind by kind. */
static tm_gw_checks route_checks(struct vs *w, const struct level *r)
{
	const struct level *s = &w->server;
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	const struct level *auth = r->authn_how ? r : s->authn_how ? s : NULL;
	if (auth) {
		c.authn = auth->authn;
		c.authn_how = auth->authn_how;
	} else if (r->missing || s->missing) {
		c.authn = TM_AUTHN_UNKNOWN;
		c.authn_how = r->missing ? tm_gw_where(w->ctx, r->missing, r->missing_at)
					 : tm_gw_where(w->ctx, s->missing, s->missing_at);
	}
	c.rate_how = r->rate_how ? r->rate_how : s->rate_how;
	const struct level *acc = r->allow || r->deny ? r : s;
	if (acc->allow) { /* allow rules override deny rules in one context */
		c.restrict_how = tm_gw_where(w->ctx, tm_arena_printf(w->ctx->scratch, "nginx accessControl policy %s", acc->allow),
					     acc->allow_at);
		c.private_only = acc->allow_private;
	} else if (acc->deny) {
		c.deny_how = tm_gw_where(w->ctx, tm_arena_printf(w->ctx->scratch, "nginx accessControl policy %s deny", acc->deny),
					 acc->deny_at);
	}
	return c;
}

/* The Service of upstream name among owner's spec.upstreams (its `service` value), or NULL with a
 * warning at at. */
static const tm_value *upstream_service(struct vs *w, const struct tm_k8s_obj *owner, const char *name,
					const tm_value *at)
{
	const tm_value *ups = tm_map_get(tm_map_get(owner->v, "spec"), "upstreams");
	for (size_t i = 0; tm_value_kind_of(ups) == TM_VALUE_SEQ && i < tm_value_len(ups); i++) {
		const tm_value *u = tm_seq_at(ups, i);
		const char *un = tm_map_get_str(u, "name");
		if (un && strcmp(un, name) == 0)
			return tm_map_get(u, "service");
	}
	tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(owner->f, at),
		    "%s '%s' passes to upstream '%s', which its spec.upstreams does not define (the controller "
		    "refuses the resource); not routed", owner->kind, owner->name, name);
	return NULL;
}

/* One action ({pass}, {proxy: {upstream}}; redirect and return reach no backend) of owner's route
 * at path. */
static void action(struct vs *w, const struct tm_k8s_obj *owner, const tm_value *act, const char *path,
		   const tm_gw_checks *c)
{
	const tm_value *to = tm_map_get(act, "pass");
	if (!to)
		to = tm_map_get(tm_map_get(act, "proxy"), "upstream");
	const char *name = tm_scalar_str(to, NULL);
	if (!name)
		return;
	const tm_value *svcv = upstream_service(w, owner, name, to);
	const char *svc = tm_scalar_str(svcv, NULL);
	if (!svc)
		return;
	/* "<namespace>/<service>": a Service of another namespace */
	const char *slash = strchr(svc, '/');
	const char *ns = slash ? tm_arena_strndup(w->ctx->scratch, svc, (size_t)(slash - svc)) : owner->ns;
	tm_k8s__route_service(w->ctx, w->k, owner, w->gw, ns, slash ? slash + 1 : svc, tm_ingest__loc(owner->f, svcv),
			      w->host, path, false, c);
}

static void splits(struct vs *w, const struct tm_k8s_obj *owner, const tm_value *list, const char *path,
		   const tm_gw_checks *c)
{
	for (size_t i = 0; i < tm_value_len(list); i++)
		action(w, owner, tm_map_get(tm_seq_at(list, i), "action"), path, c);
}

/* A route (or subroute) r of owner: its action, splits and matches, each to its upstreams. */
static void route(struct vs *w, const struct tm_k8s_obj *owner, const tm_value *r, const tm_gw_checks *c)
{
	const char *path = tm_map_get_str(r, "path");
	if (!path)
		path = "/";
	action(w, owner, tm_map_get(r, "action"), path, c);
	splits(w, owner, tm_map_get(r, "splits"), path, c);
	const tm_value *matches = tm_map_get(r, "matches");
	for (size_t i = 0; i < tm_value_len(matches); i++) {
		const tm_value *m = tm_seq_at(matches, i);
		action(w, owner, tm_map_get(m, "action"), path, c);
		splits(w, owner, tm_map_get(m, "splits"), path, c);
	}
}

/* The subroutes of vsr, a VirtualServerRoute route r names or selects, with r's own policies for
 * the subroutes that write none; once per VirtualServer. */
static void subroutes(struct vs *w, const struct tm_k8s_obj *vsr, const tm_value *route_policies)
{
	int r1 = tm_pset_add(&w->seen, vsr), r2 = tm_pset_add(w->reached, vsr);
	if (r1 < 0 || r2 < 0)
		tm_arena_set_failed(w->ctx->scratch);
	if (r1 != 1)
		return;
	const tm_value *spec = tm_map_get(vsr->v, "spec");
	const char *host = tm_map_get_str(spec, "host");
	if (host && w->host && !tm_strcaseeq(host, w->host)) {
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(vsr->f, tm_map_get(spec, "host")),
			    "VirtualServerRoute '%s' is for host '%s', not VirtualServer '%s''s '%s': the controller "
			    "ignores it there", vsr->name, host, w->o->name, w->host);
		return;
	}
	const tm_value *subs = tm_map_get(spec, "subroutes");
	if (subs && tm_value_kind_of(subs) != TM_VALUE_SEQ) {
		tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(vsr->f, subs),
			    "VirtualServerRoute '%s': spec.subroutes is not a list; no subroute read", vsr->name);
		return;
	}
	for (size_t i = 0; i < tm_value_len(subs); i++) {
		const tm_value *s = tm_seq_at(subs, i);
		const tm_value *own = tm_map_get(s, "policies");
		struct level l;
		level_init(&l);
		if (tm_value_len(own))
			policies(w, vsr, own, false, &l);
		else
			policies(w, w->o, route_policies, false, &l);
		tm_gw_checks c = route_checks(w, &l);
		route(w, vsr, s, &c);
	}
}

/* The VirtualServerRoute a route names ("<ns>/<name>", or "<name>" in the VirtualServer's namespace). */
static void vs_route(struct vs *w, const tm_value *r, const char *ref)
{
	const char *slash = strchr(ref, '/');
	const char *ns = slash ? tm_arena_strndup(w->ctx->scratch, ref, (size_t)(slash - ref)) : w->o->ns;
	const struct tm_k8s_obj *vsr = ns ? tm_k8s__named(w->ctx, w->k, "VirtualServerRoute", ns, slash ? slash + 1 : ref)
					  : NULL;
	if (vsr) {
		subroutes(w, vsr, tm_map_get(r, "policies"));
		return;
	}
	tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(w->o->f, tm_map_get(r, "route")),
		    "VirtualServer '%s' routes to VirtualServerRoute '%s', which is not in the scanned files: its "
		    "subroutes are not known", w->o->name, ref);
}

/* The VirtualServerRoutes of any namespace whose labels hold a route's routeSelector.matchLabels. */
static void vs_selected(struct vs *w, const tm_value *r, const tm_value *sel)
{
	const tm_value *want = tm_map_get(sel, "matchLabels");
	if (!tm_value_len(want)) {
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(w->o->f, sel),
			    "VirtualServer '%s': a routeSelector is read by its matchLabels only; this one selects no "
			    "VirtualServerRoute here", w->o->name);
		return;
	}
	if (tm_map_get(sel, "matchExpressions"))
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(w->o->f, tm_map_get(sel, "matchExpressions")),
			    "VirtualServer '%s': routeSelector.matchExpressions are not read: every VirtualServerRoute "
			    "its matchLabels select is routed", w->o->name);
	for (size_t i = 0; i < w->nvsrs; i++) {
		const struct tm_k8s_obj *vsr = w->vsrs[i];
		const tm_value *labels = tm_map_get(tm_map_get(vsr->v, "metadata"), "labels");
		bool all = true;
		for (size_t j = 0; all && j < tm_value_len(want); j++) {
			const char *key = tm_scalar_str(tm_map_key(want, j), NULL);
			const char *val = tm_scalar_str(tm_map_value(want, j), NULL);
			const char *have = key ? tm_map_get_str(labels, key) : NULL;
			all = have && val && strcmp(have, val) == 0;
		}
		if (all)
			subroutes(w, vsr, tm_map_get(r, "policies"));
	}
}

static void virtual_server(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, tm_pset *reached,
			   const struct tm_k8s_obj **vsrs, size_t nvsrs)
{
	tm_node *gw = tm_k8s__object_gateway(ctx, k, o, "nginx-virtualserver");
	const tm_value *spec = tm_map_get(o->v, "spec");
	/* its controller: NGINX Inc.'s, of the class it names (spec.ingressClassName) or of its own kind */
	const char *cls = tm_map_get_str(spec, "ingressClassName"), *internal = NULL;
	tm_node *in = gw ? tm_k8s__ingress_controllers(ctx, k, o, gw, cls, cls ? NULL : "nginx.org/ingress-controller",
						       &internal)
			 : NULL;
	if (!in)
		in = tm_ingest__internet(ctx);
	if (!gw || !in)
		return;
	struct vs w;
	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.k = k;
	w.o = o;
	w.gw = gw;
	w.host = tm_map_get_str(spec, "host");
	w.reached = reached;
	w.vsrs = vsrs;
	w.nvsrs = nvsrs;
	level_init(&w.server);
	if (w.host)
		tm_mb_node_list_add(ctx->mb, gw, "hosts", w.host);
	if (cls)
		tm_mb_node_str(ctx->mb, gw, "ingress_class", cls);
	const tm_value *tls = tm_map_get(spec, "tls");
	w.tls = tm_map_get_str(tls, "secret") || tm_map_get(tls, "cert-manager");
	bool redirect = false;
	if (tm_scalar_bool(tm_map_get(tm_map_get(tls, "redirect"), "enable"), &redirect))
		redirect = false;
	tm_mb_node_bool(ctx->mb, gw, "tls", w.tls && redirect);
	if (w.tls)
		tm_mb_node_fact(ctx->mb, gw, "tls_termination",
				redirect ? "terminated, plaintext redirected (tls.redirect.enable)"
					 : "terminated, and plaintext beside it (tls.redirect not enabled)",
				tm_ingest__loc(o->f, tls));
	tm_edge *e = tm_mb_edge(ctx->mb, in, gw, TM_EDGE_ROUTES, tm_ingest__loc(o->f, o->v));
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", o->kind);
	if (e && internal)
		tm_mb_edge_str(ctx->mb, e, "internal", internal);
	policies(&w, o, tm_map_get(spec, "policies"), true, &w.server);
	const tm_value *routes = tm_map_get(spec, "routes");
	bool listed = tm_value_kind_of(routes) == TM_VALUE_SEQ;
	if (routes && !listed)
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, routes),
			    "VirtualServer '%s': spec.routes is not a list; no route read", o->name);
	for (size_t i = 0; listed && i < tm_value_len(routes); i++) {
		const tm_value *r = tm_seq_at(routes, i);
		const char *ref = tm_map_get_str(r, "route");
		const tm_value *sel = tm_map_get(r, "routeSelector");
		if (ref || sel) {
			if (ref)
				vs_route(&w, r, ref);
			else
				vs_selected(&w, r, sel);
			continue;
		}
		struct level l;
		level_init(&l);
		policies(&w, o, tm_map_get(r, "policies"), false, &l);
		tm_gw_checks c = route_checks(&w, &l);
		route(&w, o, r, &c);
	}
	tm_pset_dispose(&w.seen);
}

void tm_k8s__nginx_vs(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	tm_pset reached = TM_PSET_INIT;
	bool any = false;
	size_t n = 0;
	for (size_t i = 0; i < k->n; i++)
		n += tm_k8s__is(&k->objs[i], "VirtualServerRoute");
	const struct tm_k8s_obj **vsrs = n ? tm_arena_alloc(ctx->scratch, n * sizeof(*vsrs)) : NULL;
	size_t nvsrs = 0;
	for (size_t i = 0; vsrs && i < k->n; i++)
		if (tm_k8s__is(&k->objs[i], "VirtualServerRoute"))
			vsrs[nvsrs++] = &k->objs[i];
	for (size_t i = 0; i < k->n; i++)
		if (tm_k8s__is(&k->objs[i], "VirtualServer")) {
			virtual_server(ctx, k, &k->objs[i], &reached, vsrs, nvsrs);
			any = true;
		}
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		if (tm_k8s__is(o, "VirtualServerRoute") && !tm_pset_has(&reached, o))
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, o->v),
				    "VirtualServerRoute '%s' is named by no VirtualServer%s: not routed", o->name,
				    any ? " in the scanned files" : " (none is scanned)");
	}
	tm_pset_dispose(&reached);
}
