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
		/* a channel's consumer: a task worker's broker (ingest/queues.c) declares no messages */
		if (tm_edge_attr_get(e, "replay_protection") || tm_node_kind_of(tm_edge_to(e)) != TM_NODE_QUEUE)
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

/* ---- brokers' own settings (Strimzi's Kafka resources, ingest/k8s_strimzi.c) ----------------- */

/* TM-MESH-013's share: a broker listener reached from the internet that serves plaintext (the edge's
 * plaintext_listeners). Called from tm_rule__mesh_plaintext_entry. */
void tm_rules__plaintext_listeners(tm_rule_ctx *c)
{
	const tm_node *in = tm_model_find(c->m, "entrypoint:internet");
	size_t nout = 0;
	const tm_edge *const *out = in ? tm_model__outgoing(c->m, in, &nout) : NULL;
	for (size_t i = 0; i < nout; i++) {
		const tm_edge *e = out[i];
		const tm_attr *pl = tm_edge_attr_get(e, "plaintext_listeners");
		if (tm_edge_kind_of(e) != TM_EDGE_ROUTES || !pl || pl->type != TM_ATTR_LIST || !pl->list[0])
			continue;
		const tm_node *w = tm_edge_to(e);
		tm_emit em;
		tm_emit_init(&em, w);
		em.nevidence = 0;
		if (tm_edge_evidence_count(e))
			tm_emit_loc(&em, tm_edge_evidence(e, 0));
		tm_emit_loc(&em, tm_rules__manifest_loc(w));
		em.path[0] = "entrypoint:internet";
		em.path[1] = tm_node_id(w);
		em.npath = 2;
		em.key = pl->list[0];
		em.title = tm_rules__printf(c, "%s serves the internet without TLS: listener %s%s", tm_node_id(w), pl->list[0],
					    pl->list[1] ? " and others" : "");
		em.action = "Set `tls: true` on every listener reached from outside the cluster (Strimzi issues the "
			    "certificates, or names yours in `configuration.brokerCertChainAndKey`), with "
			    "`authentication` (tls or scram-sha-512); keep plaintext listeners `type: internal`.";
		tm_emit_fold_namespace(c, &em, "serve the internet without TLS");
		em.fold_noun = "gateways";
		tm_rules__emit(c, &em);
	}
}

/* TM-ID-001's share: a broker that authenticates clients and authorizes none (no_authorization).
 * Called from tm_rule__id_identity_as_authz. */
void tm_rules__broker_no_authz(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, q, TM_NODE_QUEUE) {
		const char *const *why = tm_rules__list(q, "no_authorization");
		if (!why || !why[0])
			continue;
		tm_emit em;
		tm_emit_init(&em, q);
		em.nevidence = 0;
		tm_emit_loc(&em, tm_rules__fact_loc(q, "no_authorization", why[0]));
		tm_emit_path(&em, tm_node_attr_str(q, "runs_in"));
		em.title = tm_rules__printf(c, "%s authenticates its clients but authorizes none: %s", tm_node_id(q), why[0]);
		em.action = "Set `spec.kafka.authorization` (type simple, or your authorizer) and give each KafkaUser "
			    "ACLs on its own topics and groups only.";
		tm_rules__emit(c, &em);
	}
}

/* TM-ASYNC-004: a broker user whose ACLs reach every topic or every operation (kafka_acls_wide). */
void tm_rule__async_broker_acl_wide(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, id, TM_NODE_IDENTITY) {
		const char *const *wide = tm_rules__list(id, "kafka_acls_wide");
		if (!wide || !wide[0])
			continue;
		tm_emit em;
		tm_emit_init(&em, id);
		em.nevidence = 0;
		tm_strbuf sb = TM_STRBUF_INIT;
		for (size_t i = 0; wide[i]; i++) {
			tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", wide[i]);
			tm_emit_loc(&em, tm_rules__fact_loc(id, "kafka_acls_wide", wide[i]));
		}
		size_t nout = 0;
		const tm_edge *const *out = tm_model__outgoing(c->m, id, &nout);
		for (size_t i = 0; i < nout; i++)
			if (tm_edge_kind_of(out[i]) == TM_EDGE_GRANTED)
				tm_emit_path(&em, tm_node_id(tm_edge_to(out[i])));
		/* the whole topic space, or every operation (Alter, Delete, AlterConfigs) on what it names */
		bool every_topic = strstr(sb.data ? sb.data : "", " topic * (") != NULL;
		em.title = tm_rules__printf(c, "%s may %s (%s)", tm_node_id(id),
					    every_topic ? "act on every topic of the cluster" : "perform every operation, deletion and configuration included",
					    sb.data ? sb.data : "");
		tm_strbuf_dispose(&sb);
		tm_emit_fold_namespace(c, &em, "hold broker ACLs on every topic or every operation");
		em.fold_noun = "broker users";
		tm_rules__emit(c, &em);
	}
}

