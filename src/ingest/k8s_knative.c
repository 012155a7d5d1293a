/*
 * k8s_knative.c - Knative (docs/inputs.md, "Knative"): Serving's Services, the domains they are
 * published under and the DomainMappings that publish them again; Google Cloud Run's service YAML,
 * which is Knative's API served by Google rather than a cluster; Eventing's Brokers, Triggers and
 * SinkBindings.
 *
 *   KnativeService (serving.knative.dev Service): its pods are a workload (k8s.c, pass 1); here, its
 *       name a Service the cluster resolves, and, unless it is cluster-local, a gateway
 *       "gateway:<ns>/<name>" (knative-route) reached from the internet at <name>.<ns>.<domain>. The
 *       domain is the one config-domain (knative-serving) gives its labels, chosen as Knative's
 *       LookupDomainForLabels does: the visibility label first, then the entry whose selector has
 *       the most labels among those matching, ties to the smaller domain name. A domain of
 *       svc.cluster.local (any .local one) keeps it inside the cluster.
 *   KnativeDomainMapping (serving.knative.dev DomainMapping, v1alpha1 or v1beta1): a gateway
 *       "gateway:knativedomainmapping:<ns>/<domain>" reached from the internet that routes the domain
 *       to the Service spec.ref names (in the mapping's namespace), cluster-local or not: Knative
 *       publishes a mapped Service on the mapping's domain whatever its visibility.
 *   CloudRunService (a serving.knative.dev Service carrying run.googleapis.com annotations or the
 *       cloud.googleapis.com/location label): a workload "service:cloudrun:<location>/<name>" in the
 *       cloud-account boundary, with no namespace, ServiceAccount token or NetworkPolicy; reached
 *       from the internet (run.googleapis.com/ingress all, the default) or from the project's network
 *       (internal, internal-and-cloud-load-balancing), behind Cloud Run's IAM invoker check unless
 *       run.googleapis.com/invoker-iam-disabled says otherwise.
 *   KnativeBroker, KnativeTrigger (eventing.knative.dev): a queue node "queue:broker:<ns>/<name>" per
 *       Broker (named by a Trigger or declared); each Trigger a calls edge from it to the workloads its
 *       subscriber resolves to (spec.subscriber.ref, a Service or Knative Service; spec.subscriber.uri
 *       the path, or the URL when there is no ref).
 *   KnativeSinkBinding (sources.knative.dev): its subject workloads publish to the Broker (or call the
 *       Service) its sink names.
 *
 * Linear: config-domain is read once; each object is visited once; each lookup is one hash probe
 * (a selector's workloads through the label index of k8s.c, as a Service's).
 */
#include <stdio.h>
#include <string.h>

#include "k8s.h"

static const char *or_else(const char *s, const char *fallback)
{
	return s ? s : fallback;
}

/* ---- Google Cloud Run --------------------------------------------------------------------------- */

static bool cloud_run_marked(const tm_value *md)
{
	if (tm_map_get(tm_map_get(md, "labels"), "cloud.googleapis.com/location"))
		return true;
	const tm_value *anns = tm_map_get(md, "annotations");
	for (size_t i = 0; i < tm_value_len(anns); i++) {
		const char *key = tm_scalar_str(tm_map_key(anns, i), NULL);
		if (key && strncmp(key, "run.googleapis.com/", 19) == 0)
			return true;
	}
	return false;
}

void tm_k8s__cloud_run_mark(struct tm_k8s *k, struct tm_k8s_obj *o)
{
	const tm_value *md = tm_map_get(o->v, "metadata");
	const tm_value *tmd = tm_map_get(tm_map_get(tm_map_get(o->v, "spec"), "template"), "metadata");
	if (!cloud_run_marked(md) && !cloud_run_marked(tmd))
		return;
	/* metadata.namespace, when an export writes it, is the project: no Kubernetes namespace */
	const char *where = tm_map_get_str(tm_map_get(md, "labels"), "cloud.googleapis.com/location");
	char *ns = where && *where ? tm_arena_printf(k->arena, "cloudrun:%s", where) : NULL;
	o->kind = "CloudRunService";
	o->ns = ns ? ns : "cloudrun";
	o->ns_implicit = false;
}

