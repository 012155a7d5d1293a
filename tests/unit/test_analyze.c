/*
 * test_analyze.c - src/analyze/ on small systems built in memory: reachability from each
 * attacker position (hops, how, what enforced them), exposure, blast radius, and the query
 * evaluator on the cases that decide a walk (a NetworkPolicy, an AuthorizationPolicy, a
 * gateway requiring a token). Every system is a handful of manifests written below; each
 * expectation is exact, so a changed walk fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/model.h"
#include "trustmap/findings.h"
#include "trustmap/paths.h"
#include "trustmap/query.h"
#include "trustmap/scan.h"
#include "util/util.h"

#include "test_support.h"

/* ---- manifests ---------------------------------------------------------- */

#define NS(name, labels) "apiVersion: v1\nkind: Namespace\nmetadata: {name: " name ", labels: {" labels "}}\n---\n"

/* A Deployment labelled app=<name>, running as ServiceAccount sa, listening on 8080; extra is
 * appended to its container (env, volumeMounts) and pod spec lines follow in pod. */
#define DEPLOY(ns, name, sa, extra, pod)                                                                               \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " name ", namespace: " ns "}\nspec:\n"            \
	"  selector: {matchLabels: {app: " name "}}\n  template:\n    metadata: {labels: {app: " name "}}\n"      \
	"    spec:\n      serviceAccountName: " sa "\n" pod "      containers:\n      - name: " name "\n"          \
	"        image: registry.example/" name ":1.0\n        ports: [{containerPort: 8080}]\n" extra "---\n"

#define ENV1(var, value) "        env:\n        - {name: " var ", value: '" value "'}\n"
#define ENV2(v1, x1, v2, x2) "        env:\n        - {name: " v1 ", value: '" x1 "'}\n        - {name: " v2 ", value: '" x2 "'}\n"
#define SECRET_VOL(secret) "      volumes:\n      - name: s\n        secret: {secretName: " secret "}\n"
/* the container's mount of SECRET_VOL's volume: a volume no container mounts is read by none */
#define MOUNT_S "        volumeMounts: [{name: s, mountPath: /etc/s, readOnly: true}]\n"

#define SVC(ns, name, type)                                                                                            \
	"apiVersion: v1\nkind: Service\nmetadata: {name: " name ", namespace: " ns "}\nspec:\n  type: " type "\n"     \
	"  selector: {app: " name "}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n---\n"

#define SECRET(ns, name)                                                                                               \
	"apiVersion: v1\nkind: Secret\nmetadata: {name: " name ", namespace: " ns "}\ndata: {k: dmFsdWU=}\n---\n"

/*
 * The reach system. shop: frontend (LoadBalancer) calls orders and admin; orders calls payments
 * and payments calls orders back (a cycle); orders mounts orders-db and may read the namespace's
 * secrets; admin admits only ops (NetworkPolicy); ops may read secrets cluster-wide. billing:
 * ledger mounts billing-key. loop: a -> b -> c -> a.
 */
static const char reach_front[] =
	DEPLOY("shop", "frontend", "frontend", ENV2("ORDERS_URL", "http://orders.shop:80", "ADMIN_URL", "http://admin.shop:80"), "")
	SVC("shop", "frontend", "LoadBalancer")
	DEPLOY("shop", "orders", "orders", ENV1("PAYMENTS_URL", "http://payments.shop:80") MOUNT_S, SECRET_VOL("orders-db"))
	SVC("shop", "orders", "ClusterIP");
static const char reach_back[] =
	DEPLOY("shop", "payments", "payments", ENV1("ORDERS_URL", "http://orders.shop:80"), "")
	SVC("shop", "payments", "ClusterIP")
	DEPLOY("shop", "admin", "admin", "", "")
	SVC("shop", "admin", "ClusterIP")
	DEPLOY("shop", "ops", "ops", ENV1("ADMIN_URL", "http://admin.shop:80"), "")
	SECRET("shop", "payments-key");
static const char reach_billing[] =
	DEPLOY("billing", "ledger", "ledger", MOUNT_S, SECRET_VOL("billing-key"))
	SVC("billing", "ledger", "ClusterIP")
	SECRET("billing", "billing-key");
static const char reach_loop[] =
	DEPLOY("loop", "a", "a", ENV1("NEXT_URL", "http://b.loop:80"), "")
	SVC("loop", "a", "ClusterIP")
	DEPLOY("loop", "b", "b", ENV1("NEXT_URL", "http://c.loop:80"), "")
	SVC("loop", "b", "ClusterIP")
	DEPLOY("loop", "c", "c", ENV1("NEXT_URL", "http://a.loop:80"), "")
	SVC("loop", "c", "ClusterIP");

static const char reach_policy[] =
	"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: admin-from-ops, namespace: shop}\n"
	"spec:\n  podSelector: {matchLabels: {app: admin}}\n  policyTypes: [Ingress]\n"
	"  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: ops}}\n---\n"
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: secret-reader, namespace: shop}\n"
	"rules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [get, list]\n---\n"
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: orders-secrets, namespace: shop}\n"
	"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}\n"
	"subjects:\n- {kind: ServiceAccount, name: orders}\n---\n"
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: all-secrets}\n"
	"rules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [get]\n---\n"
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ops-secrets}\n"
	"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: all-secrets}\n"
	"subjects:\n- {kind: ServiceAccount, name: ops, namespace: shop}\n";

/*
 * The mesh system. mesh (sidecars injected): client calls vault-api (which admits only the
 * trusted service account) and ledger (no policy); trusted calls vault-api; api sits behind an
 * Istio ingress gateway that requires a JWT for everything.
 */
static const char mesh_callers[] =
	NS("mesh", "istio-injection: enabled")
	DEPLOY("mesh", "client", "client", ENV2("VAULT_URL", "http://vault-api.mesh:80", "LEDGER_URL", "http://ledger.mesh:80"), "")
	DEPLOY("mesh", "trusted", "trusted", ENV1("VAULT_URL", "http://vault-api.mesh:80"), "");
static const char mesh_k8s[] =
	DEPLOY("mesh", "vault-api", "vault-api", "", "")
	SVC("mesh", "vault-api", "ClusterIP")
	DEPLOY("mesh", "ledger", "ledger", "", "")
	SVC("mesh", "ledger", "ClusterIP")
	DEPLOY("mesh", "api", "api", "", "")
	SVC("mesh", "api", "ClusterIP");

static const char mesh_istio[] =
	"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: vault-api-allow, namespace: mesh}\n"
	"spec:\n  selector: {matchLabels: {app: vault-api}}\n  action: ALLOW\n"
	"  rules:\n  - from: [{source: {principals: ['cluster.local/ns/mesh/sa/trusted']}}]\n---\n"
	"apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: public, namespace: mesh}\n"
	"spec:\n  selector: {istio: ingressgateway}\n"
	"  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['api.example.com']\n---\n"
	"apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: api, namespace: mesh}\n"
	"spec:\n  hosts: ['api.example.com']\n  gateways: [public]\n"
	"  http:\n  - match: [{uri: {prefix: /api}}]\n"
	"    route: [{destination: {host: api.mesh.svc.cluster.local, port: {number: 80}}}]\n---\n"
	"apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: jwt, namespace: istio-system}\n"
	"spec:\n  selector: {matchLabels: {istio: ingressgateway}}\n"
	"  jwtRules:\n  - {issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json'}\n---\n"
	"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: require-jwt, namespace: istio-system}\n"
	"spec:\n  selector: {matchLabels: {istio: ingressgateway}}\n  action: ALLOW\n"
	"  rules:\n  - from: [{source: {requestPrincipals: ['*']}}]\n";

