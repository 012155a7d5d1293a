/*
 * reach.c - breadth-first reachability from an attacker position (see
 * trustmap/paths.h). Network hops follow the model's edges (routes, calls)
 * and are checked with the query evaluator, so a path never crosses a
 * policy that `trustmap query` would say blocks it; identity hops follow the
 * RBAC capabilities the Kubernetes ingester located on each identity.
 *
 * Cost: the model's compact out-edge lists and namespace index are built once
 * when it is frozen, so one walk costs what it visits (hops and their out-edges,
 * read contiguously), never a pass over the whole graph; a namespace-scoped
 * grant visits that namespace's nodes, a cluster-wide one every node. A lone
 * walk allocates one slot per node; walks sharing a memo share its slots
 * (cleared per walk for what it entered) and its call verdicts.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyze.h"
#include "trustmap/query.h"

struct tm_reach {
	tm_arena *a;
	const tm_model *m;
	tm_hop *hops;
	size_t n, cap;
	size_t *slot;       /* per node index: hop index + 1, 0 when not entered */
	size_t nslots;      /* the model's node count */
	bool user;    /* the position holds a valid token */
	const char *source; /* query source name for route checks: "internet" */
	tm_reach_memo *memo; /* shared answers of call checks and the slot array, or NULL */
	size_t max_hops;     /* 0: unbounded; else the walk enters at most this many nodes */
	bool front_door;     /* an entry point or gateway was entered: routes into services count */
	bool truncated;      /* the bound stopped the walk */
	bool lean;           /* hops keep no evidence (walks sharing a memo: blast radius reads nodes only) */
	int oom;
};

/* The call verdicts of one model, shared by every memo made from the first (walks on several
 * threads): a verdict is published once its control's text is, and two threads that judge the same
 * edge at once store the same answer. */
struct verdicts {
	tm_arena *a;             /* the controls' texts, under mu */
	pthread_mutex_t mu;
	atomic_schar *call;      /* per out-edge position: 0 not asked yet, 1 allowed, -1 denied */
	const char *_Atomic *call_what; /* per out-edge position: the deciding control */
	atomic_size_t users;     /* memos sharing them: the last frees them */
};

/* Shared by the walks of one pass over one model (blast radius: one walk per workload), one walk
 * at a time: each call edge is judged once, and the node slot array is allocated once and cleared
 * by each walk for the nodes it entered (so a walk costs what it visits, not the model's size). */
struct tm_reach_memo {
	const tm_model *m;
	struct verdicts *v;
	size_t *slot;            /* lent to the walk in progress */
	bool lent;
};

static void verdicts_release(struct verdicts *v)
{
	if (!v || atomic_fetch_sub(&v->users, 1) != 1)
		return;
	tm_free((void *)v->call);
	tm_free((void *)v->call_what);
	tm_arena_free(v->a);
	pthread_mutex_destroy(&v->mu);
	tm_free(v);
}

tm_reach_memo *tm_reach__memo_new(const tm_model *m)
{
	return tm_reach__memo_sharing(m, NULL);
}

tm_reach_memo *tm_reach__memo_sharing(const tm_model *m, tm_reach_memo *with)
{
	tm_reach_memo *memo = tm_calloc(1, sizeof(*memo));
	if (!memo)
		return NULL;
	size_t ne = tm_model_edge_count(m), nn = tm_model_node_count(m);
	memo->m = m;
	memo->slot = tm_calloc(nn + 1, sizeof(*memo->slot));
	if (with && with->m == m) {
		memo->v = with->v;
		atomic_fetch_add(&memo->v->users, 1);
	} else if ((memo->v = tm_calloc(1, sizeof(*memo->v))) != NULL) {
		struct verdicts *v = memo->v;
		atomic_init(&v->users, 1);
		pthread_mutex_init(&v->mu, NULL);
		v->a = tm_arena_new();
		v->call = tm_calloc(ne + 1, sizeof(*v->call));
		v->call_what = tm_calloc(ne + 1, sizeof(*v->call_what));
		if (!v->a || !v->call || !v->call_what) {
			tm_reach__memo_free(memo);
			return NULL;
		}
	}
	if (!memo->v || !memo->slot) {
		tm_reach__memo_free(memo);
		return NULL;
	}
	return memo;
}

void tm_reach__memo_free(tm_reach_memo *memo)
{
	if (!memo)
		return;
	verdicts_release(memo->v);
	tm_free(memo->slot);
	tm_free(memo);
}

size_t tm_reach_count(const tm_reach *r) { return r ? r->n : 0; }
const tm_hop *tm_reach_at(const tm_reach *r, size_t i) { return r && i < r->n ? &r->hops[i] : NULL; }

