/*
 * test_parse_cache.c - the parse cache (src/parse/cache.c): a file parsed through the cache, on a
 * miss and on a hit, is the file tm_file_parse makes (every value, shared aliases, parents, map
 * indexes, diagnostics under the caller's path); a changed salt or limit, a damaged or foreign
 * entry, or a file that fails to parse is a miss; pruning keeps the newest entries under 3/4 of the
 * bound; the directory's secret is private and kept; threads share one cache safely.
 *
 * Trees are compared with helpers that return a description of the first difference instead of
 * asserting, so the thread test can use them off the main thread (cmocka's asserts cannot).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <xxhash.h>

#include "parse/parse.h"
#include "trustmap/doc.h"
#include "util/util.h"

#define SALT "test_parse_cache salt"
#define BIG ((uint64_t)1 << 30)
#define HEADER 40 /* cache.c: magic 4, format 4, key 16, payload length 8, payload XXH3_64 8 */

/* ---- scratch directories and files ------------------------------------------------------- */

static char *temp_dir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof(tmpl), "%s/tm-parse-cache-XXXXXX", base && *base ? base : "/tmp");
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	char *out = strdup(dir);
	assert_non_null(out);
	return out;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(char *dir)
{
	if (dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* The whole file at path (malloc'd, NUL-terminated) or NULL. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
		n += got;
		if (n + 1 == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(fp);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static void spit(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* The cache's entries: regular files in its two-hex-digit subdirectories, sorted by path. */
typedef struct {
	char **paths;
	size_t n;
} entries;

static bool two_hex(const char *s)
{
	const char *hex = "0123456789abcdef";
	return strlen(s) == 2 && strchr(hex, s[0]) && strchr(hex, s[1]);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static entries list_entries(const char *dir)
{
	entries e = {NULL, 0};
	DIR *top = opendir(dir);
	assert_non_null(top);
	for (struct dirent *de; (de = readdir(top));) {
		if (!two_hex(de->d_name))
			continue;
		char sub[4096];
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		DIR *dh = opendir(sub);
		if (!dh)
			continue;
		for (struct dirent *f; (f = readdir(dh));) {
			if (f->d_name[0] == '.')
				continue;
			char p[4400];
			struct stat st;
			snprintf(p, sizeof(p), "%s/%s", sub, f->d_name);
			if (lstat(p, &st) || !S_ISREG(st.st_mode))
				continue;
			e.paths = realloc(e.paths, (e.n + 1) * sizeof(*e.paths));
			assert_non_null(e.paths);
			e.paths[e.n] = strdup(p);
			assert_non_null(e.paths[e.n]);
			e.n++;
		}
		closedir(dh);
	}
	closedir(top);
	if (e.n)
		qsort(e.paths, e.n, sizeof(*e.paths), str_cmp);
	return e;
}

static void entries_free(entries *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->paths[i]);
	free(e->paths);
	e->paths = NULL;
	e->n = 0;
}

/* The path of the cache's only entry (malloc'd). */
static char *only_entry(const char *dir)
{
	entries e = list_entries(dir);
	assert_int_equal(e.n, 1);
	char *p = strdup(e.paths[0]);
	entries_free(&e);
	return p;
}

static uint64_t dir_bytes(const char *dir)
{
	entries e = list_entries(dir);
	uint64_t total = 0;
	for (size_t i = 0; i < e.n; i++) {
		struct stat st;
		assert_int_equal(stat(e.paths[i], &st), 0);
		total += (uint64_t)st.st_size;
	}
	entries_free(&e);
	return total;
}

static void expect_stats_of(const char *what, const tm_parse_cache *c, size_t hits, size_t misses, size_t writes)
{
	size_t h, m, w;
	tm_parse_cache_stats(c, &h, &m, &w);
	if (h != hits || m != misses || w != writes)
		fail_msg("%s: stats hits %zu misses %zu writes %zu, expected %zu %zu %zu", what, h, m, w, hits, misses,
			 writes);
}

#define expect_stats(c, hits, misses, writes) expect_stats_of("cache", c, hits, misses, writes)

/* ---- comparing trees without asserting ---------------------------------------------------- */

typedef struct {
	const tm_value *a, *b, *container; /* original, loaded, the loaded container b sits in */
} pending;

typedef struct {
	tm_hmap fwd, back; /* original value -> loaded, loaded -> original (address bytes -> pointer) */
	tm_arena *keys;
	pending *pend;
	size_t npend, cap;
	char *why; /* the first difference */
	size_t whycap;
	bool ok;
	size_t outside; /* values whose original parent is in no document (merged from an inline map) */
	bool twice;     /* some value is reached twice */
} cmp;

static void differ(cmp *c, const char *fmt, ...)
{
	if (!c->ok)
		return;
	c->ok = false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, c->whycap, fmt, ap);
	va_end(ap);
}

static const void *pget(const tm_hmap *m, const void *p)
{
	return tm_hmap_get(m, (const char *)&p, sizeof(p));
}

static void pput(cmp *c, tm_hmap *m, const void *k, const void *v)
{
	char *key = tm_arena_alloc(c->keys, sizeof(k));
	if (!key || tm_hmap_put(m, memcpy(key, &k, sizeof(k)), sizeof(k), (void *)(uintptr_t)v))
		differ(c, "out of memory in the comparison");
}

static void same_value(cmp *c, const tm_value *a, const tm_value *b, const tm_value *container, unsigned depth);

/* Every scalar key of a big (indexed) map is found through tm_map_get on both sides, and gives
 * corresponding values; so does a key in neither. */
static void same_lookups(cmp *c, const tm_value *a, const tm_value *b)
{
	if ((a->flags & TM_VF_INDEXED) != (b->flags & TM_VF_INDEXED)) {
		differ(c, "map at %u:%u: indexed %d, loaded %d", a->line, a->col, !!(a->flags & TM_VF_INDEXED),
		       !!(b->flags & TM_VF_INDEXED));
		return;
	}
	for (uint32_t i = 0; i < a->len && c->ok; i++) {
		const tm_value *k = a->u.kids[2 * i];
		if (k->kind != TM_VALUE_SCALAR || memchr(k->u.str, '\0', k->len))
			continue;
		const tm_value *va = tm_map_get(a, k->u.str), *vb = tm_map_get(b, k->u.str);
		if (!va || !vb || pget(&c->fwd, va) != vb)
			differ(c, "map at %u:%u: tm_map_get(\"%s\") differs", a->line, a->col, k->u.str);
	}
	if (c->ok && (tm_map_get(a, "\x01 no such key") || tm_map_get(b, "\x01 no such key")))
		differ(c, "map at %u:%u: an absent key was found", a->line, a->col);
}

static void same_value(cmp *c, const tm_value *a, const tm_value *b, const tm_value *container, unsigned depth)
{
	if (!c->ok)
		return;
	if (!a || !b) {
		if (a != b)
			differ(c, "a value is NULL on one side only");
		return;
	}
	const tm_value *seen = pget(&c->fwd, a);
	if (seen) {
		c->twice = true;
		if (seen != b)
			differ(c, "value at %u:%u is shared in the original, not in the loaded tree", a->line, a->col);
		return;
	}
	if (pget(&c->back, b)) {
		differ(c, "value at %u:%u is shared in the loaded tree, not in the original", a->line, a->col);
		return;
	}
	pput(c, &c->fwd, a, b);
	pput(c, &c->back, b, a);
	if (a->kind != b->kind || a->type != b->type || (a->flags & TM_VF_QUOTED) != (b->flags & TM_VF_QUOTED) ||
	    a->line != b->line || a->col != b->col || a->len != b->len) {
		differ(c, "value at %u:%u: kind %d/%d type %d/%d quoted %d/%d at %u:%u len %u/%u", a->line, a->col,
		       a->kind, b->kind, a->type, b->type, a->flags & TM_VF_QUOTED, b->flags & TM_VF_QUOTED, b->line,
		       b->col, a->len, b->len);
		return;
	}
	if (TM_GROW(c->pend, c->cap, c->npend + 1)) {
		differ(c, "out of memory in the comparison");
		return;
	}
	c->pend[c->npend++] = (pending){a, b, container};
	if (depth > 4096) {
		differ(c, "tree deeper than 4096");
		return;
	}
	if (a->kind == TM_VALUE_SCALAR) {
		if (!b->u.str || memcmp(a->u.str, b->u.str, a->len) || b->u.str[b->len] != '\0')
			differ(c, "scalar at %u:%u: text differs", a->line, a->col);
		return;
	}
	size_t n = a->kind == TM_VALUE_MAP ? 2 * (size_t)a->len : a->len;
	for (size_t i = 0; i < n && c->ok; i++)
		same_value(c, a->u.kids[i], b->u.kids[i], b, depth + 1);
	if (c->ok && a->kind == TM_VALUE_MAP && a->len > TM_MAP_INDEX_MIN)
		same_lookups(c, a, b);
}

static bool holds(const tm_value *container, const tm_value *v)
{
	size_t n = container->kind == TM_VALUE_MAP ? 2 * (size_t)container->len
		 : container->kind == TM_VALUE_SEQ ? container->len : 0;
	for (size_t i = 0; i < n; i++)
		if (container->u.kids[i] == v)
			return true;
	return false;
}

/* Parents, once every value is paired: a loaded value's parent is the counterpart of the original's.
 * An original parent in no document (pairs merged from an inline map) cannot be written: the loaded
 * value's parent is then the container it sits in. */
static void same_parents(cmp *c)
{
	for (size_t i = 0; i < c->npend && c->ok; i++) {
		const pending *p = &c->pend[i];
		if (!p->a->parent) {
			if (p->b->parent)
				differ(c, "root at %u:%u has a parent when loaded", p->a->line, p->a->col);
			continue;
		}
		const tm_value *want = pget(&c->fwd, p->a->parent);
		if (want && !holds(p->a->parent, p->a)) {
			/* a map merged inline and dropped with its '<<' key, reached through an alias:
			 * the parent does not hold the value; an entry may keep the container it sits in */
			c->outside++;
			if (p->b->parent == p->container)
				want = p->container;
		} else if (!want) {
			/* an entry cannot hold it: the container the value sits in stands for it; two
			 * parses each keep their own (the same one for every such value) */
			c->outside++;
			want = p->container;
			if (p->b->parent != want && p->b->parent && !pget(&c->back, p->b->parent)) {
				want = p->b->parent;
				pput(c, &c->fwd, p->a->parent, want);
				pput(c, &c->back, want, p->a->parent);
			}
		}
		if (p->b->parent != want)
			differ(c, "value at %u:%u (%s): loaded parent is not the original's", p->a->line, p->a->col,
			       p->a->kind == TM_VALUE_SCALAR ? p->a->u.str : "container");
	}
}

/* Whether loaded b is original a, shown as path: true, or false with the difference in why. */
static bool same_file(const tm_file *a, const tm_file *b, const char *path, char *why, size_t whycap, size_t *outside)
{
	if (!a || !b) {
		snprintf(why, whycap, "file %s on one side only", a ? "missing" : "present");
		return a == b;
	}
	cmp c;
	memset(&c, 0, sizeof(c));
	c.why = why;
	c.whycap = whycap;
	c.ok = true;
	c.keys = tm_arena_new();
	if (strcmp(tm_file_path(b), path))
		differ(&c, "path '%s', expected '%s'", tm_file_path(b), path);
	if (a->ndocs != b->ndocs || a->syntax != b->syntax || a->positions != b->positions ||
	    a->nvalues != b->nvalues || a->digest != b->digest)
		differ(&c, "file: docs %zu/%zu syntax %d/%d positions %d/%d values %zu/%zu digest %d", a->ndocs,
		       b->ndocs, a->syntax, b->syntax, a->positions, b->positions, a->nvalues, b->nvalues,
		       a->digest == b->digest);
	for (size_t i = 0; i < a->ndocs && c.ok; i++)
		same_value(&c, a->docs[i], b->docs[i], NULL, 0);
	same_parents(&c);
	/* the loaded file says it shares values when some value is reached twice (and so did the original) */
	if (c.twice && (!a->shared || !b->shared))
		differ(&c, "values are shared but the file says not (original %d, loaded %d)", a->shared, b->shared);
	if (!c.twice && b->shared)
		differ(&c, "the loaded file says it shares values, and none is reached twice");
	tm_hmap_dispose(&c.fwd);
	tm_hmap_dispose(&c.back);
	tm_arena_free(c.keys);
	tm_free(c.pend);
	if (outside)
		*outside = c.outside;
	return c.ok;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Where each value of a file without positions is (a JSON pointer, made from the parents): the same
 * in b as in a. Not for the threads: tm_value_loc writes the pointer into the file's arena. */
static bool same_pointers(const tm_file *fa, const tm_value *a, const tm_file *fb, const tm_value *b, unsigned depth,
			  char *why, size_t whycap)
{
	if (!a || !b || depth > 300)
		return true;
	tm_loc la = tm_value_loc(fa, a), lb = tm_value_loc(fb, b);
	if (!same_str(la.pointer, lb.pointer)) {
		snprintf(why, whycap, "pointer '%s', expected '%s'", lb.pointer ? lb.pointer : "(null)",
			 la.pointer ? la.pointer : "(null)");
		return false;
	}
	size_t n = a->kind == TM_VALUE_MAP ? 2 * (size_t)a->len : a->kind == TM_VALUE_SEQ ? a->len : 0;
	for (size_t i = 0; i < n; i++)
		if (!same_pointers(fa, a->u.kids[i], fb, b->u.kids[i], depth + 1, why, whycap))
			return false;
	return true;
}

/* Diagnostics b[bfrom..] are a[afrom..], every one under path (b) where a had its own. */
static bool same_diags(const tm_diag_list *a, size_t afrom, const tm_diag_list *b, size_t bfrom, const char *path,
		       char *why, size_t whycap)
{
	if (a->count - afrom != b->count - bfrom) {
		snprintf(why, whycap, "%zu diagnostics, expected %zu", b->count - bfrom, a->count - afrom);
		return false;
	}
	for (size_t i = 0; i < a->count - afrom; i++) {
		const tm_diag *x = &a->items[afrom + i], *y = &b->items[bfrom + i];
		if (x->code != y->code || x->level != y->level || x->loc.line != y->loc.line ||
		    x->loc.col != y->loc.col || !same_str(x->msg, y->msg) || !same_str(x->loc.pointer, y->loc.pointer) ||
		    !same_str(y->loc.path, path)) {
			snprintf(why, whycap, "diagnostic %zu: %s:%u:%u %d/%d '%s', expected %s:%u:%u %d/%d '%s'", i,
				 y->loc.path ? y->loc.path : "(null)", y->loc.line, y->loc.col, y->code, y->level, y->msg,
				 path, x->loc.line, x->loc.col, x->code, x->level, x->msg);
			return false;
		}
	}
	return true;
}

/* ---- inputs -------------------------------------------------------------------------------- */

typedef struct {
	const char *name;
	char *text; /* malloc'd */
	size_t len;
} input;

typedef struct {
	input *items;
	size_t n;
} inputs;

static void add_input(inputs *in, const char *name, const char *text, size_t len)
{
	in->items = realloc(in->items, (in->n + 1) * sizeof(*in->items));
	assert_non_null(in->items);
	input *i = &in->items[in->n++];
	i->name = name;
	i->text = malloc(len + 1);
	assert_non_null(i->text);
	memcpy(i->text, text, len);
	i->text[len] = '\0';
	i->len = len;
}

static void add_text(inputs *in, const char *name, const char *text)
{
	add_input(in, name, text, strlen(text));
}

/* Generated: big maps (the key index), long scalars and many lines (multi-byte numbers), depth. */
static void add_generated(inputs *in)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < 40; i++)
		tm_strbuf_printf(&sb, "key%02d: value %d\n", 39 - i, i);
	tm_strbuf_puts(&sb, "nested:\n");
	for (int i = 0; i < 20; i++)
		tm_strbuf_printf(&sb, "  n%d: {a: %d}\n", i, i);
	tm_strbuf_puts(&sb, "? [complex, key]\n: in a big map\n\"quoted key\": 1\n'': empty key\n");
	add_input(in, "generated: big yaml maps", sb.data, sb.len);
	tm_strbuf_reset(&sb);

	tm_strbuf_putc(&sb, '{');
	for (int i = 0; i < 30; i++)
		tm_strbuf_printf(&sb, "%s\"k%d\": {\"v\": [%d, \"s%d\"]}", i ? ", " : "", (i * 7) % 30, i, i);
	tm_strbuf_puts(&sb, "}\n");
	add_input(in, "generated: big json map", sb.data, sb.len);
	tm_strbuf_reset(&sb);

	tm_strbuf_puts(&sb, "long: \"");
	for (int i = 0; i < 20000; i++)
		tm_strbuf_putc(&sb, (char)('a' + i % 26));
	tm_strbuf_puts(&sb, "\"\nmid: ");
	for (int i = 0; i < 300; i++)
		tm_strbuf_putc(&sb, 'x');
	tm_strbuf_puts(&sb, "\n");
	for (int i = 0; i < 17000; i++) /* line numbers past 16383: three bytes each */
		tm_strbuf_printf(&sb, "line%d: %d\n", i, i);
	add_input(in, "generated: long scalars, many lines", sb.data, sb.len);
	tm_strbuf_reset(&sb);

	for (int i = 0; i < 200; i++)
		tm_strbuf_putc(&sb, '[');
	tm_strbuf_puts(&sb, "deep");
	for (int i = 0; i < 200; i++)
		tm_strbuf_putc(&sb, ']');
	tm_strbuf_putc(&sb, '\n');
	add_input(in, "generated: 200 levels", sb.data, sb.len);
	tm_strbuf_reset(&sb);

	tm_strbuf_puts(&sb, "anchors:\n");
	for (int i = 0; i < 50; i++)
		tm_strbuf_printf(&sb, "  - &a%d {n: %d, tags: [x, y]}\n", i, i);
	tm_strbuf_puts(&sb, "refs:\n");
	for (int i = 0; i < 50; i++)
		tm_strbuf_printf(&sb, "  - [*a%d, *a%d]\n", i, 49 - i);
	add_input(in, "generated: many aliases", sb.data, sb.len);
	tm_strbuf_dispose(&sb);
}

static const struct {
	const char *name, *text;
} inline_texts[] = {
	{"plain map", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {app: web}\n"},
	{"scalars", "s: plain\nq: 'single'\nd: \"double\\ttab\"\nn: ~\nb: yes\ni: 0x1F\nf: 1.5e3\nnul: \"a\\0b\"\n"
		    "block: |\n  line one\n  line two\nfolded: >-\n  folded\n  text\nempty:\n"
		    "uni: \"caf\\u00e9 \\U0001F600\"\ntagged: !!str 123\n"},
	{"flow", "{a: [1, 2, {b: c}], d: [], e: {}}\n"},
	{"json", "{\"a\": [1, 2.5, true, null, \"s\"], \"b\": {\"c\": {}}, \"d\": \"\\u0000x\"}\n"},
	{"json array", "[{\"a\": 1}, [], \"x\"]"},
	{"anchors", "base: &b {image: nginx, port: 80}\nlist:\n  - &s {x: 1}\n  - *s\n  - *b\nref: *b\n"
		    "scalar: &v 5\nagain: *v\n*v : alias as key\n"},
	{"merge keys", "base: &b {image: nginx, port: 80}\nextra: &e {debug: true}\nweb:\n  <<: [*b, *e, {inline: 1}]\n"
		       "  port: 8080\nbad:\n  <<: 5\n"},
	{"duplicate key takes an alias", "k: 1\nj: {inner: &x 2}\nk: *x\n"},
	{"merge of an anchored inline map", "web: {<<: &b {image: nginx}}\nother: *b\n"},
	{"documents and a syntax error", "a: 1\n---\n---\n# c\n---\nb: [x\n---\n- 3\n"},
	{"byte order mark", "\xEF\xBB\xBFkey: value\n"},
	{"empty", "# nothing\n"},
	{"scalar roots", "--- just text\n--- 42\n"},
	{"complex keys", "? [a, b]\n: seq key\n? {c: d}\n: map key\nplain: v\n"},
	{"duplicate keys", "name: first\nimage: nginx\nname: second\n"},
	{"crlf", "a: 1\r\nb:\r\n  - x\r\n"},
};

/* Inline texts, generated ones, then every input of tests/golden/parse and fuzz/corpus/parse. */
static inputs all_inputs(void)
{
	inputs in = {NULL, 0};
	for (size_t i = 0; i < TM_ARRAY_LEN(inline_texts); i++)
		add_text(&in, inline_texts[i].name, inline_texts[i].text);
	add_generated(&in);
	const char *src = getenv("TM_SOURCE_DIR");
	if (!src)
		return in;
	static const char *const dirs[] = {"tests/golden/parse", "fuzz/corpus/parse"};
	static char names[256][300];
	size_t nnames = 0;
	for (size_t d = 0; d < TM_ARRAY_LEN(dirs); d++) {
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s/%s", src, dirs[d]);
		struct dirent **list = NULL;
		int n = scandir(dir, &list, NULL, alphasort);
		assert_true(n > 0);
		for (int k = 0; k < n; k++) {
			const char *name = list[k]->d_name;
			char path[4400];
			struct stat st;
			snprintf(path, sizeof(path), "%s/%s", dir, name);
			if (name[0] != '.' && !stat(path, &st) && nnames < TM_ARRAY_LEN(names)) {
				/* golden cases are directories holding input.yaml or input.json */
				if (S_ISDIR(st.st_mode)) {
					snprintf(path, sizeof(path), "%s/%s/input.yaml", dir, name);
					if (access(path, R_OK))
						snprintf(path, sizeof(path), "%s/%s/input.json", dir, name);
				}
				size_t len;
				char *text = slurp(path, &len);
				if (!text)
					fail_msg("cannot read %s", path);
				snprintf(names[nnames], sizeof(names[0]), "%s/%s", dirs[d], name);
				add_input(&in, names[nnames++], text, len);
				free(text);
			}
			free(list[k]);
		}
		free(list);
	}
	return in;
}

static void inputs_free(inputs *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->items[i].text);
	free(in->items);
}

/* ---- round trips --------------------------------------------------------------------------- */

/* Parse directly, then through a fresh cache twice (a miss, then a hit), each time with a diagnostic
 * about another file already in the list; both results are the direct one under their own path. */
static void round_trip(const input *in, const tm_limits *lim, size_t *outside)
{
	char why[512];
	tm_diag_list d0, d1, d2;
	tm_diag_list_init(&d0);
	tm_diag_list_init(&d1);
	tm_diag_list_init(&d2);
	tm_loc other = {"other.yaml", 7, 3, NULL};
	assert_int_equal(tm_diag_add(&d1, TM_EINVALID, TM_LEVEL_ERROR, other, "before"), 0);
	assert_int_equal(tm_diag_add(&d2, TM_EINVALID, TM_LEVEL_ERROR, other, "before"), 0);
	tm_file *f0 = NULL, *f1 = NULL, *f2 = NULL;
	int rc0 = tm_file_parse(&f0, "direct.yaml", in->text, in->len, lim, &d0);

	char *dir = temp_dir();
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	assert_non_null(c);
	int rc1 = tm_file_parse_cached(c, &f1, "first/miss.yaml", in->text, in->len, lim, &d1);
	if (rc1 != rc0)
		fail_msg("%s: miss returned %d, parse %d", in->name, rc1, rc0);
	expect_stats_of(in->name, c, 0, 1, rc0 ? 0 : 1);
	if (!same_file(f0, f1, "first/miss.yaml", why, sizeof(why), outside))
		fail_msg("%s, miss: %s", in->name, why);
	if (!same_diags(&d0, 0, &d1, 1, "first/miss.yaml", why, sizeof(why)))
		fail_msg("%s, miss: %s", in->name, why);

	int rc2 = tm_file_parse_cached(c, &f2, "second/hit.json", in->text, in->len, lim, &d2);
	if (rc2 != rc0)
		fail_msg("%s: hit returned %d, parse %d", in->name, rc2, rc0);
	if (rc0)
		expect_stats_of(in->name, c, 0, 2, 0);
	else
		expect_stats_of(in->name, c, 1, 1, 1);
	if (!same_file(f0, f2, "second/hit.json", why, sizeof(why), outside))
		fail_msg("%s, hit: %s", in->name, why);
	if (!same_diags(&d0, 0, &d2, 1, "second/hit.json", why, sizeof(why)))
		fail_msg("%s, hit: %s", in->name, why);
	for (size_t i = 0; f0 && !f0->positions && i < f0->ndocs; i++)
		if (!same_pointers(f0, f0->docs[i], f2, f2->docs[i], 0, why, sizeof(why)))
			fail_msg("%s, hit: %s", in->name, why);
	assert_string_equal(d2.items[0].loc.path, "other.yaml");

	tm_parse_cache_close(c);
	remove_tree(dir);
	tm_file_free(f0);
	tm_file_free(f1);
	tm_file_free(f2);
	tm_diag_list_dispose(&d0);
	tm_diag_list_dispose(&d1);
	tm_diag_list_dispose(&d2);
}

static void round_trip_every_input(void **state)
{
	(void)state;
	inputs in = all_inputs();
	assert_true(in.n > 20);
	tm_limits jansson;
	tm_limits_default(&jansson);
	jansson.jansson_line_bytes = 16; /* JSON with a line over 16 bytes: no positions, pointers */
	size_t outside = 0, o;
	for (size_t i = 0; i < in.n; i++) {
		round_trip(&in.items[i], NULL, &o);
		outside += o;
		round_trip(&in.items[i], &jansson, &o);
	}
	/* the inline map merged in "merge keys" has no place in any document; its pairs are */
	assert_true(outside > 0);
	inputs_free(&in);
}

/* tm_file_load_cached: a file on disk under a display path, limits NULL (the defaults), a miss
 * then a hit; a missing file is TM_EIO with *out NULL and is not counted. */
static void load_cached_from_disk(void **state)
{
	(void)state;
	char *dir = temp_dir();
	char file[4096], cdir[4096], why[512];
	snprintf(file, sizeof(file), "%s/in.yaml", dir);
	snprintf(cdir, sizeof(cdir), "%s/cache", dir);
	const char *text = "a: &x [1, 2]\nb: *x\ndup: 1\ndup: 2\n";
	spit(file, text, strlen(text));
	tm_parse_cache *c = tm_parse_cache_open(cdir, SALT, BIG);
	assert_non_null(c);
	tm_diag_list d0, d1, d2;
	tm_diag_list_init(&d0);
	tm_diag_list_init(&d1);
	tm_diag_list_init(&d2);
	tm_file *f0 = NULL, *f1 = NULL, *f2 = NULL;
	assert_int_equal(tm_file_load(&f0, file, "shown.yaml", NULL, &d0), 0);
	assert_int_equal(tm_file_load_cached(c, &f1, file, "shown.yaml", NULL, &d1), 0);
	assert_int_equal(tm_file_load_cached(c, &f2, file, NULL, NULL, &d2), 0);
	expect_stats(c, 1, 1, 1);
	if (!same_file(f0, f1, "shown.yaml", why, sizeof(why), NULL) ||
	    !same_diags(&d0, 0, &d1, 0, "shown.yaml", why, sizeof(why)))
		fail_msg("miss: %s", why);
	if (!same_file(f0, f2, file, why, sizeof(why), NULL) || !same_diags(&d0, 0, &d2, 0, file, why, sizeof(why)))
		fail_msg("hit: %s", why);
	assert_int_equal(d2.count, 1);

	tm_file *f3 = (tm_file *)&f3; /* not NULL: the call must set it */
	tm_diag_list d3;
	tm_diag_list_init(&d3);
	assert_int_equal(tm_file_load_cached(c, &f3, "/nonexistent/x.yaml", "x.yaml", NULL, &d3), TM_EIO);
	assert_null(f3);
	assert_int_equal(d3.count, 1);
	assert_string_equal(d3.items[0].loc.path, "x.yaml");
	assert_non_null(strstr(d3.items[0].msg, "cannot read"));
	expect_stats(c, 1, 1, 1);

	tm_parse_cache_close(c);
	tm_file_free(f0);
	tm_file_free(f1);
	tm_file_free(f2);
	tm_diag_list_dispose(&d0);
	tm_diag_list_dispose(&d1);
	tm_diag_list_dispose(&d2);
	tm_diag_list_dispose(&d3);
	remove_tree(dir);
}

static void flip(const char *path, size_t at);

/* An entry of 64 KiB or more is mapped, not read: the hit's tree is the parse's, a write to one of
 * its scalars (copy on write) reaches neither the entry nor the next hit, a small entry is read as
 * before, and a damaged large entry is a miss. */
static void large_entries_are_mapped(void **state)
{
	(void)state;
	char *dir = temp_dir();
	char why[512];
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < 3000; i++)
		tm_strbuf_printf(&sb, "key%04d: {name: service-%d, text: \"%s %d\"}\n", i, i,
				 "a scalar long enough to make the entry large", i);
	assert_true(sb.len > 150000);
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f0 = NULL, *f1 = NULL, *f2 = NULL, *f3 = NULL, *small = NULL, *small2 = NULL;
	assert_int_equal(tm_file_parse(&f0, "big.yaml", sb.data, sb.len, NULL, &d), 0);
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	assert_non_null(c);
	assert_int_equal(tm_file_parse_cached(c, &f1, "big.yaml", sb.data, sb.len, NULL, &d), 0);
	assert_null(f1->map); /* the miss parsed it */
	assert_int_equal(tm_file_parse_cached(c, &f2, "big.yaml", sb.data, sb.len, NULL, &d), 0);
	expect_stats(c, 1, 1, 1);
	assert_non_null(f2->map);
	if (!same_file(f0, f2, "big.yaml", why, sizeof(why), NULL))
		fail_msg("mapped hit: %s", why);
	const tm_value *v = tm_map_get(tm_map_get(f2->docs[0], "key0007"), "name");
	assert_non_null(v);
	((char *)v->u.str)[0] = 'X'; /* the tree's text is the mapping's: private to this file */
	assert_int_equal(tm_file_parse_cached(c, &f3, "big.yaml", sb.data, sb.len, NULL, &d), 0);
	expect_stats(c, 2, 1, 1);
	if (!same_file(f0, f3, "big.yaml", why, sizeof(why), NULL))
		fail_msg("hit after a write to another hit's text: %s", why);
	const char *text = "small: entry\n";
	assert_int_equal(tm_file_parse_cached(c, &small, "s.yaml", text, strlen(text), NULL, &d), 0);
	assert_int_equal(tm_file_parse_cached(c, &small2, "s.yaml", text, strlen(text), NULL, &d), 0);
	expect_stats(c, 3, 2, 2);
	assert_null(small2->map);
	tm_file_free(f1);
	tm_file_free(f2);
	tm_file_free(f3);
	tm_file_free(small);
	tm_file_free(small2);
	/* the large entry damaged in its payload: a miss, parsed again */
	entries e = list_entries(dir);
	assert_int_equal(e.n, 2);
	struct stat st0, st1;
	assert_int_equal(stat(e.paths[0], &st0), 0);
	assert_int_equal(stat(e.paths[1], &st1), 0);
	flip(st0.st_size > st1.st_size ? e.paths[0] : e.paths[1], 100000);
	entries_free(&e);
	f1 = NULL;
	assert_int_equal(tm_file_parse_cached(c, &f1, "big.yaml", sb.data, sb.len, NULL, &d), 0);
	expect_stats(c, 3, 3, 3);
	assert_null(f1->map);
	if (!same_file(f0, f1, "big.yaml", why, sizeof(why), NULL))
		fail_msg("damaged entry: %s", why);
	tm_file_free(f1);
	tm_file_free(f0);
	tm_parse_cache_close(c);
	tm_diag_list_dispose(&d);
	tm_strbuf_dispose(&sb);
	remove_tree(dir);
}

/* ---- files known on disk ------------------------------------------------------------------ */

#define KNOWN_HEADER 24  /* of `files`: magic, format, records, slots (cache.c) */
#define KNOWN_RECORD 72

static void truncate_to(const char *path, off_t len);

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* A cache whose run "started" a minute from now: every file written so far has settled. */
static tm_parse_cache *open_settled(const char *cdir)
{
	tm_parse_cache *c = tm_parse_cache_open(cdir, SALT, BIG);
	assert_non_null(c);
	tm_parse_cache__opened_at(c, now_ns() + 60LL * 1000000000);
	return c;
}

/* tm_file_load_known on file: its rc. A miss leaves nothing behind; a hit's tree, diagnostics and
 * digest are those of a parse of the file as it is now. */
static int known_as(tm_parse_cache *c, const char *file, const tm_limits *lim)
{
	tm_file *f = (tm_file *)&f; /* not NULL: the call must set it */
	tm_diag_list d, dw;
	tm_diag_list_init(&d);
	tm_diag_list_init(&dw);
	char why[512];
	int rc = tm_file_load_known(c, &f, file, "shown.yaml", lim, &d);
	if (rc == TM_ENOTFOUND) {
		assert_null(f);
		assert_int_equal(d.count, 0);
	} else {
		assert_int_equal(rc, 0);
		tm_file *w = NULL;
		assert_int_equal(tm_file_load(&w, file, "shown.yaml", lim, &dw), 0);
		if (!same_file(w, f, "shown.yaml", why, sizeof(why), NULL) ||
		    !same_diags(&dw, 0, &d, 0, "shown.yaml", why, sizeof(why)))
			fail_msg("known file: %s", why);
		assert_true(tm_file_digest(f) == tm_file_digest(w));
		tm_file_free(w);
	}
	tm_file_free(rc == TM_ENOTFOUND ? NULL : f);
	tm_diag_list_dispose(&d);
	tm_diag_list_dispose(&dw);
	return rc;
}

static void load_through(tm_parse_cache *c, const char *file)
{
	tm_file *f = NULL;
	tm_diag_list d;
	tm_diag_list_init(&d);
	assert_int_equal(tm_file_load_cached(c, &f, file, "shown.yaml", NULL, &d), 0);
	tm_file_free(f);
	tm_diag_list_dispose(&d);
}

static void remove_entries(const char *cdir)
{
	entries e = list_entries(cdir);
	for (size_t i = 0; i < e.n; i++)
		assert_int_equal(unlink(e.paths[i]), 0);
	entries_free(&e);
}

/* A file read through the cache is recorded by its identity and state once it has settled, and
 * then loaded without being read; a file changed just before the run, changed since (even with
 * its size and modification time put back), under other limits, whose entry is gone, or known
 * through a damaged `files` is no known file, and reading it works as before. */
static void files_known_on_disk(void **state)
{
	(void)state;
	char *dir = temp_dir();
	char file[4096], cdir[4096], known[4200];
	snprintf(file, sizeof(file), "%s/in.yaml", dir);
	snprintf(cdir, sizeof(cdir), "%s/cache", dir);
	snprintf(known, sizeof(known), "%s/files", cdir);
	const char *text = "a: &x [1, 2]\nb: *x\ndup: 1\ndup: 2\n";
	spit(file, text, strlen(text));

	/* written a moment ago, as the run starts: read, parsed and kept, not recorded */
	tm_parse_cache *c = tm_parse_cache_open(cdir, SALT, BIG);
	assert_non_null(c);
	assert_int_equal(known_as(c, file, NULL), TM_ENOTFOUND);
	load_through(c, file);
	tm_parse_cache_close(c);
	struct stat st;
	assert_int_not_equal(stat(known, &st), 0);

	/* settled: recorded on the next read, then known */
	c = open_settled(cdir);
	assert_int_equal(known_as(c, file, NULL), TM_ENOTFOUND);
	load_through(c, file);
	tm_parse_cache_close(c);
	assert_int_equal(stat(known, &st), 0);
	c = open_settled(cdir);
	expect_stats(c, 0, 0, 0);
	assert_int_equal(known_as(c, file, NULL), 0);
	expect_stats(c, 1, 0, 0);
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_depth--;
	assert_int_equal(known_as(c, file, &lim), TM_ENOTFOUND);
	tm_parse_cache_close(c);

	/* the same size, the modification time put back: the change time moved */
	struct stat before;
	assert_int_equal(stat(file, &before), 0);
	struct timespec pause = {0, 30 * 1000000};
	nanosleep(&pause, NULL); /* past the file system's clock tick */
	const char *changed = "a: &x [1, 3]\nb: *x\ndup: 1\ndup: 2\n";
	spit(file, changed, strlen(changed));
	struct timespec times[2] = {before.st_atim, before.st_mtim};
	assert_int_equal(utimensat(AT_FDCWD, file, times, 0), 0);
	c = open_settled(cdir);
	assert_int_equal(known_as(c, file, NULL), TM_ENOTFOUND);
	load_through(c, file);
	tm_parse_cache_close(c);
	c = open_settled(cdir);
	assert_int_equal(known_as(c, file, NULL), 0); /* the new bytes' tree */

	/* the entry gone (pruned): not known; read and parsed again */
	remove_entries(cdir);
	assert_int_equal(known_as(c, file, NULL), TM_ENOTFOUND);
	load_through(c, file);
	expect_stats(c, 1, 1, 1); /* the hit above, then the miss */
	tm_parse_cache_close(c);

	/* shared between two takers: one tree; with the entry gone, each is told so, and the first to
	 * come back with the bytes parses it for both: one tree, one miss, one entry written */
	c = open_settled(cdir);
	tm_parse_cache_share(c, 2);
	tm_file *fa = NULL, *fb = NULL;
	tm_diag_list da, db;
	tm_diag_list_init(&da);
	tm_diag_list_init(&db);
	assert_int_equal(tm_file_load_known(c, &fa, file, "shown.yaml", NULL, &da), 0);
	assert_int_equal(tm_file_load_known(c, &fb, file, "shown.yaml", NULL, &db), 0);
	assert_ptr_equal(fa, fb);
	assert_int_equal(da.count, db.count);
	tm_file_free(fa);
	tm_file_free(fb);
	tm_parse_cache_share(c, 2);
	remove_entries(cdir);
	size_t h0, m0, w0, h1, m1, w1;
	tm_parse_cache_stats(c, &h0, &m0, &w0);
	assert_int_equal(known_as(c, file, NULL), TM_ENOTFOUND);
	assert_int_equal(known_as(c, file, NULL), TM_ENOTFOUND);
	assert_int_equal(tm_file_load_cached(c, &fa, file, "shown.yaml", NULL, &da), 0);
	/* recorded again by that read: the other, asking again, is given the same tree */
	assert_int_equal(tm_file_load_known(c, &fb, file, "shown.yaml", NULL, &db), 0);
	assert_ptr_equal(fa, fb);
	tm_parse_cache_stats(c, &h1, &m1, &w1);
	assert_int_equal(m1 - m0, 1);
	assert_int_equal(w1 - w0, 1);
	tm_file_free(fa);
	tm_file_free(fb);
	tm_parse_cache_share(c, 0);
	tm_parse_cache_close(c);
	tm_diag_list_dispose(&da);
	tm_diag_list_dispose(&db);

	/* a damaged `files` (a flipped byte: a record's digest, which only the keyed checksum catches, then its size;
	 * cut short; a count past its length; a directory) is none; the next run that
	 * reads writes a good one */
	for (int how = -1; how < 4; how++) {
		if (how == -1) {
			flip(known, KNOWN_HEADER + 48); /* the first record's digest: a wrong one, were it trusted */
		} else if (how == 0) {
			flip(known, KNOWN_HEADER + 24); /* its size */
		} else if (how == 1) {
			truncate_to(known, 20);
		} else if (how == 2) {
			unsigned char forged[48] = {'T', 'M', 'P', 'K', 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
			spit(known, forged, sizeof(forged));
		} else {
			assert_int_equal(unlink(known), 0);
			assert_int_equal(mkdir(known, 0700), 0);
		}
		c = open_settled(cdir);
		assert_int_equal(known_as(c, file, NULL), TM_ENOTFOUND);
		load_through(c, file);
		tm_parse_cache_close(c);
		if (how == 3) {
			assert_int_equal(rmdir(known), 0); /* a directory is left alone; without it, the next run writes */
			c = open_settled(cdir);
			load_through(c, file);
			tm_parse_cache_close(c);
		}
		c = open_settled(cdir);
		assert_int_equal(known_as(c, file, NULL), 0);
		tm_parse_cache_close(c);
	}
	remove_tree(dir);
}

/* `files` is shared by every project a user scans: a run that records its own files keeps the
 * records of files it never asked about, and a run finds each of its files among many others'
 * (looked up in the file, collisions and all). */
static void files_known_among_many(void **state)
{
	(void)state;
	enum { MANY = 600 };
	char *dir = temp_dir();
	char cdir[4096], path[4200];
	snprintf(cdir, sizeof(cdir), "%s/cache", dir);
	for (int i = 0; i <= MANY; i++) {
		snprintf(path, sizeof(path), "%s/f%d.yaml", dir, i);
		char text[64];
		int len = snprintf(text, sizeof(text), "n: %d\n", i % 7); /* entries shared by content */
		spit(path, text, (size_t)len);
	}
	/* one run per slice of the files, as one project after another */
	for (int from = 0; from < MANY; from += MANY / 4) {
		tm_parse_cache *c = open_settled(cdir);
		for (int i = from; i < from + MANY / 4; i++) {
			snprintf(path, sizeof(path), "%s/f%d.yaml", dir, i);
			load_through(c, path);
		}
		tm_parse_cache_close(c);
	}
	/* the last file, alone, in a run of its own: the others' records stay */
	tm_parse_cache *c = open_settled(cdir);
	snprintf(path, sizeof(path), "%s/f%d.yaml", dir, MANY);
	assert_int_equal(known_as(c, path, NULL), TM_ENOTFOUND);
	load_through(c, path);
	tm_parse_cache_close(c);
	c = open_settled(cdir);
	for (int i = 0; i <= MANY; i++) {
		snprintf(path, sizeof(path), "%s/f%d.yaml", dir, i);
		if (known_as(c, path, NULL))
			fail_msg("f%d.yaml is not known after the later runs", i);
	}
	expect_stats(c, MANY + 1, 0, 0);
	tm_parse_cache_close(c);
	/* written once per run, the records in the file and no more: one each */
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/files", cdir);
	char *data = slurp(path, &len);
	uint64_t n, nslots;
	memcpy(&n, data + 8, 8);
	memcpy(&nslots, data + 16, 8);
	assert_int_equal(n, MANY + 1);
	assert_true(nslots >= 2 * n && !(nslots & (nslots - 1)));
	assert_int_equal(len, KNOWN_HEADER + n * KNOWN_RECORD + nslots * 4 + 16);
	free(data);
	remove_tree(dir);
}

/* A `files` whose checksum holds (written by someone with the secret) but whose slots lie: every
 * slot full and pointing at the same record, or past the records. Lookups end, find nothing they
 * should not, and a run writes a good one. */
static void files_known_lying_slots(void **state)
{
	(void)state;
	char *dir = temp_dir();
	char cdir[4096], file[4096], path[4200];
	snprintf(cdir, sizeof(cdir), "%s/cache", dir);
	snprintf(file, sizeof(file), "%s/in.yaml", dir);
	spit(file, "a: 1\n", 5);
	tm_parse_cache *c = open_settled(cdir);
	load_through(c, file);
	tm_parse_cache_close(c);
	size_t len = 0, slen = 0;
	snprintf(path, sizeof(path), "%s/secret", cdir);
	unsigned char *secret = (unsigned char *)slurp(path, &slen);
	snprintf(path, sizeof(path), "%s/files", cdir);
	unsigned char *good = (unsigned char *)slurp(path, &len);
	uint64_t n, nslots;
	memcpy(&n, good + 8, 8);
	memcpy(&nslots, good + 16, 8);
	assert_int_equal(n, 1);
	for (int how = 0; how < 2; how++) {
		unsigned char *data = malloc(len);
		memcpy(data, good, len);
		data[KNOWN_HEADER] ^= 1; /* the record is another file's (another device) */
		for (uint64_t s = 0; s < nslots; s++) {
			uint32_t v = how == 0 ? 1 : 7; /* all full: the record; or none there */
			memcpy(data + KNOWN_HEADER + n * KNOWN_RECORD + s * 4, &v, 4);
		}
		XXH128_canonical_t canon;
		XXH128_canonicalFromHash(&canon, XXH3_128bits_withSecret(data, len - 16, secret, slen));
		memcpy(data + len - 16, canon.digest, 16);
		spit(path, data, len);
		free(data);
		c = open_settled(cdir);
		assert_int_equal(known_as(c, file, NULL), TM_ENOTFOUND);
		load_through(c, file);
		tm_parse_cache_close(c);
		c = open_settled(cdir);
		assert_int_equal(known_as(c, file, NULL), 0);
		tm_parse_cache_close(c);
	}
	free(good);
	free(secret);
	remove_tree(dir);
}

/* ---- aliases ------------------------------------------------------------------------------- */

static void aliases_stay_shared(void **state)
{
	(void)state;
	const char *text = "list:\n  - &s {x: 1}\n  - *s\nbase: &b\n  image: nginx\nref: *b\n"
			   "nested: {deeper: [*b, *s]}\nv: &v 5\n*v : key\n";
	char *dir = temp_dir();
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	assert_non_null(c);
	for (int pass = 0; pass < 2; pass++) { /* the miss parses; the hit loads */
		tm_diag_list d;
		tm_diag_list_init(&d);
		tm_file *f = NULL;
		assert_int_equal(tm_file_parse_cached(c, &f, "a.yaml", text, strlen(text), NULL, &d), 0);
		expect_stats(c, (size_t)pass, 1, 1);
		const tm_value *root = tm_file_doc(f, 0);
		const tm_value *list = tm_map_get(root, "list"), *base = tm_map_get(root, "base");
		/* an alias to a sibling in the same sequence */
		assert_int_equal(tm_value_len(list), 2);
		assert_ptr_equal(tm_seq_at(list, 0), tm_seq_at(list, 1));
		assert_ptr_equal(tm_value_parent(tm_seq_at(list, 0)), list);
		/* an alias in another map, and deeper: the anchor's parent is its first container */
		assert_ptr_equal(tm_map_get(root, "ref"), base);
		assert_ptr_equal(tm_value_parent(base), root);
		const tm_value *deeper = tm_map_get(tm_map_get(root, "nested"), "deeper");
		assert_ptr_equal(tm_seq_at(deeper, 0), base);
		assert_ptr_equal(tm_seq_at(deeper, 1), tm_seq_at(list, 0));
		assert_string_equal(tm_map_get_str(tm_seq_at(deeper, 0), "image"), "nginx");
		/* a scalar alias used as a key */
		assert_ptr_equal(tm_map_key(root, 5), tm_map_get(root, "v"));
		assert_ptr_equal(tm_value_parent(tm_map_key(root, 5)), root);
		assert_true(f->shared);
		tm_file_free(f);
		tm_diag_list_dispose(&d);
	}
	tm_parse_cache_close(c);
	remove_tree(dir);
}

/* An anchored value the walk meets first outside its parent (a duplicate key given an alias, the
 * pairs of an anchored map merged with '<<'): written where it is met, its parent is put back. */
static void alias_met_before_its_parent(void **state)
{
	(void)state;
	const char *text = "k: 1\nj: {inner: &x [2, 3]}\nk: *x\nweb: {<<: &m {image: nginx}}\nother: *m\n";
	char *dir = temp_dir();
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	assert_non_null(c);
	for (int pass = 0; pass < 2; pass++) {
		tm_diag_list d;
		tm_diag_list_init(&d);
		tm_file *f = NULL;
		assert_int_equal(tm_file_parse_cached(c, &f, "a.yaml", text, strlen(text), NULL, &d), 0);
		expect_stats(c, (size_t)pass, 1, 1);
		const tm_value *root = tm_file_doc(f, 0), *j = tm_map_get(root, "j");
		const tm_value *x = tm_map_get(j, "inner");
		assert_ptr_equal(tm_map_value(root, 0), x); /* "k", the last value kept at the first place */
		assert_ptr_equal(tm_value_parent(x), j);
		const tm_value *web = tm_map_get(root, "web"), *m = tm_map_get(root, "other");
		assert_ptr_equal(tm_map_key(web, 0), tm_map_key(m, 0));
		assert_ptr_equal(tm_value_parent(tm_map_key(web, 0)), m);
		assert_ptr_equal(tm_value_parent(tm_map_value(web, 0)), m);
		assert_string_equal(tm_map_get_str(web, "image"), "nginx");
		tm_file_free(f);
		tm_diag_list_dispose(&d);
	}
	tm_parse_cache_close(c);
	remove_tree(dir);
}

/* ---- what makes a key ---------------------------------------------------------------------- */

/* Parse text through c and say whether it was a hit (the stats moved), checking the tree. */
static bool parse_hits(tm_parse_cache *c, const char *text, const tm_limits *lim)
{
	size_t h0, m0, w0, h1, m1, w1;
	tm_parse_cache_stats(c, &h0, &m0, &w0);
	tm_diag_list d, d0;
	tm_diag_list_init(&d);
	tm_diag_list_init(&d0);
	tm_file *f = NULL, *f0 = NULL;
	char why[512];
	int rc0 = tm_file_parse(&f0, "t.yaml", text, strlen(text), lim, &d0);
	int rc = tm_file_parse_cached(c, &f, "t.yaml", text, strlen(text), lim, &d);
	assert_int_equal(rc, rc0);
	if (!same_file(f0, f, "t.yaml", why, sizeof(why), NULL) || !same_diags(&d0, 0, &d, 0, "t.yaml", why, sizeof(why)))
		fail_msg("%s", why);
	tm_file_free(f);
	tm_file_free(f0);
	tm_diag_list_dispose(&d);
	tm_diag_list_dispose(&d0);
	tm_parse_cache_stats(c, &h1, &m1, &w1);
	assert_int_equal(h1 + m1, h0 + m0 + 1);
	return h1 == h0 + 1;
}

static void salt_and_limits_are_part_of_the_key(void **state)
{
	(void)state;
	const char *text = "a: 1\nb: [x, y]\n";
	char *dir = temp_dir();
	tm_parse_cache *a = tm_parse_cache_open(dir, SALT, BIG), *b = tm_parse_cache_open(dir, "another salt", BIG);
	assert_non_null(a);
	assert_non_null(b);
	assert_false(parse_hits(a, text, NULL));
	assert_true(parse_hits(a, text, NULL));
	assert_false(parse_hits(b, text, NULL)); /* same directory and secret, another salt */
	assert_true(parse_hits(b, text, NULL));

	/* every limit is part of the key, even one this file is far from */
	tm_limits lim;
	for (int which = 0; which < 7; which++) {
		tm_limits_default(&lim);
		switch (which) {
		case 0: lim.max_file_bytes--; break;
		case 1: lim.max_depth--; break;
		case 2: lim.max_nodes--; break;
		case 3: lim.max_scalar_bytes--; break;
		case 4: lim.max_alias_expansion--; break;
		case 5: lim.max_documents--; break;
		case 6: lim.jansson_line_bytes--; break;
		}
		if (parse_hits(a, text, &lim))
			fail_msg("limit %d changed, and the entry was a hit", which);
		assert_true(parse_hits(a, text, &lim));
	}
	tm_limits_default(&lim);
	assert_true(parse_hits(a, text, &lim)); /* the defaults are what NULL means */

	/* the bytes: one more space is another file */
	assert_false(parse_hits(a, "a: 1\nb: [x,  y]\n", NULL));
	expect_stats(a, 9, 9, 9);
	tm_parse_cache_close(a);
	tm_parse_cache_close(b);

	/* no salt: this executable names the build */
	tm_parse_cache *own = tm_parse_cache_open(dir, NULL, BIG);
	assert_non_null(own);
	assert_false(parse_hits(own, text, NULL));
	assert_true(parse_hits(own, text, NULL));
	tm_parse_cache_close(own);
	own = tm_parse_cache_open(dir, NULL, BIG);
	assert_true(parse_hits(own, text, NULL));
	tm_parse_cache_close(own);
	remove_tree(dir);
}

/* ---- damaged entries ----------------------------------------------------------------------- */

enum damage {
	TRUNCATE_PAYLOAD, TRUNCATE_HEADER, FLIP_PAYLOAD, FLIP_LAST, FLIP_MAGIC, FLIP_FORMAT, FLIP_KEY, FLIP_LENGTH,
	FLIP_SUM, GARBAGE, EMPTY, DIRECTORY, SYMLINK, FOREIGN, DAMAGE_COUNT
};
static const char *const damage_names[] = {
	"payload truncated", "header truncated", "payload byte flipped", "last byte flipped", "magic flipped",
	"format flipped", "key flipped", "length flipped", "checksum flipped", "garbage", "zero-length file",
	"a directory", "a symlink to a good entry", "another file's entry",
};

static void flip(const char *path, size_t at)
{
	size_t len;
	char *data = slurp(path, &len);
	assert_non_null(data);
	assert_true(at < len);
	data[at] ^= 0x5a;
	spit(path, data, len);
	free(data);
}

static void truncate_to(const char *path, off_t len)
{
	assert_int_equal(truncate(path, len), 0);
}

static void damage_entry(enum damage how, const char *entry, const char *dir, char *aside, size_t cap)
{
	size_t len;
	char *data;
	struct stat st;
	assert_int_equal(stat(entry, &st), 0);
	switch (how) {
	case TRUNCATE_PAYLOAD: truncate_to(entry, st.st_size - 3); break;
	case TRUNCATE_HEADER: truncate_to(entry, 10); break;
	case FLIP_PAYLOAD: flip(entry, HEADER + 2); break;
	case FLIP_LAST: flip(entry, (size_t)st.st_size - 1); break;
	case FLIP_MAGIC: flip(entry, 0); break;
	case FLIP_FORMAT: flip(entry, 4); break;
	case FLIP_KEY: flip(entry, 8 + 15); break;
	case FLIP_LENGTH: flip(entry, 8 + 16); break;
	case FLIP_SUM: flip(entry, 8 + 16 + 8 + 3); break;
	case GARBAGE:
		data = malloc(300);
		assert_non_null(data);
		for (int i = 0; i < 300; i++)
			data[i] = (char)(i * 37 + 11);
		spit(entry, data, 300);
		free(data);
		break;
	case EMPTY: truncate_to(entry, 0); break;
	case DIRECTORY:
		assert_int_equal(unlink(entry), 0);
		assert_int_equal(mkdir(entry, 0700), 0);
		break;
	case SYMLINK:
		/* a good entry moved aside and linked back: a load never follows a link, and the write
		 * that follows replaces the link, never the file it points at */
		snprintf(aside, cap, "%s/aside", dir);
		assert_int_equal(rename(entry, aside), 0);
		assert_int_equal(symlink(aside, entry), 0);
		break;
	case FOREIGN: {
		/* another file's entry, whole and valid, under this one's name */
		tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
		tm_diag_list d;
		tm_diag_list_init(&d);
		tm_file *f = NULL;
		assert_int_equal(tm_file_parse_cached(c, &f, "o.yaml", "other: file\n", 12, NULL, &d), 0);
		tm_file_free(f);
		tm_diag_list_dispose(&d);
		tm_parse_cache_close(c);
		entries e = list_entries(dir);
		assert_int_equal(e.n, 2);
		const char *other = strcmp(e.paths[0], entry) ? e.paths[0] : e.paths[1];
		data = slurp(other, &len);
		assert_non_null(data);
		spit(entry, data, len);
		free(data);
		assert_int_equal(unlink(other), 0);
		entries_free(&e);
		break;
	}
	default: fail();
	}
}

static void damaged_entries_are_misses(void **state)
{
	(void)state;
	const char *text = "kind: Deployment\nmetadata: {name: web}\nspec:\n  list: [&a {x: 1}, *a]\nbad:\n  <<: 5\n";
	for (int how = 0; how < DAMAGE_COUNT; how++) {
		char *dir = temp_dir();
		char aside[4096] = "";
		tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
		assert_non_null(c);
		assert_false(parse_hits(c, text, NULL)); /* written */
		char *entry = only_entry(dir);
		size_t good_len;
		char *good = slurp(entry, &good_len);
		assert_non_null(good);
		damage_entry((enum damage)how, entry, dir, aside, sizeof(aside));
		if (parse_hits(c, text, NULL)) /* parsed again, correctly (parse_hits compares) */
			fail_msg("%s: a hit", damage_names[how]);
		if (!parse_hits(c, text, NULL))
			fail_msg("%s: the entry was not written again", damage_names[how]);
		expect_stats(c, 1, 2, 2);
		size_t len;
		char *now = slurp(entry, &len);
		if (!now || len != good_len || memcmp(now, good, len))
			fail_msg("%s: the entry written again differs from the first", damage_names[how]);
		struct stat st;
		assert_int_equal(lstat(entry, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		if (*aside) { /* what the link pointed at is untouched */
			free(now);
			now = slurp(aside, &len);
			assert_true(now && len == good_len && !memcmp(now, good, len));
			assert_int_equal(unlink(aside), 0);
		}
		free(now);
		free(good);
		free(entry);
		tm_parse_cache_close(c);
		remove_tree(dir);
	}
}

/* Rewrite entry with payload (len bytes) under a header fixed for it: the checks of the header
 * pass, so only the payload decoder stands between the bytes and the caller. */
static void forge(const char *entry, const unsigned char *payload, size_t len)
{
	size_t old_len;
	unsigned char *old = (unsigned char *)slurp(entry, &old_len);
	assert_non_null(old);
	assert_true(old_len >= HEADER);
	unsigned char *buf = malloc(HEADER + len + 1);
	assert_non_null(buf);
	memcpy(buf, old, HEADER); /* magic, format, key */
	uint64_t plen = len, sum = tm_hash(payload, len);
	memcpy(buf + 8 + 16, &plen, 8);
	memcpy(buf + 8 + 16 + 8, &sum, 8);
	memcpy(buf + HEADER, payload, len);
	spit(entry, buf, HEADER + len);
	free(buf);
	free(old);
}

static void forged_payloads_are_misses(void **state)
{
	(void)state;
	const char *text = "a: &x [1, 2]\nb: *x\nc: {d: e}\n";
	char *dir = temp_dir();
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	assert_non_null(c);
	assert_false(parse_hits(c, text, NULL));
	char *entry = only_entry(dir);
	size_t len;
	unsigned char *good = (unsigned char *)slurp(entry, &len), *p = good + HEADER;
	size_t plen = len - HEADER;
	assert_non_null(good);
	/* payload: syntax, positions, numbered (1: the file has aliases), u32 diagnostics (0 here),
	 * u64 values, u32 documents, records */
	assert_true(plen > 19 && p[2] == 1);
	unsigned char *bad = malloc(plen + 16);
	assert_non_null(bad);
	for (int variant = 0; variant < 11; variant++) {
		size_t n = plen;
		memcpy(bad, p, plen);
		switch (variant) {
		case 0: n = plen - 1; break;                   /* one byte short */
		case 1: bad[n++] = 0; break;                   /* one byte over */
		case 2: memset(bad + 3, 0xff, 4); break;       /* diagnostics past the end */
		case 3: memset(bad + 15, 0xff, 4); break;      /* documents past the end */
		case 4: bad[19] = 3; bad[20] = 0x7f; break;    /* the root refers to a record not made */
		case 5: bad[19] = 0x83; break;                 /* a kind that is none */
		case 6: bad[19] = 0x41 | 0x04; break;          /* an index on a small map */
		case 7: memset(bad + 20, 0xff, 4); bad[24] = 0x7f; break; /* a line past 32 bits */
		case 8: n = 19; break;                         /* documents announced, none there */
		case 9: bad[2] = 0; break;                     /* not numbered, yet a reference follows */
		case 10: bad[2] = 2; break;                    /* numbered neither yes nor no */
		}
		forge(entry, bad, n);
		if (parse_hits(c, text, NULL))
			fail_msg("forged payload %d: a hit", variant);
		assert_true(parse_hits(c, text, NULL)); /* written again */
	}
	/* the same bytes as written, under a forged (equal) header: still a hit */
	forge(entry, p, plen);
	assert_true(parse_hits(c, text, NULL));
	free(bad);
	free(good);
	free(entry);
	tm_parse_cache_close(c);
	remove_tree(dir);
}

/* The fuzz target's seeds (fuzz/corpus/parse_cache): a mode byte, then what the writer makes of a
 * real file (mode 0: its payload; mode 1: FIXED's payload, under the stale header the target keeps;
 * mode 3: FIXED's whole entry). They are compared with what this build writes, so a change of the
 * format that would leave the fuzzer seeded with misses fails here; TM_UPDATE_SEEDS=1 rewrites them.
 * A whole entry's key depends on the directory's secret and is not compared. */
static void fuzz_seeds_are_this_format(void **state)
{
	(void)state;
	static const char fixed[] = "kind: Fuzz\nlist: [&a {x: 1}, *a]\nmap: {k: v}\n"; /* the target's FIXED */
	static const struct {
		const char *name;
		int mode;
		bool jansson; /* parsed by jansson (a line past 64 bytes) */
		const char *text;
	} seeds[] = {
		{"aliases.entry", 0, false,
		 "base: &b {image: nginx, port: 80}\nlist: [*b, *b]\nref: *b\n? *b\n: alias as key\n"},
		{"big-map.entry", 0, false,
		 "key24: 0\nkey23: 1\nkey22: 2\nkey21: 3\nkey20: 4\nkey19: 5\nkey18: 6\nkey17: 7\nkey16: 8\n"
		 "key15: \"\\t\\t\"\nkey14: 10\nkey13: 11\nkey12: 12\nkey11: 13\nkey10: 14\nkey09: 15\nkey08: 16\n"
		 "key07: 17\nkey06: 18\nkey05: 19\nkey04: 20\nkey03: 21\nkey02: 22\nkey01: 23\nkey00: 24\n"
		 "? [complex, key]\n: 25\n"},
		{"diagnostics.entry", 0, false,
		 "\xef\xbb\xbfname: first\n<<: 5\nname: second\nbad: z\nblock: |\n  text\n"},
		{"documents.entry", 0, false, "--- \"\\t\"\n--- just text\n--- 42\n---\n"},
		{"empty.entry", 0, false, ""},
		{"fixed.entry", 0, false, fixed},
		{"jansson.entry", 0, true,
		 "{\"a/b\": {\"t~x\": 2.5}, \"k\": true, \"n\": null, \"list\": [1, \"v\", {\"deep\": [\"w\"]}]}\n"},
		{"moved-parent.entry", 0, false,
		 "k: &i {inner: {web: {image: nginx}}}\nk: *i\nother: *i\n"},
		{"stale-header.entry", 1, false, fixed},
		{"whole-file.entry", 3, false, fixed},
	};
	const char *src = getenv("TM_SOURCE_DIR");
	if (!src) {
		print_message("note: TM_SOURCE_DIR not set, the fuzz seeds are not checked\n");
		return;
	}
	bool update = getenv("TM_UPDATE_SEEDS") && *getenv("TM_UPDATE_SEEDS") == '1';
	for (size_t i = 0; i < TM_ARRAY_LEN(seeds); i++) {
		char *dir = temp_dir();
		tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
		assert_non_null(c);
		tm_limits lim;
		tm_limits_default(&lim);
		if (seeds[i].jansson)
			lim.jansson_line_bytes = 64;
		tm_file *f = NULL;
		tm_diag_list d;
		tm_diag_list_init(&d);
		if (tm_file_parse_cached(c, &f, "seed.yaml", seeds[i].text, strlen(seeds[i].text), &lim, &d))
			fail_msg("%s: its text does not parse", seeds[i].name);
		assert_true(!seeds[i].jansson || !tm_file_has_positions(f));
		tm_file_free(f);
		tm_diag_list_dispose(&d);
		tm_parse_cache_close(c);
		char *entry = only_entry(dir);
		size_t len = 0;
		unsigned char *bytes = (unsigned char *)slurp(entry, &len);
		assert_true(bytes && len > HEADER);
		size_t from = seeds[i].mode == 3 ? 0 : HEADER, n = 1 + len - from;
		unsigned char *want = malloc(n);
		assert_non_null(want);
		want[0] = (unsigned char)seeds[i].mode;
		memcpy(want + 1, bytes + from, len - from);
		char path[4400];
		snprintf(path, sizeof(path), "%s/fuzz/corpus/parse_cache/%s", src, seeds[i].name);
		if (update) {
			spit(path, want, n);
		} else {
			size_t hl = 0;
			unsigned char *have = (unsigned char *)slurp(path, &hl);
			if (seeds[i].mode == 3 && have && hl == n) /* the key: this directory's, not the seed's */
				memcpy(want + 1 + 8, have + 1 + 8, 16);
			if (!have || hl != n || memcmp(have, want, n))
				fail_msg("%s is not what this build writes (TM_UPDATE_SEEDS=1 ctest -R parse_cache rewrites the seeds)", path);
			free(have);
		}
		free(want);
		free(bytes);
		free(entry);
		remove_tree(dir);
	}
}

/* ---- files that do not parse --------------------------------------------------------------- */

static void failed_parses_are_not_cached(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"spec:\n  containers:\n\t- name: web\n",     /* tab indentation */
		"a: *nowhere\n",                              /* unknown alias */
		"label: caf\xe9\n",                           /* invalid utf-8 */
		"replicas: {{ .Values.replicas }}\n",         /* a template */
		"\xff\xfe" "a\0:\0",                          /* utf-16 */
		"a: [[[[[[1]]]]]]\n",                         /* deeper than the limit below */
	};
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_depth = 4;
	char *dir = temp_dir();
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	assert_non_null(c);
	for (size_t i = 0; i < TM_ARRAY_LEN(texts); i++) {
		size_t len = i == 4 ? 6 : strlen(texts[i]);
		for (int pass = 0; pass < 2; pass++) {
			char why[512];
			tm_diag_list d0, d;
			tm_diag_list_init(&d0);
			tm_diag_list_init(&d);
			tm_file *f0 = NULL, *f = (tm_file *)&f;
			int rc0 = tm_file_parse(&f0, "x.yaml", texts[i], len, &lim, &d0);
			int rc = tm_file_parse_cached(c, &f, pass ? "y.yaml" : "x.yaml", texts[i], len, &lim, &d);
			assert_int_not_equal(rc0, 0);
			assert_int_equal(rc, rc0);
			assert_null(f0);
			assert_null(f);
			assert_true(d0.count > 0);
			if (!same_diags(&d0, 0, &d, 0, pass ? "y.yaml" : "x.yaml", why, sizeof(why)))
				fail_msg("input %zu: %s", i, why);
			tm_diag_list_dispose(&d0);
			tm_diag_list_dispose(&d);
		}
		expect_stats(c, 0, 2 * (i + 1), 0);
	}
	entries e = list_entries(dir);
	assert_int_equal(e.n, 0);
	entries_free(&e);
	tm_parse_cache_close(c);
	remove_tree(dir);
}

/* A diagnostic list that keeps only a few: a parse whose diagnostics were dropped is not kept (a hit
 * could not give back what was lost), but it returns what tm_file_parse returns. */
static void dropped_diagnostics_are_not_cached(void **state)
{
	(void)state;
	const char *text = "a: 1\na: 2\na: 3\na: 4\n"; /* three duplicate-key errors */
	char *dir = temp_dir();
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	for (int pass = 0; pass < 2; pass++) {
		tm_diag_list d;
		tm_diag_list_init(&d);
		d.limit = 1;
		tm_file *f = NULL;
		assert_int_equal(tm_file_parse_cached(c, &f, "t.yaml", text, strlen(text), NULL, &d), 0);
		assert_int_equal(d.count, 1);
		assert_int_equal(d.dropped, 2);
		tm_file_free(f);
		tm_diag_list_dispose(&d);
	}
	expect_stats(c, 0, 2, 0);
	assert_true(parse_hits(c, text, NULL) == false); /* with every diagnostic kept: written */
	assert_true(parse_hits(c, text, NULL));
	tm_parse_cache_close(c);
	remove_tree(dir);
}

/* ---- pruning ------------------------------------------------------------------------------- */

/* An input of about 330 bytes, its own for each i. */
static void filler_text(char *text, size_t cap, int i)
{
	int n = snprintf(text, cap, "entry: %d\nfiller: \"", i);
	memset(text + n, 'a' + i % 26, 300);
	snprintf(text + n + 300, cap - (size_t)n - 300, "\"\n");
}

static void pruning_keeps_the_newest(void **state)
{
	(void)state;
	char *dir = temp_dir();
	const uint64_t bound = 4000;
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, bound);
	assert_non_null(c);
	enum { N = 16 };
	char *paths[N];
	uint64_t sizes[N];
	time_t base = time(NULL) - 10000;
	for (int i = 0; i < N; i++) {
		char text[400];
		filler_text(text, sizeof(text), i);
		entries before = list_entries(dir);
		assert_false(parse_hits(c, text, NULL));
		entries after = list_entries(dir);
		assert_int_equal(after.n, before.n + 1);
		/* the new entry; its age: the first written is the oldest, by minutes */
		paths[i] = NULL;
		for (size_t k = 0; k < after.n && !paths[i]; k++) {
			bool old = false;
			for (size_t j = 0; j < before.n; j++)
				old = old || !strcmp(before.paths[j], after.paths[k]);
			if (!old)
				paths[i] = strdup(after.paths[k]);
		}
		assert_non_null(paths[i]);
		struct timespec t[2] = {{base + 60 * i, 0}, {base + 60 * i, 0}};
		assert_int_equal(utimensat(AT_FDCWD, paths[i], t, 0), 0);
		struct stat st;
		assert_int_equal(stat(paths[i], &st), 0);
		sizes[i] = (uint64_t)st.st_size;
		entries_free(&before);
		entries_free(&after);
	}
	uint64_t total = dir_bytes(dir);
	assert_true(total > bound); /* nothing is pruned while open */
	tm_parse_cache_close(c);

	/* the newest survive, the oldest are gone, and no more went than needed to reach 3/4 */
	uint64_t left = dir_bytes(dir);
	assert_true(left <= bound / 4 * 3);
	int first_kept = N;
	for (int i = N - 1; i >= 0 && access(paths[i], F_OK) == 0; i--)
		first_kept = i;
	for (int i = 0; i < first_kept; i++)
		if (access(paths[i], F_OK) == 0)
			fail_msg("entry %d (older) kept while %d (newer) was removed", i, first_kept - 1);
	assert_true(first_kept > 0 && first_kept < N);
	assert_true(left + sizes[first_kept - 1] > bound / 4 * 3);
	uint64_t sum = 0;
	for (int i = first_kept; i < N; i++)
		sum += sizes[i];
	assert_int_equal(sum, left);
	char secret[4096];
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	assert_int_equal(access(secret, F_OK), 0); /* the secret is no entry */

	/* a cache that only read does not prune, even over its bound; one under its bound keeps all */
	c = tm_parse_cache_open(dir, SALT, 1);
	char text[400];
	filler_text(text, sizeof(text), N - 1);
	assert_true(parse_hits(c, text, NULL));
	tm_parse_cache_close(c);
	assert_int_equal(dir_bytes(dir), left);
	c = tm_parse_cache_open(dir, SALT, BIG);
	filler_text(text, sizeof(text), N);
	assert_false(parse_hits(c, text, NULL));
	tm_parse_cache_close(c);
	entries e = list_entries(dir);
	assert_int_equal(e.n, (size_t)(N - first_kept + 1));
	entries_free(&e);
	for (int i = 0; i < N; i++)
		free(paths[i]);
	remove_tree(dir);
}

/* The path of the one entry in after that is not in before (a copy to free). */
static char *added_entry(const entries *before, const entries *after)
{
	for (size_t k = 0; k < after->n; k++) {
		bool old = false;
		for (size_t j = 0; j < before->n; j++)
			old = old || !strcmp(before->paths[j], after->paths[k]);
		if (!old)
			return strdup(after->paths[k]);
	}
	fail_msg("no entry was added");
	return NULL;
}

/* Write the entry of filler i into c: its path (to free). */
static char *write_filler(tm_parse_cache *c, const char *dir, int i)
{
	char text[400];
	filler_text(text, sizeof(text), i);
	entries before = list_entries(dir);
	assert_false(parse_hits(c, text, NULL));
	entries after = list_entries(dir);
	char *path = added_entry(&before, &after);
	entries_free(&before);
	entries_free(&after);
	return path;
}

static uint64_t ledger_of(const char *dir)
{
	char path[4096], text[64] = "";
	snprintf(path, sizeof(path), "%s/size", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	assert_true(n > 0 && *end == '\0');
	return v;
}

static void set_ledger(const char *dir, const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/size", dir);
	spit(path, text, strlen(text));
}

static void age(const char *path, time_t when)
{
	struct timespec t[2] = {{when, 0}, {when, 0}};
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* The ledger follows what runs write, so a run under the bound never lists the directory: entries
 * put there behind its back (another program's, a ledger that lags) stay until the ledger says the
 * bound is reached; then the prune counts them all and the ledger holds the count again. */
static void ledger_keeps_the_size(void **state)
{
	(void)state;
	char *dir = temp_dir();
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	assert_non_null(c);
	free(write_filler(c, dir, 0));
	free(write_filler(c, dir, 1));
	tm_parse_cache_close(c);
	uint64_t two = dir_bytes(dir);
	assert_int_equal(ledger_of(dir), two); /* no ledger yet: the entries were counted */

	c = tm_parse_cache_open(dir, SALT, BIG);
	char *third = write_filler(c, dir, 2);
	tm_parse_cache_close(c);
	struct stat st;
	assert_int_equal(stat(third, &st), 0);
	assert_int_equal(ledger_of(dir), two + (uint64_t)st.st_size); /* added, not counted */
	free(third);

	/* a lagging ledger is believed while the bound is far: nothing is listed or removed */
	set_ledger(dir, "10");
	const uint64_t bound = 100000;
	c = tm_parse_cache_open(dir, SALT, bound);
	third = write_filler(c, dir, 3);
	tm_parse_cache_close(c);
	assert_int_equal(stat(third, &st), 0);
	assert_int_equal(ledger_of(dir), 10 + (uint64_t)st.st_size);
	free(third);

	/* past the bound by the ledger: counted again (nothing over the real bound, nothing removed) */
	char text[32];
	snprintf(text, sizeof(text), "%llu", (unsigned long long)(bound - 10));
	set_ledger(dir, text);
	c = tm_parse_cache_open(dir, SALT, bound);
	free(write_filler(c, dir, 4));
	tm_parse_cache_close(c);
	entries e = list_entries(dir);
	assert_int_equal(e.n, 5);
	entries_free(&e);
	assert_int_equal(ledger_of(dir), dir_bytes(dir));

	/* a damaged ledger, or one past what a number holds, is no ledger: counted */
	const char *bad[] = {"12x", "", "99999999999999999999999", "-5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		set_ledger(dir, bad[i]);
		c = tm_parse_cache_open(dir, SALT, BIG);
		free(write_filler(c, dir, 5 + (int)i));
		tm_parse_cache_close(c);
		assert_int_equal(ledger_of(dir), dir_bytes(dir));
	}
	/* a run that only read leaves the ledger alone */
	set_ledger(dir, "7");
	c = tm_parse_cache_open(dir, SALT, 1);
	char filler[400];
	filler_text(filler, sizeof(filler), 0);
	assert_true(parse_hits(c, filler, NULL));
	tm_parse_cache_close(c);
	assert_int_equal(ledger_of(dir), 7);
	remove_tree(dir);
}

/* An entry a run used is kept over one written later but not used since: a hit older than a day
 * renews the entry's time, and the prune removes by it. */
static void pruning_keeps_the_used(void **state)
{
	(void)state;
	char *dir = temp_dir();
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	char *used = write_filler(c, dir, 0), *unused = write_filler(c, dir, 1);
	tm_parse_cache_close(c);
	time_t now = time(NULL);
	age(used, now - 3 * 24 * 3600);
	age(unused, now - 2 * 24 * 3600);
	struct stat su, sn;
	assert_int_equal(stat(used, &su), 0);
	assert_int_equal(stat(unused, &sn), 0);

	/* room for two entries at three quarters of the bound, not for three */
	uint64_t bound = (uint64_t)su.st_size * 8 / 3 + (uint64_t)sn.st_size / 8;
	c = tm_parse_cache_open(dir, SALT, bound);
	char text[400];
	filler_text(text, sizeof(text), 0);
	assert_true(parse_hits(c, text, NULL));
	assert_int_equal(stat(used, &su), 0);
	assert_true(su.st_mtime >= now - 60); /* renewed on the hit */
	char *fresh = write_filler(c, dir, 2);
	tm_parse_cache_close(c);
	assert_int_equal(access(used, F_OK), 0);
	assert_int_equal(access(fresh, F_OK), 0);
	assert_int_not_equal(access(unused, F_OK), 0);
	assert_int_equal(ledger_of(dir), dir_bytes(dir));

	/* a hit within the day leaves the time as it is (no write per hit) */
	age(used, now - 3600);
	c = tm_parse_cache_open(dir, SALT, BIG);
	assert_true(parse_hits(c, text, NULL));
	tm_parse_cache_close(c);
	assert_int_equal(stat(used, &su), 0);
	assert_int_equal(su.st_mtime, now - 3600);
	free(used);
	free(unused);
	free(fresh);
	remove_tree(dir);
}

/* ---- where no cache can be, and no cache at all -------------------------------------------- */

static void unusable_locations_and_no_cache(void **state)
{
	(void)state;
	char *dir = temp_dir();
	char path[4096];
	/* root ignores permission bits, so unwritable here means impossible to create */
	snprintf(path, sizeof(path), "%s/file", dir);
	spit(path, "x", 1);
	snprintf(path, sizeof(path), "%s/file/cache", dir);
	assert_null(tm_parse_cache_open(path, SALT, BIG));    /* beneath a regular file */
	snprintf(path, sizeof(path), "%s/file", dir);
	assert_null(tm_parse_cache_open(path, SALT, BIG));    /* a regular file itself */
	assert_null(tm_parse_cache_open("/proc/trustmap-parse-cache/x", SALT, BIG)); /* no mkdir in /proc */
	assert_null(tm_parse_cache_open("", SALT, BIG));
	assert_null(tm_parse_cache_open(NULL, SALT, BIG));
	snprintf(path, sizeof(path), "%s/secret-is-a-dir", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/secret-is-a-dir/secret", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/secret-is-a-dir", dir);
	assert_null(tm_parse_cache_open(path, SALT, BIG));    /* no secret to be had */

	/* NULL: tm_file_parse and tm_file_load, results and diagnostics alike */
	size_t h, m, w;
	tm_parse_cache_stats(NULL, &h, &m, &w);
	assert_true(h == 0 && m == 0 && w == 0);
	tm_parse_cache_close(NULL);
	inputs in = all_inputs();
	static const char *const failing[] = {"a: *nowhere\n", "x: {{ .Values }}\n", "k: caf\xe9\n"};
	for (size_t i = 0; i < TM_ARRAY_LEN(failing); i++)
		add_text(&in, "failing", failing[i]);
	for (size_t i = 0; i < in.n; i++) {
		char why[512];
		tm_diag_list d0, d;
		tm_diag_list_init(&d0);
		tm_diag_list_init(&d);
		tm_file *f0 = NULL, *f = NULL;
		int rc0 = tm_file_parse(&f0, "n.yaml", in.items[i].text, in.items[i].len, NULL, &d0);
		int rc = tm_file_parse_cached(NULL, &f, "n.yaml", in.items[i].text, in.items[i].len, NULL, &d);
		assert_int_equal(rc, rc0);
		if (!same_file(f0, f, "n.yaml", why, sizeof(why), NULL) || !same_diags(&d0, 0, &d, 0, "n.yaml", why, sizeof(why)))
			fail_msg("%s: %s", in.items[i].name, why);
		tm_file_free(f0);
		tm_file_free(f);
		tm_diag_list_dispose(&d0);
		tm_diag_list_dispose(&d);
	}
	inputs_free(&in);

	snprintf(path, sizeof(path), "%s/in.yaml", dir);
	spit(path, "a: [1, 2]\na: 3\n", 15);
	static const char *const paths[] = {NULL, "/nonexistent/in.yaml"};
	for (size_t i = 0; i < 2; i++) {
		char why[512];
		const char *p = paths[i] ? paths[i] : path;
		tm_diag_list d0, d;
		tm_diag_list_init(&d0);
		tm_diag_list_init(&d);
		tm_file *f0 = NULL, *f = NULL;
		int rc0 = tm_file_load(&f0, p, "shown.yaml", NULL, &d0);
		int rc = tm_file_load_cached(NULL, &f, p, "shown.yaml", NULL, &d);
		assert_int_equal(rc, rc0);
		assert_int_equal(rc, i ? TM_EIO : 0);
		if (!same_file(f0, f, "shown.yaml", why, sizeof(why), NULL) ||
		    !same_diags(&d0, 0, &d, 0, "shown.yaml", why, sizeof(why)))
			fail_msg("load %s: %s", p, why);
		tm_file_free(f0);
		tm_file_free(f);
		tm_diag_list_dispose(&d0);
		tm_diag_list_dispose(&d);
	}
	remove_tree(dir);
}

/* ---- threads ------------------------------------------------------------------------------- */

/* What tm_file_parse makes of each input, under the default limits and under jansson's: read by
 * both threads, written by none. */
typedef struct {
	tm_file *f;
	tm_diag_list d;
	int rc;
} expected;

typedef struct {
	tm_parse_cache *c;
	const inputs *in;
	const expected *want[2];
	const tm_limits *lim[2];
	int id;
	size_t calls;
	char why[600]; /* empty while every result was right */
} worker;

static void *work(void *arg)
{
	worker *wk = arg;
	for (int round = 0; round < 4 && !wk->why[0]; round++) {
		for (size_t k = 0; k < wk->in->n && !wk->why[0]; k++) {
			/* the two threads walk the inputs in opposite orders, so they meet in the middle */
			size_t i = wk->id ? wk->in->n - 1 - k : k;
			const input *x = &wk->in->items[i];
			const expected *e = &wk->want[round % 2][i];
			char shown[64], why[512];
			snprintf(shown, sizeof(shown), "t%d/r%d.yaml", wk->id, round);
			tm_diag_list d;
			tm_diag_list_init(&d);
			tm_file *f = NULL;
			int rc = tm_file_parse_cached(wk->c, &f, shown, x->text, x->len, wk->lim[round % 2], &d);
			wk->calls++;
			if (rc != e->rc)
				snprintf(wk->why, sizeof(wk->why), "%s: returned %d, expected %d", x->name, rc, e->rc);
			else if (!same_file(e->f, f, shown, why, sizeof(why), NULL) ||
				 !same_diags(&e->d, 0, &d, 0, shown, why, sizeof(why)))
				snprintf(wk->why, sizeof(wk->why), "%s, round %d: %s", x->name, round, why);
			tm_file_free(f);
			tm_diag_list_dispose(&d);
		}
	}
	return NULL;
}

static void threads_share_one_cache(void **state)
{
	(void)state;
	char *dir = temp_dir();
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	assert_non_null(c);
	inputs in = all_inputs();
	tm_limits jansson;
	tm_limits_default(&jansson);
	jansson.jansson_line_bytes = 64;
	const tm_limits *lim[2] = {NULL, &jansson};
	expected *want[2];
	for (int l = 0; l < 2; l++) {
		want[l] = calloc(in.n, sizeof(*want[l]));
		assert_non_null(want[l]);
		for (size_t i = 0; i < in.n; i++) {
			tm_diag_list_init(&want[l][i].d);
			want[l][i].rc = tm_file_parse(&want[l][i].f, "direct.yaml", in.items[i].text, in.items[i].len, lim[l],
						      &want[l][i].d);
		}
	}
	worker w[2];
	pthread_t t[2];
	for (int i = 0; i < 2; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].c = c;
		w[i].in = &in;
		w[i].want[0] = want[0];
		w[i].want[1] = want[1];
		w[i].lim[0] = lim[0];
		w[i].lim[1] = lim[1];
		w[i].id = i;
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < 2; i++)
		if (w[i].why[0])
			fail_msg("thread %d: %s", i, w[i].why);
	size_t h, m, wr;
	tm_parse_cache_stats(c, &h, &m, &wr);
	assert_int_equal(h + m, w[0].calls + w[1].calls);
	/* in rounds 2 and 3 every file that parses hits: each thread wrote it in round 0 or 1 */
	size_t nok[2] = {0, 0};
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < in.n; i++)
			nok[l] += want[l][i].rc == 0;
	assert_true(h >= 2 * (nok[0] + nok[1]));
	assert_true(wr <= m);
	tm_parse_cache_close(c);
	for (int l = 0; l < 2; l++) {
		for (size_t i = 0; i < in.n; i++) {
			tm_file_free(want[l][i].f);
			tm_diag_list_dispose(&want[l][i].d);
		}
		free(want[l]);
	}
	inputs_free(&in);
	remove_tree(dir);
}

/* ---- sharing between takers (the two sides of a diff) --------------------------------------- */

typedef struct {
	tm_parse_cache *c;
	const inputs *in;
	const tm_limits *lim;
	const char *shown; /* the display path this taker asks under */
	tm_file **got;     /* per input */
	int *rc;
	tm_diag_list *d;
} taker;

static void *take_all(void *arg)
{
	taker *t = arg;
	for (size_t i = 0; i < t->in->n; i++) {
		tm_diag_list_init(&t->d[i]);
		t->rc[i] = tm_file_parse_cached(t->c, &t->got[i], t->shown, t->in->items[i].text, t->in->items[i].len,
						t->lim, &t->d[i]);
	}
	return NULL;
}

static void takers_free(taker *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tm_file_free(t->got[i]);
		tm_diag_list_dispose(&t->d[i]);
	}
	free(t->got);
	free(t->rc);
	free(t->d);
}

static void taker_init(taker *t, tm_parse_cache *c, const inputs *in, const tm_limits *lim, const char *shown)
{
	*t = (taker){c, in, lim, shown, calloc(in->n, sizeof(tm_file *)), calloc(in->n, sizeof(int)),
		     calloc(in->n, sizeof(tm_diag_list))};
	assert_true(t->got && t->rc && t->d);
}

/* Two takers asking for every input under one display path, at once or one after the other, get one
 * tree each (the same, for a file that parsed with positions), the direct parse's result and
 * diagnostics; a tree located by pointer (jansson) is each one's own; a third taker, or another
 * display path, parses again. Bytes that occur twice in the list are asked for twice by each taker: a
 * taker that runs ahead takes both of its own asks from one entry and the other parses on its own, so
 * which of them shares depends on timing and only the result is checked (the order 'one after the
 * other' makes that timing certain; a CI run once met it at once). Each frees what it got, after the
 * cache let go of the rest: nothing leaks, nothing is freed twice. */
static void shared_between_takers(void **state)
{
	(void)state;
	inputs in = all_inputs();
	tm_limits jansson;
	tm_limits_default(&jansson);
	jansson.jansson_line_bytes = 64;
	const tm_limits *lims[2] = {NULL, &jansson};
	for (int run = 0; run < 8; run++) {
		int order = run >> 2, disk = run >> 1 & 1, l = run & 1; /* order 1: one taker after the other */
		char *dir = disk ? temp_dir() : NULL;
		tm_parse_cache *c = disk ? tm_parse_cache_open(dir, SALT, BIG) : tm_parse_cache_open_memory();
		assert_non_null(c);
		tm_parse_cache_share(c, 2);
		taker t[4];
		pthread_t th[2];
		taker_init(&t[0], c, &in, lims[l], "same/path.yaml");
		taker_init(&t[1], c, &in, lims[l], "same/path.yaml");
		for (int k = 0; k < 2; k++) {
			assert_int_equal(pthread_create(&th[k], NULL, take_all, &t[k]), 0);
			if (order)
				assert_int_equal(pthread_join(th[k], NULL), 0);
		}
		for (int k = 0; k < 2 && !order; k++)
			assert_int_equal(pthread_join(th[k], NULL), 0);
		taker_init(&t[2], c, &in, lims[l], "same/path.yaml"); /* a third: its own */
		take_all(&t[2]);
		taker_init(&t[3], c, &in, lims[l], "other/path.yaml");
		take_all(&t[3]);
		size_t shared = 0;
		for (size_t i = 0; i < in.n; i++) {
			tm_diag_list d0;
			tm_diag_list_init(&d0);
			tm_file *f0 = NULL;
			int rc0 = tm_file_parse(&f0, "same/path.yaml", in.items[i].text, in.items[i].len, lims[l], &d0);
			char why[512];
			for (int k = 0; k < 3; k++) {
				if (t[k].rc[i] != rc0)
					fail_msg("%s, taker %d: returned %d, parse %d", in.items[i].name, k, t[k].rc[i], rc0);
				if (!same_file(f0, t[k].got[i], "same/path.yaml", why, sizeof(why), NULL) ||
				    !same_diags(&d0, 0, &t[k].d[i], 0, "same/path.yaml", why, sizeof(why)))
					fail_msg("%s, taker %d: %s", in.items[i].name, k, why);
			}
			bool positions = f0 && tm_file_has_positions(f0), twice = false;
			for (size_t k = 0; k < in.n && !twice; k++) /* the same bytes elsewhere: shared by timing */
				twice = k != i && in.items[k].len == in.items[i].len &&
					!memcmp(in.items[k].text, in.items[i].text, in.items[i].len);
			if (twice) {
				/* the result is checked above; which taker shared it depends on timing */
			} else if (t[0].got[i] && positions) {
				assert_ptr_equal(t[0].got[i], t[1].got[i]);
				shared++;
			} else if (t[0].got[i]) {
				assert_ptr_not_equal(t[0].got[i], t[1].got[i]);
			}
			if (t[2].got[i] && t[0].got[i])
				assert_ptr_not_equal(t[2].got[i], t[0].got[i]);
			if (t[3].got[i]) {
				if (t[0].got[i])
					assert_ptr_not_equal(t[3].got[i], t[0].got[i]);
				assert_string_equal(tm_file_path(t[3].got[i]), "other/path.yaml");
			}
			tm_file_free(f0);
			tm_diag_list_dispose(&d0);
		}
		assert_true(shared > 10);
		if (disk) { /* each file that parsed was stored once, whoever asked first */
			size_t h, m, wr;
			tm_parse_cache_stats(c, &h, &m, &wr);
			assert_true(wr > 0 && wr <= shared + in.n);
		}
		tm_parse_cache_share(c, 0); /* the files only t[3] asked for are let go */
		for (int k = 0; k < 4; k++)
			takers_free(&t[k], in.n);
		tm_parse_cache_close(c);
		if (dir)
			remove_tree(dir);
	}
	inputs_free(&in);
}

/* ---- the directory's secret ---------------------------------------------------------------- */

static void read_secret(const char *dir, unsigned char out[192])
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/secret", dir);
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 192);
	size_t len;
	char *data = slurp(path, &len);
	assert_non_null(data);
	memcpy(out, data, 192);
	free(data);
}

static void secret_is_private_and_kept(void **state)
{
	(void)state;
	char *top = temp_dir(), dir[4096];
	snprintf(dir, sizeof(dir), "%s/made/by/open", top);
	const char *text = "a: 1\n";
	unsigned char s1[192], s2[192];
	tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
	assert_non_null(c);
	read_secret(dir, s1);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_false(parse_hits(c, text, NULL));
	char *entry = only_entry(dir);
	assert_int_equal(stat(entry, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	*strrchr(entry, '/') = '\0';
	assert_int_equal(stat(entry, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(entry);
	tm_parse_cache_close(c);

	/* opened again: the same secret, so the same key, so a hit */
	c = tm_parse_cache_open(dir, SALT, BIG);
	assert_non_null(c);
	read_secret(dir, s2);
	assert_memory_equal(s1, s2, 192);
	assert_true(parse_hits(c, text, NULL));
	tm_parse_cache_close(c);

	/* another directory has its own secret: the same file has another key there */
	char other[4096];
	snprintf(other, sizeof(other), "%s/other", top);
	c = tm_parse_cache_open(other, SALT, BIG);
	assert_non_null(c);
	read_secret(other, s2);
	assert_memory_not_equal(s1, s2, 192);
	assert_false(parse_hits(c, text, NULL));
	tm_parse_cache_close(c);
	char *e1 = only_entry(dir), *e2 = only_entry(other);
	assert_string_not_equal(strrchr(e1, '/'), strrchr(e2, '/'));
	free(e1);
	free(e2);
	remove_tree(top);
}

/* A secret that is there but unusable (cut short by a crash, emptied, a link) is replaced, not a
 * reason to go without a cache for good; the entries made under the old one are then misses. */
static void damaged_secret_is_replaced(void **state)
{
	(void)state;
	const char *text = "a: 1\n";
	for (int how = 0; how < 3; how++) {
		char *dir = temp_dir(), path[4096], aside[4096];
		unsigned char s1[192], s2[192];
		tm_parse_cache *c = tm_parse_cache_open(dir, SALT, BIG);
		assert_non_null(c);
		assert_false(parse_hits(c, text, NULL));
		tm_parse_cache_close(c);
		read_secret(dir, s1);
		snprintf(path, sizeof(path), "%s/secret", dir);
		snprintf(aside, sizeof(aside), "%s/aside", dir);
		if (how == 0)
			truncate_to(path, 0);
		else if (how == 1)
			truncate_to(path, 100);
		else {
			assert_int_equal(rename(path, aside), 0);
			assert_int_equal(symlink(aside, path), 0);
		}
		c = tm_parse_cache_open(dir, SALT, BIG);
		if (!c)
			fail_msg("secret damaged (%d): the cache cannot be opened", how);
		read_secret(dir, s2);
		assert_memory_not_equal(s1, s2, 192);
		assert_false(parse_hits(c, text, NULL));
		assert_true(parse_hits(c, text, NULL));
		tm_parse_cache_close(c);
		c = tm_parse_cache_open(dir, SALT, BIG);
		assert_true(parse_hits(c, text, NULL));
		tm_parse_cache_close(c);
		if (how == 2) { /* what the link pointed at is untouched */
			size_t len;
			char *data = slurp(aside, &len);
			assert_true(data && len == 192 && !memcmp(data, s1, 192));
			free(data);
		}
		remove_tree(dir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_every_input),
		cmocka_unit_test(load_cached_from_disk),
		cmocka_unit_test(large_entries_are_mapped),
		cmocka_unit_test(files_known_on_disk),
		cmocka_unit_test(aliases_stay_shared),
		cmocka_unit_test(alias_met_before_its_parent),
		cmocka_unit_test(salt_and_limits_are_part_of_the_key),
		cmocka_unit_test(damaged_entries_are_misses),
		cmocka_unit_test(forged_payloads_are_misses),
		cmocka_unit_test(fuzz_seeds_are_this_format),
		cmocka_unit_test(failed_parses_are_not_cached),
		cmocka_unit_test(dropped_diagnostics_are_not_cached),
		cmocka_unit_test(pruning_keeps_the_newest),
		cmocka_unit_test(ledger_keeps_the_size),
		cmocka_unit_test(pruning_keeps_the_used),
		cmocka_unit_test(unusable_locations_and_no_cache),
		cmocka_unit_test(threads_share_one_cache),
		cmocka_unit_test(shared_between_takers),
		cmocka_unit_test(files_known_among_many),
		cmocka_unit_test(files_known_lying_slots),
		cmocka_unit_test(secret_is_private_and_kept),
		cmocka_unit_test(damaged_secret_is_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
