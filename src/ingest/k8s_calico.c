/*
 * k8s_calico.c - Calico's NetworkPolicy and GlobalNetworkPolicy (projectcalico.org/v3, and the
 * CRD form crd.projectcalico.org/v1) into the policy model's NetworkPolicy table, so the evaluator
 * (analyze/query.c), the isolation facts and the rules read them as they read NetworkPolicy
 * (k8s_cilium.c does the same for Cilium's).
 *
 * What Calico does and how it is written here:
 * - a policy selects endpoints by `selector` (a Calico selector expression; absent: all()), in its
 *   own namespace (NetworkPolicy) or in every namespace (GlobalNetworkPolicy; its namespaceSelector
 *   narrows that, kept as the entry's ns_sel and matched on the namespace's labels);
 * - `types` says the directions it puts the selected endpoints in default deny for; absent, Calico
 *   takes Egress alone when only egress rules are written, both when both are, else Ingress;
 * - an Allow rule admits the peers its source (ingress) or destination (egress) names - selector,
 *   namespaceSelector, nets, services - on the destination's ports for its protocol; a rule naming
 *   no peer admits every peer; `- action: Allow` alone admits everything;
 * - selector expressions are read by a small parser (parse_selector) into the conjunction of
 *   requirements the model holds: all(), k == 'v', k != 'v', has(k), !has(k), k in {..},
 *   k not in {..}, joined by && and parenthesised. What is outside it (||, a negated expression,
 *   contains, starts with, global()) is a located warning, and the selector selects nothing.
 *   Length, nesting and term counts are bounded (SEL_*): a longer one is a TM_ELIMIT warning;
 * - projectcalico.org/name in a namespace selector is the namespace's name; projectcalico.org/namespace
 *   and pcns.<key> in an endpoint selector are conditions on its namespace.
 * Read wider than Calico enforces it, and said in a note on the policy: Deny rules and the order
 * between policies (not evaluated: what a Deny denies is admitted when an Allow admits it), HTTP
 * matches (every request on the port), notSelector, notNets, notPorts and notProtocol, source ports,
 * nets beside a selector, a rule's own selector on the policy's endpoints (the rule is read for every
 * endpoint the policy selects). Read narrower, and said: Pass rules (the next tier decides; read as
 * admitting nothing), a peer's serviceAccounts.selector and a policy's serviceAccountSelector (select
 * no pod here), a Service peer the scan does not hold. A peer's serviceAccounts.names is exact: the pod's
 * service account must be one of them. Policies for host endpoints only (preDNAT,
 * doNotTrack, applyOnForward with a HostEndpoint) are left out with a note; HostEndpoint objects
 * are not modelled.
 */
#include <stdlib.h>

#include "k8s.h"

/* Bounds on one selector expression (untrusted input, also what the fuzzer feeds). */
#define SEL_MAX_LEN 4096   /* characters */
#define SEL_MAX_DEPTH 32   /* nested parentheses and negations */
#define SEL_MAX_TERMS 128  /* requirements in the conjunction */
#define SEL_MAX_VALUES 256 /* values of one `in {...}` set */

#define NS_NAME "kubernetes.io/metadata.name"

struct cal {
	tm_ingest_ctx *ctx;
	tm_arena *a;
	struct tm_k8s *k;
	const struct tm_k8s_obj *o;
	bool global;      /* a GlobalNetworkPolicy */
	const char *kind; /* as the report names it */
	tm_strbuf wider;  /* what is read wider than Calico enforces it, for the note */
	tm_strbuf narrower;
};


/* ---- selector expressions ------------------------------------------------ */

struct sp {
	tm_arena *a;
	const char *s;
	size_t i, len;
	int depth;
	const char *err; /* the first thing not read, NULL while all is well */
	size_t err_at;
	int err_code;    /* TM_EINVALID, or TM_ELIMIT for a bound */
	tm_sel_req *reqs;
	size_t n;
	bool none; /* global(): no endpoint of a namespace (no pod) */
};

static void sp_fail(struct sp *p, const char *what, int code)
{
	if (!p->err) {
		p->err = what;
		p->err_at = p->i;
		p->err_code = code;
	}
}

static void ws(struct sp *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static bool lit(struct sp *p, const char *t)
{
	ws(p);
	size_t n = strlen(t);
	if (p->len - p->i >= n && strncmp(p->s + p->i, t, n) == 0) {
		p->i += n;
		return true;
	}
	return false;
}

static bool key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
	       ch == '.' || ch == '-' || ch == '/';
}

