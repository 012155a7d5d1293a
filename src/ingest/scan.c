/*
 * scan.c - walk the roots, parse candidates, recognise documents, feed ingesters.
 *
 * The walk never leaves a root: symlinks are followed only when their target
 * resolves inside the root, and a directory is entered once (device, inode), so
 * link loops end. Files are processed in sorted display-path order so that
 * every report is deterministic. Parsed files stay alive until the model is
 * finished because ingesters link facts across documents at the end.
 *
 * Two kinds of input are read a line at a time and never held whole (stream_lines below):
 * JSON Lines whose documents are runtime maps (a Hubble capture of 100 MB and more: each line is
 * parsed, handed to the runtime ingester, which keeps only what it aggregates, and freed), and
 * service maps in Prometheus text (`.prom`, or a text file whose head holds istio_requests_total
 * or traces_service_graph_request_total samples), read from the raw text as CODEOWNERS is. Their
 * memory is one line plus what the runtime ingester keeps per distinct pair; they answer to a
 * lines limit (TM_STREAM_LINES_PER_DOC times the documents limit), not to the file-size limit.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compose.h"
#include "k8s_place.h"
#include "parse/caddyfile.h"
#include "parse/nginx.h"
#include "render/kustomize.h"
#include "render/octemplate.h"
#include "runtime.h"
#include "scan_set.h"

#define SNIFF_BYTES 4096
#define SNIFF_MAX_FILE (1u << 20)
/* A streamed file may hold this many times the documents limit in lines. */
#define TM_STREAM_LINES_PER_DOC 100
#define STREAM_CHUNK (1u << 20)

struct parsed {
	const char *path; /* in the scan's arena */
	uint64_t digest;
};


