/*
 * compose_traefik.c - Traefik's Docker and Swarm providers: the routes compose services write in
 * their labels, read as a gateway configuration run by the project's Traefik service.
 *
 * Traefik watches the Docker socket and makes a router per `traefik.http.routers.<name>.rule`
 * label of each container (in Swarm mode: each service) it exposes, to the container's port (the
 * label `traefik.http.services.<name>.loadbalancer.server.port`, else the one port it exposes),
 * through the middlewares the router names. A container is exposed when it says
 * `traefik.enable=true`, or, unless the Traefik command says `--providers.docker.exposedByDefault=false`
 * (`--providers.swarm.exposedByDefault=false`), when it says nothing (Traefik's default, with the
 * default rule Host(`<service>`)), and when the provider's `constraints` expression holds of its
 * labels. The provider flags are read by value, as Traefik parses a boolean (`--providers.docker=false`,
 * `=False`, `=0` turn it off, whatever options of it follow; bare, `=true` or any of its options turn
 * it on; `exposedByDefault=false` likewise). In Swarm mode (`--providers.swarm`, Traefik 3;
 * `--providers.docker.swarmMode`, Traefik 2)
 * Traefik reads the labels of the Swarm service, `deploy.labels`; otherwise the containers' own
 * `labels` (compose sets deploy.labels on Swarm services only). With no provider flags in the
 * command, the static configuration the service bind-mounts (read by gw_traefik.c) says whether the
 * provider runs, in which mode, and whether it exposes by default; with neither, the services it
 * would expose by default are taken as not exposed, both kinds of labels are read, and a note says
 * so. The provider sees every container of the host (every service of the swarm): a service of
 * another compose project (another stack) on a network the Traefik service joins (an external
 * network, `traefik-public`) is routed as well, its route resolved in its own project. Each router
 * becomes a gateway route (tm_gw_route_new) from the gateway "gateway:traefik:<file>#<service>",
 * <file> the compose file defining the Traefik service, hosted by it, so the gateway code resolves
 * the backends, draws the edges and weighs the checks as for nginx, Envoy and Kong.
 */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <strings.h>

#include "compose.h"
#include "traefik.h"

/* The labels of a service (map form, or a list of "key=value"), as text: keys[i] = values[i]. */
struct labels {
	const char **keys, **values;
	const tm_value **at;
	size_t n;
};

/* Which labels a Traefik reads: the containers' (`labels:`), the Swarm services' (`deploy.labels:`),
 * or, its mode not known, both. */
enum { LABELS_CONTAINER = 1, LABELS_DEPLOY = 2, LABELS_BOTH = 3 };

/* The service's labels of the kinds asked (container labels first); every key, so that a constraint
 * may name any of them. */
static void labels_of(tm_arena *a, const tm_compose_svc *s, int kinds, tm_compose_text_fn text, struct labels *out)
{
	const tm_value *lvs[] = {kinds & LABELS_CONTAINER ? tm_map_get(s->v, "labels") : NULL,
				 kinds & LABELS_DEPLOY ? tm_map_get(tm_map_get(s->v, "deploy"), "labels") : NULL};
	size_t n = tm_value_len(lvs[0]) + tm_value_len(lvs[1]);
	*out = (struct labels){NULL, NULL, NULL, 0};
	out->keys = tm_arena_alloc(a, (n + 1) * sizeof(char *));
	out->values = tm_arena_alloc(a, (n + 1) * sizeof(char *));
	out->at = tm_arena_alloc(a, (n + 1) * sizeof(tm_value *));
	if (!out->keys || !out->values || !out->at)
		return;
	for (size_t li = 0; li < 2; li++) {
		const tm_value *lv = lvs[li];
		bool map = tm_value_kind_of(lv) == TM_VALUE_MAP;
		for (size_t i = 0; i < tm_value_len(lv); i++) {
			const tm_value *v = map ? tm_map_value(lv, i) : tm_seq_at(lv, i);
			const char *k = map ? tm_scalar_str(tm_map_key(lv, i), NULL) : NULL, *t = text(s->ud, v);
			if (!map && t) { /* "key=value" */
				const char *eq = strchr(t, '=');
				k = eq ? tm_arena_strndup(a, t, (size_t)(eq - t)) : t;
				t = eq ? eq + 1 : "";
			}
			if (!k)
				continue;
			out->keys[out->n] = k;
			out->values[out->n] = t ? t : "";
			out->at[out->n++] = v;
		}
	}
}

static bool traefik_key(const tm_value *labels, size_t i)
{
	const char *key = tm_value_kind_of(labels) == TM_VALUE_MAP ? tm_scalar_str(tm_map_key(labels, i), NULL)
								 : tm_scalar_str(tm_seq_at(labels, i), NULL);
	return key && strncasecmp(key, "traefik.", 8) == 0;
}

