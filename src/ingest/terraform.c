/*
 * terraform.c - Terraform plan JSON (`terraform show -json plan`): the cloud
 * resources that decide who can reach data and who can act in the account.
 *
 *   aws_iam_role            -> identity "identity:aws:<name>" (cloud boundary) with
 *                              `trusts` (principals of the assume-role policy) and located facts
 *                              `trust_wildcard` (a federated subject matched with a wildcard, such
 *                              as any branch of a repository) and `admin_policy` ("*" on "*")
 *   aws_iam_role_policy,
 *   aws_iam_role_policy_attachment (AdministratorAccess) -> facts on the role they attach to
 *   aws_s3_bucket (+ _acl, _public_access_block, _policy) -> datastore "datastore:aws:s3:<bucket>"
 *                              with `public_access` facts
 *   aws_db_instance, aws_rds_cluster -> datastore "datastore:aws:rds:<identifier>" with
 *                              `public_access` facts (publicly_accessible, a security group open
 *                              to 0.0.0.0/0 on its port)
 *   aws_security_group       -> its world-open ingress rules, joined to what uses it by name
 * Policy documents are JSON strings inside the plan; they are parsed with the same parser as every
 * input (their facts point at the string that holds them).
 * Modules are walked (child_modules). Unknown resource types are ignored.
 */
#include <stdio.h>

#include "ingest.h"

struct tf {
	tm_arena *arena;
	const tm_file **files;
	const tm_value **roots;
	size_t n, cap, capr;
};

static void *tf_begin(tm_ingest_ctx *ctx)
{
	struct tf *t = tm_calloc(1, sizeof(*t));
	if (t)
		t->arena = ctx->scratch;
	return t;
}

static void tf_end(void *state)
{
	struct tf *t = state;
	if (!t)
		return;
	tm_free(t->files);
	tm_free(t->roots);
	tm_free(t);
}

static bool tf_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root, const char *detail)
{
	(void)ctx;
	(void)detail;
	struct tf *t = state;
	if (!t || TM_GROW(t->files, t->cap, t->n + 1) || TM_GROW(t->roots, t->capr, t->n + 1))
		return false;
	t->files[t->n] = f;
	t->roots[t->n] = root;
	t->n++;
	return true;
}

typedef struct {
	tm_ingest_ctx *ctx;
	struct tf *t;
	const tm_file *f;
	tm_file *owned[64]; /* parsed policy documents, freed at the end */
	size_t nowned;
} walk;

