/* cicd.c - CI/CD pipelines (from GitHub Actions workflows and the actions they run). */
#include <stdio.h>

#include "rules.h"

#define EACH_KIND(c, n, kind)                                                                      \
	for (size_t i_ = 0; i_ < tm_model_node_count((c)->m); i_++)                                \
		for (const tm_node *n = tm_model_node((c)->m, i_); n; n = NULL)                    \
			if (tm_node_kind_of(n) == (kind))

static const char *joined(tm_rule_ctx *c, const char *const *l)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; l && l[i]; i++)
		tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", l[i]);
	const char *r = tm_rules__printf(c, "%s", sb.data ? sb.data : "");
	tm_strbuf_dispose(&sb);
	return r;
}

/* A workflow's finding folds with the same rule's on the other workflows of its directory
 * (.github/workflows): the repository's settings and habits are the shared cause. */
static void fold_workflows(tm_rule_ctx *c, tm_emit *e, const char *what)
{
	const tm_loc at = tm_rules__manifest_loc(e->subject);
	if (!at.path)
		return;
	const char *slash = strrchr(at.path, '/');
	const char *dir = slash ? tm_rules__printf(c, "%.*s", (int)(slash - at.path), at.path) : ".";
	e->fold = tm_rules__printf(c, "workflows:%s", dir);
	e->fold_label = dir;
	e->fold_noun = "workflows";
	e->fold_what = what;
}

/* One finding listing every located fact of key, the first one primary; fold: see fold_workflows. */
static void facts(tm_rule_ctx *c, const tm_node *n, const char *key, const char *what, int sev, const char *fold)
{
	const char *const *l = tm_rules__list(n, key);
	if (!l)
		return;
	tm_emit e;
	tm_emit_init(&e, n);
	e.nevidence = 0;
	for (size_t i = 0; l[i]; i++)
		tm_emit_loc(&e, tm_rules__fact_loc(n, key, l[i]));
	tm_emit_loc(&e, tm_rules__manifest_loc(n));
	e.title = tm_rules__printf(c, "%s: %s (%s)", tm_node_id(n), what, joined(c, l));
	e.severity = sev;
	if (fold)
		fold_workflows(c, &e, fold);
	tm_rules__emit(c, &e);
}

void tm_rule__cicd_untrusted_code(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		const char *const *trig = tm_rules__list(p, "untrusted_triggers");
		const char *const *co = tm_rules__list(p, "checks_out_untrusted");
		if (!trig || !co)
			continue;
		bool power = tm_rules__list(p, "secrets_used") || tm_rules__list(p, "write_permissions") ||
			     tm_rules__list(p, "cloud_roles");
		tm_emit e;
		tm_emit_init(&e, p);
		e.nevidence = 0; /* the checkout of the pull request's code is the judged fact, then the trigger */
		tm_emit_loc(&e, tm_rules__fact_loc(p, "checks_out_untrusted", NULL));
		tm_emit_loc(&e, tm_rules__fact_loc(p, "untrusted_triggers", NULL));
		tm_emit_loc(&e, tm_rules__fact_loc(p, "secrets_used", NULL));
		tm_emit_loc(&e, tm_rules__fact_loc(p, "write_permissions", NULL));
		tm_emit_loc(&e, tm_rules__manifest_loc(p));
		e.title = tm_rules__printf(c, "%s runs pull-request code on %s%s", tm_node_id(p), trig[0],
					   power ? " with secrets, a write token or a cloud role in reach" : "");
		e.severity = power ? -1 : TM_SEV_HIGH;
		tm_rules__emit(c, &e);
	}
}

void tm_rule__cicd_unpinned_actions(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	facts(c, p, "unpinned_actions", "actions not pinned to a commit", -1, "use actions not pinned to a commit");
}

void tm_rule__cicd_broad_token(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		const char *const *w = tm_rules__list(p, "write_permissions");
		bool all = false;
		for (size_t i = 0; w && w[i]; i++)
			all = all || strcmp(w[i], "workflow") == 0 || !strchr(w[i], ':');
		if (w)
			facts(c, p, "write_permissions", all ? "token granted write-all" : "token granted write scopes",
			      all ? TM_SEV_HIGH : -1, "grant their token broad or default permissions");
		else
			facts(c, p, "default_permissions", "token permissions left to the repository default", TM_SEV_LOW,
			      "grant their token broad or default permissions");
	}
}

void tm_rule__cicd_script_injection(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	facts(c, p, "script_injection", "expands attacker-controlled text into a script", -1, NULL);
}
