/*
 * tf_config.c - Terraform configuration as written: the .tf (HCL, parse/hcl.c), .tf.json and
 * .tfvars files of each module directory, evaluated into the plan-shaped document the resource
 * handlers of terraform.c read (terraform.h).
 *
 * Evaluation is deliberately small: literals, and references within a module — `var.x` (a module
 * call's argument, else *.tfvars, else the variable's default), `local.x`, `TYPE.NAME.attr` (the
 * resource's literal attribute; the naming attributes and `id` give the resource's name, or its
 * address when that is not literal; so do an identity's principal_id and client_id, and any named
 * resource's arn and invoke_arn, which stand for it), `data.aws_iam_policy_document.NAME.json` (the document built
 * from its statement blocks), `jsonencode(...)` (its argument), string templates whose parts all
 * resolve, attribute and index steps into what they resolve to, toset/tolist/tomap of a reference,
 * and `dynamic` blocks (one block per item of their for_each, below). Everything else is kept as the
 * scalar "unknown (<expression>)" at the expression's position, and the resource lists it under
 * "unresolved", so the model says what it could not read instead of dropping it.
 *
 * Nested blocks become lists of objects (a plan's shape: `ingress { }` twice is ingress: [{}, {}]).
 *
 * Bounds: a reference resolves through at most EVAL_DEPTH others (a cycle of locals ends there);
 * local module calls are followed TM_TF_MODULE_DEPTH deep and never into a directory already on
 * the call stack. Lookups are hash maps per module, built once.
 */
#include <stdio.h>
#include <stdlib.h>

#include "parse/hcl.h"
#include "terraform.h"

#define EVAL_DEPTH 16
/* Values made by one evaluation: references repeat what they name (a local used in many places, a
 * chain of locals each naming the next twice), so the copies are counted and bounded. */
#define EVAL_BUDGET 500000
/* Flattened attributes read per resource of a version 3 state. */
#define V3_MAX_ATTRS 20000
/* Module instances per evaluation (calls fan out: a module called ten times calling another ten times). */
#define MAX_INSTANCES 10000

/* A value with the file it belongs to (for its location). */
typedef struct {
	const tm_file *f;
	const tm_value *v;
	tm_tf_src *src;
} bound;

/* One module directory: its files and what they declare. */
typedef struct {
	const char *dir;
	tm_tf_src *srcs; /* a run of the sorted sources */
	size_t nsrcs;
	tm_hmap vars, tfvars, locals, resources; /* name -> bound *; resources by "TYPE.NAME", data by "data.TYPE.NAME" */
	tm_hmap outputs, calls; /* output name -> bound * of its value; module call name -> bound * of its body */
	bool called;     /* some other module calls it with a local source */
	bool active;     /* on the call stack now */
	bool done;       /* evaluated at least once */
} module;

typedef struct {
	tm_ingest_ctx *ctx;
	tm_file *out;
	module *mods;
	size_t nmods;
	tm_hmap by_dir;      /* dir -> module * */
	tm_value *resources; /* the output list */
	size_t work;         /* resolve() calls, against EVAL_BUDGET */
	size_t instances;    /* against MAX_INSTANCES */
	bool spent;          /* the budget ran out (said once) */
	int oom;
} eval;

/* The iterator of a dynamic block being generated: NAME.key and NAME.value; value NULL when the
 * block's for_each is not known (every reference to it is then unknown). */
typedef struct iter {
	const char *name;
	const tm_value *key, *value;
	const struct iter *up;
} iter;

/* A module instance being evaluated: its module and the arguments of the call that made it. */
typedef struct inst {
	module *m;
	const struct inst *caller;
	const tm_value *args; /* the module block's body in the caller, or NULL for a root module */
	tm_tf_src *args_src;
	int depth;
	const char *path;     /* its module path ("module.a.module.b."; NULL at the root), before addresses */
	const iter *it;       /* the dynamic blocks being generated here, innermost first */
} inst;

static const struct {
	const char *type, *attr;
} naming[] = {
	{"aws_iam_role", "name"},
	{"aws_iam_policy", "name"},
	{"aws_s3_bucket", "bucket"},
	{"aws_security_group", "name"},
	{"aws_db_instance", "identifier"},
	{"aws_rds_cluster", "cluster_identifier"},
	{"aws_eks_cluster", "name"},
	{"google_service_account", "account_id"},
	{"google_iam_workload_identity_pool", "workload_identity_pool_id"},
	{"google_storage_bucket", "name"},
	{"google_sql_database_instance", "name"},
	{"google_container_cluster", "name"},
	{"google_redis_instance", "name"},
	{"google_compute_firewall", "name"},
	{"azurerm_user_assigned_identity", "name"},
	{"azurerm_storage_account", "name"},
	{"azurerm_storage_container", "name"},
	{"azurerm_network_security_group", "name"},
	{"azurerm_kubernetes_cluster", "name"},
	{"aws_lambda_function", "function_name"},
	{"aws_apigatewayv2_api", "name"},
	{"aws_api_gateway_rest_api", "name"},
	{"aws_dynamodb_table", "name"},
	{"aws_sqs_queue", "name"},
	{"aws_sns_topic", "name"},
	{"aws_secretsmanager_secret", "name"},
	/* ECS and its load balancers (tf_aws_ecs.c) */
	{"aws_ecs_cluster", "name"},
	{"aws_ecs_service", "name"},
	{"aws_ecs_task_definition", "family"},
	{"aws_lb", "name"},
	{"aws_alb", "name"},
	{"aws_lb_target_group", "name"},
	{"aws_lb_listener", "arn"}, /* no name: a reference through a variable keeps the address */
	{"aws_alb_listener", "arn"},
	{"aws_alb_target_group", "name"},
	{"aws_service_discovery_service", "name"},
	{"aws_service_discovery_private_dns_namespace", "name"},
	{"aws_service_discovery_public_dns_namespace", "name"},
	{"aws_service_discovery_http_namespace", "name"},
};

static const char *name_attr(const char *type)
{
	for (size_t i = 0; type && i < TM_ARRAY_LEN(naming); i++)
		if (strcmp(naming[i].type, type) == 0)
			return naming[i].attr;
	return NULL;
}

static void *put_key(eval *e, tm_hmap *m, const char *key, void *val)
{
	char *k = tm_arena_strdup(e->ctx->scratch, key);
	if (!k || tm_hmap_put(m, k, strlen(k), val))
		e->oom = 1;
	return val;
}

static bound *bind(eval *e, tm_tf_src *src, const tm_value *v)
{
	bound *b = tm_arena_alloc(e->ctx->scratch, sizeof(*b));
	if (!b) {
		e->oom = 1;
		return NULL;
	}
	b->f = src->f;
	b->v = v;
	b->src = src;
	return b;
}

static const char *str_of(const tm_value *v)
{
	return tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
}

/* Every pair of a body whose key is key (blocks repeat; JSON syntax gives one object or a list). */
#define EACH_PAIR(body, i, key)                                                                    \
	for (size_t i = 0; i < tm_value_len(body); i++)                                            \
		if (str_of(tm_map_key((body), i)) && strcmp(str_of(tm_map_key((body), i)), (key)) == 0)

