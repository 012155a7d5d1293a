/* identity.c - who runs as whom, and what that identity may do. */
#include <stdio.h>

#include "rules.h"

/* The workloads running as identity n (node ids), count returned. */
static size_t users_of(const tm_model *m, const tm_node *n, const tm_node **first, const tm_node **second)
{
	size_t k = 0, cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(m, n, TM_EDGE_RUNS_AS, &cur));) {
		if (k == 0 && first)
			*first = tm_edge_from(e);
		if (k == 1 && second)
			*second = tm_edge_from(e);
		k++;
	}
	return k;
}

/* The workloads running as identity n whose pods mount its token: their count, *first the first. A
 * workload whose pods mount none (automountServiceAccountToken: false) gains none of the account's API
 * rights when taken over, as blast radius and attack paths hold: the first such is *tokenless, the
 * place its pods name the account *at. */
static size_t holders_of(const tm_model *m, const tm_node *n, const tm_node **first, const tm_node **tokenless,
			 tm_loc *at)
{
	size_t k = 0, cur = 0;
	*first = *tokenless = NULL;
	for (const tm_edge *e; (e = tm_rules__in_edge(m, n, TM_EDGE_RUNS_AS, &cur));) {
		if (!tm_edge_attr_str(e, "token")) {
			if (k++ == 0)
				*first = tm_edge_from(e);
		} else if (!*tokenless) {
			*tokenless = tm_edge_from(e);
			*at = tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : (tm_loc){NULL, 0, 0, NULL};
		}
	}
	return k;
}

/* What TM-ID-004 adds when no workload holds the identity's token: either none runs
 * as it, or the ones that do mount no token of it. */
static const char *unheld(tm_rule_ctx *c, const tm_node *tokenless)
{
	return tokenless ? tm_rules__printf(c, "%s runs as it with no token mounted, automountServiceAccountToken: false",
					     tm_node_id(tokenless))
			 : "no scanned workload runs as it";
}

static bool has_cap(const tm_node *n, const char *cap)
{
	const char *const *caps = tm_rules__list(n, "rbac_capabilities");
	size_t l = strlen(cap);
	for (size_t i = 0; caps && caps[i]; i++)
		if (strncmp(caps[i], cap, l) == 0 && caps[i][l] == ' ')
			return true;
	return false;
}

#define EACH_NODE(c, n, kind) TM_EACH_OF_KIND((c)->m, n, kind)

/* Does the rule also bind the caller to an identity beyond its mesh one: a `when` condition on the
 * request's token (request.auth.*) or on the source's principal or namespace? Then the wildcard
 * source does not stand alone (Istio: request.auth.* conditions require a valid JWT). */
static bool bound_by_when(const tm_az_rule *r)
{
	for (size_t w = 0; w < r->nwhen; w++) {
		const char *k = r->when[w].key;
		if (strncmp(k, "request.auth.", 13) == 0 || strcmp(k, "source.principal") == 0 ||
		    strcmp(k, "source.namespace") == 0)
			return true;
	}
	return false;
}

