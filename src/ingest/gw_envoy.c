/*
 * gw_envoy.c - Envoy static bootstrap configuration (v2 and v3) as a gateway.
 *
 *   static_resources.listeners[].filter_chains[] (and default_filter_chain): filters[]
 *     http_connection_manager: route_config.virtual_hosts[]: domains -> virtual hosts
 *         routes[]: match (prefix, path, path_separated_prefix, safe_regex, regex)
 *                   route.cluster or route.weighted_clusters -> one route per cluster host
 *       http_filters[]: ext_authz (a check of some kind), jwt_authn (JWT, where its rules verify),
 *                       oauth2, basic_auth, local_ratelimit / ratelimit (rate limit), rbac (an
 *                       allow-list or a deny rule, as rbac() reads it); `disabled: true` leaves
 *                       a filter off until a route turns it on
 *       typed_per_filter_config of the route configuration, a virtual host, a route (the most
 *                       specific wins): a FilterConfig turns a filter off or on; ExtAuthzPerRoute
 *                       or the jwt_authn PerRouteConfig `disabled: true` turns it off, a JWT
 *                       requirement_name verifies what requirement_map says; an RBACPerRoute's
 *                       rbac replaces the filter's rules (none: off) -> each route's own checks
 *     tcp_proxy (cluster, weighted_clusters), redis_proxy (prefix_routes: catch_all_route, routes)
 *                    -> a connection-level route (TM_GW_TCP) per cluster host, the chain's
 *                       filter_chain_match.server_names (SNI) its virtual hosts; a protocol filter
 *                       in front of a tcp_proxy (mysql_proxy, postgres_proxy...) only watches
 *     rbac, ext_authz, local_ratelimit / ratelimit network filters: checks on the chain's routes
 *     transport_socket tls (v2 tls_context) -> the chain terminates TLS; a client certificate it
 *                       requires and verifies (require_client_certificate, a CA or a pin) is an
 *                       mTLS check on each of its routes (client_cert())
 *   static_resources.clusters[]: load_assignment endpoints, or v2 hosts[] -> the upstream hosts
 *   admin.address.socket_address   -> admin_listen (address:port), for TM-MESH-008
 * A filter is what its typed_config "@type" says (Envoy picks the extension by it; a TypedStruct by
 * its type_url), else what its name says: a filter named "authz" of type ExtAuthz is an ext_authz.
 * TLS is per filter chain. The gateway's `tls` says some chain terminates it; on such a gateway each
 * chain that does not is a `plaintext_listeners` fact, and its routes say so (plaintext_at).
 * Routes fetched over xDS (rds, a control plane) are not in the files: the gateway says so.
 */
#include <stdio.h>

#include "ingest.h"

typedef struct {
	tm_ingest_ctx *ctx;
	tm_gw_config *g;
	const tm_file *f;
	const tm_value *clusters;
	bool some_tls;         /* some filter chain of the file terminates TLS */
	const char *plaintext; /* the chain being read, when it takes routes in without TLS on a
				  gateway that terminates TLS elsewhere; else NULL */
} reader;

typedef enum { F_OTHER, F_HCM, F_TCP, F_REDIS, F_AUTHN, F_RATE, F_RBAC } filter_kind;

/* At most this many checking HTTP filters of a connection manager are applied route by route (a
 * route costs one look-up per filter); those past it check every route as the listener says. */
#define CHECKING_FILTERS_MAX 32

/* A checking HTTP filter of a connection manager: a route, its virtual host or the route
 * configuration may turn it off or on, or replace its settings, under its name. */
typedef struct {
	const tm_value *fv;
	const char *name; /* typed_per_filter_config's key */
	filter_kind kind;
	tm_hmap reqs;     /* jwt_authn: requirement_map name -> REQ_REQUIRED or REQ_OPTIONAL, as read */
} hfilter;

/* One filter on one route, as the most specific per-filter setting leaves it. */
typedef struct {
	bool on;        /* in the route's filter chain (HttpFilter.disabled, FilterConfig.disabled) */
	tm_gw_checks c; /* what it checks there */
} fstate;

/* A connection manager read route by route: each filter as written (base), then over it as the
 * route configuration, the virtual host and the route set it. */
typedef struct {
	tm_gw_checks net; /* the chain's (client certificate, network filters) and filters past the cap */
	hfilter f[CHECKING_FILTERS_MAX];
	size_t n;
	fstate base[CHECKING_FILTERS_MAX], rc[CHECKING_FILTERS_MAX], vh[CHECKING_FILTERS_MAX],
		rt[CHECKING_FILTERS_MAX];
} hcm;

/* A route as the file writes it, before its cluster becomes hosts. */
typedef struct {
	const tm_value *at; /* the route, or the network filter that forwards */
	const char *path;
	tm_gw_match match;
	const char *vhosts;
	tm_gw_checks c;      /* what the gateway checks on it */
	const char *rewrite; /* the path it forwards to (prefix_rewrite, a regex_rewrite's substitution) */
} route;

