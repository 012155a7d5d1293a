/*
 * attack_paths.c - the attack paths from a position (trustmap/paths.h, tm_paths_run): one
 * reachability walk, its valuable nodes (or the one node asked for) as targets, most valuable
 * first, then nearest, then by id; each target's hops rebuilt from the walk's parent links.
 * Linear in the walk: the targets are sorted (n log n) and each chain is at most
 * TM_PATH_MAX_HOPS long.
 */
#include <stdlib.h>

#include "analyze.h"

struct tm_paths {
	tm_arena *a;
	tm_reach *r;
	const char *from, *to, *note;
	bool to_given;
	bool observed; /* the model holds observed calls: hops say declared/observed/both */
	tm_attack_path *items;
	size_t n;
};

static int target_cmp(const void *pa, const void *pb)
{
	const tm_attack_path *a = pa, *b = pb;
	if (a->value != b->value)
		return a->value > b->value ? -1 : 1;
	if (a->target->depth != b->target->depth)
		return a->target->depth < b->target->depth ? -1 : 1;
	return strcmp(tm_node_id(a->target->node), tm_node_id(b->target->node));
}

/* t's hops from the start, start first, into the arena. */
static int chain(tm_paths *p, tm_attack_path *t)
{
	const tm_hop *rev[TM_PATH_MAX_HOPS];
	size_t n = 0;
	for (const tm_hop *h = t->target; h && n < TM_PATH_MAX_HOPS; h = h->from ? tm_reach_find(p->r, h->from) : NULL)
		rev[n++] = h;
	const tm_hop **hops = tm_arena_alloc(p->a, (n + 1) * sizeof(*hops));
	if (!hops)
		return TM_ENOMEM;
	for (size_t i = 0; i < n; i++)
		hops[i] = rev[n - 1 - i];
	t->hops = hops;
	t->nhops = n;
	return 0;
}

int tm_paths_run(tm_paths **out, const tm_model *m, const char *from, const char *to, const char **why)
{
	*out = NULL;
	*why = NULL;
	tm_paths *p = tm_calloc(1, sizeof(*p));
	if (!p || !(p->a = tm_arena_new())) {
		tm_free(p);
		return TM_ENOMEM;
	}
	*out = p;
	p->from = tm_arena_strdup(p->a, from);
	p->to = tm_arena_strdup(p->a, to);
	p->to_given = to != NULL;
	p->observed = tm_model_has_observed(m);
	int rc = tm_reach_run(&p->r, m, from, &p->note);
	if (rc) {
		*why = p->note;
		return rc;
	}
	const tm_node *goal = NULL;
	if (to && !(goal = tm_model_find(m, to))) {
		*why = "is no node id of the model (see scan --format json)";
		return TM_ENOTFOUND;
	}
	size_t reached = tm_reach_count(p->r);
	if (!(p->items = tm_calloc(reached + 1, sizeof(*p->items))))
		return TM_ENOMEM;
	for (size_t i = 0; i < reached; i++) {
		const tm_hop *h = tm_reach_at(p->r, i);
		const char *w = NULL;
		int v = tm_reach_value(m, h->node, &w);
		if (goal ? h->node == goal : (v > 0 && h->depth > 0))
			p->items[p->n++] = (tm_attack_path){h, v, w, NULL, 0};
	}
	if (p->n > 1)
		qsort(p->items, p->n, sizeof(*p->items), target_cmp);
	for (size_t i = 0; i < p->n && !rc; i++)
		rc = chain(p, &p->items[i]);
	return rc ? rc : tm_arena_failed(p->a) ? TM_ENOMEM : 0;
}

void tm_paths_free(tm_paths *p)
{
	if (!p)
		return;
	tm_reach_free(p->r);
	tm_free(p->items);
	tm_arena_free(p->a);
	tm_free(p);
}

size_t tm_paths_count(const tm_paths *p) { return p ? p->n : 0; }
const tm_attack_path *tm_paths_at(const tm_paths *p, size_t i) { return p && i < p->n ? &p->items[i] : NULL; }
size_t tm_paths_reached(const tm_paths *p) { return p ? tm_reach_count(p->r) : 0; }
const char *tm_paths_from(const tm_paths *p) { return p->from; }
const char *tm_paths_to(const tm_paths *p) { return p->to_given ? p->to : NULL; }
const char *tm_paths_note(const tm_paths *p) { return p->note; }
bool tm_paths_observed(const tm_paths *p) { return p && p->observed; }
