/*
 * tf_aws_api.c - AWS's serverless front doors in Terraform: Lambda functions as workloads, and what
 * reaches them from the internet.
 *
 *   aws_lambda_function      -> workload "service:lambda:aws/<function_name>" (cloud boundary): runs-as
 *                               its role, the literal credentials of its environment.variables
 *   aws_lambda_function_url  -> a route from the internet to the function, and its endpoint "ANY /"
 *                               (authorization_type NONE: anyone may call it; AWS_IAM: signed requests)
 *   aws_apigatewayv2_api (+ _integration, _route, _authorizer), aws_api_gateway_rest_api (+ _resource,
 *   _method, _integration) -> gateway "gateway:aws-apigateway:<name>" routed from the internet (a REST
 *                               API whose endpoint type is PRIVATE is reached from inside its VPC only:
 *                               no internet route), routes to the function each integration invokes,
 *                               and per route (method) an endpoint of that function with the
 *                               authorization the gateway applies (NONE, the provider's default, is
 *                               anonymous)
 *
 * References are followed as configuration writes them (an evaluated reference keeps its expression,
 * "unknown (aws_lambda_function.x.invoke_arn)": the resource's address is in it) and as plans and
 * states hold them (an invoke ARN names its function; an integration, an API and a resource by id).
 * Addresses are compared without their module prefix. Linear: every resource is indexed once
 * (by address, id and name), each reference is one lookup, a REST resource's path is built once
 * (memoised, at most PATH_DEPTH parents).
 */
#include <stdio.h>
#include <stdlib.h>

#include "k8s.h"
#include "terraform.h"

#define PATH_DEPTH 64

typedef struct rec {
	const char *type, *addr, *id, *name;
	const char *prefix; /* its module path ("module.a." ; "" at the root): where its references resolve */
	const tm_value *vals, *unresolved;
	tm_loc loc;
	tm_node *node;      /* a function's workload, an API's gateway */
	const char *path;   /* a REST resource's full path, once built */
	bool building;      /* on the way to its path (a cycle of parents stops there) */
	bool private_api;   /* a REST API of endpoint type PRIVATE */
} rec;

struct tm_tf_aws {
	tm_ingest_ctx *ctx;
	tm_arena *a;
	const tm_file *f;
	rec *recs;
	size_t n, cap;
	tm_hmap keys;       /* "type\x1f{a|i|n}\x1fkey" -> rec */
	tm_pset routed;     /* gateway -> function routes edges seen (the weakest check stands) */
	size_t unlinked;    /* routes and methods whose function is not known */
	tm_loc first_unlinked;
};

static const char *const TYPES[] = {
	"aws_lambda_function",          "aws_lambda_function_url",     "aws_apigatewayv2_api",
	"aws_apigatewayv2_integration", "aws_apigatewayv2_route",      "aws_apigatewayv2_authorizer",
	"aws_api_gateway_rest_api",     "aws_api_gateway_resource",    "aws_api_gateway_method",
	"aws_api_gateway_integration",
};

bool tm_tf__aws_api_type(const char *type)
{
	for (size_t i = 0; type && i < TM_ARRAY_LEN(TYPES); i++)
		if (strcmp(TYPES[i], type) == 0)
			return true;
	return false;
}

tm_tf_aws *tm_tf__aws_new(tm_ingest_ctx *ctx, tm_arena *a, const tm_file *f)
{
	tm_tf_aws *x = tm_calloc(1, sizeof(*x));
	if (x) {
		x->ctx = ctx;
		x->a = a;
		x->f = f;
	}
	return x;
}

void tm_tf__aws_free(tm_tf_aws *x)
{
	if (!x)
		return;
	tm_free(x->recs);
	tm_hmap_dispose(&x->keys);
	tm_pset_dispose(&x->routed);
	tm_free(x);
}

/* A value's text, or NULL (a value evaluation could not decide counts as none, except for references). */
static const char *str(const tm_value *vals, const char *key)
{
	const tm_value *v = tm_map_get(vals, key);
	return tm_tf__is_unknown(v) ? NULL : tm_scalar_str(v, NULL);
}

/* The first object of a nested block (a list of one object in a plan's shape), or the value itself. */
static const tm_value *block(const tm_value *vals, const char *key)
{
	const tm_value *b = tm_map_get(vals, key);
	return tm_value_kind_of(b) == TM_VALUE_SEQ ? tm_seq_at(b, 0) : b;
}

