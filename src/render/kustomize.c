/*
 * kustomize.c - loading kustomizations and resources, the order of the work, the output.
 *
 * The order is kustomize v5's (api/internal/target): for one kustomization, resources (files and
 * nested kustomizations, each rendered completely first), then components (each applied to what
 * has been accumulated so far), then generators, then the builtin transformers in their fixed
 * order (patches, namespace, prefix/suffix, labels, annotations, JSON 6902 patches, replicas,
 * images, replacements). Once, at the top: content-hash suffixes of generated names, then name
 * references, then the legacy sort `kubectl kustomize` prints by default.
 *
 * Ownership: every file read is parsed and adopted by the one output file, so objects are trees in
 * its arena that the render changes in place. An object never shares a map or sequence with
 * another (patch values are copied in, aliases expanded), so changing one never changes two.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/kustomize_int.h"

#define DEFAULT_MAX_DEPTH 32
#define MAX_RENDERS 4096

static const char *const KUST_NAMES[] = {"kustomization.yaml", "kustomization.yml",
                                         "Kustomization"};

void tm_kust_consumed_dispose(tm_kust_consumed *c)
{
	for (size_t i = 0; i < c->n; i++)
		tm_free(c->paths[i]);
	tm_free(c->paths);
	c->paths = NULL;
	c->n = c->cap = 0;
}

void tm_kust__consumed(kctx *k, const char *path)
{
	tm_kust_consumed *c = k->consumed;
	size_t len = strlen(path);
	if (tm_hmap_get(&k->consumed_set, path, len))
		return;
	char *copy = tm_malloc(len + 1);
	if (!copy || TM_GROW(c->paths, c->cap, c->n + 1)) {
		tm_free(copy);
		k->fatal = TM_ENOMEM;
		return;
	}
	memcpy(copy, path, len + 1);
	c->paths[c->n++] = copy;
	if (tm_hmap_put(&k->consumed_set, copy, len, copy))
		k->fatal = TM_ENOMEM;
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void tm_kust__diag(kctx *k, tm_level level, int code, tm_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tm_diag_addv(k->diags, code, level, loc, fmt, ap);
	va_end(ap);
}

tm_loc tm_kust__loc(const kfile *kf, const tm_value *v)
{
	return tm_value_loc(kf->file, v);
}

const char *tm_kust__name(const tm_value *obj)
{
	const char *name = tm_map_get_str(tm_map_get(obj, "metadata"), "name");
	return name ? name : ""; /* a patch may have removed it */
}

const char *tm_kust__ns(const tm_value *obj)
{
	return tm_map_get_str(tm_map_get(obj, "metadata"), "namespace");
}

const char *tm_kust__kind(const tm_value *obj)
{
	const char *kind = tm_map_get_str(obj, "kind");
	return kind ? kind : "";
}

tm_value *tm_kust__child_map(kctx *k, tm_value *map, const char *key, bool create, tm_loc origin)
{
	tm_value *v = tm_map_get_mut(map, key);
	if (v && v->kind == TM_VALUE_MAP)
		return v;
	if (!create || !map || map->kind != TM_VALUE_MAP)
		return NULL;
	if (v && !(v->kind == TM_VALUE_SCALAR && v->type == TM_SCALAR_NULL))
		return NULL; /* a scalar or a list where a map belongs: leave it */
	tm_value *m = tm_value_new_map(k->out, origin);
	if (!m || tm_map_set(k->out, map, key, m)) {
		k->fatal = TM_ENOMEM;
		return NULL;
	}
	return m;
}

void tm_kust__set_str(kctx *k, tm_value *map, const char *key, const char *text, tm_loc origin)
{
	if (!map || map->kind != TM_VALUE_MAP)
		return;
	tm_value *s = tm_value_new_scalar(k->out, origin, TM_SCALAR_STR, text, strlen(text), true);
	if (!s || tm_map_set(k->out, map, key, s))
		k->fatal = TM_ENOMEM;
}

