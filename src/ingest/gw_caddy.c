/*
 * gw_caddy.c - a Caddyfile (Caddy 2) as a gateway: its sites, what each reverse-proxies where, and
 * the checks in front.
 *
 *   ADDRESS[, ADDRESS...] { ... }  -> a site; its host names are its routes' virtual hosts. A site
 *        whose addresses name a host (example.com, localhost, an IP) or https:// is served over TLS
 *        (Caddy's automatic HTTPS: the gateway's `tls`); http:// or a bare :PORT (other than :443)
 *        is plaintext, as is every host under the global `auto_https off` without a `tls`
 *        directive. A single site may be written without braces (its directives follow its line).
 *   reverse_proxy [MATCHER] UPSTREAM... { to UPSTREAM... }, php_fastcgi
 *                                  -> one route per upstream (scheme and path taken off; {$VAR}
 *                                     and {$VAR:default} as ${VAR} for the host's environment)
 *   handle / route [MATCHER] { }, handle_path PATH { }
 *                                  -> the routes inside take its path
 *   MATCHER: *, /path, /path* (a prefix), @name (a named matcher's `path`, else any path)
 *   basic_auth / basicauth, forward_auth (no matcher, or `*`, or the root path's prefix)
 *                                  -> every route of the block checks it: basic, or an external
 *                                     service's answer
 *   basic_auth /PATH [...], basic_auth @name (a path)
 *                                  -> a check of the requests of that path (under handle_path its
 *                                     prefix in front): a route it takes whole checks it, and a route
 *                                     of a wider prefix gets a route of that path that does (the
 *                                     longest prefix takes a request); a named matcher that is no
 *                                     single path is not weighed, said in a note
 *   import NAME                    -> the snippet (NAME) { ... }, inlined (8 deep at most)
 * Not read: matchers other than path (host, header, remote_ip: a route they narrow is taken as
 * open to any request), `import` of files, named routes (&(name)), plugins' directives.
 *
 * Caddy 1 (a file with a `proxy` directive, which Caddy 2 does not have; swarmprom's) is read with
 * Caddy 1's meaning, and a note says so:
 *   proxy FROM UPSTREAM... { upstream UPSTREAM... }
 *                                  -> one route per upstream, FROM a path prefix
 *   basicauth [PATH] USER PASSWORD, basicauth USER PASSWORD { PATH... }
 *                                  -> a basic check of every route when a PATH is `/` (or none)
 *   jwt PATH, jwt { path PATH }    -> a JWT check, when PATH is `/`
 *   ipfilter PATH { rule allow; ip RANGES }
 *                                  -> an allow-list of the ranges, when PATH is `/`
 * A check on a narrower path leaves the routes unchecked (as a matcher does in Caddy 2).
 */
#include <stdio.h>
#include <string.h>

#include "ingest.h"
#include "model/policy.h"
#include "parse/caddyfile.h"

#define IMPORT_DEPTH_MAX 8
#define IMPORTS_MAX 4096 /* snippets expanded in one file: a snippet importing another k times, 8 deep, is k^8 */
#define SCOPED_MAX 8     /* path-scoped checks in force on one block's routes; more are said in a note */

typedef struct {
	tm_ingest_ctx *ctx;
	tm_gw_config *g;
	const char *path;
	tm_hmap snippets; /* name -> its directive */
	bool auto_https_off;
	bool some_tls;
	bool v1; /* Caddy 1's Caddyfile (proxy) */
	const tm_cdy_dir *expanding[IMPORT_DEPTH_MAX + 1]; /* the snippets being expanded: one is never its own */
	size_t nexpanding, imports;
} reader;

/* A check limited to a path matcher (basic_auth /admin/ then `*`): the requests it takes. */
typedef struct {
	const char *path;
	tm_gw_match match;
	tm_authn authn;
	const char *how;
} scoped_check;

