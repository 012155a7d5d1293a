/*
 * gateway.c - reverse proxies and API gateways as entry points, routers and enforcement points.
 *
 * The readers (gw_nginx.c, gw_envoy.c, gw_kong.c, gw_traefik.c) fill one tm_gw_config per
 * configuration: its routes (path match, upstream host, what is checked on the way). When the
 * platform ingesters have finished, finish() here
 *   - has gw_traefik.c make the routes of Traefik's dynamic files (their routers name what other
 *     files of the directory define, so they wait until every file is read);
 *   - folds a configuration read twice (a file, and the ConfigMap generated from it or holding the
 *     same text) into one, keeping the file's lines as evidence;
 *   - finds who runs it: the workloads the ConfigMap readers named, else the compose services that
 *     bind-mount the file or a directory above it; with none it stands alone, and the node says
 *     it was assumed internet-facing (where it runs is not in the inputs);
 *   - makes the gateway node "gateway:<type>:<config path>", routed to by its host workloads (or
 *     by the internet), and one routes edge per backend, carrying the paths (a connection-level
 *     route, TM_GW_TCP, has none: the edge says `protocols: tcp`) and virtual hosts, the
 *     authentication, rate limit, allow-list and deny rule the gateway applies on the way, and
 *     the plaintext listeners reaching it when the gateway's `tls` is not true of every route;
 *   - resolves upstream names as the gateway's own workload would: a Kubernetes Service in its
 *     namespace (or "svc.ns"), a compose service, network alias or container name of its project,
 *     and "${VAR}" through the host's environment (the env var whose value named a workload).
 * Routes are kept for the API linkers: a spec served behind the gateway links, operation by
 * operation, to the workload each path is routed to (tm_gw_route_for).
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "compose.h"
#include "ingest.h"
#include "model/policy.h"
#include "parse/nginx.h"

/* A configuration held in a ConfigMap value answers to the limit a file of it would. */
#define TM_GW_TEXT_MAX (1u << 20)
/* Namespaces one configuration's routes are resolved in (the compose projects or Kubernetes
 * namespaces of the workloads running it); more hosts resolve in the first ones. */
#define SCOPES_MAX 8

struct tm_gw_config {
	const char *type, *path;
	tm_loc loc;
	uint64_t digest;
	bool tls;
	bool embedded;
	bool offered; /* read by a system its plan unit is not in (tm_plan_offered): kept only if hosted */
	bool dropped; /* offered and hosted by no workload: no gateway of this system */
	bool env_noted; /* a "${NAME}" upstream its hosts' environment does not give: said once */
	bool loopback_noted; /* an upstream on the gateway's own loopback (a sidecar): said once */
	tm_gw_route **routes;
	size_t nroutes, cap_routes;
	tm_node **hosts;
	size_t nhosts, cap_hosts;
	tm_fact_loc *facts;
	size_t nfacts, cap_facts;
	tm_fact_loc *deps; /* services it calls itself (an external authorizer): key what, value upstream */
	size_t ndeps, cap_deps;
	tm_gw_config *into; /* folded into this one (same content) */
	const char *hosted_how; /* how its host workloads were found */
	const char *scope;      /* namespace its upstream names resolve in */
	const tm_node *stranger; /* the route being drawn: what its name found in a compose project out of
				  * its reach (another variant of its directory, no network shared) */
	bool stranger_noted;     /* said once */
	tm_node *node;
};

struct tm_gw_set {
	tm_arena *a; /* the scan's scratch arena */
	tm_gw_config **cfgs;
	size_t n, cap;
	tm_file **files; /* embedded documents parsed here */
	size_t nfiles, cap_files;
	/* after finish: routes with a backend, for the linkers */
	tm_hmap by_prefix;  /* path -> chain of prefix and exact routes */
	tm_gw_route **regex;
	size_t nregex, cap_regex;
	tm_hmap by_backend; /* backend node pointer bytes -> chain of routes */
	tm_hmap by_route;   /* backend pointer bytes + path -> the by_prefix chain's routes to it, in
			       its order: a lookup for one backend skips the other backends' routes */
	tm_traefik_set *traefik; /* Traefik's files as read (gw_traefik.c), in the scratch arena */
	tm_cf_set *cloudflared;  /* the containers running cloudflared (gw_cloudflared.c), in the scratch arena */
	tm_authelia_cfg *authelia; /* Authelia's configurations (authelia.c), in the scratch arena */
	tm_hmap by_discovery; /* an application's discovery name (lower case) -> struct node_chain */
	tm_hmap by_app;       /* type + one hosting workload's pointer bytes -> its tm_gw_config */
	tm_hmap hosted;       /* type + a hosting workload's pointer bytes -> struct hosted (finish) */
	tm_hmap projects;     /* the compose projects of the model, by name (finish only) */
	int oom;
};

/* What one workload runs of one type of configuration: how many, holding how many routes. */
struct hosted {
	size_t n, nroutes;
};

struct route_chain {
	tm_gw_route *r;
	struct route_chain *next;
};

struct node_chain {
	tm_node *n;
	struct node_chain *next;
};

/* A discovery name as a key: lower case (Eureka upper-cases it, lb:// names are matched without
 * case), into buf; its length, 0 when it does not fit. */
static size_t discovery_key(const char *name, char *buf, size_t cap)
{
	size_t n = 0;
	for (; name[n] && n + 1 < cap; n++)
		buf[n] = (char)tolower((unsigned char)name[n]);
	buf[n] = '\0';
	return name[n] ? 0 : n;
}

void tm_gw__discovery_name(tm_ingest_ctx *ctx, const char *name, tm_node *n)
{
	tm_gw_set *s = ctx->gw;
	char key[256];
	size_t kl = s && name && n ? discovery_key(name, key, sizeof(key)) : 0;
	if (!kl)
		return;
	struct node_chain *head = tm_hmap_get(&s->by_discovery, key, kl);
	for (const struct node_chain *c = head; c; c = c->next)
		if (c->n == n)
			return;
	struct node_chain *c = tm_arena_alloc(s->a, sizeof(*c));
	char *k = tm_arena_strndup(s->a, key, kl);
	if (!c || !k || tm_hmap_put(&s->by_discovery, k, kl, c)) {
		s->oom = 1;
		return;
	}
	*c = (struct node_chain){n, head};
}

tm_node *tm_gw__discovery(const tm_ingest_ctx *ctx, const char *name, const char *ns, bool same_ns)
{
	const tm_gw_set *s = ctx->gw;
	char key[256];
	size_t kl = s && name ? discovery_key(name, key, sizeof(key)) : 0;
	const struct node_chain *c = kl ? tm_hmap_get(&s->by_discovery, key, kl) : NULL;
	/* another namespace's only when the name is one workload's in the whole scan */
	tm_node *only = c && !c->next ? c->n : NULL;
	for (; c && ns; c = c->next) {
		const char *cns = tm_node_attr_str(c->n, "namespace");
		if (cns && strcmp(cns, ns) == 0)
			return c->n;
	}
	return same_ns ? NULL : only;
}

static void *gw_begin(tm_ingest_ctx *ctx)
{
	tm_gw_set *s = tm_calloc(1, sizeof(*s));
	if (s)
		s->a = ctx->scratch;
	return s;
}

void tm_gw_set_free(tm_gw_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		tm_free(s->cfgs[i]->routes);
		tm_free(s->cfgs[i]->hosts);
		tm_free(s->cfgs[i]->facts);
		tm_free(s->cfgs[i]->deps);
	}
	tm_free(s->cfgs);
	tm_hmap_dispose(&s->by_app);
	tm_hmap_dispose(&s->hosted);
	for (size_t i = 0; i < s->nfiles; i++)
		tm_file_free(s->files[i]);
	tm_free(s->files);
	tm_free(s->regex);
	tm_hmap_dispose(&s->by_prefix);
	tm_hmap_dispose(&s->by_backend);
	tm_hmap_dispose(&s->by_route);
	tm_hmap_dispose(&s->by_discovery);
	tm_free(s);
}

tm_gw_config *tm_gw_config_new(tm_ingest_ctx *ctx, const char *type, const char *path, tm_loc loc, uint64_t digest)
{
	tm_gw_set *s = ctx->gw;
	if (!s)
		return NULL;
	tm_gw_config *g = tm_arena_alloc(s->a, sizeof(*g));
	if (!g || TM_GROW(s->cfgs, s->cap, s->n + 1)) {
		s->oom = 1;
		return NULL;
	}
	g->type = type;
	g->path = tm_arena_strdup(s->a, path);
	g->loc = loc;
	g->loc.path = tm_arena_strdup(s->a, loc.path);
	g->digest = digest;
	g->offered = ctx->gateway_offered;
	s->cfgs[s->n++] = g;
	return g;
}

/* The key of workload w's configuration of type: the type's bytes, then w's address. */
static size_t app_key(const char *type, const tm_node *w, char *key, size_t cap)
{
	size_t tl = strlen(type);
	if (tl + 1 + sizeof(w) > cap)
		return 0;
	memcpy(key, type, tl);
	key[tl] = '\x1f';
	memcpy(key + tl + 1, &w, sizeof(w));
	return tl + 1 + sizeof(w);
}

tm_gw_config *tm_gw_app_config(tm_ingest_ctx *ctx, const char *type, const tm_node *w, tm_gw_config *g)
{
	char key[96];
	size_t kl = ctx->gw ? app_key(type, w, key, sizeof(key)) : 0;
	if (!kl)
		return NULL;
	tm_gw_config *had = tm_hmap_get(&ctx->gw->by_app, key, kl);
	if (had || !g)
		return had;
	char *kept = tm_arena_alloc(ctx->gw->a, kl);
	if (!kept || (memcpy(kept, key, kl), tm_hmap_put(&ctx->gw->by_app, kept, kl, g)))
		ctx->gw->oom = 1;
	return g;
}

