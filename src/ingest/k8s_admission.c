/*
 * k8s_admission.c - what the cluster's admission control would refuse (docs/inputs.md, "Admission control").
 *
 * Read: Pod Security Admission namespace labels (pod-security.kubernetes.io/enforce|audit|warn),
 * Kyverno ClusterPolicy/Policy (rules validating pods or their controllers: podSecurity levels,
 * patterns, deny conditions and CEL read by the fields they name), Gatekeeper constraints of the
 * pod-security library kinds (K8sPSP*, K8sDisallowedTags), ValidatingAdmissionPolicy with its
 * bindings (the CEL expressions read by the fields they name). Each becomes a control: the checks it
 * makes (a bit set, the documented mapping), enforcing or only auditing, the namespaces it covers,
 * and its line. A policy whose checks are none of those is an "unknown" control: present (the
 * agenda does not ask for one) but refusing nothing trustmap can name.
 *
 * Applied per workload from what the workload's facts say: a workload an enforcing control would
 * refuse gets the fact `admission_refused` (the control and the reason, at the control's line), an
 * auditing one `admission_audited`; every workload in a namespace with any control gets
 * `admission` (the controls, summarised). The rules' weighing lowers TM-CTR-* findings on refused
 * workloads (registry.c).
 *
 * Cost: controls are merged per namespace and per check as they are read (the first enforcing and
 * the first auditing control of each check), so a workload costs the number of checks, not of
 * policies; controls with namespace exclusions are kept apart, at most MAX_EXCLUDING of them.
 */
#include <stdio.h>
#include <strings.h>

#include "k8s.h"

enum {
	A_PRIV = 1u << 0,        /* privileged: true */
	A_HOSTPATH = 1u << 1,    /* hostPath volumes */
	A_HOSTNET = 1u << 2,     /* hostNetwork */
	A_HOSTPID = 1u << 3,     /* hostPID, hostIPC */
	A_HOSTPORT = 1u << 4,    /* hostPort */
	A_CAPS = 1u << 5,        /* capabilities beyond the baseline default set */
	A_CAPS_ALL = 1u << 6,    /* any capability but NET_BIND_SERVICE, or ALL not dropped */
	A_ROOT = 1u << 7,        /* runAsNonRoot not required, or UID 0 */
	A_ESCALATION = 1u << 8,  /* allowPrivilegeEscalation not false */
	A_UNCONFINED = 1u << 9,  /* seccomp or AppArmor Unconfined */
	A_LATEST = 1u << 10,     /* an image on :latest or no tag */
	NCHECKS = 11,
	PSA_BASELINE = A_PRIV | A_HOSTPATH | A_HOSTNET | A_HOSTPID | A_HOSTPORT | A_CAPS | A_UNCONFINED,
	PSA_RESTRICTED = PSA_BASELINE | A_CAPS_ALL | A_ROOT | A_ESCALATION,
	MAX_EXCLUDING = 64,
};

struct ctl {
	const char *what; /* "PSA restricted enforced on namespace web" */
	unsigned checks;
	bool enforce;
	tm_loc loc;
	const tm_value *excluded; /* a sequence of namespace names it skips, or NULL */
};

/* The controls covering one namespace (or every namespace), merged per check. */
struct cover {
	const struct ctl *enforce[NCHECKS], *audit[NCHECKS];
	const struct ctl *first; /* any control, known checks or not */
	char summary[256];
};

struct adm {
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	struct cover all;
	tm_hmap by_ns; /* namespace -> struct cover* */
	const struct ctl *excluding[MAX_EXCLUDING];
	size_t nexcluding;
	bool dropped; /* more excluding controls than kept */
};

static const char *const check_names[NCHECKS] = {
	"privileged", "host path", "host network", "host PID or IPC", "host port", "capabilities beyond the baseline set",
	"capabilities other than NET_BIND_SERVICE, or ALL not dropped", "may run as root", "privilege escalation allowed",
	"unconfined seccomp or AppArmor", "image on a moving tag"};

