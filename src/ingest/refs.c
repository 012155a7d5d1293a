/*
 * refs.c - $ref resolution across the files of one scan (see ingest.h).
 *
 * Resolution is a walk over trees that are already parsed: no file is parsed
 * twice, whatever the number of references to it (DigitalOcean's spec has
 * thousands). Files are keyed by their normalised display path, so
 * "a/../b/c.yaml" and "b/c.yaml" are one file. A problem with a reference is
 * diagnosed once per $ref value, however often a walk meets it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "parse/parse.h"

#define MAX_HOPS 64

struct entry {
	const tm_file *f; /* NULL if it could not be parsed */
	char *fs_path;
	char *display;
	bool owned;
	bool referenced;
	const tm_file *referrer; /* the first file that referenced it */
};

struct tm_refs {
	tm_arena *arena;
	const tm_limits *limits;
	tm_diag_list *diags;
	tm_hmap by_display; /* display -> struct entry* */
	tm_hmap by_file;    /* tm_file address -> struct entry* */
	struct entry **entries;
	size_t n, cap;
	char **roots;
	size_t nroots, cap_roots;
	tm_hmap reported;   /* $ref value address -> itself */
	tm_hmap resolved;   /* referring file's address + $ref text -> tm_ref_target*, for the ones that resolved */
	size_t disk;        /* targets looked for on the disk, outside the scanned files (tm_refs_disk_lookups) */
};

size_t tm_refs_disk_lookups(const tm_refs *r) { return r ? r->disk : 0; }

tm_refs *tm_refs_new(tm_arena *arena, const tm_limits *limits, tm_diag_list *diags)
{
	tm_refs *r = tm_calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->arena = arena;
	r->limits = limits;
	r->diags = diags;
	return r;
}

void tm_refs_free(tm_refs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		if (r->entries[i]->owned)
			tm_file_free((tm_file *)r->entries[i]->f);
	tm_free(r->entries);
	tm_free(r->roots);
	tm_hmap_dispose(&r->by_display);
	tm_hmap_dispose(&r->by_file);
	tm_hmap_dispose(&r->reported);
	tm_hmap_dispose(&r->resolved);
	tm_free(r);
}

int tm_refs_add_root(tm_refs *r, const char *real_dir)
{
	char *copy = tm_arena_strdup(r->arena, real_dir);
	if (!copy || TM_GROW(r->roots, r->cap_roots, r->nroots + 1))
		return TM_ENOMEM;
	r->roots[r->nroots++] = copy;
	return 0;
}

static struct entry *add_entry(tm_refs *r, const tm_file *f, const char *fs_path, const char *display,
			       bool owned)
{
	struct entry *e = tm_arena_alloc(r->arena, sizeof(*e));
	if (!e || TM_GROW(r->entries, r->cap, r->n + 1))
		return NULL;
	e->f = f;
	e->owned = owned;
	e->fs_path = tm_arena_strdup(r->arena, fs_path);
	e->display = tm_arena_strdup(r->arena, display);
	if (!e->fs_path || !e->display || tm_hmap_put(&r->by_display, e->display, strlen(e->display), e))
		return NULL;
	if (f) {
		char *key = tm_arena_printf(r->arena, "%p", (const void *)f);
		if (!key || tm_hmap_put(&r->by_file, key, strlen(key), e))
			return NULL;
	}
	r->entries[r->n++] = e;
	return e;
}

int tm_refs_add_file(tm_refs *r, const tm_file *f, const char *fs_path)
{
	return add_entry(r, f, fs_path, tm_file_path(f), false) ? 0 : TM_ENOMEM;
}

static struct entry *entry_of(tm_refs *r, const tm_file *f)
{
	char key[32];
	tm_formatf(key, sizeof(key), "%p", (const void *)f);
	return tm_hmap_get(&r->by_file, key, strlen(key));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 32);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode %XX escapes (the URI form of a $ref) into out, NUL-terminated. */