void tm_compose__traefik_labelled(const tm_value *svc, bool *container, bool *deploy)
{
	const tm_value *lvs[] = {tm_map_get(svc, "labels"), tm_map_get(tm_map_get(svc, "deploy"), "labels")};
	bool *out[] = {container, deploy};
	for (size_t li = 0; li < 2; li++) {
		bool any = false;
		for (size_t i = 0; i < tm_value_len(lvs[li]) && !any; i++)
			any = traefik_key(lvs[li], i);
		if (out[li])
			*out[li] = any;
	}
}

static const char *label(const struct labels *l, const char *key, const tm_value **at)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->keys[i], key) == 0) {
			if (at)
				*at = l->at[i];
			return l->values[i];
		}
	return NULL;
}

/* The command's words (a string or a list), joined with spaces, lowercased; "" when none. */
static const char *command_of(tm_arena *a, const tm_compose_svc *s, tm_compose_text_fn text)
{
	const tm_value *cv = tm_map_get(s->v, "command");
	tm_strbuf sb = TM_STRBUF_INIT;
	if (tm_value_kind_of(cv) == TM_VALUE_SEQ)
		for (size_t i = 0; i < tm_value_len(cv); i++)
			tm_strbuf_printf(&sb, "%s ", text(s->ud, tm_seq_at(cv, i)) ? text(s->ud, tm_seq_at(cv, i)) : "");
	else if (text(s->ud, cv))
		tm_strbuf_printf(&sb, "%s", text(s->ud, cv));
	char *out = tm_arena_strdup(a, sb.data ? sb.data : "");
	tm_strbuf_dispose(&sb);
	for (char *p = out; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out ? out : "";
}

/* Is s Traefik (its image's repository is traefik, any registry or tag)? */
bool tm_compose__traefik_image(const char *img)
{
	if (!img)
		return false;
	const char *slash = strrchr(img, '/'), *name = slash ? slash + 1 : img;
	size_t n = strcspn(name, ":@");
	return n == 7 && strncasecmp(name, "traefik", 7) == 0;
}

static bool is_traefik(const tm_compose_svc *s, tm_compose_text_fn text)
{
	return tm_compose__traefik_image(text(s->ud, tm_map_get(s->v, "image")));
}

/* Does s mount the Docker socket (the provider's source)? */
static bool mounts_docker(const tm_compose_svc *s, tm_compose_text_fn text)
{
	const tm_value *vols = tm_map_get(s->v, "volumes");
	for (size_t i = 0; i < tm_value_len(vols); i++) {
		const tm_value *v = tm_seq_at(vols, i);
		const char *t = text(s->ud, tm_value_kind_of(v) == TM_VALUE_MAP ? tm_map_get(v, "source") : v);
		if (t && strstr(t, "docker.sock"))
			return true;
	}
	return false;
}

/* The checks of a router's middlewares ("auth@docker,limit"), each defined by a
 * traefik.http.middlewares.<name>.<type>... label of some service of the project (the Docker
 * provider shares them), one level of `chain` followed. */
static void middlewares(tm_ingest_ctx *ctx, const struct labels *all, size_t nall, const char *names, tm_gw_checks *c,
			int depth, const char **unknown)
{
	tm_arena *a = ctx->scratch;
	for (const char *p = names; p && *p;) {
		size_t n = strcspn(p, ",");
		char *name = tm_arena_strndup(a, p, n);
		p += n + (p[n] == ',');
		if (!name)
			return;
		while (*name == ' ')
			name++;
		char *at = strchr(name, '@');
		bool other_provider = at && strcasecmp(at, "@docker") != 0;
		if (at)
			*at = '\0';
		char prefix[512];
		tm_formatf(prefix, sizeof(prefix), "traefik.http.middlewares.%s.", name);
		size_t pl = strlen(prefix);
		bool found = false;
		for (size_t s = 0; s < nall && !other_provider; s++)
			for (size_t i = 0; i < all[s].n; i++) {
				const char *k = all[s].keys[i];
				if (strncasecmp(k, prefix, pl) != 0)
					continue;
				found = true;
				const char *type = k + pl;
				size_t tl = strcspn(type, ".");
				if (!type[tl])
					continue;
				/* an allow-list's ranges are its sourcerange label's value; its other labels
				 * (ipstrategy) add nothing to what that one says */
				const char *ranges = !strcasecmp(type + tl, ".sourcerange") ? all[s].values[i] : NULL;
				bool allow = !strncasecmp(type, "ipallowlist.", 12) || !strncasecmp(type, "ipwhitelist.", 12);
				if (allow && !ranges && c->restrict_how)
					continue;
				if (tm_traefik__middleware(a, type, tl, ranges, name, NULL, c) == TM_TRAEFIK_MW_CHAIN &&
				    !strncasecmp(type + tl, ".middlewares", 12) && depth < 1)
					middlewares(ctx, all, nall, all[s].values[i], c, depth + 1, unknown);
				else if (tl == 11 && !strncasecmp(type, "forwardauth", 11) && !strcasecmp(type + tl, ".address"))
					c->authz_upstream = all[s].values[i]; /* the service it asks */
			}
		if (!found && c->authn == TM_AUTHN_NONE) { /* it may check the caller: not known */
			c->authn = TM_AUTHN_UNKNOWN;
			c->authn_how = tm_arena_printf(a, "traefik middleware %s, not defined in this project's labels", name);
		}
		if (!found && !*unknown)
			*unknown = tm_arena_strdup(a, name);
	}
}

/* The port of the container Traefik forwards to: a loadbalancer.server.port label of the service,
 * else the one port it exposes; NULL when neither decides. */
static const char *server_port(tm_arena *a, const struct labels *l, const tm_compose_svc *s, tm_compose_text_fn text)
{
	const char *port = NULL;
	for (size_t i = 0; i < l->n && !port; i++) {
		const char *k = l->keys[i], *tail = strstr(k, ".loadbalancer.server.port");
		size_t pl = !strncasecmp(k, "traefik.http.services.", 22) ? 22 : !strncasecmp(k, "traefik.tcp.services.", 21) ? 21 : 0;
		if (pl && tail && !tail[25])
			port = l->values[i];
	}
	if (port)
		return port;
	static const char *const keys[] = {"expose", "ports"};
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *ps = tm_map_get(s->v, keys[k]);
		if (tm_value_len(ps) != 1)
			continue;
		const tm_value *pv = tm_seq_at(ps, 0);
		const char *t = text(s->ud, tm_value_kind_of(pv) == TM_VALUE_MAP ? tm_map_get(pv, "target") : pv);
		const char *colon = t ? strrchr(t, ':') : NULL;
		return t ? tm_arena_strndup(a, colon ? colon + 1 : t, strcspn(colon ? colon + 1 : t, "/")) : NULL;
	}
	return NULL;
}

