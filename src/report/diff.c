/*
 * diff.c - writing a change review: the pull-request comment (md), the diff
 * report (json, CONTRACT.md) and the new findings as SARIF.
 */
#include <stdio.h>

#include "formats.h"
#include "html.h"
#include "report.h"

#define MAX_MD_FINDINGS 15
#define MAX_MD_CHANGES 40

/* " — superseded by TM-X (severity), new: its title. What it was about still stands: not a fix" after a
 * superseded finding (tm_delta_superseded). esc writes text, code a rule id. */
static void superseded_note(tm_out *o, const tm_finding *by, void (*esc)(tm_out *, const char *),
			    void (*code)(tm_out *, const char *))
{
	tm_out_puts(o, " — superseded by ");
	code(o, by->rule->id);
	tm_out_printf(o, " (%s), new: ", tm_severity_name(by->severity));
	esc(o, by->title ? by->title : "");
	tm_out_puts(o, ". What it was about still stands: not a fix");
}

static int json(const tm_diff_report *r, tm_out *o)
{
	const tm_delta *d = r->delta;
	tm_jw w;
	tm_jw_init(&w, o);
	tm_jw_begin_obj(&w);
	tm_report__json_header(&w);
	tm_jw_kstr(&w, "base", r->base);
	tm_jw_kstr(&w, "head", r->head);
	const tm_analysis *ha = r->head_analysis;
	if (ha && tm_analysis_system(ha)) { /* several variants: the one compared, and the others changed */
		tm_jw_kstr(&w, "system", tm_analysis_system(ha));
		tm_jw_key(&w, "system_chosen_by_change");
		tm_jw_bool(&w, tm_analysis_system_by_change(ha));
		tm_jw_key(&w, "also_changed");
		tm_jw_begin_arr(&w);
		for (size_t i = 0; i < tm_analysis_also_changed_count(ha); i++)
			tm_jw_str(&w, tm_analysis_also_changed(ha, i));
		tm_jw_end_arr(&w);
	}
	tm_jw_key(&w, "changes");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < tm_delta_change_count(d); i++) {
		const tm_change *c = tm_delta_change(d, i);
		tm_jw_begin_obj(&w);
		tm_jw_kstr(&w, "trigger", c->trigger);
		tm_jw_kstr(&w, "node", c->node);
		tm_jw_kstr(&w, "text", c->text);
		tm_jw_key(&w, "evidence");
		tm_jw_begin_arr(&w);
		if (c->evidence.path)
			tm_jw_loc(&w, c->evidence);
		tm_jw_end_arr(&w);
		tm_jw_end_obj(&w);
	}
	tm_jw_end_arr(&w);
	tm_jw_kstr(&w, "review_depth", tm_delta_depth(d));
	tm_jw_kstr(&w, "review_reason", tm_delta_depth_reason(d));
	tm_jw_key(&w, "findings_new");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < tm_delta_new_count(d); i++)
		tm_report__json_finding(&w, tm_delta_new(d, i));
	tm_jw_end_arr(&w);
	tm_jw_key(&w, "findings_resolved");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < tm_delta_resolved_count(d); i++)
		tm_report__json_finding(&w, tm_delta_resolved(d, i));
	tm_jw_end_arr(&w);
	tm_jw_key(&w, "findings_superseded");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < tm_delta_superseded_count(d); i++) {
		tm_jw_begin_obj(&w);
		tm_jw_kstr(&w, "resolved", tm_delta_superseded(d, i)->fingerprint);
		tm_jw_kstr(&w, "by", tm_delta_superseded_by(d, i)->fingerprint);
		tm_jw_key(&w, "finding");
		tm_report__json_finding(&w, tm_delta_superseded(d, i));
		tm_jw_end_obj(&w);
	}
	tm_jw_end_arr(&w);
	tm_jw_key(&w, "accepted_due_for_review");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < tm_delta_rereview_count(d); i++)
		tm_jw_str(&w, tm_delta_rereview(d, i)->fingerprint);
	tm_jw_end_arr(&w);
	tm_jw_key(&w, "agenda");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < tm_delta_agenda_count(d); i++) {
		const tm_agenda_item *a = tm_delta_agenda(d, i);
		tm_jw_begin_obj(&w);
		tm_jw_kstr(&w, "question", a->question);
		tm_jw_kstr(&w, "answer", a->answer);
		tm_jw_kstr(&w, "about", a->about);
		tm_jw_end_obj(&w);
	}
	tm_jw_end_arr(&w);
	tm_jw_key(&w, "diagnostics_new");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < tm_delta_new_diag_count(d); i++)
		tm_report__json_diag(&w, tm_delta_new_diag(d, i));
	tm_jw_end_arr(&w);
	tm_jw_key(&w, "not_reviewed");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < tm_delta_unreviewed_count(d); i++)
		tm_report__json_diag(&w, tm_delta_unreviewed(d, i));
	tm_jw_end_arr(&w);
	tm_jw_end_obj(&w);
	tm_out_puts(o, "\n");
	return 0;
}

