/*
 * octemplate.c - OpenShift Templates processed as `oc process` does (openshift/library-go's
 * template processor), without a cluster.
 *
 * What is followed:
 *  - each parameter's value is its `value`; one without a value is generated (`generate:
 *    expression`) or must be given (`required: true`) when oc process runs: the files do not hold
 *    it, so it is read as the placeholder <NAME> (what the secret rules take for one), said in a
 *    note naming it; any other parameter without a value is empty, as oc process makes it;
 *  - in every string of the objects, keys included, ${NAME} of a parameter is replaced by its value
 *    (a reference to no parameter stays as written); a string that is only ${{NAME}} takes the value
 *    as a non-string: a number, a boolean or null when it reads as one, else a string;
 *  - the Template's `labels` are added to each object's metadata.labels (an object's own label of
 *    the same key is kept).
 * Every value made keeps the line and column of what the Template writes there, so evidence about an
 * expanded object points into the Template. A Template whose objects or parameters are not a list is
 * refused by oc process: it stays as written (a warning says so) and is not modelled.
 *
 * Bounds: parameters past OCT_MAX_PARAMS are not read (their references stay as written), and at
 * most OCT_MAX_BYTES of parameter values are put in per file (a big value referenced many times is
 * a bomb): past them the strings stay as written and a warning says how many.
 */
#include <string.h>

#include "render/octemplate.h"

#define OCT_MAX_PARAMS 4096
#define OCT_MAX_BYTES (16u << 20)
#define OCT_MAX_NOTES 16 /* parameters without a value named one note each, per Template */
#define OCT_MAX_DEPTH 512

static const char NAME_CHARS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";

struct param {
	const char *value;
	size_t len;
};

struct oct {
	tm_file *out;
	const tm_file *from;
	tm_diag_list *diags;
	tm_arena *arena;  /* parameters and placeholders */
	tm_hmap params;   /* name -> struct param *, the Template being processed */
	tm_strbuf sb;
	size_t used;      /* bytes of values put in so far (against OCT_MAX_BYTES) */
	size_t left;      /* strings left as written for the bound */
	bool oom;
};

bool tm_octemplate_is(const tm_value *doc)
{
	const char *kind = tm_map_get_str(doc, "kind"), *api = tm_map_get_str(doc, "apiVersion");
	return kind && api && strcmp(kind, "Template") == 0 &&
	       (strcmp(api, "v1") == 0 || strncmp(api, "template.openshift.io/", 22) == 0);
}

/* Where v is written in the Template's file (its line and column; no JSON pointer is made, so the
 * file, which the parse cache may share, is only read). */
static tm_loc loc_of(const struct oct *o, const tm_value *v)
{
	return (tm_loc){tm_file_path(o->from), tm_value_line(v), tm_value_col(v), NULL};
}

static const struct param *param_of(const struct oct *o, const char *name, size_t len)
{
	return len ? tm_hmap_get(&o->params, name, len) : NULL;
}

/* The parameter of the reference ${NAME} at s[at] (s is len bytes), or NULL; *n: NAME's length. */
static const struct param *ref_at(const struct oct *o, const char *s, size_t len, size_t at, size_t *n)
{
	*n = at + 1 < len && s[at + 1] == '{' ? strspn(s + at + 2, NAME_CHARS) : 0;
	if (*n && at + 2 + *n > len)
		*n = len - at - 2; /* a NUL inside the scalar ended the span */
	return *n && at + 2 + *n < len && s[at + 2 + *n] == '}' ? param_of(o, s + at + 2, *n) : NULL;
}

/* s as oc process makes it, in o->sb: true when it changed. A whole "${{NAME}}" of a parameter sets
 * *whole instead (the caller types the value). A string whose values would pass the bound is left
 * as written, measured before anything is copied. */
