/*
 * k8s_linkerd.c - Linkerd's proxy and its policy into the policy model, so the evaluator
 * (analyze/query.c) decides a call to a meshed pod as Linkerd's proxy does.
 *
 * What Linkerd does and how it is written here:
 * - a pod has a proxy when its template's linkerd.io/inject annotation says enabled (or ingress),
 *   or its namespace's does and the pod does not say disabled; a meshed client connects with mutual
 *   TLS and the identity of its service account (<sa>.<ns>.serviceaccount.identity.linkerd.<trust
 *   domain>); config.linkerd.io/skip-inbound-ports leaves ports around the proxy;
 * - a Server (policy.linkerd.io) selects pods of its namespace on one port; a connection to such a
 *   port is admitted only by an authorization of that Server: an AuthorizationPolicy targeting it
 *   (or its namespace, or an HTTPRoute of it), every requiredAuthenticationRef of which holds
 *   (MeshTLSAuthentication: the client's identity; NetworkAuthentication: its address; a
 *   ServiceAccount), or a ServerAuthorization naming or selecting it; what none admits meets the
 *   Server's accessPolicy (v1beta3), deny by default;
 * - a port no Server selects takes the default inbound policy: the pod's
 *   config.linkerd.io/default-inbound-policy annotation, else its namespace's, else the control
 *   plane's (proxy.defaultInboundPolicy, all-unauthenticated unless installed otherwise: assumed,
 *   and said where it decides);
 * - a route attached to a Server (a parentRef of kind Server): policy.linkerd.io's HTTPRoute, or the
 *   Gateway API's HTTPRoute and GRPCRoute, which the scan hands this reader too (scan.c); a Server
 *   with routes answers only the requests one takes, and an authorization of a route admits those
 *   requests, on its Servers.
 * Every requiredAuthenticationRef must hold (each is a set: the identities a MeshTLSAuthentication or
 * a ServiceAccount reference admits, the networks of a NetworkAuthentication), and an authentication
 * object is read once however many policies name it. An AuthorizationPolicy whose references name
 * no scanned object authorizes nothing, as Linkerd's policy controller leaves it out; one of a route
 * that attaches to no Server authorizes nothing inbound; one of a route the files do not hold is
 * read wider than Linkerd enforces it, as every Server's of its namespace (a note, and the verdict's
 * step, say so).
 */
#include <stdlib.h>

#include "k8s.h"

#define INJECT "linkerd.io/inject"
#define INBOUND_POLICY "config.linkerd.io/default-inbound-policy"
#define SKIP_INBOUND "config.linkerd.io/skip-inbound-ports"

/* An annotation's default inbound policy into *out; a value Linkerd does not know is said (the proxy
 * refuses to start with it) and left unset. */
static void inbound_policy(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *anns, int *out, tm_loc *loc)
{
	const tm_value *v = tm_map_get(anns, INBOUND_POLICY);
	const char *s = tm_scalar_str(v, NULL);
	if (!s)
		return;
	*out = tm_policy__ld_policy(s);
	*loc = tm_ingest__loc(f, v);
	if (*out == TM_LD_UNSET)
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, *loc,
			    "%s '%.80s' is no policy Linkerd knows (all-unauthenticated, all-authenticated, "
			    "cluster-unauthenticated, cluster-authenticated, audit, deny): the control plane's default "
			    "is read instead", INBOUND_POLICY, s);
}

static int inject_value(const tm_value *anns)
{
	const char *s = tm_map_get_str(anns, INJECT);
	if (!s)
		return 0;
	return strcmp(s, "enabled") == 0 || strcmp(s, "ingress") == 0 ? 1 : -1;
}

