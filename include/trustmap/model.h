/*
 * trustmap/model.h - the system model: a typed graph of nodes, edges and trust boundaries.
 *
 * The model is built by the ingesters and is read-only afterwards; everything
 * downstream takes `const tm_model *`. Every node and edge keeps its evidence:
 * the file, line and column of each fact it was built from. All strings and
 * objects are owned by the model and live until tm_model_free().
 *
 * Iteration order is stable: nodes sorted by id, edges by (from, to, kind),
 * boundaries by id. Ids are deterministic strings such as
 * "service:shop/orders" or "identity:k8s:shop/orders".
 */
#ifndef TRUSTMAP_MODEL_H
#define TRUSTMAP_MODEL_H

#include <stdbool.h>

#include "trustmap/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tm_model tm_model;
typedef struct tm_node tm_node;
typedef struct tm_edge tm_edge;
typedef struct tm_boundary tm_boundary;

/* Node kinds, as named in the JSON report. */
#define TM_NODE_KINDS(X)                                                                           \
	X(ENTRYPOINT, "entrypoint")                                                                \
	X(GATEWAY, "gateway")                                                                      \
	X(SERVICE, "service")                                                                      \
	X(ENDPOINT, "endpoint")                                                                    \
	X(DATASTORE, "datastore")                                                                  \
	X(QUEUE, "queue")                                                                          \
	X(IDENTITY, "identity")                                                                    \
	X(SECRET, "secret")                                                                        \
	X(PIPELINE, "pipeline")                                                                    \
	X(EXTERNAL, "external")

#define TM_EDGE_KINDS(X)                                                                           \
	X(ROUTES, "routes")                                                                        \
	X(CALLS, "calls")                                                                          \
	X(PUBLISHES, "publishes")                                                                  \
	X(SUBSCRIBES, "subscribes")                                                                \
	X(READS, "reads")                                                                          \
	X(WRITES, "writes")                                                                        \
	X(RUNS_AS, "runs-as")                                                                      \
	X(GRANTED, "granted")                                                                      \
	X(MOUNTS, "mounts")                                                                        \
	X(DEPLOYS, "deploys")                                                                      \
	X(EXPOSES, "exposes")                                                                      \
	X(ESCAPES, "escapes-to")                                                                   \
	X(HOSTS, "hosts")

#define TM_BOUNDARY_KINDS(X)                                                                       \
	X(INTERNET, "internet")                                                                    \
	X(CLUSTER, "cluster")                                                                      \
	X(NAMESPACE, "namespace")                                                                  \
	X(CLOUD_ACCOUNT, "cloud-account")                                                          \
	X(CI, "ci")                                                                                \
	X(PARTNER, "partner")

#define TM_AUTHN_KINDS(X)                                                                          \
	X(UNKNOWN, "unknown")                                                                      \
	X(NONE, "none")                                                                            \
	X(API_KEY, "api-key")                                                                      \
	X(JWT, "jwt")                                                                              \
	X(MTLS, "mtls")                                                                            \
	X(BASIC, "basic")                                                                          \
	X(OAUTH2, "oauth2")                                                                        \
	X(AWS_IAM, "aws-iam")

#define TM_AUTHZ_KINDS(X)                                                                          \
	X(UNKNOWN, "unknown")                                                                      \
	X(NONE, "none")                                                                            \
	X(SCOPE, "scope")                                                                          \
	X(ROLE, "role")                                                                            \
	X(POLICY, "policy")

#define TM_ENFORCED_KINDS(X)                                                                       \
	X(UNKNOWN, "unknown")                                                                      \
	X(GATEWAY, "gateway")                                                                      \
	X(MESH, "mesh")                                                                            \
	X(SERVICE, "service")

