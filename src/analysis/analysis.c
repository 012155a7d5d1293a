/*
 * analysis.c - one system analysed once (trustmap/analysis.h).
 *
 * The order is the data flow: scan (parse, recognise, ingest, freeze the model), rules (findings
 * settled with the overlay), exposure, blast radius, figures. Every step is linear or n log n in
 * nodes + edges (docs/internals/analysis.md). A step that runs out of memory stops the rest and
 * the analysis says it is incomplete; the scan's diagnostics are kept either way.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "model/model.h"
#include "trustmap/analysis.h"
#include "trustmap/delta.h"

struct tm_analysis {
	tm_arena *arena;
	const char *name;
	const char *system; /* the variant, or NULL */
	const char **roots; /* NULL-terminated copies */
	tm_scan *scan;
	int scan_rc;
	tm_findings *findings;
	tm_exposure *exposure;
	tm_blast *blast;
	tm_figures fig;
	bool complete;
	bool weigh_deferred; /* defer_blast: weighed by paths only, tm_analysis_weigh_review to come */
	/* a diff's head (tm_analysis_run_pair): the variant compared was chosen because its inputs
	 * changed, and the other variants whose inputs changed too, not compared */
	bool system_by_change;
	const char **also_changed;
	size_t nalso_changed;
};

/* ---- coverage of the live architecture (runtime maps: ingest/runtime.c) ---- */

static bool observed_only(const tm_node *n)
{
	const tm_attr *a = tm_node_attr_get(n, "observed_only");
	return a && a->type == TM_ATTR_BOOL && a->num;
}

static void runtime_figures(const tm_scan *scan, tm_figures *out)
{
	const tm_model *m = tm_scan_model(scan);
	for (size_t i = 0; i < tm_scan_input_count(scan); i++)
		out->runtime_files += strcmp(tm_scan_input(scan, i)->kind, "runtime-map") == 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) != TM_NODE_SERVICE)
			continue;
		if (observed_only(n))
			out->observed_services_unknown++;
		else if (tm_node_attr_get(n, "observed_in"))
			out->observed_services_known++;
	}
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const tm_attr *calls = tm_edge_kind_of(e) == TM_EDGE_CALLS ? tm_edge_attr_get(e, "observed_calls") : NULL;
		if (!calls || calls->type != TM_ATTR_STR)
			continue;
		unsigned long long n = strtoull(calls->str, NULL, 10);
		bool declared = !tm_edge_attr_get(e, "observed_only");
		out->observed_calls++;
		out->observed_calls_declared += declared;
		out->observed_requests += n;
		out->observed_requests_declared += declared ? n : 0;
	}
}

static void figures(const tm_scan *scan, tm_figures *out)
{
	memset(out, 0, sizeof(*out));
	const tm_model *m = tm_scan_model(scan);
	out->services = tm_model_count_kind(m, TM_NODE_SERVICE);
	out->endpoints = tm_model_count_kind(m, TM_NODE_ENDPOINT);
	out->entrypoints = tm_model_count_kind(m, TM_NODE_ENTRYPOINT);
	out->identities = tm_model_count_kind(m, TM_NODE_IDENTITY);
	out->gateways = tm_model_count_kind(m, TM_NODE_GATEWAY);
	for (size_t i = 0; i < tm_scan_input_count(scan); i++)
		out->documents += tm_scan_input(scan, i)->documents;
	size_t authz = 0, owned = 0;
	/* an endpoint's authorization is known when the edge exposing it says what it is */
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) == TM_EDGE_EXPOSES && tm_edge_authz(e) != TM_AUTHZ_UNKNOWN)
			authz++;
	}
	size_t workloads = 0, guarded = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		bool name_only = tm_node_unresolved_name(n) && !observed_only(n); /* counted apart */
		if (tm_node_kind_of(n) == TM_NODE_SERVICE && tm_node_attr_str(n, "owner") && !observed_only(n) && !name_only)
			owned++;
		out->unresolved_names += name_only;
		/* a workload with a policy: a NetworkPolicy isolates its ingress */
		const tm_attr *iso = tm_node_attr_get(n, "ingress_isolated");
		if (tm_node_kind_of(n) == TM_NODE_SERVICE && tm_node_attr_str(n, "workload")) {
			workloads++;
			guarded += iso && iso->num;
		}
	}
	/* services the runtime maps saw and the model does not know are no declared services */
	runtime_figures(scan, out);
	out->services -= out->observed_services_unknown + out->unresolved_names;
	out->workloads_with_policy = workloads ? (double)guarded / (double)workloads : 0.0;
	out->endpoints_with_known_authz = out->endpoints ? (double)authz / (double)out->endpoints : 0.0;
	out->services_with_owner = out->services ? (double)owned / (double)out->services : 0.0;
}