const tm_hop *tm_reach_find(const tm_reach *r, const tm_node *n)
{
	if (!r || !n || !r->slot || n->index >= r->nslots)
		return NULL;
	/* by the node's index in its frozen model; a node of another model never matches */
	size_t v = r->slot[n->index];
	return v && r->hops[v - 1].node == n ? &r->hops[v - 1] : NULL;
}

void tm_reach_free(tm_reach *r)
{
	if (!r)
		return;
	if (r->memo && r->slot == r->memo->slot) { /* give the memo's slots back cleared */
		for (size_t i = 0; i < r->n; i++)
			r->slot[r->hops[i].node->index] = 0;
		r->memo->lent = false;
	} else {
		tm_free(r->slot);
	}
	tm_free(r->hops);
	tm_arena_free(r->a);
	tm_free(r);
}

static const char *dup(tm_reach *r, const char *s)
{
	const char *c = s ? tm_arena_strdup(r->a, s) : NULL;
	return c ? c : "";
}

const char *tm_seen_name(tm_seen s)
{
	static const char *const names[] = {"declared", "observed", "both"};
	return (unsigned)s < TM_ARRAY_LEN(names) ? names[s] : "declared";
}

/* A runtime map marks the calls it saw "observed" (a list of path:line), and the ones no file
 * declares also "observed_only" (ingest/runtime.c). */
tm_seen tm_edge_seen(const tm_edge *e)
{
	if (!e || !e->observed)
		return TM_SEEN_DECLARED;
	return e->observed_only ? TM_SEEN_OBSERVED : TM_SEEN_BOTH;
}

bool tm_model_has_observed(const tm_model *m)
{
	for (size_t i = 0; i < tm_model_edge_count(m); i++)
		if (tm_edge_seen(tm_model_edge(m, i)) != TM_SEEN_DECLARED)
			return true;
	return false;
}

/* Enter n (once); parent is the hop index it came from, or SIZE_MAX for a start. */
static void enter(tm_reach *r, const tm_node *n, size_t parent, const char *how, const char *enforced, tm_loc ev)
{
	if (!n || n->index >= r->nslots || tm_reach_find(r, n))
		return;
	if (r->max_hops && r->n >= r->max_hops) {
		r->truncated = true;
		return;
	}
	if (TM_GROW(r->hops, r->cap, r->n + 1)) {
		r->oom = 1;
		return;
	}
	r->slot[n->index] = r->n + 1;
	tm_hop *h = &r->hops[r->n++];
	if (tm_node_kind_of(n) == TM_NODE_ENTRYPOINT || tm_node_kind_of(n) == TM_NODE_GATEWAY)
		r->front_door = true;
	h->node = n;
	h->from = parent == SIZE_MAX ? NULL : r->hops[parent].node;
	h->how = how;
	h->enforced = enforced ? enforced : "none";
	h->evidence = ev;
	h->depth = parent == SIZE_MAX ? 0 : r->hops[parent].depth + 1;
	h->seen = TM_SEEN_DECLARED;
	h->routed = parent == SIZE_MAX ||
		    ((strcmp(how, "routes") == 0 || strcmp(how, "exposes") == 0) && r->hops[parent].routed);
}

static tm_loc edge_loc(const tm_edge *e)
{
	tm_loc none = {NULL, 0, 0, NULL};
	return tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : none;
}

/* The evidence a hop through e keeps: none in a lean walk (reading it is a cache miss per hop). */
static tm_loc hop_loc(const tm_reach *r, const tm_edge *e)
{
	tm_loc none = {NULL, 0, 0, NULL};
	return r->lean ? none : edge_loc(e);
}

/* A concrete path a route edge carries ("/api/v1/orders*" -> "/api/v1/orders"), or NULL. */
static const char *route_path(tm_reach *r, const tm_edge *e, size_t k)
{
	for (size_t a = 0; a < tm_edge_attr_count(e); a++) {
		const tm_attr *at = tm_edge_attr(e, a);
		if (strcmp(at->key, "paths") != 0 || at->type != TM_ATTR_LIST)
			continue;
		size_t seen = 0;
		for (size_t i = 0; at->list[i]; i++) {
			const char *p = at->list[i];
			size_t len = strlen(p);
			if (p[0] != '/' || (strchr(p, '*') && strchr(p, '*') != p + len - 1))
				continue;
			if (seen++ == k) {
				char *c = tm_arena_strndup(r->a, p, len && p[len - 1] == '*' && len > 1 ? len - 1 : len);
				return c;
			}
		}
	}
	return NULL;
}

