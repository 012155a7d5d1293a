/*
 * k8s_netpol.c - NetworkPolicy into the policy model, with the inferences the
 * API server makes: policyTypes absent means Ingress, plus Egress when egress
 * rules are written. The graph records on each workload which policies select
 * it and whether its ingress and egress are isolated; the evaluator
 * (analyze/query.c) applies the rules.
 */
#include "k8s.h"

static void peers(tm_ingest_ctx *ctx, tm_arena *a, const tm_file *f, const tm_value *list,
		  tm_np_rule *r)
{
	r->peers_present = tm_value_len(list) > 0;
	size_t n = tm_value_len(list);
	if (!n || !(r->peers = tm_arena_alloc(a, n * sizeof(tm_np_peer))))
		return;
	for (size_t i = 0; i < n; i++) {
		const tm_value *pv = tm_seq_at(list, i);
		tm_np_peer *p = &r->peers[r->npeers++];
		p->loc = tm_ingest__loc(f, pv);
		tm_ingest__selector(ctx, a, f, tm_map_get(pv, "podSelector"), &p->pods);
		tm_ingest__selector(ctx, a, f, tm_map_get(pv, "namespaceSelector"), &p->nss);
		const tm_value *ib = tm_map_get(pv, "ipBlock");
		if (ib) {
			const char *cidr = tm_map_get_str(ib, "cidr");
			p->cidr = tm_pm_strdup(a, cidr ? cidr : "");
			p->except = tm_ingest__strs(a, tm_map_get(ib, "except"));
		}
		if (!ib && !p->pods.present && !p->nss.present)
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, p->loc,
				    "network policy peer names no podSelector, namespaceSelector or ipBlock; "
				    "it matches nothing");
	}
}

static void ports(tm_arena *a, const tm_value *list, tm_np_rule *r)
{
	size_t n = tm_value_len(list);
	r->ports_present = n > 0;
	if (!n || !(r->ports = tm_arena_alloc(a, n * sizeof(tm_np_port))))
		return;
	for (size_t i = 0; i < n; i++) {
		const tm_value *pv = tm_seq_at(list, i);
		tm_np_port *p = &r->ports[r->nports++];
		const char *proto = tm_map_get_str(pv, "protocol");
		p->protocol = tm_pm_strdup(a, proto ? proto : "TCP");
		const tm_value *port = tm_map_get(pv, "port");
		if (tm_scalar_type_of(port) == TM_SCALAR_NULL)
			port = NULL; /* `- port:` left empty (a chart's value unset): every port, as unset */
		int64_t num;
		if (port && !tm_scalar_int(port, &num))
			p->port = (int)num;
		else if (port) /* well_formed() checked it is a scalar: a port name */
			p->name = tm_pm_strdup(a, tm_scalar_str(port, NULL));
		if (!tm_scalar_int(tm_map_get(pv, "endPort"), &num))
			p->end_port = (int)num;
	}
}

static void rules(tm_ingest_ctx *ctx, tm_arena *a, const tm_file *f, const tm_value *list,
		  const char *peer_key, tm_np_rule **out, size_t *nout)
{
	size_t n = tm_value_len(list);
	*out = n ? tm_arena_alloc(a, n * sizeof(tm_np_rule)) : NULL;
	*nout = 0;
	if (!*out)
		return;
	for (size_t i = 0; i < n; i++) {
		const tm_value *rv = tm_seq_at(list, i);
		tm_np_rule *r = &(*out)[(*nout)++];
		r->loc = tm_ingest__loc(f, rv);
		peers(ctx, a, f, tm_map_get(rv, peer_key), r);
		ports(a, tm_map_get(rv, "ports"), r);
	}
}

