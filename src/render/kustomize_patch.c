/*
 * kustomize_patch.c - patches (patches, patchesStrategicMerge, patchesJson6902) and replacements:
 * which objects a patch targets, and where its text comes from.
 *
 * Targets are found through an index of the objects by kind and name, built once per
 * kustomization, so a long resource list with many patches stays linear; only selectors with a
 * name regex or without a name walk every object. A patch given inline in the kustomization is
 * parsed on its own with a line map onto the kustomization, so its values report the
 * kustomization's path and the line they were written on.
 */
#include <regex.h>
#include <stdlib.h>

#include "render/kustomize_int.h"

typedef struct node {
	size_t idx;
	struct node *next;
} node;

typedef struct {
	tm_hmap by_kind_name; /* "kind\1name" -> node list */
	tm_arena *arena;
} index_t;

static int index_build(kctx *k, index_t *ix, const kresv *rs)
{
	ix->by_kind_name = (tm_hmap)TM_HMAP_INIT;
	if (!(ix->arena = tm_arena_new()))
		return TM_ENOMEM;
	for (size_t i = 0; i < rs->n; i++) {
		for (int pass = 0; pass < 2; pass++) {
			const char *name = pass ? rs->v[i].orig_name : tm_kust__name(rs->v[i].obj);
			if (pass && strcmp(name, tm_kust__name(rs->v[i].obj)) == 0)
				continue;
			char *key =
			    tm_arena_printf(ix->arena, "%s\1%s", tm_kust__kind(rs->v[i].obj), name);
			node *n = tm_arena_alloc(ix->arena, sizeof(*n));
			if (!key || !n)
				goto oom;
			n->idx = i;
			n->next = tm_hmap_get(&ix->by_kind_name, key, strlen(key));
			if (tm_hmap_put(&ix->by_kind_name, key, strlen(key), n))
				goto oom;
		}
	}
	return 0;
oom:
	k->fatal = TM_ENOMEM;
	return TM_ENOMEM;
}

static void index_dispose(index_t *ix)
{
	tm_hmap_dispose(&ix->by_kind_name);
	tm_arena_free(ix->arena);
}

/* ---- selectors ---- */

typedef tm_kust_select selector;

static bool plain_name(const char *s)
{
	return strpbrk(s, ".*+?[](){}|^$\\") == NULL;
}

int tm_kust__select_init(kfile *kf, selector *s, const tm_value *t)
{
	memset(s, 0, sizeof(*s));
	s->group = tm_map_get_str(t, "group");
	s->version = tm_map_get_str(t, "version");
	s->kind = tm_map_get_str(t, "kind");
	s->name = tm_map_get_str(t, "name");
	s->ns = tm_map_get_str(t, "namespace");
	s->labels = tm_map_get_str(t, "labelSelector");
	s->annotations = tm_map_get_str(t, "annotationSelector");
	for (int pass = 0; pass < 2; pass++) {
		const char *pat = pass ? s->ns : s->name;
		if (!pat || plain_name(pat))
			continue;
		char *re = tm_arena_printf(kf->k->out->arena, "^(%s)$", pat);
		regex_t *r = pass ? &s->ns_re : &s->name_re;
		if (!re || regcomp(r, re, REG_EXTENDED | REG_NOSUB)) {
			tm_kust__diag(kf->k, TM_LEVEL_ERROR, TM_EINVALID,
			              tm_kust__loc(kf, tm_map_get(t, pass ? "namespace" : "name")),
			              "target %s is not a valid regular expression",
			              pass ? "namespace" : "name");
			if (pass && s->has_name_re)
				regfree(&s->name_re);
			return -1;
		}
		if (pass)
			s->has_ns_re = true;
		else
			s->has_name_re = true;
	}
	return 0;
}

void tm_kust__select_dispose(selector *s)
{
	if (s->has_name_re)
		regfree(&s->name_re);
	if (s->has_ns_re)
		regfree(&s->ns_re);
}

/* One term of a label selector against labels: k=v, k==v, k!=v, k, !k, k in (a,b), k notin (a,b).
 */
