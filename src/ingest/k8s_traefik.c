/*
 * k8s_traefik.c - Traefik's Kubernetes CRD provider (traefik.io, and traefik.containo.us before
 * Traefik 3): the routes an IngressRoute publishes, as an Ingress's.
 *
 *   IngressRoute     spec.routes[]: match (Host, PathPrefix, Path, PathRegexp: traefik.c),
 *                    middlewares[] {name, namespace}, services[] {name, namespace, kind}; spec.tls;
 *                    spec.entryPoints          -> a gateway (gateway_type traefik-ingressroute)
 *                                                 reached from the internet, a routes edge per
 *                                                 host and path to each workload a Service selects
 *   IngressRouteTCP  the same with HostSNI, MiddlewareTCP; IngressRouteUDP: services only
 *   Middleware       basicAuth, digestAuth, forwardAuth, ipAllowList/ipWhiteList (sourceRange),
 *                    rateLimit, chain (followed) -> the route's checks, as the file provider's
 *   TraefikService   weighted.services, mirroring (service and mirrors): followed to Services;
 *                    Traefik's own (api@internal, dashboard@internal: its API and dashboard) an
 *                    `internal_services` fact, and an `admin_routes` fact (TM-MESH-008) when the
 *                    route neither authenticates nor admits private ranges only
 *
 * Traefik's own Service is what takes the traffic in; like an Ingress controller's it is taken to
 * face the internet. A reference to another namespace works only when Traefik allows it
 * (providers.kubernetesCRD.allowCrossNamespace): it is modelled, with a note. A middleware of
 * another provider ("auth@file") or not in the files makes the route's check unknown, with a note.
 * Walks through chains and TraefikServices meet each object once per route: a cycle ends.
 */
#include <strings.h>

#include "k8s.h"
#include "model/policy.h"
#include "traefik.h"

struct walk {
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	const struct tm_k8s_obj *o; /* the route object (NULL: a Gateway API route's filter) */
	const char *kind, *name;    /* the route's, for notes */
	tm_pset seen;               /* middlewares and TraefikServices met on this route */
};

static bool first_visit(struct walk *w, const void *p)
{
	int r = tm_pset_add(&w->seen, p);
	if (r < 0)
		tm_arena_set_failed(w->ctx->scratch);
	return r == 1;
}

/* A reference's namespace: its own, else from (the namespace of the object writing it); a note when
 * it is another one. */
static const char *ref_ns(struct walk *w, const tm_file *f, const tm_value *ref, const char *from, const char *what,
			  const char *name)
{
	const char *ns = tm_map_get_str(ref, "namespace");
	if (!ns || !*ns || !from || strcmp(ns, from) == 0)
		return from;
	tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(f, ref),
		    "%s '%s' names %s '%s' in namespace '%s': Traefik follows it only with "
		    "providers.kubernetesCRD.allowCrossNamespace, which is taken to be on", w->kind, w->name, what, name,
		    ns);
	return ns;
}

static void middleware_ref(struct walk *w, const char *kind, const char *ns, const char *name, tm_loc at,
			   tm_gw_checks *c);

/* One Middleware's checks into c: its type is the one key its spec holds. */
static void middleware(struct walk *w, const struct tm_k8s_obj *m, tm_gw_checks *c)
{
	const tm_value *spec = tm_map_get(m->v, "spec");
	for (size_t i = 0; i < tm_value_len(spec); i++) {
		const char *type = tm_scalar_str(tm_map_key(spec, i), NULL);
		const tm_value *body = tm_map_value(spec, i);
		if (!type)
			continue;
		tm_gw_checks one = TM_GW_CHECKS_NONE;
		tm_traefik_mw t = tm_traefik__middleware(w->ctx->scratch, type, strlen(type),
							 tm_traefik__ranges(w->ctx->scratch, body), m->name, NULL, &one);
		if (t == TM_TRAEFIK_MW_CHAIN) {
			const tm_value *list = tm_map_get(body, "middlewares");
			for (size_t j = 0; j < tm_value_len(list); j++) {
				const tm_value *ref = tm_seq_at(list, j);
				const char *name = tm_map_get_str(ref, "name");
				const char *ns = tm_map_get_str(ref, "namespace");
				if (name)
					middleware_ref(w, m->kind, ns && *ns ? ns : m->ns, name, tm_ingest__loc(m->f, ref), c);
			}
			continue;
		}
		if (t != TM_TRAEFIK_MW_CHECK)
			continue;
		/* each check named with the middleware's place, as the file provider's are */
		tm_loc at = tm_ingest__loc(m->f, body);
		if (one.authn_how) {
			c->authn = one.authn;
			c->authn_how = tm_gw_where(w->ctx, one.authn_how, at);
			c->authz_upstream = strcmp(type, "forwardAuth") == 0 ? tm_map_get_str(body, "address") : NULL;
		}
		if (one.rate_how)
			c->rate_how = tm_gw_where(w->ctx, one.rate_how, at);
		if (one.restrict_how) {
			c->restrict_how = tm_gw_where(w->ctx, one.restrict_how, at);
			c->private_only = one.private_only;
		}
	}
}

