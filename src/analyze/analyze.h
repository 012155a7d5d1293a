/*
 * analyze/analyze.h - internals shared by the analyze room's files.
 *
 * A verdict memo: walks that share one model (the blast radius of every workload) ask the policy
 * evaluator the same questions again and again, "may this workload call that one?", and the answer
 * depends only on the model. The memo keeps each answer, keyed by the edge asked about, so every
 * call edge is evaluated once for all walks instead of once per walk.
 */
#ifndef TM_ANALYZE_INTERNAL_H
#define TM_ANALYZE_INTERNAL_H

#include "model/model.h"
#include "trustmap/paths.h"

typedef struct tm_reach_memo tm_reach_memo;

tm_reach_memo *tm_reach__memo_new(const tm_model *m);
/* A memo of its own slots (for walks on another thread) sharing with's call verdicts (a new memo
 * when with is NULL or of another model). The verdicts go with the last memo freed. */
tm_reach_memo *tm_reach__memo_sharing(const tm_model *m, tm_reach_memo *with);
void tm_reach__memo_free(tm_reach_memo *memo);

/* tm_reach_run with answers kept in (and taken from) memo (NULL: none), entering at most max_hops
 * nodes, nearest first (0: every node reached). A walk with a memo is lean: its hops keep no
 * evidence (the blast radius reads which nodes were reached, not how). */
int tm_reach__run(tm_reach **out, const tm_model *m, const char *position, const char **why, tm_reach_memo *memo,
		  size_t max_hops);
/* Did the bound stop the walk before it had entered everything it reaches? */
bool tm_reach__truncated(const tm_reach *r);

#endif