static bool term_matches(const tm_value *labels, const char *t, size_t n)
{
	while (n && t[0] == ' ')
		t++, n--;
	while (n && t[n - 1] == ' ')
		n--;
	char buf[512];
	if (n == 0 || n >= sizeof(buf))
		return n == 0;
	memcpy(buf, t, n);
	buf[n] = '\0';
	char *op;
	if ((op = strstr(buf, "!="))) {
		*op = '\0';
		const char *v = tm_map_get_str(labels, buf);
		return !v || strcmp(v, op + 2) != 0;
	}
	if ((op = strchr(buf, '='))) {
		*op = '\0';
		const char *want = op[1] == '=' ? op + 2 : op + 1;
		const char *v = tm_map_get_str(labels, buf);
		return v && strcmp(v, want) == 0;
	}
	bool notin = false;
	if ((op = strstr(buf, " in (")) || (notin = (op = strstr(buf, " notin (")) != NULL)) {
		*op = '\0';
		const char *v = tm_map_get_str(labels, buf);
		char *list = strchr(op + 1, '(') + 1;
		bool found = false;
		for (char *e = list; v && *e;) {
			size_t l = strcspn(e, ",)");
			while (l && e[0] == ' ')
				e++, l--;
			size_t m = l;
			while (m && e[m - 1] == ' ')
				m--;
			if (m == strlen(v) && strncmp(e, v, m) == 0)
				found = true;
			e += l;
			if (*e)
				e++;
		}
		return notin ? !found : found;
	}
	if (buf[0] == '!')
		return tm_map_get(labels, buf + 1) == NULL;
	return tm_map_get(labels, buf) != NULL;
}

static bool selector_terms(const tm_value *labels, const char *sel)
{
	int depth = 0;
	const char *start = sel;
	for (const char *p = sel;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		if ((*p == ',' && depth == 0) || !*p) {
			if (!term_matches(labels, start, (size_t)(p - start)))
				return false;
			if (!*p)
				return true;
			start = p + 1;
		}
	}
}

static bool re_or_eq(const char *pat, bool has_re, const regex_t *re, const char *s)
{
	if (has_re)
		return regexec(re, s, 0, NULL, 0) == 0;
	return strcmp(pat, s) == 0;
}

bool tm_kust__select_one(const selector *s, const kres *r)
{
	const tm_value *obj = r->obj;
	if (s->kind && strcmp(s->kind, tm_kust__kind(obj)))
		return false;
	const char *av = tm_map_get_str(obj, "apiVersion");
	av = av ? av : "";
	const char *slash = strchr(av, '/');
	if (s->group) {
		size_t gl = slash ? (size_t)(slash - av) : 0;
		if (strlen(s->group) != gl || strncmp(s->group, av, gl))
			return false;
	}
	if (s->version && strcmp(s->version, slash ? slash + 1 : av))
		return false;
	if (s->name && !re_or_eq(s->name, s->has_name_re, &s->name_re, tm_kust__name(obj)) &&
	    !re_or_eq(s->name, s->has_name_re, &s->name_re, r->orig_name))
		return false;
	if (s->ns) {
		const char *ns = tm_kust__ns(obj);
		if (!re_or_eq(s->ns, s->has_ns_re, &s->ns_re, ns ? ns : "") &&
		    !(ns == NULL && re_or_eq(s->ns, s->has_ns_re, &s->ns_re, "default")))
			return false;
	}
	const tm_value *meta = tm_map_get(obj, "metadata");
	if (s->labels && !selector_terms(tm_map_get(meta, "labels"), s->labels))
		return false;
	if (s->annotations && !selector_terms(tm_map_get(meta, "annotations"), s->annotations))
		return false;
	return true;
}

/* Indices of rs matching s, into *out (tm_free). */
static size_t select_targets(kctx *k, const index_t *ix, const selector *s, const kresv *rs,
                             size_t **out)
{
	size_t *v = NULL, n = 0, cap = 0;
	*out = NULL;
	if (s->kind && s->name && !s->has_name_re) {
		tm_strbuf key = TM_STRBUF_INIT;
		tm_strbuf_printf(&key, "%s\1%s", s->kind, s->name);
		const node *nd = key.oom ? NULL : tm_hmap_get(&ix->by_kind_name, key.data, key.len);
		tm_strbuf_dispose(&key);
		for (; nd; nd = nd->next) {
			if (!rs->v[nd->idx].obj || !tm_kust__select_one(s, &rs->v[nd->idx]))
				continue;
			bool dup = false;
			for (size_t j = 0; j < n; j++)
				dup |= v[j] == nd->idx;
			if (dup)
				continue;
			if (TM_GROW(v, cap, n + 1)) {
				k->fatal = TM_ENOMEM;
				break;
			}
			v[n++] = nd->idx;
		}
		/* the index lists newest first: restore resource order */
		for (size_t a = 0; a < n / 2; a++) {
			size_t t = v[a];
			v[a] = v[n - 1 - a];
			v[n - 1 - a] = t;
		}
	} else {
		for (size_t i = 0; i < rs->n; i++) {
			if (!rs->v[i].obj || !tm_kust__select_one(s, &rs->v[i]))
				continue;
			if (TM_GROW(v, cap, n + 1)) {
				k->fatal = TM_ENOMEM;
				break;
			}
			v[n++] = i;
		}
	}
	*out = v;
	return n;
}

