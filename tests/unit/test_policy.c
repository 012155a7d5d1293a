/*
 * test_policy.c - the matching rules the ingesters and the query evaluator share:
 * label selectors, Istio string patterns, CODEOWNERS patterns, literal credentials.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ingest/k8s.h"
#include "model/policy.h"

static tm_labels labels2(tm_label *buf, const char *k1, const char *v1, const char *k2, const char *v2)
{
	buf[0] = (tm_label){k1, v1};
	buf[1] = (tm_label){k2, v2};
	return (tm_labels){buf, k2 ? 2 : 1};
}

static void selectors(void **state)
{
	(void)state;
	tm_label lb[2];
	tm_labels web = labels2(lb, "app", "web", "tier", "front");
	const char *in_vals[] = {"web", "api"};
	const char *notin_vals[] = {"front"};
	tm_sel_req reqs[] = {
		{"app", TM_SEL_IN, {in_vals, 2, true}},
		{"tier", TM_SEL_NOT_IN, {notin_vals, 1, true}},
		{"debug", TM_SEL_NOT_EXISTS, {NULL, 0, false}},
		{"app", TM_SEL_EXISTS, {NULL, 0, false}},
	};
	tm_selector all = {true, NULL, 0, false};
	tm_selector absent = {false, NULL, 0, false};
	tm_selector in = {true, reqs, 1, false};
	tm_selector in_notin = {true, reqs, 2, false};
	tm_selector exists = {true, reqs + 2, 2, false};
	tm_selector invalid = {true, NULL, 0, true};
	assert_true(tm_selector_matches(&all, &web));      /* {} selects everything */
	assert_false(tm_selector_matches(&absent, &web));  /* no selector selects nothing */
	assert_true(tm_selector_matches(&in, &web));
	assert_false(tm_selector_matches(&in_notin, &web)); /* tier=front is excluded */
	assert_true(tm_selector_matches(&exists, &web));
	assert_false(tm_selector_matches(&invalid, &web));
	tm_labels none = {NULL, 0};
	tm_selector notin_only = {true, reqs + 1, 1, false};
	assert_true(tm_selector_matches(&notin_only, &none)); /* a missing key satisfies NotIn */

	tm_label want_buf[2];
	tm_labels want = labels2(want_buf, "app", "web", NULL, NULL);
	assert_true(tm_labels_subset(&want, &web));
	want_buf[0].value = "api";
	assert_false(tm_labels_subset(&want, &web));
	assert_false(tm_labels_subset(&none, &web)); /* an empty Service selector selects nothing */
}

/* The chains a workload's NetworkPolicies are found through hold every policy that can select it
 * (each candidate is then matched), in table order, and skip the ones its labels rule out. */
