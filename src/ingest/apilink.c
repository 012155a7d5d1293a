/*
 * apilink.c - which workload an API or event spec describes. First match wins,
 * and the reason is returned for the evidence:
 *   1. an x-trustmap-service extension (info or root): "<namespace>/<name>" or a Service name;
 *   2. (APIs only) a server host naming a Kubernetes Service (name, name.ns, name.ns.svc,
 *      name.ns.svc.cluster.local), or an Ingress host whose longest matching path rule routes
 *      to one workload;
 *   3. the spec sitting in the same directory tree as exactly one workload's manifest (and the
 *      other place rules of docs/inputs.md);
 *   4. (APIs only) a localhost server's port that one compose service publishes on the host;
 *   5. the title naming one workload, or the image one runs (tm_ingest__link_titled).
 * It reads what the manifests said, so callers link every spec before adding evidence.
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "ingest.h"

bool tm_ingest__hosts_meet(const char *a, const char *b)
{
	if (strcmp(a, "*") == 0 || strcmp(b, "*") == 0 || strcasecmp(a, b) == 0)
		return true;
	for (int k = 0; k < 2; k++) {
		const char *w = k ? b : a, *o = k ? a : b;
		if (w[0] != '*' || w[1] != '.')
			continue;
		size_t sl = strlen(w + 1), ol = strlen(o); /* ".example.com" ends the other, or a longer wildcard */
		if (ol > sl && strcasecmp(o + ol - sl, w + 1) == 0)
			return true;
	}
	return false;
}

/* Host of a server URL ("https://a.b:8080/x" -> "a.b"; a relative "/v1" has none), into buf. */
const char *tm_ingest__url_host(const char *url, char *buf, size_t len)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : (url[0] == '/' ? "" : url);
	size_t n = strcspn(p, ":/?#");
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

bool tm_ingest__url_port(const char *url, const char *host, char *port, size_t size)
{
	const char *at = strstr(url, host);
	const char *colon = at ? at + strlen(host) : NULL;
	colon = colon && *colon == ']' ? colon + 1 : colon;
	if (!colon || *colon != ':' || !isdigit((unsigned char)colon[1]))
		return false;
	size_t pl = strspn(colon + 1, "0123456789");
	if (pl >= size)
		return false;
	memcpy(port, colon + 1, pl);
	port[pl] = '\0';
	return true;
}

static const char *const *node_list(const tm_node *n, const char *key)
{
	const tm_attr *a = tm_node_attr_get(n, key);
	return a && a->type == TM_ATTR_LIST ? a->list : NULL;
}

static const char *const *edge_list(const tm_edge *e, const char *key)
{
	for (size_t a = 0; a < e->attrs.count; a++)
		if (strcmp(e->attrs.items[a].key, key) == 0 && e->attrs.items[a].type == TM_ATTR_LIST)
			return e->attrs.items[a].list;
	return NULL;
}

/*
 * The link index: built once over the model as the platform ingesters left it, before a batch of
 * specs is linked, so linking N specs costs N lookups, not N passes over every node and edge.
 * Chains keep the model's order (they are built backwards and prepended), so answers, ties and
 * ambiguities are what a pass in model order would give.
 */
struct chain {
	void *item; /* tm_node* or tm_edge* */
	struct chain *next;
};

struct dir_hits {
	tm_node *found, *last;
	size_t hits; /* distinct services with evidence under the directory */
	tm_node *app;     /* the first of them that runs no data store or broker */
	size_t app_hits;  /* how many run none: an API is an application's, not its database's */
	const char *ns; /* their namespace (or compose project), when they share one */
	bool ns_mixed;
};

