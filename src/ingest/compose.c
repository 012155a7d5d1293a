/*
 * compose.c - docker-compose files (v2/v3 and the Compose Specification).
 *
 * Files are collected as documents arrive and modelled in finish(), because the
 * files of one project (docker-compose.yml and its overrides) are read apart
 * and a service calls services defined in another of them.
 *
 * Model mapping:
 *   project       `name:`, else the directory holding the file; at the root of a
 *                 one-directory scan, where the directory's name is not in the
 *                 display path, "default" (the node says it was assumed)
 *                 -> boundary "compose:<project>" (namespace-like)
 *   service       -> service node "service:compose:<project>/<service>",
 *                    namespace=<project>, workload="compose-service", with the
 *                    located facts the Kubernetes workloads carry, where the
 *                    setting means the same (table in docs/inputs.md)
 *   ports         published (short "8080:80", "80", long `published`/`host_ip`)
 *                 -> entrypoint:internet routes-> service, via "compose-port",
 *                    under a stated assumption (one note per project): the
 *                    host's firewall is not in the files. Loopback-only
 *                    bindings (127.0.0.0/8, ::1, localhost) and `expose:` are not.
 *   environment   a value naming another service of the project by host
 *                 (service name, container_name, hostname, network alias)
 *                 -> calls edge; `depends_on` alone is start order, not a call
 *   secrets       -> secret node "secret:compose:<project>/<name>", mounts edge
 * Several files of one project merge as a union of their facts (override
 * semantics are not applied: a setting an override removes is still seen).
 *
 * Interpolation: ${VAR:-default} and ${VAR-default} read as their default
 * (itself interpolated), $$ as a dollar; every other reference (${VAR},
 * $VAR, ${VAR:?err}) is kept as written, since the environment and .env are
 * not read. A value that stays a reference is never a literal credential.
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "k8s.h" /* tm_k8s__literal_credential: one heuristic for both */

#define MAX_INTERP_DEPTH 8
#define PROJECT_ASSUMED "project 'default' (no name: and no directory)"
#define PORTS_ASSUMED "published ports reachable from the internet (the host's firewall is not in the files)"

struct cfile {
	const tm_file *f;
	const tm_value *root;
	const char *project;
	bool project_assumed; /* no name:, and no directory in the display path */
};

struct compose {
	struct cfile *files;
	size_t n, cap;
	tm_hmap names;  /* "<project>\x1f<host>" -> tm_node*: service names, container_name, hostname, aliases */
	tm_hmap noted;  /* projects whose ports assumption was stated */
	tm_pset workloads; /* service nodes already in the policy model */
	tm_arena *arena; /* the scan's scratch arena */
};

/* The service being modelled. */
struct svc {
	tm_ingest_ctx *ctx;
	struct compose *c;
	const struct cfile *cf;
	const char *name;
	const tm_value *v;
	tm_node *n;
	tm_loc loc; /* the service's key */
};

static void *compose_begin(tm_ingest_ctx *ctx)
{
	struct compose *c = tm_calloc(1, sizeof(*c));
	if (c)
		c->arena = ctx->scratch;
	return c;
}

static void compose_end(void *state)
{
	struct compose *c = state;
	if (!c)
		return;
	tm_free(c->files);
	tm_hmap_dispose(&c->names);
	tm_hmap_dispose(&c->noted);
	tm_pset_dispose(&c->workloads);
	tm_free(c);
}

static bool var_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_';
}

/* The end of a ${...} starting at p ("${"), nesting counted; NULL if unterminated. */
static const char *brace_end(const char *p)
{
	int level = 0;
	for (const char *q = p + 1; *q; q++) {
		if (*q == '{')
			level++;
		else if (*q == '}' && --level == 0)
			return q;
	}
	return NULL;
}