/* Router rname's `tls` (not "false") or certresolver labels: g serves TLS. */
static void router_tls(tm_gw_config *g, const struct labels *l, const char *rname)
{
	char key[512];
	tm_formatf(key, sizeof(key), "traefik.http.routers.%s.tls", rname);
	const char *tls = label(l, key, NULL);
	tm_formatf(key, sizeof(key), "traefik.http.routers.%s.tls.certresolver", rname);
	if ((tls && strcasecmp(tls, "false") != 0) || label(l, key, NULL))
		tm_gw_config_set_tls(g, true);
}

/* One router of service s: a route of g per path its rule matches; the number made. */
static size_t router(tm_ingest_ctx *ctx, tm_gw_config *g, const tm_file *mf, const tm_compose_svc *s,
		   const struct labels *l, const struct labels *all, size_t nall, const char *rname, const char *upstream,
		   const tm_value *key_at, const char **unknown)
{
	tm_arena *a = ctx->scratch;
	char key[512];
	const tm_value *rule_at = NULL;
	tm_formatf(key, sizeof(key), "traefik.http.routers.%s.rule", rname ? rname : "");
	const char *rule = rname ? label(l, key, &rule_at) : NULL;
	bool tcp = false;
	if (!rule) { /* a TCP router: HostSNI only, every connection to the service's port */
		tm_formatf(key, sizeof(key), "traefik.tcp.routers.%s.rule", rname ? rname : "");
		rule = rname ? label(l, key, &rule_at) : NULL;
		tcp = rule != NULL;
	}
	if (!rule) /* the default rule: Host(`<service>`) */
		rule = tm_arena_printf(a, "Host(`%s`)", s->name);
	tm_formatf(key, sizeof(key), "traefik.http.routers.%s.middlewares", rname ? rname : "");
	const char *mws = rname ? label(l, key, NULL) : NULL;
	if (rname)
		router_tls(g, l, rname);
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	middlewares(ctx, all, nall, mws, &c, 0, unknown);
	tm_loc loc = tm_ingest__loc(mf, rule_at ? rule_at : key_at);
	loc.path = tm_arena_strdup(a, loc.path); /* the merged file is freed before the gateways finish */
	return tm_traefik__routes(ctx, g, rule, tcp, upstream, &c, loc, NULL);
}

/* Router rname of service s names one of Traefik's own services (`service=api@internal`): the API
 * and dashboard (api, dashboard) said as a `dashboard_routes` fact of g, with ", no authentication"
 * when none of its middlewares checks the caller, as gw_traefik.c says a file's router to it; no
 * route to s's container. True when the router is one, whatever it serves. */
