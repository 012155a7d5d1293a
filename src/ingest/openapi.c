/*
 * openapi.c - OpenAPI 3.0/3.1 and Swagger 2.0: endpoints, effective security, and the
 * parameter and schema facts the rules need.
 *
 * Specs are collected as they arrive and turned into facts in finish(), after
 * the Kubernetes ingester has built the workloads a spec may belong to.
 *
 * Each spec is linked to its workload by apilink.c, and the reason is recorded
 * on every endpoint as "linked_by". An unlinked spec becomes a service of its own ("service:api/<title>", unlinked: true).
 * (The overlay's explicit mapping takes precedence once the overlay is ingested.)
 */
#include <ctype.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>

#include "ingest.h"


static const char *const methods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

struct spec {
	const tm_file *f;
	const tm_value *root;
	bool v2;
	bool any_requirement; /* a `security` somewhere: the document's or an operation's */
	size_t ops, secured;  /* its operations, and those stating a requirement of their own */
	tm_node *svc;        /* linked workload, decided before any spec adds evidence */
	const char *how;
	int by_place;        /* only the spec's place (TM_LINK_PLACE) or name (TM_LINK_NAME) linked it: a
			      * gateway routing its paths decides first */
	tm_node *cands[4];   /* unlinked: the workloads its title names (tm_ingest__link_titled), */
	size_t ncands;       /* when more than one: which of them serves it is not in the files */
	const char *named;   /* then "2 workloads (default/a, default/b)", as the note and the assumption say it */
	const tm_proto_file *proto; /* the .proto of the scan it was generated from, or NULL */
};

struct openapi {
	struct spec *specs;
	size_t n, cap;
	tm_arena *arena;
	tm_schema_walker schemas; /* shared by all operations of all specs */
	tm_pset routed;           /* nodes an entry point routes to, directly or through a gateway */
	tm_hmap titled;           /* unlinked APIs by the id their title gives: the first spec's struct twin */
	tm_hmap twins;            /* unlinked APIs by that id and their content's hash: struct twin */
};

/* An unlinked API's own service and the spec that made it, for the specs after it with its title:
 * the same document written again (swagger.json beside swagger.yaml, as generators write both) is
 * the same API, not a second one. */
struct twin {
	const struct spec *sp;
	tm_node *svc;
	uint64_t hash;
	bool hashed;
	bool outside; /* a $ref to another file: two copies may differ where they point */
};

/* Per-operation working state. */
typedef struct {
	tm_ingest_ctx *ctx;
	tm_refs *refs;
	tm_model_builder *mb;
	tm_arena *arena;
	const struct spec *spec;
	tm_node *ep;
	bool fresh; /* ep made by this operation, not one an earlier spec made (a twin, a second spec) */
	struct openapi *state;
} op_ctx;

static void *oa_begin(tm_ingest_ctx *ctx)
{
	struct openapi *s = tm_calloc(1, sizeof(*s));
	if (s)
		s->arena = ctx->scratch; /* shared: scan.c checks it for failed allocations */
	if (s)
		tm_schema_walker_init(&s->schemas, ctx->refs, s->arena);
	return s;
}

static void oa_end(void *state)
{
	struct openapi *s = state;
	if (!s)
		return;
	tm_free(s->specs);
	tm_schema_walker_dispose(&s->schemas);
	tm_pset_dispose(&s->routed);
	tm_hmap_dispose(&s->titled);
	tm_hmap_dispose(&s->twins);
	tm_free(s);
}

static bool oa_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
		   const char *detail)
{
	(void)ctx;
	struct openapi *s = state;
	if (!s || TM_GROW(s->specs, s->cap, s->n + 1))
		return false;
	struct spec *sp = &s->specs[s->n++];
	sp->f = f;
	sp->root = root;
	sp->v2 = detail && detail[0] == '2';
	sp->svc = NULL;
	sp->how = NULL;
	sp->by_place = TM_LINK_FIRM;
	sp->proto = NULL;
	/* does the document require security anywhere? (path items may be $refs: those are not
	 * followed here; an operation behind one counts as not requiring it, which errs on "applied") */
	sp->any_requirement = tm_map_get(root, "security") != NULL;
	sp->ops = sp->secured = 0;
	const tm_value *paths = tm_map_get(root, "paths");
	for (size_t i = 0; i < tm_value_len(paths); i++) {
		const tm_value *item = tm_map_value(paths, i);
		if (tm_map_get(item, "$ref"))
			sp->any_requirement = true;
		for (size_t m = 0; m < TM_ARRAY_LEN(methods); m++) {
			const tm_value *op = tm_map_get(item, methods[m]);
			const tm_value *req = tm_map_get(op, "security");
			sp->ops += op != NULL;
			sp->secured += req && tm_value_len(req) > 0;
			sp->any_requirement = sp->any_requirement || req;
		}
	}
	return true;
}

/* ---- small helpers ----------------------------------------------------- */

static const tm_value *deref(op_ctx *o, const tm_file **f, const tm_value *v)
{
	return v ? tm_refs_deref(o->refs, f, v) : NULL;
}

static bool truthy(const tm_value *v)
{
	bool b;
	return v && !tm_scalar_bool(v, &b) && b;
}

