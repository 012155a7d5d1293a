/*
 * register.c - the risk register (trustmap findings) and its history
 * (trustmap history) as Markdown, JSON and CSV. Every string from the store
 * came from inputs or users once: escaped like everything else.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "formats.h"
#include "report.h"

static const char *iso(char buf[32], int64_t t)
{
	if (!t)
		return NULL;
	time_t tt = (time_t)t;
	struct tm v;
	if (!gmtime_r(&tt, &v))
		return NULL;
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &v);
	return buf;
}

static const char *day(char buf[32], int64_t t)
{
	const char *s = iso(buf, t);
	if (s)
		buf[10] = '\0';
	return s;
}

/* --- the register ------------------------------------------------------------------------ */

static const char *shown_status(const tm_register_row *r)
{
	if (strcmp(r->state, "resolved") == 0)
		return "resolved";
	return r->expired ? "open (acceptance expired)" : tm_status_name(r->status);
}

/* {"trustmap": ..., "root": ..., "as_of": ..., "<list>": [ */
static void json_open(tm_jw *w, tm_out *o, const char *root, const char *today, const char *list)
{
	tm_jw_init(w, o);
	tm_jw_begin_obj(w);
	tm_report__json_header(w);
	tm_jw_kstr(w, "root", root);
	if (today)
		tm_jw_kstr(w, "as_of", today);
	tm_jw_key(w, list);
	tm_jw_begin_arr(w);
}

static void register_json(tm_out *o, const tm_register_report *r)
{
	tm_jw w;
	char b[32];
	json_open(&w, o, r->root, r->today, "findings");
	for (size_t i = 0; i < r->n; i++) {
		const tm_register_row *x = &r->rows[i];
		tm_jw_begin_obj(&w);
		tm_jw_kstr(&w, "fingerprint", x->fingerprint);
		tm_jw_kstr(&w, "rule", x->rule);
		tm_jw_kstr(&w, "title", x->title);
		tm_jw_kstr(&w, "severity", x->severity);
		tm_jw_kstr(&w, "subject", x->subject);
		tm_jw_kstr(&w, "owner", x->owner);
		tm_jw_kstr(&w, "location", x->location);
		tm_jw_kstr(&w, "state", x->state);
		tm_jw_kstr(&w, "status", tm_status_name(x->status));
		tm_jw_key(&w, "expired");
		tm_jw_bool(&w, x->expired);
		tm_jw_kstr(&w, "first_seen", iso(b, x->first_seen));
		tm_jw_kstr(&w, "last_seen", iso(b, x->last_seen));
		tm_jw_kstr(&w, "resolved_at", iso(b, x->resolved_at));
		tm_jw_kint(&w, "reopened", x->reopened);
		tm_jw_key(&w, "decision");
		if (x->decided_in) {
			tm_jw_begin_obj(&w);
			tm_jw_kstr(&w, "source", x->decided_in);
			tm_jw_kstr(&w, "owner", x->decision_owner);
			tm_jw_kstr(&w, "recorded_by", x->decided_by);
			tm_jw_kstr(&w, "why", x->why);
			tm_jw_kstr(&w, "until", x->until);
			tm_jw_end_obj(&w);
		} else {
			tm_jw_null(&w);
		}
		tm_jw_end_obj(&w);
	}
	tm_jw_end_arr(&w);
	tm_jw_end_obj(&w);
	tm_out_puts(o, "\n");
}

static void register_csv(tm_out *o, const tm_register_report *r)
{
	char b[32];
	tm_out_puts(o, "fingerprint,rule,severity,status,expired,state,title,subject,owner,location,first_seen,"
		       "last_seen,resolved_at,reopened,decided_in,decision_owner,recorded_by,why,until\r\n");
	for (size_t i = 0; i < r->n; i++) {
		const tm_register_row *x = &r->rows[i];
		const char *cells[] = {x->fingerprint, x->rule, x->severity, tm_status_name(x->status), x->expired ? "yes" : "no",
				       x->state, x->title, x->subject, x->owner, x->location, iso(b, x->first_seen)};
		for (size_t k = 0; k < sizeof(cells) / sizeof(cells[0]); k++) {
			if (k)
				tm_out_puts(o, ",");
			tm_esc_csv(o, cells[k]);
		}
		const char *rest[] = {iso(b, x->last_seen)};
		tm_out_puts(o, ",");
		tm_esc_csv(o, rest[0]);
		tm_out_puts(o, ",");
		tm_esc_csv(o, iso(b, x->resolved_at));
		tm_out_printf(o, ",%" PRId64, x->reopened);
		const char *tail[] = {x->decided_in, x->decision_owner, x->decided_by, x->why, x->until};
		for (size_t k = 0; k < sizeof(tail) / sizeof(tail[0]); k++) {
			tm_out_puts(o, ",");
			tm_esc_csv(o, tail[k]);
		}
		tm_out_puts(o, "\r\n");
	}
}