static struct file_state state_of(const struct stat *st)
{
	return (struct file_state){st->st_dev, st->st_ino, st->st_size,
				   (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
				   (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec, true};
}

static bool same_state(struct file_state a, struct file_state b)
{
	return a.dev == b.dev && a.ino == b.ino && a.size == b.size && a.mtime_ns == b.mtime_ns &&
	       a.ctime_ns == b.ctime_ns;
}




struct tm_scan {
	tm_arena *arena;
	tm_scan_set *set;    /* the plan it was run from (a reference) */
	int system;          /* its index in the plan */
	tm_diag_list diags;
	tm_model *model;
	tm_input *inputs;
	size_t ninputs, cap_inputs;
	tm_skip *skips;
	size_t nskips, cap_skips;
	size_t ignored;
	struct parsed *parsed; /* every file read, parsed whole or streamed, in scan order */
	size_t nparsed, cap_parsed;
	size_t outside_reads; /* reads tm_scan_set_same did not see (tm_scan_outside_reads) */
	tm_refs *refs;
	int oom;
};

typedef struct {
	tm_scan_set *s;
	const tm_scan_opts *opts;
	char root_real[PATH_MAX];
	bool single_dir;   /* display paths relative to the root */
	tm_hmap visited;   /* "dev:ino" of entered directories */
	tm_ignore *ignore; /* .gitignore and --exclude */
	const char *root_fs; /* the root as given */
} walker;

#define TM_NAME_FORMAT(id, name, ing) name,
#define TM_ING_FORMAT(id, name, ing) ing,
static const char *const format_names[] = {TM_FORMATS(TM_NAME_FORMAT)};
static const tm_ingester *const format_ingesters[] = {TM_FORMATS(TM_ING_FORMAT)};

const char *tm_format_name(tm_format f)
{
	return (size_t)f < TM_ARRAY_LEN(format_names) ? format_names[f] : "unknown";
}

const tm_ingester *tm_format_ingester(tm_format f)
{
	return (size_t)f < TM_ARRAY_LEN(format_ingesters) ? format_ingesters[f] : NULL;
}

tm_loc tm_ingest__loc(const tm_file *f, const tm_value *v)
{
	return tm_value_loc(f, v);
}

static void skip_add(tm_arena *a, tm_skip **skips, size_t *n, size_t *cap, int *oom, const char *path,
		     const char *reason)
{
	if (TM_GROW(*skips, *cap, *n + 1)) {
		*oom = 1;
		return;
	}
	tm_skip *k = &(*skips)[*n];
	k->path = tm_arena_strdup(a, path);
	k->reason = tm_arena_strdup(a, reason);
	if (!k->path || !k->reason) {
		*oom = 1;
		return;
	}
	(*n)++;
}

static void add_skip(tm_scan *s, const char *path, const char *reason)
{
	skip_add(s->arena, &s->skips, &s->nskips, &s->cap_skips, &s->oom, path, reason);
}

static void set_skip(tm_scan_set *s, const char *path, const char *reason)
{
	skip_add(s->arena, &s->skips, &s->nskips, &s->cap_skips, &s->oom, path, reason);
}

static bool has_suffix_ci(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		char a = name[n - k + i], b = suffix[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

static const char *skip_dir_reason(const char *name)
{
	static const struct {
		const char *name, *why;
	} dirs[] = {
		{".hg", "version control"},
		{".svn", "version control"},     {"node_modules", "third-party packages"},
		{"vendor", "third-party packages"}, {".terraform", "terraform provider cache"},
		{"__pycache__", "build output"},  {".venv", "python environment"},
		{"venv", "python environment"},   {".tox", "build output"},
		{"target", "build output"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(dirs); i++)
		if (strcmp(name, dirs[i].name) == 0)
			return dirs[i].why;
	return NULL;
}

/* git's database and trustmap's own in-tree register: never inputs, nor listed as skipped */
static bool never_walked(const char *name) { return strcmp(name, ".git") == 0 || strcmp(name, ".trustmap") == 0; }

static char *join(tm_arena *a, const char *dir, const char *name)
{
	if (!dir || !*dir || strcmp(dir, ".") == 0)
		return tm_arena_strdup(a, name);
	size_t dl = strlen(dir);
	return tm_arena_printf(a, "%s%s%s", dir, dir[dl - 1] == '/' ? "" : "/", name);
}

static bool inside_root(const walker *w, const char *real)
{
	size_t n = strlen(w->root_real);
	if (strcmp(w->root_real, "/") == 0)
		return true;
	return strncmp(real, w->root_real, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

static void add_candidate(walker *w, const char *fs_path, const char *display, bool codeowners, bool metrics)
{
	if (TM_GROW(w->s->cands, w->s->cap_cands, w->s->ncands + 1)) {
		w->s->oom = 1;
		return;
	}
	struct candidate *c = &w->s->cands[w->s->ncands];
	memset(c, 0, sizeof(*c));
	c->fs_path = tm_arena_strdup(w->s->arena, fs_path);
	c->display = tm_arena_strdup(w->s->arena, display);
	c->codeowners = codeowners;
	c->metrics = metrics;
	if (!c->fs_path || !c->display) {
		w->s->oom = 1;
		return;
	}
	c->render = c->item = -1;
	w->s->ncands++;
}

enum { SNIFF_NONE, SNIFF_DOC, SNIFF_METRICS, SNIFF_NGINX, SNIFF_IOT };

/* What the head of a file says it is: one of our YAML/JSON inputs, service-map metrics, neither. */
static int sniff_head(const char *head, size_t n, uint64_t size)
{
	if (n == 0 || memchr(head, '\0', n))
		return SNIFF_NONE;
	if (tm_detect__metrics(head, n))
		return SNIFF_METRICS; /* streamed: any size */
	/* nginx text of any size is a candidate: reading it says when it is too big */
	if (size > SNIFF_MAX_FILE)
		return tm_ngx_sniff(head, n) ? SNIFF_NGINX : SNIFF_NONE;
	return tm_detect_sniff(head, n)		     ? SNIFF_DOC
	       : tm_ngx_sniff(head, n)		     ? SNIFF_NGINX
	       : tm_ingest__mosquitto_sniff(head, n) ? SNIFF_IOT
						     : SNIFF_NONE;
}

/* Does a file without a YAML/JSON extension look like one of our inputs? */
static int sniff(const char *fs_path, const struct stat *st)
{
	if (st->st_size == 0)
		return SNIFF_NONE;
	struct stat now;
	const char *why;
	int fd = tm_open_regular(fs_path, &now, &why);
	if (fd < 0)
		return SNIFF_NONE;
	char head[SNIFF_BYTES];
	size_t n;
	int rc = tm_read_fd(fd, head, sizeof(head), &n);
	close(fd);
	if (rc)
		return SNIFF_NONE;
	return sniff_head(head, n, (uint64_t)st->st_size);
}

/* A compose .env, then the names its example goes by, in the order one is looked for beside a
 * compose file named alone. */
static const char *const DOTENV_NAMES[] = TM_DOTENV_NAMES;

bool tm_ingest__dotenv_example(const char *name)
{
	for (size_t i = 1; i < TM_ARRAY_LEN(DOTENV_NAMES); i++)
		if (strcmp(name, DOTENV_NAMES[i]) == 0)
			return true;
	return false;
}

/* An environment file another name gives (.env.production, web.env, mailer.env.sample): a compose
 * env_file; not an encrypted one (.env.gpg: git-crypt, age, sops' binary form). */
static bool env_file_name(const char *name)
{
	static const char *const sealed[] = {".gpg", ".age", ".enc", ".asc", ".pgp"};
	static const char *const examples[] = TM_ENV_EXAMPLE_SUFFIXES;
	for (size_t i = 0; i < TM_ARRAY_LEN(sealed); i++)
		if (has_suffix_ci(name, sealed[i]))
			return false;
	if ((strncmp(name, ".env.", 5) == 0 && name[5]) || (has_suffix_ci(name, ".env") && strlen(name) > 4))
		return true;
	for (size_t i = 0; strstr(name, ".env.") && i < TM_ARRAY_LEN(examples); i++)
		if (has_suffix_ci(name, examples[i]))
			return true;
	return false;
}

/* What a file is by its name alone, the same for a walk of the disk and for the files of a git
 * tree: a candidate of a known kind, or NAME_SNIFF (its head decides). */
enum { NAME_SNIFF, NAME_DOC, NAME_CODEOWNERS, NAME_DOTENV, NAME_METRICS, NAME_HCL, NAME_PROTO, NAME_PROPERTIES,
       NAME_DOCKERFILE, NAME_CADDY, NAME_IOT };
static int kind_by_name(const char *name)
{
	if (strcmp(name, "CODEOWNERS") == 0)
		return NAME_CODEOWNERS;
	if (strcmp(name, "Kustomization") == 0)
		return NAME_DOC;
	if (tm_cdy_name(name)) /* before the extensions: Caddyfile.json is no JSON */
		return NAME_CADDY;
	/* Mosquitto's configuration under its own name, Node-RED's settings (iot.c reads them; a
	 * settings.js that is not Node-RED's is passed over there) */
	if ((strncmp(name, "mosquitto", 9) == 0 && has_suffix_ci(name, ".conf")) || strcmp(name, "settings.js") == 0)
		return NAME_IOT;
	if (strcmp(name, ".env") == 0 || tm_ingest__dotenv_example(name))
		return NAME_DOTENV;
	if (has_suffix_ci(name, ".yaml") || has_suffix_ci(name, ".yml") || has_suffix_ci(name, ".json") ||
	    has_suffix_ci(name, ".jsonl") || has_suffix_ci(name, ".ndjson"))
		return NAME_DOC;
	if (tm_ingest__is_dockerfile_name(name)) /* Dockerfile.env is a Dockerfile */
		return NAME_DOCKERFILE;
	if (env_file_name(name))
		return NAME_DOTENV;
	if (has_suffix_ci(name, ".prom"))
		return NAME_METRICS;
	if (tm_ingest__is_hcl_name(name))
		return NAME_HCL;
	if (has_suffix_ci(name, ".tfstate")) /* JSON: recognised by content */
		return NAME_DOC;
	if (has_suffix_ci(name, ".proto"))
		return NAME_PROTO;
	if (tm_detect__properties(name))
		return NAME_PROPERTIES;
	return NAME_SNIFF;
}

/* What a sniffed file's head says, given its name: prose quoting an nginx snippet or a manifest (a
 * chart's README shows the ClusterRole it installs) is documentation, not the proxy's configuration
 * nor a YAML input. A metrics dump may be named .txt. */
static int sniffed_kind(const char *name, int kind)
{
	static const char *const prose[] = {".md", ".markdown", ".txt", ".rst", ".adoc", ".html", ".htm"};
	for (size_t i = 0; (kind == SNIFF_NGINX || kind == SNIFF_DOC) && i < TM_ARRAY_LEN(prose); i++)
		if (has_suffix_ci(name, prose[i]))
			return SNIFF_NONE;
	/* a Mosquitto configuration under another name: a .conf file */
	if (kind == SNIFF_IOT && !has_suffix_ci(name, ".conf"))
		return SNIFF_NONE;
	return kind;
}

/* The flags of candidate c for a file of kind k (kind_by_name). */
static void mark_kind(struct candidate *c, int k)
{
	c->codeowners = k == NAME_CODEOWNERS;
	c->dotenv = k == NAME_DOTENV;
	c->metrics = k == NAME_METRICS;
	c->hcl = k == NAME_HCL;
	c->proto = k == NAME_PROTO;
	c->properties = k == NAME_PROPERTIES;
	c->dockerfile = k == NAME_DOCKERFILE;
	c->caddy = k == NAME_CADDY;
	c->iot = k == NAME_IOT;
}

/* The .env beside compose file root (display: its name in reports), when there is one. */
static void add_sibling_dotenv(walker *w, const char *root, const char *display)
{
	/* the .env, or without one its example (the compose reader says so where it uses it) */
	const char *const *names = DOTENV_NAMES;
	const char *rs = strrchr(root, '/'), *ds = strrchr(display, '/');
	char fs[PATH_MAX], shown[PATH_MAX];
	struct stat st;
	bool found = false;
	for (size_t i = 0; i < TM_ARRAY_LEN(DOTENV_NAMES) && !found; i++) {
		int n = tm_formatf(fs, sizeof(fs), "%.*s%s", rs ? (int)(rs - root + 1) : 0, root, names[i]);
		int m = tm_formatf(shown, sizeof(shown), "%.*s%s", ds ? (int)(ds - display + 1) : 0, display, names[i]);
		found = n > 0 && (size_t)n < sizeof(fs) && m > 0 && (size_t)m < sizeof(shown) && stat(fs, &st) == 0 &&
			S_ISREG(st.st_mode);
	}
	if (!found)
		return;
	/* also named as a root: plan_finish reads one path once */
	size_t before = w->s->ncands;
	const char *fsc = tm_arena_strdup(w->s->arena, fs), *shownc = tm_arena_strdup(w->s->arena, shown);
	if (!fsc || !shownc) {
		w->s->oom = 1;
		return;
	}
	add_candidate(w, fsc, shownc, false, false);
	if (w->s->ncands > before)
		mark_kind(&w->s->cands[before], NAME_DOTENV);
}

static void consider_file(walker *w, const char *fs_path, const char *display, const char *name,
			  const struct stat *st)
{
	size_t before = w->s->ncands;
	int k = kind_by_name(name);
	if (k != NAME_SNIFF) {
		add_candidate(w, fs_path, display, false, false);
		if (w->s->ncands > before)
			mark_kind(&w->s->cands[before], k);
		return;
	}
	int kind = sniffed_kind(name, sniff(fs_path, st));
	if (kind != SNIFF_NONE)
		add_candidate(w, fs_path, display, false, kind == SNIFF_METRICS);
	else
		w->s->ignored++;
	if (kind == SNIFF_NGINX && w->s->ncands > before)
		w->s->cands[before].nginx = true;
	if (kind == SNIFF_IOT && w->s->ncands > before)
		w->s->cands[before].iot = true;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(walker *w, const char *fs_dir, const char *display_dir, uint32_t depth);

/* fs_path relative to the root being walked (fs paths are joined onto the root as given). */
static const char *rel_of(const walker *w, const char *fs_path)
{
	size_t n = strlen(w->root_fs);
	if (strcmp(w->root_fs, ".") == 0)
		return fs_path;
	if (strncmp(fs_path, w->root_fs, n) != 0)
		return fs_path;
	fs_path += n;
	while (*fs_path == '/')
		fs_path++;
	return fs_path;
}

static void visit(walker *w, const char *fs_path, const char *display, const char *name,
		  uint32_t depth)
{
	struct stat lst, st;
	char real[PATH_MAX];
	/* git's database and trustmap's own in-tree register are never inputs, and are not listed as
	 * skipped either: every repository has the one (a directory, or a file in a worktree), and the
	 * other is written by trustmap itself, so listing them would change the report from run to run */
	if (never_walked(name))
		return;
	if (lstat(fs_path, &lst) != 0)
		return;
	if (tm_ignore_match(w->ignore, rel_of(w, fs_path), S_ISDIR(lst.st_mode))) {
		w->s->ignored += !S_ISDIR(lst.st_mode);
		return;
	}
	if (S_ISLNK(lst.st_mode)) {
		if (!realpath(fs_path, real) || stat(real, &st) != 0) {
			set_skip(w->s, display, "broken symlink");
			return;
		}
		if (!inside_root(w, real)) {
			set_skip(w->s, display, "symlink leaves the scanned root");
			return;
		}
	} else {
		st = lst;
	}
	if (S_ISDIR(st.st_mode)) {
		const char *why = skip_dir_reason(name);
		if (why) {
			set_skip(w->s, display, why);
			return;
		}
		char probe[PATH_MAX];
		tm_formatf(probe, sizeof(probe), "%s/CMakeCache.txt", fs_path);
		if (access(probe, F_OK) == 0) {
			set_skip(w->s, display, "build output");
			return;
		}
		walk_dir(w, fs_path, display, depth + 1);
	} else if (S_ISREG(st.st_mode)) {
		/* a link to a file is read through its checked target: files open with O_NOFOLLOW */
		consider_file(w, S_ISLNK(lst.st_mode) ? real : fs_path, display, name, &st);
	}
}

static void walk_dir(walker *w, const char *fs_dir, const char *display_dir, uint32_t depth)
{
	struct stat st;
	if (stat(fs_dir, &st) != 0)
		return;
	char key[64];
	int klen = tm_formatf(key, sizeof(key), "%llu:%llu", (unsigned long long)st.st_dev,
			    (unsigned long long)st.st_ino);
	if (depth > 64 || tm_hmap_get(&w->visited, key, (size_t)klen))
		return;
	char *k = tm_arena_strndup(w->s->arena, key, (size_t)klen);
	if (!k || tm_hmap_put(&w->visited, k, (size_t)klen, k)) {
		w->s->oom = 1;
		return;
	}
	DIR *d = opendir(fs_dir);
	if (!d) {
		tm_loc loc = {display_dir, 0, 0, NULL};
		tm_diag_add(&w->s->diags, TM_EIO, TM_LEVEL_WARNING, loc, "cannot read directory: %s",
			    strerror(errno));
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *nm = tm_arena_strdup(w->s->arena, de->d_name);
		if (!nm || TM_GROW(names, cap, n + 1)) {
			w->s->oom = 1;
			break;
		}
		names[n++] = nm;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(char *), name_cmp);
	for (size_t i = 0; i < n && !w->s->oom; i++) {
		char *fs = join(w->s->arena, fs_dir, names[i]);
		char *disp = join(w->s->arena, display_dir, names[i]);
		if (!fs || !disp) {
			w->s->oom = 1;
			break;
		}
		visit(w, fs, disp, names[i], depth);
	}
	tm_free(names);
}

static int skip_cmp(const void *a, const void *b)
{
	return strcmp(((const tm_skip *)a)->path, ((const tm_skip *)b)->path);
}

static int cand_cmp(const void *a, const void *b)
{
	return strcmp(((const struct candidate *)a)->display, ((const struct candidate *)b)->display);
}

/* The reason a file that produced nothing is skipped: its first error or warning. */
static const char *first_problem(const tm_diag_list *d, size_t from, const char *fallback)
{
	for (size_t i = from; i < d->count; i++)
		if (d->items[i].level >= TM_LEVEL_WARNING)
			return d->items[i].msg;
	for (size_t i = from; i < d->count; i++)
		return d->items[i].msg;
	return fallback;
}

struct owners_file {
	const char *display;
	char *text;
	size_t len;
	int rank; /* GitHub reads .github/ first, then the root, then docs/ */
};

struct ingest_run {
	tm_scan *s;
	tm_ingest_ctx ctx;
	struct owners_file *owners;
	size_t nowners, cap_owners;
	void *state[TM_FMT__COUNT];
	bool begun[TM_FMT__COUNT];
	const tm_pset *dropped; /* definitions another one of the same object replaces */
};

void tm_ingest__finish_all(tm_ingest_ctx *ctx, void *const state[TM_FMT__COUNT], const bool begun[TM_FMT__COUNT],
			   const int *stop)
{
	/* every finish before any state is freed: the Gateway API reader's finish asks the Kubernetes
	 * reader's objects for the Kong plugins and Traefik middlewares its routes name (ctx->kube) */
	for (int k = 0; k < TM_FMT__COUNT; k++) {
		const tm_ingester *ing = tm_format_ingester((tm_format)k);
		/* the calls applications' configuration files and images' environments make, once the
		 * workloads and Services they name are modelled: before the gateways resolve "${NAME}"
		 * upstreams through them and a runtime map is compared with what the files declare */
		if (k == TM_FMT_GATEWAY && !(stop && *stop)) {
			tm_ingest__mounted_configs(ctx); /* a file a workload names as its configuration */
			tm_ingest__config_calls(ctx);
		}
		/* every call drawn: brokers judged by their configuration files (and consoles by
		 * theirs), then stores named by what calls them, before the overlay's assets */
		if (k == TM_FMT_OVERLAY && ctx->mb && !(stop && *stop)) {
			tm_ingest__iot_finish(ctx);
			tm_stores__classify_by_callers(ctx);
			tm_ingest__task_queues(ctx); /* the brokers' hops to the workers that consume them */
		}
		if (begun[k] && ing->finish && !(stop && *stop))
			ing->finish(ctx, state[k]);
	}
	tm_ingest__config_calls_free(ctx);
	ctx->kube = NULL;
	for (int k = 0; k < TM_FMT__COUNT; k++) {
		const tm_ingester *ing = tm_format_ingester((tm_format)k);
		if (begun[k] && ing->end)
			ing->end(state[k]);
	}
}

static bool feed(struct ingest_run *r, tm_format fmt, const tm_file *f, const tm_value *doc,
		 const char *detail)
{
	const tm_ingester *ing = tm_format_ingester(fmt);
	if (!r->begun[fmt]) {
		r->begun[fmt] = true;
		r->state[fmt] = ing->begin ? ing->begin(&r->ctx) : NULL;
	}
	return ing->doc(&r->ctx, r->state[fmt], f, doc, detail);
}

#define TALLY_KINDS 32 /* the kinds not modelled a file lists; more are counted under the last */

/* Per-file tally of what its documents were. */
struct tally {
	size_t documents, modelled;
	tm_kind_count unmodelled[TALLY_KINDS]; /* kinds point into the file's documents */
	size_t nunmodelled;
	tm_format first;
	bool seen[TM_FMT__COUNT];
	const char *first_detail;
	const char *first_group; /* the first document's API group, when no Kubernetes built-in one */
	const char *unsupported;
};

/* The API group of a Kubernetes object's apiVersion ("projectcalico.org/v3" -> "projectcalico.org")
 * when it is no group of Kubernetes itself (the core "v1", apps, batch, *.k8s.io...); else NULL. A
 * kind passed over is named with it: a Calico NetworkPolicy is not Kubernetes' NetworkPolicy. */
static const char *outside_group(const tm_value *doc)
{
	static const char *const builtin[] = {"apps", "batch", "extensions", "policy", "autoscaling"};
	const char *api = tm_map_get_str(doc, "apiVersion");
	const char *slash = api ? strchr(api, '/') : NULL;
	if (!slash || slash == api)
		return NULL;
	size_t n = (size_t)(slash - api);
	for (size_t i = 0; i < TM_ARRAY_LEN(builtin); i++)
		if (strlen(builtin[i]) == n && strncmp(api, builtin[i], n) == 0)
			return NULL;
	if (n >= 7 && strncmp(slash - 7, ".k8s.io", 7) == 0)
		return NULL;
	return api;
}

/* An object of kind the ingesters passed over (a CustomResourceDefinition, a ServiceMonitor, an
 * EnvoyFilter): counted by kind, for the report's coverage. */
static void tally_unmodelled(struct tally *t, const char *kind, const tm_value *doc)
{
	uint64_t h = tm_value_hash(doc);
	for (size_t i = 0; i < t->nunmodelled; i++)
		if (strcmp(t->unmodelled[i].kind, kind) == 0) {
			t->unmodelled[i].count++;
			t->unmodelled[i].digest += h;
			return;
		}
	if (t->nunmodelled < TALLY_KINDS)
		t->unmodelled[t->nunmodelled++] = (tm_kind_count){kind, 1, h};
	else {
		tm_kind_count *last = &t->unmodelled[TALLY_KINDS - 1];
		*last = (tm_kind_count){"(other kinds)", last->count + 1, last->digest + h};
	}
}

/* Is doc a Gateway API HTTPRoute or GRPCRoute one of whose parentRefs is a Linkerd Server? Linkerd's
 * policy controller reads such a route as its own (policy.linkerd.io's HTTPRoute), so the Kubernetes
 * reader, which reads Linkerd's policy (k8s_linkerd.c), sees it too. */
static bool linkerd_route(const tm_value *doc, const char *kind)
{
	const char *api = tm_map_get_str(doc, "apiVersion");
	if (!kind || (strcmp(kind, "HTTPRoute") != 0 && strcmp(kind, "GRPCRoute") != 0) || !api ||
	    strncmp(api, "gateway.networking.k8s.io/", 26) != 0)
		return false;
	const tm_value *parents = tm_map_get(tm_map_get(doc, "spec"), "parentRefs");
	for (size_t i = 0; i < tm_value_len(parents); i++) {
		const char *pk = tm_map_get_str(tm_seq_at(parents, i), "kind");
		const char *pg = tm_map_get_str(tm_seq_at(parents, i), "group");
		if (pk && pg && strcmp(pk, "Server") == 0 && strcmp(pg, "policy.linkerd.io") == 0)
			return true;
	}
	return false;
}

static void take_doc(struct ingest_run *r, const tm_file *f, const tm_value *doc, struct tally *t,
		     const char *base, uint32_t depth)
{
	tm_detected det;
	tm_detect(doc, base, &det);
	/* a List (kind: List, RoleList, ServiceList...) holds objects; each item is recognised on its own */
	if (depth == 0 && tm_objs__is_list(doc)) {
		const tm_value *items = tm_map_get(doc, "items");
		/* each item counts as a document, as kubectl would apply it */
		if (tm_value_len(items))
			t->documents += tm_value_len(items) - 1;
		for (size_t i = 0; i < tm_value_len(items); i++)
			take_doc(r, f, tm_seq_at(items, i), t, base, depth + 1);
		return;
	}
	if (det.format == TM_FMT_UNKNOWN)
		return;
	if (t->first == TM_FMT_UNKNOWN) {
		t->first = det.format;
		t->first_detail = det.detail;
		t->first_group = det.format == TM_FMT_KUBERNETES ? outside_group(doc) : NULL;
	}
	t->seen[det.format] = true;
	/* a file whose objects all stand again elsewhere is still of its kind (it was "unknown") */
	if (r->dropped && tm_pset_has(r->dropped, doc)) {
		t->modelled++; /* one object with the definition that replaced it */
		return;
	}
	if (det.unsupported) {
		if (!t->unsupported)
			t->unsupported = det.unsupported;
		return;
	}
	bool modelled = tm_format_ingester(det.format) && feed(r, det.format, f, doc, det.detail);
	if (det.format == TM_FMT_GATEWAY_API && linkerd_route(doc, det.detail))
		modelled = feed(r, TM_FMT_KUBERNETES, f, doc, det.detail) || modelled;
	if (modelled)
		t->modelled++;
	else if (det.detail && (det.format == TM_FMT_KUBERNETES || det.format == TM_FMT_ISTIO ||
				det.format == TM_FMT_GATEWAY_API))
		tally_unmodelled(t, det.detail, doc);
}

static void record_input(tm_scan *s, const char *path, const struct tally *t)
{
	if (TM_GROW(s->inputs, s->cap_inputs, s->ninputs + 1)) {
		s->oom = 1;
		return;
	}
	tm_input *in = &s->inputs[s->ninputs];
	memset(in, 0, sizeof(*in));
	in->path = tm_arena_strdup(s->arena, path);
	in->kind = tm_format_name(t->first);
	in->documents = t->documents;
	in->modelled = t->modelled;
	size_t n = 0;
	for (int k = 0; k < TM_FMT__COUNT; k++)
		n += t->seen[k];
	const char **kinds = tm_arena_alloc(s->arena, (n + 1) * sizeof(char *));
	if (!in->path || !kinds) {
		s->oom = 1;
		return;
	}
	/* names in sorted order: the format table is not alphabetical */
	size_t j = 0;
	for (int k = 0; k < TM_FMT__COUNT; k++)
		if (t->seen[k])
			kinds[j++] = tm_format_name((tm_format)k);
	qsort(kinds, j, sizeof(char *), name_cmp);
	kinds[j] = NULL;
	in->kinds = kinds;
	tm_kind_count *um = t->nunmodelled ? tm_arena_alloc(s->arena, t->nunmodelled * sizeof(*um)) : NULL;
	for (size_t i = 0; um && i < t->nunmodelled; i++)
		um[i] = (tm_kind_count){tm_arena_strdup(s->arena, t->unmodelled[i].kind), t->unmodelled[i].count,
					 t->unmodelled[i].digest};
	if (t->nunmodelled && !um) {
		s->oom = 1;
		return;
	}
	in->unmodelled = um;
	in->nunmodelled = um ? t->nunmodelled : 0;
	s->ninputs++;
}

#define TEXT_INPUT_MAX (1u << 20)

/* An input read while the model is built, after tm_scan_set_same compared its bytes: if it changed
 * since, the comparison did not see what this scan reads (tm_scan_outside_reads). */
static void note_unseen(tm_scan *s, const struct candidate *c, struct file_state now)
{
	if (c->seen.set && (!now.set || !same_state(c->seen, now)))
		s->outside_reads++;
}

/* A small text input (CODEOWNERS, a compose .env) read whole into the scan's arena, NUL-terminated:
 * true with *buf and *len, or false after a diagnostic naming what (too big, unreadable, not UTF-8
 * or holding a NUL byte) and a skip. */
static bool read_text_input(tm_scan *s, const struct candidate *c, const char *what, char **buf, size_t *len)
{
	tm_loc loc = {c->display, 0, 0, NULL};
	*buf = NULL;
	*len = 0;
	/* the buffer fits the file (a repository holds hundreds of .proto files), one byte more than the
	 * limit at most, so a longer file is seen to be longer */
	if (c->mem) {
		*len = c->mem_len > TEXT_INPUT_MAX ? TEXT_INPUT_MAX + 1 : c->mem_len;
		*buf = tm_arena_alloc(s->arena, *len + 1);
		if (!*buf) {
			s->oom = 1;
			return false;
		}
		memcpy(*buf, c->mem, *len > TEXT_INPUT_MAX ? TEXT_INPUT_MAX : *len);
	} else {
		struct stat st;
		const char *why;
		int fd = tm_open_regular(c->fs_path, &st, &why);
		if (fd < 0) {
			note_unseen(s, c, (struct file_state){0});
			tm_diag_add(&s->diags, TM_EIO, TM_LEVEL_ERROR, loc, "cannot read: %s", why);
			add_skip(s, c->display, "could not be read");
			return false;
		}
		note_unseen(s, c, state_of(&st));
		size_t want = st.st_size > (off_t)TEXT_INPUT_MAX ? TEXT_INPUT_MAX + 1 : (size_t)st.st_size + 1;
		*buf = tm_arena_alloc(s->arena, want + 1);
		if (!*buf) {
			close(fd);
			s->oom = 1;
			return false;
		}
		if (tm_read_fd(fd, *buf, want, len))
			*len = 0;
		close(fd);
	}
	if (*len > TEXT_INPUT_MAX) {
		tm_diag_add(&s->diags, TM_ELIMIT, TM_LEVEL_ERROR, loc, "%s larger than 1 MiB; not read", what);
		add_skip(s, c->display, "over the size limit");
		return false;
	}
	/* a .properties file is ISO-8859-1 unless it is UTF-8, a Dockerfile may have a Latin-1 comment
	 * (their readers convert them) */
	size_t bad = c->properties || c->dockerfile ? *len : tm_utf8_check((const unsigned char *)*buf, *len);
	const char *nul = memchr(*buf, 0, *len);
	if (bad < *len || nul) {
		uint32_t line, col;
		tm_offset_to_linecol(*buf, *len, bad < *len ? bad : (size_t)(nul - *buf), &line, &col);
		tm_loc bl = {c->display, line, col, NULL};
		tm_diag_add(&s->diags, TM_EINVALID, TM_LEVEL_ERROR, bl, "invalid UTF-8 or a NUL byte; %s not read", what);
		add_skip(s, c->display, "invalid UTF-8");
		return false;
	}
	(*buf)[*len] = '\0';
	return true;
}

/* A text input of format fmt: one document, modelled. */
static void text_input_read(tm_scan *s, const struct candidate *c, tm_format fmt)
{
	struct tally t;
	memset(&t, 0, sizeof(t));
	t.first = fmt;
	t.seen[fmt] = true;
	t.documents = t.modelled = 1;
	record_input(s, c->display, &t);
}

/* CODEOWNERS is text, not YAML: read it here, apply it after every ingester has finished. */
static void read_codeowners(struct ingest_run *r, const struct candidate *c)
{
	tm_scan *s = r->s;
	char *buf;
	size_t len;
	if (!read_text_input(s, c, "CODEOWNERS", &buf, &len))
		return;
	if (TM_GROW(r->owners, r->cap_owners, r->nowners + 1)) {
		s->oom = 1;
		return;
	}
	const char *d = c->display;
	size_t dl = strlen(d);
	int rank = 1;
	if (dl >= 18 && strcmp(d + dl - 18, ".github/CODEOWNERS") == 0)
		rank = 0;
	else if (dl >= 15 && strcmp(d + dl - 15, "docs/CODEOWNERS") == 0)
		rank = 2;
	r->owners[r->nowners++] = (struct owners_file){tm_arena_strdup(s->arena, d), buf, len, rank};
	text_input_read(s, c, TM_FMT_CODEOWNERS);
}

/* A compose .env is text: read it here and hand it to the compose ingester, which interpolates the
 * projects of its directory with it (its values never reach a report but through what they decide). */
static void read_dotenv(struct ingest_run *r, const struct candidate *c)
{
	char *buf;
	size_t len;
	if (!read_text_input(r->s, c, ".env", &buf, &len))
		return;
	const tm_ingester *ing = tm_format_ingester(TM_FMT_COMPOSE);
	if (!r->begun[TM_FMT_COMPOSE]) {
		r->begun[TM_FMT_COMPOSE] = true;
		r->state[TM_FMT_COMPOSE] = ing->begin ? ing->begin(&r->ctx) : NULL;
	}
	tm_ingest__compose_dotenv(r->state[TM_FMT_COMPOSE], c->display, buf, len);
	text_input_read(r->s, c, TM_FMT_COMPOSE);
}

static int owners_cmp(const void *pa, const void *pb)
{
	const struct owners_file *a = pa, *b = pb;
	return a->rank != b->rank ? a->rank - b->rank : strcmp(a->display, b->display);
}

static void add_parsed(tm_scan *s, const char *path, uint64_t digest)
{
	const char *p = tm_arena_strdup(s->arena, path);
	if (!p || TM_GROW(s->parsed, s->cap_parsed, s->nparsed + 1)) {
		s->oom = 1;
		return;
	}
	s->parsed[s->nparsed++] = (struct parsed){p, digest};
}

/* ---- files read a line at a time ------------------------------------------------------- */

/* The lines of a file on disk (read in chunks into a buffer that grows only for a long line) or
 * in memory. The digest hashes each line with its number, so it does not depend on the chunks. */
struct lines {
	int fd;             /* -1: in memory */
	const char *mem;
	size_t mem_len;
	char *buf;
	size_t cap, start, end, max_line;
	bool eof;
	size_t first_chunk; /* the buffer's first size: STREAM_CHUNK, or SNIFF_BYTES for a probe */
	bool skim;          /* a line over max_line is skimmed (lines_skim), not refused */
	bool skimmed;       /* the last line was: text holds its head only, last its last non-blank byte */
	char last;
	uint32_t lineno;
	uint64_t digest;
	struct file_state opened; /* the file when opened (set: on disk) */
};

static int lines_open(struct lines *ls, const struct candidate *c, const tm_limits *limits, const char **why)
{
	memset(ls, 0, sizeof(*ls));
	ls->fd = -1;
	ls->max_line = limits->max_file_bytes;
	ls->first_chunk = STREAM_CHUNK;
	if (c->mem) {
		ls->mem = c->mem;
		ls->mem_len = c->mem_len;
		return 0;
	}
	struct stat st;
	ls->fd = tm_open_regular(c->fs_path, &st, why);
	if (ls->fd >= 0)
		ls->opened = state_of(&st);
	return ls->fd < 0 ? TM_EIO : 0;
}

static void lines_close(struct lines *ls)
{
	if (ls->fd >= 0)
		close(ls->fd);
	tm_free(ls->buf);
	ls->buf = NULL;
	ls->fd = -1;
}

static char last_nonblank(const char *t, size_t n, char prev)
{
	while (n && (t[n - 1] == '\r' || t[n - 1] == ' ' || t[n - 1] == '\t'))
		n--;
	return n ? t[n - 1] : prev;
}

/* A line longer than max_line, of which buf holds the head (start 0, end == cap): read on to its
 * newline a chunk at a time, keeping only its last non-blank byte, so the probe's memory stays
 * bounded however long the line. The next line starts after the head. */
static int lines_skim(struct lines *ls, const char **text, size_t *len)
{
	char chunk[32768];
	size_t head = ls->end;
	ls->last = last_nonblank(ls->buf, head, '\0');
	for (;;) {
		size_t got;
		if (tm_read_fd(ls->fd, chunk, sizeof(chunk), &got))
			return TM_EIO;
		ls->eof = got < sizeof(chunk);
		const char *nl = memchr(chunk, '\n', got);
		size_t upto = nl ? (size_t)(nl - chunk) : got;
		ls->last = last_nonblank(chunk, upto, ls->last);
		if (nl || ls->eof) {
			size_t rest = nl ? got - upto - 1 : 0;
			char *nb = tm_realloc(ls->buf, head + sizeof(chunk));
			if (!nb)
				return TM_ENOMEM;
			ls->buf = nb;
			ls->cap = head + sizeof(chunk);
			memcpy(ls->buf + head, chunk + upto + (nl ? 1 : 0), rest);
			ls->start = head;
			ls->end = head + rest;
			break;
		}
	}
	*text = ls->buf;
	*len = head;
	ls->skimmed = true;
	ls->lineno++;
	return 1;
}

/* 1 and the next line (without its newline), 0 at the end, or TM_EIO, TM_ELIMIT, TM_ENOMEM. */
static int lines_next(struct lines *ls, const char **text, size_t *len)
{
	const char *nl = NULL;
	ls->skimmed = false;
	if (ls->fd < 0) {
		if (ls->start >= ls->mem_len)
			return 0;
		nl = memchr(ls->mem + ls->start, '\n', ls->mem_len - ls->start);
		size_t end = nl ? (size_t)(nl - ls->mem) : ls->mem_len;
		*text = ls->mem + ls->start;
		*len = end - ls->start;
		ls->start = end + 1;
	} else {
		while (!(nl = ls->end > ls->start ? memchr(ls->buf + ls->start, '\n', ls->end - ls->start) : NULL) &&
		       !ls->eof) {
			if (ls->start) {
				memmove(ls->buf, ls->buf + ls->start, ls->end - ls->start);
				ls->end -= ls->start;
				ls->start = 0;
			}
			if (ls->end == ls->cap) {
				if (ls->cap > ls->max_line && ls->skim)
					return lines_skim(ls, text, len);
				if (ls->cap > ls->max_line)
					return TM_ELIMIT;
				size_t want = ls->cap ? 2 * ls->cap : ls->first_chunk;
				char *nb = tm_realloc(ls->buf, want);
				if (!nb)
					return TM_ENOMEM;
				ls->buf = nb;
				ls->cap = want;
			}
			size_t got;
			if (tm_read_fd(ls->fd, ls->buf + ls->end, ls->cap - ls->end, &got))
				return TM_EIO;
			ls->eof = got < ls->cap - ls->end;
			ls->end += got;
		}
		if (!nl && ls->start >= ls->end)
			return 0;
		size_t end = nl ? (size_t)(nl - ls->buf) : ls->end;
		*text = ls->buf + ls->start;
		*len = end - ls->start;
		ls->start = nl ? end + 1 : end;
	}
	if (*len > ls->max_line && ls->skim) {
		ls->skimmed = true; /* in memory already: only its ends are looked at */
		ls->last = last_nonblank(*text, *len, '\0');
	} else if (*len > ls->max_line) {
		return TM_ELIMIT;
	}
	ls->lineno++;
	uint64_t h[2] = {tm_hash(*text, *len), ls->lineno};
	ls->digest = tm_hash(h, sizeof(h)) ^ (ls->digest * 0x9E3779B97F4A7C15ull);
	return 1;
}

static bool blank(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r')
			return false;
	return true;
}

static void *format_state(struct ingest_run *r, tm_format fmt)
{
	if (!r->begun[fmt]) {
		const tm_ingester *ing = tm_format_ingester(fmt);
		r->begun[fmt] = true;
		r->state[fmt] = ing->begin ? ing->begin(&r->ctx) : NULL;
	}
	if (!r->state[fmt])
		r->s->oom = 1;
	return r->state[fmt];
}

/* A .proto is text: read it here and hand it to the gRPC ingester, which makes its services'
 * endpoints when it finishes (after the workloads they are linked to). */
static void read_proto(struct ingest_run *r, const struct candidate *c)
{
	char *buf;
	size_t len;
	if (!read_text_input(r->s, c, ".proto", &buf, &len))
		return;
	void *st = format_state(r, TM_FMT_GRPC);
	if (!st)
		return;
	add_parsed(r->s, c->display, tm_hash(buf, len));
	tm_ingest__proto_text(&r->ctx, st, c->display, buf, len);
	text_input_read(r->s, c, TM_FMT_GRPC);
}

/* A .properties file's text, read as the configuration its name says (appconfig.c). */
static bool properties_text(tm_ingest_ctx *ctx, const char *path, const char *text, size_t len)
{
	return tm_ingest__properties_text(ctx, path, tm_detect__properties(tm_scan__basename(path)), text, len);
}

/* An application's configuration that is text, not a document: a Java .properties (its properties
 * judged as a configuration file's, appconfig.c) or a Dockerfile (its image's environment,
 * dockerfile.c); fn reads it, false when it is not text. */
static void read_config_text(struct ingest_run *r, const struct candidate *c, const char *what, const char *not_read,
			     bool (*fn)(tm_ingest_ctx *ctx, const char *path, const char *text, size_t len))
{
	char *buf;
	size_t len;
	if (!read_text_input(r->s, c, what, &buf, &len))
		return;
	add_parsed(r->s, c->display, tm_hash(buf, len));
	if (fn(&r->ctx, c->display, buf, len))
		text_input_read(r->s, c, TM_FMT_APP_CONFIG);
	else
		add_skip(r->s, c->display, not_read);
}

/* Terraform configuration is HCL text: read it here and hand it to the terraform reader, which
 * evaluates each module directory when it finishes (its files together). */
static void read_hcl(struct ingest_run *r, const struct candidate *c)
{
	char *buf;
	size_t len;
	if (!read_text_input(r->s, c, "terraform configuration", &buf, &len))
		return;
	void *st = format_state(r, TM_FMT_TERRAFORM_CONFIG);
	if (!st)
		return;
	add_parsed(r->s, c->display, tm_hash(buf, len));
	if (tm_ingest__terraform_text(&r->ctx, st, c->display, buf, len))
		text_input_read(r->s, c, TM_FMT_TERRAFORM_CONFIG);
	else
		add_skip(r->s, c->display, "terraform configuration: could not be parsed");
}

/* A Caddyfile is text, read as nginx's is. */
static void read_caddy(struct ingest_run *r, const struct candidate *c)
{
	char *buf;
	size_t len;
	if (!read_text_input(r->s, c, "Caddyfile", &buf, &len))
		return;
	if (!r->ctx.gw)
		return;
	add_parsed(r->s, c->display, tm_hash(buf, len));
	tm_ingest__caddy_text(&r->ctx, c->display, buf, len);
	text_input_read(r->s, c, TM_FMT_GATEWAY);
}

/* A Mosquitto configuration or Node-RED's settings.js: text kept for iot.c, which links it to the
 * workload reading it once every platform reader has finished. A settings.js that is not
 * Node-RED's is passed over, as any other file no reader takes. */
static void read_iot(struct ingest_run *r, const struct candidate *c)
{
	char *buf;
	size_t len;
	const char *base = tm_scan__basename(c->display);
	bool js = strcmp(base, "settings.js") == 0;
	if (!read_text_input(r->s, c, js ? "Node-RED settings" : "Mosquitto configuration", &buf, &len))
		return;
	if (js && !tm_ingest__nodered_sniff(buf, len)) {
		r->s->ignored++;
		return;
	}
	add_parsed(r->s, c->display, tm_hash(buf, len));
	if (js)
		tm_ingest__nodered_text(&r->ctx, c->display, NULL, buf, len, 0, 0, NULL, 0);
	else
		tm_ingest__mosquitto_text(&r->ctx, c->display, NULL, buf, len, 0, 0, NULL, 0);
	text_input_read(r->s, c, TM_FMT_APP_CONFIG);
}

/* nginx configuration is text: read it here and hand it to the gateway reader; the gateway is
 * made when the platform ingesters have finished (it is linked to who runs it). */
static void read_nginx(struct ingest_run *r, const struct candidate *c)
{
	char *buf;
	size_t len;
	if (!read_text_input(r->s, c, "nginx configuration", &buf, &len))
		return;
	if (!r->ctx.gw)
		return;
	add_parsed(r->s, c->display, tm_hash(buf, len));
	tm_ingest__nginx_text(&r->ctx, c->display, buf, len, NULL, 0, 0, NULL);
	text_input_read(r->s, c, TM_FMT_GATEWAY);
}

static void runtime_tally(struct tally *t)
{
	memset(t, 0, sizeof(*t));
	t->first = TM_FMT_RUNTIME_MAP;
	t->seen[TM_FMT_RUNTIME_MAP] = true;
}

/* Why a streamed file stopped early (NULL: it did not), as a diagnostic at its line. */
static void stream_stopped(tm_scan *s, const struct candidate *c, const struct lines *ls, int rc, size_t max_lines)
{
	tm_loc at = {c->display, ls->lineno + 1, 1, NULL};
	if (rc == TM_ENOMEM)
		s->oom = 1;
	else if (rc == TM_ELIMIT)
		tm_diag_add(&s->diags, TM_ELIMIT, TM_LEVEL_ERROR, at, "line longer than %zu bytes (limit); the rest of the file is not read",
			    ls->max_line);
	else if (rc == TM_EIO)
		tm_diag_add(&s->diags, TM_EIO, TM_LEVEL_ERROR, at, "read error; the rest of the file is not read");
	else if (rc == 1)
		tm_diag_add(&s->diags, TM_ELIMIT, TM_LEVEL_ERROR, at, "more than %zu lines (limit); the rest of the file is not read",
			    max_lines);
}

/* One line of a JSON Lines stream: parsed on its own, its documents to the runtime ingester, freed. */
static void stream_json_line(struct ingest_run *r, const struct candidate *c, void *rt, const tm_limits *limits,
			     uint32_t lineno, const char *text, size_t len, struct tally *t)
{
	tm_scan *s = r->s;
	size_t before = s->diags.count;
	tm_file *lf = NULL;
	int rc = tm_file_parse(&lf, c->display, text, len, limits, &s->diags);
	/* the line was parsed as a file of its own; an error at its end (libfyaml says: the next
	 * line) is at the end of this one */
	for (size_t i = before; i < s->diags.count; i++) {
		tm_loc *l = &s->diags.items[i].loc;
		if (l->line > 1)
			l->col = (uint32_t)(len < UINT32_MAX ? len + 1 : UINT32_MAX);
		if (l->line)
			l->line = lineno;
	}
	t->documents++;
	if (rc == TM_ENOMEM)
		s->oom = 1;
	for (size_t i = 0; !rc && i < tm_file_doc_count(lf); i++) {
		tm_detected det;
		tm_detect(tm_file_doc(lf, i), NULL, &det);
		if (det.format != TM_FMT_RUNTIME_MAP || det.unsupported) {
			tm_rt__skip_path(rt, c->display, "line that is no runtime-map document");
			continue;
		}
		tm_rt__stream(rt, lineno - 1, true);
		t->modelled += feed(r, TM_FMT_RUNTIME_MAP, lf, tm_file_doc(lf, i), det.detail);
		tm_rt__stream(rt, 0, false);
	}
	tm_file_free(lf);
}

/* The first two non-blank lines are single-line JSON values, and so are the lines up to the first
 * that is a runtime map (at most PROBE_LINES). The probe stays bounded: a line longer than
 * jansson_line_bytes is skimmed to its end (its first and last bytes tell its shape, lines_skim)
 * and a shorter line tells the format. */
#define PROBE_LINES 16

static bool runtime_json_lines(const struct candidate *c, const tm_limits *limits, tm_diag_list *scratch_diags)
{
	struct lines ls;
	const char *why, *text;
	size_t len, n = 0;
	bool runtime = false, ok = true;
	if (lines_open(&ls, c, limits, &why))
		return false;
	ls.max_line = limits->jansson_line_bytes; /* what the probe parses */
	ls.skim = true;
	/* a probe of every candidate reads its head (most answer at their first line: "apiVersion: v1",
	 * "{"), not a streaming chunk of a megabyte */
	ls.first_chunk = SNIFF_BYTES;
	while (ok && (n < 2 || !runtime) && n < PROBE_LINES && lines_next(&ls, &text, &len) == 1) {
		char last;
		if (ls.skimmed) {
			last = ls.last;
		} else {
			while (len && (text[len - 1] == '\r' || text[len - 1] == ' ' || text[len - 1] == '\t'))
				len--;
			if (blank(text, len))
				continue;
			last = text[len - 1];
		}
		size_t lead = 0;
		while (lead < len && (text[lead] == ' ' || text[lead] == '\t'))
			lead++;
		char first = lead < len ? text[lead] : '\0';
		ok = (first == '{' && last == '}') || (first == '[' && last == ']');
		n++;
		if (ok && !runtime && !ls.skimmed) {
			/* a line that is JSON but no runtime map (a capture's header) is passed over when
			 * streamed, and so is a damaged one after the first two (the streamer reports it);
			 * one of the first two that is no JSON says this is no JSON Lines file */
			tm_file *lf = NULL;
			tm_detected det = {TM_FMT_UNKNOWN, NULL, NULL};
			bool parsed = tm_file_parse(&lf, c->display, text, len, limits, scratch_diags) == 0;
			ok = parsed || n > 2;
			if (parsed)
				tm_detect(tm_file_doc(lf, 0), NULL, &det);
			runtime = det.format == TM_FMT_RUNTIME_MAP && !det.unsupported;
			tm_file_free(lf);
		}
	}
	lines_close(&ls);
	return ok && runtime && n >= 2;
}

/* A JSON Lines runtime map (the plan recognised it: c->streamed), streamed. */
static void stream_json_lines(struct ingest_run *r, const struct candidate *c, const tm_limits *limits)
{
	tm_scan *s = r->s;
	void *rt = format_state(r, TM_FMT_RUNTIME_MAP);
	struct lines ls;
	const char *why = "", *text;
	size_t len, max_lines = limits->max_documents * TM_STREAM_LINES_PER_DOC;
	struct tally t;
	runtime_tally(&t);
	if (!rt || lines_open(&ls, c, limits, &why)) {
		if (rt) {
			note_unseen(s, c, (struct file_state){0});
			add_skip(s, c->display, "could not be read");
		}
		return;
	}
	note_unseen(s, c, ls.opened);
	int rc = 0; /* memory already out: nothing read, nothing to say */
	while (!s->oom && (rc = lines_next(&ls, &text, &len)) == 1) {
		if (ls.lineno > max_lines)
			break;
		if (!blank(text, len))
			stream_json_line(r, c, rt, limits, ls.lineno, text, len, &t);
	}
	stream_stopped(s, c, &ls, ls.lineno > max_lines ? 1 : rc, max_lines);
	add_parsed(s, c->display, ls.digest);
	lines_close(&ls);
	if (t.modelled)
		record_input(s, c->display, &t);
	else
		add_skip(s, c->display, "json lines: no line read as a runtime map");
}

/* Service-map metrics in Prometheus text: every line to the runtime ingester's tokenizer. */
static void read_metrics(struct ingest_run *r, const struct candidate *c, const tm_limits *limits)
{
	tm_scan *s = r->s;
	void *rt = format_state(r, TM_FMT_RUNTIME_MAP);
	struct lines ls;
	const char *why = "", *text;
	size_t len, calls = 0, max_lines = limits->max_documents * TM_STREAM_LINES_PER_DOC;
	if (!rt)
		return;
	if (lines_open(&ls, c, limits, &why)) {
		note_unseen(s, c, (struct file_state){0});
		tm_diag_add(&s->diags, TM_EIO, TM_LEVEL_ERROR, (tm_loc){c->display, 0, 0, NULL}, "cannot read: %s", why);
		add_skip(s, c->display, "could not be read");
		return;
	}
	note_unseen(s, c, ls.opened);
	int rc = 0; /* memory already out: nothing read, nothing to say */
	while (!s->oom && (rc = lines_next(&ls, &text, &len)) == 1) {
		if (ls.lineno > max_lines)
			break;
		if (tm_utf8_check((const unsigned char *)text, len) < len || memchr(text, '\0', len)) {
			tm_rt__skip_path(rt, c->display, "line with invalid utf-8 or a NUL byte");
			continue;
		}
		calls += tm_rt__prom_line(&r->ctx, rt, c->display, ls.lineno, text, len);
	}
	stream_stopped(s, c, &ls, ls.lineno > max_lines ? 1 : rc, max_lines);
	add_parsed(s, c->display, ls.digest);
	lines_close(&ls);
	if (!calls) {
		add_skip(s, c->display, "prometheus text: no istio_requests_total or traces_service_graph_request_total call");
		return;
	}
	struct tally t;
	runtime_tally(&t);
	t.documents = t.modelled = 1;
	record_input(s, c->display, &t);
}

/* A file parsed by the plan: its documents to the ingesters, its tally to the inputs. */
static void ingest_file(struct ingest_run *r, const struct candidate *c)
{
	tm_scan *s = r->s;
	const tm_file *f = c->placed ? c->placed : c->file;
	add_parsed(s, c->display, tm_file_digest(c->file));
	if (tm_refs_add_file(r->ctx.refs, f, c->fs_path ? c->fs_path : c->display))
		s->oom = 1;
	if (tm_file_doc_count(f) == 0) {
		add_skip(s, c->display, c->skip ? c->skip : "no documents");
		return;
	}
	struct tally t;
	memset(&t, 0, sizeof(t));
	const char *base = tm_scan__basename(c->display);
	for (size_t i = 0; i < tm_file_doc_count(f); i++) {
		const tm_value *doc = tm_file_doc(f, i);
		if (!doc)
			continue;
		t.documents++;
		take_doc(r, f, doc, &t, base, 0);
	}
	if (t.modelled) {
		bool spec_only = true;
		for (int k = 0; k < TM_FMT__COUNT; k++)
			spec_only &= !t.seen[k] || k == TM_FMT_OPENAPI || k == TM_FMT_ASYNCAPI;
		s->set->cands[c - s->set->cands].spec_only = spec_only;
		record_input(s, c->display, &t);
		return;
	}
	/* maybe a workload's configuration, named on its command line (tm_ingest__mounted_configs) */
	if (t.first == TM_FMT_UNKNOWN && t.documents &&
	    (tm_hmap_put(&r->ctx.unread, tm_file_path(f), strlen(tm_file_path(f)), (void *)f) ||
	     TM_GROW(r->ctx.unread_files, r->ctx.cap_unread_files, r->ctx.nunread_files + 1)))
		s->oom = 1;
	else if (t.first == TM_FMT_UNKNOWN && t.documents)
		r->ctx.unread_files[r->ctx.nunread_files++] = f;
	char reason[256];
	if (t.first == TM_FMT_UNKNOWN)
		tm_formatf(reason, sizeof(reason), "%s",
			 t.documents ? "no recognised document (not an api spec, manifest, workflow, "
				       "terraform json, runtime map or overlay)"
				     : (c->skip ? c->skip : "no documents"));
	else if (t.unsupported)
		tm_formatf(reason, sizeof(reason), "%s", t.unsupported);
	else if (t.first_detail && strcmp(t.first_detail, "helmfile") == 0)
		tm_formatf(reason, sizeof(reason), "a helmfile, read for the releases it makes of this tree's charts (its "
			   "notes say), not modelled itself");
	else if (t.first_detail && (strcmp(t.first_detail, "Application") == 0 || strcmp(t.first_detail, "ApplicationSet") == 0 ||
				    strcmp(t.first_detail, "HelmRelease") == 0 || strcmp(t.first_detail, "Kustomization") == 0))
		tm_formatf(reason, sizeof(reason), "%s %s: a GitOps object, read for what of this tree it deploys and "
			   "where (its notes say), not modelled itself", tm_format_name(t.first), t.first_detail);
	else if (t.first_group) /* the group, not "kubernetes": projectcalico.org HostEndpoint */
		tm_formatf(reason, sizeof(reason), "%.*s%s%s: recognised, not modelled by this version",
			   (int)strcspn(t.first_group, "/"), t.first_group, t.first_detail ? " " : "",
			   t.first_detail ? t.first_detail : "");
	else
		tm_formatf(reason, sizeof(reason), "%s%s%s: recognised, not modelled by this version",
			 tm_format_name(t.first), t.first_detail ? " " : "",
			 t.first_detail ? t.first_detail : "");
	add_skip(s, c->display, reason);
}

static void process(struct ingest_run *r, const struct candidate *c, const tm_limits *limits)
{
	if (c->codeowners)
		read_codeowners(r, c);
	else if (c->dotenv)
		read_dotenv(r, c);
	else if (c->proto)
		read_proto(r, c);
	else if (c->properties)
		read_config_text(r, c, "properties file", "properties file: not text", properties_text);
	else if (c->dockerfile)
		read_config_text(r, c, "Dockerfile", "Dockerfile: no FROM instruction (not a Dockerfile)",
				 tm_ingest__dockerfile_text);
	else if (c->nginx)
		read_nginx(r, c);
	else if (c->caddy)
		read_caddy(r, c);
	else if (c->iot)
		read_iot(r, c);
	else if (c->hcl)
		read_hcl(r, c);
	else if (c->metrics)
		read_metrics(r, c, limits);
	else if (c->streamed)
		stream_json_lines(r, c, limits);
	else if (c->file)
		ingest_file(r, c);
	else
		add_skip(r->s, c->display, c->skip ? c->skip : "could not be parsed");
}

static void promote_referenced(void *ud, const tm_file *f, const tm_file *by)
{
	tm_scan *s = ud;
	const char *path = tm_file_path(f);
	tm_format fmt = TM_FMT_OPENAPI;
	for (size_t i = 0; i < s->ninputs; i++) {
		if (strcmp(s->inputs[i].path, path) == 0)
			return;
		/* a fragment takes the format of the document that referenced it */
		if (by && strcmp(s->inputs[i].path, tm_file_path(by)) == 0)
			for (int k = 0; k < TM_FMT__COUNT; k++)
				if (strcmp(tm_format_name((tm_format)k), s->inputs[i].kind) == 0)
					fmt = (tm_format)k;
	}
	struct tally t;
	memset(&t, 0, sizeof(t));
	t.first = fmt;
	t.seen[fmt] = true;
	t.documents = tm_file_doc_count(f);
	t.modelled = t.documents;
	for (size_t i = 0; i < s->nskips; i++)
		if (strcmp(s->skips[i].path, path) == 0) {
			memmove(&s->skips[i], &s->skips[i + 1], (s->nskips - i - 1) * sizeof(tm_skip));
			s->nskips--;
			break;
		}
	record_input(s, path, &t);
}

/* One file read as a workload's configuration: an app-config input. */
static void read_late_input(tm_scan *s, const tm_file *f)
{
	const char *path = tm_file_path(f);
	struct tally t;
	memset(&t, 0, sizeof(t));
	t.first = TM_FMT_APP_CONFIG;
	t.first_detail = "settings";
	t.seen[TM_FMT_APP_CONFIG] = true;
	t.documents = t.modelled = tm_file_doc_count(f);
	record_input(s, path, &t);
}

/* The files no reader recognised that were read as a workload's configuration
 * (tm_ingest__mounted_configs): app-config inputs, no longer skipped files. One pass over the
 * skipped files, whatever the number read so. */
static void read_late(tm_scan *s, const tm_file *const *files, size_t n)
{
	tm_hmap late = TM_HMAP_INIT;
	for (size_t i = 0; i < n; i++)
		if (tm_hmap_put(&late, tm_file_path(files[i]), strlen(tm_file_path(files[i])), (void *)files[i]))
			s->oom = 1;
	size_t kept = 0;
	for (size_t i = 0; i < s->nskips && !s->oom; i++) {
		const char *path = s->skips[i].path;
		if (tm_hmap_get(&late, path, strlen(path)))
			continue;
		s->skips[kept++] = s->skips[i];
	}
	if (!s->oom)
		s->nskips = kept;
	tm_hmap_dispose(&late);
	for (size_t i = 0; i < n && !s->oom; i++)
		read_late_input(s, files[i]);
}

static void scan_root(walker *w, const char *root)
{
	tm_scan_set *s = w->s;
	struct stat st;
	tm_loc loc = {root, 0, 0, NULL};
	if (stat(root, &st) != 0) {
		tm_diag_add(&s->diags, TM_EIO, TM_LEVEL_ERROR, loc, "cannot read: %s", strerror(errno));
		return;
	}
	if (!realpath(root, w->root_real)) {
		tm_diag_add(&s->diags, TM_EIO, TM_LEVEL_ERROR, loc, "cannot resolve: %s", strerror(errno));
		return;
	}
	const char *display = root;
	while (display[0] == '.' && display[1] == '/')
		display += 2;
	/* $refs may reach anywhere inside a directory root, or beside a file root */
	char real_dir[PATH_MAX];
	tm_formatf(real_dir, sizeof(real_dir), "%s", w->root_real);
	if (!S_ISDIR(st.st_mode) && strrchr(real_dir, '/'))
		*strrchr(real_dir, '/') = '\0';
	const char *rd = tm_arena_strdup(s->arena, real_dir[0] ? real_dir : "/");
	if (!rd || TM_GROW(s->ref_roots, s->cap_ref_roots, s->nref_roots + 1))
		s->oom = 1;
	else
		s->ref_roots[s->nref_roots++] = rd;
	if (S_ISDIR(st.st_mode)) {
		w->root_fs = root;
		w->ignore = tm_ignore_new(w->root_real, !w->opts->no_gitignore, w->opts->exclude, w->opts->nexclude);
		if (!w->ignore)
			s->oom = 1;
		walk_dir(w, root, w->single_dir ? "" : display, 0);
		tm_ignore_free(w->ignore);
		w->ignore = NULL;
	} else if (S_ISREG(st.st_mode)) {
		/* a file named explicitly is always a candidate */
		size_t before = s->ncands;
		int kind = has_suffix_ci(root, ".yaml") || has_suffix_ci(root, ".yml") || has_suffix_ci(root, ".json")
				   ? SNIFF_DOC : sniff(root, &st);
		add_candidate(w, root, display, strcmp(tm_scan__basename(root), "CODEOWNERS") == 0,
			      has_suffix_ci(root, ".prom") || kind == SNIFF_METRICS);
		if (s->ncands > before && has_suffix_ci(root, ".proto"))
			s->cands[before].proto = true;
		if (s->ncands > before && tm_detect__properties(tm_scan__basename(root)))
			s->cands[before].properties = true;
		if (s->ncands > before && tm_ingest__is_dockerfile_name(tm_scan__basename(root)))
			s->cands[before].dockerfile = true;
		if (s->ncands > before && tm_cdy_name(tm_scan__basename(root)))
			s->cands[before].caddy = true;
		bool hcl = tm_ingest__is_hcl_name(tm_scan__basename(root));
		if (s->ncands > before && kind == SNIFF_NGINX && !hcl)
			s->cands[before].nginx = true;
		const char *rb = tm_scan__basename(root);
		if (s->ncands > before && (kind_by_name(rb) == NAME_IOT || (kind == SNIFF_IOT && has_suffix_ci(rb, ".conf"))))
			s->cands[before].iot = true;
		if (s->ncands > before && hcl)
			s->cands[before].hcl = true;
		/* a .env named alone is compose's variables, not YAML; a compose file named alone brings the
		 * .env beside it, as `docker compose -f FILE` reads the project directory's */
		const char *base = tm_scan__basename(root);
		if (s->ncands > before && kind_by_name(base) == NAME_DOTENV)
			mark_kind(&s->cands[before], NAME_DOTENV);
		else if (s->ncands > before && strstr(base, "compose") && kind_by_name(base) == NAME_DOC)
			add_sibling_dotenv(w, root, display);
	} else {
		tm_diag_add(&s->diags, TM_EIO, TM_LEVEL_ERROR, loc, "not a file or directory");
	}
}

/* ---- the plan: parse once, render, find the variants ----------------------------------- */

/* Is c parsed whole by the plan? A file a render owns (a template, a patch) is read by the renderer,
 * which says what is wrong with it; parsed raw it would only repeat that as "go template, not
 * rendered". */
static bool parsed_by_plan(const struct candidate *c)
{
	return !(c->codeowners || c->metrics || c->dotenv || c->proto || c->properties || c->dockerfile || c->nginx || c->caddy || c->iot ||
		 c->hcl || c->file ||
		 c->tried || c->in_chart || (c->owner && c->render >= 0));
}

struct parse_job {
	tm_scan_set *set;
	tm_diag_list *diags; /* per candidate, merged in candidate order afterwards */
	int *rc;             /* per candidate */
	bool *did;           /* per candidate: parsed (or tried) by this pass */
};

/* One candidate (a task of tm_parallel_for: it writes only its own candidate and slots). */
static void parse_cand(struct parse_job *j, size_t i)
{
	struct candidate *c = &j->set->cands[i];
	if (!parsed_by_plan(c))
		return;
	c->tried = j->did[i] = true;
	tm_parse_cache *pc = j->set->cache;
	/* a file the cache knows unchanged was parsed before, so it is no runtime stream: its entry,
	 * without reading it */
	if (!c->mem && pc) {
		int rc = tm_file_load_known(pc, &c->file, c->fs_path, c->display, &j->set->limits, &j->diags[i]);
		if (rc != TM_ENOTFOUND) {
			j->rc[i] = rc;
			return;
		}
	}
	tm_diag_list probe;
	tm_diag_list_init(&probe);
	c->streamed = runtime_json_lines(c, &j->set->limits, &probe);
	tm_diag_list_dispose(&probe);
	if (c->streamed)
		return;
	j->rc[i] = c->mem ? tm_file_parse_cached(pc, &c->file, c->display, c->mem, c->mem_len, &j->set->limits, &j->diags[i])
			  : tm_file_load_cached(pc, &c->file, c->fs_path, c->display, &j->set->limits, &j->diags[i]);
}

/* A file holding OpenShift Templates is read as the objects `oc process` makes of them: the
 * expansion (octemplate.c) stands in for the parsed file. */
static int process_templates(tm_file **file, tm_diag_list *diags)
{
	tm_file *x = NULL;
	int rc = tm_octemplate_process(&x, *file, diags);
	if (x) {
		tm_file_free(*file);
		*file = x;
	}
	return rc;
}

/* One candidate, counted if this pass read it (the pass after the renders meets the files read
 * before again): every 256th and the last tell the progress callback. */
static void parse_one(void *ud, size_t i)
{
	struct parse_job *j = ud;
	parse_cand(j, i);
	if (!j->did[i])
		return;
	if (!j->rc[i] && j->set->cands[i].file)
		j->rc[i] = process_templates(&j->set->cands[i].file, &j->diags[i]);
	size_t done = ++j->set->parsed;
	if (j->set->progress && (done % 256 == 0 || done == j->set->to_parse)) {
		char what[96];
		tm_formatf(what, sizeof(what), "reading inputs: %zu of %zu files", done, j->set->to_parse);
		j->set->progress(j->set->progress_ud, what);
	}
}

/* Parse every candidate that is read whole and not parsed yet, files in parallel (each parse
 * shares nothing); JSON Lines runtime maps are left to be streamed, and a chart's files (in_chart)
 * to the pass after the charts rendered. Diagnostics keep the candidates' order. */
static void plan_parse(tm_scan_set *set)
{
	struct parse_job j = {set, tm_calloc(set->ncands + 1, sizeof(tm_diag_list)), tm_calloc(set->ncands + 1, sizeof(int)),
			      tm_calloc(set->ncands + 1, sizeof(bool))};
	if (!j.diags || !j.rc || !j.did) {
		tm_free(j.diags);
		tm_free(j.rc);
		tm_free(j.did);
		set->oom = 1;
		return;
	}
	for (size_t i = 0; i < set->ncands; i++)
		set->to_parse += parsed_by_plan(&set->cands[i]);
	tm_parallel_for(set->ncands, parse_one, &j);
	for (size_t i = 0; i < set->ncands; i++) {
		struct candidate *c = &set->cands[i];
		const tm_diag_list *d = &j.diags[i];
		for (size_t k = 0; k < d->count; k++)
			tm_diag_add(&set->diags, d->items[k].code, d->items[k].level, d->items[k].loc, "%s", d->items[k].msg);
		if (j.rc[i] == TM_ENOMEM || d->oom)
			set->oom = 1;
		else if (j.did[i] && !c->file && !c->streamed)
			c->skip = tm_arena_strdup(set->arena, first_problem(d, 0, j.rc[i] ? "could not be parsed" : "no documents"));
		tm_diag_list_dispose(&j.diags[i]);
	}
	tm_free(j.diags);
	tm_free(j.rc);
	tm_free(j.did);
}

/* ---- renders: kustomizations ------------------------------------------------------------ */

static bool kustomization_name(const char *base)
{
	return strcmp(base, "kustomization.yaml") == 0 || strcmp(base, "kustomization.yml") == 0 ||
	       strcmp(base, "Kustomization") == 0;
}

static int display_cmp(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct candidate *)elem)->display);
}

struct candidate *tm_scan__find_cand(tm_scan_set *set, const char *display)
{
	return bsearch(display, set->cands, set->ncands, sizeof(*set->cands), display_cmp);
}

/* The candidates under directory dir, its first dl bytes ("" or ".": all of them): a contiguous run
 * of the sorted list, found by bisection, so renders look at their own files and not at every file
 * of the walk. */
void tm_scan__cands_under(const tm_scan_set *set, const char *dir, size_t dl, size_t *first, size_t *end)
{
	if (!dl || (dl == 1 && *dir == '.')) {
		*first = 0;
		*end = set->ncands;
		return;
	}
	size_t lo = 0, hi = set->ncands;
	while (lo < hi) { /* the first display not below "dir/" */
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(set->cands[mid].display, dir, dl);
		if (c < 0 || (c == 0 && (unsigned char)set->cands[mid].display[dl] < '/'))
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = *end = lo;
	while (*end < set->ncands && strncmp(set->cands[*end].display, dir, dl) == 0 && set->cands[*end].display[dl] == '/')
		(*end)++;
}

/* Candidate c (NULL: none) was read by render rd, the one being added (index set->nrenders): one of
 * its inputs, owned by it unless an earlier render owns it already. */
static void read_by_render(tm_scan_set *set, struct render *rd, struct candidate *c)
{
	if (!c)
		return;
	rd->consumed[rd->nconsumed++] = (size_t)(c - set->cands);
	if (c->render < 0)
		c->render = (int)set->nrenders;
	if (!c->owner)
		c->owner = rd->name;
}

/* The files renderers read: the disk under the one directory root, or the files held in memory. */
static int render_fs(tm_scan_set *set, tm_fsys *fs, const char ***paths, const char ***data, size_t **lens,
		     tm_fsys_mem *mem)
{
	if (!set->mem)
		return tm_fsys_disk_init(fs, set->render_root) ? TM_ENOMEM : 0;
	size_t n = set->nmem_files;
	*paths = tm_calloc(n + 1, sizeof(char *));
	*data = tm_calloc(n + 1, sizeof(char *));
	*lens = tm_calloc(n + 1, sizeof(size_t));
	if (!*paths || !*data || !*lens)
		return TM_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		(*paths)[i] = set->mem_files[i].path;
		(*data)[i] = set->mem_files[i].data;
		(*lens)[i] = set->mem_files[i].len;
	}
	*mem = (tm_fsys_mem){*paths, *data, *lens, n};
	tm_fsys_mem_init(fs, mem);
	return 0;
}

/*
 * Every kustomization is rendered; those another one reads (a base, an overlay's parts) are no
 * roots and their output is dropped; a Component is never built alone. A root's render replaces the
 * files it read: they are its inputs, never modelled raw. Files in a kustomization's directory that
 * no render read are not deployed by it and are skipped, saying so. A kustomization that fails to
 * render leaves its files to be read as plain manifests (the diagnostics say why).
 */
static void plan_kustomize(tm_scan_set *set, const tm_fsys *fs)
{
	size_t nk = 0;
	for (size_t i = 0; i < set->ncands; i++)
		nk += kustomization_name(tm_scan__basename(set->cands[i].display));
	if (!nk)
		return;
	struct kroot {
		size_t cand;
		tm_file *out;
		tm_kust_consumed used;
		bool root;
	} *ks = tm_calloc(nk, sizeof(*ks));
	bool *read_by_other = tm_calloc(set->ncands + 1, sizeof(bool));
	if (!ks || !read_by_other) {
		set->oom = 1;
		tm_free(ks);
		tm_free(read_by_other);
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < set->ncands && !set->oom; i++) {
		const char *d = set->cands[i].display;
		if (!kustomization_name(tm_scan__basename(d)))
			continue;
		struct kroot *k = &ks[n++];
		k->cand = i;
		k->used = (tm_kust_consumed)TM_KUST_CONSUMED_INIT;
		const char *slash = strrchr(d, '/');
		char *dir = tm_arena_strndup(set->arena, d, slash ? (size_t)(slash - d) : 0);
		tm_kust_opts o = {fs, dir ? dir : "", &set->limits, 0, &set->diags};
		/* a Component is never built alone: its files are its own, read by whoever includes it */
		int rc = !dir ? TM_ENOMEM
			 : !tm_kustomize_is_root(fs, dir, &set->limits) ? TM_EINVALID
									 : tm_kustomize_render(&k->out, &k->used, &o);
		if (rc == TM_ENOMEM)
			set->oom = 1;
		k->root = rc == 0;
		if (rc == TM_EINVALID || rc == TM_ELIMIT || rc == 0) {
			/* its own directory's files are its (a Component's too): none is modelled raw */
			set->cands[i].owner = dir && *dir ? dir : ".";
		}
		for (size_t u = 0; rc == 0 && u < k->used.n; u++) {
			struct candidate *c = tm_scan__find_cand(set, k->used.paths[u]);
			if (c && c != &set->cands[i] && kustomization_name(tm_scan__basename(c->display)))
				read_by_other[c - set->cands] = true;
		}
	}
	for (size_t j = 0; j < n && !set->oom; j++) {
		struct kroot *k = &ks[j];
		if (!k->root || read_by_other[k->cand]) {
			tm_file_free(k->out);
			k->out = NULL;
			continue;
		}
		if (TM_GROW(set->renders, set->cap_renders, set->nrenders + 1)) {
			set->oom = 1;
			break;
		}
		struct render *rd = &set->renders[set->nrenders];
		memset(rd, 0, sizeof(*rd));
		rd->name = set->cands[k->cand].owner;
		rd->file = set->cands[k->cand].display;
		rd->format = TM_FMT_KUSTOMIZE;
		rd->outs = tm_calloc(1, sizeof(tm_file *));
		rd->consumed = tm_calloc(k->used.n + 1, sizeof(size_t));
		rd->item = -1;
		rd->only_sysdef = -1;
		rd->parent = -1;
		if (!rd->outs || !rd->consumed) {
			tm_free(rd->outs);
			tm_free(rd->consumed);
			set->oom = 1;
			break;
		}
		rd->outs[0] = k->out;
		rd->nouts = 1;
		k->out = NULL;
		for (size_t u = 0; u < k->used.n; u++)
			read_by_render(set, rd, tm_scan__find_cand(set, k->used.paths[u]));
		set->nrenders++;
	}
	/* the rest of a kustomization directory's own files (not its subdirectories'): not deployed by it */
	for (size_t j = 0; j < n; j++) {
		const struct candidate *kc = &set->cands[ks[j].cand];
		if (!kc->owner)
			continue;
		const char *slash = strrchr(kc->display, '/');
		size_t kl = slash ? (size_t)(slash - kc->display) : 0, first, end;
		tm_scan__cands_under(set, kc->display, kl, &first, &end);
		for (size_t i = first; i < end; i++) {
			struct candidate *c = &set->cands[i];
			if (!c->owner && !strchr(c->display + kl + (kl > 0), '/'))
				c->owner = kc->owner;
		}
	}
	for (size_t j = 0; j < n; j++) {
		tm_file_free(ks[j].out);
		tm_kust_consumed_dispose(&ks[j].used);
	}
	tm_free(ks);
	tm_free(read_by_other);
}

/* ---- renders: charts ---------------------------------------------------------------------- */

/* The namespaced objects of f without metadata.namespace, which helm installs into the release's
 * namespace: placed in ns (located at their metadata) when one is given; with override, every
 * namespaced object whose namespace is not ns (kustomize's namespace transformer). Their count;
 * *oom set when memory ran out. */
size_t tm_scan__place_object(tm_file *f, tm_value *obj, const char *ns, const tm_loc *origin, bool override, bool *oom,
			   bool in_list)
{
	const char *kind = tm_map_get_str(obj, "kind");
	if (!in_list && tm_objs__is_list(obj)) { /* its items are the objects (take_doc) */
		size_t n = 0;
		tm_value *items = tm_map_get_mut(obj, "items");
		for (size_t i = 0; tm_value_kind_of(items) == TM_VALUE_SEQ && i < tm_value_len(items); i++)
			n += tm_scan__place_object(f, tm_seq_at_mut(items, i), ns, origin, override, oom, true);
		return n;
	}
	tm_value *meta = tm_map_get_mut(obj, "metadata");
	const char *had = tm_map_get_str(meta, "namespace");
	/* an empty or null namespace (a value left unset) is none, for kubectl and helm alike */
	if (!kind || tm_objs__cluster_scoped(kind) || tm_value_kind_of(meta) != TM_VALUE_MAP ||
	    (had && *had && (!override || !ns || strcmp(had, ns) == 0)))
		return 0;
	if (ns) {
		tm_loc at = origin ? *origin : (tm_loc){NULL, meta->line, meta->col, NULL};
		tm_value *v = tm_value_new_scalar(f, at, TM_SCALAR_STR, ns, strlen(ns), true);
		if (!v || tm_map_set(f, meta, "namespace", v) || tm_value_reindex(f, meta))
			*oom = true;
	}
	return 1;
}

/* origin: where the namespace is written (NULL: at each object's metadata) */
size_t tm_scan__place_in_namespace(tm_file *f, const char *ns, const tm_loc *origin, bool override, bool *oom)
{
	size_t n = 0;
	for (size_t i = 0; i < tm_file_doc_count(f); i++)
		n += tm_scan__place_object(f, tm_file_doc_mut(f, i), ns, origin, override, oom, false);
	return n;
}


#define SIBLING_VALUES_MAX_BYTES (1u << 20)
#define SIBLING_VALUES_MAX_FILES 64

/* The top-level keys of the YAML file at path, when it is one mapping and no Kubernetes object
 * (apiVersion and kind), NULL-terminated in the set's arena ({NULL}: no values file), read once for
 * every chart beside it (set->values_keys). NULL when memory ran out. */
static const char *const *values_keys(tm_scan_set *set, const tm_fsys *fs, const char *path)
{
	size_t pl = strlen(path);
	const char *const *keys = tm_hmap_get(&set->values_keys, path, pl);
	if (keys)
		return keys;
	char *data = NULL;
	size_t len = 0;
	const char *why = NULL;
	tm_file *f = NULL;
	tm_diag_list quiet = TM_DIAG_LIST_INIT;
	const tm_value *root = NULL;
	/* values files are small: a large file is no candidate (bounded, whatever the directory holds) */
	if (fs->kind(fs, path) == TM_FSYS_FILE && !fs->read(fs, path, SIBLING_VALUES_MAX_BYTES, &data, &len, &why) &&
	    tm_file_parse(&f, path, data, len, &set->limits, &quiet) == 0 && tm_file_doc_count(f) == 1)
		root = tm_file_doc(f, 0);
	bool values = tm_value_kind_of(root) == TM_VALUE_MAP && !(tm_map_get(root, "apiVersion") && tm_map_get(root, "kind"));
	size_t n = values ? tm_value_len(root) : 0;
	const char **out = tm_arena_alloc(set->arena, (n + 1) * sizeof(*out));
	size_t k = 0;
	for (size_t i = 0; out && i < n; i++) {
		const char *key = tm_scalar_str(tm_map_key(root, i), NULL);
		if (key && (out[k] = tm_arena_strdup(set->arena, key)) != NULL)
			k++;
	}
	if (out)
		out[k] = NULL;
	tm_file_free(f);
	tm_diag_list_dispose(&quiet);
	tm_free(data);
	const char *key = tm_arena_strdup(set->arena, path);
	if (!out || !key || tm_hmap_put(&set->values_keys, key, pl, (void *)out))
		return NULL;
	return out;
}

/* Does the YAML file at path define, at its top, one of the values a chart reads without defining
 * (absent)? */
static bool defines_absent(tm_scan_set *set, const tm_fsys *fs, const char *path, const tm_helm_out *out)
{
	const char *const *keys = values_keys(set, fs, path);
	for (size_t k = 0; keys && keys[k]; k++)
		for (size_t i = 0; i < out->nabsent_values; i++)
			if (strcmp(keys[k], out->absent_values[i]) == 0)
				return true;
	return false;
}

/*
 * The values files a chart rendered with no values of the scan's (no overlay system, no GitOps
 * release) is taken to be installed with: when its templates failed on values they read at the top
 * (.Values.<key>) that its values.yaml does not define, the YAML files beside the chart's directory
 * (in its parent, not charts of their own nor Kubernetes objects) that define one of them, in name
 * order, as a deploy script would pass them with -f (eShopOnContainers' app.yaml and inf.yaml,
 * which "must be included on every deployment"). Root-relative paths in the set's arena; *n 0 when
 * none. Bounded: one listing of that one directory, and a parse of each of its first 64 YAML files
 * of 1 MiB at most, once for all the charts beside it.
 */
static const char **sibling_values(tm_scan_set *set, const tm_fsys *fs, const char *dir, const tm_helm_out *out,
				   size_t *n)
{
	*n = 0;
	const char *slash = strrchr(dir, '/');
	if (!*dir)
		return NULL; /* a chart at the root has nothing beside it inside the tree */
	char *parent = slash ? tm_arena_strndup(set->arena, dir, (size_t)(slash - dir)) : tm_arena_strdup(set->arena, "");
	const char *chart_yaml = parent ? tm_arena_printf(set->arena, "%s%sChart.yaml", parent, *parent ? "/" : "") : NULL;
	char **names = NULL;
	size_t count = 0;
	if (!chart_yaml || fs->kind(fs, chart_yaml) != TM_FSYS_NONE || fs->list(fs, parent, &names, &count))
		return NULL; /* a subchart's parent is a chart: its values come from there */
	const char **picked = tm_arena_alloc(set->arena, (count + 1) * sizeof(char *));
	for (size_t i = 0, tried = 0; picked && i < count && tried < SIBLING_VALUES_MAX_FILES; i++) {
		size_t nl = strlen(names[i]);
		bool yaml = (nl > 5 && strcmp(names[i] + nl - 5, ".yaml") == 0) || (nl > 4 && strcmp(names[i] + nl - 4, ".yml") == 0);
		const char *path = yaml ? tm_arena_printf(set->arena, "%s%s%s", parent, *parent ? "/" : "", names[i]) : NULL;
		tried += path != NULL;
		if (path && defines_absent(set, fs, path, out))
			picked[(*n)++] = path;
	}
	tm_free(names);
	return *n ? picked : NULL;
}

/* The values a chart requires (`required`) that its render was not given, rendered as a
 * placeholder: one note, at the first such action in the chart's templates (its other places are
 * in the text), stated as the assumption it is. */
static void required_note(tm_scan_set *set, const tm_helm_out *out, const char *dir)
{
	if (!out->nrequired)
		return;
	const tm_helm_required *first = &out->required[0];
	for (size_t i = 1; i < out->nrequired; i++) {
		const tm_loc *a = &out->required[i].at, *b = &first->at;
		int c = strcmp(a->path, b->path);
		if (c < 0 || (!c && (a->line < b->line || (a->line == b->line && a->col < b->col))))
			first = &out->required[i];
	}
	static const char advice[] = "; name the values files it is installed with in trustmap.yaml (systems: - "
				     "{name: ..., include: [...], values: [...]})";
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, "the chart requires values not given: ");
	tm_helm_required_note(&sb, out, dir, TM_DIAG_MSG_MAX - (sizeof(advice) - 1));
	tm_strbuf_puts(&sb, advice);
	if (sb.oom)
		set->oom = 1;
	else
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, first->at, "%s", sb.data);
	tm_strbuf_dispose(&sb);
}

/* One render of a chart (values.yaml, then the values files given, then a release's own values):
 * its manifests parsed, each located at the template lines that wrote it. */

/* A Helm hook the release does not keep: deleted once it succeeds (helm.sh/hook-delete-policy:
 * hook-succeeded, a certificate job's ServiceAccount, Role and Job), or a test hook run only by
 * `helm test`. What such objects grant exists while the release installs, not beside it. */
static bool transient_hook(const tm_value *doc)
{
	const tm_value *ann = tm_map_get(tm_map_get(doc, "metadata"), "annotations");
	const char *hook = tm_map_get_str(ann, "helm.sh/hook");
	const char *del = tm_map_get_str(ann, "helm.sh/hook-delete-policy");
	if (!hook)
		return false;
	if (strstr(hook, "test"))
		return true; /* test, test-success (Helm 2) */
	return del && strstr(del, "hook-succeeded");
}

/* Leaves f's transient hook documents out (counted in *n, the first's place in *at). */
static void drop_transient_hooks(tm_file *f, size_t *n, tm_loc *at)
{
	size_t kept = 0;
	for (size_t d = 0; d < tm_file_doc_count(f); d++) {
		tm_value *doc = f->docs[d];
		if (!transient_hook(doc)) {
			f->docs[kept++] = doc;
			continue;
		}
		if (!(*n)++)
			*at = tm_value_loc(f, doc);
	}
	f->ndocs = kept;
}

/* Is a rendered manifest only comments, document markers and blank lines? */
static bool comments_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		size_t e = i;
		while (e < n && s[e] != '\n')
			e++;
		bool marker = e - i >= 3 && s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '-';
		for (size_t k = i + 3; marker && k < e; k++)
			marker = s[k] == ' ' || s[k] == '\t' || s[k] == '\r';
		if (i < e && s[i] != '#' && !marker)
			return false;
		i = e + 1;
	}
	return true;
}

static void helm_render_one(tm_scan_set *set, const tm_fsys *fs, const char *dir, const char *const *values,
			    size_t nvalues, const char *ns, const char *release, const char *name,
			    const struct helm_release *rel)
{
	tm_helm_opts o = {.fs = fs, .chart_dir = dir, .display_dir = dir, .values_files = values, .nvalues_files = nvalues,
			  .release_namespace = ns, .release_name = release, .limits = &set->limits, .diags = &set->diags};
	if (rel) {
		o.values_files = rel->values;
		o.nvalues_files = rel->nvalues;
		o.chart_values_files = rel->chart_values;
		o.nchart_values_files = rel->nchart_values;
		o.values_docs = rel->docs;
		o.nvalues_docs = rel->ndocs;
		o.sets = rel->sets;
		o.nsets = rel->nsets;
		o.release_name = rel->release;
		o.release_namespace = ns = rel->ns;
		if (rel->values_text) {
			o.values_text = tm_scalar_str(rel->values_text, &o.values_text_len);
			o.values_text_path = rel->at.path;
			o.values_text_line = tm_value_line(rel->values_text); /* a block scalar starts below */
		}
		nvalues = rel->nvalues + rel->nchart_values + rel->ndocs + rel->nsets + (rel->values_text != NULL);
	}
	tm_helm_out *out = NULL;
	size_t d0 = set->diags.count;
	int rc;
	/* the helm program takes values only from files: a release with values of its own (inline, or
	 * replacing values.yaml) is rendered natively */
	bool binary = set->helm_binary && !set->mem && !(rel && (rel->ndocs || rel->values_text || rel->nchart_values));
	/* no values of the scan's: the chart may expect some from beside it (sibling_values), decided
	 * before its diagnostics are kept */
	bool guess = !rel && !nvalues && !binary;
	tm_diag_list local = TM_DIAG_LIST_INIT;
	const char **guessed = NULL;
	size_t nguessed = 0;
	if (guess)
		o.diags = &local;
	if (binary) {
		tm_helm_opts bo = o;
		bo.fs = NULL;
		bo.root = set->render_root;
		rc = tm_helm_render_binary(set->helm_binary, &bo, &out);
	} else {
		rc = tm_helm_render(&o, &out);
	}
	/* a required value given none fails the chart for helm as an error fails a file here */
	if (guess && !rc && out->nabsent_values &&
	    (tm_diag_count(&local, TM_LEVEL_ERROR) || out->nrequired) &&
	    (guessed = sibling_values(set, fs, dir, out, &nguessed)) != NULL) {
		tm_helm_out_free(out);
		out = NULL;
		tm_diag_list_dispose(&local);
		tm_diag_list_init(&local);
		o.values_files = guessed;
		o.nvalues_files = nguessed;
		rc = tm_helm_render(&o, &out);
	}
	if (guess) {
		for (size_t i = 0; i < local.count; i++)
			tm_diag_add(&set->diags, local.items[i].code, local.items[i].level, local.items[i].loc, "%s",
				    local.items[i].msg);
		tm_diag_list_dispose(&local);
	}
	if (nguessed) {
		tm_strbuf sb = TM_STRBUF_INIT;
		for (size_t i = 0; i < nguessed; i++)
			tm_strbuf_printf(&sb, "%s%s", i ? (i + 1 == nguessed ? " and " : ", ") : "", guessed[i]);
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, (tm_loc){tm_arena_printf(set->arena, "%s%sChart.yaml", dir, *dir ? "/" : ""), 1, 1, NULL},
			    "the chart reads values its values.yaml does not define and fails without them; rendered with %s "
			    "beside it, which define them, as a deploy script would pass them (helm -f): an assumption. If it is "
			    "installed with other values, name them in trustmap.yaml (systems: - {name: ..., include: "
			    "[\"<the chart's directory>/*\"], values: [...]})",
			    sb.data ? sb.data : "");
		tm_strbuf_dispose(&sb);
	}
	if (!rc)
		required_note(set, out, dir);
	if (rc == TM_ENOMEM)
		set->oom = 1;
	/* a chart that does not render at all (Chart.yaml unusable, helm failed) is still the chart: its
	 * files are its, read and reported with the reason, never taken for plain manifests */
	if (rc && rc != TM_EPARSE)
		return;
	size_t count = rc ? 0 : out->count, nconsumed = rc ? 0 : out->nconsumed;
	bool reads_ns = !rc && out->reads_release_namespace;
	if (TM_GROW(set->renders, set->cap_renders, set->nrenders + 1)) {
		tm_helm_out_free(out);
		set->oom = 1;
		return;
	}
	struct render *rd = &set->renders[set->nrenders];
	memset(rd, 0, sizeof(*rd));
	rd->name = name;
	rd->file = tm_arena_printf(set->arena, "%s%sChart.yaml", dir, *dir ? "/" : "");
	rd->format = TM_FMT_HELM;
	rd->item = -1;
	rd->only_sysdef = -1;
	rd->parent = rel ? rel->from_render : -1;
	/* a release in a file of the tree (a cluster's Application): the render is in that file's
	 * systems only (plan_variants), not every system that holds the chart */
	if (rel && rel->via && rel->from_render < 0) {
		if (TM_GROW(set->gitops_uses, set->cap_gitops_uses, set->ngitops_uses + 1))
			set->oom = 1;
		else
			set->gitops_uses[set->ngitops_uses++] = (struct gitops_use){rel->via, -1, (int)set->nrenders};
	}
	rd->outs = tm_calloc(count + 1, sizeof(tm_file *));
	rd->consumed = tm_calloc(nconsumed + 1, sizeof(size_t));
	if (!rd->outs || !rd->consumed || !rd->file) {
		tm_free(rd->outs);
		tm_free(rd->consumed);
		tm_helm_out_free(out);
		set->oom = 1;
		return;
	}
	size_t hooks = 0; /* transient hook objects left out, the first's place */
	tm_loc hook_at = {NULL, 0, 0, NULL};
	for (size_t i = 0; i < count && !set->oom; i++) {
		const tm_helm_manifest *m = &out->manifests[i];
		if (m->test_hook)
			continue; /* a `helm test` pod runs on demand, not as part of the release */
		if (comments_only(m->text, m->len))
			continue; /* a header comment above a condition that rendered nothing: no file of anyone's */
		tm_file *f = NULL;
		int prc = tm_helm_manifest_parse(&f, m, &set->limits, &set->diags, set->arena);
		if (prc == TM_ENOMEM) {
			set->oom = 1;
			break;
		}
		if (!prc) {
			drop_transient_hooks(f, &hooks, &hook_at);
			rd->outs[rd->nouts++] = f;
		}
	}
	if (hooks)
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, hook_at,
			    "%zu object%s of the chart %s Helm hooks deleted once they succeed or run only on `helm test` "
			    "(helm.sh/hook with helm.sh/hook-delete-policy: hook-succeeded): they exist while the release "
			    "installs or upgrades, not beside it; not modelled",
			    hooks, hooks == 1 ? "" : "s", hooks == 1 ? "is a" : "are");
	/* what the chart leaves without a namespace goes where the release is installed */
	bool oom = false;
	size_t unplaced = 0;
	for (size_t i = 0; i < rd->nouts && !oom; i++)
		unplaced += tm_scan__place_in_namespace(rd->outs[i], ns, NULL, false, &oom);
	if (oom)
		set->oom = 1;
	/* helm the program says nothing of what it read: every file under the chart is its */
	bool whole = (set->helm_binary && !set->mem) || rc;
	size_t first = 0, end = 0;
	if (whole)
		tm_scan__cands_under(set, dir, strlen(dir), &first, &end);
	size_t nread = whole ? end - first : nconsumed;
	if (whole) {
		size_t *more = tm_realloc(rd->consumed, (set->ncands + 1) * sizeof(size_t));
		if (!more) {
			tm_helm_out_free(out);
			set->oom = 1;
			return;
		}
		rd->consumed = more;
	}
	/* the values files taken from beside the chart last: shared by its sibling charts, which read
	 * them without being variants of one another (plan.c) */
	for (int shared = 0; shared < 2; shared++)
		for (size_t u = 0; u < nread; u++) {
			struct candidate *c = whole ? &set->cands[first + u] : tm_scan__find_cand(set, out->consumed[u]);
			bool is_shared = false;
			for (size_t g = 0; c && g < nguessed && !is_shared; g++)
				is_shared = strcmp(c->display, guessed[g]) == 0;
			if (is_shared == (shared == 1)) {
				read_by_render(set, rd, c);
				rd->nshared += c && is_shared;
			}
		}
	tm_helm_out_free(out);
	/* templates that stopped on values the chart does not define: deployed with values files
	 * (helm -f), which only the overlay can name */
	size_t missing = 0;
	for (size_t d = d0; d < set->diags.count; d++)
		missing += strncmp(set->diags.items[d].msg, "nil pointer evaluating", 22) == 0;
	if (missing && !nvalues) {
		tm_loc at = {rd->file, 1, 1, NULL};
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, at,
			    "%zu template action%s stopped on values the chart %s does not define: if it is deployed with "
			    "values files (helm -f), name them in trustmap.yaml (systems: - {name: ..., include: [\"%s\"], "
			    "values: [...]})",
			    missing, missing == 1 ? "" : "s", name,
			    !*dir || strcmp(dir, ".") == 0 ? "*" : tm_arena_printf(set->arena, "%s/*", dir));
	}
	/* where the release is installed decides where its objects go: said, not silently "default" */
	if ((reads_ns || unplaced) && !ns) {
		tm_loc at = {rd->file, 1, 1, NULL};
		char why[160];
		if (unplaced)
			tm_formatf(why, sizeof(why), "%zu without metadata.namespace%s", unplaced,
				   reads_ns ? ", and templates reading .Release.Namespace" : "");
		else
			tm_formatf(why, sizeof(why), "templates reading .Release.Namespace");
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, at,
			    "the namespace the release is installed into decides where its objects go (%s): taken as "
			    "\"default\", as helm template without --namespace; if it is installed elsewhere, name the "
			    "namespace in trustmap.yaml (systems: - {name: ..., include: [\"<the chart's directory>/*\"], "
			    "namespace: ...})",
			    why);
	}
	rd->d0 = d0;
	rd->d1 = set->diags.count;
	set->nrenders++;
}

