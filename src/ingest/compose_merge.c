/*
 * compose_merge.c - merging compose service definitions the way `docker compose` merges the files
 * of a project (-f a -f b, compose.override.yaml, extends), see compose.h.
 *
 * The merged service is built in a rendered tm_file from copies of the parsed values; a copy keeps
 * the file, line and column of its original, so every fact read from the merged service is
 * evidenced by the file that set it. dst is always a value of f (made or copied there); src may be
 * a parsed file's or f's own.
 *
 * Rules (Compose Specification 13-merge.md, and what docker compose does beyond it):
 *   mapping + mapping   merge key by key, recursively
 *   scalar, or kinds differ    replaced by src
 *   command, entrypoint, healthcheck.test     replaced
 *   environment, labels, extra_hosts, sysctls, annotations, build.args, deploy.labels
 *                       by key; list form (K=V, host:ip) and map form mix
 *   volumes, secrets, configs     by target;   ports   by {ip, published, target, protocol}
 *   networks, depends_on          by name, list or map form
 *   other sequences     append the items not already there (scalars by text)
 */
#include <ctype.h>
#include <stdio.h>

#include "compose.h"

#define MAX_MERGE_DEPTH 32

/* One merge: the rendered file values are made in, scratch memory for keys, the notes. */
struct mctx {
	tm_file *f;
	tm_arena *a;
	tm_diag_list *diags;
};

enum rule { R_MERGE, R_REPLACE, R_BY_KEY, R_TARGET, R_PORTS, R_NAMES };

static enum rule rule_of(const char *parent, int depth, const char *key)
{
	static const struct {
		const char *key;
		enum rule rule;
	} service[] = {
		{"command", R_REPLACE},	     {"entrypoint", R_REPLACE}, {"environment", R_BY_KEY},
		{"labels", R_BY_KEY},	     {"extra_hosts", R_BY_KEY}, {"sysctls", R_BY_KEY},
		{"annotations", R_BY_KEY},   {"volumes", R_TARGET},	{"secrets", R_TARGET},
		{"configs", R_TARGET},	     {"ports", R_PORTS},	{"networks", R_NAMES},
		{"depends_on", R_NAMES},
	};
	if (depth == 0) {
		for (size_t i = 0; i < TM_ARRAY_LEN(service); i++)
			if (strcmp(service[i].key, key) == 0)
				return service[i].rule;
		return R_MERGE;
	}
	if (depth == 1 && parent && strcmp(parent, "healthcheck") == 0 && strcmp(key, "test") == 0)
		return R_REPLACE;
	if (depth == 1 && parent && (strcmp(parent, "build") == 0 || strcmp(parent, "deploy") == 0) &&
	    (strcmp(key, "args") == 0 || strcmp(key, "labels") == 0))
		return R_BY_KEY;
	return R_MERGE;
}

/* "K=V" (or "host:ip" for extra_hosts): the key's length; the whole text when there is no separator. */
static size_t item_key_len(const char *s, bool colon)
{
	size_t eq = strcspn(s, "=");
	if (s[eq] || !colon)
		return eq;
	return strcspn(s, ":");
}

static const char *scalar(const tm_value *v)
{
	return tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
}

/* A list-form item of a by-key attribute as a (key, value) pair made in f at the item's place. */
static int pair_of(struct mctx *m, const tm_file *from, const tm_value *item, bool colon, char **key, tm_value **val)
{
	const char *s = scalar(item);
	*key = NULL;
	*val = NULL;
	if (!s)
		return 0;
	size_t kl = item_key_len(s, colon);
	tm_loc at = tm_value_loc(from, item);
	*key = tm_arena_strndup(m->a, s, kl);
	*val = s[kl] ? tm_value_new_scalar(m->f, at, TM_SCALAR_STR, s + kl + 1, strlen(s + kl + 1), true)
		     : tm_value_new_scalar(m->f, at, TM_SCALAR_NULL, "", 0, false);
	return *key && *val ? 0 : TM_ENOMEM;
}

/* A by-key attribute in map form, made from a list-form value (in f or from). */
static tm_value *to_map(struct mctx *m, const tm_file *from, const tm_value *seq, bool colon)
{
	tm_value *map = tm_value_new_map(m->f, tm_value_loc(from, seq));
	for (size_t i = 0; map && i < tm_value_len(seq); i++) {
		char *k;
		tm_value *v;
		if (pair_of(m, from, tm_seq_at(seq, i), colon, &k, &v))
			return NULL;
		if (k && tm_map_set(m->f, map, k, v))
			return NULL;
	}
	return map;
}

