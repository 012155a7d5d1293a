/*
 * fuzz_parse.c - libFuzzer targets for the document parser, and for walking every tree it
 * builds. fuzz_parse: YAML through libfyaml events and JSON through both parsers (jansson
 * takes JSON with a line over 512 bytes on the first pass, over 64 KiB on the second).
 * fuzz_json (TM_FUZZ_JSON): every input starting with '{' or '[' goes to jansson, the path
 * for huge single-line JSON (minified Terraform plans), whatever its line lengths.
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
#ifdef TM_FUZZ_JSON
	lim.jansson_line_bytes = 0;
	const int passes = 1;
#else
	lim.jansson_line_bytes = 512; /* reach the jansson path with small inputs too */
	const int passes = 2;
#endif
	for (int pass = 0; pass < passes; pass++) {
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
