/*
 * k8s_contour.c - Contour's HTTPProxy (projectcontour.io/v1) as an edge route, read as an Ingress is.
 *
 * A root HTTPProxy (one with spec.virtualhost.fqdn) is a virtual host of Contour's Envoy: a gateway
 * node (gateway_type contour-httpproxy) reached from the internet, serving that fqdn. Its routes, and
 * those of the HTTPProxies it includes (spec.includes, transitively, in any namespace), are routes of
 * that gateway: the internet reaches the root's host, whoever wrote the route. A route's path is the
 * include prefixes and its own path condition joined as Contour joins them (concatenated, "//"
 * folded to "/"); its Services are looked up in the namespace of the proxy that names them. A
 * non-root HTTPProxy that no root reaches is what Contour calls orphaned: served by nothing, a note.
 *
 * Checks, as Contour applies them to a route: the virtual host's external authorization (an
 * ExtensionService decides: an unknown kind, enforced at the gateway), unless authPolicy.disabled
 * (the route's setting, else the virtual host's); JWT verification (the route's
 * jwtVerificationPolicy.require, else the provider marked default, unless the route disables it);
 * a required client certificate (virtualhost.tls.clientValidation); ipAllowPolicy and ipDenyPolicy
 * (a route's filters replace the virtual host's); rate limits (a route's replace the virtual
 * host's). Authorization and JWT need a virtual host that terminates TLS: Contour refuses one that
 * asks for them without, and the routes are then read without the check.
 *
 * Invariants: HTTPProxies are indexed by "<ns>/<name>" once (the scan keeps one definition of a
 * name; should two reach here, the first is read). One root's walk enters a proxy at most once (a
 * cycle, or a proxy included twice, stops there with a diagnostic) and at most MAX_DEPTH includes
 * deep, so the work is the roots times the proxies each one reaches. What is wrong with a proxy's
 * own fields is said once, by the first walk through it.
 */
#include "k8s.h"
#include "model/policy.h"

#define MAX_DEPTH 32

struct hp { /* one HTTPProxy */
	const struct tm_k8s_obj *o;
	const tm_value *spec;
	uint32_t root;      /* the last root whose walk entered it (1-based); 0: no root reaches it */
	bool active;        /* on the include chain being walked */
	bool told;          /* walked once: what is wrong with its own fields was said then */
	bool again;         /* a name indexed before: not read */
	const char *prefix; /* the prefix that root's walk entered it under */
};

struct walk { /* one root: its virtual host applies to every route of its tree */
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	tm_hmap *index; /* "<ns>/<name>" -> struct hp* */
	const struct hp *root;
	uint32_t id;
	tm_node *gw;
	const char *host;
	const tm_value *vh; /* spec.virtualhost */
	bool tls;           /* served over TLS: Envoy terminates it (secretName) or passes it through */
	bool terminates;
	const char *plaintext_path; /* the first route that takes plaintext beside TLS (permitInsecure) */
	tm_loc plaintext_at;
};

/* "what (field) at path:line": how a check is named, where it is written. */
static const char *where(struct walk *w, const struct hp *p, const char *what, const char *field, const tm_value *at)
{
	const char *text = what ? tm_arena_printf(w->ctx->scratch, "%s (%s)", what, field) : NULL;
	return text ? tm_gw_where(w->ctx, text, tm_ingest__loc(p->o->f, at)) : NULL;
}

/* v as a list: NULL when absent or null; a warning, and NULL, when it is written as something else. */
static const tm_value *list(struct walk *w, const struct hp *p, const tm_value *v, const char *field)
{
	if (!v || tm_value_kind_of(v) == TM_VALUE_SEQ)
		return v;
	if (tm_value_kind_of(v) == TM_VALUE_SCALAR && tm_scalar_type_of(v) == TM_SCALAR_NULL)
		return NULL;
	if (!p->told)
		tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(p->o->f, v),
			    "HTTPProxy '%s': %s is not a list; not read", p->o->name, field);
	return NULL;
}

static bool flag(const tm_value *map, const char *key)
{
	bool on = false;
	return !tm_scalar_bool(tm_map_get(map, key), &on) && on;
}

/* Contour's join of path conditions down an include chain: concatenated, every run of slashes one
 * slash, "/" when nothing is left. */
