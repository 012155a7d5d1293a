/*
 * compose.c - docker-compose files (v2/v3 and the Compose Specification).
 *
 * Files are collected as documents arrive and modelled in finish(), because the files of one
 * project (docker-compose.yml and its overrides) are read apart and a service calls services
 * defined in another of them.
 *
 * Projects: the compose files of one directory (display path), grouped as `docker compose` groups
 * them (docs/inputs.md, "Which files make a project"):
 *   default       the base file (compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml:
 *                 the first present) then its override (<stem>.override.yaml|yml), which docker
 *                 compose applies without being asked
 *   variants      every other file, project "<project>[<suffix>]" (docker-compose.prod.yml ->
 *                 "[prod]"): a fragment (a service with no image, build or extends) is laid over
 *                 the base, as `-f docker-compose.yml -f docker-compose.prod.yml` is used; a
 *                 complete file stands alone. Each also takes its own <stem>.override file. A
 *                 directory with no base file and one file names the project without a suffix.
 *                 At most MAX_VARIANTS per directory: each repeats the base's services.
 *   libraries     a file another file's `extends: {file: ...}` names is not a project of its own
 *   include       a file another file's top-level `include:` names (a path, or `path:` one or a
 *                 list) is not a project of its own either: its services join the including
 *                 project, after the including file's layers, as `docker compose` loads them
 * The files of a project merge by the Compose Specification's rules (compose_merge.c) into one
 * rendered file whose values keep the file and line they came from: what an override replaces is
 * gone, and the evidence of each fact is the file that set it. `extends` (same file, or `file:`
 * relative to the extending file, among the scanned compose files) is resolved first, depth
 * bounded; cycles and missing targets are warnings at the `extends` value.
 *
 * Model mapping:
 *   project       COMPOSE_PROJECT_NAME from `.env`, else the last `name:`, else the directory
 *                 holding the files; at the root of a one-directory scan, where the directory's
 *                 name is not in the display path, "default" (the node says it was assumed)
 *                 -> boundary "compose:<project>" (namespace-like)
 *   service       -> service node "service:compose:<project>/<service>",
 *                    namespace=<project>, workload="compose-service", with the
 *                    located facts the Kubernetes workloads carry, where the
 *                    setting means the same (table in docs/inputs.md)
 *   profiles      a service with `profiles:` is started only when one is enabled: it is modelled
 *                 all the same (a default-off service still runs somewhere), with the located
 *                 fact list "profiles" and opt_in=true, and its findings say so
 *   ports         published (short "8080:80", "80", long `published`/`host_ip`)
 *                 -> entrypoint:internet routes-> service, via "compose-port",
 *                    under a stated assumption (one note per project): the
 *                    host's firewall is not in the files. Loopback-only
 *                    bindings (127.0.0.0/8, ::1, localhost) and `expose:` are not.
 *   environment   a value naming another service of the project by host
 *                 (service name, container_name, hostname, network alias)
 *                 -> calls edge; `depends_on` alone is start order, not a call
 *   secrets       -> secret node "secret:compose:<project>/<name>", mounts edge
 *
 * Interpolation (compose_env.c): against the `.env` beside the files when the scan hands one in
 * (tm_ingest__compose_dotenv), never the process environment; ${VAR:-default} without a value
 * reads as its default; every other reference nothing decides is kept as written, so it is never
 * a literal credential.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "compose.h"
#include "k8s.h" /* tm_k8s__literal_credential: one heuristic for both */

#define MAX_EXTENDS_DEPTH 16
#define MAX_VARIANTS 16 /* per directory: each repeats the base's services */
#define PROJECT_ASSUMED                                                                                         \
	"project 'default' (no name: in the file, which sits at the top of the scan: docker compose would name "  \
	"the project after the directory it is run in, which the files do not fix)"
#define PORTS_ASSUMED "published ports reachable from the internet (the host's firewall is not in the files)"

static const char *const BASE_NAMES[] = {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"};

/* One compose document as it arrived. */
struct cfile {
	const tm_file *f;
	const tm_value *root;
	const char *dir;  /* display directory, "" at the root of the scan */
	const char *name; /* file name */
	bool library;     /* named by an `extends: file:` or an `include:`: part of other projects, none of its own */
	bool used;        /* placed in a project */
	bool is_override; /* the <stem>.override file of another file of its directory */
	bool included;    /* named by another file's `include:` */
	const struct cfile *includer; /* the first file that includes it */
	struct cfile *override; /* its own <stem>.override file, or NULL */
};

struct dotenv {
	const char *dir;
	const char *path;  /* its display path */
	bool example;      /* .env.example, .env.sample...: the documented values, read when no .env is there */
	bool env_file;     /* another name (.env.production, app.env): read only as a service's env_file */
	tm_compose_env env;
	tm_hmap last;      /* each key -> its last line's position + 1 (the value compose takes) */
};

/* Where a service of a project was defined: the first file of the project that names it. */
/* One entry of a service's environment: its name, its interpolated value (NULL: none, taken from
 * the shell), its place (the `environment` entry, or the line of its env_file), and whether it is an
 * env_file example's (documented values, not deployed ones). */
struct env_entry {
	const char *key, *value;
	tm_loc at;
	bool example;
};

struct origin {
	const char *name;
	const struct cfile *cf;
	const tm_value *key;
	const tm_value *v; /* in the project's merged file */
	tm_node *n;
	const struct cfile *again[2]; /* later files of the project that name it, with their keys */
	const tm_value *again_key[2];
	const struct env_entry *env; /* its environment, read once (read_env) */
	size_t nenv;
};

struct project {
	const char *name;
	bool assumed;                /* no name:, and no directory in the display path */
	const tm_compose_env *env;   /* the directory's .env, or NULL */
	bool env_example;            /* env is an example's (.env.example, example.env): documented values */
	const char *env_path;        /* the file env was read from */
	tm_file *mf;                 /* the merged services, values copied with their origins */
	tm_value *services;
	struct origin *svcs;
	size_t nsvcs, cap;
	tm_hmap by_name; /* service name -> position in svcs + 1 */
	const tm_value *nets[3]; /* the top-level networks of its files, in layer order */
	const tm_value *configs[3]; /* their top-level configs */
	bool includes;              /* one of its files has `include:`: the included files' networks are its own too */
	const char *stack_why;      /* deployed with `docker stack deploy`: what says so (compose_swarm.c) */
	tm_loc stack_at;
};

struct compose {
	struct cfile *files;
	size_t n, cap;
	struct dotenv *envs;
	size_t nenvs, cap_envs;
	struct project **projects;
	size_t nprojects, cap_projects;
	tm_hmap by_path; /* display path -> struct cfile* (its first document) */
	tm_hmap env_paths; /* an environment file's display path -> its position in envs + 1 */
	tm_hmap names;  /* "<project>\x1f<host>" -> tm_node*: service names, container_name, hostname, aliases */
	tm_hmap links;  /* "<project>\x1f<service>\x1e<alias>" -> tm_node*: a service's links: aliases, its own */
	tm_hmap noted;  /* projects whose ports assumption was stated */
	tm_hmap unset;  /* variables nothing sets, noted once */
	tm_hmap literals; /* "<project>\x1f<digest of a written credential>" -> its first holder's group name */
	tm_pset warned; /* values a warning was given at (a file may be in several projects) */
	tm_pset workloads; /* service nodes already in the policy model */
	tm_hmap included_envs; /* "<project pointer>\x1f<dir>" -> tm_compose_env*: an included file's
				* interpolation (its directory's .env over the project's) */
	tm_arena *arena; /* the scan's scratch arena */
	tm_ingest_ctx *ctx; /* whose mounts (mounts.c) live until this reader's end */
};

/* The service being modelled. */
struct svc {
	tm_ingest_ctx *ctx;
	struct compose *c;
	const struct project *p;
	const char *name;
	const tm_value *v;
	tm_node *n;
	tm_loc loc; /* the service's key, in the first file of the project that names it */
	tm_store_probe *store; /* what it says of a data store it runs (stores.c), while it is added */
	const struct env_entry *env; /* its environment (read_env) */
	size_t nenv;
	bool example_env; /* the entry given to an env_fn is an env_file example's */
	bool console; /* its image is an operations console's or a model server's (model/console.c) */
	const tm_compose_env *ienv; /* what its file is interpolated with: the project's .env, or for a
				     * service of an included file its own directory's .env over it */
};

static void *compose_begin(tm_ingest_ctx *ctx)
{
	struct compose *c = tm_calloc(1, sizeof(*c));
	if (c) {
		c->arena = ctx->scratch;
		c->ctx = ctx;
	}
	return c;
}

static void compose_end(void *state)
{
	struct compose *c = state;
	if (!c)
		return;
	tm_ingest__mounts_free(c->ctx); /* read by every finish, over now */
	for (size_t i = 0; i < c->nprojects; i++) {
		tm_file_free(c->projects[i]->mf);
		tm_free(c->projects[i]->svcs);
		tm_hmap_dispose(&c->projects[i]->by_name);
	}
	tm_free(c->projects);
	tm_free(c->files);
	tm_hmap_dispose(&c->by_path);
	for (size_t i = 0; i < c->nenvs; i++)
		tm_hmap_dispose(&c->envs[i].last);
	tm_free(c->envs);
	tm_hmap_dispose(&c->names);
	tm_hmap_dispose(&c->links);
	tm_hmap_dispose(&c->noted);
	tm_hmap_dispose(&c->unset);
	tm_hmap_dispose(&c->literals);
	tm_hmap_dispose(&c->included_envs);
	tm_hmap_dispose(&c->env_paths);
	tm_pset_dispose(&c->workloads);
	tm_pset_dispose(&c->warned);
	tm_free(c);
}

/* The display directory of path ("" for none) and its file name. */
static const char *dir_of(tm_arena *a, const char *path, const char **name)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	if (name)
		*name = slash ? slash + 1 : path;
	return slash ? tm_arena_strndup(a, path, (size_t)(slash - path)) : "";
}

void tm_ingest__compose_dotenv(void *state, const char *display, const char *text, size_t len)
{
	struct compose *c = state;
	if (!c || TM_GROW(c->envs, c->cap_envs, c->nenvs + 1))
		return;
	struct dotenv *d = &c->envs[c->nenvs];
	const char *name = NULL;
	d->dir = dir_of(c->arena, display, &name);
	d->path = tm_arena_strdup(c->arena, display);
	d->example = name && tm_ingest__dotenv_example(name);
	d->env_file = name && strcmp(name, ".env") != 0 && !d->example;
	if (d->dir && d->path && !tm_compose__dotenv_parse(c->arena, text, len, &d->env, NULL)) {
		size_t pl = strlen(d->path);
		d->last = (tm_hmap)TM_HMAP_INIT;
		for (size_t k = 0; k < d->env.n; k++)
			if (tm_hmap_put(&d->last, d->env.keys[k], strlen(d->env.keys[k]), (void *)(uintptr_t)(k + 1)))
				tm_arena_set_failed(c->arena);
		c->nenvs++;
		if (tm_hmap_put(&c->env_paths, d->path, pl, (void *)(uintptr_t)c->nenvs)) /* the last read wins */
			tm_arena_set_failed(c->arena);
	} else {
		tm_arena_set_failed(c->arena);
	}
}

/* The .env of dir; without one, its example (*example: that file, said in a note), else NULL. */
static const struct dotenv *env_of(const struct compose *c, const char *dir, const struct dotenv **example)
{
	const struct dotenv *ex = NULL;
	*example = NULL;
	for (size_t i = c->nenvs; i-- > 0;)
		if (!c->envs[i].env_file && strcmp(c->envs[i].dir, dir) == 0) {
			if (!c->envs[i].example)
				return &c->envs[i];
			ex = &c->envs[i];
		}
	*example = ex;
	return ex;
}

/* A scalar's text with compose interpolation applied (NULL for a non-scalar or null). */
static const char *text_in(struct compose *c, const tm_compose_env *env, const tm_value *v)
{
	if (!v || tm_value_kind_of(v) != TM_VALUE_SCALAR || tm_scalar_type_of(v) == TM_SCALAR_NULL)
		return NULL;
	return tm_compose__interpolate(c->arena, env, tm_scalar_str(v, NULL));
}

struct unset_ctx {
	const struct svc *s;
	const tm_value *at;
};

/* A variable nothing in the repository sets: noted once, where it is first used (every project that
 * uses it waits on the same environment). */
static void note_unset(void *ud, const char *name, size_t len)
{
	const struct unset_ctx *u = ud;
	const struct svc *s = u->s;
	if (tm_hmap_get(&s->c->unset, name, len))
		return;
	char *key = tm_arena_strndup(s->c->arena, name, len);
	if (!key || tm_hmap_put(&s->c->unset, key, len, key)) {
		tm_arena_set_failed(s->c->arena);
		return;
	}
	tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(s->p->mf, u->at),
		    "compose variable %.*s is set by nothing in the repository (no .env value, no default): "
		    "analysed as written; the environment compose runs in decides it", (int)len, name);
}

/* raw (the text of at, before interpolation): its variables nothing here sets, noted. */
static void unset_vars(const struct svc *s, const tm_value *at, const char *raw)
{
	struct unset_ctx u = {s, at};
	tm_compose__unset_each(s->ienv ? s->ienv : s->p->env, raw, note_unset, &u);
}

static const char *text(const struct svc *s, const tm_value *v)
{
	const char *t = text_in(s->c, s->ienv ? s->ienv : s->p->env, v);
	if (t)
		unset_vars(s, v, tm_scalar_str(v, NULL));
	return t;
}

static bool is_true(const tm_value *v)
{
	bool b;
	return v && !tm_scalar_bool(v, &b) && b;
}

static bool compose_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
			const char *detail)
{
	(void)ctx;
	(void)detail;
	struct compose *c = state;
	const tm_value *services = tm_map_get(root, "services");
	/* services of its own, or a file that only includes others (its project is theirs) */
	bool includer = tm_value_kind_of(tm_map_get(root, "include")) == TM_VALUE_SEQ;
	if (!c || !(includer || (tm_value_kind_of(services) == TM_VALUE_MAP && tm_value_len(services))) ||
	    TM_GROW(c->files, c->cap, c->n + 1))
		return false;
	struct cfile *cf = &c->files[c->n];
	memset(cf, 0, sizeof(*cf));
	cf->f = f;
	cf->root = root;
	cf->dir = dir_of(c->arena, tm_file_path(f), &cf->name);
	if (!cf->dir)
		return false;
	c->n++;
	return true;
}

/* ---- projects ------------------------------------------------------------------------------ */

/* Join dir and a relative path, "." and ".." resolved; NULL if ".." climbs above the scan. */
static char *join_rel(tm_arena *a, const char *dir, const char *rel)
{
	size_t cap = strlen(dir) + strlen(rel) + 2, n = 0;
	char *w = tm_arena_alloc(a, cap);
	if (!w)
		return NULL;
	for (int part = rel[0] == '/' ? 1 : 0; part < 2; part++) {
		for (const char *p = part ? rel : dir; *p;) {
			size_t l = strcspn(p, "/");
			if (l == 2 && p[0] == '.' && p[1] == '.') {
				if (!n)
					return NULL;
				while (n && w[n - 1] != '/')
					n--;
				n -= n > 0;
			} else if (l && !(l == 1 && p[0] == '.')) {
				if (n)
					w[n++] = '/';
				memcpy(w + n, p, l);
				n += l;
			}
			p += l;
			p += *p == '/';
		}
	}
	w[n] = '\0';
	return w;
}

static struct cfile *file_named(struct compose *c, const char *path)
{
	return path ? tm_hmap_get(&c->by_path, path, strlen(path)) : NULL;
}

/* The file an `extends: {file: rel}` in cf names, or NULL. */
static struct cfile *extends_file(struct compose *c, const struct cfile *cf, const tm_value *ext)
{
	const char *rel = tm_value_kind_of(ext) == TM_VALUE_MAP ? tm_map_get_str(ext, "file") : NULL;
	return rel ? file_named(c, join_rel(c->arena, cf->dir, rel)) : NULL;
}

/* Each path cf's top-level `include:` names (a string, or an entry's `path:`, a string or a list):
 * fn(c, cf, the file or NULL, the value naming it, ud). */
typedef void (*include_fn)(struct compose *c, const struct cfile *cf, struct cfile *inc, const tm_value *at, void *ud);
static void each_include(struct compose *c, const struct cfile *cf, include_fn fn, void *ud)
{
	const tm_value *inc = tm_map_get(cf->root, "include");
	for (size_t i = 0; tm_value_kind_of(inc) == TM_VALUE_SEQ && i < tm_value_len(inc); i++) {
		const tm_value *e = tm_seq_at(inc, i);
		const tm_value *path = tm_value_kind_of(e) == TM_VALUE_MAP ? tm_map_get(e, "path") : e;
		bool list = tm_value_kind_of(path) == TM_VALUE_SEQ;
		for (size_t k = 0; k < (list ? tm_value_len(path) : 1); k++) {
			const tm_value *pv = list ? tm_seq_at(path, k) : path;
			const char *rel = tm_value_kind_of(pv) == TM_VALUE_SCALAR ? tm_scalar_str(pv, NULL) : NULL;
			if (rel && *rel)
				fn(c, cf, file_named(c, join_rel(c->arena, cf->dir, rel)), pv, ud);
		}
	}
}

