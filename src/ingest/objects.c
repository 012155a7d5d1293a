/*
 * objects.c - collecting named Kubernetes-style objects until finish(), for the
 * ingesters that link across documents (Istio, Gateway API). One object per
 * kind/namespace/name: a later definition replaces an earlier one, as
 * `kubectl apply` of both would leave it, and a note says so.
 */
#include <stdio.h>

#include "ingest.h"

void *tm_objs__begin(tm_ingest_ctx *ctx)
{
	tm_objs *s = tm_calloc(1, sizeof(*s));
	if (s)
		s->arena = ctx->scratch; /* shared: scan.c checks it for failed allocations */
	return s;
}

void tm_objs__end(void *state)
{
	tm_objs *s = state;
	if (!s)
		return;
	tm_hmap_dispose(&s->exact);
	tm_hmap_dispose(&s->any_ns);
	tm_free(s->items);
	tm_free(s);
}

bool tm_objs__cluster_scoped(const char *kind)
{
	static const char *const kinds[] = {
		"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
		"StorageClass", "PriorityClass", "IngressClass", "GatewayClass", "ClusterIssuer", "APIService",
		"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
		"ValidatingAdmissionPolicyBinding", "RuntimeClass", "PodSecurityPolicy", "CSIDriver", "Node",
		"CSINode", "VolumeAttachment", "CertificateSigningRequest", "VolumeSnapshotClass", "FlowSchema",
		"PriorityLevelConfiguration", "ClusterTrustBundle", "ComponentStatus",
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	/* the custom resources that say so by name (ClusterIssuer, ClusterSecretStore, ClusterPolicy) */
	return strncmp(kind, "Cluster", 7) == 0 && kind[7] >= 'A' && kind[7] <= 'Z';
}

bool tm_objs__is_list(const tm_value *doc)
{
	const char *kind = tm_map_get_str(doc, "kind");
	if (!kind || !tm_map_get_str(doc, "apiVersion"))
		return false;
	if (strcmp(kind, "List") == 0)
		return true;
	/* kubectl reads any object carrying items as a list (RoleList, ServiceList, DeploymentList...) */
	size_t n = strlen(kind);
	return n > 4 && strcmp(kind + n - 4, "List") == 0 && tm_value_kind_of(tm_map_get(doc, "items")) == TM_VALUE_SEQ;
}

const char *tm_objs__key(tm_strbuf *sb, const tm_value *doc)
{
	return tm_objs__key_in(sb, doc, NULL);
}

const char *tm_objs__key_in(tm_strbuf *sb, const tm_value *doc, const char *implicit_ns)
{
	const char *api = tm_map_get_str(doc, "apiVersion"), *kind = tm_map_get_str(doc, "kind");
	const tm_value *meta = tm_map_get(doc, "metadata");
	const char *name = tm_map_get_str(meta, "name"), *ns = tm_map_get_str(meta, "namespace");
	if (!api || !kind || !name || !*kind || !*name || tm_value_kind_of(doc) != TM_VALUE_MAP)
		return NULL;
	const char *slash = strchr(api, '/');
	if (tm_objs__cluster_scoped(kind))
		ns = "";
	else if (!ns || !*ns)
		ns = implicit_ns ? implicit_ns : "default";
	tm_strbuf_reset(sb);
	tm_strbuf_put(sb, api, slash ? (size_t)(slash - api) : 0);
	tm_strbuf_printf(sb, "\x1f%s\x1f%s\x1f%s", kind, ns, name);
	return sb->oom ? NULL : sb->data;
}

bool tm_objs__add(tm_ingest_ctx *ctx, tm_objs *s, const tm_file *f, const tm_value *root, const char *kind)
{
	const tm_value *meta = tm_map_get(root, "metadata");
	const char *name = tm_map_get_str(meta, "name");
	if (!name) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_NOTE, tm_ingest__loc(f, root),
			    "%s without metadata.name; not modelled", kind);
		return false;
	}
	const char *ns = tm_map_get_str(meta, "namespace");
	if ((!ns || !*ns) && ctx->implicit_ns && !tm_objs__cluster_scoped(kind) && s->placed_noted != f) {
		/* placed in the one Namespace the files declare, not kubectl's default: where a route or a
		 * gateway lives decides what its short hosts name and which workloads it selects, so the
		 * guess is said, once per file */
		s->placed_noted = f;
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(f, root),
			    "%s %s names no namespace: taken to apply in '%s' (%s), "
			    "with the file's other objects that name none; applied elsewhere (kubectl apply -n, the "
			    "context's namespace), its hosts and selectors resolve there",
			    kind, name, ctx->implicit_ns,
			    ctx->implicit_ns_why ? ctx->implicit_ns_why : "the files declare that Namespace alone");
	}
	if (!ns || !*ns)
		ns = ctx->implicit_ns ? ctx->implicit_ns : "default";
	/* indexes hold item numbers plus one (0 is "absent") */
	char *exact = tm_arena_printf(s->arena, "%s\x1f%s\x1f%s", kind, ns, name);
	char *any = tm_arena_printf(s->arena, "%s\x1f%s", kind, name);
	if (!exact || !any)
		return false;
	size_t at = (size_t)(uintptr_t)tm_hmap_get(&s->exact, exact, strlen(exact));
	if (at) {
		tm_obj *o = &s->items[at - 1];
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(f, root),
			    "%s %s/%s is defined again; this definition replaces the one at %s:%u", kind, ns, name,
			    tm_file_path(o->f), tm_value_line(o->v));
		o->f = f;
		o->v = root;
		return true;
	}
	if (TM_GROW(s->items, s->cap, s->n + 1))
		return false;
	s->items[s->n++] = (tm_obj){f, root, kind, name, ns};
	if (tm_hmap_put(&s->exact, exact, strlen(exact), (void *)(uintptr_t)s->n) ||
	    (!tm_hmap_get(&s->any_ns, any, strlen(any)) && tm_hmap_put(&s->any_ns, any, strlen(any), (void *)(uintptr_t)s->n))) {
		tm_arena_set_failed(s->arena);
		return false;
	}
	return true;
}

const tm_obj *tm_objs__find(const tm_objs *s, const char *kind, const char *ns, const char *name)
{
	char key[1024];
	int n = ns ? tm_formatf(key, sizeof(key), "%s\x1f%s\x1f%s", kind, ns, name)
		   : tm_formatf(key, sizeof(key), "%s\x1f%s", kind, name);
	if (n < 0 || (size_t)n >= sizeof(key)) {
		/* a name too long for the key buffer: the slow way */
		for (size_t i = 0; i < s->n; i++)
			if (strcmp(s->items[i].kind, kind) == 0 && strcmp(s->items[i].name, name) == 0 &&
			    (!ns || strcmp(s->items[i].ns, ns) == 0))
				return &s->items[i];
		return NULL;
	}
	size_t at = (size_t)(uintptr_t)tm_hmap_get(ns ? &s->exact : &s->any_ns, key, (size_t)n);
	return at ? &s->items[at - 1] : NULL;
}
