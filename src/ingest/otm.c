/*
 * otm.c - Open Threat Model (OTM) documents, 0.1 and 0.2 (JSON or YAML, recognised by their
 * "otmVersion"): another tool's threat model, or trustmap's own `--format otm` export, read back
 * as model facts. The mapping, both ways, is in docs/otm.md:
 *
 *   trustZones  -> boundaries  id and name kept; kind from `type` (or attributes
 *                              "trustmap.kind"), else from the trust rating; parent zones kept
 *   components  -> nodes       id = the component's id; kind from `type` (a trustmap kind, or a
 *                              word in it: database, queue, gateway, client...), else service;
 *                              boundary = the zone it sits in (through parent components)
 *   dataflows   -> edges       source -> destination; kind and authn/authz from attributes or
 *                              tags, else calls (publishes to a queue, writes to a store...)
 *   threats, mitigations       kept as located facts ("threats", "mitigations") on the
 *                              component that lists them; a dataflow's as a list on its edge
 *   assets      -> assets      classification from attributes or the confidentiality rating
 *
 * Every fact keeps the place it was read. Everything wrong (a wrong type, a missing required
 * field, a duplicate id, a reference to nothing, a parent chain that loops) is a warning at the
 * offending value, and the item is left out; the rest of the document still applies. Lookups
 * go through hash maps and parent chains are walked a bounded number of steps, so a large or
 * hostile document costs linear time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ingest.h"

#define UNZONED_ID "trustmap:unzoned" /* where report/otm.c puts the components of no boundary */
#define MAX_PARENT_STEPS 64

struct otm_doc {
	const tm_file *f;
	const tm_value *root;
	const char *version;
};

struct otm {
	struct otm_doc *docs;
	size_t n, cap;
	tm_arena *arena;
};

static void *otm_begin(tm_ingest_ctx *ctx)
{
	struct otm *s = tm_calloc(1, sizeof(*s));
	if (s)
		s->arena = ctx->scratch; /* shared: scan.c checks it for failed allocations */
	return s;
}

static void otm_end(void *state)
{
	struct otm *s = state;
	if (!s)
		return;
	tm_free(s->docs);
	tm_free(s);
}

static bool otm_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root, const char *detail)
{
	(void)ctx;
	struct otm *s = state;
	if (!s || TM_GROW(s->docs, s->cap, s->n + 1))
		return false;
	s->docs[s->n++] = (struct otm_doc){f, root, detail};
	return true;
}

/* ---- reading one document ------------------------------------------------ */

struct zone {
	const char *id, *name, *parent;
	const tm_value *v, *parent_v;
	tm_boundary_kind kind;
};

/* An asset and the names of the components that hold it (a list in the scratch arena). */
struct holder {
	const char *name;
	struct holder *next;
};

struct asset {
	const char *id, *name, *classification, *data;
	const tm_value *v;
	struct holder *holders;
	size_t nholders;
};

struct comp {
	const char *id, *name, *zone_ref, *comp_ref;
	const tm_value *v, *parent_v;
	tm_node *node;
};

struct named {
	const char *id, *name;
};

typedef struct {
	tm_ingest_ctx *ctx;
	tm_arena *a;
	const tm_file *f;
	tm_hmap zones, comps, threats, mitigations, assets, flows;
	int oom;
} rd;

/* Out of memory: marked on the scratch arena (an allocation no arena can make), which scan.c turns
 * into TM_ENOMEM for the whole scan, as for every ingester's failed allocation. */
static void fail(rd *r)
{
	r->oom = 1;
	(void)tm_arena_alloc(r->a, SIZE_MAX);
}

