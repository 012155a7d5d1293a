/*
 * html.c - one self-contained HTML file: the diagram (SVG rendered in-process),
 * the four questions, findings that sort and filter by severity, layer, STRIDE,
 * owner and status, each finding's path highlighted on the diagram with its
 * evidence; for a change review, the agenda. No network: no CDN, no fonts, a
 * Content-Security-Policy that allows nothing to be fetched. Everything taken
 * from inputs is escaped as HTML text or a double-quoted attribute; the
 * script reads data only from attributes, never from inline JSON.
 */
#include <string.h>

#include "diagram.h"
#include "html.h"

static void html_cp(tm_out *o, uint32_t cp, const unsigned char *p, size_t n)
{
	switch (cp) {
	case '&': tm_out_puts(o, "&amp;"); break;
	case '<': tm_out_puts(o, "&lt;"); break;
	case '>': tm_out_puts(o, "&gt;"); break;
	case '"': tm_out_puts(o, "&quot;"); break;
	case '\'': tm_out_puts(o, "&#39;"); break;
	case '`': tm_out_puts(o, "&#96;"); break;
	default:
		/* control characters (C1 too) are not text in HTML: U+FFFD, as for a byte that is not UTF-8 */
		if (cp != '\n' && cp != '\t' && tm_esc_is_control(cp))
			tm_out_puts(o, "\xef\xbf\xbd");
		else
			tm_out_put(o, (const char *)p, n);
	}
}

void tm_esc_html(tm_out *o, const char *s)
{
	tm_esc_utf8_cp(o, s, html_cp, "\xef\xbf\xbd"); /* U+FFFD for a byte that is not UTF-8 */
}

