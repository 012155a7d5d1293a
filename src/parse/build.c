/*
 * build.c - rendered files: documents assembled from other files' values plus new values.
 *
 * Ownership: a rendered file owns the files it adopted (freed with it) and its own arena, which
 * holds every value it makes. Values of adopted files may be placed in its documents as they are
 * (shared); a renderer then owns them and may change maps and sequences in place.
 *
 * Locations: a parsed value knows its line and column but not its file (the file is implicit).
 * Shared values keep their parent pointers into the tree they came from, so walking up from any
 * value reaches either a value this file made with an origin, or the root of an adopted document:
 * both are registered in f->origins (keyed by the pointer's bytes). tm_value_loc walks up to the
 * first registered value. A value moved from its place keeps its old parent only if the renderer
 * shares it; tm_map_set and tm_seq_insert set the parent, so the walk follows the new place.
 *
 * Growth: arrays made here are allocated with room for tm_parse__cap(len) entries (TM_VF_GROWN),
 * so appending is amortised O(1). Appending to a parsed (exact) or indexed array copies it once.
 */
#include <assert.h>
#include <stdlib.h>

#include "parse.h"

#define MAX_COPY_DEPTH 512
#define MAX_WALK 100000

static size_t cap_for(size_t n)
{
	size_t c = 4;
	while (c < n)
		c *= 2;
	return c;
}

tm_file *tm_file_new_rendered(const char *path)
{
	tm_file *f = tm_calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	if (!(f->arena = tm_arena_new()) || !(f->path = tm_arena_strdup(f->arena, path))) {
		tm_file_free(f);
		return NULL;
	}
	f->positions = true;
	f->syntax = TM_SYNTAX_YAML;
	f->digest = tm_hash(path, strlen(path));
	return f;
}

void tm_parse__free_rendered(tm_file *f)
{
	for (size_t i = 0; i < f->nadopted; i++)
		tm_file_free(f->adopted[i]);
	tm_free(f->adopted);
	tm_hmap_dispose(&f->origins);
	tm_hmap_dispose(&f->paths);
	tm_free(f->lm_paths);
	tm_free(f->lm_lines);
}

static const char *intern_path(tm_file *f, const char *path)
{
	if (!path)
		return NULL;
	size_t len = strlen(path);
	const char *p = tm_hmap_get(&f->paths, path, len);
	if (p)
		return p;
	char *copy = tm_arena_strndup(f->arena, path, len);
	if (!copy || tm_hmap_put(&f->paths, copy, len, copy))
		return NULL;
	return copy;
}

static int register_origin(tm_file *f, const tm_value *v, const tm_file *file, const char *path)
{
	struct tm_origin *o = tm_arena_alloc(f->arena, sizeof(*o));
	if (!o)
		return TM_ENOMEM;
	o->v = v;
	o->file = file;
	o->path = path;
	return tm_hmap_put(&f->origins, (const char *)&o->v, sizeof(o->v), o);
}

void tm_file_mix_digest(tm_file *f, const void *bytes, size_t len)
{
	uint64_t parts[2] = {f->digest, tm_hash(bytes, len)};
	f->digest = tm_hash(parts, sizeof(parts));
}

void tm_file_stand_for(tm_file *f, const tm_file *src)
{
	f->digest = src->digest;
	f->syntax = src->syntax;
}

int tm_file_adopt(tm_file *out, tm_file *src)
{
	if (TM_GROW(out->adopted, out->cap_adopted, out->nadopted + 1)) {
		tm_file_free(src);
		return TM_ENOMEM;
	}
	out->adopted[out->nadopted++] = src;
	uint64_t parts[2] = {out->digest, src->digest};
	out->digest = tm_hash(parts, sizeof(parts));
	out->nvalues += src->nvalues;
	for (size_t i = 0; i < src->ndocs; i++)
		if (src->docs[i] && register_origin(out, src->docs[i], src, NULL))
			return TM_ENOMEM;
	return 0;
}