/* Count g at each of its hosts, under its type (tm_gw_hosted). */
static void count_hosted(tm_gw_set *s, const tm_gw_config *g)
{
	for (size_t h = 0; h < g->nhosts; h++) {
		char key[96];
		size_t kl = app_key(g->type, g->hosts[h], key, sizeof(key));
		struct hosted *c = kl ? tm_hmap_get(&s->hosted, key, kl) : NULL;
		if (kl && !c) {
			char *kept = tm_arena_alloc(s->a, kl);
			c = kept ? tm_arena_alloc(s->a, sizeof(*c)) : NULL;
			if (!c || (memcpy(kept, key, kl), *c = (struct hosted){0, 0}, tm_hmap_put(&s->hosted, kept, kl, c))) {
				s->oom = 1;
				continue;
			}
		}
		if (c) {
			c->n++;
			c->nroutes += g->nroutes;
		}
	}
}

size_t tm_gw_hosted(const tm_ingest_ctx *ctx, const char *type, const tm_node *w, size_t *nroutes)
{
	char key[96];
	size_t kl = ctx->gw ? app_key(type, w, key, sizeof(key)) : 0;
	const struct hosted *c = kl ? tm_hmap_get(&ctx->gw->hosted, key, kl) : NULL;
	if (nroutes)
		*nroutes = c ? c->nroutes : 0;
	return c ? c->n : 0;
}

tm_gw_route *tm_gw_route_new(tm_ingest_ctx *ctx, tm_gw_config *g, const char *path, tm_gw_match match,
			     const char *upstream, const char *vhosts, const tm_gw_checks *c, tm_loc loc)
{
	tm_gw_route *r = g && path ? tm_arena_alloc(ctx->gw->a, sizeof(*r)) : NULL;
	if (!r || TM_GROW(g->routes, g->cap_routes, g->nroutes + 1)) {
		if (g && path)
			ctx->gw->oom = 1;
		return NULL;
	}
	r->path = path;
	r->match = match;
	r->upstream = upstream;
	r->vhosts = vhosts;
	r->authn = c ? c->authn : TM_AUTHN_NONE;
	r->authn_how = c ? c->authn_how : NULL;
	r->rate_how = c ? c->rate_how : NULL;
	r->restrict_how = c ? c->restrict_how : NULL;
	r->private_only = c && c->restrict_how && c->private_only;
	r->deny_how = c ? c->deny_how : NULL;
	r->authz_upstream = c ? c->authz_upstream : NULL;
	r->plaintext_at = NULL;
	r->upstream_path = NULL;
	r->loc = loc;
	r->scope = NULL;
	g->routes[g->nroutes++] = r;
	return r;
}

void tm_gw_routes_scope(tm_gw_config *g, size_t n, const char *scope)
{
	for (size_t i = g && n <= g->nroutes ? g->nroutes - n : 0; g && i < g->nroutes; i++)
		g->routes[i]->scope = scope;
}

/* The scalars of seq (or the strings of a NULL-terminated list) joined by spaces, built once:
 * a route with 100,000 hostnames costs their length, not its square. NULL when there are none. */
static const char *join(tm_ingest_ctx *ctx, const tm_value *seq, const char *const *list)
{
	tm_strbuf b = TM_STRBUF_INIT;
	size_t n = seq ? tm_value_len(seq) : 0;
	for (size_t i = 0; seq ? i < n : list && list[i]; i++) {
		const char *v = seq ? tm_scalar_str(tm_seq_at(seq, i), NULL) : list[i];
		if (!v)
			continue;
		if (b.len)
			tm_strbuf_putc(&b, ' ');
		tm_strbuf_puts(&b, v);
	}
	const char *out = b.len && !b.oom ? tm_arena_strdup(ctx->scratch, b.data) : NULL;
	if (b.oom)
		tm_arena_set_failed(ctx->scratch);
	tm_strbuf_dispose(&b);
	return out;
}

const char *tm_gw_vhosts(tm_ingest_ctx *ctx, const tm_value *seq)
{
	return join(ctx, seq, NULL);
}

const char *tm_gw_ranges(tm_arena *a, const tm_value *seq, bool *all_private)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < tm_value_len(seq); i++) {
		const char *r = tm_scalar_str(tm_seq_at(seq, i), NULL);
		if (r && *r)
			tm_strbuf_printf(&sb, "%s%s", sb.len ? " " : "", r);
	}
	const char *out = sb.len && !sb.oom ? tm_arena_strdup(a, sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	if (all_private)
		*all_private = out && tm_policy__private_ranges(out);
	return out;
}

const char *tm_gw_where(tm_ingest_ctx *ctx, const char *what, tm_loc loc)
{
	return tm_arena_printf(ctx->scratch, "%s at %s:%u", what, loc.path ? loc.path : "?", loc.line);
}

void tm_gw_config_host(tm_ingest_ctx *ctx, tm_gw_config *g, tm_node *workload)
{
	if (!g || !workload)
		return;
	for (size_t i = 0; i < g->nhosts; i++)
		if (g->hosts[i] == workload)
			return;
	if (TM_GROW(g->hosts, g->cap_hosts, g->nhosts + 1)) {
		ctx->gw->oom = 1;
		return;
	}
	g->hosts[g->nhosts++] = workload;
}

tm_traefik_set **tm_gw__traefik(tm_ingest_ctx *ctx)
{
	return ctx->gw ? &ctx->gw->traefik : NULL;
}

tm_cf_set **tm_gw__cloudflared(tm_ingest_ctx *ctx)
{
	return ctx->gw ? &ctx->gw->cloudflared : NULL;
}

tm_authelia_cfg **tm_gw__authelia(tm_ingest_ctx *ctx)
{
	return ctx->gw ? &ctx->gw->authelia : NULL;
}

void tm_gw_config_hosted(tm_gw_config *g, const char *how)
{
	if (g)
		g->hosted_how = how;
}

void tm_gw_config_set_tls(tm_gw_config *g, bool tls)
{
	if (g && tls)
		g->tls = true;
}

void tm_gw_config_fact(tm_ingest_ctx *ctx, tm_gw_config *g, const char *key, const char *value, tm_loc loc)
{
	if (!g || !value)
		return;
	if (TM_GROW(g->facts, g->cap_facts, g->nfacts + 1)) {
		ctx->gw->oom = 1;
		return;
	}
	tm_fact_loc *f = &g->facts[g->nfacts++];
	f->key = key;
	f->value = tm_arena_strdup(ctx->gw->a, value);
	f->loc = loc;
}

void tm_gw_config_dep(tm_ingest_ctx *ctx, tm_gw_config *g, const char *upstream, const char *what, tm_loc loc)
{
	if (!g || !upstream || !what)
		return;
	if (TM_GROW(g->deps, g->cap_deps, g->ndeps + 1)) {
		ctx->gw->oom = 1;
		return;
	}
	tm_fact_loc *d = &g->deps[g->ndeps++];
	d->key = tm_arena_strdup(ctx->gw->a, what);
	d->value = tm_arena_strdup(ctx->gw->a, upstream);
	d->loc = loc;
}

/* ---- embedded configurations (ConfigMap values) ----------------------------------------------- */

static bool key_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && tm_strcaseeq(s + n - m, suf);
}

bool tm_ingest__gw_embedded(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *key, const tm_value *value,
			    tm_node *const *hosts, size_t nhosts)
{
	tm_gw_set *s = ctx->gw;
	const char *k = tm_scalar_str(key, NULL);
	const char *text = tm_scalar_str(value, NULL);
	if (!s || !k || !text)
		return false;
	size_t len = strlen(text);
	tm_loc at = tm_ingest__loc(f, value);
	/* a block scalar's position is its text's first line; its lines sit at one indentation,
	 * which the parser does not keep: two more than its key's, as YAML is written nearly always */
	tm_loc kat = tm_ingest__loc(f, key);
	uint32_t base = at.line, col_offset = at.col > 1 ? at.col - 1 : kat.col ? kat.col - 1 + 2 : 0;
	if (len > TM_GW_TEXT_MAX) {
		tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_ERROR, at,
			    "%s is larger than 1 MiB; not read as a gateway configuration", k);
		return false;
	}
	bool nginx_name = key_suffix(k, ".conf") || key_suffix(k, ".conf.template") || key_suffix(k, ".template") ||
			  strstr(k, "nginx") != NULL;
	size_t before = s->n;
	/* oauth2-proxy's file, as its chart keeps it (oauth2_proxy.cfg) */
	bool o2p_name = key_suffix(k, ".cfg") && (strstr(k, "oauth2-proxy") || strstr(k, "oauth2_proxy"));
	if (o2p_name) {
		char *display = tm_arena_printf(s->a, "%s#%s", at.path ? at.path : tm_file_path(f), k);
		if (!display)
			return false;
		tm_ingest__oauth2_proxy_text(ctx, display, text, len, at.path, base ? base - 1 : 0, col_offset, NULL, 0);
	} else if (nginx_name && tm_ngx_sniff(text, len)) {
		char *display = tm_arena_printf(s->a, "%s#%s", at.path ? at.path : tm_file_path(f), k);
		if (!display)
			return false;
		tm_ingest__nginx_text(ctx, display, text, len, at.path, base ? base - 1 : 0, col_offset, NULL);
	} else if (key_suffix(k, ".yaml") || key_suffix(k, ".yml") || key_suffix(k, ".json")) {
		/* Envoy, Kong, Ocelot or cloudflared: parsed like a file, its lines mapped to the ConfigMap's */
		if (!strstr(text, "static_resources") && !strstr(text, "_format_version") && !strstr(text, "Routes") &&
		    !strstr(text, "endpoints") && !strstr(text, "upstream") && !strstr(text, "ingress"))
			return false;
		char *display = tm_arena_printf(s->a, "%s#%s", at.path ? at.path : tm_file_path(f), k);
		tm_diag_list probe;
		tm_diag_list_init(&probe);
		tm_file *doc = NULL;
		int rc = display ? tm_file_parse(&doc, display, text, len, NULL, &probe) : TM_ENOMEM;
		tm_diag_list_dispose(&probe);
		if (rc || !doc || TM_GROW(s->files, s->cap_files, s->nfiles + 1)) {
			tm_file_free(doc);
			return false;
		}
		s->files[s->nfiles++] = doc;
		uint32_t nlines = 1;
		for (size_t i = 0; i < len; i++)
			nlines += text[i] == '\n';
		const char **paths = tm_calloc(nlines, sizeof(*paths));
		uint32_t *lines = tm_calloc(nlines, sizeof(*lines));
		if (paths && lines && at.path && base) {
			for (uint32_t i = 0; i < nlines; i++) {
				paths[i] = at.path;
				lines[i] = base + i;
			}
			if (tm_file_set_linemap(doc, paths, lines, nlines))
				s->oom = 1;
		}
		tm_free(paths);
		tm_free(lines);
		for (size_t d = 0; d < tm_file_doc_count(doc); d++) {
			const tm_value *root = tm_file_doc(doc, d);
			tm_detected det;
			tm_detect(root, k, &det);
			if (det.format != TM_FMT_GATEWAY || !det.detail)
				continue;
			if (det.unsupported) /* a gateway not read: said, at the value */
				tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at, "%s holds %s", k, det.unsupported);
			else if (strcmp(det.detail, "envoy") == 0)
				tm_ingest__envoy_doc(ctx, doc, root, NULL);
			else if (strcmp(det.detail, "kong") == 0)
				tm_ingest__kong_doc(ctx, doc, root, NULL);
			else if (strcmp(det.detail, "ocelot") == 0)
				tm_ingest__ocelot_doc(ctx, doc, root, NULL);
			else if (strcmp(det.detail, "cloudflared") == 0)
				tm_ingest__cloudflared_doc(ctx, doc, root, NULL);
		}
	}
	for (size_t i = before; i < s->n; i++) {
		s->cfgs[i]->embedded = true;
		s->cfgs[i]->digest = tm_hash(text, len);
		for (size_t h = 0; h < nhosts; h++)
			tm_gw_config_host(ctx, s->cfgs[i], hosts[h]);
	}
	return s->n > before;
}

