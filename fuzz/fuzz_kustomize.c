/*
 * fuzz_kustomize.c - libFuzzer target for the native kustomize renderer (TM_FUZZ_KUSTOMIZE).
 *
 * The input is a small tree of in-memory files: the bytes before the first separator line are
 * app/kustomization.yaml; each line "# file: PATH" starts the file PATH (root-relative, as
 * written: "app/patch.yaml", "base/kustomization.yaml", "../x" which the renderer must refuse).
 * At most 16 files. app/ is rendered with small limits, then every value of the output is
 * located (tm_value_loc walks the origin table), so a bad parent link or origin shows up here.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "render/kustomize.h"

#define SEP "# file: "
#define MAX_FILES 16

static size_t walk(const tm_file *f, const tm_value *v, uint32_t depth, size_t budget)
{
	if (!v || !budget || depth > 300)
		return budget;
	tm_loc l = tm_value_loc(f, v);
	if (!l.path)
		__builtin_trap();
	budget--;
	for (size_t i = 0; i < tm_value_len(v) && budget; i++) {
		if (tm_value_kind_of(v) == TM_VALUE_MAP)
			budget = walk(f, tm_map_value(v, i), depth + 1, budget);
		else
			budget = walk(f, tm_seq_at(v, i), depth + 1, budget);
	}
	return budget;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char names[MAX_FILES][128];
	const char *paths[MAX_FILES], *bodies[MAX_FILES];
	size_t lens[MAX_FILES], n = 0;
	snprintf(names[0], sizeof(names[0]), "app/kustomization.yaml");
	size_t start = 0;
	for (size_t i = 0; i <= size && n < MAX_FILES; i++) {
		bool at_line = i == 0 || text[i - 1] == '\n';
		bool sep = i < size && at_line && size - i > strlen(SEP) &&
			   memcmp(text + i, SEP, strlen(SEP)) == 0;
		if (!sep && i < size)
			continue;
		paths[n] = names[n];
		bodies[n] = text + start;
		lens[n] = i - start;
		n++;
		if (!sep || n == MAX_FILES)
			break;
		const char *name = text + i + strlen(SEP);
		const char *nl = memchr(name, '\n', size - (size_t)(name - text));
		size_t len = nl ? (size_t)(nl - name) : size - (size_t)(name - text);
		if (len >= sizeof(names[n]))
			len = sizeof(names[n]) - 1;
		memcpy(names[n], name, len);
		names[n][len] = '\0';
		if (memchr(names[n], '\0', len))
			names[n][0] = '\0';
		start = nl ? (size_t)(nl - text) + 1 : size;
		i = start ? start - 1 : 0;
	}
	tm_fsys_mem mem = {paths, bodies, lens, n};
	tm_fsys fs;
	tm_fsys_mem_init(&fs, &mem);
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_nodes = 200000;
	lim.max_documents = 2000;
	lim.max_alias_expansion = 10000;
	lim.max_file_bytes = 1 << 20;
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_kust_consumed c = TM_KUST_CONSUMED_INIT;
	tm_file *out = NULL;
	tm_kust_opts o = {&fs, "app", &lim, 8, &d};
	if (tm_kustomize_render(&out, &c, &o) == 0) {
		size_t budget = 100000;
		for (size_t i = 0; i < tm_file_doc_count(out) && budget; i++)
			budget = walk(out, tm_file_doc(out, i), 0, budget);
	}
	tm_file_free(out);
	tm_kust_consumed_dispose(&c);
	tm_diag_list_dispose(&d);
	return 0;
}
