/*
 * registry.c - the rule table (from rules.def), running it, and what every
 * finding gets the same way: fingerprint, priority, owner, accepted status.
 *
 * Fingerprint: xxh64 of the rule id, the subject's node id and the finding's
 * key (a field, a path) — names that survive reformatting and unrelated edits,
 * never a line number.
 * Priority (0..100): the severity's base (critical 85, high 65, medium 45,
 * low 25, info 5), plus exposure of the subject (internet +10, partner +6,
 * cluster +2), plus 5 when no authentication stands in the way.
 *
 * Folding: a check marks a finding with its shared cause (tm_emit.fold: the
 * workload's namespace, the workflow's directory). After deduplication, the
 * findings of one rule with one cause become one finding when there are two
 * or more; a lone one is left exactly as emitted, so small systems and their
 * fingerprints do not change. The folded fingerprint is xxh64 of
 * `rule id \x1f "fold:" cause` — two fields where a member's key has three,
 * so a fold can never take a member's fingerprint.
 *
 * Wide folds: a rule's folds (and lone findings) that name a wider cause
 * (tm_emit.fold_wide: "*" for the whole system, a service for folds per
 * service and severity) fold again when two or more stand: one finding per
 * rule and wide cause, listing every element, its fingerprint `rule id \x1f
 * "fold:" wide cause` (across the system, high and critical ones fold again per severity:
 * `... *#high`; one service's folds fold whatever their severity).
 * Each element remembers the narrower fold it stood in,
 * so a decision made on that fold still holds (members_decision).
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "rules.h"
#include "trustmap/paths.h"

static const tm_rule_info registry[] = {
#define TM_RULE(id, check, sev, stride, layer, owasp, cwe, action, title, what, why, fix, detect) \
	{id, title, sev, stride, layer, owasp, cwe, action, what, why, fix, detect},
#include "rules.def"
#undef TM_RULE
};

static void (*const checks[])(tm_rule_ctx *) = {
#define TM_RULE(id, check, ...) tm_rule__##check,
#include "rules.def"
#undef TM_RULE
};

size_t tm_rule_count(void) { return TM_ARRAY_LEN(registry); }
const tm_rule_info *tm_rule_at(size_t i) { return i < TM_ARRAY_LEN(registry) ? &registry[i] : NULL; }

const tm_rule_info *tm_rule_find(const char *id)
{
	for (size_t i = 0; id && i < TM_ARRAY_LEN(registry); i++)
		if (tm_strcaseeq(registry[i].id, id)) /* tm-mesh-002 is TM-MESH-002 */
			return &registry[i];
	return NULL;
}

static const struct {
	const char *id;
	tm_rule_platform advice;
} compose_advice[] = {
#define TM_COMPOSE(id, fix, snippet, detect) {id, {fix, snippet, detect}},
#include "compose.def"
#undef TM_COMPOSE
};

const tm_rule_platform *tm_rule_compose(const tm_rule_info *r)
{
	for (size_t i = 0; r && i < TM_ARRAY_LEN(compose_advice); i++)
		if (strcmp(compose_advice[i].id, r->id) == 0)
			return &compose_advice[i].advice;
	return NULL;
}

/* An element of a docker-compose project: its advice is compose's where the rule's is Kubernetes'. */
static bool compose_element(const tm_node *n)
{
	const char *id = n ? tm_node_id(n) : NULL;
	const char *colon = id ? strchr(id, ':') : NULL;
	return colon && strncmp(colon + 1, "compose:", 8) == 0; /* service:compose:, secret:compose:, ... */
}

const char *tm_severity_name(tm_severity s)
{
	static const char *const names[] = {"info", "low", "medium", "high", "critical"};
	return (size_t)s < TM_ARRAY_LEN(names) ? names[s] : "info";
}

int tm_severity_parse(const char *name)
{
	for (int s = TM_SEV_INFO; s <= TM_SEV_CRITICAL; s++)
		if (name && tm_strcaseeq(name, tm_severity_name((tm_severity)s)))
			return s;
	return -1;
}

const char *tm_stride_name(unsigned bit)
{
	static const char *const names[] = {"spoofing", "tampering", "repudiation", "information-disclosure",
					    "denial-of-service", "elevation-of-privilege"};
	return bit < TM_ARRAY_LEN(names) ? names[bit] : "";
}

static const char *const action_names[] = {"design-change", "platform-guardrail", "release-gate",
					   "detection-requirement", "accepted-risk"};

const char *tm_action_name(tm_action_type a)
{
	return (size_t)a < TM_ARRAY_LEN(action_names) ? action_names[a] : "design-change";
}

int tm_action_parse(const char *name)
{
	for (size_t i = 0; name && i < TM_ARRAY_LEN(action_names); i++)
		if (tm_strcaseeq(name, action_names[i]))
			return (int)i;
	return -1;
}

/* What a foldable finding shares with its siblings, kept by fingerprint until the fold. */
struct fold_note {
	const char *cause, *label, *noun, *what;
	size_t min; /* members it takes to fold (2 unless the rule asks for more) */
	const char *wide; /* the wider cause its folds fold into again, or NULL */
	const char *places; /* what its causes are, for the wide fold's label, or NULL */
};

struct tm_findings {
	tm_arena *arena;
	tm_finding *items;
	size_t n, cap;
	size_t *uses;  /* per accepted-risk entry of the model: the findings its suppression settled */
	size_t nuses;
	bool *lapsed;  /* per entry: a suppression past its expiry on the day of the last decide */
	const char *today; /* the day of the last decide (in the arena), NULL: undated */
	const struct fold_note *last_note; /* the last one emitted: its rule's next finding mostly shares it */
	bool folds;    /* a finding may fold (it has a fold_note_) */
	size_t *rule_end; /* while the checks run: per rule of the table, the end of its findings in items */
	tm_arena **more;  /* the arenas of the parts merged into this list (tm_findings_merge) */
	size_t nmore;
	size_t hidden; /* findings a report filter took out (tm_findings_keep_at_least) */
	tm_severity hidden_below;
	int oom;
};

size_t tm_findings_count(const tm_findings *f) { return f ? f->n : 0; }

tm_action_type tm_finding_action(const tm_finding *f)
{
	return f->expired || f->status == TM_STATUS_ACCEPTED ? TM_ACTION_ACCEPTED_RISK : f->rule->action;
}

size_t tm_findings_keep_at_least(tm_findings *f, tm_severity min)
{
	size_t kept = 0;
	for (size_t i = 0; f && i < f->n; i++)
		if (f->items[i].severity >= min)
			f->items[kept++] = f->items[i];
	size_t gone = f ? f->n - kept : 0;
	if (f && gone) {
		f->n = kept;
		f->hidden += gone;
		f->hidden_below = min;
	}
	return gone;
}

size_t tm_findings_hidden(const tm_findings *f, tm_severity *below)
{
	if (below)
		*below = f ? f->hidden_below : TM_SEV_LOW;
	return f ? f->hidden : 0;
}
const tm_finding *tm_findings_at(const tm_findings *f, size_t i) { return f && i < f->n ? &f->items[i] : NULL; }

bool tm_fingerprint_valid(const char *s)
{
	if (!s || strlen(s) != 16)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

size_t tm_findings_open_at_least(const tm_findings *f, tm_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; f && i < f->n; i++)
		n += f->items[i].severity >= sev && f->items[i].status == TM_STATUS_OPEN;
	return n;
}

void tm_findings_free(tm_findings *f)
{
	if (!f)
		return;
	tm_free(f->items);
	tm_free(f->uses);
	tm_free(f->lapsed);
	tm_free(f->rule_end);
	for (size_t i = 0; i < f->nmore; i++)
		tm_arena_free(f->more[i]);
	tm_free(f->more);
	tm_arena_free(f->arena);
	tm_free(f);
}

size_t tm_findings_suppression_uses(const tm_findings *f, size_t accepted_index)
{
	return f && accepted_index < f->nuses ? f->uses[accepted_index] : 0;
}

bool tm_findings_review_due(const tm_findings *f, const tm_accepted_risk *a)
{
	return f && f->today && a && a->review && strcmp(a->review, f->today) < 0;
}

bool tm_findings_suppression_expired(const tm_findings *f, size_t accepted_index)
{
	return f && f->lapsed && accepted_index < f->nuses && f->lapsed[accepted_index];
}

const char *tm_rules__strndup(tm_rule_ctx *c, const char *s, size_t n)
{
	const char *d = tm_arena_strndup(c->out->arena, s, n);
	if (!d)
		c->out->oom = 1;
	return d ? d : "";
}

void tm_rules__oom(tm_rule_ctx *c)
{
	c->out->oom = 1;
}

const char *tm_rules__printf(tm_rule_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = tm_arena_vprintf(c->out->arena, fmt, ap); /* formatted once, on the stack */
	va_end(ap);
	if (!s)
		c->out->oom = 1;
	return s ? s : "";
}

