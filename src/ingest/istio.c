/*
 * istio.c - Istio configuration: security policy into the policy model,
 * routing into the graph.
 *
 *   PeerAuthentication, RequestAuthentication, AuthorizationPolicy
 *       -> tm_peerauth / tm_reqauth / tm_authzpol (evaluated by analyze/query.c)
 *   Gateway -> gateway node "gateway:istio:<ns>/<name>"; internet routes-> it when
 *       it selects an ingress gateway
 *   VirtualService -> tm_vservice; bound to a Gateway: gateway routes-> the
 *       workloads behind each destination host, with the matched paths
 *   DestinationRule -> `client_tls_mode` on the destination workloads; TLS originated with
 *       insecureSkipVerify -> `tls_unverified` on them, or on a ServiceEntry host's external node
 *   ServiceEntry -> external nodes (MESH_EXTERNAL hosts are third parties)
 * Resources that shape traffic but not trust (Sidecar, EnvoyFilter, Telemetry,
 * WasmPlugin, ProxyConfig) are recognised and not modelled.
 *
 * Documents are kept until finish(): a VirtualService names Gateways and
 * Services that may come later in the scan, and Kubernetes finishes first.
 * A document re-applied under the same kind/namespace/name replaces the
 * earlier one, as `kubectl apply` would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "k8s.h"

/* What a VirtualService whose gateways serve none of its hosts is left bound to: no gateway, and
 * not the mesh either. */
#define UNSERVED "(no gateway serves its hosts)"

static bool istio_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
		      const char *detail)
{
	static const char *const kinds[] = {"PeerAuthentication", "RequestAuthentication",
					    "AuthorizationPolicy", "Gateway", "VirtualService",
					    "DestinationRule", "ServiceEntry"};
	static const char *const versions[] = {"v1alpha1", "v1alpha2", "v1alpha3", "v1beta1", "v1"};
	tm_objs *s = state;
	bool known = false;
	for (size_t i = 0; i < TM_ARRAY_LEN(kinds); i++)
		known = known || strcmp(detail, kinds[i]) == 0;
	if (!s || !known)
		return false;
	/* a version Istio does not serve (a typo: v1aplha3) is refused by the API server: said, and the
	 * object read as written */
	const tm_value *av = tm_map_get(root, "apiVersion");
	const char *api = tm_scalar_str(av, NULL), *slash = api ? strrchr(api, '/') : NULL;
	bool served = false;
	for (size_t i = 0; slash && i < TM_ARRAY_LEN(versions); i++)
		served = served || strcmp(slash + 1, versions[i]) == 0;
	if (slash && !served)
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, av),
			    "apiVersion '%.80s' is no version Istio serves (v1alpha3, v1beta1, v1...): the API "
			    "server refuses this %s; it is read as if the version were right", api, detail);
	return tm_objs__add(ctx, s, f, root, detail);
}

/* -1 for a mode Istio's validation rejects (the policy is then not applied at all). */
static int mtls_mode(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *v)
{
	const char *m = tm_scalar_str(v, NULL);
	if (!m || strcmp(m, "UNSET") == 0)
		return TM_MTLS_UNSET;
	if (strcmp(m, "PERMISSIVE") == 0)
		return TM_MTLS_PERMISSIVE;
	if (strcmp(m, "STRICT") == 0)
		return TM_MTLS_STRICT;
	if (strcmp(m, "DISABLE") == 0)
		return TM_MTLS_DISABLE;
	tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, v),
		    "unknown mTLS mode '%s' (UNSET, PERMISSIVE, STRICT or DISABLE): Istio rejects this "
		    "policy, so it is not evaluated", m);
	return -1;
}

static void selector(tm_ingest_ctx *ctx, tm_arena *a, const tm_obj *d, tm_selector *out)
{
	const tm_value *sel = tm_map_get(tm_map_get(d->v, "spec"), "selector");
	tm_ingest__selector(ctx, a, d->f, sel, out);
	/* `selector: {}` or no matchLabels applies to the whole namespace, like no selector */
	if (out->present && !out->n && !out->invalid)
		out->present = false;
}

/* A selector of the pods whose label key is one of values (n of them, copied into a). */
static void select_label(tm_arena *a, tm_selector *sel, const char *key, const char **values, size_t n)
{
	tm_sel_req *r = tm_arena_alloc(a, sizeof(*r));
	const char **v = tm_arena_alloc(a, (n + 1) * sizeof(*v));
	if (!r || !v)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = tm_pm_strdup(a, values[i]);
	*r = (tm_sel_req){tm_pm_strdup(a, key), TM_SEL_IN, {v, n, true}};
	*sel = (tm_selector){true, r, 1, false};
}

/* Services by "ns/name" and workloads by label, built at the first lookup (Kubernetes has finished:
 * the tables are whole): a policy's targetRef, a route's host costs its matches. */
struct route_index {
	tm_hmap svc, wl;
	tm_strbuf key;
	bool built;
	tm_hmap ns; /* namespace name -> its tm_pm_namespace (the policy's index is built at freeze) */
};

static void index_built(tm_ingest_ctx *ctx, const tm_policy *pol, struct route_index *ix)
{
	if (ix->built)
		return;
	ix->built = true;
	if (tm_policy__service_chains(ctx->scratch, pol, &ix->svc) || tm_policy__workload_chains(ctx->scratch, pol, &ix->wl))
		tm_arena_set_failed(ctx->scratch);
	for (size_t i = pol->nnamespaces; i-- > 0;) /* the first of a name wins, as the freeze's index has it */
		if (tm_hmap_put(&ix->ns, pol->namespaces[i].name, strlen(pol->namespaces[i].name), (void *)&pol->namespaces[i]))
			tm_arena_set_failed(ctx->scratch);
}

/* The waypoint Service ns/name uses, as its labels and its namespace's say (istio.io/use-waypoint),
 * into *by ("Service", "namespace"); NULL when none (the Gateways are read later: the name only). */
static const char *service_waypoint(tm_ingest_ctx *ctx, const tm_policy *pol, struct route_index *ix, const char *ns,
				    const char *name, const char **by)
{
	const tm_pm_service *s = NULL;
	index_built(ctx, pol, ix);
	tm_strbuf_reset(&ix->key);
	tm_strbuf_printf(&ix->key, "%s/%s", ns, name);
	for (const struct tm_pm_chain *c = ix->key.oom ? NULL : tm_hmap_get(&ix->svc, ix->key.data, ix->key.len);
	     c && !s; c = c->next)
		if (strcmp(pol->services[c->i].ns, ns) == 0 && strcmp(pol->services[c->i].name, name) == 0)
			s = &pol->services[c->i];
	const tm_pm_namespace *pn = tm_hmap_get(&ix->ns, ns, strlen(ns));
	const char *wp = s ? tm_labels_get(&s->labels, "istio.io/use-waypoint") : NULL;
	*by = "Service";
	if (!wp && pn) {
		wp = tm_labels_get(&pn->labels, "istio.io/use-waypoint");
		*by = "namespace";
	}
	if (wp && strcmp(wp, "none") == 0)
		*by = "none";
	return wp && *wp && strcmp(wp, "none") != 0 ? wp : NULL;
}

/* A policy attached by targetRef(s) instead of a selector (Istio rejects both together): sidecars and
 * ztunnel ignore it (*attached). Attached to Gateway API Gateways, it applies at their pods, which
 * Istio deploys labelled gateway.networking.k8s.io/gateway-name: <name> (a query from the internet
 * through such a Gateway stands in for them when they are not scanned; an ambient waypoint is such a
 * Gateway), not to the namespace's workloads; attached to Services, the waypoint each uses enforces
 * it for traffic to them (svcs; the query finds the waypoint), and one that uses none leaves it
 * enforced nowhere (a warning). Other kinds (GatewayClass, ServiceEntry): evaluated as if it applied
 * to the whole namespace. Each case is said in a note. what: "authorization", "request
 * authentication". */
