/*
 * smp.c - strategic merge patches and JSON 6902 patches on one object.
 *
 * Strategic merge follows kyaml's merge2 with the Kubernetes list merge keys (the builtin schema's
 * x-kubernetes-patch-merge-key): a list whose items carry the key merges item by item, the patch's
 * items first (as kyaml orders them), then the target's others; any other list is replaced. null
 * deletes a key; "$patch: delete" deletes the map (or the list item) it sits in; "$patch: replace"
 * replaces a map (a matched list item stays as it was, as kyaml does); other "$" keys are data to
 * kyaml and stay. Values from the patch are copied in (tm_value_copy), so they report the patch's
 * file and line and no object shares a value with another.
 */
#include <stdlib.h>

#include "render/kustomize_int.h"

#define MAX_DEPTH 256

static const struct {
	const char *field, *key;
} MERGE_KEYS[] = {
    {"containers", "name"},
    {"initContainers", "name"},
    {"ephemeralContainers", "name"},
    {"volumes", "name"},
    {"env", "name"},
    {"imagePullSecrets", "name"},
    {"volumeMounts", "mountPath"},
    {"volumeDevices", "devicePath"},
    {"hostAliases", "ip"},
    {"topologySpreadConstraints", "topologyKey"},
    {"resourceClaims", "name"},
    {"conditions", "type"},
    {"ownerReferences", "uid"},
};

/* The merge key of list field (NULL: replace the list). ports: containerPort or port. */
static const char *merge_key(const char *field, const tm_value *list)
{
	if (strcmp(field, "ports") == 0) {
		const tm_value *first = tm_seq_at(list, 0);
		return tm_map_get(first, "containerPort") ? "containerPort" : "port";
	}
	for (size_t i = 0; i < TM_ARRAY_LEN(MERGE_KEYS); i++)
		if (strcmp(field, MERGE_KEYS[i].field) == 0)
			return MERGE_KEYS[i].key;
	return NULL;
}

/* kyaml knows one directive, "$patch"; other "$" keys ($setElementOrder/..., $retainKeys) are
 * data to it, merged and printed as written, so they are data here too. */
/* A Kubernetes API object (core group, apps, batch, policy, autoscaling, *.k8s.io), whose schema
 * kustomize knows; a custom resource's lists have no merge keys. */
static bool is_builtin(const tm_value *obj)
{
	const char *av = tm_map_get_str(obj, "apiVersion");
	const char *slash = av ? strchr(av, '/') : NULL;
	if (!av || !slash)
		return true; /* "v1": the core group */
	size_t n = (size_t)(slash - av);
	if (!memchr(av, '.', n))
		return true; /* apps, batch, policy, autoscaling... */
	return n >= 7 && memcmp(slash - 7, ".k8s.io", 7) == 0; /* networking.k8s.io, rbac... */
}

static bool is_directive(const char *key)
{
	return key && strcmp(key, "$patch") == 0;
}

static const char *patch_directive(const tm_value *map)
{
	return tm_map_get_str(map, "$patch");
}

/* Drop "$" keys from a copied tree. */
static void strip(tm_value *v, uint32_t depth)
{
	if (!v || v->kind == TM_VALUE_SCALAR || depth > MAX_DEPTH)
		return;
	if (v->kind == TM_VALUE_MAP) {
		for (size_t i = v->len; i-- > 0;) {
			const char *key = tm_scalar_str(tm_map_key(v, i), NULL);
			if (is_directive(key))
				tm_map_remove(v, key);
		}
		for (size_t i = 0; i < v->len; i++)
			strip(tm_map_value_mut(v, i), depth + 1);
	} else {
		for (size_t i = 0; i < v->len; i++)
			strip(tm_seq_at_mut(v, i), depth + 1);
	}
}

static tm_value *copy_clean(kctx *k, const tm_file *from, const tm_value *v)
{
	tm_value *c = tm_value_copy(k->out, from, v);
	if (!c) {
		k->fatal = TM_ENOMEM;
		return NULL;
	}
	strip(c, 0);
	return c;
}

bool tm_kust__value_equal(const tm_value *a, const tm_value *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind)
		return false;
	if (a->kind == TM_VALUE_SCALAR)
		return a->len == b->len && memcmp(a->u.str, b->u.str, a->len) == 0;
	if (a->len != b->len)
		return false;
	if (a->kind == TM_VALUE_SEQ) {
		for (size_t i = 0; i < a->len; i++)
			if (!tm_kust__value_equal(a->u.kids[i], b->u.kids[i]))
				return false;
		return true;
	}
	for (size_t i = 0; i < a->len; i++) {
		const char *key = tm_scalar_str(tm_map_key(a, i), NULL);
		if (!key || !tm_kust__value_equal(tm_map_value(a, i), tm_map_get(b, key)))
			return false;
	}
	return true;
}

