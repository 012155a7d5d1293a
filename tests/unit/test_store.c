/*
 * test_store.c - the risk register, the same suite on both backends: SQLite (a temporary file) by
 * default, PostgreSQL when TM_STORE_URL_FILE names the URL of a throwaway server (tests/store/pg.sh;
 * "skip: why" there skips the suite, saying why).
 *
 * Findings come from real scans of small in-memory systems: A (two privileged Deployments) and B
 * (one of them), so a finding's life can be followed as the system changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "trustmap/findings.h"
#include "trustmap/model.h"
#include "trustmap/scan.h"
#include "trustmap/store.h"

static char url[4096];
static bool pg;
static char tmpdir[256];

/* One Deployment in its own namespace (with its default-deny policy), clean but for the one flaw its
 * securityContext sc adds: each system's findings are one per workload, none folding with another's. */
#define DEPLOY(name, sc)                                                                                               \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " name ", namespace: " name "}\nspec:\n  template:\n"   \
	"    spec:\n      automountServiceAccountToken: false\n      containers:\n      - name: " name "\n"          \
	"        image: shop/" name "@sha256:a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293\n"    \
	"        resources: {limits: {cpu: 100m, memory: 64Mi}}\n"                                                       \
	"        securityContext: {readOnlyRootFilesystem: true, " sc "}\n---\n"            \
	"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: " name "}\n" \
	"spec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n"
#define API DEPLOY("api", "privileged: true, runAsNonRoot: true, capabilities: {drop: [ALL]}") /* TM-CTR-001 */
#define WORKER DEPLOY("worker", "runAsUser: 0, capabilities: {drop: [ALL]}") /* TM-CTR-002 */
#define BATCH DEPLOY("batch", "runAsNonRoot: true, capabilities: {add: [NET_RAW], drop: [ALL]}") /* TM-CTR-003 */

static const char *const sys_a = API "---\n" WORKER;
static const char *const sys_b = API;
static const char *const sys_c = API "---\n" BATCH;

typedef struct {
	tm_scan *scan;
	tm_findings *f;
} sys;

static sys scan_of(const char *text, const char *overlay)
{
	tm_mem_file files[2] = {{"k8s.yaml", text, strlen(text)}, {"trustmap.yaml", overlay, overlay ? strlen(overlay) : 0}};
	sys s = {NULL, NULL};
	tm_limits lim;
	tm_limits_default(&lim);
	assert_int_equal(tm_scan_run_mem(&s.scan, files, overlay ? 2 : 1, &lim), 0);
	assert_int_equal(tm_findings_run(&s.f, tm_scan_model(s.scan)), 0);
	assert_true(tm_findings_count(s.f) > 0);
	return s;
}

static void sys_free(sys *s)
{
	tm_findings_free(s->f);
	tm_scan_free(s->scan);
}

static bool has(const tm_findings *f, const char *fp)
{
	for (size_t i = 0; i < tm_findings_count(f); i++)
		if (strcmp(tm_findings_at(f, i)->fingerprint, fp) == 0)
			return true;
	return false;
}

static tm_store *open_store(void)
{
	tm_store *s = NULL;
	int rc = tm_store_open(&s, url);
	if (rc)
		fail_msg("open %s: %s", url, tm_store_error(s));
	return s;
}

/* Each test works under its own root key, so the backends need no cleaning between tests. */
static const char *root_for(const char *test)
{
	static char buf[256];
	snprintf(buf, sizeof(buf), "%s-%ld", test, (long)getpid());
	return buf;
}

static int record(tm_store *s, const char *root, int64_t t, const tm_findings *f, bool partial)
{
	tm_run_info run = {root, NULL, partial ? "diff" : "scan", t, "digest", 1, 2, 0, 0.5, 1.0, 0.0, 0, 0, partial,
			   NULL, NULL, 0, {0}, NULL, NULL, 0};
	int64_t id = 0;
	int rc = tm_store_record_run(s, &run, f, &id);
	if (rc)
		fail_msg("record: %s", tm_store_error(s));
	assert_true(id > 0);
	return rc;
}

/* The register of one root, as rows copied out. */
typedef struct {
	char fp[17], state[16], status[32], source[128];
	int64_t first, last, resolved, reopened;
	bool expired;
} reg_row;

typedef struct {
	reg_row rows[64];
	size_t n;
} reg;

static int reg_cb(void *ud, const tm_register_row *r)
{
	reg *g = ud;
	assert_true(g->n < 64);
	reg_row *x = &g->rows[g->n++];
	snprintf(x->fp, sizeof(x->fp), "%s", r->fingerprint);
	snprintf(x->state, sizeof(x->state), "%s", r->state);
	snprintf(x->status, sizeof(x->status), "%s", tm_status_name(r->status));
	snprintf(x->source, sizeof(x->source), "%s", r->decided_in ? r->decided_in : "");
	x->first = r->first_seen;
	x->last = r->last_seen;
	x->resolved = r->resolved_at;
	x->reopened = r->reopened;
	x->expired = r->expired;
	return 0;
}

static reg read_register(tm_store *s, const char *root, const char *today)
{
	reg g;
	memset(&g, 0, sizeof(g));
	assert_int_equal(tm_store_register(s, root, today, reg_cb, &g), 0);
	return g;
}

static const reg_row *row(const reg *g, const char *fp)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->rows[i].fp, fp) == 0)
			return &g->rows[i];
	fail_msg("%s not in the register", fp);
	return NULL;
}

typedef struct {
	tm_history_row rows[64];
	size_t n;
} hist;

