/*
 * helm.c - a chart rendered as `helm template` renders it.
 *
 * Steps, after Helm's own (pkg/chart/loader, pkg/chartutil, pkg/engine):
 *  1. load the chart tree: Chart.yaml (.Chart, dependencies), values.yaml, templates/, the other
 *     files (.Files, read on demand), and each directory of charts/ as a subchart (an archive is
 *     reported, not unpacked);
 *  2. values: the -f files merged in order, then maps given whole and --set values, then
 *     coalesced with every chart's values.yaml (or the files that replace it), each
 *     subchart's under its name (or alias), the parent's global copied into it;
 *  3. dependencies whose condition (or tags) are false are dropped, with their templates;
 *  4. every template of every remaining chart is parsed into one set, deepest paths first so a
 *     parent's define wins over a subchart's (Helm's sortTemplates), then every file not named
 *     _* (partials) nor NOTES.txt is executed with its chart's scoped values.
 * Template names are Helm's (<chart>/templates/x.yaml, <chart>/charts/<sub>/templates/y.yaml);
 * everything shown to a user carries display paths (display_dir + the path inside the chart).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "render/gotmpl.h"
#include "render/helm.h"
#include "render/helm_archive.h"
#include "render/helm_standin.h"

#define MAX_CHART_DEPTH 8
#define MAX_CHART_FILES 5000

typedef struct chart chart;
typedef struct {
	const char *rel;  /* path inside the chart */
	char *data;       /* read on demand */
	size_t len;
	bool read, failed;
} cfile;

struct chart {
	const char *name;  /* Chart.yaml name, or the dependency's alias */
	const char *dir;   /* tree-relative */
	const char *disp;  /* display directory */
	const char *full;  /* Helm's full path: parent/charts/name */
	tm_gv meta;        /* .Chart */
	tm_gv defaults;    /* values.yaml */
	tm_gv values;      /* coalesced */
	cfile *files;      /* non-template files, sorted */
	size_t nfiles;
	cfile *tmpls;      /* templates/..., sorted */
	size_t ntmpls;
	chart **subs;
	size_t nsubs;
	tm_gv deps;        /* list of dependency dicts from Chart.yaml / requirements.yaml */
	tm_loc *dep_loc;   /* where each dependency's name is written (Chart.yaml only) */
	const char *prefix; /* its directory relative to the top chart's ("" for the top); NULL in an
			     * archive, where .helmignore does not apply */
	const tm_fsys *fs;  /* where dir is: the caller's tree, or an archive's files in memory */
	tm_gv dot;         /* the chart's top-level objects, once built (chart_values) */
	bool disabled;
};

typedef struct {
	const tm_helm_opts *o;
	const tm_fsys *fs;      /* the tree being loaded: the root's, or an archive's while it loads */
	const tm_fsys *root_fs; /* the tree the caller gave */
	tm_limits lim;
	tm_gt_set set;
	tm_arena *a;      /* = set.arena */
	tm_diag_list *diags;
	tm_hmap consumed;
	const char **cons;
	size_t ncons, ccap;
	tm_gv caps, release;
	struct ign {
		const char *pat;
		bool negate, must_dir;
		int kind; /* 0: the base name, 1: the path, 2: the path from the root ("/x") */
	} *ign;
	size_t nign;
	/* dependencies declared but not vendored: a template none of the files defines stands in
	 * (helm_standin.c), each one said in the note render_all ends with */
	const char *missing;   /* their names, ", "-separated (those switched off by their condition
				* taken out once the conditions are decided: Helm loads none of them) */
	const char *missing_off; /* the missing ones switched off, ", "-separated */
	const char *missing_keys; /* the top chart's missing ones by their values key (alias or name) */
	tm_pset lenient;          /* the dicts under those keys: their missing keys are unknown defaults */
	tm_hmap charts;        /* the names of the charts loaded (each Chart.yaml's): their own
				* templates never stand in */
	tm_loc missing_at;     /* where the first is declared */
	tm_gv cur_dot;         /* the executing file's top-level objects */
	tm_hmap stood;         /* template names that stood in */
	const char **si[TM_HELM_SI_CLASSES];
	size_t nsi[TM_HELM_SI_CLASSES], capsi[TM_HELM_SI_CLASSES];
	const char *absent[TM_HELM_ABSENT_MAX]; /* top-level values read and not defined */
	size_t nabsent;
	const char *cur_file; /* display path of the executing file */
	tm_helm_required req[TM_HELM_REQUIRED_MAX]; /* required calls given no value (set.required) */
	size_t nreq, req_more;
} H;

/* A top-level value the templates read and no values file defines (set.absent). */
static void absent_value(void *ud, const char *key)
{
	H *h = ud;
	for (size_t i = 0; i < h->nabsent; i++)
		if (strcmp(h->absent[i], key) == 0)
			return;
	if (h->nabsent < TM_HELM_ABSENT_MAX && (h->absent[h->nabsent] = tm_arena_strdup(h->a, key)) != NULL)
		h->nabsent++;
}

/* A required call given no value (set.required): each (message, position, file) once. at.path
 * and the file are the set's display paths, which live as long as h->a. */
static void required_missing(void *ud, const char *msg, tm_loc at)
{
	H *h = ud;
	if (!at.path) /* no node to point at: the file */
		at.path = h->cur_file;
	for (size_t i = 0; i < h->nreq; i++) {
		const tm_helm_required *r = &h->req[i];
		if (r->at.line == at.line && r->at.col == at.col && strcmp(r->msg, msg) == 0 &&
		    strcmp(r->at.path, at.path) == 0 && strcmp(r->file, h->cur_file) == 0)
			return;
	}
	if (h->nreq == TM_HELM_REQUIRED_MAX) {
		h->req_more++;
		return;
	}
	tm_helm_required *r = &h->req[h->nreq];
	r->msg = tm_arena_strdup(h->a, msg);
	r->at = at;
	r->file = h->cur_file;
	h->nreq += r->msg != NULL;
}

/* A diagnostic about a whole file (line 1, column 1), or at line:col when known. */
static void diag_at(H *h, int code, tm_level lvl, const char *path, uint32_t line, uint32_t col, const char *fmt,
		    const char *arg)
{
	tm_loc loc = {path, line ? line : 1, line ? col : 1, NULL};
	tm_diag_add(h->diags, code, lvl, loc, fmt, arg ? arg : "");
}

static void diag(H *h, int code, tm_level lvl, const char *path, const char *fmt, const char *arg)
{
	diag_at(h, code, lvl, path, 0, 0, fmt, arg);
}

static const char *join(H *h, const char *a, const char *b)
{
	if (!a || !*a)
		return tm_arena_strdup(h->a, b);
	if (!b || !*b)
		return tm_arena_strdup(h->a, a);
	return tm_arena_printf(h->a, "%s/%s", a, b);
}

static void consume(H *h, const char *disp)
{
	if (!disp || tm_hmap_get(&h->consumed, disp, strlen(disp)))
		return;
	if (h->ncons == h->ccap) {
		size_t nc = h->ccap ? h->ccap * 2 : 32;
		const char **n = tm_arena_alloc(h->a, nc * sizeof(*n));
		if (!n)
			return;
		if (h->ncons)
			memcpy(n, h->cons, h->ncons * sizeof(*n));
		h->cons = n;
		h->ccap = nc;
	}
	h->cons[h->ncons++] = disp;
	tm_hmap_put(&h->consumed, disp, strlen(disp), (void *)disp);
}

/* Read a tree-relative file into the arena (NUL-terminated). */
static int read_file_fs(H *h, const tm_fsys *fs, const char *path, const char *disp, char **data, size_t *len)
{
	char *buf = NULL;
	const char *why = NULL;
	int rc = fs->read(fs, path, h->lim.max_file_bytes, &buf, len, &why);
	if (rc < 0) {
		if (rc != TM_ENOTFOUND)
			diag(h, rc, TM_LEVEL_WARNING, disp, "cannot read: %s", why ? why : tm_strerror(rc));
		return rc;
	}
	if (fs == h->root_fs) /* files inside an archive are no inputs of their own */
		consume(h, disp);
	*data = tm_arena_strndup(h->a, buf, *len);
	tm_free(buf);
	return *data ? 0 : TM_ENOMEM;
}

static int read_file(H *h, const char *path, const char *disp, char **data, size_t *len)
{
	return read_file_fs(h, h->fs, path, disp, data, len);
}

/* Parse YAML text (with "{{" masked) into a value; NULL-valued on failure (diagnostics added). */
static tm_gv parse_yaml(H *h, char *text, size_t len, const char *disp)
{
	char mask[2];
	tm_gt__mask(text, len, mask);
	tm_file *f = NULL;
	tm_gv v = tm_gv_nil();
	tm_diag_list local;
	tm_diag_list_init(&local);
	int rc = tm_file_parse(&f, disp, text, len, &h->lim, &local);
	/* an empty or comment-only values file is normal: keep only warnings and errors */
	for (size_t i = 0; i < local.count; i++)
		if (local.items[i].level >= TM_LEVEL_WARNING)
			tm_diag_add(h->diags, local.items[i].code, local.items[i].level, local.items[i].loc, "%s",
				    local.items[i].msg);
	tm_diag_list_dispose(&local);
	if (rc == 0 && f && tm_file_doc_count(f)) {
		v = tm_gt__from_value_unmask(h->a, tm_file_doc(f, 0), mask);
	}
	tm_file_free(f);
	return v;
}

/* ---- values ---- */

/* Helm's mergeMaps for -f files: b over a, maps merged recursively. */
static void merge_maps(H *h, tm_gv_dict *a, const tm_gv_dict *b, int depth)
{
	for (size_t i = 0; i < b->n && depth < 64; i++) {
		tm_gv *av = tm_gv_dict_get(a, b->key[i], b->klen[i]);
		if (av && av->k == TM_GV_DICT && b->val[i].k == TM_GV_DICT)
			merge_maps(h, av->u.d, b->val[i].u.d, depth + 1);
		else
			tm_gv_dict_set(h->a, a, b->key[i], b->klen[i], b->val[i]);
	}
}

/* coalesceTables(dst, src): src fills what dst lacks; a nil in dst deletes the key. */
static void coalesce_tables(H *h, tm_gv_dict *dst, const tm_gv_dict *src, int depth)
{
	for (size_t i = 0; i < src->n && depth < 64; i++) {
		tm_gv *dv = tm_gv_dict_get(dst, src->key[i], src->klen[i]);
		tm_gv sv = src->val[i];
		if (dv && dv->k == TM_GV_NIL)
			tm_gv_dict_del(dst, src->key[i], src->klen[i]);
		else if (!dv)
			tm_gv_dict_set(h->a, dst, src->key[i], src->klen[i], tm_gv_deep_copy(h->a, sv, 0));
		else if (dv->k == TM_GV_DICT && sv.k == TM_GV_DICT)
			coalesce_tables(h, dv->u.d, sv.u.d, depth + 1);
	}
}

