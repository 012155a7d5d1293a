/*
 * gw_kong.c - declarative API gateway configurations: Kong (decK / DB-less `_format_version`
 * files) and Ocelot (`ocelot.json`).
 *
 * Kong
 *   services[] (url, or host/port/path), with nested routes[] and plugins[]; top-level routes[]
 *   and plugins[] naming their service or route (by name or id); upstreams[] whose targets stand
 *   for a service host that names them.
 *   routes[].paths (a "~" prefix is a regular expression; before _format_version 3.0, as Kong 2.x
 *   read them, so is any path with a character outside [A-Za-z0-9._~/%-]), hosts -> routes to the
 *   service's host
 *   plugins (enabled unless `enabled: false`) where Kong runs them for every caller: a plugin applies
 *   to a route only when each entity it names matches (nested under a service or route, or its
 *   `service:` / `route:` field), and one naming a consumer or consumer group (`consumer:`,
 *   `consumer_group:`) runs for those callers only, so it checks nobody else; the route's over the
 *   service's over the global ones:
 *     jwt, oauth2, key-auth(-enc), basic-auth, hmac-auth, ldap-auth(-advanced), openid-connect,
 *     session, mtls-auth                        -> what the gateway checks
 *     rate-limiting(-advanced), response-ratelimiting -> rate limit
 *     ip-restriction (allow list), acl (allow)  -> allow-list
 *     request-termination (without a trigger)   -> the route answers itself (its status_code, 503
 *                                                  unless set): no routes edge, a `terminated_routes`
 *                                                  fact on the gateway per path, which `query` weighs
 *                                                  among the routes in Kong's order, and a note (a
 *                                                  decK file's; a KongPlugin's is not read so)
 *   a service's path (its url's, or path) is where each of its routes lands on the backend: the
 *   route's upstream_path (it reaches that path and below it, not the whole backend)
 * Ocelot
 *   Routes[] (ReRoutes[] before 16.0): UpstreamPathTemplate is what clients call (a prefix up to
 *   its first {placeholder}, else exact), DownstreamHostAndPorts where it goes,
 *   AuthenticationOptions.AuthenticationProviderKey a bearer check, RateLimitOptions a limit.
 */
#include <ctype.h>
#include <stdio.h>

#include "model/policy.h"
#include "ingest.h"

typedef tm_gw_checks checks;

static bool enabled(const tm_value *plugin)
{
	bool on = true;
	const tm_value *e = tm_map_get(plugin, "enabled");
	return !e || tm_scalar_bool(e, &on) || on;
}

static const char *where(tm_ingest_ctx *ctx, const tm_file *f, const char *what, const tm_value *v)
{
	return tm_gw_where(ctx, what, tm_ingest__loc(f, v));
}

bool tm_gw__kong_plugin(const char *name, const tm_value *config, const char *how, tm_gw_checks *c)
{
	static const struct {
		const char *name;
		tm_authn authn;
	} authn[] = {{"jwt", TM_AUTHN_JWT}, {"oauth2", TM_AUTHN_OAUTH2}, {"openid-connect", TM_AUTHN_OAUTH2},
		     {"key-auth", TM_AUTHN_API_KEY}, {"key-auth-enc", TM_AUTHN_API_KEY}, {"basic-auth", TM_AUTHN_BASIC},
		     {"hmac-auth", TM_AUTHN_UNKNOWN}, {"ldap-auth", TM_AUTHN_BASIC}, {"ldap-auth-advanced", TM_AUTHN_BASIC},
		     {"session", TM_AUTHN_UNKNOWN}, {"mtls-auth", TM_AUTHN_MTLS}};
	for (size_t i = 0; i < TM_ARRAY_LEN(authn); i++)
		if (strcmp(name, authn[i].name) == 0) {
			c->authn = authn[i].authn;
			c->authn_how = how;
			return true;
		}
	if (strstr(name, "rate-limiting") || strcmp(name, "response-ratelimiting") == 0)
		c->rate_how = how;
	else if (strcmp(name, "request-termination") == 0) {
		/* with a trigger (Kong 2.6+), only requests carrying that header or query argument end */
		const tm_value *trigger = tm_map_get(config, "trigger");
		if (!trigger || (tm_value_kind_of(trigger) == TM_VALUE_SCALAR && tm_scalar_type_of(trigger) == TM_SCALAR_NULL))
			c->terminate_how = how;
	}
	else if (strcmp(name, "ip-restriction") == 0 || strcmp(name, "acl") == 0) {
		c->restrict_how = how;
		/* ip-restriction's allow (whitelist before Kong 2.1) of private ranges only, and no deny */
		const tm_value *allow = tm_map_get(config, "allow");
		if (!allow)
			allow = tm_map_get(config, "whitelist");
		bool priv = strcmp(name, "ip-restriction") == 0 && tm_value_len(allow) > 0;
		for (size_t i = 0; priv && i < tm_value_len(allow); i++) {
			const char *r = tm_scalar_str(tm_seq_at(allow, i), NULL);
			priv = r && tm_policy__private_cidr(r);
		}
		c->private_only = priv;
	} else {
		return false;
	}
	return true;
}