/* What a block passes to the routes inside it. */
typedef struct {
	tm_gw_checks c;
	const char *vhosts;
	const char *path;  /* the enclosing handle's path, or NULL (any) */
	tm_gw_match match;
	const char *plaintext;
	tm_hmap *named;    /* the site's named matchers: @name -> its path */
	const char *strip; /* handle_path's prefix, which the matchers inside do not see; NULL: none */
	scoped_check scoped[SCOPED_MAX]; /* the checks of narrower paths in force */
	size_t nscoped;
} scope;

static tm_loc loc_of(const reader *rd, const tm_cdy_dir *d)
{
	return (tm_loc){rd->path, d->line, d->col, NULL};
}

static const char *where(const reader *rd, const tm_cdy_dir *d)
{
	return tm_gw_where(rd->ctx, d->name, loc_of(rd, d));
}

static bool is_matcher(const char *a)
{
	return a[0] == '/' || a[0] == '@' || strcmp(a, "*") == 0;
}

/* A matcher token's path and how it matches: `*` and the root's prefix any, a path ending in `*` a
 * prefix ("/api/" of "/api/" then `*`), "/x" exactly, "@name" its `path` (any when it has none). */
static const char *path_of(const reader *rd, const scope *sc, const char *m, tm_gw_match *match)
{
	*match = TM_GW_PREFIX;
	if (m[0] == '@') {
		const char *p = sc->named ? tm_hmap_get(sc->named, m + 1, strlen(m + 1)) : NULL;
		m = p && p[0] != '@' ? p : "*";
	}
	if (strcmp(m, "*") == 0 || strcmp(m, "/*") == 0)
		return "/";
	size_t n = strlen(m);
	if (n > 1 && m[n - 1] == '*')
		return tm_arena_strndup(rd->ctx->scratch, m, n - 1);
	*match = TM_GW_EXACT;
	return m;
}

/* An upstream's host:port ("http://app:8080/x" -> "app:8080"); {$VAR} and {$VAR:default} become
 * ${VAR} and ${VAR:-default}; NULL for a unix socket or a placeholder of the request. */
static const char *upstream_host(const reader *rd, const char *u)
{
	const char *p = strstr(u, "://");
	p = p ? p + 3 : u;
	if (strncmp(p, "unix/", 5) == 0)
		return NULL;
	tm_strbuf b = TM_STRBUF_INIT;
	for (const char *q = p; *q && *q != '/' && *q != '?';) {
		if (q[0] == '{' && q[1] == '$') {
			const char *end = strchr(q, '}');
			if (!end)
				break;
			const char *colon = memchr(q, ':', (size_t)(end - q));
			if (colon)
				tm_strbuf_printf(&b, "${%.*s:-%.*s}", (int)(colon - q - 2), q + 2, (int)(end - colon - 1), colon + 1);
			else
				tm_strbuf_printf(&b, "${%.*s}", (int)(end - q - 2), q + 2);
			q = end + 1;
		} else if (q[0] == '{') { /* {http.request.host} and the like: not a service */
			tm_strbuf_dispose(&b);
			return NULL;
		} else {
			tm_strbuf_putc(&b, *q++);
		}
	}
	const char *out = b.len && !b.oom ? tm_arena_strdup(rd->ctx->scratch, b.data) : NULL;
	tm_strbuf_dispose(&b);
	return out;
}

/* Does prefix p (as a route's prefix matches: at a '/' or the path's end) take path q? */
static bool prefix_takes(const char *p, const char *q)
{
	size_t pl = strlen(p);
	return strncmp(p, q, pl) == 0 && (pl == 0 || p[pl - 1] == '/' || q[pl] == '\0' || q[pl] == '/');
}

/* Does the scoped check s take every request of a route (path, match)? */
static bool covers(const scoped_check *s, const char *path, tm_gw_match match)
{
	if (s->match == TM_GW_EXACT)
		return match == TM_GW_EXACT && strcmp(s->path, path) == 0;
	return (match == TM_GW_PREFIX || match == TM_GW_EXACT) && prefix_takes(s->path, path);
}

/* Does the scoped check s take some requests of a route (path, match), a narrower path of it? */
static bool narrows(const scoped_check *s, const char *path, tm_gw_match match)
{
	return match == TM_GW_PREFIX && prefix_takes(path, s->path) && !covers(s, path, match);
}

