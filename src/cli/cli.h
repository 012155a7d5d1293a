/*
 * cli/cli.h - the front door: the only room that touches argv, the environment,
 * stdout/stderr and exit codes. Commands use the library like any outside caller.
 */
#ifndef TM_CLI_H
#define TM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <limits.h>
#include <stdint.h>

#include "opts.h"
#include "trustmap/analysis.h"
#include "trustmap/common.h"
#include "trustmap/findings.h"
#include "trustmap/git.h"
#include "trustmap/paths.h"
#include "trustmap/scan.h"
#include "trustmap/store.h"

/* Exit codes (CONTRACT.md). */
enum {
	TM_EXIT_OK = 0,
	TM_EXIT_GATE = 1,
	TM_EXIT_USAGE = 2,
	TM_EXIT_INPUT = 3,
	TM_EXIT_STORE = 4,
};

typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} tm_command;

int tm_cmd_scan(int argc, char **argv);
int tm_cmd_import(int argc, char **argv);
int tm_cmd_query(int argc, char **argv);
int tm_cmd_diff(int argc, char **argv);
int tm_cmd_rules(int argc, char **argv);
int tm_cmd_paths(int argc, char **argv);
int tm_cmd_explain(int argc, char **argv);
int tm_cmd_accept(int argc, char **argv);
int tm_cmd_status(int argc, char **argv);
int tm_cmd_findings(int argc, char **argv);
int tm_cmd_history(int argc, char **argv);
int tm_cmd_serve(int argc, char **argv);
int tm_cmd_version(int argc, char **argv);
int tm_cmd_help(int argc, char **argv);

/* Print "trustmap: <msg>" to stderr and return TM_EXIT_USAGE. */
int tm_cli_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Print errors and warnings as "path:line:col: level: message", the source line and a caret.
 * roots let display paths be found on disk. At most max are printed; returns how many were not. */
size_t tm_cli_print_diags(FILE *fp, const tm_diag_list *d, const char *const *roots, size_t nroots,
			  bool color, size_t max);

/* What every command that reads a tree may be told about the walk and the systems in it. */
typedef struct {
	tm_cli_list exclude; /* --exclude GLOB (repeatable) */
	const char *system;  /* --system NAME: one deployment variant */
	const char *helm;    /* --helm native|binary */
	bool no_gitignore;   /* --no-gitignore */
	const char *cache;   /* --cache DIR: parsed files kept by content */
	bool no_cache;       /* --no-cache */
} tm_cli_walk;

extern const char *const tm_cli_helm_modes[]; /* "native", "binary" */

#define TM_OPT_WALK(T, f)                                                                                   \
	TM_OPT_MANY(T, "--exclude", f.exclude, "GLOB",                                                      \
		    "leave out files and directories matching GLOB, relative to the root\n"                 \
		    "(repeatable; a GLOB without a slash also matches a base name)"),                      \
	TM_OPT_BOOL(T, "--no-gitignore", f.no_gitignore, "read files the repository's .gitignore leaves out too"), \
	TM_OPT_STR(T, "--system", 0, f.system, "NAME",                                                     \
		   "only the deployment variant NAME (a directory or render root, as the\n"                \
		   "report's systems list names it)"),                                                     \
	TM_OPT_ONE_OF(T, "--helm", f.helm, "MODE", tm_cli_helm_modes,                                      \
		      "charts rendered natively (default) or by the helm program on PATH (binary)"),              \
	TM_OPT_STR(T, "--cache", 0, f.cache, "DIR",                                                         \
		   "keep parsed files here by content, so unchanged files are not parsed\n"                 \
		   "again (default: $TRUSTMAP_CACHE, else cache/ under $XDG_STATE_HOME/trustmap)"),        \
	TM_OPT_BOOL(T, "--no-cache", f.no_cache, "parse every file (no cache is read or written)")

/* Analyse roots into *out (tm_analysis_run; free with tm_analysis_free even on failure), named
 * name, or (NULL) after the single root's directory; walk (may be NULL) says what to leave out and
 * which system (default: the primary). Diagnostics go to stderr (quiet: only a count, unless the
 * input is unreadable). Returns TM_EXIT_OK, TM_EXIT_INPUT (unreadable, or out of memory) or
 * TM_EXIT_USAGE (no such system). */
int tm_cli_analysis(tm_analysis **out, const char **roots, size_t nroots, const char *name, bool quiet,
		    const tm_cli_walk *walk);
/* Every system of the roots (or walk->system alone): *n analyses, the primary first; free with
 * tm_analysis_free_all. Returns as tm_cli_analysis. */
int tm_cli_analysis_all(tm_analysis ***out, size_t *n, const char **roots, size_t nroots, bool quiet,
			const tm_cli_walk *walk);
