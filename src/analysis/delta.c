/*
 * delta.c - what a change changed, semantically (see trustmap/delta.h).
 *
 * Identity is the model's ids (never a line or a file name), so moving or
 * reformatting files changes nothing. Attributes are compared only where they
 * carry security meaning (exposure, authentication, grants, posture facts).
 * Depth: none without changes; lightning for changes no trigger names;
 * design-review for new surface (endpoints, identities, channels, third
 * parties, deployment paths, sensitive flows, auth flows) or a new high
 * finding; deep-dive for a new trust boundary, a removed or loosened control,
 * a new tenant/admin capability or a new critical finding.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "trustmap/delta.h"
#include "trustmap/scan.h"
#include "trustmap/analysis.h"

/* One side of the comparison, taken from its analysis. */
typedef struct {
	const tm_model *model;
	const tm_findings *findings;
	const tm_exposure *exposure;
} tm_delta_side;

struct tm_delta {
	tm_arena *a;
	tm_change *changes;
	size_t nchanges, cap_changes;
	const tm_finding **added, **resolved, **rereview;
	size_t nadded, nresolved, nrereview, cap_added, cap_resolved, cap_rereview;
	const tm_finding **superseded, **superseded_by; /* gone findings a new one takes the place of, and it */
	size_t nsuperseded, cap_superseded, cap_superseded_by;
	tm_agenda_item *agenda;
	size_t nagenda, cap_agenda;
	tm_hmap asked; /* "question address\x1fabout" of every agenda item: each asked once */
	const tm_diag **new_diags; /* the head's errors the base did not have */
	size_t nnew_diags, cap_new_diags;
	tm_diag *unreviewed; /* changed inputs the model cannot show (texts in a) */
	size_t nunreviewed, cap_unreviewed;
	const char *depth, *reason;
	int oom;
	struct tm_delta *half; /* the half compared beside this one (tm_delta_run): its arena holds texts of ours */
};

size_t tm_delta_change_count(const tm_delta *d) { return d->nchanges; }
const tm_change *tm_delta_change(const tm_delta *d, size_t i) { return i < d->nchanges ? &d->changes[i] : NULL; }
const char *tm_delta_depth(const tm_delta *d) { return d->depth; }
const char *tm_delta_depth_reason(const tm_delta *d) { return d->reason; }
size_t tm_delta_new_count(const tm_delta *d) { return d->nadded; }
const tm_finding *tm_delta_new(const tm_delta *d, size_t i) { return i < d->nadded ? d->added[i] : NULL; }
size_t tm_delta_resolved_count(const tm_delta *d) { return d->nresolved; }
const tm_finding *tm_delta_resolved(const tm_delta *d, size_t i) { return i < d->nresolved ? d->resolved[i] : NULL; }
size_t tm_delta_superseded_count(const tm_delta *d) { return d->nsuperseded; }
const tm_finding *tm_delta_superseded(const tm_delta *d, size_t i) { return i < d->nsuperseded ? d->superseded[i] : NULL; }
const tm_finding *tm_delta_superseded_by(const tm_delta *d, size_t i)
{
	return i < d->nsuperseded ? d->superseded_by[i] : NULL;
}
size_t tm_delta_agenda_count(const tm_delta *d) { return d->nagenda; }
const tm_agenda_item *tm_delta_agenda(const tm_delta *d, size_t i) { return i < d->nagenda ? &d->agenda[i] : NULL; }
size_t tm_delta_new_diag_count(const tm_delta *d) { return d->nnew_diags; }
const tm_diag *tm_delta_new_diag(const tm_delta *d, size_t i) { return i < d->nnew_diags ? d->new_diags[i] : NULL; }
size_t tm_delta_unreviewed_count(const tm_delta *d) { return d->nunreviewed; }
const tm_diag *tm_delta_unreviewed(const tm_delta *d, size_t i) { return i < d->nunreviewed ? &d->unreviewed[i] : NULL; }
size_t tm_delta_rereview_count(const tm_delta *d) { return d->nrereview; }
const tm_finding *tm_delta_rereview(const tm_delta *d, size_t i) { return i < d->nrereview ? d->rereview[i] : NULL; }

void tm_delta_free(tm_delta *d)
{
	if (!d)
		return;
	tm_free(d->changes);
	tm_free(d->added);
	tm_free(d->resolved);
	tm_free(d->superseded);
	tm_free(d->superseded_by);
	tm_free(d->rereview);
	tm_free(d->agenda);
	tm_free(d->new_diags);
	tm_free(d->unreviewed);
	tm_hmap_dispose(&d->asked);
	tm_arena_free(d->a);
	tm_delta_free(d->half);
	tm_free(d);
}

