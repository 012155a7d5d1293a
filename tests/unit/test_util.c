/* test_util.c - arena, strbuf, hash map, UTF-8, positions, integer parsing, diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <unistd.h>
#include <time.h>

#include "util/util.h"

static void arena_alignment_and_zeroing(void **state)
{
	(void)state;
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	for (size_t size = 1; size < 300; size += 7) {
		unsigned char *p = tm_arena_alloc(a, size);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t i = 0; i < size; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xAB, size);
	}
	/* larger than a chunk */
	unsigned char *big = tm_arena_alloc(a, 200000);
	assert_non_null(big);
	big[199999] = 1;
	char *s = tm_arena_strndup(a, "hello world", 5);
	assert_string_equal(s, "hello");
	assert_string_equal(tm_arena_printf(a, "%s-%d", "x", 42), "x-42");
	assert_true(tm_arena_used(a) >= 200000);
	tm_arena_free(a);
}

/* Past a few huge pages an arena takes mapped chunks of whole huge pages: still zeroed, aligned and
 * disjoint, a block bigger than a chunk included, the chunk before it still filled. */
static void arena_huge_chunks(void **state)
{
	(void)state;
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	unsigned char *prev = NULL;
	for (size_t i = 0; i < 3000; i++) { /* 3000 x 4 KiB: past the 8 MiB where chunks turn huge */
		unsigned char *p = tm_arena_alloc(a, 4096 - 16 * (i % 3));
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t k = 0; k < 4096 - 16 * (i % 3); k += 509)
			assert_int_equal(p[k], 0);
		memset(p, 0x5A, 4096 - 16 * (i % 3));
		assert_true(!prev || p != prev);
		prev = p;
	}
	unsigned char *big = tm_arena_alloc(a, 5u * 1024u * 1024u); /* more than one huge page */
	assert_non_null(big);
	assert_int_equal(big[0], 0);
	assert_int_equal(big[5u * 1024u * 1024u - 1], 0);
	memset(big, 0x11, 5u * 1024u * 1024u);
	unsigned char *after = tm_arena_alloc(a, 64); /* from the chunk before the big block */
	assert_non_null(after);
	assert_int_equal(after[0], 0);
	assert_true(after + 64 <= big || after >= big + 5u * 1024u * 1024u);
	assert_true(tm_arena_used(a) >= 3000u * 4000u + 5u * 1024u * 1024u);
	assert_false(tm_arena_failed(a));
	tm_arena_free(a);
}

/* Armed, a large arena (tm_arena_new_large) growing past a few huge pages starts the thread that faults huge pages in ahead;
 * the arena then takes its chunks from that pool, zeroed like any mapped chunk, aligned and
 * disjoint; disarmed, the thread stops and what is left in the pool is unmapped. None of it in the
 * TM_ARENA_DEBUG build, or on one core. */
static void arena_prefault(void **state)
{
	(void)state;
	setenv("TRUSTMAP_JOBS", "2", 1);
	size_t ready, taken0, taken;
	tm_arena__pooled(&ready, &taken0);
	tm_arena_prefault(true);
	tm_arena *a = tm_arena_new_large();
	assert_non_null(a);
	unsigned char *prev = NULL;
	for (size_t i = 0; i < 12000; i++) { /* 12000 x 4 KiB: 40 MiB past the 8 where chunks turn huge */
		if (i == 3000) { /* the thread has started: wait until it has chunks ready */
			for (int t = 0; t < 5000; t++) {
				tm_arena__pooled(&ready, &taken);
				if (ready)
					break;
				struct timespec ms = {0, 1000000};
				nanosleep(&ms, NULL);
			}
		}
		unsigned char *p = tm_arena_alloc(a, 4096);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t k = 0; k < 4096; k += 509)
			assert_int_equal(p[k], 0);
		memset(p, 0x77, 4096);
		assert_true(!prev || p != prev);
		prev = p;
	}
	tm_arena_prefault(false);
	tm_arena__pooled(&ready, &taken);