bool tm_k8s__cloud_run(const struct tm_k8s_obj *o)
{
	return tm_k8s__is(o, "CloudRunService");
}

const char *tm_k8s__cloud_run_boundary(tm_ingest_ctx *ctx)
{
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
	return "cloud";
}

/* A Cloud Run service runs as the Google service account its template names (an e-mail: the
 * identity "identity:gcp:<account id>", as Terraform's google_service_account and GKE's workload
 * identity name it), or as the project's Compute Engine default account. */
void tm_k8s__cloud_run_identity(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *n, const struct tm_k8s_obj *o,
				const tm_value *pspec)
{
	tm_mb_node_str(ctx->mb, n, "platform", "cloud-run");
	const tm_value *sav = tm_map_get(pspec, "serviceAccountName");
	const char *sa = tm_scalar_str(sav, NULL);
	if (!sa || !*sa) {
		tm_mb_node_str(ctx->mb, n, "service_account", "Compute Engine default service account");
		tm_mb_node_assume(ctx->mb, n,
			       "runs as the project's Compute Engine default service account (no serviceAccountName): "
			       "in many projects that account holds the Editor role");
		return;
	}
	size_t len = strcspn(sa, "@");
	char *id = tm_arena_printf(k->arena, "identity:gcp:%.*s", (int)len, sa);
	tm_loc at = tm_ingest__loc(o->f, sav);
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
	tm_node *idn = id ? tm_mb_node(ctx->mb, TM_NODE_IDENTITY, id, sa, "cloud", at) : NULL;
	if (!idn)
		return;
	tm_mb_node_str(ctx->mb, idn, "identity_type", "gcp-service-account");
	tm_mb_edge(ctx->mb, n, idn, TM_EDGE_RUNS_AS, at);
	tm_mb_node_str(ctx->mb, n, "service_account", sa);
}

/* Where a Cloud Run service is reached from: run.googleapis.com/ingress (all, the default: the
 * internet; internal: the project's VPC networks; internal-and-cloud-load-balancing: those and a
 * Google Cloud load balancer in front of it), behind the IAM invoker check. */
static void cloud_run_ingress(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	char *id = tm_k8s__workload_id(k, o);
	tm_node *wn = id ? tm_mb_find(ctx->mb, id) : NULL;
	if (!wn)
		return;
	const tm_value *anns = tm_map_get(tm_map_get(o->v, "metadata"), "annotations");
	const tm_value *iv = tm_map_get(anns, "run.googleapis.com/ingress");
	const char *ingress = tm_scalar_str(iv, NULL);
	tm_loc loc = tm_ingest__loc(o->f, iv ? iv : o->v);
	const char *internal = NULL;
	if (!ingress || strcmp(ingress, "all") == 0)
		internal = NULL;
	else if (strcmp(ingress, "internal") == 0)
		internal = "run.googleapis.com/ingress: internal (requests from the project's VPC networks, Shared "
			   "VPC and internal load balancers only)";
	else if (strcmp(ingress, "internal-and-cloud-load-balancing") == 0)
		internal = "run.googleapis.com/ingress: internal-and-cloud-load-balancing (the project's VPC networks "
			   "and Google Cloud load balancers only; an external load balancer in front of it, not in "
			   "these files, would put it on the internet)";
	else {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, loc,
			    "Cloud Run service '%s': run.googleapis.com/ingress '%s' is none of all, internal, "
			    "internal-and-cloud-load-balancing (Cloud Run refuses it): no way in is modelled",
			    o->name, ingress);
		return;
	}
	tm_mb_node_str(ctx->mb, wn, "cloud_run_ingress", ingress ? ingress : "all");
	tm_node *in = internal ? tm_ingest__private_network(ctx) : tm_ingest__internet(ctx);
	tm_edge *e = in ? tm_mb_edge(ctx->mb, in, wn, TM_EDGE_ROUTES, loc) : NULL;
	if (!e)
		return;
	tm_mb_edge_str(ctx->mb, e, "via", "Cloud Run");
	if (internal)
		tm_mb_edge_str(ctx->mb, e, "internal", internal);
	tm_mb_edge_list_add(ctx->mb, e, "paths", "/");
	const tm_value *off = tm_map_get(anns, "run.googleapis.com/invoker-iam-disabled");
	bool disabled = false;
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	if (off && !tm_scalar_bool(off, &disabled) && disabled) {
		c.authn_how = NULL; /* anyone who reaches it may call it */
	} else {
		c.authn = TM_AUTHN_UNKNOWN;
		c.authn_how = tm_gw_where(ctx, "Cloud Run's IAM invoker check (roles/run.invoker)", loc);
		tm_mb_node_assume(ctx->mb, wn,
			       "callers need roles/run.invoker (Cloud Run checks IAM on every request) unless it is "
			       "granted to allUsers (gcloud --allow-unauthenticated), which these files do not say");
	}
	tm_gw_edge_checks(ctx, e, &c);
}

