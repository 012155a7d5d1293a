/*
 * cmd_register.c - the risk register's commands:
 *   trustmap accept FINGERPRINT --owner WHO --until YYYY-MM-DD --why TEXT [--review YYYY-MM-DD] [PATH]
 *   trustmap status FINGERPRINT mitigated|false-positive|open [--why TEXT] [--owner WHO] [PATH]
 *   trustmap findings [PATH] [--status S] [--severity S] [--owner O] [--rule R] [--format md|json|csv]
 *   trustmap history  [PATH] [--all] [--stale-days N] [--format md|json|csv]
 * Each takes --store URL (default: under $XDG_STATE_HOME/trustmap, see docs/store.md; or $TRUSTMAP_STORE).
 * Decisions are appended, never updated: the latest one on a fingerprint is in force.
 */
#include <stddef.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"
#include "trustmap/report.h"

/* Options every register command shares, and the ones each adds (each command's table below). */
typedef struct {
	const char *store, *path, *format, *output;
	const char *owner, *until, *why, *review;
	const char *status, *severity, *rule;
	const char *trail, *run;
	long stale_days;
	bool all, no_store;
	const char *pos[3];
	size_t npos;
} reg_opts;

#define STORE_OPTS                                                                                        \
	TM_OPT_STR(reg_opts, "--store", 0, store, "URL",                                                  \
		   "sqlite:PATH, postgresql://... or tree (default: under $XDG_STATE_HOME/trustmap;\n"    \
		   "$TRUSTMAP_STORE)"),                                                                   \
	TM_OPT_BOOL(reg_opts, "--no-store", no_store, "accepted for scripts, but this command needs a register: exit 4")

#define OUTPUT_OPTS(kind)                                                                                 \
	TM_OPT_FMT(reg_opts, format, kind, "the report (default md):"),                                   \
	TM_OPT_STR(reg_opts, "--output", 'o', output, "FILE", "write the report to FILE instead of stdout")

/* Parse into o (defaults first); the arguments land in o->pos. Returns 0, or the exit code. */
static int parse(const tm_cli_spec *spec, int argc, char **argv, reg_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->stale_days = 30;
	tm_cli_list pos;
	int rc = tm_cli_parse(spec, argc, argv, o, &pos);
	for (size_t i = 0; !rc && i < pos.n && i < sizeof(o->pos) / sizeof(o->pos[0]); i++)
		o->pos[o->npos++] = pos.items[i];
	tm_cli_done(spec, o, &pos);
	if (rc == TM_CLI_HELP)
		return -1;
	if (!rc && o->no_store) {
		fprintf(stderr, "trustmap: %s needs a register: --no-store given (pass --store URL)\n", spec->name);
		return TM_EXIT_STORE;
	}
	return rc;
}

/* read_only: findings and history, which must work on a register they cannot write */
static int open_store(tm_cli_store *cs, const reg_opts *o, bool read_only)
{
	const char *roots[] = {o->path ? o->path : "."};
	tm_cli_store_opts so = {o->store, false, roots, 1, false};
	int rc = read_only ? tm_cli_store_open_read_only(cs, &so) : tm_cli_store_open(cs, &so);
	if (!rc && !cs->store) {
		fprintf(stderr, "trustmap: no register: TRUSTMAP_STORE is 'none' (pass --store URL)\n");
		rc = TM_EXIT_STORE;
	}
	return rc;
}

/* What the register knows of one fingerprint: is it there, and does trustmap.yaml decide it. */
struct lookup {
	const char *fingerprint;
	bool found;
	char file_source[512], rule[64], title[512];
};

static int lookup_row(void *ud, const tm_register_row *r)
{
	struct lookup *l = ud;
	if (strcmp(r->fingerprint, l->fingerprint) != 0)
		return 0;
	l->found = true;
	snprintf(l->rule, sizeof(l->rule), "%s", r->rule);
	snprintf(l->title, sizeof(l->title), "%s", r->title ? r->title : "");
	if (r->decided_in && strcmp(r->decided_in, "store") != 0)
		snprintf(l->file_source, sizeof(l->file_source), "%s", r->decided_in);
	return 0;
}

