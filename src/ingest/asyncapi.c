/*
 * asyncapi.c - AsyncAPI 2.x and 3.x: channels become queue nodes, operations become
 * publishes/subscribes edges from the application that owns the document.
 *
 * Direction, which the two versions state differently:
 *   3.x: operation action "send" -> the application publishes; "receive" -> it subscribes.
 *   2.x: a channel's "subscribe" operation is what others may subscribe to, so the
 *        application publishes; its "publish" operation is what others may publish,
 *        so the application subscribes.
 * A queue's id is its address ("queue:orders.placed"), so a producer's document
 * and a consumer's document meet on one node.
 *
 * Each edge records the messages, the payload facts (classified like request and
 * response bodies), the message headers that make an event attributable or
 * replay-safe (ids, timestamps, signatures, correlation ids), and the security in
 * force: the operation's, else that of the channel's servers, else none.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "ingest.h"

struct doc {
	const tm_file *f;
	const tm_value *root;
	bool v3;
	tm_node *app;
	const char *how;
};

struct asyncapi {
	struct doc *docs;
	size_t n, cap;
	tm_arena *arena;
	tm_schema_walker schemas;
	tm_refs *refs;
};

static void *aa_begin(tm_ingest_ctx *ctx)
{
	struct asyncapi *s = tm_calloc(1, sizeof(*s));
	if (s)
		s->arena = ctx->scratch; /* shared: scan.c checks it for failed allocations */
	if (s) {
		s->refs = ctx->refs;
		tm_schema_walker_init(&s->schemas, ctx->refs, s->arena);
	}
	return s;
}

static void aa_end(void *state)
{
	struct asyncapi *s = state;
	if (!s)
		return;
	tm_free(s->docs);
	tm_schema_walker_dispose(&s->schemas);
	tm_free(s);
}

static bool aa_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
		   const char *detail)
{
	(void)ctx;
	struct asyncapi *s = state;
	if (!s || TM_GROW(s->docs, s->cap, s->n + 1))
		return false;
	struct doc *d = &s->docs[s->n++];
	memset(d, 0, sizeof(*d));
	d->f = f;
	d->root = root;
	d->v3 = detail && detail[0] == '3';
	return true;
}

static const tm_value *deref(struct asyncapi *s, const tm_file **f, const tm_value *v)
{
	return v ? tm_refs_deref(s->refs, f, v) : NULL;
}

/* ---- security ---------------------------------------------------------- */

static tm_authn scheme_authn(const char *type)
{
	static const struct {
		const char *type;
		tm_authn authn;
	} kinds[] = {
		{"userPassword", TM_AUTHN_BASIC},    {"plain", TM_AUTHN_BASIC},
		{"scramSha256", TM_AUTHN_BASIC},     {"scramSha512", TM_AUTHN_BASIC},
		{"apiKey", TM_AUTHN_API_KEY},        {"httpApiKey", TM_AUTHN_API_KEY},
		{"X509", TM_AUTHN_MTLS},             {"oauth2", TM_AUTHN_OAUTH2},
		{"openIdConnect", TM_AUTHN_OAUTH2},  {"gssapi", TM_AUTHN_UNKNOWN},
		{"symmetricEncryption", TM_AUTHN_UNKNOWN}, {"asymmetricEncryption", TM_AUTHN_UNKNOWN},
	};
	if (!type)
		return TM_AUTHN_UNKNOWN;
	if (strcmp(type, "http") == 0)
		return TM_AUTHN_JWT; /* bearer in practice; basic is userPassword's job */
	for (size_t i = 0; i < TM_ARRAY_LEN(kinds); i++)
		if (strcmp(type, kinds[i].type) == 0)
			return kinds[i].authn;
	return TM_AUTHN_UNKNOWN;
}

