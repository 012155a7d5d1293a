/*
 * register.c - the commands' side of the risk register: which store, which
 * root key, what time it is, who is deciding; loading the register's
 * decisions into a scan's findings and recording the run afterwards.
 *
 * The store: --store URL, else $TRUSTMAP_STORE ("none" runs without one), else the default:
 * $XDG_STATE_HOME/trustmap/<root key>.db (XDG_STATE_HOME defaults to ~/.local/state), outside the
 * work tree, so that a scan leaves no file among the sources it reads (git status, pre-commit and the
 * next scan never see it). "tree" (--store tree, TRUSTMAP_STORE=tree) asks for the register in the
 * tree: .trustmap/trustmap.db under the (first) scanned directory, with a .gitignore inside. A
 * .trustmap/trustmap.db already there (the default of 0.1.0) is used in place when no store is
 * named: not moved, so its history is never split between two files and a copy never goes stale.
 * The root key: $TRUSTMAP_ROOT, else for a directory in a git work tree with
 * an origin remote "<origin URL without credentials>#<path in the repository>"
 * (the same on every machine and CI runner), else the directory's real path.
 * The clock: $TRUSTMAP_NOW (seconds since the epoch, or YYYY-MM-DD), else now.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "trustmap/git.h"
#include "trustmap/report.h"

/* Days since the epoch of a valid YYYY-MM-DD (proleptic Gregorian, UTC). */
static int64_t days_of(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int tm_cli_clock(int64_t *now, char today[11])
{
	const char *env = getenv("TRUSTMAP_NOW");
	time_t t = time(NULL);
	if (env && *env) {
		int y, m, d;
		char *end = NULL;
		errno = 0;
		long long v = strtoll(env, &end, 10);
		if (tm_date_valid(env) && sscanf(env, "%4d-%2d-%2d", &y, &m, &d) == 3)
			t = (time_t)(days_of(y, m, d) * 86400);
		else if (env[0] >= '0' && env[0] <= '9' && end && !*end && !errno && v >= 0)
			t = (time_t)v;
		else
			return tm_cli_usage_error("TRUSTMAP_NOW is '%s': seconds since the epoch or YYYY-MM-DD", env);
	}
	struct tm tmv;
	if (!gmtime_r(&t, &tmv))
		return tm_cli_usage_error("the clock is out of range");
	*now = (int64_t)t;
	strftime(today, 11, "%Y-%m-%d", &tmv);
	return TM_EXIT_OK;
}

const char *tm_cli_who(void)
{
	static const char *const vars[] = {"TRUSTMAP_USER", "GITHUB_ACTOR", "GITLAB_USER_LOGIN", "USER", "LOGNAME"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return v;
	}
	return "unknown";
}

/* The directory a root names: itself, or a file's directory. */
static void dir_of(const char *root, char *out, size_t len)
{
	struct stat st;
	if (stat(root, &st) == 0 && !S_ISDIR(st.st_mode)) {
		const char *slash = strrchr(root, '/');
		if (!slash)
			snprintf(out, len, ".");
		else
			snprintf(out, len, "%.*s", (int)(slash == root ? 1 : slash - root), root);
	} else {
		snprintf(out, len, "%s", root);
	}
}

static void key_of(const char *root, char *out, size_t len, tm_git_place *git, bool *in_git)
{
	char dir[PATH_MAX], real[PATH_MAX];
	dir_of(root, dir, sizeof(dir));
	*in_git = tm_git_place_of(dir, NULL, git) == 0;
	if (*in_git && git->remote[0])
		snprintf(out, len, "%s#%s", git->remote, git->path);
	else
		snprintf(out, len, "%s", realpath(dir, real) ? real : dir);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether this process can write the SQLite file at path (or create it) and its directory. */
static bool writable(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash == path ? 1 : slash - path) : 1, slash ? path : ".");
	if (access(dir, W_OK) != 0)
		return false;
	return access(path, W_OK) == 0 || errno == ENOENT;
}

/* Open cs->url: TM_EXIT_OK (cs->store may stay NULL: not recording), or TM_EXIT_STORE with the error
 * in cs->store (*said: printed already). A scan whose register cannot be written reads it (its
 * decisions still apply), records nothing, and says so. */
