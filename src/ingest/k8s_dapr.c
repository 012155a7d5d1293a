/*
 * k8s_dapr.c - Dapr, the distributed application runtime (docs/inputs.md, "Dapr"): the sidecar its
 * injector adds to a pod annotated dapr.io/enabled, the app-id other apps invoke it by, and the
 * Components and Configurations (dapr.io/v1alpha1) of a namespace.
 *
 *   pod (add_workload, pass 1): the workload's dapr_app_id (dapr.io/app-id; a bare Pod's own name
 *       when none, as the injector falls back to the pod's name: a controller's pods are named when
 *       created, so theirs is not known) and dapr_config (dapr.io/config). The sidecar's API (HTTP
 *       3500, gRPC 50001: fixed by the injector) is a console of the pod (injected_images
 *       daprio/daprd, TM-MESH-012), bound to the addresses dapr.io/sidecar-listen-addresses lists:
 *       "[::1],127.0.0.1" when none (the injector's default since Dapr 1.4), which no Service
 *       reaches (console_loopback). dapr.io/api-token-secret makes the sidecar ask for a token
 *       (console_env DAPR_API_TOKEN).
 *   DaprComponent (dapr.io Component): a credential written in spec.metadata (a value, not a
 *       secretKeyRef) is a literal credential of the node secret:k8s:<ns>/<component>#<item>, as a
 *       ConfigMap's is (TM-SEC-001); an address in it (redisHost, a connectionString's host=) that
 *       names a scanned Service draws a calls edge from each app the component serves (its scopes'
 *       app-ids, or every Dapr app of its namespace) to the workloads behind that Service.
 *   DaprConfiguration (dapr.io Configuration): the control plane's own (daprsystem) with
 *       spec.mtls.enabled false puts dapr_mtls_disabled on every Dapr app of the scan (TM-MESH-005);
 *       an application's Configuration is not read for mTLS (Dapr reads it from daprsystem only: a
 *       note says so). Its spec.accessControl is recorded on the apps that name it
 *       (dapr_access_control), not evaluated.
 *
 * Linear: each object is visited once; an app-id and a namespace's apps are one hash probe; a
 * component walks its metadata items and the apps it serves.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "k8s.h"

/* A Configuration's accessControl, as the apps naming it record it. */
struct acl_rec {
	const char *text;
	tm_loc loc;
};

/* The Dapr apps of one namespace, in document order. */
struct dapr_ns_apps {
	tm_node **n;
	size_t count, cap;
};

