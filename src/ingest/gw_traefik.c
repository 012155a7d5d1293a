/*
 * gw_traefik.c - Traefik's file provider: the dynamic configuration files (http and tcp routers,
 * services, middlewares) and Traefik's static configuration (traefik.yml).
 *
 * Dynamic configuration ("traefik")
 *   http.routers.<name>: rule (Host, PathPrefix, Path, PathRegexp: traefik.c), entryPoints,
 *     middlewares, service, tls           -> one route per path of the rule, per server of the service
 *   tcp.routers.<name>: rule (HostSNI)     -> a connection-level route (TM_GW_TCP) per server
 *   <proto>.services.<name>: loadBalancer.servers[].url (http) or .address (tcp); weighted.services,
 *     mirroring.service and mirrors, failover.service and fallback: each child service's servers
 *   <proto>.middlewares.<name>.<type>: basicAuth, digestAuth, forwardAuth, ipAllowList/ipWhiteList,
 *     rateLimit, chain (followed)         -> the route's checks
 *   udp routers are not modelled (a note says so).
 * Traefik's file provider merges every file of its directory into one configuration: a router
 * names middlewares and services another file defines. So a file is read into plain structures
 * when its document is met (the file itself is gone when the gateways finish), and its routes
 * are made in tm_ingest__traefik_finish, looking names up among the dynamic files of the file's
 * directory (the first definition in scan order, as an index built once). A walk through chains
 * and child services meets each middleware and service once per router, so a cycle ends. A name
 * with another provider's suffix (auth@docker) or none found makes the check unknown, with a note. TLS: a router's `tls`, or each of its entry points terminating
 * TLS (or redirecting to one that does) in the static configuration nearest above the file.
 *
 * Static configuration ("traefik-static")
 *   entryPoints.<name>: address, http.tls, http.redirections.entryPoint.to -> `entrypoints` facts
 *   api.insecure: true        -> the API and dashboard on entry point `traefik` (default :8080),
 *                                without authentication: an `admin_listen` fact (TM-MESH-008)
 *   providers.docker, .exposedByDefault, providers.file -> `providers` facts; compose_traefik.c reads
 *                                exposedByDefault of the file a Traefik service mounts
 * It is a gateway of no routes: the Traefik instance, hosted by who mounts the file.
 * Keys are matched ignoring case, as Traefik does.
 */
#include <strings.h>

#include "traefik.h"

enum { HTTP, TCP, UDP, NPROTO };
static const char *const proto_name[NPROTO] = {"http", "tcp", "udp"};

struct mw {
	const char *name;
	tm_traefik_mw kind;
	tm_gw_checks c;
	const char **chain; /* a chain's middlewares */
	size_t nchain;
};

struct sv {
	const char *name;
	const char **servers;  /* url or address */
	const char **children; /* weighted, mirroring, failover */
	size_t nservers, nchildren;
};

struct rt {
	const char *name, *rule, *service;
	const char **mws, **eps;
	size_t nmws, neps;
	bool tls;
	tm_loc loc;
};

struct part {
	struct rt *rts;
	struct mw *mws;
	struct sv *svs;
	size_t nrts, nmws, nsvs;
};

struct dyn {
	tm_gw_config *g; /* made when the routes are: a file of middlewares or services alone is none */
	const char *path, *dir;
	uint64_t digest;
	tm_loc loc;
	struct part p[NPROTO];
	struct dyn *next;
};

struct ep {
	const char *name, *address, *redirect;
	bool tls;
};

struct st {
	const char *dir;
	struct ep *eps;
	size_t neps;
	tm_traefik_static_info info;
	struct st *next;
};

struct tm_traefik_set {
	struct dyn *dyns, **dyn_tail;
	struct st *sts, **st_tail;
};

struct rd {
	tm_ingest_ctx *ctx;
	tm_arena *a;
	const tm_file *f;
	const char *path; /* a copy that outlives the file */
};

/* ---- reading ----------------------------------------------------------------------------------- */

