/* test_compose.c - docker-compose: .env and interpolation, the merge rules, projects (override,
 * variants, extends, profiles) and TM-MESH-007, pinned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "counting_alloc.h"
#include "ingest/compose.h"
#include "trustmap/findings.h"
#include "trustmap/scan.h"

#include "test_support.h"

/* ---- .env and interpolation ------------------------------------------------ */

static void dotenv_forms(void **state)
{
	(void)state;
	static const char text[] = "# comment\n"
				   "PLAIN=value\n"
				   "export EXPORTED = spaced  \n"
				   "COMMENTED=abc # trailing\n"
				   "HASH=abc#def\n"
				   "SINGLE='lit ${PLAIN}'\n"
				   "DOUBLE=\"a\\nb ${PLAIN}\"\n"
				   "REF=${PLAIN}-x\n"
				   "EMPTY=\n"
				   "not an assignment\n"
				   "PLAIN=later\r\n";
	tm_arena *a = tm_arena_new();
	tm_compose_env env;
	size_t bad = 0;
	assert_int_equal(tm_compose__dotenv_parse(a, text, sizeof(text) - 1, &env, &bad), 0);
	assert_int_equal(bad, 1);
	static const struct {
		const char *key, *value;
	} want[] = {
		{"PLAIN", "later"},	      {"EXPORTED", "spaced"},	  {"COMMENTED", "abc"},
		{"HASH", "abc#def"},	      {"SINGLE", "lit ${PLAIN}"}, {"DOUBLE", "a\nb value"},
		{"REF", "value-x"},	      {"EMPTY", ""},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(want); i++) {
		const char *got = tm_compose__env_get(&env, want[i].key, strlen(want[i].key));
		assert_non_null(got);
		assert_string_equal(got, want[i].value);
	}
	assert_null(tm_compose__env_get(&env, "MISSING", 7));
	assert_null(tm_compose__env_get(NULL, "PLAIN", 5));
	tm_arena_free(a);
}

static void collect(void *ud, const char *name, size_t len)
{
	char *out = ud;
	size_t n = strlen(out);
	snprintf(out + n, 256 - n, "%s%.*s", n ? " " : "", (int)len, name);
}

/* Interpolation with and without a .env, and the variables each value leaves to the environment
 * compose runs in (what the report notes). */
static void interpolation_table(void **state)
{
	(void)state;
	static const char text[] = "DB_USER=app\nEMPTY=\nPORT=5432\n";
	tm_arena *a = tm_arena_new();
	tm_compose_env env;
	assert_int_equal(tm_compose__dotenv_parse(a, text, sizeof(text) - 1, &env, NULL), 0);
	static const struct {
		const char *in, *with_env, *without, *unset_with, *unset_without;
	} cases[] = {
		{"${DB_USER}", "app", "${DB_USER}", "", "DB_USER"},
		{"$DB_USER@db", "app@db", "$DB_USER@db", "", "DB_USER"},
		{"$DB_USER@$HOST", "app@$HOST", "$DB_USER@$HOST", "HOST", "DB_USER HOST"},
		{"${MISSING}", "${MISSING}", "${MISSING}", "MISSING", "MISSING"},
		{"${DB_USER:-root}", "app", "root", "", ""}, /* the default decides */
		{"${EMPTY:-dflt}", "dflt", "dflt", "", ""},
		{"${EMPTY-dflt}", "", "dflt", "", ""},
		{"${MISSING:-${PORT:-1}}", "5432", "1", "", ""},
		{"${MISSING:-${PORT}}", "5432", "${PORT}", "", "PORT"}, /* the default's own reference */
		{"${DB_USER:-${NEVER}}", "app", "${NEVER}", "", "NEVER"}, /* with .env the default is not taken */
		{"${DB_USER:+set}", "set", "${DB_USER:+set}", "", "DB_USER"},
		{"${DB_USER:+${ALT}}", "${ALT}", "${DB_USER:+${ALT}}", "ALT", "DB_USER"}, /* alt only when set */
		{"${EMPTY:+set}", "", "${EMPTY:+set}", "", "EMPTY"},
		/* unset, a required variable stays the variable: its message is no part of any value */
		{"${MISSING:?need it}", "${MISSING}", "${MISSING}", "MISSING", "MISSING"},
		{"${PORT:?need it}", "5432", "${PORT}", "", "PORT"},
		{"api.${DOMAIN?Variable not set}", "api.${DOMAIN}", "api.${DOMAIN}", "DOMAIN", "DOMAIN"},
		{"$$HOME and $${X}", "$HOME and ${X}", "$HOME and ${X}", "", ""},
		{"no dollar", "no dollar", "no dollar", "", ""},
		{"${unterminated", "${unterminated", "${unterminated", "", ""},
		{"trailing $", "trailing $", "trailing $", "", ""},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(cases); i++) {
		assert_string_equal(tm_compose__interpolate(a, &env, cases[i].in), cases[i].with_env);
		assert_string_equal(tm_compose__interpolate(a, NULL, cases[i].in), cases[i].without);
		char got[2][256] = {"", ""};
		tm_compose__unset_each(&env, cases[i].in, collect, got[0]);
		tm_compose__unset_each(NULL, cases[i].in, collect, got[1]);
		if (strcmp(got[0], cases[i].unset_with) != 0 || strcmp(got[1], cases[i].unset_without) != 0)
			fail_msg("%s: noted '%s' with .env, '%s' without; want '%s', '%s'", cases[i].in, got[0], got[1],
				 cases[i].unset_with, cases[i].unset_without);
	}
	tm_arena_free(a);
}

