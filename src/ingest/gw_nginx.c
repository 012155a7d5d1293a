/*
 * gw_nginx.c - nginx (and OpenResty) configuration as a gateway: server blocks, their locations and
 * where each forwards.
 *
 *   location [= | ~ | ~* | ^~] path { proxy_pass | grpc_pass | uwsgi_pass | fastcgi_pass ... }
 *       -> one route: exact, regular expression or prefix match of path, to the pass's host; a
 *          host naming an `upstream` block stands for that block's servers (one route each)
 *   server_name                    -> the route's virtual hosts
 *   auth_request, auth_basic, auth_jwt, ssl_verify_client
 *                                  -> what the gateway checks before forwarding
 *   limit_req, limit_conn          -> the route's rate limit
 *   allow ... + deny all           -> an address allow-list
 *   listen ... ssl | quic, ssl on  -> the server takes TLS (listens_of(): per server block)
 *   return (at the server's level, before any rewrite, if or break)
 *                                  -> the server answers every request itself: routes nothing
 * Settings inherit from http to server to location, and a nested location inherits its parent's,
 * as nginx applies them ("auth_basic off" and "auth_request off" switch an inherited check off).
 * TLS is per server block, as Envoy's is per filter chain: the gateway's `tls` says some server
 * takes TLS; on such a gateway each server that also listens without it (`listen 80`, `listen 8080
 * http2`: HTTP/2 in the clear, or no listen at all: nginx's *:80) is a `plaintext_listeners` fact
 * at its first such listen, and its routes name it (plaintext_at). A server that only redirects
 * (`return 301 https://...`) routes nothing and is no such fact.
 * `include` is not followed (the included file, when scanned, is read on its own): a server
 * without a listen of its own but with an include says nothing of its TLS, unless it names an
 * ssl_certificate (then it is taken to listen with TLS, as the include most likely says).
 */
#include <stdio.h>

#include "model/policy.h"
#include "ingest.h"
#include "parse/nginx.h"

typedef struct {
	tm_ingest_ctx *ctx;
	tm_gw_config *g;
	const char *path;     /* for locations */
	const tm_ngx_dir *http; /* for upstream blocks */
	const tm_ngx_dir *root;
	tm_hmap ctx_upstreams;  /* upstream name -> its block */
	bool some_tls;          /* some server of the file takes TLS */
} reader;

/* What a block sets that its children inherit. */
typedef struct {
	tm_gw_checks c;
	const char *vhosts;
	bool ssl_on;           /* legacy `ssl on;`: every listen of the server takes TLS */
	const char *plaintext; /* the server's listens without TLS, on a gateway with TLS elsewhere */
} inherited;

static tm_loc loc_of(const reader *rd, const tm_ngx_dir *d)
{
	tm_loc l = {rd->path, d->line, d->col, NULL};
	return l;
}

static char *joined(tm_arena *a, const tm_ngx_dir *d, size_t from)
{
	tm_strbuf b = TM_STRBUF_INIT;
	for (size_t i = from; i < d->nargs; i++) {
		if (i > from)
			tm_strbuf_putc(&b, ' ');
		tm_strbuf_puts(&b, d->args[i]);
	}
	char *s = b.oom ? NULL : tm_arena_strdup(a, b.data ? b.data : "");
	tm_strbuf_dispose(&b);
	return s;
}

static const char *where(const reader *rd, const tm_ngx_dir *d)
{
	char *args = joined(rd->ctx->scratch, d, 0);
	char *what = tm_arena_printf(rd->ctx->scratch, "%s%s%s", d->name, args && *args ? " " : "", args ? args : "");
	return tm_gw_where(rd->ctx, what ? what : d->name, loc_of(rd, d));
}

