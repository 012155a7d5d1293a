/*
 * kustomize_gen.c - configMapGenerator and secretGenerator, and the content-hash name suffix.
 *
 * The suffix is kustomize's (api/hasher): SHA-256 of the JSON encoding (Go's encoding/json:
 * sorted keys, HTML characters escaped) of {"data", "kind", "name": ""} for a ConfigMap (plus
 * "binaryData" when set; "immutable" is not hashed, as kubectl's names show) or {"data", "kind",
 * "name": "", "type"} for a Secret (data as written: base64 in lines of 70), hashed after every
 * transformer ran; its first ten hex digits with 0,1,3,a,e mapped to g,h,k,m,t so the suffix
 * never reads as a number or a word. The name is empty: kustomize hashes before naming.
 */
#include <stdlib.h>

#include "render/kustomize_int.h"


/* ---- Go encoding/json ---- */

static void json_str(tm_strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	tm_strbuf_putc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			tm_strbuf_putc(sb, '\\');
			tm_strbuf_putc(sb, (char)c);
		} else if (c == '\n') {
			tm_strbuf_puts(sb, "\\n");
		} else if (c == '\r') {
			tm_strbuf_puts(sb, "\\r");
		} else if (c == '\t') {
			tm_strbuf_puts(sb, "\\t");
		} else if (c == '\b') {
			tm_strbuf_puts(sb, "\\b");
		} else if (c == '\f') {
			tm_strbuf_puts(sb, "\\f");
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			tm_strbuf_printf(sb, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
		} else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		           ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
			tm_strbuf_printf(sb, "\\u202%c",
			                 (unsigned char)s[i + 2] == 0xA8 ? '8' : '9');
			i += 2;
		} else {
			tm_strbuf_putc(sb, (char)c);
		}
	}
	tm_strbuf_putc(sb, '"');
}

static int key_cmp(const void *a, const void *b)
{
	const tm_value *ka = *(const tm_value *const *)a, *kb = *(const tm_value *const *)b;
	size_t la, lb;
	const char *sa = tm_scalar_str(ka, &la), *sb = tm_scalar_str(kb, &lb);
	int c = memcmp(sa, sb, la < lb ? la : lb);
	return c ? c : la < lb ? -1 : la > lb;
}

/* A map of strings, keys sorted. */
static void json_map(tm_strbuf *sb, const tm_value *m)
{
	size_t n = tm_value_len(m);
	const tm_value **keys = tm_calloc(n ? n : 1, sizeof(*keys));
	if (!keys) {
		sb->oom = 1;
		return;
	}
	size_t cnt = 0;
	for (size_t i = 0; i < n; i++)
		if (tm_scalar_str(tm_map_key(m, i), NULL))
			keys[cnt++] = tm_map_key(m, i);
	qsort(keys, cnt, sizeof(*keys), key_cmp);
	tm_strbuf_putc(sb, '{');
	for (size_t i = 0; i < cnt; i++) {
		size_t kl, vl;
		const char *k = tm_scalar_str(keys[i], &kl);
		const char *v = tm_scalar_str(tm_map_get(m, k), &vl);
		if (i)
			tm_strbuf_putc(sb, ',');
		json_str(sb, k, kl);
		tm_strbuf_putc(sb, ':');
		json_str(sb, v ? v : "", v ? vl : 0);
	}
	tm_strbuf_putc(sb, '}');
	tm_free(keys);
}

static bool hash_of(tm_strbuf *json, const tm_value *obj, char out[11])
{
	const char *kind = tm_kust__kind(obj);
	bool secret = strcmp(kind, "Secret") == 0;
	const tm_value *bin = tm_map_get(obj, "binaryData");
	tm_strbuf_reset(json);
	tm_strbuf_puts(json, "{");
	if (!secret && tm_value_len(bin)) {
		tm_strbuf_puts(json, "\"binaryData\":");
		json_map(json, bin);
		tm_strbuf_putc(json, ',');
	}
	tm_strbuf_puts(json, "\"data\":");
	if (tm_value_len(tm_map_get(obj, "data")) || secret)
		json_map(json, tm_map_get(obj, "data"));
	else
		tm_strbuf_puts(json, secret ? "{}" : "null");
	tm_strbuf_puts(json, ",\"kind\":");
	json_str(json, kind, strlen(kind));
	/* kustomize v5 hashes the generated object before it has a name: "name" is always "" */
	tm_strbuf_puts(json, ",\"name\":\"\"");
	if (secret) {
		const char *type = tm_map_get_str(obj, "type");
		tm_strbuf_puts(json, ",\"type\":");
		json_str(json, type ? type : "", type ? strlen(type) : 0);
	}
	tm_strbuf_putc(json, '}');
	if (json->oom)
		return false;
	unsigned char d[32];
	tm_sha256_digest(d, json->data, json->len);
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 10; i++) {
		char c = hex[(d[i / 2] >> (i % 2 ? 0 : 4)) & 15];
		switch (c) {
		case '0':
			c = 'g';
			break;
		case '1':
			c = 'h';
			break;
		case '3':
			c = 'k';
			break;
		case 'a':
			c = 'm';
			break;
		case 'e':
			c = 't';
			break;
		default:
			break;
		}
		out[i] = c;
	}
	out[10] = '\0';
	return true;
}

