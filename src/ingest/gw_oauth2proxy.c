/*
 * gw_oauth2proxy.c - oauth2-proxy as a gateway: the upstreams it forwards to, behind its login.
 *
 * oauth2-proxy in its proxy mode sits in front of applications: a request without its session
 * cookie (or, with skip_jwt_bearer_tokens, a bearer token of its issuer) is sent to the identity
 * provider's login; one with it is forwarded to the upstream its path selects. Each upstream is a
 * route of a gateway "oauth2-proxy" whose check is an OAuth2/OIDC login (TM_AUTHN_OAUTH2, named
 * with the provider), enforced at the gateway; where it runs is found as for the other gateways
 * (gateway.c: the compose service bind-mounting the file, the workloads mounting the ConfigMap).
 *
 * Read from three places, each its own configuration (flags override the file in oauth2-proxy;
 * here each source's routes carry that source's skip-auth settings):
 *   the file (oauth2-proxy.cfg and the like, detect.c by name; a ConfigMap value under such a
 *   key, gateway.c): TOML `key = value` lines, a value a "string", a 'string', a [list] of them
 *   (over several lines too) or a bare word
 *   the command line of a container running it (its image is oauth2-proxy's, or a word names the
 *   binary): --upstream, --skip-auth-route, --skip-auth-regex, --skip-auth-preflight, --provider,
 *   --email-domain, --https-address, --tls-cert-file (`--flag=value` or `--flag value`, one dash
 *   too); its environment's OAUTH2_PROXY_<KEY> (flags first)
 * Settings read (a string of a list setting holds comma-separated items, as oauth2-proxy splits
 * them):
 *   upstreams      http(s)://HOST[:PORT][/PATH]  a route: PATH (default /) a prefix, to HOST
 *                  file://DIR[#/PATH]            static files it serves itself: no route, a
 *                                                `static_routes` fact
 *                  static://CODE                 answered by it: an `answered_routes` fact
 *                  unix://, other schemes        no route: a `socket_routes` fact, or a warning
 *   skip_auth_routes [METHOD=]REGEX, skip_auth_regex REGEX
 *                  requests whose path the regex matches pass without the login: a regex route to
 *                  every upstream with no check (query.c tries them first, as oauth2-proxy does);
 *                  a METHOD limits it in oauth2-proxy, read wider here (every method) and said in
 *                  the `skip_auth_routes` fact
 *   skip_auth_preflight  OPTIONS requests pass unauthenticated: a fact
 *   provider       named in the check (google when not set, oauth2-proxy's default)
 *   email_domains  "*": any account of the provider logs in (`login_admits_any_account`)
 *   https_address, tls_cert_file  the gateway serves TLS
 * A file or container with no http(s) upstream (oauth2-proxy behind nginx's auth_request or
 * Traefik's forwardAuth, answering checks only, its upstream static://202 if any) is no gateway. Not read: the alpha configuration (YAML
 * upstreamConfig), `--upstream` given beside a configuration file (each drawn on its own).
 * Work is linear in the text; at most UPS_MAX upstreams and SKIP_MAX skip rules per source (the
 * rest said in a note), so a source makes at most UPS_MAX * (SKIP_MAX + 1) routes.
 */
#include <ctype.h>
#include <strings.h>

#include "ingest.h"

#define UPS_MAX 64
#define SKIP_MAX 32
#define WORDS_MAX 512
#define ITEM_MAX 2048 /* one value's length; longer ones are not read */

struct item {
	const char *v;
	tm_loc at;
};

struct o2p {
	tm_ingest_ctx *ctx;
	struct item ups[UPS_MAX], skips[SKIP_MAX];
	size_t nups, nskips, more;
	struct item provider, preflight, any_email;
	bool tls;
	tm_loc first; /* where the source starts: for a note about it */
};

/* ---- settings ---------------------------------------------------------------------------------- */

static void add_item(struct o2p *o, struct item *list, size_t *n, size_t max, const char *v, size_t len, tm_loc at)
{
	while (len && isspace((unsigned char)*v)) {
		v++;
		len--;
		at.col++;
	}
	while (len && isspace((unsigned char)v[len - 1]))
		len--;
	if (!len)
		return;
	if (*n >= max) {
		o->more++;
		return;
	}
	const char *kept = tm_arena_strndup(o->ctx->scratch, v, len);
	if (kept)
		list[(*n)++] = (struct item){kept, at};
}

/* A setting's value v (one string of it, at at): kept when the setting is one read here. Settings
 * are named as in the file (skip_auth_routes); a list setting's string is split at its commas. */
