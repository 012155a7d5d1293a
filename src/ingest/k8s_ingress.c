/*
 * k8s_ingress.c - the checks an Ingress's controller puts on its routes, as its annotations ask
 * for them: ingress-nginx (external auth, basic or digest auth, client certificates, source
 * allow- and deny-lists, rate limits), the Kong Ingress Controller (konghq.com/plugins naming
 * KongPlugin and KongClusterPlugin objects), the AWS Load Balancer Controller (Cognito or OIDC
 * authentication, inbound CIDRs) and Traefik (router middlewares: the Middleware objects they name,
 * k8s_traefik.c). The
 * routes edges of the Ingress carry them as a gateway reader's routes do (tm_gw_edge_checks), so
 * the rules and the API linkers read an Ingress as they read nginx, Envoy or Kong.
 */
#include "k8s.h"
#include "model/policy.h"

struct ann {
	tm_ingest_ctx *ctx;
	const struct tm_k8s_obj *o;
	const tm_value *map; /* metadata.annotations */
};

static const char *ann_str(const struct ann *a, const char *key, const tm_value **at)
{
	const tm_value *v = tm_map_get(a->map, key);
	if (at)
		*at = v;
	const char *s = tm_scalar_str(v, NULL);
	return s && *s ? s : NULL;
}

/* "what (key) at path:line" for the check an annotation makes. */
static const char *how(const struct ann *a, const char *what, const char *key, const tm_value *at)
{
	const char *text = tm_arena_printf(a->ctx->scratch, "%s (%s)", what, key);
	return text ? tm_gw_where(a->ctx, text, tm_ingest__loc(a->o->f, at)) : NULL;
}

/* An annotation's source ranges v ("10.0.0.0/8,192.168.0.0/16") as the route's allow-list; private
 * ranges only: no internet client (tm_policy__private_ranges). */
static void allow_list(const struct ann *a, const char *v, const char *key, const tm_value *at, tm_gw_checks *c)
{
	c->restrict_how = how(a, tm_arena_printf(a->ctx->scratch, "source ranges %s", v), key, at);
	c->private_only = tm_policy__private_ranges(v);
}

/* ingress-nginx, under its prefix (the older "ingress.kubernetes.io/" too). */
static void nginx(const struct ann *a, const char *prefix, tm_gw_checks *c)
{
	char key[128];
	const tm_value *at;
	const char *v;
#define KEY(k) (tm_formatf(key, sizeof(key), "%s%s", prefix, k), key)
	if ((v = ann_str(a, KEY("auth-url"), &at)) != NULL) {
		c->authn = TM_AUTHN_UNKNOWN; /* a decision the gateway delegates, as nginx's auth_request */
		c->authn_how = how(a, "external authentication", key, at);
	} else if ((v = ann_str(a, KEY("auth-type"), &at)) != NULL && (tm_strcaseeq(v, "basic") || tm_strcaseeq(v, "digest"))) {
		c->authn = TM_AUTHN_BASIC;
		c->authn_how = how(a, tm_strcaseeq(v, "basic") ? "basic authentication" : "digest authentication", key, at);
	} else if ((v = ann_str(a, KEY("auth-tls-verify-client"), &at)) != NULL) {
		if (tm_strcaseeq(v, "on")) {
			c->authn = TM_AUTHN_MTLS;
			c->authn_how = how(a, "client certificate", key, at);
		} else if (!tm_strcaseeq(v, "off")) {
			tm_diag_add(a->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(a->o->f, at),
				    "ingress '%s' asks for a client certificate without requiring one (%s: %s): not counted "
				    "as authentication", a->o->name, key, v);
		}
	}
	static const char *const allow[] = {"whitelist-source-range", "allowlist-source-range"};
	for (size_t i = 0; i < TM_ARRAY_LEN(allow) && !c->restrict_how; i++)
		if ((v = ann_str(a, KEY(allow[i]), &at)) != NULL)
			allow_list(a, v, key, at, c);
	if ((v = ann_str(a, KEY("denylist-source-range"), &at)) != NULL)
		c->deny_how = how(a, tm_arena_printf(a->ctx->scratch, "source ranges %s", v), key, at);
	static const char *const rate[] = {"limit-rps", "limit-rpm", "limit-connections", "global-rate-limit"};
	for (size_t i = 0; i < TM_ARRAY_LEN(rate) && !c->rate_how; i++)
		if ((v = ann_str(a, KEY(rate[i]), &at)) != NULL)
			c->rate_how = how(a, tm_arena_printf(a->ctx->scratch, "rate limit %s", v), key, at);
	static const char *const snippets[] = {"configuration-snippet", "server-snippet", "auth-snippet"};
	for (size_t i = 0; i < TM_ARRAY_LEN(snippets); i++)
		if (ann_str(a, KEY(snippets[i]), &at))
			tm_diag_add(a->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(a->o->f, at),
				    "ingress '%s' adds nginx configuration in %s, which is not read: it may check, or open, "
				    "what the model says of its routes", a->o->name, key);
#undef KEY
}

