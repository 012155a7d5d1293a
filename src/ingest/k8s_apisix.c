/*
 * k8s_apisix.c - the Apache APISIX Ingress Controller's custom resources (apisix.apache.org/v2):
 * the routes an ApisixRoute publishes, as an Ingress's.
 *
 *   ApisixRoute         spec.http[] {match {hosts, paths, remoteAddrs}, backends[] {serviceName},
 *                       plugins[] {name, enable, config}, plugin_config_name (and
 *                       plugin_config_namespace), authentication {enable, type}}
 *                                             -> a gateway (gateway_type apisix-route) reached from
 *                                                the internet, a routes edge per host and path to each
 *                                                workload a backend's Service selects
 *                       spec.stream[] {protocol, match {ingressPort, host}, backend {serviceName},
 *                       plugins}              -> connection routes (path "/"), protocols tcp/udp
 *   ApisixPluginConfig  spec.plugins[]: the plugins of every rule naming it
 *   ApisixTls           spec.hosts: the hosts APISIX serves TLS for
 *
 * Plugins are merged as the controller writes them to APISIX: only those with enable: true, the
 * plugin config's first, a rule's own replacing one of the same name, then the authentication's
 * plugin (keyAuth key-auth, basicAuth basic-auth, jwtAuth jwt-auth, ldapAuth ldap-auth, hmacAuth
 * hmac-auth, wolfRBAC wolf-rbac, any other type basic-auth). A plugin whose config says
 * _meta.disable is off. Checks read: key-auth, jwt-auth, basic-auth, ldap-auth, openid-connect and
 * authz-keycloak (authentication; one with anonymous_consumer, or openid-connect with unauth_action
 * pass, lets callers without credentials through: not counted, with a note), hmac-auth, wolf-rbac
 * and forward-auth (a check of no known kind), ip-restriction (whitelist: an allow-list, private
 * ranges only keeping internet clients out; blacklist: a deny rule), match.remoteAddrs (the rule
 * matches those clients only: an allow-list too), limit-req, limit-count and limit-conn. Backends
 * are Services of the ApisixRoute's namespace (the controller takes no other). APISIX listens for
 * HTTP beside HTTPS: `tls` is true when an ApisixTls names a host of every rule and every rule
 * redirects plaintext (the redirect plugin's http_to_https). A plugin config not in the scanned
 * files makes the rule's check unknown, with a note.
 */
#include "k8s.h"
#include "model/policy.h"

/* One plugin as APISIX will run it: the last writing of its name wins. */
struct plugin {
	const char *name;
	const tm_value *config;
	const tm_file *f;
	const tm_value *at;   /* where it is written */
	const char *from;     /* "ApisixPluginConfig x", "authentication keyAuth", or NULL: the rule's */
};

struct plugins {
	struct plugin *items;
	size_t n, cap;
};

struct rt {
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	const struct tm_k8s_obj *o;  /* the ApisixRoute */
	tm_node *gw;
	const struct tm_k8s_obj **tls; /* the scanned ApisixTls objects */
	size_t ntls;
};

static void put(struct rt *w, struct plugins *ps, struct plugin p)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->items[i].name, p.name) == 0) {
			ps->items[i] = p;
			return;
		}
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 8;
		struct plugin *more = tm_arena_alloc(w->ctx->scratch, cap * sizeof(*more));
		if (!more)
			return;
		if (ps->n)
			memcpy(more, ps->items, ps->n * sizeof(*more));
		ps->items = more;
		ps->cap = cap;
	}
	ps->items[ps->n++] = p;
}

static const struct {
	const char *name;
	tm_authn authn;
} auth_plugins[] = {{"key-auth", TM_AUTHN_API_KEY},     {"jwt-auth", TM_AUTHN_JWT},
		    {"basic-auth", TM_AUTHN_BASIC},      {"ldap-auth", TM_AUTHN_BASIC},
		    {"openid-connect", TM_AUTHN_OAUTH2}, {"authz-keycloak", TM_AUTHN_OAUTH2},
		    /* checks of no kind trustmap names, or decisions delegated */
		    {"hmac-auth", TM_AUTHN_UNKNOWN},     {"wolf-rbac", TM_AUTHN_UNKNOWN},
		    {"forward-auth", TM_AUTHN_UNKNOWN}};