static const char *join(tm_arena *a, const char *prefix, const char *own)
{
	char *s = tm_arena_printf(a, "%s%s", prefix ? prefix : "", own ? own : "");
	if (!s)
		return NULL;
	char *out = s;
	for (const char *in = s; *in; in++)
		if (*in != '/' || out == s || out[-1] != '/')
			*out++ = *in;
	*out = '\0';
	return *s ? s : "/";
}

/* The route's own path condition: a prefix, an exact path (a prefix claims no less), or of a regular
 * expression its literal start (every path it matches begins so). NULL: none, every path. */
static const char *own_path(struct walk *w, const tm_value *conds)
{
	const char *own = NULL;
	for (size_t i = 0; i < tm_value_len(conds); i++) {
		const tm_value *c = tm_seq_at(conds, i);
		const char *s;
		if ((s = tm_map_get_str(c, "prefix")) != NULL || (s = tm_map_get_str(c, "exact")) != NULL)
			own = s;
		else if ((s = tm_map_get_str(c, "regex")) != NULL)
			own = tm_arena_strndup(w->ctx->scratch, s, strcspn(s, ".^$*+?()[]{}|\\"));
	}
	return own;
}

/* An ipAllowPolicy (allow) or ipDenyPolicy: [{cidr, source: Peer|Remote}]. An allow-list of private
 * ranges only lets no internet client through (tm_policy__private_ranges). */
static void ip_filter(struct walk *w, const struct hp *p, const tm_value *v, const char *field, bool allow,
		      tm_gw_checks *c)
{
	v = list(w, p, v, field);
	tm_strbuf cidrs = TM_STRBUF_INIT;
	bool peer = false, remote = false;
	for (size_t i = 0; i < tm_value_len(v); i++) {
		const tm_value *rule = tm_seq_at(v, i);
		const char *cidr = tm_map_get_str(rule, "cidr");
		if (!cidr || !*cidr) {
			if (!p->told)
				tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(p->o->f, rule),
					    "HTTPProxy '%s': a rule of %s without cidr; not read", p->o->name, field);
			continue;
		}
		const char *src = tm_map_get_str(rule, "source");
		if (src && tm_strcaseeq(src, "Remote"))
			remote = true;
		else
			peer = true;
		tm_strbuf_printf(&cidrs, "%s%s", cidrs.len ? " " : "", cidr);
	}
	if (cidrs.len && !cidrs.oom) {
		/* Peer: the connection's address; Remote: the client's, as Envoy infers it from
		 * X-Forwarded-For or the PROXY protocol */
		const char *what = tm_arena_printf(w->ctx->scratch, "source ranges %s", cidrs.data);
		const char *whose = peer && remote ? "sources Peer and Remote" : remote ? "source Remote" : "source Peer";
		const char *at = tm_arena_printf(w->ctx->scratch, "%s, %s", field, whose);
		if (allow) {
			c->restrict_how = at ? where(w, p, what, at, v) : NULL;
			c->private_only = tm_policy__private_ranges(cidrs.data);
		} else {
			c->deny_how = at ? where(w, p, what, at, v) : NULL;
		}
	}
	tm_strbuf_dispose(&cidrs);
}

static void rate_limit(struct walk *w, const struct hp *p, const tm_value *rlp, const char *field, tm_gw_checks *c)
{
	const tm_value *local = tm_map_get(rlp, "local");
	const char *requests = tm_map_get_str(local, "requests"), *unit = tm_map_get_str(local, "unit");
	const char *what = NULL;
	if (requests)
		what = tm_arena_printf(w->ctx->scratch, "rate limit %s per %s", requests, unit ? unit : "?");
	else if (tm_map_get(rlp, "global"))
		what = "global rate limit (a rate limit service decides)";
	if (what)
		c->rate_how = where(w, p, what, field, requests ? local : tm_map_get(rlp, "global"));
}

/* Who the route asks to prove who they are: the virtual host's external authorization unless
 * switched off, a required client certificate, a JWT provider; the last known one named. */
