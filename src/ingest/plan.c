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
 *      Terraform, the overlay...). Compose projects beside Kubernetes manifests are one system of
 *      their own, all of them, as they are without the manifests (a directory of manifests never
 *      changes how the compose side is split). A gateway's configuration goes with the project
 *      mounting it, else with the nearest unit above it (place_gateways), not into every system;
 *      one placed from a directory above its own is offered to the others (tm_plan_offered).
 *
 * GitOps (2b). A variant whose GitOps objects deliver other units (clusters/prod and clusters/staging,
 * each a directory of Flux Kustomizations or Argo CD Applications naming ./apps/prod, ./infra...) is
 * the system of what it delivers, directly or through what that delivers: a variant it delivers is
 * no system of its own but part of each delivering one, and a common unit some of them deliver is
 * in theirs alone. The deliveries are matched to units by directory, one hash lookup per ancestor.
 *
 * An object is (API group, kind, namespace, name); a missing namespace is "default". Linear in the
 * documents: the split of a directory is found from the lowest common directory of consecutive
 * definitions of a key (in path order), marked upwards once.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>

#include "ingest.h"
#include "render/fsys.h"

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
	if (!path)
		return NULL; /* its parent's name could not be made: out of memory */
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

/* Visit each object-shaped document of an item (a List's items one by one). */
static int each_key(tm_strbuf *sb, const tm_value *doc, int depth, int (*fn)(void *ud, const char *key), void *ud)
{
	const char *kind = tm_map_get_str(doc, "kind");
	if (depth == 0 && tm_objs__is_list(doc)) {
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

/* Services a compose document declares: its weight when the primary system is chosen. */
static size_t compose_services(const tm_plan_item *it)
{
	size_t n = 0;
	for (size_t f = 0; f < it->nfiles; f++)
		for (size_t d = 0; d < tm_file_doc_count(it->files[f]); d++)
			n += tm_value_len(tm_map_get(tm_file_doc(it->files[f], d), "services"));
	return n;
}

/* The directory two unit names share ("" when none). */
static size_t common_prefix(const char *a, const char *b)
{
	size_t i = 0, last = 0;
	while (a[i] && a[i] == b[i]) {
		i++;
		/* a whole directory of both: "k8s/app" is no directory of "k8s/app-2/x" */
		if ((a[i] == '/' || !a[i]) && (b[i] == '/' || !b[i]))
			last = i;
	}
	return last;
}

struct unit {
	const char *name;
	int world;      /* TM_PLAN_K8S or TM_PLAN_COMPOSE */
	bool variant;
	size_t objects;
	const char *files_dir; /* the directory its plain files share (files_len of it), when named "." */
	size_t files_len;
};

/* 2b. What the GitOps deliveries make of the units (see the file's head). */
struct gitops {
	size_t nroots;
	int *root;        /* per unit: its index among the delivering variants, or -1 */
	bool *reach;      /* [root * nunits + unit]: the root delivers the unit, directly or not */
	bool *absorbed;   /* per unit: a variant a root delivers (no system of its own) */
	bool *delivered;  /* per unit: a common unit a root delivers (in the roots' systems only) */
	int *name;        /* per root: the unit naming its system (the highest directory it delivers above it) */
};

struct pair {
	int from, to;
};

static int pair_cmp(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;
	return a->from != b->from ? (a->from > b->from) - (a->from < b->from) : (a->to > b->to) - (a->to < b->to);
}

/* A bind mount's source, relative to the compose file's directory dir, as a path of the tree
 * ("./envoy/envoy.yaml" in "compose" -> "compose/envoy/envoy.yaml"); NULL for an absolute or named
 * source, or one that climbs out. */
static const char *mount_path(tm_arena *a, const char *dir, const char *src)
{
	if (!src || !(src[0] == '.' || strchr(src, '/')) || src[0] == '~' || src[0] == '$')
		return NULL;
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *out = tm_fsys_join(&sb, strcmp(dir, ".") == 0 ? "" : dir, src) == 0 && sb.len && !sb.oom
				  ? tm_arena_strndup(a, sb.data, sb.len)
				  : NULL;
	tm_strbuf_dispose(&sb);
	return out;
}

/* The bind mounts' sources (short `./src:/dst` or long `source:` syntax) of every compose project's
 * services, as paths of the tree, into mounted: path -> the project's unit + 1 (1 with
 * any_unit, before the units are made). */
static int mount_sources(tm_arena *a, const tm_plan_item *items, size_t n, tm_hmap *mounted, bool any_unit)
{
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		if (!items[i].project || (!any_unit && items[i].unit < 0))
			continue;
		const char *dir = dir_of(a, items[i].path);
		for (size_t f = 0; f < items[i].nfiles && dir; f++)
			for (size_t d = 0; d < tm_file_doc_count(items[i].files[f]); d++) {
				const tm_value *svcs = tm_map_get(tm_file_doc(items[i].files[f], d), "services");
				for (size_t s = 0; s < tm_value_len(svcs) && tm_value_kind_of(svcs) == TM_VALUE_MAP; s++) {
					const tm_value *vols = tm_map_get(tm_map_value(svcs, s), "volumes");
					for (size_t v = 0; v < tm_value_len(vols) && tm_value_kind_of(vols) == TM_VALUE_SEQ; v++) {
						const tm_value *e = tm_seq_at(vols, v);
						const char *src = tm_map_get_str(e, "source"), *str = tm_scalar_str(e, NULL);
						char buf[1024];
						if (!src && str && tm_value_kind_of(e) == TM_VALUE_SCALAR) {
							tm_formatf(buf, sizeof(buf), "%.*s", (int)strcspn(str, ":"), str);
							src = buf;
						}
						const char *p = mount_path(a, dir, src);
						if (p && !tm_hmap_get(mounted, p, strlen(p)) &&
						    tm_hmap_put(mounted, p, strlen(p), (void *)(intptr_t)(any_unit ? 1 : items[i].unit + 1)))
							rc = TM_ENOMEM;
					}
				}
			}
	}
	return rc;
}

/* Is path, or a directory above it, in mounted? Its value, else 0. */
static intptr_t mounted_at(const tm_hmap *mounted, const char *path)
{
	for (size_t len = strlen(path); len;) {
		intptr_t u = (intptr_t)tm_hmap_get(mounted, path, len);
		if (u)
			return u;
		while (len && path[len - 1] != '/')
			len--;
		len -= len > 0;
	}
	return 0;
}

/* Which files a compose project's service bind-mounts, or that sit under a directory one mounts:
 * mounted[i] (NULL on failure). */
static bool *compose_mounted(tm_arena *a, const tm_plan_item *items, size_t n)
{
	tm_hmap mounted = TM_HMAP_INIT;
	bool *out = tm_arena_alloc(a, (n + 1) * sizeof(bool));
	if (!out || mount_sources(a, items, n, &mounted, true)) {
		tm_hmap_dispose(&mounted);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = mounted.count && !items[i].render && !items[i].project && mounted_at(&mounted, items[i].path);
	tm_hmap_dispose(&mounted);
	return out;
}

/* Each file holding no object (or only objects a compose project reads from a bind mount: Dapr's
 * components) that a compose project's service bind-mounts, or that sits under a directory one
 * mounts, joins that project's unit. */
static int compose_mounts(tm_arena *a, tm_plan_item *items, size_t n)
{
	tm_hmap mounted = TM_HMAP_INIT;
	int rc = mount_sources(a, items, n, &mounted, false);
	for (size_t i = 0; i < n && !rc && mounted.count; i++) {
		if (items[i].unit >= 0 || items[i].render || items[i].project)
			continue;
		intptr_t u = mounted_at(&mounted, items[i].path);
		if (u)
			items[i].unit = (int)(u - 1);
	}
	tm_hmap_dispose(&mounted);
	return rc;
}

/* The directory an item's unit is kept in: a render's own (its name, a copy's " [APP]" taken off), a
 * file's directory. */
static const char *item_dir(tm_arena *a, const tm_plan_item *it)
{
	if (!it->render)
		return dir_of(a, it->path);
	const char *br = strstr(it->path, " [");
	return strcmp(it->path, ".") == 0 ? "" : br ? tm_arena_strndup(a, it->path, (size_t)(br - it->path)) : it->path;
}

#define DIR_UNITS_CLASH ((void *)(intptr_t)-1)

/* A gateway's configuration nothing mounts (compose_mounts placed the mounted ones) is no file every
 * system shares: it goes with the unit of the nearest directory above it that holds one (its compose
 * project, the kustomization or chart beside it, the directory of manifests), so it is never copied
 * into sibling variants that do not hold its directory; a directory two units hold leaves it common.
 * One map of directories, one lookup per ancestor of each configuration. */
static int place_gateways(tm_arena *a, tm_plan_item *items, size_t n)
{
	tm_hmap by_dir = TM_HMAP_INIT;
	int rc = 0;
	bool any = false;
	for (size_t i = 0; i < n && !any; i++)
		any = items[i].gateway && items[i].unit < 0;
	for (size_t i = 0; i < n && !rc && any; i++) {
		if (items[i].unit < 0 || items[i].gateway)
			continue;
		const char *d = item_dir(a, &items[i]);
		void *prev = d ? tm_hmap_get(&by_dir, d, strlen(d)) : NULL;
		void *v = (void *)(intptr_t)(items[i].unit + 1);
		if (!d)
			rc = TM_ENOMEM;
		else if ((!prev || (prev != v && prev != DIR_UNITS_CLASH)) &&
			 tm_hmap_put(&by_dir, d, strlen(d), prev ? DIR_UNITS_CLASH : v))
			rc = TM_ENOMEM;
	}
	for (size_t i = 0; i < n && !rc && by_dir.count; i++) {
		if (!items[i].gateway || items[i].unit >= 0 || items[i].render || items[i].project)
			continue;
		const char *p = items[i].path;
		size_t len = strrchr(p, '/') ? (size_t)(strrchr(p, '/') - p) : 0;
		for (bool own = true;; own = false) {
			void *v = tm_hmap_get(&by_dir, p, len);
			if (v) {
				items[i].unit = v == DIR_UNITS_CLASH ? -1 : (int)((intptr_t)v - 1);
				items[i].climbed = !own && items[i].unit >= 0;
				break;
			}
			if (!len)
				break;
			while (len && p[len - 1] != '/')
				len--;
			len -= len > 0;
		}
	}
	tm_hmap_dispose(&by_dir);
	return rc;
}

struct unit;
/* The units each delivery takes: those whose directory is its directory, or under it when it
 * recurses (a render by its name, its directory; a plain unit by the directory it is made of). One
 * lookup per ancestor of each unit's directory; pairs (delivering unit, delivered unit), sorted and
 * unique: linear in the units (times their depth) and the pairs. */
static int delivery_pairs(const tm_plan_item *items, const tm_plan_delivery *ds, size_t nds,
			  const char *const *unit_dir, int nunits, struct pair **out, size_t *npairs)
{
	tm_hmap by_dir = TM_HMAP_INIT;
	size_t *next = tm_calloc(nds + 1, sizeof(size_t)), cap = 0;
	struct pair *pairs = NULL;
	int rc = next ? 0 : TM_ENOMEM;
	*npairs = 0;
	for (size_t d = 0; d < nds && !rc; d++) {
		void *first = tm_hmap_get(&by_dir, ds[d].dir, strlen(ds[d].dir));
		next[d] = (size_t)(intptr_t)first; /* the chain of deliveries of one directory, index + 1 */
		if (tm_hmap_put(&by_dir, ds[d].dir, strlen(ds[d].dir), (void *)(intptr_t)(d + 1)))
			rc = TM_ENOMEM;
	}
	for (int u = 0; u < nunits && !rc && nds; u++) {
		const char *dir = unit_dir[u];
		if (!dir)
			continue;
		for (size_t len = strlen(dir), exact = 1;; exact = 0) {
			for (size_t d = (size_t)(intptr_t)tm_hmap_get(&by_dir, dir, len); d && !rc; d = next[d - 1]) {
				int from = items[ds[d - 1].from].unit;
				if (from < 0 || from == u || !(exact || ds[d - 1].recurse))
					continue;
				if (TM_GROW(pairs, cap, *npairs + 1))
					rc = TM_ENOMEM;
				else
					pairs[(*npairs)++] = (struct pair){from, u};
			}
			if (!len || rc)
				break;
			while (len && dir[len - 1] != '/')
				len--;
			len -= len > 0;
		}
	}
	if (!rc && *npairs > 1) {
		qsort(pairs, *npairs, sizeof(*pairs), pair_cmp);
		size_t k = 1;
		for (size_t i = 1; i < *npairs; i++)
			if (pairs[i].from != pairs[k - 1].from || pairs[i].to != pairs[k - 1].to)
				pairs[k++] = pairs[i];
		*npairs = k;
	}
	tm_free(next);
	tm_hmap_dispose(&by_dir);
	if (rc)
		tm_free(pairs);
	*out = rc ? NULL : pairs;
	return rc;
}

static int new_unit(struct unit **units, size_t *cap, int *n, const char *name, int world)
{
	if (TM_GROW(*units, *cap, (size_t)*n + 1))
		return -1;
	(*units)[*n] = (struct unit){name, world, false, 0, NULL, 0};
	return (*n)++;
}

/* Roots: variants on the Kubernetes side that deliver and that nothing else delivers. Each one's
 * reach by a walk of the pairs (a system each: linear in the units and pairs per system). */
static int gitops_systems(tm_arena *a, const tm_plan_item *items, const tm_plan_delivery *ds, size_t nds,
			  const struct unit *units, int nunits, struct gitops *g)
{
	memset(g, 0, sizeof(*g));
	struct pair *pairs = NULL;
	size_t np = 0;
	if (!nds || !nunits)
		return 0;
	size_t nu = (size_t)nunits;
	/* each Kubernetes unit's directory: a render's name (a copy's " [APP]" taken off), a plain
	 * unit's name ("." the top) */
	const char **unit_dir = tm_arena_alloc(a, (nu + 1) * sizeof(char *));
	int rc = unit_dir ? 0 : TM_ENOMEM;
	for (size_t u = 0; !rc && u < nu; u++) {
		const char *nm = units[u].world == TM_PLAN_K8S ? units[u].name : NULL;
		const char *br = nm ? strstr(nm, " [") : NULL;
		unit_dir[u] = !nm ? NULL : strcmp(nm, ".") == 0 ? "" : br ? tm_arena_strndup(a, nm, (size_t)(br - nm)) : nm;
	}
	if (!rc)
		rc = delivery_pairs(items, ds, nds, unit_dir, nunits, &pairs, &np);
	bool *target = tm_calloc(nu, sizeof(bool));
	size_t *start = tm_calloc(nu + 1, sizeof(size_t));
	int *stack = tm_calloc(nu, sizeof(int));
	g->root = tm_arena_alloc(a, nu * sizeof(int));
	g->absorbed = tm_arena_alloc(a, nu * sizeof(bool));
	g->delivered = tm_arena_alloc(a, nu * sizeof(bool));
	if (!rc && (!target || !start || !stack || !g->root || !g->absorbed || !g->delivered))
		rc = TM_ENOMEM;
	for (size_t k = 0; !rc && k < np; k++) {
		target[pairs[k].to] = true;
		start[pairs[k].from + 1]++;
	}
	for (size_t u = 0; !rc && u < nu; u++) {
		start[u + 1] += start[u];
		g->root[u] = -1;
		g->absorbed[u] = g->delivered[u] = false;
		bool root = units[u].variant && units[u].world == TM_PLAN_K8S && start[u + 1] > start[u] && !target[u];
		if (root)
			g->root[u] = (int)g->nroots++;
	}
	if (!rc && g->nroots) {
		g->reach = tm_arena_alloc(a, g->nroots * nu * sizeof(bool));
		g->name = tm_arena_alloc(a, g->nroots * sizeof(int));
		if (!g->reach || !g->name)
			rc = TM_ENOMEM;
		else
			memset(g->reach, 0, g->nroots * nu * sizeof(bool));
	}
	for (size_t u = 0; !rc && u < nu; u++) {
		if (g->root[u] < 0)
			continue;
		bool *in = g->reach + (size_t)g->root[u] * nu;
		size_t top = 0;
		stack[top++] = (int)u;
		in[u] = true;
		g->name[g->root[u]] = (int)u;
		while (top) {
			int v = stack[--top];
			for (size_t k = start[v]; k < start[v + 1]; k++) {
				int w = pairs[k].to;
				if (in[w])
					continue;
				in[w] = true;
				stack[top++] = w;
				if (units[w].variant)
					g->absorbed[w] = true;
				else
					g->delivered[w] = true;
				/* a bootstrap (clusters/prod/flux-system) delivering its cluster's directory: the system
				 * takes that directory's name */
				const char *nm = units[g->name[g->root[u]]].name, *wn = units[w].name;
				size_t wl = strlen(wn);
				if (units[w].variant && wl < strlen(nm) && strncmp(nm, wn, wl) == 0 && nm[wl] == '/')
					g->name[g->root[u]] = w;
			}
		}
	}
	tm_free(pairs);
	tm_free(target);
	tm_free(start);
	tm_free(stack);
	if (rc)
		g->nroots = 0;
	return rc;
}

/* A system's name: its variant's, or for a GitOps system the directory it is named by. */
static const char *system_name(const struct unit *units, const struct gitops *g, int u)
{
	return g->nroots && g->root[u] >= 0 ? units[g->name[g->root[u]]].name : units[u].name;
}

/* The membership of each item when there are GitOps systems: a unit is in its own system; a
 * variant a root delivers in each delivering root's; a common unit in every system of its side, or
 * when roots deliver it, in theirs alone. */
static int gitops_members(tm_arena *a, const tm_plan_item *items, size_t n, const struct unit *units, int nunits,
			  const struct gitops *g, const int *order, tm_plan *out)
{
	size_t ns = out->nsystems, nu = (size_t)nunits;
	out->member = tm_arena_alloc(a, (n * ns + 1) * sizeof(bool));
	if (!out->member)
		return TM_ENOMEM;
	for (size_t i = 0; i < n; i++)
		for (size_t x = 0; x < ns; x++) {
			int u = items[i].unit, s = order[x];
			int r = s >= 0 ? g->root[s] : -1;
			bool in;
			if (u < 0 || (size_t)u >= nu || u == s)
				in = true;
			else if (r >= 0 && g->reach[(size_t)r * nu + (size_t)u])
				in = true;
			else if (units[u].variant)
				in = false;
			else
				in = out->world[x] == units[u].world && !g->delivered[u];
			out->member[i * ns + x] = in;
		}
	return 0;
}

int tm_plan_solve(tm_arena *a, tm_plan_item *items, size_t n, const tm_plan_delivery *ds, size_t nds, tm_plan *out)
{
	memset(out, 0, sizeof(*out));
	struct collect c = {a, NULL, 0, 0, NULL, 0};
	tm_hmap dirs = TM_HMAP_INIT, projects = TM_HMAP_INIT;
	tm_strbuf sb = TM_STRBUF_INIT;
	struct unit *units = NULL;
	size_t cap_units = 0;
	int nunits = 0, rc = 0;
	bool *has = tm_calloc(n + 1, sizeof(bool));
	if (!has)
		rc = TM_ENOMEM;
	/* every object definition, with its item and (plain files) directory */
	for (size_t i = 0; i < n && !rc; i++) {
		items[i].unit = -1;
		if (items[i].project)
			continue;
		c.item = i;
		c.dir = items[i].render ? NULL : dir_of(a, items[i].path);
		if (!items[i].render && (!c.dir || !dir_get(a, &dirs, c.dir)))
			rc = TM_ENOMEM;
		size_t before = c.n;
		for (size_t f = 0; f < items[i].nfiles && !rc; f++)
			for (size_t d = 0; d < tm_file_doc_count(items[i].files[f]) && !rc; d++)
				rc = each_key(&sb, tm_file_doc(items[i].files[f], d), 0, collect_key, &c);
		has[i] = c.n > before;
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
	/* a directory a GitOps object delivers is a unit of its own (split above it), so a cluster
	 * delivering apps/web does not take apps/admin beside it */
	for (size_t d = 0; d < nds && !rc; d++) {
		struct dir *dd = *ds[d].dir ? tm_hmap_get(&dirs, ds[d].dir, strlen(ds[d].dir)) : NULL;
		if (dd)
			mark_split(dd->parent);
	}
	/* units: a render each, a compose project each; a plain file holding objects goes to its
	 * directory when split, else to its highest whole ancestor below a split one (or the top); a
	 * file holding none (an API spec, a workflow, the overlay) is common to every system */
	bool k8s = false; /* compose projects are alternatives to Kubernetes manifests, when there are any */
	/* objects a compose project bind-mounts (Dapr's components) are its configuration, not manifests */
	bool *by_compose = rc ? NULL : compose_mounted(a, items, n);
	if (!by_compose)
		rc = TM_ENOMEM;
	bool mounted_objects = false;
	for (size_t i = 0; i < n && !rc; i++) {
		k8s |= items[i].render || (!items[i].project && has[i] && !by_compose[i]);
		mounted_objects |= has[i] && by_compose[i];
		items[i].compose_config = has[i] && by_compose[i];
	}
	tm_hmap read_by = TM_HMAP_INIT; /* a file a render read -> that render's unit + 1 */
	for (size_t i = 0; i < n && !rc; i++) {
		if (items[i].render) {
			items[i].unit = new_unit(&units, &cap_units, &nunits, items[i].path, TM_PLAN_K8S);
			/* two renders reading one file (a shared base, one chart with two values sets) are
			 * alternative builds of it: variants, whatever namespaces they end up in */
			for (size_t r = 0; items[i].unit >= 0 && r < items[i].nreads; r++) {
				const char *key = (const char *)&items[i].reads[r];
				void *prev = tm_hmap_get(&read_by, key, sizeof(size_t));
				if (prev) {
					units[(intptr_t)prev - 1].variant = true;
					units[items[i].unit].variant = true;
				} else if (tm_hmap_put(&read_by, key, sizeof(size_t), (void *)(intptr_t)(items[i].unit + 1))) {
					rc = TM_ENOMEM;
				}
			}
		} else if (items[i].project) {
			size_t pl = strlen(items[i].project);
			void *u = tm_hmap_get(&projects, items[i].project, pl);
			if (!u) {
				/* named after its first file (docker-compose.yml, app/compose.yaml): a directory name
				 * could be the manifests' too */
				int k = new_unit(&units, &cap_units, &nunits, items[i].path, TM_PLAN_COMPOSE);
				u = (void *)(intptr_t)(k + 1);
				if (k < 0 || tm_hmap_put(&projects, items[i].project, pl, u))
					rc = TM_ENOMEM;
			} else if (strstr(units[(intptr_t)u - 1].name, "override") && !strstr(items[i].path, "override")) {
				/* the base file, not its override (which sorts first: docker-compose.override.yml) */
				units[(intptr_t)u - 1].name = items[i].path;
			}
			items[i].unit = (int)(intptr_t)u - 1;
			if (items[i].unit >= 0)
				units[items[i].unit].objects += compose_services(&items[i]);
			continue;
		} else if (has[i] && !by_compose[i]) {
			const char *dp = dir_of(a, items[i].path);
			struct dir *d = dp ? tm_hmap_get(&dirs, dp, strlen(dp)) : NULL;
			if (!d) {
				rc = TM_ENOMEM;
				break;
			}
			while (!d->split && d->parent && !d->parent->split)
				d = d->parent;
			if (d->unit < 0)
				d->unit = new_unit(&units, &cap_units, &nunits, *d->path ? d->path : ".", TM_PLAN_K8S);
			if (d->unit >= 0 && !*d->path) { /* the top: named after the directory its files share */
				struct unit *t = &units[d->unit];
				size_t l = !t->files_dir ? strlen(dp) : common_prefix(t->files_dir, dp);
				t->files_len = !t->files_dir || l < t->files_len ? l : t->files_len;
				t->files_dir = dp;
			}
			items[i].unit = d->unit;
		} else {
			continue;
		}
		if (items[i].unit < 0)
			rc = TM_ENOMEM;
	}
	/* a file a compose project bind-mounts (a gateway's configuration) goes with that project when
	 * the project is an alternative to Kubernetes manifests: not into their systems */
	if (!rc && (k8s || mounted_objects))
		rc = compose_mounts(a, items, n);
	if (!rc)
		rc = place_gateways(a, items, n);
	/* 2. variants: renders, compose projects, and units sharing an object with another unit */
	for (size_t i = 0, j; i < c.n && !rc; i = j) {
		int first = items[c.defs[i].item].unit;
		bool shared = false;
		for (j = i + 1; j < c.n && strcmp(c.defs[j].key, c.defs[i].key) == 0; j++)
			shared |= items[c.defs[j].item].unit != first;
		for (size_t k = i; k < j; k++) {
			int u = items[c.defs[k].item].unit;
			if (u < 0)
				continue;
			units[u].objects++;
			units[u].variant |= shared;
		}
	}
	/* 3. systems. The Kubernetes side: each variant with the shared manifests, or the shared manifests
	 * alone as one system; the compose side: each project. Fewer than two: one system of everything. */
	struct gitops g;
	if (!rc)
		rc = gitops_systems(a, items, ds, nds, units, nunits, &g);
	else
		memset(&g, 0, sizeof(g));

	size_t nsys = 0, k8s_variants = 0, shared_k8s = 0, shared_objects = 0, composes = 0, compose_objects = 0;
	const char *shared_name = NULL, *compose_first = NULL;
	size_t shared_len = 0, compose_len = 0;
	for (int u = 0; u < nunits && !rc; u++) {
		if (units[u].world == TM_PLAN_COMPOSE) { /* the compose side: one system, below */
			size_t l = compose_first ? common_prefix(compose_first, units[u].name) : strlen(units[u].name);
			compose_len = !compose_first || l < compose_len ? l : compose_len;
			compose_first = compose_first ? compose_first : units[u].name;
			composes++;
			compose_objects += units[u].objects;
			continue;
		}
		bool own = units[u].variant && !(g.nroots && g.absorbed[u]); /* absorbed: a GitOps system's part */
		nsys += own;
		k8s_variants += own;
		if (!units[u].variant) {
			shared_k8s++;
			shared_objects += units[u].objects;
			shared_len = shared_name ? common_prefix(shared_name, units[u].name) : strlen(units[u].name);
			shared_name = units[u].name;
		}
	}
	/* compose projects beside Kubernetes manifests are the other way to deploy: all of them one
	 * system, as they are without the manifests (how they split never depends on a directory of
	 * manifests beside them; a gateway's file each mounts stays its project's, gateway.c) */
	bool compose_sys = k8s && composes;
	nsys += compose_sys;
	bool implicit = !k8s_variants && shared_k8s && nsys;
	nsys += implicit;
	if (!rc && nsys > 1) {
		out->names = tm_arena_alloc(a, nsys * sizeof(char *));
		out->unit_system = tm_arena_alloc(a, (size_t)nunits * sizeof(int) + 1);
		out->world = tm_arena_alloc(a, nsys * sizeof(int));
		size_t *weight = tm_calloc(nsys, sizeof(size_t));
		int *order = tm_calloc(nsys, sizeof(int));
		if (!out->names || !out->unit_system || !out->world || !weight || !order) {
			rc = TM_ENOMEM;
		} else {
			/* systems by name first; the primary (the one defining the most objects, the fullest
			 * deployment) is then moved to the front */
			size_t k = 0;
			for (int u = 0; u < nunits; u++)
				if (units[u].variant && !(g.nroots && g.absorbed[u]))
					order[k++] = u;
			const char *implicit_name = !implicit ? NULL
						    : shared_len ? tm_arena_strndup(a, shared_name, shared_len) : ".";
			if (implicit)
				order[k++] = -1;
			/* the compose side: its one project's name, else the directory they share */
			const char *compose_name = !compose_sys ? NULL
						   : composes == 1 ? compose_first
						   : compose_len ? tm_arena_printf(a, "%.*s [compose]", (int)compose_len, compose_first)
								 : "compose";
			if (compose_sys)
				order[k++] = -2;
			const char *names2[2] = {implicit_name, compose_name}; /* order -1, -2 */
			for (size_t x = 1; x < k; x++) /* insertion sort by name: systems are few */
				for (size_t y = x; y > 0; y--) {
					const char *ny = order[y] >= 0 ? system_name(units, &g, order[y]) : names2[-1 - order[y]];
					const char *nx = order[y - 1] >= 0 ? system_name(units, &g, order[y - 1]) : names2[-1 - order[y - 1]];
					if (strcmp(nx ? nx : "", ny ? ny : "") <= 0) /* NULL: out of memory, failed below */
						break;
					int t = order[y];
					order[y] = order[y - 1];
					order[y - 1] = t;
				}
			size_t best = 0;
			for (size_t x = 0; x < k; x++) {
				int r = order[x] >= 0 && g.nroots ? g.root[order[x]] : -1;
				weight[x] = order[x] >= 0 ? units[order[x]].objects : order[x] == -2 ? compose_objects : 0;
				if (order[x] != -2)
					weight[x] += shared_objects;
				for (int u = 0; r >= 0 && u < nunits; u++) /* a GitOps system: what it delivers */
					if (u != order[x] && units[u].variant && g.reach[(size_t)r * (size_t)nunits + (size_t)u])
						weight[x] += units[u].objects;
				if (weight[x] > weight[best])
					best = x;
			}
			int tb = order[best];
			memmove(order + 1, order, best * sizeof(int));
			order[0] = tb;
			/* a system of the top directory whose manifests all sit in one directory below it
			 * (k8s/) is named after that directory, as the reports show it; the order and the
			 * primary above (ties by name) and the GitOps paths took it as the top */
			const char *common = NULL;
			size_t common_len = 0;
			for (int u = 0; u < nunits && !rc; u++) {
				if (units[u].files_dir && units[u].files_len && strcmp(units[u].name, ".") == 0 &&
				    !(units[u].name = tm_arena_strndup(a, units[u].files_dir, units[u].files_len)))
					rc = TM_ENOMEM;
				if (!units[u].variant && units[u].world == TM_PLAN_K8S && !rc) { /* the shared manifests' system, named again */
					size_t l = common ? common_prefix(common, units[u].name) : strlen(units[u].name);
					common_len = common && common_len < l ? common_len : l;
					common = units[u].name;
				}
			}
			if (!rc && implicit && implicit_name && strcmp(implicit_name, ".") == 0 && common && common_len &&
			    !(implicit_name = tm_arena_strndup(a, common, common_len)))
				rc = TM_ENOMEM;
			for (int u = 0; u < nunits; u++)
				out->unit_system[u] = -1;
			for (size_t x = 0; x < k; x++) {
				out->names[x] = order[x] >= 0 ? system_name(units, &g, order[x]) : order[x] == -1 ? implicit_name : compose_name;
				out->world[x] = order[x] >= 0 ? units[order[x]].world : order[x] == -1 ? TM_PLAN_K8S : TM_PLAN_COMPOSE;
				if (order[x] >= 0)
					out->unit_system[order[x]] = (int)x;
			}
			/* the compose side's name taken by a directory of manifests: said which it is */
			for (size_t x = 0; compose_sys && x < k; x++) {
				if (order[x] != -2)
					continue;
				for (size_t y = 0; y < k && out->names[x]; y++)
					if (y != x && out->names[y] && strcmp(out->names[y], out->names[x]) == 0) {
						out->names[x] = tm_arena_printf(a, "%s [compose]", out->names[x]);
						break;
					}
			}
			out->unit_world = tm_arena_alloc(a, (size_t)nunits * sizeof(int) + 1);
			for (int u = 0; out->unit_world && u < nunits; u++)
				out->unit_world[u] = units[u].world;
			bool named = true;
			for (size_t x = 0; x < k; x++)
				named = named && out->names[x];
			if (rc || !out->unit_world || !named) {
				rc = TM_ENOMEM;
			} else {
				out->nsystems = nsys;
				out->nunits = (size_t)nunits;
				out->items = items;
				out->nitems = n;
				if (g.nroots)
					rc = gitops_members(a, items, n, units, nunits, &g, order, out);
			}
		}
		tm_free(weight);
		tm_free(order);
	}
	tm_hmap_dispose(&read_by);
	tm_free(units);
	tm_free(has);
	tm_free(c.defs);
	tm_hmap_dispose(&dirs);
	tm_hmap_dispose(&projects);
	tm_strbuf_dispose(&sb);
	if (sb.oom || tm_arena_failed(a))
		rc = TM_ENOMEM;
	return rc;
}

static bool glob_any(const char *const *globs, size_t n, const char *path)
{
	for (size_t i = 0; path && i < n; i++)
		if (fnmatch(globs[i], path, 0) == 0)
			return true;
	return false;
}

/* Is render a (a chart's default render, named by its directory) the chart render b ("dir [system]")
 * was made from? */
static bool same_chart(const char *a, const char *b)
{
	size_t n = strlen(a);
	return strncmp(a, b, n) == 0 && strncmp(b + n, " [", 2) == 0;
}

bool tm_plan_glob_used(const tm_plan_item *items, size_t n, const char *glob)
{
	for (size_t i = 0; i < n; i++) {
		const char *file = items[i].render && items[i].nfiles ? tm_file_path(items[i].files[0]) : NULL;
		if (glob_any(&glob, 1, items[i].path) || glob_any(&glob, 1, file))
			return true;
	}
	return false;
}

bool tm_plan_takes(const tm_plan_system *d, const char *path)
{
	return glob_any(d->include, d->ninclude, path) && !glob_any(d->exclude, d->nexclude, path);
}

static int count_key(void *ud, const char *key)
{
	(void)key;
	(*(size_t *)ud)++;
	return 0;
}

int tm_plan_explicit(tm_arena *a, tm_plan_item *items, size_t n, const tm_plan_system *defs, size_t ndefs, tm_plan *out)
{
	memset(out, 0, sizeof(*out));
	tm_strbuf sb = TM_STRBUF_INIT;
	int rc = 0;
	out->member = tm_arena_alloc(a, (n * ndefs + 1) * sizeof(bool));
	out->names = tm_arena_alloc(a, (ndefs + 1) * sizeof(char *));
	out->world = tm_arena_alloc(a, (ndefs + 1) * sizeof(int));
	if (!out->member || !out->names || !out->world)
		return TM_ENOMEM;
	for (size_t k = 0; k < ndefs; k++) {
		out->names[k] = defs[k].name;
		out->world[k] = TM_PLAN_K8S;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		size_t objects = 0;
		for (size_t f = 0; f < items[i].nfiles && !rc; f++)
			for (size_t d = 0; d < tm_file_doc_count(items[i].files[f]) && !rc; d++)
				rc = each_key(&sb, tm_file_doc(items[i].files[f], d), 0, count_key, &objects);
		/* what deploys nothing (an API spec, a workflow) is in every system */
		items[i].unit = items[i].render || items[i].project || objects ? 0 : -1;
		const char *file = items[i].render && items[i].nfiles ? tm_file_path(items[i].files[0]) : NULL;
		for (size_t k = 0; k < ndefs; k++) {
			bool in = glob_any(defs[k].include, defs[k].ninclude, items[i].path) ||
				  glob_any(defs[k].include, defs[k].ninclude, file);
			bool out_ = glob_any(defs[k].exclude, defs[k].nexclude, items[i].path) ||
				    glob_any(defs[k].exclude, defs[k].nexclude, file);
			/* a chart rendered with a system's values belongs to that system alone */
			out->member[i * ndefs + k] = items[i].only >= 0 ? (size_t)items[i].only == k : in && !out_;
		}
	}
	/* a system that has a chart rendered with its values does not also take the chart's default
	 * render (same objects, other values) */
	for (size_t i = 0; i < n; i++) {
		if (items[i].only < 0)
			continue;
		for (size_t j = 0; j < n; j++)
			if (j != i && items[j].render && items[j].only < 0 && items[j].nfiles)
				out->member[j * ndefs + (size_t)items[i].only] &= !same_chart(items[j].path, items[i].path);
	}
	tm_strbuf_dispose(&sb);
	if (sb.oom)
		rc = TM_ENOMEM;
	out->items = items;
	out->nitems = n;
	out->nsystems = ndefs;
	out->nunits = 1;
	out->explicit_ = true;
	return rc;
}

/* Is it in sys by its unit (not only offered)? */
static bool plan_has_own(const tm_plan *p, const tm_plan_item *it, size_t sys)
{
	if (p->member)
		return it->unit < 0 || sys >= p->nsystems || p->member[(size_t)(it - p->items) * p->nsystems + sys];
	if (!p->nsystems || it->unit < 0 || (size_t)it->unit >= p->nunits || sys >= p->nsystems)
		return true;
	int s = p->unit_system[it->unit];
	/* a shared unit: in every system of its side (Kubernetes or compose) */
	return s < 0 ? p->world[sys] == p->unit_world[it->unit] : (size_t)s == sys;
}

bool tm_plan_offered(const tm_plan *p, const tm_plan_item *it, size_t sys)
{
	return it->gateway && it->climbed && !plan_has_own(p, it, sys);
}

bool tm_plan_has(const tm_plan *p, const tm_plan_item *it, size_t sys)
{
	/* a gateway's file placed from above its own directory: its unit's systems, and offered to the others */
	return (it->gateway && it->climbed) || plan_has_own(p, it, sys);
}

int tm_plan_system_of(const tm_plan *p, const tm_plan_item *it)
{
	if (p->member) { /* the overlay's: the first system; GitOps: the one system, -1 when several */
		int found = -1;
		for (size_t k = 0; it->unit >= 0 && k < p->nsystems; k++)
			if (p->member[(size_t)(it - p->items) * p->nsystems + k]) {
				if (p->explicit_)
					return (int)k;
				if (found >= 0)
					return -1;
				found = (int)k;
			}
		return found;
	}
	if (!p->nsystems || it->unit < 0 || (size_t)it->unit >= p->nunits)
		return -1;
	return p->unit_system[it->unit];
}
