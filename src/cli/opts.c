/*
 * opts.c - the one option parser and the help written from the same tables (opts.h).
 *
 * Values stay borrowed from argv: a field holds a pointer into it, or into a choice table for
 * a fixed set. Only lists (repeatable options and the arguments) allocate, and tm_cli_done frees
 * them, so a command can return from anywhere after parsing through its one cleanup label.
 */
#include "opts.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *const tm_cli_severities[] = {"critical", "high", "medium", "low", NULL};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

char *tm_cli_lower(char *s)
{
	for (char *p = s; p && *p; p++)
		*p = lower(*p);
	return s;
}

char *tm_cli_upper(char *s)
{
	for (char *p = s; p && *p; p++)
		*p = upper(*p);
	return s;
}

/* a[0..n) equals b, ignoring ASCII case */
static bool caseeq_n(const char *a, size_t n, const char *b)
{
	for (size_t i = 0; i < n; i++)
		if (!b[i] || lower(a[i]) != lower(b[i]))
			return false;
	return b[n] == '\0';
}

static const char *const *choices_of(const tm_opt *o)
{
	return o->kind == TM_OPT_FORMAT ? tm_report_kind_formats(o->report) : o->choices;
}

/* "a, b or c" into buf */
static const char *or_list(const char *const *names, char *buf, size_t len)
{
	size_t used = 0, n = 0;
	buf[0] = '\0';
	while (names && names[n])
		n++;
	for (size_t i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
		used += w > 0 ? (size_t)w : 0;
	}
	return buf;
}

static bool list_add(tm_cli_list *l, const char *v)
{
	const char **items = realloc(l->items, (l->n + 1) * sizeof(*items));
	if (!items)
		return false;
	items[l->n++] = v;
	l->items = items;
	return true;
}

static int oom(void)
{
	fprintf(stderr, "trustmap: out of memory\n");
	return TM_EXIT_USAGE;
}

/* Check value v for option o and store it in opts. */
static int store(const tm_cli_spec *spec, const tm_opt *o, const char *shown, char *v, void *opts)
{
	char *field = (char *)opts + o->offset;
	char list[256];
	switch (o->kind) {
	case TM_OPT_STRING:
		*(const char **)field = v;
		return 0;
	case TM_OPT_CHOICE:
	case TM_OPT_FORMAT:
		for (const char *const *c = choices_of(o); c && *c; c++)
			if (caseeq_n(v, strlen(v), *c)) {
				*(const char **)field = *c;
				return 0;
			}
		if (o->kind == TM_OPT_FORMAT)
			return tm_cli_usage_error("%s: unknown format '%s' (%s)", spec->name, v,
						  or_list(choices_of(o), list, sizeof(list)));
		return tm_cli_usage_error("%s: %s takes %s, not '%s'", spec->name, shown,
					  or_list(choices_of(o), list, sizeof(list)), v);
	case TM_OPT_CHOICES:
		for (const char *p = tm_cli_lower(v); *p;) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			bool ok = false;
			for (const char *const *c = o->choices; *c && !ok; c++)
				ok = caseeq_n(p, len, *c);
			if (!ok)
				return tm_cli_usage_error("%s: %s takes %s (a list: a,b), not '%s'", spec->name, shown,
							  or_list(o->choices, list, sizeof(list)), v);
			p += len + (comma != NULL);
		}
		*(const char **)field = v;
		return 0;
	case TM_OPT_INT: {
		char *end = NULL;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno || !end || *end || end == v || n < o->min || n > o->max)
			return tm_cli_usage_error("%s: %s takes a number from %ld to %ld, not '%s'", spec->name, shown,
						  o->min, o->max, v);
		*(long *)field = n;
		return 0;
	}
	case TM_OPT_LIST:
		return list_add((tm_cli_list *)field, v) ? 0 : oom();
	case TM_OPT_FLAG:
		*(bool *)field = true;
		return 0;
	case TM_OPT_IGNORED:
		return 0;
	}
	return 0;
}

/* The option argv[*i] names (with its attached value, if any, in *value), or NULL. */
static const tm_opt *find(const tm_cli_spec *spec, char *a, char **value)
{
	*value = NULL;
	for (size_t k = 0; k < spec->nopts; k++) {
		const tm_opt *o = &spec->opts[k];
		if (a[1] == '-') {
			size_t n = strlen(o->name);
			if (strncmp(a, o->name, n) == 0 && (a[n] == '\0' || a[n] == '=')) {
				*value = a[n] == '=' ? a + n + 1 : NULL;
				return o;
			}
		} else if (o->letter && a[1] == o->letter) {
			*value = a[2] ? a + 2 : NULL;
			return o;
		}
	}
	return NULL;
}