static void mark_included(struct compose *c, const struct cfile *cf, struct cfile *inc, const tm_value *at, void *ud)
{
	(void)c, (void)at, (void)ud;
	if (inc && inc != cf) {
		inc->library = inc->included = true;
		if (!inc->includer)
			inc->includer = cf;
	}
}

static void mark_libraries(struct compose *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const tm_value *services = tm_map_get(c->files[i].root, "services");
		for (size_t k = 0; k < tm_value_len(services); k++) {
			struct cfile *lib = extends_file(c, &c->files[i], tm_map_get(tm_map_value(services, k), "extends"));
			if (lib && lib != &c->files[i])
				lib->library = true;
		}
		each_include(c, &c->files[i], mark_included, NULL);
	}
}

/* The length of name without .yml/.yaml. */
static size_t stem_len(const char *name)
{
	size_t n = strlen(name);
	if (n > 4 && strcmp(name + n - 4, ".yml") == 0)
		return n - 4;
	if (n > 5 && strcmp(name + n - 5, ".yaml") == 0)
		return n - 5;
	return n;
}

/* cf's own override in its directory: <stem>.override.yml|yaml. */
static struct cfile *override_of(struct compose *c, const struct cfile *cf)
{
	static const char *const exts[] = {"yml", "yaml"};
	for (size_t i = 0; i < TM_ARRAY_LEN(exts); i++) {
		char *path = tm_arena_printf(c->arena, "%s%s%.*s.override.%s", cf->dir, *cf->dir ? "/" : "",
					     (int)stem_len(cf->name), cf->name, exts[i]);
		struct cfile *o = file_named(c, path);
		if (o && o != cf)
			return o;
	}
	/* the default file takes the first default override there is, whatever its naming
	 * (docker-compose.yml with compose.override.yaml), as docker compose finds both */
	bool base = false;
	for (size_t b = 0; b < TM_ARRAY_LEN(BASE_NAMES) && !base; b++)
		base = strcmp(cf->name, BASE_NAMES[b]) == 0;
	static const char *const defaults[] = {"compose.override.yml", "compose.override.yaml",
					       "docker-compose.override.yml", "docker-compose.override.yaml"};
	for (size_t i = 0; base && i < TM_ARRAY_LEN(defaults); i++) {
		char *path = tm_arena_printf(c->arena, "%s%s%s", cf->dir, *cf->dir ? "/" : "", defaults[i]);
		struct cfile *o = path ? file_named(c, path) : NULL;
		if (o && o != cf)
			return o;
	}
	return NULL;
}

/* A fragment: some service has no image, no build and no extends, so it only makes sense over a base. */
static bool fragment(const struct cfile *cf)
{
	const tm_value *services = tm_map_get(cf->root, "services");
	for (size_t i = 0; i < tm_value_len(services); i++) {
		const tm_value *v = tm_map_value(services, i);
		if (!tm_map_get(v, "image") && !tm_map_get(v, "build") && !tm_map_get(v, "extends"))
			return true;
	}
	return false;
}

/* Does name (a depends_on, links or volumes_from entry, "service:x" and "x:alias" forms too) name a
 * service that own does not define and base does? */
static bool base_service(const tm_value *own, const tm_value *base, const char *name)
{
	if (!name)
		return false;
	if (strncmp(name, "service:", 8) == 0)
		name += 8;
	char svc[256];
	tm_formatf(svc, sizeof(svc), "%.*s", (int)strcspn(name, ":"), name);
	return !tm_map_get(own, svc) && tm_map_get(base, svc);
}

/* Does a complete file (every service with an image or a build) lean on the base file, so that
 * `docker compose` takes it only laid over it (`-f docker-compose.yml -f etherpad.yml`)? A service of
 * it depends on, links to or takes the volumes of a service only the base defines, or joins a
 * network only the base declares. */
static bool leans_on(const struct cfile *cf, const struct cfile *base)
{
	const tm_value *services = tm_map_get(cf->root, "services");
	const tm_value *bsvcs = tm_map_get(base->root, "services");
	const tm_value *nets = tm_map_get(cf->root, "networks"), *bnets = tm_map_get(base->root, "networks");
	static const char *const refs[] = {"depends_on", "links", "volumes_from", "networks"};
	for (size_t i = 0; i < tm_value_len(services); i++) {
		const tm_value *v = tm_map_value(services, i);
		for (size_t r = 0; r < TM_ARRAY_LEN(refs); r++) {
			const tm_value *list = tm_map_get(v, refs[r]);
			bool net = r == 3;
			for (size_t k = 0; k < tm_value_len(list); k++) {
				const char *name = tm_value_kind_of(list) == TM_VALUE_MAP ? tm_scalar_str(tm_map_key(list, k), NULL)
											   : tm_scalar_str(tm_seq_at(list, k), NULL);
				if (net ? name && strcmp(name, "default") != 0 && !tm_map_get(nets, name) && tm_map_get(bnets, name)
					: base_service(services, bsvcs, name))
					return true;
			}
		}
	}
	return false;
}

/* Is cf only settings for `extends` (immich's hwaccel.yml): every service of it has no image, build
 * or extends, and the base file (NULL: none) defines none of them? `docker compose` runs no such
 * service, alone or laid over the base: the file is a library even when nothing in the scan names it
 * (an `extends` left commented out). */
static bool orphan_fragment(const struct cfile *cf, const struct cfile *base)
{
	const tm_value *services = tm_map_get(cf->root, "services");
	const tm_value *defined = base ? tm_map_get(base->root, "services") : NULL;
	/* a base that includes other files defines services this check does not see */
	if (base && (tm_map_get(base->root, "include") || (base->override && tm_map_get(base->override->root, "include"))))
		return false;
	const tm_value *over = base && base->override ? tm_map_get(base->override->root, "services") : NULL;
	for (size_t i = 0; i < tm_value_len(services); i++) {
		const tm_value *v = tm_map_value(services, i);
		const char *name = tm_scalar_str(tm_map_key(services, i), NULL);
		if (tm_map_get(v, "image") || tm_map_get(v, "build") || tm_map_get(v, "extends") ||
		    (name && (tm_map_get(defined, name) || tm_map_get(over, name))))
			return false;
	}
	return tm_value_len(services) > 0;
}

/* "docker-compose.prod.yml" -> "prod", "docker-compose-tests.yml" -> "tests", "app.yml" -> "app". */
static const char *suffix_of(tm_arena *a, const char *name)
{
	size_t n = stem_len(name);
	const char *p = name;
	if (strncmp(p, "docker-compose", 14) == 0)
		p += 14;
	else if (strncmp(p, "compose", 7) == 0)
		p += 7;
	while (p < name + n && (*p == '.' || *p == '-' || *p == '_'))
		p++;
	if (p == name + n)
		p = name;
	return tm_arena_strndup(a, p, n - (size_t)(p - name));
}

static bool warn_once(struct compose *c, const tm_value *at)
{
	int added = tm_pset_add(&c->warned, at);
	if (added < 0)
		tm_arena_set_failed(c->arena);
	return added > 0;
}

/* The service v of cf with what it extends merged under it: a new mapping in p's merged file. */
static tm_value *resolved(tm_ingest_ctx *ctx, struct compose *c, struct project *p, const struct cfile *cf,
			  const tm_value *v, int depth, const tm_value **chain)
{
	chain[depth] = v;
	const tm_value *ext = tm_map_get(v, "extends");
	tm_value *out = NULL;
	if (ext) {
		bool map = tm_value_kind_of(ext) == TM_VALUE_MAP;
		const tm_value *sv = map ? tm_map_get(ext, "service") : ext;
		const char *target = tm_value_kind_of(sv) == TM_VALUE_SCALAR ? tm_scalar_str(sv, NULL) : NULL;
		const tm_value *fv = map ? tm_map_get(ext, "file") : NULL;
		const struct cfile *tf = fv ? extends_file(c, cf, ext) : cf;
		const tm_value *tv = tf && target ? tm_map_get(tm_map_get(tf->root, "services"), target) : NULL;
		bool cycle = false;
		for (int i = 0; tv && i <= depth; i++)
			cycle = cycle || chain[i] == tv;
		tm_loc at = tm_ingest__loc(cf->f, ext);
		if (!target || !*target) {
			if (warn_once(c, ext))
				tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, at,
					    "compose extends names no service; modelled without it");
		} else if (fv && !tf) {
			if (warn_once(c, fv))
				tm_diag_add(ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING, tm_ingest__loc(cf->f, fv),
					    "compose extends file '%s' is not among the scanned compose files; modelled "
					    "without it",
					    tm_scalar_str(fv, NULL) ? tm_scalar_str(fv, NULL) : "?");
		} else if (!tv) {
			if (warn_once(c, sv))
				tm_diag_add(ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING, tm_ingest__loc(cf->f, sv),
					    "compose extends service '%s', which %s does not define; modelled without it",
					    target, tm_file_path(tf->f));
		} else if (cycle || depth + 1 >= MAX_EXTENDS_DEPTH) {
			if (warn_once(c, ext))
				tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, at,
					    cycle ? "compose extends '%s' leads back to itself; the cycle is not followed"
						  : "compose extends '%s' starts a chain of more than 16; not followed",
					    target);
		} else if (tm_value_kind_of(tv) == TM_VALUE_MAP) {
			out = resolved(ctx, c, p, tf, tv, depth + 1, chain);
		}
	}
	if (!out)
		out = tm_value_new_map(p->mf, tm_ingest__loc(cf->f, v));
	if (!out || tm_compose__merge(p->mf, c->arena, out, cf->f, v, ctx->diags) == TM_ENOMEM) {
		tm_arena_set_failed(c->arena);
		return NULL;
	}
	tm_map_remove(out, "extends");
	return out;
}

/* Lay the services of cf over p's. */
static void add_file(tm_ingest_ctx *ctx, struct compose *c, struct project *p, struct cfile *cf)
{
	cf->used = true;
	const tm_value *services = tm_map_get(cf->root, "services");
	for (size_t k = 0; k < tm_value_len(services); k++) {
		const tm_value *key = tm_map_key(services, k), *v = tm_map_value(services, k);
		const char *name = tm_scalar_str(key, NULL);
		if (!name)
			continue;
		if (tm_value_kind_of(v) != TM_VALUE_MAP && tm_scalar_type_of(v) != TM_SCALAR_NULL) {
			if (warn_once(c, v))
				tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(cf->f, v),
					    "compose service '%s' is not a mapping; not modelled", name);
			continue;
		}
		const tm_value *chain[MAX_EXTENDS_DEPTH + 1];
		tm_value *r = resolved(ctx, c, p, cf, v, 0, chain);
		if (!r)
			return;
		size_t at = (size_t)(uintptr_t)tm_hmap_get(&p->by_name, name, strlen(name));
		if (at) {
			struct origin *o = &p->svcs[at - 1];
			for (size_t i = 0; i < TM_ARRAY_LEN(o->again); i++)
				if (!o->again[i] && o->cf != cf) {
					o->again[i] = cf;
					o->again_key[i] = key;
					break;
				}
			if (tm_compose__merge(p->mf, c->arena, (tm_value *)o->v, p->mf, r, ctx->diags) == TM_ENOMEM)
				tm_arena_set_failed(c->arena);
			continue;
		}
		if (TM_GROW(p->svcs, p->cap, p->nsvcs + 1) || tm_map_set(p->mf, p->services, name, r) ||
		    tm_hmap_put(&p->by_name, name, strlen(name), (void *)(uintptr_t)(p->nsvcs + 1))) {
			tm_arena_set_failed(c->arena);
			return;
		}
		p->svcs[p->nsvcs++] = (struct origin){name, cf, key, r, NULL, {NULL, NULL}, {NULL, NULL}, NULL, 0};
	}
}

/* The files a project's `include:` brings in, depth first, each once, at most MAX_EXTENDS_DEPTH deep. */
struct including {
	tm_ingest_ctx *ctx;
	struct project *p;
	int depth;
	const struct cfile *chain[MAX_EXTENDS_DEPTH + 1];
};

static void add_included(struct compose *c, const struct cfile *cf, struct cfile *inc, const tm_value *at, void *ud)
{
	struct including *in = ud;
	tm_ingest_ctx *ctx = in->ctx;
	if (!inc) {
		if (warn_once(c, at))
			tm_diag_add(ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING, tm_ingest__loc(cf->f, at),
				    "compose include '%s' is not among the scanned compose files; modelled without it",
				    tm_scalar_str(at, NULL));
		return;
	}
	bool cycle = inc == cf;
	for (int i = 0; i < in->depth; i++)
		cycle = cycle || in->chain[i] == inc;
	if (cycle || in->depth >= MAX_EXTENDS_DEPTH) {
		if (warn_once(c, at))
			tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, tm_ingest__loc(cf->f, at),
				    cycle ? "compose include '%s' leads back to itself; the cycle is not followed"
					  : "compose include '%s' nests more than 16 deep; not followed",
				    tm_scalar_str(at, NULL));
		return;
	}
	add_file(ctx, c, in->p, inc);
	in->chain[in->depth++] = cf;
	each_include(c, inc, add_included, in);
	in->depth--;
}

/* The project's name: COMPOSE_PROJECT_NAME in .env, the last name:, the directory; then [suffix]. */
static void name_project(struct compose *c, struct project *p, struct cfile *const *layers, size_t n,
			 const char *suffix)
{
	const char *name = tm_compose__env_get(p->env, "COMPOSE_PROJECT_NAME", 20);
	for (size_t i = n; (!name || !*name) && i-- > 0;) {
		name = text_in(c, p->env, tm_map_get(layers[i]->root, "name"));
		if (name && strchr(name, '$'))
			name = NULL;
	}
	if (!name || !*name) {
		const char *dir = layers[0]->dir, *slash = strrchr(dir, '/');
		name = *dir ? slash ? slash + 1 : dir : "default";
		p->assumed = !*dir;
	}
	p->name = suffix ? tm_arena_printf(c->arena, "%s[%s]", name, suffix) : name;
}

/* One project of the files layers[0..n) (NULLs skipped), in that order. */
static void project(tm_ingest_ctx *ctx, struct compose *c, struct cfile **layers, size_t n, const char *suffix)
{
	struct cfile *use[3];
	size_t k = 0;
	for (size_t i = 0; i < n && k < TM_ARRAY_LEN(use); i++)
		if (layers[i])
			use[k++] = layers[i];
	struct project *p = k ? tm_arena_alloc(c->arena, sizeof(*p)) : NULL;
	if (!p || TM_GROW(c->projects, c->cap_projects, c->nprojects + 1)) {
		tm_arena_set_failed(c->arena);
		return;
	}
	memset(p, 0, sizeof(*p));
	c->projects[c->nprojects++] = p;
	const struct dotenv *example;
	const struct dotenv *dot = env_of(c, use[0]->dir, &example);
	p->env = dot ? &dot->env : NULL;
	p->env_path = dot ? dot->path : NULL;
	p->env_example = example != NULL;
	if (example) /* the example's values stand in for the .env each deployment writes (and ignores in git) */
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(use[0]->f, use[0]->root),
			    "no .env beside %s: its variables take the values of %s, the documented defaults; "
			    "analysed as if the deployment kept them",
			    tm_file_path(use[0]->f), example->path);
	p->mf = tm_file_new_rendered(tm_file_path(use[0]->f));
	p->services = p->mf ? tm_value_new_map(p->mf, tm_ingest__loc(use[0]->f, use[0]->root)) : NULL;
	if (!p->services) {
		tm_arena_set_failed(c->arena);
		return;
	}
	name_project(c, p, use, k, suffix);
	if (!p->name) {
		tm_arena_set_failed(c->arena);
		return;
	}
	for (size_t i = 0; i < k; i++) {
		p->nets[i] = tm_map_get(use[i]->root, "networks");
		p->configs[i] = tm_map_get(use[i]->root, "configs");
		add_file(ctx, c, p, use[i]);
	}
	struct including in = {ctx, p, 0, {NULL}};
	for (size_t i = 0; i < k; i++) {
		p->includes |= tm_map_get(use[i]->root, "include") != NULL;
		each_include(c, use[i], add_included, &in);
	}
	/* a stack file; not with an override, which only docker compose applies */
	for (size_t i = 0; i < k && !p->stack_why; i++) {
		const tm_value *at = tm_compose__stack_sign(use[i]->root, tm_file_path(use[i]->f), &p->stack_why);
		p->stack_at = at ? tm_ingest__loc(use[i]->f, at) : p->stack_at;
	}
	for (size_t i = 0; i < k; i++)
		p->stack_why = use[i]->is_override ? NULL : p->stack_why;
}

/* Is cf part of another project, through includes from a file that is no include itself? A base
 * file is then no project of its own; in a cycle of includes, none is. */
static bool taken_in(const struct cfile *cf)
{
	if (!cf->included)
		return false;
	for (int i = 0; cf && cf->included && i <= MAX_EXTENDS_DEPTH; i++)
		cf = cf->includer;
	return cf && !cf->included;
}

/* Does cf define every service of fragment fr that has no image, build or extends? */
static bool defines_bare(const struct cfile *cf, const struct cfile *fr)
{
	const tm_value *services = tm_map_get(fr->root, "services"), *own = tm_map_get(cf->root, "services");
	size_t bare = 0;
	for (size_t i = 0; i < tm_value_len(services); i++) {
		const tm_value *v = tm_map_value(services, i);
		const char *name = tm_scalar_str(tm_map_key(services, i), NULL);
		if (tm_map_get(v, "image") || tm_map_get(v, "build") || tm_map_get(v, "extends"))
			continue;
		bare++;
		if (!name || !tm_map_get(own, name))
			return false;
	}
	return bare > 0;
}