/*
 * The exposure system (namespace web): lb (LoadBalancer), np (NodePort), ing (behind an Ingress),
 * part (a partner's target), inner (called by lb only), idle (nothing calls it, no policy),
 * locked (isolated, no ingress rule). Specs for lb, inner and locked give them operations.
 */
static const char expo_outer[] =
	DEPLOY("web", "lb", "lb", ENV1("INNER_URL", "http://inner.web:80"), "")
	SVC("web", "lb", "LoadBalancer")
	DEPLOY("web", "np", "np", "", "")
	SVC("web", "np", "NodePort")
	DEPLOY("web", "ing", "ing", "", "")
	SVC("web", "ing", "ClusterIP");
static const char expo_k8s[] =
	DEPLOY("web", "part", "part", "", "")
	SVC("web", "part", "ClusterIP")
	DEPLOY("web", "inner", "inner", "", "")
	SVC("web", "inner", "ClusterIP")
	DEPLOY("web", "idle", "idle", "", "")
	DEPLOY("web", "locked", "locked", "", "")
	SVC("web", "locked", "ClusterIP")
	"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: public, namespace: web}\n"
	"spec:\n  rules:\n  - host: www.example.com\n    http:\n      paths:\n"
	"      - {path: /, pathType: Prefix, backend: {service: {name: ing, port: {number: 80}}}}\n---\n"
	"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: locked-down, namespace: web}\n"
	"spec:\n  podSelector: {matchLabels: {app: locked}}\n  policyTypes: [Ingress]\n";

static const char expo_overlay[] =
	"entrypoints:\n  - {name: bank-link, kind: partner, targets: [part]}\n";

#define SPEC(svc, path)                                                                                                \
	"openapi: 3.0.3\ninfo: {title: t, version: '1', x-trustmap-service: web/" svc "}\n"                           \
	"paths:\n  " path ":\n    get:\n      responses: {'200': {description: ok}}\n"

/* ---- helpers ------------------------------------------------------------ */

static tm_scan *scan_files(const tm_mem_file *files, size_t n)
{
	tm_limits lim;
	tm_limits_default(&lim);
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_run_mem(&s, files, n, &lim), 0);
	assert_non_null(s);
	return s;
}

static tm_scan *reach_system(void)
{
	tm_mem_file f[] = {{"k8s/app.yaml", reach_front, sizeof(reach_front) - 1},
			   {"k8s/back.yaml", reach_back, sizeof(reach_back) - 1},
			   {"k8s/billing.yaml", reach_billing, sizeof(reach_billing) - 1},
			   {"k8s/loop.yaml", reach_loop, sizeof(reach_loop) - 1},
			   {"k8s/policy.yaml", reach_policy, sizeof(reach_policy) - 1}};
	return scan_files(f, TM_ARRAY_LEN(f));
}

static tm_scan *mesh_system(void)
{
	tm_mem_file f[] = {{"k8s/callers.yaml", mesh_callers, sizeof(mesh_callers) - 1},
			   {"k8s/mesh.yaml", mesh_k8s, sizeof(mesh_k8s) - 1},
			   {"istio/mesh.yaml", mesh_istio, sizeof(mesh_istio) - 1}};
	return scan_files(f, TM_ARRAY_LEN(f));
}

static const char spec_lb[] = SPEC("lb", "/items");
static const char spec_inner[] = SPEC("inner", "/stock");
static const char spec_locked[] = SPEC("locked", "/keys");

static tm_scan *expo_system(void)
{
	tm_mem_file f[] = {{"k8s/outer.yaml", expo_outer, sizeof(expo_outer) - 1},
			   {"k8s/web.yaml", expo_k8s, sizeof(expo_k8s) - 1},
			   {"trustmap.yaml", expo_overlay, sizeof(expo_overlay) - 1},
			   {"api/lb.yaml", spec_lb, sizeof(spec_lb) - 1},
			   {"api/inner.yaml", spec_inner, sizeof(spec_inner) - 1},
			   {"api/locked.yaml", spec_locked, sizeof(spec_locked) - 1}};
	return scan_files(f, TM_ARRAY_LEN(f));
}

