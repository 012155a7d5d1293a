/*
 * terraform.c - Terraform plan JSON (`terraform show -json plan`), state (`terraform show -json`,
 * and the raw terraform.tfstate of versions 3 and 4) and configuration as written (.tf, .tf.json,
 * .tfvars: evaluated by tf_config.c into the same plan shape): the cloud resources that decide who
 * can reach data and who can act in the account.
 *
 *   aws_iam_role            -> identity "identity:aws:<name>" (cloud boundary) with
 *                              `trusts` (principals of the assume-role policy) and located facts
 *                              `trust_wildcard` (a federated subject matched with a wildcard, such
 *                              as any branch of a repository) and `admin_policy` ("*" on "*"; its
 *                              own managed_policy_arns and inline_policy blocks too)
 *   aws_iam_role_policy,
 *   aws_iam_role_policy_attachment (AdministratorAccess) -> facts on the role they attach to
 *   aws_s3_bucket (+ _acl, _public_access_block, _policy) -> datastore "datastore:aws:s3:<bucket>"
 *                              with `public_access` facts (a policy statement allowing Principal "*"
 *                              without a condition)
 *   aws_dynamodb_table, aws_sqs_queue, aws_sns_topic, aws_secretsmanager_secret -> the stores
 *                              "datastore:aws:dynamodb:<name>", "queue:aws:sqs:<name>",
 *                              "queue:aws:sns:<name>", "secret:aws:secretsmanager:<name>"; what the
 *                              roles' policy statements let them do to these and to S3 buckets:
 *                              reads/writes edges (tf_aws_data.c)
 *   aws_db_instance, aws_rds_cluster -> datastore "datastore:aws:rds:<identifier>" with
 *                              `public_access` facts (publicly_accessible, a security group open
 *                              to 0.0.0.0/0 on its port)
 *   aws_security_group       -> its world-open ingress rules, joined to what uses it by name, and
 *                              an entry point "entrypoint:cloud:aws-sg:<name>" with `open_ingress` facts
 *   google_service_account   -> identity "identity:gcp:<account_id>"; google_service_account_iam_*
 *                              with roles/iam.workloadIdentityUser -> `trusted_subjects` and a granted
 *                              edge from the Kubernetes service account named in the member;
 *                              google_project_iam_* -> `project_roles`; roles/owner|editor -> `admin_policy`
 *   google_storage_bucket (+ _iam_member/_binding allUsers|allAuthenticatedUsers, _acl public)
 *                           -> datastore "datastore:gcp:gcs:<name>" with `public_access` facts
 *   google_sql_database_instance (authorized network 0.0.0.0/0), google_redis_instance
 *                           -> datastore "datastore:gcp:sql:<name>", "datastore:gcp:redis:<name>"
 *   google_compute_firewall  (0.0.0.0/0 ingress) -> entry point "entrypoint:cloud:gcp-fw:<name>"
 *   google_container_cluster -> `node_service_account_of` on its nodes' Google service account, and
 *                              `metadata_reachable` when workload identity is off (every pod may take it)
 *   azurerm_user_assigned_identity -> identity "identity:azure:<name>"; its
 *                              azurerm_federated_identity_credential -> `trusted_subjects` and the edge
 *                              from the Kubernetes service account of the subject
 *   azurerm_role_assignment (Owner, Contributor, User Access Administrator) -> `admin_policy`
 *   azurerm_storage_account (public blob access, public network), azurerm_storage_container
 *                              (container_access_type blob|container) -> datastore
 *                              "datastore:azure:storage:<account>" with `public_access`
 *   azurerm_network_security_rule (+ inline security_rule) inbound Allow from * or Internet
 *                           -> entry point "entrypoint:cloud:azure-nsg:<name>" with `open_ingress`
 * A configuration value that could not be evaluated is listed on its node under `unresolved`
 * ("name: unknown (var.x)"); a name that could not be evaluated is replaced by the address.
 * Policy documents are JSON strings inside the plan; they are parsed with the same parser as every
 * input (their facts point at the string that holds them).
 * Modules are walked (child_modules). Unknown resource types are ignored.
 */
#include <stdio.h>
#include <stdlib.h>

#include "parse/hcl.h"
#include "terraform.h"

tm_file *tm_tf__parse_text(const tm_file *f, const char *text, size_t len)
{
	tm_diag_list scratch;
	tm_diag_list_init(&scratch);
	tm_file *pf = NULL;
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_file_bytes = 1u << 20;
	int rc = tm_file_parse(&pf, tm_file_path(f), text, len, &lim, &scratch);
	tm_diag_list_dispose(&scratch);
	if (rc || !pf || !tm_file_doc_count(pf)) {
		tm_file_free(pf);
		return NULL;
	}
	return pf;
}

const char *tm_tf__module_prefix(tm_arena *a, const char *addr)
{
	const char *end = addr;
	for (const char *p = addr; p && strncmp(p, "module.", 7) == 0;) {
		const char *dot = strchr(p + 7, '.');
		if (!dot)
			break;
		end = p = dot + 1;
	}
	return addr && end > addr ? tm_arena_strndup(a, addr, (size_t)(end - addr)) : "";
}

void tm_tf__index_put(tm_hmap *keys, tm_arena *a, const char *type, char how, const char *key, void *r)
{
	if (!key || !*key)
		return;
	char *k = tm_arena_printf(a, "%s\x1f%c\x1f%s", type, how, key);
	if (!k || (!tm_hmap_get(keys, k, strlen(k)) && tm_hmap_put(keys, k, strlen(k), r)))
		tm_arena_set_failed(a);
}

void *tm_tf__index_get(const tm_hmap *keys, const char *type, char how, const char *key, size_t klen)
{
	char k[600];
	int n = tm_formatf(k, sizeof(k), "%s\x1f%c\x1f%.*s", type, how, (int)klen, key);
	return n > 0 && (size_t)n < sizeof(k) ? tm_hmap_get(keys, k, (size_t)n) : NULL;
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool tm_tf__next_address(const char *s, const char *type, const char **cur, const char **full, size_t *flen,
			 const char **local, size_t *llen)
{
	size_t tl = strlen(type);
	for (const char *p = strstr(*cur, type); p; p = strstr(p + 1, type)) {
		if ((p > s && ident_char(p[-1])) || p[tl] != '.')
			continue;
		const char *nm = p + tl + 1;
		size_t nl = 0;
		while (ident_char(nm[nl]))
			nl++;
		if (!nl)
			continue;
		/* written with its module path (an address a reference gave: "module.fn.TYPE.NAME") */
		const char *start = p;
		while (start - s >= 8 && start[-1] == '.') {
			const char *q = start - 1;
			while (q > s && ident_char(q[-1]))
				q--;
			if (q - s < 7 || strncmp(q - 7, "module.", 7) != 0)
				break;
			start = q - 7;
		}
		*cur = p + 1;
		*full = start;
		*flen = (size_t)(nm + nl - start);
		*local = p;
		*llen = tl + 1 + nl;
		return true;
	}
	return false;
}

struct tf {
	tm_arena *arena;
	const tm_file **files;
	const tm_value **roots;
	size_t n, cap, capr;
	tm_tf_src *srcs; /* configuration files, evaluated together at the end */
	size_t nsrcs, cap_srcs;
	tm_file **owned; /* parsed HCL and evaluated documents */
	size_t nowned, cap_owned;
};

static bool own(struct tf *t, tm_file *f)
{
	if (!f)
		return false;
	if (TM_GROW(t->owned, t->cap_owned, t->nowned + 1)) {
		tm_file_free(f);
		return false;
	}
	t->owned[t->nowned++] = f;
	return true;
}

bool tm_ingest__is_hcl_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 3 && strcmp(name + n - 3, ".tf") == 0) || (n > 7 && strcmp(name + n - 7, ".tfvars") == 0);
}

static bool add_src(struct tf *t, const char *path, const tm_file *f, const tm_value *root, bool tfvars)
{
	if (TM_GROW(t->srcs, t->cap_srcs, t->nsrcs + 1))
		return false;
	const char *slash = strrchr(path, '/');
	tm_tf_src *s = &t->srcs[t->nsrcs];
	memset(s, 0, sizeof(*s));
	s->dir = slash ? tm_arena_printf(t->arena, "%.*s", (int)(slash - path), path) : "";
	s->path = tm_arena_strdup(t->arena, path);
	s->f = f;
	s->root = root;
	s->tfvars = tfvars;
	if (!s->dir || !s->path)
		return false;
	t->nsrcs++;
	return true;
}

