/*
 * mesh.c - routing and mesh rules. The ones that depend on what a request
 * would meet (gateway-only authorization, policy gaps) ask the query
 * evaluator, so they agree with `trustmap query` by construction.
 */
#include <stdio.h>

#include "rules.h"
#include "trustmap/query.h"

/* Workloads (node ids) an Istio gateway routes to, with the gateway node. */
static bool istio_routed(const tm_model *m, const tm_node *w, const tm_node **gw)
{
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(m, w, TM_EDGE_ROUTES, &cur));) {
		const tm_node *from = tm_edge_from(e);
		if (strncmp(tm_node_id(from), "gateway:istio:", 14) == 0) {
			*gw = from;
			return true;
		}
	}
	return false;
}

/* Does an RA or authorization policy apply at the gateway's workload (its selector's labels)? */
static const char *gateway_policy(const tm_policy *pol, const tm_node *gwnode, tm_loc *loc)
{
	tm_node_id_parts id;
	if (tm_node_id_parse(tm_node_id(gwnode), &id) || !id.ns)
		return NULL;
	for (size_t g = 0; g < pol->ngateways; g++) {
		const tm_istio_gw *ig = &pol->gateways[g];
		if (strlen(ig->ns) != id.ns_len || strncmp(id.ns, ig->ns, id.ns_len) != 0 || strcmp(id.name, ig->name) != 0)
			continue;
		for (size_t i = 0; i < pol->nauthzpols; i++) {
			const tm_authzpol *p = &pol->authzpols[i];
			if ((strcmp(p->ns, pol->root_ns) == 0 || strcmp(p->ns, ig->ns) == 0) &&
			    tm_selector_matches(&p->sel, &ig->selector)) {
				*loc = p->loc;
				return p->name;
			}
		}
		for (size_t i = 0; i < pol->nreqauths; i++) {
			const tm_reqauth *p = &pol->reqauths[i];
			if ((strcmp(p->ns, pol->root_ns) == 0 || strcmp(p->ns, ig->ns) == 0) &&
			    tm_selector_matches(&p->sel, &ig->selector)) {
				*loc = p->loc;
				return p->name;
			}
		}
	}
	return NULL;
}

#define DIRECT_SAMPLE 32

void tm_rule__mesh_gateway_only_authz(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	const tm_policy *pol = tm_model__policy(m);
	/* the gateway's policy depends on the gateway alone: judged once per gateway node, as the
	 * workloads it routes to come (most estates route every service through one or two) */
	const tm_node *last_gw = NULL;
	const char *last_gp = NULL;
	tm_loc last_loc = {0};
	/* Who can call each routed workload is asked of its declared callers (call edges into it) and
	 * of the first DIRECT_SAMPLE workloads of the table, not of every workload: a question per
	 * pair of workloads would grow with the square of the estate. Past that size the finding says
	 * how many were checked. pick marks the sources; added, the callers marked for one workload. */
	unsigned char *pick = tm_calloc(pol->nworkloads + 1, 1);
	size_t *added = NULL, nadded = 0, cap = 0;
	bool ok = pick != NULL;
	for (size_t i = 0; ok && i < pol->nworkloads && i < DIRECT_SAMPLE; i++)
		pick[i] = 1;
	for (size_t i = 0; ok && i < pol->nworkloads; i++) {
		const tm_node *w = tm_model_find(m, pol->workloads[i].node_id);
		const tm_node *gw = NULL;
		tm_loc ploc;
		const char *gp;
		if (!w || !istio_routed(m, w, &gw))
			continue;
		if (gw != last_gw) {
			last_gw = gw;
			last_gp = gateway_policy(pol, gw, &last_loc);
		}
		gp = last_gp;
		ploc = last_loc;
		if (!gp)
			continue;
		tm_request req;
		memset(&req, 0, sizeof(req));
		req.destination = tm_node_id(w);
		nadded = 0;
		size_t cur = 0;
		for (const tm_edge *e; ok && (e = tm_rules__in_edge(m, w, TM_EDGE_CALLS, &cur));) {
			const tm_pm_workload *from = tm_policy__workload_of(pol, tm_node_id(tm_edge_from(e)));
			size_t at = from ? (size_t)(from - pol->workloads) : 0;
			if (!from || pick[at])
				continue;
			ok = !TM_GROW(added, cap, nadded + 1);
			if (ok) {
				pick[at] = 1;
				added[nadded++] = at;
			}
		}
		size_t checked = (pol->nworkloads < DIRECT_SAMPLE ? pol->nworkloads : DIRECT_SAMPLE) + nadded;
		tm_callers callers;
		int qrc = ok ? tm_query_callers_among(&callers, m, &req, pick) : TM_ENOMEM;
		for (size_t k = 0; k < nadded; k++)
			pick[added[k]] = 0;
		if (qrc) {
			tm_callers_dispose(&callers); /* its reason, whatever the result */
			continue;
		}
		const char *direct = NULL;
		size_t ndirect = 0; /* the workloads among the callers (the internet may be one, or not) */
		for (size_t k = 0; k < callers.n; k++)
			if (strcmp(callers.items[k].source, "entrypoint:internet") != 0 && !ndirect++)
				direct = callers.items[k].source;
		if (direct) {
			tm_emit e;
			tm_emit_init(&e, w);
			tm_emit_path(&e, direct);
			tm_emit_loc(&e, ploc);
			if (checked >= pol->nworkloads)
				e.title = tm_rules__printf(c, "%s is guarded at %s (policy %s) but %zu workload%s in the cluster call it directly (e.g. %s)",
							   tm_node_id(w), tm_node_id(gw), gp, ndirect, ndirect == 1 ? "" : "s", direct);
			else
				e.title = tm_rules__printf(c, "%s is guarded at %s (policy %s) but workloads in the cluster call it directly: "
							      "%zu of the %zu checked (its declared callers and the first %d of %zu workloads; e.g. %s)",
							   tm_node_id(w), tm_node_id(gw), gp, ndirect, checked, DIRECT_SAMPLE,
							   pol->nworkloads, direct);
			e.snippet = tm_rules__printf(c,
				"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: %s-callers\n  namespace: %s\n"
				"spec:\n  selector:\n    matchLabels: {app: %s}\n  action: ALLOW\n  rules:\n  - from:\n    - source:\n"
				"        principals: [\"cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account\"]\n",
				pol->workloads[i].name, pol->workloads[i].ns, pol->workloads[i].name);
			/* one cause: the backends one gateway guards alone fold into one finding */
			e.fold = tm_node_id(gw);
			e.fold_label = tm_rules__printf(c, "the routes of %s (policy %s)", tm_node_id(gw), gp);
			e.fold_noun = "workloads";
			e.fold_what = "are guarded only there and accept direct calls from the cluster";
			tm_rules__emit(c, &e);
		}
		tm_callers_dispose(&callers);
	}
	if (!ok)
		tm_rules__oom(c);
	tm_free(pick);
	tm_free(added);
}

/* Did the gateway's routing refuse the request (a route the gateway answers itself, Kong's
 * request-termination; another backend's route), not a check of the caller? */
static bool routing_refused(const tm_verdict *v)
{
	for (size_t i = 0; i < v->nsteps; i++)
		if (strcmp(v->steps[i].layer, "routing") == 0 && strcmp(v->steps[i].decision, "deny") == 0)
			return true;
	return false;
}

/* The routes of edge e that land on one path of the backend, not its root (its upstream_paths:
 * "PATH\tUPSTREAM_PATH", "=PATH" exact), by path into *narrow (the entry's upstream path); a path
 * another route also takes to the root is left out (that route reaches the whole backend). Linear
 * in e's routes. Nonzero when memory ran out. */
static int narrow_routes(const tm_edge *e, tm_hmap *narrow)
{
	const tm_attr *up = tm_edge_attr_get(e, "upstream_paths"), *rc = tm_edge_attr_get(e, "route_checks");
	if (!up || up->type != TM_ATTR_LIST || !rc || rc->type != TM_ATTR_LIST)
		return 0;
	tm_hmap routes = TM_HMAP_INIT; /* path -> how many routes take it */
	int bad = 0;
	for (size_t k = 0; !bad && rc->list[k]; k++) {
		const char *r = rc->list[k] + (rc->list[k][0] == '=' || rc->list[k][0] == '~');
		size_t pl = strcspn(r, "\t");
		uintptr_t n = (uintptr_t)tm_hmap_get(&routes, r, pl);
		bad = tm_hmap_put(&routes, r, pl, (void *)(n + 1));
	}
	for (size_t k = 0; !bad && up->list[k]; k++) {
		const char *r = up->list[k] + (up->list[k][0] == '=' || up->list[k][0] == '~');
		size_t pl = strcspn(r, "\t");
		uintptr_t n = (uintptr_t)tm_hmap_get(&routes, r, pl);
		if (n == 1 && r[pl] == '\t') /* one route takes the path, and it lands on a path */
			bad = tm_hmap_put(narrow, r, pl, (void *)up->list[k]);
	}
	tm_hmap_dispose(&routes);
	return bad;
}

/* The path on the backend the route of path p lands on (from narrow_routes), NULL for the whole
 * backend; *exact: that path alone. */
static const char *upstream_path(const tm_hmap *narrow, const char *p, bool *exact)
{
	const char *r = tm_hmap_get(narrow, p, strlen(p));
	if (!r)
		return NULL;
	*exact = r[0] == '=';
	return strchr(r, '\t') + 1;
}

/* An operation the specs linked to backend w say changes state or returns sensitive fields, under
 * path up (exact: up alone): the first one ("POST /admin/users"), or NULL. */
static const char *sensitive_under(tm_rule_ctx *c, const tm_node *w, const char *up, bool exact)
{
	size_t n = 0, ul = strlen(up);
	while (ul > 1 && up[ul - 1] == '/')
		ul--;
	const tm_edge *const *out = tm_model__outgoing(c->m, w, &n);
	for (size_t i = 0; i < n; i++) {
		const tm_node *ep = tm_edge_to(out[i]);
		if (tm_edge_kind_of(out[i]) != TM_EDGE_EXPOSES || tm_node_kind_of(ep) != TM_NODE_ENDPOINT)
			continue;
		const char *path = tm_node_attr_str(ep, "path"), *m = tm_node_attr_str(ep, "method");
		if (!path || strncmp(path, up, ul) != 0)
			continue;
		bool at = !path[ul] || (path[ul] == '/' && !path[ul + 1]), below = !exact && path[ul] == '/';
		if (!at && !below)
			continue;
		bool write = m && (strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 ||
				   strcmp(m, "DELETE") == 0 || strcmp(m, "ANY") == 0);
		if (write || tm_rules__list(ep, "sensitive_response"))
			return tm_rules__printf(c, "%s %s", m ? m : "ANY", path);
	}
	return NULL;
}

/* TM-MESH-002: the paths every gateway routes to backend w, asked one by one from the internet: one
 * refused without credentials (401/403) while another reaches w without any. The routes may be one
 * gateway's or several (two Ingresses to one Service, one with an authentication plugin); each path
 * is asked once. The finding is keyed by the gateway of the refused path. An open route that lands
 * on one path of the backend (a Kong service's url path, nginx's proxy_pass URI) reaches that path
 * (and below it) only: the finding names it and is medium, unless a spec says an operation there
 * changes state or returns sensitive fields; an open route to the whole backend is preferred. */
static void policy_gap(tm_rule_ctx *c, const tm_node *w, tm_hmap *asked)
{
	const char *open = NULL, *closed = NULL, *closed_by = NULL, *open_up = NULL;
	bool delegated = false, open_exact = false;
	const tm_edge *open_e = NULL, *closed_e = NULL;
	tm_loc closed_at = {NULL, 0, 0, NULL};
	tm_hmap_dispose(asked); /* the last backend's */
	*asked = (tm_hmap)TM_HMAP_INIT;
	size_t cur = 0;
	tm_hmap narrow = TM_HMAP_INIT; /* the edge's routes that land on one upstream path */
	for (const tm_edge *e; (e = tm_rules__in_edge(c->m, w, TM_EDGE_ROUTES, &cur)) && !(open && !open_up && closed);) {
		if (tm_node_kind_of(tm_edge_from(e)) != TM_NODE_GATEWAY)
			continue;
		tm_hmap_dispose(&narrow);
		narrow = (tm_hmap)TM_HMAP_INIT;
		if (narrow_routes(e, &narrow)) {
			tm_hmap_dispose(&narrow);
			return;
		}
		const tm_attr *paths = tm_edge_attr_get(e, "paths");
		for (size_t k = 0; paths && paths->type == TM_ATTR_LIST && paths->list[k] && !(open && !open_up && closed); k++) {
			char path[256];
			const char *p = paths->list[k];
			size_t n = strlen(p);
			if (p[0] != '/' || n >= sizeof(path) || (strchr(p, '*') && strchr(p, '*') != p + n - 1))
				continue;
			memcpy(path, p, n + 1);
			if (n > 1 && path[n - 1] == '*')
				path[n - 1] = '\0';
			bool ex = false;
			const char *up = upstream_path(&narrow, p, &ex);
			/* an open route and a refused one found: only a route to the whole backend is asked more */
			if (tm_hmap_get(asked, path, strlen(path)) || (open && closed && up))
				continue;
			if (tm_hmap_put(asked, p, strlen(path), (void *)p)) { /* p's first bytes are path's */
				tm_hmap_dispose(&narrow);
				return;
			}
			tm_request req;
			memset(&req, 0, sizeof(req));
			req.source = "internet";
			req.destination = tm_node_id(w);
			req.path = path;
			req.gateway_authn = true; /* without credentials: a gateway's own check refuses it too */
			tm_verdict v;
			if (tm_query_can(&v, c->m, &req) == 0) {
				if (v.allowed && (!open || (open_up && !up))) {
					open = tm_rules__printf(c, "%s", p);
					open_e = e;
					open_up = up;
					open_exact = ex;
				} else if (!v.allowed && !closed && !routing_refused(&v) &&
					   (strcmp(v.outcome, "403") == 0 || strcmp(v.outcome, "401") == 0 ||
					    (v.unknown && v.decided_by && strncmp(v.decided_by, "gateway:", 8) == 0))) {
					/* refused, or checked by the service a gateway hands the check to */
					delegated = v.unknown;
					closed = tm_rules__printf(c, "%s", p);
					closed_by = v.decided_by ? tm_rules__printf(c, "%s", v.decided_by) : NULL;
					closed_at = v.decided_at; /* its path is the verdict's: kept past dispose */
					if (closed_at.path)
						closed_at.path = tm_rules__printf(c, "%s", closed_at.path);
					closed_e = e;
				}
			}
			tm_verdict_dispose(&v);
		}
	}
	tm_hmap_dispose(&narrow);
	if (!open || !closed)
		return;
	const tm_node *gw = tm_edge_from(closed_e), *other = tm_edge_from(open_e);
	tm_emit em;
	tm_emit_init(&em, w);
	em.path[0] = "entrypoint:internet";
	em.path[1] = tm_node_id(other);
	em.path[2] = tm_node_id(w);
	em.npath = 3;
	if (tm_edge_evidence_count(closed_e))
		tm_emit_loc(&em, tm_edge_evidence(closed_e, 0));
	if (open_e != closed_e && tm_edge_evidence_count(open_e))
		tm_emit_loc(&em, tm_edge_evidence(open_e, 0));
	tm_emit_loc(&em, closed_at);
	em.key = tm_node_id(gw);
	/* an open route that lands on one path of the backend reaches that much of it */
	const char *op = open_up ? sensitive_under(c, w, open_up, open_exact) : NULL;
	const char *reach = !open_up ? ""
			    : op ? tm_rules__printf(c, ", at its %s %s, where a spec puts %s", open_exact ? "path" : "paths under",
						    open_up, op)
				 : tm_rules__printf(c, ", though only its %s %s (the route's fixed upstream path)",
						    open_exact ? "path" : "paths under", open_up);
	if (open_up && !op)
		em.severity = TM_SEV_MEDIUM;
	em.title = tm_rules__printf(c, "%s: %s is %s (%s) but %s reaches the same backend without any%s%s%s", tm_node_id(w),
				    closed, delegated ? "checked by a login service the gateway hands it to" : "refused without credentials",
				    closed_by ? closed_by : "policy", open, other != gw ? ", through " : "",
				    other != gw ? tm_node_id(other) : "", reach);
	tm_rules__emit(c, &em);
}

