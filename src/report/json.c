/*
 * json.c - the JSON report, schema 2 (docs/json.md).
 *
 * Keys appear in a fixed order and arrays in the model's sorted order, so the
 * output is byte-for-byte stable. Schema 2 is schema 1 plus "systems": the
 * primary system's model, findings and summary stay at the top level, where
 * schema 1 readers find them, and every further system (a deployment variant)
 * carries its own inside its "systems" entry.
 */
#include "report.h"

/* The scan report's schema; the other JSON exports (diff, register) stay at 1. */
#define TM_SCHEMA_SCAN 2
#define TM_SCHEMA_OTHER 1

static void str_list(tm_jw *w, const char *key, const char *const *items)
{
	tm_jw_key(w, key);
	tm_jw_begin_arr(w);
	for (size_t i = 0; items && items[i]; i++)
		tm_jw_str(w, items[i]);
	tm_jw_end_arr(w);
}

static void blast_entry(tm_jw *w, size_t i, void *ud)
{
	const tm_blast_entry *e = tm_blast_at(ud, i);
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "workload", e->workload);
	str_list(w, "identities", e->identities);
	str_list(w, "capabilities", e->capabilities);
	str_list(w, "secrets", e->secrets);
	str_list(w, "services", e->services);
	str_list(w, "datastores", e->stores);
	str_list(w, "externals", e->externals);
	str_list(w, "crown_jewels", e->crown_jewels);
	/* the lists keep their nearest TM_BLAST_LIST_MAX items; the counts are of all reached */
	static const char *const names[TM_BLAST__COUNT] = {"identities", "capabilities", "secrets", "services",
							   "datastores", "externals", "crown_jewels"};
	tm_jw_key(w, "counts");
	tm_jw_begin_obj(w);
	for (size_t k = 0; k < TM_BLAST__COUNT; k++)
		tm_jw_kint(w, names[k], (int64_t)e->count[k]);
	tm_jw_end_obj(w);
	tm_jw_key(w, "truncated");
	tm_jw_bool(w, e->truncated);
	tm_jw_end_obj(w);
}

/* What each workload's compromise reaches (an addition to schema 1). */
static void blast_section(tm_jw *w, const tm_blast *b)
{
	if (!b)
		return;
	tm_jw_key(w, "blast_radius");
	tm_jw_begin_arr(w);
	tm_jw_items(w, tm_blast_count(b), blast_entry, (void *)b);
	tm_jw_end_arr(w);
}

/* The model and its computed exposure, for the writers of its items. */
struct model_ctx {
	const tm_model *m;
	const tm_exposure *x;
};

static void exposure_item(tm_jw *w, size_t i, void *ud)
{
	const struct model_ctx *c = ud;
	const tm_node *n = tm_model_node(c->m, i);
	const char *e = tm_exposure_of(c->x, n);
	if (e)
		tm_jw_kstr(w, tm_node_id(n), e);
}

/* Computed exposure of every workload and operation (an addition to schema 1). */
static void exposure_section(tm_jw *w, const tm_model *m, const tm_exposure *x)
{
	if (!x)
		return;
	tm_jw_key(w, "exposure");
	tm_jw_begin_obj(w);
	struct model_ctx c = {m, x};
	tm_jw_items(w, tm_model_node_count(m), exposure_item, &c);
	tm_jw_end_obj(w);
}

struct findings_ctx {
	const tm_findings *fs;
	const tm_variants *v;
};

static void finding_item(tm_jw *w, size_t i, void *ud)
{
	const struct findings_ctx *c = ud;
	const tm_finding *f = tm_findings_at(c->fs, i);
	tm_report__json_finding_in(w, f, tm_report__variants_of(c->v, f->fingerprint));
}

/* Findings as CONTRACT.md lists them, plus subject, owner, snippet and accepted_by. */
static void findings(tm_jw *w, const tm_findings *fs, const tm_variants *v)
{
	tm_jw_begin_arr(w);
	struct findings_ctx c = {fs, v};
	tm_jw_items(w, tm_findings_count(fs), finding_item, &c);
	tm_jw_end_arr(w);
}