/* Dapr's truthy values (utils.IsTruthy): y, yes, true, t, on, 1, without case. */
static bool truthy(const char *v)
{
	static const char *const yes[] = {"y", "yes", "true", "t", "on", "1"};
	for (size_t i = 0; v && i < TM_ARRAY_LEN(yes); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return true;
	return false;
}

/* Does a listen-address list name an address beyond the loopback ("0.0.0.0", "[::]", a pod IP)? */
bool tm_k8s__dapr_beyond_loopback(const char *list)
{
	for (const char *p = list; p && *p;) {
		p += strspn(p, ", ");
		size_t n = strcspn(p, ",");
		while (n && p[n - 1] == ' ')
			n--;
		bool loop = (n >= 4 && strncmp(p, "127.", 4) == 0) || (n == 5 && strncmp(p, "[::1]", 5) == 0) ||
			    (n == 3 && strncmp(p, "::1", 3) == 0) || (n == 9 && strncasecmp(p, "localhost", 9) == 0);
		if (n && !loop)
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

static void index_app(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *n, const char *ns, const char *app)
{
	char *key = app ? tm_arena_printf(k->arena, "%s\x1f%s", ns, app) : NULL;
	if (key && !tm_hmap_get(&k->dapr_apps, key, strlen(key)) && tm_hmap_put(&k->dapr_apps, key, strlen(key), n))
		tm_arena_set_failed(ctx->scratch);
	struct dapr_ns_apps *a = tm_hmap_get(&k->dapr_ns, ns, strlen(ns));
	if (!a) {
		a = tm_arena_alloc(k->arena, sizeof(*a));
		if (!a || tm_hmap_put(&k->dapr_ns, ns, strlen(ns), a)) {
			tm_arena_set_failed(ctx->scratch);
			return;
		}
		memset(a, 0, sizeof(*a));
	}
	if (a->count == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 8;
		tm_node **grown = tm_arena_alloc(k->arena, cap * sizeof(*grown));
		if (!grown) {
			tm_arena_set_failed(ctx->scratch);
			return;
		}
		if (a->count)
			memcpy(grown, a->n, a->count * sizeof(*grown));
		a->n = grown;
		a->cap = cap;
	}
	a->n[a->count++] = n;
	k->ndapr++;
}

void tm_k8s__dapr_pod(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *n, const struct tm_k8s_obj *o,
		      const tm_value *anns)
{
	const tm_value *en = tm_map_get(anns, "dapr.io/enabled");
	if (!en || !truthy(tm_scalar_str(en, NULL)))
		return;
	tm_loc at = tm_ingest__loc(o->f, en);
	const tm_value *idv = tm_map_get(anns, "dapr.io/app-id");
	const char *app = tm_scalar_str(idv, NULL);
	if (!app || !*app)
		app = tm_k8s__is(o, "Pod") ? o->name : NULL;
	if (app) {
		tm_mb_node_str(ctx->mb, n, "dapr_app_id", app);
		tm_mb_add_evidence(ctx->mb, n, tm_ingest__loc(o->f, idv ? idv : en));
	}
	const char *cfg = tm_map_get_str(anns, "dapr.io/config");
	if (cfg && *cfg)
		tm_mb_node_fact(ctx->mb, n, "dapr_config", cfg, tm_ingest__loc(o->f, tm_map_get(anns, "dapr.io/config")));
	/* the sidecar's API: a console of the pod, where its listen addresses let callers in */
	tm_mb_node_fact(ctx->mb, n, "injected_images", "daprio/daprd", at);
	const tm_value *lv = tm_map_get(anns, "dapr.io/sidecar-listen-addresses");
	const char *listen = tm_scalar_str(lv, NULL);
	if (!listen || !*listen)
		tm_mb_node_fact(ctx->mb, n, "console_loopback",
				"dapr.io/sidecar-listen-addresses not set: the sidecar's API listens on [::1],127.0.0.1", at);
	else if (!tm_k8s__dapr_beyond_loopback(listen))
		tm_mb_node_fact(ctx->mb, n, "console_loopback",
				tm_arena_printf(k->arena, "dapr.io/sidecar-listen-addresses: %s", listen),
				tm_ingest__loc(o->f, lv));
	const tm_value *tok = tm_map_get(anns, "dapr.io/api-token-secret");
	const char *ts = tm_scalar_str(tok, NULL);
	if (ts && *ts)
		tm_mb_node_fact(ctx->mb, n, "console_env", "DAPR_API_TOKEN", tm_ingest__loc(o->f, tok));
	index_app(ctx, k, n, o->ns, app);
}

tm_node *tm_k8s__dapr_app(struct tm_k8s *k, const char *ns, const char *app)
{
	/* "<app-id>.<namespace>" invokes another namespace's app */
	const char *dot = strchr(app, '.');
	char key[512];
	int len = dot ? tm_formatf(key, sizeof(key), "%s\x1f%.*s", dot + 1, (int)(dot - app), app)
		      : tm_formatf(key, sizeof(key), "%s\x1f%s", ns, app);
	return len > 0 && (size_t)len < sizeof(key) ? tm_hmap_get(&k->dapr_apps, key, (size_t)len) : NULL;
}

/* ---- Components ---------------------------------------------------------------------------------- */

/* Does a metadata item's name say it holds an address (redisHost, host, connectionString, brokers,
 * url, endpoint, servers)? */
static bool address_item(const char *name)
{
	static const char *const words[] = {"host", "connectionstring", "url", "endpoint", "brokers", "servers",
					    "address"};
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (tm_strcasecontains(name, words[i]))
			return true;
	return tm_ingest__address_name(name, true);
}

struct component {
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	const struct tm_k8s_obj *o;
	const char *type, *item, *value;
	tm_node **apps;
	size_t napps;
	tm_loc loc;
};

static void component_address(void *ud, const tm_address *a)
{
	struct component *c = ud;
	struct tm_k8s_svc *t = tm_k8s__resolve_host(c->k, c->o->ns, a->host);
	for (size_t i = 0; t && i < t->ntargets; i++)
		for (size_t j = 0; j < c->napps; j++) {
			if (c->apps[j] == t->targets[i])
				continue;
			tm_edge *e = tm_mb_edge(c->ctx->mb, c->apps[j], t->targets[i], TM_EDGE_CALLS, c->loc);
			if (!e)
				continue;
			tm_mb_edge_list_add(c->ctx->mb, e, "dapr_component",
					    tm_arena_printf(c->k->arena, "%s (%s)", c->o->name, c->type ? c->type : "?"));
			tm_mb_edge_list_add(c->ctx->mb, e, "setting", c->item);
			tm_mb_edge_list_add(c->ctx->mb, e, "address", tm_ingest__masked(c->k->arena, c->value));
			if (a->port)
				tm_mb_edge_list_add(c->ctx->mb, e, "ports", a->port);
		}
}

/* The apps a component serves: its scopes' app-ids, else every Dapr app of its namespace. */
static void component_apps(tm_ingest_ctx *ctx, struct tm_k8s *k, struct component *c)
{
	const tm_value *scopes = tm_map_get(c->o->v, "scopes");
	if (!tm_value_len(scopes)) {
		struct dapr_ns_apps *a = tm_hmap_get(&k->dapr_ns, c->o->ns, strlen(c->o->ns));
		c->apps = a ? a->n : NULL;
		c->napps = a ? a->count : 0;
		return;
	}
	c->apps = tm_arena_alloc(k->arena, tm_value_len(scopes) * sizeof(*c->apps));
	if (!c->apps) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	for (size_t i = 0; i < tm_value_len(scopes); i++) {
		const char *id = tm_scalar_str(tm_seq_at(scopes, i), NULL);
		tm_node *n = id && !strchr(id, '.') ? tm_k8s__dapr_app(k, c->o->ns, id) : NULL;
		if (n)
			c->apps[c->napps++] = n;
	}
}

static void component(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	struct component c = {ctx, k, o, tm_map_get_str(spec, "type"), NULL, NULL, NULL, 0, {0}};
	component_apps(ctx, k, &c);
	const tm_value *md = tm_map_get(spec, "metadata");
	for (size_t i = 0; i < tm_value_len(md); i++) {
		const tm_value *item = tm_seq_at(md, i);
		const char *name = tm_map_get_str(item, "name");
		const tm_value *vv = tm_map_get(item, "value");
		const char *value = tm_scalar_str(vv, NULL);
		if (!name || !value || !*value)
			continue; /* a secretKeyRef: kept in a secret store, named only */
		tm_loc at = tm_ingest__loc(o->f, vv);
		if (tm_k8s__literal_credential(name, value)) {
			char *sname = tm_arena_printf(k->arena, "%s#%s", o->name, name);
			tm_node *s = sname ? tm_k8s__secret_node(ctx, k, o->ns, sname, "dapr-component", at) : NULL;
			if (s)
				tm_mb_node_fact(ctx->mb, s, "literal_credentials", name, at);
		}
		if (c.napps && address_item(name)) {
			c.item = name;
			c.value = value;
			c.loc = at;
			tm_ingest__address_each(value, true, component_address, &c);
		}
	}
}

/* ---- Configurations ------------------------------------------------------------------------------ */

/* The control plane's Configuration (daprsystem) with mTLS off: every Dapr app of the scan. */
static void configuration_mtls(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	const tm_value *ev = tm_map_get(tm_map_get(tm_map_get(o->v, "spec"), "mtls"), "enabled");
	const char *en = tm_scalar_str(ev, NULL);
	if (!en || truthy(en))
		return;
	tm_loc at = tm_ingest__loc(o->f, ev);
	if (strcmp(o->name, "daprsystem") != 0) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
			    "Dapr Configuration '%s' sets spec.mtls.enabled %s: Dapr reads mTLS settings only from the control "
			    "plane's Configuration (daprsystem), so this one changes nothing",
			    o->name, en);
		return;
	}
	const char *what = tm_arena_printf(k->arena, "Configuration %s/%s: spec.mtls.enabled %s", o->ns, o->name, en);
	size_t applied = 0;
	for (size_t i = 0; what && i < k->n; i++) {
		const struct tm_k8s_obj *w = &k->objs[i];
		char *id = tm_k8s__pod_template(w) ? tm_k8s__workload_id(k, w) : NULL;
		tm_node *n = id ? tm_mb_find(ctx->mb, id) : NULL;
		if (n && tm_node_attr_get(n, "injected_images") && tm_node_attr_str(n, "namespace")) {
			tm_mb_node_fact(ctx->mb, n, "dapr_mtls_disabled", what, at);
			applied++;
		}
	}
	if (!applied)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_WARNING, at,
			    "Dapr's control-plane Configuration '%s' turns mTLS off (spec.mtls.enabled %s): every call "
			    "between Dapr sidecars of the cluster is plaintext and unauthenticated; no Dapr-enabled workload "
			    "is in the scan to report it on",
			    o->name, en);
}

