/*
 * yaml.c - build tm_value trees from libfyaml's event stream.
 *
 * We use events, not libfyaml's document tree: the tree costs 10-20x the input
 * in memory, events stream at several times the speed. Containers under
 * construction sit on a frame stack; their children collect in one shared
 * scratch vector and are copied into the arena when the container closes, so
 * each value costs one fixed-size record plus its share of a pointer array.
 *
 * Aliases point at the anchored value (no copy). Each anchored value records
 * what expanding it would cost; every alias adds that cost to the document's
 * budget, and a document over limits->max_alias_expansion is refused, which
 * stops a "billion laughs" after a few hundred events.
 *
 * A syntax error ends a YAML stream for libfyaml. For multi-document files we
 * restart after the next "---" line, so one broken manifest in a kubectl
 * bundle costs only itself. JSON Lines files are read line by line, each line
 * a document (json_lines below).
 */
#include <libfyaml.h>
#include <stdio.h>

#include "parse.h"

struct frame {
	tm_value *v;
	size_t kids_start;  /* index into scratch */
	size_t cost_start;  /* doc cost when the container opened */
	const char *anchor; /* registered when the container closes */
	size_t anchor_len;
};

struct anchor {
	const tm_value *v;
	size_t cost;
};

typedef struct {
	tm_parse_ctx *ctx;
	uint32_t line_base; /* lines before the slice being parsed */
	size_t slice_off;   /* byte offset of the slice in ctx->buf */
	struct frame *frames;
	size_t nframes, cap_frames;
	tm_value **scratch;
	size_t nscratch, cap_scratch;
	tm_hmap anchors;     /* name -> struct anchor*, per document */
	tm_arena *scratch_arena; /* anchor records and names, per document */
	size_t cost;         /* values, aliases expanded, in the current document */
	size_t expanded;     /* values reached only through aliases */
	tm_value *root;
	struct fy_mark last;  /* the latest position seen, for values without a token */
	int failed;          /* the current document was abandoned */
	int fatal;           /* stop the whole file */
	int code;            /* the first error's TM_E* code */
	size_t err_off;      /* slice-relative offset of the error */
	size_t doc_off;      /* slice-relative offset of the current document's start */
	size_t max_docs;     /* the documents limit of this stream */
} builder;

static void fail_at(builder *b, int code, const struct fy_mark *m, const char *fmt, const char *arg)
{
	uint32_t line = m ? (uint32_t)m->line + 1 + b->line_base : 0;
	uint32_t col = m ? (uint32_t)m->column + 1 : 0;
	tm_diag_add(b->ctx->diags, code, TM_LEVEL_ERROR, tm_parse__loc(b->ctx, line, col), fmt, arg);
	b->failed = 1;
	if (!b->code)
		b->code = code;
	if (m)
		b->err_off = m->input_pos;
}

static tm_value *new_value(builder *b, tm_value_kind kind, const struct fy_mark *m)
{
	tm_parse_ctx *ctx = b->ctx;
	/* an implicit value (the null in "key:") has no token: place it where the parser stands */
	if (!m)
		m = &b->last;
	else
		b->last = *m;
	if (ctx->file->nvalues >= ctx->limits->max_nodes) {
		fail_at(b, TM_ELIMIT, m, "document has more than %s values (limit)", "the allowed");
		b->fatal = 1;
		return NULL;
	}
	tm_value *v = tm_arena_alloc(ctx->file->arena, sizeof(*v));
	if (!v) {
		fail_at(b, TM_ENOMEM, m, "%s", "out of memory");
		b->fatal = 1;
		return NULL;
	}
	v->kind = (uint8_t)kind;
	if (m) {
		v->line = (uint32_t)m->line + 1 + b->line_base;
		v->col = (uint32_t)m->column + 1;
	}
	ctx->file->nvalues++;
	b->cost++;
	return v;
}