/* ---- TM-ASYNC-005: what an event hands every subscriber ------------------------------------- */

/* One finding per channel whose messages carry sensitive fields (the edges' sensitive_fields, what a
 * subscriber learns): every consumer of the topic, and the broker that retains it, holds them. Graded
 * by who can subscribe: anyone who reaches the broker (an operation or server without security), or
 * anyone on the internet (a broker outside the cluster) make secrets high; subscribers that
 * authenticate leave personal data low. The channels of one application fold. */
void tm_rule__async_sensitive_payload(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, q, TM_NODE_QUEUE) {
		const char *f[16];
		size_t nf = 0, cur = 0;
		bool secret = false, open = false, unknown = false;
		const tm_edge *first = NULL;
		for (const tm_edge *e; (e = tm_rules__in_edge(c->m, q, -1, &cur));) {
			tm_edge_kind k = tm_edge_kind_of(e);
			const tm_attr *sf = tm_edge_attr_get(e, "sensitive_fields");
			if ((k != TM_EDGE_PUBLISHES && k != TM_EDGE_SUBSCRIBES) || !sf || sf->type != TM_ATTR_LIST || !sf->list[0])
				continue;
			first = first ? first : e;
			open = open || tm_edge_authn(e) == TM_AUTHN_NONE;
			unknown = unknown || tm_edge_authn(e) == TM_AUTHN_UNKNOWN;
			for (size_t i = 0; sf->list[i]; i++) {
				bool seen = false;
				for (size_t j = 0; j < nf && !seen; j++)
					seen = strcmp(f[j], sf->list[i]) == 0;
				if (seen || nf + 1 >= TM_ARRAY_LEN(f))
					continue;
				f[nf++] = sf->list[i];
				secret = secret || tm_rules__secret_field(sf->list[i]);
			}
		}
		if (!first)
			continue;
		/* a channel on a public broker (asyncapi.c places it in the internet's boundary) */
		bool internet = tm_node_boundary(q) && strcmp(tm_node_boundary(q), "internet") == 0;
		/* secrets first: they decide the grade and are what the title must name */
		tm_strbuf sb = TM_STRBUF_INIT;
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < nf; i++)
				if (tm_rules__secret_field(f[i]) == (pass == 0))
					tm_strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", f[i]);
		/* a public broker is anyone's only where the channel states no security */
		const char *who = internet && open ? "anyone on the internet can subscribe (the broker is a public host, "
						     "the channel states no security)"
				  : open   ? "no security on the channel: anyone who reaches the broker can subscribe"
				  : unknown ? "how subscribers authenticate is not described"
					    : "subscribers authenticate to the broker";
		tm_emit em;
		tm_emit_init(&em, q);
		em.nevidence = 0;
		if (tm_edge_evidence_count(first))
			tm_emit_loc(&em, tm_edge_evidence(first, 0));
		tm_emit_loc(&em, tm_node_evidence_count(q) ? tm_node_evidence(q, 0) : (tm_loc){0});
		em.path[0] = tm_node_id(q);
		em.path[1] = tm_node_id(tm_edge_from(first));
		em.npath = 2;
		em.title = tm_rules__printf(c, "%s: every consumer receives %s (and the broker retains them); %s", tm_node_id(q),
					    sb.data ? sb.data : "", who);
		em.severity = secret && open ? TM_SEV_HIGH : !secret && !open && !internet ? TM_SEV_LOW : -1;
		tm_strbuf_dispose(&sb);
		em.fold = tm_node_id(tm_edge_from(first));
		em.fold_label = tm_node_id(tm_edge_from(first));
		em.fold_noun = "channels";
		em.fold_what = "carry sensitive fields to every consumer";
		em.fold_wide = "*";
		tm_rules__emit(c, &em);
	}
}
