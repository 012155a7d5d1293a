/*
 * trustmap/paths.h - what an attacker can reach from a position, hop by hop.
 *
 * Positions: "internet" (anonymous), "user" (the internet with a valid
 * token), "partner" or "partner:NAME" (the overlay's entry points),
 * "namespace:NS" (any workload there), "workload:NS/NAME" or "NS/NAME" (one
 * compromised workload), "ci" (a pull-request author; no CI input is
 * modelled in this version, so it reaches nothing and says so).
 *
 * Each hop is one of: a route (entry point or gateway to a workload, with the
 * request evaluated as `trustmap query` would), a network call a workload is
 * allowed to make (NetworkPolicy, mTLS, AuthorizationPolicy), acting as the
 * workload's identity (runs-as), what that identity's RBAC grants (secrets it
 * may read, workloads it may exec into or create), a mounted secret, a message
 * published to a channel and the workloads consuming it. The search is a
 * breadth-first walk: each node is entered once, so a walk is linear in nodes
 * plus edges (plus one policy evaluation per workload pair it tries).
 */
#ifndef TRUSTMAP_PATHS_H
#define TRUSTMAP_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "trustmap/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tm_reach tm_reach;

/* Where a hop's fact comes from: the files (declared), a runtime map only (observed: a CALLS edge
 * with observed_only, ingest/runtime.c), or both (a declared call a runtime map also saw). */
typedef enum { TM_SEEN_DECLARED = 0, TM_SEEN_OBSERVED, TM_SEEN_BOTH } tm_seen;
/* "declared", "observed", "both". */
const char *tm_seen_name(tm_seen s);
/* What a CALLS edge is (any other edge: declared). */
tm_seen tm_edge_seen(const tm_edge *e);
/* Does the model hold any CALLS edge a runtime map observed? Readers say declared/observed/both
 * only then, so what they write of a declared-only model keeps its shape. */
bool tm_model_has_observed(const tm_model *m);

/* One hop into a node. */
typedef struct {
	const tm_node *node;
	const tm_node *from;   /* NULL for a starting node */
	const char *how;       /* "routes", "calls", "runs-as", "reads secret", "execs into", "publishes", ... */
	const char *enforced;  /* what stood in the way and let it pass, e.g. "jwt at gateway", "none" */
	tm_loc evidence;       /* the fact that allows the hop (path NULL if none) */
	size_t depth;
	tm_seen seen;          /* the edge taken: declared, observed at runtime, or both */
	/* reached from the start through routes and the operations they expose only (an entry point's or
	 * a gateway's routes, not a call), by some way in, whichever way the walk entered it first:
	 * what exposure calls routed from outside */
	bool routed;
} tm_hop;

/* Walk from position. TM_EINVALID with *why set for an unknown position; TM_ENOMEM.
 * Free with tm_reach_free (also after an error). */
int tm_reach_run(tm_reach **out, const tm_model *m, const char *position, const char **why);
void tm_reach_free(tm_reach *r);

/* Every node reached, in the order reached (starting nodes first). */
size_t tm_reach_count(const tm_reach *r);
const tm_hop *tm_reach_at(const tm_reach *r, size_t i);
/* The hop that reached n, or NULL if n is not reached. */
const tm_hop *tm_reach_find(const tm_reach *r, const tm_node *n);

/* How valuable a reached node is to an attacker: 0 none, higher is worse (cluster-admin
 * identity, restricted data, secrets...), with a one-line reason. */
int tm_reach_value(const tm_model *m, const tm_node *n, const char **why);
/* The value of a data store or broker that admits any client. */
#define TM_REACH_VALUE_OPEN_STORE 60
/* The value of a node a workload escapes to (a Docker host, a Kubernetes node): root there. */
#define TM_REACH_VALUE_NODE 85

/*
 * Attack paths from a position (trustmap paths): every valuable node the walk from `from`
 * reaches (tm_reach_value > 0, past the start), or only the node `to` names; most valuable
 * first, then nearest, then by id. Each path is its hops, start first, at most
 * TM_PATH_MAX_HOPS. Returns 0; TM_EINVALID for a position that names nothing a walk can start
 * from, TM_ENOTFOUND when `to` is no node id, with *why saying so; TM_ENOMEM. Free with
 * tm_paths_free, also after an error.
 */