/* Does the policy model hold w (a Kubernetes or compose workload: network and mesh policies may
 * stand between a route and it)? A cloud function does not: only its gateway's checks do. */
static bool policy_workload(const tm_model *m, const tm_node *w)
{
	return tm_policy__workload_of(tm_model__policy(m), tm_node_id(w)) != NULL;
}

/* Would a request from the position through route edge e reach workload w? *what: the deciding control. */
static bool route_ok(tm_reach *r, const tm_edge *e, const tm_node *w, const char **what)
{
	if (!policy_workload(r->m, w)) { /* no network or mesh policy applies: the route is taken */
		*what = "none";
		return true;
	}
	for (size_t k = 0; k < 8; k++) {
		const char *path = route_path(r, e, k);
		if (!path && k)
			break;
		tm_request req;
		memset(&req, 0, sizeof(req));
		req.source = r->source;
		req.destination = tm_node_id(w);
		req.path = path;
		req.token = r->user ? TM_TOKEN_VALID : TM_TOKEN_NONE;
		/* through that gateway, or from that way in (the private network: the query takes no
		 * internet client there unless the route is named) */
		const tm_node *from = tm_edge_from(e);
		if (tm_node_kind_of(from) == TM_NODE_GATEWAY ||
		    (tm_node_kind_of(from) == TM_NODE_ENTRYPOINT && strcmp(tm_node_id(from), "entrypoint:internet") != 0))
			req.via = tm_node_id(from);
		tm_verdict v;
		int rc = tm_query_can(&v, r->m, &req);
		bool ok = rc == 0 && (v.allowed || v.unknown);
		if (ok)
			*what = dup(r, v.decided_by ? v.decided_by : v.unknown ? "unknown (not decidable from the files)" : "none");
		if (rc == TM_ENOMEM)
			r->oom = 1;
		tm_verdict_dispose(&v);
		if (ok)
			return true;
		if (!path)
			break;
	}
	return false;
}

static bool call_ok_eval(tm_reach *r, const tm_node *from, const tm_node *to, const char **what);

/* Is the workload-to-workload call allowed by network and mesh policy? Asked once per edge when
 * walks share a memo (the answer depends on the model alone); pos is the edge's out-edge position. */
static bool call_ok(tm_reach *r, size_t pos, const tm_node *from, const tm_node *to, const char **what)
{
	if (!r->memo)
		return call_ok_eval(r, from, to, what);
	struct verdicts *v = r->memo->v;
	signed char known = atomic_load_explicit(&v->call[pos], memory_order_acquire);
	if (!known) {
		bool ok = call_ok_eval(r, from, to, what);
		pthread_mutex_lock(&v->mu);
		const char *copy = tm_arena_strdup(v->a, *what); /* the verdicts outlive the walks */
		pthread_mutex_unlock(&v->mu);
		if (!copy) {
			r->oom = 1;
			return false;
		}
		atomic_store_explicit(&v->call_what[pos], copy, memory_order_relaxed);
		atomic_store_explicit(&v->call[pos], (signed char)(ok ? 1 : -1), memory_order_release);
		*what = copy;
		return ok;
	}
	*what = atomic_load_explicit(&v->call_what[pos], memory_order_relaxed);
	return known > 0;
}

static bool call_ok_eval(tm_reach *r, const tm_node *from, const tm_node *to, const char **what)
{
	tm_request req;
	memset(&req, 0, sizeof(req));
	req.source = tm_node_id(from);
	req.destination = tm_node_id(to);
	tm_verdict v;
	int rc = tm_query_can(&v, r->m, &req);
	bool ok = rc == 0 ? v.allowed || v.unknown : rc == TM_ENOTFOUND; /* not a workload pair: the edge stands */
	*what = dup(r, rc == 0 && v.decided_by ? v.decided_by : "none");
	if (rc == TM_ENOMEM)
		r->oom = 1;
	tm_verdict_dispose(&v);
	return ok;
}

static bool is_workload(const tm_node *n)
{
	return n->is_workload; /* set when the model froze: a service with a "workload" attribute */
}

/* "read-secrets (in namespace shop)" -> ns "shop"; "(cluster-wide)" -> NULL with *cluster set. A
 * place may say how after a comma: "(cluster-wide, by impersonating ...)", "(in namespace shop, by
 * binding any role)". */
