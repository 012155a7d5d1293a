/* paths.c - attack paths that cross layers: an exposed workload whose identity holds the keys. */
#include <stdio.h>

#include "rules.h"

void tm_rule__path_internet_to_secrets(tm_rule_ctx *c)
{
	static const char *const keys[] = {"cluster-admin", "namespace-admin", "read-secrets", "pod-exec",
					   "create-workloads", "impersonate", "create-tokens"};
	const tm_model *m = c->m;
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) != TM_EDGE_RUNS_AS)
			continue;
		const tm_node *w = tm_edge_from(e), *id = tm_edge_to(e);
		const char *const *caps = tm_rules__list(id, "rbac_capabilities");
		if (!caps || !tm_rules__internet_facing(m, w))
			continue;
		const char *hit = NULL;
		for (size_t k = 0; k < TM_ARRAY_LEN(keys) && !hit; k++)
			for (size_t j = 0; caps[j] && !hit; j++)
				if (strncmp(caps[j], keys[k], strlen(keys[k])) == 0)
					hit = caps[j];
		if (!hit)
			continue;
		tm_emit em;
		tm_emit_init(&em, w);
		em.path[0] = "entrypoint:internet";
		em.path[1] = tm_node_id(w);
		em.path[2] = tm_node_id(id);
		em.npath = 3;
		tm_emit_loc(&em, tm_rules__fact_loc(id, "rbac_capabilities", hit));
		em.title = tm_rules__printf(c, "internet-facing %s runs as %s, which may %s", tm_node_id(w), tm_node_id(id), hit);
		em.severity = strncmp(hit, "cluster-admin", 13) == 0 ? TM_SEV_CRITICAL : -1;
		tm_rules__emit(c, &em);
	}
}
