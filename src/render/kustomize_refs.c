/*
 * kustomize_refs.c - name references (kustomize's nameReference defaults, the fields a threat
 * model reads) and replacements.
 *
 * Name references run once, after every kustomization's prefix, suffix and hash: a field that
 * names an object by the name it was written with (a pod's serviceAccountName, a volume's
 * configMap, a RoleBinding's roleRef...) is rewritten to the object's final name. Candidates are
 * found by kind and original name through a hash map; when several match, the one in the
 * referrer's namespace wins, and an ambiguous reference is left alone. Service selectors are
 * labels, not names: nothing here touches them.
 */
#include <stdlib.h>

#include "render/kustomize_int.h"

typedef struct cand {
	size_t idx;
	struct cand *next;
} cand;

typedef struct {
	kctx *k;
	kresv *rs;
	tm_hmap by_name; /* "kind\1original name" -> cand list */
	tm_arena *arena;
	const tm_value *referrer;
} refs;

/* The final name of the kind object originally called name, seen from the referrer; NULL: keep. */
static const kres *resolve(refs *r, const char *kind, const char *name)
{
	char *key = tm_arena_printf(r->arena, "%s\1%s", kind, name);
	if (!key)
		return NULL;
	const cand *c = tm_hmap_get(&r->by_name, key, strlen(key));
	const char *rns = tm_kust__ns(r->referrer);
	const kres *only = NULL, *same_ns = NULL;
	size_t n = 0, nsame = 0;
	for (; c; c = c->next) {
		const kres *x = &r->rs->v[c->idx];
		const char *xns = tm_kust__ns(x->obj);
		n++;
		only = x;
		if (strcmp(rns ? rns : "", xns ? xns : "") == 0 ||
		    tm_kust__is_cluster_scoped(kind)) {
			nsame++;
			same_ns = x;
		}
	}
	if (nsame == 1)
		return same_ns;
	return n == 1 ? only : NULL;
}

static void rename_at(refs *r, tm_value *map, const char *key, const char *kind)
{
	tm_value *v = tm_map_get_mut(map, key);
	const char *name = tm_scalar_str(v, NULL);
	if (!name || !*name)
		return;
	const kres *x = resolve(r, kind, name);
	if (!x || strcmp(tm_kust__name(x->obj), name) == 0)
		return;
	tm_kust__set_str(r->k, map, key, tm_kust__name(x->obj), tm_value_loc(r->k->out, v));
}

/* Walk path ("a/b[]/c", the last component the key) from node, renaming to kind. */
static void walk(refs *r, tm_value *node, const char *path, const char *kind)
{
	if (!node || node->kind != TM_VALUE_MAP)
		return;
	const char *slash = strchr(path, '/');
	char comp[64];
	size_t n = slash ? (size_t)(slash - path) : strlen(path);
	if (n >= sizeof(comp))
		return;
	memcpy(comp, path, n);
	comp[n] = '\0';
	if (!slash) {
		rename_at(r, node, comp, kind);
		return;
	}
	if (n > 2 && comp[n - 2] == '[') {
		comp[n - 2] = '\0';
		tm_value *seq = tm_map_get_mut(node, comp);
		for (size_t i = 0; seq && seq->kind == TM_VALUE_SEQ && i < seq->len; i++)
			walk(r, tm_seq_at_mut(seq, i), slash + 1, kind);
		return;
	}
	walk(r, tm_map_get_mut(node, comp), slash + 1, kind);
}

static const struct {
	const char *kind, *path;
} POD_REFS[] = {
    {"ConfigMap", "volumes[]/configMap/name"},
    {"ConfigMap", "volumes[]/projected/sources[]/configMap/name"},
    {"ConfigMap", "containers[]/env[]/valueFrom/configMapKeyRef/name"},
    {"ConfigMap", "initContainers[]/env[]/valueFrom/configMapKeyRef/name"},
    {"ConfigMap", "ephemeralContainers[]/env[]/valueFrom/configMapKeyRef/name"},
    {"ConfigMap", "containers[]/envFrom[]/configMapRef/name"},
    {"ConfigMap", "initContainers[]/envFrom[]/configMapRef/name"},
    {"ConfigMap", "ephemeralContainers[]/envFrom[]/configMapRef/name"},
    {"Secret", "volumes[]/secret/secretName"},
    {"Secret", "volumes[]/projected/sources[]/secret/name"},
    {"Secret", "containers[]/env[]/valueFrom/secretKeyRef/name"},
    {"Secret", "initContainers[]/env[]/valueFrom/secretKeyRef/name"},
    {"Secret", "ephemeralContainers[]/env[]/valueFrom/secretKeyRef/name"},
    {"Secret", "containers[]/envFrom[]/secretRef/name"},
    {"Secret", "initContainers[]/envFrom[]/secretRef/name"},
    {"Secret", "ephemeralContainers[]/envFrom[]/secretRef/name"},
    {"Secret", "imagePullSecrets[]/name"},
    {"ServiceAccount", "serviceAccountName"},
    {"ServiceAccount", "serviceAccount"},
    {"PersistentVolumeClaim", "volumes[]/persistentVolumeClaim/claimName"},
    {"PriorityClass", "priorityClassName"},
};