static int merge_map(kctx *k, const tm_file *from, bool builtin, tm_value *target,
                     const tm_value *patch,
                     uint32_t depth);

static void merge_list(kctx *k, const tm_file *from, bool builtin, tm_value *map,
                       const char *field,
                       tm_value *target, const tm_value *patch, uint32_t depth)
{
	/* merge keys come from the builtin schema: lists of custom resources are replaced */
	const char *mk = builtin ? merge_key(field, patch) : NULL;
	bool all_maps = true;
	for (size_t i = 0; i < patch->len; i++)
		if (patch->u.kids[i]->kind != TM_VALUE_MAP)
			all_maps = false;
	/* {$patch: replace} as an item without a merge key: the list is replaced by the others */
	bool replace = false;
	for (size_t i = 0; i < patch->len; i++) {
		const char *d = patch_directive(patch->u.kids[i]);
		if (d && strcmp(d, "replace") == 0 && (!mk || !tm_map_get(patch->u.kids[i], mk)))
			replace = true;
	}
	if (!mk || !all_maps || replace || !target || target->kind != TM_VALUE_SEQ) {
		tm_value *c = copy_clean(k, from, patch);
		if (!c)
			return;
		if (replace) {
			for (size_t i = c->len; i-- > 0;) {
				if (tm_seq_at(c, i)->kind == TM_VALUE_MAP &&
				    tm_seq_at(c, i)->len == 0)
					tm_seq_remove(c, i); /* the directive's item, now empty */
			}
		}
		if (tm_map_set(k->out, map, field, c))
			k->fatal = TM_ENOMEM;
		return;
	}
	/* kyaml's order: the patch's items first (merged with their match), then the target's other
	 * items in their order */
	size_t n = target->len;
	tm_value **old = tm_calloc(n ? n : 1, sizeof(*old));
	bool *used = tm_calloc(n ? n : 1, sizeof(*used));
	if (!old || !used) {
		tm_free(old);
		tm_free(used);
		k->fatal = TM_ENOMEM;
		return;
	}
	if (n)
		memcpy(old, target->u.kids, n * sizeof(*old));
	while (target->len)
		tm_seq_remove(target, target->len - 1);
	for (size_t i = 0; i < patch->len && !k->fatal; i++) {
		const tm_value *item = patch->u.kids[i];
		const tm_value *kv = tm_map_get(item, mk);
		long found = -1;
		for (size_t j = 0; kv && j < n && found < 0; j++)
			if (!used[j] && tm_kust__value_equal(tm_map_get(old[j], mk), kv))
				found = (long)j;
		if (found >= 0)
			used[found] = true;
		const char *d = patch_directive(item);
		if (d && strcmp(d, "delete") == 0)
			continue;
		tm_value *t = NULL;
		if (found >= 0) {
			t = old[found];
			/* kyaml leaves a matched item marked "$patch: replace" as it was */
			bool keep = d && strcmp(d, "replace") == 0;
			if (!keep && t->kind == TM_VALUE_MAP && merge_map(k, from, builtin, t, item, depth + 1) == 1)
				continue;
		} else {
			t = copy_clean(k, from, item);
		}
		if (t && tm_seq_insert(k->out, target, target->len, t))
			k->fatal = TM_ENOMEM;
	}
	for (size_t j = 0; j < n && !k->fatal; j++)
		if (!used[j] && tm_seq_insert(k->out, target, target->len, old[j]))
			k->fatal = TM_ENOMEM;
	tm_free(old);
	tm_free(used);
}

