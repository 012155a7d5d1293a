/*
 * k8s_cilium.c - CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy into the
 * policy model's NetworkPolicy table, so the evaluator (analyze/query.c), the
 * isolation facts and the rules read them as they read NetworkPolicy.
 *
 * What Cilium does and how it is written here:
 * - a rule (spec, or each of specs) selects endpoints by endpointSelector, in its own namespace
 *   (CiliumNetworkPolicy) or in every namespace (the cluster-wide kind; a namespace named by
 *   io.kubernetes.pod.namespace narrows it to that namespace);
 * - an endpoint a rule with an ingress (or ingressDeny) section selects is in default deny at
 *   ingress, and so for egress, unless enableDefaultDeny says otherwise;
 * - an ingress rule admits the peers its from* fields name on the ports of toPorts; a rule with
 *   toPorts and no peer field admits every peer on those ports; a rule with neither (`- {}`) admits
 *   nothing;
 * - labels carry a source prefix (k8s:, any:) that is dropped; io.kubernetes.pod.namespace and
 *   io.cilium.k8s.namespace.labels.* name the peer's namespace, read as a namespaceSelector.
 * - L7 HTTP rules (toPorts[].rules.http) ride on the ports they guard: a request on such a port passes
 *   only when one of them matches it (method, path and host as anchored regular expressions, the
 *   headers), which the evaluator decides; a header value held in a Secret is not known to it.
 * Read wider than Cilium enforces them, and said in a note: L7 rules other than HTTP (kafka, dns: the
 * model admits every request on the port), toFQDNs (any address), toServices, fromRequires, node and
 * group peers. Read
 * narrower, and said: deny sections (not evaluated), enableDefaultDeny false (the rules are not
 * counted), a selector on a service account (selects no pod). Host policies (nodeSelector) are
 * left out, with a note.
 */
#include <stdlib.h>

#include "k8s.h"

#define NS_LABEL "io.kubernetes.pod.namespace"
#define NS_LABELS_PREFIX "io.cilium.k8s.namespace.labels."

struct cil {
	tm_ingest_ctx *ctx;
	tm_arena *a;
	const struct tm_k8s_obj *o;
	bool cluster;     /* the cluster-wide kind */
	tm_strbuf wider;  /* what is read wider than Cilium enforces it, for the note */
	tm_strbuf narrower;
};


/* A label key without its source prefix ("k8s:app" -> "app"). */
static const char *bare(const char *key)
{
	static const char *const sources[] = {"k8s:", "any:", "container:"};
	for (size_t i = 0; i < TM_ARRAY_LEN(sources); i++)
		if (strncmp(key, sources[i], strlen(sources[i])) == 0)
			return key + strlen(sources[i]);
	return key;
}

/* Split a Cilium endpoint selector into the pods' labels and their namespace's. Namespace
 * requirements become requirements on the namespace's labels (its name: kubernetes.io/metadata.name,
 * which the API server sets on every namespace). *reserved: the selector names a reserved identity
 * (reserved:host, reserved:world...), which is no pod. */
static void split(struct cil *c, const tm_selector *in, tm_selector *pods, tm_selector *nss, bool *reserved)
{
	*pods = *in;
	memset(nss, 0, sizeof(*nss));
	*reserved = false;
	if (!in->n)
		return;
	tm_sel_req *pr = tm_arena_alloc(c->a, in->n * sizeof(*pr)), *nr = tm_arena_alloc(c->a, in->n * sizeof(*nr));
	if (!pr || !nr) {
		pods->invalid = true; /* out of memory: the scan's arena check reports it */
		return;
	}
	pods->reqs = pr;
	pods->n = 0;
	nss->reqs = nr;
	for (size_t i = 0; i < in->n; i++) {
		tm_sel_req r = in->reqs[i];
		if (strncmp(r.key, "reserved:", 9) == 0) {
			*reserved = true;
			continue;
		}
		r.key = bare(r.key);
		if (strcmp(r.key, NS_LABEL) == 0) {
			r.key = "kubernetes.io/metadata.name";
			nr[nss->n++] = r;
		} else if (strncmp(r.key, NS_LABELS_PREFIX, strlen(NS_LABELS_PREFIX)) == 0) {
			r.key += strlen(NS_LABELS_PREFIX);
			nr[nss->n++] = r;
		} else {
			if (strcmp(r.key, "io.cilium.k8s.policy.serviceaccount") == 0)
				tm_k8s__said(&c->narrower, "a selector on a service account (selects no pod here)");
			pr[pods->n++] = r;
		}
	}
	nss->present = nss->n > 0;
}