/* A middleware the files do not define (why): its check unknown, with a note. */
static void unknown_middleware(struct walk *w, const char *kind, const char *name, const char *why, tm_loc at,
			       tm_gw_checks *c)
{
	tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, at, "%s '%s' routes through Traefik %s '%s', which is %s: what it checks is not known",
		    w->kind, w->name, kind, name, why);
	if (c->authn == TM_AUTHN_NONE) {
		c->authn = TM_AUTHN_UNKNOWN;
		c->authn_how = tm_gw_where(w->ctx, tm_arena_printf(w->ctx->scratch, "traefik middleware %s, %s", name, why), at);
	}
}

/* The middleware of kind (Middleware, MiddlewareTCP) name in ns ("auth", or "auth@provider"). */
static void middleware_ref(struct walk *w, const char *kind, const char *ns, const char *name, tm_loc at,
			   tm_gw_checks *c)
{
	const char *prov = strchr(name, '@');
	const char *bare = prov ? tm_arena_strndup(w->ctx->scratch, name, (size_t)(prov - name)) : name;
	const struct tm_k8s_obj *m = NULL;
	if (bare && (!prov || strcasecmp(prov + 1, "kubernetescrd") == 0))
		m = tm_k8s__named(w->ctx, w->k, kind, ns ? ns : "", bare);
	if (m) {
		if (first_visit(w, m))
			middleware(w, m, c);
		return;
	}
	const char *why = prov && strcasecmp(prov + 1, "kubernetescrd") != 0
				  ? tm_arena_printf(w->ctx->scratch, "of the %s provider", prov + 1)
				  : "not in the scanned files";
	unknown_middleware(w, kind, name, why, at, c);
}

struct target {
	tm_node *gw;
	const char *const *hosts; /* NULL-terminated; { NULL }: any host */
	const char *const *paths;
	const tm_gw_checks *c;
};

/* A service reference {name, namespace, kind} written in f (the route's, or a TraefikService's of
 * namespace ns): a Service, or a TraefikService followed to its Services. */
