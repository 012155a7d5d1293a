/*
 * overlay.c - trustmap.yaml: what no manifest can say (CONTRACT.md).
 *
 *   assets        name, classification (public|internal|confidential|restricted),
 *                 data (kinds), stores (node names) -> classification on those
 *                 nodes (a store no input declares becomes a datastore node)
 *   owners        service -> team                -> `owner` on the service
 *   entrypoints   name, kind, host, targets, description -> a partner
 *                 boundary and entry point, routed to the gateway serving host
 *   third_parties name, host, data              -> external node, third_party
 *   invariants    endpoint ("METHOD /path"), rule, service -> on that endpoint
 *   assumptions   text                          -> the report's assumptions
 *   accepted      fingerprint, owner, rationale, expires, review
 *
 * Every key is optional. Every problem is a diagnostic at the offending value
 * (unknown keys, wrong types, bad enums and dates, names that match nothing),
 * and the rest of the file still applies. Runs after every other format, so
 * the nodes it annotates exist.
 */
#include <ctype.h>
#include <stdio.h>

#include "ingest.h"

struct odoc {
	const tm_file *f;
	const tm_value *v;
};

struct overlay {
	struct odoc *docs;
	size_t n, cap;
	tm_arena *arena;
};

static void *ov_begin(tm_ingest_ctx *ctx)
{
	struct overlay *o = tm_calloc(1, sizeof(*o));
	if (o)
		o->arena = ctx->scratch; /* shared: scan.c checks it for failed allocations */
	return o;
}

static void ov_end(void *state)
{
	struct overlay *o = state;
	if (!o)
		return;
	tm_free(o->docs);
	tm_free(o);
}

static bool ov_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
		   const char *detail)
{
	(void)ctx;
	(void)detail;
	struct overlay *o = state;
	if (!o || TM_GROW(o->docs, o->cap, o->n + 1))
		return false;
	o->docs[o->n++] = (struct odoc){f, root};
	return true;
}

typedef struct {
	tm_ingest_ctx *ctx;
	struct overlay *o;
	const tm_file *f;
} ov;

static void problem(ov *c, const tm_value *at, const char *fmt, const char *a, const char *b)
{
	tm_diag_add(c->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(c->f, at), fmt, a, b);
}

static bool is_kind(const tm_value *v, tm_value_kind k)
{
	return v && tm_value_kind_of(v) == k;
}

/* Warn about keys outside allowed (NULL-terminated). */
static void known_keys(ov *c, const tm_value *map, const char *what, const char *const *allowed)
{
	for (size_t i = 0; i < tm_value_len(map); i++) {
		const char *k = tm_scalar_str(tm_map_key(map, i), NULL);
		bool ok = false;
		for (const char *const *a = allowed; k && *a; a++)
			ok = ok || strcmp(k, *a) == 0;
		if (!ok) {
			tm_strbuf sb = TM_STRBUF_INIT;
			for (const char *const *a = allowed; *a; a++)
				tm_strbuf_printf(&sb, "%s%s", a == allowed ? "" : ", ", *a);
			problem(c, tm_map_key(map, i), "unknown key '%s' (expected one of: %s)", k ? k : "?",
				sb.data ? sb.data : "");
			tm_strbuf_dispose(&sb);
			(void)what;
		}
	}
}

/* A required or optional string field; NULL (diagnosed when required or mistyped) if unusable. */
static const char *str_field(ov *c, const tm_value *map, const char *key, bool required)
{
	const tm_value *v = tm_map_get(map, key);
	if (!v) {
		if (required)
			problem(c, map, "missing '%s'%s", key, "");
		return NULL;
	}
	if (!is_kind(v, TM_VALUE_SCALAR) || tm_scalar_type_of(v) == TM_SCALAR_NULL) {
		problem(c, v, "'%s' must be a string%s", key, "");
		return NULL;
	}
	return tm_scalar_str(v, NULL);
}

