/*
 * iot.c - the configuration files of an IoT stack that decide who gets in: Eclipse Mosquitto's
 * mosquitto.conf (does the broker admit anonymous clients, on which listener), Node-RED's
 * settings.js (does its editor ask for a login: adminAuth) and Zigbee2MQTT's configuration.yaml
 * (does its frontend ask for a token: frontend.auth_token). docs/inputs.md, "MQTT brokers".
 *
 * The files are read as they come (scan.c hands a mosquitto.conf or a Node-RED settings.js over
 * as text; k8s.c a ConfigMap value with the workloads mounting it; an unrecognised YAML file stays
 * in ctx->unread) and kept until every platform reader has finished: tm_ingest__iot_finish then
 * finds which workload reads each one, as the container would:
 *   - a ConfigMap holding it that the workload mounts;
 *   - a compose bind mount of the file, or of a directory above it, at the path the program reads
 *     (Mosquitto: -c PATH, else /mosquitto/config/mosquitto.conf; Node-RED: /data/settings.js;
 *     Zigbee2MQTT: /app/data/configuration.yaml).
 * A Mosquitto store (stores.c hands it over, tm_ingest__mosquitto_store) is judged from its file
 * by Mosquitto's own rules: listeners with per_listener_settings, allow_anonymous defaulting to
 * true before 2.0 and false from 2.0 on, password_file, plugins and required client certificates;
 * Mosquitto 2 with no listener listens on localhost only. A configuration mounted but not in the
 * inputs is said in a note and its authentication left unknown; a file no workload reads is an
 * input all the same, and a note says so. Node-RED and Zigbee2MQTT get a console_env item each
 * (model/console.c, TM-MESH-012): "adminAuth" or "frontend.auth_token" when set, "?KEY" when a
 * mounted directory may hold the file and the inputs do not.
 *
 * Bounds: one pass over each file's lines (two for Mosquitto: per_listener_settings first), 64
 * listeners per file, 16 mounts per store; the links through hash maps built once: linear in
 * nodes, facts and files.
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "ingest.h"

#define MQ_LISTENERS_MAX 64
#define MQ_MOUNTS_MAX 16
#define IOT_TEXT_MAX (1u << 20)

struct mq_listener {
	const char *port; /* NULL: the default listener (`port`, or 1883) */
	const char *bind; /* its address, NULL: every interface */
	bool websockets, tls, cert;
	int anon; /* allow_anonymous: -1 not said, 0 false, 1 true */
	tm_loc anon_at, at;
	const char *auth; /* password_file, plugin, psk_file: what authenticates */
	tm_loc auth_at;
};

struct mq_conf {
	const char *path; /* the file's path, or "FILE#KEY" for a ConfigMap value */
	tm_loc at;
	bool per_listener;
	struct mq_listener glob; /* outside any listener: global, or the default listener's */
	bool has_default;        /* `port` or `bind_address`: the default listener is configured */
	struct mq_listener ls[MQ_LISTENERS_MAX];
	size_t n, more;
	const char *include_dir;
	tm_loc include_at;
	tm_node **hosts; /* the workloads mounting the ConfigMap holding it */
	size_t nhosts;
	bool used;
};

struct mq_store {
	tm_node *store, *workload;
	const char *image;
	tm_loc image_at;
	const char *conf; /* -c PATH */
	tm_loc conf_at;
	const char *mounts[MQ_MOUNTS_MAX];
	tm_loc mount_at[MQ_MOUNTS_MAX];
	size_t nm;
	bool compose;
};

struct js_settings {
	const char *path;
	int admin_auth; /* 1 adminAuth set, 0 not, -1 not readable as JavaScript */
	tm_loc at;      /* adminAuth's place, or the file's */
	tm_node **hosts;
	size_t nhosts;
};

struct tm_iot_set {
	struct mq_conf **confs;
	size_t nconfs, cap_confs;
	struct mq_store *stores;
	size_t nstores, cap_stores;
	struct js_settings *js;
	size_t njs, cap_js;
};

/* Grow an array kept in the scratch arena (the old copy is left there): false when out of memory. */
static bool grow(tm_arena *a, void **items, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? 2 * *cap : 8;
	void *p = tm_arena_alloc(a, c * size);
	if (!p)
		return false;
	if (n)
		memcpy(p, *items, n * size);
	*items = p;
	*cap = c;
	return true;
}

static struct tm_iot_set *set_of(tm_ingest_ctx *ctx)
{
	if (!ctx->iot) {
		ctx->iot = tm_arena_alloc(ctx->scratch, sizeof(*ctx->iot));
		if (ctx->iot)
			memset(ctx->iot, 0, sizeof(*ctx->iot));
	}
	return ctx->iot;
}

/* ---- mosquitto.conf ------------------------------------------------------------------------ */

