/*
 * k8s_strimzi.c - Strimzi's Kafka resources (kafka.strimzi.io): Kafka, KafkaNodePool, KafkaUser,
 * KafkaTopic (docs/inputs.md, "Strimzi").
 *
 * A Kafka resource is a broker the operator runs, modelled as stores.c models a broker known by its
 * image: a workload node "service:<ns>/<cluster>-kafka" (workload "Kafka", the operator's pods) with
 * a queue node "queue:<ns>/<cluster>-kafka" beside it (store kafka, runs_in, a `writes` edge "runs
 * the store"). The Services the operator makes for it (<cluster>-kafka-bootstrap,
 * <cluster>-kafka-brokers, <cluster>-kafka-<listener>-bootstrap) resolve to the workload, so a
 * client naming my-cluster-kafka-bootstrap:9092 calls the broker; a scanned Service of that name wins.
 *
 * Each spec.kafka.listeners[] entry is a way in: a `listeners` fact on the queue node ("<name>
 * <port> <type> tls|plaintext auth=<type>|none"); one without authentication a `no_auth` fact
 * (TM-DATA-002). Listeners of type loadbalancer, nodeport, route and ingress are reached from
 * beyond the cluster: a routes edge from the internet (the private network when the listener's
 * bootstrap annotations, or the external bootstrap Service template's, mark an internal load
 * balancer, as for a LoadBalancer Service) to the workload, carrying the listener, its port, tls and
 * authentication. spec.kafka.authorization absent with some listener authenticating: `no_authorization`.
 *
 * A KafkaUser is an identity "identity:kafka:<ns>/<user>" with its authentication and ACLs
 * (`kafka_acls` facts, `kafka_acls_wide` for one on topic "*" or with operation All), granted on the
 * cluster's queue node. A KafkaTopic is a queue node "queue:<topicName>" (where AsyncAPI channels of
 * that address meet it), held by the broker.
 */
#include <stdio.h>
#include <strings.h>

#include "k8s.h"

static const char *cluster_of(const struct tm_k8s_obj *o)
{
	return tm_map_get_str(tm_map_get(tm_map_get(o->v, "metadata"), "labels"), "strimzi.io/cluster");
}

static char *broker_id(struct tm_k8s *k, const char *prefix, const char *ns, const char *cluster)
{
	return tm_arena_printf(k->arena, "%s:%s/%s-kafka", prefix, ns, cluster);
}

static tm_authn listener_authn(const char *type)
{
	if (!type)
		return TM_AUTHN_NONE;
	if (strcmp(type, "tls") == 0 || strcmp(type, "tls-external") == 0)
		return TM_AUTHN_MTLS;
	if (strncmp(type, "scram-sha-", 10) == 0)
		return TM_AUTHN_BASIC;
	if (strcmp(type, "oauth") == 0)
		return TM_AUTHN_OAUTH2;
	return TM_AUTHN_UNKNOWN; /* custom */
}

/* Is a listener of this type reached from beyond the cluster? */
static bool external_type(const char *type)
{
	return type && (strcmp(type, "loadbalancer") == 0 || strcmp(type, "nodeport") == 0 ||
			strcmp(type, "route") == 0 || strcmp(type, "ingress") == 0);
}