static bool weighed(const char *name)
{
	for (size_t i = 0; i < TM_ARRAY_LEN(auth_plugins); i++)
		if (strcmp(name, auth_plugins[i].name) == 0)
			return true;
	return strcmp(name, "ip-restriction") == 0 || strcmp(name, "limit-req") == 0 ||
	       strcmp(name, "limit-count") == 0 || strcmp(name, "limit-conn") == 0;
}

/* A plugin list {name, enable, config} written in f into ps; from: where it comes from (NULL: the
 * rule). A plugin trustmap weighs left without enable: true is a note: the controller drops it. */
static void plugin_list(struct rt *w, const tm_file *f, const tm_value *list, const char *from, struct plugins *ps)
{
	const char *in = from ? tm_arena_printf(w->ctx->scratch, " (%s)", from) : "";
	if (list && tm_value_kind_of(list) != TM_VALUE_SEQ) {
		tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, list),
			    "%s '%s': plugins%s is not a list; no plugin read", w->o->kind, w->o->name, in ? in : "");
		return;
	}
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *p = tm_seq_at(list, i);
		const char *name = tm_map_get_str(p, "name");
		bool on = false;
		if (!name)
			continue;
		if (tm_scalar_bool(tm_map_get(p, "enable"), &on) || !on) {
			if (weighed(name))
				tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(f, p),
					    "%s '%s': plugin %s%s is not enabled (enable: true), and the controller leaves it out",
					    w->o->kind, w->o->name, name, in ? in : "");
			continue;
		}
		put(w, ps, (struct plugin){name, tm_map_get(p, "config"), f, p, from});
	}
}

/* "apisix plugin key-auth (ApisixPluginConfig x) at f:12". */
static const char *how(struct rt *w, const struct plugin *p, const char *extra)
{
	const char *what = tm_arena_printf(w->ctx->scratch, "apisix plugin %s%s%s%s%s%s", p->name, extra ? " " : "",
					   extra ? extra : "", p->from ? " (" : "", p->from ? p->from : "", p->from ? ")" : "");
	return what ? tm_gw_where(w->ctx, what, tm_ingest__loc(p->f, p->at)) : NULL;
}

/* An allow-list into c; of two (remoteAddrs and ip-restriction apply both), a private-only one
 * decides. */
static void allow(tm_gw_checks *c, const char *how_text, bool priv)
{
	if (!c->restrict_how || (priv && !c->private_only)) {
		c->restrict_how = how_text;
		c->private_only = priv;
	}
}

/* One plugin's check into c. */
static void plugin_check(struct rt *w, const struct plugin *p, tm_gw_checks *c)
{
	const tm_value *meta = tm_map_get(p->config, "_meta");
	bool off = false;
	if (!tm_scalar_bool(tm_map_get(meta, "disable"), &off) && off)
		return;
	for (size_t i = 0; i < TM_ARRAY_LEN(auth_plugins); i++) {
		if (strcmp(p->name, auth_plugins[i].name) != 0)
			continue;
		const char *anon = tm_map_get_str(p->config, "anonymous_consumer");
		const char *unauth = tm_map_get_str(p->config, "unauth_action");
		const char *open = anon && *anon ? "anonymous_consumer lets callers without credentials through"
				   : unauth && tm_strcaseeq(unauth, "pass") ? "unauth_action: pass lets unauthenticated callers through"
									    : NULL;
		if (open) {
			tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(p->f, p->at),
				    "%s '%s': plugin %s not counted as authentication: %s", w->o->kind, w->o->name, p->name, open);
			return;
		}
		if (!c->authn_how) {
			c->authn = auth_plugins[i].authn;
			c->authn_how = how(w, p, NULL);
		}
		return;
	}
	bool priv;
	const char *r;
	if (strcmp(p->name, "ip-restriction") == 0) {
		if ((r = tm_gw_ranges(w->ctx->scratch, tm_map_get(p->config, "whitelist"), &priv)) != NULL)
			allow(c, how(w, p, tm_arena_printf(w->ctx->scratch, "whitelist %s", r)), priv);
		else if ((r = tm_gw_ranges(w->ctx->scratch, tm_map_get(p->config, "blacklist"), &priv)) != NULL && !c->deny_how)
			c->deny_how = how(w, p, tm_arena_printf(w->ctx->scratch, "blacklist %s", r));
	} else if (strncmp(p->name, "limit-", 6) == 0 && weighed(p->name) && !c->rate_how) {
		c->rate_how = how(w, p, NULL);
	}
}