static int push_kid(builder *b, tm_value *v)
{
	if (TM_GROW(b->scratch, b->cap_scratch, b->nscratch + 1)) {
		b->fatal = b->failed = 1;
		return TM_ENOMEM;
	}
	b->scratch[b->nscratch++] = v;
	return 0;
}

/* Attach a finished value to the open container, or make it the root. */
static void attach(builder *b, tm_value *v)
{
	if (b->nframes) {
		v->parent = b->frames[b->nframes - 1].v;
		push_kid(b, v);
	} else {
		b->root = v;
	}
}

static const char *token_text(struct fy_token *t, size_t *len)
{
	*len = 0;
	if (!t)
		return NULL;
	const char *s = fy_token_get_text(t, len);
	return s;
}

static void register_anchor(builder *b, const char *name, size_t len, const tm_value *v, size_t cost)
{
	struct anchor *a = tm_arena_alloc(b->scratch_arena, sizeof(*a));
	char *key = a ? tm_arena_strndup(b->scratch_arena, name, len) : NULL;
	if (!key || tm_hmap_put(&b->anchors, key, len, a)) {
		b->fatal = b->failed = 1;
		return;
	}
	a->v = v;
	a->cost = cost;
}

static bool key_eq(const tm_value *a, const tm_value *b)
{
	return a->kind == TM_VALUE_SCALAR && b->kind == TM_VALUE_SCALAR && a->len == b->len &&
	       memcmp(a->u.str, b->u.str, a->len) == 0;
}

static bool is_merge_key(const tm_value *k)
{
	return k->kind == TM_VALUE_SCALAR && !(k->flags & TM_VF_QUOTED) && k->len == 2 &&
	       k->u.str[0] == '<' && k->u.str[1] == '<';
}

/*
 * Close a mapping: apply merge keys (<<: *base), then drop earlier duplicates
 * of a key (last one wins, as in most JSON readers) with a diagnostic.
 * The 2*n pairs sit at b->scratch[start...]. Merging pushes onto scratch, which
 * may move it, so pairs are addressed by index (PAIR), never by a saved pointer.
 * Returns the number of pairs kept.
 */
#define PAIR(i) (b->scratch[start + (i)])
static size_t finish_map(builder *b, size_t start, size_t n)
{
	size_t merges = 0;
	for (size_t i = 0; i < n; i++)
		merges += is_merge_key(PAIR(2 * i));
	if (merges) {
		/* merged pairs go behind the explicit ones, beyond the container's children */
		size_t out = 0;
		size_t base = b->nscratch;
		for (size_t i = 0; i < n; i++) {
			tm_value *k = PAIR(2 * i), *v = PAIR(2 * i + 1);
			if (!is_merge_key(k)) {
				PAIR(2 * out) = k;
				PAIR(2 * out + 1) = v;
				out++;
				continue;
			}
			size_t nsrc = v->kind == TM_VALUE_SEQ ? v->len : 1;
			for (size_t s = 0; s < nsrc; s++) {
				const tm_value *src = v->kind == TM_VALUE_SEQ ? v->u.kids[s] : v;
				if (src->kind != TM_VALUE_MAP) {
					tm_diag_add(b->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING,
						    tm_parse__loc(b->ctx, k->line, k->col),
						    "merge key value is not a mapping; ignored");
					continue;
				}
				for (size_t j = 0; j < src->len; j++) {
					if (push_kid(b, src->u.kids[2 * j]) ||
					    push_kid(b, src->u.kids[2 * j + 1])) {
						b->nscratch = base;
						return out;
					}
					b->cost++;
				}
			}
		}
		/* merged pairs lose to explicit keys and to earlier merges */
		for (size_t j = base; j + 1 < b->nscratch; j += 2) {
			bool shadowed = false;
			for (size_t i = 0; i < out && !shadowed; i++)
				shadowed = key_eq(PAIR(2 * i), b->scratch[j]);
			if (!shadowed) {
				/* out pairs never reach base: base >= start + 2n >= start + 2out */
				tm_value *mk = b->scratch[j], *mv = b->scratch[j + 1];
				PAIR(2 * out) = mk;
				PAIR(2 * out + 1) = mv;
				out++;
			}
		}
		b->nscratch = base;
		n = out;
	}

	/* Duplicate keys: small maps pairwise, large ones through a hash map. */
	tm_hmap seen = TM_HMAP_INIT;
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		tm_value *k = PAIR(2 * i);
		long dup = -1;
		if (k->kind == TM_VALUE_SCALAR) {
			if (n <= 16) {
				for (size_t j = 0; j < out; j++)
					if (key_eq(PAIR(2 * j), k)) {
						dup = (long)j;
						break;
					}
			} else {
				void *hit = tm_hmap_get(&seen, k->u.str, k->len);
				if (hit)
					dup = (long)((uintptr_t)hit - 1);
				else if (tm_hmap_put(&seen, k->u.str, k->len, (void *)(uintptr_t)(out + 1)))
					b->fatal = b->failed = 1;
			}
		}
		if (dup >= 0) {
			const tm_value *first = PAIR(2 * dup);
			tm_diag_add(b->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING,
				    tm_parse__loc(b->ctx, k->line, k->col),
				    "duplicate key '%.80s' (first at line %u); the last value is used",
				    k->u.str, (unsigned)first->line);
			PAIR(2 * dup + 1) = PAIR(2 * i + 1);
			continue;
		}
		PAIR(2 * out) = k;
		PAIR(2 * out + 1) = PAIR(2 * i + 1);
		out++;
	}
	tm_hmap_dispose(&seen);
	return out;
}
#undef PAIR