static tm_value *new_value(tm_file *f, tm_value_kind kind, tm_loc origin)
{
	tm_value *v = tm_arena_alloc(f->arena, sizeof(*v));
	if (!v)
		return NULL;
	v->kind = (uint8_t)kind;
	v->type = TM_SCALAR_NULL;
	v->line = origin.line;
	v->col = origin.col;
	if (origin.path) {
		const char *p = intern_path(f, origin.path);
		if (!p || register_origin(f, v, NULL, p))
			return NULL;
	}
	f->nvalues++;
	return v;
}

tm_value *tm_value_new_map(tm_file *f, tm_loc origin)
{
	return new_value(f, TM_VALUE_MAP, origin);
}

tm_value *tm_value_new_seq(tm_file *f, tm_loc origin)
{
	return new_value(f, TM_VALUE_SEQ, origin);
}

tm_value *tm_value_new_scalar(tm_file *f, tm_loc origin, tm_scalar_type type, const char *s,
                              size_t len, bool quoted)
{
	if (len > UINT32_MAX)
		return NULL;
	tm_value *v = new_value(f, TM_VALUE_SCALAR, origin);
	char *text = tm_arena_strndup(f->arena, s ? s : "", s ? len : 0);
	if (!v || !text)
		return NULL;
	v->type = (uint8_t)type;
	v->u.str = text;
	v->len = s ? (uint32_t)len : 0;
	if (quoted)
		v->flags |= TM_VF_QUOTED;
	return v;
}

/* Make room for need entries (pairs for a map) in v's kids array. */
static int reserve(tm_file *f, tm_value *v, size_t need)
{
	size_t per = v->kind == TM_VALUE_MAP ? 2 : 1;
	if ((v->flags & TM_VF_GROWN) && !(v->flags & TM_VF_INDEXED) && need <= cap_for(v->len))
		return 0;
	if (need > UINT32_MAX / 2)
		return TM_ELIMIT;
	size_t cap = cap_for(need);
	tm_value **kids = tm_arena_alloc(f->arena, cap * per * sizeof(*kids));
	if (!kids)
		return TM_ENOMEM;
	if (v->len)
		memcpy(kids, v->u.kids, v->len * per * sizeof(*kids));
	v->u.kids = kids;
	v->flags = (uint8_t)((v->flags & ~TM_VF_INDEXED) | TM_VF_GROWN);
	return 0;
}

static long find_key(const tm_value *map, const char *key)
{
	size_t klen = strlen(key);
	for (uint32_t i = 0; i < map->len; i++) {
		const tm_value *k = map->u.kids[2 * i];
		if (k->kind == TM_VALUE_SCALAR && k->len == klen &&
		    memcmp(k->u.str, key, klen) == 0)
			return (long)i;
	}
	return -1;
}

static long find_pair(const tm_value *map, const char *key)
{
	if (!(map->flags & TM_VF_INDEXED))
		return find_key(map, key);
	const tm_value *v = tm_map_get(map, key); /* logarithmic; then its pair number */
	for (uint32_t i = 0; v && i < map->len; i++)
		if (map->u.kids[2 * i + 1] == v)
			return (long)i;
	return -1;
}

int tm_map_set(tm_file *f, tm_value *map, const char *key, tm_value *val)
{
	assert(map && map->kind == TM_VALUE_MAP && val);
	long at = find_pair(map, key);
	val->parent = map;
	if (at >= 0) {
		map->u.kids[2 * at + 1] = val;
		return 0;
	}
	return tm_map_append(f, map, key, val);
}

int tm_map_append(tm_file *f, tm_value *map, const char *key, tm_value *val)
{
	assert(map && map->kind == TM_VALUE_MAP && val);
	val->parent = map;
	tm_loc here = {NULL, val->line, val->col, NULL};
	tm_value *k = tm_value_new_scalar(f, here, TM_SCALAR_STR, key, strlen(key), false);
	if (!k)
		return TM_ENOMEM;
	int rc = reserve(f, map, (size_t)map->len + 1);
	if (rc)
		return rc;
	k->parent = map;
	map->u.kids[2 * map->len] = k;
	map->u.kids[2 * map->len + 1] = val;
	map->len++;
	return 0;
}