/* A scan notes each variable nothing sets once, where it is first used, among its assumptions. */
static void unset_variables_noted(void **state)
{
	(void)state;
	static const char compose[] = "name: app\nservices:\n  web:\n    image: \"${REGISTRY}/web:1.0\"\n"
				      "    ports: [\"${WEB_PORT}:80\"]\n    environment:\n      - DB_PASSWORD=${DB_PASSWORD}\n"
				      "      - MODE=${MODE:-prod}\n  api:\n    image: \"${REGISTRY}/api:2\"\n";
	tm_scan *s = scan_text("app/compose.yaml", compose);
	const tm_diag_list *d = tm_scan_diags(s);
	static const char *const want[][2] = {{"REGISTRY", "4"}, {"WEB_PORT", "5"}, {"DB_PASSWORD", "7"}};
	size_t notes = 0;
	for (size_t i = 0; i < d->count; i++) {
		if (!strstr(d->items[i].msg, "is set by nothing in the repository"))
			continue;
		assert_int_equal(d->items[i].level, TM_LEVEL_NOTE);
		assert_true(notes < TM_ARRAY_LEN(want));
		char head[64];
		snprintf(head, sizeof(head), "compose variable %s is set", want[notes][0]);
		if (strncmp(d->items[i].msg, head, strlen(head)) != 0 || d->items[i].loc.line != (uint32_t)atoi(want[notes][1]))
			fail_msg("note %zu: %s at line %u", notes, d->items[i].msg, d->items[i].loc.line);
		notes++;
	}
	assert_int_equal(notes, TM_ARRAY_LEN(want)); /* REGISTRY once for two services; MODE has a default */
	assert_int_equal(tm_diag_count(d, TM_LEVEL_WARNING), 0);
	tm_scan_free(s);
}

/* ---- merge rules -------------------------------------------------------------------------------- */

static const char merge_base[] = "services:\n"
				 "  web:\n"
				 "    image: nginx:1\n"
				 "    command: [a, b]\n"
				 "    environment:\n"
				 "      MODE: base\n"
				 "      KEEP: 'yes'\n"
				 "    labels: [team=web]\n"
				 "    ports: ['8080:80', '9000:9000']\n"
				 "    volumes: ['./html:/srv', 'data:/data']\n"
				 "    dns: [1.1.1.1]\n"
				 "    deploy: {resources: {limits: {memory: 1G}}}\n"
				 "    networks: [front]\n"
				 "    healthcheck: {test: [CMD, a], interval: 5s}\n";
static const char merge_over[] = "services:\n"
				 "  web:\n"
				 "    image: nginx:2\n"
				 "    command: [c]\n"
				 "    environment: [MODE=override, NEW=1]\n"
				 "    labels: {team: api, tier: edge}\n"
				 "    ports: ['8080:80', '127.0.0.1:8443:443']\n"
				 "    volumes: ['/host:/srv']\n"
				 "    dns: [1.1.1.1, 8.8.8.8]\n"
				 "    deploy: {replicas: 2}\n"
				 "    networks: {back: {aliases: [w]}}\n"
				 "    healthcheck: {test: [CMD, b]}\n"
				 "    expose: []\n";

