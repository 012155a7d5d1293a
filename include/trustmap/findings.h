/*
 * trustmap/findings.h - the rule library and what it finds.
 *
 * Rules read a finished model and report findings; they never parse. The
 * registry (src/rules/rules.def) lists every rule once with its id, title,
 * STRIDE categories, layer, OWASP API Top 10 (2023) and CWE mappings,
 * default severity, action type and its documentation; `trustmap rules`,
 * `trustmap explain`, the reports and docs/rules/ all come from it.
 *
 * A finding's fingerprint is built from the rule id and the ids of the model
 * elements it is about (never from line numbers), so it is stable across runs
 * and unrelated edits.
 */
#ifndef TRUSTMAP_FINDINGS_H
#define TRUSTMAP_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "trustmap/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	TM_SEV_INFO = 0,
	TM_SEV_LOW = 1,
	TM_SEV_MEDIUM = 2,
	TM_SEV_HIGH = 3,
	TM_SEV_CRITICAL = 4,
} tm_severity;

/* "info", "low", "medium", "high", "critical". */
const char *tm_severity_name(tm_severity s);
/* Parse a name (any case); -1 if unknown. */
int tm_severity_parse(const char *name);

enum {
	TM_STRIDE_SPOOFING = 1 << 0,
	TM_STRIDE_TAMPERING = 1 << 1,
	TM_STRIDE_REPUDIATION = 1 << 2,
	TM_STRIDE_DISCLOSURE = 1 << 3,
	TM_STRIDE_DOS = 1 << 4,
	TM_STRIDE_ELEVATION = 1 << 5,
};
/* The report name of STRIDE bit i (0..5): "spoofing", "tampering", ... */
const char *tm_stride_name(unsigned bit);

/* Where a finding stands: the decision in force on it. */
typedef enum {
	TM_STATUS_OPEN = 0,
	TM_STATUS_ACCEPTED,
	TM_STATUS_MITIGATED,
	TM_STATUS_FALSE_POSITIVE,
} tm_finding_status;
#define TM_STATUS__COUNT 4
/* "open", "accepted", "mitigated", "false-positive". */
const char *tm_status_name(tm_finding_status s);
/* Parse a name (any case); -1 if unknown. */
int tm_status_parse(const char *name);

typedef enum {
	TM_ACTION_DESIGN_CHANGE = 0,
	TM_ACTION_PLATFORM_GUARDRAIL,
	TM_ACTION_RELEASE_GATE,
	TM_ACTION_DETECTION,
	TM_ACTION_ACCEPTED_RISK,
} tm_action_type;
/* "design-change", "platform-guardrail", "release-gate", "detection-requirement", "accepted-risk". */
const char *tm_action_name(tm_action_type a);
/* Parse a name (any case); -1 if unknown. */
int tm_action_parse(const char *name);

/* One rule of the registry. All strings static. */
typedef struct {
	const char *id;       /* "TM-API-001" */
	const char *title;    /* one line */
	tm_severity severity; /* default; a finding may rank itself up or down */
	unsigned stride;      /* TM_STRIDE_* bits */
	const char *layer;    /* edge, api, service-to-service, identity, data, secrets, container,
				 cluster, cloud-iam, cicd, telemetry */
	const char *owasp;    /* "API1:2023" or NULL */
	const char *cwe;      /* "CWE-639" or NULL */
	tm_action_type action;
	const char *what, *why, *fix, *detect; /* documentation */
} tm_rule_info;

size_t tm_rule_count(void);
const tm_rule_info *tm_rule_at(size_t i);
const tm_rule_info *tm_rule_find(const char *id);
/* What rule r advises for docker-compose elements where its own text is Kubernetes' (a pod's
 * securityContext, a ClusterIP Service, secretKeyRef): the fix, a guardrail snippet, what to log; each
 * NULL keeps the rule's own. NULL: the rule's text fits compose as it is (src/rules/compose.def). */
typedef struct {
	const char *fix, *snippet, *detect;
} tm_rule_platform;
const tm_rule_platform *tm_rule_compose(const tm_rule_info *r);