void tm_rule__mesh_policy_gap(tm_rule_ctx *c)
{
	tm_hmap asked = TM_HMAP_INIT; /* the paths asked for one backend */
	for (size_t i = 0; i < tm_model_node_count(c->m); i++) {
		const tm_node *w = tm_model_node(c->m, i);
		if (tm_node_kind_of(w) == TM_NODE_SERVICE)
			policy_gap(c, w, &asked);
	}
	tm_hmap_dispose(&asked);
}

/* A call from an internet-facing service to a service that is not exposed, which TM-MESH-003 judges. */
static bool chained_internal(const tm_model *m, const tm_edge *e)
{
	const tm_node *a = tm_edge_from(e), *b = tm_edge_to(e);
	/* a workload running a data store or broker: whether it admits its callers is TM-DATA-002's, and
	 * a path to it through its callers TM-PATH-001's; an application calling its own database is no
	 * finding by itself */
	return tm_edge_kind_of(e) == TM_EDGE_CALLS && tm_node_kind_of(b) == TM_NODE_SERVICE &&
	       tm_node_attr_str(b, "workload") && !tm_node_attr_str(b, "runs_store") &&
	       !tm_rules__internet_facing(m, b) && tm_rules__internet_facing(m, a);
}

void tm_rule__mesh_chained_internal(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	/* each call folds with the larger of its two groups: the internet-facing callers of its callee
	 * (a config or discovery server many of them call), or the internal services its caller calls
	 * (a front end in front of several), the caller's on a tie. Counted once per node, keyed by the
	 * nodes' ids (the model's strings: the maps borrow them) */
	tm_hmap callers = TM_HMAP_INIT, callees = TM_HMAP_INIT;
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (!chained_internal(m, e))
			continue;
		const char *a = tm_node_id(tm_edge_from(e)), *b = tm_node_id(tm_edge_to(e));
		uintptr_t nb = (uintptr_t)tm_hmap_get(&callers, b, strlen(b)), na = (uintptr_t)tm_hmap_get(&callees, a, strlen(a));
		if (tm_hmap_put(&callers, b, strlen(b), (void *)(nb + 1)) || tm_hmap_put(&callees, a, strlen(a), (void *)(na + 1)))
			tm_rules__oom(c);
	}
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const tm_node *a = tm_edge_from(e), *b = tm_edge_to(e);
		if (!chained_internal(m, e))
			continue;
		tm_emit em;
		tm_emit_init(&em, b);
		em.path[0] = "entrypoint:internet";
		em.path[1] = tm_node_id(a);
		em.path[2] = tm_node_id(b);
		em.npath = 3;
		if (tm_edge_evidence_count(e))
			tm_emit_loc(&em, tm_edge_evidence(e, 0));
		em.key = tm_node_id(a);
		em.title = tm_rules__printf(c, "%s is not exposed, but internet-facing %s calls it", tm_node_id(b), tm_node_id(a));
		uintptr_t nb = (uintptr_t)tm_hmap_get(&callers, tm_node_id(b), strlen(tm_node_id(b)));
		uintptr_t na = (uintptr_t)tm_hmap_get(&callees, tm_node_id(a), strlen(tm_node_id(a)));
		if (nb > na) {
			/* several internet-facing callers of one service: one finding listing them */
			em.fold = tm_rules__printf(c, "callee:%s", tm_node_id(b));
			em.fold_label = tm_rules__printf(c, "the callers of %s", tm_node_id(b));
			em.fold_noun = "internet-facing services";
			em.fold_what = "call it, and it is not exposed itself: it trusts what they forward";
		} else {
			/* one internet-facing caller in front of several services: one finding listing them */
			em.fold = tm_node_id(a);
			em.fold_label = tm_rules__printf(c, "the calls of internet-facing %s", tm_node_id(a));
			em.fold_noun = "services";
			em.fold_what = "are not exposed themselves, but trust what it forwards";
		}
		tm_rules__emit(c, &em);
	}
	tm_hmap_dispose(&callers);
	tm_hmap_dispose(&callees);
}

static const char *const *edge_list(const tm_edge *e, const char *key);

/* The gateway route to w that checks the caller at the gateway, the one of a known kind first
 * (basic, jwt...; then one the gateway hands to another service, auth_request or ext_authz, or a
 * middleware not defined in the files); an unknown check not enforced at the gateway (an Ingress
 * that says nothing) is none;
 * *gated when any gateway routes to w. NULL when none checks: the edge carries the weakest check of
 * the gateway's routes to w, so a route that checks only some paths is none. */
static const tm_edge *gateway_check(const tm_model *m, const tm_node *w, bool *gated)
{
	const tm_edge *best = NULL;
	size_t cur = 0;
	*gated = false;
	for (const tm_edge *g; (g = tm_rules__in_edge(m, w, TM_EDGE_ROUTES, &cur));) {
		if (tm_node_kind_of(tm_edge_from(g)) != TM_NODE_GATEWAY)
			continue;
		*gated = true;
		tm_authn a = tm_edge_authn(g);
		/* the gateway's own check: an unknown authn not enforced there is what nobody says */
		if (tm_edge_enforced_at(g) != TM_ENFORCED_GATEWAY)
			continue;
		if (a != TM_AUTHN_NONE && (!best || (tm_edge_authn(best) == TM_AUTHN_UNKNOWN && a != TM_AUTHN_UNKNOWN)))
			best = g;
	}
	return best;
}

/* ", around gateway G, which requires basic credentials (auth_basic staff at nginx.conf:4): this way
 * reaches it without them", of the gateway route chk that checks the caller. */
static const char *bypassed_check(tm_rule_ctx *c, const tm_edge *chk)
{
	const char *const *how = edge_list(chk, "authn_checks");
	tm_authn a = tm_edge_authn(chk);
	const char *gw = tm_node_id(tm_edge_from(chk));
	if (a == TM_AUTHN_UNKNOWN)
		return tm_rules__printf(c, ", around %s, which checks the caller through %s: this way reaches it without that check",
					gw, how && how[0] ? how[0] : "a check it hands to another service");
	return tm_rules__printf(c, ", around %s, which requires %s credentials%s%s%s: this way reaches it without them", gw,
				tm_authn_name(a), how && how[0] ? " (" : "", how && how[0] ? how[0] : "", how && how[0] ? ")" : "");
}

void tm_rule__mesh_bypass_exposure(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	/* the workloads that run a gateway (a routes edge to its node): facing clients is their job */
	tm_pset gateways = TM_PSET_INIT;
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) == TM_EDGE_ROUTES && tm_node_kind_of(tm_edge_from(e)) == TM_NODE_SERVICE &&
		    tm_node_kind_of(tm_edge_to(e)) == TM_NODE_GATEWAY && tm_pset_add(&gateways, tm_edge_from(e)) < 0)
			tm_rules__oom(c);
	}
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const tm_node *w = tm_edge_to(e);
		const tm_attr *fenced = tm_edge_attr_get(e, "private_sources_only");
		if (tm_edge_kind_of(e) != TM_EDGE_ROUTES || strcmp(tm_node_id(tm_edge_from(e)), "entrypoint:internet") != 0 ||
		    tm_node_kind_of(w) != TM_NODE_SERVICE || tm_pset_has(&gateways, w) ||
		    (fenced && fenced->type == TM_ATTR_BOOL && fenced->num)) /* admitting listed sources only */
			continue;
		const char *via = NULL;
		for (size_t a = 0; a < tm_edge_attr_count(e); a++)
			if (strcmp(tm_edge_attr(e, a)->key, "via") == 0)
				via = tm_edge_attr(e, a)->str;
		/* Cloud Run's own front end is the one way into every Cloud Run service: nothing around */
		if (!via || strcmp(via, "Cloud Run") == 0)
			continue;
		bool gated = false;
		const tm_edge *chk = gateway_check(m, w, &gated);
		size_t cur = 0;
		bool nodeport = strcmp(via, "NodePort") == 0;
		/* a backend (another workload calls it) given a load balancer of its own: a way around
		 * the service in front of it, as a gateway's backend's is. The caller must itself be served
		 * (routed to or called): a pure client (a load generator, a batch job) stands in front of
		 * nothing */
		const tm_node *caller = NULL;
		cur = 0;
		for (const tm_edge *k; !gated && !nodeport && !caller && strcmp(via, "LoadBalancer") == 0 &&
				       (k = tm_rules__in_edge(m, w, TM_EDGE_CALLS, &cur));) {
			const tm_node *from = tm_edge_from(k);
			size_t r = 0, q = 0;
			if (tm_node_kind_of(from) == TM_NODE_SERVICE && from != w && tm_node_attr_str(from, "workload") &&
			    (tm_rules__in_edge(m, from, TM_EDGE_ROUTES, &r) || tm_rules__in_edge(m, from, TM_EDGE_CALLS, &q)))
				caller = from;
		}
		tm_emit em;
		tm_emit_init(&em, w);
		em.path[0] = "entrypoint:internet";
		em.path[1] = tm_node_id(w);
		em.npath = 2;
		if (tm_edge_evidence_count(e)) /* the judged fact: the Service's type (or the published port) */
			tm_emit_primary(&em, tm_edge_evidence(e, 0));
		em.key = via;
		/* around a gateway that checks the caller on its way to w: the direct way skips that check */
		if (chk && tm_edge_evidence_count(chk))
			tm_emit_loc(&em, tm_edge_evidence(chk, 0));
		em.severity = nodeport || chk ? TM_SEV_HIGH : gated || caller ? TM_SEV_MEDIUM : TM_SEV_LOW;
		/* one per workload is a repeated fact: they fold per namespace, each listed with its way in */
		tm_emit_fold_namespace(c, &em, "are exposed directly (a LoadBalancer, a NodePort or a published port)");
		const char *const *ports = chk ? edge_list(e, "ports") : NULL;
		em.title = tm_rules__printf(c, "%s is exposed by a %s%s%s%s%s", tm_node_id(w), via,
					    ports && ports[0] ? " on " : "", ports && ports[0] ? ports[0] : "",
					    chk       ? bypassed_check(c, chk)
					    : gated   ? ", around the gateway that also routes to it"
					    : nodeport ? " on every node"
					    : caller   ? ", though it is a backend other services call ("
						       : "",
					    caller ? tm_rules__printf(c, "%s)", tm_node_id(caller)) : "");
		tm_rules__emit(c, &em);
	}
	tm_pset_dispose(&gateways);
}

static void dapr_mtls_off(tm_rule_ctx *c);

void tm_rule__mesh_permissive_mtls(tm_rule_ctx *c)
{
	const tm_policy *pol = tm_model__policy(c->m);
	dapr_mtls_off(c);
	if (!pol->istio)
		return;
	for (size_t i = 0; i < pol->npeerauths; i++) {
		const tm_peerauth *p = &pol->peerauths[i];
		bool weak_port = false;
		for (size_t k = 0; k < p->nports; k++)
			weak_port = weak_port || p->ports[k].mode == TM_MTLS_PERMISSIVE || p->ports[k].mode == TM_MTLS_DISABLE;
		if (p->mode != TM_MTLS_PERMISSIVE && p->mode != TM_MTLS_DISABLE && !weak_port)
			continue;
		/* the subject: a workload it applies to, for owner and exposure */
		const tm_node *subject = tm_rules__policy_subject(c->m, p->ns, &p->sel);
		tm_emit em;
		tm_emit_init(&em, subject);
		em.nevidence = 0;
		tm_emit_loc(&em, p->mode_loc);
		em.anchor = tm_rules__printf(c, "PeerAuthentication %s/%s", p->ns, p->name);
		em.title = tm_rules__printf(c, "PeerAuthentication %s/%s accepts plaintext (%s)", p->ns, p->name,
					    p->mode == TM_MTLS_DISABLE ? "DISABLE" : p->mode == TM_MTLS_PERMISSIVE ? "PERMISSIVE" : "a port");
		em.snippet = tm_rules__printf(c, "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  mtls:\n    mode: STRICT\n", p->name, p->ns);
		tm_rules__emit(c, &em);
	}
	/* the client side: a DestinationRule's tls.mode DISABLE makes the sidecars calling a workload of
	 * the mesh send plaintext (istio.c puts the mode on the workloads its host reaches), which its
	 * sidecar takes unless its PeerAuthentication is STRICT; one finding per DestinationRule */
	TM_EACH_OF_KIND(c->m, w, TM_NODE_SERVICE) {
		const tm_pm_workload *pw = tm_policy__workload_of(pol, tm_node_id(w));
		tm_injection inj = pw ? tm_policy__injection(pol, pw) : TM_INJ_NS_UNLABELLED;
		if (inj != TM_INJ_OPT_IN && inj != TM_INJ_NS_LABEL && inj != TM_INJ_NS_UNSCANNED)
			continue; /* no sidecar answers it: plaintext is what it speaks anyway */
		const tm_peerauth *by;
		tm_loc at;
		if (tm_policy__mtls_mode(pol, pw, 0, &by, &at) == TM_MTLS_STRICT)
			continue; /* its sidecar refuses the plaintext: the calls fail, nothing is read */
		for (size_t k = 0; k < tm_node_fact_count(w); k++) {
			const tm_fact_loc *f = tm_node_fact(w, k);
			if (strcmp(f->key, "client_tls_mode") != 0 || strcmp(f->value, "DISABLE") != 0)
				continue;
			tm_emit em;
			tm_emit_init(&em, w);
			em.nevidence = 0;
			tm_emit_loc(&em, f->loc);
			const char *where = tm_rules__printf(c, "%s:%u", f->loc.path ? f->loc.path : "?", f->loc.line);
			em.key = where;
			em.title = tm_rules__printf(c, "%s is called in plaintext: a DestinationRule sets tls.mode DISABLE for it (%s)",
						    tm_node_id(w), where);
			em.fold = tm_rules__printf(c, "dr:%s", where);
			em.fold_label = tm_rules__printf(c, "the DestinationRule at %s", where);
			em.fold_noun = "workloads";
			em.fold_what = "are called in plaintext (tls.mode DISABLE)";
			em.action = "Set the DestinationRule's `trafficPolicy.tls.mode` to `ISTIO_MUTUAL` (or remove the "
				    "`tls` block: Istio's auto mTLS then applies), and make the workloads' PeerAuthentication "
				    "STRICT so a plaintext caller is refused.";
			tm_rules__emit(c, &em);
			break;
		}
	}
}

/* Dapr's control plane with mTLS off (k8s_dapr.c: the daprsystem Configuration's spec.mtls.enabled
 * false, on every Dapr app): one finding per Configuration, listing the apps. */
static void dapr_mtls_off(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, w, TM_NODE_SERVICE) {
		const char *const *off = tm_rules__list(w, "dapr_mtls_disabled");
		if (!off)
			continue;
		tm_loc at = tm_rules__fact_loc(w, "dapr_mtls_disabled", off[0]);
		tm_emit em;
		tm_emit_init(&em, w);
		em.nevidence = 0;
		tm_emit_loc(&em, at);
		em.key = off[0];
		em.title = tm_rules__printf(c, "%s: its Dapr sidecar takes plaintext, unauthenticated calls from other "
					       "sidecars (%s)", tm_node_id(w), off[0]);
		em.fold = tm_rules__printf(c, "dapr:%s", off[0]);
		em.fold_label = "the cluster";
		em.fold_noun = "Dapr apps";
		em.fold_what = tm_rules__printf(c, "take plaintext, unauthenticated calls between their sidecars (%s)", off[0]);
		em.snippet = "apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: daprsystem\nspec:\n"
			     "  mtls:\n    enabled: true\n";
		em.action = "Turn Dapr's mTLS back on in the control plane's Configuration (`daprsystem`, "
			    "`spec.mtls.enabled: true`, or the chart's `global.mtls.enabled`), so each sidecar proves its "
			    "app-id to the others and access control can rely on it.";
		tm_rules__emit(c, &em);
	}
}

