/*
 * drift.c - declared versus observed: the rules that compare what runtime maps saw (CALLS
 * edges carrying "observed", from ingest/runtime.c) with what the manifests declare and the
 * policies allow. The policy questions go to the query evaluator, so a finding agrees with
 * `trustmap query can` by construction.
 *
 * TM-DRIFT-006 compares the other declaration with the policies: a call the workloads' own
 * configuration makes (an env var naming the callee) that the scanned policies deny.
 *
 * A drift finding needs one end the model knows (a node without observed_only): observed
 * traffic between two services the scan never saw is a coverage gap, counted in the
 * analysis' figures, not a finding per call.
 */
#include <stdio.h>

#include "rules.h"
#include "trustmap/query.h"

static const char *const *edge_list(const tm_edge *e, const char *key)
{
	const tm_attr *a = tm_edge_attr_get(e, key);
	return a && a->type == TM_ATTR_LIST ? a->list : NULL;
}

static bool observed(const tm_edge *e)
{
	return tm_edge_kind_of(e) == TM_EDGE_CALLS && edge_list(e, "observed");
}

static bool known(const tm_node *n)
{
	return !tm_rules__attr_true(n, "observed_only");
}

/* Is loc one of the observations in list ("path:line")? */
static bool in_list(const char *const *list, tm_loc loc)
{
	size_t pl = strlen(loc.path);
	for (size_t i = 0; list && list[i]; i++) {
		unsigned line = 0;
		if (strncmp(list[i], loc.path, pl) == 0 && list[i][pl] == ':' &&
		    sscanf(list[i] + pl + 1, "%u", &line) == 1 && line == loc.line)
			return true;
	}
	return false;
}

/* The finding's evidence: where the call was observed (the edge's evidence named in list). */
static void observations(tm_emit *em, const tm_edge *e, const char *key)
{
	const char *const *list = edge_list(e, key);
	for (size_t i = 0; i < tm_edge_evidence_count(e); i++)
		if (in_list(list, tm_edge_evidence(e, i)))
			tm_emit_loc(em, tm_edge_evidence(e, i));
}

/* A call's subject: the caller when the model knows it, else the callee; evidence reset. */
static void init_call(tm_emit *em, const tm_edge *e)
{
	const tm_node *from = tm_edge_from(e), *to = tm_edge_to(e);
	tm_emit_init(em, known(from) ? from : to);
	em->npath = 0;
	em->nevidence = 0;
	tm_emit_path(em, tm_node_id(from));
	tm_emit_path(em, tm_node_id(to));
	em->key = tm_node_id(known(from) ? to : from);
}

static const char *by_text(const tm_edge *e)
{
	const char *const *by = edge_list(e, "observed_by");
	return by && by[0] ? by[0] : "a runtime map";
}

/* The first "observed_requests" item as method and path, the first port: the request to evaluate. */
static void observed_request(const tm_edge *e, tm_request *req, char *method, size_t mlen, const char **path)
{
	const char *const *reqs = edge_list(e, "observed_requests");
	const char *const *ports = edge_list(e, "observed_ports");
	if (reqs && reqs[0] && strchr(reqs[0], ' ')) {
		size_t n = (size_t)(strchr(reqs[0], ' ') - reqs[0]);
		tm_formatf(method, mlen, "%.*s", (int)n, reqs[0]);
		req->method = method;
		*path = reqs[0] + n + 1;
		req->path = *path;
	}
	if (ports && ports[0]) {
		int p = 0;
		if (sscanf(ports[0], "%d", &p) == 1 && p > 0 && p < 65536)
			req->port = p;
	}
}

static bool workloads(const tm_edge *e)
{
	const tm_node *from = tm_edge_from(e), *to = tm_edge_to(e);
	return known(from) && known(to) && tm_node_kind_of(from) == TM_NODE_SERVICE && tm_node_kind_of(to) == TM_NODE_SERVICE;
}

/* What the declared policy says of the call e stands for (the request observed, if any): 0 or a
 * tm_query_can error. Dispose *v whatever the result. */
static int evaluate(const tm_model *m, const tm_edge *e, tm_verdict *v)
{
	tm_request req;
	memset(&req, 0, sizeof(req));
	req.source = tm_node_id(tm_edge_from(e));
	req.destination = tm_node_id(tm_edge_to(e));
	char method[16];
	const char *path = NULL;
	observed_request(e, &req, method, sizeof(method), &path);
	return tm_query_can(v, m, &req);
}

