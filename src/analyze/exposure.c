/*
 * exposure.c - who can reach each workload and operation, from reachability
 * rather than from labels: the internet walk, the partner walk, and for what
 * neither reaches, whether any workload may call it (a workload no
 * NetworkPolicy isolates is callable from the cluster; an isolated one is
 * asked who can call it).
 */
#include <stdlib.h>

#include "model/model.h"
#include "trustmap/paths.h"

/* One level per node of the model, by the node's position (tm_node.index): -1 for a node that is
 * neither a workload, a gateway nor an operation (or an operation linked to nothing). */
struct tm_exposure {
	const tm_model *m;
	signed char *level;
};

static const char *const level_names[] = {"none", "cluster", "partner", "internet"};

const char *tm_exposure_level_name(tm_exposure_level e)
{
	return (unsigned)e < TM_ARRAY_LEN(level_names) ? level_names[e] : "none";
}

int tm_exposure_level_parse(const char *name)
{
	for (size_t i = 0; name && i < TM_ARRAY_LEN(level_names); i++)
		if (tm_strcaseeq(name, level_names[i]))
			return (int)i;
	return -1;
}

void tm_exposure_free(tm_exposure *x)
{
	if (!x)
		return;
	tm_free(x->level);
	tm_free(x);
}

/* The node of x's model that n stands for: n itself, or (a node of another model, as a diff's other
 * side) the one with n's id; NULL when there is none. */
static const tm_node *own_node(const tm_exposure *x, const tm_node *n)
{
	return tm_model_node(x->m, n->index) == n ? n : tm_model_find(x->m, tm_node_id(n));
}

int tm_exposure_level_of(const tm_exposure *x, const tm_node *n)
{
	const tm_node *own = x && n ? own_node(x, n) : NULL;
	return own ? x->level[own->index] : -1;
}

const char *tm_exposure_of(const tm_exposure *x, const tm_node *n)
{
	int e = tm_exposure_level_of(x, n);
	return e < 0 ? NULL : level_names[e];
}

/* Reached from outside through routes only (entry point, gateways): exposed, not merely chained to.
 * By any way in: a service a route reaches is routed even when the walk entered it first by a call
 * from another exposed service (tm_hop.routed). */
static bool routed(const tm_reach *r, const tm_node *n)
{
	const tm_hop *h = tm_reach_find(r, n);
	return h && h->routed;
}

/*
 * May any workload call w? One not isolated by a NetworkPolicy: yes. An isolated one: when some
 * policy selecting it keeps an ingress rule (a rule admits someone). Linear in the policies, so
 * exposure stays linear in the model; `who-can-call` gives the exact callers.
 */
static bool cluster_callable(const tm_model *m, const tm_node *w)
{
	const tm_attr *iso = tm_node_attr_get(w, "ingress_isolated");
	if (!iso || !iso->num)
		return true;
	const tm_policy *pol = tm_model__policy(m);
	const char *ns = tm_node_attr_str(w, "namespace");
	const char *name = tm_node_attr_str(w, "workload") ? tm_node_name(w) : NULL;
	/* the policy model's entry for w, through its name index (not a pass over every workload) */
	for (const struct tm_pm_chain *c = name ? tm_policy__workloads_named(pol, name) : NULL; c; c = c->next) {
		const tm_pm_workload *wl = &pol->workloads[c->i];
		if (strcmp(wl->node_id, tm_node_id(w)) != 0)
			continue;
		tm_np_selecting it;
		tm_policy__selecting_init(&it, pol, wl);
		for (const tm_netpol *np; ns && (np = tm_policy__selecting_next(&it)) != NULL;)
			if (np->ingress && np->nin)
				return true;
	}
	return false;
}

int tm_exposure_run(tm_exposure **out, const tm_model *m)
{
	*out = NULL;
	tm_exposure *x = tm_calloc(1, sizeof(*x));
	tm_reach *net = NULL, *partner = NULL;
	const char *why;
	int rc = TM_ENOMEM;
	size_t count = tm_model_node_count(m);
	if (!x || !(x->level = tm_malloc(count + 1))) {
		tm_free(x);
		return TM_ENOMEM;
	}
	x->m = m;
	memset(x->level, -1, count + 1);
	if ((rc = tm_reach_run(&net, m, "internet", &why)) || (rc = tm_reach_run(&partner, m, "partner", &why)))
		goto done;
	/* workloads and gateways first, so operations can follow their service */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < tm_model_node_count(m); i++) {
			const tm_node *n = tm_model_node(m, i);
			bool workload = tm_node_kind_of(n) == TM_NODE_SERVICE && tm_node_attr_str(n, "workload");
			bool gateway = tm_node_kind_of(n) == TM_NODE_GATEWAY;
			bool op = tm_node_kind_of(n) == TM_NODE_ENDPOINT;
			int assumed = tm_node_kind_of(n) == TM_NODE_SERVICE && !workload
					      ? tm_exposure_level_parse(tm_node_attr_str(n, "exposure_assumed")) : -1;
			if ((pass == 0 && !workload && !gateway && assumed < 0) || (pass == 1 && !op))
				continue;
			tm_exposure_level e;
			if (assumed >= 0)
				e = (tm_exposure_level)assumed; /* an unlinked spec's service, as its ingester assumed */
			else if (routed(net, n))
				e = TM_EXPOSURE_INTERNET;
			else if (routed(partner, n))
				e = TM_EXPOSURE_PARTNER;
			else if (gateway) /* a gateway nothing outside reaches serves the cluster */
				e = TM_EXPOSURE_CLUSTER;
			else if (workload) /* a cloud function no route reaches: no cluster's pods call it either */
				e = tm_policy__workload_of(tm_model__policy(m), tm_node_id(n)) && cluster_callable(m, n)
					    ? TM_EXPOSURE_CLUSTER
					    : TM_EXPOSURE_NONE;
			else {
				const char *svc = tm_node_attr_str(n, "service");
				const tm_node *s = svc ? tm_model_find(m, svc) : NULL;
				int se = s ? tm_exposure_level_of(x, s) : -1;
				int svc_assumed = tm_exposure_level_parse(s ? tm_node_attr_str(s, "exposure_assumed") : NULL);
				if (svc_assumed >= 0) {
					/* a spec linked to no workload: where it runs is unknown; its ingester
					 * stated an assumption (the service's "assumed"), which stands */
					x->level[n->index] = (signed char)svc_assumed;
					continue;
				}
				if (se < 0)
					continue; /* linked to nothing, and no assumption stated */
				/* reached by the cluster, or reached from outside without this operation routed */
				e = se == TM_EXPOSURE_NONE ? TM_EXPOSURE_NONE : TM_EXPOSURE_CLUSTER;
			}
			x->level[n->index] = (signed char)e;
		}
	rc = 0;
done:
	tm_reach_free(net);
	tm_reach_free(partner);
	if (rc)
		tm_exposure_free(x);
	else
		*out = x;
	return rc;
}