void tm_rule__mesh_no_default_deny(tm_rule_ctx *c)
{
	const tm_policy *pol = tm_model__policy(c->m);
	tm_hmap seen = {0}; /* namespaces already judged: each once, in workload order */
	/* namespaces with a pod Linkerd's default deny does not cover: one without the proxy (opted out,
	 * on the host's network) or with a default of its own */
	tm_hmap open = {0};
	bool none_covered = false; /* out of memory: no namespace counted as covered */
	for (size_t i = 0; pol->linkerd && i < pol->nworkloads && !none_covered; i++) {
		const tm_pm_workload *w = &pol->workloads[i];
		none_covered = (w->ld_inject < 0 || w->host_network || (w->ld_policy && w->ld_policy != TM_LD_DENY)) &&
			       tm_hmap_put(&open, w->ns, strlen(w->ns), (void *)w->ns);
	}
	/* per namespace, its workloads and whether one is selected by no ingress policy of its own: a
	 * namespace whose every workload is isolated lacks only the deny for pods added later (low) */
	tm_hmap count = {0}, bare = {0};
	bool counted = pol->np_sel.start != NULL;
	for (size_t i = 0; counted && i < pol->nworkloads; i++) {
		const tm_pm_workload *w = &pol->workloads[i];
		bool iso = false;
		for (size_t k = pol->np_sel.start[i]; k < pol->np_sel.start[i + 1] && !iso; k++)
			iso = pol->netpols[pol->np_sel.idx[k]].ingress;
		uintptr_t n = (uintptr_t)tm_hmap_get(&count, w->ns, strlen(w->ns));
		counted = !tm_hmap_put(&count, w->ns, strlen(w->ns), (void *)(n + 1)) &&
			  (iso || !tm_hmap_put(&bare, w->ns, strlen(w->ns), (void *)w->ns));
	}
	for (size_t i = 0; i < pol->nworkloads; i++) {
		const char *ns = pol->workloads[i].ns;
		/* a compose project, or a Cloud Run service's location, is no Kubernetes namespace:
		 * NetworkPolicy does not apply there */
		if (pol->workloads[i].kind && (strcmp(pol->workloads[i].kind, "compose-service") == 0 ||
					       strcmp(pol->workloads[i].kind, "CloudRunService") == 0))
			continue;
		if (tm_hmap_get(&seen, ns, strlen(ns)))
			continue;
		if (tm_hmap_put(&seen, ns, strlen(ns), (void *)ns))
			break; /* out of memory: judged what could be */
		bool deny = false;
		for (int all = 0; all < 2 && !deny; all++) /* the namespace's own policies, then cluster-wide */
			for (const struct tm_pm_chain *p = tm_policy__netpols_in(pol, all ? TM_PM_ALL_NAMESPACES : ns);
			     p && !deny; p = p->next) {
				const tm_netpol *np = &pol->netpols[p->i];
				deny = np->ingress && np->pods.present && np->pods.n == 0 && !np->pods.invalid &&
				       tm_policy__netpol_in_ns(pol, np, ns);
			}
		/* Linkerd's proxies refusing by default what no authorization admits, in a namespace that
		 * injects them, are a default deny too */
		const tm_pm_namespace *pn = tm_policy__namespace(pol, ns);
		if (deny || (pn && pn->ld_inject > 0 && pn->ld_policy == TM_LD_DENY && !none_covered &&
			     !tm_hmap_get(&open, ns, strlen(ns))))
			continue;
		tm_emit em;
		tm_emit_init(&em, tm_model_find(c->m, pol->workloads[i].node_id));
		if (pol->workloads[i].loc.path) { /* the workload's manifest, not whatever file sorts first */
			em.nevidence = 0;
			tm_emit_loc(&em, pol->workloads[i].loc);
		}
		em.anchor = tm_rules__printf(c, "namespace:%s", ns);
		size_t nw = counted ? (uintptr_t)tm_hmap_get(&count, ns, strlen(ns)) : 0;
		bool each = nw && !tm_hmap_get(&bare, ns, strlen(ns));
		em.snippet = tm_rules__printf(c, "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: %s\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n", ns);
		/* the namespaces without one: one finding listing them (one guardrail each), those whose
		 * workloads are each isolated apart */
		em.fold_label = "the cluster";
		em.fold_noun = "namespaces";
		if (each) {
			em.severity = TM_SEV_LOW;
			em.title = tm_rules__printf(c, "namespace %s has no default-deny NetworkPolicy (%s %zu workload%s "
							  "has its own policy; a pod added later would be open)",
						    ns, nw == 1 ? "its" : "each of its", nw, nw == 1 ? "" : "s");
			em.action = "Add a default-deny NetworkPolicy to the namespace: each workload is isolated by a "
				    "policy of its own today, and a workload added without one would be open to every pod.";
			em.fold = "namespaces-isolated";
			em.fold_what = "have no default-deny NetworkPolicy, though each of their workloads has its own policy";
		} else {
			em.title = tm_rules__printf(c, "namespace %s has no default-deny NetworkPolicy", ns);
			em.fold = "namespaces";
			em.fold_what = "have no default-deny NetworkPolicy";
		}
		tm_rules__emit(c, &em);
	}
	tm_hmap_dispose(&count);
	tm_hmap_dispose(&bare);
	tm_hmap_dispose(&seen);
	tm_hmap_dispose(&open);
}

/*
 * Data stores, for TM-MESH-007: by image (any path component of the repository, registry host,
 * tag and digest ignored: "postgres:16", "bitnami/redis", "mcr.microsoft.com/mssql/server") and by
 * the container port a compose file publishes or a LoadBalancer opens. Admin UIs (pgadmin,
 * mongo-express) are not stores: their components do not match exactly.
 */
static const char *const STORE_IMAGES[] = {
	"postgres", "postgresql", "postgis", "timescaledb", "timescaledb-ha", "mysql", "mysql-server", "mariadb",
	"percona", "percona-server", "mongo", "mongodb", "mongodb-community-server", "redis", "redis-stack",
	"redis-stack-server", "valkey", "keydb", "dragonfly", "elasticsearch", "opensearch", "cassandra",
	"scylla", "couchdb", "couchbase", "memcached", "rabbitmq", "mssql", "mssql-server-linux", "azure-sql-edge",
	"influxdb", "neo4j",
	"clickhouse", "clickhouse-server", "etcd", "minio", "cockroach", "arangodb", "rethinkdb", "orientdb",
	"dgraph", "questdb", "surrealdb", "ravendb", "solr", "meilisearch", "typesense", "qdrant", "weaviate",
	"milvus", "oracle-xe", "oracle-free", "db2", "memgraph",
};

/* Ports that name a store on their own; not those other software uses as much (50000: Jenkins'
 * agents, Dapr's placement service; 8123: Home Assistant), which need the store's image. */
static const struct {
	int port;
	const char *store;
} STORE_PORTS[] = {
	{1433, "SQL Server"},   {1521, "Oracle"},	  {2379, "etcd"},	  {3306, "MySQL"},
	{5432, "PostgreSQL"},   {5672, "RabbitMQ"},	  {5984, "CouchDB"},	  {6379, "Redis"},
	{7474, "Neo4j"},	{7687, "Neo4j"},	  {8086, "InfluxDB"},	  {8091, "Couchbase"},
	{8529, "ArangoDB"},	  {9042, "Cassandra"},	  {9200, "Elasticsearch"},
	{9300, "Elasticsearch"}, {11211, "Memcached"},	  {15672, "RabbitMQ management"}, {26257, "CockroachDB"},
	{27017, "MongoDB"},     {28015, "RethinkDB"},	  {33060, "MySQL X"},
};

/* The store an image reference names, or NULL. */
static const char *store_image(tm_rule_ctx *c, const char *image)
{
	size_t end = strcspn(image, "@");
	const char *last = image;
	for (const char *p = image; p < image + end; p++)
		if (*p == '/')
			last = p + 1;
	const char *tag = memchr(last, ':', (size_t)(image + end - last));
	if (tag)
		end = (size_t)(tag - image);
	for (const char *p = image; p < image + end;) {
		size_t l = strcspn(p, "/");
		if (l > (size_t)(image + end - p))
			l = (size_t)(image + end - p);
		bool host = p == image && p[l] == '/' && (memchr(p, '.', l) || memchr(p, ':', l) || (l == 9 && !strncmp(p, "localhost", 9)));
		for (size_t i = 0; !host && i < TM_ARRAY_LEN(STORE_IMAGES); i++)
			if (strlen(STORE_IMAGES[i]) == l && strncmp(p, STORE_IMAGES[i], l) == 0 /* repositories are lowercase */)
				return tm_rules__printf(c, "%s", STORE_IMAGES[i]);
		p += l + (p[l] == '/');
	}
	return NULL;
}

/* The number a port item starts with ("8001", "8001/tcp", "15200->8001" after the arrow). */
static int port_number(const char *p)
{
	int n = 0;
	for (; p && *p >= '0' && *p <= '9' && n < 100000; p++)
		n = n * 10 + (*p - '0');
	return n;
}

/* The store a port (5432; "5432", "5432/tcp") is well known for, or NULL. */
static const char *store_port_number(int n)
{
	for (size_t i = 0; i < TM_ARRAY_LEN(STORE_PORTS); i++)
		if (STORE_PORTS[i].port == n)
			return STORE_PORTS[i].store;
	return NULL;
}

static const char *store_port(const char *port) { return store_port_number(port_number(port)); }

static const char *store_of(tm_rule_ctx *c, const tm_node *w)
{
	/* the store the ingesters found it runs (stores.c: its image, or a Dockerfile's FROM), the
	 * same table TM-DATA-002 reads: a broker (Kafka, NATS) or ZooKeeper is as published as a
	 * database; so is a store an operator runs for its resource (k8s_operated.c) */
	const char *runs = tm_node_attr_str(w, "runs_store");
	const tm_node *st = runs ? tm_model_find(c->m, runs) : NULL;
	const char *inferred = st ? tm_node_attr_str(st, "inferred_from") : NULL;
	const char *product = st ? tm_node_attr_str(st, "store") : NULL;
	if (product && inferred && (strncmp(inferred, "image ", 6) == 0 || tm_node_attr_str(w, "operator")))
		return product; /* by its image, or an operator runs it for its resource */
	const char *const *images = tm_rules__list(w, "images");
	for (size_t i = 0; images && images[i]; i++) {
		const char *s = store_image(c, images[i]);
		if (s)
			return s;
	}
	const char *build = tm_node_attr_str(w, "build"); /* a compose build context: ./postgres */
	const char *slash = build ? strrchr(build, '/') : NULL;
	return build && !images ? store_image(c, slash && slash[1] ? slash + 1 : build) : NULL;
}

/* The list attribute key of e (NULL-terminated) or NULL. */
static const char *const *edge_list(const tm_edge *e, const char *key)
{
	for (size_t a = 0; a < tm_edge_attr_count(e); a++)
		if (tm_edge_attr(e, a)->type == TM_ATTR_LIST && strcmp(tm_edge_attr(e, a)->key, key) == 0)
			return tm_edge_attr(e, a)->list;
	return NULL;
}

/* "NodePort" or "LoadBalancer" when e is the internet's route through such a Kubernetes Service,
 * else NULL. */
static const char *node_port_or_lb(const tm_edge *e)
{
	const tm_attr *via = tm_edge_attr_get(e, "via");
	if (!via || via->type != TM_ATTR_STR || strcmp(tm_node_id(tm_edge_from(e)), "entrypoint:internet") != 0)
		return NULL;
	return strcmp(via->str, "NodePort") == 0 || strcmp(via->str, "LoadBalancer") == 0 ? via->str : NULL;
}

/* Compose: the published ports ("[ip:]published->target") of a store, or whose target is a store's port. */
static void published_store_ports(const tm_node *w, const char *store, tm_emit *em, tm_strbuf *sb,
				  const char **what, const char **target)
{
	const char *const *pub = tm_rules__list(w, "published_ports");
	for (size_t i = 0; pub && pub[i]; i++) {
		const char *arrow = strstr(pub[i], "->");
		const char *by_port = arrow ? store_port(arrow + 2) : NULL;
		if (!store && !by_port)
			continue;
		if (!*what) {
			*what = store ? store : by_port;
			*target = arrow ? arrow + 2 : NULL;
		}
		tm_strbuf_printf(sb, "%s%s", sb->len ? ", " : "", pub[i]);
		tm_emit_loc(em, tm_rules__fact_loc(w, "published_ports", pub[i]));
	}
}

static int container_port(const tm_node *w, const char *target);

/* Kubernetes: a NodePort or LoadBalancer Service in front of a store, or opening a store's port: the
 * port the Service opens (a LoadBalancer's) or the container port it lands on (its targetPort, a
 * name through the containers' named ports): a NodePort's own port is one of the cluster's range,
 * never a store's, so the container port is what names the store there. */
static void service_store_ports(tm_rule_ctx *c, const tm_node *w, const char *store, tm_emit *em, tm_strbuf *sb,
				const char **what)
{
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(c->m, w, TM_EDGE_ROUTES, &cur));) {
		const char *via = node_port_or_lb(e);
		if (!via)
			continue;
		const char *const *ports = edge_list(e, "ports");
		const char *const *targets = edge_list(e, "target_ports"); /* "30000->1433", "5432->db" */
		const char *by_port = NULL;
		for (size_t i = 0; !by_port && ports && ports[i]; i++)
			by_port = store_port(ports[i]);
		for (size_t i = 0; !by_port && targets && targets[i]; i++) {
			const char *arrow = strstr(targets[i], "->");
			int cp = arrow ? container_port(w, arrow + 2) : 0;
			by_port = cp > 0 ? store_port_number(cp) : NULL;
		}
		if (!store && !by_port)
			continue;
		if (!*what)
			*what = store ? store : by_port;
		tm_strbuf_printf(sb, "%s%s", sb->len ? ", " : "", via);
		for (size_t i = 0; ports && ports[i]; i++)
			tm_strbuf_printf(sb, " %s", ports[i]);
		if (tm_edge_evidence_count(e))
			tm_emit_loc(em, tm_edge_evidence(e, 0));
	}
}

void tm_rule__mesh_published_store(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, w, TM_NODE_SERVICE) {
		const char *kind = tm_node_attr_str(w, "workload");
		if (!kind)
			continue;
		bool compose = strcmp(kind, "compose-service") == 0;
		const char *store = store_of(c, w), *what = NULL, *target = NULL;
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_emit em;
		tm_emit_init(&em, w);
		em.nevidence = 0;
		if (compose)
			published_store_ports(w, store, &em, &sb, &what, &target);
		else
			service_store_ports(c, w, store, &em, &sb, &what);
		if (sb.len && !sb.oom) {
			const char *const *profiles = tm_rules__list(w, "profiles");
			tm_emit_loc(&em, tm_rules__manifest_loc(w));
			em.path[0] = "entrypoint:internet";
			em.path[1] = tm_node_id(w);
			em.npath = 2;
			em.title = tm_rules__printf(c, "%s: data store (%s) published beyond the host (%s)%s%s%s", tm_node_id(w),
						    what, sb.data, profiles ? " - opt-in profile " : "",
						    profiles ? profiles[0] : "", profiles && profiles[1] ? " and others" : "");
			em.snippet = !compose ? "spec:\n  type: ClusterIP\n"
				     : tm_rules__printf(c, "ports:\n  - \"127.0.0.1:%s:%s\"   # or no ports: at all; services reach it by name\n",
							target ? target : "5432", target ? target : "5432");
			tm_emit_fold_namespace(c, &em, "publish a data store beyond the host");
			tm_rules__emit(c, &em);
		}
		tm_strbuf_dispose(&sb);
	}
}

/* ---- TM-MESH-008: a gateway's admin interface published ------------------------------------- */

/* The port of a listener "address:port" ("0.0.0.0:9901", "[::]:8001") as a number, and whether its
 * address is loopback only (then nothing outside the container reaches it, published or not). */
static int listen_port(const char *listen, bool *loop)
{
	const char *colon = strrchr(listen, ':');
	*loop = colon && tm_host_loopback(listen, (size_t)(colon - listen));
	return port_number(colon ? colon + 1 : listen);
}

/* The container port a Service's targetPort names on workload w: a number as it is, a name through
 * the containers' named ports ("admin=9901"); 0 when none has that name. */
static int container_port(const tm_node *w, const char *target)
{
	if (*target >= '0' && *target <= '9')
		return port_number(target);
	size_t n = strlen(target);
	const char *const *named = tm_rules__list(w, "port_names");
	for (size_t i = 0; named && named[i]; i++)
		if (strncmp(named[i], target, n) == 0 && named[i][n] == '=')
			return port_number(named[i] + n + 1);
	return 0;
}

/* Where workload w publishes port beyond the host: its compose published ports whose container port
 * it is, or the NodePort / LoadBalancer Services whose targetPort it is, into sb (and their places
 * into em). */