static void warn(rd *r, const tm_value *at, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void warn(rd *r, const tm_value *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tm_diag_addv(r->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(r->f, at), fmt, ap);
	va_end(ap);
}

static bool is_kind(const tm_value *v, tm_value_kind k)
{
	return v && tm_value_kind_of(v) == k;
}

static bool is_null(const tm_value *v)
{
	return is_kind(v, TM_VALUE_SCALAR) && tm_scalar_type_of(v) == TM_SCALAR_NULL && !tm_scalar_quoted(v);
}

/* A string field. Absent or null: NULL (a warning when required). Another type: a warning, NULL. */
static const char *str_field(rd *r, const tm_value *map, const char *key, bool required, const char *what)
{
	const tm_value *v = tm_map_get(map, key);
	if (!v || is_null(v)) {
		if (required)
			warn(r, v ? v : map, "%s: missing '%s'", what, key);
		return NULL;
	}
	if (!is_kind(v, TM_VALUE_SCALAR) || (tm_scalar_type_of(v) != TM_SCALAR_STR && !tm_scalar_quoted(v))) {
		warn(r, v, "%s: '%s' must be a string", what, key);
		return NULL;
	}
	return tm_scalar_str(v, NULL);
}

/* A required, non-empty id. */
static const char *id_field(rd *r, const tm_value *map, const char *key, const char *what)
{
	const char *id = str_field(r, map, key, true, what);
	if (id && !*id) {
		warn(r, tm_map_get(map, key), "%s: '%s' is empty", what, key);
		return NULL;
	}
	return id;
}

/* A value of one container kind (absent or null: NULL without a word). */
static const tm_value *typed(rd *r, const tm_value *map, const char *key, tm_value_kind k, const char *what)
{
	const tm_value *v = tm_map_get(map, key);
	if (!v || is_null(v))
		return NULL;
	if (!is_kind(v, k)) {
		warn(r, v, "%s: '%s' must be %s", what, key, k == TM_VALUE_SEQ ? "a list" : "an object");
		return NULL;
	}
	return v;
}

/* A number field (int or float); false, with a warning when required or mistyped, if unusable. */
static bool num_field(rd *r, const tm_value *map, const char *key, bool required, const char *what, double *out)
{
	const tm_value *v = tm_map_get(map, key);
	if (!v || is_null(v)) {
		if (required)
			warn(r, v ? v : map, "%s: missing '%s'", what, key);
		return false;
	}
	if (is_kind(v, TM_VALUE_SCALAR) && !tm_scalar_quoted(v) &&
	    (tm_scalar_type_of(v) == TM_SCALAR_INT || tm_scalar_type_of(v) == TM_SCALAR_FLOAT)) {
		*out = strtod(tm_scalar_str(v, NULL), NULL);
		return true;
	}
	warn(r, v, "%s: '%s' must be a number", what, key);
	return false;
}

static void *lookup(tm_hmap *m, const char *id)
{
	return id ? tm_hmap_get(m, id, strlen(id)) : NULL;
}

/* Register id in m (the key lives in the scratch arena); false if it was there already. */
static bool put_once(rd *r, tm_hmap *m, const char *id, void *value)
{
	if (lookup(m, id))
		return false;
	char *k = tm_arena_strdup(r->a, id);
	if (!k || tm_hmap_put(m, k, strlen(k), value))
		fail(r);
	return true;
}

/* The string value of attributes[key] when it is a scalar; NULL otherwise. */
static const char *attr_str(const tm_value *attrs, const char *key)
{
	const tm_value *v = is_kind(attrs, TM_VALUE_MAP) ? tm_map_get(attrs, key) : NULL;
	return is_kind(v, TM_VALUE_SCALAR) && !is_null(v) ? tm_scalar_str(v, NULL) : NULL;
}

/* Does a string list (tags) hold s? */
static const char *tag_with_prefix(const tm_value *tags, const char *prefix)
{
	size_t pl = strlen(prefix);
	for (size_t i = 0; i < tm_value_len(tags); i++) {
		const char *t = tm_scalar_str(tm_seq_at(tags, i), NULL);
		if (t && strncmp(t, prefix, pl) == 0)
			return t + pl;
	}
	return NULL;
}

/* Case-insensitive substring. */
static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(s), k = strlen(w);
	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;
		while (j < k) {
			char c = s[i + j];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != w[j])
				break;
			j++;
		}
		if (j == k)
			return true;
	}
	return false;
}

static int boundary_kind_named(const char *s)
{
	for (int k = 0; s && k < TM_BOUNDARY__COUNT; k++)
		if (strcmp(s, tm_boundary_kind_name((tm_boundary_kind)k)) == 0)
			return k;
	return -1;
}

static int node_kind_named(const char *s)
{
	for (int k = 0; s && k < TM_NODE__COUNT; k++)
		if (strcmp(s, tm_node_kind_name((tm_node_kind)k)) == 0)
			return k;
	return -1;
}

static int edge_kind_named(const char *s)
{
	for (int k = 0; s && k < TM_EDGE__COUNT; k++)
		if (strcmp(s, tm_edge_kind_name((tm_edge_kind)k)) == 0)
			return k;
	return -1;
}

/*
 * A component type another tool wrote ("postgresql-database", "kafka-topic", "web-client"...):
 * the first word found wins, so a service's type ("user-service", "account-api") is a service
 * before its other words are looked at.
 */