static const struct {
	const char *referrer, *kind, *path;
} OBJ_REFS[] = {
    {"Ingress", "Service", "spec/rules[]/http/paths[]/backend/service/name"},
    {"Ingress", "Service", "spec/rules[]/http/paths[]/backend/serviceName"},
    {"Ingress", "Service", "spec/defaultBackend/service/name"},
    {"Ingress", "Service", "spec/backend/serviceName"},
    {"Ingress", "Secret", "spec/tls[]/secretName"},
    {"StatefulSet", "Service", "spec/serviceName"},
    {"APIService", "Service", "spec/service/name"},
    {"ValidatingWebhookConfiguration", "Service", "webhooks[]/clientConfig/service/name"},
    {"MutatingWebhookConfiguration", "Service", "webhooks[]/clientConfig/service/name"},
    {"ServiceAccount", "Secret", "imagePullSecrets[]/name"},
    {"HTTPRoute", "Service", "spec/rules[]/backendRefs[]/name"},
    {"GRPCRoute", "Service", "spec/rules[]/backendRefs[]/name"},
};

static void role_binding(refs *r, tm_value *obj)
{
	tm_value *ref = tm_map_get_mut(obj, "roleRef");
	const char *rk = tm_map_get_str(ref, "kind");
	if (rk && (strcmp(rk, "Role") == 0 || strcmp(rk, "ClusterRole") == 0))
		rename_at(r, ref, "name", rk);
	tm_value *subjects = tm_map_get_mut(obj, "subjects");
	for (size_t i = 0; subjects && subjects->kind == TM_VALUE_SEQ && i < subjects->len; i++) {
		tm_value *s = tm_seq_at_mut(subjects, i);
		const char *sk = tm_map_get_str(s, "kind"), *sn = tm_map_get_str(s, "name");
		if (!sk || !sn || strcmp(sk, "ServiceAccount"))
			continue;
		const char *sns = tm_map_get_str(s, "namespace");
		char *key = tm_arena_printf(r->arena, "ServiceAccount\1%s", sn);
		const cand *c = key ? tm_hmap_get(&r->by_name, key, strlen(key)) : NULL;
		const kres *hit = NULL, *same = NULL;
		size_t n = 0, nsame = 0;
		const char *bns = tm_kust__ns(obj);
		for (; c; c = c->next) {
			const kres *x = &r->rs->v[c->idx];
			const char *xns = tm_kust__ns(x->obj);
			/* the subject's namespace as written names the account's original namespace */
			if (sns && !(x->orig_ns && strcmp(sns, x->orig_ns) == 0) &&
			    !(xns && strcmp(sns, xns) == 0))
				continue;
			hit = x;
			n++;
			/* without one, the binding's own namespace decides between accounts */
			if (!sns && bns && xns && strcmp(bns, xns) == 0) {
				same = x;
				nsame++;
			}
		}
		if (n > 1 && nsame == 1)
			hit = same, n = 1;
		if (n != 1)
			continue;
		tm_loc at = tm_value_loc(r->k->out, tm_map_get(s, "name"));
		if (strcmp(tm_kust__name(hit->obj), sn))
			tm_kust__set_str(r->k, s, "name", tm_kust__name(hit->obj), at);
		const char *hns = tm_kust__ns(hit->obj);
		if (hns && (!sns || strcmp(hns, sns)))
			tm_kust__set_str(r->k, s, "namespace", hns, at);
	}
}

static void hpa(refs *r, tm_value *obj)
{
	tm_value *ref = tm_map_get_mut(tm_map_get_mut(obj, "spec"), "scaleTargetRef");
	const char *kind = tm_map_get_str(ref, "kind");
	if (kind)
		rename_at(r, ref, "name", kind);
}