static void published_port(tm_rule_ctx *c, const tm_node *w, int port, tm_emit *em, tm_strbuf *sb)
{
	const char *const *pub = tm_rules__list(w, "published_ports");
	for (size_t i = 0; pub && pub[i]; i++) {
		const char *arrow = strstr(pub[i], "->");
		if (!arrow || port_number(arrow + 2) != port)
			continue;
		tm_strbuf_printf(sb, "%s%s", sb->len ? ", " : "", pub[i]);
		tm_emit_loc(em, tm_rules__fact_loc(w, "published_ports", pub[i]));
	}
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(c->m, w, TM_EDGE_ROUTES, &cur));) {
		const char *via = node_port_or_lb(e);
		const char *const *ports = via ? edge_list(e, "target_ports") : NULL; /* "opened->target" */
		for (size_t i = 0; ports && ports[i]; i++) {
			const char *arrow = strstr(ports[i], "->");
			if (arrow && container_port(w, arrow + 2) == port) {
				tm_strbuf_printf(sb, "%s%s %s", sb->len ? ", " : "", via, ports[i]);
				if (tm_edge_evidence_count(e))
					tm_emit_loc(em, tm_edge_evidence(e, 0));
			}
		}
	}
}

/* One admin listener of product (run by w, configured at where) judged: a finding when it is bound
 * beyond loopback and published. why: the Docker Engine API's reason for taking no client
 * certificate (docker_api.c), NULL for the gateways. */
static void admin_published(tm_rule_ctx *c, const tm_node *w, const char *product, const char *listen, tm_loc where,
			    const char *via_gateway, const char *why)
{
	bool loop = false;
	int port = listen_port(listen, &loop);
	if (loop || port <= 0)
		return;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_emit em;
	tm_emit_init(&em, w);
	em.nevidence = 0;
	published_port(c, w, port, &em, &sb);
	if (sb.len && !sb.oom) {
		tm_emit_loc(&em, where);
		tm_emit_loc(&em, tm_rules__manifest_loc(w));
		em.path[0] = "entrypoint:internet";
		em.path[1] = tm_node_id(w);
		em.npath = 2;
		if (via_gateway)
			em.path[em.npath++] = via_gateway;
		em.key = tm_rules__printf(c, "%s:%d", product, port);
		em.title = why ? tm_rules__printf(c, "%s: Docker Engine API published beyond the host without TLS client "
						     "authentication (%s; it listens on %s: %s): whoever reaches it is root on the host",
						  tm_node_id(w), sb.data, listen, why)
			       : tm_rules__printf(c, "%s: %s admin interface published beyond the host (%s; it listens on %s)",
						  tm_node_id(w), product, sb.data, listen);
		/* it starts a privileged container mounting the host's / for anyone: no login to guess (a
		 * socket proxy answers what its settings let through: high) */
		if (why)
			em.severity = strstr(why, "socket proxy") ? TM_SEV_HIGH : TM_SEV_CRITICAL;
		em.snippet = why ? tm_rules__printf(c, "environment:\n  DOCKER_TLS_CERTDIR: /certs   # dockerd on 2376 with "
							  "--tlsverify; clients mount /certs/client\n# and no published port %d\n", port)
			     : strcmp(product, "Envoy") == 0
				     ? tm_rules__printf(c, "admin:\n  address:\n    socket_address: {address: 127.0.0.1, port_value: %d}\n"
							   "# and no published port for it\n", port)
			     : strcmp(product, "Traefik") == 0
				     ? tm_rules__printf(c, "api:\n  insecure: false   # the dashboard through a router with an auth "
							   "middleware, and no published port %d\n", port)
				     : tm_rules__printf(c, "KONG_ADMIN_LISTEN: \"127.0.0.1:%d\"   # and no published port for it\n", port);
		tm_emit_fold_namespace(c, &em, why ? "publish the Docker Engine API beyond the host"
						   : "publish a gateway's admin interface beyond the host");
		tm_rules__emit(c, &em);
	}
	tm_strbuf_dispose(&sb);
}

/* The Docker Engine API of workload w without TLS client authentication: its own dockerd listeners
 * (docker_api.c), or, when it states none, port 2375 (the API's plaintext port) that a client's
 * DOCKER_HOST calls. */
static void docker_api(tm_rule_ctx *c, const tm_node *w)
{
	const char *const *dk = tm_rules__list(w, "docker_api_listen");
	const char *const *why = tm_rules__list(w, "docker_api_plaintext");
	for (size_t a = 0; dk && dk[a]; a++) {
		tm_loc at = tm_rules__fact_loc(w, "docker_api_listen", dk[a]);
		const char *reason = NULL;
		for (size_t k = 0; why && why[k] && !reason; k++) {
			tm_loc wl = tm_rules__fact_loc(w, "docker_api_plaintext", why[k]);
			reason = wl.line == at.line && wl.path && at.path && strcmp(wl.path, at.path) == 0 ? why[k] : NULL;
		}
		admin_published(c, w, "Docker", dk[a], at, NULL, reason ? reason : "no --tlsverify");
	}
	if (dk)
		return;
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(c->m, w, TM_EDGE_CALLS, &cur));) {
		const tm_attr *env = tm_edge_attr_get(e, "env"), *ports = tm_edge_attr_get(e, "ports");
		bool docker_host = false, plain = false;
		for (size_t i = 0; env && env->type == TM_ATTR_LIST && env->list[i]; i++)
			docker_host |= strcmp(env->list[i], "DOCKER_HOST") == 0;
		for (size_t i = 0; ports && ports->type == TM_ATTR_LIST && ports->list[i]; i++)
			plain |= strcmp(ports->list[i], "2375") == 0;
		if (!docker_host || !plain)
			continue;
		const char *const *img = tm_rules__list(w, "images");
		bool proxy = false;
		for (size_t i = 0; img && img[i]; i++)
			proxy |= strstr(img[i], "socket-proxy") != NULL;
		admin_published(c, w, "Docker", "0.0.0.0:2375", tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : (tm_loc){0},
				NULL,
				tm_rules__printf(c, "%s calls it with DOCKER_HOST on port 2375, the API's port without TLS%s",
						 tm_node_id(tm_edge_from(e)),
						 proxy ? "; a Docker socket proxy, answering what its settings let through" : ""));
		return;
	}
}

/* A gateway's route to its own admin interface (fact key's item on gateway n) that checks nothing,
 * from the internet: the finding. to_what NULL: the item is said whole (an IngressRoute's, already
 * judged), else the item is judged by its ", no authentication" ending and said without it, then
 * to_what. */
static void admin_routed(tm_rule_ctx *c, const tm_node *n, const char *key, const char *item, const char *product,
			 const char *to_what, const char *snippet)
{
	const char *open = to_what ? strstr(item, ", no authentication") : NULL;
	if (to_what && (!open || open[19]))
		return;
	int len = open ? (int)(open - item) : (int)strlen(item);
	tm_emit em;
	tm_emit_init(&em, n);
	em.nevidence = 0;
	tm_emit_loc(&em, tm_rules__fact_loc(n, key, item));
	em.path[0] = "entrypoint:internet";
	em.path[1] = tm_node_id(n);
	em.npath = 2;
	em.key = tm_rules__printf(c, "%s:%s", product, item);
	em.title = tm_rules__printf(c, "%s: %s admin interface routed from the internet without authentication (%.*s%s)",
				    tm_node_id(n), product, len, item, to_what ? to_what : "");
	em.snippet = snippet;
	tm_emit_fold_namespace(c, &em, "publish a gateway's admin interface beyond the host");
	tm_rules__emit(c, &em);
}

void tm_rule__mesh_published_admin(tm_rule_ctx *c)
{
	for (size_t i = 0; i < tm_model_node_count(c->m); i++) {
		const tm_node *n = tm_model_node(c->m, i);
		/* Envoy: the admin listener of a configuration, on the workloads that run it; Traefik: its
		 * static configuration's api.insecure, the dashboard on entry point `traefik` */
		const char *const *adm = tm_node_kind_of(n) == TM_NODE_GATEWAY ? tm_rules__list(n, "admin_listen") : NULL;
		const char *const *hosts = adm ? tm_rules__list(n, "hosted_by") : NULL;
		const char *type = adm ? tm_node_attr_str(n, "gateway_type") : NULL;
		const char *product = type && strcmp(type, "traefik") == 0 ? "Traefik" : "Envoy";
		for (size_t a = 0; adm && adm[a]; a++)
			for (size_t h = 0; hosts && hosts[h]; h++) {
				const tm_node *w = tm_model_find(c->m, hosts[h]);
				if (w)
					admin_published(c, w, product, adm[a], tm_rules__fact_loc(n, "admin_listen", adm[a]),
							tm_node_id(n), NULL);
			}
		/* Traefik on Kubernetes: an IngressRoute to api@internal or dashboard@internal that neither
		 * authenticates nor admits private ranges only (k8s_traefik.c); in a dynamic configuration
		 * file, a router to api@internal with no authenticating middleware (gw_traefik.c), on a
		 * gateway the internet routes to */
		const char *const *routed = tm_node_kind_of(n) == TM_NODE_GATEWAY ? tm_rules__list(n, "admin_routes") : NULL;
		const char *const *dash = tm_node_kind_of(n) == TM_NODE_GATEWAY ? tm_rules__list(n, "dashboard_routes") : NULL;
		/* Kong's loopback route to its own Admin API (gateway.c) */
		const char *const *kar = tm_node_kind_of(n) == TM_NODE_GATEWAY ? tm_rules__list(n, "kong_admin_routes") : NULL;
		bool facing = (kar || dash) && tm_rules__internet_facing(c->m, n);
		for (size_t a = 0; facing && kar && kar[a]; a++)
			admin_routed(c, n, "kong_admin_routes", kar[a], "Kong", "",
				     "routes:\n  - name: admin-api\n    paths: [/admin-api]\n    plugins:\n"
				     "      - name: key-auth   # and an acl plugin admitting the admins' group\n");
		for (size_t a = 0; facing && dash && dash[a]; a++)
			admin_routed(c, n, "dashboard_routes", dash[a], "Traefik", " to api@internal",
				     "http:\n  routers:\n    dashboard:\n      rule: Host(`traefik.internal.example`)\n"
				     "      service: api@internal\n      middlewares: [dashboard-auth]   # basicAuth or forwardAuth\n");
		for (size_t a = 0; routed && routed[a]; a++)
			admin_routed(c, n, "admin_routes", routed[a], "Traefik", NULL,
				     "routes:\n  - match: Host(`traefik.internal.example`)\n    middlewares:\n"
				     "      - name: dashboard-auth   # basicAuth or forwardAuth\n    services:\n"
				     "      - name: api@internal\n        kind: TraefikService\n");
		/* Kong: KONG_ADMIN_LISTEN on the workload itself */
		const char *const *kong = tm_node_kind_of(n) == TM_NODE_SERVICE ? tm_rules__list(n, "kong_admin_listen") : NULL;
		for (size_t a = 0; kong && kong[a]; a++)
			admin_published(c, n, "Kong", kong[a], tm_rules__fact_loc(n, "kong_admin_listen", kong[a]), NULL, NULL);
		/* the Docker Engine API without --tlsverify (docker_api.c) */
		if (tm_node_kind_of(n) == TM_NODE_SERVICE)
			docker_api(c, n);
	}
}

/* ---- TM-MESH-012: an operations console reachable without a login -------------------------- */

/* The console w runs (by an image, or a compose build context named like one) and that image;
 * *injected: a sidecar an admission webhook adds to its pods (Dapr's, injected_images), whose port a
 * route to the workload does not reach. */
static const tm_console *console_of(const tm_node *w, const char **image, bool *injected)
{
	const char *const *side = tm_rules__list(w, "injected_images");
	for (size_t i = 0; side && side[i]; i++) {
		const tm_console *k = tm_console_of_image(side[i]);
		if (k) {
			*image = side[i];
			*injected = true;
			return k;
		}
	}
	*injected = false;
	/* the words of its command line that name a console (Flower from Airflow's image) */
	const char *const *cmd = tm_rules__list(w, "console_command");
	const char *const *images = tm_rules__list(w, "images");
	for (size_t i = 0; images && images[i]; i++) {
		const tm_console *k = tm_console_of_run(images[i], cmd);
		if (k) {
			*image = images[i];
			return k;
		}
	}
	const char *const *base = tm_rules__list(w, "base_images"); /* its Dockerfile's FROM */
	for (size_t i = 0; base && base[i]; i++) {
		const tm_console *k = tm_console_of_run(base[i], cmd);
		if (k) {
			*image = base[i];
			return k;
		}
	}
	/* a compose build context (./grafana) when no Dockerfile of it says which image it starts from */
	const char *build = images || base ? NULL : tm_node_attr_str(w, "build");
	const char *slash = build ? strrchr(build, '/') : NULL;
	*image = build;
	const tm_console *k = build ? tm_console_of_run(slash && slash[1] ? slash + 1 : build, cmd) : NULL;
	return k || images || base ? k : tm_console_of_run(NULL, cmd); /* its command alone */
}

/* Does route e check its callers: an authentication it names, one the gateway enforces, or an
 * allow-list of private ranges only? (A plain Ingress's authentication is unknown, not checked; an
 * edge naming the checks of some of its routes whose weakest route checks nothing is not.) */
static bool route_checked(const tm_edge *e)
{
	const tm_attr *a = tm_edge_attr_get(e, "private_sources_only");
	tm_authn au = tm_edge_authn(e);
	return (a && a->type == TM_ATTR_BOOL && a->num) || (tm_edge_attr_get(e, "authn_checks") && au != TM_AUTHN_NONE) ||
	       (au != TM_AUTHN_NONE && au != TM_AUTHN_UNKNOWN);
}

/* The routes into w from the internet through a gateway (an Ingress, a proxy's configuration) that
 * neither authenticates nor admits private ranges only (route_checked), into sb ("through
 * <gateway>"). */
static void console_routes(tm_rule_ctx *c, const tm_node *w, tm_emit *em, tm_strbuf *sb)
{
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(c->m, w, TM_EDGE_ROUTES, &cur));) {
		const tm_node *from = tm_edge_from(e);
		if (from == w || route_checked(e))
			continue;
		bool internet = strcmp(tm_node_id(from), "entrypoint:internet") == 0;
		const tm_attr *via = internet ? tm_edge_attr_get(e, "via") : NULL;
		if (internet && via && via->type == TM_ATTR_STR &&
		    (strncmp(via->str, "compose-", 8) == 0 || strcmp(via->str, "NodePort") == 0 ||
		     strcmp(via->str, "LoadBalancer") == 0))
			continue; /* published ports: judged by the console's own port (published_port) */
		if (!internet && !tm_rules__internet_facing(c->m, from))
			continue;
		tm_strbuf_printf(sb, "%s%s %s", sb->len ? ", " : "", internet ? "routed by" : "through", internet && via && via->type == TM_ATTR_STR ? via->str : tm_node_id(from));
		if (tm_edge_evidence_count(e))
			tm_emit_loc(em, tm_edge_evidence(e, 0));
		if (em->npath < TM_EMIT_MAX - 1 && !internet)
			em->path[em->npath++] = tm_node_id(from);
	}
}

/* The settings the files do not show, from a console's console_env items "?KEY" and "*source":
 * "KEY (passed through from where the project runs) and Secret x (given whole, not scanned) set". */
static const char *unknown_settings(tm_rule_ctx *c, const char *const *env, const char *cond1, const char *cond2)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	size_t n = 0;
#define READ(item) (tm_console_consults(cond1, item) || tm_console_consults(cond2, item))
	for (size_t i = 0; env && env[i]; i++)
		n += READ(env[i]);
	for (size_t i = 0, k = 0; env && env[i]; i++) {
		if (!READ(env[i]))
			continue;
		tm_strbuf_printf(&sb, "%s%s%s", k ? (k + 1 == n ? " and " : ", ") : "", env[i] + 1,
				 env[i][0] == '?'                        ? " (passed through from where the project runs)"
				 : strncmp(env[i], "*env_file ", 10) == 0 ? " (not in the scan)"
									  : " (given whole through envFrom, not scanned)");
		k++;
	}
#undef READ
	if (!n)
		return NULL;
	tm_strbuf_printf(&sb, " set%s", n == 1 ? "s" : "");
	const char *out = sb.oom ? NULL : tm_rules__printf(c, "%s", sb.data);
	tm_strbuf_dispose(&sb);
	return out;
}

