/*
 * trustmap/doc.h - the format-neutral document tree (tm_doc) built from YAML or JSON.
 *
 * A tm_file holds every document of one input file (a YAML stream may hold
 * many). Each document is a tree of tm_value: mappings, sequences and scalars,
 * every one with its line and column. The tree lives in the file's arena and
 * is freed with tm_file_free(); every pointer handed out is borrowed from it.
 *
 * Aliases are shared, not copied: an alias points at its anchored value, so a
 * value may be reachable twice. The parser counts what full expansion would
 * cost and refuses a file past TM_LIMIT alias_expansion ("billion laughs").
 */
#ifndef TRUSTMAP_DOC_H
#define TRUSTMAP_DOC_H

#include <stdbool.h>

#include "trustmap/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tm_file tm_file;
typedef struct tm_value tm_value;

typedef enum {
	TM_VALUE_SCALAR = 0,
	TM_VALUE_MAP = 1,
	TM_VALUE_SEQ = 2,
} tm_value_kind;

/* The resolved type of a scalar (YAML 1.2 core schema plus the YAML 1.1 forms real files use). */
typedef enum {
	TM_SCALAR_STR = 0,
	TM_SCALAR_NULL = 1,
	TM_SCALAR_BOOL = 2,
	TM_SCALAR_INT = 3,
	TM_SCALAR_FLOAT = 4,
} tm_scalar_type;

/* Limits on untrusted input. Exceeding one is a TM_ELIMIT diagnostic. */
typedef struct {
	size_t max_file_bytes;      /* default 64 MiB */
	uint32_t max_depth;         /* nesting depth, default 256 */
	size_t max_nodes;           /* values per file, default 8 million */
	size_t max_scalar_bytes;    /* one scalar, default 16 MiB */
	size_t max_alias_expansion; /* values reachable through aliases, default 1 million */
	size_t max_documents;       /* documents per stream, default 100000 */
	size_t jansson_line_bytes;  /* JSON with a line longer than this goes to jansson, default 64 KiB */
} tm_limits;

/* Fill *out with the defaults above. */
void tm_limits_default(tm_limits *out);
/* The limits one word per field, in their order: what a parse depends on (the parse cache keys its
 * entries by them, a diff compares its sides' by them). */
#define TM_LIMITS_WORDS 7
void tm_limits_words(const tm_limits *l, uint64_t out[TM_LIMITS_WORDS]);
bool tm_limits_same(const tm_limits *a, const tm_limits *b);

typedef enum {
	TM_SYNTAX_YAML = 0,
	TM_SYNTAX_JSON = 1,
} tm_syntax;

/*
 * Parse buf (len bytes; need not be NUL-terminated) as YAML or JSON. path is
 * the display path used in locations (copied). limits may be NULL.
 *
 * On success returns 0 and *out holds the file; documents that failed to parse
 * are absent and explained in diags. When the file as a whole is unusable
 * (binary, invalid UTF-8, a template, over a limit, a syntax error before any
 * document completed) returns TM_EPARSE, TM_ELIMIT or TM_EINVALID, with *out
 * NULL and the reason in diags. Helm/Go templates are refused with
 * TM_EUNSUPPORTED and a warning "go template, not rendered ...".
 * Free *out with tm_file_free().
 */
int tm_file_parse(tm_file **out, const char *path, const char *buf, size_t len,
		  const tm_limits *limits, tm_diag_list *diags);

/* Read path from disk (display path display_path, or path if NULL) and parse it. TM_EIO if unreadable. */
int tm_file_load(tm_file **out, const char *path, const char *display_path,
		 const tm_limits *limits, tm_diag_list *diags);

/*
 * A cache of parsed files on disk, keyed by content (src/parse/cache.c): an XXH3-128 hash, keyed
 * with the directory's own random secret, of salt (names the build that parses, so another build
 * never reads an entry), the limits and the bytes. Safe to
 * share between processes and threads and to delete at any time; entries are written whole
 * (temporary file, rename) and checked whole on load (a damaged entry is a miss and is removed).
 * Closing a cache that wrote prunes it, oldest first, to 3/4 of max_bytes when over max_bytes.
 */
typedef struct tm_parse_cache tm_parse_cache;
/* Open dir (created, mode 0700, with its parents); salt NULL names this build by a hash of the running
 * executable. NULL if it cannot be created, the executable cannot be read, or memory ran out. */
tm_parse_cache *tm_parse_cache_open(const char *dir, const char *salt, uint64_t max_bytes);
void tm_parse_cache_close(tm_parse_cache *c);
void tm_parse_cache_stats(const tm_parse_cache *c, size_t *hits, size_t *misses, size_t *writes);
/* A cache in memory only: nothing is read or written on disk; it serves sharing alone. NULL: no memory. */
tm_parse_cache *tm_parse_cache_open_memory(void);
/* Share each parsed file between takers callers (the two sides of a diff, each asking once per
 * file): the first to ask for a file (same bytes, limits and display path) parses or loads it, the
 * others wait for it and get the same tree, read-only, with the same diagnostics; each frees its
 * own reference (tm_file_free). 0 or 1 turns sharing off; either way the files still unclaimed are
 * let go. Safe across threads. */
