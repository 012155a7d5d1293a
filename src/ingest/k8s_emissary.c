/*
 * k8s_emissary.c - Emissary-ingress (formerly Ambassador; getambassador.io, x.getambassador.io)
 * Mappings as routes from the edge, read as an Ingress is: one gateway node per Mapping
 * (gateway:mapping:<ns>/<name>, gateway_type emissary-mapping), reached from where Emissary's
 * listener is, routing at spec.hostname (v3alpha1) or spec.host (v2) and spec.prefix to what
 * spec.service names.
 *
 * Where the listener is reached from: Emissary's own Service is normally a LoadBalancer, so the
 * internet, unless the scan holds Emissary's pods (an emissary, ambassador or aes image) and the only
 * Services exposing them are internal load balancers (the private network, as an Istio ingress
 * gateway's pods are read). When no Service in the scan exposes those pods, the internet is an
 * assumption the gateway states ("assumed").
 *
 * spec.service is a string, "[scheme://]name[.namespace][.svc[.cluster.local]][:port]": a Service of
 * the Mapping's namespace, or of the one named; a public host name that no scanned Service or
 * namespace answers to (httpbin.org) is a third party (external:<host>, as a gateway file's upstream
 * is); an address is a note.
 *
 * Checks: an AuthService applies to every Mapping (Emissary has one external authentication; several
 * objects are load-balanced as one, the first is named) unless the Mapping sets bypass_auth: true,
 * which the gateway records as a fact. No AuthService: no authentication. A Mapping's labels with a
 * RateLimitService in the scan are a rate limit. tls is read from the Host whose hostname is the
 * Mapping's (exact, else a wildcard Host): its tlsSecret, unless requestPolicy.insecure.action is
 * Route (plaintext served beside it); a Mapping of any host, or of a host no Host names, has none.
 *
 * Everything the Mappings share is read once, in one pass over the objects (struct emissary).
 */
#include <ctype.h>
#include <strings.h>

#include "k8s.h"

struct host_ref {
	const struct tm_k8s_obj *o;
	const char *hostname;
	struct host_ref *next;
};

struct emissary {
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	tm_node *in;                 /* where the listener is reached from */
	const char *internal;        /* why that is the private network (an internal load balancer) */
	const char *assumed;         /* why the internet is assumed; NULL: a Service in the scan says so */
	const struct tm_k8s_obj *auth, *rate;
	const char *auth_how;        /* "external authentication (AuthService ...) at f:12" */
	const char *rate_what;       /* "RateLimitService ns/name (service ...)" */
	tm_hmap hosts;               /* Host objects by lowercase hostname (the first wins) */
	struct host_ref *wild;       /* Hosts of a wildcard hostname, in document order */
	tm_hmap namespaces;          /* namespaces that scanned objects live in */
	tm_node *pods[8];            /* the workloads running Emissary (the first few): they host the Mappings */
	size_t npods;
};

static const char *spec_str(const struct tm_k8s_obj *o, const char *key, const tm_value **at)
{
	const tm_value *v = tm_map_get(tm_map_get(o->v, "spec"), key);
	if (at)
		*at = v;
	const char *s = tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
	return s && *s ? s : NULL;
}

/* Emissary's own image: the repository's last component is emissary (emissaryingress/emissary),
 * ambassador (datawire/ambassador) or aes (datawire/aes, Ambassador Edge Stack). */
static bool emissary_image(const char *image)
{
	const char *slash = strrchr(image, '/');
	const char *repo = slash ? slash + 1 : image;
	size_t n = strcspn(repo, ":@");
	return (n == 8 && strncmp(repo, "emissary", n) == 0) || (n == 10 && strncmp(repo, "ambassador", n) == 0) ||
	       (n == 3 && strncmp(repo, "aes", n) == 0);
}

/* A workload running Emissary: does a Service of the scan expose it, publicly or internally? */
static void listener_pods(struct emissary *e, const struct tm_k8s_obj *o, bool *found, bool *public_lb)
{
	const tm_value *containers = tm_map_get(tm_map_get(tm_k8s__pod_template(o), "spec"), "containers");
	bool runs = false;
	for (size_t i = 0; i < tm_value_len(containers) && !runs; i++) {
		const char *image = tm_map_get_str(tm_seq_at(containers, i), "image");
		runs = image && emissary_image(image);
	}
	if (!runs)
		return;
	*found = true;
	char *id = tm_k8s__workload_id(e->k, o);
	tm_node *node = id ? tm_mb_find(e->ctx->mb, id) : NULL;
	if (node && e->npods < TM_ARRAY_LEN(e->pods))
		e->pods[e->npods++] = node;
	const char *lb = id ? tm_hmap_get(&e->ctx->balanced, id, strlen(id)) : NULL;
	if (lb == tm_ingest__public_lb)
		*public_lb = true;
	else if (lb && !e->internal)
		e->internal = lb;
}

