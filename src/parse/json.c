/*
 * json.c - JSON through jansson, for files libfyaml handles badly.
 *
 * libfyaml slows to ~10 MB/s and gigabytes of memory on JSON with very long
 * lines (a minified 46 MB `terraform show -json` plan). jansson reads those
 * quickly but gives no positions, so values built here carry line 0 and are
 * located by JSON pointer (tm_value_loc fills loc.pointer). Duplicate keys are
 * refused (JSON_REJECT_DUPLICATES): two values for one key is ambiguity an
 * attacker can use against a reviewer.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>

#include "parse.h"

static tm_value *convert(tm_parse_ctx *ctx, json_t *j, const tm_value *parent, uint32_t depth, int *rc);

/* An object's members into v's kids as key, value pairs, then the map's index. */
static tm_value *convert_object(tm_parse_ctx *ctx, json_t *j, tm_value *v, uint32_t depth, int *rc)
{
	tm_file *f = ctx->file;
	v->kind = TM_VALUE_MAP;
	size_t n = json_object_size(j);
	if (!n)
		return v;
	v->u.kids = tm_arena_alloc(f->arena, 2 * n * sizeof(tm_value *));
	if (!v->u.kids) {
		*rc = TM_ENOMEM;
		return NULL;
	}
	const char *key;
	json_t *val;
	size_t i = 0;
	json_object_foreach(j, key, val) {
		tm_value *k = tm_arena_alloc(f->arena, sizeof(*k));
		if (!k) {
			*rc = TM_ENOMEM;
			return NULL;
		}
		f->nvalues++;
		k->kind = TM_VALUE_SCALAR;
		k->flags = TM_VF_QUOTED;
		k->parent = v;
		k->len = (uint32_t)strlen(key);
		k->u.str = tm_arena_strndup(f->arena, key, k->len);
		tm_value *c = convert(ctx, val, v, depth + 1, rc);
		if (!c || !k->u.str) {
			if (!*rc)
				*rc = TM_ENOMEM;
			return NULL;
		}
		v->u.kids[2 * i] = k;
		v->u.kids[2 * i + 1] = c;
		i++;
	}
	v->len = (uint32_t)i;
	if (tm_parse__index_map(f->arena, v)) {
		*rc = TM_ENOMEM;
		return NULL;
	}
	return v;
}

static tm_value *convert_array(tm_parse_ctx *ctx, json_t *j, tm_value *v, uint32_t depth, int *rc)
{
	v->kind = TM_VALUE_SEQ;
	size_t n = json_array_size(j);
	if (!n)
		return v;
	v->u.kids = tm_arena_alloc(ctx->file->arena, n * sizeof(tm_value *));
	if (!v->u.kids) {
		*rc = TM_ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		v->u.kids[i] = convert(ctx, json_array_get(j, i), v, depth + 1, rc);
		if (!v->u.kids[i])
			return NULL;
	}
	v->len = (uint32_t)n;
	return v;
}

/* A scalar's type and its text, as YAML would have written it. */
static tm_value *convert_scalar(tm_parse_ctx *ctx, json_t *j, tm_value *v, int *rc)
{
	char num[64];
	const char *text = NULL;
	size_t len = 0;
	switch (json_typeof(j)) {
	case JSON_STRING:
		v->type = TM_SCALAR_STR;
		v->flags = TM_VF_QUOTED;
		text = json_string_value(j);
		len = json_string_length(j);
		if (len > ctx->limits->max_scalar_bytes) {
			*rc = TM_ELIMIT;
			return NULL;
		}
		break;
	case JSON_INTEGER:
		v->type = TM_SCALAR_INT;
		tm_formatf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		text = num;
		len = strlen(num);
		break;
	case JSON_REAL: {
		/*
		 * Integers arrive as reals (JSON_DECODE_INT_AS_REAL) so that specs with
		 * 9223372036854775807-sized examples load; integral values that a double
		 * holds exactly become integers again (so 1.0 reads as 1).
		 */
		double d = json_real_value(j);
		/* range first: converting a double outside int64_t's range is undefined */
		if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(int64_t)d) {
			v->type = TM_SCALAR_INT;
			tm_formatf(num, sizeof(num), "%" PRId64, (int64_t)d);
		} else {
			v->type = TM_SCALAR_FLOAT;
			tm_formatf(num, sizeof(num), "%.17g", d);
		}
		text = num;
		len = strlen(num);
		break;
	}
	case JSON_TRUE:
	case JSON_FALSE:
		v->type = TM_SCALAR_BOOL;
		text = json_is_true(j) ? "true" : "false";
		len = strlen(text);
		break;
	default:
		v->type = TM_SCALAR_NULL;
		text = "null";
		len = 4;
		break;
	}
	v->kind = TM_VALUE_SCALAR;
	v->len = (uint32_t)len;
	v->u.str = tm_arena_strndup(ctx->file->arena, text, len);
	if (!v->u.str) {
		*rc = TM_ENOMEM;
		return NULL;
	}
	return v;
}