/* A denial that a policy decided (not an outcome the scan cannot know). */
static bool policy_denies(int rc, const tm_verdict *v)
{
	return rc == 0 && !v->allowed && !v->unknown && v->decided_by;
}

static bool denied(const tm_model *m, const tm_edge *e)
{
	if (!workloads(e))
		return false;
	tm_verdict v;
	bool no = policy_denies(evaluate(m, e, &v), &v);
	tm_verdict_dispose(&v);
	return no;
}

void tm_rule__drift_undeclared_call(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const char *only = observed(e) ? tm_edge_attr_str(e, "observed_only") : NULL;
		const tm_node *from = tm_edge_from(e), *to = tm_edge_to(e);
		if (!only || strcmp(only, "true") != 0 || tm_node_kind_of(to) == TM_NODE_EXTERNAL ||
		    (!known(from) && !known(to)))
			continue;
		if (denied(m, e))
			continue; /* the policy's denial is the finding (TM-DRIFT-002): it says more */
		tm_emit em;
		init_call(&em, e);
		const char *n = tm_edge_attr_str(e, "observed_calls");
		em.title = tm_rules__printf(c, "%s calls %s at runtime (%s call%s, %s) but no manifest declares it%s",
					    tm_node_id(from), tm_node_id(to), n ? n : "1", n && strcmp(n, "1") ? "s" : "",
					    by_text(e), known(to) ? "" : "; the callee is not in the model");
		observations(&em, e, "observed");
		tm_rules__emit(c, &em);
	}
}

void tm_rule__drift_denied_call(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (!observed(e) || !workloads(e))
			continue;
		tm_verdict v;
		if (policy_denies(evaluate(m, e, &v), &v)) {
			tm_emit em;
			init_call(&em, e);
			em.title = tm_rules__printf(c, "%s calls %s at runtime (%s) but %s denies it (%s:%u): %s",
						    tm_node_id(tm_edge_from(e)), tm_node_id(tm_edge_to(e)), by_text(e),
						    v.decided_by, v.decided_at.path ? v.decided_at.path : "?",
						    (unsigned)v.decided_at.line, v.reason ? v.reason : "denied");
			/* the judged fact first: the call observed; then the policy that denies it */
			observations(&em, e, "observed");
			tm_emit_loc(&em, v.decided_at);
			tm_rules__emit(c, &em);
		}
		tm_verdict_dispose(&v);
	}
}

void tm_rule__drift_configured_denied(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		/* an observed call the policy denies is TM-DRIFT-002's: it says more */
		if (tm_edge_kind_of(e) != TM_EDGE_CALLS || observed(e) || !workloads(e))
			continue;
		tm_verdict v;
		if (policy_denies(evaluate(m, e, &v), &v)) {
			tm_emit em;
			init_call(&em, e);
			const char *const *env = edge_list(e, "env");
			em.title = tm_rules__printf(c, "%s is configured to call %s%s%s%s but %s denies it (%s:%u): %s",
						    tm_node_id(tm_edge_from(e)), tm_node_id(tm_edge_to(e)),
						    env && env[0] ? " (" : "", env && env[0] ? env[0] : "", env && env[0] ? ")" : "",
						    v.decided_by, v.decided_at.path ? v.decided_at.path : "?",
						    (unsigned)v.decided_at.line, v.reason ? v.reason : "denied");
			/* the judged fact first: where the call is configured; then the policy */
			for (size_t k = 0; k < tm_edge_evidence_count(e) && em.nevidence + 1 < TM_EMIT_MAX; k++)
				tm_emit_loc(&em, tm_edge_evidence(e, k));
			tm_emit_loc(&em, v.decided_at);
			em.fold = tm_rules__printf(c, "policy:%s", v.decided_by);
			em.fold_label = tm_rules__printf(c, "%s", v.decided_by);
			em.fold_noun = "configured calls";
			em.fold_what = "are denied by it";
			tm_rules__emit(c, &em);
		}
		tm_verdict_dispose(&v);
	}
}

/* The workload of the policy model behind node n, or NULL (the model's index by node id). */
static const tm_pm_workload *pm_workload(const tm_policy *pol, const tm_node *n)
{
	return tm_policy__workload_of(pol, tm_node_id(n));
}

