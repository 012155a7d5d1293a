/*
 * variants.c - one finding across the deployment variants of a scan.
 *
 * A repository scanned as several systems (trustmap/scan.h) finds most things in each of them: the
 * same rule on the same subject has the same fingerprint in every variant. Writers report such a
 * finding once, with the variants it is in; a finding no system before it holds (the primary first)
 * is listed as an extra, with the system it comes from. Built once per report, linear in the
 * findings of all systems.
 */
#include <stdlib.h>

#include "report.h"

struct vlist {
	const char **names; /* NULL-terminated */
	size_t n, cap;
	size_t first;       /* the first system holding it */
	const tm_finding *f; /* as that system words it */
	bool differs;       /* another system words it otherwise (title or severity) */
};

struct tm_variants {
	tm_arena *arena;
	size_t nsys;
	const char **names;  /* each system's short name: its variant, else its name */
	tm_hmap by_fp;       /* fingerprint -> struct vlist* */
	tm_report__extra *extra;
	size_t nextra, cap_extra;
	size_t *only;        /* per system: open findings no other system holds */
};

void tm_report__variants_free(tm_variants *v)
{
	if (!v)
		return;
	tm_hmap_dispose(&v->by_fp);
	tm_free(v->extra);
	tm_free(v->only);
	tm_arena_free(v->arena);
	tm_free(v);
}

static bool open_status(const tm_finding *f)
{
	return f->status == TM_STATUS_OPEN;
}

static int extra_cmp(const void *pa, const void *pb)
{
	const tm_report__extra *a = pa, *b = pb;
	if (a->f->priority != b->f->priority)
		return a->f->priority > b->f->priority ? -1 : 1;
	if (a->system != b->system)
		return a->system < b->system ? -1 : 1;
	return strcmp(a->f->fingerprint, b->f->fingerprint);
}

int tm_report__variants_new(const tm_analysis *const *systems, size_t n, tm_variants **out)
{
	*out = NULL;
	if (n < 2)
		return 0;
	tm_variants *v = tm_calloc(1, sizeof(*v));
	if (!v || !(v->arena = tm_arena_new())) {
		tm_free(v);
		return TM_ENOMEM;
	}
	v->nsys = n;
	v->names = tm_arena_alloc(v->arena, n * sizeof(char *));
	v->only = tm_calloc(n, sizeof(size_t));
	int rc = v->names && v->only ? 0 : TM_ENOMEM;
	for (size_t s = 0; !rc && s < n; s++) {
		const char *sys = tm_analysis_system(systems[s]);
		v->names[s] = sys ? sys : tm_analysis_name(systems[s]);
		const tm_findings *fs = tm_analysis_findings(systems[s]);
		for (size_t i = 0; !rc && i < tm_findings_count(fs); i++) {
			const tm_finding *f = tm_findings_at(fs, i);
			struct vlist *l = tm_hmap_get(&v->by_fp, f->fingerprint, strlen(f->fingerprint));
			if (!l) {
				l = tm_arena_alloc(v->arena, sizeof(*l));
				if (!l || tm_hmap_put(&v->by_fp, f->fingerprint, strlen(f->fingerprint), l)) {
					rc = TM_ENOMEM;
					break;
				}
				l->first = s;
				l->f = f;
				if (s) {
					if (TM_GROW(v->extra, v->cap_extra, v->nextra + 1)) {
						rc = TM_ENOMEM;
						break;
					}
					v->extra[v->nextra++] = (tm_report__extra){f, systems[s], s};
				}
			}
			if (l->f != f && (l->f->severity != f->severity || strcmp(l->f->title, f->title) != 0))
				l->differs = true;
			/* a system names a fingerprint once (the registry keeps one finding per fingerprint) */
			if (l->n && l->names[l->n - 1] == v->names[s])
				continue;
			if (l->n + 2 > l->cap) {
				size_t cap = l->cap ? 2 * l->cap : 4;
				const char **nn = tm_arena_alloc(v->arena, cap * sizeof(char *));
				if (!nn) {
					rc = TM_ENOMEM;
					break;
				}
				if (l->n)
					memcpy(nn, l->names, l->n * sizeof(char *));
				l->names = nn;
				l->cap = cap;
			}
			l->names[l->n++] = v->names[s];
			l->names[l->n] = NULL;
		}
	}
	/* the extras by priority, as every findings list (system order among equals) */
	if (!rc && v->nextra > 1)
		qsort(v->extra, v->nextra, sizeof(*v->extra), extra_cmp);
	/* findings only one system holds, per system */
	for (size_t s = 0; !rc && s < n; s++) {
		const tm_findings *fs = tm_analysis_findings(systems[s]);
		for (size_t i = 0; i < tm_findings_count(fs); i++) {
			const tm_finding *f = tm_findings_at(fs, i);
			const struct vlist *l = tm_hmap_get(&v->by_fp, f->fingerprint, strlen(f->fingerprint));
			v->only[s] += l && l->n == 1 && open_status(f);
		}
	}
	if (rc || tm_arena_failed(v->arena)) {
		tm_report__variants_free(v);
		return TM_ENOMEM;
	}
	*out = v;
	return 0;
}

const char *const *tm_report__variants_of(const tm_variants *v, const char *fingerprint)
{
	if (!v || !fingerprint)
		return NULL;
	const struct vlist *l = tm_hmap_get(&v->by_fp, fingerprint, strlen(fingerprint));
	return l ? l->names : NULL;
}

bool tm_report__variants_differ(const tm_variants *v, const char *fingerprint)
{
	if (!v || !fingerprint)
		return false;
	const struct vlist *l = tm_hmap_get(&v->by_fp, fingerprint, strlen(fingerprint));
	return l && l->differs;
}

bool tm_report__variants_all(const tm_variants *v, const char *fingerprint)
{
	if (!v || !fingerprint)
		return true;
	const struct vlist *l = tm_hmap_get(&v->by_fp, fingerprint, strlen(fingerprint));
	return l && l->n == v->nsys;
}

size_t tm_report__variants_extra(const tm_variants *v, const tm_report__extra **out)
{
	*out = v ? v->extra : NULL;
	return v ? v->nextra : 0;
}

size_t tm_report__variants_only(const tm_variants *v, size_t system)
{
	return v && system < v->nsys ? v->only[system] : 0;
}

const char *tm_report__variant_name(const tm_variants *v, size_t system)
{
	return v && system < v->nsys ? v->names[system] : NULL;
}