/* One chart: rendered per GitOps release of it (rs, sorted by chart), or, with systems named by the
 * overlay, with each taking system's values files (and with values.yaml alone only when a system
 * takes it without values), or else with its values.yaml. */
static void render_chart(tm_scan_set *set, const tm_fsys *fs, const char *chart, const struct releases *rs)
{
	const char *name = *chart ? chart : ".";
	/* the releases of this chart: a run of the sorted list */
	size_t r0 = 0, r1 = rs->n;
	while (r0 < r1) {
		size_t mid = r0 + (r1 - r0) / 2;
		if (strcmp(rs->r[mid].chart, chart) < 0)
			r0 = mid + 1;
		else
			r1 = mid;
	}
	for (r1 = r0; r1 < rs->n && strcmp(rs->r[r1].chart, chart) == 0;)
		r1++;
	if (r1 > r0 && !set->nsysdefs) {
		for (size_t k = r0; k < r1 && !set->oom; k++) {
			struct helm_release *r = &rs->r[k];
			helm_render_one(set, fs, chart, NULL, 0, NULL, NULL, tm_arena_printf(set->arena, "%s [%s]", name, r->app), r);
			tm_gitops__release_said(set, r, name);
		}
		return;
	}
	for (size_t k = r0; k < r1; k++)
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, rs->r[k].at,
			    "the %s %s releases chart %s with values of its own, but the systems of trustmap.yaml decide "
			    "how the chart is rendered: its values are not used",
			    rs->r[k].tool, rs->r[k].app, name);
	bool plain = !set->nsysdefs;
	char *file = tm_arena_printf(set->arena, "%s%sChart.yaml", chart, *chart ? "/" : "");
	for (size_t k = 0; k < set->nsysdefs && !set->oom && file; k++) {
		const tm_plan_system *d = &set->sysdefs[k];
		size_t before = set->nrenders;
		if (!tm_plan_takes(d, name) && !tm_plan_takes(d, file))
			continue;
		if (!d->nvalues && !d->ns && !d->release) {
			plain = true;
			continue;
		}
		helm_render_one(set, fs, chart, d->values, d->nvalues, d->ns, d->release,
				tm_arena_printf(set->arena, "%s [%s]", name, d->name), NULL);
		if (set->nrenders > before)
			set->renders[before].only_sysdef = (int)k;
	}
	if (plain)
		helm_render_one(set, fs, chart, NULL, 0, NULL, NULL, name, NULL);
}