/* The plugin an authentication {enable, type} adds, as the controller names it. */
static void authentication(struct rt *w, const tm_value *auth, struct plugins *ps)
{
	static const struct {
		const char *type, *plugin, *config;
	} types[] = {{"keyAuth", "key-auth", "keyAuth"},   {"basicAuth", "basic-auth", NULL},
		     {"jwtAuth", "jwt-auth", "jwtAuth"},   {"ldapAuth", "ldap-auth", "ldapAuth"},
		     {"hmacAuth", "hmac-auth", NULL},      {"wolfRBAC", "wolf-rbac", NULL}};
	bool on = false;
	if (!auth || tm_scalar_bool(tm_map_get(auth, "enable"), &on) || !on)
		return;
	const char *type = tm_map_get_str(auth, "type");
	size_t i = 0;
	while (i < TM_ARRAY_LEN(types) && !(type && strcmp(type, types[i].type) == 0))
		i++;
	bool known = i < TM_ARRAY_LEN(types);
	const char *from = tm_arena_printf(w->ctx->scratch, "authentication %s%s", type ? type : "without a type",
					   known ? "" : ", which the controller writes as basic-auth");
	if (!known)
		i = 1;
	put(w, ps, (struct plugin){types[i].plugin, types[i].config ? tm_map_get(auth, types[i].config) : NULL,
				   w->o->f, auth, from});
}

/* The ApisixPluginConfig a rule names, its plugins into ps; false when it is not scanned. */
static bool plugin_config(struct rt *w, const tm_value *rule, struct plugins *ps)
{
	const tm_value *namev = tm_map_get(rule, "plugin_config_name");
	const char *name = tm_scalar_str(namev, NULL);
	if (!name || !*name)
		return true;
	const char *ns = tm_map_get_str(rule, "plugin_config_namespace");
	if (!ns || !*ns)
		ns = w->o->ns;
	const struct tm_k8s_obj *pc = tm_k8s__named(w->ctx, w->k, "ApisixPluginConfig", ns, name);
	if (!pc) {
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(w->o->f, namev),
			    "%s '%s' names ApisixPluginConfig '%s/%s', which is not in the scanned files: what it checks is "
			    "not known", w->o->kind, w->o->name, ns, name);
		return false;
	}
	const char *from = tm_arena_printf(w->ctx->scratch, "ApisixPluginConfig %s", pc->name);
	plugin_list(w, pc->f, tm_map_get(tm_map_get(pc->v, "spec"), "plugins"), from, ps);
	return true;
}

/* Does an ApisixTls host (a name, or "*.example.com") cover host? */
static bool covers(const char *pattern, const char *host)
{
	if (pattern[0] == '*' && pattern[1] == '.') {
		const char *dot = strchr(host, '.');
		return dot && tm_strcaseeq(dot, pattern + 1);
	}
	return tm_strcaseeq(pattern, host);
}

static const struct tm_k8s_obj *tls_for(const struct rt *w, const char *host)
{
	for (size_t i = 0; host && i < w->ntls; i++) {
		const tm_value *hosts = tm_map_get(tm_map_get(w->tls[i]->v, "spec"), "hosts");
		for (size_t h = 0; h < tm_value_len(hosts); h++) {
			const char *p = tm_scalar_str(tm_seq_at(hosts, h), NULL);
			if (p && covers(p, host))
				return w->tls[i];
		}
	}
	return NULL;
}

/* Does the rule's redirect plugin send plaintext to HTTPS? */
static bool redirects(const struct plugins *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		bool on = false;
		if (strcmp(ps->items[i].name, "redirect") == 0 &&
		    !tm_scalar_bool(tm_map_get(ps->items[i].config, "http_to_https"), &on) && on)
			return true;
	}
	return false;
}

