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
#include "trustmap/delta.h"

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
	"complete INTEGER NOT NULL DEFAULT 0, inputs_changed BIGINT)",
	"CREATE TABLE IF NOT EXISTS findings (root TEXT NOT NULL, fingerprint TEXT NOT NULL, rule TEXT NOT NULL, "
	"title TEXT, severity TEXT, subject TEXT, owner TEXT, location TEXT, first_seen BIGINT, last_seen BIGINT, "
	"first_run BIGINT, last_run BIGINT, state TEXT NOT NULL, resolved_at BIGINT, reopened BIGINT NOT NULL DEFAULT 0, "
	"file_status TEXT, file_owner TEXT, file_why TEXT, file_until TEXT, file_source TEXT, "
	"PRIMARY KEY (root, fingerprint))",
	"CREATE TABLE IF NOT EXISTS run_findings (run_id BIGINT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL, "
	"PRIMARY KEY (run_id, fingerprint))",
	"CREATE TABLE IF NOT EXISTS decisions (id %s, root TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL, "
	"owner TEXT, why TEXT, until TEXT, review TEXT, decided_by TEXT, time BIGINT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS run_inputs (run_id BIGINT NOT NULL, path TEXT NOT NULL, digest TEXT NOT NULL, "
	"PRIMARY KEY (run_id, path))",
	"CREATE INDEX IF NOT EXISTS decisions_by_finding ON decisions (root, fingerprint, id)",
	"CREATE INDEX IF NOT EXISTS runs_by_root ON runs (root, time)",
};

/* Version 2: the coverage of the live architecture each run saw (runtime maps); NULL in runs recorded
 * before, or without a runtime export. One column per statement: SQLite adds no more at once. Writers
 * are serialised (BEGIN IMMEDIATE, PostgreSQL's advisory lock), so two first opens never both add them. */
static const char *const schema_v2[] = {
	"ALTER TABLE runs ADD COLUMN runtime_files BIGINT",
	"ALTER TABLE runs ADD COLUMN observed_services_known BIGINT",
	"ALTER TABLE runs ADD COLUMN observed_services_unknown BIGINT",
	"ALTER TABLE runs ADD COLUMN observed_calls BIGINT",
	"ALTER TABLE runs ADD COLUMN observed_calls_declared BIGINT",
	"ALTER TABLE runs ADD COLUMN observed_requests BIGINT",
	"ALTER TABLE runs ADD COLUMN observed_requests_declared BIGINT",
};

/* Version 3: when each element of the model (node, boundary, policy: what `diff` names a change) landed,
 * and which change each new finding followed, for the time from a change to its first finding per
 * trigger (see record_elements). Empty in a register migrated from version 2: its next run is the
 * baseline of what landed. */
static const char *const schema_v3[] = {
	"CREATE TABLE IF NOT EXISTS elements (root TEXT NOT NULL, element TEXT NOT NULL, trigger_kind TEXT NOT NULL, "
	"landed_run BIGINT, landed_time BIGINT, landed_window BIGINT, last_run BIGINT NOT NULL, "
	"PRIMARY KEY (root, element))",
	"CREATE TABLE IF NOT EXISTS finding_triggers (root TEXT NOT NULL, fingerprint TEXT NOT NULL, "
	"trigger_kind TEXT NOT NULL, element TEXT NOT NULL, change_run BIGINT NOT NULL, change_time BIGINT NOT NULL, "
	"change_window BIGINT, finding_run BIGINT NOT NULL, finding_time BIGINT NOT NULL, "
	"PRIMARY KEY (root, fingerprint, trigger_kind))",
};

/* The steps from version k + 1 to k + 2, in order; version 1 is schema_v1. */
static const struct {
	const char *const *steps;
	size_t n;
} migrations[] = {
	{schema_v2, TM_ARRAY_LEN(schema_v2)},
	{schema_v3, TM_ARRAY_LEN(schema_v3)},
};

static int tx_begin(tm_store *s)
{
	return s->read_only ? tm_store__fail(s, "the store is open read-only") : s->ops->begin(s);
}

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
			}
		}
	}
	/* a new store was just made in version 1: it climbs like an old one, in the same transaction */
	int64_t from = 1;
	if (version[0])
		tm_parse_i64(version, strlen(version), 10, &from);
	for (int64_t v = from < 1 ? 1 : from; v < TM_STORE_SCHEMA && !rc; v++)
		for (size_t i = 0; i < migrations[v - 1].n && !rc; i++)
			rc = s->ops->exec(s, migrations[v - 1].steps[i], NULL, 0);
	char to[24];
	snprintf(to, sizeof(to), "%d", TM_STORE_SCHEMA);
	const char *p[] = {to};
	if (!rc && !version[0])
		rc = s->ops->exec(s, "INSERT INTO meta (key, value) VALUES ('schema', ?)", p, 1);
	else if (!rc && from < TM_STORE_SCHEMA)
		rc = s->ops->exec(s, "UPDATE meta SET value = ? WHERE key = 'schema'", p, 1);
	return tx_end(s, rc);
}

/* A reader migrates nothing: it needs the register to be there already, in this trustmap's schema. */
static int check_schema(tm_store *s)
{
	char has[64] = "", version[64] = "";
	int rc = s->ops->query(s, s->ops->has_meta, NULL, 0, one_value, has);
	if (!rc && strcmp(has, "1") == 0)
		rc = s->ops->query(s, "SELECT value FROM meta WHERE key = 'schema'", NULL, 0, one_value, version);
	if (rc)
		return rc;
	if (!version[0])
		return tm_store__fail(s, "no register here yet: 'trustmap scan' records one");
	int64_t v = 0;
	tm_parse_i64(version, strlen(version), 10, &v);
	if (v > TM_STORE_SCHEMA)
		return tm_store__fail(s, "the store has schema %" PRId64 ", newer than this trustmap's (%d): upgrade trustmap",
				      v, TM_STORE_SCHEMA);
	if (v < TM_STORE_SCHEMA)
		return tm_store__fail(s, "the store has schema %" PRId64 ", older than this trustmap's (%d): a scan "
				      "where it can be written upgrades it", v, TM_STORE_SCHEMA);
	return 0;
}