static const char *fmt(tm_delta *d, const char *f, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static const char *fmt(tm_delta *d, const char *f, ...)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	va_list ap;
	va_start(ap, f);
	tm_strbuf_vprintf(&sb, f, ap);
	va_end(ap);
	const char *s = sb.data ? tm_arena_strdup(d->a, sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	if (!s)
		d->oom = 1;
	return s ? s : "";
}

static tm_loc first_loc(const tm_node *n)
{
	tm_loc none = {NULL, 0, 0, NULL};
	return n && tm_node_evidence_count(n) ? tm_node_evidence(n, 0) : none;
}

static void change(tm_delta *d, const char *trigger, const char *node, tm_loc ev, const char *text)
{
	if (TM_GROW(d->changes, d->cap_changes, d->nchanges + 1)) {
		d->oom = 1;
		return;
	}
	d->changes[d->nchanges++] = (tm_change){trigger, node, text, ev};
}

static void ask(tm_delta *d, const char *about, const char *question, const char *answer)
{
	const char *key = fmt(d, "%p\x1f%s", (const void *)question, about);
	if (tm_hmap_get(&d->asked, key, strlen(key)))
		return;
	if (tm_hmap_put(&d->asked, key, strlen(key), (void *)key) || TM_GROW(d->agenda, d->cap_agenda, d->nagenda + 1)) {
		d->oom = 1;
		return;
	}
	d->agenda[d->nagenda++] = (tm_agenda_item){question, answer, about};
}

/* n's exposure on one side: computed, else its ingester's label; -1 when neither says. */
static int xpo(const tm_delta_side *s, const tm_node *n)
{
	int e = tm_exposure_level_of(s->exposure, n);
	return e >= 0 ? e : tm_exposure_level_parse(tm_node_attr_str(n, "exposure"));
}

static bool outside(int e)
{
	return e >= TM_EXPOSURE_PARTNER;
}

static const char *xpo_name(int e, const char *none)
{
	return e >= 0 ? tm_exposure_level_name((tm_exposure_level)e) : none;
}

/* ...of node n: a compose service's "cluster" is the compose networks it joins (as the reports say). */
static const char *xpo_name_of(const tm_node *n, int e, const char *none)
{
	const char *wk = tm_node_attr_str(n, "workload");
	if (e == TM_EXPOSURE_CLUSTER && wk && strcmp(wk, "compose-service") == 0)
		return "compose networks";
	return xpo_name(e, none);
}

/* Is item in list attribute a (NULL: no attribute)? */
static bool listed(const tm_attr *a, const char *item)
{
	for (size_t k = 0; a && a->type == TM_ATTR_LIST && a->list[k]; k++)
		if (strcmp(a->list[k], item) == 0)
			return true;
	return false;
}

/* Items of list attribute key in head and not in base, joined; NULL if none. */
static const char *grown(tm_delta *d, const tm_node *b, const tm_node *h, const char *key)
{
	const tm_attr *hb = tm_node_attr_get(h, key), *bb = b ? tm_node_attr_get(b, key) : NULL;
	if (!hb || hb->type != TM_ATTR_LIST)
		return NULL;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; hb->list[i]; i++)
		if (!listed(bb, hb->list[i]))
			tm_strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", hb->list[i]);
	const char *r = sb.len ? fmt(d, "%s", sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	return r;
}

/* Where the head's node was given a list item of key the base's lacked: the located fact that
 * says so (the line that made a container privileged), else the node's first evidence (which may
 * be any file that defines the node: its API spec, say). */
static tm_loc grown_at(const tm_node *b, const tm_node *h, const char *key)
{
	const tm_attr *bb = b ? tm_node_attr_get(b, key) : NULL;
	for (size_t f = 0; f < tm_node_fact_count(h); f++) {
		const tm_fact_loc *fl = tm_node_fact(h, f);
		if (strcmp(fl->key, key) == 0 && fl->loc.path && !listed(bb, fl->value))
			return fl->loc;
	}
	return first_loc(h);
}

/* Attribute a as text: a string, yes or no, a list's items joined; NULL: none (or an empty list,
 * or a number). */
static const char *attr_text(tm_delta *d, const tm_attr *a)
{
	if (!a)
		return NULL;
	if (a->type == TM_ATTR_STR)
		return a->str;
	if (a->type == TM_ATTR_BOOL)
		return a->num ? "yes" : "no";
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; a->type == TM_ATTR_LIST && a->list[i]; i++)
		tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", a->list[i]);
	const char *r = sb.len ? fmt(d, "%s", sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	return r;
}

static const char *list_or(tm_delta *d, const tm_node *n, const char *key)
{
	return attr_text(d, tm_node_attr_get(n, key));
}

/* Are a and b the same attribute value (so attr_text gives the same text for both, without
 * writing either)? */
static bool same_attr(const tm_attr *a, const tm_attr *b)
{
	if (!a || !b)
		return a == b;
	if (a->type != b->type)
		return false;
	if (a->type == TM_ATTR_STR)
		return strcmp(a->str, b->str) == 0;
	if (a->type != TM_ATTR_LIST)
		return a->num == b->num;
	size_t i = 0;
	for (; a->list[i] && b->list[i]; i++)
		if (strcmp(a->list[i], b->list[i]) != 0)
			return false;
	return !a->list[i] && !b->list[i];
}

static bool admin_path(const tm_node *ep)
{
	const char *p = tm_node_attr_str(ep, "path");
	static const char *const marks[] = {"admin", "manage", "internal", "tenant", "impersonat", "sudo", "role"};
	for (size_t i = 0; p && i < TM_ARRAY_LEN(marks); i++)
		if (strstr(p, marks[i]))
			return true;
	return false;
}

/* The questions a new or changed operation raises, with what the model answers. */
static void agenda_endpoint(tm_delta *d, const tm_node *ep)
{
	const char *id = tm_node_id(ep);
	const char *ids = list_or(d, ep, "object_ids");
	ask(d, id, "Which object identifiers does it take, and where is ownership checked?",
	    ids ? fmt(d, "takes %s; no ownership check is stated in the inputs", ids) : "it takes no object identifier");
	const char *sec = list_or(d, ep, "auth_schemes");
	ask(d, id, "Where is authentication and authorization decided for it?",
	    tm_node_attr_get(ep, "anonymous") && tm_node_attr_get(ep, "anonymous")->num
		    ? "nowhere in the spec: it needs no credentials"
		    : sec ? fmt(d, "the spec requires %s%s", sec,
			       list_or(d, ep, "scopes") ? fmt(d, " with scopes %s", list_or(d, ep, "scopes")) : "")
			  : NULL);
	const char *m = tm_node_attr_str(ep, "method");
	const char *path = tm_node_attr_str(ep, "path");
	if (path && (strstr(path, "export") || strstr(path, "bulk") || strstr(path, "admin") || strstr(path, "recover") ||
		     strstr(path, "reset") || tm_node_attr_get(ep, "returns_list")))
		ask(d, id, "Is it a bulk, export, admin or recovery action, and what bounds it?",
		    list_or(d, ep, "page_params") ? fmt(d, "paging: %s", list_or(d, ep, "page_params")) : NULL);
	if (m && strcmp(m, "GET") != 0) {
		const char *nums = list_or(d, ep, "unbounded_numbers");
		ask(d, id, "Which business invariants hold for the state change (negative quantities, replay, stale approvals)?",
		    nums ? fmt(d, "no lower bound on %s; %s", nums,
			       tm_node_attr_get(ep, "idempotency_keys") ? "an idempotency key is taken" : "no idempotency key")
			 : tm_node_attr_get(ep, "idempotency_keys") ? "an idempotency key is taken" : NULL);
	}
	if (path && (strstr(path, "actuator") || strstr(path, "debug") || strstr(path, "swagger") || strstr(path, "metrics")))
		ask(d, id, "Is this discovery or debug surface meant to be reachable?", fmt(d, "exposure: %s", tm_node_attr_str(ep, "exposure") ? tm_node_attr_str(ep, "exposure") : "unknown"));
}

static void agenda_workload(tm_delta *d, const tm_node *w)
{
	const char *id = tm_node_id(w);
	const char *root = list_or(d, w, "runs_as_root"), *priv = list_or(d, w, "privileged");
	const char *host = list_or(d, w, "host_namespaces"), *caps = list_or(d, w, "capabilities_added");
	tm_strbuf sb = TM_STRBUF_INIT;
	if (root)
		tm_strbuf_printf(&sb, "root: %s", root);
	if (priv)
		tm_strbuf_printf(&sb, "%sprivileged: %s", sb.len ? "; " : "", priv);
	if (host)
		tm_strbuf_printf(&sb, "%shost namespaces: %s", sb.len ? "; " : "", host);
	if (caps)
		tm_strbuf_printf(&sb, "%sadded capabilities: %s", sb.len ? "; " : "", caps);
	ask(d, id, "Does it run as root, with added capabilities or host access?",
	    sb.len ? fmt(d, "%s", sb.data) : "no: non-root or unknown, no privileges, capabilities or host namespaces are declared");
	tm_strbuf_dispose(&sb);
	ask(d, id, "Is a service-account token mounted where no API access is needed?", tm_node_attr_str(w, "token_mounted"));
	const char *wk = tm_node_attr_str(w, "workload");
	if (wk && strcmp(wk, "compose-service") != 0)
		ask(d, id, "What would stop an unsafe deployment of it (admission control)?",
		    tm_node_attr_str(w, "admission"));
	const tm_attr *iso = tm_node_attr_get(w, "ingress_isolated");
	ask(d, id, "What may call it (segmentation)?",
	    iso ? (iso->num ? "a NetworkPolicy isolates it: trustmap query who-can-call lists its callers"
			    : "no NetworkPolicy isolates it: every pod in the cluster may call it")
		: NULL);
}

static void agenda_identity(tm_delta *d, const tm_node *n)
{
	const char *id = tm_node_id(n);
	ask(d, id, "What may this identity do, and does its workload need it?", tm_node_attr_str(n, "scope"));
	ask(d, id, "What is the blast radius if its workload (or a runner holding it) is compromised?",
	    list_or(d, n, "rbac_capabilities"));
}

static void agenda_pipeline(tm_delta *d, const tm_node *p)
{
	const char *id = tm_node_id(p);
	ask(d, id, "Can a pull-request author or a runner token reach deploy or infrastructure control through it?",
	    list_or(d, p, "cloud_roles") ? fmt(d, "it assumes %s; triggers: %s", list_or(d, p, "cloud_roles"),
					   list_or(d, p, "triggers") ? list_or(d, p, "triggers") : "?")
					: list_or(d, p, "untrusted_triggers"));
	ask(d, id, "Which secrets and token scopes does it hold?",
	    list_or(d, p, "secrets_used") || list_or(d, p, "write_permissions")
		    ? fmt(d, "secrets: %s; write scopes: %s", list_or(d, p, "secrets_used") ? list_or(d, p, "secrets_used") : "none",
			  list_or(d, p, "write_permissions") ? list_or(d, p, "write_permissions") : "none")
		    : NULL);
}

/* The fingerprints of fs and of every member of its folded findings, into set (the map borrows
 * them): an element that joins or leaves a fold is still seen by its own fingerprint. 0 or
 * TM_ENOMEM. */
static int fingerprints(tm_hmap *set, const tm_findings *fs)
{
	size_t n = 0;
	for (size_t i = 0; i < tm_findings_count(fs); i++)
		n += 1 + tm_findings_at(fs, i)->naffected;
	int rc = tm_hmap_reserve(set, set->count + n);
	for (size_t i = 0; i < tm_findings_count(fs); i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		for (size_t k = 0; k <= f->naffected; k++) {
			const char *fp = k ? f->affected[k - 1].fingerprint : f->fingerprint;
			int sev = k ? (int)f->affected[k - 1].severity : (int)f->severity;
			/* the value: its severity, plus one (never NULL) */
			if (fp && tm_hmap_put(set, fp, strlen(fp), (void *)(uintptr_t)(sev + 1)))
				rc = TM_ENOMEM;
		}
	}
	return rc;
}

static bool has_finding(const tm_hmap *set, const char *fp)
{
	return fp && tm_hmap_get(set, fp, strlen(fp));
}

/* The severity the other side gives fingerprint fp, or -1 when it has no such finding. */
static int severity_in(const tm_hmap *set, const char *fp)
{
	uintptr_t v = fp ? (uintptr_t)tm_hmap_get(set, fp, strlen(fp)) : 0;
	return v ? (int)v - 1 : -1;
}

/* Is (fp, sev) new beside the other side: unseen there, or there at a lower severity (the change
 * made it worse: a store now reachable from the internet, a role now cluster-wide)? */
static bool new_or_rose(const tm_hmap *other, const char *fp, tm_severity sev)
{
	int was = severity_in(other, fp);
	return was < 0 || (int)sev > was;
}

/* Is f new beside the other side's set: its fingerprint unseen there (or there at a lower severity),
 * or, for a fold, one of its members so? A workload that joins an existing fold is a new finding of
 * the change; a fold whose members all stood before, folded otherwise (a fold across two compose
 * projects that the change left in one: its fingerprint names the one), is not. */
static bool is_new(const tm_hmap *other, const tm_finding *f)
{
	if (!f->naffected)
		return new_or_rose(other, f->fingerprint, f->severity);
	for (size_t k = 0; k < f->naffected; k++)
		if (new_or_rose(other, f->affected[k].fingerprint, f->affected[k].severity))
			return true;
	return false;
}

/* Is base finding f resolved in the head: its fingerprint unseen there, or (a fold) one of its members?
 * A workload taken out of a fold that stays is a resolved finding of the change; a fold whose members
 * all stand, folded otherwise, is not. */
static bool is_gone(const tm_hmap *head, const tm_finding *f)
{
	if (!f->naffected)
		return !has_finding(head, f->fingerprint);
	for (size_t k = 0; k < f->naffected; k++)
		if (!has_finding(head, f->affected[k].fingerprint))
			return true;
	return false;
}

int tm_delta_marks(const tm_findings *base, const tm_findings *head, bool *gone, bool *fresh)
{
	tm_hmap fb = TM_HMAP_INIT, fh = TM_HMAP_INIT;
	int rc = gone ? fingerprints(&fh, head) : 0;
	if (!rc && fresh)
		rc = fingerprints(&fb, base);
	for (size_t i = 0; gone && i < tm_findings_count(base) && !rc; i++)
		gone[i] = is_gone(&fh, tm_findings_at(base, i));
	for (size_t i = 0; fresh && i < tm_findings_count(head) && !rc; i++)
		fresh[i] = is_new(&fb, tm_findings_at(head, i));
	tm_hmap_dispose(&fb);
	tm_hmap_dispose(&fh);
	return rc;
}

static bool same_loc(tm_loc a, tm_loc b)
{
	return a.line == b.line && a.col == b.col && a.path && b.path && strcmp(a.path, b.path) == 0;
}

/*
 * The finding as the review shows it. A fold the other side held in part (other: that side's
 * fingerprints) comes back as a copy in the delta's arena: the members the other side lacks marked
 * (mark: TM_MEMBER_NEW for the head's, TM_MEMBER_RESOLVED for the base's) and listed first, its
 * evidence led by theirs, its severity the highest of theirs, so the table's "where", the SARIF
 * result and the gate speak of what the change did, not of what stood before it. Anything else (a
 * lone finding, a fold wholly new or wholly gone) is the finding itself.
 */
static bool member_changed(const tm_hmap *other, const tm_finding_member *a, tm_member_change mark)
{
	return mark == TM_MEMBER_NEW ? new_or_rose(other, a->fingerprint, a->severity) : !has_finding(other, a->fingerprint);
}

static const tm_finding *review_view(tm_delta *d, const tm_hmap *other, const tm_finding *f, tm_member_change mark)
{
	size_t changed = 0;
	for (size_t k = 0; k < f->naffected; k++)
		changed += member_changed(other, &f->affected[k], mark);
	int was = mark == TM_MEMBER_NEW ? severity_in(other, f->fingerprint) : -1;
	if (was >= 0 && (int)f->severity > was && (!changed || changed == f->naffected)) {
		/* the same finding, worse: new at its new severity, saying what it was */
		tm_finding *v = tm_arena_alloc(d->a, sizeof(*v));
		if (!v) {
			d->oom = 1;
			return f;
		}
		*v = *f;
		v->title = fmt(d, "%s (was %s before the change)", f->title, tm_severity_name((tm_severity)was));
		return v->title ? v : f;
	}
	if (!changed || changed == f->naffected)
		return f;
	tm_finding *v = tm_arena_alloc(d->a, sizeof(*v));
	tm_finding_member *am = tm_arena_alloc(d->a, f->naffected * sizeof(*am));
	tm_loc *ev = tm_arena_alloc(d->a, (f->nevidence + changed) * sizeof(*ev));
	if (!v || !am || !ev) {
		d->oom = 1;
		return f;
	}
	*v = *f;
	v->severity = TM_SEV_INFO; /* raised to the changed members' highest */
	size_t m = 0, e = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < f->naffected; k++) {
			bool ch = member_changed(other, &f->affected[k], mark);
			if (ch != (pass == 0))
				continue;
			am[m] = f->affected[k];
			/* a member there before at a lower severity was raised, not brought in */
			am[m].change = !ch ? TM_MEMBER_SAME
				       : mark == TM_MEMBER_NEW && severity_in(other, f->affected[k].fingerprint) >= 0 ? TM_MEMBER_RAISED
																 : mark;
			if (ch) {
				if (am[m].severity > v->severity)
					v->severity = am[m].severity;
				if (am[m].evidence.path)
					ev[e++] = am[m].evidence;
			}
			m++;
		}
	size_t lead = e;
	for (size_t i = 0; i < f->nevidence; i++) {
		bool dup = false;
		for (size_t j = 0; j < lead && !dup; j++) /* lead: the changed members, a handful */
			dup = same_loc(ev[j], f->evidence[i]);
		if (!dup)
			ev[e++] = f->evidence[i];
	}
	v->affected = am;
	v->evidence = ev;
	v->nevidence = e;
	return v;
}

/* The head's errors the base did not have, by file and message (a problem that only moved down
 * the file is the same problem): an input the change made unreadable hides what it holds from every
 * rule, so the review must say so even when the model did not change. */
static const char *diag_key(tm_delta *d, const tm_diag *g)
{
	return g->level == TM_LEVEL_ERROR ? fmt(d, "%s\x1f%s", g->loc.path ? g->loc.path : "", g->msg) : NULL;
}

static void compare_diags(tm_delta *d, const tm_diag_list *b, const tm_diag_list *h)
{
	tm_hmap had = TM_HMAP_INIT;
	for (size_t i = 0; b && i < b->count && !d->oom; i++) {
		const char *k = diag_key(d, &b->items[i]);
		if (k && tm_hmap_put(&had, k, strlen(k), (void *)k))
			d->oom = 1;
	}
	for (size_t i = 0; h && i < h->count && !d->oom; i++) {
		const tm_diag *g = &h->items[i];
		const char *k = diag_key(d, g);
		if (!k || tm_hmap_get(&had, k, strlen(k)))
			continue;
		if (TM_GROW(d->new_diags, d->cap_new_diags, d->nnew_diags + 1))
			d->oom = 1;
		else
			d->new_diags[d->nnew_diags++] = g;
	}
	tm_hmap_dispose(&had);
}

/* ---- changed inputs the model cannot show ---------------------------------------------------- */

static void unreviewed(tm_delta *d, tm_loc at, const char *msg)
{
	if (!msg || TM_GROW(d->unreviewed, d->cap_unreviewed, d->nunreviewed + 1)) {
		d->oom = 1;
		return;
	}
	d->unreviewed[d->nunreviewed++] = (tm_diag){0, TM_LEVEL_NOTE, at, msg};
}

/* The files of side s whose path is in changed (a set of paths, each worth what the change did to
 * it: "changed", "added", "removed"), said when what they hold is not modelled: each diagnostic of
 * a deployment not fetched at such a file, else its documents of kinds not modelled, or the file
 * skipped as recognised and not modelled. */
/* Is kind k of a changed file as the other side's same file held it: the same number of documents
 * of the same content (a file whose Service changed beside an untouched PriorityClass)? */
static bool kind_unchanged(const tm_input *was, const tm_kind_count *k)
{
	for (size_t i = 0; was && i < was->nunmodelled; i++)
		if (strcmp(was->unmodelled[i].kind, k->kind) == 0)
			return was->unmodelled[i].count == k->count && was->unmodelled[i].digest == k->digest;
	return false;
}

