/*
 * model.c - the graph: building (merging facts), freezing (sorting) and read access.
 *
 * Nodes, edges and boundaries live in the model's arena; their evidence and
 * attribute vectors are heap arrays freed with the model. Ids, names and
 * evidence paths are interned so equal strings share one copy.
 */
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

#define RECENT 1024 /* remembered addresses (a power of two) */

struct tm_model_builder {
	tm_model *m;
	tm_hmap strings; /* interned strings */
	/* The copy last interned for a string at this address: the ingesters pass their keys and most
	 * values (method names, "true", enum names) as literals, the same address each time, so most
	 * calls end here, checked by content, without hashing into a table of millions. */
	struct {
		const char *at, *copy;
	} recent[RECENT];
};

#define TM_NAME_NODE(id, name) name,
#define TM_NAME_EDGE(id, name) name,
#define TM_NAME_BOUNDARY(id, name) name,
#define TM_NAME_AUTHN(id, name) name,
#define TM_NAME_AUTHZ(id, name) name,
#define TM_NAME_ENFORCED(id, name) name,
static const char *const node_names[] = {TM_NODE_KINDS(TM_NAME_NODE)};
static const char *const edge_names[] = {TM_EDGE_KINDS(TM_NAME_EDGE)};
static const char *const boundary_names[] = {TM_BOUNDARY_KINDS(TM_NAME_BOUNDARY)};
static const char *const authn_names[] = {TM_AUTHN_KINDS(TM_NAME_AUTHN)};
static const char *const authz_names[] = {TM_AUTHZ_KINDS(TM_NAME_AUTHZ)};
static const char *const enforced_names[] = {TM_ENFORCED_KINDS(TM_NAME_ENFORCED)};

#define NAME_OF(table, k) ((size_t)(k) < TM_ARRAY_LEN(table) ? table[k] : "unknown")
const char *tm_node_kind_name(tm_node_kind k) { return NAME_OF(node_names, k); }
const char *tm_edge_kind_name(tm_edge_kind k) { return NAME_OF(edge_names, k); }
const char *tm_boundary_kind_name(tm_boundary_kind k) { return NAME_OF(boundary_names, k); }
const char *tm_authn_name(tm_authn a) { return NAME_OF(authn_names, a); }
const char *tm_authz_name(tm_authz a) { return NAME_OF(authz_names, a); }
const char *tm_enforced_name(tm_enforced_at e) { return NAME_OF(enforced_names, e); }

static int parse_name(const char *const *table, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; name && i < n; i++) {
		size_t k = 0;
		while (k < len && table[i][k] && ((name[k] | 0x20) == (table[i][k] | 0x20) || name[k] == table[i][k]))
			k++;
		if (k == len && !table[i][k])
			return (int)i;
	}
	return -1;
}

int tm_node_kind_parse(const char *name, size_t len) { return parse_name(node_names, TM_ARRAY_LEN(node_names), name, len); }
int tm_edge_kind_parse(const char *name, size_t len) { return parse_name(edge_names, TM_ARRAY_LEN(edge_names), name, len); }

int tm_node_id_parse(const char *id, tm_node_id_parts *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = -1;
	const char *colon = id ? strchr(id, ':') : NULL;
	if (!colon)
		return TM_EINVALID;
	out->prefix = id;
	out->prefix_len = (size_t)(colon - id);
	out->kind = tm_node_kind_parse(id, out->prefix_len);
	out->rest = colon + 1;
	const char *p = out->rest;
	const char *c2 = strchr(p, ':'), *slash = strchr(p, '/');
	if (c2 && (!slash || c2 < slash)) {
		out->scheme = p;
		out->scheme_len = (size_t)(c2 - p);
		p = c2 + 1;
		slash = strchr(p, '/');
	}
	if (slash) {
		out->ns = p;
		out->ns_len = (size_t)(slash - p);
		out->name = slash + 1;
	} else {
		out->name = p;
	}
	return 0;
}

/* ---- building ---------------------------------------------------------- */

static const char *intern(tm_model_builder *mb, const char *s)
{
	if (!s)
		return NULL;
	size_t slot = (size_t)(((uintptr_t)s >> 3) * 0x9E3779B97F4A7C15u >> 54) & (RECENT - 1);
	const char *seen = mb->recent[slot].copy;
	if (mb->recent[slot].at == s && (seen == s || strcmp(seen, s) == 0))
		return seen;
	size_t len = strlen(s);
	const char *hit = tm_hmap_get(&mb->strings, s, len);
	if (!hit) {
		char *copy = tm_arena_strndup(mb->m->arena, s, len);
		if (!copy || tm_hmap_put(&mb->strings, copy, len, copy)) {
			mb->m->oom = 1;
			return NULL;
		}
		hit = copy;
	}
	mb->recent[slot].at = s;
	mb->recent[slot].copy = hit;
	return hit;
}

tm_model_builder *tm_mb_new(void)
{
	tm_model_builder *mb = tm_calloc(1, sizeof(*mb));
	if (!mb)
		return NULL;
	mb->m = tm_calloc(1, sizeof(tm_model));
	if (!mb->m || !(mb->m->arena = tm_arena_new_large())) {
		tm_free(mb->m);
		tm_free(mb);
		return NULL;
	}
	mb->m->pol.arena = mb->m->arena;
	mb->m->pol.root_ns = "istio-system";
	return mb;
}

tm_policy *tm_mb_policy(tm_model_builder *mb)
{
	return &mb->m->pol;
}

