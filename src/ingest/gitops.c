/*
 * gitops.c - what the GitOps objects of the tree deploy of it, where, and with which values.
 *
 * Argo CD Applications and Flux Kustomizations deliver a directory of the tree into a namespace
 * (tm_gitops__deliveries); Applications whose source path holds a chart, and Flux HelmReleases of a
 * chart in their Git source, release it with values of their own (tm_gitops__releases), which the
 * plan's chart renders take; ApplicationSets' list and Git directories generators make
 * Applications that do both. Paths are named from the top of the repository the object names,
 * read as this tree's (repo_path). Everything here follows the tools' documented behaviour; what
 * they would do that is not followed (remote charts, overrides, other generators) is said in a
 * note, never guessed. Only the plan (scan.c) calls in, before any system is ingested.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse/parse.h"
#include "render/kustomize.h"
#include "scan_set.h"

/* ---- GitOps objects among the inputs ---------------------------------------------------------- */

enum gitops_kind { GITOPS_NONE, GITOPS_ARGO_APP, GITOPS_ARGO_APPSET, GITOPS_FLUX_KUSTOMIZATION, GITOPS_FLUX_HELMRELEASE,
		   GITOPS_HELMFILE };

static enum gitops_kind gitops_kind(const tm_value *doc)
{
	const char *kind = tm_map_get_str(doc, "kind"), *api = tm_map_get_str(doc, "apiVersion");
	if (!kind || !api)
		return GITOPS_NONE;
	if (strcmp(kind, "Application") == 0 && strncmp(api, "argoproj.io/", 12) == 0)
		return GITOPS_ARGO_APP;
	if (strcmp(kind, "ApplicationSet") == 0 && strncmp(api, "argoproj.io/", 12) == 0)
		return GITOPS_ARGO_APPSET;
	if (strcmp(kind, "Kustomization") == 0 && strncmp(api, "kustomize.toolkit.fluxcd.io/", 28) == 0)
		return GITOPS_FLUX_KUSTOMIZATION;
	if (strcmp(kind, "HelmRelease") == 0 && strncmp(api, "helm.toolkit.fluxcd.io/", 23) == 0)
		return GITOPS_FLUX_HELMRELEASE;
	return GITOPS_NONE;
}

/* Each GitOps object among the plain inputs (no render's): fn(ud, file, doc, kind, src, sources)
 * once per Argo CD source (spec.source, then each of spec.sources, with the list), once with src
 * NULL for a Flux object. */
typedef void (*gitops_visit)(void *ud, const tm_file *f, const tm_value *doc, enum gitops_kind kind, const tm_value *src,
			     const tm_value *sources);

static void each_gitops_in(const tm_file *f, gitops_visit fn, void *ud)
{
	for (size_t d = 0; f && d < tm_file_doc_count(f); d++) {
		const tm_value *doc = tm_file_doc(f, d);
		/* a helmfile is no object: its file's name, or its releases, say what it is (detect.c) */
		enum gitops_kind kind = tm_detect__helmfile(doc, tm_scan__basename(tm_file_path(f))) ? GITOPS_HELMFILE
													: gitops_kind(doc);
		if (kind != GITOPS_ARGO_APP) {
			if (kind != GITOPS_NONE && kind != GITOPS_ARGO_APPSET)
				fn(ud, f, doc, kind, NULL, NULL);
			continue;
		}
		const tm_value *spec = tm_map_get(doc, "spec"), *srcs = tm_map_get(spec, "sources");
		if (tm_value_kind_of(tm_map_get(spec, "source")) == TM_VALUE_MAP)
			fn(ud, f, doc, kind, tm_map_get(spec, "source"), NULL);
		for (size_t k = 0; tm_value_kind_of(srcs) == TM_VALUE_SEQ && k < tm_value_len(srcs); k++)
			fn(ud, f, doc, kind, tm_seq_at(srcs, k), srcs);
	}
}

static void plan_appsets(tm_scan_set *set);

/* The same for the Applications the tree's ApplicationSets generate (plan_appsets), after the
 * tree's own, then for the objects of the renders made so far. */
static void each_gitops(tm_scan_set *set, gitops_visit fn, void *ud)
{
	if (!set->appsets_done)
		plan_appsets(set);
	for (size_t i = 0; i < set->ncands && !set->oom; i++)
		if (!set->cands[i].owner)
			each_gitops_in(set->cands[i].file, fn, ud);
	for (size_t i = 0; i < set->nappsets && !set->oom; i++)
		each_gitops_in(set->appsets[i], fn, ud);
	/* and those a render made (an app of apps: a kustomization or chart of Applications) */
	for (size_t r = 0; r < set->nrenders && !set->oom; r++)
		for (size_t k = 0; k < set->renders[r].nouts; k++)
			each_gitops_in(set->renders[r].outs[k], fn, ud);
}

/* A scalar true or "true" (Argo CD's booleans are often quoted). */
static bool scalar_true(const tm_value *v)
{
	const char *s = tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
	return s && strcmp(s, "true") == 0;
}

/* ---- Argo CD ApplicationSets: the Applications their generators make ---------------------------- */

#define APPSET_MAX_APPS 256  /* Applications one ApplicationSet makes, at most (a glob over a big tree);
			      * the note says 256 */
#define APPSET_MAX_PARAMS 64 /* parameters of one generated Application */
#define APPSET_MAX_VALUES 1000000 /* values copied for one ApplicationSet's Applications, at most */

struct appset_params {
	const char *key[APPSET_MAX_PARAMS];
	const char *val[APPSET_MAX_PARAMS];
	size_t n;
};

static void param_add(struct appset_params *p, const char *k, const char *v)
{
	if (p->n < APPSET_MAX_PARAMS && k && v) {
		p->key[p->n] = k;
		p->val[p->n++] = v;
	}
}

/* A tag's value: fasttemplate's {{key}}; in goTemplate mode a field reference {{.a.b}} (or
 * {{index .path.segments N}}), the only Go templates read. NULL: no such parameter. */
static const char *param_of(const struct appset_params *p, const char *tag, size_t len, bool go)
{
	while (len && (isspace((unsigned char)*tag) || (go && *tag == '-'))) /* and {{- ... -}} */
		tag++, len--;
	while (len && (isspace((unsigned char)tag[len - 1]) || (go && tag[len - 1] == '-')))
		len--;
	char key[128];
	if (go && len > 21 && strncmp(tag, "index .path.segments ", 21) == 0) {
		char *end = NULL;
		long i = strtol(tag + 21, &end, 10);
		if (end != tag + len || i < 0)
			return NULL;
		tm_formatf(key, sizeof(key), "path[%ld]", i);
	} else {
		if (go) {
			if (!len || *tag != '.')
				return NULL;
			tag++, len--;
		}
		if (!len || len >= sizeof(key))
			return NULL;
		memcpy(key, tag, len);
		key[len] = '\0';
		if (go && strcmp(key, "path.path") == 0)
			key[4] = '\0';
	}
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->key[i], key) == 0)
			return p->val[i];
	return NULL;
}

/* s with its tags replaced, in the arena; a fasttemplate tag without a parameter stays as written,
 * as Argo CD leaves it. NULL (and *bad) for a Go template that is more than field references. */
static const char *substitute(tm_arena *a, const char *s, const struct appset_params *p, bool go, bool *bad)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *q = s;
	for (;;) {
		const char *open = strstr(q, "{{"), *close = open ? strstr(open + 2, "}}") : NULL;
		if (!close) {
			tm_strbuf_puts(&sb, q);
			break;
		}
		tm_strbuf_put(&sb, q, (size_t)(open - q));
		const char *v = param_of(p, open + 2, (size_t)(close - open - 2), go);
		if (!v && go) {
			*bad = true;
			break;
		}
		if (v)
			tm_strbuf_puts(&sb, v);
		else
			tm_strbuf_put(&sb, open, (size_t)(close + 2 - open));
		q = close + 2;
	}
	const char *out = *bad || sb.oom ? NULL : tm_arena_strdup(a, sb.data ? sb.data : "");
	tm_strbuf_dispose(&sb);
	return out;
}

/* Every string of the tree under v (a copy in f) with its tags replaced; false where a Go template
 * could not be read. */
static bool substitute_tree(tm_scan_set *set, tm_file *f, tm_value *v, const struct appset_params *p, bool go, int depth)
{
	bool map = tm_value_kind_of(v) == TM_VALUE_MAP;
	if (depth > 64 || (!map && tm_value_kind_of(v) != TM_VALUE_SEQ))
		return depth <= 64;
	for (size_t i = 0; i < tm_value_len(v); i++) {
		tm_value *item = map ? tm_map_value_mut(v, i) : tm_seq_at_mut(v, i);
		const char *text = tm_value_kind_of(item) == TM_VALUE_SCALAR ? tm_scalar_str(item, NULL) : NULL;
		if (!text) {
			if (item && !substitute_tree(set, f, item, p, go, depth + 1))
				return false;
			continue;
		}
		if (!strstr(text, "{{"))
			continue;
		bool bad = false;
		const char *out = substitute(set->arena, text, p, go, &bad);
		if (bad)
			return false;
		tm_value *nv = out ? tm_value_new_scalar(f, tm_value_loc(f, item), TM_SCALAR_STR, out, strlen(out), true) : NULL;
		const char *key = map ? tm_scalar_str(tm_map_key(v, i), NULL) : NULL;
		if (!nv || (map ? !key || tm_map_set(f, v, key, nv) : tm_seq_set(v, i, nv)))
			set->oom = 1;
	}
	return true;
}