static bool internal_router(tm_ingest_ctx *ctx, tm_gw_config *g, const tm_file *mf, const struct labels *l,
			    const struct labels *all, size_t nall, const char *rname, const tm_value *key_at,
			    const char **unknown)
{
	tm_arena *a = ctx->scratch;
	char key[512];
	const tm_value *at = NULL;
	tm_formatf(key, sizeof(key), "traefik.http.routers.%s.service", rname);
	const char *svc = label(l, key, &at), *sfx = svc ? strchr(svc, '@') : NULL;
	if (!sfx || strcasecmp(sfx, "@internal") != 0)
		return false;
	size_t bl = (size_t)(sfx - svc);
	if (!(bl == 3 && !strncasecmp(svc, "api", 3)) && !(bl == 9 && !strncasecmp(svc, "dashboard", 9)))
		return true; /* ping, prometheus, noop: nothing of the caller's to guard */
	router_tls(g, l, rname);
	tm_formatf(key, sizeof(key), "traefik.http.routers.%s.middlewares", rname);
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	middlewares(ctx, all, nall, label(l, key, NULL), &c, 0, unknown);
	tm_formatf(key, sizeof(key), "traefik.http.routers.%s.rule", rname);
	const tm_value *rule_at = NULL;
	label(l, key, &rule_at);
	tm_loc loc = tm_ingest__loc(mf, rule_at ? rule_at : at ? at : key_at);
	loc.path = tm_arena_strdup(a, loc.path); /* the merged file is freed before the gateways finish */
	tm_gw_config_fact(ctx, g, "dashboard_routes",
			  tm_arena_printf(a, "router %s%s", rname, c.authn == TM_AUTHN_NONE ? ", no authentication" : ""),
			  loc);
	return true;
}

/* The router names of a service's labels (traefik.http.routers.<name>.* and tcp ones), unique, in
 * label order. */
static size_t router_names(tm_arena *a, const struct labels *l, const char **out)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		const char *k = l->keys[i];
		size_t skip = !strncasecmp(k, "traefik.http.routers.", 21) ? 21 : !strncasecmp(k, "traefik.tcp.routers.", 20) ? 20 : 0;
		if (!skip)
			continue;
		const char *name = tm_arena_strndup(a, k + skip, strcspn(k + skip, "."));
		bool seen = false;
		for (size_t j = 0; j < n && !seen; j++)
			seen = strcmp(out[j], name ? name : "") == 0;
		if (name && !seen)
			out[n++] = name;
	}
	return n;
}

/* The Traefik static configuration s bind-mounts (a file, or the directory holding it), read by
 * gw_traefik.c: true with *out filled when there is one. */
static bool static_of(tm_ingest_ctx *ctx, const char *file, const tm_compose_svc *s, tm_compose_text_fn text,
		      tm_traefik_static_info *out)
{
	const tm_value *vols = tm_map_get(s->v, "volumes");
	for (size_t i = 0; i < tm_value_len(vols); i++) {
		const tm_value *v = tm_seq_at(vols, i);
		const char *t = text(s->ud, tm_value_kind_of(v) == TM_VALUE_MAP ? tm_map_get(v, "source") : v);
		char src[1024];
		if (!t || t[0] != '.')
			continue;
		tm_formatf(src, sizeof(src), "%.*s", (int)(tm_value_kind_of(v) == TM_VALUE_MAP ? strlen(t) : strcspn(t, ":")), t);
		if (tm_traefik__static_mounted(ctx, file, src, out))
			return true;
	}
	return false;
}

/* `--api.insecure` (or `=true`) in the command: the API and dashboard on entry point `traefik`
 * (`--entrypoints.traefik.address`, ":8080" unless given), with no router in front, as the static
 * configuration's api.insecure says it (gw_traefik.c); NULL when the command does not say so. The
 * command is lowercased, words separated by spaces. */
static const char *insecure_api(tm_arena *a, const char *cmd)
{
	bool on = false;
	const char *listen = ":8080";
	size_t llen = strlen(listen);
	for (const char *w = cmd; *w;) {
		size_t n = strcspn(w, " ");
		if ((n == 14 && strncmp(w, "--api.insecure", 14) == 0) || (n == 19 && strncmp(w, "--api.insecure=true", 19) == 0))
			on = true;
		else if (n > 31 && strncmp(w, "--entrypoints.traefik.address=", 30) == 0) {
			listen = w + 30;
			llen = strcspn(listen, " /"); /* "host:port/udp": the port part only */
		}
		w += n;
		while (*w == ' ')
			w++;
	}
	return on ? tm_arena_strndup(a, listen, llen) : NULL;
}

/* ---- constraints --------------------------------------------------------------------------- */

/* Traefik's constraints expression (`Label("k", "v")`, `LabelRegex("k", "re")`, `!`, `&&`, `||`,
 * parentheses) over one service's labels: 1 it holds, 0 it does not, -1 not read (another matcher,
 * a malformed expression). The command is lowercased: keys and values are compared ignoring case.
 * One pass over the expression, nesting bounded. */
#define CONSTRAINT_DEPTH 32
#define CONSTRAINT_REGEX_MAX 1024 /* a LabelRegex's pattern and the value it is matched to */
struct cx {
	const char *p;
	const struct labels *l;
	tm_arena *a;
	int depth;
	bool bad;
};

static void cx_space(struct cx *x)
{
	while (*x->p == ' ' || *x->p == '\t')
		x->p++;
}

/* A quoted argument ("x", `x` or 'x'), in the arena; NULL (bad) when there is none. */
static const char *cx_arg(struct cx *x)
{
	cx_space(x);
	char q = *x->p;
	const char *end = q == '"' || q == '`' || q == '\'' ? strchr(x->p + 1, q) : NULL;
	if (!end) {
		x->bad = true;
		return NULL;
	}
	const char *out = tm_arena_strndup(x->a, x->p + 1, (size_t)(end - x->p - 1));
	x->p = end + 1;
	cx_space(x);
	if (*x->p == ',')
		x->p++;
	return out;
}