/* One http rule; *tls stays true while every rule is served over TLS only. */
static void http_rule(struct rt *w, const tm_value *rule, bool *tls)
{
	const char *rname = tm_map_get_str(rule, "name");
	struct plugins ps = {NULL, 0, 0};
	bool found = plugin_config(w, rule, &ps);
	plugin_list(w, w->o->f, tm_map_get(rule, "plugins"), NULL, &ps);
	authentication(w, tm_map_get(rule, "authentication"), &ps);
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	for (size_t i = 0; i < ps.n; i++)
		plugin_check(w, &ps.items[i], &c);
	if (!c.authn_how && !found) { /* unknown, unless the rule's own plugins authenticate */
		const tm_value *namev = tm_map_get(rule, "plugin_config_name");
		c.authn = TM_AUTHN_UNKNOWN;
		c.authn_how = tm_gw_where(w->ctx, tm_arena_printf(w->ctx->scratch, "apisix plugin config %s, not in the "
										     "scanned files", tm_scalar_str(namev, NULL)),
					  tm_ingest__loc(w->o->f, namev));
	}
	const tm_value *match = tm_map_get(rule, "match");
	bool priv;
	const tm_value *addrs = tm_map_get(match, "remoteAddrs");
	const char *r = tm_gw_ranges(w->ctx->scratch, addrs, &priv);
	if (r)
		allow(&c, tm_gw_where(w->ctx, tm_arena_printf(w->ctx->scratch, "apisix match.remoteAddrs %s", r),
				      tm_ingest__loc(w->o->f, addrs)),
		      priv);
	const tm_value *hosts = tm_map_get(match, "hosts");
	const tm_value *paths = tm_map_get(match, "paths");
	size_t nh = tm_value_len(hosts), np = tm_value_len(paths);
	bool rule_tls = nh > 0 && redirects(&ps);
	for (size_t h = 0; h < nh; h++) {
		const char *host = tm_scalar_str(tm_seq_at(hosts, h), NULL);
		if (!host)
			continue;
		tm_mb_node_list_add(w->ctx->mb, w->gw, "hosts", host);
		const struct tm_k8s_obj *t = tls_for(w, host);
		if (t)
			tm_mb_node_fact(w->ctx->mb, w->gw, "tls_termination",
					tm_arena_printf(w->ctx->scratch, "rule %s, %s: ApisixTls %s/%s%s", rname ? rname : "?",
							host, t->ns, t->name,
							rule_tls ? ", plaintext redirected"
								 : ", and plaintext beside it (no redirect http_to_https)"),
					tm_ingest__loc(t->f, t->v));
		rule_tls = rule_tls && t;
	}
	*tls = *tls && rule_tls;
	const tm_value *backends = tm_map_get(rule, "backends");
	const tm_value *upstreams = tm_map_get(rule, "upstreams");
	if (backends && tm_value_kind_of(backends) != TM_VALUE_SEQ) {
		tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(w->o->f, backends),
			    "%s '%s': rule '%s': backends is not a list; not routed", w->o->kind, w->o->name, rname ? rname : "");
		return;
	}
	if (!tm_value_len(backends) && !tm_value_len(upstreams))
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(w->o->f, rule),
			    "%s '%s': rule '%s' has no backend: not routed", w->o->kind, w->o->name, rname ? rname : "");
	for (size_t u = 0; u < tm_value_len(upstreams); u++) {
		const tm_value *ref = tm_seq_at(upstreams, u);
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(w->o->f, ref),
			    "%s '%s' routes to ApisixUpstream '%s', which is not read: where it sends is not known",
			    w->o->kind, w->o->name, tm_map_get_str(ref, "name") ? tm_map_get_str(ref, "name") : "");
	}
	for (size_t b = 0; b < tm_value_len(backends); b++) {
		const tm_value *svc = tm_map_get(tm_seq_at(backends, b), "serviceName");
		for (size_t h = 0; h < (nh ? nh : 1); h++) {
			const char *host = nh ? tm_scalar_str(tm_seq_at(hosts, h), NULL) : NULL;
			for (size_t p = 0; p < (np ? np : 1); p++) {
				const char *path = np ? tm_scalar_str(tm_seq_at(paths, p), NULL) : "/";
				if (path && (host || !nh))
					tm_k8s__route_backend(w->ctx, w->k, w->o, w->gw, w->o->ns, svc, host, path, &c);
			}
		}
	}
}