static int hist_cb(void *ud, const tm_history_row *r)
{
	hist *h = ud;
	if (h->n < 64) {
		h->rows[h->n] = *r;
		h->rows[h->n].root = h->rows[h->n].revision = h->rows[h->n].command = NULL;
		h->n++;
	}
	return 0;
}

static hist read_history(tm_store *s, const char *root)
{
	hist h;
	memset(&h, 0, sizeof(h));
	assert_int_equal(tm_store_history(s, root, hist_cb, &h), 0);
	return h;
}

/* A finding's life: seen, gone (resolved), back (reopened); the runs' counts say the same. */
static void lifecycle(void **state)
{
	(void)state;
	const char *root = root_for("lifecycle");
	sys a = scan_of(sys_a, NULL), b = scan_of(sys_b, NULL);
	size_t na = tm_findings_count(a.f), nb = tm_findings_count(b.f), gone = 0;
	for (size_t i = 0; i < na; i++)
		gone += !has(b.f, tm_findings_at(a.f, i)->fingerprint);
	assert_true(gone > 0 && nb + gone == na);

	tm_store *s = open_store();
	record(s, root, 1000, a.f, false);
	reg g = read_register(s, root, "2026-01-01");
	assert_int_equal(g.n, na);
	for (size_t i = 0; i < g.n; i++) {
		assert_string_equal(g.rows[i].state, "present");
		assert_string_equal(g.rows[i].status, "open");
		assert_int_equal(g.rows[i].first, 1000);
	}
	record(s, root, 2000, b.f, false);
	record(s, root, 3000, a.f, false);
	record(s, root, 4000, a.f, false);
	g = read_register(s, root, "2026-01-01");
	assert_int_equal(g.n, na);
	for (size_t i = 0; i < na; i++) {
		const char *fp = tm_findings_at(a.f, i)->fingerprint;
		const reg_row *r = row(&g, fp);
		assert_string_equal(r->state, "present");
		assert_int_equal(r->first, 1000);
		assert_int_equal(r->last, 4000);
		assert_int_equal(r->reopened, has(b.f, fp) ? 0 : 1);
	}
	hist h = read_history(s, root);
	assert_int_equal(h.n, 4);
	assert_int_equal(h.rows[0].opened, (int64_t)na);
	assert_int_equal(h.rows[0].fresh, (int64_t)na);
	assert_int_equal(h.rows[0].closed, 0);
	assert_int_equal(h.rows[1].closed, (int64_t)gone);
	assert_int_equal(h.rows[1].opened, 0);
	assert_int_equal(h.rows[1].findings, (int64_t)nb);
	assert_int_equal(h.rows[2].opened, (int64_t)gone);
	assert_int_equal(h.rows[2].fresh, 0);
	assert_int_equal(h.rows[3].opened, 0);
	assert_int_equal(h.rows[3].closed, 0);
	/* the window of a run without git: the previous run */
	assert_int_equal(h.rows[1].window_start, 1000);
	assert_int_equal(h.rows[3].window_start, 3000);

	/* gone again: resolved at the run that no longer saw it */
	record(s, root, 5000, b.f, false);
	g = read_register(s, root, "2026-01-01");
	for (size_t i = 0; i < na; i++) {
		const char *fp = tm_findings_at(a.f, i)->fingerprint;
		const reg_row *r = row(&g, fp);
		assert_string_equal(r->state, has(b.f, fp) ? "present" : "resolved");
		assert_int_equal(r->resolved, has(b.f, fp) ? 0 : 5000);
	}
	assert_int_equal(tm_store_check(s), 0);
	tm_store_close(s);
	sys_free(&a);
	sys_free(&b);
}

/* A proposal (diff) records what it sees first, but resolves and reopens nothing. */
static void proposals(void **state)
{
	(void)state;
	const char *root = root_for("proposals");
	sys a = scan_of(sys_a, NULL), c = scan_of(sys_c, NULL);
	tm_store *s = open_store();
	record(s, root, 1000, a.f, false);
	record(s, root, 2000, c.f, true);
	reg g = read_register(s, root, "2026-01-01");
	for (size_t i = 0; i < g.n; i++)
		assert_string_equal(g.rows[i].state, "present");
	size_t fresh = 0;
	for (size_t i = 0; i < tm_findings_count(c.f); i++) {
		const char *fp = tm_findings_at(c.f, i)->fingerprint;
		if (!has(a.f, fp)) {
			fresh++;
			assert_int_equal(row(&g, fp)->first, 2000);
		} else {
			assert_int_equal(row(&g, fp)->last, 1000); /* the main line's last sighting does not move */
		}
	}
	assert_true(fresh > 0);
	hist h = read_history(s, root);
	assert_int_equal(h.n, 2);
	assert_true(h.rows[1].partial);
	assert_int_equal(h.rows[1].fresh, (int64_t)fresh);
	assert_int_equal(h.rows[1].closed, 0);
	tm_store_close(s);
	sys_free(&a);
	sys_free(&c);
}

typedef struct {
	char status[32][32];
	size_t n;
} trail;

static int trail_cb(void *ud, const tm_decision *d)
{
	trail *t = ud;
	if (t->n < 32)
		snprintf(t->status[t->n++], 32, "%s", tm_status_name(d->status));
	return 0;
}