/* Compose's merge tags: 1 for !override (the value replaces what an earlier file set), 2 for !reset
 * (the key is unset, whatever is written), 0 for none. */
static int replace_tag(struct fy_token *tag)
{
	size_t n;
	const char *t = token_text(tag, &n);
	return !t ? 0 : n == 9 && memcmp(t, "!override", 9) == 0 ? 1 : n == 6 && memcmp(t, "!reset", 6) == 0 ? 2 : 0;
}

static void open_container(builder *b, struct fy_event *ev, tm_value_kind kind, struct fy_token *anchor,
			   struct fy_token *tag)
{
	const struct fy_mark *m = fy_event_start_mark(ev);
	if (b->nframes >= b->ctx->limits->max_depth) {
		char lim[32];
		tm_formatf(lim, sizeof(lim), "%u", (unsigned)b->ctx->limits->max_depth);
		fail_at(b, TM_ELIMIT, m, "nesting deeper than %s levels (limit)", lim);
		return;
	}
	tm_value *v = new_value(b, kind, m);
	if (!v)
		return;
	int merge = replace_tag(tag);
	if (merge)
		v->flags |= TM_VF_REPLACE;
	if (merge == 2) /* !reset of a mapping or list: marked in the type a container does not use */
		v->type = TM_VALUE_RESET_MARK;
	if (TM_GROW(b->frames, b->cap_frames, b->nframes + 1)) {
		b->fatal = b->failed = 1;
		return;
	}
	struct frame *f = &b->frames[b->nframes++];
	f->v = v;
	f->kids_start = b->nscratch;
	f->cost_start = b->cost;
	f->anchor = token_text(anchor, &f->anchor_len);
	/* the anchor text is owned by the event; keep a copy until the container closes */
	if (f->anchor)
		f->anchor = tm_arena_strndup(b->scratch_arena, f->anchor, f->anchor_len);
}