static tm_node *cloud_node(walk *w, tm_node_kind kind, const char *prefix, const char *name, tm_loc loc)
{
	char *id = tm_arena_printf(w->t->arena, "%s%s", prefix, name);
	tm_mb_boundary(w->ctx->mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
	return id ? tm_mb_node(w->ctx->mb, kind, id, name, "cloud", loc) : NULL;
}

/* A policy document held in a JSON string: parsed; NULL if it is not one. */
static const tm_value *policy_doc(walk *w, const tm_value *s)
{
	size_t len = 0;
	const char *text = tm_scalar_str(s, &len);
	if (!text || !len || w->nowned >= TM_ARRAY_LEN(w->owned))
		return NULL;
	tm_diag_list scratch;
	tm_diag_list_init(&scratch);
	tm_file *pf = NULL;
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_file_bytes = 1u << 20;
	int rc = tm_file_parse(&pf, tm_file_path(w->f), text, len, &lim, &scratch);
	tm_diag_list_dispose(&scratch);
	if (rc || !pf || !tm_file_doc_count(pf)) {
		tm_file_free(pf);
		tm_diag_add(w->ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(w->f, s),
			    "policy document is not valid JSON; not evaluated");
		return NULL;
	}
	w->owned[w->nowned++] = pf;
	return tm_file_doc(pf, 0);
}

/* Statement fields are a string or a list of strings. */
static bool has_value(const tm_value *v, const char *want)
{
	if (tm_value_kind_of(v) == TM_VALUE_SCALAR)
		return tm_scalar_str(v, NULL) && strcmp(tm_scalar_str(v, NULL), want) == 0;
	for (size_t i = 0; i < tm_value_len(v); i++)
		if (has_value(tm_seq_at(v, i), want))
			return true;
	return false;
}

static void each_statement(const tm_value *doc, void (*fn)(walk *, const tm_value *, void *), walk *w, void *ud)
{
	const tm_value *st = tm_map_get(doc, "Statement");
	if (tm_value_kind_of(st) == TM_VALUE_MAP)
		fn(w, st, ud);
	else
		for (size_t i = 0; i < tm_value_len(st); i++)
			fn(w, tm_seq_at(st, i), ud);
}

struct role_ctx {
	tm_node *role;
	tm_loc loc;
};

static void trust_statement(walk *w, const tm_value *st, void *ud)
{
	struct role_ctx *rc = ud;
	const tm_value *principal = tm_map_get(st, "Principal");
	const char *star = tm_scalar_str(principal, NULL);
	if (star && strcmp(star, "*") == 0)
		tm_mb_node_fact(w->ctx->mb, rc->role, "trust_wildcard", "Principal *", rc->loc);
	for (size_t i = 0; i < tm_value_len(principal); i++) {
		const tm_value *pv = tm_map_value(principal, i);
		for (size_t k = 0; k < (tm_value_kind_of(pv) == TM_VALUE_SEQ ? tm_value_len(pv) : 1); k++) {
			const char *s = tm_scalar_str(tm_value_kind_of(pv) == TM_VALUE_SEQ ? tm_seq_at(pv, k) : pv, NULL);
			if (s)
				tm_mb_node_list_add(w->ctx->mb, rc->role, "trusts", s);
			if (s && strcmp(s, "*") == 0)
				tm_mb_node_fact(w->ctx->mb, rc->role, "trust_wildcard", "Principal *", rc->loc);
		}
	}
	/* federated subjects matched by a pattern: StringLike ... :sub "repo:org/repo:*" */
	const tm_value *cond = tm_map_get(st, "Condition");
	for (size_t i = 0; i < tm_value_len(cond); i++) {
		const tm_value *ops = tm_map_value(cond, i);
		for (size_t k = 0; k < tm_value_len(ops); k++) {
			const char *key = tm_scalar_str(tm_map_key(ops, k), NULL);
			const tm_value *val = tm_map_value(ops, k);
			if (!key || !strstr(key, ":sub"))
				continue;
			for (size_t j = 0; j < (tm_value_kind_of(val) == TM_VALUE_SEQ ? tm_value_len(val) : 1); j++) {
				const char *s = tm_scalar_str(tm_value_kind_of(val) == TM_VALUE_SEQ ? tm_seq_at(val, j) : val, NULL);
				if (!s)
					continue;
				tm_mb_node_list_add(w->ctx->mb, rc->role, "trusted_subjects", s);
				/* IRSA / workload identity: a Kubernetes service account that may assume the role */
				char ns[128], sa[128];
				if (sscanf(s, "system:serviceaccount:%127[^:]:%127s", ns, sa) == 2) {
					char id[300];
					snprintf(id, sizeof(id), "identity:k8s:%s/%s", ns, sa);
					tm_node *ksa = tm_mb_find(w->ctx->mb, id);
					tm_edge *e = ksa ? tm_mb_edge(w->ctx->mb, ksa, rc->role, TM_EDGE_GRANTED, rc->loc) : NULL;
					if (e)
						tm_mb_edge_str(w->ctx->mb, e, "via", "web identity federation");
				}
				if (strchr(s, '*'))
					tm_mb_node_fact(w->ctx->mb, rc->role, "trust_wildcard", s, rc->loc);
			}
		}
	}
}

static void perm_statement(walk *w, const tm_value *st, void *ud)
{
	struct role_ctx *rc = ud;
	const char *effect = tm_map_get_str(st, "Effect");
	if (effect && strcmp(effect, "Allow") != 0)
		return;
	if (has_value(tm_map_get(st, "Action"), "*") && has_value(tm_map_get(st, "Resource"), "*"))
		tm_mb_node_fact(w->ctx->mb, rc->role, "admin_policy", "Action * on Resource *", rc->loc);
	else if (has_value(tm_map_get(st, "Action"), "*") || has_value(tm_map_get(st, "Action"), "iam:*") ||
		 has_value(tm_map_get(st, "Action"), "s3:*"))
		tm_mb_node_fact(w->ctx->mb, rc->role, "wildcard_actions", "wildcard action", rc->loc);
}

/* The node pass 0 made that a resource names in its value key: prefix + the name, or NULL. */
static tm_node *named_node(walk *w, const tm_value *vals, const char *key, const char *prefix)
{
	const char *name = tm_map_get_str(vals, key);
	char id[512];
	snprintf(id, sizeof(id), "%s%s", prefix, name ? name : "");
	return name ? tm_mb_find(w->ctx->mb, id) : NULL;
}

/* aws_iam_role: an identity, with whom its assume-role policy trusts. */
static void iam_role(walk *w, const tm_value *vals, tm_loc loc)
{
	const char *name = tm_map_get_str(vals, "name");
	tm_node *role = name ? cloud_node(w, TM_NODE_IDENTITY, "identity:aws:", name, loc) : NULL;
	if (!role)
		return;
	tm_mb_node_str(w->ctx->mb, role, "identity_type", "aws-iam-role");
	const tm_value *arp = tm_map_get(vals, "assume_role_policy");
	const tm_value *doc = policy_doc(w, arp);
	struct role_ctx rc = {role, tm_ingest__loc(w->f, arp)};
	if (doc)
		each_statement(doc, trust_statement, w, &rc);
}

/* aws_iam_role_policy(_attachment): what the role it attaches to may do. */
static void role_policy(walk *w, const tm_value *vals)
{
	tm_model_builder *mb = w->ctx->mb;
	tm_node *role = named_node(w, vals, "role", "identity:aws:");
	if (!role)
		return;
	const tm_value *pol = tm_map_get(vals, "policy");
	const char *arn = tm_map_get_str(vals, "policy_arn");
	if (arn && strstr(arn, "AdministratorAccess"))
		tm_mb_node_fact(mb, role, "admin_policy", arn, tm_ingest__loc(w->f, tm_map_get(vals, "policy_arn")));
	const tm_value *doc = pol ? policy_doc(w, pol) : NULL;
	struct role_ctx rc = {role, tm_ingest__loc(w->f, pol)};
	if (doc)
		each_statement(doc, perm_statement, w, &rc);
}

static void s3_bucket(walk *w, const tm_value *vals, tm_loc loc)
{
	tm_model_builder *mb = w->ctx->mb;
	const char *b = tm_map_get_str(vals, "bucket");
	tm_node *n = b ? cloud_node(w, TM_NODE_DATASTORE, "datastore:aws:s3:", b, loc) : NULL;
	if (n)
		tm_mb_node_str(mb, n, "store_type", "aws-s3-bucket");
	const char *acl = tm_map_get_str(vals, "acl");
	if (n && acl && strncmp(acl, "public-read", 11) == 0)
		tm_mb_node_fact(mb, n, "public_access", tm_arena_printf(w->t->arena, "acl %s", acl),
				tm_ingest__loc(w->f, tm_map_get(vals, "acl")));
}

/* aws_s3_bucket_acl and _public_access_block: public access on the bucket they name. */
static void s3_bucket_access(walk *w, const tm_value *vals, tm_loc loc)
{
	tm_model_builder *mb = w->ctx->mb;
	tm_node *n = named_node(w, vals, "bucket", "datastore:aws:s3:");
	if (!n)
		return;
	const tm_value *aclv = tm_map_get(vals, "acl");
	const char *acl = tm_scalar_str(aclv, NULL);
	if (acl && strncmp(acl, "public-read", 11) == 0)
		tm_mb_node_fact(mb, n, "public_access", tm_arena_printf(w->t->arena, "acl %s", acl), tm_ingest__loc(w->f, aclv));
	static const char *const blocks[] = {"block_public_acls", "block_public_policy", "ignore_public_acls",
					     "restrict_public_buckets"};
	size_t off = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(blocks); i++) {
		bool v;
		const tm_value *bv = tm_map_get(vals, blocks[i]);
		if (bv && !tm_scalar_bool(bv, &v) && !v)
			off++;
	}
	if (off == TM_ARRAY_LEN(blocks))
		tm_mb_node_fact(mb, n, "public_access", "public access block off", loc);
}