bool tm_ingest__terraform_text(tm_ingest_ctx *ctx, void *state, const char *display, const char *text, size_t len)
{
	struct tf *t = state;
	tm_file *f = NULL;
	int rc = tm_hcl_parse(&f, display, text, len, NULL, ctx->diags);
	if (rc == TM_ENOMEM || (f && !own(t, f))) {
		tm_arena_set_failed(ctx->scratch);
		return false;
	}
	if (!f)
		return false;
	size_t n = strlen(display);
	if (!add_src(t, display, f, tm_file_doc(f, 0), n > 7 && strcmp(display + n - 7, ".tfvars") == 0)) {
		tm_arena_set_failed(ctx->scratch);
		return false;
	}
	return true;
}

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
	for (size_t i = 0; i < t->nsrcs; i++)
		tm_file_free(t->srcs[i].aux);
	for (size_t i = 0; i < t->nowned; i++)
		tm_file_free(t->owned[i]);
	tm_free(t->owned);
	tm_free(t->srcs);
	tm_free(t->files);
	tm_free(t->roots);
	tm_free(t);
}

static bool tf_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root, const char *detail)
{
	struct tf *t = state;
	if (t && detail && strcmp(detail, "json") == 0) /* a .tf.json file: configuration */
		return add_src(t, tm_file_path(f), f, root, false);
	if (!t || TM_GROW(t->files, t->cap, t->n + 1) || TM_GROW(t->roots, t->capr, t->n + 1))
		return false;
	/* a raw state in the repository holds every attribute in plain text, passwords and keys too */
	if (tm_map_get(root, "lineage") && tm_map_get(root, "serial"))
		tm_ingest__config_credentials(ctx, f, root, "terraform-state");
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
	tm_hmap sg_users;   /* security group name -> struct sg_user list: built once, at the first group */
	bool sg_indexed;
	/* the resource types no handler reads, with their count, in the order met: said in one note */
	struct unread_type { const char *type; size_t n; } *unread;
	size_t nunread, cap_unread, unread_total;
	tm_hmap unread_at; /* type -> its place in unread, plus one */
	tm_loc first_unread;
	tm_tf_aws *aws;     /* Lambda and API Gateway resources, modelled after the passes (tf_aws_api.c) */
	tm_tf_ecs *ecs;     /* ECS services and load balancers, likewise (tf_aws_ecs.c) */
	tm_hmap policies;   /* aws_iam_policy by name and address -> its values, for the attachments naming it */
	tm_tf_grants *grants; /* stores and the policy statements that name them, joined after the passes */
	const char *addr;   /* the address of the resource being read */
	bool config;        /* configuration as written: the plan renders its Kubernetes and Helm resources */
} walk;

struct sg_user {
	const tm_node *n;
	struct sg_user *next;
};

static tm_node *cloud_node(walk *w, tm_node_kind kind, const char *prefix, const char *name, tm_loc loc)
{
	char *id = tm_arena_printf(w->t->arena, "%s%s", prefix, name);
	tm_mb_boundary(w->ctx->mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
	return id ? tm_mb_node(w->ctx->mb, kind, id, name, "cloud", loc) : NULL;
}

/* A policy document held in a JSON string: parsed; NULL if it is not one. */
static const tm_value *policy_doc(walk *w, const tm_value *s)
{
	if (tm_value_kind_of(s) == TM_VALUE_MAP) /* jsonencode({...}) or a policy document data source */
		return s;
	size_t len = 0;
	const char *text = tm_scalar_str(s, &len);
	if (!text || !len || tm_tf__is_unknown(s) || w->nowned >= TM_ARRAY_LEN(w->owned))
		return NULL;
	tm_file *pf = tm_tf__parse_text(w->f, text, len);
	if (!pf) {
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
	bool located; /* the document's values carry their own positions (configuration, not a JSON string) */
};

/* Where a statement's value is stated: its own position when it has one, else the document's. */
static tm_loc at_value(walk *w, const struct role_ctx *rc, const tm_value *v)
{
	return rc->located && v ? tm_ingest__loc(w->f, v) : rc->loc;
}

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
		/* only the Like operators read * and ? as patterns: under StringEquals a "*" is the
		 * character itself, a subject no token carries (a trust nobody can use, not anyone) */
		const char *op = tm_scalar_str(tm_map_key(cond, i), NULL);
		bool like = op && strstr(op, "Like");
		for (size_t k = 0; k < tm_value_len(ops); k++) {
			const char *key = tm_scalar_str(tm_map_key(ops, k), NULL);
			const tm_value *val = tm_map_value(ops, k);
			if (!key || !strstr(key, ":sub"))
				continue;
			for (size_t j = 0; j < (tm_value_kind_of(val) == TM_VALUE_SEQ ? tm_value_len(val) : 1); j++) {
				const tm_value *sv = tm_value_kind_of(val) == TM_VALUE_SEQ ? tm_seq_at(val, j) : val;
				const char *s = tm_scalar_str(sv, NULL);
				if (!s)
					continue;
				tm_mb_node_list_add(w->ctx->mb, rc->role, "trusted_subjects", s);
				/* IRSA / workload identity: a Kubernetes service account that may assume the role */
				char ns[128], sa[128];
				if (sscanf(s, "system:serviceaccount:%127[^:]:%127s", ns, sa) == 2) {
					char id[300];
					tm_formatf(id, sizeof(id), "identity:k8s:%s/%s", ns, sa);
					tm_node *ksa = tm_mb_find(w->ctx->mb, id);
					tm_edge *e = ksa ? tm_mb_edge(w->ctx->mb, ksa, rc->role, TM_EDGE_GRANTED, at_value(w, rc, sv)) : NULL;
					if (e)
						tm_mb_edge_str(w->ctx->mb, e, "via", "web identity federation");
				}
				if (like && strpbrk(s, "*?"))
					tm_mb_node_fact(w->ctx->mb, rc->role, "trust_wildcard", s, at_value(w, rc, sv));
			}
		}
	}
}

static void perm_statement(walk *w, const tm_value *st, void *ud)
{
	struct role_ctx *rc = ud;
	tm_tf__grants_statement(w->grants, rc->role, st, w->f, rc->located, rc->loc);
	const char *effect = tm_map_get_str(st, "Effect");
	if (effect && strcmp(effect, "Allow") != 0)
		return;
	if (has_value(tm_map_get(st, "Action"), "*") && has_value(tm_map_get(st, "Resource"), "*"))
		tm_mb_node_fact(w->ctx->mb, rc->role, "admin_policy", "Action * on Resource *", rc->loc);
	else if (has_value(tm_map_get(st, "Action"), "iam:*") && has_value(tm_map_get(st, "Resource"), "*"))
		tm_mb_node_fact(w->ctx->mb, rc->role, "admin_policy", "iam:* on Resource * (it may grant itself any policy)",
				rc->loc);
	else if (has_value(tm_map_get(st, "Action"), "*") || has_value(tm_map_get(st, "Action"), "iam:*") ||
		 has_value(tm_map_get(st, "Action"), "s3:*"))
		tm_mb_node_fact(w->ctx->mb, rc->role, "wildcard_actions", "wildcard action", rc->loc);
}

/* The node pass 0 made that a resource names in its value key: prefix + the name, or NULL. */
static tm_node *named_node(walk *w, const tm_value *vals, const char *key, const char *prefix)
{
	const char *name = tm_map_get_str(vals, key);
	char id[512];
	tm_formatf(id, sizeof(id), "%s%s", prefix, name ? name : "");
	return name ? tm_mb_find(w->ctx->mb, id) : NULL;
}

/* Is arn AWS's managed AdministratorAccess policy (its last path part exactly: not
 * AdministratorAccess-Amplify or -AWSElasticBeanstalk)? */
static bool admin_access(const char *arn)
{
	const char *last = arn ? strrchr(arn, '/') : NULL;
	/* IAMFullAccess too: a role that may attach any policy to itself is an administrator one call
	 * away */
	return last && (strcmp(last + 1, "AdministratorAccess") == 0 || strcmp(last + 1, "IAMFullAccess") == 0);
}