static void register_md(tm_out *o, const tm_register_report *r)
{
	char b[32], c[32];
	size_t present = 0, open = 0, accepted = 0, expired = 0, other = 0;
	for (size_t i = 0; i < r->n; i++) {
		const tm_register_row *x = &r->rows[i];
		if (strcmp(x->state, "resolved") == 0)
			continue;
		present++;
		open += x->status == TM_STATUS_OPEN;
		accepted += x->status == TM_STATUS_ACCEPTED;
		expired += x->expired;
		other += x->status == TM_STATUS_MITIGATED || x->status == TM_STATUS_FALSE_POSITIVE;
	}
	tm_out_puts(o, "# Risk register: ");
	tm_esc_md(o, r->root);
	tm_out_printf(o, "\n\nAs of %s, from ", r->today);
	tm_esc_md_code(o, r->store);
	tm_out_printf(o, ". %zu listed: %zu present (%zu open, of which %zu acceptance%s expired; %zu accepted; "
			 "%zu mitigated or false positive), %zu resolved.\n\n",
		      r->n, present, open, expired, expired == 1 ? "" : "s", accepted, other, r->n - present);
	if (!r->n) {
		tm_out_puts(o, "Nothing matches.\n");
		return;
	}
	static const tm_table_col cols[] = {{"Fingerprint", NULL}, {"Severity", NULL},   {"Rule", NULL},
					    {"Finding", NULL},     {"Owner", NULL},      {"Status", NULL},
					    {"Decided in", NULL},  {"First seen", NULL}, {"Last seen", NULL}};
	tm_table t;
	tm_table_begin(&t, o, &(tm_table_spec){TM_TABLE_MD, cols, TM_ARRAY_LEN(cols), NULL, 0});
	for (size_t i = 0; i < r->n; i++) {
		const tm_register_row *x = &r->rows[i];
		tm_table_code(&t, x->fingerprint);
		tm_table_text(&t, x->severity);
		tm_table_text(&t, x->rule);
		tm_out *cell = tm_table_cell(&t);
		tm_esc_md(cell, x->title ? x->title : "-");
		if (x->location) {
			tm_out_puts(cell, " (");
			tm_esc_md(cell, x->location);
			tm_out_puts(cell, ")");
		}
		tm_table_text(&t, x->owner);
		cell = tm_table_cell(&t);
		tm_esc_md(cell, shown_status(x));
		if (x->decided_in && x->decision_owner) {
			tm_out_puts(cell, " by ");
			tm_esc_md(cell, x->decision_owner);
			if (x->until) {
				tm_out_puts(cell, x->expired ? ", expired " : " until ");
				tm_esc_md(cell, x->until);
			}
			if (x->why) {
				tm_out_puts(cell, ": ");
				tm_esc_md(cell, x->why);
			}
		}
		tm_table_text(&t, x->decided_in);
		tm_table_raw(&t, day(b, x->first_seen) ? b : "-");
		tm_table_raw(&t, strcmp(x->state, "resolved") == 0 && day(c, x->resolved_at) ? "resolved"
				 : day(c, x->last_seen)                                   ? c
											  : "-");
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
}

#define TABLE_WRITER(name, type, fn)                                                                      \
	static int name(const void *r, tm_out *o)                                                        \
	{                                                                                                \
		fn(o, (const type *)r);                                                                  \
		return 0;                                                                                \
	}

TABLE_WRITER(register_md_w, tm_register_report, register_md)
TABLE_WRITER(register_json_w, tm_register_report, register_json)
TABLE_WRITER(register_csv_w, tm_register_report, register_csv)

const tm_report__format tm_report__register_formats[] = {
	{"md", register_md_w, "the register as a Markdown table"},
	{"json", register_json_w, "the register as JSON (docs/json.md)"},
	{"csv", register_csv_w, "the register as CSV (RFC 4180, formula-safe)"},
	{NULL, NULL, NULL},
};

int tm_report_register(const char *format, const tm_register_report *r, const tm_sink *sink)
{
	return tm_report__dispatch(TM_REPORT_REGISTER, format, r, sink);
}

/* --- the decision trail of one finding ---------------------------------------------------- */

static void trail_md(tm_out *o, const tm_trail_report *r)
{
	char b[32];
	tm_out_puts(o, "# Decisions on ");
	tm_esc_md_code(o, r->fingerprint);
	tm_out_puts(o, " in ");
	tm_esc_md(o, r->root);
	tm_out_printf(o, "\n\n%zu decision%s, oldest first; the last is in force (unless trustmap.yaml decides it).\n\n",
		      r->n, r->n == 1 ? "" : "s");
	if (!r->n)
		return;
	static const tm_table_col cols[] = {{"Time (UTC)", NULL}, {"Status", NULL}, {"Owner", NULL}, {"Recorded by", NULL},
					    {"Until", NULL},      {"Review", NULL}, {"Why", NULL}};
	tm_table t;
	tm_table_begin(&t, o, &(tm_table_spec){TM_TABLE_MD, cols, TM_ARRAY_LEN(cols), NULL, 0});
	for (size_t i = 0; i < r->n; i++) {
		const tm_decision *d = &r->decisions[i];
		tm_table_raw(&t, iso(b, d->time) ? b : "-");
		tm_table_text(&t, tm_status_name(d->status));
		tm_table_text(&t, d->owner);
		tm_table_text(&t, d->by);
		tm_table_text(&t, d->until);
		tm_table_text(&t, d->review);
		tm_table_text(&t, d->why);
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
}

static void trail_json(tm_out *o, const tm_trail_report *r)
{
	tm_jw w;
	char b[32];
	json_open(&w, o, r->root, NULL, "decisions");
	for (size_t i = 0; i < r->n; i++) {
		const tm_decision *d = &r->decisions[i];
		tm_jw_begin_obj(&w);
		tm_jw_kstr(&w, "time", iso(b, d->time));
		tm_jw_kstr(&w, "status", tm_status_name(d->status));
		tm_jw_kstr(&w, "owner", d->owner);
		tm_jw_kstr(&w, "recorded_by", d->by);
		tm_jw_kstr(&w, "until", d->until);
		tm_jw_kstr(&w, "review", d->review);
		tm_jw_kstr(&w, "why", d->why);
		tm_jw_end_obj(&w);
	}
	tm_jw_end_arr(&w);
	tm_jw_kstr(&w, "fingerprint", r->fingerprint);
	tm_jw_end_obj(&w);
	tm_out_puts(o, "\n");
}

static void trail_csv(tm_out *o, const tm_trail_report *r)
{
	char b[32];
	tm_out_puts(o, "time,fingerprint,status,owner,recorded_by,until,review,why\r\n");
	for (size_t i = 0; i < r->n; i++) {
		const tm_decision *d = &r->decisions[i];
		const char *cells[] = {iso(b, d->time), r->fingerprint, tm_status_name(d->status), d->owner, d->by, d->until, d->review, d->why};
		for (size_t k = 0; k < sizeof(cells) / sizeof(cells[0]); k++) {
			if (k)
				tm_out_puts(o, ",");
			tm_esc_csv(o, cells[k]);
		}
		tm_out_puts(o, "\r\n");
	}
}

TABLE_WRITER(trail_md_w, tm_trail_report, trail_md)
TABLE_WRITER(trail_json_w, tm_trail_report, trail_json)
TABLE_WRITER(trail_csv_w, tm_trail_report, trail_csv)

const tm_report__format tm_report__trail_formats[] = {
	{"md", trail_md_w, "one finding's decisions as a Markdown table"},
	{"json", trail_json_w, "one finding's decisions as JSON (docs/json.md)"},
	{"csv", trail_csv_w, "one finding's decisions as CSV"},
	{NULL, NULL, NULL},
};

int tm_report_trail(const char *format, const tm_trail_report *r, const tm_sink *sink)
{
	return tm_report__dispatch(TM_REPORT_TRAIL, format, r, sink);
}

/* --- the inputs one run changed -------------------------------------------------------------- */

static int changes_json(const void *report, tm_out *o)
{
	const tm_report__changes *c = report;
	tm_jw w;
	tm_jw_init(&w, o);
	tm_jw_begin_obj(&w);
	tm_report__json_header(&w);
	tm_jw_kint(&w, "run", c->run);
	tm_jw_key(&w, "inputs_changed");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < c->n; i++) {
		tm_jw_begin_obj(&w);
		tm_jw_kstr(&w, "change", c->rows[i].change);
		tm_jw_kstr(&w, "path", c->rows[i].path);
		tm_jw_end_obj(&w);
	}
	tm_jw_end_arr(&w);
	tm_jw_end_obj(&w);
	tm_out_puts(o, "\n");
	return 0;
}

static int changes_csv(const void *report, tm_out *o)
{
	const tm_report__changes *c = report;
	tm_out_puts(o, "change,path\r\n");
	for (size_t i = 0; i < c->n; i++) {
		tm_esc_csv(o, c->rows[i].change);
		tm_out_puts(o, ",");
		tm_esc_csv(o, c->rows[i].path);
		tm_out_puts(o, "\r\n");
	}
	return 0;
}

static int changes_md(const void *report, tm_out *o)
{
	const tm_report__changes *c = report;
	tm_out_printf(o, "# Inputs changed by run %" PRId64 "\n\n", c->run);
	for (size_t i = 0; i < c->n; i++) {
		tm_out_printf(o, "- %s ", c->rows[i].change);
		tm_esc_md_code(o, c->rows[i].path);
		tm_out_puts(o, "\n");
	}
	if (!c->n)
		tm_out_puts(o, "None, or no earlier full run to compare with.\n");
	return 0;
}

const tm_report__format tm_report__input_changes_formats[] = {
	{"md", changes_md, "the input files one run changed, as a Markdown list"},
	{"json", changes_json, "the input files one run changed, as JSON (docs/json.md)"},
	{"csv", changes_csv, "the input files one run changed, as CSV"},
	{NULL, NULL, NULL},
};

int tm_report_input_changes(const char *format, int64_t run, const tm_input_change *rows, size_t n, const tm_sink *sink)
{
	tm_report__changes c = {run, rows, n};
	return tm_report__dispatch(TM_REPORT_INPUT_CHANGES, format, &c, sink);
}

/* --- history ------------------------------------------------------------------------------ */

/* Time to visibility of new exposures, per root: a finding first seen in a run (not the root's first,
 * which is the baseline) appeared at the earliest when the window of unscanned commits opened (or the
 * previous run), at the latest when the scanned revision was committed. */
typedef struct {
	int64_t findings;
	double at_most, at_least; /* seconds, weighted by findings */
} tm_ttv;

static tm_ttv time_to_visibility(const tm_history_report *r)
{
	tm_ttv t = {0, 0, 0};
	for (size_t i = 0; i < r->n; i++) {
		const tm_history_row *x = &r->runs[i];
		bool baseline = i == 0 || strcmp(r->runs[i - 1].root, x->root) != 0;
		if (baseline || !x->fresh || !x->window_start)
			continue;
		double most = (double)(x->time - x->window_start);
		double least = x->revision_time && x->time > x->revision_time ? (double)(x->time - x->revision_time) : 0;
		if (most < least)
			most = least;
		t.findings += x->fresh;
		t.at_most += most * (double)x->fresh;
		t.at_least += least * (double)x->fresh;
	}
	if (t.findings) {
		t.at_most /= (double)t.findings;
		t.at_least /= (double)t.findings;
	}
	return t;
}

/* The time from a change to its first finding, one root and trigger (tm_trigger_time rows of every run
 * of them, merged): means weighted by findings. */
typedef struct {
	const char *root, *trigger;
	int64_t findings, max;
	double mean, at_most;
} tm_ttf;

/* The rows of r merged by root and trigger, into out (capacity r->ntriggers), in root then trigger order. */
static size_t time_to_first_finding(const tm_history_report *r, tm_ttf *out)
{
	size_t n = 0;
	for (size_t i = 0; i < r->ntriggers; i++) {
		const tm_trigger_time *x = &r->triggers[i];
		size_t k = 0;
		while (k < n && (strcmp(out[k].root, x->root) != 0 || strcmp(out[k].trigger, x->trigger) != 0))
			k++;
		if (k == n)
			out[n++] = (tm_ttf){x->root, x->trigger, 0, 0, 0, 0};
		tm_ttf *t = &out[k];
		t->mean += x->mean_seconds * (double)x->findings;
		t->at_most += x->mean_seconds_at_most * (double)x->findings;
		t->findings += x->findings;
		if (x->max_seconds > t->max)
			t->max = x->max_seconds;
	}
	for (size_t k = 0; k < n; k++) {
		out[k].mean /= out[k].findings ? (double)out[k].findings : 1.0;
		out[k].at_most /= out[k].findings ? (double)out[k].findings : 1.0;
	}
	/* root, then trigger (the store gives root, run, trigger) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			int c = strcmp(out[j - 1].root, out[j].root);
			if (c < 0 || (c == 0 && strcmp(out[j - 1].trigger, out[j].trigger) <= 0))
				break;
			tm_ttf t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

/* time_to_first_finding's rows (*n of them; free with tm_free), or NULL with o's error set. */
static tm_ttf *ttf_merged(tm_out *o, const tm_history_report *r, size_t *n)
{
	tm_ttf *t = tm_calloc(r->ntriggers + 1, sizeof(*t));
	*n = t ? time_to_first_finding(r, t) : 0;
	if (!t && !o->err)
		o->err = TM_ENOMEM;
	return t;
}

static void duration(tm_out *o, double s)
{
	if (s < 3600)
		tm_out_printf(o, "%.0f min", s / 60);
	else if (s < 2 * 86400)
		tm_out_printf(o, "%.1f h", s / 3600);
	else
		tm_out_printf(o, "%.1f days", s / 86400);
}

static double days_since(const tm_history_report *r, int64_t t)
{
	return r->now > t ? (double)(r->now - t) / 86400.0 : 0.0;
}

/* The share of observed requests on declared calls, 0..1. */
static double declared_share(const tm_run_runtime *x)
{
	return x->requests ? (double)x->requests_declared / (double)x->requests : 0.0;
}

/* A run's coverage of the live architecture, as the scan report's summary.runtime: only for runs that
 * read a runtime export, so the history of other systems keeps its shape. */
static void runtime_json(tm_jw *w, const tm_run_runtime *x)
{
	if (!x->files)
		return;
	tm_jw_key(w, "runtime");
	tm_jw_begin_obj(w);
	tm_jw_kint(w, "files", x->files);
	tm_jw_kint(w, "services_known", x->services_known);
	tm_jw_kint(w, "services_unknown", x->services_unknown);
	tm_jw_kint(w, "calls_observed", x->calls);
	tm_jw_kint(w, "calls_declared", x->calls_declared);
	tm_jw_kint(w, "requests_observed", x->requests);
	tm_jw_kint(w, "requests_on_declared_calls", x->requests_declared);
	tm_jw_key(w, "declared_share_of_requests");
	tm_jw_num(w, declared_share(x));
	tm_jw_end_obj(w);
}

/* Did any run shown read a runtime export? The CSV and Markdown tables gain its columns only then. */
static bool any_runtime(const tm_history_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->runs[i].runtime.files)
			return true;
	return false;
}

/* "time_to_first_finding": [{root, trigger, new_findings, mean_hours, mean_hours_at_most, max_hours}] */
static void time_to_first_finding_json(tm_jw *w, tm_out *o, const tm_history_report *r)
{
	size_t n = 0;
	tm_ttf *t = ttf_merged(o, r, &n);
	tm_jw_key(w, "time_to_first_finding");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < n; i++) {
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "root", t[i].root);
		tm_jw_kstr(w, "trigger", t[i].trigger);
		tm_jw_kint(w, "new_findings", t[i].findings);
		tm_jw_key(w, "mean_hours");
		tm_jw_num(w, t[i].mean / 3600.0);
		tm_jw_key(w, "mean_hours_at_most");
		tm_jw_num(w, t[i].at_most / 3600.0);
		tm_jw_key(w, "max_hours");
		tm_jw_num(w, (double)t[i].max / 3600.0);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
	tm_free(t);
}