#define TM_ENUM_NODE(id, name) TM_NODE_##id,
#define TM_ENUM_EDGE(id, name) TM_EDGE_##id,
#define TM_ENUM_BOUNDARY(id, name) TM_BOUNDARY_##id,
#define TM_ENUM_AUTHN(id, name) TM_AUTHN_##id,
#define TM_ENUM_AUTHZ(id, name) TM_AUTHZ_##id,
#define TM_ENUM_ENFORCED(id, name) TM_ENFORCED_##id,
typedef enum { TM_NODE_KINDS(TM_ENUM_NODE) TM_NODE__COUNT } tm_node_kind;
typedef enum { TM_EDGE_KINDS(TM_ENUM_EDGE) TM_EDGE__COUNT } tm_edge_kind;
typedef enum { TM_BOUNDARY_KINDS(TM_ENUM_BOUNDARY) TM_BOUNDARY__COUNT } tm_boundary_kind;
typedef enum { TM_AUTHN_KINDS(TM_ENUM_AUTHN) TM_AUTHN__COUNT } tm_authn;
typedef enum { TM_AUTHZ_KINDS(TM_ENUM_AUTHZ) TM_AUTHZ__COUNT } tm_authz;
typedef enum { TM_ENFORCED_KINDS(TM_ENUM_ENFORCED) TM_ENFORCED__COUNT } tm_enforced_at;

/* Names as written in reports ("service", "runs-as", "api-key"...). Never NULL. */
const char *tm_node_kind_name(tm_node_kind k);
const char *tm_edge_kind_name(tm_edge_kind k);
const char *tm_boundary_kind_name(tm_boundary_kind k);
const char *tm_authn_name(tm_authn a);
const char *tm_authz_name(tm_authz a);
const char *tm_enforced_name(tm_enforced_at e);
/* The kind a name (any case, len bytes) stands for; -1 if none. Likewise for edges. */
int tm_node_kind_parse(const char *name, size_t len);
int tm_edge_kind_parse(const char *name, size_t len);

/*
 * A node id taken apart, never cut at fixed offsets. Ids are "<kind>:<rest>", and rest is
 * "[<scheme>:]<ns>/<name>" for namespaced objects ("service:shop/orders",
 * "gateway:istio:shop/public", "identity:k8s:shop/default") or "[<scheme>:]<name>"
 * ("entrypoint:partner:feed", "external:api.example"). A scheme is the text before a ':' that
 * comes before any '/'. Pointers point into id; lengths, not NUL terminators, end the parts.
 */
typedef struct {
	int kind;            /* a tm_node_kind, or -1 when the prefix names none (a boundary id) */
	const char *prefix;  /* the text before the first ':' */
	size_t prefix_len;
	const char *rest;    /* everything after "<prefix>:" (NUL-terminated: the end of id) */
	const char *scheme;  /* "istio", "k8s", "partner"...; NULL when there is none */
	size_t scheme_len;
	const char *ns;      /* NULL when rest names no namespace */
	size_t ns_len;
	const char *name;    /* after "<ns>/", or after the scheme (NUL-terminated: the end of id) */
} tm_node_id_parts;
/* 0, or TM_EINVALID when id has no "<prefix>:" (out is then zeroed, kind -1). */
int tm_node_id_parse(const char *id, tm_node_id_parts *out);

/* A typed attribute on a node or edge ("namespace", "image", "replicas"...). */
typedef enum { TM_ATTR_STR, TM_ATTR_BOOL, TM_ATTR_INT, TM_ATTR_LIST } tm_attr_type;
typedef struct {
	const char *key;
	const char *str;          /* TM_ATTR_STR */
	int64_t num;              /* TM_ATTR_BOOL (0/1), TM_ATTR_INT */
	const char *const *list;  /* TM_ATTR_LIST: NULL-terminated, sorted, unique */
	uint64_t key_head;        /* the key's first 8 bytes, big-endian: lookups compare it first */
	uint32_t list_len;        /* the items of list (its array's size follows from it: model.c) */
	tm_attr_type type;
} tm_attr; /* 48 bytes: a model of 5,000 services holds millions */

void tm_model_free(tm_model *m);

size_t tm_model_boundary_count(const tm_model *m);
const tm_boundary *tm_model_boundary(const tm_model *m, size_t i);
size_t tm_model_node_count(const tm_model *m);
const tm_node *tm_model_node(const tm_model *m, size_t i);
size_t tm_model_edge_count(const tm_model *m);
const tm_edge *tm_model_edge(const tm_model *m, size_t i);
/* Lookup by id; NULL if absent. */
const tm_node *tm_model_find(const tm_model *m, const char *id);
/* Number of nodes of one kind. */
size_t tm_model_count_kind(const tm_model *m, tm_node_kind k);