/* "(`path`:line)"; l.path is set. */
static void md_loc(tm_out *o, tm_loc l)
{
	char buf[64];
	tm_formatf(buf, sizeof(buf), ":%u", l.line);
	tm_out_puts(o, "(");
	tm_esc_md_code(o, l.path);
	tm_out_puts(o, buf);
	tm_out_puts(o, ")");
}

/* What the change did to a fold the other side held in part (tm_delta_new, tm_delta_resolved): " — new
 * here: a, b, +3 more (4 already there)"; nothing for any other finding. esc writes a node id. */
static void member_note(tm_out *o, const tm_finding *f, void (*esc)(tm_out *, const char *))
{
	size_t n = 0, shown = 0, raised = 0;
	tm_member_change kind = TM_MEMBER_SAME;
	for (size_t k = 0; k < f->naffected; k++)
		if (f->affected[k].change != TM_MEMBER_SAME) {
			kind = f->affected[k].change, n++;
			raised += kind == TM_MEMBER_RAISED;
		}
	if (!n)
		return;
	/* a member there before at a lower severity was raised by the change (now published...) */
	if (kind == TM_MEMBER_RAISED)
		kind = TM_MEMBER_NEW;
	tm_out_puts(o, kind != TM_MEMBER_NEW ? " — resolved here: "
		       : raised == n	   ? " — raised here: "
		       : raised		   ? " — new or raised here: "
					   : " — new here: ");
	for (size_t k = 0; k < f->naffected && shown < 3; k++)
		if (f->affected[k].change != TM_MEMBER_SAME) {
			tm_out_puts(o, shown++ ? ", " : "");
			esc(o, f->affected[k].node);
		}
	if (n > shown)
		tm_out_printf(o, ", +%zu more", n - shown);
	tm_out_printf(o, " (%zu %s)", f->naffected - n,
		      kind != TM_MEMBER_NEW ? "remain" : raised == n ? "unchanged" : "already there");
}

