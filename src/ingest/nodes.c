/*
 * nodes.c - the node a workload can escape to, and what else runs there.
 *
 * Runs once after every ingester. A workload that hands its node over
 * (model/escape.c: privileged, a host path such as / or the runtime socket,
 * an escape-grade capability, hostPID) gets an "escapes-to" edge to the
 * element standing for the nodes it may run on, and that element a "hosts"
 * edge to every workload that may run there: whoever escapes holds their
 * service-account tokens, their mounted secrets and their network position,
 * and the reachability walks (analyze/reach.c) go on from there.
 *
 * Which pods share nodes, a documented approximation (docs/analysis.md):
 *   - Kubernetes: one pool, "identity:node:k8s", holds every pod, pinned by
 *     nodeSelector, nodeName or node affinity or not: a pin chooses nodes but
 *     keeps no other pod off them. A pod that is pinned and tolerates a taint
 *     is on dedicated nodes: its pool is "identity:node:k8s/<its pins>", shared
 *     with the pods of the same pins only. A DaemonSet runs on every node: it is
 *     in the main pool, and in every dedicated one when it tolerates taints.
 *   - Compose: one Docker host per project, "identity:node:compose/<project>".
 * Elements and edges exist only for pools some escaping workload reaches, so a
 * system without escapes is modelled as before. Cost: one pass over the nodes,
 * one edge per workload and pool it runs in (DaemonSets x dedicated pools).
 */
#include <stdlib.h>

#include "ingest.h"

struct wl {
	tm_node *n;
	const char *pool;   /* pool key */
	bool everywhere;    /* a DaemonSet that tolerates taints: on the dedicated pools too */
	bool escapes;
	tm_escape esc;
};

struct pool {
	const char *key, *boundary, *label;
	bool dedicated, needed;
	tm_node *node;
	tm_loc at; /* the first pin's place (dedicated pools) */
};

struct pivot {
	tm_ingest_ctx *ctx;
	tm_arena *a;
	struct wl *w;
	size_t nw, wcap;
	struct pool *p;
	size_t np, pcap;
	tm_hmap by_key; /* pool key -> index + 1 */
	int oom;
};

static const char *const *list(const tm_node *n, const char *key)
{
	const tm_attr *a = tm_node_attr_get(n, key);
	return a && a->type == TM_ATTR_LIST ? a->list : NULL;
}

static tm_loc fact_loc(const tm_node *n, const char *key)
{
	for (size_t i = 0; i < tm_node_fact_count(n); i++)
		if (strcmp(tm_node_fact(n, i)->key, key) == 0)
			return tm_node_fact(n, i)->loc;
	tm_loc none = {NULL, 0, 0, NULL};
	return none;
}

static struct pool *pool_get(struct pivot *pv, const char *key, const char *boundary, const char *label,
			     bool dedicated, tm_loc at)
{
	void *v = tm_hmap_get(&pv->by_key, key, strlen(key));
	if (v)
		return &pv->p[(uintptr_t)v - 1];
	if (TM_GROW(pv->p, pv->pcap, pv->np + 1) || tm_hmap_put(&pv->by_key, key, strlen(key), (void *)(uintptr_t)(pv->np + 1))) {
		pv->oom = 1;
		return NULL;
	}
	struct pool *p = &pv->p[pv->np++];
	memset(p, 0, sizeof(*p));
	p->key = key;
	p->boundary = boundary;
	p->label = label;
	p->dedicated = dedicated;
	p->at = at;
	return p;
}

/* The pool w runs in (main or dedicated), read from its scheduling facts. */
static void classify(struct pivot *pv, struct wl *w)
{
	const tm_node *n = w->n;
	const char *kind = tm_node_attr_str(n, "workload");
	if (kind && strcmp(kind, "compose-service") == 0) {
		const char *b = tm_node_boundary(n);
		const char *project = b && strncmp(b, "compose:", 8) == 0 ? b + 8 : b ? b : "default";
		char *key = tm_arena_printf(pv->a, "compose/%s", project);
		char *label = tm_arena_printf(pv->a, "the Docker host of compose project %s", project);
		if (key && label && pool_get(pv, key, b, label, false, fact_loc(n, "none")))
			w->pool = key;
		else
			pv->oom = 1;
		return;
	}
	if (kind && (strcmp(kind, "EcsService") == 0 || strcmp(kind, "EcsTaskDefinition") == 0)) {
		/* ECS: a Fargate task has a micro-VM of its own; EC2 tasks share the cluster's instances */
		const char *lt = tm_node_attr_str(n, "launch_type"), *cl = tm_node_attr_str(n, "cluster");
		bool fargate = lt && strcmp(lt, "FARGATE") == 0;
		char *key = fargate ? tm_arena_printf(pv->a, "ecs-fargate/%s", tm_node_id(n) + strlen("service:ecs:"))
				    : tm_arena_printf(pv->a, "ecs/%s", cl ? cl : tm_node_id(n) + strlen("service:ecs:"));
		char *label = fargate ? tm_arena_printf(pv->a, "the Fargate micro-VM of %s (no other task shares it)", tm_node_name(n))
				      : cl ? tm_arena_printf(pv->a, "the EC2 container instances of ECS cluster %s", cl)
					   : "the EC2 container instances of the cluster that runs the task";
		if (key && label && pool_get(pv, key, tm_node_boundary(n), label, false, fact_loc(n, "none")))
			w->pool = key;
		else
			pv->oom = 1;
		return;
	}
	const char *const *pins = list(n, "scheduling");
	bool tolerates = list(n, "tolerations") != NULL;
	w->everywhere = kind && strcmp(kind, "DaemonSet") == 0 && tolerates; /* else the main pool holds it */
	tm_loc none = {NULL, 0, 0, NULL};
	if (pins && pins[0] && tolerates) {
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_strbuf_puts(&sb, "k8s/");
		for (size_t i = 0; pins[i]; i++)
			tm_strbuf_printf(&sb, "%s%s", i ? "," : "", pins[i]);
		const char *key = sb.oom ? NULL : tm_arena_strdup(pv->a, sb.data);
		char *label = key ? tm_arena_printf(pv->a, "the dedicated nodes %s (tainted; only pods tolerating the taint)", key + 4) : NULL;
		tm_strbuf_dispose(&sb);
		if (key && label && pool_get(pv, key, "cluster", label, true, fact_loc(n, "scheduling")))
			w->pool = key;
		else
			pv->oom = 1;
		return;
	}
	if (pool_get(pv, "k8s", "cluster", "any node of the cluster (no taint keeps other pods off)", false, none))
		w->pool = "k8s";
	else
		pv->oom = 1;
}