struct tm_link_index {
	tm_arena *a;
	tm_hmap by_service; /* Kubernetes Service name -> chain of workload nodes selecting it */
	tm_hmap by_host;    /* host -> chain of gateway route edges naming it */
	tm_hmap by_dir;     /* directory -> struct dir_hits */
	tm_hmap by_name;    /* a workload's or its Services' name, normalised (name_key) -> chain of nodes */
	tm_hmap by_context; /* a compose build context, tree-relative ("" the top) -> chain of workloads */
	tm_hmap by_image;   /* an image's name (its repository's last part, name_key) -> chain of workloads */
	tm_hmap by_port;    /* a host port a compose service publishes ("8888") -> its node, or the index
			     * itself when two publish it (the host refuses the second: neither is named) */
	tm_hmap gw_hosts;   /* the ids of the workloads running a gateway's configuration -> "" */
	tm_hmap by_dapr;    /* a Dapr app-id (dapr_app_id) -> chain of the workloads it names */
	int oom;
};

/* The tree-relative directory a compose build context names: the compose file's directory joined
 * with ctx (tm_ingest__path_join); NULL for a remote or templated context or one above the top. */
static char *context_dir(tm_arena *a, const char *file, const char *ctx)
{
	if (!ctx || strchr(ctx, '$') || strstr(ctx, "://") || strncmp(ctx, "git@", 4) == 0 || ctx[0] == '/')
		return NULL;
	/* joined below a stand-in top segment: a ".." that climbs past the tree's top takes it away */
	const char *slash = file ? strrchr(file, '/') : NULL;
	char dir[1024], buf[1024];
	if (tm_formatf(dir, sizeof(dir), "\x1f%s%.*s", slash ? "/" : "", slash ? (int)(slash - file) : 0,
		       slash ? file : "") >= (int)sizeof(dir))
		return NULL;
	const char *p = tm_ingest__path_join(dir, ctx, buf, sizeof(buf));
	if (!p || p[0] != '\x1f')
		return NULL;
	return tm_arena_strdup(a, p[1] == '/' ? p + 2 : p + 1);
}

static void push(tm_link_index *ix, tm_hmap *m, const char *key, void *item)
{
	struct chain *head = tm_hmap_get(m, key, strlen(key));
	if (head && head->item == item) /* the same item twice in a row: a repeated list entry */
		return;
	struct chain *c = tm_arena_alloc(ix->a, sizeof(*c));
	if (!c || tm_hmap_put(m, key, strlen(key), c)) {
		ix->oom = 1;
		return;
	}
	c->item = item;
	c->next = head;
}

/* A name as compared across naming styles: lowercase, '-', '_' and '.' dropped (cart-service,
 * cart_service and CartService are one name). Truncated to fit buf. */
static const char *name_key(const char *name, char *buf, size_t len)
{
	size_t k = 0;
	for (const char *p = name; *p && k + 1 < len; p++)
		if (*p != '-' && *p != '_' && *p != '.')
			buf[k++] = (char)tolower((unsigned char)*p);
	buf[k] = '\0';
	return buf;
}

static void push_key(tm_link_index *ix, tm_hmap *m, const char *name, tm_node *n)
{
	char key[256];
	name_key(name, key, sizeof(key));
	if (!key[0])
		return;
	/* the map keeps the key's pointer: a copy that lives as long as the index */
	const char *kept = tm_hmap_get(m, key, strlen(key)) ? key : tm_arena_strdup(ix->a, key);
	if (!kept)
		ix->oom = 1;
	else
		push(ix, m, kept, n);
}

static void push_name(tm_link_index *ix, const char *name, tm_node *n)
{
	push_key(ix, &ix->by_name, name, n);
}

/* An image's name: its repository's last part, without tag or digest ("saltaaron/vampi:latest",
 * "ghcr.io/acme/vampi@sha256:..." -> "vampi"), into buf; "" for a templated one. */
static const char *image_name(const char *image, char *buf, size_t len)
{
	const char *last = strrchr(image, '/');
	last = last ? last + 1 : image;
	size_t n = strcspn(last, ":@");
	if (strchr(image, '$') || strchr(image, '{') || n >= len)
		n = 0;
	memcpy(buf, last, n);
	buf[n] = '\0';
	return buf;
}

/* The host ports n publishes ("[ip:]published->target[/proto]": the published port, after the
 * ip's last ':'), into the index. */