#ifndef TM_ARENA_DEBUG
	assert_true(taken > taken0);
#else
	assert_int_equal(taken, 0);
#endif
	assert_int_equal(ready, 0); /* the rest unmapped */
	assert_false(tm_arena_failed(a));
	tm_arena_free(a);
	/* the next arena maps its own, zeroed */
	tm_arena *b = tm_arena_new();
	for (size_t i = 0; i < 6000; i++) {
		unsigned char *p = tm_arena_alloc(b, 4096);
		assert_non_null(p);
		assert_int_equal(p[4095], 0);
		p[4095] = 1;
	}
	tm_arena_free(b);
	unsetenv("TRUSTMAP_JOBS");
}

/* Any other arena past 8 MiB takes the heap's chunks, never the pool's, even armed: memory freed
 * by an arena before it (a dirty 0x77 here) is used again, and still handed out zeroed. */
static void arena_reuses_the_heap(void **state)
{
	(void)state;
	setenv("TRUSTMAP_JOBS", "2", 1);
	size_t ready, taken0, taken;
	tm_arena__pooled(&ready, &taken0);
	tm_arena_prefault(true);
	for (int round = 0; round < 2; round++) {
		tm_arena *a = tm_arena_new();
		assert_non_null(a);
		for (size_t i = 0; i < 4000; i++) { /* 4000 x 4 KiB: past the 8 MiB */
			unsigned char *p = tm_arena_alloc(a, 4096);
			assert_non_null(p);
			for (size_t k = 0; k < 4096; k += 211)
				assert_int_equal(p[k], 0);
			memset(p, 0x77, 4096);
		}
		unsigned char *raw = tm_arena_alloc_raw(a, 64); /* raw: whatever the heap held, not checked */
		assert_non_null(raw);
		assert_false(tm_arena_failed(a));
		tm_arena_free(a);
	}
	tm_arena_prefault(false);
	tm_arena__pooled(&ready, &taken);
	assert_int_equal(taken, taken0);
	assert_int_equal(ready, 0);
}

/* A reservation of 128 KiB or more: the allocations that follow (zeroed ones zeroed, raw ones
 * writable) come from one block in order, until it is full; a smaller one, or one the current chunk
 * has room for, changes nothing; an allocation past the reservation takes a chunk as usual. With
 * TM_ARENA_DEBUG every allocation is its own block, so only the contents are checked there. */
static void arena_reserve(void **state)
{
	(void)state;
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	tm_arena_reserve(a, 1000); /* small: a hint to ignore */
	unsigned char *first = tm_arena_alloc(a, 16);
	assert_non_null(first);
	tm_arena_reserve(a, 512u * 1024u);
	unsigned char *lo = NULL, *hi = NULL;
	for (size_t i = 0; i < 512; i++) { /* 512 x 1 KiB: the reservation exactly */
		unsigned char *p = i % 2 ? tm_arena_alloc(a, 1024) : tm_arena_alloc_raw(a, 1024);
		assert_non_null(p);
		if (i % 2)
			for (size_t k = 0; k < 1024; k += 97)
				assert_int_equal(p[k], 0);
		memset(p, 0x3C, 1024);
#ifndef TM_ARENA_DEBUG
		assert_true(!hi || p == hi); /* in order, one after another */
#endif
		lo = lo ? lo : p;
		hi = p + 1024;
	}
	unsigned char *past = tm_arena_alloc(a, 64);
	assert_non_null(past);
	assert_int_equal(past[0], 0);
#ifndef TM_ARENA_DEBUG
	assert_true(hi - lo == 512 * 1024);
	assert_true(past + 64 <= lo || past >= hi);
#endif
	assert_true(lo && hi > lo);
	assert_true(tm_arena_used(a) >= 512u * 1024u + 80u);
	assert_false(tm_arena_failed(a));
	tm_arena_free(a);
}

/* tm_vformat writes what vsnprintf writes, the same length returned, for the conversions it does
 * itself and for those it hands to vsnprintf; truncated, the same prefix, NUL-terminated. */