void tm_kust__name_refs(kctx *k, kresv *rs)
{
	refs r = {k, rs, TM_HMAP_INIT, tm_arena_new(), NULL};
	if (!r.arena) {
		k->fatal = TM_ENOMEM;
		return;
	}
	for (size_t i = 0; i < rs->n; i++) {
		/* every name the object had: an overlay may refer to a base's prefixed name */
		for (uint32_t j = 0; j < rs->v[i].nnames; j++) {
			bool dup = false;
			for (uint32_t p = 0; p < j; p++)
				dup |= strcmp(rs->v[i].names[p], rs->v[i].names[j]) == 0;
			if (dup)
				continue;
			char *key = tm_arena_printf(r.arena, "%s\1%s", tm_kust__kind(rs->v[i].obj),
			                            rs->v[i].names[j]);
			cand *c = tm_arena_alloc(r.arena, sizeof(*c));
			if (!key || !c) {
				k->fatal = TM_ENOMEM;
				goto done;
			}
			c->idx = i;
			c->next = tm_hmap_get(&r.by_name, key, strlen(key));
			if (tm_hmap_put(&r.by_name, key, strlen(key), c)) {
				k->fatal = TM_ENOMEM;
				goto done;
			}
		}
	}
	for (size_t i = 0; i < rs->n && !k->fatal; i++) {
		tm_value *obj = rs->v[i].obj;
		const char *kind = tm_kust__kind(obj);
		r.referrer = obj;
		tm_value *pod = tm_kust__pod_spec(obj);
		for (size_t j = 0; pod && j < TM_ARRAY_LEN(POD_REFS); j++)
			walk(&r, pod, POD_REFS[j].path, POD_REFS[j].kind);
		for (size_t j = 0; j < TM_ARRAY_LEN(OBJ_REFS); j++)
			if (strcmp(kind, OBJ_REFS[j].referrer) == 0)
				walk(&r, obj, OBJ_REFS[j].path, OBJ_REFS[j].kind);
		if (strcmp(kind, "RoleBinding") == 0 || strcmp(kind, "ClusterRoleBinding") == 0)
			role_binding(&r, obj);
		if (strcmp(kind, "HorizontalPodAutoscaler") == 0)
			hpa(&r, obj);
	}
done:
	tm_hmap_dispose(&r.by_name);
	tm_arena_free(r.arena);
}

/* ---- field paths (vars, replacements): a.b.[k=v].c, a.[dotted.key], a.0, a[0] ---- */

/* The next token of a field path into tok; the rest, or NULL at the end. */
static const char *fp_next(tm_strbuf *tok, const char *p)
{
	tm_strbuf_reset(tok);
	tm_strbuf_puts(tok, "");
	if (*p == '[') {
		const char *e = strchr(p, ']');
		if (!e)
			e = p + strlen(p);
		tm_strbuf_put(tok, p, (size_t)(e - p + (*e ? 1 : 0)));
		p = *e ? e + 1 : e;
	} else {
		size_t n = strcspn(p, ".[");
		tm_strbuf_put(tok, p, n);
		p += n;
	}
	if (*p == '.')
		p++;
	return *p ? p : NULL;
}

/* One step from cur by token; creates a map when create and the step is a missing map key. */
static tm_value *fp_step(kctx *k, tm_value *cur, const char *tok, bool create, tm_loc origin)
{
	if (!cur)
		return NULL;
	size_t n = strlen(tok);
	if (tok[0] == '[' && n >= 2) {
		char buf[256];
		if (n - 2 >= sizeof(buf))
			return NULL;
		memcpy(buf, tok + 1, n - 2);
		buf[n - 2] = '\0';
		char *eq = strchr(buf, '=');
		if (!eq) {
			if (cur->kind == TM_VALUE_SEQ) {
				int64_t i;
				if (tm_parse_i64(buf, strlen(buf), 10, &i) || i < 0)
					return NULL;
				return tm_seq_at_mut(cur, (size_t)i);
			}
			tm_value *v = tm_map_get_mut(cur, buf);
			return v        ? v
			       : create ? tm_kust__child_map(k, cur, buf, true, origin)
			                : NULL;
		}
		*eq = '\0';
		for (size_t i = 0; cur->kind == TM_VALUE_SEQ && i < cur->len; i++) {
			const char *v = tm_map_get_str(tm_seq_at(cur, i), buf);
			if (v && strcmp(v, eq + 1) == 0)
				return tm_seq_at_mut(cur, i);
		}
		return NULL;
	}
	if (cur->kind == TM_VALUE_SEQ) {
		int64_t i;
		if (tm_parse_i64(tok, n, 10, &i) || i < 0)
			return NULL;
		return tm_seq_at_mut(cur, (size_t)i);
	}
	tm_value *v = tm_map_get_mut(cur, tok);
	return v ? v : create ? tm_kust__child_map(k, cur, tok, true, origin) : NULL;
}

