/*
 * cli/opts.h - options as data: one table per command, one parser (curl's aliases[] shape).
 *
 * A command describes each option once: its long name, its short letter, what its value is, the
 * field of the command's options struct it lands in (offsetof), and its help line. tm_cli_parse
 * reads argv with it, the same way for every command:
 *   --name value, --name=value, -x value, -xvalue; -h and --help print the generated help;
 *   "--" ends the options (everything after it is an argument); a lone "-" is an argument;
 *   an unknown option, a missing value, a value outside the option's set or range, and one
 *   argument too many are usage errors (exit 2) with the same wording everywhere.
 * Fixed sets (formats, severities, statuses...) match in any case; the field then holds the
 * set's own spelling. tm_cli_help writes the usage text from the same table, so the help, the
 * parser and docs/cli.md (checked by tests/e2e/cli_options.sh) cannot drift apart.
 */
#ifndef TM_CLI_OPTS_H
#define TM_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "trustmap/report.h"

typedef enum {
	TM_OPT_STRING,  /* const char *: the value (the last one given wins) */
	TM_OPT_CHOICE,  /* const char *: one of .choices, any case; the field gets the table's spelling */
	TM_OPT_CHOICES, /* const char *: a comma list of .choices, any case; lowercased in argv */
	TM_OPT_FORMAT,  /* const char *: a format of report kind .report (the library's list), any case */
	TM_OPT_INT,     /* long: an integer from .min to .max */
	TM_OPT_FLAG,    /* bool: set to true; takes no value */
	TM_OPT_LIST,    /* tm_cli_list: repeatable, every value kept in order */
	TM_OPT_IGNORED, /* accepted and ignored (its value too, when .arg is set): options scripts pass
			   to every command, like --no-store */
} tm_opt_kind;

typedef struct {
	const char **items; /* borrowed from argv; the array is the parser's (tm_cli_done frees it) */
	size_t n;
} tm_cli_list;

typedef struct {
	const char *name;    /* "--format" */
	char letter;         /* 'f' for -f, or 0 */
	tm_opt_kind kind;
	size_t offset;       /* of the field in the command's options struct */
	const char *arg;     /* the value's name in the help ("FMT"); NULL for a flag */
	const char *help;    /* the help text; '\n' starts another line */
	const char *const *choices; /* TM_OPT_CHOICE(S): NULL-terminated, lowercase */
	tm_report_kind report;      /* TM_OPT_FORMAT */
	long min, max;              /* TM_OPT_INT */
} tm_opt;

typedef struct {
	const char *name;      /* "scan" (messages and the help say "trustmap scan") */
	const char *synopsis;  /* after "usage: trustmap ": one or more lines */
	const char *about;     /* a paragraph, or NULL */
	const tm_opt *opts;
	size_t nopts;
	size_t maxpos;         /* arguments accepted (SIZE_MAX: any number) */
	const char *epilog;    /* after the options, or NULL */
} tm_cli_spec;

#define TM_CLI_SPEC(name, synopsis, about, opts, maxpos, epilog) \
	{name, synopsis, about, opts, sizeof(opts) / sizeof(opts[0]), maxpos, epilog}

/* offsetof(T, f), and a compile error unless field f of T has type type. */
#define TM_OPT_FIELD(T, f, type) (offsetof(T, f) + 0 * sizeof((type *)0 == &((T *)0)->f))

#define TM_OPT_STR(T, name, letter, f, arg, help) \
	{name, letter, TM_OPT_STRING, TM_OPT_FIELD(T, f, const char *), arg, help, NULL, TM_REPORT_SCAN, 0, 0}
#define TM_OPT_ONE_OF(T, name, f, arg, choices, help) \
	{name, 0, TM_OPT_CHOICE, TM_OPT_FIELD(T, f, const char *), arg, help, choices, TM_REPORT_SCAN, 0, 0}
#define TM_OPT_SOME_OF(T, name, f, arg, choices, help) \
	{name, 0, TM_OPT_CHOICES, TM_OPT_FIELD(T, f, const char *), arg, help, choices, TM_REPORT_SCAN, 0, 0}
#define TM_OPT_FMT(T, f, kind, help) \
	{"--format", 'f', TM_OPT_FORMAT, TM_OPT_FIELD(T, f, const char *), "FMT", help, NULL, kind, 0, 0}
#define TM_OPT_NUM(T, name, f, arg, lo, hi, help) \
	{name, 0, TM_OPT_INT, TM_OPT_FIELD(T, f, long), arg, help, NULL, TM_REPORT_SCAN, lo, hi}
#define TM_OPT_BOOL(T, name, f, help) \
	{name, 0, TM_OPT_FLAG, TM_OPT_FIELD(T, f, bool), NULL, help, NULL, TM_REPORT_SCAN, 0, 0}
#define TM_OPT_BOOL_S(T, name, letter, f, help) \
	{name, letter, TM_OPT_FLAG, TM_OPT_FIELD(T, f, bool), NULL, help, NULL, TM_REPORT_SCAN, 0, 0}
#define TM_OPT_MANY(T, name, f, arg, help) \
	{name, 0, TM_OPT_LIST, TM_OPT_FIELD(T, f, tm_cli_list), arg, help, NULL, TM_REPORT_SCAN, 0, 0}
#define TM_OPT_IGNORE(name, arg, help) {name, 0, TM_OPT_IGNORED, 0, arg, help, NULL, TM_REPORT_SCAN, 0, 0}
/* What every command that neither reads nor writes the register accepts and ignores. */
#define TM_OPT_IGNORE_STORE                                                                               \
	TM_OPT_IGNORE("--store", "URL", "accepted and ignored: this command reads no register"),           \
	TM_OPT_IGNORE("--no-store", NULL, "accepted and ignored: this command reads no register")

/* The values of fixed sets the commands share. */
extern const char *const tm_cli_severities[];   /* critical, high, medium, low */

enum { TM_CLI_HELP = -1 };

/*
 * Parse argv[1..argc) into opts (a struct whose fields the table names; the caller sets the
 * defaults first) and pos (the arguments, in order). Returns 0; TM_CLI_HELP after printing the help
 * on stdout (the command returns TM_EXIT_OK); or TM_EXIT_USAGE after printing why on stderr.
 * Whatever it returns, tm_cli_done(spec, opts, pos) frees what it allocated. A command that keeps
 * the option lists past its arguments frees pos->items itself and passes pos NULL.
 */
int tm_cli_parse(const tm_cli_spec *spec, int argc, char **argv, void *opts, tm_cli_list *pos);
void tm_cli_done(const tm_cli_spec *spec, void *opts, tm_cli_list *pos);

/* The help, generated from the table. */
void tm_cli_help(const tm_cli_spec *spec, FILE *fp);

/* s in lowercase / uppercase, in place; returns s. For values given in any case. */
char *tm_cli_lower(char *s);
char *tm_cli_upper(char *s);

#endif
