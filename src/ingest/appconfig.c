/*
 * appconfig.c - an application's own configuration files: the credentials written in them.
 *
 * detect.c recognises the files by name (appsettings[.ENV].json, Spring's application[-PROFILE]
 * and bootstrap files, config/conf/settings/secrets/credentials/database files) when their content
 * is none of the other inputs. What such a file configures is the application's business; what
 * trustmap reads in it is the one thing that is everyone's: a credential written in the
 * repository. Every scalar is judged as the Kubernetes ingester judges an env var
 * (tm_k8s__literal_credential): a credential-named key with a written value (Password, ClientSecret,
 * api_key), or any value that carries a password (a URL's user:password@, a connection string's
 * Password=, a Go DSN's user:password@tcp(...)). Placeholders, templates (${DB_PASS}, %s) and
 * references (vault:, @Microsoft.KeyVault(...), a file path) are not credentials.
 *
 * Model: one node "secret:config:<path>" per file that holds any (store "config-file"), with a
 * `config_credentials` fact per credential (its key path, "ConnectionStrings.IdentityDb", at the
 * value's place; also in `keys`), the file's kind and, for a development or test variant of the
 * configuration (appsettings.Development.json, application-dev.yml, conf/test/, a *Tests project),
 * `config_env`. A file without credentials makes no node: it was read, and it is listed as an
 * input. Gateways' declarative files (Kong, Envoy, Ocelot; gateway.c) and raw Terraform states
 * (terraform.c) are judged the same way through tm_ingest__config_credentials, a Kong credential
 * entity's `key` and Envoy's inline values by what holds them. TM-SEC-006 reports the facts
 * (rules/secrets.c). Values are never copied into the model. No RBAC grant reads such a node
 * (analyze/reach.c): the file is in the repository, not the cluster.
 */
#include <ctype.h>
#include <stdio.h>

#include "ingest.h"
#include "k8s.h" /* tm_k8s__literal_credential: one judgement for env vars, compose and config files */

#define DEPTH_MAX 32      /* deeper keys are not looked at: no configuration nests that far */
#define FACTS_MAX 256     /* credentials recorded per file; the rest are counted */
#define KEYPATH_MAX 512

struct walk {
	tm_ingest_ctx *ctx;
	const tm_file *f;
	const char *detail;
	tm_node *node;     /* made at the first credential */
	size_t facts, more;
	const char *own_path; /* an application's own file (not a gateway's, a ConfigMap's text): its
			       * addresses are collected (calls.c) */
	char path[KEYPATH_MAX];
};

/* ---- keys made for browsers ---------------------------------------------------------------- */

/* name (its last dotted part), lower case and without separators, into buf. */
static const char *squeezed(const char *name, char *buf, size_t cap)
{
	const char *dot = strrchr(name, '.');
	const char *p = dot && dot[1] ? dot + 1 : name;
	size_t n = 0;
	for (; *p && n + 1 < cap; p++)
		if (isalnum((unsigned char)*p))
			buf[n++] = (char)tolower((unsigned char)*p);
	buf[n] = '\0';
	return buf;
}

bool tm_ingest__public_client_key(const char *name, const char *value)
{
	static const char *const browser_prefixes[] = {"NEXT_PUBLIC_", "NUXT_PUBLIC_", "EXPO_PUBLIC_", "VITE_",
						       "REACT_APP_", "GATSBY_", "PUBLIC_"};
	static const char *const secret_words[] = {"secret", "password", "passwd", "pwd", "private", "signing",
						   "encryption", "master", "admin", "servicerole"};
	/* Mapbox's public tokens (its secret ones are sk.eyJ...): made for browsers whatever holds
	 * them. (Stripe's pk_live_ is known by the names that carry it: STRIPE_PUBLISHABLE_KEY; a
	 * gateway's own api-key shaped so is not.) */
	if (value && strncmp(value, "pk.eyJ", 6) == 0)
		return true;
	size_t plen = 0;
	if (!name || !value || tm_ingest__carried_password(value, &plen)) /* a password is no one's to see */
		return false;
	char sq[128];
	squeezed(name, sq, sizeof(sq));
	for (size_t i = 0; i < TM_ARRAY_LEN(secret_words); i++)
		if (strstr(sq, secret_words[i]))
			return false;
	/* a setting a web framework builds into the bundle every browser downloads, or named public */
	for (size_t i = 0; i < TM_ARRAY_LEN(browser_prefixes); i++)
		if (strncmp(name, browser_prefixes[i], strlen(browser_prefixes[i])) == 0)
			return true;
	if (strstr(sq, "public") || strstr(sq, "publishable"))
		return true;
	/* a map's style, tiles, sprites or glyphs: the browser fetches the URL, its ?key= with it */
	static const char *const fetched[] = {"map", "tile", "style", "sprite", "glyph"};
	const char *scheme = strstr(value, "://");
	if (!scheme || !strchr(scheme, '?'))
		return false;
	for (size_t i = 0; i < TM_ARRAY_LEN(fetched); i++)
		if (strstr(sq, fetched[i]))
			return true;
	return false;
}

