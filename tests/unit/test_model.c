/* test_model.c - building merges facts; freezing sorts and marks boundary crossings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* The per-kind index: each kind's nodes in node order (what a rule's loop over one kind visits, as a
 * loop over every node filtered by kind would), kinds without nodes empty, counts from it. */
static void nodes_by_kind(void **state)
{
	(void)state;
	tm_model_builder *mb = tm_mb_new();
	assert_non_null(mb);
	tm_loc l = {"a.yaml", 1, 1, NULL};
	/* added out of id order, kinds interleaved */
	static const struct {
		tm_node_kind kind;
		const char *id;
	} add[] = {
	    {TM_NODE_SERVICE, "service:b/z"},      {TM_NODE_ENDPOINT, "endpoint:b/z:GET /"},
	    {TM_NODE_SERVICE, "service:a/web"},    {TM_NODE_SECRET, "secret:a/s"},
	    {TM_NODE_ENDPOINT, "endpoint:a/web:POST /x"}, {TM_NODE_SERVICE, "service:a/api"},
	    {TM_NODE_ENDPOINT, "endpoint:a/web:GET /x"},
	};
	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++)
		assert_non_null(tm_mb_node(mb, add[i].kind, add[i].id, add[i].id, NULL, l));
	tm_model *m = NULL;
	assert_int_equal(tm_mb_finish(mb, &m), 0);
	size_t seen = 0;
	for (int k = 0; k < TM_NODE__COUNT; k++) {
		const tm_node *const *at = tm_model__kind_begin(m, (tm_node_kind)k);
		const tm_node *const *end = tm_model__kind_end(m, (tm_node_kind)k);
		assert_true(at <= end);
		size_t want = 0;
		for (size_t i = 0; i < tm_model_node_count(m); i++) {
			const tm_node *n = tm_model_node(m, i);
			if (tm_node_kind_of(n) != (tm_node_kind)k)
				continue;
			assert_true(at + want < end);
			assert_ptr_equal(at[want], n); /* node order kept */
			want++;
		}
		assert_int_equal((size_t)(end - at), want);
		assert_int_equal(tm_model_count_kind(m, (tm_node_kind)k), want);
		seen += want;
	}
	assert_int_equal(seen, 7);
	size_t n = 0;
	const char *ids[3];
	TM_EACH_OF_KIND(m, ep, TM_NODE_ENDPOINT) {
		if (n < 3)
			ids[n] = tm_node_id(ep);
		n++;
	}
	assert_int_equal(n, 3);
	assert_string_equal(ids[0], "endpoint:a/web:GET /x");
	assert_string_equal(ids[1], "endpoint:a/web:POST /x");
	assert_string_equal(ids[2], "endpoint:b/z:GET /");
	assert_int_equal(tm_model_count_kind(m, TM_NODE_GATEWAY), 0);
	tm_model_free(m);
}

/* Attribute lookups, while the model is built and once it is frozen: keys that share their first
 * eight bytes ("observed_in", "observed_only"), keys shorter than eight, a key the node lacks whose
 * filter bit another key sets, and a node with many keys (every bit of the filter set). */
static void attr_lookup_heads_and_filter(void **state)
{
	(void)state;
	tm_model_builder *mb = tm_mb_new();
	tm_loc none = {NULL, 0, 0, NULL};
	tm_node *few = tm_mb_node(mb, TM_NODE_SERVICE, "service:a/few", "few", NULL, none);
	tm_node *many = tm_mb_node(mb, TM_NODE_SERVICE, "service:a/many", "many", NULL, none);
	tm_mb_node_str(mb, few, "observed_in", "hubble");
	tm_mb_node_str(mb, few, "security", "oauth");
	tm_mb_node_bool(mb, few, "tls", true);
	tm_mb_node_str(mb, few, "observed_in", "istio"); /* set again: the same slot, by its head */
	assert_string_equal(tm_node_attr_str(few, "observed_in"), "istio");
	assert_null(tm_node_attr_get(few, "observed_only"));
	assert_null(tm_node_attr_get(few, "securit"));
	assert_null(tm_node_attr_get(few, "security_source"));
	char key[32];
	for (int i = 0; i < 200; i++) {
		tm_formatf(key, sizeof(key), "k%d_attribute", i);
		tm_mb_node_int(mb, many, key, i);
	}
	tm_model *m = NULL;
	assert_int_equal(tm_mb_finish(mb, &m), 0);
	const tm_node *f = tm_model_find(m, "service:a/few"), *g = tm_model_find(m, "service:a/many");
	assert_int_equal(tm_node_attr_count(f), 3);
	assert_string_equal(tm_node_attr_str(f, "observed_in"), "istio");
	assert_string_equal(tm_node_attr_str(f, "security"), "oauth");
	assert_int_equal(tm_node_attr_get(f, "tls")->num, 1);
	assert_null(tm_node_attr_get(f, "observed_only"));
	assert_null(tm_node_attr_get(f, "observed"));
	assert_null(tm_node_attr_get(f, "security_source"));
	assert_null(tm_node_attr_get(f, "tl"));
	assert_null(tm_node_attr_get(f, ""));
	size_t misses = 0;
	for (int i = 0; i < 200; i++) {
		tm_formatf(key, sizeof(key), "k%d_attribute", i);
		const tm_attr *a = tm_node_attr_get(g, key);
		assert_non_null(a);
		assert_int_equal(a->num, i);
		tm_formatf(key, sizeof(key), "k%d_absent", i);
		misses += tm_node_attr_get(g, key) == NULL;
		tm_formatf(key, sizeof(key), "x%d", i);
		misses += tm_node_attr_get(f, key) == NULL;
	}
	assert_int_equal(misses, 400);
	tm_model_free(m);
}