static int open_store(tm_store **out, const char *url, bool read_only)
{
	*out = NULL;
	tm_store *s = tm_calloc(1, sizeof(*s));
	if (!s || !(s->scratch = tm_arena_new())) {
		tm_free(s);
		return TM_ENOMEM;
	}
	*out = s;
	s->read_only = read_only;
	int rc;
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		rc = tm_store__open_pg(s, url, read_only);
	else
		rc = tm_store__open_sqlite(s, strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url, read_only);
	if (!rc)
		rc = read_only ? check_schema(s) : migrate(s);
	/* whatever a backend said, no credential of url leaves the store */
	if (rc)
		tm_store__scrub(s->err, sizeof(s->err), url);
	return rc;
}

int tm_store_open(tm_store **out, const char *url) { return open_store(out, url, false); }
int tm_store_open_read_only(tm_store **out, const char *url) { return open_store(out, url, true); }
bool tm_store_read_only(const tm_store *s) { return s && s->read_only; }

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

static const char *loc_text(tm_arena *a, const tm_finding *x)
{
	if (!x->nevidence || !x->evidence[0].path)
		return NULL;
	return tm_arena_printf(a, "%s:%u:%u", x->evidence[0].path, x->evidence[0].line, x->evidence[0].col);
}

/* What the register holds of one finding under the root, to compare with what the run saw. */
typedef struct {
	const char *cols[10]; /* state, title, severity, owner, location, file_status, file_owner, file_why,
				 file_until, file_source */
} known_row;

struct known {
	tm_store *s;
	tm_hmap map;
	int oom;
};