static const tm_value *get(const tm_value *m, const char *key)
{
	if (tm_value_kind_of(m) != TM_VALUE_MAP)
		return NULL;
	for (size_t i = 0; i < tm_value_len(m); i++) {
		const char *k = tm_scalar_str(tm_map_key(m, i), NULL);
		if (k && strcasecmp(k, key) == 0)
			return tm_map_value(m, i);
	}
	return NULL;
}

static const char *str(const tm_value *v)
{
	return tm_value_kind_of(v) == TM_VALUE_SCALAR && tm_scalar_type_of(v) != TM_SCALAR_NULL ? tm_scalar_str(v, NULL)
												  : NULL;
}

static tm_loc loc_of(const struct rd *rd, const tm_value *v)
{
	tm_loc l = tm_ingest__loc(rd->f, v);
	l.path = rd->path;
	return l;
}

static const char *dir_of(tm_arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	return tm_arena_strndup(a, path, slash ? (size_t)(slash - path) : 0);
}

/* Names as a list, or one comma-separated string ("auth,limit"); *n of them. */
static const char **names(const struct rd *rd, const tm_value *v, size_t *n)
{
	*n = 0;
	size_t cap = tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_value_len(v) : 1;
	const char *one = str(v);
	if (one)
		for (const char *p = one; *p; p++)
			cap += *p == ',';
	const char **out = tm_arena_alloc(rd->a, (cap + 1) * sizeof(*out));
	if (!out)
		return NULL;
	for (size_t i = 0; tm_value_kind_of(v) == TM_VALUE_SEQ && i < tm_value_len(v); i++) {
		const char *s = str(tm_seq_at(v, i));
		if (s && *s)
			out[(*n)++] = s;
	}
	for (const char *p = one; p && *p;) {
		p += strspn(p, ", ");
		size_t k = strcspn(p, ",");
		while (k && p[k - 1] == ' ')
			k--;
		if (k && *n < cap)
			out[(*n)++] = tm_arena_strndup(rd->a, p, k);
		p += k;
		p += strcspn(p, ",");
	}
	return out;
}

static bool on(const tm_value *v)
{
	bool b = true;
	if (!v)
		return false;
	return tm_value_kind_of(v) != TM_VALUE_SCALAR || tm_scalar_bool(v, &b) || b;
}

static void warn(const struct rd *rd, const tm_value *at, const char *fmt, const char *a, const char *b)
{
	tm_diag_add(rd->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, loc_of(rd, at), fmt, a, b);
}

static void router(const struct rd *rd, int proto, const char *name, const tm_value *v, struct rt *out, bool *ok)
{
	*ok = false;
	if (tm_value_kind_of(v) != TM_VALUE_MAP) {
		warn(rd, v, "%s router %s is not a mapping", proto_name[proto], name);
		return;
	}
	const tm_value *rule = get(v, "rule"), *svc = get(v, "service"), *tls = get(v, "tls");
	if (proto != UDP && !str(rule)) {
		warn(rd, rule ? rule : v, "%s router %s has no rule: Traefik does not load it", proto_name[proto], name);
		return;
	}
	if (!str(svc)) {
		warn(rd, svc ? svc : v, "%s router %s names no service: Traefik does not load it", proto_name[proto], name);
		return;
	}
	*out = (struct rt){name, str(rule), str(svc), NULL, NULL, 0, 0, false, loc_of(rd, rule ? rule : v)};
	out->mws = names(rd, get(v, "middlewares"), &out->nmws);
	out->eps = names(rd, get(v, "entryPoints"), &out->neps);
	/* `tls: {}` or a certResolver turns TLS on; `tls: false` is written to say it is off */
	out->tls = tls && (tm_value_kind_of(tls) != TM_VALUE_SCALAR || tm_scalar_type_of(tls) == TM_SCALAR_NULL || on(tls));
	*ok = out->mws && out->eps;
}

