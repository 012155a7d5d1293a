/* diag_print.c - diagnostics on stderr: "path:line:col: level: message", the line, a caret. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Input-derived text (messages, file names) with control characters made harmless. */
static void put_safe(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
}

bool tm_cli_color(FILE *fp)
{
	const char *nc = getenv("NO_COLOR");
	return (!nc || !*nc) && isatty(fileno(fp));
}

/* Find the file behind a display path: as given, or under the single directory root. */
static FILE *open_display(const char *path, const char *const *roots, size_t nroots)
{
	FILE *fp = NULL;
	if (nroots == 1) {
		char buf[4096];
		snprintf(buf, sizeof(buf), "%s/%s", roots[0], path);
		fp = fopen(buf, "rb");
	}
	return fp ? fp : fopen(path, "rb");
}

static void print_source_line(FILE *out, const tm_diag *g, const char *const *roots, size_t nroots)
{
	if (!g->loc.path || !g->loc.line)
		return;
	FILE *fp = open_display(g->loc.path, roots, nroots);
	if (!fp)
		return;
	char line[512];
	uint32_t n = 0;
	bool found = false;
	while (fgets(line, sizeof(line), fp)) {
		size_t len = strlen(line);
		bool complete = len && line[len - 1] == '\n';
		if (++n == g->loc.line) {
			found = true;
			break;
		}
		/* skip the rest of an over-long line without counting it twice */
		while (!complete && fgets(line, sizeof(line), fp)) {
			len = strlen(line);
			complete = len && line[len - 1] == '\n';
		}
	}
	fclose(fp);
	if (!found)
		return;
	line[strcspn(line, "\r\n")] = '\0';
	/* a binary or wrongly encoded line would only print garbage */
	if (tm_utf8_check((const unsigned char *)line, strlen(line)) != strlen(line))
		return;
	fputs("  ", out);
	/* control characters from the file never reach the terminal */
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		fputc(*p == '\t' ? '\t' : (*p < 0x20 || *p == 0x7f) ? '?' : *p, out);
	fputs("\n  ", out);
	for (uint32_t c = 1; c < g->loc.col && c < sizeof(line) && line[c - 1]; c++)
		fputc(line[c - 1] == '\t' ? '\t' : ' ', out);
	fputs("^\n", out);
}

size_t tm_cli_print_diags(FILE *out, const tm_diag_list *d, const char *const *roots, size_t nroots,
			  bool color, size_t max)
{
	size_t printed = 0, hidden = 0;
	for (size_t i = 0; i < d->count; i++) {
		const tm_diag *g = &d->items[i];
		if (g->level < TM_LEVEL_WARNING)
			continue;
		if (printed == max) {
			hidden++;
			continue;
		}
		printed++;
		const char *lv = tm_level_name(g->level);
		const char *on = color ? (g->level == TM_LEVEL_ERROR ? "\033[1;31m" : "\033[1;33m") : "";
		const char *off = color ? "\033[0m" : "";
		put_safe(out, g->loc.path ? g->loc.path : "trustmap");
		if (g->loc.line)
			fprintf(out, ":%u:%u", (unsigned)g->loc.line, (unsigned)g->loc.col);
		else if (g->loc.pointer) {
			fputc('#', out);
			put_safe(out, g->loc.pointer);
		}
		fprintf(out, ": %s%s:%s ", on, lv, off);
		put_safe(out, g->msg);
		fputc('\n', out);
		print_source_line(out, g, roots, nroots);
	}
	return hidden;
}