static const tm_node *node(const tm_model *m, const char *id)
{
	const tm_node *n = tm_model_find(m, id);
	if (!n)
		fail_msg("the model has no node '%s'", id);
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* want (NULL-terminated) and got (n ids) hold the same ids, in any order. */
static void assert_same_set(const char *what, const char *const *got, size_t n, const char *const *want)
{
	size_t nw = 0;
	while (want[nw])
		nw++;
	const char **g = test_malloc((n + 1) * sizeof(char *));
	const char **w = test_malloc((nw + 1) * sizeof(char *));
	memcpy(g, got, n * sizeof(char *));
	memcpy(w, want, nw * sizeof(char *));
	qsort(g, n, sizeof(char *), cmp_str);
	qsort(w, nw, sizeof(char *), cmp_str);
	bool same = n == nw;
	for (size_t i = 0; same && i < n; i++)
		same = strcmp(g[i], w[i]) == 0;
	if (!same) {
		for (size_t i = 0; i < n; i++)
			print_message("  %s got:  %s\n", what, g[i]);
		for (size_t i = 0; i < nw; i++)
			print_message("  %s want: %s\n", what, w[i]);
	}
	test_free(g);
	test_free(w);
	if (!same)
		fail_msg("%s: %zu ids, %zu expected (listed above)", what, n, nw);
}

static void assert_list(const char *what, const char *const *list, const char *const *want)
{
	assert_non_null(list);
	size_t n = 0;
	while (list[n])
		n++;
	assert_same_set(what, list, n, want);
}

/* Every node a walk reached, of the given kind (TM_NODE__COUNT: any), is exactly want. */
static void assert_reached(const tm_reach *r, tm_node_kind kind, const char *const *want)
{
	size_t n = tm_reach_count(r), k = 0;
	const char **ids = test_malloc((n + 1) * sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const tm_node *nd = tm_reach_at(r, i)->node;
		if (kind == TM_NODE__COUNT || tm_node_kind_of(nd) == kind)
			ids[k++] = tm_node_id(nd);
	}
	/* a walk enters each node once */
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(tm_reach_find(r, tm_reach_at(r, i)->node), tm_reach_at(r, i));
	char what[64];
	snprintf(what, sizeof(what), "reached %s", kind == TM_NODE__COUNT ? "nodes" : tm_node_kind_name(kind));
	assert_same_set(what, ids, k, want);
	test_free(ids);
}

static tm_reach *walk(const tm_model *m, const char *position)
{
	tm_reach *r = NULL;
	const char *why = "unset";
	int rc = tm_reach_run(&r, m, position, &why);
	if (rc) {
		tm_reach_free(r);
		fail_msg("tm_reach_run(%s): %d (%s)", position, rc, why ? why : "");
	}
	return r;
}

/* The hop into id: from, how and enforced as expected (from NULL: a starting node). */
static void assert_hop(const tm_model *m, const tm_reach *r, const char *id, const char *from, const char *how,
		       const char *enforced)
{
	const tm_hop *h = tm_reach_find(r, node(m, id));
	if (!h)
		fail_msg("%s is not reached", id);
	assert_ptr_equal(h->node, tm_model_find(m, id));
	if (from) {
		if (!h->from)
			fail_msg("%s: a starting node, expected a hop from %s", id, from);
		assert_string_equal(tm_node_id(h->from), from);
	} else {
		assert_null(h->from);
		assert_int_equal(h->depth, 0);
	}
	assert_string_equal(h->how, how);
	assert_string_equal(h->enforced, enforced);
}

static void assert_unreached(const tm_model *m, const tm_reach *r, const char *id)
{
	if (tm_reach_find(r, node(m, id)))
		fail_msg("%s is reached (how: %s)", id, tm_reach_find(r, node(m, id))->how);
}

/* ---- reachability ------------------------------------------------------- */

static void reach_from_internet(void **state)
{
	(void)state;
	tm_scan *s = reach_system();
	const tm_model *m = tm_scan_model(s);
	tm_reach *r = walk(m, "internet");
	static const char *const services[] = {"service:shop/frontend", "service:shop/orders", "service:shop/payments",
					       NULL};
	assert_reached(r, TM_NODE_SERVICE, services);
	static const char *const secrets[] = {"secret:k8s:shop/orders-db", "secret:k8s:shop/payments-key", NULL};
	assert_reached(r, TM_NODE_SECRET, secrets);
	static const char *const ids[] = {"identity:k8s:shop/frontend", "identity:k8s:shop/orders",
					  "identity:k8s:shop/payments", NULL};
	assert_reached(r, TM_NODE_IDENTITY, ids);
	/* starting node first, then the hops that follow */
	assert_string_equal(tm_node_id(tm_reach_at(r, 0)->node), "entrypoint:internet");
	assert_string_equal(tm_reach_at(r, 0)->how, "start");
	assert_hop(m, r, "entrypoint:internet", NULL, "start", "none");
	assert_hop(m, r, "service:shop/frontend", "entrypoint:internet", "routes", "none");
	assert_hop(m, r, "service:shop/orders", "service:shop/frontend", "calls", "none");
	assert_hop(m, r, "service:shop/payments", "service:shop/orders", "calls", "none");
	assert_hop(m, r, "identity:k8s:shop/orders", "service:shop/orders", "acts as", "none");
	/* the namespace grant of orders' identity, with the grant as what let it pass */
	assert_hop(m, r, "secret:k8s:shop/payments-key", "identity:k8s:shop/orders", "reads secret",
		   "read-secrets (in namespace shop)");
	assert_int_equal(tm_reach_find(r, node(m, "service:shop/frontend"))->depth, 1);
	assert_int_equal(tm_reach_find(r, node(m, "service:shop/payments"))->depth, 3);
	/* the evidence of the LoadBalancer hop is the Service's type line */
	const tm_hop *fe = tm_reach_find(r, node(m, "service:shop/frontend"));
	assert_non_null(fe->evidence.path);
	assert_string_equal(fe->evidence.path, "k8s/app.yaml");
	/* admin is called by frontend, but its NetworkPolicy admits only ops */
	assert_unreached(m, r, "service:shop/admin");
	assert_unreached(m, r, "service:shop/ops");
	assert_unreached(m, r, "secret:k8s:billing/billing-key");
	tm_reach_free(r);
	tm_scan_free(s);
}

static void reach_network_policy_stops_walk(void **state)
{
	(void)state;
	tm_scan *s = reach_system();
	const tm_model *m = tm_scan_model(s);
	/* the query says why: the policy selecting admin admits nothing from frontend */
	tm_request req;
	memset(&req, 0, sizeof(req));
	req.source = "shop/frontend";
	req.destination = "shop/admin";
	tm_verdict v;
	assert_int_equal(tm_query_can(&v, m, &req), 0);
	assert_false(v.allowed);
	assert_false(v.unknown);
	assert_string_equal(v.decided_by, "NetworkPolicy shop/admin-from-ops");
	assert_string_equal(v.decided_at.path, "k8s/policy.yaml");
	assert_int_equal(v.decided_at.line, 1);
	assert_string_equal(v.source_id, "service:shop/frontend");
	assert_string_equal(v.destination_id, "service:shop/admin");
	tm_verdict_dispose(&v);
	/* ops is admitted, and its hop names the policy that let it through */
	tm_reach *r = walk(m, "workload:shop/ops");
	assert_hop(m, r, "service:shop/ops", NULL, "start", "none");
	assert_hop(m, r, "service:shop/admin", "service:shop/ops", "calls", "NetworkPolicy shop/admin-from-ops");
	tm_reach_free(r);
	/* frontend's own walk still skips admin */
	r = walk(m, "workload:shop/frontend");
	assert_unreached(m, r, "service:shop/admin");
	assert_hop(m, r, "service:shop/orders", "service:shop/frontend", "calls", "none");
	tm_reach_free(r);
	tm_scan_free(s);
}

static void reach_rbac_secret_scope(void **state)
{
	(void)state;
	tm_scan *s = reach_system();
	const tm_model *m = tm_scan_model(s);
	static const struct {
		const char *position;
		const char *const secrets[4];
		const char *grant; /* enforced on the hop into payments-key */
	} cases[] = {
		/* orders' Role reads secrets in shop only: not billing's */
		{"workload:shop/orders", {"secret:k8s:shop/orders-db", "secret:k8s:shop/payments-key", NULL}, "read-secrets (in namespace shop)"},
		/* ops' ClusterRole reads every secret */
		{"workload:shop/ops",
		 {"secret:k8s:billing/billing-key", "secret:k8s:shop/orders-db", "secret:k8s:shop/payments-key", NULL},
		 "read-secrets (cluster-wide)"},
		/* payments has no grant of its own: it reaches shop's secrets only by calling orders */
		{"workload:shop/payments", {"secret:k8s:shop/orders-db", "secret:k8s:shop/payments-key", NULL}, "read-secrets (in namespace shop)"},
		/* ledger: only the secret it mounts */
		{"workload:billing/ledger", {"secret:k8s:billing/billing-key", NULL}, NULL},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(cases); i++) {
		print_message("case %s\n", cases[i].position);
		tm_reach *r = walk(m, cases[i].position);
		assert_reached(r, TM_NODE_SECRET, cases[i].secrets);
		if (cases[i].grant) {
			const tm_hop *h = tm_reach_find(r, node(m, "secret:k8s:shop/payments-key"));
			assert_non_null(h);
			assert_string_equal(h->how, "reads secret");
			assert_string_equal(h->enforced, cases[i].grant);
			assert_int_equal(tm_node_kind_of(h->from), TM_NODE_IDENTITY);
			assert_non_null(h->evidence.path); /* the binding's subject */
			assert_string_equal(h->evidence.path, "k8s/policy.yaml");
		}
		tm_reach_free(r);
	}
	/* a mounted secret is its own hop */
	tm_reach *r = walk(m, "workload:billing/ledger");
	assert_hop(m, r, "secret:k8s:billing/billing-key", "service:billing/ledger", "reads mounted secret", "none");
	tm_reach_free(r);
	tm_scan_free(s);
}

static void reach_positions(void **state)
{
	(void)state;
	tm_scan *s = reach_system();
	const tm_model *m = tm_scan_model(s);
	static const struct {
		const char *position;
		const char *const nodes[12]; /* every node reached */
	} cases[] = {
		{"namespace:billing", {"service:billing/ledger", "identity:k8s:billing/ledger", "secret:k8s:billing/billing-key", NULL}},
		{"workload:loop/b", {"service:loop/b", "service:loop/c", "service:loop/a", "identity:k8s:loop/a",
				     "identity:k8s:loop/b", "identity:k8s:loop/c", NULL}},
		/* "NS/NAME" is the same position as "workload:NS/NAME" */
		{"loop/b", {"service:loop/b", "service:loop/c", "service:loop/a", "identity:k8s:loop/a",
			    "identity:k8s:loop/b", "identity:k8s:loop/c", NULL}},
		{"namespace:loop", {"service:loop/b", "service:loop/c", "service:loop/a", "identity:k8s:loop/a",
				    "identity:k8s:loop/b", "identity:k8s:loop/c", NULL}},
		/* no overlay, no workflows: these name nothing, and say so */
		{"partner", {NULL}},
		{"ci", {NULL}},
		{"namespace:nowhere", {NULL}},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(cases); i++) {
		print_message("case %s\n", cases[i].position);
		tm_reach *r = NULL;
		const char *why = NULL;
		assert_int_equal(tm_reach_run(&r, m, cases[i].position, &why), 0);
		assert_reached(r, TM_NODE__COUNT, cases[i].nodes);
		if (cases[i].nodes[0])
			assert_null(why);
		else
			assert_non_null(why);
		tm_reach_free(r);
	}
	/* the namespace position starts at each of its workloads */
	tm_reach *r = walk(m, "namespace:loop");
	assert_hop(m, r, "service:loop/a", NULL, "start", "none");
	assert_hop(m, r, "service:loop/b", NULL, "start", "none");
	assert_hop(m, r, "service:loop/c", NULL, "start", "none");
	tm_reach_free(r);
	/* ci explains that no workflow gives an outsider a way in */
	const char *why = NULL;
	assert_int_equal(tm_reach_run(&r, m, "ci", &why), 0);
	assert_non_null(strstr(why, "pull_request_target"));
	tm_reach_free(r);
	tm_scan_free(s);
}

static void reach_cycle_terminates(void **state)
{
	(void)state;
	tm_scan *s = reach_system();
	const tm_model *m = tm_scan_model(s);
	tm_reach *r = walk(m, "workload:loop/a");
	assert_int_equal(tm_reach_count(r), 6); /* a, b, c and their identities, once each */
	assert_hop(m, r, "service:loop/a", NULL, "start", "none");
	assert_hop(m, r, "service:loop/b", "service:loop/a", "calls", "none");
	assert_hop(m, r, "service:loop/c", "service:loop/b", "calls", "none");
	assert_int_equal(tm_reach_find(r, node(m, "service:loop/c"))->depth, 2);
	assert_string_equal(tm_reach_find(r, node(m, "service:loop/b"))->evidence.path, "k8s/loop.yaml");
	tm_reach_free(r);
	/* the two-node cycle orders <-> payments */
	r = walk(m, "workload:shop/payments");
	assert_hop(m, r, "service:shop/payments", NULL, "start", "none");
	assert_hop(m, r, "service:shop/orders", "service:shop/payments", "calls", "none");
	static const char *const services[] = {"service:shop/payments", "service:shop/orders", NULL};
	assert_reached(r, TM_NODE_SERVICE, services);
	tm_reach_free(r);
	tm_scan_free(s);
}

static void reach_unknown_position(void **state)
{
	(void)state;
	tm_scan *s = reach_system();
	const tm_model *m = tm_scan_model(s);
	static const char *const bad[] = {
		"bogus", "workload:shop/nope", "shop/nope", "workload:", "", "workload:secret:k8s:shop/payments-key",
		"INTERNET",
		"workload:shop", /* a namespace is not a workload */
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(bad); i++) {
		tm_reach *r = NULL;
		const char *why = NULL;
		int rc = tm_reach_run(&r, m, bad[i], &why);
		if (rc != TM_EINVALID)
			fail_msg("position '%s': %d, expected TM_EINVALID", bad[i], rc);
		assert_non_null(why);
		assert_non_null(strstr(why, "unknown position"));
		assert_int_equal(tm_reach_count(r), 0);
		assert_null(tm_reach_at(r, 0));
		assert_null(tm_reach_find(r, node(m, "service:shop/orders")));
		tm_reach_free(r);
	}
	/* a NULL position is an unknown one too */
	tm_reach *r = NULL;
	const char *why = NULL;
	assert_int_equal(tm_reach_run(&r, m, NULL, &why), TM_EINVALID);
	assert_non_null(why);
	tm_reach_free(r);
	tm_scan_free(s);
}

/* Through an Istio ingress gateway that wants a token: the internet stops at the gateway, a user
 * with a valid token is routed on; the AuthorizationPolicy of vault-api stops a workload's call. */
static void reach_through_gateway_and_authz(void **state)
{
	(void)state;
	tm_scan *s = mesh_system();
	const tm_model *m = tm_scan_model(s);
	tm_reach *r = walk(m, "internet");
	assert_hop(m, r, "gateway:istio:mesh/public", "entrypoint:internet", "routes", "none");
	assert_unreached(m, r, "service:mesh/api");
	static const char *const none[] = {NULL};
	assert_reached(r, TM_NODE_SERVICE, none);
	tm_reach_free(r);

	r = walk(m, "user");
	assert_hop(m, r, "entrypoint:internet", NULL, "start", "none");
	assert_hop(m, r, "gateway:istio:mesh/public", "entrypoint:internet", "routes", "none");
	assert_hop(m, r, "service:mesh/api", "gateway:istio:mesh/public", "routes",
		   "AuthorizationPolicy istio-system/require-jwt");
	assert_int_equal(tm_reach_find(r, node(m, "service:mesh/api"))->depth, 2);
	static const char *const api[] = {"service:mesh/api", NULL};
	assert_reached(r, TM_NODE_SERVICE, api);
	tm_reach_free(r);

	/* exposure counts the anonymous internet only: api, which needs a token at the gateway, is
	 * "cluster", while the gateway itself is "internet" */
	tm_exposure *x = NULL;
	assert_int_equal(tm_exposure_run(&x, m), 0);
	assert_string_equal(tm_exposure_of(x, node(m, "gateway:istio:mesh/public")), "internet");
	assert_string_equal(tm_exposure_of(x, node(m, "service:mesh/api")), "cluster");
	assert_string_equal(tm_exposure_of(x, node(m, "service:mesh/vault-api")), "cluster");
	tm_exposure_free(x);

	r = walk(m, "workload:mesh/client");
	assert_hop(m, r, "service:mesh/ledger", "service:mesh/client", "calls", "none");
	assert_unreached(m, r, "service:mesh/vault-api");
	tm_reach_free(r);

	r = walk(m, "workload:mesh/trusted");
	assert_hop(m, r, "service:mesh/vault-api", "service:mesh/trusted", "calls",
		   "AuthorizationPolicy mesh/vault-api-allow");
	tm_reach_free(r);
	tm_scan_free(s);
}

/* ---- query -------------------------------------------------------------- */

static void query_decisive_cases(void **state)
{
	(void)state;
	tm_scan *s = mesh_system();
	const tm_model *m = tm_scan_model(s);
	static const struct {
		const char *source, *destination, *path;
		tm_token token;
		bool allowed;
		const char *outcome, *decided_by, *route;
	} cases[] = {
		{"mesh/client", "mesh/vault-api", NULL, TM_TOKEN_NONE, false, "403", "AuthorizationPolicy mesh/vault-api-allow", "direct"},
		{"mesh/trusted", "vault-api.mesh", NULL, TM_TOKEN_NONE, true, "200", "AuthorizationPolicy mesh/vault-api-allow", "direct"},
		{"mesh/client", "ledger.mesh.svc.cluster.local:80", NULL, TM_TOKEN_NONE, true, "200", NULL, "direct"},
		{"internet", "mesh/api", "/api/x", TM_TOKEN_NONE, false, "403", "AuthorizationPolicy istio-system/require-jwt",
		 "via gateway:istio:mesh/public"},
		{"internet", "mesh/api", "/api/x", TM_TOKEN_VALID, true, "200", "AuthorizationPolicy istio-system/require-jwt",
		 "via gateway:istio:mesh/public"},
		/* a valid token on a path no route matches: the gateway answers 404 */
		{"internet", "mesh/api", "/other", TM_TOKEN_VALID, false, "404", NULL, "via gateway:istio:mesh/public"},
		/* nothing routes the internet to ledger */
		{"internet", "mesh/ledger", NULL, TM_TOKEN_VALID, false, "unreachable", NULL, NULL},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(cases); i++) {
		print_message("case %zu: %s -> %s\n", i, cases[i].source, cases[i].destination);
		tm_request req;
		memset(&req, 0, sizeof(req));
		req.source = cases[i].source;
		req.destination = cases[i].destination;
		req.path = cases[i].path;
		req.token = cases[i].token;
		tm_verdict v;
		int rc = tm_query_can(&v, m, &req);
		if (rc)
			tm_verdict_dispose(&v);
		assert_int_equal(rc, 0);
		assert_int_equal(v.allowed, cases[i].allowed);
		assert_false(v.unknown);
		assert_string_equal(v.outcome, cases[i].outcome);
		if (cases[i].decided_by) {
			assert_non_null(v.decided_by);
			assert_string_equal(v.decided_by, cases[i].decided_by);
			assert_string_equal(v.decided_at.path, "istio/mesh.yaml");
		} else {
			assert_null(v.decided_by);
		}
		if (cases[i].route)
			assert_string_equal(v.route, cases[i].route);
		else
			assert_null(v.route);
		assert_true(v.nsteps > 0);
		tm_verdict_dispose(&v);
	}
	/* a name that is nothing: TM_ENOTFOUND with the reason */
	tm_request req;
	memset(&req, 0, sizeof(req));
	req.source = "mesh/client";
	req.destination = "mesh/ghost";
	tm_verdict v;
	assert_int_equal(tm_query_can(&v, m, &req), TM_ENOTFOUND);
	assert_non_null(v.reason);
	assert_non_null(strstr(v.reason, "ghost"));
	tm_verdict_dispose(&v);
	tm_scan_free(s);
}

static void query_who_can_call(void **state)
{
	(void)state;
	static const struct {
		int system; /* 0 mesh, 1 reach */
		const char *destination;
		const char *const callers[6];
	} cases[] = {
		/* only the trusted service account passes vault-api's AuthorizationPolicy */
		{0, "mesh/vault-api", {"service:mesh/trusted", NULL}},
		/* ledger has no policy: every other workload of the mesh system, not the internet */
		{0, "mesh/ledger", {"service:mesh/api", "service:mesh/client", "service:mesh/trusted", "service:mesh/vault-api", NULL}},
		/* admin admits ops only; the internet has no route to it */
		{1, "shop/admin", {"service:shop/ops", NULL}},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(cases); i++) {
		print_message("case %s\n", cases[i].destination);
		tm_scan *s = cases[i].system ? reach_system() : mesh_system();
		const tm_model *m = tm_scan_model(s);
		tm_request req;
		memset(&req, 0, sizeof(req));
		req.destination = cases[i].destination;
		tm_callers c;
		assert_int_equal(tm_query_who_can_call(&c, m, &req), 0);
		const char **got = test_malloc((c.n + 1) * sizeof(char *));
		for (size_t k = 0; k < c.n; k++) {
			got[k] = c.items[k].source;
			assert_true(c.items[k].verdict.allowed);
		}
		/* not checked: the order. query.h promises node-id order; this version lists callers in
		 * the order the workloads were read (mesh/ledger: client, trusted, vault-api, api). */
		/* the internet and every workload but the destination itself */
		assert_int_equal(c.considered, tm_model_count_kind(m, TM_NODE_SERVICE));
		assert_same_set("callers", got, c.n, cases[i].callers);
		test_free(got);
		tm_callers_dispose(&c);
		tm_scan_free(s);
	}
	tm_scan *s = mesh_system();
	tm_request req;
	memset(&req, 0, sizeof(req));
	req.destination = "mesh/ghost";
	tm_callers c;
	assert_int_equal(tm_query_who_can_call(&c, tm_scan_model(s), &req), TM_ENOTFOUND);
	assert_int_equal(c.n, 0);
	tm_callers_dispose(&c);
	tm_scan_free(s);
}

/* ---- exposure ----------------------------------------------------------- */

static const tm_node *endpoint_of(const tm_model *m, const char *service, const char *name)
{
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		const char *svc = tm_node_attr_str(n, "service");
		if (tm_node_kind_of(n) == TM_NODE_ENDPOINT && svc && strcmp(svc, service) == 0 &&
		    strcmp(tm_node_name(n), name) == 0)
			return n;
	}
	fail_msg("no endpoint '%s' of %s", name, service);
	return NULL;
}

