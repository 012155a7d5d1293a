/*
 * store.c - the register's logic, once for both backends: the schema and its
 * migrations, recording a run, decisions, and the queries behind `findings`
 * and `history`. Every write is one transaction, retried a few times when a
 * concurrent writer wins (SQLite busy, PostgreSQL serialization failure).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>

#include "store.h"

#define RETRIES 8

int tm_store__fail(tm_store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	size_t n = strlen(s->err);
	while (n && (s->err[n - 1] == '\n' || s->err[n - 1] == ' '))
		s->err[--n] = '\0';
	return TM_ESTORE;
}

const char *tm_store_error(const tm_store *s) { return s ? s->err : "out of memory"; }
const char *tm_store_backend(const tm_store *s) { return s->ops->name; }

static int one_value(void *ud, const char *const *cols, size_t n)
{
	char *out = ud;
	snprintf(out, 64, "%s", n && cols[0] ? cols[0] : "");
	return 0;
}

/* The schema, version 1. %s is the backend's auto-increment id column. */
static const char *const schema_v1[] = {
	"CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS runs (id %s, root TEXT NOT NULL, revision TEXT, command TEXT NOT NULL, "
	"time BIGINT NOT NULL, inputs_digest TEXT, inputs BIGINT, services BIGINT, endpoints BIGINT, "
	"findings BIGINT, open_findings BIGINT, critical BIGINT, high BIGINT, opened BIGINT, closed BIGINT, "
	"fresh BIGINT, coverage_authz DOUBLE PRECISION, coverage_owner DOUBLE PRECISION, "
	"coverage_policy DOUBLE PRECISION, revision_time BIGINT, window_start BIGINT, partial INTEGER NOT NULL DEFAULT 0, "
	"complete INTEGER NOT NULL DEFAULT 0)",
	"CREATE TABLE IF NOT EXISTS findings (root TEXT NOT NULL, fingerprint TEXT NOT NULL, rule TEXT NOT NULL, "
	"title TEXT, severity TEXT, subject TEXT, owner TEXT, location TEXT, first_seen BIGINT, last_seen BIGINT, "
	"first_run BIGINT, last_run BIGINT, state TEXT NOT NULL, resolved_at BIGINT, reopened BIGINT NOT NULL DEFAULT 0, "
	"file_status TEXT, file_owner TEXT, file_why TEXT, file_until TEXT, file_source TEXT, "
	"PRIMARY KEY (root, fingerprint))",
	"CREATE TABLE IF NOT EXISTS run_findings (run_id BIGINT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL, "
	"PRIMARY KEY (run_id, fingerprint))",
	"CREATE TABLE IF NOT EXISTS decisions (id %s, root TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL, "
	"owner TEXT, why TEXT, until TEXT, review TEXT, decided_by TEXT, time BIGINT NOT NULL)",
	"CREATE INDEX IF NOT EXISTS decisions_by_finding ON decisions (root, fingerprint, id)",
	"CREATE INDEX IF NOT EXISTS runs_by_root ON runs (root, time)",
};

static int tx_begin(tm_store *s) { return s->ops->begin(s); }

static int tx_end(tm_store *s, int rc)
{
	if (rc) {
		char keep[sizeof(s->err)];
		memcpy(keep, s->err, sizeof(keep));
		s->ops->rollback(s);
		memcpy(s->err, keep, sizeof(keep));
		return rc;
	}
	return s->ops->commit(s);
}

static int migrate(tm_store *s)
{
	int rc = tx_begin(s);
	if (rc)
		return rc;
	char version[64] = "";
	/* meta may not exist yet: create it first, in the same transaction */
	for (size_t i = 0; i < TM_ARRAY_LEN(schema_v1) && !rc; i++) {
		char sql[1024];
		snprintf(sql, sizeof(sql), schema_v1[i], s->ops->id_column);
		if (i == 0 || version[0] == '\0')
			rc = s->ops->exec(s, sql, NULL, 0);
		if (i == 0 && !rc) {
			rc = s->ops->query(s, "SELECT value FROM meta WHERE key = 'schema'", NULL, 0, one_value, version);
			if (!rc && version[0]) {
				int64_t v = 0;
				tm_parse_i64(version, strlen(version), 10, &v);
				if (v > TM_STORE_SCHEMA)
					rc = tm_store__fail(s, "the store has schema %" PRId64 ", newer than this trustmap's (%d): "
							       "upgrade trustmap", v, TM_STORE_SCHEMA);
				/* v < TM_STORE_SCHEMA: later versions add their steps here, in order */
			}
		}
	}
	if (!rc && !version[0]) {
		const char *p[] = {"1"};
		rc = s->ops->exec(s, "INSERT INTO meta (key, value) VALUES ('schema', ?)", p, 1);
	}
	return tx_end(s, rc);
}