static void summarise(struct cover *c, const struct ctl *x)
{
	size_t n = strlen(c->summary);
	if (n + 8 >= sizeof(c->summary) || strstr(c->summary, x->what))
		return;
	tm_formatf(c->summary + n, sizeof(c->summary) - n, "%s%s", n ? "; " : "", x->what);
}

static void merge(struct cover *c, const struct ctl *x)
{
	if (!c->first)
		c->first = x;
	summarise(c, x);
	for (unsigned b = 0; b < NCHECKS; b++)
		if (x->checks & (1u << b)) {
			if (x->enforce && !c->enforce[b])
				c->enforce[b] = x;
			else if (!x->enforce && !c->audit[b])
				c->audit[b] = x;
		}
}

static struct cover *cover_of(struct adm *a, const char *ns, bool create)
{
	struct cover *c = tm_hmap_get(&a->by_ns, ns, strlen(ns));
	if (c || !create)
		return c;
	c = tm_arena_alloc(a->k->arena, sizeof(*c));
	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	if (tm_hmap_put(&a->by_ns, ns, strlen(ns), c))
		return NULL;
	return c;
}

static struct ctl *new_ctl(struct adm *a, unsigned checks, bool enforce, tm_loc loc, const char *fmt, const char *x,
			   const char *y)
{
	struct ctl *c = tm_arena_alloc(a->k->arena, sizeof(*c));
	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->what = tm_arena_printf(a->k->arena, fmt, x, y);
	c->checks = checks;
	c->enforce = enforce;
	c->loc = loc;
	return c->what ? c : NULL;
}

/* Add a control for the namespaces listed (a sequence of names), every namespace (NULL list), or,
 * with exclusions, kept apart. */
static void add_ctl(struct adm *a, struct ctl *c, const char *ns, const tm_value *nslist, const tm_value *excluded)
{
	if (!c)
		return;
	if (ns) {
		struct cover *own = cover_of(a, ns, true);
		if (own)
			merge(own, c);
		else
			tm_arena_set_failed(a->k->arena);
		return;
	}
	if (tm_value_len(nslist)) {
		for (size_t i = 0; i < tm_value_len(nslist); i++) {
			const char *n = tm_scalar_str(tm_seq_at(nslist, i), NULL);
			struct cover *cv = n && !strpbrk(n, "*?") ? cover_of(a, n, true) : NULL;
			if (cv)
				merge(cv, c);
		}
		return;
	}
	if (tm_value_len(excluded)) {
		c->excluded = excluded;
		if (a->nexcluding < MAX_EXCLUDING)
			a->excluding[a->nexcluding++] = c;
		else
			a->dropped = true;
		return;
	}
	merge(&a->all, c);
}

/* ---- Pod Security Admission ---------------------------------------------------------------- */
static void psa(struct adm *a, const struct tm_k8s_obj *o)
{
	const tm_value *labels = tm_map_get(tm_map_get(o->v, "metadata"), "labels");
	static const char *const modes[] = {"enforce", "audit", "warn"};
	for (size_t m = 0; m < TM_ARRAY_LEN(modes); m++) {
		char key[64];
		tm_formatf(key, sizeof(key), "pod-security.kubernetes.io/%s", modes[m]);
		const tm_value *lv = tm_map_get(labels, key);
		const char *level = tm_scalar_str(lv, NULL);
		if (!level)
			continue;
		if (strcmp(level, "restricted") != 0 && strcmp(level, "baseline") != 0 && strcmp(level, "privileged") != 0) {
			tm_diag_add(a->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, lv),
				    "%s: '%s' is not a Pod Security level (privileged, baseline, restricted); not modelled", key,
				    level);
			continue;
		}
		unsigned checks = strcmp(level, "restricted") == 0 ? PSA_RESTRICTED
				  : strcmp(level, "baseline") == 0 ? PSA_BASELINE
								    : 0; /* privileged: allows everything */
		const char *how = m == 0 ? "enforced" : m == 1 ? "audited" : "warned";
		struct ctl *c = new_ctl(a, checks, m == 0, tm_ingest__loc(o->f, lv), "PSA %s %s",
					tm_arena_printf(a->k->arena, "%s %s", level, how),
					tm_arena_printf(a->k->arena, "on namespace %s", o->name));
		add_ctl(a, c, o->name, NULL, NULL);
	}
}

