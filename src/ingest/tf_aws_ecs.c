/*
 * tf_aws_ecs.c - containers on AWS ECS (Fargate or EC2) and the load balancers in front of them, in
 * Terraform: each service a workload, each internet-facing load balancer a gateway whose listeners
 * and rules route to the services.
 *
 *   aws_ecs_service          -> workload "service:ecs:<cluster>/<name>" (boundary "ecs:<cluster>" in
 *                               the cloud): the containers of its task definition, runs-as its task
 *                               role, its names on the network (Service Connect, Cloud Map)
 *   aws_ecs_task_definition  -> its container_definitions (jsonencode([...]), a JSON string or a
 *                               heredoc, as a plan's JSON string): images, ports, the credentials
 *                               written in `environment`, `secrets` taken from Secrets Manager or
 *                               SSM (valueFrom: the good shape), privileged, user,
 *                               readonlyRootFilesystem, linuxParameters.capabilities, host volumes,
 *                               network_mode host; a definition no service runs is a workload of
 *                               its own ("service:ecs:task-definition/<family>")
 *   aws_lb / aws_alb         -> gateway "gateway:aws-alb:<name>" (aws-nlb for a network one): routed
 *                               from the internet unless `internal` (then from the private network);
 *                               an `internal` the files do not decide is analysed as internet-facing,
 *                               said on the node and in a note
 *   aws_lb_listener(_rule)   -> routes from the gateway to the services registered in the target
 *                               groups their forward actions name, with the rule's paths and hosts
 *                               and the check an authenticate-oidc / authenticate-cognito action
 *                               makes; a plain HTTP listener that forwards makes the gateway's `tls`
 *                               false (TM-MESH-013), one that only redirects does not
 *   aws_lb_target_group      -> joined to the services whose load_balancer blocks name it
 *   aws_security_group (+ aws_security_group_rule, aws_vpc_security_group_ingress_rule) -> a service
 *                               with assign_public_ip whose group admits 0.0.0.0/0 (or ::/0) on a
 *                               port of its containers is routed from the internet directly
 *   aws_service_discovery_service (+ its namespace) -> names the services answer to; an address in a
 *                               container's environment naming one is a call
 *
 * References are resolved as tf_aws_api.c resolves them (an evaluated reference keeps its address,
 * "unknown (aws_lb.web.arn)"; plans and states hold ARNs and ids). What cannot be resolved stays
 * stated: the node's `unresolved` list, or one note per kind of thing left unlinked. Linear: every
 * resource is indexed once by address, id and name; each reference is one lookup; a forward action
 * costs the services registered in its target group.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "k8s.h"
#include "parse/hcl.h"
#include "terraform.h"

#define MAX_CONTAINERS 64 /* per task definition (ECS allows 10) */
#define MAX_ITEMS 256     /* items read of one list (environment, ports, rule values) */
#define MAX_FORWARD 16    /* target groups of one action */

enum { OWN = TM_TF_ECS_OWN, WATCH = TM_TF_ECS_WATCH };

/* Resource types read here: the type under which they are indexed (aws_alb is aws_lb), the attribute
 * naming them, and whether terraform.c reads them as well (WATCH: security groups). */
static const struct {
	const char *type, *as, *name_attr;
	int role;
} TYPES[] = {
	{"aws_ecs_cluster", "aws_ecs_cluster", "name", OWN},
	{"aws_ecs_task_definition", "aws_ecs_task_definition", "family", OWN},
	{"aws_ecs_service", "aws_ecs_service", "name", OWN},
	{"aws_lb", "aws_lb", "name", OWN},
	{"aws_alb", "aws_lb", "name", OWN},
	{"aws_lb_listener", "aws_lb_listener", NULL, OWN},
	{"aws_alb_listener", "aws_lb_listener", NULL, OWN},
	{"aws_lb_listener_rule", "aws_lb_listener_rule", NULL, OWN},
	{"aws_alb_listener_rule", "aws_lb_listener_rule", NULL, OWN},
	{"aws_lb_target_group", "aws_lb_target_group", "name", OWN},
	{"aws_alb_target_group", "aws_lb_target_group", "name", OWN},
	{"aws_service_discovery_service", "aws_service_discovery_service", "name", OWN},
	{"aws_service_discovery_private_dns_namespace", "aws_service_discovery_namespace", "name", OWN},
	{"aws_service_discovery_public_dns_namespace", "aws_service_discovery_namespace", "name", OWN},
	{"aws_service_discovery_http_namespace", "aws_service_discovery_namespace", "name", OWN},
	{"aws_security_group_rule", "aws_security_group_rule", NULL, OWN},
	{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_ingress_rule", NULL, OWN},
	{"aws_security_group", "aws_security_group", "name", WATCH},
};

/* A world-open ingress rule of a security group. */
typedef struct open_rule {
	long lo, hi;  /* ports; all: every port */
	bool all;
	const char *what;
	tm_loc at;
	struct open_rule *next;
} open_rule;

struct rec;
/* A service registered in a target group (its load_balancer block). */
typedef struct member {
	struct rec *svc;
	const char *container, *port;
	tm_loc at;
	struct member *next;
} member;

typedef struct rec {
	const char *type, *addr, *id, *name, *prefix;
	const tm_value *vals, *unresolved;
	tm_loc loc;
	tm_node *node;        /* a service's workload, a load balancer's gateway */
	/* a task definition: its containers, and where their values are */
	const tm_value *containers;
	const tm_file *cf;    /* the file holding them (the evaluated document, or a parsed JSON string) */
	tm_loc base;          /* the string they were parsed from */
	int place;            /* PLACE_* */
	bool read, used;
	open_rule *open;      /* a security group's */
	member *members;      /* a target group's */
	bool forwards;        /* a listener that forwards to a target group (its own or its rules') */
	bool plaintext;       /* a listener taking plain HTTP */
	struct rec *lb;       /* a listener's load balancer */
	bool internal;        /* a load balancer reached from the private network only */
} rec;

enum { PLACE_OWN, PLACE_STRING, PLACE_HEREDOC };

struct tm_tf_ecs {
	tm_ingest_ctx *ctx;
	tm_arena *a;
	const tm_file *f;
	rec *recs;
	size_t n, cap;
	tm_hmap keys;     /* "type\x1f{a|i|n}\x1fkey" -> rec */
	tm_hmap hosts;    /* lowercased host name a service answers to -> rec */
	tm_pset routed;   /* gateway -> service edges (the weakest check stands) */
	tm_file **owned;  /* parsed container definitions */
	size_t nowned, cap_owned;
	size_t unlinked_tg, no_taskdef, no_defs, unlinked_listeners;
	tm_loc first_tg, first_taskdef, first_defs, first_listener;
};

/* ---- resources and references ------------------------------------------------------------------ */

int tm_tf__ecs_type(const char *type)
{
	for (size_t i = 0; type && i < TM_ARRAY_LEN(TYPES); i++)
		if (strcmp(TYPES[i].type, type) == 0)
			return TYPES[i].role;
	return 0;
}

tm_tf_ecs *tm_tf__ecs_new(tm_ingest_ctx *ctx, tm_arena *a, const tm_file *f)
{
	tm_tf_ecs *x = tm_calloc(1, sizeof(*x));
	if (x) {
		x->ctx = ctx;
		x->a = a;
		x->f = f;
	}
	return x;
}

void tm_tf__ecs_free(tm_tf_ecs *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nowned; i++)
		tm_file_free(x->owned[i]);
	tm_free(x->owned);
	tm_free(x->recs);
	tm_hmap_dispose(&x->keys);
	tm_hmap_dispose(&x->hosts);
	tm_pset_dispose(&x->routed);
	tm_free(x);
}

static bool unknown(const tm_value *v)
{
	return tm_tf__is_unknown(v);
}

/* A value's text, or NULL (a value evaluation could not decide counts as none). */
static const char *str(const tm_value *vals, const char *key)
{
	const tm_value *v = tm_map_get(vals, key);
	return unknown(v) || tm_value_kind_of(v) != TM_VALUE_SCALAR ? NULL : tm_scalar_str(v, NULL);
}