/* Is rel (a path inside a chart's directory) one of the chart's own files: its templates, its
 * subcharts, CRDs, test values (ci/), files it reads (files/), its metadata and values files? */
static bool chart_own_file(const char *rel)
{
	static const char *const dirs[] = {"templates/", "charts/", "crds/", "ci/", "files/"};
	for (size_t i = 0; i < TM_ARRAY_LEN(dirs); i++)
		if (strncmp(rel, dirs[i], strlen(dirs[i])) == 0)
			return true;
	const char *base = tm_scan__basename(rel);
	static const char *const names[] = {"Chart.yaml", "Chart.lock", "requirements.yaml", "requirements.lock",
					    ".helmignore", "values.schema.json"};
	for (size_t i = 0; i < TM_ARRAY_LEN(names); i++)
		if (strcmp(base, names[i]) == 0)
			return true;
	size_t bl = strlen(base);
	return strncmp(base, "values", 6) == 0 || (bl > 4 && strcmp(base + bl - 4, ".tpl") == 0) ||
	       (bl > 12 && strcmp(base + bl - 12, ".values.yaml") == 0) || (bl > 11 && strcmp(base + bl - 11, "-values.yaml") == 0);
}

/* Every chart (a directory holding Chart.yaml) that is not a subchart of another, nor inflated by
 * a kustomization, is rendered (render_chart). Charts of GitOps objects (apps of apps) first: the
 * releases their Applications make of the other charts are then known when those render. */