bool tm_kust__is_cluster_scoped(const char *kind)
{
	static const char *const cluster[] = {"Namespace",
	                                      "ClusterRole",
	                                      "ClusterRoleBinding",
	                                      "CustomResourceDefinition",
	                                      "PersistentVolume",
	                                      "StorageClass",
	                                      "PriorityClass",
	                                      "APIService",
	                                      "ValidatingWebhookConfiguration",
	                                      "MutatingWebhookConfiguration",
	                                      "ValidatingAdmissionPolicy",
	                                      "ValidatingAdmissionPolicyBinding",
	                                      "PodSecurityPolicy",
	                                      "ComponentStatus",
	                                      "Node",
	                                      "CSIDriver",
	                                      "CSINode",
	                                      "VolumeAttachment",
	                                      "RuntimeClass",
	                                      "IngressClass",
	                                      "CertificateSigningRequest",
	                                      "FlowSchema",
	                                      "PriorityLevelConfiguration",
	                                      "ClusterIssuer"};
	for (size_t i = 0; i < TM_ARRAY_LEN(cluster); i++)
		if (strcmp(kind, cluster[i]) == 0)
			return true;
	return false;
}

tm_value *tm_kust__pod_spec(tm_value *obj)
{
	const char *kind = tm_kust__kind(obj);
	tm_value *spec = tm_map_get_mut(obj, "spec");
	if (strcmp(kind, "Pod") == 0)
		return spec;
	if (strcmp(kind, "CronJob") == 0)
		spec = tm_map_get_mut(tm_map_get_mut(spec, "jobTemplate"), "spec");
	else if (strcmp(kind, "Deployment") && strcmp(kind, "StatefulSet") &&
	         strcmp(kind, "DaemonSet") && strcmp(kind, "ReplicaSet") && strcmp(kind, "Job") &&
	         strcmp(kind, "ReplicationController") && strcmp(kind, "PodTemplate"))
		return NULL;
	if (strcmp(kind, "PodTemplate") == 0)
		return tm_map_get_mut(tm_map_get_mut(obj, "template"), "spec");
	return tm_map_get_mut(tm_map_get_mut(spec, "template"), "spec");
}

tm_file *tm_kust__parse(kctx *k, const char *path, const char *text, size_t len)
{
	tm_file *f = NULL;
	int rc = tm_file_parse(&f, path, text, len, &k->lim, k->diags);
	if (rc == TM_ENOMEM)
		k->fatal = TM_ENOMEM;
	if (rc || !f)
		return NULL;
	if (tm_file_adopt(k->out, f)) {
		k->fatal = TM_ENOMEM;
		return NULL;
	}
	if (k->out->nvalues > k->lim.max_nodes && !k->fatal) {
		tm_loc l = {path, 0, 0, NULL};
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_ELIMIT, l,
		              "kustomize output passes the limit of %zu values", k->lim.max_nodes);
		k->fatal = TM_ELIMIT;
	}
	return f;
}

/* Read and parse path (root-relative), adopted by the output. NULL with a diagnostic at at. */
static tm_file *read_file(kctx *k, const char *path, tm_loc at)
{
	char *data = NULL;
	size_t len = 0;
	const char *why = NULL;
	int rc = k->o->fs->read(k->o->fs, path, k->lim.max_file_bytes, &data, &len, &why);
	if (rc) {
		if (rc == TM_ENOMEM)
			k->fatal = TM_ENOMEM;
		else if (rc == TM_ELIMIT)
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_ELIMIT, at,
			              "%s is over the limit of %zu bytes", path,
			              k->lim.max_file_bytes);
		else
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_EIO, at, "cannot read %s: %s", path,
			              why ? why : "no such file");
		return NULL;
	}
	tm_kust__consumed(k, path);
	tm_file *f = tm_kust__parse(k, path, data, len);
	tm_free(data);
	return f;
}

const char *tm_kustomize_file_in(const tm_fsys *fs, const char *dir)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *found = NULL;
	for (size_t i = 0; i < TM_ARRAY_LEN(KUST_NAMES) && !found; i++) {
		if (tm_fsys_join(&sb, dir, KUST_NAMES[i]))
			break;
		if (fs->kind(fs, sb.data) == TM_FSYS_FILE)
			found = KUST_NAMES[i];
	}
	tm_strbuf_dispose(&sb);
	return found;
}