static tm_node_kind kind_from_type(const char *type)
{
	static const struct {
		const char *word;
		tm_node_kind kind;
	} words[] = {
		{"endpoint", TM_NODE_ENDPOINT}, {"operation", TM_NODE_ENDPOINT},
		{"service", TM_NODE_SERVICE},   {"api", TM_NODE_SERVICE},         {"server", TM_NODE_SERVICE},
		{"function", TM_NODE_SERVICE},  {"lambda", TM_NODE_SERVICE},      {"container", TM_NODE_SERVICE},
		{"secret", TM_NODE_SECRET},     {"vault", TM_NODE_SECRET},        {"kms", TM_NODE_SECRET},
		{"queue", TM_NODE_QUEUE},       {"topic", TM_NODE_QUEUE},         {"kafka", TM_NODE_QUEUE},
		{"sqs", TM_NODE_QUEUE},         {"sns", TM_NODE_QUEUE},           {"broker", TM_NODE_QUEUE},
		{"pubsub", TM_NODE_QUEUE},      {"database", TM_NODE_DATASTORE},  {"sql", TM_NODE_DATASTORE},
		{"storage", TM_NODE_DATASTORE}, {"bucket", TM_NODE_DATASTORE},    {"s3", TM_NODE_DATASTORE},
		{"cache", TM_NODE_DATASTORE},   {"redis", TM_NODE_DATASTORE},     {"datastore", TM_NODE_DATASTORE},
		{"gateway", TM_NODE_GATEWAY},   {"load-balancer", TM_NODE_GATEWAY}, {"loadbalancer", TM_NODE_GATEWAY},
		{"ingress", TM_NODE_GATEWAY},   {"proxy", TM_NODE_GATEWAY},       {"cdn", TM_NODE_GATEWAY},
		{"waf", TM_NODE_GATEWAY},       {"identity", TM_NODE_IDENTITY},   {"iam", TM_NODE_IDENTITY},
		{"role", TM_NODE_IDENTITY},     {"pipeline", TM_NODE_PIPELINE},   {"ci/cd", TM_NODE_PIPELINE},
		{"client", TM_NODE_ENTRYPOINT}, {"browser", TM_NODE_ENTRYPOINT},  {"mobile", TM_NODE_ENTRYPOINT},
		{"external", TM_NODE_EXTERNAL}, {"third-party", TM_NODE_EXTERNAL}, {"saas", TM_NODE_EXTERNAL},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (has_word(type, words[i].word))
			return words[i].kind;
	return TM_NODE_SERVICE;
}

/* ---- the sections ---------------------------------------------------------- */

static void project(rd *r, const tm_value *root)
{
	const tm_value *p = tm_map_get(root, "project");
	if (!p || is_null(p)) {
		warn(r, root, "otm document: missing 'project' (name and id are required)");
		return;
	}
	if (!is_kind(p, TM_VALUE_MAP)) {
		warn(r, p, "otm document: 'project' must be an object");
		return;
	}
	str_field(r, p, "name", true, "project");
	str_field(r, p, "id", true, "project");
	typed(r, p, "tags", TM_VALUE_SEQ, "project");
	typed(r, p, "attributes", TM_VALUE_MAP, "project");
}

/* The list under key, or NULL (a warning if it is something else). */
static const tm_value *section(rd *r, const tm_value *root, const char *key)
{
	return typed(r, root, key, TM_VALUE_SEQ, "otm document");
}

/* Each item of a section that is an object; the others are diagnosed. */
static const tm_value *item_at(rd *r, const tm_value *list, size_t i, const char *what)
{
	const tm_value *it = tm_seq_at(list, i);
	if (!is_kind(it, TM_VALUE_MAP)) {
		warn(r, it, "%s[%zu] must be an object", what, i);
		return NULL;
	}
	return it;
}

static void named_section(rd *r, const tm_value *root, const char *key, const char *what, tm_hmap *into)
{
	const tm_value *list = section(r, root, key);
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *it = item_at(r, list, i, key);
		if (!it)
			continue;
		const char *id = id_field(r, it, "id", what);
		char label[160];
		tm_formatf(label, sizeof(label), "%s '%.80s'", what, id ? id : "?");
		const char *name = str_field(r, it, "name", true, label);
		if (strcmp(key, "threats") == 0) {
			const tm_value *risk = tm_map_get(it, "risk");
			double d;
			if (!risk || is_null(risk)) {
				warn(r, it, "%s: missing 'risk' (likelihood and impact)", label);
			} else if (!is_kind(risk, TM_VALUE_MAP)) {
				warn(r, risk, "%s: 'risk' must be an object", label);
			} else {
				if (tm_map_get(risk, "likelihood") && !is_null(tm_map_get(risk, "likelihood")))
					num_field(r, risk, "likelihood", false, label, &d);
				else if (!tm_map_get(risk, "likelihood"))
					warn(r, risk, "%s: missing 'likelihood'", label);
				num_field(r, risk, "impact", true, label, &d);
			}
			typed(r, it, "categories", TM_VALUE_SEQ, label);
			typed(r, it, "cwes", TM_VALUE_SEQ, label);
		} else {
			double d;
			num_field(r, it, "riskReduction", true, label, &d);
		}
		if (!id || !name)
			continue;
		struct named *n = tm_arena_alloc(r->a, sizeof(*n));
		if (!n) {
			fail(r);
			return;
		}
		n->id = id;
		n->name = name;
		if (!put_once(r, into, id, n))
			warn(r, tm_map_get(it, "id"), "%s: defined twice (the first one counts)", label);
	}
}

static const char *classification_of(double confidentiality)
{
	return confidentiality >= 85 ? "restricted" : confidentiality >= 50 ? "confidential"
	       : confidentiality >= 20 ? "internal" : "public";
}

static void assets_section(rd *r, const tm_value *root)
{
	const tm_value *list = section(r, root, "assets");
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *it = item_at(r, list, i, "assets");
		if (!it)
			continue;
		const char *id = id_field(r, it, "id", "asset");
		char label[160];
		tm_formatf(label, sizeof(label), "asset '%.80s'", id ? id : "?");
		const char *name = str_field(r, it, "name", true, label);
		const tm_value *risk = tm_map_get(it, "risk");
		double c = -1, d;
		if (!risk || is_null(risk)) {
			warn(r, it, "%s: missing 'risk' (confidentiality, integrity, availability)", label);
		} else if (!is_kind(risk, TM_VALUE_MAP)) {
			warn(r, risk, "%s: 'risk' must be an object", label);
		} else {
			if (!num_field(r, risk, "confidentiality", true, label, &c))
				c = -1;
			num_field(r, risk, "integrity", true, label, &d);
			num_field(r, risk, "availability", true, label, &d);
		}
		if (!id || !name)
			continue;
		const tm_value *attrs = typed(r, it, "attributes", TM_VALUE_MAP, label);
		const char *cls = attr_str(attrs, "trustmap.classification");
		if (!cls || (strcmp(cls, "public") && strcmp(cls, "internal") && strcmp(cls, "confidential") &&
			     strcmp(cls, "restricted")))
			cls = c >= 0 ? classification_of(c) : "internal";
		struct asset *as = tm_arena_alloc(r->a, sizeof(*as));
		if (!as) {
			fail(r);
			return;
		}
		as->id = id;
		as->name = name;
		as->classification = cls;
		as->data = attr_str(attrs, "trustmap.data");
		as->v = it;
		if (!put_once(r, &r->assets, id, as))
			warn(r, tm_map_get(it, "id"), "%s: defined twice (the first one counts)", label);
	}
}