/* ---- patch text ---- */

static tm_file *inline_text(kfile *kf, const tm_value *text_v)
{
	kctx *k = kf->k;
	size_t len;
	const char *text = tm_scalar_str(text_v, &len);
	tm_loc at = tm_kust__loc(kf, text_v);
	size_t before = k->diags->count;
	tm_file *f = tm_kust__parse(k, at.path, text, len);
	/* the text's own problems at the kustomization's lines: the block's first content line is at */
	for (size_t i = before; i < k->diags->count; i++) {
		tm_loc *l = &k->diags->items[i].loc;
		if (at.path && l->path && strcmp(l->path, at.path) == 0 && l->line) {
			l->line = at.line ? at.line + l->line - 1 : 0;
			l->col = at.line && at.col ? at.col + l->col - (l->col > 0) : 0;
		}
	}
	if (!f)
		return NULL;
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	const char **paths = tm_calloc(lines, sizeof(*paths));
	uint32_t *nums = tm_calloc(lines, sizeof(*nums));
	/* the parser places a block scalar ("|") at its first content line, a quoted one at its
	 * quote */
	uint32_t first = at.line;
	if (paths && nums) {
		for (size_t i = 0; i < lines; i++) {
			paths[i] = at.path;
			nums[i] = at.line ? first + (uint32_t)i : 0;
		}
		if (tm_file_set_linemap(f, paths, nums, lines))
			k->fatal = TM_ENOMEM;
	} else {
		k->fatal = TM_ENOMEM;
	}
	tm_free(paths);
	tm_free(nums);
	return f;
}

/* A patchesStrategicMerge entry is a path, or the patch itself written inline. */
static bool looks_inline(const char *s)
{
	return strchr(s, '\n') || strstr(s, ": ") || s[0] == '{' || s[0] == '[';
}

static tm_file *patch_file(kfile *kf, const tm_value *entry, const tm_value *path_v,
                           const tm_value *inline_v)
{
	if (inline_v)
		return tm_scalar_str(inline_v, NULL) ? inline_text(kf, inline_v) : NULL;
	const char *p = tm_scalar_str(path_v, NULL);
	if (!p) {
		tm_kust__diag(kf->k, TM_LEVEL_ERROR, TM_EINVALID, tm_kust__loc(kf, entry),
		              "patch needs a path or an inline patch");
		return NULL;
	}
	return tm_kust__read_local(kf, p, path_v);
}

/* ---- applying ---- */

static void apply_smp(kfile *kf, kresv *rs, size_t i, const tm_file *from, const tm_value *patch,
                      bool keep_id)
{
	kctx *k = kf->k;
	tm_value *obj = rs->v[i].obj;
	tm_value *meta = tm_map_get_mut(obj, "metadata");
	tm_value *name = tm_map_get_mut(meta, "name"), *ns = tm_map_get_mut(meta, "namespace");
	tm_value *kind = tm_map_get_mut(obj, "kind"), *av = tm_map_get_mut(obj, "apiVersion");
	if (tm_kust__smp(k, from, obj, patch) == 1) {
		rs->v[i].obj = NULL; /* $patch: delete */
		return;
	}
	if (!keep_id)
		return;
	meta = tm_map_get_mut(obj, "metadata");
	if (meta && meta->kind != TM_VALUE_MAP)
		return; /* the patch made metadata something else: nothing to restore into */
	if (meta && name && tm_map_get(meta, "name") != name &&
	    tm_map_set(k->out, meta, "name", name))
		k->fatal = TM_ENOMEM;
	if (meta && ns && tm_map_get(meta, "namespace") != ns &&
	    tm_map_set(k->out, meta, "namespace", ns))
		k->fatal = TM_ENOMEM;
	if (meta && !ns)
		tm_map_remove(meta, "namespace");
	if (kind && tm_map_get(obj, "kind") != kind && tm_map_set(k->out, obj, "kind", kind))
		k->fatal = TM_ENOMEM;
	if (av && tm_map_get(obj, "apiVersion") != av && tm_map_set(k->out, obj, "apiVersion", av))
		k->fatal = TM_ENOMEM;
}