/* Apply the settings of block b over what it inherited. */
static inherited settle(const reader *rd, const tm_ngx_dir *b, inherited in)
{
	const tm_ngx_dir *allow = NULL;
	bool deny_all = false, allow_private = true; /* every allow a private range (no internet client) */
	for (size_t i = 0; i < b->nkids; i++) {
		const tm_ngx_dir *d = &b->kids[i];
		const char *a0 = d->nargs ? d->args[0] : "";
		if (strcmp(d->name, "auth_request") == 0 || strcmp(d->name, "auth_basic") == 0 ||
		    strcmp(d->name, "auth_jwt") == 0) {
			if (strcmp(a0, "off") == 0) {
				in.c.authn = TM_AUTHN_NONE;
				in.c.authn_how = NULL;
			} else {
				in.c.authn = strcmp(d->name, "auth_basic") == 0 ? TM_AUTHN_BASIC
					     : strcmp(d->name, "auth_jwt") == 0 ? TM_AUTHN_JWT
										 : TM_AUTHN_UNKNOWN;
				in.c.authn_how = where(rd, d);
			}
		} else if (strcmp(d->name, "ssl_verify_client") == 0 && strcmp(a0, "on") == 0) {
			in.c.authn = TM_AUTHN_MTLS;
			in.c.authn_how = where(rd, d);
		} else if (strcmp(d->name, "limit_req") == 0 || strcmp(d->name, "limit_conn") == 0) {
			in.c.rate_how = where(rd, d);
		} else if (strcmp(d->name, "allow") == 0 && strcmp(a0, "all") != 0) {
			if (!allow)
				allow = d;
			allow_private = allow_private && tm_policy__private_cidr(a0);
		} else if (strcmp(d->name, "deny") == 0 && strcmp(a0, "all") == 0) {
			deny_all = true;
		} else if (strcmp(d->name, "server_name") == 0 && d->nargs) {
			in.vhosts = joined(rd->ctx->scratch, d, 0);
		} else if (strcmp(d->name, "ssl") == 0 && d->nargs) {
			in.ssl_on = strcmp(a0, "on") == 0;
		}
	}
	if (allow && deny_all) {
		in.c.restrict_how = where(rd, allow);
		in.c.private_only = allow_private;
	}
	return in;
}

/* The servers of `upstream name { server host:port; ... }`, or NULL. */
static const tm_ngx_dir *upstream_block(const reader *rd, const char *name)
{
	return tm_hmap_get(&rd->ctx_upstreams, name, strlen(name));
}

/* Index the upstream blocks (top level and http) by name, once per file. */
static void index_upstreams(reader *rd)
{
	const tm_ngx_dir *scopes[2] = {rd->http, rd->root};
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; scopes[s] && i < scopes[s]->nkids; i++) {
			const tm_ngx_dir *d = &scopes[s]->kids[i];
			if (d->block && strcmp(d->name, "upstream") == 0 && d->nargs &&
			    !tm_hmap_get(&rd->ctx_upstreams, d->args[0], strlen(d->args[0])) &&
			    tm_hmap_put(&rd->ctx_upstreams, d->args[0], strlen(d->args[0]), (void *)d))
				tm_arena_set_failed(rd->ctx->scratch);
		}
}

static void add_route(const reader *rd, const tm_ngx_dir *loc_dir, const char *path, tm_gw_match match,
		      const char *upstream, const inherited *in, const tm_ngx_dir *at, const char *upath)
{
	tm_gw_route *r = tm_gw_route_new(rd->ctx, rd->g, path, match, upstream, in->vhosts, &in->c,
					 loc_of(rd, at ? at : loc_dir));
	if (r) {
		r->plaintext_at = in->plaintext;
		r->upstream_path = upath;
	}
}

/* The URI of `proxy_pass http://host/uri` when it is a fixed path other than the root: nginx puts it
 * in place of what the location matched (an exact location: that path alone; a prefix: that path
 * and below it). NULL without one, with a variable in it, or under a regular-expression location
 * or a rewrite, which send something else. */
static const char *pass_uri(tm_arena *a, const tm_ngx_dir *loc, const tm_ngx_dir *pass, tm_gw_match match)
{
	const char *p = strcmp(pass->name, "proxy_pass") == 0 ? strstr(pass->args[0], "://") : NULL;
	if (!p || match == TM_GW_REGEX || tm_ngx_find(loc, "rewrite"))
		return NULL;
	p += 3 + strcspn(p + 3, "/?");
	size_t n = strcspn(p, "?#");
	if (*p != '/' || memchr(p, '$', n) || !p[strspn(p, "/")] || strspn(p, "/") >= n)
		return NULL;
	return tm_arena_strndup(a, p, n);
}

/* The host part of a pass target ("http://backend:8000/x", "unix:/run/x.sock", "backend:9000"). */
static const char *pass_host(tm_arena *a, const char *target)
{
	const char *p = strstr(target, "://");
	p = p ? p + 3 : target;
	if (strncmp(p, "unix:", 5) == 0)
		return NULL;
	size_t n = strcspn(p, "/:?");
	if (p[n] == ':' && p[0] == '$' && p[1] == '{') /* ${VAR}:port */
		n = strcspn(p, "/?");
	return n ? tm_arena_strndup(a, p, strcspn(p, "/?")) : NULL;
}

