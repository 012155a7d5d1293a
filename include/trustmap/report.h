/*
 * trustmap/report.h - writing reports: one writer per format behind one table.
 *
 * Writers read a scan (and later its findings) and write bytes to a tm_sink;
 * they never change anything. Everything taken from inputs is escaped for the
 * target format. Output is deterministic: same inputs, same bytes.
 */
#ifndef TRUSTMAP_REPORT_H
#define TRUSTMAP_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "trustmap/analysis.h"
#include "trustmap/delta.h"
#include "trustmap/findings.h"
#include "trustmap/paths.h"
#include "trustmap/query.h"
#include "trustmap/scan.h"
#include "trustmap/register.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where report bytes go. write returns 0 or a negative TM_E* code. */
typedef struct {
	int (*write)(void *ud, const char *data, size_t len);
	void *ud;
} tm_sink;

/* A sink writing to a caller-owned FILE (TM_EIO on a short write). */
tm_sink tm_sink_file(FILE *fp);

/* What a diagram shows (dot, svg, mermaid, html). All optional. */
typedef struct {
	const char *focus;  /* a node id: only its neighbourhood */
	int depth;          /* hops around the focus (default 2) */
	const char *detail; /* "services" (default: endpoints folded into their service, identities and
			       secrets left out), "endpoints", "all" */
	const char *const *highlight; /* node ids to highlight (a path), NULL-terminated */
} tm_diagram_opts;

/* What a report shows: the analyses of the systems a scan found (one today; deployment variants
 * later), the first being the primary system. Writers read them and compute nothing. */
typedef struct {
	const tm_analysis *const *systems; /* at least one */
	size_t nsystems;
	bool color;                     /* ANSI colour in the terminal summary */
	const tm_diagram_opts *diagram; /* NULL: the defaults */
} tm_report_ctx;

/*
 * Write the report in format ("json", "md", "summary"). Returns 0,
 * TM_EUSAGE for an unknown format, or the sink's error.
 */
int tm_report_write(const char *format, const tm_report_ctx *ctx, const tm_sink *sink);

/*
 * Query answers (trustmap query): format "text" (a terminal answer: the
 * verdict, then each layer's step with file:line) or "json". req is echoed.
 * Returns 0, TM_EUSAGE for another format, or the sink's error.
 */
int tm_report_verdict(const char *format, const tm_request *req, const tm_verdict *v,
		      const tm_sink *sink);
/* tm_report_verdict, and, when m holds calls a runtime map observed (tm_model_has_observed),
 * whether the call from source to destination is declared, observed or both ("seen" in JSON, a
 * "seen:" line in text); m NULL: exactly tm_report_verdict. */
int tm_report_verdict_in(const char *format, const tm_model *m, const tm_request *req, const tm_verdict *v,
			 const tm_sink *sink);
int tm_report_callers(const char *format, const tm_request *req, const tm_callers *c,
		      const tm_sink *sink);
/* The same, each caller marked with whether its call to the destination is declared, observed at
 * runtime or both (m's CALLS edges), when m holds an observed call; m NULL: as tm_report_callers. */
int tm_report_callers_in(const char *format, const tm_model *m, const tm_request *req, const tm_callers *c,
			 const tm_sink *sink);
/* Attack paths (trustmap paths): "text" or "json". Returns 0, TM_EUSAGE for another format, or the
 * sink's error. */
int tm_report_paths(const char *format, const tm_paths *p, const tm_sink *sink);

/*
 * A change review (trustmap diff): "md" (a pull-request comment), "json" (CONTRACT.md's diff
 * report), "sarif" (the new findings) or "html" (the review as one page: depth, changes, new
 * findings on the head's diagram, the agenda as a checklist). base and head name the two sides (a revision or a path).
 */
typedef struct {
	const tm_delta *delta;
	const char *base, *head;
	const tm_analysis *head_analysis; /* for the html diagram (new findings' paths); NULL: none */
} tm_diff_report;
int tm_report_diff(const char *format, const tm_diff_report *r, const tm_sink *sink);