/* Keys whose values document a setting rather than set it (an example connection string). */
static bool documentation(const char *key)
{
	return strcmp(key, "example") == 0 || strcmp(key, "examples") == 0 || strcmp(key, "x-example") == 0 ||
	       strcmp(key, "x-examples") == 0 || strcmp(key, "description") == 0;
}

tm_node *tm_ingest__config_credential(tm_ingest_ctx *ctx, tm_node *node, const char *path, const char *kind,
				      const char *key, tm_loc at)
{
	if (!node) {
		const char *id = tm_arena_printf(ctx->scratch, "secret:config:%s", path);
		node = id ? tm_mb_node(ctx->mb, TM_NODE_SECRET, id, path, NULL, at) : NULL;
		if (!node)
			return NULL;
		tm_mb_node_str(ctx->mb, node, "config_file", path);
		tm_mb_node_str(ctx->mb, node, "store", "config-file");
		tm_mb_node_str(ctx->mb, node, "config_kind", kind ? kind : "settings");
		if (tm_dev_or_test_path(path))
			tm_mb_node_str(ctx->mb, node, "config_env", "development or test");
	}
	tm_mb_node_fact(ctx->mb, node, "config_credentials", key, at);
	tm_mb_node_list_add(ctx->mb, node, "keys", key);
	return node;
}

static void record(struct walk *w, const tm_value *v)
{
	if (w->facts >= FACTS_MAX) {
		w->more++;
		return;
	}
	tm_loc at = tm_ingest__loc(w->f, v);
	w->node = tm_ingest__config_credential(w->ctx, w->node, tm_file_path(w->f), w->detail, w->path, at);
	w->facts += w->node != NULL;
	/* an application's own file: its workloads hold the credential (calls.c) */
	if (w->own_path && w->node)
		tm_ingest__config_secret(w->ctx, w->own_path, w->node, w->path, tm_scalar_str(v, NULL), at);
}

/* The key a map's child is judged by: its own, but for the wrappers that hold a value for their
 * parent (Envoy's `hmac_secret: {inline_bytes: ...}`, `inline_string`), and for a credential entity
 * of a Kong declarative file, whose `key` is the credential itself (`keyauth_credentials[].key`).
 * key: the map's own key; list: the key of the list the map is an item of, or NULL. */
static const char *judged_key(const char *child, const char *key, const char *list)
{
	if (key && (strcmp(child, "inline_string") == 0 || strcmp(child, "inline_bytes") == 0))
		return key;
	size_t n = list ? strlen(list) : 0;
	if (strcmp(child, "key") == 0 && n > 12 && strcmp(list + n - 12, "_credentials") == 0)
		return "apikey";
	/* Alertmanager's PagerDuty receivers: routing_key (Events v2) and service_key (v1) are the
	 * integration's key, whoever holds it raises and resolves incidents (elsewhere, RabbitMQ's
	 * routing_key names a route) */
	if (list && strcmp(list, "pagerduty_configs") == 0 &&
	    (strcmp(child, "routing_key") == 0 || strcmp(child, "service_key") == 0))
		return "apikey";
	/* a Keycloak realm's users[].credentials[].value: the user's password (or its OTP secret) */
	if (strcmp(child, "value") == 0 && list && strcmp(list, "credentials") == 0)
		return "password";
	return child;
}

/* The scalars under v, each judged with its key (judged_key; a list's items with the list's).
 * list: the key of the list v is an item of, or NULL. */
