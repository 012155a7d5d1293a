/*
 * schema.c - what a JSON Schema holds, for OpenAPI bodies and AsyncAPI payloads alike:
 * its properties classified (privileged, sensitive, URL, unbounded quantity) and
 * those of everything it is made of, memoised per schema and mode.
 */
#include <ctype.h>
#include <strings.h>

#include "ingest.h"

static bool truthy(const tm_value *v)
{
	bool b;
	return v && !tm_scalar_bool(v, &b) && b;
}

void tm_schema_walker_init(tm_schema_walker *w, tm_refs *refs, tm_arena *arena)
{
	memset(w, 0, sizeof(*w));
	w->refs = refs;
	w->arena = arena;
}

void tm_schema_walker_dispose(tm_schema_walker *w)
{
	tm_hmap_dispose(&w->cache[0]);
	tm_hmap_dispose(&w->cache[1]);
}


/* The keywords of a schema that matter here, read in one pass over its keys. */
struct schema_fields {
	const tm_value *properties, *all_of, *one_of, *any_of, *items, *additional;
	const tm_value *type;
	const char *format;
	const char *example; /* example or default, when a string */
	const char *description;
	bool read_only, write_only, has_minimum, has_maximum;
};

static void schema_fields(const tm_value *s, struct schema_fields *o)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < tm_value_len(s); i++) {
		size_t kl;
		const char *k = tm_scalar_str(tm_map_key(s, i), &kl);
		const tm_value *v = tm_map_value(s, i);
		if (!k)
			continue;
#define IS(lit) (kl == sizeof(lit) - 1 && memcmp(k, lit, kl) == 0)
		if (IS("properties"))
			o->properties = v;
		else if (IS("allOf"))
			o->all_of = v;
		else if (IS("oneOf"))
			o->one_of = v;
		else if (IS("anyOf"))
			o->any_of = v;
		else if (IS("items"))
			o->items = v;
		else if (IS("additionalProperties"))
			o->additional = v;
		else if (IS("type"))
			o->type = v;
		else if (IS("format"))
			o->format = tm_scalar_str(v, NULL);
		else if ((IS("example") || IS("default")) && tm_value_kind_of(v) == TM_VALUE_SCALAR)
			o->example = tm_scalar_str(v, NULL);
		else if (IS("examples") && tm_value_kind_of(tm_seq_at(v, 0)) == TM_VALUE_SCALAR && !o->example)
			o->example = tm_scalar_str(tm_seq_at(v, 0), NULL); /* 3.1: a list of examples */
		else if (IS("description"))
			o->description = tm_scalar_str(v, NULL);
		else if (IS("readOnly"))
			o->read_only = truthy(v);
		else if (IS("writeOnly"))
			o->write_only = truthy(v);
		else if (IS("minimum") || IS("exclusiveMinimum"))
			o->has_minimum = true;
		else if (IS("maximum") || IS("exclusiveMaximum"))
			o->has_maximum = true;
#undef IS
	}
}

/* A schema type; 3.1 allows a list ([integer, "null"]): its first non-null entry. */
static const char *type_name(const tm_value *t)
{
	if (t && tm_value_kind_of(t) == TM_VALUE_SEQ) {
		for (size_t i = 0; i < tm_value_len(t); i++) {
			const char *s = tm_scalar_str(tm_seq_at(t, i), NULL);
			if (s && strcmp(s, "null") != 0)
				return s;
		}
		return NULL;
	}
	return tm_scalar_str(t, NULL);
}

const char *tm_schema_type(const tm_value *schema)
{
	return type_name(tm_map_get(schema, "type"));
}

bool tm_schema_numeric(const char *type)
{
	return type && (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0);
}

#define MAX_FACTS 512

