/*
 * render/fsys.h - the files a renderer reads, behind three operations (internal).
 *
 * Renderers (kustomize, helm) read a tree of files: from the disk during a scan, from a git tree
 * for `diff --base`, from memory in tests and fuzz targets. They see it only through tm_fsys.
 *
 * Paths are relative to the tree's root, '/'-separated, normalised (no ".", "..", empty or
 * trailing components); "" is the root itself. tm_fsys_join builds them and refuses any path that
 * would climb above the root, so an implementation never sees one. The disk implementation also
 * refuses symbolic links that lead out of the root and opens files with tm_open_regular.
 */
#ifndef TM_RENDER_FSYS_H
#define TM_RENDER_FSYS_H

#include "util/util.h"

typedef enum {
	TM_FSYS_NONE = 0, /* absent (or refused: see read's why) */
	TM_FSYS_FILE = 1,
	TM_FSYS_DIR = 2,
	TM_FSYS_REFUSED = 3, /* exists, but is a link out of the root or not a file or directory */
} tm_fsys_kind;

typedef struct tm_fsys tm_fsys;
struct tm_fsys {
	/* Read the file at path, at most max bytes: *data (tm_free; NUL-terminated) and *len. 0,
	 * TM_ENOTFOUND, TM_EIO (with *why, a static string), TM_ELIMIT (bigger than max),
	 * TM_ENOMEM. */
	int (*read)(const tm_fsys *fs, const char *path, size_t max, char **data, size_t *len,
	            const char **why);
	tm_fsys_kind (*kind)(const tm_fsys *fs, const char *path);
	/* The names (not paths) in directory dir, sorted bytewise: *names is one tm_free-able block
	 * (an array of *n pointers followed by the strings). 0, TM_ENOTFOUND, TM_ENOMEM. */
	int (*list)(const tm_fsys *fs, const char *dir, char ***names, size_t *n);
	void *ctx; /* the implementation's state */
};

/* The disk under root (an absolute, resolved path; copied). Dispose with tm_fsys_disk_dispose. */
int tm_fsys_disk_init(tm_fsys *fs, const char *root);
void tm_fsys_disk_dispose(tm_fsys *fs);

/* In memory: files[i] (a root-relative path) holds data[i] (lens[i] bytes). Directories are
 * implied by the paths. The arrays are borrowed: they must outlive fs. */
typedef struct {
	const char *const *files;
	const char *const *data;
	const size_t *lens;
	size_t n;
} tm_fsys_mem;
void tm_fsys_mem_init(tm_fsys *fs, const tm_fsys_mem *mem);

/* What a renderer asked of a tree and what it was told, as one SHA-256: every read (the path, the
 * outcome and the bytes), every kind and every listing, in order. Renders are deterministic, so two
 * trees that answer the same questions the same way give the same output (docs/incremental.md):
 * a diff whose sides' logs agree renders nothing differently. Wraps inner, which must outlive it;
 * one thread at a time, as renders run. */
typedef struct {
	tm_fsys fs; /* pass &rec->fs to the renderer */
	const tm_fsys *inner;
	tm_sha256 log;
} tm_fsys_record;
void tm_fsys_record_init(tm_fsys_record *rec, const tm_fsys *inner);
void tm_fsys_record_digest(tm_fsys_record *rec, unsigned char out[32]);

/* Normalise rel against base (both root-relative; rel may be absolute-looking only if it starts
 * with '/', which is refused). Into sb: the joined path. 0, or TM_EINVALID when it climbs above
 * the root or is absolute. */
int tm_fsys_join(tm_strbuf *sb, const char *base, const char *rel);

#endif