const struct tm_k8s_obj *tm_k8s__named(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *kind, const char *ns,
				       const char *name)
{
	if (!name)
		return NULL;
	static const char *const kinds[] = {"KongPlugin", "KongClusterPlugin", "BackendConfig",
					    "Middleware", "MiddlewareTCP", "TraefikService",
					    "VirtualServerRoute", "NginxPolicy", "ApisixPluginConfig",
					    "MeshTLSAuthentication", "NetworkAuthentication", "LinkerdHTTPRoute",
					    "LinkerdGatewayHTTPRoute", "LinkerdGatewayGRPCRoute",
					    "Secret", "ConfigMap", "SealedSecret", "ExternalSecret"};
	if (!k->named_indexed) {
		k->named_indexed = true;
		for (size_t i = k->n; i-- > 0;)
			for (size_t j = 0; j < TM_ARRAY_LEN(kinds); j++) {
				const struct tm_k8s_obj *p = &k->objs[i];
				if (!tm_k8s__is(p, kinds[j]))
					continue;
				char *key = tm_arena_printf(k->arena, "%s\x1f%s/%s", kinds[j], p->ns, p->name);
				if (!key || tm_hmap_put(&k->named, key, strlen(key), (void *)p))
					tm_arena_set_failed(ctx->scratch);
			}
	}
	char *key = tm_arena_printf(k->arena, "%s\x1f%s/%s", kind, ns, name);
	return key ? tm_hmap_get(&k->named, key, strlen(key)) : NULL;
}

/* A KongPlugin of the Ingress's namespace, else a KongClusterPlugin, named name. */
static const struct tm_k8s_obj *kong_plugin(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *ns, const char *name)
{
	const struct tm_k8s_obj *p = tm_k8s__named(ctx, k, "KongPlugin", ns, name);
	return p ? p : tm_k8s__named(ctx, k, "KongClusterPlugin", "", name);
}

/* A KongPlugin or KongClusterPlugin po's checks into c, named "<label> <plugin>" at po: a disabled one
 * adds nothing; false when po names no plugin. */
static bool apply_plugin(tm_ingest_ctx *ctx, const struct tm_k8s_obj *po, const char *label, tm_gw_checks *c)
{
	const char *plugin = tm_map_get_str(po->v, "plugin");
	bool off = false;
	if (!tm_scalar_bool(tm_map_get(po->v, "disabled"), &off) && off)
		return true;
	if (!plugin)
		return false;
	const char *what = tm_arena_printf(ctx->scratch, "%s %s", label, plugin);
	tm_gw__kong_plugin(plugin, tm_map_get(po->v, "config"), what ? tm_gw_where(ctx, what, tm_ingest__loc(po->f, po->v)) : NULL, c);
	return true;
}

/* Kong's plugins named by list, for route kind/name of namespace ns (the Kubernetes reader's k). */
static void kong(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *kind, const char *rname, const char *ns,
		 const char *list, const char *source, tm_loc at, tm_gw_checks *c)
{
	for (const char *p = list; *p;) {
		p += strspn(p, " ,");
		size_t n = strcspn(p, " ,");
		if (!n)
			break;
		char *name = tm_arena_strndup(ctx->scratch, p, n);
		p += n;
		const struct tm_k8s_obj *po = name && k ? kong_plugin(ctx, k, ns, name) : NULL;
		if (!po || !apply_plugin(ctx, po, "kong plugin", c)) {
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
				    "%s '%s' names Kong plugin '%s', which no scanned KongPlugin or KongClusterPlugin "
				    "defines: what it checks is not known", kind, rname, name ? name : "");
			if (c->authn == TM_AUTHN_NONE) {
				c->authn = TM_AUTHN_UNKNOWN;
				c->authn_how = tm_gw_where(ctx, tm_arena_printf(ctx->scratch, "Kong plugin %s (not scanned) (%s)", name, source), at);
			}
		}
	}
}

