/*
 * ingest/k8s_place.h - where objects that name no namespace are installed, when the files say it
 * only through their RBAC (internal to ingest/).
 *
 * Upstream install manifests (Argo Workflows' quick-start, most operators') leave metadata.namespace
 * out and are applied with `kubectl apply -n NS`, while their ClusterRoleBindings must name the
 * ServiceAccount's namespace in each subject. A subject naming ServiceAccount NS/X, where the files
 * declare X without a namespace, is that statement. scan.c feeds every document of a system to
 * tm_place__doc (before any is modelled, while it looks for a declared Namespace) and asks
 * tm_place__decide for the namespace, which it uses as tm_ingest_ctx.implicit_ns.
 */
#ifndef TM_INGEST_K8S_PLACE_H
#define TM_INGEST_K8S_PLACE_H

#include "ingest.h"

typedef struct {
	tm_hmap accounts; /* ServiceAccount names declared, or run as, without a namespace -> 1 */
	struct tm_place_subject {
		const char *ns, *name, *binding; /* "ClusterRoleBinding argo-server-admin" */
		tm_loc at;                       /* the subject */
	} *subjects;                             /* ServiceAccount subjects naming a namespace */
	size_t nsubjects, cap;
	bool oom;
} tm_place;

#define TM_PLACE_INIT {TM_HMAP_INIT, NULL, 0, 0, false}

/* Notes what doc (of f, not a List) tells: a namespaceless ServiceAccount or pod's account, or a
 * RoleBinding's or ClusterRoleBinding's ServiceAccount subjects that name a namespace. Strings are
 * borrowed from the document; a arena for the few it makes. */
void tm_place__doc(tm_place *p, tm_arena *a, const tm_file *f, const tm_value *doc);

/* The namespace the subjects place the namespaceless accounts in: the one namespace (not
 * "default") every subject naming such an account names. Returns it, *why the reason in words (in a),
 * and a note at the first such subject; NULL when the subjects name none, or name several (then a
 * warning at each disagreeing subject, saying how to name the namespace). named: a namespace some
 * object of the files names, other_named: whether they name several; a namespace other than the
 * subjects' there makes the guess none (a warning). */
const char *tm_place__decide(tm_place *p, tm_arena *a, tm_diag_list *diags, const char *named, bool other_named,
			     const char **why);

void tm_place__dispose(tm_place *p);

#endif