static void index_ports(tm_link_index *ix, tm_node *n)
{
	static const char *const keys[] = {"loopback_ports", "published_ports"};
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++)
		for (const char *const *p = node_list(n, keys[k]); p && *p; p++) {
			const char *arrow = strstr(*p, "->"), *b = *p;
			for (const char *q = *p; arrow && q < arrow; q++)
				if (*q == ':')
					b = q + 1;
			char *key = arrow && arrow > b ? tm_arena_strndup(ix->a, b, (size_t)(arrow - b)) : NULL;
			if (!key)
				continue;
			void *had = tm_hmap_get(&ix->by_port, key, strlen(key));
			if (had != n && tm_hmap_put(&ix->by_port, key, strlen(key), had ? (void *)ix : (void *)n))
				ix->oom = 1;
		}
}

/* Every directory above path ("a/b/c.yaml": "a/b", then "a") counts n once. */
static void index_dirs(tm_link_index *ix, tm_node *n, const char *path)
{
	for (const char *slash = strrchr(path, '/'); slash; ) {
		char *dir = tm_arena_strndup(ix->a, path, (size_t)(slash - path));
		struct dir_hits *d = dir ? tm_hmap_get(&ix->by_dir, dir, strlen(dir)) : NULL;
		if (dir && !d) {
			d = tm_arena_alloc(ix->a, sizeof(*d));
			if (!d || tm_hmap_put(&ix->by_dir, dir, strlen(dir), d)) {
				ix->oom = 1;
				return;
			}
		}
		if (!d) {
			ix->oom = 1;
			return;
		}
		if (d->last != n) {
			d->hits++;
			d->last = n;
			if (!d->found)
				d->found = n;
			if (!tm_node_attr_str(n, "runs_store")) {
				d->app_hits++;
				if (!d->app)
					d->app = n;
			}
			const char *ns = tm_node_attr_str(n, "namespace");
			if (!d->ns)
				d->ns = ns;
			else if (!ns || strcmp(ns, d->ns) != 0)
				d->ns_mixed = true;
		}
		const char *prev = slash;
		slash = NULL;
		for (const char *p = path; p < prev; p++)
			if (*p == '/')
				slash = p;
	}
}

