/* out.c - buffered sink output, the writer table, and figures shared by writers. */
#include <stdarg.h>
#include <stdio.h>

#include "formats.h"
#include "html.h"
#include "report.h"

#define FLUSH_AT (64u * 1024u)

static int file_write(void *ud, const char *data, size_t len)
{
	return fwrite(data, 1, len, (FILE *)ud) == len ? 0 : TM_EIO;
}

tm_sink tm_sink_file(FILE *fp)
{
	tm_sink s = {file_write, fp};
	return s;
}

void tm_out_init(tm_out *o, const tm_sink *sink)
{
	memset(o, 0, sizeof(*o));
	o->sink = sink;
}

static void flush(tm_out *o)
{
	if (!o->sink)
		return; /* an output kept whole in memory (tm_out_init with no sink) */
	if (o->buf.oom && !o->err)
		o->err = TM_ENOMEM;
	if (!o->err && o->buf.len)
		o->err = o->sink->write(o->sink->ud, o->buf.data, o->buf.len);
	tm_strbuf_reset(&o->buf);
}

/* Room for len more bytes at the end of o's buffer, or NULL (its oom set): the fast path of every write. */
static inline char *room(tm_out *o, size_t len)
{
	tm_strbuf *b = &o->buf;
	if (b->data && len < b->cap - b->len)
		return b->data + b->len;
	size_t had = b->len;
	tm_strbuf_put(b, NULL, 0); /* an empty write makes the buffer, then grow it by len */
	if (b->oom || len >= SIZE_MAX - had - 1 || TM_GROW(b->data, b->cap, had + len + 1)) {
		b->oom = 1;
		return NULL;
	}
	return b->data + b->len;
}

static inline void commit(tm_out *o, size_t len)
{
	tm_strbuf *b = &o->buf;
	b->len += len;
	b->data[b->len] = '\0';
	if (b->len >= FLUSH_AT)
		flush(o);
}

void tm_out_put(tm_out *o, const char *s, size_t len)
{
	char *at = room(o, len);
	if (!at)
		return;
	if (len)
		memcpy(at, s, len);
	commit(o, len);
}

char *tm_out_room(tm_out *o, size_t len)
{
	return room(o, len);
}

void tm_out_commit(tm_out *o, size_t len)
{
	commit(o, len);
}

void tm_out_puts(tm_out *o, const char *s)
{
	tm_out_put(o, s, strlen(s));
}

void tm_out_printf(tm_out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tm_strbuf_vprintf(&o->buf, fmt, ap);
	va_end(ap);
	if (o->buf.len >= FLUSH_AT)
		flush(o);
}

void tm_out_append(tm_out *o, const tm_out *from)
{
	if (from->buf.oom || from->err) {
		if (!o->err)
			o->err = from->err ? from->err : TM_ENOMEM;
		return;
	}
	if (!o->sink || from->buf.len < FLUSH_AT) {
		tm_out_put(o, from->buf.data, from->buf.len);
		return;
	}
	/* a long run goes to the sink as it is, after what o holds */
	flush(o);
	if (!o->err)
		o->err = o->sink->write(o->sink->ud, from->buf.data, from->buf.len);
}

int tm_out_finish(tm_out *o)
{
	flush(o);
	tm_strbuf_dispose(&o->buf);
	return o->err;
}

static int strbuf_write(void *ud, const char *data, size_t len)
{
	tm_strbuf *sb = ud;
	tm_strbuf_put(sb, data, len);
	return sb->oom ? TM_ENOMEM : 0;
}

tm_sink tm_sink_strbuf(tm_strbuf *sb)
{
	tm_sink s = {strbuf_write, sb};
	return s;
}

/* ---- report kinds x formats ------------------------------------------------------ */

/* The scan writers take a tm_wctx; the table's writers take the report as const void *. */
#define SCAN_WRITER(w)                                                                                   \
	static int scan_##w(const void *ctx, tm_out *o)                                                  \
	{                                                                                                \
		return tm_report__##w(ctx, o);                                                           \
	}
SCAN_WRITER(json)
SCAN_WRITER(md)
SCAN_WRITER(sarif)
SCAN_WRITER(summary)
SCAN_WRITER(otm)
SCAN_WRITER(html)
SCAN_WRITER(dot)
SCAN_WRITER(svg)
SCAN_WRITER(mermaid)

