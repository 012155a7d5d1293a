/*
 * query.c - writing query answers: a terminal text form and JSON.
 * Names and policy names come from the scanned files, so they are escaped.
 */
#include <string.h>

#include "formats.h"
#include "report.h"

static void json_loc_or_null(tm_jw *w, const char *key, tm_loc loc)
{
	tm_jw_key(w, key);
	if (loc.path)
		tm_jw_loc(w, loc);
	else
		tm_jw_null(w);
}

static void json_request(tm_jw *w, const tm_request *req)
{
	tm_jw_key(w, "request");
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "protocol", req->tcp ? "tcp" : "http");
	if (!req->tcp) {
		tm_jw_kstr(w, "method", req->method ? req->method : "GET");
		tm_jw_kstr(w, "path", req->path ? req->path : "/");
	}
	if (req->port)
		tm_jw_kint(w, "port", req->port);
	static const char *const tokens[] = {"none", "valid", "invalid"};
	tm_jw_kstr(w, "token", tokens[req->token]);
	tm_jw_end_obj(w);
}

/* with_request: the string of what was evaluated, under "request". `query can` has the request as
 * asked under that key: what it evaluated is "evaluated" (the same, but "any request" when no
 * method or path was asked and a request other than GET / decided). */
static void json_verdict(tm_jw *w, const tm_verdict *v, bool with_request)
{
	tm_jw_key(w, "allowed");
	tm_jw_bool(w, v->allowed);
	tm_jw_key(w, "unknown");
	tm_jw_bool(w, v->unknown);
	tm_jw_kstr(w, "outcome", v->outcome);
	tm_jw_kstr(w, "route", v->route);
	tm_jw_kstr(w, with_request ? "request" : "evaluated", v->request);
	tm_jw_kstr(w, "reason", v->reason);
	tm_jw_key(w, "decided_by");
	if (v->decided_by) {
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "policy", v->decided_by);
		json_loc_or_null(w, "at", v->decided_at);
		tm_jw_end_obj(w);
	} else {
		tm_jw_null(w);
	}
	tm_jw_key(w, "steps");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < v->nsteps; i++) {
		const tm_query_step *s = &v->steps[i];
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "layer", s->layer);
		tm_jw_kstr(w, "decision", s->decision);
		tm_jw_kstr(w, "text", s->text);
		tm_jw_kstr(w, "policy", s->policy);
		json_loc_or_null(w, "at", s->loc);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
}

static void text_loc(tm_out *o, tm_loc l)
{
	if (!l.path)
		return;
	tm_out_puts(o, "  (");
	tm_esc_term(o, l.path);
	tm_out_printf(o, ":%u:%u)", l.line, l.col);
}

static void text_steps(tm_out *o, const tm_verdict *v, const char *indent)
{
	for (size_t i = 0; i < v->nsteps; i++) {
		const tm_query_step *s = &v->steps[i];
		tm_out_printf(o, "%s%-22s %-7s ", indent, s->layer, s->decision);
		tm_esc_term(o, s->text);
		text_loc(o, s->loc);
		tm_out_puts(o, "\n");
	}
}

/* The CALLS edge from the verdict's source to its destination, or NULL. */
static const tm_edge *call_edge(const tm_model *m, const tm_verdict *v)
{
	const tm_node *from = v->source_id ? tm_model_find(m, v->source_id) : NULL;
	const tm_node *to = v->destination_id ? tm_model_find(m, v->destination_id) : NULL;
	for (size_t i = 0; from && to && i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) == TM_EDGE_CALLS && tm_edge_from(e) == from && tm_edge_to(e) == to)
			return e;
	}
	return NULL;
}

/* Where a runtime map saw the call first ("path:line"), or NULL. */
static const char *first_observed(const tm_edge *e)
{
	for (size_t i = 0; e && i < tm_edge_attr_count(e); i++) {
		const tm_attr *a = tm_edge_attr(e, i);
		if (strcmp(a->key, "observed") == 0 && a->type == TM_ATTR_LIST && a->list && a->list[0])
			return a->list[0];
	}
	return NULL;
}

/* Is the call asked about declared, observed or both? Said only of a model holding observed calls. */
static bool seen_of(const tm_report__query *q, const tm_edge **e)
{
	if (!q->m || !tm_model_has_observed(q->m))
		return false;
	*e = call_edge(q->m, q->v);
	return true;
}

static void json_seen(tm_jw *w, const tm_report__query *q)
{
	const tm_edge *e = NULL;
	if (!seen_of(q, &e))
		return;
	tm_jw_key(w, "seen"); /* null: the model holds no call between them */
	if (e)
		tm_jw_str(w, tm_seen_name(tm_edge_seen(e)));
	else
		tm_jw_null(w);
	tm_jw_kstr(w, "observed_at", first_observed(e));
}