/* One stream rule: connections on an ingress port (for an SNI host) to its backend. */
static void stream_rule(struct rt *w, const tm_value *rule)
{
	const char *proto = tm_map_get_str(rule, "protocol");
	tm_mb_node_list_add(w->ctx->mb, w->gw, "protocols", proto && tm_strcaseeq(proto, "UDP") ? "udp" : "tcp");
	struct plugins ps = {NULL, 0, 0};
	plugin_list(w, w->o->f, tm_map_get(rule, "plugins"), NULL, &ps);
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	for (size_t i = 0; i < ps.n; i++)
		plugin_check(w, &ps.items[i], &c);
	const char *host = tm_map_get_str(tm_map_get(rule, "match"), "host");
	if (host)
		tm_mb_node_list_add(w->ctx->mb, w->gw, "hosts", host);
	const tm_value *svc = tm_map_get(tm_map_get(rule, "backend"), "serviceName");
	if (!svc)
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(w->o->f, rule),
			    "%s '%s': stream rule '%s' has no backend.serviceName: not routed", w->o->kind, w->o->name,
			    tm_map_get_str(rule, "name") ? tm_map_get_str(rule, "name") : "");
	tm_k8s__route_backend(w->ctx, w->k, w->o, w->gw, w->o->ns, svc, host, "/", &c);
}

/* A list under spec, or NULL with a warning when it is written as something else. */
static const tm_value *rules(struct rt *w, const tm_value *spec, const char *key)
{
	const tm_value *v = tm_map_get(spec, key);
	if (v && tm_value_kind_of(v) != TM_VALUE_SEQ) {
		tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(w->o->f, v),
			    "%s '%s': spec.%s is not a list; no rule read", w->o->kind, w->o->name, key);
		return NULL;
	}
	return v;
}

static void apisix_route(struct rt *w)
{
	tm_ingest_ctx *ctx = w->ctx;
	const struct tm_k8s_obj *o = w->o;
	w->gw = tm_k8s__object_gateway(ctx, w->k, o, "apisix-route");
	tm_node *in = tm_ingest__internet(ctx);
	if (!w->gw || !in)
		return;
	const tm_value *spec = tm_map_get(o->v, "spec");
	const char *cls = tm_map_get_str(spec, "ingressClassName");
	if (cls)
		tm_mb_node_str(ctx->mb, w->gw, "ingress_class", cls);
	tm_edge *e = tm_mb_edge(ctx->mb, in, w->gw, TM_EDGE_ROUTES, tm_ingest__loc(o->f, o->v));
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", o->kind);
	const tm_value *http = rules(w, spec, "http"), *stream = rules(w, spec, "stream");
	bool tls = tm_value_len(http) > 0;
	if (tls)
		tm_mb_node_list_add(ctx->mb, w->gw, "protocols", "http");
	for (size_t i = 0; i < tm_value_len(http); i++)
		http_rule(w, tm_seq_at(http, i), &tls);
	for (size_t i = 0; i < tm_value_len(stream); i++)
		stream_rule(w, tm_seq_at(stream, i));
	tm_mb_node_bool(ctx->mb, w->gw, "tls", tls);
}

void tm_k8s__apisix(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	struct rt w = {ctx, k, NULL, NULL, NULL, 0};
	size_t ntls = 0;
	for (size_t i = 0; i < k->n; i++)
		ntls += tm_k8s__is(&k->objs[i], "ApisixTls");
	if (ntls && (w.tls = tm_arena_alloc(ctx->scratch, ntls * sizeof(*w.tls))) != NULL)
		for (size_t i = 0; i < k->n; i++)
			if (tm_k8s__is(&k->objs[i], "ApisixTls"))
				w.tls[w.ntls++] = &k->objs[i];
	for (size_t i = 0; i < k->n; i++)
		if (tm_k8s__is(&k->objs[i], "ApisixRoute")) {
			w.o = &k->objs[i];
			apisix_route(&w);
		}
}
