/*
 * fuzz_parse_cache.c - libFuzzer target for the parse cache's entry decoder (src/parse/cache.c):
 * the input is a hostile cache entry.
 *
 * Once per process: a cache in a temporary directory with a fixed salt parses FIXED, which writes
 * its one entry (the single file in a two-hex-digit subdirectory); its header gives the magic, the
 * format and FIXED's key. Then for each input the entry is overwritten and FIXED parsed through the
 * cache again. The first input byte chooses how (mode = byte % 4):
 *
 *   0, 2  a valid header for FIXED's key (payload length and XXH3_64 checksum computed through
 *         tm_hash), then the rest of the input as the payload: every input reaches the decoder;
 *   1     the real header as written, unchanged, then the rest as the payload (stale length and
 *         checksum: the header checks must refuse it unless the payload is the real one);
 *   3     the rest of the input as the whole file, header included.
 *
 * A hit hands back a tree built from the input: it is walked whole (every value, scalar views,
 * map lookups of every key and of absent ones, parents up to the root, locations), so a dangling
 * or cyclic pointer shows as a sanitizer report or a trap. A miss must still give FIXED's tree.
 * The seeds in fuzz/corpus/parse_cache/ are mode-0 entries of real files (aliases, a moved parent,
 * big indexed maps, jansson's pointer-located values, diagnostics, several documents) and FIXED's
 * under modes 1 and 3; unit.test_parse_cache checks they are what this build writes
 * (TM_UPDATE_SEEDS=1 rewrites them after a change of the format).
 */
#include <dirent.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"
#include "trustmap/doc.h"
#include "util/util.h"

#define HEADER 40 /* magic 4, format 4, key 16, payload length 8, payload checksum 8 */
#define SALT "fuzz_parse_cache"
/* Per input: shared values make a DAG, maybe a wide one; locations of values without positions
 * are pointers made in the file's arena at each call; parents are followed from every value. */
#define WALK_BUDGET 1000000
#define LOC_BUDGET 20000
#define PARENT_BUDGET 20000000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char FIXED[] = "kind: Fuzz\nlist: [&a {x: 1}, *a]\nmap: {k: v}\n";