static void apply_6902(kfile *kf, kresv *rs, size_t i, const tm_file *from, const tm_value *ops)
{
	tm_value *obj = rs->v[i].obj;
	if (tm_kust__json6902(kf->k, from, &obj, ops) != 0)
		return;
	if (tm_value_kind_of(obj) != TM_VALUE_MAP) {
		tm_kust__diag(
		    kf->k, TM_LEVEL_ERROR, TM_EINVALID, tm_value_loc(from, ops),
		    "the patch replaces the object by something that is not a mapping; ignored");
		return;
	}
	rs->v[i].obj = obj;
}

/* Objects with the kind and name of patch (and its namespace if it has one). */
static size_t self_targets(kctx *k, const index_t *ix, const kresv *rs, const tm_value *patch,
                           size_t **out)
{
	selector s;
	memset(&s, 0, sizeof(s));
	s.kind = tm_map_get_str(patch, "kind");
	s.name = tm_map_get_str(tm_map_get(patch, "metadata"), "name");
	*out = NULL;
	if (!s.kind || !s.name)
		return 0;
	size_t *v;
	size_t n = select_targets(k, ix, &s, rs, &v);
	/* kustomize matches a patch by the object's id, current or original, "" being "default": a
	 * patch naming no namespace takes an object of "default", or one written without a namespace
	 * that a namespace transformer placed; not one written in another namespace */
	const char *ns = tm_kust__ns(patch);
	ns = ns ? ns : "default";
	size_t m = 0;
	for (size_t j = 0; j < n; j++) {
		const char *tns = tm_kust__ns(rs->v[v[j]].obj), *ons = rs->v[v[j]].orig_ns;
		if (strcmp(ns, tns ? tns : "default") == 0 || strcmp(ns, ons ? ons : "default") == 0)
			v[m++] = v[j];
	}
	*out = v;
	return m;
}

static void smp_docs(kfile *kf, kresv *rs, const index_t *ix, const tm_file *f, const tm_value *at)
{
	kctx *k = kf->k;
	for (size_t d = 0; d < tm_file_doc_count(f) && !k->fatal; d++) {
		const tm_value *patch = tm_file_doc(f, d);
		if (!patch)
			continue;
		size_t *t;
		size_t n = self_targets(k, ix, rs, patch, &t);
		if (!n)
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_ENOTFOUND,
			              at ? tm_kust__loc(kf, at) : tm_value_loc(f, patch),
			              "patch target %s %s not found; patch not applied",
			              tm_map_get_str(patch, "kind") ? tm_map_get_str(patch, "kind")
			                                            : "(no kind)",
			              *tm_kust__name(patch) ? tm_kust__name(patch) : "(no name)");
		for (size_t j = 0; j < n; j++)
			if (rs->v[t[j]].obj)
				apply_smp(kf, rs, t[j], f, patch, false);
		tm_free(t);
	}
}

static void compact(kresv *rs)
{
	size_t m = 0;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->v[i].obj)
			rs->v[m++] = rs->v[i];
	rs->n = m;
}