/* The two sides of a diff, analysed side by side: head_root, and base_root or (base_files set) the
 * nbase files of a git tree named base_name. Each side's blast radius is left to
 * tm_analysis_weigh_review (defer_blast), the head's unless head_whole (its run is recorded).
 * Sides with the same inputs get one analysis (tm_analysis_run_pair): *base == *head. Returns as
 * tm_cli_analysis, the head judged first; free both with tm_analysis_free even on failure, one
 * when they are the same. */
int tm_cli_analysis_pair(tm_analysis **head, const char *head_root, tm_analysis **base, const char *base_root,
			 const tm_mem_file *base_files, size_t nbase, const char *base_name, const tm_cli_walk *walk,
			 bool head_whole);
/* The same for files held in memory (a git tree). */
int tm_cli_analysis_mem(tm_analysis **out, const tm_mem_file *files, size_t n, const char *name,
			const tm_cli_walk *walk);

/* The parse cache the walk's options name (load.c): opened on first use, shared by every analysis
 * of the run; NULL when off or when it cannot be created (a note says so once). */
tm_parse_cache *tm_cli_cache(const tm_cli_walk *walk);
/* Close it (pruning it to its bound) at the end of the run. */
void tm_cli_cache_close(void);
/* Should a command free its analyses before it returns? Not in a release build: the process ends
 * right after, and the kernel takes the memory back at once where free() walks it (0.2 s of a
 * 5,000-service diff). A sanitizer build frees everything, so leak checks still see every
 * allocation, as does any build with TRUSTMAP_FREE_AT_EXIT set (to anything but 0: valgrind). */
bool tm_cli_free_at_exit(void);
/* The state directory: $XDG_STATE_HOME/trustmap (absolute only), else ~/.local/state/trustmap;
 * false when neither can be named (register.c). */
bool tm_cli_state_dir(char *out, size_t len);

/* The risk register as commands see it (register.c). */
typedef struct {
	tm_store *store;        /* NULL: running without one */
	char url[PATH_MAX + 32];
	char root[PATH_MAX + 2048]; /* the root key */
	char git_dir[PATH_MAX]; /* the scanned directory, for git */
	tm_git_place git;
	bool in_git;
	int64_t now;
	char today[11];         /* YYYY-MM-DD, UTC */
} tm_cli_store;

typedef struct {
	const char *url;   /* --store, or NULL */
	bool no_store;     /* --no-store */
	const char *const *roots;
	size_t nroots;     /* at least 1 */
	bool create;       /* scan/diff: create the default store; the others need one to exist */
} tm_cli_store_opts;

/* Open the store (or none); prints why and returns TM_EXIT_STORE or TM_EXIT_USAGE on failure. */
int tm_cli_store_open(tm_cli_store *cs, const tm_cli_store_opts *o);
/* The same for commands that only read (findings, history): a read-only register can be read. */
int tm_cli_store_open_read_only(tm_cli_store *cs, const tm_cli_store_opts *o);
void tm_cli_store_close(tm_cli_store *cs);
/* The store's URL without a password, for messages. */
const char *tm_cli_store_display(const tm_cli_store *cs);
/* Print the store's last error about what and return TM_EXIT_STORE. */
int tm_cli_store_fail(tm_cli_store *cs, const char *what);
/* Settle the findings' statuses: the overlay, then the register's decisions, as of today. */
int tm_cli_store_settle(tm_cli_store *cs, tm_analysis *a);
/* Record a run of the analysis (a no-op without a store). */
int tm_cli_store_record(tm_cli_store *cs, const char *command, const tm_analysis *a, bool partial);
/* TRUSTMAP_NOW or the system clock; today as YYYY-MM-DD (UTC). */
int tm_cli_clock(int64_t *now, char today[11]);
/* Who is deciding: TRUSTMAP_USER, GITHUB_ACTOR, GITLAB_USER_LOGIN, USER, LOGNAME, or "unknown". */
const char *tm_cli_who(void);

/* The gate: print why and return true if an open finding at or above sev is among list[0..n) (the
 * new findings of a diff), or among all when list is NULL. what names sev for the message. */
bool tm_cli_gate(const tm_findings *all, const tm_finding *const *list, size_t n, tm_severity sev, const char *what);
/* One line on stderr per accepted risk past its expiry. */
void tm_cli_note_expired(const tm_findings *f);

/* Room for one more element in a growing array (*items, *n used, *cap): false when memory ran out. */
bool tm_cli_grow(void **items, size_t n, size_t *cap, size_t elem);

/* The report formats, comma-separated, for messages. */
const char *tm_cli_format_list(void);


/* NO_COLOR unset and fp a terminal. */
bool tm_cli_color(FILE *fp);

#endif