static void close_container(builder *b)
{
	struct frame f = b->frames[--b->nframes];
	tm_value *v = f.v;
	size_t n = b->nscratch - f.kids_start;
	if (v->kind == TM_VALUE_MAP)
		n = finish_map(b, f.kids_start, n / 2) * 2;
	if (b->failed)
		return;
	if (n) {
		tm_value **kids = b->scratch + f.kids_start; /* only when there are kids: scratch may be NULL */
		v->u.kids = tm_arena_alloc(b->ctx->file->arena, n * sizeof(tm_value *));
		if (!v->u.kids) {
			b->fatal = b->failed = 1;
			return;
		}
		memcpy(v->u.kids, kids, n * sizeof(tm_value *));
	}
	v->len = (uint32_t)(v->kind == TM_VALUE_MAP ? n / 2 : n);
	if (tm_parse__index_map(b->ctx->file->arena, v)) {
		b->fatal = b->failed = 1;
		return;
	}
	b->nscratch = f.kids_start;
	if (f.anchor)
		register_anchor(b, f.anchor, f.anchor_len, v, b->cost - f.cost_start);
	attach(b, v);
}

/* A block scalar ("|", ">") running to the end of an input without a final line break has none
 * to keep (YAML 1.2 8.1.1.2: chomping keeps the final break if there is one); libfyaml 0.7 adds
 * one anyway, go-yaml (kustomize, kubectl) does not. The text length without it. */
static size_t block_at_eof(const builder *b, struct fy_event *ev, const char *text, size_t len)
{
	enum fy_scalar_style style = fy_token_scalar_style(ev->scalar.value);
	if ((style != FYSS_LITERAL && style != FYSS_FOLDED) || !len || text[len - 1] != '\n')
		return len;
	const struct fy_mark *end = fy_token_end_mark(ev->scalar.value);
	const tm_parse_ctx *ctx = b->ctx;
	if (!end || !ctx->len || ctx->buf[ctx->len - 1] == '\n' ||
	    b->slice_off + end->input_pos < ctx->len)
		return len;
	return len - 1;
}

static void on_scalar(builder *b, struct fy_event *ev)
{
	const struct fy_mark *m = fy_event_start_mark(ev);
	size_t len;
	const char *text = token_text(ev->scalar.value, &len);
	if (!text)
		text = "", len = 0;
	if (len > b->ctx->limits->max_scalar_bytes) {
		fail_at(b, TM_ELIMIT, m, "scalar longer than %s (limit)", "the allowed size");
		return;
	}
	len = block_at_eof(b, ev, text, len);
	tm_value *v = new_value(b, TM_VALUE_SCALAR, m);
	if (!v)
		return;
	v->u.str = tm_arena_strndup(b->ctx->file->arena, text, len);
	if (!v->u.str) {
		b->fatal = b->failed = 1;
		return;
	}
	v->len = (uint32_t)len;
	enum fy_scalar_style style = fy_token_scalar_style(ev->scalar.value);
	size_t tlen;
	const char *tag = token_text(ev->scalar.tag, &tlen);
	int tagged = tag ? tm_parse__resolve_tag(tag, tlen) : -1;
	int merge = replace_tag(ev->scalar.tag); /* compose's merge tags: the value reads as untagged */
	if (merge) {
		v->flags |= TM_VF_REPLACE;
		tag = NULL;
		if (merge == 2) { /* !reset: whatever is written, the key is unset */
			tagged = TM_SCALAR_NULL;
			v->u.str = "";
			v->len = 0;
		}
	}
	if (tagged >= 0) {
		v->type = (uint8_t)tagged;
		if (tagged == TM_SCALAR_STR)
			v->flags |= TM_VF_QUOTED;
	} else if (style != FYSS_PLAIN || tag) {
		v->type = TM_SCALAR_STR;
		v->flags |= TM_VF_QUOTED;
	} else {
		v->type = (uint8_t)tm_parse__resolve_plain(v->u.str, len);
	}
	size_t alen;
	const char *anchor = token_text(ev->scalar.anchor, &alen);
	if (anchor)
		register_anchor(b, anchor, alen, v, 1);
	attach(b, v);
}