/* A Kubernetes workload whose published way in its policies refuse to the internet (a NetworkPolicy
 * admitting its scraper alone): `query can internet` says DENY, decided by a policy. Compose has no
 * such policy; an answer the files cannot decide is no refusal. */
static bool internet_refused(const tm_rule_ctx *c, const tm_node *w)
{
	const char *ns = tm_node_attr_str(w, "namespace");
	if (!ns || strncmp(tm_node_id(w), "service:compose:", 16) == 0)
		return false;
	tm_request req;
	memset(&req, 0, sizeof(req));
	req.source = "internet";
	req.destination = tm_node_id(w);
	tm_verdict v;
	bool refused = tm_query_can(&v, c->m, &req) == 0 && !v.allowed && !v.unknown && v.decided_by;
	tm_verdict_dispose(&v);
	return refused;
}

/* The store of product a workload id runs (its runs_store), or NULL. */
static const tm_node *store_run_by(const tm_model *m, const char *wid, const char *product)
{
	const tm_node *t = wid ? tm_model_find(m, wid) : NULL;
	const char *sid = t ? tm_node_attr_str(t, "runs_store") : NULL;
	const tm_node *s = sid ? tm_model_find(m, sid) : NULL;
	const char *p = s ? tm_node_attr_str(s, "store") : NULL;
	return p && strcmp(p, product) == 0 ? s : NULL;
}

/* A store console w reaches that pick accepts (pick(m, a workload id, ud): the store that workload
 * runs, or NULL): one it calls (*via: that call), else one it depends on, a workload beside it in
 * its project or namespace. NULL when none; *prefix: the length of w's id up to its last '/'
 * (0 when it has none), for the caller's own default. */
typedef const tm_node *(*store_pick)(const tm_model *m, const char *wid, const void *ud);
static const tm_node *reached_store(tm_rule_ctx *c, const tm_node *w, store_pick pick, const void *ud,
				    const tm_edge **via, size_t *prefix)
{
	size_t n;
	const tm_edge *const *inc = tm_model__incident(c->m, w, &n);
	*prefix = 0;
	for (size_t i = 0; i < n; i++)
		if (tm_edge_from(inc[i]) == w && tm_edge_kind_of(inc[i]) == TM_EDGE_CALLS) {
			const tm_node *s = pick(c->m, tm_node_id(tm_edge_to(inc[i])), ud);
			if (s) {
				*via = inc[i];
				return s;
			}
		}
	const char *id = tm_node_id(w), *slash = strrchr(id, '/');
	if (!slash)
		return NULL;
	*prefix = (size_t)(slash - id);
	const char *const *deps = tm_rules__list(w, "depends_on");
	for (size_t i = 0; deps && deps[i]; i++) {
		const tm_node *s = pick(c->m, tm_rules__printf(c, "%.*s/%s", (int)*prefix, id, deps[i]), ud);
		if (s)
			return s;
	}
	return NULL;
}

static const tm_node *pick_product(const tm_model *m, const char *wid, const void *product)
{
	return store_run_by(m, wid, product);
}

/* The store of product (a console's backend: Kibana's Elasticsearch) that console w talks to: one
 * it calls (ELASTICSEARCH_HOSTS), else a workload beside it that it depends on, else the one its
 * image names by default, a workload called after the product in its project or namespace
 * (Kibana's image points at http://elasticsearch:9200). NULL when none is known. */
static const tm_node *backend_store(tm_rule_ctx *c, const tm_node *w, const char *product)
{
	const tm_edge *via = NULL;
	size_t prefix;
	const tm_node *s = reached_store(c, w, pick_product, product, &via, &prefix);
	return s || !prefix ? s
			    : store_run_by(c->m, tm_rules__printf(c, "%.*s/%s", (int)prefix, tm_node_id(w), product), product);
}

/* Is w one of the space-separated words of list? */
static bool word_of(const char *list, const char *w)
{
	size_t n = w ? strlen(w) : 0;
	for (const char *p = list; n && p && *p;) {
		p += strspn(p, " ");
		size_t l = strcspn(p, " ");
		if (l == n && strncmp(p, w, n) == 0)
			return true;
		p += l;
	}
	return false;
}

/* Why database client dbc's login form lets anyone into store s: the store's login everyone knows
 * (auth default-login) or its admitting any client in a way the form takes (dbc->open_stores), as
 * its no_auth fact; NULL when neither, or s is no store dbc signs in to. */
static const char *weak_login(const tm_db_client *dbc, const tm_node *s)
{
	const char *auth = s ? tm_node_attr_str(s, "auth") : NULL;
	const char *product = s ? tm_node_attr_str(s, "store") : NULL;
	const char *const *why = s ? tm_rules__list(s, "no_auth") : NULL;
	if (!auth || !why || !why[0] || !word_of(dbc->stores, product))
		return NULL;
	if (strcmp(auth, "default-login") == 0)
		return why[0];
	if (strcmp(auth, "none") == 0 && !tm_node_attr_get(s, "no_auth_assumed") && word_of(dbc->open_stores, product))
		return why[0];
	return NULL;
}

/* The store workload id runs, when dbc's form lets anyone into it (weak_login), or NULL. */
static const tm_node *weak_store_of(const tm_model *m, const char *wid, const tm_db_client *dbc)
{
	const tm_node *t = wid ? tm_model_find(m, wid) : NULL;
	const char *sid = t ? tm_node_attr_str(t, "runs_store") : NULL;
	const tm_node *s = sid ? tm_model_find(m, sid) : NULL;
	return weak_login(dbc, s) ? s : NULL;
}

static const tm_node *pick_weak(const tm_model *m, const char *wid, const void *dbc)
{
	return weak_store_of(m, wid, dbc);
}

/* The data stores whose login everyone knows or that admit any client, by the compose networks of
 * the workloads running them: "<network id>\x1f<product>\x1f<known|open>" -> the first such store
 * in node order. For the database clients whose form takes any server (Adminer, phpMyAdmin under
 * PMA_ARBITRARY=1), which reach every store of their networks. Linear in the stores and their
 * networks; built once a run, when a client first asks. 0 or TM_ENOMEM. */
static int weak_by_network(tm_rule_ctx *c, tm_hmap *out)
{
	TM_EACH_OF_KIND(c->m, s, TM_NODE_DATASTORE) {
		const char *auth = tm_node_attr_str(s, "auth"), *product = tm_node_attr_str(s, "store");
		const char *const *why = tm_rules__list(s, "no_auth");
		bool known = auth && strcmp(auth, "default-login") == 0;
		bool open = auth && strcmp(auth, "none") == 0 && !tm_node_attr_get(s, "no_auth_assumed");
		const char *in = tm_node_attr_str(s, "runs_in");
		const tm_node *w = in && product && why && why[0] && (known || open) ? tm_model_find(c->m, in) : NULL;
		const char *const *nets = w ? tm_rules__list(w, "network_ids") : NULL;
		for (size_t i = 0; nets && nets[i]; i++) {
			const char *key = tm_rules__printf(c, "%s\x1f%s\x1f%s", nets[i], product, known ? "known" : "open");
			if (!key)
				return TM_ENOMEM;
			if (!tm_hmap_get(out, key, strlen(key)) && tm_hmap_put(out, key, strlen(key), (void *)s))
				return TM_ENOMEM;
		}
	}
	return 0;
}

/* A store of one of w's compose networks that dbc's form lets anyone into (weak_by_network's map
 * nets), or NULL: one whose login everyone knows first, then one open in a way the form takes. */
static const tm_node *weak_on_network(tm_rule_ctx *c, const tm_node *w, const tm_db_client *dbc, const tm_hmap *nets)
{
	const char *const *ids = tm_rules__list(w, "network_ids");
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; ids && ids[i]; i++)
			for (const char *p = dbc->stores; *p;) {
				p += strspn(p, " ");
				size_t l = strcspn(p, " ");
				const char *product = tm_rules__strndup(c, p, l);
				p += l;
				if (!product || (pass && !word_of(dbc->open_stores, product)))
					continue;
				const char *key = tm_rules__printf(c, "%s\x1f%s\x1f%s", ids[i], product, pass ? "open" : "known");
				const tm_node *s = key ? tm_hmap_get(nets, key, strlen(key)) : NULL;
				if (s)
					return s;
			}
	return NULL;
}

/* The store of the scan database client w signs in to that lets anyone in (weak_login): one it
 * calls (PMA_HOST, ADMINER_DEFAULT_SERVER naming it: *via that call), else one it depends on, else,
 * when no setting names a server, the workload its image signs in to by default (`db`) in its
 * project or namespace; else, when its form takes any server, one of its compose networks (nets,
 * built on first use: *built). NULL when none is known. */
static const tm_node *weak_backend(tm_rule_ctx *c, const tm_node *w, const tm_db_client *dbc, const char *const *env,
				   const tm_edge **via, tm_hmap *nets, bool *built)
{
	*via = NULL;
	size_t prefix;
	const tm_node *found = reached_store(c, w, pick_weak, dbc, via, &prefix);
	if (found || !prefix)
		return found;
	const char *id = tm_node_id(w);
	int slash = (int)prefix;
	/* its server named elsewhere (a host the scan does not run) or not: the image's default */
	const tm_node *s = dbc->hosts && tm_console_holds(dbc->hosts, env)
				   ? NULL
				   : weak_store_of(c->m, tm_rules__printf(c, "%.*s/%s", slash, id, dbc->default_host), dbc);
	if (s || (dbc->arbitrary && !tm_console_holds(dbc->arbitrary, env)) || !tm_rules__list(w, "network_ids"))
		return s;
	if (!*built) {
		*built = true;
		if (weak_by_network(c, nets))
			tm_rules__oom(c);
	}
	return weak_on_network(c, w, dbc, nets);
}

/* Does store s ask its clients for a login: a password set, a login everyone knows (still a login
 * page in front of the console), or security on by its version's default? 1 yes, 0 it admits
 * anyone (no_auth, not assumed), -1 not known. */
static int store_secured(const tm_node *s)
{
	const char *auth = tm_node_attr_str(s, "auth");
	if (auth && (strcmp(auth, "configured") == 0 || strcmp(auth, "default-login") == 0))
		return 1;
	if (auth && strcmp(auth, "none") == 0 && !tm_node_attr_get(s, "no_auth_assumed"))
		return 0;
	return tm_rules__attr_true(s, "secured_by_default") ? 1 : -1;
}

/* The title of a model server's finding (TM-MESH-014): by_default, a key or a state everyone can
 * use (LiteLLM's sk-1234, Open WebUI without a login); else open, what a visitor can do, and more
 * when high_when holds. */
static const char *model_title(tm_rule_ctx *c, const tm_node *w, const tm_console *k, const char *where,
			       bool by_default, bool more, const char *unknown)
{
	if (by_default)
		return tm_rules__printf(c, "%s: %s reachable from beyond the host (%s) with %s%s%s", tm_node_id(w),
					k->product, where, k->default_does, unknown ? "; assumed, as the files do not show what " : "",
					unknown ? unknown : "");
	return tm_rules__printf(c, "%s: %s reachable from beyond the host without authentication (%s): %s%s%s%s%s",
				tm_node_id(w), k->product, where, k->does, more && k->high_does ? ", and " : "",
				more && k->high_does ? k->high_does : "", unknown ? "; assumed, as the files do not show what " : "",
				unknown ? unknown : "");
}

/* The console_env facts of a workload and, when its image has a tag, "@TAG" after them, into
 * *items (grown to hold them, NULL-terminated; the caller frees it once done with every workload).
 * TM_ENOMEM when memory ran out. */
static int console_items(tm_rule_ctx *c, const char ***items, size_t *cap, const char *const *facts, const char *image)
{
	size_t n = 0, tl = 0;
	while (facts && facts[n])
		n++;
	const char *tag = tm_console_image_tag(image, &tl);
	const char *item = tag ? tm_rules__printf(c, "@%.*s", (int)tl, tag) : NULL;
	if ((tag && !item) || TM_GROW(*items, *cap, n + 2))
		return TM_ENOMEM;
	for (size_t i = 0; i < n; i++)
		(*items)[i] = facts[i];
	(*items)[n] = item;
	(*items)[n + 1] = NULL;
	return 0;
}

/* The workloads w depends on (compose's depends_on, in its project), each to fn with ud. */
static void each_dependency(tm_rule_ctx *c, const tm_node *w, void (*fn)(const tm_node *d, void *ud), void *ud)
{
	const char *id = tm_node_id(w), *slash = strrchr(id, '/');
	const char *const *deps = slash ? tm_rules__list(w, "depends_on") : NULL;
	for (size_t i = 0; deps && deps[i]; i++) {
		const tm_node *d = tm_model_find(c->m, tm_rules__printf(c, "%.*s/%s", (int)(slash - id), id, deps[i]));
		if (d && d != w)
			fn(d, ud);
	}
}

struct shared {
	tm_rule_ctx *c;
	const tm_console *k;
	const char ***items;
	size_t *cap, n;
	tm_emit *em;
	int err;
};

static void shared_add(const tm_node *d, void *ud)
{
	struct shared *s = ud;
	const char *const *f = tm_rules__list(d, "console_env");
	for (size_t i = 0; f && f[i] && !s->err; i++) {
		if (!tm_console_setting_shared(s->k, f[i]))
			continue;
		if (s->em) {
			tm_emit_loc(s->em, tm_rules__fact_loc(d, "console_env", f[i]));
			continue;
		}
		if (TM_GROW(*s->items, *s->cap, s->n + 2)) {
			s->err = TM_ENOMEM;
			return;
		}
		(*s->items)[s->n++] = f[i];
		(*s->items)[s->n] = NULL;
	}
}

/* The settings console k takes from the workloads w depends on (Airflow's web user, created by its
 * airflow-init: tm_console_setting_shared), after *items (console_items'), those of w's own first.
 * TM_ENOMEM when memory ran out. */
static int shared_items(tm_rule_ctx *c, const tm_node *w, const tm_console *k, const char ***items, size_t *cap)
{
	const char *const *own = tm_rules__list(w, "console_env");
	for (size_t i = 0; own && own[i]; i++)
		if (tm_console_setting_shared(k, own[i]))
			return 0; /* its own settings decide */
	struct shared s = {c, k, items, cap, 0, NULL, 0};
	while (*items && (*items)[s.n])
		s.n++;
	each_dependency(c, w, shared_add, &s);
	return s.err;
}

/* The evidence of the settings shared_items took, into em. */
static void shared_evidence(tm_rule_ctx *c, const tm_node *w, const tm_console *k, tm_emit *em)
{
	const char *const *own = tm_rules__list(w, "console_env");
	for (size_t i = 0; own && own[i]; i++)
		if (tm_console_setting_shared(k, own[i]))
			return;
	struct shared s = {c, k, NULL, NULL, 0, em, 0};
	each_dependency(c, w, shared_add, &s);
}

/* A console started in a development mode (Keycloak's start-dev, Ory's serve --dev) that is reached
 * from beyond the host on any of its ports or by a route: TM-MESH-012, medium, whatever its login. */
static void dev_mode_console(tm_rule_ctx *c, const tm_node *w, const tm_console *k, const char *const *env,
			     const char *const *facts, bool injected)
{
	const int *ports = NULL;
	const char *what = tm_console_dev_mode(k, env, &ports);
	if (!what)
		return;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_emit em;
	tm_emit_init(&em, w);
	em.nevidence = 0;
	em.path[0] = "entrypoint:internet";
	em.npath = 1;
	for (size_t i = 0; i < 2 && ports[i]; i++)
		published_port(c, w, ports[i], &em, &sb);
	if (!injected)
		console_routes(c, w, &em, &sb);
	if (sb.len && !sb.oom && !internet_refused(c, w)) {
		for (size_t i = 0; facts && facts[i]; i++)
			if (strcmp(facts[i], "start-dev") == 0 || strcmp(facts[i], "--dev") == 0)
				tm_emit_loc(&em, tm_rules__fact_loc(w, "console_env", facts[i]));
		tm_emit_loc(&em, tm_rules__manifest_loc(w));
		if (em.npath < TM_EMIT_MAX)
			em.path[em.npath++] = tm_node_id(w);
		em.severity = TM_SEV_MEDIUM;
		em.key = tm_rules__printf(c, "%s dev", k->product);
		/* "Ory Kratos admin API": the product, without the API the mode is not about */
		int plen = strncmp(k->product, "Ory ", 4) == 0 ? (int)strcspn(k->product + 4, " ") + 4 : (int)strlen(k->product);
		int mlen = (int)strcspn(what, ":");
		em.title = tm_rules__printf(c, "%s: %.*s reachable from beyond the host in development mode (%.*s; %s)%s",
					    tm_node_id(w), plen, k->product, mlen, what, sb.data, what + mlen);
		tm_emit_fold_namespace(c, &em, "run an identity service in development mode where visitors reach it");
		tm_rules__emit(c, &em);
	}
	tm_strbuf_dispose(&sb);
}