/* ---- Knative Serving: container names ------------------------------------------------------------- */

/* Knative names an unnamed container user-container (init containers init-container); when the list
 * holds several, each unnamed one takes the next free <name>-<n>, as its defaulting webhook does. */
const char *tm_k8s__knative_container_name(tm_arena *a, const tm_value *list, const tm_value *c, bool init)
{
	const char *base = init ? "init-container" : "user-container";
	size_t n = tm_value_len(list);
	if (n <= 1)
		return base;
	size_t suffix = 0;
	for (size_t i = 0; i < n; i++) {
		const tm_value *ci = tm_seq_at(list, i);
		if (tm_map_get_str(ci, "name"))
			continue;
		for (;; suffix++) { /* the next suffix no container's own name takes */
			char want[64];
			snprintf(want, sizeof want, "%s-%zu", base, suffix);
			bool taken = false;
			for (size_t j = 0; j < n && !taken; j++) {
				const char *nm = tm_map_get_str(tm_seq_at(list, j), "name");
				taken = nm && strcmp(nm, want) == 0;
			}
			if (!taken)
				break;
		}
		if (ci == c)
			return tm_arena_printf(a, "%s-%zu", base, suffix);
		suffix++;
	}
	return base;
}

/* ---- Knative Serving: domains --------------------------------------------------------------------- */

/* Knative stamps every pod of a Service with its name: policies select them by it. */
void tm_k8s__knative_labels(tm_ingest_ctx *ctx, const struct tm_k8s_obj *o)
{
	tm_policy *pol = tm_mb_policy(ctx->mb);
	tm_pm_workload *w = pol->nworkloads ? &pol->workloads[pol->nworkloads - 1] : NULL;
	if (!w || !w->name || strcmp(w->name, o->name) != 0 || !w->ns || strcmp(w->ns, o->ns) != 0)
		return;
	tm_label *l = tm_arena_alloc(pol->arena, (w->labels.n + 1) * sizeof(tm_label));
	if (!l)
		return;
	if (w->labels.n)
		memcpy(l, w->labels.items, w->labels.n * sizeof(tm_label));
	l[w->labels.n].key = "serving.knative.dev/service";
	l[w->labels.n].value = w->name;
	w->labels.items = l;
	w->labels.n++;
}

struct kn_domain {
	const char *name;
	tm_loc loc;         /* its key in config-domain */
	size_t nsel;        /* the selector's labels: its specificity */
	const char **keys, **vals;
};

struct kn_domains {
	struct kn_domain *d;
	size_t n;
	const char *cm; /* where config-domain is, for the assumption's text; NULL: not scanned */
};

/* One entry's value: "" (selects every Service) or YAML holding a `selector:` map of labels. False
 * (with a warning) when it is neither: Knative refuses the whole ConfigMap then, and keeps its
 * previous configuration, which the files do not show. */
