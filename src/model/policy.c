/*
 * policy.c - the policy model's tables and the matching rules both the
 * ingesters (linking) and the evaluator (analyze/query.c) depend on, so the
 * two can never disagree about what a selector selects.
 */
#include <ctype.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <strings.h>
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
	tm_free(p->waypoints);
	tm_free(p->ld_servers);
	tm_free(p->ld_authzs);
	tm_free(p->ld_idsets);
	tm_free(p->ld_netsets);
	tm_free(p->ld_routes);
	tm_free(p->unread);
	tm_hmap_dispose(&p->ld_routes_by_server);
	tm_hmap_dispose(&p->ld_ids);
	tm_hmap_dispose(&p->ld_az_by_server);
	tm_hmap_dispose(&p->ld_server_by_name);
	tm_hmap_dispose(&p->svc_by_name);
	tm_hmap_dispose(&p->wl_by_name);
	tm_hmap_dispose(&p->np_by_ns);
	tm_hmap_dispose(&p->az_by_ns);
	tm_hmap_dispose(&p->ld_servers_by_ns);
	tm_hmap_dispose(&p->ld_authzs_by_ns);
	tm_free((void *)p->backend);
	tm_hmap_dispose(&p->wl_by_pair);
	tm_hmap_dispose(&p->ns_by_name);
	tm_hmap_dispose(&p->wl_by_id);
	tm_pm_cands *cands[] = {&p->np_sel, &p->pa_cands, &p->ra_cands, &p->az_cands, &p->gw_routes, &p->ld_sel};
	for (size_t i = 0; i < TM_ARRAY_LEN(cands); i++) {
		tm_free(cands[i]->start);
		tm_free(cands[i]->idx);
	}
	memset(p, 0, sizeof(*p));
}

/* Prepend index i to name's chain; called in reverse table order, so chains read forward. */
static int chain_push(tm_arena *a, tm_hmap *m, const char *name, size_t i)
{
	struct tm_pm_chain *c = tm_arena_alloc(a, sizeof(*c));
	if (!c || !name)
		return c ? 0 : TM_ENOMEM;
	c->i = i;
	c->next = tm_hmap_get(m, name, strlen(name));
	return tm_hmap_put(m, name, strlen(name), c);
}

/* A chain key: namespace, then a label (or none: the bare namespace). The stored keys are made in
 * an arena, the looked-up ones in a reused buffer (false when memory ran out). */
#define LABEL_KEY(ns, l) "%s\x1f%s=%s", (ns) ? (ns) : "", (l) ? (l)->key : "", (l) ? (l)->value : ""

static const char *label_key(tm_arena *a, const char *ns, const tm_label *l)
{
	return tm_arena_printf(a, LABEL_KEY(ns, l));
}

static bool lookup_key(tm_strbuf *key, const char *ns, const tm_label *l)
{
	tm_strbuf_reset(key);
	tm_strbuf_printf(key, LABEL_KEY(ns, l));
	return !key->oom;
}

int tm_policy__workload_chains(tm_arena *a, const tm_policy *p, tm_hmap *by_label)
{
	for (size_t w = p->nworkloads; w-- > 0;) {
		const tm_pm_workload *wl = &p->workloads[w];
		for (size_t k = 0; k <= wl->labels.n; k++) {
			const char *key = label_key(a, wl->ns, k < wl->labels.n ? &wl->labels.items[k] : NULL);
			if (!key || chain_push(a, by_label, key, w))
				return TM_ENOMEM;
		}
	}
	return 0;
}

const struct tm_pm_chain *tm_policy__selected_chain(const tm_hmap *by_label, const char *ns, const tm_labels *sel,
						    tm_strbuf *key)
{
	return lookup_key(key, ns, sel->n ? &sel->items[0] : NULL) ? tm_hmap_get(by_label, key->data, key->len) : NULL;
}

int tm_policy__service_chains(tm_arena *a, const tm_policy *p, tm_hmap *by_name)
{
	for (size_t i = p->nservices; i-- > 0;) {
		const char *key = tm_arena_printf(a, "%s/%s", p->services[i].ns, p->services[i].name);
		if (!key || chain_push(a, by_name, key, i))
			return TM_ENOMEM;
	}
	return 0;
}

/* Backends: workloads chained under each of their labels (and their bare namespace), then each
 * Service's selector matched against the chain of its first pair only. */
static int index_backends(tm_policy *p, tm_hmap *by_label)
{
	p->backend = tm_calloc(p->nservices + 1, sizeof(*p->backend));
	if (!p->backend)
		return TM_ENOMEM;
	if (tm_policy__workload_chains(p->arena, p, by_label))
		return TM_ENOMEM;
	for (size_t s = 0; s < p->nservices; s++) {
		const tm_pm_service *sv = &p->services[s];
		const char *key = label_key(p->arena, sv->ns, sv->selector.n ? &sv->selector.items[0] : NULL);
		if (!key)
			return TM_ENOMEM;
		for (const struct tm_pm_chain *c = tm_hmap_get(by_label, key, strlen(key)); c; c = c->next)
			if (tm_labels_subset(&sv->selector, &p->workloads[c->i].labels)) {
				p->backend[s] = &p->workloads[c->i];
				break;
			}
	}
	return 0;
}

/* The label a selector is chained under: its first In requirement with one value; NULL if none. */
static const tm_label *chain_pair(const tm_selector *s, tm_label *buf)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->reqs[i].op == TM_SEL_IN && s->reqs[i].values.n == 1 && s->reqs[i].key &&
		    s->reqs[i].values.items[0]) {
			buf->key = s->reqs[i].key;
			buf->value = s->reqs[i].values.items[0];
			return buf;
		}
	return NULL;
}

/* Policies of a table chained by namespace and selector: entry i's at ns_off and sel_off of its row. */
static int selector_chains(tm_arena *a, tm_hmap *chains, size_t n, const void *table, size_t stride,
			   size_t ns_off, size_t sel_off)
{
	for (size_t i = n; i-- > 0;) {
		const char *row = (const char *)table + i * stride;
		const char *ns = *(const char *const *)(const void *)(row + ns_off);
		tm_label pair;
		const char *key = label_key(a, ns, chain_pair((const tm_selector *)(const void *)(row + sel_off), &pair));
		if (!key || chain_push(a, chains, key, i))
			return TM_ENOMEM;
	}
	return 0;
}

int tm_policy__netpol_chains(tm_policy *p, tm_hmap *chains)
{
	return selector_chains(p->arena, chains, p->nnetpols, p->netpols, sizeof(*p->netpols),
			       offsetof(tm_netpol, ns), offsetof(tm_netpol, pods));
}

static int index_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* Append the chains of ns under each of labels and under the bare namespace to idx. */
static int gather(const tm_hmap *chains, const char *ns, const tm_labels *labels, tm_strbuf *key, size_t **idx,
		  size_t *n, size_t *cap)
{
	for (size_t k = 0; k <= labels->n; k++) {
		if (!lookup_key(key, ns, k < labels->n ? &labels->items[k] : NULL))
			return TM_ENOMEM;
		for (const struct tm_pm_chain *c = tm_hmap_get(chains, key->data, key->len); c; c = c->next) {
			if (tm_grow((void **)idx, cap, *n + 1, sizeof(**idx)))
				return TM_ENOMEM;
			(*idx)[(*n)++] = c->i;
		}
	}
	return 0;
}

/* idx[0..n) ascending without repeats; the new count. */
static size_t sort_unique(size_t *idx, size_t n)
{
	if (n > 1)
		qsort(idx, n, sizeof(*idx), index_cmp);
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		if (!out || idx[out - 1] != idx[i])
			idx[out++] = idx[i];
	return out;
}

