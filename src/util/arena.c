/*
 * arena.c - bump allocation in chunks, freed all at once.
 *
 * With TM_ARENA_DEBUG defined, every allocation is its own heap block (kept on
 * a list) so AddressSanitizer and valgrind see overflows between objects.
 */
#include <stdarg.h>
#include <stdio.h>

#include "util.h"

#define CHUNK_MIN (64u * 1024u)
#define ALIGN 16u

struct chunk {
	struct chunk *next;
	size_t size, used;
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
		tm_free(c);
		c = next;
	}
	tm_free(a);
}

size_t tm_arena_used(const tm_arena *a)
{
	return a ? a->total : 0;
}

static void *arena_alloc(tm_arena *a, size_t size);

void *tm_arena_alloc(tm_arena *a, size_t size)
{
	void *p = arena_alloc(a, size);
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

static void *arena_alloc(tm_arena *a, size_t size)
{
	size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need < size)
		return NULL;
#ifdef TM_ARENA_DEBUG
	struct chunk *c = tm_malloc(sizeof(struct chunk) + need);
	if (!c)
		return NULL;
	c->size = c->used = need;
	c->next = a->head;
	a->head = c;
	a->total += need;
	memset(c->data, 0, need);
	return c->data;
#else
	struct chunk *c = a->head;
	if (!c || c->size - c->used < need) {
		size_t csize = need > CHUNK_MIN ? need : CHUNK_MIN;
		if (csize > SIZE_MAX - sizeof(struct chunk))
			return NULL;
		c = tm_malloc(sizeof(struct chunk) + csize);
		if (!c)
			return NULL;
		c->size = csize;
		c->used = 0;
		/* A big block goes behind the current chunk so its free space is not lost. */
		if (need > CHUNK_MIN && a->head) {
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
	memset(p, 0, need);
	return p;
#endif
}

char *tm_arena_strndup(tm_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = tm_arena_alloc(a, n + 1);
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

char *tm_arena_printf(tm_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = tm_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
