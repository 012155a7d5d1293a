/* load.c - analysing the roots a command was given, the same way for every command. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define MAX_PRINTED_DIAGS 20

/* The system's name for report titles: the single root's directory name. */
static const char *title_of(const char *root, char *buf, size_t len)
{
	char real[PATH_MAX];
	if (!realpath(root, real))
		return root;
	const char *slash = strrchr(real, '/');
	const char *name = slash && slash[1] ? slash + 1 : real;
	size_t n = strlen(name) < len - 1 ? strlen(name) : len - 1;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return buf;
}

static int report_diags(const tm_analysis *a, const char *const *roots, size_t nroots, bool quiet)
{
	const tm_diag_list *d = tm_analysis_diags(a);
	bool unreadable = tm_analysis_unreadable(a);
	if (!quiet || unreadable) {
		size_t hidden = tm_cli_print_diags(stderr, d, roots, nroots, tm_cli_color(stderr), MAX_PRINTED_DIAGS);
		if (hidden)
			fprintf(stderr, "trustmap: %zu more diagnostics in the report\n", hidden);
		if (unreadable) /* no report follows: say why, once, after the diagnostics */
			fprintf(stderr, "trustmap: no input file could be read (errors above); nothing to analyse\n");
	} else {
		size_t problems = tm_diag_count(d, TM_LEVEL_WARNING);
		if (problems)
			fprintf(stderr, "trustmap: %zu problem%s reading the inputs; 'trustmap scan' of the same paths lists them\n",
				problems, problems == 1 ? "" : "s");
	}
	return unreadable ? TM_EXIT_INPUT : TM_EXIT_OK;
}

/* The warnings and errors of each system after the first that the first's do not hold (an overlay
 * that does not build, a chart's variant whose template fails), under the variant's name, so that a
 * problem of a variant the reports do not show first is never silent. Both lists are sorted
 * (tm_diag_list_sort): one walk side by side. */
static void other_variants_diags(tm_analysis *const *list, size_t n, const char *const *roots, size_t nroots,
				 bool quiet)
{
	const tm_diag_list *first = n > 1 ? tm_analysis_diags(list[0]) : NULL;
	size_t quiet_count = 0;
	for (size_t s = 1; first && s < n; s++) {
		const tm_diag_list *d = tm_analysis_diags(list[s]);
		tm_diag_list own = TM_DIAG_LIST_INIT;
		for (size_t i = 0, j = 0; d && i < d->count; i++) {
			const tm_diag *g = &d->items[i];
			int c = 1;
			while (j < first->count && (c = tm_diag_compare(&first->items[j], g)) < 0)
				j++;
			if (g->level >= TM_LEVEL_WARNING && (j == first->count || c != 0))
				tm_diag_add(&own, g->code, g->level, g->loc, "%s", g->msg ? g->msg : "");
		}
		if (own.count && quiet) {
			quiet_count += own.count;
		} else if (own.count) {
			const char *name = tm_analysis_system(list[s]);
			fprintf(stderr, "trustmap: in variant '%s' (not the one the report shows first; --system reports it):\n",
				name ? name : "?");
			size_t hidden = tm_cli_print_diags(stderr, &own, roots, nroots, tm_cli_color(stderr), MAX_PRINTED_DIAGS);
			if (hidden)
				fprintf(stderr, "trustmap: %zu more diagnostics of that variant in the JSON report\n", hidden);
		}
		tm_diag_list_dispose(&own);
	}
	if (quiet_count)
		fprintf(stderr, "trustmap: %zu more problem%s in other variants; 'trustmap scan' of the same paths lists them\n",
			quiet_count, quiet_count == 1 ? "" : "s");
}

static int finish(tm_analysis **out, int rc, const char *const *roots, size_t nroots, bool quiet)
{
	if (!*out) {
		fprintf(stderr, "trustmap: out of memory\n");
		return TM_EXIT_INPUT;
	}
	int erc = report_diags(*out, roots, nroots, quiet);
	if (rc == TM_ENOMEM) {
		fprintf(stderr, "trustmap: out of memory\n");
		return TM_EXIT_INPUT;
	}
	return erc;
}

