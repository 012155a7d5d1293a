/*
 * store/store.h - the two backends behind trustmap/store.h (internal). Values
 * travel as text (NULL is SQL NULL); SQL is written once with `?`
 * placeholders and CAST()s that both SQLite and PostgreSQL accept; each
 * backend supplies its DDL and turns placeholders into its own.
 */
#ifndef TM_STORE_INTERNAL_H
#define TM_STORE_INTERNAL_H

#include <stdio.h>

#include "trustmap/store.h"
#include "util/util.h"

typedef int (*tm_row_fn)(void *ud, const char *const *cols, size_t ncols);

typedef struct {
	const char *name;
	int (*exec)(tm_store *s, const char *sql, const char *const *p, size_t np);
	int (*query)(tm_store *s, const char *sql, const char *const *p, size_t np, tm_row_fn fn, void *ud);
	int (*begin)(tm_store *s); /* a write transaction */
	int (*commit)(tm_store *s);
	int (*rollback)(tm_store *s);
	int (*check)(tm_store *s);
	void (*close)(tm_store *s);
	const char *id_column; /* "INTEGER PRIMARY KEY AUTOINCREMENT" / "BIGSERIAL PRIMARY KEY" */
	const char *has_meta;  /* a query whose one value is 1 when the meta table exists, else 0 */
} tm_store_ops;

struct tm_store {
	const tm_store_ops *ops;
	void *db;
	char err[512];
	tm_arena *scratch; /* strings handed to callbacks; reset per call */
	bool read_only;    /* opened for reading: no migration, no write */
};

/* Set the error message and return TM_ESTORE. */
int tm_store__fail(tm_store *s, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* read_only: SQLITE_OPEN_READONLY, and immutable when nothing can write the file (see sqlite.c). */
int tm_store__open_sqlite(tm_store *s, const char *path, bool read_only);
/* read_only: the session's transactions are READ ONLY. */
int tm_store__open_pg(tm_store *s, const char *conninfo, bool read_only);

/* Mask in msg (NUL-terminated, capacity cap) every credential of url, as written, decoded, and each
 * piece of it between URI delimiters (redact.c). TM_ENOMEM: msg was replaced by a notice. */
int tm_store__scrub(char *msg, size_t cap, const char *url);
/* Mask every occurrence of secret in msg. */
void tm_store__scrub_value(char *msg, size_t cap, const char *secret);

#endif