/* Would the API server accept this policy's shape? */
static bool well_formed(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *spec)
{
	static const char *const dirs[] = {"ingress", "egress"};
	static const char *const peers_key[] = {"from", "to"};
	if (spec && tm_value_kind_of(spec) != TM_VALUE_MAP) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, spec),
			    "spec must be a mapping; the API server would refuse this policy, so it is not evaluated");
		return false;
	}
	if (!tm_ingest__seq_of_scalars(ctx, f, tm_map_get(spec, "policyTypes"), "policyTypes"))
		return false;
	for (size_t d = 0; d < 2; d++) {
		const tm_value *rules = tm_map_get(spec, dirs[d]);
		if (!tm_ingest__seq_of_maps(ctx, f, rules, dirs[d]))
			return false;
		for (size_t i = 0; i < tm_value_len(rules); i++) {
			const tm_value *r = tm_seq_at(rules, i);
			const tm_value *ports = tm_map_get(r, "ports");
			if (!tm_ingest__seq_of_maps(ctx, f, tm_map_get(r, peers_key[d]), peers_key[d]) ||
			    !tm_ingest__seq_of_maps(ctx, f, ports, "ports"))
				return false;
			for (size_t p = 0; p < tm_value_len(ports); p++) {
				const tm_value *port = tm_map_get(tm_seq_at(ports, p), "port");
				const tm_value *end = tm_map_get(tm_seq_at(ports, p), "endPort");
				int64_t num;
				if (port && tm_value_kind_of(port) != TM_VALUE_SCALAR) {
					tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, port),
						    "port must be a number or a port name; the API server would "
						    "refuse this policy, so it is not evaluated");
					return false;
				}
				/* numbers are range-checked here, before anything converts them */
				const tm_value *bad = port && !tm_scalar_int(port, &num) && (num < 1 || num > 65535) ? port
						      : end && (tm_scalar_int(end, &num) || num < 1 || num > 65535) ? end
															: NULL;
				if (bad) {
					tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, bad),
						    "port out of range (1-65535); the API server would refuse this "
						    "policy, so it is not evaluated");
					return false;
				}
			}
		}
	}
	return true;
}

/* The policies of one file that name no namespace: one note at the first, naming them. A policy
 * naming none decides for the pods where it is applied: the namespace taken is an assumption
 * (kubectl apply -n, or the context's namespace, decides in the cluster). */
struct implicit {
	const tm_file *f;
	const char *first, *ns;
	tm_loc at;
	size_t n;
};

static void implicit_flush(tm_ingest_ctx *ctx, struct implicit *imp)
{
	if (imp->n)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, imp->at,
			    "%s%s%s name%s no namespace: taken to apply in '%s'%s; applied elsewhere (kubectl apply -n, the "
			    "context's namespace) %s other pods, and these are open",
			    imp->n == 1 ? "NetworkPolicy " : tm_arena_printf(ctx->scratch, "%zu NetworkPolicies (", imp->n),
			    imp->first, imp->n == 1 ? "" : tm_arena_printf(ctx->scratch, " and %zu more)", imp->n - 1),
			    imp->n == 1 ? "s" : "", imp->ns,
			    ctx->implicit_ns_why ? tm_arena_printf(ctx->scratch, " (%s)", ctx->implicit_ns_why)
			    : ctx->implicit_ns	 ? " (the files declare that Namespace alone)"
						 : " (kubectl's default)",
			    imp->n == 1 ? "it selects" : "they select");
	imp->n = 0;
}

static void implicit_add(tm_ingest_ctx *ctx, struct implicit *imp, const struct tm_k8s_obj *o, tm_loc at)
{
	if (imp->n && imp->f != o->f)
		implicit_flush(ctx, imp);
	if (!imp->n++)
		*imp = (struct implicit){o->f, o->name, o->ns, at, 1};
}

/* Policies that select no scanned pod isolate nothing the scan holds. In a namespace where workloads
 * run, one note per policy whose selector names a label key those pods carry with no value any of
 * them has (a typo, a renamed app: the pods it was meant for stay open); a key no pod there carries
 * is left alone (an operator's or a controller's pods, not in the files). In a namespace where no
 * scanned workload runs, one note naming its policies. Each policy once (a Cilium policy of several
 * specs is one). Linear: the workloads' namespaces and label keys in maps, then one pass over the
 * policies. */