static void plugin(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *p, checks *c)
{
	const char *name = tm_map_get_str(p, "name");
	if (!name || !enabled(p))
		return;
	char *what = tm_arena_printf(ctx->scratch, "kong plugin %s", name);
	if (what)
		tm_gw__kong_plugin(name, tm_map_get(p, "config"), where(ctx, f, what, p), c);
}

/* A plugin's reference to an entity (key "service", "route", "consumer", "consumer_group"), NULL when
 * it has none (absent or null). */
static const tm_value *ref(const tm_value *plugin, const char *key)
{
	const tm_value *r = tm_map_get(plugin, key);
	return r && tm_value_kind_of(r) == TM_VALUE_SCALAR && tm_scalar_type_of(r) == TM_SCALAR_NULL ? NULL : r;
}

/* A reference ("name", or {name: ..} / {id: ..}) names the entity? */
static bool names(const tm_value *r, const tm_value *entity)
{
	const char *want = tm_scalar_str(r, NULL);
	const char *name = tm_map_get_str(entity, "name"), *id = tm_map_get_str(entity, "id");
	if (want)
		return (name && strcmp(want, name) == 0) || (id && strcmp(want, id) == 0);
	const char *rn = tm_map_get_str(r, "name"), *rid = tm_map_get_str(r, "id");
	return (rn && name && strcmp(rn, name) == 0) || (rid && id && strcmp(rid, id) == 0);
}

/* Does plugin p run for every request that route rt of service svc takes? Kong runs a plugin where
 * every entity it is scoped to matches: a consumer or consumer group only for those callers (a rate
 * limit for them, no authentication of the route), a service and a route only for theirs. Where it
 * is nested under (svc or rt) is already one of them. */
static bool applies(const tm_value *p, const tm_value *svc, const tm_value *rt)
{
	if (ref(p, "consumer") || ref(p, "consumer_group"))
		return false;
	const tm_value *s = ref(p, "service"), *r = ref(p, "route");
	return (!s || names(s, svc)) && (!r || names(r, rt));
}

/* How narrow a plugin's scope is: 0 global, 1 a service, 2 a route. */
static int scope(const tm_value *p, int nested)
{
	return nested == 2 || ref(p, "route") ? 2 : nested == 1 || ref(p, "service") ? 1 : 0;
}

/* What the plugins that run for route rt of service svc check: the top-level ones, svc's and rt's,
 * a narrower scope's over a wider one's (Kong runs the narrowest of a name; that one is cited).
 * *term: the request-termination plugin that answers the route, when one does. */
