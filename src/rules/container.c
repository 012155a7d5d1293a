/* container.c - workload posture, secrets and data leaving the system. */
#include <stdio.h>
#include <strings.h>

#include "rules.h"

#define EACH_WORKLOAD(c, w)                                                                        \
	TM_EACH_OF_KIND((c)->m, w, TM_NODE_SERVICE)                                                \
	if (w->is_workload) /* a "workload" attribute, read when the model froze */

/* Emit one finding listing every located fact of the given keys: the facts are its evidence, the
 * first one primary, then the workload's manifest. Findings of one rule on the workloads of one
 * namespace fold into one (fold: "use images not pinned by digest"). */
static bool facts_finding_but(tm_rule_ctx *c, const tm_node *w, const char *const *keys, size_t nkeys,
			      const char *what, int sev, const char *snippet, const char *fold,
			      bool (*passed)(const tm_node *w, const char *key, const char *value))
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_emit e;
	tm_emit_init(&e, w);
	e.nevidence = 0;
	for (size_t k = 0; k < nkeys; k++) {
		const char *const *l = tm_rules__list(w, keys[k]);
		size_t said = 0;
		for (size_t i = 0; l && l[i]; i++) {
			if (passed && passed(w, keys[k], l[i]))
				continue;
			if (!said && nkeys > 1)
				tm_strbuf_printf(&sb, "%s%s: ", sb.len ? "; " : "", keys[k]);
			else if (!said && sb.len)
				tm_strbuf_puts(&sb, "; ");
			tm_strbuf_printf(&sb, "%s%s", said++ ? ", " : "", l[i]);
			tm_emit_loc(&e, tm_rules__fact_loc(w, keys[k], l[i]));
		}
	}
	bool any = sb.len > 0;
	tm_escape esc;
	/* TM-CTR-001: the way out first among the evidence (the Docker socket, not a /tmp mount beside
	 * it), when it is one of the facts the finding names */
	bool named = false;
	if (any && strcmp(keys[0], "privileged") == 0 && tm_escape_of(w, &esc) && esc.at.path)
		for (size_t i = 0; i < e.nevidence && !named; i++)
			named = e.evidence[i].path && strcmp(e.evidence[i].path, esc.at.path) == 0 &&
				e.evidence[i].line == esc.at.line && e.evidence[i].col == esc.at.col;
	if (named)
		tm_emit_primary(&e, esc.at);
	if (any) {
		tm_emit_loc(&e, tm_rules__manifest_loc(w));
		e.title = tm_rules__printf(c, "%s: %s (%s)", tm_node_id(w), what, sb.data);
		e.severity = sev;
		e.snippet = snippet;
		tm_emit_fold_namespace(c, &e, fold);
		tm_rules__emit(c, &e);
	}
	tm_strbuf_dispose(&sb);
	return any;
}

static bool facts_finding(tm_rule_ctx *c, const tm_node *w, const char *const *keys, size_t nkeys,
			  const char *what, int sev, const char *snippet, const char *fold)
{
	return facts_finding_but(c, w, keys, nkeys, what, sev, snippet, fold, NULL);
}

/* A compose service's bind mount of a data directory of its own (/data/pgsql_data,
 * ~/.jitsi-meet-cfg): its data kept on the host, as a ./pgsql_data directory of the project keeps
 * it; no host access (the fact stays on the node: it is a host path all the same). */
static bool compose_data_dir(const tm_node *w, const char *key, const char *value)
{
	const char *wk = tm_node_attr_str(w, "workload");
	return strcmp(key, "host_paths") == 0 && wk && strcmp(wk, "compose-service") == 0 && tm_escape_data_dir(value);
}

/*
 * TM-CTR-001's grade: critical when the container is privileged or mounts a host path that hands
 * over the node (the host's root, a runtime socket, the kubelet's directory: model/escape.c); high
 * for hostPID, hostNetwork or another host path (a compose service's data directories of its own,
 * an application's directory under ~/ too, are none: compose_data_dir); medium when all it shares is the host's IPC namespace (shared memory and
 * semaphores of host processes: a leak, not an escape) or a hostPort (the node's address opened
 * around Services and policy).
 */