static void setting(struct o2p *o, const char *key, const char *v, size_t len, tm_loc at)
{
	struct item *list = NULL;
	size_t *n = NULL, max = 0;
	if (strcmp(key, "upstreams") == 0 || strcmp(key, "upstream") == 0) {
		list = o->ups, n = &o->nups, max = UPS_MAX;
	} else if (strcmp(key, "skip_auth_routes") == 0 || strcmp(key, "skip_auth_route") == 0 ||
		   strcmp(key, "skip_auth_regex") == 0) {
		list = o->skips, n = &o->nskips, max = SKIP_MAX;
	} else if (strcmp(key, "provider") == 0 && !o->provider.v) {
		o->provider = (struct item){tm_arena_strndup(o->ctx->scratch, v, len), at};
	} else if (strcmp(key, "skip_auth_preflight") == 0 && len == 4 && strncasecmp(v, "true", 4) == 0) {
		o->preflight = (struct item){"true", at};
	} else if ((strcmp(key, "email_domains") == 0 || strcmp(key, "email_domain") == 0) && len == 1 && *v == '*') {
		o->any_email = (struct item){"*", at};
	} else if ((strcmp(key, "https_address") == 0 || strcmp(key, "tls_cert_file") == 0) && len) {
		o->tls = true;
	}
	for (size_t i = 0; list && i <= len;) { /* comma-separated items */
		size_t k = i;
		while (k < len && v[k] != ',')
			k++;
		tm_loc ia = at;
		ia.col += (uint32_t)i;
		add_item(o, list, n, max, v + i, k - i, ia);
		i = k + 1;
	}
}

/* ---- the routes -------------------------------------------------------------------------------- */

/* The route of one upstream u: its host into *host (in the scratch arena) and its path (a prefix,
 * "/" when it names none); NULL when u is no HTTP upstream, after saying what it is. */
static const char *upstream_route(struct o2p *o, tm_gw_config *g, const struct item *u, const char **host)
{
	tm_ingest_ctx *ctx = o->ctx;
	const char *sep = strstr(u->v, "://");
	size_t sl = sep ? (size_t)(sep - u->v) : 0;
	*host = NULL;
	if (sep && ((sl == 4 && strncasecmp(u->v, "http", 4) == 0) || (sl == 5 && strncasecmp(u->v, "https", 5) == 0) ||
		    (sl == 3 && strncasecmp(u->v, "h2c", 3) == 0))) {
		const char *h = sep + 3;
		size_t hl = strcspn(h, "/?#");
		const char *p = h + hl;
		size_t pl = *p == '/' ? strcspn(p, "?#") : 0;
		if (!hl)
			return NULL;
		*host = tm_arena_strndup(ctx->scratch, h, hl);
		return pl ? tm_arena_strndup(ctx->scratch, p, pl) : "/";
	}
	if (sl == 4 && strncasecmp(u->v, "file", 4) == 0) {
		const char *frag = strchr(u->v, '#');
		tm_gw_config_fact(ctx, g, "static_routes",
				  tm_arena_printf(ctx->scratch, "%s: files of %.*s, served by oauth2-proxy itself",
						  frag && frag[1] ? frag + 1 : "/", (int)(frag ? (size_t)(frag - sep - 3) : strlen(sep + 3)),
						  sep + 3),
				  u->at);
	} else if (sl == 6 && strncasecmp(u->v, "static", 6) == 0) {
		tm_gw_config_fact(ctx, g, "answered_routes", tm_arena_printf(ctx->scratch, "%s (answered by oauth2-proxy)", u->v),
				  u->at);
	} else if (sl == 4 && strncasecmp(u->v, "unix", 4) == 0) {
		tm_gw_config_fact(ctx, g, "socket_routes", u->v, u->at);
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, u->at,
			    "upstream %s is a socket of the host running oauth2-proxy: what listens there is not in the files, "
			    "so the route ends at the proxy",
			    u->v);
	} else {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, u->at,
			    "upstream %s is no upstream oauth2-proxy knows (http://, https://, h2c://, file://, static://, "
			    "unix://): no route is drawn for it",
			    u->v);
	}
	return NULL;
}

/* Does o name an upstream of http, https or h2c (one a route goes to)? Only static answers
 * (static://202, oauth2-proxy answering Traefik's forwardAuth or nginx's auth_request) or files
 * make no gateway. */
static bool routable(const struct o2p *o)
{
	for (size_t i = 0; i < o->nups; i++) {
		const char *u = o->ups[i].v;
		if (strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0 || strncasecmp(u, "h2c://", 6) == 0)
			return true;
	}
	return false;
}

