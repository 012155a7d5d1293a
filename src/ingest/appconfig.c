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
	char path[KEYPATH_MAX];
};

/* Is a path segment the name of a development or test environment, or of a test project? */
static bool test_word(const char *w, size_t n)
{
	static const char *const words[] = {"dev", "development", "local", "localhost", "test", "tests",
					    "testing", "testdata", "fixture", "fixtures", "e2e", "mock",
					    "mocks", "sample", "samples", "example", "examples"};
	char low[40];
	if (!n || n >= sizeof(low))
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)w[i]);
	low[n] = '\0';
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (strcmp(low, words[i]) == 0)
			return true;
	return n > 5 && strcmp(low + n - 5, "tests") == 0; /* Catalog.FunctionalTests, unittests */
}

/* The file configures a development or test environment: a word of its path says so. */
static bool development_file(const char *path)
{
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/.-_");
		if (test_word(p, n))
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

/* Keys whose values document a setting rather than set it (an example connection string). */
static bool documentation(const char *key)
{
	return strcmp(key, "example") == 0 || strcmp(key, "examples") == 0 || strcmp(key, "x-example") == 0 ||
	       strcmp(key, "x-examples") == 0 || strcmp(key, "description") == 0;
}

static void record(struct walk *w, const tm_value *v)
{
	if (w->facts >= FACTS_MAX) {
		w->more++;
		return;
	}
	tm_ingest_ctx *ctx = w->ctx;
	tm_loc at = tm_ingest__loc(w->f, v);
	if (!w->node) {
		const char *path = tm_file_path(w->f);
		const char *id = tm_arena_printf(ctx->scratch, "secret:config:%s", path);
		w->node = id ? tm_mb_node(ctx->mb, TM_NODE_SECRET, id, path, NULL, at) : NULL;
		if (!w->node)
			return;
		tm_mb_node_str(ctx->mb, w->node, "config_file", path);
		tm_mb_node_str(ctx->mb, w->node, "store", "config-file");
		tm_mb_node_str(ctx->mb, w->node, "config_kind", w->detail ? w->detail : "settings");
		if (development_file(path))
			tm_mb_node_str(ctx->mb, w->node, "config_env", "development or test");
	}
	tm_mb_node_fact(ctx->mb, w->node, "config_credentials", w->path, at);
	tm_mb_node_list_add(ctx->mb, w->node, "keys", w->path);
	w->facts++;
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

static bool appconfig_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root, const char *detail)
{
	(void)state;
	tm_ingest__config_credentials(ctx, f, root, detail);
	return true; /* read and judged, credentials or not */
}

const tm_ingester tm_ingest__appconfig = {NULL, appconfig_doc, NULL, NULL};