static bool cap_scope(const char *cap, const char *name, char *ns, size_t cap_ns, bool *cluster)
{
	size_t l = strlen(name);
	if (strncmp(cap, name, l) != 0 || cap[l] != ' ')
		return false;
	*cluster = strstr(cap, "(cluster-wide)") != NULL || strstr(cap, "(cluster-wide, ") != NULL;
	const char *p = strstr(cap, "(in namespace ");
	if (p) {
		p += 14;
		size_t k = 0;
		while (p[k] && p[k] != ')' && p[k] != ',' && k + 1 < cap_ns) {
			ns[k] = p[k];
			k++;
		}
		ns[k] = '\0';
	}
	return *cluster || p;
}

static void expand_identity(tm_reach *r, size_t idx)
{
	const tm_node *id = r->hops[idx].node;
	const tm_attr *caps = tm_node_attr_get(id, "rbac_capabilities");
	for (size_t c = 0; caps && caps->type == TM_ATTR_LIST && caps->list[c]; c++) {
		static const char *const secret_caps[] = {"read-secrets", "namespace-admin", "cluster-admin"};
		static const char *const pod_caps[] = {"pod-exec", "create-workloads", "namespace-admin", "cluster-admin"};
		tm_loc at = {NULL, 0, 0, NULL};
		for (size_t f = 0; f < tm_node_fact_count(id); f++)
			if (strcmp(tm_node_fact(id, f)->value, caps->list[c]) == 0)
				at = tm_node_fact(id, f)->loc;
		for (int kind = 0; kind < 2; kind++) {
			const char *const *names = kind ? pod_caps : secret_caps;
			size_t nn = kind ? TM_ARRAY_LEN(pod_caps) : TM_ARRAY_LEN(secret_caps);
			for (size_t k = 0; k < nn; k++) {
				char ns[256] = "";
				bool cluster = false;
				if (!cap_scope(caps->list[c], names[k], ns, sizeof(ns), &cluster))
					continue;
				/* the namespace's nodes from the model's index; cluster-wide, every node */
				size_t nt = tm_model_node_count(r->m);
				const tm_node *const *in_ns = cluster ? NULL : tm_model__in_namespace(r->m, ns, &nt);
				for (size_t i = 0; i < nt; i++) {
					const tm_node *t = in_ns ? in_ns[i] : tm_model_node(r->m, i);
					if (!in_ns && !cluster)
						break;
					if (!kind && tm_node_kind_of(t) == TM_NODE_SECRET &&
					    !tm_node_attr_str(t, "config_file")) /* a file of the repository: no API serves it */
						enter(r, t, idx, "reads secret", dup(r, caps->list[c]), at);
					else if (kind && is_workload(t))
						enter(r, t, idx, strcmp(names[k], "pod-exec") == 0 ? "execs into" : "runs code as",
						      dup(r, caps->list[c]), at);
				}
			}
		}
	}
}

/* Does a route from a reached entry point or gateway lead to n? */
static bool routed_in(const tm_reach *r, const tm_node *n)
{
	if (!r->front_door) /* nothing that routes was reached (a walk from a workload, usually) */
		return false;
	size_t ninc;
	const tm_edge *const *inc = tm_model__incoming(r->m, n, &ninc);
	for (size_t i = 0; i < ninc; i++) {
		const tm_edge *e = inc[i];
		const tm_node *from = tm_edge_from(e);
		if (tm_edge_kind_of(e) == TM_EDGE_ROUTES && tm_reach_find(r, from) &&
		    (tm_node_kind_of(from) == TM_NODE_ENTRYPOINT || tm_node_kind_of(from) == TM_NODE_GATEWAY))
			return true;
	}
	return false;
}

static const char how_hosted[] = "takes over a pod on the node";

/* Does the walk take a's routes or exposes edge out of n (a route into a gateway; into a workload
 * from an entry point or gateway when the policy lets the request through; an operation of a
 * service routed to from outside)? *what: the hop's control. *routed caches routed_in(n) (-1: not
 * asked yet). */
static bool takes_route(tm_reach *r, const tm_node *n, const tm_adj *a, int *routed, const char **what)
{
	*what = "none";
	if (a->kind == TM_EDGE_ROUTES)
		return a->to_kind == TM_NODE_GATEWAY ||
		       (a->to_workload && (n->kind == TM_NODE_ENTRYPOINT || n->kind == TM_NODE_GATEWAY) &&
			route_ok(r, a->e, a->to, what));
	if (a->kind != TM_EDGE_EXPOSES || !(*routed < 0 ? (*routed = routed_in(r, n)) : *routed))
		return false;
	*what = tm_node_attr_str(a->to, "authn");
	return true;
}

/* Hop first, entered another way (a call) before a route from outside reached it too, is routed;
 * so is what a route or an exposed operation leads to from it, transitively, among the hops already
 * expanded (those up to current; a later one enters what follows it as routed itself). Each hop is
 * marked once: linear in the marked hops' out-edges over the whole walk. */