static void target_refs(tm_ingest_ctx *ctx, tm_policy *pol, struct route_index *ix, const tm_obj *d,
			const tm_value *spec, tm_selector *sel, bool *attached, tm_strs *svcs, const char *what)
{
	const tm_value *one = tm_map_get(spec, "targetRef"), *refs = tm_map_get(spec, "targetRefs");
	size_t n = one ? 1 : tm_value_len(refs), ngw = 0, other = 0;
	const char *gws[16];
	svcs->items = tm_arena_alloc(pol->arena, (n + 1) * sizeof(*svcs->items));
	svcs->n = 0;
	for (size_t i = 0; i < n; i++) {
		const tm_value *ref = one ? one : tm_seq_at(refs, i);
		const char *kind = tm_map_get_str(ref, "kind"), *name = tm_map_get_str(ref, "name");
		const char *group = tm_map_get_str(ref, "group");
		if (kind && name && strcmp(kind, "Gateway") == 0 && group && strcmp(group, "gateway.networking.k8s.io") == 0 &&
		    ngw < TM_ARRAY_LEN(gws))
			gws[ngw++] = name;
		else if (kind && name && strcmp(kind, "Service") == 0 && (!group || !*group) && svcs->items)
			svcs->items[svcs->n++] = tm_pm_strdup(pol->arena, name);
		else
			other++;
	}
	tm_loc at = tm_ingest__loc(d->f, one ? one : refs);
	if (other || (!ngw && !svcs->n)) {
		svcs->n = 0;
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
			    "%s policy '%s' uses targetRefs this version does not place (a GatewayClass, a ServiceEntry, or "
			    "another kind); evaluated as if it applied to the whole namespace",
			    what, d->name);
		return;
	}
	*attached = true;
	svcs->present = svcs->n > 0;
	if (ngw) {
		select_label(pol->arena, sel, "gateway.networking.k8s.io/gateway-name", gws, ngw);
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
			    "%s policy '%s' is attached to Gateway%s %s%s: it applies at the gateway's pods (labelled "
			    "gateway.networking.k8s.io/gateway-name), to requests entering through it, not to the "
			    "workloads of namespace %s",
			    what, d->name, ngw > 1 ? "s" : "", gws[0], ngw > 1 ? " and others" : "", d->ns);
	} else {
		*sel = (tm_selector){true, NULL, 0, true}; /* no pod's own proxy enforces it */
	}
	for (size_t i = 0; i < svcs->n; i++) {
		const char *by, *wp = service_waypoint(ctx, pol, ix, d->ns, svcs->items[i], &by);
		if (wp)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
				    "%s policy '%s' is attached to Service %s: the waypoint it uses (%s, by its %s's "
				    "istio.io/use-waypoint) enforces it for traffic to the Service",
				    what, d->name, svcs->items[i], wp, by);
		else
			tm_diag_add(ctx->diags, 0, TM_LEVEL_WARNING, at,
				    "%s policy '%s' is attached to Service %s, which uses no waypoint in the scanned files "
				    "(%s): sidecars and ztunnel ignore a policy attached by targetRefs, so nothing enforces it",
				    what, d->name, svcs->items[i],
				    strcmp(by, "none") == 0 ? "istio.io/use-waypoint: none"
							    : "no istio.io/use-waypoint on it or its namespace");
	}
}

/* A selector naming a Gateway API Gateway's pods (gateway.networking.k8s.io/gateway-name), without
 * targetRefs: Istio does not apply such a policy to those pods (istioctl analyze's IST0166: "use the
 * targetRef field instead"), so it selects nothing; a warning says so. */
static void gateway_pods_selected(tm_ingest_ctx *ctx, const tm_obj *d, const tm_value *spec, tm_selector *sel,
				  const char *kind)
{
	if (!sel->present || tm_map_get(spec, "targetRef") || tm_map_get(spec, "targetRefs"))
		return;
	for (size_t k = 0; k < sel->n; k++)
		if (strcmp(sel->reqs[k].key, "gateway.networking.k8s.io/gateway-name") == 0) {
			tm_diag_add(ctx->diags, 0, TM_LEVEL_WARNING, tm_ingest__loc(d->f, tm_map_get(spec, "selector")),
				    "%s %s/%s selects a Gateway API gateway's pods by label: Istio does not apply a "
				    "selector to them (use targetRefs to the Gateway), so what it states is enforced "
				    "nowhere",
				    kind, d->ns, d->name);
			sel->invalid = true; /* selects nothing */
			return;
		}
}

static void peer_auth(tm_ingest_ctx *ctx, tm_policy *pol, const tm_obj *d)
{
	const tm_value *spec = tm_map_get(d->v, "spec");
	const tm_value *mode = tm_map_get(tm_map_get(spec, "mtls"), "mode");
	int m = mtls_mode(ctx, d->f, mode);
	const tm_value *pl = tm_map_get(spec, "portLevelMtls");
	for (size_t i = 0; i < tm_value_len(pl); i++)
		if (mtls_mode(ctx, d->f, tm_map_get(tm_map_value(pl, i), "mode")) < 0)
			m = -1;
	if (m < 0)
		return;
	tm_peerauth *pa = TM_PM_ADD(pol, peerauths);
	if (!pa)
		return;
	pa->ns = tm_pm_strdup(pol->arena, d->ns);
	pa->name = tm_pm_strdup(pol->arena, d->name);
	pa->loc = tm_ingest__loc(d->f, d->v);
	selector(ctx, pol->arena, d, &pa->sel);
	pa->mode = m;
	pa->mode_loc = mode ? tm_ingest__loc(d->f, mode) : pa->loc;
	size_t n = tm_value_len(pl);
	if (n && !pa->sel.present)
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(d->f, pl),
			    "portLevelMtls needs a workload selector; Istio ignores it here");
	if (!n || !pa->sel.present || !(pa->ports = tm_arena_alloc(pol->arena, n * sizeof(tm_pa_port))))
		return;
	for (size_t i = 0; i < n; i++) {
		int64_t port;
		if (tm_scalar_int(tm_map_key(pl, i), &port))
			continue;
		const tm_value *pm = tm_map_get(tm_map_value(pl, i), "mode");
		pa->ports[pa->nports].port = (int)port;
		const char *ms = tm_scalar_str(pm, NULL);
		pa->ports[pa->nports].mode = !ms || strcmp(ms, "UNSET") == 0 ? TM_MTLS_UNSET
					     : strcmp(ms, "PERMISSIVE") == 0 ? TM_MTLS_PERMISSIVE
					     : strcmp(ms, "STRICT") == 0     ? TM_MTLS_STRICT
									     : TM_MTLS_DISABLE;
		pa->ports[pa->nports].loc = tm_ingest__loc(d->f, pm ? pm : tm_map_key(pl, i));
		pa->nports++;
	}
}

static void req_auth(tm_ingest_ctx *ctx, tm_policy *pol, struct route_index *ix, const tm_obj *d)
{
	tm_reqauth *ra = TM_PM_ADD(pol, reqauths);
	if (!ra)
		return;
	ra->ns = tm_pm_strdup(pol->arena, d->ns);
	ra->name = tm_pm_strdup(pol->arena, d->name);
	ra->loc = tm_ingest__loc(d->f, d->v);
	selector(ctx, pol->arena, d, &ra->sel);
	const tm_value *spec = tm_map_get(d->v, "spec");
	gateway_pods_selected(ctx, d, spec, &ra->sel, "RequestAuthentication");
	if (tm_map_get(spec, "targetRef") || tm_map_get(spec, "targetRefs"))
		target_refs(ctx, pol, ix, d, spec, &ra->sel, &ra->attached, &ra->target_services, "request authentication");
	const tm_value *rules = tm_map_get(spec, "jwtRules");
	size_t n = tm_value_len(rules);
	ra->issuers.present = true;
	if (n && (ra->issuers.items = tm_arena_alloc(pol->arena, n * sizeof(char *))))
		for (size_t i = 0; i < n; i++) {
			const char *iss = tm_map_get_str(tm_seq_at(rules, i), "issuer");
			if (iss)
				ra->issuers.items[ra->issuers.n++] = tm_pm_strdup(pol->arena, iss);
		}
}