void tm_k8s__linkerd_pod(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *anns, tm_pm_workload *pw)
{
	tm_policy *pol = tm_mb_policy(ctx->mb);
	pw->ld_inject = inject_value(anns);
	inbound_policy(ctx, f, anns, &pw->ld_policy, &pw->ld_policy_loc);
	const tm_value *sv = tm_map_get(anns, SKIP_INBOUND);
	const char *skip = tm_scalar_str(sv, NULL);
	pol->linkerd |= pw->ld_inject != 0 || pw->ld_policy != TM_LD_UNSET || skip;
	if (!skip)
		return;
	/* "4190,4191" or "8000-8100", commas and spaces between */
	size_t n = 1;
	for (const char *p = skip; *p; p++)
		n += *p == ',';
	if (!(pw->ld_skip = tm_arena_alloc(pol->arena, 2 * n * sizeof(int))))
		return;
	pw->ld_skip_loc = tm_ingest__loc(f, sv);
	for (const char *p = skip; *p && pw->nld_skip < n;) {
		p += strspn(p, " ,");
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;
		if (end == p)
			break;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		if (lo >= 1 && hi >= lo && hi <= 65535) {
			pw->ld_skip[2 * pw->nld_skip] = (int)lo;
			pw->ld_skip[2 * pw->nld_skip + 1] = (int)hi;
			pw->nld_skip++;
		}
		p = end + strcspn(end, ",");
	}
}

void tm_k8s__linkerd_namespace(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *anns, tm_pm_namespace *pn)
{
	tm_policy *pol = tm_mb_policy(ctx->mb);
	pn->ld_inject = inject_value(anns);
	inbound_policy(ctx, f, anns, &pn->ld_policy, &pn->ld_policy_loc);
	pol->linkerd |= pn->ld_inject != 0 || pn->ld_policy != TM_LD_UNSET;
}

struct ld {
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	tm_policy *pol;
	tm_arena *a;
	tm_hmap sets;    /* an authentication object (its address) -> its set's number + 1 */
	tm_strbuf key;
};

static void server(struct ld *l, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *portv = tm_map_get(spec, "port");
	if (!tm_map_get(spec, "podSelector")) {
		/* an externalWorkloadSelector selects no pod; a Server without a selector is refused */
		tm_diag_add(l->ctx->diags, TM_EINVALID, TM_LEVEL_NOTE, tm_ingest__loc(o->f, o->v),
			    "Server %s/%s selects no pods (no podSelector): not modelled", o->ns, o->name);
		return;
	}
	int64_t port = 0;
	const char *pname = NULL;
	if (tm_scalar_int(portv, &port) != 0) {
		port = 0;
		pname = tm_scalar_str(portv, NULL);
	} else if (port < 1 || port > 65535) {
		port = 0;
	}
	if (!port && (!pname || !*pname)) {
		tm_diag_add(l->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, portv ? portv : o->v),
			    "Server %s/%s has no valid port (a number from 1 to 65535, or a container port's name): "
			    "Linkerd refuses it, so it is not evaluated", o->ns, o->name);
		return;
	}
	tm_ld_server *s = TM_PM_ADD(l->pol, ld_servers);
	if (!s)
		return;
	s->ns = tm_pm_strdup(l->a, o->ns);
	s->name = tm_pm_strdup(l->a, o->name);
	s->loc = tm_ingest__loc(o->f, o->v);
	s->port = (int)port;
	s->port_name = pname ? tm_pm_strdup(l->a, pname) : NULL;
	tm_ingest__selector(l->ctx, l->a, o->f, tm_map_get(spec, "podSelector"), &s->pods);
	tm_ingest__labels(l->a, tm_map_get(tm_map_get(o->v, "metadata"), "labels"), &s->labels);
	const tm_value *av = tm_map_get(spec, "accessPolicy");
	s->access = av ? tm_policy__ld_policy(tm_scalar_str(av, NULL)) : TM_LD_DENY;
	if (s->access == TM_LD_UNSET) {
		tm_diag_add(l->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, av),
			    "Server %s/%s: accessPolicy '%.80s' is no policy Linkerd knows: read as deny", o->ns, o->name,
			    tm_scalar_str(av, NULL) ? tm_scalar_str(av, NULL) : "");
		s->access = TM_LD_DENY;
	}
}

/* ---- identities and networks: each authentication object read once, its set shared ---------- */

static size_t idset_new(struct ld *l)
{
	return TM_PM_ADD(l->pol, ld_idsets) ? l->pol->nld_idsets - 1 : SIZE_MAX;
}