/*
 * A progress line on stderr while an analysis runs, on a terminal only and once it has taken over a
 * second (so quick scans print nothing), overwritten in place and erased at the end. Never in a
 * report: reports go to stdout or a file.
 */
struct progress {
	struct timespec start;
	double after;         /* seconds before the first line: 1, or $TRUSTMAP_PROGRESS_AFTER */
	double last;          /* seconds since start at the last line written */
	char last_phase[64];  /* its phase: the text before a count's ':' */
	bool shown;
	bool timings;         /* $TRUSTMAP_TIMINGS: each phase on a line of its own, with its start time */
	pthread_mutex_t lock; /* phases come from the parsing threads and from both sides of a diff */
};

static double since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A phase, or a count within one ("reading inputs: 512 of 10080 files"): written once the analysis
 * has taken p->after seconds; a phase's first line at once, its further counts at most ten times a
 * second. */
static void on_phase(void *ud, const char *phase)
{
	struct progress *p = ud;
	double t = since(&p->start);
	if (t < p->after)
		return;
	size_t n = strcspn(phase, ":");
	n = n < sizeof(p->last_phase) - 1 ? n : sizeof(p->last_phase) - 1;
	pthread_mutex_lock(&p->lock);
	bool same = strncmp(p->last_phase, phase, n) == 0 && p->last_phase[n] == '\0';
	if (p->timings) {
		if (!same)
			fprintf(stderr, "trustmap: %7.3f s: %.*s\n", t, (int)n, phase);
		memcpy(p->last_phase, phase, n);
		p->last_phase[n] = '\0';
	} else if (!same || t - p->last >= 0.1) {
		fprintf(stderr, "\r\033[Ktrustmap: %s...", phase);
		fflush(stderr);
		p->shown = true;
		p->last = t;
		memcpy(p->last_phase, phase, n);
		p->last_phase[n] = '\0';
	}
	pthread_mutex_unlock(&p->lock);
}

static void progress_end(const struct progress *p)
{
	if (p->timings)
		fprintf(stderr, "trustmap: %7.3f s: analysed\n", since(&p->start));
	else if (p->shown)
		fputs("\r\033[K", stderr);
}

const char *const tm_cli_helm_modes[] = {"native", "binary", NULL};

/* The helm program on PATH, into buf; NULL when there is none. */
static const char *helm_on_path(char *buf, size_t cap)
{
	const char *path = getenv("PATH");
	for (const char *p = path; p && *p;) {
		size_t n = strcspn(p, ":");
		if (n && snprintf(buf, cap, "%.*s/helm", (int)n, p) < (int)cap && access(buf, X_OK) == 0)
			return buf;
		p += n + (p[n] == ':');
	}
	return NULL;
}

#define TM_CACHE_MAX_BYTES ((uint64_t)1 << 30) /* 1 GiB: pruned to 3/4 of it, oldest entries first */

static tm_parse_cache *run_cache;
static bool run_cache_tried;