static void fact_add(tm_schema_walker *o, tm_facts *fs, const char *key, const char *text)
{
	if (!text) /* its copy failed: the arena remembers, the scan fails */
		return;
	for (size_t i = 0; i < fs->n; i++)
		if (fs->items[i].key == key && strcmp(fs->items[i].text, text) == 0)
			return;
	if (fs->n >= MAX_FACTS)
		return;
	/* facts live in the arena; grow by doubling into a fresh block */
	if ((fs->n & (fs->n - 1)) == 0) {
		tm_fact *n = tm_arena_alloc(o->arena, (fs->n ? 2 * fs->n : 4) * sizeof(tm_fact));
		if (!n)
			return;
		if (fs->n)
			memcpy(n, fs->items, fs->n * sizeof(tm_fact));
		fs->items = n;
	}
	fs->items[fs->n].key = key;
	fs->items[fs->n].text = text;
	fs->n++;
}

static void facts_merge(tm_schema_walker *o, tm_facts *into, const tm_facts *from)
{
	for (size_t i = 0; from && i < from->n; i++)
		fact_add(o, into, from->items[i].key, from->items[i].text);
}


/* The facts of an array's items: a privileged field there sits in one of a list of values (the
 * permissions a decision request asks about, an order's lines), not on the object the request
 * writes; it is kept apart for the rules that tell the two (a body that is itself an array is
 * walked from its items, openapi.c). */
static void items_merge(tm_schema_walker *o, tm_facts *into, const tm_facts *from)
{
	static const char in_items[] = "privileged_in_items";
	for (size_t i = 0; from && i < from->n; i++)
		fact_add(o, into, strcmp(from->items[i].key, "privileged_writable") == 0 ? in_items : from->items[i].key,
			 from->items[i].text);
}

/* Accounts, wallets, cards: objects of value a caller owns. */
static bool owned_resource(const char *name)
{
	static const char *const words[] = {"account", "wallet", "card", "iban"};
	char low[128];
	size_t n = 0;
	for (const char *p = name; *p && n + 1 < sizeof(low); p++)
		if (*p != '_' && *p != '-' && *p != '.')
			low[n++] = (char)tolower((unsigned char)*p);
	low[n] = '\0';
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (strstr(low, words[i]))
			return true;
	return false;
}

/* An optional field written as anyOf/oneOf of one schema and null (Pydantic's Optional[int],
 * HttpUrl | None): the schema's type, format, bounds and example are the field's. */
static void nullable_branch(tm_schema_walker *o, const tm_file *f, struct schema_fields *sf)
{
	const tm_value *alts = sf->any_of ? sf->any_of : sf->one_of;
	if (sf->type || !alts || tm_value_len(alts) != 2)
		return;
	const tm_value *only = NULL;
	for (size_t i = 0; i < 2; i++) {
		const tm_file *bf = f;
		const tm_value *b = tm_refs_deref(o->refs, &bf, tm_seq_at(alts, i));
		const char *t = tm_schema_type(b);
		if (t && strcmp(t, "null") == 0)
			continue;
		if (only)
			return; /* two real alternatives: not a nullable field */
		only = b;
	}
	if (!only)
		return;
	struct schema_fields bf;
	schema_fields(only, &bf);
	if (bf.properties || bf.items)
		return; /* an optional object: its own properties are walked as a branch */
	sf->type = bf.type;
	sf->format = sf->format ? sf->format : bf.format;
	sf->example = sf->example ? sf->example : bf.example;
	sf->has_minimum = sf->has_minimum || bf.has_minimum;
	sf->has_maximum = sf->has_maximum || bf.has_maximum;
	sf->any_of = sf->one_of = NULL;
}

/* Is a field personal data only by its name's look while its value is a URL: a search result's
 * `location` with `format: uri`, an http(s) example, or (a `location`) described as a URL or link?
 * Secrets keep their class whatever they look like (a signed URL is still a secret). */
