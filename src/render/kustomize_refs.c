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
		if (strcmp(rns ? rns : "", xns ? xns : "") == 0 || tm_kust__is_cluster_scoped(kind)) {
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
	{"ServiceAccount", "Secret", "secrets[]/name"},
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
		const kres *hit = NULL;
		size_t n = 0;
		for (; c; c = c->next) {
			const kres *x = &r->rs->v[c->idx];
			/* the subject's namespace as written names the account's original namespace */
			if (sns && !(x->orig_ns && strcmp(sns, x->orig_ns) == 0) &&
			    !(tm_kust__ns(x->obj) && strcmp(sns, tm_kust__ns(x->obj)) == 0))
				continue;
			hit = x;
			n++;
		}
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
		char *key = tm_arena_printf(r.arena, "%s\1%s", tm_kust__kind(rs->v[i].obj),
					    rs->v[i].orig_name);
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

void tm_kust__replacements(kfile *kf, kresv *rs)
{
	(void)rs;
	const tm_value *v = tm_map_get(kf->root, "replacements");
	if (v)
		tm_kust__diag(kf->k, TM_LEVEL_NOTE, TM_EUNSUPPORTED, tm_kust__loc(kf, v),
			      "replacements are not applied yet; the fields they would set keep their values");
}