static void index_key(tm_tf_aws *x, rec *r, char how, const char *key)
{
	tm_tf__index_put(&x->keys, x->a, r->type, how, key, r);
}

static rec *lookup(const tm_tf_aws *x, const char *type, char how, const char *key, size_t klen)
{
	return tm_tf__index_get(&x->keys, type, how, key, klen);
}

void tm_tf__aws_add(tm_tf_aws *x, const char *type, const char *addr, const tm_value *vals, const tm_value *unresolved,
		    tm_loc loc)
{
	if (!x || TM_GROW(x->recs, x->cap, x->n + 1)) {
		if (x)
			tm_arena_set_failed(x->a);
		return;
	}
	const char *prefix = tm_tf__module_prefix(x->a, addr);
	x->recs[x->n++] = (rec){type, addr, str(vals, "id"), NULL, prefix ? prefix : "", vals, unresolved, loc, NULL, NULL, false, false};
}

/* The resource of type a value of from names: by the address in an evaluated reference
 * ("...TYPE.NAME...", within from's module), else by id, else by name. */
static rec *named(const tm_tf_aws *x, const rec *from, const char *type, const char *s)
{
	if (!s)
		return NULL;
	const char *cur = s, *full, *local;
	size_t flen, llen;
	while (tm_tf__next_address(s, type, &cur, &full, &flen, &local, &llen)) {
		/* written with its module path, or local to from's module */
		rec *r = full < local ? lookup(x, type, 'a', full, flen) : NULL;
		char buf[600];
		int n = !r ? tm_formatf(buf, sizeof(buf), "%s%.*s", from && from->prefix ? from->prefix : "", (int)llen, local)
			   : 0;
		if (!r && n > 0 && (size_t)n < sizeof(buf))
			r = lookup(x, type, 'a', buf, (size_t)n);
		if (r)
			return r;
	}
	rec *r = lookup(x, type, 'i', s, strlen(s));
	return r ? r : lookup(x, type, 'n', s, strlen(s));
}

/* The function an integration's URI or a function URL's function_name names: a reference, an ARN
 * (an invoke ARN ends ":function:NAME/invocations"; a qualifier ":NAME:alias" is cut), or a name. */
static rec *function_of(const tm_tf_aws *x, const rec *from, const char *s)
{
	rec *r = named(x, from, "aws_lambda_function", s);
	const char *fn = s ? strstr(s, ":function:") : NULL;
	if (r || !fn)
		return r;
	fn += 10;
	size_t n = strcspn(fn, ":/");
	return lookup(x, "aws_lambda_function", 'n', fn, n);
}

/* ---- Lambda functions --------------------------------------------------------------------------- */

