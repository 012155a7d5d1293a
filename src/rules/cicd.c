/* cicd.c - CI/CD pipelines (from GitHub Actions workflows and the actions they run). */
#include <stdio.h>

#include "rules.h"

#define EACH_KIND(c, n, kind) TM_EACH_OF_KIND((c)->m, n, kind)

/* A finding lists at most this many of a workflow's facts (and locates them); the rest are counted:
 * a generated workflow with thousands of flows stays one readable finding, found in linear time. */
#define LISTED 12

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
	e->fold_wide = "*"; /* the directories of one system (vendored repositories): one finding */
	e->fold_places = "workflow directories";
}

/* One finding listing every located fact of key, the first one primary; fold: see fold_workflows. */
static void facts(tm_rule_ctx *c, const tm_node *n, const char *key, const char *what, int sev, const char *fold)
{
	tm_emit e;
	if (!tm_rules__facts(c, &e, n, key, what, sev))
		return;
	if (fold)
		fold_workflows(c, &e, fold);
	tm_rules__emit(c, &e);
}

/* What code running in the workflow would hold: secrets, a write token, a cloud role. */
static bool in_reach(const tm_node *p)
{
	return tm_rules__list(p, "secrets_used") || tm_rules__list(p, "write_permissions") ||
	       tm_rules__list(p, "cloud_roles") || tm_rules__list(p, "secrets_exposed");
}

/* Graded by the job that runs the code: jobs run on runners of their own, so what another job of
 * the workflow holds is out of that code's reach, except through a cache or an artifact that job
 * takes (untrusted_job_poisons), which the title names. */
void tm_rule__cicd_untrusted_code(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		const char *const *trig = tm_rules__list(p, "untrusted_triggers");
		const char *const *co = tm_rules__list(p, "checks_out_untrusted");
		if (!trig || !co)
			continue;
		const char *const *holds = tm_rules__list(p, "untrusted_job_holds");
		const char *const *poison = tm_rules__list(p, "untrusted_job_poisons");
		tm_emit e;
		tm_emit_init(&e, p);
		e.nevidence = 0; /* the checkout of the pull request's code is the judged fact, then the trigger */
		tm_emit_loc(&e, tm_rules__fact_loc(p, "checks_out_untrusted", NULL));
		tm_emit_loc(&e, tm_rules__fact_loc(p, "untrusted_triggers", NULL));
		if (holds)
			tm_emit_loc(&e, tm_rules__fact_loc(p, "untrusted_job_holds", NULL));
		else if (poison)
			tm_emit_loc(&e, tm_rules__fact_loc(p, "untrusted_job_poisons", NULL));
		tm_emit_loc(&e, tm_rules__manifest_loc(p));
		if (holds)
			e.title = tm_rules__printf(c, "%s runs pull-request code on %s with secrets, a write token or a cloud role in reach (job %s)",
						   tm_node_id(p), trig[0], holds[0]);
		else if (poison)
			e.title = tm_rules__printf(c, "%s runs pull-request code on %s; %s that code can write", tm_node_id(p),
						   trig[0], poison[0]);
		else
			e.title = tm_rules__printf(c, "%s runs pull-request code on %s", tm_node_id(p), trig[0]);
		e.severity = holds ? -1 : TM_SEV_HIGH;
		tm_rules__emit(c, &e);
	}
}

/* A reusable workflow on a moving ref handed the caller's secrets: whoever moves the ref runs code
 * with them, one finding of its own (high); otherwise the habit, folded. */
void tm_rule__cicd_unpinned_actions(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		bool secrets = tm_rules__list(p, "unpinned_with_secrets") != NULL;
		if (secrets)
			facts(c, p, "unpinned_actions",
			      "actions or reusable workflows not pinned to a commit, a reusable workflow among them handed secrets",
			      TM_SEV_HIGH, NULL);
		else
			facts(c, p, "unpinned_actions", "actions not pinned to a commit", -1,
			      "use actions not pinned to a commit");
	}
}

static void call_index(tm_rule_ctx *c, tm_hmap *ix);
static bool called_here(const tm_hmap *ix, const tm_node *p);

void tm_rule__cicd_broad_token(tm_rule_ctx *c)
{
	tm_hmap ix = TM_HMAP_INIT;
	call_index(c, &ix);
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		/* write-all anywhere, or write scopes every job gets; a scope one job is granted is what the
		 * fix asks for (least privilege per job) */
		const char *const *w = tm_rules__list(p, "broad_permissions");
		bool all = false;
		for (size_t i = 0; w && w[i]; i++)
			all = all || strcmp(w[i], "workflow") == 0 || !strchr(w[i], ':');
		if (w)
			facts(c, p, "broad_permissions", all ? "token granted write-all" : "token granted write scopes",
			      all ? TM_SEV_HIGH : -1, "grant their token broad or default permissions");
		else if (tm_rules__list(p, "write_permissions"))
			continue; /* only scopes granted job by job */
		else if (called_here(&ix, p))
			continue; /* a called workflow's token is its caller's, judged on the caller */
		else /* on an event outsiders cause the default token (write on older repositories and many
		      * organisations) is in reach of what they send: more than a habit */
			facts(c, p, "default_permissions", "token permissions left to the repository default",
			      tm_rules__list(p, "untrusted_triggers") ? TM_SEV_MEDIUM : TM_SEV_LOW,
			      "grant their token broad or default permissions");
	}
	tm_hmap_dispose(&ix);
}

