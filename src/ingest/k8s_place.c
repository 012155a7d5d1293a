/*
 * k8s_place.c - the namespace a system's RBAC subjects put its namespaceless objects in
 * (k8s_place.h).
 *
 * Invariants: one pass over the documents (tm_place__doc), one over the subjects (decide): linear
 * in the objects. Only an account the files name explicitly counts (a pod with no
 * serviceAccountName runs as "default", which every namespace has: no evidence of one), and only
 * a ServiceAccount subject with a namespace (a RoleBinding's subject without one is in the
 * binding's namespace, wherever that is).
 */
#include <string.h>

#include "k8s_place.h"

/* Where a workload kind's pod spec is, dot-separated ("spec" for a Pod). */
static const tm_value *pod_spec(const tm_value *doc, const char *kind)
{
	static const struct {
		const char *kind, *path[5];
	} at[] = {
		{"Pod", {"spec"}},
		{"Deployment", {"spec", "template", "spec"}},
		{"StatefulSet", {"spec", "template", "spec"}},
		{"DaemonSet", {"spec", "template", "spec"}},
		{"ReplicaSet", {"spec", "template", "spec"}},
		{"Job", {"spec", "template", "spec"}},
		{"CronJob", {"spec", "jobTemplate", "spec", "template", "spec"}},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(at); i++) {
		if (strcmp(kind, at[i].kind) != 0)
			continue;
		const tm_value *v = doc;
		for (size_t s = 0; s < TM_ARRAY_LEN(at[i].path) && at[i].path[s] && v; s++)
			v = tm_value_kind_of(v) == TM_VALUE_MAP ? tm_map_get(v, at[i].path[s]) : NULL;
		return tm_value_kind_of(v) == TM_VALUE_MAP ? v : NULL;
	}
	return NULL;
}

static void account(tm_place *p, const char *name)
{
	if (name && *name && strcmp(name, "default") != 0 && tm_hmap_put(&p->accounts, name, strlen(name), (void *)1))
		p->oom = true;
}

void tm_place__doc(tm_place *p, tm_arena *a, const tm_file *f, const tm_value *doc)
{
	const char *kind = tm_map_get_str(doc, "kind");
	const tm_value *meta = tm_map_get(doc, "metadata");
	const char *ns = tm_map_get_str(meta, "namespace");
	if (!kind || tm_value_kind_of(doc) != TM_VALUE_MAP)
		return;
	bool placed = ns && *ns;
	if (!placed && strcmp(kind, "ServiceAccount") == 0)
		account(p, tm_map_get_str(meta, "name"));
	const tm_value *spec = placed ? NULL : pod_spec(doc, kind);
	if (spec) {
		const char *sa = tm_map_get_str(spec, "serviceAccountName");
		account(p, sa ? sa : tm_map_get_str(spec, "serviceAccount"));
	}
	const char *api = tm_map_get_str(doc, "apiVersion");
	if ((strcmp(kind, "ClusterRoleBinding") != 0 && strcmp(kind, "RoleBinding") != 0) || !api ||
	    strncmp(api, "rbac.authorization.k8s.io/", 26) != 0)
		return;
	const tm_value *subjects = tm_map_get(doc, "subjects");
	for (size_t i = 0; tm_value_kind_of(subjects) == TM_VALUE_SEQ && i < tm_value_len(subjects); i++) {
		const tm_value *s = tm_seq_at(subjects, i);
		const char *sk = tm_map_get_str(s, "kind"), *sn = tm_map_get_str(s, "name"),
			   *sns = tm_map_get_str(s, "namespace");
		if (!sk || strcmp(sk, "ServiceAccount") != 0 || !sn || !*sn || !sns || !*sns ||
		    !tm_ingest__dns_label(sns))
			continue;
		if (TM_GROW(p->subjects, p->cap, p->nsubjects + 1)) {
			p->oom = true;
			return;
		}
		const char *bname = tm_map_get_str(meta, "name");
		p->subjects[p->nsubjects++] = (struct tm_place_subject){
			sns, sn, tm_arena_printf(a, "%s %s", kind, bname ? bname : "(unnamed)"), tm_value_loc(f, s)};
	}
}

const char *tm_place__decide(tm_place *p, tm_arena *a, tm_diag_list *diags, const char *named, bool other_named,
			     const char **why)
{
	*why = NULL;
	const struct tm_place_subject *first = NULL;
	bool several = false;
	for (size_t i = 0; i < p->nsubjects; i++) {
		const struct tm_place_subject *s = &p->subjects[i];
		if (!tm_hmap_get(&p->accounts, s->name, strlen(s->name)))
			continue;
		if (!first)
			first = s;
		else if (strcmp(first->ns, s->ns) != 0)
			several = true;
	}
	if (!first || (!several && strcmp(first->ns, "default") == 0))
		return NULL; /* nothing says, or the subjects agree with kubectl's default */
	bool elsewhere = other_named || (named && strcmp(named, first->ns) != 0);
	if (several || elsewhere) {
		/* no one namespace: modelled in 'default', each grant that then misses its account said */
		for (size_t i = 0; i < p->nsubjects; i++) {
			const struct tm_place_subject *s = &p->subjects[i];
			if (strcmp(s->ns, "default") == 0 || !tm_hmap_get(&p->accounts, s->name, strlen(s->name)))
				continue;
			tm_diag_add(diags, TM_EINVALID, TM_LEVEL_WARNING, s->at,
				    "%s grants ServiceAccount %s/%s, which the files declare or run as without a namespace "
				    "(modelled in 'default': the grant misses it); %s, so no namespace is assumed: name "
				    "it (metadata.namespace, a kustomization's namespace, or trustmap.yaml systems[].namespace)",
				    s->binding, s->ns, s->name,
				    several ? "the bindings name the account in several namespaces"
					    : "other objects of the files name another namespace");
		}
		return NULL;
	}
	tm_diag_add(diags, 0, TM_LEVEL_NOTE, first->at,
		    "objects naming no namespace are taken to be installed in '%s' (kubectl apply -n %s): %s grants "
		    "ServiceAccount %s/%s, which the files declare or run as without a namespace; to say otherwise, "
		    "set trustmap.yaml systems[].namespace",
		    first->ns, first->ns, first->binding, first->ns, first->name);
	*why = tm_arena_printf(a, "%s at %s:%u grants ServiceAccount %s/%s, which the files leave without one",
			       first->binding, first->at.path ? first->at.path : "", first->at.line, first->ns,
			       first->name);
	return first->ns;
}

void tm_place__dispose(tm_place *p)
{
	tm_hmap_dispose(&p->accounts);
	tm_free(p->subjects);
	p->subjects = NULL;
	p->nsubjects = p->cap = 0;
}