/* The parameters of a list element (its scalars, nested maps as "a.b"), under prefix. */
static void element_params(tm_scan_set *set, struct appset_params *p, const tm_value *m, const char *prefix, int depth)
{
	for (size_t i = 0; tm_value_kind_of(m) == TM_VALUE_MAP && depth < 4 && i < tm_value_len(m); i++) {
		const char *k = tm_scalar_str(tm_map_key(m, i), NULL);
		const tm_value *v = tm_map_value(m, i);
		if (!k)
			continue;
		const char *key = *prefix ? tm_arena_printf(set->arena, "%s.%s", prefix, k) : k;
		if (tm_value_kind_of(v) == TM_VALUE_SCALAR)
			param_add(p, key, tm_scalar_str(v, NULL));
		else
			element_params(set, p, v, key ? key : "", depth + 1);
	}
}

/* A directory's parameters, as the Git directory generator gives them. */
static void directory_params(tm_scan_set *set, struct appset_params *p, const char *dir)
{
	const char *base = tm_scan__basename(dir);
	char *norm = tm_arena_strdup(set->arena, base);
	for (char *c = norm; c && *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.')
			*c = '-';
	param_add(p, "path", dir);
	param_add(p, "path.basename", base);
	param_add(p, "path.basenameNormalized", norm);
	size_t seg = 0;
	for (const char *q = dir; *q && p->n < APPSET_MAX_PARAMS; seg++) {
		const char *slash = strchr(q, '/');
		size_t l = slash ? (size_t)(slash - q) : strlen(q);
		param_add(p, tm_arena_printf(set->arena, "path[%zu]", seg), tm_arena_strndup(set->arena, q, l));
		q += l + (slash != NULL);
	}
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every directory of the tree that holds an input (and each above it), sorted: what a Git
 * directory generator's globs match. */
static const char **tree_dirs(tm_scan_set *set, size_t *n)
{
	tm_hmap seen = TM_HMAP_INIT;
	const char **dirs = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < set->ncands && !set->oom; i++) {
		const char *d = set->cands[i].display;
		for (const char *slash = strchr(d, '/'); slash; slash = strchr(slash + 1, '/')) {
			size_t l = (size_t)(slash - d);
			if (tm_hmap_get(&seen, d, l))
				continue;
			char *dir = tm_arena_strndup(set->arena, d, l);
			if (!dir || tm_hmap_put(&seen, dir, l, dir) || TM_GROW(dirs, cap, *n + 1)) {
				set->oom = 1;
				break;
			}
			dirs[(*n)++] = dir;
		}
	}
	tm_hmap_dispose(&seen);
	if (*n > 1)
		qsort(dirs, *n, sizeof(*dirs), str_cmp);
	return dirs;
}

/* Does a Git generator's directory glob match dir? '*' stays within one directory, "**" crosses. */
static bool dir_glob(const char *pat, const char *dir)
{
	return fnmatch(pat, dir, strstr(pat, "**") ? 0 : FNM_PATHNAME) == 0;
}

/* The tree's directory dir as a Git directory generator's globs see it, in the first form one of
 * them matches, as repo_path reads paths: from the repository's top (the scan root's place in its
 * work tree before it), from the scan root, or from a directory above the ApplicationSet's file
 * (from), the highest first. NULL when none matches. */
static const char *appset_dir(tm_scan_set *set, const tm_value *gdirs, const char *dir, const char *from)
{
	const char *forms[16];
	size_t n = 0;
	if (*set->repo_prefix)
		forms[n++] = tm_arena_printf(set->arena, "%s%s", set->repo_prefix, dir);
	forms[n++] = dir;
	for (const char *slash = strchr(from, '/'); slash && n < TM_ARRAY_LEN(forms); slash = strchr(slash + 1, '/')) {
		size_t l = (size_t)(slash - from);
		if (strncmp(dir, from, l) == 0 && dir[l] == '/')
			forms[n++] = dir + l + 1;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t e = 0; forms[i] && e < tm_value_len(gdirs); e++) {
			const char *pat = tm_map_get_str(tm_seq_at(gdirs, e), "path");
			if (pat && dir_glob(pat, forms[i]))
				return forms[i];
		}
	return NULL;
}

struct appset_run {
	tm_scan_set *set;
	const tm_file *f;
	const tm_value *tmpl;
	size_t tmpl_values; /* the template's values, counted up to APPSET_MAX_VALUES */
	bool go;
	tm_file *out;  /* the Applications made */
	size_t made, unread, over;
};

/* The values of the tree under v, counting stopped at cap. */
static size_t count_values(const tm_value *v, size_t cap, int depth)
{
	size_t n = 1;
	bool map = tm_value_kind_of(v) == TM_VALUE_MAP;
	for (size_t i = 0; depth < 512 && (map || tm_value_kind_of(v) == TM_VALUE_SEQ) && i < tm_value_len(v) && n < cap; i++)
		n += count_values(map ? tm_map_value(v, i) : tm_seq_at(v, i), cap - n, depth + 1) + map;
	return n;
}

/* One Application of the template with p's parameters. */
static void appset_make(struct appset_run *r, struct appset_params *p)
{
	/* a template copied once per Application: bounded in count and in what the copies hold */
	if (r->made >= APPSET_MAX_APPS || (r->made + r->unread + 1) * r->tmpl_values > APPSET_MAX_VALUES) {
		r->over++;
		return;
	}
	tm_loc at = tm_value_loc(r->f, r->tmpl);
	tm_value *app = tm_value_copy(r->out, r->f, r->tmpl);
	tm_value *api = tm_value_new_scalar(r->out, at, TM_SCALAR_STR, "argoproj.io/v1alpha1", 20, true);
	tm_value *kind = tm_value_new_scalar(r->out, at, TM_SCALAR_STR, "Application", 11, true);
	if (!app || !api || !kind || tm_map_set(r->out, app, "apiVersion", api) || tm_map_set(r->out, app, "kind", kind)) {
		r->set->oom = 1;
		return;
	}
	if (!substitute_tree(r->set, r->out, app, p, r->go, 0)) {
		r->unread++; /* a Go template beyond field references: not evaluated, so not guessed */
		return;
	}
	if (tm_value_reindex(r->out, app) || tm_file_add_doc(r->out, app))
		r->set->oom = 1;
	else
		r->made++;
}

/* The Applications each ApplicationSet of the tree generates from its list and Git directory
 * generators (the source's repository taken to be this tree, as for Applications), one file of
 * them per ApplicationSet, and a note per ApplicationSet saying what it made and what it could not. */
static void plan_appsets(tm_scan_set *set)
{
	set->appsets_done = true;
	const char **dirs = NULL;
	size_t ndirs = 0;
	bool listed = false;
	for (size_t i = 0; i < set->ncands && !set->oom; i++) {
		const struct candidate *c = &set->cands[i];
		for (size_t d = 0; c->file && !c->owner && d < tm_file_doc_count(c->file); d++) {
			const tm_value *doc = tm_file_doc(c->file, d);
			if (gitops_kind(doc) != GITOPS_ARGO_APPSET)
				continue;
			const tm_value *spec = tm_map_get(doc, "spec"), *gens = tm_map_get(spec, "generators");
			const tm_value *tmpl = tm_map_get(spec, "template"), *gov = tm_map_get(spec, "goTemplate");
			const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
			struct appset_run r = {set, c->file, tmpl, count_values(tmpl, APPSET_MAX_VALUES + 1, 0), scalar_true(gov),
					       tm_file_new_rendered(c->display), 0, 0, 0};
			if (!r.out || TM_GROW(set->appsets, set->cap_appsets, set->nappsets + 1)) {
				tm_file_free(r.out);
				set->oom = 1;
				break;
			}
			set->appsets[set->nappsets++] = r.out;
			char other[160] = "";
			size_t no = 0;
			bool used_list = false, used_dirs = false; /* the generators the note names */
			for (size_t g = 0; tm_value_kind_of(tmpl) == TM_VALUE_MAP && g < tm_value_len(gens) && !set->oom; g++) {
				const tm_value *gen = tm_seq_at(gens, g);
				const tm_value *list = tm_map_get(gen, "list"), *git = tm_map_get(gen, "git");
				const tm_value *elems = tm_map_get(list, "elements"), *gdirs = tm_map_get(git, "directories");
				used_list |= elems != NULL;
				used_dirs |= gdirs != NULL;
				for (size_t e = 0; tm_value_kind_of(elems) == TM_VALUE_SEQ && e < tm_value_len(elems); e++) {
					struct appset_params p = {.n = 0};
					element_params(set, &p, tm_seq_at(elems, e), "", 0);
					appset_make(&r, &p);
				}
				if (tm_value_kind_of(gdirs) == TM_VALUE_SEQ && !listed) {
					dirs = tree_dirs(set, &ndirs);
					listed = true;
				}
				for (size_t k = 0; tm_value_kind_of(gdirs) == TM_VALUE_SEQ && k < ndirs; k++) {
					bool take = false;
					const char *rd = appset_dir(set, gdirs, dirs[k], c->display);
					for (size_t e = 0; rd && e < tm_value_len(gdirs); e++) {
						const tm_value *ent = tm_seq_at(gdirs, e);
						const char *pat = tm_map_get_str(ent, "path");
						if (pat && dir_glob(pat, rd))
							take = !scalar_true(tm_map_get(ent, "exclude"));
					}
					/* an exclude wins wherever it is listed, as Argo CD has it */
					for (size_t e = 0; take && e < tm_value_len(gdirs); e++) {
						const tm_value *ent = tm_seq_at(gdirs, e);
						const char *pat = tm_map_get_str(ent, "path");
						take = !(pat && scalar_true(tm_map_get(ent, "exclude")) && dir_glob(pat, rd));
					}
					if (!take)
						continue;
					struct appset_params p = {.n = 0};
					directory_params(set, &p, rd);
					appset_make(&r, &p);
				}
				const char *kind = git ? "git files" : tm_scalar_str(tm_map_key(gen, 0), NULL);
				if (!elems && !gdirs && tm_value_kind_of(gen) == TM_VALUE_MAP && tm_value_len(gen) && no < sizeof(other))
					no += (size_t)tm_formatf(other + no, sizeof(other) - no, "%s%s", no ? ", " : "", kind ? kind : "?");
			}
			char why[400], left[160] = "";
			if (r.unread)
				tm_formatf(left, sizeof(left), "; %zu left out: Go templates other than field references "
					   "({{.path.basename}}) are not evaluated", r.unread);
			tm_formatf(why, sizeof(why), "%s%s%s%s", no ? "; generators not expanded (their Applications are not modelled): " : "",
				   no ? other : "", left,
				   r.over ? "; the rest left out (past 256 Applications, or a million values of copied template)" : "");
			const char *from = used_list && used_dirs ? "from its list and Git directory generators"
					   : used_list		 ? "from its list generator"
					   : used_dirs		 ? "from its Git directory generator"
								 : "from the generators it expands";
			tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, tm_value_loc(c->file, gens ? gens : doc),
				    "the Argo CD ApplicationSet %s generates %zu Application%s %s%s", name ? name : "?", r.made,
				    r.made == 1 ? "" : "s", from, why);
		}
	}
	tm_free(dirs);
}