static void unmodelled_in(tm_delta *d, const tm_scan *s, const tm_hmap *changed, const tm_scan *other)
{
	/* the other side's inputs by path, for a changed file's kinds: only the kinds whose objects
	 * differ are unreviewed */
	tm_hmap before = TM_HMAP_INIT;
	for (size_t i = 0; other && i < tm_scan_input_count(other) && !d->oom; i++) {
		const tm_input *in = tm_scan_input(other, i);
		if (in->nunmodelled && tm_hmap_get(changed, in->path, strlen(in->path)) &&
		    tm_hmap_put(&before, in->path, strlen(in->path), (void *)in))
			d->oom = 1;
	}
	tm_hmap said = TM_HMAP_INIT;
	const tm_diag_list *dl = tm_scan_diags(s);
	for (size_t i = 0; dl && i < dl->count && !d->oom; i++) {
		const tm_diag *g = &dl->items[i];
		const char *how = g->code == TM_EREMOTE && g->loc.path ? tm_hmap_get(changed, g->loc.path, strlen(g->loc.path)) : NULL;
		if (!how)
			continue;
		unreviewed(d, g->loc, fmt(d, "%s: %s", how, g->msg));
		if (tm_hmap_put(&said, g->loc.path, strlen(g->loc.path), (void *)1))
			d->oom = 1;
	}
	for (size_t i = 0; i < tm_scan_input_count(s) && !d->oom; i++) {
		const tm_input *in = tm_scan_input(s, i);
		const tm_input *was = before.count ? tm_hmap_get(&before, in->path, strlen(in->path)) : NULL;
		const char *how = in->nunmodelled || was ? tm_hmap_get(changed, in->path, strlen(in->path)) : NULL;
		if (!how || tm_hmap_get(&said, in->path, strlen(in->path)))
			continue;
		tm_strbuf sb = TM_STRBUF_INIT;
		size_t docs = 0, kinds = 0;
		for (size_t k = 0; k < in->nunmodelled; k++) {
			if (kind_unchanged(was, &in->unmodelled[k]))
				continue;
			docs += in->unmodelled[k].count;
			if (kinds++ < 4)
				tm_strbuf_printf(&sb, "%s%s", kinds > 1 ? ", " : "", in->unmodelled[k].kind);
		}
		/* kinds the other side held and this one no longer does */
		for (size_t k = 0; was && k < was->nunmodelled; k++) {
			bool here = false;
			for (size_t j = 0; j < in->nunmodelled && !here; j++)
				here = strcmp(in->unmodelled[j].kind, was->unmodelled[k].kind) == 0;
			if (here)
				continue;
			docs += was->unmodelled[k].count;
			if (kinds++ < 4)
				tm_strbuf_printf(&sb, "%s%s", kinds > 1 ? ", " : "", was->unmodelled[k].kind);
		}
		if (!kinds) { /* its other objects changed; these stand as they were */
			tm_strbuf_dispose(&sb);
			continue;
		}
		if (kinds > 4)
			tm_strbuf_printf(&sb, " and %zu more kinds", kinds - 4);
		tm_loc at = {in->path, 1, 1, NULL};
		unreviewed(d, at, sb.oom ? NULL : fmt(d, "%s, and holds %zu document%s of kinds trustmap does not model (%s): what the change does to %s is not reviewed", how, docs, docs == 1 ? "" : "s", sb.data ? sb.data : "", docs == 1 ? "it" : "them"));
		tm_strbuf_dispose(&sb);
	}
	/* a file of objects recognised and not modelled (an operator's custom resources, a gateway's
	 * own format): skipped, its reason says which; files of no known format are not listed */
	for (size_t i = 0; i < tm_scan_skip_count(s) && !d->oom; i++) {
		const tm_skip *k = tm_scan_skip(s, i);
		const char *how = k->path && k->reason && strstr(k->reason, "recognised, not modelled")
					  ? tm_hmap_get(changed, k->path, strlen(k->path)) : NULL;
		if (how && !tm_hmap_get(&said, k->path, strlen(k->path)))
			unreviewed(d, (tm_loc){k->path, 1, 1, NULL}, fmt(d, "%s: %s", how, k->reason));
	}
	tm_hmap_dispose(&said);
	tm_hmap_dispose(&before);
}

/* Which parsed files differ between the sides (by display path and content hash), and of those,
 * the ones whose content the model cannot show: the head's changed and added files, the base's
 * removed ones. Linear in the files and the diagnostics. */
static void compare_inputs(tm_delta *d, const tm_scan *b, const tm_scan *h)
{
	tm_hmap in_base = TM_HMAP_INIT, in_head = TM_HMAP_INIT, changed = TM_HMAP_INIT, removed = TM_HMAP_INIT;
	size_t nb = tm_scan_parsed_count(b), nh = tm_scan_parsed_count(h), kept = 0;
	uint64_t *digests = tm_calloc(nb + 1, sizeof(*digests));
	if (!digests || tm_hmap_reserve(&in_base, nb) || tm_hmap_reserve(&in_head, nh))
		d->oom = 1;
	for (size_t i = 0; i < nb && !d->oom; i++) {
		const char *p = tm_scan_parsed_file(b, i, &digests[i]);
		if (p && tm_hmap_put(&in_base, p, strlen(p), &digests[i]))
			d->oom = 1;
	}
	for (size_t i = 0; i < nh && !d->oom; i++) {
		uint64_t dig = 0;
		const char *p = tm_scan_parsed_file(h, i, &dig);
		const uint64_t *was = p ? tm_hmap_get(&in_base, p, strlen(p)) : NULL;
		kept += was != NULL;
		if (p && (tm_hmap_put(&in_head, p, strlen(p), (void *)1) ||
			  ((!was || *was != dig) && tm_hmap_put(&changed, p, strlen(p), was ? "changed" : "added"))))
			d->oom = 1;
	}
	if (changed.count && !d->oom)
		unmodelled_in(d, h, &changed, b);
	/* the base's files the head lacks: looked for only when some are missing */
	for (size_t i = 0; kept < nb && i < nb && !d->oom; i++) {
		uint64_t dig;
		const char *p = tm_scan_parsed_file(b, i, &dig);
		if (p && !tm_hmap_get(&in_head, p, strlen(p)) && tm_hmap_put(&removed, p, strlen(p), "removed"))
			d->oom = 1;
	}
	if (removed.count && !d->oom)
		unmodelled_in(d, b, &removed, NULL);
	tm_hmap_dispose(&in_base);
	tm_hmap_dispose(&in_head);
	tm_hmap_dispose(&changed);
	tm_hmap_dispose(&removed);
	tm_free(digests);
}

static int push_finding(const tm_finding ***arr, size_t *n, size_t *cap, const tm_finding *f)
{
	if (TM_GROW(*arr, *cap, *n + 1))
		return TM_ENOMEM;
	(*arr)[(*n)++] = f;
	return 0;
}

/* A node only head has: what kind of new surface it is, and what to ask about it. */
static void node_added(tm_delta *d, const tm_delta_side *h, const tm_node *n)
{
	const char *id = tm_node_id(n);
	tm_loc ev = first_loc(n);
	switch (tm_node_kind_of(n)) {
	case TM_NODE_ENDPOINT:
		if (outside(xpo(h, n)))
			change(d, admin_path(n) ? "new-tenant-or-admin" : "new-public-endpoint", id, ev,
			       fmt(d, "new operation %s, reachable from the %s", tm_node_name(n), xpo_name(xpo(h, n), "")));
		else
			change(d, "changed", id, ev, fmt(d, "new operation %s (%s)", tm_node_name(n), xpo_name(xpo(h, n), "not exposed")));
		agenda_endpoint(d, n);
		break;
	case TM_NODE_SERVICE:
		change(d, outside(xpo(h, n)) ? "new-public-endpoint" : "changed", id, ev,
		       fmt(d, "new service %s (%s)", tm_node_name(n), xpo_name(xpo(h, n), "not exposed")));
		if (tm_node_attr_str(n, "workload"))
			agenda_workload(d, n);
		break;
	case TM_NODE_GATEWAY:
	case TM_NODE_ENTRYPOINT:
		change(d, "new-public-endpoint", id, ev, fmt(d, "new way in: %s", id));
		break;
	case TM_NODE_IDENTITY:
		if (tm_node_attr_str(n, "node_pool")) { /* ingest/nodes.c: a workload now hands its node over */
			/* a node handed over: every pod on it, and the node's credentials (an admin's reach) */
			change(d, "new-tenant-or-admin", id, ev, fmt(d, "a workload can now escape to %s", tm_node_name(n)));
			ask(d, id, "Does the workload need privileged or host access, and which workloads share its nodes "
				   "(taint the nodes and tolerate only there)?", NULL);
			break;
		}
		change(d, tm_node_attr_get(n, "rbac_capabilities") || tm_node_attr_get(n, "admin_policy")
				  ? "new-service-identity" : "new-service-identity",
		       id, ev, fmt(d, "new identity %s%s%s", id, tm_node_attr_str(n, "scope") ? ": " : "",
				   tm_node_attr_str(n, "scope") ? tm_node_attr_str(n, "scope") : ""));
		agenda_identity(d, n);
		break;
	case TM_NODE_QUEUE:
		change(d, "new-async-channel", id, ev, fmt(d, "new channel %s", tm_node_name(n)));
		ask(d, id, "Who may publish to it, and does the consumer check replay, order and authorization?", NULL);
		break;
	case TM_NODE_EXTERNAL:
		change(d, "new-third-party", id, ev, fmt(d, "new external system %s", tm_node_name(n)));
		ask(d, id, "What data leaves for it, and under which agreement?", list_or(d, n, "data"));
		break;
	case TM_NODE_PIPELINE:
		change(d, "new-deployment-control", id, ev, fmt(d, "new pipeline %s", id));
		agenda_pipeline(d, n);
		break;
	case TM_NODE_DATASTORE:
		change(d, tm_node_attr_str(n, "classification") ? "new-sensitive-flow" : "changed", id, ev,
		       fmt(d, "new data store %s", id));
		ask(d, id, "Who can reach the store, and is it exposed beyond its services (metadata, public access)?",
		    list_or(d, n, "public_access"));
		break;
	case TM_NODE_SECRET:
		change(d, "changed", id, ev, fmt(d, "new secret %s", id));
		ask(d, id, "Who can read this secret (mounts, RBAC), and is it broader than needed?", NULL);
		break;
	default:
		break;
	}
}

/* An endpoint on both sides: credentials dropped or changed, what it returns or lets clients set grown. */
static void endpoint_changed(tm_delta *d, const tm_node *o, const tm_node *n)
{
	const char *id = tm_node_id(n), *w;
	tm_loc ev = first_loc(n);
	const tm_attr *ab = tm_node_attr_get(o, "anonymous"), *ah = tm_node_attr_get(n, "anonymous");
	const tm_attr *asb = tm_node_attr_get(o, "auth_schemes"), *ash = tm_node_attr_get(n, "auth_schemes");
	/* the schemes as text only where they differ or are to be told (most endpoints: neither) */
	bool anon = ab && ah && ab->num != ah->num, same = same_attr(asb, ash);
	const char *sb = anon || !same ? attr_text(d, asb) : NULL, *sh = anon || !same ? attr_text(d, ash) : NULL;
	if (anon || (!same && (sb || sh) && (!sb || !sh || strcmp(sb, sh) != 0))) {
		change(d, ah && ah->num ? "removed" : "new-auth-flow", id, ev,
		       ah && ah->num ? fmt(d, "%s no longer requires credentials", tm_node_name(n))
				     : fmt(d, "%s authentication changed (%s -> %s)", tm_node_name(n), sb ? sb : "none", sh ? sh : "none"));
		agenda_endpoint(d, n);
	}
	if ((w = grown(d, o, n, "sensitive_response")))
		change(d, "new-sensitive-flow", id, ev, fmt(d, "%s now returns %s", tm_node_name(n), w));
	if ((w = grown(d, o, n, "privileged_writable")))
		change(d, "changed", id, ev, fmt(d, "%s now lets clients set %s", tm_node_name(n), w));
}

/* The host addresses a compose service publishes on loopback only ("127.0.0.1:6379 only"), the
 * first one's place into *at; NULL when none. */
static const char *loopback_at(tm_delta *d, const tm_node *n, tm_loc *at)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	size_t k = 0;
	for (size_t f = 0; f < tm_node_fact_count(n); f++) {
		const tm_fact_loc *fl = tm_node_fact(n, f);
		if (strcmp(fl->key, "loopback_ports") != 0)
			continue;
		if (k < 4) /* "127.0.0.1:6379->6379": the host's side */
			tm_strbuf_printf(&sb, "%s%.*s", k ? ", " : "", (int)strcspn(fl->value, "-"), fl->value);
		if (!k++)
			*at = fl->loc;
	}
	if (k > 4)
		tm_strbuf_printf(&sb, " and %zu more", k - 4);
	tm_strbuf_puts(&sb, " only");
	const char *r = k && !sb.oom && sb.data ? fmt(d, "%s", sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	return r;
}

