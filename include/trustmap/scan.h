/*
 * trustmap/scan.h - discovery and ingestion: from paths on disk to a model.
 *
 * tm_scan_run() walks the given roots (files or directories), recognises each
 * document by content, feeds what it can model to the ingesters and builds the
 * model. It lists every input it used and every candidate file it skipped, with
 * the reason, and keeps the diagnostics of the whole run. One bad file never
 * stops the scan.
 */
#ifndef TRUSTMAP_SCAN_H
#define TRUSTMAP_SCAN_H

#include "trustmap/common.h"
#include "trustmap/doc.h"
#include "trustmap/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tm_scan tm_scan;

typedef struct {
	const char *const *roots; /* files or directories; at least one */
	size_t nroots;
	tm_limits limits;         /* tm_limits_default() unless the caller wants others */
	const char *const *exclude; /* globs, relative to a directory root, the walk leaves out */
	size_t nexclude;
	bool no_gitignore;        /* read files the repository's .gitignore leaves out too */
	const char *helm_binary;  /* render charts with this helm program; NULL: natively */
	tm_parse_cache *cache;    /* parsed files kept by content (borrowed); NULL: parse every file */
	/* Told what the plan is doing ("rendering charts and overlays", "reading inputs: 4096 of 10080
	 * files"), from the parsing threads too (so it must be safe to call from any thread); NULL:
	 * nothing is told. The library never prints. */
	void (*progress)(void *ud, const char *what);
	void *progress_ud;
} tm_scan_opts;

/* A file that contributed documents. kind is the first recognised document's
 * format ("kubernetes", "openapi", ...); kinds lists every format in the file. */
/* Documents of one kind (a Kubernetes, Istio or Gateway API kind) a file holds and this version does
 * not model. */
typedef struct {
	const char *kind;
	size_t count;
	uint64_t digest; /* the documents' content, whatever their order (a sum of tm_value_hash) */
} tm_kind_count;

typedef struct {
	const char *path; /* display path: relative to the root for a single directory root */
	const char *kind;
	const char *const *kinds; /* NULL-terminated, sorted */
	size_t documents;  /* documents in the file */
	size_t modelled;   /* documents this version turned into model facts */
	const tm_kind_count *unmodelled; /* the objects among the rest, by kind, in file order */
	size_t nunmodelled;
} tm_input;

/* A candidate file that contributed nothing, and why. */
typedef struct {
	const char *path;
	const char *reason;
} tm_skip;

/*
 * Run a scan. On return *out is set unless memory ran out (TM_ENOMEM). The
 * return value is 0, or TM_EIO when a root could not be read (the others were
 * still scanned; the reason is in the diagnostics). Free with tm_scan_free().
 */
int tm_scan_run(tm_scan **out, const tm_scan_opts *opts);

/* A file held in memory (a blob of a git tree): its path relative to the root, and its bytes
 * (borrowed: they must outlive the scan). */
typedef struct {
	const char *path;
	const char *data;
	size_t len;
} tm_mem_file;

/*
 * Scan files held in memory, as tm_scan_run scans a directory: the same recognition, the same
 * reports, display paths as given. A $ref resolves only to another of these files.
 */
int tm_scan_run_mem(tm_scan **out, const tm_mem_file *files, size_t n, const tm_limits *limits);
void tm_scan_free(tm_scan *s);

/*
 * Systems. A repository may hold one system several ways (deployment variants: two directories of
 * manifests defining the same objects, several kustomization roots or charts of one application).
 * tm_scan_plan walks, parses every file once, renders and finds the variants (docs/variants.md);
 * tm_scan_set_run builds the scan of one system: the files every system shares plus its variant's.
 * tm_scan_run and tm_scan_run_mem are the plan and its first system. A set is freed by the last of
 * tm_scan_set_free and the scans run from it (each holds a reference).
 */
typedef struct tm_scan_set tm_scan_set;
int tm_scan_plan(tm_scan_set **out, const tm_scan_opts *opts);
/* Around scans run on several threads at once: keeps the git library the walk uses initialised,
 * so each thread's state is released when the thread ends (libgit2 drops a thread's state
 * unreleased when its last user shuts it down from another thread first). Only when a walk of one
 * of roots (those that will be walked with .gitignore rules) would start it: starting it loads the
 * system's certificate store, about 15 ms. Returns whether it did, for tm_scan_threads_end. */
bool tm_scan_threads_begin(const char *const *roots, size_t nroots);
void tm_scan_threads_end(bool began);

int tm_scan_plan_mem(tm_scan_set **out, const tm_mem_file *files, size_t n, const tm_limits *limits);
/* The same, parsing through cache (borrowed; NULL: none), leaving out what a walk of the same tree
 * on disk leaves out: .git and .trustmap, the directories it skips (vendor, node_modules, build
 * output...: listed as skipped), and what the exclude globs name. Files are told apart by name and
 * head as the walk tells them. */
