/*
 * fuzz_proto.c - libFuzzer target for .proto files (TM_FUZZ_PROTO): the tokenizer, the reader,
 * linking to workloads and the endpoints' facts, through a scan held in memory and analysed as a
 * scan would be (rules, exposure), then written as the JSON report.
 *
 * The input is a few files separated by lines "### PATH" (up to 64 bytes of the input's own
 * choosing); a file before the first such line is "api/a.proto". At most 8 files, so mutations
 * reach copies of one service in several files, imports across files, and manifests beside them
 * (a path ending .yaml) that services link to by name, hint or directory.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "trustmap/analysis.h"
#include "trustmap/report.h"

#define MAX_FILES 8
#define MAX_PATH 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int discard(void *ud, const char *bytes, size_t len)
{
	(void)ud;
	(void)bytes;
	(void)len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char paths[MAX_FILES][MAX_PATH + 1];
	tm_mem_file files[MAX_FILES];
	size_t n = 0;
	const char *p = (const char *)data, *end = p + size, *body = p;
	bool named = false;
	snprintf(paths[0], sizeof(paths[0]), "api/a.proto");
	for (const char *line = p; line < end && n < MAX_FILES;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *next = nl ? nl + 1 : end;
		if (end - line >= 4 && memcmp(line, "### ", 4) == 0) {
			if (named || line > body)
				files[n] = (tm_mem_file){paths[n], body, (size_t)(line - body)}, n++;
			if (n == MAX_FILES)
				break;
			size_t pl = (size_t)((nl ? nl : end) - (line + 4));
			pl = pl > MAX_PATH ? MAX_PATH : pl;
			memcpy(paths[n], line + 4, pl);
			paths[n][pl] = '\0';
			body = next;
			named = true;
		}
		line = next;
	}
	if (n < MAX_FILES && (named || end > body))
		files[n] = (tm_mem_file){paths[n], body, (size_t)(end - body)}, n++;
	tm_analysis_opts opts = {.files = files, .nfiles = n, .name = "fuzz"};
	tm_limits_default(&opts.limits);
	opts.limits.max_documents = 200;
	opts.limits.max_nodes = 20000;
	tm_analysis **list = NULL;
	size_t count = 0;
	tm_analysis_run_all(&list, &count, &opts);
	if (count) {
		tm_report_ctx ctx = {(const tm_analysis *const *)list, count, false, NULL};
		tm_sink sink = {discard, NULL};
		tm_report_write("json", &ctx, &sink);
	}
	tm_analysis_free_all(list, count);
	return 0;
}