int tm_store_open(tm_store **out, const char *url)
{
	*out = NULL;
	tm_store *s = tm_calloc(1, sizeof(*s));
	if (!s || !(s->scratch = tm_arena_new())) {
		tm_free(s);
		return TM_ENOMEM;
	}
	*out = s;
	int rc;
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		rc = tm_store__open_pg(s, url);
	else
		rc = tm_store__open_sqlite(s, strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url);
	if (!rc)
		rc = migrate(s);
	return rc;
}

void tm_store_close(tm_store *s)
{
	if (!s)
		return;
	if (s->ops && s->db)
		s->ops->close(s);
	tm_arena_free(s->scratch);
	tm_free(s);
}

int tm_store_check(tm_store *s)
{
	return s->ops->check(s);
}

static const char *num(char *buf, int64_t v)
{
	snprintf(buf, 24, "%" PRId64, v);
	return buf;
}

static const char *dbl(char *buf, double v)
{
	snprintf(buf, 32, "%.4f", v);
	return buf;
}

struct state {
	char state[64];
	bool found;
};

static int state_row(void *ud, const char *const *cols, size_t n)
{
	struct state *st = ud;
	st->found = true;
	snprintf(st->state, sizeof(st->state), "%s", n && cols[0] ? cols[0] : "");
	return 0;
}

static const char *loc_text(char *buf, size_t len, const tm_finding *x)
{
	if (!x->nevidence || !x->evidence[0].path)
		return NULL;
	snprintf(buf, len, "%s:%u:%u", x->evidence[0].path, x->evidence[0].line, x->evidence[0].col);
	return buf;
}