static void text_seen(tm_out *o, const tm_report__query *q)
{
	const tm_edge *e = NULL;
	if (!seen_of(q, &e))
		return;
	tm_seen s = e ? tm_edge_seen(e) : TM_SEEN_DECLARED;
	tm_out_puts(o, "  seen: ");
	if (!e)
		tm_out_puts(o, "no call between them is declared or observed");
	else if (s == TM_SEEN_DECLARED)
		tm_out_puts(o, "declared; no runtime export observed this call");
	else {
		tm_out_puts(o, s == TM_SEEN_BOTH ? "declared and observed at runtime (" : "observed at runtime only, no file declares it (");
		tm_esc_term(o, first_observed(e));
		tm_out_puts(o, ")");
	}
	tm_out_puts(o, "\n");
}

static int verdict_json(const void *report, tm_out *o)
{
	const tm_report__query *q = report;
	tm_jw w;
	tm_jw_init(&w, o);
	tm_jw_begin_obj(&w);
	tm_jw_kstr(&w, "query", "can");
	tm_jw_kstr(&w, "source", q->v->source_id ? q->v->source_id : q->req->source);
	tm_jw_kstr(&w, "destination", q->v->destination_id ? q->v->destination_id : q->req->destination);
	json_request(&w, q->req);
	json_verdict(&w, q->v, false);
	json_seen(&w, q);
	tm_jw_end_obj(&w);
	tm_out_puts(o, "\n");
	return 0;
}

static int verdict_text(const void *report, tm_out *o)
{
	const tm_report__query *q = report;
	const tm_verdict *v = q->v;
	tm_out_puts(o, v->unknown ? "UNKNOWN" : v->allowed ? "ALLOW" : "DENY");
	tm_out_printf(o, " (%s) ", v->outcome ? v->outcome : "?");
	tm_esc_term(o, v->source_id ? v->source_id : q->req->source);
	tm_out_puts(o, " -> ");
	tm_esc_term(o, v->destination_id ? v->destination_id : q->req->destination);
	if (v->route) {
		tm_out_puts(o, ", ");
		tm_esc_term(o, v->route);
	}
	if (v->request && strcmp(v->request, "any request") == 0) /* no method or path asked, GET / refused */
		tm_out_puts(o, ", any request");
	tm_out_puts(o, "\n  decided by: ");
	tm_esc_term(o, v->decided_by ? v->decided_by : "defaults (no policy decided)");
	text_loc(o, v->decided_at);
	tm_out_puts(o, "\n  ");
	tm_esc_term(o, v->reason ? v->reason : "");
	tm_out_puts(o, "\n");
	text_seen(o, q);
	text_steps(o, v, "    ");
	return 0;
}

static int callers_json(const void *report, tm_out *o)
{
	const tm_report__query *q = report;
	const tm_callers *c = q->c;
	tm_jw w;
	tm_jw_init(&w, o);
	tm_jw_begin_obj(&w);
	tm_jw_kstr(&w, "query", "who-can-call");
	tm_jw_kstr(&w, "destination", c->destination_id ? c->destination_id : q->req->destination);
	json_request(&w, q->req);
	tm_jw_kint(&w, "sources_considered", (int64_t)c->considered);
	tm_jw_key(&w, "callers");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < c->n; i++) {
		tm_jw_begin_obj(&w);
		tm_jw_kstr(&w, "source", c->items[i].source);
		json_verdict(&w, &c->items[i].verdict, true);
		json_seen(&w, &(tm_report__query){q->req, &c->items[i].verdict, NULL, q->m});
		tm_jw_end_obj(&w);
	}
	tm_jw_end_arr(&w);
	tm_jw_key(&w, "callers_undecided");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < c->nundecided; i++)
		tm_jw_str(&w, c->undecided[i]);
	tm_jw_end_arr(&w);
	tm_jw_end_obj(&w);
	tm_out_puts(o, "\n");
	return 0;
}

/* A caller's call: "  [seen: declared|observed|both|no call]", only when the model holds observed calls. */
static void caller_seen(tm_out *o, const tm_report__query *q)
{
	const tm_edge *e = NULL;
	if (!seen_of(q, &e))
		return;
	tm_out_puts(o, "  [seen: ");
	tm_out_puts(o, e ? tm_seen_name(tm_edge_seen(e)) : "no call");
	tm_out_puts(o, "]");
}

/* Event deliveries into the destination (a Knative Trigger: its Broker calls it): no workload of the
 * files sends them, so the policy walk above does not list them; the model's edges do. */