/* The objects a block value holds: itself (an object) or its items (a list, JSON syntax). */
static size_t block_count(const tm_value *v)
{
	return tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_value_len(v) : tm_value_kind_of(v) == TM_VALUE_MAP;
}

static const tm_value *block_at(const tm_value *v, size_t i)
{
	return tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_seq_at(v, i) : v;
}

/* Declarations of one source file into its module's maps. */
static void declare(eval *e, module *m, tm_tf_src *s)
{
	const tm_value *root = s->root;
	if (s->tfvars) {
		for (size_t i = 0; i < tm_value_len(root); i++)
			if (str_of(tm_map_key(root, i)))
				put_key(e, &m->tfvars, str_of(tm_map_key(root, i)), bind(e, s, tm_map_value(root, i)));
		return;
	}
	EACH_PAIR(root, i, "variable")
	{
		const tm_value *vs = tm_map_value(root, i);
		for (size_t k = 0; k < tm_value_len(vs); k++) {
			const tm_value *def = tm_map_get(block_at(tm_map_value(vs, k), 0), "default");
			if (def && str_of(tm_map_key(vs, k)))
				put_key(e, &m->vars, str_of(tm_map_key(vs, k)), bind(e, s, def));
		}
	}
	EACH_PAIR(root, i, "locals")
	{
		const tm_value *lv = tm_map_value(root, i);
		for (size_t b = 0; b < block_count(lv); b++) {
			const tm_value *blk = block_at(lv, b);
			for (size_t k = 0; k < tm_value_len(blk); k++)
				if (str_of(tm_map_key(blk, k)))
					put_key(e, &m->locals, str_of(tm_map_key(blk, k)), bind(e, s, tm_map_value(blk, k)));
		}
	}
	EACH_PAIR(root, i, "output")
	{
		const tm_value *os = tm_map_value(root, i);
		for (size_t k = 0; k < tm_value_len(os); k++) {
			const tm_value *val = tm_map_get(block_at(tm_map_value(os, k), 0), "value");
			if (val && str_of(tm_map_key(os, k)))
				put_key(e, &m->outputs, str_of(tm_map_key(os, k)), bind(e, s, val));
		}
	}
	EACH_PAIR(root, i, "module")
	{
		const tm_value *ms = tm_map_value(root, i);
		for (size_t k = 0; k < tm_value_len(ms); k++)
			if (str_of(tm_map_key(ms, k)))
				put_key(e, &m->calls, str_of(tm_map_key(ms, k)), bind(e, s, block_at(tm_map_value(ms, k), 0)));
	}
	static const char *const kinds[] = {"resource", "data"};
	for (size_t kd = 0; kd < 2; kd++)
		EACH_PAIR(root, i, kinds[kd])
		{
			const tm_value *types = tm_map_value(root, i);
			for (size_t t = 0; t < tm_value_len(types); t++) {
				const char *type = str_of(tm_map_key(types, t));
				const tm_value *names = tm_map_value(types, t);
				for (size_t n = 0; type && n < tm_value_len(names); n++) {
					const char *name = str_of(tm_map_key(names, n));
					char *key = name ? tm_arena_printf(e->ctx->scratch, "%s%s.%s", kd ? "data." : "", type, name) : NULL;
					if (key)
						put_key(e, &m->resources, key, bind(e, s, block_at(tm_map_value(names, n), 0)));
				}
			}
		}
}

/* ---- values -------------------------------------------------------------------------------- */

static tm_value *resolve(eval *e, const inst *in, tm_tf_src *src, const tm_value *v, int depth, bool body);

static tm_loc origin(tm_tf_src *src, const tm_value *v)
{
	tm_loc l = {src->path, tm_value_line(v), tm_value_col(v), NULL};
	return l;
}

static tm_value *unknown(eval *e, tm_tf_src *src, const tm_value *v, const char *text)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	size_t len = text ? strlen(text) : 0;
	if (len > 3 && text[0] == '$' && text[1] == '{' && tm_hcl_interp_end(text, len, 0) == len) /* one expression */
		tm_strbuf_printf(&sb, "unknown (%.*s)", (int)(len - 3), text + 2);
	else
		tm_strbuf_printf(&sb, "unknown (%s)", text ? text : "expression");
	tm_value *u = sb.oom ? NULL : tm_value_new_scalar(e->out, origin(src, v), TM_SCALAR_STR, sb.data, sb.len, true);
	tm_strbuf_dispose(&sb);
	if (!u)
		e->oom = 1;
	return u;
}

bool tm_tf__is_unknown(const tm_value *v)
{
	const char *s = str_of(v);
	return s && strncmp(s, "unknown (", 9) == 0;
}

bool tm_ingest__tf_unknown_image(const char *image, char *buf, size_t size)
{
	size_t n = image ? strlen(image) : 0;
	if (n < 11 || strncmp(image, "unknown (", 9) != 0 || image[n - 1] != ')')
		return false;
	const char *text = image + 9, *close = NULL;
	size_t tl = n - 10;
	for (size_t i = 0; i < tl; i++)
		if (text[i] == '}')
			close = text + i;
	const char *tag = close && (size_t)(close + 1 - text) < tl && close[1] == ':' ? close + 2 : NULL;
	size_t taglen = tag ? tl - (size_t)(tag - text) : 0;
	if (!taglen || strcspn(tag, "${}/@ ") < taglen || tm_formatf(buf, size, "image:%.*s", (int)taglen, tag) < 0)
		buf[0] = '\0';
	return true;
}

static bool is_template(const char *s)
{
	for (const char *p = s; p && (p = strpbrk(p, "$%")) != NULL; p++) {
		if (p[1] == '{' && (p == s || p[-1] != p[0]))
			return true;
	}
	return false;
}

/* One step of a traversal: .name, [0] or ["key"]; false at the end or on anything else. */
static bool next_step(const char **p, const char *end, char *out, size_t cap, bool *index)
{
	const char *s = *p;
	*index = false;
	if (s >= end)
		return false;
	size_t n = 0;
	if (*s == '.') {
		s++;
		while (s < end && *s != '.' && *s != '[' && n + 1 < cap)
			out[n++] = *s++;
	} else if (*s == '[') {
		s++;
		bool q = s < end && *s == '"';
		s += q;
		while (s < end && *s != (q ? '"' : ']') && n + 1 < cap)
			out[n++] = *s++;
		s += q;
		if (s >= end || *s != ']')
			return false;
		s++;
		*index = !q;
	} else {
		return false;
	}
	out[n] = '\0';
	*p = s;
	return n > 0;
}

/* Is text a plain traversal (identifiers, dots, literal indexes)? */
static bool plain_traversal(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.' || c == '[' || c == ']' || c == '"'))
			return false;
	}
	return len > 0;
}