static void member_item(tm_jw *w, size_t k, void *ud)
{
	const tm_finding_member *a = &((const tm_finding *)ud)->affected[k];
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "node", a->node);
	tm_jw_kstr(w, "fingerprint", a->fingerprint);
	tm_jw_kstr(w, "title", a->title);
	tm_jw_kstr(w, "severity", tm_severity_name(a->severity));
	if (a->evidence.path) {
		tm_jw_key(w, "evidence");
		tm_jw_loc(w, a->evidence);
	}
	if (a->fold_fingerprint)
		tm_jw_kstr(w, "fold_fingerprint", a->fold_fingerprint);
	if (a->change != TM_MEMBER_SAME) /* a diff's fold that gained or lost members */
		tm_jw_kstr(w, "change", a->change == TM_MEMBER_NEW	? "new"
					: a->change == TM_MEMBER_RAISED ? "raised"
									: "resolved");
	tm_jw_end_obj(w);
}

/* A folded finding's members: each element with its primary evidence and its own fingerprint. */
static void affected(tm_jw *w, const tm_finding *f)
{
	tm_jw_key(w, "affected");
	tm_jw_begin_arr(w);
	tm_jw_items(w, f->naffected, member_item, (void *)f);
	tm_jw_end_arr(w);
}

void tm_report__json_finding(tm_jw *w, const tm_finding *f)
{
	tm_report__json_finding_in(w, f, NULL);
}

void tm_report__json_finding_in(tm_jw *w, const tm_finding *f, const char *const *variants)
{
	{
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "fingerprint", f->fingerprint);
		tm_jw_kstr(w, "rule", f->rule->id);
		tm_jw_kstr(w, "title", f->title);
		tm_jw_kstr(w, "severity", tm_severity_name(f->severity));
		tm_jw_kint(w, "priority", f->priority);
		str_list(w, "priority_factors", f->priority_factors);
		tm_jw_key(w, "stride");
		tm_jw_begin_arr(w);
		for (unsigned b = 0; b < 6; b++)
			if (f->rule->stride & (1u << b))
				tm_jw_str(w, tm_stride_name(b));
		tm_jw_end_arr(w);
		tm_jw_kstr(w, "layer", f->rule->layer);
		tm_jw_kstr(w, "owasp_api", f->rule->owasp);
		tm_jw_kstr(w, "cwe", f->rule->cwe);
		tm_jw_kstr(w, "subject", f->subject);
		str_list(w, "path", f->path);
		tm_jw_key(w, "evidence");
		tm_jw_begin_arr(w);
		for (size_t k = 0; k < f->nevidence; k++)
			tm_jw_loc(w, f->evidence[k]);
		tm_jw_end_arr(w);
		if (f->naffected)
			affected(w, f);
		tm_jw_key(w, "action");
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "type", tm_action_name(tm_finding_action(f)));
		tm_jw_kstr(w, "text", f->action);
		str_list(w, "detect", f->detect);
		if (f->snippet)
			tm_jw_kstr(w, "snippet", f->snippet);
		tm_jw_kstr(w, "owner", f->owner);
		tm_jw_end_obj(w);
		tm_jw_kstr(w, "status", tm_status_name(f->status));
		if (f->accepted_by && !f->expired && f->status == TM_STATUS_ACCEPTED)
			tm_jw_kstr(w, "accepted_by", f->accepted_by);
		if (f->decided_in) {
			/* where the decision comes from (trustmap.yaml:LINE:COL or the store), and whether it lapsed */
			tm_jw_key(w, "decision");
			tm_jw_begin_obj(w);
			tm_jw_kstr(w, "source", f->decided_in);
			tm_jw_kstr(w, "status", f->expired ? "accepted" : tm_status_name(f->status));
			tm_jw_kstr(w, "owner", f->accepted_by);
			tm_jw_kstr(w, "why", f->why);
			tm_jw_kstr(w, "until", f->until);
			tm_jw_key(w, "expired");
			tm_jw_bool(w, f->expired);
			if (f->suppressed) {
				tm_jw_key(w, "suppressed");
				tm_jw_bool(w, true);
			}
			tm_jw_end_obj(w);
		}
		if (variants)
			str_list(w, "variants", variants);
		tm_jw_end_obj(w);
	}
}

/* The policies the query evaluator applies (an addition to schema 1). */
static void policies(tm_jw *w, const tm_model *m)
{
	tm_jw_key(w, "policies");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_model_policy_count(m); i++) {
		tm_policy_ref r = tm_model_policy_ref(m, i);
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "kind", r.kind);
		tm_jw_kstr(w, "namespace", r.ns);
		tm_jw_kstr(w, "name", r.name);
		tm_jw_key(w, "at");
		tm_jw_loc(w, r.loc);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
}