static void netpol_candidates(void **state)
{
	(void)state;
	const char *web[] = {"web"}, *two[] = {"web", "api"}, *back[] = {"back"};
	tm_sel_req app_web = {"app", TM_SEL_IN, {web, 1, true}};
	tm_sel_req app_two = {"app", TM_SEL_IN, {two, 2, true}};
	tm_sel_req tier_back[] = {{"tier", TM_SEL_IN, {back, 1, true}}, {"app", TM_SEL_IN, {web, 1, true}}};
	tm_sel_req no_debug = {"debug", TM_SEL_NOT_EXISTS, {NULL, 0, false}};
	struct {
		const char *ns;
		tm_selector pods;
	} pols[] = {
		{"a", {true, &app_web, 1, false}},  /* 0: chained under a/app=web */
		{"a", {true, NULL, 0, false}},      /* 1: {}: the bare namespace */
		{"a", {true, &app_two, 1, false}},  /* 2: two values: the bare namespace */
		{"b", {true, &app_web, 1, false}},  /* 3: another namespace */
		{"a", {true, tier_back, 2, false}}, /* 4: under a/tier=back, which the workload lacks */
		{"a", {true, &no_debug, 1, false}}, /* 5: an expression only: the bare namespace */
		{"a", {true, &app_web, 1, false}},  /* 6: the same chain as 0 */
	};
	tm_policy p = {0};
	tm_arena *arena = tm_arena_new();
	p.arena = arena;
	assert_non_null(arena);
	for (size_t i = 0; i < sizeof(pols) / sizeof(pols[0]); i++) {
		tm_netpol *np = TM_PM_ADD(&p, netpols);
		assert_non_null(np);
		np->ns = pols[i].ns;
		np->name = "np";
		np->pods = pols[i].pods;
	}
	tm_hmap chains = TM_HMAP_INIT;
	assert_int_equal(tm_policy__netpol_chains(&p, &chains), 0);
	tm_label lb[2];
	tm_pm_workload wl = {.ns = "a", .labels = labels2(lb, "app", "web", "tier", "front")};
	tm_strbuf key = {0};
	size_t *idx = NULL, n = 0, cap = 0;
	assert_int_equal(tm_policy__netpol_candidates(&chains, &wl, &key, &idx, &n, &cap), 0);
	size_t want[] = {0, 1, 2, 5, 6};
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(idx[i], want[i]);
	/* every policy that selects the workload is a candidate */
	for (size_t i = 0; i < p.nnetpols; i++) {
		if (strcmp(p.netpols[i].ns, wl.ns) || !tm_selector_matches(&p.netpols[i].pods, &wl.labels))
			continue;
		bool found = false;
		for (size_t j = 0; j < n; j++)
			found = found || idx[j] == i;
		assert_true(found);
	}
	/* no labels: only the bare namespace's chain */
	tm_pm_workload bare = {.ns = "a"};
	assert_int_equal(tm_policy__netpol_candidates(&chains, &bare, &key, &idx, &n, &cap), 0);
	assert_int_equal(n, 3);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[2], 5);
	tm_free(idx);
	tm_strbuf_dispose(&key);
	tm_hmap_dispose(&chains);

	/* the index built at freeze, for table entries, and the namespace's chain for a stand-in,
	 * list the same policies in the same order */
	tm_pm_workload *t = TM_PM_ADD(&p, workloads);
	assert_non_null(t);
	t->ns = "a";
	t->labels = wl.labels;
	tm_pm_workload *u = TM_PM_ADD(&p, workloads);
	assert_non_null(u);
	u->ns = "b";
	u->labels = wl.labels;
	const char *nss[] = {"a", "b", "a"};
	for (size_t i = 0; i < 3; i++) {
		tm_pm_namespace *ns = TM_PM_ADD(&p, namespaces);
		assert_non_null(ns);
		ns->name = nss[i];
	}
	assert_int_equal(tm_policy__index(&p), 0);
	assert_ptr_equal(tm_policy__namespace(&p, "a"), &p.namespaces[0]); /* the first of its name */
	assert_ptr_equal(tm_policy__namespace(&p, "b"), &p.namespaces[1]);
	assert_null(tm_policy__namespace(&p, "c"));
	tm_np_selecting it, stand;
	tm_policy__selecting_init(&it, &p, &p.workloads[0]);
	tm_policy__selecting_init(&stand, &p, &wl); /* not in the table */
	size_t want_sel[] = {0, 1, 2, 5, 6}, k = 0; /* 2: app in (web, api) holds too */
	for (const tm_netpol *np; (np = tm_policy__selecting_next(&it)) != NULL; k++) {
		assert_true(k < 5);
		assert_ptr_equal(np, &p.netpols[want_sel[k]]);
		assert_ptr_equal(tm_policy__selecting_next(&stand), np);
	}
	assert_int_equal(k, 5);
	assert_null(tm_policy__selecting_next(&stand));
	tm_policy__selecting_init(&it, &p, &p.workloads[1]); /* namespace b: only policy 3 */
	assert_ptr_equal(tm_policy__selecting_next(&it), &p.netpols[3]);
	assert_null(tm_policy__selecting_next(&it));

	/* the first workload, any namespace, whose labels hold a selector */
	tm_label sl[2];
	tm_labels front = labels2(sl, "tier", "front", "app", "web");
	assert_ptr_equal(tm_policy__first_selected(&p, &front), &p.workloads[0]);
	sl[1].value = "api";
	assert_null(tm_policy__first_selected(&p, &front));
	tm_labels empty = {NULL, 0};
	assert_null(tm_policy__first_selected(&p, &empty)); /* an empty selector selects none here */
	tm_policy__dispose(&p);
	tm_arena_free(arena);
}

