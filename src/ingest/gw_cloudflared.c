/*
 * gw_cloudflared.c - Cloudflare Tunnel (cloudflared) as a way in from the internet.
 *
 * cloudflared connects out to Cloudflare's edge, which hands it the requests for the tunnel's host
 * names: a tunnel publishes what it routes to however its own workload is exposed (gateway.c draws
 * the internet's edge to every "cloudflared" gateway, and its `tls` is true: the edge serves HTTPS).
 *
 * A locally managed tunnel's configuration file (detect.c: an `ingress` list of rules with a
 * `service`, and the `tunnel` it runs or the catch-all rule last), as a file or a ConfigMap value:
 *   ingress[]
 *     hostname                      the route's virtual host ("*.example.com" a wildcard)
 *     path                          a regular expression cloudflared matches anywhere in the path:
 *                                   a regex route; none: every path
 *     service  http(s)://, ws(s)://  an HTTP route to the host the URL names (resolved by gateway.c)
 *              tcp://, ssh://,      a TCP route (no path): the port published raw; ssh and rdp are
 *              rdp://, smb://       said in a note and a `raw_tcp_routes` fact
 *              unix:, unix+tls:     a socket of cloudflared's own host: no route, a fact and a note
 *              http_status:NNN      answered by cloudflared itself: no route (an `answered_routes`
 *                                   fact); one with a path is a deny rule of the later rules of its
 *                                   host (cloudflared takes the first rule that matches)
 *              hello_world          cloudflared's test page: no route, an `answered_routes` fact
 *              bastion, socks5      the client names the destination: a `bastion` fact and a note
 *     originRequest                 over the file's top-level originRequest, key by key:
 *       access.required: true       cloudflared checks Cloudflare Access's JWT: authn jwt, the check
 *                                   named with its team (the Access policy itself is Cloudflare's)
 *       noTLSVerify: true           to an https origin: an `origin_tls_unverified` fact
 *   tunnel                          a `tunnel` fact; warp-routing.enabled: a `warp_routing` fact
 *
 * The container that runs cloudflared (a Kubernetes container or compose service whose image is
 * cloudflared's or whose command names it, and whose command says `tunnel`) is kept, its words and
 * tunnel settings read here: `--config PATH`, `--token X` / `--token=X` / `--token-file`, the
 * environment's TUNNEL_TOKEN and TUNNEL_TOKEN_FILE (a token), `--url URL` and TUNNEL_URL (one
 * origin), `--hello-world`, `run NAME`. When the gateways' hosts are known (tm_ingest__cloudflared_runs):
 *   --url URL                        a gateway of its own with one route, every host and path, to URL;
 *                                    without a token or tunnel name a quick tunnel (`quick_tunnel`)
 *   a configuration it runs          its routes are the file's; with a token, a note: a tunnel made in
 *                                    the dashboard (remotely managed) takes its routes from there
 *   none                             a gateway whose routes are not in the files (`routes_unknown`,
 *                                    and a note): remotely managed with a token, else its
 *                                    configuration is not in the scan; `query can internet` answers
 *                                    unknown for what it reaches (analyze/query.c)
 * Work is linear in the rules and the words; a rule's deny rules look at the first DENY_MAX answered
 * rules with a path only.
 */
#include <ctype.h>
#include <strings.h>

#include "ingest.h"

#define DENY_MAX 8
/* Words of one container's command line read; a longer one is read in part (said in a note). */
#define WORDS_MAX 512

struct cf_run {
	tm_node *w;
	tm_loc at;
	const char *token_how; /* "--token" or "TUNNEL_TOKEN": run with a token */
	tm_loc token_at;
	const char *url; /* --url, TUNNEL_URL */
	tm_loc url_at;
	bool hello;
	tm_loc hello_at;
	const char *config; /* --config PATH */
	tm_loc config_at;
	const char *name; /* run NAME */
	struct cf_run *next;
};

struct tm_cf_set {
	struct cf_run *head, **tail;
};