static void middleware(const struct rd *rd, const char *name, const tm_value *v, struct mw *out, bool *ok)
{
	*ok = false;
	if (tm_value_kind_of(v) != TM_VALUE_MAP || tm_value_len(v) != 1) {
		warn(rd, v, "middleware %s is not a mapping of one type%s", name, "");
		return;
	}
	const char *type = tm_scalar_str(tm_map_key(v, 0), NULL);
	if (!type)
		return;
	tm_loc l = loc_of(rd, tm_map_key(v, 0));
	const char *where = tm_arena_printf(rd->a, "%s:%u", l.path ? l.path : "?", l.line);
	*out = (struct mw){name, TM_TRAEFIK_MW_OTHER, TM_GW_CHECKS_NONE, NULL, 0};
	out->kind = tm_traefik__middleware(rd->a, type, strlen(type), tm_traefik__ranges(rd->a, tm_map_value(v, 0)), name,
					   where, &out->c);
	if (out->kind == TM_TRAEFIK_MW_CHAIN)
		out->chain = names(rd, get(tm_map_value(v, 0), "middlewares"), &out->nchain);
	else if (strcasecmp(type, "forwardAuth") == 0) /* the service it asks */
		out->c.authz_upstream = str(get(tm_map_value(v, 0), "address"));
	*ok = true;
}

/* A child service's name, from {name: x} or x. */
static const char *child(const tm_value *v)
{
	return str(v) ? str(v) : str(get(v, "name"));
}

static void service(const struct rd *rd, int proto, const char *name, const tm_value *v, struct sv *out, bool *ok)
{
	*ok = false;
	if (tm_value_kind_of(v) != TM_VALUE_MAP) {
		warn(rd, v, "%s service %s is not a mapping", proto_name[proto], name);
		return;
	}
	const tm_value *servers = get(get(v, "loadBalancer"), "servers");
	const tm_value *weighted = get(get(v, "weighted"), "services"), *mirroring = get(v, "mirroring"),
		       *failover = get(v, "failover");
	const tm_value *mirrors = get(mirroring, "mirrors");
	size_t cap = tm_value_len(weighted) + tm_value_len(mirrors) + 4;
	*out = (struct sv){name, tm_arena_alloc(rd->a, (tm_value_len(servers) + 1) * sizeof(char *)),
			   tm_arena_alloc(rd->a, cap * sizeof(char *)), 0, 0};
	if (!out->servers || !out->children)
		return;
	const char *key = proto == HTTP ? "url" : "address";
	for (size_t i = 0; i < tm_value_len(servers); i++) {
		const tm_value *s = tm_seq_at(servers, i);
		const char *to = str(get(s, key));
		if (to)
			out->servers[out->nservers++] = to;
		else
			warn(rd, s, "a server of service %s has no %s", name, key);
	}
	for (size_t i = 0; i < tm_value_len(weighted); i++)
		if (child(tm_seq_at(weighted, i)))
			out->children[out->nchildren++] = child(tm_seq_at(weighted, i));
	for (size_t i = 0; i < tm_value_len(mirrors); i++)
		if (child(tm_seq_at(mirrors, i)))
			out->children[out->nchildren++] = child(tm_seq_at(mirrors, i));
	const char *more[] = {str(get(mirroring, "service")), str(get(failover, "service")), str(get(failover, "fallback"))};
	for (size_t i = 0; i < TM_ARRAY_LEN(more); i++)
		if (more[i])
			out->children[out->nchildren++] = more[i];
	if (!servers && !out->nchildren)
		warn(rd, v, "%s service %s has no loadBalancer servers nor child services", proto_name[proto], name);
	*ok = true;
}

