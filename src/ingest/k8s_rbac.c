/*
 * k8s_rbac.c - RBAC: what each identity may do, effective.
 *
 * Roles and ClusterRoles (aggregated ones collect the rules of every
 * ClusterRole their selectors match), bound by RoleBindings (scoped to the
 * binding's namespace, even when they bind a ClusterRole) and
 * ClusterRoleBindings (cluster-wide), to ServiceAccounts, users and groups. A
 * service account also holds what is bound to the groups it belongs to
 * (system:serviceaccounts, system:serviceaccounts:<ns>, system:authenticated).
 * Built-in ClusterRoles (cluster-admin, admin, edit, view) are known by
 * name when a binding refers to one that was not scanned, as are the
 * bootstrap roles with fixed grants (bootstrap()); view, edit and
 * admin also carry the scanned ClusterRoles labelled aggregate-to-<role>
 * (indexed once, index_aggregated), as the API server aggregates them.
 *
 * On each identity node: `permissions` (verbs on resources, where), `scope`
 * (one line), and located facts `rbac_capabilities` — the grants that matter
 * for an attacker, "<capability> (<where>)": cluster-admin, namespace-admin,
 * wildcard: <what it covers>, read-secrets, read-named-secrets <names>, pod-exec, pod-exec-get
 * (the pre-1.30 websocket path), pod-exec via ephemeral containers, create-workloads, escalate,
 * modify-admission, bind any role / bind to <roles>, impersonate, create-tokens, modify-rbac,
 * nodes-proxy, create-persistentvolumes, approve-csrs for <signers> — each pointing at the
 * binding that gives it.
 *
 * Capabilities are decided as the authorizer decides a request (allows()):
 * the API group of each resource is checked (pods are core, deployments apps,
 * jobs batch), and a namespaced grant never reaches a cluster-scoped resource
 * (nodes, nodes/proxy, namespaces, persistentvolumes, CRDs, CSRs, clusterroles,
 * clusterrolebindings, users, groups), whatever its wildcards say.
 */
#include <assert.h>
#include <stdio.h>

#include "k8s.h"

struct rule {
	tm_strs groups, resources, verbs, names, urls;
	const struct tm_k8s_obj *src; /* the role it is written in; NULL: a built-in's */
};

struct role {
	const struct tm_k8s_obj *o; /* NULL for a built-in */
	const char *kind, *ns, *name;
	struct rule *rules;
	size_t nrules;
};

static bool has(const tm_strs *s, const char *v)
{
	return tm_strs_any(s, v) || tm_strs_any(s, "*");
}

/* The bootstrap roles every cluster creates with fixed grants, bound by aggregated API servers,
 * webhooks built on k8s.io/apiserver and kube-rbac-proxy (system:auth-delegator, the Role
 * kube-system/extension-apiserver-authentication-reader), and the discovery roles every
 * authenticated caller holds: complete, none sensitive. r->rules holds four. */
static void bootstrap(struct role *r)
{
	static const char *none[] = {""}, *authn[] = {"authentication.k8s.io"}, *authz[] = {"authorization.k8s.io"};
	static const char *create[] = {"create"}, *get[] = {"get"}, *read[] = {"get", "list", "watch"};
	static const char *cm[] = {"configmaps"}, *cmname[] = {"extension-apiserver-authentication"};
	static const char *tokenreviews[] = {"tokenreviews"}, *sar[] = {"subjectaccessreviews"};
	static const char *selfsar[] = {"selfsubjectaccessreviews", "selfsubjectrulesreviews"},
			  *selfsr[] = {"selfsubjectreviews"};
	static const char *info[] = {"/healthz", "/livez", "/readyz", "/version", "/version/"},
			  *discovery[] = {"/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
					  "/openapi/*", "/readyz", "/version", "/version/"};
#define S(arr) ((tm_strs){(const char **)(arr), TM_ARRAY_LEN(arr), true})
	bool cluster = strcmp(r->kind, "ClusterRole") == 0;
	if (!cluster && strcmp(r->ns, "kube-system") == 0 && strcmp(r->name, "extension-apiserver-authentication-reader") == 0) {
		r->rules[0] = (struct rule){S(none), S(cm), S(read), S(cmname), {0}, NULL};
		r->nrules = 1;
	} else if (!cluster) {
		return;
	} else if (strcmp(r->name, "system:auth-delegator") == 0) {
		r->rules[0] = (struct rule){S(authn), S(tokenreviews), S(create), {0}, {0}, NULL};
		r->rules[1] = (struct rule){S(authz), S(sar), S(create), {0}, {0}, NULL};
		r->nrules = 2;
	} else if (strcmp(r->name, "system:basic-user") == 0) {
		r->rules[0] = (struct rule){S(authz), S(selfsar), S(create), {0}, {0}, NULL};
		r->rules[1] = (struct rule){S(authn), S(selfsr), S(create), {0}, {0}, NULL};
		r->nrules = 2;
	} else if (strcmp(r->name, "system:discovery") == 0) {
		r->rules[0] = (struct rule){{0}, {0}, S(get), {0}, S(discovery), NULL};
		r->nrules = 1;
	} else if (strcmp(r->name, "system:public-info-viewer") == 0) {
		r->rules[0] = (struct rule){{0}, {0}, S(get), {0}, S(info), NULL};
		r->nrules = 1;
	}
#undef S
}