static int record_once(tm_store *s, const tm_run_info *run, const tm_findings *f, int64_t *run_id)
{
	char b[16][32];
	int rc = tx_begin(s);
	if (rc)
		return rc;
	int64_t window = run->window_start;
	if (!window) {
		char prev[64] = "";
		rc = s->ops->query(s, "SELECT MAX(time) FROM runs WHERE root = ? AND partial = 0 AND complete = 1",
				   (const char *const[]){run->root}, 1, one_value, prev);
		tm_parse_i64(prev, strlen(prev), 10, &window);
	}
	const char *p[16] = {run->root, run->revision, run->command, num(b[0], run->time), run->inputs_digest,
			     num(b[1], run->inputs), num(b[2], run->services), num(b[3], run->endpoints),
			     dbl(b[4], run->coverage_authz), dbl(b[5], run->coverage_owner), dbl(b[6], run->coverage_policy),
			     run->revision_time ? num(b[12], run->revision_time) : NULL, window ? num(b[13], window) : NULL,
			     run->partial ? "1" : "0"};
	char id[64] = "";
	if (!rc)
		rc = s->ops->query(s,
				   "INSERT INTO runs (root, revision, command, time, inputs_digest, inputs, services, endpoints, "
				   "coverage_authz, coverage_owner, coverage_policy, revision_time, window_start, partial) VALUES "
				   "(?, ?, ?, CAST(? AS BIGINT), ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), "
				   "CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), "
				   "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS INTEGER)) RETURNING id",
				   p, 14, one_value, id);
	int64_t opened = 0, closed = 0, fresh = 0, open = 0, critical = 0, high = 0;
	for (size_t i = 0; !rc && i < tm_findings_count(f); i++) {
		const tm_finding *x = tm_findings_at(f, i);
		bool is_open = strcmp(x->status, "open") == 0;
		open += is_open;
		critical += is_open && x->severity == TM_SEV_CRITICAL;
		high += is_open && x->severity == TM_SEV_HIGH;
		struct state st = {"", false};
		const char *key[2] = {run->root, x->fingerprint};
		rc = s->ops->query(s, "SELECT state FROM findings WHERE root = ? AND fingerprint = ?", key, 2, state_row, &st);
		if (rc)
			break;
		/* the file's decision, recorded so the register can show it (the file wins) */
		bool file = x->decided_in && strcmp(x->decided_in, "store") != 0;
		char where[512];
		const char *q[16] = {run->root, x->fingerprint, x->rule->id, x->title, tm_severity_name(x->severity),
				     x->subject, x->owner, loc_text(where, sizeof(where), x), num(b[7], run->time), id,
				     file ? "accepted" : NULL, file ? x->accepted_by : NULL, file ? x->why : NULL,
				     file ? x->until : NULL, file ? x->decided_in : NULL};
		if (!st.found) {
			opened++;
			fresh++;
			rc = s->ops->exec(s,
					  "INSERT INTO findings (root, fingerprint, rule, title, severity, subject, owner, location, "
					  "first_seen, last_seen, first_run, last_run, state, reopened, file_status, file_owner, "
					  "file_why, file_until, file_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS BIGINT), "
					  "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), 'present', 0, ?, ?, ?, ?, ?)",
					  (const char *const[]){q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[8], q[9],
								q[9], q[10], q[11], q[12], q[13], q[14]},
					  17);
		} else {
			/* a proposed change (diff) neither reopens nor moves the main line's last sighting */
			bool back = strcmp(st.state, "resolved") == 0 && !run->partial;
			opened += back;
			if (!run->partial)
				rc = s->ops->exec(
					s,
					back ? "UPDATE findings SET title = ?, severity = ?, owner = ?, location = ?, "
					       "last_seen = CAST(? AS BIGINT), last_run = CAST(? AS BIGINT), file_status = ?, "
					       "file_owner = ?, file_why = ?, file_until = ?, file_source = ?, state = 'present', "
					       "resolved_at = NULL, reopened = reopened + 1 WHERE root = ? AND fingerprint = ?"
					     : "UPDATE findings SET title = ?, severity = ?, owner = ?, location = ?, "
					       "last_seen = CAST(? AS BIGINT), last_run = CAST(? AS BIGINT), file_status = ?, "
					       "file_owner = ?, file_why = ?, file_until = ?, file_source = ? "
					       "WHERE root = ? AND fingerprint = ?",
					(const char *const[]){q[3], q[4], q[6], q[7], q[8], q[9], q[10], q[11], q[12], q[13], q[14],
							      q[0], q[1]},
					13);
		}
		if (!rc)
			rc = s->ops->exec(s, "INSERT INTO run_findings (run_id, fingerprint, status) VALUES (CAST(? AS BIGINT), ?, ?)",
					  (const char *const[]){id, x->fingerprint, x->status}, 3);
	}
	if (!rc && !run->partial) {
		char count[64] = "0";
		rc = s->ops->query(s, "SELECT COUNT(*) FROM findings WHERE root = ? AND state = 'present' AND last_run < CAST(? AS BIGINT)",
				   (const char *const[]){run->root, id}, 2, one_value, count);
		tm_parse_i64(count, strlen(count), 10, &closed);
		if (!rc)
			rc = s->ops->exec(s,
					  "UPDATE findings SET state = 'resolved', resolved_at = CAST(? AS BIGINT) WHERE root = ? AND "
					  "state = 'present' AND last_run < CAST(? AS BIGINT)",
					  (const char *const[]){num(b[8], run->time), run->root, id}, 3);
	}
	if (!rc)
		rc = s->ops->exec(s,
				  "UPDATE runs SET findings = CAST(? AS BIGINT), opened = CAST(? AS BIGINT), closed = CAST(? AS BIGINT), "
				  "fresh = CAST(? AS BIGINT), open_findings = CAST(? AS BIGINT), critical = CAST(? AS BIGINT), "
				  "high = CAST(? AS BIGINT), complete = 1 WHERE id = CAST(? AS BIGINT)",
				  (const char *const[]){num(b[9], (int64_t)tm_findings_count(f)), num(b[10], opened),
							num(b[11], closed), num(b[14], fresh), num(b[15], open),
							num(b[1], critical), num(b[2], high), id},
				  8);
	rc = tx_end(s, rc);
	if (!rc && run_id)
		tm_parse_i64(id, strlen(id), 10, run_id);
	return rc;
}