static bool domain_selector(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *cm, const tm_value *val,
			    struct kn_domain *d)
{
	const char *text = tm_scalar_str(val, NULL);
	const char *p = text;
	while (p && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	if (p && !*p)
		return true;
	bool ok = false;
	tm_limits lim;
	tm_limits_default(&lim);
	tm_diag_list diags = TM_DIAG_LIST_INIT;
	tm_file *f = NULL;
	if (text && tm_file_parse(&f, "config-domain", text, strlen(text), &lim, &diags) == 0 && tm_file_doc_count(f) == 1) {
		const tm_value *root = tm_file_doc(f, 0);
		const tm_value *sel = tm_map_get(root, "selector");
		ok = tm_value_kind_of(root) == TM_VALUE_MAP && (!sel || tm_value_kind_of(sel) == TM_VALUE_MAP);
		size_t n = tm_value_len(sel);
		d->keys = n ? tm_arena_alloc(k->arena, n * sizeof(char *)) : NULL;
		d->vals = n ? tm_arena_alloc(k->arena, n * sizeof(char *)) : NULL;
		for (size_t i = 0; ok && i < n && d->keys && d->vals; i++) {
			const char *lk = tm_scalar_str(tm_map_key(sel, i), NULL);
			const char *lv = tm_scalar_str(tm_map_value(sel, i), NULL);
			ok = lk && lv;
			d->keys[i] = lk ? tm_arena_strdup(k->arena, lk) : NULL;
			d->vals[i] = lv ? tm_arena_strdup(k->arena, lv) : NULL;
			d->nsel = i + 1;
		}
	}
	tm_file_free(f);
	tm_diag_list_dispose(&diags);
	if (!ok)
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(cm->f, val),
			    "config-domain: the value of domain '%s' is neither empty nor YAML with a `selector:` map of "
			    "labels (Knative refuses the ConfigMap): the domain is not used",
			    d->name);
	return ok;
}

/* config-domain of knative-serving, each domain with its selector (`_example` is documentation). */
static void read_domains(tm_ingest_ctx *ctx, struct tm_k8s *k, struct kn_domains *out)
{
	memset(out, 0, sizeof(*out));
	const char *key = "knative-serving/config-domain";
	const struct tm_k8s_obj *cm = tm_hmap_get(&k->configmaps, key, strlen(key));
	if (!cm)
		return;
	out->cm = tm_arena_printf(k->arena, "%s:%u", tm_file_path(cm->f), tm_ingest__loc(cm->f, cm->v).line);
	const tm_value *data = tm_map_get(cm->v, "data");
	size_t n = tm_value_len(data);
	out->d = n ? tm_arena_alloc(k->arena, n * sizeof(struct kn_domain)) : NULL;
	for (size_t i = 0; out->d && i < n; i++) {
		const char *name = tm_scalar_str(tm_map_key(data, i), NULL);
		if (!name || strcmp(name, "_example") == 0)
			continue;
		struct kn_domain *d = &out->d[out->n];
		memset(d, 0, sizeof(*d));
		d->name = name;
		d->loc = tm_ingest__loc(cm->f, tm_map_key(data, i));
		if (domain_selector(ctx, k, cm, tm_map_value(data, i), d))
			out->n++;
	}
}

/* The domain Knative gives a Service of these labels (LookupDomainForLabels): among the entries whose
 * selector they match, the one of most labels, ties to the smaller name. NULL: none matches. */
static const struct kn_domain *domain_for(const struct kn_domains *ds, const tm_value *labels)
{
	const struct kn_domain *best = NULL;
	for (size_t i = 0; i < ds->n; i++) {
		const struct kn_domain *d = &ds->d[i];
		bool match = true;
		for (size_t j = 0; j < d->nsel && match; j++) {
			const char *have = tm_map_get_str(labels, d->keys[j]);
			match = have && strcmp(have, d->vals[j]) == 0;
		}
		if (match && (!best || d->nsel > best->nsel || (d->nsel == best->nsel && strcmp(d->name, best->name) < 0)))
			best = d;
	}
	return best;
}

static bool local_domain(const char *d)
{
	size_t n = strlen(d);
	return strcmp(d, "svc.cluster.local") == 0 || (n >= 6 && strcmp(d + n - 6, ".local") == 0) ||
	       strcmp(d, "cluster.local") == 0;
}

/* A Knative Service: its name a Service the cluster resolves, and, unless it is labelled
 * cluster-local or its domain is, a route from outside through the cluster's Knative ingress at
 * <name>.<namespace>.<domain>. */