/* ---- the fields a policy names --------------------------------------------------------------- */
static unsigned words_checks(const char *s)
{
	static const struct {
		const char *word;
		unsigned check;
	} words[] = {{"privileged", A_PRIV},          {"hostPath", A_HOSTPATH},
		     {"hostNetwork", A_HOSTNET},          {"hostPID", A_HOSTPID},
		     {"hostIPC", A_HOSTPID},              {"hostPort", A_HOSTPORT},
		     {"runAsNonRoot", A_ROOT},            {"allowPrivilegeEscalation", A_ESCALATION},
		     {"capabilities", A_CAPS},            {"seccompProfile", A_UNCONFINED},
		     {"appArmorProfile", A_UNCONFINED},   {":latest", A_LATEST}};
	unsigned c = 0;
	for (size_t i = 0; s && i < TM_ARRAY_LEN(words); i++)
		if (strstr(s, words[i].word))
			c |= words[i].check;
	if ((c & A_CAPS) && strstr(s, "ALL"))
		c |= A_CAPS_ALL;
	return c;
}

/* Every key and string under v: the fields a pattern, a deny condition or a CEL expression names. */
static unsigned tree_checks(const tm_value *v, int depth)
{
	if (!v || depth > 24)
		return 0;
	unsigned c = 0;
	if (tm_value_kind_of(v) == TM_VALUE_SCALAR)
		return words_checks(tm_scalar_str(v, NULL));
	for (size_t i = 0; i < tm_value_len(v); i++) {
		if (tm_value_kind_of(v) == TM_VALUE_MAP) {
			c |= words_checks(tm_scalar_str(tm_map_key(v, i), NULL));
			c |= tree_checks(tm_map_value(v, i), depth + 1);
		} else {
			c |= tree_checks(tm_seq_at(v, i), depth + 1);
		}
	}
	/* "!*:latest" in an image pattern, a deny on "latest" tags */
	return c;
}

/* Does the rule's match (any/all/resources, kinds) take pods or their controllers? */
static bool matches_pods(const tm_value *v, int depth)
{
	if (!v || depth > 12)
		return false;
	if (tm_value_kind_of(v) == TM_VALUE_SCALAR) {
		const char *s = tm_scalar_str(v, NULL);
		static const char *const pods[] = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
						   "Job", "CronJob", "pods", "deployments", "*"};
		for (size_t i = 0; s && i < TM_ARRAY_LEN(pods); i++) {
			const char *p = strstr(s, pods[i]);
			size_t l = strlen(pods[i]);
			if (p && (p == s || p[-1] == '/' || p[-1] == '.') && (p[l] == '\0' || p[l] == '/'))
				return true;
		}
		return false;
	}
	for (size_t i = 0; i < tm_value_len(v); i++)
		if (matches_pods(tm_value_kind_of(v) == TM_VALUE_MAP ? tm_map_value(v, i) : tm_seq_at(v, i), depth + 1))
			return true;
	return false;
}

/* The namespaces a Kyverno rule's match or exclude lists (resources.namespaces, any/all of them). */
static const tm_value *kyverno_ns(const tm_value *m)
{
	const tm_value *l = tm_map_get(tm_map_get(m, "resources"), "namespaces");
	static const char *const both[] = {"any", "all"};
	for (size_t b = 0; !l && b < TM_ARRAY_LEN(both); b++) {
		const tm_value *s = tm_map_get(m, both[b]);
		for (size_t i = 0; !l && i < tm_value_len(s); i++)
			l = tm_map_get(tm_map_get(tm_seq_at(s, i), "resources"), "namespaces");
	}
	return l;
}