/* The parent object: exactly one of trustZone and component, a string. */
static void parent_of(rd *r, const tm_value *it, const char *label, bool required, const char **zone,
		      const char **comp, const tm_value **at)
{
	*zone = *comp = NULL;
	const tm_value *p = tm_map_get(it, "parent");
	*at = p;
	if (!p || is_null(p)) {
		if (required)
			warn(r, it, "%s: missing 'parent' (a trust zone or a component)", label);
		return;
	}
	if (!is_kind(p, TM_VALUE_MAP)) {
		warn(r, p, "%s: 'parent' must be an object with trustZone or component", label);
		return;
	}
	bool hz = tm_map_get(p, "trustZone") != NULL, hc = tm_map_get(p, "component") != NULL;
	if (hz == hc) {
		warn(r, p, "%s: 'parent' must name exactly one of trustZone and component", label);
		return;
	}
	if (hz)
		*zone = str_field(r, p, "trustZone", true, label);
	else
		*comp = str_field(r, p, "component", true, label);
}

/* Another tool's zone: its name first (internet, cloud, public, partner), else the lower its trust
 * rating, the nearer the internet. */
static tm_boundary_kind zone_kind_guess(const char *id, const char *name, double rating)
{
	static const struct {
		const char *word;
		tm_boundary_kind kind;
	} words[] = {{"internet", TM_BOUNDARY_INTERNET}, {"cloud", TM_BOUNDARY_CLOUD_ACCOUNT},
		     {"public", TM_BOUNDARY_INTERNET},   {"partner", TM_BOUNDARY_PARTNER},
		     {"third", TM_BOUNDARY_PARTNER},     {"namespace", TM_BOUNDARY_NAMESPACE}};
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (has_word(id, words[i].word) || (name && has_word(name, words[i].word)))
			return words[i].kind;
	if (rating >= 0 && rating <= 25)
		return TM_BOUNDARY_INTERNET;
	if (rating >= 0 && rating <= 45)
		return TM_BOUNDARY_PARTNER;
	return TM_BOUNDARY_CLUSTER;
}

static void zones_section(rd *r, const tm_value *root, struct zone ***out, size_t *nout)
{
	const tm_value *list = section(r, root, "trustZones");
	size_t n = tm_value_len(list);
	struct zone **zs = n ? tm_arena_alloc(r->a, n * sizeof(*zs)) : NULL;
	if (n && !zs) {
		fail(r);
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const tm_value *it = item_at(r, list, i, "trustZones");
		if (!it)
			continue;
		const char *id = id_field(r, it, "id", "trust zone");
		char label[160];
		tm_formatf(label, sizeof(label), "trust zone '%.80s'", id ? id : "?");
		const char *name = str_field(r, it, "name", true, label);
		const tm_value *risk = tm_map_get(it, "risk");
		double rating = -1;
		if (!risk || is_null(risk))
			warn(r, it, "%s: missing 'risk' (trustRating)", label);
		else if (!is_kind(risk, TM_VALUE_MAP))
			warn(r, risk, "%s: 'risk' must be an object", label);
		else if (!num_field(r, risk, "trustRating", true, label, &rating))
			rating = -1;
		const char *type = str_field(r, it, "type", false, label);
		const tm_value *attrs = typed(r, it, "attributes", TM_VALUE_MAP, label);
		struct zone *z = tm_arena_alloc(r->a, sizeof(*z));
		if (!z) {
			fail(r);
			return;
		}
		const char *in_comp = NULL;
		parent_of(r, it, label, false, &z->parent, &in_comp, &z->parent_v);
		if (in_comp)
			warn(r, z->parent_v, "%s: a trust zone inside a component is read as a top-level zone", label);
		if (!id || strcmp(id, UNZONED_ID) == 0) /* trustmap's own export: its components have no boundary */
			continue;
		z->id = id;
		z->name = name ? name : id;
		z->v = it;
		int kind = boundary_kind_named(type);
		if (kind < 0)
			kind = boundary_kind_named(attr_str(attrs, "trustmap.kind"));
		if (kind < 0)
			/* another tool's zone: the lower the trust, the nearer the internet */
			kind = zone_kind_guess(id, name, rating);
		z->kind = (tm_boundary_kind)kind;
		if (!put_once(r, &r->zones, id, z)) {
			warn(r, tm_map_get(it, "id"), "%s: defined twice (the first one counts)", label);
			continue;
		}
		zs[k++] = z;
	}
	/* parents must exist, and a chain of parents must end */
	for (size_t i = 0; i < k; i++) {
		struct zone *z = zs[i];
		if (!z->parent)
			continue;
		if (!lookup(&r->zones, z->parent)) {
			warn(r, z->parent_v, "trust zone '%.80s': parent trust zone '%.80s' is not defined", z->id, z->parent);
			z->parent = NULL;
			continue;
		}
		const struct zone *at = z;
		size_t steps = 0;
		while (at && at->parent && steps <= MAX_PARENT_STEPS) {
			at = lookup(&r->zones, at->parent);
			steps++;
			if (at == z)
				break;
		}
		if (at == z || steps > MAX_PARENT_STEPS) {
			warn(r, z->parent_v, "trust zone '%.80s': its parents loop back to it (or nest deeper than %d); "
					     "read as a top-level zone", z->id, MAX_PARENT_STEPS);
			z->parent = NULL;
		}
	}
	*out = zs;
	*nout = k;
}