static void add_knative(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, const struct kn_domains *ds)
{
	char *id = tm_k8s__workload_id(k, o);
	tm_node *wn = id ? tm_mb_find(ctx->mb, id) : NULL;
	char *key = tm_arena_printf(k->arena, "%s/%s", o->ns, o->name);
	struct tm_k8s_svc *t = tm_arena_alloc(k->arena, sizeof(*t));
	if (!wn || !key || !t)
		return;
	memset(t, 0, sizeof(*t));
	t->targets = tm_arena_alloc(k->arena, sizeof(tm_node *));
	if (!t->targets)
		return;
	t->svc = o;
	t->targets[0] = wn;
	t->ntargets = 1;
	if (!tm_hmap_get(&k->services, key, strlen(key)) && tm_hmap_put(&k->services, key, strlen(key), t))
		return;
	tm_mb_node_list_add(ctx->mb, wn, "k8s_services", o->name);
	const tm_value *labels = tm_map_get(tm_map_get(o->v, "metadata"), "labels");
	const tm_value *vis = tm_map_get(labels, "networking.knative.dev/visibility");
	if (!vis)
		vis = tm_map_get(labels, "serving.knative.dev/visibility");
	const char *v = tm_scalar_str(vis, NULL);
	if (v && strcmp(v, "cluster-local") == 0) {
		tm_mb_node_fact(ctx->mb, wn, "knative_visibility", "cluster-local", tm_ingest__loc(o->f, vis));
		return;
	}
	const struct kn_domain *d = domain_for(ds, labels);
	const char *domain = d ? d->name : NULL;
	if (domain && local_domain(domain)) {
		tm_mb_node_fact(ctx->mb, wn, "knative_visibility",
				tm_arena_printf(k->arena, "cluster-local (config-domain: %s)", domain), d->loc);
		return;
	}
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	tm_node *gw = tm_k8s__object_gateway(ctx, k, o, "knative-route");
	tm_node *in = tm_ingest__internet(ctx);
	if (!gw || !in)
		return;
	char *host = tm_arena_printf(k->arena, "%s.%s.%s", o->name, o->ns, domain ? domain : "<cluster domain>");
	if (host)
		tm_mb_node_list_add(ctx->mb, gw, "hosts", host);
	if (!domain && !ds->cm)
		tm_mb_node_assume(ctx->mb, gw,
			       "internet-facing: a Knative Service is published on the cluster's domain unless labelled "
			       "networking.knative.dev/visibility: cluster-local; the domain (config-domain in "
			       "knative-serving) is not in the inputs");
	else if (!domain)
		tm_mb_node_assume(ctx->mb, gw,
			       tm_arena_printf(k->arena,
					       "internet-facing: no domain of config-domain (%s) selects its labels, so the "
					       "cluster's default domain, not in the inputs, applies",
					       ds->cm));
	tm_edge *e = tm_mb_edge(ctx->mb, in, gw, TM_EDGE_ROUTES, domain ? d->loc : loc);
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", domain ? "Knative Service" : "assumed");
	tm_edge *r = tm_mb_edge(ctx->mb, gw, wn, TM_EDGE_ROUTES, loc);
	if (r) {
		tm_mb_edge_list_add(ctx->mb, r, "k8s_services", o->name);
		if (host)
			tm_mb_edge_list_add(ctx->mb, r, "hosts", host);
		tm_mb_edge_list_add(ctx->mb, r, "paths", "/");
	}
}

/* ---- Knative Serving: DomainMapping --------------------------------------------------------------- */