/* Service account sa of namespace ns ("*": every one of ns) into identity set set. */
static void id_add(struct ld *l, size_t set, const char *ns, const char *sa)
{
	if (set == SIZE_MAX || !ns || !sa || !*ns || !*sa)
		return;
	if (!tm_policy__ld_id_key(&l->key, set, ns, sa)) {
		tm_arena_set_failed(l->ctx->scratch);
		return;
	}
	if (tm_hmap_get(&l->pol->ld_ids, l->key.data, l->key.len))
		return;
	char *key = tm_arena_strndup(l->a, l->key.data, l->key.len);
	if (!key || tm_hmap_put(&l->pol->ld_ids, key, l->key.len, (void *)key)) {
		tm_arena_set_failed(l->ctx->scratch);
		return;
	}
	const char *member = strchr(key, '\x1f') + 1; /* not the set's number, which follows the scan's order */
	l->pol->ld_idsets[set].digest ^= tm_hash(member, strlen(member));
}

/* One of Linkerd's identity patterns into set: "*" (every identity); "<sa>.<ns>.serviceaccount.
 * identity.linkerd.<trust domain>" with "*" for <sa> (every one of ns), or for all that precedes
 * ".serviceaccount." (every service account); "*.<a domain suffix>" not naming service accounts
 * (every identity of the trust domain, which the files rarely give). Another identity (no service
 * account's) admits no pod. */
static void id_pattern(struct ld *l, size_t set, const char *pat)
{
	static const char mid[] = ".serviceaccount.identity.linkerd.";
	if (!pat || set == SIZE_MAX)
		return;
	const char *m = strstr(pat, mid);
	bool every = strcmp(pat, "*") == 0 || (!m && strncmp(pat, "*.", 2) == 0 && !strstr(pat, "serviceaccount")) ||
		     (m == pat + 1 && pat[0] == '*');
	if (every) {
		l->pol->ld_idsets[set].any = true;
		return;
	}
	const char *dot = m ? memchr(pat, '.', (size_t)(m - pat)) : NULL;
	if (!dot || memchr(dot + 1, '.', (size_t)(m - dot - 1)))
		return;
	char *sa = tm_arena_strndup(l->ctx->scratch, pat, (size_t)(dot - pat));
	char *ns = tm_arena_strndup(l->ctx->scratch, dot + 1, (size_t)(m - dot - 1));
	id_add(l, set, ns, sa);
}

/* An identityRefs or serviceAccounts entry ({kind, name, namespace}; a ServerAuthorization's has no
 * kind) into set: a ServiceAccount (no name: every one of its namespace), or a Namespace. */
static void id_ref(struct ld *l, size_t set, const tm_value *ref, const char *dflt_ns)
{
	const char *kind = tm_map_get_str(ref, "kind"), *name = tm_map_get_str(ref, "name");
	const char *ns = tm_map_get_str(ref, "namespace");
	if (kind && strcmp(kind, "Namespace") == 0)
		id_add(l, set, name, "*");
	else if (!kind || strcmp(kind, "ServiceAccount") == 0)
		id_add(l, set, ns ? ns : dflt_ns, name ? name : "*");
}

/* The set read from object o once (a MeshTLSAuthentication, a NetworkAuthentication), or SIZE_MAX
 * when it was not read yet. */
static size_t set_of(struct ld *l, const struct tm_k8s_obj *o)
{
	return (size_t)(uintptr_t)tm_hmap_get(&l->sets, (const char *)&o, sizeof(o)) - 1;
}

static void set_is(struct ld *l, const struct tm_k8s_obj *o, size_t set)
{
	char *key = tm_arena_alloc(l->ctx->scratch, sizeof(o));
	if (set == SIZE_MAX || !key)
		return;
	memcpy(key, &o, sizeof(o)); /* the object's address: one set per object */
	if (tm_hmap_put(&l->sets, key, sizeof(o), (void *)(uintptr_t)(set + 1)))
		tm_arena_set_failed(l->ctx->scratch);
}

