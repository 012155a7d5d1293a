/*
 * gitsrc.c - a revision's files, read from the object database with libgit2.
 * Only blobs under the requested directory are read, each at most once.
 */
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "ingest.h"
#include "trustmap/git.h"

#define MAX_BLOB (64u << 20)
#define MAX_FILES 200000

struct tm_git_tree {
	tm_arena *arena;
	tm_mem_file *files;
	size_t n, cap;
	char commit[16];
	char why[512];
	git_repository *repo;
	int oom;
};

size_t tm_git_tree_count(const tm_git_tree *t) { return t ? t->n : 0; }
const tm_mem_file *tm_git_tree_files(const tm_git_tree *t) { return t ? t->files : NULL; }
const char *tm_git_tree_commit(const tm_git_tree *t) { return t ? t->commit : ""; }

void tm_git_tree_free(tm_git_tree *t)
{
	if (!t)
		return;
	tm_free(t->files);
	tm_arena_free(t->arena);
	tm_free(t);
}

static const char *git_why(tm_git_tree *t, const char *what)
{
	const git_error *e = git_error_last();
	tm_formatf(t->why, sizeof(t->why), "%s: %s", what, e && e->message ? e->message : "unknown error");
	return t->why;
}

static int walk_cb(const char *root, const git_tree_entry *entry, void *payload)
{
	tm_git_tree *t = payload;
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		return 0;
	if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK)
		return 0; /* a symlink could point anywhere: not followed, as the directory scan */
	if (t->n >= MAX_FILES)
		return -1;
	git_blob *blob = NULL;
	if (git_blob_lookup(&blob, t->repo, git_tree_entry_id(entry)))
		return 0;
	git_object_size_t size = git_blob_rawsize(blob);
	if (size > MAX_BLOB) {
		git_blob_free(blob);
		return 0;
	}
	char *data = tm_arena_alloc(t->arena, (size_t)size + 1);
	char *path = tm_arena_printf(t->arena, "%s%s", root, git_tree_entry_name(entry));
	if (!data || !path || TM_GROW(t->files, t->cap, t->n + 1)) {
		git_blob_free(blob);
		t->oom = 1;
		return -1;
	}
	memcpy(data, git_blob_rawcontent(blob), (size_t)size);
	t->files[t->n++] = (tm_mem_file){path, data, (size_t)size};
	git_blob_free(blob);
	return 0;
}

int tm_git_tree_read(tm_git_tree **out, const char *path, const char *rev, const char **why)
{
	*why = NULL;
	tm_git_tree *t = tm_calloc(1, sizeof(*t));
	*out = t;
	if (!t || !(t->arena = tm_arena_new()))
		return TM_ENOMEM;
	git_libgit2_init();
	int rc = 0;
	git_object *obj = NULL, *treeobj = NULL;
	git_tree *sub = NULL;
	git_tree_entry *entry = NULL;
	char real[PATH_MAX];
	if (!realpath(path, real)) {
		tm_formatf(t->why, sizeof(t->why), "%s: cannot resolve the path", path);
		*why = t->why;
		rc = TM_ENOTFOUND;
		goto done;
	}
	if (git_repository_open_ext(&t->repo, real, 0, NULL)) {
		*why = git_why(t, "not inside a git repository");
		rc = TM_ENOTFOUND;
		goto done;
	}
	if (git_revparse_single(&obj, t->repo, rev) || git_object_peel(&treeobj, obj, GIT_OBJECT_TREE)) {
		*why = git_why(t, "unknown revision (in a shallow clone, fetch it first)");
		rc = TM_ENOTFOUND;
		goto done;
	}
	git_object *commit = NULL;
	if (!git_object_peel(&commit, obj, GIT_OBJECT_COMMIT)) {
		git_oid_tostr(t->commit, 13, git_object_id(commit));
		git_object_free(commit);
	}
	/* the directory inside the work tree: its path relative to the work tree's root */
	const char *workdir = git_repository_workdir(t->repo);
	char wd[PATH_MAX];
	const char *prefix = "";
	if (workdir && realpath(workdir, wd)) {
		size_t wl = strlen(wd);
		if (strncmp(real, wd, wl) == 0 && (real[wl] == '/' || !real[wl]))
			prefix = real[wl] ? real + wl + 1 : "";
	}
	git_tree *tree = (git_tree *)treeobj;
	if (*prefix) {
		if (git_tree_entry_bypath(&entry, tree, prefix) || git_tree_entry_type(entry) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&sub, t->repo, git_tree_entry_id(entry))) {
			tm_formatf(t->why, sizeof(t->why), "%s does not exist at %s", prefix, rev);
			*why = t->why;
			rc = TM_ENOTFOUND;
			goto done;
		}
		tree = sub;
	}
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, t) && !t->oom) {
		*why = git_why(t, "reading the tree");
		rc = TM_EIO;
	}
	if (t->oom)
		rc = TM_ENOMEM;