static struct pool *pool_of(struct pivot *pv, const char *key)
{
	void *v = key ? tm_hmap_get(&pv->by_key, key, strlen(key)) : NULL;
	return v ? &pv->p[(uintptr_t)v - 1] : NULL;
}

static tm_node *pool_node(struct pivot *pv, struct pool *p)
{
	if (p->node)
		return p->node;
	tm_model_builder *mb = pv->ctx->mb;
	char *id = tm_arena_printf(pv->a, "identity:node:%s", p->key);
	if (!id)
		return NULL;
	if (p->boundary && strcmp(p->boundary, "cluster") == 0)
		tm_mb_boundary(mb, TM_BOUNDARY_CLUSTER, "cluster", "Kubernetes cluster", NULL);
	p->node = tm_mb_node(mb, TM_NODE_IDENTITY, id, p->label, p->boundary, p->at);
	if (p->node) {
		tm_mb_node_str(mb, p->node, "identity_type", strncmp(p->key, "compose/", 8) == 0 ? "docker-host" : "kubernetes-node");
		tm_mb_node_str(mb, p->node, "node_pool", p->key);
	}
	return p->node;
}

/* from -> to, kind, with one place and a reason. */
static void edge(struct pivot *pv, tm_node *from, tm_node *to, tm_edge_kind kind, tm_loc at, const char *why)
{
	if (!from || !to)
		return;
	tm_edge *e = tm_mb_edge(pv->ctx->mb, from, to, kind, at);
	if (e && why) {
		tm_mb_edge_str(pv->ctx->mb, e, "escape", why);
		tm_mb_add_evidence(pv->ctx->mb, to, at); /* the node element's evidence: the escapes */
	}
}

static void hosts(struct pivot *pv, struct pool *p, struct wl *w)
{
	if (p && p->needed)
		edge(pv, pool_node(pv, p), w->n, TM_EDGE_HOSTS,
		     tm_node_evidence_count(w->n) ? tm_node_evidence(w->n, 0) : p->at, NULL);
}

int tm_ingest__node_pivot(tm_ingest_ctx *ctx)
{
	tm_model_builder *mb = ctx->mb;
	const tm_model *m = mb ? tm_mb_model(mb) : NULL;
	if (!m)
		return 0;
	struct pivot pv;
	memset(&pv, 0, sizeof(pv));
	pv.ctx = ctx;
	pv.a = ctx->scratch;
	bool any = false;
	size_t nn = tm_model_node_count(m);
	for (size_t i = 0; i < nn && !pv.oom; i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) != TM_NODE_SERVICE || !tm_node_attr_str(n, "workload"))
			continue;
		if (TM_GROW(pv.w, pv.wcap, pv.nw + 1)) {
			pv.oom = 1;
			break;
		}
		struct wl *w = &pv.w[pv.nw++];
		memset(w, 0, sizeof(*w));
		w->n = tm_mb_find(mb, tm_node_id(n));
		w->escapes = tm_escape_of(n, &w->esc);
		any |= w->escapes;
	}
	if (!any || pv.oom)
		goto out;
	for (size_t i = 0; i < pv.nw && !pv.oom; i++)
		classify(&pv, &pv.w[i]);
	/* the pools an escape reaches: its own; every one for a DaemonSet that tolerates taints */
	bool all_dedicated = false;
	for (size_t i = 0; i < pv.nw && !pv.oom; i++) {
		struct wl *w = &pv.w[i];
		if (!w->escapes)
			continue;
		struct pool *p = pool_of(&pv, w->pool);
		if (p)
			p->needed = true;
		all_dedicated |= w->everywhere;
	}
	for (size_t k = 0; k < pv.np && all_dedicated; k++)
		pv.p[k].needed |= pv.p[k].dedicated;
	for (size_t i = 0; i < pv.nw && !pv.oom; i++) {
		struct wl *w = &pv.w[i];
		struct pool *own = pool_of(&pv, w->pool);
		if (w->escapes) {
			char *why = tm_arena_printf(pv.a, "%s %s", w->esc.why, w->esc.what);
			edge(&pv, w->n, pool_node(&pv, own), TM_EDGE_ESCAPES, w->esc.at, why);
			for (size_t k = 0; k < pv.np && w->everywhere; k++)
				if (pv.p[k].dedicated)
					edge(&pv, w->n, pool_node(&pv, &pv.p[k]), TM_EDGE_ESCAPES, w->esc.at, why);
		}
		hosts(&pv, own, w);
		for (size_t k = 0; k < pv.np && w->everywhere; k++)
			if (pv.p[k].dedicated)
				hosts(&pv, &pv.p[k], w);
	}
out:
	tm_free(pv.w);
	tm_free(pv.p);
	tm_hmap_dispose(&pv.by_key);
	return pv.oom || (pv.a && tm_arena_failed(pv.a)) ? TM_ENOMEM : 0;
}