/* The PeerAuthentication that makes w STRICT (workload, then namespace, then mesh level; a
 * level whose mode is UNSET inherits), or NULL when w's effective mode is not STRICT. */
static const tm_peerauth *strict_policy(const tm_policy *pol, const tm_pm_workload *w, int port)
{
	const tm_peerauth *levels[3] = {NULL, NULL, NULL};
	tm_pm_cursor cur; /* the policies that can apply, in table order */
	tm_policy__cands(pol, &pol->pa_cands, pol->npeerauths, w, &cur);
	for (size_t i; tm_policy__cand_next(&cur, &i);) {
		const tm_peerauth *pa = &pol->peerauths[i];
		if (strcmp(pa->ns, w->ns) == 0 && pa->sel.present && tm_selector_matches(&pa->sel, &w->labels))
			levels[0] = levels[0] ? levels[0] : pa;
		else if (strcmp(pa->ns, w->ns) == 0 && !pa->sel.present)
			levels[1] = levels[1] ? levels[1] : pa;
		else if (pol->root_ns && strcmp(pa->ns, pol->root_ns) == 0 && !pa->sel.present)
			levels[2] = levels[2] ? levels[2] : pa;
	}
	for (int l = 0; l < 3; l++) {
		const tm_peerauth *pa = levels[l];
		if (!pa)
			continue;
		int mode = pa->mode;
		for (size_t k = 0; l == 0 && port && k < pa->nports; k++)
			if (pa->ports[k].port == port && pa->ports[k].mode != TM_MTLS_UNSET)
				mode = pa->ports[k].mode;
		if (mode != TM_MTLS_UNSET)
			return mode == TM_MTLS_STRICT ? pa : NULL;
	}
	return NULL;
}

/* A DestinationRule's client-side mTLS for the workload behind n (istio.c puts each DR's
 * trafficPolicy.tls.mode on the workloads its host reaches as a located fact, client_tls_mode):
 * ISTIO_MUTUAL or MUTUAL means a client is expected to call it over mTLS. NULL when none says so. */
static const tm_fact_loc *expected_mtls(const tm_node *n)
{
	for (size_t i = 0; i < tm_node_fact_count(n); i++) {
		const tm_fact_loc *f = tm_node_fact(n, i);
		if (strcmp(f->key, "client_tls_mode") == 0 &&
		    (strcmp(f->value, "ISTIO_MUTUAL") == 0 || strcmp(f->value, "MUTUAL") == 0))
			return f;
	}
	return NULL;
}

void tm_rule__drift_plaintext_strict(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	const tm_policy *pol = tm_model__policy(m);
	for (size_t i = 0; i < tm_model_edge_count(m) && pol->istio; i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const tm_node *to = tm_edge_to(e);
		const tm_pm_workload *w = observed(e) && edge_list(e, "observed_plaintext") ? pm_workload(pol, to) : NULL;
		tm_request req;
		memset(&req, 0, sizeof(req));
		char method[16];
		const char *path = NULL;
		if (w)
			observed_request(e, &req, method, sizeof(method), &path);
		/* STRICT at the server says so first; else a DestinationRule expects it of the client */
		const tm_peerauth *pa = w ? strict_policy(pol, w, req.port) : NULL;
		const tm_fact_loc *dr = w && !pa ? expected_mtls(to) : NULL;
		if (!pa && !dr)
			continue;
		tm_emit em;
		init_call(&em, e);
		if (pa)
			em.title = tm_rules__printf(c, "plaintext observed from %s to %s (%s) where PeerAuthentication %s/%s (%s:%u) requires mTLS",
						    tm_node_id(tm_edge_from(e)), tm_node_id(to), by_text(e), pa->ns, pa->name,
						    pa->loc.path ? pa->loc.path : "?", (unsigned)pa->loc.line);
		else
			em.title = tm_rules__printf(c, "plaintext observed from %s to %s (%s) where a DestinationRule (%s:%u) expects mTLS (tls mode %s)",
						    tm_node_id(tm_edge_from(e)), tm_node_id(to), by_text(e),
						    dr->loc.path ? dr->loc.path : "?", (unsigned)dr->loc.line, dr->value);
		/* the judged fact first: the plaintext observed; then the policy it contradicts */
		observations(&em, e, "observed_plaintext");
		tm_emit_loc(&em, pa ? pa->loc : dr->loc);
		tm_rules__emit(c, &em);
	}
}