void tm_emit_init(tm_emit *e, const tm_node *subject)
{
	memset(e, 0, sizeof(*e));
	e->subject = subject;
	e->severity = -1;
	if (subject) {
		e->path[e->npath++] = tm_node_id(subject);
		if (tm_node_evidence_count(subject))
			e->evidence[e->nevidence++] = tm_node_evidence(subject, 0);
	}
}

void tm_emit_primary(tm_emit *e, tm_loc loc)
{
	if (!loc.path)
		return;
	size_t at = e->nevidence;
	for (size_t i = 0; i < e->nevidence; i++)
		if (e->evidence[i].path == loc.path && e->evidence[i].line == loc.line && e->evidence[i].col == loc.col)
			at = i;
	if (at == e->nevidence) {
		if (e->nevidence == TM_EMIT_MAX)
			at = --e->nevidence; /* the last one gives way */
		e->nevidence++;
	}
	memmove(&e->evidence[1], &e->evidence[0], at * sizeof(tm_loc));
	e->evidence[0] = loc;
}

void tm_emit_fold_namespace(tm_rule_ctx *c, tm_emit *e, const char *what)
{
	const char *b = e->subject ? tm_node_boundary(e->subject) : NULL;
	if (!b || !*b)
		return;
	e->fold = b;
	tm_node_id_parts id; /* "namespace:NS" is labelled "namespace NS" */
	bool ns = !tm_node_id_parse(b, &id) && id.prefix_len == 9 && strncmp(id.prefix, "namespace", 9) == 0;
	e->fold_label = ns ? tm_rules__printf(c, "namespace %s", id.rest) : b;
	e->fold_noun = "workloads";
	e->fold_what = what;
	e->fold_wide = "*"; /* the namespaces' folds of one rule fold again: one finding per rule */
}

void tm_emit_path(tm_emit *e, const char *node_id)
{
	if (node_id && e->npath < TM_EMIT_MAX)
		e->path[e->npath++] = node_id;
}

void tm_emit_loc(tm_emit *e, tm_loc loc)
{
	if (!loc.path || e->nevidence >= TM_EMIT_MAX)
		return;
	for (size_t i = 0; i < e->nevidence; i++)
		if (e->evidence[i].path == loc.path && e->evidence[i].line == loc.line && e->evidence[i].col == loc.col)
			return;
	e->evidence[e->nevidence++] = loc;
}

const tm_edge *tm_rules__in_edge(const tm_model *m, const tm_node *n, int k, size_t *cursor)
{
	size_t ninc;
	const tm_edge *const *inc = tm_model__incident(m, n, &ninc);
	while (*cursor < ninc) {
		const tm_edge *e = inc[(*cursor)++];
		if (tm_edge_to(e) == n && (k < 0 || tm_edge_kind_of(e) == (tm_edge_kind)k))
			return e;
	}
	return NULL;
}

/* Gateways chain (an ingress in front of a mesh gateway); a cycle of routes between gateways is
 * written by mistake or by an attacker, so the climb stops after a few gateways. */
#define GATEWAY_CHAIN_MAX 8

static bool facing(const tm_model *m, const tm_node *n, int depth)
{
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(m, n, TM_EDGE_ROUTES, &cur));) {
		const tm_node *from = tm_edge_from(e);
		if (strcmp(tm_node_id(from), "entrypoint:internet") == 0)
			return true;
		/* through gateways, and the workloads that run one (a proxy routes to its gateway) */
		if (depth < GATEWAY_CHAIN_MAX && from != n && facing(m, from, depth + 1))
			return true;
	}
	return false;
}

bool tm_rules__internet_facing(const tm_model *m, const tm_node *n)
{
	return facing(m, n, 0);
}

const tm_node *tm_rules__store_host(const tm_model *m, const tm_node *n)
{
	tm_node_kind k = n ? tm_node_kind_of(n) : TM_NODE_SERVICE;
	const char *runs = k == TM_NODE_DATASTORE || k == TM_NODE_QUEUE ? tm_node_attr_str(n, "runs_in") : NULL;
	const tm_node *w = runs ? tm_model_find(m, runs) : NULL;
	return w ? w : n;
}

const tm_node *tm_rules__policy_subject(const tm_model *m, const char *ns, const tm_selector *sel)
{
	const tm_policy *pol = tm_model__policy(m);
	/* a selector with a matchLabels pair: among the workloads carrying it (the label index), in
	 * table order; any other (namespace-wide, few): the table */
	tm_labels first = {NULL, 0};
	tm_label pair;
	for (size_t i = 0; sel->present && i < sel->n && !first.n; i++)
		if (sel->reqs[i].op == TM_SEL_IN && sel->reqs[i].values.n == 1 && sel->reqs[i].key &&
		    sel->reqs[i].values.items[0]) {
			pair = (tm_label){sel->reqs[i].key, sel->reqs[i].values.items[0]};
			first = (tm_labels){&pair, 1};
		}
	for (tm_pm_pair_cursor cur = tm_policy__with_pair(pol, &first); ;) {
		const tm_pm_workload *w = tm_policy__pair_next(pol, &cur);
		if (!w)
			return NULL;
		if ((strcmp(ns, pol->root_ns) == 0 || strcmp(ns, w->ns) == 0) &&
		    (!sel->present || tm_selector_matches(sel, &w->labels)))
			return tm_model_find(m, w->node_id);
	}
}

/* A fact stated somewhere else than the workload's manifest: its image's (its Dockerfile's FROM, USER
 * and ENV, read after the manifests), or the admission control's that would refuse it (a namespace's
 * Pod Security label, a policy): about the workload, not where it is defined. */
static bool image_fact(const tm_fact_loc *f)
{
	return strcmp(f->key, "base_images") == 0 || strcmp(f->key, "image_user") == 0 ||
	       strcmp(f->key, "console_env") == 0 || strncmp(f->key, "admission", 9) == 0;
}

tm_loc tm_rules__manifest_loc(const tm_node *n)
{
	tm_loc none = {NULL, 0, 0, NULL};
	if (!n || !tm_node_evidence_count(n))
		return none;
	const char *file = NULL;
	for (size_t i = 0; !file && i < tm_node_fact_count(n); i++)
		if (!image_fact(tm_node_fact(n, i)))
			file = tm_node_fact(n, i)->loc.path;
	for (size_t i = 0; file && i < tm_node_evidence_count(n); i++)
		if (tm_node_evidence(n, i).path && strcmp(tm_node_evidence(n, i).path, file) == 0)
			return tm_node_evidence(n, i);
	return tm_node_evidence(n, 0);
}

tm_loc tm_rules__fact_loc(const tm_node *n, const char *key, const char *value)
{
	for (size_t i = 0; n && i < tm_node_fact_count(n); i++) {
		const tm_fact_loc *f = tm_node_fact(n, i);
		if (strcmp(f->key, key) == 0 && (!value || strcmp(f->value, value) == 0))
			return f->loc;
	}
	tm_loc none = {NULL, 0, 0, NULL};
	return none;
}

/* Located facts: a title naming at most FACTS_LISTED of them (the rest counted). */
#define FACTS_LISTED 12

bool tm_rules__facts(tm_rule_ctx *c, tm_emit *e, const tm_node *n, const char *key, const char *what, int sev)
{
	const char *const *l = tm_rules__list(n, key);
	if (!l || !l[0])
		return false;
	tm_emit_init(e, n);
	e->nevidence = 0;
	tm_strbuf sb = TM_STRBUF_INIT;
	size_t k = 0;
	for (; l[k]; k++)
		if (k < FACTS_LISTED) {
			tm_emit_loc(e, tm_rules__fact_loc(n, key, l[k]));
			tm_strbuf_printf(&sb, "%s%s", k ? ", " : "", l[k]);
		}
	if (k > FACTS_LISTED)
		tm_strbuf_printf(&sb, " and %zu more", k - FACTS_LISTED);
	tm_emit_loc(e, tm_rules__manifest_loc(n));
	e->title = tm_rules__printf(c, "%s: %s (%s)", tm_node_id(n), what, sb.data ? sb.data : "");
	e->severity = sev;
	tm_strbuf_dispose(&sb);
	return true;
}

static int exposure_bonus(const tm_model *m, const tm_node *n)
{
	if (!n)
		return 0;
	static const int bonus[] = {[TM_EXPOSURE_NONE] = 0, [TM_EXPOSURE_CLUSTER] = 2, [TM_EXPOSURE_PARTNER] = 6,
				    [TM_EXPOSURE_INTERNET] = 10};
	n = tm_rules__store_host(m, n);
	int x = tm_exposure_level_parse(tm_node_attr_str(n, "exposure"));
	/* an exposure assumed for lack of a deployment (an unlinked spec) counts half: the finding
	 * stands, its urgency reflects the uncertainty */
	if (x >= 0)
		return tm_node_attr_str(n, "exposure_assumed") ? bonus[x] / 2 : bonus[x];
	return tm_rules__internet_facing(m, n) ? 10 : 2;
}

