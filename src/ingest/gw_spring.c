/*
 * gw_spring.c - gateways written in an application's own configuration: Spring Cloud Gateway and
 * Netflix Zuul, in the gateway application's application.yml or .properties (or a file a Spring
 * Cloud Config server serves it).
 *
 * appconfig.c hands every setting of such a file (its key path, value and place) to calls.c, which
 * keeps the ones tm_gw__spring_setting names until it knows whose the file is (the workload its
 * directory, image or config server says). Then it hands them here with their owner
 * (tm_gw__spring_add), a file's settings in a row, and tm_gw__spring_flush makes the file's
 * configuration: one tm_gw_config of type "spring-cloud-gateway" or "zuul", hosted by the file's
 * workloads (with none, gateway.c looks for who runs it as for any gateway file). gateway.c then
 * resolves each upstream as the gateway's own workload would and draws the routes. The calls
 * edges the same uri settings made (calls.c) become the routes' proxied traffic.
 *
 * Spring Cloud Gateway: spring.cloud.gateway[.server.webflux|.mvc|.server.webmvc].routes[N]
 *   uri         lb://NAME (a discovery name: the service of that name), http(s)://, ws(s)://;
 *               forward: and no:// stay in the gateway: no upstream
 *   predicates  Path=/a/\*\*,/b/{id} (the shortcut), or {name: Path, args: {patterns | pattern |
 *               _genkey_N}}: each pattern a prefix up to its first * or {, exact without one; no
 *               Path predicate: every path. Host=... the virtual hosts (**.x.org as *.x.org).
 *               RemoteAddr=... an allow-list of sources.
 *   filters     RequestRateLimiter (the route's, or default-filters) a rate limit.
 *   discovery.locator.enabled: every service registered with discovery is routed at /ID/\*\*; which
 *               ones register is not in the files: a fact on the gateway and a note.
 * Netflix Zuul: zuul.routes.NAME.path with .url or .serviceId (default: NAME), or the shortcut
 *   zuul.routes.NAME: /path/\*\*; zuul.prefix in front of every path.
 * What the gateway checks: Spring Boot's auto-configuration authenticates every request when the
 *   file configures a resource server (spring.security.oauth2.resourceserver.jwt.* -> jwt,
 *   .opaquetoken.* -> oauth2) or a login (spring.security.oauth2.client.* -> oauth2). A security
 *   configuration in code (a SecurityWebFilterChain that opens paths) is not read: the check's
 *   name says so. Spring Boot 1's security.oauth2.* settings take an annotation in code to apply,
 *   so they are not read as a check. Nothing: no check in the configuration.
 * TLS: server.ssl.key-store, .certificate or .bundle set (and server.ssl.enabled not false).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "ingest.h"
#include "model/policy.h"

#define ROUTE_PATTERNS 8 /* arguments read per predicate (path patterns, hosts); more are dropped */
#define ROUTE_PREDS 8    /* predicates read per route */
#define ROUTES_MAX 2048  /* routes read per file; a file with more is cut there, with a note */
#define FILE_OWNERS 8     /* workloads hosting one file's gateway; more are counted as the first ones */

static const char *const scg_prefixes[] = {"spring.cloud.gateway.server.webflux.", "spring.cloud.gateway.server.webmvc.",
					   "spring.cloud.gateway.mvc.", "spring.cloud.gateway."};

struct piece {
	const char *route; /* the route's key: "spring.cloud.gateway.routes[2]", "zuul.routes.auth" */
	const char *rest;  /* the setting after it: ".uri", ".predicates[0].args.patterns[1]", "" */
	const char *value;
	tm_loc at;
	bool zuul;
	struct piece *next;
};

struct tm_gw_spring {
	const char *file;
	const char *last_setting; /* the setting last added: the same one again is another owner's */
	struct piece *head, *tail;
	tm_node *owners[FILE_OWNERS];
	size_t nowners;
	unsigned doc;      /* the document of the file being read (routes[0] of two documents are two routes) */
	size_t nroutes;    /* routes begun, at most ROUTES_MAX */
	bool capped;
	tm_authn authn;
	const char *authn_how, *default_rate, *zuul_prefix;
	bool tls, no_tls, locator;
	tm_loc locator_at;
};

