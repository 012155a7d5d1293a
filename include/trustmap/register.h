/*
 * trustmap/register.h - the risk register's records, as the store hands them out and the report
 * writers print them: a decision, a row of the register, a run of the history. Data only.
 */
#ifndef TRUSTMAP_REGISTER_H
#define TRUSTMAP_REGISTER_H

#include <stdbool.h>
#include <stdint.h>

#include "trustmap/findings.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	const char *fingerprint, *root;
	tm_finding_status status;
	const char *owner, *why;
	const char *until, *review; /* YYYY-MM-DD or NULL */
	const char *by;       /* who recorded it */
	int64_t time;
} tm_decision;

/* A row of the register. */
typedef struct {
	const char *fingerprint, *rule, *title, *severity, *subject, *owner, *location;
	const char *state; /* present (seen by the latest full run) or resolved */
	int64_t first_seen, last_seen, resolved_at, reopened;
	/* The decision in force, as of today: the file's (recorded by the latest run) wins over the
	 * register's; an acceptance past `until` is open again with expired set. */
	tm_finding_status status;
	const char *decided_in, *decision_owner, *decided_by, *why, *until;
	bool expired;
} tm_register_row;

/* Coverage of the live architecture a run recorded (tm_figures' runtime fields); files 0: the run
 * read no runtime export (or was recorded before schema 2). */
typedef struct {
	int64_t files, services_known, services_unknown, calls, calls_declared, requests, requests_declared;
} tm_run_runtime;

typedef struct {
	int64_t id, time, findings, open, critical, high, opened, closed, fresh;
	const char *root, *revision, *command;
	double coverage_authz, coverage_owner, coverage_policy;
	int64_t revision_time, window_start; /* 0 unknown */
	bool partial;
	int64_t inputs_changed; /* input files added, changed or removed since the previous full run; -1: first */
	tm_run_runtime runtime;
} tm_history_row;

/* The time from a change landing (the first run that saw the changed element) to the first finding
 * that followed it, for the findings one run of a root saw first that followed a change of one
 * trigger. */
typedef struct {
	const char *root, *trigger; /* trigger: tm_change.trigger */
	int64_t run;                /* the run that saw the findings first */
	int64_t findings;
	double mean_seconds;         /* from the run that saw the change to the run that saw the finding */
	double mean_seconds_at_most; /* from that run's window start (the oldest commit it saw first) */
	int64_t max_seconds;
} tm_trigger_time;

/* An input file a run changed against the previous full run. */
typedef struct {
	const char *path;
	const char *change; /* added, changed, removed */
} tm_input_change;

#ifdef __cplusplus
}
#endif
#endif