/* Is ip inside cidr? IPv6 blocks: only "::/0", and only for an IPv6 address. */
static bool in_cidr(const char *cidr, const char *ip)
{
	if (strcmp(cidr, "::/0") == 0)
		return strchr(ip, ':') != NULL;
	return tm_policy__in_cidr(cidr, ip);
}

/* Does egress rule r admit address ip on port (0: not stated)? Every destination when it names no
 * peer; else an ipBlock holding ip outside its except list. A named port cannot be resolved on a
 * host outside the cluster: it admits. */
static bool egress_admits(const tm_np_rule *r, const char *ip, int port)
{
	bool port_ok = !r->ports_present || !r->nports || !port;
	for (size_t i = 0; !port_ok && i < r->nports; i++) {
		const tm_np_port *p = &r->ports[i];
		port_ok = (!p->protocol || strcmp(p->protocol, "TCP") == 0) &&
			  (p->name || !p->port || p->port == port || (p->end_port && port >= p->port && port <= p->end_port));
	}
	if (!port_ok)
		return false;
	if (!r->peers_present || !r->npeers)
		return true;
	for (size_t i = 0; i < r->npeers; i++) {
		const tm_np_peer *peer = &r->peers[i];
		bool except = false;
		for (size_t k = 0; peer->cidr && k < peer->except.n && !except; k++)
			except = in_cidr(peer->except.items[k], ip);
		if (peer->cidr && in_cidr(peer->cidr, ip) && !except)
			return true;
	}
	return false;
}

/* What w's egress NetworkPolicies say of the addresses observed (observed_addresses): 1 every one
 * is admitted by a rule that names it (an ipBlock holding it; the egress is listed), -1 w's egress
 * is isolated and no rule admits any of them (*by: the first policy that isolates it), 0 neither
 * (no address stated, no egress policy, or a rule admitting every destination). */
static int egress_verdict(const tm_policy *pol, const tm_pm_workload *w, const tm_edge *e, const tm_netpol **by)
{
	const char *const *addrs = edge_list(e, "observed_addresses");
	const char *const *ports = edge_list(e, "observed_ports");
	int port = 0;
	if (ports && ports[0] && (sscanf(ports[0], "%d", &port) != 1 || port < 0 || port > 65535))
		port = 0;
	*by = NULL;
	if (!w || !addrs || !addrs[0])
		return 0;
	size_t listed = 0, admitted = 0, n = 0;
	for (; addrs[n]; n++) {
		bool named = false, any = false;
		tm_np_selecting it;
		tm_policy__selecting_init(&it, pol, w);
		for (const tm_netpol *np; (np = tm_policy__selecting_next(&it)) != NULL;) {
			if (!np->egress)
				continue;
			*by = *by ? *by : np;
			for (size_t r = 0; r < np->nout; r++) {
				if (!egress_admits(&np->out[r], addrs[n], port))
					continue;
				any = true;
				named |= np->out[r].peers_present && np->out[r].npeers;
			}
		}
		listed += named;
		admitted += any;
	}
	if (*by && listed == n)
		return 1;
	if (*by && !admitted)
		return -1;
	return 0;
}

void tm_rule__drift_unlisted_egress(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	const tm_policy *pol = tm_model__policy(m);
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const tm_node *from = tm_edge_from(e), *to = tm_edge_to(e);
		if (!observed(e) || !known(from) || tm_node_kind_of(to) != TM_NODE_EXTERNAL ||
		    tm_node_attr_str(to, "service_entry"))
			continue;
		const tm_netpol *np = NULL;
		int said = egress_verdict(pol, pm_workload(pol, from), e, &np);
		if (said > 0)
			continue; /* an egress NetworkPolicy's ipBlock lists the address: the egress is declared */
		tm_emit em;
		init_call(&em, e);
		const char *const *addrs = edge_list(e, "observed_addresses");
		if (said < 0)
			em.title = tm_rules__printf(c, "%s calls external host %s (%s) at runtime (%s) though NetworkPolicy %s/%s (%s:%u) "
						    "makes its egress default-deny and no rule allows the address: the policy should have stopped it",
						    tm_node_id(from), tm_node_name(to), addrs[0], by_text(e), np->ns, np->name,
						    np->loc.path ? np->loc.path : "?", (unsigned)np->loc.line);
		else
			em.title = tm_rules__printf(c, "%s calls external host %s at runtime (%s) and no ServiceEntry names it",
						    tm_node_id(from), tm_node_name(to), by_text(e));
		observations(&em, e, "observed");
		if (said < 0)
			tm_emit_loc(&em, np->loc);
		em.snippet = tm_rules__printf(c,
			"apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: %s\n  namespace: %s\n"
			"spec:\n  hosts: [\"%s\"]\n  location: MESH_EXTERNAL\n  resolution: DNS\n  ports:\n  - {number: 443, name: tls, protocol: TLS}\n",
			tm_node_name(to), tm_node_attr_str(from, "namespace") ? tm_node_attr_str(from, "namespace") : "default",
			tm_node_name(to));
		tm_rules__emit(c, &em);
	}
}