/* Directives only Mosquitto's configuration holds, at a line's start. */
static bool mosquitto_key(const char *w, size_t n)
{
	static const char *const keys[] = {"allow_anonymous", "password_file", "per_listener_settings",
					   "persistence_location", "acl_file", "connection_messages",
					   "allow_zero_length_clientid", "autosave_interval", "persistent_client_expiration",
					   "max_inflight_messages", "max_queued_messages", "psk_file",
					   "use_identity_as_username", "use_username_as_clientid", "websockets_log_level"};
	for (size_t i = 0; i < TM_ARRAY_LEN(keys); i++)
		if (strlen(keys[i]) == n && strncmp(w, keys[i], n) == 0)
			return true;
	return false;
}

bool tm_ingest__mosquitto_sniff(const char *text, size_t len)
{
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		size_t n = 0;
		while (p + n < e && (isalnum((unsigned char)p[n]) || p[n] == '_'))
			n++;
		if (n && p + n < e && (p[n] == ' ' || p[n] == '\t') && mosquitto_key(p, n))
			return true;
		p = nl ? nl + 1 : end;
	}
	return false;
}

/* The words of one line: the key and its value (the rest, trimmed). */
struct mq_line {
	const char *key, *value;
	size_t kl, vl;
	uint32_t line, col, vcol;
};

static bool next_line(const char **p, const char *end, uint32_t *line, struct mq_line *out)
{
	while (*p < end) {
		const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		*p = nl ? nl + 1 : end;
		(*line)++;
		while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		const char *k = s;
		while (k < e && (*k == ' ' || *k == '\t'))
			k++;
		if (k == e || *k == '#')
			continue;
		const char *ke = k;
		while (ke < e && *ke != ' ' && *ke != '\t')
			ke++;
		const char *v = ke;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		*out = (struct mq_line){k, v, (size_t)(ke - k), (size_t)(e - v), *line, (uint32_t)(k - s) + 1,
					(uint32_t)(v - s) + 1};
		return true;
	}
	return false;
}

static bool is_key(const struct mq_line *l, const char *k)
{
	return l->kl == strlen(k) && strncmp(l->key, k, l->kl) == 0;
}

static bool value_is(const struct mq_line *l, const char *v)
{
	return l->vl == strlen(v) && strncasecmp(l->value, v, l->vl) == 0;
}

/* The place of line l, for a file read at lines base+1..., columns shifted by col_offset. */
static tm_loc line_loc(const char *path, uint32_t base, uint32_t col_offset, uint32_t line, uint32_t col)
{
	return (tm_loc){path, base + line, col + col_offset, NULL};
}

static void mq_parse(tm_ingest_ctx *ctx, struct mq_conf *c, const char *path, const char *text, size_t len,
		     uint32_t base, uint32_t col_offset)
{
	tm_arena *a = ctx->scratch;
	const char *end = text + len, *p = text;
	uint32_t line = 0;
	struct mq_line l;
	/* per_listener_settings decides where every other setting belongs: read first */
	while (next_line(&p, end, &line, &l))
		if (is_key(&l, "per_listener_settings"))
			c->per_listener = value_is(&l, "true");
	c->glob.anon = -1;
	struct mq_listener *cur = &c->glob;
	p = text;
	line = 0;
	while (next_line(&p, end, &line, &l)) {
		tm_loc at = line_loc(path, base, col_offset, l.line, l.col);
		tm_loc vat = line_loc(path, base, col_offset, l.line, l.vcol);
		/* settings of authentication: the current listener's with per_listener_settings, else global */
		struct mq_listener *auth_to = c->per_listener ? cur : &c->glob;
		if (is_key(&l, "listener")) {
			if (c->n == MQ_LISTENERS_MAX) {
				c->more++;
				cur = &c->glob; /* its settings are not kept apart: the first ones' stand */
				continue;
			}
			cur = &c->ls[c->n++];
			memset(cur, 0, sizeof(*cur));
			cur->anon = -1;
			cur->at = at;
			size_t pl = strcspn(l.value, " \t");
			pl = pl > l.vl ? l.vl : pl;
			cur->port = tm_arena_strndup(a, l.value, pl);
			const char *b = l.value + pl;
			while (b < l.value + l.vl && (*b == ' ' || *b == '\t'))
				b++;
			if (b < l.value + l.vl)
				cur->bind = tm_arena_strndup(a, b, (size_t)(l.value + l.vl - b));
		} else if (is_key(&l, "port")) {
			c->has_default = true;
			c->glob.port = tm_arena_strndup(a, l.value, l.vl);
			c->glob.at = at;
		} else if (is_key(&l, "bind_address")) {
			c->has_default = true;
			c->glob.bind = tm_arena_strndup(a, l.value, l.vl);
		} else if (is_key(&l, "protocol")) {
			cur->websockets = value_is(&l, "websockets");
		} else if (is_key(&l, "certfile") || is_key(&l, "psk_hint")) {
			cur->tls = true;
		} else if (is_key(&l, "require_certificate")) {
			cur->cert = value_is(&l, "true");
		} else if (is_key(&l, "allow_anonymous")) {
			auth_to->anon = value_is(&l, "true") ? 1 : value_is(&l, "false") ? 0 : auth_to->anon;
			auth_to->anon_at = vat;
		} else if (is_key(&l, "password_file") || is_key(&l, "psk_file") || is_key(&l, "plugin") ||
			   is_key(&l, "auth_plugin")) {
			auth_to->auth = tm_arena_strndup(a, l.key, l.kl);
			auth_to->auth_at = at;
		} else if (is_key(&l, "include_dir") && !c->include_dir) {
			c->include_dir = tm_arena_strndup(a, l.value, l.vl);
			c->include_at = at;
		}
	}
}