static void percent_decode(const char *s, size_t len, tm_strbuf *out)
{
	for (size_t i = 0; i < len;) {
		/* the run up to the next '%' (most pointers have none) in one write */
		const char *pct = memchr(s + i, '%', len - i);
		size_t run = pct ? (size_t)(pct - (s + i)) : len - i;
		tm_strbuf_put(out, s + i, run);
		if ((i += run) >= len)
			break;
		int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
		int lo = i + 2 < len ? hexval(s[i + 2]) : -1;
		if (hi >= 0 && lo >= 0) {
			tm_strbuf_putc(out, (char)(hi * 16 + lo));
			i += 3;
		} else {
			tm_strbuf_putc(out, '%');
			i++;
		}
	}
	tm_strbuf_put(out, "", 0);
}

/*
 * Join the directory of base with rel and normalise "." and "..". Returns false
 * when ".." climbs above the start of a relative display path.
 */
static bool normalise(const char *base, const char *rel, tm_strbuf *out)
{
	tm_strbuf joined = TM_STRBUF_INIT;
	if (rel[0] != '/') {
		const char *slash = strrchr(base, '/');
		if (slash)
			tm_strbuf_put(&joined, base, (size_t)(slash - base) + 1);
	}
	tm_strbuf_puts(&joined, rel);
	bool absolute = joined.data && joined.data[0] == '/';
	const char *segs[256];
	size_t lens[256], n = 0;
	bool ok = !joined.oom;
	for (const char *p = joined.data ? joined.data : ""; ok && *p;) {
		const char *e = strchr(p, '/');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == 0 || (l == 1 && p[0] == '.')) {
			/* skip */
		} else if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (n == 0)
				ok = false;
			else
				n--;
		} else if (n < 256) {
			segs[n] = p;
			lens[n++] = l;
		} else {
			ok = false;
		}
		p = e ? e + 1 : p + l;
	}
	tm_strbuf_reset(out);
	if (absolute)
		tm_strbuf_putc(out, '/');
	for (size_t i = 0; i < n; i++) {
		if (i)
			tm_strbuf_putc(out, '/');
		tm_strbuf_put(out, segs[i], lens[i]);
	}
	tm_strbuf_put(out, "", 0);
	tm_strbuf_dispose(&joined);
	return ok && !out->oom;
}

static bool inside_roots(const tm_refs *r, const char *real)
{
	for (size_t i = 0; i < r->nroots; i++) {
		size_t n = strlen(r->roots[i]);
		if (strcmp(r->roots[i], "/") == 0 ||
		    (strncmp(real, r->roots[i], n) == 0 && (real[n] == '/' || real[n] == '\0')))
			return true;
	}
	return false;
}

static void report(tm_refs *r, const tm_file *from, const tm_value *refv, tm_level level, int code,
		   const char *fmt, const char *ref, const char *extra)
{
	char key[32];
	int kl = tm_formatf(key, sizeof(key), "%p", (const void *)refv);
	if (tm_hmap_get(&r->reported, key, (size_t)kl))
		return;
	char *k = tm_arena_strndup(r->arena, key, (size_t)kl);
	if (k)
		tm_hmap_put(&r->reported, k, (size_t)kl, k);
	tm_diag_add(r->diags, code, level, tm_value_loc(from, refv), fmt, ref, extra ? extra : "");
}