static char dir[4096], entry[4700];
static unsigned char real_header[HEADER];
static tm_parse_cache *cache;
static tm_limits limits;

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	tm_parse_cache_close(cache);
	cache = NULL;
	if (*dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static tm_file *parse_fixed(tm_diag_list *d)
{
	tm_file *f = NULL;
	if (tm_file_parse_cached(cache, &f, "fuzz.yaml", FIXED, sizeof(FIXED) - 1, &limits, d))
		return NULL;
	return f;
}

/* The single entry of the cache: its path into entry. */
static int find_entry(void)
{
	DIR *top = opendir(dir);
	int found = 0;
	for (struct dirent *de; top && (de = readdir(top));) {
		if (strlen(de->d_name) != 2 || de->d_name[0] == '.')
			continue;
		char sub[4400];
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		DIR *dh = opendir(sub);
		for (struct dirent *f; dh && (f = readdir(dh));) {
			if (f->d_name[0] == '.' || strchr(f->d_name, '.'))
				continue;
			snprintf(entry, sizeof(entry), "%s/%s", sub, f->d_name);
			found++;
		}
		if (dh)
			closedir(dh);
	}
	if (top)
		closedir(top);
	return found == 1 ? 0 : -1;
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/fuzz-parse-cache-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	tm_limits_default(&limits);
	limits.max_nodes = 200000;
	limits.max_alias_expansion = 10000;
	limits.max_depth = 128;
	cache = tm_parse_cache_open(dir, SALT, (uint64_t)1 << 30);
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f = cache ? parse_fixed(&d) : NULL;
	tm_file_free(f);
	tm_diag_list_dispose(&d);
	FILE *fp = f && !find_entry() ? fopen(entry, "rb") : NULL;
	if (!fp || fread(real_header, 1, HEADER, fp) != HEADER) {
		fprintf(stderr, "fuzz_parse_cache: no cache entry to overwrite in %s\n", dir);
		abort();
	}
	fclose(fp);
}

static void write_entry(const uint8_t *data, size_t size)
{
	int mode = size ? data[0] % 4 : 0;
	const uint8_t *payload = size ? data + 1 : data;
	size_t len = size ? size - 1 : 0;
	unsigned char head[HEADER];
	memcpy(head, real_header, HEADER);
	if (mode == 0 || mode == 2) {
		uint64_t plen = len, sum = tm_hash(payload, len);
		memcpy(head + 24, &plen, 8);
		memcpy(head + 32, &sum, 8);
	}
	FILE *fp = fopen(entry, "wb");
	if (!fp)
		abort();
	if ((mode != 3 && fwrite(head, 1, HEADER, fp) != HEADER) || (len && fwrite(payload, 1, len, fp) != len))
		abort();
	fclose(fp);
}

static void touch_str(const char *s)
{
	volatile size_t n = s ? strlen(s) : 0;
	(void)n;
}

typedef struct {
	size_t values, locs, parents;
} budget_t;

static void walk(const tm_file *f, const tm_value *v, unsigned depth, budget_t *budget)
{
	if (!v || depth > 5000 || !budget->values)
		return;
	budget->values--;
	if (budget->locs) {
		budget->locs--;
		tm_loc loc = tm_value_loc(f, v);
		touch_str(loc.path);
		touch_str(loc.pointer);
	}
	/* parents end at a root, within the decoder's depth bound: a cycle is a bug of the decoder */
	size_t up = 0;
	for (const tm_value *p = tm_value_parent(v); p && budget->parents; p = tm_value_parent(p)) {
		budget->parents--;
		if (++up > 5000)
			__builtin_trap();
	}
	switch (tm_value_kind_of(v)) {
	case TM_VALUE_SCALAR: {
		size_t len;
		const char *s = tm_scalar_str(v, &len);
		if (!s || s[len] != '\0')
			__builtin_trap();
		bool b;
		int64_t i;
		(void)tm_scalar_bool(v, &b);
		(void)tm_scalar_int(v, &i);
		(void)tm_scalar_quoted(v);
		break;
	}
	case TM_VALUE_MAP:
		for (size_t k = 0; k < tm_value_len(v) && budget->values; k++) {
			const tm_value *key = tm_map_key(v, k);
			walk(f, key, depth + 1, budget);
			walk(f, tm_map_value(v, k), depth + 1, budget);
			if (tm_value_kind_of(key) == TM_VALUE_SCALAR) {
				size_t len;
				const char *s = tm_scalar_str(key, &len);
				if (s && strlen(s) == len)
					(void)tm_map_get(v, s);
			}
		}
		(void)tm_map_get(v, "kind");
		(void)tm_map_get(v, "");
		(void)tm_map_get(v, "\x7f\x7f no such key");
		break;
	case TM_VALUE_SEQ:
		for (size_t k = 0; k < tm_value_len(v) && budget->values; k++)
			walk(f, tm_seq_at(v, k), depth + 1, budget);
		(void)tm_seq_at(v, tm_value_len(v));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cache)
		setup();
	write_entry(data, size);
	tm_diag_list d;
	tm_diag_list_init(&d);
	size_t hits, misses, writes, misses2;
	tm_parse_cache_stats(cache, &hits, &misses, &writes);
	tm_file *f = parse_fixed(&d);
	tm_parse_cache_stats(cache, &hits, &misses2, &writes);
	if (f) {
		(void)tm_file_path(f);
		(void)tm_file_syntax(f);
		(void)tm_file_has_positions(f);
		(void)tm_file_digest(f);
		(void)tm_file_value_count(f);
		budget_t budget = {WALK_BUDGET, LOC_BUDGET, PARENT_BUDGET};
		for (size_t i = 0; i < tm_file_doc_count(f) && budget.values; i++)
			walk(f, tm_file_doc(f, i), 0, &budget);
		/* a miss parsed FIXED itself */
		if (misses2 > misses && (tm_file_doc_count(f) != 1 || !tm_map_get(tm_file_doc(f, 0), "kind")))
			__builtin_trap();
	} else if (misses2 == misses) {
		__builtin_trap(); /* FIXED always parses: only a hit could have failed, and it did not */
	}
	for (size_t i = 0; i < d.count; i++) {
		touch_str(d.items[i].loc.path);
		touch_str(d.items[i].loc.pointer);
		touch_str(d.items[i].msg);
	}
	tm_file_free(f);
	tm_diag_list_dispose(&d);
	return 0;
}