const char *tm_boundary_id(const tm_boundary *b);
tm_boundary_kind tm_boundary_kind_of(const tm_boundary *b);
const char *tm_boundary_name(const tm_boundary *b);
const char *tm_boundary_parent(const tm_boundary *b); /* id, or NULL at the top */

const char *tm_node_id(const tm_node *n);
tm_node_kind tm_node_kind_of(const tm_node *n);
const char *tm_node_name(const tm_node *n);
const char *tm_node_boundary(const tm_node *n); /* boundary id */
/* Evidence, sorted and unique. */
size_t tm_node_evidence_count(const tm_node *n);
tm_loc tm_node_evidence(const tm_node *n, size_t i);
/* Attributes, sorted by key. */
size_t tm_node_attr_count(const tm_node *n);
const tm_attr *tm_node_attr(const tm_node *n, size_t i);
/* The attribute named key, or NULL. */
const tm_attr *(tm_node_attr_get)(const tm_node *n, const char *key);
/* String value of attribute key, or NULL if absent or not a string. */
const char *(tm_node_attr_str)(const tm_node *n, const char *key);
/* The same, given the key's head (tm_attr_key_head): what the two calls above become. */
const tm_attr *tm_node_attr_find(const tm_node *n, const char *key, uint64_t head);

/* A key's head: its first 8 bytes (NUL-padded) as a big-endian number, so comparing two heads
 * orders keys as strcmp does over those bytes and a lookup seldom reads the key strings. */
uint64_t tm_attr_key_head(const char *key);
/* The same, worked out while compiling when key is a string literal (the rules' lookups, millions
 * in a large estate, then compute nothing before they bisect), else by tm_attr_key_head. */
#define TM_KEY_BYTE_(k, n, i) ((uint64_t)((i) < (n) ? (unsigned char)(k)[(i) < (n) ? (i) : 0] : 0) << (56 - 8 * (i)))
static inline uint64_t tm_attr_key_head_of(const char *key)
{
	if (__builtin_constant_p(__builtin_strlen(key))) {
		size_t n = __builtin_strlen(key);
		return TM_KEY_BYTE_(key, n, 0) | TM_KEY_BYTE_(key, n, 1) | TM_KEY_BYTE_(key, n, 2) |
		       TM_KEY_BYTE_(key, n, 3) | TM_KEY_BYTE_(key, n, 4) | TM_KEY_BYTE_(key, n, 5) |
		       TM_KEY_BYTE_(key, n, 6) | TM_KEY_BYTE_(key, n, 7);
	}
	return tm_attr_key_head(key);
}
#define tm_node_attr_get(n, key) tm_node_attr_find((n), (key), tm_attr_key_head_of(key))
static inline const char *tm_node_attr_str_of_(const tm_attr *a)
{
	return a && a->type == TM_ATTR_STR ? a->str : NULL;
}
#define tm_node_attr_str(n, key) tm_node_attr_str_of_(tm_node_attr_get((n), (key)))

/* Is n a name and nothing more: a service node that only a name in the configuration made (an env
 * value, a route's backend), no Service, workload or compose service of that name scanned? Its
 * `unresolved` says so, and `did_you_mean` the Service a kustomize overlay renamed it to, when one
 * is. Reports mark it unresolved and leave it out of the services they count. */
bool tm_node_unresolved_name(const tm_node *n);

/* Does pipeline p run on events an outsider causes (a fork's pull request, a comment, a
 * workflow_run after one: its `triggers`)? */
bool tm_pipeline_outsider_triggered(const tm_node *p);
/* Can an outsider run code on pipeline p's runner: it runs on such an event with privileges
 * (`untrusted_triggers`), or runs jobs on self-hosted runners on one (their host, credentials and
 * network are the job's)? What the walks from "ci" start from. */
bool tm_pipeline_outsider_runs(const tm_node *p);

/*
 * Located facts: one (key, value) with the place it was read, e.g.
 * ("privileged", "admin", k8s/admin.yaml:31:13). The value also appears in the
 * list attribute named key; the fact says where. Sorted by key, value, place.
 */
typedef struct {
	const char *key, *value;
	tm_loc loc;
} tm_fact_loc;
size_t tm_node_fact_count(const tm_node *n);
const tm_fact_loc *tm_node_fact(const tm_node *n, size_t i);

