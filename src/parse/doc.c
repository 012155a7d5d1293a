/*
 * doc.c - tm_file: checks on raw bytes, then YAML or JSON parsing, and the accessors.
 *
 * The byte-level checks run before any parser sees the input, so every parser
 * gets valid UTF-8 without a BOM, and a binary file or an unrendered template
 * is explained instead of producing a cascade of syntax errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"

void tm_limits_default(tm_limits *out)
{
	out->max_file_bytes = 64u << 20;
	out->max_depth = 256;
	out->max_nodes = 8u << 20;
	out->max_scalar_bytes = 16u << 20;
	out->max_alias_expansion = 1u << 20;
	out->max_documents = 100000;
	out->jansson_line_bytes = 64u << 10;
}

void tm_limits_words(const tm_limits *l, uint64_t out[TM_LIMITS_WORDS])
{
	out[0] = l->max_file_bytes;
	out[1] = l->max_depth;
	out[2] = l->max_nodes;
	out[3] = l->max_scalar_bytes;
	out[4] = l->max_alias_expansion;
	out[5] = l->max_documents;
	out[6] = l->jansson_line_bytes;
}

bool tm_limits_same(const tm_limits *a, const tm_limits *b)
{
	uint64_t wa[TM_LIMITS_WORDS], wb[TM_LIMITS_WORDS];
	tm_limits_words(a, wa);
	tm_limits_words(b, wb);
	return memcmp(wa, wb, sizeof(wa)) == 0;
}

tm_loc tm_parse__loc(const tm_parse_ctx *ctx, uint32_t line, uint32_t col)
{
	tm_loc l = {ctx->file->path, line, col, NULL};
	return l;
}

int tm_parse__add_doc(tm_file *f, tm_value *root)
{
	if (TM_GROW(f->docs, f->cap, f->ndocs + 1))
		return TM_ENOMEM;
	f->docs[f->ndocs++] = root;
	return 0;
}

static int key_cmp3(const tm_value *a, const char *key, size_t len)
{
	size_t n = a->len < len ? a->len : len;
	int c = memcmp(a->u.str, key, n);
	if (c)
		return c;
	return a->len < len ? -1 : a->len > len ? 1 : 0;
}

struct keyed {
	const tm_value *key;
	uint32_t pair;
};

static int keyed_cmp(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	bool as = a->key->kind == TM_VALUE_SCALAR, bs = b->key->kind == TM_VALUE_SCALAR;
	if (!as || !bs)
		return as == bs ? (a->pair < b->pair ? -1 : 1) : as ? -1 : 1; /* non-scalar keys last */
	int c = key_cmp3(a->key, b->key->u.str, b->key->len);
	if (c)
		return c;
	return a->pair < b->pair ? -1 : 1;
}

int tm_parse__index_map(tm_arena *arena, tm_value *map)
{
	if (map->kind != TM_VALUE_MAP || map->len <= TM_MAP_INDEX_MIN)
		return 0;
	size_t n = map->len;
	tm_value **kids = tm_arena_alloc(arena, 2 * n * sizeof(tm_value *) + n * sizeof(uint32_t));
	struct keyed *tmp = tm_malloc(n * sizeof(*tmp));
	if (!kids || !tmp) {
		tm_free(tmp);
		return TM_ENOMEM;
	}
	memcpy(kids, map->u.kids, 2 * n * sizeof(tm_value *));
	for (size_t i = 0; i < n; i++) {
		tmp[i].key = kids[2 * i];
		tmp[i].pair = (uint32_t)i;
	}
	qsort(tmp, n, sizeof(*tmp), keyed_cmp);
	uint32_t *order = (uint32_t *)(kids + 2 * n);
	for (size_t i = 0; i < n; i++)
		order[i] = tmp[i].pair;
	tm_free(tmp);
	map->u.kids = kids;
	map->flags |= TM_VF_INDEXED;
	return 0;
}

void tm_file_ref(tm_file *f)
{
	atomic_fetch_add(&f->extra_refs, 1);
}

void tm_file_free(tm_file *f)
{
	if (!f || atomic_fetch_sub(&f->extra_refs, 1) > 0)
		return;
	tm_parse__free_rendered(f);
	tm_free(f->docs);
	tm_arena_free(f->arena);
	if (f->map)
		munmap(f->map, f->map_len);
	tm_free(f);
}