static void cidr_peer(struct cil *c, tm_np_rule *r, size_t cap, const char *cidr, tm_strs except, tm_loc loc)
{
	tm_np_peer *p = tm_k8s__add_peer(r, cap);
	if (!p)
		return;
	p->cidr = tm_pm_strdup(c->a, cidr);
	p->except = except;
	p->loc = loc;
}

/* Every pod of every namespace (the entity "cluster"). */
static void all_pods(tm_np_rule *r, size_t cap, tm_loc loc)
{
	tm_np_peer *p = tm_k8s__add_peer(r, cap);
	if (!p)
		return;
	p->pods.present = p->nss.present = true;
	p->loc = loc;
}

static void endpoints(struct cil *c, tm_np_rule *r, size_t cap, const tm_value *list)
{
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *sv = tm_seq_at(list, i);
		tm_selector sel;
		tm_ingest__selector(c->ctx, c->a, c->o->f, sv, &sel);
		tm_np_peer *p = tm_k8s__add_peer(r, cap);
		if (!p)
			return;
		p->loc = tm_ingest__loc(c->o->f, sv);
		bool reserved;
		split(c, &sel, &p->pods, &p->nss, &reserved);
		p->pods.present = true;
		if (reserved) /* a reserved identity is no pod of the model */
			p->pods.invalid = true;
		if (c->cluster && !p->nss.present) /* a cluster-wide rule's peers: any namespace */
			p->nss.present = true;
	}
}

static void entities(struct cil *c, tm_np_rule *r, size_t cap, const tm_value *list)
{
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *ev = tm_seq_at(list, i);
		const char *e = tm_scalar_str(ev, NULL);
		tm_loc loc = tm_ingest__loc(c->o->f, ev);
		if (!e)
			continue;
		bool world = strcmp(e, "world") == 0 || strcmp(e, "world-ipv4") == 0 || strcmp(e, "world-ipv6") == 0 ||
			     strcmp(e, "all") == 0 || strcmp(e, "ingress") == 0;
		if (world) {
			tm_strs none = {NULL, 0, false};
			cidr_peer(c, r, cap, strcmp(e, "world-ipv6") == 0 ? "::/0" : "0.0.0.0/0", none, loc);
		}
		if (strcmp(e, "cluster") == 0 || strcmp(e, "all") == 0)
			all_pods(r, cap, loc);
		if (strcmp(e, "ingress") == 0)
			tm_k8s__said(&c->wider, "the entity ingress (Cilium's own ingress proxy) read as any address outside");
	}
}

static void cidrs(struct cil *c, tm_np_rule *r, size_t cap, const tm_value *plain, const tm_value *sets)
{
	tm_strs none = {NULL, 0, false};
	for (size_t i = 0; i < tm_value_len(plain); i++) {
		const char *s = tm_scalar_str(tm_seq_at(plain, i), NULL);
		if (s)
			cidr_peer(c, r, cap, s, none, tm_ingest__loc(c->o->f, tm_seq_at(plain, i)));
	}
	for (size_t i = 0; i < tm_value_len(sets); i++) {
		const tm_value *sv = tm_seq_at(sets, i);
		const char *s = tm_map_get_str(sv, "cidr");
		if (s)
			cidr_peer(c, r, cap, s, tm_ingest__strs(c->a, tm_map_get(sv, "except")), tm_ingest__loc(c->o->f, sv));
		else if (tm_map_get(sv, "cidrGroupRef"))
			tm_k8s__said(&c->narrower, "cidrGroupRef (a CiliumCIDRGroup: admits no address here)");
	}
}