static int cx_or(struct cx *x);

static int cx_call(struct cx *x)
{
	const char *name = x->p;
	size_t nl = strspn(name, "abcdefghijklmnopqrstuvwxyz");
	x->p += nl;
	cx_space(x);
	if (!nl || *x->p != '(') {
		x->bad = true;
		return -1;
	}
	x->p++;
	const char *args[2] = {NULL, NULL};
	size_t na = 0;
	for (cx_space(x); *x->p && *x->p != ')' && !x->bad; cx_space(x)) {
		const char *v = cx_arg(x);
		if (na < 2)
			args[na] = v;
		na++;
	}
	if (*x->p != ')' || x->bad) {
		x->bad = true;
		return -1;
	}
	x->p++;
	bool lab = nl == 5 && strncmp(name, "label", 5) == 0, re = nl == 10 && strncmp(name, "labelregex", 10) == 0;
	if ((!lab && !re) || na != 2 || !args[0] || !args[1])
		return -1;
	for (size_t i = 0; i < x->l->n; i++) {
		if (strcasecmp(x->l->keys[i], args[0]) != 0)
			continue;
		if (lab)
			return strcasecmp(x->l->values[i], args[1]) == 0;
		/* a back-reference (glibc's extension to ERE) may take exponential time on a hostile value:
		 * not read, as RE2, Traefik's engine, has none */
		regex_t rx;
		for (const char *b = strchr(args[1], '\\'); b; b = strchr(b + 2, '\\'))
			if (!b[1] || (b[1] >= '0' && b[1] <= '9'))
				return -1;
		if (strlen(args[1]) > CONSTRAINT_REGEX_MAX || strlen(x->l->values[i]) > CONSTRAINT_REGEX_MAX ||
		    regcomp(&rx, args[1], REG_EXTENDED | REG_NOSUB | REG_ICASE))
			return -1;
		bool m = regexec(&rx, x->l->values[i], 0, NULL, 0) == 0;
		regfree(&rx);
		return m;
	}
	return 0;
}

static int cx_unary(struct cx *x)
{
	cx_space(x);
	if (++x->depth > CONSTRAINT_DEPTH) {
		x->bad = true;
		return -1;
	}
	int v;
	if (*x->p == '!') {
		x->p++;
		v = cx_unary(x);
		v = v < 0 ? v : !v;
	} else if (*x->p == '(') {
		x->p++;
		v = cx_or(x);
		cx_space(x);
		if (*x->p == ')')
			x->p++;
		else
			x->bad = true;
	} else {
		v = cx_call(x);
	}
	x->depth--;
	return v;
}

static int cx_and(struct cx *x)
{
	int v = cx_unary(x);
	for (cx_space(x); !x->bad && x->p[0] == '&' && x->p[1] == '&'; cx_space(x)) {
		x->p += 2;
		int r = cx_unary(x);
		v = v == 0 || r == 0 ? 0 : v < 0 || r < 0 ? -1 : 1;
	}
	return v;
}

static int cx_or(struct cx *x)
{
	int v = cx_and(x);
	for (cx_space(x); !x->bad && x->p[0] == '|' && x->p[1] == '|'; cx_space(x)) {
		x->p += 2;
		int r = cx_and(x);
		v = v == 1 || r == 1 ? 1 : v < 0 || r < 0 ? -1 : 0;
	}
	return v;
}

static int constraint_holds(tm_arena *a, const char *expr, const struct labels *l)
{
	struct cx x = {expr, l, a, 0, false};
	int v = cx_or(&x);
	cx_space(&x);
	return x.bad || *x.p ? -1 : v;
}

/* ---- the provider's settings ------------------------------------------------------------------ */

struct mode {
	bool docker;     /* the Docker (or Swarm) provider runs */
	bool flags;      /* its settings are the command's */
	bool from_file;  /* its settings are the static configuration's it mounts */
	int kinds;       /* the labels it reads (LABELS_*) */
	bool by_default; /* exposedByDefault */
	const char *constraints; /* its constraints expression, or NULL */
	tm_loc at;       /* where the settings are written */
};

/* The value of the provider flag `--providers.docker.<name>=` or `--providers.swarm.<name>=` of s's
 * command (a list item to its end; in a string, to the next blank outside quotes and parentheses),
 * lowercased, one outer pair of quotes taken off; NULL when not given. provider: "docker" or
 * "swarm" for that provider's alone (the one that runs, when the other is off), NULL for either. */