done:
	git_tree_entry_free(entry);
	git_tree_free(sub);
	git_object_free(treeobj);
	git_object_free(obj);
	git_repository_free(t->repo);
	t->repo = NULL;
	git_libgit2_shutdown();
	return rc;
}

/* https://user:token@host/x -> https://host/x: a register key must never carry a credential. */
static void without_credentials(char *out, size_t len, const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *host = scheme ? scheme + 3 : url;
	const char *at = strchr(host, '@');
	const char *slash = strchr(host, '/');
	if (scheme && at && (!slash || at < slash))
		tm_formatf(out, len, "%.*s%s", (int)(host - url), url, at + 1);
	else
		tm_formatf(out, len, "%s", url);
}

int tm_git_place_of(const char *path, const char *since, tm_git_place *out)
{
	memset(out, 0, sizeof(*out));
	git_libgit2_init();
	char real[PATH_MAX], wd[PATH_MAX];
	git_repository *repo = NULL;
	int rc = 0;
	if (!realpath(path, real) || git_repository_open_ext(&repo, real, 0, NULL)) {
		rc = TM_ENOTFOUND;
		goto done;
	}
	const char *workdir = git_repository_workdir(repo);
	if (!workdir || !realpath(workdir, wd)) {
		rc = TM_ENOTFOUND;
		goto done;
	}
	size_t wl = strlen(wd);
	tm_formatf(out->path, sizeof(out->path), "%s",
		 strncmp(real, wd, wl) == 0 && real[wl] == '/' ? real + wl + 1 : ".");
	/* remote.origin.url straight from the configuration (git_remote_lookup compiles refspec regexes) */
	git_config *cfg = NULL;
	git_buf url = {0};
	if (!git_repository_config_snapshot(&cfg, repo) && !git_config_get_string_buf(&url, cfg, "remote.origin.url") &&
	    url.ptr)
		without_credentials(out->remote, sizeof(out->remote), url.ptr);
	git_buf_dispose(&url);
	git_config_free(cfg);
	git_oid head;
	git_commit *commit = NULL;
	if (git_reference_name_to_id(&head, repo, "HEAD") || git_commit_lookup(&commit, repo, &head))
		goto done; /* unborn: no commits yet */
	git_oid_tostr(out->head, sizeof(out->head), &head);
	out->head_time = (int64_t)git_commit_time(commit);
	git_commit_free(commit);
	git_object *base = NULL;
	git_revwalk *walk = NULL;
	if (since && *since && !git_revparse_single(&base, repo, since) && !git_revwalk_new(&walk, repo)) {
		git_revwalk_sorting(walk, GIT_SORT_TIME);
		git_oid oid;
		size_t seen = 0; /* a rewritten history can make `since` unrelated: bound the walk */
		if (!git_revwalk_push(walk, &head) && !git_revwalk_hide(walk, git_object_id(base)))
			while (seen++ < 20000 && !git_revwalk_next(&oid, walk)) {
				git_commit *c = NULL;
				if (git_commit_lookup(&c, repo, &oid))
					break;
				int64_t t = (int64_t)git_commit_time(c);
				if (!out->window_start || t < out->window_start)
					out->window_start = t;
				git_commit_free(c);
			}
	}
	git_revwalk_free(walk);
	git_object_free(base);
done:
	git_repository_free(repo);
	return rc;
}