static void unselecting(tm_ingest_ctx *ctx, const tm_policy *pol, const bool *selects)
{
	tm_hmap populated = TM_HMAP_INIT, keys = TM_HMAP_INIT, said = TM_HMAP_INIT, idle = TM_HMAP_INIT;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t w = 0; w < pol->nworkloads; w++) {
		const tm_pm_workload *wl = &pol->workloads[w];
		if (!wl->ns)
			continue;
		if (tm_hmap_put(&populated, wl->ns, strlen(wl->ns), (void *)wl->ns))
			tm_arena_set_failed(ctx->scratch);
		for (size_t l = 0; l < wl->labels.n; l++) {
			tm_strbuf_reset(&sb);
			tm_strbuf_printf(&sb, "%s\x1f%s", wl->ns, wl->labels.items[l].key);
			const char *k = sb.oom ? NULL : tm_arena_strdup(ctx->scratch, sb.data);
			if (!k || (!tm_hmap_get(&keys, k, strlen(k)) && tm_hmap_put(&keys, k, strlen(k), (void *)k)))
				tm_arena_set_failed(ctx->scratch);
		}
	}
	/* how many select nothing in each namespace without workloads (count + 1), each policy once */
	for (size_t i = 0; i < pol->nnetpols; i++) {
		const tm_netpol *np = &pol->netpols[i];
		if (selects[i] || !np->ns || !np->name || strcmp(np->ns, TM_PM_ALL_NAMESPACES) == 0 ||
		    tm_hmap_get(&populated, np->ns, strlen(np->ns)))
			continue;
		tm_strbuf_reset(&sb);
		tm_strbuf_printf(&sb, "%s\x1f%s\x1f%s", np->kind ? np->kind : "NetworkPolicy", np->ns, np->name);
		const char *k = sb.oom ? NULL : tm_arena_strdup(ctx->scratch, sb.data);
		if (!k || tm_hmap_get(&said, k, strlen(k)))
			continue;
		uintptr_t c = (uintptr_t)tm_hmap_get(&idle, np->ns, strlen(np->ns));
		if (tm_hmap_put(&said, k, strlen(k), (void *)k) || tm_hmap_put(&idle, np->ns, strlen(np->ns), (void *)(c ? c + 1 : 2)))
			tm_arena_set_failed(ctx->scratch);
	}
	tm_hmap_dispose(&said);
	said = (tm_hmap)TM_HMAP_INIT;
	for (size_t i = 0; i < pol->nnetpols; i++) {
		const tm_netpol *np = &pol->netpols[i];
		const char *kind = np->kind ? np->kind : "NetworkPolicy";
		if (selects[i] || !np->ns || !np->name || strcmp(np->ns, TM_PM_ALL_NAMESPACES) == 0)
			continue;
		bool populated_ns = tm_hmap_get(&populated, np->ns, strlen(np->ns)) != NULL;
		tm_strbuf_reset(&sb);
		if (populated_ns)
			tm_strbuf_printf(&sb, "%s\x1f%s\x1f%s", kind, np->ns, np->name);
		else
			tm_strbuf_printf(&sb, "\x1f%s", np->ns); /* one note per namespace without workloads */
		const char *k = sb.oom ? NULL : tm_arena_strdup(ctx->scratch, sb.data);
		if (!k || tm_hmap_get(&said, k, strlen(k)))
			continue;
		if (tm_hmap_put(&said, k, strlen(k), (void *)k))
			tm_arena_set_failed(ctx->scratch);
		if (populated_ns) {
			/* a key the namespace's pods carry, with a value none of them has */
			const char *key = NULL;
			for (size_t r = 0; r < np->pods.n && !key; r++) {
				tm_strbuf_reset(&sb);
				tm_strbuf_printf(&sb, "%s\x1f%s", np->ns, np->pods.reqs[r].key ? np->pods.reqs[r].key : "");
				if (!sb.oom && np->pods.reqs[r].op == TM_SEL_IN && tm_hmap_get(&keys, sb.data, sb.len))
					key = np->pods.reqs[r].key;
			}
			if (key)
				tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, np->loc,
					    "%s %s/%s selects no scanned pod of its namespace: its pods carry label %s, "
					    "never with the value it names, so it isolates nothing the files hold (pods an "
					    "operator or controller makes from an object the scan does not model, such as a "
					    "Prometheus or a database cluster; or a typo or a renamed app, which leaves the pods "
					    "it was meant for open)",
					    kind, np->ns, np->name, key);
			continue;
		}
		uintptr_t count = (uintptr_t)tm_hmap_get(&idle, np->ns, strlen(np->ns));
		size_t more = count > 2 ? (size_t)count - 2 : 0;
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, np->loc,
			    "%s %s/%s%s applies in namespace %s, where no scanned workload runs: it protects "
			    "nothing the files hold",
			    kind, np->ns, np->name, more ? tm_arena_printf(ctx->scratch, " and %zu more", more) : "", np->ns);
	}
	tm_strbuf_dispose(&sb);
	tm_hmap_dispose(&populated);
	tm_hmap_dispose(&keys);
	tm_hmap_dispose(&said);
	tm_hmap_dispose(&idle);
}

