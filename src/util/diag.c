/* diag.c - the diagnostic list and error names. */
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

const char *tm_strerror(int code)
{
	switch (code) {
	case TM_OK: return "success";
	case TM_ENOMEM: return "out of memory";
	case TM_EINVALID: return "invalid input";
	case TM_EPARSE: return "parse error";
	case TM_EIO: return "i/o error";
	case TM_ELIMIT: return "limit exceeded";
	case TM_ENOTFOUND: return "not found";
	case TM_EUSAGE: return "usage error";
	case TM_EUNSUPPORTED: return "unsupported";
	case TM_ESTORE: return "store error";
	case TM_EREMOTE: return "not fetched";
	default: return "unknown error";
	}
}

const char *tm_level_name(tm_level level)
{
	switch (level) {
	case TM_LEVEL_ERROR: return "error";
	case TM_LEVEL_WARNING: return "warning";
	default: return "note";
	}
}

void tm_diag_list_init(tm_diag_list *list)
{
	memset(list, 0, sizeof(*list));
}

void tm_diag_list_dispose(tm_diag_list *list)
{
	tm_free(list->items);
	tm_arena_free(list->strings);
	memset(list, 0, sizeof(*list));
}

int tm_diag_addv(tm_diag_list *list, int code, tm_level level, tm_loc loc, const char *fmt,
		 va_list ap)
{
	if (list->limit && list->count >= list->limit) {
		list->dropped++;
		return 0;
	}
	if (!list->strings && !(list->strings = tm_arena_new()))
		goto oom;
	if (TM_GROW(list->items, list->cap, list->count + 1))
		goto oom;
	char buf[TM_DIAG_MSG_MAX + 1];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	tm_diag *d = &list->items[list->count];
	d->code = code;
	d->level = level;
	d->loc = loc;
	d->loc.path = loc.path ? tm_arena_strdup(list->strings, loc.path) : NULL;
	d->loc.pointer = loc.pointer ? tm_arena_strdup(list->strings, loc.pointer) : NULL;
	d->msg = tm_arena_strdup(list->strings, buf);
	if (!d->msg || (loc.path && !d->loc.path) || (loc.pointer && !d->loc.pointer))
		goto oom;
	list->count++;
	return 0;
oom:
	list->oom = 1;
	return TM_ENOMEM;
}

int tm_diag_add(tm_diag_list *list, int code, tm_level level, tm_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = tm_diag_addv(list, code, level, loc, fmt, ap);
	va_end(ap);
	return rc;
}

size_t tm_diag_count(const tm_diag_list *list, tm_level level)
{
	size_t n = 0;
	for (size_t i = 0; i < list->count; i++)
		n += list->items[i].level >= level;
	return n;
}

static int nullcmp(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a)
		return -1;
	if (!b)
		return 1;
	return strcmp(a, b);
}

static int diag_cmp(const void *pa, const void *pb)
{
	const tm_diag *a = pa, *b = pb;
	int c = nullcmp(a->loc.path, b->loc.path);
	if (c)
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	if ((c = strcmp(a->msg, b->msg)) != 0)
		return c;
	/* the rest, so the order never depends on the sort's, and exact repeats sit side by side */
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	return nullcmp(a->loc.pointer, b->loc.pointer);
}

int tm_diag_compare(const tm_diag *a, const tm_diag *b)
{
	return diag_cmp(a, b);
}

void tm_diag_list_sort(tm_diag_list *list)
{
	if (list->count < 2)
		return;
	qsort(list->items, list->count, sizeof(tm_diag), diag_cmp);
	/* exact repeats sit side by side */
	size_t k = 1;
	for (size_t i = 1; i < list->count; i++)
		if (diag_cmp(&list->items[k - 1], &list->items[i]) != 0)
			list->items[k++] = list->items[i];
	list->count = k;
}