/*
 * The detection requirement of a finding: the exact events to log, from where, named from the
 * finding's subject (the route and method, the service account, the secret, the topic, the
 * workflow), then the rule's alert condition. A rule that knows better fills tm_emit.detect itself.
 */
/* Priority stays inside its severity's band (base .. base + 19): exposure, credentials and impact
 * rank findings within a severity, never above the next one. */
static int band(tm_severity sev, int pr)
{
	static const int base[] = {5, 25, 45, 65, 85};
	int top = base[sev] + 19 > 100 ? 100 : base[sev] + 19;
	return pr > top ? top : pr;
}

void tm_rules__emit(tm_rule_ctx *c, const tm_emit *e)
{
	tm_findings *out = c->out;
	if (TM_GROW(out->items, out->cap, out->n + 1)) {
		out->oom = 1;
		return;
	}
	tm_finding *f = &out->items[out->n];
	memset(f, 0, sizeof(*f));
	f->rule = c->rule;
	f->severity = e->severity >= 0 ? (tm_severity)e->severity : c->rule->severity;
	const char *subject = e->subject ? tm_node_id(e->subject) : "";
	char key[1024];
	int kl = tm_formatf(key, sizeof(key), "%s\x1f%s\x1f%s", c->rule->id, e->anchor ? e->anchor : subject,
			  e->key ? e->key : "");
	uint64_t h = tm_hash(key, kl > 0 && (size_t)kl < sizeof(key) ? (size_t)kl : sizeof(key) - 1);
	f->fingerprint = tm_rules__printf(c, "%016llx", (unsigned long long)h);
	f->title = e->title ? e->title : c->rule->title;
	f->subject = subject;
	static const int base[] = {5, 25, 45, 65, 85};
	int xb = exposure_bonus(c->m, e->subject);
	int pr = base[f->severity] + xb;
	const tm_attr *anon = e->subject ? tm_node_attr_get(e->subject, "anonymous") : NULL;
	if (anon && anon->num)
		pr += 5;
	f->priority = band(f->severity, pr);
	const char **path = tm_arena_alloc(out->arena, (e->npath + 1) * sizeof(char *));
	tm_loc *ev = e->nevidence ? tm_arena_alloc(out->arena, e->nevidence * sizeof(tm_loc)) : NULL;
	const char **det = e->detect[0] ? tm_arena_alloc(out->arena, 5 * sizeof(char *)) : NULL;
	if (!path || (e->nevidence && !ev) || (e->detect[0] && !det)) {
		out->oom = 1;
		return;
	}
	for (size_t i = 0; i < e->npath; i++)
		path[i] = e->path[i];
	f->path = path;
	if (e->nevidence)
		memcpy(ev, e->evidence, e->nevidence * sizeof(tm_loc));
	f->evidence = ev;
	f->nevidence = e->nevidence;
	const tm_rule_platform *compose = compose_element(e->subject) ? tm_rule_compose(c->rule) : NULL;
	f->action = e->action ? e->action : compose && compose->fix ? compose->fix : c->rule->fix;
	size_t nd = 0;
	for (size_t i = 0; i < 4 && e->detect[i]; i++)
		det[nd++] = e->detect[i];
	/* none of its own: filled from the subject once folding has settled which findings stand */
	f->detect = nd ? det : NULL;
	f->snippet = compose && compose->snippet ? compose->snippet : e->snippet;
	f->owner = e->subject ? tm_node_attr_str(e->subject, "owner") : NULL;
	f->status = TM_STATUS_OPEN;
	out->n++;
	if (e->fold) {
		struct fold_note want = {e->fold, e->fold_label ? e->fold_label : e->fold,
					 e->fold_noun ? e->fold_noun : "elements", e->fold_what ? e->fold_what : c->rule->title,
					 e->fold_min > 2 ? e->fold_min : 2, e->fold_wide, e->fold_places};
		const struct fold_note *last = out->last_note;
		if (!last || memcmp(last, &want, sizeof(want)) != 0) {
			struct fold_note *note = tm_arena_alloc(out->arena, sizeof(*note));
			if (!note) {
				out->oom = 1;
				return;
			}
			*note = want;
			out->last_note = note;
		}
		f->fold_note_ = out->last_note;
		out->folds = true;
	}
}

static int finding_cmp(const void *pa, const void *pb)
{
	const tm_finding *a = pa, *b = pb;
	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	int c = strcmp(a->rule->id, b->rule->id);
	return c ? c : strcmp(a->fingerprint, b->fingerprint);
}

/* Members of a fold: highest priority first, then by element. */
static int member_cmp(const void *pa, const void *pb)
{
	const tm_finding *a = *(const tm_finding *const *)pa, *b = *(const tm_finding *const *)pb;
	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	int c = strcmp(a->subject, b->subject);
	return c ? c : strcmp(a->fingerprint, b->fingerprint);
}

/* The path of a fold: each member's subject, then the nodes on its own path, once each, in member
 * order (the HTML report lights them; history ties the fold to the changes on any of them). */
static const char **fold_path(tm_findings *f, const tm_finding *const *mem, size_t count)
{
	size_t cap = 1;
	for (size_t i = 0; i < count; i++) {
		cap += 1;
		for (size_t p = 0; mem[i]->path && mem[i]->path[p]; p++)
			cap++;
	}
	const char **path = tm_arena_alloc(f->arena, cap * sizeof(char *));
	tm_hmap seen = TM_HMAP_INIT;
	size_t n = 0;
	bool oom = !path || tm_hmap_reserve(&seen, cap);
	for (size_t i = 0; i < count && !oom; i++) {
		/* a fold's subject is its cause, not an element: its path holds its members already */
		const char *one[] = {mem[i]->naffected ? NULL : mem[i]->subject, NULL};
		for (int pass = 0; pass < 2 && !oom; pass++) {
			const char *const *l = pass ? mem[i]->path : one;
			for (size_t p = 0; l && l[p] && !oom; p++) {
				if (tm_hmap_get(&seen, l[p], strlen(l[p])))
					continue;
				oom = tm_hmap_put(&seen, l[p], strlen(l[p]), (void *)l[p]) != 0;
				path[n++] = l[p];
			}
		}
	}
	tm_hmap_dispose(&seen);
	if (oom)
		return NULL;
	path[n] = NULL;
	return path;
}

/* The one finding standing for members (count >= 2, sorted) that share note's cause. */
static int fold_one(tm_findings *f, tm_finding *x, const tm_finding *const *mem, size_t count,
		    const struct fold_note *note)
{
	const tm_finding *top = mem[0];
	*x = *top;
	x->fingerprint = NULL;
	char key[1024];
	int kl = tm_formatf(key, sizeof(key), "%s\x1f" "fold:%s", top->rule->id, note->cause);
	uint64_t h = tm_hash(key, kl > 0 && (size_t)kl < sizeof(key) ? (size_t)kl : sizeof(key) - 1);
	x->fingerprint = tm_arena_printf(f->arena, "%016llx", (unsigned long long)h);
	x->title = tm_arena_printf(f->arena, "%zu %s in %s %s", count, note->noun, note->label, note->what);
	x->subject = note->cause;
	const char **path = fold_path(f, mem, count);
	tm_loc *ev = tm_arena_alloc(f->arena, count * sizeof(tm_loc));
	tm_finding_member *am = tm_arena_alloc(f->arena, count * sizeof(*am));
	if (!x->fingerprint || !x->title || !path || !ev || !am)
		return TM_ENOMEM;
	size_t nev = 0;
	for (size_t i = 0; i < count; i++) {
		const tm_finding *y = mem[i];
		tm_loc none = {NULL, 0, 0, NULL};
		tm_loc primary = y->nevidence ? y->evidence[0] : none;
		am[i] = (tm_finding_member){y->subject, y->fingerprint, y->title, y->severity, primary, NULL, TM_MEMBER_SAME};
		if (y->severity > x->severity)
			x->severity = y->severity;
		if (y->priority > x->priority)
			x->priority = y->priority;
		if (x->owner && (!y->owner || strcmp(x->owner, y->owner) != 0))
			x->owner = NULL; /* an owner only when every member has the same one */
		/* members whose fixes differ (one needs its empty override removed, another a requirement
		 * stated) share the rule's own fix, which names both */
		if (x->action && y->action && strcmp(x->action, y->action) != 0 && top->rule->fix)
			x->action = top->rule->fix;
		if (primary.path)
			ev[nev++] = primary;
	}
	x->path = path;
	x->evidence = nev ? ev : NULL;
	x->nevidence = nev;
	x->affected = am;
	x->naffected = count;
	return 0;
}

/* "namespace shop" -> "namespace", "compose:src[prod]" -> "compose:": the kind of place a fold label
 * names, or "" when it has none. */
static size_t label_kind(const char *label)
{
	size_t k = strcspn(label, " :");
	return label[k] == ':' ? k + 1 : label[k] == ' ' ? k : 0;
}