/*
 * A security list: 3.x holds scheme objects (or $refs to them); 2.x holds
 * requirement maps {schemeName: [scopes]} naming components.securitySchemes.
 * Returns the first scheme's authn (TM_AUTHN_NONE for an empty or absent list).
 */
static tm_authn security_list(tm_ingest_ctx *ctx, struct asyncapi *s, const struct doc *d,
			      const tm_value *list, tm_edge *e)
{
	tm_authn first = TM_AUTHN_NONE;
	const tm_file *sf = d->f;
	const tm_value *schemes = deref(s, &sf, tm_map_get(tm_map_get(d->root, "components"), "securitySchemes"));
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_file *f = d->f;
		const tm_value *item = deref(s, &f, tm_seq_at(list, i));
		if (!item)
			continue;
		const tm_value *scheme = item;
		if (!d->v3 || !tm_map_get(item, "type")) {
			/* a 2.x requirement: look the names up */
			for (size_t k = 0; k < tm_value_len(item); k++) {
				const char *name = tm_scalar_str(tm_map_key(item, k), NULL);
				const tm_value *def = name ? tm_map_get(schemes, name) : NULL;
				if (!def) {
					tm_diag_add(ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING,
						    tm_value_loc(f, tm_map_key(item, k)),
						    "security requirement names undefined scheme '%.80s'", name ? name : "");
					if (first == TM_AUTHN_NONE)
						first = TM_AUTHN_UNKNOWN;
					continue;
				}
				const tm_file *df = sf;
				scheme = deref(s, &df, def);
				const char *type = tm_map_get_str(scheme, "type");
				tm_mb_edge_list_add(ctx->mb, e, "auth_schemes", type ? type : "unknown");
				if (first == TM_AUTHN_NONE)
					first = scheme_authn(type);
			}
			continue;
		}
		const char *type = tm_map_get_str(scheme, "type");
		tm_mb_edge_list_add(ctx->mb, e, "auth_schemes", type ? type : "unknown");
		const tm_value *scopes = tm_map_get(scheme, "scopes");
		for (size_t k = 0; k < tm_value_len(scopes); k++) {
			const char *sc = tm_scalar_str(tm_seq_at(scopes, k), NULL);
			if (sc)
				tm_mb_edge_list_add(ctx->mb, e, "scopes", sc);
		}
		if (first == TM_AUTHN_NONE)
			first = scheme_authn(type);
	}
	return first;
}

/* The servers a channel is on: its own list (3.x refs, 2.x names), else all of them. */
static void channel_servers(struct asyncapi *s, const struct doc *d, const tm_value *channel,
			    const tm_value **out, size_t *n, size_t cap)
{
	const tm_file *sf = d->f;
	const tm_value *servers = deref(s, &sf, tm_map_get(d->root, "servers"));
	const tm_value *own = tm_map_get(channel, "servers");
	*n = 0;
	if (tm_value_len(own)) {
		for (size_t i = 0; i < tm_value_len(own) && *n < cap; i++) {
			const tm_value *item = tm_seq_at(own, i);
			const char *name = tm_scalar_str(item, NULL);
			const tm_file *f = name ? sf : d->f;
			const tm_value *srv = deref(s, &f, name ? tm_map_get(servers, name) : item);
			if (srv)
				out[(*n)++] = srv;
		}
		return;
	}
	for (size_t i = 0; i < tm_value_len(servers) && *n < cap; i++) {
		const tm_file *f = sf;
		const tm_value *srv = deref(s, &f, tm_map_value(servers, i));
		if (srv)
			out[(*n)++] = srv;
	}
}

/* ---- messages ---------------------------------------------------------- */

