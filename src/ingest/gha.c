/*
 * gha.c - GitHub Actions workflows: a pipeline node per workflow file, with
 * located facts about what a pull-request author could make it do.
 *
 *   pipeline "pipeline:<path>" in the "ci" boundary, attributes:
 *   triggers                 every event it runs on
 *   untrusted_triggers       pull_request_target, workflow_run, issue_comment...: run with the
 *                            base repository's secrets and token on events outsiders cause
 *   checks_out_untrusted     a checkout of the pull request's head (ref/sha, head_ref)
 *   secrets_used             ${{ secrets.NAME }} references
 *   write_permissions        `permissions: write-all`, or a scope granted write
 *   default_permissions      no `permissions` at all (the repository default decides)
 *   unpinned_actions         `uses: owner/repo@ref` with a ref that is not a commit SHA
 *   script_injection         `run:` lines expanding attacker-controlled event fields
 *   self_hosted_runners      `runs-on` naming self-hosted
 *   cloud_roles              role-to-assume / workload identity the job takes
 *                            -> deploys edge to "identity:aws:<role name>"
 *   deploys_kubernetes       `kubectl apply`, `helm upgrade|install` in a run step
 */
#include <ctype.h>
#include <stdio.h>

#include "ingest.h"

struct gha {
	tm_arena *arena;
};

static void *gha_begin(tm_ingest_ctx *ctx)
{
	struct gha *g = tm_calloc(1, sizeof(*g));
	if (g)
		g->arena = ctx->scratch;
	return g;
}

static void gha_end(void *state)
{
	tm_free(state);
}

static bool is_sha(const char *ref)
{
	size_t n = 0;
	while (isxdigit((unsigned char)ref[n]))
		n++;
	return n == 40 && !ref[n];
}

static const char *const untrusted_events[] = {"pull_request_target", "workflow_run", "issue_comment",
					       "pull_request_review_comment", "issues", "discussion",
					       "discussion_comment"};

static const char *const injectable[] = {"github.event.issue.title", "github.event.issue.body",
					 "github.event.pull_request.title", "github.event.pull_request.body",
					 "github.event.comment.body", "github.event.review.body",
					 "github.event.review_comment.body", "github.event.pull_request.head.ref",
					 "github.event.pull_request.head.label", "github.head_ref",
					 "github.event.head_commit.message", "github.event.workflow_run.head_branch",
					 "github.event.discussion.title", "github.event.discussion.body"};

static void event(tm_ingest_ctx *ctx, tm_node *p, const tm_file *f, const tm_value *v, const char *name)
{
	tm_mb_node_list_add(ctx->mb, p, "triggers", name);
	for (size_t i = 0; i < TM_ARRAY_LEN(untrusted_events); i++)
		if (strcmp(name, untrusted_events[i]) == 0)
			tm_mb_node_fact(ctx->mb, p, "untrusted_triggers", name, tm_ingest__loc(f, v));
}

static void permissions(tm_ingest_ctx *ctx, tm_node *p, const tm_file *f, const tm_value *perm, const char *where)
{
	struct gha *g = NULL;
	(void)g;
	if (tm_value_kind_of(perm) == TM_VALUE_SCALAR) {
		const char *s = tm_scalar_str(perm, NULL);
		if (s && strcmp(s, "write-all") == 0)
			tm_mb_node_fact(ctx->mb, p, "write_permissions", where, tm_ingest__loc(f, perm));
		return;
	}
	for (size_t i = 0; i < tm_value_len(perm); i++) {
		const char *scope = tm_scalar_str(tm_map_key(perm, i), NULL);
		const char *level = tm_scalar_str(tm_map_value(perm, i), NULL);
		/* id-token: write is how OIDC federation works; it is reported as a cloud role, not here */
		if (scope && level && strcmp(level, "write") == 0 && strcmp(scope, "id-token") != 0) {
			char buf[256];
			snprintf(buf, sizeof(buf), "%s: %s", where, scope);
			tm_mb_node_fact(ctx->mb, p, "write_permissions", buf, tm_ingest__loc(f, tm_map_value(perm, i)));
		}
	}
}

/* Every ${{ secrets.X }} in a scalar. */
static void secrets_in(tm_ingest_ctx *ctx, tm_node *p, const tm_file *f, const tm_value *v)
{
	if (!v)
		return;
	if (tm_value_kind_of(v) != TM_VALUE_SCALAR) {
		for (size_t i = 0; i < tm_value_len(v); i++)
			secrets_in(ctx, p, f, tm_value_kind_of(v) == TM_VALUE_MAP ? tm_map_value(v, i) : tm_seq_at(v, i));
		return;
	}
	const char *s = tm_scalar_str(v, NULL);
	for (const char *q = s ? strstr(s, "secrets.") : NULL; q; q = strstr(q + 8, "secrets.")) {
		char name[128];
		size_t n = 0;
		for (const char *c = q + 8; (isalnum((unsigned char)*c) || *c == '_') && n + 1 < sizeof(name); c++)
			name[n++] = *c;
		name[n] = '\0';
		if (n && strcmp(name, "GITHUB_TOKEN") != 0)
			tm_mb_node_fact(ctx->mb, p, "secrets_used", name, tm_ingest__loc(f, v));
	}
}

