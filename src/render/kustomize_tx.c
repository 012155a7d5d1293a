/*
 * kustomize_tx.c - the builtin transformers: patches, namespace, name prefix and suffix, labels,
 * annotations, replicas, images, replacements, and the name references fixed at the end.
 *
 * Field specs are kustomize's defaults (api/konfig/builtinpluginconsts), written as paths where
 * "x[]" walks every item of the sequence x. Values a transformer sets are new scalars whose
 * origin is the kustomization field that asked for them, so a finding on a label or an image
 * points at the line of the kustomization that put it there.
 */
#include <regex.h>
#include <stdlib.h>

#include "render/kustomize_int.h"

/* ---- field specs ---- */

typedef struct {
	const char *kind; /* NULL: every kind */
	const char *path; /* '/'-separated; "x[]" iterates a sequence */
	bool create;
} fspec;

typedef void (*fs_fn)(kctx *k, tm_value *map, const char *key, void *arg);

/* Walk path from node, calling fn(parent map, last key) at the end. */
static void walk_path(kctx *k, tm_value *node, const char *path, bool create, tm_loc origin,
                      fs_fn fn, void *arg)
{
	if (!node || node->kind != TM_VALUE_MAP || k->fatal)
		return;
	const char *slash = strchr(path, '/');
	char comp[128];
	size_t n = slash ? (size_t)(slash - path) : strlen(path);
	if (n >= sizeof(comp))
		return;
	memcpy(comp, path, n);
	comp[n] = '\0';
	if (!slash) {
		fn(k, node, comp, arg);
		return;
	}
	if (n > 2 && comp[n - 2] == '[' && comp[n - 1] == ']') {
		comp[n - 2] = '\0';
		tm_value *seq = tm_map_get_mut(node, comp);
		for (size_t i = 0; i < tm_value_len(seq) && seq->kind == TM_VALUE_SEQ; i++)
			walk_path(k, tm_seq_at_mut(seq, i), slash + 1, create, origin, fn, arg);
		return;
	}
	tm_value *child = tm_map_get_mut(node, comp);
	if (child &&
	    child->kind == TM_VALUE_SEQ) { /* kustomize's field specs walk lists implicitly */
		for (size_t i = 0; i < child->len; i++)
			walk_path(k, tm_seq_at_mut(child, i), slash + 1, create, origin, fn, arg);
		return;
	}
	walk_path(k, tm_kust__child_map(k, node, comp, create, origin), slash + 1, create, origin,
	          fn, arg);
}

static void apply_specs(kctx *k, tm_value *obj, const fspec *specs, size_t n, tm_loc origin,
                        fs_fn fn, void *arg)
{
	const char *kind = tm_kust__kind(obj);
	for (size_t i = 0; i < n; i++)
		if (!specs[i].kind || strcmp(specs[i].kind, kind) == 0)
			walk_path(k, obj, specs[i].path, specs[i].create, origin, fn, arg);
}

/* ---- maps of strings (labels, annotations) ---- */

typedef struct {
	const kfile *kf;
	const tm_value *pairs; /* the kustomization's map of labels/annotations */
	bool create;
} pairs_arg;

static void put_pairs(kctx *k, tm_value *map, const char *key, void *arg)
{
	const pairs_arg *a = arg;
	tm_value *dst = tm_kust__child_map(k, map, key, a->create, tm_kust__loc(a->kf, a->pairs));
	if (!dst)
		return;
	for (size_t i = 0; i < tm_value_len(a->pairs) && !k->fatal; i++) {
		const char *name = tm_scalar_str(tm_map_key(a->pairs, i), NULL);
		const tm_value *val = tm_map_value(a->pairs, i);
		size_t len = 0;
		const char *text = tm_scalar_str(val, &len);
		if (!name || !text)
			continue;
		tm_value *s = tm_value_new_scalar(k->out, tm_kust__loc(a->kf, val), TM_SCALAR_STR,
		                                  text, len, true);
		if (!s || tm_map_set(k->out, dst, name, s))
			k->fatal = TM_ENOMEM;
	}
}

