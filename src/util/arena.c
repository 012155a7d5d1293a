/*
 * arena.c - bump allocation in chunks, freed all at once.
 *
 * With TM_ARENA_DEBUG defined, every allocation is its own heap block (kept on
 * a list) so AddressSanitizer and valgrind see overflows between objects.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_POPULATE, madvise */
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
	bool failed; /* an allocation has failed: what was built from it is incomplete */
};

tm_arena *tm_arena_new(void)
{
	return tm_calloc(1, sizeof(tm_arena));
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
/* A chunk of whole huge pages, mapped on its own at a huge-page boundary and marked for transparent
 * huge pages: NULL when the kernel will not map it. */
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
	(void)madvise(start, size, MADV_HUGEPAGE); /* a hint: refused, the chunk is as good as any */
	struct chunk *c = (struct chunk *)start;
	c->size = size - sizeof(struct chunk);
	c->mapped = true;
	return c;
}

/* A chunk with room for need bytes. A small arena takes 16 KiB chunks from the heap (most files' arenas
 * hold one small document: 64 KiB chunks cost a scan of 10,000 files 38 MB more); once an arena
 * holds more than a few huge pages (the model and documents of a large estate), it takes chunks of
 * whole huge pages: its memory is written once, front to back, and a fault per 4 KiB page costs
 * more than the bytes it maps (a third of a 5,000-service scan's faults came from arenas). Memory
 * a test allocator hands out stays the heap's, so its failures reach the arena. */
static struct chunk *chunk_new(tm_arena *a, size_t need)
{
	if (a->total >= 4 * (size_t)HUGE_PAGE && tm_allocator_is_default()) {
		size_t size = sizeof(struct chunk) + need;
		if (size < need)
			return NULL;
		size = (size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
		struct chunk *c = size ? chunk_map(size) : NULL;
		if (c) {
			c->used = 0;
			return c;
		}
	}
	size_t csize = need > CHUNK_MIN ? need : CHUNK_MIN;
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