/* A list of strings (a single string is accepted as a list of one). */
static const char *const *str_list(ov *c, const tm_value *map, const char *key)
{
	const tm_value *v = tm_map_get(map, key);
	if (!v)
		return NULL;
	size_t n = is_kind(v, TM_VALUE_SEQ) ? tm_value_len(v) : 1;
	/* in the model's arena: assets keep these lists */
	const char **out = tm_arena_alloc(tm_mb_policy(c->ctx->mb)->arena, (n + 1) * sizeof(char *));
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const tm_value *item = is_kind(v, TM_VALUE_SEQ) ? tm_seq_at(v, i) : v;
		if (!is_kind(item, TM_VALUE_SCALAR)) {
			problem(c, item, "'%s' must list strings%s", key, "");
			continue;
		}
		out[k++] = tm_mb_strdup(c->ctx->mb, tm_scalar_str(item, NULL));
	}
	out[k] = NULL;
	return out;
}

static const tm_value *seq_section(ov *c, const tm_value *root, const char *key)
{
	const tm_value *v = tm_map_get(root, key);
	if (v && !is_kind(v, TM_VALUE_SEQ)) {
		problem(c, v, "'%s' must be a list%s", key, "");
		return NULL;
	}
	return v;
}

/* Nodes whose name (or "ns/name") is name, of the given kinds (0: any). */
static size_t nodes_named(ov *c, const char *name, unsigned kinds, tm_node **out, size_t max)
{
	const tm_model *m = tm_mb_model(c->ctx->mb);
	size_t n = 0;
	for (size_t i = 0; i < tm_model_node_count(m) && n < max; i++) {
		const tm_node *cn = tm_model_node(m, i);
		if (kinds && !(kinds & (1u << tm_node_kind_of(cn))))
			continue;
		const char *id = tm_node_id(cn);
		const char *colon = strchr(id, ':');
		const char *tail = colon ? colon + 1 : id;
		if (strcmp(tm_node_name(cn), name) == 0 || strcmp(tail, name) == 0)
			out[n++] = tm_mb_find(c->ctx->mb, id);
	}
	return n;
}

static void assets(ov *c, const tm_value *root)
{
	static const char *const keys[] = {"name", "classification", "data", "stores", "description", NULL};
	static const char *const classes[] = {"public", "internal", "confidential", "restricted"};
	const tm_value *list = seq_section(c, root, "assets");
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *a = tm_seq_at(list, i);
		if (!is_kind(a, TM_VALUE_MAP)) {
			problem(c, a, "an asset is a mapping with name and classification%s%s", "", "");
			continue;
		}
		known_keys(c, a, "asset", keys);
		const char *name = str_field(c, a, "name", true);
		const char *cls = str_field(c, a, "classification", true);
		bool ok = false;
		for (size_t k = 0; cls && k < TM_ARRAY_LEN(classes); k++)
			ok = ok || strcmp(cls, classes[k]) == 0;
		if (cls && !ok)
			problem(c, tm_map_get(a, "classification"),
				"classification '%s' is not one of public, internal, confidential, restricted%s", cls, "");
		if (!name || !ok)
			continue;
		tm_asset *as = tm_mb_asset(c->ctx->mb);
		if (!as)
			return;
		as->name = tm_mb_strdup(c->ctx->mb, name);
		as->classification = tm_mb_strdup(c->ctx->mb, cls);
		as->data = str_list(c, a, "data");
		as->stores = str_list(c, a, "stores");
		as->loc = tm_ingest__loc(c->f, a);
		for (size_t s = 0; as->stores && as->stores[s]; s++) {
			tm_node *hits[16];
			unsigned kinds = 1u << TM_NODE_DATASTORE | 1u << TM_NODE_SERVICE | 1u << TM_NODE_QUEUE |
					 1u << TM_NODE_EXTERNAL;
			size_t n = nodes_named(c, as->stores[s], kinds, hits, 16);
			if (!n) {
				char *id = tm_arena_printf(c->o->arena, "datastore:%s", as->stores[s]);
				tm_mb_boundary(c->ctx->mb, TM_BOUNDARY_CLUSTER, "cluster", "Kubernetes cluster", NULL);
				hits[0] = id ? tm_mb_node(c->ctx->mb, TM_NODE_DATASTORE, id, as->stores[s], "cluster", as->loc) : NULL;
				if (hits[0])
					tm_mb_node_str(c->ctx->mb, hits[0], "declared_by", "trustmap.yaml (no input declares this store)");
				n = hits[0] ? 1 : 0;
			}
			for (size_t h = 0; h < n; h++) {
				tm_mb_node_fact(c->ctx->mb, hits[h], "assets", name, as->loc);
				tm_mb_node_str(c->ctx->mb, hits[h], "classification", cls);
				if (tm_node_attr_str(hits[h], "classification_source")) /* a store's default, overridden */
					tm_mb_node_str(c->ctx->mb, hits[h], "classification_source", "trustmap.yaml");
				for (size_t d = 0; as->data && as->data[d]; d++)
					tm_mb_node_list_add(c->ctx->mb, hits[h], "data", as->data[d]);
			}
		}
	}
}

