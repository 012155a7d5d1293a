/*
 * gw_envoy.c - Envoy static bootstrap configuration (v2 and v3) as a gateway.
 *
 *   static_resources.listeners[].filter_chains[] (and default_filter_chain): filters[]
 *     http_connection_manager: route_config.virtual_hosts[]: domains -> virtual hosts
 *         routes[]: match (prefix, path, path_separated_prefix, safe_regex, regex)
 *                   route.cluster or route.weighted_clusters -> one route per cluster host
 *       http_filters[]: ext_authz (a check of some kind), jwt_authn (JWT), oauth2, basic_auth,
 *                       local_ratelimit / ratelimit (rate limit), rbac (an allow-list or a deny
 *                       rule, as rbac() reads it); a route or virtual host turning the
 *                       authentication filter off (typed_per_filter_config, disabled: true) is exempt
 *     tcp_proxy (cluster, weighted_clusters), redis_proxy (prefix_routes: catch_all_route, routes)
 *                    -> a connection-level route (TM_GW_TCP) per cluster host, the chain's
 *                       filter_chain_match.server_names (SNI) its virtual hosts; a protocol filter
 *                       in front of a tcp_proxy (mysql_proxy, postgres_proxy...) only watches
 *     rbac, ext_authz, local_ratelimit / ratelimit network filters: checks on the chain's routes
 *     transport_socket tls (v2 tls_context) -> the chain terminates TLS
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

typedef struct {
	tm_gw_checks gw;
	const char *authn_filter; /* the filter's name, to see a per-route exemption */
} checks;

/* A route as the file writes it, before its cluster becomes hosts. */
typedef struct {
	const tm_value *at; /* the route, or the network filter that forwards */
	const char *path;
	tm_gw_match match;
	const char *vhosts;
	bool authn_off; /* the route turns the authentication filter off */
} route;

typedef enum { F_OTHER, F_HCM, F_TCP, F_REDIS, F_AUTHN, F_RATE, F_RBAC } filter_kind;

static bool contains(const char *s, const char *what)
{
	return s && strstr(s, what);
}

static const char *at(const reader *rd, const char *what, const tm_value *v)
{
	return tm_gw_where(rd->ctx, what, tm_ingest__loc(rd->f, v));
}

/* "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz" (a TypedStruct's
 * type_url), else the name ("envoy.filters.http.ext_authz"): both hold what the filter is. */
static const char *filter_type(const tm_value *fv)
{
	const tm_value *tc = tm_map_get(fv, "typed_config");
	const char *t = tm_map_get_str(tc, "@type");
	if (contains(t, "TypedStruct"))
		t = tm_map_get_str(tc, "type_url");
	return t ? t : tm_map_get_str(fv, "name");
}

/* The filter's own settings: typed_config (a TypedStruct's value), v2 config. */
static const tm_value *filter_config(const tm_value *fv)
{
	const tm_value *tc = tm_map_get(fv, "typed_config");
	if (contains(tm_map_get_str(tc, "@type"), "TypedStruct"))
		return tm_map_get(tc, "value");
	return tc ? tc : tm_map_get(fv, "config");
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

/* A filter that checks something (an HTTP filter, or a network filter for its whole chain) into c. */
static void note(const reader *rd, checks *c, const tm_value *fv)
{
	const char *name = tm_map_get_str(fv, "name");
	const char *type = filter_type(fv);
	const char *what = name ? name : type;
	switch (kind_of(type)) {
	case F_AUTHN:
		c->gw.authn = contains(type, "jwt") ? TM_AUTHN_JWT
			      : contains(type, "oauth2") ? TM_AUTHN_OAUTH2
			      : contains(type, "basic_auth") ? TM_AUTHN_BASIC : TM_AUTHN_UNKNOWN;
		c->gw.authn_how = at(rd, what, fv);
		c->authn_filter = name; /* typed_per_filter_config names filters by name */
		break;
	case F_RATE:
		c->gw.rate_how = at(rd, what, fv);
		break;
	case F_RBAC:
		switch (rbac(filter_config(fv))) {
		case RBAC_ALLOW_LIST:
			c->gw.restrict_how = at(rd, what, fv);
			break;
		case RBAC_DENY:
			c->gw.deny_how = at(rd, what, fv);
			break;
		case RBAC_NOTHING:
			break;
		}
		break;
	default:
		break;
	}
}

/* Does v's typed_per_filter_config turn the filter off? */
static bool exempt(const tm_value *v, const char *filter)
{
	const tm_value *per = tm_map_get(v, "typed_per_filter_config");
	if (!per)
		per = tm_map_get(v, "per_filter_config");
	const tm_value *cfg = filter ? tm_map_get(per, filter) : NULL;
	bool off = false;
	return cfg && !tm_scalar_bool(tm_map_get(cfg, "disabled"), &off) && off;
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

static void add(const reader *rd, const route *rt, const checks *c, const char *upstream)
{
	tm_gw_checks applied = c->gw;
	if (rt->authn_off) {
		applied.authn = TM_AUTHN_NONE;
		applied.authn_how = NULL;
	}
	tm_gw_route *r = tm_gw_route_new(rd->ctx, rd->g, rt->path, rt->match, upstream, rt->vhosts, &applied,
					 tm_ingest__loc(rd->f, rt->at));
	if (r)
		r->plaintext_at = rd->plaintext;
}

static void to_cluster(const reader *rd, const route *rt, const checks *c, const char *name)
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
				add(rd, rt, c, host);
				added++;
			}
		}
	}
	const tm_value *hosts = tm_map_get(cl, "hosts");
	for (size_t i = 0; i < tm_value_len(hosts); i++) {
		const char *host = tm_map_get_str(tm_map_get(tm_seq_at(hosts, i), "socket_address"), "address");
		if (host) {
			add(rd, rt, c, host);
			added++;
		}
	}
	if (!added)
		tm_gw_config_fact(rd->ctx, rd->g, "unresolved_upstreams", name, tm_ingest__loc(rd->f, rt->at));
}

