/*
 * k8s_calls.c - who calls whom, read from configuration: an env var or a
 * ConfigMap value that names a Service ("cartservice:7070",
 * "http://orders.shop.svc.cluster.local/api", "Server=sqldata;...") is a
 * `calls` edge from the workload to what the Service selects, with the value
 * as evidence. A name that resolves to no scanned Service becomes an
 * unresolved service node (a cluster-local name) or an external node (a
 * public host name), so nothing the configuration says is dropped.
 *
 * A cluster-local name no Service answers, where the caller's kustomize render renamed its objects
 * (a namePrefix or nameSuffix of a kustomization it read: n8n-hosting's production overlay makes
 * `postgres-service` `prod-postgres-service`, and kustomize rewrites no name inside an env value),
 * is tried with each prefix and suffix: a Service of that name makes the node's `unresolved` say
 * "did you mean", `did_you_mean` name it, and a note say so at the value. The affixes are read once
 * per rendered file (its kustomization files, at most MAX_AFFIXES of each), each name tried against
 * the Service index: a bounded number of lookups per unresolved name.
 *
 * Precision over recall: a bare word counts only when the variable's name says
 * it is an address (*_ADDR, *_HOST, *_URL, ...) or it carries a scheme or a port;
 * the placeholder of a Helm value required and not given names nothing.
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "k8s.h"
#include "parse/parse.h" /* a rendered file's adopted files: the kustomizations it read */

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

struct k8s_svc_lookup {
	char key[512];
};

struct tm_k8s_svc *tm_k8s__resolve_host(struct tm_k8s *k, const char *ns, const char *host)
{
	char h[256];
	size_t n = strlen(host);
	if (!n || n >= sizeof(h))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		h[i] = (char)tolower((unsigned char)host[i]);
	static const char *const tails[] = {".svc.cluster.local", ".svc.cluster.local.", ".svc"};
	for (size_t i = 0; i < TM_ARRAY_LEN(tails); i++)
		if (ends_with_ci(h, tails[i])) {
			h[strlen(h) - strlen(tails[i])] = '\0';
			break;
		}
	char *dot = strchr(h, '.');
	const char *svc_ns = ns;
	if (dot) {
		*dot = '\0';
		svc_ns = dot + 1;
		if (strchr(svc_ns, '.'))
			return NULL; /* more labels: not a Service name */
	}
	struct k8s_svc_lookup key;
	int len = tm_formatf(key.key, sizeof(key.key), "%s/%s", svc_ns, h);
	if (len < 0 || (size_t)len >= sizeof(key.key))
		return NULL;
	return tm_hmap_get(&k->services, key.key, (size_t)len);
}

/* "svc.ns": one dot, and the last label is no public top-level domain. */
static bool service_namespace_form(const char *host)
{
	static const char *const tlds[] = {"com", "net", "org", "io", "dev", "app", "cloud", "co", "ai",
					   "example", "test", "invalid", "internal", "local", "localhost",
					   "us", "uk", "de", "eu", "fr", "nl", "jp", "cn", "in", "info", "biz"};
	const char *dot = strchr(host, '.');
	if (!dot || strchr(dot + 1, '.'))
		return false;
	for (size_t i = 0; i < TM_ARRAY_LEN(tlds); i++)
		if (strcasecmp(dot + 1, tlds[i]) == 0)
			return false;
	return true;
}

struct caller {
	tm_ingest_ctx *ctx;
	struct tm_k8s *k;
	tm_node *from;
	const char *ns;
	const char *whole; /* "ConfigMap x" given whole (envFrom): the container has every key, whether
			    * its code reads this one is not in the files */
	const tm_file *f;  /* the caller's file: a kustomize render holds the kustomizations it read */
	tm_hmap *affixes;  /* rendered file pointer bytes -> struct affixes, made at the first lookup */
};

enum { MAX_AFFIXES = 8 };

/* The namePrefix and nameSuffix values of the kustomizations a rendered file read, with their places. */
struct affixes {
	const char *word[2][MAX_AFFIXES]; /* [0] prefixes, [1] suffixes */
	tm_loc at[2][MAX_AFFIXES];
	size_t n[2];
};

static bool kustomization_file(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return strcmp(base, "kustomization.yaml") == 0 || strcmp(base, "kustomization.yml") == 0 ||
	       strcmp(base, "Kustomization") == 0;
}