static void patch_entry(kfile *kf, kresv *rs, const index_t *ix, const tm_value *e)
{
	kctx *k = kf->k;
	if (e->kind == TM_VALUE_SCALAR) { /* patches: - path, patchesStrategicMerge's form */
		const char *text = tm_scalar_str(e, NULL) ? tm_scalar_str(e, NULL) : "?";
		bool inline_patch = looks_inline(text);
		if (inline_patch) /* the patch itself, as patchesStrategicMerge takes it */
			tm_kust__diag(k, TM_LEVEL_WARNING, TM_EINVALID, tm_kust__loc(kf, e),
			              "patches entry is a patch written as a bare string, patchesStrategicMerge's form: "
			              "kustomize 5 (kubectl kustomize) refuses it and the build fails there; applied here as "
			              "patchesStrategicMerge would apply it (write `- patch: |-` before it)");
		else
			tm_kust__diag(k, TM_LEVEL_WARNING, TM_EINVALID, tm_kust__loc(kf, e),
			              "patches entry %s is a bare path, patchesStrategicMerge's form: kustomize 5 (kubectl "
			              "kustomize) refuses it and the build fails there; applied here as "
			              "patchesStrategicMerge would apply it (write `- path: %s`)",
			              text, text);
		tm_file *f = inline_patch ? inline_text(kf, e) : patch_file(kf, e, e, NULL);
		if (f)
			smp_docs(kf, rs, ix, f, NULL);
		return;
	}
	tm_file *f = patch_file(kf, e, tm_map_get(e, "path"), tm_map_get(e, "patch"));
	if (!f || !tm_file_doc(f, 0))
		return;
	const tm_value *doc = tm_file_doc(f, 0);
	const tm_value *target = tm_map_get(e, "target");
	const tm_value *opts = tm_map_get(e, "options");
	bool allow_name = false, allow_kind = false;
	(void)tm_scalar_bool(tm_map_get(opts, "allowNameChange"), &allow_name);
	(void)tm_scalar_bool(tm_map_get(opts, "allowKindChange"), &allow_kind);
	if (doc->kind == TM_VALUE_SEQ && !target) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, tm_kust__loc(kf, e),
		              "a json 6902 patch needs a target");
		return;
	}
	if (!target) {
		smp_docs(kf, rs, ix, f, e);
		return;
	}
	selector s;
	if (tm_kust__select_init(kf, &s, target))
		return;
	size_t *t;
	size_t n = select_targets(k, ix, &s, rs, &t);
	for (size_t j = 0; j < n && !k->fatal; j++) {
		if (!rs->v[t[j]].obj)
			continue;
		if (doc->kind == TM_VALUE_SEQ)
			apply_6902(kf, rs, t[j], f, doc);
		else
			for (size_t d = 0; d < tm_file_doc_count(f) && rs->v[t[j]].obj; d++)
				apply_smp(kf, rs, t[j], f, tm_file_doc(f, d),
				          !(allow_name || allow_kind));
	}
	tm_free(t);
	tm_kust__select_dispose(&s);
}

void tm_kust__patches(kfile *kf, kresv *rs)
{
	kctx *k = kf->k;
	const tm_value *psm = tm_map_get(kf->root, "patchesStrategicMerge");
	const tm_value *patches = tm_map_get(kf->root, "patches");
	if (!psm && !patches)
		return;
	index_t ix;
	if (index_build(k, &ix, rs)) {
		index_dispose(&ix);
		return;
	}
	for (size_t i = 0; i < tm_value_len(psm) && psm->kind == TM_VALUE_SEQ && !k->fatal; i++) {
		const tm_value *e = tm_seq_at(psm, i);
		const char *s = tm_scalar_str(e, NULL);
		if (!s) {
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, tm_kust__loc(kf, e),
			              "patchesStrategicMerge entry must be a path or a patch");
			continue;
		}
		tm_file *f = looks_inline(s) ? inline_text(kf, e) : tm_kust__read_local(kf, s, e);
		if (f)
			smp_docs(kf, rs, &ix, f, NULL);
	}
	for (size_t i = 0; i < tm_value_len(patches) && patches->kind == TM_VALUE_SEQ && !k->fatal;
	     i++)
		patch_entry(kf, rs, &ix, tm_seq_at(patches, i));
	index_dispose(&ix);
	compact(rs);
}

void tm_kust__json6902_legacy(kfile *kf, kresv *rs)
{
	kctx *k = kf->k;
	const tm_value *list = NULL;
	for (size_t i = 0; i < tm_value_len(kf->root) && !list; i++) {
		const char *key = tm_scalar_str(tm_map_key(kf->root, i), NULL);
		if (key && tm_strcaseeq(key, "patchesJson6902"))
			list = tm_map_value(kf->root, i);
	}
	if (!list)
		return;
	index_t ix;
	if (index_build(k, &ix, rs)) {
		index_dispose(&ix);
		return;
	}
	for (size_t i = 0; i < tm_value_len(list) && list->kind == TM_VALUE_SEQ && !k->fatal; i++) {
		const tm_value *e = tm_seq_at(list, i);
		const tm_value *target = tm_map_get(e, "target");
		if (!target) {
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, tm_kust__loc(kf, e),
			              "patchesJson6902 entry needs a target");
			continue;
		}
		tm_file *f = patch_file(kf, e, tm_map_get(e, "path"), tm_map_get(e, "patch"));
		if (!f || !tm_file_doc(f, 0))
			continue;
		selector s;
		if (tm_kust__select_init(kf, &s, target))
			continue;
		size_t *t;
		size_t n = select_targets(k, &ix, &s, rs, &t);
		if (!n)
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_ENOTFOUND, tm_kust__loc(kf, target),
			              "patch target not found; patch not applied");
		for (size_t j = 0; j < n && !k->fatal; j++)
			apply_6902(kf, rs, t[j], f, tm_file_doc(f, 0));
		tm_free(t);
		tm_kust__select_dispose(&s);
	}
	index_dispose(&ix);
}