static void kyverno(struct adm *a, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *actv = tm_map_get(spec, "validationFailureAction");
	const char *action = tm_scalar_str(actv, NULL);
	bool namespaced = tm_k8s__is(o, "Policy");
	const tm_value *rules = tm_map_get(spec, "rules");
	for (size_t i = 0; i < tm_value_len(rules); i++) {
		const tm_value *r = tm_seq_at(rules, i);
		const tm_value *val = tm_map_get(r, "validate");
		if (!val || !matches_pods(tm_map_get(r, "match"), 0))
			continue;
		const tm_value *rav = tm_map_get(val, "failureAction"); /* Kyverno 1.13: per rule */
		const char *ra = tm_scalar_str(rav, NULL);
		const char *act = ra ? ra : action;
		bool enforce = act && strcasecmp(act, "Enforce") == 0;
		const char *level = tm_map_get_str(tm_map_get(val, "podSecurity"), "level");
		unsigned checks = level ? strcmp(level, "restricted") == 0 ? PSA_RESTRICTED
					  : strcmp(level, "baseline") == 0 ? PSA_BASELINE
									    : 0
				       : tree_checks(val, 0);
		const char *rname = tm_map_get_str(r, "name");
		tm_loc at = tm_ingest__loc(o->f, rav ? rav : actv ? actv : r);
		char *name = tm_arena_printf(a->k->arena, "%s/%s", o->name, rname ? rname : "?");
		struct ctl *c = new_ctl(a, checks, enforce,
					at, checks ? "Kyverno %s (%s)" : "Kyverno %s (%s; a custom rule: what it refuses is not modelled)",
					name, enforce ? "Enforce" : "Audit");
		add_ctl(a, c, namespaced ? o->ns : NULL, kyverno_ns(tm_map_get(r, "match")), kyverno_ns(tm_map_get(r, "exclude")));
	}
}

/* ---- Gatekeeper constraints of the pod-security library ------------------------------------- */
static void gatekeeper(struct adm *a, const struct tm_k8s_obj *o)
{
	static const struct {
		const char *kind;
		unsigned checks;
	} kinds[] = {{"K8sPSPPrivilegedContainer", A_PRIV},
		     {"K8sPSPHostFilesystem", A_HOSTPATH},
		     {"K8sPSPHostNamespace", A_HOSTPID},
		     {"K8sPSPHostNetworkingPorts", A_HOSTNET | A_HOSTPORT},
		     {"K8sPSPAllowPrivilegeEscalationContainer", A_ESCALATION},
		     {"K8sPSPCapabilities", A_CAPS},
		     {"K8sPSPSeccomp", A_UNCONFINED},
		     {"K8sPSPAppArmor", A_UNCONFINED},
		     {"K8sPSPAllowedUsers", 0}, /* by its parameters */
		     {"K8sDisallowedTags", 0},
		     {"K8sDisallowLatestTag", A_LATEST}};
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *params = tm_map_get(spec, "parameters");
	unsigned checks = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(kinds); i++)
		if (tm_k8s__is(o, kinds[i].kind))
			checks = kinds[i].checks;
	if (tm_k8s__is(o, "K8sPSPAllowedUsers")) {
		const char *rule = tm_map_get_str(tm_map_get(params, "runAsUser"), "rule");
		checks = rule && strcmp(rule, "MustRunAsNonRoot") == 0 ? A_ROOT : 0;
	}
	if (tm_k8s__is(o, "K8sPSPHostFilesystem") && tm_value_len(tm_map_get(params, "allowedHostPaths")))
		checks = 0; /* some host paths stay allowed: which ones the workload uses is not compared */
	if (tm_k8s__is(o, "K8sPSPCapabilities")) {
		const tm_value *drop = tm_map_get(params, "requiredDropCapabilities");
		for (size_t i = 0; i < tm_value_len(drop); i++)
			if (tm_scalar_str(tm_seq_at(drop, i), NULL) && strcmp(tm_scalar_str(tm_seq_at(drop, i), NULL), "ALL") == 0)
				checks |= A_CAPS_ALL;
	}
	if (tm_k8s__is(o, "K8sDisallowedTags")) {
		const tm_value *tags = tm_map_get(params, "tags");
		for (size_t i = 0; i < tm_value_len(tags); i++)
			if (tm_scalar_str(tm_seq_at(tags, i), NULL) && strcmp(tm_scalar_str(tm_seq_at(tags, i), NULL), "latest") == 0)
				checks |= A_LATEST;
	}
	const tm_value *actv = tm_map_get(spec, "enforcementAction");
	const char *act = tm_scalar_str(actv, NULL);
	bool enforce = !act || strcmp(act, "deny") == 0;
	char *name = tm_arena_printf(a->k->arena, "%s/%s", o->kind, o->name);
	struct ctl *c = new_ctl(a, checks, enforce, tm_ingest__loc(o->f, actv ? actv : o->v),
				checks ? "Gatekeeper %s (%s)" : "Gatekeeper %s (%s; what it refuses is not modelled)", name,
				act ? act : "deny");
	const tm_value *match = tm_map_get(spec, "match");
	add_ctl(a, c, NULL, tm_map_get(match, "namespaces"), tm_map_get(match, "excludedNamespaces"));
}