/* A word (a label key, or a keyword such as in, not, has): NULL when none stands here. */
static const char *word(struct sp *p)
{
	ws(p);
	size_t start = p->i;
	while (p->i < p->len && key_char(p->s[p->i]))
		p->i++;
	return p->i > start ? tm_arena_strndup(p->a, p->s + start, p->i - start) : NULL;
}

/* Is the next word w (without taking it unless it is)? */
static bool keyword(struct sp *p, const char *w)
{
	ws(p);
	size_t n = strlen(w);
	if (p->len - p->i >= n && strncmp(p->s + p->i, w, n) == 0 && (p->i + n == p->len || !key_char(p->s[p->i + n]))) {
		p->i += n;
		return true;
	}
	return false;
}

/* A quoted string, '...' or "..." (Calico has no escapes in them). */
static const char *quoted(struct sp *p)
{
	ws(p);
	if (p->i >= p->len || (p->s[p->i] != '"' && p->s[p->i] != '\'')) {
		sp_fail(p, "a quoted value was expected", TM_EINVALID);
		return NULL;
	}
	char q = p->s[p->i++];
	size_t start = p->i;
	while (p->i < p->len && p->s[p->i] != q)
		p->i++;
	if (p->i >= p->len) {
		p->i = start - 1;
		sp_fail(p, "a quoted value is not closed", TM_EINVALID);
		return NULL;
	}
	return tm_arena_strndup(p->a, p->s + start, p->i++ - start);
}

static tm_sel_req *req(struct sp *p, const char *key, int op)
{
	if (p->n >= SEL_MAX_TERMS) {
		sp_fail(p, "more conditions than trustmap reads in one selector (128)", TM_ELIMIT);
		return NULL;
	}
	tm_sel_req *r = &p->reqs[p->n++];
	memset(r, 0, sizeof(*r));
	r->key = key;
	r->op = op;
	return r;
}

static void one_value(struct sp *p, tm_sel_req *r, const char *v)
{
	r->values.present = true;
	r->values.items = tm_arena_alloc(p->a, sizeof(char *));
	if (r->values.items && v) {
		r->values.items[0] = v;
		r->values.n = 1;
	}
}

/* {'a', 'b'}: the values of an in / not in. */
static void value_set(struct sp *p, tm_sel_req *r)
{
	if (!lit(p, "{")) {
		sp_fail(p, "a set of values in braces ({'a', 'b'}) was expected", TM_EINVALID);
		return;
	}
	const char *items[SEL_MAX_VALUES];
	size_t n = 0;
	r->values.present = true;
	for (bool first = true; !lit(p, "}"); first = false) {
		if (!first && !lit(p, ",")) {
			sp_fail(p, "',' or '}' was expected in a set of values", TM_EINVALID);
			return;
		}
		const char *v = quoted(p);
		if (!v)
			return;
		if (n >= SEL_MAX_VALUES) {
			sp_fail(p, "more values in one set than trustmap reads (256)", TM_ELIMIT);
			return;
		}
		items[n++] = v;
	}
	/* the set kept at its size: a policy table holds many selectors */
	if (n && (r->values.items = tm_arena_alloc(p->a, n * sizeof(char *)))) {
		memcpy(r->values.items, items, n * sizeof(char *));
		r->values.n = n;
	}
}

static void conjunction(struct sp *p);

