/*
 * terraform.h - shared between the Terraform readers: terraform.c (plan, state and the resource
 * handlers) and tf_config.c (configuration as written, .tf/.tf.json/.tfvars, evaluated per module).
 *
 * The seam is a plan-shaped document: tf_config.c evaluates the configuration into
 * {"planned_values": {"root_module": {"resources": [{type, name, address, values, unresolved}]}}}
 * in a rendered file whose values keep the positions of what they were read from, so one set of
 * resource handlers serves plans, states and configuration.
 */
#ifndef TM_INGEST_TERRAFORM_H
#define TM_INGEST_TERRAFORM_H

#include "ingest.h"

/* One configuration file: its directory (the module), and whether it holds variable values. */
typedef struct {
	const char *dir;   /* display directory ("" at the root) */
	const char *path;  /* display path */
	const tm_file *f;
	const tm_value *root;
	tm_file *aux;      /* values parsed later from f's text (jsonencode arguments); owned, or NULL */
	bool tfvars;
} tm_tf_src;

#define TM_TF_MODULE_DEPTH 8 /* local module calls followed this deep */

/*
 * Evaluate the modules of srcs (n of them, any order; reordered) into one plan-shaped root in out
 * (a rendered file the caller owns); NULL when there is nothing or memory ran out (then the
 * builder's failure is sticky in ctx). Module calls with a local source are followed (depth and
 * cycles bounded); other sources are named in a note.
 */
const tm_value *tm_tf__eval(tm_ingest_ctx *ctx, tm_file *out, tm_tf_src *srcs, size_t n);

/* A raw state of version 3 (modules[].resources, attributes flattened "a.#", "a.0.b") as a
 * plan-shaped root in out; NULL if it holds none. */
const tm_value *tm_tf__state_v3(tm_file *out, const tm_file *from, const tm_value *root);

/* Is v a value evaluation could not decide ("unknown (...)": a variable without a value, an output
 * of a resource not yet created)? */
bool tm_tf__is_unknown(const tm_value *v);

/* tf_k8s.c: a resource type of the Kubernetes and Helm providers (kubernetes_*, helm_release,
 * kubectl_manifest), which the plan renders from configuration as the objects and releases it makes. */
bool tm_tf__k8s_type(const char *type);

/* tf_aws_api.c: Lambda functions, API Gateway APIs and function URLs (see the file's head). The
 * resources of those types are collected as the walk meets them (tm_tf__aws_add, with their address
 * and what evaluation left unresolved) and modelled together once every resource handler has run
 * (tm_tf__aws_finish), so that references in any order resolve. */
typedef struct tm_tf_aws tm_tf_aws;
bool tm_tf__aws_api_type(const char *type);
tm_tf_aws *tm_tf__aws_new(tm_ingest_ctx *ctx, tm_arena *a, const tm_file *f);
/* The module path of a resource address ("module.a.module.b." of "module.a.module.b.TYPE.NAME"),
 * "" for a root module's. */
const char *tm_tf__module_prefix(tm_arena *a, const char *addr);
/* The AWS readers' index of resources: by type, a kind of key (how: 'a' address, 'i' id, 'n' name)
 * and the key; the first resource put under a key keeps it. */
void tm_tf__index_put(tm_hmap *keys, tm_arena *a, const char *type, char how, const char *key, void *r);
void *tm_tf__index_get(const tm_hmap *keys, const char *type, char how, const char *key, size_t klen);
/* The next reference to a resource of type in s from *cur on: "TYPE.NAME" at *local (*llen bytes),
 * with the module path it is written with ("module.a.module.b.TYPE.NAME") from *full (*flen bytes;
 * *full == *local when none). *cur moves past it. False when s holds no more. */
bool tm_tf__next_address(const char *s, const char *type, const char **cur, const char **full, size_t *flen,
			 const char **local, size_t *llen);
/* text (a JSON or YAML string a resource's attribute holds: a policy document, container
 * definitions) parsed as a document of its own, named as f, at most 1 MiB; NULL when it does not
 * parse or holds no document (the parse's own diagnostics are dropped: the caller says what it
 * could not read). The caller frees it. */
tm_file *tm_tf__parse_text(const tm_file *f, const char *text, size_t len);
void tm_tf__aws_add(tm_tf_aws *x, const char *type, const char *addr, const tm_value *vals, const tm_value *unresolved,
		    tm_loc loc);
void tm_tf__aws_finish(tm_tf_aws *x);
void tm_tf__aws_free(tm_tf_aws *x);

/* tf_aws_ecs.c: ECS clusters, task definitions and services, the load balancers in front of them
 * (listeners, rules, target groups), Cloud Map names and the security groups that open a public
 * service to the internet (see the file's head). Collected as the walk meets them, modelled together
 * once every resource handler has run, as tf_aws_api.c's are. tm_tf__ecs_type: TM_TF_ECS_OWN for a
 * type read there alone, TM_TF_ECS_WATCH for one terraform.c reads as well (aws_security_group), 0
 * for any other. */
enum { TM_TF_ECS_WATCH = 1, TM_TF_ECS_OWN = 2 };
typedef struct tm_tf_ecs tm_tf_ecs;
int tm_tf__ecs_type(const char *type);
tm_tf_ecs *tm_tf__ecs_new(tm_ingest_ctx *ctx, tm_arena *a, const tm_file *f);
void tm_tf__ecs_add(tm_tf_ecs *x, const char *type, const char *addr, const tm_value *vals, const tm_value *unresolved,
		    tm_loc loc);
void tm_tf__ecs_finish(tm_tf_ecs *x);
void tm_tf__ecs_free(tm_tf_ecs *x);

/* tf_aws_data.c: what IAM policies let a role do to the stores the scan holds (see the file's head).
 * terraform.c registers each store as it makes it (tm_tf__grants_store, by its resource type and
 * name) and each policy statement a role holds as it reads it; tm_tf__grants_finish joins them once
 * every resource has been read. */
typedef struct tm_tf_grants tm_tf_grants;
tm_tf_grants *tm_tf__grants_new(tm_ingest_ctx *ctx, tm_arena *a);
void tm_tf__grants_store(tm_tf_grants *g, const char *type, const char *name, tm_node *n);
/* One statement of a policy role holds: st its value, at its own positions (located) in f or at loc. */
void tm_tf__grants_statement(tm_tf_grants *g, tm_node *role, const tm_value *st, const tm_file *f, bool located,
			     tm_loc loc);
/* An AWS managed policy attached by ARN: true if it is one that gives a service's stores whole. */
bool tm_tf__grants_managed(tm_tf_grants *g, tm_node *role, const char *arn, tm_loc loc);
void tm_tf__grants_finish(tm_tf_grants *g);
void tm_tf__grants_free(tm_tf_grants *g);

#endif
