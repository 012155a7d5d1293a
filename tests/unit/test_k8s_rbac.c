/* test_k8s_rbac.c - what an RBAC grant lets an identity do (k8s_rbac.c), decided as the API server's
 * authorizer would: scope, API groups, subresources, resourceNames, bind and escalate. Each row is
 * one Role or ClusterRole, bound to the service account app/api, and the capabilities that must and
 * must not follow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "trustmap/model.h"
#include "trustmap/scan.h"

#define RB "rbac.authorization.k8s.io"

static const char sa[] = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: app}\n";

/* A role named "r" (kind: Role in app, or ClusterRole) with the given rules, bound by binding. */
static tm_scan *scan_grant(const char *role_kind, const char *rules, const char *binding_kind)
{
	static char buf[4096];
	bool cluster_binding = strcmp(binding_kind, "ClusterRoleBinding") == 0;
	int n = snprintf(buf, sizeof(buf),
			 "%s---\napiVersion: " RB "/v1\nkind: %s\nmetadata: {name: r%s}\nrules:\n%s"
			 "---\napiVersion: " RB "/v1\nkind: %s\nmetadata: {name: b%s}\n"
			 "roleRef: {apiGroup: " RB ", kind: %s, name: r}\n"
			 "subjects: [{kind: ServiceAccount, name: api, namespace: app}]\n",
			 sa, role_kind, strcmp(role_kind, "Role") == 0 ? ", namespace: app" : "", rules, binding_kind,
			 cluster_binding ? "" : ", namespace: app", role_kind);
	assert_true(n > 0 && (size_t)n < sizeof(buf));
	tm_mem_file f = {"rbac.yaml", buf, (size_t)n};
	tm_limits lim;
	tm_limits_default(&lim);
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_run_mem(&s, &f, 1, &lim), 0);
	return s;
}

/* Is there a capability starting with prefix (then " ")? */
static bool has_cap(const tm_scan *s, const char *prefix)
{
	const tm_node *n = tm_model_find(tm_scan_model(s), "identity:k8s:app/api");
	const tm_attr *at = n ? tm_node_attr_get(n, "rbac_capabilities") : NULL;
	size_t l = strlen(prefix);
	for (size_t i = 0; at && at->type == TM_ATTR_LIST && at->list[i]; i++)
		if (strncmp(at->list[i], prefix, l) == 0 && (at->list[i][l] == ' ' || !at->list[i][l]))
			return true;
	return false;
}