/* What trustmap.yaml states: assets, assumptions, accepted risks (an addition to schema 1). */
static void overlay(tm_jw *w, const tm_model *m, const tm_findings *fs)
{
	tm_jw_key(w, "overlay");
	tm_jw_begin_obj(w);
	tm_jw_key(w, "assets");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_model_asset_count(m); i++) {
		const tm_asset *a = tm_model_asset(m, i);
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "name", a->name);
		tm_jw_kstr(w, "classification", a->classification);
		str_list(w, "data", a->data);
		str_list(w, "stores", a->stores);
		tm_jw_key(w, "at");
		tm_jw_loc(w, a->loc);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
	tm_jw_key(w, "assumptions");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_model_assumption_count(m); i++) {
		const tm_assumption *a = tm_model_assumption(m, i);
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "text", a->text);
		tm_jw_key(w, "at");
		tm_jw_loc(w, a->loc);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
	tm_jw_key(w, "accepted");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_model_accepted_count(m); i++) {
		const tm_accepted_risk *a = tm_model_accepted(m, i);
		if (a->rule)
			continue; /* a suppression: below */
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "fingerprint", a->fingerprint);
		tm_jw_kstr(w, "owner", a->owner);
		tm_jw_kstr(w, "rationale", a->rationale);
		tm_jw_kstr(w, "expires", a->expires);
		tm_jw_kstr(w, "review", a->review);
		tm_jw_key(w, "review_due");
		tm_jw_bool(w, tm_findings_review_due(fs, a));
		tm_jw_key(w, "at");
		tm_jw_loc(w, a->loc);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
	/* suppressions (the overlay's suppress: and trustmap.io/ignore annotations), with what they
	 * settled: one that matches nothing or has expired is for its owner to look at */
	tm_jw_key(w, "suppressions");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_model_accepted_count(m); i++) {
		const tm_accepted_risk *a = tm_model_accepted(m, i);
		if (!a->rule)
			continue;
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "rule", a->rule);
		str_list(w, "paths", a->paths);
		tm_jw_kstr(w, "namespace", a->ns);
		tm_jw_kstr(w, "subject", a->subject);
		tm_jw_kstr(w, "owner", a->owner);
		tm_jw_kstr(w, "reason", a->rationale);
		tm_jw_kstr(w, "expires", a->expires);
		tm_jw_kint(w, "matched", (int64_t)tm_findings_suppression_uses(fs, i));
		tm_jw_key(w, "expired");
		tm_jw_bool(w, tm_findings_suppression_expired(fs, i));
		tm_jw_key(w, "at");
		tm_jw_loc(w, a->loc);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
	tm_jw_end_obj(w);
}

/* exposure: the computed value that replaces an "exposure" attribute, or NULL */
static void attrs(tm_jw *w, size_t n, const tm_attr *(*get)(const void *, size_t), const void *obj,
		  const char *exposure)
{
	for (size_t i = 0; i < n; i++) {
		const tm_attr *a = get(obj, i);
		tm_jw_key(w, a->key);
		if (exposure && strcmp(a->key, "exposure") == 0) {
			tm_jw_str(w, exposure);
			continue;
		}
		switch (a->type) {
		case TM_ATTR_STR: tm_jw_str(w, a->str); break;
		case TM_ATTR_BOOL: tm_jw_bool(w, a->num != 0); break;
		case TM_ATTR_INT: tm_jw_int(w, a->num); break;
		case TM_ATTR_LIST:
			tm_jw_begin_arr(w);
			for (const char *const *s = a->list; s && *s; s++)
				tm_jw_str(w, *s);
			tm_jw_end_arr(w);
			break;
		}
	}
}

static const tm_attr *node_attr(const void *n, size_t i) { return tm_node_attr(n, i); }
static const tm_attr *edge_attr(const void *e, size_t i) { return tm_edge_attr(e, i); }