/* g's routes and facts from what o read. */
static void build(struct o2p *o, tm_gw_config *g)
{
	tm_ingest_ctx *ctx = o->ctx;
	tm_gw_config_set_tls(g, o->tls);
	const char *prov = o->provider.v && *o->provider.v ? o->provider.v : "google";
	tm_loc pat = o->provider.v ? o->provider.at : o->ups[0].at;
	const char *what = tm_arena_printf(ctx->scratch, "oauth2-proxy login (provider %s%s)", prov,
					   o->provider.v ? "" : ", its default");
	tm_gw_checks login = TM_GW_CHECKS_NONE;
	login.authn = TM_AUTHN_OAUTH2;
	login.authn_how = what ? tm_gw_where(ctx, what, pat) : NULL;
	if (what)
		tm_gw_config_fact(ctx, g, "login", what, pat);
	if (o->any_email.v)
		tm_gw_config_fact(ctx, g, "login_admits_any_account",
				  tm_arena_printf(ctx->scratch, "email_domains *: any account of the %s provider logs in", prov),
				  o->any_email.at);
	if (o->preflight.v)
		tm_gw_config_fact(ctx, g, "skip_auth_preflight", "OPTIONS requests reach the upstreams without the login",
				  o->preflight.at);
	for (size_t k = 0; k < o->nskips; k++) {
		const char *eq = strchr(o->skips[k].v, '=');
		bool method = eq && eq > o->skips[k].v && strspn(o->skips[k].v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == (size_t)(eq - o->skips[k].v);
		tm_gw_config_fact(ctx, g, "skip_auth_routes",
				  tm_arena_printf(ctx->scratch, "%s%s", o->skips[k].v,
						  method ? " (read for every method: the method is not weighed)" : ""),
				  o->skips[k].at);
	}
	const char *hosts[UPS_MAX];
	size_t nhosts = 0;
	for (size_t i = 0; i < o->nups; i++) {
		const char *host;
		const char *path = upstream_route(o, g, &o->ups[i], &host);
		if (!path || !host)
			continue;
		tm_gw_route_new(ctx, g, path, TM_GW_PREFIX, host, NULL, &login, o->ups[i].at);
		bool seen = false;
		for (size_t h = 0; h < nhosts && !seen; h++)
			seen = strcmp(hosts[h], host) == 0;
		if (!seen)
			hosts[nhosts++] = host;
	}
	/* the skip rules: a regex route with no check to each upstream host */
	tm_gw_checks open = TM_GW_CHECKS_NONE;
	for (size_t k = 0; k < o->nskips; k++) {
		const char *re = o->skips[k].v, *eq = strchr(re, '=');
		if (eq && eq > re && strspn(re, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == (size_t)(eq - re))
			re = eq + 1;
		for (size_t h = 0; *re && h < nhosts; h++)
			tm_gw_route_new(ctx, g, re, TM_GW_REGEX, hosts[h], NULL, &open, o->skips[k].at);
	}
	if (o->more)
		tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_NOTE, o->first,
			    "oauth2-proxy configuration has more than %d upstreams or %d skip-auth rules: %zu more are not read",
			    UPS_MAX, SKIP_MAX, o->more);
}

/* ---- the file ---------------------------------------------------------------------------------- */

struct pos {
	const char *text, *end, *p;
	uint32_t line, col;
	const char *path;
	uint32_t line_base, col_offset;
};

static void advance(struct pos *s)
{
	if (*s->p == '\n') {
		s->line++;
		s->col = 1;
	} else {
		s->col++;
	}
	s->p++;
}

static tm_loc here(const struct pos *s)
{
	return (tm_loc){s->path, s->line + s->line_base, s->col + s->col_offset, NULL};
}

static void skip_blank(struct pos *s, bool newlines)
{
	for (;;) {
		while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || (newlines && *s->p == '\n')))
			advance(s);
		if (newlines && s->p < s->end && *s->p == '#') {
			while (s->p < s->end && *s->p != '\n')
				advance(s);
			continue;
		}
		return;
	}
}

/* One value at s->p: a quoted string, or a bare word up to a blank, ',', ']' or '#'; handed to
 * setting() under key. */