int tm_store_record_run(tm_store *s, const tm_run_info *run, const tm_findings *f, int64_t *run_id)
{
	int rc = 0;
	for (int attempt = 0; attempt < RETRIES; attempt++)
		if ((rc = record_once(s, run, f, run_id)) == 0)
			break;
	return rc;
}

int tm_store_last_revision(tm_store *s, const char *root, char *buf, size_t len)
{
	char rev[64] = "";
	int rc = s->ops->query(s,
			       "SELECT revision FROM runs WHERE root = ? AND revision IS NOT NULL AND partial = 0 "
			       "AND complete = 1 ORDER BY time DESC, id DESC LIMIT 1",
			       (const char *const[]){root}, 1, one_value, rev);
	snprintf(buf, len, "%s", rc ? "" : rev);
	return rc;
}

int tm_store_decide(tm_store *s, const tm_decision *d)
{
	char t[32];
	int rc = 0;
	for (int attempt = 0; attempt < RETRIES; attempt++) {
		if ((rc = tx_begin(s)))
			continue;
		rc = s->ops->exec(s,
				  "INSERT INTO decisions (root, fingerprint, status, owner, why, until, review, decided_by, time) "
				  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS BIGINT))",
				  (const char *const[]){d->root, d->fingerprint, d->status, d->owner, d->why, d->until, d->review,
							d->by, num(t, d->time)},
				  9);
		if ((rc = tx_end(s, rc)) == 0)
			break;
	}
	return rc;
}

static int64_t i64(const char *v)
{
	int64_t x = 0;
	if (v)
		tm_parse_i64(v, strlen(v), 10, &x);
	return x;
}

static double f64(const char *v)
{
	return v ? strtod(v, NULL) : 0.0;
}

#define DECISION_COLS "status, owner, why, until, review, decided_by, time, fingerprint, root"

static tm_decision decision_of(const char *const *c)
{
	tm_decision d = {c[7], c[8], c[0], c[1], c[2], c[3], c[4], c[5], i64(c[6])};
	return d;
}

struct one_decision {
	tm_store *s;
	tm_decision *out;
	bool *found;
};

static const char *keep(tm_store *s, const char *v)
{
	return v ? tm_arena_strdup(s->scratch, v) : NULL;
}

static int decision_row(void *ud, const char *const *c, size_t n)
{
	struct one_decision *x = ud;
	if (n < 9)
		return 0;
	tm_decision d = decision_of(c);
	*x->found = true;
	*x->out = (tm_decision){keep(x->s, d.fingerprint), keep(x->s, d.root), keep(x->s, d.status),
				keep(x->s, d.owner), keep(x->s, d.why), keep(x->s, d.until), keep(x->s, d.review),
				keep(x->s, d.by), d.time};
	return 0;
}

int tm_store_decision(tm_store *s, const char *root, const char *fingerprint, tm_decision *out, bool *found)
{
	memset(out, 0, sizeof(*out));
	*found = false;
	tm_arena_free(s->scratch);
	if (!(s->scratch = tm_arena_new()))
		return TM_ENOMEM;
	struct one_decision ud = {s, out, found};
	int rc = s->ops->query(s,
			       "SELECT " DECISION_COLS " FROM decisions WHERE root = ? AND fingerprint = ? "
			       "ORDER BY id DESC LIMIT 1",
			       (const char *const[]){root, fingerprint}, 2, decision_row, &ud);
	return rc ? rc : tm_arena_failed(s->scratch) ? TM_ENOMEM : 0;
}

struct each_decision {
	tm_decision_fn fn;
	void *ud;
};

static int each_decision_row(void *ud, const char *const *c, size_t n)
{
	struct each_decision *x = ud;
	if (n < 9)
		return 0;
	tm_decision d = decision_of(c);
	return x->fn(x->ud, &d);
}

int tm_store_decisions(tm_store *s, const char *root, tm_decision_fn fn, void *ud)
{
	struct each_decision x = {fn, ud};
	return s->ops->query(s,
			     "SELECT " DECISION_COLS " FROM decisions d WHERE root = ? AND id = (SELECT MAX(id) FROM "
			     "decisions e WHERE e.root = d.root AND e.fingerprint = d.fingerprint) ORDER BY fingerprint",
			     (const char *const[]){root}, 1, each_decision_row, &x);
}