static const tm_value *first_service(const tm_file *f)
{
	return tm_map_value(tm_map_get(tm_file_doc(f, 0), "services"), 0);
}

static const char *seq_str(const tm_value *seq, size_t i)
{
	return tm_scalar_str(tm_seq_at(seq, i), NULL);
}

static void merge_rules(void **state)
{
	(void)state;
	tm_diag_list diags = TM_DIAG_LIST_INIT;
	tm_file *base = NULL, *over = NULL;
	assert_int_equal(tm_file_parse(&base, "compose.yaml", merge_base, sizeof(merge_base) - 1, NULL, &diags), 0);
	assert_int_equal(tm_file_parse(&over, "compose.override.yaml", merge_over, sizeof(merge_over) - 1, NULL, &diags), 0);
	tm_file *mf = tm_file_new_rendered("compose.yaml");
	tm_arena *a = tm_arena_new();
	tm_value *svc = tm_value_new_map(mf, tm_value_loc(base, first_service(base)));
	assert_int_equal(tm_compose__merge(mf, a, svc, base, first_service(base), &diags), 0);
	assert_int_equal(tm_compose__merge(mf, a, svc, over, first_service(over), &diags), 0);

	/* scalars replaced, where they came from kept */
	assert_string_equal(tm_map_get_str(svc, "image"), "nginx:2");
	tm_loc at = tm_value_loc(mf, tm_map_get(svc, "image"));
	assert_string_equal(at.path, "compose.override.yaml");
	assert_int_equal(at.line, 3);
	/* command replaced, not appended */
	assert_int_equal(tm_value_len(tm_map_get(svc, "command")), 1);
	assert_string_equal(seq_str(tm_map_get(svc, "command"), 0), "c");
	/* environment by key, map and list forms mixed */
	const tm_value *env = tm_map_get(svc, "environment");
	assert_int_equal(tm_value_kind_of(env), TM_VALUE_MAP);
	assert_string_equal(tm_map_get_str(env, "MODE"), "override");
	assert_string_equal(tm_map_get_str(env, "KEEP"), "yes");
	assert_string_equal(tm_map_get_str(env, "NEW"), "1");
	assert_string_equal(tm_value_loc(mf, tm_map_get(env, "MODE")).path, "compose.override.yaml");
	assert_string_equal(tm_value_loc(mf, tm_map_get(env, "KEEP")).path, "compose.yaml");
	/* labels: list then map */
	const tm_value *labels = tm_map_get(svc, "labels");
	assert_string_equal(tm_map_get_str(labels, "team"), "api");
	assert_string_equal(tm_map_get_str(labels, "tier"), "edge");
	/* ports: the same mapping once, new ones appended */
	const tm_value *ports = tm_map_get(svc, "ports");
	assert_int_equal(tm_value_len(ports), 3);
	assert_string_equal(seq_str(ports, 0), "8080:80");
	assert_string_equal(seq_str(ports, 1), "9000:9000");
	assert_string_equal(seq_str(ports, 2), "127.0.0.1:8443:443");
	/* volumes by target: /srv replaced, /data kept */
	const tm_value *vols = tm_map_get(svc, "volumes");
	assert_int_equal(tm_value_len(vols), 2);
	assert_string_equal(seq_str(vols, 0), "/host:/srv");
	assert_string_equal(tm_value_loc(mf, tm_seq_at(vols, 0)).path, "compose.override.yaml");
	assert_string_equal(seq_str(vols, 1), "data:/data");
	/* other sequences append what is new */
	assert_int_equal(tm_value_len(tm_map_get(svc, "dns")), 2);
	/* mappings merge recursively */
	const tm_value *deploy = tm_map_get(svc, "deploy");
	assert_non_null(tm_map_get(tm_map_get(tm_map_get(deploy, "resources"), "limits"), "memory"));
	assert_string_equal(tm_map_get_str(deploy, "replicas"), "2");
	/* networks: list then map, by name */
	const tm_value *nets = tm_map_get(svc, "networks");
	assert_int_equal(tm_value_kind_of(nets), TM_VALUE_MAP);
	assert_non_null(tm_map_get(nets, "front"));
	assert_non_null(tm_map_get(tm_map_get(nets, "back"), "aliases"));
	/* healthcheck.test replaced, interval kept */
	const tm_value *hc = tm_map_get(svc, "healthcheck");
	assert_int_equal(tm_value_len(tm_map_get(hc, "test")), 2);
	assert_string_equal(seq_str(tm_map_get(hc, "test"), 1), "b");
	assert_string_equal(tm_map_get_str(hc, "interval"), "5s");
	/* an empty override adds nothing and says nothing when there was nothing */
	assert_int_equal(diags.count, 0);

	tm_arena_free(a);
	tm_file_free(mf);
	tm_file_free(base);
	tm_file_free(over);
	tm_diag_list_dispose(&diags);
}