static void domain_mapping(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *ref = tm_map_get(spec, "ref");
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	if (tm_value_kind_of(ref) != TM_VALUE_MAP) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, ref ? ref : o->v),
			    "DomainMapping '%s': spec.ref is %s, not a map naming the Service (Knative refuses it): "
			    "not modelled", o->name, ref ? "no map" : "missing");
		return;
	}
	const char *kind = tm_map_get_str(ref, "kind"), *name = tm_map_get_str(ref, "name");
	const char *ns = tm_map_get_str(ref, "namespace");
	if (!name || !*name || (ns && *ns && strcmp(ns, o->ns) != 0)) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, ref),
			    "DomainMapping '%s': spec.ref %s (Knative refuses it): not modelled", o->name,
			    !name || !*name ? "names no Service" : "names another namespace than the mapping's own");
		return;
	}
	/* a Knative Route is made by the Service of its name, and routes as it does */
	if (kind && strcmp(kind, "Service") != 0 && strcmp(kind, "Route") != 0) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, ref),
			    "DomainMapping '%s' maps its domain to a %s, which is not modelled", o->name, kind);
		return;
	}
	char *key = tm_arena_printf(k->arena, "%s/%s", o->ns, name);
	struct tm_k8s_svc *t = key ? tm_hmap_get(&k->services, key, strlen(key)) : NULL;
	if (!t || !t->ntargets) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, ref),
			    "DomainMapping '%s' maps its domain to service '%s', which selects no workload in the scanned "
			    "files", o->name, name);
		return;
	}
	tm_node *gw = tm_k8s__object_gateway(ctx, k, o, "knative-domain-mapping");
	tm_node *in = tm_ingest__internet(ctx);
	if (!gw || !in)
		return;
	tm_mb_node_list_add(ctx->mb, gw, "hosts", o->name);
	const tm_value *secret = tm_map_get(tm_map_get(spec, "tls"), "secretName");
	if (tm_scalar_str(secret, NULL)) {
		tm_mb_node_bool(ctx->mb, gw, "tls", true);
		tm_mb_node_fact(ctx->mb, gw, "tls_termination",
				tm_arena_printf(k->arena, "secret %s", tm_scalar_str(secret, NULL)),
				tm_ingest__loc(o->f, secret));
	}
	tm_edge *e = tm_mb_edge(ctx->mb, in, gw, TM_EDGE_ROUTES, loc);
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", "Knative DomainMapping");
	for (size_t i = 0; i < t->ntargets; i++)
		tm_k8s__route_edge(ctx, gw, t->targets[i], tm_ingest__loc(o->f, ref), name, o->name, "/", false, NULL);
}

/* ---- Knative Eventing ----------------------------------------------------------------------------- */

/* The queue node of Broker name in ns, made at its first mention (declared, or named by a Trigger or a
 * sink); at: where. */
static tm_node *broker(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *ns, const char *name, tm_loc at,
		       bool declared)
{
	char *id = tm_arena_printf(k->arena, "queue:broker:%s/%s", ns, name);
	if (!id)
		return NULL;
	tm_node *q = tm_mb_find(ctx->mb, id);
	if (q) {
		if (declared)
			tm_mb_add_evidence(ctx->mb, q, at);
		return q;
	}
	q = tm_mb_node(ctx->mb, TM_NODE_QUEUE, id, name, tm_k8s__ns_boundary(ctx, k, ns), at);
	if (!q)
		return NULL;
	tm_mb_node_str(ctx->mb, q, "namespace", ns);
	tm_mb_node_str(ctx->mb, q, "broker", "knative");
	tm_mb_node_list_add(ctx->mb, q, "protocols", "http");
	tm_mb_node_str(ctx->mb, q, "address",
		       tm_arena_printf(k->arena, "http://broker-ingress.knative-eventing.svc.cluster.local/%s/%s", ns, name));
	tm_mb_node_assume(ctx->mb, q,
		       "its ingress (broker-ingress in knative-eventing) accepts CloudEvents POSTed by any pod of the "
		       "cluster without authentication, as Knative does unless sender authentication (OIDC) and "
		       "EventPolicies are turned on: any workload may publish any event type to it");
	return q;
}

/* The workloads a reference to a Service names (a core Service or a Knative Service, ns/name), NULL
 * when the scan has neither. */
static const struct tm_k8s_svc *service_ref(struct tm_k8s *k, const char *ns, const tm_value *ref)
{
	const char *kind = tm_map_get_str(ref, "kind"), *name = tm_map_get_str(ref, "name");
	const char *rns = tm_map_get_str(ref, "namespace");
	if (!name || (kind && strcmp(kind, "Service") != 0))
		return NULL;
	char *key = tm_arena_printf(k->arena, "%s/%s", rns && *rns ? rns : ns, name);
	const struct tm_k8s_svc *t = key ? tm_hmap_get(&k->services, key, strlen(key)) : NULL;
	return t && t->ntargets ? t : NULL;
}