bool tm_ingest__cloudflared_image(const char *image)
{
	if (!image)
		return false;
	const char *slash = strrchr(image, '/');
	const char *repo = slash ? slash + 1 : image;
	return strncmp(repo, "cloudflared", 11) == 0 && (!repo[11] || repo[11] == ':' || repo[11] == '@');
}

/* ---- the configuration file ------------------------------------------------------------------- */

/* A scalar setting of the rule's originRequest, else of the file's: the value that decides. */
static const tm_value *origin_setting(const tm_value *rule, const tm_value *top, const char *key)
{
	const tm_value *v = tm_map_get(tm_map_get(rule, "originRequest"), key);
	return v ? v : tm_map_get(top, key);
}

static bool is_true(const tm_value *v)
{
	bool b = false;
	return v && !tm_scalar_bool(v, &b) && b;
}

/* The service's scheme, lowercased, into buf ("http", "ssh", "http_status", "unix"...); "" when it
 * names none (hello_world, bastion). */
static const char *scheme_of(const char *svc, char *buf, size_t cap)
{
	size_t n = strcspn(svc, ":");
	if (!svc[n] || n + 1 > cap)
		n = 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)svc[i]);
	buf[n] = '\0';
	return buf;
}

static bool any_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* An earlier rule cloudflared answers itself for a path (http_status:NNN): the later rules of its
 * host do not take that path. */
struct answered {
	const char *host; /* NULL: any */
	const char *how;
};

static const char *deny_of(const struct answered *ans, size_t n, const char *host)
{
	for (size_t i = 0; i < n; i++)
		if (!ans[i].host || (host && strcasecmp(ans[i].host, host) == 0))
			return ans[i].how;
	return NULL;
}

/* One ingress rule of g: its route, or the fact that says why it has none. */
static void rule(tm_ingest_ctx *ctx, tm_gw_config *g, const tm_file *f, const tm_value *top, const tm_value *r,
		 struct answered *ans, size_t *nans)
{
	static const char *const http[] = {"http", "https", "ws", "wss", NULL};
	static const char *const tcp[] = {"tcp", "ssh", "rdp", "smb", NULL};
	const char *svc = tm_map_get_str(r, "service");
	const char *host = tm_map_get_str(r, "hostname");
	const char *path = tm_map_get_str(r, "path");
	tm_loc at = tm_ingest__loc(f, r);
	const char *label = tm_arena_printf(ctx->scratch, "%s%s%s", host ? host : "any host", path ? " path " : "",
					    path ? path : "");
	char sch[16];
	scheme_of(svc, sch, sizeof(sch));
	if (!label)
		return;
	if (strcmp(sch, "http_status") == 0 || strcmp(svc, "hello_world") == 0) {
		tm_gw_config_fact(ctx, g, "answered_routes", tm_arena_printf(ctx->scratch, "%s: %s", label, svc), at);
		const char *what = path && *path && *sch && *nans < DENY_MAX
					   ? tm_arena_printf(ctx->scratch, "%s for path ~%s", svc, path)
					   : NULL;
		if (what)
			ans[(*nans)++] = (struct answered){host, tm_gw_where(ctx, what, at)};
		return;
	}
	if (strcmp(svc, "bastion") == 0 || strcmp(svc, "socks5") == 0) {
		tm_gw_config_fact(ctx, g, "bastion", tm_arena_printf(ctx->scratch, "%s: %s", label, svc), at);
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
			    "rule for %s is cloudflared's %s mode: the client names the destination, any address the "
			    "host running cloudflared reaches; what Cloudflare Access admits to it is not in the files",
			    label, svc);
		return;
	}
	if (strcmp(sch, "unix") == 0 || strcmp(sch, "unix+tls") == 0) {
		tm_gw_config_fact(ctx, g, "socket_routes", tm_arena_printf(ctx->scratch, "%s: %s", label, svc), at);
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
			    "rule for %s forwards to %s, a socket on the host running cloudflared: what listens there is "
			    "not in the files, so the route ends at the tunnel",
			    label, svc);
		return;
	}
	bool raw = any_of(sch, tcp);
	if (!raw && !any_of(sch, http)) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, at,
			    "rule for %s: service %s is no origin cloudflared knows (http, https, ws, wss, tcp, ssh, rdp, "
			    "smb, unix, http_status, hello_world, bastion, socks5): cloudflared refuses the file",
			    label, svc);
		return;
	}
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	const tm_value *access = origin_setting(r, top, "access");
	if (is_true(tm_map_get(access, "required"))) {
		const char *team = tm_map_get_str(access, "teamName");
		const char *what = tm_arena_printf(ctx->scratch, "Cloudflare Access JWT%s%s%s", team ? " (team " : "",
						   team ? team : "", team ? ")" : "");
		c.authn = TM_AUTHN_JWT;
		c.authn_how = what ? tm_gw_where(ctx, what, tm_ingest__loc(f, tm_map_get(access, "required"))) : NULL;
	}
	if (!raw)
		c.deny_how = deny_of(ans, *nans, host);
	tm_gw_route_new(ctx, g, raw ? "" : path && *path ? path : "/", raw ? TM_GW_TCP : path && *path ? TM_GW_REGEX : TM_GW_PREFIX,
			svc, host, &c, at);
	if (raw) {
		tm_gw_config_fact(ctx, g, "raw_tcp_routes", tm_arena_printf(ctx->scratch, "%s -> %s", label, svc), at);
		if (strcmp(sch, "ssh") == 0 || strcmp(sch, "rdp") == 0)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
				    "rule for %s publishes %s (%s) to the internet through the tunnel: any client running "
				    "`cloudflared access` reaches it%s",
				    label, strcmp(sch, "ssh") == 0 ? "SSH" : "remote desktop", svc,
				    c.authn_how ? ", with a Cloudflare Access token"
						: " unless a Cloudflare Access policy, set in the dashboard and not in the "
						  "files, admits only some");
	}
	const tm_value *ntv = origin_setting(r, top, "noTLSVerify");
	if (strcmp(sch, "https") == 0 && is_true(ntv))
		tm_gw_config_fact(ctx, g, "origin_tls_unverified",
				  tm_arena_printf(ctx->scratch, "%s -> %s (noTLSVerify: any certificate is taken)", label, svc),
				  tm_ingest__loc(f, ntv));
}

