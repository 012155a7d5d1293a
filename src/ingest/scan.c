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
#include "ingest.h"
#include "parse/nginx.h"
#include "render/fsys.h"
#include "render/helm.h"
#include "render/kustomize.h"
#include "runtime.h"

#define SNIFF_BYTES 4096
#define SNIFF_MAX_FILE (1u << 20)
/* A streamed file may hold this many times the documents limit in lines. */
#define TM_STREAM_LINES_PER_DOC 100
#define STREAM_CHUNK (1u << 20)

struct parsed {
	const char *path; /* in the scan's arena */
	uint64_t digest;
};

/* A file on disk as one stat saw it: a change of its bytes changes one of these (git's index). */
struct file_state {
	dev_t dev;
	ino_t ino;
	off_t size;
	int64_t mtime_ns, ctime_ns;
	bool set;
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

struct candidate {
	char *fs_path;   /* for open(); NULL for a file held in memory */
	char *display;   /* for reports */
	bool codeowners;
	bool dotenv;     /* a compose .env: text handed to the compose ingester */
	bool proto;      /* a .proto: text handed to the gRPC ingester */
	bool properties; /* an application's Java .properties: text handed to the configuration reader */
	bool nginx;      /* nginx configuration text: handed to the gateway reader */
	bool hcl;        /* Terraform configuration (.tf, .tfvars): handed to the terraform reader */
	bool metrics;    /* Prometheus text: read line by line into the runtime ingester */
	const char *mem; /* the bytes of an in-memory file (a git blob) */
	size_t mem_len;
	/* set by the plan */
	bool streamed;   /* JSON Lines runtime map: read a line at a time by each system that holds it */
	tm_file *file;   /* parsed once, shared by every system (NULL: not parsed) */
	tm_file *placed; /* a copy of file with its objects placed in the namespace a GitOps
			  * Application delivers them to (plan_deliveries), read instead; or NULL */
	const char *skip;   /* why it contributed nothing before ingestion (parse failure), or NULL */
	const char *owner;  /* the render that consumed it (kustomization root, chart), or NULL */
	bool chart_file;    /* in a chart's directory, read by no render of it (ci/ values, README) */
	bool in_chart;      /* in a chart's directory, parsed (if no render reads it) once charts rendered */
	bool tried;         /* parsed, or tried, by the plan */
	int render;         /* that render's index, or -1 */
	int item;           /* its plan item, or -1 */
	bool spec_only;     /* every document of it went to the API spec ingesters, which keep nothing
			       of it outside the model's own copies: freed once the set's systems ran */
	struct file_state seen; /* the file as tm_scan_set_same compared it, if it did */
};

/* A rendered kustomization or chart: its documents, and the files it read. */
struct render {
	const char *name;   /* the kustomization's directory or the chart's */
	const char *file;   /* the kustomization file or Chart.yaml: the input the report lists */
	tm_format format;   /* TM_FMT_KUSTOMIZE or TM_FMT_HELM */
	tm_file **outs;
	size_t nouts;
	size_t *consumed;   /* the candidates it read */
	size_t nconsumed;
	int item;
	int only_sysdef;    /* rendered with the values of this overlay system only, or -1 */
	size_t d0, d1;      /* its diagnostics in the set's list (a chart's render; kustomizations: 0, 0) */
};

/* The plan of one walk (scan.h): every candidate parsed once, renders, variants. Shared by the
 * scans of its systems, which hold a reference each. */
struct tm_scan_set {
	int refs;
	tm_arena *arena;
	tm_parse_cache *cache; /* borrowed: parsed files by content, or NULL */
	tm_limits limits;
	tm_diag_list diags;  /* the walk's, the parser's and the renderers' */
	int *diag_system;    /* per diagnostic: the system it belongs to alone, or -1 */
	tm_skip *skips;      /* the walk's (broken links, skipped directories) */
	size_t nskips, cap_skips;
	size_t ignored;
	struct candidate *cands;
	size_t ncands, cap_cands;
	struct render *renders;
	size_t nrenders, cap_renders;
	tm_plan_item *items;
	size_t nitems;
	tm_plan plan;
	const char **ref_roots; /* the roots' real directories: $refs stay inside them */
	size_t nref_roots, cap_ref_roots;
	size_t root_errors;
	bool mem;            /* candidates held in memory */
	const tm_mem_file *mem_files; /* all of them, for renderers (generator inputs are no candidates) */
	size_t nmem_files;
	char render_root[PATH_MAX]; /* the one directory root renderers read under ("" : none) */
	const char *helm_binary;    /* scan --helm=binary: the helm program; NULL: native */
	void (*progress)(void *ud, const char *what); /* tm_scan_opts' */
	void *progress_ud;
	_Atomic size_t parsed;      /* candidates parsed so far, by every parsing thread */
	tm_plan_system *sysdefs;    /* the systems the overlay names, if it does */
	size_t nsysdefs;
	bool dropped;               /* its files freed (tm_scan_set_drop_files): no system runs again */
	unsigned char render_log[32]; /* what the renders read of the tree (tm_fsys_record), when any ran */
	bool render_logged;
	const char *repo_prefix;    /* the root's place in its git work tree ("" or "dir/"): GitOps paths */
	tm_file **appsets;          /* the Applications Argo CD ApplicationSets generate, for the plan */
	size_t nappsets, cap_appsets;
	bool appsets_done;
	int oom;
};

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

enum { SNIFF_NONE, SNIFF_DOC, SNIFF_METRICS, SNIFF_NGINX };

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
	return tm_detect_sniff(head, n) ? SNIFF_DOC : tm_ngx_sniff(head, n) ? SNIFF_NGINX : SNIFF_NONE;
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

/* What a file is by its name alone, the same for a walk of the disk and for the files of a git
 * tree: a candidate of a known kind, or NAME_SNIFF (its head decides). */
enum { NAME_SNIFF, NAME_DOC, NAME_CODEOWNERS, NAME_DOTENV, NAME_METRICS, NAME_HCL, NAME_PROTO, NAME_PROPERTIES };
static int kind_by_name(const char *name)
{
	if (strcmp(name, "CODEOWNERS") == 0)
		return NAME_CODEOWNERS;
	if (strcmp(name, "Kustomization") == 0)
		return NAME_DOC;
	if (strcmp(name, ".env") == 0)
		return NAME_DOTENV;
	if (has_suffix_ci(name, ".yaml") || has_suffix_ci(name, ".yml") || has_suffix_ci(name, ".json") ||
	    has_suffix_ci(name, ".jsonl") || has_suffix_ci(name, ".ndjson"))
		return NAME_DOC;
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

static const char *basename_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
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

/* Per-file tally of what its documents were. */
struct tally {
	size_t documents, modelled;
	tm_format first;
	bool seen[TM_FMT__COUNT];
	const char *first_detail;
	const char *unsupported;
};

static void take_doc(struct ingest_run *r, const tm_file *f, const tm_value *doc, struct tally *t,
		     const char *base, uint32_t depth)
{
	tm_detected det;
	tm_detect(doc, base, &det);
	/* kind: List holds objects; each item is recognised on its own */
	if (det.format == TM_FMT_KUBERNETES && det.detail && strcmp(det.detail, "List") == 0 && depth == 0) {
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
	if (tm_format_ingester(det.format) && feed(r, det.format, f, doc, det.detail))
		t->modelled++;
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
	/* a .properties file is ISO-8859-1 unless it is UTF-8 (its reader converts it) */
	size_t bad = c->properties ? *len : tm_utf8_check((const unsigned char *)*buf, *len);
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

/* An application's .properties is text: read it here and judge its properties as a configuration
 * file's (appconfig.c). */
static void read_properties(struct ingest_run *r, const struct candidate *c)
{
	char *buf;
	size_t len;
	if (!read_text_input(r->s, c, "properties file", &buf, &len))
		return;
	add_parsed(r->s, c->display, tm_hash(buf, len));
	if (tm_ingest__properties_text(&r->ctx, c->display, tm_detect__properties(basename_of(c->display)), buf, len))
		text_input_read(r->s, c, TM_FMT_APP_CONFIG);
	else
		add_skip(r->s, c->display, "properties file: not text");
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
	int rc;
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
	int rc;
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
	const char *base = basename_of(c->display);
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
	char reason[256];
	if (t.first == TM_FMT_UNKNOWN)
		tm_formatf(reason, sizeof(reason), "%s",
			 t.documents ? "no recognised document (not an api spec, manifest, workflow, "
				       "terraform json, runtime map or overlay)"
				     : (c->skip ? c->skip : "no documents"));
	else if (t.unsupported)
		tm_formatf(reason, sizeof(reason), "%s", t.unsupported);
	else if (t.first_detail && (strcmp(t.first_detail, "Application") == 0 || strcmp(t.first_detail, "ApplicationSet") == 0 ||
				    strcmp(t.first_detail, "HelmRelease") == 0 || strcmp(t.first_detail, "Kustomization") == 0))
		tm_formatf(reason, sizeof(reason), "%s %s: a GitOps object, read for what of this tree it deploys and "
			   "where (its notes say), not modelled itself", tm_format_name(t.first), t.first_detail);
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
		read_properties(r, c);
	else if (c->nginx)
		read_nginx(r, c);
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
		add_candidate(w, root, display, strcmp(basename_of(root), "CODEOWNERS") == 0,
			      has_suffix_ci(root, ".prom") || kind == SNIFF_METRICS);
		if (s->ncands > before && has_suffix_ci(root, ".proto"))
			s->cands[before].proto = true;
		if (s->ncands > before && tm_detect__properties(basename_of(root)))
			s->cands[before].properties = true;
		bool hcl = tm_ingest__is_hcl_name(basename_of(root));
		if (s->ncands > before && kind == SNIFF_NGINX && !hcl)
			s->cands[before].nginx = true;
		if (s->ncands > before && hcl)
			s->cands[before].hcl = true;
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
	return !(c->codeowners || c->metrics || c->dotenv || c->proto || c->properties || c->nginx || c->hcl || c->file ||
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

/* One candidate, counted: every 256th and the last tell the progress callback. */
static void parse_one(void *ud, size_t i)
{
	struct parse_job *j = ud;
	parse_cand(j, i);
	size_t done = ++j->set->parsed;
	if (j->set->progress && (done % 256 == 0 || done == j->set->ncands)) {
		char what[96];
		tm_formatf(what, sizeof(what), "reading inputs: %zu of %zu files", done, j->set->ncands);
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

static struct candidate *find_cand(tm_scan_set *set, const char *display)
{
	return bsearch(display, set->cands, set->ncands, sizeof(*set->cands), display_cmp);
}

/* The candidates under directory dir, its first dl bytes ("" or ".": all of them): a contiguous run
 * of the sorted list, found by bisection, so renders look at their own files and not at every file
 * of the walk. */
static void cands_under(const tm_scan_set *set, const char *dir, size_t dl, size_t *first, size_t *end)
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
		nk += kustomization_name(basename_of(set->cands[i].display));
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
		if (!kustomization_name(basename_of(d)))
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
			struct candidate *c = find_cand(set, k->used.paths[u]);
			if (c && c != &set->cands[i] && kustomization_name(basename_of(c->display)))
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
			read_by_render(set, rd, find_cand(set, k->used.paths[u]));
		set->nrenders++;
	}
	/* the rest of a kustomization directory's own files (not its subdirectories'): not deployed by it */
	for (size_t j = 0; j < n; j++) {
		const struct candidate *kc = &set->cands[ks[j].cand];
		if (!kc->owner)
			continue;
		const char *slash = strrchr(kc->display, '/');
		size_t kl = slash ? (size_t)(slash - kc->display) : 0, first, end;
		cands_under(set, kc->display, kl, &first, &end);
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
static size_t place_object(tm_file *f, tm_value *obj, const char *ns, const tm_loc *origin, bool override, bool *oom,
			   bool in_list)
{
	const char *kind = tm_map_get_str(obj, "kind");
	if (kind && !in_list && strcmp(kind, "List") == 0) { /* its items are the objects (take_doc) */
		size_t n = 0;
		tm_value *items = tm_map_get_mut(obj, "items");
		for (size_t i = 0; tm_value_kind_of(items) == TM_VALUE_SEQ && i < tm_value_len(items); i++)
			n += place_object(f, tm_seq_at_mut(items, i), ns, origin, override, oom, true);
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
static size_t place_in_namespace(tm_file *f, const char *ns, const tm_loc *origin, bool override, bool *oom)
{
	size_t n = 0;
	for (size_t i = 0; i < tm_file_doc_count(f); i++)
		n += place_object(f, tm_file_doc_mut(f, i), ns, origin, override, oom, false);
	return n;
}

/* A GitOps tool's release of a chart of this tree (an Argo CD Application whose source path holds
 * the chart, a Flux HelmRelease whose chart is a path of its Git source): rendered with its values
 * into its namespace, instead of with values.yaml alone. */
struct helm_release {
	const char *tool;    /* "Argo CD Application", "Flux HelmRelease" */
	const char *app;     /* its name */
	const char *chart;   /* the chart's directory, relative to the root ("" the root) */
	const char *ns;      /* the release's namespace, or NULL (none named) */
	const char *release; /* .Release.Name */
	const char **values; /* values files, tree-relative, laid over values.yaml (helm -f) */
	size_t nvalues;
	const char **chart_values; /* Flux valuesFiles: the chart's values made of these instead */
	size_t nchart_values;
	const tm_value **docs;     /* inline values (Argo valuesObject or values, Flux values) */
	size_t ndocs;
	const tm_value *values_text; /* Argo's values: a YAML string, read by the renderer */
	tm_helm_set *sets;         /* Argo's parameters */
	size_t nsets;
	tm_loc at;           /* where the chart is named (the source's path, the chart's) */
	const char *top;     /* the directory its paths are read from, when not the top (repo_path) */
	const char *unread;  /* values not read (a URL, a file out of the tree, valuesFrom): said */
	size_t seq;          /* the order it was found in (the sort keeps it among one chart's) */
};

/* One render of a chart (values.yaml, then the values files given, then a release's own values):
 * its manifests parsed, each located at the template lines that wrote it. */
static void helm_render_one(tm_scan_set *set, const tm_fsys *fs, const char *dir, const char *const *values,
			    size_t nvalues, const char *ns, const char *name, const struct helm_release *rel)
{
	tm_helm_opts o = {.fs = fs, .chart_dir = dir, .display_dir = dir, .values_files = values, .nvalues_files = nvalues,
			  .release_namespace = ns, .limits = &set->limits, .diags = &set->diags};
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
	if (set->helm_binary && !set->mem && !(rel && (rel->ndocs || rel->values_text || rel->nchart_values))) {
		tm_helm_opts bo = o;
		bo.fs = NULL;
		bo.root = set->render_root;
		rc = tm_helm_render_binary(set->helm_binary, &bo, &out);
	} else {
		rc = tm_helm_render(&o, &out);
	}
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
	rd->outs = tm_calloc(count + 1, sizeof(tm_file *));
	rd->consumed = tm_calloc(nconsumed + 1, sizeof(size_t));
	if (!rd->outs || !rd->consumed || !rd->file) {
		tm_free(rd->outs);
		tm_free(rd->consumed);
		tm_helm_out_free(out);
		set->oom = 1;
		return;
	}
	for (size_t i = 0; i < count && !set->oom; i++) {
		const tm_helm_manifest *m = &out->manifests[i];
		if (m->test_hook)
			continue; /* a `helm test` pod runs on demand, not as part of the release */
		tm_file *f = NULL;
		int prc = tm_helm_manifest_parse(&f, m, &set->limits, &set->diags, set->arena);
		if (prc == TM_ENOMEM) {
			set->oom = 1;
			break;
		}
		if (!prc)
			rd->outs[rd->nouts++] = f;
	}
	/* what the chart leaves without a namespace goes where the release is installed */
	bool oom = false;
	size_t unplaced = 0;
	for (size_t i = 0; i < rd->nouts && !oom; i++)
		unplaced += place_in_namespace(rd->outs[i], ns, NULL, false, &oom);
	if (oom)
		set->oom = 1;
	/* helm the program says nothing of what it read: every file under the chart is its */
	bool whole = (set->helm_binary && !set->mem) || rc;
	size_t first = 0, end = 0;
	if (whole)
		cands_under(set, dir, strlen(dir), &first, &end);
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
	for (size_t u = 0; u < nread; u++)
		read_by_render(set, rd, whole ? &set->cands[first + u] : find_cand(set, out->consumed[u]));
	tm_helm_out_free(out);
	/* templates that stopped on values the chart does not define: deployed with values files
	 * (helm -f), which only the overlay can name */
	size_t missing = 0;
	for (size_t d = d0; d < set->diags.count; d++)
		missing += strncmp(set->diags.items[d].msg, "nil pointer evaluating", 22) == 0;
	if (missing && !nvalues) {
		tm_loc at = {rd->file, 1, 1, NULL};
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, at,
			    "%zu template action%s stopped on values %s does not define: if it is deployed with values files "
			    "(helm -f), name them in trustmap.yaml (systems: - {name: ..., include: [\"%s/*\"], values: [...]})",
			    missing, missing == 1 ? "" : "s", name, dir);
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

/* ---- GitOps releases of the tree's charts ---------------------------------------------------- */

enum gitops_kind { GITOPS_NONE, GITOPS_ARGO_APP, GITOPS_ARGO_APPSET, GITOPS_FLUX_KUSTOMIZATION, GITOPS_FLUX_HELMRELEASE };

static enum gitops_kind gitops_kind(const tm_value *doc)
{
	const char *kind = tm_map_get_str(doc, "kind"), *api = tm_map_get_str(doc, "apiVersion");
	if (!kind || !api)
		return GITOPS_NONE;
	if (strcmp(kind, "Application") == 0 && strncmp(api, "argoproj.io/", 12) == 0)
		return GITOPS_ARGO_APP;
	if (strcmp(kind, "ApplicationSet") == 0 && strncmp(api, "argoproj.io/", 12) == 0)
		return GITOPS_ARGO_APPSET;
	if (strcmp(kind, "Kustomization") == 0 && strncmp(api, "kustomize.toolkit.fluxcd.io/", 28) == 0)
		return GITOPS_FLUX_KUSTOMIZATION;
	if (strcmp(kind, "HelmRelease") == 0 && strncmp(api, "helm.toolkit.fluxcd.io/", 23) == 0)
		return GITOPS_FLUX_HELMRELEASE;
	return GITOPS_NONE;
}

/* Each GitOps object among the plain inputs (no render's): fn(ud, file, doc, kind, src, sources)
 * once per Argo CD source (spec.source, then each of spec.sources, with the list), once with src
 * NULL for a Flux object. */
typedef void (*gitops_visit)(void *ud, const tm_file *f, const tm_value *doc, enum gitops_kind kind, const tm_value *src,
			     const tm_value *sources);

static void each_gitops_in(const tm_file *f, gitops_visit fn, void *ud)
{
	for (size_t d = 0; f && d < tm_file_doc_count(f); d++) {
		const tm_value *doc = tm_file_doc(f, d);
		enum gitops_kind kind = gitops_kind(doc);
		if (kind != GITOPS_ARGO_APP) {
			if (kind != GITOPS_NONE && kind != GITOPS_ARGO_APPSET)
				fn(ud, f, doc, kind, NULL, NULL);
			continue;
		}
		const tm_value *spec = tm_map_get(doc, "spec"), *srcs = tm_map_get(spec, "sources");
		if (tm_value_kind_of(tm_map_get(spec, "source")) == TM_VALUE_MAP)
			fn(ud, f, doc, kind, tm_map_get(spec, "source"), NULL);
		for (size_t k = 0; tm_value_kind_of(srcs) == TM_VALUE_SEQ && k < tm_value_len(srcs); k++)
			fn(ud, f, doc, kind, tm_seq_at(srcs, k), srcs);
	}
}

static void plan_appsets(tm_scan_set *set);

/* The same for the Applications the tree's ApplicationSets generate (plan_appsets), after the
 * tree's own, then for the objects of the renders made so far. */
static void each_gitops(tm_scan_set *set, gitops_visit fn, void *ud)
{
	if (!set->appsets_done)
		plan_appsets(set);
	for (size_t i = 0; i < set->ncands && !set->oom; i++)
		if (!set->cands[i].owner)
			each_gitops_in(set->cands[i].file, fn, ud);
	for (size_t i = 0; i < set->nappsets && !set->oom; i++)
		each_gitops_in(set->appsets[i], fn, ud);
	/* and those a render made (an app of apps: a kustomization or chart of Applications) */
	for (size_t r = 0; r < set->nrenders && !set->oom; r++)
		for (size_t k = 0; k < set->renders[r].nouts; k++)
			each_gitops_in(set->renders[r].outs[k], fn, ud);
}

/* A scalar true or "true" (Argo CD's booleans are often quoted). */
static bool scalar_true(const tm_value *v)
{
	const char *s = tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
	return s && strcmp(s, "true") == 0;
}

/* ---- Argo CD ApplicationSets: the Applications their generators make ---------------------------- */

#define APPSET_MAX_APPS 256  /* Applications one ApplicationSet makes, at most (a glob over a big tree);
			      * the note says 256 */
#define APPSET_MAX_PARAMS 64 /* parameters of one generated Application */
#define APPSET_MAX_VALUES 1000000 /* values copied for one ApplicationSet's Applications, at most */

struct appset_params {
	const char *key[APPSET_MAX_PARAMS];
	const char *val[APPSET_MAX_PARAMS];
	size_t n;
};

static void param_add(struct appset_params *p, const char *k, const char *v)
{
	if (p->n < APPSET_MAX_PARAMS && k && v) {
		p->key[p->n] = k;
		p->val[p->n++] = v;
	}
}

/* A tag's value: fasttemplate's {{key}}; in goTemplate mode a field reference {{.a.b}} (or
 * {{index .path.segments N}}), the only Go templates read. NULL: no such parameter. */
static const char *param_of(const struct appset_params *p, const char *tag, size_t len, bool go)
{
	while (len && (isspace((unsigned char)*tag) || (go && *tag == '-'))) /* and {{- ... -}} */
		tag++, len--;
	while (len && (isspace((unsigned char)tag[len - 1]) || (go && tag[len - 1] == '-')))
		len--;
	char key[128];
	if (go && len > 21 && strncmp(tag, "index .path.segments ", 21) == 0) {
		char *end = NULL;
		long i = strtol(tag + 21, &end, 10);
		if (end != tag + len || i < 0)
			return NULL;
		tm_formatf(key, sizeof(key), "path[%ld]", i);
	} else {
		if (go) {
			if (!len || *tag != '.')
				return NULL;
			tag++, len--;
		}
		if (!len || len >= sizeof(key))
			return NULL;
		memcpy(key, tag, len);
		key[len] = '\0';
		if (go && strcmp(key, "path.path") == 0)
			key[4] = '\0';
	}
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->key[i], key) == 0)
			return p->val[i];
	return NULL;
}

/* s with its tags replaced, in the arena; a fasttemplate tag without a parameter stays as written,
 * as Argo CD leaves it. NULL (and *bad) for a Go template that is more than field references. */
static const char *substitute(tm_arena *a, const char *s, const struct appset_params *p, bool go, bool *bad)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *q = s;
	for (;;) {
		const char *open = strstr(q, "{{"), *close = open ? strstr(open + 2, "}}") : NULL;
		if (!close) {
			tm_strbuf_puts(&sb, q);
			break;
		}
		tm_strbuf_put(&sb, q, (size_t)(open - q));
		const char *v = param_of(p, open + 2, (size_t)(close - open - 2), go);
		if (!v && go) {
			*bad = true;
			break;
		}
		if (v)
			tm_strbuf_puts(&sb, v);
		else
			tm_strbuf_put(&sb, open, (size_t)(close + 2 - open));
		q = close + 2;
	}
	const char *out = *bad || sb.oom ? NULL : tm_arena_strdup(a, sb.data ? sb.data : "");
	tm_strbuf_dispose(&sb);
	return out;
}

/* Every string of the tree under v (a copy in f) with its tags replaced; false where a Go template
 * could not be read. */
static bool substitute_tree(tm_scan_set *set, tm_file *f, tm_value *v, const struct appset_params *p, bool go, int depth)
{
	bool map = tm_value_kind_of(v) == TM_VALUE_MAP;
	if (depth > 64 || (!map && tm_value_kind_of(v) != TM_VALUE_SEQ))
		return depth <= 64;
	for (size_t i = 0; i < tm_value_len(v); i++) {
		tm_value *item = map ? tm_map_value_mut(v, i) : tm_seq_at_mut(v, i);
		const char *text = tm_value_kind_of(item) == TM_VALUE_SCALAR ? tm_scalar_str(item, NULL) : NULL;
		if (!text) {
			if (item && !substitute_tree(set, f, item, p, go, depth + 1))
				return false;
			continue;
		}
		if (!strstr(text, "{{"))
			continue;
		bool bad = false;
		const char *out = substitute(set->arena, text, p, go, &bad);
		if (bad)
			return false;
		tm_value *nv = out ? tm_value_new_scalar(f, tm_value_loc(f, item), TM_SCALAR_STR, out, strlen(out), true) : NULL;
		const char *key = map ? tm_scalar_str(tm_map_key(v, i), NULL) : NULL;
		if (!nv || (map ? !key || tm_map_set(f, v, key, nv) : tm_seq_set(v, i, nv)))
			set->oom = 1;
	}
	return true;
}

/* The parameters of a list element (its scalars, nested maps as "a.b"), under prefix. */
static void element_params(tm_scan_set *set, struct appset_params *p, const tm_value *m, const char *prefix, int depth)
{
	for (size_t i = 0; tm_value_kind_of(m) == TM_VALUE_MAP && depth < 4 && i < tm_value_len(m); i++) {
		const char *k = tm_scalar_str(tm_map_key(m, i), NULL);
		const tm_value *v = tm_map_value(m, i);
		if (!k)
			continue;
		const char *key = *prefix ? tm_arena_printf(set->arena, "%s.%s", prefix, k) : k;
		if (tm_value_kind_of(v) == TM_VALUE_SCALAR)
			param_add(p, key, tm_scalar_str(v, NULL));
		else
			element_params(set, p, v, key ? key : "", depth + 1);
	}
}

/* A directory's parameters, as the Git directory generator gives them. */
static void directory_params(tm_scan_set *set, struct appset_params *p, const char *dir)
{
	const char *base = basename_of(dir);
	char *norm = tm_arena_strdup(set->arena, base);
	for (char *c = norm; c && *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.')
			*c = '-';
	param_add(p, "path", dir);
	param_add(p, "path.basename", base);
	param_add(p, "path.basenameNormalized", norm);
	size_t seg = 0;
	for (const char *q = dir; *q && p->n < APPSET_MAX_PARAMS; seg++) {
		const char *slash = strchr(q, '/');
		size_t l = slash ? (size_t)(slash - q) : strlen(q);
		param_add(p, tm_arena_printf(set->arena, "path[%zu]", seg), tm_arena_strndup(set->arena, q, l));
		q += l + (slash != NULL);
	}
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every directory of the tree that holds an input (and each above it), sorted: what a Git
 * directory generator's globs match. */
static const char **tree_dirs(tm_scan_set *set, size_t *n)
{
	tm_hmap seen = TM_HMAP_INIT;
	const char **dirs = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < set->ncands && !set->oom; i++) {
		const char *d = set->cands[i].display;
		for (const char *slash = strchr(d, '/'); slash; slash = strchr(slash + 1, '/')) {
			size_t l = (size_t)(slash - d);
			if (tm_hmap_get(&seen, d, l))
				continue;
			char *dir = tm_arena_strndup(set->arena, d, l);
			if (!dir || tm_hmap_put(&seen, dir, l, dir) || TM_GROW(dirs, cap, *n + 1)) {
				set->oom = 1;
				break;
			}
			dirs[(*n)++] = dir;
		}
	}
	tm_hmap_dispose(&seen);
	if (*n > 1)
		qsort(dirs, *n, sizeof(*dirs), str_cmp);
	return dirs;
}

/* Does a Git generator's directory glob match dir? '*' stays within one directory, "**" crosses. */
static bool dir_glob(const char *pat, const char *dir)
{
	return fnmatch(pat, dir, strstr(pat, "**") ? 0 : FNM_PATHNAME) == 0;
}

/* The tree's directory dir as a Git directory generator's globs see it, in the first form one of
 * them matches, as repo_path reads paths: from the repository's top (the scan root's place in its
 * work tree before it), from the scan root, or from a directory above the ApplicationSet's file
 * (from), the highest first. NULL when none matches. */
static const char *appset_dir(tm_scan_set *set, const tm_value *gdirs, const char *dir, const char *from)
{
	const char *forms[16];
	size_t n = 0;
	if (*set->repo_prefix)
		forms[n++] = tm_arena_printf(set->arena, "%s%s", set->repo_prefix, dir);
	forms[n++] = dir;
	for (const char *slash = strchr(from, '/'); slash && n < TM_ARRAY_LEN(forms); slash = strchr(slash + 1, '/')) {
		size_t l = (size_t)(slash - from);
		if (strncmp(dir, from, l) == 0 && dir[l] == '/')
			forms[n++] = dir + l + 1;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t e = 0; forms[i] && e < tm_value_len(gdirs); e++) {
			const char *pat = tm_map_get_str(tm_seq_at(gdirs, e), "path");
			if (pat && dir_glob(pat, forms[i]))
				return forms[i];
		}
	return NULL;
}

struct appset_run {
	tm_scan_set *set;
	const tm_file *f;
	const tm_value *tmpl;
	size_t tmpl_values; /* the template's values, counted up to APPSET_MAX_VALUES */
	bool go;
	tm_file *out;  /* the Applications made */
	size_t made, unread, over;
};

/* The values of the tree under v, counting stopped at cap. */
static size_t count_values(const tm_value *v, size_t cap, int depth)
{
	size_t n = 1;
	bool map = tm_value_kind_of(v) == TM_VALUE_MAP;
	for (size_t i = 0; depth < 512 && (map || tm_value_kind_of(v) == TM_VALUE_SEQ) && i < tm_value_len(v) && n < cap; i++)
		n += count_values(map ? tm_map_value(v, i) : tm_seq_at(v, i), cap - n, depth + 1) + map;
	return n;
}

/* One Application of the template with p's parameters. */
static void appset_make(struct appset_run *r, struct appset_params *p)
{
	/* a template copied once per Application: bounded in count and in what the copies hold */
	if (r->made >= APPSET_MAX_APPS || (r->made + r->unread + 1) * r->tmpl_values > APPSET_MAX_VALUES) {
		r->over++;
		return;
	}
	tm_loc at = tm_value_loc(r->f, r->tmpl);
	tm_value *app = tm_value_copy(r->out, r->f, r->tmpl);
	tm_value *api = tm_value_new_scalar(r->out, at, TM_SCALAR_STR, "argoproj.io/v1alpha1", 20, true);
	tm_value *kind = tm_value_new_scalar(r->out, at, TM_SCALAR_STR, "Application", 11, true);
	if (!app || !api || !kind || tm_map_set(r->out, app, "apiVersion", api) || tm_map_set(r->out, app, "kind", kind)) {
		r->set->oom = 1;
		return;
	}
	if (!substitute_tree(r->set, r->out, app, p, r->go, 0)) {
		r->unread++; /* a Go template beyond field references: not evaluated, so not guessed */
		return;
	}
	if (tm_value_reindex(r->out, app) || tm_file_add_doc(r->out, app))
		r->set->oom = 1;
	else
		r->made++;
}

/* The Applications each ApplicationSet of the tree generates from its list and Git directory
 * generators (the source's repository taken to be this tree, as for Applications), one file of
 * them per ApplicationSet, and a note per ApplicationSet saying what it made and what it could not. */
static void plan_appsets(tm_scan_set *set)
{
	set->appsets_done = true;
	const char **dirs = NULL;
	size_t ndirs = 0;
	bool listed = false;
	for (size_t i = 0; i < set->ncands && !set->oom; i++) {
		const struct candidate *c = &set->cands[i];
		for (size_t d = 0; c->file && !c->owner && d < tm_file_doc_count(c->file); d++) {
			const tm_value *doc = tm_file_doc(c->file, d);
			if (gitops_kind(doc) != GITOPS_ARGO_APPSET)
				continue;
			const tm_value *spec = tm_map_get(doc, "spec"), *gens = tm_map_get(spec, "generators");
			const tm_value *tmpl = tm_map_get(spec, "template"), *gov = tm_map_get(spec, "goTemplate");
			const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
			struct appset_run r = {set, c->file, tmpl, count_values(tmpl, APPSET_MAX_VALUES + 1, 0), scalar_true(gov),
					       tm_file_new_rendered(c->display), 0, 0, 0};
			if (!r.out || TM_GROW(set->appsets, set->cap_appsets, set->nappsets + 1)) {
				tm_file_free(r.out);
				set->oom = 1;
				break;
			}
			set->appsets[set->nappsets++] = r.out;
			char other[160] = "";
			size_t no = 0;
			for (size_t g = 0; tm_value_kind_of(tmpl) == TM_VALUE_MAP && g < tm_value_len(gens) && !set->oom; g++) {
				const tm_value *gen = tm_seq_at(gens, g);
				const tm_value *list = tm_map_get(gen, "list"), *git = tm_map_get(gen, "git");
				const tm_value *elems = tm_map_get(list, "elements"), *gdirs = tm_map_get(git, "directories");
				for (size_t e = 0; tm_value_kind_of(elems) == TM_VALUE_SEQ && e < tm_value_len(elems); e++) {
					struct appset_params p = {.n = 0};
					element_params(set, &p, tm_seq_at(elems, e), "", 0);
					appset_make(&r, &p);
				}
				if (tm_value_kind_of(gdirs) == TM_VALUE_SEQ && !listed) {
					dirs = tree_dirs(set, &ndirs);
					listed = true;
				}
				for (size_t k = 0; tm_value_kind_of(gdirs) == TM_VALUE_SEQ && k < ndirs; k++) {
					bool take = false;
					const char *rd = appset_dir(set, gdirs, dirs[k], c->display);
					for (size_t e = 0; rd && e < tm_value_len(gdirs); e++) {
						const tm_value *ent = tm_seq_at(gdirs, e);
						const char *pat = tm_map_get_str(ent, "path");
						if (pat && dir_glob(pat, rd))
							take = !scalar_true(tm_map_get(ent, "exclude"));
					}
					/* an exclude wins wherever it is listed, as Argo CD has it */
					for (size_t e = 0; take && e < tm_value_len(gdirs); e++) {
						const tm_value *ent = tm_seq_at(gdirs, e);
						const char *pat = tm_map_get_str(ent, "path");
						take = !(pat && scalar_true(tm_map_get(ent, "exclude")) && dir_glob(pat, rd));
					}
					if (!take)
						continue;
					struct appset_params p = {.n = 0};
					directory_params(set, &p, rd);
					appset_make(&r, &p);
				}
				const char *kind = git ? "git files" : tm_scalar_str(tm_map_key(gen, 0), NULL);
				if (!elems && !gdirs && tm_value_kind_of(gen) == TM_VALUE_MAP && tm_value_len(gen) && no < sizeof(other))
					no += (size_t)tm_formatf(other + no, sizeof(other) - no, "%s%s", no ? ", " : "", kind ? kind : "?");
			}
			char why[400], left[160] = "";
			if (r.unread)
				tm_formatf(left, sizeof(left), "; %zu left out: Go templates other than field references "
					   "({{.path.basename}}) are not evaluated", r.unread);
			tm_formatf(why, sizeof(why), "%s%s%s%s", no ? "; generators not expanded (their Applications are not modelled): " : "",
				   no ? other : "", left,
				   r.over ? "; the rest left out (past 256 Applications, or a million values of copied template)" : "");
			tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, tm_value_loc(c->file, gens ? gens : doc),
				    "the Argo CD ApplicationSet %s generates %zu Application%s from its list and Git directory generators%s",
				    name ? name : "?", r.made, r.made == 1 ? "" : "s", why);
		}
	}
	tm_free(dirs);
}

/* base joined with path, as the tree's relative path ("./apps/web/" -> "apps/web", "." -> ""), or
 * NULL for an absolute path or one that climbs out of the tree (tm_fsys_join). */
static const char *tree_path(tm_arena *a, const char *base, const char *path)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *out = tm_fsys_join(&sb, base, path) == 0 ? tm_arena_strdup(a, sb.data ? sb.data : "") : NULL;
	tm_strbuf_dispose(&sb);
	return out;
}

/* For a note: where a GitOps object's paths were read from, when not from the top (repo_path). */
static const char *read_from(tm_scan_set *set, const char *top)
{
	return top ? tm_arena_printf(set->arena, " (its paths read from %s: the repository it names is taken to start there)", top)
		   : "";
}

/* Does the tree hold path (a file among the inputs, or a directory holding one)? */
static bool in_tree(const tm_scan_set *set, const char *path)
{
	size_t first, end;
	if (!*path || find_cand((tm_scan_set *)set, path))
		return true;
	cands_under(set, path, strlen(path), &first, &end);
	return first < end;
}

/* A path a GitOps object (in the file shown as from) names from its repository's top, as the
 * tree's, the first of these the tree holds:
 *   1. scanning a directory of a git work tree, with its place there (repo_prefix, "deploy/") taken
 *      off: "deploy/apps/web" is the tree's "apps/web";
 *   2. as written, from the scan root;
 *   3. from a directory above the object's file, the highest first: a directory kept as a
 *      repository of its own (a sample, an example) whose objects name its paths; *top says which.
 * NULL for a path that climbs out of the tree; the form of 1 or 2 when the tree holds none. */
static const char *repo_path(tm_scan_set *set, const char *path, const char *from, const char **top)
{
	if (top)
		*top = NULL;
	const char *p = tree_path(set->arena, "", path);
	if (!p)
		return NULL;
	size_t pl = strlen(set->repo_prefix);
	const char *q = !pl                                                                ? NULL
			: strncmp(p, set->repo_prefix, pl) == 0                            ? p + pl
			: strlen(p) == pl - 1 && strncmp(p, set->repo_prefix, pl - 1) == 0 ? ""
											      : NULL;
	if (q && in_tree(set, q))
		return q;
	if (in_tree(set, p) || !from)
		return q ? q : p;
	for (const char *slash = strchr(from, '/'); slash; slash = strchr(slash + 1, '/')) {
		const char *above = tm_arena_strndup(set->arena, from, (size_t)(slash - from));
		const char *r = above ? tree_path(set->arena, above, p) : NULL;
		if (r && in_tree(set, r)) {
			if (top)
				*top = above;
			return r;
		}
	}
	return q ? q : p;
}

int tm_scan_repo_prefix(const char *path, char *buf, size_t len)
{
	char real[PATH_MAX];
	if (len)
		buf[0] = '\0';
	if (!path || !realpath(path, real))
		return 0;
	for (size_t k = strlen(real);;) {
		char probe[PATH_MAX + 8];
		struct stat st;
		tm_formatf(probe, sizeof(probe), "%.*s/.git", (int)k, real);
		if (lstat(probe, &st) == 0) {
			const char *rest = real + k;
			while (*rest == '/')
				rest++;
			if (*rest && tm_formatf(buf, len, "%s/", rest) >= (int)len) {
				buf[0] = '\0';
				return 0;
			}
			return 1;
		}
		if (!k)
			return 0;
		while (k && real[k - 1] != '/')
			k--;
		k -= k > 0; /* the parent, without its '/' ("" for the file system's root) */
	}
}

/* Is there a chart (a Chart.yaml among the inputs) at the tree's directory dir? */
static bool chart_at(tm_scan_set *set, const char *dir)
{
	char cy[PATH_MAX];
	tm_formatf(cy, sizeof(cy), "%s%sChart.yaml", dir, *dir ? "/" : "");
	return find_cand(set, cy) != NULL;
}

struct releases {
	struct helm_release *r;
	size_t n, cap;
};

/* One values file a release names, tree-relative: from base (the chart's directory for Argo CD;
 * NULL: the repository's top, for Flux), or, for Argo CD's "$ref/path", from the top of the source holding
 * `ref: ref` (taken to be this tree, as every source is). NULL, with the reason in rel->unread, for
 * a URL, an unknown $ref, or a path out of the tree. */
static const char *release_file(tm_scan_set *set, struct helm_release *rel, const char *base, const char *v,
				const tm_value *sources, const char *from)
{
	if (strstr(v, "://")) {
		rel->unread = "a values file named by URL (not fetched)";
		return NULL;
	}
	if (v[0] == '$') {
		const char *slash = strchr(v, '/');
		bool known = false;
		for (size_t k = 0; slash && tm_value_kind_of(sources) == TM_VALUE_SEQ && k < tm_value_len(sources); k++) {
			const char *ref = tm_map_get_str(tm_seq_at(sources, k), "ref");
			known = known || (ref && strlen(ref) == (size_t)(slash - v - 1) && strncmp(ref, v + 1, strlen(ref)) == 0);
		}
		if (!known) {
			rel->unread = "a values file of a source reference ($ref) that names no source";
			return NULL;
		}
		base = NULL;
		v = slash + 1;
	}
	const char *p = base ? tree_path(set->arena, base, v) : repo_path(set, v, from, NULL);
	if (!p)
		rel->unread = "a values file outside the tree";
	return p;
}

static bool push_release(tm_scan_set *set, struct releases *rs, const struct helm_release *r)
{
	if (TM_GROW(rs->r, rs->cap, rs->n + 1)) {
		set->oom = 1;
		return false;
	}
	rs->r[rs->n] = *r;
	rs->r[rs->n].seq = rs->n;
	rs->n++;
	return true;
}

/* An Argo CD Application's source (spec.source or an item of spec.sources) whose path holds a
 * chart: Argo CD renders it with helm template, with the source's helm: values, into
 * destination.namespace, as release helm.releaseName (the Application's name by default). */
static void argo_release(tm_scan_set *set, const tm_fsys *fs, struct releases *rs, const tm_file *f, const tm_value *doc,
			 const tm_value *src, const tm_value *sources)
{
	const tm_value *pathv = tm_map_get(src, "path"), *chartv = tm_map_get(src, "chart");
	if (tm_scalar_str(chartv, NULL)) /* a chart from a Helm repository: said, as it is not modelled */
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, tm_value_loc(f, chartv),
			    "the Argo CD Application %s deploys chart %s from %s: a chart of a Helm repository is not fetched, "
			    "so what it deploys is not modelled",
			    tm_map_get_str(tm_map_get(doc, "metadata"), "name") ? tm_map_get_str(tm_map_get(doc, "metadata"), "name") : "?",
			    tm_scalar_str(chartv, NULL), tm_map_get_str(src, "repoURL") ? tm_map_get_str(src, "repoURL") : "its repository");
	const char *top = NULL, *path = tm_scalar_str(pathv, NULL), *dir = path ? repo_path(set, path, tm_file_path(f), &top) : NULL;
	if (!dir || tm_map_get(src, "chart") || !chart_at(set, dir))
		return;
	const tm_value *helm = tm_map_get(src, "helm");
	const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
	const char *ns = tm_map_get_str(tm_map_get(tm_map_get(doc, "spec"), "destination"), "namespace");
	const char *release = tm_map_get_str(helm, "releaseName");
	struct helm_release r = {.tool = "Argo CD Application", .app = name ? name : "?", .chart = dir,
				 .ns = ns && tm_ingest__dns_label(ns) ? ns : NULL, .release = release ? release : name,
				 .at = tm_value_loc(f, pathv), .top = top};
	const tm_value *files = tm_map_get(helm, "valueFiles");
	bool ignore_missing = scalar_true(tm_map_get(helm, "ignoreMissingValueFiles"));
	size_t nf = tm_value_kind_of(files) == TM_VALUE_SEQ ? tm_value_len(files) : 0;
	r.values = nf ? tm_arena_alloc(set->arena, nf * sizeof(char *)) : NULL;
	for (size_t i = 0; r.values && i < nf; i++) {
		const char *v = tm_scalar_str(tm_seq_at(files, i), NULL);
		const char *p = v ? release_file(set, &r, dir, v, sources, tm_file_path(f)) : NULL;
		if (p && !(ignore_missing && fs->kind(fs, p) != TM_FSYS_FILE))
			r.values[r.nvalues++] = p;
	}
	/* valuesObject wins over values (a YAML string) when both are set, as Argo CD has it */
	const tm_value *obj = tm_map_get(helm, "valuesObject"), *text = tm_map_get(helm, "values");
	const tm_value *doc_values = NULL;
	if (tm_value_kind_of(obj) == TM_VALUE_MAP) {
		doc_values = obj;
	} else if (tm_value_kind_of(text) == TM_VALUE_SCALAR && tm_scalar_str(text, NULL)) {
		r.values_text = text; /* a values file's text, templates for tpl and all */
	}
	if (tm_value_kind_of(doc_values) == TM_VALUE_MAP && (r.docs = tm_arena_alloc(set->arena, sizeof(tm_value *))))
		r.docs[r.ndocs++] = doc_values;
	const tm_value *params = tm_map_get(helm, "parameters");
	size_t np = tm_value_kind_of(params) == TM_VALUE_SEQ ? tm_value_len(params) : 0;
	r.sets = np ? tm_arena_alloc(set->arena, np * sizeof(tm_helm_set)) : NULL;
	for (size_t i = 0; r.sets && i < np; i++) {
		const tm_value *pv = tm_seq_at(params, i);
		const char *pn = tm_map_get_str(pv, "name");
		if (pn && *pn)
			r.sets[r.nsets++] = (tm_helm_set){pn, tm_map_get_str(pv, "value"), scalar_true(tm_map_get(pv, "forceString"))};
	}
	if (tm_map_get(helm, "fileParameters"))
		r.unread = "fileParameters";
	push_release(set, rs, &r);
}

/* A Flux HelmRelease whose chart is a path of a Git (or bucket) source: rendered with spec.values
 * into spec.targetNamespace (else its own namespace), as release spec.releaseName (else
 * [targetNamespace-]name); the chart's valuesFiles, merged, are its values instead of
 * values.yaml, as the source controller builds the chart. */
static void flux_release(tm_scan_set *set, struct releases *rs, const tm_file *f, const tm_value *doc)
{
	const tm_value *spec = tm_map_get(doc, "spec"), *cs = tm_map_get(tm_map_get(spec, "chart"), "spec");
	const tm_value *chartv = tm_map_get(cs, "chart");
	const char *chart = tm_scalar_str(chartv, NULL), *src = tm_map_get_str(tm_map_get(cs, "sourceRef"), "kind");
	const tm_value *ref = tm_map_get(spec, "chartRef");
	if ((chart && (!src || (strcmp(src, "GitRepository") != 0 && strcmp(src, "Bucket") != 0))) || ref) {
		const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, tm_value_loc(f, chart ? chartv : ref),
			    "the Flux HelmRelease %s deploys chart %s from a %s: it is not fetched, so what it deploys is not "
			    "modelled",
			    name ? name : "?", chart ? chart : tm_map_get_str(ref, "name") ? tm_map_get_str(ref, "name") : "?",
			    chart ? (src ? src : "source") : tm_map_get_str(ref, "kind") ? tm_map_get_str(ref, "kind") : "source");
		return;
	}
	if (!chart)
		return;
	const char *top = NULL, *dir = repo_path(set, chart, tm_file_path(f), &top);
	if (!dir || !chart_at(set, dir))
		return;
	const tm_value *meta = tm_map_get(doc, "metadata");
	const char *name = tm_map_get_str(meta, "name"), *target = tm_map_get_str(spec, "targetNamespace");
	const char *ns = target ? target : tm_map_get_str(meta, "namespace");
	const char *release = tm_map_get_str(spec, "releaseName");
	if (!release && name)
		release = target ? tm_arena_printf(set->arena, "%s-%s", target, name) : name;
	struct helm_release r = {.tool = "Flux HelmRelease", .app = name ? name : "?", .chart = dir,
				 .ns = ns && tm_ingest__dns_label(ns) ? ns : NULL, .release = release,
				 .at = tm_value_loc(f, chartv), .top = top};
	const tm_value *files = tm_map_get(cs, "valuesFiles"), *one = tm_map_get(cs, "valuesFile");
	size_t nf = tm_value_kind_of(files) == TM_VALUE_SEQ ? tm_value_len(files) : 0;
	r.chart_values = tm_arena_alloc(set->arena, (nf + 1) * sizeof(char *));
	for (size_t i = 0; r.chart_values && i < nf + 1; i++) {
		const char *v = tm_scalar_str(i < nf ? tm_seq_at(files, i) : one, NULL);
		const char *p = v ? release_file(set, &r, NULL, v, NULL, tm_file_path(f)) : NULL;
		if (p)
			r.chart_values[r.nchart_values++] = p;
	}
	const tm_value *values = tm_map_get(spec, "values");
	if (tm_value_kind_of(values) == TM_VALUE_MAP && (r.docs = tm_arena_alloc(set->arena, sizeof(tm_value *))))
		r.docs[r.ndocs++] = values;
	if (tm_map_get(spec, "valuesFrom"))
		r.unread = "valuesFrom (ConfigMaps and Secrets read in the cluster)";
	push_release(set, rs, &r);
}

static int release_cmp(const void *a, const void *b)
{
	const struct helm_release *x = a, *y = b;
	int c = strcmp(x->chart, y->chart);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

struct releases_found {
	tm_scan_set *set;
	const tm_fsys *fs;
	struct releases *rs;
};

static void release_of(void *ud, const tm_file *f, const tm_value *doc, enum gitops_kind kind, const tm_value *src,
		       const tm_value *sources)
{
	struct releases_found *rf = ud;
	if (kind == GITOPS_FLUX_HELMRELEASE)
		flux_release(rf->set, rf->rs, f, doc);
	else if (kind == GITOPS_ARGO_APP)
		argo_release(rf->set, rf->fs, rf->rs, f, doc, src, sources);
}

/* The releases the tree's GitOps objects make of its charts, sorted by chart (then found in). */
static void plan_releases(tm_scan_set *set, const tm_fsys *fs, struct releases *rs)
{
	struct releases_found rf = {set, fs, rs};
	each_gitops(set, release_of, &rf);
	/* by chart, then in the order found */
	if (rs->n > 1)
		qsort(rs->r, rs->n, sizeof(*rs->r), release_cmp);
}

static void releases_free(struct releases *rs)
{
	tm_free(rs->r);
}

/* What a release rendered with, for its note: "2 values files, inline values, 1 parameter". */
static const char *release_with(tm_scan_set *set, const struct helm_release *r)
{
	char buf[256] = "";
	size_t n = 0;
	if (r->nvalues || r->nchart_values)
		n += (size_t)tm_formatf(buf + n, sizeof(buf) - n, "%zu values file%s%s", r->nvalues + r->nchart_values,
					r->nvalues + r->nchart_values == 1 ? "" : "s",
					r->nchart_values ? " (instead of values.yaml)" : "");
	if ((r->ndocs || r->values_text) && n < sizeof(buf))
		n += (size_t)tm_formatf(buf + n, sizeof(buf) - n, "%sinline values", n ? ", " : "");
	if (r->nsets && n < sizeof(buf))
		n += (size_t)tm_formatf(buf + n, sizeof(buf) - n, "%s%zu parameter%s", n ? ", " : "", r->nsets,
					r->nsets == 1 ? "" : "s");
	return tm_arena_strdup(set->arena, n ? buf : "values.yaml alone");
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
			helm_render_one(set, fs, chart, NULL, 0, NULL, tm_arena_printf(set->arena, "%s [%s]", name, r->app), r);
			tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, r->at, "the %s %s releases chart %s as %s%s%s, rendered with %s%s%s%s",
				    r->tool, r->app, name, r->release ? r->release : "release-name", r->ns ? " into namespace " : "",
				    r->ns ? r->ns : "", release_with(set, r), r->unread ? "; not read: " : "",
				    r->unread ? r->unread : "", read_from(set, r->top));
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
		if (!d->nvalues && !d->ns) {
			plain = true;
			continue;
		}
		helm_render_one(set, fs, chart, d->values, d->nvalues, d->ns, tm_arena_printf(set->arena, "%s [%s]", name, d->name),
				NULL);
		if (set->nrenders > before)
			set->renders[before].only_sysdef = (int)k;
	}
	if (plain)
		helm_render_one(set, fs, chart, NULL, 0, NULL, name, NULL);
}

/* Does data (len bytes) hold the text s? */
static bool holds(const char *data, size_t len, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = data, *e = data + len; n && (size_t)(e - p) >= n;) {
		const char *c = memchr(p, s[0], (size_t)(e - p) - n + 1);
		if (!c)
			return false;
		if (memcmp(c, s, n) == 0)
			return true;
		p = c + 1;
	}
	return false;
}

/* Does a chart's templates/ hold GitOps objects (an app of apps: a chart of Argo CD Applications
 * or Flux HelmReleases)? Read through fs, so the comparison of plans sees the read. */
static bool app_of_apps(tm_scan_set *set, const tm_fsys *fs, const char *chart)
{
	char dir[PATH_MAX];
	size_t first, end;
	tm_formatf(dir, sizeof(dir), "%s%stemplates", chart, *chart ? "/" : "");
	cands_under(set, dir, strlen(dir), &first, &end);
	bool found = false;
	for (size_t i = first; i < end && !found; i++) {
		char *data = NULL;
		size_t len = 0;
		const char *why = NULL;
		if (fs->read(fs, set->cands[i].display, set->limits.max_file_bytes, &data, &len, &why) == 0)
			found = holds(data, len, "argoproj.io/") || holds(data, len, "helm.toolkit.fluxcd.io/");
		tm_free(data);
	}
	return found;
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
		if (strcmp(basename_of(d), "Chart.yaml") != 0)
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
		const struct candidate *cc = find_cand(set, cy);
		bool inflated = cc && cc->render >= 0 && set->renders[cc->render].format == TM_FMT_KUSTOMIZE;
		role[i] = sub || inflated ? 0 : app_of_apps(set, fs, charts[i]) ? 1 : 2;
	}
	size_t first_render = set->nrenders;
	for (size_t i = 0; i < n && !set->oom; i++)
		if (role[i] == 1)
			render_chart(set, fs, charts[i], rs);
	/* the releases the apps of apps make, among the others */
	size_t before = rs->n;
	struct releases_found rf = {set, fs, rs};
	for (size_t r = first_render; r < set->nrenders && !set->oom; r++)
		for (size_t k = 0; k < set->renders[r].nouts; k++)
			each_gitops_in(set->renders[r].outs[k], release_of, &rf);
	if (rs->n > before)
		qsort(rs->r, rs->n, sizeof(*rs->r), release_cmp);
	for (size_t i = 0; i < n && !set->oom; i++)
		if (role[i] == 2)
			render_chart(set, fs, charts[i], rs);
	tm_free(role);
	/* the rest of a chart's files (README, ci/ values, NOTES.txt): not deployed by it */
	for (size_t j = 0; j < n; j++) {
		size_t first, end;
		cands_under(set, charts[j], strlen(charts[j]), &first, &end);
		for (size_t i = first; i < end; i++)
			if (!set->cands[i].owner) {
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
			if (kustomization_name(basename_of(set->cands[i].display)) ||
			    strcmp(basename_of(set->cands[i].display), "Chart.yaml") == 0) {
				tm_loc at = {set->cands[i].display, 0, 0, NULL};
				tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, at,
					    "kustomizations and charts are rendered when one directory is scanned; these files are read as plain manifests");
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
			if (strcmp(basename_of(set->cands[i].display), "Chart.yaml") == 0) {
				const char *d = set->cands[i].display, *slash = strrchr(d, '/');
				size_t first, end;
				cands_under(set, d, slash ? (size_t)(slash - d) : 0, &first, &end);
				for (size_t k = first; k < end; k++)
					set->cands[k].in_chart = true;
			}
		struct releases rs = {NULL, 0, 0};
		if (!set->oom)
			plan_parse(set);
		if (!set->oom)
			plan_releases(set, &rec.fs, &rs);
		if (!set->oom)
			plan_helm(set, &rec.fs, &rs);
		releases_free(&rs);
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
	for (size_t i = 0; i < set->ncands; i++) {
		const struct candidate *c = &set->cands[i];
		int k = c->render >= 0 ? tm_plan_system_of(&set->plan, &set->items[set->renders[c->render].item])
			: c->item >= 0 ? tm_plan_system_of(&set->plan, &set->items[c->item]) : -1;
		intptr_t v = c->chart_file && c->render < 0 ? 1 : k >= 0 && k < systems_max ? k + 2 : 0;
		if (v && tm_hmap_put(&sys, c->display, strlen(c->display), (void *)v))
			set->oom = 1;
	}
	for (size_t i = 0; i < set->diags.count; i++) {
		const char *p = set->diags.items[i].loc.path;
		intptr_t v = p ? (intptr_t)tm_hmap_get(&sys, p, strlen(p)) : 0;
		set->diag_system[i] = v == 0 ? -1 : v == 1 ? -2 : (int)(v - 2);
	}
	/* a chart's render says its own problems: one rendered twice (its values.yaml, a system's values
	 * files) is in different systems, and a render no system holds (replaced by the one with a
	 * system's values) keeps its problems to itself (-2: shown nowhere) */
	for (size_t r = 0; r < set->nrenders; r++) {
		const struct render *rd = &set->renders[r];
		const tm_plan_item *it = &set->items[rd->item];
		int k = tm_plan_system_of(&set->plan, it);
		bool nowhere = set->plan.explicit_ && k < 0;
		for (size_t i = rd->d0; i < rd->d1 && i < set->diags.count; i++)
			set->diag_system[i] = nowhere ? -2 : k;
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
			d->include = overlay_strs(set, tm_map_get(v, "include"), &d->ninclude);
			d->exclude = overlay_strs(set, tm_map_get(v, "exclude"), &d->nexclude);
			d->values = overlay_strs(set, tm_map_get(v, "values"), &d->nvalues);
			/* a namespace that is no DNS label is refused (and said) by the overlay's reader */
			const char *ns = tm_map_get_str(v, "namespace");
			d->ns = ns && tm_ingest__dns_label(ns) ? ns : NULL;
			set->nsysdefs += d->ninclude > 0;
		}
		if (n && !set->sysdefs)
			set->oom = 1;
	}
}

/* ---- GitOps deliveries ------------------------------------------------------------------------ */

/* Where a GitOps tool sends a directory of this tree. An Argo CD Application: the objects without a
 * namespace go to spec.destination.namespace, as Argo CD applies them (kubectl apply -n). A Flux
 * Kustomization with spec.targetNamespace: every namespaced object goes there (kustomize's
 * namespace transformer), from the directory and those under it. */
struct delivery {
	const char *tool;     /* "Argo CD Application", "Flux Kustomization" */
	const char *dir;      /* the source's path, relative to the root ("" the root itself) */
	bool recurse;         /* directory.recurse (Argo CD), always (Flux): the directories under it too */
	bool override;        /* a namespace written in an object is replaced too (Flux) */
	bool kustomized;      /* a kustomization is at dir: its output is what is applied, not the files */
	const tm_value *include, *exclude; /* directory.include / exclude: globs on file names */
	const char *ns;
	const char *app;      /* the Application's name */
	tm_loc at;            /* its destination.namespace */
	const char *top;      /* the directory its path is read from, when not the top (repo_path) */
	size_t placed;        /* objects placed */
	bool copy;            /* it places a copy: another delivery sends the same files elsewhere */
	int extra;            /* the render holding its copies (extra_render), or -1 */
	size_t extra_cap;
};

/* Does an Argo CD directory glob (one pattern, or "{a,b}") match the file's name or path? */
static bool delivery_glob(const tm_value *g, const char *display, const char *base)
{
	const char *pat = tm_scalar_str(g, NULL);
	if (!pat || !*pat)
		return false;
	char buf[512];
	size_t n = strlen(pat);
	if (pat[0] == '{' && pat[n - 1] == '}' && n < sizeof(buf)) {
		memcpy(buf, pat + 1, n - 2);
		buf[n - 2] = '\0';
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
			if (fnmatch(t, base, 0) == 0 || fnmatch(t, display, 0) == 0)
				return true;
		return false;
	}
	return fnmatch(pat, base, 0) == 0 || fnmatch(pat, display, 0) == 0;
}

/* d, its directory the source path's, appended; nothing for a path out of the tree. */
static void push_delivery(tm_scan_set *set, struct delivery **ds, size_t *n, size_t *cap, const char *path,
			  const tm_file *f, struct delivery d)
{
	if (!(d.dir = repo_path(set, path, tm_file_path(f), &d.top)))
		return;
	if (TM_GROW(*ds, *cap, *n + 1))
		set->oom = 1;
	else
		(*ds)[(*n)++] = d;
}

/* What a GitOps object would change in the objects it applies that is not modelled (Argo CD's
 * kustomize: overrides, Flux's patches, images, postBuild substitutions...): one note at the first,
 * naming them all. keys NULL: every key of the map v; else those of keys present in v. */
static void note_overrides(tm_scan_set *set, const tm_file *f, const tm_value *v, const char *const *keys,
			   const char *tool, const char *app)
{
	char list[256] = "";
	size_t n = 0;
	const tm_value *first = NULL;
	for (size_t i = 0; tm_value_kind_of(v) == TM_VALUE_MAP && (keys ? keys[i] != NULL : i < tm_value_len(v)); i++) {
		const char *k = keys ? keys[i] : tm_scalar_str(tm_map_key(v, i), NULL);
		const tm_value *val = k ? tm_map_get(v, k) : NULL;
		if (!val || n >= sizeof(list))
			continue;
		first = first ? first : val;
		n += (size_t)tm_formatf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", k);
	}
	if (first)
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, tm_value_loc(f, first),
			    "the %s %s changes what it applies with %s: not applied here, its objects are modelled as the "
			    "files (or their kustomization) give them",
			    tool, app ? app : "?", list);
}

/* An Argo CD Application's source (spec.source or an item of spec.sources) that is a path. */
static void add_argo(tm_scan_set *set, struct delivery **ds, size_t *n, size_t *cap, const tm_file *f,
		     const tm_value *doc, const tm_value *src)
{
	if (tm_map_get_str(src, "path"))
		note_overrides(set, f, tm_map_get(src, "kustomize"), NULL, "Argo CD Application",
			       tm_map_get_str(tm_map_get(doc, "metadata"), "name"));
	const char *path = tm_map_get_str(src, "path");
	const tm_value *nsv = tm_map_get(tm_map_get(tm_map_get(doc, "spec"), "destination"), "namespace");
	const char *ns = tm_scalar_str(nsv, NULL);
	if (!path || tm_map_get(src, "chart") || !ns || !tm_ingest__dns_label(ns))
		return;
	const tm_value *d = tm_map_get(src, "directory");
	const tm_value *rec = tm_map_get(d, "recurse");
	push_delivery(set, ds, n, cap, path, f,
		      (struct delivery){.tool = "Argo CD Application",
					.recurse = rec && tm_scalar_type_of(rec) == TM_SCALAR_BOOL &&
						   strcmp(tm_scalar_str(rec, NULL), "true") == 0,
					.include = tm_map_get(d, "include"), .exclude = tm_map_get(d, "exclude"), .ns = ns,
					.app = tm_map_get_str(tm_map_get(doc, "metadata"), "name"), .at = tm_value_loc(f, nsv)});
}

/* A Flux Kustomization (kustomize.toolkit.fluxcd.io) with a targetNamespace and a path. */
static void add_flux(tm_scan_set *set, struct delivery **ds, size_t *n, size_t *cap, const tm_file *f, const tm_value *doc)
{
	const tm_value *spec = tm_map_get(doc, "spec"), *nsv = tm_map_get(spec, "targetNamespace");
	const char *path = tm_map_get_str(spec, "path"), *ns = tm_scalar_str(nsv, NULL);
	static const char *const changes[] = {"patches", "images", "namePrefix", "nameSuffix", "commonMetadata",
					      "components", "postBuild", NULL};
	if (path)
		note_overrides(set, f, spec, changes, "Flux Kustomization", tm_map_get_str(tm_map_get(doc, "metadata"), "name"));
	if (!path || !ns || !tm_ingest__dns_label(ns))
		return;
	push_delivery(set, ds, n, cap, path, f,
		      (struct delivery){.tool = "Flux Kustomization", .recurse = true, .override = true, .ns = ns,
					.app = tm_map_get_str(tm_map_get(doc, "metadata"), "name"), .at = tm_value_loc(f, nsv)});
}

/* Does delivery d take the file shown as display: in its directory, or under it when it recurses? */
static bool delivers(const struct delivery *d, const char *display)
{
	const char *base = basename_of(display);
	size_t dl = (size_t)(base - display);
	dl -= dl > 0; /* the directory without its '/' */
	size_t l = strlen(d->dir);
	bool here = l == dl && strncmp(d->dir, display, dl) == 0;
	bool under = d->recurse && (l == 0 || (l < dl && strncmp(d->dir, display, l) == 0 && display[l] == '/'));
	return !d->kustomized && (here || under) && !(d->include && !delivery_glob(d->include, display, base)) &&
	       !(d->exclude && delivery_glob(d->exclude, display, base));
}

/* The render holding d's copies: the same files another delivery places elsewhere, placed in d's
 * namespace too (a render of its own, named "DIR [APP]", reading nothing: they are two sets of
 * objects, not two builds of one). Its index, or -1 out of memory. */
static int extra_render(tm_scan_set *set, struct delivery *d)
{
	if (d->extra >= 0)
		return d->extra;
	if (TM_GROW(set->renders, set->cap_renders, set->nrenders + 1)) {
		set->oom = 1;
		return -1;
	}
	struct render *rd = &set->renders[set->nrenders];
	memset(rd, 0, sizeof(*rd));
	rd->name = tm_arena_printf(set->arena, "%s [%s]", *d->dir ? d->dir : ".", d->app ? d->app : "?");
	rd->format = TM_FMT_KUBERNETES;
	rd->item = -1;
	rd->only_sysdef = -1;
	d->extra = (int)set->nrenders++;
	d->copy = true;
	return d->extra;
}

/* A copy of f holding the objects d places (the others, cluster-scoped or named in a namespace,
 * are the same objects as the first delivery's), placed, into d's render; the count placed. */
static size_t place_copy(tm_scan_set *set, struct delivery *d, const tm_file *f)
{
	tm_file *copy = tm_file_new_rendered(tm_file_path(f));
	bool oom = !copy;
	size_t placed = 0;
	for (size_t k = 0; !oom && k < tm_file_doc_count(f); k++) {
		tm_value *v = tm_value_copy(copy, f, tm_file_doc(f, k));
		size_t p = v ? place_object(copy, v, d->ns, &d->at, d->override, &oom, false) : 0;
		oom = oom || !v || (p && tm_file_add_doc(copy, v));
		placed += p;
	}
	int r = !oom && placed ? extra_render(set, d) : -1;
	struct render *rd = r >= 0 ? &set->renders[r] : NULL;
	if (oom || !rd || TM_GROW(rd->outs, d->extra_cap, rd->nouts + 1)) {
		set->oom |= oom || (placed && !set->oom && r >= 0);
		tm_file_free(copy);
		return 0;
	}
	rd->outs[rd->nouts++] = copy;
	return placed;
}

struct deliveries_found {
	tm_scan_set *set;
	struct delivery *ds;
	size_t n, cap;
};

static void delivery_from(void *ud, const tm_file *f, const tm_value *doc, enum gitops_kind kind, const tm_value *src,
			  const tm_value *sources)
{
	struct deliveries_found *df = ud;
	(void)sources;
	if (kind == GITOPS_FLUX_KUSTOMIZATION)
		add_flux(df->set, &df->ds, &df->n, &df->cap, f, doc);
	else if (kind == GITOPS_ARGO_APP)
		add_argo(df->set, &df->ds, &df->n, &df->cap, f, doc, src);
}

static void plan_deliveries(tm_scan_set *set)
{
	struct deliveries_found df = {set, NULL, 0, 0};
	each_gitops(set, delivery_from, &df);
	/* an ApplicationSet a render makes is not expanded (plan_appsets reads the tree's own): said */
	for (size_t r = 0; r < set->nrenders && !set->oom; r++)
		for (size_t k = 0; k < set->renders[r].nouts; k++)
			for (size_t d = 0; d < tm_file_doc_count(set->renders[r].outs[k]); d++) {
				const tm_value *doc = tm_file_doc(set->renders[r].outs[k], d);
				const char *name = tm_map_get_str(tm_map_get(doc, "metadata"), "name");
				if (gitops_kind(doc) == GITOPS_ARGO_APPSET)
					tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, tm_value_loc(set->renders[r].outs[k], doc),
						    "the Argo CD ApplicationSet %s is made by %s: an ApplicationSet a render makes is "
						    "not expanded, so the Applications it generates are not modelled",
						    name ? name : "?", set->renders[r].name);
			}
	struct delivery *ds = df.ds;
	size_t n = df.n;
	for (size_t i = 0; i < n; i++)
		ds[i].extra = -1;
	/* a kustomization at a delivery's path: its output is what is applied, placed as it is by the
	 * first delivery of the directory; a delivery elsewhere places a copy */
	size_t nrenders = set->nrenders; /* the copies' renders come after */
	for (size_t r = 0; r < nrenders && n && !set->oom; r++) {
		struct delivery *first = NULL;
		for (size_t i = 0; i < n && set->renders[r].format == TM_FMT_KUSTOMIZE && !set->oom; i++) {
			if (strcmp(set->renders[r].name, *ds[i].dir ? ds[i].dir : ".") != 0)
				continue;
			ds[i].kustomized = true;
			bool seen = first && strcmp(first->ns, ds[i].ns) == 0; /* copies from the output as rendered */
			for (size_t p = 0; p < i && first && !seen; p++)
				seen = ds[p].extra >= 0 && strcmp(ds[p].dir, ds[i].dir) == 0 && strcmp(ds[p].ns, ds[i].ns) == 0;
			for (size_t k = 0; k < set->renders[r].nouts && first && !seen; k++)
				ds[i].placed += place_copy(set, &ds[i], set->renders[r].outs[k]);
			first = first ? first : &ds[i];
		}
		bool oom = false; /* then the output itself, placed by the first */
		for (size_t k = 0; first && k < set->renders[r].nouts; k++)
			first->placed += place_in_namespace(set->renders[r].outs[k], first->ns, &first->at, first->override, &oom);
		if (oom)
			set->oom = 1;
	}
	/* plain manifests: a copy of the shared tree, placed by the first delivery taking them; each
	 * delivery of them into another namespace places a copy of its own */
	for (size_t i = 0; i < set->ncands && n && !set->oom; i++) {
		struct candidate *c = &set->cands[i];
		if (!c->file || c->owner || !tm_file_doc_count(c->file))
			continue;
		struct delivery *d = NULL;
		for (size_t k = 0; k < n && !d; k++)
			d = delivers(&ds[k], c->display) ? &ds[k] : NULL;
		if (!d)
			continue;
		for (struct delivery *e = d + 1; e < ds + n && !set->oom; e++) {
			bool seen = strcmp(e->ns, d->ns) == 0; /* the same namespace as one placed before */
			for (struct delivery *p = d + 1; p < e && !seen; p++)
				seen = delivers(p, c->display) && strcmp(p->ns, e->ns) == 0;
			if (!seen && delivers(e, c->display))
				e->placed += place_copy(set, e, c->file);
		}
		tm_file *copy = tm_file_new_rendered(c->display);
		bool oom = !copy;
		for (size_t k = 0; !oom && k < tm_file_doc_count(c->file); k++) {
			tm_value *v = tm_value_copy(copy, c->file, tm_file_doc(c->file, k));
			oom = !v || tm_file_add_doc(copy, v);
		}
		size_t placed = oom ? 0 : place_in_namespace(copy, d->ns, &d->at, d->override, &oom);
		if (oom)
			set->oom = 1;
		if (placed && !oom) {
			c->placed = copy;
			d->placed += placed;
		} else {
			tm_file_free(copy);
		}
	}
	for (size_t i = 0; i < n && !set->oom; i++) {
		struct delivery *d = &ds[i];
		const char *where = *d->dir ? d->dir : "the root";
		if (d->placed)
			tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, d->at, "the %s %s delivers %s into namespace %s: %zu object%s %s%s%s",
				    d->tool, d->app ? d->app : "?", where, d->ns, d->placed, d->placed == 1 ? "" : "s",
				    d->override ? "placed there (targetNamespace replaces a namespace written in them)"
						: "written without a namespace placed there",
				    d->copy ? " (a copy of them: another delivery sends the same files to another namespace)" : "",
				    read_from(set, d->top));
	}
	tm_free(ds);
}

