/*
 * ingest/compose.h - internals shared by the docker-compose ingester's files (compose.c: projects
 * and services into the model; compose_merge.c: override and extends merging; compose_env.c:
 * `.env` files and ${VAR} interpolation) and by tests/unit/test_compose.c.
 */
#ifndef TM_INGEST_COMPOSE_H
#define TM_INGEST_COMPOSE_H

#include "ingest.h"

/* ---- compose_env.c ------------------------------------------------------------------------- */

/* The variables of one `.env` file, in file order (a later definition of a key wins). Strings and
 * the array live in the arena the file was parsed into. */
typedef struct {
	const char **keys;
	const char **values;
	uint32_t *lines; /* each key's line in its file */
	size_t n;
} tm_compose_env;

/* Most variables read from one `.env` file; more are dropped with a note. */
#define TM_COMPOSE_ENV_MAX 4096

/*
 * Parse `.env` text (len bytes, need not be NUL-terminated) as docker compose reads it: KEY=VALUE
 * lines, `export ` allowed, `#` comments, single quotes literal, double quotes with \n \t \\ \"
 * escapes, unquoted values up to a ` #` comment and trimmed; unquoted and double-quoted values are
 * interpolated against the variables defined above them. Lines that are not assignments are
 * counted in *bad (may be NULL) and skipped. 0, or TM_ENOMEM (out is then empty).
 */
int tm_compose__dotenv_parse(tm_arena *a, const char *text, size_t len, tm_compose_env *out, size_t *bad);
/* The value of key in env (the last definition), or NULL; env may be NULL. */
const char *tm_compose__env_get(const tm_compose_env *env, const char *key, size_t klen);

/*
 * Compose interpolation of s against env (NULL: no `.env`): $$ is a dollar; ${VAR}, $VAR,
 * ${VAR:?err}, ${VAR?err} take env's value; ${VAR:-default} and ${VAR-default} take env's value
 * (non-empty for :-) or else their default, itself interpolated; ${VAR:+alt} and ${VAR+alt} take
 * alt when env sets VAR (non-empty for :+) and "" when env sets it otherwise. Every reference env
 * does not decide stays as written: the process environment is never read. Returns s itself
 * when it holds no '$', else a string in a (s on ENOMEM).
 */
const char *tm_compose__interpolate(tm_arena *a, const tm_compose_env *env, const char *s);
/* Every variable s refers to that nothing here decides, as compose would meet it: ${VAR}, $VAR,
 * ${VAR?err}, ${VAR:?err} and ${VAR:+alt} that env does not set (the references in a default or an
 * alternative when compose would take it); fn gets each name (len bytes, not NUL-terminated). */
typedef void (*tm_compose_unset_fn)(void *ud, const char *name, size_t len);
void tm_compose__unset_each(const tm_compose_env *env, const char *s, tm_compose_unset_fn fn, void *ud);

/* ---- compose_merge.c ------------------------------------------------------------------------ */

/*
 * Merge src, a service mapping of file sf (or of f itself), into dst, a service mapping made in the
 * rendered file f, by the Compose Specification's rules (13-merge.md and docker compose):
 * mappings merge recursively and scalars are replaced; `command`, `entrypoint` and
 * `healthcheck.test` are replaced; `environment`, `labels`, `extra_hosts`, `sysctls`,
 * `annotations`, `build.args` merge by key in list or map form; `volumes`, `secrets`, `configs`
 * merge by target; `ports` by {host ip, published, target, protocol}; `networks` and `depends_on`
 * by name; other sequences append what they do not already hold. A value src leaves empty where
 * dst has one merges as nothing: the parser drops YAML tags, so `!reset` and `!override` cannot be
 * honoured; a note at the value says so. Values are copied with their locations, so evidence
 * points at the file that set them; scratch holds the keys compared. 0, TM_ENOMEM or TM_ELIMIT.
 */
int tm_compose__merge(tm_file *f, tm_arena *scratch, tm_value *dst, const tm_file *sf, const tm_value *src,
		      tm_diag_list *diags);

/* The unique key a `volumes:`/`secrets:`/`configs:` item merges by (its target), or of a `ports:`
 * item; in a; NULL when it has none. */
const char *tm_compose__target_key(tm_arena *a, const char *attr, const tm_value *item);
const char *tm_compose__port_key(tm_arena *a, const tm_value *item);

/* ---- compose_traefik.c ---------------------------------------------------------------------- */

/* A service of a project, as the readers of its labels see it. */
typedef struct {
	const char *name;
	tm_node *n;          /* its node (NULL: not modelled) */
	const tm_value *v;   /* its mapping in its project's merged file */
	const tm_file *mf;   /* that merged file (evidence of its values) */
	const char *file;    /* the compose file that first names it (a gateway it runs is named after it) */
	const char *project; /* its project's name */
	void *ud;            /* the text function's argument for its project */
	bool outside;        /* another project's, on an external network the project's services join */
} tm_compose_svc;
/* A scalar's text with the project's interpolation applied, or NULL (compose.c). */
typedef const char *(*tm_compose_text_fn)(void *ud, const tm_value *v);

/* Is image Traefik's (its last path component "traefik", any tag or digest)? */
bool tm_compose__traefik_image(const char *image);
/* Does the service carry Traefik labels (a `traefik.` key) under `labels:` (*container) or
 * `deploy.labels:` (*deploy)? Either may be NULL. */
void tm_compose__traefik_labelled(const tm_value *svc, bool *container, bool *deploy);
/*
 * The routes Traefik's Docker provider (or Swarm provider) makes of the labels of services (svcs[0..n):
 * a project's own, then services of other projects marked outside): for each Traefik service of the
 * project (image traefik) with the provider (a providers.docker or providers.swarm flag, the static
 * configuration it bind-mounts, or the Docker socket mounted), a gateway configuration "traefik"
 * it runs, with one route per path of each router's rule of each service it exposes
 * (traefik.enable=true, or any unless exposedByDefault=false; its constraints expression holding),
 * to http://<service>[:<port>], with the checks of the router's middlewares defined in the labels
 * (basicAuth, digestAuth, forwardAuth, ipAllowList, rateLimit, one level of chain). In Swarm mode the
 * labels read are deploy.labels, with the Docker provider the containers' labels (neither decided:
 * both). An outside service is routed when it joins a network the Traefik service joins (node facts
 * network_ids), its routes resolved in its own project; each one routed is added to routed.
 */
void tm_compose__traefik(tm_ingest_ctx *ctx, const tm_compose_svc *svcs, size_t n, tm_compose_text_fn text,
			 tm_pset *routed);

/* ---- compose_swarm.c ------------------------------------------------------------------------ */

/* Is the compose file root (at path) written for `docker stack deploy`: a setting only Swarm acts on
 * (a service's deploy.placement, deploy.mode global, update_config, rollback_config, endpoint_mode;
 * an external secret or config; an overlay network), or a file name saying stack? The value that
 * says so (root for the name), *why naming it; NULL when nothing does. */
const tm_value *tm_compose__stack_sign(const tm_value *root, const char *path, const char **why);

/* ---- compose.c ------------------------------------------------------------------------------ */

/* The text of a `.env` file found beside compose files (display path of the .env itself): the
 * projects of that directory interpolate with it. Call between begin() and finish() on the compose
 * ingester's state; the text is copied. */
void tm_ingest__compose_dotenv(void *state, const char *display, const char *text, size_t len);

#endif