bool tm_ingest__cloudflared_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, tm_node *host)
{
	tm_gw_config *g = tm_gw_config_new(ctx, "cloudflared", tm_file_path(f), tm_ingest__loc(f, root), tm_file_digest(f));
	if (!g)
		return false;
	tm_gw_config_host(ctx, g, host);
	tm_gw_config_set_tls(g, true); /* Cloudflare's edge serves the host names with its certificate */
	const tm_value *tunnel = tm_map_get(root, "tunnel");
	if (tm_scalar_str(tunnel, NULL))
		tm_gw_config_fact(ctx, g, "tunnel", tm_scalar_str(tunnel, NULL), tm_ingest__loc(f, tunnel));
	const tm_value *warp = tm_map_get(tm_map_get(root, "warp-routing"), "enabled");
	if (is_true(warp))
		tm_gw_config_fact(ctx, g, "warp_routing",
				  "enabled: WARP clients of the account reach the networks of the host running cloudflared, as "
				  "the account's private network routes say",
				  tm_ingest__loc(f, warp));
	const tm_value *top = tm_map_get(root, "originRequest");
	const tm_value *rules = tm_map_get(root, "ingress");
	struct answered ans[DENY_MAX];
	size_t nans = 0;
	for (size_t i = 0; i < tm_value_len(rules); i++) {
		const tm_value *r = tm_seq_at(rules, i);
		if (tm_map_get_str(r, "service"))
			rule(ctx, g, f, top, r, ans, &nans);
	}
	return true;
}

/* ---- the container that runs it ---------------------------------------------------------------- */

/* A word with quotes and a trailing ';' taken off, in a; NULL when nothing is left. */
static const char *bare(tm_arena *a, const char *w, size_t n)
{
	while (n && (*w == '"' || *w == '\'')) {
		w++;
		n--;
	}
	while (n && (w[n - 1] == '"' || w[n - 1] == '\'' || w[n - 1] == ';'))
		n--;
	return n ? tm_arena_strndup(a, w, n) : NULL;
}