static void exposure_cases(void **state)
{
	(void)state;
	tm_scan *s = expo_system();
	const tm_model *m = tm_scan_model(s);
	tm_exposure *x = NULL;
	assert_int_equal(tm_exposure_run(&x, m), 0);
	static const struct {
		const char *id, *exposure;
	} workloads[] = {
		{"service:web/lb", "internet"},      /* LoadBalancer */
		{"service:web/np", "internet"},      /* NodePort */
		{"service:web/ing", "internet"},     /* behind the Ingress */
		{"service:web/part", "partner"},     /* an overlay entry point's target only */
		{"service:web/inner", "cluster"},    /* called by lb only */
		{"service:web/idle", "cluster"},     /* nothing calls it, but nothing isolates it either */
		{"service:web/locked", "none"},      /* isolated, no ingress rule admits anyone */
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(workloads); i++) {
		const char *got = tm_exposure_of(x, node(m, workloads[i].id));
		if (!got || strcmp(got, workloads[i].exposure) != 0)
			fail_msg("%s: exposure %s, expected %s", workloads[i].id, got ? got : "(null)",
				 workloads[i].exposure);
	}
	/* an operation follows its service */
	static const struct {
		const char *service, *op, *exposure;
	} ops[] = {
		{"service:web/lb", "GET /items", "internet"},
		{"service:web/inner", "GET /stock", "cluster"},
		{"service:web/locked", "GET /keys", "none"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(ops); i++) {
		const char *got = tm_exposure_of(x, endpoint_of(m, ops[i].service, ops[i].op));
		if (!got || strcmp(got, ops[i].exposure) != 0)
			fail_msg("%s %s: exposure %s, expected %s", ops[i].service, ops[i].op, got ? got : "(null)",
				 ops[i].exposure);
	}
	/* the Ingress itself: a gateway the internet reaches */
	assert_string_equal(tm_exposure_of(x, node(m, "gateway:web/public")), "internet");
	assert_int_equal(tm_exposure_level_of(x, node(m, "gateway:web/public")), TM_EXPOSURE_INTERNET);
	assert_int_equal(tm_exposure_level_of(x, node(m, "service:web/part")), TM_EXPOSURE_PARTNER);
	assert_int_equal(tm_exposure_level_of(x, node(m, "service:web/inner")), TM_EXPOSURE_CLUSTER);
	assert_int_equal(tm_exposure_level_of(x, node(m, "service:web/locked")), TM_EXPOSURE_NONE);
	/* neither a workload, a gateway nor an operation */
	assert_null(tm_exposure_of(x, node(m, "entrypoint:internet")));
	assert_null(tm_exposure_of(x, node(m, "entrypoint:partner:bank-link")));
	assert_null(tm_exposure_of(x, node(m, "identity:k8s:web/lb")));
	assert_int_equal(tm_exposure_level_of(x, node(m, "identity:k8s:web/lb")), -1);
	assert_null(tm_exposure_of(x, NULL));
	assert_null(tm_exposure_of(NULL, node(m, "service:web/lb")));
	assert_int_equal(tm_exposure_level_of(NULL, node(m, "service:web/lb")), -1);
	/* a node of another model (a diff's other side) is answered by its id: the levels are kept by
	 * position, and the other model's positions are not this one's */
	tm_model_builder *mb = tm_mb_new();
	tm_loc none = {NULL, 0, 0, NULL};
	assert_non_null(tm_mb_node(mb, TM_NODE_SERVICE, "service:web/aaa-first", "aaa-first", NULL, none));
	assert_non_null(tm_mb_node(mb, TM_NODE_SERVICE, "service:web/locked", "locked", NULL, none));
	assert_non_null(tm_mb_node(mb, TM_NODE_SERVICE, "service:web/lb", "lb", NULL, none));
	tm_model *other = NULL;
	assert_int_equal(tm_mb_finish(mb, &other), 0);
	assert_string_equal(tm_exposure_of(x, tm_model_find(other, "service:web/lb")), "internet");
	assert_string_equal(tm_exposure_of(x, tm_model_find(other, "service:web/locked")), "none");
	assert_null(tm_exposure_of(x, tm_model_find(other, "service:web/aaa-first"))); /* not in m */
	tm_model_free(other);
	tm_exposure_free(x);

	/* the hops behind those answers */
	tm_reach *r = walk(m, "internet");
	assert_hop(m, r, "service:web/lb", "entrypoint:internet", "routes", "none");
	assert_hop(m, r, "service:web/np", "entrypoint:internet", "routes", "none");
	assert_hop(m, r, "gateway:web/public", "entrypoint:internet", "routes", "none");
	assert_hop(m, r, "service:web/ing", "gateway:web/public", "routes", "none");
	assert_hop(m, r, "service:web/inner", "service:web/lb", "calls", "none");
	const tm_node *items = endpoint_of(m, "service:web/lb", "GET /items");
	const tm_hop *h = tm_reach_find(r, items);
	assert_non_null(h);
	assert_string_equal(h->how, "exposes");
	assert_ptr_equal(h->from, node(m, "service:web/lb"));
	/* inner is called, not routed to: its operation is not reached from outside */
	assert_null(tm_reach_find(r, endpoint_of(m, "service:web/inner", "GET /stock")));
	assert_unreached(m, r, "service:web/part");
	tm_reach_free(r);

	r = walk(m, "partner");
	assert_hop(m, r, "entrypoint:partner:bank-link", NULL, "start", "none");
	assert_hop(m, r, "service:web/part", "entrypoint:partner:bank-link", "routes", "none");
	static const char *const part[] = {"service:web/part", NULL};
	assert_reached(r, TM_NODE_SERVICE, part);
	tm_reach_free(r);
	r = walk(m, "partner:bank-link");
	assert_reached(r, TM_NODE_SERVICE, part);
	tm_reach_free(r);
	const char *why = NULL;
	assert_int_equal(tm_reach_run(&r, m, "partner:ghost", &why), 0);
	assert_int_equal(tm_reach_count(r), 0);
	assert_non_null(why);
	tm_reach_free(r);
	tm_scan_free(s);
}

static void exposure_level_names(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int level;
		bool canonical; /* what tm_exposure_level_name gives back */
	} cases[] = {
		{"none", TM_EXPOSURE_NONE, true}, {"cluster", TM_EXPOSURE_CLUSTER, true},
		{"partner", TM_EXPOSURE_PARTNER, true}, {"internet", TM_EXPOSURE_INTERNET, true},
		{"Internet", TM_EXPOSURE_INTERNET, false}, {"PARTNER", TM_EXPOSURE_PARTNER, false},
		{"public", -1, false}, {"", -1, false}, {"internet ", -1, false},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(cases); i++) {
		if (tm_exposure_level_parse(cases[i].name) != cases[i].level)
			fail_msg("parse '%s': %d, expected %d", cases[i].name, tm_exposure_level_parse(cases[i].name),
				 cases[i].level);
		if (cases[i].canonical)
			assert_string_equal(tm_exposure_level_name((tm_exposure_level)cases[i].level), cases[i].name);
	}
	assert_int_equal(tm_exposure_level_parse(NULL), -1);
	/* the levels are ordered: wider is greater */
	assert_true(TM_EXPOSURE_NONE < TM_EXPOSURE_CLUSTER && TM_EXPOSURE_CLUSTER < TM_EXPOSURE_PARTNER &&
		    TM_EXPOSURE_PARTNER < TM_EXPOSURE_INTERNET);
}