void tm_ingest__kong_plugins(tm_ingest_ctx *ctx, const char *kind, const char *name, const char *ns, const char *list,
			     const char *source, tm_loc at, tm_gw_checks *c)
{
	kong(ctx, ctx->kube, kind, name, ns, list, source, at, c);
}

/* The plugins Service t names, for a route of Kong's. */
static void kong_service(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_svc *t, tm_gw_checks *c)
{
	const struct tm_k8s_obj *svc = t ? t->svc : NULL;
	if (!c->kong || !svc)
		return;
	const tm_value *at = tm_map_get(tm_map_get(tm_map_get(svc->v, "metadata"), "annotations"), "konghq.com/plugins");
	const char *list = tm_scalar_str(at, NULL);
	if (list && *list)
		kong(ctx, k, "service", svc->name, svc->ns, list, "konghq.com/plugins", tm_ingest__loc(svc->f, at), c);
}

void tm_ingest__kong_service(tm_ingest_ctx *ctx, const char *ns, const char *name, tm_gw_checks *c)
{
	struct tm_k8s *k = ctx->kube;
	if (!k || !c->kong)
		return;
	char *key = tm_arena_printf(ctx->scratch, "%s/%s", ns, name);
	kong_service(ctx, k, key ? tm_hmap_get(&k->services, key, strlen(key)) : NULL, c);
}

bool tm_ingest__kong_global(tm_ingest_ctx *ctx, tm_gw_checks *c)
{
	struct tm_k8s *k = ctx->kube;
	if (!k)
		return false;
	if (!k->kong_global_state) { /* once per scan, however many routes ask */
		k->kong_global = (tm_gw_checks)TM_GW_CHECKS_NONE;
		k->kong_global_state = 1;
		for (size_t i = 0; i < k->n; i++) {
			const struct tm_k8s_obj *po = &k->objs[i];
			if (!tm_k8s__is(po, "KongClusterPlugin"))
				continue;
			const char *global = tm_map_get_str(tm_map_get(tm_map_get(po->v, "metadata"), "labels"), "global");
			if (global && strcmp(global, "true") == 0 && apply_plugin(ctx, po, "kong global plugin", &k->kong_global))
				k->kong_global_state = 2;
		}
	}
	if (k->kong_global_state == 2)
		*c = k->kong_global;
	return k->kong_global_state == 2;
}

void tm_k8s__ingress_checks(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, tm_gw_checks *c)
{
	*c = (tm_gw_checks)TM_GW_CHECKS_NONE;
	struct ann a = {ctx, o, tm_map_get(tm_map_get(o->v, "metadata"), "annotations")};
	/* Kong's (its class, or the plugins it names): Kong's global plugins first, the Ingress's own after */
	const char *cls = tm_map_get_str(tm_map_get(o->v, "spec"), "ingressClassName");
	if (!cls)
		cls = ann_str(&a, "kubernetes.io/ingress.class", NULL);
	if ((cls && tm_strcaseeq(cls, "kong")) || ann_str(&a, "konghq.com/plugins", NULL)) {
		tm_ingest__kong_global(ctx, c);
		c->kong = true;
	}
	if (!tm_value_len(a.map))
		return;
	nginx(&a, "nginx.ingress.kubernetes.io/", c);
	if (c->authn == TM_AUTHN_NONE && !c->restrict_how && !c->rate_how)
		nginx(&a, "ingress.kubernetes.io/", c);
	const tm_value *at;
	const char *v;
	if ((v = ann_str(&a, "konghq.com/plugins", &at)) != NULL)
		kong(ctx, k, "ingress", o->name, o->ns, v, "konghq.com/plugins", tm_ingest__loc(o->f, at), c);
	if ((v = ann_str(&a, "alb.ingress.kubernetes.io/auth-type", &at)) != NULL &&
	    (tm_strcaseeq(v, "cognito") || tm_strcaseeq(v, "oidc"))) {
		c->authn = TM_AUTHN_OAUTH2;
		c->authn_how = how(&a, tm_arena_printf(ctx->scratch, "load balancer %s authentication", v),
				   "alb.ingress.kubernetes.io/auth-type", at);
	}
	if ((v = ann_str(&a, "alb.ingress.kubernetes.io/inbound-cidrs", &at)) != NULL && !c->restrict_how)
		allow_list(&a, v, "alb.ingress.kubernetes.io/inbound-cidrs", at, c);
	if ((v = ann_str(&a, "traefik.ingress.kubernetes.io/router.middlewares", &at)) != NULL)
		tm_k8s__traefik_annotation(ctx, k, o, v, at, c);
}

/* The BackendConfig a Service's cloud.google.com/backend-config annotation names (a JSON object:
 * "default", else the one name its "ports" give), in the Service's namespace. */