/* ---- paths named from a repository's top ------------------------------------------------------- */

/* base joined with path, as the tree's relative path ("./apps/web/" -> "apps/web", "." -> ""), or
 * NULL for an absolute path or one that climbs out of the tree (tm_fsys_join). */
static const char *tree_path(tm_arena *a, const char *base, const char *path)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *out = tm_fsys_join(&sb, base, path) == 0 ? tm_arena_strdup(a, sb.data ? sb.data : "") : NULL;
	tm_strbuf_dispose(&sb);
	return out;
}

/* For a note: where a GitOps object's paths were read from, when not from the top (repo_path). */
static const char *read_from(tm_scan_set *set, const char *top)
{
	return top ? tm_arena_printf(set->arena, " (its paths read from %s: the repository it names is taken to start there)", top)
		   : "";
}

/* Does the tree hold path (a file among the inputs, or a directory holding one)? */
static bool in_tree(const tm_scan_set *set, const char *path)
{
	size_t first, end;
	if (!*path || tm_scan__find_cand((tm_scan_set *)set, path))
		return true;
	tm_scan__cands_under(set, path, strlen(path), &first, &end);
	return first < end;
}

/* A path a GitOps object (in the file shown as from) names from its repository's top, as the
 * tree's, the first of these the tree holds:
 *   1. scanning a directory of a git work tree, with its place there (repo_prefix, "deploy/") taken
 *      off: "deploy/apps/web" is the tree's "apps/web";
 *   2. as written, from the scan root;
 *   3. from a directory above the object's file, the highest first: a directory kept as a
 *      repository of its own (a sample, an example) whose objects name its paths; *top says which.
 * NULL for a path that climbs out of the tree; the form of 1 or 2 when the tree holds none. */
static const char *repo_path(tm_scan_set *set, const char *path, const char *from, const char **top)
{
	if (top)
		*top = NULL;
	const char *p = tree_path(set->arena, "", path);
	if (!p)
		return NULL;
	size_t pl = strlen(set->repo_prefix);
	const char *q = !pl                                                                ? NULL
			: strncmp(p, set->repo_prefix, pl) == 0                            ? p + pl
			: strlen(p) == pl - 1 && strncmp(p, set->repo_prefix, pl - 1) == 0 ? ""
											      : NULL;
	if (q && in_tree(set, q))
		return q;
	if (in_tree(set, p) || !from)
		return q ? q : p;
	for (const char *slash = strchr(from, '/'); slash; slash = strchr(slash + 1, '/')) {
		const char *above = tm_arena_strndup(set->arena, from, (size_t)(slash - from));
		const char *r = above ? tree_path(set->arena, above, p) : NULL;
		if (r && in_tree(set, r)) {
			if (top)
				*top = above;
			return r;
		}
	}
	return q ? q : p;
}

int tm_scan_repo_prefix(const char *path, char *buf, size_t len)
{
	char real[PATH_MAX];
	if (len)
		buf[0] = '\0';
	if (!path || !realpath(path, real))
		return 0;
	for (size_t k = strlen(real);;) {
		char probe[PATH_MAX + 8];
		struct stat st;
		tm_formatf(probe, sizeof(probe), "%.*s/.git", (int)k, real);
		if (lstat(probe, &st) == 0) {
			const char *rest = real + k;
			while (*rest == '/')
				rest++;
			if (*rest && tm_formatf(buf, len, "%s/", rest) >= (int)len) {
				buf[0] = '\0';
				return 0;
			}
			return 1;
		}
		if (!k)
			return 0;
		while (k && real[k - 1] != '/')
			k--;
		k -= k > 0; /* the parent, without its '/' ("" for the file system's root) */
	}
}

/* ---- releases of the tree's charts ------------------------------------------------------------- */

/* Is there a chart (a Chart.yaml among the inputs) at the tree's directory dir? */
static bool chart_at(tm_scan_set *set, const char *dir)
{
	char cy[PATH_MAX];
	tm_formatf(cy, sizeof(cy), "%s%sChart.yaml", dir, *dir ? "/" : "");
	return tm_scan__find_cand(set, cy) != NULL;
}

/* One values file a release names, tree-relative: from base (the chart's directory for Argo CD;
 * NULL: the repository's top, for Flux), or, for Argo CD's "$ref/path", from the top of the source holding
 * `ref: ref` (taken to be this tree, as every source is). NULL, with the reason in rel->unread, for
 * a URL, an unknown $ref, or a path out of the tree. */
static const char *release_file(tm_scan_set *set, struct helm_release *rel, const char *base, const char *v,
				const tm_value *sources, const char *from)
{
	if (strstr(v, "://")) {
		rel->unread = "a values file named by URL (not fetched)";
		return NULL;
	}
	if (v[0] == '$') {
		const char *slash = strchr(v, '/');
		bool known = false;
		for (size_t k = 0; slash && tm_value_kind_of(sources) == TM_VALUE_SEQ && k < tm_value_len(sources); k++) {
			const char *ref = tm_map_get_str(tm_seq_at(sources, k), "ref");
			known = known || (ref && strlen(ref) == (size_t)(slash - v - 1) && strncmp(ref, v + 1, strlen(ref)) == 0);
		}
		if (!known) {
			rel->unread = "a values file of a source reference ($ref) that names no source";
			return NULL;
		}
		base = NULL;
		v = slash + 1;
	}
	const char *p = base ? tree_path(set->arena, base, v) : repo_path(set, v, from, NULL);
	if (!p)
		rel->unread = "a values file outside the tree";
	return p;
}

static bool push_release(tm_scan_set *set, struct releases *rs, const struct helm_release *r)
{
	if (TM_GROW(rs->r, rs->cap, rs->n + 1)) {
		set->oom = 1;
		return false;
	}
	rs->r[rs->n] = *r;
	rs->r[rs->n].seq = rs->n;
	rs->n++;
	return true;
}

/* A release's --set items: each {name, value} of list (Argo CD's parameters, with forceString; a
 * helmfile release's set). */
static void release_sets(tm_scan_set *set, struct helm_release *r, const tm_value *list)
{
	size_t n = tm_value_kind_of(list) == TM_VALUE_SEQ ? tm_value_len(list) : 0;
	r->sets = n ? tm_arena_alloc(set->arena, n * sizeof(tm_helm_set)) : NULL;
	for (size_t i = 0; r->sets && i < n; i++) {
		const tm_value *pv = tm_seq_at(list, i);
		const char *pn = tm_map_get_str(pv, "name");
		if (pn && *pn)
			r->sets[r->nsets++] = (tm_helm_set){pn, tm_map_get_str(pv, "value"), scalar_true(tm_map_get(pv, "forceString"))};
	}
}

/* An Argo CD Application's source (spec.source or an item of spec.sources) whose path holds a
 * chart: Argo CD renders it with helm template, with the source's helm: values, into
 * destination.namespace, as release helm.releaseName (the Application's name by default). */