/* Decisions are appended, never updated; the latest is in force; an acceptance lapses after its expiry. */
static void decisions(void **state)
{
	(void)state;
	const char *root = root_for("decisions");
	sys a = scan_of(sys_a, NULL);
	const char *x = tm_findings_at(a.f, 0)->fingerprint, *y = tm_findings_at(a.f, 1)->fingerprint;
	tm_store *s = open_store();
	record(s, root, 1000, a.f, false);
	tm_decision d = {x, root, TM_STATUS_ACCEPTED, "team-a", "a WAF rule", "2026-01-10", "2026-01-05", "alice", 1100};
	assert_int_equal(tm_store_decide(s, &d), 0);
	d.status = TM_STATUS_OPEN, d.until = d.review = NULL, d.time = 1200;
	assert_int_equal(tm_store_decide(s, &d), 0);
	d.status = TM_STATUS_MITIGATED, d.why = "rate limit at the edge", d.time = 1300;
	assert_int_equal(tm_store_decide(s, &d), 0);
	tm_decision e = {y, root, TM_STATUS_ACCEPTED, "team-b", "sunsets in January", "2026-01-10", NULL, "bob", 1400};
	assert_int_equal(tm_store_decide(s, &e), 0);

	tm_decision got;
	bool found = false;
	assert_int_equal(tm_store_decision(s, root, x, &got, &found), 0);
	assert_true(found);
	assert_int_equal(got.status, TM_STATUS_MITIGATED);
	assert_string_equal(got.why, "rate limit at the edge");
	assert_string_equal(got.by, "alice");
	assert_int_equal(got.time, 1300);
	assert_int_equal(tm_store_decision(s, root, "0000000000000000", &got, &found), 0);
	assert_false(found);

	trail t = {.n = 0};
	assert_int_equal(tm_store_audit(s, root, x, trail_cb, &t), 0);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.status[0], "accepted");
	assert_string_equal(t.status[1], "open");
	assert_string_equal(t.status[2], "mitigated");
	trail latest = {.n = 0};
	assert_int_equal(tm_store_decisions(s, root, trail_cb, &latest), 0);
	assert_int_equal(latest.n, 2);

	reg g = read_register(s, root, "2026-01-10");
	assert_string_equal(row(&g, x)->status, "mitigated");
	assert_string_equal(row(&g, x)->source, "store");
	assert_string_equal(row(&g, y)->status, "accepted");
	assert_false(row(&g, y)->expired);
	g = read_register(s, root, "2026-01-11");
	assert_string_equal(row(&g, y)->status, "open");
	assert_true(row(&g, y)->expired);

	bool known = false;
	assert_int_equal(tm_store_known(s, root, x, &known), 0);
	assert_true(known);
	assert_int_equal(tm_store_known(s, "another root", x, &known), 0);
	assert_false(known);

	/* the same decisions settle a scan's findings: the gate sees the lapsed acceptance as open */
	tm_finding_decision fd[] = {{y, TM_STATUS_ACCEPTED, "team-b", "sunsets", "2026-01-10"}, {x, TM_STATUS_MITIGATED, "alice", "rl", NULL}};
	assert_int_equal(tm_findings_decide(a.f, tm_scan_model(a.scan), "2026-01-10", fd, 2), 0);
	size_t open_before = tm_findings_open_at_least(a.f, TM_SEV_INFO);
	assert_int_equal(tm_findings_decide(a.f, tm_scan_model(a.scan), "2026-01-11", fd, 2), 0);
	assert_int_equal(tm_findings_open_at_least(a.f, TM_SEV_INFO), open_before + 1);
	for (size_t i = 0; i < tm_findings_count(a.f); i++) {
		const tm_finding *f = tm_findings_at(a.f, i);
		if (strcmp(f->fingerprint, y) == 0) {
			assert_int_equal(f->status, TM_STATUS_OPEN);
			assert_true(f->expired);
			assert_string_equal(f->decided_in, "store");
			assert_string_equal(f->until, "2026-01-10");
		} else if (strcmp(f->fingerprint, x) == 0) {
			assert_int_equal(f->status, TM_STATUS_MITIGATED);
		}
	}
	tm_store_close(s);
	sys_free(&a);
}

/* trustmap.yaml's acceptance wins over the register's decision, and the run records where it came from. */
static void file_wins(void **state)
{
	(void)state;
	const char *root = root_for("file_wins");
	sys plain = scan_of(sys_a, NULL);
	const char *fp = tm_findings_at(plain.f, 0)->fingerprint;
	char overlay[512];
	snprintf(overlay, sizeof(overlay),
		 "accepted:\n  - fingerprint: %s\n    owner: team-platform\n    rationale: reviewed in design review 12\n"
		 "    expires: 2026-03-01\n",
		 fp);
	sys a = scan_of(sys_a, overlay);
	tm_finding_decision fd[] = {{fp, TM_STATUS_FALSE_POSITIVE, "mallory", "not real", NULL}};
	assert_int_equal(tm_findings_decide(a.f, tm_scan_model(a.scan), "2026-02-01", fd, 1), 0);
	const tm_finding *f = NULL;
	for (size_t i = 0; i < tm_findings_count(a.f); i++)
		if (strcmp(tm_findings_at(a.f, i)->fingerprint, fp) == 0)
			f = tm_findings_at(a.f, i);
	assert_non_null(f);
	assert_int_equal(f->status, TM_STATUS_ACCEPTED);
	assert_string_equal(f->accepted_by, "team-platform");
	assert_non_null(strstr(f->decided_in, "trustmap.yaml:"));

	tm_store *s = open_store();
	record(s, root, 1000, a.f, false);
	tm_decision d = {fp, root, TM_STATUS_FALSE_POSITIVE, "mallory", "not real", NULL, NULL, "mallory", 1100};
	assert_int_equal(tm_store_decide(s, &d), 0);
	reg g = read_register(s, root, "2026-02-01");
	assert_string_equal(row(&g, fp)->status, "accepted");
	assert_non_null(strstr(row(&g, fp)->source, "trustmap.yaml:"));
	g = read_register(s, root, "2026-03-02");
	assert_string_equal(row(&g, fp)->status, "open");
	assert_true(row(&g, fp)->expired);

	/* past the file's expiry the finding is open again, even though the register calls it a false positive */
	assert_int_equal(tm_findings_decide(a.f, tm_scan_model(a.scan), "2026-03-02", fd, 1), 0);
	assert_int_equal(f->status, TM_STATUS_OPEN);
	assert_true(f->expired);
	tm_store_close(s);
	sys_free(&a);
	sys_free(&plain);
}