/* Append one decision; the common end of accept and status. */
static int decide(tm_cli_store *cs, const char *fingerprint, tm_finding_status status, const char *owner, const char *why,
		  const char *until, const char *review)
{
	struct lookup l = {fingerprint, false, "", "", ""};
	if (tm_store_register(cs->store, cs->root, cs->today, lookup_row, &l))
		return tm_cli_store_fail(cs, "reading the register");
	if (!l.found) {
		fprintf(stderr,
			"trustmap: %s is not in the register of %s: 'trustmap findings' lists what it holds "
			"('trustmap scan' records a run)\n",
			fingerprint, cs->root);
		return TM_EXIT_USAGE;
	}
	tm_decision d = {fingerprint, cs->root, status, owner, why, until, review, tm_cli_who(), cs->now};
	if (tm_store_decide(cs->store, &d))
		return tm_cli_store_fail(cs, "recording the decision");
	printf("%s %s (%s: %s): %s", fingerprint, tm_status_name(status), l.rule, l.title, owner ? owner : d.by);
	if (until)
		printf(", until %s", until);
	if (review)
		printf(", review by %s", review);
	printf("; recorded by %s in %s\n", d.by, tm_cli_store_display(cs));
	if (l.file_source[0])
		fprintf(stderr, "trustmap: note: %s also accepts this finding, and the file wins over the register\n",
			l.file_source);
	return TM_EXIT_OK;
}

/* The rules every decision meets (tm_decision_problem), as of today's date: a usage error if broken. */
static int check_decision(const char *cmd, const char *fp, tm_finding_status status, const reg_opts *o)
{
	int64_t now;
	char today[11];
	int rc = tm_cli_clock(&now, today);
	if (rc)
		return rc;
	tm_decision d = {fp, NULL, status, o->owner, o->why, o->until, o->review, NULL, now};
	const char *why = tm_decision_problem(&d, today);
	return why ? tm_cli_usage_error("%s: %s (today is %s)", cmd, why, today) : TM_EXIT_OK;
}

static const tm_opt accept_options[] = {
	TM_OPT_STR(reg_opts, "--owner", 0, owner, "WHO", "who owns the risk (a team or a person)"),
	TM_OPT_STR(reg_opts, "--until", 0, until, "YYYY-MM-DD", "when the acceptance ends (today or later)"),
	TM_OPT_STR(reg_opts, "--why", 0, why, "TEXT", "the rationale"),
	TM_OPT_STR(reg_opts, "--review", 0, review, "YYYY-MM-DD", "when to look at it again (no later than --until)"),
	STORE_OPTS,
};

static const tm_cli_spec accept_spec = TM_CLI_SPEC("accept",
	"accept FINGERPRINT --owner WHO --until YYYY-MM-DD --why TEXT [PATH] [options]",
	"Accept the risk of one finding of the register of PATH (default .), until a date: the gate\n"
	"passes it until then, and it is open again after. The decision is an audit row: who\n"
	"($TRUSTMAP_USER, else $GITHUB_ACTOR, $USER), when, what and why. Accepted risks can also be\n"
	"listed in trustmap.yaml, reviewable in pull requests; the file wins over the register.",
	accept_options, 2, NULL);

int tm_cmd_accept(int argc, char **argv)
{
	reg_opts o;
	int rc = parse(&accept_spec, argc, argv, &o);
	if (rc)
		return rc < 0 ? TM_EXIT_OK : rc;
	if (!o.npos)
		return tm_cli_usage_error("accept: which finding? (trustmap accept FINGERPRINT --owner ... )");
	if (!tm_fingerprint_valid(o.pos[0]))
		return tm_cli_usage_error("accept: '%s' is not a fingerprint (16 lowercase hex digits)", o.pos[0]);
	if (!o.owner || !*o.owner || !o.until || !o.why || !*o.why)
		return tm_cli_usage_error("accept: --owner, --until and --why are required");
	if ((rc = check_decision("accept", o.pos[0], TM_STATUS_ACCEPTED, &o)))
		return rc;
	o.path = o.npos > 1 ? o.pos[1] : NULL;
	tm_cli_store cs;
	if ((rc = open_store(&cs, &o, false)))
		goto done;
	rc = decide(&cs, o.pos[0], TM_STATUS_ACCEPTED, o.owner, o.why, o.until, o.review);
done:
	tm_cli_store_close(&cs);
	return rc;
}