/* The zone a component sits in: its own, or its nearest ancestor component's. */
static const char *component_zone(rd *r, const struct comp *c)
{
	const struct comp *at = c;
	for (size_t steps = 0; at && steps <= MAX_PARENT_STEPS; steps++) {
		if (at->zone_ref)
			return lookup(&r->zones, at->zone_ref) ? at->zone_ref : NULL;
		if (!at->comp_ref)
			return NULL;
		at = lookup(&r->comps, at->comp_ref);
		if (at == c)
			break;
	}
	return NULL;
}

static void restore_attrs(rd *r, tm_node *n, const tm_value *attrs)
{
	/* the node attributes trustmap's own export writes that mean the same thing on import */
	static const char *const kept[] = {"namespace", "method", "path", "service", "owner", "host",
					   "operation_id", "address", "scope", "engine", "store_type",
					   "gateway_type", "identity_type", "pipeline_type", "third_party", NULL};
	for (size_t i = 0; i < tm_value_len(attrs); i++) {
		const char *key = tm_scalar_str(tm_map_key(attrs, i), NULL);
		const tm_value *v = tm_map_value(attrs, i);
		if (!key || !*key || strncmp(key, "trustmap.", 9) == 0 || !is_kind(v, TM_VALUE_SCALAR) || is_null(v))
			continue;
		const char *val = tm_scalar_str(v, NULL);
		bool known = false;
		for (const char *const *k = kept; *k && !known; k++)
			known = strcmp(*k, key) == 0;
		if (known) {
			tm_mb_node_str(r->ctx->mb, n, key, val);
		} else {
			char *k = tm_arena_printf(r->a, "otm:%s", key);
			if (k)
				tm_mb_node_str(r->ctx->mb, n, k, val);
		}
	}
}

/* Threat instances ({threat, state, mitigations}) of a component or a dataflow. */
static void threat_instances(rd *r, const tm_value *it, const char *label, tm_node *n, tm_edge *e)
{
	const tm_value *list = typed(r, it, "threats", TM_VALUE_SEQ, label);
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *ti = tm_seq_at(list, i);
		if (!is_kind(ti, TM_VALUE_MAP)) {
			warn(r, ti, "%s: threats[%zu] must be an object with threat and state", label, i);
			continue;
		}
		const char *tid = str_field(r, ti, "threat", true, label);
		const char *state = str_field(r, ti, "state", true, label);
		const struct named *t = lookup(&r->threats, tid);
		if (tid && !t)
			warn(r, tm_map_get(ti, "threat"), "%s: threat '%.80s' is not defined in 'threats'", label, tid);
		if (!t || !state)
			continue;
		char *fact = tm_arena_printf(r->a, "%s: %s [%s]", state, t->name, t->id);
		tm_loc loc = tm_ingest__loc(r->f, ti);
		if (fact && n)
			tm_mb_node_fact(r->ctx->mb, n, "threats", fact, loc);
		else if (fact && e)
			tm_mb_edge_list_add(r->ctx->mb, e, "threats", fact);
		const tm_value *ms = tm_map_get(ti, "mitigations");
		if (ms && !is_null(ms) && !is_kind(ms, TM_VALUE_SEQ)) {
			warn(r, ms, "%s: 'mitigations' of threat '%.80s' must be a list", label, tid);
			continue;
		}
		for (size_t k = 0; k < tm_value_len(ms); k++) {
			const tm_value *mi = tm_seq_at(ms, k);
			if (is_null(mi))
				continue;
			if (!is_kind(mi, TM_VALUE_MAP)) {
				warn(r, mi, "%s: mitigations[%zu] must be an object with mitigation and state", label, k);
				continue;
			}
			const char *mid = str_field(r, mi, "mitigation", true, label);
			const char *mstate = str_field(r, mi, "state", true, label);
			const struct named *m = lookup(&r->mitigations, mid);
			if (mid && !m)
				warn(r, tm_map_get(mi, "mitigation"), "%s: mitigation '%.80s' is not defined in 'mitigations'",
				     label, mid);
			if (!m || !mstate)
				continue;
			char *mf = tm_arena_printf(r->a, "%s: %s [%s] against %s", mstate, m->name, m->id, t->id);
			if (mf && n)
				tm_mb_node_fact(r->ctx->mb, n, "mitigations", mf, tm_ingest__loc(r->f, mi));
			else if (mf && e)
				tm_mb_edge_list_add(r->ctx->mb, e, "mitigations", mf);
		}
	}
}

static int class_rank(const char *cls)
{
	static const char *const order[] = {"public", "internal", "confidential", "restricted"};
	for (int i = 0; i < 4; i++)
		if (strcmp(cls, order[i]) == 0)
			return i;
	return -1;
}