static void history_json(tm_out *o, const tm_history_report *r)
{
	tm_jw w;
	char b[32];
	json_open(&w, o, r->root, r->today, "runs");
	for (size_t i = 0; i < r->n; i++) {
		const tm_history_row *x = &r->runs[i];
		tm_jw_begin_obj(&w);
		tm_jw_kint(&w, "id", x->id);
		tm_jw_kstr(&w, "root", x->root);
		tm_jw_kstr(&w, "time", iso(b, x->time));
		tm_jw_kstr(&w, "command", x->command);
		tm_jw_kstr(&w, "revision", x->revision);
		tm_jw_kstr(&w, "revision_time", iso(b, x->revision_time));
		tm_jw_key(&w, "proposal");
		tm_jw_bool(&w, x->partial);
		tm_jw_kint(&w, "findings", x->findings);
		tm_jw_kint(&w, "open", x->open);
		tm_jw_kint(&w, "open_critical", x->critical);
		tm_jw_kint(&w, "open_high", x->high);
		tm_jw_kint(&w, "opened", x->opened);
		tm_jw_kint(&w, "closed", x->closed);
		tm_jw_kint(&w, "new", x->fresh);
		tm_jw_key(&w, "inputs_changed");
		if (x->inputs_changed >= 0)
			tm_jw_int(&w, x->inputs_changed);
		else
			tm_jw_null(&w);
		tm_jw_key(&w, "coverage");
		tm_jw_begin_obj(&w);
		tm_jw_key(&w, "endpoints_with_known_authz");
		tm_jw_num(&w, x->coverage_authz);
		tm_jw_key(&w, "services_with_owner");
		tm_jw_num(&w, x->coverage_owner);
		tm_jw_key(&w, "workloads_with_network_policy");
		tm_jw_num(&w, x->coverage_policy);
		tm_jw_end_obj(&w);
		runtime_json(&w, &x->runtime);
		tm_jw_end_obj(&w);
	}
	tm_jw_end_arr(&w);
	tm_ttv t = time_to_visibility(r);
	tm_jw_key(&w, "time_to_visibility");
	if (t.findings) {
		tm_jw_begin_obj(&w);
		tm_jw_kint(&w, "new_findings", t.findings);
		tm_jw_key(&w, "mean_hours_at_most");
		tm_jw_num(&w, t.at_most / 3600.0);
		tm_jw_key(&w, "mean_hours_at_least");
		tm_jw_num(&w, t.at_least / 3600.0);
		tm_jw_end_obj(&w);
	} else {
		tm_jw_null(&w);
	}
	time_to_first_finding_json(&w, o, r);
	tm_jw_key(&w, "roots");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < r->nlatest; i++) {
		const tm_history_row *x = &r->latest[i];
		tm_jw_begin_obj(&w);
		tm_jw_kstr(&w, "root", x->root);
		tm_jw_kstr(&w, "last_run", iso(b, x->time));
		tm_jw_key(&w, "days_since");
		tm_jw_num(&w, (double)(int64_t)(days_since(r, x->time) * 10) / 10.0);
		tm_jw_key(&w, "stale");
		tm_jw_bool(&w, days_since(r, x->time) >= r->stale_days);
		tm_jw_end_obj(&w);
	}
	tm_jw_end_arr(&w);
	tm_jw_kint(&w, "stale_days", r->stale_days);
	tm_jw_end_obj(&w);
	tm_out_puts(o, "\n");
}