/* A port the environment moves a console's API to (Ory's SERVE_ADMIN_PORT, Keto's SERVE_WRITE_PORT,
 * NiFi's NIFI_WEB_HTTP_PORT: tm_console_engine_port), or 0. */
static int env_port(const tm_console *k, const char *const *env)
{
	int engine = tm_console_engine_port(k, env);
	if (engine)
		return engine;
	for (size_t i = 0; env && env[i]; i++) {
		if (strncmp(env[i], "SERVE_ADMIN_PORT=", 17) == 0)
			return port_number(env[i] + 17);
		if (strncmp(env[i], "SERVE_WRITE_PORT=", 17) == 0)
			return port_number(env[i] + 17);
	}
	return 0;
}

/* TM-MESH-012 (models false: the operations consoles) and TM-MESH-014 (models true: the
 * model-serving APIs): one table (model/console.c), one reading of its conditions and one test of
 * reachability; the wording and the fold differ. */
static void published_consoles(tm_rule_ctx *c, bool models)
{
	const char **items = NULL; /* a workload's console_env facts and its image's tag */
	size_t cap = 0;
	tm_hmap nets = TM_HMAP_INIT; /* weak stores by network, for database clients (weak_by_network) */
	bool nets_built = false;
	TM_EACH_OF_KIND(c->m, w, TM_NODE_SERVICE) {
		if (!tm_node_attr_str(w, "workload"))
			continue;
		const char *image = NULL;
		bool injected = false;
		const tm_console *k = console_of(w, &image, &injected);
		const char *const *facts = k ? tm_rules__list(w, "console_env") : NULL;
		/* bound to the loopback only (Dapr's sidecar on Kubernetes, by default): nothing beyond the
		 * pod or container reaches it */
		if (!k || tm_console_model_server(k) != models || tm_rules__list(w, "console_loopback"))
			continue;
		/* the conditions read the settings, and the image's tag as "@TAG" (Seq's default changed
		 * with its version) */
		if (console_items(c, &items, &cap, facts, image) || shared_items(c, w, k, &items, &cap)) {
			tm_rules__oom(c);
			break;
		}
		const char *const *env = items;
		/* open: its "when" holds and its "unless" does not; a setting the files do not decide (a
		 * whole Secret not scanned, a variable passed through) is taken as not set, and said */
		bool wa = false, ua = false, da = false;
		bool open = (!k->when || tm_console_decide(k->when, env, &wa)) && !(k->unless && tm_console_decide(k->unless, env, &ua));
		/* a console in front of a store (Kibana): that store's security decides, when it is known */
		const char *backend = tm_console_backend(k);
		const tm_node *store = backend ? backend_store(c, w, backend) : NULL;
		int secured = store ? store_secured(store) : -1;
		if (secured == 1)
			continue;
		const char *does = k->does;
		if (secured == 0) {
			const char *const *why = tm_rules__list(store, "no_auth");
			open = true, wa = ua = false;
			does = tm_rules__printf(c, "everything %s holds, read and written (the %s it talks to admits any client: %s)",
						tm_node_id(store), backend, why && why[0] ? why[0] : "no authentication");
		}
		/* the image's own login left as it ships (Grafana's admin/admin): a login anyone knows; a
		 * model server's comes first (LiteLLM's sk-1234 is a master key set: not open, but known) */
		bool deflt = (!open || models) && k->default_login && tm_console_decide(k->default_login, env, &da);
		if (deflt)
			open = false;
		/* a database client whose login form is the databases' own (phpMyAdmin not signed in by
		 * PMA_USER, Adminer): in front of a store whose login everyone knows, or that admits
		 * whatever is typed, it hands that store to every visitor (high); phpMyAdmin's
		 * PMA_ARBITRARY=1 form takes any server, as Adminer's does (low) */
		const tm_db_client *dbc = models ? NULL : tm_console_db_client(k);
		bool own = dbc && !deflt && (!dbc->own_login || tm_console_holds(dbc->own_login, env));
		const tm_edge *via = NULL;
		const tm_node *weak = own ? weak_backend(c, w, dbc, env, &via, &nets, &nets_built) : NULL;
		bool arbitrary = own && !open && dbc->arbitrary && tm_console_holds(dbc->arbitrary, env);
		int db_sev = weak ? TM_SEV_HIGH : arbitrary ? TM_SEV_LOW : -1;
		if (weak) {
			const char *auth = tm_node_attr_str(weak, "auth");
			bool known = auth && strcmp(auth, "default-login") == 0;
			does = tm_rules__printf(c, "in front of %s, %s (%s): anyone signs in there through its login form and "
						   "reads, changes and drops every database",
						tm_node_id(weak), known ? "whose login everyone knows" : "which admits any client",
						weak_login(dbc, weak));
			open = true, wa = ua = false;
		} else if (arbitrary) {
			does = "a database client open to anyone (PMA_ARBITRARY=1), to sign in to every database its network "
			       "reaches";
			open = true, wa = ua = false;
		}
		/* a development mode: a finding of its own, or said in the console's */
		const int *dev_ports = NULL;
		const char *dev = models ? NULL : tm_console_dev_mode(k, env, &dev_ports);
		if (dev && !open && !deflt)
			dev_mode_console(c, w, k, env, facts, injected);
		if (!open && !deflt)
			continue;
		bool assumed = open ? wa || ua : da;
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_emit em;
		tm_emit_init(&em, w);
		em.nevidence = 0;
		em.path[0] = "entrypoint:internet";
		em.npath = 1;
		/* the ports its command line moves it to (daprd's --dapr-http-port), else the image's */
		const char *const *moved = tm_rules__list(w, "console_ports");
		for (size_t i = 0; moved && moved[i]; i++)
			published_port(c, w, port_number(moved[i]), &em, &sb);
		/* a model server's --port moves its API (vLLM, LiteLLM: the command line, console_env) */
		int port_flag = models ? 0 : env_port(k, env);
		for (size_t i = 0; models && env && env[i]; i++)
			if (strncmp(env[i], "--port=", 7) == 0)
				port_flag = port_number(env[i] + 7);
		if (port_flag > 0 && !moved)
			published_port(c, w, port_flag, &em, &sb);
		for (size_t i = 0; !moved && port_flag <= 0 && i < TM_ARRAY_LEN(k->ports) && k->ports[i]; i++)
			published_port(c, w, k->ports[i], &em, &sb);
		/* on the host's network (network_mode: host) every port it listens on is the host's */
		const char *const *pub = tm_rules__list(w, "published_ports");
		for (size_t i = 0; !sb.len && pub && pub[i]; i++)
			if (strncmp(pub[i], "host->(", 7) == 0) {
				tm_strbuf_printf(&sb, "%s", pub[i]);
				tm_emit_loc(&em, tm_rules__fact_loc(w, "published_ports", pub[i]));
			}
		if (!injected) /* a route reaches the application's port, not its sidecar's */
			console_routes(c, w, &em, &sb);
		if (sb.len && !sb.oom && !internet_refused(c, w)) {
			/* the settings that decided it, then the image and the manifest */
			for (size_t i = 0; facts && facts[i]; i++)
				tm_emit_loc(&em, tm_rules__fact_loc(w, "console_env", facts[i]));
			shared_evidence(c, w, k, &em);
			const char *const *cmd = tm_rules__list(w, "console_command");
			for (size_t i = 0; cmd && cmd[i]; i++)
				tm_emit_loc(&em, tm_rules__fact_loc(w, "console_command", cmd[i]));
			const char *const *why = secured == 0 ? tm_rules__list(store, "no_auth") : NULL;
			if (why && why[0])
				tm_emit_loc(&em, tm_rules__fact_loc(store, "no_auth", why[0]));
			if (weak && via && tm_edge_evidence_count(via))
				tm_emit_loc(&em, tm_edge_evidence(via, 0));
			if (weak)
				tm_emit_loc(&em, tm_rules__fact_loc(weak, "no_auth", weak_login(dbc, weak)));
			tm_emit_loc(&em, tm_rules__fact_loc(w, "injected_images", image));
			tm_emit_loc(&em, tm_rules__fact_loc(w, "images_unpinned", image));
			tm_emit_loc(&em, tm_rules__fact_loc(w, "base_images", image));
			tm_emit_loc(&em, tm_rules__manifest_loc(w));
			if (em.npath < TM_EMIT_MAX)
				em.path[em.npath++] = tm_node_id(w);
			const char *runs = weak ? tm_node_attr_str(weak, "runs_in") : NULL;
			if (runs && em.npath < TM_EMIT_MAX)
				em.path[em.npath++] = runs;
			if (weak && em.npath < TM_EMIT_MAX)
				em.path[em.npath++] = tm_node_id(weak);
			bool by_default = deflt;
			bool high = by_default || (k->high_when && tm_console_holds(k->high_when, env));
			em.severity = db_sev >= 0 ? db_sev : high ? TM_SEV_HIGH : k->severity;
			/* undecided: what the files do not show may set a login; said, and a level lower */
			const char *unknown = !assumed ? NULL
					      : by_default ? unknown_settings(c, env, k->default_login, NULL)
							   : unknown_settings(c, env, k->when, k->unless);
			if (assumed && em.severity > TM_SEV_LOW)
				em.severity--;
			em.key = k->product;
			if (models)
				em.title = model_title(c, w, k, sb.data, by_default,
						       k->high_when && tm_console_holds(k->high_when, env), unknown);
			else if (weak)
				em.title = tm_rules__printf(c, "%s: %s console reachable from beyond the host (%s) %s%s%s",
							    tm_node_id(w), k->product, sb.data, does,
							    unknown ? "; assumed, as the files do not show what " : "",
							    unknown ? unknown : "");
			else if (by_default)
				em.title = tm_rules__printf(c, "%s: %s console reachable from beyond the host with a login "
								  "everyone knows (%s): %s%s%s",
							    tm_node_id(w), k->product, sb.data, k->default_does,
							    unknown ? "; assumed, as the files do not show what " : "",
							    unknown ? unknown : "");
			else
				em.title = tm_rules__printf(c, "%s: %s console reachable from beyond the host without a login (%s): %s%s%s%s%s",
							    tm_node_id(w), k->product, sb.data, does,
							    high && k->high_when ? (k->high_does ? ", and " : ", who may change them too") : "",
							    high && k->high_when && k->high_does ? k->high_does : "",
							    unknown ? "; assumed, as the files do not show what " : "",
							    unknown ? unknown : "");
			if (dev && em.title)
				em.title = tm_rules__printf(c, "%s; it runs in development mode (%.*s)", em.title,
							    (int)strcspn(dev, ":"), dev);
			tm_emit_fold_namespace(c, &em, models ? "leave a model-serving API open to visitors"
							      : "leave an operations console open to visitors");
			tm_rules__emit(c, &em);
			dev = NULL; /* said in this finding */
		}
		tm_strbuf_dispose(&sb);
		if (dev) /* its console not reached (Kratos' admin port): the mode on the ports that are */
			dev_mode_console(c, w, k, env, facts, injected);
	}
	tm_free(items);
	tm_hmap_dispose(&nets);
}

void tm_rule__mesh_published_console(tm_rule_ctx *c) { published_consoles(c, false); }

/* ---- TM-MESH-014: a model-serving API reachable without authentication ------------------------- */

void tm_rule__mesh_model_server(tm_rule_ctx *c) { published_consoles(c, true); }

/* ---- TM-MESH-013: the internet's way in serves plaintext ------------------------------------------- */

/* A plaintext gateway's way in from the internet, the first it has: a routes edge from the internet
 * itself, or from the workload that runs the gateway (a proxy's published port, its LoadBalancer)
 * when the internet reaches that workload directly. Through another gateway: none (the outer one
 * decides, and is judged itself). */
static const tm_edge *plaintext_way_in(const tm_model *m, const tm_node *g)
{
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(m, g, TM_EDGE_ROUTES, &cur));) {
		const tm_node *from = tm_edge_from(e);
		if (strcmp(tm_node_id(from), "entrypoint:internet") == 0)
			return e;
		if (tm_node_kind_of(from) != TM_NODE_SERVICE)
			continue;
		size_t k = 0;
		for (const tm_edge *x; (x = tm_rules__in_edge(m, from, TM_EDGE_ROUTES, &k));)
			if (strcmp(tm_node_id(tm_edge_from(x)), "entrypoint:internet") == 0)
				return x;
	}
	return NULL;
}

void tm_rule__mesh_plaintext_entry(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, g, TM_NODE_GATEWAY) {
		const tm_attr *tls = tm_node_attr_get(g, "tls");
		if (!tls || tls->type != TM_ATTR_BOOL || tls->num)
			continue;
		/* Kong's declarative file states no listener (kong.conf does): its tls says nothing */
		const tm_edge *in = strncmp(tm_node_id(g), "gateway:kong:", 13) != 0 ? plaintext_way_in(c->m, g) : NULL;
		const char *how = in ? tm_edge_attr_str(in, "via") : NULL;
		if (!in || (how && strcmp(how, "assumed") == 0)) /* a gateway nothing is known to run */
			continue;
		/* an nginx file with no server block (a main nginx.conf including the files that hold them,
		 * each judged on its own; a snippet) listens on nothing itself */
		if (tm_node_attr_get(g, "no_server"))
			continue;
		/* a Traefik that routes nothing (in a stack of its own, its routers in other projects'
		 * labels) answers 404 to everything the files show; one whose upstreams did not resolve
		 * still serves them, and a web server without routes serves its own files; an Ingress whose
		 * rules name no backend answers 404 to all (routes_nothing) */
		size_t nout;
		const tm_edge *const *out = tm_model__outgoing(c->m, g, &nout);
		bool routes = (strncmp(tm_node_id(g), "gateway:traefik:", 16) != 0 && !tm_node_attr_get(g, "routes_nothing")) ||
			      tm_rules__list(g, "unresolved_upstreams") != NULL;
		for (size_t i = 0; i < nout && !routes; i++)
			routes = tm_edge_kind_of(out[i]) == TM_EDGE_ROUTES;
		if (!routes)
			continue;
		tm_emit e;
		tm_emit_init(&e, g);
		e.nevidence = 0;
		tm_emit_loc(&e, tm_node_evidence_count(g) ? tm_node_evidence(g, 0) : (tm_loc){0});
		if (tm_edge_evidence_count(in))
			tm_emit_loc(&e, tm_edge_evidence(in, 0));
		const char *const *hosts = tm_rules__list(g, "hosts");
		if (hosts && hosts[0])
			tm_emit_loc(&e, tm_rules__fact_loc(g, "hosts", hosts[0]));
		e.path[0] = "entrypoint:internet";
		e.npath = 1;
		if (tm_edge_to(in) != g)
			tm_emit_path(&e, tm_node_id(tm_edge_to(in)));
		tm_emit_path(&e, tm_node_id(g));
		const char *via = tm_edge_attr_str(in, "via");
		e.title = tm_rules__printf(c, "%s serves %s to the internet without TLS%s%s%s (unless TLS ends in front of it, "
					      "outside the files)",
					   tm_node_id(g), hosts && hosts[0] ? hosts[0] : "its routes",
					   hosts && hosts[0] && hosts[1] ? " and other hosts" : "", via ? ", reached by " : "",
					   via ? via : "");
		tm_emit_fold_namespace(c, &e, "serve the internet without TLS");
		e.fold_noun = "gateways";
		tm_rules__emit(c, &e);
	}
	tm_rules__plaintext_listeners(c); /* brokers' listeners (async.c) */
}

/* ---- TM-MESH-009: an application container runs as the proxy's UID ----------------------------- */

enum { INJ_NO, INJ_NO_ISTIO, INJ_ASSUMED, INJ_YES };

