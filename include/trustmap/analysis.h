/*
 * trustmap/analysis.h - one analysis of one system: everything a report, the web UI, a review,
 * `paths` or `query` reads, computed once by the library.
 *
 * tm_analysis_run() scans the inputs (roots on disk, or files held in memory), builds the model,
 * runs every rule (findings settled with the overlay's decisions), computes exposure, the blast
 * radius of every workload and the coverage figures. Readers take `const tm_analysis *` and never
 * compute: the Markdown, JSON, HTML, SARIF and terminal reports and `serve` all show the exposure
 * computed here, so they cannot disagree.
 *
 * One analysis is one system. A repository may hold several (deployment variants): the caller
 * runs one analysis per system and hands the list to tm_report_write (a JSON report then carries
 * every system, docs/json.md).
 *
 * Ownership: the analysis owns its scan, model, findings, exposure, blast radius and figures;
 * every pointer an accessor returns lives as long as the analysis. The only change after the run
 * is tm_analysis_settle (the register's decisions), made before any reader sees it.
 */
#ifndef TRUSTMAP_ANALYSIS_H
#define TRUSTMAP_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustmap/common.h"
#include "trustmap/findings.h"
#include "trustmap/paths.h"
#include "trustmap/scan.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tm_analysis tm_analysis;

/* What to analyse. Exactly one of roots (nroots >= 1) or files (nfiles >= 0) is used: roots when
 * set, else the in-memory files (a git tree, see tm_scan_run_mem). */
typedef struct {
	const char *const *roots;
	size_t nroots;
	const tm_mem_file *files;
	size_t nfiles;
	tm_limits limits;  /* tm_limits_default() unless the caller wants others */
	const char *name;  /* the system's name, for titles; NULL: "system" */
	const char *today; /* YYYY-MM-DD: the overlay's acceptances past it are open again; NULL: undated */
	/* Called as each phase starts ("reading inputs", "rules", "exposure", "blast radius"), for a
	 * progress line; NULL: none. The library never prints. */
	void (*progress)(void *ud, const char *phase);
	void *progress_ud;
	const char *const *exclude; /* globs the walk leaves out (tm_scan_opts) */
	size_t nexclude;
	bool no_gitignore;
	const char *system; /* one variant by name (tm_scan_set_system); NULL: every system */
	const char *helm_binary; /* render charts with this helm program (tm_scan_opts); NULL: natively */
	tm_parse_cache *cache;   /* parsed files kept by content (tm_scan_opts); NULL: none */
	/* In-memory files: where they sit in their repository (tm_scan_repo_prefix), for the paths
	 * GitOps objects name from its top; NULL: its top. A root's is found from its path. */
	const char *repo_prefix;
	/* A side of a diff: the blast radius is not walked, and the findings are weighed by the attack
	 * paths alone, until tm_analysis_weigh_review walks it for the findings a review shows (the
	 * base's resolved ones; the head's new, accepted and expired ones). Its findings' priorities
	 * and order are a whole analysis's only for those. */
	bool defer_blast;
} tm_analysis_opts;

/* The figures every report shows and the register keeps per run. Ratios are 0..1. */
typedef struct {
	size_t services, endpoints, entrypoints, identities, gateways; /* services: declared ones */
	size_t unresolved_names; /* service nodes only a name made (tm_node_unresolved_name): not in services */
	size_t documents;
	double endpoints_with_known_authz, services_with_owner, workloads_with_policy;
	/* Coverage of the live architecture, from runtime maps (all 0 when the scan read none):
	 * services seen at runtime that the model declares / does not know (observed_only), calls
	 * seen (CALLS edges marked observed) and those of them the model declares, and the requests
	 * those calls carried by the exports' own counts (callCount, flows, spans, graph edges). */
	size_t runtime_files;
	size_t observed_services_known, observed_services_unknown;
	size_t observed_calls, observed_calls_declared;
	uint64_t observed_requests, observed_requests_declared;
} tm_figures;

/*
 * Run one analysis. On return *out is set unless memory ran out before the scan existed
 * (TM_ENOMEM with *out NULL). The return value is 0; TM_EIO when a root could not be read (the
 * rest was analysed; the reason is in the diagnostics); TM_ENOMEM when memory ran out during the
 * analysis (*out is still set, with what the scan read, so the caller can print diagnostics).
 * Free with tm_analysis_free.
 */
int tm_analysis_run(tm_analysis **out, const tm_analysis_opts *opts);
void tm_analysis_free(tm_analysis *a);