#define TM_PATH_MAX_HOPS 64
typedef struct {
	const tm_hop *target;
	int value;            /* tm_reach_value of the target */
	const char *why;      /* what makes it valuable, or NULL */
	const tm_hop *const *hops;
	size_t nhops;
} tm_attack_path;
typedef struct tm_paths tm_paths;
int tm_paths_run(tm_paths **out, const tm_model *m, const char *from, const char *to, const char **why);
void tm_paths_free(tm_paths *p);
size_t tm_paths_count(const tm_paths *p);
const tm_attack_path *tm_paths_at(const tm_paths *p, size_t i);
size_t tm_paths_reached(const tm_paths *p);   /* nodes the walk entered */
const char *tm_paths_from(const tm_paths *p);
const char *tm_paths_to(const tm_paths *p);   /* NULL without --to */
const char *tm_paths_note(const tm_paths *p); /* the walk's note on its start, or NULL */
bool tm_paths_observed(const tm_paths *p);    /* the model holds observed calls (tm_model_has_observed) */

/*
 * Exposure, computed: for every workload, gateway and API operation, the widest position that
 * reaches it — internet (reached from the anonymous internet), partner (from an overlay entry
 * point only), cluster (some workload may call it), none. Free with tm_exposure_free.
 */
typedef enum {
	TM_EXPOSURE_NONE = 0,
	TM_EXPOSURE_CLUSTER,
	TM_EXPOSURE_PARTNER,
	TM_EXPOSURE_INTERNET,
} tm_exposure_level;
/* "none", "cluster", "partner", "internet". */
const char *tm_exposure_level_name(tm_exposure_level e);
/* A name (any case); -1 if unknown. */
int tm_exposure_level_parse(const char *name);

typedef struct tm_exposure tm_exposure;
int tm_exposure_run(tm_exposure **out, const tm_model *m);
void tm_exposure_free(tm_exposure *x);
/* n's level, or -1 when n is not a workload, gateway or operation (or x or n is NULL). */
int tm_exposure_level_of(const tm_exposure *x, const tm_node *n);
/* The level's name, or NULL as above: what every report prints. */
const char *tm_exposure_of(const tm_exposure *x, const tm_node *n);

/*
 * Blast radius of each workload: what a compromise of it reaches (the walk from
 * "workload:NS/NAME"): the identities it acts as and their dangerous grants,
 * the secrets, services, stores and third parties it reaches, and the crown
 * jewels among them (see tm_reach_value). Lists are NULL-terminated node ids,
 * nearest first.
 *
 * Bounds, so an estate where everything reaches everything stays linear: each walk
 * enters at most TM_BLAST_MAX_HOPS nodes (truncated says when it stopped there),
 * and each list keeps its first TM_BLAST_LIST_MAX items; the counts are of
 * everything the walk entered. Call verdicts are evaluated once per edge for all walks.
 */
#define TM_BLAST_MAX_HOPS 500
#define TM_BLAST_LIST_MAX 50
enum { TM_BLAST_IDENTITIES, TM_BLAST_CAPABILITIES, TM_BLAST_SECRETS, TM_BLAST_SERVICES, TM_BLAST_STORES,
       TM_BLAST_EXTERNALS, TM_BLAST_CROWN_JEWELS, TM_BLAST__COUNT };
typedef struct {
	const char *workload;
	const char *const *identities, *const *capabilities, *const *secrets, *const *services;
	const char *const *stores, *const *externals, *const *crown_jewels;
	size_t count[TM_BLAST__COUNT]; /* items of each list before the cap */
	bool truncated;                /* the walk stopped at TM_BLAST_MAX_HOPS */
} tm_blast_entry;

typedef struct tm_blast tm_blast;
int tm_blast_run(tm_blast **out, const tm_model *m);
/* The call verdicts the walks of one model share, across threads (NULL: out of memory). */
typedef struct tm_blast_calls tm_blast_calls;
tm_blast_calls *tm_blast_calls_new(const tm_model *m);
void tm_blast_calls_free(tm_blast_calls *c);
/* The walks of one share of the workloads (part of parts, in the model's order), judging calls
 * through calls (NULL: verdicts of its own): the parts run side by side, and tm_blast_join puts
 * them back together, in order, as tm_blast_run makes the whole. */
int tm_blast_run_part(tm_blast **out, const tm_model *m, tm_blast_calls *calls, size_t part, size_t parts);
/* The walks from the workloads named (node ids; the others and unknown ids skipped), each entry as
 * tm_blast_run gives it, in the policy's order. */
int tm_blast_run_some(tm_blast **out, const tm_model *m, const char *const *workloads, size_t n);
/* One blast radius of parts[0..n) in order; takes every part (set to NULL) on success. TM_ENOMEM. */
int tm_blast_join(tm_blast **out, tm_blast **parts, size_t n);
void tm_blast_free(tm_blast *b);
size_t tm_blast_count(const tm_blast *b);
const tm_blast_entry *tm_blast_at(const tm_blast *b, size_t i);

#ifdef __cplusplus
}
#endif
#endif