/* What a change did to one member of a fold, in a diff's view of it (tm_delta_new, tm_delta_resolved):
 * brought it in, raised its severity (it was there, lower), or took it out; SAME for the others, and
 * always in a scan. */
typedef enum { TM_MEMBER_SAME = 0, TM_MEMBER_NEW, TM_MEMBER_RESOLVED, TM_MEMBER_RAISED } tm_member_change;

/* One element of a folded finding: the element the fact holds on, where it is stated, and the finding
 * it would be on its own (its fingerprint and title as an unfolded finding). */
typedef struct {
	const char *node;        /* the element's node id */
	const char *fingerprint; /* its fingerprint as an unfolded finding */
	const char *title;       /* its title as an unfolded finding */
	tm_severity severity;
	tm_loc evidence;         /* its primary evidence (path NULL when it has none) */
	const char *fold_fingerprint; /* the narrower fold it stood in before a wide fold took it (its
					 namespace's, its service's), or NULL: decisions made on it carry over */
	tm_member_change change;      /* in a diff, of a fold that was there before in part */
} tm_finding_member;

typedef struct {
	const tm_rule_info *rule;
	const char *fingerprint;   /* 16 hex digits */
	const char *title;         /* specific: "DELETE /orders/{orderId} needs no credentials" */
	tm_severity severity;
	int priority;              /* 0..100, higher first */
	/* How the priority was reached, one factor per item ("severity high: 65", "exposure internet: +10",
	 * "blast radius: 2 crown jewels, 3 secrets: +8"); NULL-terminated */
	const char *const *priority_factors;
	const char *subject;       /* the node id it is about */
	const char *const *path;   /* node ids, entry first; NULL-terminated */
	const tm_loc *evidence;
	size_t nevidence;
	const char *action;        /* what to do, one paragraph */
	const char *const *detect; /* exact events to log or alert on; NULL-terminated */
	const char *snippet;       /* a guardrail to paste (YAML), or NULL */
	const char *owner;         /* from the overlay or CODEOWNERS, or NULL */
	tm_finding_status status;
	const char *accepted_by;   /* the deciding owner, when a decision is in force */
	/* Where the decision in force (or the expired acceptance) comes from: "trustmap.yaml:12:5" for the
	 * overlay, "store" for the register, NULL when none. */
	const char *decided_in;
	const char *why;           /* the decision's rationale */
	const char *until;         /* an acceptance's expiry, YYYY-MM-DD */
	bool expired;              /* an acceptance past its expiry: the finding is open again */
	bool suppressed;           /* the decision is a suppression (by rule, path, namespace or annotation) */
	/* A folded finding: one fact repeated on several elements that share one cause (the workloads of a
	 * namespace, the workflows of a directory). subject is then the cause's id ("namespace:shop",
	 * "workflows:.github/workflows"), path the members' node ids, evidence each member's primary
	 * evidence, severity and priority the members' highest; affected lists the members, highest
	 * priority first. NULL and 0 for a finding about one element (a fact on a single element is never
	 * folded: it keeps its own fingerprint). */
	const tm_finding_member *affected;
	size_t naffected;
	const void *fold_note_;    /* the rules' own, while they run: the cause it may fold under */
} tm_finding;

typedef struct tm_findings tm_findings;

/* Run every rule on m. Findings sorted by priority (highest first), then fingerprint.
 * Returns 0 or TM_ENOMEM; free *out with tm_findings_free. */
int tm_findings_run(tm_findings **out, const tm_model *m);
/* tm_findings_run in parts, so the checks can run on several cores: tm_findings_check runs the
 * rules whose place in the table is part modulo parts (each part its own list, sharing nothing but
 * the read-only model); tm_findings_merge takes every part (freed, whatever the result) and
 * finishes them as tm_findings_run would have: the same findings in the same order. */
