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
} tm_store_ops;

struct tm_store {
	const tm_store_ops *ops;
	void *db;
	char err[512];
	tm_arena *scratch; /* strings handed to callbacks; reset per call */
};

/* Set the error message and return TM_ESTORE. */
int tm_store__fail(tm_store *s, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

int tm_store__open_sqlite(tm_store *s, const char *path);
int tm_store__open_pg(tm_store *s, const char *conninfo);

#endif