static void az_source(tm_arena *a, const tm_value *s, tm_az_source *out)
{
	out->principals = tm_ingest__strs(a, tm_map_get(s, "principals"));
	out->not_principals = tm_ingest__strs(a, tm_map_get(s, "notPrincipals"));
	out->request_principals = tm_ingest__strs(a, tm_map_get(s, "requestPrincipals"));
	out->not_request_principals = tm_ingest__strs(a, tm_map_get(s, "notRequestPrincipals"));
	out->namespaces = tm_ingest__strs(a, tm_map_get(s, "namespaces"));
	out->not_namespaces = tm_ingest__strs(a, tm_map_get(s, "notNamespaces"));
	out->ip_blocks = tm_ingest__strs(a, tm_map_get(s, "ipBlocks"));
	out->not_ip_blocks = tm_ingest__strs(a, tm_map_get(s, "notIpBlocks"));
	out->remote_ip_blocks = tm_ingest__strs(a, tm_map_get(s, "remoteIpBlocks"));
	out->not_remote_ip_blocks = tm_ingest__strs(a, tm_map_get(s, "notRemoteIpBlocks"));
}

static void az_op(tm_arena *a, const tm_value *o, tm_az_op *out)
{
	out->hosts = tm_ingest__strs(a, tm_map_get(o, "hosts"));
	out->not_hosts = tm_ingest__strs(a, tm_map_get(o, "notHosts"));
	out->ports = tm_ingest__strs(a, tm_map_get(o, "ports"));
	out->not_ports = tm_ingest__strs(a, tm_map_get(o, "notPorts"));
	out->methods = tm_ingest__strs(a, tm_map_get(o, "methods"));
	out->not_methods = tm_ingest__strs(a, tm_map_get(o, "notMethods"));
	out->paths = tm_ingest__strs(a, tm_map_get(o, "paths"));
	out->not_paths = tm_ingest__strs(a, tm_map_get(o, "notPaths"));
}

/* Would Istio's validation accept this AuthorizationPolicy's rules? */
static bool authz_well_formed(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *rules)
{
	static const char *const src_fields[] = {"principals", "notPrincipals", "requestPrincipals",
						 "notRequestPrincipals", "namespaces", "notNamespaces",
						 "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks"};
	static const char *const op_fields[] = {"hosts", "notHosts", "ports", "notPorts",
						"methods", "notMethods", "paths", "notPaths"};
	if (!tm_ingest__seq_of_maps(ctx, f, rules, "rules"))
		return false;
	for (size_t i = 0; i < tm_value_len(rules); i++) {
		const tm_value *r = tm_seq_at(rules, i);
		const tm_value *from = tm_map_get(r, "from"), *to = tm_map_get(r, "to"), *when = tm_map_get(r, "when");
		if (!tm_ingest__seq_of_maps(ctx, f, from, "from") || !tm_ingest__seq_of_maps(ctx, f, to, "to") ||
		    !tm_ingest__seq_of_maps(ctx, f, when, "when"))
			return false;
		for (size_t j = 0; j < tm_value_len(from); j++) {
			const tm_value *s = tm_map_get(tm_seq_at(from, j), "source");
			for (size_t k = 0; k < TM_ARRAY_LEN(src_fields); k++)
				if (!tm_ingest__seq_of_scalars(ctx, f, tm_map_get(s, src_fields[k]), src_fields[k]))
					return false;
		}
		for (size_t j = 0; j < tm_value_len(to); j++) {
			const tm_value *o = tm_map_get(tm_seq_at(to, j), "operation");
			for (size_t k = 0; k < TM_ARRAY_LEN(op_fields); k++)
				if (!tm_ingest__seq_of_scalars(ctx, f, tm_map_get(o, op_fields[k]), op_fields[k]))
					return false;
		}
		for (size_t j = 0; j < tm_value_len(when); j++) {
			const tm_value *c = tm_seq_at(when, j);
			if (!tm_ingest__seq_of_scalars(ctx, f, tm_map_get(c, "values"), "values") ||
			    !tm_ingest__seq_of_scalars(ctx, f, tm_map_get(c, "notValues"), "notValues"))
				return false;
		}
	}
	return true;
}

static void authz(tm_ingest_ctx *ctx, tm_policy *pol, struct route_index *ix, const tm_obj *d)
{
	static const char *const actions[] = {"ALLOW", "DENY", "CUSTOM", "AUDIT"};
	const tm_value *spec = tm_map_get(d->v, "spec");
	const tm_value *actv = tm_map_get(spec, "action");
	const char *act = tm_scalar_str(actv, NULL);
	size_t action = 0;
	while (act && action < TM_ARRAY_LEN(actions) && strcmp(act, actions[action]) != 0)
		action++;
	if (action == TM_ARRAY_LEN(actions)) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(d->f, actv),
			    "unknown authorization action '%s' (ALLOW, DENY, CUSTOM or AUDIT): Istio rejects "
			    "this policy, so it is not evaluated", act);
		return;
	}
	if (!authz_well_formed(ctx, d->f, tm_map_get(spec, "rules")))
		return;
	tm_authzpol *ap = TM_PM_ADD(pol, authzpols);
	if (!ap)
		return;
	tm_arena *a = pol->arena;
	ap->ns = tm_pm_strdup(a, d->ns);
	ap->name = tm_pm_strdup(a, d->name);
	ap->loc = tm_ingest__loc(d->f, d->v);
	selector(ctx, a, d, &ap->sel);
	gateway_pods_selected(ctx, d, spec, &ap->sel, "AuthorizationPolicy");
	ap->action = (int)action;
	const char *prov = tm_map_get_str(tm_map_get(spec, "provider"), "name");
	ap->provider = prov ? tm_pm_strdup(a, prov) : NULL;
	if (tm_map_get(spec, "targetRef") || tm_map_get(spec, "targetRefs"))
		target_refs(ctx, pol, ix, d, spec, &ap->sel, &ap->attached, &ap->target_services, "authorization");
	const tm_value *rules = tm_map_get(spec, "rules");
	ap->rules_present = rules != NULL;
	size_t n = tm_value_len(rules);
	if (!n || !(ap->rules = tm_arena_alloc(a, n * sizeof(tm_az_rule))))
		return;
	for (size_t i = 0; i < n; i++) {
		const tm_value *rv = tm_seq_at(rules, i);
		tm_az_rule *r = &ap->rules[ap->nrules++];
		r->loc = tm_ingest__loc(d->f, rv);
		const tm_value *from = tm_map_get(rv, "from"), *to = tm_map_get(rv, "to"),
			       *when = tm_map_get(rv, "when");
		if ((r->nfrom = tm_value_len(from)) && (r->from = tm_arena_alloc(a, r->nfrom * sizeof(tm_az_source))))
			for (size_t j = 0; j < r->nfrom; j++)
				az_source(a, tm_map_get(tm_seq_at(from, j), "source"), &r->from[j]);
		else
			r->nfrom = 0;
		if ((r->nto = tm_value_len(to)) && (r->to = tm_arena_alloc(a, r->nto * sizeof(tm_az_op))))
			for (size_t j = 0; j < r->nto; j++)
				az_op(a, tm_map_get(tm_seq_at(to, j), "operation"), &r->to[j]);
		else
			r->nto = 0;
		if ((r->nwhen = tm_value_len(when)) && (r->when = tm_arena_alloc(a, r->nwhen * sizeof(tm_az_cond))))
			for (size_t j = 0; j < r->nwhen; j++) {
				const tm_value *cv = tm_seq_at(when, j);
				const char *key = tm_map_get_str(cv, "key");
				r->when[j].key = tm_pm_strdup(a, key ? key : "");
				r->when[j].values = tm_ingest__strs(a, tm_map_get(cv, "values"));
				r->when[j].not_values = tm_ingest__strs(a, tm_map_get(cv, "notValues"));
				r->when[j].loc = tm_ingest__loc(d->f, cv);
			}
		else
			r->nwhen = 0;
	}
}