/* The L7 protocols a toPorts entry's rules may name besides http: not evaluated. */
static const char *const l7_other[] = {"kafka", "dns", "l7proto", "l7"};

/* A port as Cilium writes it: a number, quoted or not ("8080"); false for a name or anything else. */
static bool port_number(const tm_value *v, int64_t *num)
{
	if (!tm_scalar_int(v, num))
		return true;
	const char *s = tm_scalar_str(v, NULL);
	if (!s || !*s || strlen(s) > 5 || strspn(s, "0123456789") != strlen(s))
		return false;
	*num = strtol(s, NULL, 10);
	return true;
}

/* The L7 HTTP rules of a toPorts entry (rules.http), for the evaluator; NULL with *n 0 when none. A
 * headerMatches entry with a mismatch action only logs or rewrites the header (the request passes);
 * one whose value is in a Secret is kept as such (the evaluator cannot tell the value). */
static const tm_np_http *http_rules(struct cil *c, const tm_value *l7, size_t *n)
{
	const tm_value *list = tm_map_get(l7, "http");
	*n = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(l7_other); i++)
		if (tm_map_get(l7, l7_other[i]))
			tm_k8s__said(&c->wider, "L7 rules other than HTTP (kafka, dns, l7proto: every request on the port is admitted)");
	if (!tm_value_len(list))
		return NULL;
	tm_np_http *out = tm_arena_alloc(c->a, tm_value_len(list) * sizeof(*out));
	if (!out)
		return NULL;
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *hv = tm_seq_at(list, i);
		tm_np_http *h = &out[(*n)++];
		memset(h, 0, sizeof(*h));
		h->loc = tm_ingest__loc(c->o->f, hv);
		h->method = tm_pm_strdup(c->a, tm_map_get_str(hv, "method"));
		h->path = tm_pm_strdup(c->a, tm_map_get_str(hv, "path"));
		h->host = tm_pm_strdup(c->a, tm_map_get_str(hv, "host"));
		const tm_value *plain = tm_map_get(hv, "headers"), *matches = tm_map_get(hv, "headerMatches");
		size_t nh = tm_value_len(plain) + tm_value_len(matches);
		h->headers.items = nh ? tm_arena_alloc(c->a, nh * sizeof(char *)) : NULL;
		h->headers.present = nh > 0;
		for (size_t k = 0; h->headers.items && k < tm_value_len(plain); k++) {
			const char *hd = tm_scalar_str(tm_seq_at(plain, k), NULL);
			if (hd)
				h->headers.items[h->headers.n++] = tm_pm_strdup(c->a, hd);
		}
		for (size_t k = 0; h->headers.items && k < tm_value_len(matches); k++) {
			const tm_value *mv = tm_seq_at(matches, k);
			const char *name = tm_map_get_str(mv, "name"), *value = tm_map_get_str(mv, "value");
			if (!name || tm_map_get(mv, "mismatch"))
				continue; /* a mismatch action: the request passes, its header logged or rewritten */
			if (tm_map_get(mv, "secret"))
				h->secret = tm_pm_strdup(c->a, name);
			else
				h->headers.items[h->headers.n++] =
					value ? tm_arena_printf(c->a, "%s: %s", name, value) : tm_pm_strdup(c->a, name);
		}
	}
	return out;
}

