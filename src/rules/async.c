/* async.c - channels: who may publish, what consumers trust. */
#include <stdio.h>

#include "rules.h"

#define EACH_EDGE(c, e, kind)                                                                      \
	for (size_t i_ = 0; i_ < tm_model_edge_count((c)->m); i_++)                                \
		for (const tm_edge *e = tm_model_edge((c)->m, i_); e; e = NULL)                    \
			if (tm_edge_kind_of(e) == (kind))

void tm_rule__async_open_channel(tm_rule_ctx *c)
{
	/* a channel whose operations declare no security: whoever reaches the broker may publish */
	TM_EACH_OF_KIND(c->m, q, TM_NODE_QUEUE) {
		const tm_edge *open = NULL;
		size_t cur = 0;
		for (const tm_edge *e; !open && (e = tm_rules__in_edge(c->m, q, -1, &cur));) {
			if (tm_edge_authn(e) == TM_AUTHN_NONE &&
			    (tm_edge_kind_of(e) == TM_EDGE_PUBLISHES || tm_edge_kind_of(e) == TM_EDGE_SUBSCRIBES))
				open = e;
		}
		if (!open)
			continue;
		tm_emit em;
		tm_emit_init(&em, q);
		em.path[0] = tm_node_id(q);
		em.path[1] = tm_node_id(tm_edge_from(open));
		em.npath = 2;
		if (tm_edge_evidence_count(open))
			tm_emit_loc(&em, tm_edge_evidence(open, 0));
		em.title = tm_rules__printf(c, "%s: no security on the channel, anyone who reaches the broker can publish",
					    tm_node_id(q));
		/* the channels one application declares without security fold into one finding */
		em.fold = tm_node_id(tm_edge_from(open));
		em.fold_label = tm_node_id(tm_edge_from(open));
		em.fold_noun = "channels";
		em.fold_what = "declare no security: anyone who reaches the broker can publish";
		em.fold_wide = "*"; /* every application's: one finding (the brokers' security) */
		tm_rules__emit(c, &em);
	}
}

/* A finding about a consumer of a channel: path channel -> consumer, anchored on both; one
 * consumer's channels with the same weakness fold into one finding (what). */
static void consumer_finding(tm_rule_ctx *c, const tm_edge *e, const char *title, const char *what)
{
	const tm_node *q = tm_edge_to(e), *consumer = tm_edge_from(e);
	tm_emit em;
	tm_emit_init(&em, q);
	em.path[0] = tm_node_id(q);
	em.path[1] = tm_node_id(consumer);
	em.npath = 2;
	if (tm_edge_evidence_count(e))
		tm_emit_loc(&em, tm_edge_evidence(e, 0));
	em.key = tm_node_id(consumer);
	em.title = title;
	em.fold = tm_node_id(consumer);
	em.fold_label = tm_node_id(consumer);
	em.fold_noun = "channels";
	em.fold_what = what;
	em.fold_wide = "*";
	tm_rules__emit(c, &em);
}

void tm_rule__async_no_replay_protection(tm_rule_ctx *c)
{
	EACH_EDGE(c, e, TM_EDGE_SUBSCRIBES)
	{
		if (tm_edge_attr_get(e, "replay_protection"))
			continue;
		consumer_finding(c, e, tm_rules__printf(c, "%s consumes %s: messages carry no id, timestamp or signature",
							tm_node_id(tm_edge_from(e)), tm_node_id(tm_edge_to(e))),
				 "are consumed with no message id, timestamp or signature (replays go unnoticed)");
	}
}

void tm_rule__async_bypass(tm_rule_ctx *c)
{
	EACH_EDGE(c, e, TM_EDGE_SUBSCRIBES)
	{
		const tm_attr *pf = tm_edge_attr_get(e, "privileged_fields");
		if (!pf || pf->type != TM_ATTR_LIST || !pf->list || !pf->list[0] || tm_edge_authn(e) != TM_AUTHN_NONE)
			continue;
		consumer_finding(c, e, tm_rules__printf(c, "%s acts on %s, whose unauthenticated messages carry the decision '%s'",
							tm_node_id(tm_edge_from(e)), tm_node_id(tm_edge_to(e)), pf->list[0]),
				 "carry decisions in unauthenticated messages the consumer acts on");
	}
}