/* ---- the ingester: YAML/JSON gateway documents -------------------------------------------------- */

static bool gw_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root, const char *detail)
{
	(void)state;
	if (!detail)
		return false;
	tm_ingest__config_credentials(ctx, f, root, detail); /* a committed consumer key, an inline private key */
	if (strcmp(detail, "envoy") == 0)
		return tm_ingest__envoy_doc(ctx, f, root, NULL);
	if (strcmp(detail, "kong") == 0)
		return tm_ingest__kong_doc(ctx, f, root, NULL);
	if (strcmp(detail, "ocelot") == 0)
		return tm_ingest__ocelot_doc(ctx, f, root, NULL);
	if (strcmp(detail, "cloudflared") == 0)
		return tm_ingest__cloudflared_doc(ctx, f, root, NULL);
	if (strcmp(detail, "traefik") == 0 || strcmp(detail, "traefik-static") == 0)
		return tm_ingest__traefik_doc(ctx, f, root, detail);
	return false;
}

/* ---- finish ------------------------------------------------------------------------------------- */

/* "./a/../b/c" joined onto dir, with "." and ".." segments taken out, into buf. */
static const char *join_norm(const char *dir, const char *rel, char *buf, size_t len)
{
	char tmp[1024];
	int n = rel[0] == '/' ? tm_formatf(tmp, sizeof(tmp), "%s", rel)
			      : tm_formatf(tmp, sizeof(tmp), "%s%s%s", dir, *dir ? "/" : "", rel);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return NULL;
	size_t k = 0;
	const char *p = tmp;
	while (*p) {
		const char *seg = p;
		size_t sl = strcspn(p, "/");
		p += sl;
		if (*p == '/')
			p++;
		if (sl == 0 || (sl == 1 && seg[0] == '.'))
			continue;
		if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			while (k > 0 && buf[k - 1] != '/')
				k--;
			if (k > 0)
				k--;
			continue;
		}
		if (k + sl + 2 >= len)
			return NULL;
		if (k)
			buf[k++] = '/';
		memcpy(buf + k, seg, sl);
		k += sl;
	}
	buf[k] = '\0';
	return buf;
}

const char *tm_ingest__path_join(const char *dir, const char *rel, char *buf, size_t len)
{
	return join_norm(dir, rel, buf, len);
}


/* Every bind-mount source (made a path like the scan's display paths) -> the services mounting it:
 * built once, so finding who runs each configuration costs its path's length. */
static void bind_index(tm_ingest_ctx *ctx, tm_hmap *binds, const char *what)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0; i < m->nnodes; i++) {
		tm_node *n = m->nodes[i];
		for (size_t k = 0; n->kind == TM_NODE_SERVICE && k < n->facts.count; k++) {
			const tm_fact_loc *fl = &n->facts.items[k];
			if (strcmp(fl->key, what) != 0 || !fl->loc.path)
				continue;
			char dir[1024], full[1024];
			tm_formatf(dir, sizeof(dir), "%s", fl->loc.path);
			char *slash = strrchr(dir, '/');
			*(slash ? slash : dir) = '\0';
			const char *p = join_norm(dir, fl->value, full, sizeof(full));
			/* an image built from the project's own directory holds every file: no sign */
			if (p && strcmp(what, "build_contexts") == 0 && strcmp(p, dir) == 0)
				continue;
			char *key = p ? tm_arena_strdup(ctx->gw->a, p) : NULL;
			struct node_chain *c = key ? tm_arena_alloc(ctx->gw->a, sizeof(*c)) : NULL;
			if (!c) {
				ctx->gw->oom = 1;
				continue;
			}
			c->n = n;
			c->next = tm_hmap_get(binds, key, strlen(key));
			if (tm_hmap_put(binds, key, strlen(key), c))
				ctx->gw->oom = 1;
		}
	}
}

/* The key of a compose service among the variants of its directory: "<directory of the first file
 * naming it>\x1f<service>", in buf; NULL when it is no compose service or does not fit. */
static const char *variant_key(const tm_node *n, char *buf, size_t len)
{
	const tm_attr *files = tm_node_attr_get(n, "compose_files");
	const char *f = files && files->type == TM_ATTR_LIST && files->list[0] ? files->list[0] : NULL;
	const char *slash = f ? strrchr(f, '/') : NULL;
	int w = f ? tm_formatf(buf, len, "%.*s\x1f%s", slash ? (int)(slash - f) : 0, f, tm_node_name(n)) : -1;
	return w >= 0 && (size_t)w < len ? buf : NULL;
}

/* The compose services that build no image of their own, by variant_key: the same service in
 * another variant of a directory (docker-stack.yml beside docker-compose.yml) runs the image a
 * variant builds, pushed and pulled by name. */
static void variant_index(tm_ingest_ctx *ctx, tm_hmap *out)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0; i < m->nnodes; i++) {
		tm_node *n = m->nodes[i];
		const char *w = n->kind == TM_NODE_SERVICE ? tm_node_attr_str(n, "workload") : NULL;
		char buf[1024];
		const char *key = w && !strcmp(w, "compose-service") && !tm_node_attr_str(n, "build")
					  ? variant_key(n, buf, sizeof(buf))
					  : NULL;
		char *kept = key ? tm_arena_strdup(ctx->gw->a, key) : NULL;
		struct node_chain *c = kept ? tm_arena_alloc(ctx->gw->a, sizeof(*c)) : NULL;
		if (key && !c) {
			ctx->gw->oom = 1;
			continue;
		}
		if (!c)
			continue;
		*c = (struct node_chain){n, tm_hmap_get(out, kept, strlen(kept))};
		if (tm_hmap_put(out, kept, strlen(kept), c))
			ctx->gw->oom = 1;
	}
}

/* The same service as builder in the other variants of its directory, where it builds nothing and
 * runs an image (the one builder tags, when builder names one): hosts of g too, as each variant's
 * own service. */
static size_t variant_hosts(tm_ingest_ctx *ctx, const tm_hmap *variants, tm_gw_config *g, const tm_node *builder)
{
	size_t added = 0;
	char buf[1024];
	const char *key = variant_key(builder, buf, sizeof(buf));
	const tm_attr *tag = tm_node_attr_get(builder, "images");
	for (const struct node_chain *c = key ? tm_hmap_get(variants, key, strlen(key)) : NULL; c; c = c->next) {
		const tm_attr *img = tm_node_attr_get(c->n, "images");
		if (!img || img->type != TM_ATTR_LIST || !img->list[0] ||
		    (tag && tag->type == TM_ATTR_LIST && tag->list[0] && strcmp(tag->list[0], img->list[0]) != 0))
			continue;
		tm_gw_config_host(ctx, g, c->n);
		added++;
	}
	return added;
}

struct mount_host {
	tm_ingest_ctx *ctx;
	tm_gw_config *g;
};

/* Does compose service w run Traefik, as far as its image says: the image is Traefik's (any
 * registry or tag), or w builds its own (what runs in it is not known here), or names no image the
 * scan can read (a `${VAR}` left unset)? An init job that renders the file (an alpine `sh -c
 * envsubst < template > /etc/traefik/dynamic.yml`) reads it but runs no Traefik. */
static bool may_run_traefik(const tm_node *w)
{
	const tm_attr *img = tm_node_attr_get(w, "images");
	if (tm_node_attr_str(w, "build") || !img || img->type != TM_ATTR_LIST || !img->list[0])
		return true;
	for (uint32_t i = 0; i < img->list_len; i++)
		if (img->list[i] && (tm_compose__traefik_image(img->list[i]) || strchr(img->list[i], '$')))
			return true;
	return false;
}

