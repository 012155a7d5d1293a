/*
 * k8s.c - Kubernetes manifests: workloads, Services, Ingress, ServiceAccounts, Namespaces.
 *
 * Objects are collected as documents arrive and linked in finish(), because a
 * Service and the Deployment it selects usually live in different files.
 *
 * Model mapping:
 *   workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod)
 *       -> service node "service:<ns>/<name>", runs-as its ServiceAccount
 *   ServiceAccount (declared, or named by a pod spec) -> identity "identity:k8s:<ns>/<name>"
 *   Service LoadBalancer/NodePort -> entrypoint:internet routes-> selected workloads
 *   Service ExternalName -> external node "external:<host>"
 *   Ingress -> gateway "gateway:<ns>/<name>", entrypoint:internet routes-> it routes-> backends
 * Objects without metadata.namespace are placed in "default", as kubectl would
 * with a default context; the report states that assumption on each such node.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ingest.h"

struct obj {
	const tm_file *f;
	const tm_value *v;
	const char *kind, *name, *ns;
	bool ns_implicit;
};

struct k8s {
	struct obj *objs;
	size_t n, cap;
	tm_hmap services; /* "<ns>/<name>" -> struct svc_target* */
	tm_arena *arena;
};

struct svc_target {
	const struct obj *svc;
	tm_node **targets; /* selected workloads, or the external node */
	size_t ntargets;
};

static void *k8s_begin(tm_ingest_ctx *ctx)
{
	(void)ctx;
	struct k8s *k = tm_calloc(1, sizeof(*k));
	if (k && !(k->arena = tm_arena_new())) {
		tm_free(k);
		return NULL;
	}
	return k;
}

static void k8s_end(void *state)
{
	struct k8s *k = state;
	if (!k)
		return;
	tm_free(k->objs);
	tm_hmap_dispose(&k->services);
	tm_arena_free(k->arena);
	tm_free(k);
}

/* The kinds this version turns into facts. */
static bool modelled_kind(const char *kind)
{
	static const char *const kinds[] = {"Namespace", "ServiceAccount", "Deployment", "StatefulSet",
					    "DaemonSet", "ReplicaSet", "ReplicationController", "Job",
					    "CronJob", "Pod", "Service", "Ingress"};
	for (size_t i = 0; i < TM_ARRAY_LEN(kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

static bool k8s_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
		    const char *detail)
{
	struct k8s *k = state;
	if (!k || !modelled_kind(detail))
		return false;
	const tm_value *meta = tm_map_get(root, "metadata");
	const char *name = tm_map_get_str(meta, "name");
	if (!name) {
		/* generateName objects cannot be linked by name; say so rather than guess */
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_NOTE, tm_ingest__loc(f, root),
			    "%s without metadata.name; not modelled", detail);
		return false;
	}
	if (TM_GROW(k->objs, k->cap, k->n + 1))
		return false;
	struct obj *o = &k->objs[k->n++];
	o->f = f;
	o->v = root;
	o->kind = detail;
	o->name = name;
	o->ns = tm_map_get_str(meta, "namespace");
	o->ns_implicit = !o->ns;
	if (!o->ns)
		o->ns = "default";
	return true;
}

static bool is_kind(const struct obj *o, const char *kind)
{
	return strcmp(o->kind, kind) == 0;
}

/* The pod template of a workload kind, or NULL if o is not a workload. */
static const tm_value *pod_template(const struct obj *o)
{
	static const char *const templated[] = {"Deployment", "StatefulSet", "DaemonSet",
						"ReplicaSet", "Job", "ReplicationController"};
	const tm_value *spec = tm_map_get(o->v, "spec");
	for (size_t i = 0; i < TM_ARRAY_LEN(templated); i++)
		if (is_kind(o, templated[i]))
			return tm_map_get(spec, "template");
	if (is_kind(o, "CronJob"))
		return tm_map_get(tm_map_get(tm_map_get(spec, "jobTemplate"), "spec"), "template");
	if (is_kind(o, "Pod"))
		return o->v;
	return NULL;
}

static const char *ns_boundary(tm_ingest_ctx *ctx, struct k8s *k, const char *ns)
{
	char *id = tm_arena_printf(k->arena, "namespace:%s", ns);
	if (!id)
		return NULL;
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_NAMESPACE, id, ns, "cluster");
	return id;
}