/* The file a $ref's file part names, relative to from; NULL (diagnosed) if none. */
static struct entry *target_file(tm_refs *r, const tm_file *from, const tm_value *refv,
				 const char *ref, const char *file_part)
{
	struct entry *src = entry_of(r, from);
	tm_strbuf disp = TM_STRBUF_INIT, fs = TM_STRBUF_INIT;
	struct entry *e = NULL;
	if (!src)
		goto done;
	if (!normalise(tm_file_path(from), file_part, &disp)) {
		report(r, from, refv, TM_LEVEL_ERROR, TM_EINVALID,
		       "$ref '%.200s' leaves the scanned root; not followed%s", ref, NULL);
		goto done;
	}
	e = tm_hmap_get(&r->by_display, disp.data, disp.len);
	if (e)
		goto done;
	/* not scanned yet: find it next to the referring file, inside a root */
	r->disk++;
	if (!normalise(src->fs_path, file_part, &fs))
		goto done;
	char real[PATH_MAX];
	if (!realpath(fs.data, real)) {
		report(r, from, refv, TM_LEVEL_ERROR, TM_ENOTFOUND,
		       "$ref '%.200s': file not found%s", ref, NULL);
		goto done;
	}
	if (!inside_roots(r, real)) {
		report(r, from, refv, TM_LEVEL_ERROR, TM_EINVALID,
		       "$ref '%.200s' leaves the scanned root; not followed%s", ref, NULL);
		goto done;
	}
	tm_file *f = NULL;
	tm_file_load(&f, real, disp.data, r->limits, r->diags);
	e = add_entry(r, f, fs.data, disp.data, true);
	if (!e)
		tm_file_free(f);
done:
	if (e && !e->f) {
		report(r, from, refv, TM_LEVEL_ERROR, TM_EPARSE,
		       "$ref '%.200s': the target file could not be parsed%s", ref, NULL);
		e = NULL;
	}
	tm_strbuf_dispose(&disp);
	tm_strbuf_dispose(&fs);
	return e;
}

static int follow(tm_refs *r, const tm_file *from, const tm_value *v, tm_ref_target *out, int depth);

static const char *ref_string(const tm_value *v)
{
	if (!v || tm_value_kind_of(v) != TM_VALUE_MAP)
		return NULL;
	const tm_value *ref = tm_map_get(v, "$ref");
	return ref ? tm_scalar_str(ref, NULL) : NULL;
}

/*
 * Walk an RFC 6901 pointer (already percent-decoded) from the root of *file.
 * A step into a mapping that is itself only a $ref ("schemas: {$ref: schemas.json}")
 * follows that reference first, as split specs expect; *file follows along.
 */
static const tm_value *walk_pointer(tm_refs *r, const tm_file **file, const char *ptr, int depth)
{
	const tm_value *v = tm_file_doc(*file, 0);
	if (!*ptr)
		return v;
	if (*ptr != '/' || depth > 8)
		return NULL;
	char tok[1024];
	const char *p = ptr + 1;
	for (;;) {
		size_t n = 0;
		while (*p && *p != '/' && n < sizeof(tok) - 1) {
			if (p[0] == '~' && p[1] == '1')
				tok[n++] = '/', p += 2;
			else if (p[0] == '~' && p[1] == '0')
				tok[n++] = '~', p += 2;
			else
				tok[n++] = *p++;
		}
		tok[n] = '\0';
		if (!v)
			return NULL;
		if (tm_value_kind_of(v) == TM_VALUE_MAP && !tm_map_get(v, tok) && ref_string(v)) {
			tm_ref_target t;
			if (follow(r, *file, v, &t, depth + 1) != 1)
				return NULL;
			*file = t.file;
			v = t.value;
		}
		if (tm_value_kind_of(v) == TM_VALUE_MAP) {
			v = tm_map_get(v, tok);
		} else if (tm_value_kind_of(v) == TM_VALUE_SEQ) {
			int64_t idx;
			if (tm_parse_i64(tok, n, 10, &idx) || idx < 0)
				return NULL;
			v = tm_seq_at(v, (size_t)idx);
		} else {
			return NULL;
		}
		if (*p != '/')
			break;
		p++;
	}
	return *p ? NULL : v;
}

/* A reference that resolved resolves the same way from the same file every time (the files do not
 * change during a scan, and a file's place is fixed once registered): its target is kept by the
 * referring file and the text, so a schema used a thousand times is looked up once. One that did
 * not is followed again, which diagnoses it once per $ref value as before. */
