/*
 * arena.c - bump allocation in chunks, freed all at once.
 *
 * With TM_ARENA_DEBUG defined, every allocation is its own heap block (kept on
 * a list) so AddressSanitizer and valgrind see overflows between objects.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_POPULATE */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>

#include "util.h"

#define CHUNK_MIN (16u * 1024u)
#define HUGE_PAGE (2u * 1024u * 1024u)
#define ALIGN 16u

struct chunk {
	struct chunk *next;
	size_t size, used;
	bool mapped; /* mapped on its own (zeroed by the kernel), else from tm_malloc */
	_Alignas(16) unsigned char data[];
};

struct tm_arena {
	struct chunk *head;
	size_t total;
	bool large;  /* tm_arena_new_large: past 8 MiB, whole 2 MiB chunks mapped on their own */
	bool failed; /* an allocation has failed: what was built from it is incomplete */
};

tm_arena *tm_arena_new(void)
{
	return tm_calloc(1, sizeof(tm_arena));
}

tm_arena *tm_arena_new_large(void)
{
	tm_arena *a = tm_arena_new();
	if (a)
		a->large = true;
	return a;
}

void tm_arena_free(tm_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		if (c->mapped)
			munmap(c, sizeof(struct chunk) + c->size);
		else
			tm_free(c);
		c = next;
	}
	tm_free(a);
}

size_t tm_arena_used(const tm_arena *a)
{
	return a ? a->total : 0;
}

static void *arena_alloc(tm_arena *a, size_t size, bool zero);

void *tm_arena_alloc(tm_arena *a, size_t size)
{
	void *p = arena_alloc(a, size, true);
	if (!p)
		a->failed = true;
	return p;
}

void *tm_arena_alloc_raw(tm_arena *a, size_t size)
{
	void *p = arena_alloc(a, size, false);
	if (!p)
		a->failed = true;
	return p;
}

void tm_arena_set_failed(tm_arena *a)
{
	a->failed = true;
}

bool tm_arena_failed(const tm_arena *a)
{
	return a->failed;
}

#ifndef TM_ARENA_DEBUG
/* A chunk of whole 2 MiB, mapped on its own at a huge-page boundary: NULL when the kernel will not
 * map it. It is not marked for transparent huge pages (MADV_HUGEPAGE): on a virtual machine whose
 * host backs guest memory only when it is first written, a fresh huge page was zeroed at 70 to
 * 350 MB/s against 1.5 GB/s for the 4 KiB pages the kernel had just freed, a quarter of a
 * 5,000-service diff's time (docs/performance.md). A kernel that gives every large mapping huge
 * pages (THP "always") still can: the chunk is aligned for it. */
static struct chunk *chunk_map(size_t size)
{
	size_t span = size + HUGE_PAGE;
	if (span < size)
		return NULL;
	unsigned char *m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	unsigned char *start = (unsigned char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if (start > m)
		munmap(m, (size_t)(start - m));
	if (m + span > start + size)
		munmap(start + size, (size_t)(m + span - (start + size)));
	struct chunk *c = (struct chunk *)start;
	c->size = size - sizeof(struct chunk);
	c->mapped = true;
	return c;
}

/*
 * Chunks faulted in ahead, on a core with nothing else to do. While the model of a large system is
 * built (one thread; the other cores idle), the page faults of the model's arenas zero their pages
 * on the building thread: a fifth of that phase on a virtual machine. Armed (tm_arena_prefault),
 * the first arena that grows past a few chunks starts a thread that keeps a pool of POOL_AHEAD
 * 2 MiB chunks mapped and written (so faulted in, and zero), and chunk_new takes from it. Armed
 * twice (two models built at once, as a diff's two sides: no core is idle), the thread waits.
 * Disarmed by the last tm_arena_prefault(false), the thread stops and the chunks left are
 * unmapped. Only the pool is shared, under its lock.
 */
#define POOL_AHEAD 4

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct chunk *free[POOL_AHEAD];
	size_t n;
	int armed;    /* tm_arena_prefault(true) calls not yet undone */
	bool running; /* the thread is filling the pool */
	bool joined;  /* ... or has stopped and been joined */
	pthread_t thread;
	size_t taken; /* chunks arenas took from the pool (tm_arena__pooled) */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, {NULL}, 0, 0, false, true, 0, 0};