/* Step into an evaluated value: a map key or a list index; NULL if absent. */
static const tm_value *step_into(const tm_value *v, const char *step, bool index)
{
	if (tm_value_kind_of(v) == TM_VALUE_SEQ) {
		char *endp;
		long i = strtol(step, &endp, 10);
		if (*endp || i < 0)
			return NULL;
		return tm_seq_at(v, (size_t)i);
	}
	(void)index;
	/* a block written once is a one-item list in the plan's shape: name.attr steps into it */
	return tm_map_get(v, step);
}

static tm_value *resource_attr(eval *e, const inst *in, const char *key, const char *attr, int depth);
static tm_value *policy_document(eval *e, const inst *in, const bound *b, int depth);

/* The value a module variable has in this instance. */
static tm_value *variable(eval *e, const inst *in, const char *name, int depth)
{
	if (in->args) {
		const tm_value *a = tm_map_get(in->args, name);
		if (a && in->caller)
			return resolve(e, in->caller, in->args_src, a, depth + 1, false);
	} else {
		bound *t = tm_hmap_get(&in->m->tfvars, name, strlen(name));
		if (t)
			return resolve(e, in, t->src, t->v, depth + 1, false);
	}
	bound *d = tm_hmap_get(&in->m->vars, name, strlen(name));
	return d ? resolve(e, in, d->src, d->v, depth + 1, false) : NULL;
}

/* A reference expression (text without "${}"), or NULL when it is not one we evaluate. */
static char *join_dir(tm_arena *a, const char *dir, const char *rel);
static bool local_source(const char *s);

/* module.CALL.OUTPUT: the output's value, evaluated in the instance the call makes (its arguments
 * the child's variables), when the call's source is a local directory of the scan; else NULL
 * (kept unknown). Bounded by the reference depth and the module depth. */
static tm_value *module_output(eval *e, const inst *in, const char *call, const char *out, int depth)
{
	bound *c = tm_hmap_get(&in->m->calls, call, strlen(call));
	const char *source = c ? str_of(tm_map_get(c->v, "source")) : NULL;
	if (!source || !local_source(source) || in->depth + 1 > TM_TF_MODULE_DEPTH)
		return NULL;
	char *dir = join_dir(e->ctx->scratch, in->m->dir, source);
	module *child = dir ? tm_hmap_get(&e->by_dir, dir, strlen(dir)) : NULL;
	bound *o = child ? tm_hmap_get(&child->outputs, out, strlen(out)) : NULL;
	if (!o || child == in->m)
		return NULL;
	const char *path = tm_arena_printf(e->ctx->scratch, "%smodule.%s.", in->path ? in->path : "", call);
	inst ci = {child, in, c->v, c->src, in->depth + 1, path, NULL};
	return resolve(e, &ci, o->src, o->v, depth + 1, false);
}

static tm_value *reference(eval *e, const inst *in, const char *text, size_t len, int depth)
{
	const char *end = text + len, *p = text;
	char root[128], a[128], b[128], c[128];
	size_t n = 0;
	while (p < end && *p != '.' && *p != '[' && n + 1 < sizeof(root))
		root[n++] = *p++;
	root[n] = '\0';
	bool idx;
	tm_value *v = NULL;
	const iter *it = in->it;
	while (it && strcmp(it->name, root) != 0)
		it = it->up;
	if (it) {
		/* NAME.value, NAME.key of a dynamic block: a copy of the item (it is placed where used) */
		if (!next_step(&p, end, a, sizeof(a), &idx) || idx || (strcmp(a, "value") != 0 && strcmp(a, "key") != 0))
			return NULL;
		const tm_value *item = strcmp(a, "key") == 0 ? it->key : it->value;
		if (!item)
			return NULL;
		v = tm_value_copy(e->out, e->out, item);
		if (!v)
			e->oom = 1;
	} else if (strcmp(root, "var") == 0 && next_step(&p, end, a, sizeof(a), &idx)) {
		v = variable(e, in, a, depth);
	} else if (strcmp(root, "local") == 0 && next_step(&p, end, a, sizeof(a), &idx)) {
		bound *l = tm_hmap_get(&in->m->locals, a, strlen(a));
		v = l ? resolve(e, in, l->src, l->v, depth + 1, false) : NULL;
	} else if (strcmp(root, "data") == 0 && next_step(&p, end, a, sizeof(a), &idx) &&
		   next_step(&p, end, b, sizeof(b), &idx) && next_step(&p, end, c, sizeof(c), &idx)) {
		char key[400];
		tm_formatf(key, sizeof(key), "data.%s.%s", a, b);
		bound *d = tm_hmap_get(&in->m->resources, key, strlen(key));
		if (d && strcmp(a, "aws_iam_policy_document") == 0 && strcmp(c, "json") == 0)
			v = policy_document(e, in, d, depth + 1);
		else if (d)
			v = resource_attr(e, in, key, c, depth + 1);
	} else if (strcmp(root, "path") == 0 && next_step(&p, end, a, sizeof(a), &idx) && !idx &&
		   (strcmp(a, "module") == 0 || strcmp(a, "root") == 0 || strcmp(a, "cwd") == 0)) {
		/* a directory is the reader's to place (tf_k8s.c reads files relative to it): kept as
		 * written, so that a template around it resolves ("${path.module}/values/prod.yaml") */
		char kept[32];
		tm_formatf(kept, sizeof(kept), "${path.%s}", a);
		v = tm_value_new_scalar(e->out, (tm_loc){in->m->srcs[0].path, 1, 1, NULL}, TM_SCALAR_STR, kept, strlen(kept), true);
		if (!v)
			e->oom = 1;
	} else if (strcmp(root, "module") == 0 && next_step(&p, end, a, sizeof(a), &idx) && !idx &&
		   next_step(&p, end, b, sizeof(b), &idx) && !idx) {
		v = module_output(e, in, a, b, depth + 1);
	} else if (strchr(root, '_') && next_step(&p, end, a, sizeof(a), &idx) && !idx &&
		   next_step(&p, end, b, sizeof(b), &idx) && !idx) {
		char key[400];
		tm_formatf(key, sizeof(key), "%s.%s", root, a);
		v = resource_attr(e, in, key, b, depth + 1);
	}
	/* further steps into what it resolved to */
	while (v && p < end) {
		if (!next_step(&p, end, a, sizeof(a), &idx))
			return NULL;
		const tm_value *s = step_into(v, a, idx);
		if (!s && tm_value_kind_of(v) == TM_VALUE_SEQ && tm_value_len(v) == 1)
			s = step_into(tm_seq_at(v, 0), a, idx);
		/* metadata[0].name, metadata.0.name: a block read as written is its list's one item */
		if (!s && tm_value_kind_of(v) == TM_VALUE_MAP && strcmp(a, "0") == 0)
			s = v;
		v = (tm_value *)(uintptr_t)s; /* ours: made in e->out */
	}
	return v;
}

/* The attribute attr of the resource key ("TYPE.NAME"): its value, or for id, the naming attribute
 * and a Google service account's email, the resource's name (its address when not literal). */