static void list_add(op_ctx *o, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
static void list_add(op_ctx *o, const char *key, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	tm_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tm_mb_node_list_add(o->mb, o->ep, key, buf);
}


/* ---- schemas ----------------------------------------------------------- */

/* Record what a schema holds on the current endpoint. */
static void walk_schema(op_ctx *o, const tm_file *f, const tm_value *schema, int mode)
{
	/* a request that is itself an array (a bulk create) writes each of its items */
	const tm_file *af = f;
	const tm_value *a = mode == TM_WALK_REQUEST && schema ? deref(o, &af, schema) : NULL;
	const char *type = tm_schema_type(a);
	if (type && strcmp(type, "array") == 0 && tm_map_get(a, "items"))
		f = af, schema = tm_map_get(a, "items");
	const tm_facts *fs = tm_schema_facts(&o->state->schemas, f, schema, mode);
	for (size_t i = 0; i < fs->n; i++)
		tm_mb_node_list_add(o->mb, o->ep, fs->items[i].key, fs->items[i].text);
}

/* A request example's top-level fields whose value is an absolute http(s) URL: a URL the server
 * is given (crAPI's contact_mechanic takes mechanic_api so, its schema a bare string), as an
 * example on the property itself would say. */
static void example_urls(op_ctx *o, const tm_file *f, const tm_value *ex)
{
	const tm_value *v = ex ? deref(o, &f, ex) : NULL;
	if (tm_value_kind_of(v) != TM_VALUE_MAP)
		return;
	const tm_attr *have = tm_node_attr_get(o->ep, "url_inputs");
	for (size_t i = 0; i < tm_value_len(v); i++) {
		const char *name = tm_scalar_str(tm_map_key(v, i), NULL);
		const tm_value *fv = tm_map_value(v, i);
		if (!name || tm_value_kind_of(fv) != TM_VALUE_SCALAR ||
		    !(tm_classify_example(tm_scalar_str(fv, NULL)) & TM_CLASS_URL))
			continue;
		char item[256];
		tm_formatf(item, sizeof(item), "body:%s", name);
		bool seen = false;
		for (size_t k = 0; have && have->type == TM_ATTR_LIST && have->list[k] && !seen; k++)
			seen = strcmp(have->list[k], item) == 0;
		if (!seen)
			list_add(o, "url_inputs", "%s", item);
	}
}

/* Schemas of a 3.x content map ({media type: {schema}}), and a request's examples. */
static void walk_content(op_ctx *o, const tm_file *f, const tm_value *content, int mode)
{
	for (size_t i = 0; i < tm_value_len(content); i++) {
		const tm_value *media = tm_map_value(content, i);
		walk_schema(o, f, tm_map_get(media, "schema"), mode);
		if (mode != TM_WALK_REQUEST)
			continue;
		example_urls(o, f, tm_map_get(media, "example"));
		const tm_value *exs = tm_map_get(media, "examples");
		for (size_t k = 0; k < tm_value_len(exs) && tm_value_kind_of(exs) == TM_VALUE_MAP && k < 16; k++) {
			const tm_file *ef = f;
			const tm_value *e = deref(o, &ef, tm_map_value(exs, k));
			example_urls(o, ef, tm_map_get(e, "value"));
		}
	}
}

/* ---- parameters -------------------------------------------------------- */

static void parameter_facts(op_ctx *o, const tm_value *p, const char *name, const char *in, const tm_value *schema);

static void parameter(op_ctx *o, const tm_file *f, const tm_value *pv)
{
	const tm_value *p = deref(o, &f, pv);
	const char *name = tm_map_get_str(p, "name");
	const char *in = tm_map_get_str(p, "in");
	if (!name || !in)
		return;
	if (strcmp(in, "body") == 0) { /* Swagger 2.0 */
		walk_schema(o, f, tm_map_get(p, "schema"), TM_WALK_REQUEST);
		return;
	}
	const tm_file *sf = f;
	const tm_value *schema = o->spec->v2 ? p : deref(o, &sf, tm_map_get(p, "schema"));
	/* an object in the query string (springdoc's `pageable`, a filter DTO) is sent, by default
	 * (style form, explode), as one parameter per property: each is judged as one */
	const tm_value *props = strcmp(in, "query") == 0 ? tm_map_get(schema, "properties") : NULL;
	const tm_value *explode = tm_map_get(p, "explode");
	bool exploded = true;
	if (props && (!explode || tm_scalar_bool(explode, &exploded) || exploded)) {
		for (size_t i = 0; i < tm_value_len(props); i++) {
			const char *pn = tm_scalar_str(tm_map_key(props, i), NULL);
			const tm_file *pf = sf;
			const tm_value *ps = deref(o, &pf, tm_map_value(props, i));
			if (pn && ps)
				parameter_facts(o, ps, pn, in, ps);
		}
		return;
	}
	parameter_facts(o, p, name, in, schema);
}

/* A token that pages through results (pageToken, nextPageToken, continuationToken, syncToken): a
 * cursor, not a credential. low: the name lowercased without '_' and '-'. */
static bool page_token(const char *low)
{
	static const char *const tails[] = {"pagetoken", "continuationtoken", "synctoken", "cursortoken", "resumetoken",
					    "nexttoken", "paginationtoken"};
	size_t n = strlen(low);
	for (size_t i = 0; i < TM_ARRAY_LEN(tails); i++) {
		size_t tl = strlen(tails[i]);
		if (n >= tl && strcmp(low + n - tl, tails[i]) == 0)
			return true;
	}
	return false;
}

/*
 * Does a path parameter name an object (whose ownership matters) rather than a value the operation
 * sets or selects by? An object: a name that reads as a reference (…id, uuid, uid, key, slug, name,
 * code, number), a parameter after another or at the start of the path (/{owner}/{repo}), or one
 * after a collection segment (/pets/{pet}, /orders/{order}: one lowercase word, plural or the
 * parameter's own noun) or a lookup (/by-name/{kind}). A value: one after any other segment
 * (/maxRounds/{maxRounds}, /roundDuration/{newDuration}, /search/{query}). c: the name's classes.
 */
static bool path_object_ref(const char *opath, const char *name, unsigned c)
{
	/* ids by the classification's own reading (paid is no id), then these endings */
	static const char *const refs[] = {"uid", "key", "slug", "name", "code", "number", "ref", "handle"};
	char low[64], seg[64];
	size_t ln = 0;
	for (const char *q = name; *q && ln + 1 < sizeof(low); q++)
		if (*q != '_' && *q != '-' && *q != '.')
			low[ln++] = (char)tolower((unsigned char)*q);
	low[ln] = '\0';
	if (c & TM_CLASS_OBJECT_ID)
		return true;
	for (size_t i = 0; i < TM_ARRAY_LEN(refs); i++) {
		size_t rl = strlen(refs[i]);
		if (ln >= rl && strcmp(low + ln - rl, refs[i]) == 0)
			return true;
	}
	/* the segment before {name} */
	const char *at = NULL;
	size_t nl = strlen(name);
	for (const char *p = opath ? strchr(opath, '{') : NULL; p && !at; p = strchr(p + 1, '{'))
		if (strncmp(p + 1, name, nl) == 0 && (p[1 + nl] == '}' || p[1 + nl] == ':' || p[1 + nl] == '='))
			at = p;
	if (!at || at == opath || at[-1] != '/')
		return true;
	const char *end = at - 1, *start = end;
	while (start > opath && start[-1] != '/')
		start--;
	if (start == end || *start == '{' || end[-1] == '}')
		return true; /* after another parameter, or at the root */
	size_t sl = (size_t)(end - start);
	if (sl >= sizeof(seg))
		return true;
	bool one_word = true;
	for (size_t i = 0; i < sl; i++) {
		seg[i] = start[i];
		one_word = one_word && (islower((unsigned char)start[i]) || start[i] == '-' || start[i] == '_');
	}
	seg[sl] = '\0';
	if (!one_word)
		return false;
	/* a collection: plural (pets, orders, user-groups), or the parameter's own noun (/user/{user});
	 * or a lookup by a key (/entities/by-name/{kind}/...) */
	return seg[sl - 1] == 's' || strcmp(seg, low) == 0 || strncmp(seg, "by-", 3) == 0 || strncmp(seg, "by_", 3) == 0;
}

/* What one parameter (name, in) with its schema says. */
static void parameter_facts(op_ctx *o, const tm_value *p, const char *name, const char *in, const tm_value *schema)
{
	const char *type = tm_schema_type(schema);
	const char *format = tm_map_get_str(schema, "format");
	const char *example = tm_map_get_str(schema, "example") ? tm_map_get_str(schema, "example")
				: tm_map_get_str(p, "example") ? tm_map_get_str(p, "example")
							       : tm_map_get_str(schema, "default");
	unsigned c = tm_classify_name(name) | tm_classify_format(format) | tm_classify_example(example);
	bool numeric = tm_schema_numeric(type);
	/* a path parameter chosen from a list (an enum), or naming a version, a language or a format,
	 * selects a variant of the resource, not someone's object */
	char low[32];
	size_t ln = 0;
	for (const char *q = name; *q && ln + 1 < sizeof(low); q++)
		if (*q != '_' && *q != '-')
			low[ln++] = (char)tolower((unsigned char)*q);
	low[ln] = '\0';
	bool selector = tm_map_get(schema, "enum") || strstr(low, "version") || strcmp(low, "lang") == 0 ||
			strcmp(low, "locale") == 0 || strcmp(low, "language") == 0 || strcmp(low, "format") == 0;
	bool path = strcmp(in, "path") == 0, query = strcmp(in, "query") == 0;
	if (((c & TM_CLASS_OBJECT_ID) || (path && path_object_ref(tm_node_attr_str(o->ep, "path"), name, c))) &&
	    !selector && (path || query) && !(c & TM_CLASS_CREDENTIAL))
		list_add(o, "object_ids", "%s:%s:%s%s%s", name, in, type ? type : "any",
			 format ? ":" : "", format ? format : "");
	/* a password, token or key in the URL: logged wherever the URL is (a page token is no credential) */
	if ((path || query) && (c & TM_CLASS_CREDENTIAL) && !page_token(low))
		list_add(o, "url_credentials", "%s:%s", in, name);
	if (strcmp(in, "header") == 0 && (c & TM_CLASS_IDENTITY_HEADER))
		list_add(o, "identity_headers", "%s", name);
	if (strcmp(in, "header") == 0 && (c & TM_CLASS_IDEMPOTENCY))
		list_add(o, "idempotency_keys", "%s", name);
	if (c & TM_CLASS_URL)
		list_add(o, "url_inputs", "%s:%s", in, name);
	if (strcmp(in, "query") == 0 && (c & TM_CLASS_PAGINATION)) {
		const char *max = tm_map_get_str(schema, "maximum");
		if (max)
			list_add(o, "page_params", "%s:max=%s", name, max);
		else
			list_add(o, "page_params", "%s:unbounded", name);
	}
	if (numeric && (c & TM_CLASS_QUANTITY) && !tm_map_get(schema, "minimum"))
		list_add(o, "unbounded_numbers", "%s:%s", in, name);
	if (numeric && (c & TM_CLASS_REPEAT) && !tm_map_get(schema, "maximum") && !tm_map_get(schema, "exclusiveMaximum"))
		list_add(o, "unbounded_counts", "%s:%s", in, name);
	if (strcmp(in, "formData") == 0 && (c & TM_CLASS_PRIVILEGED))
		list_add(o, "privileged_writable", "%s", name);
}

/* ---- security ---------------------------------------------------------- */

static const tm_value *schemes_of(const struct spec *sp)
{
	if (sp->v2)
		return tm_map_get(sp->root, "securityDefinitions");
	return tm_map_get(tm_map_get(sp->root, "components"), "securitySchemes");
}

/* The authn kind of one scheme, and a short description ("apiKey/query"). */
static tm_authn scheme_authn(op_ctx *o, const tm_file *f, const tm_value *sv, char *desc, size_t dlen)
{
	const tm_value *s = deref(o, &f, sv);
	const char *type = tm_map_get_str(s, "type");
	const char *in = tm_map_get_str(s, "in");
	const char *scheme = tm_map_get_str(s, "scheme");
	tm_formatf(desc, dlen, "%s", type ? type : "unknown");
	if (!type)
		return TM_AUTHN_UNKNOWN;
	if (strcmp(type, "apiKey") == 0) {
		/* API Gateway's extensions: a request signed with AWS credentials (IAM), a Cognito user
		 * pool's token, or a Lambda authorizer's header */
		const char *aws = tm_map_get_str(s, "x-amazon-apigateway-authtype");
		if (aws && strcasecmp(aws, "awsSigv4") == 0) {
			tm_formatf(desc, dlen, "awsSigv4");
			return TM_AUTHN_AWS_IAM;
		}
		if (aws && strcasecmp(aws, "cognito_user_pools") == 0) {
			tm_formatf(desc, dlen, "cognito_user_pools/%s", in ? in : "header");
			return TM_AUTHN_JWT;
		}
		tm_formatf(desc, dlen, "apiKey/%s%s", in ? in : "unknown",
			   tm_map_get(s, "x-amazon-apigateway-authorizer") ? " (lambda authorizer)" : "");
		return TM_AUTHN_API_KEY;
	}
	if (strcmp(type, "basic") == 0) {
		tm_formatf(desc, dlen, "http/basic");
		return TM_AUTHN_BASIC;
	}
	if (strcmp(type, "http") == 0) {
		tm_formatf(desc, dlen, "http/%s", scheme ? scheme : "unknown");
		if (scheme && strcasecmp(scheme, "basic") == 0)
			return TM_AUTHN_BASIC;
		if (scheme && strcasecmp(scheme, "bearer") == 0)
			return TM_AUTHN_JWT;
		return TM_AUTHN_UNKNOWN;
	}
	if (strcmp(type, "oauth2") == 0) {
		/* Google Cloud Endpoints and API Gateway (ESP) declare JWT validation this way: an oauth2
		 * scheme (flow implicit, an empty authorizationUrl) with the token's issuer, keys and
		 * audiences; the proxy checks a signed JWT, no OAuth grant is involved */
		if (tm_map_get(s, "x-google-issuer") || tm_map_get(s, "x-google-jwks_uri")) {
			tm_formatf(desc, dlen, "jwt/x-google-issuer");
			return TM_AUTHN_JWT;
		}
		const char *flow = tm_map_get_str(s, "flow"); /* 2.0 */
		const tm_value *flows = tm_map_get(s, "flows");
		if (!flow && tm_value_len(flows))
			flow = tm_scalar_str(tm_map_key(flows, 0), NULL);
		tm_formatf(desc, dlen, "oauth2/%s", flow ? flow : "unknown");
		for (size_t i = 1; i < tm_value_len(flows); i++) {
			size_t used = strlen(desc);
			tm_formatf(desc + used, dlen - used, "+%s", tm_scalar_str(tm_map_key(flows, i), NULL));
		}
		return TM_AUTHN_OAUTH2;
	}
	if (strcmp(type, "openIdConnect") == 0)
		return TM_AUTHN_OAUTH2;
	if (strcmp(type, "mutualTLS") == 0)
		return TM_AUTHN_MTLS;
	return TM_AUTHN_UNKNOWN;
}

/*
 * Effective security: the operation's own "security", else the document's.
 * An empty list, an empty alternative ({}), or no requirement at all means a
 * caller may come without credentials. Sets the exposes edge's authn/authz.
 */
static void security(op_ctx *o, const tm_value *op, tm_edge *edge)
{
	const tm_value *req = tm_map_get(op, "security");
	bool inherited = !req;
	if (!req)
		req = tm_map_get(o->spec->root, "security");
	const tm_file *schemes_file = o->spec->f;
	const tm_value *schemes = deref(o, &schemes_file, schemes_of(o->spec));
	bool anonymous = !req || tm_value_len(req) == 0;
	/* schemes declared and never required (no `security` in the document or the operation): the
	 * spec documents how callers authenticate and forgot to apply it, which vendor specs often do;
	 * read as "credentials of an unstated scheme", not as an open API */
	if (!req && tm_value_len(schemes) && !o->spec->any_requirement) {
		tm_mb_node_bool(o->mb, o->ep, "anonymous", false);
		tm_mb_node_bool(o->mb, o->ep, "security_unapplied", true);
		tm_mb_node_str(o->mb, o->ep, "security_source", "schemes declared, none required");
		tm_mb_node_str(o->mb, o->ep, "authn", tm_authn_name(TM_AUTHN_UNKNOWN));
		list_add(o, "security", "declared, unapplied");
		if (edge) {
			edge->authn = TM_AUTHN_UNKNOWN;
			edge->authz = TM_AUTHZ_UNKNOWN;
			edge->enforced_at = TM_ENFORCED_SERVICE;
		}
		return;
	}
	/* no requirement stated, where most of the document's operations state their own (no document
	 * default): left out of the spec, or open on purpose? The files cannot say; rules ask */
	if (!req && o->spec->secured * 2 > o->spec->ops) {
		char peers[64];
		tm_formatf(peers, sizeof(peers), "%zu of %zu", o->spec->secured, o->spec->ops);
		tm_mb_node_bool(o->mb, o->ep, "security_omitted", true);
		tm_mb_node_str(o->mb, o->ep, "security_peers", peers);
	}
	tm_authn authn = TM_AUTHN_NONE;
	bool scoped = false;
	for (size_t i = 0; i < tm_value_len(req); i++) {
		const tm_value *alt = tm_seq_at(req, i);
		if (tm_value_len(alt) == 0) {
			anonymous = true;
			list_add(o, "security", "anonymous");
			continue;
		}
		char text[256] = "";
		for (size_t k = 0; k < tm_value_len(alt); k++) {
			const char *name = tm_scalar_str(tm_map_key(alt, k), NULL);
			const tm_value *scopes = tm_map_value(alt, k);
			const tm_value *sv = name ? tm_map_get(schemes, name) : NULL;
			size_t used = strlen(text);
			tm_formatf(text + used, sizeof(text) - used, "%s%s", k ? "+" : "", name ? name : "?");
			if (!sv) {
				if (authn == TM_AUTHN_NONE)
					authn = TM_AUTHN_UNKNOWN;
				tm_diag_add(o->ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING,
					    tm_value_loc(o->spec->f, tm_map_key(alt, k)),
					    "security requirement names undefined scheme '%.80s'", name ? name : "");
				continue;
			}
			char desc[96];
			tm_authn a = scheme_authn(o, schemes_file, sv, desc, sizeof(desc));
			list_add(o, "auth_schemes", "%s", desc);
			if (authn == TM_AUTHN_NONE)
				authn = a;
			for (size_t s = 0; s < tm_value_len(scopes); s++) {
				const char *scope = tm_scalar_str(tm_seq_at(scopes, s), NULL);
				if (scope) {
					list_add(o, "scopes", "%s", scope);
					scoped = true;
					used = strlen(text);
					tm_formatf(text + used, sizeof(text) - used, "%s%s", s ? "," : "[", scope);
				}
			}
			if (tm_value_len(scopes)) {
				used = strlen(text);
				tm_formatf(text + used, sizeof(text) - used, "]");
			}
		}
		list_add(o, "security", "%s", text);
	}
	if (anonymous)
		authn = TM_AUTHN_NONE;
	tm_mb_node_bool(o->mb, o->ep, "anonymous", anonymous);
	tm_mb_node_str(o->mb, o->ep, "security_source", inherited ? (req ? "document" : "none") : "operation");
	tm_mb_node_str(o->mb, o->ep, "authn", tm_authn_name(authn));
	if (edge) {
		edge->authn = authn;
		edge->authz = anonymous ? TM_AUTHZ_NONE : scoped ? TM_AUTHZ_SCOPE : TM_AUTHZ_UNKNOWN;
		edge->enforced_at = TM_ENFORCED_SERVICE;
	}
}

/*
 * A credential the spec declares as a plain parameter rather than a security scheme: an
 * Authorization, API-key or token header, a session cookie, or a path segment that is itself the
 * secret (/webhooks/{id}/{webhook_token}: a capability URL). Its name, or NULL.
 */
static const char *credential_param(op_ctx *o, const tm_file *f, const tm_value *list)
{
	static const char *const headers[] = {"authorization", "x-api-key", "api-key", "apikey", "x-auth-token",
					      "x-access-token", "x-api-token", "x-session-token", "private-token"};
	for (size_t k = 0; k < tm_value_len(list); k++) {
		const tm_file *pf = f;
		const tm_value *p = deref(o, &pf, tm_seq_at(list, k));
		const char *name = tm_map_get_str(p, "name"), *in = tm_map_get_str(p, "in");
		if (!name || !in)
			continue;
		if (strcasecmp(in, "header") == 0)
			for (size_t i = 0; i < TM_ARRAY_LEN(headers); i++)
				if (strcasecmp(name, headers[i]) == 0)
					return name;
		if (strcasecmp(in, "cookie") == 0 && (tm_classify_name(name) & TM_CLASS_CREDENTIAL))
			return name;
		char low[64];
		size_t n = 0;
		for (const char *c = name; *c && n + 1 < sizeof(low); c++)
			low[n++] = (char)tolower((unsigned char)*c);
		low[n] = '\0';
		if (strcasecmp(in, "path") == 0 && (strstr(low, "token") || strstr(low, "secret") || strstr(low, "signature")))
			return name;
	}
	return NULL;
}

/* ---- operations -------------------------------------------------------- */

static const char *audience(const tm_value *v)
{
	if (truthy(tm_map_get(v, "x-internal")))
		return "internal";
	const char *a = tm_map_get_str(v, "x-audience");
	if (!a)
		a = tm_map_get_str(v, "x-visibility");
	return a;
}

static void servers_of(op_ctx *o, const tm_value *op, const tm_value *item)
{
	const tm_value *servers = tm_map_get(op, "servers");
	if (!servers)
		servers = tm_map_get(item, "servers");
	if (!servers)
		servers = tm_map_get(o->spec->root, "servers");
	for (size_t i = 0; i < tm_value_len(servers); i++) {
		const char *url = tm_map_get_str(tm_seq_at(servers, i), "url");
		if (url)
			tm_mb_node_list_add(o->mb, o->ep, "servers", url);
	}
	if (o->spec->v2) {
		const char *host = tm_map_get_str(o->spec->root, "host");
		const char *base = tm_map_get_str(o->spec->root, "basePath");
		if (host) {
			char url[512];
			tm_formatf(url, sizeof(url), "%s%s", host, base ? base : "");
			tm_mb_node_list_add(o->mb, o->ep, "servers", url);
		}
	}
}

static size_t operation(op_ctx *o, tm_node *svc, const char *svc_key, const char *path,
			const tm_file *item_file, const tm_value *item, const char *method,
			const tm_value *op, const char *linked_by, const char *exposure)
{
	char upper[16];
	size_t i = 0;
	for (; method[i] && i < sizeof(upper) - 1; i++)
		upper[i] = (char)toupper((unsigned char)method[i]);
	upper[i] = '\0';
	char *id = tm_arena_printf(o->arena, "endpoint:%s/%s %s", svc_key, upper, path);
	char *name = tm_arena_printf(o->arena, "%s %s", upper, path);
	if (!id || !name)
		return 0;
	tm_loc loc = tm_value_loc(item_file, op);
	o->fresh = !tm_mb_find(o->mb, id);
	o->ep = tm_mb_node(o->mb, TM_NODE_ENDPOINT, id, name, tm_node_boundary(svc), loc);
	if (!o->ep)
		return 0;
	tm_mb_node_str(o->mb, o->ep, "method", upper);
	tm_mb_node_str(o->mb, o->ep, "path", path);
	tm_mb_node_str(o->mb, o->ep, "service", tm_node_id(svc));
	if (o->fresh) /* the spec that described it first; a twin adds its place to the evidence */
		tm_mb_node_str(o->mb, o->ep, "spec", tm_file_path(o->spec->f));
	tm_mb_node_str(o->mb, o->ep, "linked_by", linked_by);
	tm_mb_node_str(o->mb, o->ep, "exposure", exposure);
	if (tm_node_attr_str(svc, "exposure_assumed"))
		tm_mb_node_str(o->mb, o->ep, "exposure_assumed", exposure);
	/* where the spec says ownership is checked: on the operation, its path, or the whole API */
	const char *owner_check = tm_map_get_str(op, "x-trustmap-ownership");
	if (!owner_check)
		owner_check = tm_map_get_str(item, "x-trustmap-ownership");
	if (!owner_check)
		owner_check = tm_map_get_str(tm_map_get(o->spec->root, "info"), "x-trustmap-ownership");
	if (owner_check)
		tm_mb_node_str(o->mb, o->ep, "ownership", owner_check);
	const char *opid = tm_map_get_str(op, "operationId");
	if (opid)
		tm_mb_node_str(o->mb, o->ep, "operation_id", opid);
	const tm_value *tags = tm_map_get(op, "tags");
	for (size_t t = 0; t < tm_value_len(tags); t++) {
		const char *tag = tm_scalar_str(tm_seq_at(tags, t), NULL);
		if (tag)
			tm_mb_node_list_add(o->mb, o->ep, "tags", tag);
	}
	tm_mb_node_bool(o->mb, o->ep, "deprecated", truthy(tm_map_get(op, "deprecated")));
	const char *aud = audience(op);
	if (!aud)
		aud = audience(item);
	if (!aud)
		aud = audience(tm_map_get(o->spec->root, "info"));
	if (aud)
		tm_mb_node_str(o->mb, o->ep, "audience", aud);
	servers_of(o, op, item);

	tm_edge *e = tm_mb_edge(o->mb, svc, o->ep, TM_EDGE_EXPOSES, loc);
	security(o, op, e);

	/* parameters: the path item's, overridden by the operation's (same name and in) */
	const tm_value *own = tm_map_get(op, "parameters");
	const tm_value *shared = tm_map_get(item, "parameters");
	for (size_t k = 0; k < tm_value_len(shared); k++) {
		const tm_file *pf = item_file;
		const tm_value *sp = deref(o, &pf, tm_seq_at(shared, k));
		const char *sn = tm_map_get_str(sp, "name"), *si = tm_map_get_str(sp, "in");
		bool overridden = false;
		for (size_t j = 0; j < tm_value_len(own) && !overridden && sn && si; j++) {
			const tm_file *of = item_file;
			const tm_value *opv = deref(o, &of, tm_seq_at(own, j));
			const char *on = tm_map_get_str(opv, "name"), *oi = tm_map_get_str(opv, "in");
			overridden = on && oi && strcmp(on, sn) == 0 && strcmp(oi, si) == 0;
		}
		if (!overridden)
			parameter(o, item_file, tm_seq_at(shared, k));
	}
	for (size_t k = 0; k < tm_value_len(own); k++)
		parameter(o, item_file, tm_seq_at(own, k));
	/* no security requirement, but a credential among the parameters: the caller authenticates */
	const char *cred = tm_node_attr_get(o->ep, "anonymous") && tm_node_attr_get(o->ep, "anonymous")->num
				   ? credential_param(o, item_file, own) : NULL;
	if (!cred && tm_node_attr_get(o->ep, "anonymous") && tm_node_attr_get(o->ep, "anonymous")->num)
		cred = credential_param(o, item_file, shared);
	if (cred) {
		tm_mb_node_bool(o->mb, o->ep, "anonymous", false);
		tm_mb_node_str(o->mb, o->ep, "authn", tm_authn_name(TM_AUTHN_UNKNOWN));
		list_add(o, "security", "parameter:%s", cred);
		if (e) {
			e->authn = TM_AUTHN_UNKNOWN;
			e->authz = TM_AUTHZ_UNKNOWN;
		}
	}

	const tm_file *bf = item_file;
	const tm_value *body = deref(o, &bf, tm_map_get(op, "requestBody"));
	walk_content(o, bf, tm_map_get(body, "content"), TM_WALK_REQUEST);

	const tm_value *responses = tm_map_get(op, "responses");
	for (size_t r = 0; r < tm_value_len(responses); r++) {
		const char *code = tm_scalar_str(tm_map_key(responses, r), NULL);
		if (code && (strcmp(code, "429") == 0 || strcasecmp(code, "4XX") == 0))
			tm_mb_node_bool(o->mb, o->ep, "rate_limited_documented", true);
		const tm_file *rf = item_file;
		const tm_value *resp = deref(o, &rf, tm_map_value(responses, r));
		if (o->spec->v2)
			walk_schema(o, rf, tm_map_get(resp, "schema"), TM_WALK_RESPONSE);
		else
			walk_content(o, rf, tm_map_get(resp, "content"), TM_WALK_RESPONSE);
		/* a successful response that is a bare array is a list read */
		if (code && code[0] == '2') {
			const tm_value *content = tm_map_get(resp, "content");
			const tm_value *schema = o->spec->v2 ? tm_map_get(resp, "schema")
							     : tm_map_get(tm_map_value(content, 0), "schema");
			const tm_file *sf = rf;
			schema = deref(o, &sf, schema);
			const char *type = tm_schema_type(schema);
			if (type && strcmp(type, "array") == 0)
				tm_mb_node_bool(o->mb, o->ep, "returns_list", true);
		}
	}
	return 1;
}

/* Is host a name the internet can resolve to this API: not loopback, a private or link-local
 * address, a cluster or local name, a documentation placeholder, or a templated value? */
static bool public_host(const char *host)
{
	static const char *const private_suffixes[] = {".local", ".internal", ".localdomain", ".svc", ".cluster.local",
						       ".lan", ".home", ".test", ".invalid", ".localhost", ".example",
						       "example.com", "example.org", "example.net"};
	size_t n = strlen(host);
	if (!n || !strchr(host, '.') || strchr(host, '{') || strchr(host, '$') || strchr(host, '<') ||
	    strcmp(host, "localhost") == 0)
		return false;
	for (size_t i = 0; i < TM_ARRAY_LEN(private_suffixes); i++) {
		size_t k = strlen(private_suffixes[i]);
		if (n >= k && tm_strcaseeq(host + n - k, private_suffixes[i]) &&
		    (n == k || private_suffixes[i][0] == '.' || host[n - k - 1] == '.'))
			return false;
	}
	unsigned a, b;
	if (sscanf(host, "%u.%u.", &a, &b) == 2 && strspn(host, "0123456789.") == n)
		return !(a == 10 || a == 127 || a == 0 || (a == 192 && b == 168) || (a == 172 && b >= 16 && b <= 31) ||
			 (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127));
	return true;
}

/*
 * An unlinked spec is still analysed, under a stated assumption about who reaches it: a public
 * server host (OpenAPI 3 servers, Swagger 2 host) means the internet; otherwise the API is taken to
 * be reachable by its clients from outside the deployment (partner), since where it runs is not in
 * the inputs. Linking it (x-trustmap-service, a Service or Ingress host) replaces the assumption.
 */
/* An OpenAPI 3 server's URL with each {variable} replaced by its default (the Server Object: the
 * value used when no other is given); u itself when it names none, NULL when one has no default. */
static const char *server_url(tm_arena *a, const tm_value *server)
{
	const char *u = tm_map_get_str(server, "url");
	if (!u || !strchr(u, '{'))
		return u;
	const tm_value *vars = tm_map_get(server, "variables");
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *out = NULL;
	for (const char *p = u;;) {
		const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
		if (!close) {
			tm_strbuf_puts(&sb, p);
			out = sb.oom ? NULL : tm_arena_strndup(a, sb.data, sb.len);
			break;
		}
		tm_strbuf_put(&sb, p, (size_t)(open - p));
		char name[128];
		tm_formatf(name, sizeof(name), "%.*s", (int)(close - open - 1), open + 1);
		const char *dflt = tm_map_get_str(tm_map_get(vars, name), "default");
		if (!dflt)
			break;
		tm_strbuf_puts(&sb, dflt);
		p = close + 1;
	}
	tm_strbuf_dispose(&sb);
	return out;
}

/* How a workload a title names is shown: its id without the kind ("sock-shop/orders"), since two
 * of one name (a chart's copy and a bundle's) are told apart by their namespace. */
static const char *cand_name(const tm_node *n)
{
	const char *id = tm_node_id(n), *colon = strchr(id, ':');
	return colon ? colon + 1 : id;
}

static const char *assumed_exposure(tm_arena *a, const tm_pset *routed, const struct spec *sp, const char **why)
{
	char host[256];
	const char *url = NULL;
	if (sp->v2) {
		url = tm_map_get_str(sp->root, "host");
	} else {
		const tm_value *servers = tm_map_get(sp->root, "servers");
		for (size_t i = 0; i < tm_value_len(servers) && !url; i++) {
			const char *u = server_url(a, tm_seq_at(servers, i));
			if (u && public_host(tm_ingest__url_host(u, host, sizeof(host))))
				url = u;
		}
	}
	if (url && public_host(tm_ingest__url_host(url, host, sizeof(host)))) {
		*why = tm_arena_printf(a, "reachable from the internet: the spec's server %s is a public host, and no "
					  "workload in the inputs serves it (deployment unknown)", host);
		return "internet";
	}
	if (sp->ncands > 1 && sp->named) {
		/* one of the workloads its title names serves it: the widest of their exposures */
		const tm_node *out = NULL;
		for (size_t i = 0; i < sp->ncands && i < TM_ARRAY_LEN(sp->cands) && !out; i++)
			if (tm_pset_has(routed, sp->cands[i]))
				out = sp->cands[i];
		*why = out ? tm_arena_printf(a, "reachable from the internet: its title names %s, the files do not say "
						"which one serves it, and %s is routed from outside",
					     sp->named, cand_name(out))
			   : tm_arena_printf(a, "reachable inside the cluster: its title names %s, the files do not say "
						"which one serves it, and none is routed from outside",
					     sp->named);
		return out ? "internet" : "cluster";
	}
	*why = "reachable by its clients from outside (deployment unknown: the spec matches no workload and names "
	       "no public server); link it with x-trustmap-service to replace this assumption";
	return "partner";
}

/*
 * Preliminary exposure, from the service's routes: reached from an entry point
 * directly or through a gateway -> internet; deployed -> cluster; unlinked -> its assumption.
 * The reachability analysis refines this with network and mesh policy.
 */
const char *tm_ingest__api_exposure(const tm_pset *routed, const tm_node *svc)
{
	if (tm_node_attr_get(svc, "unlinked"))
		return tm_node_attr_str(svc, "exposure_assumed") ? tm_node_attr_str(svc, "exposure_assumed") : "none";
	return tm_pset_has(routed, svc) ? "internet" : "cluster";
}

/* Who is routed to from an entry point, through any chain of routes (a gateway, the workload that
 * runs a gateway, the gateway's backends): one breadth-first pass over the routes edges, for every
 * spec at once. 0 or TM_ENOMEM. */
int tm_ingest__routed_from_outside(tm_model_builder *mb, tm_pset *out)
{
	const tm_model *m = tm_mb_model(mb);
	tm_hmap from = TM_HMAP_INIT; /* node pointer bytes -> chain of its routes edges */
	struct hop {
		const tm_edge *e;
		struct hop *next;
	};
	tm_arena *a = tm_arena_new();
	const tm_node **queue = NULL;
	size_t nq = 0, capq = 0;
	int rc = a ? 0 : TM_ENOMEM;
	for (size_t i = 0; i < m->nedges && !rc; i++) {
		const tm_edge *e = m->edges[i];
		if (e->kind != TM_EDGE_ROUTES)
			continue;
		/* the map borrows its keys: the pointer's bytes live in the arena */
		const void **k = tm_arena_alloc(a, sizeof(*k));
		struct hop *h = k ? tm_arena_alloc(a, sizeof(*h)) : NULL;
		if (!h) {
			rc = TM_ENOMEM;
			break;
		}
		*k = e->from;
		h->e = e;
		h->next = tm_hmap_get(&from, (const char *)k, sizeof(*k));
		if (tm_hmap_put(&from, (const char *)k, sizeof(*k), h))
			rc = TM_ENOMEM;
		if (e->from->kind == TM_NODE_ENTRYPOINT) {
			if (TM_GROW(queue, capq, nq + 1))
				rc = TM_ENOMEM;
			else
				queue[nq++] = e->from;
		}
	}
	for (size_t q = 0; q < nq && !rc; q++) {
		const void *k = queue[q];
		for (const struct hop *h = tm_hmap_get(&from, (const char *)&k, sizeof(k)); h && !rc; h = h->next) {
			int added = tm_pset_add(out, h->e->to);
			if (added < 0 || (added && TM_GROW(queue, capq, nq + 1)))
				rc = TM_ENOMEM;
			else if (added)
				queue[nq++] = h->e->to;
		}
	}
	tm_free(queue);
	tm_hmap_dispose(&from);
	tm_arena_free(a);
	return rc;
}

tm_node *tm_ingest__unlinked_api(tm_ingest_ctx *ctx, tm_arena *a, const char *title, const char *path, tm_loc loc)
{
	/* one service per unlinked API: a second one with the same title is named by its path */
	char *id = tm_arena_printf(a, "service:api/%s", tm_ingest__slug(a, title));
	if (id && tm_mb_find(ctx->mb, id))
		id = tm_arena_printf(a, "service:api/%s", tm_ingest__slug(a, path));
	tm_node *svc = id ? tm_mb_node(ctx->mb, TM_NODE_SERVICE, id, title, NULL, loc) : NULL;
	if (svc)
		tm_mb_node_bool(ctx->mb, svc, "unlinked", true);
	return svc;
}

/* The host of the spec's first server (Swagger 2: host), into buf; "" when none or not a host name
 * a gateway's virtual hosts could name (localhost, an address). */
static const char *spec_host(const struct spec *sp, char *buf, size_t len)
{
	const char *url = sp->v2 ? tm_map_get_str(sp->root, "host")
				 : tm_map_get_str(tm_seq_at(tm_map_get(sp->root, "servers"), 0), "url");
	buf[0] = '\0';
	if (url)
		tm_ingest__url_host(url, buf, len);
	if (tm_strcaseeq(buf, "localhost") || strspn(buf, "0123456789.") == strlen(buf))
		buf[0] = '\0';
	return buf;
}

/* The path the spec's operations sit under (Swagger 2 basePath; the first server's path), into buf. */
static const char *spec_base(const struct spec *sp, char *buf, size_t len)
{
	const char *base = NULL;
	if (sp->v2) {
		base = tm_map_get_str(sp->root, "basePath");
	} else {
		const char *url = tm_map_get_str(tm_seq_at(tm_map_get(sp->root, "servers"), 0), "url");
		const char *p = url ? strstr(url, "://") : NULL;
		base = p ? strchr(p + 3, '/') : url && url[0] == '/' ? url : NULL;
	}
	tm_formatf(buf, len, "%s", base && strcmp(base, "/") != 0 ? base : "");
	size_t n = strlen(buf);
	if (n && buf[n - 1] == '/')
		buf[n - 1] = '\0';
	return buf;
}

/* Does a gateway route some of the spec's paths by a prefix of their own (not only a catch-all)?
 * Then the spec is served behind it, each operation by the workload its path is routed to. */
static bool behind_gateway(tm_ingest_ctx *ctx, const struct spec *sp, const char *host, const char *base)
{
	const tm_value *paths = tm_map_get(sp->root, "paths");
	for (size_t i = 0; i < tm_value_len(paths); i++) {
		const char *path = tm_scalar_str(tm_map_key(paths, i), NULL);
		char request[1024];
		if (!path || path[0] != '/')
			continue;
		tm_formatf(request, sizeof(request), "%s%s", base, path);
		const tm_gw_route *r = tm_gw_route_for(ctx, *host ? host : NULL, request);
		if (r && strcmp(r->path, "/") != 0)
			return true;
	}
	return false;
}

/* What the gateway in front of an operation does: authentication, rate limit, allow-list. */
static void gateway_facts(op_ctx *o, tm_node *svc, const tm_gw_route *r)
{
	if (!r || !o->ep)
		return;
	tm_mb_node_str(o->mb, o->ep, "gateway", tm_node_id(r->gateway));
	tm_mb_node_fact(o->mb, o->ep, "gateway_routes", r->path, r->loc);
	const tm_attr *anon = tm_node_attr_get(o->ep, "anonymous");
	if (r->authn != TM_AUTHN_NONE && anon && anon->num) {
		tm_mb_node_bool(o->mb, o->ep, "anonymous", false);
		tm_mb_node_str(o->mb, o->ep, "authn", tm_authn_name(r->authn));
		tm_mb_node_str(o->mb, o->ep, "authn_at", r->authn_how ? r->authn_how : "the gateway");
		/* the request reaches the operation only through the gateway's check */
		tm_edge *e = tm_mb_edge(o->mb, svc, o->ep, TM_EDGE_EXPOSES, r->loc);
		if (e) {
			e->authn = r->authn;
			e->authz = r->authn == TM_AUTHN_UNKNOWN ? TM_AUTHZ_POLICY : TM_AUTHZ_UNKNOWN;
			e->enforced_at = TM_ENFORCED_GATEWAY;
		}
	}
	if (r->rate_how) {
		tm_mb_node_bool(o->mb, o->ep, "rate_limited", true);
		tm_mb_node_str(o->mb, o->ep, "rate_limit", r->rate_how);
	}
	if (r->restrict_how)
		tm_mb_node_str(o->mb, o->ep, "allow_list", r->restrict_how);
	/* an allow-list of private ranges only: clients of the private network (a VPN, an office), never
	 * the internet's */
	const char *x = tm_node_attr_str(o->ep, "exposure");
	if (r->restrict_how && r->private_only && x && strcmp(x, "internet") == 0)
		tm_mb_node_str(o->mb, o->ep, "exposure", "partner");
}

/* Does v hold a $ref to another document (not "#...")? Bounded as the tree is (the parse's limits). */
static bool refs_outside(const tm_value *v, int depth)
{
	if (depth > 512)
		return true;
	for (size_t i = 0; i < tm_value_len(v) && tm_value_kind_of(v) != TM_VALUE_SCALAR; i++) {
		bool map = tm_value_kind_of(v) == TM_VALUE_MAP;
		const tm_value *kid = map ? tm_map_value(v, i) : tm_seq_at(v, i);
		const char *k = map ? tm_scalar_str(tm_map_key(v, i), NULL) : NULL;
		const char *to = k && strcmp(k, "$ref") == 0 ? tm_scalar_str(kid, NULL) : NULL;
		if ((to && to[0] != '#') || refs_outside(kid, depth + 1))
			return true;
	}
	return false;
}

static void twin_hash(struct twin *t)
{
	if (!t->hashed) {
		t->hash = tm_value_hash(t->sp->root);
		t->outside = refs_outside(t->sp->root, 0);
		t->hashed = true;
	}
}

/* The twins map's key of t (hashed first): id's bytes, then the hash's; NULL when out of memory. */
static const char *twin_key(struct openapi *s, const char *id, struct twin *t, size_t *len)
{
	twin_hash(t);
	size_t n = strlen(id);
	char *key = tm_arena_alloc(s->arena, n + sizeof(t->hash));
	if (key) {
		memcpy(key, id, n);
		memcpy(key + n, &t->hash, sizeof(t->hash));
	}
	*len = n + sizeof(t->hash);
	return key;
}

/* Index t by id and its content's hash (a twin already there stays); false when out of memory,
 * which fails the scan (its scratch arena marked failed). */
static bool twin_put(struct openapi *s, const char *id, struct twin *t)
{
	size_t len;
	const char *key = twin_key(s, id, t, &len);
	if (key && (tm_hmap_get(&s->twins, key, len) || !tm_hmap_put(&s->twins, key, len, t)))
		return true;
	tm_arena_set_failed(s->arena);
	return false;
}

/* The service of an unlinked spec: a spec with the title and the very content of one before it (in
 * another file, or another syntax) adds to that one's service, with a note; any other gets one of its
 * own (tm_ingest__unlinked_api). Linear: a spec is hashed once, and only when its title is taken. */
static tm_node *unlinked_service(tm_ingest_ctx *ctx, struct openapi *s, const struct spec *sp, const char *title,
				 tm_loc loc)
{
	const char *id = tm_arena_printf(s->arena, "service:api/%s", tm_ingest__slug(s->arena, title));
	struct twin *first = id ? tm_hmap_get(&s->titled, id, strlen(id)) : NULL;
	struct twin *t = id ? tm_arena_alloc(s->arena, sizeof(*t)) : NULL;
	if (!t)
		return NULL;
	*t = (struct twin){sp, NULL, 0, false, false};
	size_t len = 0;
	const char *key = NULL; /* t's key in the twins map, when its title is taken */
	const struct twin *same = NULL;
	if (first) {
		/* the first with a title is hashed, and indexed by its hash, when a second one takes it */
		if ((!first->hashed && !twin_put(s, id, first)) || !(key = twin_key(s, id, t, &len)))
			return NULL;
		same = tm_hmap_get(&s->twins, key, len);
		if (same && !same->outside && !t->outside && tm_value_same(same->sp->root, sp->root)) {
			tm_loc was = tm_value_loc(same->sp->f, same->sp->root);
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
				    "API '%s' is also defined, identically, at %s:%u; one API, its operations found in both",
				    title, was.path ? was.path : "?", was.line);
			tm_mb_add_evidence(ctx->mb, same->svc, loc);
			return same->svc;
		}
	}
	t->svc = tm_ingest__unlinked_api(ctx, s->arena, title, tm_file_path(sp->f), loc);
	if (!t->svc)
		return NULL;
	/* the first with its title is kept by title (unless the title's id is another input's), a later
	 * one by its hash (unless a spec with that hash is there already) */
	bool kept = !first ? strcmp(tm_node_id(t->svc), id) != 0 || !tm_hmap_put(&s->titled, id, strlen(id), t)
			   : same || !tm_hmap_put(&s->twins, key, len, t);
	if (!kept)
		tm_arena_set_failed(s->arena);
	return kept ? t->svc : NULL;
}