void tm_html_head(tm_out *o, const char *title, const char *what, bool forms)
{
	tm_out_puts(o, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
		       "script-src 'unsafe-inline'; img-src data:; form-action ");
	tm_out_puts(o, forms ? "'self'" : "'none'");
	tm_out_puts(o, "; base-uri 'none'\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	tm_esc_html(o, what);
	tm_out_puts(o, ": ");
	tm_esc_html(o, title);
	tm_out_puts(o, "</title>\n<style>\n" TM_HTML_CSS "</style>\n</head>\n<body>\n");
}

/* The view index of a model node (its service for a folded endpoint), or -1. */
static long view_of(const tm_diagram *d, const char *id)
{
	void *v = id ? tm_hmap_get(&d->index, id, strlen(id)) : NULL;
	long at = v ? (long)(uintptr_t)v - 1 : -1;
	if (at < 0 && id) {
		const tm_node *n = tm_model_find(d->model, id);
		const char *svc = n && tm_node_kind_of(n) == TM_NODE_ENDPOINT ? tm_node_attr_str(n, "service") : NULL;
		v = svc ? tm_hmap_get(&d->index, svc, strlen(svc)) : NULL;
		at = v ? (long)(uintptr_t)v - 1 : -1;
	}
	return at;
}

void tm_html_finding_attrs(tm_out *o, const tm_finding *f, const tm_diagram *d)
{
	tm_out_printf(o, " data-fp=\"%s\" data-priority=\"%d\" data-severity=\"%s\" data-sevrank=\"%d\" data-layer=\"",
		      f->fingerprint, f->priority, tm_severity_name(f->severity), (int)f->severity);
	tm_esc_html(o, f->rule->layer);
	tm_out_puts(o, "\" data-stride=\"");
	for (unsigned b = 0, n = 0; b < 6; b++)
		if (f->rule->stride & (1u << b))
			tm_out_printf(o, "%s%s", n++ ? " " : "", tm_stride_name(b));
	tm_out_puts(o, "\" data-owner=\"");
	tm_esc_html(o, f->owner ? f->owner : "");
	tm_out_printf(o, "\" data-status=\"%s\" data-rule=\"", tm_status_name(f->status));
	tm_esc_html(o, f->rule->id);
	/* the path on the diagram: node ids, then the edges between consecutive nodes */
	tm_out_puts(o, "\" data-path=\"");
	long prev = -1;
	size_t shown = 0;
	for (size_t i = 0; d && f->path && f->path[i]; i++) {
		long at = view_of(d, f->path[i]);
		if (at < 0 || d->nodes[at].hidden || at == prev)
			continue;
		tm_out_printf(o, "%stm-n%ld", shown++ ? " " : "", at);
		for (size_t k = 0; prev >= 0 && k < d->ne; k++)
			if (!d->edges[k].hidden && ((long)d->edges[k].from == prev && (long)d->edges[k].to == at))
				tm_out_printf(o, " tm-e%zu", k);
		prev = at;
	}
	if (!shown && d && f->subject) {
		long at = view_of(d, f->subject);
		if (at >= 0 && !d->nodes[at].hidden)
			tm_out_printf(o, "tm-n%ld", at);
	}
	tm_out_puts(o, "\"");
}

static void loc_text(tm_out *o, tm_loc l)
{
	tm_out_puts(o, "<code>");
	tm_esc_html(o, l.path ? l.path : "?");
	tm_out_printf(o, ":%u:%u</code>", l.line, l.col);
}

void tm_html_finding_rows(tm_table *t, const tm_finding *f, const tm_diagram *d, size_t rank, tm_html_extra extra,
			  void *ud)
{
	tm_html_finding_attrs(tm_table_row(t, "class=\"finding\" tabindex=\"0\""), f, d);
	tm_table_int(t, (int64_t)rank);
	tm_table_int(t, f->priority);
	tm_out_printf(tm_table_cell(t), "<span class=\"sev sev-%s\">%s</span>", tm_severity_name(f->severity),
		      tm_severity_name(f->severity));
	tm_table_code(t, f->rule->id ? f->rule->id : "");
	tm_table_text(t, f->title ? f->title : "");
	tm_table_text(t, f->rule->layer ? f->rule->layer : "");
	tm_table_text(t, f->owner);
	tm_out *o = tm_table_cell(t);
	tm_esc_html(o, f->expired ? "open (acceptance expired)" : tm_status_name(f->status));
	if (f->decided_in) {
		tm_out_puts(o, "<br><small>");
		tm_esc_html(o, strcmp(f->decided_in, "store") == 0 ? "the register" : f->decided_in);
		tm_out_puts(o, "</small>");
	}
	tm_table_row(t, "class=\"detail\" hidden");
	o = tm_table_span(t);
	tm_out_puts(o, "<dl><dt>Fingerprint</dt><dd><code>");
	tm_out_puts(o, f->fingerprint);
	tm_out_puts(o, "</code></dd>");
	if (f->naffected) {
		/* a fold: each element with the line that states the fact on it */
		tm_out_printf(o, "<dt>Affected (%zu)</dt><dd><ul>", f->naffected);
		for (size_t i = 0; i < f->naffected; i++) {
			tm_out_puts(o, "<li><code>");
			tm_esc_html(o, f->affected[i].node);
			tm_out_puts(o, "</code> ");
			if (f->affected[i].change != TM_MEMBER_SAME) /* a diff's fold: what the change did */
				tm_out_puts(o, f->affected[i].change == TM_MEMBER_NEW	   ? "<b>new</b> "
					       : f->affected[i].change == TM_MEMBER_RAISED ? "<b>raised</b> "
											   : "<b>resolved</b> ");
			loc_text(o, f->affected[i].evidence);
			tm_out_puts(o, "</li>");
		}
		tm_out_puts(o, "</ul></dd>");
	} else {
		tm_out_puts(o, "<dt>Evidence</dt><dd><ul>");
		for (size_t i = 0; i < f->nevidence; i++) {
			tm_out_puts(o, "<li>");
			loc_text(o, f->evidence[i]);
			tm_out_puts(o, "</li>");
		}
		tm_out_puts(o, "</ul></dd>");
	}
	if (f->path && f->path[0] && !f->naffected) {
		tm_out_puts(o, "<dt>Path</dt><dd class=\"path\">");
		for (size_t i = 0; f->path[i]; i++) {
			if (i)
				tm_out_puts(o, " &rarr; ");
			tm_out_puts(o, "<code>");
			tm_esc_html(o, f->path[i]);
			tm_out_puts(o, "</code>");
		}
		tm_out_puts(o, "</dd>");
	}
	tm_out_puts(o, "<dt>What to do</dt><dd>");
	tm_esc_html(o, f->action);
	tm_out_puts(o, "</dd>");
	if (f->detect && f->detect[0]) {
		tm_out_puts(o, "<dt>Detect</dt><dd><ul>");
		for (size_t i = 0; f->detect[i]; i++) {
			tm_out_puts(o, "<li>");
			tm_esc_html(o, f->detect[i]);
			tm_out_puts(o, "</li>");
		}
		tm_out_puts(o, "</ul></dd>");
	}
	if (f->snippet) {
		tm_out_puts(o, "<dt>Guardrail</dt><dd><pre>");
		tm_esc_html(o, f->snippet);
		tm_out_puts(o, "</pre></dd>");
	}
	if (f->decided_in) {
		tm_out_puts(o, "<dt>Decision</dt><dd>");
		tm_esc_html(o, f->expired ? "accepted (expired)" : tm_status_name(f->status));
		tm_out_puts(o, " by ");
		tm_esc_html(o, f->accepted_by ? f->accepted_by : "?");
		if (f->until) {
			tm_out_puts(o, " until ");
			tm_esc_html(o, f->until);
		}
		if (f->why) {
			tm_out_puts(o, ": ");
			tm_esc_html(o, f->why);
		}
		tm_out_puts(o, "</dd>");
	}
	tm_out_puts(o, "</dl>");
	if (extra)
		extra(o, f, ud);
	tm_table_end_row(t);
}

void tm_html_findings_table(tm_out *o, const char *id, const tm_finding *const *list, size_t n, const tm_diagram *d)
{
	tm_html_findings_table_ex(o, id, list, n, d, NULL, NULL);
}

void tm_html_findings_table_ex(tm_out *o, const char *id, const tm_finding *const *list, size_t n, const tm_diagram *d,
			       tm_html_extra extra, void *ud)
{
	tm_out_printf(o, "<div class=\"filters\" data-for=\"%s\">\n", id);
	static const char *const filters[][2] = {{"severity", "Severity"}, {"layer", "Layer"}, {"stride", "STRIDE"},
						 {"owner", "Owner"},       {"status", "Status"}};
	for (size_t i = 0; i < TM_ARRAY_LEN(filters); i++)
		tm_out_printf(o, "<label>%s <select data-filter=\"%s\"><option value=\"\">all</option></select></label>\n",
			      filters[i][1], filters[i][0]);
	tm_out_puts(o, "<label>Search <input type=\"search\" data-search placeholder=\"title, rule, fingerprint\"></label>\n"
		       "<button type=\"button\" data-clear>Clear highlight</button> <span class=\"count\"></span>\n</div>\n");
	static const tm_table_col cols[] = {
		{"#", "data-sort=\"rank\""},   {"Priority", "data-sort=\"priority\""}, {"Severity", "data-sort=\"sevrank\""},
		{"Rule", "data-sort=\"rule\""}, {"Finding", NULL},                     {"Layer", "data-sort=\"layer\""},
		{"Owner", "data-sort=\"owner\""}, {"Status", "data-sort=\"status\""}};
	char attrs[160];
	tm_formatf(attrs, sizeof(attrs), "class=\"findings\" id=\"%s\"", id); /* id is the page's own */
	tm_table t;
	tm_table_begin(&t, o, &(tm_table_spec){TM_TABLE_HTML, cols, TM_ARRAY_LEN(cols), attrs, TM_TABLE_HTML_LINES});
	for (size_t i = 0; i < n; i++)
		tm_html_finding_rows(&t, list[i], d, i + 1, extra, ud);
	if (!n)
		tm_out_puts(tm_table_span(&t), "No findings.");
	tm_table_end(&t);
	tm_out_puts(o, "\n");
}

/* The diagram section: the SVG, or a note when Graphviz could not lay it out. */
void tm_html_diagram(tm_out *o, const tm_diagram *d, const char *title)
{
	tm_out_puts(o, "<figure class=\"diagram\" id=\"diagram\">\n");
	tm_strbuf svg = TM_STRBUF_INIT;
	tm_sink sink = tm_sink_strbuf(&svg);
	tm_out so;
	tm_out_init(&so, &sink);
	int rc = d->shown ? tm_diagram_svg(&so, d, title) : TM_ENOTFOUND;
	rc = rc ? rc : tm_out_finish(&so);
	if (rc)
		tm_out_finish(&so);
	if (!rc && svg.data)
		tm_out_put(o, svg.data, svg.len);
	else
		tm_out_puts(o, "<p>No diagram: nothing to draw, or Graphviz could not lay it out.</p>");
	tm_strbuf_dispose(&svg);
	tm_out_printf(o, "<figcaption>%zu of %zu nodes drawn%s. <span class=\"legend enforced\">auth on the way</span> "
			 "<span class=\"legend missing\">none</span> <span class=\"legend unknown\">not known</span> "
			 "<span class=\"legend structural\">not a request</span> <span class=\"legend internet\">"
			 "reachable from the internet</span></figcaption>\n</figure>\n",
		      d->shown, d->n, d->folded ? ", workloads folded by namespace" : "");
}

/* The share of the requests runtime maps counted that went over calls the model declares. */
static double declared_share(const tm_figures *fig)
{
	return fig->observed_requests ? (double)fig->observed_requests_declared / (double)fig->observed_requests : 0.0;
}

static void figures(tm_out *o, const tm_figures *fig, const tm_findings *fs)
{
	size_t sev[5] = {0};
	for (size_t i = 0; i < tm_findings_count(fs); i++)
		sev[tm_findings_at(fs, i)->severity]++;
	tm_out_printf(o, "<ul class=\"figures\"><li><b>%zu</b> services</li><li><b>%zu</b> endpoints</li>"
			 "<li><b>%zu</b> entry points</li><li><b>%zu</b> identities</li>"
			 "<li class=\"sev-critical\"><b>%zu</b> critical</li><li class=\"sev-high\"><b>%zu</b> high</li>"
			 "<li class=\"sev-medium\"><b>%zu</b> medium</li><li class=\"sev-low\"><b>%zu</b> low</li></ul>\n",
		      fig->services, fig->endpoints, fig->entrypoints, fig->identities, sev[4], sev[3], sev[2], sev[1]);
	if (fig->unresolved_names)
		tm_out_printf(o, "<p>And %zu name%s the configuration calls that no Service answers, marked unresolved "
				 "below (not counted among the services).</p>\n",
			      fig->unresolved_names, fig->unresolved_names == 1 ? "" : "s");
	if (fig->runtime_files)
		tm_out_printf(o, "<ul class=\"figures runtime\"><li><b>%zu</b> of %zu observed calls declared</li>"
				 "<li><b>%zu</b> observed services unknown to the model</li><li><b>%.0f%%</b> of observed "
				 "requests on declared calls</li></ul>\n",
			      fig->observed_calls_declared, fig->observed_calls, fig->observed_services_unknown,
			      declared_share(fig) * 100);
}

static void services_table(tm_out *o, const tm_wctx *ctx)
{
	static const tm_table_col cols[] = {{"Service", NULL}, {"Boundary", NULL}, {"Exposure", NULL}, {"Owner", NULL},
					    {"Evidence", NULL}};
	const tm_model *m = tm_scan_model(ctx->scan);
	tm_table t;
	tm_out_puts(o, "<h3>Services</h3>\n");
	tm_table_begin(&t, o, &(tm_table_spec){TM_TABLE_HTML, cols, TM_ARRAY_LEN(cols), NULL, 0});
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		tm_node_kind k = tm_node_kind_of(n);
		if (k != TM_NODE_SERVICE && k != TM_NODE_GATEWAY && k != TM_NODE_DATASTORE && k != TM_NODE_QUEUE &&
		    k != TM_NODE_EXTERNAL)
			continue;
		const char *x = ctx->exposure ? tm_exposure_of(ctx->exposure, n) : tm_node_attr_str(n, "exposure");
		const char *boundary = tm_node_boundary(n);
		if (tm_node_unresolved_name(n)) { /* a name no Service answers: said, not counted */
			tm_out *c = tm_table_cell(&t);
			tm_out_puts(c, "<code>");
			tm_esc_html(c, tm_node_id(n) ? tm_node_id(n) : "");
			tm_out_puts(c, "</code> <small>unresolved name");
			const char *meant = tm_node_attr_str(n, "did_you_mean");
			if (meant) {
				tm_out_puts(c, ": did you mean <code>");
				tm_esc_html(c, meant);
				tm_out_puts(c, "</code>?");
			}
			tm_out_puts(c, "</small>");
		} else {
			tm_table_code(&t, tm_node_id(n) ? tm_node_id(n) : "");
		}
		tm_table_text(&t, boundary ? boundary : "");
		tm_table_text(&t, x);
		tm_table_text(&t, tm_node_attr_str(n, "owner"));
		tm_out *ev = tm_table_cell(&t);
		if (tm_node_evidence_count(n))
			loc_text(ev, tm_node_evidence(n, 0));
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
	tm_out_puts(o, "\n");
}

static void actions(tm_out *o, const tm_findings *fs)
{
	static const tm_table_col cols[] = {{"Finding", NULL}, {"Action", NULL}, {"Type", NULL}, {"Owner", NULL}};
	tm_table t;
	tm_table_begin(&t, o, &(tm_table_spec){TM_TABLE_HTML, cols, TM_ARRAY_LEN(cols), NULL, 0});
	size_t shown = 0;
	for (size_t i = 0; i < tm_findings_count(fs); i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		if (f->status != TM_STATUS_OPEN || f->severity < TM_SEV_MEDIUM)
			continue;
		shown++;
		tm_table_text(&t, f->title ? f->title : "");
		tm_table_text(&t, f->action ? f->action : "");
		tm_table_raw(&t, tm_action_name(tm_finding_action(f)));
		tm_table_text(&t, f->owner);
		tm_table_end_row(&t);
	}
	if (!shown)
		tm_out_puts(tm_table_span(&t), "No open finding at medium or above.");
	tm_table_end(&t);
	tm_out_puts(o, "\n");
}

#define MAX_UNKNOWN_SERVICES 10

/* Coverage of the live architecture, only when a runtime export was read: the analysis' figures and
 * the first services the exports saw that the model does not know. */
static void coverage_runtime(tm_out *o, const tm_model *m, const tm_figures *fig)
{
	if (!fig->runtime_files)
		return;
	tm_out_printf(o, "<h3>Coverage of the live architecture</h3>\n<ul class=\"runtime\"><li>%zu runtime export%s read</li>"
			 "<li>Services observed: %zu the model declares, %zu it does not know",
		      fig->runtime_files, fig->runtime_files == 1 ? "" : "s", fig->observed_services_known,
		      fig->observed_services_unknown);
	size_t shown = 0, i = 0;
	for (const tm_node *n; shown < MAX_UNKNOWN_SERVICES && (n = tm_report__unknown_service(m, &i));) {
		tm_out_puts(o, shown++ ? ", <code>" : " (<code>");
		tm_esc_html(o, tm_node_id(n));
		tm_out_puts(o, "</code>");
	}
	if (shown && fig->observed_services_unknown > shown)
		tm_out_printf(o, " and %zu more", fig->observed_services_unknown - shown);
	tm_out_printf(o, "%s</li><li>Calls observed: %zu, of which the model declares %zu</li>", shown ? ")" : "",
		      fig->observed_calls, fig->observed_calls_declared);
	if (fig->observed_requests)
		tm_out_printf(o, "<li>Requests observed: %llu, %.0f%% on calls the model declares</li></ul>\n",
			      (unsigned long long)fig->observed_requests, declared_share(fig) * 100);
	else
		tm_out_puts(o, "<li>Requests observed: none counted by the exports</li></ul>\n");
}

static void coverage(tm_out *o, const tm_wctx *ctx, const tm_figures *fig)
{
	char isolated[48];
	if (fig->services)
		tm_formatf(isolated, sizeof(isolated), "%.0f%%", fig->workloads_with_policy * 100);
	else
		tm_formatf(isolated, sizeof(isolated), "n/a (no services modelled)");
	tm_out_printf(o, "<ul><li>Endpoints with known authorization: %.0f%%</li><li>Services with an owner: %.0f%%</li>"
			 "<li>Workloads a NetworkPolicy isolates: %s</li><li>%zu inputs read, %zu skipped</li></ul>\n",
		      fig->endpoints_with_known_authz * 100, fig->services_with_owner * 100, isolated,
		      tm_scan_input_count(ctx->scan), tm_scan_skip_count(ctx->scan));
	coverage_runtime(o, tm_scan_model(ctx->scan), fig);
	const tm_diag_list *dl = tm_scan_diags(ctx->scan);
	if (dl->count) {
		tm_out_puts(o, "<h3>Diagnostics</h3>\n<ul class=\"diags\">\n");
		for (size_t i = 0; i < dl->count && i < 500; i++) {
			const tm_diag *g = &dl->items[i];
			tm_out_puts(o, "<li>");
			loc_text(o, g->loc);
			tm_out_printf(o, " %s: ", tm_level_name(g->level));
			tm_esc_html(o, g->msg);
			tm_out_puts(o, "</li>\n");
		}
		tm_out_puts(o, "</ul>\n");
	}
	if (tm_scan_skip_count(ctx->scan)) {
		tm_out_puts(o, "<h3>Skipped files</h3>\n<ul>\n");
		for (size_t i = 0; i < tm_scan_skip_count(ctx->scan) && i < 500; i++) {
			const tm_skip *k = tm_scan_skip(ctx->scan, i);
			tm_out_puts(o, "<li><code>");
			tm_esc_html(o, k->path);
			tm_out_puts(o, "</code>: ");
			tm_esc_html(o, k->reason);
			tm_out_puts(o, "</li>\n");
		}
		tm_out_puts(o, "</ul>\n");
	}
}

void tm_html_tail(tm_out *o)
{
	tm_out_puts(o, "<script>\n" TM_HTML_JS "</script>\n</body>\n</html>\n");
}

int tm_report__html(const tm_wctx *ctx, tm_out *o)
{
	const tm_model *m = tm_scan_model(ctx->scan);
	const char *title = ctx->title ? ctx->title : "system";
	const tm_figures fig = *ctx->fig;
	tm_diagram d;
	int rc = tm_diagram_build(&d, m, ctx->exposure, ctx->diagram);
	if (rc) {
		tm_diagram_dispose(&d);
		return rc;
	}
	size_t n = tm_findings_count(ctx->findings);
	const tm_finding **list = tm_calloc(n ? n : 1, sizeof(*list));
	if (!list) {
		tm_diagram_dispose(&d);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		list[i] = tm_findings_at(ctx->findings, i);
	tm_html_head(o, title, "Threat model", false);
	tm_out_puts(o, "<header><h1>Threat model: ");
	tm_esc_html(o, title);
	tm_out_puts(o, "</h1><p class=\"by\">trustmap " TM_VERSION "</p>\n");
	figures(o, &fig, ctx->findings);
	tm_out_puts(o, "<nav><a href=\"#building\">1. What are we building?</a> <a href=\"#wrong\">2. What can go wrong?</a> "
		       "<a href=\"#do\">3. What are we going to do about it?</a> <a href=\"#enough\">4. Did we do a good "
		       "enough job?</a></nav>\n</header>\n<main>\n");
	tm_out_puts(o, "<section id=\"building\"><h2>1. What are we building?</h2>\n");
	tm_html_diagram(o, &d, title);
	services_table(o, ctx);
	tm_out_puts(o, "</section>\n<section id=\"wrong\"><h2>2. What can go wrong?</h2>\n"
		       "<p>Select a finding to see its evidence and highlight its path on the diagram.</p>\n");
	tm_html_findings_table(o, "findings", list, n, &d);
	tm_out_puts(o, "</section>\n<section id=\"do\"><h2>3. What are we going to do about it?</h2>\n");
	actions(o, ctx->findings);
	tm_out_puts(o, "</section>\n<section id=\"enough\"><h2>4. Did we do a good enough job?</h2>\n");
	coverage(o, ctx, &fig);
	tm_out_puts(o, "</section>\n</main>\n");
	tm_html_tail(o);
	tm_free(list);
	tm_diagram_dispose(&d);
	return 0;
}
