/*
 * ignore.c - what the walk leaves out: the repository's .gitignore rules (read by libgit2, with
 * every nested .gitignore, .git/info/exclude and the user's excludes file, as git applies them)
 * and the --exclude globs. Both are matched against the path relative to the scanned root; a glob
 * without a slash also matches the base name alone, as in a .gitignore.
 */
#include <errno.h>
#include <fnmatch.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "ingest.h"

struct tm_ignore {
	git_repository *repo;
	char prefix[PATH_MAX]; /* the root, relative to the repository's work tree ("" or "dir/") */
	const char *const *globs;
	size_t nglobs;
	bool inited; /* this one initialised libgit2 (and shuts it down) */
};

/* Is there a .git (directory, or the file of a linked work tree or submodule) in root_real or a
 * directory above it? Without one, libgit2's discovery (which looks for the same, or for the
 * directory itself being a bare repository, whose rules are not used) finds no work tree, so it is
 * not started: starting it loads the system's certificate store, about 15 ms a run. */
static bool git_above(const char *root_real)
{
	char dir[PATH_MAX];
	if (tm_formatf(dir, sizeof(dir), "%s", root_real) >= (int)sizeof(dir))
		return true; /* cannot tell: ask libgit2 */
	for (size_t n = strlen(dir);;) {
		char probe[PATH_MAX + 8];
		struct stat st;
		tm_formatf(probe, sizeof(probe), "%s/.git", n ? dir : "");
		if (!lstat(probe, &st) || (errno != ENOENT && errno != ENOTDIR)) /* ENOTDIR: root_real is a file */
			return true;
		while (n && dir[n - 1] != '/')
			n--;
		if (!n)
			return false;
		dir[--n] = '\0'; /* the parent ("" for the root) */
	}
}

tm_ignore *tm_ignore_new(const char *root_real, bool use_git, const char *const *globs, size_t nglobs)
{
	tm_ignore *ig = tm_calloc(1, sizeof(*ig));
	if (!ig)
		return NULL;
	ig->globs = globs;
	ig->nglobs = nglobs;
	if (!use_git || !git_above(root_real))
		return ig;
	git_libgit2_init();
	ig->inited = true;
	git_repository *repo = NULL;
	if (git_repository_open_ext(&repo, root_real, 0, NULL) != 0 || git_repository_is_bare(repo)) {
		git_repository_free(repo);
		return ig; /* not in a work tree: nothing to respect */
	}
	const char *wd = git_repository_workdir(repo);
	char wd_real[PATH_MAX];
	size_t n = wd && realpath(wd, wd_real) ? strlen(wd_real) : 0;
	if (!n || strncmp(root_real, wd_real, n) != 0 || (root_real[n] && root_real[n] != '/' && n > 1)) {
		git_repository_free(repo);
		return ig;
	}
	const char *rest = root_real + n;
	while (*rest == '/')
		rest++;
	tm_formatf(ig->prefix, sizeof(ig->prefix), "%s%s", rest, *rest ? "/" : "");
	/* a root the repository itself ignores (a build directory, a scratch checkout) was named on
	 * purpose: its files are read, since the repository's rules would leave every one out */
	int ignored = 0;
	if (*rest && git_ignore_path_is_ignored(&ignored, repo, ig->prefix) == 0 && ignored) {
		git_repository_free(repo);
		return ig;
	}
	ig->repo = repo;
	return ig;
}

/* Would a walk of root (as given) start libgit2 to read its .gitignore rules? */
static bool walk_uses_git(const char *root)
{
	char real[PATH_MAX];
	return realpath(root, real) ? git_above(real) : false; /* a root that does not resolve is not walked */
}

bool tm_scan_threads_begin(const char *const *roots, size_t nroots)
{
	for (size_t i = 0; i < nroots; i++)
		if (walk_uses_git(roots[i])) {
			git_libgit2_init();
			return true;
		}
	return false;
}

void tm_scan_threads_end(bool began)
{
	if (began)
		git_libgit2_shutdown();
}

void tm_ignore_free(tm_ignore *ig)
{
	if (!ig)
		return;
	git_repository_free(ig->repo);
	if (ig->inited)
		git_libgit2_shutdown();
	tm_free(ig);
}

static const char *base_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

const char *tm_ignore_match(const tm_ignore *ig, const char *rel, bool is_dir)
{
	if (!ig || !rel || !*rel)
		return NULL;
	for (size_t i = 0; i < ig->nglobs; i++) {
		const char *g = ig->globs[i];
		if (fnmatch(g, rel, 0) == 0 || (!strchr(g, '/') && fnmatch(g, base_of(rel), 0) == 0))
			return "--exclude";
		/* a glob ending in a slash ("dir/") leaves the directory out whole */
		size_t gl = strlen(g);
		if (is_dir && gl > 1 && g[gl - 1] == '/' && strlen(rel) == gl - 1 && strncmp(g, rel, gl - 1) == 0)
			return "--exclude";
	}
	if (ig->repo) {
		char path[PATH_MAX];
		int ignored = 0;
		if (tm_formatf(path, sizeof(path), "%s%s%s", ig->prefix, rel, is_dir ? "/" : "") < (int)sizeof(path) &&
		    git_ignore_path_is_ignored(&ignored, ig->repo, path) == 0 && ignored)
			return ".gitignore";
	}
	return NULL;
}