static void header_fact(tm_ingest_ctx *ctx, tm_edge *e, const char *name)
{
	char norm[96];
	size_t n = 0;
	for (const char *p = name; *p && n + 1 < sizeof(norm); p++)
		if (*p != '_' && *p != '-')
			norm[n++] = (char)tolower((unsigned char)*p);
	norm[n] = '\0';
	static const struct {
		const char *word, *what;
	} kinds[] = {
		{"messageid", "message-id"}, {"eventid", "message-id"}, {"id", "message-id"},
		{"timestamp", "timestamp"},  {"time", "timestamp"},     {"sentat", "timestamp"},
		{"createdat", "timestamp"},  {"signature", "signature"}, {"sig", "signature"},
		{"hmac", "signature"},       {"correlationid", "correlation-id"},
		{"nonce", "nonce"},          {"idempotencykey", "idempotency-key"},
	};
	/* custom headers often carry an x- prefix (x-signature) */
	const char *bare = norm[0] == 'x' && norm[1] ? norm + 1 : norm;
	for (size_t i = 0; i < TM_ARRAY_LEN(kinds); i++)
		if (strcmp(norm, kinds[i].word) == 0 || strcmp(bare, kinds[i].word) == 0)
			tm_mb_edge_list_add(ctx->mb, e, "replay_protection", kinds[i].what);
}

static void message(tm_ingest_ctx *ctx, struct asyncapi *s, const tm_file *f, const tm_value *mv,
		    const char *fallback, tm_edge *e)
{
	const char *ref = tm_map_get_str(mv, "$ref");
	if (!fallback && ref && strrchr(ref, '/'))
		fallback = strrchr(ref, '/') + 1;
	const tm_value *m = deref(s, &f, mv);
	if (!m)
		return;
	const tm_value *one_of = tm_map_get(m, "oneOf"); /* 2.x: a choice of messages */
	if (one_of) {
		for (size_t i = 0; i < tm_value_len(one_of); i++)
			message(ctx, s, f, tm_seq_at(one_of, i), fallback, e);
		return;
	}
	const char *name = tm_map_get_str(m, "name");
	if (!name)
		name = tm_map_get_str(m, "messageId");
	tm_mb_edge_list_add(ctx->mb, e, "messages", name ? name : fallback ? fallback : "message");
	/* payload: what the publisher may set, what a subscriber learns */
	const tm_facts *wr = tm_schema_facts(&s->schemas, f, tm_map_get(m, "payload"), TM_WALK_REQUEST);
	const tm_facts *rd = tm_schema_facts(&s->schemas, f, tm_map_get(m, "payload"), TM_WALK_RESPONSE);
	for (size_t i = 0; i < wr->n; i++) {
		const char *key = strcmp(wr->items[i].key, "privileged_writable") == 0 ||
					  strcmp(wr->items[i].key, "privileged_in_items") == 0
				  ? "privileged_fields"
				  : wr->items[i].key;
		tm_mb_edge_list_add(ctx->mb, e, key, wr->items[i].text);
	}
	for (size_t i = 0; i < rd->n; i++)
		tm_mb_edge_list_add(ctx->mb, e, "sensitive_fields", rd->items[i].text);
	/* the headers and correlation id: the message's own, then those its traits give it (a trait is
	 * merged into the message: a shared DefaultKafkaMessage trait carrying eventId and timestamp) */
	const tm_value *traits = tm_map_get(m, "traits");
	size_t ntraits = tm_value_kind_of(traits) == TM_VALUE_SEQ ? tm_value_len(traits) : 0;
	for (size_t t = 0; t <= ntraits && t <= 32; t++) {
		const tm_file *tf = f;
		const tm_value *src = t ? deref(s, &tf, tm_seq_at(traits, t - 1)) : m;
		const tm_file *hf = tf;
		const tm_value *headers = deref(s, &hf, tm_map_get(src, "headers"));
		const tm_value *props = tm_map_get(headers, "properties");
		for (size_t i = 0; i < tm_value_len(props); i++) {
			const char *h = tm_scalar_str(tm_map_key(props, i), NULL);
			if (h) {
				tm_mb_edge_list_add(ctx->mb, e, "message_headers", h);
				header_fact(ctx, e, h);
			}
		}
		if (tm_map_get(src, "correlationId"))
			tm_mb_edge_list_add(ctx->mb, e, "replay_protection", "correlation-id");
	}
	/* the payload's own top-level fields say it too (streetlights' sentAt) */
	const tm_file *pf = f;
	const tm_value *payload = deref(s, &pf, tm_map_get(m, "payload"));
	const tm_value *pprops = tm_map_get(payload, "properties");
	for (size_t i = 0; i < tm_value_len(pprops) && tm_value_kind_of(pprops) == TM_VALUE_MAP; i++) {
		const char *k = tm_scalar_str(tm_map_key(pprops, i), NULL);
		if (k)
			header_fact(ctx, e, k);
	}
}