static void argo_release(tm_scan_set *set, const tm_fsys *fs, struct releases *rs, const tm_file *f, const tm_value *doc,
			 const tm_value *src, const tm_value *sources)
{
	const tm_value *pathv = tm_map_get(src, "path"), *chartv = tm_map_get(src, "chart");
	if (tm_scalar_str(chartv, NULL)) /* a chart from a Helm repository: said, as it is not modelled */
		tm_diag_add(&set->diags, TM_EREMOTE, TM_LEVEL_NOTE, tm_value_loc(f, chartv),
			    "the Argo CD Application %s deploys chart %s from %s: a chart of a Helm repository is not fetched, "
			    "so what it deploys is not modelled",
			    tm_map_get_str(tm_map_get(doc, "metadata"), "name") ? tm_map_get_str(tm_map_get(doc, "metadata"), "name") : "?",
			    tm_scalar_str(chartv, NULL), tm_map_get_str(src, "repoURL") ? tm_map_get_str(src, "repoURL") : "its repository");
	const char *top = NULL, *path = tm_scalar_str(pathv, NULL), *dir = path ? repo_path(set, path, tm_file_path(f), &top) : NULL;
	if (!dir || tm_map_get(src, "chart") || !chart_at(set, dir))
		return;
	const tm_value *helm = tm_map_get(src, "helm");
	const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
	const char *ns = tm_map_get_str(tm_map_get(tm_map_get(doc, "spec"), "destination"), "namespace");
	const char *release = tm_map_get_str(helm, "releaseName");
	struct helm_release r = {.tool = "Argo CD Application", .app = name ? name : "?", .chart = dir,
				 .ns = ns && tm_ingest__dns_label(ns) ? ns : NULL, .release = release ? release : name,
				 .at = tm_value_loc(f, pathv), .top = top};
	const tm_value *files = tm_map_get(helm, "valueFiles");
	bool ignore_missing = scalar_true(tm_map_get(helm, "ignoreMissingValueFiles"));
	size_t nf = tm_value_kind_of(files) == TM_VALUE_SEQ ? tm_value_len(files) : 0;
	r.values = nf ? tm_arena_alloc(set->arena, nf * sizeof(char *)) : NULL;
	for (size_t i = 0; r.values && i < nf; i++) {
		const char *v = tm_scalar_str(tm_seq_at(files, i), NULL);
		const char *p = v ? release_file(set, &r, dir, v, sources, tm_file_path(f)) : NULL;
		if (p && !(ignore_missing && fs->kind(fs, p) != TM_FSYS_FILE))
			r.values[r.nvalues++] = p;
	}
	/* valuesObject wins over values (a YAML string) when both are set, as Argo CD has it */
	const tm_value *obj = tm_map_get(helm, "valuesObject"), *text = tm_map_get(helm, "values");
	const tm_value *doc_values = NULL;
	if (tm_value_kind_of(obj) == TM_VALUE_MAP) {
		doc_values = obj;
	} else if (tm_value_kind_of(text) == TM_VALUE_SCALAR && tm_scalar_str(text, NULL)) {
		r.values_text = text; /* a values file's text, templates for tpl and all */
	}
	if (tm_value_kind_of(doc_values) == TM_VALUE_MAP && (r.docs = tm_arena_alloc(set->arena, sizeof(tm_value *))))
		r.docs[r.ndocs++] = doc_values;
	release_sets(set, &r, tm_map_get(helm, "parameters"));
	if (tm_map_get(helm, "fileParameters"))
		r.unread = "fileParameters";
	push_release(set, rs, &r);
}

/* A Flux HelmRelease whose chart is a path of a Git (or bucket) source: rendered with spec.values
 * into spec.targetNamespace (else its own namespace), as release spec.releaseName (else
 * [targetNamespace-]name); the chart's valuesFiles, merged, are its values instead of
 * values.yaml, as the source controller builds the chart. */
static void flux_release(tm_scan_set *set, struct releases *rs, const tm_file *f, const tm_value *doc)
{
	const tm_value *spec = tm_map_get(doc, "spec"), *cs = tm_map_get(tm_map_get(spec, "chart"), "spec");
	const tm_value *chartv = tm_map_get(cs, "chart");
	const char *chart = tm_scalar_str(chartv, NULL), *src = tm_map_get_str(tm_map_get(cs, "sourceRef"), "kind");
	const tm_value *ref = tm_map_get(spec, "chartRef");
	if ((chart && (!src || (strcmp(src, "GitRepository") != 0 && strcmp(src, "Bucket") != 0))) || ref) {
		const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
		tm_diag_add(&set->diags, TM_EREMOTE, TM_LEVEL_NOTE, tm_value_loc(f, chart ? chartv : ref),
			    "the Flux HelmRelease %s deploys chart %s from a %s: it is not fetched, so what it deploys is not "
			    "modelled",
			    name ? name : "?", chart ? chart : tm_map_get_str(ref, "name") ? tm_map_get_str(ref, "name") : "?",
			    chart ? (src ? src : "source") : tm_map_get_str(ref, "kind") ? tm_map_get_str(ref, "kind") : "source");
		return;
	}
	if (!chart)
		return;
	const char *top = NULL, *dir = repo_path(set, chart, tm_file_path(f), &top);
	if (!dir || !chart_at(set, dir))
		return;
	const tm_value *meta = tm_map_get(doc, "metadata");
	const char *name = tm_map_get_str(meta, "name"), *target = tm_map_get_str(spec, "targetNamespace");
	const char *ns = target ? target : tm_map_get_str(meta, "namespace");
	const char *release = tm_map_get_str(spec, "releaseName");
	if (!release && name)
		release = target ? tm_arena_printf(set->arena, "%s-%s", target, name) : name;
	struct helm_release r = {.tool = "Flux HelmRelease", .app = name ? name : "?", .chart = dir,
				 .ns = ns && tm_ingest__dns_label(ns) ? ns : NULL, .release = release,
				 .at = tm_value_loc(f, chartv), .top = top};
	const tm_value *files = tm_map_get(cs, "valuesFiles"), *one = tm_map_get(cs, "valuesFile");
	size_t nf = tm_value_kind_of(files) == TM_VALUE_SEQ ? tm_value_len(files) : 0;
	r.chart_values = tm_arena_alloc(set->arena, (nf + 1) * sizeof(char *));
	for (size_t i = 0; r.chart_values && i < nf + 1; i++) {
		const char *v = tm_scalar_str(i < nf ? tm_seq_at(files, i) : one, NULL);
		const char *p = v ? release_file(set, &r, NULL, v, NULL, tm_file_path(f)) : NULL;
		if (p)
			r.chart_values[r.nchart_values++] = p;
	}
	const tm_value *values = tm_map_get(spec, "values");
	if (tm_value_kind_of(values) == TM_VALUE_MAP && (r.docs = tm_arena_alloc(set->arena, sizeof(tm_value *))))
		r.docs[r.ndocs++] = values;
	if (tm_map_get(spec, "valuesFrom"))
		r.unread = "valuesFrom (ConfigMaps and Secrets read in the cluster)";
	push_release(set, rs, &r);
}

/* A helmfile's releases of the tree's charts (`chart: ./charts/ui`, `../ui/chart`: relative to the
 * helmfile's directory), each rendered with its `values` (files from that directory, or inline
 * maps) and `set` into its `namespace`, as `helmfile template` renders them. A chart of a Helm
 * repository (`bitnami/redis`), a `.gotmpl` values file (a template of helmfile's own) and a
 * release turned off (`installed: false`) are said in a note, not guessed at. */
static void helmfile_releases(tm_scan_set *set, struct releases *rs, const tm_file *f, const tm_value *doc)
{
	const char *path = tm_file_path(f), *slash = strrchr(path, '/');
	const char *base = slash ? tm_arena_strndup(set->arena, path, (size_t)(slash - path)) : "";
	const tm_value *rels = tm_map_get(doc, "releases");
	for (size_t i = 0; base && i < tm_value_len(rels); i++) {
		const tm_value *rv = tm_seq_at(rels, i), *chartv = tm_map_get(rv, "chart");
		const char *name = tm_map_get_str(rv, "name"), *chart = tm_scalar_str(chartv, NULL);
		bool on = true;
		const tm_value *inst = tm_map_get(rv, "installed");
		if (!name || !chart || (inst && !tm_scalar_bool(inst, &on) && !on))
			continue;
		bool local = chart[0] == '.' || chart[0] == '/';
		const char *dir = local ? tree_path(set->arena, base, chart) : NULL;
		if (!dir || !chart_at(set, dir)) {
			tm_diag_add(&set->diags, TM_EREMOTE, TM_LEVEL_NOTE, tm_value_loc(f, chartv),
				    "the helmfile release %s deploys chart %s, %s: what it deploys is not modelled", name, chart,
				    local ? "which is no chart of the scanned tree" : "of a Helm repository, which is not fetched");
			continue;
		}
		const char *ns = tm_map_get_str(rv, "namespace");
		struct helm_release r = {.tool = "helmfile release", .app = name, .chart = dir,
					 .ns = ns && tm_ingest__dns_label(ns) ? ns : NULL, .release = name,
					 .at = tm_value_loc(f, chartv), .top = NULL};
		const tm_value *vals = tm_map_get(rv, "values");
		size_t nv = tm_value_kind_of(vals) == TM_VALUE_SEQ ? tm_value_len(vals) : 0;
		r.values = nv ? tm_arena_alloc(set->arena, nv * sizeof(char *)) : NULL;
		r.docs = nv ? tm_arena_alloc(set->arena, nv * sizeof(tm_value *)) : NULL;
		for (size_t k = 0; r.values && r.docs && k < nv; k++) {
			const tm_value *v = tm_seq_at(vals, k);
			const char *file = tm_scalar_str(v, NULL);
			size_t fl = file ? strlen(file) : 0;
			if (tm_value_kind_of(v) == TM_VALUE_MAP)
				r.docs[r.ndocs++] = v;
			else if (fl > 7 && strcmp(file + fl - 7, ".gotmpl") == 0)
				r.unread = "a .gotmpl values file (helmfile's own template)";
			else if (file && (file = release_file(set, &r, base, file, NULL, path)) != NULL)
				r.values[r.nvalues++] = file;
		}
		release_sets(set, &r, tm_map_get(rv, "set"));
		push_release(set, rs, &r);
	}
}