static const tm_opt status_options[] = {
	TM_OPT_STR(reg_opts, "--why", 0, why, "TEXT", "the reason (mitigated and false-positive need one)"),
	TM_OPT_STR(reg_opts, "--owner", 0, owner, "WHO", "who decides for (default: who runs it)"),
	STORE_OPTS,
};

static const tm_cli_spec status_spec = TM_CLI_SPEC("status",
	"status FINGERPRINT mitigated|false-positive|open [PATH] [options]",
	"Record a decision on one finding of the register of PATH (default .): mitigated (a control\n"
	"outside the scanned files handles it), false-positive (trustmap is wrong about it), or open\n"
	"(take back an earlier decision). Mitigated and false-positive need --why. Decisions are\n"
	"appended, never changed: the latest is in force.",
	status_options, 3, NULL);

int tm_cmd_status(int argc, char **argv)
{
	reg_opts o;
	int rc = parse(&status_spec, argc, argv, &o);
	if (rc)
		return rc < 0 ? TM_EXIT_OK : rc;
	if (o.npos < 2)
		return tm_cli_usage_error("status: give FINGERPRINT and mitigated, false-positive or open");
	if (!tm_fingerprint_valid(o.pos[0]))
		return tm_cli_usage_error("status: '%s' is not a fingerprint (16 lowercase hex digits)", o.pos[0]);
	int st = tm_status_parse(o.pos[1]); /* any case: Mitigated, OPEN */
	if (st == TM_STATUS_ACCEPTED)
		return tm_cli_usage_error("status: accepting a risk needs an owner and an expiry: use 'trustmap accept'");
	if (st < 0)
		return tm_cli_usage_error("status: '%s' is not mitigated, false-positive or open", o.pos[1]);
	if ((rc = check_decision("status", o.pos[0], (tm_finding_status)st, &o)))
		return rc;
	o.path = o.npos > 2 ? o.pos[2] : NULL;
	tm_cli_store cs;
	if ((rc = open_store(&cs, &o, false)) == 0)
		rc = decide(&cs, o.pos[0], (tm_finding_status)st, o.owner ? o.owner : tm_cli_who(), o.why, NULL, NULL);
	tm_cli_store_close(&cs);
	return rc;
}

/* --- findings: the register, filtered ------------------------------------------------------- */

static bool in_list(const char *list, const char *v)
{
	if (!list)
		return true;
	if (!v)
		return false;
	size_t n = strlen(v);
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return true;
		p += len + (comma != NULL);
	}
	return false;
}

struct rows {
	tm_register_row *rows;
	size_t n, cap;
	const reg_opts *o;
	int oom;
};

static char *row_dup(struct rows *r, const char *s)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		r->oom = 1;
	return d;
}

static int keep_row(void *ud, const tm_register_row *x)
{
	struct rows *r = ud;
	const reg_opts *o = r->o;
	bool resolved = strcmp(x->state, "resolved") == 0;
	/* the status filter: a decision's status, expired, resolved; without it, what is present */
	if (o->status) {
		bool hit = (!resolved && in_list(o->status, tm_status_name(x->status))) || (resolved && in_list(o->status, "resolved")) ||
			   (x->expired && !resolved && in_list(o->status, "expired")) || in_list(o->status, "all");
		if (!hit)
			return 0;
	} else if (resolved) {
		return 0;
	}
	if (!in_list(o->severity, x->severity) || (o->owner && (!x->owner || strcmp(o->owner, x->owner) != 0)))
		return 0;
	if (o->rule && strcmp(o->rule, x->rule) != 0 &&
	    !(strncmp(x->rule, o->rule, strlen(o->rule)) == 0 && x->rule[strlen(o->rule)] == '-'))
		return 0;
	if (!tm_cli_grow((void **)&r->rows, r->n, &r->cap, sizeof(*r->rows))) {
		r->oom = 1;
		return 1;
	}
	tm_register_row *y = &r->rows[r->n++];
	*y = *x;
	y->fingerprint = row_dup(r, x->fingerprint);
	y->rule = row_dup(r, x->rule);
	y->title = row_dup(r, x->title);
	y->severity = row_dup(r, x->severity);
	y->subject = row_dup(r, x->subject);
	y->owner = row_dup(r, x->owner);
	y->location = row_dup(r, x->location);
	y->state = row_dup(r, x->state);
	y->decided_in = row_dup(r, x->decided_in);
	y->decision_owner = row_dup(r, x->decision_owner);
	y->decided_by = row_dup(r, x->decided_by);
	y->why = row_dup(r, x->why);
	y->until = row_dup(r, x->until);
	return r->oom;
}