void tm_parse_cache_share(tm_parse_cache *c, unsigned takers);
/* tm_file_parse and tm_file_load through cache c (NULL: not cached). Same results, diagnostics
 * included (a hit gives them back with the caller's path); only files that parsed are kept. */
int tm_file_parse_cached(tm_parse_cache *c, tm_file **out, const char *path, const char *buf, size_t len,
			 const tm_limits *limits, tm_diag_list *diags);
int tm_file_load_cached(tm_parse_cache *c, tm_file **out, const char *path, const char *display_path,
			const tm_limits *limits, tm_diag_list *diags);
/* The file at path loaded from cache c without being read, when c's directory knows it in its
 * present state (device, inode, size, modification and change times, and the limits, as
 * tm_file_load_cached recorded it; see cache.c). TM_ENOTFOUND, with nothing in diags, when it is
 * not known or its entry is gone: then read it (tm_file_load_cached). Else as tm_file_load_cached. */
int tm_file_load_known(tm_parse_cache *c, tm_file **out, const char *path, const char *display_path,
		       const tm_limits *limits, tm_diag_list *diags);

/* One more holder of f: each tm_file_free lets one go; the last frees it. Safe across threads. */
void tm_file_ref(tm_file *f);
void tm_file_free(tm_file *f);

const char *tm_file_path(const tm_file *f);
/* A 64-bit hash (XXH3) of the file's bytes. */
uint64_t tm_file_digest(const tm_file *f);
tm_syntax tm_file_syntax(const tm_file *f);
/* True when the file was read through jansson: values carry no line/column, locate them by pointer. */
bool tm_file_has_positions(const tm_file *f);
size_t tm_file_doc_count(const tm_file *f);
/* Root value of document i (NULL for an empty document). */
const tm_value *tm_file_doc(const tm_file *f, size_t i);
/* Number of values built (aliases count once). */
size_t tm_file_value_count(const tm_file *f);

/* Every accessor below takes NULL (a key not in the map, an index past the end) and answers as for
 * an empty null scalar: kind SCALAR, type NULL, no text, no children, line and column 0. */
tm_value_kind tm_value_kind_of(const tm_value *v);
tm_loc tm_value_loc(const tm_file *f, const tm_value *v);
uint32_t tm_value_line(const tm_value *v);
uint32_t tm_value_col(const tm_value *v);
/* Children of a map (pairs) or a sequence (items); 0 for a scalar. */
size_t tm_value_len(const tm_value *v);

/* Scalars. */
tm_scalar_type tm_scalar_type_of(const tm_value *v);
/* The scalar's text (NUL-terminated, may contain NULs; *len if not NULL); NULL if v is not a scalar. */
const char *tm_scalar_str(const tm_value *v, size_t *len);
/* True if the scalar was written quoted or as a block (so never resolved to a non-string). */
bool tm_scalar_quoted(const tm_value *v);
/* Was v tagged !reset or !override (compose's merge tags: it replaces what an earlier file set)? */
bool tm_value_replaces(const tm_value *v);
/* Was it !reset (or `!override null`): the key is unset, whatever is written? */
bool tm_value_resets(const tm_value *v);
/* A null that is a !reset (tm_value_resets): what a merge leaves where a reset unset a key, so that
 * merging that result again unsets it again. NULL on OOM. */
tm_value *tm_value_new_reset(tm_file *f, tm_loc origin);
/* Typed views: 0, or TM_EINVALID if the scalar is not of that type. */
int tm_scalar_bool(const tm_value *v, bool *out);
int tm_scalar_int(const tm_value *v, int64_t *out);

/* Sequences. */
const tm_value *tm_seq_at(const tm_value *v, size_t i);

/* Maps. Keys are compared by their text, so the key `on` (a YAML 1.1 boolean) is found as "on". */
const tm_value *tm_map_key(const tm_value *v, size_t i);
const tm_value *tm_map_value(const tm_value *v, size_t i);
const tm_value *tm_map_get(const tm_value *v, const char *key);
/* tm_map_get, then the text of a scalar value; NULL if absent or not a scalar. */
const char *tm_map_get_str(const tm_value *v, const char *key);

/* The same content: scalars by their text (so 200 and "200", as YAML and JSON writers quote a
 * status code, are the same), sequences item by item, maps by key whatever their order (a JSON and
 * a YAML writing of one document compare equal). Walks both trees once; a map key is
 * looked up through the map's index, so the walk is n log n at worst. */
bool tm_value_same(const tm_value *a, const tm_value *b);
/* A hash that tm_value_same trees share: maps hashed without their order. Equal hashes are only a
 * hint; confirm with tm_value_same. */
uint64_t tm_value_hash(const tm_value *v);