static void service_ref(struct walk *w, const struct target *t, const tm_file *f, const tm_value *ref, const char *ns)
{
	const tm_value *namev = tm_map_get(ref, "name");
	const char *name = tm_scalar_str(namev, NULL);
	if (!name) {
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(f, ref),
			    "%s '%s' has a service without a name: not routed", w->kind, w->name);
		return;
	}
	const char *kind = tm_map_get_str(ref, "kind");
	const char *own = tm_map_get_str(ref, "namespace");
	if (own && *own)
		ns = ref_ns(w, f, ref, ns, "service", name);
	size_t nl = strlen(name);
	if (nl > 9 && strcmp(name + nl - 9, "@internal") == 0) {
		/* one of Traefik's own services: api@internal and dashboard@internal are its API and
		 * dashboard, which ask for no credentials of their own; said unless the route checks */
		bool admin = strcmp(name, "api@internal") == 0 || strcmp(name, "dashboard@internal") == 0;
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_strbuf_printf(&sb, "%s at ", name);
		for (const char *const *h = t->hosts; h == t->hosts || *h; h++)
			for (const char *const *p = t->paths; *p; p++)
				tm_strbuf_printf(&sb, "%s%s%s", h == t->hosts && p == t->paths ? "" : ", ", *h ? *h : "any host", *p);
		if (!sb.oom) {
			tm_mb_node_fact(w->ctx->mb, t->gw, "internal_services", sb.data, tm_ingest__loc(f, ref));
			if (admin && t->c->authn == TM_AUTHN_NONE && !t->c->private_only)
				tm_mb_node_fact(w->ctx->mb, t->gw, "admin_routes", sb.data, tm_ingest__loc(f, ref));
		}
		tm_strbuf_dispose(&sb);
		return;
	}
	if (kind && strcmp(kind, "TraefikService") == 0) {
		const struct tm_k8s_obj *ts = tm_k8s__named(w->ctx, w->k, "TraefikService", ns ? ns : "", name);
		if (!ts) {
			tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(f, ref),
				    "%s '%s' routes to TraefikService '%s', which is not in the scanned files", w->kind,
				    w->name, name);
			return;
		}
		if (!first_visit(w, ts))
			return;
		const tm_value *spec = tm_map_get(ts->v, "spec");
		const tm_value *weighted = tm_map_get(tm_map_get(spec, "weighted"), "services");
		for (size_t i = 0; i < tm_value_len(weighted); i++)
			service_ref(w, t, ts->f, tm_seq_at(weighted, i), ts->ns);
		const tm_value *mirroring = tm_map_get(spec, "mirroring");
		if (mirroring) {
			service_ref(w, t, ts->f, mirroring, ts->ns);
			const tm_value *mirrors = tm_map_get(mirroring, "mirrors");
			for (size_t i = 0; i < tm_value_len(mirrors); i++)
				service_ref(w, t, ts->f, tm_seq_at(mirrors, i), ts->ns);
		}
		return;
	}
	if (kind && strcmp(kind, "Service") != 0) {
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(f, ref),
			    "%s '%s' routes to a %s, which Traefik does not take (Service or TraefikService)", w->kind,
			    w->name, kind);
		return;
	}
	for (const char *const *h = t->hosts; h == t->hosts || *h; h++)
		for (const char *const *p = t->paths; *p; p++)
			tm_k8s__route_backend(w->ctx, w->k, w->o, t->gw, ns, namev, *h, *p, t->c);
}

/* The words of a space-separated list, NULL-terminated (a list of one NULL for none). */
static const char **words(tm_arena *a, const char *list)
{
	size_t n = 0;
	for (const char *p = list; p && *p; n++) {
		p += strspn(p, " ");
		if (!*p)
			break;
		p += strcspn(p, " ");
	}
	const char **out = tm_arena_alloc(a, (n + 1) * sizeof(*out));
	if (!out)
		return NULL;
	size_t i = 0;
	for (const char *p = list; p && *p && i < n;) {
		p += strspn(p, " ");
		size_t len = strcspn(p, " ");
		if (len)
			out[i++] = tm_arena_strndup(a, p, len);
		p += len;
	}
	out[i] = NULL;
	return out;
}

/* The paths a rule matches, NULL-terminated; "/" when it names none. */
static const char **rule_paths(tm_arena *a, const char *rule)
{
	const char **paths;
	tm_gw_match *matches;
	size_t n = tm_traefik__rule_paths(a, rule, &paths, &matches);
	const char **out = tm_arena_alloc(a, (n + 2) * sizeof(*out));
	if (!out)
		return NULL;
	if (n)
		memcpy(out, paths, n * sizeof(*out));
	else
		out[n++] = "/";
	out[n] = NULL;
	return out;
}