static const char *interpolate_at(tm_arena *a, const char *s, int depth)
{
	if (!s || !strchr(s, '$'))
		return s;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (const char *p = s; *p;) {
		const char *end = p[0] == '$' && p[1] == '{' ? brace_end(p) : NULL;
		if (p[0] == '$' && p[1] == '$') {
			tm_strbuf_putc(&sb, '$');
			p += 2;
		} else if (end) {
			const char *op = p + 2;
			while (var_char(*op))
				op++;
			bool has_default = op > p + 2 && (op[0] == '-' || (op[0] == ':' && op[1] == '-'));
			if (has_default && depth < MAX_INTERP_DEPTH) {
				const char *d = op + (op[0] == ':' ? 2 : 1);
				tm_strbuf_puts(&sb, interpolate_at(a, tm_arena_strndup(a, d, (size_t)(end - d)), depth + 1));
			} else {
				tm_strbuf_put(&sb, p, (size_t)(end + 1 - p));
			}
			p = end + 1;
		} else {
			tm_strbuf_putc(&sb, *p++);
		}
	}
	char *out = sb.oom ? NULL : tm_arena_strndup(a, sb.data ? sb.data : "", sb.len);
	tm_strbuf_dispose(&sb);
	return out ? out : s;
}

/* A scalar's text with compose interpolation applied (NULL for a non-scalar or null). */
static const char *text(struct compose *c, const tm_value *v)
{
	if (!v || tm_value_kind_of(v) != TM_VALUE_SCALAR || tm_scalar_type_of(v) == TM_SCALAR_NULL)
		return NULL;
	return interpolate_at(c->arena, tm_scalar_str(v, NULL), 0);
}

static bool is_true(const tm_value *v)
{
	bool b;
	return v && !tm_scalar_bool(v, &b) && b;
}

/* The project: name:, else the file's directory (the last component of its display path). */
static void project_of(struct compose *c, struct cfile *cf)
{
	const char *name = text(c, tm_map_get(cf->root, "name"));
	if (name && *name && !strchr(name, '$')) {
		cf->project = name;
		return;
	}
	const char *path = tm_file_path(cf->f);
	const char *slash = path ? strrchr(path, '/') : NULL;
	if (!slash) {
		cf->project = "default";
		cf->project_assumed = true;
		return;
	}
	const char *start = slash;
	while (start > path && start[-1] != '/')
		start--;
	cf->project = slash > start ? tm_arena_strndup(c->arena, start, (size_t)(slash - start)) : "default";
	cf->project_assumed = slash == start;
}

static bool compose_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
			const char *detail)
{
	(void)ctx;
	(void)detail;
	struct compose *c = state;
	const tm_value *services = tm_map_get(root, "services");
	if (!c || tm_value_kind_of(services) != TM_VALUE_MAP || !tm_value_len(services) ||
	    TM_GROW(c->files, c->cap, c->n + 1))
		return false;
	struct cfile *cf = &c->files[c->n++];
	memset(cf, 0, sizeof(*cf));
	cf->f = f;
	cf->root = root;
	project_of(c, cf);
	return cf->project != NULL;
}

static const char *boundary(struct svc *s)
{
	char *id = tm_arena_printf(s->c->arena, "compose:%s", s->cf->project);
	char *name = tm_arena_printf(s->c->arena, "compose project %s", s->cf->project);
	if (id && name)
		tm_mb_boundary(s->ctx->mb, TM_BOUNDARY_NAMESPACE, id, name, NULL);
	return id;
}

static void fact(struct svc *s, const char *key, const char *value, const tm_value *at)
{
	tm_mb_node_fact(s->ctx->mb, s->n, key, value, at ? tm_ingest__loc(s->cf->f, at) : s->loc);
}