static int both(char *fast, char *slow, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int both(char *fast, char *slow, size_t cap, const char *fmt, ...)
{
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int n = tm_vformat(fast, cap, fmt, ap);
	int m = vsnprintf(slow, cap, fmt, aq);
	va_end(aq);
	va_end(ap);
	assert_int_equal(n, m);
	if (cap)
		assert_memory_equal(fast, slow, (size_t)n < cap ? (size_t)n + 1 : cap);
	return n;
}

static void format_matches_vsnprintf(void **state)
{
	(void)state;
	char f[128], s[128];
	const char *volatile null = NULL; /* volatile: no compiler may see it is NULL and warn */
	for (size_t cap = 0; cap < 40; cap += 3) {
		memset(f, 'x', sizeof(f));
		memset(s, 'x', sizeof(s));
		both(f, s, cap, "%s/%s:%d", "service:team-0", "svc-12", -42);
		both(f, s, cap, "plain text, no conversion");
		both(f, s, cap, "%%%s%%", "pct");
		both(f, s, cap, "[%.*s|%.*s|%.*s]", 3, "abcdef", 0, "abc", -1, "whole");
		both(f, s, cap, "%u %lu %llu %zu", 4000000000u, 123456789ul, 18446744073709551615ull, (size_t)77);
		both(f, s, cap, "%d %i %ld %lld %zd", INT32_MIN, 0, -1l, (long long)INT64_MIN, (ptrdiff_t)-5);
		both(f, s, cap, "%c%c%c", 'a', 'b', 'c');
		both(f, s, cap, "%s|%.*s|%.*s", null, 2, null, 8, null); /* glibc's (null) */
		both(f, s, cap, "%08x %-6s| %5.2f %p", 0xbeefu, "left", 3.14159, (void *)f); /* handed over */
		both(f, s, cap, "%s and %d, then %5d", "written first", 7, 42); /* handed over midway */
		both(f, s, cap, "%.*s%s%x", 4, "abcdefgh", "-", 0xffu);
		both(f, s, cap, "%016llx|%016llx|%016llx", 0ull, 0xfedcba9876543210ull, 0x2aull); /* fingerprints */
		both(f, s, cap, "%s\t%016llx\n", "path/to/file.yaml", 18446744073709551615ull);
		both(f, s, cap, "%016llx %16llx %016lx", 1ull, 2ull, 3ul); /* only the first is ours */
	}
	assert_int_equal(both(NULL, NULL, 0, "%s-%zu", "measure", (size_t)1234), 12);
	char z[8];
	assert_int_equal(tm_formatf(z, sizeof(z), "%c%s", '\0', "tail"), 5); /* a NUL counts */
	assert_int_equal(z[0], '\0');
	assert_string_equal(z + 1, "tail");
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < 2000; i++)
		tm_strbuf_printf(&sb, "%s%d,", i ? "" : "[", i);
	assert_false(sb.oom);
	assert_int_equal(sb.len, strlen(sb.data));
	assert_memory_equal(sb.data, "[0,1,2,", 7);
	assert_memory_equal(sb.data + sb.len - 5, "1999,", 5);
	tm_strbuf_dispose(&sb);
	tm_arena *a = tm_arena_new();
	char longer[600];
	memset(longer, 'q', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	char *p = tm_arena_printf(a, "<%s>", longer); /* past the stack buffer: formatted in place */
	assert_int_equal(strlen(p), 601);
	assert_int_equal(p[0], '<');
	assert_int_equal(p[600], '>');
	assert_string_equal(tm_arena_printf(a, "%s:%u", "short", 7u), "short:7");
	for (size_t n = 508; n <= 514; n++) { /* either side of the stack buffer's 512 bytes */
		char *q = tm_arena_printf(a, "%.*s%d", (int)(n - 1), longer, 7);
		assert_int_equal(strlen(q), n);
		assert_int_equal(q[n - 1], '7');
		assert_int_equal(q[n - 2], 'q');
	}
	tm_arena_free(a);
}

static void strbuf_grows_and_hands_over(void **state)
{
	(void)state;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < 1000; i++)
		tm_strbuf_printf(&sb, "%04d,", i);
	assert_int_equal(sb.len, 5000);
	assert_memory_equal(sb.data + 4995, "0999,", 5);
	char *p = tm_strbuf_take(&sb);
	assert_non_null(p);
	assert_null(sb.data);
	assert_int_equal(strlen(p), 5000);
	tm_free(p);
	tm_strbuf_dispose(&sb);
}