static int host_access_severity(const tm_node *w)
{
	const char *const *paths = tm_rules__list(w, "host_paths");
	/* a node-handing path only read (read-only, by a pod running nothing as root: node-exporter's
	 * `/` at /host/root) reads what that user may of the node and writes nothing: high */
	bool worst = tm_rules__list(w, "privileged") != NULL, read_only_escape = false;
	for (size_t i = 0; paths && paths[i]; i++) {
		if (!tm_escape_host_path(paths[i]))
			continue;
		if (tm_escape_read_only(w, paths[i]))
			read_only_escape = true;
		else
			worst = true;
	}
	if (worst)
		return TM_SEV_CRITICAL;
	if (read_only_escape)
		return TM_SEV_HIGH;
	if (tm_escape_shares_host(w, "hostPID") || tm_escape_shares_host(w, "hostNetwork"))
		return TM_SEV_HIGH;
	/* a compose service keeping its data or logs in a host directory of its own (the usual way to
	 * persist them) is not reported for it (compose_data_dir): what is left ranks by itself; a
	 * Kubernetes hostPath stays high */
	const char *wk = tm_node_attr_str(w, "workload");
	bool compose = wk && strcmp(wk, "compose-service") == 0, data = compose;
	for (size_t i = 0; paths && paths[i]; i++)
		data = data && tm_escape_data_dir(paths[i]);
	if (paths && !data)
		return TM_SEV_HIGH;
	return TM_SEV_MEDIUM;
}

void tm_rule__ctr_privileged(tm_rule_ctx *c)
{
	static const char *const keys[] = {"privileged", "host_namespaces", "host_paths", "host_ports"};
	EACH_WORKLOAD(c, w)
	{
		/* Knative's (and Cloud Run's) admission refuses a privileged container: the manifest is a
		 * mistake to fix, not a container that runs privileged */
		const char *wk = tm_node_attr_str(w, "workload");
		bool knative = wk && (strcmp(wk, "KnativeService") == 0 || strcmp(wk, "CloudRunService") == 0);
		facts_finding_but(c, w, keys, TM_ARRAY_LEN(keys),
			      knative ? "asks for a privileged container or host access, which Knative's admission webhook "
					"refuses (the Service is not created as written)"
				      : "privileged container or host access",
			      host_access_severity(w),
			      "securityContext:\n  privileged: false\n  allowPrivilegeEscalation: false\n# and remove hostNetwork/hostPID/hostIPC, hostPort and hostPath volumes\n",
			      "are privileged or share the host", compose_data_dir);
	}
}

void tm_rule__ctr_root(tm_rule_ctx *c)
{
	static const char *const keys[] = {"runs_as_root"};
	static const char *const snippet =
		"securityContext:\n  runAsNonRoot: true\n  runAsUser: 10001\n  allowPrivilegeEscalation: false\n";
	EACH_WORKLOAD(c, w)
	{
		if (facts_finding(c, w, keys, 1, "runs as UID 0", -1, snippet, "run as root"))
			continue;
		/* nothing rules root out (no runAsNonRoot, no runAsUser: the image's USER decides) and
		 * privilege escalation is allowed, in one container: low, as the image may set a user */
		/* the image sets a user that is not root (its Dockerfile's USER): nothing to say */
		const char *const *iul = tm_rules__list(w, "image_user");
		if (iul && iul[0] && *iul[0] != ':' && !tm_escape_root_user(iul[0]))
			continue;
		const char *const *maybe = tm_rules__list(w, "root_not_excluded");
		const char *const *esc = tm_rules__list(w, "privilege_escalation");
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_emit e;
		tm_emit_init(&e, w);
		e.nevidence = 0;
		const char *const *allowed = tm_rules__list(w, "root_allowed"); /* runAsNonRoot: false */
		size_t nallowed = 0, nlisted = 0;
		for (size_t i = 0; maybe && esc && maybe[i]; i++)
			for (size_t k = 0; esc[k]; k++)
				if (strcmp(maybe[i], esc[k]) == 0) {
					nlisted++;
					for (size_t a = 0; allowed && allowed[a]; a++)
						nallowed += strcmp(allowed[a], maybe[i]) == 0;
					tm_strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", maybe[i]);
					tm_emit_loc(&e, tm_rules__fact_loc(w, "root_not_excluded", maybe[i]));
					break;
				}
		if (sb.len && !sb.oom) {
			tm_emit_loc(&e, tm_rules__manifest_loc(w));
			const char *wk = tm_node_attr_str(w, "workload");
			bool compose = wk && strcmp(wk, "compose-service") == 0;
			e.title = tm_rules__printf(c, "%s: may run as root, with privilege escalation allowed (%s: no %s; the "
						      "image's user decides)",
						   tm_node_id(w), sb.data,
						   compose ? "user: and no no-new-privileges"
						   : nallowed == nlisted ? "runAsUser, and runAsNonRoot: false"
									 : "runAsNonRoot or runAsUser");
			e.severity = TM_SEV_LOW;
			e.snippet = snippet;
			e.key = "root_not_excluded";
			tm_emit_fold_namespace(c, &e, "may run as root with privilege escalation allowed");
			/* folded apart from the workloads that run as root outright, in a fold of their own */
			if (e.fold) {
				e.fold = tm_rules__printf(c, "%s#root-not-excluded", e.fold);
				e.fold_wide = "*#root-not-excluded";
			}
			tm_rules__emit(c, &e);
		}
		tm_strbuf_dispose(&sb);
	}
}

