/*
 * cli/cli.h - the front door: the only room that touches argv, the environment,
 * stdout/stderr and exit codes. Commands use the library like any outside caller.
 */
#ifndef TM_CLI_H
#define TM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "trustmap/common.h"
#include "trustmap/scan.h"

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
int tm_cmd_query(int argc, char **argv);
int tm_cmd_diff(int argc, char **argv);
int tm_cmd_rules(int argc, char **argv);
int tm_cmd_paths(int argc, char **argv);
int tm_cmd_explain(int argc, char **argv);
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

/* Scan roots into *out (free with tm_scan_free even on failure). Diagnostics go to stderr
 * (quiet: only a count, unless the input is unreadable). Returns TM_EXIT_OK or TM_EXIT_INPUT. */
int tm_cli_load(tm_scan **out, const char **roots, size_t nroots, bool quiet);

/* NO_COLOR unset and fp a terminal. */
bool tm_cli_color(FILE *fp);

#endif
