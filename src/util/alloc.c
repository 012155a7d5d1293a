/* alloc.c - the one place that calls malloc, behind a hook tests can swap. */
#include <stdlib.h>

#include "util.h"

static void *sys_malloc(size_t size, void *ud)
{
	(void)ud;
	return malloc(size);
}

static void *sys_realloc(void *ptr, size_t size, void *ud)
{
	(void)ud;
	return realloc(ptr, size);
}

static void sys_free(void *ptr, void *ud)
{
	(void)ud;
	free(ptr);
}

static const tm_allocator sys_allocator = {sys_malloc, sys_realloc, sys_free, NULL};
static tm_allocator current = {sys_malloc, sys_realloc, sys_free, NULL};

void tm_set_allocator(const tm_allocator *allocator)
{
	current = allocator ? *allocator : sys_allocator;
}

bool tm_allocator_is_default(void)
{
	return current.malloc_fn == sys_malloc && current.realloc_fn == sys_realloc && current.free_fn == sys_free;
}

void *tm_malloc(size_t size)
{
	return current.malloc_fn(size ? size : 1, current.ud);
}

/* Zeroed memory written at once: for a table whose every page is read before it is written (a hash
 * map's slots, probed at random). Left to calloc, the first read of each fresh page maps the shared
 * zero page and the first write then copies it, flushing the page from every other core's TLB (an
 * interrupt per core, per page, once the process has threads); written first, each page faults in
 * once. */
void *tm_zalloc_written(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = tm_malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

/* Zeroed memory. With the system allocator, calloc itself: a large block comes from fresh pages the
 * kernel has zeroed, so nothing is written and a page no one touches is never faulted in (a table
 * sized for the worst case). A table read at random before it is written: tm_zalloc_written. */
void *tm_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	if (current.malloc_fn == sys_malloc && current.free_fn == sys_free)
		return calloc(n ? n : 1, size ? size : 1);
	return tm_zalloc_written(n, size);
}

void *tm_realloc(void *ptr, size_t size)
{
	return current.realloc_fn(ptr, size ? size : 1, current.ud);
}

void tm_free(void *ptr)
{
	if (ptr)
		current.free_fn(ptr, current.ud);
}

int tm_grow(void **items, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return TM_ENOMEM;
		ncap *= 2;
	}
	void *p = tm_realloc(*items, ncap * elem);
	if (!p)
		return TM_ENOMEM;
	*items = p;
	*cap = ncap;
	return 0;
}