size_t tm_kust__select(kctx *k, const tm_kust_select *s, const kresv *rs, size_t **out)
{
	size_t *v = NULL, n = 0, cap = 0;
	for (size_t i = 0; i < rs->n; i++) {
		if (!rs->v[i].obj || !tm_kust__select_one(s, &rs->v[i]))
			continue;
		if (TM_GROW(v, cap, n + 1)) {
			k->fatal = TM_ENOMEM;
			break;
		}
		v[n++] = i;
	}
	*out = v;
	return n;
}

/* ---- another tool's patches (Flux Kustomization) on rendered objects ---- */

/* The objects of out as resources, each its own name before patching. */
static int file_resources(kctx *k, tm_file *out, kresv *rs)
{
	for (size_t d = 0; d < tm_file_doc_count(out); d++) {
		tm_value *obj = tm_file_doc_mut(out, d);
		if (tm_value_kind_of(obj) != TM_VALUE_MAP)
			continue;
		if (TM_GROW(rs->v, rs->cap, rs->n + 1)) {
			k->fatal = TM_ENOMEM;
			return TM_ENOMEM;
		}
		rs->v[rs->n++] = (kres){.obj = obj, .orig_name = tm_kust__name(obj), .orig_ns = tm_kust__ns(obj)};
	}
	return 0;
}

/* One entry on rs: its patch text (or object, or operations) on its targets; the count patched. */
static size_t foreign_entry(kfile *kf, kresv *rs, const index_t *ix, const tm_value *e)
{
	kctx *k = kf->k;
	const tm_value *pv = tm_map_get(e, "patch"), *target = tm_map_get(e, "target");
	const tm_file *from = kf->file;
	const tm_value *doc = NULL;
	if (!pv && tm_map_get(e, "kind")) { /* a strategic-merge object itself (patchesStrategicMerge) */
		doc = e;
	} else if (tm_value_kind_of(pv) == TM_VALUE_SCALAR) {
		const tm_file *f = inline_text(kf, pv);
		if (!f || !(doc = tm_file_doc(f, 0)))
			return 0;
		from = f;
	} else {
		doc = pv; /* operations (patchesJson6902) or an object written as YAML */
	}
	bool ops = tm_value_kind_of(doc) == TM_VALUE_SEQ;
	if (tm_value_kind_of(doc) != TM_VALUE_MAP && !ops)
		return 0;
	size_t *t = NULL, n = 0;
	selector s;
	if (target) {
		if (tm_kust__select_init(kf, &s, target))
			return 0;
		n = select_targets(k, ix, &s, rs, &t);
		tm_kust__select_dispose(&s);
	} else if (!ops) {
		n = self_targets(k, ix, rs, doc, &t);
	}
	size_t patched = 0;
	for (size_t j = 0; j < n && !k->fatal; j++) {
		if (!rs->v[t[j]].obj)
			continue;
		if (ops)
			apply_6902(kf, rs, t[j], from, doc);
		else
			apply_smp(kf, rs, t[j], from, doc, true);
		patched++;
	}
	tm_free(t);
	return patched;
}

size_t tm_kust_patch_objects(tm_file *out, const tm_file *holder, const tm_value *entry, const tm_limits *limits,
                             tm_diag_list *diags, bool *oom)
{
	tm_diag_list quiet = TM_DIAG_LIST_INIT;
	kctx k;
	memset(&k, 0, sizeof(k));
	k.out = out;
	k.diags = diags ? diags : &quiet;
	if (limits)
		k.lim = *limits;
	else
		tm_limits_default(&k.lim);
	kfile kf = {&k, "", holder, NULL};
	kresv rs = {NULL, 0, 0};
	index_t ix;
	size_t patched = 0;
	if (!file_resources(&k, out, &rs) && !index_build(&k, &ix, &rs)) {
		patched = foreign_entry(&kf, &rs, &ix, entry);
		index_dispose(&ix);
	}
	if (patched && !k.fatal) { /* an object replaced (operations on its root) or deleted */
		tm_file_clear_docs(out);
		for (size_t i = 0; i < rs.n && !k.fatal; i++)
			if (rs.v[i].obj && tm_file_add_doc(out, rs.v[i].obj))
				k.fatal = TM_ENOMEM;
	}
	tm_free(rs.v);
	tm_diag_list_dispose(&quiet);
	*oom |= k.fatal == TM_ENOMEM;
	return patched;
}
