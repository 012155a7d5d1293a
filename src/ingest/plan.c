/*
 * plan.c - deployment variants: which documents make which system.
 *
 * A repository often keeps one system several ways side by side (k8s/base and k8s/minikube,
 * quickstart-k8s and k8s-with-istio, release/ beside kubernetes-manifests/, a chart beside a
 * kustomization). Read as one, each object is defined twice and the answers depend on which
 * definition wins. The plan finds the variants from the objects themselves:
 *
 *   1. Units. A render (a kustomization root, a chart) is a unit of its own. Plain manifest files
 *      are grouped by directory: a directory whose subtree defines no object twice (in two
 *      different directories) is one unit; a directory where two parts define the same object is
 *      split, and each part that is itself whole (a child directory, the directory's own files)
 *      is a unit. Redefinitions inside one directory are duplicates, not variants (merged later).
 *   2. Variants. A unit that defines an object another unit also defines is a variant; a unit
 *      that shares no object with any other is common to every variant.
 *   3. Systems. No variant: one system of everything. Otherwise one system per variant, each
 *      holding the common units and every file that defines no object (API specs, workflows,
 *      Terraform, the overlay...).
 *
 * An object is (API group, kind, namespace, name); a missing namespace is "default". Linear in the
 * documents: the split of a directory is found from the lowest common directory of consecutive
 * definitions of a key (in path order), marked upwards once.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ingest.h"

struct def {
	const char *key;
	const char *dir; /* plain files: their directory; renders: NULL */
	size_t item;
};

struct dir {
	const char *path;
	struct dir *parent;
	bool split;  /* two parts of its subtree define one object */
	int unit;    /* the unit of its own files (split) or of its subtree (whole, parent split) */
};

static int def_cmp(const void *pa, const void *pb)
{
	const struct def *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	if (!a->dir != !b->dir)
		return a->dir ? -1 : 1;
	c = a->dir ? strcmp(a->dir, b->dir) : 0;
	return c ? c : (a->item > b->item) - (a->item < b->item);
}

static const char *dir_of(tm_arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? tm_arena_strndup(a, path, (size_t)(slash - path)) : "";
}

/* The directory record for path, made with its ancestors on first sight. */
static struct dir *dir_get(tm_arena *a, tm_hmap *dirs, const char *path)
{
	struct dir *d = tm_hmap_get(dirs, path, strlen(path));
	if (d)
		return d;
	d = tm_arena_alloc(a, sizeof(*d));
	if (!d)
		return NULL;
	d->path = path;
	d->unit = -1;
	if (tm_hmap_put(dirs, path, strlen(path), d))
		return NULL;
	if (*path) {
		d->parent = dir_get(a, dirs, dir_of(a, path));
		if (!d->parent)
			return NULL;
	}
	return d;
}

/* The lowest directory holding both a and b ("" is the top). */
static struct dir *common_dir(struct dir *a, struct dir *b)
{
	size_t da = 0, db = 0;
	for (struct dir *x = a; x; x = x->parent)
		da++;
	for (struct dir *x = b; x; x = x->parent)
		db++;
	for (; da > db; da--)
		a = a->parent;
	for (; db > da; db--)
		b = b->parent;
	while (a != b) {
		a = a->parent;
		b = b->parent;
	}
	return a;
}

static void mark_split(struct dir *d)
{
	for (; d && !d->split; d = d->parent)
		d->split = true;
}

/* Visit each object-shaped document of an item (kind: List items one by one). */
static int each_key(tm_strbuf *sb, const tm_value *doc, int depth, int (*fn)(void *ud, const char *key), void *ud)
{
	const char *kind = tm_map_get_str(doc, "kind");
	if (depth == 0 && kind && strcmp(kind, "List") == 0 && tm_map_get_str(doc, "apiVersion")) {
		const tm_value *items = tm_map_get(doc, "items");
		for (size_t i = 0; i < tm_value_len(items); i++)
			if (each_key(sb, tm_seq_at(items, i), 1, fn, ud))
				return TM_ENOMEM;
		return 0;
	}
	/* a Namespace is declared beside whatever lives in it: an add-on directory (policies, monitoring)
	 * repeating it is no alternative to the directory it extends */
	if (kind && strcmp(kind, "Namespace") == 0)
		return 0;
	const char *key = tm_objs__key(sb, doc);
	return key ? fn(ud, key) : 0;
}

struct collect {
	tm_arena *a;
	struct def *defs;
	size_t n, cap;
	const char *dir;
	size_t item;
};