static void builtin(struct role *r, tm_arena *a)
{
	/* the parts of the built-in roles that matter for the capabilities below */
	static const char *star[] = {"*"}, *core[] = {""}, *read[] = {"get", "list", "watch"};
	static const char *secrets[] = {"secrets"}, *exec[] = {"pods/exec", "pods/attach"},
			  *create[] = {"create", "update", "patch", "delete"};
	static const char *wl[] = {"pods", "deployments", "daemonsets", "statefulsets", "replicasets", "jobs", "cronjobs"},
			  *viewres[] = {"pods", "services", "configmaps", "endpoints", "deployments"};
	r->rules = tm_arena_alloc(a, 4 * sizeof(struct rule));
	if (!r->rules)
		return;
#define S(arr) ((tm_strs){(const char **)(arr), TM_ARRAY_LEN(arr), true})
	if (strcmp(r->name, "cluster-admin") == 0) {
		r->rules[0] = (struct rule){S(star), S(star), S(star), {0}, {0}, NULL};
		r->nrules = 1;
	} else if (strcmp(r->name, "admin") == 0 || strcmp(r->name, "edit") == 0) {
		r->rules[0] = (struct rule){S(core), S(secrets), S(read), {0}, {0}, NULL};
		r->rules[1] = (struct rule){S(core), S(exec), S(create), {0}, {0}, NULL};
		r->rules[2] = (struct rule){S(star), S(wl), S(create), {0}, {0}, NULL};
		r->nrules = 3;
	} else if (strcmp(r->name, "view") == 0) {
		r->rules[0] = (struct rule){S(star), S(viewres), S(read), {0}, {0}, NULL};
		r->nrules = 1;
	} else
		bootstrap(r);
#undef S
}

static void read_rules(tm_arena *a, const tm_value *list, struct role *r)
{
	size_t n = tm_value_len(list);
	if (!n || !(r->rules = tm_arena_alloc(a, n * sizeof(struct rule))))
		return;
	for (size_t i = 0; i < n; i++) {
		const tm_value *rv = tm_seq_at(list, i);
		struct rule *ru = &r->rules[r->nrules++];
		ru->groups = tm_ingest__strs(a, tm_map_get(rv, "apiGroups"));
		ru->resources = tm_ingest__strs(a, tm_map_get(rv, "resources"));
		ru->verbs = tm_ingest__strs(a, tm_map_get(rv, "verbs"));
		ru->names = tm_ingest__strs(a, tm_map_get(rv, "resourceNames"));
		ru->urls = tm_ingest__strs(a, tm_map_get(rv, "nonResourceURLs"));
		ru->src = r->o;
	}
}

/*
 * What a rule allows, as the API server's RBAC authorizer decides it: a request (API group,
 * resource or "resource/subresource", verb) matches a rule when the rule names the group or "*",
 * the resource, "*" or a star before the subresource ("*\/exec"), and the verb or "*". A star
 * after a resource ("pods" then "/" then "*") is no pattern: it matches nothing. A rule bound in a
 * namespace (a Role, or a ClusterRole by a RoleBinding) never reaches a cluster-scoped resource,
 * whatever its wildcards say; the one exception is `bind` on clusterroles, which the API server
 * checks in the namespace of the RoleBinding being written.
 */
struct resource {
	const char *name, *group;
	bool cluster; /* cluster-scoped: out of reach of a namespaced grant */
};

#define RBAC_GROUP "rbac.authorization.k8s.io"
static const struct resource resources[] = {
	{"pods", "", false},
	{"pods/exec", "", false},
	{"pods/attach", "", false},
	{"pods/ephemeralcontainers", "", false},
	{"secrets", "", false},
	{"serviceaccounts", "", false},
	{"serviceaccounts/token", "", false},
	{"replicationcontrollers", "", false},
	{"deployments", "apps", false},
	{"daemonsets", "apps", false},
	{"statefulsets", "apps", false},
	{"replicasets", "apps", false},
	{"jobs", "batch", false},
	{"cronjobs", "batch", false},
	{"roles", RBAC_GROUP, false},
	{"rolebindings", RBAC_GROUP, false},
	{"clusterroles", RBAC_GROUP, true},
	{"clusterrolebindings", RBAC_GROUP, true},
	{"users", "", true},
	{"groups", "", true},
	{"uids", "authentication.k8s.io", true},
	{"nodes", "", true},
	{"nodes/proxy", "", true},
	{"namespaces", "", true},
	{"persistentvolumes", "", true},
	{"customresourcedefinitions", "apiextensions.k8s.io", true},
	{"certificatesigningrequests", "certificates.k8s.io", true},
	{"certificatesigningrequests/approval", "certificates.k8s.io", true},
	{"signers", "certificates.k8s.io", true},
	{"validatingwebhookconfigurations", "admissionregistration.k8s.io", true},
	{"mutatingwebhookconfigurations", "admissionregistration.k8s.io", true},
	{"validatingadmissionpolicies", "admissionregistration.k8s.io", true},
	{"validatingadmissionpolicybindings", "admissionregistration.k8s.io", true},
};

static const struct resource *resource_of(const char *name)
{
	for (size_t i = 0; i < TM_ARRAY_LEN(resources); i++)
		if (strcmp(resources[i].name, name) == 0)
			return &resources[i];
	return NULL;
}

static bool resource_matches(const tm_strs *rs, const char *res)
{
	const char *sub = strchr(res, '/');
	for (size_t i = 0; i < rs->n; i++) {
		const char *r = rs->items[i];
		if (strcmp(r, "*") == 0 || strcmp(r, res) == 0)
			return true;
		if (sub && r[0] == '*' && r[1] == '/' && strcmp(r + 1, sub) == 0)
			return true;
	}
	return false;
}