void tm_rule__id_identity_as_authz(tm_rule_ctx *c)
{
	const tm_policy *pol = tm_model__policy(c->m);
	for (size_t i = 0; i < pol->nauthzpols; i++) {
		const tm_authzpol *p = &pol->authzpols[i];
		if (p->action != TM_AZ_ALLOW)
			continue;
		const tm_az_rule *wild = NULL;
		for (size_t r = 0; r < p->nrules && !wild; r++)
			for (size_t f = 0; f < p->rules[r].nfrom && !wild; f++) {
				const tm_az_source *s = &p->rules[r].from[f];
				/* a source that also asks for a token (requestPrincipals) is no bare identity */
				if ((tm_strs_any(&s->principals, "*") || tm_strs_any(&s->namespaces, "*")) &&
				    !s->request_principals.n && !bound_by_when(&p->rules[r]))
					wild = &p->rules[r];
			}
		if (!wild)
			continue;
		const tm_node *subject = tm_rules__policy_subject(c->m, p->ns, &p->sel);
		tm_emit e;
		tm_emit_init(&e, subject);
		e.nevidence = 0;
		tm_emit_loc(&e, wild->loc);
		e.anchor = tm_rules__printf(c, "AuthorizationPolicy %s/%s", p->ns, p->name);
		e.title = tm_rules__printf(c, "AuthorizationPolicy %s/%s allows any mesh identity%s%s", p->ns, p->name,
					   subject ? " to call " : "", subject ? tm_node_id(subject) : "");
		tm_rules__emit(c, &e);
	}
	/* Linkerd: an authorization admitting every meshed client (identities "*", unauthenticatedTLS) with
	 * no network narrowing it, on the pods its Server selects */
	for (size_t i = 0; i < pol->nld_authzs; i++) {
		const tm_ld_authz *z = &pol->ld_authzs[i];
		bool every = z->meshed && z->nidsets && !z->nnetsets;
		for (size_t k = 0; every && k < z->nidsets; k++)
			every = pol->ld_idsets[z->idsets[k]].any;
		if (!every)
			continue;
		const tm_ld_server *srv = z->server ? tm_policy__ld_server_named(pol, z->ns, z->server) : NULL;
		for (const struct tm_pm_chain *s = srv || z->server || z->whole_ns ? NULL : tm_policy__ld_servers_in(pol, z->ns);
		     s && !srv; s = s->next)
			if (tm_selector_matches(&z->server_sel, &pol->ld_servers[s->i].labels))
				srv = &pol->ld_servers[s->i];
		const tm_node *subject = srv ? tm_rules__policy_subject(c->m, z->ns, &srv->pods) : NULL;
		tm_emit e;
		tm_emit_init(&e, subject);
		e.nevidence = 0;
		tm_emit_loc(&e, z->loc);
		e.anchor = tm_rules__printf(c, "%s %s/%s", z->kind, z->ns, z->name);
		e.title = tm_rules__printf(c, "Linkerd %s %s/%s allows any mesh identity%s%s", z->kind, z->ns, z->name,
					   subject ? " to call " : z->whole_ns ? " on every Server of its namespace" : "",
					   subject ? tm_node_id(subject) : "");
		tm_rules__emit(c, &e);
	}
	tm_rules__broker_no_authz(c); /* Kafka without authorization (async.c) */
}

/* Do all workloads running as n carry one app label (versions of one service, as Bookinfo's
 * reviews-v1/v2/v3)? Then sharing the identity is one service's choice, not a shared identity. */
static bool same_app(const tm_model *m, const tm_node *n)
{
	const char *app = NULL;
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(m, n, TM_EDGE_RUNS_AS, &cur));) {
		const char *const *labels = tm_rules__list(tm_edge_from(e), "labels");
		const char *mine = NULL;
		for (size_t k = 0; labels && labels[k] && !mine; k++)
			if (strncmp(labels[k], "app=", 4) == 0 || strncmp(labels[k], "app.kubernetes.io/name=", 23) == 0)
				mine = strchr(labels[k], '=') + 1;
		if (!mine || (app && strcmp(app, mine) != 0))
			return false;
		app = mine;
	}
	return app != NULL;
}

void tm_rule__id_shared_service_account(tm_rule_ctx *c)
{
	EACH_NODE(c, n, TM_NODE_IDENTITY)
	{
		const tm_node *a = NULL, *b = NULL;
		size_t k = users_of(c->m, n, &a, &b);
		if (k < 2 || same_app(c->m, n))
			continue;
		tm_emit e;
		tm_emit_init(&e, n);
		tm_emit_path(&e, tm_node_id(a));
		tm_emit_path(&e, tm_node_id(b));
		e.title = tm_rules__printf(c, "%zu workloads run as %s (%s, %s%s)", k, tm_node_id(n), tm_node_name(a),
					   tm_node_name(b), k > 2 ? ", ..." : "");
		e.severity = tm_rules__list(n, "rbac_capabilities") ? TM_SEV_HIGH : -1;
		tm_emit_fold_namespace(c, &e, "are each run by several workloads");
		e.fold_noun = "identities";
		tm_rules__emit(c, &e);
	}
}