static void strmatch(tm_arena *a, const tm_value *v, tm_strmatch *out)
{
	static const char *const kinds[] = {"exact", "prefix", "regex"};
	static const int codes[] = {TM_SM_EXACT, TM_SM_PREFIX, TM_SM_REGEX};
	out->kind = TM_SM_ANY;
	for (size_t i = 0; v && i < TM_ARRAY_LEN(kinds); i++) {
		const char *t = tm_map_get_str(v, kinds[i]);
		if (t) {
			out->kind = codes[i];
			out->text = tm_pm_strdup(a, t);
			return;
		}
	}
}

/* A key of an inner mapping written beside it (`uri:` then `prefix: /` at its indentation): Istio
 * rejects the unknown field, so the route is not what it seems. One warning at the stray key. */
static void stray_key(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *item, const char *inner,
		      const char *const *keys)
{
	for (size_t k = 0; keys[k]; k++) {
		const tm_value *key = NULL;
		for (size_t i = 0; tm_value_kind_of(item) == TM_VALUE_MAP && i < tm_value_len(item) && !key; i++) {
			const char *name = tm_scalar_str(tm_map_key(item, i), NULL);
			if (name && strcmp(name, keys[k]) == 0)
				key = tm_map_key(item, i);
		}
		if (key) {
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, key),
				    "'%s' stands beside '%s', not under it (indentation?): Istio rejects this "
				    "VirtualService; the route is read without it", keys[k], inner);
			return;
		}
	}
}

static void routes(tm_ingest_ctx *ctx, tm_arena *a, const tm_file *f, const tm_value *list, tm_vs_route **out,
		   size_t *nout)
{
	static const char *const match_keys[] = {"prefix", "exact", "regex", NULL};
	static const char *const dest_keys[] = {"host", "subset", NULL};
	size_t n = tm_value_len(list);
	*nout = 0;
	if (!n || !(*out = tm_arena_alloc(a, n * sizeof(tm_vs_route))))
		return;
	for (size_t i = 0; i < n; i++) {
		const tm_value *rv = tm_seq_at(list, i);
		tm_vs_route *r = &(*out)[(*nout)++];
		r->loc = tm_ingest__loc(f, rv);
		r->direct_response = tm_map_get(rv, "redirect") || tm_map_get(rv, "directResponse");
		const tm_value *ms = tm_map_get(rv, "match");
		size_t nm = tm_value_len(ms);
		if (nm && (r->matches = tm_arena_alloc(a, nm * sizeof(tm_vs_match))))
			for (size_t j = 0; j < nm; j++) {
				const tm_value *mv = tm_seq_at(ms, j);
				stray_key(ctx, f, mv, "uri", match_keys);
				tm_vs_match *m = &r->matches[r->nmatches++];
				strmatch(a, tm_map_get(mv, "uri"), &m->uri);
				strmatch(a, tm_map_get(mv, "method"), &m->method);
				const tm_value *hs = tm_map_get(mv, "headers");
				for (size_t h = 0; h < tm_value_len(hs) && m->nheaders < 8; h++) {
					m->header_names[m->nheaders] =
						tm_pm_strdup(a, tm_scalar_str(tm_map_key(hs, h), NULL));
					strmatch(a, tm_map_value(hs, h), &m->headers[m->nheaders]);
					m->nheaders++;
				}
				int64_t port;
				if (!tm_scalar_int(tm_map_get(mv, "port"), &port))
					m->port = (int)port;
				m->gateways = tm_ingest__strs(a, tm_map_get(mv, "gateways"));
			}
		const tm_value *rs = tm_map_get(rv, "route");
		size_t nd = tm_value_len(rs);
		if (nd && (r->dest_hosts = tm_arena_alloc(a, nd * sizeof(char *))) &&
		    (r->dest_ports = tm_arena_alloc(a, nd * sizeof(int))))
			for (size_t j = 0; j < nd; j++) {
				const tm_value *dv = tm_map_get(tm_seq_at(rs, j), "destination");
				const char *host = tm_map_get_str(dv, "host");
				if (!host) {
					stray_key(ctx, f, tm_seq_at(rs, j), "destination", dest_keys);
					continue;
				}
				int64_t port = 0;
				tm_scalar_int(tm_map_get(tm_map_get(dv, "port"), "number"), &port);
				r->dest_hosts[r->ndest] = tm_pm_strdup(a, host);
				r->dest_ports[r->ndest] = (int)port;
				r->ndest++;
			}
	}
}

static void vservice(tm_ingest_ctx *ctx, tm_policy *pol, const tm_obj *d)
{
	tm_vservice *vs = TM_PM_ADD(pol, vservices);
	if (!vs)
		return;
	tm_arena *a = pol->arena;
	const tm_value *spec = tm_map_get(d->v, "spec");
	vs->ns = tm_pm_strdup(a, d->ns);
	vs->name = tm_pm_strdup(a, d->name);
	vs->loc = tm_ingest__loc(d->f, d->v);
	vs->hosts = tm_ingest__strs(a, tm_map_get(spec, "hosts"));
	vs->gateways = tm_ingest__strs(a, tm_map_get(spec, "gateways"));
	routes(ctx, a, d->f, tm_map_get(spec, "http"), &vs->http, &vs->nhttp);
	const tm_value *tcp = tm_map_get(spec, "tcp");
	if (!tcp)
		tcp = tm_map_get(spec, "tls");
	routes(ctx, a, d->f, tcp, &vs->tcp, &vs->ntcp);
}

static bool ingress_selector(const tm_labels *sel)
{
	for (size_t i = 0; i < sel->n; i++)
		if (strstr(sel->items[i].value, "ingress"))
			return true;
	return false;
}

/* The pod templates of the scan by each "key=value" of their labels, for Gateway selectors and for
 * the policies whose selector selects nothing: built once, by the first that needs it. */
struct wl_chain {
	const tm_pm_workload *w;
	struct wl_chain *next;
};

static int index_workloads(tm_ingest_ctx *ctx, const tm_policy *pol, tm_hmap *by_label)
{
	for (size_t i = 0; i < pol->nworkloads; i++) {
		const tm_pm_workload *w = &pol->workloads[i];
		for (size_t l = 0; l < w->labels.n; l++) {
			const char *k = tm_arena_printf(ctx->scratch, "%s=%s", w->labels.items[l].key, w->labels.items[l].value);
			struct wl_chain *c = tm_arena_alloc(ctx->scratch, sizeof(*c));
			if (!k || !c)
				return TM_ENOMEM;
			c->w = w;
			c->next = tm_hmap_get(by_label, k, strlen(k));
			if (tm_hmap_put(by_label, k, strlen(k), c))
				return TM_ENOMEM;
		}
	}
	return 0;
}

/* Where the ingress gateway pods a Gateway selects are reached from, when the scan holds them: the
 * private network when every Service exposing them is an internal load balancer (its annotation in
 * *why), else the internet (the pods exposed to it, or none in the scan: the usual install). */