static tm_node *identity(tm_ingest_ctx *ctx, struct k8s *k, const char *ns, const char *sa,
			 tm_loc loc)
{
	char *id = tm_arena_printf(k->arena, "identity:k8s:%s/%s", ns, sa);
	if (!id)
		return NULL;
	tm_node *n = tm_mb_node(ctx->mb, TM_NODE_IDENTITY, id, sa, ns_boundary(ctx, k, ns), loc);
	if (n) {
		tm_mb_node_str(ctx->mb, n, "namespace", ns);
		tm_mb_node_str(ctx->mb, n, "identity_type", "kubernetes-service-account");
	}
	return n;
}

static void note_implicit_ns(tm_ingest_ctx *ctx, tm_node *n, const struct obj *o)
{
	if (n && o->ns_implicit)
		tm_mb_node_str(ctx->mb, n, "assumed", "namespace 'default' (manifest names none)");
}

static void add_workload(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o,
			 const tm_value *tpl)
{
	char *id = tm_arena_printf(k->arena, "service:%s/%s", o->ns, o->name);
	if (!id)
		return;
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	tm_node *n = tm_mb_node(ctx->mb, TM_NODE_SERVICE, id, o->name, ns_boundary(ctx, k, o->ns), loc);
	if (!n)
		return;
	tm_mb_node_str(ctx->mb, n, "namespace", o->ns);
	tm_mb_node_str(ctx->mb, n, "workload", o->kind);
	note_implicit_ns(ctx, n, o);
	int64_t replicas;
	if (!tm_scalar_int(tm_map_get(tm_map_get(o->v, "spec"), "replicas"), &replicas))
		tm_mb_node_int(ctx->mb, n, "replicas", replicas);
	const tm_value *pspec = tm_map_get(tpl, "spec");
	static const char *const lists[] = {"initContainers", "containers"};
	for (size_t l = 0; l < TM_ARRAY_LEN(lists); l++) {
		const tm_value *cs = tm_map_get(pspec, lists[l]);
		for (size_t i = 0; i < tm_value_len(cs); i++) {
			const tm_value *c = tm_seq_at(cs, i);
			const char *image = tm_map_get_str(c, "image");
			if (image)
				tm_mb_node_list_add(ctx->mb, n, "images", image);
			const char *cname = tm_map_get_str(c, "name");
			if (cname)
				tm_mb_node_list_add(ctx->mb, n, "containers", cname);
			const tm_value *ports = tm_map_get(c, "ports");
			for (size_t p = 0; p < tm_value_len(ports); p++) {
				const char *port = tm_map_get_str(tm_seq_at(ports, p), "containerPort");
				if (port)
					tm_mb_node_list_add(ctx->mb, n, "ports", port);
			}
		}
	}
	const tm_value *labels = tm_map_get(tm_map_get(tpl, "metadata"), "labels");
	for (size_t i = 0; i < tm_value_len(labels); i++) {
		const char *lk = tm_scalar_str(tm_map_key(labels, i), NULL);
		const char *lv = tm_scalar_str(tm_map_value(labels, i), NULL);
		char *pair = lk ? tm_arena_printf(k->arena, "%s=%s", lk, lv ? lv : "") : NULL;
		if (pair)
			tm_mb_node_list_add(ctx->mb, n, "labels", pair);
	}
	const tm_value *sav = tm_map_get(pspec, "serviceAccountName");
	if (!sav)
		sav = tm_map_get(pspec, "serviceAccount"); /* deprecated alias */
	const char *sa = tm_scalar_str(sav, NULL);
	if (!sa || !*sa)
		sa = "default";
	tm_node *idn = identity(ctx, k, o->ns, sa, sav ? tm_ingest__loc(o->f, sav) : loc);
	if (idn) {
		tm_mb_edge(ctx->mb, n, idn, TM_EDGE_RUNS_AS, sav ? tm_ingest__loc(o->f, sav) : loc);
		tm_mb_node_str(ctx->mb, n, "service_account", sa);
	}
	bool automount;
	if (!tm_scalar_bool(tm_map_get(pspec, "automountServiceAccountToken"), &automount))
		tm_mb_node_bool(ctx->mb, n, "automount_service_account_token", automount);
}

/* Does the pod template's label set contain every selector pair? */
static bool selects(const tm_value *selector, const tm_value *tpl)
{
	if (!tm_value_len(selector))
		return false;
	const tm_value *labels = tm_map_get(tm_map_get(tpl, "metadata"), "labels");
	for (size_t i = 0; i < tm_value_len(selector); i++) {
		const char *key = tm_scalar_str(tm_map_key(selector, i), NULL);
		const char *want = tm_scalar_str(tm_map_value(selector, i), NULL);
		const char *have = key ? tm_map_get_str(labels, key) : NULL;
		if (!have || !want || strcmp(have, want) != 0)
			return false;
	}
	return true;
}