static size_t mesh_tls(struct ld *l, const struct tm_k8s_obj *m)
{
	size_t set = set_of(l, m);
	if (set != SIZE_MAX)
		return set;
	set = idset_new(l);
	const tm_value *spec = tm_map_get(m->v, "spec");
	const tm_value *ids = tm_map_get(spec, "identities"), *refs = tm_map_get(spec, "identityRefs");
	for (size_t i = 0; i < tm_value_len(ids); i++)
		id_pattern(l, set, tm_scalar_str(tm_seq_at(ids, i), NULL));
	for (size_t i = 0; i < tm_value_len(refs); i++)
		id_ref(l, set, tm_seq_at(refs, i), m->ns);
	set_is(l, m, set);
	return set;
}

/* Append v to s, growing by doubling in the arena. */
static void strs_add(tm_arena *a, tm_strs *s, const char *v)
{
	s->present = true;
	if (!v)
		return;
	if (s->n >= 4 && (s->n & (s->n - 1)) == 0) {
		const char **grown = tm_arena_alloc(a, 2 * s->n * sizeof(char *));
		if (!grown)
			return;
		memcpy(grown, s->items, s->n * sizeof(char *));
		s->items = grown;
	} else if (!s->items && !(s->items = tm_arena_alloc(a, 4 * sizeof(char *)))) {
		return;
	}
	s->items[s->n++] = v;
}

/* A range a pod's address may lie in: private, not loopback or link-local. */
static bool pod_range(const char *cidr)
{
	return tm_policy__private_cidr(cidr) && strncmp(cidr, "127.", 4) != 0 && strncmp(cidr, "169.254.", 8) != 0 &&
	       strncmp(cidr, "::1", 3) != 0;
}

/* A list of networks ({cidr, except}: NetworkAuthentication's and a ServerAuthorization client's) as
 * a new network set, with what it says of a pod's address (tm_ld_netset). */
static size_t netset_new(struct ld *l, const tm_value *nets)
{
	tm_ld_netset *n = TM_PM_ADD(l->pol, ld_netsets);
	if (!n)
		return SIZE_MAX;
	n->networks.present = true; /* no network listed: no address admitted */
	for (size_t i = 0; i < tm_value_len(nets); i++) {
		const tm_value *e = tm_seq_at(nets, i), *ex = tm_map_get(e, "except");
		const char *cidr = tm_map_get_str(e, "cidr");
		int prefix = cidr ? tm_policy__cidr_prefix(cidr) : -1;
		strs_add(l->a, &n->networks, cidr ? tm_pm_strdup(l->a, cidr) : NULL);
		for (size_t j = 0; j < tm_value_len(ex); j++) {
			const char *x = tm_scalar_str(tm_seq_at(ex, j), NULL);
			if (!x) /* NetworkAuthentication writes {cidr: ...} */
				x = tm_map_get_str(tm_seq_at(ex, j), "cidr");
			strs_add(l->a, &n->except, x ? tm_pm_strdup(l->a, x) : NULL);
		}
		if (prefix == 0) {
			n->pods = 1;
			n->assumed = NULL;
		} else if (prefix > 0 && n->pods != 1 && pod_range(cidr)) {
			bool wide = prefix <= 16 && !strchr(cidr, ':');
			n->pods = wide ? 1 : -1;
			n->assumed = wide ? tm_pm_strdup(l->a, cidr) : NULL;
		}
	}
	return l->pol->nld_netsets - 1;
}

static size_t network_auth(struct ld *l, const struct tm_k8s_obj *o)
{
	size_t set = set_of(l, o);
	if (set == SIZE_MAX) {
		set = netset_new(l, tm_map_get(tm_map_get(o->v, "spec"), "networks"));
		set_is(l, o, set);
	}
	return set;
}

/* ---- routes ------------------------------------------------------------------------------- */