static int fail_all;
static void *failing_malloc(size_t n, void *ud)
{
	(void)ud;
	return fail_all ? NULL : malloc(n);
}
static void *failing_realloc(void *p, size_t n, void *ud)
{
	(void)ud;
	return fail_all ? NULL : realloc(p, n);
}
static void plain_free(void *p, void *ud)
{
	(void)ud;
	free(p);
}

static void strbuf_oom_is_sticky(void **state)
{
	(void)state;
	tm_allocator al = {failing_malloc, failing_realloc, plain_free, NULL};
	tm_set_allocator(&al);
	tm_strbuf sb = TM_STRBUF_INIT;
	fail_all = 1;
	tm_strbuf_puts(&sb, "abc");
	assert_true(sb.oom);
	fail_all = 0;
	tm_strbuf_puts(&sb, "def"); /* still failed: the buffer would be missing "abc" */
	assert_true(sb.oom);
	assert_null(tm_strbuf_take(&sb));
	tm_set_allocator(NULL);
}

static void hmap_put_get_replace_many(void **state)
{
	(void)state;
	tm_hmap m = TM_HMAP_INIT;
	tm_arena *a = tm_arena_new();
	char *keys[10000];
	for (int i = 0; i < 10000; i++) {
		keys[i] = tm_arena_printf(a, "key-%d", i);
		assert_int_equal(tm_hmap_put(&m, keys[i], strlen(keys[i]), (void *)(uintptr_t)(i + 1)), 0);
	}
	assert_int_equal(m.count, 10000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal((uintptr_t)tm_hmap_get(&m, keys[i], strlen(keys[i])), i + 1);
	assert_null(tm_hmap_get(&m, "key-10000", 9));
	assert_null(tm_hmap_get(&m, "key-1", 4)); /* a prefix is another key */
	tm_hmap_put(&m, keys[5], strlen(keys[5]), (void *)7);
	assert_int_equal((uintptr_t)tm_hmap_get(&m, "key-5", 5), 7);
	assert_int_equal(m.count, 10000);
	tm_hmap_dispose(&m);
	tm_arena_free(a);
}

/* Memory handed out full of garbage, as malloc may: what must be zero is zeroed. */
static void *dirty_malloc(size_t n, void *ud)
{
	(void)ud;
	void *p = malloc(n);
	if (p)
		memset(p, 0xa5, n);
	return p;
}

/* Hash map and pointer-set tables are zeroed by writing (tm_zalloc_written, not calloc): with an
 * allocator that returns garbage, every key is still found and no absent one is. */
static void tables_zeroed_by_writing(void **state)
{
	(void)state;
	alarm(20); /* a table left dirty has no empty slot: a lookup would probe forever */
	tm_allocator al = {dirty_malloc, failing_realloc, plain_free, NULL};
	tm_set_allocator(&al);
	unsigned char *z = tm_zalloc_written(3000, 7);
	assert_non_null(z);
	for (size_t i = 0; i < 3000 * 7; i++)
		assert_int_equal(z[i], 0);
	tm_free(z);
	assert_null(tm_zalloc_written(SIZE_MAX / 2, 3)); /* n * size overflows */
	tm_hmap m = TM_HMAP_INIT;
	tm_pset ps = TM_PSET_INIT;
	static char keys[2000][16];
	for (int i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		assert_int_equal(tm_hmap_put(&m, keys[i], strlen(keys[i]), keys[i]), 0);
		assert_int_equal(tm_pset_add(&ps, keys[i]), 1);
	}
	for (int i = 0; i < 2000; i++) {
		assert_ptr_equal(tm_hmap_get(&m, keys[i], strlen(keys[i])), keys[i]);
		assert_int_equal(tm_pset_add(&ps, keys[i]), 0); /* already there */
	}
	assert_null(tm_hmap_get(&m, "k2000", 5));
	assert_int_equal(m.count, 2000);
	tm_hmap_dispose(&m);
	tm_pset_dispose(&ps);
	tm_set_allocator(NULL);
	alarm(0);
}

static void utf8_table(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len, bad;
	} cases[] = {
		{"plain ascii text, long enough for the fast path", 47, 47},
		{"caf\xc3\xa9", 5, 5},
		{"\xe2\x82\xac euro", 8, 8},
		{"\xf0\x9f\x98\x80", 4, 4},
		{"ab\xc0\x80", 4, 2},          /* overlong NUL */
		{"ab\xe0\x80\xaf", 5, 2},      /* overlong slash */
		{"\xed\xa0\x80", 3, 0},        /* surrogate */
		{"\xf4\x90\x80\x80", 4, 0},    /* beyond U+10FFFF */
		{"12345678\xc3", 9, 8},        /* truncated after the fast path */
		{"x\xe2\x82", 3, 1},           /* truncated */
		{"x\x80y", 3, 1},              /* lone continuation */
		{"\xff", 1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(tm_utf8_check((const unsigned char *)cases[i].s, cases[i].len), cases[i].bad);
}

static void offsets_to_positions(void **state)
{
	(void)state;
	const char *s = "ab\ncd\n\nxyz";
	uint32_t l, c;
	tm_offset_to_linecol(s, strlen(s), 0, &l, &c);
	assert_int_equal(l, 1);
	assert_int_equal(c, 1);
	tm_offset_to_linecol(s, strlen(s), 4, &l, &c);
	assert_int_equal(l, 2);
	assert_int_equal(c, 2);
	tm_offset_to_linecol(s, strlen(s), 9, &l, &c);
	assert_int_equal(l, 4);
	assert_int_equal(c, 3);
}

static void parse_i64_bounds(void **state)
{
	(void)state;
	int64_t v;
	assert_int_equal(tm_parse_i64("9223372036854775807", 19, 10, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(tm_parse_i64("9223372036854775808", 19, 10, &v), TM_EINVALID);
	assert_int_equal(tm_parse_i64("12x", 3, 10, &v), TM_EINVALID);
	assert_int_equal(tm_parse_i64("", 0, 10, &v), TM_EINVALID);
	assert_int_equal(tm_parse_i64("755", 3, 8, &v), 0);
	assert_int_equal(v, 493);
}

static void diag_list_sorts_and_limits(void **state)
{
	(void)state;
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_loc b2 = {"b.yaml", 2, 1, NULL}, a9 = {"a.yaml", 9, 3, NULL}, a1 = {"a.yaml", 1, 5, NULL};
	tm_diag_add(&d, TM_EPARSE, TM_LEVEL_ERROR, b2, "second %d", 2);
	tm_diag_add(&d, 0, TM_LEVEL_NOTE, a9, "note");
	tm_diag_add(&d, TM_ELIMIT, TM_LEVEL_WARNING, a1, "first");
	tm_diag_list_sort(&d);
	assert_string_equal(d.items[0].msg, "first");
	assert_string_equal(d.items[1].msg, "note");
	assert_string_equal(d.items[2].msg, "second 2");
	assert_string_equal(d.items[2].loc.path, "b.yaml");
	assert_int_equal(tm_diag_count(&d, TM_LEVEL_WARNING), 2);
	assert_int_equal(tm_diag_count(&d, TM_LEVEL_ERROR), 1);
	d.limit = 3;
	tm_diag_add(&d, 0, TM_LEVEL_NOTE, a1, "dropped");
	assert_int_equal(d.count, 3);
	assert_int_equal(d.dropped, 1);
	tm_diag_list_dispose(&d);
	assert_string_equal(tm_strerror(TM_ELIMIT), "limit exceeded");
	assert_string_equal(tm_strerror(-999), "unknown error");
	assert_string_equal(tm_level_name(TM_LEVEL_WARNING), "warning");
}

/* A base two overlays render says its missing resource twice: one diagnostic. Another level or code
 * at the same place and message is another diagnostic. */
static void diag_list_folds_exact_repeats(void **state)
{
	(void)state;
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_loc base = {"base/kustomization.yaml", 4, 3, NULL}, other = {"base/kustomization.yaml", 5, 3, NULL};
	for (int i = 0; i < 3; i++) {
		tm_diag_add(&d, TM_EINVALID, TM_LEVEL_ERROR, base, "resource deployment.yaml not found");
		tm_diag_add(&d, TM_EINVALID, TM_LEVEL_ERROR, other, "resource service.yaml not found");
	}
	tm_diag_add(&d, TM_EINVALID, TM_LEVEL_WARNING, base, "resource deployment.yaml not found");
	tm_diag_add(&d, 0, TM_LEVEL_ERROR, base, "resource deployment.yaml not found");
	tm_diag_list_sort(&d);
	assert_int_equal(d.count, 4);
	assert_int_equal(tm_diag_count(&d, TM_LEVEL_ERROR), 3);
	size_t at5 = 0;
	for (size_t i = 0; i < d.count; i++)
		at5 += d.items[i].loc.line == 5;
	assert_int_equal(at5, 1);
	tm_diag_list_dispose(&d);
}

static void dates(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
		{"2026-11-23", true}, {"2024-02-29", true}, {"2000-02-29", true}, {"1970-01-01", true},
		{"2026-02-29", false}, {"1900-02-29", false}, {"2026-13-01", false}, {"2026-00-10", false},
		{"2026-04-31", false}, {"1969-12-31", false}, {"2026-1-05", false}, {"2026-01-5x", false},
		{"2026/01/05", false}, {"+026-01-05", false}, {"", false}, {NULL, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(tm_date_valid(cases[i].s), cases[i].ok);
}

/* SHA-256 against FIPS 180-2's examples: one block, two blocks, a million 'a' fed in pieces. */
static void sha256_vectors(void **state)
{
	(void)state;
	static const struct {
		const char *in, *hex;
	} v[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	};
	char hex[65];
	unsigned char d[32];
	for (size_t i = 0; i < TM_ARRAY_LEN(v); i++) {
		tm_sha256_digest(d, v[i].in, strlen(v[i].in));
		for (int k = 0; k < 32; k++)
			snprintf(hex + 2 * k, 3, "%02x", d[k]);
		assert_string_equal(hex, v[i].hex);
	}
	tm_sha256 s;
	tm_sha256_init(&s);
	char chunk[1000];
	memset(chunk, 'a', sizeof(chunk));
	for (int i = 0; i < 1000; i++)
		tm_sha256_update(&s, chunk, sizeof(chunk));
	tm_sha256_final(&s, d);
	for (int k = 0; k < 32; k++)
		snprintf(hex + 2 * k, 3, "%02x", d[k]);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates),
		cmocka_unit_test(arena_alignment_and_zeroing),
		cmocka_unit_test(arena_huge_chunks),
		cmocka_unit_test(arena_reserve),
		cmocka_unit_test(arena_prefault),
		cmocka_unit_test(arena_reuses_the_heap),
		cmocka_unit_test(format_matches_vsnprintf),
		cmocka_unit_test(strbuf_grows_and_hands_over),
		cmocka_unit_test(strbuf_oom_is_sticky),
		cmocka_unit_test(hmap_put_get_replace_many),
		cmocka_unit_test(tables_zeroed_by_writing),
		cmocka_unit_test(utf8_table),
		cmocka_unit_test(offsets_to_positions),
		cmocka_unit_test(parse_i64_bounds),
		cmocka_unit_test(diag_list_sorts_and_limits),
		cmocka_unit_test(diag_list_folds_exact_repeats),
		cmocka_unit_test(sha256_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