/* In a directory with no base file, the file a fragment or an add-on is laid over: the first other
 * complete file (path order) that defines the fragment's bare services, or that the add-on leans on
 * (ory's quickstart-oathkeeper.yml, run as `-f quickstart.yml -f quickstart-oathkeeper.yml`). */
static struct cfile *stand_in_base(struct cfile **dir, size_t n, const struct cfile *cf)
{
	bool frag = fragment(cf);
	for (size_t i = 0; i < n; i++) {
		struct cfile *o = dir[i];
		if (o == cf || o->library || o->is_override || fragment(o))
			continue;
		if (frag ? defines_bare(o, cf) : leans_on(cf, o))
			return o;
	}
	return NULL;
}

/* The first service a service of cf depends on, links to or takes the volumes of that neither cf nor
 * its override defines (NULL: none), with the service naming it. */
static const char *dangling_ref(tm_arena *a, const struct cfile *cf, const char **from)
{
	const tm_value *services = tm_map_get(cf->root, "services");
	const tm_value *over = cf->override ? tm_map_get(cf->override->root, "services") : NULL;
	static const char *const refs[] = {"depends_on", "links", "volumes_from"};
	/* services an include brings in are defined too */
	if (tm_map_get(cf->root, "include") || (cf->override && tm_map_get(cf->override->root, "include")))
		return NULL;
	for (size_t i = 0; i < tm_value_len(services); i++) {
		const tm_value *v = tm_map_value(services, i);
		for (size_t r = 0; r < TM_ARRAY_LEN(refs); r++) {
			const tm_value *list = tm_map_get(v, refs[r]);
			for (size_t k = 0; k < tm_value_len(list); k++) {
				const char *name = tm_value_kind_of(list) == TM_VALUE_MAP ? tm_scalar_str(tm_map_key(list, k), NULL)
											   : tm_scalar_str(tm_seq_at(list, k), NULL);
				if (!name)
					continue;
				if (strncmp(name, "service:", 8) == 0)
					name += 8;
				char svc[256];
				tm_formatf(svc, sizeof(svc), "%.*s", (int)strcspn(name, ":"), name);
				if (!tm_map_get(services, svc) && !tm_map_get(over, svc)) {
					*from = tm_scalar_str(tm_map_key(services, i), NULL);
					return tm_arena_strdup(a, svc);
				}
			}
		}
	}
	return NULL;
}

/* The base file of the nearest directory above cf's that defines service svc (docker-elk's
 * extensions/filebeat/filebeat-compose.yml leans on the top docker-compose.yml), or NULL. Looked up
 * by path: the directories above, each base name. */
static const struct cfile *ancestor_base(struct compose *c, const struct cfile *cf, const char *svc)
{
	size_t len = strlen(cf->dir);
	char path[1024];
	while (len) {
		while (len && cf->dir[len - 1] != '/')
			len--;
		size_t up = len ? len - 1 : 0; /* the parent's length, without its slash */
		for (size_t b = 0; b < TM_ARRAY_LEN(BASE_NAMES); b++) {
			int n = tm_formatf(path, sizeof(path), "%.*s%s%s", (int)up, cf->dir, up ? "/" : "", BASE_NAMES[b]);
			const struct cfile *o = n > 0 && (size_t)n < sizeof(path) ? file_named(c, path) : NULL;
			if (o && tm_map_get(tm_map_get(o->root, "services"), svc))
				return o;
		}
		len = up;
	}
	return NULL;
}

/* The projects of one directory's files, dir[0..n) in path order (see the opening comment). */
static void directory_projects(tm_ingest_ctx *ctx, struct compose *c, struct cfile **dir, size_t n)
{
	struct cfile *base = NULL;
	for (size_t b = 0; !base && b < TM_ARRAY_LEN(BASE_NAMES); b++)
		for (size_t i = 0; !base && i < n; i++)
			if (strcmp(dir[i]->name, BASE_NAMES[b]) == 0)
				base = dir[i];
	size_t others = 0, variants = 0;
	for (size_t i = 0; i < n; i++)
		others += dir[i] != base && !dir[i]->library && !dir[i]->is_override;
	bool taken = base && taken_in(base);
	if (base && !taken) {
		struct cfile *layers[] = {base, base->override};
		project(ctx, c, layers, TM_ARRAY_LEN(layers), NULL);
	}
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			struct cfile *cf = dir[i];
			/* pass 0: the variants; pass 1: an override whose own file is a library, alone */
			if (cf == base || cf->library || cf->used || (pass == 0 && cf->is_override) ||
			    (cf->is_override && taken))
				continue;
			struct cfile *host = base ? base : pass == 0 && !cf->is_override ? stand_in_base(dir, n, cf) : NULL;
			if (!cf->is_override && orphan_fragment(cf, host)) {
				cf->library = true;
				if (base)
					tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(cf->f, cf->root),
						    "%s: no service of it has an image or a build, and %s defines none of them: "
						    "read as settings for `extends` (or an `-f` overlay of a project elsewhere), "
						    "not as a project of its own",
						    tm_file_path(cf->f), tm_file_path(base->f));
				else
					tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(cf->f, cf->root),
						    "%s: no service of it has an image or a build, and its directory has no base "
						    "compose file: read as settings for `extends` (or an `-f` overlay of a project "
						    "elsewhere), not as a project of its own",
						    tm_file_path(cf->f));
				continue;
			}
			if (variants++ == MAX_VARIANTS) {
				tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, tm_ingest__loc(cf->f, cf->root),
					    "more than %d compose variants in one directory; this and later files are not "
					    "modelled",
					    MAX_VARIANTS);
			}
			if (variants > MAX_VARIANTS) {
				cf->used = true;
				if (cf->override)
					cf->override->used = true;
				continue;
			}
			bool over = pass == 0 && host && (fragment(cf) || leans_on(cf, host));
			if (over && host != base)
				tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(cf->f, cf->root),
					    "%s: laid over %s, as `docker compose -f %s -f %s` runs it: its directory has no "
					    "base compose file, and %s defines the services it %s",
					    tm_file_path(cf->f), tm_file_path(host->f), host->name, cf->name, host->name,
					    fragment(cf) ? "only adds settings to" : "depends on");
			const char *from = NULL, *dangling = pass == 0 && !over ? dangling_ref(c->arena, cf, &from) : NULL;
			const struct cfile *above = dangling ? ancestor_base(c, cf, dangling) : NULL;
			if (dangling && above)
				tm_diag_add(ctx->diags, 0, TM_LEVEL_WARNING, tm_ingest__loc(cf->f, cf->root),
					    "%s: service %s depends on %s, which no compose file of its directory defines and "
					    "%s does: it reads as an add-on, run with `docker compose -f %s -f %s`. Modelled "
					    "alone here, so what it does with %s is not drawn",
					    tm_file_path(cf->f), from ? from : "?", dangling, tm_file_path(above->f),
					    tm_file_path(above->f), tm_file_path(cf->f), dangling);
			else if (dangling)
				tm_diag_add(ctx->diags, 0, TM_LEVEL_WARNING, tm_ingest__loc(cf->f, cf->root),
					    "%s: service %s depends on %s, which no compose file of its directory or above "
					    "defines (docker compose refuses the file alone): modelled without it",
					    tm_file_path(cf->f), from ? from : "?", dangling);
			else if (pass == 0 && !host && fragment(cf))
				tm_diag_add(ctx->diags, 0, TM_LEVEL_WARNING, tm_ingest__loc(cf->f, cf->root),
					    "%s: a service of it has no image, build or extends, and no compose file of its "
					    "directory defines it: it reads as an `-f` overlay of a project elsewhere; "
					    "modelled alone, without an image",
					    tm_file_path(cf->f));
			struct cfile *layers[] = {over ? host : NULL, cf, pass == 0 ? cf->override : NULL};
			bool plain = pass == 0 && !base && others == 1;
			bool host_used = host && host->used;
			project(ctx, c, layers, TM_ARRAY_LEN(layers), plain ? NULL : suffix_of(c->arena, cf->name));
			if (over && host != base)
				host->used = host_used; /* a stand-in base is still a project of its own */
		}
}

static int by_dir(const void *a, const void *b)
{
	const struct cfile *x = *(const struct cfile *const *)a, *y = *(const struct cfile *const *)b;
	int d = strcmp(x->dir, y->dir);
	return d ? d : x < y ? -1 : x > y;
}

static void build_projects(tm_ingest_ctx *ctx, struct compose *c)
{
	struct cfile **order = c->n ? tm_arena_alloc(c->arena, c->n * sizeof(*order)) : NULL;
	if (!order)
		return;
	for (size_t i = 0; i < c->n; i++) {
		const char *path = tm_file_path(c->files[i].f);
		order[i] = &c->files[i];
		if (!tm_hmap_get(&c->by_path, path, strlen(path)) &&
		    tm_hmap_put(&c->by_path, path, strlen(path), &c->files[i]))
			tm_arena_set_failed(c->arena);
	}
	for (size_t i = 0; i < c->n; i++) {
		struct cfile *o = override_of(c, &c->files[i]);
		if (o && !o->is_override && o != &c->files[i]) {
			c->files[i].override = o;
			o->is_override = true;
		}
	}
	mark_libraries(c);
	qsort(order, c->n, sizeof(*order), by_dir);
	for (size_t i = 0, k; i < c->n; i = k) {
		for (k = i + 1; k < c->n && strcmp(order[k]->dir, order[i]->dir) == 0;)
			k++;
		directory_projects(ctx, c, order + i, k - i);
	}
}

/* ---- services ------------------------------------------------------------------------------ */
static const char *boundary(struct svc *s)
{
	char *id = tm_arena_printf(s->c->arena, "compose:%s", s->p->name);
	char *name = tm_arena_printf(s->c->arena, "compose project %s", s->p->name);
	if (id && name)
		tm_mb_boundary(s->ctx->mb, TM_BOUNDARY_NAMESPACE, id, name, NULL);
	return id;
}

static void fact_at(struct svc *s, const char *key, const char *value, tm_loc at)
{
	tm_mb_node_fact(s->ctx->mb, s->n, key, value, at.path ? at : s->loc);
}

static void fact(struct svc *s, const char *key, const char *value, const tm_value *at)
{
	fact_at(s, key, value, at ? tm_ingest__loc(s->p->mf, at) : s->loc);
}

/* The key of host among the names of project (c->names): "<project>\x1f<host>", the host lowercased. */
static char *name_key(struct compose *c, const char *project, const char *host)
{
	char *key = tm_arena_printf(c->arena, "%s\x1f%s", project, host);
	for (char *p = key ? strchr(key, '\x1f') : NULL; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return key;
}

/* The key of a link alias of service s: "<project>\x1f<service>\x1e<alias>", lowercased. */
static char *link_key(const struct svc *s, const char *alias)
{
	char *key = tm_arena_printf(s->c->arena, "%s\x1f%s\x1e%s", s->p->name, s->name, alias);
	for (char *p = key ? strchr(key, '\x1e') : NULL; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return key;
}

/* A name other services of the project may use for this one. */
static void add_name(struct svc *s, const char *host)
{
	if (!host || !*host)
		return;
	char *key = name_key(s->c, s->p->name, host);
	if (!key)
		return;
	if (tm_hmap_put(&s->c->names, key, strlen(key), s->n))
		tm_arena_set_failed(s->c->arena);
	tm_mb_node_list_add(s->ctx->mb, s->n, "hostnames", key + strlen(s->p->name) + 1);
}

/* A relative path to a configuration file (.yaml, .json, .conf...), not a URL. */
static bool config_file(const char *v)
{
	static const char *const exts[] = {".yaml", ".yml", ".json", ".conf", ".toml", ".cfg"};
	bool config = false;
	for (size_t e = 0; v && e < TM_ARRAY_LEN(exts) && !config; e++)
		config = strlen(v) > strlen(exts[e]) && strcasecmp(v + strlen(v) - strlen(exts[e]), exts[e]) == 0;
	return config && v[0] != '/' && !strstr(v, "://") && !strchr(v, '$');
}

/* build: its context (a map without one builds ".", the project's directory), with or without an
 * image: a service with both is built and tagged with the image's name. */
static void build(struct svc *s)
{
	const tm_value *b = tm_map_get(s->v, "build");
	bool map = tm_value_kind_of(b) == TM_VALUE_MAP;
	const tm_value *cv = map && tm_map_get(b, "context") ? tm_map_get(b, "context") : b;
	const char *ctx = map && !tm_map_get(b, "context") ? "." : text(s, cv);
	if (!ctx)
		return;
	tm_mb_node_str(s->ctx->mb, s->n, "build", ctx);
	fact(s, "build_contexts", ctx, cv);
	const char *df = map ? text(s, tm_map_get(b, "dockerfile")) : NULL;
	if (df && *df) /* the Dockerfile's own directory names the application as well (calls.c) */
		tm_mb_node_str(s->ctx->mb, s->n, "dockerfile", df);
	/* build args that name a configuration file of the context (ENVOY_CONFIG: ./front-envoy.yaml):
	 * the image carries that file, as a bind mount would */
	const tm_value *args = map ? tm_map_get(b, "args") : NULL;
	bool amap = tm_value_kind_of(args) == TM_VALUE_MAP;
	for (size_t i = 0; i < tm_value_len(args); i++) {
		const tm_value *av = amap ? tm_map_value(args, i) : tm_seq_at(args, i);
		const char *v = text(s, av), *eq = v && !amap ? strchr(v, '=') : NULL;
		v = amap ? v : eq ? eq + 1 : NULL;
		if (config_file(v))
			fact(s, "build_files", tm_arena_printf(s->c->arena, "%s/%s", ctx, v), av);
	}
}

/* An environment variable of a built service naming a configuration file of its context
 * (FRONT_ENVOY_YAML=config/grpc-service/v3.yaml, from .env): the entrypoint reads that file of the
 * image, as a build argument naming it would have it read. */
static void env_config(struct svc *s, const char *key, const char *value, tm_loc at)
{
	(void)key;
	const char *ctx = tm_node_attr_str(s->n, "build");
	if (ctx && config_file(value))
		fact_at(s, "build_files", tm_arena_printf(s->c->arena, "%s/%s", ctx, value), at);
}

static void image(struct svc *s)
{
	build(s);
	const tm_value *iv = tm_map_get(s->v, "image");
	const char *img = text(s, iv);
	if (!img)
		return;
	tm_mb_node_list_add(s->ctx->mb, s->n, "images", img);
	if (s->store)
		tm_stores__image(s->store, img, tm_ingest__loc(s->p->mf, iv));
	/* built here (build:), image names what the build tags: there is no registry image to pin, the
	 * Dockerfile's base images are what a pin would be about, and they are not read */
	if (strchr(img, '@') || tm_map_get(s->v, "build"))
		return;
	fact(s, "images_unpinned", img, iv);
	if (tm_ingest__image_floats(img))
		fact(s, "images_floating", img, iv);
}

/* user: "root", "0", "0:0", "root:wheel" run as UID 0; absent, the image decides. */
static void user(struct svc *s)
{
	const tm_value *uv = tm_map_get(s->v, "user");
	const char *u = text(s, uv);
	if (!u) {
		fact(s, "root_not_excluded", s->name, NULL);
		return;
	}
	if (tm_escape_root_user(u))
		fact(s, "runs_as_root", s->name, uv);
}

static bool seq_has(const struct svc *s, const tm_value *seq, const char *a, const char *b)
{
	for (size_t i = 0; i < tm_value_len(seq); i++) {
		const char *t = text(s, tm_seq_at(seq, i));
		if (t && (strcasecmp(t, a) == 0 || (b && strcasecmp(t, b) == 0)))
			return true;
	}
	return false;
}

static void capabilities(struct svc *s)
{
	const tm_value *add = tm_map_get(s->v, "cap_add");
	for (size_t i = 0; i < tm_value_len(add); i++) {
		const char *cap = text(s, tm_seq_at(add, i));
		char *item = cap ? tm_arena_printf(tm_mb_policy(s->ctx->mb)->arena, "%s:%s", s->name, cap) : NULL;
		if (item)
			fact(s, "capabilities_added", item, tm_seq_at(add, i));
	}
	const tm_value *drop = tm_map_get(s->v, "cap_drop");
	if (!seq_has(s, drop, "ALL", NULL))
		fact(s, "capabilities_not_dropped", s->name, drop);
	const tm_value *opts = tm_map_get(s->v, "security_opt");
	if (is_true(tm_map_get(s->v, "privileged")) ||
	    !(seq_has(s, opts, "no-new-privileges", "no-new-privileges:true") ||
	      seq_has(s, opts, "no-new-privileges=true", NULL)))
		fact(s, "privilege_escalation", s->name, opts);
	/* confinement dropped: seccomp, AppArmor or the masked /proc and /sys paths "unconfined", SELinux
	 * labelling disabled ("key=value" or the older "key:value") */
	for (size_t i = 0; i < tm_value_len(opts); i++) {
		const char *t = text(s, tm_seq_at(opts, i));
		size_t k = t ? strcspn(t, ":=") : 0;
		if (!t || !t[k])
			continue;
		const char *what = NULL;
		if (strcasecmp(t + k + 1, "unconfined") == 0 &&
		    ((k == 7 && strncasecmp(t, "seccomp", 7) == 0) || (k == 8 && strncasecmp(t, "apparmor", 8) == 0) ||
		     (k == 11 && strncasecmp(t, "systempaths", 11) == 0)))
			what = tm_arena_strndup(s->c->arena, t, k);
		else if (k == 5 && strncasecmp(t, "label", 5) == 0 && strcasecmp(t + k + 1, "disable") == 0)
			what = "selinux";
		char *item = what ? tm_arena_printf(tm_mb_policy(s->ctx->mb)->arena, "%s:%s", s->name, what) : NULL;
		if (item)
			fact(s, "unconfined", item, tm_seq_at(opts, i));
	}
}

/* Is the host device path one that hands over the host: its disks (read and written beneath the
 * file system), its memory or I/O ports? A GPU (/dev/dri), a serial adapter, /dev/net/tun or
 * /dev/fuse are devices an application uses, not an escape. */
static bool escape_device(const char *p)
{
	static const char *const whole[] = {"/dev/mem", "/dev/kmem", "/dev/port", "/dev/kmsg"};
	static const char *const disks[] = {"/dev/sd", "/dev/hd", "/dev/vd", "/dev/xvd", "/dev/nvme", "/dev/mmcblk",
					    "/dev/dm-", "/dev/md", "/dev/loop", "/dev/disk/", "/dev/mapper/", "/dev/root"};
	for (size_t i = 0; i < TM_ARRAY_LEN(whole); i++)
		if (strcmp(p, whole[i]) == 0)
			return true;
	for (size_t i = 0; i < TM_ARRAY_LEN(disks); i++)
		if (strncmp(p, disks[i], strlen(disks[i])) == 0)
			return true;
	return false;
}

/* devices: "HOST[:CONTAINER[:PERMISSIONS]]" or {source, target, permissions}: each listed on the
 * node (`devices`); a disk, the host's memory or its I/O ports are host paths (TM-CTR-001). */
static void devices(struct svc *s)
{
	const tm_value *devs = tm_map_get(s->v, "devices");
	for (size_t i = 0; i < tm_value_len(devs) && tm_value_kind_of(devs) == TM_VALUE_SEQ; i++) {
		const tm_value *d = tm_seq_at(devs, i);
		const char *spec = tm_value_kind_of(d) == TM_VALUE_MAP ? text(s, tm_map_get(d, "source")) : text(s, d);
		const char *host = spec ? tm_arena_strndup(s->c->arena, spec, strcspn(spec, ":")) : NULL;
		if (!host || !*host)
			continue;
		tm_mb_node_list_add(s->ctx->mb, s->n, "devices", host);
		if (escape_device(host))
			fact(s, "host_paths", host, d);
	}
}

static void posture(struct svc *s)
{
	const tm_value *pv = tm_map_get(s->v, "privileged");
	if (is_true(pv))
		fact(s, "privileged", s->name, pv);
	user(s);
	capabilities(s);
	const tm_value *ro = tm_map_get(s->v, "read_only");
	if (!is_true(ro))
		fact(s, "writable_root_fs", s->name, ro);
	const tm_value *limits = tm_map_get(tm_map_get(tm_map_get(s->v, "deploy"), "resources"), "limits");
	bool mem = tm_map_get(limits, "memory") || tm_map_get(s->v, "mem_limit");
	bool cpu = tm_map_get(limits, "cpus") || tm_map_get(s->v, "cpus") || tm_map_get(s->v, "cpu_quota");
	if (!mem || !cpu) {
		fact(s, "no_resource_limits", s->name, limits);
		tm_mb_node_list_add(s->ctx->mb, s->n, "limit_missing", !mem && !cpu ? "both" : !mem ? "memory" : "cpu");
	}
	static const char *const hostns[] = {"network_mode", "pid", "ipc", "userns_mode", "cgroup"};
	for (size_t i = 0; i < TM_ARRAY_LEN(hostns); i++) {
		const tm_value *hv = tm_map_get(s->v, hostns[i]);
		const char *mode = text(s, hv);
		char *item = mode && strcmp(mode, "host") == 0 ? tm_arena_printf(s->c->arena, "%s: host", hostns[i]) : NULL;
		if (item)
			fact(s, "host_namespaces", item, hv);
	}
	devices(s);
}

/* Short volume syntax "SRC:DST[:MODE]": the source, or NULL for an anonymous volume. */
static const char *volume_source(struct compose *c, const char *spec)
{
	const char *from = spec;
	if (isalpha((unsigned char)spec[0]) && spec[1] == ':' && (spec[2] == '\\' || spec[2] == '/'))
		from = spec + 2; /* C:\data:/data */
	const char *colon = strchr(from, ':');
	return colon ? tm_arena_strndup(c->arena, spec, (size_t)(colon - spec)) : NULL;
}

/* A mount where an operations console reads its own configuration (model/console.c): a
 * console_env item, the file's content not read. */
static void console_mount(struct svc *s, const char *target, const tm_value *at)
{
	const char *item = tm_console_mount_item(s->c->arena, target);
	if (item)
		fact(s, "console_env", item, at);
}

/* A bind mount of the project's (src relative to the file that writes it, at is its place) for
 * mounts.c: where it lands in the container. */
static void bind_mount(struct svc *s, const char *src, const char *target, const tm_value *at)
{
	tm_loc loc = tm_ingest__loc(s->p->mf, at);
	const char *slash = loc.path ? strrchr(loc.path, '/') : NULL;
	char dir[1024], full[1024];
	tm_formatf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - loc.path) : 0, loc.path ? loc.path : "");
	const char *p = target ? tm_ingest__path_join(dir, src, full, sizeof(full)) : NULL;
	if (p)
		tm_ingest__mount_add(s->ctx, s->n, p, target, loc);
}