/* coalesceGlobals: the parent's global over the subchart's. */
static void coalesce_globals(H *h, tm_gv_dict *dest, const tm_gv_dict *src)
{
	tm_gv *sg = tm_gv_dict_get(src, "global", 6);
	tm_gv *dgp = tm_gv_dict_get(dest, "global", 6);
	tm_gv dg = dgp && dgp->k == TM_GV_DICT ? *dgp : tm_gv_dict_new(h->a);
	if (!dg.k)
		return;
	if (sg && sg->k == TM_GV_DICT) {
		for (size_t i = 0; i < sg->u.d->n; i++) {
			tm_gv val = sg->u.d->val[i];
			tm_gv *dv = tm_gv_dict_get(dg.u.d, sg->u.d->key[i], sg->u.d->klen[i]);
			if (val.k == TM_GV_DICT) {
				tm_gv vv = tm_gv_deep_copy(h->a, val, 0);
				if (!dv)
					tm_gv_dict_set(h->a, dg.u.d, sg->u.d->key[i], sg->u.d->klen[i], vv);
				else if (dv->k == TM_GV_DICT) {
					coalesce_tables(h, vv.u.d, dv->u.d, 0);
					tm_gv_dict_set(h->a, dg.u.d, sg->u.d->key[i], sg->u.d->klen[i], vv);
				}
			} else if (!(dv && dv->k == TM_GV_DICT))
				tm_gv_dict_set(h->a, dg.u.d, sg->u.d->key[i], sg->u.d->klen[i], val);
		}
	}
	tm_gv_dict_set(h->a, dest, "global", 6, dg);
}

/* coalesce(chart, dest): chart defaults into dest, then each enabled subchart's. */
static void coalesce(H *h, chart *c, tm_gv_dict *dest, int depth)
{
	if (c->defaults.k == TM_GV_DICT) {
		const tm_gv_dict *src = c->defaults.u.d;
		for (size_t i = 0; i < src->n; i++) {
			tm_gv *dv = tm_gv_dict_get(dest, src->key[i], src->klen[i]);
			tm_gv sv = src->val[i];
			if (dv && dv->k == TM_GV_NIL)
				tm_gv_dict_del(dest, src->key[i], src->klen[i]);
			else if (!dv)
				tm_gv_dict_set(h->a, dest, src->key[i], src->klen[i], tm_gv_deep_copy(h->a, sv, 0));
			else if (dv->k == TM_GV_DICT && sv.k == TM_GV_DICT)
				coalesce_tables(h, dv->u.d, sv.u.d, 0);
		}
	}
	for (size_t i = 0; i < c->nsubs && depth < MAX_CHART_DEPTH; i++) {
		chart *s = c->subs[i];
		if (s->disabled)
			continue;
		size_t nl = strlen(s->name);
		tm_gv *sv = tm_gv_dict_get(dest, s->name, nl);
		if (!sv || sv->k != TM_GV_DICT) {
			tm_gv_dict_set(h->a, dest, s->name, nl, tm_gv_dict_new(h->a));
			sv = tm_gv_dict_get(dest, s->name, nl);
		}
		if (!sv || sv->k != TM_GV_DICT)
			continue;
		coalesce_globals(h, sv->u.d, dest);
		coalesce(h, s, sv->u.d, depth + 1);
		s->values = *sv;
	}
}

/* A value at a dotted path of values. */
static tm_gv *at_path(tm_gv v, const char *path, size_t n)
{
	tm_gv *cur = NULL;
	const char *p = path, *e = path + n;
	while (p < e) {
		const char *dot = memchr(p, '.', (size_t)(e - p));
		size_t l = dot ? (size_t)(dot - p) : (size_t)(e - p);
		if (v.k != TM_GV_DICT)
			return NULL;
		cur = tm_gv_dict_get(v.u.d, p, l);
		if (!cur)
			return NULL;
		v = *cur;
		p += l + 1;
	}
	return cur;
}

static bool listed_n(const char *list, const char *name, size_t n)
{
	for (const char *p = list; p;) {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || !p[n]))
			return true;
		const char *q = strstr(p, ", ");
		p = q ? q + 2 : NULL;
	}
	return false;
}

static bool listed(const char *list, const char *name)
{
	return listed_n(list, name, strlen(name));
}

/* processDependencyConditions and Tags: switch subcharts off, recursively. vals: the coalesced
 * values of c (its own view). */
static void apply_conditions(H *h, chart *c, tm_gv vals, tm_gv top, int depth)
{
	if (c->deps.k != TM_GV_LIST || depth > MAX_CHART_DEPTH)
		return;
	for (size_t i = 0; i < c->deps.u.l->n; i++) {
		tm_gv d = c->deps.u.l->it[i];
		if (d.k != TM_GV_DICT)
			continue;
		tm_gv *name = tm_gv_dict_get(d.u.d, "name", 4), *alias = tm_gv_dict_get(d.u.d, "alias", 5);
		tm_gv *cond = tm_gv_dict_get(d.u.d, "condition", 9), *tags = tm_gv_dict_get(d.u.d, "tags", 4);
		const char *nm = alias && alias->k == TM_GV_STR && alias->u.s.n ? alias->u.s.p
			: name && name->k == TM_GV_STR ? name->u.s.p : NULL;
		if (!nm)
			continue;
		chart *s = NULL;
		for (size_t k = 0; k < c->nsubs; k++)
			if (strcmp(c->subs[k]->name, nm) == 0)
				s = c->subs[k];
		const char *dn = name && name->k == TM_GV_STR ? name->u.s.p : NULL;
		if (!s && !(dn && h->missing && listed(h->missing, dn)))
			continue;
		int decided = -1;
		if (cond && cond->k == TM_GV_STR) {
			const char *p = cond->u.s.p, *e = p + cond->u.s.n;
			while (p < e && decided < 0) {
				const char *comma = memchr(p, ',', (size_t)(e - p));
				size_t l = comma ? (size_t)(comma - p) : (size_t)(e - p);
				while (l && *p == ' ')
					p++, l--;
				while (l && p[l - 1] == ' ')
					l--;
				tm_gv *v = at_path(vals, p, l);
				if (v && v->k == TM_GV_BOOL)
					decided = v->u.b;
				p += (comma ? (size_t)(comma - p) : l) + 1;
			}
		}
		if (decided < 0 && tags && tags->k == TM_GV_LIST) {
			tm_gv *tv = top.k == TM_GV_DICT ? tm_gv_dict_get(top.u.d, "tags", 4) : NULL;
			bool any_true = false, any_false = false;
			for (size_t k = 0; tv && tv->k == TM_GV_DICT && k < tags->u.l->n; k++) {
				tm_gv t = tags->u.l->it[k];
				tm_gv *b = t.k == TM_GV_STR ? tm_gv_dict_get(tv->u.d, t.u.s.p, t.u.s.n) : NULL;
				if (b && b->k == TM_GV_BOOL && b->u.b)
					any_true = true;
				else if (b && b->k == TM_GV_BOOL)
					any_false = true;
			}
			if (any_true)
				decided = 1;
			else if (any_false)
				decided = 0;
		}
		if (decided == 0 && s)
			s->disabled = true;
		else if (decided == 0 && !(h->missing_off && listed(h->missing_off, dn)))
			h->missing_off = h->missing_off ? tm_arena_printf(h->a, "%s, %s", h->missing_off, dn) : dn;
	}
	for (size_t k = 0; k < c->nsubs; k++) {
		chart *s = c->subs[k];
		if (s->disabled)
			continue;
		tm_gv *sv = vals.k == TM_GV_DICT ? tm_gv_dict_get(vals.u.d, s->name, strlen(s->name)) : NULL;
		apply_conditions(h, s, sv ? *sv : tm_gv_nil(), top, depth + 1);
	}
}

/* A table at a dotted path of v (NULL if absent or not a table). */
static tm_gv *table_at(tm_gv v, const char *path)
{
	tm_gv *t = at_path(v, path, strlen(path));
	return t && t->k == TM_GV_DICT ? t : NULL;
}

/* pathToMap: table placed under the dotted path ("." or "": the root). */
static tm_gv path_to_map(H *h, const char *path, tm_gv table)
{
	if (!path || !*path || strcmp(path, ".") == 0)
		return table;
	const char *dot = strrchr(path, '.');
	tm_gv d = tm_gv_dict_new(h->a);
	const char *last = dot ? dot + 1 : path;
	if (d.k)
		tm_gv_dict_set(h->a, d.u.d, last, strlen(last), table);
	if (!dot)
		return d;
	char *head = tm_arena_strndup(h->a, path, (size_t)(dot - path));
	return head ? path_to_map(h, head, d) : d;
}

/* processDependencyImportValues, children first: a dependency's import-values (a string: its
 * exports.<name> table at the root; {child, parent}: its <child> table at <parent>) become
 * defaults of the parent, below the parent's own values. Keyed by the dependency's name, as
 * Helm does (an alias is not followed). */
static void import_values(H *h, chart *c, int depth)
{
	if (depth > MAX_CHART_DEPTH)
		return;
	for (size_t i = 0; i < c->nsubs; i++)
		if (!c->subs[i]->disabled)
			import_values(h, c->subs[i], depth + 1);
	if (c->deps.k != TM_GV_LIST)
		return;
	tm_gv cvals = tm_gv_dict_new(h->a);
	tm_gv b = tm_gv_dict_new(h->a);
	if (!cvals.k || !b.k)
		return;
	coalesce(h, c, cvals.u.d, depth);
	bool any = false;
	for (size_t i = 0; i < c->deps.u.l->n; i++) {
		tm_gv d = c->deps.u.l->it[i];
		tm_gv *name = d.k == TM_GV_DICT ? tm_gv_dict_get(d.u.d, "name", 4) : NULL;
		tm_gv *ivs = d.k == TM_GV_DICT ? tm_gv_dict_get(d.u.d, "import-values", 13) : NULL;
		if (!name || name->k != TM_GV_STR || !ivs || ivs->k != TM_GV_LIST)
			continue;
		for (size_t k = 0; k < ivs->u.l->n; k++) {
			tm_gv iv = ivs->u.l->it[k];
			const char *child = NULL, *parent = ".";
			if (iv.k == TM_GV_STR)
				child = tm_arena_printf(h->a, "%s.exports.%s", name->u.s.p, iv.u.s.p);
			else if (iv.k == TM_GV_DICT) {
				tm_gv *ch = tm_gv_dict_get(iv.u.d, "child", 5), *pa = tm_gv_dict_get(iv.u.d, "parent", 6);
				if (!ch || ch->k != TM_GV_STR || !pa || pa->k != TM_GV_STR)
					continue;
				child = tm_arena_printf(h->a, "%s.%s", name->u.s.p, ch->u.s.p);
				parent = pa->u.s.p;
			}
			tm_gv *t = child ? table_at(cvals, child) : NULL;
			if (!t)
				continue;
			tm_gv m = path_to_map(h, parent, tm_gv_deep_copy(h->a, *t, 0));
			if (m.k == TM_GV_DICT)
				coalesce_tables(h, b.u.d, m.u.d, 0);
			any = true;
		}
	}
	if (!any)
		return;
	coalesce_tables(h, cvals.u.d, b.u.d, 0);
	c->defaults = cvals;
}

/* ---- loading ---- */

static int cfile_cmp(const void *a, const void *b)
{
	return strcmp(((const cfile *)a)->rel, ((const cfile *)b)->rel);
}