/* The findings run x saw first, by the trigger of the change they followed: "trigger=count;..." and
 * "trigger=mean hours;..." (empty when none followed a change). */
static void run_triggers_csv(tm_out *o, const tm_history_report *r, const tm_history_row *x)
{
	tm_strbuf counts = TM_STRBUF_INIT, hours = TM_STRBUF_INIT;
	for (size_t i = 0; i < r->ntriggers; i++) {
		const tm_trigger_time *t = &r->triggers[i];
		if (t->run != x->id || strcmp(t->root, x->root) != 0)
			continue;
		tm_strbuf_printf(&counts, "%s%s=%" PRId64, counts.len ? ";" : "", t->trigger, t->findings);
		tm_strbuf_printf(&hours, "%s%s=%.1f", hours.len ? ";" : "", t->trigger, t->mean_seconds / 3600.0);
	}
	if ((counts.oom || hours.oom) && !o->err)
		o->err = TM_ENOMEM;
	tm_out_puts(o, ",");
	tm_esc_csv(o, counts.len ? counts.data : NULL);
	tm_out_puts(o, ",");
	tm_esc_csv(o, hours.len ? hours.data : NULL);
	tm_strbuf_dispose(&counts);
	tm_strbuf_dispose(&hours);
}

static void history_csv(tm_out *o, const tm_history_report *r)
{
	char b[32];
	tm_out_puts(o, "id,root,time,command,revision,proposal,findings,open,open_critical,open_high,opened,closed,new,"
		       "inputs_changed,endpoints_with_known_authz,services_with_owner,workloads_with_network_policy");
	bool rt = any_runtime(r);
	tm_out_puts(o, rt ? ",runtime_files,services_known,services_unknown,calls_observed,calls_declared,"
			    "requests_observed,requests_on_declared_calls"
			  : "");
	tm_out_puts(o, r->ntriggers ? ",new_by_trigger,hours_from_change_by_trigger\r\n" : "\r\n");
	for (size_t i = 0; i < r->n; i++) {
		const tm_history_row *x = &r->runs[i];
		tm_out_printf(o, "%" PRId64 ",", x->id);
		tm_esc_csv(o, x->root);
		tm_out_puts(o, ",");
		tm_esc_csv(o, iso(b, x->time));
		tm_out_puts(o, ",");
		tm_esc_csv(o, x->command);
		tm_out_puts(o, ",");
		tm_esc_csv(o, x->revision);
		tm_out_printf(o, ",%s,%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",",
			      x->partial ? "yes" : "no", x->findings, x->open, x->critical, x->high, x->opened, x->closed,
			      x->fresh);
		if (x->inputs_changed >= 0)
			tm_out_printf(o, "%" PRId64, x->inputs_changed);
		tm_out_printf(o, ",%.4f,%.4f,%.4f", x->coverage_authz, x->coverage_owner, x->coverage_policy);
		const tm_run_runtime *y = &x->runtime;
		if (rt && y->files)
			tm_out_printf(o, ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64,
				      y->files, y->services_known, y->services_unknown, y->calls, y->calls_declared,
				      y->requests, y->requests_declared);
		else if (rt)
			tm_out_puts(o, ",,,,,,,"); /* no runtime export read: empty, not zero */
		if (r->ntriggers)
			run_triggers_csv(o, r, x);
		tm_out_puts(o, "\r\n");
	}
}