static void ingress_route(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, bool tcp, bool udp)
{
	tm_node *gw = tm_k8s__object_gateway(ctx, k, o, "traefik-ingressroute");
	const char *internal = NULL;
	tm_node *in = gw ? tm_k8s__ingress_controllers(ctx, k, o, gw, NULL, "traefik.io/ingress-controller", &internal)
			 : NULL;
	if (!in)
		in = tm_ingest__internet(ctx);
	if (!gw || !in)
		return;
	tm_arena *a = ctx->scratch;
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *eps = tm_map_get(spec, "entryPoints");
	for (size_t i = 0; i < tm_value_len(eps); i++) {
		const char *ep = tm_scalar_str(tm_seq_at(eps, i), NULL);
		if (ep)
			tm_mb_node_list_add(ctx->mb, gw, "entry_points", ep);
	}
	const tm_value *tls = tm_map_get(spec, "tls");
	tm_mb_node_bool(ctx->mb, gw, "tls", tls != NULL);
	if (tcp || udp)
		tm_mb_node_str(ctx->mb, gw, "protocol", udp ? "udp" : "tcp");
	tm_edge *e = tm_mb_edge(ctx->mb, in, gw, TM_EDGE_ROUTES, tm_ingest__loc(o->f, o->v));
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", o->kind);
	if (e && internal)
		tm_mb_edge_str(ctx->mb, e, "internal", internal);
	const tm_value *routes = tm_map_get(spec, "routes");
	bool listed = tm_value_kind_of(routes) == TM_VALUE_SEQ;
	if (routes && !listed)
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, routes),
			    "%s '%s': spec.routes is not a list; no route read", o->kind, o->name);
	for (size_t i = 0; listed && i < tm_value_len(routes); i++) {
		const tm_value *r = tm_seq_at(routes, i);
		const char *match = udp ? NULL : tm_map_get_str(r, "match");
		const char *hosts = match ? tm_traefik__rule_hosts(a, match) : NULL;
		struct walk w = {ctx, k, o, o->kind, o->name, TM_PSET_INIT};
		tm_gw_checks c = TM_GW_CHECKS_NONE;
		const tm_value *mws = udp ? NULL : tm_map_get(r, "middlewares");
		for (size_t j = 0; j < tm_value_len(mws); j++) {
			const tm_value *ref = tm_seq_at(mws, j);
			const char *name = tm_map_get_str(ref, "name");
			if (name)
				middleware_ref(&w, tcp ? "MiddlewareTCP" : "Middleware", ref_ns(&w, o->f, ref, o->ns, "middleware", name),
					       name, tm_ingest__loc(o->f, ref), &c);
		}
		const char **hl = words(a, hosts);
		for (size_t h = 0; hl && hl[h]; h++)
			tm_mb_node_list_add(ctx->mb, gw, "hosts", hl[h]);
		static const char *const root[] = {"/", NULL};
		struct target t = {gw, hl, tcp || udp ? root : rule_paths(a, match), &c};
		const tm_value *svcs = tm_map_get(r, "services");
		for (size_t j = 0; hl && t.paths && j < tm_value_len(svcs); j++)
			service_ref(&w, &t, o->f, tm_seq_at(svcs, j), o->ns);
		tm_pset_dispose(&w.seen);
	}
}

void tm_k8s__traefik(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		bool tcp = tm_k8s__is(o, "IngressRouteTCP"), udp = tm_k8s__is(o, "IngressRouteUDP");
		if (tcp || udp || tm_k8s__is(o, "IngressRoute"))
			ingress_route(ctx, k, o, tcp, udp);
	}
}

void tm_k8s__traefik_annotation(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, const char *list,
				const tm_value *at, tm_gw_checks *c)
{
	struct walk w = {ctx, k, o, o->kind, o->name, TM_PSET_INIT};
	tm_loc loc = tm_ingest__loc(o->f, at);
	for (const char *p = list; *p;) {
		p += strspn(p, " ,");
		size_t n = strcspn(p, " ,");
		if (!n)
			break;
		char *ref = tm_arena_strndup(ctx->scratch, p, n);
		p += n;
		if (!ref)
			continue;
		/* "<namespace>-<name>@kubernetescrd": the namespace may hold '-' itself, so each split is
		 * tried, the first that names a Middleware in the files wins */
		char *prov = strchr(ref, '@');
		const struct tm_k8s_obj *m = NULL;
		if (prov && strcasecmp(prov + 1, "kubernetescrd") == 0) {
			*prov = '\0';
			for (char *dash = strchr(ref, '-'); dash && !m; dash = strchr(dash + 1, '-')) {
				*dash = '\0';
				m = tm_k8s__named(ctx, k, "Middleware", ref, dash + 1);
				*dash = '-';
			}
			*prov = '@';
		}
		if (m) {
			if (first_visit(&w, m))
				middleware(&w, m, c);
			continue;
		}
		middleware_ref(&w, "Middleware", o->ns, ref, loc, c);
	}
	tm_pset_dispose(&w.seen);
}

void tm_ingest__traefik_middleware(tm_ingest_ctx *ctx, const char *kind, const char *name, const char *ns,
				   const char *mw, tm_loc at, tm_gw_checks *c)
{
	struct walk w = {ctx, ctx->kube, NULL, kind, name, TM_PSET_INIT};
	if (w.k)
		middleware_ref(&w, "Middleware", ns, mw, at, c);
	else
		unknown_middleware(&w, "Middleware", mw, "not in the scanned files", at, c);
	tm_pset_dispose(&w.seen);
}