bool tm_kustomize_is_root(const tm_fsys *fs, const char *dir, const tm_limits *limits)
{
	const char *name = tm_kustomize_file_in(fs, dir);
	tm_limits lim;
	if (!name)
		return false;
	if (limits)
		lim = *limits;
	else
		tm_limits_default(&lim);
	tm_strbuf sb = TM_STRBUF_INIT;
	char *data = NULL;
	size_t len = 0;
	const char *why;
	bool root = false;
	if (tm_fsys_join(&sb, dir, name) == 0 &&
	    fs->read(fs, sb.data, lim.max_file_bytes, &data, &len, &why) == 0) {
		tm_diag_list quiet;
		tm_diag_list_init(&quiet);
		tm_file *f = NULL;
		if (tm_file_parse(&f, sb.data, data, len, &lim, &quiet) == 0 && f) {
			const char *kind = tm_map_get_str(tm_file_doc(f, 0), "kind");
			root = tm_value_kind_of(tm_file_doc(f, 0)) == TM_VALUE_MAP &&
			       !(kind && strcmp(kind, "Component") == 0);
		}
		tm_file_free(f);
		tm_diag_list_dispose(&quiet);
	}
	tm_free(data);
	tm_strbuf_dispose(&sb);
	return root;
}

static bool is_remote(const char *s)
{
	return strstr(s, "://") || strncmp(s, "github.com/", 11) == 0 ||
	       strncmp(s, "gitlab.com/", 11) == 0 || strncmp(s, "bitbucket.org/", 14) == 0 ||
	       strncmp(s, "git@", 4) == 0 || strstr(s, "?ref=") || strstr(s, ".git//");
}

void tm_kust__add_res(kctx *k, kresv *rs, tm_value *obj, const tm_file *f)
{
	if (k->fatal)
		return;
	if (obj->kind != TM_VALUE_MAP) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, tm_value_loc(f, obj),
		              "a resource must be a mapping");
		return;
	}
	if (!tm_map_get_str(obj, "kind") || !tm_map_get_str(tm_map_get(obj, "metadata"), "name")) {
		/* kustomize refuses objects without kind or name */
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, tm_value_loc(f, obj),
		              "resource without %s: skipped",
		              tm_map_get_str(obj, "kind") ? "metadata.name" : "kind");
		return;
	}
	if (++k->ndocs > k->lim.max_documents) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_ELIMIT, tm_value_loc(f, obj),
		              "kustomize output passes the limit of %zu documents",
		              k->lim.max_documents);
		k->fatal = TM_ELIMIT;
		return;
	}
	if (TM_GROW(rs->v, rs->cap, rs->n + 1)) {
		k->fatal = TM_ENOMEM;
		return;
	}
	kres *r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->obj = obj;
	r->orig_name = tm_kust__name(obj);
	r->orig_ns = tm_kust__ns(obj);
	tm_kust__remember_name(k, r);
}

void tm_kust__remember_name(kctx *k, kres *r)
{
	const char *name = tm_kust__name(r->obj);
	if (r->nnames && strcmp(r->names[r->nnames - 1], name) == 0)
		return;
	const char **v = tm_arena_alloc(k->out->arena, (r->nnames + 1) * sizeof(*v));
	if (!v) {
		k->fatal = TM_ENOMEM;
		return;
	}
	if (r->nnames)
		memcpy(v, r->names, r->nnames * sizeof(*v));
	v[r->nnames++] = name;
	r->names = v;
}

/* True if some container under v is reached from a place other than its parent (a YAML alias). */
static bool has_alias(const tm_value *v, uint32_t depth)
{
	if (v->kind == TM_VALUE_SCALAR || depth > 512)
		return false;
	size_t n = v->kind == TM_VALUE_MAP ? 2 * (size_t)v->len : v->len;
	for (size_t i = 0; i < n; i++) {
		const tm_value *c = v->u.kids[i];
		if (c->parent != v || has_alias(c, depth + 1))
			return true;
	}
	return false;
}

static void load_resource_file(kfile *kf, const char *rel, const tm_value *entry, kresv *rs)
{
	kctx *k = kf->k;
	tm_file *f = tm_kust__read_local(kf, rel, entry);
	if (!f)
		return;
	for (size_t i = 0; i < tm_file_doc_count(f) && !k->fatal; i++) {
		tm_value *doc = tm_file_doc_mut(f, i);
		if (!doc)
			continue;
		if (has_alias(doc, 0)) {
			tm_value *copy = tm_value_copy(k->out, f, doc);
			if (!copy) {
				tm_kust__diag(k, TM_LEVEL_ERROR, TM_ELIMIT, tm_value_loc(f, doc),
				              "document too deep to expand its aliases");
				continue;
			}
			doc = copy;
		}
		const char *kind = tm_map_get_str(doc, "kind");
		tm_value *items = tm_map_get_mut(doc, "items");
		if (kind && strlen(kind) >= 4 && strcmp(kind + strlen(kind) - 4, "List") == 0 &&
		    items && items->kind == TM_VALUE_SEQ) {
			for (size_t j = 0; j < items->len; j++)
				tm_kust__add_res(k, rs, items->u.kids[j], f);
			continue;
		}
		tm_kust__add_res(k, rs, doc, f);
	}
}

