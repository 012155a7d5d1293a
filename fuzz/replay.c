/*
 * replay.c - run a fuzz target over corpus files and directories (walked recursively, in
 * name order), without libFuzzer, so every ctest run covers the corpus (and its crash
 * regressions). Each path is printed before it runs: when one crashes, the last line
 * printed names it.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(fp);
	if (!buf)
		return -1;
	printf("%s\n", path);
	fflush(stdout);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

/* path is a file (run it) or a directory (run what is inside); returns the inputs run. */
static size_t run_path(const char *path, unsigned depth)
{
	struct dirent **list = NULL;
	int n = depth < 16 ? scandir(path, &list, NULL, alphasort) : -1;
	if (n < 0)
		return run_file(path) == 0;
	size_t count = 0;
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.') {
			char sub[4096];
			int len = snprintf(sub, sizeof(sub), "%s/%s", path, list[i]->d_name);
			if (len > 0 && (size_t)len < sizeof(sub)) /* a longer path is no input of ours */
				count += run_path(sub, depth + 1);
		}
		free(list[i]);
	}
	free(list);
	return count;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	for (int i = 1; i < argc; i++)
		count += run_path(argv[i], 0);
	printf("replayed %zu inputs\n", count);
	return count ? 0 : 1;
}