static void walk(struct walk *w, const tm_value *v, const char *key, const char *list, size_t depth)
{
	if (!v || depth > DEPTH_MAX)
		return;
	size_t len = strlen(w->path);
	switch (tm_value_kind_of(v)) {
	case TM_VALUE_SCALAR: {
		tm_scalar_type t = tm_scalar_type_of(v);
		if ((t == TM_SCALAR_STR || t == TM_SCALAR_INT) && key &&
		    tm_k8s__literal_credential(key, tm_scalar_str(v, NULL)))
			record(w, v);
		/* a switch or a number too (discovery.locator.enabled: true, management.server.port: 8081) */
		if (w->own_path && (t == TM_SCALAR_STR || t == TM_SCALAR_BOOL || t == TM_SCALAR_INT) && len)
			tm_ingest__config_address(w->ctx, w->own_path, w->path, tm_scalar_str(v, NULL), tm_ingest__loc(w->f, v));
		/* a key a model server or console reads from its configuration file (LiteLLM's
		 * general_settings.master_key): a console_env fact of the file's workload, its value kept
		 * only when it is the product's documented example (sk-1234) */
		const char *sv = w->own_path && t == TM_SCALAR_STR ? tm_scalar_str(v, NULL) : NULL;
		/* a reference to a setting the table reads from the environment (LiteLLM's
		 * os.environ/LITELLM_MASTER_KEY) is that setting, judged where the environment sets it */
		if (sv && strncmp(sv, "os.environ/", 11) == 0 && tm_console_env_kind(sv + 11) != TM_CONSOLE_ENV_NONE)
			sv = NULL;
		if (sv && *sv && tm_console_env_kind(w->path) != TM_CONSOLE_ENV_NONE)
			tm_ingest__config_env(w->ctx, w->own_path, w->path, sv, tm_ingest__loc(w->f, v));
		return;
	}
	case TM_VALUE_MAP:
		for (size_t i = 0; i < tm_value_len(v); i++) {
			const char *k = tm_scalar_str(tm_map_key(v, i), NULL);
			if (!k || documentation(k))
				continue;
			tm_formatf(w->path + len, sizeof(w->path) - len, "%s%s", len ? "." : "", k);
			walk(w, tm_map_value(v, i), judged_key(k, key, list), NULL, depth + 1);
			w->path[len] = '\0';
		}
		return;
	case TM_VALUE_SEQ:
		for (size_t i = 0; i < tm_value_len(v); i++) {
			tm_formatf(w->path + len, sizeof(w->path) - len, "[%zu]", i);
			walk(w, tm_seq_at(v, i), key, key, depth + 1);
			w->path[len] = '\0';
		}
		return;
	}
}

void tm_ingest__config_credentials(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, const char *kind)
{
	struct walk w = {.ctx = ctx, .f = f, .detail = kind};
	w.path[0] = '\0';
	walk(&w, root, NULL, NULL, 0);
	if (w.node && w.more)
		tm_mb_node_int(ctx->mb, w.node, "config_credentials_more", (int64_t)w.more);
}

/* ---- Java .properties ---------------------------------------------------------------------- */

/* Where a piece of a logical line came from: its offset in the joined line, its line and column. */
struct piece {
	size_t at;
	uint32_t line, col;
};

static bool prop_space(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

/* s[0..n) with Properties' escapes resolved: \t \n \r \f, \uXXXX (as UTF-8), any other \c as c. */
static void unescape(tm_strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			tm_strbuf_putc(sb, s[i]);
			continue;
		}
		char c = s[++i];
		unsigned u = 0;
		size_t k = 0;
		switch (c) {
		case 't': tm_strbuf_putc(sb, '\t'); break;
		case 'n': tm_strbuf_putc(sb, '\n'); break;
		case 'r': tm_strbuf_putc(sb, '\r'); break;
		case 'f': tm_strbuf_putc(sb, '\f'); break;
		case 'u':
			for (k = 0; k < 4 && i + 1 + k < n && isxdigit((unsigned char)s[i + 1 + k]); k++)
				u = u * 16 + (unsigned)(isdigit((unsigned char)s[i + 1 + k]) ? s[i + 1 + k] - '0'
											: (tolower((unsigned char)s[i + 1 + k]) - 'a' + 10));
			i += k;
			/* malformed, or half of a surrogate pair: a replacement character */
			tm_strbuf_put_rune(sb, k < 4 ? 0xfffd : u);
			break;
		default: tm_strbuf_putc(sb, c); break;
		}
	}
}