static void unique_keys(void **state)
{
	(void)state;
	static const char doc[] = "v: ['./a:/data:ro', 'C:\\\\x:/w', '/only', {type: bind, source: ., target: /t}]\n"
				  "p: ['80', '8080:80', '127.0.0.1:8080:80/udp', '[::1]:53:53', {target: 80, published: '8080'}]\n"
				  "s: [tok, {source: a, target: /run/b}]\n";
	tm_diag_list diags = TM_DIAG_LIST_INIT;
	tm_file *f = NULL;
	assert_int_equal(tm_file_parse(&f, "k.yaml", doc, sizeof(doc) - 1, NULL, &diags), 0);
	tm_arena *a = tm_arena_new();
	const tm_value *root = tm_file_doc(f, 0), *v = tm_map_get(root, "v"), *p = tm_map_get(root, "p"),
		       *s = tm_map_get(root, "s");
	assert_string_equal(tm_compose__target_key(a, "volumes", tm_seq_at(v, 0)), "/data");
	assert_string_equal(tm_compose__target_key(a, "volumes", tm_seq_at(v, 1)), "/w");
	assert_string_equal(tm_compose__target_key(a, "volumes", tm_seq_at(v, 2)), "/only");
	assert_string_equal(tm_compose__target_key(a, "volumes", tm_seq_at(v, 3)), "/t");
	assert_string_equal(tm_compose__target_key(a, "secrets", tm_seq_at(s, 0)), "tok");
	assert_string_equal(tm_compose__target_key(a, "secrets", tm_seq_at(s, 1)), "/run/b");
	assert_string_equal(tm_compose__port_key(a, tm_seq_at(p, 0)), "||80|tcp");
	assert_string_equal(tm_compose__port_key(a, tm_seq_at(p, 1)), "|8080|80|tcp");
	assert_string_equal(tm_compose__port_key(a, tm_seq_at(p, 2)), "127.0.0.1|8080|80|udp");
	assert_string_equal(tm_compose__port_key(a, tm_seq_at(p, 3)), "[::1]|53|53|tcp");
	assert_string_equal(tm_compose__port_key(a, tm_seq_at(p, 4)), "|8080|80|tcp");
	tm_arena_free(a);
	tm_file_free(f);
	tm_diag_list_dispose(&diags);
}

/* ---- projects, through a scan ------------------------------------------------------------------- */

static const char p_base[] = "name: shop\n"
			     "services:\n"
			     "  web:\n"
			     "    image: nginx:1\n"
			     "    ports: ['8080:80']\n"
			     "    volumes: ['./html:/srv']\n"
			     "  db:\n"
			     "    extends: {file: common.yml, service: pg}\n"
			     "    environment: [POSTGRES_DB=shop]\n"
			     "  debug:\n"
			     "    image: redis:7\n"
			     "    profiles: [debug, tools]\n"
			     "    ports: ['6379:6379']\n"
			     "  loop:\n"
			     "    extends: loop2\n"
			     "  loop2:\n"
			     "    extends: loop\n"
			     "  ghost:\n"
			     "    extends: {file: nowhere.yml, service: x}\n"
			     "  orphan:\n"
			     "    extends: {service: nobody}\n";
static const char p_over[] = "services:\n"
			     "  web:\n"
			     "    volumes: ['/var/www:/srv']\n"
			     "  db:\n"
			     "    ports: []\n";