/* Several writers at once, each its own process and connection: nothing is lost. */
static void concurrent_writers(void **state)
{
	(void)state;
	const char *root = root_for("concurrent");
	sys a = scan_of(sys_a, NULL), b = scan_of(sys_b, NULL);
	enum { WRITERS = 4, RUNS = 6 };
	pid_t kids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		kids[w] = fork();
		assert_true(kids[w] >= 0);
		if (kids[w] == 0) {
			tm_store *s = NULL;
			int bad = tm_store_open(&s, url) != 0;
			for (int r = 0; r < RUNS && !bad; r++) {
				tm_run_info run = {root, NULL, "scan", 1000 + w * 100 + r, "d", 1, 1, 0, 0, 0, 0, 0, 0, false,
						   NULL, NULL, 0, {0}, NULL, NULL, 0};
				bad = tm_store_record_run(s, &run, (w + r) % 2 ? a.f : b.f, NULL) != 0;
				tm_decision d = {tm_findings_at(a.f, 0)->fingerprint, root, TM_STATUS_OPEN, "w", "x", NULL, NULL, "w", 1};
				bad = bad || tm_store_decide(s, &d) != 0;
			}
			if (bad)
				fprintf(stderr, "writer %d: %s\n", w, tm_store_error(s));
			tm_store_close(s);
			_exit(bad);
		}
	}
	for (int w = 0; w < WRITERS; w++) {
		int st = 0;
		assert_int_equal(waitpid(kids[w], &st, 0), kids[w]);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	tm_store *s = open_store();
	hist h = read_history(s, root);
	assert_int_equal(h.n, WRITERS * RUNS);
	size_t opened = 0, closed = 0;
	for (size_t i = 0; i < h.n; i++) {
		assert_true(h.rows[i].findings == (int64_t)tm_findings_count(a.f) ||
			    h.rows[i].findings == (int64_t)tm_findings_count(b.f));
		opened += (size_t)h.rows[i].opened;
		closed += (size_t)h.rows[i].closed;
	}
	/* every finding opened is closed or still present: the lives add up whatever the interleaving */
	reg g = read_register(s, root, "2026-01-01");
	size_t present = 0;
	for (size_t i = 0; i < g.n; i++)
		present += strcmp(g.rows[i].state, "present") == 0;
	assert_int_equal(opened - closed, present);
	trail t = {.n = 0};
	assert_int_equal(tm_store_audit(s, root, tm_findings_at(a.f, 0)->fingerprint, trail_cb, &t), 0);
	assert_int_equal(t.n, WRITERS * RUNS);
	assert_int_equal(tm_store_check(s), 0);
	tm_store_close(s);
	sys_free(&a);
	sys_free(&b);
}

struct changes {
	char lines[8][80];
	size_t n;
};

static int change_cb(void *ud, const char *path, const char *change)
{
	struct changes *c = ud;
	if (c->n < 8)
		snprintf(c->lines[c->n++], 80, "%s %s", change, path);
	return 0;
}