/* A node on both sides (o in base, n in head): what widened. */
static void node_widened(tm_delta *d, const tm_delta_side *b, const tm_delta_side *h, const tm_node *o, const tm_node *n)
{
	const char *id = tm_node_id(n);
	tm_node_kind k = tm_node_kind_of(n);
	tm_loc ev = first_loc(n);
	const char *w;
	if (k == TM_NODE_ENDPOINT || k == TM_NODE_SERVICE) {
		int eb = xpo(b, o), eh = xpo(h, n);
		if (outside(eh) && !outside(eb)) {
			change(d, "new-public-endpoint", id, ev, fmt(d, "%s is now reachable from the %s (was %s)", id, xpo_name(eh, ""), xpo_name_of(o, eb, "not exposed")));
			if (k == TM_NODE_ENDPOINT)
				agenda_endpoint(d, n);
		} else if (outside(eb) && eh < eb) {
			/* narrowed (a port bound to loopback, a route taken away): a change the review shows,
			 * never "the model did not change"; no trigger, so lightning */
			const char *lb = loopback_at(d, n, &ev);
			change(d, "changed", id, ev, fmt(d, "%s is no longer reachable from the %s (now %s%s%s)", id, xpo_name(eb, ""),
						       xpo_name_of(n, eh, "not exposed"), lb ? ": published on " : "",
						       lb ? lb : ""));
		}
	}
	if (k == TM_NODE_ENDPOINT)
		endpoint_changed(d, o, n);
	const char *key;
	if (k == TM_NODE_IDENTITY && ((w = grown(d, o, n, key = "rbac_capabilities")) || (w = grown(d, o, n, key = "admin_policy")) ||
				       (w = grown(d, o, n, key = "kafka_acls")))) {
		bool admin = strstr(w, "cluster-admin") || strstr(w, "namespace-admin") || tm_node_attr_get(n, "admin_policy");
		change(d, admin ? "new-tenant-or-admin" : "new-service-identity", id, grown_at(o, n, key), fmt(d, "%s may now %s", id, w));
		agenda_identity(d, n);
	}
	if (k == TM_NODE_SERVICE && tm_node_attr_str(n, "workload")) {
		static const char *const posture[] = {"privileged", "host_namespaces", "host_paths", "capabilities_added",
						      "runs_as_root", "literal_credentials", "secrets"};
		static const char *const said[] = {"privileged containers", "host namespaces", "host paths",
						   "added capabilities", "containers running as root", "literal credentials",
						   "secrets"};
		for (size_t p = 0; p < TM_ARRAY_LEN(posture); p++)
			if ((w = grown(d, o, n, posture[p]))) {
				change(d, "changed", id, grown_at(o, n, posture[p]), fmt(d, "%s now has %s: %s", id, said[p], w));
				agenda_workload(d, n);
			}
	}
	if (k == TM_NODE_PIPELINE && ((w = grown(d, o, n, key = "cloud_roles")) || (w = grown(d, o, n, key = "untrusted_triggers")) ||
				       (w = grown(d, o, n, key = "write_permissions")) || (w = grown(d, o, n, key = "secrets_used")))) {
		change(d, "new-deployment-control", id, grown_at(o, n, key), fmt(d, "%s now holds %s", id, w));
		agenda_pipeline(d, n);
	}
	if (k == TM_NODE_DATASTORE && (w = grown(d, o, n, "public_access")))
		change(d, "removed", id, grown_at(o, n, "public_access"), fmt(d, "%s is now exposed: %s", id, w));
	/* a store or broker given a way in without credentials (a Kafka listener without authentication) */
	if ((k == TM_NODE_DATASTORE || k == TM_NODE_QUEUE) && (w = grown(d, o, n, "no_auth")))
		change(d, "removed", id, grown_at(o, n, "no_auth"), fmt(d, "%s now admits any client: %s", id, w));
	else if (k == TM_NODE_QUEUE && (w = grown(d, o, n, "listeners")))
		change(d, "changed", id, grown_at(o, n, "listeners"), fmt(d, "%s has a new or changed listener: %s", id, w));
}

static void compare_nodes(tm_delta *d, const tm_delta_side *b, const tm_delta_side *h)
{
	const tm_model *mb = b->model, *mh = h->model;
	for (size_t i = 0; i < tm_model_node_count(mh); i++) {
		const tm_node *n = tm_model_node(mh, i);
		const tm_node *o = tm_model_find(mb, tm_node_id(n));
		if (o)
			node_widened(d, b, h, o, n);
		else
			node_added(d, h, n);
	}
	for (size_t i = 0; i < tm_model_node_count(mb); i++) {
		const tm_node *o = tm_model_node(mb, i);
		if (tm_model_find(mh, tm_node_id(o)))
			continue;
		tm_node_kind k = tm_node_kind_of(o);
		if (k == TM_NODE_SERVICE || k == TM_NODE_ENDPOINT || k == TM_NODE_GATEWAY || k == TM_NODE_QUEUE ||
		    k == TM_NODE_PIPELINE || k == TM_NODE_DATASTORE || k == TM_NODE_EXTERNAL || k == TM_NODE_ENTRYPOINT)
			change(d, "changed", tm_node_id(o), first_loc(o), fmt(d, "%s was removed", tm_node_id(o)));
	}
}

static void compare_boundaries(tm_delta *d, const tm_model *mb, const tm_model *mh)
{
	tm_hmap in_base = TM_HMAP_INIT;
	for (size_t k = 0; k < tm_model_boundary_count(mb); k++) {
		const char *id = tm_boundary_id(tm_model_boundary(mb, k));
		if (tm_hmap_put(&in_base, id, strlen(id), (void *)id))
			d->oom = 1;
	}
	for (size_t i = 0; i < tm_model_boundary_count(mh); i++) {
		const tm_boundary *bh = tm_model_boundary(mh, i);
		if (!tm_hmap_get(&in_base, tm_boundary_id(bh), strlen(tm_boundary_id(bh)))) {
			tm_loc none = {NULL, 0, 0, NULL};
			change(d, "new-trust-boundary", tm_boundary_id(bh), none,
			       fmt(d, "new trust boundary %s (%s)", tm_boundary_name(bh), tm_boundary_kind_name(tm_boundary_kind_of(bh))));
		}
	}
	tm_hmap_dispose(&in_base);
}

/* An edge's key in a map of one model's edges: its two ends (nodes of that model) and its kind. */
typedef struct {
	uintptr_t from, to, kind;
} edge_key;

static edge_key key_of(const tm_node *from, const tm_node *to, tm_edge_kind kind)
{
	return (edge_key){(uintptr_t)from, (uintptr_t)to, (uintptr_t)kind};
}

/* The edges of m of kind only (TM_EDGE__COUNT: every kind) by their keys, which keys[] holds (one
 * per edge of m, so the map can borrow them): a lookup is a hash of three words, not of ids. */
static void index_edges(tm_delta *d, tm_hmap *map, edge_key *keys, const tm_model *m, tm_edge_kind only)
{
	for (size_t k = 0; keys && k < tm_model_edge_count(m); k++) {
		const tm_edge *e = tm_model_edge(m, k);
		if (only != TM_EDGE__COUNT && tm_edge_kind_of(e) != only)
			continue;
		keys[k] = key_of(tm_edge_from(e), tm_edge_to(e), tm_edge_kind_of(e));
		if (tm_hmap_put(map, (const char *)&keys[k], sizeof(edge_key), (void *)e))
			d->oom = 1;
	}
}

/* The edge of `in` from and to the nodes of in with the ids of e's ends, of e's kind, or NULL. */
static const tm_edge *edge_in(const tm_hmap *map, const tm_model *in, const tm_edge *e)
{
	const tm_node *from = tm_model_find(in, tm_node_id(tm_edge_from(e))), *to = tm_model_find(in, tm_node_id(tm_edge_to(e)));
	if (!from || !to)
		return NULL;
	edge_key k = key_of(from, to, tm_edge_kind_of(e));
	return tm_hmap_get(map, (const char *)&k, sizeof(k));
}

/* A CALLS edge's runtime side: observed only (no file declares it), observed and declared, or not
 * observed (declared only, or no edge: e NULL). */
static tm_seen observed_side(const tm_edge *e, bool *observed)
{
	tm_seen s = e ? tm_edge_seen(e) : TM_SEEN_DECLARED;
	*observed = e && s != TM_SEEN_DECLARED;
	return s;
}

/* Drift between two runtime exports, as changes: an undocumented call a runtime map now shows
 * (new-observed-call: a new dependency nobody declared, so design-review), and an observed call the
 * head's exports no longer show (observed-call-gone: lightning; a declared call no longer observed is
 * a least-privilege candidate). A declared call that becomes observed is no drift and no change. */
static void compare_observed(tm_delta *d, const tm_model *mb, const tm_model *mh)
{
	tm_hmap base = TM_HMAP_INIT, head = TM_HMAP_INIT; /* each side's CALLS edges by their ends */
	edge_key *bkeys = tm_calloc(tm_model_edge_count(mb) + 1, sizeof(edge_key));
	edge_key *hkeys = tm_calloc(tm_model_edge_count(mh) + 1, sizeof(edge_key));
	if (!bkeys || !hkeys)
		d->oom = 1;
	index_edges(d, &base, bkeys, mb, TM_EDGE_CALLS);
	index_edges(d, &head, hkeys, mh, TM_EDGE_CALLS);
	for (size_t i = 0; i < tm_model_edge_count(mh) && !d->oom; i++) {
		const tm_edge *e = tm_model_edge(mh, i);
		if (tm_edge_kind_of(e) != TM_EDGE_CALLS)
			continue;
		bool ob, oh;
		tm_seen sb = observed_side(edge_in(&base, mb, e), &ob);
		if (observed_side(e, &oh) == TM_SEEN_OBSERVED && sb != TM_SEEN_OBSERVED)
			change(d, "new-observed-call", tm_node_id(tm_edge_to(e)), tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : first_loc(tm_edge_to(e)),
			       fmt(d, "%s calls %s at runtime, and no file declares it%s", tm_node_id(tm_edge_from(e)),
				   tm_node_id(tm_edge_to(e)), sb == TM_SEEN_BOTH ? " any more" : ""));
	}
	for (size_t k = 0; k < tm_model_edge_count(mb) && !d->oom; k++) {
		const tm_edge *e = tm_model_edge(mb, k);
		bool ob, oh;
		if (tm_edge_kind_of(e) != TM_EDGE_CALLS || (observed_side(e, &ob), !ob))
			continue;
		const tm_edge *h = edge_in(&head, mh, e);
		observed_side(h, &oh);
		if (oh)
			continue;
		const char *from = tm_node_id(tm_edge_from(e)), *to = tm_node_id(tm_edge_to(e));
		change(d, "observed-call-gone", to, h && tm_edge_evidence_count(h) ? tm_edge_evidence(h, 0) : tm_edge_evidence(e, 0),
		       h ? fmt(d, "%s -> %s is no longer observed at runtime; the model still declares it (unused: a "
			       "least-privilege candidate)", from, to)
			 : fmt(d, "%s -> %s is no longer observed at runtime%s", from, to,
			       tm_edge_seen(e) == TM_SEEN_OBSERVED ? " (no file declared it)" : " and no longer declared"));
	}
	tm_hmap_dispose(&base);
	tm_hmap_dispose(&head);
	tm_free(bkeys);
	tm_free(hkeys);
}

/* The checks an edge's attribute lists (authn_checks, authz_checks), or its kind's name. */
static const char *checks_text(tm_delta *d, const tm_edge *e, const char *key, const char *kind)
{
	const char *t = attr_text(d, tm_edge_attr_get(e, key));
	return t ? t : kind;
}

/*
 * A route or call both sides hold whose check the head dropped: the credential it asked for (a
 * gateway plugin, an auth annotation, a mesh rule) or the authorization that decided it. That is a
 * control removed (a deep-dive), though no node, edge or finding came or went: a route that already
 * reaches an endpoint through another open way keeps its findings, and a route to no spec'd
 * endpoint has none to change.
 */
/* The check of a route_checks entry ("PATH\tAUTHN\tHOW[\tAT]"): is it a credential, and its path's length. */
static bool route_asks(const char *r, size_t *pl)
{
	*pl = strcspn(r, "\t");
	const char *kind = r[*pl] ? r + *pl + 1 : "";
	size_t kl = strcspn(kind, "\t");
	return kl && strncmp(kind, "none", kl) != 0 && strncmp(kind, "unknown", kl) != 0;
}

/* Routes of one edge whose own check (route_checks) the head dropped, path by path: the edge keeps
 * the weakest of its routes, so a credential one route of several asked for is seen here only. */
static bool route_checks_loosened(tm_delta *d, const tm_edge *b, const tm_edge *h, const char *from, const char *to)
{
	const tm_attr *rb = tm_edge_attr_get(b, "route_checks"), *rh = tm_edge_attr_get(h, "route_checks");
	bool any = false;
	for (size_t i = 0; rb && rb->type == TM_ATTR_LIST && rb->list[i]; i++) {
		size_t pl;
		if (!route_asks(rb->list[i], &pl))
			continue;
		bool kept = false;
		for (size_t j = 0; !kept && rh && rh->type == TM_ATTR_LIST && rh->list[j]; j++) {
			size_t hl;
			kept = route_asks(rh->list[j], &hl) && hl == pl && strncmp(rh->list[j], rb->list[i], pl) == 0;
		}
		if (kept)
			continue;
		const char *how = strchr(rb->list[i] + pl + 1, '\t');
		int hl = how ? (int)strcspn(how + 1, "\t") : 0; /* the route's place follows its check */
		change(d, "removed", to, tm_edge_evidence_count(b) ? tm_edge_evidence(b, 0) : first_loc(tm_edge_to(b)),
		       fmt(d, "the route %s -> %s no longer asks for a credential on %.*s; it asked through %.*s", from, to,
			   (int)pl, rb->list[i], hl ? hl : 17, hl ? how + 1 : "its route's check"));
		any = true;
	}
	return any;
}