static const char p_common[] = "services:\n"
			       "  pg:\n"
			       "    image: postgres:16\n"
			       "    ports: ['5432:5432']\n";
static const char p_prod[] = "services:\n"
			     "  web:\n"
			     "    ports: ['443:443']\n";
static const char p_alone[] = "services:\n"
			      "  job:\n"
			      "    image: busybox\n";

static tm_scan *scan_project(void)
{
	tm_mem_file files[] = {
		{"app/compose.yaml", p_base, sizeof(p_base) - 1},
		{"app/compose.override.yaml", p_over, sizeof(p_over) - 1},
		{"app/common.yml", p_common, sizeof(p_common) - 1},
		{"app/compose.prod.yaml", p_prod, sizeof(p_prod) - 1},
		{"app/docker-compose-batch.yml", p_alone, sizeof(p_alone) - 1},
	};
	tm_limits lim;
	tm_limits_default(&lim);
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_run_mem(&s, files, TM_ARRAY_LEN(files), &lim), 0);
	assert_non_null(s);
	return s;
}

static bool has_item(const tm_node *n, const char *key, const char *item)
{
	const tm_attr *at = tm_node_attr_get(n, key);
	for (size_t i = 0; at && at->type == TM_ATTR_LIST && at->list[i]; i++)
		if (strcmp(at->list[i], item) == 0)
			return true;
	return false;
}

static const tm_fact_loc *fact(const tm_node *n, const char *key, const char *value)
{
	for (size_t i = 0; i < tm_node_fact_count(n); i++) {
		const tm_fact_loc *f = tm_node_fact(n, i);
		if (strcmp(f->key, key) == 0 && (!value || strcmp(f->value, value) == 0))
			return f;
	}
	return NULL;
}

static bool diag_has(const tm_scan *s, tm_level level, const char *path, uint32_t line, const char *text)
{
	const tm_diag_list *d = tm_scan_diags(s);
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].level == level && d->items[i].loc.path && strcmp(d->items[i].loc.path, path) == 0 &&
		    d->items[i].loc.line == line && strstr(d->items[i].msg, text))
			return true;
	return false;
}

static void override_semantics(void **state)
{
	(void)state;
	tm_scan *s = scan_project();
	const tm_model *m = tm_scan_model(s);
	const tm_node *web = tm_model_find(m, "service:compose:shop/web");
	assert_non_null(web);
	/* the override's bind mount replaced the base's: the union would hold both */
	const tm_fact_loc *host = fact(web, "host_paths", "/var/www");
	assert_non_null(host);
	assert_string_equal(host->loc.path, "app/compose.override.yaml");
	assert_null(fact(web, "bind_mounts", "./html"));
	assert_true(has_item(web, "compose_files", "app/compose.override.yaml"));
	/* the prod file is not applied by default */
	assert_null(fact(web, "published_ports", "443->443"));
	/* the empty ports: of the override merges as nothing, and says why */
	assert_true(diag_has(s, TM_LEVEL_NOTE, "app/compose.override.yaml", 5, "!reset"));
	tm_scan_free(s);
}

static void variants(void **state)
{
	(void)state;
	tm_scan *s = scan_project();
	const tm_model *m = tm_scan_model(s);
	/* a fragment variant is laid over the base, without the default override */
	const tm_node *web = tm_model_find(m, "service:compose:shop[prod]/web");
	assert_non_null(web);
	assert_non_null(fact(web, "published_ports", "443->443"));
	assert_non_null(fact(web, "published_ports", "8080->80"));
	assert_non_null(fact(web, "bind_mounts", "./html"));
	assert_null(fact(web, "host_paths", "/var/www"));
	/* a complete file stands alone */
	assert_non_null(tm_model_find(m, "service:compose:app[batch]/job"));
	assert_null(tm_model_find(m, "service:compose:app[batch]/web"));
	assert_null(tm_model_find(m, "service:compose:shop/job"));
	/* the extends library is no project of its own */
	assert_null(tm_model_find(m, "service:compose:app[common]/pg"));
	assert_null(tm_model_find(m, "service:compose:app/pg"));
	tm_scan_free(s);
}