static const struct tm_k8s_obj *backend_config(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *svc)
{
	const tm_value *ann = tm_map_get(tm_map_get(svc->v, "metadata"), "annotations");
	const tm_value *at = tm_map_get(ann, "cloud.google.com/backend-config");
	if (!at)
		at = tm_map_get(ann, "beta.cloud.google.com/backend-config");
	const char *json = tm_scalar_str(at, NULL);
	if (!json || !*json)
		return NULL;
	tm_limits lim;
	tm_limits_default(&lim);
	tm_diag_list diags = TM_DIAG_LIST_INIT;
	tm_file *f = NULL;
	const char *name = NULL;
	if (tm_file_parse(&f, "annotation", json, strlen(json), &lim, &diags) == 0 && tm_file_doc_count(f)) {
		const tm_value *root = tm_file_doc(f, 0);
		name = tm_map_get_str(root, "default");
		const tm_value *ports = tm_map_get(root, "ports");
		for (size_t i = 0; !name && i < tm_value_len(ports); i++) {
			const char *one = tm_scalar_str(tm_map_value(ports, i), NULL);
			bool same = true; /* one name for every port: that one; several: none is sure */
			for (size_t j = 0; one && j < tm_value_len(ports); j++) {
				const char *other = tm_scalar_str(tm_map_value(ports, j), NULL);
				same = same && other && strcmp(other, one) == 0;
			}
			if (same)
				name = one;
			break;
		}
		name = name ? tm_arena_strdup(k->arena, name) : NULL;
	}
	if (!name)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(svc->f, at),
			    "service '%s' names its BackendConfig in an annotation that is not a JSON object with \"default\" "
			    "or one name for every port: not read", svc->name);
	tm_file_free(f);
	tm_diag_list_dispose(&diags);
	return name ? tm_k8s__named(ctx, k, "BackendConfig", svc->ns, name) : NULL;
}

void tm_k8s__backend_checks(tm_ingest_ctx *ctx, struct tm_k8s *k, struct tm_k8s_svc *t, tm_gw_checks *c)
{
	kong_service(ctx, k, t, c);
	if (!t->backend_read) { /* once per Service, however many routes reach it */
		t->backend_config = t->svc ? backend_config(ctx, k, t->svc) : NULL;
		t->backend_read = true;
	}
	const struct tm_k8s_obj *bc = t->backend_config;
	const tm_value *spec = bc ? tm_map_get(bc->v, "spec") : NULL;
	const tm_value *iap = tm_map_get(spec, "iap");
	bool on = false;
	if (iap && !tm_scalar_bool(tm_map_get(iap, "enabled"), &on) && on) {
		c->authn = TM_AUTHN_OAUTH2;
		const char *what = tm_arena_printf(ctx->scratch, "Identity-Aware Proxy (BackendConfig %s)", bc->name);
		c->authn_how = what ? tm_gw_where(ctx, what, tm_ingest__loc(bc->f, iap)) : NULL;
	}
	const char *armor = tm_map_get_str(tm_map_get(spec, "securityPolicy"), "name");
	if (armor && !c->restrict_how) {
		const char *what = tm_arena_printf(ctx->scratch, "Cloud Armor policy %s (BackendConfig %s)", armor, bc->name);
		c->restrict_how = what ? tm_gw_where(ctx, what, tm_ingest__loc(bc->f, tm_map_get(spec, "securityPolicy"))) : NULL;
	}
}

void tm_k8s__route_checks(tm_ingest_ctx *ctx, const struct tm_k8s_obj *o, tm_gw_checks *c)
{
	*c = (tm_gw_checks)TM_GW_CHECKS_NONE;
	struct ann a = {ctx, o, tm_map_get(tm_map_get(o->v, "metadata"), "annotations")};
	const tm_value *at;
	const char *v;
	static const char *const allow[] = {"haproxy.router.openshift.io/ip_allowlist", "haproxy.router.openshift.io/ip_whitelist"};
	for (size_t i = 0; i < TM_ARRAY_LEN(allow) && !c->restrict_how; i++)
		if ((v = ann_str(&a, allow[i], &at)) != NULL)
			allow_list(&a, v, allow[i], at, c);
	if ((v = ann_str(&a, "haproxy.router.openshift.io/rate-limit-connections", &at)) != NULL && tm_strcaseeq(v, "true"))
		c->rate_how = how(&a, "rate limit", "haproxy.router.openshift.io/rate-limit-connections", at);
}