/* A compose service that reads the configuration through a bind mount (mounts.c): a host of it;
 * of a Traefik configuration, only a service that runs Traefik (may_run_traefik), the others said. */
static void mount_host(void *ud, const tm_mount_reader *r)
{
	struct mount_host *mh = ud;
	if (strcmp(mh->g->type, "traefik") == 0 && !may_run_traefik(r->w)) {
		const tm_attr *img = tm_node_attr_get(r->w, "images");
		tm_diag_add(mh->ctx->diags, 0, TM_LEVEL_NOTE, r->at,
			    "compose service %s reads Traefik configuration %s (%s: %s) but runs %s, not Traefik: "
			    "not taken as running it",
			    tm_node_name(r->w), mh->g->path, r->cpath, r->why, img->list[0]);
		return;
	}
	tm_gw_config_host(mh->ctx, mh->g, r->w);
	mh->g->hosted_how = r->direct ? "a compose service bind-mounts it"
				      : tm_arena_printf(mh->ctx->gw->a,
							"a compose service bind-mounts a directory holding it where its "
							"program reads it (%s: %s)",
							r->cpath, r->why);
}

/* Compose services that read the configuration through their bind mounts (mounts.c: the file
 * mounted itself, or a directory holding it mounted where the service's program, or the gateway
 * product, reads it); else the one service whose image is built from a directory holding it (its
 * Dockerfile copies it in), with the same service of the directory's other variants that runs the
 * image built. */
static void compose_hosts(tm_ingest_ctx *ctx, const tm_hmap *builds, const tm_hmap *files, const tm_hmap *variants,
			  tm_gw_config *g)
{
	const char *cfg = g->path;
	size_t n = strlen(cfg);
	for (const struct node_chain *c = tm_hmap_get(files, cfg, n); c; c = c->next) {
		tm_gw_config_host(ctx, g, c->n);
		g->hosted_how = "a build argument of the compose service's image names it";
	}
	struct mount_host mh = {ctx, g};
	tm_ingest__mount_readers(ctx, cfg, g->type, mount_host, &mh);
	for (size_t cut = n; !g->nhosts && cut-- > 0;) {
		if (cfg[cut] != '/')
			continue;
		const struct node_chain *c = tm_hmap_get(builds, cfg, cut);
		bool one = c != NULL; /* one service, though each variant of its project may build it */
		for (const struct node_chain *o = c; o && one; o = o->next)
			one = strcmp(tm_node_name(o->n), tm_node_name(c->n)) == 0;
		for (const struct node_chain *o = one ? c : NULL; o; o = o->next) {
			tm_gw_config_host(ctx, g, o->n);
			g->hosted_how = "the compose service's image is built from the directory holding it";
			if (variant_hosts(ctx, variants, g, o->n))
				g->hosted_how = "the compose service's image is built from the directory holding it, and the "
						"service of that name in the directory's other compose files is taken to run "
						"that image";
		}
		if (c)
			break; /* the nearest context decides */
	}
}

/* The workload named after a directory holding the configuration (ts-ui-dashboard/nginx.conf, the
 * source tree of the service whose image carries it), the nearest of three. */
static void named_host(tm_ingest_ctx *ctx, const tm_link_index *ix, tm_gw_config *g)
{
	if (g->embedded)
		return;
	char dir[1024];
	tm_formatf(dir, sizeof(dir), "%s", g->path);
	for (int up = 0; up < 3; up++) {
		char *slash = strrchr(dir, '/');
		if (!slash)
			return;
		*slash = '\0';
		/* a directory holding manifests is a deployment's (a project, a sandbox), not a service's
		 * source tree: its name says nothing about who runs the file; unless all it holds is that
		 * workload's own (its Dockerfile, which copies the file in) */
		const char *base = strrchr(dir, '/');
		tm_node *n = tm_ingest__link_name(ix, base ? base + 1 : dir);
		if (tm_ingest__link_dir_has(ix, dir) && !(n && tm_ingest__link_dir_only(ix, dir, n)))
			return;
		if (n) {
			tm_gw_config_host(ctx, g, n);
			g->hosted_how = tm_arena_printf(ctx->gw->a, "the workload is named after the directory %s holding it",
							base ? base + 1 : dir);
			return;
		}
	}
}

/* A key for the env map: "<workload id>\x1f<VAR>". */
static char *env_key(tm_arena *a, const tm_node *n, const char *var, size_t vl)
{
	return tm_arena_printf(a, "%s\x1f%.*s", tm_node_id(n), (int)vl, var);
}

/* The workload a "${VAR}" or "$VAR" upstream names through host's environment. */
static tm_node *by_env(tm_ingest_ctx *ctx, const tm_hmap *env, const tm_gw_config *g, const char *up)
{
	const char *d = strchr(up, '$');
	if (!d)
		return NULL;
	const char *v = d[1] == '{' ? d + 2 : d + 1;
	size_t vl = 0;
	while (v[vl] && (v[vl] == '_' || (v[vl] >= 'A' && v[vl] <= 'Z') || (v[vl] >= 'a' && v[vl] <= 'z') ||
			 (v[vl] >= '0' && v[vl] <= '9')))
		vl++;
	for (size_t h = 0; vl && h < g->nhosts; h++) {
		char *key = env_key(ctx->scratch, g->hosts[h], v, vl);
		tm_node *n = key ? tm_hmap_get(env, key, strlen(key)) : NULL;
		if (n)
			return n;
	}
	return NULL;
}

static bool is_address(const char *host)
{
	return strspn(host, "0123456789.") == strlen(host) || strchr(host, ':') != NULL;
}

static bool loopback_host(const char *host)
{
	return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0 ||
	       tm_strcaseeq(host, "localhost");
}