/* Each run keeps its inputs' digests: history says how many changed, and which. */
static void input_changes(void **state)
{
	(void)state;
	const char *root = root_for("inputs");
	sys a = scan_of(sys_a, NULL);
	tm_store *s = open_store();
	const char *p1[] = {"a.yaml", "b.yaml"}, *d1[] = {"0000000000000001", "0000000000000002"};
	const char *p2[] = {"a.yaml", "b.yaml", "c.yaml"}, *d2[] = {"0000000000000001", "0000000000000003", "0000000000000004"};
	const char *p3[] = {"a.yaml"}, *d3[] = {"0000000000000001"};
	const char *const *paths[] = {p1, p2, p3}, *const *digests[] = {d1, d2, d3};
	size_t counts[] = {2, 3, 1};
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		tm_run_info run = {root, NULL, "scan", 1000 + i, "d", 1, 1, 0, 0, 0, 0, 0, 0, false,
				   paths[i], digests[i], counts[i], {0}, NULL, NULL, 0};
		assert_int_equal(tm_store_record_run(s, &run, a.f, &ids[i]), 0);
	}
	hist h = read_history(s, root);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.rows[0].inputs_changed, -1);
	assert_int_equal(h.rows[1].inputs_changed, 2);
	assert_int_equal(h.rows[2].inputs_changed, 2);
	struct changes c = {.n = 0};
	assert_int_equal(tm_store_input_changes(s, ids[1], change_cb, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.lines[0], "changed b.yaml");
	assert_string_equal(c.lines[1], "added c.yaml");
	c.n = 0;
	assert_int_equal(tm_store_input_changes(s, ids[2], change_cb, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.lines[0], "removed b.yaml");
	assert_string_equal(c.lines[1], "removed c.yaml");
	c.n = 0;
	assert_int_equal(tm_store_input_changes(s, ids[0], change_cb, &c), 0);
	assert_int_equal(c.n, 0);
	tm_store_close(s);
	sys_free(&a);
}

/* Run one statement on the store's database behind its back (to age or damage it). */
static void raw_sql(const char *sql)
{
	if (pg) {
		PGconn *c = PQconnectdb(url);
		assert_int_equal(PQstatus(c), CONNECTION_OK);
		PGresult *r = PQexec(c, sql);
		assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
		PQclear(r);
		PQfinish(c);
	} else {
		sqlite3 *db = NULL;
		assert_int_equal(sqlite3_open(url + 7, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
}

/* A store written by a newer trustmap is refused, with a message that says what to do. */
static void newer_schema_refused(void **state)
{
	(void)state;
	tm_store_close(open_store());
	raw_sql("UPDATE meta SET value = '99' WHERE key = 'schema'");
	tm_store *s = NULL;
	assert_int_equal(tm_store_open(&s, url), TM_ESTORE);
	assert_non_null(strstr(tm_store_error(s), "newer"));
	tm_store_close(s);
	raw_sql("UPDATE meta SET value = '3' WHERE key = 'schema'");
	tm_store_close(open_store());
}

/* Each run keeps the coverage of the live architecture it saw (schema 2): NULL, read as files 0, for a
 * run that read no runtime export. */
static void runtime_coverage(void **state)
{
	(void)state;
	const char *root = root_for("runtime");
	sys a = scan_of(sys_a, NULL);
	tm_store *s = open_store();
	record(s, root, 1000, a.f, false);
	tm_run_info run = {root, NULL, "scan", 1100, "digest", 1, 2, 0, 0.5, 1.0, 0.0, 0, 0, false, NULL, NULL, 0,
			   {2, 5, 1, 7, 4, 1000, 600}, NULL, NULL, 0};
	assert_int_equal(tm_store_record_run(s, &run, a.f, NULL), 0);
	hist h = read_history(s, root);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.rows[0].runtime.files, 0);
	assert_int_equal(h.rows[0].runtime.calls, 0);
	const tm_run_runtime *x = &h.rows[1].runtime;
	assert_int_equal(x->files, 2);
	assert_int_equal(x->services_known, 5);
	assert_int_equal(x->services_unknown, 1);
	assert_int_equal(x->calls, 7);
	assert_int_equal(x->calls_declared, 4);
	assert_int_equal(x->requests, 1000);
	assert_int_equal(x->requests_declared, 600);
	tm_store_close(s);
	sys_free(&a);
}

/* A register of schema 1 (no runtime columns) is migrated on the first open that may write: its runs
 * keep their rows and read as having no runtime figures, and new runs record theirs. */
static void schema_1_migrated(void **state)
{
	(void)state;
	const char *root = root_for("schema1");
	sys a = scan_of(sys_a, NULL);
	tm_store *s = open_store();
	record(s, root, 1000, a.f, false);
	tm_store_close(s);
	static const char *const cols[] = {"runtime_files", "observed_services_known", "observed_services_unknown",
					   "observed_calls", "observed_calls_declared", "observed_requests",
					   "observed_requests_declared"};
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "ALTER TABLE runs DROP COLUMN %s", cols[i]);
		raw_sql(sql);
	}
	raw_sql("DROP TABLE elements");
	raw_sql("DROP TABLE finding_triggers");
	raw_sql("UPDATE meta SET value = '1' WHERE key = 'schema'");
	/* a reader migrates nothing: it says a scan upgrades the register */
	assert_int_equal(tm_store_open_read_only(&s, url), TM_ESTORE);
	assert_non_null(strstr(tm_store_error(s), "older"));
	tm_store_close(s);
	s = open_store();
	tm_run_info run = {root, NULL, "scan", 1100, "digest", 1, 2, 0, 0.5, 1.0, 0.0, 0, 0, false, NULL, NULL, 0,
			   {1, 3, 0, 2, 2, 10, 10}, NULL, NULL, 0};
	assert_int_equal(tm_store_record_run(s, &run, a.f, NULL), 0);
	hist h = read_history(s, root);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.rows[0].runtime.files, 0);
	assert_int_equal(h.rows[1].runtime.files, 1);
	assert_int_equal(h.rows[1].runtime.requests_declared, 10);
	tm_store_close(s);
	/* now in this trustmap's schema: a reader opens it, and a second writer's open changes nothing */
	assert_int_equal(tm_store_open_read_only(&s, url), 0);
	tm_store_close(s);
	tm_store_close(open_store());
	sys_free(&a);
}

/* Node ids of a model with a trigger each: ids holding mark get hit, the rest "changed". */
typedef struct {
	const char *ids[256], *trig[256];
	size_t n;
} els;

static els elements_of(const tm_scan *scan, const char *mark, const char *hit)
{
	els e;
	memset(&e, 0, sizeof(e));
	const tm_model *m = tm_scan_model(scan);
	for (size_t i = 0; i < tm_model_node_count(m) && e.n < 256; i++) {
		e.ids[e.n] = tm_node_id(tm_model_node(m, i));
		e.trig[e.n] = strstr(e.ids[e.n], mark) ? hit : "changed";
		e.n++;
	}
	return e;
}

static int64_t record_elements(tm_store *s, const char *root, int64_t t, const tm_findings *f, const els *e)
{
	tm_run_info run = {root, NULL, "scan", t, "digest", 1, 2, 0, 0.5, 1.0, 0.0, 0, 0, false, NULL, NULL, 0,
			   {0}, e->ids, e->trig, e->n};
	int64_t id = 0;
	if (tm_store_record_run(s, &run, f, &id))
		fail_msg("record: %s", tm_store_error(s));
	return id;
}

