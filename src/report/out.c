/* out.c - buffered sink output, the writer table, and figures shared by writers. */
#include <stdarg.h>
#include <stdio.h>

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
	if (o->buf.oom && !o->err)
		o->err = TM_ENOMEM;
	if (!o->err && o->buf.len)
		o->err = o->sink->write(o->sink->ud, o->buf.data, o->buf.len);
	tm_strbuf_reset(&o->buf);
}

void tm_out_put(tm_out *o, const char *s, size_t len)
{
	tm_strbuf_put(&o->buf, s, len);
	if (o->buf.len >= FLUSH_AT)
		flush(o);
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

static const struct {
	const char *name;
	int (*fn)(const tm_wctx *, tm_out *);
	const char *summary;
} writers[] = {
	{"json", tm_report__json, "the full model, diagnostics and findings (schema 1)"},
	{"md", tm_report__md, "the threat-model artifact in Markdown, along the four questions"},
	{"sarif", tm_report__sarif, "SARIF 2.1.0 for GitHub code scanning: one result per finding"},
	{"summary", tm_report__summary, "a short human summary (the default on a terminal)"},
	{"otm", tm_report__otm, "Open Threat Model 0.2.0 JSON, for other threat-modeling tools"},
	{"html", tm_report__html, "one self-contained HTML file: diagram, findings to filter, paths to highlight"},
	{"dot", tm_report__dot, "the diagram as Graphviz DOT"},
	{"svg", tm_report__svg, "the diagram as SVG, laid out by Graphviz in-process"},
	{"mermaid", tm_report__mermaid, "the diagram as a Mermaid flowchart (renders in Markdown on code hosts)"},
};

int tm_report_write(const char *format, const tm_report_ctx *rc_ctx, const tm_sink *sink)
{
	for (size_t i = 0; i < TM_ARRAY_LEN(writers); i++) {
		if (strcmp(format, writers[i].name) != 0)
			continue;
		if (!rc_ctx->nsystems || !tm_analysis_complete(rc_ctx->systems[0]))
			return TM_EINVALID;
		const tm_analysis *a = rc_ctx->systems[0];
		tm_wctx ctx = {a, tm_analysis_scan(a), tm_analysis_findings(a), tm_analysis_exposure(a),
			       tm_analysis_blast(a), tm_analysis_figures(a), tm_analysis_name(a), rc_ctx->color,
			       rc_ctx->diagram, rc_ctx->systems, rc_ctx->nsystems};
		tm_out o;
		tm_out_init(&o, sink);
		int rc = writers[i].fn(&ctx, &o);
		int frc = tm_out_finish(&o);
		return rc ? rc : frc;
	}
	return TM_EUSAGE;
}

const char *const *tm_report_formats(void)
{
	static const char *names[TM_ARRAY_LEN(writers) + 1];
	for (size_t i = 0; i < TM_ARRAY_LEN(writers); i++)
		names[i] = writers[i].name;
	return names;
}

const char *tm_report_format_summary(const char *format)
{
	for (size_t i = 0; i < TM_ARRAY_LEN(writers); i++)
		if (strcmp(format, writers[i].name) == 0)
			return writers[i].summary;
	return NULL;
}