static tm_node *internet(tm_ingest_ctx *ctx)
{
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
	tm_loc none = {NULL, 0, 0, NULL};
	tm_node *n = tm_mb_node(ctx->mb, TM_NODE_ENTRYPOINT, "entrypoint:internet", "Internet",
				"internet", none);
	if (n)
		tm_mb_node_str(ctx->mb, n, "position", "anonymous internet");
	return n;
}

static void add_service(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const char *type = tm_map_get_str(spec, "type");
	if (!type)
		type = "ClusterIP";
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	struct svc_target *t = tm_arena_alloc(k->arena, sizeof(*t));
	char *key = tm_arena_printf(k->arena, "%s/%s", o->ns, o->name);
	if (!t || !key || tm_hmap_put(&k->services, key, strlen(key), t))
		return;
	t->svc = o;
	if (strcmp(type, "ExternalName") == 0) {
		const char *host = tm_map_get_str(spec, "externalName");
		if (!host)
			return;
		char *id = tm_arena_printf(k->arena, "external:%s", host);
		tm_mb_boundary(ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
		tm_node *ext = id ? tm_mb_node(ctx->mb, TM_NODE_EXTERNAL, id, host, "internet", loc) : NULL;
		t->targets = tm_arena_alloc(k->arena, sizeof(tm_node *));
		if (ext && t->targets) {
			t->targets[0] = ext;
			t->ntargets = 1;
		}
		return;
	}
	const tm_value *selector = tm_map_get(spec, "selector");
	if (!tm_value_len(selector)) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "service '%s' has no selector; its endpoints are managed elsewhere", o->name);
		return;
	}
	t->targets = tm_arena_alloc(k->arena, k->n * sizeof(tm_node *));
	if (!t->targets)
		return;
	for (size_t i = 0; i < k->n; i++) {
		const struct obj *w = &k->objs[i];
		const tm_value *tpl = pod_template(w);
		if (!tpl || strcmp(w->ns, o->ns) != 0 || !selects(selector, tpl))
			continue;
		char *id = tm_arena_printf(k->arena, "service:%s/%s", w->ns, w->name);
		tm_node *wn = id ? tm_mb_find(ctx->mb, id) : NULL;
		if (!wn)
			continue;
		t->targets[t->ntargets++] = wn;
		tm_mb_node_list_add(ctx->mb, wn, "k8s_services", o->name);
		tm_mb_add_evidence(ctx->mb, wn, loc);
	}
	if (!t->ntargets) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, selector),
			    "service '%s' selects no workload in the scanned files", o->name);
		return;
	}
	bool lb = strcmp(type, "LoadBalancer") == 0, np = strcmp(type, "NodePort") == 0;
	if (!lb && !np)
		return;
	tm_node *in = internet(ctx);
	if (!in)
		return;
	tm_loc tloc = tm_ingest__loc(o->f, tm_map_get(spec, "type"));
	for (size_t i = 0; i < t->ntargets; i++) {
		tm_edge *e = tm_mb_edge(ctx->mb, in, t->targets[i], TM_EDGE_ROUTES, tloc);
		if (!e)
			continue;
		tm_mb_edge_str(ctx->mb, e, "via", lb ? "LoadBalancer" : "NodePort");
		tm_mb_edge_list_add(ctx->mb, e, "k8s_services", o->name);
		const tm_value *ports = tm_map_get(spec, "ports");
		for (size_t p = 0; p < tm_value_len(ports); p++) {
			const char *port = tm_map_get_str(tm_seq_at(ports, p), np ? "nodePort" : "port");
			if (port)
				tm_mb_edge_list_add(ctx->mb, e, "ports", port);
		}
	}
}

/* Resolve an Ingress backend (networking.k8s.io/v1 or the older extensions form). */
static const tm_value *backend_service(const tm_value *backend)
{
	const tm_value *svc = tm_map_get(backend, "service");
	if (svc)
		return tm_map_get(svc, "name");
	return tm_map_get(backend, "serviceName");
}