/* "the last part agrees", "the last 3 parts agree", into buf. */
static const char *parts_agree(char *buf, size_t cap, size_t parts)
{
	if (parts == 1)
		tm_formatf(buf, cap, "the last part agrees");
	else
		tm_formatf(buf, cap, "the last %zu parts agree", parts);
	return buf;
}

/* A bind mount from an absolute or home host path (`/data/nginx_data/conf.d/element.conf`, when the
 * project's README has it checked out in /data): the scan's file or directory whose last parts
 * agree (tm_ingest__mount_tail), under a stated assumption, so that what the container reads is
 * known; several that fit as well are named in a note and none is taken. */
static void absolute_mount(struct svc *s, const char *src, const char *target, const tm_value *at)
{
	if (!target || (src[0] != '/' && !(src[0] == '~' && src[1] == '/')))
		return;
	tm_loc loc = tm_ingest__loc(s->p->mf, at);
	const char *slash = loc.path ? strrchr(loc.path, '/') : NULL;
	char dir[1024];
	tm_formatf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - loc.path) : 0, loc.path ? loc.path : "");
	tm_mount_tail t;
	char agree[64];
	const char *path = tm_ingest__mount_tail(s->ctx, src, dir, &t);
	if (path) {
		tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "%s: the host path %s is taken to be %s of the scan (%s; where the project is checked out on "
			    "the host is not in the files)",
			    s->name, src, path, parts_agree(agree, sizeof(agree), t.parts));
		tm_ingest__mount_add(s->ctx, s->n, path, target, loc);
		return;
	}
	if (t.ncands < 2)
		return;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < t.ncands && i < TM_ARRAY_LEN(t.cands); i++)
		if (t.cands[i])
			tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", t.cands[i]);
	if (t.ncands > TM_ARRAY_LEN(t.cands))
		tm_strbuf_printf(&sb, " and %zu more", t.ncands - TM_ARRAY_LEN(t.cands));
	if (sb.data && !sb.oom)
		tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "%s: the host path %s may be any of %s of the scan (%s): none is taken, so what the container "
			    "reads there is not known",
			    s->name, src, sb.data, parts_agree(agree, sizeof(agree), t.parts));
	tm_strbuf_dispose(&sb);
}

static void volume(struct svc *s, const tm_value *v)
{
	const char *src, *target = NULL;
	const tm_value *at = v;
	if (tm_value_kind_of(v) == TM_VALUE_MAP) {
		const char *type = text(s, tm_map_get(v, "type"));
		at = tm_map_get(v, "source");
		src = text(s, at);
		target = text(s, tm_map_get(v, "target"));
		console_mount(s, target, v);
		if (type && strcmp(type, "bind") != 0) {
			if (s->store && target)
				tm_stores__mount(s->store, target, tm_ingest__loc(s->p->mf, v));
			if (src && strcmp(type, "volume") == 0)
				tm_mb_node_list_add(s->ctx->mb, s->n, "volumes", src);
			return;
		}
	} else {
		const char *spec = text(s, v);
		src = spec ? volume_source(s->c, spec) : NULL;
		target = src ? spec + strlen(src) + 1 : NULL;
		console_mount(s, target, v);
	}
	if (s->store && target) /* where a store reads its configuration (stores.c) */
		tm_stores__mount(s->store, target, tm_ingest__loc(s->p->mf, v));
	if (!src || !*src)
		return;
	/* a host path the environment sets (${DOCKER_SOCKET_LOCATION}) mounted where a runtime socket
	 * lives in the container: that socket, under a stated assumption */
	size_t tl = target ? strcspn(target, ":") : 0;
	if (src[0] == '$' && tl > 5 && target[0] == '/' && strncmp(target + tl - 5, ".sock", 5) == 0) {
		const char *path = tm_arena_strndup(s->c->arena, target, tl);
		if (path) {
			tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(s->p->mf, at),
				    "%s: the host side %s is set by the environment; mounted at %s it is taken to be the "
				    "host's %s socket",
				    s->name, src, path, strstr(path, "docker") ? "Docker" : "runtime");
			fact(s, "host_paths", path, at);
			return;
		}
	}
	if (src[0] == '/' || src[0] == '~' || src[0] == '\\' || (isalpha((unsigned char)src[0]) && src[1] == ':')) {
		if (!tm_escape_time_zone_path(src)) /* the host's clock setting: no host access to speak of */
			fact(s, "host_paths", src, at);
		absolute_mount(s, src, target, at);
	}
	else if (src[0] == '.' || src[0] == '$') {
		fact(s, "bind_mounts", src, at); /* inside the project, or not known without the environment */
		if (src[0] == '.')
			bind_mount(s, src, target, at);
	} else
		tm_mb_node_list_add(s->ctx->mb, s->n, "volumes", src);
}

static tm_node *secret(struct svc *s, const char *name, const tm_value *at)
{
	char *id = tm_arena_printf(s->c->arena, "secret:compose:%s/%s", s->p->name, name);
	tm_loc loc = tm_ingest__loc(s->p->mf, at);
	tm_node *sn = id ? tm_mb_node(s->ctx->mb, TM_NODE_SECRET, id, name, boundary(s), loc) : NULL;
	if (sn) {
		tm_mb_node_str(s->ctx->mb, sn, "namespace", s->p->name);
		tm_mb_node_str(s->ctx->mb, sn, "store", "compose-secret");
	}
	return sn;
}

/* A config the service takes (`configs: [name]`, or `{source, target}`; the target defaults to
 * /<name>): the file of a top-level config with `file:` (the last file of the project defining it)
 * is in the container at its target, as a bind mount of it would be (gateway.c finds who runs a
 * gateway configuration by it; stores.c reads a store's configuration). External configs and
 * `content:`/`environment:` ones hold no file of the tree. */
static void config_mount(struct svc *s, const tm_value *cv)
{
	bool map = tm_value_kind_of(cv) == TM_VALUE_MAP;
	const tm_value *at = map ? tm_map_get(cv, "source") : cv;
	const char *name = text(s, at), *target = map ? text(s, tm_map_get(cv, "target")) : NULL;
	const tm_value *def = NULL;
	for (size_t l = 0; name && l < TM_ARRAY_LEN(s->p->configs); l++)
		if (tm_map_get(s->p->configs[l], name))
			def = tm_map_get(s->p->configs[l], name);
	const tm_value *fv = tm_map_get(def, "file");
	const char *file = text(s, fv);
	if (!name || !file || !*file)
		return;
	if (!target || !*target)
		target = tm_arena_printf(s->c->arena, "/%s", name);
	console_mount(s, target, cv);
	if (s->store && target)
		tm_stores__mount(s->store, target, tm_ingest__loc(s->p->mf, cv));
	/* the path is the top-level entry's, relative to the file that writes it */
	if (file[0] == '/' || file[0] == '~') {
		fact(s, "host_paths", file, fv);
		absolute_mount(s, file, target, fv);
	} else {
		const char *rel = file[0] == '.' ? file : tm_arena_printf(s->c->arena, "./%s", file);
		fact(s, "bind_mounts", rel, fv);
		if (rel)
			bind_mount(s, rel, target, fv);
	}
	fact(s, "config_mounts", tm_arena_printf(s->c->arena, "%s -> %s", file, target ? target : "?"), at);
}

static void mounts(struct svc *s)
{
	const tm_value *vols = tm_map_get(s->v, "volumes");
	for (size_t i = 0; i < tm_value_len(vols); i++)
		volume(s, tm_seq_at(vols, i));
	const tm_value *cfgs = tm_map_get(s->v, "configs");
	for (size_t i = 0; i < tm_value_len(cfgs) && tm_value_kind_of(cfgs) == TM_VALUE_SEQ; i++)
		config_mount(s, tm_seq_at(cfgs, i));
	const tm_value *secs = tm_map_get(s->v, "secrets");
	for (size_t i = 0; i < tm_value_len(secs); i++) {
		const tm_value *sv = tm_seq_at(secs, i);
		if (tm_value_kind_of(sv) == TM_VALUE_MAP)
			sv = tm_map_get(sv, "source");
		const char *name = text(s, sv);
		tm_node *sn = name ? secret(s, name, sv) : NULL;
		tm_edge *e = sn ? tm_mb_edge(s->ctx->mb, s->n, sn, TM_EDGE_MOUNTS, tm_ingest__loc(s->p->mf, sv)) : NULL;
		if (e)
			tm_mb_edge_list_add(s->ctx->mb, e, "how", "compose secret");
		if (sn)
			tm_mb_node_list_add(s->ctx->mb, s->n, "secrets", name);
	}
	const tm_value *ef = tm_map_get(s->v, "env_file");
	size_t nef = tm_value_kind_of(ef) == TM_VALUE_SEQ ? tm_value_len(ef) : ef ? 1 : 0;
	for (size_t i = 0; i < nef; i++) {
		const tm_value *e = tm_value_kind_of(ef) == TM_VALUE_SEQ ? tm_seq_at(ef, i) : ef;
		if (tm_value_kind_of(e) == TM_VALUE_MAP)
			e = tm_map_get(e, "path");
		const char *path = text(s, e);
		if (path)
			fact(s, "env_files", path, e);
	}
}

/* One environment entry to a reader (its fields as struct env_entry's). */
typedef void (*env_fn)(struct svc *s, const char *key, const char *value, tm_loc at);

/* An entry without a value (`- CART_ADDR`, `CART_ADDR:`) passes the variable through from where
 * Compose runs: the shell, else the project's environment file, which the scan has (the shell it
 * has not: NULL). */
static const char *passed_through(struct svc *s, const char *key)
{
	const tm_compose_env *env = s->ienv ? s->ienv : s->p->env;
	return env ? tm_compose__env_get(env, key, strlen(key)) : NULL;
}

/* Where the project's .env (or its example) writes the variable an environment value is made of
 * alone ("${DB_PASS}", "$DB_PASS", "${DB_PASS:-x}"; raw NULL: passed through by its name key): the
 * place a value taken from it is written, into *at; false (at untouched) when the value is not that
 * file's (another text around the reference, a variable it does not set: the default is used). */
static bool written_at(const struct svc *s, const char *key, const char *raw, tm_loc *at)
{
	const tm_compose_env *env = s->p->env;
	if (!env || !env->lines || !s->p->env_path || (raw && raw[0] != '$'))
		return false;
	bool braced = raw && raw[1] == '{';
	const char *var = raw ? raw + 1 + braced : key;
	size_t vl = raw ? strspn(var, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") : strlen(key);
	if (!vl)
		return false;
	if (raw) { /* nothing but the one reference */
		const char *end = braced ? strchr(var + vl, '}') : var + vl;
		if (!end || end[braced])
			return false;
	}
	for (size_t i = env->n; i-- > 0;)
		if (strlen(env->keys[i]) == vl && memcmp(env->keys[i], var, vl) == 0) {
			*at = (tm_loc){s->p->env_path, env->lines[i], 1, NULL};
			return true;
		}
	return false;
}

/* The env_file dotenv at path (as the compose file writes it, relative to the directory of the file
 * declaring it, declared_in: an included or extended file's own), or NULL when the scan does not
 * hold it or the path leaves the scan. */
static const struct dotenv *env_file_of(const struct svc *s, const char *path, const char *declared_in)
{
	if (!path || *path == '/' || strstr(path, "${") || !declared_in)
		return NULL;
	const char *slash = strrchr(declared_in, '/');
	char dir[PATH_MAX], joined[PATH_MAX];
	if (tm_formatf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - declared_in) : 0, declared_in) < 0)
		return NULL;
	/* "../" past the top of the scan names a file it does not hold (the join would stop at the top) */
	long depth = *dir ? 1 : 0;
	for (const char *c = dir; *c; c++)
		depth += *c == '/';
	for (const char *p = path; *p && depth >= 0;) {
		size_t l = strcspn(p, "/");
		depth += l == 2 && p[0] == '.' && p[1] == '.' ? -1 : l && !(l == 1 && *p == '.') ? 1 : 0;
		p += l + (p[l] == '/');
	}
	if (depth < 0 || !tm_ingest__path_join(dir, path, joined, sizeof(joined)))
		return NULL;
	uintptr_t at = (uintptr_t)tm_hmap_get(&s->c->env_paths, joined, strlen(joined));
	return at && at <= s->c->nenvs ? &s->c->envs[at - 1] : NULL;
}