/* Ingress controllers: the workloads that serve Ingress classes, found by their arguments
 * (--ingress-class, --controller-class, --watch-ingress-without-class, Traefik's
 * --providers.kubernetesingress.ingressclass, HAProxy's --ingress.class, Kong's
 * CONTROLLER_INGRESS_CLASS) or, for what those leave unsaid, by their image's defaults. Indexed at
 * the first Ingress under "c\x1f<class>", "k\x1f<controller>" and "w" (Ingresses with no class). */
struct ictl {
	const struct tm_k8s_obj *w;
	tm_node *node;
	const char *how; /* how it was found: "its --ingress-class=nginx argument" */
	struct ictl *next;
};

static const struct {
	const char *image; /* the repository's tail, after a '/' or whole */
	const char *controller, *cls;
} ictl_families[] = {
	{"ingress-nginx/controller", "k8s.io/ingress-nginx", "nginx"},
	{"ingress-nginx/controller-chroot", "k8s.io/ingress-nginx", "nginx"},
	{"nginx-ingress-controller", "k8s.io/ingress-nginx", "nginx"},
	{"nginx/nginx-ingress", "nginx.org/ingress-controller", "nginx"},
	{"nginx-plus-ingress", "nginx.org/ingress-controller", "nginx"},
	{"traefik", "traefik.io/ingress-controller", "traefik"},
	{"haproxytech/kubernetes-ingress", "haproxy.org/ingress-controller/haproxy", "haproxy"},
	{"kong/kubernetes-ingress-controller", "ingress-controllers.konghq.com/kong", "kong"},
};

/* The family whose image this is ("registry.k8s.io/ingress-nginx/controller:v1.9@sha256:..."), or -1. */
static int ictl_family(const char *image)
{
	size_t n = strcspn(image, "@");
	const char *colon = memchr(image, ':', n), *slash = NULL;
	for (const char *p = image; p < image + n; p++)
		if (*p == '/')
			slash = p;
	if (colon && (!slash || colon > slash)) /* a tag, not a registry's port */
		n = (size_t)(colon - image);
	for (size_t i = 0; i < TM_ARRAY_LEN(ictl_families); i++) {
		size_t l = strlen(ictl_families[i].image);
		if (n >= l && strncmp(image + n - l, ictl_families[i].image, l) == 0 && (n == l || image[n - l - 1] == '/'))
			return (int)i;
	}
	return -1;
}

/* The value of flag in word ("--ingress-class=nginx", "-ingress-class=nginx"), or in next when word
 * is the flag alone; NULL. */
static const char *flag_value(const char *word, const char *next, const char *flag)
{
	while (*word == '-')
		word++;
	size_t l = strlen(flag);
	if (strncmp(word, flag, l) != 0)
		return NULL;
	if (word[l] == '=')
		return word + l + 1;
	return !word[l] && next && *next != '-' ? next : NULL;
}

/* An image's tag as major.minor.patch ("v1.5.2", "1.9"): true with *ver = major * 10000 + minor
 * * 100 + patch. */
static bool tag_version(const char *image, int *ver)
{
	size_t tl;
	const char *t = tm_console_image_tag(image, &tl);
	if (!t)
		return false;
	const char *end = t + tl;
	t += t < end && *t == 'v';
	int part[3] = {0, 0, 0}, np = 0;
	while (np < 3 && t < end && *t >= '0' && *t <= '9') {
		int v = 0;
		while (t < end && *t >= '0' && *t <= '9' && v < 100000)
			v = v * 10 + (*t++ - '0');
		part[np++] = v;
		if (t >= end || *t != '.')
			break;
		t++;
	}
	if (np < 2 || part[1] > 99 || part[2] > 99)
		return false;
	*ver = part[0] * 10000 + part[1] * 100 + part[2];
	return true;
}