int tm_cli_parse(const tm_cli_spec *spec, int argc, char **argv, void *opts, tm_cli_list *pos)
{
	memset(pos, 0, sizeof(*pos));
	bool options = true;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (!options || a[0] != '-' || a[1] == '\0') {
			if (pos->n >= spec->maxpos)
				return tm_cli_usage_error("%s: unexpected argument '%s' (see 'trustmap %s --help')", spec->name,
							  a, spec->name);
			if (!list_add(pos, a))
				return oom();
			continue;
		}
		if (strcmp(a, "--") == 0) {
			options = false;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			tm_cli_help(spec, stdout);
			return TM_CLI_HELP;
		}
		char *value;
		const tm_opt *o = find(spec, a, &value);
		if (!o)
			return tm_cli_usage_error("%s: unknown option '%s' (see 'trustmap %s --help')", spec->name, a,
						  spec->name);
		/* the name as given, without an attached value, for messages */
		char shown[64];
		snprintf(shown, sizeof(shown), "%s", a[1] == '-' ? o->name : (char[]){'-', o->letter, '\0'});
		if (!o->arg) {
			if (value)
				return tm_cli_usage_error("%s: %s takes no value (see 'trustmap %s --help')", spec->name,
							  shown, spec->name);
		} else if (!value) {
			if (i + 1 >= argc)
				return tm_cli_usage_error("%s: %s needs a value (%s; see 'trustmap %s --help')", spec->name,
							  shown, o->arg, spec->name);
			value = argv[++i];
		}
		int rc = store(spec, o, shown, value, opts);
		if (rc)
			return rc;
	}
	return 0;
}

void tm_cli_done(const tm_cli_spec *spec, void *opts, tm_cli_list *pos)
{
	for (size_t k = 0; k < spec->nopts; k++)
		if (spec->opts[k].kind == TM_OPT_LIST) {
			tm_cli_list *l = (tm_cli_list *)((char *)opts + spec->opts[k].offset);
			free(l->items);
			memset(l, 0, sizeof(*l));
		}
	if (pos) {
		free(pos->items);
		memset(pos, 0, sizeof(*pos));
	}
}

/* Help text: "  -f, --format FMT" padded to the column, then the lines of help. */
#define HELP_COL 24

static void help_lines(FILE *fp, const char *text, int used)
{
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		fprintf(fp, "%*s%.*s\n", used < HELP_COL ? HELP_COL - used : 1, "", len, p);
		used = 0;
		p += len + (nl != NULL);
	}
}

static void help_option(FILE *fp, const tm_opt *o)
{
	char head[64];
	int used = snprintf(head, sizeof(head), "  %c%c%s%s%s%s", o->letter ? '-' : ' ', o->letter ? o->letter : ' ',
			    o->letter ? ", " : "  ", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	if (used >= HELP_COL - 1) {
		fprintf(fp, "%s\n", head);
		used = 0;
	} else {
		fputs(head, fp);
	}
	help_lines(fp, o->help, used);
	char list[256];
	if (o->kind == TM_OPT_FORMAT) {
		for (const char *const *f = choices_of(o); f && *f; f++)
			fprintf(fp, "%*s  %-9s %s\n", HELP_COL, "", *f, tm_report_kind_format_summary(o->report, *f));
	} else if (o->kind == TM_OPT_CHOICE || o->kind == TM_OPT_CHOICES) {
		fprintf(fp, "%*s(%s%s)\n", HELP_COL, "", or_list(o->choices, list, sizeof(list)),
			o->kind == TM_OPT_CHOICES ? "; a comma list" : "");
	} else if (o->kind == TM_OPT_INT) {
		fprintf(fp, "%*s(%ld to %ld)\n", HELP_COL, "", o->min, o->max);
	}
}

void tm_cli_help(const tm_cli_spec *spec, FILE *fp)
{
	const char *p = spec->synopsis;
	for (bool first = true; p && *p; first = false) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		fprintf(fp, "%s trustmap %.*s\n", first ? "usage:" : "      ", len, p);
		p += len + (nl != NULL);
	}
	if (spec->about)
		fprintf(fp, "\n%s\n", spec->about);
	fprintf(fp, "\noptions:\n");
	for (size_t k = 0; k < spec->nopts; k++)
		help_option(fp, &spec->opts[k]);
	fprintf(fp, "  -h, --help%*sshow this help\n", HELP_COL - 12, "");
	if (spec->epilog)
		fprintf(fp, "\n%s\n", spec->epilog);
}