static tm_value *resource_attr(eval *e, const inst *in, const char *key, const char *attr, int depth)
{
	bound *r = tm_hmap_get(&in->m->resources, key, strlen(key));
	if (!r)
		return NULL;
	const char *dot = strchr(key, '.');
	char type[128];
	tm_formatf(type, sizeof(type), "%.*s", (int)(dot - key), key);
	const char *na = name_attr(strncmp(key, "data.", 5) == 0 ? NULL : type);
	bool naming_ref = na && (strcmp(attr, "id") == 0 || strcmp(attr, na) == 0 || strcmp(attr, "name") == 0 ||
				 strcmp(attr, "email") == 0 || strcmp(attr, "bucket") == 0 || strcmp(attr, "principal_id") == 0 ||
				 strcmp(attr, "client_id") == 0 || strcmp(attr, "arn") == 0 || strcmp(attr, "invoke_arn") == 0 ||
				 strcmp(attr, "url") == 0 || strcmp(attr, "stream_arn") == 0);
	const tm_value *a = tm_map_get(r->v, naming_ref ? na : attr);
	tm_value *v = a ? resolve(e, in, r->src, a, depth + 1, false) : NULL;
	if (naming_ref && (!v || tm_tf__is_unknown(v) ||
			   (tm_value_kind_of(v) == TM_VALUE_SCALAR && tm_scalar_type_of(v) == TM_SCALAR_NULL))) {
		/* its address, as the resource itself is named: with the instance's module path */
		const char *full = in->path ? tm_arena_printf(e->ctx->scratch, "%s%s", in->path, key) : key;
		if (!full)
			full = key;
		v = tm_value_new_scalar(e->out, origin(r->src, r->v), TM_SCALAR_STR, full, strlen(full), true);
		if (!v)
			e->oom = 1;
	}
	return v;
}

/* jsonencode(x): x parsed from the expression's text (HCL sources only), positioned where it is. */
static tm_value *jsonencode(eval *e, const inst *in, tm_tf_src *src, const tm_value *at, const char *arg, size_t len,
			    int depth)
{
	if (!src->aux) {
		src->aux = tm_file_new_rendered(src->path);
		if (!src->aux) {
			e->oom = 1;
			return NULL;
		}
	}
	tm_diag_list scratch;
	tm_diag_list_init(&scratch);
	const tm_value *x = tm_hcl_parse_expr(src->aux, arg, len, tm_value_line(at),
					      tm_value_col(at) + (uint32_t)strlen("jsonencode("), &scratch);
	tm_diag_list_dispose(&scratch);
	if (!x)
		return NULL;
	tm_tf_src view = *src;
	view.f = src->aux;
	return resolve(e, in, &view, x, depth + 1, false);
}

static tm_value *template(eval *e, const inst *in, tm_tf_src *src, const tm_value *v, int depth);

/* file("P"), templatefile("P", ...), under yamldecode or not: unknown (the files are not read
 * here), with the path's template resolved, so a reader of the tree can read the file. NULL when t
 * is no such call or its path does not resolve. */
static tm_value *file_call(eval *e, const inst *in, tm_tf_src *src, const tm_value *v, const char *t, size_t len,
			   int depth)
{
	static const char *const calls[] = {"yamldecode(file(", "yamldecode(templatefile(", "file(", "templatefile("};
	size_t pl = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(calls) && !pl; i++)
		if (len > strlen(calls[i]) && strncmp(t, calls[i], strlen(calls[i])) == 0)
			pl = strlen(calls[i]);
	if (!pl || t[pl] != '"')
		return NULL;
	size_t q = pl + 1;
	while (q < len && t[q] != '"' && t[q] != '\\')
		q++;
	if (q >= len || t[q] != '"')
		return NULL;
	tm_value *arg = tm_value_new_scalar(e->out, origin(src, v), TM_SCALAR_STR, t + pl + 1, q - pl - 1, true);
	tm_value *path = arg ? template(e, in, src, arg, depth + 1) : NULL;
	const char *ps = str_of(path);
	if (!ps || tm_tf__is_unknown(path))
		return NULL;
	char *text = tm_arena_printf(e->ctx->scratch, "%.*s%s%.*s", (int)(pl + 1), t, ps, (int)(len - q), t + q);
	return text ? unknown(e, src, v, text) : NULL;
}

/* One ${...} expression of v (text inside the braces). */
static tm_value *expression(eval *e, const inst *in, tm_tf_src *src, const tm_value *v, const char *t, size_t len,
			    int depth)
{
	while (len && (*t == ' ' || *t == '~'))
		t++, len--;
	while (len && (t[len - 1] == ' ' || t[len - 1] == '~'))
		len--;
	/* yamlencode's value is its argument's, as jsonencode's (a helm_release's values) */
	if (len > 12 && (strncmp(t, "jsonencode(", 11) == 0 || strncmp(t, "yamlencode(", 11) == 0) && t[len - 1] == ')')
		return jsonencode(e, in, src, v, t + 11, len - 12, depth);
	/* a conversion of a collection to another kind of collection: its argument's items */
	static const char *const conv[] = {"toset(", "tolist(", "tomap("};
	for (size_t i = 0; i < TM_ARRAY_LEN(conv); i++)
		if (len > strlen(conv[i]) + 1 && strncmp(t, conv[i], strlen(conv[i])) == 0 && t[len - 1] == ')' &&
		    plain_traversal(t + strlen(conv[i]), len - strlen(conv[i]) - 1))
			return reference(e, in, t + strlen(conv[i]), len - strlen(conv[i]) - 1, depth);
	tm_value *fc = file_call(e, in, src, v, t, len, depth);
	if (fc)
		return fc;
	if (plain_traversal(t, len))
		return reference(e, in, t, len, depth);
	return NULL;
}

/* A string template: every ${...} part must resolve to a scalar; directives are not evaluated.
 * When some part does not, the value is unknown, its text the template with the parts that did
 * resolve written in ("unknown (${aws_ecr_repository.app.repository_url}:latest)"): what is known
 * of it (an image's tag, a path's directory) stays readable. */
static tm_value *template(eval *e, const inst *in, tm_tf_src *src, const tm_value *v, int depth)
{
	size_t len;
	const char *s = tm_scalar_str(v, &len);
	size_t end0 = s[0] == '$' && s[1] == '{' ? tm_hcl_interp_end(s, len, 0) : 0;
	if (end0 == len) /* one expression: any value */
		return expression(e, in, src, v, s + 2, len - 3, depth);
	tm_strbuf sb = TM_STRBUF_INIT;
	bool ok = true, directive = false;
	for (size_t i = 0; i < len && !directive;) {
		if ((s[i] == '$' || s[i] == '%') && i + 2 < len && s[i + 1] == s[i] && s[i + 2] == '{') {
			tm_strbuf_put(&sb, ok ? s + i + 1 : s + i, ok ? 2 : 3); /* $${ is a literal ${ */
			i += 3;
		} else if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
			size_t end = tm_hcl_interp_end(s, len, i);
			const tm_value *part = end ? expression(e, in, src, v, s + i + 2, end - i - 3, depth) : NULL;
			const char *ps = str_of(part);
			if (ps && !tm_tf__is_unknown(part)) {
				tm_strbuf_puts(&sb, ps);
			} else {
				ok = false;
				tm_strbuf_put(&sb, s + i, end ? end - i : len - i); /* kept as written */
			}
			i = end ? end : len;
		} else if (s[i] == '%' && i + 1 < len && s[i + 1] == '{') {
			ok = false, directive = true; /* the template's text as written: no part of it is known */
		} else {
			tm_strbuf_putc(&sb, s[i++]);
		}
	}
	tm_value *r = NULL;
	if (!sb.oom && ok)
		r = tm_value_new_scalar(e->out, origin(src, v), TM_SCALAR_STR, sb.data ? sb.data : "", sb.len, true);
	else if (!sb.oom && !directive)
		r = unknown(e, src, v, sb.data ? sb.data : "");
	if (!r && !directive)
		e->oom = 1;
	tm_strbuf_dispose(&sb);
	return r;
}