static bool contains(const char *s, const char *what)
{
	return s && strstr(s, what);
}

static const char *at(const reader *rd, const char *what, const tm_value *v)
{
	return tm_gw_where(rd->ctx, what, tm_ingest__loc(rd->f, v));
}

/* A setting that cannot mean what Envoy would take it to: said at v, not read. */
static void malformed(const reader *rd, const tm_value *v, const char *what)
{
	tm_diag_add(rd->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(rd->f, v), "%s", what);
}

/* An Any's type: its "@type", a TypedStruct's type_url. */
static const char *any_type(const tm_value *any)
{
	const char *t = tm_map_get_str(any, "@type");
	return contains(t, "TypedStruct") ? tm_map_get_str(any, "type_url") : t;
}

/* An Any's message: itself, a TypedStruct's value. */
static const tm_value *any_value(const tm_value *any)
{
	return contains(tm_map_get_str(any, "@type"), "TypedStruct") ? tm_map_get(any, "value") : any;
}

/* "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz" (a TypedStruct's
 * type_url), else the name ("envoy.filters.http.ext_authz"): both hold what the filter is. */
static const char *filter_type(const tm_value *fv)
{
	const char *t = any_type(tm_map_get(fv, "typed_config"));
	return t ? t : tm_map_get_str(fv, "name");
}

/* The filter's own settings: typed_config (a TypedStruct's value), v2 config. */
static const tm_value *filter_config(const tm_value *fv)
{
	const tm_value *tc = tm_map_get(fv, "typed_config");
	return tc ? any_value(tc) : tm_map_get(fv, "config");
}

static filter_kind kind_of(const char *t)
{
	if (contains(t, "http_connection_manager"))
		return F_HCM;
	if (contains(t, "tcp_proxy"))
		return F_TCP;
	if (contains(t, "redis_proxy"))
		return F_REDIS;
	if (contains(t, "ext_authz") || contains(t, "jwt_authn") || contains(t, "oauth2") || contains(t, "basic_auth"))
		return F_AUTHN;
	if (contains(t, "ratelimit") || contains(t, "rate_limit"))
		return F_RATE;
	if (contains(t, "rbac"))
		return F_RBAC;
	return F_OTHER;
}

/* An RBAC action, by name or by number as JSON may write it: 0 ALLOW, 1 DENY, 2 LOG, -1 other. */
static int rbac_action(const char *a)
{
	if (!a || strcmp(a, "ALLOW") == 0 || strcmp(a, "0") == 0)
		return 0;
	if (strcmp(a, "DENY") == 0 || strcmp(a, "1") == 0)
		return 1;
	return strcmp(a, "LOG") == 0 || strcmp(a, "2") == 0 ? 2 : -1;
}

/* The action of a matcher's on_match or on_no_match; -1 for a nested matcher (it may be anything). */
static int matcher_action(const tm_value *on)
{
	const tm_value *act = tm_map_get(on, "action");
	return act ? rbac_action(tm_map_get_str(tm_map_get(act, "typed_config"), "action")) : -1;
}

typedef enum { RBAC_NOTHING, RBAC_ALLOW_LIST, RBAC_DENY } rbac_kind;

/*
 * An RBAC filter as Envoy reads it (rbac.proto): a `matcher` wins over `rules`; with neither,
 * nothing is enforced. rules.action ALLOW (the default) admits only what a policy matches: an
 * allow-list (without policies it admits nobody); DENY refuses what a policy matches and lets the
 * rest through: a deny rule, no restriction of who may call; LOG enforces nothing. A matcher refuses
 * what no matcher matches unless on_no_match allows it: then only a DENY action refuses anything.
 */
static rbac_kind rbac(const tm_value *cfg)
{
	const tm_value *m = tm_map_get(cfg, "matcher");
	if (m && tm_value_kind_of(m) == TM_VALUE_MAP) {
		if (matcher_action(tm_map_get(m, "on_no_match")) != 0)
			return RBAC_ALLOW_LIST;
		if (tm_map_get(m, "matcher_tree"))
			return RBAC_DENY;
		const tm_value *ms = tm_map_get(tm_map_get(m, "matcher_list"), "matchers");
		for (size_t i = 0; i < tm_value_len(ms); i++) {
			int a = matcher_action(tm_map_get(tm_seq_at(ms, i), "on_match"));
			if (a == 1 || a == -1)
				return RBAC_DENY;
		}
		return RBAC_NOTHING;
	}
	const tm_value *rules = tm_map_get(cfg, "rules");
	if (!rules || tm_value_kind_of(rules) != TM_VALUE_MAP)
		return RBAC_NOTHING;
	int a = rbac_action(tm_map_get_str(rules, "action"));
	return a == 0 ? RBAC_ALLOW_LIST : a == 1 ? RBAC_DENY : RBAC_NOTHING;
}