static void on_alias(builder *b, struct fy_event *ev)
{
	/* libfyaml marks the alias at its name; point at the '*' that starts it */
	struct fy_mark at = {0, 0, 0};
	const struct fy_mark *m = fy_event_start_mark(ev);
	if (m) {
		at = *m;
		if (at.column > 0)
			at.column--;
		m = &at;
	}
	size_t len;
	const char *name = token_text(ev->alias.anchor, &len);
	struct anchor *a = name ? tm_hmap_get(&b->anchors, name, len) : NULL;
	if (!a) {
		char nm[64];
		tm_formatf(nm, sizeof(nm), "%.*s", (int)(len < 60 ? len : 60), name ? name : "");
		fail_at(b, TM_EPARSE, m, "alias '*%s' refers to no earlier anchor", nm);
		return;
	}
	b->cost += a->cost;
	b->expanded += a->cost;
	if (b->expanded > b->ctx->limits->max_alias_expansion) {
		fail_at(b, TM_ELIMIT, m, "%s",
			"aliases expand to too many values (limit); refusing a possible 'billion laughs' document");
		b->fatal = 1; /* such files are hostile: do not try the next document */
		return;
	}
	/* Share the anchored value. Its parent stays the first occurrence's. */
	b->ctx->file->shared = true;
	if (b->nframes)
		push_kid(b, (tm_value *)a->v);
	else
		b->root = (tm_value *)a->v;
}

static void start_document(builder *b)
{
	b->nframes = 0;
	b->nscratch = 0;
	b->root = NULL;
	b->failed = 0;
	b->cost = b->expanded = 0;
	tm_hmap_dispose(&b->anchors);
	tm_arena_free(b->scratch_arena);
	b->scratch_arena = tm_arena_new();
	if (!b->scratch_arena)
		b->fatal = b->failed = 1;
}

/* A tab in the indentation of the line holding the error explains most libfyaml tab errors. */
static bool tab_indent(const char *buf, size_t len, uint32_t line)
{
	uint32_t l = 1;
	size_t i = 0;
	while (i < len && l < line)
		if (buf[i++] == '\n')
			l++;
	for (; i < len && (buf[i] == ' ' || buf[i] == '\t'); i++)
		if (buf[i] == '\t')
			return true;
	return false;
}

static void report_fy_errors(builder *b, struct fy_diag *diag, const char *slice, size_t slen)
{
	void *iter = NULL;
	struct fy_diag_error *e;
	bool any = false;
	while ((e = fy_diag_errors_iterate(diag, &iter)) != NULL) {
		if (e->type < FYET_ERROR)
			continue;
		/* unlike event marks, collected errors are already 1-based */
		uint32_t line = (uint32_t)(e->line > 0 ? e->line : 0);
		uint32_t col = (uint32_t)(e->column > 0 ? e->column : 0);
		const char *msg = e->msg ? e->msg : "syntax error";
		if (line && tab_indent(slice, slen, line))
			msg = "tab character in indentation (yaml allows only spaces)";
		tm_diag_add(b->ctx->diags, TM_EPARSE, TM_LEVEL_ERROR,
			    tm_parse__loc(b->ctx, line ? line + b->line_base : 0, col), "%s", msg);
		/* offset of the error in the slice, to resync after it */
		uint32_t l = 1;
		size_t i = 0;
		while (i < slen && l < line)
			if (slice[i++] == '\n')
				l++;
		b->err_off = i;
		any = true;
		break; /* libfyaml's follow-up errors repeat the first */
	}
	if (!any)
		tm_diag_add(b->ctx->diags, TM_EPARSE, TM_LEVEL_ERROR, tm_parse__loc(b->ctx, b->line_base + 1, 1),
			    "yaml syntax error");
}

/*
 * libfyaml 0.7.12 corrupts its indentation stack, and crashes freeing the parser, on a tab after an
 * explicit key's indicator ("? 1:\t?", and a dozen more shapes fuzzing found). Such a document is
 * invalid YAML anyway (a tab may not indent a block entry). So once a line holds a '?' that a blank
 * or the line's end follows (an explicit key, after indentation, "- ", ": ", another '?' or anything
 * else), a tab on it or on any later line of the same document ("---" or "..." starts the next) is
 * refused before libfyaml sees it; so is, on any line, a tab that a '?' follows (tab_before_key).
 * Lines end where yaml ends them, a lone carriage return included ("?\r 1:\t?" crashes the same
 * way), and a byte order mark after the '?' is a blank as a space is ("?\r% ?\r 1:\t?<BOM>").
 * Returns the offset of the first such line (its tab's column in *col), or slen.
 */
