/*
 * cmd_import.c - trustmap import otm FILE [--format FMT] [-o FILE]
 *
 * A thin front door: the file is scanned like any other input (the OTM ingester recognises it by
 * its "otmVersion"), the rules run on the model it gives, and the report is written as scan
 * writes it. No register is read or written: an imported model is not a scanned root.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "trustmap/findings.h"
#include "trustmap/report.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: trustmap import otm FILE [--format FMT] [-o FILE]\n\n"
		"Read a threat model in the Open Threat Model format (OTM 0.1 or 0.2, JSON or YAML),\n"
		"build trustmap's model from it (trust zones, components, dataflows; its threats and\n"
		"mitigations kept as facts on their components), run the rules, and write the report.\n\n"
		"  -f, --format FMT   json (default), md, otm, or any format of 'trustmap scan'\n"
		"  -o, --output FILE  write the report to FILE instead of stdout\n"
		"  -h, --help         show this help\n\n"
		"'trustmap scan DIR' also reads every OTM file it finds in DIR, with the other inputs.\n");
}

static bool valid_format(const char *f)
{
	for (const char *const *n = tm_report_formats(); *n; n++)
		if (strcmp(*n, f) == 0)
			return true;
	return false;
}

/* The report's title: the file's name without its directory and its .otm/.json/.yaml endings. */
static const char *title_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash && slash[1] ? slash + 1 : path;
	snprintf(buf, len, "%s", name);
	static const char *const ends[] = {".json", ".yaml", ".yml", ".otm"};
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t n = strlen(buf), k = strlen(ends[i]);
		if (n > k && strcmp(buf + n - k, ends[i]) == 0)
			buf[n - k] = '\0';
	}
	return buf[0] ? buf : "system";
}

int tm_cmd_import(int argc, char **argv)
{
	const char *format = "json", *output = NULL, *source = NULL, *file = NULL;
	int rc = TM_EXIT_OK;
	tm_analysis *an = NULL;
	FILE *out = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return TM_EXIT_OK;
		} else if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
			slot = &format;
		} else if (strncmp(a, "--format=", 9) == 0) {
			format = a + 9;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			slot = &output;
		} else if (a[0] == '-' && a[1]) {
			return tm_cli_usage_error("import: unknown option '%s' (see 'trustmap import --help')", a);
		} else if (!source) {
			source = a;
		} else if (!file) {
			file = a;
		} else {
			return tm_cli_usage_error("import: one file at a time ('%s' is one too many)", a);
		}
		if (slot) {
			if (i + 1 >= argc)
				return tm_cli_usage_error("import: %s needs a value", a);
			*slot = argv[++i];
		}
	}
	if (!source)
		return tm_cli_usage_error("import: name what to import: trustmap import otm FILE");
	if (strcmp(source, "otm") != 0)
		return tm_cli_usage_error("import: unknown source '%s' (available: otm)", source);
	if (!file)
		return tm_cli_usage_error("import otm: which file? (trustmap import otm FILE)");
	if (!valid_format(format))
		return tm_cli_usage_error("import: unknown format '%s' (available: %s)", format, tm_cli_format_list());
	struct stat st;
	if (stat(file, &st) != 0) {
		fprintf(stderr, "trustmap: %s: cannot read: %s\n", file, strerror(errno));
		return TM_EXIT_INPUT;
	}
	if (S_ISDIR(st.st_mode))
		return tm_cli_usage_error("import otm: %s is a directory (give one file; 'trustmap scan' reads "
					  "directories, OTM files included)", file);

	const char *roots[] = {file};
	char title[256];
	rc = tm_cli_analysis(&an, roots, 1, title_of(file, title, sizeof(title)), false);
	if (rc)
		goto done;
	const tm_scan *scan = tm_analysis_scan(an);
	bool otm = false;
	for (size_t i = 0; i < tm_scan_input_count(scan); i++)
		for (const char *const *k = tm_scan_input(scan, i)->kinds; k && *k; k++)
			otm = otm || strcmp(*k, "otm") == 0;
	if (!otm) {
		const char *why = tm_scan_skip_count(scan) ? tm_scan_skip(scan, 0)->reason : "no otmVersion";
		fprintf(stderr, "trustmap: %s: not an Open Threat Model document that can be read: %s\n", file, why);
		rc = TM_EXIT_INPUT;
		goto done;
	}
	out = output ? fopen(output, "wb") : stdout;
	if (!out) {
		fprintf(stderr, "trustmap: cannot write %s: %s\n", output, strerror(errno));
		rc = TM_EXIT_INPUT;
		goto done;
	}
	const tm_analysis *systems[] = {an};
	tm_report_ctx ctx = {systems, 1, false, NULL};
	tm_sink sink = tm_sink_file(out);
	int wrc = tm_report_write(format, &ctx, &sink);
	if (fflush(out) != 0 || wrc) {
		fprintf(stderr, "trustmap: cannot write the report: %s\n", wrc ? tm_strerror(wrc) : strerror(errno));
		rc = TM_EXIT_INPUT;
	}
done:
	if (out && out != stdout)
		fclose(out);
	tm_analysis_free(an);
	return rc;
}