static const fspec LABEL_META[] = {{NULL, "metadata/labels", true}};
static const fspec LABEL_SELECTORS[] = {
    {"Service", "spec/selector", true},
    {"ReplicationController", "spec/selector", true},
    {"Deployment", "spec/selector/matchLabels", true},
    {"ReplicaSet", "spec/selector/matchLabels", true},
    {"DaemonSet", "spec/selector/matchLabels", true},
    {"StatefulSet", "spec/selector/matchLabels", true},
    {"Job", "spec/selector/matchLabels", false},
    {"CronJob", "spec/jobTemplate/spec/selector/matchLabels", false},
    {"PodDisruptionBudget", "spec/selector/matchLabels", false},
    {"NetworkPolicy", "spec/podSelector/matchLabels", false},
    {"NetworkPolicy", "spec/ingress[]/from[]/podSelector/matchLabels", false},
    {"NetworkPolicy", "spec/egress[]/to[]/podSelector/matchLabels", false},
    {"Deployment",
     "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution[]/"
     "podAffinityTerm/labelSelector/matchLabels",
     false},
    {"Deployment",
     "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution[]/"
     "labelSelector/matchLabels",
     false},
    {"Deployment",
     "spec/template/spec/affinity/podAntiAffinity/"
     "preferredDuringSchedulingIgnoredDuringExecution[]/podAffinityTerm/labelSelector/matchLabels",
     false},
    {"Deployment",
     "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution[]/"
     "labelSelector/matchLabels",
     false},
    {"Deployment", "spec/template/spec/topologySpreadConstraints[]/labelSelector/matchLabels",
     false},
};
static const fspec LABEL_TEMPLATES[] = {
    {"ReplicationController", "spec/template/metadata/labels", true},
    {"Deployment", "spec/template/metadata/labels", true},
    {"ReplicaSet", "spec/template/metadata/labels", true},
    {"DaemonSet", "spec/template/metadata/labels", true},
    {"StatefulSet", "spec/template/metadata/labels", true},
    {"StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true},
    {"Job", "spec/template/metadata/labels", true},
    {"CronJob", "spec/jobTemplate/metadata/labels", true},
    {"CronJob", "spec/jobTemplate/spec/template/metadata/labels", true},
};

static void add_labels(kfile *kf, kresv *rs, const tm_value *pairs, bool selectors, bool templates)
{
	kctx *k = kf->k;
	if (!pairs || pairs->kind != TM_VALUE_MAP || !pairs->len)
		return;
	pairs_arg a = {kf, pairs, true};
	tm_loc at = tm_kust__loc(kf, pairs);
	for (size_t i = 0; i < rs->n && !k->fatal; i++) {
		tm_value *obj = rs->v[i].obj;
		apply_specs(k, obj, LABEL_META, TM_ARRAY_LEN(LABEL_META), at, put_pairs, &a);
		if (templates)
			apply_specs(k, obj, LABEL_TEMPLATES, TM_ARRAY_LEN(LABEL_TEMPLATES), at,
			            put_pairs, &a);
		if (selectors) {
			const char *kind = tm_kust__kind(obj);
			for (size_t j = 0; j < TM_ARRAY_LEN(LABEL_SELECTORS); j++) {
				if (strcmp(LABEL_SELECTORS[j].kind, kind))
					continue;
				a.create = LABEL_SELECTORS[j].create;
				walk_path(k, obj, LABEL_SELECTORS[j].path, a.create, at, put_pairs,
				          &a);
				a.create = true;
			}
		}
	}
}

void tm_kust__labels(kfile *kf, kresv *rs)
{
	add_labels(kf, rs, tm_map_get(kf->root, "commonLabels"), true, true);
	const tm_value *labels = tm_map_get(kf->root, "labels");
	for (size_t i = 0; i < tm_value_len(labels) && labels->kind == TM_VALUE_SEQ; i++) {
		const tm_value *e = tm_seq_at(labels, i);
		bool sel = false, tpl = false;
		(void)tm_scalar_bool(tm_map_get(e, "includeSelectors"), &sel);
		(void)tm_scalar_bool(tm_map_get(e, "includeTemplates"), &tpl);
		if (tm_map_get(e, "fields"))
			tm_kust__diag(kf->k, TM_LEVEL_NOTE, TM_EUNSUPPORTED,
			              tm_kust__loc(kf, tm_map_get(e, "fields")),
			              "labels fields: custom field specs are not applied");
		add_labels(kf, rs, tm_map_get(e, "pairs"), sel, sel || tpl);
	}
}

static const fspec ANNOTATION_SPECS[] = {
    {NULL, "metadata/annotations", true},
    {"ReplicationController", "spec/template/metadata/annotations", true},
    {"Deployment", "spec/template/metadata/annotations", true},
    {"ReplicaSet", "spec/template/metadata/annotations", true},
    {"DaemonSet", "spec/template/metadata/annotations", true},
    {"StatefulSet", "spec/template/metadata/annotations", true},
    {"Job", "spec/template/metadata/annotations", true},
    {"CronJob", "spec/jobTemplate/metadata/annotations", true},
    {"CronJob", "spec/jobTemplate/spec/template/metadata/annotations", true},
};

void tm_kust__annotations(kfile *kf, kresv *rs)
{
	const tm_value *pairs = tm_map_get(kf->root, "commonAnnotations");
	if (!pairs || pairs->kind != TM_VALUE_MAP || !pairs->len)
		return;
	pairs_arg a = {kf, pairs, true};
	for (size_t i = 0; i < rs->n && !kf->k->fatal; i++)
		apply_specs(kf->k, rs->v[i].obj, ANNOTATION_SPECS, TM_ARRAY_LEN(ANNOTATION_SPECS),
		            tm_kust__loc(kf, pairs), put_pairs, &a);
}

/* ---- namespace ---- */

void tm_kust__namespace(kfile *kf, kresv *rs)
{
	kctx *k = kf->k;
	const tm_value *nsv = tm_map_get(kf->root, "namespace");
	const char *ns = tm_scalar_str(nsv, NULL);
	if (!ns || !*ns)
		return;
	tm_loc at = tm_kust__loc(kf, nsv);
	for (size_t i = 0; i < rs->n && !k->fatal; i++) {
		tm_value *obj = rs->v[i].obj;
		const char *kind = tm_kust__kind(obj);
		if (!tm_kust__is_cluster_scoped(kind)) {
			tm_kust__set_str(k, tm_kust__child_map(k, obj, "metadata", true, at),
			                 "namespace", ns, at);
		}
		if (strcmp(kind, "RoleBinding") == 0 || strcmp(kind, "ClusterRoleBinding") == 0) {
			/* a ServiceAccount named default exists in every namespace: kustomize moves
			 * it */
			tm_value *subjects = tm_map_get_mut(obj, "subjects");
			for (size_t j = 0;
			     j < tm_value_len(subjects) && subjects->kind == TM_VALUE_SEQ; j++) {
				tm_value *s = tm_seq_at_mut(subjects, j);
				const char *sk = tm_map_get_str(s, "kind"),
				           *sn = tm_map_get_str(s, "name");
				if (sk && sn && strcmp(sk, "ServiceAccount") == 0 &&
				    strcmp(sn, "default") == 0)
					tm_kust__set_str(k, s, "namespace", ns, at);
			}
		}
	}
}

/* ---- namePrefix / nameSuffix ---- */

void tm_kust__prefix_suffix(kfile *kf, kresv *rs)
{
	kctx *k = kf->k;
	const tm_value *pv = tm_map_get(kf->root, "namePrefix"),
	               *sv = tm_map_get(kf->root, "nameSuffix");
	const char *prefix = tm_scalar_str(pv, NULL), *suffix = tm_scalar_str(sv, NULL);
	if (pv && pv->type == TM_SCALAR_NULL)
		prefix = NULL;
	if (sv && sv->type == TM_SCALAR_NULL)
		suffix = NULL;
	if ((!prefix || !*prefix) && (!suffix || !*suffix))
		return;
	tm_loc at = tm_kust__loc(kf, prefix && *prefix ? pv : sv);
	for (size_t i = 0; i < rs->n && !k->fatal; i++) {
		tm_value *obj = rs->v[i].obj;
		const char *kind = tm_kust__kind(obj);
		if (strcmp(kind, "CustomResourceDefinition") == 0 ||
		    strcmp(kind, "Namespace") == 0 || strcmp(kind, "APIService") == 0)
			continue;
		const char *name = tm_kust__name(obj);
		char *nn = tm_arena_printf(k->out->arena, "%s%s%s", prefix ? prefix : "", name,
		                           suffix ? suffix : "");
		if (!nn) {
			k->fatal = TM_ENOMEM;
			return;
		}
		tm_kust__set_str(k, tm_map_get_mut(obj, "metadata"), "name", nn, at);
	}
}

/* ---- replicas ---- */

void tm_kust__replicas(kfile *kf, kresv *rs)
{
	kctx *k = kf->k;
	const tm_value *list = tm_map_get(kf->root, "replicas");
	for (size_t i = 0; i < tm_value_len(list) && list->kind == TM_VALUE_SEQ; i++) {
		const tm_value *e = tm_seq_at(list, i);
		const char *name = tm_map_get_str(e, "name");
		const tm_value *count = tm_map_get(e, "count");
		int64_t n;
		if (!name || tm_scalar_int(count, &n)) {
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, tm_kust__loc(kf, e),
			              "replicas entry needs a name and an integer count");
			continue;
		}
		for (size_t j = 0; j < rs->n && !k->fatal; j++) {
			tm_value *obj = rs->v[j].obj;
			const char *kind = tm_kust__kind(obj);
			if (strcmp(tm_kust__name(obj), name) && strcmp(rs->v[j].orig_name, name))
				continue;
			if (strcmp(kind, "Deployment") && strcmp(kind, "ReplicationController") &&
			    strcmp(kind, "ReplicaSet") && strcmp(kind, "StatefulSet"))
				continue;
			tm_value *spec =
			    tm_kust__child_map(k, obj, "spec", true, tm_kust__loc(kf, count));
			size_t len;
			const char *text = tm_scalar_str(count, &len);
			tm_value *s = tm_value_new_scalar(k->out, tm_kust__loc(kf, count),
			                                  TM_SCALAR_INT, text, len, false);
			if (!spec)
				continue; /* spec is not a mapping: leave it */
			if (!s || tm_map_set(k->out, spec, "replicas", s))
				k->fatal = TM_ENOMEM;
		}
	}
}