static void extends_resolution(void **state)
{
	(void)state;
	tm_scan *s = scan_project();
	const tm_model *m = tm_scan_model(s);
	const tm_node *db = tm_model_find(m, "service:compose:shop/db");
	assert_non_null(db);
	assert_true(has_item(db, "images", "postgres:16"));
	const tm_fact_loc *pub = fact(db, "published_ports", "5432->5432");
	assert_non_null(pub);
	assert_string_equal(pub->loc.path, "app/common.yml"); /* evidence: the file that set it */
	assert_int_equal(pub->loc.line, 4);
	assert_true(diag_has(s, TM_LEVEL_WARNING, "app/compose.yaml", 15, "leads back to itself"));
	assert_true(diag_has(s, TM_LEVEL_WARNING, "app/compose.yaml", 19, "not among the scanned compose files"));
	assert_true(diag_has(s, TM_LEVEL_WARNING, "app/compose.yaml", 21, "'nobody'"));
	/* each warning once, though the base is in two projects */
	const tm_diag_list *d = tm_scan_diags(s);
	size_t cycles = 0;
	for (size_t i = 0; i < d->count; i++)
		cycles += strstr(d->items[i].msg, "leads back to itself") != NULL;
	assert_int_equal(cycles, 2);
	tm_scan_free(s);
}

static void profiles_opt_in(void **state)
{
	(void)state;
	tm_scan *s = scan_project();
	const tm_model *m = tm_scan_model(s);
	const tm_node *debug = tm_model_find(m, "service:compose:shop/debug");
	assert_non_null(debug);
	const tm_attr *opt = tm_node_attr_get(debug, "opt_in");
	assert_non_null(opt);
	assert_int_equal(opt->num, 1);
	assert_non_null(fact(debug, "profiles", "tools"));
	/* modelled, exposure included */
	assert_non_null(fact(debug, "published_ports", "6379->6379"));
	assert_null(tm_node_attr_get(tm_model_find(m, "service:compose:shop/web"), "opt_in"));
	tm_scan_free(s);
}

/* Every allocation of a scan of the project fails in turn: an error or a result, never a crash or a
 * leak (the sanitizer build checks the leaks). */
static void survives_every_failure(void **state)
{
	(void)state;
	tm_mem_file files[] = {
		{"app/compose.yaml", p_base, sizeof(p_base) - 1},
		{"app/compose.override.yaml", p_over, sizeof(p_over) - 1},
		{"app/common.yml", p_common, sizeof(p_common) - 1},
		{"app/compose.prod.yaml", p_prod, sizeof(p_prod) - 1},
	};
	tm_limits lim;
	tm_limits_default(&lim);
	tm_set_allocator(&counting);
	calls = 0;
	fail_at = 0;
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_run_mem(&s, files, TM_ARRAY_LEN(files), &lim), 0);
	tm_scan_free(s);
	size_t total = calls;
	for (fail_at = 1; fail_at <= total; fail_at += fail_at < 2000 ? 1 : 7) {
		calls = 0;
		s = NULL;
		int rc = tm_scan_run_mem(&s, files, TM_ARRAY_LEN(files), &lim);
		assert_true(rc == 0 || rc < 0);
		tm_scan_free(s);
	}
	tm_set_allocator(NULL);
}

/* ---- .env through the ingester ------------------------------------------------------------------ */

