/*
 * counting_alloc.h - the allocator the allocation-failure tests install: it counts allocations and
 * fails the fail_at-th one (0: none). Header-only, for the unit tests that need it.
 */
#ifndef TM_TEST_COUNTING_ALLOC_H
#define TM_TEST_COUNTING_ALLOC_H

#include <stdlib.h>

#include "trustmap/common.h"

static size_t calls, fail_at;

static void *counting_malloc(size_t n, void *ud)
{
	(void)ud;
	return ++calls == fail_at ? NULL : malloc(n);
}

static void *counting_realloc(void *p, size_t n, void *ud)
{
	(void)ud;
	return ++calls == fail_at ? NULL : realloc(p, n);
}

static void plain_free(void *p, void *ud)
{
	(void)ud;
	free(p);
}

static const tm_allocator counting = {counting_malloc, counting_realloc, plain_free, NULL};

#endif