/* The label of a wide fold: one place as it is; several of one kind as "4 namespaces (a, b, c, +1
 * more)"; others as "3 places (...)". labels: distinct, sorted. */
static const char *wide_label(tm_findings *f, const char *const *labels, size_t k, const char *places)
{
	if (k == 1)
		return labels[0];
	size_t kl = places ? 0 : label_kind(labels[0]);
	for (size_t i = 1; i < k && kl; i++)
		if (label_kind(labels[i]) != kl || strncmp(labels[i], labels[0], kl) != 0)
			kl = 0;
	static const char *const plural[][2] = {{"namespace", "namespaces"}, {"compose:", "compose projects"},
						{"service", "services"}, {"service:", "applications"}};
	const char *kind = places ? places : "places";
	for (size_t i = 0; i < TM_ARRAY_LEN(plural) && kl; i++)
		if (strlen(plural[i][0]) == kl && strncmp(labels[0], plural[i][0], kl) == 0)
			kind = plural[i][1];
	if (places || strcmp(kind, "places") == 0)
		kl = 0;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_printf(&sb, "%zu %s (", k, kind);
	for (size_t i = 0; i < k && i < 4; i++)
		tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", labels[i] + kl + (kl && labels[i][kl] == ' '));
	if (k > 4)
		tm_strbuf_printf(&sb, ", +%zu more", k - 4);
	tm_strbuf_puts(&sb, ")");
	const char *out = sb.oom ? NULL : tm_arena_strdup(f->arena, sb.data);
	tm_strbuf_dispose(&sb);
	return out;
}

static int finding_ptr_cmp(const void *a, const void *b)
{
	return finding_cmp(*(const tm_finding *const *)a, *(const tm_finding *const *)b);
}

static int cstr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The wide fold a standing finding joins, `rule id \x1f "fold:" wide cause`, its fingerprint's key
 * too. Across the system, high and critical findings fold again only with their own severity
 * (`... *#high`): what is at stake keeps its rank (a critical escape is not one line of a high fold);
 * the rest fold whatever it is. One service's folds of one rule share their fix and fold whatever
 * their severity: the finding takes the highest, each operation keeps its own. */
static const char *wide_key(tm_findings *f, const tm_finding *x, const struct fold_note *note)
{
	if (x->severity >= TM_SEV_HIGH && strcmp(note->wide, "*") == 0)
		return tm_arena_printf(f->arena, "%s\x1f" "fold:%s#%s", x->rule->id, note->wide,
				       tm_severity_name(x->severity));
	return tm_arena_printf(f->arena, "%s\x1f" "fold:%s", x->rule->id, note->wide);
}

/* Merge the standing findings st[0..k) (two or more, of one rule and wide cause, highest priority
 * first) into x: every element of each, remembering the fold it came from. */
static int wide_one(tm_findings *f, tm_finding *x, const tm_finding *st, const size_t *idx, size_t k,
		    const struct fold_note *const *notes)
{
	const tm_finding *top = &st[idx[0]];
	const struct fold_note *note = notes[idx[0]];
	size_t count = 0;
	for (size_t i = 0; i < k; i++)
		count += st[idx[i]].naffected ? st[idx[i]].naffected : 1;
	tm_finding_member *am = tm_arena_alloc(f->arena, count * sizeof(*am));
	tm_loc *ev = tm_arena_alloc(f->arena, count * sizeof(tm_loc));
	const char **labels = tm_calloc(k + 1, sizeof(char *));
	const tm_finding **stand = tm_calloc(k + 1, sizeof(*stand));
	for (size_t i = 0; stand && i < k; i++)
		stand[i] = &st[idx[i]];
	const char **path = stand ? fold_path(f, stand, k) : NULL;
	tm_free(stand);
	if (!am || !path || !ev || !labels) {
		tm_free(labels);
		return TM_ENOMEM;
	}
	*x = *top;
	size_t m = 0, nev = 0, nl = 0;
	for (size_t i = 0; i < k; i++) {
		const tm_finding *y = &st[idx[i]];
		labels[nl++] = notes[idx[i]]->label;
		if (x->owner && (!y->owner || strcmp(x->owner, y->owner) != 0))
			x->owner = NULL;
		if (y->severity > x->severity)
			x->severity = y->severity;
		if (y->priority > x->priority)
			x->priority = y->priority;
		if (y->naffected) {
			for (size_t a = 0; a < y->naffected; a++) {
				am[m] = y->affected[a];
				am[m].fold_fingerprint = y->fingerprint;
				m++;
			}
		} else {
			tm_loc none = {NULL, 0, 0, NULL};
			am[m++] = (tm_finding_member){y->subject, y->fingerprint, y->title, y->severity,
						     y->nevidence ? y->evidence[0] : none, NULL, TM_MEMBER_SAME};
		}
	}
	for (size_t i = 0; i < m; i++)
		if (am[i].evidence.path)
			ev[nev++] = am[i].evidence;
	qsort(labels, nl, sizeof(char *), cstr_cmp);
	size_t nd = 0;
	for (size_t i = 0; i < nl; i++)
		if (!nd || strcmp(labels[i], labels[nd - 1]) != 0)
			labels[nd++] = labels[i];
	const char *label = wide_label(f, labels, nd, note->places);
	tm_free(labels);
	const char *key = wide_key(f, top, note);
	x->fingerprint = key ? tm_arena_printf(f->arena, "%016llx", (unsigned long long)tm_hash(key, strlen(key))) : NULL;
	x->title = label ? tm_arena_printf(f->arena, "%zu %s in %s %s", m, note->noun, label, note->what) : NULL;
	/* "*" is the whole system, "*#<kind>" a system-wide fold of one kind of a rule's findings */
	x->subject = note->wide[0] == '*' && (!note->wide[1] || note->wide[1] == '#') ? "system" : note->wide;
	x->path = path;
	x->evidence = nev ? ev : NULL;
	x->nevidence = nev;
	x->affected = am;
	x->naffected = m;
	return x->fingerprint && x->title ? 0 : TM_ENOMEM;
}

/* Fold again what names a wider cause: per rule and wide cause, two or more standing findings (folds
 * or lone ones) become one. notes: per standing finding, its fold note or NULL. Linear but for the
 * sort of each group. */
static int fold_wide(tm_findings *f, const struct fold_note **notes)
{
	size_t n = f->n, ng = 0, o = 0;
	int rc = TM_ENOMEM;
	size_t *group = tm_calloc(n + 1, sizeof(size_t)), *cnt = tm_calloc(n + 2, sizeof(size_t));
	size_t *idx = tm_calloc(n + 1, sizeof(size_t)), *start = tm_calloc(n + 2, sizeof(size_t));
	tm_finding *items = tm_calloc(n + 1, sizeof(*items));
	tm_hmap groups = TM_HMAP_INIT;
	if (!group || !cnt || !idx || !start || !items)
		goto done;
	/* standing findings in priority order, so each group lists its members highest first */
	const tm_finding **order = tm_calloc(n + 1, sizeof(*order));
	if (!order)
		goto done;
	for (size_t i = 0; i < n; i++)
		order[i] = &f->items[i];
	qsort(order, n, sizeof(*order), finding_ptr_cmp);
	for (size_t r = 0; r < n; r++) {
		size_t i = (size_t)(order[r] - f->items);
		const struct fold_note *note = notes[i];
		if (!note || !note->wide)
			continue;
		const char *k = wide_key(f, &f->items[i], note);
		if (!k)
			goto done_order;
		size_t g = (size_t)(uintptr_t)tm_hmap_get(&groups, k, strlen(k));
		if (!g && (g = ++ng, tm_hmap_put(&groups, k, strlen(k), (void *)(uintptr_t)g)))
			goto done_order;
		group[i] = g;
		cnt[g]++;
	}
	for (size_t g = 1; g <= ng; g++)
		start[g + 1] = start[g] + cnt[g];
	{
		size_t *fill = tm_calloc(ng + 2, sizeof(size_t));
		if (!fill)
			goto done_order;
		for (size_t r = 0; r < n; r++) {
			size_t i = (size_t)(order[r] - f->items);
			if (group[i])
				idx[start[group[i]] + fill[group[i]]++] = i;
		}
		tm_free(fill);
	}
	for (size_t i = 0; i < n; i++)
		if (!group[i] || cnt[group[i]] < 2)
			items[o++] = f->items[i];
	for (size_t g = 1; g <= ng; g++)
		if (cnt[g] >= 2 && wide_one(f, &items[o++], f->items, idx + start[g], cnt[g], notes))
			goto done_order;
	tm_free(f->items);
	f->items = items;
	f->n = o;
	items = NULL;
	rc = 0;
done_order:
	tm_free(order);
done:
	tm_hmap_dispose(&groups);
	tm_free(items);
	tm_free(start);
	tm_free(idx);
	tm_free(cnt);
	tm_free(group);
	return rc;
}