/* A compose file's project, for the plan: its directory ("." at the top); NULL for other files. */
static const char *compose_project(tm_scan_set *set, const struct candidate *c)
{
	for (size_t i = 0; i < tm_file_doc_count(c->file); i++) {
		tm_detected det;
		tm_detect(tm_file_doc(c->file, i), basename_of(c->display), &det);
		if (det.format != TM_FMT_COMPOSE)
			continue;
		const char *slash = strrchr(c->display, '/');
		return slash ? tm_arena_strndup(set->arena, c->display, (size_t)(slash - c->display)) : ".";
	}
	return NULL;
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
		if (!c->file || c->owner)
			continue;
		c->item = (int)n;
		set->items[n++] = (tm_plan_item){c->display, (const tm_file *const *)(c->placed ? &c->placed : &c->file), 1, false, -1,
						 compose_project(set, c), -1, NULL, 0};
	}
	for (size_t i = 0; i < set->nrenders; i++) {
		struct render *rd = &set->renders[i];
		rd->item = (int)n;
		set->items[n++] = (tm_plan_item){rd->name, (const tm_file *const *)rd->outs, rd->nouts, true, -1, NULL,
						 rd->only_sysdef, rd->consumed, rd->nconsumed};
	}
	set->nitems = n;
	if (set->nsysdefs ? tm_plan_explicit(set->arena, set->items, n, set->sysdefs, set->nsysdefs, &set->plan)
			  : tm_plan_solve(set->arena, set->items, n, &set->plan))
		set->oom = 1;
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
		plan_deliveries(set);
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
		const char *name = basename_of(files[i].path);
		if (name != files[i].path && strcmp(name, "CMakeCache.txt") == 0 &&
		    tm_hmap_put(&cmake_dirs, files[i].path, (size_t)(name - 1 - files[i].path), (void *)1))
			set->oom = 1;
	}
	char dir[PATH_MAX];
	for (size_t i = 0; i < n && !set->oom; i++) {
		const char *name = basename_of(files[i].path);
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
	tm_free(set->renders);
	tm_free(set->cands);
	tm_free(set->skips);
	tm_free(set->ref_roots);
	tm_free(set->diag_system);
	tm_diag_list_dispose(&set->diags);
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
		if (c->render < 0) {
			tm_formatf(buf, size, "in %s, not read by it", c->owner);
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

/* The rendered documents of the renders this system holds, and the files they read as inputs. */
static void ingest_renders(struct ingest_run *r)
{
	tm_scan *s = r->s;
	const tm_scan_set *set = s->set;
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
				take_doc(r, f, doc, &t, basename_of(tm_file_path(f)), 0);
			}
		}
		(void)t; /* the files it read are listed as inputs of its format (render_input) */
	}
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