/* ---- images ---- */

typedef struct {
	const kfile *kf;
	const tm_value *entry;
} image_arg;

/* Length of the image name part of ref (without :tag and @digest). */
static size_t image_name_len(const char *ref)
{
	const char *at = strchr(ref, '@');
	size_t n = at ? (size_t)(at - ref) : strlen(ref);
	const char *slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (ref[i] == '/')
			slash = ref + i;
	const char *colon = NULL;
	for (const char *p = slash ? slash : ref; p < ref + n; p++)
		if (*p == ':')
			colon = p;
	return colon ? (size_t)(colon - ref) : n;
}

static void set_image(kctx *k, tm_value *container, const image_arg *a)
{
	tm_value *img = tm_map_get_mut(container, "image");
	const char *ref = tm_scalar_str(img, NULL);
	const char *want = tm_map_get_str(a->entry, "name");
	if (!ref || !want)
		return;
	size_t nl = image_name_len(ref);
	if (strlen(want) != nl || strncmp(ref, want, nl) != 0)
		return;
	const tm_value *nn = tm_map_get(a->entry, "newName"), *nt = tm_map_get(a->entry, "newTag"),
	               *dg = tm_map_get(a->entry, "digest");
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *rest = ref + nl; /* ":tag", "@digest" or "" */
	tm_strbuf_puts(&sb, tm_scalar_str(nn, NULL) && *tm_scalar_str(nn, NULL)
	                        ? tm_scalar_str(nn, NULL)
	                        : want);
	if (tm_scalar_str(dg, NULL) && *tm_scalar_str(dg, NULL)) {
		tm_strbuf_printf(&sb, "@%s", tm_scalar_str(dg, NULL));
	} else if (tm_scalar_str(nt, NULL) && *tm_scalar_str(nt, NULL)) {
		tm_strbuf_printf(&sb, ":%s", tm_scalar_str(nt, NULL));
	} else {
		tm_strbuf_puts(&sb, rest);
	}
	const tm_value *why = dg ? dg : nt ? nt : nn ? nn : a->entry;
	if (!sb.oom)
		tm_kust__set_str(k, container, "image", sb.data, tm_kust__loc(a->kf, why));
	else
		k->fatal = TM_ENOMEM;
	tm_strbuf_dispose(&sb);
}