static void edge_loosened(tm_delta *d, const tm_edge *b, const tm_edge *h)
{
	tm_edge_kind k = tm_edge_kind_of(h);
	/* a channel's publish and subscribe edges carry the broker's security (AsyncAPI servers) */
	if (k != TM_EDGE_ROUTES && k != TM_EDGE_CALLS && k != TM_EDGE_EXPOSES && k != TM_EDGE_PUBLISHES &&
	    k != TM_EDGE_SUBSCRIBES)
		return;
	tm_authn an_b = tm_edge_authn(b), an_h = tm_edge_authn(h);
	tm_authz az_b = tm_edge_authz(b), az_h = tm_edge_authz(h);
	bool authn_gone = an_b != TM_AUTHN_NONE && an_b != TM_AUTHN_UNKNOWN && (an_h == TM_AUTHN_NONE || an_h == TM_AUTHN_UNKNOWN);
	bool authz_gone = (az_b == TM_AUTHZ_SCOPE || az_b == TM_AUTHZ_ROLE || az_b == TM_AUTHZ_POLICY) &&
			  (az_h == TM_AUTHZ_NONE || az_h == TM_AUTHZ_UNKNOWN);
	bool authn_new = an_h != TM_AUTHN_NONE && an_h != TM_AUTHN_UNKNOWN && (an_b == TM_AUTHN_NONE || an_b == TM_AUTHN_UNKNOWN);
	bool authz_new = (az_h == TM_AUTHZ_SCOPE || az_h == TM_AUTHZ_ROLE || az_h == TM_AUTHZ_POLICY) &&
			 (az_b == TM_AUTHZ_NONE || az_b == TM_AUTHZ_UNKNOWN);
	const char *from = tm_node_id(tm_edge_from(h)), *to = tm_node_id(tm_edge_to(h));
	const char *verb = k == TM_EDGE_CALLS ? "call" : k == TM_EDGE_PUBLISHES ? "publishing" : k == TM_EDGE_SUBSCRIBES ? "subscription" : "route";
	if (!authn_gone && k == TM_EDGE_ROUTES && route_checks_loosened(d, b, h, from, to))
		return;
	if (!authn_gone && !authz_gone) {
		/* a check added: an authentication flow of its own to review (is it the right one, does
		 * every way in take it?) */
		if (authn_new || authz_new)
			change(d, "new-auth-flow", to,
			       tm_edge_evidence_count(h) ? tm_edge_evidence(h, 0) : first_loc(tm_edge_to(h)),
			       fmt(d, "the %s %s -> %s %s %s", verb, from, to,
				   authn_new ? "now asks for a credential through" : "is now authorised by",
				   authn_new ? checks_text(d, h, "authn_checks", tm_authn_name(an_h))
					     : checks_text(d, h, "authz_checks", checks_text(d, h, "authn_checks", tm_authz_name(az_h)))));
		return;
	}
	tm_loc ev = tm_edge_evidence_count(b) ? tm_edge_evidence(b, 0) : first_loc(tm_edge_to(b));
	if (authn_gone)
		change(d, "removed", to, ev,
		       fmt(d, "the %s %s -> %s no longer %s; it asked through %s", verb, from, to,
			   an_h == TM_AUTHN_NONE ? "asks for a credential" : "shows a credential check",
			   checks_text(d, b, "authn_checks", tm_authn_name(an_b))));
	else
		change(d, "removed", to, ev,
		       fmt(d, "the %s %s -> %s is no longer authorised by %s; %s", verb, from, to,
			   checks_text(d, b, "authz_checks", checks_text(d, b, "authn_checks", tm_authz_name(az_b))),
			   az_h == TM_AUTHZ_NONE ? "nothing decides it" : "the files show no check that decides it"));
}

/* The routes the base has and the head does not, both ends still there: a way in taken away. One
 * whose target the head no longer exposes beyond its cluster or host is said with the node
 * (node_widened: "no longer reachable"), once. */
static void routes_removed(tm_delta *d, const tm_delta_side *b, const tm_delta_side *h)
{
	const tm_model *mb = b->model, *mh = h->model;
	tm_hmap head = TM_HMAP_INIT;
	edge_key *keys = tm_calloc(tm_model_edge_count(mh) + 1, sizeof(edge_key));
	if (!keys)
		d->oom = 1;
	index_edges(d, &head, keys, mh, TM_EDGE_ROUTES);
	for (size_t i = 0; i < tm_model_edge_count(mb) && !d->oom; i++) {
		const tm_edge *e = tm_model_edge(mb, i);
		if (tm_edge_kind_of(e) != TM_EDGE_ROUTES)
			continue;
		const tm_node *fh = tm_model_find(mh, tm_node_id(tm_edge_from(e)));
		const tm_node *th = tm_model_find(mh, tm_node_id(tm_edge_to(e)));
		if (!fh || !th || edge_in(&head, mh, e))
			continue; /* an end removed: said with the node */
		int eb = xpo(b, tm_edge_to(e)), eh = xpo(h, th);
		if (outside(eb) && eh < eb)
			continue;
		change(d, "changed", tm_node_id(th), first_loc(th),
		       fmt(d, "route %s -> %s removed (%s %s)", tm_node_id(fh), tm_node_id(th), tm_node_id(th),
			   eh >= TM_EXPOSURE_CLUSTER ? fmt(d, "%s reachable from the %s", eh == eb ? "stays" : "is now",
							   xpo_name_of(th, eh, ""))
						     : "is now not exposed"));
	}
	tm_hmap_dispose(&head);
	tm_free(keys);
}

static void compare_edges(tm_delta *d, const tm_model *mb, const tm_model *mh)
{
	tm_hmap seen = TM_HMAP_INIT; /* base edges by (from, to, kind): linear, not pairwise */
	edge_key *keys = tm_calloc(tm_model_edge_count(mb) + 1, sizeof(edge_key));
	if (!keys)
		d->oom = 1;
	index_edges(d, &seen, keys, mb, TM_EDGE__COUNT);
	for (size_t i = 0; i < tm_model_edge_count(mh) && !d->oom; i++) {
		const tm_edge *e = tm_model_edge(mh, i);
		const tm_node *fb = tm_model_find(mb, tm_node_id(tm_edge_from(e)));
		const tm_node *tb = tm_model_find(mb, tm_node_id(tm_edge_to(e)));
		if (!fb || !tb)
			continue; /* a new node: reported with the node */
		edge_key k = key_of(fb, tb, tm_edge_kind_of(e));
		const tm_edge *was = tm_hmap_get(&seen, (const char *)&k, sizeof(k));
		if (was) {
			edge_loosened(d, was, e); /* a route's match, hosts too: compare_route_matches */
			continue;
		}
		const char *from = tm_node_id(tm_edge_from(e)), *to = tm_node_id(tm_edge_to(e));
		tm_loc ev = tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : first_loc(tm_edge_to(e));
		switch (tm_edge_kind_of(e)) {
		case TM_EDGE_ROUTES:
			change(d, "new-public-endpoint", to, ev, fmt(d, "new route %s -> %s", from, to));
			break;
		case TM_EDGE_CALLS:
			if (tm_edge_seen(e) == TM_SEEN_OBSERVED)
				break; /* seen at runtime only: compare_observed says so */
			change(d, tm_node_kind_of(tm_edge_to(e)) == TM_NODE_EXTERNAL ? "new-third-party" : "changed", to, ev,
			       fmt(d, "%s now calls %s", from, to));
			break;
		case TM_EDGE_PUBLISHES:
		case TM_EDGE_SUBSCRIBES:
			change(d, "new-async-channel", to, ev, fmt(d, "%s now %s %s", from, tm_edge_kind_name(tm_edge_kind_of(e)), to));
			break;
		case TM_EDGE_RUNS_AS:
		case TM_EDGE_GRANTED:
			change(d, "new-service-identity", to, ev,
			       tm_node_kind_of(tm_edge_from(e)) == TM_NODE_SECRET
				       ? fmt(d, "%s now holds the token of %s: its readers act as it", from, to)
				       : fmt(d, "%s now acts as %s", from, to));
			break;
		case TM_EDGE_READS:
			if (tm_node_kind_of(tm_edge_to(e)) == TM_NODE_SECRET) /* an RBAC grant reaching a secret */
				change(d, "new-sensitive-flow", to, ev, fmt(d, "%s can now read %s", from, to));
			break;
		case TM_EDGE_MOUNTS:
			change(d, "new-sensitive-flow", to, ev, fmt(d, "%s now mounts %s", from, to));
			break;
		case TM_EDGE_ESCAPES:
			change(d, "new-service-identity", to, ev, fmt(d, "%s can now escape to %s", from, tm_node_name(tm_edge_to(e))));
			break;
		case TM_EDGE_DEPLOYS:
			change(d, "new-deployment-control", to, ev, fmt(d, "%s now deploys as %s", from, to));
			break;
		default:
			break;
		}
	}
	tm_hmap_dispose(&seen);
	tm_free(keys);
}

/*
 * A route both sides hold whose match changed: the hosts, paths (prefixes, exact paths, regular
 * expressions), methods or ports it takes, or the sources it admits. The edge is the same (same
 * gateway, same backend), so neither a node nor an edge came or went, yet what reaches the backend
 * did: `location ~ ^(/_matrix|/_synapse/client)` widened to `^(/_matrix|/_synapse)` lets
 * /_synapse/admin through. A match the head widened (an item the base's items do not cover, or a
 * dimension the base restricted and the head leaves open) on a gateway the internet reaches is
 * new-public-endpoint; any other change of the match is changed. Regular expressions are compared
 * as text: a new one is taken as wider (deciding containment of two expressions is not attempted).
 * Linear: one map of the base's routes edges, and for an edge whose match changed one map of each
 * dimension's base items (a route of 100,000 hostnames is looked up, not compared pairwise).
 */
static const char *const ROUTE_MATCH[] = {"hosts", "paths", "path_patterns", "methods", "ports", "target_ports",
					  "source_ranges", "allow_lists", "private_sources_only"};

/* Is the path s (n bytes) a literal one: absolute, no pattern characters (a path holding them is
 * any path to the query, query.c), a trailing '*' aside? Its length without the '*' in *len. */
static bool literal_path(const char *s, size_t n, size_t *len)
{
	n -= n && s[n - 1] == '*';
	*len = n;
	return n && s[0] == '/' && !memchr(s, '*', n) && strcspn(s, "^$()[]|\\+?{~") >= n;
}

static size_t attr_len(const tm_attr *a)
{
	size_t n = 0;
	while (a && a->type == TM_ATTR_LIST && a->list[n])
		n++;
	return n;
}

/* The base route's items of one dimension, for lookups: every item as written, and (paths) each
 * literal one as a prefix, its trailing '*' aside. Keys borrowed from the model. */
struct covers_set {
	tm_hmap exact, prefix;
};

static void covers_add(tm_delta *d, struct covers_set *cs, const tm_attr *a, bool paths)
{
	for (size_t j = 0; a && a->type == TM_ATTR_LIST && a->list[j]; j++) {
		size_t n = strlen(a->list[j]), pl;
		if (tm_hmap_put(&cs->exact, a->list[j], n, (void *)1) ||
		    (paths && literal_path(a->list[j], n, &pl) && tm_hmap_put(&cs->prefix, a->list[j], pl, (void *)1)))
			d->oom = 1;
	}
}

/* Does an item of the base take everything head item h takes: the same item; (paths, both literal)
 * a prefix of it ending at one of its first 64 '/' or at its end, as gateways take a prefix; (hosts)
 * "*" or a "*.suffix" over it? Lookups only: linear in h's length, whatever the base holds. A base
 * prefix ending inside a segment ("/api" for "/apix") is not looked for: the head is taken as wider. */
static bool covered(const struct covers_set *cs, const char *key, const char *h)
{
	size_t hl = strlen(h), lit;
	if (tm_hmap_get(&cs->exact, h, hl))
		return true;
	if (strcmp(key, "paths") == 0 && literal_path(h, hl, &lit)) {
		size_t cuts = 0;
		for (size_t i = 1; i <= lit && cuts < 64; i++) {
			if (i < lit && h[i] != '/')
				continue;
			cuts++;
			if (tm_hmap_get(&cs->prefix, h, i) || (i < lit && tm_hmap_get(&cs->prefix, h, i + 1)))
				return true;
		}
		return false;
	}
	if (strcmp(key, "hosts") == 0) {
		if (tm_hmap_get(&cs->exact, "*", 1))
			return true;
		char buf[256];
		size_t dots = 0;
		for (size_t i = 0; i < hl && dots < 16; i++)
			if (h[i] == '.' && hl - i + 1 < sizeof(buf)) {
				dots++;
				buf[0] = '*';
				memcpy(buf + 1, h + i, hl - i);
				if (tm_hmap_get(&cs->exact, buf, hl - i + 1))
					return true;
			}
	}
	return false;
}

/* Does head route h's dimension key hold an item that none of base route b's items of it covers?
 * Linear in the two lists (the base's in a map). */
static bool uncovered(tm_delta *d, const tm_edge *b, const tm_edge *h, const char *key)
{
	const tm_attr *ah = tm_edge_attr_get(h, key);
	struct covers_set cs = {TM_HMAP_INIT, TM_HMAP_INIT};
	covers_add(d, &cs, tm_edge_attr_get(b, key), strcmp(key, "paths") == 0);
	bool out = false;
	for (size_t i = 0; !out && !d->oom && ah && ah->type == TM_ATTR_LIST && ah->list[i]; i++)
		out = !covered(&cs, key, ah->list[i]);
	tm_hmap_dispose(&cs.exact);
	tm_hmap_dispose(&cs.prefix);
	return out;
}

