/*
 * report/report.h - internals shared by the writers: the output buffer and escaping.
 * All escaping lives in escape.c so every writer escapes the same way.
 */
#ifndef TM_REPORT_INTERNAL_H
#define TM_REPORT_INTERNAL_H

#include "trustmap/report.h"
#include "util/util.h"

/* Buffered output over a sink; errors are sticky. */
typedef struct {
	const tm_sink *sink;
	tm_strbuf buf;
	int err;
} tm_out;

void tm_out_init(tm_out *o, const tm_sink *sink);
void tm_out_puts(tm_out *o, const char *s);
void tm_out_put(tm_out *o, const char *s, size_t len);
void tm_out_printf(tm_out *o, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Flush and return the first error (0 if none). */
int tm_out_finish(tm_out *o);
/* A sink appending to a strbuf (its oom flag says if memory ran out). */
tm_sink tm_sink_strbuf(tm_strbuf *sb);

/* escape.c. Every escaper writes valid UTF-8 whatever s holds: a byte that is not part of valid UTF-8
 * becomes U+FFFD (one per byte) in every target; only a SARIF uri keeps it, percent-encoded.
 * Control characters (C0, DEL, C1) are made inert per target; docs/reports.md "Escaping" lists them. */
void tm_esc_json(tm_out *o, const char *s);       /* a quoted JSON string; controls as \u00XX */
void tm_esc_md(tm_out *o, const char *s);         /* Markdown text: no markup, no HTML, one line */
void tm_esc_md_code(tm_out *o, const char *s);    /* inline code span that cannot be broken out of */
void tm_esc_term(tm_out *o, const char *s);       /* terminal: control and bidi characters made visible (\x1b) */
void tm_esc_csv(tm_out *o, const char *s);        /* one quoted CSV cell, formula-safe, controls visible */
/* A path as an RFC 3986 uri-reference: unreserved characters and '/' kept, every other byte %XX. */
void tm_esc_uri_path(tm_out *o, const char *path);
void tm_md_cell(tm_out *o, const char *s);        /* " | " then s as Markdown text ("-" for NULL) */

/* The shared UTF-8 walk. Each code point of a valid sequence goes to fn (cp, and its n bytes at p, to
 * write as they are or escaped); each byte that is not UTF-8 is written as bad. tm_utf8_check decides
 * what is valid. Every escaper above is built on it. */
typedef void (*tm_esc_cp_fn)(tm_out *o, uint32_t cp, const unsigned char *p, size_t n);
void tm_esc_utf8_cp(tm_out *o, const char *s, tm_esc_cp_fn fn, const char *bad);
/* U+FFFD, in UTF-8: what the escapers write for each byte that is not UTF-8. */
#define TM_ESC_FFFD "\xef\xbf\xbd"
/* C0 controls, DEL and the C1 controls U+0080-U+009F. */
bool tm_esc_is_control(uint32_t cp);
/* The bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). */
bool tm_esc_is_bidi(uint32_t cp);
/* A control character as visible text: \x1b for C0 and DEL, \u009b for C1 (and \u202e for a bidi control). */
void tm_esc_visible_control(tm_out *o, uint32_t cp);

/* JSON emitter with indentation and comma bookkeeping. */
typedef struct {
	tm_out *o;
	int depth;
	bool first[64];
	bool after_key;
} tm_jw;

void tm_jw_init(tm_jw *w, tm_out *o);
void tm_jw_begin_obj(tm_jw *w);
void tm_jw_end_obj(tm_jw *w);
void tm_jw_begin_arr(tm_jw *w);
void tm_jw_end_arr(tm_jw *w);
void tm_jw_key(tm_jw *w, const char *key);
void tm_jw_str(tm_jw *w, const char *s); /* NULL writes null */
void tm_jw_int(tm_jw *w, int64_t v);
void tm_jw_num(tm_jw *w, double v);
void tm_jw_bool(tm_jw *w, bool v);
void tm_jw_null(tm_jw *w);
void tm_jw_loc(tm_jw *w, tm_loc loc); /* {"path","line","column"[,"pointer"]} */
/* "key": value pairs, the common case */
void tm_jw_kstr(tm_jw *w, const char *key, const char *s);
void tm_jw_kint(tm_jw *w, const char *key, int64_t v);
/* "key": "PREFIX" + path percent-encoded (tm_esc_uri_path); prefix is trusted ASCII or NULL. */
void tm_jw_kuri(tm_jw *w, const char *key, const char *prefix, const char *path);

/* One finding as a JSON object (CONTRACT.md), for the scan and the diff reports. */
void tm_report__json_finding(tm_jw *w, const tm_finding *f);
/* SARIF 2.1.0 with these findings as results (all rules of the registry as rules). */
/* a: the analysis the findings come from, for each subject's exposure; NULL: not shown. */
int tm_report__sarif_findings(tm_out *o, const tm_finding *const *list, size_t n, const tm_analysis *a);
/* The JSON report's header object ("trustmap": {...}). */
void tm_report__json_header(tm_jw *w);


/* What every writer reads: the primary system's analysis and the pieces of it writers use,
 * taken once by tm_report_write (writers never compute them). */
typedef struct {
	const tm_analysis *analysis;
	const tm_scan *scan;
	const tm_findings *findings;
	const tm_exposure *exposure;
	const tm_blast *blast;
	const tm_figures *fig;
	const char *title;
	bool color;
	const tm_diagram_opts *diagram;
	const tm_analysis *const *systems; /* every system, the primary first */
	size_t nsystems;
} tm_wctx;

/* Each writer. */
int tm_report__json(const tm_wctx *ctx, tm_out *o);
int tm_report__md(const tm_wctx *ctx, tm_out *o);
int tm_report__summary(const tm_wctx *ctx, tm_out *o);
int tm_report__sarif(const tm_wctx *ctx, tm_out *o);
int tm_report__otm(const tm_wctx *ctx, tm_out *o);
int tm_report__dot(const tm_wctx *ctx, tm_out *o);     /* diagram.c */
int tm_report__svg(const tm_wctx *ctx, tm_out *o);
int tm_report__mermaid(const tm_wctx *ctx, tm_out *o);

#endif