static const struct affixes *affixes_of(struct caller *c)
{
	const tm_file *f = c->f;
	if (!f || !f->nadopted || !c->affixes)
		return NULL;
	struct affixes *a = tm_hmap_get(c->affixes, (const char *)&f, sizeof(f));
	if (a)
		return a;
	a = tm_arena_alloc(c->k->arena, sizeof(*a));
	const tm_file **key = tm_arena_alloc(c->k->arena, sizeof(*key)); /* the map borrows its key */
	if (!a || !key)
		return NULL;
	*key = f;
	memset(a, 0, sizeof(*a));
	if (tm_hmap_put(c->affixes, (const char *)key, sizeof(*key), a))
		return NULL;
	static const char *const keys[2] = {"namePrefix", "nameSuffix"};
	for (size_t i = 0; i < f->nadopted; i++) {
		const tm_file *kf = f->adopted[i];
		if (!kf || !kf->path || !kustomization_file(kf->path) || !tm_file_doc_count(kf))
			continue;
		for (int w = 0; w < 2; w++) {
			const tm_value *v = tm_map_get(tm_file_doc(kf, 0), keys[w]);
			const char *s = tm_scalar_str(v, NULL);
			if (s && *s && a->n[w] < MAX_AFFIXES) {
				a->word[w][a->n[w]] = s;
				a->at[w][a->n[w]++] = tm_ingest__loc(kf, v);
			}
		}
	}
	return a;
}

/* A Service the caller's render renamed that a name meant: label (the name's first label, the rest
 * after it) with one of its prefixes and suffixes. Its name into *meant, the affix's word and place
 * into *which and *at; NULL when none. */
static const struct tm_k8s_svc *renamed(struct caller *c, const char *host, const char **meant, const char **which,
					 tm_loc *at)
{
	const struct affixes *a = affixes_of(c);
	if (!a || (!a->n[0] && !a->n[1]))
		return NULL;
	size_t label = strcspn(host, ".");
	for (size_t p = 0; p <= a->n[0]; p++)
		for (size_t s = 0; s <= a->n[1]; s++) {
			if (!p && !s)
				continue;
			const char *pre = p ? a->word[0][p - 1] : "", *suf = s ? a->word[1][s - 1] : "";
			char name[256];
			int len = tm_formatf(name, sizeof(name), "%s%.*s%s%s", pre, (int)label, host, suf, host + label);
			const struct tm_k8s_svc *t =
				len > 0 && (size_t)len < sizeof(name) ? tm_k8s__resolve_host(c->k, c->ns, name) : NULL;
			if (!t || !t->svc)
				continue;
			*meant = t->svc->name;
			*which = p && s ? "namePrefix and nameSuffix" : p ? "namePrefix" : "nameSuffix";
			*at = p ? a->at[0][p - 1] : a->at[1][s - 1];
			return t;
		}
	return NULL;
}

/* The unresolved node n, made for a name in the caller's configuration: what it is, and the Service it
 * may have meant. */
static void say_unresolved(struct caller *c, tm_node *n, const char *var, const char *host, tm_loc loc)
{
	const char *meant = NULL, *which = NULL;
	tm_loc at = {NULL, 0, 0, NULL};
	if (!renamed(c, host, &meant, &which, &at)) {
		tm_mb_node_str(c->ctx->mb, n, "unresolved", "named in configuration; no Service or workload of that name was scanned");
		return;
	}
	tm_mb_node_str(c->ctx->mb, n, "unresolved",
		       tm_arena_printf(c->k->arena,
				       "named in configuration; no Service or workload of that name was scanned; a name the "
				       "overlay's %s changed: did you mean %s?",
				       which, meant));
	tm_mb_node_str(c->ctx->mb, n, "did_you_mean", meant);
	tm_diag_add(c->ctx->diags, 0, TM_LEVEL_NOTE, loc,
		    "%s names '%s', and no Service of this system has that name: the %s at %s:%u renamed it to '%s' "
		    "(kustomize changes no name inside a value); did you mean %s?",
		    var ? var : "a value", host, which, at.path ? at.path : "?", at.line, meant, meant);
}