const char *tm_gw_dapr_app(tm_arena *a, const char *host, const char *path)
{
	static const char invoke[] = "/v1.0/invoke/";
	char h[256];
	if (!host || !path)
		return NULL;
	tm_ingest__url_host(host, h, sizeof(h));
	const char *at = strstr(path, invoke);
	if (!loopback_host(h) || !at)
		return NULL;
	at += sizeof(invoke) - 1;
	size_t n = strcspn(at, "/?#");
	/* an app-id as Dapr takes it: a DNS label, with .<namespace> for another namespace's */
	if (!n || n > 253 || strncmp(at + n, "/method", 7) != 0 || strspn(at, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") < n)
		return NULL;
	return tm_arena_printf(a, "dapr:%.*s", (int)n, at);
}

bool tm_gw__public_host(const char *host)
{
	static const char *const private[] = {".svc", ".local", ".internal", ".lan", ".localdomain", ".cluster",
					      ".consul", ".home", ".corp", ".test", ".example", ".invalid"};
	const char *dot = strrchr(host, '.');
	if (!dot || is_address(host) || !dot[1] || strstr(host, ".svc.") || strstr(host, ".cluster.local"))
		return false;
	for (size_t i = 0; i < TM_ARRAY_LEN(private); i++)
		if (strcasecmp(dot, private[i]) == 0)
			return false;
	return true;
}

/* The third party a route forwards to (its upstream names a public host): external:<host>, made
 * once, in the internet's boundary, as a ServiceEntry's MESH_EXTERNAL host is. */
static tm_node *third_party(tm_ingest_ctx *ctx, const char *up, tm_loc loc)
{
	char host[256];
	tm_ingest__url_host(up, host, sizeof(host));
	if (!host[0] || strchr(up, '$') || !tm_gw__public_host(host))
		return NULL;
	char *id = tm_arena_printf(ctx->gw->a, "external:%s", host);
	tm_node *n = id ? tm_mb_find(ctx->mb, id) : NULL;
	if (n || !id)
		return n;
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
	n = tm_mb_node(ctx->mb, TM_NODE_EXTERNAL, id, host, "internet", loc);
	if (n)
		tm_mb_node_str(ctx->mb, n, "location", "a third party a gateway forwards to");
	return n;
}

/* Does a compose service run g? Its names are its project's network's only. */
static bool compose_hosted(const tm_gw_config *g)
{
	const char *w = g->nhosts ? tm_node_attr_str(g->hosts[0], "workload") : NULL;
	return w && strcmp(w, "compose-service") == 0;
}

static bool is_compose(const tm_node *n)
{
	const char *w = tm_node_attr_str(n, "workload");
	return w && strcmp(w, "compose-service") == 0;
}

/* The directory of a compose service's first file, as a length of *f ("" at the top). */
static size_t compose_dir(const tm_node *n, const char **f)
{
	const tm_attr *files = tm_node_attr_get(n, "compose_files");
	*f = files && files->type == TM_ATTR_LIST && files->list[0] ? files->list[0] : "";
	const char *slash = strrchr(*f, '/');
	return slash ? (size_t)(slash - *f) : 0;
}

/* Do two compose services join one Docker network (an external one both name, a project's own)?
 * A service is on a handful of networks: the first 16 of each are compared, no more. */
static bool shares_network(const tm_node *a, const tm_node *b)
{
	const tm_attr *x = tm_node_attr_get(a, "network_ids"), *y = tm_node_attr_get(b, "network_ids");
	if (!x || !y || x->type != TM_ATTR_LIST || y->type != TM_ATTR_LIST)
		return false;
	for (size_t i = 0; x->list[i] && i < 16; i++)
		for (size_t j = 0; y->list[j] && j < 16; j++)
			if (strcmp(x->list[i], y->list[j]) == 0)
				return true;
	return false;
}

/* Is n, a compose service of a project other than g->scope, out of the reach of g's resolver? A
 * container resolves bare names on the networks it joins: its own project's, and another project's
 * on a network both join, unless that project is another variant of its own directory (variants
 * never run side by side: docker-compose-traefik.yml's Traefik does not see
 * docker-compose-keycloak.yml's keycloak). A configuration nothing runs is its directory's
 * project's (g->scope, when that is a compose project): no other project's service is its. Bounded:
 * the first 16 hosts in the scope are asked (one project's services mounting one file). */
static bool out_of_reach(const tm_ingest_ctx *ctx, const tm_gw_config *g, const tm_node *n)
{
	const char *ns = tm_node_attr_str(n, "namespace");
	if (!is_compose(n) || !g->scope || !ns || strcmp(ns, g->scope) == 0)
		return false;
	if (!g->nhosts)
		return tm_hmap_get(&ctx->gw->projects, g->scope, strlen(g->scope)) != NULL;
	const char *nd, *hd;
	size_t nl = compose_dir(n, &nd);
	bool compose_host = false;
	for (size_t h = 0, asked = 0; h < g->nhosts && asked < 16; h++) {
		const tm_node *x = g->hosts[h];
		const char *xns = tm_node_attr_str(x, "namespace");
		if (!is_compose(x) || !xns || strcmp(xns, g->scope) != 0)
			continue;
		compose_host = true;
		asked++;
		size_t hl = compose_dir(x, &hd);
		if (!(hl == nl && strncmp(hd, nd, nl) == 0) && shares_network(x, n))
			return false;
	}
	return compose_host; /* a pod's resolver: as before */
}

static tm_node *resolve(tm_ingest_ctx *ctx, const tm_link_index *ix, const tm_hmap *env, tm_gw_config *g,
			const char *up, const char **why)
{
	*why = NULL;
	if (strncmp(up, "dapr:", 5) == 0) { /* Dapr's service invocation: the app by its app-id */
		bool known = false;
		tm_node *app = tm_ingest__link_dapr(ix, up + 5, g->scope, &known);
		if (app || known) {
			*why = app ? "its Dapr app-id" : NULL;
			return app;
		}
		up += 5; /* no app-id in the scan: its name is all there is */
	}
	tm_node *n = by_env(ctx, env, g, up);
	if (n) {
		*why = "the host's environment names it";
		return n;
	}
	/* ${VAR:-default} (a Caddyfile's {$VAR:default}): the default when the environment gives none */
	const char *dflt = strstr(up, ":-");
	if (strncmp(up, "${", 2) == 0 && dflt && strchr(dflt, '}') && !strchr(dflt + 2, '$')) {
		char plain[256];
		tm_formatf(plain, sizeof(plain), "%.*s", (int)(strchr(dflt, '}') - dflt - 2), dflt + 2);
		up = tm_arena_strdup(ctx->scratch, plain);
		if (!up)
			return NULL;
	}
	if (strchr(up, '$'))
		return NULL;
	char host[256];
	tm_ingest__url_host(up, host, sizeof(host));
	if (!host[0] || is_address(host) || tm_strcaseeq(host, "localhost"))
		return NULL;
	n = tm_ingest__link_host(ix, host, g->scope);
	if (n && out_of_reach(ctx, g, n)) {
		g->stranger = n;
		return NULL;
	}
	if (n)
		*why = "its name";
	else if (strncasecmp(up, "lb:", 3) == 0 && (n = tm_gw__discovery(ctx, host, g->scope, compose_hosted(g))) != NULL)
		*why = "the application registered under that name (spring.application.name)";
	return n;
}

/* What g calls itself, resolved as its routes' upstreams are: a calls edge from each workload
 * running it (from the gateway when none does), via the check that calls it. */
static void deps_draw(tm_ingest_ctx *ctx, const tm_link_index *ix, const tm_hmap *env, tm_gw_config *g)
{
	for (size_t i = 0; i < g->ndeps; i++) {
		const char *why;
		tm_node *to = g->deps[i].value ? resolve(ctx, ix, env, g, g->deps[i].value, &why) : NULL;
		for (size_t h = 0; to && h < (g->nhosts ? g->nhosts : 1); h++) {
			tm_node *from = g->nhosts ? g->hosts[h] : g->node;
			tm_edge *e = from != to ? tm_mb_edge(ctx->mb, from, to, TM_EDGE_CALLS, g->deps[i].loc) : NULL;
			if (!e)
				continue;
			tm_mb_edge_str(ctx->mb, e, "via", g->deps[i].key);
			/* a call its configuration file makes: "<file>: <what>", as an application's are */
			tm_mb_edge_str(ctx->mb, e, "setting", tm_arena_printf(ctx->scratch, "%s: %s", g->path, g->deps[i].key));
		}
	}
}

/* Prepend r to the chain under key. The map borrows its keys: the first use of a key copies it
 * into the arena (the chain's head keeps the copy). */
static void add_chain(tm_gw_set *s, tm_hmap *m, const void *key, size_t kl, tm_gw_route *r)
{
	struct route_chain *c = tm_arena_alloc(s->a, sizeof(*c) + kl);
	if (!c) {
		s->oom = 1;
		return;
	}
	char *kept = (char *)(c + 1);
	memcpy(kept, key, kl);
	c->r = r;
	c->next = tm_hmap_get(m, kept, kl);
	if (tm_hmap_put(m, kept, kl, c))
		s->oom = 1;
}

/* by_route's key: the backend pointer's bytes, then the path; 0 when the path is too long for buf
 * (such a route is found by walking the by_prefix chain). */
#define ROUTE_KEY_MAX 1024
static size_t route_key(char *buf, const tm_node *backend, const char *path, size_t pl)
{
	if (pl > ROUTE_KEY_MAX - sizeof(backend))
		return 0;
	memcpy(buf, &backend, sizeof(backend));
	memcpy(buf + sizeof(backend), path, pl);
	return sizeof(backend) + pl;
}

/* A prefix or exact route: under its path, and under its backend and path. */
static void add_prefix_route(tm_gw_set *s, tm_gw_route *r)
{
	char key[ROUTE_KEY_MAX];
	size_t pl = strlen(r->path), kl = route_key(key, r->backend, r->path, pl);
	add_chain(s, &s->by_prefix, r->path, pl, r);
	if (kl)
		add_chain(s, &s->by_route, key, kl, r);
}

/* A Cloudflare Tunnel is reached from the internet however its workload is exposed: cloudflared
 * connects out to Cloudflare's edge, which hands it the requests for the tunnel's host names. */
static void tunnel_entry(tm_ingest_ctx *ctx, tm_gw_config *g)
{
	tm_node *in = tm_ingest__internet(ctx);
	tm_edge *e = in ? tm_mb_edge(ctx->mb, in, g->node, TM_EDGE_ROUTES, g->loc) : NULL;
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", "Cloudflare Tunnel");
}

static void node_for(tm_ingest_ctx *ctx, tm_gw_config *g)
{
	tm_gw_set *s = ctx->gw;
	char *id = tm_arena_printf(s->a, "gateway:%s:%s", g->type, g->path);
	char *name = tm_arena_printf(s->a, "%s %s", g->type, g->path);
	const char *bnd = g->nhosts ? tm_node_boundary(g->hosts[0]) : NULL;
	g->node = id && name ? tm_mb_node(ctx->mb, TM_NODE_GATEWAY, id, name, bnd, g->loc) : NULL;
	if (!g->node)
		return;
	tm_mb_node_str(ctx->mb, g->node, "gateway_type", g->type);
	tm_mb_node_str(ctx->mb, g->node, "config", g->path);
	tm_mb_node_bool(ctx->mb, g->node, "tls", g->tls);
	const char *ns = g->nhosts ? tm_node_attr_str(g->hosts[0], "namespace") : NULL;
	if (ns)
		tm_mb_node_str(ctx->mb, g->node, "namespace", ns);
	for (size_t i = 0; i < g->nfacts; i++)
		tm_mb_node_fact(ctx->mb, g->node, g->facts[i].key, g->facts[i].value, g->facts[i].loc);
	bool tunnel = strcmp(g->type, "cloudflared") == 0;
	if (g->nhosts) {
		tm_mb_node_str(ctx->mb, g->node, "hosted_how", g->hosted_how);
		for (size_t h = 0; h < g->nhosts; h++) {
			tm_mb_node_list_add(ctx->mb, g->node, "hosted_by", tm_node_id(g->hosts[h]));
			tm_edge *e = tm_mb_edge(ctx->mb, g->hosts[h], g->node, TM_EDGE_ROUTES, g->loc);
			if (e)
				tm_mb_edge_str(ctx->mb, e, "via", "runs the gateway configuration");
		}
		if (tunnel)
			tunnel_entry(ctx, g);
		return;
	}
	if (tunnel) { /* reached from the internet whoever runs it: only where it runs is not known */
		tm_mb_node_assume(ctx->mb, g->node,
			       "run by no workload of the inputs (none mounts this configuration): where cloudflared runs, "
			       "and so what its upstream names resolve to, is not known; its routes are reached from the "
			       "internet through Cloudflare's edge wherever it runs");
		tunnel_entry(ctx, g);
		return;
	}
	tm_mb_node_assume(ctx->mb, g->node,
		       "internet-facing: no workload in the inputs mounts this configuration, so where it runs is "
		       "not known; a gateway usually faces clients");
	tm_node *in = tm_ingest__internet(ctx);
	tm_edge *e = in ? tm_mb_edge(ctx->mb, in, g->node, TM_EDGE_ROUTES, g->loc) : NULL;
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", "assumed");
}

void tm_gw_edge_checks(tm_ingest_ctx *ctx, tm_edge *e, const tm_gw_checks *c)
{
	e->authn = c->authn;
	e->enforced_at = TM_ENFORCED_UNKNOWN;
	if (e->authn != TM_AUTHN_NONE) {
		/* a check of no known kind (auth_request, ext_authz) is a decision the gateway delegates */
		e->enforced_at = TM_ENFORCED_GATEWAY;
		e->authz = e->authn == TM_AUTHN_UNKNOWN ? TM_AUTHZ_POLICY : TM_AUTHZ_UNKNOWN;
	} else {
		e->authz = TM_AUTHZ_NONE;
	}
	if (c->authn_how)
		tm_mb_edge_list_add(ctx->mb, e, "authn_checks", c->authn_how);
	if (c->rate_how)
		tm_mb_edge_list_add(ctx->mb, e, "rate_limits", c->rate_how);
	if (c->restrict_how)
		tm_mb_edge_list_add(ctx->mb, e, "allow_lists", c->restrict_how);
	if (c->deny_how)
		tm_mb_edge_list_add(ctx->mb, e, "deny_rules", c->deny_how);
	if (c->restrict_how && c->private_only)
		tm_mb_edge_bool(ctx->mb, e, "private_sources_only", true);
	else if (tm_edge_attr_get(e, "private_sources_only"))
		tm_mb_edge_bool(ctx->mb, e, "private_sources_only", false);
}

void tm_gw_edge_weakest(const tm_edge *e, bool first, bool had, tm_gw_checks *c)
{
	if (first)
		return;
	if (!had || e->authn == TM_AUTHN_NONE)
		c->authn = TM_AUTHN_NONE; /* an earlier route to it is not checked */
	else if (c->authn != TM_AUTHN_NONE)
		c->authn = e->authn; /* the first route's kind stays */
	/* private sources only while every route to the backend says so */
	const tm_attr *was = tm_edge_attr_get(e, "private_sources_only");
	if (!was || !was->num)
		c->private_only = false;
}

static void route_edge(tm_ingest_ctx *ctx, tm_gw_config *g, tm_gw_route *r, tm_pset *seen)
{
	tm_edge *e = tm_mb_edge(ctx->mb, g->node, r->backend, TM_EDGE_ROUTES, r->loc);
	if (!e)
		return;
	int first = tm_pset_add(seen, e);
	if (first < 0) {
		ctx->gw->oom = 1;
		return;
	}
	/* one edge per backend: it carries the weakest check among the routes to it (each wrote its own) */
	tm_gw_checks c = {r->authn, r->authn_how, r->rate_how, r->restrict_how, r->deny_how, r->private_only, false, NULL, NULL};
	tm_gw_edge_weakest(e, first, true, &c);
	tm_gw_edge_checks(ctx, e, &c);
	tm_mb_edge_str(ctx->mb, e, "via", g->type);
	if (r->match == TM_GW_TCP) /* no path: said so, so that nothing reads one into it */
		tm_mb_edge_list_add(ctx->mb, e, "protocols", "tcp");
	else if (r->match != TM_GW_REGEX)
		tm_mb_edge_list_add(ctx->mb, e, "paths", r->path);
	else
		tm_mb_edge_list_add(ctx->mb, e, "path_patterns", r->path);
	/* each route's own check, which the edge's weakest hides: "PATH\tAUTHN\tHOW\tAT" ("=PATH" exact,
	 * AT the route's place), so a question about one path (query --path) asks the route that takes
	 * it, and names it */
	const char *mark = r->match == TM_GW_EXACT ? "=" : r->match == TM_GW_REGEX ? "~" : "";
	const char *rpath = r->match == TM_GW_REGEX && r->path[0] == '~' ? r->path + 1 : r->path;
	if (r->match != TM_GW_TCP)
		tm_mb_edge_list_add(ctx->mb, e, "route_checks",
				    tm_arena_printf(ctx->scratch, "%s%s\t%s\t%s\t%s:%u:%u", mark, rpath, tm_authn_name(r->authn),
						    r->authn_how ? r->authn_how : "", r->loc.path ? r->loc.path : "", r->loc.line,
						    r->loc.col));
	/* a route that lands on one path of the backend, not its root: "PATH\tUPSTREAM_PATH" */
	if (r->match != TM_GW_TCP && r->upstream_path && r->upstream_path[strspn(r->upstream_path, "/")])
		tm_mb_edge_list_add(ctx->mb, e, "upstream_paths",
				    tm_arena_printf(ctx->scratch, "%s%s\t%s", mark, rpath, r->upstream_path));
	for (const char *h = r->vhosts; h && *h;) {
		size_t hl = strcspn(h, " ");
		char *one = (hl == 1 && (h[0] == '_' || h[0] == '*')) ? NULL : tm_arena_strndup(ctx->scratch, h, hl);
		if (one)
			tm_mb_edge_list_add(ctx->mb, e, "hosts", one);
		h += hl;
		while (*h == ' ')
			h++;
	}
	/* the node's tls is true: the edge names the listeners where it is not, for this backend */
	if (r->plaintext_at)
		tm_mb_edge_list_add(ctx->mb, e, "plaintext_listeners", r->plaintext_at);
}

/* The routes the platform ingesters made (an Ingress's rules) kept for the API linkers too, one per
 * path: a spec served behind an Ingress links operation by operation as behind a proxy. The route
 * carries a check only where the edge says one is enforced at the gateway. */
static void platform_routes(tm_ingest_ctx *ctx, tm_gw_set *s)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0; i < m->nedges && !s->oom; i++) {
		tm_edge *e = m->edges[i];
		if (e->kind != TM_EDGE_ROUTES || e->from->kind != TM_NODE_GATEWAY || e->to->kind != TM_NODE_SERVICE ||
		    tm_node_attr_str(e->from, "config"))
			continue;
		const tm_attr *paths = NULL, *hosts = NULL;
		for (size_t a = 0; a < e->attrs.count; a++) {
			if (strcmp(e->attrs.items[a].key, "paths") == 0)
				paths = &e->attrs.items[a];
			else if (strcmp(e->attrs.items[a].key, "hosts") == 0)
				hosts = &e->attrs.items[a];
		}
		const char *vhosts = hosts ? join(ctx, NULL, hosts->list) : NULL;
		for (const char *const *p = paths ? paths->list : NULL; p && *p; p++) {
			tm_gw_route *r = tm_arena_alloc(s->a, sizeof(*r));
			if (!r) {
				s->oom = 1;
				return;
			}
			/* Istio and the Gateway API write a prefix as "/api/v1/products*" */
			size_t pl = strlen(*p);
			r->path = pl > 1 && (*p)[pl - 1] == '*' ? tm_arena_strndup(s->a, *p, pl - 1) : *p;
			r->match = TM_GW_PREFIX;
			if (!r->path) {
				s->oom = 1;
				return;
			}
			r->vhosts = vhosts;
			const tm_attr *al = tm_edge_attr_get(e, "allow_lists"), *po = tm_edge_attr_get(e, "private_sources_only");
			r->restrict_how = al && al->type == TM_ATTR_LIST && al->list[0] ? al->list[0] : NULL;
			r->private_only = po && po->num;
			/* enforced at the gateway: a check its annotations put there (an unknown kind: one
			 * it delegates, as an external auth URL); a platform edge says nothing otherwise */
			bool checked = e->enforced_at == TM_ENFORCED_GATEWAY;
			r->authn = checked ? e->authn : TM_AUTHN_NONE;
			r->loc = e->evidence.count ? e->evidence.items[0] : e->from->evidence.count ? e->from->evidence.items[0]
												  : r->loc;
			r->backend = e->to;
			r->gateway = e->from;
			const void *bk = r->backend;
			add_chain(s, &s->by_backend, &bk, sizeof(bk), r);
			add_prefix_route(s, r);
		}
	}
}