/* One property (the logical line s[0..n), its pieces): judged, and recorded when a credential. */
static void property(struct walk *w, const char *s, size_t n, const struct piece *pc, size_t npc)
{
	size_t i = 0;
	while (i < n && !(s[i] == '=' || s[i] == ':' || prop_space(s[i])))
		i += s[i] == '\\' && i + 1 < n ? 2 : 1;
	size_t kend = i;
	while (i < n && prop_space(s[i]))
		i++;
	if (i < n && (s[i] == '=' || s[i] == ':'))
		i++;
	while (i < n && prop_space(s[i]))
		i++;
	tm_strbuf key = TM_STRBUF_INIT, val = TM_STRBUF_INIT;
	unescape(&key, s, kend);
	unescape(&val, s + i, n - i);
	if (key.data && val.data && !key.oom && !val.oom && strlen(key.data) == key.len &&
	    strlen(val.data) == val.len) {
		const char *dot = strrchr(key.data, '.');
		const char *last = dot && dot[1] ? dot + 1 : key.data;
		size_t p = 0;
		while (p + 1 < npc && pc[p + 1].at <= i)
			p++;
		if (w->own_path)
			tm_ingest__config_address(w->ctx, w->own_path, key.data, val.data,
						  (tm_loc){w->own_path, pc[p].line, pc[p].col + (uint32_t)(i - pc[p].at), NULL});
		/* a TOML string (oauth2-proxy's cookie_secret = "..."): judged without its quotes */
		char *judged = val.data;
		size_t jlen = val.len;
		if (val.len >= 2 && (val.data[0] == '"' || val.data[0] == '\'') && val.data[val.len - 1] == val.data[0]) {
			judged = val.data + 1;
			jlen = val.len - 2;
			val.data[val.len - 1] = '\0';
		}
		/* coturn's static accounts (user=NAME:PASSWORD): the password after the name */
		if (w->detail && strcmp(w->detail, "coturn") == 0 && strcmp(key.data, "user") == 0 && strchr(judged, ':')) {
			size_t skip = (size_t)(strchr(judged, ':') + 1 - judged);
			judged += skip;
			jlen -= skip;
			i += skip;
			last = "password";
		}
		if (tm_k8s__literal_credential(last, judged)) {
			/* no path of its own: the file's, or the line map's of a text another file holds */
			tm_loc at = {NULL, pc[p].line, pc[p].col + (uint32_t)(i - pc[p].at), NULL};
			tm_value *v = tm_value_new_scalar((tm_file *)w->f, at, TM_SCALAR_STR, judged, jlen, true);
			tm_formatf(w->path, sizeof(w->path), "%s", key.data);
			if (v)
				record(w, v);
		}
	}
	tm_strbuf_dispose(&key);
	tm_strbuf_dispose(&val);
}

const char *tm_ingest__as_utf8(tm_strbuf *sb, const char *text, size_t *len)
{
	if (tm_utf8_check((const unsigned char *)text, *len) == *len)
		return text;
	for (size_t i = 0; i < *len; i++)
		tm_strbuf_put_rune(sb, (unsigned char)text[i]);
	*len = sb->len;
	return sb->oom ? NULL : sb->data;
}

bool tm_ingest__properties_text(tm_ingest_ctx *ctx, const char *path, const char *kind, const char *text, size_t len)
{
	if (kind && strcmp(kind, "oauth2-proxy") == 0) /* its upstreams: routes (gw_oauth2proxy.c) */
		tm_ingest__oauth2_proxy_text(ctx, path, text, len, NULL, 0, 0, NULL, 0);
	return tm_ingest__properties_at(ctx, path, kind, text, len, NULL, 0, false);
}

