/*
 * fuzz_parse.c - libFuzzer target for the document parser (YAML through libfyaml
 * events, JSON through jansson), and for walking every tree it builds.
 * Small limits keep each input fast; the same code runs from replay.c under ctest.
 */
#include <stddef.h>
#include <stdint.h>

#include "trustmap/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(const tm_file *f, const tm_value *v, unsigned depth)
{
	if (!v || depth > 300)
		return 0;
	size_t n = 1;
	(void)tm_value_loc(f, v);
	switch (tm_value_kind_of(v)) {
	case TM_VALUE_SCALAR: {
		bool b;
		int64_t i;
		(void)tm_scalar_bool(v, &b);
		(void)tm_scalar_int(v, &i);
		break;
	}
	case TM_VALUE_MAP:
		for (size_t k = 0; k < tm_value_len(v); k++)
			n += walk(f, tm_map_key(v, k), depth + 1) + walk(f, tm_map_value(v, k), depth + 1);
		(void)tm_map_get(v, "kind");
		break;
	case TM_VALUE_SEQ:
		for (size_t k = 0; k < tm_value_len(v); k++)
			n += walk(f, tm_seq_at(v, k), depth + 1);
		break;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_nodes = 200000;
	lim.max_alias_expansion = 10000;
	lim.max_depth = 128;
	lim.jansson_line_bytes = 512; /* reach the jansson path with small inputs too */
	for (int pass = 0; pass < 2; pass++) {
		tm_diag_list d;
		tm_diag_list_init(&d);
		tm_file *f = NULL;
		if (tm_file_parse(&f, "fuzz.yaml", (const char *)data, size, &lim, &d) == 0) {
			size_t budget = 0;
			/* aliases are shared, so a walk may revisit values: bound it by the expansion limit */
			for (size_t i = 0; i < tm_file_doc_count(f) && budget < 1000000; i++)
				budget += walk(f, tm_file_doc(f, i), 0);
			tm_file_free(f);
		}
		tm_diag_list_dispose(&d);
		lim.jansson_line_bytes = 64u << 10;
	}
	return 0;
}