/* A component's assets: facts on its node, and the node's name on the asset. */
static void component_assets(rd *r, const tm_value *it, const char *label, tm_node *n)
{
	const tm_value *inst = typed(r, it, "assets", TM_VALUE_MAP, label);
	static const char *const keys[] = {"stored", "processed"};
	for (size_t k = 0; k < 2; k++) {
		const tm_value *list = typed(r, inst, keys[k], TM_VALUE_SEQ, label);
		for (size_t i = 0; i < tm_value_len(list); i++) {
			const tm_value *v = tm_seq_at(list, i);
			if (is_null(v))
				continue;
			const char *aid = is_kind(v, TM_VALUE_SCALAR) ? tm_scalar_str(v, NULL) : NULL;
			struct asset *as = lookup(&r->assets, aid);
			if (!as) {
				warn(r, v, "%s: asset '%.80s' is not defined in 'assets'", label, aid ? aid : "?");
				continue;
			}
			tm_mb_node_fact(r->ctx->mb, n, "assets", as->name, tm_ingest__loc(r->f, v));
			/* a component holding several assets is classified by the strictest */
			const char *had = tm_node_attr_str(n, "classification");
			if (!had || class_rank(as->classification) > class_rank(had))
				tm_mb_node_str(r->ctx->mb, n, "classification", as->classification);
			struct holder *h = tm_arena_alloc(r->a, sizeof(*h));
			if (!h) {
				fail(r);
				return;
			}
			h->name = tm_node_name(n);
			h->next = as->holders;
			as->holders = h;
			as->nholders++;
		}
	}
}

static void components_section(rd *r, const tm_value *root)
{
	const tm_value *list = section(r, root, "components");
	size_t n = tm_value_len(list);
	struct comp **cs = n ? tm_arena_alloc(r->a, n * sizeof(*cs)) : NULL;
	if (n && !cs) {
		fail(r);
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const tm_value *it = item_at(r, list, i, "components");
		if (!it)
			continue;
		const char *id = id_field(r, it, "id", "component");
		char label[160];
		tm_formatf(label, sizeof(label), "component '%.80s'", id ? id : "?");
		const char *name = str_field(r, it, "name", true, label);
		const char *type = str_field(r, it, "type", true, label);
		struct comp *c = tm_arena_alloc(r->a, sizeof(*c));
		if (!c) {
			fail(r);
			return;
		}
		parent_of(r, it, label, true, &c->zone_ref, &c->comp_ref, &c->parent_v);
		if (c->zone_ref && strcmp(c->zone_ref, UNZONED_ID) == 0)
			c->zone_ref = NULL; /* no boundary, as the model it was exported from had */
		if (!id || !name || !type)
			continue;
		c->id = id;
		c->name = name;
		c->v = it;
		if (!put_once(r, &r->comps, id, c)) {
			warn(r, tm_map_get(it, "id"), "%s: defined twice (the first one counts)", label);
			continue;
		}
		cs[k++] = c;
	}
	for (size_t i = 0; i < k; i++) {
		struct comp *c = cs[i];
		const tm_value *it = c->v;
		char label[160];
		tm_formatf(label, sizeof(label), "component '%.80s'", c->id);
		if (c->zone_ref && !lookup(&r->zones, c->zone_ref))
			warn(r, c->parent_v, "%s: parent trust zone '%.80s' is not defined", label, c->zone_ref);
		if (c->comp_ref && !lookup(&r->comps, c->comp_ref))
			warn(r, c->parent_v, "%s: parent component '%.80s' is not defined", label, c->comp_ref);
		else if (c->comp_ref && strcmp(c->comp_ref, c->id) == 0)
			warn(r, c->parent_v, "%s: is its own parent", label);
		const char *zone = component_zone(r, c);
		if (c->comp_ref && !zone && lookup(&r->comps, c->comp_ref) && strcmp(c->comp_ref, c->id) != 0) {
			/* a chain of parent components that loops, or reaches no zone */
			const struct comp *at = c;
			size_t steps = 0;
			while (at && at->comp_ref && steps <= MAX_PARENT_STEPS && (steps == 0 || at != c)) {
				at = lookup(&r->comps, at->comp_ref);
				steps++;
			}
			if (at == c || steps > MAX_PARENT_STEPS)
				warn(r, c->parent_v, "%s: its parent components loop back to it (or nest deeper than %d)",
				     label, MAX_PARENT_STEPS);
		}
		const tm_value *attrs = typed(r, it, "attributes", TM_VALUE_MAP, label);
		/* trustmap's own export says exactly which zone; another tool's, through the parent */
		const char *own_zone = attr_str(attrs, "trustmap.boundary");
		if (own_zone && lookup(&r->zones, own_zone))
			zone = own_zone;
		const char *type = tm_map_get_str(it, "type");
		int kind = node_kind_named(type);
		if (kind < 0)
			kind = node_kind_named(attr_str(attrs, "trustmap.kind"));
		if (kind < 0)
			kind = (int)kind_from_type(type ? type : "");
		tm_loc loc = tm_ingest__loc(r->f, it);
		tm_node *node = tm_mb_node(r->ctx->mb, (tm_node_kind)kind, c->id, c->name, zone, loc);
		if (!node) {
			fail(r);
			return;
		}
		c->node = node;
		tm_mb_node_str(r->ctx->mb, node, "otm_type", type ? type : "");
		const char *desc = str_field(r, it, "description", false, label);
		if (desc)
			tm_mb_node_str(r->ctx->mb, node, "description", desc);
		if (c->comp_ref && lookup(&r->comps, c->comp_ref))
			tm_mb_node_str(r->ctx->mb, node, "otm_parent", c->comp_ref);
		const tm_value *tags = typed(r, it, "tags", TM_VALUE_SEQ, label);
		for (size_t t = 0; t < tm_value_len(tags); t++) {
			const tm_value *tv = tm_seq_at(tags, t);
			if (is_kind(tv, TM_VALUE_SCALAR) && !is_null(tv))
				tm_mb_node_list_add(r->ctx->mb, node, "tags", tm_scalar_str(tv, NULL));
			else if (!is_null(tv))
				warn(r, tv, "%s: tags must be strings", label);
		}
		typed(r, it, "representations", TM_VALUE_SEQ, label);
		restore_attrs(r, node, attrs);
		component_assets(r, it, label, node);
		threat_instances(r, it, label, node, NULL);
	}
}