/* Injected code runs with what the run has: critical on a privileged trigger (the base
 * repository's context) with secrets, a write token or a cloud role in reach; high on a privileged
 * trigger alone; medium when only pull_request (a fork's run: read token, no secrets) or events of
 * people with write access carry the text. */
static int injection_severity(const tm_node *p)
{
	bool privileged = tm_rules__list(p, "untrusted_triggers") != NULL;
	bool power = in_reach(p);
	return privileged && power ? TM_SEV_CRITICAL : privileged ? TM_SEV_HIGH : TM_SEV_MEDIUM;
}

void tm_rule__cicd_script_injection(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		/* exploitable on a privileged trigger: each workflow its own finding; on others (no secrets,
		 * a read-only token) the workflows fold like the habits above */
		int sev = injection_severity(p);
		facts(c, p, "script_injection", "expands attacker-controlled text into a script", sev,
		      sev < TM_SEV_HIGH ? "expand attacker-controlled text into scripts" : NULL);
	}
}

/* A workflow's call of a local action or reusable workflow passing attacker text
 * ("<why> -> action:<dir> inputs.<k>", "... -> pipeline:<file> inputs.<k>") joined with the callee's
 * own flows from that input ("inputs.<k> -> ... -> run (line N)"): one
 * model lookup per call, then the action's flows. */
static void join_local_actions(tm_rule_ctx *c, const tm_node *p, tm_emit *e, tm_strbuf *sb, size_t *count)
{
	const char *const *calls = tm_rules__list(p, "local_action_input");
	for (size_t i = 0; calls && calls[i]; i++) {
		const char *arrow = NULL; /* the last hop: " -> action:<dir>" or " -> pipeline:<file>" */
		for (const char *h = strstr(calls[i], " -> "); h; h = strstr(h + 4, " -> "))
			if (strncmp(h + 4, "action:", 7) == 0 || strncmp(h + 4, "pipeline:", 9) == 0)
				arrow = h;
		const char *in = arrow ? strstr(arrow, " inputs.") : NULL;
		if (!in)
			continue;
		const char *aid = tm_rules__printf(c, "%.*s", (int)(in - arrow - 4), arrow + 4);
		const tm_node *act = tm_model_find(c->m, aid);
		const char *const *flows = act ? tm_rules__list(act, "tainted_flow") : NULL;
		size_t kl = strlen(in + 1);
		for (size_t k = 0; flows && flows[k]; k++) {
			if (strncmp(flows[k], in + 1, kl) != 0 || flows[k][kl] != ' ')
				continue;
			if (*count < LISTED) {
				tm_emit_loc(e, tm_rules__fact_loc(act, "tainted_flow", flows[k]));
				tm_strbuf_printf(sb, "%s%.*s -> %s: %s", *count ? ", " : "", (int)(arrow - calls[i]),
						 calls[i], aid, flows[k]);
			}
			++*count;
		}
	}
}

/* Who calls the repository's own actions and reusable workflows, from the callers' local_calls and
 * local_action_input: "<callee id>" -> called in the scan, "<callee id> inputs.<k>" -> a caller
 * passes attacker text there. Keys borrow the model's strings (the second a suffix of the fact).
 * One pass over the pipelines. */
static void call_index(tm_rule_ctx *c, tm_hmap *ix)
{
	static char yes;
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		const char *const *calls = tm_rules__list(p, "local_calls");
		for (size_t i = 0; calls && calls[i]; i++)
			(void)tm_hmap_put(ix, calls[i], strlen(calls[i]), &yes);
		const char *const *in = tm_rules__list(p, "local_action_input");
		for (size_t i = 0; in && in[i]; i++) {
			const char *arrow = NULL;
			for (const char *h = strstr(in[i], " -> "); h; h = strstr(h + 4, " -> "))
				arrow = h;
			if (arrow)
				(void)tm_hmap_put(ix, arrow + 4, strlen(arrow + 4), &yes);
		}
	}
}

/* Whether only callers in the scan can start p (an action, or a workflow triggered by workflow_call
 * alone) and one of them does: then its inputs are what those callers pass. */
static bool called_here(const tm_hmap *ix, const tm_node *p)
{
	const char *const *trig = tm_rules__list(p, "triggers");
	bool only_calls = !trig || (trig[0] && !trig[1] && strcmp(trig[0], "workflow_call") == 0);
	if (!trig && strncmp(tm_node_id(p), "action:", 7) != 0)
		return false;
	return only_calls && tm_hmap_get(ix, tm_node_id(p), strlen(tm_node_id(p))) != NULL;
}