/* ---- ValidatingAdmissionPolicy and its bindings ----------------------------------------------- */
static void vap_binding(struct adm *a, const struct tm_k8s_obj *o, const tm_hmap *policies)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const char *pname = tm_map_get_str(spec, "policyName");
	const struct tm_k8s_obj *p = pname ? tm_hmap_get(policies, pname, strlen(pname)) : NULL;
	if (!p)
		return;
	const tm_value *pspec = tm_map_get(p->v, "spec");
	if (!matches_pods(tm_map_get(pspec, "matchConstraints"), 0))
		return;
	unsigned checks = tree_checks(tm_map_get(pspec, "validations"), 0);
	const tm_value *acts = tm_map_get(spec, "validationActions");
	bool enforce = false;
	for (size_t i = 0; i < tm_value_len(acts); i++)
		enforce = enforce || (tm_scalar_str(tm_seq_at(acts, i), NULL) && strcmp(tm_scalar_str(tm_seq_at(acts, i), NULL), "Deny") == 0);
	const tm_value *sel = tm_map_get(tm_map_get(spec, "matchResources"), "namespaceSelector");
	const char *only = tm_map_get_str(tm_map_get(sel, "matchLabels"), "kubernetes.io/metadata.name");
	bool simple = !tm_value_len(sel) || (only && tm_value_len(sel) == 1 && tm_value_len(tm_map_get(sel, "matchLabels")) == 1);
	struct ctl *c = new_ctl(a, simple ? checks : 0, enforce, tm_ingest__loc(o->f, acts ? acts : o->v),
				simple && checks ? "ValidatingAdmissionPolicy %s (%s)"
						 : "ValidatingAdmissionPolicy %s (%s; what it refuses, or where, is not modelled)",
				pname, enforce ? "Deny" : "Audit/Warn");
	add_ctl(a, c, only, NULL, NULL);
}

/* ---- applied to workloads ------------------------------------------------------------------- */
static bool has_list(const tm_node *n, const char *key)
{
	const tm_attr *at = tm_node_attr_get(n, key);
	return at && at->type == TM_ATTR_LIST && at->list && at->list[0];
}