void tm_ingest__mosquitto_text(tm_ingest_ctx *ctx, const char *path, const char *at_path, const char *text,
			       size_t len, uint32_t base, uint32_t col_offset, tm_node *const *hosts, size_t nhosts)
{
	struct tm_iot_set *s = set_of(ctx);
	struct mq_conf *c = s ? tm_arena_alloc(ctx->scratch, sizeof(*c)) : NULL;
	if (!c || !grow(ctx->scratch, (void **)&s->confs, &s->cap_confs, s->nconfs, sizeof(*s->confs))) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	memset(c, 0, sizeof(*c));
	c->path = tm_arena_strdup(ctx->scratch, path);
	at_path = at_path ? tm_arena_strdup(ctx->scratch, at_path) : c->path; /* a ConfigMap's: its manifest */
	c->at = (tm_loc){at_path, base + 1, 1 + col_offset, NULL};
	mq_parse(ctx, c, at_path, text, len, base, col_offset);
	if (nhosts) {
		c->hosts = tm_arena_alloc(ctx->scratch, nhosts * sizeof(*c->hosts));
		if (c->hosts) {
			memcpy(c->hosts, hosts, nhosts * sizeof(*hosts));
			c->nhosts = nhosts;
		}
	}
	if (c->more)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, c->at,
			    "%s: %zu listeners past the first %d are judged by the global settings", path, c->more,
			    MQ_LISTENERS_MAX);
	s->confs[s->nconfs++] = c;
}

/* ---- Node-RED's settings.js ------------------------------------------------------------------- */

bool tm_ingest__nodered_sniff(const char *text, size_t len)
{
	/* text ends with a NUL (a file read whole, a ConfigMap value) */
	static const char *const keys[] = {"flowFile", "uiPort", "httpAdminRoot", "adminAuth", "editorTheme",
					   "functionGlobalContext", "credentialSecret", "httpNodeRoot"};
	bool key = false;
	for (size_t i = 0; i < TM_ARRAY_LEN(keys) && !key; i++)
		key = strstr(text, keys[i]) != NULL;
	return key && len >= 14 && strstr(text, "module.exports") != NULL;
}

/* Does the JavaScript text set adminAuth as a property (`adminAuth: {...}`, `"adminAuth": ...`),
 * outside comments and strings? 1 yes (*line, *col its place), 0 no, -1 a comment, string or
 * template literal that does not end: not readable. One pass; regular expressions are read as
 * code, which is enough for a settings object. */
static int js_admin_auth(const char *t, size_t len, uint32_t *line, uint32_t *col)
{
	uint32_t ln = 1;
	const char *ls = t, *end = t + len;
	for (const char *p = t; p < end;) {
		char ch = *p;
		if (ch == '\n') {
			ln++;
			ls = ++p;
		} else if (ch == '/' && p + 1 < end && p[1] == '/') {
			while (p < end && *p != '\n')
				p++;
		} else if (ch == '/' && p + 1 < end && p[1] == '*') {
			const char *q = p + 2;
			for (; q + 1 < end && !(q[0] == '*' && q[1] == '/'); q++)
				if (*q == '\n') {
					ln++;
					ls = q + 1;
				}
			if (q + 1 >= end)
				return -1;
			p = q + 2;
		} else if (ch == '"' || ch == '\'' || ch == '`') {
			const char *q = p + 1;
			for (; q < end && *q != ch; q++) {
				if (*q == '\\' && q + 1 < end)
					q++;
				else if (*q == '\n' && ch != '`')
					return -1;
				if (*q == '\n') {
					ln++;
					ls = q + 1;
				}
			}
			if (q >= end)
				return -1;
			/* a quoted key: "adminAuth": */
			const char *after = q + 1;
			while (after < end && (*after == ' ' || *after == '\t'))
				after++;
			if (ch != '`' && q - p - 1 == 9 && strncmp(p + 1, "adminAuth", 9) == 0 && after < end && *after == ':') {
				*line = ln;
				*col = (uint32_t)(p - ls) + 1;
				return 1;
			}
			p = q + 1;
		} else if (isalpha((unsigned char)ch) || ch == '_' || ch == '$') {
			const char *q = p;
			while (q < end && (isalnum((unsigned char)*q) || *q == '_' || *q == '$'))
				q++;
			const char *after = q;
			while (after < end && (*after == ' ' || *after == '\t'))
				after++;
			bool dot = p > t && p[-1] == '.';
			if (q - p == 9 && strncmp(p, "adminAuth", 9) == 0 && after < end && (*after == ':' || (dot && *after == '='))) {
				*line = ln;
				*col = (uint32_t)(p - ls) + 1;
				return 1;
			}
			p = q;
		} else {
			p++;
		}
	}
	return 0;
}

