/* diag_print.c - diagnostics on stderr: "path:line:col: level: message", the line, a caret. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "trustmap/report.h"

/* Input-derived text (messages, file names) escaped as the reports escape it for a terminal
 * (docs/reports.md "Escaping"): control and bidi characters visible (\x1b, \u009b, \u202e), each
 * byte that is not UTF-8 U+FFFD. */
static void put_safe(FILE *out, const char *s)
{
	tm_sink sink = tm_sink_file(out);
	tm_report_escape("text", s, &sink);
}

/* One code point of a source line (valid UTF-8, n its length in bytes) that must not reach the
 * terminal: a control character but tab, or a bidirectional control (it would reorder the line). */
static bool unsafe_in_line(const unsigned char *p, size_t n)
{
	uint32_t cp = n == 1 ? p[0] : n == 2 ? p[0] & 0x1Fu : n == 3 ? p[0] & 0x0Fu : p[0] & 0x07u;
	for (size_t k = 1; k < n; k++)
		cp = (cp << 6) | (p[k] & 0x3Fu);
	return (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
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
	/* control and bidi characters from the file never reach the terminal: one '?' each, so a C0
	 * control keeps the caret's column */
	for (const unsigned char *p = (const unsigned char *)line; *p;) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		if (unsafe_in_line(p, len))
			fputc('?', out);
		else
			fwrite(p, 1, len, out);
		p += len;
	}
	fputs("\n  ", out);
	for (uint32_t c = 1; c < g->loc.col && c < sizeof(line) && line[c - 1]; c++)
		fputc(line[c - 1] == '\t' ? '\t' : ' ', out);
	fputs("^\n", out);
}

/* One diagnostic's "path:line:col: level: message" line and its source line. */
static void print_one(FILE *out, const tm_diag *g, const char *const *roots, size_t nroots, bool color)
{
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

/*
 * Errors and warnings, grouped by message: a message that repeats (70 charts that each lack the
 * same values, 40 files with the same unsupported kind) is printed once, with its first place and
 * source line, then "... and N more with this message: a.yaml:3, b.yaml:9, +K". At most max groups
 * are printed; returns how many diagnostics were not shown.
 */
size_t tm_cli_print_diags(FILE *out, const tm_diag_list *d, const char *const *roots, size_t nroots,
			  bool color, size_t max)
{
	size_t printed = 0, hidden = 0;
	bool *done = d->count ? calloc(d->count, sizeof(bool)) : NULL;
	for (size_t i = 0; i < d->count; i++) {
		const tm_diag *g = &d->items[i];
		if (g->level < TM_LEVEL_WARNING || (done && done[i]))
			continue;
		if (printed == max) {
			hidden++;
			continue;
		}
		printed++;
		print_one(out, g, roots, nroots, color);
		if (!done)
			continue;
		/* the same message elsewhere: named, not printed again (diagnostics are few; a quadratic
		 * pass over the printed groups' repeats is bounded by max groups) */
		size_t same = 0;
		for (size_t j = i + 1; j < d->count; j++) {
			const tm_diag *h = &d->items[j];
			if (done[j] || h->level != g->level || strcmp(h->msg, g->msg) != 0)
				continue;
			done[j] = true;
			if (same < 3) {
				fputs(same ? ", " : "    ... and more with this message: ", out);
				put_safe(out, h->loc.path ? h->loc.path : "trustmap");
				if (h->loc.line)
					fprintf(out, ":%u", (unsigned)h->loc.line);
			}
			same++;
		}
		if (same > 3)
			fprintf(out, ", +%zu", same - 3);
		if (same)
			fprintf(out, " (%zu in all)\n", same + 1);
	}
	free(done);
	return hidden;
}