tm_parse_cache *tm_cli_cache(const tm_cli_walk *walk)
{
	if (walk && walk->no_cache)
		return NULL;
	if (run_cache_tried)
		return run_cache;
	run_cache_tried = true;
	const char *env = getenv("TRUSTMAP_CACHE");
	char dir[PATH_MAX];
	if (walk && walk->cache)
		snprintf(dir, sizeof(dir), "%s", walk->cache);
	else if (env && strcmp(env, "off") == 0)
		return NULL;
	else if (env && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else if (!tm_cli_state_dir(dir, sizeof(dir)) || strlen(dir) + 7 >= sizeof(dir))
		return NULL;
	else
		memcpy(dir + strlen(dir), "/cache", 7);
	run_cache = tm_parse_cache_open(dir, NULL, TM_CACHE_MAX_BYTES);
	if (!run_cache)
		fprintf(stderr, "trustmap: note: cannot use the parse cache %s (%s); parsing every file\n", dir,
			strerror(errno));
	return run_cache;
}

bool tm_cli_free_at_exit(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(TM_ARENA_DEBUG)
	return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return true;
#endif
#endif
	const char *e = getenv("TRUSTMAP_FREE_AT_EXIT");
	return e && *e && strcmp(e, "0") != 0;
}

void tm_cli_cache_close(void)
{
	tm_parse_cache_close(run_cache);
	run_cache = NULL;
}

/* The walk's options into opts: 0, or a usage error's exit code (--helm=binary without helm). */
static int walk_opts(tm_analysis_opts *opts, const tm_cli_walk *walk)
{
	static char helm[PATH_MAX];
	if (!walk)
		return 0;
	opts->exclude = walk->exclude.items;
	opts->nexclude = walk->exclude.n;
	opts->no_gitignore = walk->no_gitignore;
	opts->system = walk->system;
	opts->cache = tm_cli_cache(walk);
	if (walk->helm && strcmp(walk->helm, "binary") == 0) {
		opts->helm_binary = helm_on_path(helm, sizeof(helm));
		if (!opts->helm_binary)
			return tm_cli_usage_error("--helm=binary: no helm program on PATH (without it charts are rendered natively)");
	}
	return 0;
}

/* The options of an analysis of roots, with a progress line on a terminal (not in CI). */
static int roots_opts(tm_analysis_opts *opts, struct progress *p, const char **roots, size_t nroots,
		      const char *name, const tm_cli_walk *walk)
{
	*opts = (tm_analysis_opts){.roots = roots, .nroots = nroots, .name = name};
	tm_limits_default(&opts->limits);
	*p = (struct progress){.after = 1.0, .shown = false, .lock = PTHREAD_MUTEX_INITIALIZER};
	const char *after = getenv("TRUSTMAP_PROGRESS_AFTER");
	char *end = NULL;
	double secs = after && *after ? strtod(after, &end) : 1.0;
	if (end && !*end && secs >= 0.0 && secs <= 3600.0)
		p->after = secs;
	const char *timings = getenv("TRUSTMAP_TIMINGS");
	p->timings = timings && *timings && strcmp(timings, "0") != 0;
	if (p->timings)
		p->after = 0.0;
	if (p->timings || (isatty(fileno(stderr)) && !getenv("CI"))) {
		clock_gettime(CLOCK_MONOTONIC, &p->start);
		opts->progress = on_phase;
		opts->progress_ud = p;
	}
	return walk_opts(opts, walk);
}

static int no_system(const tm_cli_walk *walk)
{
	fprintf(stderr, "trustmap: no system named '%s': the report's systems list (scan --format json, "
			"\"systems\") names them\n", walk->system);
	return TM_EXIT_USAGE;
}

int tm_cli_analysis(tm_analysis **out, const char **roots, size_t nroots, const char *name, bool quiet,
		    const tm_cli_walk *walk)
{
	char title[256];
	if (!name)
		name = nroots == 1 ? title_of(roots[0], title, sizeof(title)) : "system";
	tm_analysis_opts opts;
	struct progress p;
	int urc = roots_opts(&opts, &p, roots, nroots, name, walk);
	if (urc)
		return urc;
	int rc = tm_analysis_run(out, &opts);
	progress_end(&p);
	if (rc == TM_EINVALID && !*out)
		return no_system(walk);
	return finish(out, rc, roots, nroots, quiet);
}

int tm_cli_analysis_all(tm_analysis ***out, size_t *n, const char **roots, size_t nroots, bool quiet,
			const tm_cli_walk *walk)
{
	char title[256];
	const char *name = nroots == 1 ? title_of(roots[0], title, sizeof(title)) : "system";
	tm_analysis_opts opts;
	struct progress p;
	int urc = roots_opts(&opts, &p, roots, nroots, name, walk);
	if (urc)
		return urc;
	int rc = tm_analysis_run_all(out, n, &opts);
	progress_end(&p);
	if (rc == TM_EINVALID && !*n)
		return no_system(walk);
	if (!*n) {
		fprintf(stderr, "trustmap: out of memory\n");
		return TM_EXIT_INPUT;
	}
	/* the primary's diagnostics (every system shares the walk's and the parser's), then what the
	 * others hold beyond them (a variant's own render error) */
	int erc = finish(&(*out)[0], rc, roots, nroots, quiet);
	other_variants_diags(*out, *n, roots, nroots, quiet);
	return erc;
}

/* The options of an analysis of files held in memory (a git tree): no .gitignore to respect (a tree
 * holds what was committed), the walk's excludes, system and parse cache. */
static void mem_opts(tm_analysis_opts *opts, const tm_mem_file *files, size_t n, const char *name,
		     const tm_cli_walk *walk)
{
	*opts = (tm_analysis_opts){.files = files, .nfiles = n, .name = name};
	tm_limits_default(&opts->limits);
	opts->system = walk ? walk->system : NULL;
	opts->cache = tm_cli_cache(walk);
	if (walk) {
		opts->exclude = walk->exclude.items;
		opts->nexclude = walk->exclude.n;
	}
}

int tm_cli_analysis_pair(tm_analysis **head, const char *head_root, tm_analysis **base, const char *base_root,
			 const tm_mem_file *base_files, size_t nbase, const char *base_name, const tm_cli_walk *walk,
			 bool head_whole)
{
	char title[256], base_title[256];
	const char *head_roots[] = {head_root}, *base_roots[] = {base_root};
	tm_analysis_opts opts[2];
	tm_analysis *an[2] = {NULL, NULL};
	int rcs[2] = {0, 0};
	struct progress p;
	int urc = roots_opts(&opts[0], &p, head_roots, 1, title_of(head_root, title, sizeof(title)), walk);
	if (urc)
		return urc;
	char prefix[PATH_MAX] = "";
	if (base_files) {
		mem_opts(&opts[1], base_files, nbase, base_name, walk);
		/* the base is the head's directory at another commit: the same place in the repository */
		tm_scan_repo_prefix(head_root, prefix, sizeof(prefix));
		opts[1].repo_prefix = prefix;
	} else {
		opts[1] = opts[0]; /* the same walk; the head's progress line alone */
		opts[1].roots = base_roots;
		opts[1].name = title_of(base_root, base_title, sizeof(base_title));
		opts[1].progress = NULL;
	}
	/* the blast radius walked only for the findings the review shows (tm_analysis_weigh_review):
	 * the base's always, the head's unless its run is recorded whole */
	opts[1].defer_blast = true;
	opts[0].defer_blast = !head_whole;
	/* the two sides share nothing but the parse cache (safe across threads), and through it each
	 * file both hold, parsed once: side by side */
	tm_parse_cache *own = opts[0].cache ? NULL : tm_parse_cache_open_memory();
	tm_parse_cache *pc = opts[0].cache ? opts[0].cache : own;
	opts[0].cache = opts[1].cache = pc;
	tm_parse_cache_share(pc, 2);
	bool shared = tm_analysis_run_pair(an, opts, rcs); /* the same inputs: one analysis of both */
	tm_parse_cache_share(pc, 0);
	tm_parse_cache_close(own);
	progress_end(&p);
	*head = an[0];
	*base = an[1];
	for (int i = 0; i < (shared ? 1 : 2); i++) {
		if (rcs[i] == TM_EINVALID && !an[i])
			return no_system(walk);
		bool mem = i == 1 && base_files;
		int rc = finish(i ? base : head, rcs[i], mem ? NULL : i ? base_roots : head_roots, mem ? 0 : 1, true);
		if (rc)
			return rc;
	}
	return TM_EXIT_OK;
}

int tm_cli_analysis_mem(tm_analysis **out, const tm_mem_file *files, size_t n, const char *name,
			const tm_cli_walk *walk)
{
	tm_analysis_opts opts;
	mem_opts(&opts, files, n, name, walk);
	int rc = tm_analysis_run(out, &opts);
	if (rc == TM_EINVALID && !*out)
		return no_system(walk);
	return finish(out, rc, NULL, 0, true);
}