/* A calls edge from a gateway's host to a backend the gateway routes to (the env var that configured
 * the upstream made it) is the proxied traffic itself: marked, so walks take the route. */
static void mark_proxied(tm_ingest_ctx *ctx, tm_gw_set *s)
{
	tm_hmap pairs = TM_HMAP_INIT, files = TM_HMAP_INIT; /* (host, backend); and the gateway's file too */
	for (size_t i = 0; i < s->n; i++) {
		const tm_gw_config *g = s->cfgs[i];
		for (size_t k = 0; !g->into && g->node && k < g->nroutes; k++)
			for (size_t h = 0; g->routes[k]->backend && h < g->nhosts; h++) {
				const void *pair[2] = {g->hosts[h], g->routes[k]->backend};
				size_t pl = strlen(g->path);
				char *key = tm_arena_alloc(s->a, sizeof(pair) + pl);
				if (!key || (memcpy(key, pair, sizeof(pair)), memcpy(key + sizeof(pair), g->path, pl),
					     tm_hmap_put(&pairs, key, sizeof(pair), (void *)tm_node_id(g->node)) ||
						     tm_hmap_put(&files, key, sizeof(pair) + pl, (void *)tm_node_id(g->node))))
					s->oom = 1;
			}
	}
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0; pairs.count && i < m->nedges; i++) {
		tm_edge *e = m->edges[i];
		const void *pair[2] = {e->from, e->to};
		const char *gw = e->kind == TM_EDGE_CALLS ? tm_hmap_get(&pairs, (const char *)pair, sizeof(pair)) : NULL;
		/* two gateways of one host routing to one backend (a Zuul file served beside the application's
		 * Spring Cloud Gateway routes): the one whose file the call's setting is in ("<file>: <key>") */
		const tm_attr *set = gw ? tm_edge_attr_get(e, "setting") : NULL;
		for (uint32_t k = 0; set && set->type == TM_ATTR_LIST && k < set->list_len; k++) {
			const char *colon = strstr(set->list[k], ": ");
			size_t fl = colon ? (size_t)(colon - set->list[k]) : 0;
			char key[sizeof(pair) + 512];
			if (!fl || fl > 512)
				continue;
			memcpy(key, pair, sizeof(pair));
			memcpy(key + sizeof(pair), set->list[k], fl);
			const char *own = tm_hmap_get(&files, key, sizeof(pair) + fl);
			if (own) {
				gw = own;
				break;
			}
		}
		if (gw)
			tm_mb_edge_str(ctx->mb, e, "proxied_by", gw);
	}
	tm_hmap_dispose(&pairs);
	tm_hmap_dispose(&files);
}

/* The compose service that publishes the host port a loopback upstream of a gateway running on the
 * host itself names (a host nginx in front of mastodon's `127.0.0.1:3000:3000`): what listens on
 * the host's 127.0.0.1:3000 is in the files. NULL when no service (or more than one) publishes it. */