static void phase(const tm_analysis_opts *opts, const char *what)
{
	if (opts->progress)
		opts->progress(opts->progress_ud, what);
}

#define CHECK_PARTS 2 /* the rules' checks in this many parts, each a task of its own */
#define BLAST_PARTS 4 /* the blast-radius walks in this many shares: no core is left with a long tail */

struct passes {
	tm_analysis *a;
	const tm_model *m;
	const tm_analysis_opts *opts;
	tm_findings *parts[CHECK_PARTS];
	tm_blast_calls *calls; /* the call verdicts the shares judge once for all */
	tm_blast *blasts[BLAST_PARTS];
	int rc[CHECK_PARTS + BLAST_PARTS + 1];
	atomic_size_t checked; /* check parts done */
	bool merged;           /* the parts went to tm_findings_merge, which owns them from then on */
	int merge_rc;
};

/* The parts of the checks into the analysis's findings, settled: done by the task that finished the
 * last part, while the others still walk the blast radius. */
static void merge_checks(struct passes *p)
{
	for (size_t i = 0; i < CHECK_PARTS; i++)
		if (p->rc[i])
			return; /* run_passes frees the parts */
	p->merged = true;
	p->merge_rc = tm_findings_merge(&p->a->findings, p->parts, CHECK_PARTS, p->m);
	if (!p->merge_rc && p->opts->today)
		p->merge_rc = tm_findings_decide(p->a->findings, p->m, p->opts->today, NULL, 0);
}

/* Task i of the analysis of a frozen model, each writing only its own results: first the parts of
 * the rules' checks (the last to finish merges them), then the shares of the blast radius, then
 * exposure. On two cores the merge, which needs every part, runs beside the blast radius instead
 * of after it, and the core done first takes the next share of the walks. */
static void run_pass(void *ud, size_t i)
{
	struct passes *p = ud;
	tm_analysis *a = p->a;
	if (i < CHECK_PARTS) {
		p->rc[i] = tm_findings_check(&p->parts[i], p->m, i, CHECK_PARTS);
		if (atomic_fetch_add(&p->checked, 1) + 1 == CHECK_PARTS) /* seq_cst: every part is seen */
			merge_checks(p);
	} else if (i < CHECK_PARTS + BLAST_PARTS) {
		size_t share = i - CHECK_PARTS;
		if (!p->opts->defer_blast)
			p->rc[i] = tm_blast_run_part(&p->blasts[share], p->m, p->calls, share, BLAST_PARTS);
	} else {
		p->rc[i] = tm_exposure_run(&a->exposure, p->m);
	}
}

/* The passes side by side, the findings finished and settled among them. */
static int run_passes(tm_analysis *a, const tm_model *m, const tm_analysis_opts *opts)
{
	struct passes p = {.a = a, .m = m, .opts = opts, .calls = tm_blast_calls_new(m)};
	atomic_init(&p.checked, 0);
	if (!p.calls)
		return TM_ENOMEM;
	tm_parallel_for(TM_ARRAY_LEN(p.rc), run_pass, &p);
	tm_blast_calls_free(p.calls);
	int rc = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(p.rc); i++)
		if (p.rc[i] && !rc)
			rc = p.rc[i];
	if (!rc && !opts->defer_blast)
		rc = tm_blast_join(&a->blast, p.blasts, BLAST_PARTS);
	for (size_t i = 0; i < BLAST_PARTS; i++)
		tm_blast_free(p.blasts[i]); /* those not joined */
	if (rc) {
		for (size_t i = 0; i < CHECK_PARTS && !p.merged; i++)
			tm_findings_free(p.parts[i]);
		return rc;
	}
	return p.merge_rc;
}