/* ---- blast radius ------------------------------------------------------- */

static const tm_blast_entry *blast_of(const tm_blast *b, const char *workload)
{
	for (size_t i = 0; i < tm_blast_count(b); i++)
		if (strcmp(tm_blast_at(b, i)->workload, workload) == 0)
			return tm_blast_at(b, i);
	fail_msg("no blast entry for %s", workload);
	return NULL;
}

static void blast_cases(void **state)
{
	(void)state;
	tm_scan *s = reach_system();
	const tm_model *m = tm_scan_model(s);
	tm_blast *b = NULL;
	assert_int_equal(tm_blast_run(&b, m), 0);
	/* one entry per workload: frontend orders payments admin ops ledger a b c */
	assert_int_equal(tm_blast_count(b), 9);
	assert_null(tm_blast_at(b, 9));
	static const char *const none[] = {NULL};

	const tm_blast_entry *e = blast_of(b, "service:shop/orders");
	static const char *const o_ids[] = {"identity:k8s:shop/orders", "identity:k8s:shop/payments", NULL};
	static const char *const o_caps[] = {"read-secrets (in namespace shop)", NULL};
	static const char *const o_secrets[] = {"secret:k8s:shop/orders-db", "secret:k8s:shop/payments-key", NULL};
	static const char *const o_svcs[] = {"service:shop/payments", NULL}; /* the start is not listed */
	static const char *const o_jewels[] = {"identity:k8s:shop/orders", "secret:k8s:shop/orders-db",
					       "secret:k8s:shop/payments-key", NULL};
	assert_list("orders identities", e->identities, o_ids);
	assert_list("orders capabilities", e->capabilities, o_caps);
	assert_list("orders secrets", e->secrets, o_secrets);
	assert_list("orders services", e->services, o_svcs);
	assert_list("orders stores", e->stores, none);
	assert_list("orders externals", e->externals, none);
	assert_list("orders crown jewels", e->crown_jewels, o_jewels);

	e = blast_of(b, "service:shop/ops");
	static const char *const p_ids[] = {"identity:k8s:shop/ops", "identity:k8s:shop/admin", NULL};
	static const char *const p_caps[] = {"read-secrets (cluster-wide)", NULL};
	static const char *const p_secrets[] = {"secret:k8s:billing/billing-key", "secret:k8s:shop/orders-db",
						"secret:k8s:shop/payments-key", NULL};
	static const char *const p_svcs[] = {"service:shop/admin", NULL};
	static const char *const p_jewels[] = {"identity:k8s:shop/ops", "secret:k8s:billing/billing-key",
					       "secret:k8s:shop/orders-db", "secret:k8s:shop/payments-key", NULL};
	assert_list("ops identities", e->identities, p_ids);
	assert_list("ops capabilities", e->capabilities, p_caps);
	assert_list("ops secrets", e->secrets, p_secrets);
	assert_list("ops services", e->services, p_svcs);
	assert_list("ops crown jewels", e->crown_jewels, p_jewels);

	/* frontend: laterally through orders to shop's secrets, not admin */
	e = blast_of(b, "service:shop/frontend");
	static const char *const f_svcs[] = {"service:shop/orders", "service:shop/payments", NULL};
	assert_list("frontend services", e->services, f_svcs);
	assert_list("frontend secrets", e->secrets, o_secrets);

	/* admin calls nobody and holds no grant: its own identity, nothing valuable */
	e = blast_of(b, "service:shop/admin");
	static const char *const a_ids[] = {"identity:k8s:shop/admin", NULL};
	assert_list("admin identities", e->identities, a_ids);
	assert_list("admin capabilities", e->capabilities, none);
	assert_list("admin secrets", e->secrets, none);
	assert_list("admin services", e->services, none);
	assert_list("admin crown jewels", e->crown_jewels, none);

	e = blast_of(b, "service:billing/ledger");
	static const char *const l_secrets[] = {"secret:k8s:billing/billing-key", NULL};
	assert_list("ledger secrets", e->secrets, l_secrets);
	assert_list("ledger crown jewels", e->crown_jewels, l_secrets);
	tm_blast_free(b);
	tm_scan_free(s);
}