/*
 * What the overlay (trustmap.yaml) says that no manifest can: data assets,
 * assumptions and accepted risks. Each keeps where it was written.
 */
typedef struct {
	const char *name, *classification; /* public|internal|confidential|restricted */
	const char *const *data;            /* kinds of data, NULL-terminated */
	const char *const *stores;          /* node names holding it, NULL-terminated */
	tm_loc loc;
} tm_asset;

typedef struct {
	const char *text;
	tm_loc loc;
} tm_assumption;

/* An accepted risk names one finding by fingerprint, or (a suppression: fingerprint NULL) every
 * finding of a rule (an id, or a prefix ending in '-' or '*': "TM-CTR-*"), optionally only where
 * its evidence lies under one of paths (globs) or its subject is in namespace ns. Suppressions come
 * from the overlay's `suppress:` and from a manifest's trustmap.io/ignore annotation (then
 * subject is the annotated workload's node id). */
typedef struct {
	const char *fingerprint, *owner, *rationale;
	const char *expires, *review; /* YYYY-MM-DD; either may be NULL for an annotation */
	tm_loc loc;
	const char *rule;             /* a suppression's rule, or NULL */
	const char *const *paths;     /* NULL-terminated globs, or NULL: anywhere */
	const char *ns;               /* a namespace, or NULL: any */
	const char *subject;          /* a node id (annotations), or NULL: any */
} tm_accepted_risk;

size_t tm_model_asset_count(const tm_model *m);
const tm_asset *tm_model_asset(const tm_model *m, size_t i);
size_t tm_model_assumption_count(const tm_model *m);
const tm_assumption *tm_model_assumption(const tm_model *m, size_t i);
size_t tm_model_accepted_count(const tm_model *m);
const tm_accepted_risk *tm_model_accepted(const tm_model *m, size_t i);

/* The policies the model evaluates (NetworkPolicy, PeerAuthentication,
 * RequestAuthentication, AuthorizationPolicy, Istio Gateway, VirtualService),
 * in the order they were read. */
typedef struct {
	const char *kind, *ns, *name;
	tm_loc loc;
} tm_policy_ref;
size_t tm_model_policy_count(const tm_model *m);
tm_policy_ref tm_model_policy_ref(const tm_model *m, size_t i);
/* A hash of policy i's content (what it selects and allows), not of its text: equal for a
 * reformatted policy, different for a changed one. */
uint64_t tm_model_policy_signature(const tm_model *m, size_t i);
/* Is network policy k of head (NetworkPolicy, or a CNI's policy in its table) a loosened version of
 * policy i of base, by what shows it without evaluating every peer: a direction it no longer
 * isolates, a rule that now admits every peer or every port, more rules (each admits more)? Or a
 * Linkerd authorization that now admits every client, every pod or every meshed identity where it
 * admitted fewer, a Server whose accessPolicy admits more? The reason as a static phrase ("its
 * egress rule 1 now admits every peer"), or NULL (not loosened, not known, or of another kind). */
const char *tm_model_policy_loosened(const tm_model *base, size_t i, const tm_model *head, size_t k);

const tm_node *tm_edge_from(const tm_edge *e);
const tm_node *tm_edge_to(const tm_edge *e);
tm_edge_kind tm_edge_kind_of(const tm_edge *e);
/* True when from and to sit in different trust boundaries. */
bool tm_edge_crosses_boundary(const tm_edge *e);
tm_authn tm_edge_authn(const tm_edge *e);
tm_authz tm_edge_authz(const tm_edge *e);
tm_enforced_at tm_edge_enforced_at(const tm_edge *e);
size_t tm_edge_evidence_count(const tm_edge *e);
tm_loc tm_edge_evidence(const tm_edge *e, size_t i);
size_t tm_edge_attr_count(const tm_edge *e);
const tm_attr *tm_edge_attr(const tm_edge *e, size_t i);
/* The edge's attribute key, or NULL (an edge holds a few: a scan of them). */
const tm_attr *tm_edge_attr_get(const tm_edge *e, const char *key);
/* Its value when a string, else NULL. */
const char *tm_edge_attr_str(const tm_edge *e, const char *key);

#ifdef __cplusplus
}
#endif
#endif