static void plan_helm(tm_scan_set *set, const tm_fsys *fs, struct releases *rs)
{
	const char **charts = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < set->ncands && !set->oom; i++) {
		const char *d = set->cands[i].display;
		if (strcmp(tm_scan__basename(d), "Chart.yaml") != 0)
			continue;
		const char *slash = strrchr(d, '/');
		char *dir = tm_arena_strndup(set->arena, d, slash ? (size_t)(slash - d) : 0);
		if (!dir || TM_GROW(charts, cap, n + 1)) {
			set->oom = 1;
			break;
		}
		charts[n++] = dir;
	}
	char *role = n ? tm_calloc(n, 1) : NULL; /* 0: not rendered alone, 1: an app of apps, 2: any other */
	if (n && !role)
		set->oom = 1;
	for (size_t i = 0; i < n && !set->oom; i++) {
		/* a subchart (under another chart's charts/) renders with its parent */
		bool sub = false;
		for (size_t j = 0; j < n && !sub; j++) {
			size_t pl = strlen(charts[j]);
			sub = j != i && strncmp(charts[i], charts[j], pl) == 0 &&
			      (pl == 0 ? strncmp(charts[i], "charts/", 7) == 0 : strncmp(charts[i] + pl, "/charts/", 8) == 0);
		}
		/* a chart a kustomization inflates (helmCharts) is deployed through it, not alone */
		char cy[PATH_MAX];
		tm_formatf(cy, sizeof(cy), "%s%sChart.yaml", charts[i], *charts[i] ? "/" : "");
		const struct candidate *cc = tm_scan__find_cand(set, cy);
		bool inflated = cc && cc->render >= 0 && set->renders[cc->render].format == TM_FMT_KUSTOMIZE;
		role[i] = sub || inflated ? 0 : tm_gitops__app_of_apps(set, fs, charts[i]) ? 1 : 2;
	}
	size_t first_render = set->nrenders;
	for (size_t i = 0; i < n && !set->oom; i++)
		if (role[i] == 1)
			render_chart(set, fs, charts[i], rs);
	/* the releases the apps of apps make, among the others */
	tm_gitops__releases_rendered(set, fs, rs, first_render);
	for (size_t i = 0; i < n && !set->oom; i++)
		if (role[i] == 2)
			render_chart(set, fs, charts[i], rs);
	tm_free(role);
	/* the rest of a chart's own files (ci/ values, NOTES.txt, a values file no system names): not
	 * deployed by it. Other files that merely sit in its directory (manifests `helm template` wrote
	 * out for kubectl apply, a docs/ example) are inputs of their own, read as any other file. */
	for (size_t j = 0; j < n; j++) {
		size_t first, end, cl = strlen(charts[j]);
		tm_scan__cands_under(set, charts[j], cl, &first, &end);
		for (size_t i = first; i < end; i++)
			if (!set->cands[i].owner && chart_own_file(set->cands[i].display + cl + (cl > 0))) {
				set->cands[i].owner = *charts[j] ? charts[j] : ".";
				set->cands[i].chart_file = true;
			}
	}
	tm_free(charts);
}

static void plan_renders(tm_scan_set *set)
{
	if (!set->mem && !set->render_root[0]) {
		for (size_t i = 0; i < set->ncands; i++)
			if (kustomization_name(tm_scan__basename(set->cands[i].display)) ||
			    strcmp(tm_scan__basename(set->cands[i].display), "Chart.yaml") == 0) {
				tm_loc at = {set->cands[i].display, 0, 0, NULL};
				tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, at,
					    "kustomizations and charts are rendered when one directory is scanned; these files are read as plain manifests");
				break;
			}
		for (size_t i = 0; i < set->ncands; i++)
			if (set->cands[i].hcl) {
				tm_loc at = {set->cands[i].display, 0, 0, NULL};
				tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, at,
					    "Terraform's kubernetes_* and helm_release resources are rendered when one directory is "
					    "scanned; any in this configuration are not modelled");
				break;
			}
		return;
	}
	tm_fsys fs;
	const char **paths = NULL, **data = NULL;
	size_t *lens = NULL;
	tm_fsys_mem mem;
	if (render_fs(set, &fs, &paths, &data, &lens, &mem)) {
		set->oom = 1;
	} else {
		/* every question the renders ask of the tree, logged: tm_scan_set_same compares them */
		tm_fsys_record rec;
		tm_fsys_record_init(&rec, &fs);
		plan_kustomize(set, &rec.fs);
		/* the files outside charts parsed now: the GitOps objects among them decide how charts
		 * render (their values, their namespace); a chart's own files wait for its render */
		for (size_t i = 0; i < set->ncands; i++)
			if (strcmp(tm_scan__basename(set->cands[i].display), "Chart.yaml") == 0) {
				const char *d = set->cands[i].display, *slash = strrchr(d, '/');
				size_t first, end;
				tm_scan__cands_under(set, d, slash ? (size_t)(slash - d) : 0, &first, &end);
				for (size_t k = first; k < end; k++)
					set->cands[k].in_chart = true;
			}
		struct releases rs = {NULL, 0, 0};
		if (!set->oom)
			plan_parse(set);
		if (!set->oom)
			tm_gitops__releases(set, &rec.fs, &rs);
		if (!set->oom)
			tm_tf_k8s__plan(set, &rec.fs, &rs);
		if (!set->oom)
			plan_helm(set, &rec.fs, &rs);
		tm_gitops__releases_free(&rs);
		for (size_t i = 0; i < set->ncands; i++)
			set->cands[i].in_chart = false;
		tm_fsys_record_digest(&rec, set->render_log);
		set->render_logged = true;
		if (!set->mem)
			tm_fsys_disk_dispose(&fs);
	}
	tm_free(paths);
	tm_free(data);
	tm_free(lens);
}

/* Each diagnostic belongs to every system, or to the one system holding its file alone. */
static void plan_diag_owners(tm_scan_set *set)
{
	tm_hmap sys = TM_HMAP_INIT;
	static const int systems_max = 1 << 20;
	set->diag_system = set->diags.count ? tm_calloc(set->diags.count, sizeof(int)) : NULL;
	if (set->diags.count && !set->diag_system) {
		set->oom = 1;
		return;
	}
	/* a file in a chart's directory that no render of it reads (its ci/ values, a README) is no
	 * input: skipped with that reason, its parse's problems (a values file's templated strings read
	 * as "go template, not rendered") shown nowhere (-2). A kustomization's unread files keep theirs:
	 * one that failed to render may have failed on them. The map holds 1 for such a file, k + 2 for a
	 * file system k holds. */
	/* a file several renders read (a base two overlays share) is each one's: the one system they
	 * all belong to, else every system (-1) */
	int *by_render = tm_calloc(set->ncands + 1, sizeof(int));
	if (!by_render) {
		set->oom = 1;
		tm_hmap_dispose(&sys);
		return;
	}
	for (size_t i = 0; i < set->ncands; i++)
		by_render[i] = -3;
	for (size_t r = 0; r < set->nrenders; r++) {
		int k = tm_plan_system_of(&set->plan, &set->items[set->renders[r].item]);
		for (size_t j = 0; j < set->renders[r].nconsumed; j++) {
			int *b = &by_render[set->renders[r].consumed[j]];
			*b = *b == -3 || *b == k ? k : -1;
		}
	}
	for (size_t i = 0; i < set->ncands; i++) {
		const struct candidate *c = &set->cands[i];
		/* a render read it (c->render): by_render holds the systems of all that did */
		int k = c->render >= 0 ? by_render[i] : c->item >= 0 ? tm_plan_system_of(&set->plan, &set->items[c->item]) : -1;
		/* the overlay beside a chart at the root is read whatever the chart's renders read */
		bool overlay = strcmp(c->display, "trustmap.yaml") == 0 || strcmp(c->display, "trustmap.yml") == 0 ||
			       strcmp(c->display, ".trustmap.yaml") == 0;
		intptr_t v = c->chart_file && c->render < 0 && !overlay ? 1 : k >= 0 && k < systems_max ? k + 2 : 0;
		/* a file of the manifests every Kubernetes variant shares: theirs, not a compose project's */
		if (!v && c->render < 0 && c->item >= 0)
			v = -(intptr_t)c->item - 1;
		if (v && tm_hmap_put(&sys, c->display, strlen(c->display), (void *)v))
			set->oom = 1;
	}
	tm_free(by_render);
	for (size_t i = 0; i < set->diags.count; i++) {
		const char *p = set->diags.items[i].loc.path;
		intptr_t v = p ? (intptr_t)tm_hmap_get(&sys, p, strlen(p)) : 0;
		set->diag_system[i] = v < 0 ? (int)(-3 - (-v - 1)) : v == 0 ? -1 : v == 1 ? -2 : (int)(v - 2);
	}
	/* a chart's render says its own problems: one rendered twice (its values.yaml, a system's values
	 * files) is in different systems, and a render no system holds (replaced by the one with a
	 * system's values) keeps its problems to itself (-2: shown nowhere) */
	for (size_t r = 0; r < set->nrenders; r++) {
		const struct render *rd = &set->renders[r];
		const tm_plan_item *it = &set->items[rd->item];
		int k = tm_plan_system_of(&set->plan, it);
		bool nowhere = set->plan.explicit_ && k < 0;
		/* a render in no one system is in the systems its item is (a chart beside a compose project:
		 * the Kubernetes side's, not the project's) */
		for (size_t i = rd->d0; i < rd->d1 && i < set->diags.count; i++)
			set->diag_system[i] = nowhere ? -2 : k >= 0 || rd->item < 0 ? k : -3 - rd->item;
	}
	tm_hmap_dispose(&sys);
}