/*
 * Does w's pod carry an Istio sidecar? As the policy model decides it (tm_policy__injection, which
 * analyze/query.c sidecar() reads too), in its order: a gateway's pods are the proxy itself (no
 * sidecar capture to bypass); hostNetwork and the pod's own opt-out rule injection out; the pod's
 * opt-in, its namespace's label (or revision) and an injected istio-proxy container written in the
 * manifest say yes; a scanned namespace without the label says no; an unscanned one is assumed
 * injected. Where no Istio configuration was scanned at all the query
 * reads every pod as outside the mesh; here injection is still assumed (INJ_NO_ISTIO, said and ranked
 * lower): UID 1337 itself is Istio's, nobody picks it by chance. *why says which reason decided.
 */
static int injection(tm_rule_ctx *c, const tm_policy *pol, const tm_pm_workload *w, const tm_node *n,
		     const char **why)
{
	tm_injection how = tm_policy__injection(pol, w);
	if (how == TM_INJ_GATEWAY || how == TM_INJ_HOST_NETWORK || how == TM_INJ_OPT_OUT || tm_policy__ambient(how))
		return INJ_NO; /* an ambient pod has no sidecar: ztunnel captures it, whatever its UID */
	const char *const *containers = tm_rules__list(n, "containers");
	for (size_t i = 0; containers && containers[i]; i++)
		if (strcmp(containers[i], "istio-proxy") == 0) {
			*why = "the manifest carries the injected istio-proxy container";
			return INJ_YES;
		}
	if (how == TM_INJ_OPT_IN) {
		*why = "the pod asks for injection";
		return INJ_YES;
	}
	if (how == TM_INJ_NS_LABEL) {
		*why = tm_rules__printf(c, "namespace %s is labelled for injection", w->ns);
		return INJ_YES;
	}
	if (how == TM_INJ_NS_UNLABELLED)
		return INJ_NO;
	*why = pol->istio ? tm_rules__printf(c, "injection assumed: namespace %s was not scanned", w->ns)
			  : "injection assumed: no Istio configuration was scanned";
	return pol->istio ? INJ_ASSUMED : INJ_NO_ISTIO;
}

void tm_rule__mesh_proxy_uid(tm_rule_ctx *c)
{
	const tm_policy *pol = tm_model__policy(c->m);
	for (size_t i = 0; i < pol->nworkloads; i++) {
		const tm_pm_workload *w = &pol->workloads[i];
		const tm_node *n = tm_model_find(c->m, w->node_id);
		const char *const *cs = n ? tm_rules__list(n, "runs_as_proxy_uid") : NULL;
		const char *why = NULL;
		int inj = cs ? injection(c, pol, w, n, &why) : INJ_NO;
		if (inj == INJ_NO)
			continue;
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_emit em;
		tm_emit_init(&em, n);
		em.nevidence = 0;
		for (size_t k = 0; cs[k]; k++) {
			tm_strbuf_printf(&sb, "%s%s", k ? ", " : "", cs[k]);
			tm_emit_loc(&em, tm_rules__fact_loc(n, "runs_as_proxy_uid", cs[k]));
		}
		tm_emit_loc(&em, tm_rules__manifest_loc(n));
		if (!sb.oom) {
			em.severity = inj == INJ_NO_ISTIO ? TM_SEV_MEDIUM : TM_SEV_HIGH;
			em.title = tm_rules__printf(c, "%s: container%s %s run%s as UID 1337, the Istio proxy's own, so %s connections "
							"bypass the sidecar: no mTLS identity, no egress policy (%s)",
						    tm_node_id(n), cs[1] ? "s" : "", sb.data, cs[1] ? "" : "s",
						    cs[1] ? "their" : "its", why);
			em.snippet = "securityContext:\n  runAsUser: 1000   # any UID but 1337, which Istio keeps for istio-proxy\n";
			tm_emit_fold_namespace(c, &em, "run a container as UID 1337, the Istio proxy's own");
			tm_rules__emit(c, &em);
		} else {
			tm_rules__oom(c);
		}
		tm_strbuf_dispose(&sb);
	}
}

/* ---- TM-MESH-010: a DestinationRule that does not verify the server ---------------------------- */

/* The data store n is, or NULL: the store (or broker) ingest/stores.c found running in the workload
 * (its product), else one its image names; for a ServiceEntry host, a database's port among its ports. */
static const char *tls_store(tm_rule_ctx *c, const tm_node *n)
{
	if (tm_node_kind_of(n) == TM_NODE_SERVICE) {
		const char *sid = tm_node_attr_str(n, "runs_store");
		const tm_node *ds = sid ? tm_model_find(c->m, sid) : NULL;
		const char *product = ds ? tm_node_attr_str(ds, "store") : NULL;
		return product ? product : store_of(c, n);
	}
	const char *const *ports = tm_rules__list(n, "ports");
	for (size_t i = 0; ports && ports[i]; i++)
		if (store_port(ports[i]))
			return store_port(ports[i]);
	return NULL;
}

void tm_rule__mesh_tls_unverified(tm_rule_ctx *c)
{
	static const tm_node_kind kinds[] = {TM_NODE_SERVICE, TM_NODE_EXTERNAL};
	for (size_t k = 0; k < TM_ARRAY_LEN(kinds); k++)
		TM_EACH_OF_KIND(c->m, n, kinds[k]) {
			/* "DestinationRule ns/name[ port N][ subset S]: MODE", at the insecureSkipVerify line */
			const char *const *facts = tm_rules__list(n, "tls_unverified");
			tm_emit em;
			if (!facts || !tm_rules__facts(c, &em, n, "tls_unverified", "TLS to it is not verified", TM_SEV_MEDIUM))
				continue;
			const char *store = tls_store(c, n);
			for (size_t i = 0; !store && facts[i]; i++) {
				const char *port = strstr(facts[i], " port ");
				store = port ? store_port(port + 6) : NULL;
			}
			const char *loc = tm_node_kind_of(n) == TM_NODE_EXTERNAL ? tm_node_attr_str(n, "location") : NULL;
			bool outside = loc && strcmp(loc, "MESH_EXTERNAL") == 0;
			if (outside || store)
				em.severity = TM_SEV_HIGH;
			tm_strbuf sb = TM_STRBUF_INIT;
			for (size_t i = 0; facts[i]; i++)
				tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", facts[i]);
			em.title = tm_rules__printf(c, "%s: the sidecars calling it do not verify its certificate (insecureSkipVerify "
							"in %s%s%s)", tm_node_id(n), sb.data ? sb.data : "",
						    outside ? "; a host outside the mesh" : store ? "; a data store: " : "",
						    outside || !store ? "" : store);
			if (sb.oom)
				tm_rules__oom(c);
			tm_strbuf_dispose(&sb);
			/* the rule it is judged by: "DestinationRule ns/name" */
			const char *name = facts[0] + strlen("DestinationRule ");
			em.key = tm_rules__strndup(c, facts[0], (size_t)(name - facts[0]) + strcspn(name, " :"));
			em.snippet = "tls:\n  mode: SIMPLE\n  caCertificates: /etc/certs/server-ca.pem   # or ca.crt in the "
				     "credentialName secret\n  subjectAltNames: [\"<the server's name>\"]\n  # and no insecureSkipVerify\n";
			/* one DestinationRule over the workloads of one Service: one finding listing them */
			em.fold = em.key;
			em.fold_label = tm_rules__printf(c, "the host of %s", em.key);
			em.fold_noun = "workloads";
			em.fold_what = "are called over TLS that does not verify their certificate";
			tm_rules__emit(c, &em);
		}
}

/* ---- TM-MESH-011: connections the Istio sidecar does not capture -------------------------------- */

/*
 * What is benign, and why (the rule's text says the same):
 * - Istio's own ports, 15000-15090 (15020 the merged metrics and status port the injector itself
 *   excludes, 15021 health, 15090 Envoy's metrics): excluding them exposes no application port.
 * - An inbound metrics or health port (by its container or Service port name): Prometheus scraping
 *   without mTLS is the usual reason; still low, what it serves is readable by any pod.
 * - Outbound: loopback (never captured anyway) and the default cluster IP of the `kubernetes`
 *   Service on kubeadm, AKS, EKS, k3s, microk8s and kubespray (excluded so that operators reach the
 *   API server before the proxy is ready; the API server is not in the mesh).
 */
#define ISTIO_PORTS_FIRST 15000
#define ISTIO_PORTS_LAST 15090

static bool istio_port(int port)
{
	return port >= ISTIO_PORTS_FIRST && port <= ISTIO_PORTS_LAST;
}

static bool metrics_name(const char *name)
{
	static const char *const words[] = {"metric", "prometheus", "health", "status", "probe", "monitor", "stats"};
	for (size_t i = 0; name && i < TM_ARRAY_LEN(words); i++)
		if (strstr(name, words[i]))
			return true;
	return false;
}

/* An outbound range left out that costs nothing: loopback, or the API server's default address. */
static bool benign_range(const char *cidr)
{
	static const char *const apiserver[] = {"10.96.0.1/32", "10.0.0.1/32",   "172.20.0.1/32",   "10.100.0.1/32",
						"10.43.0.1/32", "10.152.183.1/32", "10.233.0.1/32"};
	if (strncmp(cidr, "127.", 4) == 0 && tm_policy__cidr_prefix(cidr) >= 8)
		return true;
	if (strcmp(cidr, "::1/128") == 0)
		return true;
	for (size_t i = 0; i < TM_ARRAY_LEN(apiserver); i++)
		if (strcmp(cidr, apiserver[i]) == 0)
			return true;
	return false;
}

/* The Service of w (through its Services, by target port number or name) with a port whose pod port
 * is port, that port in *out, or NULL; *metrics when that port, or the container port, is named for
 * metrics or health. */
static const tm_pm_service *service_port(const tm_policy *pol, const tm_pm_workload *w, const tm_node *n, int port,
					 const tm_pm_sport **out, bool *metrics)
{
	for (size_t i = 0; i < w->nports; i++)
		if (w->ports[i].port == port && metrics_name(w->ports[i].name))
			*metrics = true;
	const char *const *names = tm_rules__list(n, "k8s_services");
	for (size_t k = 0; names && names[k]; k++)
		for (const struct tm_pm_chain *ch = tm_policy__services_named(pol, names[k]); ch; ch = ch->next) {
			const tm_pm_service *s = &pol->services[ch->i];
			if (strcmp(s->ns, w->ns) != 0)
				continue;
			for (size_t p = 0; p < s->nports; p++) {
				const tm_pm_sport *sp = &s->ports[p];
				int target = sp->target;
				for (size_t i = 0; sp->target_name && i < w->nports; i++)
					if (w->ports[i].name && strcmp(w->ports[i].name, sp->target_name) == 0)
						target = w->ports[i].port;
				if (target != port)
					continue;
				*metrics = *metrics || metrics_name(sp->name);
				*out = sp;
				return s;
			}
		}
	return NULL;
}

/* The first AuthorizationPolicy (not AUDIT) that applies to w, or NULL. */
static const tm_authzpol *authz_at(const tm_policy *pol, const tm_pm_workload *w)
{
	tm_pm_cursor cur;
	tm_policy__cands(pol, &pol->az_cands, pol->nauthzpols, w, &cur);
	for (size_t i; tm_policy__cand_next(&cur, &i);) {
		const tm_authzpol *ap = &pol->authzpols[i];
		if (ap->action != TM_AZ_AUDIT && tm_policy__applies(pol, ap->ns, &ap->sel, w))
			return ap;
	}
	return NULL;
}

/* What an Istio policy is meant to enforce on w's port: STRICT mTLS, or az (w's AuthorizationPolicy,
 * or NULL). Their words ("STRICT mTLS (PeerAuthentication shop/default)"), NULL when neither; their
 * lines in em. */
static const char *protection(tm_rule_ctx *c, const tm_policy *pol, const tm_pm_workload *w, int port,
			      const tm_authzpol *az, tm_emit *em)
{
	const tm_peerauth *pa;
	tm_loc loc;
	const char *mtls = NULL;
	if (tm_policy__mtls_mode(pol, w, port, &pa, &loc) == TM_MTLS_STRICT && pa) {
		mtls = tm_rules__printf(c, "STRICT mTLS (PeerAuthentication %s/%s)", pa->ns, pa->name);
		tm_emit_loc(em, loc);
	}
	if (az)
		tm_emit_loc(em, az->loc);
	if (mtls && az)
		return tm_rules__printf(c, "%s and AuthorizationPolicy %s/%s", mtls, az->ns, az->name);
	return az ? tm_rules__printf(c, "AuthorizationPolicy %s/%s", az->ns, az->name) : mtls;
}

/* One port left out of the sidecar's inbound capture, judged: its words into sb, its severity. A port
 * a Service exposes is high, unless that Service is a LoadBalancer or NodePort (reached from outside
 * the cluster anyway: an ingress controller in the mesh is the usual case); a metrics or health port low. */
static int inbound_port(const tm_policy *pol, const tm_pm_workload *w, const tm_node *n, int port, tm_strbuf *sb)
{
	bool metrics = false;
	const tm_pm_sport *sp = NULL;
	const tm_pm_service *svc = service_port(pol, w, n, port, &sp, &metrics);
	bool public = svc && svc->type &&
		      (strcmp(svc->type, "LoadBalancer") == 0 || strcmp(svc->type, "NodePort") == 0);
	tm_strbuf_printf(sb, "%s%d", sb->len ? ", " : "", port);
	if (svc)
		tm_strbuf_printf(sb, " (Service %s port %d%s%s%s%s)", svc->name, sp->port, public ? ", a " : "",
				 public ? svc->type : "", public ? " reached from outside the cluster anyway" : "",
				 metrics ? ", metrics or health" : "");
	else if (metrics)
		tm_strbuf_puts(sb, " (metrics or health)");
	return metrics ? TM_SEV_LOW : svc && !public ? TM_SEV_HIGH : TM_SEV_MEDIUM;
}

/* Add port to the set (at most max), once. */
static void add_port(int *set, size_t *n, size_t max, int port)
{
	for (size_t i = 0; i < *n; i++)
		if (set[i] == port)
			return;
	if (*n < max)
		set[(*n)++] = port;
}

/* The pod ports w is known to listen on: its container ports and its Services' target ports. */
static size_t known_ports(const tm_policy *pol, const tm_pm_workload *w, const tm_node *n, int *set, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < w->nports; i++)
		add_port(set, &k, max, w->ports[i].port);
	const char *const *names = tm_rules__list(n, "k8s_services");
	for (size_t j = 0; names && names[j]; j++)
		for (const struct tm_pm_chain *ch = tm_policy__services_named(pol, names[j]); ch; ch = ch->next) {
			const tm_pm_service *s = &pol->services[ch->i];
			for (size_t p = 0; strcmp(s->ns, w->ns) == 0 && p < s->nports; p++)
				if (s->ports[p].target)
					add_port(set, &k, max, s->ports[p].target);
		}
	return k;
}

#define MAX_PORTS 64

/* The ports w's sidecar leaves out of its inbound capture where an Istio policy is meant to guard
 * them: their sentence into say, their evidence into em (the snippet too); the severity, -1 when none. */
