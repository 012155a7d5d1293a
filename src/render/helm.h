/*
 * render/helm.h - rendering a Helm chart natively, as `helm template` would (internal to the
 * library; the scan calls it).
 *
 * A chart directory (Chart.yaml, values.yaml, templates/, charts/) is read through a tm_fsys
 * (render/fsys.h): the disk under the scan root, a git tree, or memory. Values are values.yaml
 * with the extra values files laid over it in order; subcharts in charts/ are rendered with their
 * scoped values (the parent's values under the subchart's name, global shared), dependencies
 * switched off by condition or tags are skipped. The templates run in Go text/template with Sprig
 * and Helm's built-ins (render/gotmpl.h); docs/helm.md lists what is supported.
 *
 * Ownership: tm_helm_render hands back one tm_helm_out that owns every string and array in it;
 * free it with tm_helm_out_free. Diagnostics (path:line:col, paths being display paths) go into
 * opts->diags: a template that fails to parse or to execute is left out with an error there, the
 * other templates still render. A `required` given no value does not fail (Helm would refuse the
 * chart): it renders TM_HELM_REQUIRED_PLACEHOLDER, told in out->required for the caller to state.
 */
#ifndef TM_RENDER_HELM_H
#define TM_RENDER_HELM_H

#include "render/fsys.h"
#include "trustmap/doc.h"
#include "util/util.h"

/* One `--set name=value` (`--set-string` with as_string): name a dotted path with [N] list
 * indices and \\. for a dot in a key, as Helm's strvals reads it. */
typedef struct {
	const char *name, *value;
	bool as_string;
} tm_helm_set;

typedef struct {
	/* The tree the chart lives in. NULL: the disk under root. */
	const tm_fsys *fs;
	/* With fs NULL: the scan root (an absolute, resolved path); nothing outside it is read. */
	const char *root;
	/* The chart's directory, relative to the tree's root ("" for the root itself). */
	const char *chart_dir;
	/* The chart directory as shown in diagnostics and output paths (relative to the scan root);
	 * NULL: chart_dir. */
	const char *display_dir;
	/* Extra values files (tree-relative), laid over values.yaml in order, as helm -f does. */
	const char *const *values_files;
	size_t nvalues_files;
	/* Files (tree-relative) that, merged in order, are the top chart's values instead of its
	 * values.yaml, as Flux builds a chart from a source with valuesFiles; none: values.yaml. */
	const char *const *chart_values_files;
	size_t nchart_values_files;
	/* Values given whole (maps, such as a GitOps tool's inline values), laid over the files in
	 * order, then the --set values over them all, as helm -f then --set do. */
	const tm_value *const *values_docs;
	size_t nvalues_docs;
	/* Values given as YAML text (an Argo CD Application's helm.values), laid over the maps: shown
	 * as values_text_path, its first line that file's values_text_line + 1. NULL: none. */
	const char *values_text;
	size_t values_text_len;
	const char *values_text_path;
	uint32_t values_text_line;
	const tm_helm_set *sets;
	size_t nsets;
	/* .Release.Name and .Release.Namespace; NULL: "release-name" and "default" as helm template. */
	const char *release_name;
	const char *release_namespace;
	const tm_limits *limits; /* NULL: tm_limits_default */
	tm_diag_list *diags;     /* required */
} tm_helm_opts;

/* One rendered template file (documents that render empty are dropped: a file whose output is
 * only whitespace is absent). */
typedef struct {
	const char *path;  /* display path of the template, e.g. "charts/podinfo/templates/svc.yaml" */
	const char *text;  /* the rendered text, NUL-terminated */
	size_t len;
	/* The line map: line i+1 of text came from line_paths[i] (a display path) line lines[i], the
	 * template line (text, or the action that wrote the line's first byte). Lines past nlines
	 * (a trailing empty line) have no entry. Pass to tm_file_set_linemap. */
	const char *const *line_paths;
	const uint32_t *lines;
	size_t nlines;
	bool test_hook; /* under templates/tests/: a `helm test` hook, which a scan may skip */
} tm_helm_manifest;