/* Capabilities the baseline profile lets a container add. */
static bool baseline_cap(const char *cap)
{
	static const char *const ok[] = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
					 "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"};
	if (strncasecmp(cap, "CAP_", 4) == 0)
		cap += 4;
	for (size_t i = 0; i < TM_ARRAY_LEN(ok); i++)
		if (strcasecmp(cap, ok[i]) == 0)
			return true;
	return false;
}

static bool violates(const tm_node *n, unsigned b)
{
	const tm_attr *caps = tm_node_attr_get(n, "capabilities_added");
	const tm_attr *hostns = tm_node_attr_get(n, "host_namespaces");
	switch (1u << b) {
	case A_PRIV: return has_list(n, "privileged");
	case A_HOSTPATH: return has_list(n, "host_paths");
	case A_HOSTPORT: return has_list(n, "host_ports");
	case A_HOSTNET:
	case A_HOSTPID:
		for (size_t i = 0; hostns && hostns->type == TM_ATTR_LIST && hostns->list && hostns->list[i]; i++)
			if ((1u << b) == A_HOSTNET ? strcmp(hostns->list[i], "hostNetwork") == 0
						   : strcmp(hostns->list[i], "hostNetwork") != 0)
				return true;
		return false;
	case A_CAPS:
	case A_CAPS_ALL:
		if ((1u << b) == A_CAPS_ALL && has_list(n, "capabilities_not_dropped"))
			return true;
		for (size_t i = 0; caps && caps->type == TM_ATTR_LIST && caps->list && caps->list[i]; i++) {
			const char *c = strrchr(caps->list[i], ':');
			c = c ? c + 1 : caps->list[i];
			if ((1u << b) == A_CAPS ? !baseline_cap(c) : strcasecmp(c, "NET_BIND_SERVICE") != 0)
				return true;
		}
		return false;
	case A_ROOT: return has_list(n, "runs_as_root") || has_list(n, "root_not_excluded");
	case A_ESCALATION: return has_list(n, "privilege_escalation");
	case A_UNCONFINED: return has_list(n, "unconfined");
	case A_LATEST: return has_list(n, "images_floating");
	default: return false;
	}
}

static bool excludes(const struct ctl *c, const char *ns)
{
	for (size_t i = 0; i < tm_value_len(c->excluded); i++) {
		const char *e = tm_scalar_str(tm_seq_at(c->excluded, i), NULL);
		if (e && strcmp(e, ns) == 0)
			return true;
	}
	return false;
}

/* The first control of the namespace's, every namespace's, then the excluding ones that makes check b. */
static const struct ctl *deciding(const struct adm *a, const struct cover *own, const char *ns, unsigned b, bool enforce)
{
	const struct ctl *c = own ? (enforce ? own->enforce[b] : own->audit[b]) : NULL;
	if (!c)
		c = enforce ? a->all.enforce[b] : a->all.audit[b];
	for (size_t i = 0; !c && i < a->nexcluding; i++)
		if (a->excluding[i]->enforce == enforce && (a->excluding[i]->checks & (1u << b)) && !excludes(a->excluding[i], ns))
			c = a->excluding[i];
	return c;
}