/* The value of flag in word w (`--flag=value`, also with a single dash), or of the next word when w
 * is the flag alone (*takes set: the next word is used). NULL when w is not the flag. */
static const char *flag_value(const char *w, const char *next, const char *flag, bool *takes)
{
	*takes = false;
	const char *p = w[0] == '-' ? w + 1 + (w[1] == '-') : NULL;
	size_t fl = strlen(flag);
	if (!p || strncmp(p, flag, fl) != 0)
		return NULL;
	if (p[fl] == '=')
		return p + fl + 1;
	if (p[fl])
		return NULL;
	*takes = next != NULL;
	return next ? next : "";
}

struct words {
	const char *w[WORDS_MAX];
	tm_loc at[WORDS_MAX];
	size_t n;
	bool cut;
};

/* Every blank-separated word of the items (a `sh -c "..."` string's too). */
static void split(tm_arena *a, const tm_cf_item *items, size_t n, struct words *out)
{
	out->n = 0;
	out->cut = false;
	for (size_t i = 0; i < n; i++)
		for (const char *p = items[i].key; p && *p;) {
			p += strspn(p, " \t\r\n");
			size_t l = strcspn(p, " \t\r\n");
			const char *w = l ? bare(a, p, l) : NULL;
			p += l;
			if (!w)
				continue;
			if (out->n == WORDS_MAX) {
				out->cut = true;
				return;
			}
			out->at[out->n] = items[i].at;
			out->w[out->n++] = w;
		}
}

static bool names_cloudflared(const char *w)
{
	const char *slash = strrchr(w, '/');
	return strcmp(slash ? slash + 1 : w, "cloudflared") == 0;
}

void tm_ingest__cloudflared_container(tm_ingest_ctx *ctx, tm_node *w, const char *image, const tm_cf_item *words,
				      size_t nwords, const tm_cf_item *env, size_t nenv, tm_loc at)
{
	tm_cf_set **set = tm_gw__cloudflared(ctx);
	if (!set || !w)
		return;
	struct words *ws = tm_calloc(1, sizeof(*ws));
	if (!ws) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	split(ctx->scratch, words, nwords, ws);
	bool named = tm_ingest__cloudflared_image(image), tunnel = false, after_run = false;
	struct cf_run r = {.w = w, .at = at};
	for (size_t i = 0; i < ws->n; i++) {
		const char *x = ws->w[i], *next = i + 1 < ws->n ? ws->w[i + 1] : NULL, *v;
		bool takes = false;
		named = named || names_cloudflared(x);
		if (!tunnel && strcmp(x, "tunnel") == 0) {
			tunnel = true;
		} else if ((v = flag_value(x, next, "config", &takes))) {
			r.config = v;
			r.config_at = ws->at[i];
		} else if ((v = flag_value(x, next, "token", &takes)) || (v = flag_value(x, next, "token-file", &takes))) {
			r.token_how = strstr(x, "token-file") ? "--token-file" : "--token";
			r.token_at = ws->at[i];
		} else if ((v = flag_value(x, next, "url", &takes))) {
			r.url = v;
			r.url_at = ws->at[i];
		} else if (flag_value(x, next, "hello-world", &takes)) {
			r.hello = true;
			r.hello_at = ws->at[i];
			takes = false; /* a boolean flag */
		} else if (tunnel && !after_run && strcmp(x, "run") == 0) {
			after_run = true;
			takes = false;
		} else {
			/* `tunnel run [options] NAME`: the tunnel's name or id is its word that is no flag */
			if (after_run && x[0] != '-')
				r.name = x;
			takes = false;
		}
		i += takes;
	}
	bool cut = ws->cut;
	tm_free(ws);
	for (size_t i = 0; i < nenv; i++) {
		const char *k = env[i].key;
		if (!k)
			continue;
		if ((strcmp(k, "TUNNEL_TOKEN") == 0 || strcmp(k, "TUNNEL_TOKEN_FILE") == 0) && !r.token_how) {
			r.token_how = k;
			r.token_at = env[i].at;
		} else if (strcmp(k, "TUNNEL_URL") == 0 && env[i].value && *env[i].value && !r.url) {
			r.url = env[i].value;
			r.url_at = env[i].at;
		} else if (strcmp(k, "TUNNEL_HELLO_WORLD") == 0 && env[i].value && strcasecmp(env[i].value, "true") == 0) {
			r.hello = true;
			r.hello_at = env[i].at;
		}
	}
	if (!named || !tunnel)
		return;
	if (cut)
		tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_NOTE, at,
			    "%s: cloudflared's command line has more than %d words; the rest are not read", tm_node_id(w),
			    WORDS_MAX);
	struct cf_run *kept = tm_arena_alloc(ctx->scratch, sizeof(*kept));
	if (!kept) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	*kept = r;
	if (!*set) {
		*set = tm_arena_alloc(ctx->scratch, sizeof(**set));
		if (!*set) {
			tm_arena_set_failed(ctx->scratch);
			return;
		}
		(*set)->head = NULL;
		(*set)->tail = &(*set)->head;
	}
	*(*set)->tail = kept;
	(*set)->tail = &kept->next;
}