static tm_value *convert(tm_parse_ctx *ctx, json_t *j, const tm_value *parent, uint32_t depth,
			 int *rc)
{
	tm_file *f = ctx->file;
	if (depth > ctx->limits->max_depth) {
		*rc = TM_ELIMIT;
		return NULL;
	}
	if (f->nvalues >= ctx->limits->max_nodes) {
		*rc = TM_ELIMIT;
		return NULL;
	}
	tm_value *v = tm_arena_alloc(f->arena, sizeof(*v));
	if (!v) {
		*rc = TM_ENOMEM;
		return NULL;
	}
	f->nvalues++;
	v->parent = parent;
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return convert_object(ctx, j, v, depth, rc);
	case JSON_ARRAY:
		return convert_array(ctx, j, v, depth, rc);
	default:
		return convert_scalar(ctx, j, v, rc);
	}
}

/*
 * An upper bound on the values (keys included) the text holds, read in one pass without
 * building anything: every value but the first follows a ',' or ':' or opens a container, so
 * counting those outside strings bounds the tree (an empty container counts one too many).
 * jansson holds about 100 bytes per value, so a document over the node limit is refused here,
 * before it costs gigabytes.
 */
static size_t count_values(const char *s, size_t len)
{
	size_t n = 1;
	bool in_str = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == ',' || c == ':' || c == '[' || c == '{') {
			n++;
		}
	}
	return n;
}

int tm_parse__json(tm_parse_ctx *ctx)
{
	json_error_t err;
	size_t est = count_values(ctx->buf, ctx->len);
	if (est > ctx->limits->max_nodes) {
		tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_ERROR, tm_parse__loc(ctx, 1, 1),
			    "json: about %zu values, over the limit of %zu; not parsed", est,
			    (size_t)ctx->limits->max_nodes);
		return TM_ELIMIT;
	}
	/* jansson's allocations go through our hook too, so allocation-failure tests reach them */
	json_set_alloc_funcs(tm_malloc, tm_free);
	json_t *root = json_loadb(ctx->buf, ctx->len,
				  JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL |
					  JSON_DECODE_INT_AS_REAL, &err);
	if (!root) {
		/* jansson's own nesting limit (2048) is our limit too */
		int code = json_error_code(&err) == json_error_stack_overflow ? TM_ELIMIT : TM_EPARSE;
		tm_diag_add(ctx->diags, code, TM_LEVEL_ERROR,
			    tm_parse__loc(ctx, err.line > 0 ? (uint32_t)err.line : 0,
					  err.column > 0 ? (uint32_t)err.column : 0),
			    "json: %s", err.text);
		return code;
	}
	int rc = 0;
	tm_value *v = convert(ctx, root, NULL, 0, &rc);
	json_decref(root);
	if (!v) {
		tm_diag_add(ctx->diags, rc, TM_LEVEL_ERROR, tm_parse__loc(ctx, 0, 0), "json: %s",
			    rc == TM_ELIMIT ? "document exceeds a size or nesting limit" : tm_strerror(rc));
		return rc;
	}
	ctx->file->positions = false;
	return tm_parse__add_doc(ctx->file, v);
}