/* Replace every group of two or more findings of one rule with one cause by their fold. The folds
 * are made first, from their members where they stand; then the findings that stay move up in place
 * (each fold replaces two or more, so the folds fit after them). A group's key is formatted on the
 * stack and kept only for the group's first member. */
static int fold_all(tm_findings *f)
{
	if (!f->folds || f->n < 2)
		return 0;
	int rc = TM_ENOMEM;
	size_t n = f->n, ng = 0, o = 0, nfolds = 0;
	/* group[i]: finding i's group (0: none); base[g]..base[g+1]: group g's members in mem */
	size_t *group = tm_calloc(n, sizeof(size_t)), *base = tm_calloc(n + 2, sizeof(size_t));
	size_t *fill = tm_calloc(n + 1, sizeof(size_t));
	const struct fold_note **gnote = tm_calloc(n + 1, sizeof(*gnote));
	const tm_finding **mem = tm_calloc(n, sizeof(*mem));
	tm_finding *folds = NULL;
	const struct fold_note **wnote = NULL; /* per standing finding: its fold note, or NULL */
	tm_hmap groups = TM_HMAP_INIT;
	if (!group || !base || !fill || !gnote || !mem)
		goto done;
	for (size_t i = 0; i < n; i++) {
		const struct fold_note *note = f->items[i].fold_note_;
		if (!note)
			continue;
		const char *rule = f->items[i].rule->id;
		char buf[512];
		int kl = tm_formatf(buf, sizeof(buf), "%s\x1f%s", rule, note->cause);
		const char *k = kl >= 0 && (size_t)kl < sizeof(buf)
					? buf
					: tm_arena_printf(f->arena, "%s\x1f%s", rule, note->cause);
		if (!k)
			goto done;
		size_t klen = k == buf ? (size_t)kl : strlen(k);
		size_t g = (size_t)(uintptr_t)tm_hmap_get(&groups, k, klen);
		if (!g) {
			g = ++ng;
			gnote[g] = note;
			if (k == buf && !(k = tm_arena_strndup(f->arena, buf, klen)))
				goto done;
			if (tm_hmap_put(&groups, k, klen, (void *)(uintptr_t)g))
				goto done;
		}
		group[i] = g;
		base[g + 1]++;
	}
	for (size_t g = 1; g <= ng; g++) /* a counting sort: members laid out group after group */
		base[g + 1] += base[g];
	for (size_t i = 0; i < n; i++)
		if (group[i])
			mem[base[group[i]] + fill[group[i]]++] = &f->items[i];
	wnote = tm_calloc(n + 1, sizeof(*wnote));
	folds = tm_calloc(ng + 1, sizeof(*folds));
	if (!wnote || !folds)
		goto done;
	for (size_t g = 1; g <= ng; g++) {
		if (fill[g] < gnote[g]->min)
			continue;
		qsort(mem + base[g], fill[g], sizeof(*mem), member_cmp);
		if (fold_one(f, &folds[nfolds++], mem + base[g], fill[g], gnote[g]))
			goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (!group[i] || fill[group[i]] < gnote[group[i]]->min) {
			wnote[o] = group[i] ? gnote[group[i]] : NULL;
			f->items[o++] = f->items[i];
		}
	for (size_t g = 1, k = 0; g <= ng; g++)
		if (fill[g] >= gnote[g]->min) {
			wnote[o] = gnote[g];
			f->items[o++] = folds[k++];
		}
	f->n = o;
	if (fold_wide(f, wnote))
		goto done;
	qsort(f->items, f->n, sizeof(tm_finding), finding_cmp);
	rc = 0;
done:
	tm_free(wnote);
	tm_free(folds);
	tm_free(mem);
	tm_free(gnote);
	tm_free(fill);
	tm_free(base);
	tm_free(group);
	tm_hmap_dispose(&groups);
	return rc;
}

static long suppression_of(const tm_model *m, const tm_finding *x);

static const char *filled_detect(tm_findings *out, const tm_rule_info *ri, const tm_node *n)
{
	const tm_rule_platform *compose = compose_element(n) ? tm_rule_compose(ri) : NULL;
	const char *rule = compose && compose->detect ? compose->detect : ri->detect;
	if (!n)
		return rule;
	tm_node_id_parts id;
	const char *nid = tm_node_id(n);
	bool parsed = tm_node_id_parse(nid, &id) == 0;
	int ns_len = parsed && id.ns ? (int)id.ns_len : 0;
	const char *ns = parsed && id.ns ? id.ns : "";
	const char *name = parsed && id.name ? id.name : tm_node_name(n);
	switch (tm_node_kind_of(n)) {
	case TM_NODE_ENDPOINT: {
		const char *m = tm_node_attr_str(n, "method"), *p = tm_node_attr_str(n, "path");
		const char *svc = tm_node_attr_str(n, "service");
		const char *gw = tm_node_attr_str(n, "gateway");
		const char *x = tm_node_attr_str(n, "exposure");
		const char *src = gw ? tm_arena_printf(out->arena, "the access log of %s", gw)
				  : x && (strcmp(x, "internet") == 0 || strcmp(x, "partner") == 0)
				      ? "the ingress or API gateway access log"
				      : "the service's request log (or mesh telemetry)";
		return tm_arena_printf(out->arena, "%s: every %s %s request to %s, with caller identity, status and the "
					   "object it names. %s",
					src, m ? m : "", p ? p : tm_node_name(n), svc ? svc : "the service", rule);
	}
	case TM_NODE_IDENTITY:
		if (parsed && id.scheme && id.scheme_len == 3 && strncmp(id.scheme, "k8s", 3) == 0)
			return tm_arena_printf(out->arena, "Kubernetes audit log: requests by system:serviceaccount:%.*s:%s (verb, "
						   "resource, namespace). %s", ns_len, ns, name, rule);
		return tm_arena_printf(out->arena, "the cloud audit trail (CloudTrail or equivalent): calls made as %s. %s",
					tm_node_name(n), rule);
	case TM_NODE_SECRET:
		if (compose_element(n)) /* a compose secret: a file on the host, given to containers */
			return tm_arena_printf(out->arena, "the Docker host's audit log (auditd): reads of the file behind %s, "
						   "and the containers it is given to (`docker events`). %s", name, rule);
		if (tm_node_attr_str(n, "config_file")) /* a file of the repository: no API server holds it */
			return tm_arena_printf(out->arena, "the repository's history and audit log: every commit that "
						   "touches %s (author, date), and clones and forks of the repository. %s",
						tm_node_attr_str(n, "config_file"), rule);
		return tm_arena_printf(out->arena, "Kubernetes audit log (or the secret store's): get, list and watch of %s%s%s, "
					   "and the pods mounting it. %s",
					ns_len ? "" : "", tm_node_name(n), ns_len ? tm_arena_printf(out->arena, " in %.*s", ns_len, ns) : "",
					rule);
	case TM_NODE_QUEUE:
		return tm_arena_printf(out->arena, "the broker's audit log: publishes to and subscriptions on %s, with the "
					   "client identity. %s", tm_node_name(n), rule);
	case TM_NODE_PIPELINE:
		return tm_arena_printf(out->arena, "the CI provider's audit log: runs of %s (trigger, actor, ref) and the "
					   "secrets and tokens they use. %s", name, rule);
	case TM_NODE_DATASTORE:
		return tm_arena_printf(out->arena, "the data store's audit log: connections to and reads of %s, with client "
					   "identity and volume. %s", tm_node_name(n), rule);
	case TM_NODE_GATEWAY:
		return tm_arena_printf(out->arena, "the access log of %s: requests per route, status and client. %s",
					tm_node_name(n), rule);
	case TM_NODE_SERVICE: {
		const char *layer = ri->layer ? ri->layer : "";
		bool traffic = strcmp(layer, "edge") == 0 || strcmp(layer, "service-to-service") == 0 ||
			       strcmp(layer, "egress") == 0 || strcmp(layer, "api") == 0 || strcmp(layer, "data") == 0;
		if (tm_node_attr_str(n, "workload") && traffic)
			return tm_arena_printf(out->arena, "mesh telemetry or the access log of %.*s%s%s: each request's source "
						   "workload or principal, method, path and status. %s",
						ns_len, ns, ns_len ? "/" : "", name, rule);
		if (tm_node_attr_str(n, "workload") && strcmp(tm_node_attr_str(n, "workload"), "CloudRunService") == 0)
			return tm_arena_printf(out->arena, "Cloud Audit Logs for the Cloud Run service %s (Admin Activity: "
						   "services.replaceService, setIamPolicy; Data Access) and its request logs. %s",
						name, rule);
		if (tm_node_attr_str(n, "workload") && strcmp(tm_node_attr_str(n, "workload"), "compose-service") == 0)
			return tm_arena_printf(out->arena, "the Docker daemon's events for the containers of %.*s%s%s (create, "
						   "start, exec, attach: `docker events`) and container runtime events in "
						   "them. %s", ns_len, ns, ns_len ? "/" : "", name, rule);
		if (tm_node_attr_str(n, "workload"))
			return tm_arena_printf(out->arena, "Kubernetes audit and admission events for the pods of %.*s%s%s (create, "
						   "update, exec, attach) and container runtime events in them. %s",
						ns_len, ns, ns_len ? "/" : "", name, rule);
	}
		return tm_arena_printf(out->arena, "the request log of %s (gateway or service): callers and operations. %s",
					tm_node_name(n), rule);
	default:
		return rule;
	}
}

/*
 * What the findings that stand (after folding) say of themselves: the priority's factors and the
 * detection requirement, worked out from the subject (a folded finding's top member) once per
 * finding that is reported, not once per element a rule met.
 */
static int describe(tm_findings *f, const tm_model *m)
{
	static const int base[] = {5, 25, 45, 65, 85};
	for (size_t i = 0; i < f->n; i++) {
		tm_finding *x = &f->items[i];
		const tm_node *n = tm_model_find(m, x->naffected ? x->affected[0].node : x->subject);
		const char **pf = tm_arena_alloc(f->arena, 4 * sizeof(char *));
		if (!pf)
			return TM_ENOMEM;
		size_t k = 0;
		pf[k++] = tm_arena_printf(f->arena, "severity %s: %d", tm_severity_name(x->severity), base[x->severity]);
		int xb = exposure_bonus(m, n);
		const tm_node *host = tm_rules__store_host(m, n);
		const char *xs = host ? tm_node_attr_str(host, "exposure") : NULL;
		if (xb)
			pf[k++] = tm_arena_printf(f->arena, "exposure %s%s: +%d",
						  xs ? xs : xb >= 10 ? "internet-facing" : "not known (counted as cluster)",
						  host && tm_node_attr_str(host, "exposure_assumed") ? " (assumed, counts half)" : "", xb);
		const tm_attr *anon = n ? tm_node_attr_get(n, "anonymous") : NULL;
		if (anon && anon->num)
			pf[k++] = "no credentials needed: +5";
		x->priority_factors = pf;
		if (!x->detect) {
			const char **det = tm_arena_alloc(f->arena, 2 * sizeof(char *));
			if (!det)
				return TM_ENOMEM;
			det[0] = filled_detect(f, x->rule, n);
			if (x->naffected > 1)
				det[0] = tm_arena_printf(f->arena, "%s (The other %zu element%s of this finding need%s the same.)",
							 det[0], x->naffected - 1, x->naffected > 2 ? "s" : "",
							 x->naffected > 2 ? "" : "s");
			x->detect = det;
		}
	}
	return 0;
}

int tm_findings_check(tm_findings **out, const tm_model *m, size_t part, size_t parts)
{
	*out = NULL;
	tm_findings *f = tm_calloc(1, sizeof(*f));
	if (!f || !(f->arena = tm_arena_new()) || !(f->rule_end = tm_calloc(TM_ARRAY_LEN(registry), sizeof(size_t)))) {
		tm_findings_free(f);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < TM_ARRAY_LEN(registry) && !f->oom; i++) {
		if (parts < 2 || i % parts == part) {
			tm_rule_ctx c = {m, &registry[i], f};
			checks[i](&c);
		}
		f->rule_end[i] = f->n;
	}
	if (f->oom || tm_arena_failed(f->arena)) {
		tm_findings_free(f);
		return TM_ENOMEM;
	}
	*out = f;
	return 0;
}

/* The parts' findings in one list, in the table's order of their rules (as one thread running every
 * rule would have made it), into parts[0]; the others are freed, their arenas kept. A fingerprint
 * names its rule, so each fold note comes from the one part that ran that rule. In place: parts[0]'s
 * list grows to hold all, its blocks move to their places from the last to the first (each moves
 * towards the end, past nothing not yet moved), and the other parts' blocks fill the gaps. */
static int merge_parts(tm_findings **parts, size_t nparts)
{
	tm_findings *f = parts[0];
	size_t total = 0;
	for (size_t p = 0; p < nparts; p++)
		total += parts[p]->n;
	size_t nrules = TM_ARRAY_LEN(registry);
	size_t *at = tm_calloc(nrules + 1, sizeof(size_t)); /* each rule's place in the list */
	tm_arena **more = tm_calloc(nparts, sizeof(*more));
	if (!at || !more || TM_GROW(f->items, f->cap, total + 1)) {
		tm_free(at);
		tm_free(more);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < nrules; i++) {
		const tm_findings *q = parts[i % nparts];
		at[i + 1] = at[i] + q->rule_end[i] - (i ? q->rule_end[i - 1] : 0);
	}
	for (size_t i = nrules; i-- > 0;) {
		size_t len = (at[i + 1] - at[i]) * sizeof(*f->items);
		if (i % nparts == 0 && len)
			memmove(f->items + at[i], f->items + (i ? f->rule_end[i - 1] : 0), len);
	}
	for (size_t i = 0; i < nrules; i++) {
		const tm_findings *q = parts[i % nparts];
		size_t len = (at[i + 1] - at[i]) * sizeof(*f->items);
		if (i % nparts && len)
			memcpy(f->items + at[i], q->items + (i ? q->rule_end[i - 1] : 0), len);
	}
	tm_free(at);
	for (size_t p = 1; p < nparts; p++)
		f->folds |= parts[p]->folds;
	f->n = total;
	f->more = more;
	for (size_t p = 1; p < nparts; p++) {
		f->more[f->nmore++] = parts[p]->arena;
		parts[p]->arena = NULL;
		tm_findings_free(parts[p]);
		parts[p] = NULL;
	}
	return 0;
}

int tm_findings_run(tm_findings **out, const tm_model *m)
{
	tm_findings *f = NULL;
	int rc = tm_findings_check(&f, m, 0, 1);
	return rc ? rc : tm_findings_merge(out, &f, 1, m);
}

int tm_findings_merge(tm_findings **out, tm_findings **parts, size_t nparts, const tm_model *m)
{
	*out = NULL;
	tm_findings *f = parts[0];
	if (nparts > 1 && merge_parts(parts, nparts)) {
		for (size_t p = 0; p < nparts; p++)
			tm_findings_free(parts[p]);
		return TM_ENOMEM;
	}
	parts[0] = NULL;
	tm_free(f->rule_end);
	f->rule_end = NULL;
	/* one finding per fingerprint: a rule that met the same subject twice keeps the first */
	if (f->n > 1) {
		qsort(f->items, f->n, sizeof(tm_finding), finding_cmp);
		tm_hmap seen = {0};
		size_t o = 0;
		if (tm_hmap_reserve(&seen, f->n)) {
			tm_findings_free(f);
			return TM_ENOMEM;
		}
		for (size_t i = 0; i < f->n; i++) {
			const char *fp = f->items[i].fingerprint;
			if (tm_hmap_get(&seen, fp, strlen(fp)))
				continue;
			if (tm_hmap_put(&seen, fp, strlen(fp), (void *)fp)) {
				tm_hmap_dispose(&seen);
				tm_findings_free(f);
				return TM_ENOMEM;
			}
			f->items[o++] = f->items[i];
		}
		tm_hmap_dispose(&seen);
		f->n = o;
	}
	/* what a suppression silences is listed on its own, decided, never folded with what stays open */
	for (size_t i = 0; i < f->n; i++)
		if (f->items[i].fold_note_ && suppression_of(m, &f->items[i]) >= 0)
			f->items[i].fold_note_ = NULL;
	int rc = fold_all(f);
	for (size_t i = 0; i < f->n; i++)
		f->items[i].fold_note_ = NULL; /* the rules' own: not for the reports */
	if (!rc)
		rc = describe(f, m);
	if (rc || tm_arena_failed(f->arena)) {
		tm_findings_free(f);
		return TM_ENOMEM;
	}
	*out = f;
	return tm_findings_decide(f, m, NULL, NULL, 0);
}

static int decision_cmp(const void *pa, const void *pb)
{
	const tm_finding_decision *a = pa, *b = pb;
	return strcmp(a->fingerprint, b->fingerprint);
}

static const char *const statuses[TM_STATUS__COUNT] = {"open", "accepted", "mitigated", "false-positive"};

const char *tm_status_name(tm_finding_status s)
{
	return (unsigned)s < TM_STATUS__COUNT ? statuses[s] : "open";
}

int tm_status_parse(const char *name)
{
	for (size_t i = 0; name && i < TM_STATUS__COUNT; i++)
		if (tm_strcaseeq(name, statuses[i]))
			return (int)i;
	return -1;
}

/* One decision in force on x, or lapsed when an acceptance expired before today. */
static void settle(tm_findings *f, tm_finding *x, tm_finding_status st, const char *owner, const char *why,
		   const char *until, const char *source, const char *today)
{
	/* dates are YYYY-MM-DD (tm_date_valid), so text order is time order */
	x->expired = st == TM_STATUS_ACCEPTED && until && today && strcmp(until, today) < 0;
	x->status = x->expired ? TM_STATUS_OPEN : st;
	x->accepted_by = tm_arena_strdup(f->arena, owner);
	x->why = tm_arena_strdup(f->arena, why);
	x->until = tm_arena_strdup(f->arena, until);
	x->decided_in = tm_arena_strdup(f->arena, source);
}

/* The decision in force on one fingerprint: the overlay's acceptance, else the register's latest
 * decision that is not "open". */
typedef struct {
	tm_finding_status status;
	const char *owner, *why, *until, *source;
} decision_src;

static bool decision_of(tm_findings *f, const tm_model *m, const tm_finding_decision *sorted, size_t n,
			const char *fp, decision_src *out)
{
	for (size_t k = 0; k < tm_model_accepted_count(m); k++) {
		const tm_accepted_risk *file = tm_model_accepted(m, k);
		if (!file->fingerprint || strcmp(file->fingerprint, fp) != 0)
			continue;
		char *where = tm_arena_printf(f->arena, "%s:%u:%u", file->loc.path ? file->loc.path : "trustmap.yaml",
					      file->loc.line, file->loc.col);
		*out = (decision_src){TM_STATUS_ACCEPTED, file->owner, file->rationale, file->expires, where};
		return true;
	}
	tm_finding_decision key = {.fingerprint = fp};
	const tm_finding_decision *reg = sorted ? bsearch(&key, sorted, n, sizeof(*sorted), decision_cmp) : NULL;
	if (!reg || reg->status == TM_STATUS_OPEN)
		return false;
	*out = (decision_src){reg->status, reg->owner, reg->why, reg->until, "store"};
	return true;
}

/* Does suppression s take rule r ("TM-CTR-004", or a prefix "TM-CTR-" / "TM-CTR-*")? */
static bool rule_matches(const char *s, const char *r)
{
	size_t n = strlen(s);
	if (n && s[n - 1] == '*')
		return strncmp(s, r, n - 1) == 0;
	if (n && s[n - 1] == '-')
		return strncmp(s, r, n) == 0;
	return strcmp(s, r) == 0;
}

/* The namespace a finding's subject lives in ("namespace:NS" for a fold per namespace). */
static const char *subject_ns(const tm_model *m, const tm_finding *x)
{
	if (x->subject && strncmp(x->subject, "namespace:", 10) == 0)
		return x->subject + 10;
	const tm_node *n = x->subject ? tm_model_find(m, x->subject) : NULL;
	return n ? tm_node_attr_str(n, "namespace") : NULL;
}

static bool path_matches(const char *const *globs, const tm_finding *x)
{
	if (!globs)
		return true;
	for (size_t g = 0; globs[g]; g++)
		for (size_t e = 0; e < x->nevidence; e++)
			if (x->evidence[e].path && fnmatch(globs[g], x->evidence[e].path, 0) == 0)
				return true;
	return false;
}

/* The first suppression that takes x (overlay `suppress:` entries and manifest annotations), its
 * index in the model's accepted list, or -1. */
static long suppression_of(const tm_model *m, const tm_finding *x)
{
	for (size_t k = 0; k < tm_model_accepted_count(m); k++) {
		const tm_accepted_risk *s = tm_model_accepted(m, k);
		if (!s->rule || !rule_matches(s->rule, x->rule->id))
			continue;
		/* an annotated workload: its own findings (what a suppression takes is never folded with
		 * what stays open: tm_findings_run keeps those apart) */
		if (s->subject && (!x->subject || strcmp(x->subject, s->subject) != 0))
			continue;
		const char *ns = s->ns ? subject_ns(m, x) : NULL;
		if (s->ns && (!ns || strcmp(ns, s->ns) != 0))
			continue;
		if (path_matches(s->paths, x))
			return (long)k;
	}
	return -1;
}

/* A fold without a decision of its own: its members' common decision, when every member has one with
 * the same status (its own, or its narrower fold's before a wide fold took it); the earliest expiry
 * wins (the fold lapses when its first member would). */
static bool members_decision(tm_findings *f, const tm_model *m, const tm_finding_decision *sorted, size_t n,
			     const tm_finding *x, decision_src *out)
{
	for (size_t i = 0; i < x->naffected; i++) {
		decision_src d; /* the element's own decision, or the one on the narrower fold it stood in */
		const char *narrow = x->affected[i].fold_fingerprint;
		if (!decision_of(f, m, sorted, n, x->affected[i].fingerprint, &d) &&
		    !(narrow && decision_of(f, m, sorted, n, narrow, &d)))
			return false;
		if (!i)
			*out = d;
		else if (d.status != out->status)
			return false;
		else if (d.until && (!out->until || strcmp(d.until, out->until) < 0))
			out->until = d.until;
	}
	return x->naffected > 0;
}

int tm_findings_decide(tm_findings *f, const tm_model *m, const char *today, const tm_finding_decision *d, size_t n)
{
	tm_finding_decision *sorted = NULL;
	if (n) {
		if (!(sorted = tm_calloc(n, sizeof(*sorted))))
			return TM_ENOMEM;
		memcpy(sorted, d, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), decision_cmp);
	}
	size_t na = tm_model_accepted_count(m);
	tm_free(f->uses);
	tm_free(f->lapsed);
	f->uses = na ? tm_calloc(na, sizeof(size_t)) : NULL;
	f->lapsed = na ? tm_calloc(na, sizeof(bool)) : NULL;
	f->nuses = f->uses && f->lapsed ? na : 0;
	f->today = today ? tm_arena_strdup(f->arena, today) : NULL;
	for (size_t k = 0; k < f->nuses; k++) {
		const tm_accepted_risk *s = tm_model_accepted(m, k);
		f->lapsed[k] = s->rule && s->expires && today && strcmp(s->expires, today) < 0;
	}
	for (size_t i = 0; i < f->n; i++) {
		tm_finding *x = &f->items[i];
		x->status = TM_STATUS_OPEN;
		x->accepted_by = x->why = x->until = x->decided_in = NULL;
		x->expired = x->suppressed = false;
		decision_src ds;
		if (decision_of(f, m, sorted, n, x->fingerprint, &ds) || members_decision(f, m, sorted, n, x, &ds)) {
			settle(f, x, ds.status, ds.owner, ds.why, ds.until, ds.source, today);
			continue;
		}
		/* no decision on the finding itself: a suppression by rule, path, namespace or annotation */
		long k = suppression_of(m, x);
		if (k < 0)
			continue;
		const tm_accepted_risk *s = tm_model_accepted(m, (size_t)k);
		char *where = tm_arena_printf(f->arena, "%s:%u:%u", s->loc.path ? s->loc.path : "trustmap.yaml", s->loc.line,
					      s->loc.col);
		settle(f, x, TM_STATUS_ACCEPTED, s->owner, s->rationale, s->expires, where, today);
		x->suppressed = true;
		if (f->uses && (size_t)k < f->nuses)
			f->uses[k]++;
	}
	tm_free(sorted);
	return tm_arena_failed(f->arena) ? TM_ENOMEM : 0;
}