static void istio_patterns(void **state)
{
	(void)state;
	assert_true(tm_istio_str_match("/ip", "/ip"));
	assert_false(tm_istio_str_match("/ip", "/ip/"));
	assert_true(tm_istio_str_match("/api/*", "/api/v1"));
	assert_true(tm_istio_str_match("/api/*", "/api/"));
	assert_false(tm_istio_str_match("/api/*", "/apix"));
	assert_true(tm_istio_str_match("*.svc", "a.svc"));
	assert_false(tm_istio_str_match("*.svc", "a.svc.x"));
	assert_true(tm_istio_str_match("*", "anything"));
	assert_false(tm_istio_str_match("*", ""));  /* "*" means present */
	assert_false(tm_istio_str_match("*", NULL));
	assert_true(tm_istio_str_match("cluster.local/ns/foo/sa/*", "cluster.local/ns/foo/sa/sleep"));
}

static void codeowners_patterns(void **state)
{
	(void)state;
	static const struct {
		const char *pattern, *path;
		bool match;
	} cases[] = {
		{"*", "k8s/app.yaml", true},
		{"*.yaml", "k8s/deep/app.yaml", true},      /* no slash: any depth */
		{"/k8s/", "k8s/deep/app.yaml", true},       /* a directory: everything below */
		{"/k8s/", "other/k8s/app.yaml", false},     /* anchored */
		{"k8s/", "other/k8s/app.yaml", true},       /* unanchored directory */
		{"/api/*.yaml", "api/orders.yaml", true},
		{"/api/*.yaml", "api/v1/orders.yaml", false}, /* "*" stays in one segment */
		{"/api/**/*.yaml", "api/v1/x/orders.yaml", true},
		{"docs/*", "docs/a.md", true},
		{"docs/*", "docs/x/a.md", false},
		{"/.github/", ".github/workflows/ci.yml", true},
		{"app.yaml", "k8s/app.yaml", true},
		{"app.yaml", "k8s/app.yaml.bak", false},
		{"?pp.yaml", "app.yaml", true},
		{"**/logs", "deeply/nested/logs/app.log", true},
		{"/a/**/b", "a/b", true},                    /* zero directories */
		{"/a/**/b", "a/x/y/b", true},
		{"/a/**/b", "a/xb", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = tm_codeowners__match(cases[i].pattern, cases[i].path);
		if (got != cases[i].match)
			fail_msg("pattern '%s' on '%s': got %d", cases[i].pattern, cases[i].path, got);
	}
}

/* Many stars once made the matcher backtrack exponentially (found by fuzz_ingest). */
static void codeowners_many_stars(void **state)
{
	(void)state;
	char pat[200];
	memset(pat, '*', 150);
	memcpy(pat + 150, "data.name:", 11);
	assert_false(tm_codeowners__match(pat, "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/fuzz/input.yaml"));
	memset(pat, '*', 40);
	memcpy(pat + 40, "a*a*a*a*a*a*a*a*a*b", 20);
	assert_false(tm_codeowners__match(pat, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

static void literal_credentials(void **state)
{
	(void)state;
	assert_true(tm_k8s__literal_credential("DB_PASSWORD", "hunter2hunter2"));
	assert_true(tm_k8s__literal_credential("jwtSecret", "abcd1234"));
	assert_true(tm_k8s__literal_credential("DATABASE_URL", "postgres://app:s3cret@db:5432/app"));
	assert_true(tm_k8s__literal_credential("ConnectionStrings__Db", "Server=sql;Database=x;User Id=sa;Password=Pass@word"));
	assert_false(tm_k8s__literal_credential("DB_PASSWORD", ""));              /* nothing written */
	assert_false(tm_k8s__literal_credential("DB_PASSWORD_FILE", "/run/secrets/db")); /* a path */
	assert_false(tm_k8s__literal_credential("TOKEN", "$(TOKEN_FROM_ENV)"));   /* a reference */
	assert_false(tm_k8s__literal_credential("API_TOKEN", "{{ .Values.token }}"));
	assert_false(tm_k8s__literal_credential("LOG_LEVEL", "debug"));
	assert_false(tm_k8s__literal_credential("CART_ADDR", "cartservice:7070"));
	assert_false(tm_k8s__literal_credential("SERVICE_URL", "http://orders:8080/api"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(selectors),
		cmocka_unit_test(netpol_candidates),
		cmocka_unit_test(istio_patterns),
		cmocka_unit_test(codeowners_patterns),
		cmocka_unit_test(codeowners_many_stars),
		cmocka_unit_test(literal_credentials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