static void authn(struct walk *w, const struct hp *p, const tm_value *route, tm_gw_checks *c)
{
	const struct hp *root = w->root;
	if (!w->terminates) /* refused without TLS: root() said so */
		return;
	const tm_value *az = tm_map_get(w->vh, "authorization");
	if (az) {
		const tm_value *pol = tm_map_get(route, "authPolicy"); /* the route's wins, disabled or not */
		if (!flag(pol ? pol : tm_map_get(az, "authPolicy"), "disabled")) {
			const tm_value *ref = tm_map_get(az, "extensionRef");
			const char *name = tm_map_get_str(ref, "name"), *ns = tm_map_get_str(ref, "namespace");
			const char *what = tm_arena_printf(w->ctx->scratch, "external authorization by ExtensionService %s/%s%s",
							   ns && *ns ? ns : root->o->ns, name ? name : "?",
							   flag(az, "failOpen") ? ", failing open" : "");
			c->authn = TM_AUTHN_UNKNOWN; /* it delegates the decision: what it checks is not known */
			c->authn_how = where(w, root, what, "spec.virtualhost.authorization", ref ? ref : az);
		}
	}
	const tm_value *cv = tm_map_get(tm_map_get(w->vh, "tls"), "clientValidation");
	/* skipped validation leaves it to the authorization service; an optional one is no check of every caller */
	if (cv && tm_map_get_str(cv, "caSecret") && !flag(cv, "skipClientCertValidation") &&
	    !flag(cv, "optionalClientCertificate")) {
		c->authn = TM_AUTHN_MTLS;
		c->authn_how = where(w, root, "client certificate", "spec.virtualhost.tls.clientValidation", cv);
	}
	const tm_value *jp = tm_map_get(route, "jwtVerificationPolicy");
	if (flag(jp, "disabled"))
		return;
	const tm_value *req = tm_map_get(jp, "require");
	const char *want = tm_scalar_str(req, NULL);
	const tm_value *providers = tm_map_get(w->vh, "jwtProviders");
	for (size_t i = 0; i < tm_value_len(providers); i++) {
		const tm_value *pv = tm_seq_at(providers, i);
		const char *name = tm_map_get_str(pv, "name");
		if (!name || (want && *want ? strcmp(name, want) != 0 : !flag(pv, "default")))
			continue;
		c->authn = TM_AUTHN_JWT;
		const char *what = tm_arena_printf(w->ctx->scratch, "JWT verification, provider %s", name);
		c->authn_how = want && *want ? where(w, p, what, "jwtVerificationPolicy.require", req)
					     : where(w, root, what, "spec.virtualhost.jwtProviders default", pv);
		return;
	}
	if (want && *want)
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(p->o->f, req),
			    "HTTPProxy '%s' requires JWT provider '%s', which root HTTPProxy '%s' does not define: Contour "
			    "refuses the virtual host; not counted as authentication", p->o->name, want, root->o->name);
}

static void route_checks(struct walk *w, const struct hp *p, const tm_value *route, tm_gw_checks *c)
{
	*c = (tm_gw_checks)TM_GW_CHECKS_NONE;
	authn(w, p, route, c);
	const tm_value *allow = tm_map_get(route, "ipAllowPolicy"), *deny = tm_map_get(route, "ipDenyPolicy");
	if (tm_value_len(allow) || tm_value_len(deny)) { /* a route's filters replace the virtual host's */
		ip_filter(w, p, allow, "routes[].ipAllowPolicy", true, c);
		ip_filter(w, p, deny, "routes[].ipDenyPolicy", false, c);
	} else {
		ip_filter(w, w->root, tm_map_get(w->vh, "ipAllowPolicy"), "spec.virtualhost.ipAllowPolicy", true, c);
		ip_filter(w, w->root, tm_map_get(w->vh, "ipDenyPolicy"), "spec.virtualhost.ipDenyPolicy", false, c);
	}
	const tm_value *rlp = tm_map_get(route, "rateLimitPolicy");
	if (rlp)
		rate_limit(w, p, rlp, "routes[].rateLimitPolicy", c);
	else
		rate_limit(w, w->root, tm_map_get(w->vh, "rateLimitPolicy"), "spec.virtualhost.rateLimitPolicy", c);
}

/* Each Service of a route's (or a tcpproxy's) services, in p's namespace (p names them). */
static void services(struct walk *w, const struct hp *p, const tm_value *svcs, const char *field, const char *path,
		     const tm_gw_checks *c)
{
	for (size_t i = 0; i < tm_value_len(svcs); i++) {
		const tm_value *s = tm_seq_at(svcs, i);
		const tm_value *name = tm_map_get(s, "name");
		const char *n = tm_scalar_str(name, NULL);
		if (!n || !*n) {
			if (!p->told)
				tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(p->o->f, s),
					    "HTTPProxy '%s': a service of %s without name; not read", p->o->name, field);
			continue;
		}
		tm_k8s__route_backend(w->ctx, w->k, p->o, w->gw, p->o->ns, name, w->host, path, c);
	}
}