/* The text of a reference, resolved or not ("unknown (aws_lb.web.arn)" keeps the address). */
static const char *ref(const tm_value *vals, const char *key)
{
	const tm_value *v = tm_map_get(vals, key);
	return tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
}

/* The first object of a nested block (a list of one object in a plan's shape), or the value itself. */
static const tm_value *block(const tm_value *vals, const char *key)
{
	const tm_value *b = tm_map_get(vals, key);
	return tm_value_kind_of(b) == TM_VALUE_SEQ ? tm_seq_at(b, 0) : b;
}

/* The objects of a repeated block: n of them, the i-th. */
static size_t nblocks(const tm_value *v)
{
	return tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_value_len(v) : tm_value_kind_of(v) == TM_VALUE_MAP;
}

static const tm_value *block_at(const tm_value *v, size_t i)
{
	return tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_seq_at(v, i) : v;
}

/* true, "true": set; false when absent, false or not known. */
static bool is_true(const tm_value *v)
{
	bool b = false;
	if (v && !unknown(v) && !tm_scalar_bool(v, &b))
		return b;
	const char *s = tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
	return s && strcmp(s, "true") == 0;
}

static const char *canon(const char *type)
{
	for (size_t i = 0; i < TM_ARRAY_LEN(TYPES); i++)
		if (strcmp(TYPES[i].type, type) == 0)
			return TYPES[i].as;
	return type;
}

void tm_tf__ecs_add(tm_tf_ecs *x, const char *type, const char *addr, const tm_value *vals, const tm_value *unresolved,
		    tm_loc loc)
{
	if (!x || !tm_tf__ecs_type(type))
		return;
	if (TM_GROW(x->recs, x->cap, x->n + 1)) {
		tm_arena_set_failed(x->a);
		return;
	}
	rec *r = &x->recs[x->n++];
	memset(r, 0, sizeof(*r));
	r->type = canon(type);
	r->addr = addr;
	r->id = str(vals, "id");
	r->prefix = tm_tf__module_prefix(x->a, addr);
	if (!r->prefix)
		r->prefix = "";
	r->vals = vals;
	r->unresolved = unresolved;
	r->loc = loc;
	for (size_t i = 0; i < TM_ARRAY_LEN(TYPES); i++)
		if (strcmp(TYPES[i].type, type) == 0 && TYPES[i].name_attr)
			r->name = str(vals, TYPES[i].name_attr);
}

static void index_key(tm_tf_ecs *x, rec *r, char how, const char *key)
{
	tm_tf__index_put(&x->keys, x->a, r->type, how, key, r);
}

static rec *lookup(const tm_tf_ecs *x, const char *type, char how, const char *key, size_t klen)
{
	return tm_tf__index_get(&x->keys, type, how, key, klen);
}

/* The resource of type `as` an evaluated reference in s names by its address ("...TYPE.NAME...",
 * written TYPE being as or an alias of it, with its module path or within from's module), as
 * tf_aws_api.c's named() reads one. */
static rec *by_address(const tm_tf_ecs *x, const rec *from, const char *as, const char *type, const char *s)
{
	const char *cur = s, *full, *local;
	size_t flen, llen;
	while (tm_tf__next_address(s, type, &cur, &full, &flen, &local, &llen)) {
		rec *r = full < local ? lookup(x, as, 'a', full, flen) : NULL;
		char buf[600];
		int n = !r ? tm_formatf(buf, sizeof(buf), "%s%.*s", from ? from->prefix : "", (int)llen, local) : 0;
		if (!r && n > 0 && (size_t)n < sizeof(buf))
			r = lookup(x, as, 'a', buf, (size_t)n);
		if (r)
			return r;
	}
	return NULL;
}

/* The name an ARN (or a task definition's "family:revision") gives a resource of type as, in *len. */
static const char *arn_name(const char *as, const char *s, size_t *len)
{
	static const struct {
		const char *as, *marker, *stop;
	} marks[] = {
		{"aws_lb_target_group", ":targetgroup/", "/"}, {"aws_lb", ":loadbalancer/app/", "/"},
		{"aws_lb", ":loadbalancer/net/", "/"},         {"aws_ecs_cluster", ":cluster/", "/"},
		{"aws_ecs_task_definition", ":task-definition/", ":"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(marks); i++) {
		const char *m = strcmp(marks[i].as, as) == 0 ? strstr(s, marks[i].marker) : NULL;
		if (m) {
			m += strlen(marks[i].marker);
			*len = strcspn(m, marks[i].stop);
			return m;
		}
	}
	if (strcmp(as, "aws_ecs_task_definition") == 0 && strncmp(s, "arn:", 4) != 0) { /* "web:3" */
		*len = strcspn(s, ":");
		return s;
	}
	return NULL;
}

/* The resource of type as that s names: by the address in an evaluated reference, else by id (a
 * plan's), by name, or by the name its ARN carries. */
static rec *find(const tm_tf_ecs *x, const rec *from, const char *as, const char *s)
{
	if (!s || !*s)
		return NULL;
	for (size_t i = 0; i < TM_ARRAY_LEN(TYPES); i++) {
		rec *r = strcmp(TYPES[i].as, as) == 0 ? by_address(x, from, as, TYPES[i].type, s) : NULL;
		if (r)
			return r;
	}
	rec *r = lookup(x, as, 'i', s, strlen(s));
	if (!r)
		r = lookup(x, as, 'n', s, strlen(s));
	size_t len = 0;
	const char *nm = r ? NULL : arn_name(as, s, &len);
	return nm && len ? lookup(x, as, 'n', nm, len) : r;
}

/* What a reference names when no resource of the scan does: an ARN's last part, or the text. */
static const char *last_part(const char *s)
{
	const char *slash = s ? strrchr(s, '/') : NULL;
	return s && strncmp(s, "arn:", 4) == 0 && slash ? slash + 1 : s;
}

static void own_file(tm_tf_ecs *x, tm_file *f)
{
	if (TM_GROW(x->owned, x->cap_owned, x->nowned + 1)) {
		tm_file_free(f);
		tm_arena_set_failed(x->a);
		return;
	}
	x->owned[x->nowned++] = f;
}

/* ---- container definitions -------------------------------------------------------------------- */

/* Where a container's value is written: its own position (configuration), the line of a heredoc it
 * sits on, or the JSON string holding it (a plan's). */
static tm_loc at(const tm_tf_ecs *x, const rec *td, const tm_value *v)
{
	if (td->place == PLACE_OWN)
		return v ? tm_ingest__loc(td->cf ? td->cf : x->f, v) : td->loc;
	tm_loc l = td->base;
	if (td->place == PLACE_HEREDOC && v) {
		l.line = td->base.line + tm_value_line(v);
		l.col = tm_value_col(v);
		l.pointer = NULL;
	}
	return l;
}

/* A template's text with each ${...} outside a JSON string replaced by null, so that
 * `"containerPort": ${port}` parses; inside a string it stays, and reads as a value not known. */
static char *json_of_template(tm_arena *a, const char *s, size_t len)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	bool in_str = false;
	for (size_t i = 0; i < len && !sb.oom;) {
		char c = s[i];
		if (in_str && c == '\\' && i + 1 < len) {
			tm_strbuf_put(&sb, s + i, 2);
			i += 2;
			continue;
		}
		if (c == '"')
			in_str = !in_str;
		if (!in_str && (c == '$' || c == '%') && i + 1 < len && s[i + 1] == '{') {
			size_t end = tm_hcl_interp_end(s, len, i);
			if (!end || end <= i)
				break;
			tm_strbuf_puts(&sb, c == '$' ? "null" : "");
			i = end;
			continue;
		}
		tm_strbuf_putc(&sb, c);
		i++;
	}
	char *r = sb.oom ? NULL : tm_arena_strndup(a, sb.data ? sb.data : "", sb.len);
	tm_strbuf_dispose(&sb);
	return r;
}