static void route_at(const reader *rd, const scope *sc, const char *path, tm_gw_match match, const char *host,
		     const tm_gw_checks *c, const tm_cdy_dir *at)
{
	tm_gw_route *r = tm_gw_route_new(rd->ctx, rd->g, path, match, host, sc->vhosts, c, loc_of(rd, at));
	if (r)
		r->plaintext_at = sc->plaintext;
}

/* A route to upstream for (path, match), with the block's checks; a path-scoped check taking all of
 * it checks it too, and one taking a narrower path is a route of that path (the longest prefix takes
 * a request: the route_checks query.c reads). */
static void route(const reader *rd, const scope *sc, const char *path, tm_gw_match match, const char *upstream,
		  const tm_cdy_dir *at)
{
	const char *host = upstream_host(rd, upstream);
	if (!host)
		return;
	tm_gw_checks c = sc->c;
	for (size_t i = 0; i < sc->nscoped; i++)
		if (c.authn == TM_AUTHN_NONE && covers(&sc->scoped[i], path, match)) {
			c.authn = sc->scoped[i].authn;
			c.authn_how = sc->scoped[i].how;
		}
	route_at(rd, sc, path, match, host, &c, at);
	for (size_t i = 0; c.authn == TM_AUTHN_NONE && i < sc->nscoped; i++) {
		if (!narrows(&sc->scoped[i], path, match))
			continue;
		tm_gw_checks n = c;
		n.authn = sc->scoped[i].authn;
		n.authn_how = sc->scoped[i].how;
		route_at(rd, sc, sc->scoped[i].path, sc->scoped[i].match, host, &n, at);
	}
}

/* reverse_proxy [matcher] upstreams... { to upstreams... } */
static void proxy(const reader *rd, const scope *sc, const tm_cdy_dir *d)
{
	size_t i = 0;
	tm_gw_match match = sc->match;
	const char *path = sc->path ? sc->path : "/";
	if (d->nargs && is_matcher(d->args[0])) {
		path = path_of(rd, sc, d->args[0], &match);
		i = 1;
	}
	if (!path)
		return;
	for (; i < d->nargs; i++)
		route(rd, sc, path, match, d->args[i], d);
	for (size_t k = 0; k < d->nkids; k++)
		if (strcmp(d->kids[k].name, "to") == 0)
			for (size_t j = 0; j < d->kids[k].nargs; j++)
				route(rd, sc, path, match, d->kids[k].args[j], &d->kids[k]);
}

/* Does a check directive apply to every request of its block (no matcher, `*`, the root's prefix)? */
static bool whole_block(const tm_cdy_dir *d)
{
	return !d->nargs || !is_matcher(d->args[0]) || strcmp(d->args[0], "*") == 0 || strcmp(d->args[0], "/*") == 0;
}

static void body(reader *rd, const tm_cdy_dir *b, scope sc, int depth, bool ordered);

/* The snippet `import NAME` expands, or NULL: unknown, already being expanded (a cycle), nested
 * deeper than IMPORT_DEPTH_MAX, or past the file's budget of expansions. */
static const tm_cdy_dir *snippet(reader *rd, const tm_cdy_dir *d)
{
	if (!d->nargs || rd->nexpanding >= IMPORT_DEPTH_MAX || rd->imports >= IMPORTS_MAX)
		return NULL;
	const tm_cdy_dir *sn = tm_hmap_get(&rd->snippets, d->args[0], strlen(d->args[0]));
	for (size_t i = 0; sn && i < rd->nexpanding; i++)
		if (rd->expanding[i] == sn)
			return NULL;
	if (sn)
		rd->imports++;
	return sn;
}

/* A named matcher's path: `@name path P` (or a block holding `path P`) with that one path alone;
 * any other (several paths, `not`, other conditions): "*", any path, as the routes take it. */