static int known_row_cb(void *ud, const char *const *c, size_t n)
{
	struct known *k = ud;
	if (n < 11 || !c[0])
		return 0;
	known_row *r = tm_arena_alloc(k->s->scratch, sizeof(*r));
	const char *fp = tm_arena_strdup(k->s->scratch, c[0]);
	if (!r || !fp) {
		k->oom = 1;
		return TM_ENOMEM;
	}
	for (int i = 0; i < 10; i++)
		r->cols[i] = c[i + 1] ? tm_arena_strdup(k->s->scratch, c[i + 1]) : NULL;
	if (tm_hmap_put(&k->map, fp, strlen(fp), r)) {
		k->oom = 1;
		return TM_ENOMEM;
	}
	return 0;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/*
 * Statements with many rows: "PREFIX (?, ...), (?, ...) SUFFIX", ROWS rows at a time, so a run
 * with thousands of findings is a few dozen round trips, not thousands.
 */
#define ROWS 100

typedef struct {
	tm_store *s;
	const char *prefix, *row, *suffix;
	size_t width; /* parameters per row */
	const char **params;
	size_t n; /* rows held */
	int rc;
} batch;

static void batch_flush(batch *b)
{
	if (!b->n || b->rc)
		return;
	tm_strbuf sql = TM_STRBUF_INIT;
	tm_strbuf_puts(&sql, b->prefix);
	for (size_t i = 0; i < b->n; i++) {
		tm_strbuf_puts(&sql, i ? ", " : " ");
		tm_strbuf_puts(&sql, b->row);
	}
	tm_strbuf_puts(&sql, b->suffix);
	b->rc = sql.oom ? TM_ENOMEM : b->s->ops->exec(b->s, sql.data, b->params, b->n * b->width);
	tm_strbuf_dispose(&sql);
	b->n = 0;
}

static void batch_add(batch *b, const char *const *row)
{
	if (b->rc)
		return;
	memcpy(b->params + b->n * b->width, row, b->width * sizeof(char *));
	if (++b->n == ROWS)
		batch_flush(b);
}

struct change_ud {
	tm_input_change_fn fn;
	void *ud;
};

static int change_row(void *ud, const char *const *c, size_t n)
{
	struct change_ud *x = ud;
	return n >= 2 && c[0] && c[1] ? x->fn(x->ud, c[0], c[1]) : 0;
}

static int count_change(void *ud, const char *path, const char *change)
{
	(void)path, (void)change;
	(*(int64_t *)ud)++;
	return 0;
}

static int input_changes(tm_store *s, int64_t run_id, tm_input_change_fn fn, void *ud, bool *had_previous)
{
	char idb[24];
	const char *id = num(idb, run_id);
	/* the previous full run of the same root */
	char prev[64] = "";
	int rc = s->ops->query(s,
			       "SELECT MAX(p.id) FROM runs p, runs r WHERE r.id = CAST(? AS BIGINT) AND p.root = r.root AND "
			       "p.partial = 0 AND p.id < r.id",
			       (const char *const[]){id}, 1, one_value, prev);
	*had_previous = !rc && prev[0];
	if (rc || !prev[0])
		return rc;
	struct change_ud x = {fn, ud};
	return s->ops->query(
		s,
		"SELECT a.path, CASE WHEN b.path IS NULL THEN 'added' ELSE 'changed' END FROM run_inputs a LEFT JOIN run_inputs b "
		"ON b.run_id = CAST(? AS BIGINT) AND b.path = a.path WHERE a.run_id = CAST(? AS BIGINT) AND "
		"(b.path IS NULL OR b.digest <> a.digest) "
		"UNION ALL SELECT b.path, 'removed' FROM run_inputs b WHERE b.run_id = CAST(? AS BIGINT) AND NOT EXISTS "
		"(SELECT 1 FROM run_inputs a WHERE a.run_id = CAST(? AS BIGINT) AND a.path = b.path) ORDER BY 1",
		(const char *const[]){prev, id, prev, id}, 4, change_row, &x);
}

int tm_store_input_changes(tm_store *s, int64_t run_id, tm_input_change_fn fn, void *ud)
{
	bool had = false;
	return input_changes(s, run_id, fn, ud, &had);
}

/* One run being recorded: its row's id, its time as a parameter, and what its findings did. */
typedef struct {
	tm_store *s;
	const tm_run_info *run;
	const tm_findings *f;
	char id[64]; /* the new runs row */
	char now[32];
	/* sightings of known, unchanged findings: only last seen moves, in a few statements at the end */
	const char **seen;
	size_t nseen;
	/* the findings the register had never seen, for the changes they followed */
	const tm_finding **fresh;
	int64_t opened, closed, nfresh, open, critical, high;
	int64_t window; /* the run's window_start as recorded; 0 unknown */
} recording;

/* The seven runtime coverage figures as parameters (b: their text), all NULL when no runtime export was read. */
static void runtime_params(const char **p, char b[7][32], const tm_run_runtime *x)
{
	const int64_t v[7] = {x->files, x->services_known, x->services_unknown, x->calls, x->calls_declared,
			      x->requests, x->requests_declared};
	for (size_t i = 0; i < 7; i++)
		p[i] = x->files ? num(b[i], v[i]) : NULL;
}

/* The runs row, incomplete until the summary at the end. */
static int insert_run(recording *r)
{
	tm_store *s = r->s;
	const tm_run_info *run = r->run;
	char b[16][32], rt[7][32];
	int64_t window = run->window_start;
	int rc = 0;
	if (!window) {
		char prev[64] = "";
		rc = s->ops->query(s, "SELECT MAX(time) FROM runs WHERE root = ? AND partial = 0 AND complete = 1",
				   (const char *const[]){run->root}, 1, one_value, prev);
		tm_parse_i64(prev, strlen(prev), 10, &window);
	}
	r->window = window;
	const char *p[21] = {run->root, run->revision, run->command, num(b[0], run->time), run->inputs_digest,
			     num(b[1], run->inputs), num(b[2], run->services), num(b[3], run->endpoints),
			     dbl(b[4], run->coverage_authz), dbl(b[5], run->coverage_owner), dbl(b[6], run->coverage_policy),
			     run->revision_time ? num(b[12], run->revision_time) : NULL, window ? num(b[13], window) : NULL,
			     run->partial ? "1" : "0"};
	runtime_params(p + 14, rt, &run->runtime);
	if (!rc)
		rc = s->ops->query(s,
				   "INSERT INTO runs (root, revision, command, time, inputs_digest, inputs, services, endpoints, "
				   "coverage_authz, coverage_owner, coverage_policy, revision_time, window_start, partial, "
				   "runtime_files, observed_services_known, observed_services_unknown, observed_calls, "
				   "observed_calls_declared, observed_requests, observed_requests_declared) VALUES "
				   "(?, ?, ?, CAST(? AS BIGINT), ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), "
				   "CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), "
				   "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT), "
				   "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)) "
				   "RETURNING id",
				   p, 21, one_value, r->id);
	return rc;
}

/* A known finding seen again: updated when it came back or changed, else only its sighting noted. */
static int record_known(recording *r, const known_row *kr, const tm_finding *x, const char *const *q)
{
	/* a proposal (diff) neither reopens nor moves the main line's last sighting */
	if (r->run->partial)
		return 0;
	bool back = strcmp(kr->cols[0], "resolved") == 0;
	bool changed = !same(kr->cols[1], q[3]) || !same(kr->cols[2], q[4]) || !same(kr->cols[3], q[6]) ||
		       !same(kr->cols[4], q[7]) || !same(kr->cols[5], q[10]) || !same(kr->cols[6], q[11]) ||
		       !same(kr->cols[7], q[12]) || !same(kr->cols[8], q[13]) || !same(kr->cols[9], q[14]);
	r->opened += back;
	if (!back && !changed) {
		r->seen[r->nseen++] = x->fingerprint;
		return 0;
	}
	return r->s->ops->exec(r->s,
			       "UPDATE findings SET title = ?, severity = ?, owner = ?, location = ?, "
			       "last_seen = CAST(? AS BIGINT), last_run = CAST(? AS BIGINT), file_status = ?, "
			       "file_owner = ?, file_why = ?, file_until = ?, file_source = ?, state = 'present', "
			       "resolved_at = CASE WHEN state = 'resolved' THEN NULL ELSE resolved_at END, "
			       "reopened = reopened + CASE WHEN state = 'resolved' THEN 1 ELSE 0 END "
			       "WHERE root = ? AND fingerprint = ?",
			       (const char *const[]){q[3], q[4], q[6], q[7], q[8], q[9], q[10], q[11], q[12], q[13], q[14],
						     q[0], q[1]},
			       13);
}

/* One finding of the run: counted, then new (into fresh) or known. */
static int record_finding(recording *r, const tm_hmap *known, const tm_finding *x, batch *fresh)
{
	bool is_open = x->status == TM_STATUS_OPEN;
	r->open += is_open;
	r->critical += is_open && x->severity == TM_SEV_CRITICAL;
	r->high += is_open && x->severity == TM_SEV_HIGH;
	const known_row *kr = tm_hmap_get(known, x->fingerprint, strlen(x->fingerprint));
	/* the file's decision, recorded so the register can show it (the file wins) */
	bool file = x->decided_in && strcmp(x->decided_in, "store") != 0;
	const char *q[15] = {r->run->root, x->fingerprint, x->rule->id, x->title, tm_severity_name(x->severity),
			     x->subject, x->owner, loc_text(r->s->scratch, x), r->now, r->id,
			     file ? "accepted" : NULL, file ? x->accepted_by : NULL, file ? x->why : NULL,
			     file ? x->until : NULL, file ? x->decided_in : NULL};
	if (kr)
		return record_known(r, kr, x, q);
	r->fresh[r->nfresh] = x;
	r->opened++;
	r->nfresh++;
	batch_add(fresh, (const char *const[]){q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[8], q[9], q[9],
					       q[10], q[11], q[12], q[13], q[14]});
	return 0;
}

/* The run's findings (new ones and the run's statuses in batches) and its inputs with their digests. */
static int record_findings(recording *r, const tm_hmap *known, const char **params)
{
	tm_store *s = r->s;
	int rc = 0;
	batch fresh = {s, "INSERT INTO findings (root, fingerprint, rule, title, severity, subject, owner, location, "
			  "first_seen, last_seen, first_run, last_run, state, reopened, file_status, file_owner, file_why, "
			  "file_until, file_source) VALUES",
		       "(?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), "
		       "'present', 0, ?, ?, ?, ?, ?)", "", 17, params, 0, 0};
	const char **rf_params = tm_arena_alloc(s->scratch, ROWS * 3 * sizeof(char *));
	if (!rf_params)
		rc = TM_ENOMEM;
	batch rf = {s, "INSERT INTO run_findings (run_id, fingerprint, status) VALUES", "(CAST(? AS BIGINT), ?, ?)", "", 3,
		    rf_params, 0, 0};
	r->seen = tm_arena_alloc(s->scratch, (tm_findings_count(r->f) + 1) * sizeof(char *));
	r->fresh = tm_arena_alloc(s->scratch, (tm_findings_count(r->f) + 1) * sizeof(*r->fresh));
	if (!r->seen || !r->fresh)
		rc = rc ? rc : TM_ENOMEM;
	for (size_t i = 0; !rc && i < tm_findings_count(r->f); i++) {
		const tm_finding *x = tm_findings_at(r->f, i);
		rc = record_finding(r, known, x, &fresh);
		batch_add(&rf, (const char *const[]){r->id, x->fingerprint, tm_status_name(x->status)});
		if (!rc)
			rc = fresh.rc ? fresh.rc : rf.rc;
	}
	/* the inputs and their digests, in rf's parameters once rf is flushed */
	batch inputs = {s, "INSERT INTO run_inputs (run_id, path, digest) VALUES", "(CAST(? AS BIGINT), ?, ?)", "", 3,
			rf_params, 0, 0};
	batch_flush(&rf);
	for (size_t i = 0; !rc && i < r->run->ninput_files; i++) {
		batch_add(&inputs, (const char *const[]){r->id, r->run->input_paths[i], r->run->input_digests[i]});
		rc = inputs.rc;
	}
	batch_flush(&inputs);
	if (!rc)
		rc = inputs.rc;
	batch_flush(&fresh);
	batch_flush(&rf);
	if (!rc)
		rc = fresh.rc ? fresh.rc : rf.rc;
	return rc;
}

/* The unchanged sightings, ROWS fingerprints a statement. */
static int record_seen(recording *r)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < r->nseen; i += ROWS) {
		size_t m = r->nseen - i < ROWS ? r->nseen - i : ROWS;
		tm_strbuf sql = TM_STRBUF_INIT;
		tm_strbuf_puts(&sql, "UPDATE findings SET last_seen = CAST(? AS BIGINT), last_run = CAST(? AS BIGINT) "
				     "WHERE root = ? AND fingerprint IN (");
		for (size_t j = 0; j < m; j++)
			tm_strbuf_puts(&sql, j ? ", ?" : "?");
		tm_strbuf_puts(&sql, ")");
		const char **sp = tm_arena_alloc(r->s->scratch, (m + 3) * sizeof(char *));
		if (!sp || sql.oom) {
			rc = TM_ENOMEM;
		} else {
			sp[0] = r->now, sp[1] = r->id, sp[2] = r->run->root;
			memcpy(sp + 3, r->seen + i, m * sizeof(char *));
			rc = r->s->ops->exec(r->s, sql.data, sp, m + 3);
		}
		tm_strbuf_dispose(&sql);
	}
	return rc;
}

