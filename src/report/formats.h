/*
 * report/formats.h - report kinds x formats: one table per kind, one lookup.
 *
 * Each kind's dispatch file (out.c for the scan report, diff.c, query.c, register.c, escape.c)
 * holds its table of {format name, writer, summary}, ended by a row with a NULL name; out.c
 * lists the tables by kind. Names are lowercase and matched case-insensitively. A writer takes
 * the kind's report (the type named beside each table) and writes it to a tm_out; the dispatcher
 * flushes and returns the first error.
 */
#ifndef TM_REPORT_FORMATS_H
#define TM_REPORT_FORMATS_H

#include "report.h"

typedef struct {
	const char *name;
	int (*fn)(const void *report, tm_out *o);
	const char *summary;
} tm_report__format;

extern const tm_report__format tm_report__scan_formats[];    /* const tm_wctx * */
extern const tm_report__format tm_report__diff_formats[];    /* const tm_diff_report * */
extern const tm_report__format tm_report__verdict_formats[]; /* const tm_report__query * */
extern const tm_report__format tm_report__callers_formats[]; /* const tm_report__query * */
extern const tm_report__format tm_report__register_formats[]; /* const tm_register_report * */
extern const tm_report__format tm_report__history_formats[]; /* const tm_history_report * */
extern const tm_report__format tm_report__trail_formats[];   /* const tm_trail_report * */
extern const tm_report__format tm_report__input_changes_formats[]; /* const tm_report__changes * */
extern const tm_report__format tm_report__escape_formats[];  /* const char * (NULL allowed) */
extern const tm_report__format tm_report__paths_formats[];   /* const tm_paths * */

/* What the query writers read: the request asked and its answer (one of v, c). */
typedef struct {
	const tm_request *req;
	const tm_verdict *v;
	const tm_callers *c;
	const tm_model *m; /* NULL, or the model asked: `can` says whether a runtime map saw the call */
} tm_report__query;

/* What the input-changes writers read. */
typedef struct {
	int64_t run;
	const tm_input_change *rows;
	size_t n;
} tm_report__changes;

/* The row of kind k named format (any case), or NULL. */
const tm_report__format *tm_report__find(tm_report_kind k, const char *format);
/* Write report with kind k's writer for format: 0, TM_EUSAGE for a format the kind lacks (or
 * one the library does not write), or the writer's or the sink's first error. */
int tm_report__dispatch(tm_report_kind k, const char *format, const void *report, const tm_sink *sink);

#endif