void tm_ingest__nodered_text(tm_ingest_ctx *ctx, const char *path, const char *at_path, const char *text, size_t len,
			     uint32_t base, uint32_t col_offset, tm_node *const *hosts, size_t nhosts)
{
	struct tm_iot_set *s = set_of(ctx);
	if (!s || !grow(ctx->scratch, (void **)&s->js, &s->cap_js, s->njs, sizeof(*s->js))) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	struct js_settings *j = &s->js[s->njs++];
	memset(j, 0, sizeof(*j));
	j->path = tm_arena_strdup(ctx->scratch, path);
	uint32_t line = 0, col = 0;
	j->admin_auth = js_admin_auth(text, len, &line, &col);
	at_path = at_path ? tm_arena_strdup(ctx->scratch, at_path) : j->path;
	j->at = (tm_loc){at_path, base + (j->admin_auth == 1 ? line : 1), (j->admin_auth == 1 ? col : 1) + col_offset, NULL};
	if (nhosts) {
		j->hosts = tm_arena_alloc(ctx->scratch, nhosts * sizeof(*j->hosts));
		if (j->hosts) {
			memcpy(j->hosts, hosts, nhosts * sizeof(*hosts));
			j->nhosts = nhosts;
		}
	}
	if (j->admin_auth < 0)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, j->at,
			    "%s: a comment, string or template literal does not end: whether it sets adminAuth is not known",
			    path);
}

/* ---- ConfigMap values ---------------------------------------------------------------------------- */

static bool suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

void tm_ingest__iot_embedded(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *key, const tm_value *value,
			     tm_node *const *hosts, size_t nhosts)
{
	const char *k = tm_scalar_str(key, NULL), *text = tm_scalar_str(value, NULL);
	if (!k || !text || !nhosts)
		return;
	size_t len = strlen(text);
	bool conf = suffix(k, ".conf") && tm_ingest__mosquitto_sniff(text, len);
	bool js = strcmp(k, "settings.js") == 0 && tm_ingest__nodered_sniff(text, len);
	if ((!conf && !js) || len > IOT_TEXT_MAX)
		return;
	tm_loc at = tm_ingest__loc(f, value), kat = tm_ingest__loc(f, key);
	/* a block scalar's position is its text's first line; its lines sit two columns past its key
	 * (gateway.c reads ConfigMap values the same way) */
	uint32_t base = at.line ? at.line - 1 : 0;
	uint32_t col_offset = at.col > 1 ? at.col - 1 : kat.col ? kat.col - 1 + 2 : 0;
	const char *path = at.path ? at.path : tm_file_path(f);
	char *display = tm_arena_printf(ctx->scratch, "%s#%s", path, k);
	if (!display)
		return;
	if (conf)
		tm_ingest__mosquitto_text(ctx, display, path, text, len, base, col_offset, hosts, nhosts);
	else
		tm_ingest__nodered_text(ctx, display, path, text, len, base, col_offset, hosts, nhosts);
}

/* ---- stores handed over by stores.c ----------------------------------------------------------- */