static const char *named_path(const tm_cdy_dir *d)
{
	if (d->nargs == 2 && strcmp(d->args[0], "path") == 0 && !d->nkids)
		return d->args[1];
	if (!d->nargs && d->nkids == 1 && strcmp(d->kids[0].name, "path") == 0 && d->kids[0].nargs == 1)
		return d->kids[0].args[0];
	return "*";
}

/* Caddy 1: proxy FROM UPSTREAM... { upstream UPSTREAM... }, FROM a prefix. */
static void proxy_v1(const reader *rd, const scope *sc, const tm_cdy_dir *d)
{
	const char *path = d->nargs ? d->args[0] : NULL;
	if (!path || path[0] != '/')
		return;
	for (size_t i = 1; i < d->nargs; i++)
		route(rd, sc, path, TM_GW_PREFIX, d->args[i], d);
	for (size_t k = 0; k < d->nkids; k++)
		if (strcmp(d->kids[k].name, "upstream") == 0)
			for (size_t j = 0; j < d->kids[k].nargs; j++)
				route(rd, sc, path, TM_GW_PREFIX, d->kids[k].args[j], &d->kids[k]);
}

/* Does a Caddy 1 check cover the whole site: its path `/`, or none? basicauth [PATH] USER PASS (a
 * block listing the paths instead), jwt PATH or { path PATH }, ipfilter PATH {...}. */
static bool whole_site_v1(const tm_cdy_dir *d)
{
	const char *path = NULL;
	if (strcmp(d->name, "basicauth") == 0) {
		if (d->nargs == 3)
			path = d->args[0];
		for (size_t k = 0; d->nargs == 2 && k < d->nkids && !path; k++)
			path = strcmp(d->kids[k].name, "/") == 0 ? "/" : NULL;
		return d->nargs == 3 ? strcmp(path, "/") == 0 : d->nargs == 2 && (!d->nkids || path);
	}
	if (d->nargs)
		path = d->args[0];
	for (size_t k = 0; !path && k < d->nkids; k++)
		if (strcmp(d->kids[k].name, "path") == 0 && d->kids[k].nargs)
			path = d->kids[k].args[0];
	return path && strcmp(path, "/") == 0;
}

/* Caddy 1's ipfilter: its allowed ranges (`rule allow`, `ip ...`) as text, or NULL. */
static const char *ipfilter_ranges(const reader *rd, const tm_cdy_dir *d)
{
	bool allow = false;
	tm_strbuf b = TM_STRBUF_INIT;
	for (size_t k = 0; k < d->nkids; k++) {
		const tm_cdy_dir *kd = &d->kids[k];
		if (strcmp(kd->name, "rule") == 0 && kd->nargs)
			allow = strcmp(kd->args[0], "allow") == 0;
		for (size_t j = 0; strcmp(kd->name, "ip") == 0 && j < kd->nargs; j++)
			tm_strbuf_printf(&b, "%s%s", b.len ? " " : "", kd->args[j]);
	}
	const char *out = allow && b.len && !b.oom ? tm_arena_strdup(rd->ctx->scratch, b.data) : NULL;
	tm_strbuf_dispose(&b);
	return out;
}

static bool check_v1(const reader *rd, const tm_cdy_dir *d, scope *sc)
{
	bool basic = strcmp(d->name, "basicauth") == 0, jwt = strcmp(d->name, "jwt") == 0;
	bool ipf = strcmp(d->name, "ipfilter") == 0;
	if ((!basic && !jwt && !ipf) || !whole_site_v1(d))
		return basic || jwt || ipf;
	if (ipf) {
		const char *ranges = ipfilter_ranges(rd, d);
		if (ranges) {
			sc->c.restrict_how = tm_arena_printf(rd->ctx->scratch, "caddy ipfilter %s at %s:%u", ranges, rd->path, d->line);
			sc->c.private_only = tm_policy__private_ranges(ranges);
		}
		return true;
	}
	sc->c.authn = basic ? TM_AUTHN_BASIC : TM_AUTHN_JWT;
	sc->c.authn_how = where(rd, d);
	return true;
}

