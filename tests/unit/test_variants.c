/*
 * test_variants.c - systems and deployment variants (src/ingest/plan.c, src/ingest/scan.c): which
 * directories are variants, what every system shares, kustomization roots replacing the files they
 * read, and one object defined twice in one system staying one object.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trustmap/analysis.h"
#include "trustmap/scan.h"

#define DEPLOY(ns, name, type)                                                                               \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " name ", namespace: " ns "}\n"                 \
	"spec:\n  selector: {matchLabels: {app: " name "}}\n  template:\n    metadata: {labels: {app: " name "}}\n" \
	"    spec:\n      containers: [{name: c, image: example/" name ":1, ports: [{containerPort: 8080}]}]\n"     \
	"---\napiVersion: v1\nkind: Service\nmetadata: {name: " name ", namespace: " ns "}\n"                     \
	"spec: {type: " type ", selector: {app: " name "}, ports: [{port: 80, targetPort: 8080}]}\n"

static const char spec[] = "openapi: 3.0.3\ninfo: {title: web, version: '1'}\npaths:\n  /a:\n    get:\n"
			   "      responses: {'200': {description: ok}}\n";

static tm_scan_set *plan(const tm_mem_file *files, size_t n)
{
	tm_limits lim;
	tm_limits_default(&lim);
	tm_scan_set *set = NULL;
	assert_int_equal(tm_scan_plan_mem(&set, files, n, &lim), 0);
	assert_non_null(set);
	return set;
}

static bool has_input(const tm_scan *s, const char *path)
{
	for (size_t i = 0; i < tm_scan_input_count(s); i++)
		if (strcmp(tm_scan_input(s, i)->path, path) == 0)
			return true;
	return false;
}

static const char *skip_reason(const tm_scan *s, const char *path)
{
	for (size_t i = 0; i < tm_scan_skip_count(s); i++)
		if (strcmp(tm_scan_skip(s, i)->path, path) == 0)
			return tm_scan_skip(s, i)->reason;
	return NULL;
}

/* Two directories defining one object are two variants; what defines no object is in both. */
static void two_directories_are_two_variants(void **state)
{
	(void)state;
	const char *a = DEPLOY("shop", "web", "LoadBalancer"), *b = DEPLOY("shop", "web", "ClusterIP");
	const char *extra = DEPLOY("shop", "db", "ClusterIP");
	tm_mem_file files[] = {
		{"k8s/prod/web.yaml", a, strlen(a)},
		{"k8s/prod/db.yaml", extra, strlen(extra)},
		{"k8s/dev/web.yaml", b, strlen(b)},
		{"api/web.yaml", spec, sizeof(spec) - 1},
	};
	tm_scan_set *set = plan(files, 4);
	assert_int_equal(tm_scan_set_systems(set), 2);
	/* the primary defines the most objects */
	assert_string_equal(tm_scan_set_system(set, 0), "k8s/prod");
	assert_string_equal(tm_scan_set_system(set, 1), "k8s/dev");
	assert_int_equal(tm_scan_set_find(set, "k8s/dev"), 1);
	assert_int_equal(tm_scan_set_find(set, "k8s"), -1);
	tm_scan *prod = NULL, *dev = NULL;
	assert_int_equal(tm_scan_set_run(set, 0, &prod), 0);
	assert_int_equal(tm_scan_set_run(set, 1, &dev), 0);
	tm_scan_set_free(set); /* the scans keep it */
	assert_true(has_input(prod, "k8s/prod/web.yaml"));
	assert_true(has_input(prod, "api/web.yaml"));
	assert_true(has_input(dev, "api/web.yaml"));
	assert_false(has_input(dev, "k8s/prod/db.yaml"));
	assert_non_null(strstr(skip_reason(dev, "k8s/prod/web.yaml"), "variant k8s/prod"));
	assert_non_null(strstr(skip_reason(prod, "k8s/dev/web.yaml"), "variant k8s/dev"));
	assert_string_equal(tm_scan_system(dev), "k8s/dev");
	assert_non_null(tm_model_find(tm_scan_model(prod), "service:shop/db"));
	assert_null(tm_model_find(tm_scan_model(dev), "service:shop/db"));
	tm_scan_free(prod);
	tm_scan_free(dev);
}

/* An add-on directory (policies beside the manifests it extends) is no variant: a Namespace it
 * repeats does not count, and it is in every system; one system when nothing conflicts. */
