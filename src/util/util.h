/*
 * util.h - the internal toolbox: allocation, arenas, growable buffers, hashing, maps.
 * util/ is the only room that calls malloc; everything else goes through tm_malloc & co.
 */
#ifndef TM_UTIL_H
#define TM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "trustmap/common.h"

/* alloc.c: the hooked allocator. */
void *tm_malloc(size_t size);
void *tm_calloc(size_t n, size_t size); /* zeroed; NULL on overflow */
void *tm_zalloc_written(size_t n, size_t size); /* zeroed by writing every byte (alloc.c says when) */
void *tm_realloc(void *ptr, size_t size);
void tm_free(void *ptr);
/* Grow *items (element size elem) so it holds at least need elements. 0 or TM_ENOMEM. */
int tm_grow(void **items, size_t *cap, size_t need, size_t elem);
#define TM_GROW(arr, cap, need) tm_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* True while the system allocator is in use (no test allocator installed). */
bool tm_allocator_is_default(void);

/* parallel.c: run fn(ud, i) for every i below n, on up to tm_jobs() threads (the caller's among
 * them), returning when all are done. Items must share nothing mutable. */
typedef void (*tm_task_fn)(void *ud, size_t i);
void tm_parallel_for(size_t n, tm_task_fn fn, void *ud);
/* Threads to use: TRUSTMAP_JOBS when set (1: serial), else the online CPUs, at most 8; always 1
 * while a test allocator is installed. */
size_t tm_jobs(void);

/* file.c: input files. Open path for reading if it is a regular file, refusing symlinks (the last
 * component), FIFOs, devices and directories without blocking: the descriptor, with *st filled,
 * or -1 with *why saying what it is. The caller closes the descriptor. */
struct stat;
int tm_open_regular(const char *path, struct stat *st, const char **why);
/* Read up to want bytes (fewer only at end of file). 0 or TM_EIO. */
int tm_read_fd(int fd, char *buf, size_t want, size_t *got);

/* text.c: ASCII case-insensitive equality, for names the CLI and files spell either way. */
bool tm_strcaseeq(const char *a, const char *b);
/* Does hay hold needle anywhere, in any ASCII case? False for a NULL hay. */
bool tm_strcasecontains(const char *hay, const char *needle);
/* A file of a development or test environment, a test project or a sample: a segment of its path
 * (split at / . - _) is dev, development, local, test(s), testing, testdata, fixture(s), e2e,
 * mock(s), sample(s) or example(s), or ends in "tests" (Catalog.FunctionalTests). */
bool tm_dev_or_test_path(const char *path);
/* Is the host (n bytes, not NUL-terminated) loopback only: 127.x, ::1, [::1], localhost? */
bool tm_host_loopback(const char *host, size_t n);

/* format.c: vsnprintf's contract (the length the whole output needs; at most cap bytes written,
 * NUL-terminated when cap > 0), fast for %s, %.*s, %c, %d, %i, %u, the l, ll and z sizes and %%;
 * any other conversion goes to vsnprintf. */
int tm_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 0)))
#endif
	;
int tm_formatf(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* arena.c: bump allocation, freed all at once. */
typedef struct tm_arena tm_arena;
tm_arena *tm_arena_new(void);
/* An arena that grows large on one thread and lives to the end (a model): past 8 MiB it takes whole
 * 2 MiB chunks mapped on their own (faulted in ahead while tm_arena_prefault is armed), where any
 * other arena takes the heap's, reusing what arenas freed before it (arena.c). */
tm_arena *tm_arena_new_large(void);
void tm_arena_free(tm_arena *a);
void *tm_arena_alloc(tm_arena *a, size_t size);   /* 16-byte aligned, zeroed; NULL on OOM */
void *tm_arena_alloc_raw(tm_arena *a, size_t size); /* the same, its bytes not set: the caller writes them all */
/* A hint that the next allocations take about bytes in all: when that is large (128 KiB or more)
 * and the current chunk has no room, one chunk of that size is mapped with its pages populated at
 * once, as a parsed file's entry and tree are, instead of faulting them in a page at a time. */
void tm_arena_reserve(tm_arena *a, size_t bytes);
/* Arm (true) or disarm (false, once per arming) the 2 MiB chunks faulted in ahead on another core,
 * for a phase that builds large arenas (tm_arena_new_large) on one thread (the model); armed by two
 * at once, it waits (no core is idle); the last disarming unmaps what was not taken. No effect on a
 * small run (no large arena grows to 8 MiB), on one core, or in the TM_ARENA_DEBUG build. */
void tm_arena_prefault(bool on);
/* For tests: the chunks faulted in and waiting, and those arenas have taken since the start. */
void tm_arena__pooled(size_t *ready, size_t *taken);
char *tm_arena_strndup(tm_arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *tm_arena_strdup(tm_arena *a, const char *s); /* NULL for NULL (not a failure) */
char *tm_arena_vprintf(tm_arena *a, const char *fmt, va_list ap)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 0)))
#endif
	;
