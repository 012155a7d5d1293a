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

/* sink NULL: everything written stays in o->buf (its oom flag says if memory ran out). */
void tm_out_init(tm_out *o, const tm_sink *sink);
/* Append what from holds (an output with no sink) to o; from's failure becomes o's. */
void tm_out_append(tm_out *o, const tm_out *from);
void tm_out_puts(tm_out *o, const char *s);
void tm_out_put(tm_out *o, const char *s, size_t len);
/* Room for len bytes at the end of o's buffer (NULL when memory ran out: o's error says so), to be
 * written there and then counted with tm_out_commit(o, n), n <= len, before any other write. */
char *tm_out_room(tm_out *o, size_t len);
void tm_out_commit(tm_out *o, size_t len);
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
void tm_esc_json_or_null(tm_out *o, const char *s); /* the same, or null for NULL */
void tm_esc_md(tm_out *o, const char *s);         /* Markdown text: no markup, no HTML, one line */
void tm_esc_md_code(tm_out *o, const char *s);    /* inline code span that cannot be broken out of */
/* A rule's text (its fix, where to detect): each `...` a code span as tm_esc_md_code writes it, the
 * rest as tm_esc_md does (an unpaired backtick is text) */
void tm_esc_md_rich(tm_out *o, const char *s);
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

/* ---- table.c: one table emitter for every writer's tables --------------------------------------
 *
 *   tm_table t;
 *   tm_table_begin(&t, o, &(tm_table_spec){TM_TABLE_MD, cols, TM_ARRAY_LEN(cols), NULL, 0});
 *   tm_table_code(&t, id);  tm_table_text(&t, title);  tm_table_int(&t, n);  tm_table_end_row(&t);
 *   tm_table_end(&t);
 *
 * A row opens with its first cell (or tm_table_row) and closes with tm_table_end_row. Cells:
 *   text  input text, escaped for the style (tm_esc_md, tm_esc_html, tm_esc_term); NULL shows "-"
 *   code  input text as inline code (tm_esc_md_code, <code>, terminal text); NULL shows "-"
 *   int / numf  a number, or the writer's own printf of numbers ("%.0f%%"): written as it is
 *   raw   trusted text or markup the writer made, written as it is (NULL: nothing)
 *   cell  opens a cell and returns where to write it: the writer builds it with the style's own
 *         escapers (several code spans, a link, a status with a note); it closes at the next cell
 *   empty a cell with nothing in it: "| |" in Markdown, <td></td>, blank in a terminal
 *   span  opens one cell across every column (HTML colspan) for a note or a row's detail
 * Header names are the writer's own words, written as they are.
 *
 * Markdown: "| a | b |\n|---|---|\n" then "| x | y |\n" per row; nothing after the last row.
 * HTML: <table ATTRS><thead><tr><th ATTRS>..</th></tr></thead><tbody>\n, one <tr>..</tr>\n per row,
 * and tm_table_end writes "</tbody></table>" (the caller ends the line: often </section> follows).
 * Terminal: every cell is kept until tm_table_end, which pads the columns to the widest cell (one
 * column per code point) two spaces apart, a rule of dashes under the header, numbers right-aligned
 * (a column whose cells are all numbers), no trailing spaces. Memory that runs out there is the
 * out's sticky TM_ENOMEM. tm_table_end must be called once begun, whatever the style. */
typedef enum { TM_TABLE_MD, TM_TABLE_HTML, TM_TABLE_TERM } tm_table_style;

typedef struct {
	const char *name;  /* the header ("" for none) */
	const char *attrs; /* HTML: trusted attributes of its <th> ("data-sort=\"rank\""); NULL: none */
} tm_table_col;

#define TM_TABLE_HTML_LINES 1u /* HTML: <thead> and <tbody> start lines of their own (the findings tables) */

typedef struct {
	tm_table_style style;
	const tm_table_col *cols;
	size_t ncols;
	const char *attrs; /* HTML: trusted attributes of <table> ("class=\"findings\" id=\"findings\""); NULL: none */
	unsigned flags;    /* TM_TABLE_HTML_LINES */
} tm_table_spec;

typedef struct tm_table_term_cell tm_table_term_cell;

typedef struct {
	tm_out *o;
	tm_table_style style;
	size_t ncols;
	size_t col;    /* cells written in the open row */
	bool in_row;   /* a row is open */
	bool tag_open; /* HTML: "<tr" written, its ">" not yet */
	bool in_cell;  /* HTML: a cell is open ("</td>" owed) */
	tm_out drop;   /* where row attributes go in a style without them */
	tm_sink drop_sink;
	/* terminal: the cells, kept until tm_table_end */
	tm_out term;
	tm_strbuf text;
	tm_sink term_sink;
	tm_table_term_cell *cells;
	size_t ncells, cap;
	bool oom;
} tm_table;

/* Write the table's opening and its header. t is the caller's; spec is read here only. */
void tm_table_begin(tm_table *t, tm_out *o, const tm_table_spec *spec);
/* Open a row whose <tr> carries trusted attributes (NULL: none); returns where to write more of them
 * (" data-x=\"...\"", values through tm_esc_html) before the first cell. Other styles drop them. */