const char *tm_findings_weigh_workload(const tm_model *m, const char *subject)
{
	const tm_node *n = subject ? tm_model_find(m, subject) : NULL;
	if (!n)
		return NULL;
	return tm_node_kind_of(n) == TM_NODE_ENDPOINT ? tm_node_attr_str(n, "service") : tm_node_id(n);
}

/* What a compromise at the finding's subject reaches: the blast radius of its workload. */
static const tm_blast_entry *blast_of(const tm_model *m, const tm_hmap *by_workload, const char *subject)
{
	const char *w = tm_findings_weigh_workload(m, subject);
	return w ? tm_hmap_get(by_workload, w, strlen(w)) : NULL;
}

/* Append factor (and, when the band held the priority back, a note of it) to x's factors. */
static int add_factor(tm_findings *f, tm_finding *x, const char *factor, int want)
{
	size_t nf = 0;
	while (x->priority_factors && x->priority_factors[nf])
		nf++;
	const char **pf = tm_arena_alloc(f->arena, (nf + 3) * sizeof(char *));
	if (!pf || !factor)
		return TM_ENOMEM;
	if (nf)
		memcpy(pf, x->priority_factors, nf * sizeof(char *));
	pf[nf] = factor;
	if (want > x->priority)
		pf[nf + 1] = tm_arena_printf(f->arena, "kept within the %s band: %d", tm_severity_name(x->severity), x->priority);
	x->priority_factors = pf;
	return 0;
}