static size_t longest_line(const char *buf, size_t len)
{
	size_t best = 0, start = 0;
	for (;;) {
		const char *nl = memchr(buf + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - buf) : len;
		if (end - start > best)
			best = end - start;
		if (!nl)
			return best;
		start = end + 1;
	}
}

static bool only_blank_or_comments(const char *buf, size_t len)
{
	bool in_comment = false;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (c == '\n')
			in_comment = false;
		else if (in_comment)
			continue;
		else if (c == '#')
			in_comment = true;
		else if (c != ' ' && c != '\t' && c != '\r')
			return false;
	}
	return true;
}

static char first_significant(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n')
			return buf[i];
	return 0;
}

int tm_file_parse(tm_file **out, const char *path, const char *buf, size_t len,
		  const tm_limits *limits, tm_diag_list *diags)
{
	tm_limits deflim;
	tm_file *f = NULL;
	int rc = 0;
	*out = NULL;
	if (!limits) {
		tm_limits_default(&deflim);
		limits = &deflim;
	}
	f = tm_calloc(1, sizeof(*f));
	if (!f || !(f->arena = tm_arena_new()) || !(f->path = tm_arena_strdup(f->arena, path))) {
		rc = TM_ENOMEM;
		goto done;
	}
	f->positions = true;
	f->digest = tm_hash(buf, len);
	tm_parse_ctx ctx = {f, limits, diags, buf, len};
	tm_loc top = {f->path, 1, 1, NULL};

	if (len > limits->max_file_bytes) {
		tm_diag_add(diags, TM_ELIMIT, TM_LEVEL_ERROR, top,
			    "file is %zu bytes, over the limit of %zu", len, limits->max_file_bytes);
		rc = TM_ELIMIT;
		goto done;
	}
	if (len >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
			 ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF))) {
		tm_diag_add(diags, TM_EINVALID, TM_LEVEL_ERROR, top,
			    "utf-16 encoded file; convert it to utf-8");
		rc = TM_EINVALID;
		goto done;
	}
	size_t probe = len < 8000 ? len : 8000;
	if (memchr(buf, '\0', probe)) {
		tm_diag_add(diags, TM_EINVALID, TM_LEVEL_WARNING, top, "binary file, not yaml or json");
		rc = TM_EINVALID;
		goto done;
	}
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		tm_diag_add(diags, 0, TM_LEVEL_NOTE, top, "utf-8 byte order mark ignored");
		buf += 3;
		len -= 3;
		ctx.buf = buf;
		ctx.len = len;
	}
	size_t bad = tm_utf8_check((const unsigned char *)buf, len);
	if (bad < len) {
		uint32_t line, col;
		tm_offset_to_linecol(buf, len, bad, &line, &col);
		tm_diag_add(diags, TM_EINVALID, TM_LEVEL_ERROR, tm_parse__loc(&ctx, line, col),
			    "invalid utf-8 (byte 0x%02x)", (unsigned char)buf[bad]);
		rc = TM_EINVALID;
		goto done;
	}
	if (only_blank_or_comments(buf, len)) {
		tm_diag_add(diags, 0, TM_LEVEL_NOTE, top, "empty file");
		goto done; /* a file with no documents */
	}
	long tpl = tm_parse__find_template(buf, len);
	if (tpl >= 0) {
		uint32_t line, col;
		tm_offset_to_linecol(buf, len, (size_t)tpl, &line, &col);
		tm_diag_add(diags, TM_EUNSUPPORTED, TM_LEVEL_WARNING, tm_parse__loc(&ctx, line, col),
			    "go template, not rendered: render it (helm template, kustomize build) and scan the output");
		rc = TM_EUNSUPPORTED;
		goto done;
	}
	char first = first_significant(buf, len);
	if ((first == '{' || first == '[') && longest_line(buf, len) > limits->jansson_line_bytes) {
		f->syntax = TM_SYNTAX_JSON;
		rc = tm_parse__json(&ctx);
	} else {
		f->syntax = (first == '{' || first == '[') ? TM_SYNTAX_JSON : TM_SYNTAX_YAML;
		rc = tm_parse__yaml(&ctx);
	}