static bool substitute(struct oct *o, const char *s, size_t len, const struct param **whole)
{
	*whole = NULL;
	if (len > 5 && strncmp(s, "${{", 3) == 0 && strncmp(s + len - 2, "}}", 2) == 0) {
		size_t n = len - 5;
		const struct param *p = n && strspn(s + 3, NAME_CHARS) == n ? param_of(o, s + 3, n) : NULL;
		if (p && o->used + p->len > OCT_MAX_BYTES) {
			o->left++;
			return false;
		}
		if (p) {
			o->used += p->len;
			*whole = p;
			return true;
		}
	}
	size_t need = 0, n;
	bool any = false;
	for (const char *q = memchr(s, '$', len); q; q = memchr(q + 1, '$', len - (size_t)(q + 1 - s))) {
		const struct param *p = ref_at(o, s, len, (size_t)(q - s), &n);
		if (p) {
			need += p->len;
			any = true;
			q += n + 2;
		}
		if (q + 1 >= s + len)
			break;
	}
	if (!any)
		return false;
	if (o->used + need > OCT_MAX_BYTES) {
		o->left++;
		return false;
	}
	o->used += need;
	tm_strbuf_reset(&o->sb);
	for (size_t i = 0; i < len;) {
		const char *open = memchr(s + i, '$', len - i);
		if (!open) {
			tm_strbuf_put(&o->sb, s + i, len - i);
			break;
		}
		size_t at = (size_t)(open - s);
		tm_strbuf_put(&o->sb, s + i, at - i);
		const struct param *p = ref_at(o, s, len, at, &n);
		if (p)
			tm_strbuf_put(&o->sb, p->value, p->len);
		else
			tm_strbuf_put(&o->sb, s + at, 1);
		i = p ? at + 3 + n : at + 1;
	}
	if (o->sb.oom)
		o->oom = true;
	return !o->oom;
}

static tm_value *expand(struct oct *o, const tm_value *v, const char *path, int depth);

/* A scalar of the objects, substituted. */
static tm_value *expand_scalar(struct oct *o, const tm_value *v, tm_loc at)
{
	size_t len;
	const char *s = tm_scalar_str(v, &len);
	const struct param *whole;
	if (tm_scalar_type_of(v) != TM_SCALAR_STR || !memchr(s, '$', len) || !substitute(o, s, len, &whole))
		return tm_value_new_scalar(o->out, at, tm_scalar_type_of(v), s, len, tm_scalar_quoted(v));
	if (!whole)
		return tm_value_new_scalar(o->out, at, TM_SCALAR_STR, o->sb.data ? o->sb.data : "", o->sb.len, true);
	/* ${{NAME}}: the value as JSON reads it; a placeholder (or any other text) stays a string */
	tm_scalar_type t = whole->len && whole->value[0] != '<' ? tm_parse__resolve_plain(whole->value, whole->len) : TM_SCALAR_STR;
	return tm_value_new_scalar(o->out, at, t, whole->value, whole->len, t == TM_SCALAR_STR);
}

static tm_value *expand_map(struct oct *o, const tm_value *v, tm_loc at, int depth)
{
	tm_value *m = tm_value_new_map(o->out, at);
	for (size_t i = 0; m && i < tm_value_len(v); i++) {
		size_t kl;
		const char *k = tm_scalar_str(tm_map_key(v, i), &kl);
		if (!k)
			continue; /* a complex key: no field of an object */
		tm_value *val = expand(o, tm_map_value(v, i), NULL, depth + 1);
		if (!val)
			return NULL;
		const struct param *whole;
		bool renamed = memchr(k, '$', kl) && substitute(o, k, kl, &whole);
		if (renamed) {
			/* a key is a string: ${{NAME}} in one is its text */
			const char *nk = whole ? tm_arena_strndup(o->arena, whole->value, whole->len)
					       : tm_arena_strndup(o->arena, o->sb.data ? o->sb.data : "", o->sb.len);
			if (!nk || tm_map_set(o->out, m, nk, val))
				return NULL;
		} else if (tm_map_append(o->out, m, k, val)) {
			return NULL;
		}
	}
	return m;
}

/* A copy of v (an object of the Template, or a value in it) with the parameters put in; path: the
 * Template file's, for the root of an object (its children inherit it). NULL on ENOMEM or past the
 * depth bound. */
static tm_value *expand(struct oct *o, const tm_value *v, const char *path, int depth)
{
	if (o->oom)
		return NULL;
	tm_loc at = {path, v ? tm_value_line(v) : 0, v ? tm_value_col(v) : 0, NULL};
	if (!v)
		return tm_value_new_scalar(o->out, at, TM_SCALAR_NULL, "", 0, false);
	if (depth > OCT_MAX_DEPTH) /* deeper than any parse allows: cut, as a null */
		return tm_value_new_scalar(o->out, at, TM_SCALAR_NULL, "", 0, false);
	switch (tm_value_kind_of(v)) {
	case TM_VALUE_MAP:
		return expand_map(o, v, at, depth);
	case TM_VALUE_SEQ: {
		tm_value *s = tm_value_new_seq(o->out, at);
		for (size_t i = 0; s && i < tm_value_len(v); i++) {
			tm_value *item = expand(o, tm_seq_at(v, i), NULL, depth + 1);
			if (!item || tm_seq_insert(o->out, s, i, item))
				return NULL;
		}
		return s;
	}
	default:
		return expand_scalar(o, v, at);
	}
}