static void routes(struct walk *w, const struct hp *p, const char *prefix)
{
	const tm_value *rs = list(w, p, tm_map_get(p->spec, "routes"), "spec.routes");
	for (size_t i = 0; i < tm_value_len(rs); i++) {
		const tm_value *r = tm_seq_at(rs, i);
		const tm_value *conds = list(w, p, tm_map_get(r, "conditions"), "routes[].conditions");
		const char *path = join(w->ctx->scratch, prefix, own_path(w, conds));
		if (w->tls && !w->plaintext_path && flag(r, "permitInsecure")) {
			w->plaintext_path = path;
			w->plaintext_at = tm_ingest__loc(p->o->f, tm_map_get(r, "permitInsecure"));
		}
		const tm_value *svcs = list(w, p, tm_map_get(r, "services"), "routes[].services");
		if (!tm_value_len(svcs)) {
			if (!p->told && !tm_map_get(r, "requestRedirectPolicy") && !tm_map_get(r, "directResponsePolicy"))
				tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(p->o->f, r),
					    "HTTPProxy '%s' has a route without services: it forwards nothing", p->o->name);
			continue;
		}
		tm_gw_checks c;
		route_checks(w, p, r, &c);
		services(w, p, svcs, "routes[].services", path, &c);
	}
}

static struct hp *lookup(struct walk *w, const char *ns, const char *name)
{
	char *key = tm_arena_printf(w->k->arena, "%s/%s", ns, name);
	return key ? tm_hmap_get(w->index, key, strlen(key)) : NULL;
}

/* The proxy an include (of spec.includes, with its conditions, or tcpproxy.include) names, if the
 * walk may enter it; why not is a diagnostic at the include. */
static struct hp *included(struct walk *w, const struct hp *p, const tm_value *inc, const tm_value *conds, int depth)
{
	tm_loc loc = tm_ingest__loc(p->o->f, inc);
	const char *name = tm_map_get_str(inc, "name"), *ns = tm_map_get_str(inc, "namespace");
	if (!ns || !*ns)
		ns = p->o->ns;
	struct hp *q = name && *name ? lookup(w, ns, name) : NULL;
	bool path_match = false; /* an include may narrow the path by a prefix only */
	for (size_t i = 0; i < tm_value_len(conds); i++)
		path_match = path_match || tm_map_get(tm_seq_at(conds, i), "exact") ||
			     tm_map_get(tm_seq_at(conds, i), "regex");
	if (!name || !*name) {
		if (!p->told)
			tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, loc,
				    "HTTPProxy '%s' has an include without name; not read", p->o->name);
	} else if (path_match)
		tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, loc,
			    "HTTPProxy '%s' includes '%s/%s' under an exact or regex condition, which Contour refuses: "
			    "not followed", p->o->name, ns, name);
	else if (!q)
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "HTTPProxy '%s' includes HTTPProxy '%s/%s', which is not in the scanned files: the routes it "
			    "adds to %s are not known", p->o->name, ns, name, w->host);
	else if (tm_map_get(q->spec, "virtualhost"))
		tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, loc,
			    "HTTPProxy '%s' includes '%s/%s', a root HTTPProxy (it has a virtualhost), which Contour "
			    "refuses: not followed", p->o->name, ns, name);
	else if (q->active)
		tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, loc,
			    "HTTPProxy '%s' includes '%s/%s', which includes it back: Contour does not follow an include "
			    "cycle, and neither does the model", p->o->name, ns, name);
	else if (q->root == w->id)
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "HTTPProxy '%s/%s' is included again under %s: its routes are read once, under %s", ns, name,
			    w->host, q->prefix);
	else if (depth >= MAX_DEPTH)
		tm_diag_add(w->ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, loc,
			    "HTTPProxy includes deeper than %d under %s: '%s/%s' is not followed", MAX_DEPTH, w->host, ns,
			    name);
	else
		return q;
	return NULL;
}

static void enter(struct walk *w, struct hp *p, const char *prefix, int depth)
{
	p->root = w->id;
	p->active = true;
	p->prefix = prefix;
	const tm_value *incs = list(w, p, tm_map_get(p->spec, "includes"), "spec.includes");
	for (size_t i = 0; i < tm_value_len(incs); i++) {
		const tm_value *inc = tm_seq_at(incs, i);
		const tm_value *conds = list(w, p, tm_map_get(inc, "conditions"), "includes[].conditions");
		struct hp *q = included(w, p, inc, conds, depth + 1);
		if (q)
			enter(w, q, join(w->ctx->scratch, prefix, own_path(w, conds)), depth + 1);
	}
	routes(w, p, prefix);
	p->active = false;
	if (p != w->root) /* the root's tcpproxy is read after: root() marks it */
		p->told = true;
}