const tm_report__format tm_report__scan_formats[] = {
	{"json", scan_json, "the full model, diagnostics and findings (schema 2)"},
	{"md", scan_md, "the threat-model artifact in Markdown, along the four questions"},
	{"sarif", scan_sarif, "SARIF 2.1.0 for GitHub code scanning: one result per finding"},
	{"summary", scan_summary, "a short human summary (the default on a terminal)"},
	{"otm", scan_otm, "Open Threat Model 0.2.0 JSON, for other threat-modeling tools"},
	{"html", scan_html, "one self-contained HTML file: diagram, findings to filter, paths to highlight"},
	{"dot", scan_dot, "the diagram as Graphviz DOT"},
	{"svg", scan_svg, "the diagram as SVG, laid out by Graphviz in-process"},
	{"mermaid", scan_mermaid, "the diagram as a Mermaid flowchart (renders in Markdown on code hosts)"},
	{NULL, NULL, NULL},
};

static const tm_report__format *const kinds[TM_REPORT_KIND_COUNT] = {
	[TM_REPORT_SCAN] = tm_report__scan_formats,
	[TM_REPORT_DIFF] = tm_report__diff_formats,
	[TM_REPORT_VERDICT] = tm_report__verdict_formats,
	[TM_REPORT_CALLERS] = tm_report__callers_formats,
	[TM_REPORT_PATHS] = tm_report__paths_formats,
	[TM_REPORT_REGISTER] = tm_report__register_formats,
	[TM_REPORT_HISTORY] = tm_report__history_formats,
	[TM_REPORT_TRAIL] = tm_report__trail_formats,
	[TM_REPORT_INPUT_CHANGES] = tm_report__input_changes_formats,
	[TM_REPORT_ESCAPE] = tm_report__escape_formats,
};

#define MAX_FORMATS 16

const tm_report__format *tm_report__find(tm_report_kind k, const char *format)
{
	if ((size_t)k >= TM_REPORT_KIND_COUNT || !format)
		return NULL;
	for (const tm_report__format *f = kinds[k]; f->name; f++)
		if (tm_strcaseeq(f->name, format))
			return f;
	return NULL;
}

int tm_report__dispatch(tm_report_kind k, const char *format, const void *report, const tm_sink *sink)
{
	const tm_report__format *f = tm_report__find(k, format);
	if (!f || !f->fn)
		return TM_EUSAGE;
	tm_out o;
	tm_out_init(&o, sink);
	int rc = f->fn(report, &o);
	int frc = tm_out_finish(&o);
	return rc ? rc : frc;
}

const char *const *tm_report_kind_formats(tm_report_kind k)
{
	/* filled from the tables on each call: the same values every time */
	static const char *names[TM_REPORT_KIND_COUNT][MAX_FORMATS + 1];
	if ((size_t)k >= TM_REPORT_KIND_COUNT)
		return NULL;
	size_t n = 0;
	for (const tm_report__format *f = kinds[k]; f->name && n < MAX_FORMATS; f++)
		names[k][n++] = f->name;
	names[k][n] = NULL;
	return names[k];
}

const char *tm_report_kind_format(tm_report_kind k, const char *format)
{
	const tm_report__format *f = tm_report__find(k, format);
	return f ? f->name : NULL;
}

const char *tm_report_kind_format_summary(tm_report_kind k, const char *format)
{
	const tm_report__format *f = tm_report__find(k, format);
	return f ? f->summary : NULL;
}

int tm_report_write(const char *format, const tm_report_ctx *rc_ctx, const tm_sink *sink)
{
	if (!tm_report__find(TM_REPORT_SCAN, format))
		return TM_EUSAGE;
	if (!rc_ctx->nsystems || !tm_analysis_complete(rc_ctx->systems[0]))
		return TM_EINVALID;
	const tm_analysis *a = rc_ctx->systems[0];
	for (size_t i = 1; i < rc_ctx->nsystems; i++)
		if (!tm_analysis_complete(rc_ctx->systems[i]))
			return TM_EINVALID;
	tm_variants *v = NULL;
	if (tm_report__variants_new(rc_ctx->systems, rc_ctx->nsystems, &v))
		return TM_ENOMEM;
	tm_wctx ctx = {a, tm_analysis_scan(a), tm_analysis_findings(a), tm_analysis_exposure(a),
		       tm_analysis_blast(a), tm_analysis_figures(a), tm_analysis_name(a), rc_ctx->color,
		       rc_ctx->diagram, rc_ctx->systems, rc_ctx->nsystems, v};
	int rc = tm_report__dispatch(TM_REPORT_SCAN, format, &ctx, sink);
	tm_report__variants_free(v);
	return rc;
}

const char *const *tm_report_formats(void)
{
	return tm_report_kind_formats(TM_REPORT_SCAN);
}

const char *tm_report_format_summary(const char *format)
{
	return tm_report_kind_format_summary(TM_REPORT_SCAN, format);
}