static void node_item(tm_jw *w, size_t i, void *ud)
{
	const struct model_ctx *c = ud;
	const tm_node *n = tm_model_node(c->m, i);
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "id", tm_node_id(n));
	tm_jw_kstr(w, "kind", tm_node_kind_name(tm_node_kind_of(n)));
	tm_jw_kstr(w, "name", tm_node_name(n));
	tm_jw_kstr(w, "boundary", tm_node_boundary(n));
	tm_jw_key(w, "evidence");
	tm_jw_begin_arr(w);
	for (size_t e = 0; e < tm_node_evidence_count(n); e++)
		tm_jw_loc(w, tm_node_evidence(n, e));
	tm_jw_end_arr(w);
	attrs(w, tm_node_attr_count(n), node_attr, n, tm_exposure_of(c->x, n));
	if (tm_node_fact_count(n)) {
		tm_jw_key(w, "facts");
		tm_jw_begin_arr(w);
		for (size_t f = 0; f < tm_node_fact_count(n); f++) {
			const tm_fact_loc *fl = tm_node_fact(n, f);
			tm_jw_begin_obj(w);
			tm_jw_kstr(w, "key", fl->key);
			tm_jw_kstr(w, "value", fl->value);
			tm_jw_key(w, "at");
			tm_jw_loc(w, fl->loc);
			tm_jw_end_obj(w);
		}
		tm_jw_end_arr(w);
	}
	tm_jw_end_obj(w);
}

static void edge_item(tm_jw *w, size_t i, void *ud)
{
	const tm_edge *e = tm_model_edge(((const struct model_ctx *)ud)->m, i);
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "from", tm_node_id(tm_edge_from(e)));
	tm_jw_kstr(w, "to", tm_node_id(tm_edge_to(e)));
	tm_jw_kstr(w, "kind", tm_edge_kind_name(tm_edge_kind_of(e)));
	tm_jw_key(w, "crosses_boundary");
	tm_jw_bool(w, tm_edge_crosses_boundary(e));
	tm_jw_kstr(w, "authn", tm_authn_name(tm_edge_authn(e)));
	tm_jw_kstr(w, "authz", tm_authz_name(tm_edge_authz(e)));
	tm_jw_kstr(w, "enforced_at", tm_enforced_name(tm_edge_enforced_at(e)));
	tm_jw_key(w, "evidence");
	tm_jw_begin_arr(w);
	for (size_t k = 0; k < tm_edge_evidence_count(e); k++)
		tm_jw_loc(w, tm_edge_evidence(e, k));
	tm_jw_end_arr(w);
	attrs(w, tm_edge_attr_count(e), edge_attr, e, NULL);
	tm_jw_end_obj(w);
}

static void model(tm_jw *w, const tm_model *m, const tm_exposure *x)
{
	tm_jw_begin_obj(w);
	tm_jw_key(w, "boundaries");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_model_boundary_count(m); i++) {
		const tm_boundary *b = tm_model_boundary(m, i);
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "id", tm_boundary_id(b));
		tm_jw_kstr(w, "kind", tm_boundary_kind_name(tm_boundary_kind_of(b)));
		tm_jw_kstr(w, "name", tm_boundary_name(b));
		tm_jw_kstr(w, "parent", tm_boundary_parent(b));
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);

	struct model_ctx c = {m, x};
	tm_jw_key(w, "nodes");
	tm_jw_begin_arr(w);
	tm_jw_items(w, tm_model_node_count(m), node_item, &c);
	tm_jw_end_arr(w);

	tm_jw_key(w, "edges");
	tm_jw_begin_arr(w);
	tm_jw_items(w, tm_model_edge_count(m), edge_item, &c);
	tm_jw_end_arr(w);
	tm_jw_end_obj(w);
}
void tm_report__json_header(tm_jw *w)
{
	tm_jw_key(w, "trustmap");
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "version", TM_VERSION);
	tm_jw_kint(w, "schema", TM_SCHEMA_OTHER);
	tm_jw_end_obj(w);
}