static const char *template_name(const tm_value *t)
{
	const char *name = tm_map_get_str(tm_map_get(t, "metadata"), "name");
	return name ? name : "(unnamed)";
}

/* The Template's parameters into o->params; false when oc process would refuse them. */
static bool read_params(struct oct *o, const tm_value *t)
{
	const tm_value *ps = tm_map_get(t, "parameters");
	const char *tname = template_name(t);
	if (ps && tm_value_kind_of(ps) != TM_VALUE_SEQ && !(tm_value_kind_of(ps) == TM_VALUE_SCALAR &&
							     tm_scalar_type_of(ps) == TM_SCALAR_NULL)) {
		tm_diag_add(o->diags, TM_EINVALID, TM_LEVEL_WARNING, loc_of(o, ps),
			    "the OpenShift Template %s: parameters is not a list, so oc process refuses the template; "
			    "its objects are not modelled", tname);
		return false;
	}
	size_t n = tm_value_len(ps), noted = 0, unnoted = 0;
	for (size_t i = 0; i < n && !o->oom; i++) {
		const tm_value *p = tm_seq_at(ps, i);
		const char *name = tm_map_get_str(p, "name");
		size_t nl = name ? strlen(name) : 0;
		if (!nl || strspn(name, NAME_CHARS) != nl) {
			tm_diag_add(o->diags, TM_EINVALID, TM_LEVEL_WARNING, loc_of(o, p),
				    "the OpenShift Template %s: parameter %zu has no name of letters, digits and '_'; not read",
				    tname, i + 1);
			continue;
		}
		if (i >= OCT_MAX_PARAMS) {
			tm_diag_add(o->diags, TM_ELIMIT, TM_LEVEL_WARNING, loc_of(o, p),
				    "the OpenShift Template %s has %zu parameters: past %d they are not read, and their "
				    "references stay as written", tname, n, OCT_MAX_PARAMS);
			break;
		}
		if (param_of(o, name, nl))
			continue; /* the first of a name */
		struct param *pv = tm_arena_alloc(o->arena, sizeof(*pv));
		if (!pv || tm_hmap_put(&o->params, name, nl, pv)) {
			o->oom = true;
			break;
		}
		const char *val = tm_map_get_str(p, "value"), *gen = tm_map_get_str(p, "generate");
		const char *req = tm_map_get_str(p, "required");
		bool required = req && strcmp(req, "true") == 0;
		if ((val && *val) || (!(gen && *gen) && !required)) {
			pv->value = val ? val : "";
			pv->len = strlen(pv->value);
			continue;
		}
		pv->value = tm_arena_printf(o->arena, "<%s>", name);
		pv->len = pv->value ? strlen(pv->value) : 0;
		if (!pv->value)
			o->oom = true;
		else if (noted++ >= OCT_MAX_NOTES)
			unnoted++;
		else if (gen && *gen)
			tm_diag_add(o->diags, 0, TM_LEVEL_NOTE, loc_of(o, p),
				    "parameter %s of the OpenShift Template %s is generated when oc process runs (generate: "
				    "%s): its value is not in the files, so it is read as the placeholder %s", name, tname, gen,
				    pv->value);
		else
			tm_diag_add(o->diags, 0, TM_LEVEL_NOTE, loc_of(o, p),
				    "parameter %s of the OpenShift Template %s is required and has no value in the files (oc "
				    "process needs -p %s=...), so it is read as the placeholder %s", name, tname, name, pv->value);
	}
	if (unnoted)
		tm_diag_add(o->diags, 0, TM_LEVEL_NOTE, loc_of(o, ps),
			    "%zu more parameters of the OpenShift Template %s have no value in the files (generated or "
			    "required): each is read as the placeholder <NAME>", unnoted, tname);
	return true;
}