static int set_copy(struct mctx *m, tm_value *map, const char *key, const tm_file *sf, const tm_value *v)
{
	tm_value *c = tm_value_copy(m->f, sf, v);
	return c ? tm_map_set(m->f, map, key, c) : TM_ENOMEM;
}

/* Both in list form: dst's items whose key src sets are dropped, then src's appended (a new list,
 * so the work is linear in both). */
static int by_key_lists(struct mctx *m, tm_value *parent, const char *key, const tm_value *dst, const tm_file *sf,
			const tm_value *src, bool colon)
{
	tm_hmap set = TM_HMAP_INIT;
	int rc = 0;
	for (size_t i = 0; i < tm_value_len(src) && !rc; i++) {
		const char *s = scalar(tm_seq_at(src, i));
		if (s)
			rc = tm_hmap_put(&set, s, item_key_len(s, colon), (void *)s);
	}
	tm_value *out = rc ? NULL : tm_value_new_seq(m->f, tm_value_loc(m->f, dst));
	for (size_t i = 0; out && i < tm_value_len(dst); i++) {
		tm_value *d = (tm_value *)tm_seq_at(dst, i); /* dst is f's own: moved, not copied */
		const char *s = scalar(d);
		if (s && tm_hmap_get(&set, s, item_key_len(s, colon)))
			continue;
		if (tm_seq_insert(m->f, out, tm_value_len(out), d))
			out = NULL;
	}
	for (size_t i = 0; out && i < tm_value_len(src); i++) {
		tm_value *c = tm_value_copy(m->f, sf, tm_seq_at(src, i));
		if (!c || tm_seq_insert(m->f, out, tm_value_len(out), c))
			out = NULL;
	}
	tm_hmap_dispose(&set);
	return out ? tm_map_set(m->f, parent, key, out) : TM_ENOMEM;
}

static int merge_by_key(struct mctx *m, tm_value *parent, const char *key, tm_value *dst, const tm_file *sf,
			const tm_value *src)
{
	bool colon = strcmp(key, "extra_hosts") == 0;
	if (tm_value_kind_of(dst) == TM_VALUE_SEQ && tm_value_kind_of(src) == TM_VALUE_SEQ)
		return by_key_lists(m, parent, key, dst, sf, src, colon);
	if (tm_value_kind_of(dst) == TM_VALUE_SEQ) {
		dst = to_map(m, m->f, dst, colon);
		if (!dst || tm_map_set(m->f, parent, key, dst))
			return TM_ENOMEM;
	}
	if (tm_value_kind_of(dst) != TM_VALUE_MAP)
		return set_copy(m, parent, key, sf, src);
	if (tm_value_kind_of(src) == TM_VALUE_MAP) {
		for (size_t i = 0; i < tm_value_len(src); i++) {
			const char *k = scalar(tm_map_key(src, i));
			if (k && set_copy(m, dst, k, sf, tm_map_value(src, i)))
				return TM_ENOMEM;
		}
		return 0;
	}
	for (size_t i = 0; i < tm_value_len(src); i++) {
		char *k;
		tm_value *v;
		if (pair_of(m, sf, tm_seq_at(src, i), colon, &k, &v))
			return TM_ENOMEM;
		if (k && tm_map_set(m->f, dst, k, v))
			return TM_ENOMEM;
	}
	return 0;
}

/* Short volume syntax "SRC:DST[:MODE]" (SRC may be C:\...): DST; a lone path is its own target. */
static const char *volume_target(tm_arena *a, const char *spec)
{
	const char *from = spec;
	if (isalpha((unsigned char)spec[0]) && spec[1] == ':' && (spec[2] == '\\' || spec[2] == '/'))
		from = spec + 2;
	const char *c1 = strchr(from, ':');
	if (!c1)
		return spec;
	const char *t = c1 + 1;
	if (isalpha((unsigned char)t[0]) && t[1] == ':' && (t[2] == '\\' || t[2] == '/'))
		return tm_arena_strndup(a, t, strcspn(t + 2, ":") + 2);
	return tm_arena_strndup(a, t, strcspn(t, ":"));
}