static void trigger(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *bv = tm_map_get(spec, "broker");
	const tm_value *sub = tm_map_get(spec, "subscriber");
	const char *bname = tm_scalar_str(bv, NULL);
	if (!bname || !*bname || tm_value_kind_of(sub) != TM_VALUE_MAP) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, !bname || !*bname ? (bv ? bv : o->v) : sub ? sub : o->v),
			    "Trigger '%s': %s (Knative refuses it): no delivery is modelled", o->name,
			    !bname || !*bname ? "spec.broker is no Broker's name" : "spec.subscriber is no map");
		return;
	}
	const tm_value *ref = tm_map_get(sub, "ref");
	const tm_value *uriv = tm_map_get(sub, "uri");
	const char *uri = tm_scalar_str(uriv, NULL);
	const struct tm_k8s_svc *t = NULL;
	const char *path = "/", *target = NULL;
	if (ref && tm_value_kind_of(ref) == TM_VALUE_MAP) {
		t = service_ref(k, o->ns, ref);
		target = tm_map_get_str(ref, "name");
		if (uri && *uri == '/')
			path = uri;
	} else if (uri) {
		/* http://host[:port]/path: a Service the cluster resolves */
		const char *h = strstr(uri, "://");
		h = h ? h + 3 : uri;
		size_t hl = strcspn(h, ":/");
		char *host = tm_arena_printf(k->arena, "%.*s", (int)hl, h);
		t = host ? tm_k8s__resolve_host(k, o->ns, host) : NULL;
		if (t && !t->ntargets)
			t = NULL;
		const char *slash = strchr(h, '/');
		if (slash)
			path = slash;
		target = uri;
	}
	if (!t) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, ref ? ref : uriv ? uriv : sub),
			    "Trigger '%s' delivers events of broker '%s' to %s%s%s, which is no workload of the scanned "
			    "files", o->name, bname, target ? "'" : "", target ? target : "a subscriber it does not name",
			    target ? "'" : "");
		return;
	}
	tm_node *q = broker(ctx, k, o->ns, bname, tm_ingest__loc(o->f, bv), false);
	if (!q)
		return;
	const tm_value *attrs = tm_map_get(tm_map_get(spec, "filter"), "attributes");
	tm_strbuf fb = TM_STRBUF_INIT;
	for (size_t i = 0; i < tm_value_len(attrs); i++)
		tm_strbuf_printf(&fb, "%s%s=%s", i ? " " : "", or_else(tm_scalar_str(tm_map_key(attrs, i), NULL), "?"),
				 or_else(tm_scalar_str(tm_map_value(attrs, i), NULL), "?"));
	for (size_t i = 0; i < t->ntargets; i++) {
		tm_edge *e = tm_mb_edge(ctx->mb, q, t->targets[i], TM_EDGE_CALLS, tm_ingest__loc(o->f, ref ? ref : uriv));
		if (!e)
			continue;
		tm_mb_edge_str(ctx->mb, e, "via", tm_arena_printf(k->arena, "Knative Trigger %s", o->name));
		tm_mb_edge_list_add(ctx->mb, e, "methods", "POST");
		tm_mb_edge_list_add(ctx->mb, e, "paths", path);
		if (fb.len && !fb.oom)
			tm_mb_edge_list_add(ctx->mb, e, "event_filters", fb.data);
	}
	tm_strbuf_dispose(&fb);
}