static tm_node *gateway_entry(tm_ingest_ctx *ctx, const tm_policy *pol, const tm_istio_gw *gw, tm_hmap *by_label,
			      const char **why)
{
	*why = NULL;
	if (!gw->selector.n)
		return tm_ingest__internet(ctx);
	if (!by_label->count && index_workloads(ctx, pol, by_label))
		tm_arena_set_failed(ctx->scratch);
	const tm_label *first = &gw->selector.items[0];
	char key[512];
	tm_formatf(key, sizeof(key), "%s=%s", first->key, first->value);
	bool internet = false;
	const char *internal = NULL;
	for (const struct wl_chain *c = tm_hmap_get(by_label, key, strlen(key)); c && !internet; c = c->next) {
		if (!tm_labels_subset(&gw->selector, &c->w->labels))
			continue;
		const char *in = tm_hmap_get(&ctx->balanced, c->w->node_id, strlen(c->w->node_id));
		if (in && in != tm_ingest__public_lb)
			internal = internal ? internal : in;
		else
			internet = true; /* a public load balancer, or none in the scan: the usual assumption */
	}
	if (internal && !internet) {
		*why = internal;
		return tm_ingest__private_network(ctx);
	}
	return tm_ingest__internet(ctx);
}

static void gateway(tm_ingest_ctx *ctx, tm_objs *s, tm_policy *pol, const tm_obj *d, tm_hmap *by_label)
{
	tm_istio_gw *gw = TM_PM_ADD(pol, gateways);
	if (!gw)
		return;
	tm_arena *a = pol->arena;
	const tm_value *spec = tm_map_get(d->v, "spec");
	gw->ns = tm_pm_strdup(a, d->ns);
	gw->name = tm_pm_strdup(a, d->name);
	gw->loc = tm_ingest__loc(d->f, d->v);
	tm_ingest__labels(a, tm_map_get(spec, "selector"), &gw->selector);
	const tm_value *servers = tm_map_get(spec, "servers");
	size_t ns = tm_value_len(servers), nh = 0;
	for (size_t i = 0; i < ns; i++)
		nh += tm_value_len(tm_map_get(tm_seq_at(servers, i), "hosts"));
	gw->hosts.present = true;
	gw->hosts.items = nh ? tm_arena_alloc(a, nh * sizeof(char *)) : NULL;
	gw->ports = ns ? tm_arena_alloc(a, ns * sizeof(int)) : NULL;
	char *id = tm_arena_printf(s->arena, "gateway:istio:%s/%s", d->ns, d->name);
	tm_node *n = id ? tm_mb_node(ctx->mb, TM_NODE_GATEWAY, id, d->name,
				     tm_arena_printf(s->arena, "namespace:%s", d->ns), gw->loc)
			: NULL;
	if (!n)
		return;
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_NAMESPACE, tm_node_boundary(n), d->ns, "cluster");
	tm_mb_node_str(ctx->mb, n, "namespace", d->ns);
	tm_mb_node_str(ctx->mb, n, "gateway_type", "istio-gateway");
	for (size_t i = 0; i < ns; i++) {
		const tm_value *sv = tm_seq_at(servers, i);
		const tm_value *hosts = tm_map_get(sv, "hosts");
		for (size_t h = 0; h < tm_value_len(hosts) && gw->hosts.items; h++) {
			const char *host = tm_scalar_str(tm_seq_at(hosts, h), NULL);
			if (!host)
				continue;
			gw->hosts.items[gw->hosts.n++] = tm_pm_strdup(a, host);
			tm_mb_node_list_add(ctx->mb, n, "hosts", host);
		}
		int64_t port;
		if (gw->ports && !tm_scalar_int(tm_map_get(tm_map_get(sv, "port"), "number"), &port))
			gw->ports[gw->nports++] = (int)port;
		const char *proto = tm_map_get_str(tm_map_get(sv, "port"), "protocol");
		const char *mode = tm_map_get_str(tm_map_get(sv, "tls"), "mode");
		if (mode && strcmp(mode, "PASSTHROUGH") != 0)
			gw->tls = true;
		if (proto)
			tm_mb_node_list_add(ctx->mb, n, "protocols", proto);
	}
	tm_mb_node_bool(ctx->mb, n, "tls", gw->tls);
	if (ingress_selector(&gw->selector)) {
		const char *internal = NULL;
		tm_node *in = gateway_entry(ctx, pol, gw, by_label, &internal);
		tm_edge *e = in ? tm_mb_edge(ctx->mb, in, n, TM_EDGE_ROUTES, gw->loc) : NULL;
		if (e)
			tm_mb_edge_str(ctx->mb, e, "via", "Istio Gateway");
		if (e && internal)
			tm_mb_edge_str(ctx->mb, e, "internal",
				       tm_arena_printf(s->arena, "its ingress gateway pods' Services are internal (%s)", internal));
	}
}

/* Services by "ns/name" and workloads by label, each chain in table order, built on the first host
 * looked up (tm_policy__service_chains, tm_policy__workload_chains), so a host costs its matches. */
/* Workloads behind a host name as a VirtualService in namespace ns means it, in table order of the
 * Services named, then of the workloads each selects. */
static void host_targets(tm_ingest_ctx *ctx, const tm_policy *pol, struct route_index *ix, const char *ns,
			 const char *host, void (*fn)(void *ud, const tm_pm_workload *w), void *ud)
{
	index_built(ctx, pol, ix);
	char h[256];
	tm_formatf(h, sizeof(h), "%s", host);
	char *tail = strstr(h, ".svc.cluster.local");
	if (tail)
		*tail = '\0';
	else if ((tail = strstr(h, ".svc")) && !tail[4])
		*tail = '\0';
	char *dot = strchr(h, '.');
	const char *sns = ns;
	if (dot) {
		*dot = '\0';
		sns = dot + 1;
		if (strchr(sns, '.'))
			return;
	}
	tm_strbuf_reset(&ix->key);
	tm_strbuf_printf(&ix->key, "%s/%s", sns, h);
	if (ix->key.oom)
		return;
	for (const struct tm_pm_chain *c = tm_hmap_get(&ix->svc, ix->key.data, ix->key.len); c; c = c->next) {
		const tm_pm_service *s = &pol->services[c->i];
		if (strcmp(s->ns, sns) != 0 || strcmp(s->name, h) != 0)
			continue;
		for (const struct tm_pm_chain *w = tm_policy__selected_chain(&ix->wl, sns, &s->selector, &ix->key); w;
		     w = w->next)
			if (strcmp(pol->workloads[w->i].ns, sns) == 0 &&
			    tm_labels_subset(&s->selector, &pol->workloads[w->i].labels))
				fn(ud, &pol->workloads[w->i]);
	}
}

struct route_ctx {
	tm_ingest_ctx *ctx;
	tm_node *gw;
	const tm_vservice *vs;
	const tm_vs_route *r;
	size_t hits; /* workloads the destinations so far reached */
};

static void route_to(void *ud, const tm_pm_workload *w)
{
	struct route_ctx *rc = ud;
	rc->hits++;
	tm_node *to = tm_mb_find(rc->ctx->mb, w->node_id);
	tm_edge *e = to ? tm_mb_edge(rc->ctx->mb, rc->gw, to, TM_EDGE_ROUTES, rc->r->loc) : NULL;
	if (!e)
		return;
	tm_mb_edge_str(rc->ctx->mb, e, "via", "Istio VirtualService");
	tm_mb_edge_list_add(rc->ctx->mb, e, "virtual_services", rc->vs->name);
	for (size_t i = 0; i < rc->vs->hosts.n; i++)
		tm_mb_edge_list_add(rc->ctx->mb, e, "hosts", rc->vs->hosts.items[i]);
	if (!rc->r->nmatches)
		tm_mb_edge_list_add(rc->ctx->mb, e, "paths", "/");
	for (size_t i = 0; i < rc->r->nmatches; i++) {
		const tm_strmatch *u = &rc->r->matches[i].uri;
		char buf[512];
		if (u->kind == TM_SM_ANY)
			tm_formatf(buf, sizeof(buf), "/");
		else {
			size_t tl = strlen(u->text);
			bool star = u->kind == TM_SM_PREFIX && (!tl || u->text[tl - 1] != '*');
			tm_formatf(buf, sizeof(buf), "%s%s%s", u->kind == TM_SM_REGEX ? "~" : "", u->text,
				 star ? "*" : "");
		}
		tm_mb_edge_list_add(rc->ctx->mb, e, "paths", buf);
	}
}