/* A route's headers or queryParams match list ({type, name, value}: Exact unless RegularExpression). */
static tm_ld_kv *kvs(struct ld *l, const tm_value *seq, size_t *n)
{
	*n = 0;
	size_t len = tm_value_len(seq);
	tm_ld_kv *out = len ? tm_arena_alloc(l->a, len * sizeof(*out)) : NULL;
	for (size_t i = 0; out && i < len; i++) {
		const tm_value *e = tm_seq_at(seq, i);
		const char *name = tm_map_get_str(e, "name"), *value = tm_map_get_str(e, "value");
		const char *type = tm_map_get_str(e, "type");
		if (!name || !value)
			continue;
		out[(*n)++] = (tm_ld_kv){tm_pm_strdup(l->a, name), tm_pm_strdup(l->a, value),
					 type && strcmp(type, "RegularExpression") == 0};
	}
	return out;
}

/* A GRPCRoute's method match ({type, service, method}) as the path gRPC requests carry:
 * /<service>/<method>; a service alone takes each of its methods, a method alone that method of any
 * service. */
static void grpc_method(struct ld *l, const tm_value *mv, tm_ld_match *m)
{
	const char *svc = tm_map_get_str(mv, "service"), *meth = tm_map_get_str(mv, "method");
	const char *type = tm_map_get_str(mv, "type");
	bool re = type && strcmp(type, "RegularExpression") == 0;
	m->method = "POST";
	if (!svc && !meth)
		return;
	if (re || !svc || !meth) {
		m->path_type = re || !svc ? TM_LDP_REGEX : TM_LDP_PREFIX;
		m->path = m->path_type == TM_LDP_PREFIX ? tm_arena_printf(l->a, "/%s", svc)
							: tm_arena_printf(l->a, "/%s/%s", svc ? svc : "[^/]+", meth ? meth : "[^/]+");
		return;
	}
	m->path_type = TM_LDP_EXACT;
	m->path = tm_arena_printf(l->a, "/%s/%s", svc, meth);
}

/* One match of a rule (NULL: the rule's default, every request). */
static void route_match(struct ld *l, const tm_value *mv, bool grpc, tm_ld_match *m)
{
	memset(m, 0, sizeof(*m));
	if (!mv)
		return;
	if (grpc) {
		grpc_method(l, tm_map_get(mv, "method"), m);
	} else {
		const tm_value *pv = tm_map_get(mv, "path");
		const char *type = tm_map_get_str(pv, "type"), *value = tm_map_get_str(pv, "value");
		m->path_type = !type || strcmp(type, "PathPrefix") == 0 ? TM_LDP_PREFIX
			       : strcmp(type, "Exact") == 0		 ? TM_LDP_EXACT
								 : TM_LDP_REGEX;
		m->path = pv ? tm_pm_strdup(l->a, value ? value : "/") : NULL;
		m->method = tm_pm_strdup(l->a, tm_map_get_str(mv, "method"));
		m->query = kvs(l, tm_map_get(mv, "queryParams"), &m->nquery);
	}
	m->headers = kvs(l, tm_map_get(mv, "headers"), &m->nheaders);
}

/* A route attached to Servers (policy.linkerd.io's HTTPRoute, the Gateway API's HTTPRoute or
 * GRPCRoute): one entry per Server parent, its rules' matches shared. */