/* One listener: its fact, its no_auth fact, and its way in from outside. */
static void listener(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, tm_node *w, tm_node *q,
		     const tm_value *l, const tm_value *ext_ann, bool authorized, bool *some_auth, bool *open_any, bool *open_outside)
{
	const char *name = tm_map_get_str(l, "name"), *port = tm_map_get_str(l, "port"), *type = tm_map_get_str(l, "type");
	const tm_value *auth = tm_map_get(l, "authentication");
	const char *atype = tm_map_get_str(auth, "type");
	bool tls = false;
	if (tm_scalar_bool(tm_map_get(l, "tls"), &tls))
		tls = false; /* Strimzi's default */
	tm_loc at = tm_ingest__loc(o->f, l);
	tm_mb_node_fact(ctx->mb, q, "listeners",
			tm_arena_printf(k->arena, "%s %s %s %s auth=%s", name ? name : "?", port ? port : "?",
					type ? type : "?", tls ? "tls" : "plaintext", atype ? atype : "none"),
			at);
	bool outside = external_type(type);
	*some_auth = *some_auth || atype;
	if (!atype) {
		tm_mb_node_fact(ctx->mb, q, "no_auth",
				tm_arena_printf(k->arena, "listener %s (%s, %s%s) has no authentication%s", name ? name : "?",
						port ? port : "?", type ? type : "?", tls ? "" : ", plaintext",
						authorized ? "; its clients are User:ANONYMOUS, refused what no ACL grants them"
							   : ""),
				tm_ingest__loc(o->f, tm_map_get(l, "name") ? tm_map_get(l, "name") : l));
		*open_any = true;
		*open_outside = *open_outside || outside;
	}
	if (!outside)
		return;
	const char *internal = NULL;
	const tm_value *bann = tm_map_get(tm_map_get(tm_map_get(l, "configuration"), "bootstrap"), "annotations");
	const tm_value *mark = tm_ingest__internal_lb_mark(k->arena, bann, &internal);
	if (!mark && strcmp(type, "loadbalancer") == 0)
		mark = tm_ingest__internal_lb_mark(k->arena, ext_ann, &internal);
	tm_node *in = mark ? tm_ingest__private_network(ctx) : tm_ingest__internet(ctx);
	tm_edge *e = in ? tm_mb_edge(ctx->mb, in, w, TM_EDGE_ROUTES, tm_ingest__loc(o->f, tm_map_get(l, "type"))) : NULL;
	if (!e)
		return;
	tm_mb_edge_str(ctx->mb, e, "via", tm_arena_printf(k->arena, "Strimzi listener %s (%s)", name ? name : "?", type));
	tm_mb_edge_list_add(ctx->mb, e, "listeners", name ? name : "?");
	if (port)
		tm_mb_edge_list_add(ctx->mb, e, "ports", port);
	if (!tls)
		tm_mb_edge_list_add(ctx->mb, e, "plaintext_listeners",
				    tm_arena_printf(k->arena, "%s (%s, %s)", name ? name : "?", port ? port : "?", type));
	if (internal)
		tm_mb_edge_str(ctx->mb, e, "internal", internal);
	/* the weakest of the listeners on one edge */
	tm_authn a = listener_authn(atype);
	if (tm_edge_evidence_count(e) == 1 || a == TM_AUTHN_NONE)
		e->authn = a;
	e->authz = authorized ? TM_AUTHZ_POLICY : TM_AUTHZ_NONE;
	if (name && !mark)
		tm_k8s__operator_service(k, o->ns, tm_arena_printf(k->arena, "%s-kafka-%s-bootstrap", o->name, name), w);
}