tm_out *tm_table_row(tm_table *t, const char *attrs);
void tm_table_text(tm_table *t, const char *s);
void tm_table_code(tm_table *t, const char *s);
void tm_table_int(tm_table *t, int64_t v);
void tm_table_numf(tm_table *t, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void tm_table_raw(tm_table *t, const char *s);
tm_out *tm_table_cell(tm_table *t);
void tm_table_empty(tm_table *t);
tm_out *tm_table_span(tm_table *t);
void tm_table_end_row(tm_table *t);
/* Close the table (and, in a terminal, write it); frees what the table holds. */
void tm_table_end(tm_table *t);

/* JSON emitter with indentation and comma bookkeeping. */
typedef struct {
	tm_out *o;
	int depth;
	bool first[64];
	bool after_key;
} tm_jw;

void tm_jw_init(tm_jw *w, tm_out *o);
/* Write n items of the array or object w has open (an item: values, or keys with their values;
 * one may write nothing), the same bytes as item(w, 0, ud) ... item(w, n - 1, ud) would. A long
 * run is written on the machine's cores: runs of items into buffers of their own, a few at a time,
 * appended in order; item must then only read what it is given. Inside such a run, and below
 * TM_JW_ITEMS_PAR items, one after another. */
#define TM_JW_ITEMS_PAR 256
void tm_jw_items(tm_jw *w, size_t n, void (*item)(tm_jw *w, size_t i, void *ud), void *ud);
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
/* One diagnostic as the reports list it: path, line, column, pointer when set, severity, message. */
void tm_report__json_diag(tm_jw *w, const tm_diag *g);
/* SARIF 2.1.0 with these findings as results (all rules of the registry as rules). */
/* a: the analysis the findings come from, for each subject's exposure; NULL: not shown. */
int tm_report__sarif_findings(tm_out *o, const tm_finding *const *list, size_t n, const tm_analysis *a);
/* The JSON report's header object ("trustmap": {...}). */
void tm_report__json_header(tm_jw *w);


/* A finding as the JSON report writes it, with the variants holding it (NULL: not written). */
void tm_report__json_finding_in(tm_jw *w, const tm_finding *f, const char *const *variants);

/* variants.c - findings across the systems of one scan (deployment variants). */
typedef struct tm_variants tm_variants;
typedef struct {
	const tm_finding *f;      /* a finding no earlier system holds */
	const tm_analysis *a;     /* the system it comes from */
	size_t system;            /* its index */
} tm_report__extra;
/* NULL (and 0) for fewer than two systems. TM_ENOMEM. */
int tm_report__variants_new(const tm_analysis *const *systems, size_t n, tm_variants **out);
void tm_report__variants_free(tm_variants *v);
/* The systems holding the finding with this fingerprint (their variant names, NULL-terminated, in
 * system order); NULL with one system. */
const char *const *tm_report__variants_of(const tm_variants *v, const char *fingerprint);
/* True when the systems holding it word it otherwise (its title or severity differs: a host, a
 * replica count, an exposure an overlay sets); the report shows the first's. */
bool tm_report__variants_differ(const tm_variants *v, const char *fingerprint);
/* True when every system holds it (or there is one system). */
bool tm_report__variants_all(const tm_variants *v, const char *fingerprint);
/* Findings of the other systems that no earlier system holds, in system order. */
size_t tm_report__variants_extra(const tm_variants *v, const tm_report__extra **out);
/* Open findings that only system holds. */
size_t tm_report__variants_only(const tm_variants *v, size_t system);
/* System i's short name (its variant). */
const char *tm_report__variant_name(const tm_variants *v, size_t system);

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
	const tm_variants *variants;       /* NULL with one system */
} tm_wctx;

/* Coverage of the live architecture (md.c): the next service a runtime export saw that the model
 * does not know (a node with observed_only), from node index *i on, *i moved past it; NULL past the
 * last. The md and html coverage sections list the first few. */
const tm_node *tm_report__unknown_service(const tm_model *m, size_t *i);

/* Each writer. */
int tm_report__json(const tm_wctx *ctx, tm_out *o);
int tm_report__md(const tm_wctx *ctx, tm_out *o);
int tm_report__summary(const tm_wctx *ctx, tm_out *o);
/* The input files with an error (a template that did not render, a document that did not parse):
 * what they would define is missing from the model, which the reports say. */
size_t tm_report__files_in_error(const tm_diag_list *d);
/* The deployments the inputs name but do not hold (TM_EREMOTE: a chart of a Helm repository, a
 * remote resource, a GitOps path outside the tree), each place once: missing from the model too. */
size_t tm_report__not_fetched(const tm_diag_list *d);
/* The observed calls' time window (summary.c): earliest start, latest end; false when no export stated one. */
bool tm_report__runtime_window(const tm_model *m, char from[32], char to[32]);
/* "runtime": {...}, the coverage of the live architecture, as a key and object of the writer's open
 * object; nothing when no runtime export was read (json.c). */
void tm_report__runtime_json(tm_jw *w, const tm_figures *fig, const tm_model *m);
int tm_report__sarif(const tm_wctx *ctx, tm_out *o);
int tm_report__otm(const tm_wctx *ctx, tm_out *o);
int tm_report__dot(const tm_wctx *ctx, tm_out *o);     /* diagram.c */
int tm_report__svg(const tm_wctx *ctx, tm_out *o);
int tm_report__mermaid(const tm_wctx *ctx, tm_out *o);

#endif