/* How many paths a fix at each finding's subject cuts: the other findings whose attack path passes
 * through that node on the way to its end (neither the entry nor the target: a fix there stops the
 * walk; a fix at a path's end does not). Folded findings hold elements, not a path, and count for
 * none. One pass over every path (each at most TM_EMIT_MAX long): linear in their total length. */
static int weigh_paths(tm_findings *f)
{
	tm_hmap through = TM_HMAP_INIT; /* node id -> findings whose path crosses it (past the entry) */
	int rc = 0;
	for (size_t i = 0; i < f->n && !rc; i++) {
		/* a folded finding's path lists the elements it holds on, not a route an attacker takes */
		const char *const *p = f->items[i].naffected ? NULL : f->items[i].path;
		for (size_t k = 1; p && p[0] && p[k] && p[k + 1] && !rc; k++) {
			bool again = false; /* a node twice on one path counts once */
			for (size_t j = 1; j < k && !again; j++)
				again = strcmp(p[j], p[k]) == 0;
			uintptr_t n = again ? 0 : (uintptr_t)tm_hmap_get(&through, p[k], strlen(p[k]));
			if (!again && tm_hmap_put(&through, p[k], strlen(p[k]), (void *)(n + 1)))
				rc = TM_ENOMEM;
		}
	}
	for (size_t i = 0; i < f->n && !rc; i++) {
		tm_finding *x = &f->items[i];
		if (!x->subject)
			continue;
		size_t n = (uintptr_t)tm_hmap_get(&through, x->subject, strlen(x->subject));
		/* its own path is not one it cuts (a folded finding's was not counted: it holds elements) */
		for (size_t k = 1; n && !x->naffected && x->path && x->path[0] && x->path[k] && x->path[k + 1]; k++)
			if (strcmp(x->path[k], x->subject) == 0) {
				n--;
				break;
			}
		if (!n)
			continue;
		int bonus = n > 5 ? 10 : 2 * (int)n;
		int want = x->priority + bonus;
		x->priority = band(x->severity, want);
		rc = add_factor(f, x,
				tm_arena_printf(f->arena, "fixing %s cuts %zu attack path%s of other findings: +%d", x->subject, n,
						n == 1 ? "" : "s", bonus),
				want);
	}
	tm_hmap_dispose(&through);
	return rc;
}