/* A list of strings from the overlay (the overlay ingester says what is wrong with it). */
static const char *const *overlay_strs(tm_scan_set *set, const tm_value *seq, size_t *n)
{
	*n = 0;
	if (tm_value_kind_of(seq) != TM_VALUE_SEQ)
		return NULL;
	const char **out = tm_arena_alloc(set->arena, (tm_value_len(seq) + 1) * sizeof(char *));
	for (size_t i = 0; out && i < tm_value_len(seq); i++) {
		const char *v = tm_scalar_str(tm_seq_at(seq, i), NULL);
		if (v && tm_value_kind_of(tm_seq_at(seq, i)) == TM_VALUE_SCALAR)
			out[(*n)++] = v;
	}
	return out;
}

/* The systems the overlay names (`systems:` of trustmap.yaml at the root), if it names any. */
static void plan_overlay_systems(tm_scan_set *set)
{
	for (size_t i = 0; i < set->ncands && !set->nsysdefs && !set->oom; i++) {
		struct candidate *c = &set->cands[i];
		const char *b = c->display;
		if (strcmp(b, "trustmap.yaml") != 0 && strcmp(b, "trustmap.yml") != 0 && strcmp(b, ".trustmap.yaml") != 0)
			continue;
		/* read before the renders: its systems may name values files for the charts */
		size_t before = set->diags.count;
		int rc = c->file ? 0
			 : c->mem ? tm_file_parse(&c->file, c->display, c->mem, c->mem_len, &set->limits, &set->diags)
				  : tm_file_load(&c->file, c->fs_path, c->display, &set->limits, &set->diags);
		if (rc == TM_ENOMEM)
			set->oom = 1;
		if (rc || !c->file) {
			c->skip = tm_arena_strdup(set->arena, first_problem(&set->diags, before, "could not be parsed"));
			continue;
		}
		const tm_value *list = tm_map_get(tm_file_doc(c->file, 0), "systems");
		size_t n = tm_value_kind_of(list) == TM_VALUE_SEQ ? tm_value_len(list) : 0;
		set->sysdefs = n ? tm_arena_alloc(set->arena, n * sizeof(tm_plan_system)) : NULL;
		for (size_t k = 0; set->sysdefs && k < n; k++) {
			const tm_value *v = tm_seq_at(list, k);
			const char *name = tm_map_get_str(v, "name");
			if (!name || tm_value_kind_of(v) != TM_VALUE_MAP)
				continue;
			tm_plan_system *d = &set->sysdefs[set->nsysdefs];
			d->name = name;
			d->at = tm_value_loc(c->file, v);
			d->include = overlay_strs(set, tm_map_get(v, "include"), &d->ninclude);
			d->exclude = overlay_strs(set, tm_map_get(v, "exclude"), &d->nexclude);
			d->values = overlay_strs(set, tm_map_get(v, "values"), &d->nvalues);
			/* a namespace that is no DNS label is refused (and said) by the overlay's reader */
			const char *ns = tm_map_get_str(v, "namespace");
			d->ns = ns && tm_ingest__dns_label(ns) ? ns : NULL;
			const char *rel = tm_map_get_str(v, "release_name");
			d->release = rel && tm_ingest__dns_label(rel) ? rel : NULL;
			set->nsysdefs += d->ninclude > 0;
		}
		if (n && !set->sysdefs)
			set->oom = 1;
	}
}

/* A compose file's project, for the plan: its directory ("." at the top); NULL for other files. */
static const char *compose_project(tm_scan_set *set, const struct candidate *c)
{
	for (size_t i = 0; i < tm_file_doc_count(c->file); i++) {
		tm_detected det;
		tm_detect(tm_file_doc(c->file, i), tm_scan__basename(c->display), &det);
		if (det.format != TM_FMT_COMPOSE)
			continue;
		const char *slash = strrchr(c->display, '/');
		return slash ? tm_arena_strndup(set->arena, c->display, (size_t)(slash - c->display)) : ".";
	}
	return NULL;
}

/* Is a parsed file a gateway's configuration (Envoy, Kong declarative, Traefik's dynamic or static
 * file, Ocelot, cloudflared...): one of its documents recognised as such? */
static bool gateway_file(const tm_file *f, const char *display)
{
	for (size_t i = 0; i < tm_file_doc_count(f); i++) {
		tm_detected det;
		tm_detect(tm_file_doc(f, i), tm_scan__basename(display), &det);
		if (det.format == TM_FMT_GATEWAY)
			return true;
	}
	return false;
}

/* The GitOps deliveries (set->gitops_paths) by plan item: the item of the file holding the object
 * (a plain file, its placed copy, a render's output; an ApplicationSet's Application by its file's
 * path). NULL when there are none or memory ran out (set->oom). */
/* Each plan item (its index + 1) by the files it reads: a candidate's file and placed copy, a render's
 * outputs; and, when by_path is given, a candidate by its path. True when memory ran out. */
static bool item_index(const tm_scan_set *set, tm_hmap *by_file, tm_hmap *by_path)
{
	bool oom = false;
	for (size_t i = 0; i < set->ncands && !oom; i++) {
		const struct candidate *c = &set->cands[i];
		void *v = (void *)(intptr_t)(c->item + 1);
		if (c->item < 0)
			continue;
		oom = (c->file && tm_hmap_put(by_file, (const char *)&c->file, sizeof(c->file), v)) ||
		      (c->placed && tm_hmap_put(by_file, (const char *)&c->placed, sizeof(c->placed), v)) ||
		      (by_path && tm_hmap_put(by_path, c->display, strlen(c->display), v));
	}
	for (size_t r = 0; r < set->nrenders && !oom; r++)
		for (size_t k = 0; k < set->renders[r].nouts && !oom; k++)
			oom = tm_hmap_put(by_file, (const char *)&set->renders[r].outs[k], sizeof(tm_file *),
					  (void *)(intptr_t)(set->renders[r].item + 1));
	return oom;
}

static tm_plan_delivery *plan_deliveries(tm_scan_set *set, size_t *n)
{
	*n = 0;
	if (!set->ngitops_paths)
		return NULL;
	tm_hmap by_file = TM_HMAP_INIT, by_path = TM_HMAP_INIT;
	tm_plan_delivery *ds = tm_calloc(set->ngitops_paths, sizeof(*ds));
	bool oom = !ds || item_index(set, &by_file, &by_path);
	for (size_t i = 0; i < set->ngitops_paths && !oom; i++) {
		const struct gitops_path *g = &set->gitops_paths[i];
		const char *p = tm_file_path(g->f);
		intptr_t item = (intptr_t)tm_hmap_get(&by_file, (const char *)&g->f, sizeof(g->f));
		if (!item && p)
			item = (intptr_t)tm_hmap_get(&by_path, p, strlen(p));
		if (item > 0)
			ds[(*n)++] = (tm_plan_delivery){(size_t)(item - 1), g->dir, g->recurse};
	}
	tm_hmap_dispose(&by_file);
	tm_hmap_dispose(&by_path);
	if (oom) {
		set->oom = 1;
		tm_free(ds);
		*n = 0;
		return NULL;
	}
	return ds;
}

/* GitOps systems: a placed copy or render holding one delivery's objects (a cluster's namespace, its
 * postBuild substitution) is in the systems of the deliveries whose objects it holds, not every
 * system that delivers its directory (each cluster would get the other's copy, the later winning). */
static void gitops_uses(tm_scan_set *set)
{
	size_t ns = set->plan.nsystems, ni = set->nitems;
	tm_hmap by_file = TM_HMAP_INIT;
	bool *acc = tm_calloc(ni * ns + 1, sizeof(bool)), *touched = tm_calloc(ni + 1, sizeof(bool));
	bool oom = !acc || !touched || item_index(set, &by_file, NULL);
	for (size_t u = 0; u < set->ngitops_uses && !oom; u++) {
		const struct gitops_use *g = &set->gitops_uses[u];
		intptr_t via = (intptr_t)tm_hmap_get(&by_file, (const char *)&g->via, sizeof(g->via));
		int target = g->cand >= 0 ? set->cands[g->cand].item
			     : g->render >= 0 && (size_t)g->render < set->nrenders ? set->renders[g->render].item
										     : -1;
		if (via <= 0 || target < 0 || (size_t)target >= ni)
			continue; /* a delivering object no item holds: its copy stays where the plan put it */
		touched[target] = true;
		for (size_t x = 0; x < ns; x++)
			acc[(size_t)target * ns + x] |= set->plan.member[(size_t)(via - 1) * ns + x];
	}
	for (size_t it = 0; it < ni && !oom; it++) {
		if (!touched[it])
			continue;
		bool any = false;
		for (size_t x = 0; x < ns; x++)
			any = any || (set->plan.member[it * ns + x] && acc[it * ns + x]);
		for (size_t x = 0; any && x < ns; x++) /* never out of every system the plan gave it */
			set->plan.member[it * ns + x] = set->plan.member[it * ns + x] && acc[it * ns + x];
	}
	if (oom)
		set->oom = 1;
	tm_hmap_dispose(&by_file);
	tm_free(acc);
	tm_free(touched);
}

static void plan_variants(tm_scan_set *set)
{
	size_t n = 0;
	set->items = tm_arena_alloc(set->arena, (set->ncands + set->nrenders + 1) * sizeof(tm_plan_item));
	if (!set->items) {
		set->oom = 1;
		return;
	}
	for (size_t i = 0; i < set->ncands; i++) {
		struct candidate *c = &set->cands[i];
		/* a gateway's text configuration (nginx, Caddyfile) is placed too: it has no documents */
		if (c->owner || (!c->file && !c->nginx && !c->caddy))
			continue;
		c->item = (int)n;
		set->items[n++] = (tm_plan_item){c->display,
						 c->file ? (const tm_file *const *)(c->placed ? &c->placed : &c->file) : NULL,
						 c->file ? 1 : 0, false, -1, c->file ? compose_project(set, c) : NULL, -1, NULL,
						 0, false, !c->file || gateway_file(c->file, c->display), false};
	}
	for (size_t i = 0; i < set->nrenders; i++) {
		struct render *rd = &set->renders[i];
		rd->item = (int)n;
		set->items[n++] = (tm_plan_item){rd->name, (const tm_file *const *)rd->outs, rd->nouts, true, -1, NULL,
						 rd->only_sysdef, rd->consumed, rd->nconsumed - rd->nshared, false, false, false};
	}
	set->nitems = n;
	size_t nds = 0;
	tm_plan_delivery *ds = set->nsysdefs ? NULL : plan_deliveries(set, &nds);
	if (set->nsysdefs ? tm_plan_explicit(set->arena, set->items, n, set->sysdefs, set->nsysdefs, &set->plan)
			  : tm_plan_solve(set->arena, set->items, n, ds, nds, &set->plan))
		set->oom = 1;
	tm_free(ds);
	/* a release a kustomization's output holds (a cluster overlay's patched HelmRelease) is in the
	 * systems that kustomization is in, not every system (GitOps systems: membership per item) */
	for (size_t i = 0; i < set->nrenders && !set->oom && set->plan.member; i++) {
		const struct render *rd = &set->renders[i];
		if (rd->parent < 0 || (size_t)rd->parent >= set->nrenders || rd->item < 0 || set->renders[rd->parent].item < 0)
			continue;
		size_t ns = set->plan.nsystems, it = (size_t)rd->item, pit = (size_t)set->renders[rd->parent].item;
		for (size_t x = 0; x < ns; x++)
			set->plan.member[it * ns + x] = set->plan.member[pit * ns + x];
	}
	if (set->ngitops_uses && set->plan.member && !set->oom)
		gitops_uses(set);
	/* an overlay system's pattern that takes nothing (a typo, a pattern from another root) leaves
	 * the system without what it meant: said, with the patterns that would have worked */
	for (size_t k = 0; k < set->nsysdefs && !set->oom; k++) {
		const tm_plan_system *d = &set->sysdefs[k];
		for (size_t g = 0; g < d->ninclude; g++)
			if (!tm_plan_glob_used(set->items, n, d->include[g]))
				tm_diag_add(&set->diags, TM_ENOTFOUND, TM_LEVEL_WARNING, d->at,
					    "system %s: include \"%s\" matches no input (patterns match paths from the scan "
					    "root, such as \"deploy/*\" or \"*\"; a chart by its directory): what it was to "
					    "take is not in this system",
					    d->name, d->include[g]);
	}
}

static tm_scan_set *set_new(const tm_limits *limits)
{
	tm_scan_set *set = tm_calloc(1, sizeof(*set));
	if (!set || !(set->arena = tm_arena_new())) {
		tm_free(set);
		return NULL;
	}
	set->refs = 1;
	set->limits = *limits;
	tm_diag_list_init(&set->diags);
	return set;
}

/* Parse, render and group what the walk found. */
static int plan_finish(tm_scan_set *set)
{
	if (set->ncands > 1)
		qsort(set->cands, set->ncands, sizeof(*set->cands), cand_cmp);
	/* one path named twice (overlapping roots) is read once */
	size_t k = 0;
	for (size_t i = 0; i < set->ncands; i++)
		if (!k || strcmp(set->cands[i].display, set->cands[k - 1].display) != 0)
			set->cands[k++] = set->cands[i];
	set->ncands = k;
	if (!set->oom)
		plan_overlay_systems(set);
	if (!set->oom && set->progress)
		set->progress(set->progress_ud, "rendering charts and overlays");
	if (!set->oom)
		plan_renders(set);
	if (!set->oom)
		plan_parse(set);
	if (!set->oom)
		tm_gitops__deliveries(set);
	if (!set->oom)
		plan_variants(set);
	if (!set->oom)
		plan_diag_owners(set);
	if (set->oom || set->diags.oom)
		return TM_ENOMEM;
	if (set->nskips > 1)
		qsort(set->skips, set->nskips, sizeof(tm_skip), skip_cmp);
	return 0;
}

int tm_scan_plan(tm_scan_set **out, const tm_scan_opts *opts)
{
	*out = NULL;
	tm_scan_set *set = set_new(&opts->limits);
	if (!set)
		return TM_ENOMEM;
	walker w;
	memset(&w, 0, sizeof(w));
	w.s = set;
	w.opts = opts;
	struct stat st;
	w.single_dir = opts->nroots == 1 && stat(opts->roots[0], &st) == 0 && S_ISDIR(st.st_mode);
	if (w.single_dir && !realpath(opts->roots[0], set->render_root))
		set->render_root[0] = '\0';
	set->helm_binary = opts->helm_binary ? tm_arena_strdup(set->arena, opts->helm_binary) : NULL;
	char prefix[PATH_MAX] = "";
	if (w.single_dir)
		tm_scan_repo_prefix(opts->roots[0], prefix, sizeof(prefix));
	set->repo_prefix = tm_arena_strdup(set->arena, prefix);
	set->cache = opts->cache;
	set->progress = opts->progress;
	set->progress_ud = opts->progress_ud;
	for (size_t i = 0; i < opts->nroots; i++) {
		size_t before = tm_diag_count(&set->diags, TM_LEVEL_ERROR);
		scan_root(&w, opts->roots[i]);
		set->root_errors += tm_diag_count(&set->diags, TM_LEVEL_ERROR) > before;
	}
	tm_hmap_dispose(&w.visited);
	int rc = plan_finish(set);
	if (rc) {
		tm_scan_set_free(set);
		return rc;
	}
	*out = set;
	return 0;
}

int tm_scan_plan_mem(tm_scan_set **out, const tm_mem_file *files, size_t n, const tm_limits *limits)
{
	return tm_scan_plan_mem_cached(out, files, n, limits, NULL, NULL, 0, NULL);
}

/* Why a file of a git tree at path is left out as a walk of the same tree on disk would leave it
 * (visit): under .git or .trustmap or a directory a glob excludes (left_silently), under a directory
 * the walk skips or a build directory (CMakeCache.txt in it: cmake_dirs), its reason with that
 * directory's path in dir, or a file a glob excludes (left_excluded); NULL: kept. */
static const char left_silently[] = "", left_excluded[] = "";

static const char *mem_left_out(const tm_ignore *ig, const tm_hmap *cmake_dirs, const char *path, char *dir,
				size_t cap)
{
	for (const char *p = path, *slash; (slash = strchr(p, '/')); p = slash + 1) {
		size_t len = (size_t)(slash - path);
		if (len >= cap)
			return left_silently; /* deeper than any path the disk holds */
		memcpy(dir, path, len);
		dir[len] = '\0';
		const char *name = dir + (p - path);
		if (never_walked(name) || (ig && tm_ignore_match(ig, dir, true)))
			return left_silently;
		const char *why = skip_dir_reason(name);
		if (!why && tm_hmap_get(cmake_dirs, dir, len))
			why = "build output";
		if (why)
			return why;
	}
	return ig && tm_ignore_match(ig, path, false) ? left_excluded : NULL;
}

int tm_scan_plan_mem_cached(tm_scan_set **out, const tm_mem_file *files, size_t n, const tm_limits *limits,
			    tm_parse_cache *cache, const char *const *exclude, size_t nexclude, const char *repo_prefix)
{
	*out = NULL;
	tm_scan_set *set = set_new(limits);
	if (!set)
		return TM_ENOMEM;
	set->repo_prefix = tm_arena_strdup(set->arena, repo_prefix ? repo_prefix : "");
	set->cache = cache;
	set->mem = true;
	set->mem_files = files;
	set->nmem_files = n;
	tm_ignore *ig = nexclude ? tm_ignore_new(NULL, false, exclude, nexclude) : NULL;
	tm_hmap cmake_dirs = TM_HMAP_INIT, skipped = TM_HMAP_INIT;
	if (nexclude && !ig)
		set->oom = 1;
	/* the directories a CMakeCache.txt marks as build output (below the root, as the walk probes) */
	for (size_t i = 0; i < n && !set->oom; i++) {
		const char *name = tm_scan__basename(files[i].path);
		if (name != files[i].path && strcmp(name, "CMakeCache.txt") == 0 &&
		    tm_hmap_put(&cmake_dirs, files[i].path, (size_t)(name - 1 - files[i].path), (void *)1))
			set->oom = 1;
	}
	char dir[PATH_MAX];
	for (size_t i = 0; i < n && !set->oom; i++) {
		const char *name = tm_scan__basename(files[i].path);
		const char *left = mem_left_out(ig, &cmake_dirs, files[i].path, dir, sizeof(dir));
		if (left) {
			/* a skipped directory is listed once, by its path, as the walk lists it */
			size_t dl = strlen(dir);
			if (left != left_silently && left != left_excluded && !tm_hmap_get(&skipped, dir, dl)) {
				char *d = tm_arena_strndup(set->arena, dir, dl);
				if (!d || tm_hmap_put(&skipped, d, dl, d))
					set->oom = 1;
				else
					set_skip(set, d, left);
			}
			set->ignored += left == left_excluded;
			continue;
		}
		int k = kind_by_name(name);
		size_t head = files[i].len < SNIFF_BYTES ? files[i].len : SNIFF_BYTES;
		int kind = k == NAME_METRICS ? SNIFF_METRICS
			   : k != NAME_SNIFF ? SNIFF_DOC
					     : sniffed_kind(name, sniff_head(files[i].data, head, files[i].len));
		if (kind == SNIFF_NONE) {
			set->ignored++;
			continue;
		}
		if (TM_GROW(set->cands, set->cap_cands, set->ncands + 1)) {
			set->oom = 1;
			break;
		}
		struct candidate *c = &set->cands[set->ncands++];
		memset(c, 0, sizeof(*c));
		c->render = c->item = -1;
		c->display = tm_arena_strdup(set->arena, files[i].path);
		mark_kind(c, k);
		c->metrics = kind == SNIFF_METRICS;
		c->nginx = kind == SNIFF_NGINX;
		c->iot = c->iot || kind == SNIFF_IOT;
		c->mem = files[i].data;
		c->mem_len = files[i].len;
		if (!c->display)
			set->oom = 1;
	}
	tm_hmap_dispose(&cmake_dirs);
	tm_hmap_dispose(&skipped);
	tm_ignore_free(ig);
	int rc = set->oom ? TM_ENOMEM : plan_finish(set);
	if (rc) {
		tm_scan_set_free(set);
		return rc;
	}
	*out = set;
	return 0;
}

size_t tm_scan_set_systems(const tm_scan_set *set)
{
	return set->plan.nsystems ? set->plan.nsystems : 1;
}

const char *tm_scan_set_system(const tm_scan_set *set, size_t i)
{
	return i < set->plan.nsystems ? set->plan.names[i] : NULL;
}

int tm_scan_set_find(const tm_scan_set *set, const char *name)
{
	for (size_t i = 0; i < set->plan.nsystems; i++)
		if (strcmp(set->plan.names[i], name) == 0)
			return (int)i;
	return -1;
}

void tm_scan_set_drop_files(tm_scan_set *set)
{
	if (!set)
		return;
	/* the files' arenas were the heap's blocks: kept by the heap (not trimmed), they are what the
	 * findings' arenas and the reports take next, instead of new pages (arena.c, chunk_new) */
	for (size_t i = 0; i < set->ncands; i++)
		if (set->cands[i].spec_only) {
			tm_file_free(set->cands[i].file);
			tm_file_free(set->cands[i].placed);
			set->cands[i].file = set->cands[i].placed = NULL;
		}
	set->dropped = true;
}