static int release_cmp(const void *a, const void *b)
{
	const struct helm_release *x = a, *y = b;
	int c = strcmp(x->chart, y->chart);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

struct releases_found {
	tm_scan_set *set;
	const tm_fsys *fs;
	struct releases *rs;
};

static void release_of(void *ud, const tm_file *f, const tm_value *doc, enum gitops_kind kind, const tm_value *src,
		       const tm_value *sources)
{
	struct releases_found *rf = ud;
	size_t had = rf->rs->n;
	if (kind == GITOPS_FLUX_HELMRELEASE)
		flux_release(rf->set, rf->rs, f, doc);
	else if (kind == GITOPS_HELMFILE)
		helmfile_releases(rf->set, rf->rs, f, doc);
	else if (kind == GITOPS_ARGO_APP)
		argo_release(rf->set, rf->fs, rf->rs, f, doc, src, sources);
	for (size_t i = had; i < rf->rs->n; i++)
		rf->rs->r[i].via = f;
}

/* The releases the tree's GitOps objects make of its charts, sorted by chart (then found in). */
void tm_gitops__releases(tm_scan_set *set, const tm_fsys *fs, struct releases *rs)
{
	struct releases_found rf = {set, fs, rs};
	/* each_gitops's walk, each release marked with the render whose output holds it */
	if (!set->appsets_done)
		plan_appsets(set);
	size_t had = rs->n;
	for (size_t i = 0; i < set->ncands && !set->oom; i++)
		if (!set->cands[i].owner)
			each_gitops_in(set->cands[i].file, release_of, &rf);
	for (size_t i = 0; i < set->nappsets && !set->oom; i++)
		each_gitops_in(set->appsets[i], release_of, &rf);
	for (size_t i = had; i < rs->n; i++)
		rs->r[i].from_render = -1;
	for (size_t r = 0; r < set->nrenders && !set->oom; r++) {
		had = rs->n;
		for (size_t k = 0; k < set->renders[r].nouts; k++)
			each_gitops_in(set->renders[r].outs[k], release_of, &rf);
		for (size_t i = had; i < rs->n; i++)
			rs->r[i].from_render = (int)r;
	}
	/* by chart, then in the order found */
	if (rs->n > 1)
		qsort(rs->r, rs->n, sizeof(*rs->r), release_cmp);
}

void tm_gitops__releases_rendered(tm_scan_set *set, const tm_fsys *fs, struct releases *rs, size_t first_render)
{
	size_t before = rs->n;
	struct releases_found rf = {set, fs, rs};
	for (size_t r = first_render; r < set->nrenders && !set->oom; r++) {
		size_t had = rs->n;
		for (size_t k = 0; k < set->renders[r].nouts; k++)
			each_gitops_in(set->renders[r].outs[k], release_of, &rf);
		for (size_t i = had; i < rs->n; i++)
			rs->r[i].from_render = (int)r;
	}
	if (rs->n > before)
		qsort(rs->r, rs->n, sizeof(*rs->r), release_cmp);
}

void tm_gitops__releases_free(struct releases *rs)
{
	tm_free(rs->r);
}

/* What a release rendered with, for its note: "2 values files, inline values, 1 parameter". */
static const char *release_with(tm_scan_set *set, const struct helm_release *r)
{
	char buf[256] = "";
	size_t n = 0;
	if (r->nvalues || r->nchart_values)
		n += (size_t)tm_formatf(buf + n, sizeof(buf) - n, "%zu values file%s%s", r->nvalues + r->nchart_values,
					r->nvalues + r->nchart_values == 1 ? "" : "s",
					r->nchart_values ? " (instead of values.yaml)" : "");
	if ((r->ndocs || r->values_text) && n < sizeof(buf))
		n += (size_t)tm_formatf(buf + n, sizeof(buf) - n, "%sinline values", n ? ", " : "");
	if (r->nsets && n < sizeof(buf))
		n += (size_t)tm_formatf(buf + n, sizeof(buf) - n, "%s%zu parameter%s", n ? ", " : "", r->nsets,
					r->nsets == 1 ? "" : "s");
	return tm_arena_strdup(set->arena, n ? buf : "values.yaml alone");
}

void tm_gitops__release_said(tm_scan_set *set, const struct helm_release *r, const char *name)
{
	tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, r->at, "the %s %s releases chart %s as %s%s%s, rendered with %s%s%s%s",
		    r->tool, r->app, name, r->release ? r->release : "release-name", r->ns ? " into namespace " : "",
		    r->ns ? r->ns : "", release_with(set, r), r->unread ? "; not read: " : "", r->unread ? r->unread : "",
		    read_from(set, r->top));
}

/* ---- apps of apps -------------------------------------------------------------------------------- */

/* Does data (len bytes) hold the text s? */
static bool holds(const char *data, size_t len, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = data, *e = data + len; n && (size_t)(e - p) >= n;) {
		const char *c = memchr(p, s[0], (size_t)(e - p) - n + 1);
		if (!c)
			return false;
		if (memcmp(c, s, n) == 0)
			return true;
		p = c + 1;
	}
	return false;
}

/* Does a chart's templates/ hold GitOps objects (an app of apps: a chart of Argo CD Applications
 * or Flux HelmReleases)? Read through fs, so the comparison of plans sees the read. */
bool tm_gitops__app_of_apps(tm_scan_set *set, const tm_fsys *fs, const char *chart)
{
	char dir[PATH_MAX];
	size_t first, end;
	tm_formatf(dir, sizeof(dir), "%s%stemplates", chart, *chart ? "/" : "");
	tm_scan__cands_under(set, dir, strlen(dir), &first, &end);
	bool found = false;
	for (size_t i = first; i < end && !found; i++) {
		char *data = NULL;
		size_t len = 0;
		const char *why = NULL;
		if (fs->read(fs, set->cands[i].display, set->limits.max_file_bytes, &data, &len, &why) == 0)
			found = holds(data, len, "argoproj.io/") || holds(data, len, "helm.toolkit.fluxcd.io/");
		tm_free(data);
	}
	return found;
}

/* ---- GitOps deliveries ------------------------------------------------------------------------ */

/* Where a GitOps tool sends a directory of this tree. An Argo CD Application: the objects without a
 * namespace go to spec.destination.namespace, as Argo CD applies them (kubectl apply -n). A Flux
 * Kustomization with spec.targetNamespace: every namespaced object goes there (kustomize's
 * namespace transformer), from the directory and those under it. */
struct delivery {
	const char *tool;     /* "Argo CD Application", "Flux Kustomization" */
	const char *dir;      /* the source's path, relative to the root ("" the root itself) */
	bool recurse;         /* directory.recurse (Argo CD), always (Flux): the directories under it too */
	bool override;        /* a namespace written in an object is replaced too (Flux) */
	bool kustomized;      /* a kustomization is at dir: its output is what is applied, not the files */
	const tm_value *include, *exclude; /* directory.include / exclude: globs on file names */
	const char *ns;
	const char *app;      /* the Application's name */
	tm_loc at;            /* its destination.namespace */
	const char *top;      /* the directory its path is read from, when not the top (repo_path) */
	size_t placed;        /* objects placed */
	bool copy;            /* it places a copy: another delivery sends the same files elsewhere */
	int extra;            /* the render holding its copies (extra_render), or -1 */
	size_t extra_cap;
	const tm_value *substitute; /* Flux's postBuild.substitute: variables for ${...} in what it applies */
	bool substitute_from;       /* postBuild.substituteFrom too: variables from the cluster, unknown */
	const tm_file *via;         /* the file holding the delivering object */
	/* Flux's spec.patches, and v1beta2's patchesStrategicMerge and patchesJson6902 (NULL: none) */
	const tm_value *patches[3];
	size_t *patch_hits; /* per entry of the three in order: the objects it patched */
	bool patch_said;    /* a patch's own problems (its text) said once, at the first file patched */
};

/* Record that d's objects are what candidate cand's placed copy or render render holds. */
static void use(tm_scan_set *set, const struct delivery *d, int cand, int render)
{
	if (TM_GROW(set->gitops_uses, set->cap_gitops_uses, set->ngitops_uses + 1))
		set->oom = 1;
	else
		set->gitops_uses[set->ngitops_uses++] = (struct gitops_use){d->via, cand, render};
}

/* Does an Argo CD directory glob (one pattern, or "{a,b}") match the file's name or path? */
static bool delivery_glob(const tm_value *g, const char *display, const char *base)
{
	const char *pat = tm_scalar_str(g, NULL);
	if (!pat || !*pat)
		return false;
	char buf[512];
	size_t n = strlen(pat);
	if (pat[0] == '{' && pat[n - 1] == '}' && n < sizeof(buf)) {
		memcpy(buf, pat + 1, n - 2);
		buf[n - 2] = '\0';
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
			if (fnmatch(t, base, 0) == 0 || fnmatch(t, display, 0) == 0)
				return true;
		return false;
	}
	return fnmatch(pat, base, 0) == 0 || fnmatch(pat, display, 0) == 0;
}

/* d, its directory the source path's, appended; nothing for a path out of the tree. */
static void push_delivery(tm_scan_set *set, struct delivery **ds, size_t *n, size_t *cap, const char *path,
			  const tm_file *f, struct delivery d)
{
	if (!(d.dir = repo_path(set, path, tm_file_path(f), &d.top)))
		return;
	d.via = f;
	if (TM_GROW(*ds, *cap, *n + 1))
		set->oom = 1;
	else
		(*ds)[(*n)++] = d;
}

/* What a GitOps object would change in the objects it applies that is not modelled (Argo CD's
 * kustomize: overrides, Flux's patches, images, postBuild substitutions...): one note at the first,
 * naming them all. keys NULL: every key of the map v; else those of keys present in v. */
static void note_overrides(tm_scan_set *set, const tm_file *f, const tm_value *v, const char *const *keys,
			   const char *tool, const char *app)
{
	char list[256] = "";
	size_t n = 0;
	const tm_value *first = NULL;
	for (size_t i = 0; tm_value_kind_of(v) == TM_VALUE_MAP && (keys ? keys[i] != NULL : i < tm_value_len(v)); i++) {
		const char *k = keys ? keys[i] : tm_scalar_str(tm_map_key(v, i), NULL);
		const tm_value *val = k ? tm_map_get(v, k) : NULL;
		if (!val || n >= sizeof(list))
			continue;
		first = first ? first : val;
		n += (size_t)tm_formatf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", k);
	}
	if (first)
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, tm_value_loc(f, first),
			    "the %s %s changes what it applies with %s: not applied here, its objects are modelled as the "
			    "files (or their kustomization) give them",
			    tool, app ? app : "?", list);
}