/* A check limited to its matcher's path (basic_auth /admin/ then `*`) into sc's scoped checks: the
 * path as the request has it (under handle_path, the stripped prefix in front). A named matcher
 * that is no single path (a header, an address, several paths) is not weighed: said in a note, the
 * routes taken as not checked. */
static void scoped_of(const reader *rd, const tm_cdy_dir *d, scope *sc, tm_authn authn)
{
	tm_gw_match match;
	const char *m = d->args[0];
	const char *named = m[0] == '@' && sc->named ? tm_hmap_get(sc->named, m + 1, strlen(m + 1)) : NULL;
	if (m[0] == '@' && (!named || named[0] != '/')) {
		tm_diag_add(rd->ctx->diags, 0, TM_LEVEL_NOTE, loc_of(rd, d),
			    "%s %s: its matcher is no single path (a host, header or address condition, or several "
			    "paths), which is not read; the routes are taken as not checked by it",
			    d->name, m);
		return;
	}
	const char *path = path_of(rd, sc, m, &match);
	if (path && sc->strip) {
		size_t sl = strlen(sc->strip);
		path = tm_arena_printf(rd->ctx->scratch, "%.*s%s", (int)(sl && sc->strip[sl - 1] == '/' ? sl - 1 : sl),
				       sc->strip, path);
	}
	if (!path)
		return;
	if (sc->nscoped == SCOPED_MAX) {
		tm_diag_add(rd->ctx->diags, TM_ELIMIT, TM_LEVEL_NOTE, loc_of(rd, d),
			    "%s %s: more than %d path-scoped checks in one block; this one is not weighed", d->name, m,
			    SCOPED_MAX);
		return;
	}
	sc->scoped[sc->nscoped++] = (scoped_check){path, match, authn, where(rd, d)};
}

/* A check directive (basic_auth, forward_auth) into sc: for the whole block, or for its matcher's
 * path. */
static bool check_of(const reader *rd, const tm_cdy_dir *d, scope *sc)
{
	if (rd->v1)
		return check_v1(rd, d, sc);
	bool basic = strcmp(d->name, "basic_auth") == 0 || strcmp(d->name, "basicauth") == 0;
	if (!basic && strcmp(d->name, "forward_auth") != 0)
		return false;
	tm_authn authn = basic ? TM_AUTHN_BASIC : TM_AUTHN_UNKNOWN;
	if (!whole_block(d)) {
		scoped_of(rd, d, sc, authn);
		return true;
	}
	sc->c.authn = authn;
	sc->c.authn_how = where(rd, d);
	/* forward_auth [matcher] UPSTREAM: the service it asks */
	sc->c.authz_upstream = !basic && d->nargs ? upstream_host(rd, d->args[is_matcher(d->args[0]) && d->nargs > 1]) : NULL;
	return true;
}

/* The block's named matchers, and unless ordered its checks (Caddy orders a site's or handle's
 * directives itself: basic_auth runs before reverse_proxy wherever it is written; a `route` block
 * runs them as written). */
static scope settle(reader *rd, const tm_cdy_dir *b, scope sc, bool ordered)
{
	for (size_t i = 0; i < b->nkids; i++) {
		const tm_cdy_dir *d = &b->kids[i];
		if (d->name[0] == '@' && d->name[1] && sc.named) {
			const char *p = named_path(d);
			if (!tm_hmap_get(sc.named, d->name + 1, strlen(d->name + 1)) &&
			    tm_hmap_put(sc.named, d->name + 1, strlen(d->name + 1), (void *)p))
				tm_arena_set_failed(rd->ctx->scratch);
		} else if (!ordered && check_of(rd, d, &sc)) {
			/* settled */
		} else if (!ordered && strcmp(d->name, "import") == 0) {
			const tm_cdy_dir *sn = snippet(rd, d);
			if (sn) {
				rd->expanding[rd->nexpanding++] = sn;
				sc = settle(rd, sn, sc, false);
				rd->nexpanding--;
			}
		}
	}
	return sc;
}