static const struct {
	const char *what, *role, *rules, *binding;
	const char *want, *unwanted; /* capability prefixes; "" for none */
} cases[] = {
	/* scope: a namespaced grant never reaches cluster-scoped resources */
	{"Role with * resources", "Role", "- {apiGroups: [\"\"], resources: [\"*\"], verbs: [get, list]}\n", "RoleBinding",
	 "read-secrets", "nodes-proxy"},
	{"Role naming nodes/proxy", "Role", "- {apiGroups: [\"\"], resources: [nodes/proxy], verbs: [\"*\"]}\n",
	 "RoleBinding", "wildcard: every verb on nodes/proxy of the core group", "nodes-proxy"},
	{"ClusterRole by RoleBinding", "ClusterRole", "- {apiGroups: [\"\"], resources: [nodes/proxy, secrets], verbs: [get]}\n",
	 "RoleBinding", "read-secrets (in namespace app)", "nodes-proxy"},
	{"ClusterRole by ClusterRoleBinding", "ClusterRole", "- {apiGroups: [\"\"], resources: [nodes/proxy], verbs: [get]}\n",
	 "ClusterRoleBinding", "nodes-proxy (cluster-wide)", ""},
	{"all of everything in a namespace", "ClusterRole", "- {apiGroups: [\"*\"], resources: [\"*\"], verbs: [\"*\"]}\n",
	 "RoleBinding", "namespace-admin", "cluster-admin"},
	{"impersonation in a namespace: service accounts only", "Role",
	 "- {apiGroups: [\"\"], resources: [users, groups], verbs: [impersonate]}\n", "RoleBinding", "", "impersonate"},
	{"impersonating a namespace's service accounts", "Role",
	 "- {apiGroups: [\"\"], resources: [serviceaccounts], verbs: [impersonate]}\n", "RoleBinding", "impersonate", ""},
	/* API groups */
	{"secrets and pods in apps", "Role", "- {apiGroups: [apps], resources: [secrets, pods, pods/exec], verbs: [get, create]}\n",
	 "RoleBinding", "", "read-secrets"},
	{"create on apps/pods", "Role", "- {apiGroups: [apps], resources: [pods], verbs: [create]}\n", "RoleBinding", "",
	 "create-workloads"},
	{"deployments in core", "Role", "- {apiGroups: [\"\"], resources: [deployments, jobs], verbs: [create]}\n",
	 "RoleBinding", "", "create-workloads"},
	{"jobs in batch", "Role", "- {apiGroups: [batch], resources: [jobs], verbs: [create]}\n", "RoleBinding",
	 "create-workloads", ""},
	/* exec */
	{"create pods/exec", "Role", "- {apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}\n", "RoleBinding",
	 "pod-exec", "pod-exec-get"},
	{"get pods/exec (the websocket path before 1.30)", "Role",
	 "- {apiGroups: [\"\"], resources: [pods/exec], verbs: [get]}\n", "RoleBinding", "pod-exec-get", "pod-exec"},
	{"*/exec", "Role", "- {apiGroups: [\"\"], resources: [\"*/exec\"], verbs: [create]}\n", "RoleBinding", "pod-exec", ""},
	{"pods/* is no pattern", "Role", "- {apiGroups: [\"\"], resources: [\"pods/*\"], verbs: [create]}\n", "RoleBinding",
	 "", "pod-exec"},
	/* resourceNames */
	{"named secrets", "Role", "- {apiGroups: [\"\"], resources: [secrets], resourceNames: [db, api-key], verbs: [get]}\n",
	 "RoleBinding", "read-named-secrets db, api-key (in namespace app)", "read-secrets"},
	{"create cannot be limited by name", "Role",
	 "- {apiGroups: [apps], resources: [deployments], resourceNames: [web], verbs: [create]}\n", "RoleBinding", "",
	 "create-workloads"},
	/* bind */
	{"bind a named harmless role", "Role",
	 "- {apiGroups: [" RB "], resources: [clusterroles], resourceNames: [view], verbs: [bind]}\n"
	 "- {apiGroups: [" RB "], resources: [rolebindings], verbs: [create]}\n",
	 "RoleBinding", "modify-rbac", "bind"},
	{"bind named admin in a namespace", "Role",
	 "- {apiGroups: [" RB "], resources: [clusterroles], resourceNames: [admin], verbs: [bind]}\n"
	 "- {apiGroups: [" RB "], resources: [rolebindings], verbs: [create]}\n",
	 "RoleBinding", "read-secrets (in namespace app, by binding admin)", "cluster-admin"},
	{"bind named admin, no binding it may write", "Role",
	 "- {apiGroups: [" RB "], resources: [clusterroles], resourceNames: [admin], verbs: [bind]}\n", "RoleBinding",
	 "bind to admin (in namespace app)", "read-secrets"},
	{"bind named cluster-admin cluster-wide", "ClusterRole",
	 "- {apiGroups: [" RB "], resources: [clusterroles], resourceNames: [cluster-admin], verbs: [bind]}\n"
	 "- {apiGroups: [" RB "], resources: [clusterrolebindings], verbs: [create]}\n",
	 "ClusterRoleBinding", "cluster-admin (cluster-wide, by binding cluster-admin)", ""},
	{"bind named cluster-admin through a RoleBinding", "ClusterRole",
	 "- {apiGroups: [" RB "], resources: [clusterroles], resourceNames: [cluster-admin], verbs: [bind]}\n"
	 "- {apiGroups: [" RB "], resources: [rolebindings, clusterrolebindings], verbs: [create]}\n",
	 "RoleBinding", "namespace-admin (in namespace app, by binding cluster-admin)", "cluster-admin"},
	{"bind any role", "Role", "- {apiGroups: [" RB "], resources: [clusterroles], verbs: [bind]}\n", "RoleBinding",
	 "bind any role", ""},
	{"escalate a namespaced role", "Role", "- {apiGroups: [" RB "], resources: [roles], verbs: [escalate]}\n",
	 "RoleBinding", "escalate", ""},
	{"escalate clusterroles from a namespace", "Role",
	 "- {apiGroups: [" RB "], resources: [clusterroles], verbs: [escalate]}\n", "RoleBinding", "", "escalate"},
};

static void grants(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tm_scan *s = scan_grant(cases[i].role, cases[i].rules, cases[i].binding);
		bool want = !*cases[i].want || has_cap(s, cases[i].want);
		bool unwanted = *cases[i].unwanted && has_cap(s, cases[i].unwanted);
		if (!want || unwanted)
			fail_msg("%s: %s%s%s%s", cases[i].what, want ? "" : "missing ", want ? "" : cases[i].want,
				 unwanted ? " unexpected " : "", unwanted ? cases[i].unwanted : "");
		tm_scan_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(grants)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