/* Where directory path sits in its git work tree, as "dir/sub/" ("" at the top), into buf: found by the
 * .git above it, without reading the repository. 0 when it is in none (buf ""), or cannot tell. A
 * GitOps object names its paths from the repository's top; a scan of one of its directories reads
 * them through this prefix. */
int tm_scan_repo_prefix(const char *path, char *buf, size_t len);
/* repo_prefix: where the files sit in their repository (tm_scan_repo_prefix); NULL or "": its top. */
int tm_scan_plan_mem_cached(tm_scan_set **out, const tm_mem_file *files, size_t n, const tm_limits *limits,
			    tm_parse_cache *cache, const char *const *exclude, size_t nexclude, const char *repo_prefix);
/* Systems in the set: 1 when there are no variants. */
size_t tm_scan_set_systems(const tm_scan_set *set);
/* System i's name (the variant's directory or render root), NULL for the one system of everything. */
const char *tm_scan_set_system(const tm_scan_set *set, size_t i);
/* The index of the system named name, or -1. */
int tm_scan_set_find(const tm_scan_set *set, const char *name);
/* 0, TM_EIO (a root could not be read; *out is set), TM_ENOMEM, TM_EINVALID (no such system). */
int tm_scan_set_run(tm_scan_set *set, size_t system, tm_scan **out);
/* Free the set's parsed API specs (OpenAPI, AsyncAPI: most of an estate's bytes) once every system
 * to be run has been: the models keep copies of what they need of them, so their memory goes to
 * the analysis that follows (the policy model still points into manifests, which stay). A set
 * whose files were dropped runs no system again (TM_EINVALID). */
void tm_scan_set_drop_files(tm_scan_set *set);
void tm_scan_set_free(tm_scan_set *set);
/* Whether system sa of plan a and system sb of plan b have provably the same inputs, so that a's
 * analysis serves as b's in a comparison (docs/incremental.md): the same input files by path, kind
 * and bytes (the tree the parse cache shared between them, else compared byte for byte), the same
 * renders from the same answers of their trees (tm_fsys_record), the same diagnostics and skips.
 * Files that are no input (source code, docs) are not compared: only a scan report counts them.
 * The same limits too. False whenever anything cannot be compared (an external helm, memory ran
 * out, a file changing while read). Records in a the state of each of its files it compared, so
 * that a's scan can tell one that changed before it read it again (tm_scan_outside_reads). */
bool tm_scan_set_same(tm_scan_set *a, size_t sa, const tm_scan_set *b, size_t sb);
/* Which systems of plan a (mark_a[], one per system, set to true) and of plan b (mark_b[]) hold an
 * input that differs between them: a file by its path (added, removed, another kind, other bytes)
 * or a render (chart, kustomization) that read one or made other documents. What a plan-wide
 * difference alone (a diagnostic, a limit) does not name is not marked. A diff uses it to compare
 * the variant that changed. Linear in the plans' files times their systems. 0 or TM_ENOMEM. */
int tm_scan_set_changed_systems(tm_scan_set *a, const tm_scan_set *b, bool *mark_a, bool *mark_b);
/* The variant a scan is of, or NULL. */
const char *tm_scan_system(const tm_scan *s);

const tm_model *tm_scan_model(const tm_scan *s);
const tm_diag_list *tm_scan_diags(const tm_scan *s);
size_t tm_scan_input_count(const tm_scan *s);
const tm_input *tm_scan_input(const tm_scan *s, size_t i);
size_t tm_scan_skip_count(const tm_scan *s);
const tm_skip *tm_scan_skip(const tm_scan *s, size_t i);
/* Candidate files that parsed (with or without recognised documents). */
size_t tm_scan_parsed_count(const tm_scan *s);
/* Reads tm_scan_set_same could not compare: $ref targets the scan looked for on the disk outside
 * its plan (the walk left them out), and inputs read while the model was built (text inputs,
 * streamed exports) that changed, or could not be opened, after the comparison read them. */
size_t tm_scan_outside_reads(const tm_scan *s);
/* Files seen during the walk that are not YAML or JSON and do not look like an input. */
size_t tm_scan_ignored_count(const tm_scan *s);
/* Parsed file i (0 .. tm_scan_parsed_count - 1): its display path, and its content hash in *digest. */
const char *tm_scan_parsed_file(const tm_scan *s, size_t i, uint64_t *digest);
/* A digest of what was read: every parsed file's display path and content hash (16 hex digits). */
void tm_scan_digest(const tm_scan *s, char out[17]);

#ifdef __cplusplus
}
#endif
#endif