static void add_call(struct caller *c, const char *var, const char *host, const char *port,
		     const char *value, tm_loc loc)
{
	struct tm_k8s *k = c->k;
	tm_ingest_ctx *ctx = c->ctx;
	struct tm_k8s_svc *t = tm_k8s__resolve_host(k, c->ns, host);
	tm_node *targets_one[1];
	tm_node **targets = NULL;
	size_t nt = 0;
	if (t && t->ntargets) {
		targets = t->targets;
		nt = t->ntargets;
	} else if (!t) {
		/* a cluster-local name (no dots, or .svc) with nothing behind it, or a public host */
		bool local = !strchr(host, '.') || strstr(host, ".svc") || strstr(host, ".cluster.local") ||
			     service_namespace_form(host);
		char *id;
		tm_node *n;
		if (local) {
			char h[512];
			tm_formatf(h, sizeof(h), "%s", host);
			char *dot = strchr(h, '.');
			const char *sns = c->ns;
			if (dot) {
				*dot = '\0';
				sns = dot + 1;
				char *d2 = strchr(dot + 1, '.');
				if (d2)
					*d2 = '\0';
			}
			id = tm_arena_printf(k->arena, "service:%s/%s", sns, h);
			n = id ? tm_mb_node(ctx->mb, TM_NODE_SERVICE, id, h, tm_k8s__ns_boundary(ctx, k, sns), loc)
			       : NULL;
			if (n && !tm_node_attr_get(n, "workload") && !tm_node_attr_get(n, "unresolved")) {
				tm_mb_node_str(ctx->mb, n, "namespace", sns);
				say_unresolved(c, n, var, host, loc);
			}
		} else {
			tm_mb_boundary(ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
			id = tm_arena_printf(k->arena, "external:%s", host);
			n = id ? tm_mb_node(ctx->mb, TM_NODE_EXTERNAL, id, host, "internet", loc) : NULL;
		}
		if (!n)
			return;
		targets_one[0] = n;
		targets = targets_one;
		nt = 1;
	}
	for (size_t i = 0; i < nt; i++) {
		if (targets[i] == c->from)
			continue;
		tm_edge *e = tm_mb_edge(ctx->mb, c->from, targets[i], TM_EDGE_CALLS, loc);
		if (!e)
			continue;
		tm_mb_edge_list_add(ctx->mb, e, "env", var);
		if (c->whole)
			tm_mb_edge_list_add(ctx->mb, e, "env_from", c->whole);
		tm_mb_edge_list_add(ctx->mb, e, "address", tm_ingest__masked(k->arena, value));
		if (port)
			tm_mb_edge_list_add(ctx->mb, e, "ports", port);
	}
}

struct token_ud {
	struct caller *c;
	const char *var, *value;
	tm_loc loc;
};

static void call_address(void *ud, const tm_address *a)
{
	struct token_ud *t = ud;
	add_call(t->c, t->var, a->host, a->port, t->value, t->loc);
}

static void scan_text(struct caller *c, const char *var, const char *value, tm_loc loc)
{
	if (!var || !value || !*value)
		return;
	/* http://localhost:3500/v1.0/invoke/<app-id>/method/...: the app the local Dapr sidecar invokes */
	const char *dapr = tm_gw_dapr_app(c->ctx->scratch, value, value);
	if (dapr) {
		tm_node *app = tm_k8s__dapr_app(c->k, c->ns, dapr + 5);
		tm_edge *e = app && app != c->from ? tm_mb_edge(c->ctx->mb, c->from, app, TM_EDGE_CALLS, loc) : NULL;
		if (e) {
			tm_mb_edge_list_add(c->ctx->mb, e, "env", var);
			if (c->whole)
				tm_mb_edge_list_add(c->ctx->mb, e, "env_from", c->whole);
			tm_mb_edge_list_add(c->ctx->mb, e, "address", tm_ingest__masked(c->k->arena, value));
			tm_mb_edge_str(c->ctx->mb, e, "dapr_app_id", dapr + 5);
		} else if (!app)
			tm_diag_add(c->ctx->diags, 0, TM_LEVEL_NOTE, loc,
				    "%s invokes Dapr app '%s' through the local sidecar, and no workload of the scan has that "
				    "app-id (dapr.io/app-id): the call is not drawn", var, dapr + 5);
		return;
	}
	struct token_ud t = {c, var, value, loc};
	tm_ingest__address_each(value, tm_ingest__address_name(var, false), call_address, &t);
}

static void scan_value(struct caller *c, const char *var, const tm_file *f, const tm_value *v)
{
	scan_text(c, var, tm_scalar_str(v, NULL), tm_ingest__loc(f, v));
}

/* A Secret's entry: stringData as written, data decoded from base64, as the pod reads it (an address
 * or a connection string kept with its password). A value that is no text, or too long to hold an
 * address, is passed over. */
static void scan_secret_value(struct caller *c, const struct tm_k8s_obj *sec, const char *key, const tm_value *v,
			      bool encoded)
{
	if (!encoded) {
		scan_value(c, key, sec->f, v);
		return;
	}
	size_t len = 0;
	const char *b64 = tm_scalar_str(v, &len);
	char text[1024];
	if (!b64 || len / 4 * 3 >= sizeof(text) - 4 || !tm_k8s__b64_prefix(b64, len, text, sizeof(text)))
		return;
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return;
	scan_text(c, key, tm_arena_strdup(c->ctx->scratch, text), tm_ingest__loc(sec->f, v));
}

/* A Secret's entries, or its one key only_key (looked up, not searched for). */
static void scan_secret(struct caller *c, const struct tm_k8s_obj *sec, const char *only_key)
{
	static const char *const maps[] = {"stringData", "data"};
	for (size_t m = 0; m < TM_ARRAY_LEN(maps); m++) {
		const tm_value *data = tm_map_get(sec->v, maps[m]);
		if (only_key) {
			const tm_value *v = tm_map_get(data, only_key);
			if (v)
				scan_secret_value(c, sec, only_key, v, m == 1);
			continue;
		}
		for (size_t i = 0; i < tm_value_len(data); i++) {
			const char *key = tm_scalar_str(tm_map_key(data, i), NULL);
			if (key)
				scan_secret_value(c, sec, key, tm_map_value(data, i), m == 1);
		}
	}
}

/* v with its $(NAME) references to the container's earlier variables (vars: name -> expanded value)
 * replaced, as the kubelet does: $$ is a literal $, a reference to no earlier variable stays as
 * written. v itself when it holds none. */
static const char *expand_refs(tm_arena *a, const char *v, const tm_hmap *vars)
{
	if (!v || !strchr(v, '$'))
		return v;
	/* an expansion longer than any address stays as written: a chain of variables doubling each
	 * other ($(B) = $(A)$(A), ...) would otherwise grow without bound */
	enum { EXPANDED_MAX = 1024, NAME_MAX_LEN = 256 };
	tm_strbuf sb = TM_STRBUF_INIT;
	for (const char *p = v; *p && sb.len <= EXPANDED_MAX;) {
		if (p[0] == '$' && p[1] == '$') {
			tm_strbuf_putc(&sb, '$');
			p += 2;
			continue;
		}
		size_t n = 0; /* a variable's name: the characters Kubernetes allows in one */
		if (p[0] == '$' && p[1] == '(')
			while (n < NAME_MAX_LEN && (isalnum((unsigned char)p[2 + n]) || p[2 + n] == '_' || p[2 + n] == '-' ||
						    p[2 + n] == '.'))
				n++;
		const char *val = n && p[2 + n] == ')' ? tm_hmap_get(vars, p + 2, n) : NULL;
		if (val) {
			tm_strbuf_puts(&sb, val);
			p += n + 3;
		} else {
			tm_strbuf_putc(&sb, *p++);
		}
	}
	const char *out = sb.oom || sb.len > EXPANDED_MAX ? v : tm_arena_strndup(a, sb.data ? sb.data : "", sb.len);
	tm_strbuf_dispose(&sb);
	return out ? out : v;
}

static void scan_configmap(struct caller *c, const struct tm_k8s_obj *cm, const char *only_key)
{
	const tm_value *data = tm_map_get(cm->v, "data");
	for (size_t i = 0; i < tm_value_len(data); i++) {
		const char *key = tm_scalar_str(tm_map_key(data, i), NULL);
		if (key && (!only_key || strcmp(key, only_key) == 0))
			scan_value(c, key, cm->f, tm_map_value(data, i));
	}
}

static const struct tm_k8s_obj *configmap(struct tm_k8s *k, const char *ns, const char *name)
{
	char key[512];
	int n = tm_formatf(key, sizeof(key), "%s/%s", ns, name ? name : "");
	return name && n > 0 && (size_t)n < sizeof(key) ? tm_hmap_get(&k->configmaps, key, (size_t)n) : NULL;
}

/* Consul's connect-service-upstreams annotation: the services the pod's sidecar opens a local port
 * for, "name:port[:datacenter]" or the labelled "name.svc.ns.ns.dc.dc:port", comma-separated: calls
 * as an environment's address is. */
static void consul_upstreams(struct caller *c, const tm_file *f, const tm_value *anns)
{
	static const char *const key = "consul.hashicorp.com/connect-service-upstreams";
	const tm_value *v = tm_map_get(anns, key);
	const char *s = tm_scalar_str(v, NULL);
	for (; s && *s;) {
		s += strspn(s, ", ");
		size_t n = strcspn(s, ",");
		size_t name = strcspn(s, ":.,");
		size_t colon = strcspn(s, ":,");
		if (name && name < 128 && colon < n) {
			char host[128], port[16];
			tm_formatf(host, sizeof(host), "%.*s", (int)name, s);
			size_t pl = strspn(s + colon + 1, "0123456789");
			tm_formatf(port, sizeof(port), "%.*s", (int)(pl < sizeof(port) ? pl : 0), s + colon + 1);
			add_call(c, key, host, *port ? port : NULL, tm_arena_strndup(c->k->arena, s, n), tm_ingest__loc(f, v));
		}
		s += n;
	}
}

void tm_k8s__calls(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	tm_hmap affixes = TM_HMAP_INIT;
	for (size_t i = 0; i < k->n; i++) {
		const struct tm_k8s_obj *o = &k->objs[i];
		const tm_value *tpl = tm_k8s__pod_template(o);
		if (!tpl)
			continue;
		char *id = tm_k8s__workload_id(k, o);
		struct caller c = {ctx, k, id ? tm_mb_find(ctx->mb, id) : NULL, o->ns, NULL, o->f, &affixes};
		if (!c.from)
			continue;
		const tm_value *pspec = tm_map_get(tpl, "spec");
		consul_upstreams(&c, o->f, tm_map_get(tm_map_get(tpl, "metadata"), "annotations"));
		static const char *const lists[] = {"initContainers", "containers"};
		for (size_t l = 0; l < TM_ARRAY_LEN(lists); l++) {
			const tm_value *cs = tm_map_get(pspec, lists[l]);
			for (size_t j = 0; j < tm_value_len(cs); j++) {
				const tm_value *ctr = tm_seq_at(cs, j);
				const tm_value *env = tm_map_get(ctr, "env");
				tm_hmap vars = TM_HMAP_INIT; /* the container's variables so far, expanded */
				for (size_t e = 0; e < tm_value_len(env); e++) {
					const tm_value *ev = tm_seq_at(env, e);
					const tm_value *from = tm_map_get(ev, "valueFrom");
					const tm_value *ref = tm_map_get(from, "configMapKeyRef");
					const tm_value *sref = tm_map_get(from, "secretKeyRef");
					const struct tm_k8s_obj *cm =
						ref ? configmap(k, o->ns, tm_map_get_str(ref, "name")) : NULL;
					const struct tm_k8s_obj *sec =
						sref ? tm_k8s__named(ctx, k, "Secret", o->ns, tm_map_get_str(sref, "name")) : NULL;
					if (cm)
						scan_configmap(&c, cm, tm_map_get_str(ref, "key"));
					else if (sec && tm_map_get_str(sref, "key"))
						scan_secret(&c, sec, tm_map_get_str(sref, "key"));
					else {
						const char *name = tm_map_get_str(ev, "name");
						const tm_value *vv = tm_map_get(ev, "value");
						const char *val = expand_refs(ctx->scratch, tm_scalar_str(vv, NULL), &vars);
						scan_text(&c, name, val, tm_ingest__loc(o->f, vv));
						if (name && val && tm_hmap_put(&vars, name, strlen(name), (void *)val))
							tm_arena_set_failed(ctx->scratch);
					}
				}
				tm_hmap_dispose(&vars);
				const tm_value *envfrom = tm_map_get(ctr, "envFrom");
				for (size_t e = 0; e < tm_value_len(envfrom); e++) {
					const tm_value *ref = tm_map_get(tm_seq_at(envfrom, e), "configMapRef");
					const tm_value *sref = tm_map_get(tm_seq_at(envfrom, e), "secretRef");
					const struct tm_k8s_obj *cm =
						ref ? configmap(k, o->ns, tm_map_get_str(ref, "name")) : NULL;
					const struct tm_k8s_obj *sec =
						sref ? tm_k8s__named(ctx, k, "Secret", o->ns, tm_map_get_str(sref, "name")) : NULL;
					if (cm) {
						c.whole = tm_arena_printf(k->arena, "ConfigMap %s", tm_map_get_str(ref, "name"));
						scan_configmap(&c, cm, NULL);
					}
					if (sec) {
						c.whole = tm_arena_printf(k->arena, "Secret %s", tm_map_get_str(sref, "name"));
						scan_secret(&c, sec, NULL);
					}
					c.whole = NULL;
				}
			}
		}
	}
	tm_hmap_dispose(&affixes);
}