static void step(tm_ingest_ctx *ctx, struct gha *g, tm_node *p, const tm_file *f, const tm_value *st)
{
	const tm_value *uses = tm_map_get(st, "uses");
	const char *u = tm_scalar_str(uses, NULL);
	const tm_value *with = tm_map_get(st, "with");
	if (u && u[0] != '.' && strncmp(u, "docker://", 9) != 0) {
		const char *at = strchr(u, '@');
		if (!at || !is_sha(at + 1))
			tm_mb_node_fact(ctx->mb, p, "unpinned_actions", u, tm_ingest__loc(f, uses));
		if (strncmp(u, "actions/checkout@", 17) == 0) {
			const tm_value *ref = tm_map_get(with, "ref");
			const char *r = tm_scalar_str(ref, NULL);
			if (r && (strstr(r, "pull_request.head") || strstr(r, "head_ref") || strstr(r, "workflow_run.head")))
				tm_mb_node_fact(ctx->mb, p, "checks_out_untrusted", r, tm_ingest__loc(f, ref));
		}
	}
	const tm_value *role = tm_map_get(with, "role-to-assume");
	const char *rs = tm_scalar_str(role, NULL);
	if (rs) {
		tm_mb_node_fact(ctx->mb, p, "cloud_roles", rs, tm_ingest__loc(f, role));
		const char *slash = strrchr(rs, '/');
		char *id = tm_arena_printf(g->arena, "identity:aws:%s", slash ? slash + 1 : rs);
		tm_mb_boundary(ctx->mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
		tm_node *idn = id ? tm_mb_node(ctx->mb, TM_NODE_IDENTITY, id, slash ? slash + 1 : rs, "cloud",
					       tm_ingest__loc(f, role))
				  : NULL;
		if (idn) {
			tm_mb_node_str(ctx->mb, idn, "identity_type", "aws-iam-role");
			tm_edge *e = tm_mb_edge(ctx->mb, p, idn, TM_EDGE_DEPLOYS, tm_ingest__loc(f, role));
			if (e)
				tm_mb_edge_str(ctx->mb, e, "via", "role-to-assume");
		}
	}
	const tm_value *run = tm_map_get(st, "run");
	const char *script = tm_scalar_str(run, NULL);
	for (size_t i = 0; script && i < TM_ARRAY_LEN(injectable); i++)
		if (strstr(script, injectable[i]))
			tm_mb_node_fact(ctx->mb, p, "script_injection", injectable[i], tm_ingest__loc(f, run));
	if (script && (strstr(script, "kubectl apply") || strstr(script, "helm upgrade") || strstr(script, "helm install")))
		tm_mb_node_fact(ctx->mb, p, "deploys_kubernetes", "kubectl/helm", tm_ingest__loc(f, run));
	secrets_in(ctx, p, f, with);
	secrets_in(ctx, p, f, tm_map_get(st, "env"));
	secrets_in(ctx, p, f, run);
}

static bool gha_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root, const char *detail)
{
	(void)detail;
	struct gha *g = state;
	if (!g)
		return false;
	char *id = tm_arena_printf(g->arena, "pipeline:%s", tm_file_path(f));
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_CI, "ci", "CI", NULL);
	tm_node *p = id ? tm_mb_node(ctx->mb, TM_NODE_PIPELINE, id, tm_map_get_str(root, "name"), "ci",
				     tm_ingest__loc(f, root))
			: NULL;
	if (!p)
		return false;
	tm_mb_node_str(ctx->mb, p, "pipeline_type", "github-actions");
	const tm_value *on = tm_map_get(root, "on");
	if (tm_value_kind_of(on) == TM_VALUE_SCALAR)
		event(ctx, p, f, on, tm_scalar_str(on, NULL));
	else if (tm_value_kind_of(on) == TM_VALUE_SEQ)
		for (size_t i = 0; i < tm_value_len(on); i++)
			if (tm_scalar_str(tm_seq_at(on, i), NULL))
				event(ctx, p, f, tm_seq_at(on, i), tm_scalar_str(tm_seq_at(on, i), NULL));
	if (tm_value_kind_of(on) == TM_VALUE_MAP)
		for (size_t i = 0; i < tm_value_len(on); i++)
			if (tm_scalar_str(tm_map_key(on, i), NULL))
				event(ctx, p, f, tm_map_key(on, i), tm_scalar_str(tm_map_key(on, i), NULL));
	const tm_value *perm = tm_map_get(root, "permissions");
	if (perm)
		permissions(ctx, p, f, perm, "workflow");
	const tm_value *jobs = tm_map_get(root, "jobs");
	bool every_job_scoped = tm_value_len(jobs) > 0;
	for (size_t j = 0; j < tm_value_len(jobs); j++) {
		const tm_value *job = tm_map_value(jobs, j);
		const char *jname = tm_scalar_str(tm_map_key(jobs, j), NULL);
		const tm_value *jp = tm_map_get(job, "permissions");
		if (jp)
			permissions(ctx, p, f, jp, jname ? jname : "job");
		else
			every_job_scoped = false;
		const tm_value *runs_on = tm_map_get(job, "runs-on");
		const char *ro = tm_scalar_str(runs_on, NULL);
		bool self = ro && strstr(ro, "self-hosted");
		for (size_t k = 0; !ro && k < tm_value_len(runs_on); k++) {
			const char *x = tm_scalar_str(tm_seq_at(runs_on, k), NULL);
			self = self || (x && strcmp(x, "self-hosted") == 0);
		}
		if (self)
			tm_mb_node_fact(ctx->mb, p, "self_hosted_runners", jname ? jname : "job", tm_ingest__loc(f, runs_on));
		const tm_value *steps = tm_map_get(job, "steps");
		for (size_t s = 0; s < tm_value_len(steps); s++)
			step(ctx, g, p, f, tm_seq_at(steps, s));
		secrets_in(ctx, p, f, tm_map_get(job, "env"));
	}
	if (!perm && !every_job_scoped)
		tm_mb_node_fact(ctx->mb, p, "default_permissions", "no permissions block: the repository default applies",
				tm_ingest__loc(f, root));
	return true;
}

const tm_ingester tm_ingest__gha = {gha_begin, gha_doc, NULL, gha_end};
