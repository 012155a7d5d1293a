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

#ifdef __cplusplus
}
#endif
#endif