static const char *flag_value(tm_arena *a, const tm_compose_svc *s, tm_compose_text_fn text, const char *provider,
			      const char *name)
{
	const tm_value *cv = tm_map_get(s->v, "command");
	size_t n = tm_value_kind_of(cv) == TM_VALUE_SEQ ? tm_value_len(cv) : 1;
	char docker[64], swarm[64];
	tm_formatf(docker, sizeof(docker), "--providers.%s.%s=", provider ? provider : "docker", name);
	tm_formatf(swarm, sizeof(swarm), "--providers.%s.%s=", provider ? provider : "swarm", name);
	for (size_t i = 0; i < n; i++) {
		bool seq = tm_value_kind_of(cv) == TM_VALUE_SEQ;
		const char *t = text(s->ud, seq ? tm_seq_at(cv, i) : cv);
		for (const char *w = t; w && *w; w++) {
			if (w != t && w[-1] != ' ')
				continue;
			size_t pl = !strncasecmp(w, docker, strlen(docker)) ? strlen(docker)
				    : !strncasecmp(w, swarm, strlen(swarm)) ? strlen(swarm) : 0;
			if (!pl)
				continue;
			const char *v = w + pl, *e = v;
			int depth = 0;
			char q = 0;
			for (; *e && (seq || q || depth || *e != ' '); e++) {
				if (q)
					q = *e == q ? 0 : q;
				else if (*e == '"' || *e == '`' || *e == '\'')
					q = *e;
				else
					depth += *e == '(' ? 1 : *e == ')' && depth ? -1 : 0;
			}
			size_t len = (size_t)(e - v);
			if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0]) {
				v++;
				len -= 2;
			}
			char *out = tm_arena_strndup(a, v, len);
			for (char *p = out; p && *p; p++)
				*p = (char)tolower((unsigned char)*p);
			return out;
		}
	}
	return NULL;
}

/* Is a word of cmd (lowercased, words separated by spaces) flag, or flag=true? */
static bool has_flag(const char *cmd, const char *flag)
{
	size_t fl = strlen(flag);
	for (const char *w = cmd; (w = strstr(w, flag)) != NULL; w += fl)
		if ((w == cmd || w[-1] == ' ') && (w[fl] == ' ' || !w[fl] || !strncmp(w + fl, "=true", 5)))
			return true;
	return false;
}

/* A boolean flag's value as Traefik parses it (Go's strconv.ParseBool: 1, t, true, 0, f, false, any
 * case; cmd is lowercased), one pair of quotes aside: 1 true, 0 false, -1 neither. */
static int bool_value(const char *v, size_t n)
{
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v++;
		n -= 2;
	}
	static const char *const yes[] = {"1", "t", "true"}, *const no[] = {"0", "f", "false"};
	for (size_t i = 0; i < TM_ARRAY_LEN(yes); i++) {
		if (strlen(yes[i]) == n && strncmp(v, yes[i], n) == 0)
			return 1;
		if (strlen(no[i]) == n && strncmp(v, no[i], n) == 0)
			return 0;
	}
	return -1;
}

/* Does the command turn provider `--providers.<name>` on, read by value: 1 when it names it bare, as
 * `=true` or through one of its options (`--providers.docker.exposedbydefault=false`: Traefik
 * enables a provider whose section any option sets), 0 when it says `=false` (whatever options
 * follow: the provider is off), -1 when it does not name it. cmd: lowercased words. Linear. */
static int provider_on(const char *cmd, const char *name)
{
	char flag[40];
	int fl = tm_formatf(flag, sizeof(flag), "--providers.%s", name);
	int on = -1;
	for (const char *w = cmd; fl > 0 && (w = strstr(w, flag)) != NULL; w += fl) {
		if (w != cmd && w[-1] != ' ')
			continue;
		const char *rest = w + fl;
		size_t vl = strcspn(rest, " ");
		if (!*rest || *rest == ' ' || *rest == '.')
			on = on == 0 ? 0 : 1;
		else if (*rest == '=')
			on = bool_value(rest + 1, vl - 1) == 0 ? 0 : on == 0 ? 0 : 1;
	}
	return on;
}

static struct mode mode_of(tm_ingest_ctx *ctx, const tm_compose_svc *s, tm_compose_text_fn text, const char *cmd)
{
	struct mode m = {0};
	m.at = tm_ingest__loc(s->mf, tm_map_get(s->v, "command") ? tm_map_get(s->v, "command") : tm_map_get(s->v, "image"));
	int docker = provider_on(cmd, "docker"), swarm = provider_on(cmd, "swarm");
	m.flags = docker >= 0 || swarm >= 0;
	/* without provider flags, Traefik reads its static configuration from the file it mounts */
	tm_traefik_static_info st;
	m.from_file = !m.flags && static_of(ctx, s->file, s, text, &st);
	/* the provider's flags read by value: `--providers.docker=false` turns it off */
	m.docker = m.from_file ? st.docker : m.flags ? docker == 1 || swarm == 1 : mounts_docker(s, text);
	if (m.from_file) {
		m.kinds = st.swarm ? LABELS_DEPLOY : LABELS_CONTAINER;
		m.by_default = st.exposed_by_default;
		m.constraints = st.constraints;
		m.at = st.loc;
		if (m.constraints) { /* compared ignoring case, as the command's */
			char *c = tm_arena_strdup(ctx->scratch, m.constraints);
			for (char *p = c; p && *p; p++)
				*p = (char)tolower((unsigned char)*p);
			m.constraints = c;
		}
	} else if (m.flags) {
		const char *mode = flag_value(ctx->scratch, s, text, "docker", "swarmmode");
		bool in_swarm = swarm == 1 || (mode && bool_value(mode, strlen(mode)) == 1) ||
				has_flag(cmd, "--providers.docker.swarmmode");
		m.kinds = in_swarm ? LABELS_DEPLOY : LABELS_CONTAINER;
		/* the settings of the provider that runs (--providers.docker=false beside --providers.swarm:
		 * the docker provider's options are not the swarm one's); exposedByDefault by value (false,
		 * False, 0), Traefik's default true */
		const char *only = docker == 1 && swarm != 1 ? "docker" : swarm == 1 && docker != 1 ? "swarm" : NULL;
		const char *ebd = flag_value(ctx->scratch, s, text, only, "exposedbydefault");
		m.by_default = !(ebd && bool_value(ebd, strlen(ebd)) == 0);
		m.constraints = flag_value(ctx->scratch, s, text, only, "constraints");
	} else {
		m.kinds = LABELS_BOTH;
	}
	return m;
}