static checks route_checks(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, const tm_value *svc,
			   const tm_value *rt, const tm_value **term)
{
	/* by where they are written (0 top-level, 1 under svc, 2 under rt), into by scope() */
	const tm_value *lists[3] = {tm_map_get(root, "plugins"), tm_map_get(svc, "plugins"), tm_map_get(rt, "plugins")};
	checks by[3] = {TM_GW_CHECKS_NONE, TM_GW_CHECKS_NONE, TM_GW_CHECKS_NONE};
	const tm_value *ended[3] = {NULL, NULL, NULL};
	for (int nested = 0; nested < 3; nested++)
		for (size_t i = 0; i < tm_value_len(lists[nested]); i++) {
			const tm_value *p = tm_seq_at(lists[nested], i);
			if (!applies(p, svc, rt))
				continue;
			int k = scope(p, nested);
			const char *was = by[k].terminate_how;
			plugin(ctx, f, p, &by[k]);
			if (by[k].terminate_how != was)
				ended[k] = p;
		}
	checks c = by[0];
	*term = ended[0];
	for (int k = 1; k < 3; k++) {
		if (by[k].authn_how) {
			c.authn = by[k].authn;
			c.authn_how = by[k].authn_how;
		}
		if (by[k].rate_how)
			c.rate_how = by[k].rate_how;
		if (by[k].terminate_how) {
			c.terminate_how = by[k].terminate_how;
			*term = ended[k];
		}
		if (by[k].restrict_how) {
			c.restrict_how = by[k].restrict_how;
			c.private_only = by[k].private_only;
		}
	}
	return c;
}

/* The host a service forwards to: its url's, or host. */
static const char *service_host(tm_ingest_ctx *ctx, const tm_value *svc)
{
	const char *url = tm_map_get_str(svc, "url");
	char host[256] = "";
	const char *port = tm_map_get_str(svc, "port");
	if (url) {
		tm_ingest__url_host(url, host, sizeof(host));
		const char *at = host[0] ? strstr(url, host) : NULL;
		const char *colon = at ? at + strlen(host) : NULL;
		if (colon && *colon == ':' && isdigit((unsigned char)colon[1]))
			port = tm_arena_strndup(ctx->scratch, colon + 1, strspn(colon + 1, "0123456789"));
	} else if (tm_map_get_str(svc, "host")) {
		tm_formatf(host, sizeof(host), "%s", tm_map_get_str(svc, "host"));
	}
	if (!host[0])
		return NULL;
	/* the gateway's own host: its port says what listens there (Kong's Admin API on 8001) */
	bool loop = strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0;
	if (loop && port)
		return tm_arena_printf(ctx->scratch, "%s:%s", host, port);
	return tm_arena_strdup(ctx->scratch, host);
}

/* The path a service forwards to (its url's, or path), NULL for its root: every request of a route
 * to it goes to that path or below it (Kong joins the service's path and what the route leaves of
 * the request, strip_path or not). */
static const char *service_path(tm_ingest_ctx *ctx, const tm_value *svc)
{
	const char *url = tm_map_get_str(svc, "url"), *p = tm_map_get_str(svc, "path");
	const char *sep = url ? strstr(url, "://") : NULL;
	const char *up = sep ? sep + 3 + strcspn(sep + 3, "/?#") : NULL;
	if (up && *up == '/') /* the url's path, else the path field beside it */
		p = tm_arena_strndup(ctx->scratch, up, strcspn(up, "?#"));
	return p && *p == '/' && p[strspn(p, "/")] && !strchr(p, '\t') ? p : NULL;
}

/* Is route path p a regular expression? From _format_version 3.0 when it starts with "~"; before
 * (legacy), as Kong 2.x's router read it, also when it holds a character outside [A-Za-z0-9._~/%-]
 * (what decK's conversion to 3.0 and Kong's own migration prefix with "~"). */
static bool regex_path(const char *p, bool legacy)
{
	if (p[0] == '~')
		return true;
	for (; legacy && *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("._~/%-", *p)))
			return true;
	return false;
}

/* Is the file's _format_version below 3.0 ("1.1", "2.1")? */
static bool legacy_format(const tm_value *root)
{
	const char *v = tm_map_get_str(root, "_format_version");
	unsigned major = 0;
	if (!v || !isdigit((unsigned char)*v))
		return false;
	for (; isdigit((unsigned char)*v) && major < 3; v++)
		major = major * 10 + (unsigned)(*v - '0');
	return major < 3;
}