static void add_on_directory_is_shared(void **state)
{
	(void)state;
	const char *app = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n" DEPLOY("shop", "web", "ClusterIP");
	const char *pol = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
			  "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\n"
			  "spec: {podSelector: {}, policyTypes: [Ingress]}\n";
	tm_mem_file files[] = {
		{"deploy/manifests/app.yaml", app, strlen(app)},
		{"deploy/policies/deny.yaml", pol, strlen(pol)},
	};
	tm_scan_set *set = plan(files, 2);
	assert_int_equal(tm_scan_set_systems(set), 1);
	assert_null(tm_scan_set_system(set, 0));
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_set_run(set, 0, &s), 0);
	tm_scan_set_free(set);
	assert_true(has_input(s, "deploy/manifests/app.yaml"));
	assert_true(has_input(s, "deploy/policies/deny.yaml"));
	assert_null(tm_scan_system(s));
	tm_scan_free(s);
}

/* Two files of one directory defining one object: one system, one object, both evidences. */
static void duplicate_in_one_directory_is_one_object(void **state)
{
	(void)state;
	const char *a = DEPLOY("shop", "web", "LoadBalancer"), *b = DEPLOY("shop", "web", "ClusterIP");
	tm_mem_file files[] = {{"k8s/a.yaml", a, strlen(a)}, {"k8s/b.yaml", b, strlen(b)}};
	tm_scan_set *set = plan(files, 2);
	assert_int_equal(tm_scan_set_systems(set), 1);
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_set_run(set, 0, &s), 0);
	tm_scan_set_free(set);
	const tm_node *web = tm_model_find(tm_scan_model(s), "service:shop/web");
	assert_non_null(web);
	bool in_a = false, in_b = false;
	for (size_t i = 0; i < tm_node_evidence_count(web); i++) {
		const char *p = tm_node_evidence(web, i).path;
		in_a |= p && strcmp(p, "k8s/a.yaml") == 0;
		in_b |= p && strcmp(p, "k8s/b.yaml") == 0;
	}
	assert_true(in_a && in_b);
	/* the later definition (b: ClusterIP) is modelled, with a warning that they differ */
	bool warned = false;
	const tm_diag_list *d = tm_scan_diags(s);
	for (size_t i = 0; i < d->count; i++)
		warned |= d->items[i].level == TM_LEVEL_WARNING && strstr(d->items[i].msg, "defined again, differently");
	assert_true(warned);
	tm_scan_free(s);
}

/* A kustomization root replaces the files it reads; a file of its directory it does not list is not
 * deployed; a Component alone is no root. */
static void kustomization_root_replaces_its_files(void **state)
{
	(void)state;
	const char *base_k = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [web.yaml]\n";
	const char *web = DEPLOY("shop", "web", "ClusterIP");
	const char *stray = DEPLOY("shop", "stray", "LoadBalancer");
	const char *over_k = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\n"
			     "namespace: prod\n";
	const char *comp_k = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [np.yaml]\n";
	const char *np = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\n"
			 "spec: {podSelector: {}, policyTypes: [Ingress]}\n";
	tm_mem_file files[] = {
		{"base/kustomization.yaml", base_k, strlen(base_k)}, {"base/web.yaml", web, strlen(web)},
		{"base/stray.yaml", stray, strlen(stray)},           {"prod/kustomization.yaml", over_k, strlen(over_k)},
		{"comp/kustomization.yaml", comp_k, strlen(comp_k)}, {"comp/np.yaml", np, strlen(np)},
	};
	tm_scan_set *set = plan(files, 6);
	assert_int_equal(tm_scan_set_systems(set), 1);
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_set_run(set, 0, &s), 0);
	tm_scan_set_free(set);
	/* the overlay's namespace applies: base/ is read by prod/ only */
	assert_non_null(tm_model_find(tm_scan_model(s), "service:prod/web"));
	assert_null(tm_model_find(tm_scan_model(s), "service:shop/web"));
	assert_null(tm_model_find(tm_scan_model(s), "service:shop/stray"));
	assert_true(has_input(s, "base/web.yaml"));
	assert_non_null(strstr(skip_reason(s, "base/stray.yaml"), "no build of the scan reads it"));
	assert_non_null(strstr(skip_reason(s, "comp/np.yaml"), "no build of the scan reads it"));
	tm_scan_free(s);
}