/* Every file under dir (tree-relative), as paths relative to base, into *list. */
/* Go's path.Match: '*' and '?' stop at '/', classes with ranges and '^', '\\' escapes. */
static bool path_match(const char *p, const char *s, int depth)
{
	if (depth > 64)
		return false;
	for (; *p; p++, s++) {
		if (*p == '*') {
			while (p[1] == '*')
				p++;
			for (const char *t = s;; t++) {
				if (path_match(p + 1, t, depth + 1))
					return true;
				if (!*t || *t == '/')
					return false;
			}
		}
		if (!*s || (*s == '/' && *p != '/'))
			return false;
		if (*p == '?')
			continue;
		if (*p == '[') {
			const char *q = p + 1;
			bool neg = *q == '^';
			if (neg)
				q++;
			bool hit = false;
			while (*q && *q != ']') {
				char lo = *q == '\\' && q[1] ? *++q : *q;
				q++;
				char hi = lo;
				if (*q == '-' && q[1] && q[1] != ']') {
					q++;
					hi = *q == '\\' && q[1] ? *++q : *q;
					q++;
				}
				hit |= *s >= lo && *s <= hi;
			}
			if (!*q || hit == neg)
				return false;
			p = q;
			continue;
		}
		if (*p == '\\' && p[1])
			p++;
		if (*p != *s)
			return false;
	}
	return !*s;
}

/* .helmignore (pkg/ignore): one pattern a line, '#' comments, '!' negation, a trailing '/' for
 * directories only, a leading '/' anchored at the chart root, a pattern without '/' matched
 * against the base name; "**" is refused; "templates/.?*" is always added. */
static void add_ignore(H *h, const char *line, size_t n)
{
	while (n && (*line == ' ' || *line == '\t' || *line == '\r'))
		line++, n--;
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
		n--;
	if (!n || line[0] == '#')
		return;
	char *pat = tm_arena_strndup(h->a, line, n);
	if (!pat || strstr(pat, "**"))
		return;
	struct ign r = {pat, false, false, 0};
	if (*r.pat == '!')
		r.negate = true, r.pat++;
	size_t pl = strlen(r.pat);
	if (pl && r.pat[pl - 1] == '/')
		r.must_dir = true, pat[(size_t)(r.pat - pat) + pl - 1] = '\0';
	if (*r.pat == '/')
		r.kind = 2, r.pat++;
	else if (strchr(r.pat, '/'))
		r.kind = 1;
	struct ign *ni = tm_arena_alloc(h->a, (h->nign + 1) * sizeof(*ni));
	if (!ni)
		return;
	if (h->nign)
		memcpy(ni, h->ign, h->nign * sizeof(*ni));
	ni[h->nign++] = r;
	h->ign = ni;
}

/* Rules.Ignore, for a path relative to the top chart (negations behave as Helm's do: a negated
 * rule that does not match ignores). */
static bool ignored(const H *h, const char *path, bool is_dir)
{
	if (!*path)
		return false;
	for (size_t i = 0; i < h->nign; i++) {
		const struct ign *r = &h->ign[i];
		const char *subject = path;
		if (r->kind == 0) {
			const char *sl = strrchr(path, '/');
			subject = sl ? sl + 1 : path;
		}
		if (r->negate) {
			if (r->must_dir && !is_dir)
				return true;
			if (!path_match(r->pat, subject, 0))
				return true;
			continue;
		}
		if (r->must_dir && !is_dir)
			continue;
		if (path_match(r->pat, subject, 0))
			return true;
	}
	return false;
}

static void walk(H *h, const char *base, const char *prefix, const char *rel, cfile **list, size_t *n, size_t *cap,
		 int depth)
{
	if (depth > 32 || *n >= MAX_CHART_FILES)
		return;
	const char *dir = join(h, base, rel);
	char **names = NULL;
	size_t cnt = 0;
	if (!dir || h->fs->list(h->fs, dir, &names, &cnt) < 0)
		return;
	for (size_t i = 0; i < cnt; i++) {
		const char *r = join(h, rel, names[i]);
		const char *full = join(h, base, r);
		if (!r || !full)
			break;
		tm_fsys_kind k = h->fs->kind(h->fs, full);
		const char *toprel = prefix ? join(h, prefix, r) : NULL;
		if (prefix && (!toprel || ignored(h, toprel, k == TM_FSYS_DIR)))
			continue;
		if (k == TM_FSYS_DIR)
			walk(h, base, prefix, r, list, n, cap, depth + 1);
		else if (k == TM_FSYS_FILE) {
			if (*n == *cap) {
				size_t nc = *cap ? *cap * 2 : 32;
				cfile *nl = tm_arena_alloc(h->a, nc * sizeof(*nl));
				if (!nl)
					break;
				if (*n)
					memcpy(nl, *list, *n * sizeof(*nl));
				*list = nl;
				*cap = nc;
			}
			memset(&(*list)[*n], 0, sizeof(cfile));
			(*list)[(*n)++].rel = r;
		}
	}
	tm_free(names);
}

/* A Go struct's field name for a Chart.yaml key (json tag -> field). */
static void go_field(char *out, size_t cap, const char *k)
{
	static const char *const special[][2] = {{"apiVersion", "APIVersion"}, {"url", "URL"},
						 {"import-values", "ImportValues"}};
	for (size_t i = 0; i < TM_ARRAY_LEN(special); i++)
		if (strcmp(k, special[i][0]) == 0) {
			tm_formatf(out, cap, "%s", special[i][1]);
			return;
		}
	tm_formatf(out, cap, "%c%s", (char)(k[0] >= 'a' && k[0] <= 'z' ? k[0] - 32 : k[0]), k + 1);
}

/* The maintainers and dependencies lists: each item's keys under Go's field names. */
static tm_gv struct_list(H *h, tm_gv l)
{
	if (l.k != TM_GV_LIST)
		return l;
	tm_gv out = tm_gv_list_new(h->a, l.u.l->n);
	for (size_t i = 0; out.k && i < l.u.l->n; i++) {
		tm_gv it = l.u.l->it[i];
		if (it.k == TM_GV_DICT) {
			tm_gv d = tm_gv_dict_new(h->a);
			for (size_t k = 0; d.k && k < it.u.d->n; k++) {
				char key[64];
				go_field(key, sizeof(key), it.u.d->key[k]);
				tm_gv_dict_set(h->a, d.u.d, key, strlen(key), it.u.d->val[k]);
			}
			it = d;
		}
		tm_gv_list_push(h->a, out, it);
	}
	return out;
}

/* .Chart: Chart.yaml's fields under Go's names; scalars as their text (Metadata's fields are
 * strings). */
static tm_gv chart_meta(H *h, const tm_value *root)
{
	tm_gv m = tm_gv_dict_new(h->a);
	static const char *const strs[] = {"Name", "Home", "Version", "Description", "Icon", "APIVersion",
					   "Condition", "Tags", "AppVersion", "KubeVersion", "Type"};
	for (size_t i = 0; m.k && i < TM_ARRAY_LEN(strs); i++)
		tm_gv_dict_set(h->a, m.u.d, strs[i], strlen(strs[i]), tm_gv_str_take("", 0));
	tm_gv_dict_set(h->a, m.u.d, "Deprecated", 10, tm_gv_bool(false));
	for (size_t i = 0; m.k && i < tm_value_len(root); i++) {
		size_t kl = 0;
		const char *k = tm_scalar_str(tm_map_key(root, i), &kl);
		const tm_value *v = tm_map_value(root, i);
		if (!k || !kl)
			continue;
		char key[64];
		go_field(key, sizeof(key), k);
		tm_gv val;
		if (tm_value_kind_of(v) == TM_VALUE_SCALAR && tm_scalar_type_of(v) != TM_SCALAR_BOOL) {
			size_t sl = 0;
			const char *s = tm_scalar_str(v, &sl);
			val = tm_scalar_type_of(v) == TM_SCALAR_NULL ? tm_gv_str_take("", 0) : tm_gv_str(h->a, s, sl);
		} else
			val = tm_gv_from_value(h->a, v, 0);
		if (!strcmp(key, "Maintainers") || !strcmp(key, "Dependencies"))
			val = struct_list(h, val);
		tm_gv_dict_set(h->a, m.u.d, key, strlen(key), val);
	}
	return m;
}

static chart *load_chart(H *h, const char *dir, const char *disp, const char *parent_full, const char *prefix,
			 int depth);

static void add_sub(H *h, chart *c, chart *s)
{
	chart **ns = tm_arena_alloc(h->a, (c->nsubs + 1) * sizeof(*ns));
	if (!ns)
		return;
	if (c->nsubs)
		memcpy(ns, c->subs, c->nsubs * sizeof(*ns));
	ns[c->nsubs++] = s;
	c->subs = ns;
}

/* A chart archive in charts/: its files in memory, the chart the directory in it that holds
 * Chart.yaml at the top (display paths: charts/NAME.tgz/DIR/...). */
static chart *load_archive(H *h, chart *parent, const char *path, const char *disp, int depth)
{
	char *data = NULL;
	size_t len = 0;
	if (read_file(h, path, disp, &data, &len) < 0)
		return NULL;
	tm_helm_archive ar;
	const char *why = NULL;
	int rc = tm_helm__untar_gz(h->a, data, len, h->lim.max_file_bytes, MAX_CHART_FILES, &ar, &why);
	if (rc < 0) {
		diag(h, rc, TM_LEVEL_WARNING, disp, "chart archive not read: %s", why ? why : tm_strerror(rc));
		return NULL;
	}
	const char *top = NULL;
	for (size_t i = 0; i < ar.n && !top; i++) {
		const char *slash = strchr(ar.paths[i], '/');
		if (slash && strcmp(slash + 1, "Chart.yaml") == 0)
			top = tm_arena_strndup(h->a, ar.paths[i], (size_t)(slash - ar.paths[i]));
	}
	tm_fsys *fs = tm_arena_alloc(h->a, sizeof(*fs));
	tm_fsys_mem *mem = tm_arena_alloc(h->a, sizeof(*mem));
	if (!top || !fs || !mem) {
		if (!top)
			diag(h, TM_EINVALID, TM_LEVEL_WARNING, disp, "chart archive holds no chart (no DIR/Chart.yaml)%s", NULL);
		return NULL;
	}
	mem->files = ar.paths;
	mem->data = ar.data;
	mem->lens = ar.lens;
	mem->n = ar.n;
	tm_fsys_mem_init(fs, mem);
	const tm_fsys *save = h->fs;
	h->fs = fs;
	chart *s = load_chart(h, top, join(h, disp, top), parent->full, NULL, depth + 1);
	h->fs = save;
	return s;
}

static void load_subcharts(H *h, chart *c, int depth)
{
	const char *cdir = join(h, c->dir, "charts");
	char **names = NULL;
	size_t cnt = 0;
	if (!cdir || h->fs->kind(h->fs, cdir) != TM_FSYS_DIR || h->fs->list(h->fs, cdir, &names, &cnt) < 0)
		return;
	for (size_t i = 0; i < cnt; i++) {
		const char *sd = join(h, cdir, names[i]);
		const char *sdisp = join(h, join(h, c->disp, "charts"), names[i]);
		if (!sd || !sdisp)
			break;
		tm_fsys_kind k = h->fs->kind(h->fs, sd);
		const char *toprel = c->prefix ? join(h, join(h, c->prefix, "charts"), names[i]) : NULL;
		if (c->prefix && (!toprel || ignored(h, toprel, k == TM_FSYS_DIR)))
			continue;
		size_t nl = strlen(names[i]);
		if (k == TM_FSYS_FILE && ((nl > 4 && strcmp(names[i] + nl - 4, ".tgz") == 0) ||
					  (nl > 7 && strcmp(names[i] + nl - 7, ".tar.gz") == 0))) {
			chart *s = load_archive(h, c, sd, sdisp, depth);
			if (s)
				add_sub(h, c, s);
			continue;
		}
		if (k != TM_FSYS_DIR)
			continue;
		chart *s = load_chart(h, sd, sdisp, c->full, c->prefix ? join(h, join(h, c->prefix, "charts"), names[i]) : NULL,
				      depth + 1);
		if (s)
			add_sub(h, c, s);
	}
	tm_free(names);
}

