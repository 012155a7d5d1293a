/*
 * apilink.c - which workload an API or event spec describes. First match wins,
 * and the reason is returned for the evidence:
 *   1. an x-trustmap-service extension (info or root): "<namespace>/<name>" or a Service name;
 *   2. (APIs only) a server host naming a Kubernetes Service (name, name.ns, name.ns.svc,
 *      name.ns.svc.cluster.local), or an Ingress host whose longest matching path rule routes
 *      to one workload;
 *   3. the spec sitting in the same directory tree as exactly one workload's manifest.
 * It reads what the manifests said, so callers link every spec before adding evidence.
 */
#include <ctype.h>
#include <stdio.h>

#include "ingest.h"


/* Host of a server URL ("https://a.b:8080/x" -> "a.b"), into buf. */
static const char *url_host(const char *url, char *buf, size_t len)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strcspn(p, ":/?#");
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static bool has_list_item(const tm_node *n, const char *key, const char *item)
{
	const tm_attr *a = tm_node_attr_get(n, key);
	if (!a || a->type != TM_ATTR_LIST)
		return false;
	for (const char *const *s = a->list; s && *s; s++)
		if (strcmp(*s, item) == 0)
			return true;
	return false;
}

/* The workload behind a cluster-internal host name, if exactly one. */
static tm_node *service_by_host(tm_model_builder *mb, const char *host)
{
	char name[256], ns[256] = "";
	size_t n = strcspn(host, ".");
	if (n >= sizeof(name))
		return NULL;
	memcpy(name, host, n);
	name[n] = '\0';
	if (host[n] == '.') {
		const char *rest = host + n + 1;
		size_t m = strcspn(rest, ".");
		const char *tail = rest + m;
		/* name.ns, name.ns.svc, name.ns.svc.cluster.local */
		if (*tail && strcmp(tail, ".svc") != 0 && strcmp(tail, ".svc.cluster.local") != 0)
			return NULL;
		if (m >= sizeof(ns))
			return NULL;
		memcpy(ns, rest, m);
		ns[m] = '\0';
	}
	const tm_model *m = tm_mb_model(mb);
	tm_node *found = NULL;
	for (size_t i = 0; i < m->nnodes; i++) {
		tm_node *cand = m->nodes[i];
		if (cand->kind != TM_NODE_SERVICE || !has_list_item(cand, "k8s_services", name))
			continue;
		const char *cns = tm_node_attr_str(cand, "namespace");
		if (*ns && (!cns || strcmp(cns, ns) != 0))
			continue;
		if (found)
			return NULL; /* ambiguous */
		found = cand;
	}
	return found;
}

static const char *const *edge_list(const tm_edge *e, const char *key)
{
	for (size_t a = 0; a < e->attrs.count; a++)
		if (strcmp(e->attrs.items[a].key, key) == 0 && e->attrs.items[a].type == TM_ATTR_LIST)
			return e->attrs.items[a].list;
	return NULL;
}

/*
 * The workload an Ingress routes the spec's requests to: rules for host whose
 * path is the longest prefix of a request path (server base path + the spec's
 * first path). NULL if none, or if two workloads tie.
 */
static tm_node *service_by_ingress(tm_model_builder *mb, const char *host, const char *request)
{
	const tm_model *m = tm_mb_model(mb);
	tm_node *found = NULL;
	size_t best = 0;
	bool tie = false;
	for (size_t i = 0; i < m->nedges; i++) {
		tm_edge *e = m->edges[i];
		if (e->kind != TM_EDGE_ROUTES || e->from->kind != TM_NODE_GATEWAY)
			continue;
		bool host_ok = false;
		for (const char *const *h = edge_list(e, "hosts"); h && *h; h++)
			host_ok |= strcmp(*h, host) == 0;
		if (!host_ok)
			continue;
		for (const char *const *p = edge_list(e, "paths"); p && *p; p++) {
			size_t pl = strlen(*p);
			while (pl > 1 && (*p)[pl - 1] == '/')
				pl--;
			bool prefix = strncmp(request, *p, pl) == 0 &&
				      (request[pl] == '\0' || request[pl] == '/' || pl == 1);
			if (!prefix)
				continue;
			if (pl > best || !found) {
				best = pl;
				found = e->to;
				tie = false;
			} else if (pl == best && found != e->to) {
				tie = true;
			}
		}
	}
	return tie ? NULL : found;
}