int tm_policy__netpol_candidates(const tm_hmap *chains, const tm_pm_workload *wl, tm_strbuf *key, size_t **idx,
				 size_t *n, size_t *cap)
{
	*n = 0;
	if (gather(chains, wl->ns, &wl->labels, key, idx, n, cap))
		return TM_ENOMEM;
	*n = sort_unique(*idx, *n);
	return 0;
}

/* Each workload's candidates in a policy table (rows of stride bytes, the namespace and the selector
 * at ns_off and sel_off), chained by selector: CANDS_ISTIO, those of its namespace and of the root
 * namespace that can select it, for the caller to judge; CANDS_SELECTING, only the policies of its
 * namespace whose selector selects it (NetworkPolicy). */
enum { CANDS_ISTIO, CANDS_SELECTING };

static int index_cands(tm_policy *p, tm_pm_cands *out, size_t n, const void *table, size_t stride, size_t ns_off,
		       size_t sel_off, int how)
{
	tm_hmap chains = TM_HMAP_INIT;
	tm_strbuf key = {0};
	size_t *cand = NULL, ncand = 0, cap = 0, total = 0, outcap = 0;
	int rc = TM_ENOMEM;
	out->start = tm_calloc(p->nworkloads + 1, sizeof(*out->start));
	if (!out->start || selector_chains(p->arena, &chains, n, table, stride, ns_off, sel_off))
		goto done;
	for (size_t w = 0; w < p->nworkloads; w++) {
		const tm_pm_workload *wl = &p->workloads[w];
		out->start[w] = total;
		ncand = 0;
		if (n && (gather(&chains, wl->ns, &wl->labels, &key, &cand, &ncand, &cap) ||
			  (how == CANDS_ISTIO && p->root_ns && wl->ns && strcmp(p->root_ns, wl->ns) != 0 &&
			   gather(&chains, p->root_ns, &wl->labels, &key, &cand, &ncand, &cap)) ||
			  (how == CANDS_SELECTING && gather(&chains, TM_PM_ALL_NAMESPACES, &wl->labels, &key, &cand,
							    &ncand, &cap))))
			goto done;
		ncand = sort_unique(cand, ncand);
		size_t kept = 0;
		for (size_t c = 0; c < ncand; c++) {
			const char *row = (const char *)table + cand[c] * stride;
			const char *ns = *(const char *const *)(const void *)(row + ns_off);
			if (how == CANDS_ISTIO ||
			    ((!strcmp(ns, wl->ns) || !strcmp(ns, TM_PM_ALL_NAMESPACES)) &&
			     tm_selector_matches((const tm_selector *)(const void *)(row + sel_off), &wl->labels) &&
			     (table != (const void *)p->netpols ||
			      tm_policy__netpol_in_ns(p, (const tm_netpol *)(const void *)row, wl->ns))))
				cand[kept++] = cand[c];
		}
		ncand = kept;
		if (ncand && tm_grow((void **)&out->idx, &outcap, total + ncand, sizeof(*out->idx)))
			goto done;
		if (ncand)
			memcpy(out->idx + total, cand, ncand * sizeof(*cand));
		total += ncand;
	}
	out->start[p->nworkloads] = total;
	rc = 0;
done:
	tm_free(cand);
	tm_strbuf_dispose(&key);
	tm_hmap_dispose(&chains);
	return rc;
}

bool tm_policy__netpol_in_ns(const tm_policy *p, const tm_netpol *np, const char *ns)
{
	if (!np->ns_sel.present)
		return true;
	if (np->ns_sel.invalid || !ns)
		return false;
	const tm_pm_namespace *pn = tm_policy__namespace(p, ns);
	/* before the freeze (an ingester's selection) the namespaces are not indexed yet: a walk of the
	 * table, made only for a policy with a namespace condition (few: the cluster-wide ones) */
	for (size_t i = 0; !pn && !p->ns_by_name.count && i < p->nnamespaces; i++)
		if (p->namespaces[i].name && strcmp(p->namespaces[i].name, ns) == 0)
			pn = &p->namespaces[i];
	if (pn)
		return tm_selector_matches(&np->ns_sel, &pn->labels);
	tm_label one = {"kubernetes.io/metadata.name", ns};
	tm_labels l = {&one, 1};
	return tm_selector_matches(&np->ns_sel, &l);
}

int tm_policy__netpol_selection(tm_policy *p, tm_pm_cands *out)
{
	return index_cands(p, out, p->nnetpols, p->netpols, sizeof(*p->netpols), offsetof(tm_netpol, ns),
			   offsetof(tm_netpol, pods), CANDS_SELECTING);
}

void tm_policy__cands(const tm_policy *p, const tm_pm_cands *c, size_t n, const tm_pm_workload *w,
		      tm_pm_cursor *cur)
{
	memset(cur, 0, sizeof(*cur));
	if (c->start && w >= p->workloads && w < p->workloads + p->nworkloads) {
		size_t i = (size_t)(w - p->workloads);
		cur->idx = c->idx ? c->idx + c->start[i] : NULL;
		cur->n = c->start[i + 1] - c->start[i];
	} else {
		cur->all = true;
		cur->n = n;
	}
}

bool tm_policy__cand_next(tm_pm_cursor *cur, size_t *i)
{
	if (cur->i >= cur->n)
		return false;
	*i = cur->all ? cur->i : cur->idx[cur->i];
	cur->i++;
	return true;
}

void tm_policy__selecting_init(tm_np_selecting *it, const tm_policy *p, const tm_pm_workload *w)
{
	memset(it, 0, sizeof(*it));
	it->p = p;
	it->w = w;
	if (w->host_network) /* the node's own network: no pod policy isolates it (its traffic is the node's) */
		return;
	if (p->np_sel.start && w >= p->workloads && w < p->workloads + p->nworkloads) {
		size_t i = (size_t)(w - p->workloads);
		it->sel = p->np_sel.idx ? p->np_sel.idx + p->np_sel.start[i] : NULL;
		it->n = p->np_sel.start[i + 1] - p->np_sel.start[i];
	} else {
		it->chain = tm_policy__netpols_in(p, w->ns);
		it->cluster = tm_policy__netpols_in(p, TM_PM_ALL_NAMESPACES);
	}
}

const tm_netpol *tm_policy__selecting_next(tm_np_selecting *it)
{
	if (it->sel || (!it->chain && !it->cluster))
		return it->i < it->n ? &it->p->netpols[it->sel[it->i++]] : NULL;
	for (int pass = 0; pass < 2; pass++) {
		for (; it->chain; it->chain = it->chain->next) {
			const tm_netpol *np = &it->p->netpols[it->chain->i];
			if (tm_selector_matches(&np->pods, &it->w->labels) && tm_policy__netpol_in_ns(it->p, np, it->w->ns)) {
				it->chain = it->chain->next;
				return np;
			}
		}
		it->chain = it->cluster; /* then the cluster-wide ones */
		it->cluster = NULL;
	}
	return NULL;
}

static int index_pairs(tm_policy *p)
{
	for (size_t w = p->nworkloads; w-- > 0;)
		for (size_t k = 0; k < p->workloads[w].labels.n; k++) {
			const tm_label *l = &p->workloads[w].labels.items[k];
			const char *key = tm_arena_printf(p->arena, "%s=%s", l->key, l->value);
			if (!key || chain_push(p->arena, &p->wl_by_pair, key, w))
				return TM_ENOMEM;
		}
	return 0;
}

tm_pm_pair_cursor tm_policy__with_pair(const tm_policy *p, const tm_labels *pair)
{
	tm_pm_pair_cursor c = {NULL, 0, true};
	char key[1024];
	if (pair->n == 1 && tm_formatf(key, sizeof(key), "%s=%s", pair->items[0].key, pair->items[0].value) <
				    (int)sizeof(key)) {
		c.all = false;
		c.chain = tm_hmap_get(&p->wl_by_pair, key, strlen(key));
	}
	return c;
}