void tm_ingest__mosquitto_store(tm_store_probe *p, tm_node *store)
{
	tm_ingest_ctx *ctx = p->ctx;
	struct tm_iot_set *s = set_of(ctx);
	if (!s || !grow(ctx->scratch, (void **)&s->stores, &s->cap_stores, s->nstores, sizeof(*s->stores))) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	struct mq_store *m = &s->stores[s->nstores++];
	memset(m, 0, sizeof(*m));
	m->store = store;
	m->workload = p->workload;
	m->image = tm_arena_strdup(ctx->scratch, p->what);
	m->image_at = p->loc;
	const char *wk = tm_node_attr_str(p->workload, "workload");
	m->compose = wk && strcmp(wk, "compose-service") == 0;
	bool dash_c = false;
	for (size_t i = 0; i < p->n; i++) {
		const char *t = p->env[i].text;
		if (!t)
			continue;
		if (p->env[i].which == 'm' && m->nm < MQ_MOUNTS_MAX) {
			m->mount_at[m->nm] = p->env[i].loc;
			m->mounts[m->nm++] = tm_arena_strndup(ctx->scratch, t, strcspn(t, ":"));
		} else if (p->env[i].which == 'a') {
			if (dash_c && !m->conf) {
				m->conf = tm_arena_strdup(ctx->scratch, t);
				m->conf_at = p->env[i].loc;
			}
			dash_c = strcmp(t, "-c") == 0 || strcmp(t, "--config-file") == 0;
			if (strncmp(t, "--config-file=", 14) == 0 && !m->conf) {
				m->conf = tm_arena_strdup(ctx->scratch, t + 14);
				m->conf_at = p->env[i].loc;
			}
		}
	}
	tm_mb_node_str(ctx->mb, store, "auth", "unknown"); /* until its configuration is found */
}

/* ---- finish: who reads each file --------------------------------------------------------------- */

/* The major version an image's tag names ("eclipse-mosquitto:1.6.12" -> 1); a moving or missing tag
 * is today's (2, for Mosquitto). */
static int tag_major(const char *image, int today)
{
	size_t tl;
	const char *tag = tm_console_image_tag(image, &tl);
	if (!tag || !isdigit((unsigned char)tag[0]))
		return today;
	int v = 0;
	for (const char *d = tag; d < tag + tl && isdigit((unsigned char)*d) && v < 1000; d++)
		v = v * 10 + (*d - '0');
	return v;
}

/* The bind-mount sources of workload w (compose), as the scan's paths, into out (at most max). */
static size_t bind_sources(tm_arena *a, const tm_node *w, const char **out, tm_loc *at, size_t max)
{
	size_t n = 0;
	for (size_t k = 0; k < w->facts.count && n < max; k++) {
		const tm_fact_loc *fl = &w->facts.items[k];
		if (strcmp(fl->key, "bind_mounts") != 0 || !fl->loc.path || fl->value[0] == '$')
			continue;
		char dir[1024], full[1024];
		tm_formatf(dir, sizeof(dir), "%s", fl->loc.path);
		char *slash = strrchr(dir, '/');
		*(slash ? slash : dir) = '\0';
		const char *p = tm_ingest__path_join(dir, fl->value, full, sizeof(full));
		if (p && (out[n] = tm_arena_strdup(a, p))) {
			at[n] = fl->loc;
			n++;
		}
	}
	return n;
}

static bool loopback(const char *bind)
{
	return bind && (strncmp(bind, "127.", 4) == 0 || strcmp(bind, "localhost") == 0 || strcmp(bind, "::1") == 0);
}

/* Is container path `path` under (or at) mount target t? Its rest after t, else NULL. */
static const char *under(const char *path, const char *t)
{
	size_t tl = strlen(t);
	while (tl > 1 && t[tl - 1] == '/')
		tl--;
	if (strncmp(path, t, tl) != 0 || (path[tl] != '\0' && path[tl] != '/'))
		return NULL;
	return path + tl;
}

/* The listener's description: "1883 (mqtt, plaintext)". */
static const char *listener_name(tm_arena *a, const struct mq_listener *l, const char *dflt)
{
	return tm_arena_printf(a, "%s (%s, %s)", l->port ? l->port : dflt, l->websockets ? "websockets" : "mqtt",
			       l->tls ? "TLS" : "plaintext");
}