static void ports(struct cil *c, tm_np_rule *r, const tm_value *to_ports)
{
	size_t n = 0;
	for (size_t i = 0; i < tm_value_len(to_ports); i++)
		n += tm_value_len(tm_map_get(tm_seq_at(to_ports, i), "ports"));
	r->ports_present = n > 0;
	if (!n || !(r->ports = tm_arena_alloc(c->a, n * sizeof(tm_np_port))))
		return;
	for (size_t i = 0; i < tm_value_len(to_ports); i++) {
		const tm_value *tp = tm_seq_at(to_ports, i);
		const tm_value *list = tm_map_get(tp, "ports");
		size_t nhttp = 0;
		const tm_np_http *http = http_rules(c, tm_map_get(tp, "rules"), &nhttp);
		if (nhttp && !tm_value_len(list))
			tm_k8s__said(&c->wider, "L7 rules of a toPorts entry without ports (not applied)");
		for (size_t k = 0; k < tm_value_len(list); k++) {
			const tm_value *pv = tm_seq_at(list, k);
			tm_np_port *p = &r->ports[r->nports++];
			memset(p, 0, sizeof(*p));
			const char *proto = tm_map_get_str(pv, "protocol");
			/* ANY (or none) takes TCP too; the evaluator asks about TCP */
			p->protocol = !proto || !*proto || tm_strcaseeq(proto, "ANY") ? "TCP" : tm_pm_strdup(c->a, proto);
			const tm_value *port = tm_map_get(pv, "port");
			int64_t num;
			if (port && port_number(port, &num))
				p->port = (int)num; /* 0: every port */
			else if (port)
				p->name = tm_pm_strdup(c->a, tm_scalar_str(port, NULL));
			if (!tm_scalar_int(tm_map_get(pv, "endPort"), &num))
				p->end_port = (int)num;
			p->http = http;
			p->nhttp = nhttp;
		}
	}
}

/* The peer fields of a rule, by direction: ingress (from...) and egress (to...); the last two are
 * egress's only. */
enum { P_ENDPOINTS, P_ENTITIES, P_CIDR, P_CIDRSET, P_REQUIRES, P_GROUPS, P_NODES, P_FQDNS, P_SERVICES, P__COUNT };
static const char *const peer_keys[2][P__COUNT] = {
	{"fromEndpoints", "fromEntities", "fromCIDR", "fromCIDRSet", "fromRequires", "fromGroups", "fromNodes", NULL, NULL},
	{"toEndpoints", "toEntities", "toCIDR", "toCIDRSet", "toRequires", "toGroups", "toNodes", "toFQDNs", "toServices"}};

static void rules(struct cil *c, const tm_value *list, bool ingress, tm_np_rule **out, size_t *nout)
{
	size_t n = tm_value_len(list);
	*out = n ? tm_arena_alloc(c->a, n * sizeof(tm_np_rule)) : NULL;
	*nout = 0;
	if (!*out)
		return;
	const char *const *keys = peer_keys[ingress ? 0 : 1];
	for (size_t i = 0; i < n; i++) {
		const tm_value *rv = tm_seq_at(list, i);
		tm_np_rule *r = &(*out)[(*nout)++];
		memset(r, 0, sizeof(*r));
		r->loc = tm_ingest__loc(c->o->f, rv);
		const tm_value *peer[P__COUNT];
		size_t cap = 2; /* an entity may stand for a CIDR and for the cluster's pods */
		bool named = false;
		for (size_t k = 0; k < P__COUNT; k++) {
			peer[k] = keys[k] ? tm_map_get(rv, keys[k]) : NULL;
			named |= peer[k] != NULL;
			cap += 2 * tm_value_len(peer[k]);
		}
		const tm_value *to_ports = tm_map_get(rv, "toPorts");
		/* no peer field: with toPorts every peer on those ports; with neither (`- {}`) no peer */
		r->peers_present = named || !to_ports;
		r->peers = tm_arena_alloc(c->a, cap * sizeof(tm_np_peer));
		if (!r->peers)
			continue;
		endpoints(c, r, cap, peer[P_ENDPOINTS]);
		entities(c, r, cap, peer[P_ENTITIES]);
		cidrs(c, r, cap, peer[P_CIDR], peer[P_CIDRSET]);
		if (peer[P_REQUIRES])
			tm_k8s__said(&c->wider, ingress ? "fromRequires (not applied)" : "toRequires (not applied)");
		if (peer[P_GROUPS])
			tm_k8s__said(&c->narrower, "cloud groups (admit no peer here)");
		if (peer[P_NODES])
			tm_k8s__said(&c->narrower, "node peers (admit no pod)");
		if (peer[P_FQDNS]) {
			tm_strs none = {NULL, 0, false};
			cidr_peer(c, r, cap, "0.0.0.0/0", none, tm_ingest__loc(c->o->f, peer[P_FQDNS]));
			tm_k8s__said(&c->wider, "toFQDNs (the names' addresses are not known: any address)");
		}
		if (peer[P_SERVICES]) {
			all_pods(r, cap, tm_ingest__loc(c->o->f, peer[P_SERVICES]));
			tm_k8s__said(&c->wider, "toServices (any pod)");
		}
		ports(c, r, to_ports);
	}
}