enum { ENV_FILES_MAX = 32 }; /* a service's env_files read; more are not */

/* A service's env_files the scan holds, in order, into files (example[i]: read from its example,
 * the file itself not being committed), with a note for each it does not hold: read from its
 * example beside it, or unknown (unless `required: false`). Their number. */
static size_t env_files(struct svc *s, const struct dotenv **files, bool *example)
{
	static const char *const examples[] = TM_ENV_EXAMPLE_SUFFIXES, *const dotenvs[] = TM_DOTENV_NAMES;
	const tm_value *ef = tm_map_get(s->v, "env_file");
	size_t nef = tm_value_kind_of(ef) == TM_VALUE_SEQ ? tm_value_len(ef) : ef ? 1 : 0, nfiles = 0;
	for (size_t i = 0; i < nef && nfiles < ENV_FILES_MAX; i++) {
		const tm_value *e = tm_value_kind_of(ef) == TM_VALUE_SEQ ? tm_seq_at(ef, i) : ef;
		const char *rq = tm_value_kind_of(e) == TM_VALUE_MAP ? tm_map_get_str(e, "required") : NULL;
		bool optional = rq && strcmp(rq, "false") == 0;
		if (tm_value_kind_of(e) == TM_VALUE_MAP)
			e = tm_map_get(e, "path");
		const char *path = text(s, e);
		const char *in = e ? tm_ingest__loc(s->p->mf, e).path : NULL; /* the declaring file */
		const struct dotenv *d = path ? env_file_of(s, path, in) : NULL;
		/* not committed (each deployment writes its own): its example, the documented values */
		const struct dotenv *ex = NULL;
		for (size_t x = 0; path && !d && !optional && !ex && x < TM_ARRAY_LEN(examples); x++) {
			const char *alt = tm_arena_printf(s->c->arena, "%s%s", path, examples[x]);
			ex = alt ? env_file_of(s, alt, in) : NULL;
		}
		/* a `.env`'s examples also go by names of their own (example.env, env.example) */
		const char *base = path ? strrchr(path, '/') : NULL;
		base = base ? base + 1 : path;
		for (size_t x = 1; base && strcmp(base, ".env") == 0 && !d && !optional && !ex && x < TM_ARRAY_LEN(dotenvs);
		     x++) {
			const char *alt = tm_arena_printf(s->c->arena, "%.*s%s", (int)(base - path), path, dotenvs[x]);
			ex = alt ? env_file_of(s, alt, in) : NULL;
		}
		if (ex)
			tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(s->p->mf, e),
				    "env_file %s of service %s is not in the scan: its variables take the values of %s, "
				    "the documented defaults; analysed as if the deployment kept them",
				    path, s->name, ex->path);
		else if (path && !d && !optional) {
			tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(s->p->mf, e),
				    "env_file %s of service %s is not in the scan: the variables it sets (the calls and "
				    "credentials they hold) are not known",
				    path, s->name);
			if (s->store) /* a store's own settings may be in it */
				tm_stores__env_from(s->store);
			/* and a console's: every setting it reads is unknown (TM-MESH-012 says so) */
			if (tm_console_of_image(text(s, tm_map_get(s->v, "image"))))
				fact(s, "console_env", tm_arena_printf(s->c->arena, "*env_file %s", path), e);
		}
		if (d || ex) {
			example[nfiles] = !d;
			files[nfiles++] = d ? d : ex;
		}
	}
	return nfiles;
}

/* A service's environment as compose hands it over, read once when the service is added and kept
 * on its origin for every reader: its `environment` entries, then the entries of its env_files
 * that neither `environment` nor a later env_file sets again (a file's last line of a name). */
static void read_env(struct svc *s, struct origin *o)
{
	const tm_value *env = tm_map_get(s->v, "environment");
	const struct dotenv *files[ENV_FILES_MAX];
	bool example[ENV_FILES_MAX];
	size_t nfiles = env_files(s, files, example), cap = tm_value_len(env);
	for (size_t i = 0; i < nfiles; i++)
		cap += files[i]->env.n;
	struct env_entry *out = cap ? tm_arena_alloc(s->c->arena, cap * sizeof(*out)) : NULL;
	if (!out) {
		if (cap)
			tm_arena_set_failed(s->c->arena);
		return;
	}
	size_t n = 0;
	tm_hmap given = TM_HMAP_INIT; /* the names `environment` sets */
	for (size_t i = 0; i < tm_value_len(env); i++) {
		const char *key, *value, *raw;
		const tm_value *at;
		if (tm_value_kind_of(env) == TM_VALUE_MAP) {
			key = tm_scalar_str(tm_map_key(env, i), NULL);
			const tm_value *v = tm_map_value(env, i);
			raw = tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
			value = text(s, v);
			at = value ? v : tm_map_key(env, i);
		} else {
			at = tm_seq_at(env, i);
			const char *kv = tm_scalar_str(at, NULL);
			const char *eq = kv ? strchr(kv, '=') : NULL;
			key = eq ? tm_arena_strndup(s->c->arena, kv, (size_t)(eq - kv)) : kv;
			if (key && eq)
				unset_vars(s, at, eq + 1);
			raw = eq ? eq + 1 : NULL;
			value = eq ? tm_compose__interpolate(s->c->arena, s->ienv ? s->ienv : s->p->env, eq + 1) : NULL;
		}
		if (!key)
			continue;
		tm_loc where = tm_ingest__loc(s->p->mf, at);
		/* a value the example .env fills in (${DB_PASSWORD}) is a documented default, as an
		 * env_file example's is */
		bool documented = written_at(s, key, value ? raw : NULL, &where) && s->p->env_example;
		out[n++] = (struct env_entry){key, value ? value : passed_through(s, key), where, documented};
		if (tm_hmap_put(&given, key, strlen(key), (void *)key))
			tm_arena_set_failed(s->c->arena);
	}
	for (size_t i = 0; i < nfiles; i++) {
		const struct dotenv *d = files[i];
		for (size_t k = 0; k < d->env.n; k++) {
			const char *key = d->env.keys[k];
			size_t klen = key ? strlen(key) : 0;
			bool later = !key || (uintptr_t)tm_hmap_get(&d->last, key, klen) != k + 1 || tm_hmap_get(&given, key, klen);
			for (size_t j = i + 1; !later && j < nfiles; j++)
				later = tm_hmap_get(&files[j]->last, key, klen) != NULL;
			if (!later)
				out[n++] = (struct env_entry){key, d->env.values[k],
							      (tm_loc){d->path, d->env.lines ? d->env.lines[k] : 0, 1, NULL},
							      example[i]};
		}
	}
	tm_hmap_dispose(&given);
	o->env = s->env = out;
	o->nenv = s->nenv = n;
}

/* Each entry of the service's environment (read_env) to fn. */
static void each_env(struct svc *s, env_fn fn)
{
	for (size_t i = 0; i < s->nenv; i++) {
		s->example_env = s->env[i].example;
		fn(s, s->env[i].key, s->env[i].value, s->env[i].at);
	}
	s->example_env = false;
}

/* What a data store takes from its environment and command line (stores.c). */
static void env_store(struct svc *s, const char *key, const char *value, tm_loc at)
{
	if (s->example_env && value) /* the example's documented value: said so, at its line */
		tm_stores__env_example(s->store, key, value, at);
	else
		tm_stores__env(s->store, key, value, NULL, at);
}

/* A word of the command line: to the store probe, and a credential it passes literally
 * (`--requirepass s3cret`) as the service's literal credential. */
static void arg_word(struct svc *s, const char *w, const char *next, tm_loc at)
{
	tm_stores__arg(s->store, w, at);
	char flag[80];
	const char *f = s->example_env ? NULL : tm_ingest__credential_flag(w, next, flag, sizeof(flag));
	char *item = f ? tm_arena_printf(s->c->arena, "%s/%s", s->name, f) : NULL;
	if (item)
		fact_at(s, "literal_credentials", item, at);
	/* the flags a model server reads (--api-key: TM-MESH-014), also in a `sh -c` string */
	const char *flags[8];
	size_t nf = w && s->console ? tm_console_flag_items(s->c->arena, w, next, flags, TM_ARRAY_LEN(flags)) : 0;
	for (size_t i = 0; i < nf; i++)
		fact_at(s, "console_env", flags[i], at);
}

/* The words of the service's command line that name a console (Flower started from Airflow's image:
 * `command: celery flower`), each a console_command fact at its entry. True if any. */
static bool console_command(struct svc *s)
{
	static const char *const keys[] = {"entrypoint", "command"};
	const char *image = text(s, tm_map_get(s->v, "image"));
	bool any = false;
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *cv = tm_map_get(s->v, keys[k]);
		const char *items[64];
		size_t n = 0;
		if (tm_value_kind_of(cv) == TM_VALUE_SEQ)
			for (size_t i = 0; i < tm_value_len(cv) && n < TM_ARRAY_LEN(items); i++)
				items[n++] = text(s, tm_seq_at(cv, i));
		else if (tm_value_kind_of(cv) == TM_VALUE_SCALAR)
			items[n++] = text(s, cv);
		const char *out[8];
		size_t got = n ? tm_console_command_items(s->c->arena, image, items, n, out, TM_ARRAY_LEN(out)) : 0;
		for (size_t i = 0; i < got; i++)
			fact(s, "console_command", out[i], cv);
		any |= got > 0;
	}
	return any;
}

static void store_args(struct svc *s)
{
	static const char *const keys[] = {"command", "entrypoint"};
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *cv = tm_map_get(s->v, keys[k]);
		tm_loc at = tm_ingest__loc(s->p->mf, cv);
		if (tm_value_kind_of(cv) == TM_VALUE_SEQ) {
			for (size_t i = 0; i < tm_value_len(cv); i++)
				arg_word(s, text(s, tm_seq_at(cv, i)), i + 1 < tm_value_len(cv) ? text(s, tm_seq_at(cv, i + 1)) : NULL,
					 tm_ingest__loc(s->p->mf, tm_seq_at(cv, i)));
			continue;
		}
		const char *line = text(s, cv);
		const char *prev = NULL;
		for (const char *w = line; w && *w;) { /* a shell-form string: its words */
			while (*w == ' ' || *w == '\t')
				w++;
			size_t n = strcspn(w, " \t");
			const char *word = n ? tm_arena_strndup(s->c->arena, w, n) : NULL;
			if (prev) /* each word once its next is known */
				arg_word(s, prev, word, at);
			prev = word;
			w += n;
		}
		if (prev)
			arg_word(s, prev, NULL, at);
	}
}

/* The variable of the project's example .env written at at (the line a documented value comes
 * from), or NULL: an env_file's example names its variables as the service does. */
static const char *example_var(const struct svc *s, tm_loc at)
{
	const tm_compose_env *env = s->p->env;
	if (!env || !env->lines || !s->p->env_path || !at.path || strcmp(at.path, s->p->env_path) != 0)
		return NULL;
	for (size_t i = env->n; i-- > 0;)
		if (env->lines[i] == at.line)
			return env->keys[i];
	return NULL;
}

/* A signing secret or a token an example file fills in (JWT_SECRET, SECRET_KEY, a JWT of role
 * service_role: signing.c): the same in every copy of the repository, so a deployment keeping it
 * accepts what anyone signs with it. An `example_signing` fact "<example's variable>: <what it
 * does>" at the example's line, which TM-SEC-007 judges with the service's exposure. */
static void env_example_signing(struct svc *s, const char *key, const char *value, tm_loc at)
{
	if (!s->example_env || !value || !key)
		return;
	const char *var = example_var(s, at);
	const char *what = tm_ingest__signing_value(s->c->arena, key, var, value);
	const char *item = what ? tm_arena_printf(s->c->arena, "%s: %s", var ? var : key, what) : NULL;
	if (item)
		fact_at(s, "example_signing", item, at);
}

/* A signing or encryption secret deployed with a placeholder (SECRET_KEY=changeme in the env_file
 * the service loads): TM-SEC-001 passes over a placeholder as no credential, yet the service runs
 * with it and accepts what anyone signs with it. A `known_signing` fact "<VAR>: <what it does>" at
 * the value's line (signing.c), which TM-SEC-007 judges with the service's exposure. */
static void env_known_signing(struct svc *s, const char *key, const char *value, tm_loc at)
{
	const char *what = !s->example_env && key ? tm_ingest__signing_known(key, value) : NULL;
	const char *item = what ? tm_arena_printf(s->c->arena, "%s: %s", key, what) : NULL;
	if (item)
		fact_at(s, "known_signing", item, at);
}

/* The group of a written credential: the same value (a URL's host, user and password) written for
 * several services of a project, through one line an anchor or a .env hands them or on lines of
 * their own, is one credential: a `literal_group` fact on each holder, at its value, naming the first
 * holder and variable, which TM-SEC-002 counts the holders of. A value only one service takes gets
 * none. Only a digest of the value is kept, in the reader's map. */
struct literal_first {
	const char *group; /* "<first holder's id>#<VAR>" */
	tm_node *n;
	tm_loc at;
	bool said; /* its own fact is written (a second holder came) */
};

static void literal_group(struct svc *s, const char *key, const char *value, tm_loc at)
{
	uint64_t d = tm_ingest__credential_digest(value);
	char *k = tm_arena_printf(s->c->arena, "%p\x1f%016llx", (const void *)s->p, (unsigned long long)d);
	if (!k)
		return;
	struct literal_first *f = tm_hmap_get(&s->c->literals, k, strlen(k));
	if (!f) {
		f = tm_arena_alloc(s->c->arena, sizeof(*f));
		const char *group = tm_arena_printf(s->c->arena, "%s#%s", tm_node_id(s->n), key);
		if (!f || !group || tm_hmap_put(&s->c->literals, k, strlen(k), f)) {
			tm_arena_set_failed(s->c->arena);
			return;
		}
		*f = (struct literal_first){group, s->n, at.path ? at : s->loc, false};
		return;
	}
	if (!f->said) {
		tm_mb_node_fact(s->ctx->mb, f->n, "literal_group", f->group, f->at);
		f->said = true;
	}
	fact_at(s, "literal_group", f->group, at);
}

/* A task worker started by its command line (queues.c: `celery worker`, `command: worker` handed to
 * the n8n or Airflow image's entrypoint): its `task_worker` fact at the deciding item. */
static void task_worker(struct svc *s)
{
	static const char *const keys[] = {"entrypoint", "command"};
	const char *items[64];
	const tm_value *vals[64];
	size_t n = 0, first_cmd = SIZE_MAX;
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *cv = tm_map_get(s->v, keys[k]);
		bool seq = tm_value_kind_of(cv) == TM_VALUE_SEQ;
		if (k == 1)
			first_cmd = n;
		for (size_t i = 0; i < (seq ? tm_value_len(cv) : cv != NULL) && n < TM_ARRAY_LEN(items); i++) {
			vals[n] = seq ? tm_seq_at(cv, i) : cv;
			items[n] = text(s, vals[n]);
			n += items[n] != NULL;
		}
	}
	size_t at = 0;
	const char *label = n ? tm_ingest__task_worker(items, n, first_cmd, text(s, tm_map_get(s->v, "image")), &at) : NULL;
	if (label)
		fact_at(s, "task_worker", label, tm_ingest__loc(s->p->mf, vals[at]));
}

static void env_credential(struct svc *s, const char *key, const char *value, tm_loc at)
{
	const char *tmpl = tm_ingest__template_address(value);
	if (tmpl)
		tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, at.path ? at : s->loc,
			    "%s is documentation's template of an address (%s): no credential and no call are taken "
			    "from it", key, tmpl);
	if (s->example_env || !tm_k8s__literal_credential(key, value)) /* an example's value is no secret of anyone's */
		return;
	char *item = tm_arena_printf(s->c->arena, "%s/%s", s->name, key);
	if (item)
		fact_at(s, "literal_credentials", item, at);
	literal_group(s, key, value, at);
}

/* Kong's Admin API listeners (KONG_ADMIN_LISTEN: "0.0.0.0:8001, 0.0.0.0:8444 ssl"): each
 * "address:port" a kong_admin_listen fact, which TM-MESH-008 judges with the published ports. */
static void env_admin(struct svc *s, const char *key, const char *value, tm_loc at)
{
	if (strcmp(key, "KONG_ADMIN_LISTEN") != 0 || !value)
		return;
	for (const char *p = value; *p;) {
		p += strspn(p, " ,");
		size_t n = strcspn(p, " ,");
		if (n && strncmp(p, "off", n) != 0)
			fact_at(s, "kong_admin_listen", tm_arena_strndup(s->c->arena, p, n), at);
		p += n;
		p += strcspn(p, ","); /* the entry's flags (ssl, http2, reuseport) */
	}
}

/* A Spring Cloud Config server, by its environment: the native profile (SPRING_PROFILES_ACTIVE, or
 * -Dspring.profiles.active=native in JAVA_OPTS), or a SPRING_CLOUD_CONFIG_SERVER_* setting. The
 * directories it bind-mounts are what it serves (calls.c), each file to the application it is named for. */