bool tm_ingest__properties_at(tm_ingest_ctx *ctx, const char *path, const char *kind, const char *text, size_t len,
			      const char *in_path, uint32_t first_line, bool per_line)
{
	if (memchr(text, '\0', len))
		return false;
	tm_strbuf latin1 = TM_STRBUF_INIT;
	text = tm_ingest__as_utf8(&latin1, text, &len);
	tm_file *f = text ? tm_file_new_rendered(path) : NULL;
	if (!f) {
		tm_strbuf_dispose(&latin1);
		return false;
	}
	if (in_path && first_line) { /* its lines are those of the file holding it, from first_line on */
		uint32_t nlines = 1;
		for (size_t i = 0; i < len; i++)
			nlines += text[i] == '\n';
		const char **paths = tm_calloc(nlines, sizeof(*paths));
		uint32_t *lines = tm_calloc(nlines, sizeof(*lines));
		for (uint32_t i = 0; paths && lines && i < nlines; i++) {
			paths[i] = in_path;
			lines[i] = per_line ? first_line + i : first_line;
		}
		if (paths && lines)
			tm_file_set_linemap(f, paths, lines, nlines);
		tm_free(paths);
		tm_free(lines);
	}
	struct walk w = {.ctx = ctx, .f = f, .detail = kind, .own_path = in_path ? NULL : path};
	tm_strbuf logical = TM_STRBUF_INIT;
	struct piece pc[64];
	size_t npc = 0;
	bool cont = false; /* the logical line goes on on the next natural line */
	uint32_t line = 0;
	for (const char *p = text, *end = text + len; p < end && !logical.oom;) {
		const char *nl = p;
		while (nl < end && *nl != '\n' && *nl != '\r')
			nl++;
		const char *next = nl < end && *nl == '\r' && nl + 1 < end && nl[1] == '\n' ? nl + 2 : nl < end ? nl + 1 : end;
		line++;
		const char *ls = p, *b = p;
		while (b < nl && prop_space(*b))
			b++;
		p = next;
		if (!cont && (b == nl || *b == '#' || *b == '!'))
			continue; /* blank or a comment: never continued */
		size_t bs = 0; /* an odd number of backslashes at the end continues the line */
		while (nl - bs > b && nl[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		if (!cont)
			npc = 0;
		if (npc < TM_ARRAY_LEN(pc))
			pc[npc++] = (struct piece){logical.len, line, (uint32_t)(b - ls) + 1};
		tm_strbuf_put(&logical, b, (size_t)(nl - b) - (bs % 2));
		cont = bs % 2 == 1;
		if (cont && p < end)
			continue;
		property(&w, logical.data ? logical.data : "", logical.len, pc, npc);
		tm_strbuf_reset(&logical);
		cont = false;
	}
	tm_strbuf_dispose(&logical);
	if (w.node && w.more)
		tm_mb_node_int(ctx->mb, w.node, "config_credentials_more", (int64_t)w.more);
	tm_file_free(f);
	tm_strbuf_dispose(&latin1);
	return true;
}

static bool appconfig_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root, const char *detail)
{
	(void)state;
	/* its credentials, and the addresses of the calls it makes, once its workload is known (calls.c) */
	struct walk w = {.ctx = ctx, .f = f, .detail = detail, .own_path = tm_file_path(f)};
	/* each document of the file (a Spring profile's) on its own: a gateway's routes[0] in two
	 * documents are two routes */
	if (tm_file_doc_count(f) > 1 && root != tm_file_doc(f, 0))
		tm_ingest__config_address(ctx, w.own_path, TM_GW_SPRING_DOC, "document", tm_ingest__loc(f, root));
	walk(&w, root, NULL, NULL, 0);
	if (w.node && w.more)
		tm_mb_node_int(ctx->mb, w.node, "config_credentials_more", (int64_t)w.more);
	if (detail && strcmp(detail, "authelia") == 0) /* its access_control, for forward-auth checks */
		tm_ingest__authelia_doc(ctx, f, root);
	return true; /* read and judged, credentials or not */
}

const tm_ingester tm_ingest__appconfig = {NULL, appconfig_doc, NULL, NULL};

struct mount_why {
	const tm_node *w;
	tm_arena *a;
	const char *cpath, *why;
};

/* Where and why workload ud->w reads a file (mounts.c), kept for its note. */
static void mount_why_of(void *ud, const tm_mount_reader *r)
{
	struct mount_why *mw = ud;
	if (r->w == mw->w && !mw->cpath) {
		mw->cpath = tm_arena_strdup(mw->a, r->cpath);
		mw->why = r->why;
	}
}

/* A file of a mounted directory that is a tool's, not the program's configuration: a package
 * manager's manifest or lock, a compiler's or linter's settings, or anything under a hidden
 * directory or named as a dot-file (.eslintrc.json, .github/). rest: its path below the mount. */
static bool tooling_file(const char *rest)
{
	static const char *const names[] = {"package.json", "package-lock.json", "composer.json", "composer.lock",
					    "bower.json", "tsconfig.json", "jsconfig.json", "tslint.json", "lerna.json",
					    "renovate.json", "angular.json", "nest-cli.json", "deno.json"};
	if (rest[0] == '.' || strstr(rest, "/."))
		return true;
	const char *base = strrchr(rest, '/');
	base = base ? base + 1 : rest;
	size_t n = strlen(base);
	if (n > 10 && strcmp(base + n - 10, "-lock.json") == 0)
		return true;
	if (strncmp(base, "tsconfig.", 9) == 0)
		return true;
	for (size_t i = 0; i < TM_ARRAY_LEN(names); i++)
		if (strcmp(base, names[i]) == 0)
			return true;
	return false;
}

#define HOLDERS_MAX 64 /* workloads one held file is said to be the configuration of; more are counted */

struct holders {
	tm_ingest_ctx *ctx;
	const char *file;
	size_t n, more;
	tm_loc at; /* the first holder's mount */
};

/* One workload holding a file through its bind mount (tm_ingest__mount_holders): the file is its
 * configuration (a `config_files` fact at the mount, which calls.c's owners read), said in a note. */
static void holder_of(void *ud, const tm_mount_reader *r)
{
	struct holders *h = ud;
	/* what the directory holds for a tool, not the program */
	if (!r->direct && r->below && tooling_file(r->below))
		return;
	tm_node *n = tm_mb_find(h->ctx->mb, tm_node_id(r->w));
	if (!n)
		return;
	if (h->n >= HOLDERS_MAX) { /* bounded: a directory a thousand services mount */
		h->more++;
		return;
	}
	if (!h->n)
		h->at = r->at;
	tm_mb_node_fact(h->ctx->mb, n, "config_files", h->file, r->at);
	tm_diag_add(h->ctx->diags, 0, TM_LEVEL_NOTE, r->at,
		    "%s: %s is read as the configuration of %s, which has it at %s (%s)", tm_node_name(n), h->file,
		    tm_node_id(n), r->cpath, r->direct ? "it mounts the file itself" : "it mounts the directory holding it");
	h->n++;
}

/* The YAML and JSON files no reader recognised that a compose service holds through its bind mounts
 * (the file itself, or the deepest directory above it that a service mounts: Synapse's ./synapse
 * at /data with its homeserver.yaml), each read as that service's configuration whatever its name,
 * in the order the scan read them. A file nothing mounts stays unread. */
static void held_configs(tm_ingest_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nunread_files && ctx->mounts; i++) {
		const tm_file *f = ctx->unread_files[i];
		const char *path = tm_file_path(f);
		if (!tm_hmap_get(&ctx->unread, path, strlen(path)))
			continue; /* read already */
		struct holders h = {ctx, path, 0, 0, {0}};
		tm_ingest__mount_holders(ctx, path, holder_of, &h);
		if (!h.n)
			continue;
		if (h.more)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, h.at,
				    "%s is held by %zu more services than the %d it is read for", path, h.more, HOLDERS_MAX);
		if (tm_hmap_put(&ctx->unread, path, strlen(path), NULL) ||
		    TM_GROW(ctx->read_late, ctx->cap_read_late, ctx->nread_late + 1)) {
			tm_arena_set_failed(ctx->scratch);
			return;
		}
		ctx->read_late[ctx->nread_late++] = f;
		for (size_t d = 0; d < tm_file_doc_count(f); d++)
			if (tm_file_doc(f, d))
				appconfig_doc(ctx, NULL, f, tm_file_doc(f, d), "settings");
	}
}