static void apply(struct adm *a, tm_node *n, const char *ns)
{
	tm_model_builder *mb = a->ctx->mb;
	const struct cover *own = cover_of(a, ns, false);
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_printf(&sb, "%s%s%s", own ? own->summary : "", own && own->summary[0] && a->all.summary[0] ? "; " : "",
			 a->all.summary);
	size_t more = 0; /* the summary names a few; the facts name the deciding ones */
	for (size_t i = 0; i < a->nexcluding; i++) {
		if (excludes(a->excluding[i], ns) || (sb.data && strstr(sb.data, a->excluding[i]->what)))
			continue;
		if (sb.len < 512)
			tm_strbuf_printf(&sb, "%s%s", sb.len ? "; " : "", a->excluding[i]->what);
		else
			more++;
	}
	if (more)
		tm_strbuf_printf(&sb, "; %zu more", more);
	const char *summary = sb.len ? tm_arena_strdup(a->k->arena, sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	if (!summary)
		return;
	tm_mb_node_str(mb, n, "admission", summary);
	/* every check the workload fails, each with its deciding control: a finding cites the one about
	 * what it reports (registry.c weigh_admission) */
	for (unsigned b = 0; b < NCHECKS; b++) {
		if (!violates(n, b))
			continue;
		const struct ctl *e = deciding(a, own, ns, b, true);
		const struct ctl *au = deciding(a, own, ns, b, false);
		if (e) {
			tm_mb_node_fact(mb, n, "admission_refused",
					tm_arena_printf(a->k->arena, "%s, refuses: %s", e->what, check_names[b]), e->loc);
		}
		if (au)
			tm_mb_node_fact(mb, n, "admission_audited",
					tm_arena_printf(a->k->arena, "%s, reports but admits: %s", au->what, check_names[b]),
					au->loc);
	}
}

static bool api_is(const struct tm_k8s_obj *o, const char *prefix)
{
	const char *api = tm_map_get_str(o->v, "apiVersion");
	return api && strncmp(api, prefix, strlen(prefix)) == 0;
}

bool tm_k8s__admission_kind(const char *kind, const tm_value *root)
{
	const char *api = tm_map_get_str(root, "apiVersion");
	if (!api)
		return false;
	if (strncmp(api, "kyverno.io/", 11) == 0)
		return strcmp(kind, "ClusterPolicy") == 0 || strcmp(kind, "Policy") == 0;
	if (strncmp(api, "constraints.gatekeeper.sh/", 26) == 0)
		return true;
	if (strncmp(api, "admissionregistration.k8s.io/", 29) == 0)
		return strcmp(kind, "ValidatingAdmissionPolicy") == 0 || strcmp(kind, "ValidatingAdmissionPolicyBinding") == 0;
	return false;
}

void tm_k8s__admission(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	struct adm a;
	memset(&a, 0, sizeof(a));
	a.ctx = ctx;
	a.k = k;
	tm_hmap policies = TM_HMAP_INIT;
	bool any = false;
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		if (tm_k8s__is(o, "Namespace"))
			psa(&a, o);
		else if (api_is(o, "kyverno.io/") && (tm_k8s__is(o, "ClusterPolicy") || tm_k8s__is(o, "Policy")))
			kyverno(&a, o);
		else if (api_is(o, "constraints.gatekeeper.sh/"))
			gatekeeper(&a, o);
		else if (tm_k8s__is(o, "ValidatingAdmissionPolicy") && api_is(o, "admissionregistration.k8s.io/")) {
			if (tm_hmap_put(&policies, o->name, strlen(o->name), (void *)o))
				tm_arena_set_failed(k->arena);
		} else {
			continue;
		}
		any = true;
	}
	for (size_t i = 0; i < k->n; i++)
		if (tm_k8s__is(&k->objs[i], "ValidatingAdmissionPolicyBinding") && api_is(&k->objs[i], "admissionregistration.k8s.io/"))
			vap_binding(&a, &k->objs[i], &policies);
	tm_hmap_dispose(&policies);
	if (a.dropped)
		tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_NOTE, a.excluding[MAX_EXCLUDING - 1]->loc,
			    "more than %d cluster-wide admission controls with namespace exclusions; the rest are not modelled",
			    MAX_EXCLUDING);
	if (any)
		for (size_t i = 0; i < k->n; i++) {
			const struct tm_k8s_obj *o = &k->objs[i];
			if (!tm_k8s__pod_template(o))
				continue;
			char *id = tm_k8s__workload_id(k, o);
			tm_node *n = id ? tm_mb_find(ctx->mb, id) : NULL;
			if (n)
				apply(&a, n, o->ns);
		}
	tm_hmap_dispose(&a.by_ns);
}