/*
 * The risk register (trustmap findings) and its history (trustmap history): "md", "json" or "csv".
 * Times are written as UTC ISO 8601.
 */
typedef struct {
	const char *root, *store, *today;
	const tm_register_row *rows;
	size_t n;
} tm_register_report;
int tm_report_register(const char *format, const tm_register_report *r, const tm_sink *sink);

/* The input files one run changed (trustmap history --run): "md", "json" or "csv". */
int tm_report_input_changes(const char *format, int64_t run, const tm_input_change *rows, size_t n,
			    const tm_sink *sink);

/* The decision trail of one finding, oldest first (trustmap findings --trail). */
typedef struct {
	const char *root, *fingerprint, *store;
	const tm_decision *decisions;
	size_t n;
} tm_trail_report;
int tm_report_trail(const char *format, const tm_trail_report *r, const tm_sink *sink);

typedef struct {
	const char *root;   /* the root the runs are about, or NULL for every root */
	const char *store, *today;
	int64_t now;
	const tm_history_row *runs; /* ordered by root, then time */
	size_t n;
	const tm_history_row *latest; /* the latest run of every root in the store, for staleness */
	size_t nlatest;
	int stale_days;     /* a root not scanned for this many days is stale */
	const tm_trigger_time *triggers; /* time from a change to its first finding, by root and trigger */
	size_t ntriggers;
} tm_history_report;
int tm_report_history(const char *format, const tm_history_report *r, const tm_sink *sink);



/*
 * One string escaped as the reports escape it (docs/reports.md "Escaping"), for callers that write
 * text of their own around input-derived names: "json" (a quoted JSON string; NULL writes null) or
 * "text" (for a terminal: control and bidirectional characters visible as \x1b or \u202e, each byte
 * that is not UTF-8 as U+FFFD; NULL writes nothing). Returns 0, TM_EUSAGE for another format, or the
 * sink's error.
 */
int tm_report_escape(const char *format, const char *s, const tm_sink *sink);

/*
 * Report kinds: each has its own formats, dispatched through one table per kind. Format names are
 * lowercase and matched case-insensitively by every tm_report_* function ("JSON" is "json").
 */
typedef enum {
	TM_REPORT_SCAN,          /* tm_report_write: json, md, sarif, summary, otm, html, dot, svg, mermaid */
	TM_REPORT_DIFF,          /* tm_report_diff: md, json, sarif, html */
	TM_REPORT_VERDICT,       /* tm_report_verdict: text, json */
	TM_REPORT_CALLERS,       /* tm_report_callers: text, json */
	TM_REPORT_PATHS,         /* trustmap paths: text, json (tm_report_paths) */
	TM_REPORT_REGISTER,      /* tm_report_register: md, json, csv */
	TM_REPORT_HISTORY,       /* tm_report_history: md, json, csv */
	TM_REPORT_TRAIL,         /* tm_report_trail: md, json, csv */
	TM_REPORT_INPUT_CHANGES, /* tm_report_input_changes: md, json, csv */
	TM_REPORT_ESCAPE,        /* tm_report_escape: json, text */
	TM_REPORT_KIND_COUNT
} tm_report_kind;

/* The formats of kind k, a static NULL-terminated list (NULL for a kind out of range). */
const char *const *tm_report_kind_formats(tm_report_kind k);
/* The canonical (lowercase, static) name of format for kind k, or NULL when k has no such format:
 * what callers validate a user's --format with. */
const char *tm_report_kind_format(tm_report_kind k, const char *format);
/* One line describing format for kind k, or NULL. */
const char *tm_report_kind_format_summary(tm_report_kind k, const char *format);

/* The scan report's formats (TM_REPORT_SCAN), for help text: NULL-terminated list of names, and a
 * one-line description each. */
const char *const *tm_report_formats(void);
const char *tm_report_format_summary(const char *format);

#ifdef __cplusplus
}
#endif
#endif
