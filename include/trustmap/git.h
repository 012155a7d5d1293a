/*
 * trustmap/git.h - reading a revision's files straight from a git repository
 * (libgit2): no checkout, no temporary work tree, so `trustmap diff --base REV`
 * works in CI's shallow and detached checkouts whenever REV is present.
 */
#ifndef TRUSTMAP_GIT_H
#define TRUSTMAP_GIT_H

#include <stdint.h>

#include "trustmap/scan.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tm_git_tree tm_git_tree;

/*
 * The files under path (a directory inside a work tree; the repository is found
 * from it) as they are at rev (any revision git understands). Paths are relative
 * to path. Symlinks and submodules are left out; blobs over 64 MiB are left out
 * with a note. Returns 0, TM_ENOTFOUND (no repository, or rev unknown: *why says
 * which), TM_EIO or TM_ENOMEM. Free with tm_git_tree_free (also after an error).
 */
int tm_git_tree_read(tm_git_tree **out, const char *path, const char *rev, const char **why);
void tm_git_tree_free(tm_git_tree *t);
size_t tm_git_tree_count(const tm_git_tree *t);
const tm_mem_file *tm_git_tree_files(const tm_git_tree *t);
/* The commit the revision named, abbreviated, for reports. */
const char *tm_git_tree_commit(const tm_git_tree *t);

/* Where a directory sits in git, for the risk register's root key and its history. */
typedef struct {
	char remote[512];   /* the origin remote's URL without credentials, or "" */
	char path[1024];    /* the directory relative to the work tree's root, "." for the root */
	char head[41];      /* HEAD's commit, or "" (an unborn branch) */
	int64_t head_time;  /* HEAD's commit time, or 0 */
	int64_t window_start; /* the oldest commit reachable from HEAD and not from since (when given and
				 known), or 0 */
} tm_git_place;

/* Fill *out for the directory path; since: a revision scanned before, or NULL. Returns 0, or
 * TM_ENOTFOUND when path is not inside a work tree. */
int tm_git_place_of(const char *path, const char *since, tm_git_place *out);

#ifdef __cplusplus
}
#endif
#endif