/* Is name one of the ", "-separated list? */
/* The missing dependencies their conditions switch off define nothing: out of the list stand-ins
 * are made for (none left: none are made, and an undefined template is the error Helm gives). */
static void drop_missing_off(H *h)
{
	if (!h->missing || !h->missing_off)
		return;
	const char *kept = NULL;
	for (const char *p = h->missing; p && *p;) {
		const char *end = strstr(p, ", ");
		size_t l = end ? (size_t)(end - p) : strlen(p);
		if (!listed_n(h->missing_off, p, l))
			kept = kept ? tm_arena_printf(h->a, "%s, %.*s", kept, (int)l, p) : tm_arena_strndup(h->a, p, l);
		p = end ? end + 2 : NULL;
	}
	h->missing = kept;
}

/* base/rel with "." and ".." resolved (tm_fsys_join), or NULL when it climbs out of the tree or
 * rel is absolute. */
static const char *resolve(H *h, const char *base, const char *rel)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *out = tm_fsys_join(&sb, base, rel) == 0 ? tm_arena_strdup(h->a, sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	return out;
}

/* A dependency not in charts/ whose repository is file://PATH: the chart at PATH in the same tree,
 * as `helm dependency build` would copy it (never a path out of the tree, nor from an archive). */
static chart *local_dep(H *h, chart *c, tm_gv d, int depth)
{
	tm_gv *repo = tm_gv_dict_get(d.u.d, "repository", 10);
	if (!repo || repo->k != TM_GV_STR || strncmp(repo->u.s.p, "file://", 7) != 0 || c->fs != h->root_fs)
		return NULL;
	const char *dir = resolve(h, c->dir, repo->u.s.p + 7);
	const char *cy = dir ? join(h, dir, "Chart.yaml") : NULL;
	if (!cy || h->fs->kind(h->fs, cy) != TM_FSYS_FILE)
		return NULL;
	const char *disp = resolve(h, c->disp, repo->u.s.p + 7);
	return load_chart(h, dir, disp ? disp : dir, c->full, NULL, depth + 1);
}

/* Every dict in v (a dependency's values), into set: bounded by the values' own nesting. */
static int lenient_dicts(tm_pset *set, tm_gv v, int depth)
{
	if (depth > 64)
		return 0;
	if (v.k == TM_GV_DICT) {
		int added = tm_pset_add(set, v.u.d);
		if (added < 0)
			return TM_ENOMEM;
		if (!added) /* seen: a dict the values share */
			return 0;
		for (size_t i = 0; i < v.u.d->n; i++)
			if (lenient_dicts(set, v.u.d->val[i], depth + 1))
				return TM_ENOMEM;
	} else if (v.k == TM_GV_LIST) {
		for (size_t i = 0; i < v.u.l->n; i++)
			if (lenient_dicts(set, v.u.l->it[i], depth + 1))
				return TM_ENOMEM;
	}
	return 0;
}

/* Dependencies: aliases rename their subchart; a declared one not in charts/ is read from the tree
 * (file://) or named in the chart's one note on what is not vendored. */
static void match_deps(H *h, chart *c, int depth)
{
	if (c->deps.k != TM_GV_LIST)
		return;
	tm_strbuf missing = TM_STRBUF_INIT; /* this chart's, quoted: one note */
	size_t nmissing = 0;
	tm_loc first = {NULL, 0, 0, NULL};
	for (size_t i = 0; i < c->deps.u.l->n; i++) {
		tm_gv d = c->deps.u.l->it[i];
		if (d.k != TM_GV_DICT)
			continue;
		tm_gv *name = tm_gv_dict_get(d.u.d, "name", 4), *alias = tm_gv_dict_get(d.u.d, "alias", 5);
		if (!name || name->k != TM_GV_STR || !name->u.s.n)
			continue;
		chart *s = NULL;
		for (size_t k = 0; k < c->nsubs && !s; k++)
			if (strcmp(c->subs[k]->name, name->u.s.p) == 0)
				s = c->subs[k];
		if (!s && (s = local_dep(h, c, d, depth)) != NULL) {
			if (strcmp(s->name, name->u.s.p) != 0) { /* another chart at that path: not this dependency */
				s = NULL;
			} else
				add_sub(h, c, s);
		}
		if (!s) {
			tm_loc l = c->dep_loc ? c->dep_loc[i] : (tm_loc){NULL, 0, 0, NULL};
			const char *at = join(h, c->disp, "Chart.yaml");
			if (!nmissing++)
				first = (tm_loc){at, l.line, l.col, NULL};
			tm_strbuf_printf(&missing, "%s\"%s\"", nmissing == 1 ? "" : ", ", name->u.s.p);
			if (!depth) { /* its values' defaults are in the archive the network has */
				const char *key = alias && alias->k == TM_GV_STR && alias->u.s.n ? alias->u.s.p : name->u.s.p;
				h->missing_keys = !h->missing_keys ? key : tm_arena_printf(h->a, "%s, %s", h->missing_keys, key);
			}
			if (!h->missing) {
				h->missing = name->u.s.p;
				h->missing_at = (tm_loc){at, l.line, l.col, NULL};
			} else if (!listed(h->missing, name->u.s.p))
				h->missing = tm_arena_printf(h->a, "%s, %s", h->missing, name->u.s.p);
			continue;
		}
		if (alias && alias->k == TM_GV_STR && alias->u.s.n) {
			s->name = alias->u.s.p;
			/* Helm renames the copy: .Chart.Name follows the alias */
			tm_gv_dict_set(h->a, s->meta.u.d, "Name", 4, *alias);
		}
	}
	if (nmissing == 1)
		diag_at(h, TM_EREMOTE, TM_LEVEL_NOTE, first.path, first.line, first.col,
			"dependency %s is declared but not vendored in charts/: not rendered", missing.data);
	else if (nmissing && !missing.oom)
		diag_at(h, TM_EREMOTE, TM_LEVEL_NOTE, first.path, first.line, first.col, "%s",
			tm_arena_printf(h->a, "%zu dependencies are declared but not vendored in charts/: %s; not rendered",
					nmissing, missing.data));
	tm_strbuf_dispose(&missing);
}

static chart *load_chart(H *h, const char *dir, const char *disp, const char *parent_full, const char *prefix,
			 int depth)
{
	if (depth > MAX_CHART_DEPTH) {
		diag(h, TM_ELIMIT, TM_LEVEL_WARNING, disp, "subcharts nest too deep%s", NULL);
		return NULL;
	}
	const char *cy = join(h, dir, "Chart.yaml");
	const char *cydisp = join(h, disp, "Chart.yaml");
	char *text = NULL;
	size_t len = 0;
	if (!cy || !cydisp || read_file(h, cy, cydisp, &text, &len) < 0)
		return NULL;
	tm_file *f = NULL;
	char mask[2];
	tm_gt__mask(text, len, mask);
	int prc = tm_file_parse(&f, cydisp, text, len, &h->lim, h->diags);
	if (prc < 0 || !f || !tm_file_doc_count(f) || tm_value_kind_of(tm_file_doc(f, 0)) != TM_VALUE_MAP) {
		tm_file_free(f);
		/* a parse error says itself where it starts; a mapping it is not is this */
		if (prc < 0)
			diag(h, TM_EPARSE, TM_LEVEL_NOTE, cydisp, "the chart is not rendered: its Chart.yaml does not parse%s", NULL);
		else
			diag(h, TM_EPARSE, TM_LEVEL_ERROR, cydisp, "not a chart: Chart.yaml is not a mapping%s", NULL);
		return NULL;
	}
	chart *c = tm_arena_alloc(h->a, sizeof(*c));
	if (!c) {
		tm_file_free(f);
		return NULL;
	}
	const tm_value *root = tm_file_doc(f, 0);
	c->meta = chart_meta(h, root);
	const tm_value *deps = tm_map_get(root, "dependencies");
	c->deps = tm_gv_from_value(h->a, deps, 0);
	if (tm_value_kind_of(deps) == TM_VALUE_SEQ && (c->dep_loc = tm_arena_alloc(h->a, (tm_value_len(deps) + 1) * sizeof(tm_loc))))
		for (size_t i = 0; i < tm_value_len(deps); i++) {
			const tm_value *d = tm_seq_at(deps, i);
			const tm_value *nm = tm_map_get(d, "name");
			c->dep_loc[i] = tm_value_loc(f, nm ? nm : d);
		}
	const char *nm = tm_map_get_str(root, "name");
	c->name = tm_arena_strdup(h->a, nm && *nm ? nm : "chart");
	if (c->name && tm_hmap_put(&h->charts, c->name, strlen(c->name), (void *)c->name) < 0)
		tm_arena_set_failed(h->a);
	tm_file_free(f);
	c->dir = dir;
	c->disp = disp;
	c->prefix = prefix;
	c->fs = h->fs;
	c->full = parent_full ? join(h, join(h, parent_full, "charts"), c->name) : c->name;
	/* Helm v2 charts list dependencies in requirements.yaml */
	if (c->deps.k != TM_GV_LIST) {
		const char *rq = join(h, dir, "requirements.yaml");
		char *rt = NULL;
		size_t rl = 0;
		if (rq && h->fs->kind(h->fs, rq) == TM_FSYS_FILE && read_file(h, rq, join(h, disp, "requirements.yaml"), &rt, &rl) == 0) {
			tm_gv r = parse_yaml(h, rt, rl, join(h, disp, "requirements.yaml"));
			tm_gv *d = r.k == TM_GV_DICT ? tm_gv_dict_get(r.u.d, "dependencies", 12) : NULL;
			if (d)
				c->deps = *d;
		}
	}
	const char *vy = join(h, dir, "values.yaml");
	char *vt = NULL;
	size_t vl = 0;
	if (vy && read_file(h, vy, join(h, disp, "values.yaml"), &vt, &vl) == 0)
		c->defaults = parse_yaml(h, vt, vl, join(h, disp, "values.yaml"));
	if (c->defaults.k != TM_GV_DICT)
		c->defaults = tm_gv_dict_new(h->a);
	/* templates/ and the chart's other files */
	size_t cap = 0;
	walk(h, dir, c->prefix, "templates", &c->tmpls, &c->ntmpls, &cap, 0);
	cfile *all = NULL;
	size_t nall = 0, acap = 0;
	walk(h, dir, c->prefix, "", &all, &nall, &acap, 0);
	for (size_t i = 0; i < nall; i++) {
		const char *r = all[i].rel;
		if (strncmp(r, "templates/", 10) == 0 || strncmp(r, "charts/", 7) == 0 || !strcmp(r, "Chart.yaml") ||
		    !strcmp(r, "values.yaml") || !strcmp(r, "requirements.yaml") || !strcmp(r, "requirements.lock") ||
		    !strcmp(r, "Chart.lock") || !strcmp(r, "values.schema.json") || !strcmp(r, ".helmignore"))
			continue;
		all[c->nfiles++] = all[i];
	}
	c->files = all;
	if (c->ntmpls)
		qsort(c->tmpls, c->ntmpls, sizeof(cfile), cfile_cmp);
	if (c->nfiles)
		qsort(c->files, c->nfiles, sizeof(cfile), cfile_cmp);
	load_subcharts(h, c, depth);
	match_deps(h, c, depth);
	return c;
}

/* ---- .Files and .Capabilities ---- */

typedef struct {
	H *h;
	chart *c;
	size_t *idx; /* a Glob's subset of c->files; NULL: all */
	size_t n;
} files_obj;

