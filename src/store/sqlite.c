/*
 * sqlite.c - the embedded backend. WAL journal (readers never block the
 * writer, a killed writer leaves the last committed state), a busy timeout
 * (concurrent scans wait their turn), BEGIN IMMEDIATE for writes (no
 * deadlock upgrading a read lock), foreign keys on.
 *
 * Readers open the file SQLITE_OPEN_READONLY and set no journal mode. A WAL
 * reader still needs the -shm file, which it creates beside the database
 * when the directory is writable. When it is not (a read-only mount) and the
 * file cannot be written either, nothing can be writing it: the reader then
 * opens it as "file:...?immutable=1", which needs no -shm and takes no lock.
 * Not when a -wal file with content is there: the committed state is partly
 * in it, and immutable would read the database without it.
 */
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

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
				 lite_check, lite_close, "INTEGER PRIMARY KEY AUTOINCREMENT",
				 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"};

/* "file:" URI of path (RFC 3986 escapes for what a URI gives meaning to) with ?immutable=1. */
static char *immutable_uri(const char *path)
{
	size_t n = strlen(path);
	char *uri = tm_malloc(n * 3 + 32);
	if (!uri)
		return NULL;
	size_t o = (size_t)snprintf(uri, 8, "%s", path[0] == '/' ? "file://" : "file:");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f)
			o += (size_t)snprintf(uri + o, 4, "%%%02X", c);
		else
			uri[o++] = (char)c;
	}
	snprintf(uri + o, 16, "?immutable=1");
	return uri;
}

/* The directory of path (into dir, len bytes). */
static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, len, ".");
	else
		snprintf(dir, len, "%.*s", (int)(slash == path ? 1 : slash - path), path);
}

/* A -wal file with content beside path: commits not yet in the database file. */
static bool wal_pending(const char *path, char *buf, size_t len)
{
	struct stat st;
	snprintf(buf, len, "%s-wal", path);
	return stat(buf, &st) == 0 && st.st_size > 0;
}

static int open_as(tm_store *s, const char *name, const char *path, int flags)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	s->db = db;
	if (rc != SQLITE_OK) {
		/* the name, without any credential it may hold (a connection string given by mistake) */
		char shown[512];
		tm_store_redact(shown, sizeof(shown), path);
		return tm_store__fail(s, "cannot open %s: %s", shown, db ? sqlite3_errmsg(db) : "out of memory");
	}
	sqlite3_busy_timeout(db, BUSY_MS);
	return 0;
}

/* The first read: where a reader finds out that it cannot read (no -shm), or that the file is not a
 * database. */
static int probe(tm_store *s)
{
	return raw(s, "SELECT count(*) FROM sqlite_master");
}

static int open_reader(tm_store *s, const char *path)
{
	int rc = open_as(s, path, path, SQLITE_OPEN_READONLY);
	if (!rc)
		rc = probe(s);
	if (!rc)
		return raw(s, "PRAGMA foreign_keys=ON");
	size_t n = strlen(path) + 8;
	char *buf = tm_malloc(n);
	if (!buf)
		return TM_ENOMEM;
	dir_of(path, buf, n);
	bool fixed = access(buf, W_OK) != 0 && access(path, W_OK) != 0, wal = wal_pending(path, buf, n);
	tm_free(buf);
	if (!fixed)
		return rc;
	if (wal) {
		char why[sizeof(s->err)];
		memcpy(why, s->err, sizeof(why));
		return tm_store__fail(s, "%s; it cannot be read without writing: its write-ahead log (-wal) holds "
				      "commits and its directory is read-only (open it once where it can be written)", why);
	}
	char *uri = immutable_uri(path);
	if (!uri)
		return TM_ENOMEM;
	sqlite3_close(s->db);
	s->db = NULL;
	rc = open_as(s, uri, path, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
	tm_free(uri);
	if (!rc)
		rc = probe(s);
	return rc ? rc : raw(s, "PRAGMA foreign_keys=ON");
}

int tm_store__open_sqlite(tm_store *s, const char *path, bool read_only)
{
	s->ops = &ops;
	if (read_only)
		return open_reader(s, path);
	int rc = open_as(s, path, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	/* SQLite falls back to reading a file it cannot write; a writer wants to know now, not at its first write */
	if (!rc && sqlite3_db_readonly(s->db, "main") == 1)
		return tm_store__fail(s, "the file cannot be written (read-only)");
	/* a corrupt or foreign file fails here, with SQLite's own words */
	if (!rc && !(rc = raw(s, "PRAGMA journal_mode=WAL")) && !(rc = raw(s, "PRAGMA synchronous=NORMAL")))
		rc = raw(s, "PRAGMA foreign_keys=ON");
	return rc;
}