static void env_config_server(struct svc *s, const char *key, const char *value, tm_loc at)
{
	bool server = strncmp(key, "SPRING_CLOUD_CONFIG_SERVER_", 27) == 0;
	if (!server && value && (strcmp(key, "SPRING_PROFILES_ACTIVE") == 0 || strcmp(key, "SPRING_PROFILES_INCLUDE") == 0)) {
		for (const char *p = value; *p && !server;) {
			p += strspn(p, " ,");
			size_t n = strcspn(p, " ,");
			server = n == 6 && strncmp(p, "native", 6) == 0;
			p += n;
		}
	}
	if (!server && value && strstr(key, "JAVA") && strstr(value, "spring.profiles.active=native"))
		server = true;
	if (server)
		fact_at(s, "config_server", tm_arena_printf(s->c->arena, "%s=%s", key, value ? value : ""), at);
}

/* A setting an operations console reads (model/console.c): "KEY=value", or only "KEY" for a
 * credential, as a console_env fact that TM-MESH-012 judges. */
static void env_console(struct svc *s, const char *key, const char *value, tm_loc at)
{
	/* passed through (`- KEY`) from a shell the scan does not have: maybe set, maybe not */
	const char *item = value || tm_console_env_kind(key) == TM_CONSOLE_ENV_NONE ? tm_ingest__console_item(s->c->arena, key, value)
										     : tm_arena_printf(s->c->arena, "?%s", key);
	if (item)
		fact_at(s, "console_env", item, at);
}

/* A loopback binding in a stack file: `docker stack deploy` ignores the address and publishes the
 * port on every node; said on the edge and on the node, and once per project in a note. */
static void stack_loopback(struct svc *s, tm_edge *e, const char *host_ip, const char *item, tm_loc loc)
{
	const tm_attr *had = tm_edge_attr_get(e, "host_ip_ignored");
	const char *why = had && had->type == TM_ATTR_STR
				  ? had->str
				  : tm_arena_printf(s->c->arena,
						    "a Swarm stack file (%s at %s:%u): docker stack deploy ignores the host "
						    "address %s and publishes the port on every node",
						    s->p->stack_why, s->p->stack_at.path ? s->p->stack_at.path : "?",
						    s->p->stack_at.line, host_ip ? host_ip : "");
	if (!had)
		tm_mb_edge_str(s->ctx->mb, e, "host_ip_ignored", why);
	tm_mb_node_assume(s->ctx->mb, s->n, why);
	if (!host_ip)
		return;
	char *key = tm_arena_printf(s->c->arena, "%s\x1fstack", s->p->name);
	if (!key || tm_hmap_get(&s->c->noted, key, strlen(key)))
		return;
	if (tm_hmap_put(&s->c->noted, key, strlen(key), key))
		tm_arena_set_failed(s->c->arena);
	tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, loc,
		    "compose project %s is taken for a Docker Swarm stack (%s at %s:%u): docker stack deploy ignores "
		    "the host address of a published port and listens on 0.0.0.0 of every node (moby/moby#32299), "
		    "so %s is analysed as published; with docker compose it would bind %s only",
		    s->p->name, s->p->stack_why, s->p->stack_at.path ? s->p->stack_at.path : "?", s->p->stack_at.line,
		    item, host_ip);
}

/* One published port ("[ip:]published->target[/proto]"; proto NULL for TCP): the internet routes to
 * the service, unless only loopback is bound. via: "compose-port", or "compose-host-network" for a
 * service on the host's network (published "host": each port it listens on is the host's). */
static void publish_via(struct svc *s, const char *host_ip, const char *published, const char *target, const char *proto,
			const char *via, const tm_value *at)
{
	char *item = tm_arena_printf(s->c->arena, "%s%s%s->%s%s%s", host_ip ? host_ip : "", host_ip ? ":" : "",
				     published && *published ? published : "(random)", target ? target : "?", proto ? "/" : "",
				     proto ? proto : "");
	if (!item)
		return;
	bool loopback = host_ip && tm_host_loopback(host_ip, strlen(host_ip));
	if (loopback && !s->p->stack_why) {
		fact(s, "loopback_ports", item, at);
		return;
	}
	fact(s, "published_ports", item, at);
	tm_node *in = tm_ingest__internet(s->ctx);
	tm_loc loc = tm_ingest__loc(s->p->mf, at);
	tm_edge *e = in ? tm_mb_edge(s->ctx->mb, in, s->n, TM_EDGE_ROUTES, loc) : NULL;
	if (!e)
		return;
	tm_mb_edge_str(s->ctx->mb, e, "via", via);
	const char *port = strcmp(via, "compose-port") != 0 ? target : published && *published ? published : item;
	tm_mb_edge_list_add(s->ctx->mb, e, "ports",
			    proto && port ? tm_arena_printf(s->c->arena, "%s/%s", port, proto) : port ? port : "?");
	tm_mb_node_str(s->ctx->mb, s->n, "assumed",
		       s->p->assumed ? PROJECT_ASSUMED "; " PORTS_ASSUMED : PORTS_ASSUMED);
	/* a stack: Swarm's routing mesh listens on every node's 0.0.0.0 (moby/moby#32299) */
	if (loopback || tm_edge_attr_get(e, "host_ip_ignored"))
		stack_loopback(s, e, loopback ? host_ip : NULL, item, loc);
	const char *p = s->p->name;
	if (tm_hmap_get(&s->c->noted, p, strlen(p)))
		return;
	if (tm_hmap_put(&s->c->noted, p, strlen(p), (void *)p))
		tm_arena_set_failed(s->c->arena);
	tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, loc,
		    "compose ports are assumed reachable from the internet (the host's firewall is not in the files)");
}

static void publish(struct svc *s, const char *host_ip, const char *published, const char *target, const char *proto,
		    const tm_value *at)
{
	publish_via(s, host_ip, published, target, proto, "compose-port", at);
}

/* A port's protocol as written ("udp", "sctp"), or NULL for TCP, the default. */
static const char *protocol(struct svc *s, const char *proto)
{
	if (!proto || !*proto || strcasecmp(proto, "tcp") == 0)
		return NULL;
	char *p = tm_arena_strdup(s->c->arena, proto);
	for (char *q = p; q && *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return p;
}

/* "[ip:][published:]target[/proto]", ip possibly "[::1]" */
static void store_port(struct svc *s, const char *port, const tm_value *at)
{
	if (s->store)
		tm_stores__port(s->store, port, NULL, tm_ingest__loc(s->p->mf, at));
}

static void short_port(struct svc *s, const char *spec, const tm_value *at)
{
	char *buf = tm_arena_strdup(s->c->arena, spec);
	if (!buf)
		return;
	char *slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	const char *proto = protocol(s, slash);
	char *target = strrchr(buf, ':');
	if (!target) {
		tm_mb_node_list_add(s->ctx->mb, s->n, "ports", buf);
		store_port(s, buf, at);
		publish(s, NULL, NULL, buf, proto, at); /* a bare port is published on a random host port */
		return;
	}
	*target++ = '\0';
	char *published = strrchr(buf, ':'), *close = strchr(buf, ']');
	char *ip = NULL;
	if (published && buf[0] == '[' && close && published < close)
		published = NULL; /* "[::1]:80": the colon is inside the address */
	if (published) {
		*published++ = '\0';
		ip = buf;
	} else {
		published = buf;
	}
	tm_mb_node_list_add(s->ctx->mb, s->n, "ports", target);
	store_port(s, target, at);
	publish(s, ip && *ip ? ip : NULL, published, target, proto, at);
}

/* A port's container side without its protocol ("9999/udp" -> "9999"), or NULL. */
static const char *port_only(struct svc *s, const char *spec, const char **proto)
{
	const char *slash = spec ? strchr(spec, '/') : NULL;
	*proto = slash ? protocol(s, slash + 1) : NULL;
	return slash ? tm_arena_strndup(s->c->arena, spec, (size_t)(slash - spec)) : spec;
}

/* network_mode: host: the service binds the host's own interfaces, every port it listens on
 * (compose refuses ports: mappings then, and docker drops them): the ports it names (ports:
 * targets, expose:) are the host's, and with none named, whatever it listens on. */
static void host_network(struct svc *s, const tm_value *at)
{
	size_t named = 0;
	static const char *const keys[] = {"ports", "expose"};
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *ps = tm_map_get(s->v, keys[k]);
		for (size_t i = 0; i < tm_value_len(ps); i++) {
			const tm_value *pv = tm_seq_at(ps, i);
			bool map = tm_value_kind_of(pv) == TM_VALUE_MAP;
			const char *spec = text(s, map ? tm_map_get(pv, "target") : pv), *proto = NULL;
			const char *colon = spec && !map ? strrchr(spec, ':') : NULL;
			const char *port = port_only(s, colon ? colon + 1 : spec, &proto);
			if (map)
				proto = protocol(s, text(s, tm_map_get(pv, "protocol")));
			if (!port || !*port)
				continue;
			tm_mb_node_list_add(s->ctx->mb, s->n, "ports", port);
			store_port(s, port, pv);
			publish_via(s, NULL, "host", port, proto, "compose-host-network", pv);
			named++;
		}
	}
	if (!named)
		publish_via(s, NULL, "host", "(every port it listens on)", NULL, "compose-host-network", at);
}

static void ports(struct svc *s)
{
	const tm_value *mode = tm_map_get(s->v, "network_mode");
	const char *m = text(s, mode);
	if (m && strcmp(m, "host") == 0) {
		host_network(s, mode);
		return;
	}
	const tm_value *ps = tm_map_get(s->v, "ports");
	for (size_t i = 0; i < tm_value_len(ps); i++) {
		const tm_value *pv = tm_seq_at(ps, i);
		if (tm_value_kind_of(pv) != TM_VALUE_MAP) {
			const char *spec = text(s, pv);
			if (spec && *spec)
				short_port(s, spec, pv);
			continue;
		}
		const char *target = text(s, tm_map_get(pv, "target"));
		if (target)
			tm_mb_node_list_add(s->ctx->mb, s->n, "ports", target);
		if (target)
			store_port(s, target, tm_map_get(pv, "target"));
		const tm_value *pub = tm_map_get(pv, "published");
		publish(s, text(s, tm_map_get(pv, "host_ip")), text(s, pub), target,
			protocol(s, text(s, tm_map_get(pv, "protocol"))), pub ? pub : pv);
	}
	const tm_value *ex = tm_map_get(s->v, "expose");
	for (size_t i = 0; i < tm_value_len(ex); i++) {
		const char *proto = NULL, *port = port_only(s, text(s, tm_seq_at(ex, i)), &proto);
		if (port)
			tm_mb_node_list_add(s->ctx->mb, s->n, "ports", port);
		if (port)
			store_port(s, port, tm_seq_at(ex, i));
	}
}

/* network_mode: "service:X" (or "container:X", X a container_name of the project): the service
 * runs in X's network namespace, so the ports X publishes reach it as well as X. */
static void shared_network(struct svc *s)
{
	const tm_value *mode = tm_map_get(s->v, "network_mode");
	const char *m = text(s, mode);
	bool svc = m && strncmp(m, "service:", 8) == 0, ctr = m && strncmp(m, "container:", 10) == 0;
	if (!svc && !ctr)
		return;
	const char *name = m + (svc ? 8 : 10);
	const tm_node *other = NULL;
	const tm_value *ov = NULL;
	char *key = name_key(s->c, s->p->name, name);
	other = key ? tm_hmap_get(&s->c->names, key, strlen(key)) : NULL;
	for (size_t i = 0; other && i < s->p->nsvcs && !ov; i++)
		if (s->p->svcs[i].n == other)
			ov = s->p->svcs[i].v;
	if (!ov || other == s->n) {
		tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(s->p->mf, mode),
			    "service %s shares the network of %s, which is not a service of its project: the ports that reach it are "
			    "not known",
			    s->name, name);
		return;
	}
	tm_mb_node_str(s->ctx->mb, s->n, "network_of", tm_node_name(other));
	struct svc in = *s;
	in.v = ov; /* X's ports and network mode, onto this service's node */
	ports(&in);
}

/* A daprd sidecar (docs/inputs.md, "Dapr"): its app is the service whose network it shares, which
 * other apps invoke by the -app-id it is given (dapr_app_id); -dapr-http-port and -dapr-grpc-port
 * move its API from 3500 and 50001 (console_ports), -dapr-listen-addresses may keep it on the
 * loopback (console_loopback). Flags as Go's flag package takes them: -name value, --name value,
 * -name=value. */
static void dapr_flag(struct svc *s, const char *w, const char *next, tm_loc at, const char **port, tm_loc *port_at)
{
	if (!w || w[0] != '-')
		return;
	const char *name = w + (w[1] == '-' ? 2 : 1);
	size_t nl = strcspn(name, "=");
	const char *val = name[nl] == '=' ? name + nl + 1 : next;
#define IS(flag) (nl == strlen(flag) && strncmp(name, flag, nl) == 0)
	if (!val)
		return;
	if (IS("dapr-http-port") || IS("dapr-grpc-port")) {
		port[IS("dapr-grpc-port")] = val;
		*port_at = at;
	} else if (IS("app-id")) {
		const char *m = text(s, tm_map_get(s->v, "network_mode"));
		char *key = m && strncmp(m, "service:", 8) == 0 ? name_key(s->c, s->p->name, m + 8) : NULL;
		tm_node *app = key ? tm_hmap_get(&s->c->names, key, strlen(key)) : NULL;
		if (app && app != s->n) {
			tm_mb_node_str(s->ctx->mb, app, "dapr_app_id", val);
			tm_mb_add_evidence(s->ctx->mb, app, at);
			/* among the project's names as "dapr:<app-id>", which no host name can be */
			char *ak = name_key(s->c, s->p->name, tm_arena_printf(s->c->arena, "dapr:%s", val));
			if (ak && !tm_hmap_get(&s->c->names, ak, strlen(ak)) && tm_hmap_put(&s->c->names, ak, strlen(ak), app))
				tm_arena_set_failed(s->c->arena);
		}
	} else if (IS("dapr-listen-addresses")) {
		if (!tm_k8s__dapr_beyond_loopback(val))
			fact_at(s, "console_loopback", tm_arena_printf(s->c->arena, "-dapr-listen-addresses %s", val), at);
	}
#undef IS
}

static void dapr_sidecar(struct svc *s)
{
	const char *img = text(s, tm_map_get(s->v, "image"));
	const char *repo = img ? strrchr(img, '/') : NULL;
	repo = repo ? repo + 1 : img;
	if (!repo || strncmp(repo, "daprd", 5) != 0 || (repo[5] && repo[5] != ':' && repo[5] != '@'))
		return;
	const char *port[2] = {NULL, NULL};
	tm_loc port_at = {0};
	static const char *const keys[] = {"entrypoint", "command"};
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *cv = tm_map_get(s->v, keys[k]);
		if (tm_value_kind_of(cv) == TM_VALUE_SEQ) {
			for (size_t i = 0; i < tm_value_len(cv); i++)
				dapr_flag(s, text(s, tm_seq_at(cv, i)), i + 1 < tm_value_len(cv) ? text(s, tm_seq_at(cv, i + 1)) : NULL,
					  tm_ingest__loc(s->p->mf, tm_seq_at(cv, i)), port, &port_at);
			continue;
		}
		const char *line = text(s, cv), *prev = NULL;
		for (const char *w = line; w && *w;) { /* a shell-form string: its words */
			w += strspn(w, " \t");
			size_t n = strcspn(w, " \t");
			const char *word = n ? tm_arena_strndup(s->c->arena, w, n) : NULL;
			if (prev)
				dapr_flag(s, prev, word, tm_ingest__loc(s->p->mf, cv), port, &port_at);
			prev = word;
			w += n;
		}
		if (prev)
			dapr_flag(s, prev, NULL, tm_ingest__loc(s->p->mf, cv), port, &port_at);
	}
	if (port[0] || port[1]) {
		fact_at(s, "console_ports", port[0] ? port[0] : "3500", port_at);
		fact_at(s, "console_ports", port[1] ? port[1] : "50001", port_at);
	}
}

/* Each blank-separated word of a command line's item (quotes taken off), and what follows the last
 * '=' of one (`--config=/app/config.yaml`), into words. */
/* The next word of a command line at *w (quotes and a trailing ';' cut, and anything up to its last
 * '=': `-config.file=/etc/loki/loki.yaml` is the path), *w moved past it: its length, 0 at the end. */
static size_t command_word(const char **w, const char **out)
{
	for (;;) {
		*w += strspn(*w, " \t\r\n");
		if (!**w)
			return 0;
		size_t n = strcspn(*w, " \t\r\n");
		const char *t = *w, *eq = NULL;
		*w += n;
		for (size_t q = 0; q < n; q++)
			eq = t[q] == '=' ? t + q : eq;
		if (eq) {
			n -= (size_t)(eq + 1 - t);
			t = eq + 1;
		}
		while (n && (*t == '"' || *t == '\'')) {
			t++;
			n--;
		}
		while (n && (t[n - 1] == '"' || t[n - 1] == '\'' || t[n - 1] == ';'))
			n--;
		if (n) {
			*out = t;
			return n;
		}
	}
}