static void route(struct ld *l, const struct tm_k8s_obj *o, const char *kind, bool gateway)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *rules = tm_map_get(spec, "rules"), *parents = tm_map_get(spec, "parentRefs");
	bool grpc = strcmp(kind, "GRPCRoute") == 0;
	size_t n = 0;
	for (size_t i = 0; i < tm_value_len(rules); i++) {
		size_t nm = tm_value_len(tm_map_get(tm_seq_at(rules, i), "matches"));
		n += nm ? nm : 1; /* a rule without matches takes every request */
	}
	n += !n; /* no rules: Gateway API's default, one rule taking every request */
	tm_ld_match *ms = tm_arena_alloc(l->a, n * sizeof(*ms));
	if (!ms)
		return;
	size_t k = 0;
	for (size_t i = 0; i < tm_value_len(rules); i++) {
		const tm_value *mv = tm_map_get(tm_seq_at(rules, i), "matches");
		for (size_t j = 0; j < (tm_value_len(mv) ? tm_value_len(mv) : 1); j++)
			route_match(l, tm_value_len(mv) ? tm_seq_at(mv, j) : NULL, grpc, &ms[k++]);
	}
	if (!k)
		route_match(l, NULL, grpc, &ms[k++]);
	for (size_t i = 0; i < tm_value_len(parents); i++) {
		const tm_value *p = tm_seq_at(parents, i);
		const char *pkind = tm_map_get_str(p, "kind"), *pname = tm_map_get_str(p, "name");
		const char *pns = tm_map_get_str(p, "namespace");
		if (!pkind || strcmp(pkind, "Server") != 0 || !pname || (pns && strcmp(pns, o->ns) != 0))
			continue; /* a Service parent routes outbound traffic; a Server is of the route's namespace */
		tm_ld_route *r = TM_PM_ADD(l->pol, ld_routes);
		if (!r)
			return;
		r->ns = tm_pm_strdup(l->a, o->ns);
		r->name = tm_pm_strdup(l->a, o->name);
		r->kind = grpc ? "GRPCRoute" : "HTTPRoute";
		r->gateway = gateway;
		r->server = tm_pm_strdup(l->a, pname);
		r->matches = ms, r->nmatches = k;
		r->loc = tm_ingest__loc(o->f, o->v);
	}
}

/* The route an AuthorizationPolicy's targetRef names: of the group it names (policy.linkerd.io's
 * unless it says gateway.networking.k8s.io), else of the other one; *gateway says which. */
static const struct tm_k8s_obj *target_route(struct ld *l, const struct tm_k8s_obj *o, const char *kind,
					     const char *group, const char *name, bool *gateway)
{
	bool grpc = strcmp(kind, "GRPCRoute") == 0;
	const char *ld = grpc ? NULL : "LinkerdHTTPRoute";
	const char *gw = grpc ? "LinkerdGatewayGRPCRoute" : "LinkerdGatewayHTTPRoute";
	*gateway = group && strcmp(group, "gateway.networking.k8s.io") == 0;
	for (int pass = 0; pass < 2; pass++, *gateway = !*gateway) {
		const char *as = *gateway ? gw : ld;
		const struct tm_k8s_obj *r = as ? tm_k8s__named(l->ctx, l->k, as, o->ns, name) : NULL;
		if (r)
			return r;
	}
	*gateway = group && strcmp(group, "gateway.networking.k8s.io") == 0;
	return NULL;
}

/* ---- authorizations ------------------------------------------------------------------------ */

static tm_ld_authz *authz_new(struct ld *l, const struct tm_k8s_obj *o, const char *kind)
{
	tm_ld_authz *z = TM_PM_ADD(l->pol, ld_authzs);
	if (!z)
		return NULL;
	z->ns = tm_pm_strdup(l->a, o->ns);
	z->name = tm_pm_strdup(l->a, o->name);
	z->kind = kind;
	z->loc = tm_ingest__loc(o->f, o->v);
	return z;
}