static int open_url(tm_cli_store *cs, bool create, bool read_only, bool defaulted, bool *said)
{
	bool pg = strncmp(cs->url, "postgresql://", 13) == 0 || strncmp(cs->url, "postgres://", 11) == 0;
	const char *path = strncmp(cs->url, "sqlite:", 7) == 0 ? cs->url + 7 : cs->url;
	char shown[sizeof(cs->url)];
	tm_store_redact(shown, sizeof(shown), path);
	if (!create && !pg) {
		struct stat st;
		if (stat(path, &st) != 0) {
			fprintf(stderr, "trustmap: no register at %s: 'trustmap scan' records one (or pass --store URL)\n", shown);
			*said = true;
			return TM_EXIT_STORE;
		}
	}
	if (read_only)
		return tm_store_open_read_only(&cs->store, cs->url) ? TM_EXIT_STORE : TM_EXIT_OK;
	if (!tm_store_open(&cs->store, cs->url))
		return TM_EXIT_OK;
	if (!create || pg || writable(path))
		return TM_EXIT_STORE;
	/* a read-only register (a read-only mount, an immutable file) */
	tm_store *ro = NULL;
	if (tm_store_open_read_only(&ro, cs->url) == 0) {
		tm_store_close(cs->store);
		cs->store = ro;
		fprintf(stderr, "trustmap: not recording this run: the register %s cannot be written (its decisions "
			"still apply; use --store URL or --no-store)\n", shown);
		return TM_EXIT_OK;
	}
	/* unreadable too: the reader's words say more (a pending write-ahead log, not a database) */
	tm_store_close(cs->store);
	cs->store = ro;
	struct stat st;
	if (defaulted && stat(path, &st) != 0) {
		/* a read-only .trustmap/ without a register: as for a read-only tree */
		fprintf(stderr, "trustmap: not recording this run: cannot create %s: %s (use --store URL or --no-store)\n",
			shown, tm_store_error(cs->store));
		tm_store_close(cs->store);
		cs->store = NULL;
		return TM_EXIT_OK;
	}
	return TM_EXIT_STORE;
}

/* mkdir -p, each new directory private to the user (a register names files and owners). */
static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc != 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* The file name of a root key's register: a readable tail of the key, then a hash (FNV-1a, 64 bits)
 * of all of it, so that two keys never share a file however they are cut or escaped:
 * "https://git.example.com/acme/shop.git#deploy/k8s" -> "https_git.example.com_acme_shop.git_deploy_k8s-<16 hex>.db". */
static void state_file_name(char *out, size_t len, const char *key)
{
	uint64_t h = 14695981039346656037u;
	char slug[49];
	size_t n = 0;
	/* the readable part starts after the last '@': no user name or token of a URL given as
	 * TRUSTMAP_ROOT ends up in a file name (the hash still covers the whole key) */
	const char *at = strrchr(key, '@');
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h = (h ^ *p) * 1099511628211u;
		if (at && p <= (const unsigned char *)at)
			continue;
		bool keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    *p == '.' || *p == '-';
		char c = keep ? (char)*p : '_';
		if (c == '_' && (n == 0 || slug[n - 1] == '_'))
			continue;
		if (n == sizeof(slug) - 1) { /* keep the tail: the last path components say the most */
			memmove(slug, slug + 1, n - 1);
			n--;
		}
		slug[n++] = c;
	}
	size_t start = 0; /* no hidden file, no ragged edges */
	while (start < n && (slug[start] == '_' || slug[start] == '.'))
		start++;
	while (n > start && slug[n - 1] == '_')
		n--;
	slug[n] = '\0';
	snprintf(out, len, "%s%s%016llx.db", slug + start, n > start ? "-" : "", (unsigned long long)h);
}

/* The default register's directory: $XDG_STATE_HOME/trustmap (only an absolute XDG_STATE_HOME
 * counts, as the XDG spec says), else $HOME/.local/state/trustmap; false when neither is set. */
bool tm_cli_state_dir(char *out, size_t len)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(out, len, "%s/trustmap", xdg);
	else if (home && home[0])
		n = snprintf(out, len, "%s/.local/state/trustmap", home);
	else
		return false;
	return n > 0 && (size_t)n < len;
}

/* Best effort: a .gitignore that keeps the in-tree register out of git (and of `git add .`). */
static void ignore_in_git(const char *tree_dir)
{
	char path[PATH_MAX];
	struct stat st;
	int n = snprintf(path, sizeof(path), "%s/.gitignore", tree_dir);
	if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &st) == 0)
		return;
	FILE *f = fopen(path, "wx");
	if (!f)
		return;
	fputs("# trustmap's risk register (--store tree): not part of the sources\n*\n", f);
	fclose(f);
}