static int render_dir(kctx *k, const char *dir, uint32_t depth, kresv *rs, bool component,
                      tm_loc from);

int tm_kust__render_configs(kctx *k, const char *dir, kresv *out, tm_loc from)
{
	return render_dir(k, dir, k->nstack, out, false, from);
}
static const char *local_path(kfile *kf, const char *rel, const tm_value *entry);

static void append_all(kctx *k, kresv *dst, kresv *src)
{
	if (src->n && TM_GROW(dst->v, dst->cap, dst->n + src->n)) {
		k->fatal = TM_ENOMEM;
		return;
	}
	if (src->n)
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(kres));
	dst->n += src->n;
}

/* resources: and bases: entries, in order. */
static void load_resources(kfile *kf, uint32_t depth, const char *field, kresv *rs)
{
	kctx *k = kf->k;
	const tm_value *list = tm_map_get(kf->root, field);
	if (!list)
		return;
	if (list->kind != TM_VALUE_SEQ) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, tm_kust__loc(kf, list),
		              "%s must be a list", field);
		return;
	}
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < list->len && !k->fatal; i++) {
		const tm_value *e = list->u.kids[i];
		const char *s = tm_scalar_str(e, NULL);
		tm_loc at = tm_kust__loc(kf, e);
		if (!s || !*s) {
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at, "%s entry must be a path",
			              field);
			continue;
		}
		if (is_remote(s)) {
			tm_kust__diag(k, TM_LEVEL_WARNING, TM_EREMOTE, at,
			              "remote resource %s not fetched; its objects are missing "
			              "from the model",
			              s);
			continue;
		}
		if (tm_fsys_join(&sb, kf->dir, s)) {
			if (sb.oom)
				k->fatal = TM_ENOMEM;
			else
				tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at,
				              "resource %s leaves the scan root; not read", s);
			continue;
		}
		tm_fsys_kind kind = k->o->fs->kind(k->o->fs, sb.data);
		if (kind == TM_FSYS_DIR) {
			kresv sub = {NULL, 0, 0};
			char *sub_dir = tm_arena_strdup(k->out->arena, sb.data);
			if (!sub_dir) {
				k->fatal = TM_ENOMEM;
				break;
			}
			render_dir(k, sub_dir, depth + 1, &sub, false, at);
			append_all(k, rs, &sub);
			tm_free(sub.v);
		} else if (kind == TM_FSYS_FILE) {
			load_resource_file(kf, s, e, rs);
		} else if (kind == TM_FSYS_REFUSED) {
			tm_kust__diag(
			    k, TM_LEVEL_ERROR, TM_EINVALID, at,
			    "resource %s is a symbolic link leading out of the scan root or not a "
			    "regular file; not read",
			    s);
		} else {
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_ENOTFOUND, at, "resource %s not found",
			              s);
		}
	}
	tm_strbuf_dispose(&sb);
}

static void load_components(kfile *kf, uint32_t depth, kresv *rs)
{
	kctx *k = kf->k;
	const tm_value *list = tm_map_get(kf->root, "components");
	if (!list)
		return;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < tm_value_len(list) && !k->fatal; i++) {
		const tm_value *e = tm_seq_at(list, i);
		const char *s = tm_scalar_str(e, NULL);
		tm_loc at = tm_kust__loc(kf, e);
		if (!s || !*s) {
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at,
			              "component entry must be a path");
			continue;
		}
		if (is_remote(s)) {
			tm_kust__diag(k, TM_LEVEL_WARNING, TM_EUNSUPPORTED, at,
			              "remote component %s not fetched; not applied", s);
			continue;
		}
		if (tm_fsys_join(&sb, kf->dir, s)) {
			if (sb.oom)
				k->fatal = TM_ENOMEM;
			else
				tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at,
				              "component %s leaves the scan root; not read", s);
			continue;
		}
		char *sub_dir = tm_arena_strdup(k->out->arena, sb.data);
		if (!sub_dir) {
			k->fatal = TM_ENOMEM;
			break;
		}
		if (k->o->fs->kind(k->o->fs, sub_dir) != TM_FSYS_DIR) {
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_ENOTFOUND, at, "component %s not found",
			              s);
			continue;
		}
		render_dir(k, sub_dir, depth + 1, rs, true, at);
	}
	tm_strbuf_dispose(&sb);
}