/* The spec names svc's API; an operation not seen before adds to its count (one that two specs
 * describe counts once). */
static void count_operation(tm_ingest_ctx *ctx, tm_node *svc, const char *spec_path, bool fresh)
{
	tm_mb_node_list_add(ctx->mb, svc, "api_specs", spec_path);
	const tm_attr *prev = tm_node_attr_get(svc, "api_operations");
	if (fresh || !prev)
		tm_mb_node_int(ctx->mb, svc, "api_operations", (prev ? prev->num : 0) + 1);
}

static void ingest_spec(tm_ingest_ctx *ctx, struct openapi *s, const struct spec *sp)
{
	const char *title = tm_map_get_str(tm_map_get(sp->root, "info"), "title");
	if (!title)
		title = tm_file_path(sp->f);
	tm_loc loc = tm_value_loc(sp->f, sp->root);
	char host[256], base[512];
	spec_host(sp, host, sizeof(host));
	spec_base(sp, base, sizeof(base));
	/* a gateway routing the spec's paths decides before the spec's place does (a client's copy of
	 * the API in the frontend's directory, the frontend's nginx sending /api to the backend) */
	bool via_gw = (!sp->svc || sp->by_place) && ctx->gw && behind_gateway(ctx, sp, host, base);
	if (sp->svc)
		tm_mb_add_evidence(ctx->mb, sp->svc, loc);
	tm_node *own = NULL; /* the unlinked API's own service, made when an operation needs it */
	const char *own_exposure = NULL;

	op_ctx o;
	memset(&o, 0, sizeof(o));
	o.ctx = ctx;
	o.refs = ctx->refs;
	o.mb = ctx->mb;
	o.arena = s->arena;
	o.spec = sp;
	o.state = s;
	const tm_value *paths = tm_map_get(sp->root, "paths");
	for (size_t i = 0; i < tm_value_len(paths); i++) {
		const char *path = tm_scalar_str(tm_map_key(paths, i), NULL);
		if (!path || path[0] != '/')
			continue; /* x- extensions */
		const tm_file *itf = sp->f;
		const tm_value *item = deref(&o, &itf, tm_map_value(paths, i));
		if (!item || tm_value_kind_of(item) != TM_VALUE_MAP)
			continue;
		char request[1024];
		tm_formatf(request, sizeof(request), "%s%s", base, path);
		tm_node *svc = sp->svc;
		const char *how = sp->how;
		const tm_gw_route *route = NULL;
		if (via_gw && (route = tm_gw_route_for(ctx, *host ? host : NULL, request)) != NULL &&
		    route->backend != sp->svc) {
			svc = route->backend;
			how = tm_arena_printf(s->arena, "routed by %s (%s at %s:%u)", tm_node_name(route->gateway), route->path,
					      route->loc.path ? route->loc.path : "?", route->loc.line);
			tm_mb_add_evidence(ctx->mb, svc, loc);
		}
		/* linked by its title or port only: a path the gateway in front routes nowhere is no
		 * operation the named workload is known to serve */
		if (via_gw && !route && sp->by_place == TM_LINK_NAME)
			svc = NULL;
		const char *exposure = svc ? tm_ingest__api_exposure(&s->routed, svc) : NULL;
		if (!svc) {
			if (!own) {
				own = unlinked_service(ctx, s, sp, title, loc);
				if (!own)
					return;
				const char *why = NULL;
				own_exposure = assumed_exposure(s->arena, &s->routed, sp, &why);
				tm_mb_node_str(ctx->mb, own, "assumed", why);
				tm_mb_node_str(ctx->mb, own, "exposure_assumed", own_exposure);
			}
			svc = own;
			how = via_gw ? "not linked: no gateway route matches this path (a service of its own)"
				     : "not linked: no workload matched (a service of its own)";
			exposure = own_exposure;
		}
		if (!route && ctx->gw) {
			/* a route in front of a linked service matters where it checks something */
			const tm_gw_route *r = tm_gw_route_to(ctx, svc, request);
			if (r && (r->authn != TM_AUTHN_NONE || r->rate_how || r->restrict_how))
				route = r;
		}
		tm_node_id_parts sid;
		const char *svc_key = tm_node_id_parse(tm_node_id(svc), &sid) ? tm_node_id(svc) : sid.rest;
		for (size_t m = 0; m < TM_ARRAY_LEN(methods); m++) {
			const tm_value *op = tm_map_get(item, methods[m]);
			if (!op || tm_value_kind_of(op) != TM_VALUE_MAP)
				continue;
			o.ep = NULL;
			if (operation(&o, svc, svc_key, path, itf, item, methods[m], op, how, exposure)) {
				gateway_facts(&o, svc, route);
				count_operation(ctx, svc, tm_file_path(sp->f), o.fresh);
			}
		}
	}
	if (!own && !sp->svc && !via_gw) /* a spec without operations still names its API */
		own = unlinked_service(ctx, s, sp, title, loc);
	if (sp->svc)
		tm_mb_node_list_add(ctx->mb, sp->svc, "api_specs", tm_file_path(sp->f));
	tm_node *named[2] = {sp->svc, own};
	for (size_t i = 0; i < 2; i++)
		if (named[i] && !tm_node_attr_get(named[i], "api_operations"))
			tm_mb_node_int(ctx->mb, named[i], "api_operations", 0);
	if (own) {
		tm_mb_node_list_add(ctx->mb, own, "api_specs", tm_file_path(sp->f));
		if (!tm_node_attr_get(own, "exposure_assumed")) {
			const char *why = NULL;
			const char *e = assumed_exposure(s->arena, &s->routed, sp, &why);
			tm_mb_node_str(ctx->mb, own, "assumed", why);
			tm_mb_node_str(ctx->mb, own, "exposure_assumed", e);
		}
	}
}