/* Is there a byte order mark (EF BB BF) at s[at], before end? libfyaml takes one in the middle of a
 * line as a blank: "?" then a mark stands alone as "? " does (the same crash, found by fuzzing). */
static bool bom_at(const char *s, size_t at, size_t end)
{
	return at + 3 <= end && memcmp(s + at, "\xEF\xBB\xBF", 3) == 0;
}

/* A tab that blanks (tabs or spaces) and then a '?' follow, on a line of n bytes: the same crash
 * whatever the lines before it hold ("?\r% ?\r 1:\t?on", "... 1:\t?<BOM>", found by fuzzing); a
 * question mark after a tab is no YAML any real file writes. NULL: none. */
static const char *tab_before_key(const char *line, size_t n)
{
	for (const char *t = memchr(line, '\t', n); t; t = memchr(t + 1, '\t', n - (size_t)(t + 1 - line))) {
		const char *q = t;
		while (q < line + n && (*q == '\t' || *q == ' '))
			q++;
		if (q < line + n && *q == '?')
			return t;
		if (t + 1 >= line + n)
			break;
	}
	return NULL;
}

static size_t explicit_key_tab(const char *s, size_t slen, uint32_t *line, uint32_t *col)
{
	*line = 1;
	if (!memchr(s, '\t', slen))
		return slen; /* the common case: one pass of memchr */
	int open = -1; /* 1 once a line of the document may have opened an explicit key */
	for (size_t i = 0; i < slen;) {
		/* a line ends at "\n", "\r\n" or a lone "\r": yaml 1.2 and libfyaml take all three */
		size_t end = i;
		while (end < slen && s[end] != '\n' && s[end] != '\r')
			end++;
		size_t next = end + (end + 1 < slen && s[end] == '\r' && s[end + 1] == '\n' ? 2 : 1);
		/* once a key may be open, libfyaml's indentation stack may be wrong for the rest of the
		 * document, whatever the lines' indentation (fuzzing found "?\r%% , e\r 1:\t>"): only
		 * the next document starts afresh */
		if (open >= 0 && i + 3 <= end && (memcmp(s + i, "---", 3) == 0 || memcmp(s + i, "...", 3) == 0))
			open = -1;
		/* a '?' a blank follows may open an explicit key */
		for (size_t q = i; q < end; q++)
			if (s[q] == '?' && (q + 1 == end || s[q + 1] == ' ' || s[q + 1] == '\t' || bom_at(s, q + 1, end))) {
				open = 1;
				break;
			}
		const char *tab = open >= 0 ? memchr(s + i, '\t', end - i) : tab_before_key(s + i, end - i);
		if (tab) {
			*col = (uint32_t)(tab - (s + i)) + 1;
			return i;
		}
		i = next;
		(*line)++;
	}
	return slen;
}

/* The start of the "---" line that opens the document holding offset at (0: the first document). */
static size_t doc_start_before(const char *s, size_t at)
{
	size_t start = 0;
	for (size_t i = 0; i + 3 <= at; i++)
		if ((i == 0 || s[i - 1] == '\n') && memcmp(s + i, "---", 3) == 0)
			start = i;
	return start;
}

static bool parse_slice(builder *b, const char *slice, size_t slen);

