/* render/helm_archive.h - a chart archive (.tgz) read into memory (internal to render/helm.c). */
#ifndef TM_RENDER_HELM_ARCHIVE_H
#define TM_RENDER_HELM_ARCHIVE_H

#include "util/util.h"

/* The regular files of a tar stream: paths as the archive names them ("./" dropped), contents
 * NUL-terminated; everything in the arena. */
typedef struct {
	const char **paths;
	const char **data;
	size_t *lens;
	size_t n;
} tm_helm_archive;

/* Inflate a gzip'ed tar (at most max_out bytes once inflated, max_files files). 0; TM_EINVALID
 * (not gzip, corrupt, past max_out) or TM_ELIMIT (too many files) with *why; TM_ENOMEM. */
int tm_helm__untar_gz(tm_arena *a, const char *data, size_t len, size_t max_out, size_t max_files,
		      tm_helm_archive *out, const char **why);

#endif