/* The Template's labels (substituted) added to obj's metadata.labels where obj sets no such label. */
static void add_labels(struct oct *o, tm_value *obj, const tm_value *labels)
{
	if (tm_value_kind_of(labels) != TM_VALUE_MAP || !tm_value_len(labels))
		return;
	tm_loc at = loc_of(o, labels);
	tm_value *meta = tm_map_get_mut(obj, "metadata");
	if (!meta) {
		meta = tm_value_new_map(o->out, at);
		if (!meta || tm_map_set(o->out, obj, "metadata", meta)) {
			o->oom = true;
			return;
		}
	}
	tm_value *mine = tm_map_get_mut(meta, "labels");
	if (tm_value_kind_of(meta) != TM_VALUE_MAP || (mine && tm_value_kind_of(mine) != TM_VALUE_MAP))
		return; /* the object's own shape is wrong: its reader says so */
	if (!mine) {
		mine = tm_value_new_map(o->out, at);
		if (!mine || tm_map_set(o->out, meta, "labels", mine)) {
			o->oom = true;
			return;
		}
	}
	tm_value *add = expand(o, labels, tm_file_path(o->from), 0);
	for (size_t i = 0; add && i < tm_value_len(add); i++) {
		const char *k = tm_scalar_str(tm_map_key(add, i), NULL);
		if (k && !tm_map_get(mine, k) && tm_map_set(o->out, mine, k, tm_map_value_mut(add, i)))
			o->oom = true;
	}
	if (!add)
		o->oom = true;
}

/* The objects Template t makes, as documents of o->out; false (nothing added) when it stays as
 * written. */
static bool process(struct oct *o, const tm_value *t)
{
	const tm_value *objs = tm_map_get(t, "objects");
	const char *tname = template_name(t);
	if (objs && tm_value_kind_of(objs) != TM_VALUE_SEQ) {
		tm_diag_add(o->diags, TM_EINVALID, TM_LEVEL_WARNING, loc_of(o, objs),
			    "the OpenShift Template %s: objects is not a list, so oc process refuses the template; "
			    "its objects are not modelled", tname);
		return false;
	}
	if (!tm_value_len(objs))
		return false;
	tm_hmap_dispose(&o->params);
	o->params = (tm_hmap)TM_HMAP_INIT;
	if (!read_params(o, t))
		return false;
	size_t made = 0, left_before = o->left;
	for (size_t i = 0; i < tm_value_len(objs) && !o->oom; i++) {
		const tm_value *src = tm_seq_at(objs, i);
		if (tm_value_kind_of(src) != TM_VALUE_MAP) {
			tm_diag_add(o->diags, TM_EINVALID, TM_LEVEL_WARNING, loc_of(o, src),
				    "the OpenShift Template %s: objects item %zu is not an object; left out", tname, i + 1);
			continue;
		}
		tm_value *obj = expand(o, src, tm_file_path(o->from), 0);
		if (obj)
			add_labels(o, obj, tm_map_get(t, "labels"));
		if (!obj || o->oom || tm_file_add_doc(o->out, obj)) {
			o->oom = true;
			break;
		}
		made++;
	}
	if (o->oom || !made)
		return o->oom;
	tm_diag_add(o->diags, 0, TM_LEVEL_NOTE, loc_of(o, objs),
		    "the OpenShift Template %s is read as oc process makes it, with its parameters' values: %zu "
		    "object%s", tname, made, made == 1 ? "" : "s");
	if (o->left > left_before)
		tm_diag_add(o->diags, TM_ELIMIT, TM_LEVEL_WARNING, loc_of(o, objs),
			    "the OpenShift Template %s: past %u MiB of parameter values put in, %zu strings are left "
			    "as written (their ${...} not substituted)", tname, OCT_MAX_BYTES >> 20, o->left - left_before);
	return true;
}

int tm_octemplate_process(tm_file **out, const tm_file *f, tm_diag_list *diags)
{
	*out = NULL;
	size_t n = tm_file_doc_count(f), k = 0;
	while (k < n && !tm_octemplate_is(tm_file_doc(f, k)))
		k++;
	if (k == n)
		return 0;
	struct oct o = {tm_file_new_rendered(tm_file_path(f)), f, diags, tm_arena_new(), TM_HMAP_INIT, TM_STRBUF_INIT,
			0, 0, false};
	o.oom = !o.out || !o.arena;
	for (size_t i = 0; i < n && !o.oom; i++) {
		const tm_value *doc = tm_file_doc(f, i);
		if (tm_octemplate_is(doc) && process(&o, doc))
			continue;
		tm_value *copy = doc ? tm_value_copy(o.out, f, doc) : NULL;
		if ((doc && !copy) || tm_file_add_doc(o.out, copy))
			o.oom = true;
	}
	tm_hmap_dispose(&o.params);
	tm_strbuf_dispose(&o.sb);
	tm_arena_free(o.arena);
	if (o.oom) {
		tm_file_free(o.out);
		return TM_ENOMEM;
	}
	tm_file_stand_for(o.out, f);
	*out = o.out;
	return 0;
}