/* Added capabilities, graded by model/escape.c's table (docs/rules/TM-CTR-003.md says the same):
 * escape-grade ones make the finding high; every other added capability is medium;
 * NET_BIND_SERVICE (a port below 1024) is not reported. */

/* Added capabilities, then dropped confinement: seccomp or AppArmor Unconfined, a shared process
 * namespace. Each is evidence; the title lists them by kind. Returns whether any is escape-grade. */
static bool confinement_parts(const tm_node *w, tm_emit *e, tm_strbuf *sb)
{
	const char *const *caps = tm_rules__list(w, "capabilities_added");
	bool high = false;
	size_t n = 0;
	for (size_t i = 0; caps && caps[i]; i++) {
		const char *cap = strchr(caps[i], ':');
		cap = cap ? cap + 1 : caps[i];
		if (strcasecmp(cap, "NET_BIND_SERVICE") == 0 || strcasecmp(cap, "CAP_NET_BIND_SERVICE") == 0)
			continue;
		bool esc = tm_escape_cap(w, cap);
		high = high || esc;
		tm_strbuf_printf(sb, "%s%s%s", n++ ? ", " : "adds Linux capabilities (", caps[i], esc ? ": escape" : "");
		tm_emit_loc(e, tm_rules__fact_loc(w, "capabilities_added", caps[i]));
	}
	if (n)
		tm_strbuf_puts(sb, ")");
	const char *const *unc = tm_rules__list(w, "unconfined");
	for (size_t i = 0; unc && unc[i]; i++) {
		tm_strbuf_printf(sb, "%s%s", i ? ", " : sb->len ? "; runs unconfined (" : "runs unconfined (", unc[i]);
		tm_emit_loc(e, tm_rules__fact_loc(w, "unconfined", unc[i]));
	}
	if (unc && unc[0])
		tm_strbuf_puts(sb, ")");
	if (tm_rules__list(w, "share_process_namespace")) {
		tm_strbuf_printf(sb, "%sshares one process namespace between its containers", sb->len ? "; " : "");
		tm_emit_loc(e, tm_rules__fact_loc(w, "share_process_namespace", "shareProcessNamespace"));
	}
	return high;
}

void tm_rule__ctr_capabilities(tm_rule_ctx *c)
{
	EACH_WORKLOAD(c, w)
	{
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_emit e;
		tm_emit_init(&e, w);
		e.nevidence = 0;
		bool high = confinement_parts(w, &e, &sb);
		if (sb.len && !sb.oom) {
			tm_emit_loc(&e, tm_rules__manifest_loc(w));
			tm_emit_fold_namespace(c, &e, "add Linux capabilities or run unconfined");
			e.title = tm_rules__printf(c, "%s: %s", tm_node_id(w), sb.data);
			e.severity = high ? TM_SEV_HIGH : -1;
			e.snippet = "securityContext:\n  capabilities:\n    drop: [ALL]\n  seccompProfile: {type: RuntimeDefault}\n";
			tm_rules__emit(c, &e);
		}
		tm_strbuf_dispose(&sb);
	}
}