/* The routers, middlewares and services of one protocol's section. */
static void part(const struct rd *rd, int proto, const tm_value *sec, struct part *p)
{
	const tm_value *rts = get(sec, "routers"), *mws = get(sec, "middlewares"), *svs = get(sec, "services");
	p->rts = tm_arena_alloc(rd->a, (tm_value_len(rts) + 1) * sizeof(*p->rts));
	p->mws = tm_arena_alloc(rd->a, (tm_value_len(mws) + 1) * sizeof(*p->mws));
	p->svs = tm_arena_alloc(rd->a, (tm_value_len(svs) + 1) * sizeof(*p->svs));
	if (!p->rts || !p->mws || !p->svs)
		return;
	static const char *const what[] = {"routers", "middlewares", "services"};
	const tm_value *maps[] = {rts, mws, svs};
	for (size_t m = 0; m < 3; m++)
		if (maps[m] && tm_value_kind_of(maps[m]) != TM_VALUE_MAP &&
		    !(tm_value_kind_of(maps[m]) == TM_VALUE_SCALAR && tm_scalar_type_of(maps[m]) == TM_SCALAR_NULL))
			warn(rd, maps[m], "%s.%s is not a mapping", proto_name[proto], what[m]);
	for (size_t i = 0; tm_value_kind_of(rts) == TM_VALUE_MAP && i < tm_value_len(rts); i++) {
		const char *n = tm_scalar_str(tm_map_key(rts, i), NULL);
		bool ok = false;
		if (n)
			router(rd, proto, n, tm_map_value(rts, i), &p->rts[p->nrts], &ok);
		p->nrts += ok;
	}
	for (size_t i = 0; tm_value_kind_of(mws) == TM_VALUE_MAP && i < tm_value_len(mws); i++) {
		const char *n = tm_scalar_str(tm_map_key(mws, i), NULL);
		bool ok = false;
		if (n)
			middleware(rd, n, tm_map_value(mws, i), &p->mws[p->nmws], &ok);
		p->nmws += ok;
	}
	for (size_t i = 0; tm_value_kind_of(svs) == TM_VALUE_MAP && i < tm_value_len(svs); i++) {
		const char *n = tm_scalar_str(tm_map_key(svs, i), NULL);
		bool ok = false;
		if (n)
			service(rd, proto, n, tm_map_value(svs, i), &p->svs[p->nsvs], &ok);
		p->nsvs += ok;
	}
}

static tm_traefik_set *set_of(tm_ingest_ctx *ctx)
{
	tm_traefik_set **slot = tm_gw__traefik(ctx);
	if (!slot)
		return NULL;
	if (!*slot && (*slot = tm_arena_alloc(ctx->scratch, sizeof(**slot))) != NULL) {
		(*slot)->dyn_tail = &(*slot)->dyns;
		(*slot)->st_tail = &(*slot)->sts;
	}
	return *slot;
}

static bool dynamic(const struct rd *rd, tm_traefik_set *set, const tm_value *root)
{
	struct dyn *d = tm_arena_alloc(rd->a, sizeof(*d));
	if (!d)
		return false;
	d->loc = loc_of(rd, root);
	d->path = rd->path;
	d->digest = tm_file_digest(rd->f);
	if (!(d->dir = dir_of(rd->a, rd->path)))
		return false;
	for (int p = 0; p < NPROTO; p++)
		part(rd, p, get(root, proto_name[p]), &d->p[p]);
	if (d->p[UDP].nrts)
		tm_diag_add(rd->ctx->diags, 0, TM_LEVEL_NOTE, loc_of(rd, get(root, "udp")),
			    "Traefik udp routers are not modelled (%zu)", d->p[UDP].nrts);
	*set->dyn_tail = d;
	set->dyn_tail = &d->next;
	return true;
}

/* ---- static configuration ---------------------------------------------------------------------- */

static void entrypoints(const struct rd *rd, tm_gw_config *g, const tm_value *eps, struct st *st)
{
	st->eps = tm_arena_alloc(rd->a, (tm_value_len(eps) + 1) * sizeof(*st->eps));
	for (size_t i = 0; st->eps && tm_value_kind_of(eps) == TM_VALUE_MAP && i < tm_value_len(eps); i++) {
		const tm_value *ev = tm_map_value(eps, i);
		const char *name = tm_scalar_str(tm_map_key(eps, i), NULL);
		if (!name)
			continue;
		if (tm_value_kind_of(ev) != TM_VALUE_MAP) {
			warn(rd, ev, "entry point %s is not a mapping%s", name, "");
			continue;
		}
		const tm_value *http = get(ev, "http");
		struct ep *e = &st->eps[st->neps++];
		e->name = name;
		e->address = str(get(ev, "address"));
		e->tls = on(get(http, "tls"));
		e->redirect = str(get(get(get(http, "redirections"), "entryPoint"), "to"));
		if (!e->address)
			warn(rd, ev, "entry point %s has no address%s", name, "");
		tm_gw_config_set_tls(g, e->tls);
		const char *fact = tm_arena_printf(rd->a, "%s %s%s%s%s", name, e->address ? e->address : "?",
						   e->tls ? " tls" : "", e->redirect ? " redirects to " : "",
						   e->redirect ? e->redirect : "");
		tm_gw_config_fact(rd->ctx, g, "entrypoints", fact, loc_of(rd, tm_map_key(eps, i)));
	}
}