static void owners(ov *c, const tm_value *root)
{
	const tm_value *map = tm_map_get(root, "owners");
	if (map && !is_kind(map, TM_VALUE_MAP)) {
		problem(c, map, "'owners' maps a service to its team%s%s", "", "");
		return;
	}
	for (size_t i = 0; i < tm_value_len(map); i++) {
		const char *svc = tm_scalar_str(tm_map_key(map, i), NULL);
		const tm_value *tv = tm_map_value(map, i);
		const char *team = is_kind(tv, TM_VALUE_SCALAR) ? tm_scalar_str(tv, NULL) : NULL;
		if (!svc || !team || !*team) {
			problem(c, tv, "owner of '%s' must be a team name%s", svc ? svc : "?", "");
			continue;
		}
		tm_node *hits[64];
		size_t n = nodes_named(c, svc, 1u << TM_NODE_SERVICE, hits, 64);
		if (!n)
			tm_diag_add(c->ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING, tm_ingest__loc(c->f, tm_map_key(map, i)),
				    "owners: no scanned service is named '%s'", svc);
		const tm_model *m = tm_mb_model(c->ctx->mb);
		for (size_t h = 0; h < n; h++) {
			tm_mb_node_str(c->ctx->mb, hits[h], "owner", team);
			tm_mb_node_str(c->ctx->mb, hits[h], "owner_source", "trustmap.yaml");
			tm_mb_add_evidence(c->ctx->mb, hits[h], tm_ingest__loc(c->f, tv));
			/* a service's endpoints belong to its team */
			for (size_t k = 0; k < tm_model_node_count(m); k++) {
				const tm_node *ep = tm_model_node(m, k);
				const char *of = tm_node_attr_str(ep, "service");
				if (tm_node_kind_of(ep) != TM_NODE_ENDPOINT || !of || strcmp(of, tm_node_id(hits[h])) != 0)
					continue;
				tm_node *e = tm_mb_find(c->ctx->mb, tm_node_id(ep));
				tm_mb_node_str(c->ctx->mb, e, "owner", team);
				tm_mb_node_str(c->ctx->mb, e, "owner_source", "trustmap.yaml");
			}
		}
	}
}

/* The gateway nodes whose hosts include host. */
static size_t gateways_for(ov *c, const char *host, tm_node **out, size_t max)
{
	const tm_model *m = tm_mb_model(c->ctx->mb);
	size_t n = 0;
	for (size_t i = 0; i < tm_model_node_count(m) && n < max; i++) {
		const tm_node *g = tm_model_node(m, i);
		const tm_attr *hosts = tm_node_kind_of(g) == TM_NODE_GATEWAY ? tm_node_attr_get(g, "hosts") : NULL;
		for (size_t h = 0; hosts && hosts->list && hosts->list[h]; h++)
			if (strcmp(hosts->list[h], host) == 0 || strcmp(hosts->list[h], "*") == 0) {
				out[n++] = tm_mb_find(c->ctx->mb, tm_node_id(g));
				break;
			}
	}
	return n;
}