static cfile *files_get(files_obj *fo, const char *name)
{
	for (size_t i = 0; i < (fo->idx ? fo->n : fo->c->nfiles); i++) {
		cfile *f = &fo->c->files[fo->idx ? fo->idx[i] : i];
		if (strcmp(f->rel, name) == 0) {
			if (!f->read && !f->failed) {
				const char *p = join(fo->h, fo->c->dir, f->rel);
				if (!p || read_file_fs(fo->h, fo->c->fs, p, join(fo->h, fo->c->disp, f->rel), &f->data, &f->len) < 0)
					f->failed = true;
				else
					f->read = true;
			}
			return f->read ? f : NULL;
		}
	}
	return NULL;
}

/* gobwas/glob with '/' as separator: * within a segment, ** across, ?, [...], {a,b}. */
static bool glob_match(const char *p, const char *s, int depth)
{
	if (depth > 64)
		return false;
	while (*p) {
		if (p[0] == '*' && p[1] == '*') {
			p += 2;
			for (const char *t = s;; t++) {
				if (glob_match(p, t, depth + 1))
					return true;
				if (!*t)
					return false;
			}
		}
		if (*p == '*') {
			p++;
			for (const char *t = s;; t++) {
				if (glob_match(p, t, depth + 1))
					return true;
				if (!*t || *t == '/')
					return false;
			}
		}
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (!close)
				return false;
			const char *alt = p + 1;
			while (alt <= close) {
				const char *e = alt;
				while (e < close && *e != ',')
					e++;
				char buf[512];
				int bl = tm_formatf(buf, sizeof(buf), "%.*s%s", (int)(e - alt), alt, close + 1);
				if (bl > 0 && (size_t)bl < sizeof(buf) && glob_match(buf, s, depth + 1))
					return true;
				alt = e + 1;
			}
			return false;
		}
		if (!*s)
			return false;
		if (*p == '?') {
			if (*s == '/')
				return false;
		} else if (*p == '[') {
			const char *q = p + 1;
			bool neg = *q == '!' || *q == '^';
			if (neg)
				q++;
			bool hit = false;
			while (*q && *q != ']') {
				if (q[1] == '-' && q[2] && q[2] != ']') {
					hit |= *s >= q[0] && *s <= q[2];
					q += 3;
				} else
					hit |= *q++ == *s;
			}
			if (!*q || hit == neg)
				return false;
			p = q;
		} else if (*p == '\\' && p[1]) {
			if (*++p != *s)
				return false;
		} else if (*p != *s)
			return false;
		p++;
		s++;
	}
	return !*s;
}

static int files_call(tm_gt_exec *x, const tm_gv_obj *o, const char *name, const tm_gv *args, size_t nargs,
		      tm_gv *out);

/* range over .Files (or a Glob of it): path -> content (Go gives []byte; the text here). */
static int files_entries(tm_gt_exec *x, const tm_gv_obj *o, tm_gv *out)
{
	files_obj *fo = o->data;
	*out = tm_gv_dict_new(x->a);
	size_t total = fo->idx ? fo->n : fo->c->nfiles;
	for (size_t i = 0; out->k && i < total; i++) {
		const char *rel = fo->c->files[fo->idx ? fo->idx[i] : i].rel;
		cfile *f = files_get(fo, rel);
		tm_gv_dict_set(x->a, out->u.d, rel, strlen(rel), f ? tm_gv_str_take(f->data, f->len) : tm_gv_str_take("", 0));
	}
	return out->k ? 0 : tm_gt__fail(x, TM_ENOMEM, "out of memory");
}

static tm_gv files_value(H *h, chart *c, size_t *idx, size_t n)
{
	tm_gv v = tm_gv_nil();
	files_obj *fo = tm_arena_alloc(h->a, sizeof(*fo));
	tm_gv_obj *o = tm_arena_alloc(h->a, sizeof(*o));
	if (!fo || !o)
		return v;
	fo->h = h;
	fo->c = c;
	fo->idx = idx;
	fo->n = n;
	o->type_name = "engine.files";
	o->call = files_call;
	o->entries = files_entries;
	o->data = fo;
	v.k = TM_GV_OBJ;
	v.u.o = o;
	return v;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static int files_call(tm_gt_exec *x, const tm_gv_obj *o, const char *name, const tm_gv *args, size_t nargs,
		      tm_gv *out)
{
	files_obj *fo = o->data;
	H *h = fo->h;
	tm_gv arg = nargs ? tm_gv_to_string(x->a, args[0]) : tm_gv_str_take("", 0);
	size_t total = fo->idx ? fo->n : fo->c->nfiles;
	if (!strcmp(name, "Get") || !strcmp(name, "GetBytes") || !strcmp(name, "Lines")) {
		if (nargs != 1)
			return tm_gt__fail(x, TM_EINVALID, "wrong number of args for %s: want 1 got %zu", name, nargs);
		cfile *f = files_get(fo, arg.u.s.p);
		tm_gv s = f ? tm_gv_str_take(f->data, f->len) : tm_gv_str_take("", 0);
		if (strcmp(name, "Lines")) {
			*out = s;
			return 0;
		}
		*out = tm_gv_list_new(x->a, 0);
		const char *p = s.u.s.p, *e = p + s.u.s.n;
		while (p < e) {
			const char *nl = memchr(p, '\n', (size_t)(e - p));
			const char *le = nl ? nl : e;
			tm_gv_list_push(x->a, *out, tm_gv_str(x->a, p, (size_t)(le - p)));
			p = nl ? nl + 1 : e;
		}
		return 0;
	}
	if (!strcmp(name, "Glob")) {
		size_t *idx = tm_arena_alloc(x->a, (total + 1) * sizeof(size_t));
		size_t n = 0;
		if (!idx)
			return tm_gt__fail(x, TM_ENOMEM, "out of memory");
		for (size_t i = 0; i < total; i++) {
			size_t k = fo->idx ? fo->idx[i] : i;
			if (glob_match(arg.u.s.p, fo->c->files[k].rel, 0))
				idx[n++] = k;
		}
		*out = files_value(h, fo->c, idx, n);
		return 0;
	}
	if (!strcmp(name, "AsConfig") || !strcmp(name, "AsSecrets")) {
		bool secret = name[2] == 'S';
		tm_gv d = tm_gv_dict_new(x->a);
		for (size_t i = 0; d.k && i < total; i++) {
			size_t k = fo->idx ? fo->idx[i] : i;
			cfile *f = files_get(fo, fo->c->files[k].rel);
			const char *b = base_name(fo->c->files[k].rel);
			tm_gv s = f ? tm_gv_str_take(f->data, f->len) : tm_gv_str_take("", 0);
			if (secret) {
				const tm_gt_func *b64 = tm_gt__func(tm_gt__func_index("b64enc", 6));
				if (b64->fn(x, &s, 1, &s) < 0)
					return -1;
			}
			tm_gv_dict_set(x->a, d.u.d, b, strlen(b), s);
		}
		tm_strbuf sb = TM_STRBUF_INIT;
		if (d.k && d.u.d->n)
			tm_gv_to_yaml(&sb, d);
		*out = tm_gv_str(x->a, sb.data ? sb.data : "", sb.len);
		tm_strbuf_dispose(&sb);
		return 0;
	}
	return tm_gt__fail(x, TM_EINVALID, "can't evaluate field %s in type engine.files", name);
}

/* What client-go's scheme registers (Helm's DefaultVersionSet), group/versions and the kinds
 * charts ask about. */
static const char *const api_versions[] = {
	"v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1beta1",
	"apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1", "apiregistration.k8s.io/v1",
	"apps/v1", "apps/v1beta1", "apps/v1beta2", "authentication.k8s.io/v1", "authentication.k8s.io/v1beta1",
	"authorization.k8s.io/v1", "authorization.k8s.io/v1beta1", "autoscaling/v1", "autoscaling/v2",
	"autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1", "batch/v1beta1", "certificates.k8s.io/v1",
	"certificates.k8s.io/v1beta1", "coordination.k8s.io/v1", "coordination.k8s.io/v1beta1",
	"discovery.k8s.io/v1", "discovery.k8s.io/v1beta1", "events.k8s.io/v1", "events.k8s.io/v1beta1",
	"extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta3",
	"networking.k8s.io/v1", "networking.k8s.io/v1beta1", "node.k8s.io/v1", "node.k8s.io/v1beta1",
	"policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1",
	"scheduling.k8s.io/v1", "scheduling.k8s.io/v1beta1", "storage.k8s.io/v1", "storage.k8s.io/v1beta1",
	"v1/ConfigMap", "v1/Secret", "v1/Service", "v1/Pod", "v1/Namespace", "v1/ServiceAccount",
	"v1/PersistentVolumeClaim", "apps/v1/Deployment", "apps/v1/StatefulSet", "apps/v1/DaemonSet",
	"batch/v1/Job", "batch/v1/CronJob", "batch/v1beta1/CronJob", "networking.k8s.io/v1/Ingress",
	"networking.k8s.io/v1/IngressClass", "networking.k8s.io/v1/NetworkPolicy", "networking.k8s.io/v1beta1/Ingress",
	"extensions/v1beta1/Ingress", "policy/v1/PodDisruptionBudget", "policy/v1beta1/PodDisruptionBudget",
	"policy/v1beta1/PodSecurityPolicy", "autoscaling/v2/HorizontalPodAutoscaler",
	"autoscaling/v2beta1/HorizontalPodAutoscaler", "autoscaling/v2beta2/HorizontalPodAutoscaler",
	"autoscaling/v1/HorizontalPodAutoscaler", "rbac.authorization.k8s.io/v1/Role",
	"rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/RoleBinding",
	"rbac.authorization.k8s.io/v1/ClusterRoleBinding", "storage.k8s.io/v1/StorageClass",
	"admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
	"admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
	"apiextensions.k8s.io/v1/CustomResourceDefinition", "scheduling.k8s.io/v1/PriorityClass",
	"discovery.k8s.io/v1/EndpointSlice", NULL};

static int apiversions_call(tm_gt_exec *x, const tm_gv_obj *o, const char *name, const tm_gv *args,
			    size_t nargs, tm_gv *out)
{
	(void)o;
	if (strcmp(name, "Has") == 0 && nargs == 1) {
		tm_gv s = tm_gv_to_string(x->a, args[0]);
		bool hit = false;
		for (const char *const *v = api_versions; *v && !hit; v++)
			hit = strcmp(*v, s.u.s.p) == 0;
		*out = tm_gv_bool(hit);
		return 0;
	}
	return tm_gt__fail(x, TM_EINVALID, "can't evaluate field %s in type chartutil.VersionSet", name);
}

static int kubeversion_call(tm_gt_exec *x, const tm_gv_obj *o, const char *name, const tm_gv *args,
			    size_t nargs, tm_gv *out)
{
	(void)args;
	tm_gv *v = tm_gv_dict_get(o->data, name, strlen(name));
	if (!v || nargs)
		return tm_gt__fail(x, TM_EINVALID, "can't evaluate field %s in type chartutil.KubeVersion", name);
	*out = *v;
	return 0;
}

static void set_str(H *h, tm_gv d, const char *k, const char *v)
{
	tm_gv_dict_set(h->a, d.u.d, k, strlen(k), tm_gv_strz(h->a, v));
}

static void make_globals(H *h)
{
	const tm_helm_opts *o = h->o;
	h->release = tm_gv_dict_new(h->a);
	if (h->release.k) {
		set_str(h, h->release, "Name", o->release_name ? o->release_name : "release-name");
		set_str(h, h->release, "Namespace", o->release_namespace ? o->release_namespace : "default");
		set_str(h, h->release, "Service", "Helm");
		tm_gv_dict_set(h->a, h->release.u.d, "IsInstall", 9, tm_gv_bool(true));
		tm_gv_dict_set(h->a, h->release.u.d, "IsUpgrade", 9, tm_gv_bool(false));
		tm_gv_dict_set(h->a, h->release.u.d, "Revision", 8, tm_gv_int(1));
	}
	h->caps = tm_gv_dict_new(h->a);
	tm_gv kv = tm_gv_dict_new(h->a);
	tm_gv_obj *api = tm_arena_alloc(h->a, sizeof(*api));
	if (!h->caps.k || !kv.k || !api)
		return;
	set_str(h, kv, "Version", "v1.30.0");
	set_str(h, kv, "GitVersion", "v1.30.0");
	set_str(h, kv, "Major", "1");
	set_str(h, kv, "Minor", "30");
	/* chartutil.KubeVersion: fields, the GitVersion method, and String() when printed */
	tm_gv_obj *ko = tm_arena_alloc(h->a, sizeof(*ko));
	if (ko) {
		ko->type_name = "chartutil.KubeVersion";
		ko->call = kubeversion_call;
		ko->data = kv.u.d;
		ko->str = "v1.30.0";
		tm_gv kvo = tm_gv_nil();
		kvo.k = TM_GV_OBJ;
		kvo.u.o = ko;
		tm_gv_dict_set(h->a, h->caps.u.d, "KubeVersion", 11, kvo);
	}
	api->type_name = "chartutil.VersionSet";
	api->call = apiversions_call;
	tm_gv av = tm_gv_nil();
	av.k = TM_GV_OBJ;
	av.u.o = api;
	tm_gv_dict_set(h->a, h->caps.u.d, "APIVersions", 11, av);
	tm_gv hv = tm_gv_dict_new(h->a);
	if (hv.k) {
		set_str(h, hv, "Version", "v3.15.0");
		tm_gv_dict_set(h->a, h->caps.u.d, "HelmVersion", 11, hv);
	}
}

/* ---- rendering ---- */

typedef struct {
	chart *c;
	cfile *f;
	const char *name; /* Helm's template name */
	const char *disp;
	tm_gt_tmpl *t;
} job;

static size_t slashes(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '/';
	return n;
}

/* Helm's sortTemplates: most path separators first, then reverse lexical. */
static int job_cmp(const void *a, const void *b)
{
	const job *p = a, *q = b;
	size_t sp = slashes(p->name), sq = slashes(q->name);
	if (sp != sq)
		return sp > sq ? -1 : 1;
	return -strcmp(p->name, q->name);
}

static void collect(H *h, chart *c, job **jobs, size_t *n, size_t *cap)
{
	if (c->disabled)
		return;
	tm_gv *type = c->meta.k == TM_GV_DICT ? tm_gv_dict_get(c->meta.u.d, "Type", 4) : NULL;
	bool library = type && type->k == TM_GV_STR && strcmp(type->u.s.p, "library") == 0;
	for (size_t i = 0; i < c->ntmpls; i++) {
		if (library && base_name(c->tmpls[i].rel)[0] != '_') /* a library chart only defines */
			continue;
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 64;
			job *nj = tm_arena_alloc(h->a, nc * sizeof(*nj));
			if (!nj)
				return;
			if (*n)
				memcpy(nj, *jobs, *n * sizeof(*nj));
			*jobs = nj;
			*cap = nc;
		}
		job *j = &(*jobs)[(*n)++];
		j->c = c;
		j->f = &c->tmpls[i];
		j->name = join(h, c->full, c->tmpls[i].rel);
		j->disp = join(h, c->disp, c->tmpls[i].rel);
		j->t = NULL;
	}
	for (size_t i = 0; i < c->nsubs; i++)
		collect(h, c->subs[i], jobs, n, cap);
}

