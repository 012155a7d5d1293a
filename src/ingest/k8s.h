/*
 * ingest/k8s.h - the Kubernetes ingester's shared state (internal to ingest/).
 *
 * k8s.c collects every object as documents arrive and links them in finish():
 * workloads, Services and Ingress there; NetworkPolicy in k8s_netpol.c; RBAC
 * in k8s_rbac.c; calls between services (env and ConfigMap values naming a
 * Service) in k8s_calls.c.
 */
#ifndef TM_INGEST_K8S_H
#define TM_INGEST_K8S_H

#include "ingest.h"

struct tm_k8s_obj {
	const tm_file *f;
	const tm_value *v;
	const char *kind, *name, *ns;
	bool ns_implicit;
	bool cluster_scoped;
};

struct tm_k8s {
	struct tm_k8s_obj *objs;
	size_t n, cap;
	tm_hmap services;   /* "<ns>/<name>" -> struct tm_k8s_svc* */
	tm_hmap configmaps; /* "<ns>/<name>" -> struct tm_k8s_obj* */
	tm_hmap pods;       /* "<ns>\x1f<label>=<value>" -> struct tm_k8s_pods*: templates carrying it */
	tm_arena *arena;    /* scratch, freed with the ingester */
	size_t nlimits;     /* LimitRanges and ResourceQuotas among objs: none, no per-workload search */
};

/* The pod templates that carry one label in one namespace, in document order. A Service's
 * selector is matched only against the templates carrying its first pair: linear in the
 * objects for the selectors real systems write (unique app labels). */
struct tm_k8s_pod_ref {
	const struct tm_k8s_obj *w;
	struct tm_k8s_pod_ref *next;
};
struct tm_k8s_pods {
	size_t n;
	struct tm_k8s_pod_ref *head, *tail;
};

struct tm_k8s_svc {
	const struct tm_k8s_obj *svc;
	tm_node **targets; /* selected workloads, or the external node */
	size_t ntargets;
};

bool tm_k8s__is(const struct tm_k8s_obj *o, const char *kind);
const tm_value *tm_k8s__pod_template(const struct tm_k8s_obj *o);
const char *tm_k8s__ns_boundary(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *ns);
tm_node *tm_k8s__identity(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *ns, const char *sa,
			  tm_loc loc);

/* k8s_cloudid.c: the cloud identity a ServiceAccount's workload-identity annotation names. */
void tm_k8s__cloud_identity(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *sa, const struct tm_k8s_obj *o);
void tm_k8s__netpols(tm_ingest_ctx *ctx, struct tm_k8s *k);
void tm_k8s__rbac(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* Env vars and ConfigMap values that name a Service become calls edges. */
void tm_k8s__calls(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* Resolve a host name as a pod in namespace ns would: "svc", "svc.ns", "svc.ns.svc[.cluster.local]". */
/* A key with a credential-like name and a written value, or a value carrying a password. */
bool tm_k8s__literal_credential(const char *name, const char *value);
struct tm_k8s_svc *tm_k8s__resolve_host(struct tm_k8s *k, const char *ns, const char *host);

#endif