static void index_host(struct emissary *e, const struct tm_k8s_obj *o)
{
	const char *name = spec_str(o, "hostname", NULL);
	if (!name)
		return;
	char *low = tm_arena_strdup(e->k->arena, name);
	struct host_ref *r = tm_arena_alloc(e->k->arena, sizeof(*r));
	if (!low || !r) {
		tm_arena_set_failed(e->ctx->scratch);
		return;
	}
	for (char *p = low; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	r->o = o;
	r->hostname = low;
	r->next = NULL;
	if (strchr(low, '*')) {
		struct host_ref **tail = &e->wild;
		while (*tail) /* wildcard Hosts are few: kept in document order */
			tail = &(*tail)->next;
		*tail = r;
	} else if (!tm_hmap_get(&e->hosts, low, strlen(low)) && tm_hmap_put(&e->hosts, low, strlen(low), r)) {
		tm_arena_set_failed(e->ctx->scratch);
	}
}

/* The AuthService, as every Mapping's check names it: "external authentication (AuthService ns/name,
 * auth_service ADDRESS[, grpc][, failure_mode_allow]) at f:line". */
static const char *auth_how(struct emissary *e, const struct tm_k8s_obj *o)
{
	const tm_value *at;
	const char *svc = spec_str(o, "auth_service", &at);
	const char *proto = spec_str(o, "proto", NULL);
	bool open = false;
	bool fail_open = !tm_scalar_bool(tm_map_get(tm_map_get(o->v, "spec"), "failure_mode_allow"), &open) && open;
	const char *what = tm_arena_printf(e->ctx->scratch,
					   "external authentication (AuthService %s/%s, auth_service %s%s%s)", o->ns,
					   o->name, svc, proto && tm_strcaseeq(proto, "grpc") ? ", grpc" : "",
					   fail_open ? ", failure_mode_allow: requests pass when it cannot be reached"
						     : "");
	return what ? tm_gw_where(e->ctx, what, tm_ingest__loc(o->f, at)) : NULL;
}

static void index_auth(struct emissary *e, const struct tm_k8s_obj *o, size_t *nauth)
{
	const tm_value *at;
	if (!spec_str(o, "auth_service", &at)) {
		tm_diag_add(e->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, at ? at : o->v),
			    "authservice '%s' names no auth_service; Emissary refuses it, so it is not read", o->name);
		return;
	}
	if (!e->auth) {
		e->auth = o;
		e->auth_how = auth_how(e, o);
	}
	(*nauth)++;
}

/* One pass over the objects: the Emissary pods and the Services exposing them, the first
 * AuthService and RateLimitService, the Hosts, the namespaces in use. */
static void index_objects(struct emissary *e)
{
	struct tm_k8s *k = e->k;
	bool found = false, public_lb = false;
	size_t nauth = 0;
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		const char *ns = tm_k8s__is(o, "Namespace") ? o->name : o->ns;
		if (*ns && !tm_hmap_get(&e->namespaces, ns, strlen(ns)) &&
		    tm_hmap_put(&e->namespaces, ns, strlen(ns), (void *)o))
			tm_arena_set_failed(e->ctx->scratch);
		if (tm_k8s__is(o, "AuthService")) {
			index_auth(e, o, &nauth);
		} else if (tm_k8s__is(o, "RateLimitService") && !e->rate && spec_str(o, "service", NULL)) {
			e->rate = o;
			e->rate_what = tm_arena_printf(e->ctx->scratch,
						       "rate limit labels (RateLimitService %s/%s, service %s)", o->ns,
						       o->name, spec_str(o, "service", NULL));
		} else if (tm_k8s__is(o, "Host")) {
			index_host(e, o);
		} else if (tm_k8s__pod_template(o)) {
			listener_pods(e, o, &found, &public_lb);
		}
	}
	if (nauth > 1)
		tm_diag_add(e->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(e->auth->f, e->auth->v),
			    "%zu AuthServices: Emissary load-balances between them as one external authentication; "
			    "routes name authservice '%s'", nauth, e->auth->name);
	if (e->internal && !public_lb) {
		e->in = tm_ingest__private_network(e->ctx);
		return;
	}
	e->internal = NULL;
	e->in = tm_ingest__internet(e->ctx);
	if (!public_lb)
		e->assumed = found ? "internet-facing: Emissary's own Service is normally a LoadBalancer; no "
				     "LoadBalancer or NodePort Service in the inputs exposes its pods"
				   : "internet-facing: Emissary's own Service is normally a LoadBalancer; Emissary's "
				     "deployment and Service are not in the inputs";
}