/* Findings of the root present before and not seen by this full run are resolved now. */
static int resolve_unseen(recording *r)
{
	tm_store *s = r->s;
	char count[64] = "0", when[32];
	int rc = s->ops->query(s, "SELECT COUNT(*) FROM findings WHERE root = ? AND state = 'present' AND last_run < CAST(? AS BIGINT)",
			       (const char *const[]){r->run->root, r->id}, 2, one_value, count);
	tm_parse_i64(count, strlen(count), 10, &r->closed);
	if (!rc)
		rc = s->ops->exec(s,
				  "UPDATE findings SET state = 'resolved', resolved_at = CAST(? AS BIGINT) WHERE root = ? AND "
				  "state = 'present' AND last_run < CAST(? AS BIGINT)",
				  (const char *const[]){num(when, r->run->time), r->run->root, r->id}, 3);
	return rc;
}

/*
 * What landed when, and what it made visible. Every element of the model a change can name (the
 * node, boundary and policy ids `diff` reports, with the trigger `diff` gives it when it is new:
 * tm_run_info.elements) has a row per root: when it landed (the first run that saw it, its time and
 * that run's window of unscanned commits) and the last run that saw it. An element lands when a run
 * sees it first, when a full run sees it again after the previous full run did not, and when its
 * trigger becomes one that is not "changed" (a service now reachable from outside). The first run
 * that records elements for a root is its baseline: what it sees did not land, it was there.
 *
 * A finding the register had never seen followed, for each trigger, the latest-landed element of that
 * trigger among its subject and path (the change that completed it); one row per finding and trigger
 * in finding_triggers, with both times, so history can show the time from a change to its first
 * finding per trigger. A proposal (diff) is a run too: what it sees first lands with it, but it never
 * moves an element's last sighting, so the main line's gaps are the main line's.
 */