static void value(struct o2p *o, struct pos *s, const char *key)
{
	tm_loc at = here(s);
	const char *v = s->p;
	size_t len;
	if (*s->p == '"' || *s->p == '\'') {
		char q = *s->p;
		advance(s);
		at = here(s);
		v = s->p;
		while (s->p < s->end && *s->p != q && *s->p != '\n') {
			if (*s->p == '\\' && q == '"' && s->p + 1 < s->end && s->p[1] != '\n')
				advance(s); /* an escaped character: kept as written */
			advance(s);
		}
		len = (size_t)(s->p - v);
		if (s->p < s->end && *s->p == q)
			advance(s);
	} else {
		while (s->p < s->end && !strchr(" \t\r\n,]#", *s->p))
			advance(s);
		len = (size_t)(s->p - v);
	}
	if (len <= ITEM_MAX)
		setting(o, key, v, len, at);
}

static void read_cfg(struct o2p *o, struct pos *s)
{
	while (s->p < s->end) {
		skip_blank(s, true);
		if (s->p >= s->end)
			break;
		const char *k = s->p;
		while (s->p < s->end && (isalnum((unsigned char)*s->p) || *s->p == '_' || *s->p == '-'))
			advance(s);
		char key[64];
		size_t kl = (size_t)(s->p - k);
		tm_formatf(key, sizeof(key), "%.*s", (int)(kl < sizeof(key) ? kl : 0), k);
		skip_blank(s, false);
		if (!kl || s->p >= s->end || *s->p != '=') { /* a table header, or no setting: the line is passed */
			while (s->p < s->end && *s->p != '\n')
				advance(s);
			continue;
		}
		advance(s);
		skip_blank(s, false);
		if (s->p < s->end && *s->p == '[') { /* a list, over lines too */
			advance(s);
			for (;;) {
				skip_blank(s, true);
				if (s->p >= s->end || *s->p == ']')
					break;
				if (*s->p == ',') {
					advance(s);
					continue;
				}
				const char *before = s->p;
				value(o, s, key);
				if (s->p == before)
					advance(s); /* a stray character: never stuck */
			}
			if (s->p < s->end)
				advance(s);
		} else if (s->p < s->end) {
			value(o, s, key);
		}
		while (s->p < s->end && *s->p != '\n') /* the rest of the line: a comment */
			advance(s);
	}
}

void tm_ingest__oauth2_proxy_text(tm_ingest_ctx *ctx, const char *display, const char *text, size_t len,
				  const char *loc_path, uint32_t line_base, uint32_t col_offset, tm_node *const *hosts,
				  size_t nhosts)
{
	if (!ctx->gw || memchr(text, '\0', len))
		return;
	struct o2p *o = tm_calloc(1, sizeof(*o));
	if (!o) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	o->ctx = ctx;
	struct pos s = {text, text + len, text, 1, 1, loc_path ? loc_path : display, line_base, col_offset};
	o->first = here(&s);
	read_cfg(o, &s);
	if (routable(o)) {
		tm_gw_config *g = tm_gw_config_new(ctx, "oauth2-proxy", display, o->first, tm_hash(text, len));
		for (size_t h = 0; g && h < nhosts; h++)
			tm_gw_config_host(ctx, g, hosts[h]);
		if (g)
			build(o, g);
	}
	tm_free(o);
}

/* ---- the container that runs it ---------------------------------------------------------------- */

bool tm_ingest__oauth2_proxy_image(const char *image)
{
	if (!image)
		return false;
	const char *slash = strrchr(image, '/');
	const char *repo = slash ? slash + 1 : image;
	return (strncmp(repo, "oauth2-proxy", 12) == 0 || strncmp(repo, "oauth2_proxy", 12) == 0) &&
	       (!repo[12] || repo[12] == ':' || repo[12] == '@');
}

static bool names_binary(const char *w, size_t n)
{
	size_t b = n;
	while (b && w[b - 1] != '/')
		b--;
	return n - b == 12 && (strncmp(w + b, "oauth2-proxy", 12) == 0 || strncmp(w + b, "oauth2_proxy", 12) == 0);
}