void tm_k8s__nginx_snippets(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, const tm_value *c,
			    const char *image, tm_node *n)
{
	int fam = ictl_family(image);
	if (fam < 0 || strcmp(ictl_families[fam].controller, "k8s.io/ingress-nginx") != 0)
		return;
	/* the ConfigMap its --configmap flag names ("$(POD_NAMESPACE)/ingress-nginx-controller") */
	const tm_value *cmv = NULL, *riskv = NULL, *flagv = NULL;
	const struct tm_k8s_obj *cm = NULL;
	static const char *const argv[] = {"command", "args"};
	for (size_t a = 0; a < TM_ARRAY_LEN(argv); a++) {
		const tm_value *av = tm_map_get(c, argv[a]);
		for (size_t j = 0; j < tm_value_len(av) && !flagv; j++) {
			const char *word = tm_scalar_str(tm_seq_at(av, j), NULL);
			const char *next = j + 1 < tm_value_len(av) ? tm_scalar_str(tm_seq_at(av, j + 1), NULL) : NULL;
			const char *v = word ? flag_value(word, next, "configmap") : NULL;
			if (!v)
				continue;
			flagv = tm_seq_at(av, j);
			const char *sl = strchr(v, '/');
			const char *ns = o->ns ? o->ns : "default";
			char *cns = sl ? tm_arena_strndup(k->arena, v, (size_t)(sl - v)) : NULL;
			if (cns && strcmp(cns, "$(POD_NAMESPACE)") != 0)
				ns = cns;
			cm = tm_k8s__named(ctx, k, "ConfigMap", ns, sl ? sl + 1 : v);
			const tm_value *data = cm ? tm_map_get(cm->v, "data") : NULL;
			cmv = tm_map_get(data, "allow-snippet-annotations");
			riskv = tm_map_get(data, "annotations-risk-level");
		}
	}
	const char *allow = tm_scalar_str(cmv, NULL), *risk = tm_scalar_str(riskv, NULL);
	int ver = 0;
	bool known = tag_version(image, &ver);
	bool on = allow ? tm_strcaseeq(allow, "true") : known && ver < 10900;
	if (!on)
		return;
	/* from v1.12.0 a snippet is a Critical-risk annotation: admitted only at that level */
	if (known && ver >= 11200 && !(risk && tm_strcaseeq(risk, "Critical")))
		return;
	const char *why = allow ? tm_arena_printf(k->arena, "allow-snippet-annotations: \"%s\" in its ConfigMap%s", allow,
						  known && ver >= 11200 ? ", annotations-risk-level: Critical" : "")
				: tm_arena_printf(k->arena, "the default of %s, before v1.9.0: snippet annotations on", image);
	tm_mb_node_fact(ctx->mb, n, "snippet_annotations", why,
			cmv ? tm_ingest__loc(cm->f, cmv) : tm_ingest__loc(o->f, tm_map_get(c, "image")));
}

static void ictl_put(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *key, const struct tm_k8s_obj *w,
		     tm_node *node, const char *how)
{
	struct ictl *c = tm_arena_alloc(k->arena, sizeof(*c));
	char *kept = key ? tm_arena_strdup(k->arena, key) : NULL;
	if (!c || !kept) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	c->w = w;
	c->node = node;
	c->how = how;
	c->next = tm_hmap_get(&k->ingress_ctls, kept, strlen(kept));
	if (tm_hmap_put(&k->ingress_ctls, kept, strlen(kept), c))
		tm_arena_set_failed(ctx->scratch);
}