const tm_pm_workload *tm_policy__pair_next(const tm_policy *p, tm_pm_pair_cursor *c)
{
	if (c->all)
		return c->i < p->nworkloads ? &p->workloads[c->i++] : NULL;
	if (!c->chain)
		return NULL;
	const tm_pm_workload *w = &p->workloads[c->chain->i];
	c->chain = c->chain->next;
	return w;
}

const tm_pm_workload *tm_policy__first_selected(const tm_policy *p, const tm_labels *sel)
{
	if (!sel->n)
		return NULL;
	tm_labels first = {sel->items, 1};
	tm_pm_pair_cursor cur = tm_policy__with_pair(p, &first);
	for (const tm_pm_workload *w; (w = tm_policy__pair_next(p, &cur)) != NULL;)
		if (tm_labels_subset(sel, &w->labels))
			return w;
	return NULL;
}

bool tm_policy__names_gateway(const tm_istio_gw *g, const char *vs_ns, const char *ref)
{
	const char *slash = strchr(ref, '/');
	return slash ? strncmp(g->ns, ref, (size_t)(slash - ref)) == 0 && !g->ns[slash - ref] &&
			       strcmp(g->name, slash + 1) == 0
		     : strcmp(g->ns, vs_ns) == 0 && strcmp(g->name, ref) == 0;
}

/* Each Gateway's VirtualServices (table order): references resolved through the Gateways by
 * "ns/name", then counted into one array by Gateway. */
static int index_gateway_routes(tm_policy *p)
{
	tm_hmap by_name = TM_HMAP_INIT;
	tm_strbuf key = {0};
	size_t (*pairs)[2] = NULL, npairs = 0, cap = 0;
	tm_pm_cands *out = &p->gw_routes;
	int rc = TM_ENOMEM;
	out->start = tm_calloc(p->ngateways + 1, sizeof(*out->start));
	if (!out->start)
		goto done;
	for (size_t i = p->ngateways; i-- > 0;) {
		const char *k = tm_arena_printf(p->arena, "%s/%s", p->gateways[i].ns, p->gateways[i].name);
		if (!k || chain_push(p->arena, &by_name, k, i))
			goto done;
	}
	for (size_t v = 0; v < p->nvservices; v++) {
		const tm_vservice *vs = &p->vservices[v];
		for (size_t r = 0; r < vs->gateways.n; r++) {
			const char *ref = vs->gateways.items[r];
			tm_strbuf_reset(&key);
			if (strchr(ref, '/'))
				tm_strbuf_printf(&key, "%s", ref);
			else
				tm_strbuf_printf(&key, "%s/%s", vs->ns, ref);
			if (key.oom)
				goto done;
			for (const struct tm_pm_chain *c = tm_hmap_get(&by_name, key.data, key.len); c; c = c->next) {
				if (!tm_policy__names_gateway(&p->gateways[c->i], vs->ns, ref))
					continue;
				if (TM_GROW(pairs, cap, npairs + 1))
					goto done;
				pairs[npairs][0] = c->i;
				pairs[npairs++][1] = v;
			}
		}
	}
	out->idx = tm_calloc(npairs + 1, sizeof(*out->idx));
	if (!out->idx)
		goto done;
	for (size_t i = 0; i < npairs; i++)
		out->start[pairs[i][0] + 1]++;
	for (size_t g = 0; g < p->ngateways; g++)
		out->start[g + 1] += out->start[g];
	size_t *fill = tm_calloc(p->ngateways + 1, sizeof(*fill));
	if (!fill)
		goto done;
	for (size_t i = 0; i < npairs; i++) /* in VirtualService order: each list ascending */
		out->idx[out->start[pairs[i][0]] + fill[pairs[i][0]]++] = pairs[i][1];
	tm_free(fill);
	rc = 0;
done:
	tm_free(pairs);
	tm_strbuf_dispose(&key);
	tm_hmap_dispose(&by_name);
	return rc;
}

int tm_policy__routes_start(const tm_policy *p, const tm_labels *labels, tm_routes_cursor *c)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
	size_t cap = 0;
	for (size_t g = 0; p->gw_routes.start && g < p->ngateways; g++) {
		size_t from = p->gw_routes.start[g], to = p->gw_routes.start[g + 1];
		if (from == to || !tm_labels_subset(&p->gateways[g].selector, labels))
			continue;
		if (TM_GROW(c->at, cap, c->k + 1))
			return TM_ENOMEM;
		c->at[c->k][0] = from;
		c->at[c->k++][1] = to;
	}
	return 0;
}

bool tm_policy__routes_next(tm_routes_cursor *c, size_t *vs)
{
	for (;;) {
		size_t best = SIZE_MAX, which = 0;
		for (size_t i = 0; i < c->k; i++)
			if (c->at[i][0] < c->at[i][1] && c->p->gw_routes.idx[c->at[i][0]] < best) {
				best = c->p->gw_routes.idx[c->at[i][0]];
				which = i;
			}
		if (best == SIZE_MAX)
			return false;
		c->at[which][0]++;
		if (c->any && best == c->last)
			continue; /* bound to two of the Gateways, or twice to one */
		c->any = true;
		c->last = best;
		*vs = best;
		return true;
	}
}

void tm_policy__routes_end(tm_routes_cursor *c)
{
	tm_free(c->at);
	c->at = NULL;
}

int tm_policy__index(tm_policy *p)
{
	int rc = 0;
	for (size_t i = p->nservices; i-- > 0 && !rc;)
		rc = chain_push(p->arena, &p->svc_by_name, p->services[i].name, i);
	for (size_t i = p->nworkloads; i-- > 0 && !rc;)
		rc = chain_push(p->arena, &p->wl_by_name, p->workloads[i].name, i);
	for (size_t i = p->nnetpols; i-- > 0 && !rc;)
		rc = chain_push(p->arena, &p->np_by_ns, p->netpols[i].ns, i);
	for (size_t i = p->nnamespaces; i-- > 0 && !rc;)
		rc = chain_push(p->arena, &p->ns_by_name, p->namespaces[i].name, i);
	for (size_t i = p->nworkloads; i-- > 0 && !rc;)
		rc = chain_push(p->arena, &p->wl_by_id, p->workloads[i].node_id, i);
	for (size_t i = p->nauthzpols; i-- > 0 && !rc;)
		rc = chain_push(p->arena, &p->az_by_ns, p->authzpols[i].ns, i);
	for (size_t i = p->nld_servers; i-- > 0 && !rc;) {
		rc = chain_push(p->arena, &p->ld_servers_by_ns, p->ld_servers[i].ns, i);
		const char *key = rc ? NULL : tm_arena_printf(p->arena, "%s/%s", p->ld_servers[i].ns, p->ld_servers[i].name);
		rc = rc ? rc : key ? chain_push(p->arena, &p->ld_server_by_name, key, i) : TM_ENOMEM;
	}
	for (size_t i = p->nld_authzs; i-- > 0 && !rc;) {
		const tm_ld_authz *z = &p->ld_authzs[i];
		if (!z->server) {
			rc = chain_push(p->arena, &p->ld_authzs_by_ns, z->ns, i);
			continue;
		}
		const char *key = tm_arena_printf(p->arena, "%s/%s", z->ns, z->server);
		rc = key ? chain_push(p->arena, &p->ld_az_by_server, key, i) : TM_ENOMEM;
	}
	for (size_t i = p->nld_routes; i-- > 0 && !rc;) {
		const char *key = tm_arena_printf(p->arena, "%s/%s", p->ld_routes[i].ns, p->ld_routes[i].server);
		rc = key ? chain_push(p->arena, &p->ld_routes_by_server, key, i) : TM_ENOMEM;
	}
	tm_hmap by_label = {0};
	if (!rc && p->arena)
		rc = index_backends(p, &by_label);
	if (!rc && p->arena)
		rc = tm_policy__netpol_selection(p, &p->np_sel);
	if (!rc && p->arena)
		rc = index_pairs(p);
	if (!rc && p->arena)
		rc = index_cands(p, &p->pa_cands, p->npeerauths, p->peerauths, sizeof(*p->peerauths),
				 offsetof(tm_peerauth, ns), offsetof(tm_peerauth, sel), CANDS_ISTIO);
	if (!rc && p->arena)
		rc = index_cands(p, &p->ra_cands, p->nreqauths, p->reqauths, sizeof(*p->reqauths),
				 offsetof(tm_reqauth, ns), offsetof(tm_reqauth, sel), CANDS_ISTIO);
	if (!rc && p->arena)
		rc = index_cands(p, &p->az_cands, p->nauthzpols, p->authzpols, sizeof(*p->authzpols),
				 offsetof(tm_authzpol, ns), offsetof(tm_authzpol, sel), CANDS_ISTIO);
	if (!rc && p->arena && p->nld_servers)
		rc = index_cands(p, &p->ld_sel, p->nld_servers, p->ld_servers, sizeof(*p->ld_servers),
				 offsetof(tm_ld_server, ns), offsetof(tm_ld_server, pods), CANDS_SELECTING);
	if (!rc && p->arena)
		rc = index_gateway_routes(p);
	tm_hmap_dispose(&by_label);
	return rc;
}