static bool url_valued(const char *name, const struct schema_fields *sf)
{
	if (tm_classify_name(name) & TM_CLASS_CREDENTIAL)
		return false;
	if ((tm_classify_format(sf->format) | tm_classify_example(sf->example)) & TM_CLASS_URL)
		return true;
	if (!tm_strcaseeq(name, "location") || !sf->description)
		return false;
	/* "the URL of the document", "a link to", "URI": the word alone, not inside another */
	static const char *const words[] = {"url", "uri", "link", "href"};
	for (const char *p = sf->description; *p; p++) {
		if (p != sf->description && isalnum((unsigned char)p[-1]))
			continue;
		for (size_t i = 0; i < TM_ARRAY_LEN(words); i++) {
			size_t n = strlen(words[i]);
			if (strncasecmp(p, words[i], n) == 0 && !isalpha((unsigned char)p[n]))
				return true;
		}
	}
	return false;
}

static void property(tm_schema_walker *o, tm_facts *fs, const tm_file *f, const char *name,
		     const tm_value *ps, int mode)
{
	const tm_file *pf = f;
	const tm_value *p = tm_refs_deref(o->refs, &pf, ps);
	if (!p)
		return;
	struct schema_fields sf;
	schema_fields(p, &sf);
	/* a leaf (no properties, branches, items or map of extra properties) holds nothing more: its
	 * facts are its name's, found here, so it is not walked or remembered (most properties are) */
	bool leaf = !sf.properties && !sf.all_of && !sf.one_of && !sf.any_of && !sf.items &&
		    !(sf.additional && tm_value_kind_of(sf.additional) == TM_VALUE_MAP);
	nullable_branch(o, pf, &sf);
	unsigned c = tm_classify_name(name) | tm_classify_format(sf.format) | tm_classify_example(sf.example);
	if ((c & TM_CLASS_SENSITIVE) && url_valued(name, &sf))
		c &= ~(unsigned)TM_CLASS_SENSITIVE;
	/* no type and no structure (swagger-autogen's `example: any` for every req.body field): it may
	 * be a number, so a quantity or a count by name is judged as one */
	bool untyped = !sf.type && !sf.properties && !sf.items && !sf.all_of && !sf.one_of && !sf.any_of;
	bool numeric = tm_schema_numeric(type_name(sf.type)) || untyped;
	if (mode == TM_WALK_REQUEST && !sf.read_only) {
		if (c & TM_CLASS_PRIVILEGED)
			fact_add(o, fs, "privileged_writable", name);
		if (c & TM_CLASS_URL)
			fact_add(o, fs, "url_inputs", tm_arena_printf(o->arena, "body:%s", name));
		if ((c & TM_CLASS_QUANTITY) && numeric && !sf.has_minimum)
			fact_add(o, fs, "unbounded_numbers", tm_arena_printf(o->arena, "body:%s", name));
		/* a count in the body (retries, repeats) with no maximum sizes the work; a page size does
		 * where the operation lists or searches, which the rule judges (a document's size does not) */
		if ((c & TM_CLASS_REPEAT) && numeric && !sf.has_maximum)
			fact_add(o, fs, "unbounded_counts", tm_arena_printf(o->arena, "body:%s", name));
		else if ((c & TM_CLASS_PAGINATION) && numeric && !sf.has_maximum)
			fact_add(o, fs, "page_fields", tm_arena_printf(o->arena, "body:%s", name));
		/* an identifier of something of value the caller owns (an account, a wallet, a card) sent
		 * in the body: moving money from it needs the same ownership check a path id does */
		if ((c & TM_CLASS_OBJECT_ID) && owned_resource(name))
			fact_add(o, fs, "object_ids", tm_arena_printf(o->arena, "%s:body:%s", name,
								       type_name(sf.type) ? type_name(sf.type) : "any"));
	}
	if (mode == TM_WALK_RESPONSE && !sf.write_only && (c & TM_CLASS_SENSITIVE))
		fact_add(o, fs, "sensitive_response", name);
	if (!leaf)
		facts_merge(o, fs, tm_schema_facts(o, pf, p, mode));
}

/*
 * What a schema holds: its properties' facts and those of everything it is
 * made of (allOf/oneOf/anyOf, items, additionalProperties), memoised per schema
 * and mode across all operations, since specs reuse a few schemas thousands of
 * times: each schema is walked once, so the work is linear in the spec. In a
 * cycle (A -> B -> A) the walk stops at the schema already on the stack, and what
 * B is remembered to hold then lacks A's own facts; A's endpoints still see them.
 */