tm_np_peer *tm_k8s__add_peer(tm_np_rule *r, size_t cap)
{
	if (r->npeers >= cap)
		return NULL;
	tm_np_peer *p = &r->peers[r->npeers++];
	memset(p, 0, sizeof(*p));
	p->loc = r->loc;
	return p;
}

void tm_k8s__said(tm_strbuf *b, const char *what)
{
	if (strstr(b->data ? b->data : "", what))
		return;
	tm_strbuf_printf(b, "%s%s", b->len ? "; " : "", what);
}

void tm_k8s__approx_note(tm_ingest_ctx *ctx, const struct tm_k8s_obj *o, const char *kind, const char *enforcer,
			 tm_strbuf *wider, tm_strbuf *narrower)
{
	if (wider->len || narrower->len)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, o->v),
			    "%s '%s' is read approximately:%s%s%s%s%s%s", kind, o->name,
			    wider->len ? " wider than " : "", wider->len ? enforcer : "",
			    wider->len ? " enforces it: " : "", wider->len ? wider->data : "",
			    !narrower->len ? "" : wider->len ? ". Narrower: " : tm_arena_printf(ctx->scratch, " narrower than %s enforces it: ", enforcer),
			    narrower->len ? narrower->data : "");
	tm_strbuf_dispose(wider);
	tm_strbuf_dispose(narrower);
}