/* The judgement of one Mosquitto store from its configuration c (may be NULL: the image's). */
static void mq_judge(tm_ingest_ctx *ctx, struct mq_store *m, struct mq_conf *c)
{
	tm_model_builder *mb = ctx->mb;
	tm_arena *a = ctx->scratch;
	tm_node *s = m->store;
	int major = tag_major(m->image, 2);
	if (!c) {
		if (major < 2) {
			tm_mb_node_fact(mb, s, "no_auth",
					tm_arena_printf(a, "%s with no configuration file: Mosquitto before 2.0 admits "
							   "anonymous clients on port 1883 of every interface", m->image),
					m->image_at);
			tm_mb_node_list_add(mb, s, "mqtt_listeners", "1883 (mqtt, plaintext): anonymous");
			tm_mb_node_str(mb, s, "auth", "none");
		} else {
			tm_mb_node_bool(mb, s, "secured_by_default", true);
			tm_mb_node_list_add(mb, s, "mqtt_listeners", "1883 on localhost only (Mosquitto 2 with no listener configured)");
		}
		return;
	}
	c->used = true;
	tm_mb_node_fact(mb, s, "mqtt_config", c->path, c->at);
	if (c->include_dir)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, c->include_at,
			    "%s: include_dir %s: the files there are not in the inputs, and may change what this file says",
			    c->path, c->include_dir);
	/* Mosquitto 2 with no listener and no port: local only, whatever else the file says */
	if (major >= 2 && !c->n && !c->has_default) {
		tm_mb_node_bool(mb, s, "secured_by_default", true);
		tm_mb_node_list_add(mb, s, "mqtt_listeners", "1883 on localhost only (no listener configured)");
		tm_mb_node_str(mb, s, "auth", "unknown");
		return;
	}
	const struct mq_listener *ls[MQ_LISTENERS_MAX + 1];
	size_t nl = 0;
	if (c->has_default || !c->n) /* `port`, or Mosquitto 1's default listener */
		ls[nl++] = &c->glob;
	for (size_t i = 0; i < c->n; i++)
		ls[nl++] = &c->ls[i];
	const char *facts[MQ_LISTENERS_MAX + 1];
	tm_loc fat[MQ_LISTENERS_MAX + 1];
	bool pub[MQ_LISTENERS_MAX + 1];
	size_t nf = 0;
	for (size_t i = 0; i < nl; i++) {
		const struct mq_listener *l = ls[i];
		const struct mq_listener *auth = c->per_listener ? l : &c->glob;
		const char *name = listener_name(a, l, "1883");
		const char *port = l->port ? l->port : "1883";
		if (loopback(l->bind) || (port[0] == '0' && !port[1])) { /* localhost, a unix socket */
			tm_mb_node_list_add(mb, s, "mqtt_listeners", tm_arena_printf(a, "%s: on %s only", name, l->bind ? l->bind : "a unix socket"));
			continue;
		}
		bool anon = auth->anon == 1 || (auth->anon == -1 && major < 2);
		if (l->cert) {
			tm_mb_node_list_add(mb, s, "mqtt_listeners", tm_arena_printf(a, "%s: client certificates required", name));
			continue;
		}
		if (!anon) {
			tm_mb_node_list_add(mb, s, "mqtt_listeners",
					    tm_arena_printf(a, "%s: %s", name, auth->auth ? auth->auth : "anonymous clients refused"));
			continue;
		}
		tm_mb_node_list_add(mb, s, "mqtt_listeners", tm_arena_printf(a, "%s: anonymous", name));
		facts[nf] = auth->anon == 1
				    ? tm_arena_printf(a, "listener %s admits anonymous clients: allow_anonymous true", name)
				    : tm_arena_printf(a, "listener %s admits anonymous clients: Mosquitto %d allows them unless "
							 "allow_anonymous false", name, major);
		fat[nf] = auth->anon == 1 ? auth->anon_at : l->at.line ? l->at : c->at;
		pub[nf] = m->compose && tm_stores__port_published(m->workload, port, strlen(port));
		nf++;
	}
	bool any_pub = false;
	for (int pass = 1; pass >= 0; pass--) /* published first: TM-DATA-002 names the first */
		for (size_t i = 0; i < nf; i++)
			if (pub[i] == (bool)pass) {
				tm_mb_node_fact(mb, s, "no_auth", facts[i], fat[i]);
				any_pub = any_pub || pub[i];
			}
	if (nf && m->compose && !any_pub)
		tm_mb_node_bool(mb, s, "no_auth_internal_only", true);
	tm_mb_node_str(mb, s, "auth", nf ? "none" : "configured");
}

struct host_link {
	const tm_node *host; /* the key's bytes: the map keeps a pointer to them */
	const void *item;
	struct host_link *next;
};

/* Index every file held for a workload (ConfigMap mounts) by the workload's pointer. */
static bool link_host(tm_arena *a, tm_hmap *by_host, const tm_node *h, const void *item)
{
	struct host_link *l = tm_arena_alloc(a, sizeof(*l));
	if (!l)
		return false;
	l->host = h;
	l->item = item;
	l->next = tm_hmap_get(by_host, (const char *)&l->host, sizeof(h));
	return tm_hmap_put(by_host, (const char *)&l->host, sizeof(h), l) == 0;
}

/* The Mosquitto configuration of store m: a ConfigMap it mounts, else a file of the scan its
 * bind mounts put at the path it reads. *expected: something is mounted at that path. */
