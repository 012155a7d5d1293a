/* cloud.c - cloud resources (from Terraform plans, states and configuration) and the pipelines that
 * reach them. */
#include <stdio.h>

#include "rules.h"

#define EACH_KIND(c, n, kind) TM_EACH_OF_KIND((c)->m, n, kind)

/* One finding listing every located fact of key, the first one primary. */
static void facts(tm_rule_ctx *c, const tm_node *n, const char *key, const char *what, int sev)
{
	tm_emit e;
	if (tm_rules__facts(c, &e, n, key, what, sev))
		tm_rules__emit(c, &e);
}

void tm_rule__cloud_role_trust(tm_rule_ctx *c)
{
	EACH_KIND(c, r, TM_NODE_IDENTITY)
	facts(c, r, "trust_wildcard", "trusts a wildcard subject",
	      tm_rules__list(r, "admin_policy") ? TM_SEV_CRITICAL : -1);
}

void tm_rule__cloud_admin_policy(tm_rule_ctx *c)
{
	EACH_KIND(c, r, TM_NODE_IDENTITY)
	facts(c, r, "admin_policy", "may do anything in the account", -1);
}

void tm_rule__cloud_public_store(tm_rule_ctx *c)
{
	EACH_KIND(c, s, TM_NODE_DATASTORE)
	{
		const char *cls = tm_node_attr_str(s, "classification");
		bool sensitive = cls && (strcmp(cls, "restricted") == 0 || strcmp(cls, "confidential") == 0);
		facts(c, s, "public_access", sensitive ? "holds restricted data and is reachable from the internet"
						       : "reachable from the internet",
		      sensitive ? TM_SEV_CRITICAL : -1);
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
		facts(c, n, "open_sensitive_ports", "the internet may connect to", all ? TM_SEV_HIGH : -1);
	}
}