/* The Host serving hostname: the one that names it, else the first wildcard Host that covers it. */
static const struct tm_k8s_obj *host_for(struct emissary *e, const char *hostname)
{
	char low[256];
	size_t n = strlen(hostname);
	if (n >= sizeof(low) || strchr(hostname, '*'))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)hostname[i]);
	const struct host_ref *exact = tm_hmap_get(&e->hosts, low, n);
	if (exact)
		return exact->o;
	for (const struct host_ref *r = e->wild; r; r = r->next)
		if (tm_ingest__hosts_meet(r->hostname, low))
			return r->o;
	return NULL;
}

/* tls from the Host serving the Mapping's hostname; none known: no tls attribute. */
static void host_tls(struct emissary *e, tm_node *gw, const char *hostname)
{
	const struct tm_k8s_obj *h = hostname ? host_for(e, hostname) : NULL;
	if (!h)
		return;
	const tm_value *spec = tm_map_get(h->v, "spec");
	const tm_value *secret = tm_map_get(spec, "tlsSecret");
	const char *sname = tm_map_get_str(secret, "name");
	const tm_value *act = tm_map_get(tm_map_get(tm_map_get(spec, "requestPolicy"), "insecure"), "action");
	const char *action = tm_scalar_str(act, NULL);
	bool plaintext_too = action && tm_strcaseeq(action, "Route");
	tm_mb_node_bool(e->ctx->mb, gw, "tls", sname && !plaintext_too);
	tm_arena *a = e->k->arena;
	const char *what;
	if (!sname)
		what = tm_arena_printf(a, "Host %s: no tlsSecret, served in plaintext", h->name);
	else if (plaintext_too)
		what = tm_arena_printf(a, "Host %s: tlsSecret %s, and plaintext (requestPolicy.insecure.action: Route)",
				       h->name, sname);
	else
		what = tm_arena_printf(a, "Host %s: tlsSecret %s", h->name, sname);
	const tm_value *at = plaintext_too ? act : secret ? secret : h->v;
	if (what)
		tm_mb_node_fact(e->ctx->mb, gw, "tls_host", what, tm_ingest__loc(h->f, at));
}

/* The checks Emissary puts on a Mapping's route: the AuthService unless bypass_auth, the rate limit
 * service for its labels. */
static void mapping_checks(struct emissary *e, const struct tm_k8s_obj *o, tm_node *gw, tm_gw_checks *c)
{
	*c = (tm_gw_checks)TM_GW_CHECKS_NONE;
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *bv = tm_map_get(spec, "bypass_auth");
	bool bypass = false;
	if (!tm_scalar_bool(bv, &bypass) && bypass)
		tm_mb_node_fact(e->ctx->mb, gw, "auth_bypassed",
				e->auth ? tm_arena_printf(e->k->arena, "bypass_auth: true, AuthService %s/%s is not "
							  "asked", e->auth->ns, e->auth->name)
					: "bypass_auth: true (no AuthService in the inputs)",
				tm_ingest__loc(o->f, bv));
	else if (e->auth_how) {
		c->authn = TM_AUTHN_UNKNOWN; /* a decision Emissary delegates, as nginx's auth_request */
		c->authn_how = e->auth_how;
	}
	const tm_value *labels = tm_map_get(spec, "labels");
	if (e->rate_what && tm_value_len(labels))
		c->rate_how = tm_gw_where(e->ctx, e->rate_what, tm_ingest__loc(o->f, labels));
}

static bool is_address(const char *host)
{
	return strspn(host, "0123456789.") == strlen(host) || strchr(host, '[') || strchr(host, ']');
}