/* The Spring Cloud Gateway prefix setting starts with ("spring.cloud.gateway."), or NULL. */
static const char *scg_prefix(const char *setting)
{
	for (size_t i = 0; i < TM_ARRAY_LEN(scg_prefixes); i++)
		if (strncmp(setting, scg_prefixes[i], strlen(scg_prefixes[i])) == 0)
			return scg_prefixes[i];
	return NULL;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool tm_gw__spring_setting(const char *setting)
{
	if (strcmp(setting, TM_GW_SPRING_DOC) == 0)
		return true;
	const char *p = scg_prefix(setting);
	if (p)
		return starts(setting + strlen(p), "routes[") || starts(setting + strlen(p), "default-filters[") ||
		       starts(setting + strlen(p), "discovery.locator.enabled");
	return starts(setting, "zuul.routes.") || strcmp(setting, "zuul.prefix") == 0 ||
	       strcmp(setting, "spring.application.name") == 0 ||
	       starts(setting, "spring.security.oauth2.resourceserver.") ||
	       starts(setting, "spring.security.oauth2.client.") || starts(setting, "server.ssl.");
}

static bool truthy(const char *v)
{
	return strcasecmp(v, "true") == 0;
}

/* A setting about the whole gateway (its checks, TLS, defaults): read into s; false for a route's. */
static bool gateway_setting(tm_ingest_ctx *ctx, tm_gw_spring *s, const char *setting, const char *value, tm_loc at)
{
	const char *p = scg_prefix(setting);
	const char *rest = p ? setting + strlen(p) : NULL;
	if (rest && starts(rest, "discovery.locator.enabled")) {
		if (truthy(value) && !s->locator) {
			s->locator = true;
			s->locator_at = at;
		}
		return true;
	}
	if (rest && starts(rest, "default-filters[")) {
		if (!s->default_rate && tm_strcasecontains(value, "RequestRateLimiter"))
			s->default_rate = tm_gw_where(ctx, "spring cloud gateway default-filters RequestRateLimiter", at);
		return true;
	}
	if (rest)
		return false;
	if (starts(setting, "zuul.")) {
		if (strcmp(setting, "zuul.prefix") == 0)
			s->zuul_prefix = value;
		return strcmp(setting, "zuul.prefix") == 0;
	}
	if (starts(setting, "server.ssl.")) {
		if (strcmp(setting, "server.ssl.enabled") == 0)
			s->no_tls = s->no_tls || strcasecmp(value, "false") == 0;
		else if (starts(setting, "server.ssl.key-store") || starts(setting, "server.ssl.certificate") ||
			 starts(setting, "server.ssl.bundle"))
			s->tls = true;
		return true;
	}
	/* spring.security.oauth2.*: the first one read names the check */
	if (s->authn_how)
		return true;
	const char *what = NULL;
	tm_authn kind = TM_AUTHN_OAUTH2;
	if (starts(setting, "spring.security.oauth2.resourceserver.jwt.")) {
		kind = TM_AUTHN_JWT;
		what = "a resource server's JWT check";
	} else if (starts(setting, "spring.security.oauth2.resourceserver.opaquetoken.")) {
		what = "a resource server's token introspection";
	} else if (starts(setting, "spring.security.oauth2.client.registration.") ||
		   starts(setting, "spring.security.oauth2.client.provider.")) {
		what = "an OAuth2 login";
	}
	if (what) {
		s->authn = kind;
		s->authn_how = tm_arena_printf(ctx->scratch,
					       "%s, as Spring Security's defaults apply it to every request (%s at %s:%u; "
					       "a security configuration in code may open paths)",
					       what, setting, at.path ? at.path : "?", at.line);
	}
	return true;
}

/* The route a setting belongs to: its key's length ("spring.cloud.gateway.routes[2]",
 * "zuul.routes.auth"), 0 for none. */
static size_t route_key(const char *setting, bool *zuul)
{
	const char *p = scg_prefix(setting);
	*zuul = false;
	if (p && starts(setting + strlen(p), "routes[")) {
		const char *close = strchr(setting + strlen(p), ']');
		return close ? (size_t)(close + 1 - setting) : 0;
	}
	if (!p && starts(setting, "zuul.routes.")) {
		*zuul = true;
		size_t n = strlen("zuul.routes.");
		return setting[n] ? n + strcspn(setting + n, ".") : 0;
	}
	return 0;
}

void tm_gw__spring_add(tm_ingest_ctx *ctx, tm_gw_spring **acc, const char *file, const char *setting, const char *value,
		       tm_loc at, tm_node *owner)
{
	tm_gw_spring *s = *acc;
	if (!s) {
		s = tm_arena_alloc(ctx->scratch, sizeof(*s));
		if (!s)
			return;
		memset(s, 0, sizeof(*s));
		s->file = file;
		*acc = s;
	}
	bool known = false;
	for (size_t i = 0; i < s->nowners; i++)
		known = known || s->owners[i] == owner;
	if (owner && !known && s->nowners < FILE_OWNERS)
		s->owners[s->nowners++] = owner;
	if (setting == s->last_setting) /* the same setting for the file's next owner */
		return;
	s->last_setting = setting;
	if (strcmp(setting, TM_GW_SPRING_DOC) == 0) {
		s->doc++;
		return;
	}
	if (gateway_setting(ctx, s, setting, value, at))
		return;
	bool zuul;
	size_t kl = route_key(setting, &zuul);
	struct piece *pc = kl ? tm_arena_alloc(ctx->scratch, sizeof(*pc)) : NULL;
	if (!pc)
		return;
	*pc = (struct piece){tm_arena_printf(ctx->scratch, "%u\x1f%.*s", s->doc, (int)kl, setting), setting + kl, value,
			     at, zuul, NULL};
	if (!pc->route) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	if (s->tail)
		s->tail->next = pc;
	else
		s->head = pc;
	s->tail = pc;
}

/* ---- a file's routes --------------------------------------------------------------------------- */

struct pred {
	size_t idx;
	const char *name;                /* Path, Host, RemoteAddr... (the shortcut's, or name:) */
	const char *vals[ROUTE_PATTERNS]; /* its arguments, each one pattern, host or range */
	size_t nvals;
};

struct route {
	const char *key;  /* "<document>\x1f<route key>" */
	const char *name; /* a Zuul route's name (zuul.routes.NAME) */
	bool zuul;
	const char *uri, *service, *zuul_path;
	tm_loc at; /* the uri's place, else the route's first setting's */
	bool has_uri_at;
	struct pred preds[ROUTE_PREDS];
	size_t npreds;
	const char *rate_how;
	struct route *next;
};

static struct pred *pred_at(struct route *r, size_t idx)
{
	for (size_t i = 0; i < r->npreds; i++)
		if (r->preds[i].idx == idx)
			return &r->preds[i];
	if (r->npreds == ROUTE_PREDS)
		return NULL;
	struct pred *p = &r->preds[r->npreds++];
	memset(p, 0, sizeof(*p));
	p->idx = idx;
	return p;
}

/* The comma-separated arguments of a shortcut ("/a/\*\*, /b/{id:[0-9]{1,3}}") added to p, each
 * trimmed: a comma inside braces is a pattern's, and a switch (Path's matchTrailingSlash "true" or
 * "false") is no pattern. */
static void pred_args(tm_arena *a, struct pred *p, const char *list)
{
	for (const char *v = list; *v && p->nvals < ROUTE_PATTERNS;) {
		while (*v == ' ')
			v++;
		size_t n = 0;
		for (int depth = 0; v[n] && (v[n] != ',' || depth > 0); n++)
			depth += v[n] == '{' ? 1 : v[n] == '}' && depth > 0 ? -1 : 0;
		size_t t = n;
		while (t && v[t - 1] == ' ')
			t--;
		if (t && !(t == 4 && strncasecmp(v, "true", 4) == 0) && !(t == 5 && strncasecmp(v, "false", 5) == 0))
			p->vals[p->nvals++] = tm_arena_strndup(a, v, t);
		v += n + (v[n] == ',');
	}
}

/* An argument of a predicate's long form that holds its patterns, hosts or sources (not a switch
 * such as matchTrailingSlash): args.patterns[N], args.pattern, args.sources, args._genkey_N. */
static bool pattern_arg(const char *after)
{
	static const char *const names[] = {".args.patterns", ".args.pattern", ".args.sources", ".args._genkey_"};
	for (size_t i = 0; i < TM_ARRAY_LEN(names); i++) {
		size_t n = strlen(names[i]);
		if (strncmp(after, names[i], n) == 0 && (i == 3 || !after[n] || after[n] == '['))
			return true;
	}
	return false;
}

/* One setting of a Spring Cloud Gateway route into r. */
static void scg_piece(tm_ingest_ctx *ctx, struct route *r, const struct piece *pc)
{
	const char *rest = pc->rest;
	if (strcmp(rest, ".uri") == 0) {
		r->uri = pc->value;
		r->at = pc->at;
		r->has_uri_at = true;
		return;
	}
	if (starts(rest, ".filters[")) {
		if (!r->rate_how && tm_strcasecontains(pc->value, "RequestRateLimiter"))
			r->rate_how = tm_gw_where(ctx, "spring cloud gateway RequestRateLimiter filter", pc->at);
		return;
	}
	if (!starts(rest, ".predicates["))
		return;
	char *end;
	size_t idx = strtoul(rest + strlen(".predicates["), &end, 10);
	if (*end != ']')
		return;
	struct pred *p = pred_at(r, idx);
	if (!p)
		return;
	const char *after = end + 1;
	if (!*after) { /* the shortcut: Path=/a/\*\*,/b/\*\* */
		size_t n = strcspn(pc->value, "=");
		if (!pc->value[n])
			return;
		p->name = tm_arena_strndup(ctx->scratch, pc->value, n);
		pred_args(ctx->scratch, p, pc->value + n + 1);
	} else if (strcmp(after, ".name") == 0) {
		p->name = pc->value;
	} else if (pattern_arg(after)) {
		pred_args(ctx->scratch, p, pc->value);
	}
}

/* One setting of a Zuul route into r. */
static void zuul_piece(struct route *r, const struct piece *pc)
{
	const char *rest = pc->rest;
	if (!*rest) {
		r->zuul_path = pc->value; /* zuul.routes.users: /myusers/\*\* */
	} else if (strcmp(rest, ".path") == 0) {
		r->zuul_path = pc->value;
	} else if (strcmp(rest, ".url") == 0) {
		r->uri = pc->value;
		r->at = pc->at;
		r->has_uri_at = true;
	} else if (strcasecmp(rest, ".serviceId") == 0 || strcmp(rest, ".service-id") == 0 ||
		   strcmp(rest, ".service_id") == 0) {
		r->service = pc->value;
		if (!r->has_uri_at)
			r->at = pc->at;
	}
}

/* The host a route forwards to, into buf; NULL when it forwards nowhere outside the gateway
 * (forward:, no://) or names nothing. */
/* What a route forwards to, into buf: a URI's host, or "lb://NAME" for a discovery name (lb://NAME,
 * lb:ws://NAME, a Zuul serviceId), which gateway.c resolves by the name an application registers
 * under too; NULL when it forwards nowhere outside the gateway (forward:, no://) or names nothing. */
static const char *upstream_of(const struct route *r, char *buf, size_t len)
{
	char host[256];
	if (r->uri) {
		const char *u = r->uri;
		if (strncasecmp(u, "forward:", 8) == 0 || strncasecmp(u, "no://", 5) == 0)
			return NULL;
		bool lb = strncasecmp(u, "lb:", 3) == 0;
		tm_ingest__url_host(lb && strncmp(u + 3, "//", 2) != 0 ? u + 3 : u, host, sizeof(host));
		if (!*host)
			return NULL;
		snprintf(buf, len, "%s%s", lb ? "lb://" : "", host);
	} else if (r->zuul) { /* the discovery name: serviceId, else the route's own name */
		const char *name = r->service ? r->service : r->name;
		if (!name || !*name)
			return NULL;
		snprintf(buf, len, "lb://%s", name);
	} else {
		return NULL;
	}
	/* a discovery name is matched without case (Eureka upper-cases it: lb://USER-SERVICE) */
	for (char *c = strncmp(buf, "lb://", 5) == 0 ? buf + 5 : NULL; c && *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return buf;
}

/* A path pattern as the route's match ("/api/vet/\*\*" -> prefix "/api/vet"; "/x" exact), zuul.prefix
 * in front; NULL when memory ran out. */
static const char *route_path(tm_arena *a, const char *prefix, const char *pattern, tm_gw_match *match)
{
	size_t fixed = strcspn(pattern, "*{?");
	*match = pattern[fixed] ? TM_GW_PREFIX : TM_GW_EXACT;
	tm_strbuf sb = TM_STRBUF_INIT;
	if (prefix && *prefix) {
		if (*prefix != '/')
			tm_strbuf_putc(&sb, '/');
		tm_strbuf_puts(&sb, prefix);
		while (sb.len && sb.data[sb.len - 1] == '/')
			sb.len--;
	}
	if (*pattern != '/')
		tm_strbuf_putc(&sb, '/');
	tm_strbuf_put(&sb, pattern, fixed);
	while (*match == TM_GW_PREFIX && sb.len > 1 && sb.data[sb.len - 1] == '/')
		sb.len--;
	const char *out = sb.oom ? NULL : tm_arena_strndup(a, sb.data, sb.len);
	tm_strbuf_dispose(&sb);
	return out;
}

/* The values of r's predicates named name, space-separated, NULL for none. */
static const char *pred_values(tm_arena *a, const struct route *r, const char *name, bool hosts)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < r->npreds; i++) {
		if (!r->preds[i].name || strcasecmp(r->preds[i].name, name) != 0)
			continue;
		for (size_t k = 0; k < r->preds[i].nvals; k++) {
			const char *v = r->preds[i].vals[k];
			if (hosts && starts(v, "**."))
				v += 1; /* Spring's **.example.org: any name under it */
			tm_strbuf_printf(&sb, "%s%s", sb.len ? " " : "", v);
		}
	}
	const char *out = sb.len && !sb.oom ? tm_arena_strdup(a, sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	return out;
}

static void route_emit(tm_ingest_ctx *ctx, tm_gw_spring *s, tm_gw_config *g, const struct route *r)
{
	char host[300];
	const char *up = upstream_of(r, host, sizeof(host));
	if (!up)
		return;
	up = tm_arena_strdup(ctx->scratch, up);
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	c.authn = s->authn_how ? s->authn : TM_AUTHN_NONE;
	c.authn_how = s->authn_how;
	c.rate_how = r->rate_how ? r->rate_how : s->default_rate;
	const char *ranges = pred_values(ctx->scratch, r, "RemoteAddr", false);
	if (ranges) {
		c.restrict_how = tm_gw_where(ctx, tm_arena_printf(ctx->scratch, "RemoteAddr=%s", ranges), r->at);
		c.private_only = tm_policy__private_ranges(ranges);
	}
	const char *vhosts = r->zuul ? NULL : pred_values(ctx->scratch, r, "Host", true);
	size_t n = 0;
	const char *prefix = r->zuul ? s->zuul_prefix : NULL;
	for (size_t i = 0; !r->zuul && i < r->npreds; i++) {
		const struct pred *p = &r->preds[i];
		for (size_t k = 0; p->name && strcasecmp(p->name, "Path") == 0 && k < p->nvals; k++, n++) {
			tm_gw_match m;
			const char *path = route_path(ctx->scratch, NULL, p->vals[k], &m);
			tm_gw_route_new(ctx, g, path, m, up, vhosts, &c, r->at);
		}
	}
	if (n)
		return;
	/* no Path predicate: every path; Zuul: its path, else /NAME/\*\* */
	const char *pattern = r->zuul ? r->zuul_path : "/**";
	const char *dflt = r->zuul && !pattern ? tm_arena_printf(ctx->scratch, "/%s/**", r->name ? r->name : "") : NULL;
	tm_gw_match m;
	const char *path = route_path(ctx->scratch, prefix, pattern ? pattern : dflt ? dflt : "/", &m);
	tm_gw_route_new(ctx, g, path, m, up, vhosts, &c, r->at);
}

void tm_gw__spring_flush(tm_ingest_ctx *ctx, tm_gw_spring **acc)
{
	tm_gw_spring *s = *acc;
	*acc = NULL;
	if (!s || (!s->head && !s->locator))
		return;
	struct route *first = NULL, *last = NULL;
	tm_hmap by = TM_HMAP_INIT;
	bool zuul = false;
	for (const struct piece *pc = s->head; pc; pc = pc->next) {
		struct route *r = tm_hmap_get(&by, pc->route, strlen(pc->route));
		if (!r && s->nroutes == ROUTES_MAX) {
			s->capped = true;
			continue;
		}
		if (!r) {
			s->nroutes++;
			r = tm_arena_alloc(ctx->scratch, sizeof(*r));
			if (!r || tm_hmap_put(&by, pc->route, strlen(pc->route), r)) {
				tm_arena_set_failed(ctx->scratch);
				break;
			}
			memset(r, 0, sizeof(*r));
			r->key = pc->route;
			r->zuul = pc->zuul;
			const char *sep = strchr(pc->route, '\x1f');
			r->name = pc->zuul && sep ? sep + 1 + strlen("zuul.routes.") : NULL;
			r->at = pc->at;
			*(last ? &last->next : &first) = r;
			last = r;
		}
		zuul = zuul || pc->zuul;
		if (pc->zuul)
			zuul_piece(r, pc);
		else
			scg_piece(ctx, r, pc);
	}
	tm_hmap_dispose(&by);
	tm_loc at = s->head ? s->head->at : s->locator_at;
	const char *type = zuul ? "zuul" : "spring-cloud-gateway";
	/* a second file of one application (application-docker.yml beside application.yml, a served
	 * gateway-service-docker.yml): its routes are the same gateway's, as Spring merges the files */
	tm_gw_config *g = s->nowners == 1 ? tm_gw_app_config(ctx, type, s->owners[0], NULL) : NULL;
	if (g) {
		tm_gw_config_fact(ctx, g, "also_configured_in", s->file, at);
	} else {
		g = tm_gw_config_new(ctx, type, s->file, at, tm_hash(s->file, strlen(s->file)));
		if (!g)
			return;
		if (s->nowners == 1)
			tm_gw_app_config(ctx, type, s->owners[0], g);
		for (size_t i = 0; i < s->nowners; i++)
			tm_gw_config_host(ctx, g, s->owners[i]);
	}
	if (s->nowners)
		tm_gw_config_hosted(g, "the application's own configuration file (its directory, image or config "
				       "server names the workload)");
	tm_gw_config_set_tls(g, s->tls && !s->no_tls);
	if (s->locator) {
		tm_gw_config_fact(ctx, g, "discovery_locator", "every service registered with discovery is routed at "
							       "/<service-id>/**",
				  s->locator_at);
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, s->locator_at,
			    "Spring Cloud Gateway's discovery locator routes every service registered with the discovery "
			    "server at /<service-id>/**; which services register is not in these files, so those "
			    "routes are not drawn");
	}
	for (const struct route *r = first; r; r = r->next)
		route_emit(ctx, s, g, r);
	if (s->capped)
		tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, at,
			    "%s defines more than %d gateway routes; the first %d are modelled", s->file, ROUTES_MAX,
			    ROUTES_MAX);
}