/* A gateway reference in a VirtualService: "name" (same namespace) or "ns/name". */
static const tm_istio_gw *find_gateway(const tm_policy *pol, const char *vs_ns, const char *ref)
{
	for (size_t i = 0; i < pol->ngateways; i++)
		if (tm_policy__names_gateway(&pol->gateways[i], vs_ns, ref))
			return &pol->gateways[i];
	return NULL;
}

static void link_routes(tm_ingest_ctx *ctx, tm_objs *s, const tm_policy *pol, struct route_index *ix)
{
	for (size_t v = 0; v < pol->nvservices; v++) {
		const tm_vservice *vs = &pol->vservices[v];
		for (size_t g = 0; g < vs->gateways.n; g++) {
			if (strcmp(vs->gateways.items[g], "mesh") == 0 || strcmp(vs->gateways.items[g], UNSERVED) == 0)
				continue;
			const tm_istio_gw *gw = find_gateway(pol, vs->ns, vs->gateways.items[g]);
			if (!gw) {
				/* a Gateway of that name in another namespace: a reference without "ns/" names
				 * the VirtualService's own (istio-tutorial applies both with -n; the files say
				 * neither) */
				const char *ref = vs->gateways.items[g], *other = NULL;
				for (size_t i = 0; !strchr(ref, '/') && i < pol->ngateways && !other; i++)
					if (strcmp(pol->gateways[i].name, ref) == 0)
						other = pol->gateways[i].ns;
				if (other)
					tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, vs->loc,
						    "virtual service '%s' (namespace %s) is bound to gateway '%s', which names "
						    "%s/%s: the Gateway of that name the files hold is in %s, so its routes are "
						    "not drawn (write '%s/%s', or place both in one namespace)",
						    vs->name, vs->ns, ref, vs->ns, ref, other, other, ref);
				else
					tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, vs->loc,
						    "virtual service '%s' is bound to gateway '%s', which was not scanned",
						    vs->name, ref);
				continue;
			}
			char *id = tm_arena_printf(s->arena, "gateway:istio:%s/%s", gw->ns, gw->name);
			tm_node *gn = id ? tm_mb_find(ctx->mb, id) : NULL;
			if (!gn)
				continue;
			struct route_ctx rc = {ctx, gn, vs, NULL, 0};
			for (int kind = 0; kind < 2; kind++) {
				const tm_vs_route *list = kind ? vs->tcp : vs->http;
				size_t n = kind ? vs->ntcp : vs->nhttp;
				for (size_t r = 0; r < n; r++) {
					rc.r = &list[r];
					for (size_t d = 0; d < list[r].ndest; d++) {
						const char *host = list[r].dest_hosts[d];
						size_t before = rc.hits;
						host_targets(ctx, pol, ix, vs->ns, host, route_to, &rc);
						/* a cluster name that reaches no workload: a typo, a Service not
						 * scanned, or the manifests placed in another namespace than the
						 * name says (a chart's release namespace is not in its files) */
						if (rc.hits == before && !tm_gw__public_host(host))
							tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, list[r].loc,
								    "virtual service %s/%s routes to '%s', which names no "
								    "workload of the scanned files: the route is not drawn",
								    vs->ns, vs->name, host);
					}
				}
			}
		}
	}
}

struct dr_ctx {
	tm_ingest_ctx *ctx;
	const char *key, *value; /* the fact */
	tm_loc loc;
};

static void dr_apply(void *ud, const tm_pm_workload *w)
{
	struct dr_ctx *dc = ud;
	tm_node *n = tm_mb_find(dc->ctx->mb, w->node_id);
	if (n)
		tm_mb_node_fact(dc->ctx->mb, n, dc->key, dc->value, dc->loc);
}

/* The fact on what host names: the workloads of the scanned Service it is, and the external node of
 * each ServiceEntry host it covers (a wildcard host covers several). */
static void dr_fact(struct dr_ctx *dc, const tm_objs *s, const tm_policy *pol, struct route_index *ix, const tm_obj *d,
		    const char *host)
{
	host_targets(dc->ctx, pol, ix, d->ns, host, dr_apply, dc);
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->items[i].kind, "ServiceEntry") != 0)
			continue;
		const tm_value *hosts = tm_map_get(tm_map_get(s->items[i].v, "spec"), "hosts");
		for (size_t h = 0; h < tm_value_len(hosts); h++) {
			const char *eh = tm_scalar_str(tm_seq_at(hosts, h), NULL);
			char *id = eh && tm_ingest__hosts_meet(host, eh) ? tm_arena_printf(s->arena, "external:%s", eh) : NULL;
			tm_node *n = id ? tm_mb_find(dc->ctx->mb, id) : NULL;
			if (n)
				tm_mb_node_fact(dc->ctx->mb, n, dc->key, dc->value, dc->loc);
		}
	}
}

/* One ClientTLSSettings (tls) of d, at where ("" for the rule's own, " port 443", " subset v1"): TLS
 * originated (SIMPLE or MUTUAL) with insecureSkipVerify: true is a tls_unverified fact at that line.
 * SIMPLE without caCertificates is not: since Istio 1.21 the sidecar verifies the server against the
 * operating system's CA bundle then (VERIFY_CERT_AT_CLIENT on by default). */
static void dr_unverified(struct dr_ctx *dc, const tm_objs *s, const tm_policy *pol, struct route_index *ix,
			  const tm_obj *d, const char *host, const tm_value *tls, const char *where)
{
	const char *mode = tm_map_get_str(tls, "mode");
	const tm_value *skip = tm_map_get(tls, "insecureSkipVerify");
	bool b;
	if (!mode || (strcmp(mode, "SIMPLE") != 0 && strcmp(mode, "MUTUAL") != 0) || !skip || tm_scalar_bool(skip, &b) || !b)
		return;
	dc->key = "tls_unverified";
	dc->value = tm_arena_printf(s->arena, "DestinationRule %s/%s%s: %s", d->ns, d->name, where, mode);
	dc->loc = tm_ingest__loc(d->f, skip);
	if (dc->value)
		dr_fact(dc, s, pol, ix, d, host);
}

/* A traffic policy's TLS settings and its ports' (portLevelSettings[].tls), each judged by dr_unverified;
 * sub names the subset whose policy it is, or NULL. */
static void dr_policy(struct dr_ctx *dc, const tm_objs *s, const tm_policy *pol, struct route_index *ix,
		      const tm_obj *d, const char *host, const tm_value *tp, const char *sub)
{
	const char *in = sub ? tm_arena_printf(s->arena, " subset %s", sub) : "";
	if (!in)
		return;
	dr_unverified(dc, s, pol, ix, d, host, tm_map_get(tp, "tls"), in);
	const tm_value *ports = tm_map_get(tp, "portLevelSettings");
	for (size_t i = 0; i < tm_value_len(ports); i++) {
		const tm_value *ps = tm_seq_at(ports, i);
		const char *num = tm_map_get_str(tm_map_get(ps, "port"), "number");
		const char *where = tm_arena_printf(s->arena, "%s port %s", in, num ? num : "?");
		if (where)
			dr_unverified(dc, s, pol, ix, d, host, tm_map_get(ps, "tls"), where);
	}
}