void tm_rule__ctr_unpinned_image(tm_rule_ctx *c)
{
	static const char *const floating[] = {"images_floating"};
	static const char *const unpinned[] = {"images_unpinned"};
	EACH_WORKLOAD(c, w)
	{
		/* one fold for both: a moving tag is also not pinned by digest */
		if (!facts_finding(c, w, floating, 1, "image on a moving tag", TM_SEV_MEDIUM, NULL,
				   "use images not pinned by digest"))
			facts_finding(c, w, unpinned, 1, "image not pinned by digest", -1, NULL,
				      "use images not pinned by digest");
	}
}

/* A namespace's LimitRange that sets default CPU and memory limits fills in what a container leaves
 * out: then only the root filesystem part is left, and the finding says where the limits come from.
 * A ResourceQuota on limits.cpu and limits.memory without such a LimitRange refuses the pods: said. */
void tm_rule__ctr_posture(tm_rule_ctx *c)
{
	static const char *const keys[] = {"writable_root_fs", "no_resource_limits"};
	EACH_WORKLOAD(c, w)
	{
		const char *const *lr = tm_rules__list(w, "limits_from_limitrange");
		const char *const *quota = tm_rules__list(w, "limits_required_by_quota");
		bool ro = !tm_rules__list(w, "writable_root_fs"), limited = !tm_rules__list(w, "no_resource_limits");
		/* which limit is missing, when every container misses the same one ("cpu", "memory") */
		const char *const *one = tm_rules__list(w, "limit_missing");
		const char *lim = one && !one[1] && strcmp(one[0], "cpu") == 0      ? "no CPU limit"
				  : one && !one[1] && strcmp(one[0], "memory") == 0 ? "no memory limit"
										    : "no resource limits";
		const char *what = ro ? lim : limited ? "writable root filesystem"
						      : tm_rules__printf(c, "writable root filesystem and %s", lim);
		if (lr && !tm_rules__list(w, "no_resource_limits"))
			what = tm_rules__printf(c, "writable root filesystem; its resource limits come from LimitRange %s",
						lr[0]);
		else if (quota)
			what = tm_rules__printf(c, "%s; ResourceQuota %s requires limits, so the API server refuses these pods",
						what, quota[0]);
		facts_finding(c, w, keys, TM_ARRAY_LEN(keys), what, -1,
			      "securityContext:\n  readOnlyRootFilesystem: true\nresources:\n  limits: {cpu: 500m, memory: 256Mi}\n",
			      "have a writable root filesystem or no resource limits");
	}
}

#define HOLDERS_NAMED 4 /* services a title names; the rest counted */

/* One written value and the workloads taking it: a line an anchor and merge key (`<<: *common`), an
 * `extends` or a .env hands several services is one credential, not one per service. */
struct written {
	const char *item;      /* the first holder's "<workload>/<VAR>" */
	tm_loc at;
	const tm_node *named[TM_EMIT_MAX];
	const tm_node *last;
	size_t n;
};

static const char *holder_names(tm_rule_ctx *c, const tm_node *const *named, size_t n)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	size_t shown = n < HOLDERS_NAMED ? n : HOLDERS_NAMED;
	for (size_t i = 0; i < shown; i++)
		tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", tm_node_name(named[i]));
	if (n > shown)
		tm_strbuf_printf(&sb, " and %zu more", n - shown);
	const char *out = sb.oom ? NULL : tm_rules__printf(c, "%s", sb.data ? sb.data : "");
	if (sb.oom)
		tm_rules__oom(c);
	tm_strbuf_dispose(&sb);
	return out ? out : "";
}

static void literal_emit(tm_rule_ctx *c, const struct written *w)
{
	tm_emit e;
	tm_emit_init(&e, w->named[0]);
	e.nevidence = 0;
	tm_emit_loc(&e, w->at);
	e.key = w->item;
	/* where the value is written: the manifest, or the .env a compose value is taken from */
	const char *where = w->at.path ? w->at.path : "the manifest";
	if (w->n == 1) {
		e.title = tm_rules__printf(c, "%s: credential %s is written in %s", tm_node_id(w->named[0]), w->item, where);
	} else {
		const char *slash = strchr(w->item, '/');
		for (size_t i = 0; i < w->n && i < TM_EMIT_MAX; i++) {
			if (i)
				tm_emit_path(&e, tm_node_id(w->named[i]));
			tm_emit_loc(&e, tm_rules__manifest_loc(w->named[i]));
		}
		e.title = tm_rules__printf(c, "%s: credential %s is written once in %s:%u and taken by %zu services (%s)",
					   tm_node_id(w->named[0]), slash ? slash + 1 : w->item, where, w->at.line, w->n,
					   holder_names(c, w->named, w->n < TM_EMIT_MAX ? w->n : TM_EMIT_MAX));
	}
	/* the credentials written in one namespace's (or compose project's) files: one finding */
	tm_emit_fold_namespace(c, &e, "are written in the repository's files, not kept in a secret store");
	e.fold_noun = "credentials";
	tm_rules__emit(c, &e);
}