/* ---- services of other projects ------------------------------------------------------------- */

#define NETS_MAX 16
/* The network ids n joins (its network_ids facts), at most NETS_MAX. */
static size_t nets_of(const tm_node *n, const char **out)
{
	size_t k = 0;
	for (size_t i = 0; n && i < n->facts.count && k < NETS_MAX; i++)
		if (strcmp(n->facts.items[i].key, "network_ids") == 0)
			out[k++] = n->facts.items[i].value;
	return k;
}

/* The first network of t's (nets, nt) that n joins too, or NULL. */
static const char *shared_net(const char *const *nets, size_t nt, const tm_node *n)
{
	for (size_t i = 0; n && i < n->facts.count; i++) {
		if (strcmp(n->facts.items[i].key, "network_ids") != 0)
			continue;
		for (size_t k = 0; k < nt; k++)
			if (strcmp(nets[k], n->facts.items[i].value) == 0)
				return nets[k];
	}
	return NULL;
}

/* ---- the routes ------------------------------------------------------------------------------ */

/* Each service's labels of the kinds asked, read once per kind. */
static struct labels *labels_all(tm_arena *a, struct labels **cache, int kinds, const tm_compose_svc *svcs, size_t n,
				 tm_compose_text_fn text)
{
	if (cache[kinds])
		return cache[kinds];
	struct labels *all = tm_arena_alloc(a, (n + 1) * sizeof(*all));
	for (size_t k = 0; all && k < n; k++)
		labels_of(a, &svcs[k], kinds, text, &all[k]);
	return cache[kinds] = all;
}

/* Service s carries Traefik labels only of the kind Traefik service t does not read: said once per
 * kind (noted), true. */
static bool other_kind(tm_ingest_ctx *ctx, const tm_compose_svc *svcs, size_t t, size_t s, const struct mode *m,
		       bool *noted)
{
	bool cl, dl;
	tm_compose__traefik_labelled(svcs[s].v, &cl, &dl);
	bool swarm = m->kinds == LABELS_DEPLOY;
	if (m->kinds == LABELS_BOTH || !(swarm ? cl && !dl : dl && !cl))
		return false;
	const tm_value *at = swarm ? tm_map_get(svcs[s].v, "labels") : tm_map_get(tm_map_get(svcs[s].v, "deploy"), "labels");
	if (!noted[swarm]) {
		noted[swarm] = true;
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(svcs[s].mf, at),
			    swarm ? "service %s carries its Traefik labels under labels:, on its containers; Traefik service "
				    "%s runs in Swarm mode, which reads the labels of Swarm services (deploy.labels) only: "
				    "not routed"
				  : "service %s carries its Traefik labels under deploy.labels:, on the Swarm service; "
				    "Traefik service %s runs the Docker provider, which reads the containers' labels only: "
				    "not routed",
			    svcs[s].name, svcs[t].name);
	}
	return true;
}

/* The routes Traefik service t makes of the services' labels (all: those it reads); the name of a
 * middleware a router names that no label defines, in *unknown. */