const struct tm_pm_chain *tm_policy__services_named(const tm_policy *p, const char *name)
{
	return tm_hmap_get(&p->svc_by_name, name, strlen(name));
}

const struct tm_pm_chain *tm_policy__workloads_named(const tm_policy *p, const char *name)
{
	return tm_hmap_get(&p->wl_by_name, name, strlen(name));
}

const tm_pm_namespace *tm_policy__namespace(const tm_policy *p, const char *name)
{
	const struct tm_pm_chain *c = name ? tm_hmap_get(&p->ns_by_name, name, strlen(name)) : NULL;
	return c ? &p->namespaces[c->i] : NULL;
}

bool tm_policy__is_gateway_workload(const tm_policy *p, const tm_pm_workload *w)
{
	for (size_t i = 0; i < p->ngateways; i++)
		if (tm_labels_subset(&p->gateways[i].selector, &w->labels))
			return true;
	const char *istio = tm_labels_get(&w->labels, "istio");
	return istio && (strstr(istio, "ingressgateway") || strstr(istio, "egressgateway"));
}

tm_injection tm_policy__injection(const tm_policy *p, const tm_pm_workload *w)
{
	if (tm_policy__is_gateway_workload(p, w))
		return TM_INJ_GATEWAY;
	if (w->host_network)
		return TM_INJ_HOST_NETWORK;
	if (w->inject == 1)
		return TM_INJ_OPT_IN;
	const tm_pm_namespace *ns = tm_policy__namespace(p, w->ns);
	if (w->inject != 0 && ns && ns->injection == 1)
		return TM_INJ_NS_LABEL;
	/* no sidecar: Istio's ambient mode, the pod's label before its namespace's */
	const char *pod = tm_labels_get(&w->labels, "istio.io/dataplane-mode");
	if (pod && strcmp(pod, "ambient") == 0)
		return TM_INJ_AMBIENT_POD;
	const char *nsm = ns ? tm_labels_get(&ns->labels, "istio.io/dataplane-mode") : NULL;
	if (!pod && nsm && strcmp(nsm, "ambient") == 0)
		return TM_INJ_AMBIENT_NS;
	if (w->inject == 0)
		return TM_INJ_OPT_OUT;
	return !ns ? TM_INJ_NS_UNSCANNED : TM_INJ_NS_UNLABELLED;
}

bool tm_policy__ambient(tm_injection how)
{
	return how == TM_INJ_AMBIENT_POD || how == TM_INJ_AMBIENT_NS;
}

bool tm_policy__uses_waypoint(const tm_policy *p, const tm_pm_service *s, const tm_pm_workload *w,
			      tm_waypoint_use *out)
{
	memset(out, 0, sizeof(*out));
	const char *ns = s ? s->ns : w->ns;
	const tm_labels *own = s ? &s->labels : &w->labels;
	const tm_pm_namespace *pn = tm_policy__namespace(p, ns);
	const char *name = tm_labels_get(own, "istio.io/use-waypoint");
	const char *wns = tm_labels_get(own, "istio.io/use-waypoint-namespace");
	out->by = s ? "Service" : "pod";
	if (!name && pn) {
		name = tm_labels_get(&pn->labels, "istio.io/use-waypoint");
		wns = tm_labels_get(&pn->labels, "istio.io/use-waypoint-namespace");
		out->by = "namespace";
	}
	if (!name || !*name || strcmp(name, "none") == 0)
		return false;
	/* a waypoint serves Service traffic unless its Gateway says otherwise */
	if (!s && !p->nwaypoints)
		return false;
	out->ns = wns && *wns ? wns : ns;
	out->name = name;
	/* waypoints are few: a pass over them */
	for (size_t i = 0; i < p->nwaypoints && !out->gw; i++)
		if (strcmp(p->waypoints[i].ns, out->ns) == 0 && strcmp(p->waypoints[i].name, name) == 0)
			out->gw = &p->waypoints[i];
	if (out->gw) {
		const char *t = out->gw->traffic ? out->gw->traffic : "service";
		if (strcmp(t, "all") != 0 && strcmp(t, s ? "service" : "workload") != 0)
			return false;
		out->loc = out->gw->loc;
	}
	return out->gw || s;
}

static bool ipv4(const char *s, uint32_t *out)
{
	unsigned a, b, c, d;
	char tail;
	if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 || c > 255 || d > 255)
		return false;
	*out = (a << 24) | (b << 16) | (c << 8) | d;
	return true;
}

/* ---- Istio's traffic capture (tm_pm_capture) ------------------------------ */

static const struct {
	const char *annotation;
	bool ranges;
} CAPTURE[TM_CAP_COUNT] = {
	[TM_CAP_IN_INCLUDE] = {"traffic.sidecar.istio.io/includeInboundPorts", false},
	[TM_CAP_IN_EXCLUDE] = {"traffic.sidecar.istio.io/excludeInboundPorts", false},
	[TM_CAP_OUT_EXCLUDE_PORTS] = {"traffic.sidecar.istio.io/excludeOutboundPorts", false},
	[TM_CAP_OUT_EXCLUDE_RANGES] = {"traffic.sidecar.istio.io/excludeOutboundIPRanges", true},
	[TM_CAP_OUT_INCLUDE_PORTS] = {"traffic.sidecar.istio.io/includeOutboundPorts", false},
	[TM_CAP_OUT_INCLUDE_RANGES] = {"traffic.sidecar.istio.io/includeOutboundIPRanges", true},
};

const char *tm_policy__capture_annotation(int which)
{
	return which >= 0 && which < TM_CAP_COUNT ? CAPTURE[which].annotation : NULL;
}

bool tm_policy__capture_ranges(int which)
{
	return which >= 0 && which < TM_CAP_COUNT && CAPTURE[which].ranges;
}

static bool capture_has(const tm_pm_capture *c, int port)
{
	for (size_t i = 0; c->ports && i < c->n; i++)
		if (c->ports[i] == port)
			return true;
	return false;
}

const tm_pm_capture *tm_policy__inbound_bypass(const tm_pm_workload *w, int port)
{
	const tm_pm_capture *inc = &w->capture[TM_CAP_IN_INCLUDE], *exc = &w->capture[TM_CAP_IN_EXCLUDE];
	if (inc->present && !inc->all)
		return capture_has(inc, port) ? NULL : inc;
	return capture_has(exc, port) ? exc : NULL;
}