void tm_rule__id_token_mounted(tm_rule_ctx *c)
{
	EACH_NODE(c, w, TM_NODE_SERVICE)
	{
		const char *tok = tm_node_attr_str(w, "token_mounted");
		const char *sa = tm_node_attr_str(w, "service_account");
		const char *ns = tm_node_attr_str(w, "namespace");
		if (!tok || strncmp(tok, "yes", 3) != 0 || !sa || !ns)
			continue;
		char id[512];
		tm_formatf(id, sizeof(id), "identity:k8s:%s/%s", ns, sa);
		const tm_node *ident = tm_model_find(c->m, id);
		if (ident && tm_rules__list(ident, "permissions"))
			continue; /* it uses the API: the grant rules judge that */
		tm_emit e;
		tm_emit_init(&e, w);
		e.nevidence = 0;
		tm_emit_loc(&e, tm_rules__manifest_loc(w)); /* the workload's manifest: where the token is (not) refused */
		tm_emit_fold_namespace(c, &e, "mount a service-account token their identity does not use");
		e.title = tm_rules__printf(c, "%s mounts a service-account token (%s) but its identity has no API grants",
					   tm_node_id(w), tok);
		e.snippet = tm_rules__printf(c, "spec:\n  template:\n    spec:\n      automountServiceAccountToken: false\n");
		tm_rules__emit(c, &e);
	}
}

/* The capabilities TM-ID-004 reports, in title order, each with its place ("pod-exec (cluster-wide)",
 * "read-secrets (namespace argo)") and a note said there. A capability may carry what it applies to
 * ("read-named-secrets db, api", "bind to admin", "pod-exec via ephemeral containers"): the title
 * keeps it. Weaker claims, medium alone: pod-exec-get (exec by a websocket GET, refused since
 * Kubernetes 1.30); approve-csrs (someone else's request, or a signer other than the API server's
 * client one); create-persistentvolumes unless the identity may also create workloads (a hostPath
 * volume needs a pod to mount it). */
static const struct {
	const char *cap, *says, *note;
} dangerous[] = {
	{"read-secrets", "read-secrets", NULL},
	{"read-named-secrets", "read secrets", NULL},
	{"pod-exec", "pod-exec", NULL},
	{"pod-exec-get", "pod-exec", "get only, clusters before 1.30"},
	{"create-workloads", "create-workloads", NULL},
	{"escalate", "escalate", NULL},
	{"bind", "bind", NULL},
	{"impersonate", "impersonate", NULL},
	{"create-tokens", "create-tokens", NULL},
	{"modify-rbac", "modify-rbac", NULL},
	{"namespace-admin", "namespace-admin", NULL},
	{"nodes-proxy", "nodes-proxy", NULL},
	{"modify-admission", "modify-admission", NULL},
	{"create-persistentvolumes", "create-persistentvolumes", "hostPath ones: a node's filesystem"},
	{"approve-csrs", "approve-csrs", NULL},
};

static bool weak_alone(const char *cap, const tm_node *n)
{
	if (strcmp(cap, "create-persistentvolumes") == 0)
		return !has_cap(n, "create-workloads") && !has_cap(n, "namespace-admin");
	return strcmp(cap, "pod-exec-get") == 0 || strcmp(cap, "approve-csrs") == 0;
}

/* The entry of dangerous[] capability item ("pod-exec (cluster-wide)") is one of, or -1. */
static int dangerous_of(const char *item)
{
	for (size_t d = 0; d < TM_ARRAY_LEN(dangerous); d++) {
		size_t l = strlen(dangerous[d].cap);
		if (strncmp(item, dangerous[d].cap, l) == 0 && item[l] == ' ')
			return (int)d;
	}
	return -1;
}

/* "bind to admin, edit (in namespace x)" -> "to admin, edit" for capability "bind": what the grant
 * names between the capability and its place; NULL when nothing. */
static const char *cap_detail(tm_rule_ctx *c, const char *item, size_t caplen)
{
	const char *end = strrchr(item, '(');
	if (!end || end <= item + caplen + 1)
		return NULL;
	return tm_rules__printf(c, "%.*s", (int)(end - 1 - (item + caplen + 1)), item + caplen + 1);
}

/* The place of a capability item: true when cluster-wide; else its namespace in ns ("" unknown). */
static bool cap_place(const char *item, char *ns, size_t nsz)
{
	const char *p = strrchr(item, '(');
	ns[0] = '\0';
	if (!p)
		return false;
	if (strncmp(p + 1, "cluster-wide", 12) == 0)
		return true;
	if (strncmp(p + 1, "in namespace ", 13) == 0)
		tm_formatf(ns, nsz, "%.*s", (int)strcspn(p + 14, ",)"), p + 14);
	return false;
}

#define TITLE_NAMESPACES 3

/* One capability of the title, all its grants together: what it says and the details the grants
 * name, added to sb; where, in place: "cluster-wide" when any grant is, else "namespace a" or
 * "namespaces a, b" (with its note, "; get only..."). False when the identity holds none of it. */