/* Fields recognised but not applied: a note at the field, so the report can say why. */
static void note_unapplied(kfile *kf)
{
	static const struct {
		const char *field, *why;
	} skipped[] = {
	    {"helmChartInflationGenerator", "generator configurations are not read; list the chart under helmCharts"},
	    {"openapi", "custom openapi schemas are not read; custom resources are merged with the "
	                "builtin merge keys by field name"},
	    {"crds", "crd schemas are not read; custom resources are merged with the builtin merge "
	             "keys by field name"},
	    {"configurations", "custom transformer configurations are not applied"},
	    {"generators", "generator plugins are not run"},
	    {"validators", "validator plugins are not run"},
	    {"inventory", "inventory is ignored"},
	    {"buildMetadata", "build metadata annotations are not added"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(skipped); i++) {
		const tm_value *v = tm_map_get(kf->root, skipped[i].field);
		if (v && !(v->kind != TM_VALUE_SCALAR && v->len == 0))
			tm_kust__diag(kf->k, TM_LEVEL_NOTE, TM_EUNSUPPORTED, tm_kust__loc(kf, v),
			              "%s: %s", skipped[i].field, skipped[i].why);
	}
}

static void collect_vars(kfile *kf)
{
	kvars *vars = kf->k->vars;
	const tm_value *list = tm_map_get(kf->root, "vars");
	for (size_t i = 0; i < tm_value_len(list) && list->kind == TM_VALUE_SEQ; i++) {
		if (TM_GROW(vars->v, vars->cap, vars->n + 1)) {
			kf->k->fatal = TM_ENOMEM;
			return;
		}
		vars->v[vars->n].kf = *kf;
		vars->v[vars->n++].def = tm_seq_at(list, i);
	}
}

static bool in_stack(const kctx *k, const char *dir)
{
	for (size_t i = 0; i < k->nstack; i++)
		if (strcmp(k->stack[i], dir) == 0)
			return true;
	return false;
}

/* Render dir's kustomization into rs (a component adds to and transforms what rs holds). */
static int render_dir(kctx *k, const char *dir, uint32_t depth, kresv *rs, bool component,
                      tm_loc from)
{
	const char *name = tm_kustomize_file_in(k->o->fs, dir);
	if (!name) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_ENOTFOUND, from,
		              "%s holds no kustomization.yaml", dir[0] ? dir : ".");
		return TM_ENOTFOUND;
	}
	if (in_stack(k, dir)) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, from, "cycle: %s includes itself",
		              dir[0] ? dir : ".");
		return TM_EINVALID;
	}
	/* a diamond of bases (a includes b1 and b2, each includes c1 and c2...) renders each shared
	 * base once per path to it, as kustomize does: bound the total, not only the depth */
	if (++k->renders > MAX_RENDERS) {
		if (k->renders == MAX_RENDERS + 1)
			tm_kust__diag(
			    k, TM_LEVEL_ERROR, TM_ELIMIT, from,
			    "more than %d kustomizations rendered (bases shared along many "
			    "paths?); the rest are skipped",
			    MAX_RENDERS);
		return TM_ELIMIT;
	}
	if (depth > (k->o->max_depth ? k->o->max_depth : DEFAULT_MAX_DEPTH)) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_ELIMIT, from,
		              "kustomizations nested deeper than %u", (unsigned)depth - 1);
		return TM_ELIMIT;
	}
	tm_strbuf sb = TM_STRBUF_INIT;
	if (tm_fsys_join(&sb, dir, name)) {
		tm_strbuf_dispose(&sb);
		k->fatal = TM_ENOMEM;
		return TM_ENOMEM;
	}
	char *path = tm_arena_strdup(k->out->arena, sb.data);
	tm_strbuf_dispose(&sb);
	if (!path) {
		k->fatal = TM_ENOMEM;
		return TM_ENOMEM;
	}
	tm_file *f = read_file(k, path, from);
	if (!f)
		return TM_EINVALID;
	kfile kf = {k, dir, f, tm_file_doc(f, 0)};
	tm_loc top = {path, 1, 1, NULL};
	if (!kf.root) {
		kf.root = NULL; /* an empty kustomization renders nothing */
		return 0;
	}
	if (kf.root->kind != TM_VALUE_MAP) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, top,
		              "a kustomization must be a mapping");
		return TM_EINVALID;
	}
	const char *kind = tm_map_get_str(kf.root, "kind");
	bool is_comp = kind && strcmp(kind, "Component") == 0;
	const tm_value *kind_v = tm_map_get(kf.root, "kind") ? tm_map_get(kf.root, "kind") : kf.root;
	if (is_comp && depth == 0) {
		/* asked to render a Component on its own (a scan meets every kustomization): not an
		 * error of the input, kustomize refuses it too; the kustomizations listing it apply it */
		tm_kust__diag(k, TM_LEVEL_NOTE, TM_EINVALID, tm_kust__loc(&kf, kind_v),
		              "a Component is not rendered alone; the kustomizations listing it under "
		              "components apply it");
		return TM_EINVALID;
	}
	if (is_comp != component)
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, tm_kust__loc(&kf, kind_v),
		              is_comp ? "a Component is listed as a resource; list it under components"
		                      : "a Kustomization is listed as a component");
	if (TM_GROW(k->stack, k->cap_stack, k->nstack + 1)) {
		k->fatal = TM_ENOMEM;
		return TM_ENOMEM;
	}
	k->stack[k->nstack++] = dir;

	if (tm_map_get(kf.root, "openapi") || tm_map_get(kf.root, "crds"))
		k->custom_schema = true;
	load_resources(&kf, depth, "resources", rs);
	load_resources(&kf, depth, "bases", rs);
	load_components(&kf, depth, rs);
	note_unapplied(&kf);
	collect_vars(&kf);
	if (!k->fatal)
		tm_kust__helm_charts(&kf, rs);
	if (!k->fatal)
		tm_kust__generators(&kf, rs);
	if (!k->fatal)
		tm_kust__patches(&kf, rs);
	if (!k->fatal)
		tm_kust__namespace(&kf, rs);
	if (!k->fatal)
		tm_kust__prefix_suffix(&kf, rs);
	if (!k->fatal)
		tm_kust__labels(&kf, rs);
	if (!k->fatal)
		tm_kust__annotations(&kf, rs);
	if (!k->fatal)
		tm_kust__json6902_legacy(&kf, rs);
	if (!k->fatal)
		tm_kust__replicas(&kf, rs);
	if (!k->fatal)
		tm_kust__images(&kf, rs);
	if (!k->fatal)
		tm_kust__replacements(&kf, rs);
	if (!k->fatal)
		tm_kust__transformers(&kf, rs);
	for (size_t i = 0; i < rs->n && !k->fatal; i++)
		tm_kust__remember_name(k, &rs->v[i]);
	k->nstack--;
	return k->fatal;
}