tm_bypass tm_policy__outbound_bypass(const tm_pm_workload *w, int port, const tm_pm_capture **by)
{
	const tm_pm_capture *c = w->capture;
	*by = NULL;
	/* istio-iptables' ISTIO_OUTPUT: excluded ports and ranges return first, then the included ports
	 * and ranges are redirected; what matches nothing leaves as it is */
	if (capture_has(&c[TM_CAP_OUT_EXCLUDE_PORTS], port)) {
		*by = &c[TM_CAP_OUT_EXCLUDE_PORTS];
		return TM_BYPASS_YES;
	}
	const tm_pm_capture *xr = &c[TM_CAP_OUT_EXCLUDE_RANGES], *ir = &c[TM_CAP_OUT_INCLUDE_RANGES];
	if (xr->all) {
		*by = xr;
		return TM_BYPASS_YES;
	}
	const tm_pm_capture *unsure = xr->n ? xr : NULL;
	if (ir->present && !ir->all && !capture_has(&c[TM_CAP_OUT_INCLUDE_PORTS], port)) {
		if (!ir->n) {
			*by = ir;
			return TM_BYPASS_YES;
		}
		if (!unsure)
			unsure = ir;
	}
	*by = unsure;
	return unsure ? TM_BYPASS_MAYBE : TM_BYPASS_NO;
}

/* An IPv6 address as Go's parser takes it: hex groups of up to four digits, at most one "::", an IPv4
 * tail allowed; eight groups, or fewer with "::". */
static bool ipv6(const char *s, size_t len)
{
	size_t groups = 0, i = 0;
	bool gap = false;
	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = true;
		i = 2;
	} else if (len && s[0] == ':') {
		return false;
	}
	while (i < len) {
		size_t start = i;
		while (i < len && isxdigit((unsigned char)s[i]))
			i++;
		if (i < len && s[i] == '.') { /* an IPv4 tail counts as two groups */
			char v4[16];
			uint32_t a;
			if (len - start >= sizeof(v4))
				return false;
			memcpy(v4, s + start, len - start);
			v4[len - start] = '\0';
			if (!ipv4(v4, &a))
				return false;
			groups += 2;
			i = len;
			break;
		}
		if (i == start || i - start > 4)
			return false;
		groups++;
		if (i == len)
			break;
		if (s[i] != ':')
			return false;
		i++;
		if (i < len && s[i] == ':') {
			if (gap)
				return false;
			gap = true;
			i++;
		} else if (i == len) {
			return false; /* a trailing single ':' */
		}
	}
	return gap ? groups < 8 : groups == 8;
}

int tm_policy__cidr_prefix(const char *cidr)
{
	const char *slash = strchr(cidr, '/');
	int64_t bits;
	if (!slash || !slash[1] || strspn(slash + 1, "0123456789") != strlen(slash + 1) ||
	    tm_parse_i64(slash + 1, strlen(slash + 1), 10, &bits))
		return -1;
	size_t len = (size_t)(slash - cidr);
	char v4[16];
	uint32_t a;
	if (len && len < sizeof(v4) && !memchr(cidr, ':', len)) {
		memcpy(v4, cidr, len);
		v4[len] = '\0';
		return strspn(v4, "0123456789.") == len && ipv4(v4, &a) && bits <= 32 ? (int)bits : -1;
	}
	return ipv6(cidr, len) && bits <= 128 ? (int)bits : -1;
}

int tm_policy__mtls_mode(const tm_policy *p, const tm_pm_workload *w, int port, const tm_peerauth **by,
			 tm_loc *loc)
{
	const tm_peerauth *wl = NULL, *ns = NULL, *mesh = NULL;
	tm_pm_cursor cur;
	tm_policy__cands(p, &p->pa_cands, p->npeerauths, w, &cur);
	for (size_t i; tm_policy__cand_next(&cur, &i);) {
		const tm_peerauth *pa = &p->peerauths[i];
		if (pa->sel.present && strcmp(pa->ns, w->ns) == 0 && tm_selector_matches(&pa->sel, &w->labels)) {
			if (!wl)
				wl = pa;
		} else if (!pa->sel.present && strcmp(pa->ns, w->ns) == 0) {
			if (!ns)
				ns = pa;
		} else if (!pa->sel.present && strcmp(pa->ns, p->root_ns) == 0) {
			if (!mesh)
				mesh = pa;
		}
	}
	for (size_t i = 0; wl && i < wl->nports; i++)
		if (wl->ports[i].port == port && wl->ports[i].mode != TM_MTLS_UNSET) {
			*by = wl;
			*loc = wl->ports[i].loc;
			return wl->ports[i].mode;
		}
	const tm_peerauth *chain[] = {wl, ns, mesh};
	for (size_t i = 0; i < TM_ARRAY_LEN(chain); i++)
		if (chain[i] && chain[i]->mode != TM_MTLS_UNSET) {
			*by = chain[i];
			*loc = chain[i]->mode_loc;
			return chain[i]->mode;
		}
	*by = NULL;
	*loc = (tm_loc){NULL, 0, 0, NULL};
	return TM_MTLS_PERMISSIVE;
}

bool tm_policy__applies(const tm_policy *p, const char *ns, const tm_selector *sel, const tm_pm_workload *w)
{
	if (strcmp(ns, p->root_ns) != 0 && strcmp(ns, w->ns) != 0)
		return false;
	return !sel->present || tm_selector_matches(sel, &w->labels);
}

const tm_pm_workload *tm_policy__workload_of(const tm_policy *p, const char *id)
{
	const struct tm_pm_chain *c = id ? tm_hmap_get(&p->wl_by_id, id, strlen(id)) : NULL;
	return c ? &p->workloads[c->i] : NULL;
}

const struct tm_pm_chain *tm_policy__netpols_in(const tm_policy *p, const char *ns)
{
	return tm_hmap_get(&p->np_by_ns, ns, strlen(ns));
}

const struct tm_pm_chain *tm_policy__authzpols_in(const tm_policy *p, const char *ns)
{
	return tm_hmap_get(&p->az_by_ns, ns, strlen(ns));
}

const struct tm_pm_chain *tm_policy__ld_servers_in(const tm_policy *p, const char *ns)
{
	return tm_hmap_get(&p->ld_servers_by_ns, ns, strlen(ns));
}

const struct tm_pm_chain *tm_policy__ld_authzs_in(const tm_policy *p, const char *ns)
{
	return tm_hmap_get(&p->ld_authzs_by_ns, ns, strlen(ns));
}

/* The chain of "ns/name" in m. */
static const struct tm_pm_chain *chain_named(const tm_hmap *m, const char *ns, const char *name)
{
	char key[512];
	int n = tm_formatf(key, sizeof(key), "%s/%s", ns, name);
	if (n < 0 || (size_t)n >= sizeof(key))
		return NULL; /* no name the API server takes is that long */
	return tm_hmap_get(m, key, (size_t)n);
}

const struct tm_pm_chain *tm_policy__ld_authzs_of(const tm_policy *p, const char *ns, const char *server)
{
	return chain_named(&p->ld_az_by_server, ns, server);
}

const struct tm_pm_chain *tm_policy__ld_routes_of(const tm_policy *p, const char *ns, const char *server)
{
	return chain_named(&p->ld_routes_by_server, ns, server);
}

static const char *const LD_POLICIES[] = {"all-unauthenticated",   "cluster-unauthenticated", "all-authenticated",
					  "cluster-authenticated", "deny",		      "audit"};

int tm_policy__ld_policy(const char *name)
{
	for (size_t i = 0; name && i < TM_ARRAY_LEN(LD_POLICIES); i++)
		if (strcmp(name, LD_POLICIES[i]) == 0)
			return (int)i + TM_LD_ALL_UNAUTH;
	return TM_LD_UNSET;
}

const char *tm_policy__ld_policy_name(int policy)
{
	return policy >= TM_LD_ALL_UNAUTH && policy <= TM_LD_AUDIT ? LD_POLICIES[policy - TM_LD_ALL_UNAUTH] : "(unset)";
}