/* spec.tcpproxy: every connection to the host forwarded to its services, or to those of the
 * HTTPProxy its include names (the older field is "includes", one object too). No HTTP check
 * applies to it. */
static void tcp_proxy(struct walk *w, struct hp *p, const tm_value *tp, int depth)
{
	const tm_value *svcs = list(w, p, tm_map_get(tp, "services"), "spec.tcpproxy.services");
	if (tm_value_len(svcs)) {
		const char *fact = tm_arena_printf(w->ctx->scratch, "connections to %s forwarded as TCP (HTTPProxy %s/%s)",
						   w->host, p->o->ns, p->o->name);
		if (fact)
			tm_mb_node_fact(w->ctx->mb, w->gw, "tcp_proxy", fact, tm_ingest__loc(p->o->f, tp));
		services(w, p, svcs, "spec.tcpproxy.services", "/", NULL);
		return;
	}
	const tm_value *inc = tm_map_get(tp, "include");
	if (!inc)
		inc = tm_map_get(tp, "includes");
	struct hp *q = inc ? included(w, p, inc, NULL, depth + 1) : NULL;
	if (!q)
		return;
	q->root = w->id;
	q->prefix = "/";
	p->active = true;
	tcp_proxy(w, q, tm_map_get(q->spec, "tcpproxy"), depth + 1);
	p->active = false;
	q->told = true;
}

/* What the gateway node says of TLS once every route is read: true when Envoy serves the host over
 * TLS and no route takes plaintext beside it. */
static void tls_facts(struct walk *w)
{
	const tm_value *tls = tm_map_get(w->vh, "tls");
	tm_mb_node_bool(w->ctx->mb, w->gw, "tls", w->tls && !w->plaintext_path);
	if (!w->tls)
		return;
	const char *how = w->terminates ? "edge (Envoy terminates it)" : "passthrough";
	const char *both = w->plaintext_path ? tm_arena_printf(w->ctx->scratch, "%s, and plaintext on %s (permitInsecure)",
							       how, w->plaintext_path)
					     : NULL;
	if (both)
		tm_mb_node_fact(w->ctx->mb, w->gw, "tls_termination", both, w->plaintext_at);
	else
		tm_mb_node_fact(w->ctx->mb, w->gw, "tls_termination", how, tm_ingest__loc(w->root->o->f, tls));
}

static void root(struct walk *w, struct hp *p)
{
	const struct tm_k8s_obj *o = p->o;
	w->root = p;
	w->vh = tm_map_get(p->spec, "virtualhost");
	w->host = tm_map_get_str(w->vh, "fqdn");
	w->gw = tm_k8s__object_gateway(w->ctx, w->k, o, "contour-httpproxy");
	/* reached where Contour's Envoy is: its pods in the scan, or the internet */
	const char *internal = NULL;
	tm_node *in = w->gw ? tm_k8s__ingress_controllers(w->ctx, w->k, o, w->gw, NULL, TM_K8S_CONTOUR_ENVOY, &internal)
			    : NULL;
	if (!in)
		in = tm_ingest__internet(w->ctx);
	if (!w->gw || !in)
		return;
	tm_mb_node_list_add(w->ctx->mb, w->gw, "hosts", w->host);
	const char *cls = tm_map_get_str(p->spec, "ingressClassName");
	const tm_value *ann = tm_map_get(tm_map_get(o->v, "metadata"), "annotations");
	if (!cls)
		cls = tm_map_get_str(ann, "projectcontour.io/ingress.class");
	if (!cls)
		cls = tm_map_get_str(ann, "kubernetes.io/ingress.class");
	if (cls)
		tm_mb_node_str(w->ctx->mb, w->gw, "ingress_class", cls);
	const tm_value *tls = tm_map_get(w->vh, "tls");
	const char *secret = tm_map_get_str(tls, "secretName");
	w->terminates = secret && *secret;
	w->tls = w->terminates || flag(tls, "passthrough");
	tm_edge *e = tm_mb_edge(w->ctx->mb, in, w->gw, TM_EDGE_ROUTES, tm_ingest__loc(o->f, o->v));
	if (e)
		tm_mb_edge_str(w->ctx->mb, e, "via", "Contour HTTPProxy");
	if (e && internal)
		tm_mb_edge_str(w->ctx->mb, e, "internal", internal);
	static const char *const need_tls[] = {"authorization", "jwtProviders"};
	for (size_t i = 0; i < TM_ARRAY_LEN(need_tls) && !w->terminates; i++)
		if (tm_value_len(tm_map_get(w->vh, need_tls[i])))
			tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING,
				    tm_ingest__loc(o->f, tm_map_get(w->vh, need_tls[i])),
				    "HTTPProxy '%s' sets virtualhost.%s on a host where Envoy does not terminate TLS, which "
				    "Contour refuses: its routes are read without that check", o->name, need_tls[i]);
	enter(w, p, "", 0);
	const tm_value *tp = tm_map_get(p->spec, "tcpproxy");
	if (tp) {
		if (!w->tls)
			tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, tp),
				    "HTTPProxy '%s' has a tcpproxy without virtualhost.tls, which Contour refuses: read as "
				    "written", o->name);
		p->active = true;
		tcp_proxy(w, p, tp, 0);
		p->active = false;
	}
	tls_facts(w);
	p->told = true;
}