void tm_k8s__netpols(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	tm_policy *pol = tm_mb_policy(ctx->mb);
	struct implicit imp = {NULL, NULL, NULL, {0}, 0};
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		if (!tm_k8s__is(o, "NetworkPolicy") || !well_formed(ctx, o->f, tm_map_get(o->v, "spec")))
			continue;
		tm_netpol *np = TM_PM_ADD(pol, netpols);
		if (!np)
			return;
		const tm_value *spec = tm_map_get(o->v, "spec");
		np->ns = tm_pm_strdup(pol->arena, o->ns);
		np->name = tm_pm_strdup(pol->arena, o->name);
		np->loc = tm_ingest__loc(o->f, o->v);
		if (o->ns_implicit)
			implicit_add(ctx, &imp, o, np->loc);
		const tm_value *ps = tm_map_get(spec, "podSelector");
		tm_ingest__selector(ctx, pol->arena, o->f, ps, &np->pods);
		if (!ps) {
			/* required by the API; treat as {} (every pod) as kubectl's defaulting would not */
			np->pods.present = true;
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, np->loc,
				    "network policy '%s' has no spec.podSelector; read as {} (every pod in "
				    "the namespace)", o->name);
		}
		const tm_value *types = tm_map_get(spec, "policyTypes");
		const tm_value *egress = tm_map_get(spec, "egress");
		if (types) {
			for (size_t t = 0; t < tm_value_len(types); t++) {
				const char *ty = tm_scalar_str(tm_seq_at(types, t), NULL);
				if (ty && strcmp(ty, "Ingress") == 0)
					np->ingress = true;
				else if (ty && strcmp(ty, "Egress") == 0)
					np->egress = true;
				else
					tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING,
						    tm_ingest__loc(o->f, tm_seq_at(types, t)),
						    "unknown policy type '%s' (Ingress or Egress)", ty ? ty : "");
			}
		} else {
			np->ingress = true;
			np->egress = egress != NULL;
		}
		rules(ctx, pol->arena, o->f, tm_map_get(spec, "ingress"), "from", &np->in, &np->nin);
		rules(ctx, pol->arena, o->f, egress, "to", &np->out, &np->nout);
	}
	implicit_flush(ctx, &imp);
	/* the pre-1.7 isolation annotation: still written, long ignored */
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		const tm_value *ann = tm_k8s__is(o, "Namespace")
					      ? tm_map_get(tm_map_get(tm_map_get(o->v, "metadata"), "annotations"),
							   "net.beta.kubernetes.io/network-policy")
					      : NULL;
		if (ann)
			tm_diag_add(ctx->diags, TM_EUNSUPPORTED, TM_LEVEL_WARNING, tm_ingest__loc(o->f, ann),
				    "namespace '%s' asks for isolation through net.beta.kubernetes.io/network-policy, "
				    "which Kubernetes ignores since 1.7: nothing is isolated by it (write a "
				    "default-deny NetworkPolicy)", o->name);
	}
	tm_k8s__cilium(ctx, k);
	tm_k8s__calico(ctx, k);
	tm_k8s__unread_mesh_authz(ctx, k);
	/* graph facts: which policies select each workload (the selection the freeze keeps too) */
	tm_pm_cands sel = {NULL, NULL};
	bool built = !tm_policy__netpol_selection(pol, &sel);
	bool *selects = built ? tm_calloc(pol->nnetpols + 1, sizeof(bool)) : NULL;
	for (size_t w = 0; built && w < pol->nworkloads; w++) {
		const tm_pm_workload *wl = &pol->workloads[w];
		tm_node *n = tm_mb_find(ctx->mb, wl->node_id);
		for (size_t c = sel.start[w]; selects && c < sel.start[w + 1]; c++)
			selects[sel.idx[c]] = true;
		if (!n || (wl->kind && strcmp(wl->kind, "CloudRunService") == 0)) /* no NetworkPolicy there */
			continue;
		bool in = false, out = false;
		for (size_t c = sel.start[w]; c < sel.start[w + 1]; c++) {
			const tm_netpol *np = &pol->netpols[sel.idx[c]];
			tm_mb_node_fact(ctx->mb, n, "network_policies", np->name, np->loc);
			in = in || np->ingress;
			out = out || np->egress;
		}
		/* a pod on the node's network is outside what pod policies isolate: its traffic is the
		 * node's (tm_policy__selecting_init yields nothing for it) */
		if (wl->host_network && sel.start[w] < sel.start[w + 1]) {
			const tm_netpol *np = &pol->netpols[sel.idx[sel.start[w]]];
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, np->loc,
				    "%s %s/%s selects %s/%s, which runs on the node's network (hostNetwork): a pod policy "
				    "does not isolate it, so its traffic is the node's and the policy is not applied to it",
				    np->kind ? np->kind : "NetworkPolicy", np->ns, np->name, wl->ns, wl->name);
			in = out = false;
		}
		tm_mb_node_bool(ctx->mb, n, "ingress_isolated", in);
		tm_mb_node_bool(ctx->mb, n, "egress_isolated", out);
	}
	if (selects)
		unselecting(ctx, pol, selects);
	tm_free(selects);
	tm_free(sel.start);
	tm_free(sel.idx);
}