/* One term of the conjunction. */
static void term(struct sp *p)
{
	ws(p);
	if (p->i >= p->len) {
		sp_fail(p, "the expression ends where a condition was expected", TM_EINVALID);
		return;
	}
	if (lit(p, "(")) {
		if (++p->depth > SEL_MAX_DEPTH) {
			sp_fail(p, "parentheses nested deeper than trustmap reads (32)", TM_ELIMIT);
			return;
		}
		conjunction(p);
		p->depth--;
		if (!p->err && !lit(p, ")"))
			sp_fail(p, "')' was expected", TM_EINVALID);
		return;
	}
	size_t at = p->i;
	if (lit(p, "!")) {
		if (keyword(p, "has") && lit(p, "(")) {
			const char *k = word(p);
			if (!k || !lit(p, ")")) {
				sp_fail(p, "has(key) takes one label key", TM_EINVALID);
				return;
			}
			req(p, k, TM_SEL_NOT_EXISTS);
			return;
		}
		p->i = at;
		sp_fail(p, "a negated expression (only !has(key) is read)", TM_EINVALID);
		return;
	}
	if (keyword(p, "all") && lit(p, "(") && lit(p, ")"))
		return; /* every endpoint: no requirement */
	p->i = at;
	if (keyword(p, "global") && lit(p, "(") && lit(p, ")")) {
		p->none = true; /* non-namespaced endpoints (hosts, network sets): no pod */
		return;
	}
	p->i = at;
	if (keyword(p, "has") && lit(p, "(")) {
		const char *k = word(p);
		if (!k || !lit(p, ")")) {
			sp_fail(p, "has(key) takes one label key", TM_EINVALID);
			return;
		}
		req(p, k, TM_SEL_EXISTS);
		return;
	}
	p->i = at;
	const char *k = word(p);
	if (!k) {
		sp_fail(p, "a label key, all(), has(key) or '(' was expected", TM_EINVALID);
		return;
	}
	tm_sel_req *r;
	if (lit(p, "==")) {
		const char *v = quoted(p);
		if (v && (r = req(p, k, TM_SEL_IN)))
			one_value(p, r, v);
	} else if (lit(p, "!=")) {
		const char *v = quoted(p); /* Calico's != holds for an endpoint without the label too, as NotIn */
		if (v && (r = req(p, k, TM_SEL_NOT_IN)))
			one_value(p, r, v);
	} else if (keyword(p, "in")) {
		if ((r = req(p, k, TM_SEL_IN)))
			value_set(p, r);
	} else if (keyword(p, "not")) {
		if (!keyword(p, "in")) {
			sp_fail(p, "'not in' was expected", TM_EINVALID);
			return;
		}
		if ((r = req(p, k, TM_SEL_NOT_IN)))
			value_set(p, r);
	} else if (keyword(p, "contains") || keyword(p, "starts") || keyword(p, "ends")) {
		p->i = at + strlen(k);
		ws(p);
		sp_fail(p, "a substring match (contains, starts with, ends with)", TM_EINVALID);
	} else {
		sp_fail(p, "an operator (==, !=, in, not in) was expected", TM_EINVALID);
	}
}

static void conjunction(struct sp *p)
{
	term(p);
	while (!p->err) {
		ws(p);
		if (lit(p, "&&")) {
			term(p);
			continue;
		}
		if (p->len - p->i >= 2 && strncmp(p->s + p->i, "||", 2) == 0)
			sp_fail(p, "'||' (either of two conditions)", TM_EINVALID);
		return;
	}
}

/* Parse Calico selector expression text into out (present; n == 0: every endpoint). What is not read
 * leaves out invalid (selects nothing) and is a warning at v naming the character; what: the field,
 * for the message; then: what follows for the policy. */
static void parse_selector(struct cal *c, const tm_value *v, const char *what, const char *then, tm_selector *out)
{
	memset(out, 0, sizeof(*out));
	out->present = true;
	tm_loc loc = tm_ingest__loc(c->o->f, v);
	size_t len = 0;
	if (tm_scalar_type_of(v) == TM_SCALAR_NULL)
		return; /* `selector:` left empty: every endpoint, as absent */
	const char *s = tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, &len) : NULL;
	if (!s) {
		out->invalid = true;
		tm_diag_add(c->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, loc,
			    "%s '%s': %s must be a selector expression (a string); %s", c->kind, c->o->name, what, then);
		return;
	}
	if (len > SEL_MAX_LEN) {
		out->invalid = true;
		tm_diag_add(c->ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, loc,
			    "%s '%s': %s is %zu characters, longer than trustmap reads (%d); %s", c->kind,
			    c->o->name, what, len, SEL_MAX_LEN, then);
		return;
	}
	tm_sel_req reqs[SEL_MAX_TERMS]; /* parsed here, kept at their count */
	struct sp p = {c->a, s, 0, len, 0, NULL, 0, 0, reqs, 0, false};
	ws(&p);
	if (p.i == p.len)
		return; /* an empty selector: Calico's default, every endpoint */
	conjunction(&p);
	ws(&p);
	if (!p.err && p.i < p.len)
		sp_fail(&p, "text after the expression", TM_EINVALID);
	if (p.err) {
		out->invalid = true;
		/* the caret at the character, when the value is one line the location's column starts
		 * (a quoted value's escapes would move it: then at the value) */
		if (loc.col && !memchr(s, '\n', p.err_at) && !memchr(s, '\\', p.err_at))
			loc.col += (uint32_t)p.err_at;
		tm_diag_add(c->ctx->diags, p.err_code, TM_LEVEL_WARNING, loc,
			    "%s '%s': %s \"%.60s%s\" is not read at character %zu: %s; %s", c->kind, c->o->name, what, s,
			    len > 60 ? "..." : "", p.err_at + 1, p.err, then);
		return;
	}
	out->invalid = p.none;
	if (p.n && !(out->reqs = tm_arena_alloc(c->a, p.n * sizeof(tm_sel_req)))) {
		out->invalid = true; /* out of memory: the scan's arena check reports it */
		return;
	}
	if (p.n)
		memcpy(out->reqs, reqs, p.n * sizeof(tm_sel_req));
	out->n = p.n;
}