/* The single workload whose manifest shares the nearest directory with the spec. */
static tm_node *service_by_tree(tm_model_builder *mb, const char *spec_path)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s", spec_path);
	const tm_model *m = tm_mb_model(mb);
	for (;;) {
		char *slash = strrchr(dir, '/');
		if (!slash)
			return NULL; /* the root itself is every workload's tree */
		*slash = '\0';
		size_t dl = strlen(dir);
		tm_node *found = NULL;
		size_t hits = 0;
		for (size_t i = 0; i < m->nnodes; i++) {
			tm_node *cand = m->nodes[i];
			if (cand->kind != TM_NODE_SERVICE)
				continue;
			for (size_t e = 0; e < cand->evidence.count; e++) {
				const char *p = cand->evidence.items[e].path;
				if (p && strncmp(p, dir, dl) == 0 && p[dl] == '/') {
					if (found != cand)
						hits++;
					found = cand;
					break;
				}
			}
		}
		if (hits == 1)
			return found;
		if (hits > 1)
			return NULL;
	}
}

tm_node *tm_ingest__link_api(tm_ingest_ctx *ctx, tm_arena *arena, const tm_file *file,
			     const tm_value *root, bool by_servers, const char **how)
{
	tm_model_builder *mb = ctx->mb;
	const char *x = tm_map_get_str(tm_map_get(root, "info"), "x-trustmap-service");
	if (!x)
		x = tm_map_get_str(root, "x-trustmap-service");
	if (x) {
		char *id = tm_arena_printf(arena, "service:%s", x);
		tm_node *n = id && strchr(x, '/') ? tm_mb_find(mb, id) : service_by_host(mb, x);
		if (n) {
			*how = tm_arena_printf(arena, "x-trustmap-service '%s'", x);
			return n;
		}
		tm_diag_add(ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING, tm_value_loc(file, root),
			    "x-trustmap-service '%.100s' names no workload in the scanned files", x);
	}
	/* server hosts (an API's servers are its own; an event spec's servers are brokers) */
	const tm_value *servers = by_servers ? tm_map_get(root, "servers") : NULL;
	const char *v2host = by_servers ? tm_map_get_str(root, "host") : NULL;
	size_t nserv = tm_value_len(servers) + (v2host ? 1 : 0);
	for (size_t i = 0; i < nserv; i++) {
		const char *url = i < tm_value_len(servers) ? tm_map_get_str(tm_seq_at(servers, i), "url") : v2host;
		char host[256];
		if (!url)
			continue;
		url_host(url, host, sizeof(host));
		tm_node *n = service_by_host(mb, host);
		if (n) {
			*how = tm_arena_printf(arena, "server host '%s' names Kubernetes Service", host);
			return n;
		}
		/* the request path: the server's base path, then the spec's first path */
		const char *base = strstr(url, "://");
		base = base ? strchr(base + 3, '/') : strchr(url, '/');
		if (url == v2host)
			base = tm_map_get_str(root, "basePath");
		char request[512];
		const tm_value *paths = tm_map_get(root, "paths");
		const char *first = tm_scalar_str(tm_map_key(paths, 0), NULL);
		snprintf(request, sizeof(request), "%s%s", base && strcmp(base, "/") != 0 ? base : "",
			 first ? first : "/");
		n = service_by_ingress(mb, host, request);
		if (n) {
			*how = tm_arena_printf(arena, "server host '%s' is routed by an Ingress", host);
			return n;
		}
	}
	tm_node *n = service_by_tree(mb, tm_file_path(file));
	if (n) {
		*how = "spec in the same directory tree as the workload's manifest";
		return n;
	}
	return NULL;
}


const char *tm_ingest__slug(tm_arena *a, const char *title)
{
	size_t n = strlen(title);
	char *out = tm_arena_alloc(a, n + 1);
	if (!out)
		return "api";
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)title[i];
		if (isalnum(c))
			out[k++] = (char)tolower(c);
		else if (k && out[k - 1] != '-')
			out[k++] = '-';
	}
	while (k && out[k - 1] == '-')
		k--;
	out[k] = '\0';
	return k ? out : "api";
}