static void mark_routed(tm_reach *r, size_t first, size_t current)
{
	size_t *stack = NULL, n = 0, cap = 0;
	r->hops[first].routed = true;
	if (TM_GROW(stack, cap, 1)) {
		r->oom = 1;
		return;
	}
	stack[n++] = first;
	while (n && !r->oom) {
		size_t j = stack[--n];
		if (j > current)
			continue;
		const tm_node *node = r->hops[j].node;
		size_t nout, pos0;
		const tm_adj *out = tm_model__out_adj(r->m, node, &nout, &pos0);
		int routed = -1;
		const char *what;
		for (size_t i = 0; i < nout && !r->oom; i++) {
			const tm_adj *a = &out[i];
			size_t s = a->to_index < r->nslots ? r->slot[a->to_index] : 0;
			if ((s && r->hops[s - 1].routed) || (a->kind != TM_EDGE_ROUTES && a->kind != TM_EDGE_EXPOSES) ||
			    !takes_route(r, node, a, &routed, &what))
				continue;
			if (!s) {
				/* an operation its expansion left out (no route from outside reached the service
				 * yet): entered now, routed; the walk expands it in its turn */
				if (a->kind == TM_EDGE_EXPOSES)
					enter(r, a->to, j, "exposes", what, hop_loc(r, a->e));
				continue;
			}
			r->hops[s - 1].routed = true;
			if (TM_GROW(stack, cap, n + 1))
				r->oom = 1;
			else
				stack[n++] = s - 1;
		}
	}
	tm_free(stack);
}