void tm_kust__hash_names(kctx *k, kresv *rs)
{
	tm_strbuf json = TM_STRBUF_INIT;
	for (size_t i = 0; i < rs->n && !k->fatal; i++) {
		kres *r = &rs->v[i];
		if (!r->hash)
			continue;
		char h[11];
		if (!hash_of(&json, r->obj, h)) {
			k->fatal = TM_ENOMEM;
			break;
		}
		tm_value *meta = tm_map_get_mut(r->obj, "metadata");
		tm_value *old = tm_map_get_mut(meta, "name");
		char *nn = tm_arena_printf(k->out->arena, "%s-%s", tm_kust__name(r->obj), h);
		if (!nn) {
			k->fatal = TM_ENOMEM;
			break;
		}
		tm_kust__set_str(k, meta, "name", nn, tm_value_loc(k->out, old));
	}
	tm_strbuf_dispose(&json);
}

/* ---- generators ---- */

static void b64(tm_strbuf *sb, const unsigned char *p, size_t n)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);
		tm_strbuf_putc(sb, t[v >> 18 & 63]);
		tm_strbuf_putc(sb, t[v >> 12 & 63]);
		tm_strbuf_putc(sb, i + 1 < n ? t[v >> 6 & 63] : '=');
		tm_strbuf_putc(sb, i + 2 < n ? t[v & 63] : '=');
	}
}

typedef struct {
	kfile *kf;
	bool secret;
	tm_value *data; /* the map being filled */
	tm_hmap keys;   /* its keys, so a big env file builds it in linear time */
} gen;

static void put_kv(gen *g, const char *key, size_t klen, const char *val, size_t vlen, tm_loc at)
{
	kctx *k = g->kf->k;
	tm_strbuf enc = TM_STRBUF_INIT;
	if (g->secret) {
		/* kyaml writes base64 of 70 characters or more in lines of 70, each ended by "\n"
		 */
		tm_strbuf raw = TM_STRBUF_INIT;
		b64(&raw, (const unsigned char *)val, vlen);
		for (size_t i = 0; raw.len >= 70 && i < raw.len; i += 70) {
			tm_strbuf_put(&enc, raw.data + i, raw.len - i < 70 ? raw.len - i : 70);
			tm_strbuf_putc(&enc, '\n');
		}
		if (raw.len < 70)
			tm_strbuf_put(&enc, raw.data ? raw.data : "", raw.len);
		enc.oom |= raw.oom;
		tm_strbuf_dispose(&raw);
		tm_strbuf_puts(&enc, "");
		val = enc.data;
		vlen = enc.len;
	}
	char *kcopy = tm_arena_strndup(k->out->arena, key, klen);
	tm_value *s = enc.oom || !kcopy
	                  ? NULL
	                  : tm_value_new_scalar(k->out, at, TM_SCALAR_STR, val, vlen, true);
	bool seen = kcopy && tm_hmap_get(&g->keys, kcopy, klen);
	if (!s || (seen ? tm_map_set(k->out, g->data, kcopy, s)
	                : tm_map_append(k->out, g->data, kcopy, s) ||
	                      tm_hmap_put(&g->keys, kcopy, klen, s)))
		k->fatal = TM_ENOMEM;
	tm_strbuf_dispose(&enc);
}

static void literals(gen *g, const tm_value *list)
{
	for (size_t i = 0; i < tm_value_len(list) && list->kind == TM_VALUE_SEQ; i++) {
		const tm_value *e = tm_seq_at(list, i);
		size_t len;
		const char *s = tm_scalar_str(e, &len);
		const char *eq = s ? memchr(s, '=', len) : NULL;
		if (!eq || eq == s) {
			tm_kust__diag(g->kf->k, TM_LEVEL_ERROR, TM_EINVALID, tm_kust__loc(g->kf, e),
			              "literal must be key=value");
			continue;
		}
		const char *v = eq + 1;
		size_t vl = len - (size_t)(v - s);
		if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0])
			v++, vl -= 2;
		put_kv(g, s, (size_t)(eq - s), v, vl, tm_kust__loc(g->kf, e));
	}
}