/* tm_analysis_run_all: one analysis per system, the primary first; a name no system has. */
static void analysis_per_system(void **state)
{
	(void)state;
	const char *a = DEPLOY("shop", "web", "LoadBalancer"), *b = DEPLOY("shop", "web", "ClusterIP");
	tm_mem_file files[] = {{"x/web.yaml", a, strlen(a)}, {"y/web.yaml", b, strlen(b)}};
	tm_analysis_opts o = {.files = files, .nfiles = 2, .name = "t"};
	tm_limits_default(&o.limits);
	tm_analysis **list = NULL;
	size_t n = 0;
	assert_int_equal(tm_analysis_run_all(&list, &n, &o), 0);
	assert_int_equal(n, 2);
	assert_string_equal(tm_analysis_system(list[0]), "x");
	assert_string_equal(tm_analysis_name(list[1]), "t: y");
	const tm_model *mx = tm_analysis_model(list[0]), *my = tm_analysis_model(list[1]);
	assert_string_equal(tm_exposure_of(tm_analysis_exposure(list[0]), tm_model_find(mx, "service:shop/web")), "internet");
	assert_string_not_equal(tm_exposure_of(tm_analysis_exposure(list[1]), tm_model_find(my, "service:shop/web")),
				"internet");
	tm_analysis_free_all(list, n);
	o.system = "y";
	assert_int_equal(tm_analysis_run_all(&list, &n, &o), 0);
	assert_int_equal(n, 1);
	assert_string_equal(tm_analysis_system(list[0]), "y");
	tm_analysis_free_all(list, n);
	o.system = "nope";
	assert_int_equal(tm_analysis_run_all(&list, &n, &o), TM_EINVALID);
	assert_int_equal(n, 0);
	tm_analysis_free_all(list, n);
}

/* The overlay names the systems: globs decide, what deploys nothing is everywhere, an object no
 * system includes is in none; compose projects and manifests are systems of their own otherwise. */
static void overlay_systems_and_compose(void **state)
{
	(void)state;
	const char *a = DEPLOY("shop", "web", "LoadBalancer"), *b = DEPLOY("shop", "web", "ClusterIP");
	const char *stray = DEPLOY("shop", "stray", "ClusterIP");
	const char *ov = "systems:\n  - {name: prod, include: ['k8s/prod/*']}\n  - {name: dev, include: ['k8s/dev/*']}\n";
	tm_mem_file files[] = {
		{"k8s/prod/web.yaml", a, strlen(a)}, {"k8s/dev/web.yaml", b, strlen(b)},
		{"other/stray.yaml", stray, strlen(stray)}, {"api/web.yaml", spec, sizeof(spec) - 1},
		{"trustmap.yaml", ov, strlen(ov)},
	};
	tm_scan_set *set = plan(files, 5);
	assert_int_equal(tm_scan_set_systems(set), 2);
	assert_string_equal(tm_scan_set_system(set, 0), "prod");
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_set_run(set, 1, &s), 0);
	tm_scan_set_free(set);
	assert_true(has_input(s, "k8s/dev/web.yaml"));
	assert_true(has_input(s, "api/web.yaml"));
	assert_non_null(strstr(skip_reason(s, "other/stray.yaml"), "none of the systems"));
	assert_non_null(strstr(skip_reason(s, "k8s/prod/web.yaml"), "system prod"));
	tm_scan_free(s);

	/* without the overlay: a compose project beside the manifests is a system of its own */
	const char *compose = "services:\n  web:\n    image: example/web:1\n    ports: ['8080:80']\n";
	tm_mem_file two[] = {{"k8s/web.yaml", a, strlen(a)}, {"docker-compose.yml", compose, strlen(compose)},
			     {"api/web.yaml", spec, sizeof(spec) - 1}};
	set = plan(two, 3);
	assert_int_equal(tm_scan_set_systems(set), 2);
	int k8s = tm_scan_set_find(set, "k8s"), dc = tm_scan_set_find(set, "docker-compose.yml");
	assert_true(k8s >= 0 && dc >= 0);
	assert_int_equal(tm_scan_set_run(set, (size_t)dc, &s), 0);
	tm_scan_set_free(set);
	assert_true(has_input(s, "docker-compose.yml"));
	assert_true(has_input(s, "api/web.yaml"));
	assert_false(has_input(s, "k8s/web.yaml"));
	tm_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_directories_are_two_variants),
		cmocka_unit_test(add_on_directory_is_shared),
		cmocka_unit_test(duplicate_in_one_directory_is_one_object),
		cmocka_unit_test(kustomization_root_replaces_its_files),
		cmocka_unit_test(analysis_per_system),
		cmocka_unit_test(overlay_systems_and_compose),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