int tm_map_remove(tm_value *map, const char *key)
{
	if (!map || map->kind != TM_VALUE_MAP)
		return 0;
	long at = find_key(map, key);
	if (at < 0)
		return 0;
	if (map->flags & TM_VF_INDEXED)
		map->flags &= (uint8_t)~TM_VF_INDEXED; /* the index sits after the kids: drop it */
	memmove(map->u.kids + 2 * at, map->u.kids + 2 * at + 2,
	        (size_t)(map->len - (uint32_t)at - 1) * 2 * sizeof(tm_value *));
	map->len--;
	return 1;
}

int tm_seq_insert(tm_file *f, tm_value *seq, size_t i, tm_value *item)
{
	assert(seq && seq->kind == TM_VALUE_SEQ && item);
	if (i > seq->len)
		i = seq->len;
	int rc = reserve(f, seq, (size_t)seq->len + 1);
	if (rc)
		return rc;
	memmove(seq->u.kids + i + 1, seq->u.kids + i, (seq->len - i) * sizeof(tm_value *));
	seq->u.kids[i] = item;
	item->parent = seq;
	seq->len++;
	return 0;
}

int tm_seq_set(tm_value *seq, size_t i, tm_value *item)
{
	if (!seq || seq->kind != TM_VALUE_SEQ || i >= seq->len)
		return TM_ENOTFOUND;
	seq->u.kids[i] = item;
	item->parent = seq;
	return 0;
}

int tm_seq_remove(tm_value *seq, size_t i)
{
	if (!seq || seq->kind != TM_VALUE_SEQ || i >= seq->len)
		return TM_ENOTFOUND;
	memmove(seq->u.kids + i, seq->u.kids + i + 1, (seq->len - i - 1) * sizeof(tm_value *));
	seq->len--;
	return 0;
}

static int reindex(tm_file *f, tm_value *v, uint32_t depth)
{
	if (!v || v->kind == TM_VALUE_SCALAR || depth > MAX_COPY_DEPTH)
		return 0;
	size_t n = v->kind == TM_VALUE_MAP ? 2 * (size_t)v->len : v->len;
	for (size_t i = 0; i < n; i++) {
		if (v->kind == TM_VALUE_MAP && i % 2 == 0)
			continue;
		/* an alias is reached from a place that is not its parent: visit it only from there
		 */
		if (v->u.kids[i]->parent != v)
			continue;
		int rc = reindex(f, v->u.kids[i], depth + 1);
		if (rc)
			return rc;
	}
	if (v->kind == TM_VALUE_MAP && !(v->flags & TM_VF_INDEXED) && v->len > TM_MAP_INDEX_MIN) {
		v->flags &= (uint8_t)~TM_VF_GROWN;
		return tm_parse__index_map(f->arena, v);
	}
	return 0;
}

int tm_value_reindex(tm_file *f, tm_value *v)
{
	return reindex(f, v, 0);
}

int tm_file_add_doc(tm_file *f, tm_value *root)
{
	int rc = reindex(f, root, 0);
	if (rc)
		return rc;
	return tm_parse__add_doc(f, root);
}

void tm_file_clear_docs(tm_file *f)
{
	f->ndocs = 0;
}

static tm_value *copy_rec(tm_file *f, const tm_file *from, const tm_value *v,
                          const char *parent_path, uint32_t depth)
{
	if (depth > MAX_COPY_DEPTH)
		return NULL;
	tm_loc l = tm_value_loc(from, v);
	/* register only where the path changes, so a copied tree costs one origin per file it mixes
	 */
	bool same = parent_path && l.path && strcmp(parent_path, l.path) == 0;
	tm_loc origin = {same ? NULL : l.path, l.line, l.col, NULL};
	const char *here = l.path ? l.path : parent_path;
	tm_value *c;
	if (v->kind == TM_VALUE_SCALAR) {
		c = tm_value_new_scalar(f, origin, (tm_scalar_type)v->type, v->u.str, v->len,
		                        (v->flags & TM_VF_QUOTED) != 0);
		if (c) /* a merge of the copy replaces, as the original would */
			c->flags |= v->flags & TM_VF_REPLACE;
		return c;
	}
	c = new_value(f, (tm_value_kind)v->kind, origin);
	if (!c || (v->len && reserve(f, c, v->len)))
		return NULL;
	c->flags |= v->flags & TM_VF_REPLACE;
	if (v->type == TM_VALUE_RESET_MARK)
		c->type = TM_VALUE_RESET_MARK; /* a !reset container's mark */
	size_t n = v->kind == TM_VALUE_MAP ? 2 * (size_t)v->len : v->len;
	for (size_t i = 0; i < n; i++) {
		tm_value *k = copy_rec(f, from, v->u.kids[i], here, depth + 1);
		if (!k)
			return NULL;
		k->parent = c;
		c->u.kids[i] = k;
	}
	c->len = v->len;
	return c;
}