#define OVERLAY_ADD(mb, name)                                                                     \
	(TM_GROW((mb)->m->name, (mb)->m->cap_##name, (mb)->m->n##name + 1)                         \
		 ? ((mb)->m->oom = 1, NULL)                                                        \
		 : memset(&(mb)->m->name[(mb)->m->n##name++], 0, sizeof(*(mb)->m->name)))

tm_asset *tm_mb_asset(tm_model_builder *mb) { return OVERLAY_ADD(mb, assets); }
tm_assumption *tm_mb_assumption(tm_model_builder *mb) { return OVERLAY_ADD(mb, assumptions); }
tm_accepted_risk *tm_mb_accepted(tm_model_builder *mb) { return OVERLAY_ADD(mb, accepted); }

const char *tm_mb_strdup(tm_model_builder *mb, const char *s)
{
	return s ? intern(mb, s) : NULL;
}

size_t tm_model_asset_count(const tm_model *m) { return m->nassets; }
const tm_asset *tm_model_asset(const tm_model *m, size_t i) { return i < m->nassets ? &m->assets[i] : NULL; }
size_t tm_model_assumption_count(const tm_model *m) { return m->nassumptions; }
const tm_assumption *tm_model_assumption(const tm_model *m, size_t i)
{
	return i < m->nassumptions ? &m->assumptions[i] : NULL;
}
size_t tm_model_accepted_count(const tm_model *m) { return m->naccepted; }
const tm_accepted_risk *tm_model_accepted(const tm_model *m, size_t i)
{
	return i < m->naccepted ? &m->accepted[i] : NULL;
}

const tm_policy *tm_model__policy(const tm_model *m)
{
	return &m->pol;
}

void tm_mb_free(tm_model_builder *mb)
{
	if (!mb)
		return;
	tm_model_free(mb->m);
	tm_hmap_dispose(&mb->strings);
	tm_free(mb);
}

const tm_model *tm_mb_model(const tm_model_builder *mb)
{
	return mb->m;
}

tm_boundary *tm_mb_boundary(tm_model_builder *mb, tm_boundary_kind kind, const char *id,
			    const char *name, const char *parent)
{
	tm_model *m = mb->m;
	if (!id) { /* an id that could not be formatted */
		m->oom = 1;
		return NULL;
	}
	tm_boundary *b = tm_hmap_get(&m->bnd_index, id, strlen(id));
	if (b)
		return b;
	b = tm_arena_alloc(m->arena, sizeof(*b));
	if (!b || TM_GROW(m->boundaries, m->cap_boundaries, m->nboundaries + 1))
		goto oom;
	b->kind = kind;
	b->id = intern(mb, id);
	b->name = intern(mb, name ? name : id);
	b->parent = intern(mb, parent);
	if (!b->id || !b->name || tm_hmap_put(&m->bnd_index, b->id, strlen(b->id), b))
		goto oom;
	m->boundaries[m->nboundaries++] = b;
	return b;
oom:
	m->oom = 1;
	return NULL;
}

/* A node's or edge's own vector (evidence, facts, attributes): the first array holds first items,
 * then each grows by half. Most nodes have one piece of evidence and an endpoint some fifteen
 * attributes; tm_grow's doubling from eight left half of every such array empty, and at 5,000
 * services those arrays are the model's largest part. */
static int vec_grow(void **items, size_t *cap, size_t need, size_t elem, size_t first)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : first;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return TM_ENOMEM;
		ncap += ncap / 2 + 1;
	}
	void *p = tm_realloc(*items, ncap * elem);
	if (!p)
		return TM_ENOMEM;
	*items = p;
	*cap = ncap;
	return 0;
}
#define VEC_GROW(v, first) vec_grow((void **)&(v)->items, &(v)->cap, (v)->count + 1, sizeof(*(v)->items), (first))

static void add_loc(tm_model_builder *mb, struct tm_loc_vec *v, tm_loc loc)
{
	if (!loc.path)
		return;
	if (VEC_GROW(v, 1)) {
		mb->m->oom = 1;
		return;
	}
	tm_loc l = {intern(mb, loc.path), loc.line, loc.col, intern(mb, loc.pointer)};
	v->items[v->count++] = l;
}

void tm_mb_add_evidence(tm_model_builder *mb, tm_node *n, tm_loc loc)
{
	if (!n) /* the node or edge could not be made (out of memory) */
		return;
	add_loc(mb, &n->evidence, loc);
}

void tm_mb_node_fact(tm_model_builder *mb, tm_node *n, const char *key, const char *value, tm_loc loc)
{
	if (!n || !value)
		return;
	tm_mb_node_list_add(mb, n, key, value);
	add_loc(mb, &n->evidence, loc);
	if (VEC_GROW(&n->facts, 1)) {
		mb->m->oom = 1;
		return;
	}
	tm_fact_loc *f = &n->facts.items[n->facts.count++];
	f->key = intern(mb, key);
	f->value = intern(mb, value);
	f->loc.path = intern(mb, loc.path);
	f->loc.line = loc.line;
	f->loc.col = loc.col;
	f->loc.pointer = intern(mb, loc.pointer);
}

tm_node *tm_mb_find(tm_model_builder *mb, const char *id)
{
	if (!id) /* an id that could not be formatted (out of memory) finds nothing */
		return NULL;
	return tm_hmap_get(&mb->m->node_index, id, strlen(id));
}

void tm_mb_reserve(tm_model_builder *mb, size_t nodes, size_t edges)
{
	tm_model *m = mb->m;
	/* each node interns its id and mostly a name or a value or two of its own */
	if (tm_hmap_reserve(&m->node_index, m->node_index.count + nodes) ||
	    tm_hmap_reserve(&m->edge_index, m->edge_index.count + edges) ||
	    tm_hmap_reserve(&mb->strings, mb->strings.count + 2 * nodes) ||
	    TM_GROW(m->nodes, m->cap_nodes, m->nnodes + nodes) || TM_GROW(m->edges, m->cap_edges, m->nedges + edges))
		m->oom = 1;
}

tm_node *tm_mb_node(tm_model_builder *mb, tm_node_kind kind, const char *id, const char *name,
		    const char *boundary, tm_loc loc)
{
	tm_model *m = mb->m;
	if (!id) {
		m->oom = 1;
		return NULL;
	}
	tm_node *n = tm_mb_find(mb, id);
	if (!n) {
		n = tm_arena_alloc(m->arena, sizeof(*n));
		if (!n || TM_GROW(m->nodes, m->cap_nodes, m->nnodes + 1)) {
			m->oom = 1;
			return NULL;
		}
		n->kind = kind;
		n->id = intern(mb, id);
		n->name = intern(mb, name ? name : id);
		n->boundary = intern(mb, boundary);
		if (!n->id || !n->name || tm_hmap_put(&m->node_index, n->id, strlen(n->id), n)) {
			m->oom = 1;
			return NULL;
		}
		m->nodes[m->nnodes++] = n;
	}
	add_loc(mb, &n->evidence, loc);
	return n;
}

tm_edge *tm_mb_edge(tm_model_builder *mb, tm_node *from, tm_node *to, tm_edge_kind kind, tm_loc loc)
{
	tm_model *m = mb->m;
	if (!from || !to) /* an end that could not be made (out of memory) */
		return NULL;
	/* nodes are unique by address for the model's lifetime, so their addresses and the kind are the
	 * key, as bytes */
	char key[2 * sizeof(void *) + sizeof(int)];
	const size_t klen = sizeof(key);
	int k32 = (int)kind;
	memcpy(key, &from, sizeof(void *));
	memcpy(key + sizeof(void *), &to, sizeof(void *));
	memcpy(key + 2 * sizeof(void *), &k32, sizeof(int));
	tm_edge *e = tm_hmap_get(&m->edge_index, key, klen);
	if (!e) {
		e = tm_arena_alloc(m->arena, sizeof(*e));
		char *k = tm_arena_alloc(m->arena, klen);
		if (k)
			memcpy(k, key, klen);
		if (!e || !k || TM_GROW(m->edges, m->cap_edges, m->nedges + 1) ||
		    tm_hmap_put(&m->edge_index, k, klen, e)) {
			m->oom = 1;
			return NULL;
		}
		e->from = from;
		e->to = to;
		e->kind = kind;
		e->authn = TM_AUTHN_UNKNOWN;
		e->authz = TM_AUTHZ_UNKNOWN;
		e->enforced_at = TM_ENFORCED_UNKNOWN;
		m->edges[m->nedges++] = e;
	}
	add_loc(mb, &e->evidence, loc);
	return e;
}

void tm_mb_drop(tm_model_builder *mb, const tm_pset *edges, const tm_pset *nodes)
{
	tm_model *m = mb->m;
	tm_pset touched = TM_PSET_INIT; /* nodes an edge kept touches */
	size_t o = 0;
	for (size_t i = 0; i < m->nedges; i++) {
		tm_edge *e = m->edges[i];
		if (!tm_pset_has(edges, e)) {
			m->edges[o++] = e;
			if (nodes && nodes->count && (tm_pset_add(&touched, e->from) < 0 || tm_pset_add(&touched, e->to) < 0))
				m->oom = 1;
			continue;
		}
		char key[2 * sizeof(void *) + sizeof(int)];
		int k32 = (int)e->kind;
		memcpy(key, &e->from, sizeof(void *));
		memcpy(key + sizeof(void *), &e->to, sizeof(void *));
		memcpy(key + 2 * sizeof(void *), &k32, sizeof(int));
		if (tm_hmap_put(&m->edge_index, key, sizeof(key), NULL)) /* the key is there: no growth */
			m->oom = 1;
		tm_free(e->evidence.items);
		tm_free(e->attrs.items);
	}
	m->nedges = o;
	o = 0;
	for (size_t i = 0; nodes && nodes->count && i < m->nnodes; i++) {
		tm_node *n = m->nodes[i];
		if (!tm_pset_has(nodes, n) || tm_pset_has(&touched, n)) {
			m->nodes[o++] = n;
			continue;
		}
		if (tm_hmap_put(&m->node_index, n->id, strlen(n->id), NULL))
			m->oom = 1;
		tm_free(n->evidence.items);
		tm_free(n->attrs.items);
		tm_free(n->facts.items);
	}
	if (nodes && nodes->count)
		m->nnodes = o;
	tm_pset_dispose(&touched);
}

uint64_t tm_attr_key_head(const char *key)
{
	uint64_t h = 0;
	size_t i = 0;
	for (; i < 8 && key[i]; i++)
		h = h << 8 | (unsigned char)key[i];
	return i ? h << (8 * (8 - i)) : 0; /* "" is 0: a shift by 64 would be undefined */
}

/* A head's bit in a node's attr_bloom (a multiplicative hash's top six bits): a lookup of an
 * attribute the node lacks, the commonest kind in the rules (is this workload privileged? does this
 * endpoint take an idempotency key?), mostly ends there without reading the node's attributes. */
static uint64_t head_bit(uint64_t head)
{
	return (uint64_t)1 << ((head * 0x9E3779B97F4A7C15u) >> 58);
}

/* Is a's key the key whose head is h? The heads first, the bytes past the eighth only when the
 * heads match and the key is longer. */
static bool same_key(const tm_attr *a, uint64_t h, const char *key)
{
	return a->key_head == h && (!(h & 0xff) || strcmp(a->key + 8, key + 8) == 0);
}

/* The attribute key names in v, made when it is not there. The heads are compared first: an
 * endpoint's twenty attributes cost twenty strcmp calls each without them. */
static tm_attr *attr_slot(tm_model_builder *mb, struct tm_attr_vec *v, const char *key)
{
	uint64_t h = tm_attr_key_head(key);
	for (size_t i = 0; i < v->count; i++)
		if (same_key(&v->items[i], h, key))
			return &v->items[i];
	if (VEC_GROW(v, 4)) {
		mb->m->oom = 1;
		return NULL;
	}
	const char *k = intern(mb, key);
	if (!k)
		return NULL; /* intern() recorded the failure; the slot is not taken */
	tm_attr *a = &v->items[v->count++];
	memset(a, 0, sizeof(*a));
	a->key = k;
	a->key_head = h;
	return a;
}

static void set_str(tm_model_builder *mb, struct tm_attr_vec *v, const char *key, const char *value)
{
	tm_attr *a = attr_slot(mb, v, key);
	if (a) {
		a->type = TM_ATTR_STR;
		a->str = intern(mb, value ? value : "");
	}
}

/* The slots of a list of len items' array: the least power of two, 4 or more, above len (the
 * items and their NULL). An attribute keeps no capacity: settling a list (fewer items) only makes
 * this smaller than the array, so the next item copies into a new array and never writes past one. */
static size_t list_slots(size_t len)
{
	size_t c = 4;
	while (c <= len)
		c *= 2;
	return c;
}

/* Lists grow by doubling and stay unsorted while the model is built (a hostile list of N hosts
 * costs O(N), not O(N^2)); tm_mb_finish sorts them and drops repeats. A NULL item (a map or a
 * list where a string belongs) is no item. */
static void list_add(tm_model_builder *mb, struct tm_attr_vec *v, const char *key, const char *item)
{
	if (!item)
		return;
	tm_attr *a = attr_slot(mb, v, key);
	if (!a)
		return;
	if (a->type != TM_ATTR_LIST)
		a->list_len = 0;
	/* the common case, the same item again (a fact seen twice in a row), stays small */
	if (a->type == TM_ATTR_LIST && a->list_len && a->list[a->list_len - 1] == intern(mb, item))
		return;
	if (a->list_len >= UINT32_MAX - 1) {
		mb->m->oom = 1; /* four billion items: the limits stop any input long before */
		return;
	}
	if (a->type != TM_ATTR_LIST || a->list_len + 2u > list_slots(a->list_len)) {
		size_t cap = list_slots(a->list_len + 1u);
		const char **nl = tm_arena_alloc(mb->m->arena, cap * sizeof(char *));
		if (!nl) {
			mb->m->oom = 1;
			return;
		}
		if (a->list_len)
			memcpy(nl, a->list, a->list_len * sizeof(char *));
		a->type = TM_ATTR_LIST; /* only now: a reader never sees a list without its array */
		a->list = nl;
	}
	const char *s = intern(mb, item);
	if (!s)
		return;
	const char **l = (const char **)a->list;
	l[a->list_len++] = s;
	l[a->list_len] = NULL;
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort a list attribute and drop repeats: interned strings, so equal means the same pointer. */
static void settle_list(tm_attr *a)
{
	if (a->type != TM_ATTR_LIST || a->list_len < 2)
		return;
	const char **l = (const char **)a->list;
	qsort(l, a->list_len, sizeof(char *), str_ptr_cmp);
	size_t o = 1;
	for (size_t k = 1; k < a->list_len; k++)
		if (l[k] != l[o - 1])
			l[o++] = l[k];
	l[o] = NULL;
	a->list_len = o;
}

static void settle_lists(struct tm_attr_vec *v)
{
	for (size_t i = 0; i < v->count; i++)
		settle_list(&v->items[i]);
}

void tm_mb_node_list_settle(tm_model_builder *mb, tm_node *n, const char *key)
{
	(void)mb;
	for (size_t i = 0; n && i < n->attrs.count; i++)
		if (strcmp(n->attrs.items[i].key, key) == 0)
			settle_list(&n->attrs.items[i]);
}

void tm_mb_node_str(tm_model_builder *mb, tm_node *n, const char *key, const char *value)
{
	if (!n) /* the node or edge could not be made (out of memory) */
		return;
	set_str(mb, &n->attrs, key, value);
}

void tm_mb_node_assume(tm_model_builder *mb, tm_node *n, const char *text)
{
	const char *had = n && text ? tm_node_attr_str(n, "assumed") : NULL;
	if (!n || !text || (had && strstr(had, text)))
		return;
	if (!had || !*had) {
		set_str(mb, &n->attrs, "assumed", text);
		return;
	}
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_printf(&sb, "%s; and %s", had, text);
	if (!sb.oom)
		set_str(mb, &n->attrs, "assumed", sb.data);
	tm_strbuf_dispose(&sb);
}

static void set_bool(tm_model_builder *mb, struct tm_attr_vec *attrs, const char *key, bool value)
{
	tm_attr *a = attr_slot(mb, attrs, key);
	if (a) {
		a->type = TM_ATTR_BOOL;
		a->num = value;
	}
}

void tm_mb_node_bool(tm_model_builder *mb, tm_node *n, const char *key, bool value)
{
	if (n) /* NULL: the node or edge could not be made (out of memory) */
		set_bool(mb, &n->attrs, key, value);
}

void tm_mb_node_int(tm_model_builder *mb, tm_node *n, const char *key, int64_t value)
{
	if (!n) /* the node or edge could not be made (out of memory) */
		return;
	tm_attr *a = attr_slot(mb, &n->attrs, key);
	if (a) {
		a->type = TM_ATTR_INT;
		a->num = value;
	}
}

void tm_mb_node_list_add(tm_model_builder *mb, tm_node *n, const char *key, const char *item)
{
	if (!n) /* the node or edge could not be made (out of memory) */
		return;
	list_add(mb, &n->attrs, key, item);
}

void tm_mb_edge_str(tm_model_builder *mb, tm_edge *e, const char *key, const char *value)
{
	if (!e) /* the node or edge could not be made (out of memory) */
		return;
	set_str(mb, &e->attrs, key, value);
}

void tm_mb_edge_bool(tm_model_builder *mb, tm_edge *e, const char *key, bool value)
{
	if (e)
		set_bool(mb, &e->attrs, key, value);
}

void tm_mb_edge_list_add(tm_model_builder *mb, tm_edge *e, const char *key, const char *item)
{
	if (!e) /* the node or edge could not be made (out of memory) */
		return;
	list_add(mb, &e->attrs, key, item);
}

/* ---- freezing ---------------------------------------------------------- */

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int loc_cmp(const void *pa, const void *pb)
{
	const tm_loc *a = pa, *b = pb;
	int c = cmp_str(a->path, b->path);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return cmp_str(a->pointer, b->pointer);
}

static void sort_locs(struct tm_loc_vec *v)
{
	if (v->count < 2)
		return;
	qsort(v->items, v->count, sizeof(tm_loc), loc_cmp);
	size_t out = 1;
	for (size_t i = 1; i < v->count; i++)
		if (loc_cmp(&v->items[i], &v->items[out - 1]) != 0)
			v->items[out++] = v->items[i];
	v->count = out;
}

static int fact_cmp(const void *pa, const void *pb)
{
	const tm_fact_loc *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	if (!c)
		c = strcmp(a->value, b->value);
	return c ? c : loc_cmp(&a->loc, &b->loc);
}

static int attr_cmp(const void *pa, const void *pb)
{
	return strcmp(((const tm_attr *)pa)->key, ((const tm_attr *)pb)->key);
}

/* a before b, as attr_cmp orders them: the heads first (the first 8 bytes, as strcmp would), the
 * rest only when the heads match (keys are distinct within a vector) */
static bool attr_before(const tm_attr *a, const tm_attr *b)
{
	if (a->key_head != b->key_head)
		return a->key_head < b->key_head;
	return (a->key_head & 0xff) && strcmp(a->key + 8, b->key + 8) < 0;
}

/* A node's or an edge's attributes by key. They are a few dozen at most, set in much the same order
 * on every node of a kind: an insertion sort on the heads, qsort for a long vector. */
static void sort_attrs(struct tm_attr_vec *v)
{
	if (v->count > 48) {
		qsort(v->items, v->count, sizeof(tm_attr), attr_cmp);
		return;
	}
	for (size_t i = 1; i < v->count; i++) {
		tm_attr x = v->items[i];
		size_t j = i;
		for (; j > 0 && attr_before(&x, &v->items[j - 1]); j--)
			v->items[j] = v->items[j - 1];
		v->items[j] = x;
	}
}

static int node_cmp(const void *pa, const void *pb)
{
	return strcmp((*(tm_node *const *)pa)->id, (*(tm_node *const *)pb)->id);
}

static int edge_cmp(const void *pa, const void *pb)
{
	const tm_edge *a = *(tm_edge *const *)pa, *b = *(tm_edge *const *)pb;
	int c = strcmp(a->from->id, b->from->id);
	if (c)
		return c;
	c = strcmp(a->to->id, b->to->id);
	if (c)
		return c;
	return (int)a->kind - (int)b->kind;
}

static int boundary_cmp(const void *pa, const void *pb)
{
	return strcmp((*(tm_boundary *const *)pa)->id, (*(tm_boundary *const *)pb)->id);
}

/* Every edge listed under both its ends (once for a loop): counting sort by node index. */
static int build_incidence(tm_model *m)
{
	m->inc_start = tm_calloc(m->nnodes + 1, sizeof(size_t));
	m->inc = tm_calloc(2 * m->nedges + 1, sizeof(*m->inc));
	size_t *fill = tm_calloc(m->nnodes + 1, sizeof(size_t));
	if (!m->inc_start || !m->inc || !fill) {
		tm_free(fill);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < m->nedges; i++) {
		const tm_edge *e = m->edges[i];
		m->inc_start[e->from->index + 1]++;
		if (e->to != e->from)
			m->inc_start[e->to->index + 1]++;
	}
	for (size_t j = 0; j < m->nnodes; j++)
		m->inc_start[j + 1] += m->inc_start[j];
	for (size_t i = 0; i < m->nedges; i++) {
		const tm_edge *e = m->edges[i];
		size_t f = e->from->index, t = e->to->index;
		m->inc[m->inc_start[f] + fill[f]++] = e;
		if (t != f)
			m->inc[m->inc_start[t] + fill[t]++] = e;
	}
	/* the same edges split by direction */
	m->out_start = tm_calloc(m->nnodes + 1, sizeof(size_t));
	m->in_start = tm_calloc(m->nnodes + 1, sizeof(size_t));
	m->out = tm_calloc(m->nedges + 1, sizeof(*m->out));
	m->in = tm_calloc(m->nedges + 1, sizeof(*m->in));
	if (!m->out_start || !m->in_start || !m->out || !m->in) {
		tm_free(fill);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < m->nedges; i++) {
		m->out_start[m->edges[i]->from->index + 1]++;
		m->in_start[m->edges[i]->to->index + 1]++;
	}
	for (size_t j = 0; j < m->nnodes; j++) {
		m->out_start[j + 1] += m->out_start[j];
		m->in_start[j + 1] += m->in_start[j];
	}
	memset(fill, 0, (m->nnodes + 1) * sizeof(size_t));
	size_t *fill_in = tm_calloc(m->nnodes + 1, sizeof(size_t));
	if (!fill_in) {
		tm_free(fill);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < m->nedges; i++) {
		const tm_edge *e = m->edges[i];
		size_t f = e->from->index, t = e->to->index;
		m->out[m->out_start[f] + fill[f]++] = e;
		m->in[m->in_start[t] + fill_in[t]++] = e;
	}
	tm_free(fill_in);
	tm_free(fill);
	m->out_adj = tm_calloc(m->nedges + 1, sizeof(*m->out_adj));
	if (!m->out_adj)
		return TM_ENOMEM;
	for (size_t i = 0; i < m->nedges; i++) {
		const tm_edge *e = m->out[i];
		m->out_adj[i] = (tm_adj){e, e->to, e->to->index, e->kind, e->to->kind, e->proxied, e->to->is_workload};
	}
	return 0;
}

const tm_edge *const *tm_model__outgoing(const tm_model *m, const tm_node *n, size_t *count)
{
	*count = m->out_start[n->index + 1] - m->out_start[n->index];
	return m->out + m->out_start[n->index];
}

const tm_adj *tm_model__out_adj(const tm_model *m, const tm_node *n, size_t *count, size_t *slot)
{
	*slot = m->out_start[n->index];
	*count = m->out_start[n->index + 1] - *slot;
	return m->out_adj + *slot;
}

const tm_edge *const *tm_model__incoming(const tm_model *m, const tm_node *n, size_t *count)
{
	*count = m->in_start[n->index + 1] - m->in_start[n->index];
	return m->in + m->in_start[n->index];
}

struct tm_ns_range {
	size_t start, count;
};

static const char *node_ns(const tm_node *n)
{
	for (size_t i = 0; i < n->attrs.count; i++)
		if (n->attrs.items[i].type == TM_ATTR_STR && strcmp(n->attrs.items[i].key, "namespace") == 0)
			return n->attrs.items[i].str;
	return NULL;
}

static int ns_node_cmp(const void *a, const void *b)
{
	const tm_node *x = *(const tm_node *const *)a, *y = *(const tm_node *const *)b;
	int c = strcmp(node_ns(x), node_ns(y));
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Nodes grouped by namespace, each group in node order. */
static int build_ns_index(tm_model *m)
{
	size_t n = 0;
	m->ns_nodes = tm_calloc(m->nnodes + 1, sizeof(*m->ns_nodes));
	if (!m->ns_nodes)
		return TM_ENOMEM;
	for (size_t i = 0; i < m->nnodes; i++)
		if (node_ns(m->nodes[i]))
			m->ns_nodes[n++] = m->nodes[i];
	if (n > 1)
		qsort((void *)m->ns_nodes, n, sizeof(*m->ns_nodes), ns_node_cmp);
	for (size_t i = 0; i < n;) {
		const char *ns = node_ns(m->ns_nodes[i]);
		size_t j = i;
		while (j < n && strcmp(node_ns(m->ns_nodes[j]), ns) == 0)
			j++;
		struct tm_ns_range *r = tm_arena_alloc(m->arena, sizeof(*r));
		if (!r || tm_hmap_put(&m->ns_index, ns, strlen(ns), r))
			return TM_ENOMEM;
		r->start = i;
		r->count = j - i;
		i = j;
	}
	return 0;
}

/* Nodes grouped by kind (a counting sort: node order kept within each kind). */
static int build_kind_index(tm_model *m)
{
	m->by_kind = tm_calloc(m->nnodes + 1, sizeof(*m->by_kind));
	if (!m->by_kind)
		return TM_ENOMEM;
	memset(m->kind_start, 0, sizeof(m->kind_start));
	for (size_t i = 0; i < m->nnodes; i++)
		if ((unsigned)m->nodes[i]->kind < TM_NODE__COUNT)
			m->kind_start[m->nodes[i]->kind + 1]++;
	for (size_t k = 0; k < TM_NODE__COUNT; k++)
		m->kind_start[k + 1] += m->kind_start[k];
	size_t fill[TM_NODE__COUNT] = {0};
	for (size_t i = 0; i < m->nnodes; i++) {
		unsigned k = m->nodes[i]->kind;
		if (k < TM_NODE__COUNT)
			m->by_kind[m->kind_start[k] + fill[k]++] = m->nodes[i];
	}
	return 0;
}

const tm_node *const *tm_model__kind_begin(const tm_model *m, tm_node_kind kind)
{
	return (unsigned)kind < TM_NODE__COUNT ? m->by_kind + m->kind_start[kind] : m->by_kind;
}

const tm_node *const *tm_model__kind_end(const tm_model *m, tm_node_kind kind)
{
	return (unsigned)kind < TM_NODE__COUNT ? m->by_kind + m->kind_start[kind + 1] : m->by_kind;
}

const tm_edge *const *tm_model__incident(const tm_model *m, const tm_node *n, size_t *count)
{
	*count = m->inc_start[n->index + 1] - m->inc_start[n->index];
	return m->inc + m->inc_start[n->index];
}

const tm_node *const *tm_model__in_namespace(const tm_model *m, const char *ns, size_t *count)
{
	const struct tm_ns_range *r = ns ? tm_hmap_get(&m->ns_index, ns, strlen(ns)) : NULL;
	*count = r ? r->count : 0;
	return r ? m->ns_nodes + r->start : NULL;
}

int tm_mb_finish(tm_model_builder *mb, tm_model **out)
{
	tm_model *m = mb->m;
	*out = NULL;
	if (m->oom || tm_arena_failed(m->arena)) {
		tm_mb_free(mb);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < m->nnodes; i++) {
		sort_locs(&m->nodes[i]->evidence);
		struct tm_fact_vec *fv = &m->nodes[i]->facts;
		if (fv->count > 1) {
			qsort(fv->items, fv->count, sizeof(tm_fact_loc), fact_cmp);
			size_t o = 1;
			for (size_t k = 1; k < fv->count; k++)
				if (fact_cmp(&fv->items[k], &fv->items[o - 1]))
					fv->items[o++] = fv->items[k];
			fv->count = o;
		}
		settle_lists(&m->nodes[i]->attrs);
		sort_attrs(&m->nodes[i]->attrs);
		m->nodes[i]->attr_bloom = 0;
		for (size_t a = 0; a < m->nodes[i]->attrs.count; a++) /* heads made by attr_slot */
			m->nodes[i]->attr_bloom |= head_bit(m->nodes[i]->attrs.items[a].key_head);
	}
	for (size_t i = 0; i < m->nedges; i++) {
		tm_edge *e = m->edges[i];
		sort_locs(&e->evidence);
		settle_lists(&e->attrs);
		sort_attrs(&e->attrs);
		e->crosses = cmp_str(e->from->boundary, e->to->boundary) != 0;
	}
	if (m->nnodes > 1)
		qsort(m->nodes, m->nnodes, sizeof(tm_node *), node_cmp);
	if (m->nedges > 1)
		qsort(m->edges, m->nedges, sizeof(tm_edge *), edge_cmp);
	if (m->nboundaries > 1)
		qsort(m->boundaries, m->nboundaries, sizeof(tm_boundary *), boundary_cmp);
	for (size_t i = 0; i < m->nnodes; i++) {
		m->nodes[i]->index = i;
		m->nodes[i]->frozen = true;
		m->nodes[i]->is_workload = m->nodes[i]->kind == TM_NODE_SERVICE && tm_node_attr_str(m->nodes[i], "workload");
	}
	for (size_t i = 0; i < m->nedges; i++) {
		tm_edge *e = m->edges[i];
		for (size_t a = 0; e->kind == TM_EDGE_CALLS && a < e->attrs.count; a++) {
			const char *k = e->attrs.items[a].key;
			e->proxied |= strcmp(k, "proxied_by") == 0;
			e->observed |= strcmp(k, "observed") == 0;
			e->observed_only |= strcmp(k, "observed_only") == 0;
		}
		for (size_t a = 0; e->kind == TM_EDGE_RUNS_AS && a < e->attrs.count; a++)
			e->no_token |= strcmp(e->attrs.items[a].key, "token") == 0;
		if (e->kind == TM_EDGE_GRANTED && e->from->kind == TM_NODE_IDENTITY)
			e->from->federates = true;
		for (size_t a = 0; e->kind == TM_EDGE_MOUNTS && a < e->attrs.count; a++)
			e->public_only |= strcmp(e->attrs.items[a].key, "public_only") == 0 && e->attrs.items[a].str &&
					  strcmp(e->attrs.items[a].str, "true") == 0;
	}
	if (build_incidence(m) || build_ns_index(m) || build_kind_index(m) || tm_policy__index(&m->pol)) {
		tm_mb_free(mb);
		return TM_ENOMEM;
	}
	tm_hmap_dispose(&mb->strings);
	tm_hmap_dispose(&m->edge_index);
	tm_free(mb);
	*out = m;
	return 0;
}

void tm_model_free(tm_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nnodes; i++) {
		tm_free(m->nodes[i]->evidence.items);
		tm_free(m->nodes[i]->attrs.items);
		tm_free(m->nodes[i]->facts.items);
	}
	for (size_t i = 0; i < m->nedges; i++) {
		tm_free(m->edges[i]->evidence.items);
		tm_free(m->edges[i]->attrs.items);
	}
	tm_free(m->nodes);
	tm_free(m->edges);
	tm_policy__dispose(&m->pol);
	tm_free(m->assets);
	tm_free(m->assumptions);
	tm_free(m->accepted);
	tm_free(m->boundaries);
	tm_hmap_dispose(&m->node_index);
	tm_hmap_dispose(&m->edge_index);
	tm_hmap_dispose(&m->bnd_index);
	tm_hmap_dispose(&m->ns_index);
	tm_free(m->inc_start);
	tm_free(m->out_start);
	tm_free(m->in_start);
	tm_free(m->out);
	tm_free(m->out_adj);
	tm_free(m->in);
	tm_free(m->inc);
	tm_free((void *)m->ns_nodes);
	tm_free((void *)m->by_kind);
	tm_arena_free(m->arena);
	tm_free(m);
}

/* ---- read access ------------------------------------------------------- */

size_t tm_model_boundary_count(const tm_model *m) { return m->nboundaries; }
const tm_boundary *tm_model_boundary(const tm_model *m, size_t i) { return i < m->nboundaries ? m->boundaries[i] : NULL; }
size_t tm_model_node_count(const tm_model *m) { return m->nnodes; }
const tm_node *tm_model_node(const tm_model *m, size_t i) { return i < m->nnodes ? m->nodes[i] : NULL; }
size_t tm_model_edge_count(const tm_model *m) { return m->nedges; }
const tm_edge *tm_model_edge(const tm_model *m, size_t i) { return i < m->nedges ? m->edges[i] : NULL; }

const tm_node *tm_model_find(const tm_model *m, const char *id)
{
	return tm_hmap_get(&m->node_index, id, strlen(id));
}

size_t tm_model_count_kind(const tm_model *m, tm_node_kind k)
{
	if (m->by_kind) /* frozen */
		return (size_t)(tm_model__kind_end(m, k) - tm_model__kind_begin(m, k));
	size_t n = 0;
	for (size_t i = 0; i < m->nnodes; i++)
		n += m->nodes[i]->kind == k;
	return n;
}

const char *tm_boundary_id(const tm_boundary *b) { return b->id; }
tm_boundary_kind tm_boundary_kind_of(const tm_boundary *b) { return b->kind; }
const char *tm_boundary_name(const tm_boundary *b) { return b->name; }
const char *tm_boundary_parent(const tm_boundary *b) { return b->parent; }

const char *tm_node_id(const tm_node *n) { return n->id; }
tm_node_kind tm_node_kind_of(const tm_node *n) { return n->kind; }
const char *tm_node_name(const tm_node *n) { return n->name; }
const char *tm_node_boundary(const tm_node *n) { return n->boundary; }
size_t tm_node_evidence_count(const tm_node *n) { return n->evidence.count; }
tm_loc tm_node_evidence(const tm_node *n, size_t i) { return n->evidence.items[i]; }
size_t tm_node_fact_count(const tm_node *n) { return n->facts.count; }
const tm_fact_loc *tm_node_fact(const tm_node *n, size_t i) { return &n->facts.items[i]; }
size_t tm_node_attr_count(const tm_node *n) { return n->attrs.count; }
const tm_attr *tm_node_attr(const tm_node *n, size_t i) { return &n->attrs.items[i]; }

const tm_attr *tm_node_attr_find(const tm_node *n, const char *key, uint64_t h)
{
	if (n->frozen) { /* sorted by key when the model froze: bisect on the heads, then the rest */
		if (!(n->attr_bloom & head_bit(h)))
			return NULL;
		size_t lo = 0, hi = n->attrs.count;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const tm_attr *a = &n->attrs.items[mid];
			int c = a->key_head < h ? -1 : a->key_head > h ? 1 : (h & 0xff) ? strcmp(a->key + 8, key + 8) : 0;
			if (!c)
				return a;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return NULL;
	}
	/* still being built: in the order set, heads made by attr_slot */
	for (size_t i = 0; i < n->attrs.count; i++)
		if (same_key(&n->attrs.items[i], h, key))
			return &n->attrs.items[i];
	return NULL;
}

const tm_attr *(tm_node_attr_get)(const tm_node *n, const char *key)
{
	return tm_node_attr_find(n, key, tm_attr_key_head(key));
}

const char *(tm_node_attr_str)(const tm_node *n, const char *key)
{
	return tm_node_attr_str_of_(tm_node_attr_find(n, key, tm_attr_key_head(key)));
}

bool tm_node_unresolved_name(const tm_node *n)
{
	return n && n->kind == TM_NODE_SERVICE && tm_node_attr_str(n, "unresolved") && !tm_node_attr_get(n, "workload");
}

bool tm_pipeline_outsider_triggered(const tm_node *p)
{
	static const char *const ev[] = {"pull_request", "pull_request_target", "pull_request_review",
					 "pull_request_review_comment", "issue_comment", "workflow_run"};
	const tm_attr *a = p ? tm_node_attr_get(p, "triggers") : NULL;
	const char *const *t = a && a->type == TM_ATTR_LIST ? a->list : NULL;
	for (size_t i = 0; t && t[i]; i++)
		for (size_t k = 0; k < TM_ARRAY_LEN(ev); k++)
			if (strcmp(t[i], ev[k]) == 0)
				return true;
	return false;
}

bool tm_pipeline_outsider_runs(const tm_node *p)
{
	return p && tm_node_kind_of(p) == TM_NODE_PIPELINE &&
	       (tm_node_attr_get(p, "untrusted_triggers") ||
		(tm_node_attr_get(p, "self_hosted_runners") && tm_pipeline_outsider_triggered(p)));
}

const tm_node *tm_edge_from(const tm_edge *e) { return e->from; }
const tm_node *tm_edge_to(const tm_edge *e) { return e->to; }
tm_edge_kind tm_edge_kind_of(const tm_edge *e) { return e->kind; }
bool tm_edge_crosses_boundary(const tm_edge *e) { return e->crosses; }
tm_authn tm_edge_authn(const tm_edge *e) { return e->authn; }
tm_authz tm_edge_authz(const tm_edge *e) { return e->authz; }
tm_enforced_at tm_edge_enforced_at(const tm_edge *e) { return e->enforced_at; }
size_t tm_edge_evidence_count(const tm_edge *e) { return e->evidence.count; }
tm_loc tm_edge_evidence(const tm_edge *e, size_t i) { return e->evidence.items[i]; }
size_t tm_edge_attr_count(const tm_edge *e) { return e->attrs.count; }
const tm_attr *tm_edge_attr(const tm_edge *e, size_t i) { return &e->attrs.items[i]; }

const tm_attr *tm_edge_attr_get(const tm_edge *e, const char *key)
{
	for (size_t i = 0; i < e->attrs.count; i++)
		if (strcmp(e->attrs.items[i].key, key) == 0)
			return &e->attrs.items[i];
	return NULL;
}

const char *tm_edge_attr_str(const tm_edge *e, const char *key)
{
	const tm_attr *a = tm_edge_attr_get(e, key);
	return a && a->type == TM_ATTR_STR ? a->str : NULL;
}