/* kustomize's image filter visits every containers/initContainers list under the object. */
static void images_walk(kctx *k, tm_value *v, const image_arg *a, uint32_t depth)
{
	if (!v || v->kind == TM_VALUE_SCALAR || depth > 64)
		return;
	for (size_t i = 0; i < tm_value_len(v); i++) {
		if (v->kind == TM_VALUE_SEQ) {
			images_walk(k, tm_seq_at_mut(v, i), a, depth + 1);
			continue;
		}
		const char *key = tm_scalar_str(tm_map_key(v, i), NULL);
		tm_value *c = tm_map_value_mut(v, i);
		if (key && c && c->kind == TM_VALUE_SEQ &&
		    (strcmp(key, "containers") == 0 || strcmp(key, "initContainers") == 0 ||
		     strcmp(key, "ephemeralContainers") == 0)) {
			for (size_t j = 0; j < c->len; j++)
				set_image(k, tm_seq_at_mut(c, j), a);
		} else {
			images_walk(k, c, a, depth + 1);
		}
	}
}

void tm_kust__images(kfile *kf, kresv *rs)
{
	const tm_value *list = tm_map_get(kf->root, "images");
	for (size_t i = 0; i < tm_value_len(list) && list->kind == TM_VALUE_SEQ; i++) {
		image_arg a = {kf, tm_seq_at(list, i)};
		if (!tm_map_get_str(a.entry, "name")) {
			tm_kust__diag(kf->k, TM_LEVEL_ERROR, TM_EINVALID, tm_kust__loc(kf, a.entry),
			              "images entry needs a name");
			continue;
		}
		for (size_t j = 0; j < rs->n && !kf->k->fatal; j++)
			images_walk(kf->k, rs->v[j].obj, &a, 0);
	}
}