static void assert_same_list(const char *what, const char *const *a, const char *const *b)
{
	size_t i = 0;
	for (; a[i] && b[i]; i++)
		if (strcmp(a[i], b[i]) != 0)
			fail_msg("%s: item %zu is %s, not %s", what, i, b[i], a[i]);
	if (a[i] || b[i])
		fail_msg("%s: %s lists more", what, a[i] ? "the whole" : "the joined shares");
}

struct share_task {
	const tm_model *m;
	tm_blast_calls *calls;
	tm_blast *parts[5];
	int rc[5];
};

static void run_share(void *ud, size_t i)
{
	struct share_task *t = ud;
	t->rc[i] = tm_blast_run_part(&t->parts[i], t->m, t->calls, i, 5);
}

/* The blast radius in shares walked side by side (threads sharing their call verdicts, and shares
 * with verdicts of their own) and joined is the whole, entry for entry, in order; more shares than
 * workloads leave some empty. */
static void blast_shares_join_to_the_whole(void **state)
{
	(void)state;
	tm_scan *s = reach_system();
	const tm_model *m = tm_scan_model(s);
	tm_blast *whole = NULL;
	assert_int_equal(tm_blast_run(&whole, m), 0);
	for (int shared = 0; shared < 2; shared++) {
		setenv("TRUSTMAP_JOBS", "3", 1);
		struct share_task t = {.m = m, .calls = shared ? tm_blast_calls_new(m) : NULL};
		assert_true(!shared || t.calls);
		tm_parallel_for(5, run_share, &t);
		unsetenv("TRUSTMAP_JOBS");
		size_t sum = 0;
		for (size_t i = 0; i < 5; i++) {
			assert_int_equal(t.rc[i], 0);
			sum += tm_blast_count(t.parts[i]);
		}
		assert_int_equal(sum, tm_blast_count(whole));
		tm_blast *joined = NULL;
		assert_int_equal(tm_blast_join(&joined, t.parts, 5), 0);
		for (size_t i = 0; i < 5; i++)
			assert_null(t.parts[i]); /* taken */
		tm_blast_calls_free(t.calls);
		assert_int_equal(tm_blast_count(joined), tm_blast_count(whole));
		for (size_t i = 0; i < tm_blast_count(whole); i++) {
			const tm_blast_entry *a = tm_blast_at(whole, i), *b = tm_blast_at(joined, i);
			assert_string_equal(a->workload, b->workload);
			assert_memory_equal(a->count, b->count, sizeof(a->count));
			assert_int_equal(a->truncated, b->truncated);
			assert_same_list(a->workload, a->identities, b->identities);
			assert_same_list(a->workload, a->capabilities, b->capabilities);
			assert_same_list(a->workload, a->secrets, b->secrets);
			assert_same_list(a->workload, a->services, b->services);
			assert_same_list(a->workload, a->stores, b->stores);
			assert_same_list(a->workload, a->externals, b->externals);
			assert_same_list(a->workload, a->crown_jewels, b->crown_jewels);
		}
		tm_blast_free(joined);
	}
	tm_blast_free(whole);
	tm_scan_free(s);
}