static bool yaml_or_json(const char *p)
{
	size_t n = strlen(p);
	return (n > 5 && strcmp(p + n - 5, ".yaml") == 0) || (n > 4 && strcmp(p + n - 4, ".yml") == 0) ||
	       (n > 5 && strcmp(p + n - 5, ".json") == 0);
}

/* One container path the service reads: when a bind mount of the project puts a YAML or JSON file
 * there (the file itself, or a directory holding it), that file is its own configuration, a
 * `config_files` fact at the mount (read as an application's configuration file, whatever its
 * name: tm_ingest__mounted_configs). */
static void config_read(struct svc *s, tm_hmap *seen, const char *path, size_t len)
{
	char buf[1024];
	tm_loc at;
	const char *host = tm_ingest__mount_resolve(s->ctx, s->n, path, len, buf, sizeof(buf), &at);
	if (!host || !*host || !yaml_or_json(host) || tm_hmap_get(seen, host, strlen(host)))
		return;
	const char *kept = tm_arena_strdup(s->c->arena, host);
	if (!kept || tm_hmap_put(seen, kept, strlen(kept), (void *)kept)) {
		tm_arena_set_failed(s->c->arena);
		return;
	}
	fact_at(s, "config_files", kept, at);
}

/* The container paths the service's program reads (mounts.c): each absolute path its entrypoint or
 * command names (in a `sh -c` string too), and its image's default configuration paths; the YAML
 * and JSON files of the project its bind mounts put there are its own configuration (config_read).
 * Linear: each path's cuts looked up once. */
static void config_mounts(struct svc *s)
{
	static const char *const keys[] = {"entrypoint", "command"};
	tm_hmap seen = TM_HMAP_INIT;
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *cv = tm_map_get(s->v, keys[k]);
		bool seq = tm_value_kind_of(cv) == TM_VALUE_SEQ;
		for (size_t i = 0; i < (seq ? tm_value_len(cv) : cv != NULL); i++) {
			const tm_value *item = seq ? tm_seq_at(cv, i) : cv;
			const char *w = text(s, item), *p = NULL;
			for (size_t n; w && (n = command_word(&w, &p)) > 0;)
				if (n > 1 && p[0] == '/') {
					tm_ingest__mount_read(s->ctx, s->n, p, n, "its command line", tm_ingest__loc(s->p->mf, item));
					config_read(s, &seen, p, n);
				}
		}
	}
	/* an absolute path an environment value names (Synapse's SYNAPSE_CONFIG_PATH=/data/homeserver.yaml,
	 * a CONFIG_FILE=/etc/app/app.yaml): a path its program is told to read */
	const tm_value *env = tm_map_get(s->v, "environment");
	bool emap = tm_value_kind_of(env) == TM_VALUE_MAP;
	for (size_t i = 0; i < tm_value_len(env); i++) {
		const tm_value *ev = emap ? tm_map_value(env, i) : tm_seq_at(env, i);
		const char *v = emap ? text(s, ev) : tm_scalar_str(ev, NULL);
		const char *eq = !emap && v ? strchr(v, '=') : NULL;
		v = emap ? v : eq ? eq + 1 : NULL;
		size_t n = v ? strcspn(v, " \t:,;") : 0;
		if (n > 1 && v[0] == '/' && !memchr(v, '$', n)) {
			tm_ingest__mount_read(s->ctx, s->n, v, n, "its environment", tm_ingest__loc(s->p->mf, ev));
			config_read(s, &seen, v, n);
		}
	}
	const tm_value *iv = tm_map_get(s->v, "image");
	const char *img = text(s, iv);
	const char *const *dflt = img ? tm_ingest__image_paths(img) : NULL;
	for (size_t i = 0; dflt && dflt[i]; i++) {
		tm_ingest__mount_read(s->ctx, s->n, dflt[i], strlen(dflt[i]), "its image's default path",
				      tm_ingest__loc(s->p->mf, iv));
		config_read(s, &seen, dflt[i], strlen(dflt[i]));
	}
	tm_hmap_dispose(&seen);
}

/* A list or a map whose keys are the items (depends_on, networks). */
static void list_or_keys(struct svc *s, const char *key, const char *attr)
{
	const tm_value *v = tm_map_get(s->v, key);
	bool map = tm_value_kind_of(v) == TM_VALUE_MAP;
	for (size_t i = 0; i < tm_value_len(v); i++) {
		const char *item = text(s, map ? tm_map_key(v, i) : tm_seq_at(v, i));
		if (item)
			tm_mb_node_list_add(s->ctx->mb, s->n, attr, item);
	}
}

/* Service s joins network name (item i of its networks), which no top-level `networks:` of the
 * project's files declares (base and override, as merged), nor that of the file the item comes from:
 * docker compose refuses to start the project ("service refers to undefined network"). A warning at
 * the item, once; the service is modelled as joining it all the same. "default" needs no declaring;
 * a project with `include:` is not judged (an included file's networks are the project's too, and
 * those of its files this walk did not read are not known). */
static void undeclared_network(struct svc *s, const tm_value *nets, size_t i, const char *name)
{
	const tm_value *item = tm_value_kind_of(nets) == TM_VALUE_MAP ? tm_map_key(nets, i) : tm_seq_at(nets, i);
	if (strcmp(name, "default") == 0 || strchr(name, '$') || s->p->includes)
		return; /* an included project's networks may be used by the including one's services */
	tm_loc at = tm_ingest__loc(s->p->mf, item);
	const struct cfile *cf = at.path ? tm_hmap_get(&s->c->by_path, at.path, strlen(at.path)) : NULL;
	if ((cf && tm_map_get(tm_map_get(cf->root, "networks"), name)) || !warn_once(s->c, item))
		return;
	tm_diag_add(s->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, at,
		    "compose service '%s' joins network '%s', which no top-level networks: of its files declares "
		    "(docker compose refuses to start it); modelled as joining it",
		    s->name, name);
}

/* The Docker networks a service joins, as Docker names them (`query` compares them between
 * projects): "<project>_<name>" for a network of the project (its `default` when it names none),
 * the `name:` a network sets, an external network by its name; "host" on the host's network. A
 * service sharing another's namespace (`network_mode: service:x`) gets none: not judged. */
static void network_ids(struct svc *s)
{
	const tm_value *modev = tm_map_get(s->v, "network_mode");
	const char *mode = text(s, modev);
	if (mode) {
		if (strcmp(mode, "host") == 0)
			fact_at(s, "network_ids", "host", tm_ingest__loc(s->p->mf, modev));
		return;
	}
	const char *project = s->p->name;
	size_t plen = strcspn(project, "["); /* a variant runs as its directory's project */
	const tm_value *nets = tm_map_get(s->v, "networks");
	size_t n = tm_value_len(nets);
	for (size_t i = 0; i < (n ? n : 1); i++) {
		const char *name = !n ? "default"
				   : tm_value_kind_of(nets) == TM_VALUE_MAP ? tm_scalar_str(tm_map_key(nets, i), NULL)
									  : text(s, tm_seq_at(nets, i));
		if (!name)
			continue;
		const tm_value *def = NULL;
		bool declared = !n;
		for (size_t l = 0; l < TM_ARRAY_LEN(s->p->nets); l++) /* the last file that defines it */
			if (tm_map_get(s->p->nets[l], name)) {
				def = tm_map_get(s->p->nets[l], name);
				declared = true;
			}
		if (!declared)
			undeclared_network(s, nets, i, name);
		const tm_value *ext = tm_map_get(def, "external");
		const char *ev = tm_scalar_str(ext, NULL);
		bool external = tm_value_kind_of(ext) == TM_VALUE_MAP || (ev && strcmp(ev, "true") == 0);
		const char *set = text(s, tm_map_get(def, "name"));
		if (!set && tm_value_kind_of(ext) == TM_VALUE_MAP) /* compose v2's external: {name: x} */
			set = text(s, tm_map_get(ext, "name"));
		const char *id = set ? set : external ? name : tm_arena_printf(s->c->arena, "%.*s_%s", (int)plen, project, name);
		if (id)
			fact_at(s, "network_ids", id, s->loc);
	}
}

static void names(struct svc *s)
{
	add_name(s, s->name);
	add_name(s, text(s, tm_map_get(s->v, "container_name")));
	add_name(s, text(s, tm_map_get(s->v, "hostname")));
	const tm_value *nets = tm_map_get(s->v, "networks");
	for (size_t i = 0; tm_value_kind_of(nets) == TM_VALUE_MAP && i < tm_value_len(nets); i++) {
		const tm_value *aliases = tm_map_get(tm_map_value(nets, i), "aliases");
		for (size_t k = 0; k < tm_value_len(aliases); k++)
			add_name(s, text(s, tm_seq_at(aliases, k)));
	}
}

/* The service in the policy model, so `trustmap query` and reachability resolve it: namespace
 * "compose:<project>" (the node id's own, so "compose:shop/web" names it), no labels, no sidecar. */
static void policy_workload(struct svc *s, const char *id)
{
	tm_policy *pol = tm_mb_policy(s->ctx->mb);
	tm_pm_workload *pw = TM_PM_ADD(pol, workloads);
	if (!pw)
		return;
	pw->ns = tm_pm_strdup(pol->arena, boundary(s));
	pw->name = tm_pm_strdup(pol->arena, s->name);
	pw->kind = "compose-service";
	pw->node_id = tm_pm_strdup(pol->arena, id);
	pw->service_account = "default";
	pw->inject = 0;
	pw->loc = s->loc;
}

/* profiles: started only when one of them is enabled; modelled all the same, marked opt-in. */
static void profiles(struct svc *s)
{
	const tm_value *pv = tm_map_get(s->v, "profiles");
	for (size_t i = 0; i < tm_value_len(pv); i++) {
		const tm_value *item = tm_seq_at(pv, i);
		const char *name = text(s, item);
		if (name)
			fact(s, "profiles", name, item);
	}
	if (tm_value_len(pv))
		tm_mb_node_bool(s->ctx->mb, s->n, "opt_in", true);
}

/* The files of the project that name the service, each with the place it does. */
static void files_of(struct svc *s, const struct origin *o)
{
	tm_mb_node_list_add(s->ctx->mb, s->n, "compose_files", tm_file_path(o->cf->f));
	for (size_t i = 0; i < TM_ARRAY_LEN(o->again) && o->again[i]; i++) {
		tm_mb_node_list_add(s->ctx->mb, s->n, "compose_files", tm_file_path(o->again[i]->f));
		tm_mb_add_evidence(s->ctx->mb, s->n, tm_ingest__loc(o->again[i]->f, o->again_key[i]));
	}
}

/* What a service of file cf is interpolated with (compose's include: each included file is loaded
 * as a project of its own directory, whose .env gives its defaults): the project's .env, and for an
 * included file in another directory with a .env of its own, that file's variables over it. */
static const tm_compose_env *interp_env(struct compose *c, const struct project *p, const struct cfile *cf)
{
	const struct dotenv *example, *own = cf && cf->included ? env_of(c, cf->dir, &example) : NULL;
	if (!own || &own->env == p->env)
		return p->env;
	char *key = tm_arena_printf(c->arena, "%p\x1f%s", (const void *)p, cf->dir);
	tm_compose_env *m = key ? tm_hmap_get(&c->included_envs, key, strlen(key)) : NULL;
	if (m || !key)
		return m ? m : p->env;
	size_t n = (p->env ? p->env->n : 0) + own->env.n;
	m = tm_arena_alloc(c->arena, sizeof(*m));
	const char **keys = tm_arena_alloc(c->arena, (n + 1) * sizeof(char *));
	const char **values = tm_arena_alloc(c->arena, (n + 1) * sizeof(char *));
	if (!m || !keys || !values || tm_hmap_put(&c->included_envs, key, strlen(key), m)) {
		tm_arena_set_failed(c->arena);
		return p->env;
	}
	/* a later definition wins (tm_compose__env_get): the included directory's come last */
	size_t k = 0;
	for (size_t i = 0; p->env && i < p->env->n; i++, k++) {
		keys[k] = p->env->keys[i];
		values[k] = p->env->values[i];
	}
	for (size_t i = 0; i < own->env.n; i++, k++) {
		keys[k] = own->env.keys[i];
		values[k] = own->env.values[i];
	}
	*m = (tm_compose_env){keys, values, NULL, n};
	return m;
}

/* A service running cloudflared or oauth2-proxy: its command line and environment to the tunnel
 * reader (gw_cloudflared.c), which keeps it when it runs a tunnel, and to oauth2-proxy's
 * (gw_oauth2proxy.c), which makes its upstreams routes. */
static void cloudflared(struct svc *s)
{
	static const char *const keys[] = {"entrypoint", "command"};
	const char *img = text(s, tm_map_get(s->v, "image"));
	bool named = tm_ingest__cloudflared_image(img) || tm_ingest__oauth2_proxy_image(img);
	size_t n = 0;
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *cv = tm_map_get(s->v, keys[k]);
		n += tm_value_kind_of(cv) == TM_VALUE_SEQ ? tm_value_len(cv) : cv != NULL;
		for (size_t i = 0; !named && i < (tm_value_kind_of(cv) == TM_VALUE_SEQ ? tm_value_len(cv) : cv != NULL); i++) {
			const char *w = tm_scalar_str(tm_value_kind_of(cv) == TM_VALUE_SEQ ? tm_seq_at(cv, i) : cv, NULL);
			named = w && (strstr(w, "cloudflared") || strstr(w, "oauth2-proxy") || strstr(w, "oauth2_proxy"));
		}
	}
	tm_cf_item *words = named && n ? tm_arena_alloc(s->c->arena, n * sizeof(*words)) : NULL;
	tm_cf_item *env = named && s->nenv ? tm_arena_alloc(s->c->arena, s->nenv * sizeof(*env)) : NULL;
	if (!named || (n && !words) || (s->nenv && !env)) {
		if (named)
			tm_arena_set_failed(s->c->arena);
		return;
	}
	size_t nw = 0;
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *cv = tm_map_get(s->v, keys[k]);
		bool seq = tm_value_kind_of(cv) == TM_VALUE_SEQ;
		for (size_t i = 0; i < (seq ? tm_value_len(cv) : cv != NULL); i++) {
			const tm_value *item = seq ? tm_seq_at(cv, i) : cv;
			const char *w = text(s, item);
			if (w)
				words[nw++] = (tm_cf_item){w, NULL, tm_ingest__loc(s->p->mf, item)};
		}
	}
	for (size_t i = 0; i < s->nenv; i++)
		env[i] = (tm_cf_item){s->env[i].key, s->env[i].value, s->env[i].at};
	tm_ingest__cloudflared_container(s->ctx, s->n, img, words, nw, env, s->nenv, s->loc);
	tm_ingest__oauth2_proxy_container(s->ctx, s->n, img, words, nw, env, s->nenv, s->loc);
}

static void add_service(tm_ingest_ctx *ctx, struct compose *c, const struct project *p, struct origin *o)
{
	struct svc s = {.ctx = ctx, .c = c, .p = p, .name = o->name, .v = o->v, .loc = tm_ingest__loc(o->cf->f, o->key),
			.ienv = interp_env(c, p, o->cf)};
	char *id = tm_arena_printf(c->arena, "service:compose:%s/%s", p->name, s.name);
	const char *b = id ? boundary(&s) : NULL;
	s.n = b ? tm_mb_node(ctx->mb, TM_NODE_SERVICE, id, s.name, b, s.loc) : NULL;
	o->n = s.n;
	if (!s.n)
		return;
	tm_mb_node_str(ctx->mb, s.n, "namespace", p->name);
	tm_mb_node_str(ctx->mb, s.n, "workload", "compose-service");
	if (p->assumed)
		tm_mb_node_str(ctx->mb, s.n, "assumed", PROJECT_ASSUMED);
	files_of(&s, o);
	int added = tm_pset_add(&c->workloads, s.n); /* once, though two directories name one project */
	if (added < 0)
		tm_arena_set_failed(c->arena);
	else if (added)
		policy_workload(&s, id);
	tm_store_probe store;
	tm_stores__probe_init(&store, ctx, s.n);
	s.store = &store;
	names(&s);
	image(&s);
	posture(&s);
	mounts(&s);
	ports(&s);
	read_env(&s, o);
	each_env(&s, env_credential);
	each_env(&s, env_example_signing);
	each_env(&s, env_known_signing);
	each_env(&s, env_store);
	each_env(&s, env_admin);
	each_env(&s, env_console);
	each_env(&s, env_config_server);
	each_env(&s, env_config);
	s.console = tm_console_of_image(text(&s, tm_map_get(s.v, "image"))) != NULL;
	s.console |= console_command(&s);
	store_args(&s);
	task_worker(&s);
	config_mounts(&s);
	cloudflared(&s);
	tm_stores__finish(&store);
	s.store = NULL;
	list_or_keys(&s, "depends_on", "depends_on");
	list_or_keys(&s, "networks", "networks");
	network_ids(&s);
	profiles(&s);
}

struct call_ud {
	struct svc *s;
	const char *var, *value;
	tm_loc at;
};