/* allOf combines: a property one branch declares without a bound and another bounds is bounded
 * (allOf: [Money, {properties: {amount: {exclusiveMinimum: 0}}}]). Drops the facts that say otherwise. */
static void bounded_by_branch(tm_schema_walker *o, tm_facts *fs, const tm_file *f, const struct schema_fields *sf)
{
	size_t kept = 0;
	for (size_t i = 0; i < fs->n; i++) {
		const tm_fact *ft = &fs->items[i];
		bool lower = strcmp(ft->key, "unbounded_numbers") == 0, upper = strcmp(ft->key, "unbounded_counts") == 0 ||
												     strcmp(ft->key, "page_fields") == 0;
		bool bounded = false;
		const char *name = (lower || upper) && strncmp(ft->text, "body:", 5) == 0 ? ft->text + 5 : NULL;
		for (size_t b = 0; name && !bounded && b < tm_value_len(sf->all_of); b++) {
			const tm_file *bf = f;
			const tm_value *branch = tm_refs_deref(o->refs, &bf, tm_seq_at(sf->all_of, b));
			const tm_file *pf = bf;
			const tm_value *prop = tm_refs_deref(o->refs, &pf, tm_map_get(tm_map_get(branch, "properties"), name));
			struct schema_fields pfs;
			schema_fields(prop, &pfs);
			bounded = prop && (lower ? pfs.has_minimum : pfs.has_maximum);
		}
		if (!bounded)
			fs->items[kept++] = *ft;
	}
	fs->n = kept;
}

const tm_facts *tm_schema_facts(tm_schema_walker *o, const tm_file *f, const tm_value *schema, int mode)
{
	static const tm_facts none = {NULL, 0};
	const tm_value *s = schema ? tm_refs_deref(o->refs, &f, schema) : NULL;
	if (!s || tm_value_kind_of(s) != TM_VALUE_MAP)
		return &none;
	tm_hmap *cache = &o->cache[mode == TM_WALK_RESPONSE];
	tm_facts *hit = tm_hmap_get(cache, (const char *)&s, sizeof(s));
	if (hit)
		return hit;
	for (int i = 0; i < o->depth; i++)
		if (o->stack[i] == s) {
			o->cuts++;
			return &none;
		}
	if (o->depth > TM_SCHEMA_MAX_DEPTH) {
		o->cuts++;
		return &none;
	}
	tm_facts *fs = tm_arena_alloc(o->arena, sizeof(*fs));
	if (!fs)
		return &none;
	o->stack[o->depth++] = s;
	struct schema_fields sf;
	schema_fields(s, &sf);
	for (size_t i = 0; i < tm_value_len(sf.properties); i++) {
		const char *name = tm_scalar_str(tm_map_key(sf.properties, i), NULL);
		if (name)
			property(o, fs, f, name, tm_map_value(sf.properties, i), mode);
	}
	const tm_value *compose[] = {sf.all_of, sf.one_of, sf.any_of};
	for (size_t c = 0; c < TM_ARRAY_LEN(compose); c++)
		for (size_t i = 0; i < tm_value_len(compose[c]); i++)
			facts_merge(o, fs, tm_schema_facts(o, f, tm_seq_at(compose[c], i), mode));
	if (sf.all_of)
		bounded_by_branch(o, fs, f, &sf);
	if (sf.items)
		items_merge(o, fs, tm_schema_facts(o, f, sf.items, mode));
	if (sf.additional && tm_value_kind_of(sf.additional) == TM_VALUE_MAP)
		facts_merge(o, fs, tm_schema_facts(o, f, sf.additional, mode));
	o->depth--;
	/* the key is the schema's address, copied so it outlives this frame */
	char *key = tm_arena_alloc(o->arena, sizeof(s));
	if (key) {
		memcpy(key, &s, sizeof(s));
		tm_hmap_put(cache, key, sizeof(s), fs);
	}
	return fs;
}