/* Does rule ru, bound cluster-wide or in a namespace, allow verb on res? */
static bool allows(const struct rule *ru, const char *res, const char *verb, bool cluster_wide)
{
	const struct resource *r = resource_of(res);
	assert(r);
	if (r->cluster && !cluster_wide && !(strcmp(verb, "bind") == 0 && strcmp(res, "clusterroles") == 0))
		return false;
	return has(&ru->groups, r->group) && resource_matches(&ru->resources, res) && has(&ru->verbs, verb);
}

static bool allows_any(const struct rule *ru, const char *const *res, size_t nres, const char *const *verbs,
		       size_t nverbs, bool cluster_wide)
{
	for (size_t i = 0; i < nres; i++)
		for (size_t v = 0; v < nverbs; v++)
			if (allows(ru, res[i], verbs[v], cluster_wide))
				return true;
	return false;
}

/* The capabilities that matter to an attacker, one bit each, in the order findings list them. */
enum {
	CAP_CLUSTER_ADMIN = 1u << 0,
	CAP_NS_ADMIN = 1u << 1,
	CAP_WILDCARD = 1u << 2,
	CAP_READ_SECRETS = 1u << 3,
	CAP_READ_NAMED_SECRETS = 1u << 4,
	CAP_POD_EXEC = 1u << 5,
	CAP_POD_EXEC_GET = 1u << 6,
	CAP_CREATE_WORKLOADS = 1u << 7,
	CAP_ESCALATE = 1u << 8,
	CAP_BIND = 1u << 9,
	CAP_IMPERSONATE = 1u << 10,
	CAP_CREATE_TOKENS = 1u << 11,
	CAP_MODIFY_RBAC = 1u << 12,
	CAP_NODES_PROXY = 1u << 13,
	CAP_MODIFY_ADMISSION = 1u << 14,
	CAP_POD_EPHEMERAL = 1u << 15,
	CAP_CREATE_PV = 1u << 16,
};

static const char *const cap_names[] = {"cluster-admin", "namespace-admin", "wildcard", "read-secrets",
					"read-named-secrets", "pod-exec", "pod-exec-get", "create-workloads",
					"escalate", "bind", "impersonate", "create-tokens", "modify-rbac",
					"nodes-proxy", "modify-admission", "pod-exec via ephemeral containers",
					"create-persistentvolumes"};

#define L(...) ((const char *const[]){__VA_ARGS__}), (sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *))

/* The capabilities one rule gives, bound cluster-wide or in a namespace (bind is judged apart). */
static unsigned rule_caps(const struct rule *ru, bool cluster_wide)
{
	unsigned caps = 0;
	bool any_res = tm_strs_any(&ru->resources, "*"), any_verb = tm_strs_any(&ru->verbs, "*");
	if (any_res && any_verb && tm_strs_any(&ru->groups, "*"))
		caps |= cluster_wide ? CAP_CLUSTER_ADMIN : CAP_NS_ADMIN;
	else if (any_res || any_verb)
		caps |= CAP_WILDCARD;
	if (allows_any(ru, L("secrets"), L("get", "list", "watch"), cluster_wide))
		caps |= ru->names.n ? CAP_READ_NAMED_SECRETS : CAP_READ_SECRETS;
	/* exec and attach are POSTs (create); a GET upgraded to a websocket passed with `get` alone
	 * until Kubernetes 1.30 checked create as well: kept, as the weaker pod-exec-get */
	if (allows_any(ru, L("pods/exec", "pods/attach"), L("create"), cluster_wide))
		caps |= CAP_POD_EXEC;
	else if (allows_any(ru, L("pods/exec", "pods/attach"), L("get"), cluster_wide))
		caps |= CAP_POD_EXEC_GET;
	/* an ephemeral container added to a running pod runs the caller's image there, with the pod's
	 * volumes, network and service account: exec by other means (kubectl debug) */
	if (!(caps & CAP_POD_EXEC) && allows_any(ru, L("pods/ephemeralcontainers"), L("update", "patch"), cluster_wide))
		caps |= CAP_POD_EPHEMERAL;
	/* a create cannot be limited by resourceNames: with names, only update and patch of those count */
	static const char *const wl[] = {"pods", "deployments", "daemonsets", "statefulsets", "replicasets",
					 "jobs", "cronjobs", "replicationcontrollers"};
	if ((!ru->names.n && allows_any(ru, wl, TM_ARRAY_LEN(wl), L("create"), cluster_wide)) ||
	    allows_any(ru, wl, TM_ARRAY_LEN(wl), L("update", "patch"), cluster_wide))
		caps |= CAP_CREATE_WORKLOADS;
	if (allows_any(ru, L("roles", "clusterroles"), L("escalate"), cluster_wide))
		caps |= CAP_ESCALATE;
	/* users and groups are cluster-scoped: in a namespace, only its service accounts can be worn */
	if (allows_any(ru, L("users", "groups", "uids", "serviceaccounts"), L("impersonate"), cluster_wide))
		caps |= CAP_IMPERSONATE;
	if (allows_any(ru, L("serviceaccounts/token"), L("create"), cluster_wide))
		caps |= CAP_CREATE_TOKENS;
	if (allows_any(ru, L("roles", "clusterroles", "rolebindings", "clusterrolebindings"),
		       L("create", "update", "patch"), cluster_wide))
		caps |= CAP_MODIFY_RBAC;
	if (allows_any(ru, L("nodes/proxy"), L("get", "create"), cluster_wide))
		caps |= CAP_NODES_PROXY;
	/* any PersistentVolume, hostPath ones too: a pod claiming it mounts a node's filesystem */
	if (allows(ru, "persistentvolumes", "create", cluster_wide))
		caps |= CAP_CREATE_PV;
	/* admission webhooks are cluster-scoped: rewriting or deleting any of them switches policy
	 * engines off (Kyverno, Gatekeeper, Pod Security webhooks) or sends every object they match,
	 * Secrets too, to a service of one's choosing; named ones only (a chart patching its own CA
	 * bundle) are left aside */
	if (cluster_wide && !ru->names.n &&
	    allows_any(ru, L("validatingwebhookconfigurations", "mutatingwebhookconfigurations",
			     "validatingadmissionpolicies", "validatingadmissionpolicybindings"),
		       L("create", "update", "patch", "delete"), cluster_wide))
		caps |= CAP_MODIFY_ADMISSION;
	return caps;
}