/*
 * Admission control (ingest/k8s_admission.c): a posture finding (TM-CTR-*) on a workload that an
 * enforcing control would refuse describes a manifest the cluster does not admit as written: it
 * drops ADMISSION_DROP points (never below 0), the control shown; a folded finding drops when every
 * member would be refused, else says how many would. Audit-only controls are noted, without weight.
 * Run last, so no later bonus undoes it.
 */
#define ADMISSION_DROP 20

/* The admission checks (ingest/k8s_admission.c's names, after "refuses: "), in its order (the gravest
 * first), with the posture rule reporting what each refuses: a finding cites the check about what it
 * reports when one refuses the workload, else the gravest. */
static const struct {
	const char *check, *rule;
} ADMISSION_CHECKS[] = {
	{"privileged", "TM-CTR-001"},
	{"host path", "TM-CTR-001"},
	{"host network", "TM-CTR-001"},
	{"host PID or IPC", "TM-CTR-001"},
	{"host port", "TM-CTR-001"},
	{"capabilities beyond the baseline set", "TM-CTR-003"},
	{"capabilities other than NET_BIND_SERVICE, or ALL not dropped", "TM-CTR-003"},
	{"may run as root", "TM-CTR-002"},
	{"privilege escalation allowed", "TM-CTR-002"},
	{"unconfined seccomp or AppArmor", "TM-CTR-003"},
	{"image on a moving tag", "TM-CTR-004"},
};

/* The entry of list (admission_refused or admission_audited: "<control>, refuses: <check>") to cite
 * on a finding of rule; NULL when the list is empty. */
static const char *admission_cite(const char *rule, const tm_attr *list)
{
	if (!list || list->type != TM_ATTR_LIST || !list->list || !list->list[0])
		return NULL;
	const char *best = list->list[0];
	size_t best_rank = SIZE_MAX;
	for (size_t i = 0; list->list[i]; i++) {
		const char *check = strrchr(list->list[i], ':'); /* "... refuses: X", "... admits: X" */
		for (size_t k = 0; check && check[1] && k < TM_ARRAY_LEN(ADMISSION_CHECKS); k++) {
			if (strcmp(check + 2, ADMISSION_CHECKS[k].check) != 0)
				continue;
			size_t rank = k + (strcmp(ADMISSION_CHECKS[k].rule, rule) == 0 ? 0 : TM_ARRAY_LEN(ADMISSION_CHECKS));
			if (rank < best_rank) {
				best_rank = rank;
				best = list->list[i];
			}
		}
	}
	return best;
}

static int weigh_admission(tm_findings *f, const tm_model *m)
{
	for (size_t i = 0; i < f->n; i++) {
		tm_finding *x = &f->items[i];
		if (strncmp(x->rule->id, "TM-CTR-", 7) != 0)
			continue;
		size_t nm = x->naffected ? x->naffected : 1, refused = 0;
		const char *first = NULL, *audit = NULL;
		for (size_t k = 0; k < nm; k++) {
			const tm_node *n = tm_model_find(m, x->naffected ? x->affected[k].node : x->subject);
			const tm_attr *r = n ? tm_node_attr_get(n, "admission_refused") : NULL;
			const tm_attr *a = n ? tm_node_attr_get(n, "admission_audited") : NULL;
			const char *cite = admission_cite(x->rule->id, r);
			if (cite) {
				refused++;
				if (!first)
					first = cite;
			}
			if (!audit)
				audit = admission_cite(x->rule->id, a);
		}
		int rc = 0;
		if (refused == nm) {
			int was = x->priority;
			x->priority = was > ADMISSION_DROP ? was - ADMISSION_DROP : 0;
			rc = add_factor(f, x,
					tm_arena_printf(f->arena, "admission: %s%s - this manifest would be refused: -%d", first,
							nm > 1 ? " (and for every other workload of this finding)" : "",
							was - x->priority),
					0);
		} else if (refused) {
			rc = add_factor(f, x,
					tm_arena_printf(f->arena, "admission: %zu of %zu workloads would be refused (%s): +0", refused,
							nm, first),
					0);
		} else if (audit) {
			rc = add_factor(f, x, tm_arena_printf(f->arena, "admission: %s (audit only): +0", audit), 0);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int tm_findings_weigh(tm_findings *f, const tm_model *m, const struct tm_blast *blast)
{
	int rc = tm_findings_weigh_paths(f);
	return rc ? rc : tm_findings_weigh_rest(f, m, blast, NULL);
}

int tm_findings_weigh_paths(tm_findings *f)
{
	return f && f->n ? weigh_paths(f) : 0;
}

/* The blast radius's weight on the findings only[] marks (NULL: all): each takes its worst member's
 * walk, within its band. 0 or TM_ENOMEM. */
static int weigh_blast(tm_findings *f, const tm_model *m, const struct tm_blast *blast, const bool *only)
{
	tm_hmap by_workload = TM_HMAP_INIT;
	for (size_t i = 0; i < tm_blast_count(blast); i++) {
		const tm_blast_entry *b = tm_blast_at(blast, i);
		if (b->workload && tm_hmap_put(&by_workload, b->workload, strlen(b->workload), (void *)b)) {
			tm_hmap_dispose(&by_workload);
			return TM_ENOMEM;
		}
	}
	for (size_t i = 0; i < f->n; i++) {
		tm_finding *x = &f->items[i];
		if (only && !only[i])
			continue;
		/* a folded finding weighs its worst member */
		const tm_blast_entry *b = NULL;
		int best = 0;
		size_t nm = x->naffected ? x->naffected : 1;
		for (size_t k = 0; k < nm; k++) {
			const tm_blast_entry *y = blast_of(m, &by_workload, x->naffected ? x->affected[k].node : x->subject);
			if (!y)
				continue;
			int w = (int)(4 * y->count[TM_BLAST_CROWN_JEWELS] + 2 * y->count[TM_BLAST_STORES] +
				      y->count[TM_BLAST_SECRETS] + y->count[TM_BLAST_CAPABILITIES]);
			if (!b || w > best)
				b = y, best = w;
		}
		if (!b || !best)
			continue;
		int bonus = best > 15 ? 15 : best;
		int want = x->priority + bonus;
		x->priority = band(x->severity, want);
		if (add_factor(f, x,
			       tm_arena_printf(f->arena,
					       "blast radius of %s: %zu crown jewels, %zu stores, %zu secrets, %zu dangerous grants: +%d",
					       b->workload, b->count[TM_BLAST_CROWN_JEWELS], b->count[TM_BLAST_STORES],
					       b->count[TM_BLAST_SECRETS], b->count[TM_BLAST_CAPABILITIES], bonus),
			       want)) {
			tm_hmap_dispose(&by_workload);
			return TM_ENOMEM;
		}
	}
	tm_hmap_dispose(&by_workload);
	return 0;
}

int tm_findings_weigh_rest(tm_findings *f, const tm_model *m, const struct tm_blast *blast, const bool *only)
{
	if (!f || !f->n)
		return 0;
	int rc = blast ? weigh_blast(f, m, blast, only) : 0;
	if (!rc)
		rc = weigh_admission(f, m);
	if (!rc && f->n > 1)
		qsort(f->items, f->n, sizeof(tm_finding), finding_cmp);
	return rc;
}