/* The .proto a spec was generated from: protoc-gen-openapiv2 (grpc-gateway) titles a Swagger by the
 * .proto it came from unless an option names it otherwise. NULL: none of the scan's. */
static const tm_proto_file *generated_from(const tm_ingest_ctx *ctx, const struct spec *sp)
{
	const char *t = tm_map_get_str(tm_map_get(sp->root, "info"), "title");
	size_t n = t ? strlen(t) : 0;
	if (n <= 6 || strcmp(t + n - 6, ".proto") != 0)
		return NULL;
	return tm_ingest__proto_named(ctx, tm_file_path(sp->f), t);
}

/* A spec generated from a .proto of the scan describes that proto's HTTP bindings, which the proto's
 * endpoints carry already (http_method, http_path): one API, not two (the same operations twice,
 * and the Swagger's silence on authentication read as "anonymous" where the proto says nothing).
 * The spec is the proto's service's evidence. */
static void from_proto(tm_ingest_ctx *ctx, const struct spec *sp)
{
	tm_loc loc = tm_value_loc(sp->f, sp->root);
	tm_node *node = sp->proto->node;
	if (!node) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "generated from %s, which defines no modelled service: no API of its own", sp->proto->path);
		return;
	}
	tm_mb_add_evidence(ctx->mb, node, loc);
	tm_mb_node_list_add(ctx->mb, node, "api_specs", tm_file_path(sp->f));
	tm_mb_node_list_add(ctx->mb, node, "generated_specs", tm_file_path(sp->f));
}