tm_value *tm_value_new_reset(tm_file *f, tm_loc origin)
{
	tm_value *v = tm_value_new_scalar(f, origin, TM_SCALAR_NULL, "", 0, false);
	if (v)
		v->flags |= TM_VF_REPLACE;
	return v;
}

tm_value *tm_value_copy(tm_file *f, const tm_file *from, const tm_value *v)
{
	if (!v)
		return NULL;
	return copy_rec(f, from, v, NULL, 0);
}

tm_value *tm_file_doc_mut(tm_file *f, size_t i)
{
	return i < f->ndocs ? f->docs[i] : NULL;
}

tm_value *tm_map_get_mut(tm_value *v, const char *key)
{
	if (!v || v->kind != TM_VALUE_MAP)
		return NULL;
	if (v->flags & TM_VF_INDEXED)
		return (tm_value *)tm_map_get(
		    v, key); /* owned by the caller: the const was for readers */
	long at = find_key(v, key);
	return at < 0 ? NULL : v->u.kids[2 * at + 1];
}

tm_value *tm_map_value_mut(tm_value *v, size_t i)
{
	if (!v || v->kind != TM_VALUE_MAP || i >= v->len)
		return NULL;
	return v->u.kids[2 * i + 1];
}

tm_value *tm_seq_at_mut(tm_value *v, size_t i)
{
	if (!v || v->kind != TM_VALUE_SEQ || i >= v->len)
		return NULL;
	return v->u.kids[i];
}

const tm_value *tm_value_parent(const tm_value *v)
{
	return v ? v->parent : NULL;
}

int tm_file_set_linemap(tm_file *f, const char *const *paths, const uint32_t *lines, size_t n)
{
	const char **p = tm_calloc(n ? n : 1, sizeof(*p));
	uint32_t *l = tm_calloc(n ? n : 1, sizeof(*l));
	if (!p || !l) {
		tm_free(p);
		tm_free(l);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (paths[i] && lines[i] && !(p[i] = intern_path(f, paths[i]))) {
			tm_free(p);
			tm_free(l);
			return TM_ENOMEM;
		}
		l[i] = p[i] ? lines[i] : 0;
	}
	tm_free(f->lm_paths);
	tm_free(f->lm_lines);
	f->lm_paths = p;
	f->lm_lines = l;
	f->lm_len = n;
	return 0;
}

tm_loc tm_parse__origin_loc(const tm_file *f, const tm_value *v, bool *found)
{
	tm_loc l = {f->path, v->line, v->col, NULL};
	*found = false;
	if (f->origins.count) {
		size_t steps = 0;
		for (const tm_value *a = v; a && steps < MAX_WALK; a = a->parent, steps++) {
			const struct tm_origin *o =
			    tm_hmap_get(&f->origins, (const char *)&a, sizeof(a));
			if (!o)
				continue;
			*found = true;
			if (o->file)
				return tm_value_loc(o->file, v);
			l.path = o->path;
			return l;
		}
	}
	if (f->lm_len && v->line >= 1 && v->line <= f->lm_len && f->lm_paths[v->line - 1]) {
		*found = true;
		l.path = f->lm_paths[v->line - 1];
		l.line = f->lm_lines[v->line - 1];
	}
	return l;
}