/* A flow "inputs.<k> -> ..." of a callee every caller in the scan passes only safe text there. */
static bool flow_fed_safe(tm_rule_ctx *c, const tm_hmap *ix, const tm_node *p, const char *flow)
{
	if (strncmp(flow, "inputs.", 7) != 0)
		return false;
	size_t kl = strcspn(flow + 7, " ");
	const char *key = tm_rules__printf(c, "%s inputs.%.*s", tm_node_id(p), (int)kl, flow + 7);
	return !tm_hmap_get(ix, key, strlen(key));
}

void tm_rule__cicd_tainted_flow(tm_rule_ctx *c)
{
	tm_hmap ix = TM_HMAP_INIT;
	call_index(c, &ix);
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		const char *const *l = tm_rules__list(p, "tainted_flow");
		bool callers = called_here(&ix, p);
		tm_emit e;
		tm_emit_init(&e, p);
		e.nevidence = 0;
		tm_strbuf sb = TM_STRBUF_INIT;
		size_t count = 0;
		size_t kept = 0;
		bool inputs_only = true;
		for (size_t i = 0; l && l[i]; i++) {
			if (callers && flow_fed_safe(c, &ix, p, l[i]))
				continue; /* every caller here passes safe text to that input */
			inputs_only = inputs_only && strncmp(l[i], "inputs.", 7) == 0;
			if (count++ < LISTED) {
				tm_emit_loc(&e, tm_rules__fact_loc(p, "tainted_flow", l[i]));
				tm_strbuf_printf(&sb, "%s%s", kept++ ? ", " : "", l[i]);
			}
		}
		join_local_actions(c, p, &e, &sb, &count);
		if (count > LISTED)
			tm_strbuf_printf(&sb, " and %zu more", count - LISTED);
		if (count) {
			tm_emit_loc(&e, tm_rules__manifest_loc(p));
			e.title = tm_rules__printf(c, "%s: attacker-controlled text reaches a script in hops (%s)", tm_node_id(p),
						   sb.data ? sb.data : "");
			/* an action's or reusable workflow's own flows from its inputs are what a caller
			 * passing attacker text would inject: low, until a caller's call joins them
			 * (reported on the caller) */
			inputs_only = inputs_only && kept;
			e.severity = inputs_only ? TM_SEV_LOW : injection_severity(p);
			if (e.severity < TM_SEV_HIGH)
				fold_workflows(c, &e, "pass attacker-controlled text to a script in hops");
			tm_rules__emit(c, &e);
		}
		tm_strbuf_dispose(&sb);
	}
	tm_hmap_dispose(&ix);
}

void tm_rule__cicd_self_hosted(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	{
		bool pr = tm_pipeline_outsider_triggered(p);
		/* credentials to a cluster on the runner stay for the next job on it */
		const char *const *k8s = tm_rules__list(p, "deploys_kubernetes");
		const char *cluster = k8s ? tm_rules__printf(c, ", which take credentials to a cluster (%s)", k8s[0]) : "";
		tm_emit e;
		if (!tm_rules__facts(c, &e, p, "self_hosted_runners",
				     pr ? tm_rules__printf(c, "runs jobs on self-hosted runners on events outsiders cause%s", cluster)
					: tm_rules__printf(c, "runs jobs on self-hosted runners%s", cluster),
				     pr ? TM_SEV_HIGH : TM_SEV_LOW))
			continue;
		/* a runner set of the scan that runs a job (gha.c's runner_sets): where it is defined */
		const char *const *sets = tm_rules__list(p, "runner_sets");
		for (size_t i = 0; sets && sets[i]; i++)
			tm_emit_loc(&e, tm_rules__fact_loc(p, "runner_sets", sets[i]));
		if (!pr)
			fold_workflows(c, &e, "run jobs on self-hosted runners");
		tm_rules__emit(c, &e);
	}
}

void tm_rule__cicd_secrets_exposed(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	facts(c, p, "secrets_exposed", "hands every repository secret to one step or workflow", -1,
	      "hand every repository secret to one step or workflow");
}

void tm_rule__cicd_remote_script(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	facts(c, p, "remote_script", "pipes a downloaded script into a shell",
	      tm_rules__list(p, "untrusted_triggers") && tm_rules__list(p, "secrets_used") ? TM_SEV_HIGH : -1,
	      "pipe downloaded scripts into a shell");
}

void tm_rule__cicd_insecure_commands(tm_rule_ctx *c)
{
	EACH_KIND(c, p, TM_NODE_PIPELINE)
	facts(c, p, "insecure_commands", "re-enables the runner's set-env and add-path commands",
	      tm_rules__list(p, "untrusted_triggers") ? TM_SEV_HIGH : -1, "re-enable the set-env and add-path commands");
}
