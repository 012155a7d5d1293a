/*
 * k8s_cloudid.c - workload identity from ServiceAccount annotations: the cloud identity a
 * Kubernetes service account acts as, so a pod's blast radius reaches its cloud role.
 *
 *   eks.amazonaws.com/role-arn: arn:aws:iam::<acct>:role/<path/>NAME  -> "identity:aws:NAME"
 *   iam.gke.io/gcp-service-account: ID@PROJECT.iam.gserviceaccount.com -> "identity:gcp:ID"
 *   azure.workload.identity/client-id: <uuid>                          -> "identity:azure:client-id:<uuid>"
 * The ids are those terraform.c gives the role, the Google service account and (by name) the
 * user-assigned identity, so the configuration, the plan and the annotation meet on one node.
 * An Azure client id is a generated uuid that configuration never states literally: it stays its
 * own node, with the client id said. Each link is a granted edge located at the annotation.
 */
#include "k8s.h"

static const struct {
	const char *annotation, *prefix, *type, *via;
} kinds[] = {
	{"eks.amazonaws.com/role-arn", "identity:aws:", "aws-iam-role", "IRSA annotation"},
	{"iam.gke.io/gcp-service-account", "identity:gcp:", "gcp-service-account", "GKE workload identity annotation"},
	{"azure.workload.identity/client-id", "identity:azure:client-id:", "azure-managed-identity",
	 "Azure workload identity annotation"},
};

/* The cloud identity's name in an annotation's value (NULL if the value says none). */
static const char *name_of(tm_arena *a, size_t kind, const char *v)
{
	if (kind == 0) {
		const char *role = strstr(v, ":role/");
		const char *slash = role ? strrchr(role, '/') : NULL;
		return slash && slash[1] ? slash + 1 : NULL;
	}
	if (kind == 1) {
		const char *at = strchr(v, '@');
		return at && at > v ? tm_arena_printf(a, "%.*s", (int)(at - v), v) : NULL;
	}
	return *v ? v : NULL;
}

void tm_k8s__cloud_identity(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *sa, const struct tm_k8s_obj *o)
{
	const tm_value *ann = tm_map_get(tm_map_get(o->v, "metadata"), "annotations");
	for (size_t i = 0; sa && ann && i < TM_ARRAY_LEN(kinds); i++) {
		const tm_value *v = tm_map_get(ann, kinds[i].annotation);
		const char *text = tm_scalar_str(v, NULL);
		const char *name = text ? name_of(k->arena, i, text) : NULL;
		if (!name)
			continue;
		tm_loc at = tm_ingest__loc(o->f, v);
		char *id = tm_arena_printf(k->arena, "%s%s", kinds[i].prefix, name);
		tm_mb_boundary(ctx->mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
		tm_node *cloud = id ? tm_mb_node(ctx->mb, TM_NODE_IDENTITY, id, name, "cloud", at) : NULL;
		if (!cloud)
			continue;
		tm_mb_node_str(ctx->mb, cloud, "identity_type", kinds[i].type);
		if (i == 0)
			tm_mb_node_str(ctx->mb, cloud, "arn", text);
		tm_mb_node_fact(ctx->mb, sa, "cloud_identity", text, at);
		tm_edge *e = tm_mb_edge(ctx->mb, sa, cloud, TM_EDGE_GRANTED, at);
		if (e)
			tm_mb_edge_str(ctx->mb, e, "via", kinds[i].via);
	}
}