/* Parse text as the JSON list of container definitions; NULL when it is not one. */
static const tm_value *parse_defs(tm_tf_ecs *x, const char *text, size_t len)
{
	tm_file *pf = tm_tf__parse_text(x->f, text, len);
	if (!pf)
		return NULL;
	own_file(x, pf);
	const tm_value *doc = tm_file_doc(pf, 0);
	return tm_value_kind_of(doc) == TM_VALUE_SEQ ? doc : NULL;
}

/* A task definition's containers, once: a list evaluated from jsonencode([...]), a JSON string
 * (a literal, a heredoc, a plan's), or a heredoc template whose interpolations did not resolve
 * (kept "unknown (<text>)", parsed with them as placeholders). Anything else is said. */
static void read_defs(tm_tf_ecs *x, rec *td)
{
	if (td->read)
		return;
	td->read = true;
	const tm_value *cd = tm_map_get(td->vals, "container_definitions");
	td->cf = x->f;
	if (tm_value_kind_of(cd) == TM_VALUE_SEQ) {
		td->containers = cd;
		return;
	}
	size_t len = 0;
	const char *text = tm_value_kind_of(cd) == TM_VALUE_SCALAR ? tm_scalar_str(cd, &len) : NULL;
	tm_loc where = cd ? tm_ingest__loc(x->f, cd) : td->loc;
	const char *why = NULL;
	if (cd && !text) {
		tm_diag_add(x->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, where,
			    "container_definitions of task definition %s is not a list of containers; its containers are "
			    "not modelled",
			    td->name ? td->name : td->addr);
	} else if (!text) {
		why = "no container_definitions";
	} else if (unknown(cd)) {
		/* "unknown (EXPR)": a template of JSON is read with its interpolations as placeholders;
		 * a function (file, templatefile, concat) or a variable is not read */
		const char *in = text + 9;
		size_t n = len > 10 ? len - 10 : 0;
		while (n && isspace((unsigned char)*in))
			in++, n--;
		if (n && (*in == '[' || *in == '{')) {
			char *json = json_of_template(x->a, in, n);
			td->containers = json ? parse_defs(x, json, strlen(json)) : NULL;
			if (!td->containers)
				tm_diag_add(x->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, where,
					    "container_definitions of task definition %s is a template that is not a JSON list "
					    "of containers; its containers are not modelled",
					    td->name ? td->name : td->addr);
		} else {
			why = tm_arena_printf(x->a, "%s, which is not read here", text);
		}
		if (td->containers) {
			td->cf = x->owned[x->nowned - 1];
			td->place = strchr(text, '\n') && where.path && strstr(where.path, ".tf") ? PLACE_HEREDOC : PLACE_STRING;
			td->base = where;
		}
	} else {
		td->containers = parse_defs(x, text, len);
		if (td->containers) {
			td->cf = x->owned[x->nowned - 1];
			/* a heredoc in a .tf file: its first line is the one after the marker's */
			td->place = strchr(text, '\n') && where.path && strstr(where.path, ".tf") &&
					    !strstr(where.path, ".tf.json") ? PLACE_HEREDOC : PLACE_STRING;
			td->base = where;
		} else {
			tm_diag_add(x->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, where,
				    "container_definitions of task definition %s is not a JSON list of containers; its "
				    "containers are not modelled",
				    td->name ? td->name : td->addr);
			td->containers = NULL;
		}
	}
	if (why && !td->containers) { /* said once for all of them; one that is not JSON was warned of */
		if (!x->no_defs++)
			x->first_defs = where;
	}
}

/* One list attribute of a container: at most MAX_ITEMS of its items are read (ECS takes fewer). */
static size_t items(const tm_value *v)
{
	size_t n = tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_value_len(v) : 0;
	return n > MAX_ITEMS ? MAX_ITEMS : n;
}

struct svc_ctx {
	tm_tf_ecs *x;
	rec *svc;    /* the service (NULL: a task definition no service runs) */
	rec *td;
	tm_node *n;
	const char *cname;
};

static void fact(struct svc_ctx *s, const char *key, const char *value, const tm_value *v)
{
	if (value)
		tm_mb_node_fact(s->x->ctx->mb, s->n, key, value, at(s->x, s->td, v));
}

/* A container's value the files do not decide: said on the workload. */
static void unresolved(struct svc_ctx *s, const char *what, const tm_value *v)
{
	const char *t = tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
	char *item = tm_arena_printf(s->x->a, "container %s %s: %s", s->cname, what, t ? t : "not known (a template's placeholder)");
	if (item)
		tm_mb_node_list_add(s->x->ctx->mb, s->n, "unresolved", item);
}

/* "${var.image}" left in a JSON string by a template: a value not known. */
static bool templated(const tm_value *v)
{
	const char *t = tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
	return unknown(v) || (t && strstr(t, "${"));
}

static void container_image(struct svc_ctx *s, const tm_value *c)
{
	const tm_value *iv = tm_map_get(c, "image");
	const char *img = tm_value_kind_of(iv) == TM_VALUE_SCALAR ? tm_scalar_str(iv, NULL) : NULL;
	if (!img)
		return;
	if (templated(iv)) {
		unresolved(s, "image", iv);
		/* known in part: its tag written after the last placeholder ("${aws_ecr_repository.app.
		 * repository_url}:latest", the evaluator writing in what resolved) is the image's tag */
		char probe[160];
		if (!tm_ingest__tf_unknown_image(img, probe, sizeof(probe)) || !*probe)
			return;
		char *shown = tm_arena_printf(s->x->a, "%.*s", (int)(strlen(img) - 10), img + 9);
		if (!shown)
			return;
		tm_mb_node_list_add(s->x->ctx->mb, s->n, "images", shown);
		fact(s, "images_unpinned", shown, iv);
		if (tm_ingest__image_floats(probe))
			fact(s, "images_floating", shown, iv);
		return;
	}
	tm_mb_node_list_add(s->x->ctx->mb, s->n, "images", img);
	if (strchr(img, '@'))
		return;
	fact(s, "images_unpinned", img, iv);
	if (tm_ingest__image_floats(img))
		fact(s, "images_floating", img, iv);
}

static void container_env(struct svc_ctx *s, const tm_value *c)
{
	const tm_value *env = tm_map_get(c, "environment");
	if (unknown(env))
		unresolved(s, "environment", env);
	for (size_t i = 0; i < items(env); i++) {
		const tm_value *e = tm_seq_at(env, i);
		const char *key = str(e, "name");
		const tm_value *vv = tm_map_get(e, "value");
		const char *val = tm_value_kind_of(vv) == TM_VALUE_SCALAR ? tm_scalar_str(vv, NULL) : NULL;
		if (!key || !val || templated(vv))
			continue;
		if (tm_k8s__literal_credential(key, val)) {
			char *item = tm_arena_printf(s->x->a, "%s/%s", s->cname, key);
			fact(s, "literal_credentials", item, vv);
		}
	}
	const tm_value *secrets = tm_map_get(c, "secrets");
	for (size_t i = 0; i < items(secrets); i++) {
		const tm_value *e = tm_seq_at(secrets, i);
		const char *key = str(e, "name");
		const tm_value *fv = tm_map_get(e, "valueFrom");
		const char *from = tm_value_kind_of(fv) == TM_VALUE_SCALAR ? tm_scalar_str(fv, NULL) : NULL;
		if (!key || !from)
			continue;
		/* Secrets Manager ("arn:aws:secretsmanager:...:secret:NAME-AbCdEf[:key::]", or the name a
		 * reference to the secret evaluates to) or SSM Parameter Store (":parameter/NAME") */
		bool ssm = strstr(from, ":ssm:") || strstr(from, "aws_ssm_parameter") || from[0] == '/';
		const char *name = from;
		const char *sm = strstr(from, ":secret:");
		if (sm)
			name = sm + 8;
		size_t nl = ssm ? strlen(name) : strcspn(name, ":");
		char *sname = tm_arena_strndup(s->x->a, name, nl);
		if (ssm || !sname || unknown(fv)) {
			fact(s, "secrets_from", tm_arena_printf(s->x->a, "%s/%s from %s %s", s->cname, key,
								ssm ? "ssm" : "secretsmanager", from), fv);
			continue;
		}
		char *id = tm_arena_printf(s->x->a, "secret:aws:secretsmanager:%s", sname);
		tm_node *sn = id ? tm_mb_find(s->x->ctx->mb, id) : NULL;
		size_t sl = strlen(sname);
		if (!sn && sm && sl > 7 && sname[sl - 7] == '-') { /* the six characters Secrets Manager adds */
			id = tm_arena_printf(s->x->a, "secret:aws:secretsmanager:%.*s", (int)(sl - 7), sname);
			sn = id ? tm_mb_find(s->x->ctx->mb, id) : NULL;
		}
		fact(s, "secrets_from", tm_arena_printf(s->x->a, "%s/%s from secretsmanager %s", s->cname, key,
							sn ? tm_node_name(sn) : sname), fv);
		tm_edge *ed = sn ? tm_mb_edge(s->x->ctx->mb, s->n, sn, TM_EDGE_MOUNTS, at(s->x, s->td, fv)) : NULL;
		if (ed)
			tm_mb_edge_list_add(s->x->ctx->mb, ed, "how",
					    tm_arena_printf(s->x->a, "ECS secret %s of container %s", key, s->cname));
	}
}