static struct mq_conf *mq_find(tm_ingest_ctx *ctx, const tm_hmap *by_path, const tm_hmap *by_host, struct mq_store *m,
			       bool *expected, tm_loc *mount_at)
{
	const char *path = m->conf ? m->conf : "/mosquitto/config/mosquitto.conf";
	*expected = m->conf != NULL;
	*mount_at = m->conf ? m->conf_at : m->image_at;
	for (size_t i = 0; i < m->nm; i++)
		if (under(path, m->mounts[i])) {
			*expected = true;
			*mount_at = m->mount_at[i];
		}
	const tm_node *w = m->workload;
	struct mq_conf *hit = NULL;
	for (const struct host_link *l = tm_hmap_get(by_host, (const char *)&w, sizeof(w)); l; l = l->next) {
		struct mq_conf *c = (struct mq_conf *)l->item;
		const char *hash = strrchr(c->path, '#');
		const char *base = strrchr(path, '/');
		/* the key named as the file it becomes, else any .conf of it */
		if (!hit || (hash && base && strcmp(hash + 1, base + 1) == 0))
			hit = c;
	}
	if (hit || !*expected)
		return hit;
	const char *srcs[MQ_MOUNTS_MAX];
	tm_loc sat[MQ_MOUNTS_MAX];
	size_t ns = bind_sources(ctx->scratch, w, srcs, sat, MQ_MOUNTS_MAX);
	for (size_t i = 0; i < m->nm; i++) {
		const char *rest = under(path, m->mounts[i]);
		for (size_t j = 0; rest && j < ns; j++) {
			char full[1024];
			tm_formatf(full, sizeof(full), "%s%s", srcs[j], rest);
			struct mq_conf *c = tm_hmap_get(by_path, full, strlen(full));
			if (c)
				return c;
		}
	}
	return NULL;
}

/* The file named name that workload w's bind mounts hold (a source that is the file, or a directory
 * holding it), looked up in by_path; *dir_unseen: a mounted directory holds no such file of the
 * scan (it may hold one the inputs do not). */
static void *bound_file(tm_arena *a, const tm_node *w, const tm_hmap *by_path, const char *name, bool *dir_unseen,
			tm_loc *at)
{
	const char *srcs[MQ_MOUNTS_MAX];
	tm_loc sat[MQ_MOUNTS_MAX];
	size_t ns = bind_sources(a, w, srcs, sat, MQ_MOUNTS_MAX);
	*dir_unseen = false;
	for (size_t j = 0; j < ns; j++) {
		const char *base = strrchr(srcs[j], '/');
		base = base ? base + 1 : srcs[j];
		void *hit = strcmp(base, name) == 0 ? tm_hmap_get(by_path, srcs[j], strlen(srcs[j])) : NULL;
		char full[1024];
		if (!hit && !strchr(base, '.')) { /* a directory */
			tm_formatf(full, sizeof(full), "%s/%s", srcs[j], name);
			hit = tm_hmap_get(by_path, full, strlen(full));
			if (!hit && !*dir_unseen) {
				*dir_unseen = true;
				*at = sat[j];
			}
		}
		if (hit)
			return hit;
	}
	return NULL;
}

/* Zigbee2MQTT's configuration.yaml (a YAML file no reader took, ctx->unread): a console_env item
 * for its frontend's token, or "frontend=off"; read late as an input. */
static void z2m_config(tm_ingest_ctx *ctx, tm_node *w, const tm_file *f)
{
	const char *path = tm_file_path(f);
	if (tm_hmap_put(&ctx->unread, path, strlen(path), NULL) ||
	    TM_GROW(ctx->read_late, ctx->cap_read_late, ctx->nread_late + 1)) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	ctx->read_late[ctx->nread_late++] = f;
	const tm_value *root = tm_file_doc_count(f) ? tm_file_doc(f, 0) : NULL;
	const tm_value *fe = tm_map_get(root, "frontend");
	const char *fv = tm_scalar_str(fe, NULL);
	const tm_value *tok = tm_map_get(fe, "auth_token");
	const char *en = tm_scalar_str(tm_map_get(fe, "enabled"), NULL);
	const char *tv = tm_scalar_str(tok, NULL);
	if ((fv && strcmp(fv, "false") == 0) || (en && strcmp(en, "false") == 0))
		tm_mb_node_fact(ctx->mb, w, "console_env", "frontend=off", tm_ingest__loc(f, fe));
	else if (tok && (!tv || *tv))
		tm_mb_node_fact(ctx->mb, w, "console_env", "frontend.auth_token", tm_ingest__loc(f, tok));
	tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(f, root),
		    "%s: %s is read as Zigbee2MQTT's configuration of %s, which mounts it", tm_node_name(w), path, tm_node_id(w));
}