/* Split an endpoint selector into the pods' requirements (kept in pods) and their namespace's, into
 * nss (projectcalico.org/namespace is its name, pcns.<key> its labels). */
static void split(struct cal *c, tm_selector *pods, tm_selector *nss)
{
	memset(nss, 0, sizeof(*nss));
	if (!pods->n)
		return;
	nss->reqs = tm_arena_alloc(c->a, pods->n * sizeof(tm_sel_req));
	if (!nss->reqs) {
		pods->invalid = true;
		return;
	}
	size_t kept = 0;
	for (size_t i = 0; i < pods->n; i++) {
		tm_sel_req r = pods->reqs[i];
		if (strcmp(r.key, "projectcalico.org/namespace") == 0) {
			r.key = NS_NAME;
			nss->reqs[nss->n++] = r;
		} else if (strncmp(r.key, "pcns.", 5) == 0) {
			r.key += 5;
			nss->reqs[nss->n++] = r;
		} else if (strcmp(r.key, "projectcalico.org/orchestrator") == 0) {
			continue; /* every pod of the model is Kubernetes' */
		} else {
			if (strcmp(r.key, "projectcalico.org/serviceaccount") == 0 || strncmp(r.key, "pcsa.", 5) == 0)
				tm_k8s__said(&c->narrower, "a selector on a service account (selects no pod here)");
			pods->reqs[kept++] = r;
		}
	}
	pods->n = kept;
	nss->present = nss->n > 0;
}

/* A namespace selector: projectcalico.org/name is the namespace's name. */
static void ns_selector(struct cal *c, const tm_value *v, const char *then, tm_selector *out)
{
	parse_selector(c, v, "namespaceSelector", then, out);
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->reqs[i].key, "projectcalico.org/name") == 0)
			out->reqs[i].key = NS_NAME;
}

/* nss and more ANDed into one selector (both present: requirements of both). */
static void and_into(struct cal *c, tm_selector *into, const tm_selector *more)
{
	if (!more->present)
		return;
	if (!into->present) {
		*into = *more;
		return;
	}
	tm_sel_req *r = tm_arena_alloc(c->a, (into->n + more->n + 1) * sizeof(*r));
	if (!r) {
		into->invalid = true;
		return;
	}
	if (into->n)
		memcpy(r, into->reqs, into->n * sizeof(*r));
	if (more->n)
		memcpy(r + into->n, more->reqs, more->n * sizeof(*r));
	into->reqs = r;
	into->n += more->n;
	into->invalid |= more->invalid;
}

/* The namespace named ns, as a selector on namespaces. */
static tm_selector ns_named(struct cal *c, const char *ns)
{
	tm_selector s = {true, tm_arena_alloc(c->a, sizeof(tm_sel_req)), 0, false};
	if (!s.reqs) {
		s.invalid = true;
		return s;
	}
	s.reqs[0].key = NS_NAME;
	s.reqs[0].op = TM_SEL_IN;
	s.reqs[0].values.present = true;
	s.reqs[0].values.items = tm_arena_alloc(c->a, sizeof(char *));
	if (s.reqs[0].values.items) {
		s.reqs[0].values.items[0] = tm_pm_strdup(c->a, ns);
		s.reqs[0].values.n = 1;
	}
	s.n = 1;
	return s;
}

/* ---- rules ---------------------------------------------------------------- */