/* The Flux GitRepository objects of the tree and its renders, by name (the first of a name). */
static void flux_repos(tm_scan_set *set)
{
	if (set->flux_repos_built)
		return;
	set->flux_repos_built = true;
	for (size_t i = 0; i < set->ncands + set->nrenders && !set->oom; i++) {
		const struct render *rd = i >= set->ncands ? &set->renders[i - set->ncands] : NULL;
		size_t nf = rd ? rd->nouts : 1;
		for (size_t k = 0; k < nf; k++) {
			const tm_file *f = rd ? rd->outs[k] : set->cands[i].owner ? NULL : set->cands[i].file;
			for (size_t d = 0; f && d < tm_file_doc_count(f); d++) {
				const tm_value *doc = tm_file_doc(f, d);
				const char *kind = tm_map_get_str(doc, "kind"), *api = tm_map_get_str(doc, "apiVersion");
				const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
				if (!kind || !api || !name || strcmp(kind, "GitRepository") != 0 ||
				    strncmp(api, "source.toolkit.fluxcd.io/", 25) != 0 ||
				    tm_hmap_get(&set->flux_repos, name, strlen(name)))
					continue;
				if (tm_hmap_put(&set->flux_repos, name, strlen(name), (void *)tm_map_get(doc, "spec")))
					set->oom = 1;
			}
		}
	}
}

/* A GitRepository's url without its scheme's decorations (".git", a trailing '/'), for comparing. */
static bool same_url(const char *a, const char *b)
{
	size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
	while (la && a[la - 1] == '/')
		la--;
	while (lb && b[lb - 1] == '/')
		lb--;
	la -= la > 4 && strncmp(a + la - 4, ".git", 4) == 0 ? 4 : 0;
	lb -= lb > 4 && strncmp(b + lb - 4, ".git", 4) == 0 ? 4 : 0;
	return la == lb && (!la || strncasecmp(a, b, la) == 0);
}

/* Another source than this tree for a Flux object's sourceRef: an OCIRepository or a Bucket; a
 * GitRepository other than the bootstrap's flux-system whose url or ref differs from it (or, with no
 * flux-system among the inputs, any GitRepository the inputs define: a tenant's repository or
 * branch). Its description for a diagnostic, else NULL (this tree, or nothing says otherwise). */
static const char *other_source(tm_scan_set *set, const tm_value *ref)
{
	const char *kind = tm_map_get_str(ref, "kind"), *name = tm_map_get_str(ref, "name");
	if (!name)
		return NULL;
	if (kind && strcmp(kind, "GitRepository") != 0)
		return tm_arena_printf(set->arena, "%s %s", kind, name);
	if (strcmp(name, "flux-system") == 0)
		return NULL;
	flux_repos(set);
	const tm_value *spec = tm_hmap_get(&set->flux_repos, name, strlen(name));
	if (!spec)
		return NULL;
	const tm_value *self = tm_hmap_get(&set->flux_repos, "flux-system", 11);
	const tm_value *ref_of = tm_map_get(spec, "ref"), *self_ref = tm_map_get(self, "ref");
	static const char *const refs[] = {"branch", "tag", "semver", "commit", "name"};
	bool same = self && same_url(tm_map_get_str(spec, "url"), tm_map_get_str(self, "url"));
	for (size_t i = 0; same && i < TM_ARRAY_LEN(refs); i++) {
		const char *x = tm_map_get_str(ref_of, refs[i]), *y = tm_map_get_str(self_ref, refs[i]);
		same = (!x && !y) || (x && y && strcmp(x, y) == 0);
	}
	if (same)
		return NULL;
	const char *url = tm_map_get_str(spec, "url"), *branch = tm_map_get_str(ref_of, "branch");
	return tm_arena_printf(set->arena, "GitRepository %s (%s%s%s)", name, url ? url : "no url",
			       branch ? ", branch " : "", branch ? branch : "");
}

/* An Argo CD Application's source (spec.source or an item of spec.sources) that is a path. */
static void add_argo(tm_scan_set *set, struct delivery **ds, size_t *n, size_t *cap, const tm_file *f,
		     const tm_value *doc, const tm_value *src)
{
	if (tm_map_get_str(src, "path"))
		note_overrides(set, f, tm_map_get(src, "kustomize"), NULL, "Argo CD Application",
			       tm_map_get_str(tm_map_get(doc, "metadata"), "name"));
	const char *path = tm_map_get_str(src, "path");
	const tm_value *nsv = tm_map_get(tm_map_get(tm_map_get(doc, "spec"), "destination"), "namespace");
	const char *ns = tm_scalar_str(nsv, NULL);
	if (!path || tm_map_get(src, "chart") || !ns || !tm_ingest__dns_label(ns))
		return;
	const tm_value *d = tm_map_get(src, "directory");
	const tm_value *rec = tm_map_get(d, "recurse");
	push_delivery(set, ds, n, cap, path, f,
		      (struct delivery){.tool = "Argo CD Application",
					.recurse = rec && tm_scalar_type_of(rec) == TM_SCALAR_BOOL &&
						   strcmp(tm_scalar_str(rec, NULL), "true") == 0,
					.include = tm_map_get(d, "include"), .exclude = tm_map_get(d, "exclude"), .ns = ns,
					.app = tm_map_get_str(tm_map_get(doc, "metadata"), "name"), .at = tm_value_loc(f, nsv)});
}

/* A Flux Kustomization (kustomize.toolkit.fluxcd.io) with a targetNamespace and a path. */
static void add_flux(tm_scan_set *set, struct delivery **ds, size_t *n, size_t *cap, const tm_file *f, const tm_value *doc)
{
	const tm_value *spec = tm_map_get(doc, "spec"), *nsv = tm_map_get(spec, "targetNamespace");
	const char *path = tm_map_get_str(spec, "path"), *ns = tm_scalar_str(nsv, NULL);
	/* patches are applied to what a delivery places; without a targetNamespace there is none */
	bool delivered = path && ns && tm_ingest__dns_label(ns);
	static const char *const changes[] = {"images", "namePrefix", "nameSuffix", "commonMetadata", "components",
					      "patches", "patchesStrategicMerge", "patchesJson6902", NULL};
	static const char *const changes_placed[] = {"images", "namePrefix", "nameSuffix", "commonMetadata",
						     "components", NULL};
	if (other_source(set, tm_map_get(spec, "sourceRef")))
		return; /* another source's objects: said where its path is recorded */
	const char *app = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
	if (path)
		note_overrides(set, f, spec, delivered ? changes_placed : changes, "Flux Kustomization", app);
	/* postBuild: its inline variables are substituted here; substituteFrom's come from the cluster */
	const tm_value *pb = tm_map_get(spec, "postBuild");
	const tm_value *subst = tm_map_get(pb, "substitute");
	const tm_value *from = tm_map_get(pb, "substituteFrom");
	if (path && (from || (pb && !subst)))
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, tm_value_loc(f, from ? from : pb),
			    "the Flux Kustomization %s substitutes variables from %s: their values are not in the files, so "
			    "a ${var} they set stays as written (its default when it gives one)",
			    app ? app : "?", from ? "ConfigMaps or Secrets of the cluster (substituteFrom)" : "postBuild");
	if (!delivered)
		return;
	struct delivery d = {.tool = "Flux Kustomization", .recurse = true, .override = true, .ns = ns, .app = app,
			     .at = tm_value_loc(f, nsv), .substitute = tm_value_kind_of(subst) == TM_VALUE_MAP ? subst : NULL,
			     .substitute_from = from != NULL};
	static const char *const lists[] = {"patches", "patchesStrategicMerge", "patchesJson6902"};
	size_t entries = 0;
	for (size_t l = 0; l < TM_ARRAY_LEN(lists); l++) {
		const tm_value *v = tm_map_get(spec, lists[l]);
		d.patches[l] = tm_value_kind_of(v) == TM_VALUE_SEQ && tm_value_len(v) ? v : NULL;
		entries += d.patches[l] ? tm_value_len(v) : 0;
	}
	if (entries && !(d.patch_hits = tm_arena_alloc(set->arena, entries * sizeof(*d.patch_hits))))
		set->oom = 1;
	else if (entries)
		memset(d.patch_hits, 0, entries * sizeof(*d.patch_hits));
	push_delivery(set, ds, n, cap, path, f, d);
}

/* Does delivery d take the file shown as display: in its directory, or under it when it recurses? */
static bool delivers(const struct delivery *d, const char *display)
{
	const char *base = tm_scan__basename(display);
	size_t dl = (size_t)(base - display);
	dl -= dl > 0; /* the directory without its '/' */
	size_t l = strlen(d->dir);
	bool here = l == dl && strncmp(d->dir, display, dl) == 0;
	bool under = d->recurse && (l == 0 || (l < dl && strncmp(d->dir, display, l) == 0 && display[l] == '/'));
	return !d->kustomized && (here || under) && !(d->include && !delivery_glob(d->include, display, base)) &&
	       !(d->exclude && delivery_glob(d->exclude, display, base));
}

/* The render holding d's copies: the same files another delivery places elsewhere, placed in d's
 * namespace too (a render of its own, named "DIR [APP]", reading nothing: they are two sets of
 * objects, not two builds of one). Its index, or -1 out of memory. */