static void kafka(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(tm_map_get(o->v, "spec"), "kafka");
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	const char *bnd = tm_k8s__ns_boundary(ctx, k, o->ns);
	char *wid = broker_id(k, "service", o->ns, o->name), *qid = broker_id(k, "queue", o->ns, o->name);
	char *wname = tm_arena_printf(k->arena, "%s-kafka", o->name);
	tm_node *w = wid && wname ? tm_mb_node(ctx->mb, TM_NODE_SERVICE, wid, wname, bnd, loc) : NULL;
	tm_node *q = w && qid ? tm_mb_node(ctx->mb, TM_NODE_QUEUE, qid, wname, bnd, loc) : NULL;
	if (!q)
		return;
	tm_mb_node_str(ctx->mb, w, "namespace", o->ns);
	tm_mb_node_str(ctx->mb, w, "workload", "Kafka");
	tm_mb_node_str(ctx->mb, w, "operator", "strimzi");
	tm_mb_node_str(ctx->mb, w, "runs_store", qid);
	tm_mb_node_str(ctx->mb, q, "namespace", o->ns);
	tm_mb_node_str(ctx->mb, q, "store", "kafka");
	tm_mb_node_str(ctx->mb, q, "runs_in", wid);
	tm_mb_node_str(ctx->mb, q, "inferred_from", tm_arena_printf(k->arena, "Strimzi Kafka %s", o->name));
	tm_mb_node_str(ctx->mb, q, "kafka_cluster", o->name);
	tm_edge *runs = tm_mb_edge(ctx->mb, w, q, TM_EDGE_WRITES, loc);
	if (runs)
		tm_mb_edge_str(ctx->mb, runs, "how", "runs the store");
	const tm_value *authz = tm_map_get(spec, "authorization");
	const char *aztype = tm_map_get_str(authz, "type");
	if (aztype)
		tm_mb_node_str(ctx->mb, q, "authorization", aztype);
	const tm_value *ext_ann = tm_map_get(
		tm_map_get(tm_map_get(tm_map_get(spec, "template"), "externalBootstrapService"), "metadata"), "annotations");
	const tm_value *ls = tm_map_get(spec, "listeners");
	if (ls && tm_value_kind_of(ls) != TM_VALUE_SEQ) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, ls),
			    "Kafka '%s': spec.kafka.listeners is not a list, which the Strimzi operator refuses; no "
			    "listener is read",
			    o->name);
		ls = NULL;
	}
	bool some_auth = false, open = false, open_outside = false;
	for (size_t i = 0; i < tm_value_len(ls); i++)
		listener(ctx, k, o, w, q, tm_seq_at(ls, i), ext_ann, aztype != NULL, &some_auth, &open, &open_outside);
	tm_mb_node_str(ctx->mb, q, "auth", open ? "none" : tm_value_len(ls) ? "configured" : "unknown");
	/* the anonymous ways in are all inside the cluster: the broker's exposure is not theirs */
	if (open && !open_outside)
		tm_mb_node_bool(ctx->mb, q, "no_auth_internal_only", true);
	if (!aztype && some_auth)
		tm_mb_node_fact(ctx->mb, q, "no_authorization",
				"spec.kafka.authorization absent: every client that authenticates may read, write and "
				"alter every topic",
				tm_ingest__loc(o->f, spec ? spec : o->v));
	tm_k8s__operator_service(k, o->ns, tm_arena_printf(k->arena, "%s-kafka-bootstrap", o->name), w);
	tm_k8s__operator_service(k, o->ns, tm_arena_printf(k->arena, "%s-kafka-brokers", o->name), w);
}

/* A node pool with the broker role: its replicas are the broker's pods. */
static void node_pool(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	const char *cluster = cluster_of(o);
	char *wid = cluster ? broker_id(k, "service", o->ns, cluster) : NULL;
	tm_node *w = wid ? tm_mb_find(ctx->mb, wid) : NULL;
	const tm_value *roles = tm_map_get(tm_map_get(o->v, "spec"), "roles");
	bool broker = false;
	for (size_t i = 0; i < tm_value_len(roles); i++)
		broker = broker || tm_strcaseeq(tm_scalar_str(tm_seq_at(roles, i), NULL), "broker");
	if (!w || !broker)
		return;
	tm_mb_node_fact(ctx->mb, w, "node_pools", o->name, tm_ingest__loc(o->f, o->v));
}

/* "topic my-topic (literal): Read" for each operation of one ACL; wide ones also as kafka_acls_wide. */
static void acl(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, tm_node *id, const tm_value *a,
		tm_strbuf *scope)
{
	const tm_value *res = tm_map_get(a, "resource");
	const char *rtype = tm_map_get_str(res, "type"), *rname = tm_map_get_str(res, "name");
	const char *pattern = tm_map_get_str(res, "patternType");
	if (!rtype)
		return;
	if (!rname)
		rname = strcmp(rtype, "cluster") == 0 ? "kafka-cluster" : "?";
	/* `operation` (one) or `operations` (a list, Strimzi 0.26 on) */
	const tm_value *ops = tm_map_get(a, "operations");
	const tm_value *one = tm_map_get(a, "operation");
	size_t n = ops ? tm_value_len(ops) : one ? 1 : 0;
	for (size_t i = 0; i < n; i++) {
		const tm_value *ov = ops ? tm_seq_at(ops, i) : one;
		const char *op = tm_scalar_str(ov, NULL);
		if (!op)
			continue;
		const char *text = tm_arena_printf(k->arena, "%s on %s %s (%s)", op, rtype, rname, pattern ? pattern : "literal");
		tm_loc at = tm_ingest__loc(o->f, ov);
		tm_mb_node_fact(ctx->mb, id, "kafka_acls", text, at);
		bool every_topic = strcmp(rtype, "topic") == 0 && strcmp(rname, "*") == 0;
		if (every_topic || tm_strcaseeq(op, "All"))
			tm_mb_node_fact(ctx->mb, id, "kafka_acls_wide", text, at);
		tm_strbuf_printf(scope, "%s%s on %s %s", scope->len ? "; " : "", op, rtype, rname);
	}
}