static void route_backend(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o, tm_node *gw,
			  const tm_value *backend, const char *host, const char *path)
{
	const tm_value *namev = backend_service(backend);
	const char *name = tm_scalar_str(namev, NULL);
	if (!name)
		return;
	char *key = tm_arena_printf(k->arena, "%s/%s", o->ns, name);
	struct svc_target *t = key ? tm_hmap_get(&k->services, key, strlen(key)) : NULL;
	tm_loc loc = tm_ingest__loc(o->f, namev);
	if (!t || !t->ntargets) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "ingress '%s' routes to service '%s', which selects no workload in the scanned files",
			    o->name, name);
		return;
	}
	for (size_t i = 0; i < t->ntargets; i++) {
		tm_edge *e = tm_mb_edge(ctx->mb, gw, t->targets[i], TM_EDGE_ROUTES, loc);
		if (!e)
			continue;
		tm_mb_edge_list_add(ctx->mb, e, "k8s_services", name);
		if (host)
			tm_mb_edge_list_add(ctx->mb, e, "hosts", host);
		tm_mb_edge_list_add(ctx->mb, e, "paths", path ? path : "/");
	}
}

static void add_ingress(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o)
{
	char *id = tm_arena_printf(k->arena, "gateway:%s/%s", o->ns, o->name);
	if (!id)
		return;
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	tm_node *gw = tm_mb_node(ctx->mb, TM_NODE_GATEWAY, id, o->name, ns_boundary(ctx, k, o->ns), loc);
	tm_node *in = internet(ctx);
	if (!gw || !in)
		return;
	tm_mb_node_str(ctx->mb, gw, "namespace", o->ns);
	tm_mb_node_str(ctx->mb, gw, "gateway_type", "kubernetes-ingress");
	note_implicit_ns(ctx, gw, o);
	const tm_value *spec = tm_map_get(o->v, "spec");
	const char *cls = tm_map_get_str(spec, "ingressClassName");
	if (!cls)
		cls = tm_map_get_str(tm_map_get(tm_map_get(o->v, "metadata"), "annotations"),
				     "kubernetes.io/ingress.class");
	if (cls)
		tm_mb_node_str(ctx->mb, gw, "ingress_class", cls);
	const tm_value *tls = tm_map_get(spec, "tls");
	tm_mb_node_bool(ctx->mb, gw, "tls", tm_value_len(tls) > 0);
	tm_edge *e = tm_mb_edge(ctx->mb, in, gw, TM_EDGE_ROUTES, loc);
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", "Ingress");
	const tm_value *def = tm_map_get(spec, "defaultBackend");
	if (!def)
		def = tm_map_get(spec, "backend");
	if (def)
		route_backend(ctx, k, o, gw, def, NULL, "/");
	const tm_value *rules = tm_map_get(spec, "rules");
	for (size_t i = 0; i < tm_value_len(rules); i++) {
		const tm_value *rule = tm_seq_at(rules, i);
		const char *host = tm_map_get_str(rule, "host");
		if (host)
			tm_mb_node_list_add(ctx->mb, gw, "hosts", host);
		const tm_value *paths = tm_map_get(tm_map_get(rule, "http"), "paths");
		for (size_t p = 0; p < tm_value_len(paths); p++) {
			const tm_value *pv = tm_seq_at(paths, p);
			route_backend(ctx, k, o, gw, tm_map_get(pv, "backend"), host,
				      tm_map_get_str(pv, "path"));
		}
	}
}

static void k8s_finish(tm_ingest_ctx *ctx, void *state)
{
	struct k8s *k = state;
	if (!k || !k->n)
		return;
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_CLUSTER, "cluster", "Kubernetes cluster", NULL);
	/* Pass 1: namespaces, identities and workloads; pass 2: Services; pass 3: Ingress. */
	for (size_t i = 0; i < k->n; i++) {
		const struct obj *o = &k->objs[i];
		const tm_value *tpl;
		if (is_kind(o, "Namespace")) {
			ns_boundary(ctx, k, o->name);
		} else if (is_kind(o, "ServiceAccount")) {
			tm_node *n = identity(ctx, k, o->ns, o->name, tm_ingest__loc(o->f, o->v));
			bool automount;
			if (n && !tm_scalar_bool(tm_map_get(o->v, "automountServiceAccountToken"), &automount))
				tm_mb_node_bool(ctx->mb, n, "automount_service_account_token", automount);
			if (n)
				tm_mb_node_bool(ctx->mb, n, "declared", true);
			note_implicit_ns(ctx, n, o);
		} else if ((tpl = pod_template(o)) != NULL) {
			add_workload(ctx, k, o, tpl);
		}
	}
	for (size_t i = 0; i < k->n; i++)
		if (is_kind(&k->objs[i], "Service"))
			add_service(ctx, k, &k->objs[i]);
	for (size_t i = 0; i < k->n; i++)
		if (is_kind(&k->objs[i], "Ingress"))
			add_ingress(ctx, k, &k->objs[i]);
}

const tm_ingester tm_ingest__k8s = {k8s_begin, k8s_doc, k8s_finish, k8s_end};