/* The flags read, by name, as the file's settings. */
static const char *flag_setting(const char *name, size_t n)
{
	static const char *const flags[][2] = {
		{"upstream", "upstreams"},         {"skip-auth-route", "skip_auth_routes"},
		{"skip-auth-regex", "skip_auth_regex"}, {"skip-auth-preflight", "skip_auth_preflight"},
		{"provider", "provider"},          {"email-domain", "email_domains"},
		{"https-address", "https_address"}, {"tls-cert-file", "tls_cert_file"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(flags); i++)
		if (strlen(flags[i][0]) == n && strncmp(name, flags[i][0], n) == 0)
			return flags[i][1];
	return NULL;
}

/* The words of the items (a `sh -c "..."` string's too), quotes taken off, each at its item's place;
 * false when the command names no oauth2-proxy. */
static bool read_words(struct o2p *o, const tm_cf_item *items, size_t n, bool named)
{
	struct item words[WORDS_MAX];
	size_t nw = 0;
	bool cut = false;
	for (size_t i = 0; i < n && !cut; i++)
		for (const char *p = items[i].key; p && *p;) {
			p += strspn(p, " \t\r\n");
			size_t l = strcspn(p, " \t\r\n");
			const char *w = p;
			p += l;
			while (l && (*w == '"' || *w == '\'')) {
				w++;
				l--;
			}
			while (l && (w[l - 1] == '"' || w[l - 1] == '\'' || w[l - 1] == ';'))
				l--;
			if (!l || l > ITEM_MAX)
				continue;
			named = named || names_binary(w, l);
			if (nw == WORDS_MAX) {
				cut = true;
				break;
			}
			words[nw++] = (struct item){tm_arena_strndup(o->ctx->scratch, w, l), items[i].at};
		}
	if (!named)
		return false;
	for (size_t i = 0; i < nw; i++) {
		const char *w = words[i].v;
		if (!w || w[0] != '-')
			continue;
		const char *f = w + 1 + (w[1] == '-');
		size_t fl = strcspn(f, "=");
		const char *key = flag_setting(f, fl);
		if (!key)
			continue;
		bool boolean = strcmp(key, "skip_auth_preflight") == 0;
		const char *v = f[fl] == '=' ? f + fl + 1 : boolean ? "true" : i + 1 < nw ? words[i + 1].v : NULL;
		tm_loc vat = f[fl] || boolean || i + 1 >= nw ? words[i].at : words[i + 1].at;
		if (!f[fl] && !boolean)
			i++; /* the next word is the value */
		if (v)
			setting(o, key, v, strlen(v), vat);
	}
	if (cut)
		o->more++;
	return true;
}

void tm_ingest__oauth2_proxy_container(tm_ingest_ctx *ctx, tm_node *w, const char *image, const tm_cf_item *words,
				       size_t nwords, const tm_cf_item *env, size_t nenv, tm_loc at)
{
	if (!ctx->gw || !w)
		return;
	struct o2p *o = tm_calloc(1, sizeof(*o));
	if (!o) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	o->ctx = ctx;
	o->first = at;
	if (read_words(o, words, nwords, tm_ingest__oauth2_proxy_image(image))) {
		bool flags_ups = o->nups > 0, flags_skip = o->nskips > 0;
		for (size_t i = 0; i < nenv; i++) { /* OAUTH2_PROXY_<KEY>, where no flag set it */
			const char *k = env[i].key, *v = env[i].value;
			if (!k || !v || strncmp(k, "OAUTH2_PROXY_", 13) != 0 || strlen(k) > 64 || strlen(v) > ITEM_MAX)
				continue;
			char key[64];
			size_t kl = strlen(k + 13);
			for (size_t c = 0; c <= kl; c++)
				key[c] = (char)tolower((unsigned char)k[13 + c]);
			bool ups = strcmp(key, "upstreams") == 0;
			bool skip = strncmp(key, "skip_auth_rout", 14) == 0 || strcmp(key, "skip_auth_regex") == 0;
			if ((ups && flags_ups) || (skip && flags_skip))
				continue;
			setting(o, key, v, strlen(v), env[i].at);
		}
		if (routable(o)) {
			const char *path = tm_arena_printf(ctx->scratch, "%s#%s", at.path ? at.path : "?", tm_node_name(w));
			tm_gw_config *g = path ? tm_gw_config_new(ctx, "oauth2-proxy", path, at, tm_hash(path, strlen(path))) : NULL;
			if (g) {
				tm_gw_config_host(ctx, g, w);
				tm_gw_config_hosted(g, "the workload runs oauth2-proxy with --upstream (or OAUTH2_PROXY_UPSTREAMS)");
				build(o, g);
			}
		}
	}
	tm_free(o);
}

void tm_ingest__oauth2_proxy_k8s(tm_ingest_ctx *ctx, tm_node *w, const tm_file *f, const tm_value *c)
{
	static const char *const needles[] = {"oauth2-proxy", "oauth2_proxy", NULL};
	const char *image = tm_map_get_str(c, "image");
	tm_cf_item *words, *vars;
	size_t n, k;
	bool named;
	if (!ctx->gw || !tm_ingest__k8s_container_items(ctx, f, c, needles, &words, &n, &vars, &k, &named) ||
	    (!tm_ingest__oauth2_proxy_image(image) && !named))
		return;
	tm_ingest__oauth2_proxy_container(ctx, w, image, words, n, vars, k, tm_ingest__loc(f, c));
}