static void expand(tm_reach *r, size_t idx)
{
	const tm_node *n = r->hops[idx].node;
	tm_node_kind k = n->kind;
	/* then its edges: the cloud roles it may assume. A pipeline that deploys to Kubernetes carries
	 * its cluster credentials' reach the same way (ingest/gha.c) */
	if (k == TM_NODE_IDENTITY || k == TM_NODE_PIPELINE)
		expand_identity(r, idx);
	/* a queue reaches the workloads that consume it (edges to it); a task queue's broker, the workers
	 * it delivers work to (ingest/queues.c: the node lists them, so no other node's in-edges are read) */
	bool broker = k != TM_NODE_QUEUE && tm_node_attr_get(n, "delivers_to");
	if (k == TM_NODE_QUEUE || broker) {
		size_t ninc;
		const tm_edge *const *inc = tm_model__incoming(r->m, n, &ninc);
		for (size_t i = 0; i < ninc && !r->oom; i++)
			if (inc[i]->kind == TM_EDGE_SUBSCRIBES)
				enter(r, inc[i]->from, idx, broker ? "delivers work to" : "is consumed by", "none",
				      hop_loc(r, inc[i]));
	}
	/* every other step follows an edge from n, read from the model's compact out-edge list: a node
	 * called by thousands costs a walk through it its out-edges only */
	size_t nout, pos0;
	const tm_adj *out = tm_model__out_adj(r->m, n, &nout, &pos0);
	int routed = -1; /* routed_in(n), asked once per node, not once per operation it exposes */
	for (size_t i = 0; i < nout && !r->oom; i++) {
		const tm_adj *a = &out[i];
		const char *what = "none";
		/* an operation of a service no route from outside reaches: nothing to enter or mark (a
		 * service's out-edges are mostly its operations, and every walk through it reads them) */
		if (a->kind == TM_EDGE_EXPOSES && !(routed < 0 ? (routed = routed_in(r, n)) : routed))
			continue;
		if (a->to_index < r->nslots && r->slot[a->to_index]) {
			/* entered already: nothing to decide, but whether a route from outside reaches it too */
			size_t t = r->slot[a->to_index] - 1;
			if (r->hops[idx].routed && !r->hops[t].routed &&
			    (a->kind == TM_EDGE_ROUTES || a->kind == TM_EDGE_EXPOSES) && takes_route(r, n, a, &routed, &what))
				mark_routed(r, t, idx);
			continue;
		}
		switch (a->kind) {
		case TM_EDGE_ROUTES:
		case TM_EDGE_EXPOSES: /* a service routed to from outside exposes its operations */
			if (takes_route(r, n, a, &routed, &what))
				enter(r, a->to, idx, a->kind == TM_EDGE_ROUTES ? "routes" : "exposes", what, hop_loc(r, a->e));
			break;
		case TM_EDGE_CALLS:
			/* a proxy's connection to a backend it routes to is the route, walked through its gateway */
			if (a->proxied)
				break;
			/* a call a runtime map saw is taken even where the policy would deny it: the traffic flows
			 * (the policy is not enforced, bypassed or stale), so attack paths include it */
			if (!a->to_workload || call_ok(r, pos0 + i, n, a->to, &what) ||
			    (a->e->observed && (what = "denied by policy, but observed at runtime"))) {
				size_t before = r->n;
				enter(r, a->to, idx, "calls", what, hop_loc(r, a->e));
				if (r->n > before)
					r->hops[before].seen = tm_edge_seen(a->e);
			}
			break;
		case TM_EDGE_RUNS_AS:
			/* pods that mount no token of their account hold none of its API rights; an account
			 * federated to a cloud role is still taken (its projected token is the cloud's) */
			if (a->e->no_token && !a->to->federates)
				break;
			enter(r, a->to, idx, "acts as", "none", hop_loc(r, a->e));
			break;
		case TM_EDGE_DEPLOYS:
		case TM_EDGE_GRANTED:
			enter(r, a->to, idx, "assumes", "none", hop_loc(r, a->e));
			break;
		case TM_EDGE_MOUNTS:
			/* a volume of the secret's certificates and public keys only (items:) holds nothing
			 * to steal */
			if (!a->e->public_only)
				enter(r, a->to, idx,
				      /* a configuration file's or image's credentials (ingest/calls.c) */
				      tm_node_attr_str(a->to, "config_file") ? "reads the credentials in its files"
									    : "reads mounted secret",
				      "none", hop_loc(r, a->e));
			break;
		case TM_EDGE_ESCAPES:
			/* out of the container onto its node (ingest/nodes.c): the reason is the hop's control.
			 * A pod taken over on a node escapes to that node only: not to the nodes its other
			 * replicas run on */
			if (r->hops[idx].how == how_hosted)
				break;
			const char *escape = r->lean ? NULL : tm_edge_attr_str(a->e, "escape");
			enter(r, a->to, idx, "escapes to the node", escape ? dup(r, escape) : "none", hop_loc(r, a->e));
			break;
		case TM_EDGE_HOSTS:
			/* on the node: the pod's token, mounted secrets and network position */
			enter(r, a->to, idx, how_hosted, "none", hop_loc(r, a->e));
			break;
		case TM_EDGE_READS:
			/* an identity's RBAC grant on one secret (by resourceNames, or every secret in reach):
			 * the wider grants were entered above from its capabilities */
			if (k == TM_NODE_IDENTITY && a->to_kind == TM_NODE_SECRET) {
				enter(r, a->to, idx, "reads secret", "none", hop_loc(r, a->e));
				break;
			}
			/* a workload reading a store: */
			/* fall through */
		case TM_EDGE_WRITES:
			/* a workload that reads or writes a store (or runs it: stores.c) hands its data to whoever
			 * holds the workload */
			if (a->to_kind == TM_NODE_DATASTORE || a->to_kind == TM_NODE_QUEUE)
				enter(r, a->to, idx, a->kind == TM_EDGE_READS ? "reads" : "reads and writes", "none",
				      hop_loc(r, a->e));
			break;
		case TM_EDGE_PUBLISHES:
			enter(r, a->to, idx, "publishes to",
			      tm_edge_authn(a->e) == TM_AUTHN_NONE ? "none" : tm_authn_name(tm_edge_authn(a->e)),
			      hop_loc(r, a->e));
			break;
		default:
			break;
		}
	}
}

/* Is s "<prefix>:<rest>"? *out holds it taken apart. */
static bool is_prefixed(const char *s, const char *prefix, tm_node_id_parts *out)
{
	return !tm_node_id_parse(s, out) && out->prefix_len == strlen(prefix) &&
	       strncmp(out->prefix, prefix, out->prefix_len) == 0;
}

int tm_reach_run(tm_reach **out, const tm_model *m, const char *position, const char **why)
{
	return tm_reach__run(out, m, position, why, NULL, 0);
}

bool tm_reach__truncated(const tm_reach *r)
{
	return r && r->truncated;
}

