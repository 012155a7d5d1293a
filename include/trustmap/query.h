/*
 * trustmap/query.h - "can A call B?" and "who can call B?", answered from the
 * policy in the model: Kubernetes NetworkPolicy, Istio PeerAuthentication
 * (mTLS), RequestAuthentication and AuthorizationPolicy, and gateway routing.
 *
 * The evaluator applies each layer the way the platform does, in the order a
 * packet meets them: the source's egress NetworkPolicy, the destination's
 * ingress NetworkPolicy, mTLS at the destination's sidecar, JWT validation,
 * then authorization (CUSTOM, DENY, ALLOW; no ALLOW policy means allow; an
 * ALLOW policy that matches nothing means deny). Every step names the policy
 * and the file and line that decided it.
 *
 * Names: a source or destination is "internet" (also "external"), a workload
 * or Service as "ns/name" or "name.ns" (optionally ".svc.cluster.local"), or
 * a bare name when it is unique; a destination may end in ":PORT".
 */
#ifndef TRUSTMAP_QUERY_H
#define TRUSTMAP_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "trustmap/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TM_TOKEN_NONE = 0, TM_TOKEN_VALID = 1, TM_TOKEN_INVALID = 2 } tm_token;

typedef struct {
	const char *source, *destination;
	const char *method;          /* NULL: GET for HTTP */
	const char *path;            /* NULL: "/" */
	const char *host;            /* Host header; NULL: the destination's name */
	int port;                    /* 0: from the destination, or its first port */
	bool tcp;                    /* plain TCP: no HTTP attributes exist */
	const char *const *headers;  /* "name: value" */
	size_t nheaders;
	tm_token token;
	const char *issuer, *subject; /* of a valid token; NULL: the first issuer configured */
	const char *const *claims;   /* "key=value", repeatable for list claims */
	size_t nclaims;
	const char *source_ip;       /* for the internet: NULL means a public address */
	const char *via;             /* from the internet: only the route through this gateway node id */
	/* a credential the gateway checks on the route from the internet (its routes edge's authn,
	 * enforced at the gateway: Kong's key-auth, nginx's auth_request, API Gateway's JWT) decides: a
	 * request without a valid token is refused there, 401. The CLI's questions set it; the analysis'
	 * walks leave it unset and carry the check on their hop instead. */
	bool gateway_authn;
	/* the request is not known (a call a workload's configuration makes): method, path and host
	 * conditions are met by some request, so an ALLOW rule written with them matches and a DENY or
	 * CUSTOM rule written with them does not (some request escapes it). tm_query_can takes this
	 * reading by itself when no method, path or tcp is asked and GET / alone is denied by such a
	 * condition; the verdict's request then reads "any request". */
	bool any;
} tm_request;

/* One layer's say. */
typedef struct {
	const char *layer;    /* "resolve", "network-policy", "mtls", "request-authentication",
				 "authorization", "routing" */
	const char *decision; /* "allow", "deny", "pass" (not enforced here), "unknown" */
	const char *text;     /* one line, lowercase */
	const char *policy;   /* "AuthorizationPolicy foo/deny-get", or NULL */
	tm_loc loc;           /* where that policy (rule) is written; path NULL if none */
} tm_query_step;

typedef struct {
	bool allowed;
	bool unknown;          /* decided by something outside the scan (an external authorizer) */
	const char *outcome;   /* what the caller sees: "200", "401", "403", "404", "reset" (HTTP);
				  "connected", "rejected" (TCP); "unreachable" */
	const char *reason;    /* the deciding step's text */
	const char *decided_by; /* policy that decided, or NULL (defaults decided) */
	tm_loc decided_at;
	const char *source_id, *destination_id; /* model node ids, when resolved */
	const char *route;     /* "direct", "via gateway:istio:foo/httpbin-gateway", ... */
	const char *request;   /* what was evaluated: "GET /api/v1/orders", "tcp" (who-can-call may
				  try the paths the routes accept) */
	tm_query_step *steps;
	size_t nsteps;
	void *priv;            /* owns everything above */
} tm_verdict;

/*
 * Evaluate one request. Returns 0 with *out filled, TM_ENOTFOUND when the source or
 * destination names nothing in the model (out->reason says which), or TM_ENOMEM.
 * Always free *out with tm_verdict_dispose, whatever the result.
 */
int tm_query_can(tm_verdict *out, const tm_model *m, const tm_request *req);
void tm_verdict_dispose(tm_verdict *v);

/* One caller that can reach the destination. */
typedef struct {
	const char *source;    /* node id, or "entrypoint:internet" */
	tm_verdict verdict;
} tm_caller;

typedef struct {
	tm_caller *items;
	size_t n;
	size_t considered;     /* sources evaluated */
	const char **undecided; /* sources whose verdict the files cannot decide (unknown), not in items */
	size_t nundecided;
	const char *destination_id;
	const char *reason;    /* TM_ENOTFOUND: why the destination names nothing ("'x' is ambiguous:
				  name the namespace (ns/name)"), as tm_query_can's reason; else NULL */
} tm_callers;

/*
 * Every source (the internet and each workload) whose request req (source
 * ignored) would be allowed, in node-id order. TM_ENOTFOUND if the destination
 * names nothing (out->reason says why: unknown, ambiguous, a Service selecting no workload). Free
 * with tm_callers_dispose, whatever the result.
 */
int tm_query_who_can_call(tm_callers *out, const tm_model *m, const tm_request *req);
/* The same over some sources only: the internet, and each workload of the policy model's table (in
 * its order) whose byte in pick is set (NULL: every workload); out->considered counts the sources
 * evaluated. */
int tm_query_callers_among(tm_callers *out, const tm_model *m, const tm_request *req, const unsigned char *pick);
void tm_callers_dispose(tm_callers *c);

#ifdef __cplusplus
}
#endif
#endif