static void user(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	char *id = tm_arena_printf(k->arena, "identity:kafka:%s/%s", o->ns, o->name);
	tm_node *n = id ? tm_mb_node(ctx->mb, TM_NODE_IDENTITY, id, o->name, tm_k8s__ns_boundary(ctx, k, o->ns),
				     tm_ingest__loc(o->f, o->v))
			: NULL;
	if (!n)
		return;
	const char *cluster = cluster_of(o);
	tm_mb_node_str(ctx->mb, n, "namespace", o->ns);
	tm_mb_node_str(ctx->mb, n, "identity_type", "kafka-user");
	tm_mb_node_bool(ctx->mb, n, "declared", true);
	if (cluster)
		tm_mb_node_str(ctx->mb, n, "kafka_cluster", cluster);
	const char *auth = tm_map_get_str(tm_map_get(spec, "authentication"), "type");
	tm_mb_node_str(ctx->mb, n, "authentication", auth ? auth : "none");
	const tm_value *authz = tm_map_get(spec, "authorization");
	const tm_value *acls = tm_map_get(authz, "acls");
	tm_strbuf scope = TM_STRBUF_INIT;
	for (size_t i = 0; i < tm_value_len(acls); i++)
		acl(ctx, k, o, n, tm_seq_at(acls, i), &scope);
	if (scope.oom)
		tm_arena_set_failed(k->arena);
	tm_mb_node_str(ctx->mb, n, "scope", scope.len ? scope.data : authz ? "no ACL" : "no authorization given");
	tm_strbuf_dispose(&scope);
	char *qid = cluster ? broker_id(k, "queue", o->ns, cluster) : NULL;
	tm_node *q = qid ? tm_mb_find(ctx->mb, qid) : NULL;
	tm_edge *e = q ? tm_mb_edge(ctx->mb, n, q, TM_EDGE_GRANTED, tm_ingest__loc(o->f, acls ? acls : o->v)) : NULL;
	if (e)
		tm_mb_edge_str(ctx->mb, e, "how", "Kafka ACLs (KafkaUser)");
}

static void topic(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const char *name = tm_map_get_str(spec, "topicName");
	if (!name)
		name = o->name;
	char *id = tm_arena_printf(k->arena, "queue:%s", name);
	tm_node *t = id ? tm_mb_node(ctx->mb, TM_NODE_QUEUE, id, name, tm_k8s__ns_boundary(ctx, k, o->ns),
				     tm_ingest__loc(o->f, o->v))
			: NULL;
	if (!t)
		return;
	tm_mb_node_str(ctx->mb, t, "address", name);
	tm_mb_node_list_add(ctx->mb, t, "protocols", "kafka");
	const char *cluster = cluster_of(o);
	if (!cluster)
		return;
	tm_mb_node_str(ctx->mb, t, "kafka_cluster", cluster);
	tm_mb_node_list_add(ctx->mb, t, "brokers", tm_arena_printf(k->arena, "%s-kafka-bootstrap", cluster));
	char *wid = broker_id(k, "service", o->ns, cluster);
	tm_node *w = wid ? tm_mb_find(ctx->mb, wid) : NULL;
	tm_edge *e = w ? tm_mb_edge(ctx->mb, w, t, TM_EDGE_WRITES, tm_ingest__loc(o->f, o->v)) : NULL;
	if (e)
		tm_mb_edge_str(ctx->mb, e, "how", "holds the topic");
}

void tm_k8s__strimzi(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	/* the clusters first: node pools, users and topics name theirs */
	for (size_t i = 0; i < k->n; i++)
		if (tm_k8s__is(&k->objs[i], "StrimziKafka"))
			kafka(ctx, k, &k->objs[i]);
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		if (tm_k8s__is(o, "StrimziKafkaNodePool"))
			node_pool(ctx, k, o);
		else if (tm_k8s__is(o, "StrimziKafkaUser"))
			user(ctx, k, o);
		else if (tm_k8s__is(o, "StrimziKafkaTopic"))
			topic(ctx, k, o);
	}
}
