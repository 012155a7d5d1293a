/*
 * trustmap/delta.h - reviewing a change: two models compared semantically.
 *
 * Nodes, edges, boundaries and policies are compared by identity (ids that do
 * not depend on line numbers or file layout), so a reformat produces no change.
 * Each change is classified as a trigger (CONTRACT.md), the triggers decide
 * the recommended review depth, and the agenda asks the questions that apply
 * to what changed, with what the model already answers filled in.
 */
#ifndef TRUSTMAP_DELTA_H
#define TRUSTMAP_DELTA_H

#include <stddef.h>

#include "trustmap/analysis.h"
#include "trustmap/findings.h"
#include "trustmap/model.h"
#include "trustmap/paths.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	const char *trigger; /* new-public-endpoint, new-trust-boundary, new-service-identity,
				new-async-channel, new-third-party, new-deployment-control,
				new-sensitive-flow, new-auth-flow, new-tenant-or-admin, removed, changed;
				drift between runtime exports: new-observed-call (a call no file
				declares now observed), observed-call-gone (an observed call no
				longer observed) */
	const char *node;    /* the element's id */
	const char *text;    /* one line */
	tm_loc evidence;     /* where it is (head; base for what was removed) */
} tm_change;

typedef struct {
	const char *question;
	const char *answer;  /* what the model knows, or NULL: an unresolved assumption */
	const char *about;   /* node id */
} tm_agenda_item;

typedef struct tm_delta tm_delta;

/* Compare the analyses of two versions of one system: what changed, the review depth, new and
 * resolved findings, the agenda. Reads both, changes neither. 0 or TM_ENOMEM; free with
 * tm_delta_free. */
int tm_delta_run(tm_delta **out, const tm_analysis *base, const tm_analysis *head);
/* Which findings tm_delta_run lists as resolved and as new: gone[i] for base's i-th (its fingerprint
 * not in head, or a fold one of whose members is not), fresh[i] for head's i-th (its fingerprint
 * not in base, or a fold one of whose members is not); either may be NULL. 0 or TM_ENOMEM. */
int tm_delta_marks(const tm_findings *base, const tm_findings *head, bool *gone, bool *fresh);
void tm_delta_free(tm_delta *d);

size_t tm_delta_change_count(const tm_delta *d);
const tm_change *tm_delta_change(const tm_delta *d, size_t i);
/* "none", "lightning", "design-review", "deep-dive", and why. */
const char *tm_delta_depth(const tm_delta *d);
const char *tm_delta_depth_reason(const tm_delta *d);
/* Findings in head and not in base (new), in base and not in head (resolved), by fingerprint; a fold is
 * new when one of its members is (an element joined it), resolved when one of its members is gone (an
 * element left it). A fold the other side held in part is shown as the change left it: the members
 * that joined (TM_MEMBER_NEW) or left (TM_MEMBER_RESOLVED) marked and first, its evidence led by
 * theirs, its severity the highest of theirs (what the gate counts). */
size_t tm_delta_new_count(const tm_delta *d);
const tm_finding *tm_delta_new(const tm_delta *d, size_t i);
size_t tm_delta_resolved_count(const tm_delta *d);
const tm_finding *tm_delta_resolved(const tm_delta *d, size_t i);
/* Findings in base and not in head that a new finding takes the place of while what they were about
 * stands: superseded, not resolved, and not among tm_delta_resolved. Either a new finding about the
 * same element, of another rule, at least as severe for it (a backend reached only through its caller,
 * TM-MESH-003, now exposed itself: TM-MESH-004), or, for an attack path whose elements and edges all
 * stand in the head, reached as widely as before, a new finding at least as severe that reaches one
 * of its elements from an attacker position: its path starts at one, or it is a fold whose member the
 * change brought in the head reaches from outside (a store the path reached through another service,
 * now published itself: TM-MESH-007 where TM-PATH-001 was, alone or folded with another published
 * store). tm_delta_superseded_by(d, i) is the new
 * finding (one of tm_delta_new) that takes the place of tm_delta_superseded(d, i). */
size_t tm_delta_superseded_count(const tm_delta *d);
const tm_finding *tm_delta_superseded(const tm_delta *d, size_t i);
const tm_finding *tm_delta_superseded_by(const tm_delta *d, size_t i);
/* The head's errors (an input it could not read or that is invalid) the base did not have, by file
 * and message, in the head's order. With no other change they make the review a lightning one. */
size_t tm_delta_new_diag_count(const tm_delta *d);
const tm_diag *tm_delta_new_diag(const tm_delta *d, size_t i);
/* Changed inputs the model cannot show (a file with other bytes, added or removed, by its path):
 * one that holds a deployment trustmap does not fetch (a release of a remote chart, a remote
 * resource: the diagnostic saying so, at its place) or documents of kinds it does not model (at
 * the file). What the change does there is not reviewed; with no other change they make the
 * review a lightning one, never "none". Each a note: its place and one line. */
size_t tm_delta_unreviewed_count(const tm_delta *d);
const tm_diag *tm_delta_unreviewed(const tm_delta *d, size_t i);
size_t tm_delta_agenda_count(const tm_delta *d);
const tm_agenda_item *tm_delta_agenda(const tm_delta *d, size_t i);
/* Accepted risks (overlay) whose finding's elements changed: due for re-review. */
size_t tm_delta_rereview_count(const tm_delta *d);
const tm_finding *tm_delta_rereview(const tm_delta *d, size_t i);

#ifdef __cplusplus
}
#endif
#endif