/* api.insecure: the API and dashboard served on entry point `traefik` (":8080" unless it is
 * defined), with no router, so no middleware, in front. */
static void api(const struct rd *rd, tm_gw_config *g, const tm_value *api, const struct st *st)
{
	const tm_value *insecure = get(api, "insecure");
	bool yes = false;
	if (!insecure)
		return;
	if (tm_scalar_bool(insecure, &yes)) {
		warn(rd, insecure, "api.insecure is not a boolean%s%s", "", "");
		return;
	}
	if (!yes)
		return;
	const char *listen = ":8080";
	for (size_t i = 0; i < st->neps; i++)
		if (strcasecmp(st->eps[i].name, "traefik") == 0 && st->eps[i].address)
			listen = st->eps[i].address;
	/* "host:port/udp": the port part only */
	tm_gw_config_fact(rd->ctx, g, "admin_listen", tm_arena_strndup(rd->a, listen, strcspn(listen, "/")),
			  loc_of(rd, insecure));
}

static void providers(const struct rd *rd, tm_gw_config *g, const tm_value *pv, struct st *st)
{
	const tm_value *docker = get(pv, "docker"), *file = get(pv, "file"), *swarm = get(pv, "swarm");
	st->info.exposed_by_default = true;
	if (swarm) /* Traefik 3's Swarm provider: the Docker provider's settings, for services */
		docker = swarm;
	if (docker) {
		const tm_value *ebd = get(docker, "exposedByDefault"), *sm = get(docker, "swarmMode");
		bool b = true, mode = swarm != NULL;
		if (ebd && tm_scalar_bool(ebd, &b))
			warn(rd, ebd, "providers.%s.exposedByDefault is not a boolean%s", swarm ? "swarm" : "docker", "");
		if (!swarm && sm && tm_scalar_bool(sm, &mode))
			warn(rd, sm, "providers.docker.swarmMode is not a boolean%s%s", "", "");
		st->info.docker = true;
		st->info.swarm = mode;
		st->info.exposed_by_default = b;
		st->info.constraints = str(get(docker, "constraints"));
		st->info.loc = loc_of(rd, ebd ? ebd : docker);
		tm_gw_config_fact(rd->ctx, g, "providers",
				  tm_arena_printf(rd->a, "%s%s", mode ? "swarm" : "docker", b ? "" : " exposedByDefault=false"),
				  st->info.loc);
	}
	const char *fname = str(get(file, "filename")), *fdir = str(get(file, "directory"));
	if (fname || fdir)
		tm_gw_config_fact(rd->ctx, g, "providers",
				  tm_arena_printf(rd->a, "file %s", fname ? fname : fdir), loc_of(rd, file));
}

static bool static_config(const struct rd *rd, tm_traefik_set *set, const tm_value *root)
{
	struct st *st = tm_arena_alloc(rd->a, sizeof(*st));
	tm_gw_config *g = st ? tm_gw_config_new(rd->ctx, "traefik", rd->path, loc_of(rd, root), tm_file_digest(rd->f)) : NULL;
	if (!g || !(st->dir = dir_of(rd->a, rd->path)))
		return false;
	st->info.path = rd->path;
	entrypoints(rd, g, get(root, "entryPoints"), st);
	api(rd, g, get(root, "api"), st);
	providers(rd, g, get(root, "providers"), st);
	if (get(root, "http") || get(root, "tcp"))
		tm_diag_add(rd->ctx->diags, 0, TM_LEVEL_NOTE, loc_of(rd, get(root, "http") ? get(root, "http") : get(root, "tcp")),
			    "routers in Traefik's static configuration are not loaded by Traefik: dynamic configuration "
			    "belongs in a file of the file provider");
	*set->st_tail = st;
	set->st_tail = &st->next;
	return true;
}