static void files(gen *g, const tm_value *list)
{
	for (size_t i = 0; i < tm_value_len(list) && list->kind == TM_VALUE_SEQ; i++) {
		const tm_value *e = tm_seq_at(list, i);
		const char *s = tm_scalar_str(e, NULL);
		if (!s || !*s)
			continue;
		const char *eq = strchr(s, '=');
		const char *path = eq ? eq + 1 : s;
		const char *base = strrchr(path, '/');
		const char *key = eq ? s : base ? base + 1 : path;
		size_t klen = eq ? (size_t)(eq - s) : strlen(key);
		char *data;
		size_t len;
		const char *shown;
		if (tm_kust__read_local_bytes(g->kf, path, e, &data, &len, &shown))
			continue;
		tm_loc at = {shown, 1, 1, NULL};
		put_kv(g, key, klen, data, len, at);
		tm_free(data);
	}
}

static void envs(gen *g, const tm_value *e)
{
	const char *s = tm_scalar_str(e, NULL);
	if (!s || !*s)
		return;
	char *data;
	size_t len;
	const char *shown;
	if (tm_kust__read_local_bytes(g->kf, s, e, &data, &len, &shown))
		return;
	size_t line = 0;
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		const char *p = data + off;
		size_t n = end - off;
		line++;
		off = end + 1;
		if (n && p[n - 1] == '\r')
			n--;
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		if (!n || *p == '#')
			continue;
		const char *eq = memchr(p, '=', n);
		tm_loc l = {shown, (uint32_t)line, 1, NULL};
		if (!eq) /* a bare name takes its value from the environment kustomize runs in: ""
		            here */
			put_kv(g, p, n, "", 0, l);
		else
			put_kv(g, p, (size_t)(eq - p), eq + 1, n - (size_t)(eq + 1 - p), l);
	}
	tm_free(data);
}

static void merge_pairs(kctx *k, tm_value *obj, const char *field, const tm_value *pairs,
                        const kfile *kf)
{
	if (!pairs || pairs->kind != TM_VALUE_MAP || !pairs->len)
		return;
	tm_value *meta = tm_kust__child_map(k, obj, "metadata", true, tm_kust__loc(kf, pairs));
	tm_value *m = tm_kust__child_map(k, meta, field, true, tm_kust__loc(kf, pairs));
	for (size_t i = 0; m && i < pairs->len; i++) {
		const char *key = tm_scalar_str(tm_map_key(pairs, i), NULL);
		const char *v = tm_scalar_str(tm_map_value(pairs, i), NULL);
		if (key && v)
			tm_kust__set_str(k, m, key, v, tm_kust__loc(kf, tm_map_value(pairs, i)));
	}
}