static int collect_key(void *ud, const char *key)
{
	struct collect *c = ud;
	const char *k = tm_arena_strdup(c->a, key);
	if (!k || TM_GROW(c->defs, c->cap, c->n + 1))
		return TM_ENOMEM;
	c->defs[c->n++] = (struct def){k, c->dir, c->item};
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int tm_plan_solve(tm_arena *a, tm_plan_item *items, size_t n, tm_plan *out)
{
	memset(out, 0, sizeof(*out));
	struct collect c = {a, NULL, 0, 0, NULL, 0};
	tm_hmap dirs = {0};
	tm_strbuf sb = TM_STRBUF_INIT;
	int rc = 0;
	/* every object definition, with its item and (plain files) directory */
	for (size_t i = 0; i < n && !rc; i++) {
		items[i].unit = -1;
		c.item = i;
		c.dir = items[i].render ? NULL : dir_of(a, items[i].path);
		if (!items[i].render && (!c.dir || !dir_get(a, &dirs, c.dir)))
			rc = TM_ENOMEM;
		for (size_t f = 0; f < items[i].nfiles && !rc; f++)
			for (size_t d = 0; d < tm_file_doc_count(items[i].files[f]) && !rc; d++)
				rc = each_key(&sb, tm_file_doc(items[i].files[f], d), 0, collect_key, &c);
	}
	if (!rc && c.n > 1)
		qsort(c.defs, c.n, sizeof(*c.defs), def_cmp);
	/* 1. split the directories where two parts define one object */
	for (size_t i = 1; i < c.n && !rc; i++) {
		const struct def *p = &c.defs[i - 1], *q = &c.defs[i];
		if (strcmp(p->key, q->key) || !p->dir || !q->dir || strcmp(p->dir, q->dir) == 0)
			continue;
		mark_split(common_dir(tm_hmap_get(&dirs, p->dir, strlen(p->dir)), tm_hmap_get(&dirs, q->dir, strlen(q->dir))));
	}
	/* units: renders one each; a plain file's unit is its directory when split, else its highest
	 * whole ancestor below a split one (or the top) */
	int nunits = 0;
	const char **unit_names = NULL;
	size_t cap_names = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		if (items[i].render) {
			if (TM_GROW(unit_names, cap_names, (size_t)nunits + 1)) {
				rc = TM_ENOMEM;
				break;
			}
			unit_names[nunits] = items[i].path;
			items[i].unit = nunits++;
			continue;
		}
		const char *dp = dir_of(a, items[i].path);
		struct dir *d = dp ? tm_hmap_get(&dirs, dp, strlen(dp)) : NULL;
		if (!d) {
			rc = TM_ENOMEM;
			break;
		}
		while (!d->split && d->parent && !d->parent->split)
			d = d->parent;
		if (d->unit < 0) {
			if (TM_GROW(unit_names, cap_names, (size_t)nunits + 1)) {
				rc = TM_ENOMEM;
				break;
			}
			unit_names[nunits] = *d->path ? d->path : ".";
			d->unit = nunits++;
		}
		items[i].unit = d->unit;
	}
	/* 2. variants: units sharing an object with another unit */
	size_t *objects = rc || !nunits ? NULL : tm_calloc((size_t)nunits, sizeof(size_t));
	bool *variant = rc || !nunits ? NULL : tm_calloc((size_t)nunits, sizeof(bool));
	if (!rc && nunits && (!variant || !objects))
		rc = TM_ENOMEM;
	for (size_t i = 0, j; i < c.n && !rc; i = j) {
		int first = items[c.defs[i].item].unit;
		bool shared = false;
		for (j = i + 1; j < c.n && strcmp(c.defs[j].key, c.defs[i].key) == 0; j++)
			shared |= items[c.defs[j].item].unit != first;
		for (size_t k = i; k < j; k++)
			if (items[c.defs[k].item].unit >= 0)
				objects[items[c.defs[k].item].unit]++;
		if (shared)
			for (size_t k = i; k < j; k++)
				variant[items[c.defs[k].item].unit] = true;
	}
	/* a plain file holding no object (an API spec, a workflow, the overlay) is common to every system,
	 * whatever its directory */
	bool *has = rc ? NULL : tm_calloc(n + 1, sizeof(bool));
	if (!rc && !has)
		rc = TM_ENOMEM;
	for (size_t i = 0; i < c.n && !rc; i++)
		has[c.defs[i].item] = true;
	for (size_t i = 0; i < n && !rc; i++)
		if (!items[i].render && items[i].unit >= 0 && !has[i])
			items[i].unit = -1;
	tm_free(has);
	/* 3. systems: one per variant unit; the primary (first) is the one defining the most objects
	 * (the fullest deployment), the others follow by name */
	size_t nsys = 0;
	for (int u = 0; u < nunits && !rc; u++)
		nsys += variant[u];
	if (!rc && nsys) {
		out->names = tm_arena_alloc(a, nsys * sizeof(char *));
		out->unit_system = tm_arena_alloc(a, (size_t)nunits * sizeof(int));
		if (!out->names || !out->unit_system) {
			rc = TM_ENOMEM;
		} else {
			size_t k = 0;
			for (int u = 0; u < nunits; u++)
				if (variant[u])
					out->names[k++] = unit_names[u];
			qsort(out->names, nsys, sizeof(char *), name_cmp);
			int best = -1;
			for (int u = 0; u < nunits; u++)
				if (variant[u] && (best < 0 || objects[u] > objects[best] ||
						   (objects[u] == objects[best] && strcmp(unit_names[u], unit_names[best]) < 0)))
					best = u;
			const char **hit = bsearch(&unit_names[best], out->names, nsys, sizeof(char *), name_cmp);
			memmove(out->names + 1, out->names, (size_t)(hit - out->names) * sizeof(char *));
			out->names[0] = unit_names[best];
			for (int u = 0; u < nunits; u++) {
				out->unit_system[u] = -1;
				for (size_t k2 = 0; variant[u] && k2 < nsys; k2++)
					if (out->names[k2] == unit_names[u])
						out->unit_system[u] = (int)k2;
			}
			out->nsystems = nsys;
			out->nunits = (size_t)nunits;
		}
	}
	tm_free(variant);
	tm_free(objects);
	tm_free(unit_names);
	tm_free(c.defs);
	tm_hmap_dispose(&dirs);
	tm_strbuf_dispose(&sb);
	if (sb.oom || tm_arena_failed(a))
		rc = TM_ENOMEM;
	return rc;
}

bool tm_plan_has(const tm_plan *p, const tm_plan_item *it, size_t sys)
{
	if (!p->nsystems || it->unit < 0 || (size_t)it->unit >= p->nunits)
		return true;
	int s = p->unit_system[it->unit];
	return s < 0 || (size_t)s == sys;
}

int tm_plan_system_of(const tm_plan *p, const tm_plan_item *it)
{
	if (!p->nsystems || it->unit < 0 || (size_t)it->unit >= p->nunits)
		return -1;
	return p->unit_system[it->unit];
}