/* A chart's top-level objects (Helm's recAllTpls): .Chart, .Release, .Capabilities, .Values,
 * .Files and .Subcharts (each enabled subchart's own such map, by name). depth bounds it. */
static tm_gv chart_values(H *h, chart *c, int depth)
{
	if (c->dot.k)
		return c->dot;
	tm_gv d = tm_gv_dict_new(h->a);
	if (!d.k)
		return d;
	tm_gv_dict_set(h->a, d.u.d, "Chart", 5, c->meta);
	tm_gv_dict_set(h->a, d.u.d, "Release", 7, h->release);
	tm_gv_dict_set(h->a, d.u.d, "Capabilities", 12, h->caps);
	tm_gv_dict_set(h->a, d.u.d, "Values", 6, c->values.k ? c->values : tm_gv_dict_new(h->a));
	tm_gv_dict_set(h->a, d.u.d, "Files", 5, files_value(h, c, NULL, 0));
	tm_gv subs = tm_gv_dict_new(h->a);
	for (size_t i = 0; subs.k && i < c->nsubs && depth < MAX_CHART_DEPTH; i++)
		if (!c->subs[i]->disabled)
			tm_gv_dict_set(h->a, subs.u.d, c->subs[i]->name, strlen(c->subs[i]->name),
				       chart_values(h, c->subs[i], depth + 1));
	tm_gv_dict_set(h->a, d.u.d, "Subcharts", 9, subs);
	c->dot = d;
	return d;
}