/* The list of blocks named k in the body m being made (one list per name: written and generated
 * blocks together); NULL on ENOMEM. */
static tm_value *block_list(eval *e, tm_value *m, tm_hmap *lists, const char *k, const tm_value *at, tm_tf_src *src)
{
	tm_value *list = tm_hmap_get(lists, k, strlen(k));
	if (!list) {
		list = tm_value_new_seq(e->out, origin(src, at));
		if (!list || tm_map_append(e->out, m, k, list) || tm_hmap_put(lists, k, strlen(k), list)) {
			e->oom = 1;
			return NULL;
		}
	}
	return list;
}

/*
 * dynamic "NAME" { for_each = X; iterator = I; content { ... } }: one NAME block per item of X,
 * its content evaluated with I (NAME by default) bound to the item (I.key its index or map key,
 * I.value the item), as Terraform generates them. When X does not evaluate to a list or a map,
 * one block stands for all of them, every reference to the iterator unknown, and the body says
 * so ("dynamic NAME": unknown (for_each = X)), which a resource lists under "unresolved": a rule
 * block built from a variable the files do not hold is read, not dropped.
 */
static void dynamic(eval *e, const inst *in, tm_tf_src *src, const tm_value *dyn, int depth, tm_value *m,
		    tm_hmap *lists)
{
	for (size_t i = 0; tm_value_kind_of(dyn) == TM_VALUE_MAP && i < tm_value_len(dyn) && !e->oom; i++) {
		const char *name = str_of(tm_map_key(dyn, i));
		const tm_value *spec = block_at(tm_map_value(dyn, i), 0);
		const tm_value *content = block_at(tm_map_get(spec, "content"), 0);
		const tm_value *each = tm_map_get(spec, "for_each");
		if (!name || tm_value_kind_of(content) != TM_VALUE_MAP || !each)
			continue;
		/* iterator = I: written bare (an expression "${I}") or quoted (JSON syntax) */
		const char *itn = str_of(tm_map_get(spec, "iterator"));
		char itbuf[128];
		if (itn && itn[0] == '$' && itn[1] == '{' && tm_formatf(itbuf, sizeof(itbuf), "%s", itn + 2) >= 0) {
			itbuf[strcspn(itbuf, "} ")] = '\0';
			itn = itbuf;
		}
		tm_value *list = block_list(e, m, lists, name, content, src);
		tm_value *items = list ? resolve(e, in, src, each, depth + 1, false) : NULL;
		if (!list)
			return;
		inst ci = *in;
		iter it = {itn && *itn ? itn : name, NULL, NULL, in->it};
		ci.it = &it;
		tm_value_kind kind = tm_value_kind_of(items);
		if (kind == TM_VALUE_SEQ || kind == TM_VALUE_MAP) {
			for (size_t k = 0; k < tm_value_len(items) && !e->oom; k++) {
				char idx[24];
				tm_formatf(idx, sizeof(idx), "%zu", k);
				it.key = kind == TM_VALUE_MAP ? tm_map_key(items, k)
							      : tm_value_new_scalar(e->out, origin(src, each), TM_SCALAR_INT, idx,
										    strlen(idx), false);
				it.value = kind == TM_VALUE_MAP ? tm_map_value(items, k) : tm_seq_at(items, k);
				tm_value *r = it.key ? resolve(e, &ci, src, content, depth + 1, true) : NULL;
				if (!r || tm_seq_insert(e->out, list, tm_value_len(list), r))
					e->oom = 1;
			}
			continue;
		}
		tm_value *r = resolve(e, &ci, src, content, depth + 1, true);
		const char *et = str_of(each);
		char *what = tm_arena_printf(e->ctx->scratch, "for_each = %s", et ? et : "an expression");
		char *key = tm_arena_printf(e->ctx->scratch, "dynamic %s", name);
		tm_value *u = what && key ? unknown(e, src, each, what) : NULL;
		if (!r || !u || tm_seq_insert(e->out, list, tm_value_len(list), r) || tm_map_append(e->out, m, key, u))
			e->oom = 1;
	}
}

/* A map copied; in a resource body (body), blocks become lists: a literal object value, or a key
 * written more than once, is a list of objects, as a plan shows nested blocks. */
static tm_value *resolve_map(eval *e, const inst *in, tm_tf_src *src, const tm_value *v, int depth, bool body)
{
	tm_value *m = tm_value_new_map(e->out, origin(src, v));
	tm_hmap lists = TM_HMAP_INIT;
	for (size_t i = 0; m && i < tm_value_len(v) && !e->oom; i++) {
		const char *k = str_of(tm_map_key(v, i));
		const tm_value *val = tm_map_value(v, i);
		if (!k)
			continue;
		bool block = body && (tm_value_kind_of(val) == TM_VALUE_MAP ||
				      (tm_value_kind_of(val) == TM_VALUE_SEQ &&
				       tm_value_kind_of(tm_seq_at(val, 0)) == TM_VALUE_MAP));
		if (body && strcmp(k, "dynamic") == 0) {
			for (size_t b = 0; b < block_count(val); b++)
				dynamic(e, in, src, block_at(val, b), depth, m, &lists);
			continue;
		}
		if (!block) {
			tm_value *r = resolve(e, in, src, val, depth, false);
			if (r && tm_map_append(e->out, m, k, r))
				e->oom = 1;
			continue;
		}
		tm_value *list = block_list(e, m, &lists, k, val, src);
		if (!list)
			break;
		for (size_t b = 0; b < block_count(val); b++) {
			tm_value *r = resolve(e, in, src, block_at(val, b), depth, true);
			if (r && tm_seq_insert(e->out, list, tm_value_len(list), r))
				e->oom = 1;
		}
	}
	tm_hmap_dispose(&lists);
	if (!m)
		e->oom = 1;
	return m;
}