/* spec.accessControl, recorded on the apps whose dapr.io/config names the Configuration. */
static void configuration_acl(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, tm_hmap *acl)
{
	const tm_value *ac = tm_map_get(tm_map_get(o->v, "spec"), "accessControl");
	if (!ac)
		return;
	const char *dflt = tm_map_get_str(ac, "defaultAction");
	size_t np = tm_value_len(tm_map_get(ac, "policies"));
	const char *text =
		dflt && strcasecmp(dflt, "deny") == 0
			? tm_arena_printf(k->arena, "Configuration %s: defaultAction deny, %zu app polic%s (not evaluated)",
					  o->name, np, np == 1 ? "y" : "ies")
		: np ? tm_arena_printf(k->arena, "Configuration %s: defaultAction %s, %zu app polic%s (not evaluated)", o->name,
				       dflt ? dflt : "allow", np, np == 1 ? "y" : "ies")
		     : tm_arena_printf(k->arena, "Configuration %s: defaultAction %s and no policies: any Dapr app may invoke "
						 "these", o->name, dflt ? dflt : "allow");
	char *key = tm_arena_printf(k->arena, "%s/%s", o->ns, o->name);
	struct acl_rec *rec = tm_arena_alloc(k->arena, sizeof(*rec));
	if (!key || !text || !rec || tm_hmap_put(acl, key, strlen(key), rec)) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	rec->text = text;
	rec->loc = tm_ingest__loc(o->f, ac);
}