bool tm_ingest__traefik_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, const char *detail)
{
	tm_traefik_set *set = set_of(ctx);
	struct rd rd = {ctx, ctx->scratch, f, tm_arena_strdup(ctx->scratch, tm_file_path(f))};
	if (!set || !rd.path)
		return false;
	return strcmp(detail, "traefik-static") == 0 ? static_config(&rd, set, root) : dynamic(&rd, set, root);
}

/* ---- the routes, when every file is read -------------------------------------------------------- */

/* "name@provider": the provider (NULL: none) and the bare name, in a. */
static const char *provider(tm_arena *a, const char *ref, const char **bare)
{
	const char *at = strchr(ref, '@');
	*bare = at ? tm_arena_strndup(a, ref, (size_t)(at - ref)) : ref;
	return at ? at + 1 : NULL;
}

/* What the routers look names up in, built once: middlewares and services by directory (the file
 * provider's: its files are one configuration), protocol and name, the first definition in scan
 * order; static configurations by directory. */
struct index {
	tm_hmap mws, svs, sts;
	tm_pset seen; /* the middlewares and services one router's walk has met: a cycle ends there */
	int oom;
};

static size_t key(char *buf, size_t len, const char *dir, int proto, const char *name)
{
	int n = tm_formatf(buf, len, "%s\x1f%d\x1f%s", dir, proto, name);
	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

static void put(tm_arena *a, struct index *ix, tm_hmap *m, const char *dir, int proto, const char *name, void *v)
{
	char buf[1024];
	size_t kl = key(buf, sizeof(buf), dir, proto, name);
	if (!kl || tm_hmap_get(m, buf, kl))
		return;
	char *kept = tm_arena_strndup(a, buf, kl);
	if (!kept || tm_hmap_put(m, kept, kl, v))
		ix->oom = 1;
}

static void *find(const tm_hmap *m, const struct dyn *d, int proto, const char *name)
{
	char buf[1024];
	size_t kl = key(buf, sizeof(buf), d->dir, proto, name);
	return kl ? tm_hmap_get(m, buf, kl) : NULL;
}

static void index_build(tm_ingest_ctx *ctx, const tm_traefik_set *set, struct index *ix)
{
	for (const struct dyn *d = set->dyns; d; d = d->next)
		for (int p = 0; p < NPROTO; p++) {
			for (size_t i = 0; i < d->p[p].nmws; i++)
				put(ctx->scratch, ix, &ix->mws, d->dir, p, d->p[p].mws[i].name, &d->p[p].mws[i]);
			for (size_t i = 0; i < d->p[p].nsvs; i++)
				put(ctx->scratch, ix, &ix->svs, d->dir, p, d->p[p].svs[i].name, &d->p[p].svs[i]);
		}
	for (const struct st *st = set->sts; st; st = st->next)
		if (!tm_hmap_get(&ix->sts, st->dir, strlen(st->dir)) && tm_hmap_put(&ix->sts, st->dir, strlen(st->dir), (void *)st))
			ix->oom = 1;
}

/* Has the router's walk met p before? (Out of memory counts as met: the walk stops.) */
static bool met(struct index *ix, const void *p)
{
	int first = tm_pset_add(&ix->seen, p);
	if (first < 0)
		ix->oom = 1;
	return first <= 0;
}

static void checks(tm_ingest_ctx *ctx, struct index *ix, const struct dyn *d, int proto, const struct rt *r,
		   const char *const *refs, size_t n, tm_gw_checks *c)
{
	for (size_t i = 0; i < n; i++) {
		const char *bare, *prov = provider(ctx->scratch, refs[i], &bare);
		const struct mw *m = bare && (!prov || strcasecmp(prov, "file") == 0) ? find(&ix->mws, d, proto, bare) : NULL;
		if (m && met(ix, m))
			continue;
		if (m && m->kind == TM_TRAEFIK_MW_CHAIN) {
			checks(ctx, ix, d, proto, r, m->chain, m->nchain, c);
			continue;
		}
		if (m) {
			if (m->c.authn_how) {
				c->authn = m->c.authn;
				c->authn_how = m->c.authn_how;
				c->authz_upstream = m->c.authz_upstream;
			}
			c->rate_how = m->c.rate_how ? m->c.rate_how : c->rate_how;
			if (m->c.restrict_how) {
				c->restrict_how = m->c.restrict_how;
				c->private_only = m->c.private_only;
			}
			continue;
		}
		const char *why = prov && strcasecmp(prov, "file") != 0
					  ? tm_arena_printf(ctx->scratch, "of the %s provider", prov)
					  : "not defined in the files read";
		if (c->authn == TM_AUTHN_NONE) { /* it may check the caller: not known */
			c->authn = TM_AUTHN_UNKNOWN;
			c->authn_how = tm_arena_printf(ctx->scratch, "traefik middleware %s, %s", refs[i], why);
		}
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, r->loc,
			    "Traefik middleware %s of router %s is %s: what it checks is not known", refs[i], r->name, why);
	}
}

