/* parse.h - internals shared by the parser files. Knows no meaning, only syntax. */
#ifndef TM_PARSE_H
#define TM_PARSE_H

#include <stdatomic.h>

#include "trustmap/doc.h"
#include "util/util.h"

enum {
	TM_VF_QUOTED = 1,  /* quoted or block scalar: never resolved to a non-string */
	TM_VF_INDEXED = 2, /* map: a sorted key index follows its 2*len kids (uint32 pair numbers) */
	TM_VF_GROWN = 4,   /* kids array made by build.c: room for tm_parse__cap(len) items (pairs) */
	TM_VF_REPLACE = 8, /* tagged !reset or !override (compose's merge tags): replaces, never merges; a
			      !reset scalar is null, a !reset container's type is TM_VALUE_RESET_MARK */
};

/* Maps with more pairs than this get a sorted key index, so lookups are logarithmic. */
#define TM_MAP_INDEX_MIN 16

/* The type of a mapping or sequence tagged !reset: no scalar type's number (a container's type is
 * otherwise unused, 0 or TM_SCALAR_NULL); it fits the parse cache's 3 bits. */
#define TM_VALUE_RESET_MARK 7

struct tm_value {
	uint8_t kind;  /* tm_value_kind */
	uint8_t type;  /* tm_scalar_type, for scalars */
	uint8_t flags; /* TM_VF_* */
	uint32_t line, col;
	uint32_t len;  /* scalar bytes, map pairs or sequence items */
	const tm_value *parent;
	union {
		const char *str;  /* scalar text, NUL-terminated */
		tm_value **kids;  /* map: key0, value0, key1, value1...; seq: items */
	} u;
};

struct tm_file {
	tm_arena *arena;
	const char *path;
	tm_syntax syntax;
	bool positions;
	tm_value **docs;
	size_t ndocs, cap;
	size_t nvalues;
	uint64_t digest; /* of the bytes read */
	atomic_int extra_refs; /* holders besides the first (tm_file_ref); tm_file_free frees at none */
	bool shared;     /* some value is reached twice (a YAML alias): a tree walk may meet it again */
	void *map;       /* a large parse-cache entry mapped, not read (its scalars are the tree's text) */
	size_t map_len;
	/* rendered files (build.c); all empty for a parsed file */
	tm_file **adopted;  /* owned, freed with this file */
	size_t nadopted, cap_adopted;
	tm_hmap origins;    /* value pointer bytes -> struct tm_origin * */
	tm_hmap paths;      /* interned origin paths */
	const char **lm_paths; /* line map: line i+1 -> lm_paths[i]:lm_lines[i] */
	uint32_t *lm_lines;
	size_t lm_len;
};

/* Where a value of a rendered file came from: an adopted file (file) or a path. */
struct tm_origin {
	const tm_value *v;
	const tm_file *file;
	const char *path;
};

/* Context shared by the YAML and JSON builders. */
typedef struct {
	tm_file *file;
	const tm_limits *limits;
	tm_diag_list *diags;
	const char *buf; /* the whole input, for re-synchronising and for messages */
	size_t len;
} tm_parse_ctx;

int tm_parse__add_doc(tm_file *f, tm_value *root);
/* Read path (regular files only, within limits) into *out (NUL-terminated, caller frees): 0, or
 * TM_EIO / TM_ELIMIT / TM_ENOMEM with the reason in diags under display_path (or path). */
int tm_file__read(const char *path, const char *display_path, const tm_limits *limits, tm_diag_list *diags,
		 char **out, size_t *len);
/* path opened for reading, a regular file (fstat into st), or -1 with "cannot read" in diags under
 * shown. */
struct stat;
int tm_file__open(const char *path, const char *shown, struct stat *st, tm_diag_list *diags);
/* The same from fd, open on a regular file whose fstat is st; the reason goes under shown. */
int tm_file__read_fd(int fd, const struct stat *st, const char *shown, const tm_limits *limits, tm_diag_list *diags,
		    char **out, size_t *len);
/* cache.c, for tests: the run's start as the cache takes it (nanoseconds since the epoch), so a file
 * written just now counts as settled (see "files known on disk"). */
struct tm_parse_cache;
void tm_parse_cache__opened_at(struct tm_parse_cache *c, int64_t ns);
/* Give a finished map with more than TM_MAP_INDEX_MIN pairs its key index. 0 or TM_ENOMEM. */
int tm_parse__index_map(tm_arena *arena, tm_value *map);
tm_loc tm_parse__loc(const tm_parse_ctx *ctx, uint32_t line, uint32_t col);

/* build.c: the location of v in f, following origins and the line map. */
tm_loc tm_parse__origin_loc(const tm_file *f, const tm_value *v, bool *found);
void tm_parse__free_rendered(tm_file *f);

/* scalar.c */
tm_scalar_type tm_parse__resolve_plain(const char *s, size_t len);
/* Resolve an explicit core tag (!!str, !!int, ...); returns -1 for tags we keep as strings. */
int tm_parse__resolve_tag(const char *tag, size_t len);
/* Byte offset of the first Go template action ({{ .Values }}, {{- if }}...), or -1. */
long tm_parse__find_template(const char *buf, size_t len);

/* yaml.c: libfyaml event stream -> tm_value trees. Returns 0 if at least one document was built. */
int tm_parse__yaml(tm_parse_ctx *ctx);
/* json.c: jansson -> tm_value trees, for JSON whose lines are too long for libfyaml. */
int tm_parse__json(tm_parse_ctx *ctx);

#endif
