/*
 * fuzz_ingest.c - libFuzzer target for recognition and every ingester: the input is
 * parsed, each document recognised, and fed to its ingester as a scan would,
 * then the model is frozen. Cross-file $refs point at a directory that does not
 * exist, so they exercise the error paths without touching the disk.
 */
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_nodes = 200000;
	lim.max_alias_expansion = 10000;
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f = NULL;
	tm_arena *arena = tm_arena_new();
	tm_refs *refs = arena ? tm_refs_new(arena, &lim, &d) : NULL;
	tm_model_builder *mb = tm_mb_new();
	if (!refs || !mb || tm_file_parse(&f, "fuzz/input.yaml", (const char *)data, size, &lim, &d))
		goto done;
	tm_refs_add_root(refs, "/nonexistent-fuzz-root");
	tm_refs_add_file(refs, f, "/nonexistent-fuzz-root/fuzz/input.yaml");
	tm_ingest_ctx ctx = {mb, &d, refs};
	void *state[TM_FMT__COUNT] = {0};
	bool begun[TM_FMT__COUNT] = {0};
	for (size_t i = 0; i < tm_file_doc_count(f); i++) {
		tm_detected det;
		tm_detect(tm_file_doc(f, i), "input.yaml", &det);
		const tm_ingester *ing = tm_format_ingester(det.format);
		if (!ing || det.unsupported)
			continue;
		if (!begun[det.format]) {
			begun[det.format] = true;
			state[det.format] = ing->begin(&ctx);
		}
		ing->doc(&ctx, state[det.format], f, tm_file_doc(f, i), det.detail);
	}
	for (int k = 0; k < TM_FMT__COUNT; k++) {
		const tm_ingester *ing = tm_format_ingester((tm_format)k);
		if (begun[k]) {
			ing->finish(&ctx, state[k]);
			ing->end(state[k]);
		}
	}
	tm_model *m = NULL;
	tm_mb_finish(mb, &m);
	mb = NULL;
	tm_model_free(m);
done:
	tm_mb_free(mb);
	tm_refs_free(refs);
	tm_arena_free(arena);
	tm_file_free(f);
	tm_diag_list_dispose(&d);
	return 0;
}