/* An unlinked spec whose title names several workloads (two Deployments of one image): said, with
 * them, and kept for its stated exposure (assumed_exposure). */
static void unlinked_candidates(tm_ingest_ctx *ctx, const tm_link_index *ix, tm_arena *arena, struct spec *sp)
{
	const char *title = tm_map_get_str(tm_map_get(sp->root, "info"), "title");
	sp->ncands = title ? tm_ingest__link_titled(ix, title, sp->cands, TM_ARRAY_LEN(sp->cands)) : 0;
	if (sp->ncands < 2)
		return;
	size_t shown = sp->ncands < TM_ARRAY_LEN(sp->cands) ? sp->ncands : TM_ARRAY_LEN(sp->cands);
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_printf(&sb, "%zu%s workloads (", sp->ncands, sp->ncands > shown ? " or more" : "");
	for (size_t i = 0; i < shown; i++)
		tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", cand_name(sp->cands[i]));
	tm_strbuf_printf(&sb, ")");
	sp->named = sb.oom || !sb.data ? NULL : tm_arena_strdup(arena, sb.data);
	tm_strbuf_dispose(&sb);
	if (sp->named)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_value_loc(sp->f, sp->root),
			    "API '%.100s' is not linked: its title names %s, the files do not say which serves it; its "
			    "exposure is taken as the widest of theirs (x-trustmap-service links it)",
			    title, sp->named);
}