static void dotenv_ingest(void **state)
{
	(void)state;
	static const char doc[] = "services:\n"
				  "  db:\n"
				  "    image: postgres:${PG_TAG}\n"
				  "    environment:\n"
				  "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n"
				  "      OTHER_PASSWORD: ${NOT_IN_ENV}\n";
	static const char dotenv[] = "COMPOSE_PROJECT_NAME=billing\nPG_TAG=16.2\nDB_PASSWORD=s3cr3t-from-dotenv\n";
	tm_diag_list diags = TM_DIAG_LIST_INIT;
	tm_file *f = NULL;
	assert_int_equal(tm_file_parse(&f, "svc/compose.yaml", doc, sizeof(doc) - 1, NULL, &diags), 0);
	tm_ingest_ctx ctx = {tm_mb_new(), &diags, NULL, tm_arena_new(), NULL, TM_HMAP_INIT, TM_HMAP_INIT, NULL, NULL, NULL, false, TM_HMAP_INIT, NULL, 0, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, false};
	void *st = tm_ingest__compose.begin(&ctx);
	assert_non_null(st);
	tm_ingest__compose_dotenv(st, "svc/.env", dotenv, sizeof(dotenv) - 1);
	tm_ingest__compose_dotenv(st, "other/.env", "PG_TAG=wrong\n", 13);
	assert_true(tm_ingest__compose.doc(&ctx, st, f, tm_file_doc(f, 0), NULL));
	tm_ingest__compose.finish(&ctx, st);
	tm_ingest__compose.end(st);
	tm_model *m = NULL;
	assert_int_equal(tm_mb_finish(ctx.mb, &m), 0);
	const tm_node *db = tm_model_find(m, "service:compose:billing/db");
	assert_non_null(db);
	assert_true(has_item(db, "images", "postgres:16.2"));
	/* a credential .env decides is committed: reported; an unresolved one never is */
	assert_non_null(fact(db, "literal_credentials", "db/POSTGRES_PASSWORD"));
	assert_null(fact(db, "literal_credentials", "db/OTHER_PASSWORD"));
	tm_model_free(m);
	tm_arena_free(ctx.scratch);
	tm_file_free(f);
	tm_diag_list_dispose(&diags);
}

/* The scan hands a directory's .env to the compose ingester (scan.c read_dotenv). */
static void dotenv_through_scan(void **state)
{
	(void)state;
	static const char doc[] = "services:\n  db:\n    image: postgres:${PG_TAG}\n"
				  "    environment:\n      - POSTGRES_PASSWORD=${DB_PW}\n";
	static const char env[] = "COMPOSE_PROJECT_NAME=billing\nPG_TAG=16\nDB_PW=from-dotenv-1234\n";
	tm_mem_file files[] = {{"svc/.env", env, sizeof(env) - 1}, {"svc/compose.yaml", doc, sizeof(doc) - 1}};
	tm_limits lim;
	tm_limits_default(&lim);
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_run_mem(&s, files, TM_ARRAY_LEN(files), &lim), 0);
	const tm_node *db = tm_model_find(tm_scan_model(s), "service:compose:billing/db");
	assert_non_null(db);
	assert_true(has_item(db, "images", "postgres:16"));
	assert_non_null(fact(db, "literal_credentials", "db/POSTGRES_PASSWORD"));
	tm_scan_free(s);
}

/* ---- calls: the address attribute carries no password ------------------------------------------ */

static void call_address_masked(void **state)
{
	(void)state;
	static const char doc[] = "services:\n"
				  "  api:\n"
				  "    image: api\n"
				  "    environment:\n"
				  "      DATABASE_URL: postgres://app:s3cret@db:5432/app\n"
				  "      SQL: Server=sql;User Id=sa;Password=Pass@word;Database=x\n"
				  "      CACHE_URL: redis://cache:6379\n"
				  "  db: {image: postgres}\n"
				  "  sql: {image: mcr.microsoft.com/mssql/server}\n"
				  "  cache: {image: redis}\n";
	tm_scan *s = scan_text("app/compose.yaml", doc);
	const tm_model *m = tm_scan_model(s);
	static const char *const want[] = {"postgres://app:***@db:5432/app",
					   "Server=sql;User Id=sa;Password=***;Database=x", "redis://cache:6379"};
	size_t found = 0;
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		for (size_t a = 0; a < tm_edge_attr_count(e); a++) {
			const tm_attr *at = tm_edge_attr(e, a);
			if (strcmp(at->key, "address") != 0)
				continue;
			for (size_t k = 0; at->list[k]; k++) {
				assert_null(strstr(at->list[k], "s3cret"));
				assert_null(strstr(at->list[k], "Pass@word"));
				for (size_t w = 0; w < TM_ARRAY_LEN(want); w++)
					found += strcmp(at->list[k], want[w]) == 0;
			}
		}
	}
	assert_int_equal(found, TM_ARRAY_LEN(want));
	tm_scan_free(s);
}

/* ---- TM-MESH-007 -------------------------------------------------------------------------------- */