/* One workload: is it an ingress controller, and of which classes? */
static void ictl_index(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *w)
{
	const tm_value *containers = tm_map_get(tm_map_get(tm_k8s__pod_template(w), "spec"), "containers");
	const char *cls = NULL, *ctl = NULL, *dcls = NULL, *dctl = NULL, *dimage = NULL;
	bool classless = false;
	for (size_t i = 0; i < tm_value_len(containers); i++) {
		const tm_value *c = tm_seq_at(containers, i);
		const char *image = tm_map_get_str(c, "image");
		int fam = image ? ictl_family(image) : -1;
		if (fam >= 0 && !dcls) {
			dimage = image;
			dcls = ictl_families[fam].cls;
			dctl = ictl_families[fam].controller;
		}
		static const char *const argv[] = {"command", "args"};
		for (size_t a = 0; a < TM_ARRAY_LEN(argv); a++) {
			const tm_value *av = tm_map_get(c, argv[a]);
			for (size_t j = 0; j < tm_value_len(av); j++) {
				const char *word = tm_scalar_str(tm_seq_at(av, j), NULL);
				const char *next = j + 1 < tm_value_len(av) ? tm_scalar_str(tm_seq_at(av, j + 1), NULL) : NULL;
				const char *v;
				if (!word)
					continue;
				if ((v = flag_value(word, next, "ingress-class")) != NULL ||
				    (v = flag_value(word, next, "ingress.class")) != NULL ||
				    (v = flag_value(word, next, "providers.kubernetesingress.ingressclass")) != NULL)
					cls = cls ? cls : v;
				else if ((v = flag_value(word, next, "controller-class")) != NULL)
					ctl = ctl ? ctl : v;
				else if ((v = flag_value(word, next, "watch-ingress-without-class")) != NULL)
					classless = tm_strcaseeq(v, "true");
			}
		}
		const tm_value *env = tm_map_get(c, "env");
		for (size_t j = 0; j < tm_value_len(env) && !cls; j++) {
			const char *name = tm_map_get_str(tm_seq_at(env, j), "name");
			if (name && strcmp(name, "CONTROLLER_INGRESS_CLASS") == 0)
				cls = tm_map_get_str(tm_seq_at(env, j), "value");
		}
	}
	/* Contour's data plane: Envoy pods beside Contour's own image (its bootstrap init container, its
	 * shutdown manager), or Envoy in Contour's namespace; they serve HTTPProxies and class contour */
	bool contour_envoy = false;
	if (!cls && !ctl && !dcls) {
		const char *envoy = NULL, *contour = NULL;
		const tm_value *pspec = tm_map_get(tm_k8s__pod_template(w), "spec");
		static const char *const lists[] = {"containers", "initContainers"};
		for (size_t l = 0; l < TM_ARRAY_LEN(lists); l++)
			for (size_t i = 0; i < tm_value_len(tm_map_get(pspec, lists[l])); i++) {
				const char *image = tm_map_get_str(tm_seq_at(tm_map_get(pspec, lists[l]), i), "image");
				if (image && strstr(image, "envoyproxy/envoy") && l == 0)
					envoy = envoy ? envoy : image;
				else if (image && strstr(image, "projectcontour/contour"))
					contour = contour ? contour : image;
			}
		contour_envoy = envoy && (contour || strcmp(w->ns, "projectcontour") == 0);
		if (!contour_envoy)
			return;
		dimage = envoy;
		dcls = "contour";
		dctl = TM_K8S_CONTOUR_ENVOY;
	}
	char *id = tm_k8s__workload_id(k, w);
	tm_node *node = tm_mb_find(ctx->mb, id);
	if (!node)
		return;
	const char *c = cls ? cls : dcls, *kc = ctl ? ctl : dctl;
	if (c)
		ictl_put(ctx, k, tm_arena_printf(k->arena, "c\x1f%s", c), w, node,
			 cls ? tm_arena_printf(k->arena, "its ingress class argument (%s)", cls)
			     : tm_arena_printf(k->arena, "its image %s, whose default class is %s", dimage, dcls));
	if (kc)
		ictl_put(ctx, k, tm_arena_printf(k->arena, "k\x1f%s", kc), w, node,
			 ctl	       ? tm_arena_printf(k->arena, "its --controller-class=%s argument", ctl)
			 : contour_envoy ? tm_arena_printf(k->arena, "its image %s, Contour's Envoy", dimage)
					 : tm_arena_printf(k->arena, "its image %s", dimage));
	if (classless)
		ictl_put(ctx, k, "w", w, node, "its --watch-ingress-without-class=true argument");
}

/* Where a controller's pods are reached from: 2 the internet (a public load balancer, a NodePort,
 * a host port or the host's network), 1 the private network (every Service exposing it internal,
 * its annotation in *why), 0 nothing in the scan. */
static int ictl_exposure(tm_ingest_ctx *ctx, const struct ictl *c, const char **why)
{
	const char *id = tm_node_id(c->node);
	const char *lb = tm_hmap_get(&ctx->balanced, id, strlen(id));
	if (lb == tm_ingest__public_lb)
		return 2;
	const tm_value *pspec = tm_map_get(tm_k8s__pod_template(c->w), "spec");
	bool hostnet = false;
	if (!tm_scalar_bool(tm_map_get(pspec, "hostNetwork"), &hostnet) && hostnet)
		return 2;
	const tm_value *containers = tm_map_get(pspec, "containers");
	for (size_t i = 0; i < tm_value_len(containers); i++) {
		const tm_value *ports = tm_map_get(tm_seq_at(containers, i), "ports");
		for (size_t p = 0; p < tm_value_len(ports); p++)
			if (tm_map_get(tm_seq_at(ports, p), "hostPort"))
				return 2;
	}
	if (lb) {
		*why = lb;
		return 1;
	}
	return 0;
}

static const struct ictl *ictl_chain(struct tm_k8s *k, const char *kind, const char *name)
{
	char *key = name ? tm_arena_printf(k->arena, "%s\x1f%s", kind, name) : NULL;
	return key ? tm_hmap_get(&k->ingress_ctls, key, strlen(key)) : NULL;
}

#define ICTL_MAX 16 /* controllers one Ingress is hosted on, at most */