/* The host volumes of the task definition, by name: a container mounting one reaches the host's path. */
static const tm_value *host_volume(const rec *td, const char *name)
{
	const tm_value *vols = tm_map_get(td->vals, "volume");
	for (size_t i = 0; name && i < nblocks(vols) && i < MAX_ITEMS; i++) {
		const tm_value *v = block_at(vols, i);
		const char *vn = str(v, "name");
		if (vn && strcmp(vn, name) == 0 && str(v, "host_path"))
			return tm_map_get(v, "host_path");
	}
	return NULL;
}

static void container_posture(struct svc_ctx *s, const tm_value *c)
{
	tm_tf_ecs *x = s->x;
	const tm_value *pv = tm_map_get(c, "privileged");
	if (is_true(pv))
		fact(s, "privileged", s->cname, pv);
	const tm_value *uv = tm_map_get(c, "user");
	const char *u = tm_value_kind_of(uv) == TM_VALUE_SCALAR ? tm_scalar_str(uv, NULL) : NULL;
	if (u && !templated(uv) && tm_escape_root_user(u))
		fact(s, "runs_as_root", s->cname, uv);
	else if (!u)
		fact(s, "root_not_excluded", s->cname, NULL);
	const tm_value *ro = tm_map_get(c, "readonlyRootFilesystem");
	if (!is_true(ro))
		fact(s, "writable_root_fs", s->cname, ro ? ro : c);
	const tm_value *add = tm_map_get(tm_map_get(tm_map_get(c, "linuxParameters"), "capabilities"), "add");
	for (size_t i = 0; i < items(add); i++) {
		const char *cap = tm_scalar_str(tm_seq_at(add, i), NULL);
		char *item = cap ? tm_arena_printf(tm_mb_policy(x->ctx->mb)->arena, "%s:%s", s->cname, cap) : NULL;
		if (item)
			fact(s, "capabilities_added", item, tm_seq_at(add, i));
	}
	const tm_value *mps = tm_map_get(c, "mountPoints");
	for (size_t i = 0; i < items(mps); i++) {
		const tm_value *hp = host_volume(s->td, str(tm_seq_at(mps, i), "sourceVolume"));
		const char *p = hp ? tm_scalar_str(hp, NULL) : NULL;
		if (p)
			tm_mb_node_fact(x->ctx->mb, s->n, "host_paths", p, tm_ingest__loc(x->f, hp));
	}
	const tm_value *ports = tm_map_get(c, "portMappings");
	for (size_t i = 0; i < items(ports); i++) {
		const tm_value *cp = tm_map_get(tm_seq_at(ports, i), "containerPort");
		const char *p = tm_value_kind_of(cp) == TM_VALUE_SCALAR ? tm_scalar_str(cp, NULL) : NULL;
		if (p && *p && strspn(p, "0123456789") == strlen(p))
			tm_mb_node_list_add(x->ctx->mb, s->n, "ports", p);
		else /* a template's placeholder, a variable: the port is not known */
			unresolved(s, "port", cp && !(p && strcmp(p, "null") == 0) ? cp : NULL);
	}
}

/* The containers of a task definition as facts on workload n. */
static void containers(tm_tf_ecs *x, rec *svc, rec *td, tm_node *n)
{
	read_defs(x, td);
	tm_model_builder *mb = x->ctx->mb;
	tm_mb_node_str(mb, n, "task_definition", td->name ? td->name : td->addr);
	const char *mode = str(td->vals, "network_mode");
	if (mode)
		tm_mb_node_str(mb, n, "network_mode", mode);
	if (mode && strcmp(mode, "host") == 0)
		tm_mb_node_fact(mb, n, "host_namespaces", "network_mode: host", tm_ingest__loc(x->f, tm_map_get(td->vals, "network_mode")));
	for (size_t k = 0; k < tm_value_len(td->unresolved); k++) {
		const char *u = tm_scalar_str(tm_seq_at(td->unresolved, k), NULL);
		/* a template read with its interpolations as placeholders: each value not known is listed
		 * by itself (below), not the whole text */
		if (u && td->containers && strncmp(u, "container_definitions: ", 23) == 0)
			u = "container_definitions: a template, read with the values its interpolations give not known";
		tm_mb_node_list_add(mb, n, "unresolved", u);
	}
	/* its task role: the identity its containers act as (the execution role pulls images and secrets) */
	const tm_value *rv = tm_map_get(td->vals, "task_role_arn");
	const char *role = last_part(tm_value_kind_of(rv) == TM_VALUE_SCALAR ? tm_scalar_str(rv, NULL) : NULL);
	char *rid = role && !unknown(rv) ? tm_arena_printf(x->a, "identity:aws:%s", role) : NULL;
	tm_node *idn = rid ? tm_mb_find(mb, rid) : NULL;
	if (idn)
		tm_mb_edge(mb, n, idn, TM_EDGE_RUNS_AS, tm_ingest__loc(x->f, rv));
	/* the role by name, held or not (the services table's "runs as"); one not known is listed unresolved */
	if (role && !unknown(rv))
		tm_mb_node_str(mb, n, "role", role);
	const char *exec = last_part(str(td->vals, "execution_role_arn"));
	if (exec)
		tm_mb_node_str(mb, n, "execution_role", exec);
	if (!td->containers) {
		const tm_value *cd = tm_map_get(td->vals, "container_definitions");
		const char *t = tm_value_kind_of(cd) == TM_VALUE_SCALAR && unknown(cd) ? tm_scalar_str(cd, NULL) : NULL;
		tm_mb_node_list_add(mb, n, "unresolved",
				    tm_arena_printf(x->a, "container_definitions: %s", t ? t : "not read"));
		return;
	}
	size_t nc = tm_value_len(td->containers);
	for (size_t i = 0; i < nc && i < MAX_CONTAINERS; i++) {
		const tm_value *c = tm_seq_at(td->containers, i);
		struct svc_ctx s = {x, svc, td, n, str(c, "name")};
		if (tm_value_kind_of(c) != TM_VALUE_MAP) {
			s.cname = "?";
			unresolved(&s, "definition", c);
			continue;
		}
		if (!s.cname)
			s.cname = "?";
		tm_mb_node_list_add(mb, n, "containers", s.cname);
		container_image(&s, c);
		container_env(&s, c);
		container_posture(&s, c);
	}
	if (nc > MAX_CONTAINERS)
		tm_diag_add(x->ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, td->base.path ? td->base : td->loc,
			    "task definition %s lists %zu containers; the first %d are modelled", td->name ? td->name : td->addr,
			    nc, MAX_CONTAINERS);
}

/* ---- services ------------------------------------------------------------------------------------ */