/* The default register's URL into cs->url (and the "tree" one): "" when there is none to use, said
 * on stderr for scan/diff (which go on without recording) and left to open_url's "no register" for
 * the others. */
static void default_url(tm_cli_store *cs, const tm_cli_store_opts *o, bool tree)
{
	char dir[PATH_MAX], in_tree[PATH_MAX + 32];
	struct stat st;
	dir_of(o->roots[0], dir, sizeof(dir));
	snprintf(in_tree, sizeof(in_tree), "%s/.trustmap/trustmap.db", dir);
	if (tree || stat(in_tree, &st) == 0) {
		snprintf(cs->url, sizeof(cs->url), "%s/.trustmap", dir);
		if (o->create && mkdir(cs->url, 0777) != 0 && errno != EEXIST) {
			/* a read-only tree (a mounted checkout, a corpus): scan without recording, and say so */
			fprintf(stderr, "trustmap: not recording this run: cannot create %s: %s (use --store URL or --no-store)\n",
				cs->url, strerror(errno));
			cs->url[0] = '\0';
			return;
		}
		if (o->create)
			ignore_in_git(cs->url);
		snprintf(cs->url, sizeof(cs->url), "%s", in_tree);
		return;
	}
	char state[PATH_MAX], name[128];
	if (!tm_cli_state_dir(state, sizeof(state))) {
		if (o->create)
			fprintf(stderr, "trustmap: not recording this run: neither $XDG_STATE_HOME nor $HOME is set "
				"(use --store URL, --store tree or --no-store)\n");
		else
			fprintf(stderr, "trustmap: no register: neither $XDG_STATE_HOME nor $HOME is set (pass --store URL)\n");
		cs->url[0] = '\0';
		return;
	}
	if (o->create && mkdirs(state) != 0) {
		fprintf(stderr, "trustmap: not recording this run: cannot create %s: %s (use --store URL or --no-store)\n",
			state, strerror(errno));
		cs->url[0] = '\0';
		return;
	}
	state_file_name(name, sizeof(name), cs->root);
	int n = snprintf(cs->url, sizeof(cs->url), "%s/%s", state, name);
	if (n < 0 || (size_t)n >= sizeof(cs->url))
		cs->url[0] = '\0'; /* a state directory longer than any path: as if there were none */
}

static int open_store(tm_cli_store *cs, const tm_cli_store_opts *o, bool read_only)
{
	memset(cs, 0, sizeof(*cs));
	int rc = tm_cli_clock(&cs->now, cs->today);
	if (rc)
		return rc;
	/* no register: nothing more to find out (decisions from trustmap.yaml still apply, by today's date) */
	const char *env = getenv("TRUSTMAP_STORE");
	if (o->no_store || (!o->url && env && strcmp(env, "none") == 0))
		return TM_EXIT_OK;
	/* the root key */
	const char *env_root = getenv("TRUSTMAP_ROOT");
	if (env_root && *env_root) {
		snprintf(cs->root, sizeof(cs->root), "%s", env_root);
		char dir[PATH_MAX];
		dir_of(o->roots[0], dir, sizeof(dir));
		cs->in_git = o->nroots == 1 && tm_git_place_of(dir, NULL, &cs->git) == 0;
	} else if (o->nroots == 1) {
		key_of(o->roots[0], cs->root, sizeof(cs->root), &cs->git, &cs->in_git);
	} else {
		/* several roots are one system: their keys, sorted, joined */
		char **keys = calloc(o->nroots, sizeof(char *));
		if (!keys)
			return TM_EXIT_STORE;
		tm_git_place g;
		bool in;
		for (size_t i = 0; i < o->nroots; i++) {
			char k[PATH_MAX + 2048];
			key_of(o->roots[i], k, sizeof(k), &g, &in);
			keys[i] = strdup(k);
		}
		qsort(keys, o->nroots, sizeof(char *), key_cmp);
		size_t used = 0;
		for (size_t i = 0; i < o->nroots; i++) {
			if (keys[i])
				used += (size_t)snprintf(cs->root + used, used < sizeof(cs->root) ? sizeof(cs->root) - used : 0,
							 "%s%s", i ? " + " : "", keys[i]);
			free(keys[i]);
			if (used >= sizeof(cs->root))
				used = sizeof(cs->root) - 1;
		}
		free(keys);
	}
	if (o->nroots == 1)
		dir_of(o->roots[0], cs->git_dir, sizeof(cs->git_dir));
	else
		cs->in_git = false; /* several roots: no one revision */
	/* the store */
	const char *url = o->url;
	if (!url && env && *env)
		url = env;
	bool tree = url && strcmp(url, "tree") == 0;
	bool defaulted = !url || tree;
	if (defaulted) {
		default_url(cs, o, tree);
		if (!cs->url[0])
			return o->create ? TM_EXIT_OK : TM_EXIT_STORE;
	} else {
		snprintf(cs->url, sizeof(cs->url), "%s", url);
	}
	bool said = false;
	rc = open_url(cs, o->create, read_only, defaulted, &said);
	/* from here on only the redacted URL is needed (messages, reports): no credential stays in cs */
	char raw[sizeof(cs->url)];
	memcpy(raw, cs->url, sizeof(raw));
	tm_store_redact(cs->url, sizeof(cs->url), raw);
	memset(raw, 0, sizeof(raw));
	if (rc == TM_EXIT_STORE) {
		if (!said)
			fprintf(stderr, "trustmap: store %s: %s\n", tm_cli_store_display(cs), tm_store_error(cs->store));
		tm_store_close(cs->store);
		cs->store = NULL;
	}
	return rc;
}