static void apps_acl(tm_ingest_ctx *ctx, struct tm_k8s *k, const tm_hmap *acl)
{
	for (size_t i = 0; acl->count && i < k->n; i++) {
		const struct tm_k8s_obj *w = &k->objs[i];
		const tm_value *tpl = tm_k8s__pod_template(w);
		const char *cfg = tpl ? tm_map_get_str(tm_map_get(tm_map_get(tpl, "metadata"), "annotations"), "dapr.io/config")
				      : NULL;
		char *key = cfg ? tm_arena_printf(k->arena, "%s/%s", w->ns, cfg) : NULL;
		const struct acl_rec *rec = key ? tm_hmap_get(acl, key, strlen(key)) : NULL;
		char *id = rec ? tm_k8s__workload_id(k, w) : NULL;
		tm_node *n = id ? tm_mb_find(ctx->mb, id) : NULL;
		if (n && tm_node_attr_get(n, "injected_images"))
			tm_mb_node_fact(ctx->mb, n, "dapr_access_control", rec->text, rec->loc);
	}
}

/* A NodePort or LoadBalancer Service opening the sidecar API's port of a pod whose sidecar listens on
 * the loopback only: said, as the port reaches nothing. */
static void loopback_ports(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const char *type = tm_map_get_str(spec, "type");
	char *key = tm_arena_printf(k->arena, "%s/%s", o->ns, o->name);
	struct tm_k8s_svc *t = key ? tm_hmap_get(&k->services, key, strlen(key)) : NULL;
	if (!t || !type || (strcmp(type, "NodePort") != 0 && strcmp(type, "LoadBalancer") != 0))
		return;
	const tm_node *w = NULL;
	for (size_t i = 0; i < t->ntargets && !w; i++)
		if (tm_node_attr_get(t->targets[i], "console_loopback") && tm_node_attr_get(t->targets[i], "injected_images"))
			w = t->targets[i];
	const tm_value *ports = tm_map_get(spec, "ports");
	for (size_t i = 0; w && i < tm_value_len(ports); i++) {
		const tm_value *tp = tm_map_get(tm_seq_at(ports, i), "targetPort");
		const char *target = tm_scalar_str(tp ? tp : tm_map_get(tm_seq_at(ports, i), "port"), NULL);
		if (target && (strcmp(target, "3500") == 0 || strcmp(target, "50001") == 0 ||
			       strcmp(target, "dapr-http") == 0 || strcmp(target, "dapr-grpc") == 0))
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, tp ? tp : tm_seq_at(ports, i)),
				    "Service '%s' (%s) opens port %s of %s, where the Dapr sidecar's API listens on the loopback "
				    "only (no dapr.io/sidecar-listen-addresses beyond it; Dapr 1.4 and later): the port reaches "
				    "nothing, and is not reported as the sidecar's API",
				    o->name, type, target, tm_node_id(w));
	}
}

void tm_k8s__dapr(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	tm_hmap acl = TM_HMAP_INIT;
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		if (tm_k8s__is(o, "DaprComponent"))
			component(ctx, k, o);
		else if (tm_k8s__is(o, "DaprConfiguration")) {
			configuration_mtls(ctx, k, o);
			configuration_acl(ctx, k, o, &acl);
		} else if (k->ndapr && tm_k8s__is(o, "Service"))
			loopback_ports(ctx, k, o);
	}
	apps_acl(ctx, k, &acl);
	tm_hmap_dispose(&acl);
}