static void pct(tm_out *o, double v) { tm_out_printf(o, "%.0f%%", v * 100.0); }

/* A run's runtime coverage cells: unknown/observed services, declared/observed calls, the share of
 * requests on declared calls; "-" for a run that read no runtime export. */
static void runtime_cells(tm_table *t, const tm_run_runtime *x)
{
	if (!x->files) {
		for (int i = 0; i < 3; i++)
			tm_table_raw(t, "-");
		return;
	}
	tm_table_numf(t, "%" PRId64 "/%" PRId64, x->services_unknown, x->services_known + x->services_unknown);
	tm_table_numf(t, "%" PRId64 "/%" PRId64, x->calls_declared, x->calls);
	if (x->requests)
		pct(tm_table_cell(t), declared_share(x));
	else
		tm_table_raw(t, "-");
}

/* One row per run; without a root, each root's runs under a row naming it. */
static void history_runs_md(tm_out *o, const tm_history_report *r)
{
	static const tm_table_col cols[] = {
		{"Run", NULL},    {"Time (UTC)", NULL}, {"Command", NULL},     {"Revision", NULL}, {"Inputs changed", NULL},
		{"Findings", NULL}, {"Open", NULL},     {"Open critical/high", NULL}, {"Opened", NULL}, {"Closed", NULL},
		{"Known authz", NULL}, {"Owned", NULL}, {"NetworkPolicy", NULL},
		/* runtime coverage, only when a run shown read a runtime export */
		{"Observed services unknown", NULL}, {"Observed calls declared", NULL}, {"Requests on declared calls", NULL}};
	bool rt = any_runtime(r);
	size_t ncols = TM_ARRAY_LEN(cols) - (rt ? 0 : 3);
	char b[32];
	tm_table t;
	tm_table_begin(&t, o, &(tm_table_spec){TM_TABLE_MD, cols, ncols, NULL, 0});
	for (size_t i = 0; i < r->n; i++) {
		const tm_history_row *x = &r->runs[i];
		if (!r->root && (i == 0 || strcmp(r->runs[i - 1].root, x->root) != 0)) {
			tm_out *cell = tm_table_cell(&t);
			tm_out_puts(cell, "**");
			tm_esc_md(cell, x->root);
			tm_out_puts(cell, "**");
			for (size_t k = 1; k < ncols; k++)
				tm_table_empty(&t);
			tm_table_end_row(&t);
		}
		tm_table_int(&t, x->id);
		tm_table_raw(&t, iso(b, x->time) ? b : "-");
		tm_out *cell = tm_table_cell(&t);
		tm_esc_md(cell, x->command); /* from the store, which another client may have written */
		tm_out_puts(cell, x->partial ? " (proposal)" : "");
		cell = tm_table_cell(&t);
		if (x->revision) {
			char shortrev[13];
			tm_formatf(shortrev, sizeof(shortrev), "%s", x->revision);
			tm_esc_md_code(cell, shortrev);
		}
		if (x->inputs_changed >= 0)
			tm_table_int(&t, x->inputs_changed);
		else
			tm_table_raw(&t, "-");
		tm_table_int(&t, x->findings);
		tm_table_int(&t, x->open);
		tm_table_numf(&t, "%" PRId64 "/%" PRId64, x->critical, x->high);
		tm_table_int(&t, x->opened);
		tm_table_int(&t, x->closed);
		pct(tm_table_cell(&t), x->coverage_authz);
		pct(tm_table_cell(&t), x->coverage_owner);
		pct(tm_table_cell(&t), x->coverage_policy);
		if (rt)
			runtime_cells(&t, &x->runtime);
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
}

/* The time from a change to its first finding, one row per root (without a root) and trigger. */
static void time_to_first_finding_md(tm_out *o, const tm_history_report *r)
{
	size_t n = 0;
	tm_ttf *t = ttf_merged(o, r, &n);
	tm_out_puts(o, "\n**Time from a change to its first finding, by trigger**: ");
	if (!n) {
		tm_out_puts(o, "no new finding has followed a change since the baseline run.\n");
		tm_free(t);
		return;
	}
	tm_out_puts(o, "from the first run that saw the changed element (and, at most, from the oldest commit that "
		       "run saw first) to the first run that saw the finding; a finding counts under each trigger of "
		       "the changes on its subject or path.\n\n");
	static const tm_table_col cols[] = {{"Root", NULL}, {"Trigger", NULL}, {"New findings", NULL}, {"Mean", NULL},
					    {"Mean, at most", NULL}, {"Longest", NULL}};
	size_t skip = r->root ? 1 : 0;
	tm_table tbl;
	tm_table_begin(&tbl, o, &(tm_table_spec){TM_TABLE_MD, cols + skip, TM_ARRAY_LEN(cols) - skip, NULL, 0});
	for (size_t i = 0; i < n; i++) {
		if (!skip)
			tm_table_text(&tbl, t[i].root);
		tm_table_text(&tbl, t[i].trigger);
		tm_table_int(&tbl, t[i].findings);
		duration(tm_table_cell(&tbl), t[i].mean);
		duration(tm_table_cell(&tbl), t[i].at_most);
		duration(tm_table_cell(&tbl), (double)t[i].max);
		tm_table_end_row(&tbl);
	}
	tm_table_end(&tbl);
	tm_free(t);
}

static void history_md(tm_out *o, const tm_history_report *r)
{
	char b[32];
	tm_out_puts(o, "# History: ");
	tm_esc_md(o, r->root ? r->root : "every root");
	tm_out_printf(o, "\n\nAs of %s, from ", r->today);
	tm_esc_md_code(o, r->store);
	tm_out_printf(o, ": %zu run%s.\n\n", r->n, r->n == 1 ? "" : "s");
	if (r->n) {
		history_runs_md(o, r);
		/* the trend: first and latest full run of the root shown */
		const tm_history_row *first = NULL, *last = NULL;
		for (size_t i = 0; i < r->n; i++)
			if (!r->runs[i].partial && (!first || strcmp(first->root, r->runs[i].root) == 0)) {
				if (!first)
					first = &r->runs[i];
				last = &r->runs[i];
			}
		if (first && last != first) {
			tm_out_puts(o, "\n**Trend** (first to latest run): open findings ");
			tm_out_printf(o, "%" PRId64 " → %" PRId64 "; endpoints with known authorization ", first->open, last->open);
			pct(o, first->coverage_authz);
			tm_out_puts(o, " → ");
			pct(o, last->coverage_authz);
			tm_out_puts(o, "; services with an owner ");
			pct(o, first->coverage_owner);
			tm_out_puts(o, " → ");
			pct(o, last->coverage_owner);
			tm_out_puts(o, "; workloads a NetworkPolicy isolates ");
			pct(o, first->coverage_policy);
			tm_out_puts(o, " → ");
			pct(o, last->coverage_policy);
			tm_out_puts(o, ".\n");
		}
	}
	tm_ttv t = time_to_visibility(r);
	tm_out_puts(o, "\n**Mean time to visibility of a new exposure**: ");
	if (t.findings) {
		tm_out_puts(o, "at most ");
		duration(o, t.at_most);
		tm_out_puts(o, ", at least ");
		duration(o, t.at_least);
		tm_out_printf(o, " (%" PRId64 " finding%s first seen after the baseline run; from the oldest commit the "
				 "previous run had not seen, or the previous run, to the run that saw it).\n",
			      t.findings, t.findings == 1 ? "" : "s");
	} else {
		tm_out_puts(o, "no new exposure since the baseline run.\n");
	}
	time_to_first_finding_md(o, r);
	tm_out_printf(o, "\n## Roots in this store (stale after %d days without a run)\n\n", r->stale_days);
	static const tm_table_col roots[] = {{"Root", NULL}, {"Last run (UTC)", NULL}, {"Days since", NULL}, {"", NULL}};
	tm_table tbl;
	tm_table_begin(&tbl, o, &(tm_table_spec){TM_TABLE_MD, roots, TM_ARRAY_LEN(roots), NULL, 0});
	for (size_t i = 0; i < r->nlatest; i++) {
		const tm_history_row *x = &r->latest[i];
		double d = days_since(r, x->time);
		tm_table_text(&tbl, x->root ? x->root : "");
		tm_table_raw(&tbl, iso(b, x->time) ? b : "-");
		tm_table_numf(&tbl, "%.0f", d);
		tm_table_raw(&tbl, d >= r->stale_days ? "**stale**" : "");
		tm_table_end_row(&tbl);
	}
	tm_table_end(&tbl);
}

TABLE_WRITER(history_md_w, tm_history_report, history_md)
TABLE_WRITER(history_json_w, tm_history_report, history_json)
TABLE_WRITER(history_csv_w, tm_history_report, history_csv)

const tm_report__format tm_report__history_formats[] = {
	{"md", history_md_w, "runs, trend, time to visibility and stale roots in Markdown"},
	{"json", history_json_w, "the history as JSON (docs/json.md)"},
	{"csv", history_csv_w, "one row per run, as CSV"},
	{NULL, NULL, NULL},
};

int tm_report_history(const char *format, const tm_history_report *r, const tm_sink *sink)
{
	return tm_report__dispatch(TM_REPORT_HISTORY, format, r, sink);
}