static void location(const reader *rd, const tm_ngx_dir *d, inherited in)
{
	if (!d->nargs)
		return;
	const char *mod = d->nargs > 1 ? d->args[0] : "";
	const char *path = d->args[d->nargs > 1 ? 1 : 0];
	tm_gw_match match = TM_GW_PREFIX;
	if (strcmp(mod, "=") == 0)
		match = TM_GW_EXACT;
	else if (strcmp(mod, "~") == 0 || strcmp(mod, "~*") == 0)
		match = TM_GW_REGEX;
	else if (path[0] == '@')
		return; /* a named location: reached only by an internal redirect */
	in = settle(rd, d, in);
	/* `internal`: reached only by the server's own subrequests (auth_request, error_page) */
	bool internal = tm_ngx_find(d, "internal") != NULL;
	for (size_t i = 0; i < d->nkids; i++) {
		const tm_ngx_dir *k = &d->kids[i];
		if (k->block && strcmp(k->name, "location") == 0) {
			location(rd, k, in);
			continue;
		}
		if (internal)
			continue;
		if (!k->nargs || (strcmp(k->name, "proxy_pass") != 0 && strcmp(k->name, "grpc_pass") != 0 &&
				  strcmp(k->name, "uwsgi_pass") != 0 && strcmp(k->name, "fastcgi_pass") != 0))
			continue;
		const char *host = pass_host(rd->ctx->scratch, k->args[0]);
		if (!host)
			continue;
		/* proxy_pass http://localhost:3500/v1.0/invoke/<app>/method/: the app, through a Dapr sidecar */
		const char *app = tm_gw_dapr_app(rd->ctx->scratch, host, k->args[0]);
		if (app) {
			add_route(rd, d, path, match, app, &in, k, NULL);
			continue;
		}
		const char *upath = pass_uri(rd->ctx->scratch, d, k, match);
		char name[256];
		tm_formatf(name, sizeof(name), "%.*s", (int)strcspn(host, ":"), host);
		const tm_ngx_dir *up = upstream_block(rd, name);
		size_t servers = 0;
		for (size_t s = 0; up && s < up->nkids; s++) {
			const tm_ngx_dir *sv = &up->kids[s];
			if (strcmp(sv->name, "server") == 0 && sv->nargs) {
				add_route(rd, d, path, match, sv->args[0], &in, sv, upath);
				servers++;
			}
		}
		if (!servers)
			add_route(rd, d, path, match, host, &in, k, upath);
	}
}

/* A server block's listening sockets, as nginx opens them (ngx_http_core_module `listen`): a listen
 * with `ssl` or `quic` (`http3` before 1.25) takes TLS, every one under `ssl on`; `http2` alone is
 * HTTP/2 in the clear; a unix socket is the host's own. No listen: *:80 (an include may hold it). */
typedef struct {
	bool tls;                /* some listen takes TLS */
	const tm_ngx_dir *plain; /* the first listen without TLS (the server itself for *:80), or NULL */
	const char *plain_desc;  /* "listen 80, [::]:80 (example.com)" */
	bool answers;            /* a server-level return answers every request: nothing is routed */
} listens;

static bool tls_param(const tm_ngx_dir *d)
{
	for (size_t a = 1; a < d->nargs; a++)
		if (strcmp(d->args[a], "ssl") == 0 || strcmp(d->args[a], "quic") == 0 || strcmp(d->args[a], "http3") == 0)
			return true;
	return false;
}

static listens listens_of(const reader *rd, const tm_ngx_dir *srv, const inherited *in)
{
	listens l = {false, NULL, NULL, false};
	tm_strbuf b = TM_STRBUF_INIT;
	bool any = false, include = false, certificate = false, rewrite = false;
	for (size_t i = 0; i < srv->nkids; i++) {
		const tm_ngx_dir *d = &srv->kids[i];
		if (strcmp(d->name, "include") == 0) {
			include = true;
		} else if (strcmp(d->name, "ssl_certificate") == 0) {
			certificate = true;
		} else if (strcmp(d->name, "rewrite") == 0 || strcmp(d->name, "if") == 0 || strcmp(d->name, "break") == 0) {
			rewrite = true; /* `rewrite ... last` or `break` may reach a location before a return */
		} else if (strcmp(d->name, "return") == 0 && !rewrite) {
			l.answers = true;
		} else if (strcmp(d->name, "listen") == 0 && d->nargs) {
			any = true;
			if (strncmp(d->args[0], "unix:", 5) == 0)
				continue;
			if (in->ssl_on || tls_param(d)) {
				l.tls = true;
				continue;
			}
			tm_strbuf_puts(&b, l.plain ? ", " : "listen ");
			tm_strbuf_puts(&b, d->args[0]);
			if (!l.plain)
				l.plain = d;
		}
	}
	if (!any && include) {
		l.tls = certificate; /* the listen is in the include: said nothing of, but a certificate */
	} else if (!any) {
		l.tls = in->ssl_on;
		if (!l.tls) {
			l.plain = srv;
			tm_strbuf_puts(&b, "default listen *:80");
		}
	}
	if (l.plain && in->vhosts && strcmp(in->vhosts, "_") != 0)
		tm_strbuf_printf(&b, " (%s)", in->vhosts);
	l.plain_desc = l.plain && !b.oom && b.data ? tm_arena_strdup(rd->ctx->scratch, b.data) : NULL;
	if (b.oom)
		tm_arena_set_failed(rd->ctx->scratch);
	tm_strbuf_dispose(&b);
	return l;
}