/* Would Cilium's API accept this rule's shape? */
static bool well_formed(struct cil *c, const tm_value *rule)
{
	static const char *const lists[] = {"ingress", "egress", "ingressDeny", "egressDeny"};
	if (tm_value_kind_of(rule) != TM_VALUE_MAP) {
		tm_diag_add(c->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(c->o->f, rule),
			    "a Cilium policy rule must be a mapping; not evaluated");
		return false;
	}
	for (size_t d = 0; d < TM_ARRAY_LEN(lists); d++) {
		const tm_value *l = tm_map_get(rule, lists[d]);
		if (!tm_ingest__seq_of_maps(c->ctx, c->o->f, l, lists[d]))
			return false;
		for (size_t i = 0; i < tm_value_len(l); i++) {
			const tm_value *tp = tm_map_get(tm_seq_at(l, i), "toPorts");
			if (!tm_ingest__seq_of_maps(c->ctx, c->o->f, tp, "toPorts"))
				return false;
			for (size_t k = 0; k < tm_value_len(tp); k++) {
				const tm_value *ps = tm_map_get(tm_seq_at(tp, k), "ports");
				const tm_value *http = tm_map_get(tm_map_get(tm_seq_at(tp, k), "rules"), "http");
				if (!tm_ingest__seq_of_maps(c->ctx, c->o->f, ps, "ports") ||
				    !tm_ingest__seq_of_maps(c->ctx, c->o->f, http, "http"))
					return false;
				for (size_t h = 0; h < tm_value_len(http); h++)
					if (!tm_ingest__seq_of_scalars(c->ctx, c->o->f, tm_map_get(tm_seq_at(http, h), "headers"),
								       "headers") ||
					    !tm_ingest__seq_of_maps(c->ctx, c->o->f, tm_map_get(tm_seq_at(http, h), "headerMatches"),
								    "headerMatches"))
						return false;
				for (size_t p = 0; p < tm_value_len(ps); p++) {
					const tm_value *port = tm_map_get(tm_seq_at(ps, p), "port");
					int64_t num;
					if (port && (tm_value_kind_of(port) != TM_VALUE_SCALAR ||
						     (port_number(port, &num) && (num < 0 || num > 65535)))) {
						tm_diag_add(c->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING,
							    tm_ingest__loc(c->o->f, port),
							    "port must be a number (0-65535) or a port name; Cilium would "
							    "refuse this policy, so it is not evaluated");
						return false;
					}
				}
			}
		}
	}
	return true;
}

/* enableDefaultDeny.<dir>: -1 not written, else its value. */
static int default_deny(const tm_value *rule, const char *dir)
{
	bool b;
	return tm_scalar_bool(tm_map_get(tm_map_get(rule, "enableDefaultDeny"), dir), &b) ? -1 : b;
}