typedef struct {
	tm_trigger_time rows[16];
	char trig[16][64];
	size_t n;
} ttimes;

static int ttime_cb(void *ud, const tm_trigger_time *x)
{
	ttimes *t = ud;
	if (t->n < 16) {
		t->rows[t->n] = *x;
		snprintf(t->trig[t->n], sizeof(t->trig[0]), "%s", x->trigger);
		t->rows[t->n].root = t->rows[t->n].trigger = NULL;
		t->n++;
	}
	return 0;
}

static ttimes read_ttimes(tm_store *s, const char *root)
{
	ttimes t;
	memset(&t, 0, sizeof(t));
	assert_int_equal(tm_store_trigger_times(s, root, ttime_cb, &t), 0);
	return t;
}

/* Does x (new in c, not in a) hold on its subject or path a node whose id holds mark? */
static bool touches(const tm_finding *x, const char *mark)
{
	if (x->subject && strstr(x->subject, mark))
		return true;
	for (size_t p = 0; x->path && x->path[p]; p++)
		if (strstr(x->path[p], mark))
			return true;
	return false;
}

/* Time from a change to its first finding, per trigger (schema 3): the baseline's elements did not land;
 * a change lands with the first run that sees it, and the findings a later run sees first on its
 * elements count under its trigger, with the time between the two runs (and, at most, from the window
 * the landing run opened). */
static void change_to_finding(void **state)
{
	(void)state;
	const char *root = root_for("triggers");
	sys a = scan_of(sys_a, NULL), c = scan_of(sys_c, NULL);
	els ea = elements_of(a.scan, "batch", "new-deployment-control");
	els ec = elements_of(c.scan, "batch", "new-deployment-control");
	/* what the run that sees batch's findings should attribute: new findings on batch's nodes */
	int64_t expected = 0;
	for (size_t i = 0; i < tm_findings_count(c.f); i++) {
		const tm_finding *x = tm_findings_at(c.f, i);
		bool known = false;
		for (size_t k = 0; k < tm_findings_count(a.f) && !known; k++)
			known = strcmp(tm_findings_at(a.f, k)->fingerprint, x->fingerprint) == 0;
		expected += !known && touches(x, "batch");
	}
	assert_true(expected > 0);
	tm_store *s = open_store();
	/* the baseline: everything it sees was there; its findings followed no change */
	record_elements(s, root, 1000, a.f, &ea);
	assert_int_equal(read_ttimes(s, root).n, 0);
	/* batch lands an hour later, with no finding on it yet */
	record_elements(s, root, 1000 + 3600, a.f, &ec);
	assert_int_equal(read_ttimes(s, root).n, 0);
	/* two hours after that, its findings appear */
	int64_t id = record_elements(s, root, 1000 + 3 * 3600, c.f, &ec);
	ttimes t = read_ttimes(s, root);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.trig[0], "new-deployment-control");
	assert_int_equal(t.rows[0].run, id);
	assert_int_equal(t.rows[0].findings, expected);
	assert_true(t.rows[0].mean_seconds > 7199.9 && t.rows[0].mean_seconds < 7200.1);
	/* at most: from the landing run's window (the previous run, at 1000) */
	assert_true(t.rows[0].mean_seconds_at_most > 10799.9 && t.rows[0].mean_seconds_at_most < 10800.1);
	assert_int_equal(t.rows[0].max_seconds, 7200);
	/* seen again, nothing new: the figures stay; batch gone, then back: it lands again, but its findings
	 * are reopened, not new, so nothing is added either */
	record_elements(s, root, 1000 + 4 * 3600, c.f, &ec);
	record_elements(s, root, 1000 + 5 * 3600, a.f, &ea);
	record_elements(s, root, 1000 + 6 * 3600, c.f, &ec);
	t = read_ttimes(s, root);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.rows[0].findings, expected);
	/* every root: the same rows */
	assert_int_equal(read_ttimes(s, NULL).n >= 1, true);
	tm_store_close(s);
	sys_free(&a);
	sys_free(&c);
}

/* A register of schema 2 gains the tables of schema 3 on the first open that may write; its next run is
 * the baseline of what landed, so nothing is attributed to a change it never saw land. */
static void schema_2_migrated(void **state)
{
	(void)state;
	const char *root = root_for("schema2");
	sys a = scan_of(sys_a, NULL), c = scan_of(sys_c, NULL);
	els ec = elements_of(c.scan, "batch", "new-deployment-control");
	tm_store *s = open_store();
	record(s, root, 1000, a.f, false);
	tm_store_close(s);
	raw_sql("DROP TABLE elements");
	raw_sql("DROP TABLE finding_triggers");
	raw_sql("UPDATE meta SET value = '2' WHERE key = 'schema'");
	assert_int_equal(tm_store_open_read_only(&s, url), TM_ESTORE);
	assert_non_null(strstr(tm_store_error(s), "older"));
	tm_store_close(s);
	s = open_store();
	record_elements(s, root, 2000, c.f, &ec);
	assert_int_equal(read_ttimes(s, root).n, 0);
	hist h = read_history(s, root);
	assert_int_equal(h.n, 2);
	assert_true(h.rows[1].fresh > 0);
	tm_store_close(s);
	assert_int_equal(tm_store_open_read_only(&s, url), 0);
	tm_store_close(s);
	sys_free(&a);
	sys_free(&c);
}