/* One finding per written value (its place), on the first workload taking it, naming the others.
 * Linear in the facts: a map from place to value. */
void tm_rule__sec_literal_credential(tm_rule_ctx *c)
{
	tm_hmap index = TM_HMAP_INIT; /* "<path>\x1f<line>\x1f<col>" -> place in values, plus one */
	struct written *values = NULL;
	size_t nv = 0, cap = 0;
	bool oom = false;
	for (size_t i = 0; i < tm_model_node_count(c->m) && !oom; i++) {
		const tm_node *n = tm_model_node(c->m, i);
		const char *const *l = tm_rules__list(n, "literal_credentials");
		for (size_t k = 0; l && l[k]; k++) {
			tm_loc at = tm_rules__fact_loc(n, "literal_credentials", l[k]);
			const char *key = at.path ? tm_rules__printf(c, "%s\x1f%u\x1f%u", at.path, at.line, at.col) : NULL;
			size_t v = key ? (size_t)(uintptr_t)tm_hmap_get(&index, key, strlen(key)) : 0;
			if (!v) {
				if (TM_GROW(values, cap, nv + 1) ||
				    (key && tm_hmap_put(&index, key, strlen(key), (void *)(uintptr_t)(nv + 1)))) {
					oom = true;
					break;
				}
				memset(&values[nv], 0, sizeof(values[nv]));
				values[nv].item = l[k];
				values[nv].at = at;
				v = ++nv;
			}
			struct written *w = &values[v - 1];
			if (w->last == n)
				continue;
			w->last = n;
			if (w->n < TM_EMIT_MAX)
				w->named[w->n] = n;
			w->n++;
		}
	}
	for (size_t v = 0; !oom && v < nv; v++)
		literal_emit(c, &values[v]);
	if (oom)
		tm_rules__oom(c);
	tm_free(values);
	tm_hmap_dispose(&index);
}

/* Does workload w run a data store or broker (its "datastore:"/"queue:" node, ingest/stores.c)? */
static bool runs_store(const tm_model *m, const tm_node *w)
{
	const char *id = tm_node_id(w);
	if (strncmp(id, "service:", 8) != 0)
		return false;
	char buf[512];
	static const char *const kinds[] = {"datastore:", "queue:"};
	for (size_t i = 0; i < TM_ARRAY_LEN(kinds); i++) {
		int n = tm_formatf(buf, sizeof(buf), "%s%s", kinds[i], id + 8);
		const tm_node *s = n > 0 && (size_t)n < sizeof(buf) ? tm_model_find(m, buf) : NULL;
		const char *runs = s ? tm_node_attr_str(s, "runs_in") : NULL;
		if (runs && strcmp(runs, id) == 0)
			return true;
	}
	return false;
}

/* The workloads holding a secret (or a group of the same credential): counted once each; a
 * configuration file's by name (one application deployed in two namespaces holds one file). */
struct holders {
	const tm_node *first[2];
	size_t k;
	tm_hmap seen; /* the names counted (by_name) */
	bool oom;
};

/* Is u the config server that serves configuration file s (its served_by, ingest/calls.c)? It
 * hands the file out; it is no user of the credential. */
static bool serves(const tm_node *s, const tm_node *u)
{
	const char *const *by = tm_rules__list(s, "served_by");
	for (size_t i = 0; by && by[i]; i++)
		if (strcmp(by[i], tm_node_id(u)) == 0)
			return true;
	return false;
}