/* An address of a service's environment: a call if its host is a service of the project. */
static void call_address(void *ud, const tm_address *a)
{
	struct call_ud *u = ud;
	struct svc *s = u->s;
	char *lk = s->c->links.count ? link_key(s, a->host) : NULL;
	tm_node *to = lk ? tm_hmap_get(&s->c->links, lk, strlen(lk)) : NULL;
	char *key = to ? NULL : name_key(s->c, s->p->name, a->host);
	if (key)
		to = tm_hmap_get(&s->c->names, key, strlen(key));
	tm_edge *e = to && to != s->n ? tm_mb_edge(s->ctx->mb, s->n, to, TM_EDGE_CALLS, u->at) : NULL;
	if (!e)
		return;
	tm_mb_edge_list_add(s->ctx->mb, e, "env", u->var);
	tm_mb_edge_list_add(s->ctx->mb, e, "address", tm_ingest__masked(s->c->arena, u->value));
	if (a->port)
		tm_mb_edge_list_add(s->ctx->mb, e, "ports", a->port);
}

/* Does the service run a data store from its published image (stores.c)? */
static bool runs_store_image(const struct svc *s)
{
	const char *runs = tm_node_attr_str(s->n, "runs_store");
	const tm_node *st = runs ? tm_mb_find(s->ctx->mb, runs) : NULL;
	const char *how = st ? tm_node_attr_str(st, "inferred_from") : NULL;
	return how && strncmp(how, "image ", 6) == 0;
}

static void env_calls(struct svc *s, const char *key, const char *value, tm_loc at)
{
	/* a store's image calls no one by the variables of an env_file it shares with the applications
	 * (Dify's middleware.env: the sandbox's proxy, other services' hosts): they are theirs */
	const char *mf = tm_file_path(s->p->mf);
	if (at.path && mf && strcmp(at.path, mf) != 0 && runs_store_image(s))
		return;
	struct call_ud u = {s, key, value, at};
	/* http://localhost:3500/v1.0/invoke/<app-id>/method/...: the app its daprd sidecar serves */
	const char *dapr = value ? tm_gw_dapr_app(s->c->arena, value, value) : NULL;
	char *dk = dapr ? name_key(s->c, s->p->name, dapr) : NULL;
	tm_node *app = dk ? tm_hmap_get(&s->c->names, dk, strlen(dk)) : NULL;
	tm_edge *e = app && app != s->n ? tm_mb_edge(s->ctx->mb, s->n, app, TM_EDGE_CALLS, at) : NULL;
	if (e) {
		tm_mb_edge_list_add(s->ctx->mb, e, "env", key);
		tm_mb_edge_list_add(s->ctx->mb, e, "address", tm_ingest__masked(s->c->arena, value));
		tm_mb_edge_str(s->ctx->mb, e, "dapr_app_id", dapr + 5);
	}
	if (dapr)
		return;
	tm_ingest__address_each(value, tm_ingest__address_name(key, true), call_address, &u);
}

/* Each service of every project, in project order: fn(s) with s->n the service's node. */
static void each_service(tm_ingest_ctx *ctx, struct compose *c, void (*fn)(struct svc *s))
{
	for (size_t i = 0; i < c->nprojects; i++) {
		const struct project *p = c->projects[i];
		for (size_t k = 0; k < p->nsvcs; k++) {
			const struct origin *o = &p->svcs[k];
			struct svc s = {.ctx = ctx, .c = c, .p = p, .name = o->name, .v = o->v, .n = o->n,
					.loc = tm_ingest__loc(o->cf->f, o->key), .env = o->env, .nenv = o->nenv,
					.ienv = interp_env(c, p, o->cf)};
			if (s.n)
				fn(&s);
		}
	}
}

static void calls(struct svc *s)
{
	each_env(s, env_calls);
}

/* `links: ["mysql:db"]`: the linking service reaches mysql by the name db, before any service of that
 * name (c->links, read by call_address). A gateway's upstream names resolve project-wide: the alias is
 * also a name of mysql in the project unless another service has it. */
static void link_aliases(struct svc *s)
{
	const tm_value *links = tm_map_get(s->v, "links");
	for (size_t i = 0; i < tm_value_len(links); i++) {
		const char *l = text(s, tm_seq_at(links, i));
		const char *colon = l ? strchr(l, ':') : NULL;
		if (!colon || !colon[1])
			continue;
		char *target = name_key(s->c, s->p->name, tm_arena_strndup(s->c->arena, l, (size_t)(colon - l)));
		tm_node *to = target ? tm_hmap_get(&s->c->names, target, strlen(target)) : NULL;
		char *own = to ? link_key(s, colon + 1) : NULL;
		if (own && tm_hmap_put(&s->c->links, own, strlen(own), to))
			tm_arena_set_failed(s->c->arena);
		char *alias = to ? name_key(s->c, s->p->name, colon + 1) : NULL;
		if (!alias || tm_hmap_get(&s->c->names, alias, strlen(alias)))
			continue;
		if (tm_hmap_put(&s->c->names, alias, strlen(alias), to))
			tm_arena_set_failed(s->c->arena);
		tm_mb_node_list_add(s->ctx->mb, to, "hostnames", alias + strlen(s->p->name) + 1);
	}
}

struct text_ud {
	struct compose *c;
	const struct project *p;
};

static const char *project_text(void *ud, const tm_value *v)
{
	const struct text_ud *t = ud;
	return text_in(t->c, t->p->env, v);
}

/* Does p run Traefik (a service of the traefik image)? */
static bool runs_traefik(struct compose *c, const struct project *p)
{
	for (size_t k = 0; k < p->nsvcs; k++)
		if (tm_compose__traefik_image(text_in(c, p->env, tm_map_get(p->svcs[k].v, "image"))))
			return true;
	return false;
}

/* Are p and q two ways to deploy one application (variants of one directory that name a service
 * alike: docker-compose.yml and docker-stack.yml), never running side by side? Stacks kept in one
 * directory (traefik.yml, swarmpit.yml) name none alike. */
static bool alternatives(const struct project *p, const struct project *q)
{
	if (!p->nsvcs || !q->nsvcs || strcmp(p->svcs[0].cf->dir, q->svcs[0].cf->dir) != 0)
		return false;
	for (size_t k = 0; k < p->nsvcs; k++)
		if (tm_hmap_get(&q->by_name, p->svcs[k].name, strlen(p->svcs[k].name)))
			return true;
	return false;
}

struct labelled {
	const struct project *p;
	const struct origin *o;
	struct labelled *next;
};

/* The services of every project that carry Traefik labels, by each network id they join: what a
 * Traefik of another project may reach. */
static void labelled_index(struct compose *c, tm_hmap *by_net)
{
	for (size_t i = 0; i < c->nprojects; i++)
		for (size_t k = 0; k < c->projects[i]->nsvcs; k++) {
			const struct origin *o = &c->projects[i]->svcs[k];
			bool cl, dl;
			tm_compose__traefik_labelled(o->v, &cl, &dl);
			for (size_t f = 0; o->n && (cl || dl) && f < o->n->facts.count; f++) {
				const tm_fact_loc *fl = &o->n->facts.items[f];
				if (strcmp(fl->key, "network_ids") != 0)
					continue;
				struct labelled *l = tm_arena_alloc(c->arena, sizeof(*l));
				if (!l) {
					tm_arena_set_failed(c->arena);
					return;
				}
				*l = (struct labelled){c->projects[i], o, tm_hmap_get(by_net, fl->value, strlen(fl->value))};
				if (tm_hmap_put(by_net, fl->value, strlen(fl->value), l))
					tm_arena_set_failed(c->arena);
			}
		}
}

static tm_compose_svc svc_of(struct text_ud *ud, const struct origin *o, bool outside)
{
	return (tm_compose_svc){o->name, o->n, o->v, ud->p->mf, tm_file_path(o->cf->f), ud->p->name, ud, outside};
}

/* The routes Traefik makes of the labels of the project's services, and of the labelled services of
 * other projects (not its alternatives) on a network one of its services joins (compose_traefik.c
 * keeps those on a network of the Traefik service's). */
static void traefik(tm_ingest_ctx *ctx, struct compose *c, const struct project *p, const tm_hmap *by_net,
		    tm_pset *routed)
{
	if (!p->nsvcs || !runs_traefik(c, p))
		return;
	tm_compose_svc *svcs = NULL;
	size_t n = 0, cap = 0;
	tm_pset seen = TM_PSET_INIT;
	struct text_ud *ud = tm_arena_alloc(c->arena, sizeof(*ud));
	bool ok = ud && !TM_GROW(svcs, cap, p->nsvcs + 1);
	if (ok)
		*ud = (struct text_ud){c, p};
	for (size_t k = 0; ok && k < p->nsvcs; k++)
		svcs[n++] = svc_of(ud, &p->svcs[k], false);
	/* each network of its Traefik services walked once: the work is what those services reach */
	for (size_t k = 0; ok && k < p->nsvcs; k++) {
		const tm_node *sn = p->svcs[k].n;
		if (!sn || !tm_compose__traefik_image(text_in(c, p->env, tm_map_get(p->svcs[k].v, "image"))))
			continue;
		for (size_t f = 0; ok && f < sn->facts.count; f++) {
			const tm_fact_loc *fl = &sn->facts.items[f];
			int fresh = strcmp(fl->key, "network_ids") == 0 ? tm_pset_add(&seen, fl->value) : 0;
			ok = fresh >= 0;
			for (const struct labelled *l = fresh > 0 ? tm_hmap_get(by_net, fl->value, strlen(fl->value)) : NULL;
			     ok && l; l = l->next) {
				int added = l->p == p || alternatives(p, l->p) ? 0 : tm_pset_add(&seen, l->o);
				struct text_ud *oud = added > 0 ? tm_arena_alloc(c->arena, sizeof(*oud)) : NULL;
				ok = added >= 0 && (!added || (oud && !TM_GROW(svcs, cap, n + 1)));
				if (!ok || !oud)
					continue;
				*oud = (struct text_ud){c, l->p};
				svcs[n++] = svc_of(oud, l->o, true);
			}
		}
	}
	if (ok)
		tm_compose__traefik(ctx, svcs, n, project_text, routed);
	else
		tm_arena_set_failed(c->arena);
	tm_pset_dispose(&seen);
	tm_free(svcs);
}

/* The first service of p whose labels route it through Traefik (a `traefik.` label, container or
 * deploy), or NULL; whether p runs Traefik itself (*runs), and whether a Traefik of another project
 * routes one of them (*routed). */
static const struct origin *traefik_labelled(struct compose *c, const struct project *p, const tm_pset *routed,
					     bool *runs, bool *is_routed)
{
	const struct origin *first = NULL;
	*runs = runs_traefik(c, p);
	*is_routed = false;
	for (size_t k = 0; k < p->nsvcs; k++) {
		const struct origin *o = &p->svcs[k];
		bool cl, dl;
		tm_compose__traefik_labelled(o->v, &cl, &dl);
		if ((cl || dl) && !first)
			first = o;
		*is_routed = *is_routed || (o->n && tm_pset_has(routed, o->n));
	}
	return first;
}

/* A project whose services carry Traefik labels, that runs no Traefik of its own and that no
 * Traefik of another project routes (compose_traefik.c: on no network it joins, labels of the kind
 * it does not read, left out by its constraints): a Traefik on the host would route them, which the
 * scan does not show, so the note says so: the services' exposure may be understated. */
static void traefik_elsewhere(tm_ingest_ctx *ctx, struct compose *c, const tm_pset *routed)
{
	const struct project *runner = NULL;
	bool runs, is_routed;
	for (size_t i = 0; i < c->nprojects && !runner; i++)
		if (runs_traefik(c, c->projects[i]))
			runner = c->projects[i];
	for (size_t i = 0; i < c->nprojects; i++) {
		const struct origin *o = traefik_labelled(c, c->projects[i], routed, &runs, &is_routed);
		if (!o || runs || is_routed)
			continue;
		if (runner)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->cf->f, o->key),
				    "services of compose project %s carry Traefik labels (%s, ...) and project %s runs Traefik, "
				    "which routes none of them: they join no network of its, or it reads the other kind "
				    "of labels (Swarm mode deploy.labels, the Docker provider the containers' labels), or "
				    "its constraints leave them out; a Traefik that reaches them is not drawn, so these "
				    "services' exposure may be understated",
				    c->projects[i]->name, o->name, runner->name);
		else
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->cf->f, o->key),
				    "services of compose project %s carry Traefik labels (%s, ...) and no Traefik in the scan "
				    "routes them: a Traefik on the host with the Docker provider would publish them; that "
				    "is not drawn",
				    c->projects[i]->name, o->name);
	}
}

/* Where a data store's server puts its unix socket: a directory shared through a volume is a way to
 * call it without the network (mailcow's php-fpm reaching MariaDB through /var/run/mysqld). */
static bool socket_dir(const char *target, size_t n)
{
	static const char *const dirs[] = {"/var/run/mysqld", "/run/mysqld", "/var/run/postgresql", "/run/postgresql",
					   "/var/run/redis", "/run/redis", "/var/run/memcached", "/run/memcached",
					   "/var/run/mongodb", "/run/mongodb"};
	while (n > 1 && target[n - 1] == '/')
		n--;
	for (size_t i = 0; i < TM_ARRAY_LEN(dirs); i++)
		if (strlen(dirs[i]) == n && strncmp(target, dirs[i], n) == 0)
			return true;
	return n > 5 && strncmp(target + n - 5, ".sock", 5) == 0;
}

struct sock_mount {
	tm_node *n;
	const char *target;
	tm_loc at;
	struct sock_mount *next;
};

/* Services of one project sharing a volume (or host directory) mounted where a store's socket lives:
 * each calls the one store among them, through the socket. Linear: the mounts by source in a map. */
static void socket_calls(tm_ingest_ctx *ctx, struct compose *c, const struct project *p)
{
	tm_hmap by_src = TM_HMAP_INIT;
	const char **srcs = NULL; /* the sources in the order met */
	size_t nsrcs = 0, cap = 0;
	for (size_t k = 0; k < p->nsvcs; k++) {
		const struct origin *o = &p->svcs[k];
		const tm_value *vols = o->n ? tm_map_get(o->v, "volumes") : NULL;
		for (size_t i = 0; i < tm_value_len(vols) && tm_value_kind_of(vols) == TM_VALUE_SEQ; i++) {
			const tm_value *v = tm_seq_at(vols, i);
			const char *src = NULL, *target = NULL;
			/* read as volume() reads them: interpolated (${DATA:-./data}/mysql:/var/run/mysqld) */
			if (tm_value_kind_of(v) == TM_VALUE_MAP) {
				src = text_in(c, p->env, tm_map_get(v, "source"));
				target = text_in(c, p->env, tm_map_get(v, "target"));
			} else {
				const char *spec = text_in(c, p->env, v);
				src = spec ? volume_source(c, spec) : NULL;
				target = src ? spec + strlen(src) + 1 : NULL;
			}
			size_t tl = target ? strcspn(target, ":") : 0;
			if (!src || !*src || !tl || !socket_dir(target, tl))
				continue;
			struct sock_mount *m = tm_arena_alloc(c->arena, sizeof(*m));
			const char *key = tm_arena_printf(c->arena, "%s", src);
			if (!m || !key) {
				tm_arena_set_failed(c->arena);
				break;
			}
			*m = (struct sock_mount){o->n, tm_arena_strndup(c->arena, target, tl), tm_ingest__loc(o->cf->f, v),
						 tm_hmap_get(&by_src, key, strlen(key))};
			if ((!m->next && TM_GROW(srcs, cap, nsrcs + 1)) || tm_hmap_put(&by_src, key, strlen(key), m)) {
				tm_arena_set_failed(c->arena);
				continue;
			}
			if (!m->next)
				srcs[nsrcs++] = key;
		}
	}
	for (size_t i = 0; i < nsrcs; i++) {
		const struct sock_mount *head = tm_hmap_get(&by_src, srcs[i], strlen(srcs[i]));
		const struct sock_mount *store = NULL;
		size_t stores = 0;
		for (const struct sock_mount *m = head; m; m = m->next)
			if (tm_node_attr_str(m->n, "runs_store") && (!store || store->n != m->n) && !stores++)
				store = m;
		if (stores != 1)
			continue;
		for (const struct sock_mount *m = head; m; m = m->next) {
			if (m->n == store->n)
				continue;
			tm_edge *e = tm_mb_edge(ctx->mb, m->n, store->n, TM_EDGE_CALLS, m->at);
			if (e)
				tm_mb_edge_str(ctx->mb, e, "via", tm_arena_printf(c->arena, "unix socket in %s", store->target));
		}
	}
	tm_hmap_dispose(&by_src);
	tm_free(srcs);
}

static void compose_finish(tm_ingest_ctx *ctx, void *state)
{
	struct compose *c = state;
	if (!c)
		return;
	build_projects(ctx, c);
	for (size_t i = 0; i < c->nprojects; i++)
		for (size_t k = 0; k < c->projects[i]->nsvcs; k++)
			add_service(ctx, c, c->projects[i], &c->projects[i]->svcs[k]);
	each_service(ctx, c, shared_network);
	each_service(ctx, c, dapr_sidecar);
	each_service(ctx, c, link_aliases);
	tm_hmap by_net = TM_HMAP_INIT;
	tm_pset routed = TM_PSET_INIT;
	labelled_index(c, &by_net);
	for (size_t i = 0; i < c->nprojects; i++)
		traefik(ctx, c, c->projects[i], &by_net, &routed);
	traefik_elsewhere(ctx, c, &routed);
	tm_hmap_dispose(&by_net);
	tm_pset_dispose(&routed);
	each_service(ctx, c, calls);
	for (size_t i = 0; i < c->nprojects; i++)
		socket_calls(ctx, c, c->projects[i]);
}

const tm_ingester tm_ingest__compose = {compose_begin, compose_doc, compose_finish, compose_end};