/* Does head route h take a request base route b did not: an item of the head the base's do not
 * cover, or a dimension the base restricted that the head leaves open (paths and path patterns are
 * one dimension)? An allow-list is known by how it is written, not by its sources: one dropped is
 * wider, one rewritten a change only; "private sources only" dropped is wider. */
static bool route_widened(tm_delta *d, const tm_edge *b, const tm_edge *h)
{
	static const char *const dims[][2] = {{"hosts", NULL},	  {"paths", "path_patterns"}, {"methods", NULL},
					      {"ports", NULL},	  {"target_ports", NULL},     {"source_ranges", NULL},
					      {"allow_lists", NULL}};
	for (size_t k = 0; k < TM_ARRAY_LEN(dims); k++) {
		size_t nb = 0, nh = 0;
		for (size_t i = 0; i < 2 && dims[k][i]; i++) {
			nb += attr_len(tm_edge_attr_get(b, dims[k][i]));
			nh += attr_len(tm_edge_attr_get(h, dims[k][i]));
		}
		if (nb && !nh)
			return true;
		bool items = strcmp(dims[k][0], "allow_lists") != 0;
		for (size_t i = 0; nb && items && i < 2 && dims[k][i]; i++)
			if (uncovered(d, b, h, dims[k][i]))
				return true;
	}
	const tm_attr *pb = tm_edge_attr_get(b, "private_sources_only"), *ph = tm_edge_attr_get(h, "private_sources_only");
	return pb && pb->type == TM_ATTR_BOOL && pb->num && !(ph && ph->type == TM_ATTR_BOOL && ph->num);
}

/* The parts of route e's match that differ from other's, as text ("paths /api, ~^/x; hosts
 * a.example"; "any request" when e restricts none of them). Paths and path patterns are one part. */
static const char *route_match_text(tm_delta *d, const tm_edge *e, const tm_edge *other)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	bool any = false;
	for (size_t k = 0; k < TM_ARRAY_LEN(ROUTE_MATCH); k++) {
		const char *key = ROUTE_MATCH[k];
		bool paths = strcmp(key, "paths") == 0, pat = strcmp(key, "path_patterns") == 0;
		bool same = same_attr(tm_edge_attr_get(e, key), tm_edge_attr_get(other, key));
		if (paths || pat) /* the two differ together */
			same = same_attr(tm_edge_attr_get(e, "paths"), tm_edge_attr_get(other, "paths")) &&
			       same_attr(tm_edge_attr_get(e, "path_patterns"), tm_edge_attr_get(other, "path_patterns"));
		if (same)
			continue;
		const tm_attr *a = tm_edge_attr_get(e, key);
		if (a && a->type == TM_ATTR_BOOL && a->num) {
			tm_strbuf_printf(&sb, "%sprivate sources only", sb.len ? "; " : "");
			any = true;
		}
		for (size_t i = 0; a && a->type == TM_ATTR_LIST && a->list[i]; i++) {
			if (i == 8) { /* a route of many hosts: the first few, and how many */
				tm_strbuf_printf(&sb, " and %zu more", attr_len(a) - i);
				break;
			}
			bool cont = i || (pat && attr_len(tm_edge_attr_get(e, "paths")));
			tm_strbuf_printf(&sb, "%s%s%s", cont ? ", " : sb.len ? "; " : "", cont ? "" : pat ? "paths " : key,
					 cont || pat ? "" : " ");
			tm_strbuf_printf(&sb, "%s%s", pat ? "~" : "", a->list[i]);
			any = true;
		}
	}
	const char *r = any && !sb.oom ? fmt(d, "%s", sb.data) : "any request";
	tm_strbuf_dispose(&sb);
	return r;
}

static void compare_route_matches(tm_delta *d, const tm_delta_side *b, const tm_delta_side *h)
{
	tm_hmap base = TM_HMAP_INIT;
	edge_key *keys = tm_calloc(tm_model_edge_count(b->model) + 1, sizeof(edge_key));
	if (!keys)
		d->oom = 1;
	index_edges(d, &base, keys, b->model, TM_EDGE_ROUTES);
	for (size_t i = 0; keys && i < tm_model_edge_count(h->model) && !d->oom; i++) {
		const tm_edge *e = tm_model_edge(h->model, i);
		const tm_edge *was = tm_edge_kind_of(e) == TM_EDGE_ROUTES ? edge_in(&base, b->model, e) : NULL;
		bool same = was != NULL;
		for (size_t k = 0; same && k < TM_ARRAY_LEN(ROUTE_MATCH); k++)
			same = same_attr(tm_edge_attr_get(was, ROUTE_MATCH[k]), tm_edge_attr_get(e, ROUTE_MATCH[k]));
		if (same || !was)
			continue;
		bool wider = route_widened(d, was, e);
		const tm_node *from = tm_edge_from(e), *to = tm_edge_to(e);
		bool public = wider && xpo(h, from) == TM_EXPOSURE_INTERNET;
		tm_loc ev = tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : first_loc(to);
		change(d, public ? "new-public-endpoint" : "changed", tm_node_id(to), ev,
		       fmt(d, "the route %s -> %s now matches %s (was %s): %s", tm_node_id(from), tm_node_id(to),
			   route_match_text(d, e, was), route_match_text(d, was, e),
			   !wider ? "it takes no more than before"
			   : public ? "requests it did not take reach the backend from the internet"
				    : "it takes requests it did not take"));
	}
	tm_hmap_dispose(&base);
	tm_free(keys);
}

/* A policy as the changes name it: "NetworkPolicy shop/api"; a cluster-wide one by its name alone. */
static const char *policy_id(tm_delta *d, tm_policy_ref r)
{
	return strcmp(r.ns, "*") == 0 ? fmt(d, "%s %s", r.kind, r.name) : fmt(d, "%s %s/%s", r.kind, r.ns, r.name);
}

static const char *policy_key(tm_delta *d, tm_policy_ref r)
{
	return fmt(d, "%s\x1f%s\x1f%s", r.kind, r.ns, r.name);
}

/* The policies of m by kind, namespace and name: key -> index + 1. */
static void index_policies(tm_delta *d, tm_hmap *idx, const tm_model *m)
{
	for (size_t i = 0; i < tm_model_policy_count(m); i++) {
		const char *key = policy_key(d, tm_model_policy_ref(m, i));
		if (!tm_hmap_get(idx, key, strlen(key)) && tm_hmap_put(idx, key, strlen(key), (void *)(uintptr_t)(i + 1)))
			d->oom = 1;
	}
}

/* The workloads of m each policy of the NetworkPolicy table (NetworkPolicy, CiliumNetworkPolicy,
 * the cluster-wide kind...) selects, from the selection the policy model keeps: its table index ->
 * a chain of struct sel. One pass over the workloads, made when such a policy was deleted or changed. */
struct sel {
	const tm_node *w;
	struct sel *next;
};

static const char *sel_key(tm_delta *d, size_t np)
{
	return fmt(d, "np%zu", np);
}

static void index_selected(tm_delta *d, tm_hmap *idx, const tm_model *m)
{
	const tm_policy *pol = tm_model__policy(m);
	for (size_t i = 0; pol->np_sel.start && i < pol->nworkloads && !d->oom; i++) {
		const tm_node *w = tm_model_find(m, pol->workloads[i].node_id);
		for (size_t c = pol->np_sel.start[i]; w && c < pol->np_sel.start[i + 1]; c++) {
			const char *key = sel_key(d, pol->np_sel.idx[c]);
			struct sel *s = key ? tm_arena_alloc(d->a, sizeof(*s)) : NULL;
			if (!s) {
				d->oom = 1;
				return;
			}
			*s = (struct sel){w, tm_hmap_get(idx, key, strlen(key))};
			if (tm_hmap_put(idx, key, strlen(key), s))
				d->oom = 1;
		}
	}
}

/* What a NetworkPolicy of the base selected, and whether the head still isolates each: the answer
 * to "what did it protect, and what reaches it now". NULL when it selected no workload. */
/* The namespace of a head policy of r's kind and name in another namespace, or NULL. by_name: the
 * head's policies by "kind\x1fname" (their namespace), made at the first question. */
static const char *moved_to(tm_delta *d, tm_hmap *by_name, const tm_model *mh, tm_policy_ref r)
{
	if (!by_name->count)
		for (size_t k = 0; k < tm_model_policy_count(mh) && !d->oom; k++) {
			tm_policy_ref h = tm_model_policy_ref(mh, k);
			const char *key = fmt(d, "%s\x1f%s", h.kind, h.name);
			if (key && !tm_hmap_get(by_name, key, strlen(key)) && tm_hmap_put(by_name, key, strlen(key), (void *)h.ns))
				d->oom = 1;
		}
	const char *key = fmt(d, "%s\x1f%s", r.kind, r.name);
	const char *ns = key ? tm_hmap_get(by_name, key, strlen(key)) : NULL;
	return ns && strcmp(ns, r.ns) != 0 ? ns : NULL;
}

static const char *protected_now(tm_delta *d, const tm_hmap *selected, const tm_model *mh, size_t np, bool changed)
{
	const char *key = sel_key(d, np);
	const struct sel *s = tm_hmap_get(selected, key, strlen(key));
	if (!s)
		return NULL;
	tm_strbuf iso = TM_STRBUF_INIT, open = TM_STRBUF_INIT, gone = TM_STRBUF_INIT;
	size_t niso = 0, nopen = 0, ngone = 0;
	for (; s; s = s->next) {
		const tm_node *n = tm_model_find(mh, tm_node_id(s->w));
		const tm_attr *a = n ? tm_node_attr_get(n, "ingress_isolated") : NULL;
		bool still = a && a->num;
		tm_strbuf *sb = !n ? &gone : still ? &iso : &open;
		size_t *k = !n ? &ngone : still ? &niso : &nopen;
		if (*k < 8)
			tm_strbuf_printf(sb, "%s%s", *k ? ", " : "", tm_node_id(s->w));
		(*k)++;
	}
	const char *out = fmt(d, "it isolated %zu workload%s; %s%s%s%s%s%s%s%s%s%s%s", niso + nopen + ngone,
			      niso + nopen + ngone == 1 ? "" : "s",
			      nopen ? "now open to every pod of the cluster (no policy isolates them): " : "",
			      nopen ? open.data : "", nopen > 8 ? fmt(d, " and %zu more", nopen - 8) : "",
			      nopen && niso ? "; " : "",
			      niso ? (changed ? "still isolated (by it or by other policies): " : "still isolated by other policies: ") : "",
			      niso ? iso.data : "", niso > 8 ? fmt(d, " and %zu more", niso - 8) : "",
			      ngone && (nopen || niso) ? "; " : "", ngone ? "removed with it: " : "", ngone ? gone.data : "",
			      ngone > 8 ? fmt(d, " and %zu more", ngone - 8) : "");
	tm_strbuf_dispose(&iso);
	tm_strbuf_dispose(&open);
	tm_strbuf_dispose(&gone);
	return out;
}

/* What a loosened Linkerd authorization (or Server, policy k of m) now admits, and where: "it now
 * admits ... on Server shop/api". */
static const char *ld_scope(tm_delta *d, const tm_model *m, size_t k, const char *how)
{
	const tm_policy *p = tm_model__policy(m);
	size_t at = p->nnetpols + p->npeerauths + p->nreqauths + p->nauthzpols + p->ngateways + p->nvservices;
	if (k < at)
		return how;
	k -= at;
	if (k < p->nld_servers)
		return fmt(d, "%s on Server %s/%s, for whatever none of its authorizations admits", how, p->ld_servers[k].ns,
			   p->ld_servers[k].name);
	k -= p->nld_servers;
	if (k >= p->nld_authzs)
		return how;
	const tm_ld_authz *z = &p->ld_authzs[k];
	const char *route = z->route && !z->whole_ns ? fmt(d, " for the requests route %s takes", z->route) : "";
	return z->server	? fmt(d, "%s on Server %s/%s%s", how, z->ns, z->server, route)
	       : z->whole_ns	? fmt(d, "%s on every Server of namespace %s", how, z->ns)
				: fmt(d, "%s on the Servers of namespace %s its server.selector picks", how, z->ns);
}

/* Linkerd's defaults and proxies: a namespace's or a pod's config.linkerd.io/default-inbound-policy
 * that now admits clients it refused, and a pod that no longer runs the proxy while a Server
 * selects it (or a default that refused some clients applied to it): each a loosened control. One
 * pass over the base's namespaces and workloads, each found in the head by name or node id. */
static const char *ld_opt_out_why(tm_ld_injection how)
{
	return how == TM_LDI_OPT_OUT	    ? "it opts out of the proxy (linkerd.io/inject: disabled)"
	       : how == TM_LDI_HOST_NETWORK ? "it runs on the host's network, where linkerd never injects its proxy"
	       : how == TM_LDI_NS_DISABLES  ? "its namespace disables the proxy (linkerd.io/inject: disabled)"
					    : "no linkerd.io/inject annotation meshes it any more";
}

