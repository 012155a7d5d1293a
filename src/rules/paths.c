/*
 * paths.c - attack paths that cross layers: from the internet, through the
 * routes and calls the policies allow, to an identity's dangerous grants, a
 * secret or restricted data. One finding per entry workload (a path family),
 * naming its most valuable target; the path is what `trustmap paths --from
 * internet` prints.
 */
#include <stdio.h>

#include "rules.h"
#include "trustmap/paths.h"

#define MIN_VALUE 60

void tm_rule__path_internet_to_secrets(tm_rule_ctx *c)
{
	tm_reach *r = NULL;
	const char *why = NULL;
	if (tm_reach_run(&r, c->m, "internet", &why)) {
		tm_reach_free(r);
		return;
	}
	size_t n = tm_reach_count(r);
	for (size_t i = 0; i < n; i++) {
		const tm_hop *h = tm_reach_at(r, i);
		const char *what = NULL;
		int v = tm_reach_value(c->m, h->node, &what);
		if (v < MIN_VALUE)
			continue;
		/* the chain back to the start; the family is its first workload */
		const tm_hop *chain[TM_EMIT_MAX];
		size_t len = 0;
		for (const tm_hop *x = h; x && len < TM_EMIT_MAX; x = x->from ? tm_reach_find(r, x->from) : NULL)
			chain[len++] = x;
		const tm_node *entry = NULL;
		for (size_t k = len; k-- > 0 && !entry;)
			if (tm_node_kind_of(chain[k]->node) == TM_NODE_SERVICE)
				entry = chain[k]->node;
		if (!entry)
			continue;
		/* keep only the most valuable target per entry: a later, better one replaces nothing,
		 * so look ahead for a better target of the same family */
		bool better = false;
		for (size_t j = 0; j < n && !better; j++) {
			const tm_hop *o = tm_reach_at(r, j);
			const char *w2;
			int v2 = tm_reach_value(c->m, o->node, &w2);
			if (v2 < v || (v2 == v && j >= i))
				continue;
			const tm_node *e2 = NULL;
			size_t guard = 0;
			for (const tm_hop *x = o; x && guard++ < 64; x = x->from ? tm_reach_find(r, x->from) : NULL)
				if (tm_node_kind_of(x->node) == TM_NODE_SERVICE)
					e2 = x->node;
			better = e2 == entry;
		}
		if (better)
			continue;
		tm_emit em;
		tm_emit_init(&em, entry);
		em.npath = 0;
		em.nevidence = 0;
		for (size_t k = len; k-- > 0;) {
			tm_emit_path(&em, tm_node_id(chain[k]->node));
			tm_emit_loc(&em, chain[k]->evidence);
		}
		em.title = tm_rules__printf(c, "from the internet through %s to %s (%s), %zu hops", tm_node_id(entry),
					    tm_node_id(h->node), what ? what : "valuable", len - 1);
		em.severity = v >= 90 ? TM_SEV_CRITICAL : TM_SEV_HIGH;
		tm_rules__emit(c, &em);
	}
	tm_reach_free(r);
}