tm_ld_injection tm_policy__ld_injection(const tm_policy *p, const tm_pm_workload *w)
{
	if (w->host_network)
		return TM_LDI_HOST_NETWORK;
	if (w->ld_inject)
		return w->ld_inject > 0 ? TM_LDI_OPT_IN : TM_LDI_OPT_OUT;
	const tm_pm_namespace *ns = tm_policy__namespace(p, w->ns);
	if (!ns)
		return TM_LDI_NS_UNSCANNED;
	return ns->ld_inject > 0 ? TM_LDI_NS_INJECTS : ns->ld_inject < 0 ? TM_LDI_NS_DISABLES : TM_LDI_NS_SILENT;
}

bool tm_policy__ld_skipped(const tm_pm_workload *w, int port)
{
	for (size_t i = 0; i < w->nld_skip; i++)
		if (port >= w->ld_skip[2 * i] && port <= w->ld_skip[2 * i + 1])
			return true;
	return !w->nld_skip && (port == 4567 || port == 4568); /* proxyInit.ignoreInboundPorts */
}

static bool ld_port(const tm_ld_server *s, int port, const char *name)
{
	return !port || (s->port ? s->port == port : name && strcmp(s->port_name, name) == 0);
}

const tm_ld_server *tm_policy__ld_server_at(const tm_policy *p, const tm_pm_workload *w, int port, const char *name)
{
	size_t n;
	const size_t *sel = tm_policy__ld_servers_of(p, w, &n);
	for (size_t i = 0; sel && i < n; i++)
		if (ld_port(&p->ld_servers[sel[i]], port, name))
			return &p->ld_servers[sel[i]];
	if (sel || (w >= p->workloads && w < p->workloads + p->nworkloads))
		return NULL; /* of the table: the freeze found them all */
	for (const struct tm_pm_chain *c = tm_policy__ld_servers_in(p, w->ns); c; c = c->next) {
		const tm_ld_server *s = &p->ld_servers[c->i];
		if (tm_selector_matches(&s->pods, &w->labels) && ld_port(s, port, name))
			return s;
	}
	return NULL;
}

const tm_ld_server *tm_policy__ld_server_named(const tm_policy *p, const char *ns, const char *name)
{
	const struct tm_pm_chain *c = chain_named(&p->ld_server_by_name, ns, name);
	return c ? &p->ld_servers[c->i] : NULL;
}

const size_t *tm_policy__ld_servers_of(const tm_policy *p, const tm_pm_workload *w, size_t *n)
{
	*n = 0;
	if (!p->ld_sel.start || w < p->workloads || w >= p->workloads + p->nworkloads)
		return NULL;
	size_t i = (size_t)(w - p->workloads);
	*n = p->ld_sel.start[i + 1] - p->ld_sel.start[i];
	return p->ld_sel.idx ? p->ld_sel.idx + p->ld_sel.start[i] : (const size_t *)p->ld_sel.start;
}

bool tm_policy__ld_id_key(tm_strbuf *b, size_t set, const char *ns, const char *sa)
{
	tm_strbuf_reset(b);
	tm_strbuf_printf(b, "%zu\x1f%s/%s", set, ns, sa);
	return !b->oom;
}

bool tm_policy__ld_id_in(const tm_policy *p, size_t set, const char *ns, const char *sa)
{
	if (set >= p->nld_idsets)
		return false;
	if (p->ld_idsets[set].any)
		return true;
	tm_strbuf b = TM_STRBUF_INIT;
	bool in = tm_policy__ld_id_key(&b, set, ns, sa) && tm_hmap_get(&p->ld_ids, b.data, b.len);
	in = in || (tm_policy__ld_id_key(&b, set, ns, "*") && tm_hmap_get(&p->ld_ids, b.data, b.len));
	tm_strbuf_dispose(&b);
	return in;
}

/* An IPv4 CIDR ("10.0.0.0/8"; an address alone is /32) into its network and prefix length. */
static bool cidr4(const char *cidr, uint32_t *n, int64_t *bits)
{
	char net[64];
	tm_formatf(net, sizeof(net), "%s", cidr);
	char *slash = strchr(net, '/');
	*bits = 32;
	if (slash) {
		*slash = '\0';
		if (tm_parse_i64(slash + 1, strlen(slash + 1), 10, bits) || *bits < 0 || *bits > 32)
			return false;
	}
	return ipv4(net, n);
}

bool tm_policy__in_cidr(const char *cidr, const char *ip)
{
	if (strcmp(cidr, "::/0") == 0)
		return true;
	uint32_t n, a;
	int64_t bits;
	if (!cidr4(cidr, &n, &bits) || !ipv4(ip, &a))
		return false;
	uint32_t mask = bits ? 0xffffffffu << (32 - bits) : 0;
	return (n & mask) == (a & mask);
}

const char *tm_policy__capture_text(tm_arena *a, const tm_pm_capture *c)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < c->n; i++)
		if (c->ranges)
			tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", c->ranges[i]);
		else
			tm_strbuf_printf(&sb, "%s%d", i ? ", " : "", c->ports[i]);
	const char *s = sb.data && !sb.oom ? tm_arena_strdup(a, sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	return s;
}

bool tm_policy__private_cidr(const char *cidr)
{
	static const char *const ranges[] = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8",
					     "100.64.0.0/10", "169.254.0.0/16"};
	if (strchr(cidr, ':')) /* IPv6: loopback, unique local fc00::/7 */
		return strcmp(cidr, "::1") == 0 || strcmp(cidr, "::1/128") == 0 || strncasecmp(cidr, "fc", 2) == 0 ||
		       strncasecmp(cidr, "fd", 2) == 0;
	uint32_t n;
	int64_t bits;
	if (!cidr4(cidr, &n, &bits))
		return false;
	for (size_t i = 0; i < TM_ARRAY_LEN(ranges); i++) {
		uint32_t rn;
		int64_t rb;
		if (cidr4(ranges[i], &rn, &rb) && bits >= rb && (n & (0xffffffffu << (32 - rb))) == rn)
			return true;
	}
	return false;
}

bool tm_policy__private_ranges(const char *list)
{
	bool any = false;
	for (const char *p = list; p && *p;) {
		p += strspn(p, " ,\t");
		size_t n = strcspn(p, " ,\t");
		if (!n)
			break;
		char one[64];
		if (n >= sizeof(one))
			return false;
		memcpy(one, p, n);
		one[n] = '\0';
		if (!tm_policy__private_cidr(one))
			return false;
		any = true;
		p += n;
	}
	return any;
}

const tm_pm_workload *tm_policy__backend(const tm_policy *p, const tm_pm_service *s)
{
	return p->backend ? p->backend[s - p->services] : NULL;
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
	return p->nnetpols + p->npeerauths + p->nreqauths + p->nauthzpols + p->ngateways + p->nvservices + p->nld_servers +
	       p->nld_authzs + p->nunread;
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
	if (i < p->nnetpols && p->netpols[i].kind) {
		r.kind = p->netpols[i].kind;
		r.ns = p->netpols[i].ns;
		r.name = p->netpols[i].name;
		r.loc = p->netpols[i].loc;
		return r;
	}
	PICK(netpols, "NetworkPolicy")
	PICK(peerauths, "PeerAuthentication")
	PICK(reqauths, "RequestAuthentication")
	PICK(authzpols, "AuthorizationPolicy")
	PICK(gateways, "Gateway")
	PICK(vservices, "VirtualService")
	PICK(ld_servers, "Server")
	if (i < p->nld_authzs) {
		r.kind = p->ld_authzs[i].kind;
		r.ns = p->ld_authzs[i].ns;
		r.name = p->ld_authzs[i].name;
		r.loc = p->ld_authzs[i].loc;
		return r;
	}
	i -= p->nld_authzs;
	if (i < p->nunread) {
		r.kind = p->unread[i].kind;
		r.ns = p->unread[i].ns;
		r.name = p->unread[i].name;
		r.loc = p->unread[i].loc;
	}
#undef PICK
	return r;
}

/* ---- a policy's content, for comparing two versions of it ---------------- */

