/*
 * cmd_paths.c - trustmap paths --from POSITION [--to NODE] [PATH...] [--format text|json]
 *
 * The attack paths from a position: to every valuable node it reaches (identities with
 * dangerous grants, secrets, restricted data, sensitive operations), most valuable first,
 * then shortest; or to NODE. The library finds them (tm_paths_run) and writes them
 * (tm_report_paths); this file only reads the options and reports errors.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "trustmap/paths.h"
#include "trustmap/report.h"

typedef struct {
	const char *from, *to, *format;
	tm_cli_walk walk;
} paths_opts;

static const tm_opt options[] = {
	TM_OPT_WALK(paths_opts, walk),
	TM_OPT_STR(paths_opts, "--from", 0, from, "POSITION",
		   "where the attacker starts (required): internet, user, partner[:NAME],\n"
		   "namespace:NS, workload:NS/NAME, ci, pipeline:FILE"),
	TM_OPT_STR(paths_opts, "--to", 0, to, "NODE", "only the paths to NODE (a node id, as in scan --format json)"),
	TM_OPT_FMT(paths_opts, format, TM_REPORT_PATHS, "the paths (default text):"),
	TM_OPT_IGNORE_STORE,
};

static const tm_cli_spec spec = TM_CLI_SPEC("paths", "paths --from POSITION [--to NODE] [PATH...] [options]",
	"Attack paths from POSITION through the system in PATH (default .). Without --to, every\n"
	"valuable node reached, most valuable first.",
	options, SIZE_MAX, NULL);

/* --from is required. Returns 0, TM_CLI_HELP, or the usage error's exit code. */
static int parse_options(paths_opts *o, tm_cli_list *pos, int argc, char **argv)
{
	int rc = tm_cli_parse(&spec, argc, argv, o, pos);
	if (rc)
		return rc;
	if (!o->from)
		return tm_cli_usage_error("paths: --from POSITION is required (see 'trustmap paths --help')");
	return TM_EXIT_OK;
}

/* "trustmap: paths: --to 'NODE' is no node id ..." on stderr, NODE escaped; returns TM_EXIT_USAGE. */
static int unknown_node(const char *to)
{
	tm_sink err = tm_sink_file(stderr);
	fputs("trustmap: paths: --to '", stderr);
	tm_report_escape("text", to, &err);
	fputs("' is no node id of the model (see scan --format json)\n", stderr);
	return TM_EXIT_USAGE;
}

/* The paths from --from through the analysed system, written as --format says; when it found none
 * in the primary of several deployment variants (system: its name) and no --system chose it, a
 * line on stderr says that the others were not walked. */
static int find_and_write(const paths_opts *o, const tm_model *m, const char *system)
{
	tm_paths *p = NULL;
	const char *why = NULL;
	int rc = TM_EXIT_OK;
	int prc = tm_paths_run(&p, m, o->from, o->to, &why);
	if (prc == TM_EINVALID) {
		rc = tm_cli_usage_error("paths: %s", why);
	} else if (prc == TM_ENOTFOUND) {
		rc = unknown_node(o->to);
	} else if (prc) {
		fprintf(stderr, "trustmap: %s\n", tm_strerror(prc));
		rc = TM_EXIT_INPUT;
	} else {
		tm_sink sink = tm_sink_file(stdout);
		if (tm_report_paths(o->format ? o->format : "text", p, &sink) || fflush(stdout)) {
			fprintf(stderr, "trustmap: cannot write the paths\n");
			rc = TM_EXIT_INPUT;
		} else if (system && !o->walk.system && !tm_paths_count(p)) {
			fprintf(stderr, "trustmap: paths: walked variant '%s', the primary of the inputs' deployment variants; "
					"the others were not walked ('trustmap scan' lists them, '--system NAME' walks one)\n",
				system);
		}
	}
	tm_paths_free(p);
	return rc;
}

int tm_cmd_paths(int argc, char **argv)
{
	paths_opts o = {0};
	tm_cli_list pos;
	const char **roots = NULL;
	size_t nroots = 0;
	tm_analysis *an = NULL;
	int rc = parse_options(&o, &pos, argc, argv);
	if (rc) {
		rc = rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
		goto done;
	}
	roots = calloc(pos.n + 1, sizeof(char *));
	if (!roots) {
		rc = TM_EXIT_INPUT;
		goto done;
	}
	for (size_t i = 0; i < pos.n; i++)
		roots[nroots++] = pos.items[i];
	if (!nroots)
		roots[nroots++] = ".";
	if ((rc = tm_cli_analysis(&an, roots, nroots, NULL, true, &o.walk)))
		goto done;
	rc = find_and_write(&o, tm_analysis_model(an), tm_analysis_system(an));
done:
	tm_analysis_free(an);
	free(roots);
	tm_cli_done(&spec, &o, &pos);
	return rc;
}