/* ---- builtin transformer configurations listed under transformers: ---- */

static bool gvk_matches(const tm_value *fs, const tm_value *obj)
{
	const char *kind = tm_map_get_str(fs, "kind"), *group = tm_map_get_str(fs, "group");
	const char *version = tm_map_get_str(fs, "version");
	const char *av = tm_map_get_str(obj, "apiVersion");
	av = av ? av : "";
	const char *slash = strchr(av, '/');
	if (kind && strcmp(kind, tm_kust__kind(obj)))
		return false;
	if (group && *group) {
		size_t gl = slash ? (size_t)(slash - av) : 0;
		if (strlen(group) != gl || strncmp(group, av, gl))
			return false;
	}
	return !(version && *version && strcmp(version, slash ? slash + 1 : av));
}

/* LabelTransformer / AnnotationsTransformer: pairs put at every field spec that matches. */
static void pairs_transformer(kfile *kf, kresv *rs, const tm_file *f, const tm_value *cfg,
                              const char *field)
{
	kctx *k = kf->k;
	const tm_value *pairs = tm_map_get(cfg, field);
	const tm_value *specs = tm_map_get(cfg, "fieldSpecs");
	if (!pairs || pairs->kind != TM_VALUE_MAP)
		return;
	kfile src = {k, kf->dir, f, cfg};
	for (size_t i = 0; i < rs->n && !k->fatal; i++) {
		for (size_t j = 0; j < tm_value_len(specs); j++) {
			const tm_value *fs = tm_seq_at(specs, j);
			const char *path = tm_map_get_str(fs, "path");
			bool create = false;
			(void)tm_scalar_bool(tm_map_get(fs, "create"), &create);
			if (!path || !gvk_matches(fs, rs->v[i].obj))
				continue;
			pairs_arg a = {&src, pairs, create};
			walk_path(k, rs->v[i].obj, path, create, tm_value_loc(f, pairs), put_pairs,
			          &a);
		}
	}
}

/* ValueAddTransformer: value (default: the name of the kustomization's directory) set at each
 * target's fieldPath, or inserted as the filePathPosition-th element of a path-like value. */