static void rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		tm_register_row *y = &r->rows[i];
		const char *all[] = {y->fingerprint, y->rule, y->title, y->severity, y->subject, y->owner, y->location,
				     y->state, y->decided_in, y->decision_owner, y->decided_by, y->why, y->until};
		for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
			free((char *)all[k]);
	}
	free(r->rows);
}

static FILE *open_output(const char *output)
{
	FILE *out = output ? fopen(output, "wb") : stdout;
	if (!out)
		fprintf(stderr, "trustmap: cannot write %s: %s\n", output, strerror(errno));
	return out;
}

static int finish_output(FILE *out, int wrc)
{
	int frc = fflush(out);
	if (out != stdout)
		frc |= fclose(out);
	if (wrc || frc) {
		fprintf(stderr, "trustmap: cannot write the report: %s\n", wrc ? tm_strerror(wrc) : strerror(errno));
		return TM_EXIT_INPUT;
	}
	return TM_EXIT_OK;
}

struct decisions {
	tm_decision *d;
	size_t n, cap;
	int oom;
};

static int keep_decision(void *ud, const tm_decision *x)
{
	struct decisions *r = ud;
	if (!tm_cli_grow((void **)&r->d, r->n, &r->cap, sizeof(*r->d))) {
		r->oom = 1;
		return 1;
	}
	tm_decision *y = &r->d[r->n++];
	*y = *x;
	const char **fields[] = {&y->fingerprint, &y->root, &y->owner, &y->why, &y->until, &y->review, &y->by};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (*fields[i] && !(*fields[i] = strdup(*fields[i])))
			r->oom = 1;
	return r->oom;
}

/* findings --trail FP: the audit trail of one finding. */
static int trail(tm_cli_store *cs, const reg_opts *o)
{
	if (!tm_fingerprint_valid(o->trail))
		return tm_cli_usage_error("findings: --trail '%s' is not a fingerprint (16 lowercase hex digits)", o->trail);
	struct decisions d = {NULL, 0, 0, 0};
	int rc = TM_EXIT_OK;
	if (tm_store_audit(cs->store, cs->root, o->trail, keep_decision, &d) && !d.oom) {
		rc = tm_cli_store_fail(cs, "reading the decisions");
	} else if (d.oom) {
		fprintf(stderr, "trustmap: out of memory\n");
		rc = TM_EXIT_INPUT;
	} else {
		FILE *out = open_output(o->output);
		tm_trail_report rep = {cs->root, o->trail, tm_cli_store_display(cs), d.d, d.n};
		tm_sink sink = out ? tm_sink_file(out) : (tm_sink){0};
		rc = out ? finish_output(out, tm_report_trail(o->format, &rep, &sink)) : TM_EXIT_INPUT;
	}
	for (size_t i = 0; i < d.n; i++) {
		const char *fields[] = {d.d[i].fingerprint, d.d[i].root, d.d[i].owner,
					d.d[i].why, d.d[i].until, d.d[i].review, d.d[i].by};
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
			free((char *)fields[k]);
	}
	free(d.d);
	return rc;
}

static const char *const statuses[] = {"open", "accepted", "mitigated", "false-positive", "expired",
				       "resolved", "all", NULL};
static const char *const severities[] = {"critical", "high", "medium", "low", "info", NULL};

static const tm_opt findings_options[] = {
	TM_OPT_SOME_OF(reg_opts, "--status", status, "S", statuses, "only findings in these states"),
	TM_OPT_SOME_OF(reg_opts, "--severity", severity, "S", severities, "only findings of these severities"),
	TM_OPT_STR(reg_opts, "--owner", 0, owner, "O", "the finding's owner (from trustmap.yaml or CODEOWNERS)"),
	TM_OPT_STR(reg_opts, "--rule", 0, rule, "R", "a rule id (TM-API-001) or a family (TM-API), any case"),
	TM_OPT_STR(reg_opts, "--trail", 0, trail, "FP", "every decision ever recorded on one finding, oldest first"),
	OUTPUT_OPTS(TM_REPORT_REGISTER),
	STORE_OPTS,
};