static tm_value *resolve(eval *e, const inst *in, tm_tf_src *src, const tm_value *v, int depth, bool body)
{
	if (e->oom)
		return NULL;
	if (depth > EVAL_DEPTH)
		return unknown(e, src, v, "reference chain too long");
	if (++e->work > EVAL_BUDGET) {
		if (!e->spent)
			tm_diag_add(e->ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, origin(src, v),
				    "terraform: evaluation stopped after %d values (limit); the rest is unknown", EVAL_BUDGET);
		e->spent = true;
		return unknown(e, src, v, "evaluation limit");
	}
	if (tm_value_kind_of(v) == TM_VALUE_MAP)
		return resolve_map(e, in, src, v, depth, body);
	if (tm_value_kind_of(v) == TM_VALUE_SEQ) {
		tm_value *s = tm_value_new_seq(e->out, origin(src, v));
		for (size_t i = 0; s && i < tm_value_len(v); i++) {
			tm_value *r = resolve(e, in, src, tm_seq_at(v, i), depth, body);
			if (r && tm_seq_insert(e->out, s, tm_value_len(s), r))
				e->oom = 1;
		}
		if (!s)
			e->oom = 1;
		return s;
	}
	const char *text = str_of(v);
	if (text && tm_scalar_type_of(v) == TM_SCALAR_STR && is_template(text)) {
		tm_value *r = template(e, in, src, v, depth);
		return r ? r : unknown(e, src, v, text);
	}
	tm_value *c = tm_value_copy(e->out, src->f, v);
	if (!c)
		e->oom = 1;
	return c;
}

/* data "aws_iam_policy_document": its statement blocks as the JSON policy they render. */
static void put_list(eval *e, tm_value *m, const char *key, tm_value *v)
{
	if (v && tm_map_append(e->out, m, key, v))
		e->oom = 1;
}

static tm_value *policy_document(eval *e, const inst *in, const bound *b, int depth)
{
	tm_value *doc = tm_value_new_map(e->out, origin(b->src, b->v));
	tm_value *sts = tm_value_new_seq(e->out, origin(b->src, b->v));
	/* the data source's body evaluated as a resource's is: its blocks lists, dynamic ones generated */
	tm_value *body = doc && sts ? resolve(e, in, b->src, b->v, depth, true) : NULL;
	if (!body || tm_map_append(e->out, doc, "Statement", sts)) {
		e->oom = 1;
		return NULL;
	}
	tm_value *blocks = tm_map_get_mut(body, "statement");
	for (size_t k = 0; k < tm_value_len(blocks) && !e->oom; k++) {
		tm_value *st = tm_seq_at_mut(blocks, k);
		tm_value *o = tm_value_new_map(e->out, tm_value_loc(e->out, st));
		if (!o || tm_seq_insert(e->out, sts, tm_value_len(sts), o)) {
			e->oom = 1;
			return NULL;
		}
		static const char *const lists[][2] = {{"effect", "Effect"}, {"actions", "Action"}, {"resources", "Resource"}};
		for (size_t l = 0; l < TM_ARRAY_LEN(lists); l++)
			put_list(e, o, lists[l][1], tm_map_get_mut(st, lists[l][0]));
		tm_value *pr = NULL, *cond = NULL;
		tm_value *ps = tm_map_get_mut(st, "principals"), *cs = tm_map_get_mut(st, "condition");
		for (size_t q = 0; q < tm_value_len(ps); q++) {
			tm_value *p = tm_seq_at_mut(ps, q);
			const char *type = str_of(tm_map_get(p, "type"));
			if (!type)
				continue;
			if (!pr && !(pr = tm_value_new_map(e->out, tm_value_loc(e->out, p))))
				e->oom = 1;
			put_list(e, pr, type, tm_map_get_mut(p, "identifiers"));
		}
		for (size_t q = 0; q < tm_value_len(cs); q++) {
			tm_value *c = tm_seq_at_mut(cs, q);
			const char *test = str_of(tm_map_get(c, "test")), *vs = str_of(tm_map_get(c, "variable"));
			if (!test || !vs)
				continue;
			if (!cond && !(cond = tm_value_new_map(e->out, tm_value_loc(e->out, c))))
				e->oom = 1;
			tm_value *op = tm_value_new_map(e->out, tm_value_loc(e->out, c));
			put_list(e, op, vs, tm_map_get_mut(c, "values"));
			put_list(e, cond, test, op);
		}
		put_list(e, o, "Principal", pr);
		put_list(e, o, "Condition", cond);
	}
	return doc;
}

/* ---- modules ----------------------------------------------------------------------------------- */

static void instance(eval *e, const inst *in);

static bool local_source(const char *s)
{
	return s && (strncmp(s, "./", 2) == 0 || strncmp(s, "../", 3) == 0);
}

/* dir joined with a relative source, "." and ".." folded; NULL if it climbs above the root. */
static char *join_dir(tm_arena *a, const char *dir, const char *rel)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, dir);
	for (const char *p = rel; *p && !sb.oom;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 2 && strncmp(p, "..", 2) == 0) {
			char *cut = sb.data ? strrchr(sb.data, '/') : NULL;
			if (!sb.len) {
				tm_strbuf_dispose(&sb);
				return NULL;
			}
			sb.len = cut ? (size_t)(cut - sb.data) : 0;
			sb.data[sb.len] = '\0';
		} else if (n && !(n == 1 && *p == '.')) {
			if (sb.len)
				tm_strbuf_putc(&sb, '/');
			tm_strbuf_put(&sb, p, n);
		}
		p += n + (slash != NULL);
	}
	char *r = sb.oom ? NULL : tm_arena_strdup(a, sb.data ? sb.data : "");
	tm_strbuf_dispose(&sb);
	return r;
}

static void calls(eval *e, const inst *in, bool follow)
{
	for (size_t s = 0; s < in->m->nsrcs; s++) {
		tm_tf_src *src = &in->m->srcs[s];
		if (src->tfvars)
			continue;
		EACH_PAIR(src->root, i, "module")
		{
			const tm_value *mods = tm_map_value(src->root, i);
			for (size_t k = 0; k < tm_value_len(mods); k++) {
				const tm_value *body = block_at(tm_map_value(mods, k), 0);
				const tm_value *sv = tm_map_get(body, "source");
				const char *source = str_of(sv);
				if (!source)
					continue;
				if (!local_source(source)) {
					/* "lambda" beside a directory lambda/: Terraform reads a source as a local
					 * path only when it starts with ./ or ../, else as a registry address */
					char *near = follow ? join_dir(e->ctx->scratch, in->m->dir, source) : NULL;
					bool beside = near && !strchr(source, ':') && tm_hmap_get(&e->by_dir, near, strlen(near));
					if (follow && beside)
						tm_diag_add(e->ctx->diags, 0, TM_LEVEL_NOTE, tm_value_loc(src->f, sv),
							    "terraform module %s: source %s is no local path (Terraform reads one only "
							    "when it starts with ./ or ../) but a registry address, though the "
							    "directory %s is in the repository; not followed (write ./%s if it is meant)",
							    str_of(tm_map_key(mods, k)), source, near, source);
					else if (follow)
						tm_diag_add(e->ctx->diags, 0, TM_LEVEL_NOTE, tm_value_loc(src->f, sv),
							    "terraform module %s: source %s is not in the repository, not followed",
							    str_of(tm_map_key(mods, k)), source);
					continue;
				}
				char *dir = join_dir(e->ctx->scratch, in->m->dir, source);
				module *child = dir ? tm_hmap_get(&e->by_dir, dir, strlen(dir)) : NULL;
				if (!child)
					continue;
				if (!follow) {
					child->called = true;
					continue;
				}
				if (child->active || in->depth + 1 > TM_TF_MODULE_DEPTH || e->instances >= MAX_INSTANCES) {
					tm_diag_add(e->ctx->diags, 0, TM_LEVEL_NOTE, tm_value_loc(src->f, sv),
						    "terraform module %s: %s not followed (a cycle, deeper than %d calls, or over %d instances)",
						    str_of(tm_map_key(mods, k)), source, TM_TF_MODULE_DEPTH, MAX_INSTANCES);
					continue;
				}
				const char *call = str_of(tm_map_key(mods, k));
				const char *path = tm_arena_printf(e->ctx->scratch, "%smodule.%s.", in->path ? in->path : "",
								   call ? call : "?");
				inst ci = {child, in, body, src, in->depth + 1, path, NULL};
				instance(e, &ci);
			}
		}
	}
}

