/*
 * policy.c - the policy model's tables and the matching rules both the
 * ingesters (linking) and the evaluator (analyze/query.c) depend on, so the
 * two can never disagree about what a selector selects.
 */
#include "model.h"

void tm_policy__dispose(tm_policy *p)
{
	tm_free(p->namespaces);
	tm_free(p->workloads);
	tm_free(p->services);
	tm_free(p->netpols);
	tm_free(p->peerauths);
	tm_free(p->reqauths);
	tm_free(p->authzpols);
	tm_free(p->gateways);
	tm_free(p->vservices);
	memset(p, 0, sizeof(*p));
}

const char *tm_pm_strdup(tm_arena *a, const char *s)
{
	if (!s)
		return NULL;
	const char *c = tm_arena_strdup(a, s);
	return c ? c : "";
}

const char *tm_labels_get(const tm_labels *l, const char *key)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].value;
	return NULL;
}

bool tm_strs_any(const tm_strs *s, const char *value)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (strcmp(s->items[i], value) == 0)
			return true;
	return false;
}

bool tm_selector_matches(const tm_selector *s, const tm_labels *labels)
{
	if (!s->present || s->invalid)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		const tm_sel_req *r = &s->reqs[i];
		const char *have = tm_labels_get(labels, r->key);
		switch (r->op) {
		case TM_SEL_IN:
			if (!have || !tm_strs_any(&r->values, have))
				return false;
			break;
		case TM_SEL_NOT_IN: /* a missing key satisfies NotIn */
			if (have && tm_strs_any(&r->values, have))
				return false;
			break;
		case TM_SEL_EXISTS:
			if (!have)
				return false;
			break;
		case TM_SEL_NOT_EXISTS:
			if (have)
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

bool tm_labels_subset(const tm_labels *want, const tm_labels *have)
{
	if (!want->n)
		return false;
	for (size_t i = 0; i < want->n; i++) {
		const char *v = tm_labels_get(have, want->items[i].key);
		if (!v || strcmp(v, want->items[i].value) != 0)
			return false;
	}
	return true;
}

bool tm_istio_str_match(const char *pattern, const char *value)
{
	if (!pattern || !value)
		return false;
	size_t pl = strlen(pattern), vl = strlen(value);
	if (strcmp(pattern, "*") == 0)
		return vl > 0;
	if (pl && pattern[pl - 1] == '*') /* prefix */
		return vl >= pl - 1 && strncmp(pattern, value, pl - 1) == 0;
	if (pattern[0] == '*') /* suffix */
		return vl >= pl - 1 && strcmp(value + vl - (pl - 1), pattern + 1) == 0;
	return strcmp(pattern, value) == 0;
}

size_t tm_model_policy_count(const tm_model *m)
{
	const tm_policy *p = tm_model__policy(m);
	return p->nnetpols + p->npeerauths + p->nreqauths + p->nauthzpols + p->ngateways + p->nvservices;
}

tm_policy_ref tm_model_policy_ref(const tm_model *m, size_t i)
{
	const tm_policy *p = tm_model__policy(m);
	tm_policy_ref r = {NULL, NULL, NULL, {NULL, 0, 0, NULL}};
#define PICK(table, kindname)                                                                      \
	if (i < p->n##table) {                                                                     \
		r.kind = kindname;                                                                 \
		r.ns = p->table[i].ns;                                                             \
		r.name = p->table[i].name;                                                         \
		r.loc = p->table[i].loc;                                                           \
		return r;                                                                          \
	}                                                                                          \
	i -= p->n##table;
	PICK(netpols, "NetworkPolicy")
	PICK(peerauths, "PeerAuthentication")
	PICK(reqauths, "RequestAuthentication")
	PICK(authzpols, "AuthorizationPolicy")
	PICK(gateways, "Gateway")
	PICK(vservices, "VirtualService")
#undef PICK
	return r;
}