/* aws_db_instance, aws_rds_cluster: a datastore, public or unencrypted, with its security groups. */
static void rds(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	tm_model_builder *mb = w->ctx->mb;
	const char *ident = tm_map_get_str(vals, "identifier");
	if (!ident)
		ident = tm_map_get_str(vals, "cluster_identifier");
	tm_node *n = ident ? cloud_node(w, TM_NODE_DATASTORE, "datastore:aws:rds:", ident, loc) : NULL;
	if (!n)
		return;
	tm_mb_node_str(mb, n, "store_type", type);
	const char *engine = tm_map_get_str(vals, "engine");
	if (engine)
		tm_mb_node_str(mb, n, "engine", engine);
	const tm_value *pa = tm_map_get(vals, "publicly_accessible");
	bool pub;
	if (pa && !tm_scalar_bool(pa, &pub) && pub)
		tm_mb_node_fact(mb, n, "public_access", "publicly_accessible", tm_ingest__loc(w->f, pa));
	const tm_value *enc = tm_map_get(vals, "storage_encrypted");
	bool e;
	if (enc && !tm_scalar_bool(enc, &e) && !e)
		tm_mb_node_fact(mb, n, "unencrypted", "storage_encrypted false", tm_ingest__loc(w->f, enc));
	const tm_value *sgs = tm_map_get(vals, "vpc_security_group_ids");
	for (size_t i = 0; i < tm_value_len(sgs); i++)
		tm_mb_node_list_add(mb, n, "security_groups", tm_scalar_str(tm_seq_at(sgs, i), NULL));
}