static void authorization_policy(struct ld *l, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *target = tm_map_get(spec, "targetRef");
	const char *tkind = tm_map_get_str(target, "kind"), *tname = tm_map_get_str(target, "name");
	if (!tkind || !tname) {
		tm_diag_add(l->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, target ? target : o->v),
			    "AuthorizationPolicy %s/%s has no targetRef kind and name: Linkerd refuses it, so it "
			    "authorizes nothing", o->ns, o->name);
		return;
	}
	bool route = strcmp(tkind, "HTTPRoute") == 0 || strcmp(tkind, "GRPCRoute") == 0;
	if (strcmp(tkind, "Server") != 0 && strcmp(tkind, "Namespace") != 0 && !route) {
		tm_diag_add(l->ctx->diags, TM_EINVALID, TM_LEVEL_NOTE, tm_ingest__loc(o->f, target),
			    "AuthorizationPolicy %s/%s targets a %s, which is no Server, route or Namespace: not "
			    "evaluated", o->ns, o->name, tkind);
		return;
	}
	/* every requiredAuthenticationRef must hold: each one a set of its own */
	const tm_value *refs = tm_map_get(spec, "requiredAuthenticationRefs");
	size_t nrefs = tm_value_len(refs), nids = 0, nnets = 0;
	size_t *ids = nrefs ? tm_arena_alloc(l->a, nrefs * sizeof(size_t)) : NULL;
	size_t *nets = nrefs ? tm_arena_alloc(l->a, nrefs * sizeof(size_t)) : NULL;
	if (nrefs && (!ids || !nets))
		return;
	for (size_t i = 0; i < nrefs; i++) {
		const tm_value *r = tm_seq_at(refs, i);
		const char *kind = tm_map_get_str(r, "kind"), *name = tm_map_get_str(r, "name");
		const char *ns = tm_map_get_str(r, "namespace");
		if (!kind || !name)
			continue;
		if (strcmp(kind, "ServiceAccount") == 0) {
			size_t set = idset_new(l);
			id_add(l, set, ns ? ns : o->ns, name);
			ids[nids++] = set;
			continue;
		}
		bool mtls = strcmp(kind, "MeshTLSAuthentication") == 0;
		const struct tm_k8s_obj *t = mtls || strcmp(kind, "NetworkAuthentication") == 0
						     ? tm_k8s__named(l->ctx, l->k, kind, ns ? ns : o->ns, name)
						     : NULL;
		if (!t) {
			tm_diag_add(l->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, r),
				    "AuthorizationPolicy %s/%s requires %s %s/%s, which is not in the scanned files: Linkerd "
				    "leaves such a policy out, so it authorizes nothing here", o->ns, o->name, kind,
				    ns ? ns : o->ns, name);
			return;
		}
		if (mtls)
			ids[nids++] = mesh_tls(l, t);
		else
			nets[nnets++] = network_auth(l, t);
	}
	/* the Servers it authorizes: one, the namespace's, or every Server a route attaches to (for the
	 * requests that route takes) */
	const tm_value *parents = NULL;
	bool gateway = false;
	const struct tm_k8s_obj *r = NULL;
	if (route) {
		r = target_route(l, o, tkind, tm_map_get_str(target, "group"), tname, &gateway);
		parents = r ? tm_map_get(tm_map_get(r->v, "spec"), "parentRefs") : NULL;
	}
	size_t nservers = route ? tm_value_len(parents) : 1, made = 0;
	for (size_t i = 0; i < nservers; i++) {
		const tm_value *p = route ? tm_seq_at(parents, i) : NULL;
		const char *pkind = p ? tm_map_get_str(p, "kind") : NULL, *pns = p ? tm_map_get_str(p, "namespace") : NULL;
		if (route && (!pkind || strcmp(pkind, "Server") != 0 || !tm_map_get_str(p, "name") ||
			      (pns && strcmp(pns, o->ns) != 0)))
			continue;
		const char *server = route ? tm_map_get_str(p, "name") : strcmp(tkind, "Server") == 0 ? tname : NULL;
		tm_ld_authz *z = authz_new(l, o, "AuthorizationPolicy");
		if (!z)
			return;
		made++;
		z->server = server ? tm_pm_strdup(l->a, server) : NULL;
		z->whole_ns = !server;
		z->route = route ? tm_pm_strdup(l->a, tname) : NULL;
		z->route_gateway = gateway;
		z->meshed = nids > 0;
		z->idsets = ids, z->nidsets = nids;
		z->netsets = nets, z->nnetsets = nnets;
	}
	if (route && r && !made) {
		/* Linkerd's inbound policy reads a route's Server parents only (a Service parent routes
		 * outbound traffic): such a route authorizes nothing here */
		tm_diag_add(l->ctx->diags, TM_EINVALID, TM_LEVEL_NOTE, tm_ingest__loc(o->f, target),
			    "AuthorizationPolicy %s/%s targets %s %s, which attaches to no Server of namespace %s: it "
			    "authorizes nothing inbound", o->ns, o->name, tkind, tname, o->ns);
	} else if (route && !r) {
		tm_diag_add(l->ctx->diags, TM_EINVALID, TM_LEVEL_NOTE, tm_ingest__loc(o->f, target),
			    "AuthorizationPolicy %s/%s targets %s %s, which is not in the scanned files: read as "
			    "authorizing every Server of namespace %s, for every request", o->ns, o->name, tkind, tname,
			    o->ns);
		tm_ld_authz *z = authz_new(l, o, "AuthorizationPolicy");
		if (!z)
			return;
		z->whole_ns = true;
		z->route = tm_pm_strdup(l->a, tname);
		z->route_gateway = gateway;
		z->meshed = nids > 0;
		z->idsets = ids, z->nidsets = nids;
		z->netsets = nets, z->nnetsets = nnets;
	}
}