/* How a filter is named in a check: its name, else its type. */
static const char *filter_what(const tm_value *fv)
{
	const char *name = tm_map_get_str(fv, "name");
	return name ? name : filter_type(fv);
}

/* An authentication filter's kind, by its type. */
static tm_authn authn_kind(const char *type)
{
	return contains(type, "jwt")         ? TM_AUTHN_JWT
	       : contains(type, "oauth2")     ? TM_AUTHN_OAUTH2
	       : contains(type, "basic_auth") ? TM_AUTHN_BASIC
					      : TM_AUTHN_UNKNOWN;
}

/* An RBAC configuration cfg into c, cited at where (the filter, or a route's replacement). */
static void note_rbac(const reader *rd, tm_gw_checks *c, const char *what, const tm_value *cfg,
		      const tm_value *where)
{
	switch (rbac(cfg)) {
	case RBAC_ALLOW_LIST:
		c->restrict_how = at(rd, what, where);
		break;
	case RBAC_DENY:
		c->deny_how = at(rd, what, where);
		break;
	case RBAC_NOTHING:
		break;
	}
}

/* A jwt_authn filter verifies tokens on its own only where its `rules` (or filter_state_rules)
 * say; with neither, only on routes naming a requirement (PerRouteConfig requirement_name). */
static bool jwt_by_rules(const tm_value *cfg)
{
	return tm_value_len(tm_map_get(cfg, "rules")) > 0 || tm_map_get(cfg, "filter_state_rules");
}

/* A filter that checks something (an HTTP filter as written, or a network filter for its whole
 * chain) into c. */
static void note(const reader *rd, tm_gw_checks *c, const tm_value *fv)
{
	const char *type = filter_type(fv);
	const char *what = filter_what(fv);
	switch (kind_of(type)) {
	case F_AUTHN:
		if (contains(type, "jwt") && !jwt_by_rules(filter_config(fv)))
			break;
		c->authn = authn_kind(type);
		c->authn_how = at(rd, what, fv);
		break;
	case F_RATE:
		c->rate_how = at(rd, what, fv);
		break;
	case F_RBAC:
		note_rbac(rd, c, what, filter_config(fv), fv);
		break;
	default:
		break;
	}
}

/* Does a JwtRequirement refuse a request without a valid token (config.proto)? provider_name and
 * provider_and_audiences do; requires_all if one of its requirements does, requires_any if each
 * does; allow_missing, allow_missing_or_failed and an empty requirement let it through. */
static bool jwt_required(const tm_value *req, int depth)
{
	if (depth > 16 || tm_value_kind_of(req) != TM_VALUE_MAP)
		return false;
	if (tm_map_get(req, "provider_name") || tm_map_get(req, "provider_and_audiences"))
		return true;
	const tm_value *all = tm_map_get(tm_map_get(req, "requires_all"), "requirements");
	for (size_t i = 0; i < tm_value_len(all); i++)
		if (jwt_required(tm_seq_at(all, i), depth + 1))
			return true;
	const tm_value *any = tm_map_get(tm_map_get(req, "requires_any"), "requirements");
	for (size_t i = 0; i < tm_value_len(any); i++)
		if (!jwt_required(tm_seq_at(any, i), depth + 1))
			return false;
	return tm_value_len(any) > 0;
}

/* the verdicts a requirement name is remembered by: two distinct objects, compared by address (two
 * equal string literals need not be one object) */
static const char req_required[] = "required", req_optional[] = "optional";
#define REQ_REQUIRED ((void *)req_required)
#define REQ_OPTIONAL ((void *)req_optional)

/* Does the requirement named on a route (at v) refuse a request without a token? Read once per
 * name. A name the filter's requirement_map lacks makes Envoy refuse every request of the route:
 * said, and no way in without a token either. */
static bool jwt_named(const reader *rd, hfilter *f, const char *name, const tm_value *v)
{
	size_t len = strlen(name);
	void *known = tm_hmap_get(&f->reqs, name, len);
	if (known)
		return known == REQ_REQUIRED;
	const tm_value *map = tm_map_get(filter_config(f->fv), "requirement_map");
	const tm_value *req = tm_map_get(map, name);
	bool required = !req || jwt_required(req, 0);
	if (!req)
		tm_diag_add(rd->ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING, tm_ingest__loc(rd->f, v),
			    "requirement_name %s is not in the requirement_map of %s: envoy refuses every request "
			    "of this route",
			    name, filter_what(f->fv));
	if (tm_hmap_put(&f->reqs, name, len, required ? REQ_REQUIRED : REQ_OPTIONAL))
		tm_arena_set_failed(rd->ctx->scratch);
	return required;
}

/* What filter f checks on a route whose own settings for it (ExtAuthzPerRoute, the jwt_authn
 * PerRouteConfig, RBACPerRoute...) are own, written at where: `disabled: true` switches it off;
 * an RBACPerRoute's rbac replaces the filter's rules, and without one switches it off; a JWT
 * requirement_name verifies what its requirement says. Other settings leave it as written. */