int tm_reach__run(tm_reach **out, const tm_model *m, const char *position, const char **why, tm_reach_memo *memo,
		  size_t max_hops)
{
	tm_node_id_parts at;
	*out = NULL;
	*why = NULL;
	tm_reach *r = tm_calloc(1, sizeof(*r));
	if (!r || !(r->a = tm_arena_new())) {
		tm_free(r);
		return TM_ENOMEM;
	}
	*out = r;
	r->m = m;
	r->memo = memo && memo->m == m && !memo->lent ? memo : NULL;
	r->max_hops = max_hops;
	r->nslots = tm_model_node_count(m);
	if (r->memo) {
		r->slot = r->memo->slot;
		r->memo->lent = true;
		r->lean = true;
	} else if (!(r->slot = tm_calloc(r->nslots + 1, sizeof(*r->slot)))) {
		return TM_ENOMEM;
	}
	r->source = "internet";
	const tm_policy *pol = tm_model__policy(m);
	tm_loc none = {NULL, 0, 0, NULL};
	const char *p = position ? position : "";
	if (strcmp(p, "internet") == 0 || strcmp(p, "user") == 0) {
		r->user = strcmp(p, "user") == 0;
		enter(r, tm_model_find(m, "entrypoint:internet"), SIZE_MAX, "start", NULL, none);
	} else if (strcmp(p, "partner") == 0 || is_prefixed(p, "partner", &at)) {
		/* every partner entry point ("entrypoint:partner:NAME"), or the one named */
		for (size_t i = 0; i < tm_model_node_count(m); i++) {
			const tm_node *n = tm_model_node(m, i);
			tm_node_id_parts id;
			if (tm_node_kind_of(n) == TM_NODE_ENTRYPOINT && !tm_node_id_parse(tm_node_id(n), &id) && id.scheme &&
			    id.scheme_len == 7 && strncmp(id.scheme, "partner", 7) == 0 &&
			    (strcmp(p, "partner") == 0 || strcmp(id.name, at.rest) == 0))
				enter(r, n, SIZE_MAX, "start", NULL, none);
		}
	} else if (is_prefixed(p, "namespace", &at)) {
		for (size_t i = 0; i < pol->nworkloads; i++)
			if (strcmp(pol->workloads[i].ns, at.rest) == 0)
				enter(r, tm_model_find(m, pol->workloads[i].node_id), SIZE_MAX, "start", NULL, none);
	} else if (strcmp(p, "ci") == 0) {
		/* a pull-request author: the workflows outsiders can trigger */
		for (size_t i = 0; i < tm_model_node_count(m); i++) {
			const tm_node *n = tm_model_node(m, i);
			if (tm_pipeline_outsider_runs(n))
				enter(r, n, SIZE_MAX, "start", NULL, none);
		}
		if (!r->n)
			*why = "no workflow runs on events outsiders cause (pull_request_target, workflow_run, "
			       "issue_comment...) with privileges or on a self-hosted runner";
	} else if (strncmp(p, "pipeline:", 9) == 0) {
		/* one pipeline, by its node id: what its compromise reaches */
		const tm_node *n = tm_model_find(m, p);
		if (!n || tm_node_kind_of(n) != TM_NODE_PIPELINE) {
			*why = "no such pipeline (pipeline:FILE, its node id as the Blast radius section and scan --format json name it)";
			return TM_EINVALID;
		}
		enter(r, n, SIZE_MAX, "start", NULL, none);
	} else {
		const char *name = strncmp(p, "workload:", 9) == 0 ? p + 9 : p;
		char id[512];
		tm_formatf(id, sizeof(id), "%s%s", strncmp(name, "service:", 8) == 0 ? "" : "service:", name);
		const tm_node *n = tm_model_find(m, id);
		if (!n || !is_workload(n)) {
			*why = "unknown position: internet, user, partner[:NAME], namespace:NS, workload:NS/NAME (a compose "
			       "service: workload:compose:PROJECT/NAME), ci or pipeline:FILE";
			return TM_EINVALID;
		}
		enter(r, n, SIZE_MAX, "start", NULL, none);
	}
	if (!r->n && !*why)
		*why = "the position names nothing in the model";
	for (size_t i = 0; i < r->n && !r->oom; i++)
		expand(r, i);
	if (r->oom || tm_arena_failed(r->a))
		return TM_ENOMEM;
	return 0;
}

/* Is secret s known to hold configuration only: some keys, each a whole configuration file that
 * hands out no credential (ingest/k8s_secrets.c: a `config_value` fact)? Both lists are sorted and
 * free of repeats once the model is frozen: one merge walk. */
static bool config_only(const tm_node *s)
{
	const tm_attr *keys = tm_node_attr_get(s, "keys"), *cfg = tm_node_attr_get(s, "config_value");
	if (!keys || !cfg || keys->type != TM_ATTR_LIST || cfg->type != TM_ATTR_LIST || !keys->list[0])
		return false;
	size_t j = 0;
	for (size_t i = 0; keys->list[i]; i++) {
		while (cfg->list[j] && strcmp(cfg->list[j], keys->list[i]) < 0)
			j++;
		if (!cfg->list[j] || strcmp(cfg->list[j], keys->list[i]) != 0)
			return false;
	}
	return true;
}

