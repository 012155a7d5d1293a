/*
 * rules/rules.h - what a rule family sees (internal). A check reads the model
 * and calls tm_rules__emit once per finding; the registry does the rest:
 * fingerprint, priority, owner, accepted status, sorting.
 */
#ifndef TM_RULES_INTERNAL_H
#define TM_RULES_INTERNAL_H

#include "model/model.h"
#include "trustmap/findings.h"

typedef struct tm_rule_ctx {
	const tm_model *m;
	const tm_rule_info *rule;
	struct tm_findings *out;
} tm_rule_ctx;

#define TM_EMIT_MAX 12

typedef struct {
	const tm_node *subject;     /* what the finding is about (its owner, its exposure) */
	const char *key;            /* what else makes it distinct (a field, a path), or NULL */
	const char *anchor;         /* what the fingerprint is built on instead of the subject's id
				       (a namespace, a policy), or NULL */
	const char *title;          /* specific title */
	int severity;               /* -1: the rule's default */
	const char *path[TM_EMIT_MAX]; /* node ids, entry first */
	size_t npath;
	tm_loc evidence[TM_EMIT_MAX];
	size_t nevidence;
	const char *action;         /* NULL: the rule's fix */
	const char *detect[4];      /* NULL-terminated; empty: the rule's detect */
	const char *snippet;        /* a guardrail to paste, or NULL */
	/* Folding: when the same fact holds on several elements that share a cause, the registry makes
	 * one finding of them (a single one stays as it is). fold is the cause's id ("namespace:shop"),
	 * NULL for a finding that never folds; the folded title is
	 * "<count> <fold_noun> in <fold_label> <fold_what>". */
	const char *fold;
	const char *fold_label;     /* "namespace shop", ".github/workflows" */
	const char *fold_noun;      /* "workloads", "workflows" */
	const char *fold_what;      /* "use images not pinned by digest" */
	size_t fold_min;            /* members it takes to fold; 0: two */
	/* A wider cause the folds of this rule fold into again when there are two or more of them
	 * ("*": the whole system; a service for folds per service and severity), or NULL. */
	const char *fold_wide;
	const char *fold_places;    /* what the wide fold's causes are ("workflow directories"), or NULL:
				       read off their labels ("namespace a" -> namespaces) */
} tm_emit;

/* Start an emit record for subject with the subject's first evidence. */
void tm_emit_init(tm_emit *e, const tm_node *subject);
void tm_emit_path(tm_emit *e, const char *node_id);
void tm_emit_loc(tm_emit *e, tm_loc loc);
/* Put loc first among the evidence (the fact the rule judges): the primary location. */
void tm_emit_primary(tm_emit *e, tm_loc loc);
/* Fold a workload's finding with the same rule's findings on the other workloads of its namespace
 * (its boundary); what: "use images not pinned by digest". */
void tm_emit_fold_namespace(tm_rule_ctx *c, tm_emit *e, const char *what);
/* A formatted string that lives as long as the findings. */
/* A copy of n bytes of s in the findings' arena ("" when memory ran out, recorded). */
const char *tm_rules__strndup(tm_rule_ctx *c, const char *s, size_t n);
/* Record that memory ran out: the run reports TM_ENOMEM rather than fewer findings. */
void tm_rules__oom(tm_rule_ctx *c);
const char *tm_rules__printf(tm_rule_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void tm_rules__emit(tm_rule_ctx *c, const tm_emit *e);

/* Helpers over the model (inline, so a literal key's head is worked out while compiling). */
static inline bool tm_rules__attr_true(const tm_node *n, const char *key)
{
	const tm_attr *a = n ? tm_node_attr_get(n, key) : NULL;
	return a && a->type == TM_ATTR_BOOL && a->num;
}
/* The list attribute's items (NULL-terminated) or NULL. */
static inline const char *const *tm_rules__list(const tm_node *n, const char *key)
{
	const tm_attr *a = n ? tm_node_attr_get(n, key) : NULL;
	return a && a->type == TM_ATTR_LIST ? a->list : NULL;
}
/* Where the internet reaches n from: "internet" if an entry point routes to it (or a gateway that
 * one routes to), else NULL. */
bool tm_rules__internet_facing(const tm_model *m, const tm_node *n);
/* The workload that runs store or queue n (its runs_in), whose exposure is the store's; else n. */
const tm_node *tm_rules__store_host(const tm_model *m, const tm_node *n);
/* The next edge of kind k (or any kind when k < 0) into n after *cursor (start at 0), from the
 * model's incidence lists: linear in n's edges, in the model's edge order. NULL at the end. */
const tm_edge *tm_rules__in_edge(const tm_model *m, const tm_node *n, int k, size_t *cursor);
/* The first workload (node) a namespaced policy with this selector applies to (the root namespace:
 * every namespace), for a finding's owner and exposure; NULL if none. */
const tm_node *tm_rules__policy_subject(const tm_model *m, const char *ns, const tm_selector *sel);
/* Where n's own definition is: its first evidence in the file that states its first located fact
 * (a workload's manifest, not the API spec linked to it); else its first evidence. */
tm_loc tm_rules__manifest_loc(const tm_node *n);
/* A field no one should receive, whoever asks (api.c): a password, card number or CVV, a secret or
 * token, a social security number; compared lowercased without '_' and '-'. For API responses and
 * event payloads alike. */
bool tm_rules__secret_field(const char *name);
/* The first located fact key=value of n (loc.path NULL if none). */
tm_loc tm_rules__fact_loc(const tm_node *n, const char *key, const char *value);
/* Fill e (not emitted: the caller may fold it) with one finding on n listing its located facts of
 * key, the first primary, then n's manifest: "<id>: <what> (<facts>)", at most 12 named and located
 * and the rest counted. false when n has none. */
bool tm_rules__facts(tm_rule_ctx *c, tm_emit *e, const tm_node *n, const char *key, const char *what, int sev);

/* Brokers' own settings judged for other families' rules (async.c): TM-MESH-013's plaintext
 * listeners reached from the internet, TM-ID-001's broker without authorization. */
void tm_rules__plaintext_listeners(tm_rule_ctx *c);
void tm_rules__broker_no_authz(tm_rule_ctx *c);

/* Every check, declared from the registry. */
#define TM_RULE(id, check, ...) void tm_rule__##check(tm_rule_ctx *c);
#include "rules.def"
#undef TM_RULE

#endif