/* ---- output order: kustomize's legacy sort (resid.Gvk.IsLessThan, then namespace, name) ---- */

static int kind_rank(const char *kind)
{
	static const char *const first[] = {"Namespace",
	                                    "ResourceQuota",
	                                    "StorageClass",
	                                    "CustomResourceDefinition",
	                                    "ServiceAccount",
	                                    "PodSecurityPolicy",
	                                    "Role",
	                                    "ClusterRole",
	                                    "RoleBinding",
	                                    "ClusterRoleBinding",
	                                    "ConfigMap",
	                                    "Secret",
	                                    "Endpoints",
	                                    "Service",
	                                    "LimitRange",
	                                    "PriorityClass",
	                                    "PersistentVolume",
	                                    "PersistentVolumeClaim",
	                                    "Deployment",
	                                    "StatefulSet",
	                                    "CronJob",
	                                    "PodDisruptionBudget"};
	static const char *const last[] = {"MutatingWebhookConfiguration",
	                                   "ValidatingWebhookConfiguration"};
	for (size_t i = 0; i < TM_ARRAY_LEN(first); i++)
		if (strcmp(kind, first[i]) == 0)
			return (int)i - (int)TM_ARRAY_LEN(first);
	for (size_t i = 0; i < TM_ARRAY_LEN(last); i++)
		if (strcmp(kind, last[i]) == 0)
			return (int)i + 1;
	return 0;
}