int tm_findings_check(tm_findings **out, const tm_model *m, size_t part, size_t parts);
int tm_findings_merge(tm_findings **out, tm_findings **parts, size_t nparts, const tm_model *m);
void tm_findings_free(tm_findings *f);
size_t tm_findings_count(const tm_findings *f);
const tm_finding *tm_findings_at(const tm_findings *f, size_t i);
/* A decision from the register: the latest on one fingerprint. */
typedef struct {
	const char *fingerprint;
	tm_finding_status status;
	const char *owner, *why, *until; /* until: YYYY-MM-DD, for accepted */
} tm_finding_decision;

/* Settle every finding's status. The overlay's accepted risks come first (the file wins); then the
 * register's decisions (d, n; any order); a finding neither names is settled by the first
 * suppression that takes it (rule, paths, namespace, annotation: suppressed set, decided_in its line). A folded finding without a decision of its own takes its
 * members' status when every member has a decision in force with the same status (the earliest expiry
 * among them, the first member's owner and reason); otherwise it is open. today is YYYY-MM-DD: an acceptance whose expiry is before
 * today no longer holds: the finding is open again, with expired set and the lapsed decision kept in
 * decided_in/accepted_by/until. tm_findings_run applies the overlay alone, without dates; callers
 * that know the date call this. Returns 0 or TM_ENOMEM. */
/* How many findings the suppression at the model's accepted-risk index settled in the last
 * tm_findings_decide (0 for a fingerprint acceptance, and for a suppression that matches nothing). */
size_t tm_findings_suppression_uses(const tm_findings *f, size_t accepted_index);
/* True when an acceptance's review date (trustmap.yaml `review:`) was before the day of the last
 * tm_findings_decide: it still holds until it expires, but its owner owes a review. */
bool tm_findings_review_due(const tm_findings *f, const tm_accepted_risk *a);
/* True when that suppression's expiry was before the day of the last tm_findings_decide. */
bool tm_findings_suppression_expired(const tm_findings *f, size_t accepted_index);

int tm_findings_decide(tm_findings *f, const tm_model *m, const char *today, const tm_finding_decision *d,
		       size_t n);

/* A fingerprint as findings carry them: 16 lowercase hex digits. */
bool tm_fingerprint_valid(const char *s);

/* A report's severity filter: keep only the findings at or above min (the order stays); returns how
 * many went. Call it after the register has recorded the run: what a report hides is still a finding. */
size_t tm_findings_keep_at_least(tm_findings *f, tm_severity min);
/* How many findings the filter took out, and below which severity (*below may be NULL). */
size_t tm_findings_hidden(const tm_findings *f, tm_severity *below);

/* Weigh impact into priority once the blast radius is known: a finding about a workload (or an
 * operation, identity or secret of one) gains what a compromise there reaches: crown jewels, stores,
 * secrets and dangerous grants (up to +15); a finding whose subject lies on other findings' attack
 * paths (between entry and target) gains what fixing it cuts (+2 a path, up to +10). Each within its
 * severity's band, each stated in priority_factors; findings are then sorted again. blast may be NULL
 * (paths only). 0 or TM_ENOMEM. */
struct tm_blast;
int tm_findings_weigh(tm_findings *f, const tm_model *m, const struct tm_blast *blast);
/* The same in two steps, for a caller that walks the blast radius of some workloads only (a diff's
 * base: tm_analysis_opts.defer_blast): the paths' weights, over every finding; then the blast
 * radius's (for the findings only[] marks; NULL: all) and the admission's, and the sort. A finding
 * weighed so is weighed as tm_findings_weigh would, its place among the others marked the same. */
int tm_findings_weigh_paths(tm_findings *f);
int tm_findings_weigh_rest(tm_findings *f, const tm_model *m, const struct tm_blast *blast, const bool *only);
/* The workload (its node id) whose blast radius weighs a finding about subject; NULL: none. */
const char *tm_findings_weigh_workload(const tm_model *m, const char *subject);

/* The action a finding calls for: its rule's, except for a finding whose acceptance lapsed (open
 * again) or stands accepted, whose action is the accepted risk itself (renew it or fix). */
tm_action_type tm_finding_action(const tm_finding *f);

/* Open findings at or above sev. */
size_t tm_findings_open_at_least(const tm_findings *f, tm_severity sev);

#ifdef __cplusplus
}
#endif
#endif