/*
 * Rendered files: a tm_file assembled by a renderer (kustomize) from the values of other files
 * plus values it makes, or a text renderer's output (helm) parsed with tm_file_parse and given a
 * line map. Everything below is for renderers; scanners only read files.
 *
 * Locations. tm_value_loc on a rendered file reports where a value really came from:
 *  - a value of an adopted file (shared, not copied) reports that file's path and its own line;
 *  - a value made here reports the origin it was made with (a patch line, a kustomization field);
 *  - a value made with no origin path reports the nearest ancestor's path and its own line.
 * The mechanism costs nothing for ordinary files: a rendered file keeps an origin table from
 * value pointer to origin for the roots of adopted documents and for values made with an origin;
 * tm_value_loc walks v->parent until it finds a registered value. A file without any registered
 * value answers as before.
 */

/* A new empty rendered file shown as path (copied; e.g. the kustomization.yaml). NULL on ENOMEM.
 * Free with tm_file_free(), which also frees every adopted file. */
tm_file *tm_file_new_rendered(const char *path);

/* out takes ownership of src, whatever the result: src is freed with out (or, when even that
 * could not be recorded, at once); the caller never frees it. src's values may then be shared
 * into out's documents; the roots of src's documents are registered as coming from src. out's
 * digest mixes in src's. 0 or TM_ENOMEM. */
int tm_file_adopt(tm_file *out, tm_file *src);

/* f is read instead of src, whose bytes it stands for (an expansion of src, shown as its path): f
 * takes src's digest and syntax, so a comparison of src's bytes with f's digest holds. */
void tm_file_stand_for(tm_file *f, const tm_file *src);

/* Make a value in f's arena, with origin's path (copied; NULL: inherit the parent's), line and
 * col. NULL on ENOMEM. A new value has no parent until placed with a setter below. */
tm_value *tm_value_new_map(tm_file *f, tm_loc origin);
tm_value *tm_value_new_seq(tm_file *f, tm_loc origin);
/* A scalar of text s (len bytes, copied) and type; quoted marks it as never re-resolved. */
tm_value *tm_value_new_scalar(tm_file *f, tm_loc origin, tm_scalar_type type, const char *s,
			      size_t len, bool quoted);
/* A deep copy into f of v, a value of file from (which may be f): every copy keeps the location
 * tm_value_loc(from, ...) gives the original, so a copied patch still points at the patch. Aliases
 * are expanded; depth is bounded by 512 (NULL past it, or on ENOMEM). */
tm_value *tm_value_copy(tm_file *f, const tm_file *from, const tm_value *v);

/* Setters (only for values of f or of files f adopted). They keep f's value count; a map grown past
 * TM_MAP_INDEX_MIN pairs is indexed again when its document is added, or by tm_value_reindex. */
/* Set key to val (val's parent becomes map): replaces the pair's value, or appends a pair whose key
 * is a new scalar at val's position. 0 or TM_ENOMEM. */
int tm_map_set(tm_file *f, tm_value *map, const char *key, tm_value *val);
/* Append the pair key: val without looking for key (the caller knows it is new): amortised O(1),
 * for building big maps. 0 or TM_ENOMEM. */
int tm_map_append(tm_file *f, tm_value *map, const char *key, tm_value *val);
/* Remove the pair of key; 1 if removed, 0 if absent. Keeps the order of the others. */
int tm_map_remove(tm_value *map, const char *key);
/* Insert item before position i (i == len appends); item's parent becomes seq. 0 or TM_ENOMEM. */
int tm_seq_insert(tm_file *f, tm_value *seq, size_t i, tm_value *item);
/* Replace item i (0) or TM_ENOTFOUND; remove item i (0) or TM_ENOTFOUND. */
int tm_seq_set(tm_value *seq, size_t i, tm_value *item);
int tm_seq_remove(tm_value *seq, size_t i);
/* Index every map of the tree under v that has more than TM_MAP_INDEX_MIN pairs and no index. */
int tm_value_reindex(tm_file *f, tm_value *v);

/* Mutable views of values a renderer owns (its own or adopted files'). */
tm_value *tm_file_doc_mut(tm_file *f, size_t i);
tm_value *tm_map_get_mut(tm_value *v, const char *key);
tm_value *tm_map_value_mut(tm_value *v, size_t i);
tm_value *tm_seq_at_mut(tm_value *v, size_t i);
/* The parent (map or sequence) v was placed in; NULL for a document root. */
const tm_value *tm_value_parent(const tm_value *v);

/* Append root (may be NULL: an empty document) as f's next document, indexing its big maps. */
int tm_file_add_doc(tm_file *f, tm_value *root);
/* Remove every document of f (the values stay in the arena). */
void tm_file_clear_docs(tm_file *f);
/* Mix len bytes (the renderer's own inputs) into f's digest. */
void tm_file_mix_digest(tm_file *f, const void *bytes, size_t len);

/*
 * Line map for text renderers: line i+1 of the text f was parsed from came from paths[i] line
 * lines[i] (paths[i] NULL or lines[i] 0: unknown, keep f's own path and line). The arrays are
 * copied (and the paths). tm_value_loc then reports the mapped path and line and the value's own
 * column. Lines past n keep f's own. 0 or TM_ENOMEM.
 */
int tm_file_set_linemap(tm_file *f, const char *const *paths, const uint32_t *lines, size_t n);

#ifdef __cplusplus
}
#endif
#endif