tm_node *tm_k8s__ingress_controllers(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, tm_node *gw,
				     const char *cls, const char *ctl, const char **why)
{
	bool own_kind = ctl != NULL; /* a controller's own route object: its controller, not a class's */
	*why = NULL;
	if (!k->ingress_ctls_indexed) {
		k->ingress_ctls_indexed = true;
		for (size_t i = 0; i < k->n; i++) {
			const struct tm_k8s_obj *w = &k->objs[i];
			if (tm_k8s__pod_template(w))
				ictl_index(ctx, k, w);
			if (!tm_k8s__is(w, "IngressClass"))
				continue;
			/* an IngressClass: by its name, and the cluster's default under "d" (the first) */
			const char *dflt = tm_map_get_str(tm_map_get(tm_map_get(w->v, "metadata"), "annotations"),
							  "ingressclass.kubernetes.io/is-default-class");
			char *key = tm_arena_printf(k->arena, "i\x1f%s", w->name);
			if (key && !tm_hmap_get(&k->ingress_classes, key, strlen(key)) &&
			    tm_hmap_put(&k->ingress_classes, key, strlen(key), (void *)w))
				tm_arena_set_failed(ctx->scratch);
			if (dflt && tm_strcaseeq(dflt, "true") && !tm_hmap_get(&k->ingress_classes, "d", 1) &&
			    tm_hmap_put(&k->ingress_classes, "d", 1, (void *)w))
				tm_arena_set_failed(ctx->scratch);
		}
	}
	if (!k->ingress_ctls.count)
		return NULL;
	/* the class's IngressClass names its controller; an Ingress without a class takes the default one */
	char *ickey = cls ? tm_arena_printf(k->arena, "i\x1f%s", cls) : NULL;
	const struct tm_k8s_obj *ic = own_kind ? NULL
			 : ickey	  ? tm_hmap_get(&k->ingress_classes, ickey, strlen(ickey))
			 : cls		  ? NULL
					  : tm_hmap_get(&k->ingress_classes, "d", 1);
	if (!cls && ic)
		cls = ic->name;
	if (ic)
		ctl = tm_map_get_str(tm_map_get(ic->v, "spec"), "controller");
	const struct ictl *chains[3] = {ictl_chain(k, "c", cls), ictl_chain(k, "k", ctl),
					cls || own_kind ? NULL : tm_hmap_get(&k->ingress_ctls, "w", 1)};
	const struct ictl *hosts[ICTL_MAX];
	size_t n = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(chains); i++)
		for (const struct ictl *c = chains[i]; c && n < ICTL_MAX; c = c->next) {
			bool seen = false;
			for (size_t j = 0; j < n && !seen; j++)
				seen = hosts[j]->node == c->node;
			if (!seen)
				hosts[n++] = c;
		}
	if (!n)
		return NULL;
	int best = 0;
	const char *internal = NULL;
	tm_loc at = tm_ingest__loc(o->f, o->v);
	for (size_t i = 0; i < n; i++) {
		const char *w = NULL;
		int e = ictl_exposure(ctx, hosts[i], &w);
		if (e == 1 && !internal)
			internal = w;
		best = e > best ? e : best;
		tm_mb_node_list_add(ctx->mb, gw, "hosted_by", tm_node_id(hosts[i]->node));
		tm_edge *e2 = tm_mb_edge(ctx->mb, hosts[i]->node, gw, TM_EDGE_ROUTES, at);
		if (e2)
			tm_mb_edge_str(ctx->mb, e2, "via", own_kind ? "runs its controller" : "runs the ingress controller of its class");
	}
	const char *what = own_kind ? tm_arena_printf(k->arena, "%s objects", o->kind)
			   : cls    ? tm_arena_printf(k->arena, "ingress class %s%s%s%s", cls, ctl ? " (IngressClass: " : "",
						      ctl ? ctl : "", ctl ? ")" : "")
				    : "Ingresses without a class";
	tm_mb_node_str(ctx->mb, gw, "hosted_how",
		       tm_arena_printf(k->arena, "the controller of %s: %s", what, hosts[0]->how));
	if (best == 1) {
		*why = tm_arena_printf(k->arena, "its controller's Services are internal (%s)", internal);
		return tm_ingest__private_network(ctx);
	}
	if (!best)
		tm_mb_node_assume(ctx->mb, gw,
			       tm_arena_printf(k->arena,
					       "reachable from the internet: its controller %s is exposed by no "
					       "LoadBalancer, NodePort or host port in the inputs; a load balancer made "
					       "outside them usually fronts it",
					       tm_node_name(hosts[0]->node)));
	return tm_ingest__internet(ctx);
}