static tm_gw_checks own_checks(const reader *rd, hfilter *f, const fstate *base, const tm_value *own,
			       const tm_value *where)
{
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	const tm_value *dv = tm_map_get(own, "disabled");
	bool disabled = false;
	if (dv && tm_scalar_bool(dv, &disabled))
		malformed(rd, dv, "disabled is not true or false: not read");
	if (disabled)
		return c;
	const char *what = filter_what(f->fv);
	if (f->kind == F_RBAC) {
		const tm_value *cfg = tm_map_get(own, "rbac");
		if (cfg && tm_value_kind_of(cfg) != TM_VALUE_MAP)
			malformed(rd, cfg, "rbac of a per-route RBAC setting is not a mapping: nothing enforced");
		note_rbac(rd, &c, what, cfg, where);
		return c;
	}
	const tm_value *rn = f->kind == F_AUTHN ? tm_map_get(own, "requirement_name") : NULL;
	if (rn) {
		const char *name = tm_scalar_str(rn, NULL);
		if (!name) {
			malformed(rd, rn, "requirement_name is not a string: not read");
			return base->c;
		}
		if (jwt_named(rd, f, name, rn)) {
			c.authn = TM_AUTHN_JWT;
			c.authn_how = at(rd, tm_arena_printf(rd->ctx->scratch, "%s requirement %s", what, name), where);
		}
		return c;
	}
	return base->c;
}

/* The per-filter settings of scope (a route, a virtual host, the route configuration) over below,
 * into out: each names its filter and turns it on (a filter written `disabled: true` too), but a
 * FilterConfig (route.v3) saying `disabled: true` turns it off. A FilterConfig carries the filter's
 * own settings in `config`; any other setting is them. The most specific scope wins (Envoy's
 * PerFilterConfigs). */
static void resolve(const reader *rd, hcm *h, const tm_value *scope, const fstate *below, fstate *out)
{
	memcpy(out, below, h->n * sizeof(*out));
	const tm_value *per = tm_map_get(scope, "typed_per_filter_config");
	if (!per)
		per = tm_map_get(scope, "per_filter_config"); /* v2 */
	if (!per)
		return;
	if (tm_value_kind_of(per) != TM_VALUE_MAP) {
		malformed(rd, per, "typed_per_filter_config is not a mapping: not read");
		return;
	}
	for (size_t i = 0; i < h->n; i++) {
		const tm_value *cfg = h->f[i].name ? tm_map_get(per, h->f[i].name) : NULL;
		if (!cfg)
			continue;
		const tm_value *own = any_value(cfg);
		bool disabled = false;
		if (contains(any_type(cfg), "route.v3.FilterConfig")) {
			const tm_value *dv = tm_map_get(cfg, "disabled");
			if (dv && tm_scalar_bool(dv, &disabled))
				malformed(rd, dv, "disabled is not true or false: not read");
			own = any_value(tm_map_get(cfg, "config"));
		}
		out[i].on = !disabled;
		if (own)
			out[i].c = own_checks(rd, &h->f[i], &h->base[i], own, cfg);
	}
}

/* A filter's checks over a route's: the later filter's authentication is the one named. */
static void merge(tm_gw_checks *into, const tm_gw_checks *c)
{
	if (c->authn != TM_AUTHN_NONE) {
		into->authn = c->authn;
		into->authn_how = c->authn_how;
	}
	if (c->rate_how)
		into->rate_how = c->rate_how;
	if (c->restrict_how)
		into->restrict_how = c->restrict_how;
	if (c->deny_how)
		into->deny_how = c->deny_how;
}

/* The hosts of cluster name. */
static const tm_value *cluster(const reader *rd, const char *name)
{
	for (size_t i = 0; i < tm_value_len(rd->clusters); i++) {
		const tm_value *c = tm_seq_at(rd->clusters, i);
		const char *cn = tm_map_get_str(c, "name");
		if (cn && strcmp(cn, name) == 0)
			return c;
	}
	return NULL;
}

static void add(const reader *rd, const route *rt, const char *upstream)
{
	tm_gw_route *r = tm_gw_route_new(rd->ctx, rd->g, rt->path, rt->match, upstream, rt->vhosts, &rt->c,
					 tm_ingest__loc(rd->f, rt->at));
	if (r)
		r->plaintext_at = rd->plaintext;
}