static void entrypoints(ov *c, const tm_value *root)
{
	static const char *const keys[] = {"name", "kind", "host", "targets", "description", NULL};
	static const char *const kinds[] = {"partner", "vpn", "internal", "public"};
	const tm_value *list = seq_section(c, root, "entrypoints");
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *e = tm_seq_at(list, i);
		if (!is_kind(e, TM_VALUE_MAP)) {
			problem(c, e, "an entry point is a mapping with name and kind%s%s", "", "");
			continue;
		}
		known_keys(c, e, "entry point", keys);
		const char *name = str_field(c, e, "name", true);
		const char *kind = str_field(c, e, "kind", false);
		if (!kind)
			kind = "partner";
		bool ok = false;
		for (size_t k = 0; k < TM_ARRAY_LEN(kinds); k++)
			ok = ok || strcmp(kind, kinds[k]) == 0;
		if (!ok)
			problem(c, tm_map_get(e, "kind"), "entry point kind '%s' is not one of partner, vpn, internal, public%s",
				kind, "");
		if (!name || !ok)
			continue;
		tm_loc loc = tm_ingest__loc(c->f, e);
		char *bid = tm_arena_printf(c->o->arena, "partner:%s", name);
		char *nid = tm_arena_printf(c->o->arena, "entrypoint:%s:%s", kind, name);
		if (!bid || !nid)
			return;
		tm_mb_boundary(c->ctx->mb, TM_BOUNDARY_PARTNER, bid, name, NULL);
		tm_node *n = tm_mb_node(c->ctx->mb, TM_NODE_ENTRYPOINT, nid, name, bid, loc);
		if (!n)
			return;
		tm_mb_node_str(c->ctx->mb, n, "position", kind);
		const char *desc = str_field(c, e, "description", false);
		if (desc)
			tm_mb_node_str(c->ctx->mb, n, "description", desc);
		tm_node *to[32];
		size_t nt = 0;
		const char *host = str_field(c, e, "host", false);
		if (host) {
			tm_mb_node_str(c->ctx->mb, n, "host", host);
			nt = gateways_for(c, host, to, 32);
		}
		const char *const *targets = str_list(c, e, "targets");
		for (size_t t = 0; targets && targets[t] && nt < 32; t++) {
			size_t got = nodes_named(c, targets[t], 0, to + nt, 32 - nt);
			if (!got)
				tm_diag_add(c->ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING, loc,
					    "entry point '%s': no scanned node is named '%s'", name, targets[t]);
			nt += got;
		}
		if (!nt)
			tm_diag_add(c->ctx->diags, 0, TM_LEVEL_NOTE, loc,
				    "entry point '%s' reaches nothing in the model (no gateway serves its host; "
				    "name its targets)", name);
		for (size_t t = 0; t < nt; t++) {
			tm_edge *ed = tm_mb_edge(c->ctx->mb, n, to[t], TM_EDGE_ROUTES, loc);
			if (ed)
				tm_mb_edge_str(c->ctx->mb, ed, "via", "trustmap.yaml entry point");
		}
	}
}

static void third_parties(ov *c, const tm_value *root)
{
	static const char *const keys[] = {"name", "host", "data", "description", NULL};
	const tm_value *list = seq_section(c, root, "third_parties");
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *t = tm_seq_at(list, i);
		if (!is_kind(t, TM_VALUE_MAP)) {
			problem(c, t, "a third party is a mapping with name and host%s%s", "", "");
			continue;
		}
		known_keys(c, t, "third party", keys);
		const char *name = str_field(c, t, "name", true);
		const char *host = str_field(c, t, "host", true);
		if (!name || !host)
			continue;
		tm_loc loc = tm_ingest__loc(c->f, t);
		char *id = tm_arena_printf(c->o->arena, "external:%s", host);
		tm_mb_boundary(c->ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
		tm_node *n = id ? tm_mb_node(c->ctx->mb, TM_NODE_EXTERNAL, id, host, "internet", loc) : NULL;
		if (!n)
			return;
		tm_mb_node_str(c->ctx->mb, n, "third_party", name);
		const char *const *data = str_list(c, t, "data");
		for (size_t d = 0; data && data[d]; d++)
			tm_mb_node_fact(c->ctx->mb, n, "data", data[d], loc);
	}
}