void tm_ingest__mounted_configs(tm_ingest_ctx *ctx)
{
	if (!ctx->unread.count || !ctx->mb)
		return;
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0, nn = tm_model_node_count(m); i < nn; i++) {
		const tm_node *n = m->nodes[i];
		for (size_t k = 0; n->kind == TM_NODE_SERVICE && k < n->facts.count; k++) {
			const tm_fact_loc *fl = &n->facts.items[k];
			if (strcmp(fl->key, "config_files") != 0)
				continue;
			size_t len = strlen(fl->value);
			const tm_file *f = tm_hmap_get(&ctx->unread, fl->value, len);
			if (!f)
				continue; /* not in the scan, recognised already, or read once */
			const char *path = tm_file_path(f);
			if (tm_hmap_put(&ctx->unread, path, strlen(path), NULL) ||
			    TM_GROW(ctx->read_late, ctx->cap_read_late, ctx->nread_late + 1)) {
				tm_arena_set_failed(ctx->scratch);
				return;
			}
			ctx->read_late[ctx->nread_late++] = f;
			struct mount_why mw = {n, ctx->scratch, NULL, NULL};
			tm_ingest__mount_readers(ctx, path, NULL, mount_why_of, &mw);
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, fl->loc,
				    "%s: %s is read as the configuration of %s, which reads it at %s through its bind mount (%s)",
				    n->name ? n->name : n->id, path, n->id, mw.cpath ? mw.cpath : "?",
				    mw.why ? mw.why : "its command line");
			for (size_t d = 0; d < tm_file_doc_count(f); d++)
				if (tm_file_doc(f, d))
					appconfig_doc(ctx, NULL, f, tm_file_doc(f, d), "settings");
		}
	}
	held_configs(ctx);
}
