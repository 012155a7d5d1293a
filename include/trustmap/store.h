/*
 * trustmap/store.h - the risk register: runs, every finding's life, and every
 * decision with its owner. Two backends behind one interface: SQLite
 * ("sqlite:PATH", or a plain path; the default .trustmap/trustmap.db under the
 * scanned root) and PostgreSQL ("postgresql://..."), same schema, same
 * behaviour. The schema is versioned; migrations run on open; a store written
 * by a newer trustmap is refused.
 *
 * Every write is one transaction. SQLite runs in WAL mode with a busy timeout,
 * so concurrent scans queue rather than fail; PostgreSQL uses its
 * transactions. Decisions are audit rows, never updated in place: the latest
 * decision on a fingerprint is its status.
 *
 * All functions return 0 or a negative TM_E* code (TM_ESTORE with a message in
 * tm_store_error()). Times are seconds since the epoch, passed in by the
 * caller (the CLI owns the clock).
 */
#ifndef TRUSTMAP_STORE_H
#define TRUSTMAP_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "trustmap/analysis.h"
#include "trustmap/findings.h"
#include "trustmap/register.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TM_STORE_SCHEMA 3

typedef struct tm_store tm_store;

int tm_store_open(tm_store **out, const char *url);
/* Open for reading only (findings, history; a scan that cannot write): nothing is created, migrated
 * or written, and a store with no register yet is an error. SQLite opens the file read-only, and
 * immutable when neither it nor its directory can be written and no write-ahead log is pending, so a
 * register on a read-only file system can be read; PostgreSQL runs READ ONLY transactions. */
int tm_store_open_read_only(tm_store **out, const char *url);
/* Whether s was opened read-only. */
bool tm_store_read_only(const tm_store *s);
/* url (a store URL, a PostgreSQL URI or keyword=value connection string, a path) with the value of
 * every credential replaced by "***": the password of a URI's user info, the password and sslpassword
 * parameters (see docs/store.md). Writes at most len bytes, NUL-terminated; returns the full length.
 * The store's own messages (tm_store_error) never hold a credential either. */
size_t tm_store_redact(char *out, size_t len, const char *url);
void tm_store_close(tm_store *s);
/* The last error's message (never NULL). */
const char *tm_store_error(const tm_store *s);
/* "sqlite" or "postgresql". */
const char *tm_store_backend(const tm_store *s);

typedef struct {
	const char *root;      /* the root's key: stable across machines (see docs/store.md) */
	const char *revision;  /* a git commit, or NULL */
	const char *command;   /* "scan", "diff" */
	int64_t time;
	const char *inputs_digest;
	int64_t inputs, services, endpoints;
	double coverage_authz, coverage_owner, coverage_policy;
	/* When the scanned revision was committed, and the oldest commit not in the root's previous run's
	 * revision (the earliest a new exposure can have landed); 0 when unknown. Without the latter,
	 * the previous run's time stands in. */
	int64_t revision_time, window_start;
	/* A proposed change (diff): records the run and what it sees first, but resolves and reopens
	 * nothing, since the root's main line has not changed. */
	bool partial;
	/* Every input file read, with its content hash (16 hex digits): what changed between runs. */
	const char *const *input_paths, *const *input_digests;
	size_t ninput_files;
	/* Coverage of the live architecture (tm_figures' runtime fields, schema 2); runtime_files 0: no
	 * runtime export was read, and the run records none of them (NULL). */
	tm_run_runtime runtime;
	/* The elements of the model a change can name (schema 3): ids of nodes, boundaries and policies,
	 * each with the trigger `diff` gives it when it is new (tm_change.trigger). The register notes when
	 * each landed and, for each new finding, which landed element of its subject or path it followed
	 * (docs/store.md); nelements 0: nothing is recorded for them. */
	const char *const *elements, *const *element_triggers;
	size_t nelements;
} tm_run_info;