/* weighted_clusters.clusters[].name: each one. */
static void to_weighted(const reader *rd, const route *rt, const checks *c, const tm_value *wc)
{
	const tm_value *wcs = tm_map_get(wc, "clusters");
	for (size_t k = 0; k < tm_value_len(wcs); k++) {
		const char *name = tm_map_get_str(tm_seq_at(wcs, k), "name");
		if (name)
			to_cluster(rd, rt, c, name);
	}
}

static void virtual_host(const reader *rd, const tm_value *vh, const checks *c)
{
	const char *vhosts = tm_gw_vhosts(rd->ctx, tm_map_get(vh, "domains"));
	bool vh_off = exempt(vh, c->authn_filter);
	const tm_value *routes = tm_map_get(vh, "routes");
	for (size_t i = 0; i < tm_value_len(routes); i++) {
		const tm_value *rv = tm_seq_at(routes, i);
		const tm_value *match = tm_map_get(rv, "match");
		route rt = {rv, NULL, TM_GW_PREFIX, vhosts, false};
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
		rt.authn_off = vh_off || exempt(rv, c->authn_filter);
		const tm_value *action = tm_map_get(rv, "route");
		const char *cl = tm_map_get_str(action, "cluster");
		if (cl)
			to_cluster(rd, &rt, c, cl);
		else
			to_weighted(rd, &rt, c, tm_map_get(action, "weighted_clusters"));
	}
}

/* An http_connection_manager: its HTTP filters over the chain's network checks, its routes. */
static void connection_manager(const reader *rd, const tm_value *hcm, const checks *chain)
{
	checks c = *chain;
	const tm_value *fs = tm_map_get(hcm, "http_filters");
	for (size_t i = 0; i < tm_value_len(fs); i++)
		note(rd, &c, tm_seq_at(fs, i));
	if (tm_map_get(hcm, "rds"))
		tm_gw_config_fact(rd->ctx, rd->g, "dynamic_routes",
				  "routes come from a control plane (rds), not from the files",
				  tm_ingest__loc(rd->f, tm_map_get(hcm, "rds")));
	const tm_value *vhs = tm_map_get(tm_map_get(hcm, "route_config"), "virtual_hosts");
	for (size_t v = 0; v < tm_value_len(vhs); v++)
		virtual_host(rd, tm_seq_at(vhs, v), &c);
}

/* A tcp_proxy forwards every connection to its cluster (or weighted clusters); a redis_proxy sends
 * commands to the clusters of its prefix routes and catch-all route (v2: its cluster). */
static void tcp(const reader *rd, const tm_value *fv, const char *sni, const checks *c)
{
	const tm_value *cfg = filter_config(fv);
	route rt = {fv, "", TM_GW_TCP, sni, false};
	const char *cl = tm_map_get_str(cfg, "cluster");
	if (kind_of(filter_type(fv)) == F_TCP) {
		if (cl)
			to_cluster(rd, &rt, c, cl);
		else
			to_weighted(rd, &rt, c, tm_map_get(cfg, "weighted_clusters"));
		return;
	}
	const tm_value *pr = tm_map_get(cfg, "prefix_routes");
	const tm_value *rs = tm_map_get(pr, "routes");
	for (size_t i = 0; i < tm_value_len(rs) + 1; i++) {
		const tm_value *one = i < tm_value_len(rs) ? tm_seq_at(rs, i) : tm_map_get(pr, "catch_all_route");
		const char *name = tm_map_get_str(one, "cluster");
		rt.at = one;
		if (name)
			to_cluster(rd, &rt, c, name);
	}
	rt.at = fv;
	if (cl && !pr)
		to_cluster(rd, &rt, c, cl);
}

static bool terminates_tls(const tm_value *ch)
{
	const tm_value *ts = tm_map_get(ch, "transport_socket");
	const char *name = tm_map_get_str(ts, "name");
	return contains(name, "tls") || contains(name, "quic") ||
	       contains(tm_map_get_str(tm_map_get(ts, "typed_config"), "@type"), "DownstreamTlsContext") ||
	       tm_map_get(ch, "tls_context");
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
	rd->plaintext = NULL;
	if (rd->some_tls && !terminates_tls(ch)) {
		rd->plaintext = sni ? tm_arena_printf(rd->ctx->scratch, "%s (%s)", listener, sni) : listener;
		tm_gw_config_fact(rd->ctx, rd->g, "plaintext_listeners", rd->plaintext, tm_ingest__loc(rd->f, ch));
	}
	const tm_value *fs = tm_map_get(ch, "filters");
	checks net = {TM_GW_CHECKS_NONE, NULL};
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