static int extra_render(tm_scan_set *set, struct delivery *d)
{
	if (d->extra >= 0)
		return d->extra;
	if (TM_GROW(set->renders, set->cap_renders, set->nrenders + 1)) {
		set->oom = 1;
		return -1;
	}
	struct render *rd = &set->renders[set->nrenders];
	memset(rd, 0, sizeof(*rd));
	rd->name = tm_arena_printf(set->arena, "%s [%s]", *d->dir ? d->dir : ".", d->app ? d->app : "?");
	rd->format = TM_FMT_KUBERNETES;
	rd->item = -1;
	rd->only_sysdef = -1;
	rd->parent = -1;
	d->extra = (int)set->nrenders++;
	d->copy = true;
	return d->extra;
}

/* Flux's envsubst over s: ${var} and ${var:=default} / ${var:-default} with vars (postBuild.substitute),
 * a variable it does not set its default, else empty (as kustomize-controller leaves it) unless
 * keep (substituteFrom: the cluster may set it, so it stays as written). $var without braces is left
 * alone, as Flux requires the braces. NULL when nothing changed. */
static const char *envsubst(tm_arena *a, const char *s, const tm_value *vars, bool keep)
{
	if (!strstr(s, "${"))
		return NULL;
	tm_strbuf sb = TM_STRBUF_INIT;
	bool changed = false;
	for (const char *q = s;;) {
		const char *open = strstr(q, "${"), *close = open ? strchr(open + 2, '}') : NULL;
		if (!close) {
			tm_strbuf_puts(&sb, q);
			break;
		}
		if (open > q && open[-1] == '$') { /* $${var}: Flux's escape, the literal ${var} */
			tm_strbuf_put(&sb, q, (size_t)(open - 1 - q));
			tm_strbuf_put(&sb, open, (size_t)(close + 1 - open));
			changed = true;
			q = close + 1;
			continue;
		}
		tm_strbuf_put(&sb, q, (size_t)(open - q));
		size_t nl = strspn(open + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		const char *after = open + 2 + nl, *dflt = NULL;
		if (after[0] == ':' && (after[1] == '=' || after[1] == '-'))
			dflt = after + 2;
		else if (after != close)
			nl = 0; /* not a variable reference Flux reads: left as written */
		char name[128];
		tm_formatf(name, sizeof(name), "%.*s", (int)nl, open + 2);
		const char *v = nl ? tm_map_get_str(vars, name) : NULL;
		if (nl && (v || dflt || !keep)) {
			if (v)
				tm_strbuf_puts(&sb, v);
			else if (dflt)
				tm_strbuf_put(&sb, dflt, (size_t)(close - dflt));
			changed = true;
		} else {
			tm_strbuf_put(&sb, open, (size_t)(close + 1 - open));
		}
		q = close + 1;
	}
	const char *out = changed && !sb.oom ? tm_arena_strdup(a, sb.data ? sb.data : "") : NULL;
	tm_strbuf_dispose(&sb);
	return out;
}

/* Every string under v (a copy in f) substituted as d's postBuild does; a plain result that reads as
 * a number or a boolean becomes one, as the YAML Flux parses after substituting does (a quoted one
 * stays a string). Objects annotated
 * kustomize.toolkit.fluxcd.io/substitute: disabled are left alone. */
static void postbuild_tree(tm_scan_set *set, tm_file *f, tm_value *v, const struct delivery *d, int depth)
{
	bool map = tm_value_kind_of(v) == TM_VALUE_MAP;
	if (depth > 64 || (!map && tm_value_kind_of(v) != TM_VALUE_SEQ))
		return;
	if (depth == 0) {
		const char *off = tm_map_get_str(tm_map_get(tm_map_get(v, "metadata"), "annotations"),
						 "kustomize.toolkit.fluxcd.io/substitute");
		if (off && strcmp(off, "disabled") == 0)
			return;
	}
	for (size_t i = 0; i < tm_value_len(v); i++) {
		tm_value *item = map ? tm_map_value_mut(v, i) : tm_seq_at_mut(v, i);
		const char *text = tm_value_kind_of(item) == TM_VALUE_SCALAR ? tm_scalar_str(item, NULL) : NULL;
		if (!text) {
			if (item)
				postbuild_tree(set, f, item, d, depth + 1);
			continue;
		}
		const char *out = envsubst(set->arena, text, d->substitute, d->substitute_from);
		if (!out)
			continue;
		/* Flux substitutes the YAML text: a quoted "${x}" stays a string, a plain one is read anew */
		bool quoted = tm_scalar_quoted(item);
		tm_value *nv = tm_value_new_scalar(f, tm_value_loc(f, item),
						   quoted ? TM_SCALAR_STR : tm_parse__resolve_plain(out, strlen(out)), out,
						   strlen(out), quoted);
		const char *key = map ? tm_scalar_str(tm_map_key(v, i), NULL) : NULL;
		if (!nv || (map ? !key || tm_map_set(f, v, key, nv) : tm_seq_set(v, i, nv)))
			set->oom = 1;
	}
}

static void postbuild(tm_scan_set *set, tm_file *f, const struct delivery *d)
{
	for (size_t k = 0; (d->substitute || d->substitute_from) && k < tm_file_doc_count(f); k++)
		postbuild_tree(set, f, tm_file_doc_mut(f, k), d, 0);
}

static bool same_value(const tm_value *a, const tm_value *b)
{
	return a == b || (a && b && tm_value_same(a, b));
}

/* Do deliveries a and b change what they apply alike (Flux's patches and postBuild): the same
 * objects come of the same files. */
static bool same_changes(const struct delivery *a, const struct delivery *b)
{
	bool same = a->substitute_from == b->substitute_from && same_value(a->substitute, b->substitute);
	for (size_t l = 0; l < TM_ARRAY_LEN(a->patches) && same; l++)
		same = same_value(a->patches[l], b->patches[l]);
	return same;
}

/* Flux's patches of d on f, a file of what d applies, placed (before postBuild, as Flux builds):
 * kustomize's patch semantics, each entry's objects patched counted. */
static void flux_patches(tm_scan_set *set, tm_file *f, struct delivery *d)
{
	size_t e = 0;
	for (size_t l = 0; l < TM_ARRAY_LEN(d->patches); l++)
		for (size_t i = 0; d->patches[l] && i < tm_value_len(d->patches[l]) && !set->oom; i++, e++) {
			bool oom = false;
			d->patch_hits[e] += tm_kust_patch_objects(f, d->via, tm_seq_at(d->patches[l], i), &set->limits,
								  d->patch_said ? NULL : &set->diags, &oom);
			set->oom |= oom;
		}
	d->patch_said = d->patch_said || e > 0;
}

/* A Flux patch that patched nothing d applies: said at the entry. The objects patched, in all. */
static size_t note_unpatched(tm_scan_set *set, const struct delivery *d)
{
	size_t e = 0, patched = 0;
	for (size_t l = 0; l < TM_ARRAY_LEN(d->patches); l++)
		for (size_t i = 0; d->patches[l] && i < tm_value_len(d->patches[l]); i++, e++)
			if (!d->patch_hits[e] && d->placed)
				tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, tm_value_loc(d->via, tm_seq_at(d->patches[l], i)),
					    "a patch of the Flux Kustomization %s matches none of the objects it applies: "
					    "nothing patched",
					    d->app ? d->app : "?");
			else
				patched += d->patch_hits[e];
	return patched;
}

/* A copy of f holding the objects d places (the others, cluster-scoped or named in a namespace,
 * are the same objects as the first delivery's), placed, into d's render; the count placed. */
static size_t place_copy(tm_scan_set *set, struct delivery *d, const tm_file *f)
{
	tm_file *copy = tm_file_new_rendered(tm_file_path(f));
	bool oom = !copy;
	size_t placed = 0;
	for (size_t k = 0; !oom && k < tm_file_doc_count(f); k++) {
		tm_value *v = tm_value_copy(copy, f, tm_file_doc(f, k));
		oom = !v || tm_file_add_doc(copy, v);
	}
	if (!oom)
		flux_patches(set, copy, d); /* before the namespace, as kustomize runs them */
	size_t ndocs = oom ? 0 : tm_file_doc_count(copy), kept = 0;
	tm_value **keep = ndocs ? tm_calloc(ndocs, sizeof(*keep)) : NULL;
	oom = oom || (ndocs && !keep);
	for (size_t k = 0; k < ndocs && !oom; k++) {
		tm_value *v = tm_file_doc_mut(copy, k);
		size_t p = tm_scan__place_object(copy, v, d->ns, &d->at, d->override, &oom, false);
		if (p) /* the others are the first delivery's objects */
			keep[kept++] = v;
		placed += p;
	}
	if (!oom)
		tm_file_clear_docs(copy);
	for (size_t k = 0; k < kept && !oom; k++)
		oom = tm_file_add_doc(copy, keep[k]) != 0;
	tm_free(keep);
	if (!oom && placed)
		postbuild(set, copy, d);
	int r = !oom && placed ? extra_render(set, d) : -1;
	struct render *rd = r >= 0 ? &set->renders[r] : NULL;
	if (oom || !rd || TM_GROW(rd->outs, d->extra_cap, rd->nouts + 1)) {
		set->oom |= oom || (placed && !set->oom && r >= 0);
		tm_file_free(copy);
		return 0;
	}
	rd->outs[rd->nouts++] = copy;
	return placed;
}

struct deliveries_found {
	tm_scan_set *set;
	struct delivery *ds;
	size_t n, cap;
};