/* ---- channels and operations ------------------------------------------- */

static tm_node *queue(tm_ingest_ctx *ctx, struct asyncapi *s, const struct doc *d, const tm_file *f,
		      const char *key, const tm_value *channel)
{
	const char *address = d->v3 ? tm_map_get_str(channel, "address") : key;
	if (!address)
		address = key; /* 3.x allows a null address: the channel's key names it */
	char *id = tm_arena_printf(s->arena, "queue:%s", address);
	if (!id)
		return NULL;
	const tm_value *srv[16];
	size_t ns;
	channel_servers(s, d, channel, srv, &ns, 16);
	/* a broker on a public host (mqtt://test.mosquitto.org): whoever is on the internet publishes
	 * and subscribes there, not only the cluster */
	bool public = ns > 0, secured = false;
	for (size_t i = 0; i < ns; i++) {
		const char *host = d->v3 ? tm_map_get_str(srv[i], "host") : tm_map_get_str(srv[i], "url");
		char h[256];
		const char *name = host ? tm_ingest__url_host(host, h, sizeof(h)) : NULL;
		/* example hosts (RFC 2606's example.com, a spec's dev.url) are placeholders, not a broker */
		public = public && name && tm_gw__public_host(name) && !tm_strcasecontains(name, "example.") &&
			 !tm_strcasecontains(name, ".url");
		secured = secured || tm_value_len(tm_map_get(srv[i], "security")) > 0;
	}
	tm_node *q = tm_mb_node(ctx->mb, TM_NODE_QUEUE, id, address, public ? "internet" : "cluster", tm_value_loc(f, channel));
	if (!q)
		return NULL;
	if (public) {
		tm_mb_boundary(ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
		tm_node *in = tm_ingest__internet(ctx);
		tm_edge *e = in ? tm_mb_edge(ctx->mb, in, q, TM_EDGE_PUBLISHES, tm_value_loc(f, channel)) : NULL;
		if (e) {
			tm_mb_edge_str(ctx->mb, e, "via", "a public broker");
			e->authn = secured ? TM_AUTHN_UNKNOWN : TM_AUTHN_NONE;
			e->authz = secured ? TM_AUTHZ_UNKNOWN : TM_AUTHZ_NONE;
		}
	} else {
		tm_mb_boundary(ctx->mb, TM_BOUNDARY_CLUSTER, "cluster", "Kubernetes cluster", NULL);
	}
	tm_mb_node_str(ctx->mb, q, "address", address);
	for (size_t i = 0; i < ns; i++) {
		const char *proto = tm_map_get_str(srv[i], "protocol");
		const char *host = d->v3 ? tm_map_get_str(srv[i], "host") : tm_map_get_str(srv[i], "url");
		if (proto)
			tm_mb_node_list_add(ctx->mb, q, "protocols", proto);
		if (host)
			tm_mb_node_list_add(ctx->mb, q, "brokers", host);
	}
	const tm_value *params = tm_map_get(channel, "parameters");
	for (size_t i = 0; i < tm_value_len(params); i++) {
		const char *name = tm_scalar_str(tm_map_key(params, i), NULL);
		const tm_file *pf = f;
		if (name && deref(s, &pf, tm_map_value(params, i)))
			tm_mb_node_list_add(ctx->mb, q, "parameters", name);
	}
	return q;
}

/* One operation: the edge, its security, and its messages (3.x: a list or map of messages). */
static tm_edge *operation(tm_ingest_ctx *ctx, struct asyncapi *s, const struct doc *d, tm_node *q,
			  const tm_file *f, const tm_value *channel, const tm_value *op, bool publishes,
			  const char *opname, const tm_value *messages, const tm_file *mf)
{
	tm_edge *e = tm_mb_edge(ctx->mb, d->app, q, publishes ? TM_EDGE_PUBLISHES : TM_EDGE_SUBSCRIBES,
				tm_value_loc(f, op));
	if (!e)
		return NULL;
	const char *opid = tm_map_get_str(op, "operationId");
	if (!opid)
		opid = opname;
	if (opid)
		tm_mb_edge_list_add(ctx->mb, e, "operations", opid);
	tm_mb_edge_str(ctx->mb, e, "spec", tm_file_path(d->f));
	/* security: the operation's, else the servers' */
	tm_authn authn = TM_AUTHN_NONE;
	const tm_value *sec = tm_map_get(op, "security");
	if (sec) {
		authn = security_list(ctx, s, d, sec, e);
		tm_mb_edge_str(ctx->mb, e, "security_source", "operation");
	} else {
		const tm_value *srv[16];
		size_t ns;
		channel_servers(s, d, channel, srv, &ns, 16);
		bool any = false, all = ns > 0;
		for (size_t i = 0; i < ns; i++) {
			const tm_value *ss = tm_map_get(srv[i], "security");
			if (tm_value_len(ss)) {
				tm_authn a = security_list(ctx, s, d, ss, e);
				if (!any)
					authn = a;
				any = true;
			} else {
				all = false;
			}
		}
		/* one server without security is a way in without credentials */
		if (any && !all)
			authn = TM_AUTHN_NONE;
		/* no server at all: the document describes no broker, so it cannot say how the broker
		 * admits publishers (unknown, not open) */
		if (!ns)
			authn = TM_AUTHN_UNKNOWN;
		tm_mb_edge_str(ctx->mb, e, "security_source", any ? "servers" : ns ? "none" : "no server described");
	}
	e->authn = authn;
	e->authz = authn == TM_AUTHN_NONE ? TM_AUTHZ_NONE : TM_AUTHZ_UNKNOWN;
	for (size_t i = 0; i < tm_value_len(messages); i++) {
		const char *key = tm_value_kind_of(messages) == TM_VALUE_MAP
					  ? tm_scalar_str(tm_map_key(messages, i), NULL) : NULL;
		const tm_value *m = tm_value_kind_of(messages) == TM_VALUE_MAP ? tm_map_value(messages, i)
									      : tm_seq_at(messages, i);
		message(ctx, s, mf, m, key, e);
	}
	return e;
}

static void ingest_v2(tm_ingest_ctx *ctx, struct asyncapi *s, const struct doc *d)
{
	const tm_value *channels = tm_map_get(d->root, "channels");
	for (size_t i = 0; i < tm_value_len(channels); i++) {
		const char *key = tm_scalar_str(tm_map_key(channels, i), NULL);
		const tm_file *f = d->f;
		const tm_value *ch = deref(s, &f, tm_map_value(channels, i));
		if (!key || !ch)
			continue;
		tm_node *q = queue(ctx, s, d, f, key, ch);
		if (!q)
			continue;
		/* "subscribe": others subscribe, so this application publishes */
		const tm_value *sub = tm_map_get(ch, "subscribe"), *pub = tm_map_get(ch, "publish");
		const tm_value *ops[2] = {sub, pub};
		for (int k = 0; k < 2; k++) {
			if (!ops[k])
				continue;
			tm_edge *e = operation(ctx, s, d, q, f, ch, ops[k], k == 0, NULL, NULL, f);
			const tm_value *m = tm_map_get(ops[k], "message");
			if (e && m)
				message(ctx, s, f, m, NULL, e);
		}
	}
}

static void ingest_v3(tm_ingest_ctx *ctx, struct asyncapi *s, const struct doc *d)
{
	const tm_value *ops = tm_map_get(d->root, "operations");
	for (size_t i = 0; i < tm_value_len(ops); i++) {
		const tm_file *of = d->f;
		const tm_value *op = deref(s, &of, tm_map_value(ops, i));
		const char *action = tm_map_get_str(op, "action");
		const tm_value *chref = tm_map_get(op, "channel");
		if (!op || !action || !chref)
			continue;
		const tm_file *cf = of;
		const tm_value *ch = deref(s, &cf, chref);
		if (!ch)
			continue;
		/* the channel's key: the last segment of its $ref, for channels without an address */
		const char *ref = tm_map_get_str(chref, "$ref");
		const char *key = ref && strrchr(ref, '/') ? strrchr(ref, '/') + 1 : tm_scalar_str(tm_map_key(ops, i), NULL);
		tm_node *q = queue(ctx, s, d, cf, key, ch);
		if (!q)
			continue;
		const tm_value *messages = tm_map_get(op, "messages");
		const tm_file *mf = of;
		if (!messages) {
			messages = tm_map_get(ch, "messages");
			mf = cf;
		}
		operation(ctx, s, d, q, of, ch, op, strcmp(action, "send") == 0,
			  tm_scalar_str(tm_map_key(ops, i), NULL), messages, mf);
	}
}

static void aa_finish(tm_ingest_ctx *ctx, void *state)
{
	struct asyncapi *s = state;
	if (!s)
		return;
	tm_link_index *ix = s->n ? tm_ingest__link_index(ctx) : NULL;
	for (size_t i = 0; i < s->n; i++) {
		/* without the index (out of memory, reported by the scan) no document is linked */
		s->docs[i].app = NULL;
		s->docs[i].how = NULL;
		if (ix)
			s->docs[i].app = tm_ingest__link_api(ctx, ix, s->arena, s->docs[i].f, s->docs[i].root,
							     false, &s->docs[i].how, NULL);
	}
	tm_ingest__link_index_free(ix);
	for (size_t i = 0; i < s->n; i++) {
		struct doc *d = &s->docs[i];
		const char *title = tm_map_get_str(tm_map_get(d->root, "info"), "title");
		tm_loc loc = tm_value_loc(d->f, d->root);
		if (!d->app) {
			/* one service per unlinked document: a second one with the same title is named by its path */
			char *id = tm_arena_printf(s->arena, "service:events/%s",
						   tm_ingest__slug(s->arena, title ? title : tm_file_path(d->f)));
			if (id && tm_mb_find(ctx->mb, id))
				id = tm_arena_printf(s->arena, "service:events/%s",
						     tm_ingest__slug(s->arena, tm_file_path(d->f)));
			d->app = id ? tm_mb_node(ctx->mb, TM_NODE_SERVICE, id, title ? title : id, NULL, loc) : NULL;
			if (!d->app)
				continue;
			tm_mb_node_bool(ctx->mb, d->app, "unlinked", true);
			d->how = "not linked: no workload matched (a service of its own)";
		} else {
			tm_mb_add_evidence(ctx->mb, d->app, loc);
		}
		tm_mb_node_list_add(ctx->mb, d->app, "event_specs", tm_file_path(d->f));
		tm_mb_node_str(ctx->mb, d->app, "event_spec_linked_by", d->how);
		if (d->v3)
			ingest_v3(ctx, s, d);
		else
			ingest_v2(ctx, s, d);
	}
}

const tm_ingester tm_ingest__asyncapi = {aa_begin, aa_doc, aa_finish, aa_end};