/* The built-in ClusterRoles the API server aggregates scanned ones into, by label: admin collects
 * aggregate-to-admin, and edit (labelled so), which collects aggregate-to-edit, and view (labelled
 * so), which collects aggregate-to-view. */
enum { AGG_VIEW, AGG_EDIT, AGG_ADMIN, AGG__COUNT };
static const char *const agg_roles[AGG__COUNT] = {"view", "edit", "admin"};

struct rbac {
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	struct role *roles;
	size_t nroles, cap;
	size_t *agg[AGG__COUNT]; /* the scanned ClusterRoles labelled aggregate-to-<role>, by index */
	size_t nagg[AGG__COUNT];
	/* set while the capabilities of a rule aggregated into the bound role are noted again at the
	 * ClusterRole it is written in: they go to rbac_aggregated ("<capability> (<where>) from
	 * ClusterRole <name>"), so rbac_capabilities points at bindings only */
	const struct tm_k8s_obj *from;
};

/* Index the scanned ClusterRoles labelled rbac.authorization.k8s.io/aggregate-to-view|edit|admin:
 * "true", once. False when memory ran out. */
static bool index_aggregated(struct rbac *rb)
{
	for (int g = 0; g < AGG__COUNT; g++) {
		rb->agg[g] = tm_calloc(rb->nroles + 1, sizeof(size_t));
		if (!rb->agg[g])
			return false;
	}
	for (size_t i = 0; i < rb->nroles; i++) {
		const struct role *r = &rb->roles[i];
		if (!r->o || strcmp(r->kind, "ClusterRole") != 0)
			continue;
		const tm_value *labels = tm_map_get(tm_map_get(r->o->v, "metadata"), "labels");
		for (int g = 0; labels && g < AGG__COUNT; g++) {
			char key[64];
			tm_formatf(key, sizeof(key), RBAC_GROUP "/aggregate-to-%s", agg_roles[g]);
			const char *v = tm_map_get_str(labels, key);
			if (v && strcmp(v, "true") == 0)
				rb->agg[g][rb->nagg[g]++] = i;
		}
	}
	return true;
}

/* A built-in view, edit or admin with the rules of the scanned ClusterRoles aggregated into it
 * (admin takes edit's, edit takes view's): added after the built-in's own. */
static void add_aggregated(struct rbac *rb, struct role *r)
{
	int top = -1;
	for (int g = 0; g < AGG__COUNT; g++)
		if (strcmp(r->name, agg_roles[g]) == 0)
			top = g;
	size_t total = r->nrules;
	for (int g = 0; g <= top; g++)
		for (size_t i = 0; i < rb->nagg[g]; i++)
			total += rb->roles[rb->agg[g][i]].nrules;
	if (top < 0 || total == r->nrules)
		return;
	struct rule *all = tm_arena_alloc(rb->k->arena, total * sizeof(struct rule));
	if (!all)
		return;
	memcpy(all, r->rules, r->nrules * sizeof(struct rule));
	size_t n = r->nrules;
	for (int g = 0; g <= top; g++)
		for (size_t i = 0; i < rb->nagg[g]; i++) {
			const struct role *c = &rb->roles[rb->agg[g][i]];
			if (c->nrules)
				memcpy(all + n, c->rules, c->nrules * sizeof(struct rule));
			n += c->nrules;
		}
	r->rules = all;
	r->nrules = n;
}

static struct role *find_role(struct rbac *rb, const char *kind, const char *ns, const char *name)
{
	bool cluster = strcmp(kind, "ClusterRole") == 0;
	for (size_t i = 0; i < rb->nroles; i++) {
		struct role *r = &rb->roles[i];
		if (strcmp(r->kind, kind) == 0 && strcmp(r->name, name) == 0 &&
		    (cluster || strcmp(r->ns, ns) == 0))
			return r;
	}
	if (TM_GROW(rb->roles, rb->cap, rb->nroles + 1))
		return NULL;
	struct role *r = &rb->roles[rb->nroles];
	memset(r, 0, sizeof(*r));
	r->kind = cluster ? "ClusterRole" : "Role";
	r->ns = cluster ? "" : ns;
	r->name = name;
	builtin(r, rb->k->arena);
	if (!r->nrules)
		return NULL; /* neither scanned nor built in (a Role only from bootstrap()) */
	add_aggregated(rb, r);
	rb->nroles++;
	return r;
}