static bool title_cap(tm_rule_ctx *c, tm_strbuf *sb, tm_strbuf *place, size_t d, const char *const *caps)
{
	size_t l = strlen(dangerous[d].cap), nns = 0, start = sb->len;
	const char *nss[TITLE_NAMESPACES];
	bool said = false, wide = false;
	for (size_t k = 0; caps && caps[k]; k++) {
		if (dangerous_of(caps[k]) != (int)d)
			continue;
		if (!said)
			tm_strbuf_puts(sb, dangerous[d].says);
		const char *detail = cap_detail(c, caps[k], l);
		if (detail && (!said || !strstr(sb->data + start, detail)))
			tm_strbuf_printf(sb, "%s%s", said ? ", " : " ", detail);
		said = true;
		char ns[256];
		if (cap_place(caps[k], ns, sizeof(ns)))
			wide = true;
		else if (*ns) {
			bool seen = false;
			for (size_t i = 0; i < nns && i < TITLE_NAMESPACES; i++)
				seen = seen || strcmp(nss[i], ns) == 0;
			if (!seen && nns++ < TITLE_NAMESPACES)
				nss[nns - 1] = tm_rules__printf(c, "%s", ns);
		}
	}
	if (!said)
		return false;
	if (wide)
		tm_strbuf_puts(place, "cluster-wide");
	else if (nns)
		tm_strbuf_printf(place, "namespace%s ", nns > 1 ? "s" : "");
	for (size_t i = 0; !wide && i < nns && i < TITLE_NAMESPACES; i++)
		tm_strbuf_printf(place, "%s%s", i ? ", " : "", nss[i]);
	if (!wide && nns > TITLE_NAMESPACES)
		tm_strbuf_printf(place, " and %zu more", nns - TITLE_NAMESPACES);
	if (dangerous[d].note)
		tm_strbuf_printf(place, "%s%s", place->len ? "; " : "", dangerous[d].note);
	return true;
}

/* The title's list: "pod-exec (cluster-wide), read-secrets (namespace argo)"; when every capability
 * has the same place, it is said once at the end ("read-secrets, pod-exec, all in namespace shop"). */
static void title_caps(tm_rule_ctx *c, tm_strbuf *out, const tm_node *n, bool *listed, bool *strong)
{
	const char *const *caps = tm_rules__list(n, "rbac_capabilities");
	const char *says[TM_ARRAY_LEN(dangerous)], *places[TM_ARRAY_LEN(dangerous)];
	size_t k = 0;
	bool same = true;
	for (size_t d = 0; d < TM_ARRAY_LEN(dangerous); d++) {
		tm_strbuf sb = TM_STRBUF_INIT, place = TM_STRBUF_INIT;
		listed[d] = title_cap(c, &sb, &place, d, caps);
		if (listed[d]) {
			says[k] = tm_rules__strndup(c, sb.data ? sb.data : "", sb.len);
			places[k] = tm_rules__strndup(c, place.data ? place.data : "", place.len);
			same = same && strcmp(places[k], places[0]) == 0;
			k++;
			*strong = *strong || !weak_alone(dangerous[d].cap, n);
		}
		if (sb.oom || place.oom)
			tm_rules__oom(c);
		tm_strbuf_dispose(&sb);
		tm_strbuf_dispose(&place);
	}
	for (size_t i = 0; i < k; i++) {
		tm_strbuf_printf(out, "%s%s", i ? ", " : "", says[i]);
		if ((!same || k == 1) && *places[i])
			tm_strbuf_printf(out, " (%s)", places[i]);
	}
	if (same && k > 1 && *places[0])
		tm_strbuf_printf(out, ", all %s%s", strncmp(places[0], "namespace", 9) == 0 ? "in " : "", places[0]);
}

/* Cite every binding behind a capability the title lists: the first one behind a cluster-wide
 * capability first (the most dangerous part), else the first listed; then the rest, the ClusterRoles
 * aggregated into a bound role that give one (rbac_aggregated), and where the identity is first
 * named. */