/* aws_iam_role: an identity, with whom its assume-role policy trusts. */
static tm_node *iam_role(walk *w, const tm_value *vals, tm_loc loc)
{
	const char *name = tm_map_get_str(vals, "name");
	tm_node *role = name ? cloud_node(w, TM_NODE_IDENTITY, "identity:aws:", name, loc) : NULL;
	if (!role)
		return NULL;
	tm_mb_node_str(w->ctx->mb, role, "identity_type", "aws-iam-role");
	tm_mb_node_bool(w->ctx->mb, role, "declared", true);
	const tm_value *arp = tm_map_get(vals, "assume_role_policy");
	const tm_value *doc = policy_doc(w, arp);
	struct role_ctx rc = {role, tm_ingest__loc(w->f, arp), tm_value_kind_of(arp) == TM_VALUE_MAP};
	if (doc)
		each_statement(doc, trust_statement, w, &rc);
	/* what the role itself says it may do: managed policies by ARN, inline_policy blocks */
	const tm_value *arns = tm_map_get(vals, "managed_policy_arns");
	for (size_t i = 0; i < (tm_value_kind_of(arns) == TM_VALUE_SEQ ? tm_value_len(arns) : 0); i++) {
		const char *arn = tm_scalar_str(tm_seq_at(arns, i), NULL);
		if (arn && admin_access(arn))
			tm_mb_node_fact(w->ctx->mb, role, "admin_policy", arn, tm_ingest__loc(w->f, tm_seq_at(arns, i)));
		else if (arn)
			tm_tf__grants_managed(w->grants, role, arn, tm_ingest__loc(w->f, tm_seq_at(arns, i)));
	}
	const tm_value *inl = tm_map_get(vals, "inline_policy");
	for (size_t i = 0; i < (tm_value_kind_of(inl) == TM_VALUE_SEQ ? tm_value_len(inl) : inl ? 1 : 0); i++) {
		const tm_value *blk = tm_value_kind_of(inl) == TM_VALUE_SEQ ? tm_seq_at(inl, i) : inl;
		const tm_value *pol = tm_map_get(blk, "policy");
		const tm_value *pdoc = pol ? policy_doc(w, pol) : NULL;
		struct role_ctx pc = {role, tm_ingest__loc(w->f, pol), tm_value_kind_of(pol) == TM_VALUE_MAP};
		if (pdoc)
			each_statement(pdoc, perm_statement, w, &pc);
	}
	return role;
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
	if (arn && admin_access(arn))
		tm_mb_node_fact(mb, role, "admin_policy", arn, tm_ingest__loc(w->f, tm_map_get(vals, "policy_arn")));
	else if (arn && tm_tf__grants_managed(w->grants, role, arn, tm_ingest__loc(w->f, tm_map_get(vals, "policy_arn"))))
		return;
	/* a customer-managed policy the scan holds: its name (configuration: what its arn reference
	 * stands for), its address, or an ARN's last part */
	const char *last = arn ? strrchr(arn, '/') : NULL;
	const tm_value *own = !arn ? NULL
			      : tm_hmap_get(&w->policies, arn, strlen(arn)) ? tm_hmap_get(&w->policies, arn, strlen(arn))
			      : last ? tm_hmap_get(&w->policies, last + 1, strlen(last + 1))
				     : NULL;
	if (own && !pol)
		pol = tm_map_get(own, "policy");
	const tm_value *doc = pol ? policy_doc(w, pol) : NULL;
	struct role_ctx rc = {role, tm_ingest__loc(w->f, pol), tm_value_kind_of(pol) == TM_VALUE_MAP};
	if (doc)
		each_statement(doc, perm_statement, w, &rc);
}