tm_link_index *tm_ingest__link_index(tm_ingest_ctx *ctx)
{
	tm_link_index *ix = tm_calloc(1, sizeof(*ix));
	if (!ix || !(ix->a = tm_arena_new())) {
		tm_free(ix);
		tm_arena_set_failed(ctx->scratch); /* the scan reports running out of memory */
		return NULL;
	}
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = m->nnodes; i-- > 0;) {
		tm_node *n = m->nodes[i];
		if (n->kind != TM_NODE_SERVICE)
			continue;
		for (const char *const *s = node_list(n, "k8s_services"); s && *s; s++) {
			push(ix, &ix->by_service, *s, n);
			push_name(ix, *s, n);
		}
		/* a compose service answers to its name, container_name, hostname and aliases */
		for (const char *const *s = node_list(n, "hostnames"); s && *s; s++)
			push(ix, &ix->by_service, *s, n);
		/* an unlinked API's own service is no workload a name could mean */
		if (tm_node_attr_get(n, "unlinked"))
			continue;
		push_name(ix, tm_node_name(n), n);
		const char *app = tm_node_attr_str(n, "dapr_app_id");
		if (app)
			push(ix, &ix->by_dapr, app, n);
		char img[256];
		for (const char *const *s = node_list(n, "images"); s && *s; s++)
			if (*image_name(*s, img, sizeof(img)))
				push_key(ix, &ix->by_image, img, n);
		index_ports(ix, n);
	}
	for (size_t i = 0; i < m->nnodes; i++)
		for (const char *const *h = m->nodes[i]->kind == TM_NODE_GATEWAY ? node_list(m->nodes[i], "hosted_by") : NULL;
		     h && *h; h++)
			if (tm_hmap_put(&ix->gw_hosts, *h, strlen(*h), (void *)""))
				ix->oom = 1;
	for (size_t i = m->nedges; i-- > 0;) {
		tm_edge *e = m->edges[i];
		if (e->kind != TM_EDGE_ROUTES || e->from->kind != TM_NODE_GATEWAY)
			continue;
		/* a proxy's routes (gateway.c) link a spec operation by operation, not here */
		if (tm_node_attr_str(e->from, "config"))
			continue;
		for (const char *const *h = edge_list(e, "hosts"); h && *h; h++)
			push(ix, &ix->by_host, *h, e);
	}
	/* the directories compose services build their images from */
	for (size_t i = 0; i < m->nnodes; i++) {
		tm_node *n = m->nodes[i];
		for (size_t k = 0; n->kind == TM_NODE_SERVICE && k < tm_node_fact_count(n); k++) {
			const tm_fact_loc *f = tm_node_fact(n, k);
			char *dir = strcmp(f->key, "build_contexts") == 0 ? context_dir(ix->a, f->loc.path, f->value) : NULL;
			if (dir)
				push(ix, &ix->by_context, dir, n);
		}
	}
	/* a workload's tree is where its manifests are: the API specs and .proto files already linked to
	 * it (and an unlinked API's own service) are no manifest, whichever ingester finished first */
	tm_hmap specs = TM_HMAP_INIT;
	for (size_t i = 0; i < m->nnodes; i++)
		for (const char *const *s = node_list(m->nodes[i], "api_specs"); s && *s; s++)
			if (tm_hmap_put(&specs, *s, strlen(*s), (void *)*s))
				ix->oom = 1;
	for (size_t i = 0; i < m->nnodes; i++) {
		tm_node *n = m->nodes[i];
		if (n->kind != TM_NODE_SERVICE || tm_node_attr_get(n, "unlinked"))
			continue;
		for (size_t k = 0; k < n->evidence.count; k++) {
			const char *path = n->evidence.items[k].path;
			if (path && !tm_hmap_get(&specs, path, strlen(path)))
				index_dirs(ix, n, path);
		}
	}
	tm_hmap_dispose(&specs);
	if (ix->oom || tm_arena_failed(ix->a)) {
		tm_ingest__link_index_free(ix);
		tm_arena_set_failed(ctx->scratch); /* the scan reports running out of memory */
		return NULL;
	}
	return ix;
}

void tm_ingest__link_index_free(tm_link_index *ix)
{
	if (!ix)
		return;
	tm_hmap_dispose(&ix->by_service);
	tm_hmap_dispose(&ix->by_host);
	tm_hmap_dispose(&ix->by_dir);
	tm_hmap_dispose(&ix->by_name);
	tm_hmap_dispose(&ix->by_context);
	tm_hmap_dispose(&ix->by_image);
	tm_hmap_dispose(&ix->by_port);
	tm_hmap_dispose(&ix->by_dapr);
	tm_hmap_dispose(&ix->gw_hosts);
	tm_arena_free(ix->a);
	tm_free(ix);
}

/* The workload behind a cluster-internal host name, if exactly one. */
static tm_node *service_by_host(const tm_link_index *ix, const char *host)
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
	tm_node *found = NULL;
	for (const struct chain *c = tm_hmap_get(&ix->by_service, name, strlen(name)); c; c = c->next) {
		tm_node *cand = c->item;
		const char *cns = tm_node_attr_str(cand, "namespace");
		if (*ns && (!cns || strcmp(cns, ns) != 0))
			continue;
		if (found && found != cand)
			return NULL; /* ambiguous */
		found = cand;
	}
	return found;
}

/*
 * The workload an Ingress routes the spec's requests to: rules for host whose
 * path is the longest prefix of a request path (server base path + the spec's
 * first path). NULL if none, or if two workloads tie.
 */