/* Parse one slice of the input; returns true if the stream ended cleanly. */
static bool parse_slice_checked(builder *b, const char *slice, size_t slen)
{
	uint32_t line, col;
	size_t bad = explicit_key_tab(slice, slen, &line, &col);
	if (bad == slen)
		return parse_slice(b, slice, slen);
	/* the documents before the one holding the line, then that one refused */
	size_t doc = doc_start_before(slice, bad);
	if (doc > 0)
		parse_slice(b, slice, doc);
	if (b->fatal)
		return false;
	tm_diag_add(b->ctx->diags, TM_EPARSE, TM_LEVEL_ERROR, tm_parse__loc(b->ctx, b->line_base + line, col),
		    "tab after an explicit key ('? '): tabs may not indent yaml, and this one cannot be parsed safely");
	b->doc_off = doc;
	b->err_off = bad;
	return false;
}

/* Parse one slice of the input; returns true if the stream ended cleanly. */
static bool parse_slice(builder *b, const char *slice, size_t slen)
{
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.level = FYET_ERROR;
	struct fy_diag *diag = fy_diag_create(&dcfg);
	if (!diag) {
		b->fatal = 1;
		return false;
	}
	fy_diag_set_collect_errors(diag, true);
	struct fy_parse_cfg cfg = {
		.search_path = NULL,
		.flags = FYPCF_QUIET | FYPCF_DISABLE_MMAP_OPT | FYPCF_DISABLE_DEPTH_LIMIT |
			 FYPCF_SLOPPY_FLOW_INDENTATION |
			 FYPCF_DEFAULT_VERSION_AUTO | FYPCF_JSON_NONE,
		.userdata = NULL,
		.diag = diag,
	};
	struct fy_parser *fyp = fy_parser_create(&cfg);
	bool clean = false;
	if (!fyp || fy_parser_set_string(fyp, slice, slen)) {
		b->fatal = 1;
		goto done;
	}
	b->err_off = slen;
	struct fy_event *ev;
	while ((ev = fy_parser_parse(fyp)) != NULL) {
		switch (ev->type) {
		case FYET_DOCUMENT_START:
			start_document(b);
			b->doc_off = fy_event_start_mark(ev) ? fy_event_start_mark(ev)->input_pos : 0;
			break;
		case FYET_DOCUMENT_END:
			if (!b->failed && !b->fatal) {
				if (b->ctx->file->ndocs >= b->max_docs) {
					fail_at(b, TM_ELIMIT, fy_event_start_mark(ev),
						"more than %s documents in one stream (limit)", "the allowed");
					b->fatal = 1;
				} else if (b->root && b->root->kind == TM_VALUE_SCALAR &&
					   b->root->type == TM_SCALAR_NULL && b->root->len == 0) {
					/* an empty document ("---" then nothing), dropped as kubectl does */
				} else if (tm_parse__add_doc(b->ctx->file, b->root)) {
					b->fatal = 1;
				}
			}
			break;
		case FYET_MAPPING_START:
			if (!b->failed)
				open_container(b, ev, TM_VALUE_MAP, ev->mapping_start.anchor, ev->mapping_start.tag);
			break;
		case FYET_SEQUENCE_START:
			if (!b->failed)
				open_container(b, ev, TM_VALUE_SEQ, ev->sequence_start.anchor, ev->sequence_start.tag);
			break;
		case FYET_MAPPING_END:
		case FYET_SEQUENCE_END:
			if (!b->failed && b->nframes)
				close_container(b);
			break;
		case FYET_SCALAR:
			if (!b->failed)
				on_scalar(b, ev);
			break;
		case FYET_ALIAS:
			if (!b->failed)
				on_alias(b, ev);
			break;
		case FYET_STREAM_END:
			clean = true;
			break;
		default:
			break;
		}
		fy_parser_event_free(fyp, ev);
		if (b->fatal)
			goto done;
	}
	if (!clean && !b->fatal) {
		report_fy_errors(b, diag, slice, slen);
	}
done:
	if (fyp)
		fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	return clean;
}