/* ---- cost --------------------------------------------------------------- */

#define CHAIN 2000

/* 2,000 workloads, each calling the next: the walk from the first reaches every one, each once. */
static void reach_long_chain(void **state)
{
	(void)state;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < CHAIN; i++) {
		tm_strbuf_printf(&sb,
				 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: svc%d, namespace: chain}\nspec:\n"
				 "  selector: {matchLabels: {app: svc%d}}\n  template:\n    metadata: {labels: {app: svc%d}}\n"
				 "    spec:\n      containers:\n      - name: c\n        image: registry.example/svc:1\n",
				 i, i, i);
		if (i + 1 < CHAIN)
			tm_strbuf_printf(&sb, "        env:\n        - {name: NEXT_URL, value: 'http://svc%d.chain:80'}\n",
					 i + 1);
		tm_strbuf_printf(&sb,
				 "---\napiVersion: v1\nkind: Service\nmetadata: {name: svc%d, namespace: chain}\n"
				 "spec:\n  selector: {app: svc%d}\n  ports: [{port: 80, targetPort: 8080}]\n---\n",
				 i, i);
	}
	assert_false(sb.oom);
	tm_mem_file f = {"chain.yaml", sb.data, sb.len};
	tm_limits lim;
	tm_limits_default(&lim);
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_run_mem(&s, &f, 1, &lim), 0);
	const tm_model *m = tm_scan_model(s);
	tm_reach *r = walk(m, "workload:chain/svc0");
	size_t services = 0, max_depth = 0;
	for (size_t i = 0; i < tm_reach_count(r); i++) {
		const tm_hop *h = tm_reach_at(r, i);
		if (tm_node_kind_of(h->node) == TM_NODE_SERVICE)
			services++;
		if (h->depth > max_depth)
			max_depth = h->depth;
	}
	assert_int_equal(services, CHAIN);
	/* each workload plus the default service account of the namespace, entered once */
	assert_int_equal(tm_reach_count(r), CHAIN + 1);
	const tm_hop *last = tm_reach_find(r, node(m, "service:chain/svc1999"));
	assert_non_null(last);
	assert_int_equal(last->depth, CHAIN - 1);
	assert_string_equal(tm_node_id(last->from), "service:chain/svc1998");
	assert_string_equal(last->how, "calls");
	assert_int_equal(max_depth, CHAIN - 1);
	tm_reach_free(r);
	tm_scan_free(s);
	tm_strbuf_dispose(&sb);
}

/*
 * Node pivot (ingest/nodes.c): pv/web is privileged and exposed; api runs anywhere; gpu and reader
 * are pinned to dedicated, tainted nodes (nodeSelector + toleration), reader mounting the kubelet's
 * directory; spy is a privileged DaemonSet tolerating every taint; agent a hostNetwork-only
 * DaemonSet (no escape) tolerating them too.
 */
#define DEDICATED "      nodeSelector: {pool: gpu}\n      tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}]\n"
#define DAEMON(ns, name, sa, extra, pod)                                                                               \
	"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: " name ", namespace: " ns "}\nspec:\n"             \
	"  selector: {matchLabels: {app: " name "}}\n  template:\n    metadata: {labels: {app: " name "}}\n"      \
	"    spec:\n      serviceAccountName: " sa "\n" pod "      containers:\n      - name: " name "\n"          \
	"        image: registry.example/" name ":1.0\n" extra "---\n"
static const char pivot_k8s[] =
	DEPLOY("pv", "web", "web", "        securityContext: {privileged: true}\n", "")
	SVC("pv", "web", "LoadBalancer")
	DEPLOY("pv", "api", "api", MOUNT_S, SECRET_VOL("api-key"))
	DEPLOY("pv", "gpu", "gpu", MOUNT_S, DEDICATED SECRET_VOL("gpu-key"))
	DEPLOY("pv", "reader", "reader", "", DEDICATED "      volumes:\n      - name: k\n        hostPath: {path: /var/lib/kubelet}\n")
	DAEMON("pv", "spy", "spy", "        securityContext: {privileged: true}\n", "      tolerations: [{operator: Exists}]\n")
	DAEMON("pv", "agent", "agent", "", "      hostNetwork: true\n      tolerations: [{operator: Exists}]\n");