/* aggregationRule: the union of the rules of every ClusterRole whose labels a selector matches */
static void aggregate(struct rbac *rb)
{
	for (size_t i = 0; i < rb->nroles; i++) {
		struct role *r = &rb->roles[i];
		const tm_value *sels = r->o ? tm_map_get(tm_map_get(r->o->v, "aggregationRule"),
							 "clusterRoleSelectors") : NULL;
		if (!sels)
			continue;
		size_t total = r->nrules;
		for (int pass = 0; pass < 2; pass++) {
			struct rule *all = pass ? tm_arena_alloc(rb->k->arena, total * sizeof(struct rule)) : NULL;
			size_t n = 0;
			if (pass && !all)
				return;
			if (pass && r->nrules)
				memcpy(all, r->rules, r->nrules * sizeof(struct rule));
			n = r->nrules;
			for (size_t s = 0; s < tm_value_len(sels); s++) {
				tm_selector sel;
				tm_ingest__selector(rb->ctx, rb->k->arena, r->o->f, tm_seq_at(sels, s), &sel);
				for (size_t j = 0; j < rb->nroles; j++) {
					struct role *c = &rb->roles[j];
					if (j == i || !c->o || strcmp(c->kind, "ClusterRole") != 0)
						continue;
					tm_labels l;
					tm_ingest__labels(rb->k->arena,
							  tm_map_get(tm_map_get(c->o->v, "metadata"), "labels"), &l);
					if (!tm_selector_matches(&sel, &l))
						continue;
					if (pass && c->nrules) /* a role without rules has no array to copy */
						memcpy(all + n, c->rules, c->nrules * sizeof(struct rule));
					n += c->nrules;
				}
			}
			if (!pass)
				total = n;
			else {
				r->rules = all;
				r->nrules = n;
			}
		}
	}
}

static void add_capability(struct rbac *rb, tm_node *id, const char *what, const char *where,
			   tm_loc loc)
{
	if (rb->from) {
		char *v = tm_arena_printf(rb->k->arena, "%s (%s) from ClusterRole %s", what, where, rb->from->name);
		tm_mb_node_fact(rb->ctx->mb, id, "rbac_aggregated", v, loc);
		return;
	}
	char *v = tm_arena_printf(rb->k->arena, "%s (%s)", what, where);
	tm_mb_node_fact(rb->ctx->mb, id, "rbac_capabilities", v, loc);
}

static void add_caps(struct rbac *rb, tm_node *id, unsigned caps, const char *where, tm_loc loc)
{
	for (size_t c = 0; c < TM_ARRAY_LEN(cap_names); c++)
		if (caps & (1u << c))
			add_capability(rb, id, cap_names[c], where, loc);
}

static char *joined(tm_arena *a, const tm_strs *s)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < s->n; i++)
		tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", s->items[i]);
	char *out = sb.oom || !sb.data ? NULL : tm_arena_printf(a, "%s", sb.data);
	tm_strbuf_dispose(&sb);
	return out;
}

/*
 * `bind` lets its holder write a binding to a role it does not hold itself. Without resourceNames any
 * role will do, so any ClusterRole means cluster-admin's power (in the binding's namespace when the
 * grant is namespaced); with resourceNames only the named roles count, looked up here (a built-in
 * name is known). The power is the holder's when the same role also lets it create the binding;
 * otherwise the finding says only what could be bound. Named roles that grant nothing dangerous
 * make `bind` harmless: nothing is reported. Returns the power gained (bind itself is added here).
 */
static unsigned bind_caps(struct rbac *rb, tm_node *id, const struct role *r, const struct rule *ru, bool cluster_wide,
			  const char *ns, const char *where, tm_loc loc)
{
	bool cr = allows(ru, "clusterroles", "bind", cluster_wide), rr = allows(ru, "roles", "bind", cluster_wide);
	if (!cr && !rr)
		return 0;
	bool crb = false, rb_ = false;
	for (size_t i = 0; i < r->nrules; i++) {
		crb = crb || allows(&r->rules[i], "clusterrolebindings", "create", cluster_wide);
		rb_ = rb_ || allows(&r->rules[i], "rolebindings", "create", cluster_wide);
	}
	bool wide = cluster_wide && crb; /* the binding it can write reaches the cluster */
	unsigned power = 0;
	if (!ru->names.n) {
		power = cr ? (wide ? CAP_CLUSTER_ADMIN : CAP_NS_ADMIN) : 0; /* the namespace's Roles: unknown */
		add_capability(rb, id, cr ? "bind any role" : "bind any role of the namespace", where, loc);
	} else {
		for (size_t n = 0; n < ru->names.n; n++) {
			const struct role *t = NULL;
			if (cr)
				t = find_role(rb, "ClusterRole", "", ru->names.items[n]);
			if (!t && rr)
				t = find_role(rb, "Role", ns, ru->names.items[n]);
			for (size_t i = 0; t && i < t->nrules; i++)
				power |= rule_caps(&t->rules[i], wide);
		}
		power &= ~(unsigned)(CAP_WILDCARD | CAP_READ_NAMED_SECRETS); /* names of names: not said */
		if (!power)
			return 0;
		char *what = tm_arena_printf(rb->k->arena, "bind to %s", joined(rb->k->arena, &ru->names));
		if (what)
			add_capability(rb, id, what, where, loc);
	}
	if (!crb && !rb_)
		return 0; /* it may bind, but not write the binding: the power stays out of reach */
	return power;
}

/* What a wildcard rule covers, "wildcard: create on every resource of acme.example.com": `*` on a
 * custom group's resources is not `*` on `*`. */
static const char *wildcard_says(tm_arena *a, const struct rule *ru)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, "wildcard: ");
	if (tm_strs_any(&ru->verbs, "*"))
		tm_strbuf_puts(&sb, "every verb");
	else
		for (size_t i = 0; i < ru->verbs.n; i++)
			tm_strbuf_printf(&sb, "%s%s", i ? "," : "", ru->verbs.items[i]);
	tm_strbuf_puts(&sb, " on ");
	if (tm_strs_any(&ru->resources, "*"))
		tm_strbuf_puts(&sb, "every resource");
	else
		for (size_t i = 0; i < ru->resources.n; i++)
			tm_strbuf_printf(&sb, "%s%s", i ? "," : "", ru->resources.items[i]);
	if (ru->names.n)
		tm_strbuf_printf(&sb, " named %s", joined(a, &ru->names));
	tm_strbuf_puts(&sb, " of ");
	if (tm_strs_any(&ru->groups, "*"))
		tm_strbuf_puts(&sb, "every API group");
	else
		for (size_t i = 0; i < ru->groups.n; i++)
			tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", *ru->groups.items[i] ? ru->groups.items[i] : "the core group");
	const char *out = sb.oom || !sb.data ? NULL : tm_arena_printf(a, "%s", sb.data);
	tm_strbuf_dispose(&sb);
	return out;
}

