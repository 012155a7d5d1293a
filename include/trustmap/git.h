/*
 * trustmap/git.h - reading a revision's files straight from a git repository
 * (libgit2): no checkout, no temporary work tree, so `trustmap diff --base REV`
 * works in CI's shallow and detached checkouts whenever REV is present.
 */
#ifndef TRUSTMAP_GIT_H
#define TRUSTMAP_GIT_H

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

#ifdef __cplusplus
}
#endif
#endif
