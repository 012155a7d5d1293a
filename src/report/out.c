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
	int (*fn)(const tm_report_ctx *, tm_out *);
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

int tm_report_write(const char *format, const tm_report_ctx *ctx, const tm_sink *sink)
{
	for (size_t i = 0; i < TM_ARRAY_LEN(writers); i++) {
		if (strcmp(format, writers[i].name) != 0)
			continue;
		tm_out o;
		tm_out_init(&o, sink);
		int rc = writers[i].fn(ctx, &o);
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

void tm_report_figures(const tm_scan *scan, tm_figures *out)
{
	memset(out, 0, sizeof(*out));
	const tm_model *m = tm_scan_model(scan);
	out->services = tm_model_count_kind(m, TM_NODE_SERVICE);
	out->endpoints = tm_model_count_kind(m, TM_NODE_ENDPOINT);
	out->entrypoints = tm_model_count_kind(m, TM_NODE_ENTRYPOINT);
	out->identities = tm_model_count_kind(m, TM_NODE_IDENTITY);
	out->gateways = tm_model_count_kind(m, TM_NODE_GATEWAY);
	for (size_t i = 0; i < tm_scan_input_count(scan); i++)
		out->documents += tm_scan_input(scan, i)->documents;
	size_t authz = 0, owned = 0;
	/* an endpoint's authorization is known when the edge exposing it says what it is */
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) == TM_EDGE_EXPOSES && tm_edge_authz(e) != TM_AUTHZ_UNKNOWN)
			authz++;
	}
	size_t workloads = 0, guarded = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) == TM_NODE_SERVICE && tm_node_attr_str(n, "owner"))
			owned++;
		/* a workload with a policy: a NetworkPolicy isolates its ingress */
		const tm_attr *iso = tm_node_attr_get(n, "ingress_isolated");
		if (tm_node_kind_of(n) == TM_NODE_SERVICE && tm_node_attr_str(n, "workload")) {
			workloads++;
			guarded += iso && iso->num;
		}
	}
	out->workloads_with_policy = workloads ? (double)guarded / (double)workloads : 0.0;
	out->endpoints_with_known_authz = out->endpoints ? (double)authz / (double)out->endpoints : 0.0;
	out->services_with_owner = out->services ? (double)owned / (double)out->services : 0.0;
}