static void to_cluster(const reader *rd, const route *rt, const char *name)
{
	const tm_value *cl = cluster(rd, name);
	const tm_value *eps = tm_map_get(tm_map_get(cl, "load_assignment"), "endpoints");
	size_t added = 0;
	for (size_t i = 0; i < tm_value_len(eps); i++) {
		const tm_value *lbs = tm_map_get(tm_seq_at(eps, i), "lb_endpoints");
		for (size_t k = 0; k < tm_value_len(lbs); k++) {
			const tm_value *sa = tm_map_get(tm_map_get(tm_map_get(tm_seq_at(lbs, k), "endpoint"), "address"),
							"socket_address");
			const char *host = tm_map_get_str(sa, "address");
			if (host) {
				/* a Dapr sidecar on the loopback, invoking the app the rewrite names */
				const char *app = tm_gw_dapr_app(rd->ctx->scratch, host, rt->rewrite);
				add(rd, rt, app ? app : host);
				added++;
			}
		}
	}
	/* the v2 API's hosts list, read as load_assignment's endpoints are (a Dapr sidecar too) */
	const tm_value *hosts = tm_map_get(cl, "hosts");
	for (size_t i = 0; i < tm_value_len(hosts); i++) {
		const char *host = tm_map_get_str(tm_map_get(tm_seq_at(hosts, i), "socket_address"), "address");
		if (host) {
			const char *app = tm_gw_dapr_app(rd->ctx->scratch, host, rt->rewrite);
			add(rd, rt, app ? app : host);
			added++;
		}
	}
	if (!added)
		tm_gw_config_fact(rd->ctx, rd->g, "unresolved_upstreams", name, tm_ingest__loc(rd->f, rt->at));
}

/* weighted_clusters.clusters[].name: each one. */
static void to_weighted(const reader *rd, const route *rt, const tm_value *wc)
{
	const tm_value *wcs = tm_map_get(wc, "clusters");
	for (size_t k = 0; k < tm_value_len(wcs); k++) {
		const char *name = tm_map_get_str(tm_seq_at(wcs, k), "name");
		if (name)
			to_cluster(rd, rt, name);
	}
}

static void virtual_host(const reader *rd, hcm *h, const tm_value *vh)
{
	const char *vhosts = tm_gw_vhosts(rd->ctx, tm_map_get(vh, "domains"));
	resolve(rd, h, vh, h->rc, h->vh);
	const tm_value *routes = tm_map_get(vh, "routes");
	for (size_t i = 0; i < tm_value_len(routes); i++) {
		const tm_value *rv = tm_seq_at(routes, i);
		const tm_value *match = tm_map_get(rv, "match");
		route rt = {rv, NULL, TM_GW_PREFIX, vhosts, TM_GW_CHECKS_NONE, NULL};
		if ((rt.path = tm_map_get_str(match, "prefix")) ||
		    (rt.path = tm_map_get_str(match, "path_separated_prefix"))) {
			rt.match = TM_GW_PREFIX;
		} else if ((rt.path = tm_map_get_str(match, "path"))) {
			rt.match = TM_GW_EXACT;
		} else if ((rt.path = tm_map_get_str(tm_map_get(match, "safe_regex"), "regex")) ||
			   (rt.path = tm_map_get_str(match, "regex"))) {
			rt.match = TM_GW_REGEX;
		} else {
			continue;
		}
		if (rt.match == TM_GW_PREFIX && !*rt.path)
			rt.path = "/";
		resolve(rd, h, rv, h->vh, h->rt);
		rt.c = h->net;
		for (size_t k = 0; k < h->n; k++)
			if (h->rt[k].on)
				merge(&rt.c, &h->rt[k].c);
		const tm_value *action = tm_map_get(rv, "route");
		if (!(rt.rewrite = tm_map_get_str(action, "prefix_rewrite")))
			rt.rewrite = tm_map_get_str(tm_map_get(action, "regex_rewrite"), "substitution");
		const char *cl = tm_map_get_str(action, "cluster");
		if (cl)
			to_cluster(rd, &rt, cl);
		else
			to_weighted(rd, &rt, tm_map_get(action, "weighted_clusters"));
	}
}

/* An ext_authz filter's authorizer: the hosts of its gRPC service's cluster (envoy_grpc.cluster_name)
 * or of its HTTP service's (server_uri.cluster), services the gateway calls for every request it
 * checks. */
static void authorizer(const reader *rd, const tm_value *fv)
{
	if (!contains(filter_type(fv), "ext_authz"))
		return;
	const tm_value *cfg = filter_config(fv);
	const char *name = tm_map_get_str(tm_map_get(tm_map_get(cfg, "grpc_service"), "envoy_grpc"), "cluster_name");
	if (!name)
		name = tm_map_get_str(tm_map_get(tm_map_get(cfg, "http_service"), "server_uri"), "cluster");
	const tm_value *cl = name ? cluster(rd, name) : NULL;
	const char *what = tm_arena_printf(rd->ctx->scratch, "ext_authz (%s)", filter_what(fv));
	tm_loc loc = tm_ingest__loc(rd->f, fv);
	const tm_value *eps = tm_map_get(tm_map_get(cl, "load_assignment"), "endpoints");
	for (size_t i = 0; i < tm_value_len(eps); i++) {
		const tm_value *lbs = tm_map_get(tm_seq_at(eps, i), "lb_endpoints");
		for (size_t k = 0; k < tm_value_len(lbs); k++)
			tm_gw_config_dep(rd->ctx, rd->g,
					 tm_map_get_str(tm_map_get(tm_map_get(tm_map_get(tm_seq_at(lbs, k), "endpoint"), "address"),
								   "socket_address"),
							"address"),
					 what, loc);
	}
	const tm_value *hosts = tm_map_get(cl, "hosts");
	for (size_t i = 0; i < tm_value_len(hosts); i++)
		tm_gw_config_dep(rd->ctx, rd->g, tm_map_get_str(tm_map_get(tm_seq_at(hosts, i), "socket_address"), "address"),
				 what, loc);
}