/* The pods a Service peer ({name, namespace}) selects, through the Service the scan holds. */
static void service_peer(struct cal *c, tm_np_rule *r, size_t cap, const tm_value *svc)
{
	const char *name = tm_map_get_str(svc, "name");
	const char *ns = tm_map_get_str(svc, "namespace");
	if (!ns)
		ns = c->global ? NULL : c->o->ns;
	char *key = name && ns ? tm_arena_printf(c->k->arena, "%s/%s", ns, name) : NULL;
	const struct tm_k8s_svc *t = key ? tm_hmap_get(&c->k->services, key, strlen(key)) : NULL;
	const tm_value *sel = t ? tm_map_get(tm_map_get(t->svc->v, "spec"), "selector") : NULL;
	tm_np_peer *p = tm_k8s__add_peer(r, cap);
	if (!p)
		return;
	p->loc = tm_ingest__loc(c->o->f, svc);
	p->pods.present = true;
	if (!sel || tm_value_kind_of(sel) != TM_VALUE_MAP || !tm_value_len(sel)) {
		p->pods.invalid = true;
		tm_k8s__said(&c->narrower, "a services peer the scan holds no selecting Service for (admits no pod)");
		return;
	}
	tm_labels l;
	tm_ingest__labels(c->a, sel, &l);
	p->pods.reqs = tm_arena_alloc(c->a, (l.n + 1) * sizeof(tm_sel_req));
	for (size_t i = 0; p->pods.reqs && i < l.n; i++) {
		tm_sel_req *q = &p->pods.reqs[p->pods.n++];
		q->key = l.items[i].key;
		q->op = TM_SEL_IN;
		q->values.present = true;
		q->values.items = tm_arena_alloc(c->a, sizeof(char *));
		if (q->values.items)
			q->values.items[q->values.n++] = l.items[i].value;
	}
	p->nss = ns_named(c, ns);
}

/* The peer side of a rule (an ingress rule's source, an egress rule's destination) into r's peers;
 * false when it names no peer (every peer). */
static bool peer_side(struct cal *c, tm_np_rule *r, const tm_value *e)
{
	const tm_value *sel = tm_map_get(e, "selector"), *nsel = tm_map_get(e, "namespaceSelector");
	const tm_value *nets = tm_map_get(e, "nets"), *sas = tm_map_get(e, "serviceAccounts");
	const tm_value *svc = tm_map_get(e, "services");
	if (tm_map_get(e, "notSelector") || tm_map_get(e, "notNets"))
		tm_k8s__said(&c->wider, "notSelector and notNets (not applied)");
	if (!sel && !nsel && !nets && !sas && !svc)
		return false;
	size_t cap = 1 + tm_value_len(nets);
	r->peers = tm_arena_alloc(c->a, cap * sizeof(tm_np_peer));
	if (!r->peers)
		return true;
	if (svc) {
		service_peer(c, r, cap, svc);
		return true;
	}
	const char *then = "the peer admits nothing";
	if (sel || nsel || sas) {
		tm_np_peer *p = tm_k8s__add_peer(r, cap);
		if (!p)
			return true;
		p->loc = tm_ingest__loc(c->o->f, sel ? sel : nsel ? nsel : sas);
		if (sel)
			parse_selector(c, sel, "selector", then, &p->pods);
		else
			p->pods.present = true;
		tm_selector in_sel;
		split(c, &p->pods, &in_sel);
		if (nsel)
			ns_selector(c, nsel, then, &p->nss);
		and_into(c, &p->nss, &in_sel);
		if (!c->global && !nsel && in_sel.present) {
			tm_selector own = ns_named(c, c->o->ns); /* without namespaceSelector: the policy's own */
			and_into(c, &p->nss, &own);
		}
		if (c->global && !p->nss.present)
			p->nss.present = true; /* a global policy's selector: endpoints of any namespace */
		if (sas) {
			/* names: the pod's service account, as the workloads hold it; a selector on the
			 * accounts' labels is not known */
			p->sas = tm_ingest__strs(c->a, tm_map_get(sas, "names"));
			if (tm_map_get(sas, "selector")) {
				p->pods.invalid = true;
				tm_k8s__said(&c->narrower, "serviceAccounts.selector on a peer (selects no pod here)");
			} else if (!p->sas.present) {
				p->sas.present = true; /* neither: no account named, none matches */
			}
		}
		if (nets)
			tm_k8s__said(&c->wider, "nets beside a selector (not applied)");
		return true;
	}
	for (size_t i = 0; i < tm_value_len(nets); i++) {
		const char *cidr = tm_scalar_str(tm_seq_at(nets, i), NULL);
		tm_np_peer *p = cidr ? tm_k8s__add_peer(r, cap) : NULL;
		if (p) {
			p->cidr = tm_pm_strdup(c->a, cidr);
			p->loc = tm_ingest__loc(c->o->f, tm_seq_at(nets, i));
		}
	}
	return true;
}