static int64_t i64(const char *v);

/* A number as text in the scratch arena, for a batch that keeps pointers until it is flushed. */
static const char *anum(tm_store *s, int64_t v)
{
	return tm_arena_printf(s->scratch, "%" PRId64, v);
}

typedef struct {
	const char *trigger;
	int64_t landed_run, landed_time, landed_window; /* landed_run 0: there since the baseline */
	int64_t last_run;
	bool done; /* met by this run already (an id listed twice) */
} element_row;

struct elements {
	tm_store *s;
	tm_hmap map;
	size_t n;
	int oom;
};

static int element_row_cb(void *ud, const char *const *c, size_t n)
{
	struct elements *e = ud;
	if (n < 6 || !c[0] || !c[1])
		return 0;
	element_row *r = tm_arena_alloc(e->s->scratch, sizeof(*r));
	const char *id = tm_arena_strdup(e->s->scratch, c[0]);
	if (!r || !id || !(r->trigger = tm_arena_strdup(e->s->scratch, c[1]))) {
		e->oom = 1;
		return TM_ENOMEM;
	}
	r->landed_run = i64(c[2]), r->landed_time = i64(c[3]), r->landed_window = i64(c[4]), r->last_run = i64(c[5]);
	r->done = false;
	e->n++;
	if (tm_hmap_put(&e->map, id, strlen(id), r)) {
		e->oom = 1;
		return TM_ENOMEM;
	}
	return 0;
}

/* The element's row rewritten: it landed again, or its trigger changed. */
static int element_update(recording *r, const char *id, const element_row *el)
{
	char b[4][32];
	return r->s->ops->exec(r->s,
			       "UPDATE elements SET trigger_kind = ?, landed_run = CAST(? AS BIGINT), landed_time = CAST(? AS BIGINT), "
			       "landed_window = CAST(? AS BIGINT), last_run = CAST(? AS BIGINT) WHERE root = ? AND element = ?",
			       (const char *const[]){el->trigger, el->landed_run ? num(b[0], el->landed_run) : NULL,
						     el->landed_run ? num(b[1], el->landed_time) : NULL,
						     el->landed_run && el->landed_window ? num(b[2], el->landed_window) : NULL,
						     num(b[3], el->last_run), r->run->root, id},
			       7);
}

/* One element of the run against what the register knew of it: added (into ins), landed again or
 * retriggered (updated now), or only seen (into seen). */
static int element_meet(recording *r, struct elements *e, const char *id, const char *trigger, int64_t run_id,
			int64_t prev_full, bool baseline, batch *ins, const char **seen, size_t *nseen)
{
	element_row *el = tm_hmap_get(&e->map, id, strlen(id));
	bool partial = r->run->partial;
	if (el && el->done)
		return 0;
	if (!el) {
		if (!(el = tm_arena_alloc(r->s->scratch, sizeof(*el))) || tm_hmap_put(&e->map, id, strlen(id), el))
			return TM_ENOMEM;
		*el = (element_row){trigger, baseline ? 0 : run_id, r->run->time, r->window, run_id, true};
		/* the batch keeps pointers until it is flushed: numbers live in the scratch arena */
		batch_add(ins, (const char *const[]){r->run->root, id, trigger, el->landed_run ? r->id : NULL,
						     el->landed_run ? r->now : NULL,
						     el->landed_run && r->window ? anum(r->s, r->window) : NULL, r->id});
		return ins->rc;
	}
	el->done = true;
	bool back = !partial && prev_full && el->last_run < prev_full;
	bool retriggered = strcmp(el->trigger, trigger) != 0;
	if (back || (retriggered && strcmp(trigger, "changed") != 0)) {
		el->landed_run = run_id, el->landed_time = r->run->time, el->landed_window = r->window;
	} else if (!retriggered) {
		if (!partial)
			seen[(*nseen)++] = id;
		return 0;
	}
	el->trigger = trigger;
	if (!partial)
		el->last_run = run_id;
	return element_update(r, id, el);
}

/* Mark elements seen by this run, ROWS ids a statement. */
static int elements_seen(recording *r, const char *const *ids, size_t n)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i += ROWS) {
		size_t m = n - i < ROWS ? n - i : ROWS;
		tm_strbuf sql = TM_STRBUF_INIT;
		tm_strbuf_puts(&sql, "UPDATE elements SET last_run = CAST(? AS BIGINT) WHERE root = ? AND element IN (");
		for (size_t j = 0; j < m; j++)
			tm_strbuf_puts(&sql, j ? ", ?" : "?");
		tm_strbuf_puts(&sql, ")");
		const char **sp = tm_arena_alloc(r->s->scratch, (m + 2) * sizeof(char *));
		if (!sp || sql.oom) {
			rc = TM_ENOMEM;
		} else {
			sp[0] = r->id, sp[1] = r->run->root;
			memcpy(sp + 2, ids + i, m * sizeof(char *));
			rc = r->s->ops->exec(r->s, sql.data, sp, m + 2);
		}
		tm_strbuf_dispose(&sql);
	}
	return rc;
}