/* Offset of the first "---" document marker line after off, or len. */
static size_t next_doc_marker(const char *s, size_t len, size_t off)
{
	for (size_t i = off; i + 3 <= len; i++) {
		if ((i == 0 || s[i - 1] == '\n') && memcmp(s + i, "---", 3) == 0 &&
		    (i + 3 == len || s[i + 3] == '\n' || s[i + 3] == '\r' || s[i + 3] == ' '))
			return i;
		const char *nl = memchr(s + i, '\n', len - i);
		if (!nl)
			break;
		i = (size_t)(nl - s);
	}
	return len;
}

/*
 * JSON Lines (one JSON value per line: Hubble flow exports, most log pipelines) is no YAML stream:
 * libfyaml stops at the second line ("missing document start"). A file is read as JSON Lines when it
 * has two or more non-blank lines and every one of them starts at column 1 with '{' or '[' and ends
 * with the matching '}' or ']'. Pretty-printed JSON never qualifies (its inner lines are indented or
 * end in ',' or '{'). Each line is then one document, parsed as its own slice with its own line
 * number, so a bad line costs only itself. Linear: one pass to decide, one parser per line.
 * A line is a document, and captures hold one per event: JSON Lines may hold JSON_LINES_DOCS times
 * the documents limit (the values limit still bounds the file). Runtime-map captures do not come
 * here at all: scan.c streams them line by line without keeping the documents.
 */
#define JSON_LINES_DOCS 100
static bool json_lines(const char *s, size_t len)
{
	size_t lines = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len, last = end;
		while (last > i && (s[last - 1] == ' ' || s[last - 1] == '\t' || s[last - 1] == '\r'))
			last--;
		if (last > i) {
			char open = s[i], close = s[last - 1];
			if (!((open == '{' && close == '}') || (open == '[' && close == ']')))
				return false;
			lines++;
		}
		i = end + 1;
	}
	return lines >= 2;
}

static void parse_json_lines(builder *b)
{
	const char *s = b->ctx->buf;
	size_t len = b->ctx->len;
	uint32_t line = 0;
	for (size_t i = 0; i < len && !b->fatal; line++) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;
		bool blank = true;
		for (size_t k = i; k < end && blank; k++)
			blank = s[k] == ' ' || s[k] == '\t' || s[k] == '\r';
		if (!blank) {
			b->line_base = line;
			b->slice_off = i;
			parse_slice_checked(b, s + i, end - i);
		}
		i = end + 1;
	}
}

int tm_parse__yaml(tm_parse_ctx *ctx)
{
	builder b;
	memset(&b, 0, sizeof(b));
	b.ctx = ctx;
	b.max_docs = ctx->limits->max_documents;
	size_t off = 0;
	if (ctx->file->syntax == TM_SYNTAX_JSON && json_lines(ctx->buf, ctx->len)) {
		b.max_docs = ctx->limits->max_documents > SIZE_MAX / JSON_LINES_DOCS ? SIZE_MAX
			     : ctx->limits->max_documents * JSON_LINES_DOCS;
		parse_json_lines(&b);
		off = ctx->len;
	}
	while (off < ctx->len && !b.fatal) {
		b.slice_off = off;
		if (parse_slice_checked(&b, ctx->buf + off, ctx->len - off))
			break;
		if (b.fatal)
			break;
		/*
		 * Resume at the next document marker after the failed document's start:
		 * a "---" at column 0 ends a document in every context, so whatever
		 * swallowed the error (an unclosed flow collection) ends there too.
		 */
		size_t from = off + (b.doc_off < b.err_off ? b.doc_off : b.err_off) + 1;
		size_t next = next_doc_marker(ctx->buf, ctx->len, from < ctx->len ? from : ctx->len);
		if (next >= ctx->len || next <= off)
			break;
		for (size_t i = off; i < next; i++)
			b.line_base += ctx->buf[i] == '\n';
		off = next;
	}
	tm_free(b.frames);
	tm_free(b.scratch);
	tm_hmap_dispose(&b.anchors);
	tm_arena_free(b.scratch_arena);
	return ctx->file->ndocs ? 0 : b.code ? b.code : TM_EPARSE;
}