/* The secrets a rule lets id read, for k8s_secrets.c to turn into reads edges. */
static void note_secret_reads(struct rbac *rb, tm_node *id, const struct rule *ru, const char *ns,
			      const char *binding, tm_loc loc)
{
	static const char *const verbs[] = {"get", "list", "watch"};
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t v = 0; v < TM_ARRAY_LEN(verbs); v++)
		if (allows(ru, "secrets", verbs[v], ns == NULL))
			tm_strbuf_printf(&sb, "%s%s", sb.len ? "," : "", verbs[v]);
	const char *said = sb.oom || !sb.data ? NULL : tm_arena_printf(rb->k->arena, "%s", sb.data);
	tm_strbuf_dispose(&sb);
	if (said)
		tm_k8s__secret_grant(rb->k, id, ns, &ru->names, said, binding, loc);
}

/*
 * Grants bound cluster-wide that are cluster-admin in one request, though no rule says "*":
 * impersonating any group (the request says Impersonate-Group: system:masters, which every API
 * server lets do anything), or escalate with the right to change ClusterRoles, and so a ClusterRole
 * it holds or one it may bind anew (create clusterrolebindings), to "*" on "*". How, or NULL.
 */
static const char *admin_in_one_step(const struct role *r)
{
	bool groups = false, escalate = false, change = false, named_own = false, crb = false;
	for (size_t i = 0; i < r->nrules; i++) {
		const struct rule *ru = &r->rules[i];
		groups = groups || (!ru->names.n && allows(ru, "groups", "impersonate", true));
		escalate = escalate || allows(ru, "clusterroles", "escalate", true);
		bool upd = allows(ru, "clusterroles", "update", true) || allows(ru, "clusterroles", "patch", true);
		change = change || (upd && !ru->names.n) || (!ru->names.n && allows(ru, "clusterroles", "create", true));
		named_own = named_own || (upd && ru->names.n && tm_strs_any(&ru->names, r->name));
		crb = crb || (!ru->names.n && allows(ru, "clusterrolebindings", "create", true));
	}
	if (groups)
		return "impersonating the group system:masters";
	if (escalate && ((change && (crb || strcmp(r->kind, "ClusterRole") == 0)) || named_own))
		return "escalating a ClusterRole it holds or binds to every verb on every resource";
	return NULL;
}

/* Does a signer name an `approve` grant lists (resourceNames: "<domain>/<name>", "<domain>/\*") reach
 * kubernetes.io/kube-apiserver-client, the signer of client certificates the API server trusts? */
static bool client_signer(const char *name)
{
	return strcmp(name, "*") == 0 || strcmp(name, "kubernetes.io/*") == 0 ||
	       strcmp(name, "kubernetes.io/kube-apiserver-client") == 0;
}

/*
 * Issuing a certificate takes three grants (cluster-scoped, so bound cluster-wide): create on
 * certificatesigningrequests, update or patch on certificatesigningrequests/approval (its
 * resourceNames limit nothing: the requester names the request), and approve on signers for the
 * request's signerName. All three for kubernetes.io/kube-apiserver-client mint a client
 * certificate for any user and group, system:masters too: cluster-admin, as impersonation is.
 * Approval without create (someone else's request), or for other signers, is approve-csrs with the
 * signers named. Judged over the role's rules together, as admin_in_one_step is.
 */
static void certificate_caps(struct rbac *rb, tm_node *id, const struct role *r, const char *where, tm_loc loc)
{
	tm_arena *a = rb->k->arena;
	bool create = false, approval = false, any_signer = false, client = false;
	tm_strbuf signers = TM_STRBUF_INIT;
	for (size_t i = 0; i < r->nrules; i++) {
		const struct rule *ru = &r->rules[i];
		create = create || allows(ru, "certificatesigningrequests", "create", true);
		approval = approval || allows(ru, "certificatesigningrequests/approval", "update", true) ||
			   allows(ru, "certificatesigningrequests/approval", "patch", true);
		if (!allows(ru, "signers", "approve", true))
			continue;
		any_signer = any_signer || !ru->names.n;
		client = client || !ru->names.n;
		for (size_t n = 0; n < ru->names.n; n++) {
			client = client || client_signer(ru->names.items[n]);
			tm_strbuf_printf(&signers, "%s%s", signers.len ? ", " : "", ru->names.items[n]);
		}
	}
	if (approval && (any_signer || signers.len) && !signers.oom) {
		char *what;
		if (create && client)
			what = tm_arena_printf(a, "%s (%s, by approving its own client certificate for system:masters: "
						  "CSR create, approval and signer kubernetes.io/kube-apiserver-client)",
					       cap_names[0], where);
		else
			what = tm_arena_printf(a, "approve-csrs for %s%s (%s)", any_signer ? "any signer" : signers.data,
					       client ? ", client certificates others request" : "",
					       where);
		if (what)
			tm_mb_node_fact(rb->ctx->mb, id, "rbac_capabilities", what, loc);
	}
	tm_strbuf_dispose(&signers);
}