static void invariants(ov *c, const tm_value *root)
{
	static const char *const keys[] = {"endpoint", "rule", "service", NULL};
	const tm_value *list = seq_section(c, root, "invariants");
	const tm_model *m = tm_mb_model(c->ctx->mb);
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *v = tm_seq_at(list, i);
		if (!is_kind(v, TM_VALUE_MAP)) {
			problem(c, v, "an invariant is a mapping with endpoint and rule%s%s", "", "");
			continue;
		}
		known_keys(c, v, "invariant", keys);
		const char *ep = str_field(c, v, "endpoint", true);
		const char *rule = str_field(c, v, "rule", true);
		const char *svc = str_field(c, v, "service", false);
		if (!ep || !rule)
			continue;
		char method[16];
		int off = 0;
		if (sscanf(ep, "%15[A-Za-z] %n", method, &off) != 1 || !off || ep[off] != '/') {
			problem(c, tm_map_get(v, "endpoint"), "endpoint '%s' should read 'METHOD /path'%s", ep, "");
			continue;
		}
		for (char *p = method; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		const char *path = ep + off;
		size_t hits = 0;
		for (size_t k = 0; k < tm_model_node_count(m); k++) {
			const tm_node *n = tm_model_node(m, k);
			const char *nm = tm_node_attr_str(n, "method"), *np = tm_node_attr_str(n, "path");
			const char *ns = tm_node_attr_str(n, "service");
			if (tm_node_kind_of(n) != TM_NODE_ENDPOINT || !nm || !np || strcmp(nm, method) != 0 ||
			    strcmp(np, path) != 0 || (svc && (!ns || !strstr(ns, svc))))
				continue;
			tm_mb_node_fact(c->ctx->mb, tm_mb_find(c->ctx->mb, tm_node_id(n)), "invariants", rule,
					tm_ingest__loc(c->f, v));
			hits++;
		}
		if (!hits)
			tm_diag_add(c->ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING, tm_ingest__loc(c->f, v),
				    "invariant for '%s': no scanned API has that endpoint", ep);
	}
}

static void assumptions(ov *c, const tm_value *root)
{
	const tm_value *list = seq_section(c, root, "assumptions");
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *v = tm_seq_at(list, i);
		if (!is_kind(v, TM_VALUE_SCALAR)) {
			problem(c, v, "an assumption is one sentence%s%s", "", "");
			continue;
		}
		tm_assumption *a = tm_mb_assumption(c->ctx->mb);
		if (!a)
			return;
		a->text = tm_mb_strdup(c->ctx->mb, tm_scalar_str(v, NULL));
		a->loc = tm_ingest__loc(c->f, v);
	}
}

static void accepted(ov *c, const tm_value *root)
{
	static const char *const keys[] = {"fingerprint", "owner", "rationale", "expires", "review", NULL};
	const tm_value *list = seq_section(c, root, "accepted");
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *v = tm_seq_at(list, i);
		if (!is_kind(v, TM_VALUE_MAP)) {
			problem(c, v, "an accepted risk is a mapping with fingerprint, owner, rationale and expires%s%s", "", "");
			continue;
		}
		known_keys(c, v, "accepted risk", keys);
		const char *fp = str_field(c, v, "fingerprint", true);
		const char *owner = str_field(c, v, "owner", true);
		const char *why = str_field(c, v, "rationale", true);
		const char *expires = str_field(c, v, "expires", true);
		const char *review = str_field(c, v, "review", false);
		bool ok = fp && owner && why && expires;
		if (expires && !tm_date_valid(expires)) {
			problem(c, tm_map_get(v, "expires"), "expires '%s' is not a date (YYYY-MM-DD)%s", expires, "");
			ok = false;
		}
		if (review && !tm_date_valid(review)) {
			problem(c, tm_map_get(v, "review"), "review '%s' is not a date (YYYY-MM-DD)%s", review, "");
			ok = false;
		}
		if (ok && review && strcmp(review, expires) > 0)
			problem(c, tm_map_get(v, "review"), "review date %s is after the expiry %s", review, expires);
		if (!ok)
			continue;
		tm_accepted_risk *r = tm_mb_accepted(c->ctx->mb);
		if (!r)
			return;
		r->fingerprint = tm_mb_strdup(c->ctx->mb, fp);
		r->owner = tm_mb_strdup(c->ctx->mb, owner);
		r->rationale = tm_mb_strdup(c->ctx->mb, why);
		r->expires = tm_mb_strdup(c->ctx->mb, expires);
		r->review = tm_mb_strdup(c->ctx->mb, review);
		r->loc = tm_ingest__loc(c->f, v);
	}
}

/* suppress: silence a rule (an id or a prefix: TM-CTR-, TM-CTR-*) where paths or a namespace say,
 * with an owner, a reason and an expiry, as an accepted risk for every finding it takes. */