static tm_node *s3_bucket(walk *w, const tm_value *vals, tm_loc loc)
{
	tm_model_builder *mb = w->ctx->mb;
	const char *b = tm_map_get_str(vals, "bucket");
	tm_node *n = b ? cloud_node(w, TM_NODE_DATASTORE, "datastore:aws:s3:", b, loc) : NULL;
	if (n) {
		tm_mb_node_str(mb, n, "store_type", "aws-s3-bucket");
		tm_tf__grants_store(w->grants, "aws_s3_bucket", b, n);
	}
	const char *acl = tm_map_get_str(vals, "acl");
	if (n && acl && strncmp(acl, "public-read", 11) == 0)
		tm_mb_node_fact(mb, n, "public_access", tm_arena_printf(w->t->arena, "acl %s", acl),
				tm_ingest__loc(w->f, tm_map_get(vals, "acl")));
	return n;
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

/* A statement that lets anyone (Principal "*", {"AWS": "*"}) act, with no condition narrowing who. */
static void public_statement(walk *w, const tm_value *st, void *ud)
{
	struct role_ctx *rc = ud;
	const char *effect = tm_map_get_str(st, "Effect");
	const tm_value *pr = tm_map_get(st, "Principal");
	if ((effect && strcmp(effect, "Allow") != 0) || tm_map_get(st, "Condition"))
		return;
	bool anyone = has_value(pr, "*");
	for (size_t i = 0; !anyone && tm_value_kind_of(pr) == TM_VALUE_MAP && i < tm_value_len(pr); i++)
		anyone = has_value(tm_map_value(pr, i), "*");
	if (!anyone)
		return;
	const tm_value *act = tm_map_get(st, "Action");
	const char *a = tm_scalar_str(tm_value_kind_of(act) == TM_VALUE_SEQ ? tm_seq_at(act, 0) : act, NULL);
	tm_mb_node_fact(w->ctx->mb, rc->role, "public_access",
			tm_arena_printf(w->t->arena, "bucket policy allows %s to anyone", a ? a : "actions"), at_value(w, rc, pr));
}

/* aws_s3_bucket_policy: a statement open to every principal makes the bucket public. */
static void s3_bucket_policy(walk *w, const tm_value *vals)
{
	tm_node *n = named_node(w, vals, "bucket", "datastore:aws:s3:");
	const tm_value *pol = tm_map_get(vals, "policy");
	const tm_value *doc = n && pol ? policy_doc(w, pol) : NULL;
	struct role_ctx rc = {n, tm_ingest__loc(w->f, pol), tm_value_kind_of(pol) == TM_VALUE_MAP};
	if (doc)
		each_statement(doc, public_statement, w, &rc);
}

/* aws_db_instance, aws_rds_cluster: a datastore, public or unencrypted, with its security groups. */
static tm_node *rds(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	tm_model_builder *mb = w->ctx->mb;
	const char *ident = tm_map_get_str(vals, "identifier");
	if (!ident)
		ident = tm_map_get_str(vals, "cluster_identifier");
	tm_node *n = ident ? cloud_node(w, TM_NODE_DATASTORE, "datastore:aws:rds:", ident, loc) : NULL;
	if (!n)
		return NULL;
	tm_mb_node_str(mb, n, "store_type", type);
	const char *engine = tm_map_get_str(vals, "engine");
	if (engine)
		tm_mb_node_str(mb, n, "engine", engine);
	const tm_value *pa = tm_map_get(vals, "publicly_accessible");
	bool pub;
	if (pa && !tm_scalar_bool(pa, &pub) && pub)
		tm_mb_node_fact(mb, n, "public_access", "publicly_accessible", tm_ingest__loc(w->f, pa));
	/* an instance with no public address (false, and the provider's default): a world-open security
	 * group lets nothing in from the internet (TM-CLOUD-005 says the group is open) */
	else if ((pa && !tm_scalar_bool(pa, &pub) && !pub) || (!pa && strcmp(type, "aws_db_instance") == 0))
		tm_mb_node_bool(mb, n, "publicly_accessible", false);
	const tm_value *enc = tm_map_get(vals, "storage_encrypted");
	bool e;
	if (enc && !tm_scalar_bool(enc, &e) && !e)
		tm_mb_node_fact(mb, n, "unencrypted", "storage_encrypted false", tm_ingest__loc(w->f, enc));
	const tm_value *sgs = tm_map_get(vals, "vpc_security_group_ids");
	for (size_t i = 0; i < tm_value_len(sgs); i++)
		tm_mb_node_list_add(mb, n, "security_groups", tm_scalar_str(tm_seq_at(sgs, i), NULL));
	return n;
}

/* The items of a value that is a string or a list of strings (members, source ranges). */
static size_t items(const tm_value *v)
{
	return tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_value_len(v) : v != NULL;
}

static const tm_value *item(const tm_value *v, size_t i)
{
	return tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_seq_at(v, i) : v;
}

static bool world(const char *s)
{
	return s && (strcmp(s, "0.0.0.0/0") == 0 || strcmp(s, "::/0") == 0 || strcmp(s, "*") == 0 ||
		     strcmp(s, "Internet") == 0 || strcmp(s, "any") == 0);
}

/* Ports that give a shell, a desktop, a cluster's control or a database's data to whoever connects. */
static const struct {
	int port;
	const char *what;
} sensitive_ports[] = {
	{22, "ssh"}, {23, "telnet"}, {3389, "rdp"}, {5985, "winrm"}, {5986, "winrm"}, {2375, "docker api"},
	{2379, "etcd"}, {6443, "kubernetes api"}, {10250, "kubelet"}, {1433, "sql server"}, {3306, "mysql"},
	{5432, "postgresql"}, {6379, "redis"}, {9200, "elasticsearch"}, {27017, "mongodb"},
};

/* The sensitive ports a port list ("22", "8000-9000", several separated by commas; NULL, empty, "*"
 * or "-1": every port) lets in, as "22 (ssh), 3389 (rdp)"; NULL if none. */
static const char *sensitive(walk *w, const char *ports)
{
	if (!ports || !*ports || strcmp(ports, "*") == 0 || strcmp(ports, "-1") == 0 || strcmp(ports, "0-0") == 0 ||
	    strcmp(ports, "0-65535") == 0 || strcmp(ports, "1-65535") == 0)
		return "all ports";
	tm_strbuf sb = TM_STRBUF_INIT;
	for (const char *p = ports; *p;) {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;
		if (end == p)
			break;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		for (size_t i = 0; i < TM_ARRAY_LEN(sensitive_ports); i++)
			if (sensitive_ports[i].port >= lo && sensitive_ports[i].port <= hi)
				tm_strbuf_printf(&sb, "%s%d (%s)", sb.len ? ", " : "", sensitive_ports[i].port,
						 sensitive_ports[i].what);
		p = end;
		while (*p == ',' || *p == ' ')
			p++;
	}
	const char *r = sb.len ? tm_arena_strdup(w->t->arena, sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	return r;
}

/* An entry point for a firewall that admits the internet: one node per group, a fact per rule
 * (`open_ingress`), and `open_sensitive_ports` for a rule that lets in a port of the list above. */
static void open_ingress(walk *w, const char *kind, const char *name, const char *what, const char *ports, tm_loc at)
{
	if (!name)
		return;
	char *id = tm_arena_printf(w->t->arena, "entrypoint:cloud:%s:%s", kind, name);
	tm_mb_boundary(w->ctx->mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
	tm_node *n = id ? tm_mb_node(w->ctx->mb, TM_NODE_ENTRYPOINT, id, name, "cloud", at) : NULL;
	if (!n)
		return;
	tm_mb_node_str(w->ctx->mb, n, "firewall_type", kind);
	tm_mb_node_fact(w->ctx->mb, n, "open_ingress", what, at);
	const char *risky = sensitive(w, ports);
	if (risky)
		tm_mb_node_fact(w->ctx->mb, n, "open_sensitive_ports", risky, at);
}

/* The nodes naming each security group (stores' security_groups), indexed by one walk of the model. */
static void index_sg_users(walk *w)
{
	if (w->sg_indexed)
		return;
	w->sg_indexed = true;
	const tm_model *m = tm_mb_model(w->ctx->mb);
	for (size_t k = 0; k < tm_model_node_count(m); k++) {
		const tm_node *s = tm_model_node(m, k);
		const tm_attr *g = tm_node_attr_get(s, "security_groups");
		for (size_t j = 0; g && g->type == TM_ATTR_LIST && g->list[j]; j++) {
			struct sg_user *u = tm_arena_alloc(w->t->arena, sizeof(*u));
			if (!u)
				return;
			u->n = s;
			u->next = tm_hmap_get(&w->sg_users, g->list[j], strlen(g->list[j]));
			if (tm_hmap_put(&w->sg_users, g->list[j], strlen(g->list[j]), u))
				tm_arena_set_failed(w->t->arena);
		}
	}
}

/* aws_security_group: each world-open ingress rule is public access on the stores that use the group,
 * and an open_ingress fact on the group's entry point. */
static void security_group(walk *w, const tm_value *vals)
{
	tm_model_builder *mb = w->ctx->mb;
	const char *name = tm_map_get_str(vals, "name");
	const tm_value *ing = tm_map_get(vals, "ingress");
	for (size_t i = 0; name && i < tm_value_len(ing); i++) {
		const tm_value *rule = tm_seq_at(ing, i);
		const tm_value *cidrs = tm_map_get(rule, "cidr_blocks");
		bool open = has_value(cidrs, "0.0.0.0/0") || has_value(tm_map_get(rule, "ipv6_cidr_blocks"), "::/0");
		if (!open)
			continue;
		const char *from = tm_map_get_str(rule, "from_port"), *to = tm_map_get_str(rule, "to_port");
		const char *proto = tm_map_get_str(rule, "protocol");
		char *what = tm_arena_printf(w->t->arena, "security group %s open to the internet on %s-%s", name,
					     from ? from : "?", to ? to : "?");
		bool all = proto && (strcmp(proto, "-1") == 0 || strcmp(proto, "all") == 0);
		/* a port the files do not give (a dynamic block's item from a variable without a value) */
		const char *unknown_port = tm_tf__is_unknown(tm_map_get(rule, "from_port")) ? from
					   : tm_tf__is_unknown(tm_map_get(rule, "to_port"))  ? to
											      : NULL;
		const char *text = unknown_port ? tm_arena_printf(w->t->arena, "%s ports not known, %s, from the internet",
								   all ? "all" : proto ? proto : "?", unknown_port)
						: tm_arena_printf(w->t->arena, "%s %s-%s from the internet",
								   all ? "all" : proto ? proto : "?", from ? from : "?",
								   to ? to : "?");
		open_ingress(w, "aws-sg", name, text,
			     all ? NULL : unknown_port ? "?" : tm_arena_printf(w->t->arena, "%s-%s", from ? from : "", to ? to : ""),
			     tm_ingest__loc(w->f, rule));
		/* every store that uses the group (by name or id) */
		index_sg_users(w);
		for (struct sg_user *u = tm_hmap_get(&w->sg_users, name, strlen(name)); u; u = u->next) {
			const tm_attr *pa = tm_node_attr_get(u->n, "publicly_accessible");
			if (pa && pa->type == TM_ATTR_BOOL && !pa->num)
				continue; /* no public address: not reachable from the internet through it */
			tm_mb_node_fact(mb, tm_mb_find(mb, tm_node_id(u->n)), "public_access", what, tm_ingest__loc(w->f, rule));
		}
	}
}

/* ---- Google Cloud ---------------------------------------------------------------------------- */

/* The account id in an email, a member or a resource name: "serviceAccount:x@p.iam..." -> x. */
static const char *account_of(walk *w, const char *s)
{
	if (!s)
		return NULL;
	const char *slash = strrchr(s, '/'), *colon = strchr(s, ':');
	if (slash)
		s = slash + 1;
	else if (colon)
		s = colon + 1;
	const char *at = strchr(s, '@');
	return at ? tm_arena_printf(w->t->arena, "%.*s", (int)(at - s), s) : s;
}

static tm_node *gcp_service_account(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	const char *id = tm_map_get_str(vals, "account_id");
	tm_node *n = id ? cloud_node(w, TM_NODE_IDENTITY, "identity:gcp:", id, loc) : NULL;
	if (n)
	{
		tm_mb_node_str(w->ctx->mb, n, "identity_type", "gcp-service-account");
		tm_mb_node_bool(w->ctx->mb, n, "declared", true);
	}
	return n;
}

/* A Kubernetes service account allowed to act as a cloud identity: the subject, and the edge. */
static void k8s_subject(walk *w, tm_node *id, const char *subject, const char *ns, const char *sa, const char *via,
			tm_loc at)
{
	tm_mb_node_list_add(w->ctx->mb, id, "trusted_subjects", subject);
	char *kid = tm_arena_printf(w->t->arena, "identity:k8s:%s/%s", ns, sa);
	tm_node *ksa = kid ? tm_mb_find(w->ctx->mb, kid) : NULL;
	tm_edge *e = ksa ? tm_mb_edge(w->ctx->mb, ksa, id, TM_EDGE_GRANTED, at) : NULL;
	if (e)
		tm_mb_edge_str(w->ctx->mb, e, "via", via);
	if (strchr(subject, '*'))
		tm_mb_node_fact(w->ctx->mb, id, "trust_wildcard", subject, at);
}

/* A workload identity federation member (a GitHub workflow's token through a pool): the subject,
 * and `trust_wildcard` for the sets wider than one subject (what comes after the pool's name):
 *   `*`                                  every identity of the pool (the widest)
 *   attribute.repository_owner/OWNER     every repository of the owner (AWS's repo:OWNER/...)
 *   attribute.repository/OWNER/REPO      every branch, tag and pull request (repo:OWNER/REPO:...)
 *   attribute.NAME/VALUE, group/GROUP    every token the pool maps there
 * A principal:// member is one subject (GCP reads no pattern in it). */
static void pool_subject(walk *w, tm_node *id, const char *m, tm_loc at)
{
	tm_mb_node_list_add(w->ctx->mb, id, "trusted_subjects", m);
	/* after the pool's name, whether written out (projects/N/locations/global/workloadIdentityPools/
	 * POOL) or evaluated from a reference to the pool (its id) */
	const char *rest = strstr(m, "/attribute.");
	if (!rest)
		rest = strstr(m, "/group/");
	if (!rest)
		rest = strstr(m, "/subject/");
	if (!rest && strlen(m) > 2 && strcmp(m + strlen(m) - 2, "/*") == 0)
		rest = m + strlen(m) - 2;
	if (!rest)
		return;
	rest++;
	const char *why = NULL;
	if (strcmp(rest, "*") == 0)
		why = "every identity of the pool";
	else if (strncmp(rest, "attribute.repository_owner/", 27) == 0)
		why = tm_arena_printf(w->t->arena, "every repository, branch and pull request of %s", rest + 27);
	else if (strncmp(rest, "attribute.repository/", 21) == 0)
		why = tm_arena_printf(w->t->arena, "every branch, tag and pull request of %s", rest + 21);
	else if (strncmp(m, "principalSet://", 15) == 0)
		why = "every token the pool maps to that attribute or group";
	if (why)
		tm_mb_node_fact(w->ctx->mb, id, "trust_wildcard", tm_arena_printf(w->t->arena, "%s (%s)", m, why), at);
}

/* google_service_account_iam_member/_binding: who may act as the account (workload identity). */
static tm_node *gcp_sa_iam(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	(void)loc;
	const char *role = tm_map_get_str(vals, "role");
	const char *acct = account_of(w, tm_map_get_str(vals, "service_account_id"));
	char *nid = acct ? tm_arena_printf(w->t->arena, "identity:gcp:%s", acct) : NULL;
	tm_node *n = nid ? tm_mb_find(w->ctx->mb, nid) : NULL;
	if (!n || !role || !strstr(role, "workloadIdentityUser"))
		return NULL;
	const tm_value *mv = tm_map_get(vals, "member") ? tm_map_get(vals, "member") : tm_map_get(vals, "members");
	for (size_t i = 0; i < items(mv); i++) {
		const char *m = tm_scalar_str(item(mv, i), NULL);
		const char *br = m ? strchr(m, '[') : NULL;
		char ns[128], sa[128];
		if (br && sscanf(br, "[%127[^/]/%127[^]]]", ns, sa) == 2)
			k8s_subject(w, n, m, ns, sa, "GKE workload identity", tm_ingest__loc(w->f, item(mv, i)));
		else if (m && (strncmp(m, "principalSet://", 15) == 0 || strncmp(m, "principal://", 12) == 0))
			pool_subject(w, n, m, tm_ingest__loc(w->f, item(mv, i)));
	}
	return NULL;
}

/* google_project_iam_member/_binding: the project roles a service account holds (`project_roles`);
 * owner or editor is administration. */
static tm_node *gcp_project_iam(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	(void)loc;
	const char *role = tm_map_get_str(vals, "role");
	if (!role)
		return NULL;
	bool admin = strcmp(role, "roles/owner") == 0 || strcmp(role, "roles/editor") == 0;
	const tm_value *mv = tm_map_get(vals, "member") ? tm_map_get(vals, "member") : tm_map_get(vals, "members");
	for (size_t i = 0; i < items(mv); i++) {
		const char *m = tm_scalar_str(item(mv, i), NULL);
		if (!m || strncmp(m, "serviceAccount:", 15) != 0)
			continue;
		char *nid = tm_arena_printf(w->t->arena, "identity:gcp:%s", account_of(w, m));
		tm_node *n = nid ? tm_mb_find(w->ctx->mb, nid) : NULL;
		if (n)
			tm_mb_node_fact(w->ctx->mb, n, "project_roles", role, tm_ingest__loc(w->f, tm_map_get(vals, "role")));
		if (n && admin)
			tm_mb_node_fact(w->ctx->mb, n, "admin_policy", tm_arena_printf(w->t->arena, "%s on the project", role),
					tm_ingest__loc(w->f, tm_map_get(vals, "role")));
	}
	return NULL;
}

static tm_node *gcp_store(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	const char *name = tm_map_get_str(vals, "name");
	const char *prefix = strcmp(type, "google_storage_bucket") == 0 ? "datastore:gcp:gcs:"
			     : strcmp(type, "google_redis_instance") == 0 ? "datastore:gcp:redis:"
									    : "datastore:gcp:sql:";
	tm_node *n = name ? cloud_node(w, TM_NODE_DATASTORE, prefix, name, loc) : NULL;
	if (!n)
		return NULL;
	tm_mb_node_str(w->ctx->mb, n, "store_type", type);
	const char *engine = tm_map_get_str(vals, "database_version");
	if (engine)
		tm_mb_node_str(w->ctx->mb, n, "engine", engine);
	bool auth = false;
	if (strcmp(type, "google_redis_instance") == 0 && (tm_scalar_bool(tm_map_get(vals, "auth_enabled"), &auth) || !auth))
		tm_mb_node_str(w->ctx->mb, n, "authentication", "none (auth_enabled is not set)");
	/* Cloud SQL: an authorized network of the whole internet on a public address */
	const tm_value *ipc = tm_map_get(tm_seq_at(tm_map_get(vals, "settings"), 0), "ip_configuration");
	const tm_value *ip = tm_seq_at(ipc, 0);
	bool v4 = true;
	if (tm_map_get(ip, "ipv4_enabled"))
		tm_scalar_bool(tm_map_get(ip, "ipv4_enabled"), &v4);
	const tm_value *nets = tm_map_get(ip, "authorized_networks");
	for (size_t i = 0; v4 && i < tm_value_len(nets); i++) {
		const tm_value *val = tm_map_get(tm_seq_at(nets, i), "value");
		if (world(tm_scalar_str(val, NULL)))
			tm_mb_node_fact(w->ctx->mb, n, "public_access", "authorized network 0.0.0.0/0 on a public address",
					tm_ingest__loc(w->f, val));
	}
	return n;
}

/* google_storage_bucket_iam_member/_binding and _acl: the bucket granted to everyone. */
static tm_node *gcs_access(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)loc;
	tm_node *n = named_node(w, vals, "bucket", "datastore:gcp:gcs:");
	if (!n)
		return NULL;
	const tm_value *acl = tm_map_get(vals, "predefined_acl");
	const char *a = tm_scalar_str(acl, NULL);
	if (a && strncmp(a, "publicRead", 10) == 0)
		tm_mb_node_fact(w->ctx->mb, n, "public_access", tm_arena_printf(w->t->arena, "acl %s", a), tm_ingest__loc(w->f, acl));
	const tm_value *mv = tm_map_get(vals, "member") ? tm_map_get(vals, "member")
			     : tm_map_get(vals, "members") ? tm_map_get(vals, "members") : tm_map_get(vals, "role_entity");
	const char *role = tm_map_get_str(vals, "role");
	for (size_t i = 0; i < items(mv); i++) {
		const char *m = tm_scalar_str(item(mv, i), NULL);
		if (m && (strstr(m, "allUsers") || strstr(m, "allAuthenticatedUsers")))
			tm_mb_node_fact(w->ctx->mb, n, "public_access",
					tm_arena_printf(w->t->arena, "%s granted to %s", role ? role : type, m),
					tm_ingest__loc(w->f, item(mv, i)));
	}
	return NULL;
}

/* google_container_cluster: the Google service account its nodes run as. Without workload identity
 * (no workload_identity_config pool, not Autopilot) every pod can take that account's token from the
 * metadata server: a located `metadata_reachable` fact on the account. */
static tm_node *gke_cluster(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	const char *cluster = tm_map_get_str(vals, "name");
	const tm_value *sa = tm_map_get(tm_seq_at(tm_map_get(vals, "node_config"), 0), "service_account");
	if (!sa)
		sa = tm_map_get(tm_seq_at(tm_map_get(tm_seq_at(tm_map_get(vals, "cluster_autoscaling"), 0),
						 "auto_provisioning_defaults"), 0), "service_account");
	const char *acct = account_of(w, tm_scalar_str(sa, NULL));
	char *nid = acct ? tm_arena_printf(w->t->arena, "identity:gcp:%s", acct) : NULL;
	tm_node *n = nid ? tm_mb_find(w->ctx->mb, nid) : NULL;
	if (!n || !cluster)
		return NULL;
	bool autopilot = false;
	const char *pool = tm_map_get_str(tm_seq_at(tm_map_get(vals, "workload_identity_config"), 0), "workload_pool");
	tm_scalar_bool(tm_map_get(vals, "enable_autopilot"), &autopilot);
	tm_mb_node_list_add(w->ctx->mb, n, "node_service_account_of", cluster);
	if (!autopilot && !pool)
		tm_mb_node_fact(w->ctx->mb, n, "metadata_reachable",
				tm_arena_printf(w->t->arena, "every pod of cluster %s (workload identity off)", cluster),
				loc);
	return NULL;
}

/* google_compute_firewall: an ingress rule from anywhere. */
static tm_node *gcp_firewall(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	(void)loc;
	const char *dir = tm_map_get_str(vals, "direction");
	if (dir && strcmp(dir, "EGRESS") == 0)
		return NULL;
	const tm_value *src = tm_map_get(vals, "source_ranges");
	for (size_t i = 0; i < items(src); i++) {
		if (!world(tm_scalar_str(item(src, i), NULL)))
			continue;
		const tm_value *allow = tm_map_get(vals, "allow");
		tm_strbuf sb = TM_STRBUF_INIT, pl = TM_STRBUF_INIT;
		bool every = false;
		for (size_t k = 0; k < tm_value_len(allow); k++) {
			const tm_value *a = tm_seq_at(allow, k), *ports = tm_map_get(a, "ports");
			tm_strbuf_printf(&sb, "%s%s", k ? ", " : "", tm_map_get_str(a, "protocol") ? tm_map_get_str(a, "protocol") : "?");
			every = every || !tm_value_len(ports); /* no ports: every port of the protocol */
			for (size_t j = 0; j < tm_value_len(ports); j++) {
				const char *pt = tm_scalar_str(tm_seq_at(ports, j), NULL);
				tm_strbuf_printf(&sb, "%s%s", j ? "," : " ", pt ? pt : "?");
				tm_strbuf_printf(&pl, "%s%s", pl.len ? "," : "", pt ? pt : "");
			}
		}
		if (tm_value_len(allow))
			open_ingress(w, "gcp-fw", tm_map_get_str(vals, "name"),
				     tm_arena_printf(w->t->arena, "%s from %s", sb.data ? sb.data : "?",
						     tm_scalar_str(item(src, i), NULL)),
				     every ? NULL : pl.data, tm_ingest__loc(w->f, item(src, i)));
		tm_strbuf_dispose(&sb);
		tm_strbuf_dispose(&pl);
		break;
	}
	return NULL;
}

/* ---- Azure ------------------------------------------------------------------------------------ */

static tm_node *azure_identity(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	const char *name = tm_map_get_str(vals, "name");
	tm_node *n = name ? cloud_node(w, TM_NODE_IDENTITY, "identity:azure:", name, loc) : NULL;
	if (n)
	{
		tm_mb_node_str(w->ctx->mb, n, "identity_type", "azure-user-assigned-identity");
		tm_mb_node_bool(w->ctx->mb, n, "declared", true);
	}
	return n;
}

/* azurerm_federated_identity_credential: the Kubernetes service account that may act as the identity. */
static tm_node *azure_federated(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	(void)loc;
	const char *parent = tm_map_get_str(vals, "parent_id");
	tm_node *n = NULL;
	if (parent) {
		const char *slash = strrchr(parent, '/');
		char *nid = tm_arena_printf(w->t->arena, "identity:azure:%s", slash ? slash + 1 : parent);
		n = nid ? tm_mb_find(w->ctx->mb, nid) : NULL;
	}
	const tm_value *sv = tm_map_get(vals, "subject");
	const char *subject = tm_scalar_str(sv, NULL);
	const char *issuer = tm_map_get_str(vals, "issuer");
	char ns[128], sa[128];
	if (n && subject && sscanf(subject, "system:serviceaccount:%127[^:]:%127s", ns, sa) == 2)
		k8s_subject(w, n, subject, ns, sa, "Azure workload identity", tm_ingest__loc(w->f, sv));
	else if (n && subject && (strncmp(subject, "repo:", 5) == 0 || (issuer && strstr(issuer, "token.actions.githubusercontent.com")))) {
		/* GitHub's OIDC tokens (azure/login in a workflow): the subject names the repository and
		 * the branch, environment or pull_request event that may act as the identity */
		tm_mb_node_list_add(w->ctx->mb, n, "trusted_subjects", subject);
		if (issuer)
			tm_mb_node_list_add(w->ctx->mb, n, "trusts", issuer);
	}
	return NULL;
}

/* azurerm_role_assignment: Owner, Contributor or User Access Administrator for an identity. */
static tm_node *azure_role(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	(void)loc;
	const tm_value *rv = tm_map_get(vals, "role_definition_name");
	const char *role = tm_scalar_str(rv, NULL), *pid = tm_map_get_str(vals, "principal_id");
	if (!role || !pid ||
	    (strcmp(role, "Owner") != 0 && strcmp(role, "Contributor") != 0 && strcmp(role, "User Access Administrator") != 0))
		return NULL;
	char *nid = tm_arena_printf(w->t->arena, "identity:azure:%s", pid);
	tm_node *n = nid ? tm_mb_find(w->ctx->mb, nid) : NULL;
	const char *scope = tm_map_get_str(vals, "scope");
	if (n)
		tm_mb_node_fact(w->ctx->mb, n, "admin_policy",
				tm_arena_printf(w->t->arena, "%s on %s", role, scope ? scope : "a scope"), tm_ingest__loc(w->f, rv));
	return NULL;
}

static tm_node *azure_storage(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	const char *name = tm_map_get_str(vals, "name");
	tm_node *n = name ? cloud_node(w, TM_NODE_DATASTORE, "datastore:azure:storage:", name, loc) : NULL;
	if (n)
		tm_mb_node_str(w->ctx->mb, n, "store_type", "azure-storage-account");
	return n;
}

/* azurerm_storage_container: anonymous read of blobs (or of the listing) on its account. */
static tm_node *azure_container(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	(void)loc;
	const char *acct = tm_map_get_str(vals, "storage_account_name");
	if (!acct && tm_map_get_str(vals, "storage_account_id")) {
		const char *id = tm_map_get_str(vals, "storage_account_id"), *slash = strrchr(id, '/');
		acct = slash ? slash + 1 : id;
	}
	char *nid = acct ? tm_arena_printf(w->t->arena, "datastore:azure:storage:%s", acct) : NULL;
	tm_node *n = nid ? tm_mb_find(w->ctx->mb, nid) : NULL;
	const tm_value *av = tm_map_get(vals, "container_access_type");
	const char *a = tm_scalar_str(av, NULL);
	if (n && a && (strcmp(a, "blob") == 0 || strcmp(a, "container") == 0))
		tm_mb_node_fact(w->ctx->mb, n, "public_access",
				tm_arena_printf(w->t->arena, "container %s: anonymous %s access",
						tm_map_get_str(vals, "name") ? tm_map_get_str(vals, "name") : "?", a),
				tm_ingest__loc(w->f, av));
	return NULL;
}

/* One inbound Allow rule from anywhere (azurerm_network_security_rule, or security_rule inline). */
static void nsg_rule(walk *w, const char *group, const tm_value *r)
{
	const char *dir = tm_map_get_str(r, "direction"), *access = tm_map_get_str(r, "access");
	if (!dir || !access || strcmp(dir, "Inbound") != 0 || strcmp(access, "Allow") != 0)
		return;
	const tm_value *src = tm_map_get(r, "source_address_prefix");
	if (!world(tm_scalar_str(src, NULL))) {
		const tm_value *many = tm_map_get(r, "source_address_prefixes");
		src = NULL;
		for (size_t i = 0; !src && i < items(many); i++)
			if (world(tm_scalar_str(item(many, i), NULL)))
				src = item(many, i);
	}
	if (!src)
		return;
	const char *proto = tm_map_get_str(r, "protocol"), *ports = tm_map_get_str(r, "destination_port_range");
	open_ingress(w, "azure-nsg", group,
		     tm_arena_printf(w->t->arena, "%s %s from %s (rule %s)", proto ? proto : "?", ports ? ports : "?",
				     tm_scalar_str(src, NULL), tm_map_get_str(r, "name") ? tm_map_get_str(r, "name") : "?"),
		     ports, tm_ingest__loc(w->f, src));
}

static tm_node *azure_nsg(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)loc;
	if (strcmp(type, "azurerm_network_security_rule") == 0) {
		nsg_rule(w, tm_map_get_str(vals, "network_security_group_name"), vals);
		return NULL;
	}
	const tm_value *rules = tm_map_get(vals, "security_rule");
	for (size_t i = 0; i < tm_value_len(rules); i++)
		nsg_rule(w, tm_map_get_str(vals, "name"), tm_seq_at(rules, i));
	return NULL;
}

/* ---- dispatch ------------------------------------------------------------------------------- */

static tm_node *aws_role(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	return iam_role(w, vals, loc);
}

/* aws_iam_policy: kept by name and address until the attachments naming it are read (pass 1). */
static tm_node *aws_policy(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	(void)loc;
	const char *name = tm_map_get_str(vals, "name");
	const char *keys[] = {name, w->addr};
	for (size_t i = 0; i < TM_ARRAY_LEN(keys); i++)
		if (keys[i] && !tm_hmap_get(&w->policies, keys[i], strlen(keys[i])) &&
		    tm_hmap_put(&w->policies, keys[i], strlen(keys[i]), (void *)(uintptr_t)vals))
			tm_arena_set_failed(w->ctx->scratch);
	return NULL;
}

static tm_node *aws_role_policy(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	(void)loc;
	role_policy(w, vals);
	return NULL;
}

static tm_node *aws_bucket(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	return s3_bucket(w, vals, loc);
}

static tm_node *aws_bucket_access(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	s3_bucket_access(w, vals, loc);
	return NULL;
}

static tm_node *aws_bucket_policy(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	(void)loc;
	s3_bucket_policy(w, vals);
	return NULL;
}

/* aws_dynamodb_table, aws_sqs_queue, aws_sns_topic, aws_secretsmanager_secret: a store by its name,
 * whose access the roles' policies give (tf_aws_data.c). */
static tm_node *aws_store(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	static const struct {
		const char *type, *prefix, *what;
		tm_node_kind kind;
	} stores[] = {
		{"aws_dynamodb_table", "datastore:aws:dynamodb:", "aws-dynamodb-table", TM_NODE_DATASTORE},
		{"aws_sqs_queue", "queue:aws:sqs:", "aws-sqs-queue", TM_NODE_QUEUE},
		{"aws_sns_topic", "queue:aws:sns:", "aws-sns-topic", TM_NODE_QUEUE},
		{"aws_secretsmanager_secret", "secret:aws:secretsmanager:", "aws-secrets-manager", TM_NODE_SECRET},
	};
	const char *name = tm_map_get_str(vals, "name");
	for (size_t i = 0; name && i < TM_ARRAY_LEN(stores); i++) {
		if (strcmp(stores[i].type, type) != 0)
			continue;
		tm_node *n = cloud_node(w, stores[i].kind, stores[i].prefix, name, loc);
		if (!n)
			return NULL;
		tm_mb_node_str(w->ctx->mb, n, stores[i].kind == TM_NODE_SECRET ? "store" : "store_type", stores[i].what);
		tm_tf__grants_store(w->grants, type, name, n);
		return n;
	}
	return NULL;
}

static tm_node *aws_rds(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	return rds(w, type, vals, loc);
}

static tm_node *aws_sg(walk *w, const char *type, const tm_value *vals, tm_loc loc)
{
	(void)type;
	(void)loc;
	security_group(w, vals);
	return NULL;
}

/* Pass 0 makes the identities and stores, pass 1 attaches what names them, pass 2 joins firewalls. */
static const struct {
	const char *type;
	int pass;
	tm_node *(*fn)(walk *, const char *, const tm_value *, tm_loc);
} handlers[] = {
	{"aws_iam_role", 0, aws_role},
	{"aws_iam_role_policy", 1, aws_role_policy},
	{"aws_iam_role_policy_attachment", 1, aws_role_policy},
	{"aws_iam_policy", 0, aws_policy},
	{"aws_s3_bucket", 0, aws_bucket},
	{"aws_s3_bucket_acl", 1, aws_bucket_access},
	{"aws_s3_bucket_public_access_block", 1, aws_bucket_access},
	{"aws_s3_bucket_policy", 1, aws_bucket_policy},
	{"aws_dynamodb_table", 0, aws_store},
	{"aws_sqs_queue", 0, aws_store},
	{"aws_sns_topic", 0, aws_store},
	{"aws_secretsmanager_secret", 0, aws_store},
	{"aws_db_instance", 0, aws_rds},
	{"aws_rds_cluster", 0, aws_rds},
	{"aws_security_group", 2, aws_sg},
	{"google_service_account", 0, gcp_service_account},
	{"google_service_account_iam_member", 1, gcp_sa_iam},
	{"google_service_account_iam_binding", 1, gcp_sa_iam},
	{"google_project_iam_member", 1, gcp_project_iam},
	{"google_project_iam_binding", 1, gcp_project_iam},
	{"google_storage_bucket", 0, gcp_store},
	{"google_sql_database_instance", 0, gcp_store},
	{"google_redis_instance", 0, gcp_store},
	{"google_storage_bucket_iam_member", 1, gcs_access},
	{"google_storage_bucket_iam_binding", 1, gcs_access},
	{"google_storage_bucket_acl", 1, gcs_access},
	{"google_compute_firewall", 2, gcp_firewall},
	{"google_container_cluster", 1, gke_cluster},
	{"azurerm_user_assigned_identity", 0, azure_identity},
	{"azurerm_federated_identity_credential", 1, azure_federated},
	{"azurerm_role_assignment", 1, azure_role},
	{"azurerm_storage_account", 0, azure_storage},
	{"azurerm_storage_container", 1, azure_container},
	{"azurerm_network_security_rule", 2, azure_nsg},
	{"azurerm_network_security_group", 2, azure_nsg},
};

/* A resource of a type no handler reads (counted in the first pass). */
static void unread(walk *w, const char *type, tm_loc loc)
{
	if (w->config && tm_tf__k8s_type(type))
		return; /* the objects and releases they make are rendered in the plan (tf_k8s.c) */
	for (size_t i = 0; i < TM_ARRAY_LEN(handlers); i++)
		if (strcmp(handlers[i].type, type) == 0)
			return;
	size_t place = (size_t)(uintptr_t)tm_hmap_get(&w->unread_at, type, strlen(type));
	if (!place) {
		if (TM_GROW(w->unread, w->cap_unread, w->nunread + 1) ||
		    tm_hmap_put(&w->unread_at, type, strlen(type), (void *)(uintptr_t)(w->nunread + 1))) {
			tm_arena_set_failed(w->ctx->scratch);
			return;
		}
		w->unread[w->nunread] = (struct unread_type){type, 0};
		place = ++w->nunread;
	}
	if (!w->unread_total++)
		w->first_unread = loc;
	w->unread[place - 1].n++;
}

/* One note for the resources no handler read: what they expose or grant is not in the model. */
static void note_unread(walk *w)
{
	if (!w->nunread)
		return;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < w->nunread && i < 12; i++)
		tm_strbuf_printf(&sb, "%s%s (%zu)", i ? ", " : "", w->unread[i].type, w->unread[i].n);
	if (w->nunread > 12)
		tm_strbuf_printf(&sb, " and %zu more types", w->nunread - 12);
	if (!sb.oom)
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, w->first_unread,
			    "%zu Terraform resource%s of %zu type%s this version does not model: %s; what they expose or "
			    "grant is not in the model",
			    w->unread_total, w->unread_total == 1 ? "" : "s", w->nunread, w->nunread == 1 ? "" : "s",
			    sb.data ? sb.data : "");
	tm_strbuf_dispose(&sb);
}