static void grant(struct rbac *rb, tm_node *id, const struct role *r, const char *ns, const char *where,
		  bool cluster_wide, const char *binding, tm_loc loc)
{
	tm_model_builder *mb = rb->ctx->mb;
	tm_arena *a = rb->k->arena;
	tm_mb_node_fact(mb, id, "rbac_bindings", binding, loc);
	unsigned held = 0; /* what the role grants outright: binding more adds nothing to say */
	for (size_t i = 0; i < r->nrules; i++)
		held |= rule_caps(&r->rules[i], cluster_wide);
	if (held & CAP_CLUSTER_ADMIN)
		held |= CAP_NS_ADMIN;
	for (size_t i = 0; i < r->nrules; i++) {
		const struct rule *ru = &r->rules[i];
		tm_strbuf sb = TM_STRBUF_INIT;
		for (size_t v = 0; v < ru->verbs.n; v++)
			tm_strbuf_printf(&sb, "%s%s", v ? "," : "", ru->verbs.items[v]);
		tm_strbuf_puts(&sb, " ");
		const tm_strs *what = ru->resources.n ? &ru->resources : &ru->urls;
		for (size_t v = 0; v < what->n; v++)
			tm_strbuf_printf(&sb, "%s%s", v ? "," : "", what->items[v]);
		if (ru->names.n)
			tm_strbuf_printf(&sb, " (named: %s)", joined(a, &ru->names));
		tm_strbuf_printf(&sb, " %s", where);
		/* a rule aggregated into the bound role: the role it is written in is evidence too */
		bool aggregated = ru->src && ru->src != r->o;
		if (aggregated)
			tm_strbuf_printf(&sb, " (aggregated from ClusterRole %s)", ru->src->name);
		if (!sb.oom)
			tm_mb_node_list_add(mb, id, "permissions", sb.data);
		tm_strbuf_dispose(&sb);

		unsigned caps = rule_caps(ru, cluster_wide);
		if (caps & (CAP_READ_SECRETS | CAP_READ_NAMED_SECRETS))
			note_secret_reads(rb, id, ru, cluster_wide ? NULL : ns, binding, loc);
		for (int at = 0; at < 1 + aggregated; at++) {
			tm_loc l = at ? tm_ingest__loc(ru->src->f, ru->src->v) : loc;
			rb->from = at ? ru->src : NULL;
			if (caps & CAP_READ_NAMED_SECRETS) { /* the names, so a reader sees which secrets */
				char *w = tm_arena_printf(a, "read-named-secrets %s", joined(a, &ru->names));
				if (w)
					add_capability(rb, id, w, where, l);
			}
			const char *wild = caps & CAP_WILDCARD ? wildcard_says(a, ru) : NULL;
			if (wild)
				add_capability(rb, id, wild, where, l);
			add_caps(rb, id, caps & ~(unsigned)(CAP_READ_NAMED_SECRETS | CAP_WILDCARD), where, l);
			rb->from = NULL;
		}
		unsigned power = bind_caps(rb, id, r, ru, cluster_wide, ns, where, loc) & ~held;
		if (power) {
			char *via = tm_arena_printf(a, "%s, by binding %s", where,
						    ru->names.n ? joined(a, &ru->names) : "any role");
			if (via)
				add_caps(rb, id, power, via, loc);
		}
	}
	const char *how = cluster_wide && !(held & CAP_CLUSTER_ADMIN) ? admin_in_one_step(r) : NULL;
	if (how) {
		char *via = tm_arena_printf(a, "%s, by %s", where, how);
		if (via)
			add_capability(rb, id, cap_names[0], via, loc);
	}
	if (cluster_wide && !(held & CAP_CLUSTER_ADMIN))
		certificate_caps(rb, id, r, where, loc);
}

static tm_node *subject_node(struct rbac *rb, const char *kind, const char *name, const char *ns,
			     tm_loc loc)
{
	tm_ingest_ctx *ctx = rb->ctx;
	if (strcmp(kind, "ServiceAccount") == 0)
		return tm_k8s__identity(ctx, rb->k, ns, name, loc);
	bool user = strcmp(kind, "User") == 0;
	if (!user && strcmp(kind, "Group") != 0)
		return NULL;
	char *id = tm_arena_printf(rb->k->arena, "identity:k8s-%s:%s", user ? "user" : "group", name);
	tm_node *n = id ? tm_mb_node(ctx->mb, TM_NODE_IDENTITY, id, name, "cluster", loc) : NULL;
	if (n)
		tm_mb_node_str(ctx->mb, n, "identity_type", user ? "kubernetes-user" : "kubernetes-group");
	return n;
}

/* Groups every service account of namespace ns belongs to. */
static bool sa_in_group(const char *group, const char *ns)
{
	if (strcmp(group, "system:serviceaccounts") == 0 || strcmp(group, "system:authenticated") == 0)
		return true;
	const char *p = "system:serviceaccounts:";
	return strncmp(group, p, strlen(p)) == 0 && strcmp(group + strlen(p), ns) == 0;
}

