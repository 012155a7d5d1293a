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
#include "opts.h"
#include "trustmap/findings.h"
#include "trustmap/report.h"

typedef struct {
	const char *format, *output;
} import_opts;

static const tm_opt options[] = {
	TM_OPT_FMT(import_opts, format, TM_REPORT_SCAN, "the report, as 'trustmap scan' writes it (default json):"),
	TM_OPT_STR(import_opts, "--output", 'o', output, "FILE", "write the report to FILE instead of stdout"),
	TM_OPT_IGNORE_STORE,
};

static const tm_cli_spec spec = TM_CLI_SPEC("import", "import otm FILE [options]",
	"Read a threat model in the Open Threat Model format (OTM 0.1 or 0.2, JSON or YAML),\n"
	"build trustmap's model from it (trust zones, components, dataflows; its threats and\n"
	"mitigations kept as facts on their components), run the rules, and write the report.",
	options, SIZE_MAX, "'trustmap scan DIR' also reads every OTM file it finds in DIR, with the other inputs.");

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

/* The options and "otm FILE", checked: FILE exists and is no directory. Returns 0, TM_CLI_HELP, or
 * the exit code of a usage error or of a file that cannot be read. */
static int parse_options(import_opts *o, const char **file, int argc, char **argv)
{
	tm_cli_list pos;
	int rc = tm_cli_parse(&spec, argc, argv, o, &pos);
	const char *source = pos.n > 0 ? pos.items[0] : NULL;
	const char *extra = pos.n > 2 ? pos.items[2] : NULL;
	*file = pos.n > 1 ? pos.items[1] : NULL;
	tm_cli_done(&spec, o, &pos);
	if (rc)
		return rc;
	if (extra)
		return tm_cli_usage_error("import: one file at a time ('%s' is one too many)", extra);
	if (!source)
		return tm_cli_usage_error("import: name what to import: trustmap import otm FILE");
	if (strcmp(source, "otm") != 0)
		return tm_cli_usage_error("import: unknown source '%s' (available: otm)", source);
	if (!*file)
		return tm_cli_usage_error("import otm: which file? (trustmap import otm FILE)");
	struct stat st;
	if (stat(*file, &st) != 0) {
		fprintf(stderr, "trustmap: %s: cannot read: %s\n", *file, strerror(errno));
		return TM_EXIT_INPUT;
	}
	if (S_ISDIR(st.st_mode))
		return tm_cli_usage_error("import otm: %s is a directory (give one file; 'trustmap scan' reads "
					  "directories, OTM files included)", *file);
	return TM_EXIT_OK;
}

/* The scan read file as an Open Threat Model document; else say why not and return TM_EXIT_INPUT. */
static int check_read_as_otm(const tm_analysis *an, const char *file)
{
	const tm_scan *scan = tm_analysis_scan(an);
	bool otm = false;
	for (size_t i = 0; i < tm_scan_input_count(scan); i++)
		for (const char *const *k = tm_scan_input(scan, i)->kinds; k && *k; k++)
			otm = otm || strcmp(*k, "otm") == 0;
	if (otm)
		return TM_EXIT_OK;
	const char *why = tm_scan_skip_count(scan) ? tm_scan_skip(scan, 0)->reason : "no otmVersion";
	fprintf(stderr, "trustmap: %s: not an Open Threat Model document that can be read: %s\n", file, why);
	return TM_EXIT_INPUT;
}

int tm_cmd_import(int argc, char **argv)
{
	import_opts o = {NULL, NULL};
	const char *file = NULL;
	int rc = parse_options(&o, &file, argc, argv);
	if (rc)
		return rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
	const char *format = o.format ? o.format : "json", *output = o.output;
	tm_analysis *an = NULL;
	FILE *out = NULL;
	const char *roots[] = {file};
	char title[256];
	rc = tm_cli_analysis(&an, roots, 1, title_of(file, title, sizeof(title)), false, NULL);
	if (rc || (rc = check_read_as_otm(an, file)))
		goto done;
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