/* Is every requirement of s one of pol's (so s narrows nothing the policy did not)? */
static bool implied(const tm_selector *s, const tm_selector *pol)
{
	if (s->invalid)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		bool found = false;
		for (size_t k = 0; k < pol->n && !found; k++) {
			const tm_sel_req *a = &s->reqs[i], *b = &pol->reqs[k];
			found = a->op == b->op && strcmp(a->key, b->key) == 0 && a->values.n == b->values.n;
			for (size_t v = 0; found && v < a->values.n; v++)
				found = strcmp(a->values.items[v], b->values.items[v]) == 0;
		}
		if (!found)
			return false;
	}
	return true;
}

/* The side of a rule on the policy's own endpoints (an ingress rule's destination, an egress rule's
 * source): a condition narrowing the endpoints the rule is for is not held per rule. */
static void own_side(struct cal *c, const tm_value *e, const tm_selector *pods)
{
	const tm_value *sel = tm_map_get(e, "selector");
	if (sel) {
		tm_selector s;
		parse_selector(c, sel, "selector", "read as the policy's own", &s);
		if (!implied(&s, pods))
			tm_k8s__said(&c->wider, "a rule's selector on the policy's own endpoints (the rule is read for every "
					"endpoint the policy selects)");
	}
	if (tm_map_get(e, "namespaceSelector") || tm_map_get(e, "nets") || tm_map_get(e, "serviceAccounts") ||
	    tm_map_get(e, "services") || tm_map_get(e, "notSelector") || tm_map_get(e, "notNets"))
		tm_k8s__said(&c->wider, "a rule's condition on the policy's own endpoints (read for every endpoint it selects)");
}

/* A port as Calico writes it: 80, "80", "8000:8080", or a named port. */
static void one_port(struct cal *c, tm_np_port *p, const tm_value *v)
{
	int64_t num;
	if (!tm_scalar_int(v, &num)) {
		p->port = (int)num;
		return;
	}
	const char *s = tm_scalar_str(v, NULL);
	if (!s)
		return;
	size_t d = strspn(s, "0123456789");
	if (d && d <= 5 && !s[d]) {
		p->port = (int)strtol(s, NULL, 10);
	} else if (d && d <= 5 && s[d] == ':' && strspn(s + d + 1, "0123456789") == strlen(s + d + 1) &&
		   strlen(s + d + 1) >= 1 && strlen(s + d + 1) <= 5) {
		p->port = (int)strtol(s, NULL, 10);
		p->end_port = (int)strtol(s + d + 1, NULL, 10);
	} else {
		p->name = tm_pm_strdup(c->a, s);
	}
}

/* Calico's protocol: a name or its number. */
static const char *protocol(struct cal *c, const tm_value *v)
{
	int64_t num;
	if (!tm_scalar_int(v, &num))
		return num == 6 ? "TCP" : num == 17 ? "UDP" : num == 132 ? "SCTP" : tm_arena_printf(c->a, "%lld", (long long)num);
	const char *s = tm_scalar_str(v, NULL);
	return s && tm_strcaseeq(s, "TCP") ? "TCP" : tm_pm_strdup(c->a, s ? s : "");
}

/* The ports of a rule: the destination's, for the rule's protocol (absent: every protocol, read as
 * TCP as the evaluator asks; written without ports: every port of that protocol). */
static void ports(struct cal *c, tm_np_rule *r, const tm_value *rule, const tm_value *dst)
{
	const tm_value *proto = tm_map_get(rule, "protocol");
	const tm_value *list = tm_map_get(dst, "ports");
	size_t n = tm_value_len(list);
	if (!proto && !n)
		return; /* every port of every protocol */
	r->ports_present = true;
	r->ports = tm_arena_alloc(c->a, (n ? n : 1) * sizeof(tm_np_port));
	if (!r->ports)
		return;
	const char *pr = proto ? protocol(c, proto) : "TCP";
	if (!n) {
		r->ports[r->nports++] = (tm_np_port){pr, 0, NULL, 0, NULL, 0};
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tm_np_port *p = &r->ports[r->nports++];
		memset(p, 0, sizeof(*p));
		p->protocol = pr;
		one_port(c, p, tm_seq_at(list, i));
	}
}