/* Record a run and its findings, with each one's status as settled (tm_findings_decide): first seen,
 * last seen, resolved when gone, reopened when back. */
int tm_store_record_run(tm_store *s, const tm_run_info *run, const tm_findings *f, int64_t *run_id);

/* Where and when a run was made; the rest of its record comes from the analysis. */
typedef struct {
	const char *root, *command, *revision; /* revision: a git commit, or NULL */
	int64_t time, revision_time, window_start;
	bool partial;
} tm_run_place;
/* Record an analysis as a run (tm_store_record_run): the input digest, figures and every input
 * file's content hash are taken from it, so every command records the same way. */
int tm_store_record_analysis(tm_store *s, const tm_run_place *place, const tm_analysis *a, int64_t *run_id);
/* The input files of run_id whose content differs from (or is absent in) the root's previous full run,
 * and those gone: fn(ud, path, "changed"|"added"|"removed"). */
typedef int (*tm_input_change_fn)(void *ud, const char *path, const char *change);
int tm_store_input_changes(tm_store *s, int64_t run_id, tm_input_change_fn fn, void *ud);
/* The revision of the root's latest run that had one (into buf), or "" if none. */
int tm_store_last_revision(tm_store *s, const char *root, char *buf, size_t len);


/* Why d cannot be recorded as of today (YYYY-MM-DD), or NULL: the rules `trustmap accept`, `trustmap
 * status` and the web UI share. A fingerprint; a status of accepted, mitigated, false-positive or
 * open; an acceptance names an owner, a reason and an expiry (a date, today or later) and a review
 * date (if any) no later than the expiry; mitigated and false-positive give a reason. Whether the
 * register knows the fingerprint is tm_store_known's to say. */
const char *tm_decision_problem(const tm_decision *d, const char *today);
int tm_store_decide(tm_store *s, const tm_decision *d);
/* The latest decision on fingerprint under root; *found false if none. Strings live until the next call. */
int tm_store_decision(tm_store *s, const char *root, const char *fingerprint, tm_decision *out, bool *found);
/* The latest decision on every fingerprint under root. Strings live for the callback. */
typedef int (*tm_decision_fn)(void *ud, const tm_decision *d);
int tm_store_decisions(tm_store *s, const char *root, tm_decision_fn fn, void *ud);
/* Every decision on fingerprint under root, oldest first: the audit trail. */
int tm_store_audit(tm_store *s, const char *root, const char *fingerprint, tm_decision_fn fn, void *ud);
/* Settle the analysis's findings (tm_analysis_settle) with the latest decision on each fingerprint
 * under root, as of today (YYYY-MM-DD); s NULL: trustmap.yaml's decisions alone. */
int tm_store_settle(tm_store *s, const char *root, const char *today, tm_analysis *a);
/* Whether the register has seen fingerprint under root. */
int tm_store_known(tm_store *s, const char *root, const char *fingerprint, bool *known);


typedef int (*tm_register_fn)(void *ud, const tm_register_row *row);
/* today: YYYY-MM-DD, for expiries. */
int tm_store_register(tm_store *s, const char *root, const char *today, tm_register_fn fn, void *ud);


typedef int (*tm_history_fn)(void *ud, const tm_history_row *row);
/* Runs in time order; root NULL: every root. */
int tm_store_history(tm_store *s, const char *root, tm_history_fn fn, void *ud);
typedef int (*tm_trigger_time_fn)(void *ud, const tm_trigger_time *row);
/* The time from a change landing to its first finding, per root, run (that saw the findings first)
 * and trigger, in that order; root NULL: every root. */
int tm_store_trigger_times(tm_store *s, const char *root, tm_trigger_time_fn fn, void *ud);
/* Check the store's integrity (SQLite: PRAGMA integrity_check). 0 when sound. */
int tm_store_check(tm_store *s);

#ifdef __cplusplus
}
#endif
#endif