int tm_cli_store_open(tm_cli_store *cs, const tm_cli_store_opts *o) { return open_store(cs, o, false); }
int tm_cli_store_open_read_only(tm_cli_store *cs, const tm_cli_store_opts *o) { return open_store(cs, o, true); }

const char *tm_cli_store_display(const tm_cli_store *cs)
{
	/* tm_cli_store_open left it redacted (tm_store_redact): no password in any form */
	return cs->url;
}

void tm_cli_store_close(tm_cli_store *cs)
{
	tm_store_close(cs->store);
	cs->store = NULL;
}

int tm_cli_store_fail(tm_cli_store *cs, const char *what)
{
	fprintf(stderr, "trustmap: store %s: %s: %s\n", tm_cli_store_display(cs), what, tm_store_error(cs->store));
	return TM_EXIT_STORE;
}

bool tm_cli_grow(void **items, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return true;
	size_t want = *cap ? *cap * 2 : 64;
	void *g = want <= SIZE_MAX / elem ? realloc(*items, want * elem) : NULL;
	if (!g)
		return false;
	*items = g;
	*cap = want;
	return true;
}

int tm_cli_store_settle(tm_cli_store *cs, tm_analysis *a)
{
	int rc = tm_store_settle(cs->store, cs->root, cs->today, a);
	if (rc == TM_ENOMEM) {
		fprintf(stderr, "trustmap: out of memory\n");
		return TM_EXIT_INPUT;
	}
	return rc ? tm_cli_store_fail(cs, "reading decisions") : TM_EXIT_OK;
}

int tm_cli_store_record(tm_cli_store *cs, const char *command, const tm_analysis *a, bool partial)
{
	/* no store, or one that cannot be written (tm_cli_store_open said so) */
	if (!cs->store || tm_store_read_only(cs->store))
		return TM_EXIT_OK;
	char last[64] = "";
	tm_run_place place = {cs->root, command, NULL, cs->now, 0, 0, partial};
	if (cs->in_git && cs->git.head[0]) {
		if (tm_store_last_revision(cs->store, cs->root, last, sizeof(last)))
			return tm_cli_store_fail(cs, "reading the last run");
		/* where the window of new commits starts: after the revision the previous run saw */
		tm_git_place now;
		if (last[0] && tm_git_place_of(cs->git_dir, last, &now) == 0)
			place.window_start = now.window_start;
		place.revision = cs->git.head;
		place.revision_time = cs->git.head_time;
	}
	int64_t id = 0;
	int rrc = tm_store_record_analysis(cs->store, &place, a, &id);
	if (rrc == TM_ENOMEM) {
		fprintf(stderr, "trustmap: out of memory\n");
		return TM_EXIT_INPUT;
	}
	if (rrc)
		return tm_cli_store_fail(cs, "recording the run");
	if (isatty(fileno(stderr))) /* progress, on a terminal only */
		fprintf(stderr, "trustmap: run %lld recorded in %s\n", (long long)id, tm_cli_store_display(cs));
	return TM_EXIT_OK;
}