static tm_node *service_by_ingress(const tm_link_index *ix, const char *host, const char *request)
{
	tm_node *found = NULL;
	size_t best = 0;
	bool tie = false;
	for (const struct chain *c = tm_hmap_get(&ix->by_host, host, strlen(host)); c; c = c->next) {
		const tm_edge *e = c->item;
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

/* Directory names that say what a directory holds, not whose it is: a spec under orders/api/ is
 * still the orders manifests' (orders/k8s/), where one under src/cart/ is not src/ui/'s. */
static bool role_dir(const char *c, size_t n)
{
	static const char *const words[] = {"api", "apis", "spec", "specs", "openapi", "swagger", "docs", "doc",
					    "documentation", "contract", "contracts", "schema", "schemas",
					    "definitions", "resources", "src", "main", "static", "public", "config",
					    "conf", "deploy", "deployment", "k8s", "kubernetes", "manifests", "helm",
					    "chart", "charts", "http", "rest", "idl", "proto", "protos", "generated",
					    "interface", "v1", "v2", "v3"};
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (strlen(words[i]) == n && strncasecmp(c, words[i], n) == 0)
			return true;
	return false;
}

/* Is every directory of rest (the spec's directories below the shared one, "cart/v1") a role's
 * name or a part of the workload's name (or it of the directory's)? */
static bool tree_fits(const char *rest, const tm_node *n)
{
	char wk[256], ck[256];
	name_key(tm_node_name(n), wk, sizeof(wk));
	for (const char *c = rest; *c;) {
		size_t len = strcspn(c, "/");
		char comp[256];
		tm_formatf(comp, sizeof(comp), "%.*s", (int)len, c);
		name_key(comp, ck, sizeof(ck));
		if (len && !role_dir(c, len) && ck[0] && !strstr(wk, ck) && !strstr(ck, wk))
			return false;
		c += len;
		if (*c)
			c++;
	}
	return true;
}

/* The single workload whose manifest shares the nearest directory with the spec (the one that runs
 * no store, when the others there do), unless the spec sits in another component's directory below
 * the shared one (tree_fits). */
static tm_node *service_by_tree(const tm_link_index *ix, const char *spec_path)
{
	char dir[1024];
	tm_formatf(dir, sizeof(dir), "%s", spec_path);
	char *spec_dir_end = strrchr(dir, '/');
	for (;;) {
		char *slash = strrchr(dir, '/');
		if (!slash)
			return NULL; /* the root itself is every workload's tree */
		*slash = '\0';
		const struct dir_hits *d = tm_hmap_get(&ix->by_dir, dir, strlen(dir));
		tm_node *n = d && d->hits == 1 ? d->found : d && d->app_hits == 1 ? d->app : NULL;
		if (n) {
			char rest[1024] = "";
			if (slash < spec_dir_end) /* the spec's directories below this one */
				tm_formatf(rest, sizeof(rest), "%.*s", (int)(spec_dir_end - slash - 1), spec_path + (slash - dir) + 1);
			return tree_fits(rest, n) ? n : NULL;
		}
		if (d && d->hits > 1)
			return NULL;
	}
}

tm_node *tm_ingest__link_context(const tm_link_index *ix, const char *path)
{
	char dir[1024];
	tm_formatf(dir, sizeof(dir), "%s", path);
	for (char *slash = strrchr(dir, '/');; slash = strrchr(dir, '/')) {
		if (slash)
			*slash = '\0';
		else
			dir[0] = '\0'; /* the top: a context of "." beside a compose file at the top */
		const struct chain *c = tm_hmap_get(&ix->by_context, dir, strlen(dir));
		if (c) {
			for (const struct chain *o = c->next; o; o = o->next)
				if (o->item != c->item)
					return NULL; /* two images are built from here: no telling */
			return c->item;
		}
		if (!slash)
			return NULL;
	}
}

tm_node *tm_ingest__link_hint(tm_ingest_ctx *ctx, const tm_link_index *ix, tm_arena *arena, const char *hint)
{
	char *id = tm_arena_printf(arena, "service:%s", hint);
	return id && strchr(hint, '/') ? tm_mb_find(ctx->mb, id) : service_by_host(ix, hint);
}

/* A compose variant's service ("compose:src[prod]"): the base project's twin is the one meant. */
static bool variant_project(const tm_node *n)
{
	const char *ns = tm_node_attr_str(n, "namespace");
	return ns && strchr(ns, '[');
}

/* The one node of a chain; several: the one not in a compose variant project, if exactly one. */
static tm_node *only(const struct chain *head)
{
	tm_node *found = NULL, *base = NULL;
	bool several = false, bases = false;
	for (const struct chain *c = head; c; c = c->next) {
		tm_node *n = c->item;
		several |= found && found != n;
		found = n;
		if (!variant_project(n)) {
			bases |= base && base != n;
			base = n;
		}
	}
	if (!several)
		return found;
	return bases ? NULL : base;
}

bool tm_ingest__link_dir_has(const tm_link_index *ix, const char *dir)
{
	return tm_hmap_get(&ix->by_dir, dir, strlen(dir)) != NULL;
}

bool tm_ingest__link_dir_only(const tm_link_index *ix, const char *dir, const tm_node *n)
{
	const struct dir_hits *d = tm_hmap_get(&ix->by_dir, dir, strlen(dir));
	return d && d->hits == 1 && d->found == n;
}

const char *tm_ingest__link_scope(const tm_link_index *ix, const char *path)
{
	char dir[1024];
	tm_formatf(dir, sizeof(dir), "%s", path);
	for (char *slash; (slash = strrchr(dir, '/')) != NULL;) {
		*slash = '\0';
		const struct dir_hits *d = tm_hmap_get(&ix->by_dir, dir, strlen(dir));
		if (d)
			return d->ns_mixed ? NULL : d->ns;
	}
	return NULL;
}

tm_node *tm_ingest__link_host(const tm_link_index *ix, const char *host, const char *scope_ns)
{
	/* "basket.api" may be a compose service's own name before it is "svc.ns" */
	if (strchr(host, '.') && !tm_hmap_get(&ix->by_service, host, strlen(host)))
		return service_by_host(ix, host);
	/* a bare name: as the caller's resolver would, its own namespace (or compose project) first */
	tm_node *in_scope = NULL, *any = NULL;
	bool scope_tie = false, any_tie = false;
	for (const struct chain *c = tm_hmap_get(&ix->by_service, host, strlen(host)); c; c = c->next) {
		tm_node *cand = c->item;
		const char *cns = tm_node_attr_str(cand, "namespace");
		if (scope_ns && cns && strcmp(cns, scope_ns) == 0) {
			scope_tie |= in_scope && in_scope != cand;
			in_scope = cand;
		}
		any_tie |= any && any != cand;
		any = cand;
	}
	if (in_scope)
		return scope_tie ? NULL : in_scope;
	return any_tie ? only(tm_hmap_get(&ix->by_service, host, strlen(host))) : any;
}

tm_node *tm_ingest__link_dapr(const tm_link_index *ix, const char *app, const char *scope_ns, bool *known)
{
	*known = ix->by_dapr.count > 0;
	/* "<app-id>.<namespace>": another namespace's app */
	char id[256];
	size_t n = strcspn(app, ".");
	const char *ns = app[n] == '.' ? app + n + 1 : scope_ns;
	if (n >= sizeof(id))
		return NULL;
	memcpy(id, app, n);
	id[n] = '\0';
	tm_node *found = NULL;
	bool tie = false;
	for (const struct chain *c = tm_hmap_get(&ix->by_dapr, id, n); c; c = c->next) {
		const char *cns = tm_node_attr_str(c->item, "namespace");
		if (ns && (!cns || strcmp(cns, ns) != 0))
			continue;
		tie |= found && found != c->item;
		found = c->item;
	}
	return tie ? NULL : found;
}

tm_node *tm_ingest__link_name(const tm_link_index *ix, const char *name)
{
	char key[256];
	name_key(name, key, sizeof(key));
	return key[0] ? only(tm_hmap_get(&ix->by_name, key, strlen(key))) : NULL;
}

tm_node *tm_ingest__link_tree(const tm_link_index *ix, const char *path)
{
	return service_by_tree(ix, path);
}

tm_node *tm_ingest__link_named(const tm_link_index *ix, tm_arena *a, const char *name)
{
	tm_node *n = tm_ingest__link_name(ix, name);
	size_t nl = strlen(name);
	if (!n && nl > 7 && strcasecmp(name + nl - 7, "service") == 0) {
		const char *base = tm_arena_strndup(a, name, nl - 7);
		n = base ? tm_ingest__link_name(ix, base) : NULL;
	} else if (!n) {
		const char *more = tm_arena_printf(a, "%sservice", name);
		n = more ? tm_ingest__link_name(ix, more) : NULL;
	}
	/* the common abbreviations of a service's workload: VotingService served by voting-svc, Cart by
	 * cart-server */
	size_t bl = nl > 7 && strcasecmp(name + nl - 7, "service") == 0 ? nl - 7 : nl;
	static const char *const abbrev[] = {"svc", "server"};
	for (size_t i = 0; !n && bl && i < TM_ARRAY_LEN(abbrev); i++) {
		const char *with = tm_arena_printf(a, "%.*s%s", (int)bl, name, abbrev[i]);
		n = with ? tm_ingest__link_name(ix, with) : NULL;
	}
	/* one and many of a thing: a directory cart/ for the workload carts, orders/ for order */
	if (!n && nl > 2 && tolower((unsigned char)name[nl - 1]) == 's') {
		const char *one = tm_arena_strndup(a, name, nl - 1);
		n = one ? tm_ingest__link_name(ix, one) : NULL;
	} else if (!n && nl > 1) {
		const char *many = tm_arena_printf(a, "%ss", name);
		n = many ? tm_ingest__link_name(ix, many) : NULL;
	}
	return n;
}

tm_node *tm_ingest__link_dir(const tm_link_index *ix, tm_arena *a, const char *path, const char **comp)
{
	char dir[1024];
	tm_formatf(dir, sizeof(dir), "%s", path);
	for (char *slash = strrchr(dir, '/'); slash; slash = strrchr(dir, '/')) {
		*slash = '\0';
		const char *c = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
		/* a role's directory (api/, docs/, config/) names what it holds, not whose it is */
		tm_node *n = *c && !role_dir(c, strlen(c)) ? tm_ingest__link_named(ix, a, c) : NULL;
		if (n) {
			*comp = tm_arena_strdup(a, c);
			return n;
		}
	}
	return NULL;
}

tm_node *tm_ingest__link_api_dir(const tm_link_index *ix, tm_arena *a, const char *path, const char **comp)
{
	char dir[1024];
	tm_formatf(dir, sizeof(dir), "%s", path);
	for (char *slash = strrchr(dir, '/'); slash; slash = strrchr(dir, '/')) {
		*slash = '\0';
		const char *c = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
		tm_node *n = strcasecmp(c, "api") == 0 || strcasecmp(c, "apis") == 0 ? tm_ingest__link_name(ix, c) : NULL;
		if (n) {
			*comp = tm_arena_strdup(a, c);
			return n;
		}
	}
	return NULL;
}

tm_node *tm_ingest__link_host_port(const tm_link_index *ix, const char *port)
{
	void *n = tm_hmap_get(&ix->by_port, port, strlen(port));
	return n && n != (const void *)ix ? n : NULL;
}

/* Words a title is made of when it names no one: "API", "REST API", "Backend service". */
static bool generic_title(const char *key, size_t n)
{
	static const char *const words[] = {"service", "services", "server", "backend", "app", "application",
					    "default", "sample", "example", "demo", "test", "restapi", "webapi",
					    "openapi3", "swaggerui"};
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (strlen(words[i]) == n && memcmp(key, words[i], n) == 0)
			return true;
	return n < 3 || role_dir(key, n);
}

size_t tm_ingest__link_titled(const tm_link_index *ix, const char *title, tm_node **out, size_t max)
{
	/* as name_key, spaces and other punctuation dropped too: "Bookshelf API" is "bookshelf" */
	char key[256];
	size_t kl = 0;
	for (const char *p = title; *p && kl + 1 < sizeof(key); p++)
		if (isalnum((unsigned char)*p))
			key[kl++] = (char)tolower((unsigned char)*p);
	key[kl] = '\0';
	if (kl > 3 && strcmp(key + kl - 3, "api") == 0)
		key[kl -= 3] = '\0';
	if (generic_title(key, kl))
		return 0;
	size_t n = 0, bases = 0;
	const struct chain *heads[2] = {tm_hmap_get(&ix->by_name, key, kl), tm_hmap_get(&ix->by_image, key, kl)};
	for (size_t h = 0; h < 2; h++)
		for (const struct chain *c = heads[h]; c; c = c->next) {
			bool seen = false;
			for (size_t k = 0; k < n && k < max && !seen; k++)
				seen = out[k] == c->item;
			if (seen)
				continue;
			if (n < max)
				out[n] = c->item;
			bases += !variant_project(c->item);
			n++;
		}
	/* a compose variant's twin of a base project's service is that service again */
	if (bases && bases < n && n <= max) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (!variant_project(out[i]))
				out[k++] = out[i];
		n = k;
	}
	return n;
}

tm_node *tm_ingest__link_api(tm_ingest_ctx *ctx, const tm_link_index *ix, tm_arena *arena, const tm_file *file,
			     const tm_value *root, bool by_servers, const char **how, int *by_place)
{
	if (by_place)
		*by_place = TM_LINK_FIRM;
	const char *x = tm_map_get_str(tm_map_get(root, "info"), "x-trustmap-service");
	if (!x)
		x = tm_map_get_str(root, "x-trustmap-service");
	if (x) {
		tm_node *n = tm_ingest__link_hint(ctx, ix, arena, x);
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
		tm_ingest__url_host(url, host, sizeof(host));
		tm_node *n = service_by_host(ix, host);
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
		tm_formatf(request, sizeof(request), "%s%s", base && strcmp(base, "/") != 0 ? base : "",
			 first ? first : "/");
		n = service_by_ingress(ix, host, request);
		if (n) {
			*how = tm_arena_printf(arena, "server host '%s' is routed by an Ingress", host);
			return n;
		}
	}
	const char *comp = NULL;
	tm_node *n = tm_ingest__link_dir(ix, arena, tm_file_path(file), &comp);
	if (n) {
		*how = tm_arena_printf(arena, "directory '%s' names the workload", comp);
	} else if ((n = service_by_tree(ix, tm_file_path(file))) != NULL) {
		*how = "spec in the same directory tree as the workload's manifest";
	}
	if (!n && (n = tm_ingest__link_context(ix, tm_file_path(file))) != NULL)
		*how = "spec inside the directory the workload's image is built from (compose build context)";
	if (!n && (n = tm_ingest__link_api_dir(ix, arena, tm_file_path(file), &comp)) != NULL)
		*how = tm_arena_printf(arena, "directory '%s' names the workload", comp);
	if (n && by_place)
		*by_place = TM_LINK_PLACE;
	/* a server on the developer's own machine ("http://localhost:8888") is the port one compose
	 * service publishes there; not a proxy's: its routes say which workload serves each path (rule 3) */
	for (size_t i = 0; !n && i < nserv; i++) {
		const char *url = i < tm_value_len(servers) ? tm_map_get_str(tm_seq_at(servers, i), "url") : v2host;
		char host[256] = "", port[8];
		if (url)
			tm_ingest__url_host(url, host, sizeof(host));
		if (url && tm_host_loopback(host, strlen(host)) && tm_ingest__url_port(url, host, port, sizeof(port)) &&
		    (n = tm_ingest__link_host_port(ix, port)) != NULL && tm_hmap_get(&ix->gw_hosts, tm_node_id(n), strlen(tm_node_id(n))))
			n = NULL;
		else if (n)
			*how = tm_arena_printf(arena, "server '%s:%s' is the host port the workload publishes", host, port);
	}
	/* last, the API's title naming one workload, or the image one runs */
	const char *title = tm_map_get_str(tm_map_get(root, "info"), "title");
	tm_node *one = NULL;
	if (!n && title && tm_ingest__link_titled(ix, title, &one, 1) == 1) {
		n = one;
		*how = tm_arena_printf(arena, "title '%s' names the workload or its image", title);
	}
	if (n && by_place && *by_place == TM_LINK_FIRM)
		*by_place = TM_LINK_NAME;
	return n;
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