static const tm_cli_spec findings_spec = TM_CLI_SPEC("findings", "findings [PATH] [options]",
	"The risk register of PATH (default .): every finding the runs have seen, when it was first\n"
	"and last seen, and the decision in force (from trustmap.yaml, which wins, or the register).\n"
	"Without --status, the findings present in the latest run.",
	findings_options, 1, NULL);

int tm_cmd_findings(int argc, char **argv)
{
	reg_opts o;
	int rc = parse(&findings_spec, argc, argv, &o);
	if (rc)
		return rc < 0 ? TM_EXIT_OK : rc;
	if (!o.format)
		o.format = "md";
	if (o.rule)
		o.rule = tm_cli_upper((char *)o.rule); /* ids are uppercase: TM-API-001 */
	o.path = o.npos ? o.pos[0] : NULL;
	tm_cli_store cs;
	struct rows r = {NULL, 0, 0, &o, 0};
	if ((rc = open_store(&cs, &o, true)))
		goto done;
	if (o.trail) {
		rc = trail(&cs, &o);
		goto done;
	}
	if (tm_store_register(cs.store, cs.root, cs.today, keep_row, &r) && !r.oom) {
		rc = tm_cli_store_fail(&cs, "reading the register");
		goto done;
	}
	if (r.oom) {
		fprintf(stderr, "trustmap: out of memory\n");
		rc = TM_EXIT_INPUT;
		goto done;
	}
	FILE *out = open_output(o.output);
	if (!out) {
		rc = TM_EXIT_INPUT;
		goto done;
	}
	tm_register_report rep = {cs.root, tm_cli_store_display(&cs), cs.today, r.rows, r.n};
	tm_sink sink = tm_sink_file(out);
	rc = finish_output(out, tm_report_register(o.format, &rep, &sink));
done:
	rows_free(&r);
	tm_cli_store_close(&cs);
	return rc;
}

/* --- history -------------------------------------------------------------------------------- */

struct runs {
	tm_history_row *rows;
	size_t n, cap;
	int oom;
};

static int keep_run(void *ud, const tm_history_row *x)
{
	struct runs *r = ud;
	if (!tm_cli_grow((void **)&r->rows, r->n, &r->cap, sizeof(*r->rows))) {
		r->oom = 1;
		return 1;
	}
	tm_history_row *y = &r->rows[r->n++];
	*y = *x;
	y->root = strdup(x->root);
	y->revision = x->revision ? strdup(x->revision) : NULL;
	y->command = strdup(x->command ? x->command : "");
	if (!y->root || !y->command || (x->revision && !y->revision))
		r->oom = 1;
	return r->oom;
}

static void runs_free(struct runs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free((char *)r->rows[i].root);
		free((char *)r->rows[i].revision);
		free((char *)r->rows[i].command);
	}
	free(r->rows);
}

struct triggers {
	tm_trigger_time *rows;
	size_t n, cap;
	int oom;
};

static int keep_trigger(void *ud, const tm_trigger_time *x)
{
	struct triggers *t = ud;
	if (!tm_cli_grow((void **)&t->rows, t->n, &t->cap, sizeof(*t->rows))) {
		t->oom = 1;
		return 1;
	}
	tm_trigger_time *y = &t->rows[t->n++];
	*y = *x;
	y->root = strdup(x->root);
	y->trigger = strdup(x->trigger);
	if (!y->root || !y->trigger)
		t->oom = 1;
	return t->oom;
}

static void triggers_free(struct triggers *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free((char *)t->rows[i].root);
		free((char *)t->rows[i].trigger);
	}
	free(t->rows);
}

struct changes {
	tm_input_change *rows;
	size_t n, cap;
	int oom;
};

static int keep_change(void *ud, const char *path, const char *change)
{
	struct changes *c = ud;
	if (!tm_cli_grow((void **)&c->rows, c->n, &c->cap, sizeof(*c->rows))) {
		c->oom = 1;
		return 1;
	}
	char *p = strdup(path), *k = strdup(change);
	c->rows[c->n++] = (tm_input_change){p, k};
	if (!p || !k)
		c->oom = 1;
	return c->oom;
}