int tm_refs_follow(tm_refs *r, const tm_file *from, const tm_value *v, tm_ref_target *out)
{
	const char *ref = ref_string(v);
	if (!ref)
		return 0;
	size_t rl = strlen(ref);
	char stack[256], *key = rl + sizeof(from) <= sizeof(stack) ? stack : tm_malloc(rl + sizeof(from));
	if (key) {
		memcpy(key, &from, sizeof(from));
		memcpy(key + sizeof(from), ref, rl);
		const tm_ref_target *had = tm_hmap_get(&r->resolved, key, rl + sizeof(from));
		if (had) {
			*out = *had;
			if (key != stack)
				tm_free(key);
			return 1;
		}
	}
	int rc = follow(r, from, v, out, 0);
	if (rc == 1 && key) {
		/* kept in the scan's arena, the key with it; memory run out: followed again next time */
		char *k = tm_arena_alloc(r->arena, rl + sizeof(from));
		tm_ref_target *t = tm_arena_alloc(r->arena, sizeof(*t));
		if (k && t) {
			memcpy(k, key, rl + sizeof(from));
			*t = *out;
			(void)tm_hmap_put(&r->resolved, k, rl + sizeof(from), t);
		}
	}
	if (key != stack)
		tm_free(key);
	return rc;
}

static int follow(tm_refs *r, const tm_file *from, const tm_value *v, tm_ref_target *out, int depth)
{
	const char *ref = ref_string(v);
	if (!ref)
		return 0;
	const tm_file *cur_file = from;
	const tm_value *cur = v;
	const tm_value *seen[MAX_HOPS];
	for (int hop = 0; hop < MAX_HOPS; hop++) {
		const tm_value *refv = tm_map_get(cur, "$ref");
		if (strstr(ref, "://") || strncmp(ref, "//", 2) == 0) {
			report(r, cur_file, refv, TM_LEVEL_WARNING, TM_EUNSUPPORTED,
			       "remote $ref '%.200s' is not fetched%s", ref, NULL);
			return TM_EUNSUPPORTED;
		}
		const char *hash = strchr(ref, '#');
		size_t flen = hash ? (size_t)(hash - ref) : strlen(ref);
		const tm_file *tf = cur_file;
		if (flen) {
			tm_strbuf fp = TM_STRBUF_INIT;
			percent_decode(ref, flen, &fp);
			struct entry *e = fp.oom ? NULL : target_file(r, cur_file, refv, ref, fp.data);
			tm_strbuf_dispose(&fp);
			if (!e)
				return TM_ENOTFOUND;
			if (!e->referenced)
				e->referrer = cur_file;
			e->referenced = true;
			tf = e->f;
		}
		tm_strbuf ptr = TM_STRBUF_INIT;
		const char *frag = hash ? hash + 1 : "";
		percent_decode(frag, strlen(frag), &ptr);
		const tm_value *target = ptr.oom ? NULL : walk_pointer(r, &tf, ptr.data, depth);
		tm_strbuf_dispose(&ptr);
		if (!target) {
			report(r, cur_file, refv, TM_LEVEL_ERROR, TM_ENOTFOUND,
			       "$ref '%.200s': no such location in the target%s", ref, NULL);
			return TM_ENOTFOUND;
		}
		const char *next = ref_string(target);
		if (!next) {
			out->file = tf;
			out->value = target;
			return 1;
		}
		for (int k = 0; k < hop; k++)
			if (seen[k] == target) {
				report(r, from, tm_map_get(v, "$ref"), TM_LEVEL_WARNING, TM_EINVALID,
				       "$ref '%.200s' is part of a reference cycle%s", tm_scalar_str(tm_map_get(v, "$ref"), NULL),
				       NULL);
				return TM_EINVALID;
			}
		seen[hop] = target;
		cur = target;
		cur_file = tf;
		ref = next;
	}
	report(r, from, tm_map_get(v, "$ref"), TM_LEVEL_WARNING, TM_ELIMIT,
	       "$ref '%.200s' starts a chain of more than 64 references%s",
	       tm_scalar_str(tm_map_get(v, "$ref"), NULL), NULL);
	return TM_ELIMIT;
}

const tm_value *tm_refs_deref(tm_refs *r, const tm_file **file, const tm_value *v)
{
	tm_ref_target t;
	int rc = tm_refs_follow(r, *file, v, &t);
	if (rc == 0)
		return v;
	if (rc < 0)
		return NULL;
	*file = t.file;
	return t.value;
}

void tm_refs_each_referenced(tm_refs *r, void (*fn)(void *ud, const tm_file *f, const tm_file *by),
			     void *ud)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->entries[i]->referenced && r->entries[i]->f)
			fn(ud, r->entries[i]->f, r->entries[i]->referrer);
}