int tm_reach_value(const tm_model *m, const tm_node *n, const char **why)
{
	(void)m;
	*why = NULL;
	const tm_attr *caps = tm_node_attr_get(n, "rbac_capabilities");
	int best = 0;
	for (size_t i = 0; caps && caps->type == TM_ATTR_LIST && caps->list[i]; i++) {
		static const struct {
			const char *cap;
			int value;
		} table[] = {{"cluster-admin", 100}, {"namespace-admin", 80}, {"impersonate", 75}, {"escalate", 75},
			     {"bind", 70}, {"create-tokens", 70}, {"read-secrets", 65}, {"pod-exec", 65},
			     {"create-workloads", 60}, {"create-persistentvolumes", 60}, {"pod-exec-get", 50},
			     {"approve-csrs", 50}};
		/* the capability's name, before " (where)": pod-exec-get is not pod-exec */
		size_t cl = strcspn(caps->list[i], " ");
		for (size_t k = 0; k < TM_ARRAY_LEN(table); k++) {
			if (cl != strlen(table[k].cap) || strncmp(caps->list[i], table[k].cap, cl) != 0)
				continue;
			/* every Secret of the cluster is worth more than any one of them (75 at most) */
			int v = table[k].value == 65 && strcmp(table[k].cap, "read-secrets") == 0 &&
					strstr(caps->list[i], "cluster-wide")
				? 78
				: table[k].value;
			if (v > best) {
				best = v;
				*why = caps->list[i];
			}
		}
	}
	if (tm_node_attr_get(n, "admin_policy") && best < 100) {
		best = 100;
		*why = "cloud administrator";
	}
	const char *cls = tm_node_attr_str(n, "classification");
	if (cls && strcmp(cls, "restricted") == 0 && best < 90) {
		best = 90;
		*why = "restricted data";
	} else if (cls && strcmp(cls, "confidential") == 0 && best < 70) {
		best = 70;
		*why = "confidential data";
	}
	if (tm_node_kind_of(n) == TM_NODE_SECRET && best < 70 && !config_only(n)) {
		best = tm_node_attr_get(n, "literal_credentials") ? 75 : 70;
		*why = "a secret";
	}
	/* the node a workload escapes to (ingest/nodes.c): root there holds every container, volume and
	 * secret on it, and the runtime that starts more; a Fargate task's micro-VM holds the task alone */
	const char *pool = tm_node_kind_of(n) == TM_NODE_IDENTITY ? tm_node_attr_str(n, "node_pool") : NULL;
	if (pool && strncmp(pool, "ecs-fargate/", 12) != 0 && best < TM_REACH_VALUE_NODE) {
		best = TM_REACH_VALUE_NODE;
		*why = strncmp(pool, "compose/", 8) == 0 ? "root on the Docker host: every container, volume and secret on it"
		       : strncmp(pool, "ecs/", 4) == 0  ? "the container instances: every task on them, its role and secrets"
							: "the node: every pod on it, their tokens and secrets, the kubelet's credentials";
	}
	/* a store or broker that admits any client: whoever reaches it reads and rewrites its data */
	tm_node_kind k = tm_node_kind_of(n);
	if ((k == TM_NODE_DATASTORE || k == TM_NODE_QUEUE) && tm_node_attr_get(n, "no_auth") &&
	    best < TM_REACH_VALUE_OPEN_STORE) {
		best = TM_REACH_VALUE_OPEN_STORE;
		*why = k == TM_NODE_QUEUE ? "a broker admitting any client" : "a data store admitting any client";
	}
	/* a model server that asks for no credentials (TM-MESH-014): whoever reaches it runs, pulls or
	 * replaces models, or code (high: as much as an open store), or spends its GPUs on inference */
	const char *model_why = NULL;
	int model = k == TM_NODE_SERVICE ? tm_console_model_open(n, &model_why) : 0; /* 3: high */
	if (model && best < (model >= 3 ? TM_REACH_VALUE_OPEN_STORE : 40)) {
		best = model >= 3 ? TM_REACH_VALUE_OPEN_STORE : 40;
		*why = model_why;
	}
	if (tm_node_kind_of(n) == TM_NODE_EXTERNAL && tm_node_attr_str(n, "third_party") && best < 40) {
		best = 40;
		*why = "a third party receiving data";
	}
	if (tm_node_kind_of(n) == TM_NODE_ENDPOINT && tm_node_attr_get(n, "sensitive_response") && best < 50) {
		best = 50;
		*why = "an operation returning sensitive data";
	}
	return best;
}