static void sig_strs(tm_strbuf *b, const char *tag, const tm_strs *s)
{
	if (!s->present)
		return;
	tm_strbuf_printf(b, "%s[", tag);
	for (size_t i = 0; i < s->n; i++)
		tm_strbuf_printf(b, "%s\x1f", s->items[i]);
	tm_strbuf_puts(b, "]");
}

static void sig_sel(tm_strbuf *b, const tm_selector *s)
{
	tm_strbuf_printf(b, "sel%d%d{", s->present, s->invalid);
	for (size_t i = 0; i < s->n; i++) {
		tm_strbuf_printf(b, "%s%d", s->reqs[i].key, s->reqs[i].op);
		sig_strs(b, "v", &s->reqs[i].values);
	}
	tm_strbuf_puts(b, "}");
}

static void sig_np_rules(tm_strbuf *b, const tm_np_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tm_strbuf_printf(b, "rule%d%d(", r[i].peers_present, r[i].ports_present);
		for (size_t p = 0; p < r[i].npeers; p++) {
			sig_sel(b, &r[i].peers[p].pods);
			sig_sel(b, &r[i].peers[p].nss);
			sig_strs(b, "sa", &r[i].peers[p].sas);
			tm_strbuf_printf(b, "cidr%s", r[i].peers[p].cidr ? r[i].peers[p].cidr : "-");
			sig_strs(b, "ex", &r[i].peers[p].except);
		}
		for (size_t p = 0; p < r[i].nports; p++) {
			tm_strbuf_printf(b, "port%s/%d/%s/%d", r[i].ports[p].protocol, r[i].ports[p].port,
					 r[i].ports[p].name ? r[i].ports[p].name : "-", r[i].ports[p].end_port);
			for (size_t h = 0; h < r[i].ports[p].nhttp; h++) { /* Cilium's L7 rules */
				const tm_np_http *x = &r[i].ports[p].http[h];
				tm_strbuf_printf(b, "http{%s\x1f%s\x1f%s\x1f%s", x->method ? x->method : "-",
						 x->path ? x->path : "-", x->host ? x->host : "-", x->secret ? x->secret : "-");
				sig_strs(b, "h", &x->headers);
				tm_strbuf_puts(b, "}");
			}
		}
		tm_strbuf_puts(b, ")");
	}
}

/* ---- Linkerd: what an authorization or a Server admits, for a diff ------------------------------ */

/* Who a default inbound policy (or a Server's accessPolicy) admits, as a set of bits: meshed clients
 * of the cluster, meshed ones from outside, unmeshed ones of the cluster, unmeshed ones from outside.
 * Unset: the control plane's default, all-unauthenticated unless installed otherwise. */
enum { LDA_MESH_IN = 1, LDA_MESH_OUT = 2, LDA_PLAIN_IN = 4, LDA_PLAIN_OUT = 8 };
int tm_policy__ld_admits(int policy)
{
	switch (policy) {
	case TM_LD_DENY:
		return 0;
	case TM_LD_CLUSTER_AUTH:
		return LDA_MESH_IN;
	case TM_LD_ALL_AUTH:
		return LDA_MESH_IN | LDA_MESH_OUT;
	case TM_LD_CLUSTER_UNAUTH:
		return LDA_MESH_IN | LDA_PLAIN_IN;
	default: /* all-unauthenticated, audit (only logs), unset */
		return LDA_MESH_IN | LDA_MESH_OUT | LDA_PLAIN_IN | LDA_PLAIN_OUT;
	}
}

/* How widely authorization z admits: 3 every client, meshed or not, from any address; 2 every pod of
 * the cluster (a private range wide enough to hold them), or every client without an identity from
 * some addresses; 1 every meshed identity; 0 some identities or addresses only. */
static int ld_authz_reach(const tm_policy *p, const tm_ld_authz *z, bool *any_address)
{
	bool every = true, pods = true;
	for (size_t k = 0; k < z->nnetsets; k++) {
		const tm_ld_netset *n = &p->ld_netsets[z->netsets[k]];
		every = every && n->pods == 1 && !n->assumed && !n->except.n;
		pods = pods && n->pods == 1;
	}
	*any_address = every;
	bool ids = !z->meshed;
	for (size_t k = 0; z->meshed && k < z->nidsets; k++)
		ids = k == 0 ? p->ld_idsets[z->idsets[k]].any : ids && p->ld_idsets[z->idsets[k]].any;
	if (!z->meshed)
		return every ? 3 : pods ? 2 : 0;
	return ids && pods ? 1 : 0;
}

static const char *ld_loosened(const tm_policy *pb, size_t i, const tm_policy *ph, size_t k)
{
	size_t before = pb->nnetpols + pb->npeerauths + pb->nreqauths + pb->nauthzpols + pb->ngateways + pb->nvservices;
	size_t hbefore = ph->nnetpols + ph->npeerauths + ph->nreqauths + ph->nauthzpols + ph->ngateways + ph->nvservices;
	if (i < before || k < hbefore)
		return NULL;
	i -= before, k -= hbefore;
	if (i < pb->nld_servers && k < ph->nld_servers) {
		static const char *const access[] = {
			[TM_LD_ALL_UNAUTH] = "its accessPolicy now admits every client (all-unauthenticated)",
			[TM_LD_AUDIT] = "its accessPolicy now admits every client (audit: refusals only logged)",
			[TM_LD_CLUSTER_UNAUTH] = "its accessPolicy now admits every pod of the cluster (cluster-unauthenticated)",
			[TM_LD_ALL_AUTH] = "its accessPolicy now admits every meshed client (all-authenticated)",
			[TM_LD_CLUSTER_AUTH] = "its accessPolicy now admits every meshed pod of the cluster (cluster-authenticated)"};
		int b = pb->ld_servers[i].access, h = ph->ld_servers[k].access;
		bool wider = (tm_policy__ld_admits(h) & ~tm_policy__ld_admits(b)) != 0;
		return wider && h >= 0 && (size_t)h < TM_ARRAY_LEN(access) ? access[h] : NULL;
	}
	i -= pb->nld_servers, k -= ph->nld_servers;
	if (i >= pb->nld_authzs || k >= ph->nld_authzs)
		return NULL;
	bool any_b, any_h;
	int rb = ld_authz_reach(pb, &pb->ld_authzs[i], &any_b), rh = ld_authz_reach(ph, &ph->ld_authzs[k], &any_h);
	if (rh <= rb)
		return NULL;
	return rh == 3 ? (ph->ld_authzs[k].nnetsets ? "it now admits every client, meshed or not, from any address (a "
							"network of 0.0.0.0/0)"
						      : "it now admits every client, meshed or not (unauthenticated)")
	       : rh == 2 ? "it now admits every pod of the cluster, meshed or not (a network holding the pods' addresses)"
			 : "it now admits every meshed identity";
}

const char *tm_model_policy_loosened(const tm_model *base, size_t i, const tm_model *head, size_t k)
{
	static const char *const why[2][5] = {
		{"it no longer isolates ingress", "an ingress rule now admits everything", "it has more ingress rules",
		 "an ingress rule now admits every peer", "an ingress rule now admits every port"},
		{"it no longer isolates egress", "an egress rule now admits everything", "it has more egress rules",
		 "an egress rule now admits every peer", "an egress rule now admits every port"}};
	const tm_policy *pb = tm_model__policy(base), *ph = tm_model__policy(head);
	if (i >= pb->nnetpols || k >= ph->nnetpols)
		return pb->linkerd || ph->linkerd ? ld_loosened(pb, i, ph, k) : NULL;
	const tm_netpol *b = &pb->netpols[i], *h = &ph->netpols[k];
	for (int d = 0; d < 2; d++) {
		bool iso_b = d ? b->egress : b->ingress, iso_h = d ? h->egress : h->ingress;
		if (iso_b && !iso_h)
			return why[d][0];
		if (!iso_b)
			continue;
		const tm_np_rule *rb = d ? b->out : b->in, *rh = d ? h->out : h->in;
		size_t nb = d ? b->nout : b->nin, nh = d ? h->nout : h->nin;
		bool open_b = false, open_h = false;
		for (size_t r = 0; r < nb; r++)
			open_b |= !rb[r].peers_present && !rb[r].ports_present;
		for (size_t r = 0; r < nh; r++)
			open_h |= !rh[r].peers_present && !rh[r].ports_present;
		if (open_h && !open_b)
			return why[d][1];
		if (nh > nb)
			return why[d][2];
		for (size_t r = 0; nh == nb && r < nh; r++) {
			if (!rh[r].peers_present && rb[r].peers_present)
				return why[d][3];
			if (!rh[r].ports_present && rb[r].ports_present)
				return why[d][4];
		}
	}
	return NULL;
}