/* The scalars of a Kubernetes container's seq (command, args) as items. */
static size_t k8s_items(const tm_file *f, const tm_value *seq, tm_cf_item *out, size_t at)
{
	for (size_t i = 0; tm_value_kind_of(seq) == TM_VALUE_SEQ && i < tm_value_len(seq); i++) {
		const char *s = tm_scalar_str(tm_seq_at(seq, i), NULL);
		if (s)
			out[at++] = (tm_cf_item){s, NULL, tm_ingest__loc(f, tm_seq_at(seq, i))};
	}
	return at;
}

/* Does a word of seq hold one of needles (NULL-terminated)? */
static bool mentions(const tm_value *seq, const char *const *needles)
{
	for (size_t i = 0; tm_value_kind_of(seq) == TM_VALUE_SEQ && i < tm_value_len(seq); i++) {
		const char *s = tm_scalar_str(tm_seq_at(seq, i), NULL);
		for (size_t k = 0; s && needles[k]; k++)
			if (strstr(s, needles[k]))
				return true;
	}
	return false;
}

bool tm_ingest__k8s_container_items(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *c, const char *const *needles,
				    tm_cf_item **words, size_t *nwords, tm_cf_item **vars, size_t *nvars, bool *mentioned)
{
	const tm_value *cmd = tm_map_get(c, "command"), *args = tm_map_get(c, "args"), *env = tm_map_get(c, "env");
	*mentioned = mentions(cmd, needles) || mentions(args, needles);
	size_t nw = tm_value_len(cmd) + tm_value_len(args), ne = tm_value_len(env);
	*words = nw ? tm_arena_alloc(ctx->scratch, nw * sizeof(**words)) : NULL;
	*vars = ne ? tm_arena_alloc(ctx->scratch, ne * sizeof(**vars)) : NULL;
	*nwords = *nvars = 0;
	if ((nw && !*words) || (ne && !*vars)) {
		tm_arena_set_failed(ctx->scratch);
		return false;
	}
	*nwords = k8s_items(f, args, *words, k8s_items(f, cmd, *words, 0));
	for (size_t i = 0; tm_value_kind_of(env) == TM_VALUE_SEQ && i < ne; i++) {
		const tm_value *e = tm_seq_at(env, i);
		const char *name = tm_map_get_str(e, "name");
		if (name) /* a value from a Secret (valueFrom) is set, its value not in the files */
			(*vars)[(*nvars)++] = (tm_cf_item){name, tm_map_get_str(e, "value"), tm_ingest__loc(f, e)};
	}
	return true;
}

void tm_ingest__cloudflared_k8s(tm_ingest_ctx *ctx, tm_node *w, const tm_file *f, const tm_value *c)
{
	static const char *const needles[] = {"cloudflared", NULL};
	const char *image = tm_map_get_str(c, "image");
	tm_cf_item *words, *vars;
	size_t n, k;
	bool named;
	if (!ctx->gw || !tm_ingest__k8s_container_items(ctx, f, c, needles, &words, &n, &vars, &k, &named) ||
	    (!tm_ingest__cloudflared_image(image) && !named))
		return;
	tm_ingest__cloudflared_container(ctx, w, image, words, n, vars, k, tm_ingest__loc(f, c));
}