static int authn_named(const char *s)
{
	for (int k = 0; s && k < TM_AUTHN__COUNT; k++)
		if (strcmp(s, tm_authn_name((tm_authn)k)) == 0)
			return k;
	return -1;
}

static int authz_named(const char *s)
{
	for (int k = 0; s && k < TM_AUTHZ__COUNT; k++)
		if (strcmp(s, tm_authz_name((tm_authz)k)) == 0)
			return k;
	return -1;
}

static int enforced_named(const char *s)
{
	for (int k = 0; s && k < TM_ENFORCED__COUNT; k++)
		if (strcmp(s, tm_enforced_name((tm_enforced_at)k)) == 0)
			return k;
	return -1;
}

static void dataflows_section(rd *r, const tm_value *root)
{
	const tm_value *list = section(r, root, "dataflows");
	for (size_t i = 0; i < tm_value_len(list); i++) {
		const tm_value *it = item_at(r, list, i, "dataflows");
		if (!it)
			continue;
		const char *id = id_field(r, it, "id", "dataflow");
		char label[160];
		tm_formatf(label, sizeof(label), "dataflow '%.80s'", id ? id : "?");
		const char *name = str_field(r, it, "name", true, label);
		const char *src = str_field(r, it, "source", true, label);
		const char *dst = str_field(r, it, "destination", true, label);
		const struct comp *from = lookup(&r->comps, src), *to = lookup(&r->comps, dst);
		if (src && !from)
			warn(r, tm_map_get(it, "source"), "%s: source '%.80s' is not a component of this document", label, src);
		if (dst && !to)
			warn(r, tm_map_get(it, "destination"), "%s: destination '%.80s' is not a component of this document",
			     label, dst);
		const tm_value *bidi = tm_map_get(it, "bidirectional");
		bool both = false;
		if (bidi && !is_null(bidi) && tm_scalar_bool(bidi, &both) != 0)
			warn(r, bidi, "%s: 'bidirectional' must be true or false", label);
		if (!id || !name || !from || !to || !from->node || !to->node)
			continue;
		if (!put_once(r, &r->flows, id, (void *)it)) {
			warn(r, tm_map_get(it, "id"), "%s: defined twice (the first one counts)", label);
			continue;
		}
		const tm_value *attrs = typed(r, it, "attributes", TM_VALUE_MAP, label);
		const tm_value *tags = typed(r, it, "tags", TM_VALUE_SEQ, label);
		tm_node *a = from->node, *b = to->node;
		const char *own_kind = attr_str(attrs, "trustmap.kind");
		int kind = edge_kind_named(own_kind);
		for (size_t t = 0; kind < 0 && t < tm_value_len(tags); t++)
			kind = edge_kind_named(tm_scalar_str(tm_seq_at(tags, t), NULL));
		if (kind < 0) {
			/* another tool's flow: what the direction of the data says */
			tm_node_kind ka = tm_node_kind_of(a), kb = tm_node_kind_of(b);
			if (kb == TM_NODE_QUEUE) {
				kind = TM_EDGE_PUBLISHES;
			} else if (ka == TM_NODE_QUEUE) {
				kind = TM_EDGE_SUBSCRIBES; /* the consumer subscribes to the queue */
				a = to->node;
				b = from->node;
			} else if (kb == TM_NODE_DATASTORE) {
				kind = TM_EDGE_WRITES;
			} else if (ka == TM_NODE_DATASTORE) {
				kind = TM_EDGE_READS; /* the reader reads the store */
				a = to->node;
				b = from->node;
			} else {
				kind = TM_EDGE_CALLS;
			}
		}
		tm_edge *e = tm_mb_edge(r->ctx->mb, a, b, (tm_edge_kind)kind, tm_ingest__loc(r->f, it));
		if (!e) {
			fail(r);
			return;
		}
		int authn = authn_named(attr_str(attrs, "trustmap.authn"));
		if (authn < 0)
			authn = authn_named(tag_with_prefix(tags, "authn:"));
		int authz = authz_named(attr_str(attrs, "trustmap.authz"));
		if (authz < 0)
			authz = authz_named(tag_with_prefix(tags, "authz:"));
		int enforced = enforced_named(attr_str(attrs, "trustmap.enforced_at"));
		if (authn >= 0)
			e->authn = (tm_authn)authn;
		if (authz >= 0)
			e->authz = (tm_authz)authz;
		if (enforced >= 0)
			e->enforced_at = (tm_enforced_at)enforced;
		if (!own_kind) {
			tm_mb_edge_str(r->ctx->mb, e, "otm_id", id);
			tm_mb_edge_str(r->ctx->mb, e, "otm_name", name);
		}
		if (both)
			tm_mb_edge_str(r->ctx->mb, e, "bidirectional", "true");
		for (size_t t = 0; t < tm_value_len(tags); t++) {
			const char *tv = tm_scalar_str(tm_seq_at(tags, t), NULL);
			if (tv && !own_kind)
				tm_mb_edge_list_add(r->ctx->mb, e, "tags", tv);
		}
		for (size_t k = 0; k < tm_value_len(attrs); k++) {
			const char *key = tm_scalar_str(tm_map_key(attrs, k), NULL);
			const tm_value *v = tm_map_value(attrs, k);
			if (!key || !*key || strncmp(key, "trustmap.", 9) == 0 || !is_kind(v, TM_VALUE_SCALAR) || is_null(v))
				continue;
			char *ak = tm_arena_printf(r->a, "otm:%s", key);
			if (ak)
				tm_mb_edge_str(r->ctx->mb, e, ak, tm_scalar_str(v, NULL));
		}
		threat_instances(r, it, label, NULL, e);
	}
}

