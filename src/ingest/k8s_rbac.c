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
 * name when a binding refers to one that was not scanned.
 *
 * On each identity node: `permissions` (verbs on resources, where), `scope`
 * (one line), and located facts `rbac_capabilities` — the grants that matter
 * for an attacker: read-secrets, pod-exec, create-workloads, escalate, bind,
 * impersonate, create-tokens, wildcard, cluster-admin — each pointing at the
 * binding that gives it.
 */
#include <stdio.h>

#include "k8s.h"

struct rule {
	tm_strs groups, resources, verbs, names, urls;
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

static const char *const workload_resources[] = {"pods", "deployments", "daemonsets", "statefulsets",
						 "replicasets", "jobs", "cronjobs",
						 "replicationcontrollers"};

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
		r->rules[0] = (struct rule){S(star), S(star), S(star), {0}, {0}};
		r->nrules = 1;
	} else if (strcmp(r->name, "admin") == 0 || strcmp(r->name, "edit") == 0) {
		r->rules[0] = (struct rule){S(core), S(secrets), S(read), {0}, {0}};
		r->rules[1] = (struct rule){S(core), S(exec), S(create), {0}, {0}};
		r->rules[2] = (struct rule){S(star), S(wl), S(create), {0}, {0}};
		r->nrules = 3;
	} else if (strcmp(r->name, "view") == 0) {
		r->rules[0] = (struct rule){S(star), S(viewres), S(read), {0}, {0}};
		r->nrules = 1;
	}
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
	}
}

struct rbac {
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	struct role *roles;
	size_t nroles, cap;
};

static struct role *find_role(struct rbac *rb, const char *kind, const char *ns, const char *name)
{
	bool cluster = strcmp(kind, "ClusterRole") == 0;
	for (size_t i = 0; i < rb->nroles; i++) {
		struct role *r = &rb->roles[i];
		if (strcmp(r->kind, kind) == 0 && strcmp(r->name, name) == 0 &&
		    (cluster || strcmp(r->ns, ns) == 0))
			return r;
	}
	if (!cluster || TM_GROW(rb->roles, rb->cap, rb->nroles + 1))
		return NULL;
	struct role *r = &rb->roles[rb->nroles];
	memset(r, 0, sizeof(*r));
	r->kind = "ClusterRole";
	r->ns = "";
	r->name = name;
	builtin(r, rb->k->arena);
	if (!r->nrules)
		return NULL; /* neither scanned nor built in */
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
	char *v = tm_arena_printf(rb->k->arena, "%s (%s)", what, where);
	tm_mb_node_fact(rb->ctx->mb, id, "rbac_capabilities", v, loc);
}

static void grant(struct rbac *rb, tm_node *id, const struct role *r, const char *where,
		  bool cluster_wide, const char *binding, tm_loc loc)
{
	tm_model_builder *mb = rb->ctx->mb;
	tm_mb_node_fact(mb, id, "rbac_bindings", binding, loc);
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
			tm_strbuf_printf(&sb, " (named: %zu)", ru->names.n);
		tm_strbuf_printf(&sb, " %s", where);
		if (!sb.oom)
			tm_mb_node_list_add(mb, id, "permissions", sb.data);
		tm_strbuf_dispose(&sb);

		bool core = has(&ru->groups, "");
		bool any_res = tm_strs_any(&ru->resources, "*");
		bool any_verb = tm_strs_any(&ru->verbs, "*");
		bool read = has(&ru->verbs, "get") || has(&ru->verbs, "list") || has(&ru->verbs, "watch");
		bool write = has(&ru->verbs, "create") || has(&ru->verbs, "update") || has(&ru->verbs, "patch");
		if (any_res && any_verb && tm_strs_any(&ru->groups, "*"))
			add_capability(rb, id, cluster_wide ? "cluster-admin" : "namespace-admin", where, loc);
		else if (any_res || any_verb)
			add_capability(rb, id, "wildcard", where, loc);
		if (core && has(&ru->resources, "secrets") && read)
			add_capability(rb, id, ru->names.n ? "read-named-secrets" : "read-secrets", where, loc);
		if (core && (has(&ru->resources, "pods/exec") || has(&ru->resources, "pods/attach") ||
			     tm_strs_any(&ru->resources, "pods/*")) &&
		    (has(&ru->verbs, "create") || has(&ru->verbs, "get")))
			add_capability(rb, id, "pod-exec", where, loc);
		for (size_t w = 0; w < TM_ARRAY_LEN(workload_resources); w++)
			if (has(&ru->resources, workload_resources[w]) && write) {
				add_capability(rb, id, "create-workloads", where, loc);
				break;
			}
		if (has(&ru->verbs, "escalate"))
			add_capability(rb, id, "escalate", where, loc);
		if (has(&ru->verbs, "bind"))
			add_capability(rb, id, "bind", where, loc);
		if (has(&ru->verbs, "impersonate"))
			add_capability(rb, id, "impersonate", where, loc);
		if (has(&ru->resources, "serviceaccounts/token") && has(&ru->verbs, "create"))
			add_capability(rb, id, "create-tokens", where, loc);
		if ((has(&ru->resources, "roles") || has(&ru->resources, "clusterroles") ||
		     has(&ru->resources, "rolebindings") || has(&ru->resources, "clusterrolebindings")) &&
		    write)
			add_capability(rb, id, "modify-rbac", where, loc);
		if (has(&ru->resources, "nodes/proxy"))
			add_capability(rb, id, "nodes-proxy", where, loc);
	}
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
	struct role *r = find_role(rb, rkind, o->ns, rname);
	if (!r) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, ref),
			    "%s '%s' binds %s '%s', which was not scanned; its grants are unknown",
			    o->kind, o->name, rkind, rname);
		return;
	}
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
		grant(rb, id, r, where, cluster, binding, sloc);
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
				grant(rb, sa, r, where, cluster, via, sloc);
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
	struct rbac rb = {ctx, k, NULL, 0, 0};
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
	for (size_t i = 0; i < k->n; i++)
		if (tm_k8s__is(&k->objs[i], "RoleBinding") || tm_k8s__is(&k->objs[i], "ClusterRoleBinding"))
			bind(&rb, &k->objs[i]);
	summarise(ctx);
done:
	tm_free(rb.roles);
}