static void one(walk *w, const char *type, const tm_value *vals, const tm_value *unresolved, tm_loc loc, int pass)
{
	if (tm_tf__aws_api_type(type)) {
		if (pass == 0)
			tm_tf__aws_add(w->aws, type, w->addr, vals, unresolved, loc);
		return;
	}
	int ecs = tm_tf__ecs_type(type);
	if (ecs && pass == 0)
		tm_tf__ecs_add(w->ecs, type, w->addr, vals, unresolved, loc);
	if (ecs == TM_TF_ECS_OWN)
		return;
	if (pass == 0)
		unread(w, type, loc);
	for (size_t i = 0; i < TM_ARRAY_LEN(handlers); i++) {
		if (handlers[i].pass != pass || strcmp(handlers[i].type, type) != 0)
			continue;
		tm_node *n = handlers[i].fn(w, type, vals, loc);
		/* what configuration could not be evaluated is said on the node */
		for (size_t k = 0; n && k < tm_value_len(unresolved); k++)
			tm_mb_node_list_add(w->ctx->mb, n, "unresolved", tm_scalar_str(tm_seq_at(unresolved, k), NULL));
		return;
	}
}

/* A resource of a plan or a configuration ({type, values}), or of a raw state ({type, instances}). */
static void resource(walk *w, const tm_value *r, int pass)
{
	const char *type = tm_map_get_str(r, "type");
	const tm_value *vals = tm_map_get(r, "values");
	tm_loc loc = tm_ingest__loc(w->f, r);
	const char *mode = tm_map_get_str(r, "mode");
	if (!type || (mode && strcmp(mode, "managed") != 0))
		return;
	w->addr = tm_map_get_str(r, "address");
	if (!w->addr && tm_map_get_str(r, "name")) /* a raw state's: type and name */
		w->addr = tm_arena_printf(w->t->arena, "%s.%s", type, tm_map_get_str(r, "name"));
	if (vals) {
		one(w, type, vals, tm_map_get(r, "unresolved"), loc, pass);
		return;
	}
	const tm_value *inst = tm_map_get(r, "instances");
	for (size_t i = 0; i < tm_value_len(inst); i++) {
		const tm_value *attrs = tm_map_get(tm_seq_at(inst, i), "attributes");
		if (attrs)
			one(w, type, attrs, NULL, tm_ingest__loc(w->f, tm_seq_at(inst, i)), pass);
	}
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

/* The module tree of a plan, a `terraform show -json` state, or a raw state (v4: the root itself;
 * v3: rebuilt in a file of t's). */
static const tm_value *module_root(tm_ingest_ctx *ctx, struct tf *t, const tm_file **f, const tm_value *doc)
{
	const tm_value *root = tm_map_get(tm_map_get(doc, "planned_values"), "root_module");
	if (!root)
		root = tm_map_get(tm_map_get(doc, "values"), "root_module");
	if (!root && tm_value_kind_of(tm_map_get(doc, "resources")) == TM_VALUE_SEQ)
		root = doc;
	if (!root && tm_value_kind_of(tm_map_get(doc, "modules")) == TM_VALUE_SEQ) {
		tm_file *out = tm_file_new_rendered(tm_file_path(*f));
		if (!own(t, out)) {
			tm_arena_set_failed(ctx->scratch); /* the scan reports running out of memory */
			return NULL;
		}
		const tm_value *v3 = tm_tf__state_v3(out, *f, doc);
		*f = out;
		root = tm_map_get(tm_map_get(v3, "values"), "root_module");
	}
	return root;
}

static void walk_root(tm_ingest_ctx *ctx, struct tf *t, const tm_file *f, const tm_value *root, bool config)
{
	walk w;
	memset(&w, 0, sizeof(w));
	w.config = config;
	w.ctx = ctx;
	w.t = t;
	w.f = f;
	w.aws = tm_tf__aws_new(ctx, t->arena, f);
	w.grants = tm_tf__grants_new(ctx, t->arena);
	w.ecs = tm_tf__ecs_new(ctx, t->arena, f);
	if (!w.aws || !w.grants || !w.ecs)
		tm_arena_set_failed(ctx->scratch);
	for (int pass = 0; pass < 3; pass++)
		module(&w, root, pass, 0);
	tm_tf__aws_finish(w.aws);
	tm_tf__aws_free(w.aws);
	tm_tf__ecs_finish(w.ecs);
	tm_tf__ecs_free(w.ecs);
	tm_tf__grants_finish(w.grants);
	tm_tf__grants_free(w.grants);
	note_unread(&w);
	for (size_t k = 0; k < w.nowned; k++)
		tm_file_free(w.owned[k]);
	tm_hmap_dispose(&w.sg_users);
	tm_hmap_dispose(&w.unread_at);
	tm_hmap_dispose(&w.policies);
	tm_free(w.unread);
}

/* The cloud a pipeline's unresolved login is for (see gha.c): 0 AWS, 1 Azure, 2 Google. */
enum { CLOUD_AWS, CLOUD_AZURE, CLOUD_GCP, CLOUDS };
static const struct {
	const char *prefix;  /* of the unresolved entry */
	const char *id;	     /* of the identities */
	const char *via;     /* the edge's */
	const char *a, *noun, *nouns; /* the identity */
} clouds[CLOUDS] = {
	{"", "identity:aws:", "role-to-assume", "a", "role", "roles"},
	{"azure client-id ", "identity:azure:", "azure/login", "an", "identity", "identities"},
	{"gcp service_account ", "identity:gcp:", "google-github-actions/auth", "a", "service account", "service accounts"},
};

static int cloud_of_entry(const char *s)
{
	for (int c = CLOUDS - 1; c > 0; c--)
		if (strncmp(s, clouds[c].prefix, strlen(clouds[c].prefix)) == 0)
			return c;
	return CLOUD_AWS;
}

/* Whether a cloud identity lets GitHub's OIDC tokens act as it: GitHub's provider or issuer among
 * whom it trusts, a subject of GitHub's form ("repo:org/repo:..."), or (Google) a member of a
 * workload identity pool. */
static int github_identity(const tm_node *n)
{
	if (n->kind != TM_NODE_IDENTITY)
		return -1;
	int c = CLOUDS;
	for (int k = 0; k < CLOUDS; k++)
		if (strncmp(tm_node_id(n), clouds[k].id, strlen(clouds[k].id)) == 0)
			c = k;
	if (c == CLOUDS)
		return -1;
	const tm_attr *trusts = tm_node_attr_get(n, "trusts");
	const tm_attr *subs = tm_node_attr_get(n, "trusted_subjects");
	for (const char *const *t = trusts && trusts->list ? trusts->list : NULL; t && *t; t++)
		if (strstr(*t, "token.actions.githubusercontent.com"))
			return c;
	for (const char *const *t = subs && subs->list ? subs->list : NULL; t && *t; t++)
		if (strncmp(*t, "repo:", 5) == 0 || (c == CLOUD_GCP && (strncmp(*t, "principalSet://", 15) == 0 ||
									 strncmp(*t, "principal://", 12) == 0)))
			return c;
	return -1;
}

/* A workflow whose login an expression names (role-to-assume: ${{ secrets.DEPLOY_ROLE }}, azure/login
 * client-id: ${{ vars.AZURE_CLIENT_ID }}, google-github-actions/auth service_account: ${{ ... }}):
 * when the Terraform scanned lets GitHub's OIDC tokens act as exactly one identity of that cloud,
 * that identity, under a stated assumption; several, a note naming them; none, a note that the
 * identity is not known. */
static void link_workflow_roles(tm_ingest_ctx *ctx)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	const tm_node *oidc[CLOUDS] = {NULL};
	size_t noidc[CLOUDS] = {0}, npipes = 0;
	for (size_t i = 0; i < m->nnodes; i++) {
		const tm_node *n = m->nodes[i];
		if (n->kind == TM_NODE_PIPELINE && tm_node_attr_get(n, "cloud_roles_unresolved"))
			npipes++;
		int c = github_identity(n);
		if (c >= 0 && !noidc[c]++)
			oidc[c] = n;
	}
	for (size_t i = 0, nodes = m->nnodes; i < nodes && npipes; i++) {
		tm_node *p = m->nodes[i];
		const tm_attr *un = p->kind == TM_NODE_PIPELINE ? tm_node_attr_get(p, "cloud_roles_unresolved") : NULL;
		if (!un || !un->list || !un->list[0])
			continue;
		tm_loc at = tm_node_evidence_count(p) ? tm_node_evidence(p, 0) : (tm_loc){NULL, 0, 0, NULL};
		bool done[CLOUDS] = {false};
		for (const char *const *u = un->list; *u; u++) {
			int c = cloud_of_entry(*u);
			if (done[c])
				continue;
			done[c] = true;
			const char *expr = *u + strlen(clouds[c].prefix);
			if (noidc[c] == 1) {
				tm_edge *e = tm_mb_edge(ctx->mb, p, (tm_node *)(uintptr_t)oidc[c], TM_EDGE_DEPLOYS, at);
				if (e) {
					tm_mb_edge_str(ctx->mb, e, "via", clouds[c].via);
					tm_mb_edge_str(ctx->mb, e, "assumed",
						       c == CLOUD_AWS
							   ? "the role its role-to-assume names through a secret or variable is taken to "
							     "be the only role the Terraform lets GitHub's OIDC tokens assume"
							   : tm_arena_printf(ctx->scratch,
									     "the %s its %s login names through a secret or variable is "
									     "taken to be the only one the Terraform lets GitHub's OIDC "
									     "tokens act as",
									     clouds[c].noun, clouds[c].via));
				}
			}
			if (noidc[c] == 1)
				tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
					    "workflow %s assumes %s %s named by %s: taken to be %s, the only %s the Terraform "
					    "lets GitHub's OIDC tokens assume",
					    tm_node_name(p), clouds[c].a, clouds[c].noun, expr, tm_node_id(oidc[c]), clouds[c].noun);
			else if (noidc[c])
				tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
					    "workflow %s assumes %s %s named by %s: one of the %zu %s the Terraform lets "
					    "GitHub's OIDC tokens assume, which one is not in the files",
					    tm_node_name(p), clouds[c].a, clouds[c].noun, expr, noidc[c], clouds[c].nouns);
		}
	}
}

static void tf_finish(tm_ingest_ctx *ctx, void *state)
{
	struct tf *t = state;
	for (size_t i = 0; t && i < t->n; i++) {
		const tm_file *f = t->files[i];
		const tm_value *root = module_root(ctx, t, &f, t->roots[i]);
		if (root)
			walk_root(ctx, t, f, root, false);
	}
	if (t && t->nsrcs) {
		tm_file *out = tm_file_new_rendered(t->srcs[0].path);
		if (!own(t, out)) { /* own() frees out when it cannot keep it */
			tm_arena_set_failed(ctx->scratch);
			return;
		}
		const tm_value *doc = tm_tf__eval(ctx, out, t->srcs, t->nsrcs);
		if (doc)
			walk_root(ctx, t, out, tm_map_get(tm_map_get(doc, "planned_values"), "root_module"), true);
	}
	if (ctx->mb)
		link_workflow_roles(ctx);
}

const tm_ingester tm_ingest__terraform = {tf_begin, tf_doc, tf_finish, tf_end};