/* The dot of one template: its chart's objects and .Template. */
static tm_gv render_values(H *h, const job *j)
{
	tm_gv base = chart_values(h, j->c, 0);
	tm_gv d = tm_gv_dict_new(h->a);
	if (!d.k || !base.k)
		return d;
	for (size_t i = 0; i < base.u.d->n; i++)
		tm_gv_dict_set(h->a, d.u.d, base.u.d->key[i], base.u.d->klen[i], base.u.d->val[i]);
	tm_gv t = tm_gv_dict_new(h->a);
	if (t.k) {
		set_str(h, t, "Name", j->name);
		set_str(h, t, "BasePath", join(h, j->c->full, "templates"));
	}
	tm_gv_dict_set(h->a, d.u.d, "Template", 8, t);
	return d;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

static int man_cmp(const void *a, const void *b)
{
	return strcmp(((const tm_helm_manifest *)a)->path, ((const tm_helm_manifest *)b)->path);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A template under templates/tests/: a `helm test` hook, run on demand, no object of the release. */
static bool test_hook(const char *rel)
{
	return strncmp(rel, "templates/tests/", 16) == 0;
}

static int emit_manifest(H *h, tm_helm_out *res, size_t *cap, const job *j, tm_gt_out *go)
{
	if (blank(go->text.data ? go->text.data : "", go->text.len))
		return 0;
	if (res->count == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		tm_helm_manifest *nm = tm_arena_alloc(res->arena, nc * sizeof(*nm));
		if (!nm)
			return TM_ENOMEM;
		if (res->count)
			memcpy(nm, res->manifests, res->count * sizeof(*nm));
		res->manifests = nm;
		*cap = nc;
	}
	tm_helm_manifest *m = &res->manifests[res->count++];
	m->path = tm_arena_strdup(res->arena, j->disp);
	m->text = tm_arena_strndup(res->arena, go->text.data, go->text.len);
	m->len = go->text.len;
	m->nlines = go->nlines;
	const char **lp = tm_arena_alloc(res->arena, (go->nlines + 1) * sizeof(*lp));
	uint32_t *ln = tm_arena_alloc(res->arena, (go->nlines + 1) * sizeof(*ln));
	if (!m->path || !m->text || !lp || !ln)
		return TM_ENOMEM;
	/* the paths point into the set's arena, which dies with h: intern them in res's arena */
	for (size_t i = 0; i < go->nlines; i++) {
		lp[i] = i && go->paths[i] == go->paths[i - 1] ? lp[i - 1] : tm_arena_strdup(res->arena, go->paths[i]);
		ln[i] = go->lines[i];
	}
	m->line_paths = lp;
	m->lines = ln;
	const char *r = j->f->rel;
	m->test_hook = test_hook(r);
	(void)h;
	return 0;
}

/* A template no file defines, in a chart missing a dependency: what stands in, recorded. The
 * templates of a chart that is loaded (the chart's own "web.fullname", a vendored subchart's
 * "mariadb.name") are that chart's to define: one it lacks is an error, as Helm says it, not a
 * stand-in. */
static int stand_in(tm_gt_exec *x, const char *name, size_t n, tm_gv dot, tm_strbuf *sb)
{
	const tm_gt_set *s = x->set;
	while (s->parent)
		s = s->parent;
	H *h = s->host;
	if (!h || !h->missing)
		return 1;
	const char *dot_at = memchr(name, '.', n);
	if (dot_at && dot_at > name && tm_hmap_get(&h->charts, name, (size_t)(dot_at - name)) &&
	    !listed_n(h->missing, name, (size_t)(dot_at - name)))
		return 1;
	bool ns = false;
	int cls = tm_helm__stand_in(x, name, n, dot, h->cur_dot, sb, &ns);
	if (cls < 0)
		return -1;
	if (ns && h->set.watch_hit)
		*h->set.watch_hit = true;
	if (tm_hmap_get(&h->stood, name, n))
		return 0;
	const char *copy = tm_arena_strndup(h->a, name, n);
	if (!copy || TM_GROW(h->si[cls], h->capsi[cls], h->nsi[cls] + 1) ||
	    tm_hmap_put(&h->stood, copy, n, (void *)copy) < 0)
		return tm_gt__fail(x, TM_ENOMEM, "out of memory");
	h->si[cls][h->nsi[cls]++] = copy;
	return 0;
}

/* The first names of a list in order, and how many more. */
static void put_names(tm_strbuf *sb, const char **names, size_t n)
{
	qsort(names, n, sizeof(*names), str_cmp);
	size_t shown = 0;
	/* three at most, and none past what a diagnostic keeps (TM_DIAG_MSG_MAX, with room for the
	 * other lists' counts): the note is cut at no name */
	for (; shown < n && shown < 3 && sb->len + strlen(names[shown]) < (shown ? 440u : 495u); shown++)
		tm_strbuf_printf(sb, "%s%s", shown ? ", " : "", names[shown]);
	if (!shown)
		tm_strbuf_printf(sb, "%zu template%s", n, n == 1 ? "" : "s");
	else if (n > shown)
		tm_strbuf_printf(sb, " and %zu more", n - shown);
}

/* One note per render: which templates stood in, and how. */
static void stand_in_note(H *h)
{
	static const char *const how[TM_HELM_SI_CLASSES] = {
		[TM_HELM_SI_CONVENTION] = "names, labels and API versions by Helm's conventions",
		[TM_HELM_SI_GIVEN] = "values, images and secret names as the chart passes them",
		[TM_HELM_SI_NOTHING] = "nothing",
	};
	size_t total = 0;
	for (int c = 0; c < TM_HELM_SI_CLASSES; c++)
		total += h->nsi[c];
	if (!total)
		return;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_printf(&sb, "%zu template%s of what the chart declares but does not vendor (%s) stood in; vendor the "
			 "dependencies (helm dependency build) and scan again to read what they write. What stood in: ",
			 total, total == 1 ? "" : "s", h->missing);
	bool first = true;
	for (int c = 0; c < TM_HELM_SI_CLASSES; c++) {
		if (!h->nsi[c])
			continue;
		tm_strbuf_printf(&sb, "%s%s (", first ? "" : "; ", how[c]);
		put_names(&sb, h->si[c], h->nsi[c]);
		tm_strbuf_putc(&sb, ')');
		first = false;
	}
	if (!sb.oom)
		diag_at(h, 0, TM_LEVEL_NOTE, h->missing_at.path, h->missing_at.line, h->missing_at.col, "%s", sb.data);
	tm_strbuf_dispose(&sb);
}

static int render_all(H *h, chart *top, tm_helm_out *res)
{
	job *jobs = NULL;
	size_t n = 0, cap = 0, mcap = 0;
	collect(h, top, &jobs, &n, &cap);
	if (n > 1)
		qsort(jobs, n, sizeof(job), job_cmp);
	for (size_t i = 0; i < n; i++) {
		char *text = jobs[i].f->data;
		size_t len = jobs[i].f->len;
		const char *p = join(h, jobs[i].c->dir, jobs[i].f->rel);
		if (!jobs[i].f->read && (jobs[i].f->failed || !p || read_file_fs(h, jobs[i].c->fs, p, jobs[i].disp, &text, &len) < 0))
			continue;
		if (tm_utf8_check((const unsigned char *)text, len) != len) {
			diag(h, TM_EINVALID, TM_LEVEL_ERROR, jobs[i].disp, "template is not valid UTF-8%s", NULL);
			continue;
		}
		int rc = tm_gt_parse(&h->set, jobs[i].name, jobs[i].disp, text, len, &jobs[i].t);
		if (rc == TM_ENOMEM)
			return rc;
	}
	tm_gt_limits gl;
	tm_gt_limits_default(&gl);
	if (h->lim.max_file_bytes && h->lim.max_file_bytes < gl.max_output)
		gl.max_output = h->lim.max_file_bytes;
	/* steps: half the file limit, between 1 and 20 million; memory for the whole chart: 16 times
	 * the file limit, between 64 MiB and 1 GiB */
	if (h->lim.max_file_bytes) {
		size_t st = h->lim.max_file_bytes / 2;
		gl.max_steps = st < 1000000 ? 1000000 : st > gl.max_steps ? gl.max_steps : st;
	}
	if (h->lim.max_file_bytes) {
		size_t m = h->lim.max_file_bytes * 16;
		gl.max_memory = m < ((size_t)64 << 20) ? (size_t)64 << 20 : m > gl.max_memory ? gl.max_memory : m;
	}
	for (size_t i = 0; i < n; i++) {
		const job *j = &jobs[i];
		const char *b = base_name(j->f->rel);
		if (!j->t || b[0] == '_' || strcmp(b, "NOTES.txt") == 0)
			continue;
		tm_gt_out go;
		memset(&go, 0, sizeof(go));
		tm_gv dot = render_values(h, j);
		h->cur_dot = dot;
		/* a `helm test` hook is no part of the release's objects: what it reads does not count */
		bool hook = test_hook(j->f->rel);
		bool read_before = h->set.watch_hit && *h->set.watch_hit;
		size_t nreq = h->nreq, req_more = h->req_more;
		h->cur_file = j->disp;
		int rc = tm_gt_execute(&h->set, j->t, dot, &gl, &go);
		if (hook && h->set.watch_hit)
			*h->set.watch_hit = read_before;
		if (rc) { /* the file is left out: no placeholder of its was rendered */
			h->nreq = nreq;
			h->req_more = req_more;
		}
		if (rc == 0)
			rc = emit_manifest(h, res, &mcap, j, &go);
		else if (rc != TM_ENOMEM)
			rc = 0;
		tm_gt_out_dispose(&go);
		if (rc < 0)
			return rc;
	}
	if (res->count > 1)
		qsort(res->manifests, res->count, sizeof(tm_helm_manifest), man_cmp);
	stand_in_note(h);
	return 0;
}

/* A --set value as Helm's strvals types it: true/false/null (any case), an integer not written
 * with a leading 0 (int64), else the string; --set-string keeps the string. */
static tm_gv set_value(H *h, const char *v, bool as_string)
{
	if (as_string)
		return tm_gv_strz(h->a, v);
	if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0)
		return tm_gv_bool(strcasecmp(v, "true") == 0);
	if (strcasecmp(v, "null") == 0)
		return tm_gv_nil();
	if (strcmp(v, "0") == 0)
		return tm_gv_int64(0);
	if (*v && *v != '0') {
		char *end = NULL;
		errno = 0;
		long long n = strtoll(v, &end, 10);
		if (!errno && end && !*end && (isdigit((unsigned char)*v) || ((*v == '-' || *v == '+') && v[1])))
			return tm_gv_int64(n);
	}
	return tm_gv_strz(h->a, v);
}

#define MAX_SET_INDEX 65536 /* Helm's own bound on a --set list index */

/* One --set into the values: name a path of keys (a '.' between them, "\." a dot in one) each
 * with [N] list indices; maps and lists along it made as needed, a list padded with nulls. 0,
 * TM_ENOMEM, or 1 for a name Helm would refuse too (the caller says so). */
static int set_path(H *h, tm_gv_dict *root, const tm_helm_set *st)
{
	tm_gv *slot = NULL;      /* where the value goes */
	tm_gv_dict *d = root;    /* the map the next key is in */
	const char *p = st->name;
	char key[256];
	while (*p) {
		size_t kl = 0;
		for (; *p && *p != '.' && *p != '['; p++) {
			if (*p == '\\' && p[1])
				p++;
			if (kl + 1 >= sizeof(key))
				return 1;
			key[kl++] = *p;
		}
		key[kl] = '\0';
		if (!kl || !d)
			return 1;
		slot = tm_gv_dict_get(d, key, kl);
		if (!slot) {
			if (tm_gv_dict_set(h->a, d, key, kl, tm_gv_nil()) < 0 || !(slot = tm_gv_dict_get(d, key, kl)))
				return TM_ENOMEM;
		}
		while (*p == '[') {
			char *end = NULL;
			long idx = strtol(p + 1, &end, 10);
			if (!end || *end != ']' || end == p + 1 || idx < 0 || idx >= MAX_SET_INDEX)
				return 1;
			p = end + 1;
			if (slot->k != TM_GV_LIST && (*slot = tm_gv_list_new(h->a, (size_t)idx + 1)).k != TM_GV_LIST)
				return TM_ENOMEM;
			while (slot->u.l->n <= (size_t)idx)
				if (tm_gv_list_push(h->a, *slot, tm_gv_nil()) < 0)
					return TM_ENOMEM;
			slot = &slot->u.l->it[idx];
		}
		if (*p == '.') {
			p++;
			if (slot->k != TM_GV_DICT && (*slot = tm_gv_dict_new(h->a)).k != TM_GV_DICT)
				return TM_ENOMEM;
			d = slot->u.d;
		} else if (*p) {
			return 1;
		}
	}
	if (!slot)
		return 1;
	*slot = set_value(h, st->value ? st->value : "", st->as_string);
	return 0;
}

/* Values files (tree-relative) merged into d in order, as helm -f merges them. */
static void merge_files(H *h, tm_gv_dict *d, const char *const *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *t = NULL;
		size_t l = 0;
		const char *p = files[i];
		if (read_file(h, p, p, &t, &l) < 0) {
			diag(h, TM_EIO, TM_LEVEL_ERROR, p, "values file cannot be read%s", NULL);
			continue;
		}
		tm_gv v = parse_yaml(h, t, l, p);
		if (v.k == TM_GV_DICT)
			merge_maps(h, d, v.u.d, 0);
	}
}

/* The values given on the command line's terms: the files (helm -f) in order, the maps given
 * whole, the text given, then each --set. */
static int user_values(H *h, tm_gv *out)
{
	*out = tm_gv_dict_new(h->a);
	if (!out->k)
		return TM_ENOMEM;
	merge_files(h, out->u.d, h->o->values_files, h->o->nvalues_files);
	for (size_t i = 0; i < h->o->nvalues_docs; i++) {
		tm_gv v = tm_gv_from_value(h->a, h->o->values_docs[i], 0);
		if (v.k == TM_GV_DICT)
			merge_maps(h, out->u.d, v.u.d, 0);
	}
	if (h->o->values_text) { /* read as a values file is, templates in it kept for tpl */
		char *t = tm_arena_strndup(h->a, h->o->values_text, h->o->values_text_len);
		const char *path = h->o->values_text_path ? h->o->values_text_path : "values";
		size_t before = h->diags->count;
		tm_gv v = t ? parse_yaml(h, t, h->o->values_text_len, path) : tm_gv_nil();
		for (size_t d = before; d < h->diags->count; d++) /* the text's lines: the file's */
			if (h->diags->items[d].loc.line)
				h->diags->items[d].loc.line += h->o->values_text_line;
		if (v.k == TM_GV_DICT)
			merge_maps(h, out->u.d, v.u.d, 0);
	}
	for (size_t i = 0; i < h->o->nsets; i++) {
		int rc = set_path(h, out->u.d, &h->o->sets[i]);
		if (rc == TM_ENOMEM)
			return rc;
		if (rc)
			diag(h, TM_EINVALID, TM_LEVEL_WARNING, h->o->display_dir ? h->o->display_dir : h->o->chart_dir,
			     "--set %s: not a key path helm accepts (keys joined by '.', list indices [N]): left out",
			     h->o->sets[i].name);
	}
	return tm_arena_failed(h->a) ? TM_ENOMEM : 0;
}

int tm_helm_manifest_parse(tm_file **out, const tm_helm_manifest *m, const tm_limits *limits, tm_diag_list *diags,
			   tm_arena *paths)
{
	*out = NULL;
	size_t before = diags->count;
	int rc = tm_file_parse(out, m->path, m->text, m->len, limits, diags);
	/* the parser's positions are in the rendered text: move them to the template lines, and say what
	 * the line rendered to (a value that rendered empty is the usual cause, and the column is the
	 * rendered line's) */
	const char *end = m->text + m->len;
	const char **starts = NULL; /* each rendered line's start, made at the first warning */
	for (size_t d = before; d < diags->count; d++) {
		tm_loc *l = &diags->items[d].loc;
		if (l->line && l->line <= m->nlines && m->line_paths[l->line - 1] && m->lines[l->line - 1]) {
			if (!starts && diags->items[d].level >= TM_LEVEL_WARNING &&
			    (starts = tm_arena_alloc(paths, m->nlines * sizeof(*starts))) != NULL) {
				const char *p = m->text;
				for (size_t k = 0; k < m->nlines; k++) {
					starts[k] = p;
					const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
					p = nl ? nl + 1 : end;
				}
			}
			const char *ls = starts ? starts[l->line - 1] : end;
			while (ls < end && (*ls == ' ' || *ls == '\t'))
				ls++;
			size_t n = 0;
			while (ls + n < end && ls[n] != '\n' && ls[n] != '\r' && n < 100)
				n++;
			if (n && diags->items[d].level >= TM_LEVEL_WARNING) {
				const char *msg = tm_arena_printf(paths, "%s (the template rendered the line as `%.*s%s`)",
								  diags->items[d].msg, (int)n, ls,
								  ls + n < end && ls[n] != '\n' && ls[n] != '\r' ? "..." : "");
				if (msg)
					diags->items[d].msg = msg;
			}
			l->path = tm_arena_strdup(paths, m->line_paths[l->line - 1]);
			l->line = m->lines[l->line - 1];
		}
	}
	if (rc == TM_ENOMEM || (!rc && tm_file_set_linemap(*out, m->line_paths, m->lines, m->nlines))) {
		tm_file_free(*out);
		*out = NULL;
		return TM_ENOMEM;
	}
	return rc;
}