static void delivery_from(void *ud, const tm_file *f, const tm_value *doc, enum gitops_kind kind, const tm_value *src,
			  const tm_value *sources)
{
	struct deliveries_found *df = ud;
	(void)sources;
	if (kind == GITOPS_FLUX_KUSTOMIZATION)
		add_flux(df->set, &df->ds, &df->n, &df->cap, f, doc);
	else if (kind == GITOPS_ARGO_APP)
		add_argo(df->set, &df->ds, &df->n, &df->cap, f, doc, src);
}

/* Record that f's object applies path (and the directories under it when recurse), for the plan;
 * a path the tree does not hold is said (another repository's, or a mistake). */
static void add_path(tm_scan_set *set, const tm_file *f, const tm_value *pathv, bool recurse, const char *tool,
		     const tm_value *doc)
{
	const char *path = tm_scalar_str(pathv, NULL), *top = NULL;
	const char *dir = path ? repo_path(set, path, tm_file_path(f), &top) : NULL;
	if (!dir)
		return;
	if (!in_tree(set, dir)) {
		const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
		tm_diag_add(&set->diags, TM_EREMOTE, TM_LEVEL_WARNING, tm_value_loc(f, pathv),
			    "the %s %s applies %s, which the scanned tree does not hold (another repository's, or a path "
			    "that does not exist): what it deploys is not modelled",
			    tool, name ? name : "?", path);
		return;
	}
	if (TM_GROW(set->gitops_paths, set->cap_gitops_paths, set->ngitops_paths + 1))
		set->oom = 1;
	else
		set->gitops_paths[set->ngitops_paths++] = (struct gitops_path){f, dir, recurse};
}

/* The paths a GitOps object applies: a Flux Kustomization's spec.path (the source's top when
 * none; every directory under it, as the controller builds one kustomization of them), a Flux
 * HelmRelease's chart of a Git source, an Argo CD Application source's path (directory.recurse:
 * the directories under it too). */
static void path_from(void *ud, const tm_file *f, const tm_value *doc, enum gitops_kind kind, const tm_value *src,
		      const tm_value *sources)
{
	tm_scan_set *set = ud;
	(void)sources;
	const tm_value *spec = tm_map_get(doc, "spec");
	if (kind == GITOPS_FLUX_KUSTOMIZATION) {
		const char *other = other_source(set, tm_map_get(spec, "sourceRef"));
		const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
		if (other) /* another repository's, branch's or artifact's path: not this tree's */
			tm_diag_add(&set->diags, TM_EREMOTE, TM_LEVEL_WARNING,
				    tm_value_loc(f, tm_map_get(spec, "path") ? tm_map_get(spec, "path") : doc),
				    "the Flux Kustomization %s applies %s of %s, another source than the scanned tree: what "
				    "it deploys is not modelled",
				    name ? name : "?", tm_map_get_str(spec, "path") ? tm_map_get_str(spec, "path") : "./", other);
		else
			add_path(set, f, tm_map_get(spec, "path"), true, "Flux Kustomization", doc);
	} else if (kind == GITOPS_FLUX_HELMRELEASE) {
		const tm_value *cs = tm_map_get(tm_map_get(spec, "chart"), "spec");
		const char *sk = tm_map_get_str(tm_map_get(cs, "sourceRef"), "kind");
		if (sk && (strcmp(sk, "GitRepository") == 0 || strcmp(sk, "Bucket") == 0))
			add_path(set, f, tm_map_get(cs, "chart"), false, "Flux HelmRelease", doc);
	} else if (kind == GITOPS_ARGO_APP && tm_map_get(src, "path") && !tm_map_get(src, "chart")) {
		const tm_value *rec = tm_map_get(tm_map_get(src, "directory"), "recurse");
		add_path(set, f, tm_map_get(src, "path"), rec && scalar_true(rec), "Argo CD Application", doc);
	}
}

void tm_gitops__deliveries(tm_scan_set *set)
{
	struct deliveries_found df = {set, NULL, 0, 0};
	each_gitops(set, path_from, set);
	each_gitops(set, delivery_from, &df);
	/* an ApplicationSet a render makes is not expanded (plan_appsets reads the tree's own): said */
	for (size_t r = 0; r < set->nrenders && !set->oom; r++)
		for (size_t k = 0; k < set->renders[r].nouts; k++)
			for (size_t d = 0; d < tm_file_doc_count(set->renders[r].outs[k]); d++) {
				const tm_value *doc = tm_file_doc(set->renders[r].outs[k], d);
				const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
				if (gitops_kind(doc) == GITOPS_ARGO_APPSET)
					tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, tm_value_loc(set->renders[r].outs[k], doc),
						    "the Argo CD ApplicationSet %s is made by %s: an ApplicationSet a render makes is "
						    "not expanded, so the Applications it generates are not modelled",
						    name ? name : "?", set->renders[r].name);
			}
	struct delivery *ds = df.ds;
	size_t n = df.n;
	for (size_t i = 0; i < n; i++)
		ds[i].extra = -1;
	/* a kustomization at a delivery's path: its output is what is applied, placed as it is by the
	 * first delivery of the directory; a delivery elsewhere places a copy */
	size_t nrenders = set->nrenders; /* the copies' renders come after */
	for (size_t r = 0; r < nrenders && n && !set->oom; r++) {
		struct delivery *first = NULL;
		for (size_t i = 0; i < n && set->renders[r].format == TM_FMT_KUSTOMIZE && !set->oom; i++) {
			if (strcmp(set->renders[r].name, *ds[i].dir ? ds[i].dir : ".") != 0)
				continue;
			ds[i].kustomized = true;
			/* copies from the output as rendered; one into a namespace placed before, substituted
			 * alike, is the same objects */
			bool seen = first && strcmp(first->ns, ds[i].ns) == 0 && same_changes(first, &ds[i]);
			int holder = seen || !first ? (int)r : -1; /* the render holding what it applies */
			for (size_t p = 0; p < i && first && !seen; p++)
				if (ds[p].extra >= 0 && strcmp(ds[p].dir, ds[i].dir) == 0 && strcmp(ds[p].ns, ds[i].ns) == 0 &&
				    same_changes(&ds[p], &ds[i])) {
					seen = true;
					holder = ds[p].extra;
				}
			for (size_t k = 0; k < set->renders[r].nouts && first && !seen; k++)
				ds[i].placed += place_copy(set, &ds[i], set->renders[r].outs[k]);
			if (first && !seen)
				holder = ds[i].extra;
			if (holder >= 0)
				use(set, &ds[i], -1, holder);
			first = first ? first : &ds[i];
		}
		bool oom = false; /* then the output itself, placed by the first */
		for (size_t k = 0; first && k < set->renders[r].nouts; k++) {
			flux_patches(set, set->renders[r].outs[k], first);
			first->placed += tm_scan__place_in_namespace(set->renders[r].outs[k], first->ns, &first->at, first->override, &oom);
			postbuild(set, set->renders[r].outs[k], first);
		}
		if (oom)
			set->oom = 1;
	}
	/* plain manifests: a copy of the shared tree, placed by the first delivery taking them; each
	 * delivery of them into another namespace places a copy of its own */
	for (size_t i = 0; i < set->ncands && n && !set->oom; i++) {
		struct candidate *c = &set->cands[i];
		if (!c->file || c->owner || !tm_file_doc_count(c->file))
			continue;
		struct delivery *d = NULL;
		for (size_t k = 0; k < n && !d; k++)
			d = delivers(&ds[k], c->display) ? &ds[k] : NULL;
		if (!d)
			continue;
		use(set, d, (int)i, -1);
		for (struct delivery *e = d + 1; e < ds + n && !set->oom; e++) {
			if (!delivers(e, c->display))
				continue;
			/* the same namespace as one placed before, substituted alike */
			bool seen = strcmp(e->ns, d->ns) == 0 && same_changes(d, e);
			int holder = seen ? -2 : -1; /* -2: the candidate's own copy */
			for (struct delivery *p = d + 1; p < e && !seen; p++)
				if (delivers(p, c->display) && strcmp(p->ns, e->ns) == 0 && same_changes(p, e)) {
					seen = true;
					holder = p->extra;
				}
			if (!seen) {
				e->placed += place_copy(set, e, c->file);
				holder = e->extra;
			}
			if (holder == -2)
				use(set, e, (int)i, -1);
			else if (holder >= 0)
				use(set, e, -1, holder);
		}
		tm_file *copy = tm_file_new_rendered(c->display);
		bool oom = !copy;
		for (size_t k = 0; !oom && k < tm_file_doc_count(c->file); k++) {
			tm_value *v = tm_value_copy(copy, c->file, tm_file_doc(c->file, k));
			oom = !v || tm_file_add_doc(copy, v);
		}
		if (!oom)
			flux_patches(set, copy, d);
		size_t placed = oom ? 0 : tm_scan__place_in_namespace(copy, d->ns, &d->at, d->override, &oom);
		if (oom)
			set->oom = 1;
		if (placed && !oom) {
			postbuild(set, copy, d);
			c->placed = copy;
			d->placed += placed;
		} else {
			tm_file_free(copy);
		}
	}
	for (size_t i = 0; i < n && !set->oom; i++) {
		struct delivery *d = &ds[i];
		const char *where = *d->dir ? d->dir : "the root";
		size_t patched = note_unpatched(set, d);
		if (d->placed)
			tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, d->at, "the %s %s delivers %s into namespace %s: %zu object%s %s%s%s%s",
				    d->tool, d->app ? d->app : "?", where, d->ns, d->placed, d->placed == 1 ? "" : "s",
				    d->override ? "placed there (targetNamespace replaces a namespace written in them)"
						: "written without a namespace placed there",
				    patched ? ", patched by its patches" : "",
				    d->copy ? " (a copy of them: another delivery sends the same files to another namespace)" : "",
				    read_from(set, d->top));
	}
	tm_free(ds);
}