/* The connection manager's HTTP filters that check something, each as written: the first
 * CHECKING_FILTERS_MAX kept for the routes to apply, the rest checking every route. A filter
 * written `disabled: true` is off until a route's FilterConfig turns it on. */
static void checking_filters(const reader *rd, hcm *h, const tm_value *fs)
{
	for (size_t i = 0; i < tm_value_len(fs); i++) {
		const tm_value *fv = tm_seq_at(fs, i);
		filter_kind kind = kind_of(filter_type(fv));
		if (kind != F_AUTHN && kind != F_RATE && kind != F_RBAC)
			continue;
		authorizer(rd, fv);
		const tm_value *dv = tm_map_get(fv, "disabled");
		bool disabled = false;
		if (dv && tm_scalar_bool(dv, &disabled))
			malformed(rd, dv, "disabled is not true or false: not read");
		if (h->n == CHECKING_FILTERS_MAX) {
			tm_diag_add(rd->ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, tm_ingest__loc(rd->f, fv),
				    "more than %d checking http filters: this one and those after it check every "
				    "route, whatever the routes' per-filter settings say",
				    CHECKING_FILTERS_MAX);
			h->n++; /* said once */
		}
		if (h->n > CHECKING_FILTERS_MAX) {
			if (!disabled)
				note(rd, &h->net, fv);
			continue;
		}
		hfilter *f = &h->f[h->n];
		f->fv = fv;
		f->name = tm_map_get_str(fv, "name"); /* typed_per_filter_config names filters by name */
		f->kind = kind;
		f->reqs = (tm_hmap)TM_HMAP_INIT;
		h->base[h->n].on = !disabled;
		h->base[h->n].c = (tm_gw_checks)TM_GW_CHECKS_NONE;
		note(rd, &h->base[h->n].c, fv);
		h->n++;
	}
	if (h->n > CHECKING_FILTERS_MAX)
		h->n = CHECKING_FILTERS_MAX;
}

/* An http_connection_manager: its HTTP filters over the chain's checks, as each route sets them;
 * its routes. */
static void connection_manager(const reader *rd, const tm_value *cfg, const tm_gw_checks *chain)
{
	hcm h;
	h.net = *chain;
	h.n = 0;
	checking_filters(rd, &h, tm_map_get(cfg, "http_filters"));
	if (tm_map_get(cfg, "rds"))
		tm_gw_config_fact(rd->ctx, rd->g, "dynamic_routes",
				  "routes come from a control plane (rds), not from the files",
				  tm_ingest__loc(rd->f, tm_map_get(cfg, "rds")));
	const tm_value *rc = tm_map_get(cfg, "route_config");
	resolve(rd, &h, rc, h.base, h.rc);
	const tm_value *vhs = tm_map_get(rc, "virtual_hosts");
	for (size_t v = 0; v < tm_value_len(vhs); v++)
		virtual_host(rd, &h, tm_seq_at(vhs, v));
	for (size_t i = 0; i < h.n; i++)
		tm_hmap_dispose(&h.f[i].reqs);
}

/* A tcp_proxy forwards every connection to its cluster (or weighted clusters); a redis_proxy sends
 * commands to the clusters of its prefix routes and catch-all route (v2: its cluster). */
static void tcp(const reader *rd, const tm_value *fv, const char *sni, const tm_gw_checks *c)
{
	const tm_value *cfg = filter_config(fv);
	route rt = {fv, "", TM_GW_TCP, sni, *c, NULL};
	const char *cl = tm_map_get_str(cfg, "cluster");
	if (kind_of(filter_type(fv)) == F_TCP) {
		if (cl)
			to_cluster(rd, &rt, cl);
		else
			to_weighted(rd, &rt, tm_map_get(cfg, "weighted_clusters"));
		return;
	}
	const tm_value *pr = tm_map_get(cfg, "prefix_routes");
	const tm_value *rs = tm_map_get(pr, "routes");
	for (size_t i = 0; i < tm_value_len(rs) + 1; i++) {
		const tm_value *one = i < tm_value_len(rs) ? tm_seq_at(rs, i) : tm_map_get(pr, "catch_all_route");
		const char *name = tm_map_get_str(one, "cluster");
		rt.at = one;
		if (name)
			to_cluster(rd, &rt, name);
	}
	rt.at = fv;
	if (cl && !pr)
		to_cluster(rd, &rt, cl);
}