/* host less the cluster's service suffix, into buf; true when it had one. */
static bool strip_cluster_suffix(const char *host, char *buf, size_t len)
{
	static const char *const tails[] = {".svc.cluster.local.", ".svc.cluster.local", ".svc"};
	tm_formatf(buf, len, "%s", host);
	size_t n = strlen(buf);
	for (size_t i = 0; i < TM_ARRAY_LEN(tails); i++) {
		size_t tl = strlen(tails[i]);
		if (n > tl && strcasecmp(buf + n - tl, tails[i]) == 0) {
			buf[n - tl] = '\0';
			return true;
		}
	}
	return false;
}

/* The third party a Mapping forwards to: external:<host>, as a gateway file's upstream on a public host. */
static void external(struct emissary *e, tm_node *gw, const char *host, tm_loc loc, const char *vhost, const char *path,
		     bool pattern, const tm_gw_checks *c)
{
	char *id = tm_arena_printf(e->k->arena, "external:%s", host);
	tm_mb_boundary(e->ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
	tm_node *n = id ? tm_mb_find(e->ctx->mb, id) : NULL;
	if (!n && id && (n = tm_mb_node(e->ctx->mb, TM_NODE_EXTERNAL, id, host, "internet", loc)) != NULL)
		tm_mb_node_str(e->ctx->mb, n, "location", "a third party a gateway forwards to");
	if (n)
		tm_k8s__route_edge(e->ctx, gw, n, loc, NULL, vhost, path, pattern, c);
}

/* Where spec.service sends the route: a Service (of the Mapping's namespace, or the one named), a
 * third party, or a note. */
static void backend(struct emissary *e, const struct tm_k8s_obj *o, tm_node *gw, const char *service,
		    const tm_value *at, const char *vhost, const char *path, bool pattern, const tm_gw_checks *c)
{
	char host[256], bare[256];
	tm_loc loc = tm_ingest__loc(o->f, at);
	tm_ingest__url_host(service, host, sizeof(host));
	if (!host[0] || is_address(host)) {
		tm_diag_add(e->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "mapping '%s' routes to %s, an address and no Service: where it leads is not modelled",
			    o->name, service);
		return;
	}
	bool cluster = strip_cluster_suffix(host, bare, sizeof(bare));
	char *dot = strchr(bare, '.');
	const char *ns = o->ns;
	if (dot) {
		*dot = '\0';
		ns = dot + 1;
	}
	bool two = dot && strchr(ns, '.');
	char key[512];
	int kl = tm_formatf(key, sizeof(key), "%s/%s", ns, bare);
	bool known = !two && kl > 0 && (size_t)kl < sizeof(key) &&
		     (tm_hmap_get(&e->k->services, key, (size_t)kl) || tm_hmap_get(&e->namespaces, ns, strlen(ns)));
	if (!cluster && dot && !known && tm_gw__public_host(host)) {
		external(e, gw, host, loc, vhost, path, pattern, c);
		return;
	}
	if (two) {
		tm_diag_add(e->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "mapping '%s' routes to host %s, which is no Service name and no public host: where it "
			    "leads is not modelled", o->name, host);
		return;
	}
	tm_k8s__route_service(e->ctx, e->k, o, gw, ns, bare, loc, vhost, path, pattern, c);
}

/* The host the Mapping routes for (NULL: any; a host_regex pattern is a fact and any host), on the
 * gateway with the tls of its Host. */
static const char *route_host(struct emissary *e, const struct tm_k8s_obj *o, tm_node *gw)
{
	const tm_value *hv;
	const char *host = spec_str(o, "hostname", &hv);
	if (!host)
		host = spec_str(o, "host", &hv);
	bool regex = false;
	if (host && !tm_scalar_bool(tm_map_get(tm_map_get(o->v, "spec"), "host_regex"), &regex) && regex) {
		tm_mb_node_fact(e->ctx->mb, gw, "host_regex", host, tm_ingest__loc(o->f, hv));
		return NULL;
	}
	if (!host || strcmp(host, "*") == 0)
		return NULL;
	tm_mb_node_list_add(e->ctx->mb, gw, "hosts", host);
	host_tls(e, gw, host);
	return host;
}

/* The route into the gateway, from where Emissary's listener is reached. */
static void entry(struct emissary *e, const struct tm_k8s_obj *o, tm_node *gw)
{
	if (e->assumed)
		tm_mb_node_assume(e->ctx->mb, gw, e->assumed);
	/* Emissary's pods run the Mapping: their own Service is its way in, not one around it */
	for (size_t i = 0; i < e->npods; i++) {
		tm_mb_node_list_add(e->ctx->mb, gw, "hosted_by", tm_node_id(e->pods[i]));
		tm_edge *h = tm_mb_edge(e->ctx->mb, e->pods[i], gw, TM_EDGE_ROUTES, tm_ingest__loc(o->f, o->v));
		if (h)
			tm_mb_edge_str(e->ctx->mb, h, "via", "runs its controller");
	}
	if (e->npods)
		tm_mb_node_str(e->ctx->mb, gw, "hosted_how", "Emissary's pods (an emissary, ambassador or aes image)");
	tm_edge *in = tm_mb_edge(e->ctx->mb, e->in, gw, TM_EDGE_ROUTES, tm_ingest__loc(o->f, o->v));
	if (in)
		tm_mb_edge_str(e->ctx->mb, in, "via", "Emissary Mapping");
	if (in && e->internal)
		tm_mb_edge_str(e->ctx->mb, in, "internal",
			       tm_arena_printf(e->k->arena, "Emissary's pods are exposed by internal load balancers "
					       "only (%s)", e->internal));
}

static void mapping(struct emissary *e, const struct tm_k8s_obj *o)
{
	tm_ingest_ctx *ctx = e->ctx;
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *sv = tm_map_get(spec, "service");
	const char *service = tm_value_kind_of(sv) == TM_VALUE_SCALAR && tm_scalar_type_of(sv) == TM_SCALAR_STR
				      ? tm_scalar_str(sv, NULL) : NULL;
	if (!service || !*service) {
		const tm_value *at = sv ? sv : spec ? spec : o->v;
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, at),
			    sv ? "mapping '%s': service is not a string ([scheme://]name[.namespace][:port]); Emissary "
				 "refuses the mapping, so it is not modelled"
			       : "mapping '%s' has no service; Emissary refuses the mapping, so it is not modelled",
			    o->name);
		return;
	}
	tm_node *gw = tm_k8s__object_gateway(ctx, e->k, o, "emissary-mapping");
	if (!gw || !e->in)
		return;
	tm_mb_node_str(ctx->mb, gw, "upstream", service);
	const char *host = route_host(e, o, gw);
	entry(e, o, gw);
	tm_gw_checks checks;
	mapping_checks(e, o, gw, &checks);
	const tm_value *redirect = tm_map_get(spec, "host_redirect");
	bool redirects = false;
	if (!tm_scalar_bool(redirect, &redirects) && redirects) {
		const char *to = tm_arena_printf(e->k->arena, "host_redirect: true, to %s", service);
		if (to)
			tm_mb_node_fact(ctx->mb, gw, "redirect", to, tm_ingest__loc(o->f, redirect));
		return; /* Emissary answers with a redirect: nothing behind the route */
	}
	const tm_value *pv;
	const char *prefix = spec_str(o, "prefix", &pv);
	bool pattern = false;
	if (prefix && !tm_scalar_bool(tm_map_get(spec, "prefix_regex"), &pattern) && pattern)
		tm_mb_node_fact(ctx->mb, gw, "prefix_regex", prefix, tm_ingest__loc(o->f, pv));
	if (!prefix)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, spec ? spec : o->v),
			    "mapping '%s' has no prefix: read as every path (/)", o->name);
	backend(e, o, gw, service, sv, host, prefix ? prefix : "/", pattern, &checks);
}

void tm_k8s__emissary(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	bool any = false;
	for (size_t i = 0; i < k->n && !any; i++) /* most scans hold none: one look, nothing built */
		any = tm_k8s__is(&k->objs[i], "Mapping");
	if (!any)
		return;
	struct emissary e = {ctx, k, NULL, NULL, NULL, NULL, NULL, NULL, NULL, TM_HMAP_INIT, NULL, TM_HMAP_INIT, {NULL}, 0};
	index_objects(&e);
	for (size_t i = 0; i < k->n; i++)
		if (tm_k8s__is(&k->objs[i], "Mapping"))
			mapping(&e, &k->objs[i]);
	tm_hmap_dispose(&e.hosts);
	tm_hmap_dispose(&e.namespaces);
}