static void generate(kfile *kf, kresv *rs, const tm_value *e, bool secret, const tm_value *gopts)
{
	kctx *k = kf->k;
	const char *name = tm_map_get_str(e, "name");
	const char *ns = tm_map_get_str(e, "namespace");
	const char *behavior = tm_map_get_str(e, "behavior");
	tm_loc at = tm_kust__loc(kf, e);
	if (!name || !*name) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at, "generator entry needs a name");
		return;
	}
	tm_value *obj = tm_value_new_map(k->out, at);
	tm_value *meta = tm_value_new_map(k->out, at);
	tm_value *data = tm_value_new_map(k->out, at);
	if (!obj || !meta || !data || tm_map_set(k->out, obj, "metadata", meta)) {
		k->fatal = TM_ENOMEM;
		return;
	}
	tm_kust__set_str(k, obj, "apiVersion", "v1", at);
	tm_kust__set_str(k, obj, "kind", secret ? "Secret" : "ConfigMap", at);
	tm_kust__set_str(k, meta, "name", name, tm_kust__loc(kf, tm_map_get(e, "name")));
	if (ns && *ns)
		tm_kust__set_str(k, meta, "namespace", ns,
		                 tm_kust__loc(kf, tm_map_get(e, "namespace")));
	gen g = {kf, secret, data, TM_HMAP_INIT};
	literals(&g, tm_map_get(e, "literals"));
	files(&g, tm_map_get(e, "files"));
	envs(&g, tm_map_get(e, "env"));
	const tm_value *ev = tm_map_get(e, "envs");
	for (size_t i = 0; i < tm_value_len(ev) && ev->kind == TM_VALUE_SEQ; i++)
		envs(&g, tm_seq_at(ev, i));
	tm_hmap_dispose(&g.keys);
	if (secret)
		tm_kust__set_str(k, obj, "type",
		                 tm_map_get_str(e, "type") ? tm_map_get_str(e, "type") : "Opaque",
		                 at);
	if (data->len && tm_map_set(k->out, obj, "data", data))
		k->fatal = TM_ENOMEM;
	const tm_value *opts = tm_map_get(e, "options");
	bool nohash = false, immutable = false;
	for (int pass = 0; pass < 2; pass++) {
		const tm_value *o = pass ? opts : gopts;
		bool b;
		if (tm_scalar_bool(tm_map_get(o, "disableNameSuffixHash"), &b) == 0)
			nohash = b;
		if (tm_scalar_bool(tm_map_get(o, "immutable"), &b) == 0)
			immutable = b;
		merge_pairs(k, obj, "labels", tm_map_get(o, "labels"), kf);
		merge_pairs(k, obj, "annotations", tm_map_get(o, "annotations"), kf);
	}
	if (immutable) {
		tm_value *t = tm_value_new_scalar(k->out, at, TM_SCALAR_BOOL, "true", 4, false);
		if (!t || tm_map_set(k->out, obj, "immutable", t))
			k->fatal = TM_ENOMEM;
	}
	if (behavior && (strcmp(behavior, "merge") == 0 || strcmp(behavior, "replace") == 0)) {
		const char *kind = secret ? "Secret" : "ConfigMap";
		for (size_t i = 0; i < rs->n; i++) {
			kres *r = &rs->v[i];
			const char *rns = tm_kust__ns(r->obj);
			if (strcmp(tm_kust__kind(r->obj), kind) || strcmp(r->orig_name, name) ||
			    (ns && rns && strcmp(ns, rns)))
				continue;
			if (behavior[0] == 'r') {
				tm_map_remove(r->obj, "data");
				if (data->len && tm_map_set(k->out, r->obj, "data", data))
					k->fatal = TM_ENOMEM;
			} else {
				tm_value *dst = tm_kust__child_map(k, r->obj, "data", true, at);
				for (size_t j = 0; dst && j < data->len; j++)
					if (tm_map_set(k->out, dst,
					               tm_scalar_str(tm_map_key(data, j), NULL),
					               tm_map_value_mut(data, j)))
						k->fatal = TM_ENOMEM;
			}
			if (immutable &&
			    tm_map_set(k->out, r->obj, "immutable", tm_map_get_mut(obj, "immutable")))
				k->fatal = TM_ENOMEM;
			merge_pairs(k, r->obj, "labels",
			            tm_map_get(tm_map_get(obj, "metadata"), "labels"), kf);
			merge_pairs(k, r->obj, "annotations",
			            tm_map_get(tm_map_get(obj, "metadata"), "annotations"), kf);
			if (nohash)
				r->hash = false;
			return;
		}
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_ENOTFOUND, at,
		              "behavior %s: no %s %s to %s in the resources", behavior, kind, name,
		              behavior);
		return;
	}
	for (size_t i = 0; i < rs->n; i++) {
		kres *r = &rs->v[i];
		if (strcmp(tm_kust__kind(r->obj), secret ? "Secret" : "ConfigMap") == 0 &&
		    strcmp(r->orig_name, name) == 0 && r->gen_kind) {
			const char *rns = tm_kust__ns(r->obj);
			if ((ns ? ns : "") && strcmp(ns ? ns : "", rns ? rns : "") == 0)
				tm_kust__diag(
				    k, TM_LEVEL_ERROR, TM_EINVALID, at,
				    "%s %s is generated twice; use behavior: merge or replace",
				    secret ? "Secret" : "ConfigMap", name);
		}
	}
	if (TM_GROW(rs->v, rs->cap, rs->n + 1)) {
		k->fatal = TM_ENOMEM;
		return;
	}
	kres *r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->obj = obj;
	r->orig_name = tm_kust__name(obj);
	r->orig_ns = tm_kust__ns(obj);
	r->gen_kind = secret ? "Secret" : "ConfigMap";
	r->hash = !nohash;
	tm_kust__remember_name(k, r);
	k->ndocs++;
}

void tm_kust__generators(kfile *kf, kresv *rs)
{
	const tm_value *gopts = tm_map_get(kf->root, "generatorOptions");
	for (int pass = 0; pass < 2; pass++) {
		const tm_value *list =
		    tm_map_get(kf->root, pass ? "secretGenerator" : "configMapGenerator");
		for (size_t i = 0;
		     i < tm_value_len(list) && list->kind == TM_VALUE_SEQ && !kf->k->fatal; i++)
			generate(kf, rs, tm_seq_at(list, i), pass == 1, gopts);
	}
}