/* Gvk.String(): group_version_kind with ~G/~V/~K for empty parts. */
static void gvk_string(tm_strbuf *sb, const tm_value *obj)
{
	const char *av = tm_map_get_str(obj, "apiVersion");
	const char *kind = tm_kust__kind(obj);
	const char *slash = av ? strchr(av, '/') : NULL;
	tm_strbuf_reset(sb);
	if (slash && slash > av)
		tm_strbuf_put(sb, av, (size_t)(slash - av));
	else
		tm_strbuf_puts(sb, "~G");
	tm_strbuf_putc(sb, '_');
	const char *ver = slash ? slash + 1 : av;
	tm_strbuf_puts(sb, ver && *ver ? ver : "~V");
	tm_strbuf_putc(sb, '_');
	tm_strbuf_puts(sb, *kind ? kind : "~K");
}

static int res_cmp(const void *pa, const void *pb)
{
	const kres *a = pa, *b = pb;
	const char *ka = tm_kust__kind(a->obj), *kb = tm_kust__kind(b->obj);
	int ra = kind_rank(ka), rb = kind_rank(kb);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	tm_strbuf sa = TM_STRBUF_INIT, sbb = TM_STRBUF_INIT;
	gvk_string(&sa, a->obj);
	gvk_string(&sbb, b->obj);
	int c = strcmp(sa.data ? sa.data : "", sbb.data ? sbb.data : "");
	tm_strbuf_dispose(&sa);
	tm_strbuf_dispose(&sbb);
	if (c)
		return c;
	/* ResId.String(): an empty namespace is "~X", so it sorts after named ones */
	const char *na = tm_kust__ns(a->obj), *nb = tm_kust__ns(b->obj);
	c = strcmp(na && *na ? na : "~X", nb && *nb ? nb : "~X");
	if (c)
		return c;
	c = strcmp(tm_kust__name(a->obj), tm_kust__name(b->obj));
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

static bool local_config(const tm_value *obj)
{
	const char *v = tm_map_get_str(tm_map_get(tm_map_get(obj, "metadata"), "annotations"),
	                               "config.kubernetes.io/local-config");
	return v && strcmp(v, "true") == 0;
}

static bool fifo_order(const tm_file *kf)
{
	const tm_value *so = tm_map_get(tm_file_doc(kf, 0), "sortOptions");
	const char *order = tm_map_get_str(so, "order");
	return order && strcmp(order, "fifo") == 0;
}

int tm_kustomize_render(tm_file **out, tm_kust_consumed *consumed, const tm_kust_opts *o)
{
	kctx k;
	kresv rs = {NULL, 0, 0};
	kvars vars = {NULL, 0, 0};
	int rc = 0;
	*out = NULL;
	memset(&k, 0, sizeof(k));
	k.o = o;
	k.diags = o->diags;
	k.vars = &vars;
	k.own_consumed = (tm_kust_consumed)TM_KUST_CONSUMED_INIT;
	k.consumed = consumed ? consumed : &k.own_consumed;
	if (o->limits)
		k.lim = *o->limits;
	else
		tm_limits_default(&k.lim);
	/* "./app/", "app" and "app/." are one directory: normalise, so paths compare as strings */
	tm_strbuf sb = TM_STRBUF_INIT;
	int jrc = tm_fsys_join(&sb, "", o->dir ? o->dir : "");
	if (jrc) {
		tm_strbuf_dispose(&sb);
		return jrc == TM_ENOMEM ? TM_ENOMEM : TM_EINVALID;
	}
	const char *name = tm_kustomize_file_in(o->fs, sb.data);
	if (!name) {
		tm_strbuf_dispose(&sb);
		return TM_ENOTFOUND;
	}
	size_t dlen = sb.len;
	tm_strbuf_printf(&sb, "%s%s", dlen ? "/" : "", name);
	k.out = sb.oom ? NULL : tm_file_new_rendered(sb.data);
	char *dir = k.out ? tm_arena_strndup(k.out->arena, sb.data, dlen) : NULL;
	tm_strbuf_dispose(&sb);
	if (!dir) {
		tm_file_free(k.out);
		return TM_ENOMEM;
	}
	tm_loc top = {k.out->path, 0, 0, NULL};
	rc = render_dir(&k, dir, 0, &rs, false, top);
	if (k.fatal) {
		rc = k.fatal;
		goto done;
	}
	if (rc == TM_EINVALID || rc == TM_ENOTFOUND)
		goto done; /* the kustomization itself is unusable: said in diags */
	rc = 0;
	tm_kust__hash_names(&k, &rs);
	tm_kust__name_refs(&k, &rs);
	if (vars.n && !k.fatal)
		tm_kust__vars(&k, &rs, &vars);
	if (k.fatal) {
		rc = k.fatal;
		goto done;
	}
	if (rs.n && k.out->nadopted && !fifo_order(k.out->adopted[0]))
		qsort(rs.v, rs.n, sizeof(kres), res_cmp);
	for (size_t i = 0; i < rs.n; i++) {
		if (local_config(rs.v[i].obj))
			continue;
		/* kustomize drops an empty metadata.annotations (it rewrites them all) */
		tm_value *meta = tm_map_get_mut(rs.v[i].obj, "metadata");
		const tm_value *ann = tm_map_get(meta, "annotations");
		if (ann && (ann->kind == TM_VALUE_MAP || ann->type == TM_SCALAR_NULL) &&
		    !tm_value_len(ann))
			tm_map_remove(meta, "annotations");
		if (tm_file_add_doc(k.out, rs.v[i].obj)) {
			rc = TM_ENOMEM;
			goto done;
		}
	}
	if (k.consumed->n)
		qsort(k.consumed->paths, k.consumed->n, sizeof(char *), path_cmp);
done:
	tm_free(rs.v);
	tm_free(vars.v);
	tm_free(k.stack);
	tm_hmap_dispose(&k.consumed_set);
	tm_kust_consumed_dispose(&k.own_consumed);
	if (rc) {
		tm_file_free(k.out);
		return rc;
	}
	*out = k.out;
	return 0;
}

int tm_kustomize_render_disk(tm_file **out, tm_kust_consumed *consumed, const char *root,
                             const char *dir, const tm_limits *limits, tm_diag_list *diags)
{
	tm_fsys fs;
	*out = NULL;
	if (tm_fsys_disk_init(&fs, root))
		return TM_ENOMEM;
	tm_kust_opts o = {&fs, dir, limits, 0, diags};
	int rc = tm_kustomize_render(out, consumed, &o);
	tm_fsys_disk_dispose(&fs);
	return rc;
}

/* Join rel to kf's directory, refusing what leaves it. The joined path (arena) or NULL. */
static const char *local_path(kfile *kf, const char *rel, const tm_value *entry)
{
	kctx *k = kf->k;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_loc at = tm_kust__loc(kf, entry);
	const char *path = NULL;
	if (is_remote(rel)) {
		tm_kust__diag(k, TM_LEVEL_WARNING, TM_EUNSUPPORTED, at,
		              "remote file %s not fetched", rel);
	} else if (tm_fsys_join(&sb, kf->dir, rel)) {
		if (sb.oom)
			k->fatal = TM_ENOMEM;
		else
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at,
			              "%s leaves the scan root; not read", rel);
	} else {
		size_t n = strlen(kf->dir);
		if (n && !(strncmp(sb.data, kf->dir, n) == 0 && sb.data[n] == '/'))
			tm_kust__diag(
			    k, TM_LEVEL_ERROR, TM_EINVALID, at,
			    "%s is not in or below %s (kustomize's load restrictions); not read",
			    rel, kf->dir);
		else if (!(path = tm_arena_strdup(k->out->arena, sb.data)))
			k->fatal = TM_ENOMEM;
	}
	tm_strbuf_dispose(&sb);
	return path;
}