/* The first label of w to select it by (app, else the first). */
static const tm_label *select_label(const tm_pm_workload *w)
{
	for (size_t i = 0; i < w->labels.n; i++)
		if (strcmp(w->labels.items[i].key, "app") == 0)
			return &w->labels.items[i];
	return w->labels.n ? &w->labels.items[0] : NULL;
}

/* A NetworkPolicy peer for the pods of workload w, from callee's namespace ns: by w's label, and
 * by its namespace's name label (set by Kubernetes itself) when it lives elsewhere. */
static void netpol_peer(tm_strbuf *sb, const char *comment, const char *ns, const char *key, const char *value,
			const char *peer_ns)
{
	tm_strbuf_printf(sb, "  - from:%s%s\n    - podSelector:\n        matchLabels: {%s: %s}\n", comment ? "  # " : "",
			 comment ? comment : "", key, value);
	if (strcmp(peer_ns, ns) != 0)
		tm_strbuf_printf(sb, "      namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: %s}\n",
				 peer_ns);
}

/* The controller pods behind an Ingress of class cls: a scanned workload named or labelled
 * ingress-<cls> / <cls>-ingress[-controller], or NULL. */
static const tm_pm_workload *ingress_controller(const tm_policy *pol, const char *cls)
{
	char a[128], b[128], c[128];
	tm_formatf(a, sizeof(a), "ingress-%s", cls);
	tm_formatf(b, sizeof(b), "%s-ingress", cls);
	tm_formatf(c, sizeof(c), "%s-ingress-controller", cls);
	const char *names[] = {a, b, c};
	for (size_t i = 0; i < pol->nworkloads; i++) {
		const tm_pm_workload *w = &pol->workloads[i];
		const char *l1 = tm_labels_get(&w->labels, "app.kubernetes.io/name"), *l2 = tm_labels_get(&w->labels, "app");
		for (size_t k = 0; k < TM_ARRAY_LEN(names); k++)
			if (strcmp(w->name, names[k]) == 0 || (l1 && strcmp(l1, names[k]) == 0) || (l2 && strcmp(l2, names[k]) == 0))
				return w;
	}
	return NULL;
}

/* A NetworkPolicy peer for the pods of gateway gw that routes to the callee (in namespace ns):
 * its controller's pods when scanned, else ingress-nginx's default install (namespace and label)
 * for the nginx class, else the gateway's own namespace, said to be a guess. Never every namespace. */
static void netpol_gateway(tm_rule_ctx *c, tm_strbuf *sb, const tm_policy *pol, const tm_node *gw, const char *ns)
{
	const char *cls = tm_node_attr_str(gw, "ingress_class");
	const tm_pm_workload *cw = ingress_controller(pol, cls ? cls : "nginx");
	const tm_label *cl = cw ? select_label(cw) : NULL;
	const char *why = tm_rules__printf(c, "%s routes here", tm_node_id(gw));
	if (cl)
		netpol_peer(sb, why, ns, cl->key, cl->value, cw->ns);
	else if (!cls || strcmp(cls, "nginx") == 0)
		netpol_peer(sb, tm_rules__printf(c, "%s; ingress-nginx's default namespace and labels, adjust to your install", why),
			    ns, "app.kubernetes.io/name", "ingress-nginx", "ingress-nginx");
	else {
		const char *gns = tm_node_attr_str(gw, "namespace");
		tm_strbuf_printf(sb, "  - from:  # %s; its controller was not scanned: name its namespace and pods\n"
				 "    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: %s}\n",
				 why, gns ? gns : ns);
	}
}