/* The ids of the edges of kind from (or, with to_side, to) id, sorted as the model keeps them. */
static void assert_edges(const tm_model *m, const char *id, tm_edge_kind kind, bool out, const char *const *want)
{
	const char *got[32];
	size_t n = 0;
	for (size_t i = 0; i < tm_model_edge_count(m) && n < 32; i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) != kind)
			continue;
		const tm_node *at = out ? tm_edge_from(e) : tm_edge_to(e);
		if (strcmp(tm_node_id(at), id) == 0)
			got[n++] = tm_node_id(out ? tm_edge_to(e) : tm_edge_from(e));
	}
	char what[160];
	snprintf(what, sizeof(what), "%s %s %s", id, out ? "->" : "<-", tm_edge_kind_name(kind));
	assert_same_set(what, got, n, want);
}

static void node_pivot_cases(void **state)
{
	(void)state;
	tm_mem_file f[] = {{"k8s/pivot.yaml", pivot_k8s, sizeof(pivot_k8s) - 1}};
	tm_scan *s = scan_files(f, 1);
	const tm_model *m = tm_scan_model(s);
	static const char *const main_pool[] = {"identity:node:k8s", NULL};
	static const char *const both[] = {"identity:node:k8s", "identity:node:k8s/pool=gpu", NULL};
	static const char *const gpu_pool[] = {"identity:node:k8s/pool=gpu", NULL};
	static const char *const none[] = {NULL};
	assert_edges(m, "service:pv/web", TM_EDGE_ESCAPES, true, main_pool);
	assert_edges(m, "service:pv/spy", TM_EDGE_ESCAPES, true, both); /* a DaemonSet tolerating taints */
	assert_edges(m, "service:pv/reader", TM_EDGE_ESCAPES, true, gpu_pool); /* /var/lib/kubelet */
	assert_edges(m, "service:pv/agent", TM_EDGE_ESCAPES, true, none);       /* hostNetwork alone */
	assert_edges(m, "service:pv/api", TM_EDGE_ESCAPES, true, none);
	static const char *const hosts_main[] = {"service:pv/web", "service:pv/api", "service:pv/spy", "service:pv/agent", NULL};
	static const char *const hosts_gpu[] = {"service:pv/gpu", "service:pv/reader", "service:pv/spy", "service:pv/agent", NULL};
	assert_edges(m, "identity:node:k8s", TM_EDGE_HOSTS, true, hosts_main);
	assert_edges(m, "identity:node:k8s/pool=gpu", TM_EDGE_HOSTS, true, hosts_gpu);
	assert_string_equal(tm_node_attr_str(node(m, "identity:node:k8s"), "identity_type"), "kubernetes-node");

	/* from the internet: web, its escape, then every pod of the main pool (not the dedicated one) */
	tm_reach *r = walk(m, "internet");
	assert_hop(m, r, "identity:node:k8s", "service:pv/web", "escapes to the node", "privileged web");
	assert_hop(m, r, "service:pv/api", "identity:node:k8s", "takes over a pod on the node", "none");
	assert_hop(m, r, "secret:k8s:pv/api-key", "service:pv/api", "reads mounted secret", "none");
	/* spy, taken over on this node, does not escape again to the nodes its other pods run on */
	assert_null(tm_reach_find(r, node(m, "identity:node:k8s/pool=gpu")));
	assert_null(tm_reach_find(r, node(m, "secret:k8s:pv/gpu-key")));
	tm_reach_free(r);

	/* the blast radius of reader: its dedicated nodes, gpu's key, never the main pool's */
	tm_blast *b = NULL;
	assert_int_equal(tm_blast_run(&b, m), 0);
	const tm_blast_entry *e = blast_of(b, "service:pv/reader");
	static const char *const r_secrets[] = {"secret:k8s:pv/gpu-key", NULL};
	assert_list("reader secrets", e->secrets, r_secrets);
	e = blast_of(b, "service:pv/api"); /* no escape: no node */
	static const char *const a_ids[] = {"identity:k8s:pv/api", NULL};
	assert_list("api identities", e->identities, a_ids);
	tm_blast_free(b);
	tm_scan_free(s);
}

/* No escaping workload: no node element, no edge (a system without escapes is modelled as before). */
static void node_pivot_absent(void **state)
{
	(void)state;
	tm_scan *s = reach_system();
	const tm_model *m = tm_scan_model(s);
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		tm_edge_kind k = tm_edge_kind_of(tm_model_edge(m, i));
		assert_true(k != TM_EDGE_ESCAPES && k != TM_EDGE_HOSTS);
	}
	assert_null(tm_model_find(m, "identity:node:k8s"));
	tm_scan_free(s);
}

/* ---- the rules' checks in parts ------------------------------------------------------------ */

/* The example system's findings made in 2, 3 and 5 parts (each a list of its own, as the analysis
 * runs them on several cores) and merged are those of one pass: same findings, same order, same
 * folds and members. */
static void checks_in_parts_match_one_pass(void **state)
{
	(void)state;
	char root[4096];
	source_path(root, sizeof(root), "examples/shop");
	const char *roots[] = {root};
	tm_scan_opts so = {.roots = roots, .nroots = 1};
	tm_limits_default(&so.limits);
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_run(&s, &so), 0);
	const tm_model *m = tm_scan_model(s);
	tm_findings *one = NULL;
	assert_int_equal(tm_findings_run(&one, m), 0);
	assert_true(tm_findings_count(one) > 20);
	size_t folded = 0;
	static const size_t counts[] = {2, 3, 5};
	for (size_t c = 0; c < TM_ARRAY_LEN(counts); c++) {
		tm_findings *parts[5] = {NULL}, *merged = NULL;
		for (size_t p = 0; p < counts[c]; p++)
			assert_int_equal(tm_findings_check(&parts[p], m, p, counts[c]), 0);
		assert_int_equal(tm_findings_merge(&merged, parts, counts[c], m), 0);
		assert_int_equal(tm_findings_count(merged), tm_findings_count(one));
		for (size_t i = 0; i < tm_findings_count(one); i++) {
			const tm_finding *a = tm_findings_at(one, i), *b = tm_findings_at(merged, i);
			assert_string_equal(a->fingerprint, b->fingerprint);
			assert_string_equal(a->title, b->title);
			assert_int_equal(a->priority, b->priority);
			assert_int_equal(a->naffected, b->naffected);
			for (size_t k = 0; k < a->naffected; k++)
				assert_string_equal(a->affected[k].fingerprint, b->affected[k].fingerprint);
			folded += a->naffected > 0;
		}
		tm_findings_free(merged);
	}
	assert_true(folded > 0); /* folds were compared, not only lone findings */
	tm_findings_free(one);
	tm_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reach_from_internet),
		cmocka_unit_test(reach_network_policy_stops_walk),
		cmocka_unit_test(reach_rbac_secret_scope),
		cmocka_unit_test(reach_positions),
		cmocka_unit_test(reach_cycle_terminates),
		cmocka_unit_test(reach_unknown_position),
		cmocka_unit_test(reach_through_gateway_and_authz),
		cmocka_unit_test(query_decisive_cases),
		cmocka_unit_test(query_who_can_call),
		cmocka_unit_test(exposure_cases),
		cmocka_unit_test(exposure_level_names),
		cmocka_unit_test(blast_cases),
		cmocka_unit_test(blast_shares_join_to_the_whole),
		cmocka_unit_test(node_pivot_cases),
		cmocka_unit_test(node_pivot_absent),
		cmocka_unit_test(checks_in_parts_match_one_pass),
		cmocka_unit_test(reach_long_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