static void function_node(tm_tf_aws *x, rec *r)
{
	tm_model_builder *mb = x->ctx->mb;
	const char *name = r->name;
	char *id = tm_arena_printf(x->a, "service:lambda:aws/%s", name);
	tm_mb_boundary(mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
	tm_node *n = id ? tm_mb_node(mb, TM_NODE_SERVICE, id, name, "cloud", r->loc) : NULL;
	if (!n)
		return;
	r->node = n;
	tm_mb_node_str(mb, n, "workload", "LambdaFunction");
	tm_mb_node_str(mb, n, "platform", "aws-lambda");
	const char *rt = str(r->vals, "runtime"), *image = str(r->vals, "image_uri");
	if (rt)
		tm_mb_node_str(mb, n, "runtime", rt);
	if (image)
		tm_mb_node_fact(mb, n, "images", image, tm_ingest__loc(x->f, tm_map_get(r->vals, "image_uri")));
	for (size_t k = 0; k < tm_value_len(r->unresolved); k++)
		tm_mb_node_list_add(mb, n, "unresolved", tm_scalar_str(tm_seq_at(r->unresolved, k), NULL));
	/* its execution role: a name (configuration: the role's name or address), or an ARN's last part */
	const tm_value *rv = tm_map_get(r->vals, "role");
	const char *role = tm_scalar_str(rv, NULL);
	const char *slash = role ? strrchr(role, '/') : NULL;
	if (role && strncmp(role, "arn:", 4) == 0 && slash)
		role = slash + 1;
	char *rid = role && !tm_tf__is_unknown(rv) ? tm_arena_printf(x->a, "identity:aws:%s", role) : NULL;
	tm_node *idn = rid ? tm_mb_find(mb, rid) : NULL;
	if (idn)
		tm_mb_edge(mb, n, idn, TM_EDGE_RUNS_AS, tm_ingest__loc(x->f, rv));
	else if (role)
		tm_mb_node_str(mb, n, "role", role);
	/* credentials written into its environment */
	const tm_value *vars = block(block(r->vals, "environment"), "variables"); /* an object literal reads as a block */
	for (size_t i = 0; i < tm_value_len(vars) && tm_value_kind_of(vars) == TM_VALUE_MAP; i++) {
		const char *key = tm_scalar_str(tm_map_key(vars, i), NULL);
		const tm_value *vv = tm_map_value(vars, i);
		if (!key || tm_tf__is_unknown(vv) || !tm_k8s__literal_credential(key, tm_scalar_str(vv, NULL)))
			continue;
		char *item = tm_arena_printf(x->a, "%s/%s", name, key);
		if (item)
			tm_mb_node_fact(mb, n, "literal_credentials", item, tm_ingest__loc(x->f, vv));
	}
}

/* ---- gateways ------------------------------------------------------------------------------------- */

static void gateway_node(tm_tf_aws *x, rec *r, const char *kind)
{
	tm_model_builder *mb = x->ctx->mb;
	char *id = tm_arena_printf(x->a, "gateway:aws-apigateway:%s", r->name);
	char *name = tm_arena_printf(x->a, "API Gateway %s", r->name);
	tm_mb_boundary(mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
	tm_node *g = id && name ? tm_mb_node(mb, TM_NODE_GATEWAY, id, name, "cloud", r->loc) : NULL;
	if (!g)
		return;
	r->node = g;
	tm_mb_node_str(mb, g, "gateway_type", "aws-apigateway");
	tm_mb_node_str(mb, g, "api_type", kind);
	tm_mb_node_str(mb, g, "config", r->loc.path ? r->loc.path : "");
	tm_mb_node_bool(mb, g, "tls", true); /* API Gateway serves HTTPS only */
	const tm_value *types = tm_map_get(block(r->vals, "endpoint_configuration"), "types");
	for (size_t i = 0; i < tm_value_len(types); i++) {
		const char *t = tm_scalar_str(tm_seq_at(types, i), NULL);
		if (t && strcmp(t, "PRIVATE") == 0)
			r->private_api = true;
	}
	if (tm_map_get(r->vals, "body"))
		tm_diag_add(x->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(x->f, tm_map_get(r->vals, "body")),
			    "API Gateway %s takes its routes from an OpenAPI body, which is not read here; a spec file "
			    "the scan holds is analysed as an API of its own",
			    r->name);
	if (r->private_api) {
		tm_mb_node_str(mb, g, "endpoint_type", "PRIVATE");
		return; /* reached through a VPC endpoint: from inside the network only */
	}
	tm_node *in = tm_ingest__internet(x->ctx);
	tm_edge *e = in ? tm_mb_edge(mb, in, g, TM_EDGE_ROUTES, r->loc) : NULL;
	if (e)
		tm_mb_edge_str(mb, e, "via", "aws-apigateway");
}

/* What a route's authorization (v2 authorization_type, REST authorization) checks, into c: from
 * (the route) names its authorizer; tv is the authorization's value (absent: NONE, the provider's
 * default), kv api_key_required's. A value the files do not decide (a variable without a default)
 * leaves the check unknown. */
static void authorization(tm_tf_aws *x, const rec *from, const tm_value *tv, const char *authorizer, const tm_value *kv,
			  tm_gw_checks *c)
{
	const char *how = NULL;
	const char *type = tm_tf__is_unknown(tv) ? NULL : tm_scalar_str(tv, NULL);
	bool api_key = false;
	tm_scalar_bool(kv, &api_key);
	tm_loc at = tv ? tm_ingest__loc(x->f, tv) : from->loc;
	if ((tv && !type) || ((!type || strcmp(type, "NONE") == 0) && tm_tf__is_unknown(kv))) {
		c->authn = TM_AUTHN_UNKNOWN;
		how = "API Gateway authorization the files do not decide (a value not known)";
	} else if (!type || strcmp(type, "NONE") == 0) {
		c->authn = api_key ? TM_AUTHN_API_KEY : TM_AUTHN_NONE;
		how = api_key ? "API Gateway API key (api_key_required)" : NULL;
	} else if (strcmp(type, "AWS_IAM") == 0) {
		c->authn = TM_AUTHN_AWS_IAM;
		how = "API Gateway AWS_IAM authorization (signed requests)";
	} else if (strcmp(type, "JWT") == 0 || strcmp(type, "COGNITO_USER_POOLS") == 0) {
		c->authn = TM_AUTHN_JWT;
		how = strcmp(type, "JWT") == 0 ? "API Gateway JWT authorizer" : "API Gateway Cognito user pool authorizer";
	} else { /* CUSTOM: a Lambda authorizer (REQUEST or TOKEN), or a JWT one by its own type */
		rec *az = named(x, from, "aws_apigatewayv2_authorizer", authorizer);
		const char *at_type = az ? str(az->vals, "authorizer_type") : NULL;
		c->authn = at_type && strcmp(at_type, "JWT") == 0 ? TM_AUTHN_JWT : TM_AUTHN_UNKNOWN;
		how = c->authn == TM_AUTHN_JWT ? "API Gateway JWT authorizer" : "API Gateway Lambda authorizer (what it checks is its code's)";
	}
	c->authn_how = how ? tm_gw_where(x->ctx, how, at) : NULL;
}

/* How little a check asks: none 0, one not known 1, any other 2. */
static int weakness(int authn)
{
	return authn == TM_AUTHN_NONE ? 0 : authn == TM_AUTHN_UNKNOWN || authn < 0 ? 1 : 2;
}

/* The authn kind an endpoint's "authn" attribute names, -1 when none. */
static int authn_of(const tm_node *ep)
{
	const char *name = tm_node_attr_str(ep, "authn");
	for (int k = 0; name && k < TM_AUTHN__COUNT; k++)
		if (strcmp(tm_authn_name((tm_authn)k), name) == 0)
			return k;
	return -1;
}

/* One route of a gateway to a function: the routes edge (the weakest check of the routes to it) and the
 * function's endpoint method path with the check the gateway applies. */
static void route(tm_tf_aws *x, rec *api, rec *fn, const char *method, const char *path, const char *shown,
		  const tm_gw_checks *c, tm_loc at)
{
	tm_model_builder *mb = x->ctx->mb;
	if (!api || !api->node || !fn || !fn->node) {
		if (!x->unlinked++)
			x->first_unlinked = at;
		return;
	}
	tm_edge *e = tm_mb_edge(mb, api->node, fn->node, TM_EDGE_ROUTES, at);
	int first = e ? tm_pset_add(&x->routed, e) : -1;
	if (first < 0) {
		tm_arena_set_failed(x->a);
		return;
	}
	tm_gw_checks cc = *c;
	tm_gw_edge_weakest(e, first, true, &cc);
	tm_gw_edge_checks(x->ctx, e, &cc);
	tm_mb_edge_str(mb, e, "via", "aws-apigateway");
	tm_mb_edge_list_add(mb, e, "paths", path);

	char *id = tm_arena_printf(x->a, "endpoint:%s/%s %s", tm_node_id(fn->node) + strlen("service:"), method, shown);
	char *name = tm_arena_printf(x->a, "%s %s", method, shown);
	/* two routes to one operation ($default and ANY /{proxy+}): the weakest check stands */
	const tm_node *had = id ? tm_mb_find(mb, id) : NULL;
	const char *had_x = had ? tm_node_attr_str(had, "exposure") : NULL;
	bool wider = had && !api->private_api && had_x && strcmp(had_x, "internet") != 0; /* a public way in too */
	if (had && (weakness(authn_of(had)) < weakness(c->authn) ||
		    (weakness(authn_of(had)) == weakness(c->authn) && !wider)))
		return;
	tm_node *ep = id && name ? tm_mb_node(mb, TM_NODE_ENDPOINT, id, name, tm_node_boundary(fn->node), at) : NULL;
	if (!ep)
		return;
	tm_mb_node_str(mb, ep, "method", method);
	tm_mb_node_str(mb, ep, "path", shown);
	tm_mb_node_str(mb, ep, "service", tm_node_id(fn->node));
	tm_mb_node_str(mb, ep, "linked_by", "an API Gateway integration invoking the function (terraform)");
	tm_mb_node_str(mb, ep, "exposure", api->private_api ? "cluster" : "internet");
	tm_mb_node_str(mb, ep, "gateway", tm_node_id(api->node));
	tm_mb_node_fact(mb, ep, "gateway_routes", path, at);
	bool anonymous = c->authn == TM_AUTHN_NONE;
	tm_mb_node_bool(mb, ep, "anonymous", anonymous);
	tm_mb_node_str(mb, ep, "authn", tm_authn_name(c->authn));
	tm_mb_node_str(mb, ep, "security_source", "gateway");
	if (c->authn_how)
		tm_mb_node_str(mb, ep, "authn_at", c->authn_how);
	tm_edge *x_e = tm_mb_edge(mb, fn->node, ep, TM_EDGE_EXPOSES, at);
	if (x_e) {
		x_e->authn = c->authn;
		x_e->authz = anonymous ? TM_AUTHZ_NONE : TM_AUTHZ_UNKNOWN;
		x_e->enforced_at = TM_ENFORCED_GATEWAY;
	}
}

/* "GET /quotes/{id}", "ANY /{proxy+}", "$default" (every request), "$connect" (a WebSocket's): the
 * method, the path the route matches by prefix (a greedy {proxy+} cut off), and the path its
 * operation is named by (as written; "/" then "*" for $default, every path). */
static void route_key(tm_tf_aws *x, const char *key, const char **method, const char **path, const char **shown)
{
	const char *sp = key ? strchr(key, ' ') : NULL;
	if (!sp) {
		*method = "ANY";
		*path = "/";
		*shown = "/*";
		return;
	}
	*method = tm_arena_strndup(x->a, key, (size_t)(sp - key));
	*path = sp + 1;
	*shown = *path;
	/* a greedy {proxy+} takes every path below: the prefix before it */
	const char *greedy = strstr(*path, "{proxy+}");
	if (!greedy)
		greedy = strstr(*path, "+}");
	if (greedy) {
		const char *brace = greedy;
		while (brace > *path && *brace != '{')
			brace--;
		*path = tm_arena_strndup(x->a, *path, (size_t)(brace - *path));
		if (*path && !**path)
			*path = "/";
	}
	if (!*method || !*path)
		*method = "ANY", *path = "/";
}

static void v2_route(tm_tf_aws *x, rec *r)
{
	rec *api = named(x, r, "aws_apigatewayv2_api", tm_scalar_str(tm_map_get(r->vals, "api_id"), NULL));
	const char *target = tm_scalar_str(tm_map_get(r->vals, "target"), NULL);
	rec *in = target ? named(x, r, "aws_apigatewayv2_integration", target) : NULL;
	if (!in && target && strncmp(target, "integrations/", 13) == 0)
		in = named(x, r, "aws_apigatewayv2_integration", target + 13);
	rec *fn = in ? function_of(x, in, tm_scalar_str(tm_map_get(in->vals, "integration_uri"), NULL)) : NULL;
	const char *method, *path, *shown;
	route_key(x, str(r->vals, "route_key"), &method, &path, &shown);
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	authorization(x, r, tm_map_get(r->vals, "authorization_type"), tm_scalar_str(tm_map_get(r->vals, "authorizer_id"), NULL),
		      tm_map_get(r->vals, "api_key_required"), &c);
	route(x, api, fn, method, path, shown, &c, r->loc);
}

/* A REST resource's full path: its parents' parts joined ("" for the API's root). */
static const char *rest_path(tm_tf_aws *x, rec *r, int depth)
{
	if (r->path)
		return r->path;
	if (r->building || depth > PATH_DEPTH)
		return NULL;
	r->building = true;
	const char *parent = tm_scalar_str(tm_map_get(r->vals, "parent_id"), NULL);
	rec *p = named(x, r, "aws_api_gateway_resource", parent);
	const char *above = p ? rest_path(x, p, depth + 1) : "";
	const char *part = str(r->vals, "path_part");
	r->building = false;
	if (!above || !part)
		return NULL;
	r->path = tm_arena_printf(x->a, "%s/%s", above, part);
	return r->path;
}

/* The path a REST method or integration's resource_id names: a resource's, or the API's root "/". */
static const char *rest_resource_path(tm_tf_aws *x, const rec *from)
{
	rec *res = named(x, from, "aws_api_gateway_resource", tm_scalar_str(tm_map_get(from->vals, "resource_id"), NULL));
	if (!res)
		return "/";
	const char *p = rest_path(x, res, 0);
	return p && *p ? p : NULL;
}

/* "<api>\x1f<path>\x1f<method>": a REST method's place, which its integration shares. */
static char *rest_key(tm_tf_aws *x, const rec *from)
{
	rec *api = named(x, from, "aws_api_gateway_rest_api", tm_scalar_str(tm_map_get(from->vals, "rest_api_id"), NULL));
	const char *path = rest_resource_path(x, from), *method = str(from->vals, "http_method");
	return api && path && method ? tm_arena_printf(x->a, "%s\x1f%s\x1f%s", api->addr ? api->addr : api->name, path, method)
				     : NULL;
}

static void rest_method(tm_tf_aws *x, rec *m, const tm_hmap *integrations)
{
	rec *api = named(x, m, "aws_api_gateway_rest_api", tm_scalar_str(tm_map_get(m->vals, "rest_api_id"), NULL));
	const char *path = rest_resource_path(x, m), *method = str(m->vals, "http_method");
	if (!path || !method)
		return;
	char *key = rest_key(x, m);
	const rec *in = key ? tm_hmap_get(integrations, key, strlen(key)) : NULL;
	rec *fn = in ? function_of(x, in, tm_scalar_str(tm_map_get(in->vals, "uri"), NULL)) : NULL;
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	authorization(x, m, tm_map_get(m->vals, "authorization"), NULL, tm_map_get(m->vals, "api_key_required"), &c);
	route(x, api, fn, method, path, path, &c, m->loc);
}

/* A function URL: the function answers the internet itself. */
static void function_url(tm_tf_aws *x, rec *r)
{
	rec *fn = function_of(x, r, tm_scalar_str(tm_map_get(r->vals, "function_name"), NULL));
	if (!fn || !fn->node) {
		const char *type = str(r->vals, "authorization_type");
		tm_diag_add(x->ctx->diags, 0, TM_LEVEL_NOTE, r->loc,
			    "function URL %s names a function the scan does not hold (%s)%s: what it exposes is not in the "
			    "model",
			    r->addr ? r->addr : "?", tm_scalar_str(tm_map_get(r->vals, "function_name"), NULL) ?
							  tm_scalar_str(tm_map_get(r->vals, "function_name"), NULL) : "no function_name",
			    type && strcmp(type, "NONE") == 0 ? "; with authorization_type NONE anyone on the internet may call it" : "");
		return;
	}
	tm_model_builder *mb = x->ctx->mb;
	const tm_value *at = tm_map_get(r->vals, "authorization_type");
	const char *type = str(r->vals, "authorization_type");
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	bool iam = type && strcmp(type, "AWS_IAM") == 0, unknown = tm_tf__is_unknown(at);
	c.authn = iam ? TM_AUTHN_AWS_IAM : unknown ? TM_AUTHN_UNKNOWN : TM_AUTHN_NONE;
	if (iam || unknown)
		c.authn_how = tm_gw_where(x->ctx, iam ? "function URL AWS_IAM authorization (signed requests)"
						      : "function URL authorization the files do not decide (a value not known)",
					  tm_ingest__loc(x->f, at));
	tm_node *in = tm_ingest__internet(x->ctx);
	tm_edge *e = in ? tm_mb_edge(mb, in, fn->node, TM_EDGE_ROUTES, r->loc) : NULL;
	if (!e)
		return;
	tm_gw_edge_checks(x->ctx, e, &c);
	tm_mb_edge_str(mb, e, "via", "lambda-function-url");
	char *id = tm_arena_printf(x->a, "endpoint:%s/ANY /", tm_node_id(fn->node) + strlen("service:"));
	tm_node *ep = id ? tm_mb_node(mb, TM_NODE_ENDPOINT, id, "ANY /", tm_node_boundary(fn->node), r->loc) : NULL;
	if (!ep)
		return;
	tm_mb_node_str(mb, ep, "method", "ANY");
	tm_mb_node_str(mb, ep, "path", "/");
	tm_mb_node_str(mb, ep, "service", tm_node_id(fn->node));
	tm_mb_node_str(mb, ep, "linked_by", "the function's URL (terraform aws_lambda_function_url)");
	tm_mb_node_str(mb, ep, "exposure", "internet");
	tm_mb_node_bool(mb, ep, "anonymous", c.authn == TM_AUTHN_NONE);
	tm_mb_node_str(mb, ep, "authn", tm_authn_name(c.authn));
	tm_mb_node_str(mb, ep, "security_source", "function URL");
	if (c.authn_how)
		tm_mb_node_str(mb, ep, "authn_at", c.authn_how);
	tm_edge *xe = tm_mb_edge(mb, fn->node, ep, TM_EDGE_EXPOSES, r->loc);
	if (xe) {
		xe->authn = c.authn;
		xe->authz = iam ? TM_AUTHZ_POLICY : unknown ? TM_AUTHZ_UNKNOWN : TM_AUTHZ_NONE;
		xe->enforced_at = TM_ENFORCED_GATEWAY;
	}
}

void tm_tf__aws_finish(tm_tf_aws *x)
{
	if (!x || !x->n || !x->ctx->mb)
		return;
	/* every resource by address, id and name first: references may point forward */
	static const struct {
		const char *type, *name;
	} names[] = {{"aws_lambda_function", "function_name"}, {"aws_apigatewayv2_api", "name"},
		     {"aws_api_gateway_rest_api", "name"}};
	for (size_t i = 0; i < x->n; i++) {
		rec *r = &x->recs[i];
		for (size_t k = 0; k < TM_ARRAY_LEN(names); k++)
			if (strcmp(r->type, names[k].type) == 0)
				r->name = str(r->vals, names[k].name);
		if (!r->name)
			r->name = r->addr ? r->addr : r->type;
		index_key(x, r, 'a', r->addr);
		index_key(x, r, 'i', r->id);
		index_key(x, r, 'n', r->name);
	}
	tm_hmap ints = TM_HMAP_INIT; /* REST integrations by their method's place */
	for (size_t i = 0; i < x->n; i++) {
		rec *r = &x->recs[i];
		if (strcmp(r->type, "aws_lambda_function") == 0)
			function_node(x, r);
		else if (strcmp(r->type, "aws_apigatewayv2_api") == 0) {
			const char *proto = str(r->vals, "protocol_type");
			gateway_node(x, r, proto && strcmp(proto, "WEBSOCKET") == 0 ? "websocket" : "http");
		} else if (strcmp(r->type, "aws_api_gateway_rest_api") == 0)
			gateway_node(x, r, "rest");
	}
	for (size_t i = 0; i < x->n; i++) {
		rec *r = &x->recs[i];
		char *key = strcmp(r->type, "aws_api_gateway_integration") == 0 ? rest_key(x, r) : NULL;
		if (key && !tm_hmap_get(&ints, key, strlen(key)) && tm_hmap_put(&ints, key, strlen(key), r))
			tm_arena_set_failed(x->a);
	}
	for (size_t i = 0; i < x->n; i++) {
		rec *r = &x->recs[i];
		if (strcmp(r->type, "aws_apigatewayv2_route") == 0)
			v2_route(x, r);
		else if (strcmp(r->type, "aws_api_gateway_method") == 0)
			rest_method(x, r, &ints);
		else if (strcmp(r->type, "aws_lambda_function_url") == 0)
			function_url(x, r);
		else if (strcmp(r->type, "aws_apigatewayv2_api") == 0 && tm_map_get(r->vals, "target")) {
			/* quick create: the API's own target is a $default route (or route_key's) with no
			 * authorization */
			const char *method, *path, *shown;
			route_key(x, str(r->vals, "route_key"), &method, &path, &shown);
			tm_gw_checks c = TM_GW_CHECKS_NONE;
			route(x, r, function_of(x, r, tm_scalar_str(tm_map_get(r->vals, "target"), NULL)), method, path, shown,
			      &c, tm_ingest__loc(x->f, tm_map_get(r->vals, "target")));
		}
	}
	tm_hmap_dispose(&ints);
	if (x->unlinked)
		tm_diag_add(x->ctx->diags, 0, TM_LEVEL_NOTE, x->first_unlinked,
			    "%zu API Gateway route%s or method%s lead%s to no Lambda function of the scan (an HTTP "
			    "integration, or a function defined elsewhere): what %s reach%s is not in the model",
			    x->unlinked, x->unlinked == 1 ? "" : "s", x->unlinked == 1 ? "" : "s", x->unlinked == 1 ? "s" : "",
			    x->unlinked == 1 ? "it" : "they", x->unlinked == 1 ? "es" : "");
}