static void server_authorization(struct ld *l, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *sv = tm_map_get(spec, "server"), *client = tm_map_get(spec, "client");
	const char *sname = tm_map_get_str(sv, "name");
	const tm_value *ssel = tm_map_get(sv, "selector");
	if ((!sname && !ssel) || !client) {
		tm_diag_add(l->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, o->v),
			    "ServerAuthorization %s/%s needs server (a name or a selector) and client: Linkerd refuses "
			    "it, so it authorizes nothing", o->ns, o->name);
		return;
	}
	tm_ld_authz *z = authz_new(l, o, "ServerAuthorization");
	size_t *one = tm_arena_alloc(l->a, 2 * sizeof(size_t));
	if (!z || !one)
		return;
	z->server = sname ? tm_pm_strdup(l->a, sname) : NULL;
	if (!sname)
		tm_ingest__selector(l->ctx, l->a, o->f, ssel, &z->server_sel);
	bool unauth = false;
	const tm_value *mtls = tm_map_get(client, "meshTLS");
	if (tm_scalar_bool(tm_map_get(client, "unauthenticated"), &unauth) || !unauth) {
		/* meshTLS, or a client that names neither: a mesh identity, those it lists (none: no one) */
		bool tls = false;
		size_t set = idset_new(l);
		if (set != SIZE_MAX && !tm_scalar_bool(tm_map_get(mtls, "unauthenticatedTLS"), &tls) && tls)
			l->pol->ld_idsets[set].any = true;
		const tm_value *ids = tm_map_get(mtls, "identities"), *sas = tm_map_get(mtls, "serviceAccounts");
		for (size_t i = 0; i < tm_value_len(ids); i++)
			id_pattern(l, set, tm_scalar_str(tm_seq_at(ids, i), NULL));
		for (size_t i = 0; i < tm_value_len(sas); i++)
			id_ref(l, set, tm_seq_at(sas, i), o->ns);
		z->meshed = true;
		one[0] = set;
		z->idsets = one, z->nidsets = set != SIZE_MAX;
	}
	const tm_value *nets = tm_map_get(client, "networks");
	if (nets) { /* unset: every network */
		one[1] = netset_new(l, nets);
		z->netsets = one + 1, z->nnetsets = one[1] != SIZE_MAX;
	}
}

void tm_k8s__linkerd(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	struct ld l = {ctx, k, tm_mb_policy(ctx->mb), NULL, TM_HMAP_INIT, TM_STRBUF_INIT};
	l.a = l.pol->arena;
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		bool any = true;
		if (tm_k8s__is(o, "Server"))
			server(&l, o);
		else if (tm_k8s__is(o, "LinkerdAuthorizationPolicy"))
			authorization_policy(&l, o);
		else if (tm_k8s__is(o, "ServerAuthorization"))
			server_authorization(&l, o);
		else if (tm_k8s__is(o, "LinkerdHTTPRoute"))
			route(&l, o, "HTTPRoute", false);
		else if (tm_k8s__is(o, "LinkerdGatewayHTTPRoute") || tm_k8s__is(o, "LinkerdGatewayGRPCRoute"))
			route(&l, o, tm_k8s__is(o, "LinkerdGatewayGRPCRoute") ? "GRPCRoute" : "HTTPRoute", true);
		else
			any = tm_k8s__is(o, "MeshTLSAuthentication") || tm_k8s__is(o, "NetworkAuthentication");
		l.pol->linkerd |= any;
	}
	tm_strbuf_dispose(&l.key);
	tm_hmap_dispose(&l.sets);
}
