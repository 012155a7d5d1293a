/*
 * trustmap/common.h - error codes, source locations, diagnostics, the allocator hook.
 *
 * Everything else in the public API builds on these types. Conventions:
 *  - a function that can fail returns int: 0 on success, a negative TM_E* code;
 *  - details of a failure go into a tm_diag_list the caller passes in;
 *  - the library never prints, exits or aborts (programming errors are assert()ed).
 */
#ifndef TRUSTMAP_COMMON_H
#define TRUSTMAP_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes. New codes go at the end; never renumber. */
enum {
	TM_OK = 0,
	TM_ENOMEM = -1,    /* an allocation failed */
	TM_EINVALID = -2,  /* input is not what it claims to be */
	TM_EPARSE = -3,    /* input could not be parsed */
	TM_EIO = -4,       /* a file could not be read or written */
	TM_ELIMIT = -5,    /* input exceeds a configured limit */
	TM_ENOTFOUND = -6, /* a named thing does not exist */
	TM_EUSAGE = -7,    /* the caller asked for something unsupported */
	TM_EUNSUPPORTED = -8, /* recognised, but this version cannot read it */
	TM_ESTORE = -9,    /* the store failed (unreachable, corrupt, newer schema, locked) */
	TM_EREMOTE = -10,  /* the inputs name something to deploy that is not among them (a chart of a
			    * Helm repository, a remote resource, another repository's path): not
			    * fetched, so missing from the model; reports count these */
};

/* A short lowercase name for an error code ("out of memory", ...). Never NULL. */
const char *tm_strerror(int code);
/* A calendar date written YYYY-MM-DD (1970 or later; leap years counted). */
bool tm_date_valid(const char *s);

/*
 * A position in an input file. line and col are 1-based; 0 means "unknown"
 * (a file-level fact, or a document parsed without positions). pointer, when
 * not NULL, is an RFC 6901 JSON pointer locating the fact inside the document;
 * it is set for facts from documents that carry no line/column (huge
 * single-line JSON read through jansson). Strings are borrowed: they live as
 * long as the object that handed the tm_loc out.
 */
typedef struct {
	const char *path;
	uint32_t line, col;
	const char *pointer;
} tm_loc;

typedef enum {
	TM_LEVEL_NOTE = 0,
	TM_LEVEL_WARNING = 1,
	TM_LEVEL_ERROR = 2,
} tm_level;

/* "note", "warning", "error" */
const char *tm_level_name(tm_level level);

typedef struct {
	int code;       /* TM_E* code, or 0 for purely informative notes */
	tm_level level;
	tm_loc loc;     /* path and pointer are owned by the list */
	const char *msg; /* lowercase, one line, owned by the list */
} tm_diag;

/*
 * A list of diagnostics. Caller-owned: tm_diag_list_init() before use,
 * tm_diag_list_dispose() after. It owns copies of every string added to it.
 */
typedef struct tm_diag_list {
	tm_diag *items;
	size_t count, cap;
	struct tm_arena *strings;
	size_t limit;   /* 0: unlimited; otherwise further diagnostics are counted, not kept */
	size_t dropped; /* diagnostics not kept because of limit */
	int oom;        /* set when a diagnostic could not be recorded for lack of memory */
} tm_diag_list;

#define TM_DIAG_LIST_INIT {NULL, 0, 0, NULL, 0, 0, 0}

void tm_diag_list_init(tm_diag_list *list);
void tm_diag_list_dispose(tm_diag_list *list);

/* Bytes of a formatted message a diagnostic keeps: the rest is cut. */
#define TM_DIAG_MSG_MAX 511

/*
 * Record a diagnostic. The path, pointer and formatted message (its first TM_DIAG_MSG_MAX bytes)
 * are copied. Returns 0, or TM_ENOMEM (then list->oom is set and the diagnostic is lost).
 */
int tm_diag_add(tm_diag_list *list, int code, tm_level level, tm_loc loc, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
int tm_diag_addv(tm_diag_list *list, int code, tm_level level, tm_loc loc, const char *fmt,
		 va_list ap);

/* Number of diagnostics at or above level. */
size_t tm_diag_count(const tm_diag_list *list, tm_level level);

/* Sort by path, line, column, message, then level, code and pointer: the order reports use. A
 * diagnostic that repeats another exactly (a base two overlays render says its error twice) is kept
 * once. */
void tm_diag_list_sort(tm_diag_list *list);
/* The order tm_diag_list_sort gives: <0, 0 (the same diagnostic), >0. */
int tm_diag_compare(const tm_diag *a, const tm_diag *b);

/* UTF-8 validation: the byte offset of the first invalid sequence, or len if s is valid. */
size_t tm_utf8_check(const unsigned char *s, size_t len);

/*
 * The allocator hook. Every allocation of the library goes through it, so tests
 * can make any allocation fail. Passing NULL restores malloc/realloc/free.
 * Not thread-safe: set it before using the library.
 */
typedef struct {
	void *(*malloc_fn)(size_t size, void *ud);
	void *(*realloc_fn)(void *ptr, size_t size, void *ud);
	void (*free_fn)(void *ptr, void *ud);
	void *ud;
} tm_allocator;

void tm_set_allocator(const tm_allocator *allocator);

#ifdef __cplusplus
}
#endif
#endif