static void *prefault(void *ud)
{
	(void)ud;
	pthread_mutex_lock(&pool.mu);
	while (pool.armed > 0) {
		if (pool.n == POOL_AHEAD || pool.armed > 1) {
			pthread_cond_wait(&pool.cv, &pool.mu);
			continue;
		}
		pthread_mutex_unlock(&pool.mu);
		struct chunk *c = chunk_map(HUGE_PAGE);
		for (size_t off = 4096; c && off < HUGE_PAGE; off += 4096) /* every page in, zero */
			((volatile unsigned char *)c)[off] = 0;
		pthread_mutex_lock(&pool.mu);
		if (!c)
			break; /* the kernel will not map more: arenas map their own, and fail there */
		pool.free[pool.n++] = c;
	}
	pool.running = false;
	pthread_mutex_unlock(&pool.mu);
	return NULL;
}

void tm_arena_prefault(bool on)
{
	pthread_mutex_lock(&pool.mu);
	pool.armed += on ? 1 : -1;
	bool join = !on && pool.armed == 0 && !pool.joined;
	pthread_cond_broadcast(&pool.cv);
	pthread_mutex_unlock(&pool.mu);
	if (join) {
		pthread_join(pool.thread, NULL);
		pthread_mutex_lock(&pool.mu);
		pool.joined = true;
		pthread_mutex_unlock(&pool.mu);
	}
	pthread_mutex_lock(&pool.mu);
	for (; !on && pool.armed == 0 && pool.n; pool.n--) { /* not held past the phase */
		struct chunk *c = pool.free[pool.n - 1];
		munmap(c, sizeof(struct chunk) + c->size);
	}
	pthread_mutex_unlock(&pool.mu);
}

void tm_arena__pooled(size_t *ready, size_t *taken)
{
	pthread_mutex_lock(&pool.mu);
	*ready = pool.n;
	*taken = pool.taken;
	pthread_mutex_unlock(&pool.mu);
}

/* A pooled 2 MiB chunk (written, so faulted in), starting the thread that fills the pool when
 * armed; NULL: none yet. */
static struct chunk *pooled(void)
{
	struct chunk *c = NULL;
	pthread_mutex_lock(&pool.mu);
	if (pool.n) {
		c = pool.free[--pool.n];
		pool.taken++;
	}
	if (pool.armed == 1 && !pool.running && pool.joined && tm_jobs() > 1) {
		pool.running = true;
		pool.joined = false;
		if (pthread_create(&pool.thread, NULL, prefault, NULL)) {
			pool.running = false;
			pool.joined = true;
		}
	}
	pthread_cond_broadcast(&pool.cv);
	pthread_mutex_unlock(&pool.mu);
	return c;
}

/* A chunk with room for need bytes. A small arena takes 16 KiB chunks from the heap (most files' arenas
 * hold one small document: 64 KiB chunks cost a scan of 10,000 files 38 MB more). Once an arena
 * holds 8 MiB or more:
 * - a large one (tm_arena_new_large: a model, built on one thread and kept to the end) takes chunks
 *   of whole 2 MiB mapped on their own: the kernel's zeroing is not repeated, and the pool above
 *   faults them in ahead;
 * - any other (the findings, a report's texts) takes 64 KiB chunks from the heap, still below
 *   glibc's mapping threshold: memory other arenas gave back (the parsed files, dropped once
 *   modelled) is used again instead of new pages, which a VM whose host backs memory on first
 *   write hands out at a few hundred MB/s (docs/performance.md).
 * Memory a test allocator hands out stays the heap's, so its failures reach the arena. */