int tm_store_audit(tm_store *s, const char *root, const char *fingerprint, tm_decision_fn fn, void *ud)
{
	struct each_decision x = {fn, ud};
	return s->ops->query(s, "SELECT " DECISION_COLS " FROM decisions WHERE root = ? AND fingerprint = ? ORDER BY id",
			     (const char *const[]){root, fingerprint}, 2, each_decision_row, &x);
}

int tm_store_known(tm_store *s, const char *root, const char *fingerprint, bool *known)
{
	char count[64] = "0";
	int rc = s->ops->query(s, "SELECT COUNT(*) FROM findings WHERE root = ? AND fingerprint = ?",
			       (const char *const[]){root, fingerprint}, 2, one_value, count);
	*known = !rc && i64(count) > 0;
	return rc;
}

struct reg_ud {
	tm_register_fn fn;
	void *ud;
	const char *today;
};

static int register_row(void *ud, const char *const *c, size_t n)
{
	struct reg_ud *x = ud;
	if (n < 22)
		return 0;
	tm_register_row r = {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], i64(c[8]), i64(c[9]), i64(c[10]),
			     i64(c[11]), "open", NULL, NULL, NULL, NULL, NULL, false};
	/* the file's decision (as of the latest run) wins over the register's */
	if (c[12]) {
		r.status = c[12];
		r.decision_owner = c[13];
		r.why = c[14];
		r.until = c[15];
		r.decided_in = c[16];
	} else if (c[17] && strcmp(c[17], "open") != 0) {
		r.status = c[17];
		r.decision_owner = c[18];
		r.decided_by = c[21];
		r.why = c[19];
		r.until = c[20];
		r.decided_in = "store";
	}
	if (strcmp(r.status, "accepted") == 0 && r.until && x->today && strcmp(r.until, x->today) < 0) {
		r.status = "open";
		r.expired = true;
	}
	return x->fn(x->ud, &r);
}

int tm_store_register(tm_store *s, const char *root, const char *today, tm_register_fn fn, void *ud)
{
	struct reg_ud x = {fn, ud, today};
	return s->ops->query(
		s,
		"SELECT f.fingerprint, f.rule, f.title, f.severity, f.subject, f.owner, f.location, f.state, "
		"f.first_seen, f.last_seen, f.resolved_at, f.reopened, f.file_status, f.file_owner, f.file_why, "
		"f.file_until, f.file_source, d.status, d.owner, d.why, d.until, d.decided_by FROM findings f "
		"LEFT JOIN decisions d ON d.id = (SELECT MAX(id) FROM decisions e WHERE e.root = f.root AND "
		"e.fingerprint = f.fingerprint) WHERE f.root = ? ORDER BY f.state, f.first_seen, f.fingerprint",
		(const char *const[]){root}, 1, register_row, &x);
}

struct hist_ud {
	tm_history_fn fn;
	void *ud;
};

static int history_row(void *ud, const char *const *c, size_t n)
{
	struct hist_ud *x = ud;
	if (n < 19)
		return 0;
	tm_history_row r = {i64(c[0]), i64(c[1]), i64(c[2]), i64(c[3]), i64(c[4]), i64(c[5]), i64(c[6]), i64(c[7]),
			    i64(c[8]), c[9], c[10], c[11], f64(c[12]), f64(c[13]), f64(c[14]), i64(c[15]), i64(c[16]),
			    i64(c[17]) != 0};
	(void)c[18];
	return x->fn(x->ud, &r);
}

int tm_store_history(tm_store *s, const char *root, tm_history_fn fn, void *ud)
{
	struct hist_ud x = {fn, ud};
#define HIST "SELECT id, time, findings, open_findings, critical, high, opened, closed, fresh, root, revision, command, " \
	     "coverage_authz, coverage_owner, coverage_policy, revision_time, window_start, partial, complete FROM runs "
	return s->ops->query(s, root ? HIST "WHERE root = ? ORDER BY time, id" : HIST "ORDER BY root, time, id",
			     root ? (const char *const[]){root} : NULL, root ? 1 : 0, history_row, &x);
#undef HIST
}