static void routes_of(tm_ingest_ctx *ctx, tm_gw_config *g, const tm_compose_svc *svcs, size_t n, size_t t,
		      const struct mode *m, const struct labels *all, tm_compose_text_fn text, tm_pset *routed,
		      const char **unknown)
{
	tm_arena *a = ctx->scratch;
	const char *nets[NETS_MAX], *last = NULL;
	size_t nn = nets_of(svcs[t].n, nets);
	bool cx_noted = false, kind_noted[2] = {false, false};
	for (size_t s = 0; s < n; s++) {
		if (!svcs[s].n || !all[s].keys)
			continue;
		const char *net = svcs[s].outside ? shared_net(nets, nn, svcs[s].n) : NULL;
		if (svcs[s].outside && !net)
			continue; /* on no network of Traefik's: not reached */
		if (s != t && other_kind(ctx, svcs, t, s, m, kind_noted)) {
			if (svcs[s].outside && tm_pset_add(routed, svcs[s].n) < 0) /* said: no other note */
				tm_arena_set_failed(a);
			continue;
		}
		const tm_value *en_at = NULL;
		const char *enable = label(&all[s], "traefik.enable", &en_at);
		if (enable ? strcasecmp(enable, "true") != 0 : !m->by_default)
			continue;
		int holds = m->constraints && s != t ? constraint_holds(a, m->constraints, &all[s]) : 1;
		if (holds == 0)
			continue; /* left to another Traefik (dockerswarm.rocks' traefik.constraint-label) */
		if (holds < 0 && !cx_noted) {
			cx_noted = true;
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, m->at,
				    "Traefik service %s's constraints (%s) are not read: every service it would expose is "
				    "taken as routed",
				    svcs[t].name, m->constraints);
		}
		const char **names = tm_arena_alloc(a, (all[s].n + 1) * sizeof(char *));
		size_t nr = names ? router_names(a, &all[s], names) : 0;
		const char *port = server_port(a, &all[s], &svcs[s], text);
		const char *up = tm_arena_printf(a, "http://%s%s%s", svcs[s].name, port ? ":" : "", port ? port : "");
		const tm_value *key_at = en_at ? en_at : all[s].n ? all[s].at[0] : svcs[s].v;
		size_t made = 0;
		/* Traefik's own labels: only its routers to its internal services (the dashboard) */
		for (size_t r = 0; r < (nr ? nr : s != t); r++)
			if (!(nr && internal_router(ctx, g, svcs[s].mf, &all[s], all, n, names[r], key_at, unknown)) && s != t)
				made += router(ctx, g, svcs[s].mf, &svcs[s], &all[s], all, n, nr ? names[r] : NULL, up, key_at,
					       unknown);
		if (!svcs[s].outside || !made)
			continue;
		/* resolved in its own project; said on the gateway, once per project and network */
		tm_gw_routes_scope(g, made, svcs[s].project);
		if (tm_pset_add(routed, svcs[s].n) < 0)
			tm_arena_set_failed(a);
		const char *what = tm_arena_printf(a, "compose project %s over network %s", svcs[s].project, net);
		if (what && (!last || strcmp(last, what) != 0))
			tm_gw_config_fact(ctx, g, "routes_other_projects", what, tm_ingest__loc(svcs[s].mf, key_at));
		last = what;
	}
}

void tm_compose__traefik(tm_ingest_ctx *ctx, const tm_compose_svc *svcs, size_t n, tm_compose_text_fn text,
			 tm_pset *routed)
{
	tm_arena *a = ctx->scratch;
	struct labels *cache[LABELS_BOTH + 1] = {NULL};
	for (size_t t = 0; t < n; t++) {
		if (svcs[t].outside || !svcs[t].n || !is_traefik(&svcs[t], text))
			continue;
		const char *cmd = command_of(a, &svcs[t], text);
		struct mode m = mode_of(ctx, &svcs[t], text, cmd);
		const char *admin = insecure_api(a, cmd);
		if (!m.docker && !admin)
			continue; /* no Docker provider: its routes are in files gw_traefik.c reads */
		/* every service's labels, once per kind: middlewares are shared across the provider */
		const struct labels *all = labels_all(a, cache, m.kinds, svcs, n, text);
		const tm_value *img = tm_map_get(svcs[t].v, "image");
		const char *path = tm_arena_printf(a, "%s#%s", svcs[t].file, svcs[t].name);
		tm_gw_config *g = path && all ? tm_gw_config_new(ctx, "traefik", path, tm_ingest__loc(svcs[t].mf, img),
								  tm_hash(path, strlen(path)))
					     : NULL;
		if (!g)
			return;
		tm_gw_config_host(ctx, g, svcs[t].n);
		tm_gw_config_hosted(g, !m.docker ? "the compose service runs Traefik"
				       : m.kinds == LABELS_DEPLOY ? "the compose service runs Traefik with the Swarm provider"
								  : "the compose service runs Traefik with the Docker provider");
		if (admin)
			tm_gw_config_fact(ctx, g, "admin_listen", admin, tm_ingest__loc(svcs[t].mf, tm_map_get(svcs[t].v, "command")));
		if (!m.docker)
			continue;
		if (m.constraints)
			tm_gw_config_fact(ctx, g, "constraints", m.constraints, m.at);
		if (!m.flags && !m.from_file)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(svcs[t].mf, img),
				    "Traefik service %s reads its configuration from a file that is not read: the services "
				    "it routes are those whose labels say traefik.enable=true",
				    svcs[t].name);
		const char *unknown = NULL;
		routes_of(ctx, g, svcs, n, t, &m, all, text, routed, &unknown);
		if (unknown)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(svcs[t].mf, img),
				    "Traefik middleware %s is not defined by a label of this project (another provider's, "
				    "or a file's): what it checks is not known",
				    unknown);
	}
}