/* A route where request-termination runs for every caller: Kong answers each request it takes
 * itself (the plugin's status_code, 503 unless set) and forwards nothing to the service. One
 * `terminated_routes` fact on the gateway per path, at the path, "PATH\tSTATUS\tROUTE\tHOW\tPLUGIN_AT\tHOSTS"
 * (a regular expression "~PATTERN"), which `query` weighs among the gateway's routes as Kong orders
 * them; and a note, since no routes edge stands for it. */
static void terminated(tm_ingest_ctx *ctx, tm_gw_config *g, const tm_file *f, const tm_value *svc, const tm_value *rt,
		       const tm_value *term, const char *how, const char *vhosts, bool legacy)
{
	const char *name = tm_map_get_str(rt, "name"), *sname = tm_map_get_str(svc, "name");
	if (name && strchr(name, '\t'))
		name = NULL; /* the fact's fields are tab-separated */
	const char *status = tm_scalar_str(tm_map_get(tm_map_get(term, "config"), "status_code"), NULL);
	if (!status || !*status || strchr(status, '\t'))
		status = "503"; /* the plugin's default */
	tm_loc pl = tm_ingest__loc(f, term ? term : rt);
	const char *plugin_at = tm_arena_printf(ctx->scratch, "%s:%u:%u", pl.path ? pl.path : "", pl.line, pl.col);
	tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(f, rt),
		    "kong route %s is answered by the gateway itself (%s): nothing reaches service %s through it; "
		    "requests it takes are answered %s",
		    name ? name : "(unnamed)", how, sname ? sname : "(unnamed)", status);
	const tm_value *paths = tm_map_get(rt, "paths");
	size_t np = tm_value_len(paths) ? tm_value_len(paths) : 1;
	for (size_t i = 0; i < np; i++) {
		const char *p = tm_value_len(paths) ? tm_scalar_str(tm_seq_at(paths, i), NULL) : "/";
		if (!p || strchr(p, '\t') || !plugin_at)
			continue;
		bool regex = regex_path(p, legacy);
		tm_gw_config_fact(ctx, g, "terminated_routes",
				  tm_arena_printf(ctx->scratch, "%s%s\t%s\t%s\t%s\t%s\t%s", regex ? "~" : "", p[0] == '~' ? p + 1 : p,
						  status, name ? name : "(unnamed)", how, plugin_at, vhosts ? vhosts : ""),
				  tm_ingest__loc(f, tm_value_len(paths) ? tm_seq_at(paths, i) : rt));
	}
}

static void kong_route(tm_ingest_ctx *ctx, tm_gw_config *g, const tm_file *f, const tm_value *root,
		       const tm_value *svc, const tm_value *rt, bool legacy)
{
	const tm_value *term = NULL;
	checks c = route_checks(ctx, f, root, svc, rt, &term);
	const char *vhosts = tm_gw_vhosts(ctx, tm_map_get(rt, "hosts"));
	const tm_value *paths = tm_map_get(rt, "paths");
	if (c.terminate_how) { /* Kong answers it itself (a 403, a maintenance page): no path to the service */
		terminated(ctx, g, f, svc, rt, term, c.terminate_how, vhosts, legacy);
		return;
	}
	const char *host = service_host(ctx, svc);
	/* a host naming an upstream stands for its targets */
	const tm_value *ups = tm_map_get(root, "upstreams"), *targets = NULL;
	for (size_t i = 0; host && i < tm_value_len(ups) && !targets; i++)
		if (tm_map_get_str(tm_seq_at(ups, i), "name") && strcmp(tm_map_get_str(tm_seq_at(ups, i), "name"), host) == 0)
			targets = tm_map_get(tm_seq_at(ups, i), "targets");
	const char *upath = service_path(ctx, svc);
	size_t np = tm_value_len(paths) ? tm_value_len(paths) : 1;
	for (size_t i = 0; i < np; i++) {
		const char *p = tm_value_len(paths) ? tm_scalar_str(tm_seq_at(paths, i), NULL) : "/";
		if (!p)
			continue;
		bool regex = regex_path(p, legacy);
		size_t nt = tm_value_len(targets) ? tm_value_len(targets) : 1;
		for (size_t t = 0; t < nt; t++) {
			const char *up = tm_value_len(targets) ? tm_map_get_str(tm_seq_at(targets, t), "target") : host;
			tm_gw_route *r = tm_gw_route_new(ctx, g, p[0] == '~' ? p + 1 : p, regex ? TM_GW_REGEX : TM_GW_PREFIX, up,
							 vhosts, &c, tm_ingest__loc(f, tm_value_len(paths) ? tm_seq_at(paths, i) : rt));
			if (r)
				r->upstream_path = upath;
		}
	}
}