static bool terminates_tls(const tm_value *ch)
{
	const tm_value *ts = tm_map_get(ch, "transport_socket");
	const char *name = tm_map_get_str(ts, "name");
	return contains(name, "tls") || contains(name, "quic") ||
	       contains(tm_map_get_str(tm_map_get(ts, "typed_config"), "@type"), "DownstreamTlsContext") ||
	       tm_map_get(ch, "tls_context");
}

/* A chain's DownstreamTlsContext: its transport_socket's settings (a QUIC transport's
 * downstream_tls_context), or v2 tls_context. */
static const tm_value *tls_context(const tm_value *ch)
{
	const tm_value *ts = tm_map_get(ch, "transport_socket");
	const tm_value *tc = ts ? filter_config(ts) : tm_map_get(ch, "tls_context");
	const tm_value *quic = tm_map_get(tc, "downstream_tls_context");
	return quic ? quic : tc;
}

/* The first of keys that v holds (a list: not empty), its value into *out; NULL when none. */
static const char *first_of(const tm_value *v, const char *const *keys, const tm_value **out)
{
	for (size_t i = 0; keys[i]; i++) {
		const tm_value *got = tm_map_get(v, keys[i]);
		if (got && (tm_value_kind_of(got) != TM_VALUE_SEQ || tm_value_len(got))) {
			*out = got;
			return keys[i];
		}
	}
	return NULL;
}

/*
 * A client certificate the chain requires and verifies (DownstreamTlsContext: tls.proto,
 * common.proto) authenticates every connection on it: an mTLS check on each of its routes, and an
 * mtls_listeners fact. Envoy asks for one when require_client_certificate is true, or a pin
 * (verify_certificate_spki, verify_certificate_hash) or match_typed_subject_alt_names is set, and
 * verifies it by the pin, or against a CA (trusted_ca, a provider, a custom validator, a
 * validation context from SDS or a certificate provider) unless trust_chain_verification is
 * ACCEPT_UNTRUSTED. A certificate required but not verified (no CA: any certificate passes; names
 * matched without a CA: a self-signed certificate carries any), or verified but not required (a
 * client without one passes), authenticates no one: a note says so, and it is not counted.
 */
static void client_cert(const reader *rd, const char *chain, const tm_value *ch, tm_gw_checks *net)
{
	static const char *const pins[] = {"verify_certificate_spki", "verify_certificate_hash", NULL};
	static const char *const cas[] = {"trusted_ca", "ca_certificate_provider_instance", "custom_validator_config",
					  NULL};
	static const char *const elsewhere[] = {"validation_context_sds_secret_config",
						"validation_context_certificate_provider",
						"validation_context_certificate_provider_instance", NULL};
	static const char *const sans[] = {"match_typed_subject_alt_names", "match_subject_alt_names", NULL};
	const tm_value *tc = tls_context(ch);
	const tm_value *rv = tm_map_get(tc, "require_client_certificate");
	bool require = false;
	if (rv && tm_scalar_bool(rv, &require))
		malformed(rd, rv, "require_client_certificate is not true or false: not read");
	const tm_value *common = tm_map_get(tc, "common_tls_context");
	const tm_value *comb = tm_map_get(common, "combined_validation_context");
	const tm_value *vc = tm_map_get(comb ? comb : common, comb ? "default_validation_context" : "validation_context");
	const tm_value *pin = NULL, *ca = NULL, *san = NULL;
	const char *by = first_of(vc, pins, &pin);
	if (!by)
		by = first_of(vc, cas, &ca);
	if (!by)
		by = first_of(comb ? comb : common, elsewhere, &ca);
	const char *san_key = first_of(vc, sans, &san);
	const char *trust = tm_map_get_str(vc, "trust_chain_verification");
	bool untrusted = !pin && trust && (strcmp(trust, "ACCEPT_UNTRUSTED") == 0 || strcmp(trust, "1") == 0);
	bool typed_san = san_key && strcmp(san_key, "match_typed_subject_alt_names") == 0;
	bool required = require || pin || typed_san;
	const tm_value *where = require ? rv : pin ? pin : typed_san ? san : ca;
	tm_loc loc = tm_ingest__loc(rd->f, where);
	if (required && by && !untrusted) {
		net->authn = TM_AUTHN_MTLS;
		net->authn_how = at(rd, tm_arena_printf(rd->ctx->scratch, "client certificate (%s)", by), where);
		tm_gw_config_fact(rd->ctx, rd->g, "mtls_listeners", chain, loc);
	} else if (required && untrusted) {
		tm_diag_add(rd->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "client certificates are required but trust_chain_verification is ACCEPT_UNTRUSTED: any "
			    "certificate is accepted; not read as authentication");
	} else if (required) {
		tm_diag_add(rd->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    san_key ? "client certificates are required but their names are matched without a trusted_ca: "
				      "a self-signed certificate can carry any name; not read as authentication"
				    : "require_client_certificate without a trusted_ca (no validation context): any client "
				      "certificate is accepted; not read as authentication");
	} else if (by && !untrusted) {
		tm_diag_add(rd->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "client certificates are verified against %s but not required (require_client_certificate "
			    "is not true): a client without one is let in; not read as authentication",
			    by);
	}
}