static void destination_rule(tm_ingest_ctx *ctx, const tm_objs *s, const tm_policy *pol, const tm_obj *d,
			     struct route_index *ix)
{
	const tm_value *spec = tm_map_get(d->v, "spec");
	const char *host = tm_map_get_str(spec, "host");
	if (!host)
		return;
	const tm_value *tp = tm_map_get(spec, "trafficPolicy");
	const tm_value *modev = tm_map_get(tm_map_get(tp, "tls"), "mode");
	const char *mode = tm_scalar_str(modev, NULL);
	struct dr_ctx dc = {ctx, "client_tls_mode", mode, tm_ingest__loc(d->f, modev)};
	if (mode)
		host_targets(ctx, pol, ix, d->ns, host, dr_apply, &dc);
	/* server verification switched off: the rule's policy, its ports', each subset's */
	dr_policy(&dc, s, pol, ix, d, host, tp, NULL);
	const tm_value *subsets = tm_map_get(spec, "subsets");
	for (size_t i = 0; i < tm_value_len(subsets); i++) {
		const tm_value *sub = tm_seq_at(subsets, i);
		const char *name = tm_map_get_str(sub, "name");
		dr_policy(&dc, s, pol, ix, d, host, tm_map_get(sub, "trafficPolicy"), name ? name : "?");
	}
}

static void service_entry(tm_ingest_ctx *ctx, tm_objs *s, const tm_obj *d)
{
	const tm_value *spec = tm_map_get(d->v, "spec");
	const char *location = tm_map_get_str(spec, "location");
	if (!location)
		location = "MESH_EXTERNAL";
	const tm_value *hosts = tm_map_get(spec, "hosts");
	bool external = strcmp(location, "MESH_EXTERNAL") == 0;
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
	for (size_t i = 0; i < tm_value_len(hosts); i++) {
		const tm_value *hv = tm_seq_at(hosts, i);
		const char *host = tm_scalar_str(hv, NULL);
		if (!host)
			continue;
		char *id = tm_arena_printf(s->arena, "external:%s", host);
		tm_node *n = id ? tm_mb_node(ctx->mb, TM_NODE_EXTERNAL, id, host,
					     external ? "internet" : "cluster", tm_ingest__loc(d->f, hv))
				: NULL;
		if (!n)
			continue;
		tm_mb_node_str(ctx->mb, n, "service_entry", d->name);
		tm_mb_node_str(ctx->mb, n, "location", location);
		const tm_value *ports = tm_map_get(spec, "ports");
		for (size_t p = 0; p < tm_value_len(ports); p++) {
			const char *num = tm_map_get_str(tm_seq_at(ports, p), "number");
			if (num)
				tm_mb_node_list_add(ctx->mb, n, "ports", num);
		}
	}
}

/* ---- VirtualService hosts a Gateway serves ------------------------------------------------------ */

/* A host as Istio compares it: a short name is the Service's in the VirtualService's namespace. */
static const char *full_host(tm_arena *a, const char *h, const char *ns)
{
	return strchr(h, '.') || strchr(h, '*') ? h : tm_arena_printf(a, "%s.%s.svc.cluster.local", h, ns);
}

/* Does Gateway g serve one of the hosts of vs? A Gateway host "ns/host" admits VirtualServices of
 * namespace ns only ("./host": the Gateway's own, "*\/host": any). */
static bool serves(tm_arena *a, const tm_istio_gw *g, const tm_vservice *vs)
{
	for (size_t i = 0; i < g->hosts.n; i++) {
		const char *gh = g->hosts.items[i], *slash = strchr(gh, '/');
		if (slash) {
			size_t nl = (size_t)(slash - gh);
			const char *want = nl == 1 && gh[0] == '.' ? g->ns : NULL;
			bool any = nl == 1 && gh[0] == '*';
			if (!any && !(want ? strcmp(want, vs->ns) == 0 : strlen(vs->ns) == nl && strncmp(gh, vs->ns, nl) == 0))
				continue;
			gh = slash + 1;
		}
		for (size_t k = 0; k < vs->hosts.n; k++)
			if (tm_ingest__hosts_meet(gh, full_host(a, vs->hosts.items[k], vs->ns)))
				return true;
	}
	return false;
}

/* A VirtualService bound to a Gateway that serves none of its hosts (istioctl analyze's IST0132):
 * the Gateway does not route them, so the binding is dropped (no edge, no route in a query), with
 * a note. */
static void unserved_hosts(tm_ingest_ctx *ctx, tm_policy *pol)
{
	for (size_t v = 0; v < pol->nvservices; v++) {
		tm_vservice *vs = &pol->vservices[v];
		size_t kept = 0;
		for (size_t i = 0; i < vs->gateways.n; i++) {
			const char *ref = vs->gateways.items[i];
			const tm_istio_gw *g = find_gateway(pol, vs->ns, ref);
			if (g && vs->hosts.n && !serves(ctx->scratch, g, vs)) { /* a Gateway without servers serves none */
				tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, vs->loc,
					    "virtual service %s/%s is bound to gateway %s/%s, which serves none of its hosts "
					    "(%s%s%s): the gateway does not route them, so its routes are not exposed there",
					    vs->ns, vs->name, g->ns, g->name, vs->hosts.items[0], vs->hosts.n > 1 ? ", ..." : "",
					    g->hosts.n ? "" : "; it has no server");
				continue;
			}
			vs->gateways.items[kept++] = ref;
		}
		if (vs->gateways.n && !kept) /* bound to gateways only, none serving it: not "mesh" either */
			vs->gateways.items[kept++] = UNSERVED;
		vs->gateways.n = kept;
	}
}

/* ---- policies whose selector selects nothing ------------------------------------------------- */

/* The policy's selector (in namespace ns; NULL: every namespace, for the root namespace's): does it
 * select a scanned Kubernetes workload? Only the workloads holding its first matchLabels pair are
 * tried (by_label, index_workloads); Istio's selectors are matchLabels, so there is one. */
static bool selects_some(tm_ingest_ctx *ctx, const tm_hmap *by_label, const char *ns, const tm_selector *sel)
{
	const tm_sel_req *pair = NULL;
	for (size_t k = 0; k < sel->n && !pair; k++)
		if (sel->reqs[k].op == TM_SEL_IN && sel->reqs[k].values.n == 1)
			pair = &sel->reqs[k];
	if (!pair)
		return true; /* expressions only: not judged */
	char *key = tm_arena_printf(ctx->scratch, "%s=%s", pair->key, pair->values.items[0]);
	for (const struct wl_chain *c = key ? tm_hmap_get(by_label, key, strlen(key)) : NULL; c; c = c->next)
		if ((!c->w->kind || strcmp(c->w->kind, "compose-service") != 0) && (!ns || strcmp(c->w->ns, ns) == 0) &&
		    tm_selector_matches(sel, &c->w->labels))
			return true;
	return !key; /* out of memory: nothing said */
}

/* A policy whose selector selects no workload of its namespace that the scan holds (istioctl
 * analyze's IST0127): what it states is enforced nowhere. Said only when the scan holds workloads
 * of that namespace (of any, for the root namespace's), else the pods are simply elsewhere. */
