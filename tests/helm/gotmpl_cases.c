/*
 * gotmpl_cases.c - runs template cases through the native engine (src/render/gotmpl*.c), for the
 * random differential test against Go (tests/helm/random.sh; same format as cases_oracle).
 * Usage: gotmpl_cases CASES > out
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gotmpl.h"

int main(int argc, char **argv)
{
	FILE *fp = argc > 1 ? fopen(argv[1], "rb") : NULL;
	if (!fp) {
		fprintf(stderr, "usage: gotmpl_cases CASES\n");
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		for (ssize_t i = 0; i < n; i++)
			if (line[i] == '\x1e')
				line[i] = '\n';
		char *sep = strchr(line, '\x1f');
		if (!sep)
			continue;
		*sep = '\0';
		const char *vals = sep + 1;
		tm_diag_list d;
		tm_diag_list_init(&d);
		tm_gt_set set;
		tm_gt_out out;
		memset(&out, 0, sizeof(out));
		const char *res = "EXEC-ERROR";
		tm_gt_tmpl *t = NULL;
		tm_gv dot = tm_gv_nil();
		if (tm_gt_set_init(&set, &d) == 0) {
			tm_gv_from_yaml(set.arena, vals, strlen(vals), false, &dot);
			if (tm_gt_parse(&set, "t", "t", line, strlen(line), &t) != 0)
				res = "PARSE-ERROR";
			else if (tm_gt_execute(&set, t, dot, NULL, &out) == 0)
				res = out.text.data ? out.text.data : "";
		}
		for (const char *p = res; *p; p++)
			putchar(*p == '\n' ? '\x1e' : *p);
		putchar('\n');
		tm_gt_out_dispose(&out);
		tm_gt_set_dispose(&set);
		tm_diag_list_dispose(&d);
	}
	free(line);
	fclose(fp);
	return 0;
}