/* Lists keep no capacity (their array's size follows from their length) and a node's vectors grow
 * by half: a list settled mid-build (fewer items than its array holds) and grown again, lists past
 * several array sizes, forty attributes and evidence past the first arrays all read back whole
 * (and under ASan nothing writes past an array). */
static void lists_and_vectors_grow(void **state)
{
	(void)state;
	tm_model_builder *mb = tm_mb_new();
	assert_non_null(mb);
	tm_loc l = {"a.yaml", 1, 1, NULL};
	tm_node *n = tm_mb_node(mb, TM_NODE_SERVICE, "service:a/web", "web", NULL, l);
	char buf[32];
	for (int i = 0; i < 7; i++) { /* 7 items, 3 of them twice: an array of 8 slots */
		snprintf(buf, sizeof(buf), "h%02d", i % 4);
		tm_mb_node_list_add(mb, n, "hosts", buf);
	}
	tm_mb_node_list_settle(mb, n, "hosts"); /* 4 items left in 8 slots */
	for (int i = 4; i < 70; i++) {
		snprintf(buf, sizeof(buf), "h%02d", i);
		tm_mb_node_list_add(mb, n, "hosts", buf);
	}
	tm_mb_node_str(mb, n, "mode", "one");
	tm_mb_node_list_add(mb, n, "mode", "listed"); /* a string made a list */
	for (int i = 0; i < 40; i++) {
		snprintf(buf, sizeof(buf), "k%02d", i);
		tm_mb_node_int(mb, n, buf, i);
		tm_loc li = {"b.yaml", (uint32_t)(i + 2), 1, NULL};
		tm_mb_add_evidence(mb, n, li);
	}
	tm_model *m = NULL;
	assert_int_equal(tm_mb_finish(mb, &m), 0);
	const tm_node *f = tm_model_find(m, "service:a/web");
	const tm_attr *hosts = tm_node_attr_get(f, "hosts");
	assert_non_null(hosts);
	assert_int_equal(hosts->type, TM_ATTR_LIST);
	assert_int_equal(hosts->list_len, 70);
	for (uint32_t i = 0; i < hosts->list_len; i++) {
		snprintf(buf, sizeof(buf), "h%02u", (unsigned)i);
		assert_string_equal(hosts->list[i], buf);
	}
	assert_null(hosts->list[70]);
	const tm_attr *mode = tm_node_attr_get(f, "mode");
	assert_int_equal(mode->type, TM_ATTR_LIST);
	assert_int_equal(mode->list_len, 1);
	assert_string_equal(mode->list[0], "listed");
	for (int i = 0; i < 40; i++) {
		snprintf(buf, sizeof(buf), "k%02d", i);
		const tm_attr *a = tm_node_attr_get(f, buf);
		assert_non_null(a);
		assert_int_equal(a->num, i);
	}
	assert_int_equal(tm_node_evidence_count(f), 41);
	tm_model_free(m);
}

/* tm_mb_drop: the edges named go; a node named goes only when no edge left touches it; a later
 * tm_mb_edge or tm_mb_node of the same key makes a new one; the frozen model holds the rest. */