static tm_node *host_published(const tm_link_index *ix, const tm_gw_config *g, const char *up)
{
	char host[256], port[8];
	tm_ingest__url_host(up, host, sizeof(host));
	if (g->nhosts || !loopback_host(host) || !tm_ingest__url_port(up, host, port, sizeof(port)))
		return NULL;
	return tm_ingest__link_host_port(ix, port);
}

/* Draw route r of g, its upstream resolved in g->scope: its routes edge and its place in the
 * linkers' lookups. False when the upstream names nothing the scan holds. */
static bool route_draw(tm_ingest_ctx *ctx, tm_gw_set *s, const tm_link_index *ix, const tm_hmap *env, tm_gw_config *g,
		       tm_gw_route *r, tm_pset *seen, tm_node **drawn, size_t *ndrawn)
{
	r->gateway = g->node;
	if (!r->upstream)
		return true;
	const char *why;
	r->backend = resolve(ctx, ix, env, g, r->upstream, &why);
	bool on_host = false;
	if (!r->backend)
		on_host = (r->backend = host_published(ix, g, r->upstream)) != NULL;
	bool third = false;
	if (!r->backend && (r->backend = third_party(ctx, r->upstream, r->loc)) != NULL)
		third = true; /* routed there, but no spec of the scan is served by it */
	if (!r->backend)
		return false;
	/* the same backend from another namespace (a name unique in the scan, a third party): drawn once */
	for (size_t i = 0; i < *ndrawn; i++)
		if (drawn[i] == r->backend) {
			r->backend = NULL;
			return true;
		}
	if (*ndrawn < SCOPES_MAX)
		drawn[(*ndrawn)++] = r->backend;
	route_edge(ctx, g, r, seen);
	const char *azwhy;
	tm_node *az = r->authz_upstream ? resolve(ctx, ix, env, g, r->authz_upstream, &azwhy) : NULL;
	if (az) { /* the service its delegated check asks (a forwardAuth address) */
		tm_edge *e = tm_mb_edge(ctx->mb, g->node, r->backend, TM_EDGE_ROUTES, (tm_loc){0});
		if (e)
			tm_mb_edge_str(ctx->mb, e, "authn_service", tm_node_id(az));
	}
	if (on_host) { /* said on the edge: the host's port, which the compose service publishes */
		tm_edge *e = tm_mb_edge(ctx->mb, g->node, r->backend, TM_EDGE_ROUTES, (tm_loc){0});
		if (e)
			tm_mb_edge_str(ctx->mb, e, "host_port", r->upstream);
	}
	if (r->match == TM_GW_TCP || third) /* no path for the API linkers to match */
		return true;
	const void *bk = r->backend;
	add_chain(s, &s->by_backend, &bk, sizeof(bk), r);
	if (r->match == TM_GW_REGEX) {
		if (TM_GROW(s->regex, s->cap_regex, s->nregex + 1))
			s->oom = 1;
		else
			s->regex[s->nregex++] = r;
	} else {
		add_prefix_route(s, r);
	}
	return true;
}

/* Kong's documented "loopback" route: a route of a Kong configuration to its own host's port where
 * the Kong running it serves its Admin API (KONG_ADMIN_LISTEN, any address): the proxy hands the
 * Admin API to whoever reaches the route. A `kong_admin_routes` fact on the gateway (", no
 * authentication" when the route checks nothing; TM-MESH-008). True when it is one. */
static bool kong_admin_route(tm_ingest_ctx *ctx, tm_gw_config *g, const tm_gw_route *r, const char *host)
{
	char port[8];
	if (strcmp(g->type, "kong") != 0 || !tm_ingest__url_port(r->upstream, host, port, sizeof(port)))
		return false;
	for (size_t h = 0; h < g->nhosts; h++) {
		const tm_attr *a = tm_node_attr_get(g->hosts[h], "kong_admin_listen");
		for (size_t i = 0; a && a->type == TM_ATTR_LIST && a->list[i]; i++) {
			const char *c = strrchr(a->list[i], ':');
			size_t pl = c ? strspn(c + 1, "0123456789") : 0;
			if (!pl || pl != strlen(port) || strncmp(c + 1, port, pl) != 0)
				continue;
			tm_mb_node_fact(ctx->mb, g->node, "kong_admin_routes",
					tm_arena_printf(ctx->scratch, "route %s to the Admin API at %s%s",
							r->path && r->path[0] ? r->path : "/", r->upstream,
							r->authn == TM_AUTHN_NONE ? ", no authentication" : ""),
					r->loc);
			return true;
		}
	}
	return false;
}

/* An upstream of g that names nothing the scan holds, in any namespace its hosts run in: a fact,
 * and a note for a "${NAME}" the environment does not give (once per configuration). */
static void unresolved(tm_ingest_ctx *ctx, tm_gw_config *g, const tm_gw_route *r)
{
	/* loopback is the gateway's own pod or host (a sidecar's local app): no unresolved name, but
	 * said once, since the routes to it end there in the model */
	char host[256];
	tm_ingest__url_host(r->upstream, host, sizeof(host));
	if (loopback_host(host) && kong_admin_route(ctx, g, r, host))
		return;
	if (strncmp(r->upstream, "127.", 4) != 0 && strcmp(r->upstream, "::1") != 0) /* a name: listed */
		tm_mb_node_fact(ctx->mb, g->node, "unresolved_upstreams", r->upstream, r->loc);
	if (g->stranger && !g->stranger_noted) {
		g->stranger_noted = true;
		const char *sd, *hd;
		size_t sl = compose_dir(g->stranger, &sd), hl = g->nhosts ? compose_dir(g->hosts[0], &hd) : 0;
		const char *sns = tm_node_attr_str(g->stranger, "namespace");
		if (!g->nhosts)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, r->loc,
				    "upstream %s is the name of %s, of compose project %s; nothing mounts this "
				    "configuration, so it is taken to be the compose project of its own directory (%s), "
				    "where no service has that name: the route is not drawn",
				    r->upstream, tm_node_id(g->stranger), sns, g->scope);
		else if (hl == sl && strncmp(hd, sd, sl) == 0)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, r->loc,
				    "upstream %s is the name of %s, of compose project %s: another variant of the "
				    "directory of %s, which runs this configuration, and variants never run side by side: "
				    "the route is not drawn",
				    r->upstream, tm_node_id(g->stranger), sns, tm_node_id(g->hosts[0]));
		else
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, r->loc,
				    "upstream %s is the name of %s, of compose project %s, which shares no network with "
				    "%s, which runs this configuration: the name does not resolve there, and the route "
				    "is not drawn",
				    r->upstream, tm_node_id(g->stranger), sns, tm_node_id(g->hosts[0]));
	}
	if (loopback_host(host) && !g->loopback_noted) {
		g->loopback_noted = true;
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, r->loc,
			    "route %s forwards to %s, the gateway's own pod or host: what listens there (a sidecar, "
			    "a local process) is not in the files, so routes to the loopback end at the gateway",
			    r->path && r->path[0] ? r->path : "/", r->upstream);
	}
	const char *dollar = strstr(r->upstream, "${");
	const char *var = dollar ? dollar + 2 : NULL;
	/* ${NAME}, as envsubst and the nginx image's templates substitute ($name is nginx's own
	 * variable, set in the file; decK's ${{ env "X" }} is its own template, filled when it syncs) */
	if (var && (isalpha((unsigned char)*var) || *var == '_') && !g->env_noted) {
		g->env_noted = true;
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, r->loc,
			    "upstream %s is set from the environment of %s, and the inputs give it no value that "
			    "names a service: its routes are not drawn (the workload's environment, an env file or "
			    "its Dockerfile's ENV would)",
			    r->upstream, g->nhosts ? tm_node_id(g->hosts[0]) : "the workload running it");
	}
}

