/* load.c - scanning the roots a command was given, the same way for every command. */
#include "cli.h"

#define MAX_PRINTED_DIAGS 20

int tm_cli_load(tm_scan **out, const char **roots, size_t nroots, bool quiet)
{
	tm_scan_opts opts = {roots, nroots, {0}};
	tm_limits_default(&opts.limits);
	int src = tm_scan_run(out, &opts);
	if (src == TM_ENOMEM || !*out) {
		fprintf(stderr, "trustmap: out of memory\n");
		return TM_EXIT_INPUT;
	}
	const tm_diag_list *d = tm_scan_diags(*out);
	/* A root unreadable, or errors and not one file parsed: the input could not be read. */
	bool unreadable = src == TM_EIO || (tm_scan_parsed_count(*out) == 0 && tm_diag_count(d, TM_LEVEL_ERROR));
	if (!quiet || unreadable) {
		size_t hidden = tm_cli_print_diags(stderr, d, roots, nroots, tm_cli_color(stderr), MAX_PRINTED_DIAGS);
		if (hidden)
			fprintf(stderr, "trustmap: %zu more diagnostics in the report\n", hidden);
	} else {
		size_t problems = tm_diag_count(d, TM_LEVEL_WARNING);
		if (problems)
			fprintf(stderr, "trustmap: %zu problem%s reading the inputs; 'trustmap scan' lists them\n",
				problems, problems == 1 ? "" : "s");
	}
	return unreadable ? TM_EXIT_INPUT : TM_EXIT_OK;
}

int tm_cli_analyse(const tm_scan *scan, tm_findings **findings, tm_exposure **exposure, tm_blast **blast)
{
	const tm_model *m = tm_scan_model(scan);
	int rc = tm_findings_run(findings, m);
	if (!rc && exposure)
		rc = tm_exposure_run(exposure, m);
	if (!rc && blast)
		rc = tm_blast_run(blast, m);
	if (rc)
		fprintf(stderr, "trustmap: %s\n", tm_strerror(rc));
	return rc ? TM_EXIT_INPUT : TM_EXIT_OK;
}