/* The tightened policy for callee: its other callers (observed or declared) keep their way in,
 * the unused one loses it. A gateway that routes to callee keeps it too (Istio: the ingress
 * gateway's principal; a NetworkPolicy: the gateway's controller pods, netpol_gateway). */
static const char *tightened(tm_rule_ctx *c, const tm_policy *pol, const tm_node *callee, const tm_pm_workload *w,
			     const tm_node *unused)
{
	const tm_label *sel = select_label(w);
	if (!sel)
		return NULL;
	tm_strbuf sb = TM_STRBUF_INIT;
	size_t cur = 0, n = 0;
	bool gateway = false;
	for (const tm_edge *in; (in = tm_rules__in_edge(c->m, callee, -1, &cur));) {
		const tm_node *from = tm_edge_from(in);
		if (tm_edge_kind_of(in) == TM_EDGE_ROUTES && tm_node_kind_of(from) == TM_NODE_GATEWAY) {
			if (pol->istio && gateway)
				continue;
			gateway = true;
			if (pol->istio)
				tm_strbuf_printf(&sb, "%s\"cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account\"", n ? ", " : "");
			else
				netpol_gateway(c, &sb, pol, from, w->ns);
			n++;
			continue;
		}
		const tm_pm_workload *cw = tm_edge_kind_of(in) == TM_EDGE_CALLS && from != unused ? pm_workload(pol, from) : NULL;
		const tm_label *cl = cw ? select_label(cw) : NULL;
		if (!cw || (!pol->istio && !cl))
			continue;
		if (pol->istio)
			tm_strbuf_printf(&sb, "%s\"cluster.local/ns/%s/sa/%s\"", n ? ", " : "", cw->ns, cw->service_account);
		else
			netpol_peer(&sb, NULL, w->ns, cl->key, cl->value, cw->ns);
		n++;
	}
	const char *out = NULL;
	if (!sb.oom && pol->istio && n)
		out = tm_rules__printf(c,
			"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: %s-callers\n  namespace: %s\n"
			"spec:\n  selector:\n    matchLabels: {%s: %s}\n  action: ALLOW\n  rules:\n  - from:\n    - source:\n        principals: [%s]\n",
			w->name, w->ns, sel->key, sel->value, sb.data);
	else if (!sb.oom && pol->istio)
		out = tm_rules__printf(c,
			"# no other caller of %s/%s is declared or observed: an ALLOW policy without rules admits nothing\n"
			"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: %s-callers\n  namespace: %s\n"
			"spec:\n  selector:\n    matchLabels: {%s: %s}\n  action: ALLOW\n",
			w->ns, w->name, w->name, w->ns, sel->key, sel->value);
	else if (!sb.oom)
		out = tm_rules__printf(c,
			"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: %s-callers\n  namespace: %s\n"
			"spec:\n  podSelector:\n    matchLabels: {%s: %s}\n  policyTypes: [Ingress]\n  ingress:%s%s",
			w->name, w->ns, sel->key, sel->value, n ? "\n" : " []\n", n ? sb.data : "");
	tm_strbuf_dispose(&sb);
	return out;
}

void tm_rule__drift_unused_allowed(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	const tm_policy *pol = tm_model__policy(m);
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const tm_node *from = tm_edge_from(e), *to = tm_edge_to(e);
		if (tm_edge_kind_of(e) != TM_EDGE_CALLS || observed(e) || !tm_rules__list(from, "observed_in") ||
		    !tm_rules__list(to, "observed_in") || !workloads(e))
			continue;
		const tm_pm_workload *w = pm_workload(pol, to);
		if (!w || !pm_workload(pol, from))
			continue;
		tm_verdict v;
		if (evaluate(m, e, &v) == 0 && v.allowed) {
			tm_emit em;
			init_call(&em, e);
			em.title = tm_rules__printf(c, "%s may call %s (declared and allowed) but %s never saw the call",
						    tm_node_id(from), tm_node_id(to), tm_rules__list(from, "observed_in")[0]);
			for (size_t k = 0; k < tm_edge_evidence_count(e); k++)
				tm_emit_loc(&em, tm_edge_evidence(e, k));
			tm_emit_loc(&em, v.decided_at);
			em.snippet = tightened(c, pol, to, w, from);
			tm_rules__emit(c, &em);
		}
		tm_verdict_dispose(&v);
	}
}