/* A SinkBinding's subject: the workload it names (kind and name) or those its selector picks, in ns. */
static void sink_subjects(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, const tm_value *subject,
			  tm_node *to, tm_edge_kind kind, tm_loc at)
{
	const char *name = tm_map_get_str(subject, "name");
	const char *ns = tm_map_get_str(subject, "namespace");
	ns = ns && *ns ? ns : o->ns;
	const tm_value *ml = tm_map_get(tm_map_get(subject, "selector"), "matchLabels");
	size_t linked = 0;
	if (name) {
		char *id = tm_arena_printf(k->arena, "service:%s/%s", ns, name);
		tm_node *w = id ? tm_mb_find(ctx->mb, id) : NULL;
		tm_edge *e = w ? tm_mb_edge(ctx->mb, w, to, kind, at) : NULL;
		if (e && ++linked)
			tm_mb_edge_str(ctx->mb, e, "via", tm_arena_printf(k->arena, "Knative SinkBinding %s", o->name));
	} else if (tm_value_len(ml)) {
		char *key = tm_arena_printf(k->arena, "%s\x1f%s=%s", ns, or_else(tm_scalar_str(tm_map_key(ml, 0), NULL), ""),
					    or_else(tm_scalar_str(tm_map_value(ml, 0), NULL), ""));
		const struct tm_k8s_pods *p = key ? tm_hmap_get(&k->pods, key, strlen(key)) : NULL;
		for (const struct tm_k8s_pod_ref *r = p ? p->head : NULL; r; r = r->next) {
			const tm_value *labels = tm_map_get(tm_map_get(tm_k8s__pod_template(r->w), "metadata"), "labels");
			bool all = true;
			for (size_t i = 1; i < tm_value_len(ml) && all; i++) {
				const char *want = tm_scalar_str(tm_map_value(ml, i), NULL);
				const char *have = tm_map_get_str(labels, or_else(tm_scalar_str(tm_map_key(ml, i), NULL), ""));
				all = want && have && strcmp(want, have) == 0;
			}
			char *id = all ? tm_k8s__workload_id(k, r->w) : NULL;
			tm_node *w = id ? tm_mb_find(ctx->mb, id) : NULL;
			tm_edge *e = w ? tm_mb_edge(ctx->mb, w, to, kind, at) : NULL;
			if (e && ++linked)
				tm_mb_edge_str(ctx->mb, e, "via", tm_arena_printf(k->arena, "Knative SinkBinding %s", o->name));
		}
	}
	if (!linked)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, subject ? subject : o->v),
			    "SinkBinding '%s' binds no workload of the scanned files", o->name);
}

static void sink_binding(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const tm_value *subject = tm_map_get(spec, "subject");
	const tm_value *ref = tm_map_get(tm_map_get(spec, "sink"), "ref");
	if (tm_value_kind_of(subject) != TM_VALUE_MAP || (ref && tm_value_kind_of(ref) != TM_VALUE_MAP)) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING,
			    tm_ingest__loc(o->f, tm_value_kind_of(subject) != TM_VALUE_MAP ? (subject ? subject : o->v) : ref),
			    "SinkBinding '%s': %s is no map (Knative refuses it): not modelled", o->name,
			    tm_value_kind_of(subject) != TM_VALUE_MAP ? "spec.subject" : "spec.sink.ref");
		return;
	}
	if (!ref)
		return; /* a sink by URI: where it posts is not a Broker of the files */
	const char *kind = tm_map_get_str(ref, "kind"), *name = tm_map_get_str(ref, "name");
	const char *rns = tm_map_get_str(ref, "namespace");
	tm_loc at = tm_ingest__loc(o->f, ref);
	if (kind && name && strcmp(kind, "Broker") == 0) {
		tm_node *q = broker(ctx, k, rns && *rns ? rns : o->ns, name, at, false);
		if (q)
			sink_subjects(ctx, k, o, subject, q, TM_EDGE_PUBLISHES, at);
		return;
	}
	const struct tm_k8s_svc *t = service_ref(k, o->ns, ref);
	for (size_t i = 0; t && i < t->ntargets; i++)
		sink_subjects(ctx, k, o, subject, t->targets[i], TM_EDGE_CALLS, at);
}

void tm_k8s__knative(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	struct kn_domains ds = {NULL, 0, NULL};
	bool read = false;
	for (size_t i = 0; i < k->n; i++) { /* after the Services: a core Service of its name wins */
		const struct tm_k8s_obj *o = &k->objs[i];
		if (tm_k8s__is(o, "KnativeService")) {
			if (!read)
				read_domains(ctx, k, &ds);
			read = true;
			add_knative(ctx, k, o, &ds);
		} else if (tm_k8s__is(o, "CloudRunService")) {
			cloud_run_ingress(ctx, k, o);
		}
	}
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		if (tm_k8s__is(o, "KnativeDomainMapping"))
			domain_mapping(ctx, k, o);
		else if (tm_k8s__is(o, "KnativeBroker"))
			broker(ctx, k, o->ns, o->name, tm_ingest__loc(o->f, o->v), true);
	}
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		if (tm_k8s__is(o, "KnativeTrigger"))
			trigger(ctx, k, o);
		else if (tm_k8s__is(o, "KnativeSinkBinding"))
			sink_binding(ctx, k, o);
	}
}