/* A file that is not a database, or a damaged one, is an error with SQLite's words, never a crash. */
static void corrupt_file_reported(void **state)
{
	(void)state;
	if (pg)
		skip();
	char path[512], copy[600];
	snprintf(path, sizeof(path), "%s/garbage.db", tmpdir);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	for (int i = 0; i < 8192; i++)
		fputc((i * 7919) & 0xff, fp);
	fclose(fp);
	tm_store *s = NULL;
	assert_int_equal(tm_store_open(&s, path), TM_ESTORE);
	assert_true(strlen(tm_store_error(s)) > 0);
	tm_store_close(s);

	/* a real register, its pages overwritten in the middle */
	snprintf(copy, sizeof(copy), "%s/damaged.db", tmpdir);
	assert_int_equal(tm_store_open(&s, copy), 0);
	sys a = scan_of(sys_a, NULL);
	for (int i = 0; i < 20; i++)
		record(s, "damaged", 1000 + i, a.f, false);
	tm_store_close(s);
	fp = fopen(copy, "r+b");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long size = ftell(fp);
	assert_true(size > 3 * 4096);
	fseek(fp, 4096, SEEK_SET); /* page 2 onwards: the schema page stays, the tables' pages do not */
	for (long i = 4096; i < size - 4096; i++)
		fputc(0x5a, fp);
	fclose(fp);
	int rc = tm_store_open(&s, copy);
	if (rc == 0) {
		hist h;
		memset(&h, 0, sizeof(h));
		int q = tm_store_history(s, "damaged", hist_cb, &h);
		int c = tm_store_check(s);
		assert_true(q != 0 || c != 0);
		assert_true(strlen(tm_store_error(s)) > 0);
	} else {
		assert_int_equal(rc, TM_ESTORE);
	}
	tm_store_close(s);
	sys_free(&a);
}

/* Reading needs no write: a reader opens the register read-only, sees what a writer recorded, and
 * cannot write; a store with no register yet is an error for it, not an empty register. */
static void read_only_open(void **state)
{
	(void)state;
	const char *root = root_for("read_only");
	sys a = scan_of(sys_a, NULL);
	tm_store *w = open_store();
	assert_false(tm_store_read_only(w));
	record(w, root, 1000, a.f, false);
	tm_store_close(w);

	tm_store *s = NULL;
	if (tm_store_open_read_only(&s, url))
		fail_msg("open read-only %s: %s", url, tm_store_error(s));
	assert_true(tm_store_read_only(s));
	hist h = read_history(s, root);
	assert_int_equal(h.n, 1);
	reg g = read_register(s, root, "2026-01-01");
	assert_int_equal(g.n, tm_findings_count(a.f));
	tm_run_info run = {root, NULL, "scan", 2000, "digest", 1, 2, 0, 0.5, 1.0, 0.0, 0, 0, false, NULL, NULL, 0, {0},
			   NULL, NULL, 0};
	int64_t id = 0;
	assert_int_equal(tm_store_record_run(s, &run, a.f, &id), TM_ESTORE);
	assert_non_null(strstr(tm_store_error(s), "read-only"));
	tm_decision d = {tm_findings_at(a.f, 0)->fingerprint, root, TM_STATUS_FALSE_POSITIVE, "o", "why", NULL, NULL, "me", 2100};
	assert_int_equal(tm_store_decide(s, &d), TM_ESTORE);
	tm_store_close(s);
	h = read_history((w = open_store()), root);
	assert_int_equal(h.n, 1); /* nothing was written */
	tm_store_close(w);

	if (!pg) {
		/* a file with no register: an error for a reader, and the file stays as it was */
		char path[512];
		snprintf(path, sizeof(path), "%s/empty.db", tmpdir);
		FILE *fp = fopen(path, "wb");
		assert_non_null(fp);
		fclose(fp);
		assert_int_equal(tm_store_open_read_only(&s, path), TM_ESTORE);
		assert_non_null(strstr(tm_store_error(s), "no register"));
		tm_store_close(s);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		fseek(fp, 0, SEEK_END);
		assert_int_equal(ftell(fp), 0);
		fclose(fp);
	}
	sys_free(&a);
}