/* What was read: inputs, skipped candidates, diagnostics (one scan, whatever systems it holds). */
static void scan_section(tm_jw *w, const tm_scan *s)
{
	/* each file's errors: what it holds past a syntax error was not read (modelled as far as it parsed) */
	const tm_diag_list *d = tm_scan_diags(s);
	tm_hmap errors = TM_HMAP_INIT;
	for (size_t i = 0; i < d->count; i++) {
		const char *p = d->items[i].loc.path;
		if (d->items[i].level != TM_LEVEL_ERROR || !p)
			continue;
		uintptr_t n = (uintptr_t)tm_hmap_get(&errors, p, strlen(p));
		if (tm_hmap_put(&errors, p, strlen(p), (void *)(n + 1))) {
			tm_hmap_dispose(&errors); /* out of memory: no count rather than a wrong one */
			errors = (tm_hmap)TM_HMAP_INIT;
			break;
		}
	}
	tm_jw_key(w, "inputs");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_scan_input_count(s); i++) {
		const tm_input *in = tm_scan_input(s, i);
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "path", in->path);
		tm_jw_kstr(w, "kind", in->kind);
		tm_jw_kint(w, "documents", (int64_t)in->documents);
		tm_jw_kint(w, "modelled", (int64_t)in->modelled);
		uintptr_t nerr = errors.count ? (uintptr_t)tm_hmap_get(&errors, in->path, strlen(in->path)) : 0;
		if (nerr) /* an addition to schema 2 */
			tm_jw_kint(w, "errors", (int64_t)nerr);
		str_list(w, "kinds", in->kinds);
		if (in->nunmodelled) { /* an addition to schema 1: the objects passed over, by kind */
			tm_jw_key(w, "not_modelled");
			tm_jw_begin_arr(w);
			for (size_t k = 0; k < in->nunmodelled; k++) {
				tm_jw_begin_obj(w);
				tm_jw_kstr(w, "kind", in->unmodelled[k].kind);
				tm_jw_kint(w, "count", (int64_t)in->unmodelled[k].count);
				tm_jw_end_obj(w);
			}
			tm_jw_end_arr(w);
		}
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);

	tm_jw_key(w, "skipped");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_scan_skip_count(s); i++) {
		const tm_skip *k = tm_scan_skip(s, i);
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "path", k->path);
		tm_jw_kstr(w, "reason", k->reason);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
	tm_jw_kint(w, "ignored_files", (int64_t)tm_scan_ignored_count(s));

	tm_hmap_dispose(&errors);
	tm_jw_key(w, "diagnostics");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < d->count; i++)
		tm_report__json_diag(w, &d->items[i]);
	tm_jw_end_arr(w);
}

void tm_report__json_diag(tm_jw *w, const tm_diag *g)
{
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "path", g->loc.path);
	tm_jw_kint(w, "line", g->loc.line);
	tm_jw_kint(w, "column", g->loc.col);
	if (g->loc.pointer)
		tm_jw_kstr(w, "pointer", g->loc.pointer);
	tm_jw_kstr(w, "severity", tm_level_name(g->level));
	tm_jw_kstr(w, "message", g->msg);
	tm_jw_end_obj(w);
}

/* Coverage of the live architecture: only when runtime maps were read, so reports of systems
 * without any keep their shape. (The SARIF run's properties carry the same object.) */
void tm_report__runtime_json(tm_jw *w, const tm_figures *fig, const tm_model *m)
{
	if (!fig->runtime_files)
		return;
	const struct {
		const char *key;
		uint64_t n;
	} counts[] = {
		{"files", fig->runtime_files},
		{"services_known", fig->observed_services_known},
		{"services_unknown", fig->observed_services_unknown},
		{"calls_observed", fig->observed_calls},
		{"calls_declared", fig->observed_calls_declared},
		{"requests_observed", fig->observed_requests},
		{"requests_on_declared_calls", fig->observed_requests_declared},
	};
	tm_jw_key(w, "runtime");
	tm_jw_begin_obj(w);
	for (size_t i = 0; i < TM_ARRAY_LEN(counts); i++)
		tm_jw_kint(w, counts[i].key, (int64_t)counts[i].n);
	tm_jw_key(w, "declared_share_of_requests");
	tm_jw_num(w, fig->observed_requests ? (double)fig->observed_requests_declared / (double)fig->observed_requests : 0.0);
	char from[32], to[32];
	if (tm_report__runtime_window(m, from, to)) { /* when the exports state their time */
		tm_jw_key(w, "window");
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "start", from);
		tm_jw_kstr(w, "end", to);
		tm_jw_end_obj(w);
	}
	tm_jw_end_obj(w);
}