#define CHUNK_BIG (64u * 1024u)
static struct chunk *chunk_new(tm_arena *a, size_t need)
{
	bool big = a->total >= 4 * (size_t)HUGE_PAGE;
	if (big && a->large && tm_allocator_is_default()) {
		size_t size = sizeof(struct chunk) + need;
		if (size < need)
			return NULL;
		size = (size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
		struct chunk *c = size == HUGE_PAGE ? pooled() : NULL;
		if (!c && size)
			c = chunk_map(size);
		if (c) {
			c->used = 0;
			return c;
		}
	}
	size_t min = big ? CHUNK_BIG : CHUNK_MIN;
	size_t csize = need > min ? need : min;
	if (csize > SIZE_MAX - sizeof(struct chunk))
		return NULL;
	struct chunk *c = tm_malloc(sizeof(struct chunk) + csize);
	if (!c)
		return NULL;
	c->size = csize;
	c->used = 0;
	c->mapped = false;
	return c;
}
#endif

#ifdef TM_ARENA_DEBUG
void tm_arena_prefault(bool on)
{
	(void)on; /* every allocation is a heap block of its own */
}

void tm_arena__pooled(size_t *ready, size_t *taken)
{
	*ready = *taken = 0;
}
#endif

#define RESERVE_MAP_MIN (128u * 1024u)

/* See util.h. A reserved chunk becomes the head, so the next allocations fill it in order. */
void tm_arena_reserve(tm_arena *a, size_t bytes)
{
#ifdef TM_ARENA_DEBUG
	(void)a;
	(void)bytes;
#else
	struct chunk *c = a->head;
	if ((c && c->size - c->used >= bytes) || bytes < RESERVE_MAP_MIN || bytes > SIZE_MAX / 2 ||
	    !tm_allocator_is_default())
		return;
	size_t size = (sizeof(struct chunk) + bytes + 4095) & ~(size_t)4095;
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (m == MAP_FAILED)
		return;
	c = m;
	c->size = size - sizeof(struct chunk);
	c->used = 0;
	c->mapped = true;
	c->next = a->head;
	a->head = c;
#endif
}

/* zero: the bytes are cleared (a mapped chunk's are zero already, never handed out twice) */
static void *arena_alloc(tm_arena *a, size_t size, bool zero)
{
	size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need < size)
		return NULL;
#ifdef TM_ARENA_DEBUG
	struct chunk *c = tm_malloc(sizeof(struct chunk) + need);
	if (!c)
		return NULL;
	c->size = c->used = need;
	c->mapped = false;
	c->next = a->head;
	a->head = c;
	a->total += need;
	memset(c->data, zero ? 0 : 0xa5, need); /* a raw block's reader that counts on zeros fails */
	return c->data;
#else
	struct chunk *c = a->head;
	if (!c || c->size - c->used < need) {
		c = chunk_new(a, need);
		if (!c)
			return NULL;
		/* A chunk left with less room than the current one goes behind it (a block for one big
		 * allocation), so the current chunk's free space is not lost. */
		if (a->head && c->size - need < a->head->size - a->head->used) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->data + c->used;
	c->used += need;
	a->total += need;
	if (zero && !c->mapped)
		memset(p, 0, need);
	return p;
#endif
}

char *tm_arena_strndup(tm_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = tm_arena_alloc_raw(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *tm_arena_strdup(tm_arena *a, const char *s)
{
	if (!s) /* a value that was not a string stays absent */
		return NULL;
	return tm_arena_strndup(a, s, strlen(s));
}

char *tm_arena_vprintf(tm_arena *a, const char *fmt, va_list ap)
{
	char small[512]; /* most strings fit: formatted once, then copied */
	va_list again;
	va_copy(again, ap);
	int n = tm_vformat(small, sizeof(small), fmt, ap);
	if (n < 0 || (size_t)n < sizeof(small)) {
		va_end(again);
		return n < 0 ? NULL : tm_arena_strndup(a, small, (size_t)n);
	}
	char *p = tm_arena_alloc(a, (size_t)n + 1);
	if (p)
		tm_vformat(p, (size_t)n + 1, fmt, again);
	va_end(again);
	return p;
}

char *tm_arena_printf(tm_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = tm_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