static void rules(struct cal *c, const tm_value *list, bool ingress, const tm_selector *pods, tm_np_rule **out,
		  size_t *nout)
{
	size_t n = tm_value_len(list);
	*out = n ? tm_arena_alloc(c->a, n * sizeof(tm_np_rule)) : NULL;
	*nout = 0;
	if (!*out)
		return;
	for (size_t i = 0; i < n; i++) {
		const tm_value *rv = tm_seq_at(list, i);
		const char *action = tm_map_get_str(rv, "action");
		if (!action || strcmp(action, "Allow") != 0) {
			if (action && strcmp(action, "Deny") == 0)
				tm_k8s__said(&c->wider, "Deny rules and the order between policies (not evaluated: what a Deny "
						"denies is admitted when an Allow rule admits it)");
			else if (action && strcmp(action, "Pass") == 0)
				tm_k8s__said(&c->narrower, "Pass rules (the next tier decides: read as admitting nothing)");
			else if (!action || strcmp(action, "Log") != 0)
				tm_diag_add(c->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(c->o->f, rv),
					    "%s '%s': a rule's action must be Allow, Deny, Log or Pass; Calico would refuse "
					    "it, read as admitting nothing", c->kind, c->o->name);
			continue;
		}
		tm_np_rule *r = &(*out)[(*nout)++];
		memset(r, 0, sizeof(*r));
		r->loc = tm_ingest__loc(c->o->f, rv);
		const tm_value *src = tm_map_get(rv, "source"), *dst = tm_map_get(rv, "destination");
		r->peers_present = peer_side(c, r, ingress ? src : dst);
		own_side(c, ingress ? dst : src, pods);
		ports(c, r, rv, dst);
		if (tm_map_get(src, "ports") || tm_map_get(src, "notPorts") || tm_map_get(dst, "notPorts"))
			tm_k8s__said(&c->wider, "source ports and notPorts (not applied)");
		if (tm_map_get(rv, "notProtocol") || tm_map_get(rv, "notICMP"))
			tm_k8s__said(&c->wider, "notProtocol (not applied)");
		if (tm_map_get(rv, "http"))
			tm_k8s__said(&c->wider, "http matches (every request on the port is admitted)");
	}
}

/* ---- one policy ----------------------------------------------------------- */

/* Would Calico's API accept this policy's shape? */
static bool well_formed(struct cal *c, const tm_value *spec)
{
	static const char *const dirs[] = {"ingress", "egress"};
	if (tm_value_kind_of(spec) != TM_VALUE_MAP) {
		tm_diag_add(c->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(c->o->f, spec ? spec : c->o->v),
			    "%s '%s' has no spec mapping; not evaluated", c->kind, c->o->name);
		return false;
	}
	if (!tm_ingest__seq_of_scalars(c->ctx, c->o->f, tm_map_get(spec, "types"), "types"))
		return false;
	for (size_t d = 0; d < 2; d++) {
		const tm_value *l = tm_map_get(spec, dirs[d]);
		if (!tm_ingest__seq_of_maps(c->ctx, c->o->f, l, dirs[d]))
			return false;
		for (size_t i = 0; i < tm_value_len(l); i++) {
			const tm_value *rv = tm_seq_at(l, i);
			static const char *const sides[] = {"source", "destination"};
			for (size_t s = 0; s < 2; s++) {
				const tm_value *e = tm_map_get(rv, sides[s]);
				if (e && tm_value_kind_of(e) != TM_VALUE_MAP && tm_scalar_type_of(e) != TM_SCALAR_NULL) {
					tm_diag_add(c->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(c->o->f, e),
						    "%s '%s': %s must be a mapping; Calico would refuse this policy, so it is "
						    "not evaluated", c->kind, c->o->name, sides[s]);
					return false;
				}
				const tm_value *ps = tm_map_get(e, "ports");
				if (!tm_ingest__seq_of_scalars(c->ctx, c->o->f, ps, "ports") ||
				    !tm_ingest__seq_of_scalars(c->ctx, c->o->f, tm_map_get(e, "nets"), "nets"))
					return false;
				for (size_t p = 0; p < tm_value_len(ps); p++) {
					int64_t num;
					if (!tm_scalar_int(tm_seq_at(ps, p), &num) && (num < 0 || num > 65535)) {
						tm_diag_add(c->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING,
							    tm_ingest__loc(c->o->f, tm_seq_at(ps, p)),
							    "port out of range (0-65535); Calico would refuse this policy, so it "
							    "is not evaluated");
						return false;
					}
				}
			}
		}
	}
	return true;
}