static void server(const reader *rd, const tm_ngx_dir *srv, inherited in)
{
	in = settle(rd, srv, in);
	listens l = listens_of(rd, srv, &in);
	if (rd->some_tls && l.plain && !l.answers) {
		in.plaintext = l.plain_desc;
		tm_gw_config_fact(rd->ctx, rd->g, "plaintext_listeners", l.plain_desc, loc_of(rd, l.plain));
	}
	for (size_t i = 0; i < srv->nkids; i++) {
		const tm_ngx_dir *d = &srv->kids[i];
		if (d->block && strcmp(d->name, "location") == 0 && !l.answers)
			location(rd, d, in);
		else if (strcmp(d->name, "listen") == 0)
			tm_gw_config_fact(rd->ctx, rd->g, "listeners", joined(rd->ctx->scratch, d, 0), loc_of(rd, d));
	}
}

/* A file with no server block of its own (at its top, in http or in stream) listens on nothing: a
 * main nginx.conf whose servers are in the files it includes (each read on its own when scanned),
 * or a snippet of locations and settings. A `no_server` fact says so, at each include (its
 * argument), or at the file's top when it includes nothing: such a file is no way in of its own
 * (TM-MESH-013). */
static void no_server(const reader *rd, const tm_ngx_dir *http, tm_loc top)
{
	const tm_ngx_dir *scopes[3] = {rd->root, http, tm_ngx_find(rd->root, "stream")};
	bool any = false;
	for (size_t s = 0; s < 3 && !any; s++)
		for (size_t i = 0; scopes[s] && i < scopes[s]->nkids && !any; i++)
			any = scopes[s]->kids[i].block && strcmp(scopes[s]->kids[i].name, "server") == 0;
	if (any)
		return;
	size_t said = 0;
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; scopes[s] && i < scopes[s]->nkids; i++) {
			const tm_ngx_dir *d = &scopes[s]->kids[i];
			if (d->block || strcmp(d->name, "include") != 0 || !d->nargs)
				continue;
			tm_gw_config_fact(rd->ctx, rd->g, "no_server", tm_arena_printf(rd->ctx->scratch, "include %s", d->args[0]),
					  loc_of(rd, d));
			said++;
		}
	if (!said)
		tm_gw_config_fact(rd->ctx, rd->g, "no_server", "no server block", top);
}

void tm_ingest__nginx_text(tm_ingest_ctx *ctx, const char *display, const char *text, size_t len,
			   const char *loc_path, uint32_t line_base, uint32_t col_offset, tm_node *host)
{
	tm_ngx_dir root;
	if (tm_ngx_parse(ctx->scratch, loc_path ? loc_path : display, text, len, line_base + 1, col_offset, ctx->diags,
			 &root) == TM_ENOMEM) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	const tm_ngx_dir *http = tm_ngx_find(&root, "http");
	tm_loc at = {loc_path ? loc_path : display, line_base + 1, col_offset + 1, NULL};
	tm_gw_config *g = tm_gw_config_new(ctx, "nginx", display, at, tm_hash(text, len));
	if (!g)
		return;
	tm_gw_config_host(ctx, g, host);
	reader rd = {ctx, g, at.path, http, &root, TM_HMAP_INIT, false};
	index_upstreams(&rd);
	inherited in = {TM_GW_CHECKS_NONE, NULL, false, NULL};
	const tm_ngx_dir *scopes[2] = {&root, http};
	/* TLS first: a server without it is worth saying only beside one with it */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			tm_gw_config_set_tls(g, rd.some_tls);
		for (size_t s = 0; s < 2; s++) {
			if (!scopes[s])
				continue;
			inherited here = s ? settle(&rd, http, in) : in;
			for (size_t i = 0; i < scopes[s]->nkids; i++) {
				const tm_ngx_dir *srv = &scopes[s]->kids[i];
				if (!srv->block || strcmp(srv->name, "server") != 0)
					continue;
				if (pass == 1) {
					server(&rd, srv, here);
					continue;
				}
				inherited own = settle(&rd, srv, here);
				rd.some_tls = rd.some_tls || listens_of(&rd, srv, &own).tls;
			}
		}
	}
	no_server(&rd, http, at);
	tm_hmap_dispose(&rd.ctx_upstreams);
}