const char *tm_compose__target_key(tm_arena *a, const char *attr, const tm_value *item)
{
	bool volumes = strcmp(attr, "volumes") == 0;
	if (tm_value_kind_of(item) == TM_VALUE_MAP) {
		const char *t = tm_map_get_str(item, "target");
		return t ? t : volumes ? NULL : tm_map_get_str(item, "source");
	}
	const char *s = scalar(item);
	if (!s)
		return NULL;
	return volumes ? volume_target(a, s) : s;
}

const char *tm_compose__port_key(tm_arena *a, const tm_value *item)
{
	if (tm_value_kind_of(item) == TM_VALUE_MAP) {
		const char *ip = tm_map_get_str(item, "host_ip"), *pub = tm_map_get_str(item, "published");
		const char *t = tm_map_get_str(item, "target"), *proto = tm_map_get_str(item, "protocol");
		return tm_arena_printf(a, "%s|%s|%s|%s", ip ? ip : "", pub ? pub : "", t ? t : "",
				       proto ? proto : "tcp");
	}
	const char *s = scalar(item);
	if (!s)
		return NULL;
	/* "[ip:][published:]target[/proto]": the same fields, from the right */
	char *buf = tm_arena_strdup(a, s);
	if (!buf)
		return NULL;
	char *proto = strchr(buf, '/');
	if (proto)
		*proto++ = '\0';
	char *target = strrchr(buf, ':'), *pub = NULL, *ip = NULL;
	if (target) {
		*target++ = '\0';
		char *close = strchr(buf, ']');
		pub = strrchr(buf, ':');
		if (pub && !(buf[0] == '[' && close && pub < close)) {
			*pub++ = '\0';
			ip = buf;
		} else {
			pub = buf;
		}
	} else {
		target = buf;
	}
	return tm_arena_printf(a, "%s|%s|%s|%s", ip ? ip : "", pub ? pub : "", target, proto ? proto : "tcp");
}

/* The unique key of a sequence item under rule r (NULL: none, the item is appended). */
static const char *unique_key(tm_arena *a, enum rule r, const char *attr, const tm_value *item)
{
	switch (r) {
	case R_TARGET:
		return tm_compose__target_key(a, attr, item);
	case R_PORTS:
		return tm_compose__port_key(a, item);
	default:
		return scalar(item);
	}
}

/* Sequences: src's items replace dst's of the same unique key, or are appended. Linear: dst's keys
 * are indexed once (key -> position + 1). */
static int merge_seq(struct mctx *m, enum rule r, const char *attr, tm_value *dst, const tm_file *sf, const tm_value *src)
{
	tm_hmap idx = TM_HMAP_INIT;
	int rc = 0;
	for (size_t d = 0; d < tm_value_len(dst) && !rc; d++) {
		const char *k = unique_key(m->a, r, attr, tm_seq_at(dst, d));
		if (k && !tm_hmap_get(&idx, k, strlen(k)))
			rc = tm_hmap_put(&idx, k, strlen(k), (void *)(uintptr_t)(d + 1));
	}
	for (size_t i = 0; i < tm_value_len(src) && !rc; i++) {
		const tm_value *item = tm_seq_at(src, i);
		const char *k = unique_key(m->a, r, attr, item);
		size_t at = k ? (size_t)(uintptr_t)tm_hmap_get(&idx, k, strlen(k)) : 0;
		if (at && r == R_MERGE)
			continue; /* the same scalar again */
		tm_value *c = tm_value_copy(m->f, sf, item);
		if (!c) {
			rc = TM_ENOMEM;
		} else if (at) {
			rc = tm_seq_set(dst, at - 1, c);
		} else {
			rc = tm_seq_insert(m->f, dst, tm_value_len(dst), c);
			if (!rc && k)
				rc = tm_hmap_put(&idx, k, strlen(k), (void *)(uintptr_t)tm_value_len(dst));
		}
	}
	tm_hmap_dispose(&idx);
	return rc;
}

/* networks and depends_on: a list of names or a map keyed by name. */
static int merge_names(struct mctx *m, tm_value *parent, const char *key, tm_value *dst, const tm_file *sf,
		       const tm_value *src, int depth);

