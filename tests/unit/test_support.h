/*
 * test_support.h - what several unit tests do the same way: find a file of the source tree, scan a
 * text held in memory. Header-only; include it after <cmocka.h>.
 */
#ifndef TM_TEST_SUPPORT_H
#define TM_TEST_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trustmap/scan.h"

/* rel under the source tree ($TM_SOURCE_DIR, which ctest sets) into out; the test is skipped
 * without it. */
static inline void source_path(char *out, size_t cap, const char *rel)
{
	const char *src = getenv("TM_SOURCE_DIR");
	if (!src)
		skip();
	snprintf(out, cap, "%s/%s", src, rel);
}

/* One file, text shown as path, scanned from memory with the default limits (free with tm_scan_free). */
static inline tm_scan *scan_text(const char *path, const char *text)
{
	tm_mem_file f = {path, text, strlen(text)};
	tm_limits lim;
	tm_limits_default(&lim);
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_run_mem(&s, &f, 1, &lim), 0);
	assert_non_null(s);
	return s;
}

#endif