static void unselected(tm_ingest_ctx *ctx, const tm_policy *pol, const char *kind, const char *ns, const char *name,
		       const tm_selector *sel, tm_loc loc, const tm_hmap *by_label, const tm_hmap *wl_ns)
{
	if (!sel->present || sel->invalid || !sel->n)
		return;
	/* a gateway's pods (istio: ingressgateway, app: istio-egressgateway, a Gateway API Gateway's) are
	 * installed with Istio, rarely with the application: not looked for */
	for (size_t k = 0; k < sel->n; k++)
		for (size_t v = 0; v < sel->reqs[k].values.n; v++)
			if (strstr(sel->reqs[k].values.items[v], "gateway") ||
			    strcmp(sel->reqs[k].key, "gateway.networking.k8s.io/gateway-name") == 0)
				return;
	bool root = pol->root_ns && strcmp(ns, pol->root_ns) == 0;
	if (!(root ? wl_ns->count : tm_hmap_get(wl_ns, ns, strlen(ns)) != NULL) ||
	    selects_some(ctx, by_label, root ? NULL : ns, sel))
		return;
	tm_diag_add(ctx->diags, 0, TM_LEVEL_WARNING, loc,
		    "%s %s/%s selects no workload: no pod %s%s in the scanned files has the labels it selects, so what "
		    "it states is enforced nowhere (a typo in a label, or a workload renamed?)",
		    kind, ns, name, root ? "of any namespace" : "of namespace ", root ? "" : ns);
}

/* The namespaces the scan knows: its Namespace objects, its workloads', its Istio objects' and the
 * mesh's root namespace, where Istio itself runs (unique, in a). */
static const char **known_namespaces(tm_ingest_ctx *ctx, const tm_policy *pol, const tm_objs *objs, tm_hmap *seen,
				     size_t *n)
{
	size_t total = pol->nnamespaces + pol->nworkloads + objs->n + 1;
	const char **out = tm_arena_alloc(ctx->scratch, (total + 1) * sizeof(*out));
	*n = 0;
	for (size_t i = 0; out && i < total; i++) {
		const char *ns = i < pol->nnamespaces ? pol->namespaces[i].name
				 : i < pol->nnamespaces + pol->nworkloads ? pol->workloads[i - pol->nnamespaces].ns
				 : i < total - 1 ? objs->items[i - pol->nnamespaces - pol->nworkloads].ns
						 : pol->root_ns;
		if (!ns || tm_hmap_get(seen, ns, strlen(ns)))
			continue;
		if (tm_hmap_put(seen, ns, strlen(ns), (void *)ns))
			tm_arena_set_failed(ctx->scratch);
		out[(*n)++] = ns;
	}
	return out;
}

/* A source namespace pattern of an AuthorizationPolicy that matches no namespace the scan knows
 * (istioctl analyze's IST0101): a grant, or an exception, that waits for whoever creates such a
 * namespace. Said only when the scan holds Namespace objects: the namespaces are then its to know. */
static void unknown_namespaces(tm_ingest_ctx *ctx, const tm_policy *pol, const tm_objs *objs)
{
	if (!pol->nnamespaces || !pol->nauthzpols)
		return;
	tm_hmap seen = TM_HMAP_INIT;
	size_t n = 0;
	const char **known = known_namespaces(ctx, pol, objs, &seen, &n);
	for (size_t i = 0; known && i < pol->nauthzpols; i++) {
		const tm_authzpol *p = &pol->authzpols[i];
		for (size_t r = 0; r < p->nrules; r++)
			for (size_t f = 0; f < p->rules[r].nfrom; f++)
				for (int not = 0; not < 2; not++) {
					const tm_strs *pats = not ? &p->rules[r].from[f].not_namespaces : &p->rules[r].from[f].namespaces;
					for (size_t k = 0; k < pats->n; k++) {
						const char *pat = pats->items[k];
						bool wild = strchr(pat, '*') != NULL, hit = !wild && tm_hmap_get(&seen, pat, strlen(pat));
						for (size_t j = 0; wild && j < n && !hit; j++)
							hit = tm_istio_str_match(pat, known[j]);
						if (hit || strcmp(pat, "*") == 0)
							continue;
						tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, p->rules[r].loc,
							    "AuthorizationPolicy %s/%s names source %snamespace '%s', which matches no "
							    "namespace of the scanned files: %s",
							    p->ns, p->name, not ? "(not) " : "", pat,
							    not ? "the exception waits for a namespace created later"
							    : p->action == TM_AZ_ALLOW ? "whoever creates such a namespace later is granted access"
										  : "the rule applies to no caller today");
					}
				}
	}
	tm_hmap_dispose(&seen);
}

static void istio_finish(tm_ingest_ctx *ctx, void *state)
{
	tm_objs *s = state;
	if (!s || !s->n)
		return;
	tm_policy *pol = tm_mb_policy(ctx->mb);
	pol->istio = true;
	tm_hmap by_label = TM_HMAP_INIT; /* pod templates by label, for Gateway selectors */
	struct route_index ix = {TM_HMAP_INIT, TM_HMAP_INIT, TM_STRBUF_INIT, false, TM_HMAP_INIT};
	for (size_t i = 0; i < s->n; i++) {
		const tm_obj *d = &s->items[i];
		if (strcmp(d->kind, "PeerAuthentication") == 0)
			peer_auth(ctx, pol, d);
		else if (strcmp(d->kind, "RequestAuthentication") == 0)
			req_auth(ctx, pol, &ix, d);
		else if (strcmp(d->kind, "AuthorizationPolicy") == 0)
			authz(ctx, pol, &ix, d);
		else if (strcmp(d->kind, "Gateway") == 0)
			gateway(ctx, s, pol, d, &by_label);
		else if (strcmp(d->kind, "VirtualService") == 0)
			vservice(ctx, pol, d);
		else if (strcmp(d->kind, "ServiceEntry") == 0)
			service_entry(ctx, s, d);
	}
	/* policies whose selector selects nothing: the namespaces the scan holds Kubernetes workloads of,
	 * and the workloads by label (built for the Gateways, or now) */
	tm_hmap wl_ns = TM_HMAP_INIT;
	if (pol->nauthzpols + pol->npeerauths + pol->nreqauths &&
	    (by_label.count || !index_workloads(ctx, pol, &by_label)))
		for (size_t w = 0; w < pol->nworkloads; w++) {
			const tm_pm_workload *pw = &pol->workloads[w];
			if ((!pw->kind || strcmp(pw->kind, "compose-service") != 0) &&
			    tm_hmap_put(&wl_ns, pw->ns, strlen(pw->ns), (void *)pw))
				tm_arena_set_failed(ctx->scratch);
		}
	for (size_t i = 0; i < pol->nauthzpols; i++)
		unselected(ctx, pol, "AuthorizationPolicy", pol->authzpols[i].ns, pol->authzpols[i].name,
			   &pol->authzpols[i].sel, pol->authzpols[i].loc, &by_label, &wl_ns);
	for (size_t i = 0; i < pol->npeerauths; i++)
		unselected(ctx, pol, "PeerAuthentication", pol->peerauths[i].ns, pol->peerauths[i].name,
			   &pol->peerauths[i].sel, pol->peerauths[i].loc, &by_label, &wl_ns);
	for (size_t i = 0; i < pol->nreqauths; i++)
		unselected(ctx, pol, "RequestAuthentication", pol->reqauths[i].ns, pol->reqauths[i].name,
			   &pol->reqauths[i].sel, pol->reqauths[i].loc, &by_label, &wl_ns);
	tm_hmap_dispose(&wl_ns);
	tm_hmap_dispose(&by_label);
	unknown_namespaces(ctx, pol, s);
	unserved_hosts(ctx, pol);
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->items[i].kind, "DestinationRule") == 0)
			destination_rule(ctx, s, pol, &s->items[i], &ix);
	link_routes(ctx, s, pol, &ix);
	tm_strbuf_dispose(&ix.key);
	tm_hmap_dispose(&ix.svc);
	tm_hmap_dispose(&ix.wl);
	tm_hmap_dispose(&ix.ns);
}

const tm_ingester tm_ingest__istio = {tm_objs__begin, istio_doc, istio_finish, tm_objs__end};
