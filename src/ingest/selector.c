/*
 * selector.c - label maps, LabelSelectors and string lists, copied into the
 * policy arena so the policy model outlives the parsed files.
 */
#include "ingest.h"

void tm_ingest__labels(tm_arena *a, const tm_value *map, tm_labels *out)
{
	memset(out, 0, sizeof(*out));
	size_t n = map && tm_value_kind_of(map) == TM_VALUE_MAP ? tm_value_len(map) : 0;
	if (!n || !(out->items = tm_arena_alloc(a, n * sizeof(tm_label))))
		return;
	for (size_t i = 0; i < n; i++) {
		const char *k = tm_scalar_str(tm_map_key(map, i), NULL);
		const char *v = tm_scalar_str(tm_map_value(map, i), NULL);
		if (!k)
			continue;
		out->items[out->n].key = tm_pm_strdup(a, k);
		out->items[out->n].value = tm_pm_strdup(a, v ? v : "");
		if (out->items[out->n].key && out->items[out->n].value)
			out->n++;
	}
}

tm_strs tm_ingest__strs(tm_arena *a, const tm_value *seq)
{
	tm_strs s = {NULL, 0, false};
	if (!seq)
		return s;
	s.present = true;
	if (tm_value_kind_of(seq) == TM_VALUE_SCALAR) {
		const char *t = tm_scalar_str(seq, NULL);
		if ((s.items = tm_arena_alloc(a, sizeof(char *))) && t && (s.items[0] = tm_pm_strdup(a, t)))
			s.n = 1;
		return s;
	}
	size_t n = tm_value_kind_of(seq) == TM_VALUE_SEQ ? tm_value_len(seq) : 0;
	if (!n || !(s.items = tm_arena_alloc(a, n * sizeof(char *))))
		return s;
	for (size_t i = 0; i < n; i++) {
		const char *t = tm_scalar_str(tm_seq_at(seq, i), NULL);
		if (t && (s.items[s.n] = tm_pm_strdup(a, t)))
			s.n++;
	}
	return s;
}

static int op_of(const char *op)
{
	static const char *const names[] = {"In", "NotIn", "Exists", "DoesNotExist"};
	for (size_t i = 0; op && i < TM_ARRAY_LEN(names); i++)
		if (strcmp(op, names[i]) == 0)
			return (int)i;
	return -1;
}

void tm_ingest__selector(tm_ingest_ctx *ctx, tm_arena *a, const tm_file *f, const tm_value *v,
			 tm_selector *out)
{
	memset(out, 0, sizeof(*out));
	if (!v)
		return;
	out->present = true;
	if (tm_value_kind_of(v) != TM_VALUE_MAP) {
		if (tm_scalar_type_of(v) != TM_SCALAR_NULL) {
			out->invalid = true;
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, v),
				    "label selector is not a mapping; it selects nothing");
		}
		return;
	}
	const tm_value *ml = tm_map_get(v, "matchLabels");
	const tm_value *me = tm_map_get(v, "matchExpressions");
	size_t cap = tm_value_len(ml) + tm_value_len(me);
	if (!cap || !(out->reqs = tm_arena_alloc(a, cap * sizeof(tm_sel_req))))
		return;
	tm_labels l;
	tm_ingest__labels(a, ml, &l);
	for (size_t i = 0; i < l.n; i++) {
		tm_sel_req *r = &out->reqs[out->n++];
		r->key = l.items[i].key;
		r->op = TM_SEL_IN;
		r->values.present = true;
		r->values.items = tm_arena_alloc(a, sizeof(char *));
		if (r->values.items) {
			r->values.items[0] = l.items[i].value;
			r->values.n = 1;
		}
	}
	for (size_t i = 0; i < tm_value_len(me); i++) {
		const tm_value *e = tm_seq_at(me, i);
		const char *key = tm_map_get_str(e, "key");
		int op = op_of(tm_map_get_str(e, "operator"));
		if (!key || op < 0) {
			out->invalid = true;
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, e),
				    "match expression needs a key and an operator (In, NotIn, Exists, "
				    "DoesNotExist); the selector selects nothing");
			continue;
		}
		tm_sel_req *r = &out->reqs[out->n++];
		r->key = tm_pm_strdup(a, key);
		r->op = op;
		r->values = tm_ingest__strs(a, tm_map_get(e, "values"));
	}
}

static bool shape_error(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *v, const char *what,
			const char *want)
{
	tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, v),
		    "%s must be %s; the API server would refuse this policy, so it is not evaluated", what, want);
	return false;
}

bool tm_ingest__seq_of_maps(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *v, const char *what)
{
	if (!v)
		return true;
	if (tm_value_kind_of(v) != TM_VALUE_SEQ)
		return shape_error(ctx, f, v, what, "a list");
	for (size_t i = 0; i < tm_value_len(v); i++)
		if (tm_value_kind_of(tm_seq_at(v, i)) != TM_VALUE_MAP)
			return shape_error(ctx, f, tm_seq_at(v, i), what, "a list of mappings");
	return true;
}

bool tm_ingest__seq_of_scalars(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *v, const char *what)
{
	if (!v)
		return true;
	if (tm_value_kind_of(v) != TM_VALUE_SEQ)
		return shape_error(ctx, f, v, what, "a list");
	for (size_t i = 0; i < tm_value_len(v); i++)
		if (tm_value_kind_of(tm_seq_at(v, i)) != TM_VALUE_SCALAR)
			return shape_error(ctx, f, tm_seq_at(v, i), what, "a list of strings");
	return true;
}
