/*
 * render/kustomize.h - a native Kustomize renderer (kustomize v5 semantics, no helper process).
 *
 * tm_kustomize_render reads one kustomization directory through a tm_fsys (the disk under the
 * scan root, a git tree, memory) and returns one rendered tm_file whose documents are the objects
 * `kubectl kustomize DIR` prints, in its default (legacy) order. Every value keeps the location it
 * came from: a value of a resource file reports that file and line; a value a patch set reports
 * the patch (an inline patch: the kustomization line); a value a transformer set (namePrefix,
 * commonLabels, images...) reports the kustomization field that asked for it.
 *
 * Nothing outside the fsys is read: a resource climbing above the root is an error diagnostic; a
 * remote resource (URL, git repository) is a warning and skipped, never fetched. Every problem is a
 * positioned diagnostic and the render goes on after a bad entry. Features recognised but not
 * applied (helmCharts, plugins, openapi, configurations, crds...) get a note at their field.
 */
#ifndef TM_RENDER_KUSTOMIZE_H
#define TM_RENDER_KUSTOMIZE_H

#include "parse/parse.h"
#include "render/fsys.h"

typedef struct {
	const tm_fsys *fs;       /* the tree below the scan root */
	const char *dir;         /* the kustomization's directory, root-relative ("" = the root;
	                            normalised: "./app/" is "app"); it is also the display path prefix of
	                            every location and diagnostic */
	const tm_limits *limits; /* NULL: defaults; max_documents and max_nodes bound the output */
	uint32_t max_depth;      /* nesting of kustomizations (resources, components); 0: 32 */
	tm_diag_list *diags;     /* where every problem goes */
} tm_kust_opts;

/* The display paths of every file the render read (kustomization files, resources, patches,
 * generator inputs), sorted and unique, so the caller does not also scan them raw. */
typedef struct {
	char **paths; /* each tm_free'd by tm_kust_consumed_dispose */
	size_t n, cap;
} tm_kust_consumed;
#define TM_KUST_CONSUMED_INIT                                                                      \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}
void tm_kust_consumed_dispose(tm_kust_consumed *c);

/* The kustomization file name in dir ("kustomization.yaml", "kustomization.yml" or
 * "Kustomization"), or NULL when dir holds none. */
const char *tm_kustomize_file_in(const tm_fsys *fs, const char *dir);

/* True if dir holds a kustomization that is a root to render: a kustomization file whose kind is
 * not Component (reads and parses it; false when unreadable). */
bool tm_kustomize_is_root(const tm_fsys *fs, const char *dir, const tm_limits *limits);

/*
 * Render o->dir. On 0, *out is the rendered file (free with tm_file_free; path "<dir>/<file>") and
 * consumed (may be NULL; init with TM_KUST_CONSUMED_INIT) lists what was read; diagnostics may have
 * been recorded. TM_ENOTFOUND: no kustomization in dir; TM_EINVALID: dir climbs above the root,
 * or the kustomization itself is unreadable or a Component; TM_ELIMIT: the output passed a limit;
 * TM_ENOMEM. On error *out is NULL.
 */
int tm_kustomize_render(tm_file **out, tm_kust_consumed *consumed, const tm_kust_opts *o);

/* The same on the disk: root is the scan root's realpath, dir root-relative. */
int tm_kustomize_render_disk(tm_file **out, tm_kust_consumed *consumed, const char *root,
                             const char *dir, const tm_limits *limits, tm_diag_list *diags);

/* One entry of another tool's patch list (a Flux Kustomization's spec.patches item: {patch: TEXT,
 * target}; a patchesStrategicMerge item: the object; a patchesJson6902 item: {target, patch: OPS})
 * applied to the objects of out, a rendered file whose documents it owns, with kustomize's patch
 * semantics: targets by selector, or by the patch's own kind and name; a strategic merge keeps the
 * target's name, kind and namespace. holder holds the entry: a value the patch sets reports its
 * line. The count of objects patched; problems of the patch's text into diags (NULL: not said);
 * *oom set when memory ran out. */
size_t tm_kust_patch_objects(tm_file *out, const tm_file *holder, const tm_value *entry, const tm_limits *limits,
                             tm_diag_list *diags, bool *oom);

#endif