/* The value at path in obj (NULL if absent). With set: replace it by set (creating maps when
 * create), and return set. */
static tm_value *fp_access(kctx *k, tm_value *obj, const char *path, tm_value *set, bool create,
                           tm_loc origin)
{
	tm_strbuf tok = TM_STRBUF_INIT;
	tm_value *cur = obj;
	const char *p = path;
	while (p && cur) {
		p = fp_next(&tok, p);
		if (tok.oom)
			break;
		if (!p && set) { /* the last step: put */
			if (cur->kind == TM_VALUE_MAP && tok.data[0] == '[' && !strchr(tok.data, '=') &&
			    tok.len >= 2) {
				/* "[dotted.key]": a map key written with its dots */
				memmove(tok.data, tok.data + 1, tok.len - 2);
				tok.data[tok.len - 2] = '\0';
				tok.len -= 2;
			}
			if (cur->kind == TM_VALUE_MAP && tok.data[0] != '[') {
				if (!create && !tm_map_get(cur, tok.data)) {
					cur = NULL;
					break;
				}
				if (tm_map_set(k->out, cur, tok.data, set))
					k->fatal = TM_ENOMEM;
				cur = set;
				break;
			}
			tm_value *old = fp_step(k, cur, tok.data, false, origin);
			tm_value *parent = cur;
			cur = NULL;
			for (size_t i = 0; old && i < tm_value_len(parent); i++) {
				if (parent->kind == TM_VALUE_SEQ &&
				    tm_seq_at_mut(parent, i) == old) {
					tm_seq_set(parent, i, set);
					cur = set;
				} else if (parent->kind == TM_VALUE_MAP &&
				           tm_map_value_mut(parent, i) == old) {
					const char *key =
					    tm_scalar_str(tm_map_key(parent, i), NULL);
					if (key && tm_map_set(k->out, parent, key, set) == 0)
						cur = set;
				}
			}
			break;
		}
		/* "name[0]" is "name" then "[0]" */
		cur = fp_step(k, cur, tok.data, create && set, origin);
	}
	tm_strbuf_dispose(&tok);
	return cur;
}

/* ---- vars: $(NAME) in container commands, args and env values ---- */

typedef struct {
	const char *name;
	const char *value;
	tm_loc at;
} var;

static void subst(kctx *k, tm_value *map, const char *key, const var *vars, size_t n)
{
	tm_value *v = tm_map_get_mut(map, key);
	const char *s = tm_scalar_str(v, NULL);
	if (!s || !strstr(s, "$("))
		return;
	tm_strbuf sb = TM_STRBUF_INIT;
	bool changed = false;
	for (const char *p = s; *p;) {
		const char *e = p[0] == '$' && p[1] == '(' ? strchr(p, ')') : NULL;
		size_t i = 0;
		for (; e && i < n; i++)
			if (strlen(vars[i].name) == (size_t)(e - p - 2) &&
			    strncmp(vars[i].name, p + 2, (size_t)(e - p - 2)) == 0)
				break;
		if (e && i < n) {
			tm_strbuf_puts(&sb, vars[i].value);
			p = e + 1;
			changed = true;
		} else {
			tm_strbuf_putc(&sb, *p++);
		}
	}
	if (changed && !sb.oom)
		tm_kust__set_str(k, map, key, sb.data, tm_value_loc(k->out, v));
	tm_strbuf_dispose(&sb);
}

static void subst_containers(kctx *k, tm_value *list, const var *vars, size_t n)
{
	for (size_t i = 0; list && list->kind == TM_VALUE_SEQ && i < list->len; i++) {
		tm_value *c = tm_seq_at_mut(list, i);
		for (int f = 0; f < 2; f++) {
			tm_value *seq = tm_map_get_mut(c, f ? "args" : "command");
			for (size_t j = 0; seq && seq->kind == TM_VALUE_SEQ && j < seq->len; j++) {
				/* a list item: wrap the substitution through a one-pair view */
				tm_value *item = tm_seq_at_mut(seq, j);
				const char *s = tm_scalar_str(item, NULL);
				if (!s || !strstr(s, "$("))
					continue;
				tm_value *tmp =
				    tm_value_new_map(k->out, tm_value_loc(k->out, item));
				if (!tmp || tm_map_set(k->out, tmp, "v", item)) {
					k->fatal = TM_ENOMEM;
					return;
				}
				subst(k, tmp, "v", vars, n);
				tm_seq_set(seq, j, tm_map_get_mut(tmp, "v"));
			}
		}
		tm_value *env = tm_map_get_mut(c, "env");
		for (size_t j = 0; env && env->kind == TM_VALUE_SEQ && j < env->len; j++)
			subst(k, tm_seq_at_mut(env, j), "value", vars, n);
	}
}