/* Add s's holders (its mounts edges' workloads) to h; by name: a name counted once. */
static void holders_add(tm_rule_ctx *c, struct holders *h, const tm_node *s, bool by_name)
{
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(c->m, s, TM_EDGE_MOUNTS, &cur));) {
		/* a volume of the secret's certificates and public keys only (items:) shares nothing
		 * to keep apart: a public key is for every verifier */
		const char *pub = tm_edge_attr_str(e, "public_only");
		if (pub && strcmp(pub, "true") == 0)
			continue;
		/* the store that checks the credential is no second user of it: a database and its
		 * one client hold the same password by design */
		const tm_node *u = tm_edge_from(e);
		if (runs_store(c->m, u) || serves(s, u))
			continue;
		const char *name = tm_node_name(u); /* lives as long as the model */
		if (by_name && tm_hmap_get(&h->seen, name, strlen(name)))
			continue;
		if (by_name && tm_hmap_put(&h->seen, name, strlen(name), (void *)u)) {
			h->oom = true;
			return;
		}
		if (h->k < 2)
			h->first[h->k] = u;
		h->k++;
	}
}

/* The same credential written in several applications' configuration files (a `same_credential`
 * fact on each file's node, at the value: ingest/calls.c): one finding per credential when the
 * files' holders together are two or more, on the file that wrote it first. Linear in the facts. */
struct cred_group {
	const char *name;     /* "<node id>#<key path>": where it was first written */
	const tm_node *member; /* the first file's node in the model's order: the finding's subject */
	const tm_node *last;
	size_t files;
	tm_loc at[TM_EMIT_MAX];
	size_t nat;
	struct holders h;
};

static void shared_credentials(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	tm_hmap index = TM_HMAP_INIT; /* name -> its place in groups, plus one */
	struct cred_group *groups = NULL;
	size_t ng = 0, cap = 0;
	bool oom = false;
	TM_EACH_OF_KIND(m, s, TM_NODE_SECRET) {
		for (size_t f = 0; !oom && f < tm_node_fact_count(s); f++) {
			const tm_fact_loc *fl = tm_node_fact(s, f);
			if (strcmp(fl->key, "same_credential") != 0)
				continue;
			size_t g = (size_t)(uintptr_t)tm_hmap_get(&index, fl->value, strlen(fl->value));
			if (!g) {
				if (TM_GROW(groups, cap, ng + 1) ||
				    tm_hmap_put(&index, fl->value, strlen(fl->value), (void *)(uintptr_t)(ng + 1))) {
					oom = true;
					break;
				}
				memset(&groups[ng], 0, sizeof(groups[ng]));
				groups[ng].name = fl->value;
				groups[ng].member = s;
				g = ++ng;
			}
			struct cred_group *gr = &groups[g - 1];
			if (gr->nat < TM_EMIT_MAX)
				gr->at[gr->nat++] = fl->loc;
			if (gr->last == s)
				continue; /* the file's second value of the same credential */
			gr->last = s;
			gr->files++;
			holders_add(c, &gr->h, s, true);
			oom = oom || gr->h.oom;
		}
	}
	for (size_t g = 0; g < ng; g++) {
		struct cred_group *gr = &groups[g];
		if (!oom && gr->h.k >= 2) {
			tm_emit e;
			tm_emit_init(&e, gr->member);
			e.nevidence = 0;
			for (size_t i = 0; i < gr->nat; i++)
				tm_emit_loc(&e, gr->at[i]);
			tm_emit_path(&e, tm_node_id(gr->h.first[0]));
			tm_emit_path(&e, tm_node_id(gr->h.first[1]));
			e.key = gr->name;
			e.title = tm_rules__printf(c, "the credential %s is written in %zu configuration files, held by %zu workloads",
						   gr->name, gr->files, gr->h.k);
			tm_emit_fold_namespace(c, &e, "are each used by several workloads");
			e.fold_noun = "secrets";
			tm_rules__emit(c, &e);
		}
		tm_hmap_dispose(&gr->h.seen);
	}
	if (oom)
		tm_rules__oom(c);
	tm_free(groups);
	tm_hmap_dispose(&index);
}

/* The same credential written for several compose services (compose.c's `literal_group` facts:
 * one value through an anchor or a .env, or the same value on lines of their own): one finding per
 * credential when two or more workloads that are not the store checking it take it. Linear in the
 * facts. */
struct literal_set {
	const char *name; /* "<first holder's id>#<VAR>" */
	tm_loc at[TM_EMIT_MAX];
	size_t nat, places;
	const tm_node *named[TM_EMIT_MAX];
	const tm_node *last;
	size_t n;
};

