/*
 * k8s_meshauth.c - the access policies of meshes this version does not evaluate: Consul's
 * ServiceIntentions (consul.hashicorp.com), Kuma's MeshTrafficPermission and TrafficPermission
 * (kuma.io) and SMI's TrafficTarget (access.smi-spec.io, Open Service Mesh).
 *
 * Each decides which callers its mesh admits to a destination, with defaults the files do not hold
 * (Consul's ACL default policy, Kuma's mesh defaults). Rather than read them half-way, each is
 * recorded in the policy model (tm_pm_unread) with the destination it governs, and a warning at the
 * object says so: `query` answers a call it may decide as unknown, naming it, where before it
 * allowed the call "by default" while a deny stood in the files; a change to one is a changed policy
 * in a review.
 */
#include "k8s.h"

/* Kuma's service tag names a Service with its namespace and port (redis_kuma-demo_svc_6379): the
 * Service's name is the part before the first '_'. */
static const char *kuma_service(tm_arena *a, const char *tag)
{
	size_t n = strcspn(tag, "_");
	return tag[n] ? tm_arena_strndup(a, tag, n) : tag;
}

static void add(tm_ingest_ctx *ctx, tm_policy *pol, const struct tm_k8s_obj *o, const char *kind, const char *ns,
		const char *dest, bool dest_sa, bool mesh_wide, const char *what)
{
	tm_pm_unread *u = TM_PM_ADD(pol, unread);
	if (!u)
		return;
	u->kind = kind;
	u->ns = tm_pm_strdup(pol->arena, ns);
	u->name = tm_pm_strdup(pol->arena, o->name);
	u->dest = dest && strcmp(dest, "*") != 0 ? tm_pm_strdup(pol->arena, dest) : NULL;
	u->dest_sa = dest_sa;
	u->mesh_wide = mesh_wide;
	u->sig = tm_value_hash(tm_map_get(o->v, "spec"));
	u->loc = tm_ingest__loc(o->f, o->v);
	tm_diag_add(ctx->diags, 0, TM_LEVEL_WARNING, u->loc,
		    "%s '%s' decides which callers may reach %s; this version does not evaluate it, so `query` "
		    "answers the calls it may decide as unknown, not allowed",
		    kind, o->name, what);
}

void tm_k8s__unread_mesh_authz(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	tm_policy *pol = tm_mb_policy(ctx->mb);
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		const tm_value *spec = tm_map_get(o->v, "spec");
		if (tm_k8s__is(o, "ConsulServiceIntentions")) {
			/* a Consul service's intentions: its name spans the cluster's namespaces */
			const char *d = tm_map_get_str(tm_map_get(spec, "destination"), "name");
			add(ctx, pol, o, "Consul ServiceIntentions", o->ns, d, false, true,
			    d && strcmp(d, "*") != 0 ? tm_arena_printf(k->arena, "service %s", d) : "every service of the mesh");
		} else if (tm_k8s__is(o, "KumaMeshTrafficPermission")) {
			/* in the system namespace (or cluster-scoped) for the whole mesh, else its own namespace */
			const tm_value *ref = tm_map_get(spec, "targetRef");
			const char *rk = tm_map_get_str(ref, "kind"), *rn = tm_map_get_str(ref, "name");
			bool whole = !rk || strcmp(rk, "Mesh") == 0 || !rn;
			bool wide = o->cluster_scoped || (o->ns && strcmp(o->ns, "kuma-system") == 0);
			const char *d = whole ? NULL : kuma_service(k->arena, rn);
			add(ctx, pol, o, "Kuma MeshTrafficPermission", o->ns, d, false, wide,
			    d ? tm_arena_printf(k->arena, "%s %s", rk, d) : wide ? "every workload of the mesh"
										 : tm_arena_printf(k->arena, "every workload of namespace %s", o->ns));
		} else if (tm_k8s__is(o, "KumaTrafficPermission")) {
			/* Kuma's first policy (mesh-scoped): destinations[].match["kuma.io/service"] */
			const tm_value *dests = tm_map_get(spec, "destinations");
			size_t n = tm_value_len(dests);
			for (size_t d = 0; d < n || d == 0; d++) {
				const char *tag = tm_map_get_str(tm_map_get(tm_seq_at(dests, d), "match"), "kuma.io/service");
				const char *svc = tag && strcmp(tag, "*") != 0 ? kuma_service(k->arena, tag) : NULL;
				add(ctx, pol, o, "Kuma TrafficPermission", o->ns, svc, false, true,
				    svc ? tm_arena_printf(k->arena, "service %s", svc) : "every service of the mesh");
				if (!svc)
					break;
			}
		} else if (tm_k8s__is(o, "SMITrafficTarget")) {
			const tm_value *d = tm_map_get(spec, "destination");
			const char *sa = tm_map_get_str(d, "name"), *ns = tm_map_get_str(d, "namespace");
			if (!ns)
				ns = o->ns;
			add(ctx, pol, o, "SMI TrafficTarget", ns, sa, true, false,
			    sa ? tm_arena_printf(k->arena, "the pods of service account %s/%s", ns ? ns : "", sa)
			       : "its destination");
		}
	}
}
