/* cloud.c - CI/CD pipelines and cloud resources (from GitHub Actions and Terraform plans, states and
 * configuration). */
#include <stdio.h>

#include "rules.h"

#define EACH_KIND(c, n, kind)                                                                      \
	for (size_t i_ = 0; i_ < tm_model_node_count((c)->m); i_++)                                \
		for (const tm_node *n = tm_model_node((c)->m, i_); n; n = NULL)                    \
			if (tm_node_kind_of(n) == (kind))

static const char *joined(tm_rule_ctx *c, const char *const *l)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; l && l[i]; i++)
		tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", l[i]);
	const char *r = tm_rules__printf(c, "%s", sb.data ? sb.data : "");
	tm_strbuf_dispose(&sb);
	return r;
}

/* A workflow's finding folds with the same rule's on the other workflows of its directory
 * (.github/workflows): the repository's settings and habits are the shared cause. */
static void fold_workflows(tm_rule_ctx *c, tm_emit *e, const char *what)
{
	const tm_loc at = tm_rules__manifest_loc(e->subject);
	if (!at.path)
		return;
	const char *slash = strrchr(at.path, '/');
	const char *dir = slash ? tm_rules__printf(c, "%.*s", (int)(slash - at.path), at.path) : ".";
	e->fold = tm_rules__printf(c, "workflows:%s", dir);
	e->fold_label = dir;
	e->fold_noun = "workflows";
	e->fold_what = what;
	e->fold_wide = "*"; /* the directories of one system (vendored repositories): one finding */
	e->fold_places = "workflow directories";
}

/* One finding listing every located fact of key, the first one primary; fold: see fold_workflows. */
static void facts(tm_rule_ctx *c, const tm_node *n, const char *key, const char *what, int sev, const char *fold)
{
	const char *const *l = tm_rules__list(n, key);
	if (!l)
		return;
	tm_emit e;
	tm_emit_init(&e, n);
	e.nevidence = 0;
	for (size_t i = 0; l[i]; i++)
		tm_emit_loc(&e, tm_rules__fact_loc(n, key, l[i]));
	tm_emit_loc(&e, tm_rules__manifest_loc(n));
	e.title = tm_rules__printf(c, "%s: %s (%s)", tm_node_id(n), what, joined(c, l));
	e.severity = sev;
	if (fold)
		fold_workflows(c, &e, fold);
	tm_rules__emit(c, &e);
}

void tm_rule__cicd_untrusted_code(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		const char *const *trig = tm_rules__list(p, "untrusted_triggers");
		const char *const *co = tm_rules__list(p, "checks_out_untrusted");
		if (!trig || !co)
			continue;
		bool power = tm_rules__list(p, "secrets_used") || tm_rules__list(p, "write_permissions") ||
			     tm_rules__list(p, "cloud_roles");
		tm_emit e;
		tm_emit_init(&e, p);
		e.nevidence = 0; /* the checkout of the pull request's code is the judged fact, then the trigger */
		tm_emit_loc(&e, tm_rules__fact_loc(p, "checks_out_untrusted", NULL));
		tm_emit_loc(&e, tm_rules__fact_loc(p, "untrusted_triggers", NULL));
		tm_emit_loc(&e, tm_rules__fact_loc(p, "secrets_used", NULL));
		tm_emit_loc(&e, tm_rules__fact_loc(p, "write_permissions", NULL));
		tm_emit_loc(&e, tm_rules__manifest_loc(p));
		e.title = tm_rules__printf(c, "%s runs pull-request code on %s%s", tm_node_id(p), trig[0],
					   power ? " with secrets, a write token or a cloud role in reach" : "");
		e.severity = power ? -1 : TM_SEV_HIGH;
		tm_rules__emit(c, &e);
	}
}

void tm_rule__cicd_unpinned_actions(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	facts(c, p, "unpinned_actions", "actions not pinned to a commit", -1, "use actions not pinned to a commit");
}

void tm_rule__cicd_broad_token(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		const char *const *w = tm_rules__list(p, "write_permissions");
		bool all = false;
		for (size_t i = 0; w && w[i]; i++)
			all = all || strcmp(w[i], "workflow") == 0 || !strchr(w[i], ':');
		if (w)
			facts(c, p, "write_permissions", all ? "token granted write-all" : "token granted write scopes",
			      all ? TM_SEV_HIGH : -1, "grant their token broad or default permissions");
		else
			facts(c, p, "default_permissions", "token permissions left to the repository default", TM_SEV_LOW,
			      "grant their token broad or default permissions");
	}
}

void tm_rule__cicd_script_injection(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	facts(c, p, "script_injection", "expands attacker-controlled text into a script", -1, NULL);
}

void tm_rule__cloud_role_trust(tm_rule_ctx *c)
{
	EACH_KIND(c, r, TM_NODE_IDENTITY)
	facts(c, r, "trust_wildcard", "trusts a wildcard subject",
	      tm_rules__list(r, "admin_policy") ? TM_SEV_CRITICAL : -1, NULL);
}

void tm_rule__cloud_admin_policy(tm_rule_ctx *c)
{
	EACH_KIND(c, r, TM_NODE_IDENTITY)
	facts(c, r, "admin_policy", "may do anything in the account", -1, NULL);
}

void tm_rule__cloud_public_store(tm_rule_ctx *c)
{
	EACH_KIND(c, s, TM_NODE_DATASTORE)
	{
		const char *cls = tm_node_attr_str(s, "classification");
		bool sensitive = cls && (strcmp(cls, "restricted") == 0 || strcmp(cls, "confidential") == 0);
		facts(c, s, "public_access", sensitive ? "holds restricted data and is reachable from the internet"
						       : "reachable from the internet",
		      sensitive ? TM_SEV_CRITICAL : -1, NULL);
	}
}

void tm_rule__cicd_to_cloud_admin(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const tm_node *p = tm_edge_from(e), *role = tm_edge_to(e);
		if (tm_edge_kind_of(e) != TM_EDGE_DEPLOYS || tm_node_kind_of(p) != TM_NODE_PIPELINE ||
		    !tm_rules__list(p, "untrusted_triggers") || !tm_rules__list(role, "admin_policy"))
			continue;
		tm_emit em;
		tm_emit_init(&em, p);
		tm_emit_path(&em, tm_node_id(role));
		if (tm_edge_evidence_count(e)) /* the line where the workflow takes the role */
			tm_emit_primary(&em, tm_edge_evidence(e, 0));
		tm_emit_loc(&em, tm_rules__fact_loc(role, "admin_policy", NULL));
		tm_emit_loc(&em, tm_rules__fact_loc(role, "trust_wildcard", NULL));
		em.key = tm_node_id(role);
		em.title = tm_rules__printf(c, "a pull request reaches %s (administrator) through %s", tm_node_id(role), tm_node_id(p));
		tm_rules__emit(c, &em);
	}
}

/* One finding per firewall (its entry point), listing each world-open rule that lets in a sensitive
 * port; every port of a group open is the graver case. */
void tm_rule__cloud_open_admin_port(tm_rule_ctx *c)
{
	EACH_KIND(c, n, TM_NODE_ENTRYPOINT)
	{
		const char *const *l = tm_rules__list(n, "open_sensitive_ports");
		bool all = false;
		for (size_t i = 0; l && l[i]; i++)
			all = all || strcmp(l[i], "all ports") == 0;
		facts(c, n, "open_sensitive_ports", "the internet may connect to", all ? TM_SEV_HIGH : -1, NULL);
	}
}