/* Merge patch into target. 1: the target map is to be deleted. */
static int merge_map(kctx *k, const tm_file *from, bool builtin, tm_value *target,
                     const tm_value *patch,
                     uint32_t depth)
{
	if (depth > MAX_DEPTH || k->fatal)
		return 0;
	const char *d = patch_directive(patch);
	if (d && strcmp(d, "delete") == 0)
		return 1;
	if (d && strcmp(d, "replace") == 0) {
		while (target->len)
			tm_map_remove(target, tm_scalar_str(tm_map_key(target, 0), NULL)
			                          ? tm_scalar_str(tm_map_key(target, 0), NULL)
			                          : "");
	}
	for (size_t i = 0; i < patch->len && !k->fatal; i++) {
		const char *key = tm_scalar_str(tm_map_key(patch, i), NULL);
		const tm_value *pv = tm_map_value(patch, i);
		if (!key || is_directive(key))
			continue;
		tm_value *tv = tm_map_get_mut(target, key);
		if (pv->kind == TM_VALUE_SCALAR && pv->type == TM_SCALAR_NULL) {
			tm_map_remove(target, key);
			continue;
		}
		if (pv->kind == TM_VALUE_MAP) {
			const char *pd = patch_directive(pv);
			if (tv && tv->kind == TM_VALUE_MAP) {
				if (merge_map(k, from, builtin, tv, pv, depth + 1) == 1)
					tm_map_remove(target, key);
				continue;
			}
			if (pd && strcmp(pd, "delete") == 0) {
				tm_map_remove(target, key);
				continue;
			}
		} else if (pv->kind == TM_VALUE_SEQ) {
			merge_list(k, from, builtin, target, key, tv, pv, depth + 1);
			continue;
		}
		tm_value *c = copy_clean(k, from, pv);
		if (c && tm_map_set(k->out, target, key, c))
			k->fatal = TM_ENOMEM;
	}
	return 0;
}

int tm_kust__smp(kctx *k, const tm_file *from, tm_value *target, const tm_value *patch)
{
	if (!patch || patch->kind != TM_VALUE_MAP || target->kind != TM_VALUE_MAP)
		return 0;
	/* with a custom schema (openapi:, crds:) we do not read, custom resources get the builtin
	 * merge keys by field name: such schemas mostly embed pod specs */
	return merge_map(k, from, k->custom_schema || is_builtin(target), target, patch, 0);
}

/* ---- JSON 6902 ---- */

/* Decode one reference token (~1 -> /, ~0 -> ~) of ptr into sb; returns the rest after it. */
static const char *next_token(tm_strbuf *sb, const char *p)
{
	tm_strbuf_reset(sb);
	tm_strbuf_puts(sb, "");
	for (; *p && *p != '/'; p++) {
		if (p[0] == '~' && p[1] == '1')
			tm_strbuf_putc(sb, '/'), p++;
		else if (p[0] == '~' && p[1] == '0')
			tm_strbuf_putc(sb, '~'), p++;
		else
			tm_strbuf_putc(sb, *p);
	}
	return p;
}

static bool seq_index(const char *tok, size_t len, size_t *out)
{
	int64_t n;
	if (!*tok || (tok[0] == '0' && tok[1]) || tm_parse_i64(tok, strlen(tok), 10, &n) || n < 0 ||
	    (size_t)n > len)
		return false;
	*out = (size_t)n;
	return true;
}

/* Resolve ptr in *root: *parent (NULL for the root itself) and the last token in last. */
static int resolve(tm_value *root, const char *ptr, tm_value **parent, tm_strbuf *last)
{
	*parent = NULL;
	if (!*ptr)
		return 0;
	if (*ptr != '/')
		return -1;
	tm_value *cur = root;
	const char *p = ptr;
	for (;;) {
		p = next_token(last, p + 1);
		if (last->oom)
			return -1;
		if (!*p) {
			*parent = cur;
			return cur && cur->kind != TM_VALUE_SCALAR ? 0 : -1;
		}
		if (!cur || cur->kind == TM_VALUE_SCALAR)
			return -1;
		if (cur->kind == TM_VALUE_MAP) {
			cur = tm_map_get_mut(cur, last->data);
		} else {
			size_t i;
			if (!seq_index(last->data, cur->len, &i) || i >= cur->len)
				return -1;
			cur = cur->u.kids[i];
		}
	}
}

static tm_value *get_at(tm_value *parent, const char *tok)
{
	if (parent->kind == TM_VALUE_MAP)
		return tm_map_get_mut(parent, tok);
	size_t i;
	if (!seq_index(tok, parent->len, &i) || i >= parent->len)
		return NULL;
	return parent->u.kids[i];
}