/* Does entry point name serve nothing in plaintext: it terminates TLS, or redirects every request
 * (to HTTPS)? False when st does not define it. */
static bool ep_tls(const struct st *st, const char *name)
{
	for (size_t i = 0; st && i < st->neps; i++)
		if (strcmp(st->eps[i].name, name) == 0)
			return st->eps[i].tls || st->eps[i].redirect;
	return false;
}

/* Is router r TLS to its clients: its own `tls`, or each entry point it is on (none named: every
 * entry point of st) serving nothing in plaintext? */
static bool router_tls(const struct st *st, const struct rt *r)
{
	if (r->tls)
		return true;
	size_t n = r->neps ? r->neps : st ? st->neps : 0;
	for (size_t i = 0; i < n; i++)
		if (!ep_tls(st, r->neps ? r->eps[i] : st->eps[i].name))
			return false;
	return n > 0;
}

/* The static configuration of d's Traefik: the one in d's directory, else the nearest above. */
static const struct st *static_for(const struct index *ix, const struct dyn *d)
{
	for (size_t n = strlen(d->dir) + 1; n-- > 0;) {
		if (n != strlen(d->dir) && d->dir[n] != '/' && n)
			continue;
		const struct st *st = tm_hmap_get(&ix->sts, d->dir, n);
		if (st)
			return st;
	}
	return NULL;
}

/* The routes of router r of d to the servers of service name (a child service's, followed). */
static void to_service(tm_ingest_ctx *ctx, struct index *ix, const struct dyn *d, int proto, const struct rt *r,
		       const char *name, const tm_gw_checks *c, const char *plain)
{
	const char *bare, *prov = provider(ctx->scratch, name, &bare);
	if (!bare)
		return;
	if (prov && strcasecmp(prov, "internal") == 0) {
		/* api@internal is the API and dashboard, served through this router */
		if (strcasecmp(bare, "api") == 0)
			tm_gw_config_fact(ctx, d->g, "dashboard_routes",
					  tm_arena_printf(ctx->scratch, "router %s%s", r->name,
							  c->authn == TM_AUTHN_NONE ? ", no authentication" : ""),
					  r->loc);
		return;
	}
	const struct sv *s = !prov || strcasecmp(prov, "file") == 0 ? find(&ix->svs, d, proto, bare) : NULL;
	if (!s) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, r->loc, "Traefik service %s of router %s is %s", name, r->name,
			    prov && strcasecmp(prov, "file") != 0 ? "another provider's: where it forwards is not known"
								   : "not defined in the files read");
		return;
	}
	if (met(ix, s))
		return;
	for (size_t i = 0; i < s->nservers; i++)
		tm_traefik__routes(ctx, d->g, r->rule ? r->rule : "", proto == TCP, s->servers[i], c, r->loc, plain);
	for (size_t i = 0; i < s->nchildren; i++)
		to_service(ctx, ix, d, proto, r, s->children[i], c, plain);
}