/* One system of the plan; last: no other system of it is run after this one (its files are freed
 * once this one is modelled). */
static int analyse(tm_analysis **out, const tm_analysis_opts *opts, tm_scan_set *set, size_t system, bool last)
{
	*out = NULL;
	tm_analysis *a = tm_calloc(1, sizeof(*a));
	if (!a || !(a->arena = tm_arena_new())) {
		tm_free(a);
		return TM_ENOMEM;
	}
	const char *variant = tm_scan_set_system(set, system);
	const char *base = opts->name ? opts->name : "system";
	/* the variant at the top of the scanned tree is "." in the systems list; its title says so */
	a->name = !variant ? tm_arena_strdup(a->arena, base)
		  : strcmp(variant, ".") == 0 ? tm_arena_printf(a->arena, "%s: the top directory", base)
					      : tm_arena_printf(a->arena, "%s: %s", base, variant);
	a->system = variant ? tm_arena_strdup(a->arena, variant) : NULL;
	a->roots = tm_arena_alloc(a->arena, (opts->nroots + 1) * sizeof(char *));
	for (size_t i = 0; a->roots && i < opts->nroots; i++)
		a->roots[i] = tm_arena_strdup(a->arena, opts->roots[i]);
	phase(opts, "building the model");
	tm_arena_prefault(true); /* one thread builds: another faults its pages in ahead */
	a->scan_rc = tm_scan_set_run(set, system, &a->scan);
	tm_arena_prefault(false);
	if (last)
		tm_scan_set_drop_files(set);
	if (!a->scan || !a->name || !a->roots || tm_arena_failed(a->arena)) {
		tm_analysis_free(a);
		return TM_ENOMEM;
	}
	*out = a;
	if (a->scan_rc == TM_ENOMEM)
		return TM_ENOMEM;
	const tm_model *m = tm_scan_model(a->scan);
	/* the rules (then exposure) and the blast-radius walks only read the frozen model: side by side */
	phase(opts, "rules, exposure and blast radius");
	int rc = run_passes(a, m, opts);
	if (!rc && opts->defer_blast) /* the rest for the findings a review shows: tm_analysis_weigh_review */
		rc = tm_findings_weigh_paths(a->findings);
	else if (!rc) /* impact into priority: what a compromise at each finding's workload reaches */
		rc = tm_findings_weigh(a->findings, m, a->blast);
	a->weigh_deferred = opts->defer_blast;
	if (rc)
		return rc;
	figures(a->scan, &a->fig);
	a->complete = true;
	return a->scan_rc;
}

static int plan(tm_scan_set **set, const tm_analysis_opts *opts)
{
	if (opts->nroots) {
		tm_scan_opts so = {opts->roots, opts->nroots, opts->limits, opts->exclude, opts->nexclude, opts->no_gitignore,
				   opts->helm_binary, opts->cache, opts->progress, opts->progress_ud};
		return tm_scan_plan(set, &so);
	}
	return tm_scan_plan_mem_cached(set, opts->files, opts->nfiles, &opts->limits, opts->cache, opts->exclude,
				       opts->nexclude, opts->repo_prefix);
}

/* The plan of the inputs and the systems to analyse in it: every one, or opts->system alone.
 * 0, TM_ENOMEM (the plan fails only for lack of memory), TM_EINVALID (no such system; no plan). */
static int plan_systems(const tm_analysis_opts *opts, tm_scan_set **set, size_t *first, size_t *count)
{
	phase(opts, "reading inputs");
	int rc = plan(set, opts);
	if (rc)
		return rc;
	*first = 0;
	*count = tm_scan_set_systems(*set);
	if (opts->system) {
		int k = tm_scan_set_find(*set, opts->system);
		if (k < 0) {
			tm_scan_set_free(*set);
			*set = NULL;
			return TM_EINVALID;
		}
		*first = (size_t)k;
		*count = 1;
	}
	return 0;
}

/* The two sides of a comparison: planned side by side, then analysed side by side, or once for
 * both when their plans hold the same inputs. */