static void bind(struct rbac *rb, const struct tm_k8s_obj *o)
{
	tm_ingest_ctx *ctx = rb->ctx;
	bool cluster = tm_k8s__is(o, "ClusterRoleBinding");
	const tm_value *ref = tm_map_get(o->v, "roleRef");
	const char *rkind = tm_map_get_str(ref, "kind"), *rname = tm_map_get_str(ref, "name");
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	if (!rkind || !rname) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, ref ? tm_ingest__loc(o->f, ref) : loc,
			    "%s '%s' has no roleRef kind and name", o->kind, o->name);
		return;
	}
	const struct role *found = find_role(rb, rkind, o->ns, rname);
	if (!found) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, ref),
			    "%s '%s' binds %s '%s', which was not scanned; its grants are unknown",
			    o->kind, o->name, rkind, rname);
		return;
	}
	const struct role role = *found; /* grant() may grow the array found points into */
	const struct role *r = &role;
	char *where = cluster ? "cluster-wide" : tm_arena_printf(rb->k->arena, "in namespace %s", o->ns);
	char *binding = tm_arena_printf(rb->k->arena, "%s %s%s%s -> %s %s", o->kind, cluster ? "" : o->ns,
					cluster ? "" : "/", o->name, rkind, rname);
	if (!where || !binding)
		return;
	const tm_value *subs = tm_map_get(o->v, "subjects");
	for (size_t i = 0; i < tm_value_len(subs); i++) {
		const tm_value *sv = tm_seq_at(subs, i);
		const char *kind = tm_map_get_str(sv, "kind"), *name = tm_map_get_str(sv, "name");
		const char *ns = tm_map_get_str(sv, "namespace");
		if (!kind || !name)
			continue;
		if (!ns)
			ns = cluster ? "default" : o->ns;
		tm_loc sloc = tm_ingest__loc(o->f, sv);
		tm_node *id = subject_node(rb, kind, name, ns, sloc);
		if (!id)
			continue;
		grant(rb, id, r, o->ns, where, cluster, binding, sloc);
		if (strcmp(kind, "Group") != 0)
			continue;
		/* the group's grants reach every scanned service account in it */
		const tm_policy *pol = tm_mb_policy(ctx->mb);
		for (size_t w = 0; w < pol->nworkloads; w++) {
			const tm_pm_workload *wl = &pol->workloads[w];
			if (!sa_in_group(name, wl->ns))
				continue;
			tm_node *sa = tm_k8s__identity(ctx, rb->k, wl->ns, wl->service_account, sloc);
			char *via = tm_arena_printf(rb->k->arena, "%s (via group %s)", binding, name);
			if (sa && via)
				grant(rb, sa, r, o->ns, where, cluster, via, sloc);
		}
	}
}

static void summarise(tm_ingest_ctx *ctx)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *cn = tm_model_node(m, i);
		if (tm_node_kind_of(cn) != TM_NODE_IDENTITY || tm_node_attr_str(cn, "scope"))
			continue;
		tm_node *n = tm_mb_find(ctx->mb, tm_node_id(cn));
		tm_mb_node_list_settle(ctx->mb, n, "rbac_capabilities");
		tm_mb_node_list_settle(ctx->mb, n, "permissions");
		tm_mb_node_list_settle(ctx->mb, n, "rbac_aggregated");
		const tm_attr *caps = tm_node_attr_get(n, "rbac_capabilities");
		const tm_attr *perms = tm_node_attr_get(n, "permissions");
		tm_strbuf sb = TM_STRBUF_INIT;
		const char *top = NULL;
		for (size_t c = 0; caps && caps->list && caps->list[c]; c++)
			if (strncmp(caps->list[c], "cluster-admin", 13) == 0)
				top = caps->list[c];
		if (top) {
			tm_strbuf_printf(&sb, "%s: every verb on every resource", top);
		} else if (caps && caps->list) {
			/* "namespace-admin (in namespace x)" implies every other capability in x */
			size_t shown = 0;
			for (size_t c = 0; caps->list[c]; c++) {
				const char *where = strchr(caps->list[c], '(');
				bool implied = false;
				for (size_t a = 0; where && caps->list[a] && !implied; a++)
					implied = a != c && strncmp(caps->list[a], "namespace-admin ", 16) == 0 &&
						  strcmp(strchr(caps->list[a], '('), where) == 0;
				if (!implied)
					tm_strbuf_printf(&sb, "%s%s", shown++ ? "; " : "", caps->list[c]);
			}
		} else if (perms && perms->list) {
			size_t c = 0;
			while (perms->list[c])
				c++;
			tm_strbuf_printf(&sb, "%zu RBAC grant%s, none sensitive", c, c == 1 ? "" : "s");
		} else if (strcmp(tm_node_attr_str(n, "identity_type") ? tm_node_attr_str(n, "identity_type") : "",
				  "kubernetes-service-account") == 0) {
			tm_strbuf_puts(&sb, "no RBAC grants in the scanned files");
		}
		if (sb.len && !sb.oom)
			tm_mb_node_str(ctx->mb, n, "scope", sb.data);
		tm_strbuf_dispose(&sb);
	}
}

void tm_k8s__rbac(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	struct rbac rb = {ctx, k, NULL, 0, 0, {NULL}, {0}, NULL};
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		if (!tm_k8s__is(o, "Role") && !tm_k8s__is(o, "ClusterRole"))
			continue;
		if (TM_GROW(rb.roles, rb.cap, rb.nroles + 1))
			goto done;
		struct role *r = &rb.roles[rb.nroles++];
		memset(r, 0, sizeof(*r));
		r->o = o;
		r->kind = o->kind;
		r->ns = o->ns;
		r->name = o->name;
		read_rules(k->arena, tm_map_get(o->v, "rules"), r);
	}
	aggregate(&rb);
	if (!index_aggregated(&rb))
		goto done;
	for (size_t i = 0; i < k->n; i++)
		if (tm_k8s__is(&k->objs[i], "RoleBinding") || tm_k8s__is(&k->objs[i], "ClusterRoleBinding"))
			bind(&rb, &k->objs[i]);
	summarise(ctx);
done:
	for (int g = 0; g < AGG__COUNT; g++)
		tm_free(rb.agg[g]);
	tm_free(rb.roles);
}