void tm_scan_set_free(tm_scan_set *set)
{
	if (!set || --set->refs > 0)
		return;
	for (size_t i = 0; i < set->ncands; i++) {
		tm_file_free(set->cands[i].file);
		tm_file_free(set->cands[i].placed);
	}
	for (size_t i = 0; i < set->nrenders; i++) {
		for (size_t j = 0; j < set->renders[i].nouts; j++)
			tm_file_free(set->renders[i].outs[j]);
		tm_free(set->renders[i].outs);
		tm_free(set->renders[i].consumed);
	}
	for (size_t i = 0; i < set->nappsets; i++)
		tm_file_free(set->appsets[i]);
	tm_free(set->appsets);
	tm_file_free(set->tf_eval);
	tm_free(set->gitops_paths);
	tm_free(set->gitops_uses);
	tm_free(set->renders);
	tm_free(set->cands);
	tm_free(set->skips);
	tm_free(set->ref_roots);
	tm_free(set->diag_system);
	tm_diag_list_dispose(&set->diags);
	tm_hmap_dispose(&set->values_keys);
	tm_hmap_dispose(&set->flux_repos);
	tm_arena_free(set->arena);
	tm_free(set);
}

/* ---- one system's scan ------------------------------------------------------------------ */

static tm_scan *scan_new(tm_scan_set *set, size_t system)
{
	tm_scan *s = tm_calloc(1, sizeof(*s));
	if (!s || !(s->arena = tm_arena_new())) {
		tm_free(s);
		return NULL;
	}
	s->set = set;
	set->refs++;
	s->system = (int)system;
	tm_diag_list_init(&s->diags);
	s->refs = tm_refs_new(s->arena, &set->limits, &s->diags);
	if (!s->refs) {
		tm_scan_free(s);
		return NULL;
	}
	for (size_t i = 0; i < set->nref_roots; i++)
		if (tm_refs_add_root(s->refs, set->ref_roots[i]))
			s->oom = 1;
	return s;
}

/* Where an item of the walk is, for a reason: its variant ("the variant NAME"), or for a unit every
 * variant of one side shares (manifests beside several overlays, a compose file of every compose
 * variant) those variants; *pick the one to name in "scan --system". */
static void variant_of(const tm_scan_set *set, const tm_plan_item *it, char *buf, size_t size, const char **pick)
{
	const tm_plan *p = &set->plan;
	int k = tm_plan_system_of(p, it);
	*pick = "?";
	if (k >= 0) {
		tm_formatf(buf, size, "the variant %s", p->names[k]);
		*pick = p->names[k];
		return;
	}
	int world = it->unit >= 0 && (size_t)it->unit < p->nunits && p->unit_world ? p->unit_world[it->unit] : -1;
	size_t n = 0;
	for (size_t x = 0; x < p->nsystems; x++)
		if (p->world && p->world[x] == world && !n++)
			*pick = p->names[x];
	const char *side = world == TM_PLAN_COMPOSE ? "compose" : "Kubernetes";
	if (n == 1)
		tm_formatf(buf, size, "the %s variant %s", side, *pick);
	else
		tm_formatf(buf, size, "every %s variant", side);
}

/* Why a file of the walk is not in this system, or NULL when it is. read[i]: candidate i is read by
 * a render this system holds. */
static const char *not_here(const tm_scan_set *set, const tm_scan *s, const struct candidate *c, const bool *read,
			    char *buf, size_t size)
{
	if (c->owner) {
		if (c->render < 0 && c->chart_file) {
			const char *base = tm_scan__basename(c->display);
			const char *chart = strcmp(c->owner, ".") == 0 ? "(the scan's root)" : c->owner;
			size_t bl = strlen(base);
			bool values = strstr(base, "values") && ((bl > 5 && strcmp(base + bl - 5, ".yaml") == 0) ||
								 (bl > 4 && strcmp(base + bl - 4, ".yml") == 0));
			if (values)
				tm_formatf(buf, size,
					   "a values file of chart %s that no system renders with: the chart is rendered with "
					   "its values.yaml; to model this one, name it in trustmap.yaml (systems: - values: "
					   "[%s])",
					   chart, c->display);
			else
				tm_formatf(buf, size, "one of chart %s's own files that no render of it reads (helm does not "
						      "install it)",
					   chart);
			return buf;
		}
		if (c->render < 0) {
			if (strcmp(c->owner, ".") == 0)
				tm_formatf(buf, size,
					   "in the root kustomization's directory, but no build of the scan reads it (a "
					   "Component no kustomization includes, or a file its kustomization does not list)");
			else
				tm_formatf(buf, size,
					   "in kustomization %s's directory, but no build of the scan reads it (a Component no "
					   "kustomization includes, or a file its kustomization does not list)",
					   c->owner);
			return buf;
		}
		if (read[c - set->cands])
			return NULL;
		const struct render *rd = &set->renders[c->render];
		char where[384];
		const char *pick;
		variant_of(set, &set->items[rd->item], where, sizeof(where), &pick);
		tm_formatf(buf, size, "read by %s (%s: scan --system %s)", rd->name, where, pick);
		return buf;
	}
	const tm_plan_item *it = c->item >= 0 ? &set->items[c->item] : NULL;
	if (!it || tm_plan_has(&set->plan, it, (size_t)s->system))
		return NULL;
	int k = tm_plan_system_of(&set->plan, it);
	if (set->plan.explicit_) {
		if (k < 0)
			tm_formatf(buf, size, "in none of the systems trustmap.yaml names");
		else
			tm_formatf(buf, size, "in the system %s (scan --system %s)", set->plan.names[k], set->plan.names[k]);
		return buf;
	}
	char where[384];
	const char *pick;
	variant_of(set, it, where, sizeof(where), &pick);
	tm_formatf(buf, size, "in %s (scan --system %s)", where, pick);
	return buf;
}

/* Which candidates the renders of this system read. NULL when memory ran out. */
static bool *read_here(const tm_scan_set *set, const tm_scan *s)
{
	bool *read = tm_calloc(set->ncands + 1, sizeof(bool));
	for (size_t i = 0; read && i < set->nrenders; i++) {
		const struct render *rd = &set->renders[i];
		if (tm_plan_has(&set->plan, &set->items[rd->item], (size_t)s->system))
			for (size_t j = 0; j < rd->nconsumed; j++)
				read[rd->consumed[j]] = true;
	}
	return read;
}

/* The hash of a file's bytes (a file a render read, which the plan did not parse): 0 when it cannot be
 * read or is over the file-size limit. */
static uint64_t content_digest(const struct candidate *c, const tm_limits *limits)
{
	if (c->mem)
		return tm_hash(c->mem, c->mem_len);
	struct stat st;
	const char *why;
	int fd = tm_open_regular(c->fs_path, &st, &why);
	if (fd < 0)
		return 0;
	uint64_t h = 0;
	size_t len = 0;
	char *buf = (size_t)st.st_size <= limits->max_file_bytes ? tm_malloc((size_t)st.st_size + 1) : NULL;
	if (buf && !tm_read_fd(fd, buf, (size_t)st.st_size, &len))
		h = tm_hash(buf, len);
	tm_free(buf);
	close(fd);
	return h;
}

/* A file a render read: an input of the render's format. */
static void render_input(tm_scan *s, const struct candidate *c)
{
	const tm_scan_set *set = s->set;
	struct tally t;
	memset(&t, 0, sizeof(t));
	const struct render *rd = &set->renders[c->render];
	t.first = rd->format;
	t.seen[t.first] = true;
	t.documents = t.modelled = c->file ? tm_file_doc_count(c->file) : 0;
	/* the kustomization file or Chart.yaml stands for what the render made: its documents, and a
	 * digest of the rendered output (a change to any template or value changes it) */
	uint64_t digest = c->file ? tm_file_digest(c->file) : content_digest(c, &set->limits);
	if (rd->file && strcmp(c->display, rd->file) == 0)
		for (size_t j = 0; j < rd->nouts; j++) {
			t.documents += tm_file_doc_count(rd->outs[j]), t.modelled += tm_file_doc_count(rd->outs[j]);
			uint64_t h[2] = {digest, tm_file_digest(rd->outs[j])};
			digest = tm_hash(h, sizeof(h));
		}
	add_parsed(s, c->display, digest);
	record_input(s, c->display, &t);
}

/* What a render's documents were, onto the input its file stands as (render_input counted them all
 * as modelled, before they were read): the objects no ingester took, by kind. */
static void render_tally(tm_scan *s, const tm_hmap *inputs, const struct render *rd, const struct tally *t)
{
	size_t at = rd->file ? (size_t)(uintptr_t)tm_hmap_get(inputs, rd->file, strlen(rd->file)) : 0;
	if (!at || !t->nunmodelled)
		return;
	tm_input *in = &s->inputs[at - 1];
	tm_kind_count *um = tm_arena_alloc(s->arena, t->nunmodelled * sizeof(*um));
	if (!um) {
		s->oom = 1;
		return;
	}
	size_t passed = 0;
	for (size_t i = 0; i < t->nunmodelled; i++) {
		um[i] = (tm_kind_count){tm_arena_strdup(s->arena, t->unmodelled[i].kind), t->unmodelled[i].count,
					 t->unmodelled[i].digest};
		passed += t->unmodelled[i].count;
	}
	in->modelled = in->modelled > passed ? in->modelled - passed : 0;
	in->unmodelled = um;
	in->nunmodelled = t->nunmodelled;
}

/* The rendered documents of the renders this system holds, and the files they read as inputs. */
static void ingest_renders(struct ingest_run *r)
{
	tm_scan *s = r->s;
	const tm_scan_set *set = s->set;
	tm_hmap inputs = TM_HMAP_INIT; /* path -> index + 1 in s->inputs: where a render's file stands */
	for (size_t i = 0; set->nrenders && i < s->ninputs; i++)
		if (tm_hmap_put(&inputs, s->inputs[i].path, strlen(s->inputs[i].path), (void *)(uintptr_t)(i + 1)))
			s->oom = 1;
	for (size_t i = 0; i < set->nrenders; i++) {
		const struct render *rd = &set->renders[i];
		if (!tm_plan_has(&set->plan, &set->items[rd->item], (size_t)s->system))
			continue;
		struct tally t;
		memset(&t, 0, sizeof(t));
		for (size_t j = 0; j < rd->nouts; j++) {
			const tm_file *f = rd->outs[j];
			for (size_t d = 0; d < tm_file_doc_count(f); d++) {
				const tm_value *doc = tm_file_doc(f, d);
				if (!doc)
					continue;
				t.documents++;
				take_doc(r, f, doc, &t, tm_scan__basename(tm_file_path(f)), 0);
			}
		}
		/* the files it read are listed as inputs of its format (render_input) */
		render_tally(s, &inputs, rd, &t);
	}
	tm_hmap_dispose(&inputs);
}

/* The gateway files this system was only offered (tm_plan_offered) that no workload of it runs
 * (gateway.c left them out): skipped, as a file of another variant is, not inputs. One pass over
 * the model's gateways and one over the inputs. */
static void unhosted_offers(tm_scan *s, tm_model_builder *mb)
{
	const tm_scan_set *set = s->set;
	const tm_model *m = s->system >= 0 && mb ? tm_mb_model(mb) : NULL;
	tm_hmap kept = TM_HMAP_INIT, gone = TM_HMAP_INIT;
	for (size_t i = 0; m && i < set->ncands && !s->oom; i++) {
		const struct candidate *c = &set->cands[i];
		if (c->owner || c->item < 0 || !tm_plan_offered(&set->plan, &set->items[c->item], (size_t)s->system))
			continue;
		if (!kept.count) /* the configurations this system's gateways model, once */
			for (size_t k = 0; k < m->nnodes && !s->oom; k++) {
				const char *cfg = m->nodes[k]->kind == TM_NODE_GATEWAY ? tm_node_attr_str(m->nodes[k], "config")
										      : NULL;
				if (cfg && tm_hmap_put(&kept, cfg, strlen(cfg), (void *)cfg))
					s->oom = 1;
			}
		if (tm_hmap_get(&kept, c->display, strlen(c->display)))
			continue;
		char where[384], buf[512];
		const char *pick;
		variant_of(set, &set->items[c->item], where, sizeof(where), &pick);
		tm_formatf(buf, sizeof(buf), "in %s (scan --system %s); no workload of this system runs it", where, pick);
		add_skip(s, c->display, buf);
		if (tm_hmap_put(&gone, c->display, strlen(c->display), (void *)c->display))
			s->oom = 1;
	}
	size_t n = 0;
	for (size_t i = 0; gone.count && i < s->ninputs; i++)
		if (!tm_hmap_get(&gone, s->inputs[i].path, strlen(s->inputs[i].path)))
			s->inputs[n++] = s->inputs[i];
	if (gone.count)
		s->ninputs = n;
	tm_hmap_dispose(&kept);
	tm_hmap_dispose(&gone);
}

/* Within one system an object defined twice is one object: the definitions are compared, the
 * later one (in path order) is modelled as `kubectl apply` of both would leave it, and the node
 * it makes carries the evidence of both. */
struct dedupe {
	tm_hmap seen;   /* key -> struct def_at* */
	tm_pset dropped;
	struct dup { tm_loc kept, other; } *dups;
	size_t ndups, cap;
	/* identical definitions, by the pair of files holding them: one note per pair (dedupe_notes) */
	tm_hmap pairs;  /* "later\x1fearlier" -> struct same_pair* */
	struct same_pair **same;
	size_t nsame, capsame;
	/* the namespaces the system's objects name: the one Namespace they declare, and whether any
	 * names another (the release namespace an object without one lands in, tm_ingest_ctx) */
	const char *declared;  /* the first Namespace object's name */
	const char *named;     /* the first namespace an object names */
	bool several_declared; /* two Namespaces of different names */
	bool other_named;      /* an object names a namespace other than named */
	bool implicit;         /* a namespaced object names none */
	tm_place place;        /* what the RBAC subjects say of the objects that name none */
};

/* The objects of one file defined identically in an earlier one: the first's place and what it is
 * (the note of a single one), and how many. */
struct same_pair {
	tm_loc is;
	const char *what, *was_path; /* "ServiceAccount default/x" */
	unsigned was_line;
	const char *names[3];
	size_t count;
};

struct def_at {
	const tm_file *f;
	const tm_value *doc;
};

/* An object defined identically twice: noted with the others its two files share (dedupe_notes). */
static void same_note(struct ingest_run *r, struct dedupe *dd, tm_loc is, tm_loc was, const char *what)
{
	char *key = tm_arena_printf(r->s->arena, "%s\x1f%s", is.path ? is.path : "", was.path ? was.path : "");
	if (!key || !what) {
		r->s->oom = 1;
		return;
	}
	struct same_pair *p = tm_hmap_get(&dd->pairs, key, strlen(key));
	if (!p) {
		p = tm_arena_alloc(r->s->arena, sizeof(*p));
		if (!p || tm_hmap_put(&dd->pairs, key, strlen(key), p) || TM_GROW(dd->same, dd->capsame, dd->nsame + 1)) {
			r->s->oom = 1;
			return;
		}
		*p = (struct same_pair){is, what, was.path, was.line, {NULL, NULL, NULL}, 0};
		dd->same[dd->nsame++] = p;
	}
	if (p->count < TM_ARRAY_LEN(p->names))
		p->names[p->count] = what;
	p->count++;
}

/* One note per pair of files: "ServiceAccount a/x is also defined, identically, at f:3; one object",
 * or, for several, "60 objects (ServiceAccount a/x, Role a/y, Role a/z and 57 more) are also defined,
 * identically, in f; one object each", at the first one's place. Linear in the duplicates. */
static void dedupe_notes(struct ingest_run *r, struct dedupe *dd)
{
	for (size_t i = 0; i < dd->nsame; i++) {
		const struct same_pair *p = dd->same[i];
		if (p->count == 1) {
			tm_diag_add(&r->s->diags, 0, TM_LEVEL_NOTE, p->is, "%s is also defined, identically, at %s:%u; one object",
				    p->what, p->was_path, p->was_line);
			continue;
		}
		char more[48] = "";
		if (p->count > 3)
			tm_formatf(more, sizeof(more), " and %zu more", p->count - 3);
		tm_diag_add(&r->s->diags, 0, TM_LEVEL_NOTE, p->is,
			    "%zu objects (%s%s%s%s%s%s) are also defined, identically, in %s; one object each", p->count,
			    p->names[0], p->count == 2 ? " and " : ", ", p->names[1], p->count == 3 ? " and " : p->count > 3 ? ", " : "",
			    p->count > 2 ? p->names[2] : "", more, p->was_path);
	}
}

/* Pass 0: the namespaces doc names (dd->declared...); pass 1: doc against the definitions before it,
 * an object naming no namespace keyed where the scan puts it (r->ctx.implicit_ns), so that it meets
 * the same object another unit defines there. */
static void dedupe_doc(struct ingest_run *r, struct dedupe *dd, tm_strbuf *sb, const tm_file *f, const tm_value *doc,
		       int depth, int pass)
{
	const char *kind = tm_map_get_str(doc, "kind");
	if (depth == 0 && tm_objs__is_list(doc)) {
		const tm_value *items = tm_map_get(doc, "items");
		for (size_t i = 0; i < tm_value_len(items); i++)
			dedupe_doc(r, dd, sb, f, tm_seq_at(items, i), 1, pass);
		return;
	}
	const char *key = tm_objs__key_in(sb, doc, r->ctx.implicit_ns);
	if (!key)
		return;
	const char *dns = tm_map_get_str(tm_map_get(doc, "metadata"), "namespace");
	if (pass == 0)
		tm_place__doc(&dd->place, r->s->arena, f, doc);
	if (pass == 1)
		; /* the namespaces were counted in pass 0 */
	else if (strcmp(kind, "Namespace") == 0) {
		const char *nm = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
		if (!dd->declared)
			dd->declared = nm;
		else if (strcmp(dd->declared, nm) != 0)
			dd->several_declared = true;
	} else if (dns && *dns) {
		if (!dd->named)
			dd->named = dns;
		else if (strcmp(dd->named, dns) != 0)
			dd->other_named = true;
	} else if (!tm_objs__cluster_scoped(kind)) {
		dd->implicit = true;
	}
	if (pass == 0)
		return;
	size_t klen = strlen(key);
	struct def_at *prev = tm_hmap_get(&dd->seen, key, klen);
	struct def_at *now = tm_arena_alloc(r->s->arena, sizeof(*now));
	char *k = tm_arena_strndup(r->s->arena, key, klen);
	if (!now || !k || tm_hmap_put(&dd->seen, k, klen, now)) {
		r->s->oom = 1;
		return;
	}
	*now = (struct def_at){f, doc};
	if (!prev)
		return;
	tm_loc was = tm_value_loc(prev->f, prev->doc), is = tm_value_loc(f, doc);
	/* the key's namespace and name: "group\x1fkind\x1fnamespace\x1fname" */
	const char *ns = strchr(strchr(k, '\x1f') + 1, '\x1f') + 1, *name = strchr(ns, '\x1f') + 1;
	int nsl = (int)(name - 1 - ns);
	if (tm_value_same(prev->doc, doc))
		same_note(r, dd, is, was, tm_arena_printf(r->s->arena, "%s %.*s%s%s", kind ? kind : "object", nsl, ns,
							   nsl ? "/" : "", name));
	else
		tm_diag_add(&r->s->diags, TM_EINVALID, TM_LEVEL_WARNING, is,
			    "%s %.*s%s%s is defined again, differently, at %s:%u; this later definition is modelled, as "
			    "kubectl apply of both would leave it",
			    kind ? kind : "object", nsl, ns, nsl ? "/" : "", name, was.path, was.line);
	if (tm_pset_add(&dd->dropped, prev->doc) < 0 || TM_GROW(dd->dups, dd->cap, dd->ndups + 1)) {
		r->s->oom = 1;
		return;
	}
	dd->dups[dd->ndups++] = (struct dup){is, was};
}

/* The namespace trustmap.yaml's system gives: its charts' release namespace, and where its plain
 * manifests' objects that name none are installed (kubectl apply -n). True when it gives one. */
static bool placed_by_overlay(struct ingest_run *r)
{
	const tm_scan_set *set = r->s->set;
	if (r->s->system < 0 || (size_t)r->s->system >= set->nsysdefs || !set->sysdefs[r->s->system].ns)
		return false;
	const tm_plan_system *d = &set->sysdefs[r->s->system];
	r->ctx.implicit_ns = d->ns;
	r->ctx.implicit_ns_why = tm_arena_printf(r->s->arena, "trustmap.yaml system %s names it, at %s:%u", d->name,
						 d->at.path ? d->at.path : "", d->at.line);
	return true;
}

/* Every object of the system, before any is fed. */
static void dedupe_plan(struct ingest_run *r, struct dedupe *dd)
{
	tm_scan *s = r->s;
	const tm_scan_set *set = s->set;
	tm_strbuf sb = TM_STRBUF_INIT;
	bool overlay = placed_by_overlay(r);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < set->ncands && !s->oom; i++) {
			const struct candidate *c = &set->cands[i];
			if (!c->file || c->owner ||
			    (c->item >= 0 && !tm_plan_has(&set->plan, &set->items[c->item], (size_t)s->system)))
				continue;
			const tm_file *f = c->placed ? c->placed : c->file;
			for (size_t d = 0; d < tm_file_doc_count(f); d++)
				dedupe_doc(r, dd, &sb, f, tm_file_doc(f, d), 0, pass);
		}
		for (size_t i = 0; i < set->nrenders && !s->oom; i++) {
			const struct render *rd = &set->renders[i];
			if (!tm_plan_has(&set->plan, &set->items[rd->item], (size_t)s->system))
				continue;
			for (size_t j = 0; j < rd->nouts; j++)
				for (size_t d = 0; d < tm_file_doc_count(rd->outs[j]); d++)
					dedupe_doc(r, dd, &sb, rd->outs[j], tm_file_doc(rd->outs[j], d), 0, pass);
		}
		/* files that declare one Namespace and put every object naming one in it are applied there
		 * (kubectl apply -n, a chart's release namespace): the objects that name none are its too */
		if (pass == 0 && !overlay && dd->implicit && dd->declared && !dd->several_declared &&
		    strcmp(dd->declared, "default") != 0 &&
		    (!dd->named || (!dd->other_named && strcmp(dd->named, dd->declared) == 0)))
			r->ctx.implicit_ns = dd->declared;
		else if (pass == 0 && !overlay && dd->implicit)
			/* no Namespace declared: their ClusterRoleBindings may still say where they go */
			r->ctx.implicit_ns = tm_place__decide(&dd->place, r->s->arena, &r->s->diags, dd->named,
							     dd->other_named, &r->ctx.implicit_ns_why);
		if (pass == 0 && dd->place.oom)
			s->oom = 1;
	}
	if (sb.oom)
		s->oom = 1;
	tm_strbuf_dispose(&sb);
	dedupe_notes(r, dd);
}

