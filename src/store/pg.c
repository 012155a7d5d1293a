/*
 * pg.c - the PostgreSQL backend (libpq): one register shared by many teams and
 * CI runners. Statements are sent with text parameters; `?` placeholders
 * become $1..$n. Writes run in one transaction each, queued behind an
 * advisory lock; a failure is retried by the caller's transaction logic in
 * store.c.
 */
#include <libpq-fe.h>
#include <stdlib.h>

#include "store.h"

/* "... ? ... ?" -> "... $1 ... $2" (no `?` appears inside our SQL's string literals) */
static char *numbered(const char *sql)
{
	size_t n = strlen(sql), q = 0;
	for (size_t i = 0; i < n; i++)
		q += sql[i] == '?';
	char *out = tm_malloc(n + q * 6 + 1);
	if (!out)
		return NULL;
	size_t o = 0, k = 0;
	for (size_t i = 0; i < n; i++) {
		if (sql[i] == '?')
			o += (size_t)snprintf(out + o, 8, "$%zu", ++k);
		else
			out[o++] = sql[i];
	}
	out[o] = '\0';
	return out;
}

static int pg_query(tm_store *s, const char *sql, const char *const *p, size_t np, tm_row_fn fn, void *ud)
{
	char *q = numbered(sql);
	if (!q)
		return TM_ENOMEM;
	PGresult *r = PQexecParams(s->db, q, (int)np, NULL, (const char *const *)p, NULL, NULL, 0);
	tm_free(q);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = tm_store__fail(s, "%s", PQresultErrorMessage(r));
		PQclear(r);
		return rc;
	}
	int rc = 0;
	const char *cols[32];
	int nf = PQnfields(r) > 32 ? 32 : PQnfields(r);
	for (int row = 0; fn && row < PQntuples(r) && !rc; row++) {
		for (int c = 0; c < nf; c++)
			cols[c] = PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
		rc = fn(ud, cols, (size_t)nf);
	}
	PQclear(r);
	return rc;
}

static int pg_exec(tm_store *s, const char *sql, const char *const *p, size_t np)
{
	return pg_query(s, sql, p, np, NULL, NULL);
}

/* Writers take one transaction-scoped advisory lock, so concurrent scans (and a first open creating the
 * schema) queue instead of failing; readers never take it. Released at COMMIT or ROLLBACK, or when a
 * killed client's connection drops. */
static int pg_begin(tm_store *s)
{
	int rc = pg_exec(s, "BEGIN", NULL, 0);
	if (!rc && (rc = pg_exec(s, "SELECT pg_advisory_xact_lock(7310427)", NULL, 0)))
		pg_exec(s, "ROLLBACK", NULL, 0);
	return rc;
}
static int pg_commit(tm_store *s) { return pg_exec(s, "COMMIT", NULL, 0); }
static int pg_rollback(tm_store *s) { return pg_exec(s, "ROLLBACK", NULL, 0); }
static int pg_check(tm_store *s) { return pg_exec(s, "SELECT 1", NULL, 0); }
static void pg_close(tm_store *s) { PQfinish(s->db); }

static const tm_store_ops ops = {"postgresql", pg_exec, pg_query, pg_begin, pg_commit, pg_rollback,
				 pg_check, pg_close, "BIGSERIAL PRIMARY KEY",
				 "SELECT CAST(to_regclass('meta') IS NOT NULL AS INTEGER)"};

/* libpq's message about a connection that failed, without the passwords libpq read from conninfo
 * (store.c then masks every credential as trustmap reads them, a superset). */
static int connect_failed(tm_store *s, const char *conninfo, const char *msg)
{
	tm_store__fail(s, "cannot connect: %s", msg);
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (o->val && *o->val && (strcmp(o->keyword, "password") == 0 || strcmp(o->keyword, "sslpassword") == 0))
			tm_store__scrub_value(s->err, sizeof(s->err), o->val);
	PQconninfoFree(opts);
	return TM_ESTORE;
}

int tm_store__open_pg(tm_store *s, const char *conninfo, bool read_only)
{
	s->ops = &ops;
	PGconn *c = PQconnectdb(conninfo);
	s->db = c;
	if (!c)
		return TM_ENOMEM;
	if (PQstatus(c) != CONNECTION_OK)
		return connect_failed(s, conninfo, PQerrorMessage(c));
	/* quiet the server's notices (CREATE ... IF NOT EXISTS) */
	int rc = pg_exec(s, "SET client_min_messages = warning", NULL, 0);
	if (!rc && read_only)
		rc = pg_exec(s, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", NULL, 0);
	return rc;
}