static void gw_finish(tm_ingest_ctx *ctx, void *state)
{
	tm_gw_set *s = state;
	if (!s)
		return;
	tm_ingest__traefik_finish(ctx);
	if (!s->n && !s->cloudflared && !s->authelia) {
		platform_routes(ctx, s);
		if (s->oom)
			tm_arena_set_failed(ctx->scratch);
		return;
	}
	/* fold: files first, so a ConfigMap copy of a file keeps the file's lines */
	tm_hmap by_digest = TM_HMAP_INIT;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->n; i++) {
			tm_gw_config *g = s->cfgs[i];
			if (g->embedded != (pass == 1))
				continue;
			char *key = tm_arena_printf(s->a, "%s\x1f%016llx", g->type, (unsigned long long)g->digest);
			tm_gw_config *first = key ? tm_hmap_get(&by_digest, key, strlen(key)) : NULL;
			if (first) {
				g->into = first;
				for (size_t h = 0; h < g->nhosts; h++)
					tm_gw_config_host(ctx, first, g->hosts[h]);
			} else if (!key || tm_hmap_put(&by_digest, key, strlen(key), g)) {
				s->oom = 1;
			}
		}
	tm_hmap_dispose(&by_digest);

	/* "${VAR}" upstreams: the calls edges the env vars made */
	tm_hmap env = TM_HMAP_INIT;
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0; i < m->nedges; i++) {
		const tm_edge *e = m->edges[i];
		if (e->kind != TM_EDGE_CALLS)
			continue;
		for (size_t a = 0; a < e->attrs.count; a++) {
			if (strcmp(e->attrs.items[a].key, "env") != 0 || !e->attrs.items[a].list)
				continue;
			for (const char *const *v = e->attrs.items[a].list; *v; v++) {
				/* the first edge naming the variable: the workload's own environment is drawn
				 * before its image's (a Dockerfile's ENV, which the workload overrides) */
				char *key = env_key(s->a, e->from, *v, strlen(*v));
				if (!key || (!tm_hmap_get(&env, key, strlen(key)) && tm_hmap_put(&env, key, strlen(key), e->to)))
					s->oom = 1;
			}
		}
	}

	tm_hmap builds = TM_HMAP_INIT, files = TM_HMAP_INIT;
	bind_index(ctx, &builds, "build_contexts");
	bind_index(ctx, &files, "build_files");
	tm_hmap variants = TM_HMAP_INIT;
	variant_index(ctx, &variants);
	for (size_t i = 0; i < m->nnodes; i++) { /* the compose projects, for out_of_reach */
		const char *ns = is_compose(m->nodes[i]) ? tm_node_attr_str(m->nodes[i], "namespace") : NULL;
		if (ns && !tm_hmap_get(&s->projects, ns, strlen(ns)) && tm_hmap_put(&s->projects, ns, strlen(ns), (void *)ns))
			s->oom = 1;
	}
	tm_link_index *ix = tm_ingest__link_index(ctx);
	tm_pset seen = TM_PSET_INIT;
	/* who runs each configuration, first: a tunnel's container reads what its configurations hold
	 * (cloudflared's runs add configurations of their own, hosted already) */
	for (size_t i = 0; i < s->n && ix; i++) {
		tm_gw_config *g = s->cfgs[i];
		if (g->into)
			continue;
		if (!g->nhosts)
			compose_hosts(ctx, &builds, &files, &variants, g);
		if (!g->nhosts)
			named_host(ctx, ix, g);
		if (g->offered && !g->nhosts) {
			/* another system's file (a project above it holds it) that no workload here runs:
			 * this system has no such gateway, not one assumed to face the internet */
			g->dropped = true;
			continue;
		}
		if (g->nhosts && !g->hosted_how)
			g->hosted_how = "a workload mounts the ConfigMap holding it";
		count_hosted(s, g);
	}
	if (ix)
		tm_ingest__cloudflared_runs(ctx);
	/* Authelia's configurations: their rules are facts of the workloads running them, found as a
	 * gateway's file's are */
	for (const tm_authelia_cfg *a = ix ? s->authelia : NULL; a; a = tm_ingest__authelia_next(a)) {
		tm_gw_config probe;
		memset(&probe, 0, sizeof(probe));
		probe.type = "authelia";
		probe.path = tm_ingest__authelia_path(a);
		compose_hosts(ctx, &builds, &files, &variants, &probe);
		if (!probe.nhosts)
			named_host(ctx, ix, &probe);
		for (size_t h = 0; h < (probe.nhosts ? probe.nhosts : 1); h++)
			tm_ingest__authelia_rules(ctx, a, probe.nhosts ? probe.hosts[h] : NULL);
		tm_free(probe.hosts);
	}
	for (size_t i = 0; i < s->n && ix; i++) {
		tm_gw_config *g = s->cfgs[i];
		if (g->into || g->dropped)
			continue;
		node_for(ctx, g);
		if (!g->node)
			continue;
		/* each route is resolved where each of its hosts runs (a file two compose projects mount
		 * routes to each project's services): one more route per further namespace */
		const char *scopes[SCOPES_MAX];
		size_t nscopes = 0;
		for (size_t h = 0; h < g->nhosts && nscopes < SCOPES_MAX; h++) {
			const char *ns = tm_node_attr_str(g->hosts[h], "namespace");
			bool known = false;
			for (size_t j = 0; j < nscopes; j++)
				known = known || scopes[j] == ns || (scopes[j] && ns && strcmp(scopes[j], ns) == 0);
			if (!known)
				scopes[nscopes++] = ns;
		}
		if (!nscopes)
			scopes[nscopes++] = tm_ingest__link_scope(ix, g->path);
		for (size_t k = 0, nr = g->nroutes; k < nr; k++) {
			tm_gw_route *first = g->routes[k];
			bool drawn = false;
			g->stranger = NULL;
			tm_node *backends[SCOPES_MAX];
			size_t nbackends = 0;
			/* a route resolved in a namespace of its own: there only */
			for (size_t j = 0; j < (first->scope ? 1 : nscopes); j++) {
				tm_gw_route *r = first;
				if (j) { /* the same route, in the next namespace */
					r = tm_gw_route_new(ctx, g, first->path, first->match, first->upstream, first->vhosts,
							    NULL, first->loc);
					if (!r)
						break;
					*r = *first;
					r->backend = NULL;
				}
				g->scope = first->scope ? first->scope : scopes[j];
				drawn = route_draw(ctx, s, ix, &env, g, r, &seen, backends, &nbackends) || drawn;
			}
			if (!drawn)
				unresolved(ctx, g, first);
		}
		g->scope = scopes[0];
		g->stranger = NULL;
		deps_draw(ctx, ix, &env, g);
	}
	mark_proxied(ctx, s);
	platform_routes(ctx, s);
	tm_pset_dispose(&seen);
	tm_hmap_dispose(&builds);
	tm_hmap_dispose(&files);
	tm_hmap_dispose(&variants);
	tm_hmap_dispose(&s->projects);
	tm_hmap_dispose(&env);
	tm_ingest__link_index_free(ix);
	if (s->oom)
		tm_arena_set_failed(ctx->scratch);
}

/* ---- lookups for the API linkers --------------------------------------------------------------- */

/* Does a route's virtual host list admit host? A default server ("_", "localhost", none) admits any.
 * Read in place, one pass over the list. */
static bool admits(const tm_gw_route *r, const char *host)
{
	if (!host || !r->vhosts)
		return true;
	size_t nl = strlen(host);
	for (const char *h = r->vhosts; *h;) {
		size_t hl = strcspn(h, " ");
		bool any = (hl == 1 && (h[0] == '_' || h[0] == '*')) || (hl == 9 && strncasecmp(h, "localhost", 9) == 0);
		bool same = hl == nl && strncasecmp(h, host, nl) == 0;
		/* "*.example.com" admits "api.example.com" */
		bool wild = hl > 1 && h[0] == '*' && nl >= hl - 1 && strncasecmp(host + nl - (hl - 1), h + 1, hl - 1) == 0;
		if (any || same || wild)
			return true;
		h += hl;
		while (*h == ' ')
			h++;
	}
	return false;
}

/* Does a spec path (with {templates}) match a route's regular expression? Templates are read as
 * one segment of letters and digits. */
static bool regex_matches(const char *re, const char *request)
{
	const char *pat = re;
	if (*pat == '~')
		pat++;
	if (*pat == '*')
		pat++;
	while (*pat == ' ')
		pat++;
	regex_t rx;
	if (regcomp(&rx, pat, REG_EXTENDED | REG_NOSUB))
		return false;
	char buf[512];
	size_t k = 0;
	for (const char *p = request; *p && k + 2 < sizeof(buf); p++) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			if (end) {
				buf[k++] = '1';
				p = end;
				continue;
			}
		}
		buf[k++] = *p;
	}
	buf[k] = '\0';
	bool ok = regexec(&rx, buf, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

static const tm_gw_route *in_chain(const tm_gw_set *s, const char *request, size_t kl, size_t rl,
				   const char *host, const tm_node *svc)
{
	const struct route_chain *c = NULL;
	char key[ROUTE_KEY_MAX];
	size_t bl = svc && kl ? route_key(key, svc, request, kl) : 0;
	if (bl) /* the routes to svc only (a path every Ingress routes, "/", chains them all) */
		c = tm_hmap_get(&s->by_route, key, bl);
	else if (kl)
		c = tm_hmap_get(&s->by_prefix, request, kl);
	for (; c; c = c->next) {
		const tm_gw_route *r = c->r;
		if ((r->match != TM_GW_EXACT || kl == rl) && admits(r, host) && (!svc || r->backend == svc))
			return r;
	}
	return NULL;
}

static const tm_gw_route *pick(const tm_gw_set *s, const char *host, const char *request, const tm_node *svc)
{
	if (!s)
		return NULL;
	size_t rl = strlen(request);
	/* exact and prefix matches, the longest first: the whole path, then at each '/' with and
	 * without it ("/api/" and "/api" both prefix "/api/x"); a prefix cut mid-segment is not tried */
	const tm_gw_route *r = in_chain(s, request, rl, rl, host, svc);
	for (size_t i = rl; !r && i-- > 0;) {
		if (request[i] != '/')
			continue;
		if (i + 1 < rl)
			r = in_chain(s, request, i + 1, rl, host, svc);
		if (!r && i)
			r = in_chain(s, request, i, rl, host, svc);
	}
	/* Kong tries regular expressions before prefixes (an exact path before both), as nginx does
	 * for plain locations: `~/orders/admin/.*$` with no plugin takes /orders/admin/purge from the
	 * key-checked `/orders` */
	const char *type = r && r->match == TM_GW_PREFIX && r->gateway ? tm_node_attr_str(r->gateway, "gateway_type") : NULL;
	bool regex_first = type && strcmp(type, "kong") == 0;
	for (size_t i = 0; (!r || regex_first) && i < s->nregex; i++)
		if ((!regex_first || s->regex[i]->gateway == r->gateway) && admits(s->regex[i], host) &&
		    (!svc || s->regex[i]->backend == svc) && regex_matches(s->regex[i]->path, request)) {
			r = s->regex[i];
			break;
		}
	return r;
}

const tm_gw_route *tm_gw_route_for(const tm_ingest_ctx *ctx, const char *host, const char *request)
{
	return pick(ctx->gw, host, request, NULL);
}

const tm_gw_route *tm_gw_route_to(const tm_ingest_ctx *ctx, const tm_node *svc, const char *request)
{
	const tm_gw_set *s = ctx->gw;
	const void *bk = svc;
	if (!s || !tm_hmap_get(&s->by_backend, (const char *)&bk, sizeof(bk)))
		return NULL;
	return pick(s, NULL, request, svc);
}

const tm_ingester tm_ingest__gateway = {gw_begin, gw_doc, gw_finish, NULL};