/* The changes a new finding followed: per trigger, the latest-landed element of its subject and path. */
static void finding_triggers(recording *r, const tm_hmap *map, const tm_finding *x, batch *out)
{
	enum { MAXT = 32 };
	const char *ids[MAXT];
	const element_row *best[MAXT];
	size_t nt = 0;
	for (size_t p = 0; p == 0 || (x->path && x->path[p - 1]); p++) {
		const char *node = p == 0 ? x->subject : x->path[p - 1];
		const element_row *el = node ? tm_hmap_get(map, node, strlen(node)) : NULL;
		if (!el || !el->landed_run)
			continue;
		size_t k = 0;
		while (k < nt && strcmp(best[k]->trigger, el->trigger) != 0)
			k++;
		if (k == nt && nt == MAXT)
			continue;
		if (k == nt || el->landed_run > best[k]->landed_run) {
			ids[k] = node;
			best[k] = el;
		}
		nt += k == nt;
	}
	for (size_t k = 0; k < nt; k++) {
		const element_row *el = best[k];
		tm_store *s = r->s;
		batch_add(out, (const char *const[]){r->run->root, x->fingerprint, el->trigger, ids[k], anum(s, el->landed_run),
						     anum(s, el->landed_time), el->landed_window ? anum(s, el->landed_window) : NULL,
						     r->id, r->now});
	}
}

static int record_elements(recording *r)
{
	tm_store *s = r->s;
	const tm_run_info *run = r->run;
	if (!run->nelements)
		return 0;
	int64_t run_id = i64(r->id);
	char prev_full[64] = "", prev_any[64] = "0";
	struct elements e = {s, TM_HMAP_INIT, 0, 0};
	int rc = s->ops->query(s, "SELECT MAX(id) FROM runs WHERE root = ? AND complete = 1 AND partial = 0 AND id < CAST(? AS BIGINT)",
			       (const char *const[]){run->root, r->id}, 2, one_value, prev_full);
	if (!rc)
		rc = s->ops->query(s, "SELECT COUNT(*) FROM runs WHERE root = ? AND complete = 1 AND id < CAST(? AS BIGINT)",
				   (const char *const[]){run->root, r->id}, 2, one_value, prev_any);
	if (!rc)
		rc = s->ops->query(s, "SELECT element, trigger_kind, landed_run, landed_time, landed_window, last_run FROM elements "
				      "WHERE root = ?", (const char *const[]){run->root}, 1, element_row_cb, &e);
	/* the baseline: the root's first run, or the first that records elements (a migrated register) */
	bool baseline = i64(prev_any) == 0 || e.n == 0;
	const char **params = tm_arena_alloc(s->scratch, ROWS * 9 * sizeof(char *));
	const char **seen = tm_arena_alloc(s->scratch, (run->nelements + 1) * sizeof(char *));
	size_t nseen = 0;
	if (!rc && (e.oom || !params || !seen))
		rc = TM_ENOMEM;
	batch ins = {s, "INSERT INTO elements (root, element, trigger_kind, landed_run, landed_time, landed_window, last_run) VALUES",
		     "(?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))", "", 7, params, 0, 0};
	for (size_t i = 0; !rc && i < run->nelements; i++)
		if (run->elements[i] && run->element_triggers[i])
			rc = element_meet(r, &e, run->elements[i], run->element_triggers[i], run_id, i64(prev_full), baseline,
					  &ins, seen, &nseen);
	batch_flush(&ins);
	if (!rc)
		rc = ins.rc;
	if (!rc)
		rc = elements_seen(r, seen, nseen);
	batch ft = {s, "INSERT INTO finding_triggers (root, fingerprint, trigger_kind, element, change_run, change_time, "
		       "change_window, finding_run, finding_time) VALUES",
		    "(?, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))",
		    "", 9, params, 0, 0};
	for (int64_t i = 0; !rc && !baseline && i < r->nfresh; i++) {
		finding_triggers(r, &e.map, r->fresh[i], &ft);
		rc = ft.rc;
	}
	batch_flush(&ft);
	if (!rc)
		rc = ft.rc;
	tm_hmap_dispose(&e.map);
	return rc;
}

/* The runs row's summary, which marks it complete. */
static int complete_run(recording *r)
{
	char b[8][32];
	/* how many inputs differ from the previous full run's (NULL for the first) */
	int64_t changed = -1, rid = 0, count = 0;
	bool had_previous = false;
	tm_parse_i64(r->id, strlen(r->id), 10, &rid);
	int rc = input_changes(r->s, rid, count_change, &count, &had_previous);
	if (had_previous)
		changed = count;
	if (!rc)
		rc = r->s->ops->exec(r->s,
				     "UPDATE runs SET findings = CAST(? AS BIGINT), opened = CAST(? AS BIGINT), closed = CAST(? AS BIGINT), "
				     "fresh = CAST(? AS BIGINT), open_findings = CAST(? AS BIGINT), critical = CAST(? AS BIGINT), "
				     "high = CAST(? AS BIGINT), inputs_changed = CAST(? AS BIGINT), complete = 1 WHERE id = CAST(? AS BIGINT)",
				     (const char *const[]){num(b[0], (int64_t)tm_findings_count(r->f)), num(b[1], r->opened),
							   num(b[2], r->closed), num(b[3], r->nfresh), num(b[4], r->open),
							   num(b[5], r->critical), num(b[6], r->high),
							   changed >= 0 ? num(b[7], changed) : NULL, r->id},
				     9);
	return rc;
}