/* The resources of one module instance into the output list. */
static void instance(eval *e, const inst *in)
{
	in->m->active = in->m->done = true;
	e->instances++;
	for (size_t s = 0; s < in->m->nsrcs && !e->oom; s++) {
		tm_tf_src *src = &in->m->srcs[s];
		if (src->tfvars)
			continue;
		EACH_PAIR(src->root, i, "resource")
		{
			const tm_value *types = tm_map_value(src->root, i);
			for (size_t t = 0; t < tm_value_len(types) && !e->oom; t++) {
				const char *type = str_of(tm_map_key(types, t));
				const tm_value *names = tm_map_value(types, t);
				for (size_t n = 0; type && n < tm_value_len(names); n++) {
					const char *name = str_of(tm_map_key(names, n));
					const tm_value *body = block_at(tm_map_value(names, n), 0);
					if (!name || tm_value_kind_of(body) != TM_VALUE_MAP)
						continue;
					tm_value *vals = resolve(e, in, src, body, 0, true);
					char *addr = tm_arena_printf(e->ctx->scratch, "%s%s.%s", in->path ? in->path : "", type, name);
					tm_value *r = tm_value_new_map(e->out, origin(src, body));
					tm_value *unres = tm_value_new_seq(e->out, origin(src, body));
					if (!vals || !addr || !r || !unres) {
						e->oom = 1;
						return;
					}
					/* unresolved top-level attributes are listed; an unknown name becomes the address */
					const char *na = name_attr(type);
					for (size_t k = 0; k < tm_value_len(vals); k++) {
						tm_value *val = tm_map_value_mut(vals, k);
						const char *key = str_of(tm_map_key(vals, k));
						/* a naming attribute set to null: the provider names it (name_prefix, or a
						 * generated name), which the files do not hold: the address stands in */
						if (na && key && strcmp(key, na) == 0 && tm_value_kind_of(val) == TM_VALUE_SCALAR &&
						    tm_scalar_type_of(val) == TM_SCALAR_NULL) {
							tm_value *av = tm_value_new_scalar(e->out, origin(src, val), TM_SCALAR_STR, addr,
											   strlen(addr), true);
							if (!av || tm_map_set(e->out, vals, key, av))
								e->oom = 1;
							continue;
						}
						if (!tm_tf__is_unknown(val))
							continue;
						char *note = tm_arena_printf(e->ctx->scratch, "%s: %s", key, str_of(val));
						tm_value *nv = note ? tm_value_new_scalar(e->out, origin(src, val), TM_SCALAR_STR, note,
											strlen(note), true) : NULL;
						if (!nv || tm_seq_insert(e->out, unres, tm_value_len(unres), nv))
							e->oom = 1;
						if (na && strcmp(key, na) == 0) {
							tm_value *av = tm_value_new_scalar(e->out, origin(src, val), TM_SCALAR_STR, addr,
											   strlen(addr), true);
							if (!av || tm_map_set(e->out, vals, key, av))
								e->oom = 1;
						}
					}
					if (na && !tm_map_get(vals, na)) {
						tm_value *av = tm_value_new_scalar(e->out, origin(src, body), TM_SCALAR_STR, addr,
										   strlen(addr), true);
						if (!av || tm_map_append(e->out, vals, na, av))
							e->oom = 1;
					}
					tm_value *tv = tm_value_new_scalar(e->out, origin(src, body), TM_SCALAR_STR, type, strlen(type), true);
					tm_value *nmv = tm_value_new_scalar(e->out, origin(src, body), TM_SCALAR_STR, name, strlen(name), true);
					tm_value *av = tm_value_new_scalar(e->out, origin(src, body), TM_SCALAR_STR, addr, strlen(addr), true);
					/* the root module it was evaluated in (Terraform's working directory: tf_k8s.c) */
					const inst *top = in;
					while (top->caller)
						top = top->caller;
					tm_value *rv = tm_value_new_scalar(e->out, origin(src, body), TM_SCALAR_STR, top->m->dir,
									   strlen(top->m->dir), true);
					if (!tv || !nmv || !av || !rv || tm_map_append(e->out, r, "type", tv) || tm_map_append(e->out, r, "name", nmv) ||
					    tm_map_append(e->out, r, "address", av) || tm_map_append(e->out, r, "root", rv) ||
					    tm_map_append(e->out, r, "values", vals) ||
					    tm_map_append(e->out, r, "unresolved", unres) ||
					    tm_seq_insert(e->out, e->resources, tm_value_len(e->resources), r))
						e->oom = 1;
				}
			}
		}
	}
	calls(e, in, true);
	in->m->active = false;
}

static int src_cmp(const void *a, const void *b)
{
	const tm_tf_src *x = a, *y = b;
	int c = strcmp(x->dir, y->dir);
	return c ? c : strcmp(x->path, y->path);
}