/* The nodes a kept definition made also carry the evidence of the one it replaced. */
static void dedupe_evidence(struct ingest_run *r, const struct dedupe *dd)
{
	if (!dd->ndups || !r->ctx.mb)
		return;
	const tm_model *m = tm_mb_model(r->ctx.mb);
	tm_hmap at = TM_HMAP_INIT;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < dd->ndups; i++) {
		tm_strbuf_reset(&sb);
		tm_strbuf_printf(&sb, "%s:%u", dd->dups[i].kept.path, dd->dups[i].kept.line);
		char *k = tm_arena_strndup(r->s->arena, sb.data ? sb.data : "", sb.len);
		if (!k || tm_hmap_put(&at, k, sb.len, (void *)&dd->dups[i]))
			r->s->oom = 1;
	}
	for (size_t i = 0; i < tm_model_node_count(m) && !r->s->oom; i++) {
		const tm_node *n = tm_model_node(m, i);
		for (size_t e = 0; e < tm_node_evidence_count(n); e++) {
			tm_loc l = tm_node_evidence(n, e);
			tm_strbuf_reset(&sb);
			tm_strbuf_printf(&sb, "%s:%u", l.path ? l.path : "", l.line);
			const struct dup *d = sb.data ? tm_hmap_get(&at, sb.data, sb.len) : NULL;
			if (d) {
				tm_mb_add_evidence(r->ctx.mb, tm_mb_find(r->ctx.mb, tm_node_id(n)), d->other);
				break;
			}
		}
	}
	tm_strbuf_dispose(&sb);
	tm_hmap_dispose(&at);
}

/* Ingest what system holds of the plan and finish the model. */
static int ingest_system(tm_scan *s)
{
	const tm_scan_set *set = s->set;
	struct ingest_run r;
	struct dedupe dd;
	memset(&r, 0, sizeof(r));
	memset(&dd, 0, sizeof(dd));
	r.s = s;
	r.ctx.diags = &s->diags;
	r.ctx.refs = s->refs;
	r.ctx.mb = tm_mb_new();
	r.ctx.scratch = tm_arena_new();
	r.dropped = &dd.dropped;
	if (!r.ctx.mb || !r.ctx.scratch)
		s->oom = 1;
	s->ignored = set->ignored;
	for (size_t i = 0; i < set->nskips; i++)
		add_skip(s, set->skips[i].path, set->skips[i].reason);
	for (size_t i = 0; i < set->diags.count; i++) {
		const tm_diag *d = &set->diags.items[i];
		int k = set->diag_system ? set->diag_system[i] : -1;
		/* <= -3: the systems holding plan item -3 - k */
		if (k <= -3 && s->system >= 0 && (size_t)(-3 - k) < set->nitems)
			k = tm_plan_has(&set->plan, &set->items[-3 - k], (size_t)s->system) ? -1 : -2;
		else if (k <= -3)
			k = -1;
		if (k == -1 || k == s->system)
			tm_diag_add(&s->diags, d->code, d->level, d->loc, "%s", d->msg);
	}
	dedupe_plan(&r, &dd);
	r.ctx.gw = format_state(&r, TM_FMT_GATEWAY); /* gateways are found by several readers */
	bool *read = read_here(set, s);
	if (!read)
		s->oom = 1;
	/* the walk's files, for what an absolute host path of a bind mount stands for (mounts.c) */
	const char **tree = set->ncands ? tm_calloc(set->ncands, sizeof(*tree)) : NULL;
	for (size_t i = 0; tree && i < set->ncands; i++)
		tree[r.ctx.ntree++] = set->cands[i].display;
	r.ctx.tree = tree;
	for (size_t i = 0; i < set->ncands && !s->oom; i++) {
		const struct candidate *c = &set->cands[i];
		char buf[512];
		const char *why = not_here(set, s, c, read, buf, sizeof(buf));
		if (why)
			add_skip(s, c->display, why);
		else if (c->owner)
			render_input(s, c);
		else {
			r.ctx.compose_config = c->item >= 0 && set->items[c->item].compose_config;
			r.ctx.gateway_offered = c->item >= 0 && s->system >= 0 &&
						tm_plan_offered(&set->plan, &set->items[c->item], (size_t)s->system);
			process(&r, c, &set->limits);
		}
	}
	r.ctx.compose_config = false;
	r.ctx.gateway_offered = false;
	tm_free(read);
	ingest_renders(&r);
	tm_ingest__finish_all(&r.ctx, r.state, r.begun, &s->oom);
	if (!s->oom) {
		unhosted_offers(s, r.ctx.mb);
		tm_ingest__self_calls(&r.ctx); /* every route known: a workload's own address is no call */
	}
	/* the files read as a workload's configuration are inputs, not skipped files */
	read_late(s, r.ctx.read_late, r.ctx.nread_late);
	tm_free(r.ctx.read_late);
	tm_free(r.ctx.unread_files);
	tm_free((void *)r.ctx.tree);
	tm_hmap_dispose(&r.ctx.unread);
	tm_gw_set_free(r.ctx.gw); /* read by the API linkers, after its own finish */
	r.ctx.gw = NULL;
	tm_hmap_dispose(&r.ctx.protos);
	tm_hmap_dispose(&r.ctx.balanced);
	if (r.nowners > 1)
		qsort(r.owners, r.nowners, sizeof(*r.owners), owners_cmp);
	for (size_t i = 0; i < r.nowners && r.ctx.mb && !s->oom; i++)
		tm_ingest__codeowners(&r.ctx, r.owners[i].display, r.owners[i].text, r.owners[i].len);
	tm_free(r.owners);
	if (!s->oom)
		dedupe_evidence(&r, &dd);
	if (!s->oom && r.ctx.mb && tm_ingest__node_pivot(&r.ctx))
		s->oom = 1;
	tm_hmap_dispose(&dd.seen);
	tm_place__dispose(&dd.place);
	tm_pset_dispose(&dd.dropped);
	tm_free(dd.dups);
	tm_hmap_dispose(&dd.pairs);
	tm_free(dd.same);
	if (r.ctx.scratch && tm_arena_failed(r.ctx.scratch))
		s->oom = 1;
	tm_arena_free(r.ctx.scratch);
	/* files pulled in only by $ref (shared schemas) are inputs, not skipped files */
	tm_refs_each_referenced(s->refs, promote_referenced, s);
	s->outside_reads += tm_refs_disk_lookups(s->refs);
	tm_refs_free(s->refs); /* the files $ref pulled in: the model keeps copies of what it needs */
	s->refs = NULL;
	if (r.ctx.mb) {
		if (tm_mb_finish(r.ctx.mb, &s->model))
			s->oom = 1;
	}
	if (s->oom || s->diags.oom)
		return TM_ENOMEM;
	tm_diag_list_sort(&s->diags);
	if (s->nskips > 1)
		qsort(s->skips, s->nskips, sizeof(tm_skip), skip_cmp);
	return set->root_errors ? TM_EIO : 0;
}

int tm_scan_set_run(tm_scan_set *set, size_t system, tm_scan **out)
{
	*out = NULL;
	if (system >= tm_scan_set_systems(set) || set->dropped)
		return TM_EINVALID;
	tm_scan *s = scan_new(set, system);
	if (!s)
		return TM_ENOMEM;
	int rc = ingest_system(s);
	if (rc == TM_ENOMEM) {
		tm_scan_free(s);
		return rc;
	}
	*out = s;
	return rc;
}

int tm_scan_run_mem(tm_scan **out, const tm_mem_file *files, size_t n, const tm_limits *limits)
{
	*out = NULL;
	tm_scan_set *set = NULL;
	int rc = tm_scan_plan_mem(&set, files, n, limits);
	if (!rc)
		rc = tm_scan_set_run(set, 0, out);
	tm_scan_set_drop_files(set); /* the one system is modelled */
	tm_scan_set_free(set);
	return rc;
}

int tm_scan_run(tm_scan **out, const tm_scan_opts *opts)
{
	*out = NULL;
	tm_scan_set *set = NULL;
	int rc = tm_scan_plan(&set, opts);
	if (!rc)
		rc = tm_scan_set_run(set, 0, out);
	tm_scan_set_drop_files(set); /* the one system is modelled */
	tm_scan_set_free(set);
	return rc;
}

void tm_scan_free(tm_scan *s)
{
	if (!s)
		return;
	tm_free(s->parsed);
	tm_free(s->inputs);
	tm_free(s->skips);
	tm_model_free(s->model);
	tm_refs_free(s->refs);
	tm_diag_list_dispose(&s->diags);
	tm_arena_free(s->arena);
	tm_scan_set_free(s->set);
	tm_free(s);
}

const char *tm_scan_system(const tm_scan *s) { return tm_scan_set_system(s->set, (size_t)s->system); }
const tm_model *tm_scan_model(const tm_scan *s) { return s->model; }
const tm_diag_list *tm_scan_diags(const tm_scan *s) { return &s->diags; }
size_t tm_scan_input_count(const tm_scan *s) { return s->ninputs; }
const tm_input *tm_scan_input(const tm_scan *s, size_t i) { return i < s->ninputs ? &s->inputs[i] : NULL; }
size_t tm_scan_skip_count(const tm_scan *s) { return s->nskips; }
const tm_skip *tm_scan_skip(const tm_scan *s, size_t i) { return i < s->nskips ? &s->skips[i] : NULL; }
size_t tm_scan_ignored_count(const tm_scan *s) { return s->ignored; }
size_t tm_scan_parsed_count(const tm_scan *s) { return s->nparsed; }
size_t tm_scan_outside_reads(const tm_scan *s) { return s->outside_reads; }

const char *tm_scan_parsed_file(const tm_scan *s, size_t i, uint64_t *digest)
{
	if (i >= s->nparsed)
		return NULL;
	*digest = s->parsed[i].digest;
	return s->parsed[i].path;
}

void tm_scan_digest(const tm_scan *s, char out[17])
{
	/* the parsed files in scan order (deterministic): each one's path and content hash */
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < s->nparsed; i++)
		tm_strbuf_printf(&sb, "%s\t%016llx\n", s->parsed[i].path, (unsigned long long)s->parsed[i].digest);
	tm_formatf(out, 17, "%016llx", (unsigned long long)tm_hash(sb.data ? sb.data : "", sb.len));
	tm_strbuf_dispose(&sb);
}

/* ---- two plans of the same inputs ------------------------------------------------------------ */

static bool same_str(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* One side of a byte comparison: a file held in memory, or one on disk, open, with its size and
 * state when opened (side_settled checks it did not change while read). */
#define SAME_CHUNK 65536
struct side_bytes {
	int fd;
	const char *mem;
	size_t size;
	struct file_state state;
};

static bool side_open(const struct candidate *c, struct side_bytes *sb)
{
	*sb = (struct side_bytes){.fd = -1};
	if (c->mem) {
		sb->mem = c->mem;
		sb->size = c->mem_len;
		return true;
	}
	struct stat st;
	const char *why;
	if (!c->fs_path || (sb->fd = tm_open_regular(c->fs_path, &st, &why)) < 0)
		return false;
	sb->size = (size_t)st.st_size;
	sb->state = state_of(&st);
	return true;
}

/* The file read to its end is as it was when opened: no byte past its size, the same state. */
static bool side_settled(struct side_bytes *sb)
{
	if (sb->fd < 0)
		return true;
	char extra;
	size_t got = 1;
	struct stat st;
	return !tm_read_fd(sb->fd, &extra, 1, &got) && got == 0 && !fstat(sb->fd, &st) &&
	       same_state(state_of(&st), sb->state);
}

/* Candidate a of one set and b of another hold the same bytes: the very tree the parse cache shared
 * between them (same keyed content hash, same path), else compared byte for byte, each file read
 * to its end unchanged. A parsed file must also have been parsed from those bytes (its digest),
 * so a change between the parse and the comparison is seen. a->seen records a's file as compared:
 * the scan that reads it again later checks it did not change since (note_unseen). */
static bool same_bytes(struct candidate *a, const struct candidate *b)
{
	if (a->file && a->file == b->file)
		return true;
	if (a->file && b->file && tm_file_digest(a->file) != tm_file_digest(b->file))
		return false; /* parsed from different bytes */
	struct side_bytes sd[2] = {{.fd = -1}, {.fd = -1}};
	const struct candidate *c[2] = {a, b};
	bool same = side_open(a, &sd[0]);
	same = same && side_open(b, &sd[1]) && sd[0].size == sd[1].size;
	/* a parsed file's bytes are hashed whole to check its digest (parsed files are at most the
	 * limits' size); others are compared a chunk at a time */
	bool whole = a->file || b->file;
	size_t cap = whole ? sd[0].size : SAME_CHUNK;
	char *buf = same ? tm_malloc(2 * (cap ? cap : 1)) : NULL;
	same = same && buf;
	for (size_t off = 0; same && off < sd[0].size;) {
		size_t want = sd[0].size - off < cap ? sd[0].size - off : cap;
		const char *p[2];
		for (int i = 0; i < 2 && same; i++) {
			if (sd[i].mem) {
				p[i] = sd[i].mem + off;
				continue;
			}
			char *dst = buf + (size_t)i * cap;
			size_t got = 0;
			same = !tm_read_fd(sd[i].fd, dst, want, &got) && got == want; /* shorter: changed while read */
			p[i] = dst;
		}
		same = same && memcmp(p[0], p[1], want) == 0;
		for (int i = 0; i < 2 && same && whole; i++)
			if (c[i]->file)
				same = tm_hash(p[i], want) == tm_file_digest(c[i]->file);
		off += want;
	}
	same = same && side_settled(&sd[0]) && side_settled(&sd[1]);
	if (same)
		a->seen = sd[0].state;
	tm_free(buf);
	for (int i = 0; i < 2; i++)
		if (sd[i].fd >= 0)
			close(sd[i].fd);
	return same;
}

static bool same_diags(const tm_diag_list *a, const tm_diag_list *b)
{
	if (a->count != b->count || a->dropped != b->dropped || a->oom || b->oom)
		return false;
	for (size_t i = 0; i < a->count; i++) {
		const tm_diag *x = &a->items[i], *y = &b->items[i];
		if (x->code != y->code || x->level != y->level || x->loc.line != y->loc.line || x->loc.col != y->loc.col ||
		    !same_str(x->loc.path, y->loc.path) || !same_str(x->loc.pointer, y->loc.pointer) ||
		    !same_str(x->msg, y->msg))
			return false;
	}
	return true;
}

static bool same_render(const struct render *a, const struct render *b)
{
	if (!same_str(a->name, b->name) || !same_str(a->file, b->file) || a->format != b->format ||
	    a->nouts != b->nouts || a->nconsumed != b->nconsumed || a->item != b->item ||
	    a->only_sysdef != b->only_sysdef || a->parent != b->parent || a->d0 != b->d0 || a->d1 != b->d1)
		return false;
	for (size_t i = 0; i < a->nconsumed; i++)
		if (a->consumed[i] != b->consumed[i])
			return false;
	return true;
}

static bool same_cand(const struct candidate *a, const struct candidate *b)
{
	return same_str(a->display, b->display) && a->codeowners == b->codeowners && a->dotenv == b->dotenv &&
	       a->proto == b->proto && a->properties == b->properties &&
	       a->dockerfile == b->dockerfile && a->nginx == b->nginx && a->caddy == b->caddy && a->iot == b->iot && a->hcl == b->hcl && a->metrics == b->metrics &&
	       a->streamed == b->streamed && !a->file == !b->file && !a->placed == !b->placed && same_str(a->skip, b->skip) &&
	       same_str(a->owner, b->owner) && a->render == b->render && a->item == b->item &&
	       a->spec_only == b->spec_only;
}

/* Candidates of two plans that are the same kind of input (their indices in each plan aside). */
static bool same_kind(const struct candidate *a, const struct candidate *b)
{
	return a->codeowners == b->codeowners && a->dotenv == b->dotenv && a->proto == b->proto &&
	       a->properties == b->properties && a->dockerfile == b->dockerfile && a->nginx == b->nginx &&
	       a->caddy == b->caddy && a->iot == b->iot && a->hcl == b->hcl && a->metrics == b->metrics && a->streamed == b->streamed &&
	       !a->file == !b->file && same_str(a->skip, b->skip) && same_str(a->owner, b->owner);
}

/* The systems of set that hold a changed candidate (changed[i]) or whose renders read one or made
 * other documents (outs_differ[r]): marked in mark[]. */
static void mark_systems(const tm_scan_set *set, const bool *changed, const bool *outs_differ, bool *mark)
{
	size_t ns = tm_scan_set_systems(set);
	for (size_t i = 0; i < set->ncands; i++)
		for (size_t k = 0; changed[i] && set->cands[i].item >= 0 && k < ns; k++)
			mark[k] = mark[k] || tm_plan_has(&set->plan, &set->items[set->cands[i].item], k);
	for (size_t r = 0; r < set->nrenders; r++) {
		const struct render *rd = &set->renders[r];
		bool hit = outs_differ[r];
		for (size_t j = 0; j < rd->nconsumed && !hit; j++)
			hit = rd->consumed[j] < set->ncands && changed[rd->consumed[j]];
		for (size_t k = 0; hit && rd->item >= 0 && k < ns; k++)
			mark[k] = mark[k] || tm_plan_has(&set->plan, &set->items[rd->item], k);
	}
}

int tm_scan_set_changed_systems(tm_scan_set *a, const tm_scan_set *b, bool *mark_a, bool *mark_b)
{
	tm_hmap by_path = TM_HMAP_INIT, by_render = TM_HMAP_INIT;
	bool *ca = tm_calloc(a->ncands + 1, sizeof(bool)), *cb = tm_calloc(b->ncands + 1, sizeof(bool));
	bool *ra = tm_calloc(a->nrenders + 1, sizeof(bool)), *rb = tm_calloc(b->nrenders + 1, sizeof(bool));
	int rc = ca && cb && ra && rb ? 0 : TM_ENOMEM;
	for (size_t j = 0; !rc && j < b->ncands; j++) {
		cb[j] = true; /* until a's candidate of its path is found the same */
		const char *d = b->cands[j].display;
		if (d && tm_hmap_put(&by_path, d, strlen(d), &b->cands[j]))
			rc = TM_ENOMEM;
	}
	for (size_t i = 0; !rc && i < a->ncands; i++) {
		const char *d = a->cands[i].display;
		const struct candidate *o = d ? tm_hmap_get(&by_path, d, strlen(d)) : NULL;
		bool same = o && same_kind(&a->cands[i], o) && same_bytes(&a->cands[i], o);
		ca[i] = !same;
		if (o)
			cb[o - b->cands] = !same;
	}
	for (size_t r = 0; !rc && r < b->nrenders; r++) {
		rb[r] = true;
		const char *n = b->renders[r].name;
		if (n && tm_hmap_put(&by_render, n, strlen(n), &b->renders[r]))
			rc = TM_ENOMEM;
	}
	for (size_t r = 0; !rc && r < a->nrenders; r++) {
		const struct render *x = &a->renders[r];
		const struct render *y = x->name ? tm_hmap_get(&by_render, x->name, strlen(x->name)) : NULL;
		bool same = y && x->nouts == y->nouts;
		for (size_t j = 0; same && j < x->nouts; j++)
			same = x->outs[j] && y->outs[j] && tm_file_digest(x->outs[j]) == tm_file_digest(y->outs[j]);
		ra[r] = !same;
		if (y)
			rb[y - b->renders] = !same;
	}
	if (!rc) {
		mark_systems(a, ca, ra, mark_a);
		mark_systems(b, cb, rb, mark_b);
	}
	tm_hmap_dispose(&by_path);
	tm_hmap_dispose(&by_render);
	tm_free(ca);
	tm_free(cb);
	tm_free(ra);
	tm_free(rb);
	return rc;
}

/* Files the walk passed over (neither YAML nor JSON, nor like any input: source code, docs) are not
 * compared: they make no fact, and whatever reads one (a render, a $ref) is compared by what it
 * read. Only a scan report counts them, and the shared analysis is a's. */
bool tm_scan_set_same(tm_scan_set *a, size_t sa, const tm_scan_set *b, size_t sb)
{
	if (a->oom || b->oom || a->dropped || b->dropped || a->helm_binary || b->helm_binary || sa != sb ||
	    a->ncands != b->ncands || a->nrenders != b->nrenders || a->nskips != b->nskips ||
	    a->root_errors != b->root_errors || a->nsysdefs != b->nsysdefs ||
	    a->nitems != b->nitems || a->render_logged != b->render_logged ||
	    !same_str(a->repo_prefix, b->repo_prefix) ||
	    tm_scan_set_systems(a) != tm_scan_set_systems(b) ||
	    !same_str(tm_scan_set_system(a, sa), tm_scan_set_system(b, sb)) || !same_diags(&a->diags, &b->diags))
		return false;
	if (a->render_logged && memcmp(a->render_log, b->render_log, sizeof(a->render_log)) != 0)
		return false;
	if (!tm_limits_same(&a->limits, &b->limits))
		return false;
	for (size_t i = 0; i < a->nskips; i++)
		if (!same_str(a->skips[i].path, b->skips[i].path) || !same_str(a->skips[i].reason, b->skips[i].reason))
			return false;
	for (size_t i = 0; i < a->nrenders; i++)
		if (!same_render(&a->renders[i], &b->renders[i]))
			return false;
	for (size_t i = 0; i < a->ncands; i++)
		if (!same_cand(&a->cands[i], &b->cands[i]))
			return false;
	/* the bytes last: the cheap differences above end most comparisons first */
	for (size_t i = 0; i < a->ncands; i++)
		if (!same_bytes(&a->cands[i], &b->cands[i]))
			return false;
	return true;
}
