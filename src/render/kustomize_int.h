/* render/kustomize_int.h - what the kustomize renderer's files share (internal). */
#ifndef TM_RENDER_KUSTOMIZE_INT_H
#define TM_RENDER_KUSTOMIZE_INT_H

#include <regex.h>

#include "render/kustomize.h"

/* One object being rendered. obj is owned by the render (a tree no other object shares). */
typedef struct {
	tm_value *obj;
	const char *orig_name; /* the name it was loaded or generated with (for name references) */
	const char **names;    /* every name it had at the end of a kustomization, oldest first
				  (arena; names[0] == orig_name): references may use any of them */
	uint32_t nnames;
	const char *orig_ns;
	const char *gen_kind;     /* "ConfigMap"/"Secret" when a generator made it, else NULL */
	bool hash;                /* gets the content-hash name suffix at the end */
	const tm_value *behavior; /* generator behavior value (merge/replace) while pending */
} kres;

typedef struct {
	kres *v;
	size_t n, cap;
} kresv;

typedef struct {
	const tm_kust_opts *o;
	tm_limits lim;
	tm_file *out; /* the rendered file: every file read is adopted here */
	tm_diag_list *diags;
	tm_kust_consumed *consumed;
	tm_kust_consumed own_consumed;
	tm_hmap consumed_set; /* the paths in consumed, for uniqueness in O(1) */
	const char **stack;   /* directories being rendered, for cycles */
	size_t nstack, cap_stack;
	size_t ndocs;   /* objects loaded so far, against lim.max_documents */
	size_t renders; /* kustomizations rendered so far, against MAX_RENDERS */
	int fatal;      /* TM_ENOMEM or TM_ELIMIT: stop */
	void *vars;     /* kvars *: vars of every kustomization rendered */
	bool custom_schema; /* some kustomization names openapi: or crds: (not read) */
} kctx;

/* One kustomization file being applied. */
typedef struct {
	kctx *k;
	const char *dir;     /* root-relative */
	const tm_file *file; /* the kustomization file */
	const tm_value *root;
} kfile;

/* kustomize.c */
tm_loc tm_kust__loc(const kfile *kf, const tm_value *v);
void tm_kust__diag(kctx *k, tm_level level, int code, tm_loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* metadata.name ("" when absent), metadata.namespace (NULL when absent), kind ("" when absent) */
const char *tm_kust__name(const tm_value *obj);
const char *tm_kust__ns(const tm_value *obj);
const char *tm_kust__kind(const tm_value *obj);
/* The map at key in map, made (empty, at origin) when absent and create; NULL otherwise. */
tm_value *tm_kust__child_map(kctx *k, tm_value *map, const char *key, bool create, tm_loc origin);
/* Set map[key] to a new string scalar of text at origin. */
void tm_kust__set_str(kctx *k, tm_value *map, const char *key, const char *text, tm_loc origin);
bool tm_kust__is_cluster_scoped(const char *kind);
/* Pod spec of a workload object, or NULL. */
tm_value *tm_kust__pod_spec(tm_value *obj);
/* Read a file the kustomization in kf names (path as written, at entry): it must lie in or below
 * kf's directory, as kustomize's default load restrictions demand. NULL with a diagnostic. */
tm_file *tm_kust__read_local(kfile *kf, const char *rel, const tm_value *entry);
/* Raw bytes of such a file (tm_free *data); 0 or -1 with a diagnostic. */
int tm_kust__read_local_bytes(kfile *kf, const char *rel, const tm_value *entry, char **data,
                              size_t *len, const char **path);
/* Render the kustomization in dir (a directory of transformer configurations) into out. */
int tm_kust__render_configs(kctx *k, const char *dir, kresv *out, tm_loc from);
/* An object of f (adopted by the render) into the resources, checked as a resource is. */
void tm_kust__add_res(kctx *k, kresv *rs, tm_value *obj, const tm_file *f);
/* A file read (a display path), for the caller's list of what the render consumed. */
void tm_kust__consumed(kctx *k, const char *path);
/* kustomize_helm.c: helmCharts inflated, their manifests into rs. */
void tm_kust__helm_charts(kfile *kf, kresv *rs);
/* Parse text (a patch or a resource) shown as path, adopt it, return it (NULL on failure). */
tm_file *tm_kust__parse(kctx *k, const char *path, const char *text, size_t len);

/* Record r's current name if it changed since the last one recorded. */
void tm_kust__remember_name(kctx *k, kres *r);

/* kustomize_tx.c: the builtin transformers, in the order kustomize runs them */
void tm_kust__patches(kfile *kf, kresv *rs);
void tm_kust__json6902_legacy(kfile *kf, kresv *rs);
void tm_kust__namespace(kfile *kf, kresv *rs);
void tm_kust__prefix_suffix(kfile *kf, kresv *rs);
void tm_kust__labels(kfile *kf, kresv *rs);
void tm_kust__annotations(kfile *kf, kresv *rs);
void tm_kust__images(kfile *kf, kresv *rs);
void tm_kust__replicas(kfile *kf, kresv *rs);
void tm_kust__replacements(kfile *kf, kresv *rs);
/* transformers: builtin LabelTransformer and AnnotationsTransformer configurations; a note for
 * others */
void tm_kust__transformers(kfile *kf, kresv *rs);
/* Vars of every kustomization (collected while rendering), substituted once at the end. */
typedef struct {
	kfile kf;
	const tm_value *def;
} kvar;
typedef struct {
	kvar *v;
	size_t n, cap;
} kvars;
void tm_kust__vars(kctx *k, kresv *rs, const kvars *vars);

/* Target selectors (kustomize_patch.c): group, version, kind, name and namespace (regular
 * expressions), labelSelector, annotationSelector. */
typedef struct tm_kust_select tm_kust_select;
struct tm_kust_select {
	const char *group, *version, *kind, *name, *ns, *labels, *annotations;
	regex_t name_re, ns_re;
	bool has_name_re, has_ns_re;
};
int tm_kust__select_init(kfile *kf, tm_kust_select *s, const tm_value *t);
void tm_kust__select_dispose(tm_kust_select *s);
bool tm_kust__select_one(const tm_kust_select *s, const kres *r);
/* Indices of rs matching s in *out (tm_free); the count. */
size_t tm_kust__select(kctx *k, const tm_kust_select *s, const kresv *rs, size_t **out);

/* Once at the end: references to renamed objects follow the new names. */
void tm_kust__name_refs(kctx *k, kresv *rs);

/* smp.c: strategic merge and JSON 6902 on an object (from: the patch's file, for copies). */
/* Merge patch into target (both maps). Returns 1 if target itself is to be deleted. */
int tm_kust__smp(kctx *k, const tm_file *from, tm_value *target, const tm_value *patch);
/* Apply ops (a sequence of operations) to *obj; diagnostics at the op. 0 or -1 (not applied). */
int tm_kust__json6902(kctx *k, const tm_file *from, tm_value **obj, const tm_value *ops);
bool tm_kust__value_equal(const tm_value *a, const tm_value *b);

/* kustomize_gen.c: configMapGenerator, secretGenerator; and the content hash */
void tm_kust__generators(kfile *kf, kresv *rs);
/* Append the hash suffix to generated objects that want it. */
void tm_kust__hash_names(kctx *k, kresv *rs);

#endif