static void cite_grants(tm_emit *e, const tm_node *n, const bool *listed)
{
	tm_loc named = e->nevidence ? e->evidence[0] : (tm_loc){NULL, 0, 0, NULL}, first = named;
	int best = -1;
	char ns[8];
	e->nevidence = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t f = 0; f < tm_node_fact_count(n); f++) {
			const tm_fact_loc *fl = tm_node_fact(n, f);
			int d = strcmp(fl->key, pass ? "rbac_aggregated" : "rbac_capabilities") == 0 ? dangerous_of(fl->value) : -1;
			if (d < 0 || !listed[d])
				continue;
			int rank = (cap_place(fl->value, ns, sizeof(ns)) ? 0 : (int)TM_ARRAY_LEN(dangerous)) + d;
			if (!pass && (best < 0 || rank < best)) {
				best = rank;
				first = fl->loc;
			}
			tm_emit_loc(e, fl->loc);
		}
	tm_emit_primary(e, first);
	tm_emit_loc(e, named);
}

void tm_rule__id_rbac_dangerous(tm_rule_ctx *c)
{
	EACH_NODE(c, n, TM_NODE_IDENTITY)
	{
		if (has_cap(n, "cluster-admin"))
			continue; /* TM-ID-005 */
		tm_strbuf sb = TM_STRBUF_INIT;
		bool strong = false, listed[TM_ARRAY_LEN(dangerous)] = {false};
		title_caps(c, &sb, n, listed, &strong);
		if (sb.len && !sb.oom) {
			const tm_node *user, *tokenless;
			tm_loc off = {NULL, 0, 0, NULL};
			size_t k = holders_of(c->m, n, &user, &tokenless, &off);
			tm_emit e;
			tm_emit_init(&e, n);
			cite_grants(&e, n, listed); /* the grants, not only where the identity is first named */
			if (user)
				tm_emit_path(&e, tm_node_id(user));
			else if (off.path)
				tm_emit_loc(&e, off);
			e.title = tm_rules__printf(c, "%s may %s%s%s", tm_node_id(n), sb.data, k ? "" : "; ",
						   k ? "" : unheld(c, tokenless));
			e.severity = k && strong ? -1 : TM_SEV_MEDIUM;
			tm_rules__emit(c, &e);
		} else if (sb.oom)
			tm_rules__oom(c);
		tm_strbuf_dispose(&sb);
	}
}

void tm_rule__id_cluster_admin(tm_rule_ctx *c)
{
	EACH_NODE(c, n, TM_NODE_IDENTITY)
	{
		if (!has_cap(n, "cluster-admin"))
			continue;
		const tm_node *user, *tokenless;
		tm_loc off = {NULL, 0, 0, NULL};
		size_t k = holders_of(c->m, n, &user, &tokenless, &off);
		tm_emit e;
		tm_emit_init(&e, n);
		const char *const *caps = tm_rules__list(n, "rbac_capabilities");
		const char *how = NULL; /* "binding any role": when no grant says "*" on "*" itself */
		bool outright = false;
		for (size_t i = 0; caps && caps[i]; i++)
			if (strncmp(caps[i], "cluster-admin ", 14) == 0) {
				tm_emit_primary(&e, tm_rules__fact_loc(n, "rbac_capabilities", caps[i]));
				const char *by = strstr(caps[i], ", by ");
				outright = outright || !by;
				if (by && !how) { /* up to its details, after ": " */
					size_t l = strcspn(by + 5, ")");
					const char *colon = strstr(by + 5, ": ");
					if (colon && (size_t)(colon - (by + 5)) < l)
						l = (size_t)(colon - (by + 5));
					how = tm_rules__printf(c, " by %.*s", (int)l, by + 5);
				}
			}
		if (outright || !how)
			how = "";
		if (user)
			tm_emit_path(&e, tm_node_id(user));
		else if (off.path)
			tm_emit_loc(&e, off);
		/* the grant still matters (a workload may mount the token later), but no compromise of a
		 * scanned workload yields it: graded as an identity nothing runs as */
		e.title = user ? tm_rules__printf(c, "%s is cluster-admin%s, and %s runs as it", tm_node_id(n), how,
						  tm_node_id(user))
			  : tokenless ? tm_rules__printf(c, "%s is cluster-admin%s; %s runs as it with no token mounted "
							 "(automountServiceAccountToken: false), so its compromise does not "
							 "yield the grant", tm_node_id(n), how, tm_node_id(tokenless))
				      : tm_rules__printf(c, "%s is cluster-admin%s", tm_node_id(n), how);
		e.severity = k ? -1 : TM_SEV_HIGH;
		tm_rules__emit(c, &e);
	}
}