static void drop_edges_and_orphans(void **state)
{
	(void)state;
	tm_model_builder *mb = tm_mb_new();
	assert_non_null(mb);
	tm_loc l = {"a.yaml", 1, 1, NULL};
	tm_node *w = tm_mb_node(mb, TM_NODE_SERVICE, "service:a/web", "web", "namespace:a", l);
	tm_node *own = tm_mb_node(mb, TM_NODE_EXTERNAL, "external:blog.example.net", "blog.example.net", "internet", l);
	tm_node *kept = tm_mb_node(mb, TM_NODE_EXTERNAL, "external:smtp.example.net", "smtp.example.net", "internet", l);
	tm_node *other = tm_mb_node(mb, TM_NODE_SERVICE, "service:a/job", "job", "namespace:a", l);
	tm_edge *self = tm_mb_edge(mb, w, own, TM_EDGE_CALLS, l);
	tm_edge *mail = tm_mb_edge(mb, w, kept, TM_EDGE_CALLS, l);
	tm_edge *job = tm_mb_edge(mb, other, kept, TM_EDGE_CALLS, l);
	tm_mb_edge_list_add(mb, self, "env", "url");
	tm_pset edges = TM_PSET_INIT, nodes = TM_PSET_INIT;
	assert_true(tm_pset_add(&edges, self) >= 0 && tm_pset_add(&edges, job) >= 0);
	assert_true(tm_pset_add(&nodes, own) >= 0 && tm_pset_add(&nodes, kept) >= 0);
	tm_mb_drop(mb, &edges, &nodes);
	tm_pset_dispose(&edges);
	tm_pset_dispose(&nodes);
	assert_null(tm_mb_find(mb, "external:blog.example.net"));
	assert_ptr_equal(tm_mb_find(mb, "external:smtp.example.net"), kept); /* the mail call still touches it */
	assert_ptr_equal(tm_mb_edge(mb, w, kept, TM_EDGE_CALLS, l), mail);
	tm_edge *again = tm_mb_edge(mb, other, kept, TM_EDGE_CALLS, l); /* dropped: made anew */
	assert_non_null(again);
	tm_model *m = NULL;
	assert_int_equal(tm_mb_finish(mb, &m), 0);
	assert_int_equal(tm_model_node_count(m), 3);
	assert_int_equal(tm_model_edge_count(m), 2);
	assert_null(tm_model_find(m, "external:blog.example.net"));
	for (size_t i = 0; i < tm_model_edge_count(m); i++)
		assert_string_equal(tm_node_id(tm_edge_to(tm_model_edge(m, i))), "external:smtp.example.net");
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

static void kind_parse(void **state)
{
	(void)state;
	assert_int_equal(tm_node_kind_parse("Service", 7), TM_NODE_SERVICE);
	assert_int_equal(tm_node_kind_parse("serviceX", 7), TM_NODE_SERVICE); /* length decides */
	assert_int_equal(tm_node_kind_parse("servic", 6), -1);
	assert_int_equal(tm_edge_kind_parse("RUNS-AS", 7), TM_EDGE_RUNS_AS);
	assert_int_equal(tm_node_kind_parse(NULL, 0), -1);
}

static void node_id_parse(void **state)
{
	(void)state;
	static const struct {
		const char *id;
		int kind;
		const char *scheme, *ns, *name, *rest;
	} cases[] = {
		{"service:shop/orders", TM_NODE_SERVICE, NULL, "shop", "orders", "shop/orders"},
		{"gateway:istio:shop/public", TM_NODE_GATEWAY, "istio", "shop", "public", "istio:shop/public"},
		{"identity:k8s:shop/default", TM_NODE_IDENTITY, "k8s", "shop", "default", "k8s:shop/default"},
		{"entrypoint:partner:bank-link", TM_NODE_ENTRYPOINT, "partner", NULL, "bank-link", "partner:bank-link"},
		{"entrypoint:internet", TM_NODE_ENTRYPOINT, NULL, NULL, "internet", "internet"},
		{"endpoint:shop/catalog/GET /v1/x:y", TM_NODE_ENDPOINT, NULL, "shop", "catalog/GET /v1/x:y", "shop/catalog/GET /v1/x:y"},
		{"namespace:shop", -1, NULL, NULL, "shop", "shop"},
		{"secret:k8s:shop/cfg#PASSWORD", TM_NODE_SECRET, "k8s", "shop", "cfg#PASSWORD", "k8s:shop/cfg#PASSWORD"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tm_node_id_parts p;
		assert_int_equal(tm_node_id_parse(cases[i].id, &p), 0);
		assert_int_equal(p.kind, cases[i].kind);
		assert_string_equal(p.rest, cases[i].rest);
		assert_string_equal(p.name, cases[i].name);
		if (cases[i].scheme) {
			assert_int_equal(p.scheme_len, strlen(cases[i].scheme));
			assert_memory_equal(p.scheme, cases[i].scheme, p.scheme_len);
		} else {
			assert_null(p.scheme);
		}
		if (cases[i].ns) {
			assert_int_equal(p.ns_len, strlen(cases[i].ns));
			assert_memory_equal(p.ns, cases[i].ns, p.ns_len);
		} else {
			assert_null(p.ns);
		}
	}
	tm_node_id_parts p;
	assert_int_equal(tm_node_id_parse("no-colon", &p), TM_EINVALID);
	assert_int_equal(p.kind, -1);
	assert_int_equal(tm_node_id_parse(NULL, &p), TM_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_merge_freeze),
		cmocka_unit_test(nodes_by_kind),
		cmocka_unit_test(attr_lookup_heads_and_filter),
		cmocka_unit_test(lists_and_vectors_grow),
		cmocka_unit_test(drop_edges_and_orphans),
		cmocka_unit_test(kind_names),
		cmocka_unit_test(kind_parse),
		cmocka_unit_test(node_id_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