/*
 * The two sides of a comparison (a diff's head and base) on the machine's cores: out[i] and rcs[i]
 * are what tm_analysis_run(&out[i], &opts[i]) would give. Both are planned first, side by side;
 * when the plans provably hold the same inputs (tm_scan_set_same), the options the same date (and
 * the first's blast radius deferred no more than the second's), and the analysis of the first read
 * nothing the comparison did not see (tm_scan_outside_reads), it is the analysis of both (out[1] ==
 * out[0], freed once) and the function returns true. Otherwise both are analysed, side by side.
 * Options may share a parse cache, nothing else mutable (progress callbacks are called from the
 * analyses' threads); they should differ only in what they read (roots or files), as the shared
 * analysis is made with opts[0]. See docs/incremental.md.
 */
bool tm_analysis_run_pair(tm_analysis *out[2], const tm_analysis_opts opts[2], int rcs[2]);

/*
 * Every system of the inputs (deployment variants, trustmap/scan.h), or the one opts->system
 * names: *n analyses in *out, the primary first, each as tm_analysis_run makes it (tm_analysis_run
 * is the first of them alone). The inputs are read and parsed once for all. Returns as
 * tm_analysis_run (the worst of the systems), or TM_EINVALID with none when opts->system names no
 * system. Free with tm_analysis_free_all.
 */
int tm_analysis_run_all(tm_analysis ***out, size_t *n, const tm_analysis_opts *opts);
void tm_analysis_free_all(tm_analysis **list, size_t n);
/* The variant the analysis is of (its directory or render root), or NULL for the one system. */
const char *tm_analysis_system(const tm_analysis *a);
/* A diff's head (tm_analysis_run_pair without a system named, the inputs holding several): whether
 * its variant was chosen because its inputs changed (the first such, the primary first, where the
 * primary did not change), and the other variants whose inputs changed too, which the comparison
 * did not cover (a variant one side lacks counts). Nothing for any other analysis. */
bool tm_analysis_system_by_change(const tm_analysis *a);
size_t tm_analysis_also_changed_count(const tm_analysis *a);
const char *tm_analysis_also_changed(const tm_analysis *a, size_t i);

/* Finish weighing the sides of a diff analysed with defer_blast, after the register's decisions:
 * the blast radius of the workloads of the base's findings the head lacks (tm_delta_run's resolved
 * ones) and of the head's findings that are new, accepted or expired (its new ones, those it may
 * ask to re-review, those it notes), those findings weighed by it as a whole analysis would weigh
 * them, and each side's findings sorted again: what tm_delta_run and the diff show of them is a
 * whole analysis's. A side analysed whole is left as it is. base may be head (tm_analysis_run_pair
 * made one analysis of both): nothing is then resolved. 0 or TM_ENOMEM. */
int tm_analysis_weigh_review(tm_analysis *base, tm_analysis *head);

/* True when the inputs could not be read at all: a root unreadable, or errors and not one file
 * parsed. Commands exit with 3 then. */
bool tm_analysis_unreadable(const tm_analysis *a);
/* True when the analysis is complete (rules, exposure, blast radius all ran; with defer_blast, the
 * blast radius as far as tm_analysis_weigh_review walks it). */
bool tm_analysis_complete(const tm_analysis *a);

const char *tm_analysis_name(const tm_analysis *a);
/* The roots as given (display form; none for files held in memory): NULL-terminated. */
const char *const *tm_analysis_roots(const tm_analysis *a);
const tm_scan *tm_analysis_scan(const tm_analysis *a);
const tm_model *tm_analysis_model(const tm_analysis *a);
const tm_diag_list *tm_analysis_diags(const tm_analysis *a);
/* Findings, highest priority first; each settled (status, decision) as described above. */
const tm_findings *tm_analysis_findings(const tm_analysis *a);
/* Show (and gate on) only the findings at or above min: tm_findings_keep_at_least on a's. */
size_t tm_analysis_keep_at_least(tm_analysis *a, tm_severity min);
const tm_exposure *tm_analysis_exposure(const tm_analysis *a);
const tm_blast *tm_analysis_blast(const tm_analysis *a);
const tm_figures *tm_analysis_figures(const tm_analysis *a);
/* The finding with this fingerprint, or NULL. */
const tm_finding *tm_analysis_finding(const tm_analysis *a, const char *fingerprint);

/*
 * Settle the findings again with the register's decisions (d, n; any order) as of today
 * (YYYY-MM-DD): the overlay still wins (tm_findings_decide). Called by whoever holds the register
 * (the CLI, serve after a decision) before readers see the findings. 0 or TM_ENOMEM.
 */
int tm_analysis_settle(tm_analysis *a, const char *today, const tm_finding_decision *d, size_t n);

#ifdef __cplusplus
}
#endif
#endif
