/*
 * compose_traefik.c - Traefik's Docker provider: the routes a compose project writes in its
 * services' labels, read as a gateway configuration run by the project's Traefik service.
 *
 * Traefik watches the Docker socket and makes a router per `traefik.http.routers.<name>.rule`
 * label of each container it exposes, to the container's port (the label
 * `traefik.http.services.<name>.loadbalancer.server.port`, else the one port it exposes), through
 * the middlewares the router names. A container is exposed when it says `traefik.enable=true`, or,
 * unless the Traefik command says `--providers.docker.exposedByDefault=false`, when it says nothing
 * (Traefik's default, with the default rule Host(`<service>`)). With no provider flags in the
 * command, the static configuration the service bind-mounts (read by gw_traefik.c) says whether the
 * Docker provider runs and exposes by default; with neither, the services it would expose by
 * default are taken as not exposed, and a note says so. Each router becomes a gateway route (tm_gw_route_new) from the
 * gateway "gateway:traefik:<file>#<service>", hosted by the Traefik service, so the gateway code
 * resolves the backends, draws the edges and weighs the checks as for nginx, Envoy and Kong.
 */
#include <ctype.h>
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

/* The service's labels, then its deploy.labels (where Swarm mode keeps them). */
static void labels_of(tm_arena *a, const tm_compose_svc *s, tm_compose_text_fn text, void *ud, struct labels *out)
{
	const tm_value *lvs[] = {tm_map_get(s->v, "labels"), tm_map_get(tm_map_get(s->v, "deploy"), "labels")};
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
			const char *k = map ? tm_scalar_str(tm_map_key(lv, i), NULL) : NULL, *t = text(ud, v);
			if (!map && t) { /* "key=value" */
				const char *eq = strchr(t, '=');
				k = eq ? tm_arena_strndup(a, t, (size_t)(eq - t)) : t;
				t = eq ? eq + 1 : "";
			}
			if (!k || strncasecmp(k, "traefik.", 8) != 0)
				continue;
			out->keys[out->n] = k;
			out->values[out->n] = t ? t : "";
			out->at[out->n++] = v;
		}
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
static const char *command_of(tm_arena *a, const tm_compose_svc *s, tm_compose_text_fn text, void *ud)
{
	const tm_value *cv = tm_map_get(s->v, "command");
	tm_strbuf sb = TM_STRBUF_INIT;
	if (tm_value_kind_of(cv) == TM_VALUE_SEQ)
		for (size_t i = 0; i < tm_value_len(cv); i++)
			tm_strbuf_printf(&sb, "%s ", text(ud, tm_seq_at(cv, i)) ? text(ud, tm_seq_at(cv, i)) : "");
	else if (text(ud, cv))
		tm_strbuf_printf(&sb, "%s", text(ud, cv));
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

static bool is_traefik(const tm_compose_svc *s, tm_compose_text_fn text, void *ud)
{
	return tm_compose__traefik_image(text(ud, tm_map_get(s->v, "image")));
}

/* Does s mount the Docker socket (the provider's source)? */
static bool mounts_docker(const tm_compose_svc *s, tm_compose_text_fn text, void *ud)
{
	const tm_value *vols = tm_map_get(s->v, "volumes");
	for (size_t i = 0; i < tm_value_len(vols); i++) {
		const tm_value *v = tm_seq_at(vols, i);
		const char *t = text(ud, tm_value_kind_of(v) == TM_VALUE_MAP ? tm_map_get(v, "source") : v);
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
static const char *server_port(tm_arena *a, const struct labels *l, const tm_compose_svc *s, tm_compose_text_fn text,
			       void *ud)
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
		const char *t = text(ud, tm_value_kind_of(pv) == TM_VALUE_MAP ? tm_map_get(pv, "target") : pv);
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

/* One router of service s: a route of g per path its rule matches. */
static void router(tm_ingest_ctx *ctx, tm_gw_config *g, const tm_file *mf, const tm_compose_svc *s,
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
	tm_traefik__routes(ctx, g, rule, tcp, upstream, &c, loc, NULL);
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
static bool static_of(tm_ingest_ctx *ctx, const char *file, const tm_compose_svc *s, tm_compose_text_fn text, void *ud,
		      tm_traefik_static_info *out)
{
	const tm_value *vols = tm_map_get(s->v, "volumes");
	for (size_t i = 0; i < tm_value_len(vols); i++) {
		const tm_value *v = tm_seq_at(vols, i);
		const char *t = text(ud, tm_value_kind_of(v) == TM_VALUE_MAP ? tm_map_get(v, "source") : v);
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

void tm_compose__traefik(tm_ingest_ctx *ctx, const tm_file *mf, const char *file, const tm_compose_svc *svcs, size_t n,
			 tm_compose_text_fn text, void *ud)
{
	tm_arena *a = ctx->scratch;
	struct labels *all = NULL;
	for (size_t t = 0; t < n; t++) {
		if (!svcs[t].n || !is_traefik(&svcs[t], text, ud))
			continue;
		const char *cmd = command_of(a, &svcs[t], text, ud);
		bool flags = strstr(cmd, "providers.docker") != NULL;
		/* without provider flags, Traefik reads its static configuration from the file it mounts */
		tm_traefik_static_info st;
		bool from_file = !flags && static_of(ctx, file, &svcs[t], text, ud, &st);
		const char *admin = insecure_api(a, cmd);
		bool docker = from_file ? st.docker : flags || mounts_docker(&svcs[t], text, ud);
		if (!docker && !admin)
			continue; /* no Docker provider: its routes are in files gw_traefik.c reads */
		if (!all) { /* every service's labels, once: middlewares are shared across the project */
			if (!(all = tm_arena_alloc(a, n * sizeof(*all))))
				return;
			for (size_t k = 0; k < n; k++)
				labels_of(a, &svcs[k], text, ud, &all[k]);
		}
		bool by_default = from_file ? st.exposed_by_default : flags && !strstr(cmd, "exposedbydefault=false");
		const tm_value *img = tm_map_get(svcs[t].v, "image");
		const char *path = tm_arena_printf(a, "%s#%s", file, svcs[t].name);
		tm_gw_config *g = path ? tm_gw_config_new(ctx, "traefik", path, tm_ingest__loc(mf, img), tm_hash(path, strlen(path)))
				       : NULL;
		if (!g)
			return;
		tm_gw_config_host(ctx, g, svcs[t].n);
		tm_gw_config_hosted(g, docker ? "the compose service runs Traefik with the Docker provider"
					      : "the compose service runs Traefik");
		if (admin)
			tm_gw_config_fact(ctx, g, "admin_listen", admin, tm_ingest__loc(mf, tm_map_get(svcs[t].v, "command")));
		if (!docker)
			continue;
		if (!flags && !from_file)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(mf, img),
				    "Traefik service %s reads its configuration from a file that is not read: the services "
				    "it routes are those whose labels say traefik.enable=true",
				    svcs[t].name);
		const char *unknown = NULL;
		for (size_t s = 0; s < n; s++) {
			if (!svcs[s].n)
				continue;
			const tm_value *en_at = NULL;
			const char *enable = label(&all[s], "traefik.enable", &en_at);
			if (enable ? strcasecmp(enable, "true") != 0 : !by_default)
				continue;
			const char **names = tm_arena_alloc(a, (all[s].n + 1) * sizeof(char *));
			size_t nr = names ? router_names(a, &all[s], names) : 0;
			const char *port = server_port(a, &all[s], &svcs[s], text, ud);
			const char *up = tm_arena_printf(a, "http://%s%s%s", svcs[s].name, port ? ":" : "", port ? port : "");
			const tm_value *key_at = en_at ? en_at : tm_map_get(svcs[s].v, "labels");
			if (!key_at)
				key_at = svcs[s].v;
			/* Traefik's own labels: only its routers to its internal services (the dashboard) */
			for (size_t r = 0; r < (nr ? nr : s != t); r++)
				if (!(nr && internal_router(ctx, g, mf, &all[s], all, n, names[r], key_at, &unknown)) && s != t)
					router(ctx, g, mf, &svcs[s], &all[s], all, n, nr ? names[r] : NULL, up, key_at, &unknown);
		}
		if (unknown)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(mf, img),
				    "Traefik middleware %s is not defined by a label of this project (another provider's, "
				    "or a file's): what it checks is not known",
				    unknown);
	}
}