tm_file *tm_kust__read_local(kfile *kf, const char *rel, const tm_value *entry)
{
	const char *path = local_path(kf, rel, entry);
	return path ? read_file(kf->k, path, tm_kust__loc(kf, entry)) : NULL;
}

int tm_kust__read_local_bytes(kfile *kf, const char *rel, const tm_value *entry, char **data,
                              size_t *len, const char **path_out)
{
	kctx *k = kf->k;
	const char *path = local_path(kf, rel, entry);
	*path_out = path;
	const char *why = NULL;
	*data = NULL;
	if (!path)
		return -1;
	int rc = k->o->fs->read(k->o->fs, path, k->lim.max_file_bytes, data, len, &why);
	if (rc) {
		if (rc == TM_ENOMEM)
			k->fatal = TM_ENOMEM;
		tm_kust__diag(k, TM_LEVEL_ERROR, rc, tm_kust__loc(kf, entry), "cannot read %s: %s",
		              rel,
		              rc == TM_ELIMIT ? "over the file size limit"
		              : why           ? why
		                              : "no such file");
		return -1;
	}
	tm_kust__consumed(k, path);
	/* generator inputs are read raw, not adopted: their bytes go into the digest here */
	tm_file_mix_digest(k->out, path, strlen(path));
	tm_file_mix_digest(k->out, *data, *len);
	return 0;
}