void tm_kust__vars(kctx *k, kresv *rs, const kvars *kv)
{
	var *vars = tm_calloc(kv->n ? kv->n : 1, sizeof(*vars));
	size_t n = 0;
	if (!vars) {
		k->fatal = TM_ENOMEM;
		return;
	}
	for (size_t i = 0; i < kv->n; i++) {
		const kfile *kf = &kv->v[i].kf;
		const tm_value *d = kv->v[i].def;
		const char *name = tm_map_get_str(d, "name");
		const tm_value *ref = tm_map_get(d, "objref");
		const char *kind = tm_map_get_str(ref, "kind"),
		           *oname = tm_map_get_str(ref, "name");
		const char *fp = tm_map_get_str(tm_map_get(d, "fieldref"), "fieldPath");
		tm_value *obj = NULL;
		for (size_t j = 0; kind && oname && j < rs->n && !obj; j++)
			if (strcmp(tm_kust__kind(rs->v[j].obj), kind) == 0 &&
			    strcmp(rs->v[j].orig_name, oname) == 0)
				obj = rs->v[j].obj;
		const char *val = obj ? tm_scalar_str(fp_access(k, obj, fp ? fp : "metadata.name",
		                                                NULL, false, tm_kust__loc(kf, d)),
		                                      NULL)
		                      : NULL;
		if (!name || !val) {
			tm_kust__diag(k, TM_LEVEL_ERROR, TM_ENOTFOUND, tm_kust__loc(kf, d),
			              "var %s: its object or field is not found; not substituted",
			              name ? name : "(no name)");
			continue;
		}
		vars[n].name = name;
		vars[n].value = val;
		vars[n].at = tm_kust__loc(kf, d);
		n++;
	}
	for (size_t i = 0; n && i < rs->n && !k->fatal; i++) {
		tm_value *pod = tm_kust__pod_spec(rs->v[i].obj);
		subst_containers(k, tm_map_get_mut(pod, "containers"), vars, n);
		subst_containers(k, tm_map_get_mut(pod, "initContainers"), vars, n);
	}
	tm_free(vars);
}

/* ---- replacements ---- */