uint64_t tm_model_policy_signature(const tm_model *m, size_t i)
{
	const tm_policy *p = tm_model__policy(m);
	tm_strbuf b = TM_STRBUF_INIT;
	if (i < p->nnetpols) {
		const tm_netpol *np = &p->netpols[i];
		sig_sel(&b, &np->pods);
		if (np->ns_sel.present)
			sig_sel(&b, &np->ns_sel);
		tm_strbuf_printf(&b, "in%d out%d", np->ingress, np->egress);
		sig_np_rules(&b, np->in, np->nin);
		tm_strbuf_puts(&b, "|");
		sig_np_rules(&b, np->out, np->nout);
		goto done;
	}
	i -= p->nnetpols;
	if (i < p->npeerauths) {
		const tm_peerauth *pa = &p->peerauths[i];
		sig_sel(&b, &pa->sel);
		tm_strbuf_printf(&b, "mode%d", pa->mode);
		for (size_t k = 0; k < pa->nports; k++)
			tm_strbuf_printf(&b, "p%d=%d", pa->ports[k].port, pa->ports[k].mode);
		goto done;
	}
	i -= p->npeerauths;
	if (i < p->nreqauths) {
		sig_sel(&b, &p->reqauths[i].sel);
		sig_strs(&b, "iss", &p->reqauths[i].issuers);
		goto done;
	}
	i -= p->nreqauths;
	if (i < p->nauthzpols) {
		const tm_authzpol *ap = &p->authzpols[i];
		sig_sel(&b, &ap->sel);
		tm_strbuf_printf(&b, "act%d rp%d %s", ap->action, ap->rules_present, ap->provider ? ap->provider : "-");
		for (size_t r = 0; r < ap->nrules; r++) {
			const tm_az_rule *ru = &ap->rules[r];
			tm_strbuf_puts(&b, "R(");
			for (size_t f = 0; f < ru->nfrom; f++) {
				const tm_az_source *sr = &ru->from[f];
				sig_strs(&b, "pr", &sr->principals);
				sig_strs(&b, "npr", &sr->not_principals);
				sig_strs(&b, "rp", &sr->request_principals);
				sig_strs(&b, "nrp", &sr->not_request_principals);
				sig_strs(&b, "ns", &sr->namespaces);
				sig_strs(&b, "nns", &sr->not_namespaces);
				sig_strs(&b, "ip", &sr->ip_blocks);
				sig_strs(&b, "nip", &sr->not_ip_blocks);
			}
			for (size_t t = 0; t < ru->nto; t++) {
				const tm_az_op *op = &ru->to[t];
				sig_strs(&b, "h", &op->hosts);
				sig_strs(&b, "nh", &op->not_hosts);
				sig_strs(&b, "po", &op->ports);
				sig_strs(&b, "npo", &op->not_ports);
				sig_strs(&b, "m", &op->methods);
				sig_strs(&b, "nm", &op->not_methods);
				sig_strs(&b, "pa", &op->paths);
				sig_strs(&b, "npa", &op->not_paths);
			}
			for (size_t w = 0; w < ru->nwhen; w++) {
				tm_strbuf_printf(&b, "w%s", ru->when[w].key);
				sig_strs(&b, "v", &ru->when[w].values);
				sig_strs(&b, "nv", &ru->when[w].not_values);
			}
			tm_strbuf_puts(&b, ")");
		}
		goto done;
	}
	i -= p->nauthzpols;
	if (i < p->ngateways) {
		const tm_istio_gw *g = &p->gateways[i];
		for (size_t k = 0; k < g->selector.n; k++)
			tm_strbuf_printf(&b, "%s=%s,", g->selector.items[k].key, g->selector.items[k].value);
		sig_strs(&b, "hosts", &g->hosts);
		for (size_t k = 0; k < g->nports; k++)
			tm_strbuf_printf(&b, "p%d", g->ports[k]);
		tm_strbuf_printf(&b, "tls%d", g->tls);
		goto done;
	}
	i -= p->ngateways;
	if (i < p->nvservices) {
		const tm_vservice *v = &p->vservices[i];
		sig_strs(&b, "hosts", &v->hosts);
		sig_strs(&b, "gw", &v->gateways);
		for (int kind = 0; kind < 2; kind++)
			for (size_t r = 0; r < (kind ? v->ntcp : v->nhttp); r++) {
				const tm_vs_route *ro = kind ? &v->tcp[r] : &v->http[r];
				tm_strbuf_printf(&b, "r%d(", ro->direct_response);
				for (size_t k = 0; k < ro->nmatches; k++)
					tm_strbuf_printf(&b, "u%d%s m%d%s p%d;", ro->matches[k].uri.kind,
							 ro->matches[k].uri.text ? ro->matches[k].uri.text : "", ro->matches[k].method.kind,
							 ro->matches[k].method.text ? ro->matches[k].method.text : "", ro->matches[k].port);
				for (size_t k = 0; k < ro->ndest; k++)
					tm_strbuf_printf(&b, "d%s:%d", ro->dest_hosts[k], ro->dest_ports[k]);
				tm_strbuf_puts(&b, ")");
			}
		goto done;
	}
	i -= p->nvservices;
	if (i < p->nld_servers) {
		const tm_ld_server *sv = &p->ld_servers[i];
		sig_sel(&b, &sv->pods);
		tm_strbuf_printf(&b, "port%d/%s access%d", sv->port, sv->port_name ? sv->port_name : "-", sv->access);
		for (size_t k = 0; k < sv->labels.n; k++)
			tm_strbuf_printf(&b, "%s=%s,", sv->labels.items[k].key, sv->labels.items[k].value);
		goto done;
	}
	i -= p->nld_servers;
	if (i < p->nld_authzs) {
		const tm_ld_authz *z = &p->ld_authzs[i];
		tm_strbuf_printf(&b, "srv%s ns%d route%s%s mesh%d", z->server ? z->server : "-", z->whole_ns,
				 z->route ? z->route : "-", z->route_gateway ? "@gw" : "", z->meshed);
		sig_sel(&b, &z->server_sel);
		/* what its authentications admit, not their numbers (which follow the scan's order) */
		for (size_t k = 0; k < z->nidsets; k++)
			tm_strbuf_printf(&b, "id%d:%llx", p->ld_idsets[z->idsets[k]].any,
					 (unsigned long long)p->ld_idsets[z->idsets[k]].digest);
		for (size_t k = 0; k < z->nnetsets; k++) {
			sig_strs(&b, "net", &p->ld_netsets[z->netsets[k]].networks);
			sig_strs(&b, "ex", &p->ld_netsets[z->netsets[k]].except);
		}
		goto done;
	}
	i -= p->nld_authzs;
	if (i < p->nunread) /* not evaluated: its content as written */
		tm_strbuf_printf(&b, "unread%llx", (unsigned long long)p->unread[i].sig);
done:;
	uint64_t h = b.data ? tm_hash(b.data, b.len) : 0;
	tm_strbuf_dispose(&b);
	return h;
}