/* aws_security_group: each world-open ingress rule is public access on the stores that use the group. */
static void security_group(walk *w, const tm_value *vals)
{
	tm_model_builder *mb = w->ctx->mb;
	const char *name = tm_map_get_str(vals, "name");
	const tm_value *ing = tm_map_get(vals, "ingress");
	for (size_t i = 0; name && i < tm_value_len(ing); i++) {
		const tm_value *rule = tm_seq_at(ing, i);
		const tm_value *cidrs = tm_map_get(rule, "cidr_blocks");
		bool world = has_value(cidrs, "0.0.0.0/0") || has_value(tm_map_get(rule, "ipv6_cidr_blocks"), "::/0");
		if (!world)
			continue;
		const char *from = tm_map_get_str(rule, "from_port"), *to = tm_map_get_str(rule, "to_port");
		char *what = tm_arena_printf(w->t->arena, "security group %s open to the internet on %s-%s", name,
					     from ? from : "?", to ? to : "?");
		/* every store that uses the group (by name or id) */
		const tm_model *m = tm_mb_model(mb);
		for (size_t k = 0; k < tm_model_node_count(m); k++) {
			const tm_node *s = tm_model_node(m, k);
			const tm_attr *g = tm_node_attr_get(s, "security_groups");
			for (size_t j = 0; g && g->type == TM_ATTR_LIST && g->list[j]; j++)
				if (strcmp(g->list[j], name) == 0)
					tm_mb_node_fact(mb, tm_mb_find(mb, tm_node_id(s)), "public_access", what,
							tm_ingest__loc(w->f, rule));
		}
	}
}

/* Pass 0 makes the roles and stores, pass 1 attaches what names them, pass 2 joins security groups. */
static void resource(walk *w, const tm_value *r, int pass)
{
	const char *type = tm_map_get_str(r, "type");
	const tm_value *vals = tm_map_get(r, "values");
	tm_loc loc = tm_ingest__loc(w->f, r);
	if (!type || !vals)
		return;
	if (pass == 0 && strcmp(type, "aws_iam_role") == 0)
		iam_role(w, vals, loc);
	else if (pass == 1 && (strcmp(type, "aws_iam_role_policy") == 0 || strcmp(type, "aws_iam_role_policy_attachment") == 0))
		role_policy(w, vals);
	else if (pass == 0 && strcmp(type, "aws_s3_bucket") == 0)
		s3_bucket(w, vals, loc);
	else if (pass == 1 &&
		 (strcmp(type, "aws_s3_bucket_acl") == 0 || strcmp(type, "aws_s3_bucket_public_access_block") == 0))
		s3_bucket_access(w, vals, loc);
	else if (pass == 0 && (strcmp(type, "aws_db_instance") == 0 || strcmp(type, "aws_rds_cluster") == 0))
		rds(w, type, vals, loc);
	else if (pass == 2 && strcmp(type, "aws_security_group") == 0)
		security_group(w, vals);
}

static void module(walk *w, const tm_value *mod, int pass, int depth)
{
	if (!mod || depth > 32)
		return;
	const tm_value *rs = tm_map_get(mod, "resources");
	for (size_t i = 0; i < tm_value_len(rs); i++)
		resource(w, tm_seq_at(rs, i), pass);
	const tm_value *kids = tm_map_get(mod, "child_modules");
	for (size_t i = 0; i < tm_value_len(kids); i++)
		module(w, tm_seq_at(kids, i), pass, depth + 1);
}

static void tf_finish(tm_ingest_ctx *ctx, void *state)
{
	struct tf *t = state;
	for (size_t i = 0; t && i < t->n; i++) {
		walk w;
		memset(&w, 0, sizeof(w));
		w.ctx = ctx;
		w.t = t;
		w.f = t->files[i];
		const tm_value *root = tm_map_get(tm_map_get(t->roots[i], "planned_values"), "root_module");
		if (!root) /* a state file: values.root_module */
			root = tm_map_get(tm_map_get(t->roots[i], "values"), "root_module");
		for (int pass = 0; pass < 3; pass++)
			module(&w, root, pass, 0);
		for (size_t k = 0; k < w.nowned; k++)
			tm_file_free(w.owned[k]);
	}
}

const tm_ingester tm_ingest__terraform = {tf_begin, tf_doc, tf_finish, tf_end};
