/*
 * blast.c - the blast radius of every workload and pipeline: one reachability
 * walk from each, sorted into what it reaches. Each walk is bounded (TM_BLAST_MAX_HOPS
 * nodes, nearest first) and every walk shares one memo of call verdicts, so the
 * whole pass costs at most workloads x the bound, plus one evaluation per call
 * edge; lists keep their first TM_BLAST_LIST_MAX items and count the rest.
 */
#include <stdlib.h>

#include "analyze.h"

struct tm_blast {
	tm_arena *a;
	tm_blast_entry *items;
	size_t n, cap;
	tm_blast **parts; /* joined parts, whose arenas hold the entries' lists */
	size_t nparts;
};

size_t tm_blast_count(const tm_blast *b) { return b ? b->n : 0; }
const tm_blast_entry *tm_blast_at(const tm_blast *b, size_t i) { return b && i < b->n ? &b->items[i] : NULL; }

void tm_blast_free(tm_blast *b)
{
	if (!b)
		return;
	tm_free(b->items);
	tm_arena_free(b->a);
	for (size_t i = 0; i < b->nparts; i++)
		tm_blast_free(b->parts[i]);
	tm_free(b->parts);
	tm_free(b);
}

struct vec {
	const char **items;
	size_t n, cap;
	size_t total; /* every item pushed, kept or not */
};

static int push(struct vec *v, const char *s)
{
	if (v->total++ >= TM_BLAST_LIST_MAX)
		return 0;
	if (TM_GROW(v->items, v->cap, v->n + 2))
		return TM_ENOMEM;
	v->items[v->n++] = s;
	v->items[v->n] = NULL;
	return 0;
}

/* Copy into the arena; an empty list stays a one-element NULL list. */
static const char *const *freeze(tm_blast *b, struct vec *v)
{
	const char **out = tm_arena_alloc(b->a, (v->n + 1) * sizeof(char *));
	if (out && v->n)
		memcpy(out, v->items, v->n * sizeof(char *));
	tm_free(v->items);
	memset(v, 0, sizeof(*v));
	return out;
}

#define WORTH_UNKNOWN 127

/* What a node is worth to an attacker (tm_reach_value, -1 for nothing, at most 100), remembered. */
static int worth_of(const tm_model *m, signed char *worth, const tm_node *n)
{
	if (worth[n->index] == WORTH_UNKNOWN) {
		const char *what;
		int v = tm_reach_value(m, n, &what);
		worth[n->index] = (signed char)(v < 0 ? -1 : v > 100 ? 100 : v);
	}
	return worth[n->index];
}

int tm_blast_run(tm_blast **out, const tm_model *m)
{
	return tm_blast_run_part(out, m, NULL, 0, 1);
}

struct tm_blast_calls {
	tm_reach_memo *memo;
};

tm_blast_calls *tm_blast_calls_new(const tm_model *m)
{
	tm_blast_calls *c = tm_calloc(1, sizeof(*c));
	if (c && !(c->memo = tm_reach__memo_new(m))) {
		tm_free(c);
		c = NULL;
	}
	return c;
}

void tm_blast_calls_free(tm_blast_calls *c)
{
	if (c)
		tm_reach__memo_free(c->memo);
	tm_free(c);
}

int tm_blast_join(tm_blast **out, tm_blast **parts, size_t n)
{
	*out = NULL;
	tm_blast *b = tm_calloc(1, sizeof(*b));
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += parts[i]->n;
	if (!b || !(b->items = tm_calloc(total + 1, sizeof(*b->items))) ||
	    !(b->parts = tm_calloc(n + 1, sizeof(*b->parts)))) {
		tm_blast_free(b);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (parts[i]->n)
			memcpy(b->items + b->n, parts[i]->items, parts[i]->n * sizeof(*b->items));
		b->n += parts[i]->n;
		b->parts[b->nparts++] = parts[i];
		parts[i] = NULL;
	}
	b->cap = total + 1;
	*out = b;
	return 0;
}

/* The walk from the workload or pipeline node_id (pos: its position, tm_reach_run's), its entry
 * appended to b. 0 or TM_ENOMEM. */