static size_t store_findings(const char *compose, const char **title)
{
	tm_scan *s = scan_text("app/compose.yaml", compose);
	tm_findings *fs = NULL;
	assert_int_equal(tm_findings_run(&fs, tm_scan_model(s)), 0);
	size_t n = 0;
	for (size_t i = 0; i < tm_findings_count(fs); i++) {
		const tm_finding *x = tm_findings_at(fs, i);
		if (strcmp(x->rule->id, "TM-MESH-007") != 0)
			continue;
		n++;
		if (title) {
			static char buf[512];
			snprintf(buf, sizeof(buf), "%s", x->title);
			*title = buf;
		}
	}
	tm_findings_free(fs);
	tm_scan_free(s);
	return n;
}

static void published_store_rule(void **state)
{
	(void)state;
	static const struct {
		const char *compose;
		size_t fires;
		const char *title_has;
	} cases[] = {
		{"services:\n  db:\n    image: postgres:16\n    ports: ['5432:5432']\n", 1, "(postgres)"},
		{"services:\n  db:\n    image: postgres:16\n    ports: ['127.0.0.1:5432:5432']\n", 0, NULL},
		{"services:\n  db:\n    image: postgres:16\n    ports: [{target: 5432, published: 5432, host_ip: '::1'}]\n", 0, NULL},
		{"services:\n  db:\n    image: postgres:16\n    expose: ['5432']\n", 0, NULL},
		{"services:\n  db:\n    image: mcr.microsoft.com/mssql/server:2019-latest\n    ports: ['5433:1433']\n", 1, "(mssql)"},
		{"services:\n  db:\n    image: acme/custom-db\n    ports: ['0.0.0.0:15432:5432']\n", 1, "(PostgreSQL)"},
		{"services:\n  ui:\n    image: dpage/pgadmin4\n    ports: ['5050:80']\n", 0, NULL},
		{"services:\n  ui:\n    image: mongo-express\n    ports: ['8081:8081']\n", 0, NULL},
		{"services:\n  db:\n    build: ./redis\n    ports: ['6380:6380']\n", 1, "(redis)"},
		{"services:\n  cache:\n    image: redis:7\n    profiles: [debug]\n    ports: ['6379']\n", 1, "opt-in profile debug"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(cases); i++) {
		const char *title = NULL;
		size_t n = store_findings(cases[i].compose, &title);
		if (n != cases[i].fires)
			fail_msg("case %zu: %zu findings, expected %zu", i, n, cases[i].fires);
		if (cases[i].title_has && !strstr(title, cases[i].title_has))
			fail_msg("case %zu: title '%s' lacks '%s'", i, title, cases[i].title_has);
	}
}

static void published_store_k8s(void **state)
{
	(void)state;
	static const char k8s[] = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db, namespace: shop}\n"
				  "spec:\n  selector: {matchLabels: {app: db}}\n  template:\n"
				  "    metadata: {labels: {app: db}}\n"
				  "    spec: {containers: [{name: db, image: 'mysql:8', ports: [{containerPort: 3306}]}]}\n"
				  "---\napiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\n"
				  "spec: {type: LoadBalancer, selector: {app: db}, ports: [{port: 3306}]}\n";
	tm_scan *s = scan_text("k8s/db.yaml", k8s);
	tm_findings *fs = NULL;
	assert_int_equal(tm_findings_run(&fs, tm_scan_model(s)), 0);
	size_t n = 0;
	for (size_t i = 0; i < tm_findings_count(fs); i++)
		n += strcmp(tm_findings_at(fs, i)->rule->id, "TM-MESH-007") == 0;
	assert_int_equal(n, 1);
	tm_findings_free(fs);
	tm_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dotenv_forms),
		cmocka_unit_test(interpolation_table),
		cmocka_unit_test(unset_variables_noted),
		cmocka_unit_test(merge_rules),
		cmocka_unit_test(unique_keys),
		cmocka_unit_test(override_semantics),
		cmocka_unit_test(variants),
		cmocka_unit_test(extends_resolution),
		cmocka_unit_test(profiles_opt_in),
		cmocka_unit_test(survives_every_failure),
		cmocka_unit_test(dotenv_ingest),
		cmocka_unit_test(dotenv_through_scan),
		cmocka_unit_test(call_address_masked),
		cmocka_unit_test(published_store_rule),
		cmocka_unit_test(published_store_k8s),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