char *tm_arena_printf(tm_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
size_t tm_arena_used(const tm_arena *a);
/* True once any allocation from a has failed (sticky): callers that build a whole
 * structure in one arena check this once instead of after every string copy. */
bool tm_arena_failed(const tm_arena *a);
/* Record a failure of memory the arena's users depend on (an index built beside it), so the one
 * check of tm_arena_failed reports it too. */
void tm_arena_set_failed(tm_arena *a);

/* strbuf.c: a growable NUL-terminated byte buffer. Errors are sticky in .oom. */
typedef struct {
	char *data;
	size_t len, cap;
	int oom;
} tm_strbuf;
#define TM_STRBUF_INIT {NULL, 0, 0, 0}
void tm_strbuf_dispose(tm_strbuf *sb);
void tm_strbuf_reset(tm_strbuf *sb);
void tm_strbuf_put(tm_strbuf *sb, const void *data, size_t len);
void tm_strbuf_puts(tm_strbuf *sb, const char *s);
void tm_strbuf_putc(tm_strbuf *sb, char c);
/* The code point r as UTF-8; a surrogate or a value past U+10FFFF as U+FFFD. */
void tm_strbuf_put_rune(tm_strbuf *sb, uint32_t r);
void tm_strbuf_printf(tm_strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void tm_strbuf_vprintf(tm_strbuf *sb, const char *fmt, va_list ap);
/* Steal the buffer (caller frees with tm_free); NULL if oom. The strbuf is reset. */
char *tm_strbuf_take(tm_strbuf *sb);

/* hash.c: hashing and an open-addressing map from byte strings to pointers. */
uint64_t tm_hash(const void *data, size_t len);
typedef struct {
	struct tm_hmap_slot *slots;
	size_t cap, count;
} tm_hmap;
#define TM_HMAP_INIT {NULL, 0, 0}
void tm_hmap_dispose(tm_hmap *m);
/* Keys are borrowed: they must outlive the map (use arena strings). */
void *tm_hmap_get(const tm_hmap *m, const char *key, size_t len);
/* Insert or replace. 0 or TM_ENOMEM. */
int tm_hmap_put(tm_hmap *m, const char *key, size_t len, void *value);
/* Room for n keys in all, made at once: a map whose size is known is written once instead of
 * growing through every power of two (each growth a new table, and on a large one new pages).
 * 0 or TM_ENOMEM. */
int tm_hmap_reserve(tm_hmap *m, size_t n);


/* A set of pointers (open addressing). */
typedef struct {
	uintptr_t *slots;
	size_t cap, count;
} tm_pset;
#define TM_PSET_INIT {NULL, 0, 0}
void tm_pset_dispose(tm_pset *s);
/* 1 if p was added, 0 if it was there, TM_ENOMEM. */
int tm_pset_add(tm_pset *s, const void *p);
bool tm_pset_has(const tm_pset *s, const void *p);

/* sha256.c: SHA-256 (FIPS 180-4). */
typedef struct {
	uint32_t h[8];
	unsigned char block[64];
	size_t fill;
	uint64_t bits;
} tm_sha256;
void tm_sha256_init(tm_sha256 *s);
void tm_sha256_update(tm_sha256 *s, const void *data, size_t len);
void tm_sha256_final(tm_sha256 *s, unsigned char out[32]);
/* The digest of len bytes at data, in one call. */
void tm_sha256_digest(unsigned char out[32], const void *data, size_t len);

/* Line and column (1-based, column counted in bytes) of offset in buf. */
void tm_offset_to_linecol(const char *buf, size_t len, size_t off, uint32_t *line, uint32_t *col);

/* Bounded integer parsing (the banned atoi's replacement). 0, or TM_EINVALID. */
int tm_parse_i64(const char *s, size_t len, int base, int64_t *out);

#define TM_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