static int inbound(tm_rule_ctx *c, const tm_policy *pol, const tm_pm_workload *w, const tm_node *n, tm_strbuf *say,
		   tm_emit *em)
{
	const tm_pm_capture *inc = &w->capture[TM_CAP_IN_INCLUDE], *exc = &w->capture[TM_CAP_IN_EXCLUDE];
	const tm_pm_capture *by = inc->present && !inc->all ? inc : exc;
	if (!by->present)
		return -1;
	const char *ann = tm_policy__capture_annotation((int)(by - w->capture));
	/* the ports left out: the exclusions, or the known ports an include list leaves out */
	int cand[MAX_PORTS], known[MAX_PORTS];
	size_t ncand = 0;
	if (by == exc) {
		for (size_t i = 0; i < exc->n; i++)
			add_port(cand, &ncand, MAX_PORTS, exc->ports[i]);
	} else {
		size_t nk = known_ports(pol, w, n, known, MAX_PORTS);
		for (size_t i = 0; i < nk; i++)
			if (tm_policy__inbound_bypass(w, known[i]))
				add_port(cand, &ncand, MAX_PORTS, known[i]);
	}
	const tm_authzpol *az = authz_at(pol, w);
	tm_emit ev = *em; /* the policies' lines go in only when a port is judged */
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *guards = NULL;
	int sev = -1, first = 0;
	size_t judged = 0;
	for (size_t i = 0; i < ncand; i++) {
		const char *g = istio_port(cand[i]) ? NULL : protection(c, pol, w, cand[i], az, &ev);
		if (!g)
			continue;
		guards = guards ? guards : g;
		if (!judged++)
			first = cand[i];
		int s = inbound_port(pol, w, n, cand[i], &sb);
		sev = s > sev ? s : sev;
	}
	bool every = by == inc && !inc->n && !ncand; /* nothing captured, and no port known to list */
	if (every && (guards = protection(c, pol, w, 0, az, &ev)) != NULL) {
		tm_strbuf_puts(&sb, "every port");
		sev = TM_SEV_MEDIUM;
	}
	if (guards && sb.data && !sb.oom) {
		bool many = !every && judged > 1;
		*em = ev;
		tm_emit_primary(em, by->loc);
		tm_strbuf_printf(say, "%s%s %s left out of its Istio sidecar's capture (%s), so %s %s not apply there: "
				      "any pod reaches %s in plaintext, without an identity",
				 every ? "" : many ? "ports " : "port ", sb.data, many ? "are" : "is", ann, guards,
				 strstr(guards, " and ") ? "do" : "does", many ? "them" : "it");
		const char *app = tm_labels_get(&w->labels, "app");
		em->snippet = tm_rules__printf(
			c, "# keep the port in the sidecar's capture (drop it from %s); if a caller cannot do mTLS,\n"
			   "# accept plaintext on that port alone, with AuthorizationPolicy still enforced:\n"
			   "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: %s-port-%d\n"
			   "  namespace: %s\nspec:\n  selector:\n    matchLabels: {app: %s}\n  mtls:\n    mode: STRICT\n"
			   "  portLevelMtls:\n    %d:\n      mode: PERMISSIVE\n",
			ann, w->name, first ? first : 8080, w->ns, app ? app : w->name, first ? first : 8080);
	} else {
		sev = -1;
	}
	if (sb.oom)
		tm_rules__oom(c);
	tm_strbuf_dispose(&sb);
	return sev;
}

/* One outbound exclusion, judged: its words into sb (with the annotation's location in em), its
 * severity; -1 when it costs nothing. */
static int outbound_item(tm_rule_ctx *c, const tm_pm_capture *cap, int which, size_t i, tm_strbuf *sb, tm_emit *em)
{
	const char *what;
	int sev = TM_SEV_LOW;
	if (which == TM_CAP_OUT_EXCLUDE_PORTS) {
		int port = cap->ports[i];
		char num[16];
		tm_formatf(num, sizeof(num), "%d", port);
		if (istio_port(port))
			return -1;
		const char *store = store_port(num);
		what = store ? tm_rules__printf(c, "port %d (%s)", port, store) : tm_rules__printf(c, "port %d", port);
	} else {
		const char *r = cap->ranges[i];
		if (benign_range(r))
			return -1;
		bool all = tm_policy__cidr_prefix(r) == 0;
		if (all)
			sev = TM_SEV_MEDIUM;
		bool metadata = tm_policy__in_cidr(r, "169.254.169.254");
		what = all	 ? tm_rules__printf(c, "every address (%s)", r)
		       : metadata ? tm_rules__printf(c, "%s (%sthe cloud's metadata endpoint)", r,
						     strcmp(r, "169.254.169.254/32") == 0 ? "" : "with ")
				  : r;
	}
	tm_strbuf_printf(sb, "%s%s", sb->len ? ", " : "", what);
	tm_emit_loc(em, cap->loc);
	return sev;
}

/* The connections w's sidecar leaves out of its outbound capture: their sentence into say, their
 * evidence into em; the severity, -1 when none that costs something. */
static int outbound(tm_rule_ctx *c, const tm_pm_workload *w, tm_strbuf *say, tm_emit *em)
{
	static const int lists[] = {TM_CAP_OUT_EXCLUDE_PORTS, TM_CAP_OUT_EXCLUDE_RANGES};
	const tm_pm_capture *ir = &w->capture[TM_CAP_OUT_INCLUDE_RANGES];
	tm_strbuf sb = TM_STRBUF_INIT, anns = TM_STRBUF_INIT;
	int sev = -1;
	for (size_t l = 0; l < TM_ARRAY_LEN(lists); l++) {
		const tm_pm_capture *cap = &w->capture[lists[l]];
		bool named = false;
		for (size_t i = 0; i < cap->n; i++) {
			int s = outbound_item(c, cap, lists[l], i, &sb, em);
			if (s < 0)
				continue;
			sev = s > sev ? s : sev;
			if (!named)
				tm_strbuf_printf(&anns, "%s%s", anns.len ? ", " : "",
						 tm_policy__capture_annotation(lists[l]));
			named = true;
		}
	}
	if (ir->present && !ir->all) {
		tm_strbuf_printf(&sb, "%severy address%s", sb.len ? ", " : "", ir->n ? " outside " : "");
		for (size_t i = 0; i < ir->n; i++)
			tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", ir->ranges[i]);
		tm_strbuf_printf(&anns, "%s%s%s", anns.len ? ", " : "",
				 tm_policy__capture_annotation(TM_CAP_OUT_INCLUDE_RANGES), ir->n ? "" : " empty");
		tm_emit_loc(em, ir->loc);
		int s = ir->n ? TM_SEV_LOW : TM_SEV_MEDIUM;
		sev = s > sev ? s : sev;
	}
	if (sev >= 0 && sb.data && anns.data && !sb.oom && !anns.oom)
		tm_strbuf_printf(say, "%sits connections to %s leave around its Istio sidecar (%s): plaintext without the "
				      "workload's identity, outside the mesh's egress policy",
				 say->len ? "; " : "", sb.data, anns.data);
	else
		sev = -1;
	if (sb.oom || anns.oom)
		tm_rules__oom(c);
	tm_strbuf_dispose(&sb);
	tm_strbuf_dispose(&anns);
	return sev;
}

/* Is w meshed by Linkerd as its annotations say (the pod's, else its namespace's)? *why says which. */
static bool linkerd_meshed(tm_rule_ctx *c, const tm_policy *pol, const tm_pm_workload *w, const char **why)
{
	tm_ld_injection how = tm_policy__ld_injection(pol, w);
	*why = how == TM_LDI_OPT_IN ? "the pod asks for linkerd's proxy"
				    : tm_rules__printf(c, "namespace %s injects linkerd's proxy", w->ns);
	return how == TM_LDI_OPT_IN || how == TM_LDI_NS_INJECTS;
}

/* What Linkerd is meant to enforce on w's port: the Server selecting it there, else a default inbound
 * policy that admits fewer than every pod of the cluster. Its words, NULL when neither; its line in em. */
static const char *linkerd_guard(tm_rule_ctx *c, const tm_policy *pol, const tm_pm_workload *w, int port, tm_emit *em)
{
	const char *name = NULL;
	for (size_t i = 0; i < w->nports; i++)
		if (w->ports[i].port == port)
			name = w->ports[i].name;
	const tm_ld_server *s = tm_policy__ld_server_at(pol, w, port, name);
	if (s) {
		tm_emit_loc(em, s->loc);
		return tm_rules__printf(c, "Server %s/%s", s->ns, s->name);
	}
	const tm_pm_namespace *ns = tm_policy__namespace(pol, w->ns);
	int dflt = w->ld_policy ? w->ld_policy : ns ? ns->ld_policy : TM_LD_UNSET;
	if (dflt != TM_LD_ALL_AUTH && dflt != TM_LD_CLUSTER_AUTH && dflt != TM_LD_DENY)
		return NULL;
	tm_emit_loc(em, w->ld_policy ? w->ld_policy_loc : ns->ld_policy_loc);
	return tm_rules__printf(c, "the default inbound policy %s", tm_policy__ld_policy_name(dflt));
}

/* Ports w's Linkerd proxy leaves around it (config.linkerd.io/skip-inbound-ports) where a Linkerd
 * policy is meant to guard them: one finding, as the Istio sidecar's. */
static void linkerd_skipped(tm_rule_ctx *c, const tm_policy *pol, const tm_pm_workload *w)
{
	const char *why;
	const tm_node *n = w->nld_skip ? tm_model_find(c->m, w->node_id) : NULL;
	if (!n || !linkerd_meshed(c, pol, w, &why))
		return;
	int known[MAX_PORTS];
	size_t nk = known_ports(pol, w, n, known, MAX_PORTS);
	tm_emit em;
	tm_emit_init(&em, n);
	em.nevidence = 0;
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *guards = NULL;
	int sev = -1, first = 0;
	size_t judged = 0;
	for (size_t i = 0; i < nk; i++) {
		const char *g = tm_policy__ld_skipped(w, known[i]) ? linkerd_guard(c, pol, w, known[i], &em) : NULL;
		if (!g)
			continue;
		guards = guards ? guards : g;
		if (!judged++)
			first = known[i];
		int one = inbound_port(pol, w, n, known[i], &sb);
		sev = one > sev ? one : sev;
	}
	if (guards && sb.data && !sb.oom) {
		bool many = judged > 1;
		tm_emit_primary(&em, w->ld_skip_loc);
		em.severity = sev;
		em.title = tm_rules__printf(c, "%s: %s%s %s left around its Linkerd proxy (config.linkerd.io/skip-inbound-ports), "
					       "so %s does not apply there: any pod reaches %s in plaintext, without an "
					       "identity (%s)", tm_node_id(n), many ? "ports " : "port ", sb.data,
					    many ? "are" : "is", guards, many ? "them" : "it", why);
		em.snippet = tm_rules__printf(c, "# keep the port behind the proxy: drop it from skip-inbound-ports; a protocol\n"
						 "# the proxy cannot detect (a database's, a server-speaks-first one) is marked\n"
						 "# opaque instead, and stays under mTLS and policy:\n"
						 "metadata:\n  annotations:\n    config.linkerd.io/opaque-ports: \"%d\"\n", first);
		tm_emit_fold_namespace(c, &em, "leave ports around their Linkerd proxy");
		tm_rules__emit(c, &em);
	} else if (sb.oom) {
		tm_rules__oom(c);
	}
	tm_strbuf_dispose(&sb);
}

/* A pod that runs without Linkerd's proxy, as its annotations say (it opts out, its namespace
 * disables the proxy, it runs on the host's network), while a Server selects it: the Server and its
 * authorizations are enforced by the proxy alone, so every port of the pod is left around it. One
 * finding, ranked as a left-out port. */
static void linkerd_unmeshed(tm_rule_ctx *c, const tm_policy *pol, const tm_pm_workload *w)
{
	tm_ld_injection how = tm_policy__ld_injection(pol, w);
	if (how != TM_LDI_OPT_OUT && how != TM_LDI_NS_DISABLES && how != TM_LDI_HOST_NETWORK)
		return;
	size_t nsel = 0;
	const size_t *sel = tm_policy__ld_servers_of(pol, w, &nsel);
	const tm_node *n = sel && nsel ? tm_model_find(c->m, w->node_id) : NULL;
	if (!n)
		return;
	const tm_ld_server *s = &pol->ld_servers[sel[0]];
	int known[MAX_PORTS];
	size_t nk = known_ports(pol, w, n, known, MAX_PORTS);
	tm_emit em;
	tm_emit_init(&em, n);
	em.nevidence = 0;
	tm_strbuf sb = TM_STRBUF_INIT;
	int sev = -1;
	size_t judged = 0;
	for (size_t i = 0; i < nk; i++) {
		const char *name = NULL;
		for (size_t p = 0; p < w->nports; p++)
			if (w->ports[p].port == known[i])
				name = w->ports[p].name;
		const tm_ld_server *at = tm_policy__ld_server_at(pol, w, known[i], name);
		if (!at)
			continue;
		if (!judged++)
			s = at;
		int one = inbound_port(pol, w, n, known[i], &sb);
		sev = one > sev ? one : sev;
	}
	if (!judged) { /* the Server's port is not among the pod's declared ones: the pod is still unguarded */
		sev = TM_SEV_MEDIUM;
		tm_strbuf_printf(&sb, "%s", s->port_name ? s->port_name : tm_rules__printf(c, "%d", s->port));
	}
	if (sb.data && !sb.oom) {
		const char *why = how == TM_LDI_OPT_OUT	       ? "the pod says linkerd.io/inject: disabled"
				  : how == TM_LDI_NS_DISABLES ? tm_rules__printf(c, "namespace %s disables the proxy", w->ns)
							      : "it runs on the host's network, where linkerd never injects it";
		tm_emit_primary(&em, tm_rules__manifest_loc(n));
		tm_emit_loc(&em, s->loc);
		em.severity = sev;
		em.title = tm_rules__printf(c, "%s: runs without its Linkerd proxy (%s) while Server %s/%s selects it, so the "
					       "Server and its authorizations are not enforced: any pod reaches port%s %s in "
					       "plaintext, without an identity", tm_node_id(n), why, s->ns, s->name,
					    judged > 1 ? "s" : "", sb.data);
		em.snippet = "# let the proxy enforce the Server: drop the opt-out (or mesh the namespace), or\n"
			     "# delete the Server if the pod is meant to run outside the mesh\n"
			     "metadata:\n  annotations:\n    linkerd.io/inject: enabled\n";
		tm_emit_fold_namespace(c, &em, "run without their Linkerd proxy while a Server selects them");
		tm_rules__emit(c, &em);
	} else if (sb.oom) {
		tm_rules__oom(c);
	}
	tm_strbuf_dispose(&sb);
}

void tm_rule__mesh_capture_excluded(tm_rule_ctx *c)
{
	const tm_policy *pol = tm_model__policy(c->m);
	for (size_t i = 0; i < pol->nworkloads; i++) {
		const tm_pm_workload *w = &pol->workloads[i];
		if (pol->linkerd) {
			linkerd_skipped(c, pol, w);
			linkerd_unmeshed(c, pol, w);
		}
		bool any = false;
		for (int k = 0; k < TM_CAP_COUNT; k++)
			any = any || w->capture[k].present;
		const tm_node *n = any ? tm_model_find(c->m, w->node_id) : NULL;
		const char *why = NULL;
		int inj = n ? injection(c, pol, w, n, &why) : INJ_NO;
		if (inj == INJ_NO)
			continue;
		tm_emit em;
		tm_emit_init(&em, n);
		em.nevidence = 0;
		tm_strbuf say = TM_STRBUF_INIT;
		/* inbound needs Istio policy to bypass; outbound is judged alone, ranked lower without any */
		int in = pol->istio ? inbound(c, pol, w, n, &say, &em) : -1;
		int out = outbound(c, w, &say, &em);
		if (inj == INJ_NO_ISTIO && out > TM_SEV_INFO)
			out--;
		int sev = in > out ? in : out;
		if (sev >= 0 && say.data && !say.oom) {
			tm_emit_loc(&em, tm_rules__manifest_loc(n));
			em.severity = sev;
			em.title = tm_rules__printf(c, "%s: %s (%s)", tm_node_id(n), say.data, why);
			if (in < 0)
				em.snippet = "# let the sidecar capture them: remove the exclusion, or narrow it to the\n"
					     "# one address or port that must bypass it, and say why beside it\n"
					     "metadata:\n  annotations:\n"
					     "    traffic.sidecar.istio.io/excludeOutboundIPRanges: \"10.96.0.1/32\"  # the API server\n";
			tm_emit_fold_namespace(c, &em, "leave connections out of their Istio sidecar's capture");
			tm_rules__emit(c, &em);
		} else if (say.oom) {
			tm_rules__oom(c);
		}
		tm_strbuf_dispose(&say);
	}
}

/* ---- TM-MESH-015: an ingress controller that runs Ingress authors' configuration snippets ------- */

void tm_rule__mesh_ingress_snippets(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, n, TM_NODE_SERVICE) {
		const char *const *why = tm_rules__list(n, "snippet_annotations");
		if (!why || !why[0])
			continue;
		tm_emit em;
		tm_emit_init(&em, n);
		em.nevidence = 0;
		tm_emit_loc(&em, tm_rules__fact_loc(n, "snippet_annotations", why[0]));
		tm_emit_loc(&em, tm_rules__manifest_loc(n));
		em.title = tm_rules__printf(c, "%s: ingress-nginx runs the configuration snippets of any Ingress's annotations (%s)",
					    tm_node_id(n), why[0]);
		em.snippet = "# the controller's ConfigMap (Helm: controller.allowSnippetAnnotations: false)\n"
			     "data:\n  allow-snippet-annotations: \"false\"\n";
		tm_rules__emit(c, &em);
	}
}