/* How a router without TLS takes requests in: "entrypoint web :80", or "every entrypoint". */
static const char *plaintext_at(tm_arena *a, const struct st *st, const struct rt *r)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	size_t n = r->neps ? r->neps : st ? st->neps : 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = r->neps ? r->eps[i] : st->eps[i].name;
		if (ep_tls(st, name))
			continue;
		const char *addr = NULL;
		for (size_t k = 0; st && k < st->neps; k++)
			if (strcmp(st->eps[k].name, name) == 0)
				addr = st->eps[k].address;
		tm_strbuf_printf(&sb, "%sentrypoint %s%s%s", sb.len ? ", " : "", name, addr ? " " : "", addr ? addr : "");
	}
	const char *out = tm_arena_strdup(a, sb.len && !sb.oom ? sb.data : "every entrypoint");
	tm_strbuf_dispose(&sb);
	return out;
}

static void routes_of(tm_ingest_ctx *ctx, struct index *ix, struct dyn *d)
{
	const struct st *st = static_for(ix, d);
	/* TLS first: a router's plaintext listener is said only on a gateway that has TLS */
	bool any_tls = false;
	for (int p = HTTP; p <= TCP; p++)
		for (size_t i = 0; i < d->p[p].nrts; i++)
			any_tls = any_tls || router_tls(st, &d->p[p].rts[i]);
	tm_gw_config_set_tls(d->g, any_tls);
	for (int p = HTTP; p <= TCP; p++)
		for (size_t i = 0; i < d->p[p].nrts; i++) {
			const struct rt *r = &d->p[p].rts[i];
			tm_gw_checks c = TM_GW_CHECKS_NONE;
			tm_pset_dispose(&ix->seen);
			ix->seen = (tm_pset)TM_PSET_INIT;
			checks(ctx, ix, d, p, r, r->mws, r->nmws, &c);
			const char *plain = any_tls && !router_tls(st, r) ? plaintext_at(ctx->scratch, st, r) : NULL;
			to_service(ctx, ix, d, p, r, r->service, &c, plain);
		}
}

void tm_ingest__traefik_finish(tm_ingest_ctx *ctx)
{
	tm_traefik_set **slot = tm_gw__traefik(ctx), *set = slot ? *slot : NULL;
	if (!set)
		return;
	struct index ix = {TM_HMAP_INIT, TM_HMAP_INIT, TM_HMAP_INIT, TM_PSET_INIT, 0};
	index_build(ctx, set, &ix);
	for (struct dyn *d = set->dyns; d && !ix.oom; d = d->next) {
		if (!d->p[HTTP].nrts && !d->p[TCP].nrts)
			continue;
		if ((d->g = tm_gw_config_new(ctx, "traefik", d->path, d->loc, d->digest)) == NULL)
			break;
		routes_of(ctx, &ix, d);
	}
	if (ix.oom)
		tm_arena_set_failed(ctx->scratch);
	tm_hmap_dispose(&ix.mws);
	tm_hmap_dispose(&ix.svs);
	tm_hmap_dispose(&ix.sts);
	tm_pset_dispose(&ix.seen);
}

bool tm_traefik__static_mounted(tm_ingest_ctx *ctx, const char *compose_file, const char *mount,
				tm_traefik_static_info *out)
{
	tm_traefik_set **slot = tm_gw__traefik(ctx), *set = slot ? *slot : NULL;
	char dir[1024], full[1024];
	if (!set || !set->sts || strchr(mount, '$'))
		return false;
	tm_formatf(dir, sizeof(dir), "%s", compose_file);
	char *slash = strrchr(dir, '/');
	*(slash ? slash : dir) = '\0';
	const char *p = tm_ingest__path_join(dir, mount, full, sizeof(full));
	size_t pl = p ? strlen(p) : 0;
	for (const struct st *st = set->sts; p && st; st = st->next) {
		const char *sp = st->info.path;
		/* the file itself, or a file of the directory mounted (Traefik looks for traefik.yml there) */
		if (strcmp(sp, p) == 0 || (strncmp(sp, p, pl) == 0 && sp[pl] == '/' && !strchr(sp + pl + 1, '/'))) {
			*out = st->info;
			return true;
		}
	}
	return false;
}