static void summary(tm_jw *w, const tm_analysis *a)
{
	const tm_figures *fig = tm_analysis_figures(a);
	const tm_findings *fs = tm_analysis_findings(a);
	tm_jw_key(w, "summary");
	tm_jw_begin_obj(w);
	tm_jw_kint(w, "services", (int64_t)fig->services);
	if (fig->unresolved_names) /* names no Service answers: not among the services */
		tm_jw_kint(w, "unresolved_names", (int64_t)fig->unresolved_names);
	tm_jw_kint(w, "endpoints", (int64_t)fig->endpoints);
	tm_jw_kint(w, "entrypoints", (int64_t)fig->entrypoints);
	tm_jw_kint(w, "identities", (int64_t)fig->identities);
	tm_jw_key(w, "findings");
	tm_jw_begin_obj(w);
	size_t by[TM_SEV_CRITICAL + 1] = {0};
	for (size_t i = 0; i < tm_findings_count(fs); i++)
		by[tm_findings_at(fs, i)->severity]++;
	for (int sv = TM_SEV_CRITICAL; sv >= TM_SEV_INFO; sv--) {
		tm_jw_key(w, tm_severity_name((tm_severity)sv));
		tm_jw_int(w, (int64_t)by[sv]);
	}
	tm_jw_end_obj(w);
	tm_jw_key(w, "coverage");
	tm_jw_begin_obj(w);
	tm_jw_key(w, "endpoints_with_known_authz");
	tm_jw_num(w, fig->endpoints_with_known_authz);
	tm_jw_key(w, "services_with_owner");
	tm_jw_num(w, fig->services_with_owner);
	tm_jw_key(w, "workloads_with_network_policy");
	tm_jw_num(w, fig->workloads_with_policy);
	tm_jw_end_obj(w);
	/* what is missing from the model, as the summary and Markdown reports say it */
	const tm_diag_list *d = tm_analysis_diags(a);
	tm_jw_key(w, "incomplete");
	tm_jw_begin_obj(w);
	tm_jw_kint(w, "files_in_error", (int64_t)tm_report__files_in_error(d));
	tm_jw_kint(w, "not_fetched", (int64_t)tm_report__not_fetched(d));
	tm_jw_end_obj(w);
	tm_report__runtime_json(w, fig, tm_analysis_model(a));
	tm_jw_end_obj(w);
}

/* One system's body: its model, exposure, blast radius, policies, overlay, findings and summary. */
static void system_body(tm_jw *w, const tm_analysis *a, const tm_variants *v)
{
	const tm_model *m = tm_analysis_model(a);
	tm_jw_key(w, "model");
	model(w, m, tm_analysis_exposure(a));
	exposure_section(w, m, tm_analysis_exposure(a));
	blast_section(w, tm_analysis_blast(a));
	policies(w, m);
	overlay(w, m, tm_analysis_findings(a));
	tm_jw_key(w, "findings");
	findings(w, tm_analysis_findings(a), v);
	summary(w, a);
}

/* Every system the scan analysed; the primary's body is at the top level (schema 1's place). */
static void systems(tm_jw *w, const tm_wctx *ctx)
{
	tm_jw_key(w, "systems");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < ctx->nsystems; i++) {
		const tm_analysis *a = ctx->systems[i];
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "name", tm_analysis_name(a));
		str_list(w, "roots", tm_analysis_roots(a));
		tm_jw_key(w, "primary");
		tm_jw_bool(w, i == 0);
		tm_jw_kstr(w, "variant", tm_analysis_system(a));
		if (ctx->variants)
			tm_jw_kint(w, "open_only_here", (int64_t)tm_report__variants_only(ctx->variants, i));
		if (i) {
			scan_section(w, tm_analysis_scan(a));
			system_body(w, a, ctx->variants);
		}
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
}

int tm_report__json(const tm_wctx *ctx, tm_out *o)
{
	tm_jw w;
	tm_jw_init(&w, o);
	tm_jw_begin_obj(&w);
	tm_jw_key(&w, "trustmap");
	tm_jw_begin_obj(&w);
	tm_jw_kstr(&w, "version", TM_VERSION);
	tm_jw_kint(&w, "schema", TM_SCHEMA_SCAN);
	tm_jw_end_obj(&w);
	scan_section(&w, ctx->scan);
	systems(&w, ctx);
	system_body(&w, ctx->analysis, ctx->variants);
	tm_jw_end_obj(&w);
	return 0;
}