static void one_rule(struct cil *c, tm_policy *pol, const tm_value *rule)
{
	tm_loc loc = tm_ingest__loc(c->o->f, rule);
	if (tm_map_get(rule, "nodeSelector")) {
		tm_diag_add(c->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "Cilium host policy '%s' (nodeSelector) guards nodes, not pods: not modelled", c->o->name);
		return;
	}
	const tm_value *es = tm_map_get(rule, "endpointSelector");
	if (!es) {
		tm_diag_add(c->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, loc,
			    "Cilium policy '%s' has no endpointSelector; it selects nothing", c->o->name);
		return;
	}
	tm_selector sel, pods, nss;
	bool reserved;
	tm_ingest__selector(c->ctx, c->a, c->o->f, es, &sel);
	split(c, &sel, &pods, &nss, &reserved);
	pods.present = true;
	if (reserved) {
		tm_diag_add(c->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(c->o->f, es),
			    "Cilium policy '%s' selects a reserved identity (the host, the health endpoint...), "
			    "no pod of the model: not modelled", c->o->name);
		return;
	}
	/* where its endpoints are: its own namespace; cluster-wide, every namespace or the one named */
	const char *ns = c->o->ns;
	if (c->cluster) {
		ns = TM_PM_ALL_NAMESPACES;
		for (size_t i = 0; i < nss.n; i++) {
			const tm_sel_req *r = &nss.reqs[i];
			if (strcmp(r->key, "kubernetes.io/metadata.name") == 0 && r->op == TM_SEL_IN && r->values.n == 1)
				ns = r->values.items[0];
			else
				tm_k8s__said(&c->wider, "a namespace condition on the selected pods other than one name "
						"(read as every namespace)");
		}
	}
	bool has_in = tm_map_get(rule, "ingress") || tm_map_get(rule, "ingressDeny");
	bool has_out = tm_map_get(rule, "egress") || tm_map_get(rule, "egressDeny");
	int dd_in = default_deny(rule, "ingress"), dd_out = default_deny(rule, "egress");
	if ((dd_in == 0 && has_in) || (dd_out == 0 && has_out))
		tm_k8s__said(&c->narrower, "enableDefaultDeny: false (its rules are not counted)");
	if (tm_map_get(rule, "ingressDeny") || tm_map_get(rule, "egressDeny"))
		tm_k8s__said(&c->wider, "deny sections (not evaluated: what they deny is admitted)");
	tm_netpol *np = TM_PM_ADD(pol, netpols);
	if (!np)
		return;
	np->kind = c->cluster ? "CiliumClusterwideNetworkPolicy" : "CiliumNetworkPolicy";
	np->ns = tm_pm_strdup(pol->arena, ns);
	np->name = tm_pm_strdup(pol->arena, c->o->name);
	np->loc = loc;
	np->pods = pods;
	np->ingress = has_in && dd_in != 0;
	np->egress = has_out && dd_out != 0;
	if (np->ingress)
		rules(c, tm_map_get(rule, "ingress"), true, &np->in, &np->nin);
	if (np->egress)
		rules(c, tm_map_get(rule, "egress"), false, &np->out, &np->nout);
}

void tm_k8s__cilium(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	tm_policy *pol = tm_mb_policy(ctx->mb);
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		bool cluster = tm_k8s__is(o, "CiliumClusterwideNetworkPolicy");
		if (!cluster && !tm_k8s__is(o, "CiliumNetworkPolicy"))
			continue;
		struct cil c = {ctx, pol->arena, o, cluster, TM_STRBUF_INIT, TM_STRBUF_INIT};
		const tm_value *spec = tm_map_get(o->v, "spec"), *specs = tm_map_get(o->v, "specs");
		if (!spec && !specs)
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, o->v),
				    "Cilium policy '%s' has neither spec nor specs; it does nothing", o->name);
		if (spec && well_formed(&c, spec))
			one_rule(&c, pol, spec);
		if (specs && tm_ingest__seq_of_maps(ctx, o->f, specs, "specs"))
			for (size_t s = 0; s < tm_value_len(specs); s++)
				if (well_formed(&c, tm_seq_at(specs, s)))
					one_rule(&c, pol, tm_seq_at(specs, s));
		tm_k8s__approx_note(ctx, o, cluster ? "CiliumClusterwideNetworkPolicy" : "CiliumNetworkPolicy", "Cilium",
				    &c.wider, &c.narrower);
	}
}