static void dedupe_doc(struct ingest_run *r, struct dedupe *dd, tm_strbuf *sb, const tm_file *f, const tm_value *doc,
		       int depth)
{
	const char *kind = tm_map_get_str(doc, "kind");
	if (depth == 0 && kind && strcmp(kind, "List") == 0) {
		const tm_value *items = tm_map_get(doc, "items");
		for (size_t i = 0; i < tm_value_len(items); i++)
			dedupe_doc(r, dd, sb, f, tm_seq_at(items, i), 1);
		return;
	}
	const char *key = tm_objs__key(sb, doc);
	if (!key)
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

/* Every object of the system, before any is fed. */
static void dedupe_plan(struct ingest_run *r, struct dedupe *dd)
{
	tm_scan *s = r->s;
	const tm_scan_set *set = s->set;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < set->ncands && !s->oom; i++) {
		const struct candidate *c = &set->cands[i];
		if (!c->file || c->owner || (c->item >= 0 && !tm_plan_has(&set->plan, &set->items[c->item], (size_t)s->system)))
			continue;
		const tm_file *f = c->placed ? c->placed : c->file;
		for (size_t d = 0; d < tm_file_doc_count(f); d++)
			dedupe_doc(r, dd, &sb, f, tm_file_doc(f, d), 0);
	}
	for (size_t i = 0; i < set->nrenders && !s->oom; i++) {
		const struct render *rd = &set->renders[i];
		if (!tm_plan_has(&set->plan, &set->items[rd->item], (size_t)s->system))
			continue;
		for (size_t j = 0; j < rd->nouts; j++)
			for (size_t d = 0; d < tm_file_doc_count(rd->outs[j]); d++)
				dedupe_doc(r, dd, &sb, rd->outs[j], tm_file_doc(rd->outs[j], d), 0);
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
		if (k == -1 || k == s->system)
			tm_diag_add(&s->diags, d->code, d->level, d->loc, "%s", d->msg);
	}
	dedupe_plan(&r, &dd);
	r.ctx.gw = format_state(&r, TM_FMT_GATEWAY); /* gateways are found by several readers */
	bool *read = read_here(set, s);
	if (!read)
		s->oom = 1;
	for (size_t i = 0; i < set->ncands && !s->oom; i++) {
		const struct candidate *c = &set->cands[i];
		char buf[512];
		const char *why = not_here(set, s, c, read, buf, sizeof(buf));
		if (why)
			add_skip(s, c->display, why);
		else if (c->owner)
			render_input(s, c);
		else
			process(&r, c, &set->limits);
	}
	tm_free(read);
	ingest_renders(&r);
	for (int k = 0; k < TM_FMT__COUNT; k++) {
		const tm_ingester *ing = tm_format_ingester((tm_format)k);
		if (r.begun[k] && ing->finish && !s->oom)
			ing->finish(&r.ctx, r.state[k]);
		if (r.begun[k] && ing->end)
			ing->end(r.state[k]);
	}
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
	    a->only_sysdef != b->only_sysdef || a->d0 != b->d0 || a->d1 != b->d1)
		return false;
	for (size_t i = 0; i < a->nconsumed; i++)
		if (a->consumed[i] != b->consumed[i])
			return false;
	return true;
}

static bool same_cand(const struct candidate *a, const struct candidate *b)
{
	return same_str(a->display, b->display) && a->codeowners == b->codeowners && a->dotenv == b->dotenv &&
	       a->proto == b->proto && a->properties == b->properties && a->nginx == b->nginx && a->hcl == b->hcl && a->metrics == b->metrics &&
	       a->streamed == b->streamed && !a->file == !b->file && !a->placed == !b->placed && same_str(a->skip, b->skip) &&
	       same_str(a->owner, b->owner) && a->render == b->render && a->item == b->item &&
	       a->spec_only == b->spec_only;
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