static int ld_effective(const tm_policy *p, const tm_pm_workload *w)
{
	const tm_pm_namespace *ns = tm_policy__namespace(p, w->ns);
	return w->ld_policy ? w->ld_policy : ns ? ns->ld_policy : TM_LD_UNSET;
}

static void compare_linkerd(tm_delta *d, const tm_model *mb, const tm_model *mh)
{
	const tm_policy *pb = tm_model__policy(mb), *ph = tm_model__policy(mh);
	if (!pb->linkerd || !ph->linkerd)
		return;
	for (size_t i = 0; i < pb->nnamespaces && !d->oom; i++) {
		const tm_pm_namespace *b = &pb->namespaces[i], *h = tm_policy__namespace(ph, b->name);
		if (!h || h->ld_policy == b->ld_policy ||
		    !(tm_policy__ld_admits(h->ld_policy) & ~tm_policy__ld_admits(b->ld_policy)))
			continue;
		const char *id = fmt(d, "namespace:%s", h->name);
		change(d, "removed", id, h->ld_policy ? h->ld_policy_loc : h->loc,
		       fmt(d, "namespace %s's default inbound policy (config.linkerd.io/default-inbound-policy) was loosened: "
			      "%s -> %s%s", h->name, b->ld_policy ? tm_policy__ld_policy_name(b->ld_policy) : "not set",
			   h->ld_policy ? tm_policy__ld_policy_name(h->ld_policy) : "not set",
			   h->ld_policy ? "" : " (the control plane's default, all-unauthenticated unless installed otherwise)"));
		ask(d, id, "What did the control protect before, and what does it let through now?",
		    fmt(d, "every port of a meshed pod of namespace %s that no Server selects and whose pod sets no default "
			   "of its own now admits what %s admits", h->name,
			h->ld_policy ? tm_policy__ld_policy_name(h->ld_policy) : "the control plane's default"));
	}
	for (size_t i = 0; i < pb->nworkloads && !d->oom; i++) {
		const tm_pm_workload *b = &pb->workloads[i], *h = tm_policy__workload_of(ph, b->node_id);
		if (!h)
			continue;
		int eb = ld_effective(pb, b), eh = ld_effective(ph, h);
		if (h->ld_policy != b->ld_policy && (tm_policy__ld_admits(eh) & ~tm_policy__ld_admits(eb))) {
			change(d, "removed", h->node_id, h->ld_policy ? h->ld_policy_loc : h->loc,
			       fmt(d, "%s's default inbound policy (config.linkerd.io/default-inbound-policy) was loosened: %s -> %s",
				   h->node_id, eb ? tm_policy__ld_policy_name(eb) : "not set",
				   eh ? tm_policy__ld_policy_name(eh) : "not set (the control plane's default)"));
			ask(d, h->node_id, "What did the control protect before, and what does it let through now?",
			    fmt(d, "its ports no Server selects now admit what %s admits",
				eh ? tm_policy__ld_policy_name(eh) : "the control plane's default"));
		}
		tm_ld_injection ib = tm_policy__ld_injection(pb, b), ih = tm_policy__ld_injection(ph, h);
		bool was = ib == TM_LDI_OPT_IN || ib == TM_LDI_NS_INJECTS;
		bool gone = ih == TM_LDI_OPT_OUT || ih == TM_LDI_HOST_NETWORK || ih == TM_LDI_NS_DISABLES ||
			    ih == TM_LDI_NS_SILENT;
		if (!was || !gone)
			continue;
		const tm_ld_server *s = tm_policy__ld_server_at(ph, h, 0, NULL);
		bool guarded = s || tm_policy__ld_admits(eb) != tm_policy__ld_admits(TM_LD_ALL_UNAUTH);
		if (!guarded)
			continue;
		const char *what = s ? fmt(d, "Server %s/%s and its authorizations", s->ns, s->name)
				     : fmt(d, "the default inbound policy %s", tm_policy__ld_policy_name(eb));
		change(d, "removed", h->node_id, h->loc,
		       fmt(d, "%s no longer runs linkerd's proxy: %s, so %s no longer protect%s it", h->node_id,
			   ld_opt_out_why(ih), what, s ? "" : "s"));
		ask(d, h->node_id, "What did the control protect before, and what does it let through now?",
		    fmt(d, "without the proxy no linkerd policy is enforced at %s: every pod that reaches it connects in "
			   "plaintext, without an identity (only NetworkPolicy still applies)", h->node_id));
	}
}

static void compare_policies(tm_delta *d, const tm_delta_side *b, const tm_delta_side *h)
{
	const tm_model *mb = b->model, *mh = h->model;
	tm_hmap in_base = TM_HMAP_INIT, in_head = TM_HMAP_INIT, added_paths = TM_HMAP_INIT;
	index_policies(d, &in_base, mb);
	index_policies(d, &in_head, mh);
	/* the files the new findings point into: a changed policy there was loosened */
	for (size_t f = 0; f < d->nadded; f++)
		for (size_t e = 0; e < d->added[f]->nevidence; e++) {
			const char *p = d->added[f]->evidence[e].path;
			if (p && tm_hmap_put(&added_paths, p, strlen(p), (void *)p))
				d->oom = 1;
		}
	tm_hmap selected = TM_HMAP_INIT; /* the base's workloads by the NetworkPolicies selecting them */
	tm_hmap by_name = TM_HMAP_INIT;  /* the head's policies by kind and name (moved_to) */
	bool indexed = false;
	for (size_t i = 0; i < tm_model_policy_count(mb) && !d->oom; i++) {
		tm_policy_ref rb = tm_model_policy_ref(mb, i);
		const char *key = policy_key(d, rb);
		size_t k = (uintptr_t)tm_hmap_get(&in_head, key, strlen(key));
		bool netpol = i < tm_model__policy(mb)->nnetpols; /* a NetworkPolicy, a Cilium one... */
		if (netpol && !indexed && (!k || tm_model_policy_signature(mb, i) != tm_model_policy_signature(mh, k - 1))) {
			index_selected(d, &selected, mb);
			indexed = true;
		}
		if (k) {
			k--;
			tm_policy_ref rh = tm_model_policy_ref(mh, k);
			if (tm_model_policy_signature(mb, i) == tm_model_policy_signature(mh, k))
				continue;
			/* changed: loosened when a finding appeared that points into its file, or when the
			 * network policy itself shows it (a rule admitting everything, a direction let go) */
			bool loosened = rh.loc.path && tm_hmap_get(&added_paths, rh.loc.path, strlen(rh.loc.path));
			const char *how = tm_model_policy_loosened(mb, i, mh, k);
			const char *id = policy_id(d, rh);
			change(d, loosened || how ? "removed" : netpol ? "changed" : "new-auth-flow", id, rh.loc,
			       how ? fmt(d, "%s was loosened: %s", id, how) : fmt(d, "%s %s", id, loosened ? "was loosened" : "changed"));
			const char *now = netpol ? protected_now(d, &selected, mh, i, true) : how ? ld_scope(d, mh, k, how) : NULL;
			ask(d, id, "What did the control protect before, and what does it let through now?",
			    loosened && now ? fmt(d, "%s; new findings point at it: see findings_new", now)
			    : loosened	    ? "new findings point at it: see findings_new"
					    : now);
		} else {
			const char *id = policy_id(d, rb);
			const char *sk = netpol ? sel_key(d, i) : NULL;
			if (sk && !tm_hmap_get(&selected, sk, strlen(sk))) {
				/* a NetworkPolicy that selected no workload of the base protected nothing: its
				 * deletion removes no control (microservices-demo's policies written for
				 * YOUR_NAMESPACE, moved into the real one) */
				const char *moved = moved_to(d, &by_name, mh, rb);
				change(d, "changed", id, rb.loc,
				       fmt(d, "%s was %s; it selected no workload of the base, so it protected nothing", id,
					   moved ? fmt(d, "moved to namespace %s", moved) : "deleted"));
				continue;
			}
			change(d, "removed", id, rb.loc, fmt(d, "%s was deleted", id));
			ask(d, id, "What did the deleted control protect, and what reaches it now?",
			    netpol ? protected_now(d, &selected, mh, i, false) : NULL);
		}
	}
	for (size_t k = 0; k < tm_model_policy_count(mh) && !d->oom; k++) {
		tm_policy_ref rh = tm_model_policy_ref(mh, k);
		const char *key = policy_key(d, rh);
		if (!tm_hmap_get(&in_base, key, strlen(key))) {
			const char *id = policy_id(d, rh);
			change(d, k < tm_model__policy(mh)->nnetpols ? "changed" : "new-auth-flow", id, rh.loc,
			       fmt(d, "new %s", id));
		}
	}
	tm_hmap_dispose(&in_base);
	tm_hmap_dispose(&in_head);
	tm_hmap_dispose(&added_paths);
	tm_hmap_dispose(&selected);
	tm_hmap_dispose(&by_name);
}

static int trigger_rank(const char *t)
{
	static const char *const deep[] = {"new-trust-boundary", "removed", "new-tenant-or-admin"};
	for (size_t i = 0; i < TM_ARRAY_LEN(deep); i++)
		if (strcmp(t, deep[i]) == 0)
			return 3;
	return strcmp(t, "changed") == 0 || strcmp(t, "observed-call-gone") == 0 ? 1 : 2;
}

static void decide_depth(tm_delta *d)
{
	int rank = d->nchanges ? 1 : 0;
	const char *why = NULL;
	size_t design = 0;
	for (size_t i = 0; i < d->nchanges; i++) {
		int r = trigger_rank(d->changes[i].trigger);
		design += r == 2;
		if (r > rank) {
			rank = r;
			why = d->changes[i].text;
		}
	}
	for (size_t i = 0; i < d->nadded; i++) {
		int r = d->added[i]->severity == TM_SEV_CRITICAL ? 3 : d->added[i]->severity == TM_SEV_HIGH ? 2 : 1;
		if (r > rank) {
			rank = r;
			why = fmt(d, "new %s finding: %s", tm_severity_name(d->added[i]->severity), d->added[i]->title);
		}
	}
	if (rank == 2 && design >= 4) {
		rank = 3;
		why = fmt(d, "%zu changes add new surface at once", design);
	}
	if (rank == 0 && d->nnew_diags) { /* nothing the model shows, but the model may not show it */
		rank = 1;
		why = fmt(d, "%zu input problem%s new in the head: what %s is not in the model", d->nnew_diags,
			  d->nnew_diags == 1 ? "" : "s", d->nnew_diags == 1 ? "that file holds" : "those files hold");
	} else if (rank == 0 && d->nunreviewed) {
		rank = 1;
		why = fmt(d, "the change touches what trustmap does not model (%zu place%s, below): review %s by hand",
			  d->nunreviewed, d->nunreviewed == 1 ? "" : "s", d->nunreviewed == 1 ? "it" : "them");
	}
	static const char *const names[] = {"none", "lightning", "design-review", "deep-dive"};
	static const char *const minutes[] = {"", " (30-45 min)", " (60-90 min)", " (half a day or more)"};
	d->depth = names[rank];
	d->reason = rank == 0   ? (d->nresolved ? fmt(d, "nothing new; it resolves %zu finding%s", d->nresolved, d->nresolved == 1 ? "" : "s")
					     : "the change leaves the model as it was")
		    : rank == 1 && !d->nchanges ? fmt(d, "%s%s", why ? why : "", minutes[1])
		    : rank == 1 ? fmt(d, "%zu change%s, none a review trigger%s", d->nchanges, d->nchanges == 1 ? "" : "s", minutes[1])
				: fmt(d, "%s%s", why ? why : "", minutes[rank]);
}

/* ---- superseded, not resolved ----
 *
 * A base finding the head no longer has is resolved unless a new finding takes its place while what
 * it was about still stands: then it is superseded, and the review says by which. The lookups go
 * through two maps of the new findings, built once, and one map per side of the edges' ends, built
 * only when a gone attack path asks: linear in the findings, their paths and the edges. */

/* A new finding as a gone one looks it up: the finding, and the element's severity in it (a fold's
 * member's). */
struct cover {
	const tm_finding *f;
	tm_severity severity;
};

struct covers {
	const tm_delta_side *b, *h;
	tm_hmap by_subject; /* element id -> struct cover: what a new finding is about */
	tm_hmap by_reach;   /* element id -> struct cover: what a new finding reaches from an attacker position */
	struct cover *slots;
	size_t nslots;
	tm_hmap edges[2]; /* (from, to) node pointers of the base's [0] and the head's [1] edges */
	uintptr_t *ends[2];
	bool indexed;
};

static int cover_put(struct covers *x, tm_hmap *map, const char *node, const tm_finding *f, tm_severity sev)
{
	if (!node || tm_hmap_get(map, node, strlen(node)))
		return 0; /* the first, highest in priority, of an element stands */
	x->slots[x->nslots] = (struct cover){f, sev};
	return tm_hmap_put(map, node, strlen(node), &x->slots[x->nslots++]);
}

/* The new findings (d->added, highest priority first) into x's maps: by_subject each one's subject (a
 * fold's: its members the change brought in or raised, every member of a fold wholly new); by_reach
 * the subject and the last element of each one whose path starts at an attacker position (TM-MESH-007's
 * published store, an attack path's target), and those members of a fold that the head reaches from
 * outside (partner or internet). 0 or TM_ENOMEM. */