static void value_add(kfile *kf, kresv *rs, const tm_file *f, const tm_value *cfg)
{
	kctx *k = kf->k;
	const char *value = tm_map_get_str(cfg, "value");
	if (!value) {
		const char *slash = strrchr(kf->dir, '/');
		value = slash ? slash + 1 : kf->dir;
	}
	tm_loc at = tm_value_loc(f, tm_map_get(cfg, "value") ? tm_map_get(cfg, "value") : cfg);
	const tm_value *targets = tm_map_get(cfg, "targets");
	kfile src = {k, kf->dir, f, cfg};
	for (size_t t = 0; t < tm_value_len(targets) && !k->fatal; t++) {
		const tm_value *tg = tm_seq_at(targets, t);
		const char *fp = tm_map_get_str(tg, "fieldPath");
		int64_t pos = 0;
		(void)tm_scalar_int(tm_map_get(tg, "filePathPosition"), &pos);
		tm_kust_select sel;
		if (!fp || tm_kust__select_init(&src, &sel, tm_map_get(tg, "selector")))
			continue;
		size_t *hits;
		size_t n = tm_kust__select(k, &sel, rs, &hits);
		tm_kust__select_dispose(&sel);
		const char *last = strrchr(fp, '/');
		char parent_path[256];
		size_t plen = last ? (size_t)(last - fp) : 0;
		if (plen >= sizeof(parent_path))
			plen = 0, last = NULL;
		memcpy(parent_path, fp, plen);
		parent_path[plen] = '\0';
		const char *leaf = last ? last + 1 : fp;
		for (size_t h = 0; h < n && !k->fatal; h++) {
			tm_value *m = rs->v[hits[h]].obj;
			for (char *c = plen ? parent_path : NULL, *e; c && m;
			     c = e ? e + 1 : NULL) {
				e = strchr(c, '/');
				if (e)
					*e = '\0';
				m = tm_kust__child_map(k, m, c, true, at);
				if (e)
					*e = '/';
			}
			if (!m)
				continue;
			const char *old = tm_map_get_str(m, leaf);
			tm_strbuf sb = TM_STRBUF_INIT;
			if (pos > 0 && old) {
				/* insert as the pos-th path element (appended past the end) */
				int64_t i = 1;
				const char *p = old;
				bool put = false;
				while (*p) {
					size_t len = strcspn(p, "/");
					if (i == pos) {
						tm_strbuf_printf(&sb, "%s%s", sb.len ? "/" : "",
						                 value);
						put = true;
					}
					tm_strbuf_printf(&sb, "%s%.*s", sb.len ? "/" : "", (int)len,
					                 p);
					p += len;
					if (*p)
						p++;
					i++;
				}
				if (!put)
					tm_strbuf_printf(&sb, "%s%s", sb.len ? "/" : "", value);
			} else {
				tm_strbuf_puts(&sb, value);
			}
			if (!sb.oom)
				tm_kust__set_str(k, m, leaf, sb.data, at);
			tm_strbuf_dispose(&sb);
		}
		tm_free(hits);
	}
}

static void transformer_doc(kfile *kf, kresv *rs, const tm_file *f, const tm_value *cfg)
{
	const char *kind = tm_map_get_str(cfg, "kind");
	if (kind && strcmp(kind, "LabelTransformer") == 0)
		pairs_transformer(kf, rs, f, cfg, "labels");
	else if (kind && strcmp(kind, "AnnotationsTransformer") == 0)
		pairs_transformer(kf, rs, f, cfg, "annotations");
	else if (kind && strcmp(kind, "ValueAddTransformer") == 0)
		value_add(kf, rs, f, cfg);
	else
		tm_kust__diag(kf->k, TM_LEVEL_NOTE, TM_EUNSUPPORTED, tm_value_loc(f, cfg),
		              "transformer %s is not run; its changes are missing from the model",
		              kind ? kind : "(no kind)");
}

void tm_kust__transformers(kfile *kf, kresv *rs)
{
	kctx *k = kf->k;
	const tm_value *list = tm_map_get(kf->root, "transformers");
	for (size_t i = 0; i < tm_value_len(list) && list->kind == TM_VALUE_SEQ && !k->fatal; i++) {
		const tm_value *e = tm_seq_at(list, i);
		const char *s = tm_scalar_str(e, NULL);
		if (!s) {
			tm_kust__diag(k, TM_LEVEL_NOTE, TM_EUNSUPPORTED, tm_kust__loc(kf, e),
			              "inline transformer configurations are not run");
			continue;
		}
		tm_strbuf sb = TM_STRBUF_INIT;
		bool dir = tm_fsys_join(&sb, kf->dir, s) == 0 &&
		           k->o->fs->kind(k->o->fs, sb.data) == TM_FSYS_DIR;
		char *sub = dir ? tm_arena_strdup(k->out->arena, sb.data) : NULL;
		tm_strbuf_dispose(&sb);
		if (dir) {
			/* a kustomization whose objects are transformer configurations */
			kresv cfgs = {NULL, 0, 0};
			if (sub)
				tm_kust__render_configs(k, sub, &cfgs, tm_kust__loc(kf, e));
			else
				k->fatal = TM_ENOMEM;
			for (size_t c = 0; c < cfgs.n && !k->fatal; c++)
				transformer_doc(kf, rs, k->out, cfgs.v[c].obj);
			k->ndocs -= cfgs.n; /* configurations are not output */
			tm_free(cfgs.v);
			continue;
		}
		tm_file *f = tm_kust__read_local(kf, s, e);
		for (size_t d = 0; f && d < tm_file_doc_count(f); d++)
			if (tm_file_doc(f, d))
				transformer_doc(kf, rs, f, tm_file_doc(f, d));
	}
}