/* ---- when the gateways finish ------------------------------------------------------------------ */

/* A gateway of run r's own (a --url origin, or routes the files do not hold), named after the file
 * and the workload: "<file>#<workload>". */
static tm_gw_config *own_config(tm_ingest_ctx *ctx, const struct cf_run *r, const char *how)
{
	const char *path = tm_arena_printf(ctx->scratch, "%s#%s", r->at.path ? r->at.path : "?", tm_node_name(r->w));
	tm_gw_config *g = path ? tm_gw_config_new(ctx, "cloudflared", path, r->at, tm_hash(path, strlen(path))) : NULL;
	if (!g)
		return NULL;
	tm_gw_config_set_tls(g, true);
	tm_gw_config_host(ctx, g, r->w);
	tm_gw_config_hosted(g, how);
	return g;
}

static void quick_tunnel(tm_ingest_ctx *ctx, const struct cf_run *r)
{
	tm_gw_config *g = own_config(ctx, r, "the workload runs cloudflared with --url (or TUNNEL_URL): one origin");
	if (!g)
		return;
	if (r->hello)
		tm_gw_config_fact(ctx, g, "answered_routes", "any host: hello_world (--hello-world)", r->hello_at);
	if (r->url && *r->url)
		tm_gw_route_new(ctx, g, "/", TM_GW_PREFIX, r->url, NULL, NULL, r->url_at);
	if (!r->token_how && !r->name)
		tm_gw_config_fact(ctx, g, "quick_tunnel",
				  "a quick tunnel: Cloudflare gives it a random trycloudflare.com name, open to anyone "
				  "who learns it, with no Access policy",
				  r->url && *r->url ? r->url_at : r->hello_at);
}

/* A tunnel whose routes are not in the files: a gateway that says so, reached from the internet. */
static void unknown_routes(tm_ingest_ctx *ctx, const struct cf_run *r)
{
	tm_gw_config *g = own_config(ctx, r, "the workload runs cloudflared, and no configuration of its routes is in the scan");
	if (!g)
		return;
	const char *why;
	tm_loc at = r->at;
	if (r->token_how) {
		why = tm_arena_printf(ctx->scratch,
				      "run with a token (%s) and no configuration of routes: remotely managed, its public host "
				      "names and the services they reach are set in Cloudflare's dashboard, not in the files",
				      r->token_how);
		at = r->token_at;
	} else {
		why = tm_arena_printf(ctx->scratch,
				      "the configuration it runs (%s%s) is not in the scan: its public host names and the "
				      "services they reach are not known",
				      r->config ? "--config " : "its default, config.yml in ~/.cloudflared or /etc/cloudflared",
				      r->config ? r->config : "");
		if (r->config)
			at = r->config_at;
	}
	if (!why)
		return;
	tm_gw_config_fact(ctx, g, "routes_unknown", why, at);
	tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
		    "%s runs a Cloudflare Tunnel %s; the tunnel is modelled as a gateway the internet reaches whose "
		    "routes are unknown",
		    tm_node_id(r->w), why);
}

void tm_ingest__cloudflared_runs(tm_ingest_ctx *ctx)
{
	tm_cf_set **set = tm_gw__cloudflared(ctx);
	for (const struct cf_run *r = set && *set ? (*set)->head : NULL; r; r = r->next) {
		size_t nroutes = 0, nconf = tm_gw_hosted(ctx, "cloudflared", r->w, &nroutes);
		if ((r->url && *r->url) || r->hello) {
			quick_tunnel(ctx, r);
			continue;
		}
		if (!nconf) {
			unknown_routes(ctx, r);
			continue;
		}
		if (r->token_how)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, r->token_at,
				    "%s runs its tunnel with a token (%s) beside a configuration of %zu route%s: a tunnel made "
				    "in Cloudflare's dashboard (remotely managed) takes its routes from there and ignores the "
				    "file's, which are the ones modelled",
				    tm_node_id(r->w), r->token_how, nroutes, nroutes == 1 ? "" : "s");
	}
}