bool tm_ingest__kong_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, tm_node *host)
{
	tm_gw_config *g = tm_gw_config_new(ctx, "kong", tm_file_path(f), tm_ingest__loc(f, root), tm_file_digest(f));
	if (!g)
		return false;
	tm_gw_config_host(ctx, g, host);
	const tm_value *svcs = tm_map_get(root, "services"), *top = tm_map_get(root, "routes");
	bool legacy = legacy_format(root);
	for (size_t i = 0; i < tm_value_len(svcs); i++) {
		const tm_value *svc = tm_seq_at(svcs, i);
		const tm_value *rts = tm_map_get(svc, "routes");
		for (size_t k = 0; k < tm_value_len(rts); k++)
			kong_route(ctx, g, f, root, svc, tm_seq_at(rts, k), legacy);
		/* top-level routes naming this service */
		for (size_t k = 0; k < tm_value_len(top); k++) {
			const tm_value *rt = tm_seq_at(top, k);
			const tm_value *r = tm_map_get(rt, "service");
			if (r && names(r, svc))
				kong_route(ctx, g, f, root, svc, rt, legacy);
		}
	}
	return true;
}

/* ---- Ocelot ----------------------------------------------------------------------------------- */

bool tm_ingest__ocelot_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, tm_node *host)
{
	const tm_value *routes = tm_map_get(root, "Routes");
	if (!routes)
		routes = tm_map_get(root, "ReRoutes");
	tm_gw_config *g = tm_gw_config_new(ctx, "ocelot", tm_file_path(f), tm_ingest__loc(f, root), tm_file_digest(f));
	if (!g)
		return false;
	tm_gw_config_host(ctx, g, host);
	for (size_t i = 0; i < tm_value_len(routes); i++) {
		const tm_value *rt = tm_seq_at(routes, i);
		const char *up = tm_map_get_str(rt, "UpstreamPathTemplate");
		if (!up)
			continue;
		size_t fixed = strcspn(up, "{");
		const char *path = tm_arena_strndup(ctx->scratch, up, fixed);
		checks c = TM_GW_CHECKS_NONE;
		const tm_value *auth = tm_map_get(rt, "AuthenticationOptions");
		const char *key = tm_map_get_str(auth, "AuthenticationProviderKey");
		if (key && *key) {
			c.authn = TM_AUTHN_JWT;
			c.authn_how = where(ctx, f, "ocelot AuthenticationOptions", auth);
		}
		const tm_value *rl = tm_map_get(rt, "RateLimitOptions");
		bool on = false;
		if (rl && !tm_scalar_bool(tm_map_get(rl, "EnableRateLimiting"), &on) && on)
			c.rate_how = where(ctx, f, "ocelot RateLimitOptions", rl);
		const tm_value *hps = tm_map_get(rt, "DownstreamHostAndPorts");
		for (size_t k = 0; k < tm_value_len(hps); k++) {
			const char *h = tm_map_get_str(tm_seq_at(hps, k), "Host");
			if (h && path)
				tm_gw_route_new(ctx, g, *path ? path : "/", up[fixed] ? TM_GW_PREFIX : TM_GW_EXACT, h, NULL, &c,
						tm_ingest__loc(f, rt));
		}
	}
	return true;
}
