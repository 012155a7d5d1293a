/*
 * fuzz_ingest.c - libFuzzer target for recognition and every ingester: the input is
 * parsed, each document recognised, and fed to its ingester as a scan would,
 * then the model is frozen. Cross-file $refs point at a directory that does not
 * exist, so they exercise the error paths without touching the disk. An input
 * whose first line is "# trustmap.yaml" is read as the overlay. The raw bytes
 * also go through the CODEOWNERS reader, and the finished model through the
 * policy evaluator (who can call each of the first workloads).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ingest/ingest.h"
#include "trustmap/query.h"

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
	tm_ingest_ctx ctx = {mb, &d, refs, arena};
	const char *base = size >= 15 && memcmp(data, "# trustmap.yaml", 15) == 0 ? "trustmap.yaml" : "input.yaml";
	void *state[TM_FMT__COUNT] = {0};
	bool begun[TM_FMT__COUNT] = {0};
	for (size_t i = 0; i < tm_file_doc_count(f); i++) {
		tm_detected det;
		tm_detect(tm_file_doc(f, i), base, &det);
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
			if (ing->finish)
				ing->finish(&ctx, state[k]);
			ing->end(state[k]);
		}
	}
	tm_ingest__codeowners(&ctx, "CODEOWNERS", (const char *)data, size);
	tm_model *m = NULL;
	tm_mb_finish(mb, &m);
	mb = NULL;
	for (size_t i = 0; m && i < tm_model_node_count(m) && i < 40; i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) != TM_NODE_SERVICE)
			continue;
		tm_request req = {0};
		req.destination = tm_node_id(n);
		req.path = "/admin";
		tm_callers c;
		if (tm_query_who_can_call(&c, m, &req) == 0)
			tm_callers_dispose(&c);
	}
	tm_model_free(m);
done:
	tm_mb_free(mb);
	tm_refs_free(refs);
	tm_arena_free(arena);
	tm_file_free(f);
	tm_diag_list_dispose(&d);
	return 0;
}