static void replace_one(kfile *kf, kresv *rs, const tm_file *f, const tm_value *r)
{
	kctx *k = kf->k;
	const tm_value *src = tm_map_get(r, "source");
	tm_loc at = tm_value_loc(f, r);
	tm_kust_select sel;
	if (!src || tm_kust__select_init(kf, &sel, src)) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at, "replacement needs a source");
		return;
	}
	size_t *hits;
	size_t nh = tm_kust__select(k, &sel, rs, &hits);
	tm_kust__select_dispose(&sel);
	const char *sfp = tm_map_get_str(src, "fieldPath");
	tm_value *sv =
	    nh == 1 ? fp_access(k, rs->v[hits[0]].obj, sfp ? sfp : "metadata.name", NULL, false, at)
	            : NULL;
	tm_free(hits);
	if (!sv) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_ENOTFOUND, tm_value_loc(f, src),
		              nh > 1 ? "replacement source matches %zu objects; not applied"
		                     : "replacement source not found; not applied",
		              nh);
		return;
	}
	const tm_value *so = tm_map_get(src, "options");
	const char *sdelim = tm_map_get_str(so, "delimiter");
	int64_t sidx = 0;
	(void)tm_scalar_int(tm_map_get(so, "index"), &sidx);
	if (sdelim && *sdelim && sv->kind == TM_VALUE_SCALAR) {
		const char *s = tm_scalar_str(sv, NULL);
		for (int64_t i = 0; i < sidx && s; i++) {
			s = strstr(s, sdelim);
			s = s ? s + strlen(sdelim) : NULL;
		}
		const char *e = s ? strstr(s, sdelim) : NULL;
		sv = s ? tm_value_new_scalar(k->out, tm_value_loc(k->out, sv), TM_SCALAR_STR, s,
		                             e ? (size_t)(e - s) : strlen(s), true)
		       : NULL;
		if (!sv)
			return;
	}
	const tm_value *targets = tm_map_get(r, "targets");
	for (size_t t = 0; t < tm_value_len(targets) && !k->fatal; t++) {
		const tm_value *tg = tm_seq_at(targets, t);
		if (tm_kust__select_init(kf, &sel, tm_map_get(tg, "select")))
			continue;
		size_t nt = tm_kust__select(k, &sel, rs, &hits);
		tm_kust__select_dispose(&sel);
		const tm_value *rejects = tm_map_get(tg, "reject");
		const tm_value *fps = tm_map_get(tg, "fieldPaths");
		const tm_value *to = tm_map_get(tg, "options");
		bool create = false;
		(void)tm_scalar_bool(tm_map_get(to, "create"), &create);
		const char *tdelim = tm_map_get_str(to, "delimiter");
		int64_t tidx = 0;
		(void)tm_scalar_int(tm_map_get(to, "index"), &tidx);
		for (size_t h = 0; h < nt && !k->fatal; h++) {
			bool rejected = false;
			for (size_t j = 0; j < tm_value_len(rejects) && !rejected; j++) {
				if (tm_kust__select_init(kf, &sel, tm_seq_at(rejects, j)))
					continue;
				rejected = tm_kust__select_one(&sel, &rs->v[hits[h]]);
				tm_kust__select_dispose(&sel);
			}
			if (rejected)
				continue;
			for (size_t j = 0; j < tm_value_len(fps); j++) {
				const char *fp = tm_scalar_str(tm_seq_at(fps, j), NULL);
				if (!fp)
					continue;
				tm_value *val = tm_value_copy(k->out, k->out, sv);
				if (!val) {
					k->fatal = TM_ENOMEM;
					break;
				}
				tm_value *old =
				    fp_access(k, rs->v[hits[h]].obj, fp, NULL, false, at);
				if (tdelim && *tdelim && old && tm_scalar_str(old, NULL)) {
					/* replace one part of the old value */
					tm_strbuf sb = TM_STRBUF_INIT;
					const char *s = tm_scalar_str(old, NULL);
					for (int64_t i = 0; s; i++) {
						const char *e = strstr(s, tdelim);
						if (i)
							tm_strbuf_puts(&sb, tdelim);
						if (i == tidx)
							tm_strbuf_puts(&sb,
							               tm_scalar_str(sv, NULL)
							                   ? tm_scalar_str(sv, NULL)
							                   : "");
						else
							tm_strbuf_put(&sb, s,
							              e ? (size_t)(e - s)
							                : strlen(s));
						s = e ? e + strlen(tdelim) : NULL;
					}
					val = sb.oom ? NULL
					             : tm_value_new_scalar(
					                   k->out, tm_value_loc(k->out, sv),
					                   TM_SCALAR_STR, sb.data, sb.len, true);
					tm_strbuf_dispose(&sb);
					if (!val)
						continue;
				}
				if (!fp_access(k, rs->v[hits[h]].obj, fp, val, create, at) &&
				    !create)
					tm_kust__diag(
					    k, TM_LEVEL_WARNING, TM_ENOTFOUND,
					    tm_value_loc(f, tm_seq_at(fps, j)),
					    "replacement target field %s not found in %s %s", fp,
					    tm_kust__kind(rs->v[hits[h]].obj),
					    tm_kust__name(rs->v[hits[h]].obj));
			}
		}
		tm_free(hits);
	}
}

void tm_kust__replacements(kfile *kf, kresv *rs)
{
	const tm_value *list = tm_map_get(kf->root, "replacements");
	for (size_t i = 0; i < tm_value_len(list) && list->kind == TM_VALUE_SEQ && !kf->k->fatal;
	     i++) {
		const tm_value *e = tm_seq_at(list, i);
		const char *path = tm_map_get_str(e, "path");
		if (!path) {
			replace_one(kf, rs, kf->file, e);
			continue;
		}
		tm_file *f = tm_kust__read_local(kf, path, tm_map_get(e, "path"));
		for (size_t d = 0; f && d < tm_file_doc_count(f); d++) {
			const tm_value *doc = tm_file_doc(f, d);
			if (tm_value_kind_of(doc) == TM_VALUE_SEQ)
				for (size_t j = 0; j < tm_value_len(doc); j++)
					replace_one(kf, rs, f, tm_seq_at(doc, j));
			else if (doc)
				replace_one(kf, rs, f, doc);
		}
	}
}
