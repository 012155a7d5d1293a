/*
 * ingest/traefik.h - Traefik's router rules and middlewares, read one way for the two providers
 * trustmap reads: the Docker provider's labels (compose_traefik.c) and the file provider's dynamic
 * configuration (gw_traefik.c). Strings come back in the arena given.
 */
#ifndef TM_INGEST_TRAEFIK_H
#define TM_INGEST_TRAEFIK_H

#include "ingest.h"

/* The text between the backticks (or quotes) of the next argument of fn(...) in rule, from *pos
 * (moved past it); NULL when there is none. fn matches as a word: "Path" is not "PathPrefix". */
const char *tm_traefik__rule_arg(tm_arena *a, const char *rule, const char *fn, size_t *pos);
/* The hosts a rule names (Host, HostSNI; several arguments or several calls), space-separated, or
 * NULL: any host (none named, or HostSNI(`*`)). */
const char *tm_traefik__rule_hosts(tm_arena *a, const char *rule);
/* The paths a rule matches (PathPrefix, Path, PathRegexp arguments, in that order) and how each
 * matches, as arena arrays; their number (0: none named, every path). */
size_t tm_traefik__rule_paths(tm_arena *a, const char *rule, const char ***paths, tm_gw_match **matches);
/* The routes of g a router's rule makes: with tcp, one connection-level route (TM_GW_TCP); else one
 * per PathPrefix, Path and PathRegexp argument (none: "/", every path of its hosts); each to
 * upstream, with c, at loc, plaintext_at set on it (NULL: none). The number of routes made. */
size_t tm_traefik__routes(tm_ingest_ctx *ctx, tm_gw_config *g, const char *rule, bool tcp, const char *upstream,
			  const tm_gw_checks *c, tm_loc loc, const char *plaintext_at);

typedef enum {
	TM_TRAEFIK_MW_OTHER, /* a middleware that checks nothing of the caller (headers, stripPrefix) */
	TM_TRAEFIK_MW_CHECK, /* written into the checks */
	TM_TRAEFIK_MW_CHAIN  /* a chain: its middlewares are the caller's to follow */
} tm_traefik_mw;
/* A middleware of type (its first tlen bytes, as written: "basicAuth", a label's "basicauth") named
 * name, into c: basicAuth and digestAuth a basic check, forwardAuth a check the gateway delegates
 * (unknown), ipAllowList/ipWhiteList an allow-list of ranges (its sourceRange, comma- or
 * space-separated; NULL: not known), weighed when every range is private (private_only), rateLimit
 * a rate limit. Each is named "traefik <type> middleware <name>", followed by " at <where>" when
 * where is not NULL. */
tm_traefik_mw tm_traefik__middleware(tm_arena *a, const char *type, size_t tlen, const char *ranges, const char *name,
				     const char *where, tm_gw_checks *c);

/* An ipAllowList middleware's sourceRange (the key matched ignoring case, as the file provider
 * reads keys) as space-separated text, or NULL when it lists none. */
const char *tm_traefik__ranges(tm_arena *a, const tm_value *body);

/* What a Traefik static configuration read by gw_traefik.c says of the Docker provider, for the
 * compose service that mounts it (compose_traefik.c). */
typedef struct {
	bool docker;             /* providers.docker (or Traefik 3's providers.swarm) is configured */
	bool swarm;              /* in Swarm mode (providers.swarm, providers.docker.swarmMode): it reads
				    the services' deploy.labels, not the containers' labels */
	bool exposed_by_default; /* its exposedByDefault (Traefik's default: true) */
	const char *constraints; /* its constraints expression, or NULL */
	tm_loc loc;              /* where the provider is configured */
	const char *path;        /* the static configuration's path */
} tm_traefik_static_info;
/* The static configuration a compose service's bind mount mount (as written, relative to the
 * directory of compose_file) makes visible: the file itself, or one in the directory mounted
 * (traefik.yml, traefik.yaml). True when one was read, with *out filled. */
bool tm_traefik__static_mounted(tm_ingest_ctx *ctx, const char *compose_file, const char *mount,
				tm_traefik_static_info *out);

#endif