static void shared_literals(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	tm_hmap index = TM_HMAP_INIT;
	struct literal_set *sets = NULL;
	size_t ns = 0, cap = 0;
	bool oom = false;
	TM_EACH_OF_KIND(m, w, TM_NODE_SERVICE) {
		bool store = false, judged = false;
		for (size_t f = 0; !oom && f < tm_node_fact_count(w); f++) {
			const tm_fact_loc *fl = tm_node_fact(w, f);
			if (strcmp(fl->key, "literal_group") != 0)
				continue;
			if (!judged) {
				store = runs_store(m, w); /* the store checks the credential: no user of it */
				judged = true;
			}
			if (store)
				continue;
			size_t g = (size_t)(uintptr_t)tm_hmap_get(&index, fl->value, strlen(fl->value));
			if (!g) {
				if (TM_GROW(sets, cap, ns + 1) ||
				    tm_hmap_put(&index, fl->value, strlen(fl->value), (void *)(uintptr_t)(ns + 1))) {
					oom = true;
					break;
				}
				memset(&sets[ns], 0, sizeof(sets[ns]));
				sets[ns].name = fl->value;
				g = ++ns;
			}
			struct literal_set *st = &sets[g - 1];
			bool seen = false;
			for (size_t i = 0; i < st->nat && !seen; i++)
				seen = st->at[i].path == fl->loc.path && st->at[i].line == fl->loc.line && st->at[i].col == fl->loc.col;
			if (!seen) {
				st->places++;
				if (st->nat < TM_EMIT_MAX)
					st->at[st->nat++] = fl->loc;
			}
			if (st->last == w)
				continue;
			st->last = w;
			if (st->n < TM_EMIT_MAX)
				st->named[st->n] = w;
			st->n++;
		}
	}
	for (size_t g = 0; !oom && g < ns; g++) {
		const struct literal_set *st = &sets[g];
		if (st->n < 2)
			continue;
		tm_emit e;
		tm_emit_init(&e, st->named[0]);
		e.nevidence = 0;
		for (size_t i = 0; i < st->nat; i++)
			tm_emit_loc(&e, st->at[i]);
		for (size_t i = 0; i < st->n && i < TM_EMIT_MAX; i++)
			tm_emit_path(&e, tm_node_id(st->named[i]));
		e.key = st->name;
		const char *hash = strrchr(st->name, '#');
		const tm_loc *at = &st->at[0];
		e.title = tm_rules__printf(c, "the credential %s written in %s:%u%s is used by %zu services (%s)",
					   hash ? hash + 1 : st->name, at->path ? at->path : "?", at->line,
					   st->places > 1 ? tm_rules__printf(c, " and %zu other place%s", st->places - 1,
									   st->places > 2 ? "s" : "")
							  : "",
					   st->n, holder_names(c, st->named, st->n < TM_EMIT_MAX ? st->n : TM_EMIT_MAX));
		tm_emit_fold_namespace(c, &e, "are each used by several workloads");
		e.fold_noun = "secrets";
		tm_rules__emit(c, &e);
	}
	if (oom)
		tm_rules__oom(c);
	tm_free(sets);
	tm_hmap_dispose(&index);
}

void tm_rule__sec_shared_secret(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	TM_EACH_OF_KIND(m, s, TM_NODE_SECRET) {
		/* a configuration file holding a credential other files hold too: judged with them, below */
		if (tm_rules__list(s, "same_credential"))
			continue;
		struct holders h = {{NULL, NULL}, 0, TM_HMAP_INIT, false};
		holders_add(c, &h, s, tm_node_attr_str(s, "config_file") != NULL);
		tm_hmap_dispose(&h.seen);
		if (h.oom)
			tm_rules__oom(c);
		if (h.k < 2)
			continue;
		tm_emit e;
		tm_emit_init(&e, s);
		tm_emit_path(&e, tm_node_id(h.first[0]));
		tm_emit_path(&e, tm_node_id(h.first[1]));
		e.title = tm_rules__printf(c, "%s is used by %zu workloads", tm_node_id(s), h.k);
		tm_emit_fold_namespace(c, &e, "are each used by several workloads");
		e.fold_noun = "secrets";
		tm_rules__emit(c, &e);
	}
	shared_credentials(c);
	shared_literals(c);
}