/* Assets become the model's asset records, held by the components that list them. */
static void assets_finish(rd *r, const tm_value *root)
{
	const tm_value *list = tm_map_get(root, "assets");
	for (size_t i = 0; i < tm_value_len(list) && is_kind(list, TM_VALUE_SEQ); i++) {
		const tm_value *it = tm_seq_at(list, i);
		const char *id = is_kind(it, TM_VALUE_MAP) ? tm_map_get_str(it, "id") : NULL;
		struct asset *as = lookup(&r->assets, id);
		if (!as || as->v != it)
			continue;
		tm_asset *rec = tm_mb_asset(r->ctx->mb);
		/* lists in the model's arena, as the overlay's are */
		tm_arena *ma = tm_mb_policy(r->ctx->mb)->arena;
		const char **stores = tm_arena_alloc(ma, (as->nholders + 1) * sizeof(char *));
		size_t nd = 0;
		for (const char *p = as->data; p && *p; p++)
			nd += *p == ',';
		const char **data = tm_arena_alloc(ma, (nd + 2) * sizeof(char *));
		if (!rec || !stores || !data) {
			fail(r);
			return;
		}
		rec->name = tm_mb_strdup(r->ctx->mb, as->name);
		rec->classification = tm_mb_strdup(r->ctx->mb, as->classification);
		/* holders were pushed in reverse */
		size_t k = as->nholders;
		stores[k] = NULL;
		for (const struct holder *h = as->holders; h; h = h->next)
			stores[--k] = tm_mb_strdup(r->ctx->mb, h->name);
		k = 0;
		for (const char *p = as->data; p && *p;) {
			while (*p == ' ' || *p == ',')
				p++;
			const char *end = p;
			while (*end && *end != ',')
				end++;
			if (end > p)
				data[k++] = tm_arena_strndup(ma, p, (size_t)(end - p));
			p = end;
		}
		data[k] = NULL;
		rec->stores = stores;
		rec->data = data;
		rec->loc = tm_ingest__loc(r->f, it);
	}
}

static void read_doc(tm_ingest_ctx *ctx, struct otm *s, const struct otm_doc *d)
{
	rd r;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.a = s->arena;
	r.f = d->f;
	const tm_value *root = d->root;
	if (d->version && strncmp(d->version, "0.1", 3) != 0 && strncmp(d->version, "0.2", 3) != 0)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(d->f, tm_map_get(root, "otmVersion")),
			    "otm version %.40s is read as 0.2.0", d->version);
	project(&r, root);
	typed(&r, root, "representations", TM_VALUE_SEQ, "otm document");
	struct zone **zs = NULL;
	size_t nz = 0;
	zones_section(&r, root, &zs, &nz);
	for (size_t i = 0; i < nz && !r.oom; i++) {
		const struct zone *z = zs[i];
		if (!tm_mb_boundary(ctx->mb, z->kind, z->id, z->name, z->parent))
			fail(&r);
	}
	named_section(&r, root, "threats", "threat", &r.threats);
	named_section(&r, root, "mitigations", "mitigation", &r.mitigations);
	assets_section(&r, root);
	if (!r.oom)
		components_section(&r, root);
	if (!r.oom)
		dataflows_section(&r, root);
	if (!r.oom)
		assets_finish(&r, root);
	tm_hmap_dispose(&r.zones);
	tm_hmap_dispose(&r.comps);
	tm_hmap_dispose(&r.threats);
	tm_hmap_dispose(&r.mitigations);
	tm_hmap_dispose(&r.assets);
	tm_hmap_dispose(&r.flows);
}

static void otm_finish(tm_ingest_ctx *ctx, void *state)
{
	struct otm *s = state;
	for (size_t i = 0; s && i < s->n; i++)
		read_doc(ctx, s, &s->docs[i]);
}

const tm_ingester tm_ingest__otm = {otm_begin, otm_doc, otm_finish, otm_end};