static int merge_map(struct mctx *m, tm_value *dst, const tm_file *sf, const tm_value *src, const char *parent,
		     int depth);

static bool empty_value(const tm_value *v)
{
	tm_value_kind k = tm_value_kind_of(v);
	return k == TM_VALUE_SCALAR ? tm_scalar_type_of(v) == TM_SCALAR_NULL : tm_value_len(v) == 0;
}

static int merge_key(struct mctx *m, tm_value *dst_map, const char *key, const tm_file *sf, const tm_value *src,
		     const char *parent, int depth)
{
	tm_value *dst = tm_map_get_mut(dst_map, key);
	enum rule r = rule_of(parent, depth, key);
	/* !reset and !override: what the earlier files set is dropped, for nothing or for this value */
	if (tm_value_resets(src)) {
		/* null, and still a reset: a later merge of this result unsets the key too */
		tm_value *unset = tm_value_new_reset(m->f, tm_value_loc(sf, src));
		return unset ? tm_map_set(m->f, dst_map, key, unset) : TM_ENOMEM;
	}
	if (!dst || r == R_REPLACE || tm_value_kind_of(dst) == TM_VALUE_SCALAR || tm_value_replaces(src))
		return set_copy(m, dst_map, key, sf, src);
	if (empty_value(src)) {
		if (!empty_value(dst) && depth == 0)
			tm_diag_add(m->diags, 0, TM_LEVEL_NOTE, tm_value_loc(sf, src),
				    "compose '%s' is empty here and merges as nothing (compose merges an empty value "
				    "into what earlier files set; `!reset` or `!override` would replace it)",
				    key);
		return 0;
	}
	if (r == R_BY_KEY)
		return merge_by_key(m, dst_map, key, dst, sf, src);
	if (r == R_NAMES)
		return merge_names(m, dst_map, key, dst, sf, src, depth);
	if (tm_value_kind_of(dst) != tm_value_kind_of(src))
		return set_copy(m, dst_map, key, sf, src);
	if (tm_value_kind_of(src) == TM_VALUE_MAP)
		return merge_map(m, dst, sf, src, key, depth + 1);
	return merge_seq(m, r, key, dst, sf, src);
}

static int merge_names(struct mctx *m, tm_value *parent, const char *key, tm_value *dst, const tm_file *sf,
		       const tm_value *src, int depth)
{
	if (tm_value_kind_of(dst) == TM_VALUE_SEQ && tm_value_kind_of(src) == TM_VALUE_SEQ)
		return merge_seq(m, R_MERGE, key, dst, sf, src);
	if (tm_value_kind_of(dst) == TM_VALUE_SEQ) {
		tm_value *map = to_map(m, m->f, dst, false);
		if (!map || tm_map_set(m->f, parent, key, map))
			return TM_ENOMEM;
		dst = map;
	}
	if (tm_value_kind_of(src) == TM_VALUE_MAP)
		return merge_map(m, dst, sf, src, key, depth + 1);
	for (size_t i = 0; i < tm_value_len(src); i++) {
		const char *name = scalar(tm_seq_at(src, i));
		if (!name || tm_map_get(dst, name))
			continue;
		tm_value *v = tm_value_new_scalar(m->f, tm_value_loc(sf, tm_seq_at(src, i)), TM_SCALAR_NULL, "", 0, false);
		if (!v || tm_map_set(m->f, dst, name, v))
			return TM_ENOMEM;
	}
	return 0;
}

static int merge_map(struct mctx *m, tm_value *dst, const tm_file *sf, const tm_value *src, const char *parent,
		     int depth)
{
	if (depth > MAX_MERGE_DEPTH)
		return TM_ELIMIT;
	for (size_t i = 0; i < tm_value_len(src); i++) {
		const char *k = scalar(tm_map_key(src, i));
		int rc = k ? merge_key(m, dst, k, sf, tm_map_value(src, i), parent, depth) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

int tm_compose__merge(tm_file *f, tm_arena *scratch, tm_value *dst, const tm_file *sf, const tm_value *src,
		      tm_diag_list *diags)
{
	struct mctx m = {f, scratch, diags};
	if (tm_value_kind_of(dst) != TM_VALUE_MAP || tm_value_kind_of(src) != TM_VALUE_MAP)
		return 0;
	return merge_map(&m, dst, sf, src, NULL, 0);
}