/* The directions the policy isolates: types, or Calico's default from the rules written. */
static void directions(struct cal *c, const tm_value *spec, tm_netpol *np)
{
	const tm_value *types = tm_map_get(spec, "types");
	bool has_in = tm_value_len(tm_map_get(spec, "ingress")) > 0, has_out = tm_value_len(tm_map_get(spec, "egress")) > 0;
	if (!types) {
		np->ingress = has_in || !has_out;
		np->egress = has_out;
		return;
	}
	for (size_t t = 0; t < tm_value_len(types); t++) {
		const char *ty = tm_scalar_str(tm_seq_at(types, t), NULL);
		if (ty && strcmp(ty, "Ingress") == 0)
			np->ingress = true;
		else if (ty && strcmp(ty, "Egress") == 0)
			np->egress = true;
		else
			tm_diag_add(c->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(c->o->f, tm_seq_at(types, t)),
				    "unknown policy type '%s' (Ingress or Egress)", ty ? ty : "");
	}
}

static bool flag(const tm_value *spec, const char *key)
{
	bool b = false;
	return !tm_scalar_bool(tm_map_get(spec, key), &b) && b;
}

static void one_policy(struct cal *c, tm_policy *pol)
{
	const tm_value *spec = tm_map_get(c->o->v, "spec");
	if (!well_formed(c, spec))
		return;
	tm_loc loc = tm_ingest__loc(c->o->f, c->o->v);
	if (flag(spec, "preDNAT") || flag(spec, "doNotTrack")) {
		tm_diag_add(c->ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "%s '%s' (%s) guards host endpoints, not pods: not modelled", c->kind, c->o->name,
			    flag(spec, "preDNAT") ? "preDNAT" : "doNotTrack");
		return;
	}
	tm_selector pods = {true, NULL, 0, false}, in_sel;
	const tm_value *sv = tm_map_get(spec, "selector");
	const char *then = "it selects no pod, and isolates none";
	if (sv)
		parse_selector(c, sv, "selector", then, &pods);
	split(c, &pods, &in_sel);
	tm_netpol *np = TM_PM_ADD(pol, netpols);
	if (!np)
		return;
	np->kind = c->global ? "CalicoGlobalNetworkPolicy" : "CalicoNetworkPolicy";
	np->ns = c->global ? TM_PM_ALL_NAMESPACES : tm_pm_strdup(pol->arena, c->o->ns);
	np->name = tm_pm_strdup(pol->arena, c->o->name);
	np->loc = loc;
	const tm_value *nsel = c->global ? tm_map_get(spec, "namespaceSelector") : NULL;
	if (nsel)
		ns_selector(c, nsel, then, &np->ns_sel);
	and_into(c, &np->ns_sel, &in_sel);
	if (tm_map_get(spec, "serviceAccountSelector")) {
		pods.invalid = true;
		tm_k8s__said(&c->narrower, "serviceAccountSelector (selects no pod here: the policy isolates nothing)");
	}
	np->pods = pods;
	directions(c, spec, np);
	if (np->ingress)
		rules(c, tm_map_get(spec, "ingress"), true, &np->pods, &np->in, &np->nin);
	if (np->egress)
		rules(c, tm_map_get(spec, "egress"), false, &np->pods, &np->out, &np->nout);
}

void tm_k8s__calico(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	tm_policy *pol = tm_mb_policy(ctx->mb);
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		bool global = tm_k8s__is(o, "CalicoGlobalNetworkPolicy");
		if (!global && !tm_k8s__is(o, "CalicoNetworkPolicy"))
			continue;
		struct cal c = {ctx, pol->arena, k, o, global,
				global ? "Calico GlobalNetworkPolicy" : "Calico NetworkPolicy", TM_STRBUF_INIT, TM_STRBUF_INIT};
		one_policy(&c, pol);
		tm_k8s__approx_note(ctx, o, c.kind, "Calico", &c.wider, &c.narrower);
	}
}