static int index_covers(const tm_delta *d, struct covers *x)
{
	size_t n = 0;
	for (size_t i = 0; i < d->nadded; i++)
		n += 2 * (d->added[i]->naffected ? d->added[i]->naffected : 1) + 2; /* each member in both maps */
	x->slots = n ? tm_calloc(n, sizeof(*x->slots)) : NULL;
	if (n && !x->slots)
		return TM_ENOMEM;
	int rc = 0;
	for (size_t i = 0; i < d->nadded && !rc; i++) {
		const tm_finding *f = d->added[i];
		bool partial = false; /* a fold there before in part: its members marked are the change */
		for (size_t m = 0; m < f->naffected && !partial; m++)
			partial = f->affected[m].change != TM_MEMBER_SAME;
		for (size_t m = 0; m < (f->naffected ? f->naffected : 1) && !rc; m++) {
			const tm_finding_member *mb = f->naffected ? &f->affected[m] : NULL;
			if (partial && mb->change == TM_MEMBER_SAME)
				continue;
			rc = cover_put(x, &x->by_subject, mb ? mb->node : f->subject, f, mb ? mb->severity : f->severity);
			/* a fold's member reached from outside the cluster or the host, its own finding's path
			 * (two stores published, one of them by the change: TM-MESH-007 folded) */
			const tm_node *el = mb ? tm_model_find(x->h->model, mb->node) : NULL;
			if (!rc && el && outside(xpo(x->h, el)))
				rc = cover_put(x, &x->by_reach, mb->node, f, mb->severity);
		}
		const tm_node *from = f->path && f->path[0] && !f->naffected ? tm_model_find(x->h->model, f->path[0]) : NULL;
		if (rc || !from || tm_node_kind_of(from) != TM_NODE_ENTRYPOINT)
			continue;
		size_t last = 0;
		while (f->path[last + 1])
			last++;
		rc = cover_put(x, &x->by_reach, f->path[last], f, f->severity);
		if (!rc)
			rc = cover_put(x, &x->by_reach, f->subject, f, f->severity);
	}
	return rc;
}

/* Both sides' edges by their ends (any kind), at the first gone attack path that asks. 0 or TM_ENOMEM. */
static int index_ends(struct covers *x)
{
	if (x->indexed)
		return 0;
	x->indexed = true;
	const tm_model *ms[2] = {x->b->model, x->h->model};
	for (int s = 0; s < 2; s++) {
		size_t n = tm_model_edge_count(ms[s]);
		x->ends[s] = n ? tm_calloc(2 * n, sizeof(uintptr_t)) : NULL;
		if (n && (!x->ends[s] || tm_hmap_reserve(&x->edges[s], n)))
			return TM_ENOMEM;
		for (size_t k = 0; k < n; k++) {
			const tm_edge *e = tm_model_edge(ms[s], k);
			uintptr_t *key = &x->ends[s][2 * k];
			key[0] = (uintptr_t)tm_edge_from(e);
			key[1] = (uintptr_t)tm_edge_to(e);
			if (tm_hmap_put(&x->edges[s], (const char *)key, 2 * sizeof(uintptr_t), (void *)e))
				return TM_ENOMEM;
		}
	}
	return 0;
}

static bool joined(const tm_hmap *edges, const tm_node *from, const tm_node *to)
{
	uintptr_t key[2] = {(uintptr_t)from, (uintptr_t)to};
	return tm_hmap_get(edges, (const char *)key, sizeof(key)) != NULL;
}

/* Does base attack path f still stand in the head: each of its elements there, reached as widely as
 * before (the computed exposure: a policy that now denies a hop narrows what lies past it), and each
 * edge the base drew between two of them still drawn? */
static bool path_stands(struct covers *x, const tm_finding *f)
{
	const tm_node *bp = tm_model_find(x->b->model, f->path[0]), *hp = tm_model_find(x->h->model, f->path[0]);
	if (!bp || !hp || index_ends(x))
		return false;
	for (size_t k = 1; f->path[k]; k++) {
		const tm_node *bn = tm_model_find(x->b->model, f->path[k]), *hn = tm_model_find(x->h->model, f->path[k]);
		if (!bn || !hn || xpo(x->h, hn) < xpo(x->b, bn))
			return false;
		if (joined(&x->edges[0], bp, bn) && !joined(&x->edges[1], hp, hn))
			return false;
		bp = bn, hp = hn;
	}
	return true;
}

/*
 * The new finding that takes the place of base finding f, gone from the head, or NULL (f is resolved):
 *   - one about f's own element, of another rule, at least as severe for it: a backend reached only
 *     through its caller (TM-MESH-003) now exposed itself (TM-MESH-004);
 *   - f an attack path that still stands (path_stands) and a new finding, at least as severe, that
 *     reaches one of its elements from an attacker position, the last element first: the route
 *     through the path is there still, a shorter or other one now takes precedence (a store reached
 *     through a log service, now published itself: TM-MESH-007 where TM-PATH-001 was).
 * Neither for a fold: its members left or stayed, each by its own fingerprint.
 */
static const tm_finding *supersede(struct covers *x, const tm_finding *f)
{
	if (f->naffected)
		return NULL;
	const struct cover *c = f->subject ? tm_hmap_get(&x->by_subject, f->subject, strlen(f->subject)) : NULL;
	if (c && c->f->rule != f->rule && c->severity >= f->severity)
		return c->f;
	const tm_node *entry = f->path && f->path[0] ? tm_model_find(x->b->model, f->path[0]) : NULL;
	if (!x->by_reach.count || !entry || tm_node_kind_of(entry) != TM_NODE_ENTRYPOINT || !f->path[1])
		return NULL;
	size_t last = 1;
	while (f->path[last + 1])
		last++;
	const tm_finding *by = NULL;
	for (size_t k = last; k >= 1 && !by; k--) {
		c = tm_hmap_get(&x->by_reach, f->path[k], strlen(f->path[k]));
		by = c && c->severity >= f->severity ? c->f : NULL;
	}
	return by && path_stands(x, f) ? by : NULL;
}

static int push_superseded(tm_delta *d, const tm_finding *f, const tm_finding *by)
{
	if (TM_GROW(d->superseded, d->cap_superseded, d->nsuperseded + 1) ||
	    TM_GROW(d->superseded_by, d->cap_superseded_by, d->nsuperseded + 1))
		return TM_ENOMEM;
	d->superseded[d->nsuperseded] = f;
	d->superseded_by[d->nsuperseded++] = by;
	return 0;
}

static void covers_dispose(struct covers *x)
{
	tm_hmap_dispose(&x->by_subject);
	tm_hmap_dispose(&x->by_reach);
	for (int s = 0; s < 2; s++) {
		tm_hmap_dispose(&x->edges[s]);
		tm_free(x->ends[s]);
	}
	tm_free(x->slots);
}

/* The findings that appeared, and those that went: resolved, or superseded by a new one. Each as the
 * review shows it. */
static void compare_findings(tm_delta *d, const tm_delta_side *b, const tm_delta_side *h)
{
	tm_hmap fb = TM_HMAP_INIT, fh = TM_HMAP_INIT;
	if (fingerprints(&fb, b->findings) || fingerprints(&fh, h->findings))
		d->oom = 1;
	for (size_t i = 0; i < tm_findings_count(h->findings) && !d->oom; i++) {
		const tm_finding *f = tm_findings_at(h->findings, i);
		if (is_new(&fb, f) && push_finding(&d->added, &d->nadded, &d->cap_added, review_view(d, &fb, f, TM_MEMBER_NEW)))
			d->oom = 1;
	}
	struct covers x = {b, h, TM_HMAP_INIT, TM_HMAP_INIT, NULL, 0, {TM_HMAP_INIT, TM_HMAP_INIT}, {NULL, NULL}, false};
	if (!d->oom && index_covers(d, &x))
		d->oom = 1;
	for (size_t i = 0; i < tm_findings_count(b->findings) && !d->oom; i++) {
		const tm_finding *f = tm_findings_at(b->findings, i);
		if (!is_gone(&fh, f))
			continue;
		const tm_finding *by = supersede(&x, f);
		if (by ? push_superseded(d, f, by)
		       : push_finding(&d->resolved, &d->nresolved, &d->cap_resolved, review_view(d, &fh, f, TM_MEMBER_RESOLVED)))
			d->oom = 1;
	}
	covers_dispose(&x);
	tm_hmap_dispose(&fb);
	tm_hmap_dispose(&fh);
}

/* The comparison in two halves, on two cores where there are: the boundaries and the nodes into
 * d, the findings, edges, observed calls and policies into a delta of their own. */
typedef struct {
	tm_delta *d[2];
	const tm_delta_side *b, *h;
} halves;

static void compare_half(void *ud, size_t i)
{
	halves *hv = ud;
	tm_delta *d = hv->d[i];
	if (i == 0) {
		compare_boundaries(d, hv->b->model, hv->h->model);
		compare_nodes(d, hv->b, hv->h);
	} else {
		compare_findings(d, hv->b, hv->h);
		compare_edges(d, hv->b->model, hv->h->model);
		compare_route_matches(d, hv->b, hv->h);
		routes_removed(d, hv->b, hv->h);
		compare_observed(d, hv->b->model, hv->h->model);
		compare_policies(d, hv->b, hv->h);
		compare_linkerd(d, hv->b->model, hv->h->model);
	}
}

/* The second half joined to d as one pass in that order would have left it: its changes after
 * d's, its agenda asked of d again (each question still asked once, where first asked), its
 * findings d's; its arena, which holds their texts, kept with d. */
static void join_half(tm_delta *d, tm_delta *e)
{
	d->half = e;
	d->oom |= e->oom || tm_arena_failed(e->a);
	if (e->nchanges) {
		if (TM_GROW(d->changes, d->cap_changes, d->nchanges + e->nchanges)) {
			d->oom = 1;
			return;
		}
		memcpy(d->changes + d->nchanges, e->changes, e->nchanges * sizeof(*e->changes));
		d->nchanges += e->nchanges;
	}
	for (size_t i = 0; i < e->nagenda; i++)
		ask(d, e->agenda[i].about, e->agenda[i].question, e->agenda[i].answer);
	d->added = e->added;
	d->nadded = e->nadded;
	d->cap_added = e->cap_added;
	d->resolved = e->resolved;
	d->nresolved = e->nresolved;
	d->cap_resolved = e->cap_resolved;
	d->superseded = e->superseded;
	d->superseded_by = e->superseded_by;
	d->nsuperseded = e->nsuperseded;
	d->cap_superseded = e->cap_superseded;
	d->cap_superseded_by = e->cap_superseded_by;
	e->added = e->resolved = e->superseded = e->superseded_by = NULL;
}

static tm_delta *delta_new(void)
{
	tm_delta *d = tm_calloc(1, sizeof(*d));
	if (d && !(d->a = tm_arena_new())) {
		tm_free(d);
		return NULL;
	}
	return d;
}

int tm_delta_run(tm_delta **out, const tm_analysis *base, const tm_analysis *head)
{
	const tm_delta_side bs = {tm_analysis_model(base), tm_analysis_findings(base), tm_analysis_exposure(base)};
	const tm_delta_side hs = {tm_analysis_model(head), tm_analysis_findings(head), tm_analysis_exposure(head)};
	const tm_delta_side *b = &bs, *h = &hs;
	*out = NULL;
	halves hv = {{delta_new(), delta_new()}, b, h};
	tm_delta *d = hv.d[0];
	if (!hv.d[0] || !hv.d[1]) {
		tm_delta_free(hv.d[0]);
		tm_delta_free(hv.d[1]);
		return TM_ENOMEM;
	}
	tm_parallel_for(2, compare_half, &hv);
	join_half(d, hv.d[1]);
	tm_hmap changed = TM_HMAP_INIT;
	compare_diags(d, tm_analysis_diags(base), tm_analysis_diags(head));
	if (base != head && tm_analysis_scan(base) && tm_analysis_scan(head))
		compare_inputs(d, tm_analysis_scan(base), tm_analysis_scan(head));
	/* accepted risks whose subject or path changed are due for re-review */
	for (size_t c = 0; c < d->nchanges; c++)
		if (d->changes[c].node && tm_hmap_put(&changed, d->changes[c].node, strlen(d->changes[c].node), (void *)1))
			d->oom = 1;
	for (size_t i = 0; i < tm_findings_count(h->findings) && !d->oom; i++) {
		const tm_finding *f = tm_findings_at(h->findings, i);
		if (f->status != TM_STATUS_ACCEPTED)
			continue;
		bool touched = false;
		for (size_t p = 0; f->path && f->path[p] && !touched; p++)
			touched = tm_hmap_get(&changed, f->path[p], strlen(f->path[p])) != NULL;
		if (touched && push_finding(&d->rereview, &d->nrereview, &d->cap_rereview, f))
			d->oom = 1;
	}
	tm_hmap_dispose(&changed);
	decide_depth(d);
	if (d->oom || tm_arena_failed(d->a)) {
		tm_delta_free(d);
		return TM_ENOMEM;
	}
	*out = d;
	return 0;
}