void tm_rule__data_third_party(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	TM_EACH_OF_KIND(m, x, TM_NODE_EXTERNAL) {
		const char *const *data = tm_rules__list(x, "data");
		if (!tm_node_attr_str(x, "third_party") || !data)
			continue;
		for (size_t d = 0; data[d]; d++)
			for (size_t a = 0; a < tm_model_asset_count(m); a++) {
				const tm_asset *as = tm_model_asset(m, a);
				bool named = strcmp(as->name, data[d]) == 0;
				for (size_t k = 0; as->data && as->data[k] && !named; k++)
					named = strcasecmp(as->data[k], data[d]) == 0;
				if (!named || (strcmp(as->classification, "restricted") != 0 &&
					       strcmp(as->classification, "confidential") != 0))
					continue;
				tm_emit e;
				tm_emit_init(&e, x);
				e.nevidence = 0;
				tm_emit_loc(&e, tm_rules__fact_loc(x, "data", data[d]));
				tm_emit_loc(&e, as->loc);
				/* who sends it: the workloads calling the third party */
				size_t cur = 0;
				for (const tm_edge *ed; (ed = tm_rules__in_edge(m, x, TM_EDGE_CALLS, &cur));) {
					tm_emit_path(&e, tm_node_id(tm_edge_from(ed)));
					if (tm_edge_evidence_count(ed))
						tm_emit_loc(&e, tm_edge_evidence(ed, 0));
				}
				e.key = as->name;
				e.title = tm_rules__printf(c, "%s (%s) receives %s data '%s'", tm_node_attr_str(x, "third_party"),
							   tm_node_name(x), as->classification, as->name);
				e.severity = strcmp(as->classification, "restricted") == 0 ? TM_SEV_HIGH : -1;
				tm_rules__emit(c, &e);
				a = tm_model_asset_count(m); /* one finding per data item */
			}
	}
}

/*
 * TM-DATA-002: a data store or broker that admits anyone who can connect (stores.c judges it: an
 * explicit switch, or an image whose default is open with none of its authentication settings).
 * The switch's line, or the image's, is the primary location. High when the store is a crown jewel
 * (classified confidential or restricted, by default or by the overlay).
 */
void tm_rule__data_store_no_auth(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *s = tm_model_node(m, i);
		tm_node_kind k = tm_node_kind_of(s);
		const char *const *why = tm_rules__list(s, "no_auth");
		if ((k != TM_NODE_DATASTORE && k != TM_NODE_QUEUE) || !why || !why[0])
			continue;
		const char *cls = tm_node_attr_str(s, "classification");
		bool jewel = cls && (strcmp(cls, "confidential") == 0 || strcmp(cls, "restricted") == 0);
		const char *store = tm_node_attr_str(s, "store");
		tm_emit e;
		tm_emit_init(&e, s);
		e.nevidence = 0;
		tm_emit_loc(&e, tm_rules__fact_loc(s, "no_auth", why[0]));
		const char *runs = tm_node_attr_str(s, "runs_in");
		if (runs)
			tm_emit_path(&e, runs);
		/* open to anyone on the internet: the workload running it is routed from there (a
		 * published port, a LoadBalancer), unless its anonymous ways in are all inside the cluster
		 * (a Kafka whose exposed listeners authenticate) */
		const tm_node *host = tm_rules__store_host(m, s);
		bool outside = host != s && tm_rules__internet_facing(m, host) && !tm_rules__attr_true(s, "no_auth_internal_only");
		const char *auth = tm_node_attr_str(s, "auth");
		bool login = auth && strcmp(auth, "default-login") == 0; /* a login everyone knows */
		e.title = tm_rules__printf(c, "%s: %s admits %s (%s)%s%s", tm_node_id(s), store ? store : "the store",
					   login ? "anyone with a login everyone knows" : "any client", why[0], jewel ? tm_rules__printf(c, "; it holds %s data", cls) : "",
					   outside ? "; it is reachable from the internet" : "");
		/* known by its port alone: assumed open, never raised past the rule's medium */
		e.severity = (jewel || outside) && !tm_node_attr_get(s, "no_auth_assumed") ? TM_SEV_HIGH : -1;
		tm_emit_fold_namespace(c, &e, "run data stores without authentication");
		e.fold_noun = "stores";
		tm_rules__emit(c, &e);
	}
}