const tm_value *tm_tf__eval(tm_ingest_ctx *ctx, tm_file *out, tm_tf_src *srcs, size_t n)
{
	eval e;
	memset(&e, 0, sizeof(e));
	e.ctx = ctx;
	e.out = out;
	if (!n)
		return NULL;
	qsort(srcs, n, sizeof(*srcs), src_cmp);
	e.mods = tm_calloc(n, sizeof(*e.mods));
	tm_loc top = {srcs[0].path, 1, 1, NULL};
	tm_value *root = tm_value_new_map(out, top), *pv = tm_value_new_map(out, top), *rm = tm_value_new_map(out, top);
	e.resources = tm_value_new_seq(out, top);
	if (!e.mods || !root || !pv || !rm || !e.resources || tm_map_append(out, root, "planned_values", pv) ||
	    tm_map_append(out, pv, "root_module", rm) || tm_map_append(out, rm, "resources", e.resources))
		e.oom = 1;
	for (size_t i = 0; i < n && !e.oom; i++) {
		if (!e.nmods || strcmp(e.mods[e.nmods - 1].dir, srcs[i].dir) != 0) {
			module *m = &e.mods[e.nmods++];
			m->dir = srcs[i].dir;
			m->srcs = &srcs[i];
			if (tm_hmap_put(&e.by_dir, m->dir, strlen(m->dir), m))
				e.oom = 1;
		}
		module *m = &e.mods[e.nmods - 1];
		m->nsrcs++;
		declare(&e, m, &srcs[i]);
	}
	/* a module that another calls with a local source is evaluated through its calls */
	for (size_t i = 0; i < e.nmods && !e.oom; i++) {
		inst in = {&e.mods[i], NULL, NULL, NULL, 0, NULL, NULL};
		calls(&e, &in, false);
	}
	for (size_t i = 0; i < e.nmods && !e.oom; i++)
		if (!e.mods[i].called) {
			inst in = {&e.mods[i], NULL, NULL, NULL, 0, NULL, NULL};
			instance(&e, &in);
		}
	/* modules only called from a cycle of calls are evaluated once as roots */
	for (size_t i = 0; i < e.nmods && !e.oom; i++)
		if (!e.mods[i].done) {
			inst in = {&e.mods[i], NULL, NULL, NULL, 0, NULL, NULL};
			instance(&e, &in);
		}
	for (size_t i = 0; i < e.nmods; i++) {
		tm_hmap_dispose(&e.mods[i].vars);
		tm_hmap_dispose(&e.mods[i].tfvars);
		tm_hmap_dispose(&e.mods[i].locals);
		tm_hmap_dispose(&e.mods[i].resources);
		tm_hmap_dispose(&e.mods[i].outputs);
		tm_hmap_dispose(&e.mods[i].calls);
	}
	tm_hmap_dispose(&e.by_dir);
	tm_free(e.mods);
	if (e.oom || tm_arena_failed(ctx->scratch) || tm_file_add_doc(out, root)) {
		tm_arena_set_failed(ctx->scratch);
		return NULL;
	}
	return root;
}

/* ---- raw state, version 3 ------------------------------------------------------------------ */

/* Set the flattened key path (a.0.b) to val under m, making maps on the way; counts (# and %) skipped. */
static void unflatten(tm_file *out, tm_value *m, const char *key, const tm_value *val, const tm_file *from, int *oom)
{
	const char *dot = strchr(key, '.');
	char part[256];
	size_t n = dot ? (size_t)(dot - key) : strlen(key);
	if (n >= sizeof(part) || *oom)
		return;
	memcpy(part, key, n);
	part[n] = '\0';
	if (!dot) {
		if (strcmp(part, "#") == 0 || strcmp(part, "%") == 0)
			return;
		tm_value *c = tm_value_copy(out, from, val);
		if (!c || tm_map_set(out, m, part, c))
			*oom = 1;
		return;
	}
	if (strcmp(dot + 1, "#") == 0 || strcmp(dot + 1, "%") == 0) { /* a list or map whose items follow */
		if (!tm_map_get(m, part)) {
			tm_value *c = tm_value_new_map(out, tm_value_loc(from, val));
			if (!c || tm_map_set(out, m, part, c))
				*oom = 1;
		}
		return;
	}
	tm_value *child = tm_map_get_mut(m, part);
	if (!child) {
		child = tm_value_new_map(out, tm_value_loc(from, val));
		if (!child || tm_map_set(out, m, part, child)) {
			*oom = 1;
			return;
		}
	}
	if (tm_value_kind_of(child) == TM_VALUE_MAP)
		unflatten(out, child, dot + 1, val, from, oom);
}

/* Maps whose keys are all indexes or set hashes (digits) become lists, as version 4 shows them. */
static tm_value *listify(tm_file *out, tm_value *v, int *oom, int depth)
{
	if (tm_value_kind_of(v) != TM_VALUE_MAP || depth > 32)
		return v;
	bool digits = tm_value_len(v) > 0;
	for (size_t i = 0; i < tm_value_len(v); i++) {
		tm_value *c = listify(out, tm_map_value_mut(v, i), oom, depth + 1);
		if (c != tm_map_value(v, i) && tm_map_set(out, v, str_of(tm_map_key(v, i)), c))
			*oom = 1;
		const char *k = str_of(tm_map_key(v, i));
		for (const char *p = k; p && *p; p++)
			digits = digits && *p >= '0' && *p <= '9';
	}
	if (!digits)
		return v;
	tm_loc at = {NULL, tm_value_line(v), tm_value_col(v), NULL};
	tm_value *s = tm_value_new_seq(out, at);
	for (size_t i = 0; s && i < tm_value_len(v); i++)
		if (tm_seq_insert(out, s, tm_value_len(s), tm_map_value_mut(v, i)))
			*oom = 1;
	if (!s)
		*oom = 1;
	return s ? s : v;
}

const tm_value *tm_tf__state_v3(tm_file *out, const tm_file *from, const tm_value *root)
{
	int oom = 0;
	tm_loc top = tm_value_loc(from, root);
	tm_value *doc = tm_value_new_map(out, top), *vals = tm_value_new_map(out, top), *rm = tm_value_new_map(out, top);
	tm_value *list = tm_value_new_seq(out, top);
	if (!doc || !vals || !rm || !list || tm_map_append(out, doc, "values", vals) ||
	    tm_map_append(out, vals, "root_module", rm) || tm_map_append(out, rm, "resources", list))
		return NULL;
	const tm_value *mods = tm_map_get(root, "modules");
	for (size_t i = 0; i < tm_value_len(mods) && !oom; i++) {
		const tm_value *rs = tm_map_get(tm_seq_at(mods, i), "resources");
		for (size_t k = 0; k < tm_value_len(rs) && !oom; k++) {
			const tm_value *r = tm_map_value(rs, k);
			const char *type = tm_map_get_str(r, "type");
			const tm_value *attrs = tm_map_get(tm_map_get(r, "primary"), "attributes");
			if (!type || !attrs)
				continue;
			tm_loc at = tm_value_loc(from, r);
			tm_value *o = tm_value_new_map(out, at), *v = tm_value_new_map(out, at);
			tm_value *tv = tm_value_new_scalar(out, at, TM_SCALAR_STR, type, strlen(type), true);
			if (!o || !v || !tv || tm_map_append(out, o, "type", tv)) {
				oom = 1;
				break;
			}
			for (size_t a = 0; a < tm_value_len(attrs) && a < V3_MAX_ATTRS && !oom; a++) {
				const char *key = str_of(tm_map_key(attrs, a));
				if (key)
					unflatten(out, v, key, tm_map_value(attrs, a), from, &oom);
			}
			tm_value *lv = listify(out, v, &oom, 0);
			if (tm_map_append(out, o, "values", lv) || tm_seq_insert(out, list, tm_value_len(list), o))
				oom = 1;
		}
	}
	if (oom || tm_file_add_doc(out, doc))
		return NULL;
	return doc;
}