/* What a `required` given no value (nil or "") returns: one DNS label, so it stays a string
 * where it lands (a YAML plain scalar that is no number, boolean or null) and is valid as a host,
 * an object or Secret name, an image repository and a label value; and it says what it is. */
#define TM_HELM_REQUIRED_PLACEHOLDER "required-value-missing"

/* One `required` that got no value and returned TM_HELM_REQUIRED_PLACEHOLDER where Helm fails
 * the chart: a value the installer must give. */
typedef struct {
	const char *msg;  /* the chart's message */
	tm_loc at;        /* the action (inside tpl: the tpl call), a display path */
	const char *file; /* display path of the template file it was rendered for (at.path, or the
			   * file that included the define holding it) */
} tm_helm_required;

#define TM_HELM_REQUIRED_MAX 64
#define TM_HELM_ABSENT_MAX 16
typedef struct tm_helm_out {
	tm_helm_manifest *manifests; /* sorted by path */
	size_t count;
	/* Display paths of every file read under the chart directory (sorted, unique). */
	const char **consumed;
	size_t nconsumed;
	/* Rendering read .Release.Namespace (a template of the chart or of a subchart, directly or
	 * through an include, tpl or a partial): what it wrote may hang on the namespace the release
	 * is installed into. */
	bool reads_release_namespace;
	/* Top-level values the templates read (.Values.<key>) that no values file of the render
	 * defines, sorted, at most TM_HELM_ABSENT_MAX: values a chart expects from outside (a deploy
	 * script's -f). */
	const char **absent_values;
	size_t nabsent_values;
	/* The `required` calls that got no value in the files rendered (a file that failed anyway
	 * tells none), each (message, position, file) once, sorted by message, position and file; at
	 * most TM_HELM_REQUIRED_MAX, required_more counting the others. */
	const tm_helm_required *required;
	size_t nrequired, required_more;
	struct tm_arena *arena; /* owns everything above */
} tm_helm_out;

/*
 * Render the chart. 0 with *out set (possibly with no manifests, and with errors in diags for the
 * templates left out); TM_ENOTFOUND when chart_dir holds no Chart.yaml; TM_EPARSE when Chart.yaml
 * cannot be read as a chart; TM_ENOMEM. *out is NULL on failure.
 */
int tm_helm_render(const tm_helm_opts *o, tm_helm_out **out);
/* One rendered manifest parsed (tm_file_parse) and located at its template lines (its line map);
 * the parser's diagnostics moved to those lines too, their paths copied into paths (the arena
 * that outlives the tm_helm_out). tm_file_parse's results: 0 with *out, TM_ENOMEM, or another
 * error with *out NULL. */
int tm_helm_manifest_parse(tm_file **out, const tm_helm_manifest *m, const tm_limits *limits, tm_diag_list *diags,
			   tm_arena *paths);
void tm_helm_out_free(tm_helm_out *out);
/* The note a caller states for out's required calls (nrequired > 0), appended to sb, which holds
 * its start ("the chart requires values not given: "): each message once with where it is
 * written, relative to dir (the chart's display directory), and the files it was rendered for
 * when the action is in another; then the placeholder rendered in their place. sb stays within
 * max bytes (a diagnostic's message is bounded, TM_DIAG_MSG_MAX) but for the first message: the
 * messages that do not fit are counted, with the calls past TM_HELM_REQUIRED_MAX. */
void tm_helm_required_note(tm_strbuf *sb, const tm_helm_out *out, const char *dir, size_t max);

/*
 * The same chart rendered by the helm program at path helm (scan --helm=binary, helm_binary.c):
 * `helm template` on the chart on disk (o->root; an fsys is TM_EUNSUPPORTED), its manifests split
 * at helm's "# Source:" comments, each mapped to its template with no line. consumed is empty: the
 * caller counts every file under the chart as read. 0, TM_EPARSE (helm failed: an error diagnostic
 * with its first line of stderr), TM_EUNSUPPORTED, TM_ENOMEM.
 */
int tm_helm_render_binary(const char *helm, const tm_helm_opts *o, tm_helm_out **out);

#endif