static void body(reader *rd, const tm_cdy_dir *b, scope sc, int depth, bool ordered)
{
	sc = settle(rd, b, sc, ordered);
	for (size_t i = 0; i < b->nkids; i++) {
		const tm_cdy_dir *d = &b->kids[i];
		if (ordered && check_of(rd, d, &sc))
			continue; /* in a route block, for what follows it */
		if (rd->v1 && strcmp(d->name, "proxy") == 0) {
			proxy_v1(rd, &sc, d);
		} else if (strcmp(d->name, "reverse_proxy") == 0 || strcmp(d->name, "php_fastcgi") == 0) {
			proxy(rd, &sc, d);
		} else if ((strcmp(d->name, "handle") == 0 || strcmp(d->name, "route") == 0 ||
			    strcmp(d->name, "handle_path") == 0) && d->block && depth < TM_CDY_MAX_DEPTH) {
			scope in = sc;
			if (d->nargs && is_matcher(d->args[0]))
				in.path = path_of(rd, &sc, d->args[0], &in.match);
			if (in.path && strcmp(d->name, "handle_path") == 0)
				in.strip = in.path; /* its matchers see the path without it */
			if (in.path || !d->nargs)
				body(rd, d, in, depth + 1, strcmp(d->name, "route") == 0);
		} else if (strcmp(d->name, "import") == 0) {
			const tm_cdy_dir *sn = snippet(rd, d);
			if (sn) { /* its routes and blocks, with the checks settled above (or as written here) */
				rd->expanding[rd->nexpanding++] = sn;
				body(rd, sn, sc, depth + 1, ordered);
				rd->nexpanding--;
			}
		}
	}
}

/* A site's addresses (its name and arguments, commas between them): its hosts, and whether every
 * address is served over TLS. */