static tm_node *workload(tm_tf_ecs *x, const char *cluster, const char *name, const char *kind, tm_loc loc)
{
	tm_model_builder *mb = x->ctx->mb;
	tm_mb_boundary(mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
	char *bid = tm_arena_printf(x->a, "ecs:%s", cluster);
	char *bname = tm_arena_printf(x->a, "ECS cluster %s", cluster);
	char *id = tm_arena_printf(x->a, "service:ecs:%s/%s", cluster, name);
	if (!bid || !bname || !id || !tm_mb_boundary(mb, TM_BOUNDARY_NAMESPACE, bid, bname, "cloud"))
		return NULL;
	tm_node *n = tm_mb_node(mb, TM_NODE_SERVICE, id, name, bid, loc);
	if (n) {
		tm_mb_node_str(mb, n, "workload", kind);
		tm_mb_node_str(mb, n, "platform", "aws-ecs");
		if (strcmp(kind, "EcsService") == 0)
			tm_mb_node_str(mb, n, "cluster", cluster);
	}
	return n;
}

static void add_host(tm_tf_ecs *x, rec *svc, const char *host)
{
	if (!host || !*host || strstr(host, "unknown ("))
		return;
	char *h = tm_arena_strdup(x->a, host);
	for (char *p = h; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!h || (!tm_hmap_get(&x->hosts, h, strlen(h)) && tm_hmap_put(&x->hosts, h, strlen(h), svc)))
		tm_arena_set_failed(x->a);
	else
		tm_mb_node_list_add(x->ctx->mb, svc->node, "hostnames", h);
}

/* The names a service answers to: Service Connect's discovery names and client aliases, and the
 * Cloud Map services its registries name ("<name>.<namespace>" and "<name>"). */
static void names(tm_tf_ecs *x, rec *svc)
{
	const tm_value *sc = block(svc->vals, "service_connect_configuration");
	if (sc && (is_true(tm_map_get(sc, "enabled")) || !tm_map_get(sc, "enabled"))) {
		const tm_value *ss = tm_map_get(sc, "service");
		for (size_t i = 0; i < nblocks(ss) && i < MAX_ITEMS; i++) {
			const tm_value *s = block_at(ss, i);
			add_host(x, svc, str(s, "discovery_name") ? str(s, "discovery_name") : str(s, "port_name"));
			const tm_value *ca = tm_map_get(s, "client_alias");
			for (size_t k = 0; k < nblocks(ca) && k < MAX_ITEMS; k++)
				add_host(x, svc, str(block_at(ca, k), "dns_name"));
		}
	}
	const tm_value *regs = tm_map_get(svc->vals, "service_registries");
	for (size_t i = 0; i < nblocks(regs) && i < MAX_ITEMS; i++) {
		const char *arn = ref(block_at(regs, i), "registry_arn");
		rec *sd = find(x, svc, "aws_service_discovery_service", arn);
		if (!sd || !sd->name)
			continue;
		add_host(x, svc, sd->name);
		const tm_value *dns = block(sd->vals, "dns_config");
		rec *ns = find(x, sd, "aws_service_discovery_namespace", ref(dns, "namespace_id"));
		if (!ns)
			ns = find(x, sd, "aws_service_discovery_namespace", ref(sd->vals, "namespace_id"));
		if (ns && ns->name)
			add_host(x, svc, tm_arena_printf(x->a, "%s.%s", sd->name, ns->name));
	}
}

/* A world-open rule of the group admitting port (NULL: any port). */
static const open_rule *admits(const rec *sg, const char *port)
{
	long p = port ? strtol(port, NULL, 10) : -1;
	for (const open_rule *o = sg->open; o; o = o->next)
		if (o->all || p < 0 || (p >= o->lo && p <= o->hi))
			return o;
	return NULL;
}

/* A service with a public address: the internet reaches it where one of its security groups admits
 * the whole internet on a port of its containers. */
static void public_ip(tm_tf_ecs *x, rec *svc)
{
	const tm_value *nc = block(svc->vals, "network_configuration");
	const tm_value *pub = tm_map_get(nc, "assign_public_ip");
	if (!is_true(pub))
		return;
	tm_model_builder *mb = x->ctx->mb;
	tm_mb_node_fact(mb, svc->node, "public_ip", "assign_public_ip", tm_ingest__loc(x->f, pub));
	const tm_value *sgs = tm_map_get(nc, "security_groups");
	const tm_attr *ports = tm_node_attr_get(svc->node, "ports");
	size_t known = 0, n = tm_value_kind_of(sgs) == TM_VALUE_SEQ ? tm_value_len(sgs) : 0;
	for (size_t i = 0; i < n && i < MAX_ITEMS; i++) {
		const tm_value *gv = tm_seq_at(sgs, i);
		rec *sg = find(x, svc, "aws_security_group", tm_scalar_str(gv, NULL));
		if (!sg)
			continue;
		known++;
		/* the ports its containers listen on (awsvpc: the task's own address) */
		const char *hit = NULL;
		const open_rule *o = NULL;
		for (size_t k = 0; ports && ports->type == TM_ATTR_LIST && ports->list[k] && !o; k++)
			if ((o = admits(sg, ports->list[k])) != NULL)
				hit = ports->list[k];
		if (!ports)
			o = admits(sg, NULL);
		if (!o)
			continue;
		tm_node *in = tm_ingest__internet(x->ctx);
		tm_edge *e = in ? tm_mb_edge(mb, in, svc->node, TM_EDGE_ROUTES, o->at) : NULL;
		if (!e)
			return;
		tm_mb_edge_str(mb, e, "via", "public IP (assign_public_ip)");
		tm_mb_edge_list_add(mb, e, "ports", hit ? hit : o->all ? "any" : tm_arena_printf(x->a, "%ld-%ld", o->lo, o->hi));
		if (!ports)
			tm_mb_edge_str(mb, e, "assumed",
				       "the ports its containers listen on are not known: taken to be among those the group opens");
		tm_mb_node_fact(mb, svc->node, "public_ip_open",
				tm_arena_printf(x->a, "security group %s: %s", sg->name ? sg->name : sg->addr, o->what), o->at);
		return;
	}
	if (known < n || !n)
		tm_diag_add(x->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(x->f, pub),
			    "ECS service %s has a public IP, and %s: whether the internet reaches it directly is not "
			    "known from the files",
			    svc->name ? svc->name : svc->addr,
			    n ? "some of its security groups are not in the scan" : "no security group is written");
}

static void service(tm_tf_ecs *x, rec *svc)
{
	tm_model_builder *mb = x->ctx->mb;
	const char *cl = ref(svc->vals, "cluster");
	rec *cr = find(x, svc, "aws_ecs_cluster", cl);
	const char *cluster = cr && cr->name ? cr->name : cl && !strstr(cl, "unknown (") ? last_part(cl) : "aws";
	const char *name = svc->name ? svc->name : svc->addr;
	svc->node = workload(x, cluster, name, "EcsService", svc->loc);
	if (!svc->node)
		return;
	const char *lt = str(svc->vals, "launch_type");
	tm_mb_node_str(mb, svc->node, "launch_type", lt ? lt : tm_map_get(svc->vals, "capacity_provider_strategy") ? "capacity provider" : "EC2");
	for (size_t k = 0; k < tm_value_len(svc->unresolved); k++)
		tm_mb_node_list_add(mb, svc->node, "unresolved", tm_scalar_str(tm_seq_at(svc->unresolved, k), NULL));
	const char *tdr = ref(svc->vals, "task_definition");
	rec *td = find(x, svc, "aws_ecs_task_definition", tdr);
	if (td) {
		td->used = true;
		containers(x, svc, td, svc->node);
	} else if (!x->no_taskdef++) {
		x->first_taskdef = svc->loc;
	}
	if (!td && !unknown(tm_map_get(svc->vals, "task_definition"))) /* else listed by evaluation already */
		tm_mb_node_list_add(mb, svc->node, "unresolved",
				    tm_arena_printf(x->a, "task_definition: %s (not in the scan)", tdr ? tdr : "none"));
	names(x, svc);
	/* the target groups that send it traffic */
	const tm_value *lbs = tm_map_get(svc->vals, "load_balancer");
	for (size_t i = 0; i < nblocks(lbs) && i < MAX_ITEMS; i++) {
		const tm_value *b = block_at(lbs, i);
		rec *tg = find(x, svc, "aws_lb_target_group", ref(b, "target_group_arn"));
		if (!tg) {
			if (!x->unlinked_tg++)
				x->first_tg = tm_ingest__loc(x->f, b);
			continue;
		}
		member *m = tm_arena_alloc(x->a, sizeof(*m));
		if (!m) {
			tm_arena_set_failed(x->a);
			return;
		}
		*m = (member){svc, str(b, "container_name"), str(b, "container_port"), tm_ingest__loc(x->f, b), tg->members};
		tg->members = m;
	}
}

/* ---- security groups --------------------------------------------------------------------------- */

static void open_add(tm_tf_ecs *x, rec *sg, const char *from, const char *to, const char *proto, tm_loc loc)
{
	open_rule *o = tm_arena_alloc(x->a, sizeof(*o));
	if (!sg || !o) {
		if (!o)
			tm_arena_set_failed(x->a);
		return;
	}
	o->all = !from || !proto || strcmp(proto, "-1") == 0 || strcmp(proto, "all") == 0;
	o->lo = from ? strtol(from, NULL, 10) : 0;
	o->hi = to ? strtol(to, NULL, 10) : o->lo;
	if (o->lo == 0 && o->hi == 0)
		o->all = true; /* 0-0 with protocol -1: every port */
	o->what = o->all ? "open to the internet on every port"
			 : tm_arena_printf(x->a, "open to the internet on %s %ld-%ld", proto, o->lo, o->hi);
	o->at = loc;
	o->next = sg->open;
	sg->open = o;
}

static bool world_in(const tm_value *v, const char *want)
{
	if (tm_value_kind_of(v) == TM_VALUE_SCALAR)
		return tm_scalar_str(v, NULL) && strcmp(tm_scalar_str(v, NULL), want) == 0;
	for (size_t i = 0; i < items(v); i++)
		if (world_in(tm_seq_at(v, i), want))
			return true;
	return false;
}

static void security_groups(tm_tf_ecs *x)
{
	for (size_t i = 0; i < x->n; i++) {
		rec *r = &x->recs[i];
		if (strcmp(r->type, "aws_security_group") == 0) {
			const tm_value *ing = tm_map_get(r->vals, "ingress");
			for (size_t k = 0; k < nblocks(ing) && k < MAX_ITEMS; k++) {
				const tm_value *b = block_at(ing, k);
				if (world_in(tm_map_get(b, "cidr_blocks"), "0.0.0.0/0") || world_in(tm_map_get(b, "ipv6_cidr_blocks"), "::/0"))
					open_add(x, r, str(b, "from_port"), str(b, "to_port"), str(b, "protocol"), tm_ingest__loc(x->f, b));
			}
		} else if (strcmp(r->type, "aws_security_group_rule") == 0) {
			const char *t = str(r->vals, "type");
			if (t && strcmp(t, "ingress") == 0 && (world_in(tm_map_get(r->vals, "cidr_blocks"), "0.0.0.0/0") ||
							       world_in(tm_map_get(r->vals, "ipv6_cidr_blocks"), "::/0")))
				open_add(x, find(x, r, "aws_security_group", ref(r->vals, "security_group_id")),
					 str(r->vals, "from_port"), str(r->vals, "to_port"), str(r->vals, "protocol"), r->loc);
		} else if (strcmp(r->type, "aws_vpc_security_group_ingress_rule") == 0) {
			const char *v4 = str(r->vals, "cidr_ipv4"), *v6 = str(r->vals, "cidr_ipv6");
			if ((v4 && strcmp(v4, "0.0.0.0/0") == 0) || (v6 && strcmp(v6, "::/0") == 0))
				open_add(x, find(x, r, "aws_security_group", ref(r->vals, "security_group_id")),
					 str(r->vals, "from_port"), str(r->vals, "to_port"), str(r->vals, "ip_protocol"), r->loc);
		}
	}
}

/* ---- load balancers ------------------------------------------------------------------------------ */

static void load_balancer(tm_tf_ecs *x, rec *lb)
{
	tm_model_builder *mb = x->ctx->mb;
	const char *type = str(lb->vals, "load_balancer_type");
	const char *kind = type && strcmp(type, "network") == 0 ? "aws-nlb" : type && strcmp(type, "gateway") == 0 ? "aws-gwlb" : "aws-alb";
	const char *name = lb->name ? lb->name : lb->addr;
	char *id = tm_arena_printf(x->a, "gateway:%s:%s", kind, name);
	char *shown = tm_arena_printf(x->a, "%s %s", strcmp(kind, "aws-nlb") == 0 ? "NLB" : "ALB", name);
	tm_mb_boundary(mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
	tm_node *g = id && shown ? tm_mb_node(mb, TM_NODE_GATEWAY, id, shown, "cloud", lb->loc) : NULL;
	if (!g)
		return;
	lb->node = g;
	tm_mb_node_str(mb, g, "gateway_type", kind);
	tm_mb_node_str(mb, g, "config", lb->loc.path ? lb->loc.path : "");
	for (size_t k = 0; k < tm_value_len(lb->unresolved); k++)
		tm_mb_node_list_add(mb, g, "unresolved", tm_scalar_str(tm_seq_at(lb->unresolved, k), NULL));
	const tm_value *iv = tm_map_get(lb->vals, "internal");
	bool assumed = unknown(iv);
	lb->internal = !assumed && is_true(iv);
	tm_mb_node_bool(mb, g, "internal", lb->internal);
	if (!assumed) /* written (or the provider's default, false): no assumption (report/md.c) */
		tm_mb_node_str(mb, g, "exposure_decided", lb->internal ? "internal = true" : iv ? "internal = false" : "internal unset (false)");
	if (assumed) {
		const char *why = tm_arena_printf(x->a, "internal is %s: analysed as internet-facing", tm_scalar_str(iv, NULL));
		tm_mb_node_assume(mb, g, why);
		tm_diag_add(x->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(x->f, iv),
			    "load balancer %s: whether it is internal is not in the files (%s); it is analysed as "
			    "internet-facing",
			    name, tm_scalar_str(iv, NULL));
	}
	tm_node *from = lb->internal ? tm_ingest__private_network(x->ctx) : tm_ingest__internet(x->ctx);
	tm_edge *e = from ? tm_mb_edge(mb, from, g, TM_EDGE_ROUTES, lb->loc) : NULL;
	if (e)
		tm_mb_edge_str(mb, e, "via", lb->internal ? "internal load balancer" : "internet-facing load balancer");
	const tm_value *sgs = tm_map_get(lb->vals, "security_groups");
	for (size_t i = 0; i < items(sgs); i++) {
		const char *s = tm_scalar_str(tm_seq_at(sgs, i), NULL);
		if (s)
			tm_mb_node_list_add(mb, g, "security_groups", s);
	}
}

/* Is listener l plain HTTP (its protocol written so, or left to an application load balancer's
 * default)? */
static bool plain_http(const rec *l)
{
	const tm_value *pv = tm_map_get(l->vals, "protocol");
	const char *proto = tm_scalar_str(pv, NULL);
	const char *type = l->lb && l->lb->node ? tm_node_attr_str(l->lb->node, "gateway_type") : NULL;
	if (!pv)
		return type && strcmp(type, "aws-alb") == 0;
	return proto && strcmp(proto, "HTTP") == 0;
}

/* What a list of actions (default_action or action blocks) does: the check an authenticate action
 * makes, into c, and the target groups a forward sends to, into tgs. Returns whether it forwards.
 * On a plain HTTP listener (http) an authenticate action is none: AWS accepts them on HTTPS
 * listeners only, so the files cannot be applied as written; said in a note. */
static bool actions(tm_tf_ecs *x, const rec *from, const tm_value *list, tm_gw_checks *c, rec **tgs, size_t *ntg,
		    bool http)
{
	bool forwards = false;
	for (size_t i = 0; i < nblocks(list) && i < MAX_ITEMS; i++) {
		const tm_value *a = block_at(list, i);
		const tm_value *tv = tm_map_get(a, "type");
		const char *type = str(a, "type");
		tm_loc where = tm_ingest__loc(x->f, a);
		if (!type) {
			c->authn = TM_AUTHN_UNKNOWN;
			c->authn_how = tm_gw_where(x->ctx, "a load balancer action the files do not decide", tv ? tm_ingest__loc(x->f, tv) : where);
			continue;
		}
		if (strcmp(type, "authenticate-oidc") == 0 || strcmp(type, "authenticate-cognito") == 0) {
			bool oidc = type[13] == 'o';
			const tm_value *cfg = block(a, oidc ? "authenticate_oidc" : "authenticate_cognito");
			const char *on = str(cfg, "on_unauthenticated_request");
			if (on && strcmp(on, "allow") == 0)
				continue; /* lets requests without a login through */
			if (http) {
				tm_diag_add(x->ctx->diags, 0, TM_LEVEL_NOTE, where,
					    "%s on a plain HTTP listener: AWS accepts authenticate actions on HTTPS "
					    "listeners only, so this configuration is refused as written; the login is not "
					    "counted as a check",
					    type);
				continue;
			}
			c->authn = TM_AUTHN_OAUTH2;
			c->authn_how = tm_gw_where(x->ctx, oidc ? "ALB authenticate-oidc action (a login at the OIDC provider)"
							       : "ALB authenticate-cognito action (a login at the Cognito user pool)",
						   where);
		} else if (strcmp(type, "forward") == 0) {
			forwards = true;
			const char *one = ref(a, "target_group_arn");
			rec *tg = one ? find(x, from, "aws_lb_target_group", one) : NULL;
			if (tg && *ntg < MAX_FORWARD)
				tgs[(*ntg)++] = tg;
			else if (one && !tg && !x->unlinked_tg++)
				x->first_tg = where;
			const tm_value *groups = tm_map_get(block(a, "forward"), "target_group");
			for (size_t k = 0; k < nblocks(groups) && k < MAX_ITEMS; k++) {
				rec *t = find(x, from, "aws_lb_target_group", ref(block_at(groups, k), "arn"));
				if (t && *ntg < MAX_FORWARD)
					tgs[(*ntg)++] = t;
				else if (!t && !x->unlinked_tg++)
					x->first_tg = tm_ingest__loc(x->f, block_at(groups, k));
			}
		}
	}
	return forwards;
}

/* The routes of one listener or rule: the gateway to each service the target groups hold. */
static void routes(tm_tf_ecs *x, rec *lsn, rec **tgs, size_t ntg, const tm_gw_checks *c, const char *const *paths,
		   size_t npaths, const char *const *hosts, size_t nhosts, tm_loc loc)
{
	tm_model_builder *mb = x->ctx->mb;
	rec *lb = lsn->lb;
	for (size_t i = 0; lb && lb->node && i < ntg; i++)
		for (member *m = tgs[i]->members; m; m = m->next) {
			if (!m->svc->node)
				continue;
			tm_edge *e = tm_mb_edge(mb, lb->node, m->svc->node, TM_EDGE_ROUTES, loc);
			int first = e ? tm_pset_add(&x->routed, e) : -1;
			if (first < 0) {
				tm_arena_set_failed(x->a);
				return;
			}
			tm_gw_checks cc = *c;
			tm_gw_edge_weakest(e, first, true, &cc);
			tm_gw_edge_checks(x->ctx, e, &cc);
			tm_mb_edge_str(mb, e, "via", tm_node_attr_str(lb->node, "gateway_type"));
			for (size_t k = 0; k < npaths; k++)
				tm_mb_edge_list_add(mb, e, "paths", paths[k]);
			for (size_t k = 0; k < nhosts; k++)
				tm_mb_edge_list_add(mb, e, "hosts", hosts[k]);
			if (lsn->plaintext) /* the route is taken in without TLS there */
				tm_mb_edge_list_add(mb, e, "plaintext_listeners",
						    tm_arena_printf(x->a, "HTTP:%s", str(lsn->vals, "port") ? str(lsn->vals, "port") : "?"));
			if (m->container)
				tm_mb_edge_list_add(mb, e, "containers", m->port ? tm_arena_printf(x->a, "%s:%s", m->container, m->port)
										 : m->container);
		}
	for (size_t i = 0; i < ntg; i++)
		if (!tgs[i]->members && !x->unlinked_tg++)
			x->first_tg = loc;
}

static void listener(tm_tf_ecs *x, rec *l)
{
	tm_model_builder *mb = x->ctx->mb;
	l->lb = find(x, l, "aws_lb", ref(l->vals, "load_balancer_arn"));
	if (!l->lb || !l->lb->node) {
		if (!x->unlinked_listeners++)
			x->first_listener = l->loc;
		return;
	}
	const tm_value *pv = tm_map_get(l->vals, "protocol");
	const char *proto = str(l->vals, "protocol");
	const char *port = str(l->vals, "port");
	const char *type = tm_node_attr_str(l->lb->node, "gateway_type");
	bool alb = type && strcmp(type, "aws-alb") == 0;
	if (!proto && !pv && alb)
		proto = "HTTP"; /* the provider's default for an application load balancer */
	l->plaintext = proto && strcmp(proto, "HTTP") == 0;
	tm_loc at_l = pv ? tm_ingest__loc(x->f, pv) : l->loc;
	tm_mb_node_fact(mb, l->lb->node, "listeners",
			tm_arena_printf(x->a, "%s:%s", proto ? proto : unknown(pv) ? tm_scalar_str(pv, NULL) : "?", port ? port : "?"),
			at_l);
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	rec *tgs[MAX_FORWARD];
	size_t ntg = 0;
	l->forwards = actions(x, l, tm_map_get(l->vals, "default_action"), &c, tgs, &ntg, plain_http(l));
	static const char *const every[] = {"/*"};
	routes(x, l, tgs, ntg, &c, every, 1, NULL, 0, l->loc);
}

/* The values of a rule's conditions of one kind (path_pattern, host_header, source_ip). */
static size_t condition(tm_tf_ecs *x, const tm_value *conds, const char *kind, const char **out, size_t cap,
			const tm_value **seq)
{
	size_t n = 0;
	for (size_t i = 0; i < nblocks(conds) && i < MAX_ITEMS; i++) {
		const tm_value *vals = tm_map_get(block(block_at(conds, i), kind), "values");
		if (vals && seq)
			*seq = vals;
		for (size_t k = 0; k < items(vals) && n < cap; k++) {
			const char *s = tm_scalar_str(tm_seq_at(vals, k), NULL);
			if (s)
				out[n++] = tm_arena_strdup(x->a, s);
		}
	}
	return n;
}

static void listener_rule(tm_tf_ecs *x, rec *r)
{
	tm_model_builder *mb = x->ctx->mb;
	rec *l = find(x, r, "aws_lb_listener", ref(r->vals, "listener_arn"));
	if (!l || !l->lb || !l->lb->node) {
		if (!x->unlinked_listeners++)
			x->first_listener = r->loc;
		return;
	}
	tm_gw_checks c = TM_GW_CHECKS_NONE;
	rec *tgs[MAX_FORWARD];
	size_t ntg = 0;
	if (actions(x, r, tm_map_get(r->vals, "action"), &c, tgs, &ntg, plain_http(l)))
		l->forwards = true;
	const tm_value *conds = tm_map_get(r->vals, "condition");
	const char *paths[64], *hosts[64], *ips[64];
	const tm_value *ipseq = NULL;
	size_t np = condition(x, conds, "path_pattern", paths, 64, NULL);
	size_t nh = condition(x, conds, "host_header", hosts, 64, NULL);
	size_t ni = condition(x, conds, "source_ip", ips, 64, &ipseq);
	for (size_t k = 0; k < nh; k++)
		tm_mb_node_fact(mb, l->lb->node, "hosts", hosts[k], r->loc);
	if (ni) {
		bool priv = false;
		const char *ranges = tm_gw_ranges(x->a, ipseq, &priv);
		c.restrict_how = tm_gw_where(x->ctx, tm_arena_printf(x->a, "ALB rule source_ip %s", ranges ? ranges : "?"), r->loc);
		c.private_only = priv;
	}
	static const char *const every[] = {"/*"};
	routes(x, l, tgs, ntg, &c, np ? paths : every, np ? np : 1, hosts, nh, r->loc);
}

/* A gateway's tls: false when a plain HTTP listener of an internet-facing load balancer forwards to
 * services (one that only redirects to HTTPS serves nothing in the clear); true when every listener
 * is HTTPS or TLS, or plain and forwarding nothing. */
static void listeners_tls(tm_tf_ecs *x)
{
	for (size_t i = 0; i < x->n; i++) {
		rec *l = &x->recs[i];
		if (strcmp(l->type, "aws_lb_listener") != 0 || !l->lb || !l->lb->node)
			continue;
		const tm_attr *had = tm_node_attr_get(l->lb->node, "tls");
		bool clear = l->plaintext && l->forwards;
		const char *proto = str(l->vals, "protocol");
		bool tls = proto && (strcmp(proto, "HTTPS") == 0 || strcmp(proto, "TLS") == 0);
		if (clear) {
			tm_mb_node_bool(x->ctx->mb, l->lb->node, "tls", false);
			tm_mb_node_fact(x->ctx->mb, l->lb->node, "plaintext_listeners",
					tm_arena_printf(x->a, "HTTP:%s", str(l->vals, "port") ? str(l->vals, "port") : "?"), l->loc);
		} else if ((tls || l->plaintext) && !had) {
			tm_mb_node_bool(x->ctx->mb, l->lb->node, "tls", true);
		}
	}
}

/* ---- calls -------------------------------------------------------------------------------------- */

struct call_ud {
	tm_tf_ecs *x;
	rec *svc;
	const char *var, *value;
	tm_loc at;
};

static void call_address(void *ud, const tm_address *a)
{
	struct call_ud *u = ud;
	char host[256];
	size_t n = 0;
	for (const char *p = a->host; *p && n + 1 < sizeof(host); p++)
		host[n++] = (char)tolower((unsigned char)*p);
	host[n] = '\0';
	rec *to = tm_hmap_get(&u->x->hosts, host, n);
	tm_edge *e = to && to != u->svc && to->node ? tm_mb_edge(u->x->ctx->mb, u->svc->node, to->node, TM_EDGE_CALLS, u->at)
						      : NULL;
	if (!e)
		return;
	tm_mb_edge_list_add(u->x->ctx->mb, e, "env", u->var);
	tm_mb_edge_list_add(u->x->ctx->mb, e, "address", tm_ingest__masked(u->x->a, u->value));
	if (a->port)
		tm_mb_edge_list_add(u->x->ctx->mb, e, "ports", a->port);
}

/* The addresses in a service's containers' environment that name another service of the scan. */
static void calls(tm_tf_ecs *x, rec *svc)
{
	const tm_value *tdv = tm_map_get(svc->vals, "task_definition");
	rec *td = find(x, svc, "aws_ecs_task_definition", tm_scalar_str(tdv, NULL));
	if (!td || !td->containers || !svc->node)
		return;
	for (size_t i = 0; i < tm_value_len(td->containers) && i < MAX_CONTAINERS; i++) {
		const tm_value *env = tm_map_get(tm_seq_at(td->containers, i), "environment");
		for (size_t k = 0; k < items(env); k++) {
			const tm_value *e = tm_seq_at(env, k);
			const char *key = str(e, "name"), *val = str(e, "value");
			if (!key || !val || strstr(val, "${"))
				continue;
			struct call_ud u = {x, svc, key, val, at(x, td, tm_map_get(e, "value"))};
			tm_ingest__address_each(val, tm_ingest__address_name(key, true), call_address, &u);
		}
	}
}

/* ---- the whole ---------------------------------------------------------------------------------- */

static void notes(tm_tf_ecs *x)
{
	tm_diag_list *d = x->ctx->diags;
	if (x->no_taskdef)
		tm_diag_add(d, 0, TM_LEVEL_NOTE, x->first_taskdef,
			    "%zu ECS service%s run%s a task definition the scan does not hold (a variable, a module's output, "
			    "one made elsewhere): %s containers are not in the model",
			    x->no_taskdef, x->no_taskdef == 1 ? "" : "s", x->no_taskdef == 1 ? "s" : "", x->no_taskdef == 1 ? "its" : "their");
	if (x->no_defs)
		tm_diag_add(d, 0, TM_LEVEL_NOTE, x->first_defs,
			    "%zu ECS task definition%s take%s container_definitions from what is not read here (file(), "
			    "templatefile(), a variable or a module's output): %s containers are not in the model",
			    x->no_defs, x->no_defs == 1 ? "" : "s", x->no_defs == 1 ? "s" : "", x->no_defs == 1 ? "its" : "their");
	if (x->unlinked_tg)
		tm_diag_add(d, 0, TM_LEVEL_NOTE, x->first_tg,
			    "%zu load balancer target group link%s lead%s to no ECS service of the scan (a target group the "
			    "scan does not hold, or one whose targets are instances, IPs or functions): what %s reach%s is not "
			    "in the model",
			    x->unlinked_tg, x->unlinked_tg == 1 ? "" : "s", x->unlinked_tg == 1 ? "s" : "",
			    x->unlinked_tg == 1 ? "it" : "they", x->unlinked_tg == 1 ? "es" : "");
	if (x->unlinked_listeners)
		tm_diag_add(d, 0, TM_LEVEL_NOTE, x->first_listener,
			    "%zu load balancer listener%s or rule%s belong%s to no load balancer of the scan: what %s route%s "
			    "is not in the model",
			    x->unlinked_listeners, x->unlinked_listeners == 1 ? "" : "s", x->unlinked_listeners == 1 ? "" : "s",
			    x->unlinked_listeners == 1 ? "s" : "", x->unlinked_listeners == 1 ? "it" : "they",
			    x->unlinked_listeners == 1 ? "s" : "");
}

static bool is(const rec *r, const char *type)
{
	return strcmp(r->type, type) == 0;
}

void tm_tf__ecs_finish(tm_tf_ecs *x)
{
	if (!x || !x->n || !x->ctx->mb)
		return;
	for (size_t i = 0; i < x->n; i++) {
		rec *r = &x->recs[i];
		index_key(x, r, 'a', r->addr);
		index_key(x, r, 'i', r->id);
		index_key(x, r, 'n', r->name);
	}
	security_groups(x);
	for (size_t i = 0; i < x->n; i++)
		if (is(&x->recs[i], "aws_lb"))
			load_balancer(x, &x->recs[i]);
	for (size_t i = 0; i < x->n; i++)
		if (is(&x->recs[i], "aws_ecs_service"))
			service(x, &x->recs[i]);
	for (size_t i = 0; i < x->n; i++) {
		rec *r = &x->recs[i];
		if (is(r, "aws_ecs_service") && r->node)
			public_ip(x, r);
		/* a task definition no service runs (a scheduled or one-off task): its containers still are */
		if (is(r, "aws_ecs_task_definition") && !r->used) {
			tm_node *n = workload(x, "task-definition", r->name ? r->name : r->addr, "EcsTaskDefinition", r->loc);
			const tm_value *rc = tm_map_get(r->vals, "requires_compatibilities");
			bool fargate = false, ec2 = false;
			for (size_t k = 0; k < items(rc); k++) {
				const char *c = tm_scalar_str(tm_seq_at(rc, k), NULL);
				fargate = fargate || (c && strcmp(c, "FARGATE") == 0);
				ec2 = ec2 || (c && strcmp(c, "EC2") == 0);
			}
			if (n)
				tm_mb_node_str(x->ctx->mb, n, "launch_type", fargate && !ec2 ? "FARGATE" : "EC2");
			if (n)
				containers(x, NULL, r, n);
		}
	}
	for (size_t i = 0; i < x->n; i++)
		if (is(&x->recs[i], "aws_lb_listener"))
			listener(x, &x->recs[i]);
	for (size_t i = 0; i < x->n; i++)
		if (is(&x->recs[i], "aws_lb_listener_rule"))
			listener_rule(x, &x->recs[i]);
	listeners_tls(x);
	for (size_t i = 0; i < x->n; i++)
		if (is(&x->recs[i], "aws_ecs_service"))
			calls(x, &x->recs[i]);
	notes(x);
}