struct pair {
	tm_analysis **out;
	const tm_analysis_opts *opts;
	int *rcs;
	tm_scan_set *set[2];
	size_t first[2], count[2];
};

static void pair_plan(void *ud, size_t i)
{
	struct pair *p = ud;
	p->rcs[i] = plan_systems(&p->opts[i], &p->set[i], &p->first[i], &p->count[i]);
}

static void pair_analyse(void *ud, size_t i)
{
	struct pair *p = ud;
	if (!p->set[i])
		return; /* the plan failed: its rc stands, with no analysis (as tm_analysis_run) */
	p->rcs[i] = analyse(&p->out[i], &p->opts[i], p->set[i], p->first[i], true);
	tm_scan_set_free(p->set[i]);
	p->set[i] = NULL;
}

/* The variant both sides are compared in, when neither names one and there are several: the first
 * (the primary first) whose inputs differ between the sides, of those both hold; the primary when
 * none does. Each other variant that changed (one side's alone counts) goes to *also (names, in the
 * head's plan's order, then the base's alone). Linear in the plans' files. */
static void choose_system(struct pair *p, const char ***also, size_t *nalso, bool *by_change)
{
	tm_scan_set *h = p->set[0], *b = p->set[1];
	size_t nh = tm_scan_set_systems(h), nb = tm_scan_set_systems(b);
	*also = NULL;
	*nalso = 0;
	*by_change = false;
	if (p->opts[0].system || p->opts[1].system || (nh < 2 && nb < 2))
		return;
	const char **list = tm_calloc(nh + nb, sizeof(*list));
	bool *mh = tm_calloc(nh, sizeof(bool)), *mb = tm_calloc(nb, sizeof(bool));
	if (!list || !mh || !mb || tm_scan_set_changed_systems(h, b, mh, mb)) {
		tm_free(list); /* out of memory: the primary, as before */
		tm_free(mh);
		tm_free(mb);
		return;
	}
	size_t n = 0, chosen = SIZE_MAX, chosen_base = 0;
	for (size_t i = 0; i < nh; i++) { /* the first that changed and both sides hold */
		const char *name = tm_scan_set_system(h, i);
		int j = name ? tm_scan_set_find(b, name) : -1;
		mh[i] = j < 0 || mh[i] || mb[j];
		if (mh[i] && j >= 0 && chosen == SIZE_MAX) {
			chosen = i;
			chosen_base = (size_t)j;
		}
	}
	size_t compared = chosen != SIZE_MAX ? chosen : p->first[0];
	for (size_t i = 0; i < nh; i++)
		if (mh[i] && i != compared && tm_scan_set_system(h, i))
			list[n++] = tm_scan_set_system(h, i);
	for (size_t j = 0; j < nb; j++) { /* variants the head no longer has */
		const char *name = tm_scan_set_system(b, j);
		if (name && tm_scan_set_find(h, name) < 0)
			list[n++] = name;
	}
	if (chosen != SIZE_MAX && (chosen != p->first[0] || chosen_base != p->first[1])) {
		p->first[0] = chosen;
		p->first[1] = chosen_base;
		*by_change = true;
	}
	tm_free(mh);
	tm_free(mb);
	if (!n) {
		tm_free(list);
		list = NULL;
	}
	*also = list;
	*nalso = n;
}

/* The head's record of choose_system's choice, its names copied into its arena. */
static void keep_choice(tm_analysis *head, const char **also, size_t n, bool by_change)
{
	if (!head)
		return;
	head->system_by_change = by_change;
	head->also_changed = n ? tm_arena_alloc(head->arena, n * sizeof(*head->also_changed)) : NULL;
	for (size_t i = 0; head->also_changed && i < n; i++)
		head->also_changed[head->nalso_changed++] = tm_arena_strdup(head->arena, also[i]);
}