static void site(reader *rd, const tm_cdy_dir *s, const tm_cdy_dir *body_of, bool pass)
{
	tm_strbuf hosts = TM_STRBUF_INIT, plain = TM_STRBUF_INIT;
	bool tls = false, plaintext = false;
	for (size_t i = 0; i <= s->nargs; i++) {
		const char *a = i ? s->args[i - 1] : s->name;
		char addr[512];
		tm_formatf(addr, sizeof(addr), "%s", a);
		for (char *save = NULL, *t = strtok_r(addr, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			bool https = strncmp(t, "https://", 8) == 0, http = strncmp(t, "http://", 7) == 0;
			const char *h = https ? t + 8 : http ? t + 7 : t;
			size_t hl = strcspn(h, ":/");
			const char *port = h[hl] == ':' ? h + hl + 1 : NULL;
			size_t pl = port ? strcspn(port, "/") : 0;
			bool http_port = port && pl == 2 && strncmp(port, "80", 2) == 0; /* Caddy's HTTP port: plaintext */
			bool on = https || (!http && !http_port &&
					    (hl ? !rd->auto_https_off : port && pl == 3 && strncmp(port, "443", 3) == 0));
			if (pass)
				tm_gw_config_fact(rd->ctx, rd->g, "listeners", t, loc_of(rd, s));
			tls = tls || on;
			if (!on) {
				plaintext = true;
				tm_strbuf_printf(&plain, "%s%s", plain.len ? ", " : "", t);
			}
			if (hl && !(hl == 1 && h[0] == '*'))
				tm_strbuf_printf(&hosts, "%s%.*s", hosts.len ? " " : "", (int)hl, h);
		}
	}
	for (size_t i = 0; body_of && i < body_of->nkids; i++) /* `tls internal`, a certificate: TLS */
		if (strcmp(body_of->kids[i].name, "tls") == 0 && (!body_of->kids[i].nargs || strcmp(body_of->kids[i].args[0], "off") != 0))
			tls = true, plaintext = false;
	if (!pass) {
		rd->some_tls = rd->some_tls || tls;
	} else if (body_of) {
		tm_hmap named = TM_HMAP_INIT;
		scope sc;
		memset(&sc, 0, sizeof(sc));
		sc.c = (tm_gw_checks)TM_GW_CHECKS_NONE;
		sc.vhosts = hosts.len && !hosts.oom ? tm_arena_strdup(rd->ctx->scratch, hosts.data) : NULL;
		sc.match = TM_GW_PREFIX;
		sc.named = &named;
		if (plaintext && rd->some_tls && !plain.oom) {
			sc.plaintext = tm_arena_strdup(rd->ctx->scratch, plain.data);
			tm_gw_config_fact(rd->ctx, rd->g, "plaintext_listeners", plain.data, loc_of(rd, s));
		}
		body(rd, body_of, sc, 0, false);
		tm_hmap_dispose(&named);
	}
	if (hosts.oom || plain.oom)
		tm_arena_set_failed(rd->ctx->scratch);
	tm_strbuf_dispose(&hosts);
	tm_strbuf_dispose(&plain);
}

void tm_ingest__caddy_text(tm_ingest_ctx *ctx, const char *display, const char *text, size_t len)
{
	tm_cdy_dir root;
	if (tm_cdy_parse(ctx->scratch, display, text, len, 1, ctx->diags, &root) == TM_ENOMEM) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	tm_loc at = {display, 1, 1, NULL};
	tm_gw_config *g = tm_gw_config_new(ctx, "caddy", display, at, tm_hash(text, len));
	if (!g)
		return;
	reader rd;
	memset(&rd, 0, sizeof(rd));
	rd.ctx = ctx;
	rd.g = g;
	rd.path = display;
	/* the global options, the snippets, then the sites: blocks, or one site without braces */
	size_t first_site = root.nkids;
	for (size_t i = 0; i < root.nkids; i++) {
		const tm_cdy_dir *d = &root.kids[i];
		size_t n = strlen(d->name);
		if (!*d->name && d->block) {
			for (size_t k = 0; k < d->nkids; k++)
				if (strcmp(d->kids[k].name, "auto_https") == 0 && d->kids[k].nargs &&
				    strcmp(d->kids[k].args[0], "off") == 0)
					rd.auto_https_off = true;
		} else if (n > 2 && d->name[0] == '(' && d->name[n - 1] == ')' && d->block) {
			if (tm_hmap_put(&rd.snippets, d->name + 1, n - 2, (void *)d))
				tm_arena_set_failed(ctx->scratch);
		} else if (first_site == root.nkids && d->name[0] != '&') {
			first_site = i;
		}
	}
	bool braceless = first_site < root.nkids && !root.kids[first_site].block;
	/* Caddy 1: a site's `proxy` (no such directive in Caddy 2) */
	const tm_cdy_dir *v1 = NULL;
	for (size_t i = first_site; i < root.nkids && !v1; i++) {
		const tm_cdy_dir *d = &root.kids[i];
		if (braceless && strcmp(d->name, "proxy") == 0)
			v1 = d;
		for (size_t k = 0; d->block && k < d->nkids && !v1; k++)
			v1 = strcmp(d->kids[k].name, "proxy") == 0 ? &d->kids[k] : NULL;
	}
	rd.v1 = v1 != NULL;
	if (v1)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc_of(&rd, v1),
			    "%s is a Caddy 1 Caddyfile (proxy): read as Caddy 1 reads it (proxy, basicauth, jwt, "
			    "ipfilter); its other directives are not read",
			    display);
	tm_cdy_dir rest = {"", NULL, 0, 0, 0, true, NULL, 0};
	if (braceless) { /* one site: the directives after its addresses are its body */
		rest.kids = root.kids + first_site + 1;
		rest.nkids = root.nkids - first_site - 1;
	}
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			tm_gw_config_set_tls(g, rd.some_tls);
		for (size_t i = first_site; i < root.nkids; i++) {
			const tm_cdy_dir *d = &root.kids[i];
			size_t n = strlen(d->name);
			if (!*d->name || d->name[0] == '&' || (n > 2 && d->name[0] == '(' && d->name[n - 1] == ')'))
				continue;
			site(&rd, d, braceless ? &rest : d->block ? d : NULL, pass == 1);
			if (braceless)
				break;
		}
	}
	tm_hmap_dispose(&rd.snippets);
}