done:
	if (rc) {
		tm_file_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

int tm_file__read_fd(int fd, const struct stat *st, const char *shown, const tm_limits *limits, tm_diag_list *diags,
		    char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	tm_loc top = {shown, 0, 0, NULL};
	if ((uint64_t)st->st_size > limits->max_file_bytes) {
		tm_diag_add(diags, TM_ELIMIT, TM_LEVEL_ERROR, top, "file is %lld bytes, over the limit of %zu",
			    (long long)st->st_size, limits->max_file_bytes);
		return TM_ELIMIT;
	}
	size_t size = (size_t)st->st_size, got;
	char *buf = tm_malloc(size + 1);
	if (!buf)
		return TM_ENOMEM;
	if (tm_read_fd(fd, buf, size, &got) || got != size) {
		tm_diag_add(diags, TM_EIO, TM_LEVEL_ERROR, top, "read error");
		tm_free(buf);
		return TM_EIO;
	}
	buf[size] = '\0';
	*out = buf;
	*len = size;
	return 0;
}

int tm_file__open(const char *path, const char *shown, struct stat *st, tm_diag_list *diags)
{
	const char *why;
	int fd = tm_open_regular(path, st, &why);
	if (fd < 0) {
		tm_loc top = {shown, 0, 0, NULL};
		tm_diag_add(diags, TM_EIO, TM_LEVEL_ERROR, top, "cannot read: %s", why);
	}
	return fd;
}

int tm_file__read(const char *path, const char *display_path, const tm_limits *limits, tm_diag_list *diags,
		 char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	struct stat st;
	const char *shown = display_path ? display_path : path;
	int fd = tm_file__open(path, shown, &st, diags);
	if (fd < 0)
		return TM_EIO;
	int rc = tm_file__read_fd(fd, &st, shown, limits, diags, out, len);
	close(fd);
	return rc;
}

int tm_file_load(tm_file **out, const char *path, const char *display_path,
		 const tm_limits *limits, tm_diag_list *diags)
{
	tm_limits deflim;
	*out = NULL;
	if (!limits) {
		tm_limits_default(&deflim);
		limits = &deflim;
	}
	char *buf;
	size_t len;
	int rc = tm_file__read(path, display_path, limits, diags, &buf, &len);
	if (!rc)
		rc = tm_file_parse(out, display_path ? display_path : path, buf, len, limits, diags);
	tm_free(buf);
	return rc;
}

uint64_t tm_file_digest(const tm_file *f) { return f->digest; }

const char *tm_file_path(const tm_file *f)
{
	return f->path;
}

tm_syntax tm_file_syntax(const tm_file *f)
{
	return f->syntax;
}

bool tm_file_has_positions(const tm_file *f)
{
	return f->positions;
}

size_t tm_file_doc_count(const tm_file *f)
{
	return f->ndocs;
}

const tm_value *tm_file_doc(const tm_file *f, size_t i)
{
	return i < f->ndocs ? f->docs[i] : NULL;
}

size_t tm_file_value_count(const tm_file *f)
{
	return f->nvalues;
}

/* Every accessor takes NULL (an absent value: a key not in the map, an index past the end) and
 * answers as for an empty null scalar, so a lookup chain never needs a check per step. */
tm_value_kind tm_value_kind_of(const tm_value *v)
{
	return v ? (tm_value_kind)v->kind : TM_VALUE_SCALAR;
}

uint32_t tm_value_line(const tm_value *v)
{
	return v ? v->line : 0;
}

uint32_t tm_value_col(const tm_value *v)
{
	return v ? v->col : 0;
}

/* Append the RFC 6901 pointer of v to sb (parents first). */
static void pointer_of(tm_strbuf *sb, const tm_value *v, uint32_t depth)
{
	const tm_value *p = v->parent;
	if (!p || depth > 512)
		return;
	pointer_of(sb, p, depth + 1);
	tm_strbuf_putc(sb, '/');
	for (uint32_t i = 0; i < p->len; i++) {
		if (p->kind == TM_VALUE_SEQ && p->u.kids[i] == v) {
			tm_strbuf_printf(sb, "%u", (unsigned)i);
			return;
		}
		if (p->kind == TM_VALUE_MAP && (p->u.kids[2 * i + 1] == v || p->u.kids[2 * i] == v)) {
			const tm_value *k = p->u.kids[2 * i];
			for (uint32_t c = 0; k->kind == TM_VALUE_SCALAR && c < k->len; c++) {
				char ch = k->u.str[c];
				if (ch == '~')
					tm_strbuf_puts(sb, "~0");
				else if (ch == '/')
					tm_strbuf_puts(sb, "~1");
				else
					tm_strbuf_putc(sb, ch);
			}
			return;
		}
	}
}

tm_loc tm_value_loc(const tm_file *f, const tm_value *v)
{
	tm_loc l = {f->path, v ? v->line : 0, v ? v->col : 0, NULL};
	if (v && (f->origins.count || f->lm_len)) {
		bool found;
		l = tm_parse__origin_loc(f, v, &found);
		if (found)
			return l;
	}
	if (v && !f->positions) {
		tm_strbuf sb = TM_STRBUF_INIT;
		pointer_of(&sb, v, 0);
		if (!sb.oom)
			l.pointer = tm_arena_strndup(f->arena, sb.data ? sb.data : "", sb.len);
		tm_strbuf_dispose(&sb);
	}
	return l;
}

size_t tm_value_len(const tm_value *v)
{
	return v && v->kind != TM_VALUE_SCALAR ? v->len : 0;
}

tm_scalar_type tm_scalar_type_of(const tm_value *v)
{
	return v ? (tm_scalar_type)v->type : TM_SCALAR_NULL;
}

const char *tm_scalar_str(const tm_value *v, size_t *len)
{
	if (!v || v->kind != TM_VALUE_SCALAR)
		return NULL;
	if (len)
		*len = v->len;
	return v->u.str;
}

bool tm_scalar_quoted(const tm_value *v)
{
	return v && (v->flags & TM_VF_QUOTED);
}

bool tm_value_replaces(const tm_value *v)
{
	return v && (v->flags & TM_VF_REPLACE);
}

bool tm_value_resets(const tm_value *v)
{
	return v && (v->flags & TM_VF_REPLACE) &&
	       (v->kind == TM_VALUE_SCALAR ? v->type == TM_SCALAR_NULL : v->type == TM_VALUE_RESET_MARK);
}

int tm_scalar_bool(const tm_value *v, bool *out)
{
	if (!v || v->kind != TM_VALUE_SCALAR || v->type != TM_SCALAR_BOOL)
		return TM_EINVALID;
	char c = v->u.str[0];
	/* true, yes, on, y (any case) are true; false, no, off, n are false */
	*out = c == 't' || c == 'T' || c == 'y' || c == 'Y' ||
	       ((c == 'o' || c == 'O') && (v->u.str[1] == 'n' || v->u.str[1] == 'N'));
	return 0;
}

int tm_scalar_int(const tm_value *v, int64_t *out)
{
	if (!v || v->kind != TM_VALUE_SCALAR || v->type != TM_SCALAR_INT)
		return TM_EINVALID;
	char digits[72];
	size_t n = 0;
	const char *s = v->u.str;
	size_t len = v->len;
	bool neg = false;
	if (len && (*s == '-' || *s == '+')) {
		neg = *s == '-';
		s++, len--;
	}
	int base = 10;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2, len -= 2;
	else if (len > 2 && s[0] == '0' && s[1] == 'o')
		base = 8, s += 2, len -= 2;
	else if (len > 2 && s[0] == '0' && s[1] == 'b')
		base = 2, s += 2, len -= 2;
	else if (len > 1 && s[0] == '0')
		base = 8; /* YAML 1.1 octal, as in file modes (0644) */
	if (neg)
		digits[n++] = '-';
	for (size_t i = 0; i < len && n < sizeof(digits) - 1; i++)
		if (s[i] != '_')
			digits[n++] = s[i];
	return tm_parse_i64(digits, n, base, out);
}

const tm_value *tm_seq_at(const tm_value *v, size_t i)
{
	if (!v || v->kind != TM_VALUE_SEQ || i >= v->len)
		return NULL;
	return v->u.kids[i];
}

const tm_value *tm_map_key(const tm_value *v, size_t i)
{
	if (!v || v->kind != TM_VALUE_MAP || i >= v->len)
		return NULL;
	return v->u.kids[2 * i];
}

const tm_value *tm_map_value(const tm_value *v, size_t i)
{
	if (!v || v->kind != TM_VALUE_MAP || i >= v->len)
		return NULL;
	return v->u.kids[2 * i + 1];
}

const tm_value *tm_map_get(const tm_value *v, const char *key)
{
	if (!v || v->kind != TM_VALUE_MAP)
		return NULL;
	size_t klen = strlen(key);
	if (v->flags & TM_VF_INDEXED) {
		const uint32_t *order = (const uint32_t *)(v->u.kids + 2 * (size_t)v->len);
		size_t lo = 0, hi = v->len;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const tm_value *k = v->u.kids[2 * order[mid]];
			int c = k->kind == TM_VALUE_SCALAR ? key_cmp3(k, key, klen) : 1;
			if (c == 0)
				return v->u.kids[2 * order[mid] + 1];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return NULL;
	}
	for (uint32_t i = 0; i < v->len; i++) {
		const tm_value *k = v->u.kids[2 * i];
		if (k->kind == TM_VALUE_SCALAR && k->len == klen && memcmp(k->u.str, key, klen) == 0)
			return v->u.kids[2 * i + 1];
	}
	return NULL;
}

const char *tm_map_get_str(const tm_value *v, const char *key)
{
	return tm_scalar_str(tm_map_get(v, key), NULL);
}

/* Deeper than any document the parser builds (limits.max_depth): a guard, not a limit in use. */
#define SAME_DEPTH_MAX 512

static bool same_at(const tm_value *a, const tm_value *b, int depth)
{
	if (a == b)
		return true;
	if (!a || !b || depth > SAME_DEPTH_MAX || tm_value_kind_of(a) != tm_value_kind_of(b) ||
	    tm_value_len(a) != tm_value_len(b))
		return false; /* (a key one map has and the other lacks: b is NULL) */
	switch (tm_value_kind_of(a)) {
	case TM_VALUE_SCALAR: {
		size_t la = 0, lb = 0;
		const char *sa = tm_scalar_str(a, &la), *sb = tm_scalar_str(b, &lb);
		return la == lb && (!la || (sa && sb && memcmp(sa, sb, la) == 0));
	}
	case TM_VALUE_SEQ:
		for (size_t i = 0; i < tm_value_len(a); i++)
			if (!same_at(tm_seq_at(a, i), tm_seq_at(b, i), depth + 1))
				return false;
		return true;
	case TM_VALUE_MAP:
		for (size_t i = 0; i < tm_value_len(a); i++) {
			const char *k = tm_scalar_str(tm_map_key(a, i), NULL);
			if (!k || !same_at(tm_map_value(a, i), tm_map_get(b, k), depth + 1))
				return false;
		}
		return true;
	}
	return false;
}

bool tm_value_same(const tm_value *a, const tm_value *b)
{
	return same_at(a, b, 0);
}

static uint64_t mix64(uint64_t x) /* a finaliser: every input bit moves every output bit */
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t hash_at(const tm_value *v, int depth)
{
	if (!v || depth > SAME_DEPTH_MAX)
		return 0;
	size_t n = tm_value_len(v);
	uint64_t h = mix64(((uint64_t)tm_value_kind_of(v) << 32) ^ n);
	switch (tm_value_kind_of(v)) {
	case TM_VALUE_SCALAR: {
		size_t len = 0;
		const char *s = tm_scalar_str(v, &len);
		return h ^ (s ? tm_hash(s, len) : 0);
	}
	case TM_VALUE_SEQ: /* in order */
		for (size_t i = 0; i < n; i++)
			h = mix64(h ^ hash_at(tm_seq_at(v, i), depth + 1));
		return h;
	case TM_VALUE_MAP: { /* a sum of the pairs' hashes: the same whatever their order */
		uint64_t sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += mix64(hash_at(tm_map_key(v, i), depth + 1) * 31 + hash_at(tm_map_value(v, i), depth + 1));
		return mix64(h ^ sum);
	}
	}
	return h;
}

uint64_t tm_value_hash(const tm_value *v)
{
	return hash_at(v, 0);
}