bool tm_analysis_run_pair(tm_analysis *out[2], const tm_analysis_opts opts[2], int rcs[2])
{
	struct pair p = {out, opts, rcs, {NULL, NULL}, {0, 0}, {0, 0}};
	out[0] = out[1] = NULL;
	bool git = false;
	for (size_t i = 0; i < 2 && !git; i++)
		git = !opts[i].no_gitignore && tm_scan_threads_begin(opts[i].roots, opts[i].roots ? opts[i].nroots : 0);
	tm_parallel_for(2, pair_plan, &p);
	const char **also = NULL;
	size_t nalso = 0;
	bool by_change = false;
	if (p.set[0] && p.set[1])
		choose_system(&p, &also, &nalso, &by_change);
	bool shared = false;
	const char *t0 = opts[0].today, *t1 = opts[1].today;
	bool same_opts = (t0 == t1 || (t0 && t1 && strcmp(t0, t1) == 0)) &&
			 opts[0].defer_blast <= opts[1].defer_blast; /* the shared analysis is opts[0]'s */
	if (same_opts && p.set[0] && p.set[1] && tm_scan_set_same(p.set[0], p.first[0], p.set[1], p.first[1])) {
		/* the same inputs make the same analysis: the first side's serves both, unless it read
		 * what the comparison never saw (a $ref outside the walk, an input changed since) */
		phase(&opts[0], "the same inputs on both sides, analysing them once");
		pair_analyse(&p, 0);
		shared = out[0] && rcs[0] != TM_ENOMEM && tm_analysis_complete(out[0]) &&
			 tm_scan_outside_reads(out[0]->scan) == 0;
		if (shared) {
			out[1] = out[0];
			rcs[1] = rcs[0];
			tm_scan_set_free(p.set[1]);
			p.set[1] = NULL;
		} else {
			phase(&opts[0], "read outside the comparison, analysing the base too");
			pair_analyse(&p, 1);
		}
	} else {
		tm_parallel_for(2, pair_analyse, &p);
	}
	tm_scan_threads_end(git);
	keep_choice(out[0], also, nalso, by_change);
	tm_free(also);
	return shared;
}

int tm_analysis_run_all(tm_analysis ***out, size_t *n, const tm_analysis_opts *opts)
{
	*out = NULL;
	*n = 0;
	tm_scan_set *set = NULL;
	size_t first, count;
	int rc = plan_systems(opts, &set, &first, &count);
	if (rc)
		return rc;
	tm_analysis **list = tm_calloc(count, sizeof(*list));
	if (!list) {
		tm_scan_set_free(set);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		int r = analyse(&list[i], opts, set, first + i, i + 1 == count);
		if (!list[i]) {
			rc = TM_ENOMEM;
			break;
		}
		(*n)++;
		if (r && (!rc || r == TM_ENOMEM))
			rc = r;
		if (r == TM_ENOMEM)
			break;
	}
	tm_scan_set_free(set);
	*out = list;
	return rc;
}

void tm_analysis_free_all(tm_analysis **list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		tm_analysis_free(list[i]);
	tm_free(list);
}

int tm_analysis_run(tm_analysis **out, const tm_analysis_opts *opts)
{
	*out = NULL;
	tm_scan_set *set = NULL;
	size_t first, count;
	int rc = plan_systems(opts, &set, &first, &count);
	if (rc)
		return rc;
	rc = analyse(out, opts, set, first, true); /* the primary, or the system named */
	tm_scan_set_free(set);
	return rc;
}

/* The rest of a's weighing (defer_blast) for the findings mark[] holds: the walks of their workloads
 * (a fold's members', else the subject's), then tm_findings_weigh_rest. */
static int weigh_marked(tm_analysis *a, const bool *mark)
{
	const tm_model *m = tm_scan_model(a->scan);
	const char **workloads = NULL;
	size_t nw = 0, cap = 0;
	int rc = 0;
	for (size_t i = 0; i < tm_findings_count(a->findings) && !rc; i++) {
		const tm_finding *f = tm_findings_at(a->findings, i);
		for (size_t k = 0; mark[i] && k < (f->naffected ? f->naffected : 1) && !rc; k++) {
			const char *w = tm_findings_weigh_workload(m, f->naffected ? f->affected[k].node : f->subject);
			if (w && !(rc = TM_GROW(workloads, cap, nw + 1)))
				workloads[nw++] = w;
		}
	}
	tm_blast *some = NULL;
	if (!rc)
		rc = tm_blast_run_some(&some, m, workloads, nw);
	if (!rc)
		rc = tm_findings_weigh_rest(a->findings, m, some, mark);
	if (!rc) {
		a->blast = some; /* the walks that were needed, freed with the analysis */
		a->weigh_deferred = false;
	} else {
		tm_blast_free(some);
	}
	tm_free(workloads);
	return rc;
}