static void md_new_findings(const tm_delta *d, tm_out *o)
{
	static const tm_table_col cols[] = {{"severity", NULL}, {"rule", NULL}, {"finding", NULL}, {"where", NULL}};
	tm_table t;
	tm_out_puts(o, "#### New findings\n\n");
	tm_table_begin(&t, o, &(tm_table_spec){TM_TABLE_MD, cols, TM_ARRAY_LEN(cols), NULL, 0});
	for (size_t i = 0; i < tm_delta_new_count(d) && i < MAX_MD_FINDINGS; i++) {
		const tm_finding *f = tm_delta_new(d, i);
		tm_table_raw(&t, tm_severity_name(f->severity));
		tm_table_code(&t, f->rule->id);
		tm_out *cell = tm_table_cell(&t);
		tm_esc_md(cell, f->title ? f->title : "");
		member_note(cell, f, tm_esc_md_code);
		if (f->nevidence && f->evidence[0].path)
			md_loc(tm_table_cell(&t), f->evidence[0]);
		else
			tm_table_empty(&t);
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
	if (tm_delta_new_count(d) > MAX_MD_FINDINGS)
		tm_out_printf(o, "\n%zu more in the JSON report.\n", tm_delta_new_count(d) - MAX_MD_FINDINGS);
	tm_out_puts(o, "\n");
}

/* What n unreadable files hold, as the review's caveat says it. */
static const char *held(size_t n)
{
	return n == 1 ? "that file holds" : "those files hold";
}

/* A list of places (the review's diagnostics: at(d, i) for i < n), each "path:line:col message",
 * at most MAX_MD_CHANGES of them. */
static void md_places(tm_out *o, const tm_delta *d, size_t n, const tm_diag *(*at)(const tm_delta *, size_t))
{
	for (size_t i = 0; i < n && i < MAX_MD_CHANGES; i++) {
		const tm_diag *g = at(d, i);
		char pos[48];
		tm_formatf(pos, sizeof(pos), ":%u:%u ", g->loc.line, g->loc.col);
		tm_out_puts(o, "- ");
		tm_esc_md_code(o, g->loc.path ? g->loc.path : "?");
		tm_out_puts(o, pos);
		tm_esc_md(o, g->msg);
		tm_out_puts(o, "\n");
	}
	if (n > MAX_MD_CHANGES)
		tm_out_printf(o, "- %zu more in the JSON report\n", n - MAX_MD_CHANGES);
}

/* The head's new input problems: what the review cannot see. */
static void md_new_diags(const tm_delta *d, tm_out *o)
{
	size_t n = tm_delta_new_diag_count(d);
	tm_out_printf(o, "#### Input%s the head could not read\n\n", n == 1 ? "" : "s");
	md_places(o, d, n, tm_delta_new_diag);
	tm_out_printf(o, "\nWhat %s is not in the model: this review cannot speak for it.\n\n", held(n));
}

/* Changed inputs the model cannot show: what the review does not cover. */
static void md_unreviewed(const tm_delta *d, tm_out *o)
{
	tm_out_puts(o, "#### Changed, not modelled: review by hand\n\n");
	md_places(o, d, tm_delta_unreviewed_count(d), tm_delta_unreviewed);
	tm_out_puts(o, "\nThe model does not hold what these places deploy, so what the change does there is not in "
		       "this review.\n\n");
}

static void md_changes(const tm_delta *d, tm_out *o)
{
	static const tm_table_col cols[] = {{"trigger", NULL}, {"change", NULL}};
	tm_table t;
	tm_out_puts(o, "<details><summary>What changed</summary>\n\n");
	tm_table_begin(&t, o, &(tm_table_spec){TM_TABLE_MD, cols, TM_ARRAY_LEN(cols), NULL, 0});
	for (size_t i = 0; i < tm_delta_change_count(d) && i < MAX_MD_CHANGES; i++) {
		const tm_change *c = tm_delta_change(d, i);
		tm_table_raw(&t, c->trigger); /* a trigger name, ours */
		tm_out *cell = tm_table_cell(&t);
		tm_esc_md(cell, c->text);
		if (c->evidence.path) {
			tm_out_puts(cell, " ");
			md_loc(cell, c->evidence);
		}
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
	tm_out_puts(o, "\n</details>\n\n");
}

/* Inputs holding several variants: the one compared (chosen because its inputs changed, or the
 * primary), and the others whose inputs changed, which this review does not cover. */
static void md_variants(const tm_analysis *ha, tm_out *o)
{
	const char *sys = ha ? tm_analysis_system(ha) : NULL;
	if (!sys)
		return;
	tm_out_puts(o, "Variant compared: ");
	tm_esc_md_code(o, sys);
	tm_out_puts(o, tm_analysis_system_by_change(ha) ? " (its inputs changed; the primary variant's did not)"
							: "");
	tm_out_puts(o, ".");
	size_t n = tm_analysis_also_changed_count(ha);
	if (n) {
		tm_out_printf(o, " **Also changed, not compared here:** ");
		for (size_t i = 0; i < n; i++) {
			tm_out_puts(o, i ? ", " : "");
			tm_esc_md_code(o, tm_analysis_also_changed(ha, i));
		}
		tm_out_printf(o, ": review %s with `trustmap diff ... --system NAME`.", n == 1 ? "it" : "each");
	}
	tm_out_puts(o, "\n\n");
}

static int md(const tm_diff_report *r, tm_out *o)
{
	const tm_delta *d = r->delta;
	tm_out_puts(o, "### trustmap: threat-model review of this change\n\n");
	tm_out_printf(o, "**Review depth: %s** — ", tm_delta_depth(d));
	tm_esc_md(o, tm_delta_depth_reason(d));
	tm_out_printf(o, "\n\n%zu change%s, %zu new finding%s, %zu resolved", tm_delta_change_count(d),
		      tm_delta_change_count(d) == 1 ? "" : "s", tm_delta_new_count(d), tm_delta_new_count(d) == 1 ? "" : "s",
		      tm_delta_resolved_count(d));
	if (tm_delta_superseded_count(d))
		tm_out_printf(o, ", %zu superseded (not resolved)", tm_delta_superseded_count(d));
	tm_out_puts(o, ". Compared ");
	tm_esc_md_code(o, r->base);
	tm_out_puts(o, " with ");
	tm_esc_md_code(o, r->head);
	tm_out_puts(o, ".\n\n");
	md_variants(r->head_analysis, o);
	if (tm_delta_new_diag_count(d))
		md_new_diags(d, o);
	if (tm_delta_unreviewed_count(d))
		md_unreviewed(d, o);
	if (tm_delta_new_count(d))
		md_new_findings(d, o);
	if (tm_delta_superseded_count(d)) {
		tm_out_puts(o, "#### Superseded, not resolved\n\n");
		for (size_t i = 0; i < tm_delta_superseded_count(d); i++) {
			const tm_finding *f = tm_delta_superseded(d, i);
			tm_out_printf(o, "- `%s` ", f->rule->id);
			tm_esc_md(o, f->title);
			superseded_note(o, tm_delta_superseded_by(d, i), tm_esc_md, tm_esc_md_code);
			tm_out_puts(o, "\n");
		}
		tm_out_puts(o, "\n");
	}
	if (tm_delta_resolved_count(d)) {
		tm_out_puts(o, "<details><summary>Resolved findings</summary>\n\n");
		for (size_t i = 0; i < tm_delta_resolved_count(d); i++) {
			const tm_finding *f = tm_delta_resolved(d, i);
			tm_out_printf(o, "- `%s` ", f->rule->id);
			tm_esc_md(o, f->title);
			member_note(o, f, tm_esc_md_code);
			tm_out_puts(o, "\n");
		}
		tm_out_puts(o, "\n</details>\n\n");
	}
	if (tm_delta_change_count(d))
		md_changes(d, o);
	if (tm_delta_agenda_count(d)) {
		tm_out_puts(o, "<details><summary>Review agenda</summary>\n\n");
		const char *last = NULL;
		for (size_t i = 0; i < tm_delta_agenda_count(d); i++) {
			const tm_agenda_item *a = tm_delta_agenda(d, i);
			if (!last || strcmp(last, a->about) != 0) {
				tm_out_puts(o, last ? "\n" : "");
				tm_out_puts(o, "**");
				tm_esc_md_code(o, a->about);
				tm_out_puts(o, "**\n\n");
				last = a->about;
			}
			/* a checklist for the reviewers: what the model knows is a hint, not a tick */
			tm_out_puts(o, "- [ ] ");
			tm_esc_md(o, a->question);
			tm_out_puts(o, "\n  - ");
			if (a->answer) {
				tm_out_puts(o, "trustmap: ");
				tm_esc_md(o, a->answer);
			} else {
				tm_out_puts(o, "*unresolved: the inputs do not say*");
			}
			tm_out_puts(o, "\n");
		}
		tm_out_puts(o, "\n</details>\n\n");
	}
	if (tm_delta_rereview_count(d)) {
		tm_out_puts(o, "**Accepted risks due for re-review** (what they cover changed): ");
		for (size_t i = 0; i < tm_delta_rereview_count(d); i++) {
			tm_out_puts(o, i ? ", " : "");
			tm_esc_md_code(o, tm_delta_rereview(d, i)->fingerprint);
		}
		tm_out_puts(o, "\n");
	}
	return 0;
}

static void html_changes(const tm_delta *d, tm_out *o)
{
	static const tm_table_col cols[] = {{"Trigger", NULL}, {"Element", NULL}, {"Change", NULL}, {"Where", NULL}};
	tm_table t;
	tm_table_begin(&t, o, &(tm_table_spec){TM_TABLE_HTML, cols, TM_ARRAY_LEN(cols), NULL, 0});
	for (size_t i = 0; i < tm_delta_change_count(d); i++) {
		const tm_change *c = tm_delta_change(d, i);
		tm_table_text(&t, c->trigger ? c->trigger : "");
		tm_table_code(&t, c->node ? c->node : "");
		tm_table_text(&t, c->text ? c->text : "");
		tm_out *cell = tm_table_cell(&t);
		tm_out_puts(cell, "<code>");
		tm_esc_html(cell, c->evidence.path ? c->evidence.path : "-");
		tm_out_printf(cell, ":%u</code>", c->evidence.line);
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
}

/* md_places as an HTML list: every place. */
static void html_places(tm_out *o, const tm_delta *d, size_t n, const tm_diag *(*at)(const tm_delta *, size_t))
{
	tm_out_puts(o, "<ul>\n");
	for (size_t i = 0; i < n; i++) {
		const tm_diag *g = at(d, i);
		tm_out_puts(o, "<li><code>");
		tm_esc_html(o, g->loc.path ? g->loc.path : "?");
		tm_out_printf(o, ":%u:%u</code> ", g->loc.line, g->loc.col);
		tm_esc_html(o, g->msg);
		tm_out_puts(o, "</li>\n");
	}
	tm_out_puts(o, "</ul>\n");
}

/* An id as HTML code. */
static void html_code(tm_out *o, const char *s)
{
	tm_out_puts(o, "<code>");
	tm_esc_html(o, s);
	tm_out_puts(o, "</code>");
}

static int html(const tm_diff_report *r, tm_out *o)
{
	const tm_delta *d = r->delta;
	tm_diagram dg;
	memset(&dg, 0, sizeof(dg));
	size_t n = tm_delta_new_count(d);
	const tm_finding **list = tm_calloc(n ? n : 1, sizeof(*list));
	const char **hl = tm_calloc(n + 1, sizeof(*hl));
	if (!list || !hl) {
		tm_free(list);
		tm_free(hl);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		list[i] = tm_delta_new(d, i);
		hl[i] = list[i]->subject;
	}
	tm_diagram_opts opts = {NULL, 0, NULL, hl};
	int rc = r->head_analysis ? tm_diagram_build(&dg, tm_analysis_model(r->head_analysis), tm_analysis_exposure(r->head_analysis), &opts) : 0;
	tm_html_head(o, r->head ? r->head : "change", "Change review", false);
	tm_out_puts(o, "<header><h1>Change review: ");
	tm_esc_html(o, r->base);
	tm_out_puts(o, " &rarr; ");
	tm_esc_html(o, r->head);
	tm_out_printf(o, "</h1><p class=\"by\">trustmap " TM_VERSION "</p>\n<p>Review depth: <b>%s</b>: ",
		      tm_delta_depth(d));
	tm_esc_html(o, tm_delta_depth_reason(d));
	tm_out_printf(o, "</p>\n<ul class=\"figures\"><li><b>%zu</b> changes</li><li><b>%zu</b> new findings</li>"
			 "<li><b>%zu</b> resolved</li>",
		      tm_delta_change_count(d), n, tm_delta_resolved_count(d));
	if (tm_delta_superseded_count(d))
		tm_out_printf(o, "<li><b>%zu</b> superseded</li>", tm_delta_superseded_count(d));
	tm_out_printf(o, "<li><b>%zu</b> questions</li></ul>\n", tm_delta_agenda_count(d));
	const tm_analysis *ha = r->head_analysis;
	if (ha && tm_analysis_system(ha)) {
		tm_out_puts(o, "<p>Variant compared: <code>");
		tm_esc_html(o, tm_analysis_system(ha));
		tm_out_puts(o, tm_analysis_system_by_change(ha) ? "</code> (its inputs changed; the primary variant's did not)."
								: "</code>.");
		for (size_t i = 0; i < tm_analysis_also_changed_count(ha); i++) {
			tm_out_puts(o, i ? ", <code>" : " <b>Also changed, not compared here:</b> <code>");
			tm_esc_html(o, tm_analysis_also_changed(ha, i));
			tm_out_puts(o, "</code>");
		}
		tm_out_puts(o, tm_analysis_also_changed_count(ha) ? ": review each with <code>trustmap diff ... --system NAME</code>.</p>\n"
								 : "</p>\n");
	}
	tm_out_puts(o, "</header>\n<main>\n");
	if (tm_delta_new_diag_count(d)) {
		tm_out_puts(o, "<section id=\"inputs\"><h2>Inputs the head could not read</h2>\n");
		html_places(o, d, tm_delta_new_diag_count(d), tm_delta_new_diag);
		tm_out_printf(o, "<p>What %s is not in the model: this review cannot speak for it.</p></section>\n",
			      held(tm_delta_new_diag_count(d)));
	}
	if (tm_delta_unreviewed_count(d)) {
		tm_out_puts(o, "<section id=\"not-reviewed\"><h2>Changed, not modelled: review by hand</h2>\n");
		html_places(o, d, tm_delta_unreviewed_count(d), tm_delta_unreviewed);
		tm_out_puts(o, "<p>The model does not hold what these places deploy, so what the change does there "
			       "is not in this review.</p></section>\n");
	}
	tm_out_puts(o, "<section id=\"agenda\"><h2>Agenda for the reviewers</h2>\n<ul class=\"agenda\">\n");
	for (size_t i = 0; i < tm_delta_agenda_count(d); i++) {
		const tm_agenda_item *a = tm_delta_agenda(d, i);
		tm_out_puts(o, "<li><label><input type=\"checkbox\"> ");
		tm_esc_html(o, a->question);
		tm_out_puts(o, "</label> <small>(<code>");
		tm_esc_html(o, a->about);
		tm_out_puts(o, "</code>)</small><br><small>");
		tm_esc_html(o, a->answer ? a->answer : "unresolved: the files do not say");
		tm_out_puts(o, "</small></li>\n");
	}
	if (!tm_delta_agenda_count(d))
		tm_out_puts(o, "<li>Nothing to ask: no change calls for a review.</li>\n");
	tm_out_puts(o, "</ul></section>\n<section id=\"changes\"><h2>What changed</h2>\n");
	html_changes(d, o);
	tm_out_puts(o, "</section>\n<section id=\"wrong\"><h2>New findings</h2>\n");
	if (!rc && r->head_analysis)
		tm_html_diagram(o, &dg, r->head);
	tm_html_findings_table(o, "findings", list, n, r->head_analysis ? &dg : NULL);
	if (tm_delta_superseded_count(d)) {
		tm_out_puts(o, "</section>\n<section id=\"superseded\"><h2>Superseded, not resolved</h2>\n<ul>\n");
		for (size_t i = 0; i < tm_delta_superseded_count(d); i++) {
			const tm_finding *f = tm_delta_superseded(d, i);
			tm_out_printf(o, "<li><code>%s</code> <code>", f->fingerprint);
			tm_esc_html(o, f->rule->id);
			tm_out_puts(o, "</code> ");
			tm_esc_html(o, f->title);
			superseded_note(o, tm_delta_superseded_by(d, i), tm_esc_html, html_code);
			tm_out_puts(o, "</li>\n");
		}
		tm_out_puts(o, "</ul>");
	}
	tm_out_puts(o, "</section>\n<section id=\"resolved\"><h2>Resolved findings</h2>\n<ul>\n");
	for (size_t i = 0; i < tm_delta_resolved_count(d); i++) {
		const tm_finding *f = tm_delta_resolved(d, i);
		tm_out_printf(o, "<li><code>%s</code> <code>", f->fingerprint);
		tm_esc_html(o, f->rule->id);
		tm_out_puts(o, "</code> ");
		tm_esc_html(o, f->title);
		member_note(o, f, tm_esc_html);
		tm_out_puts(o, "</li>\n");
	}
	tm_out_puts(o, "</ul></section>\n</main>\n");
	tm_html_tail(o);
	tm_diagram_dispose(&dg);
	tm_free(list);
	tm_free(hl);
	return rc;
}

static int sarif(const tm_diff_report *r, tm_out *o)
{
	size_t n = tm_delta_new_count(r->delta);
	const tm_finding **list = n ? tm_malloc(n * sizeof(*list)) : NULL;
	if (n && !list)
		return TM_ENOMEM;
	for (size_t i = 0; i < n; i++)
		list[i] = tm_delta_new(r->delta, i);
	int rc = tm_report__sarif_findings(o, list, n, r->head_analysis);
	tm_free(list);
	return rc;
}

static int diff_md(const void *r, tm_out *o) { return md(r, o); }
static int diff_json(const void *r, tm_out *o) { return json(r, o); }
static int diff_sarif(const void *r, tm_out *o) { return sarif(r, o); }
static int diff_html(const void *r, tm_out *o) { return html(r, o); }

const tm_report__format tm_report__diff_formats[] = {
	{"md", diff_md, "a pull-request comment: review depth, new findings, what changed, the agenda"},
	{"json", diff_json, "the diff report (docs/json.md)"},
	{"sarif", diff_sarif, "SARIF 2.1.0 with the new findings as results"},
	{"html", diff_html, "the review as one page, the new findings on the head's diagram"},
	{NULL, NULL, NULL},
};

int tm_report_diff(const char *format, const tm_diff_report *r, const tm_sink *sink)
{
	return tm_report__dispatch(TM_REPORT_DIFF, format, r, sink);
}