/* Node-RED and Zigbee2MQTT consoles: what their files say of their login. */
static void consoles(tm_ingest_ctx *ctx, const tm_hmap *js_by_path, const tm_hmap *js_by_host)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0, nn = tm_model_node_count(m); i < nn; i++) {
		tm_node *w = m->nodes[i];
		if (w->kind != TM_NODE_SERVICE || !tm_node_attr_get(w, "workload"))
			continue;
		const tm_attr *imgs = tm_node_attr_get(w, "images");
		const tm_console *k = NULL;
		for (size_t j = 0; imgs && imgs->type == TM_ATTR_LIST && imgs->list[j] && !k; j++)
			k = tm_console_of_image(imgs->list[j]);
		if (!k)
			continue;
		bool nodered = strcmp(k->product, "Node-RED") == 0, z2m = strcmp(k->product, "Zigbee2MQTT") == 0;
		bool unseen = false, found = false;
		tm_loc at = {0};
		if (nodered) {
			const struct js_settings *j = NULL;
			const struct host_link *l = tm_hmap_get(js_by_host, (const char *)&w, sizeof(w));
			if (l)
				j = l->item;
			if (!j)
				j = bound_file(ctx->scratch, w, js_by_path, "settings.js", &unseen, &at);
			if (j && j->admin_auth == 1)
				tm_mb_node_fact(ctx->mb, w, "console_env", "adminAuth", j->at);
			else if (j && j->admin_auth < 0)
				tm_mb_node_fact(ctx->mb, w, "console_env", "?adminAuth", j->at);
			else if (!j && unseen) {
				tm_mb_node_fact(ctx->mb, w, "console_env", "?adminAuth", at);
				tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
					    "%s: Node-RED's settings.js may be in the directory it mounts, which the inputs do "
					    "not hold with one: whether its editor asks for a login (adminAuth) is not known",
					    tm_node_name(w));
			}
		} else if (z2m) {
			const tm_file *f = bound_file(ctx->scratch, w, &ctx->unread, "configuration.yaml", &unseen, &at);
			found = f != NULL;
			if (f)
				z2m_config(ctx, w, f);
		}
		if (z2m && unseen && !found) {
			/* a directory mounted at its data path, and no configuration.yaml of it read */
			tm_mb_node_fact(ctx->mb, w, "console_env", "?frontend.auth_token", at);
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
				    "%s: Zigbee2MQTT's configuration.yaml may be in the directory it mounts, which the "
				    "inputs do not hold with one: whether its frontend asks for a token is not known",
				    tm_node_name(w));
		}
	}
}

void tm_ingest__iot_finish(tm_ingest_ctx *ctx)
{
	struct tm_iot_set *s = ctx->iot;
	if (!ctx->mb)
		return;
	tm_hmap by_path = TM_HMAP_INIT, by_host = TM_HMAP_INIT, js_by_path = TM_HMAP_INIT, js_by_host = TM_HMAP_INIT;
	bool oom = false;
	for (size_t i = 0; s && i < s->nconfs; i++) {
		struct mq_conf *c = s->confs[i];
		if (!tm_hmap_get(&by_path, c->path, strlen(c->path)))
			oom |= tm_hmap_put(&by_path, c->path, strlen(c->path), c) != 0;
		for (size_t h = 0; h < c->nhosts; h++)
			oom |= !link_host(ctx->scratch, &by_host, c->hosts[h], c);
	}
	for (size_t i = 0; s && i < s->njs; i++) {
		struct js_settings *j = &s->js[i];
		if (!tm_hmap_get(&js_by_path, j->path, strlen(j->path)))
			oom |= tm_hmap_put(&js_by_path, j->path, strlen(j->path), j) != 0;
		for (size_t h = 0; h < j->nhosts; h++)
			oom |= !link_host(ctx->scratch, &js_by_host, j->hosts[h], j);
	}
	for (size_t i = 0; s && i < s->nstores && !oom; i++) {
		struct mq_store *m = &s->stores[i];
		bool expected = false;
		tm_loc at;
		struct mq_conf *c = mq_find(ctx, &by_path, &by_host, m, &expected, &at);
		if (!c && expected) {
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
				    "%s: Mosquitto's configuration (%s) is mounted from where the inputs do not show it: "
				    "whether the broker admits anonymous clients is not known",
				    tm_node_name(m->workload), m->conf ? m->conf : "/mosquitto/config/mosquitto.conf");
			tm_mb_node_str(ctx->mb, m->store, "auth", "unknown");
			continue;
		}
		mq_judge(ctx, m, c);
	}
	for (size_t i = 0; s && i < s->nconfs; i++)
		if (!s->confs[i]->used && !s->confs[i]->nhosts)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, s->confs[i]->at,
				    "%s: a Mosquitto configuration no workload of the inputs mounts at the path its broker "
				    "reads: read, and judged with no broker",
				    s->confs[i]->path);
	if (!oom)
		consoles(ctx, &js_by_path, &js_by_host);
	tm_hmap_dispose(&by_path);
	tm_hmap_dispose(&by_host);
	tm_hmap_dispose(&js_by_path);
	tm_hmap_dispose(&js_by_host);
	if (oom)
		tm_arena_set_failed(ctx->scratch);
}