static void oa_finish(tm_ingest_ctx *ctx, void *state)
{
	struct openapi *s = state;
	if (!s)
		return;
	/* link every spec first: linking reads manifest evidence, which specs then extend */
	tm_link_index *ix = s->n ? tm_ingest__link_index(ctx) : NULL;
	for (size_t i = 0; i < s->n; i++) {
		/* without the index (out of memory, reported by the scan) no spec is linked */
		s->specs[i].svc = NULL;
		s->specs[i].how = NULL;
		s->specs[i].by_place = TM_LINK_FIRM;
		s->specs[i].ncands = 0;
		s->specs[i].named = NULL;
		if ((s->specs[i].proto = generated_from(ctx, &s->specs[i])) != NULL)
			continue; /* its proto's service is linked already */
		if (ix)
			s->specs[i].svc = tm_ingest__link_api(ctx, ix, s->arena, s->specs[i].f, s->specs[i].root,
							      true, &s->specs[i].how, &s->specs[i].by_place);
		if (ix && !s->specs[i].svc)
			unlinked_candidates(ctx, ix, s->arena, &s->specs[i]);
	}
	tm_ingest__link_index_free(ix);
	if (s->n && tm_ingest__routed_from_outside(ctx->mb, &s->routed))
		tm_arena_set_failed(ctx->scratch);
	/* an operation is a node and the edge exposing it: room for them all at once */
	size_t ops = 0;
	for (size_t i = 0; i < s->n; i++) {
		const tm_value *paths = s->specs[i].proto ? NULL : tm_map_get(s->specs[i].root, "paths");
		for (size_t p = 0; p < tm_value_len(paths) && tm_value_kind_of(paths) == TM_VALUE_MAP; p++)
			for (size_t m = 0; m < TM_ARRAY_LEN(methods); m++)
				ops += tm_map_get(tm_map_value(paths, p), methods[m]) != NULL;
	}
	tm_mb_reserve(ctx->mb, ops, ops);
	for (size_t i = 0; i < s->n; i++) {
		if (s->specs[i].proto)
			from_proto(ctx, &s->specs[i]);
		else
			ingest_spec(ctx, s, &s->specs[i]);
	}
}

const tm_ingester tm_ingest__openapi = {oa_begin, oa_doc, oa_finish, oa_end};