static int record_once(tm_store *s, const tm_run_info *run, const tm_findings *f, int64_t *run_id)
{
	tm_arena_free(s->scratch);
	if (!(s->scratch = tm_arena_new()))
		return TM_ENOMEM;
	const char **params = tm_arena_alloc(s->scratch, ROWS * 17 * sizeof(char *));
	if (!params)
		return TM_ENOMEM;
	int rc = tx_begin(s);
	if (rc)
		return rc;
	recording r = {.s = s, .run = run, .f = f};
	num(r.now, run->time);
	rc = insert_run(&r);
	/* everything the register knows of this root, in one read */
	struct known k = {s, TM_HMAP_INIT, 0};
	if (!rc)
		rc = s->ops->query(s,
				   "SELECT fingerprint, state, title, severity, owner, location, file_status, file_owner, "
				   "file_why, file_until, file_source FROM findings WHERE root = ?",
				   (const char *const[]){run->root}, 1, known_row_cb, &k);
	if (k.oom)
		rc = TM_ENOMEM;
	if (!rc)
		rc = record_findings(&r, &k.map, params);
	if (!rc)
		rc = record_seen(&r);
	tm_hmap_dispose(&k.map);
	if (!rc && tm_arena_failed(s->scratch))
		rc = TM_ENOMEM;
	if (!rc && !run->partial)
		rc = resolve_unseen(&r);
	if (!rc)
		rc = record_elements(&r);
	if (!rc && tm_arena_failed(s->scratch))
		rc = TM_ENOMEM;
	if (!rc)
		rc = complete_run(&r);
	rc = tx_end(s, rc);
	if (!rc && run_id)
		tm_parse_i64(r.id, strlen(r.id), 10, run_id);
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

static bool given(const char *s) { return s && *s; }

const char *tm_decision_problem(const tm_decision *d, const char *today)
{
	if (!tm_fingerprint_valid(d->fingerprint))
		return "not a fingerprint (16 lowercase hex digits)";
	if ((unsigned)d->status >= TM_STATUS__COUNT)
		return "the decision is accepted, mitigated, false-positive or open";
	bool accepted = d->status == TM_STATUS_ACCEPTED;
	if (accepted) {
		if (!given(d->owner) || !given(d->why) || !given(d->until))
			return "accepting a risk needs an owner, an expiry and a reason";
		if (!tm_date_valid(d->until))
			return "the expiry is not a date (YYYY-MM-DD)";
		if (d->review && !tm_date_valid(d->review))
			return "the review date is not a date (YYYY-MM-DD)";
		if (d->review && strcmp(d->review, d->until) > 0)
			return "the review date is after the expiry";
		if (today && strcmp(d->until, today) < 0)
			return "the expiry is in the past";
	} else if (d->status != TM_STATUS_OPEN && !given(d->why)) {
		return "mitigated and false-positive need a reason (what mitigates it, or why trustmap is wrong)";
	}
	return NULL;
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
				  (const char *const[]){d->root, d->fingerprint, tm_status_name(d->status), d->owner, d->why, d->until, d->review,
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

/* A status read back from the register; text no version wrote reads as open. */
static tm_finding_status status_of(const char *v)
{
	int st = tm_status_parse(v);
	return st < 0 ? TM_STATUS_OPEN : (tm_finding_status)st;
}

static tm_decision decision_of(const char *const *c)
{
	tm_decision d = {c[7], c[8], status_of(c[0]), c[1], c[2], c[3], c[4], c[5], i64(c[6])};
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
	*x->out = (tm_decision){keep(x->s, d.fingerprint), keep(x->s, d.root), d.status,
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
			     i64(c[11]), TM_STATUS_OPEN, NULL, NULL, NULL, NULL, NULL, false};
	/* the file's decision (as of the latest run) wins over the register's */
	if (c[12]) {
		r.status = status_of(c[12]);
		r.decision_owner = c[13];
		r.why = c[14];
		r.until = c[15];
		r.decided_in = c[16];
	} else if (c[17] && status_of(c[17]) != TM_STATUS_OPEN) {
		r.status = status_of(c[17]);
		r.decision_owner = c[18];
		r.decided_by = c[21];
		r.why = c[19];
		r.until = c[20];
		r.decided_in = "store";
	}
	if (r.status == TM_STATUS_ACCEPTED && r.until && x->today && strcmp(r.until, x->today) < 0) {
		r.status = TM_STATUS_OPEN;
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
	if (n < 27)
		return 0;
	tm_history_row r = {i64(c[0]), i64(c[1]), i64(c[2]), i64(c[3]), i64(c[4]), i64(c[5]), i64(c[6]), i64(c[7]),
			    i64(c[8]), c[9], c[10], c[11], f64(c[12]), f64(c[13]), f64(c[14]), i64(c[15]), i64(c[16]),
			    i64(c[17]) != 0, c[19] ? i64(c[19]) : -1,
			    {i64(c[20]), i64(c[21]), i64(c[22]), i64(c[23]), i64(c[24]), i64(c[25]), i64(c[26])}};
	(void)c[18];
	return x->fn(x->ud, &r);
}

int tm_store_history(tm_store *s, const char *root, tm_history_fn fn, void *ud)
{
	struct hist_ud x = {fn, ud};
#define HIST "SELECT id, time, findings, open_findings, critical, high, opened, closed, fresh, root, revision, command, " \
	     "coverage_authz, coverage_owner, coverage_policy, revision_time, window_start, partial, complete, " \
	     "inputs_changed, runtime_files, observed_services_known, observed_services_unknown, observed_calls, " \
	     "observed_calls_declared, observed_requests, observed_requests_declared FROM runs "
	return s->ops->query(s, root ? HIST "WHERE root = ? ORDER BY time, id" : HIST "ORDER BY root, time, id",
			     root ? (const char *const[]){root} : NULL, root ? 1 : 0, history_row, &x);
#undef HIST
}

struct trigger_ud {
	tm_trigger_time_fn fn;
	void *ud;
};

static int trigger_time_row(void *ud, const char *const *c, size_t n)
{
	struct trigger_ud *x = ud;
	if (n < 7 || !c[0] || !c[1])
		return 0;
	tm_trigger_time t = {c[0], c[1], i64(c[2]), i64(c[3]), f64(c[4]), f64(c[5]), i64(c[6])};
	return x->fn(x->ud, &t);
}

int tm_store_trigger_times(tm_store *s, const char *root, tm_trigger_time_fn fn, void *ud)
{
	struct trigger_ud x = {fn, ud};
#define TT "SELECT root, trigger_kind, finding_run, COUNT(*), AVG(CAST(finding_time - change_time AS DOUBLE PRECISION)), " \
	   "AVG(CAST(finding_time - COALESCE(change_window, change_time) AS DOUBLE PRECISION)), " \
	   "MAX(finding_time - change_time) FROM finding_triggers "
#define BY "GROUP BY root, finding_run, trigger_kind ORDER BY root, finding_run, trigger_kind"
	return s->ops->query(s, root ? TT "WHERE root = ? " BY : TT BY,
			     root ? (const char *const[]){root} : NULL, root ? 1 : 0, trigger_time_row, &x);
#undef TT
#undef BY
}

struct settle {
	tm_finding_decision *d;
	size_t n, cap;
	tm_arena *a;
	int oom;
};

static int settle_row(void *ud, const tm_decision *d)
{
	struct settle *x = ud;
	if (TM_GROW(x->d, x->cap, x->n + 1)) {
		x->oom = 1;
		return TM_ENOMEM;
	}
	x->d[x->n++] = (tm_finding_decision){tm_arena_strdup(x->a, d->fingerprint), d->status,
					     tm_arena_strdup(x->a, d->owner), tm_arena_strdup(x->a, d->why),
					     tm_arena_strdup(x->a, d->until)};
	return 0;
}

int tm_store_settle(tm_store *s, const char *root, const char *today, tm_analysis *a)
{
	struct settle x = {NULL, 0, 0, tm_arena_new(), 0};
	if (!x.a)
		return TM_ENOMEM;
	int rc = s ? tm_store_decisions(s, root, settle_row, &x) : 0;
	if (x.oom || tm_arena_failed(x.a))
		rc = TM_ENOMEM;
	if (!rc)
		rc = tm_analysis_settle(a, today, x.d, x.n);
	tm_free(x.d);
	tm_arena_free(x.a);
	return rc;
}

/*
 * The elements a change can name, each with the trigger `diff` gives it when it is new: the changes
 * from an analysis of nothing to a (tm_delta_run), so the register and `diff` classify alike. *out
 * NULL when there is nothing to record (or memory ran out, which only loses the attribution).
 */
static tm_delta *elements_of(const tm_analysis *a)
{
	tm_analysis *none = NULL;
	tm_delta *d = NULL;
	tm_analysis_opts opts = {0};
	tm_limits_default(&opts.limits);
	if (tm_analysis_run(&none, &opts) == 0 && none && tm_delta_run(&d, none, a) != 0)
		d = NULL;
	tm_analysis_free(none);
	return d;
}

int tm_store_record_analysis(tm_store *s, const tm_run_place *place, const tm_analysis *a, int64_t *run_id)
{
	const tm_scan *scan = tm_analysis_scan(a);
	const tm_figures *fig = tm_analysis_figures(a);
	char digest[17];
	tm_scan_digest(scan, digest);
	/* every parsed file and its content hash, so history can say which inputs changed */
	size_t nfiles = tm_scan_parsed_count(scan);
	tm_arena *ar = tm_arena_new();
	const char **paths = ar ? tm_arena_alloc(ar, (nfiles + 1) * sizeof(char *)) : NULL;
	const char **digests = ar ? tm_arena_alloc(ar, (nfiles + 1) * sizeof(char *)) : NULL;
	tm_delta *d = elements_of(a);
	size_t nel = d ? tm_delta_change_count(d) : 0;
	const char **els = ar ? tm_arena_alloc(ar, (nel + 1) * sizeof(char *)) : NULL;
	const char **trigs = ar ? tm_arena_alloc(ar, (nel + 1) * sizeof(char *)) : NULL;
	for (size_t i = 0; els && trigs && i < nel; i++) {
		const tm_change *c = tm_delta_change(d, i);
		els[i] = c->node, trigs[i] = c->trigger;
	}
	for (size_t i = 0; paths && digests && i < nfiles; i++) {
		uint64_t h = 0;
		paths[i] = tm_scan_parsed_file(scan, i, &h);
		digests[i] = tm_arena_printf(ar, "%016llx", (unsigned long long)h);
	}
	if (!paths || !digests || !els || !trigs || tm_arena_failed(ar)) {
		tm_delta_free(d);
		tm_arena_free(ar);
		return TM_ENOMEM;
	}
	tm_run_info run = {place->root, place->revision, place->command, place->time, digest,
			   (int64_t)tm_scan_input_count(scan), (int64_t)fig->services, (int64_t)fig->endpoints,
			   fig->endpoints_with_known_authz, fig->services_with_owner, fig->workloads_with_policy,
			   place->revision_time, place->window_start, place->partial, paths, digests, nfiles,
			   {(int64_t)fig->runtime_files, (int64_t)fig->observed_services_known,
			    (int64_t)fig->observed_services_unknown, (int64_t)fig->observed_calls,
			    (int64_t)fig->observed_calls_declared, (int64_t)fig->observed_requests,
			    (int64_t)fig->observed_requests_declared},
			   els, trigs, nel};
	int rc = tm_store_record_run(s, &run, tm_analysis_findings(a), run_id);
	tm_delta_free(d);
	tm_arena_free(ar);
	return rc;
}