static int req_cmp(const void *a, const void *b)
{
	const tm_helm_required *x = a, *y = b;
	int c = strcmp(x->msg, y->msg);
	if (!c)
		c = strcmp(x->at.path, y->at.path);
	if (!c)
		c = x->at.line != y->at.line ? (x->at.line < y->at.line ? -1 : 1)
		    : x->at.col != y->at.col ? (x->at.col < y->at.col ? -1 : 1) : 0;
	return c ? c : strcmp(x->file, y->file);
}

/* The required calls given no value, into the output's arena, sorted. */
static int copy_required(H *h, tm_helm_out *res)
{
	res->required_more = h->req_more;
	if (!h->nreq)
		return 0;
	tm_helm_required *r = tm_arena_alloc(res->arena, h->nreq * sizeof(*r));
	if (!r)
		return TM_ENOMEM;
	for (size_t i = 0; i < h->nreq; i++) {
		r[i].msg = tm_arena_strdup(res->arena, h->req[i].msg);
		r[i].at = h->req[i].at;
		r[i].at.path = tm_arena_strdup(res->arena, h->req[i].at.path);
		r[i].file = tm_arena_strdup(res->arena, h->req[i].file);
		if (!r[i].msg || !r[i].at.path || !r[i].file)
			return TM_ENOMEM;
	}
	qsort(r, h->nreq, sizeof(*r), req_cmp);
	res->required = r;
	res->nrequired = h->nreq;
	return 0;
}

int tm_helm_render(const tm_helm_opts *o, tm_helm_out **out)
{
	*out = NULL;
	H h;
	memset(&h, 0, sizeof(h));
	h.o = o;
	h.diags = o->diags;
	if (o->limits)
		h.lim = *o->limits;
	else
		tm_limits_default(&h.lim);
	tm_fsys disk;
	memset(&disk, 0, sizeof(disk));
	int rc = 0;
	tm_helm_out *res = NULL;
	if (o->fs)
		h.fs = o->fs;
	else {
		if ((rc = tm_fsys_disk_init(&disk, o->root ? o->root : "/")) < 0)
			return rc;
		h.fs = &disk;
	}
	h.root_fs = h.fs;
	if ((rc = tm_gt_set_init(&h.set, o->diags)) < 0)
		goto done;
	h.a = h.set.arena;
	h.set.host = &h;
	h.set.stand_in = stand_in;
	const char *cdir = o->chart_dir ? o->chart_dir : "";
	const char *disp = o->display_dir ? o->display_dir : cdir;
	const char *cy = join(&h, cdir, "Chart.yaml");
	if (!cy || h.fs->kind(h.fs, cy) != TM_FSYS_FILE) {
		rc = TM_ENOTFOUND;
		goto done;
	}
	make_globals(&h);
	/* where the objects go may hang on the namespace the release is installed into: told */
	bool reads_ns = false;
	if (h.release.k) {
		h.set.watch = h.release.u.d;
		h.set.watch_key = "Namespace";
		h.set.watch_hit = &reads_ns;
	}
	/* the top chart's .helmignore applies to every file of the tree, subcharts included */
	const char *hi = join(&h, cdir, ".helmignore");
	char *itext = NULL;
	size_t ilen = 0;
	if (hi && h.fs->kind(h.fs, hi) == TM_FSYS_FILE && read_file(&h, hi, join(&h, disp, ".helmignore"), &itext, &ilen) == 0)
		for (const char *p = itext, *e = itext + ilen; p < e;) {
			const char *nl = memchr(p, '\n', (size_t)(e - p));
			add_ignore(&h, p, nl ? (size_t)(nl - p) : (size_t)(e - p));
			p = nl ? nl + 1 : e;
		}
	add_ignore(&h, "templates/.?*", 13);
	chart *top = load_chart(&h, cdir, disp, NULL, "", 0);
	if (!top) {
		rc = tm_arena_failed(h.a) ? TM_ENOMEM : TM_EPARSE;
		goto done;
	}
	if (o->nchart_values_files) { /* the chart's own values made of these files instead */
		top->defaults = tm_gv_dict_new(h.a);
		if (top->defaults.k)
			merge_files(&h, top->defaults.u.d, o->chart_values_files, o->nchart_values_files);
	}
	/* values: once to decide conditions (with every subchart), then again without the disabled */
	tm_gv uv;
	if ((rc = user_values(&h, &uv)) < 0)
		goto done;

	tm_gv first = tm_gv_deep_copy(h.a, uv, 0);
	coalesce(&h, top, first.u.d, 0);
	apply_conditions(&h, top, first, first, 0);
	drop_missing_off(&h);
	import_values(&h, top, 0);
	coalesce(&h, top, uv.u.d, 0);
	top->values = uv;
	h.set.absent_watch = uv.u.d;
	h.set.absent = absent_value;
	h.set.absent_ud = &h;
	if (h.missing_keys && uv.k == TM_GV_DICT) {
		for (size_t i = 0; i < uv.u.d->n; i++)
			if (listed(h.missing_keys, uv.u.d->key[i]) && lenient_dicts(&h.lenient, uv.u.d->val[i], 0))
				rc = TM_ENOMEM;
		h.set.lenient = &h.lenient;
		h.set.lenient_root = uv.u.d;
		h.set.lenient_keys = h.missing_keys;
		if (rc)
			goto done;
	}
	/* a value the installer must give: rendered under a stated assumption, not the file dropped */
	h.set.required_placeholder = TM_HELM_REQUIRED_PLACEHOLDER;
	h.set.required = required_missing;
	h.set.required_ud = &h;
	res = tm_calloc(1, sizeof(*res));
	if (!res || !(res->arena = tm_arena_new())) {
		rc = TM_ENOMEM;
		goto done;
	}
	if ((rc = render_all(&h, top, res)) < 0)
		goto done;
	res->reads_release_namespace = reads_ns;
	if (h.nabsent) {
		qsort(h.absent, h.nabsent, sizeof(h.absent[0]), str_cmp);
		res->absent_values = tm_arena_alloc(res->arena, h.nabsent * sizeof(char *));
		for (size_t i = 0; res->absent_values && i < h.nabsent; i++)
			if ((res->absent_values[res->nabsent_values] = tm_arena_strdup(res->arena, h.absent[i])) != NULL)
				res->nabsent_values++;
	}
	if ((rc = copy_required(&h, res)) < 0)
		goto done;
	/* the files read */
	res->consumed = tm_arena_alloc(res->arena, (h.ncons + 1) * sizeof(char *));
	if (!res->consumed) {
		rc = TM_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < h.ncons; i++)
		if (!(res->consumed[res->nconsumed++] = tm_arena_strdup(res->arena, h.cons[i]))) {
			rc = TM_ENOMEM;
			goto done;
		}
	if (res->nconsumed > 1)
		qsort(res->consumed, res->nconsumed, sizeof(char *), str_cmp);
	if (tm_arena_failed(h.a) || tm_arena_failed(res->arena))
		rc = TM_ENOMEM;
done:
	if (rc < 0) {
		tm_helm_out_free(res);
		res = NULL;
	}
	*out = res;
	tm_hmap_dispose(&h.consumed);
	tm_hmap_dispose(&h.stood);
	tm_pset_dispose(&h.lenient);
	tm_hmap_dispose(&h.charts);
	for (int c = 0; c < TM_HELM_SI_CLASSES; c++)
		tm_free(h.si[c]);
	tm_gt_set_dispose(&h.set);
	if (!o->fs)
		tm_fsys_disk_dispose(&disk);
	return rc;
}

#define REQUIRED_MSG_SHOWN 60  /* bytes of a chart's message a note quotes */
#define REQUIRED_FILES_SHOWN 3 /* files named for a define's required, the others counted */

/* A path as the chart names it: relative to its directory. */
static const char *in_chart(const char *path, const char *dir)
{
	size_t dl = dir ? strlen(dir) : 0;
	return dl && strncmp(path, dir, dl) == 0 && path[dl] == '/' ? path + dl + 1 : path;
}

static bool same_place(const tm_helm_required *a, const tm_helm_required *b)
{
	return strcmp(a->at.path, b->at.path) == 0 && a->at.line == b->at.line && a->at.col == b->at.col;
}

/* r[0..n): one message, at one place or more, rendered for one file or more: "message" (where,
 * with the files when the action is in another; where...), the message on one line and cut at a
 * character, the files of a place at most REQUIRED_FILES_SHOWN. */
static void required_entry(tm_strbuf *sb, const tm_helm_required *r, size_t n, const char *dir)
{
	size_t len = strlen(r->msg), cut = len > REQUIRED_MSG_SHOWN ? REQUIRED_MSG_SHOWN : len;
	while (cut < len && cut && ((unsigned char)r->msg[cut] & 0xC0) == 0x80)
		cut--;
	tm_strbuf_putc(sb, '"');
	for (size_t i = 0; i < cut; i++)
		tm_strbuf_putc(sb, (unsigned char)r->msg[i] < 0x20 || r->msg[i] == 0x7f ? ' ' : r->msg[i]);
	tm_strbuf_printf(sb, "%s\" (", cut < len ? "..." : "");
	for (size_t i = 0, k = 0; i < n; i++) {
		if (!i || !same_place(&r[i], &r[i - 1])) {
			tm_strbuf_printf(sb, "%s%s:%u:%u", i ? "; " : "", in_chart(r[i].at.path, dir), r[i].at.line,
					 r[i].at.col);
			k = 0;
		}
		if (strcmp(r[i].file, r[i].at.path) == 0)
			continue;
		if (k < REQUIRED_FILES_SHOWN)
			tm_strbuf_printf(sb, "%s%s", k ? ", " : " for ", in_chart(r[i].file, dir));
		else if (i + 1 == n || !same_place(&r[i + 1], &r[i])) /* the last file of its place */
			tm_strbuf_printf(sb, " and %zu more", k + 1 - REQUIRED_FILES_SHOWN);
		k++;
	}
	tm_strbuf_putc(sb, ')');
}

void tm_helm_required_note(tm_strbuf *sb, const tm_helm_out *out, const char *dir, size_t max)
{
	static const char tail[] = "; rendered with \"" TM_HELM_REQUIRED_PLACEHOLDER "\" in their place, as if given "
				   "(helm refuses the chart)";
	const size_t more_room = sizeof(" and 99999 more") - 1;
	const tm_helm_required *r = out->required;
	size_t left = 0;
	for (size_t i = 0, n; i < out->nrequired; i += n) {
		for (n = 1; i + n < out->nrequired && strcmp(r[i + n].msg, r[i].msg) == 0; n++)
			;
		if (left) {
			left++;
			continue;
		}
		size_t mark = sb->len;
		if (i)
			tm_strbuf_puts(sb, ", ");
		required_entry(sb, &r[i], n, dir);
		/* a diagnostic's message is bounded: the values that do not fit are counted, the first
		 * always said */
		if (i && sb->len + sizeof(tail) - 1 + more_room > max) {
			if (sb->data) {
				sb->len = mark;
				sb->data[mark] = '\0';
			}
			left++;
		}
	}
	if (left + out->required_more)
		tm_strbuf_printf(sb, " and %zu more", left + out->required_more);
	tm_strbuf_puts(sb, tail);
}

void tm_helm_out_free(tm_helm_out *out)
{
	if (!out)
		return;
	tm_arena_free(out->arena);
	tm_free(out);
}