/* Every form a credential can take in a store URL or connection string, masked; everything else kept. */
static void redaction(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		/* URI user info: the password goes, the user stays */
		{"postgresql://alice:s3cret@db.example:5432/reg", "postgresql://alice:***@db.example:5432/reg"},
		{"postgres://alice:s%40c%3Aret@db/reg", "postgres://alice:***@db/reg"},
		{"postgresql://:s3cret@db/reg", "postgresql://:***@db/reg"},
		{"postgresql://alice@db/reg", "postgresql://alice@db/reg"},
		{"postgresql://alice:@db/reg", "postgresql://alice:@db/reg"},
		{"POSTGRESQL://alice:s3cret@db/reg", "POSTGRESQL://alice:***@db/reg"},
		{"postgresql://h1:5432,h2:5433/reg", "postgresql://h1:5432,h2:5433/reg"},
		/* a password with an unencoded '@', '/' or '?': libpq would read a piece as host or path */
		{"postgresql://alice:p@ss@db/reg", "postgresql://alice:***@db/reg"},
		{"postgresql://alice:p/ss@db/reg", "postgresql://alice:***@db/reg"},
		{"postgresql://alice:p?ss@db/reg", "postgresql://alice:***@db/reg"},
		/* query parameters: password and sslpassword, percent-encoded keys, any case, several */
		{"postgresql:///reg?host=/run/postgresql&password=s3cret", "postgresql:///reg?host=/run/postgresql&password=***"},
		{"postgresql://db/reg?password=a&sslpassword=b%20c&user=u&password=d",
		 "postgresql://db/reg?password=***&sslpassword=***&user=u&password=***"},
		{"postgresql://db/reg?pass%77ord=s3cret&connect_timeout=2", "postgresql://db/reg?pass%77ord=***&connect_timeout=2"},
		{"postgresql://db/reg?%70%61%73%73%77%6F%72%64=s3cret", "postgresql://db/reg?%70%61%73%73%77%6F%72%64=***"},
		{"postgresql://db/reg?PassWord=s3cret", "postgresql://db/reg?PassWord=***"},
		{"postgresql://db/reg?password=s3=cr=et", "postgresql://db/reg?password=***"},
		{"postgresql://db/reg?password=", "postgresql://db/reg?password="},
		{"postgresql://db/reg?passfile=/home/u/.pgpass&sslkey=/k", "postgresql://db/reg?passfile=/home/u/.pgpass&sslkey=/k"},
		{"postgresql://u:a@db/reg?password=b", "postgresql://u:***@db/reg?password=***"},
		/* keyword=value connection strings, libpq's quoting and escapes */
		{"host=db password=s3cret user=u", "host=db password=*** user=u"},
		{"host=db password = 'se cr\\'et \\\\' user=u", "host=db password = *** user=u"},
		{"host=db sslpassword=s3\\ cret dbname=reg", "host=db sslpassword=*** dbname=reg"},
		{"password='unterminated and more", "password=***"},
		{"password=  user=u", "password=  ***"}, /* libpq reads "user=u" as the password */
		{"host=db password 's3cret'", "host=db password***"}, /* no '=': everything after is hidden */
		{"password=", "password="},
		{"host=db PASSWORD=s3cret", "host=db PASSWORD=***"},
		/* paths are not connection strings */
		{"/var/lib/trustmap/trustmap.db", "/var/lib/trustmap/trustmap.db"},
		{"sqlite:/tmp/a b/trustmap.db", "sqlite:/tmp/a b/trustmap.db"},
		{"sqlite:/tmp/x=y/trustmap.db", "sqlite:/tmp/x=y/trustmap.db"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[256];
		size_t n = tm_store_redact(out, sizeof(out), cases[i].in);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("redact '%s': '%s', expected '%s'", cases[i].in, out, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
	}
	/* a short buffer: truncated, terminated, the full length returned, still nothing of the secret */
	char small[24];
	assert_int_equal(tm_store_redact(small, sizeof(small), "postgresql://alice:s3cret@db/reg"), 29);
	assert_string_equal(small, "postgresql://alice:***@");
	assert_int_equal(tm_store_redact(NULL, 0, "host=db password=x"), 20);
}

/* The store's own messages carry no credential either, even when libpq's message echoes one back. */
static void open_errors_redacted(void **state)
{
	(void)state;
	static const char *const urls[] = {
		"postgresql://u:hunter2%zz@127.0.0.1:1/x?connect_timeout=2",     /* libpq: invalid percent-encoded token */
		"postgresql://127.0.0.1:1/x?connect_timeout=2&password=hunter2=x", /* libpq: extra separator */
		"postgresql://u:p@hunter2@127.0.0.1:1/x?connect_timeout=2",      /* libpq: host "hunter2@..." */
		"postgresql://127.0.0.1:1/x?password=hunter2&connect_timeout=2",
		"host=/nonexistent/dir password=hunter2",                         /* a path to SQLite, by mistake */
	};
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		for (int ro = 0; ro < 2; ro++) {
			tm_store *s = NULL;
			int rc = ro ? tm_store_open_read_only(&s, urls[i]) : tm_store_open(&s, urls[i]);
			assert_int_equal(rc, TM_ESTORE);
			assert_true(strlen(tm_store_error(s)) > 0);
			if (strstr(tm_store_error(s), "hunter") || strstr(tm_store_error(s), "ter2"))
				fail_msg("'%s': the message shows the password: %s", urls[i], tm_store_error(s));
			tm_store_close(s);
		}
	}
}

int main(void)
{
	const char *file = getenv("TM_STORE_URL_FILE");
	if (file) {
		FILE *fp = fopen(file, "r");
		if (!fp || !fgets(url, sizeof(url), fp)) {
			fprintf(stderr, "test_store: cannot read %s (did the PostgreSQL fixture run?)\n", file);
			return 1;
		}
		fclose(fp);
		url[strcspn(url, "\n")] = '\0';
		if (strncmp(url, "skip:", 5) == 0) {
			printf("test_store: PostgreSQL tests skipped: %s\n", url + 6);
			return 77;
		}
		pg = true;
	} else {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/trustmap-store.XXXXXX");
		if (!mkdtemp(tmpdir))
			return 1;
		snprintf(url, sizeof(url), "sqlite:%s/register.db", tmpdir);
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lifecycle),
		cmocka_unit_test(proposals),
		cmocka_unit_test(decisions),
		cmocka_unit_test(file_wins),
		cmocka_unit_test(concurrent_writers),
		cmocka_unit_test(input_changes),
		cmocka_unit_test(newer_schema_refused),
		cmocka_unit_test(runtime_coverage),
		cmocka_unit_test(schema_1_migrated),
		cmocka_unit_test(change_to_finding),
		cmocka_unit_test(schema_2_migrated),
		cmocka_unit_test(corrupt_file_reported),
		cmocka_unit_test(read_only_open),
		cmocka_unit_test(redaction),
		cmocka_unit_test(open_errors_redacted),
	};
	int rc = cmocka_run_group_tests_name(pg ? "store (postgresql)" : "store (sqlite)", tests, NULL, NULL);
	if (!pg) {
		char cmd[512];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "test_store: could not remove %s\n", tmpdir);
	}
	return rc;
}