static int op_add(kctx *k, tm_value **root, const char *ptr, tm_value *val, bool must_exist)
{
	tm_strbuf tok = TM_STRBUF_INIT;
	tm_value *parent;
	int rc = resolve(*root, ptr, &parent, &tok);
	if (rc == 0 && !parent) {
		*root = val;
		val->parent = NULL;
	} else if (rc == 0 && parent->kind == TM_VALUE_MAP) {
		if (must_exist && !tm_map_get(parent, tok.data))
			rc = -1;
		else if (tm_map_set(k->out, parent, tok.data, val))
			k->fatal = TM_ENOMEM;
	} else if (rc == 0) {
		size_t i;
		if (must_exist) {
			if (!seq_index(tok.data, parent->len, &i) || i >= parent->len)
				rc = -1;
			else
				tm_seq_set(parent, i, val);
		} else if (strcmp(tok.data, "-") == 0) {
			if (tm_seq_insert(k->out, parent, parent->len, val))
				k->fatal = TM_ENOMEM;
		} else if (!seq_index(tok.data, parent->len, &i)) {
			rc = -1;
		} else if (tm_seq_insert(k->out, parent, i, val)) {
			k->fatal = TM_ENOMEM;
		}
	}
	tm_strbuf_dispose(&tok);
	return rc;
}

static int op_remove(tm_value *root, const char *ptr, tm_value **removed)
{
	tm_strbuf tok = TM_STRBUF_INIT;
	tm_value *parent;
	int rc = resolve(root, ptr, &parent, &tok);
	if (rc == 0 && !parent)
		rc = -1; /* removing the whole object */
	if (rc == 0) {
		tm_value *v = get_at(parent, tok.data);
		if (!v)
			rc = -1;
		else if (removed)
			*removed = v;
		if (v && parent->kind == TM_VALUE_MAP)
			tm_map_remove(parent, tok.data);
		else if (v) {
			size_t i = 0;
			(void)seq_index(tok.data, parent->len, &i);
			tm_seq_remove(parent, i);
		}
	}
	tm_strbuf_dispose(&tok);
	return rc;
}

static tm_value *op_get(tm_value *root, const char *ptr)
{
	tm_strbuf tok = TM_STRBUF_INIT;
	tm_value *parent, *v = NULL;
	if (resolve(root, ptr, &parent, &tok) == 0)
		v = parent ? get_at(parent, tok.data) : root;
	tm_strbuf_dispose(&tok);
	return v;
}

int tm_kust__json6902(kctx *k, const tm_file *from, tm_value **obj, const tm_value *ops)
{
	if (!ops || ops->kind != TM_VALUE_SEQ) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, tm_value_loc(from, ops),
		              "a json 6902 patch must be a list of operations");
		return -1;
	}
	for (size_t i = 0; i < ops->len && !k->fatal; i++) {
		const tm_value *op = ops->u.kids[i];
		const char *name = tm_map_get_str(op, "op"), *path = tm_map_get_str(op, "path");
		const char *src = tm_map_get_str(op, "from");
		const tm_value *value = tm_map_get(op, "value");
		tm_loc at = tm_value_loc(from, op);
		int rc = 0;
		if (!name || !path) {
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at,
			              "operation needs op and path");
			return -1;
		}
		if (strcmp(name, "add") == 0 || strcmp(name, "replace") == 0) {
			if (!value) {
				tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at,
				              "%s needs a value", name);
				return -1;
			}
			tm_value *c = tm_value_copy(k->out, from, value);
			if (!c) {
				k->fatal = TM_ENOMEM;
				return -1;
			}
			rc = op_add(k, obj, path, c, name[0] == 'r');
		} else if (strcmp(name, "remove") == 0) {
			rc = op_remove(*obj, path, NULL);
		} else if (strcmp(name, "move") == 0 || strcmp(name, "copy") == 0) {
			tm_value *v = NULL;
			if (!src)
				rc = -1;
			else if (name[0] == 'm')
				rc = op_remove(*obj, src, &v);
			else if (!(v = op_get(*obj, src)))
				rc = -1;
			else if (!(v = tm_value_copy(k->out, k->out, v)))
				k->fatal = TM_ENOMEM;
			if (rc == 0 && v)
				rc = op_add(k, obj, path, v, false);
		} else if (strcmp(name, "test") == 0) {
			if (!tm_kust__value_equal(op_get(*obj, path), value)) {
				tm_kust__diag(
				    k, TM_LEVEL_ERROR, TM_EINVALID, at,
				    "test failed at %s; the rest of this patch is not applied",
				    path);
				return -1;
			}
		} else {
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at, "unknown operation %s",
			              name);
			return -1;
		}
		if (rc) {
			tm_kust__diag(
			    k, TM_LEVEL_ERROR, TM_EINVALID, at,
			    "%s: path %s not found in %s %s; the rest of this patch is not applied",
			    name, name[0] == 'm' || name[0] == 'c' ? (src ? src : "") : path,
			    tm_kust__kind(*obj), tm_kust__name(*obj) ? tm_kust__name(*obj) : "");
			return -1;
		}
	}
	return 0;
}
