/*
 * bench_parse.c - parser throughput: parse each file N times, report MB/s and values/s.
 *   build/bench/bench_parse [-n N] FILE...
 * Speed targets live here, not in timed tests (see bench/README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <libfyaml.h>

#include "bench_clock.h"
#include "trustmap/doc.h"

/* libfyaml alone: the event stream, nothing built. The floor our parser stands on. */
static double fyaml_only(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	struct stat st;
	fstat(fileno(fp), &st);
	char *buf = malloc((size_t)st.st_size + 1);
	size_t n = buf ? fread(buf, 1, (size_t)st.st_size, fp) : 0;
	fclose(fp);
	double t0 = bench_now();
	struct fy_parse_cfg cfg = {NULL, FYPCF_QUIET | FYPCF_DISABLE_DEPTH_LIMIT, NULL, NULL};
	struct fy_parser *fyp = fy_parser_create(&cfg);
	if (fyp && buf && !fy_parser_set_string(fyp, buf, n)) {
		struct fy_event *ev;
		while ((ev = fy_parser_parse(fyp)) != NULL)
			fy_parser_event_free(fyp, ev);
	}
	if (fyp)
		fy_parser_destroy(fyp);
	double t = bench_now() - t0;
	free(buf);
	return t;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--fyaml-only") == 0) {
		double total = 0;
		for (int i = 2; i < argc; i++)
			total += fyaml_only(argv[i]);
		printf("libfyaml events only: %.3f s for %d files\n", total, argc - 2);
		return 0;
	}
	int reps = 3, first = 1;
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		reps = (int)strtol(argv[2], NULL, 10);
		first = 3;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: bench_parse [-n N] FILE...\n");
		return 2;
	}
	printf("%-60s %10s %8s %10s %8s\n", "file", "bytes", "MB/s", "values", "syntax");
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0)
			continue;
		double best = 1e9;
		size_t values = 0;
		tm_syntax syn = TM_SYNTAX_YAML;
		for (int r = 0; r < reps; r++) {
			tm_diag_list d;
			tm_diag_list_init(&d);
			tm_file *f = NULL;
			double t0 = bench_now();
			int rc = tm_file_load(&f, argv[i], NULL, NULL, &d);
			double t = bench_now() - t0;
			if (t < best)
				best = t;
			if (!rc) {
				values = tm_file_value_count(f);
				syn = tm_file_syntax(f);
			}
			tm_file_free(f);
			tm_diag_list_dispose(&d);
		}
		const char *name = strlen(argv[i]) > 60 ? argv[i] + strlen(argv[i]) - 60 : argv[i];
		printf("%-60s %10lld %8.1f %10zu %8s\n", name, (long long)st.st_size,
		       (double)st.st_size / 1e6 / best, values, syn == TM_SYNTAX_JSON ? "json" : "yaml");
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak rss: %ld MiB\n", ru.ru_maxrss / 1024);
	return 0;
}