static void deliveries_text(tm_out *o, const tm_report__query *q)
{
	const tm_node *d = q->m && q->c->destination_id ? tm_model_find(q->m, q->c->destination_id) : NULL;
	size_t nin = d ? tm_model_edge_count(q->m) : 0; /* one pass, once per answer */
	for (size_t i = 0; i < nin; i++) {
		const tm_edge *e = tm_model_edge(q->m, i);
		const tm_node *from = tm_edge_from(e);
		if (tm_edge_to(e) != d || tm_edge_kind_of(e) != TM_EDGE_CALLS || tm_node_kind_of(from) != TM_NODE_QUEUE)
			continue;
		const tm_attr *paths = tm_edge_attr_get(e, "paths");
		const char *via = tm_edge_attr_str(e, "via");
		tm_out_puts(o, "  delivered by ");
		tm_esc_term(o, tm_node_id(from));
		tm_out_puts(o, "  POST ");
		tm_esc_term(o, paths && paths->type == TM_ATTR_LIST && paths->list[0] ? paths->list[0] : "/");
		tm_out_puts(o, "  (");
		tm_esc_term(o, via ? via : "event delivery");
		if (tm_edge_evidence_count(e)) {
			tm_loc at = tm_edge_evidence(e, 0);
			tm_out_printf(o, ", %s:%u", at.path ? at.path : "?", at.line);
		}
		tm_out_puts(o, ")\n");
	}
}

static int callers_text(const void *report, tm_out *o)
{
	const tm_report__query *q = report;
	const tm_callers *c = q->c;
	tm_out_printf(o, "%zu of %zu sources can call ", c->n, c->considered);
	tm_esc_term(o, c->destination_id ? c->destination_id : q->req->destination);
	tm_out_puts(o, "\n");
	if (c->considered <= 1) /* the internet alone: no other workload of the files to ask for */
		tm_out_puts(o, "  (the files hold no other workload: `trustmap query can NS/NAME DEST` answers for a pod "
			       "you name)\n");
	for (size_t i = 0; i < c->n; i++) {
		const tm_verdict *v = &c->items[i].verdict;
		tm_out_puts(o, "  ");
		tm_esc_term(o, c->items[i].source);
		tm_out_puts(o, "  ");
		tm_esc_term(o, v->route ? v->route : "direct");
		tm_out_puts(o, "  ");
		tm_esc_term(o, v->request ? v->request : "");
		tm_out_puts(o, v->unknown ? "  (unknown: " : "  (");
		tm_esc_term(o, v->decided_by ? v->decided_by : "no policy restricts it");
		tm_out_puts(o, ")");
		caller_seen(o, &(tm_report__query){q->req, v, NULL, q->m});
		tm_out_puts(o, "\n");
	}
	deliveries_text(o, q);
	if (c->nundecided) {
		tm_out_printf(o, "%zu more the files cannot decide (`trustmap query can SOURCE DEST` says what is unknown):",
			      c->nundecided);
		for (size_t i = 0; i < c->nundecided; i++) {
			tm_out_puts(o, i ? ", " : " ");
			tm_esc_term(o, c->undecided[i]);
		}
		tm_out_puts(o, "\n");
	}
	return 0;
}

const tm_report__format tm_report__verdict_formats[] = {
	{"text", verdict_text, "the verdict, then each layer's step with file:line"},
	{"json", verdict_json, "the verdict as JSON (docs/json.md)"},
	{NULL, NULL, NULL},
};

const tm_report__format tm_report__callers_formats[] = {
	{"text", callers_text, "one line per caller: route, request, the policy that let it through"},
	{"json", callers_json, "the callers and their verdicts as JSON (docs/json.md)"},
	{NULL, NULL, NULL},
};

int tm_report_verdict(const char *format, const tm_request *req, const tm_verdict *v, const tm_sink *sink)
{
	return tm_report_verdict_in(format, NULL, req, v, sink);
}

int tm_report_verdict_in(const char *format, const tm_model *m, const tm_request *req, const tm_verdict *v,
			 const tm_sink *sink)
{
	tm_report__query q = {req, v, NULL, m};
	return tm_report__dispatch(TM_REPORT_VERDICT, format, &q, sink);
}

int tm_report_callers(const char *format, const tm_request *req, const tm_callers *c, const tm_sink *sink)
{
	return tm_report_callers_in(format, NULL, req, c, sink);
}

int tm_report_callers_in(const char *format, const tm_model *m, const tm_request *req, const tm_callers *c,
			 const tm_sink *sink)
{
	tm_report__query q = {req, NULL, c, m};
	return tm_report__dispatch(TM_REPORT_CALLERS, format, &q, sink);
}
