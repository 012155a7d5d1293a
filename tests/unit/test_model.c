/* test_model.c - building merges facts; freezing sorts and marks boundary crossings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "model/model.h"

static void build_merge_freeze(void **state)
{
	(void)state;
	tm_model_builder *mb = tm_mb_new();
	assert_non_null(mb);
	tm_mb_boundary(mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
	tm_mb_boundary(mb, TM_BOUNDARY_CLUSTER, "cluster", "Cluster", NULL);
	tm_mb_boundary(mb, TM_BOUNDARY_NAMESPACE, "namespace:a", "a", "cluster");
	tm_loc l1 = {"b.yaml", 5, 1, NULL}, l2 = {"a.yaml", 9, 3, NULL};
	tm_node *svc = tm_mb_node(mb, TM_NODE_SERVICE, "service:a/web", "web", "namespace:a", l1);
	tm_node *again = tm_mb_node(mb, TM_NODE_SERVICE, "service:a/web", "other", "cluster", l2);
	assert_ptr_equal(svc, again);
	tm_mb_add_evidence(mb, svc, l1); /* duplicate evidence collapses */
	tm_mb_node_list_add(mb, svc, "images", "z:1");
	tm_mb_node_list_add(mb, svc, "images", "a:1");
	tm_mb_node_list_add(mb, svc, "images", "z:1");
	tm_mb_node_str(mb, svc, "namespace", "a");
	tm_mb_node_int(mb, svc, "replicas", 3);
	tm_loc none = {NULL, 0, 0, NULL};
	tm_node *in = tm_mb_node(mb, TM_NODE_ENTRYPOINT, "entrypoint:internet", "Internet", "internet", none);
	tm_node *id = tm_mb_node(mb, TM_NODE_IDENTITY, "identity:k8s:a/web", "web", "namespace:a", l1);
	tm_edge *e = tm_mb_edge(mb, in, svc, TM_EDGE_ROUTES, l1);
	assert_ptr_equal(tm_mb_edge(mb, in, svc, TM_EDGE_ROUTES, l2), e);
	tm_mb_edge(mb, svc, id, TM_EDGE_RUNS_AS, l1);

	tm_model *m = NULL;
	assert_int_equal(tm_mb_finish(mb, &m), 0);
	assert_int_equal(tm_model_node_count(m), 3);
	/* sorted by id */
	assert_string_equal(tm_node_id(tm_model_node(m, 0)), "entrypoint:internet");
	assert_string_equal(tm_node_id(tm_model_node(m, 1)), "identity:k8s:a/web");
	assert_string_equal(tm_node_id(tm_model_node(m, 2)), "service:a/web");
	const tm_node *n = tm_model_find(m, "service:a/web");
	assert_string_equal(tm_node_name(n), "web");            /* the first name stays */
	assert_string_equal(tm_node_boundary(n), "namespace:a");
	assert_int_equal(tm_node_evidence_count(n), 2);
	assert_string_equal(tm_node_evidence(n, 0).path, "a.yaml"); /* sorted */
	const tm_attr *imgs = tm_node_attr_get(n, "images");
	assert_non_null(imgs);
	assert_string_equal(imgs->list[0], "a:1");
	assert_string_equal(imgs->list[1], "z:1");
	assert_null(imgs->list[2]);
	assert_string_equal(tm_node_attr(n, 0)->key, "images"); /* attributes sorted by key */
	assert_int_equal(tm_model_count_kind(m, TM_NODE_SERVICE), 1);

	assert_int_equal(tm_model_edge_count(m), 2);
	const tm_edge *routes = tm_model_edge(m, 0);
	assert_string_equal(tm_node_id(tm_edge_from(routes)), "entrypoint:internet");
	assert_true(tm_edge_crosses_boundary(routes));
	assert_int_equal(tm_edge_evidence_count(routes), 2);
	assert_string_equal(tm_authn_name(tm_edge_authn(routes)), "unknown");
	const tm_edge *runs = tm_model_edge(m, 1);
	assert_false(tm_edge_crosses_boundary(runs));
	assert_string_equal(tm_edge_kind_name(tm_edge_kind_of(runs)), "runs-as");

	assert_int_equal(tm_model_boundary_count(m), 3);
	assert_string_equal(tm_boundary_id(tm_model_boundary(m, 0)), "cluster");
	assert_string_equal(tm_boundary_parent(tm_model_boundary(m, 2)), "cluster");
	assert_null(tm_boundary_parent(tm_model_boundary(m, 1)));
	tm_model_free(m);
}

static void kind_names(void **state)
{
	(void)state;
	assert_string_equal(tm_node_kind_name(TM_NODE_DATASTORE), "datastore");
	assert_string_equal(tm_edge_kind_name(TM_EDGE_EXPOSES), "exposes");
	assert_string_equal(tm_boundary_kind_name(TM_BOUNDARY_CLOUD_ACCOUNT), "cloud-account");
	assert_string_equal(tm_authn_name(TM_AUTHN_API_KEY), "api-key");
	assert_string_equal(tm_authz_name(TM_AUTHZ_POLICY), "policy");
	assert_string_equal(tm_enforced_name(TM_ENFORCED_MESH), "mesh");
	assert_string_equal(tm_node_kind_name((tm_node_kind)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_merge_freeze),
		cmocka_unit_test(kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