static int walk_from(tm_blast *b, const tm_model *m, const char *node_id, const char *pos, tm_reach_memo *memo,
		     signed char *worth)
{
	size_t nn = tm_model_node_count(m);
	tm_reach *r = NULL;
	const char *why;
	int rc = 0;
	if (!pos || (rc = tm_reach__run(&r, m, pos, &why, memo, TM_BLAST_MAX_HOPS))) {
		tm_reach_free(r);
		return rc ? rc : TM_ENOMEM;
	}
	struct vec v[7];
	memset(v, 0, sizeof(v));
	for (size_t i = 1; i < tm_reach_count(r) && !rc; i++) {
		const tm_node *n = tm_reach_at(r, i)->node;
		const char *id = tm_node_id(n);
		int value = n->index < nn ? worth_of(m, worth, n) : 0;
		switch (tm_node_kind_of(n)) {
		case TM_NODE_IDENTITY: {
			rc = push(&v[0], id);
			const tm_attr *caps = tm_node_attr_get(n, "rbac_capabilities");
			for (size_t k = 0; caps && caps->type == TM_ATTR_LIST && caps->list[k] && !rc; k++)
				rc = push(&v[1], caps->list[k]);
			break;
		}
		case TM_NODE_SECRET: rc = push(&v[2], id); break;
		case TM_NODE_SERVICE: rc = push(&v[3], id); break;
		case TM_NODE_DATASTORE: rc = push(&v[4], id); break;
		case TM_NODE_EXTERNAL: rc = push(&v[5], id); break;
		default: break;
		}
		if (!rc && value >= 60)
			rc = push(&v[6], id);
	}
	bool truncated = tm_reach__truncated(r);
	tm_reach_free(r);
	if (!rc && TM_GROW(b->items, b->cap, b->n + 1))
		rc = TM_ENOMEM;
	if (!rc) {
		tm_blast_entry *e = &b->items[b->n++];
		e->workload = node_id;
		e->truncated = truncated;
		for (size_t k = 0; k < TM_BLAST__COUNT; k++)
			e->count[k] = v[k].total;
		e->identities = freeze(b, &v[0]);
		e->capabilities = freeze(b, &v[1]);
		e->secrets = freeze(b, &v[2]);
		e->services = freeze(b, &v[3]);
		e->stores = freeze(b, &v[4]);
		e->externals = freeze(b, &v[5]);
		e->crown_jewels = freeze(b, &v[6]);
	}
	for (size_t k = 0; k < 7; k++)
		tm_free(v[k].items);
	return rc;
}

/* A pipeline that deploys or assumes something: the walk from it reaches what it holds. */
static bool holds_something(const tm_model *m, const tm_node *n)
{
	size_t nout = 0;
	tm_model__outgoing(m, n, &nout);
	return tm_node_kind_of(n) == TM_NODE_PIPELINE && nout > 0;
}

/* The walks from the workloads [lo, hi) of the model's policy, then (pipelines) from every pipeline
 * that holds something, or (ids not NULL) those of them whose node id ids holds. */
static int walks(tm_blast **out, const tm_model *m, tm_blast_calls *calls, size_t lo, size_t hi, bool pipelines,
		 const tm_hmap *ids)
{
	*out = NULL;
	tm_blast *b = tm_calloc(1, sizeof(*b));
	if (!b || !(b->a = tm_arena_new())) {
		tm_free(b);
		return TM_ENOMEM;
	}
	const tm_policy *pol = tm_model__policy(m);
	/* one memo for every walk of the share, its verdicts shared with the other shares: each call
	 * edge is evaluated once, not once per workload */
	tm_reach_memo *memo = tm_reach__memo_sharing(m, calls ? calls->memo : NULL);
	int rc = memo ? 0 : TM_ENOMEM;
	/* what each node is worth to an attacker, once per node a walk reaches (by its index in the
	 * frozen model), not once per walk that reaches it */
	size_t nn = tm_model_node_count(m);
	signed char *worth = tm_malloc(nn + 1);
	if (worth)
		memset(worth, WORTH_UNKNOWN, nn + 1);
	else
		rc = TM_ENOMEM;
	for (size_t w = lo; w < hi && !rc; w++) {
		const tm_pm_workload *wl = &pol->workloads[w];
		if (ids && !(wl->node_id && tm_hmap_get(ids, wl->node_id, strlen(wl->node_id))))
			continue;
		/* by its node id: two workloads of different kinds may share a namespace and name */
		const char *pos = wl->node_id ? tm_arena_printf(b->a, "workload:%s", wl->node_id)
					      : tm_arena_printf(b->a, "workload:%s/%s", wl->ns, wl->name);
		rc = pos ? walk_from(b, m, wl->node_id, pos, memo, worth) : TM_ENOMEM;
	}
	/* a pipeline's compromise (a poisoned dependency, a stolen token) reaches what it deploys and
	 * the identities it assumes: few nodes, one walk each, after every workload */
	for (size_t i = 0; pipelines && i < nn && !rc; i++) {
		const tm_node *n = tm_model_node(m, i);
		const char *id = tm_node_id(n);
		if (holds_something(m, n) && (!ids || tm_hmap_get(ids, id, strlen(id))))
			rc = walk_from(b, m, id, id, memo, worth);
	}
	tm_reach__memo_free(memo);
	tm_free(worth);
	if (rc || tm_arena_failed(b->a)) {
		tm_blast_free(b);
		return rc ? rc : TM_ENOMEM;
	}
	*out = b;
	return 0;
}

int tm_blast_run_part(tm_blast **out, const tm_model *m, tm_blast_calls *calls, size_t part, size_t parts)
{
	size_t n = tm_model__policy(m)->nworkloads;
	return walks(out, m, calls, n * part / parts, n * (part + 1) / parts, part + 1 == parts, NULL);
}

int tm_blast_run_some(tm_blast **out, const tm_model *m, const char *const *workloads, size_t n)
{
	tm_hmap ids = TM_HMAP_INIT;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = tm_hmap_put(&ids, workloads[i], strlen(workloads[i]), (void *)workloads[i]);
	if (!rc)
		rc = walks(out, m, NULL, 0, tm_model__policy(m)->nworkloads, true, &ids);
	tm_hmap_dispose(&ids);
	return rc;
}