int tm_analysis_weigh_review(tm_analysis *base, tm_analysis *head)
{
	if (!base || !head || !base->findings || !head->findings || (!base->weigh_deferred && !head->weigh_deferred))
		return 0;
	if (base == head) /* one analysis of both sides (tm_analysis_run_pair): nothing is gone */
		base = NULL;
	size_t nb = base ? tm_findings_count(base->findings) : 0, nh = tm_findings_count(head->findings);
	bool *gone = tm_calloc(nb + 1, sizeof(*gone)), *fresh = tm_calloc(nh + 1, sizeof(*fresh));
	int rc = !gone || !fresh ? TM_ENOMEM : base ? tm_delta_marks(base->findings, head->findings, gone, fresh) : 0;
	for (size_t i = 0; i < nh && !rc; i++) {
		const tm_finding *f = tm_findings_at(head->findings, i);
		fresh[i] = fresh[i] || f->status == TM_STATUS_ACCEPTED || f->expired;
	}
	if (!rc && base && base->weigh_deferred)
		rc = weigh_marked(base, gone);
	if (!rc && head->weigh_deferred)
		rc = weigh_marked(head, fresh);
	tm_free(gone);
	tm_free(fresh);
	return rc;
}

void tm_analysis_free(tm_analysis *a)
{
	if (!a)
		return;
	tm_findings_free(a->findings);
	tm_exposure_free(a->exposure);
	tm_blast_free(a->blast);
	tm_scan_free(a->scan);
	tm_arena_free(a->arena);
	tm_free(a);
}

bool tm_analysis_unreadable(const tm_analysis *a)
{
	return a->scan_rc == TM_EIO ||
	       (tm_scan_parsed_count(a->scan) == 0 && tm_diag_count(tm_scan_diags(a->scan), TM_LEVEL_ERROR));
}

bool tm_analysis_complete(const tm_analysis *a) { return a->complete; }
const char *tm_analysis_name(const tm_analysis *a) { return a->name; }
const char *tm_analysis_system(const tm_analysis *a) { return a->system; }
bool tm_analysis_system_by_change(const tm_analysis *a) { return a->system_by_change; }
size_t tm_analysis_also_changed_count(const tm_analysis *a) { return a->nalso_changed; }
const char *tm_analysis_also_changed(const tm_analysis *a, size_t i)
{
	return i < a->nalso_changed ? a->also_changed[i] : NULL;
}
const char *const *tm_analysis_roots(const tm_analysis *a) { return a->roots; }
const tm_scan *tm_analysis_scan(const tm_analysis *a) { return a->scan; }
const tm_model *tm_analysis_model(const tm_analysis *a) { return tm_scan_model(a->scan); }
const tm_diag_list *tm_analysis_diags(const tm_analysis *a) { return tm_scan_diags(a->scan); }
const tm_findings *tm_analysis_findings(const tm_analysis *a) { return a->findings; }

size_t tm_analysis_keep_at_least(tm_analysis *a, tm_severity min)
{
	return a ? tm_findings_keep_at_least(a->findings, min) : 0;
}
const tm_exposure *tm_analysis_exposure(const tm_analysis *a) { return a->exposure; }
const tm_blast *tm_analysis_blast(const tm_analysis *a) { return a->blast; }
const tm_figures *tm_analysis_figures(const tm_analysis *a) { return &a->fig; }

const tm_finding *tm_analysis_finding(const tm_analysis *a, const char *fingerprint)
{
	for (size_t i = 0; fingerprint && i < tm_findings_count(a->findings); i++)
		if (strcmp(tm_findings_at(a->findings, i)->fingerprint, fingerprint) == 0)
			return tm_findings_at(a->findings, i);
	return NULL;
}

int tm_analysis_settle(tm_analysis *a, const char *today, const tm_finding_decision *d, size_t n)
{
	return a->findings ? tm_findings_decide(a->findings, tm_scan_model(a->scan), today, d, n) : 0;
}