/* history --run ID: the inputs that run changed. */
static int run_inputs(tm_cli_store *cs, const reg_opts *o)
{
	char *end = NULL;
	long long id = strtoll(o->run, &end, 10);
	if (!end || *end || end == o->run || id < 1)
		return tm_cli_usage_error("history: --run takes a run id (see 'trustmap history'), not '%s'", o->run);
	struct changes c = {NULL, 0, 0, 0};
	int rc = TM_EXIT_OK;
	if (tm_store_input_changes(cs->store, (int64_t)id, keep_change, &c) && !c.oom) {
		rc = tm_cli_store_fail(cs, "reading the run's inputs");
	} else if (c.oom) {
		fprintf(stderr, "trustmap: out of memory\n");
		rc = TM_EXIT_INPUT;
	} else {
		FILE *out = open_output(o->output);
		tm_sink sink = out ? tm_sink_file(out) : (tm_sink){0};
		rc = out ? finish_output(out, tm_report_input_changes(o->format, (int64_t)id, c.rows, c.n, &sink))
			 : TM_EXIT_INPUT;
	}
	for (size_t i = 0; i < c.n; i++) {
		free((char *)c.rows[i].path);
		free((char *)c.rows[i].change);
	}
	free(c.rows);
	return rc;
}

static const tm_opt history_options[] = {
	TM_OPT_BOOL(reg_opts, "--all", all, "the runs of every root in the store"),
	TM_OPT_STR(reg_opts, "--run", 0, run, "ID", "the input files run ID changed against the previous full run"),
	TM_OPT_NUM(reg_opts, "--stale-days", stale_days, "N", 1, 100000, "a root not scanned for N days is stale (default 30)"),
	OUTPUT_OPTS(TM_REPORT_HISTORY),
	STORE_OPTS,
};

static const tm_cli_spec history_spec = TM_CLI_SPEC("history", "history [PATH] [options]",
	"The runs recorded for PATH (default .) over time: findings, open ones, opened and closed,\n"
	"coverage; the trend; the mean time to visibility of a new exposure, and the time from a change\n"
	"to its first finding per trigger; and every root of the\n"
	"store with its last run, stale after N days (default 30).",
	history_options, 1, NULL);

int tm_cmd_history(int argc, char **argv)
{
	reg_opts o;
	int rc = parse(&history_spec, argc, argv, &o);
	if (rc)
		return rc < 0 ? TM_EXIT_OK : rc;
	if (!o.format)
		o.format = "md";
	long stale = o.stale_days;
	o.path = o.npos ? o.pos[0] : NULL;
	tm_cli_store cs;
	struct runs runs = {NULL, 0, 0, 0}, every = {NULL, 0, 0, 0}, latest = {NULL, 0, 0, 0};
	struct triggers trig = {NULL, 0, 0, 0};
	if ((rc = open_store(&cs, &o, true)))
		goto done;
	if (o.run) {
		rc = run_inputs(&cs, &o);
		goto done;
	}
	if ((tm_store_history(cs.store, o.all ? NULL : cs.root, keep_run, &runs) && !runs.oom) ||
	    (tm_store_history(cs.store, NULL, keep_run, &every) && !every.oom) ||
	    (tm_store_trigger_times(cs.store, o.all ? NULL : cs.root, keep_trigger, &trig) && !trig.oom)) {
		rc = tm_cli_store_fail(&cs, "reading the history");
		goto done;
	}
	/* the latest run of every root (every is ordered by root, then time) */
	for (size_t i = 0; i < every.n && !latest.oom; i++)
		if (i + 1 == every.n || strcmp(every.rows[i].root, every.rows[i + 1].root) != 0)
			keep_run(&latest, &every.rows[i]);
	if (runs.oom || every.oom || latest.oom || trig.oom) {
		fprintf(stderr, "trustmap: out of memory\n");
		rc = TM_EXIT_INPUT;
		goto done;
	}
	FILE *out = open_output(o.output);
	if (!out) {
		rc = TM_EXIT_INPUT;
		goto done;
	}
	tm_history_report rep = {o.all ? NULL : cs.root, tm_cli_store_display(&cs), cs.today, cs.now, runs.rows,
				 runs.n, latest.rows, latest.n, (int)stale, trig.rows, trig.n};
	tm_sink sink = tm_sink_file(out);
	rc = finish_output(out, tm_report_history(o.format, &rep, &sink));
done:
	runs_free(&runs);
	runs_free(&every);
	runs_free(&latest);
	triggers_free(&trig);
	tm_cli_store_close(&cs);
	return rc;
}