static void suppress(ov *c, const tm_value *root)
{
	static const char *const keys[] = {"rule", "paths", "namespace", "owner", "reason", "expires", NULL};
	const tm_value *list = seq_section(c, root, "suppress");
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *v = tm_seq_at(list, i);
		if (!is_kind(v, TM_VALUE_MAP)) {
			problem(c, v, "a suppression is a mapping with rule, owner, reason and expires (paths, namespace optional)%s%s",
				"", "");
			continue;
		}
		known_keys(c, v, "suppression", keys);
		const char *rule = str_field(c, v, "rule", true);
		const char *owner = str_field(c, v, "owner", true);
		const char *why = str_field(c, v, "reason", true);
		const char *expires = str_field(c, v, "expires", true);
		const char *ns = str_field(c, v, "namespace", false);
		bool ok = rule && owner && why && expires;
		if (rule && strncmp(rule, "TM-", 3) != 0) {
			problem(c, tm_map_get(v, "rule"), "rule '%s' is not a rule id or prefix (TM-CTR-004, TM-CTR-*)%s", rule, "");
			ok = false;
		}
		if (expires && !tm_date_valid(expires)) {
			problem(c, tm_map_get(v, "expires"), "expires '%s' is not a date (YYYY-MM-DD)%s", expires, "");
			ok = false;
		}
		if (!ok)
			continue;
		tm_accepted_risk *r = tm_mb_accepted(c->ctx->mb);
		if (!r)
			return;
		r->rule = tm_mb_strdup(c->ctx->mb, rule);
		r->paths = str_list(c, v, "paths");
		r->ns = tm_mb_strdup(c->ctx->mb, ns);
		r->owner = tm_mb_strdup(c->ctx->mb, owner);
		r->rationale = tm_mb_strdup(c->ctx->mb, why);
		r->expires = tm_mb_strdup(c->ctx->mb, expires);
		r->loc = tm_ingest__loc(c->f, v);
	}
}

bool tm_ingest__dns_label(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* systems: the deployment variants named by hand (read by the scan's plan, src/ingest/scan.c; here
 * only checked, so a mistake is said where it is). */
static void systems(ov *c, const tm_value *root)
{
	static const char *const keys[] = {"name", "include", "exclude", "values", "namespace", "release_name", NULL};
	const tm_value *list = seq_section(c, root, "systems");
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *v = tm_seq_at(list, i);
		if (!is_kind(v, TM_VALUE_MAP)) {
			problem(c, v, "a system is a mapping (name, include, exclude, values, namespace)%s%s", "", "");
			continue;
		}
		known_keys(c, v, "system", keys);
		str_field(c, v, "name", true);
		if (!tm_map_get(v, "include"))
			problem(c, v, "a system needs 'include': the globs of its files%s%s", "", "");
		for (int k = 1; k < 4; k++)
			tm_ingest__seq_of_scalars(c->ctx, c->f, tm_map_get(v, keys[k]), keys[k]);
		const char *ns = str_field(c, v, "namespace", false);
		if (ns && !tm_ingest__dns_label(ns))
			problem(c, tm_map_get(v, "namespace"),
				"namespace '%.100s' is no Kubernetes namespace name (a DNS label: a-z, 0-9, '-'; at most 63): "
				"the system's charts render into \"default\"%s", ns, "");
		const char *rel = str_field(c, v, "release_name", false);
		if (rel && !tm_ingest__dns_label(rel))
			problem(c, tm_map_get(v, "release_name"),
				"release_name '%.100s' is no Helm release name (lowercase letters, digits and '-'): the "
				"system's charts render as \"release-name\"%s", rel, "");
	}
}

static void ov_finish(tm_ingest_ctx *ctx, void *state)
{
	static const char *const keys[] = {"assets", "owners", "entrypoints", "third_parties", "invariants",
					   "assumptions", "accepted", "systems", "suppress", NULL};
	struct overlay *o = state;
	for (size_t i = 0; o && i < o->n; i++) {
		ov c = {ctx, o, o->docs[i].f};
		const tm_value *root = o->docs[i].v;
		if (!is_kind(root, TM_VALUE_MAP)) {
			problem(&c, root, "the overlay is a mapping of sections (assets, owners, ...)%s%s", "", "");
			continue;
		}
		known_keys(&c, root, "overlay", keys);
		assets(&c, root);
		owners(&c, root);
		entrypoints(&c, root);
		third_parties(&c, root);
		invariants(&c, root);
		assumptions(&c, root);
		accepted(&c, root);
		suppress(&c, root);
		systems(&c, root);
	}
}

const tm_ingester tm_ingest__overlay = {ov_begin, ov_doc, ov_finish, ov_end};