/* A listener's filter chains, then its default_filter_chain. */
static size_t chain_count(const tm_value *l)
{
	return tm_value_len(tm_map_get(l, "filter_chains")) + (tm_map_get(l, "default_filter_chain") ? 1 : 0);
}

static const tm_value *chain_at(const tm_value *l, size_t i)
{
	const tm_value *chains = tm_map_get(l, "filter_chains");
	return i < tm_value_len(chains) ? tm_seq_at(chains, i) : tm_map_get(l, "default_filter_chain");
}

static void filter_chain(reader *rd, const char *listener, const tm_value *ch)
{
	const char *sni = tm_gw_vhosts(rd->ctx, tm_map_get(tm_map_get(ch, "filter_chain_match"), "server_names"));
	const char *desc = sni ? tm_arena_printf(rd->ctx->scratch, "%s (%s)", listener, sni) : listener;
	rd->plaintext = NULL;
	if (rd->some_tls && !terminates_tls(ch)) {
		rd->plaintext = desc;
		tm_gw_config_fact(rd->ctx, rd->g, "plaintext_listeners", rd->plaintext, tm_ingest__loc(rd->f, ch));
	}
	tm_gw_checks net = TM_GW_CHECKS_NONE;
	client_cert(rd, desc, ch, &net);
	const tm_value *fs = tm_map_get(ch, "filters");
	for (size_t k = 0; k < tm_value_len(fs); k++)
		note(rd, &net, tm_seq_at(fs, k));
	for (size_t k = 0; k < tm_value_len(fs); k++) {
		const tm_value *fv = tm_seq_at(fs, k);
		filter_kind kind = kind_of(filter_type(fv));
		if (kind == F_HCM)
			connection_manager(rd, filter_config(fv), &net);
		else if (kind == F_TCP || kind == F_REDIS)
			tcp(rd, fv, sni, &net);
	}
}

/* The admin interface's listener ("0.0.0.0:9901"), a fact on the gateway (TM-MESH-008 judges where
 * it can be reached from): its address as written, "" for an address not written (Envoy needs one). */
static void admin(tm_ingest_ctx *ctx, tm_gw_config *g, const tm_file *f, const tm_value *adm)
{
	const tm_value *sa = tm_map_get(tm_map_get(adm, "address"), "socket_address");
	const char *port = tm_map_get_str(sa, "port_value");
	if (!port)
		return;
	const char *addr = tm_map_get_str(sa, "address");
	const char *listen = tm_arena_printf(ctx->scratch, "%s:%s", addr ? addr : "", port);
	tm_gw_config_fact(ctx, g, "admin_listen", listen, tm_ingest__loc(f, sa));
}

bool tm_ingest__envoy_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, tm_node *host)
{
	const tm_value *sr = tm_map_get(root, "static_resources");
	const tm_value *listeners = tm_map_get(sr, "listeners");
	tm_gw_config *g = tm_gw_config_new(ctx, "envoy", tm_file_path(f), tm_ingest__loc(f, root), tm_file_digest(f));
	if (!g)
		return false;
	tm_gw_config_host(ctx, g, host);
	admin(ctx, g, f, tm_map_get(root, "admin"));
	reader rd = {ctx, g, f, tm_map_get(sr, "clusters"), false, NULL};
	/* TLS first: a chain without it is worth saying only beside one with it */
	for (size_t i = 0; i < tm_value_len(listeners); i++)
		for (size_t c = 0; c < chain_count(tm_seq_at(listeners, i)); c++)
			rd.some_tls = rd.some_tls || terminates_tls(chain_at(tm_seq_at(listeners, i), c));
	tm_gw_config_set_tls(g, rd.some_tls);
	for (size_t i = 0; i < tm_value_len(listeners); i++) {
		const tm_value *l = tm_seq_at(listeners, i);
		const tm_value *sa = tm_map_get(tm_map_get(l, "address"), "socket_address");
		const char *port = tm_map_get_str(sa, "port_value");
		const char *name = tm_map_get_str(l, "name");
		char *desc = tm_arena_printf(ctx->scratch, "%s port %s", name ? name : "listener", port ? port : "?");
		tm_gw_config_fact(ctx, g, "listeners", desc, tm_ingest__loc(f, l));
		for (size_t c = 0; c < chain_count(l); c++)
			filter_chain(&rd, desc ? desc : "listener", chain_at(l, c));
	}
	return true;
}