/* A name other services of the project may use for this one. */
static void add_name(struct svc *s, const char *host)
{
	if (!host || !*host)
		return;
	char *key = tm_arena_printf(s->c->arena, "%s\x1f%s", s->cf->project, host);
	if (!key)
		return;
	for (char *p = strchr(key, '\x1f'); *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (tm_hmap_put(&s->c->names, key, strlen(key), s->n))
		tm_arena_set_failed(s->c->arena);
}

static void image(struct svc *s)
{
	const tm_value *iv = tm_map_get(s->v, "image");
	const char *img = text(s->c, iv);
	if (!img) {
		const tm_value *b = tm_map_get(s->v, "build");
		const char *ctx = tm_value_kind_of(b) == TM_VALUE_MAP ? text(s->c, tm_map_get(b, "context")) : text(s->c, b);
		if (ctx)
			tm_mb_node_str(s->ctx->mb, s->n, "build", ctx);
		return;
	}
	tm_mb_node_list_add(s->ctx->mb, s->n, "images", img);
	if (strchr(img, '@'))
		return;
	fact(s, "images_unpinned", img, iv);
	const char *last = strrchr(img, '/');
	const char *tag = strrchr(last ? last : img, ':');
	if (!tag || strcmp(tag, ":latest") == 0)
		fact(s, "images_floating", img, iv);
}

/* user: "root", "0", "0:0", "root:wheel" run as UID 0; absent, the image decides. */
static void user(struct svc *s)
{
	const tm_value *uv = tm_map_get(s->v, "user");
	const char *u = text(s->c, uv);
	if (!u) {
		fact(s, "root_not_excluded", s->name, NULL);
		return;
	}
	size_t n = strcspn(u, ":");
	if ((n == 4 && strncmp(u, "root", 4) == 0) || (n == 1 && u[0] == '0'))
		fact(s, "runs_as_root", s->name, uv);
}

static bool seq_has(struct compose *c, const tm_value *seq, const char *a, const char *b)
{
	for (size_t i = 0; i < tm_value_len(seq); i++) {
		const char *t = text(c, tm_seq_at(seq, i));
		if (t && (strcasecmp(t, a) == 0 || (b && strcasecmp(t, b) == 0)))
			return true;
	}
	return false;
}

static void capabilities(struct svc *s)
{
	const tm_value *add = tm_map_get(s->v, "cap_add");
	for (size_t i = 0; i < tm_value_len(add); i++) {
		const char *cap = text(s->c, tm_seq_at(add, i));
		char *item = cap ? tm_arena_printf(tm_mb_policy(s->ctx->mb)->arena, "%s:%s", s->name, cap) : NULL;
		if (item)
			fact(s, "capabilities_added", item, tm_seq_at(add, i));
	}
	const tm_value *drop = tm_map_get(s->v, "cap_drop");
	if (!seq_has(s->c, drop, "ALL", NULL))
		fact(s, "capabilities_not_dropped", s->name, drop);
	const tm_value *opts = tm_map_get(s->v, "security_opt");
	if (is_true(tm_map_get(s->v, "privileged")) ||
	    !seq_has(s->c, opts, "no-new-privileges", "no-new-privileges:true"))
		fact(s, "privilege_escalation", s->name, opts);
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
	if (!mem || !cpu)
		fact(s, "no_resource_limits", s->name, limits);
	static const char *const hostns[] = {"network_mode", "pid", "ipc"};
	for (size_t i = 0; i < TM_ARRAY_LEN(hostns); i++) {
		const tm_value *hv = tm_map_get(s->v, hostns[i]);
		const char *mode = text(s->c, hv);
		char *item = mode && strcmp(mode, "host") == 0 ? tm_arena_printf(s->c->arena, "%s: host", hostns[i]) : NULL;
		if (item)
			fact(s, "host_namespaces", item, hv);
	}
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

static void volume(struct svc *s, const tm_value *v)
{
	const char *src;
	const tm_value *at = v;
	if (tm_value_kind_of(v) == TM_VALUE_MAP) {
		const char *type = text(s->c, tm_map_get(v, "type"));
		at = tm_map_get(v, "source");
		src = text(s->c, at);
		if (type && strcmp(type, "bind") != 0) {
			if (src && strcmp(type, "volume") == 0)
				tm_mb_node_list_add(s->ctx->mb, s->n, "volumes", src);
			return;
		}
	} else {
		const char *spec = text(s->c, v);
		src = spec ? volume_source(s->c, spec) : NULL;
	}
	if (!src || !*src)
		return;
	if (src[0] == '/' || src[0] == '~' || src[0] == '\\' || (isalpha((unsigned char)src[0]) && src[1] == ':'))
		fact(s, "host_paths", src, at);
	else if (src[0] == '.' || src[0] == '$')
		fact(s, "bind_mounts", src, at); /* inside the project, or not known without the environment */
	else
		tm_mb_node_list_add(s->ctx->mb, s->n, "volumes", src);
}

static tm_node *secret(struct svc *s, const char *name, const tm_value *at)
{
	char *id = tm_arena_printf(s->c->arena, "secret:compose:%s/%s", s->cf->project, name);
	tm_loc loc = tm_ingest__loc(s->cf->f, at);
	tm_node *sn = id ? tm_mb_node(s->ctx->mb, TM_NODE_SECRET, id, name, boundary(s), loc) : NULL;
	if (sn) {
		tm_mb_node_str(s->ctx->mb, sn, "namespace", s->cf->project);
		tm_mb_node_str(s->ctx->mb, sn, "store", "compose-secret");
	}
	return sn;
}

static void mounts(struct svc *s)
{
	const tm_value *vols = tm_map_get(s->v, "volumes");
	for (size_t i = 0; i < tm_value_len(vols); i++)
		volume(s, tm_seq_at(vols, i));
	const tm_value *secs = tm_map_get(s->v, "secrets");
	for (size_t i = 0; i < tm_value_len(secs); i++) {
		const tm_value *sv = tm_seq_at(secs, i);
		if (tm_value_kind_of(sv) == TM_VALUE_MAP)
			sv = tm_map_get(sv, "source");
		const char *name = text(s->c, sv);
		tm_node *sn = name ? secret(s, name, sv) : NULL;
		tm_edge *e = sn ? tm_mb_edge(s->ctx->mb, s->n, sn, TM_EDGE_MOUNTS, tm_ingest__loc(s->cf->f, sv)) : NULL;
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
		const char *path = text(s->c, e);
		if (path)
			fact(s, "env_files", path, e);
	}
}

/* One environment entry: its name, its interpolated value (NULL: none, taken from the shell),
 * and the value the location is read from. */
typedef void (*env_fn)(struct svc *s, const char *key, const char *value, const tm_value *at);

static void each_env(struct svc *s, env_fn fn)
{
	const tm_value *env = tm_map_get(s->v, "environment");
	for (size_t i = 0; i < tm_value_len(env); i++) {
		if (tm_value_kind_of(env) == TM_VALUE_MAP) {
			const char *key = tm_scalar_str(tm_map_key(env, i), NULL);
			const tm_value *v = tm_map_value(env, i);
			const char *value = text(s->c, v);
			if (key)
				fn(s, key, value, value ? v : tm_map_key(env, i));
			continue;
		}
		const tm_value *item = tm_seq_at(env, i);
		const char *kv = tm_scalar_str(item, NULL);
		const char *eq = kv ? strchr(kv, '=') : NULL;
		const char *key = eq ? tm_arena_strndup(s->c->arena, kv, (size_t)(eq - kv)) : kv;
		if (key)
			fn(s, key, eq ? interpolate_at(s->c->arena, eq + 1, 0) : NULL, item);
	}
}

static void env_credential(struct svc *s, const char *key, const char *value, const tm_value *at)
{
	if (!tm_k8s__literal_credential(key, value))
		return;
	char *item = tm_arena_printf(s->c->arena, "%s/%s", s->name, key);
	if (item)
		fact(s, "literal_credentials", item, at);
}

static bool loopback(const char *ip)
{
	return strncmp(ip, "127.", 4) == 0 || strcmp(ip, "::1") == 0 || strcmp(ip, "[::1]") == 0 ||
	       strcmp(ip, "localhost") == 0;
}

/* One published port: the internet routes to the service, unless only loopback is bound. */
static void publish(struct svc *s, const char *host_ip, const char *published, const char *target,
		    const tm_value *at)
{
	char *item = tm_arena_printf(s->c->arena, "%s%s%s->%s", host_ip ? host_ip : "", host_ip ? ":" : "",
				     published && *published ? published : "(random)", target ? target : "?");
	if (!item)
		return;
	if (host_ip && loopback(host_ip)) {
		fact(s, "loopback_ports", item, at);
		return;
	}
	fact(s, "published_ports", item, at);
	tm_node *in = tm_ingest__internet(s->ctx);
	tm_loc loc = tm_ingest__loc(s->cf->f, at);
	tm_edge *e = in ? tm_mb_edge(s->ctx->mb, in, s->n, TM_EDGE_ROUTES, loc) : NULL;
	if (!e)
		return;
	tm_mb_edge_str(s->ctx->mb, e, "via", "compose-port");
	tm_mb_edge_list_add(s->ctx->mb, e, "ports", published && *published ? published : item);
	tm_mb_node_str(s->ctx->mb, s->n, "assumed",
		       s->cf->project_assumed ? PROJECT_ASSUMED "; " PORTS_ASSUMED : PORTS_ASSUMED);
	const char *p = s->cf->project;
	if (tm_hmap_get(&s->c->noted, p, strlen(p)))
		return;
	if (tm_hmap_put(&s->c->noted, p, strlen(p), (void *)p))
		tm_arena_set_failed(s->c->arena);
	tm_diag_add(s->ctx->diags, 0, TM_LEVEL_NOTE, loc,
		    "compose ports are assumed reachable from the internet (the host's firewall is not in the files)");
}

/* "[ip:][published:]target[/proto]", ip possibly "[::1]" */
static void short_port(struct svc *s, const char *spec, const tm_value *at)
{
	char *buf = tm_arena_strdup(s->c->arena, spec);
	if (!buf)
		return;
	char *proto = strchr(buf, '/');
	if (proto)
		*proto = '\0';
	char *target = strrchr(buf, ':');
	if (!target) {
		tm_mb_node_list_add(s->ctx->mb, s->n, "ports", buf);
		publish(s, NULL, NULL, buf, at); /* a bare port is published on a random host port */
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
	publish(s, ip && *ip ? ip : NULL, published, target, at);
}

static void ports(struct svc *s)
{
	const tm_value *ps = tm_map_get(s->v, "ports");
	for (size_t i = 0; i < tm_value_len(ps); i++) {
		const tm_value *pv = tm_seq_at(ps, i);
		if (tm_value_kind_of(pv) != TM_VALUE_MAP) {
			const char *spec = text(s->c, pv);
			if (spec && *spec)
				short_port(s, spec, pv);
			continue;
		}
		const char *target = text(s->c, tm_map_get(pv, "target"));
		if (target)
			tm_mb_node_list_add(s->ctx->mb, s->n, "ports", target);
		const tm_value *pub = tm_map_get(pv, "published");
		publish(s, text(s->c, tm_map_get(pv, "host_ip")), text(s->c, pub), target, pub ? pub : pv);
	}
	const tm_value *ex = tm_map_get(s->v, "expose");
	for (size_t i = 0; i < tm_value_len(ex); i++) {
		const char *port = text(s->c, tm_seq_at(ex, i));
		if (port)
			tm_mb_node_list_add(s->ctx->mb, s->n, "ports", port);
	}
}

/* A list or a map whose keys are the items (depends_on, networks). */
static void list_or_keys(struct svc *s, const char *key, const char *attr)
{
	const tm_value *v = tm_map_get(s->v, key);
	bool map = tm_value_kind_of(v) == TM_VALUE_MAP;
	for (size_t i = 0; i < tm_value_len(v); i++) {
		const char *item = text(s->c, map ? tm_map_key(v, i) : tm_seq_at(v, i));
		if (item)
			tm_mb_node_list_add(s->ctx->mb, s->n, attr, item);
	}
}

static void names(struct svc *s)
{
	add_name(s, s->name);
	add_name(s, text(s->c, tm_map_get(s->v, "container_name")));
	add_name(s, text(s->c, tm_map_get(s->v, "hostname")));
	const tm_value *nets = tm_map_get(s->v, "networks");
	for (size_t i = 0; tm_value_kind_of(nets) == TM_VALUE_MAP && i < tm_value_len(nets); i++) {
		const tm_value *aliases = tm_map_get(tm_map_value(nets, i), "aliases");
		for (size_t k = 0; k < tm_value_len(aliases); k++)
			add_name(s, text(s->c, tm_seq_at(aliases, k)));
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

static void add_service(tm_ingest_ctx *ctx, struct compose *c, const struct cfile *cf, const tm_value *key,
			const tm_value *v)
{
	struct svc s = {ctx, c, cf, tm_scalar_str(key, NULL), v, NULL, tm_ingest__loc(cf->f, key)};
	char *id = s.name ? tm_arena_printf(c->arena, "service:compose:%s/%s", cf->project, s.name) : NULL;
	const char *b = id ? boundary(&s) : NULL;
	s.n = b ? tm_mb_node(ctx->mb, TM_NODE_SERVICE, id, s.name, b, s.loc) : NULL;
	if (!s.n)
		return;
	tm_mb_node_str(ctx->mb, s.n, "namespace", cf->project);
	tm_mb_node_str(ctx->mb, s.n, "workload", "compose-service");
	if (cf->project_assumed)
		tm_mb_node_str(ctx->mb, s.n, "assumed", PROJECT_ASSUMED);
	tm_mb_node_list_add(ctx->mb, s.n, "compose_files", tm_file_path(cf->f));
	int added = tm_pset_add(&c->workloads, s.n); /* once, though an override names it again */
	if (added < 0)
		tm_arena_set_failed(c->arena);
	else if (added)
		policy_workload(&s, id);
	names(&s);
	image(&s);
	posture(&s);
	mounts(&s);
	ports(&s);
	each_env(&s, env_credential);
	list_or_keys(&s, "depends_on", "depends_on");
	list_or_keys(&s, "networks", "networks");
	list_or_keys(&s, "profiles", "profiles");
}

/* Names in a value that say it is an address, as in k8s_calls.c. */
static bool address_var(const char *name)
{
	static const char *const tails[] = {"_ADDR", "_ADDRESS", "_HOST", "_HOSTNAME", "_URL", "_URI",
					    "_ENDPOINT", "_SERVICE", "_SERVER", "_SERVERS", "_DSN", "_BROKERS",
					    "_BROKER", "_HOSTS", "_URLS"};
	size_t n = strlen(name);
	for (size_t i = 0; i < TM_ARRAY_LEN(tails); i++) {
		size_t m = strlen(tails[i]);
		if ((n >= m && strcasecmp(name + n - m, tails[i]) == 0) || strcasecmp(name, tails[i] + 1) == 0)
			return true;
	}
	return false;
}

static bool host_key(const char *k)
{
	static const char *const keys[] = {"server", "host", "data source", "hostname", "address", "addr"};
	for (size_t i = 0; i < TM_ARRAY_LEN(keys); i++)
		if (strcasecmp(k, keys[i]) == 0)
			return true;
	return false;
}

/* One token: [key=][scheme://][user[:pass]@]host[:port][/...]; a call if host is a service of the project. */
static void call_token(struct svc *s, const char *var, const char *tok, size_t len, const char *value,
		       const tm_value *at)
{
	char buf[256];
	if (len >= sizeof(buf))
		return;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	char *p = buf, *eq = strchr(buf, '='), *scheme;
	bool strong = false;
	if (eq) {
		*eq = '\0';
		if (!host_key(p))
			return;
		p = eq + 1;
		strong = true;
	}
	if ((scheme = strstr(p, "://")) != NULL) {
		p = scheme + 3;
		strong = true;
	}
	char *atsign = strchr(p, '@'), *slash = strchr(p, '/');
	if (atsign && (!slash || atsign < slash))
		p = atsign + 1;
	size_t h = 0;
	while (isalnum((unsigned char)p[h]) || p[h] == '-' || p[h] == '_' || p[h] == '.')
		h++;
	char *port = NULL;
	if (h && p[h] == ':' && isdigit((unsigned char)p[h + 1])) {
		port = p + h + 1;
		port[strspn(port, "0123456789")] = '\0';
		strong = true;
	} else if (!h || (p[h] && p[h] != '/' && p[h] != '?')) {
		return;
	}
	p[h] = '\0';
	if (!strong && !address_var(var))
		return;
	char *key = tm_arena_printf(s->c->arena, "%s\x1f%s", s->cf->project, p);
	for (char *k = key ? strchr(key, '\x1f') : NULL; k && *k; k++)
		*k = (char)tolower((unsigned char)*k);
	tm_node *to = key ? tm_hmap_get(&s->c->names, key, strlen(key)) : NULL;
	tm_edge *e = to && to != s->n ? tm_mb_edge(s->ctx->mb, s->n, to, TM_EDGE_CALLS, tm_ingest__loc(s->cf->f, at)) : NULL;
	if (!e)
		return;
	tm_mb_edge_list_add(s->ctx->mb, e, "env", var);
	tm_mb_edge_list_add(s->ctx->mb, e, "address", value);
	if (port)
		tm_mb_edge_list_add(s->ctx->mb, e, "ports", port);
}

static void env_calls(struct svc *s, const char *key, const char *value, const tm_value *at)
{
	for (const char *p = value; p && *p;) {
		p += strspn(p, ",; ");
		size_t n = strcspn(p, ",; ");
		if (n)
			call_token(s, key, p, n, value, at);
		p += n;
	}
}

/* Each service of every file, in file order: fn(s) with s->n the service's node. */
static void each_service(tm_ingest_ctx *ctx, struct compose *c, void (*fn)(struct svc *s))
{
	for (size_t i = 0; i < c->n; i++) {
		const struct cfile *cf = &c->files[i];
		const tm_value *services = tm_map_get(cf->root, "services");
		for (size_t k = 0; k < tm_value_len(services); k++) {
			const tm_value *key = tm_map_key(services, k);
			struct svc s = {ctx, c, cf, tm_scalar_str(key, NULL), tm_map_value(services, k), NULL,
					tm_ingest__loc(cf->f, key)};
			char *id = s.name ? tm_arena_printf(c->arena, "service:compose:%s/%s", cf->project, s.name) : NULL;
			s.n = id ? tm_mb_find(ctx->mb, id) : NULL;
			if (s.n)
				fn(&s);
		}
	}
}

static void calls(struct svc *s)
{
	each_env(s, env_calls);
}

static void compose_finish(tm_ingest_ctx *ctx, void *state)
{
	struct compose *c = state;
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		const tm_value *services = tm_map_get(c->files[i].root, "services");
		for (size_t k = 0; k < tm_value_len(services); k++) {
			const tm_value *v = tm_map_value(services, k);
			if (tm_value_kind_of(v) == TM_VALUE_MAP || tm_scalar_type_of(v) == TM_SCALAR_NULL)
				add_service(ctx, c, &c->files[i], tm_map_key(services, k), v);
			else
				tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(c->files[i].f, v),
					    "compose service '%s' is not a mapping; not modelled",
					    tm_scalar_str(tm_map_key(services, k), NULL) ? tm_scalar_str(tm_map_key(services, k), NULL) : "?");
		}
	}
	each_service(ctx, c, calls);
}

const tm_ingester tm_ingest__compose = {compose_begin, compose_doc, compose_finish, compose_end};