/* Index every HTTPProxy by "<ns>/<name>" (the first of a name) and note a host two roots claim:
 * Contour serves neither. */
static struct hp *index_proxies(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_hmap *index, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < k->n; i++)
		*n += tm_k8s__is(&k->objs[i], "HTTPProxy");
	struct hp *hps = *n ? tm_arena_alloc(k->arena, *n * sizeof(*hps)) : NULL;
	if (!hps) {
		*n = 0;
		return NULL;
	}
	tm_hmap hosts = TM_HMAP_INIT;
	size_t j = 0;
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		if (!tm_k8s__is(o, "HTTPProxy"))
			continue;
		struct hp *p = &hps[j++];
		p->o = o;
		p->spec = tm_map_get(o->v, "spec");
		char *key = tm_arena_printf(k->arena, "%s/%s", o->ns, o->name);
		p->again = key && tm_hmap_get(index, key, strlen(key));
		if (p->again)
			continue;
		if (!key || tm_hmap_put(index, key, strlen(key), p))
			tm_arena_set_failed(k->arena);
		const tm_value *fqdn = tm_map_get(tm_map_get(p->spec, "virtualhost"), "fqdn");
		const char *host = tm_scalar_str(fqdn, NULL);
		if (!host || !*host)
			continue;
		const struct hp *twin = tm_hmap_get(&hosts, host, strlen(host));
		if (twin)
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, fqdn),
				    "HTTPProxy '%s' serves %s, as HTTPProxy '%s/%s' does: Contour serves neither (a host "
				    "has one root); both are read as written", o->name, host, twin->o->ns, twin->o->name);
		else if (tm_hmap_put(&hosts, host, strlen(host), p))
			tm_arena_set_failed(k->arena);
	}
	tm_hmap_dispose(&hosts);
	return hps;
}

void tm_k8s__contour(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	tm_hmap index = TM_HMAP_INIT;
	size_t n;
	struct hp *hps = index_proxies(ctx, k, &index, &n);
	struct walk w = {ctx, k, &index, NULL, 0, NULL, NULL, NULL, false, false, NULL, {NULL, 0, 0, NULL}};
	for (size_t i = 0; i < n; i++) {
		const tm_value *vh = tm_map_get(hps[i].spec, "virtualhost");
		if (!vh || hps[i].again)
			continue;
		const char *fqdn = tm_map_get_str(vh, "fqdn");
		if (!fqdn || !*fqdn) {
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(hps[i].o->f, vh),
				    "HTTPProxy '%s' has a virtualhost without fqdn, which Contour refuses: not modelled",
				    hps[i].o->name);
			continue;
		}
		w.id++;
		w.plaintext_path = NULL;
		root(&w, &hps[i]);
	}
	for (size_t i = 0; i < n; i++)
		if (!hps[i].root && !hps[i].again && !tm_map_get(hps[i].spec, "virtualhost"))
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(hps[i].o->f, hps[i].o->v),
				    "HTTPProxy '%s' has no virtualhost and no root HTTPProxy in the scanned files includes "
				    "it: Contour serves none of its routes (it is orphaned)", hps[i].o->name);
	tm_hmap_dispose(&index);
}
