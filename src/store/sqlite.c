/*
 * sqlite.c - the embedded backend. WAL journal (readers never block the
 * writer, a killed writer leaves the last committed state), a busy timeout
 * (concurrent scans wait their turn), BEGIN IMMEDIATE for writes (no
 * deadlock upgrading a read lock), foreign keys on.
 */
#include <sqlite3.h>

#include "store.h"

#define BUSY_MS 30000

static int prepare(tm_store *s, const char *sql, const char *const *p, size_t np, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return tm_store__fail(s, "%s", sqlite3_errmsg(s->db));
	for (size_t i = 0; i < np; i++) {
		int rc = p[i] ? sqlite3_bind_text(*st, (int)i + 1, p[i], -1, SQLITE_TRANSIENT)
			      : sqlite3_bind_null(*st, (int)i + 1);
		if (rc != SQLITE_OK) {
			sqlite3_finalize(*st);
			return tm_store__fail(s, "%s", sqlite3_errmsg(s->db));
		}
	}
	return 0;
}

static int lite_query(tm_store *s, const char *sql, const char *const *p, size_t np, tm_row_fn fn, void *ud)
{
	sqlite3_stmt *st;
	int rc = prepare(s, sql, p, np, &st);
	if (rc)
		return rc;
	const char *cols[32];
	for (;;) {
		int step = sqlite3_step(st);
		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			rc = tm_store__fail(s, "%s", sqlite3_errmsg(s->db));
			break;
		}
		int n = sqlite3_column_count(st);
		if (n > 32)
			n = 32;
		for (int i = 0; i < n; i++)
			cols[i] = (const char *)sqlite3_column_text(st, i);
		if (fn && (rc = fn(ud, cols, (size_t)n)) != 0)
			break;
	}
	sqlite3_finalize(st);
	return rc;
}

static int lite_exec(tm_store *s, const char *sql, const char *const *p, size_t np)
{
	return lite_query(s, sql, p, np, NULL, NULL);
}

static int raw(tm_store *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = tm_store__fail(s, "%s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

static int lite_begin(tm_store *s) { return raw(s, "BEGIN IMMEDIATE"); }
static int lite_commit(tm_store *s) { return raw(s, "COMMIT"); }
static int lite_rollback(tm_store *s) { return raw(s, "ROLLBACK"); }

static int check_row(void *ud, const char *const *cols, size_t n)
{
	int *bad = ud;
	if (n && cols[0] && strcmp(cols[0], "ok") != 0)
		*bad = 1;
	return 0;
}

static int lite_check(tm_store *s)
{
	int bad = 0;
	int rc = lite_query(s, "PRAGMA integrity_check", NULL, 0, check_row, &bad);
	return rc ? rc : bad ? tm_store__fail(s, "integrity check failed") : 0;
}

static void lite_close(tm_store *s)
{
	sqlite3_close(s->db);
}

static const tm_store_ops ops = {"sqlite", lite_exec, lite_query, lite_begin, lite_commit, lite_rollback,
				 lite_check, lite_close, "INTEGER PRIMARY KEY AUTOINCREMENT"};

int tm_store__open_sqlite(tm_store *s, const char *path)
{
	sqlite3 *db = NULL;
	s->ops = &ops;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	s->db = db;
	if (rc != SQLITE_OK)
		return tm_store__fail(s, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_busy_timeout(db, BUSY_MS);
	/* a corrupt or foreign file fails here, with SQLite's own words */
	if ((rc = raw(s, "PRAGMA journal_mode=WAL")) || (rc = raw(s, "PRAGMA synchronous=NORMAL")) ||
	    (rc = raw(s, "PRAGMA foreign_keys=ON")))
		return rc;
	return 0;
}
