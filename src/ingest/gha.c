/*
 * gha.c - GitHub Actions workflows: a pipeline node per workflow file, with
 * located facts about what a pull-request author could make it do.
 *
 *   pipeline "pipeline:<path>" in the "ci" boundary, attributes:
 *   triggers                 every event it runs on
 *   untrusted_triggers       pull_request_target, workflow_run, issue_comment...: run with the
 *                            base repository's secrets and token on events outsiders cause
 *   checks_out_untrusted     a checkout of the pull request's head: actions/checkout ref/repository,
 *                            `gh pr checkout`, `git fetch ... refs/pull/...`, `git checkout <head sha/ref>`
 *   secrets_used             ${{ secrets.NAME }} references
 *   write_permissions        `permissions: write-all`, or a scope granted write
 *   broad_permissions        of those, write-all anywhere or a scope granted the whole workflow
 *   default_permissions      no `permissions` at all (the repository default decides)
 *   unpinned_actions         `uses: owner/repo@ref` with a ref that is not a commit SHA (a step's
 *                            action, or a job's reusable workflow of another repository)
 *   unpinned_with_secrets    of those, reusable workflows handed secrets (`secrets: inherit` or named)
 *   script_injection         a sink (`run:`, github-script `script:`, see code_inputs) expanding an
 *                            attacker-controlled expression directly: "<source> in <sink>", located at
 *                            the expression inside the script
 *   tainted_flow             the same data reaching a sink through hops: env (workflow, job, step),
 *                            shell variables, $GITHUB_OUTPUT step outputs, $GITHUB_ENV, job outputs,
 *                            outputs of actions that read pull-request data (pr_data_actions), or an
 *                            artifact of the triggering run downloaded on workflow_run:
 *                            "<source> -> <hop> -> ... -> <sink>"; also tainted writes to
 *                            $GITHUB_ENV / $GITHUB_PATH and tainted `eval`/`sh -c`
 *   local_calls              every `uses: ./dir` step and `uses: ./.github/workflows/x.yml` job: the
 *                            callee's node id ("action:<dir>", "pipeline:<file>")
 *   local_action_input       a `uses: ./dir` step (or `uses: ./.github/workflows/x.yml` job) passing
 *                            attacker text: "<why> -> action:<dir> inputs.<name>" (pipeline:<file>);
 *                            a reusable workflow's `on.workflow_call.inputs` are sources like an action's
 *                            (but one typed boolean or number)
 *   secrets_exposed          `toJSON(secrets)`, `secrets[<expression>]`, `secrets: inherit`
 *   remote_script            `curl ... | sh`, `wget -O- | bash`, `bash <(curl ...)`
 *   insecure_commands        ACTIONS_ALLOW_UNSECURE_COMMANDS: true in an env block (workflow, job, step)
 *   self_hosted_runners      `runs-on` naming self-hosted: a string, a label list, a `{group, labels}`
 *                            mapping, or a matrix value it expands
 *   cloud_roles              role-to-assume / workload identity the job takes
 *                            -> deploys edge to "identity:aws:<role name>"; one an expression names
 *                            (${{ secrets.ROLE }}) is `cloud_roles_unresolved` (terraform.c links it)
 *   deploys_kubernetes       a run line that changes a cluster's workloads (kubectl [global flags]
 *                            apply|create|replace|patch|delete|set image|rollout restart, helm
 *                            upgrade|install, skaffold run|deploy) or takes credentials to one
 *                            (gcloud container clusters get-credentials, aws eks update-kubeconfig,
 *                            az aks get-credentials, get-gke-credentials, aks-set-context...):
 *                            "<command> (line N)"; with `rbac_capabilities` "create-workloads (in
 *                            namespace NS, by <command>)" (cluster-wide without -n/--namespace):
 *                            what the walk from the pipeline reaches, as an identity's grant
 */
#include <ctype.h>
#include <stdio.h>

#include "ingest.h"

/*
 * Data flow. Invariants: a workflow is read once, top to bottom (jobs in file order, steps in
 * order), so each hop is one hash-map put and each use one get: linear in the workflow's size.
 * Taint lives in one map per workflow from a scoped name to why it is tainted (the source and the
 * hops so far, an arena string); "" records a clean value that shadows an outer tainted one:
 *   w|env|NAME              workflow env           j|JOB|env|NAME      job env
 *   j|JOB|genv|NAME         $GITHUB_ENV writes     s|JOB|N|env|NAME    step env
 *   s|JOB|N|sh|NAME         shell variables of one run script
 *   j|JOB|out|STEP|NAME     step outputs ("*": every output of the step)
 *   needs|JOB|NAME          job outputs            in|NAME             an action's inputs
 * A workflow_run job that downloads the triggering run's artifacts taints what later steps read
 * from files with $(cat ...), $(< ...) or $(jq ...). Jobs that read a later job's outputs (needs
 * pointing forward in the file) are not followed.
 */
struct gha {
	tm_arena *arena;
	/* each `runs-on` label of a job not already on a self-hosted runner: a runner set of the scan
	 * (actions-runner-controller) may be what it names (gha_finish) */
	struct runs_on {
		tm_node *p;
		const char *job, *label;
		tm_loc at;
	} *runs_on;
	size_t nruns_on, cap_runs_on;
};

/* What code running in one job holds: each job runs on a runner of its own, so a job that runs
 * the pull request's code reaches only its own secrets, token and cloud roles (and those of the
 * workflow that every job inherits), not another job's. The first of each kind, with its place. */
struct held {
	const char *secret, *write, *cloud;
	tm_loc secret_at, write_at, cloud_at;
};

struct wf {
	tm_ingest_ctx *ctx;
	struct gha *g;
	tm_node *p;
	const tm_file *f;
	tm_hmap taint;
	bool pr_events; /* pull-request or issue events: outputs of pr_data_actions are attacker text */
	bool workflow_run;
	const char *job;
	size_t step;
	struct held wf_held, job_held; /* what the workflow gives every job; what the current job holds */
	bool job_checkout;	       /* the current job checks out the pull request's code */
	bool job_restores;	       /* it restores a cache or downloads an artifact */
	bool untrusted;		       /* an event outsiders cause runs it with the base repository's rights */
	bool weak_checkout;	       /* a job checks out the pull request's code holding nothing */
	const char *poison;	       /* the first job holding something that restores a cache or artifact */
	tm_loc poison_at;
};

/* What is being read is held by the current job, or, before the first job, by every job. */
static struct held *held_of(struct wf *w)
{
	return w->job && w->job[0] ? &w->job_held : &w->wf_held;
}

static void hold(const char **slot, tm_loc *slot_at, const char *what, tm_loc at)
{
	if (*slot || !what)
		return;
	*slot = what;
	*slot_at = at;
}

static void *gha_begin(tm_ingest_ctx *ctx)
{
	struct gha *g = tm_calloc(1, sizeof(*g));
	if (g)
		g->arena = ctx->scratch;
	return g;
}

static void gha_end(void *state)
{
	struct gha *g = state;
	if (g)
		tm_free(g->runs_on);
	tm_free(g);
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

/* Events whose payload an outsider writes (a fork's pull request, an issue, a comment). */
static const char *const outsider_events[] = {"pull_request", "pull_request_target", "pull_request_review",
					      "pull_request_review_comment", "issue_comment", "issues",
					      "discussion", "discussion_comment", "workflow_run"};

/*
 * Expressions whose value an outsider writes, in normalised form (lower case, bracket access
 * turned into dots, no spaces). A source matches as a prefix ending at a field boundary, so
 * `github.event.commits` covers every commit's message and author. Names GitHub restricts to
 * letters, digits, `.`, `-` and `_` (repository and owner names) are not sources: they cannot
 * carry shell syntax; branch names, titles, bodies and descriptions can.
 */
static const char *const sources[] = {
	"github.event.issue.title", "github.event.issue.body", "github.event.pull_request.title",
	"github.event.pull_request.body", "github.event.pull_request.head.ref", "github.event.pull_request.head.label",
	"github.event.pull_request.head.repo.description", "github.event.pull_request.head.repo.homepage",
	"github.event.pull_request.head.repo.default_branch",
	"github.event.comment.body", "github.event.review.body", "github.event.review_comment.body",
	"github.event.discussion.title", "github.event.discussion.body", "github.event.head_commit.message",
	"github.event.head_commit.author.name", "github.event.head_commit.author.email",
	"github.event.head_commit.committer.name", "github.event.head_commit.committer.email",
	"github.event.commits", "github.event.pages", "github.event.client_payload",
	"github.event.workflow_run.head_branch", "github.event.workflow_run.display_title",
	"github.event.workflow_run.head_commit.message", "github.event.workflow_run.head_commit.author",
	"github.event.workflow_run.head_repository.description", "github.event.workflow_run.pull_requests",
	"github.head_ref"};

/* Actions whose outputs carry pull-request data (changed file names, branch names, comment
 * bodies): on pull-request and issue events every output of such a step is attacker text. */
static const char *const pr_data_actions[] = {"tj-actions/changed-files@", "dorny/paths-filter@",
					      "tj-actions/branch-names@", "jitterbit/get-changed-files@",
					      "ana06/get-changed-files@", "trilom/file-changes-action@",
					      "xt0rted/pull-request-comment-branch@", "peter-evans/find-comment@",
					      "tj-actions/changed-files/"};

/* Actions that deploy to a cluster or hand the job credentials to one. */
static const char *const k8s_actions[] = {"google-github-actions/get-gke-credentials@", "azure/aks-set-context@",
					  "azure/k8s-set-context@", "azure/k8s-deploy@", "deliverybot/helm@"};

/* Action inputs that are code the action evaluates: sinks like `run:`. */
static const struct {
	const char *action, *input;
} code_inputs[] = {{"actions/github-script@", "script"},
		   {"amadevus/pwsh-script@", "script"},
		   {"mikefarah/yq@", "cmd"},
		   {"azure/cli@", "inlinescript"},
		   {"azure/powershell@", "inlinescript"},
		   {"jannekem/run-python-script-action@", "script"},
		   {"actions/github-script/", "script"}};

/* The first occurrence of s (m bytes) in h (n bytes), or NULL: lines are not NUL-terminated. */
static const char *mfind(const char *h, size_t n, const char *s, size_t m)
{
	for (size_t i = 0; m && i + m <= n; i++)
		if (h[i] == s[0] && memcmp(h + i, s, m) == 0)
			return h + i;
	return NULL;
}

/* strstr bounded by end: loops over a scalar search from where they are, never to the end of the
 * text again (the sanitizer's strstr reads the whole rest on every call, which made scans of
 * generated workflows quadratic there). */
static const char *sfind(const char *p, const char *end, const char *s)
{
	return p && p <= end ? mfind(p, (size_t)(end - p), s, strlen(s)) : NULL;
}

static bool prefix_ci(const char *s, const char *pre)
{
	for (; *pre; s++, pre++)
		if (tolower((unsigned char)*s) != *pre)
			return false;
	return true;
}

static bool is_word(int c)
{
	return isalnum(c) || c == '_' || c == '-';
}

/* The expression lower-cased, without spaces, with ['x'] / ["x"] / [0] written as .x / .0. */
static char *norm_expr(tm_arena *a, const char *s, size_t n)
{
	char *o = tm_arena_strndup(a, s, n);
	if (!o)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '[') {
			size_t j = i + 1;
			while (j < n && s[j] == ' ')
				j++;
			char q = j < n ? s[j] : 0;
			if (q == '\'' || q == '"') {
				size_t e = j + 1;
				while (e < n && s[e] != q)
					e++;
				size_t r = e + 1;
				while (r < n && s[r] == ' ')
					r++;
				if (e < n && r < n && s[r] == ']') {
					o[k++] = '.';
					for (size_t t = j + 1; t < e; t++)
						o[k++] = (char)tolower((unsigned char)s[t]);
					i = r;
					continue;
				}
			} else if (q && (isdigit((unsigned char)q) || q == '*')) {
				size_t e = j;
				while (e < n && (isdigit((unsigned char)s[e]) || s[e] == '*'))
					e++;
				if (e < n && s[e] == ']') {
					o[k++] = '.';
					for (size_t t = j; t < e; t++)
						o[k++] = s[t];
					i = e;
					continue;
				}
			}
		}
		o[k++] = (char)tolower((unsigned char)c);
	}
	o[k] = '\0';
	return o;
}

/* Whether the path after a source prefix ends in a field GitHub fills with a number, a commit
 * SHA or a timestamp (pull_requests.0.number, commits.0.id): not text an outsider chooses. */
static bool numeric_field(const char *rest)
{
	static const char *const fields[] = {"number", "id", "sha", "node_id", "timestamp", "distinct", "url"};
	const char *end = rest;
	while (*end == '.' || *end == '*' || is_word((unsigned char)*end))
		end++;
	if (end == rest)
		return false;
	const char *last = end;
	while (last > rest && last[-1] != '.')
		last--;
	for (size_t i = 0; i < TM_ARRAY_LEN(fields); i++)
		if ((size_t)(end - last) == strlen(fields[i]) && strncmp(last, fields[i], strlen(fields[i])) == 0)
			return true;
	return false;
}

/* The outsider-written source in a normalised expression, or NULL. Tests (contains, ==, !) give
 * a boolean, not the text, and are not sources. */
static const char *source_in(const char *e)
{
	if (strncmp(e, "contains(", 9) == 0 || strncmp(e, "startswith(", 11) == 0 ||
	    strncmp(e, "endswith(", 9) == 0 || strstr(e, "==") || strstr(e, "!=") || e[0] == '!')
		return NULL;
	/* the whole event serialised carries every field above */
	if (strstr(e, "tojson(github.event)") || strstr(e, "tojson(github)"))
		return "github.event";
	const char *eend = e + strlen(e);
	for (size_t i = 0; i < TM_ARRAY_LEN(sources); i++) {
		size_t n = strlen(sources[i]);
		for (const char *q = sfind(e, eend, sources[i]); q; q = sfind(q + 1, eend, sources[i]))
			if ((q == e || !is_word((unsigned char)q[-1]) || q[-1] == '(') && !is_word((unsigned char)q[n]) &&
			    !numeric_field(q + n))
				return sources[i];
	}
	return NULL;
}

static const char *tget(struct wf *w, const char *key)
{
	const char *v = tm_hmap_get(&w->taint, key, strlen(key));
	return v && *v ? v : NULL;
}

static bool tknown(struct wf *w, const char *key)
{
	return tm_hmap_get(&w->taint, key, strlen(key)) != NULL;
}

static void tput(struct wf *w, const char *key, const char *why)
{
	if (key)
		(void)tm_hmap_put(&w->taint, key, strlen(key), (void *)(why ? why : ""));
}

/* An environment variable's taint as the current step sees it: step env, then $GITHUB_ENV
 * writes of earlier steps, then job env, then workflow env. Keys are built on the stack: lookups
 * happen for every `$VAR` of every script and must not grow the arena. */
static const char *env_taint(struct wf *w, const char *name, size_t n)
{
	char k[4][320];
	int len[4];
	len[0] = tm_formatf(k[0], sizeof(k[0]), "s|%s|%zu|env|%.*s", w->job, w->step, (int)n, name);
	len[1] = tm_formatf(k[1], sizeof(k[1]), "j|%s|genv|%.*s", w->job, (int)n, name);
	len[2] = tm_formatf(k[2], sizeof(k[2]), "j|%s|env|%.*s", w->job, (int)n, name);
	len[3] = tm_formatf(k[3], sizeof(k[3]), "w|env|%.*s", (int)n, name);
	for (size_t i = 0; i < 4; i++)
		if (len[i] > 0 && (size_t)len[i] < sizeof(k[i]) && tknown(w, k[i]))
			return tget(w, k[i]);
	return NULL;
}

/* Why a normalised expression is attacker text, or NULL; *direct when it names a source itself. */
static const char *expr_taint(struct wf *w, const char *e, bool *direct)
{
	*direct = false;
	const char *src = source_in(e);
	if (src) {
		*direct = true;
		return src;
	}
	if ((strncmp(e, "contains(", 9) == 0 || strstr(e, "==") || strstr(e, "!=")))
		return NULL;
	tm_arena *a = w->g->arena;
	for (const char *q = e; *q; q++) {
		if (q > e && (is_word((unsigned char)q[-1]) || q[-1] == '.'))
			continue;
		const char *why = NULL;
		size_t n = 0;
		if (strncmp(q, "env.", 4) == 0) {
			while (is_word((unsigned char)q[4 + n]))
				n++;
			/* context names are case-insensitive (and normalised to lower case here); env
			 * blocks are usually upper case */
			char up[256];
			size_t un = n < sizeof(up) ? n : sizeof(up) - 1;
			for (size_t i = 0; i < un; i++)
				up[i] = (char)toupper((unsigned char)q[4 + i]);
			why = env_taint(w, up, un);
			if (!why)
				why = env_taint(w, q + 4, n);
		} else if (strncmp(q, "steps.", 6) == 0) {
			const char *id = q + 6, *dot = strchr(id, '.');
			if (dot && strncmp(dot, ".outputs.", 9) == 0) {
				const char *o = dot + 9;
				while (is_word((unsigned char)o[n]))
					n++;
				const char *k1 = tm_arena_printf(a, "j|%s|out|%.*s|%.*s", w->job, (int)(dot - id), id, (int)n, o);
				const char *k2 = tm_arena_printf(a, "j|%s|out|%.*s|*", w->job, (int)(dot - id), id);
				why = k1 ? tget(w, k1) : NULL;
				if (!why && k2)
					why = tget(w, k2);
			}
		} else if (strncmp(q, "needs.", 6) == 0) {
			const char *id = q + 6, *dot = strchr(id, '.');
			if (dot && strncmp(dot, ".outputs.", 9) == 0) {
				const char *o = dot + 9;
				while (is_word((unsigned char)o[n]))
					n++;
				const char *k = tm_arena_printf(a, "needs|%.*s|%.*s", (int)(dot - id), id, (int)n, o);
				why = k ? tget(w, k) : NULL;
			}
		} else if (strncmp(q, "inputs.", 7) == 0) {
			while (is_word((unsigned char)q[7 + n]))
				n++;
			const char *k = tm_arena_printf(a, "in|%.*s", (int)n, q + 7);
			why = k ? tget(w, k) : NULL;
		}
		if (why)
			return why;
	}
	return NULL;
}

/* A position inside a scalar's text, advanced monotonically (offsets only grow), so locating
 * every expression or line of a script costs one pass over it. */
struct cursor {
	const char *text;
	size_t pos, bol;
	uint32_t line;
};

/* Where offset off of the scalar's text sits in the file: a block scalar (its text starts on the
 * line after its key) counts lines from its first line, at the column of that first line. */
static tm_loc at_offset(struct wf *w, const tm_value *key, const tm_value *v, struct cursor *c, size_t off)
{
	tm_loc at = tm_ingest__loc(w->f, v), kat = key ? tm_ingest__loc(w->f, key) : at;
	for (; c->pos < off && c->text[c->pos]; c->pos++)
		if (c->text[c->pos] == '\n') {
			c->line++;
			c->bol = c->pos + 1;
		}
	bool block = key && at.line > kat.line;
	if (!at.line)
		return at;
	at.line += c->line;
	if (block || c->line)
		at.col = (at.col > 1 ? at.col : kat.col + 2) + (uint32_t)(off - c->bol);
	else
		at.col = at.col + (uint32_t)(off - c->bol);
	return at;
}

static void fact_at(struct wf *w, const char *key, const char *value, tm_loc loc)
{
	if (value)
		tm_mb_node_fact(w->ctx->mb, w->p, key, value, loc);
}

/* Every ${{ }} of a sink's text: direct sources are script_injection, hops tainted_flow. */
static void sink_exprs(struct wf *w, const tm_value *key, const tm_value *v, const char *sink)
{
	const char *text = tm_scalar_str(v, NULL);
	tm_arena *a = w->g->arena;
	struct cursor cur = {text, 0, 0, 0};
	const char *tend = text ? text + strlen(text) : NULL;
	for (const char *q = sfind(text, tend, "${{"); q; q = sfind(q + 3, tend, "${{")) {
		const char *end = sfind(q + 3, tend, "}}");
		if (!end)
			break;
		char *e = norm_expr(a, q + 3, (size_t)(end - q - 3));
		bool direct = false;
		const char *why = e ? expr_taint(w, e, &direct) : NULL;
		if (why) {
			tm_loc loc = at_offset(w, key, v, &cur, (size_t)(q - text));
			if (direct)
				fact_at(w, "script_injection", tm_arena_printf(a, "%s in %s (line %u)", why, sink, loc.line), loc);
			else
				fact_at(w, "tainted_flow", tm_arena_printf(a, "%s -> %s (line %u)", why, sink, loc.line), loc);
		}
	}
}

/* The name written by `echo "NAME=..."`, `echo NAME=...` or `::set-output name=NAME::` on a line. */
static const char *written_name(tm_arena *a, const char *l, size_t n)
{
	const char *so = mfind(l, n, "name=", 5);
	if (mfind(l, n, "::set-output", 12) && so) {
		const char *b = so + 5, *e = b;
		while (e < l + n && is_word((unsigned char)*e))
			e++;
		return e > b ? tm_arena_strndup(a, b, (size_t)(e - b)) : NULL;
	}
	const char *eq = memchr(l, '=', n);
	if (!eq)
		return NULL;
	const char *b = eq;
	while (b > l && is_word((unsigned char)b[-1]))
		b--;
	return eq > b ? tm_arena_strndup(a, b, (size_t)(eq - b)) : NULL;
}

/* Which tainted variable or expression a script line uses: why, or NULL. */
static const char *line_taint(struct wf *w, const char *l, size_t n, const char *shkey)
{
	tm_arena *a = w->g->arena;
	for (size_t i = 0; i < n; i++) {
		if (l[i] != '$')
			continue;
		if (i + 2 < n && l[i + 1] == '{' && l[i + 2] == '{') {
			const char *end = mfind(l + i, n - i, "}}", 2);
			if (!end)
				break;
			bool direct;
			char *e = norm_expr(a, l + i + 3, (size_t)(end - l - i - 3));
			const char *why = e ? expr_taint(w, e, &direct) : NULL;
			if (why)
				return why;
			i = (size_t)(end - l);
			continue;
		}
		size_t b = i + 1 + (i + 1 < n && l[i + 1] == '{');
		size_t e = b;
		while (e < n && (isalnum((unsigned char)l[e]) || l[e] == '_'))
			e++;
		if (e == b)
			continue;
		char k[320];
		int kl = tm_formatf(k, sizeof(k), "%s|%.*s", shkey, (int)(e - b), l + b);
		const char *why = kl > 0 && (size_t)kl < sizeof(k) && tknown(w, k) ? tget(w, k) : env_taint(w, l + b, e - b);
		if (why)
			return tm_arena_printf(a, "%s -> $%.*s", why, (int)(e - b), l + b);
	}
	return NULL;
}

static bool has(const char *l, size_t n, const char *s)
{
	return mfind(l, n, s, strlen(s)) != NULL;
}

/* Whether a line pipes into an interpreter: `| sh`, `| sudo -E bash -s --`, `|python3`, `| iex`
 * (the word whole: `| sha256sum` is not a shell). */
static bool piped_to_shell(const char *l, size_t n)
{
	static const char *const interp[] = {"sh", "bash", "zsh", "dash", "python", "python3", "perl",
					     "ruby", "node", "iex", "pwsh", "powershell"};
	for (size_t i = 0; i + 1 < n; i++) {
		if (l[i] != '|' || l[i + 1] == '|' || (i && l[i - 1] == '|'))
			continue;
		size_t j = i + 1;
		while (j < n && l[j] == ' ')
			j++;
		if (j + 5 <= n && strncmp(l + j, "sudo ", 5) == 0) {
			j += 5;
			for (;;) { /* sudo's options: -E, -u root */
				while (j < n && l[j] == ' ')
					j++;
				if (j >= n || l[j] != '-')
					break;
				while (j < n && l[j] != ' ')
					j++;
			}
		}
		size_t e = j;
		while (e < n && (isalnum((unsigned char)l[e]) || l[e] == '/'))
			e++;
		const char *word = l + j;
		for (size_t k = e; k > j; k--)
			if (l[k - 1] == '/') { /* /bin/bash */
				word = l + k;
				break;
			}
		for (size_t k = 0; k < TM_ARRAY_LEN(interp); k++)
			if ((size_t)(l + e - word) == strlen(interp[k]) && strncmp(word, interp[k], strlen(interp[k])) == 0)
				return true;
	}
	return false;
}

/* Flags of kubectl and helm that take a value as the next word ("-n prod"). */
static bool flag_takes_value(const char *w, size_t n)
{
	static const char *const f[] = {"-n", "--namespace", "--context", "--kube-context", "--kubeconfig", "--cluster",
					"--user", "-s", "--server", "--token", "--as", "--as-group", "-f", "--filename",
					"-l", "--selector", "-o", "--output", "--kube-apiserver", "--kube-token",
					"--kube-as-user", "--kube-as-group", "--repo", "--version", "--values", "-p",
					"--profile", "--set", "--set-string", "--timeout", "--default-repo"};
	for (size_t i = 0; i < TM_ARRAY_LEN(f); i++)
		if (n == strlen(f[i]) && strncmp(w, f[i], n) == 0)
			return true;
	return false;
}

struct word {
	const char *s;
	size_t n;
};

/* One command of a line (up to |, ;, && or ||) split at blanks, quotes dropped; at most max words. */
static size_t words_of(const char *l, size_t n, size_t *pos, struct word *out, size_t max)
{
	size_t k = 0, i = *pos;
	while (i < n) {
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i >= n || l[i] == '|' || l[i] == ';' || l[i] == '&') {
			while (i < n && (l[i] == '|' || l[i] == ';' || l[i] == '&'))
				i++;
			if (k)
				break;
			continue;
		}
		size_t b = i;
		while (i < n && l[i] != ' ' && l[i] != '\t' && l[i] != '|' && l[i] != ';' && l[i] != '&')
			i++;
		size_t e = i;
		while (b < e && (l[b] == '"' || l[b] == '\'' || l[b] == '('))
			b++;
		while (e > b && (l[e - 1] == '"' || l[e - 1] == '\'' || l[e - 1] == ')'))
			e--;
		if (k < max && e > b)
			out[k++] = (struct word){l + b, e - b};
	}
	*pos = i;
	return k;
}

static bool word_is(struct word w, const char *s)
{
	return w.n == strlen(s) && strncmp(w.s, s, w.n) == 0;
}

/* The program a word runs (/usr/local/bin/kubectl, ./kubectl -> kubectl). */
static struct word program(struct word w)
{
	for (size_t i = w.n; i > 0; i--)
		if (w.s[i - 1] == '/')
			return (struct word){w.s + i, w.n - i};
	return w;
}

/* Whether a command from word i on (its program prog) takes credentials to a cluster: the
 * command's words in order, other words between them (gcloud --project p container ...). */
static bool cluster_credentials(const struct word *wd, size_t k, size_t i, struct word prog, char *cmd, size_t cmdcap)
{
	static const char *const creds[][4] = {{"gcloud", "container", "clusters", "get-credentials"},
					       {"aws", "eks", "update-kubeconfig", NULL},
					       {"az", "aks", "get-credentials", NULL}};
	for (size_t c = 0; c < TM_ARRAY_LEN(creds); c++) {
		bool all = word_is(prog, creds[c][0]);
		size_t j = i + 1;
		for (size_t t = 1; all && t < 4 && creds[c][t]; t++) {
			while (j < k && !word_is(wd[j], creds[c][t]))
				j++;
			all = j++ < k;
		}
		if (all) {
			tm_formatf(cmd, cmdcap, "%s %s %s%s%s", creds[c][0], creds[c][1], creds[c][2], creds[c][3] ? " " : "",
				   creds[c][3] ? creds[c][3] : "");
			return true;
		}
	}
	return false;
}

/* Whether one command changes a cluster's workloads or takes credentials to one: the command in
 * words ("kubectl apply") into cmd, the namespace it names (-n, --namespace) into ns. */
static bool k8s_command(const struct word *wd, size_t k, char *cmd, size_t cmdcap, char *ns, size_t nscap)
{
	static const char *const kubectl_verbs[] = {"apply", "create", "replace", "patch", "delete", "set", "rollout"};
	ns[0] = '\0';
	size_t i = 0;
	while (i < k && (word_is(wd[i], "sudo") || word_is(wd[i], "-E") || word_is(wd[i], "env") || memchr(wd[i].s, '=', wd[i].n)))
		i++; /* sudo -E, VAR=value before the program */
	if (i >= k)
		return false;
	struct word prog = program(wd[i]);
	if (cluster_credentials(wd, k, i, prog, cmd, cmdcap))
		return true;
	bool kubectl = word_is(prog, "kubectl") || word_is(prog, "oc");
	bool helm = word_is(prog, "helm") || word_is(prog, "helm3");
	bool skaffold = word_is(prog, "skaffold");
	if (!kubectl && !helm && !skaffold)
		return false;
	const char *verb = NULL, *obj = "";
	for (size_t j = i + 1; j < k; j++) {
		struct word w = wd[j];
		if (w.s[0] == '-') {
			const char *eq = memchr(w.s, '=', w.n);
			size_t fl = eq ? (size_t)(eq - w.s) : w.n;
			bool nsflag = (fl == 2 && strncmp(w.s, "-n", 2) == 0) || (fl == 11 && strncmp(w.s, "--namespace", 11) == 0);
			const char *val = eq ? eq + 1 : NULL;
			size_t vl = eq ? w.n - fl - 1 : 0;
			if (!eq && flag_takes_value(w.s, w.n) && j + 1 < k) {
				val = wd[j + 1].s;
				vl = wd[j + 1].n;
				j++;
			}
			if (nsflag && val)
				tm_formatf(ns, nscap, "%.*s", (int)vl, val);
			continue;
		}
		if (verb)
			continue; /* past the verb: only its flags matter (-n after it) */
		if (kubectl) {
			for (size_t v = 0; v < TM_ARRAY_LEN(kubectl_verbs); v++)
				if (word_is(w, kubectl_verbs[v]))
					verb = kubectl_verbs[v];
			if (!verb)
				return false; /* kubectl get, kubectl diff... */
			const char *need = strcmp(verb, "set") == 0 ? "image" : strcmp(verb, "rollout") == 0 ? "restart" : NULL;
			if (need && !(j + 1 < k && word_is(wd[j + 1], need)))
				return false;
			obj = need ? need : "";
			j += need != NULL;
		} else if (helm) {
			if (!word_is(w, "upgrade") && !word_is(w, "install"))
				return false;
			verb = word_is(w, "upgrade") ? "upgrade" : "install";
		} else {
			if (!word_is(w, "run") && !word_is(w, "deploy"))
				return false;
			verb = word_is(w, "run") ? "run" : "deploy";
		}
	}
	if (!verb)
		return false;
	tm_formatf(cmd, cmdcap, "%s %s%s%s", kubectl ? "kubectl" : helm ? "helm" : "skaffold", verb, obj[0] ? " " : "", obj);
	return true;
}

/* A deploy to Kubernetes (or credentials to a cluster) at loc: `deploys_kubernetes`, and once per
 * scope what it lets the pipeline do, as an identity's RBAC capability reads. */
static void k8s_deploy(struct wf *w, const char *cmd, const char *ns, tm_loc loc)
{
	tm_arena *a = w->g->arena;
	fact_at(w, "deploys_kubernetes", tm_arena_printf(a, "%s (line %u)", cmd, loc.line), loc);
	const char *cap = ns && ns[0] ? tm_arena_printf(a, "create-workloads (in namespace %s, by %s)", ns, cmd)
				      : tm_arena_printf(a, "create-workloads (cluster-wide, by %s)", cmd);
	const char *key = cap ? tm_arena_printf(a, "k8scap|%s", cap) : NULL;
	if (!key || tknown(w, key))
		return;
	tput(w, key, "");
	fact_at(w, "rbac_capabilities", cap, loc);
}

/* Every command of a run line that deploys to Kubernetes. */
static void k8s_line(struct wf *w, const char *l, size_t n, tm_loc loc)
{
	if (!has(l, n, "kubectl") && !has(l, n, "helm") && !has(l, n, "skaffold") && !has(l, n, "get-credentials") &&
	    !has(l, n, "update-kubeconfig") && !has(l, n, "oc "))
		return;
	struct word wd[48];
	for (size_t pos = 0; pos < n;) {
		size_t k = words_of(l, n, &pos, wd, TM_ARRAY_LEN(wd));
		char cmd[96], ns[128];
		if (k && k8s_command(wd, k, cmd, sizeof(cmd), ns, sizeof(ns)))
			k8s_deploy(w, cmd, ns, loc);
	}
}

/* A run script, line by line: shell variables, $GITHUB_OUTPUT / $GITHUB_ENV writes, eval, the
 * pull request's code fetched, and remote scripts piped into a shell. */
static void script(struct wf *w, const tm_value *key, const tm_value *run, const char *step_id, bool artifact)
{
	const char *text = tm_scalar_str(run, NULL);
	tm_arena *a = w->g->arena;
	const char *shkey = tm_arena_printf(a, "s|%s|%zu|sh", w->job, w->step);
	if (!text || !shkey)
		return;
	struct cursor cur = {text, 0, 0, 0};
	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		size_t ind = 0;
		while (ind < n && (l[ind] == ' ' || l[ind] == '\t'))
			ind++;
		tm_loc loc = at_offset(w, key, run, &cur, (size_t)(l - text) + ind);
		const char *why = line_taint(w, l, n, shkey);
		if (!why && artifact && (has(l, n, "$(cat ") || has(l, n, "$(<") || has(l, n, "$(jq ")))
			why = "an artifact of the triggering workflow_run";
		/* NAME=... or export NAME=...: a shell variable carries the taint on */
		const char *as = l + ind;
		if (strncmp(as, "export ", 7) == 0)
			as += 7;
		const char *eq = as;
		while (eq < l + n && (isalnum((unsigned char)*eq) || *eq == '_'))
			eq++;
		if (eq > as && eq < l + n && *eq == '=' && !isdigit((unsigned char)*as))
			tput(w, tm_arena_printf(a, "%s|%.*s", shkey, (int)(eq - as), as), why ? why : "");
		if (why && (has(l, n, "GITHUB_OUTPUT") || has(l, n, "::set-output"))) {
			const char *name = written_name(a, l, n);
			if (name && step_id)
				tput(w, tm_arena_printf(a, "j|%s|out|%s|%s", w->job, step_id, name),
				     tm_arena_printf(a, "%s -> steps.%s.outputs.%s", why, step_id, name));
		}
		if (why && has(l, n, "GITHUB_ENV")) {
			const char *name = written_name(a, l, n);
			if (name)
				tput(w, tm_arena_printf(a, "j|%s|genv|%s", w->job, name),
				     tm_arena_printf(a, "%s -> $GITHUB_ENV %s", why, name));
			fact_at(w, "tainted_flow", tm_arena_printf(a, "%s -> $GITHUB_ENV (line %u)", why, loc.line), loc);
		} else if (why && has(l, n, "GITHUB_PATH")) {
			fact_at(w, "tainted_flow", tm_arena_printf(a, "%s -> $GITHUB_PATH (line %u)", why, loc.line), loc);
		} else if (why && (strncmp(l + ind, "eval ", 5) == 0 || has(l, n, "bash -c") || has(l, n, "sh -c"))) {
			fact_at(w, "tainted_flow", tm_arena_printf(a, "%s -> eval (line %u)", why, loc.line), loc);
		}
		if (has(l, n, "gh pr checkout") || (has(l, n, "git fetch") && (has(l, n, "refs/pull/") || has(l, n, "pull/${{"))) ||
		    (has(l, n, "git checkout") && (has(l, n, "pull_request.head.") || has(l, n, "head_ref") ||
						  has(l, n, "workflow_run.head_"))))
		{
			fact_at(w, "checks_out_untrusted", tm_arena_strndup(a, l + ind, n - ind > 80 ? 80 : n - ind), loc);
			w->job_checkout = true;
		}
		k8s_line(w, l + ind, n - ind, loc);
		bool fetch = has(l, n, "curl ") || has(l, n, "wget ") || has(l, n, "iwr ") || has(l, n, "Invoke-WebRequest");
		bool piped = fetch && piped_to_shell(l, n);
		if (piped || has(l, n, "<(curl") || has(l, n, "<(wget") || has(l, n, "$(curl") || has(l, n, "$(wget")) {
			bool shell = piped || has(l, n, "bash <(") || has(l, n, "sh <(") || has(l, n, "source <(") ||
				     has(l, n, "sh -c \"$(") || has(l, n, "bash -c \"$(") || has(l, n, ". <(");
			if (shell)
				fact_at(w, "remote_script", tm_arena_strndup(a, l + ind, n - ind > 80 ? 80 : n - ind), loc);
		}
		l += n + (nl != NULL);
	}
}

/* An env block: each variable tainted (why) or clean (shadowing an outer one). */
static void env_block(struct wf *w, const tm_value *env, const char *scope)
{
	tm_arena *a = w->g->arena;
	if (!scope) /* out of memory: recorded by the arena, the scan fails */
		return;
	for (size_t i = 0; tm_value_kind_of(env) == TM_VALUE_MAP && i < tm_value_len(env); i++) {
		const char *name = tm_scalar_str(tm_map_key(env, i), NULL);
		const char *v = tm_scalar_str(tm_map_value(env, i), NULL);
		if (!name)
			continue;
		/* the runner's deprecated ::set-env and ::add-path commands, switched back on: any step
		 * that prints attacker text can set the next steps' environment or PATH */
		if (strcmp(name, "ACTIONS_ALLOW_UNSECURE_COMMANDS") == 0 && v && tm_strcaseeq(v, "true")) {
			const char *where = scope[0] == 'w' ? "the workflow"
					    : tm_arena_printf(a, "%s %s", scope[0] == 'j' ? "job" : "a step of job",
							      w->job ? w->job : "?");
			tm_mb_node_fact(w->ctx->mb, w->p, "insecure_commands", where,
					tm_ingest__loc(w->f, tm_map_value(env, i)));
		}
		const char *why = NULL;
		const char *vend = v ? v + strlen(v) : NULL;
		for (const char *q = sfind(v, vend, "${{"); q && !why; q = sfind(q + 3, vend, "${{")) {
			const char *end = sfind(q + 3, vend, "}}");
			if (!end)
				break;
			bool direct;
			char *e = norm_expr(a, q + 3, (size_t)(end - q - 3));
			why = e ? expr_taint(w, e, &direct) : NULL;
		}
		tput(w, tm_arena_printf(a, "%s|%s", scope, name), why ? tm_arena_printf(a, "%s -> env.%s", why, name) : "");
	}
}

static void event(tm_ingest_ctx *ctx, tm_node *p, const tm_file *f, const tm_value *v, const char *name)
{
	tm_mb_node_list_add(ctx->mb, p, "triggers", name);
	for (size_t i = 0; i < TM_ARRAY_LEN(untrusted_events); i++)
		if (strcmp(name, untrusted_events[i]) == 0)
			tm_mb_node_fact(ctx->mb, p, "untrusted_triggers", name, tm_ingest__loc(f, v));
}

/* A token's write grants: every one is write_permissions (what injected code would hold); the broad
 * ones are broad_permissions too: write-all anywhere, or a scope granted the whole workflow (every
 * job gets it). A scope one job is granted is least privilege, as the fix asks. */
static void permissions(struct wf *w, const tm_value *perm, const char *where, bool workflow, struct held *h)
{
	tm_ingest_ctx *ctx = w->ctx;
	tm_node *p = w->p;
	const tm_file *f = w->f;
	if (tm_value_kind_of(perm) == TM_VALUE_SCALAR) {
		const char *s = tm_scalar_str(perm, NULL);
		if (s && strcmp(s, "write-all") == 0) {
			tm_mb_node_fact(ctx->mb, p, "write_permissions", where, tm_ingest__loc(f, perm));
			tm_mb_node_fact(ctx->mb, p, "broad_permissions", where, tm_ingest__loc(f, perm));
			hold(&h->write, &h->write_at, "write-all", tm_ingest__loc(f, perm));
		}
		return;
	}
	for (size_t i = 0; i < tm_value_len(perm); i++) {
		const char *scope = tm_scalar_str(tm_map_key(perm, i), NULL);
		const char *level = tm_scalar_str(tm_map_value(perm, i), NULL);
		/* id-token: write is how OIDC federation works; it is reported as a cloud role, not here */
		if (scope && level && strcmp(level, "write") == 0 && strcmp(scope, "id-token") != 0) {
			char buf[256];
			tm_formatf(buf, sizeof(buf), "%s: %s", where, scope);
			tm_mb_node_fact(ctx->mb, p, "write_permissions", buf, tm_ingest__loc(f, tm_map_value(perm, i)));
			hold(&h->write, &h->write_at, tm_arena_printf(w->g->arena, "%s: write", scope),
			     tm_ingest__loc(f, tm_map_value(perm, i)));
			if (workflow)
				tm_mb_node_fact(ctx->mb, p, "broad_permissions", buf, tm_ingest__loc(f, tm_map_value(perm, i)));
		}
	}
}

/* Every ${{ secrets.X }} in a scalar; the whole secrets context (toJSON(secrets), secrets[expr]). */
static void secrets_in(struct wf *w, const tm_value *v)
{
	if (!v)
		return;
	if (tm_value_kind_of(v) != TM_VALUE_SCALAR) {
		for (size_t i = 0; i < tm_value_len(v); i++)
			secrets_in(w, tm_value_kind_of(v) == TM_VALUE_MAP ? tm_map_value(v, i) : tm_seq_at(v, i));
		return;
	}
	const char *s = tm_scalar_str(v, NULL);
	const char *send = s ? s + strlen(s) : NULL;
	for (const char *q = sfind(s, send, "secrets."); q; q = sfind(q + 8, send, "secrets.")) {
		char name[128];
		size_t n = 0;
		for (const char *c = q + 8; (isalnum((unsigned char)*c) || *c == '_') && n + 1 < sizeof(name); c++)
			name[n++] = *c;
		name[n] = '\0';
		if (n && strcmp(name, "GITHUB_TOKEN") != 0) {
			tm_mb_node_fact(w->ctx->mb, w->p, "secrets_used", name, tm_ingest__loc(w->f, v));
			hold(&held_of(w)->secret, &held_of(w)->secret_at, tm_arena_printf(w->g->arena, "secret %s", name),
			     tm_ingest__loc(w->f, v));
		}
	}
	struct cursor cur = {s, 0, 0, 0};
	for (const char *q = sfind(s, send, "${{"); q; q = sfind(q + 3, send, "${{")) {
		const char *end = sfind(q + 3, send, "}}");
		char *e = end ? norm_expr(w->g->arena, q + 3, (size_t)(end - q - 3)) : NULL;
		if (!e)
			break;
		const char *eend = e + strlen(e);
		for (const char *x = sfind(e, eend, "secrets"); x; x = sfind(x + 7, eend, "secrets")) {
			if (x > e && (is_word((unsigned char)x[-1]) || x[-1] == '.'))
				continue;
			/* normalised, secrets['X'] is secrets.x; what is left in brackets is computed */
			bool whole = x[7] == ')' || x[7] == ',' || x[7] == '\0';
			bool dynamic = x[7] == '[';
			if (whole || dynamic) {
				tm_loc loc = at_offset(w, NULL, v, &cur, (size_t)(q - s));
				hold(&held_of(w)->secret, &held_of(w)->secret_at,
				     whole ? "the whole secrets context" : "secrets[computed name]", loc);
				fact_at(w, "secrets_exposed",
					tm_arena_printf(w->g->arena, "%s (line %u)", whole ? "the whole secrets context" : "secrets[computed name]", loc.line),
					loc);
				break;
			}
		}
	}
}

/* The key (any case: inlineScript) named name in map, for its position. */
static const tm_value *key_of(const tm_value *map, const char *name)
{
	for (size_t i = 0; tm_value_kind_of(map) == TM_VALUE_MAP && i < tm_value_len(map); i++) {
		const char *k = tm_scalar_str(tm_map_key(map, i), NULL);
		if (k && tm_strcaseeq(k, name))
			return tm_map_key(map, i);
	}
	return NULL;
}

static bool in_table(const char *u, const char *const *t, size_t n)
{
	for (size_t i = 0; u && i < n; i++)
		if (prefix_ci(u, t[i]))
			return true;
	return false;
}

/* The cloud identity a login names: a deploys edge from the workflow to it, in the cloud boundary. */
static void cloud_identity(struct wf *w, const char *id, const char *name, const char *type, const char *via,
			   const tm_value *at)
{
	tm_ingest_ctx *ctx = w->ctx;
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_CLOUD_ACCOUNT, "cloud", "Cloud account", NULL);
	tm_node *idn = id ? tm_mb_node(ctx->mb, TM_NODE_IDENTITY, id, name, "cloud", tm_ingest__loc(w->f, at)) : NULL;
	if (!idn)
		return;
	tm_mb_node_str(ctx->mb, idn, "identity_type", type);
	tm_edge *e = tm_mb_edge(ctx->mb, w->p, idn, TM_EDGE_DEPLOYS, tm_ingest__loc(w->f, at));
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", via);
}

/* A login whose identity an expression names (${{ secrets.X }}, ${{ vars.X }}): which one is not in
 * the workflow; Terraform's reader links the one identity of that cloud GitHub's tokens may act as.
 * unresolved is the list entry: the expression, after "azure client-id " or "gcp service_account "
 * for those clouds. */
static void cloud_unresolved(struct wf *w, const char *unresolved, const char *what, const char *expr,
			     const tm_value *at)
{
	tm_mb_node_list_add(w->ctx->mb, w->p, "cloud_roles_unresolved", unresolved);
	tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(w->f, at),
		    "%s is named by %s: which identity the job takes is not in the workflow", what, expr);
}

/* A cloud login by OpenID Connect (the job's id-token): AWS `role-to-assume` (any action's input,
 * configure-aws-credentials and the wrappers around it), Azure azure/login `client-id`, Google
 * google-github-actions/auth `service_account` (through its workload_identity_provider). Each is a
 * located `cloud_roles` fact the job holds. */
static void role(struct wf *w, const char *u, const tm_value *with)
{
	tm_arena *a = w->g->arena;
	const tm_value *role = tm_map_get(with, "role-to-assume");
	const tm_value *azure = u && prefix_ci(u, "azure/login@") ? tm_map_get(with, "client-id") : NULL;
	const tm_value *gcp = u && prefix_ci(u, "google-github-actions/auth@") ? tm_map_get(with, "service_account") : NULL;
	const tm_value *at = role ? role : azure ? azure : gcp;
	const char *rs = tm_scalar_str(at, NULL);
	if (!rs)
		return;
	tm_mb_node_fact(w->ctx->mb, w->p, "cloud_roles", rs, tm_ingest__loc(w->f, at));
	hold(&held_of(w)->cloud, &held_of(w)->cloud_at, tm_arena_strdup(a, rs), tm_ingest__loc(w->f, at));
	if (azure) {
		if (strstr(rs, "${{"))
			cloud_unresolved(w, tm_arena_printf(a, "azure client-id %s", rs), "azure/login's client-id", rs, at);
		else
			cloud_identity(w, tm_arena_printf(a, "identity:azure:client-id:%s", rs), rs,
				       "azure-managed-identity", "azure/login", at);
		return;
	}
	if (gcp) {
		const char *at_sign = strchr(rs, '@');
		if (strstr(rs, "${{") && (!at_sign || strstr(rs, "${{") < at_sign))
			cloud_unresolved(w, tm_arena_printf(a, "gcp service_account %s", rs),
					 "google-github-actions/auth's service_account", rs, at);
		else
			cloud_identity(w, tm_arena_printf(a, "identity:gcp:%.*s", (int)(at_sign ? at_sign - rs : (ptrdiff_t)strlen(rs)), rs),
				       tm_arena_printf(a, "%.*s", (int)(at_sign ? at_sign - rs : (ptrdiff_t)strlen(rs)), rs),
				       "gcp-service-account", "google-github-actions/auth", at);
		return;
	}
	/* arn:aws:iam::${{ secrets.ACCOUNT }}:role/deploy still names its role: only a role name the
	 * expression gives is unknown */
	const char *last = strrchr(rs, '/');
	if (strstr(last ? last : rs, "${{")) {
		/* a secret or variable names it: which role is not in the files (Terraform's reader links
		 * the role it lets GitHub's OIDC tokens assume, when there is exactly one) */
		tm_mb_node_list_add(w->ctx->mb, w->p, "cloud_roles_unresolved", rs);
		tm_diag_add(w->ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(w->f, role),
			    "role-to-assume is named by %s: which role the job takes is not in the workflow", rs);
		return;
	}
	const char *slash = strrchr(rs, '/');
	cloud_identity(w, tm_arena_printf(a, "identity:aws:%s", slash ? slash + 1 : rs), slash ? slash + 1 : rs,
		       "aws-iam-role", "role-to-assume", role);
}

/* The node id of what `uses: ./dir` or `uses: ./.github/workflows/x.yml` names: "action:<dir>" or
 * "pipeline:<file>", from the repository root (the part of the workflow's path before .github/,
 * so a scan of a parent directory still matches). */
static const char *local_action_id(struct wf *w, const char *u)
{
	const char *path = tm_file_path(w->f);
	const char *gh = path ? strstr(path, ".github/") : NULL;
	size_t pre = gh ? (size_t)(gh - path) : 0;
	while (u[0] == '.' && u[1] == '/')
		u += 2;
	size_t n = strlen(u);
	while (n && u[n - 1] == '/')
		n--;
	bool workflow = (n > 4 && strncmp(u + n - 4, ".yml", 4) == 0) || (n > 5 && strncmp(u + n - 5, ".yaml", 5) == 0);
	return tm_arena_printf(w->g->arena, "%s:%.*s%.*s", workflow ? "pipeline" : "action", (int)pre, path ? path : "",
			       (int)n, u);
}

/* A call of a local action or reusable workflow: each tainted `with:` value, for the rules to join
 * with the callee's own flows from that input ("<why> -> <callee id> inputs.<name>"). */
static void local_action(struct wf *w, const char *u, const tm_value *with)
{
	tm_arena *a = w->g->arena;
	const char *aid = local_action_id(w, u);
	tm_mb_node_list_add(w->ctx->mb, w->p, "local_calls", aid);
	for (size_t i = 0; aid && tm_value_kind_of(with) == TM_VALUE_MAP && i < tm_value_len(with); i++) {
		const char *k = tm_scalar_str(tm_map_key(with, i), NULL);
		const char *v = tm_scalar_str(tm_map_value(with, i), NULL);
		const char *vend = v ? v + strlen(v) : NULL;
		for (const char *q = sfind(v, vend, "${{"); k && q; q = sfind(q + 3, vend, "${{")) {
			const char *end = sfind(q + 3, vend, "}}");
			if (!end)
				break;
			char *e = norm_expr(a, q + 3, (size_t)(end - q - 3));
			bool direct;
			const char *why = e ? expr_taint(w, e, &direct) : NULL;
			if (why) {
				fact_at(w, "local_action_input", tm_arena_printf(a, "%s -> %s inputs.%s", why, aid, k),
					tm_ingest__loc(w->f, tm_map_value(with, i)));
				break;
			}
		}
	}
}

/* One step: `uses:` facts and sinks, then its run script. *artifact is set once a step of a
 * workflow_run job downloads the triggering run's artifacts. */
static void step(struct wf *w, const tm_value *st, bool *artifact)
{
	tm_ingest_ctx *ctx = w->ctx;
	const tm_file *f = w->f;
	tm_arena *a = w->g->arena;
	const tm_value *uses = tm_map_get(st, "uses");
	const char *u = tm_scalar_str(uses, NULL);
	const tm_value *with = tm_map_get(st, "with");
	const char *id = tm_map_get_str(st, "id");
	env_block(w, tm_map_get(st, "env"), tm_arena_printf(a, "s|%s|%zu|env", w->job, w->step));
	if (u && u[0] == '.')
		local_action(w, u, with);
	if (u && u[0] != '.' && strncmp(u, "docker://", 9) != 0) {
		const char *at = strchr(u, '@');
		if (!at || !is_sha(at + 1))
			tm_mb_node_fact(ctx->mb, w->p, "unpinned_actions", u, tm_ingest__loc(f, uses));
		if (strncmp(u, "actions/checkout@", 17) == 0) {
			const tm_value *ref = tm_map_get(with, "ref"), *repo = tm_map_get(with, "repository");
			const char *r = tm_scalar_str(ref, NULL), *rp = tm_scalar_str(repo, NULL);
			if (r && (strstr(r, "pull_request.head") || strstr(r, "head_ref") || strstr(r, "workflow_run.head") ||
				  strstr(r, "refs/pull/")))
				tm_mb_node_fact(ctx->mb, w->p, "checks_out_untrusted", r, tm_ingest__loc(f, ref));
			else if (rp && (strstr(rp, "pull_request.head.repo") || strstr(rp, "workflow_run.head_repository")))
				tm_mb_node_fact(ctx->mb, w->p, "checks_out_untrusted", rp, tm_ingest__loc(f, repo));
			else
				r = rp = NULL;
			w->job_checkout = w->job_checkout || r || rp;
		}
		/* what a job takes from the repository's cache or the run's artifacts, which code in
		 * another job of the run can write */
		w->job_restores = w->job_restores || strncmp(u, "actions/cache@", 14) == 0 ||
				  strncmp(u, "actions/cache/restore@", 22) == 0 ||
				  strncmp(u, "actions/download-artifact@", 26) == 0 ||
				  (strncmp(u, "actions/setup-", 14) == 0 && tm_map_get(with, "cache"));
		for (size_t i = 0; i < TM_ARRAY_LEN(code_inputs); i++)
			if (prefix_ci(u, code_inputs[i].action)) {
				const tm_value *ck = key_of(with, code_inputs[i].input);
				const tm_value *code = ck ? tm_map_get(with, tm_scalar_str(ck, NULL)) : NULL;
				if (code)
					sink_exprs(w, ck, code,
						   tm_arena_printf(a, "%.*s %s", (int)(at ? at - u : (ptrdiff_t)strlen(u)), u,
								   code_inputs[i].input));
			}
		for (size_t i = 0; i < TM_ARRAY_LEN(k8s_actions); i++)
			if (prefix_ci(u, k8s_actions[i]))
				k8s_deploy(w, tm_arena_printf(a, "%.*s", (int)(strlen(k8s_actions[i]) - 1), k8s_actions[i]),
					   tm_map_get_str(with, "namespace"), tm_ingest__loc(f, uses));
		if (id && w->pr_events && in_table(u, pr_data_actions, TM_ARRAY_LEN(pr_data_actions)))
			tput(w, tm_arena_printf(a, "j|%s|out|%s|*", w->job, id),
			     tm_arena_printf(a, "%.*s outputs (pull-request data) -> steps.%s.outputs",
					     (int)(at ? at - u : (ptrdiff_t)strlen(u)), u, id));
		if (w->workflow_run && (strncmp(u, "actions/download-artifact@", 26) == 0 ||
					strncmp(u, "dawidd6/action-download-artifact@", 33) == 0) &&
		    (tm_map_get(with, "run-id") || tm_map_get(with, "run_id") || strncmp(u, "dawidd6", 7) == 0))
			*artifact = true;
		if (strncmp(u, "actions/github-script@", 22) == 0) {
			const char *sc = tm_map_get_str(with, "script");
			if (w->workflow_run && sc && strstr(sc, "downloadArtifact"))
				*artifact = true;
		}
	}
	role(w, u, with);
	const tm_value *run = tm_map_get(st, "run");
	const char *text = tm_scalar_str(run, NULL);
	if (text) {
		sink_exprs(w, key_of(st, "run"), run, "run");
		script(w, key_of(st, "run"), run, id, *artifact);
	}
	secrets_in(w, with);
	secrets_in(w, tm_map_get(st, "env"));
	secrets_in(w, run);
}

static bool self_hosted_label(const tm_value *v)
{
	const char *s = tm_scalar_str(v, NULL);
	if (s)
		return strstr(s, "self-hosted") != NULL;
	for (size_t i = 0; tm_value_kind_of(v) == TM_VALUE_SEQ && i < tm_value_len(v); i++)
		if (self_hosted_label(tm_seq_at(v, i)))
			return true;
	return false;
}

/* runs-on as a string, a label list, a {group, labels} mapping (runner groups hold self-hosted
 * runners), or ${{ matrix.X }} whose values (or include entries) name self-hosted. */
static bool self_hosted(const tm_value *job, const tm_value *ro)
{
	if (tm_value_kind_of(ro) == TM_VALUE_MAP)
		return tm_map_get(ro, "group") || self_hosted_label(tm_map_get(ro, "labels"));
	if (self_hosted_label(ro))
		return true;
	const char *s = tm_scalar_str(ro, NULL);
	const char *mx = s ? strstr(s, "matrix.") : NULL;
	if (!mx)
		return false;
	char dim[64];
	size_t n = 0;
	for (const char *c = mx + 7; is_word((unsigned char)*c) && n + 1 < sizeof(dim); c++)
		dim[n++] = *c;
	dim[n] = '\0';
	const tm_value *matrix = tm_map_get(tm_map_get(job, "strategy"), "matrix");
	if (self_hosted_label(tm_map_get(matrix, dim)))
		return true;
	const tm_value *inc = tm_map_get(matrix, "include");
	for (size_t i = 0; i < tm_value_len(inc); i++)
		if (self_hosted_label(tm_map_get(tm_seq_at(inc, i), dim)))
			return true;
	return false;
}

/* The labels `runs-on` names (a string, a list, a {labels} mapping), kept for gha_finish. */
static void runner_labels(struct wf *w, const char *jname, const tm_value *ro)
{
	const tm_value *v = tm_value_kind_of(ro) == TM_VALUE_MAP ? tm_map_get(ro, "labels") : ro;
	size_t n = tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_value_len(v) : 1;
	for (size_t i = 0; v && i < n; i++) {
		const tm_value *l = tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_seq_at(v, i) : v;
		const char *s = tm_scalar_str(l, NULL);
		if (!s || !*s || strstr(s, "${{"))
			continue;
		if (TM_GROW(w->g->runs_on, w->g->cap_runs_on, w->g->nruns_on + 1)) {
			tm_arena_set_failed(w->g->arena);
			return;
		}
		w->g->runs_on[w->g->nruns_on++] = (struct runs_on){w->p, jname, s, tm_ingest__loc(w->f, l)};
	}
}

/* A job whose `runs-on` names a runner set of the scan (actions-runner-controller's scale set name
 * or a RunnerDeployment's label: the workload's `runner_labels`, k8s_arc.c) runs on that
 * self-hosted runner: `self_hosted_runners` "<job> (runner set <id>)" at its runs-on, and
 * `runner_sets` "<job>: <id>" at the runner set. Linear: one index of the labels. */
static void gha_finish(tm_ingest_ctx *ctx, void *state)
{
	struct gha *g = state;
	if (!g || !g->nruns_on)
		return;
	const tm_model *m = tm_mb_model(ctx->mb);
	tm_hmap runners = TM_HMAP_INIT;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		const tm_attr *a = tm_node_kind_of(n) == TM_NODE_SERVICE ? tm_node_attr_get(n, "runner_labels") : NULL;
		for (size_t k = 0; a && a->type == TM_ATTR_LIST && a->list[k]; k++)
			if (!tm_hmap_get(&runners, a->list[k], strlen(a->list[k])) &&
			    tm_hmap_put(&runners, a->list[k], strlen(a->list[k]), (void *)n))
				tm_arena_set_failed(g->arena);
	}
	const tm_node *last_p = NULL;
	const char *last_job = NULL;
	for (size_t i = 0; runners.count && i < g->nruns_on; i++) {
		const struct runs_on *r = &g->runs_on[i];
		const tm_node *rn = tm_hmap_get(&runners, r->label, strlen(r->label));
		if (!rn || (r->p == last_p && last_job && strcmp(r->job, last_job) == 0))
			continue; /* no runner set of that name, or the job's runner already named */
		last_p = r->p;
		last_job = r->job;
		tm_mb_node_fact(ctx->mb, r->p, "self_hosted_runners",
				tm_arena_printf(g->arena, "%s (runner set %s)", r->job, tm_node_id(rn)), r->at);
		tm_mb_node_fact(ctx->mb, r->p, "runner_sets", tm_arena_printf(g->arena, "%s: %s", r->job, tm_node_id(rn)),
				tm_node_evidence_count(rn) ? tm_node_evidence(rn, 0) : r->at);
	}
	tm_hmap_dispose(&runners);
}

/* What a job holds in words ("secret BOT_TOKEN, a pull-requests: write token, cloud role R"), and
 * where the first of it is written; NULL when it holds nothing. */
static const char *held_text(struct wf *w, const struct held *h, tm_loc *at)
{
	if (!h->secret && !h->write && !h->cloud)
		return NULL;
	*at = h->secret ? h->secret_at : h->write ? h->write_at : h->cloud_at;
	tm_strbuf sb = TM_STRBUF_INIT;
	if (h->secret)
		tm_strbuf_printf(&sb, "%s", h->secret);
	if (h->write)
		tm_strbuf_printf(&sb, "%sa %s token", sb.len ? ", " : "", h->write);
	if (h->cloud)
		tm_strbuf_printf(&sb, "%scloud role %s", sb.len ? ", " : "", h->cloud);
	const char *out = tm_arena_strdup(w->g->arena, sb.data);
	tm_strbuf_dispose(&sb);
	return out;
}

/* After a job: a job that runs the pull request's code holding something is `untrusted_job_holds`
 * ("<job>: <what>", located at what it holds); a job holding something that restores a cache or
 * downloads an artifact is what a job running that code without power could still reach. */
static void job_reach(struct wf *w, const char *jname)
{
	tm_loc at = {0};
	const char *what = w->untrusted ? held_text(w, &w->job_held, &at) : NULL;
	if (w->job_checkout && what)
		fact_at(w, "untrusted_job_holds", tm_arena_printf(w->g->arena, "%s: %s", jname, what), at);
	else if (w->job_checkout)
		w->weak_checkout = true;
	else if (what && w->job_restores && !w->poison) {
		w->poison = tm_arena_printf(w->g->arena, "job %s (%s) restores a cache or downloads an artifact", jname, what);
		w->poison_at = at;
	}
}

static void job(struct wf *w, const tm_value *jobv, const char *jname)
{
	tm_arena *a = w->g->arena;
	w->job = jname;
	w->job_checkout = w->job_restores = false;
	env_block(w, tm_map_get(jobv, "env"), tm_arena_printf(a, "j|%s|env", jname));
	const tm_value *runs_on = tm_map_get(jobv, "runs-on");
	if (runs_on && self_hosted(jobv, runs_on))
		tm_mb_node_fact(w->ctx->mb, w->p, "self_hosted_runners", jname, tm_ingest__loc(w->f, runs_on));
	else if (runs_on)
		runner_labels(w, jname, runs_on);
	const char *calls = tm_map_get_str(jobv, "uses");
	if (calls && calls[0] == '.')
		local_action(w, calls, tm_map_get(jobv, "with"));
	const tm_value *inherit = tm_map_get(jobv, "secrets");
	/* a reusable workflow of another repository runs as this job, with what it is handed: its
	 * ref is pinned like an action's, and one on a moving ref handed secrets is graver */
	const char *at = calls && calls[0] != '.' ? strchr(calls, '@') : NULL;
	/* slsa-github-generator's workflows must be called by their release tag: they verify it and
	 * refuse a commit SHA, so the tag is no habit to fix */
	bool tag_required = calls && prefix_ci(calls, "slsa-framework/slsa-github-generator/");
	if (calls && calls[0] != '.' && !tag_required && (!at || !is_sha(at + 1))) {
		tm_loc uat = tm_ingest__loc(w->f, tm_map_get(jobv, "uses"));
		fact_at(w, "unpinned_actions", calls, uat);
		if (inherit)
			fact_at(w, "unpinned_with_secrets", calls, uat);
	}
	const char *is = tm_scalar_str(inherit, NULL);
	if (is && strcmp(is, "inherit") == 0 && tm_map_get(jobv, "uses")) {
		fact_at(w, "secrets_exposed",
			tm_arena_printf(a, "secrets: inherit (line %u)", tm_ingest__loc(w->f, inherit).line),
			tm_ingest__loc(w->f, inherit));
		hold(&w->job_held.secret, &w->job_held.secret_at, "every secret (secrets: inherit)",
		     tm_ingest__loc(w->f, inherit));
	} else
		secrets_in(w, inherit);
	secrets_in(w, tm_map_get(jobv, "with"));
	bool artifact = false;
	const tm_value *steps = tm_map_get(jobv, "steps");
	for (size_t s = 0; s < tm_value_len(steps); s++) {
		w->step = s;
		step(w, tm_seq_at(steps, s), &artifact);
	}
	secrets_in(w, tm_map_get(jobv, "env"));
	const tm_value *outs = tm_map_get(jobv, "outputs");
	for (size_t i = 0; tm_value_kind_of(outs) == TM_VALUE_MAP && i < tm_value_len(outs); i++) {
		const char *o = tm_scalar_str(tm_map_key(outs, i), NULL);
		const char *v = tm_scalar_str(tm_map_value(outs, i), NULL);
		const char *q = v ? strstr(v, "${{") : NULL, *end = q ? strstr(q + 3, "}}") : NULL;
		char *e = end ? norm_expr(a, q + 3, (size_t)(end - q - 3)) : NULL;
		bool direct;
		const char *why = e ? expr_taint(w, e, &direct) : NULL;
		if (o && why)
			tput(w, tm_arena_printf(a, "needs|%s|%s", jname, o), tm_arena_printf(a, "%s -> needs.%s.outputs.%s", why, jname, o));
	}
	job_reach(w, jname);
}

/* An action of the repository (action.yml): a node "action:<dir>" whose steps are read like a
 * job's, each `inputs.X` a caller-controlled source; docker actions contribute their secrets use. */
static bool action_doc(tm_ingest_ctx *ctx, struct gha *g, const tm_file *f, const tm_value *root)
{
	const char *path = tm_file_path(f);
	const char *slash = path ? strrchr(path, '/') : NULL;
	char *id = tm_arena_printf(g->arena, "action:%.*s", slash ? (int)(slash - path) : 0, path ? path : "");
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_CI, "ci", "CI", NULL);
	tm_node *p = id ? tm_mb_node(ctx->mb, TM_NODE_PIPELINE, id, tm_map_get_str(root, "name"), "ci",
				     tm_ingest__loc(f, root))
			: NULL;
	if (!p)
		return false;
	tm_mb_node_str(ctx->mb, p, "pipeline_type", "github-action");
	struct wf w = {.ctx = ctx, .g = g, .p = p, .f = f, .taint = TM_HMAP_INIT, .job = "action"};
	const tm_value *inputs = tm_map_get(root, "inputs");
	for (size_t i = 0; tm_value_kind_of(inputs) == TM_VALUE_MAP && i < tm_value_len(inputs); i++) {
		const char *k = tm_scalar_str(tm_map_key(inputs, i), NULL);
		if (k)
			tput(&w, tm_arena_printf(g->arena, "in|%s", k), tm_arena_printf(g->arena, "inputs.%s", k));
	}
	const tm_value *runs = tm_map_get(root, "runs");
	const tm_value *steps = tm_map_get(runs, "steps");
	bool artifact = false;
	for (size_t s = 0; s < tm_value_len(steps); s++) {
		w.step = s;
		step(&w, tm_seq_at(steps, s), &artifact);
	}
	secrets_in(&w, tm_map_get(runs, "env"));
	secrets_in(&w, tm_map_get(runs, "args"));
	tm_hmap_dispose(&w.taint);
	return true;
}

static bool gha_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root, const char *detail)
{
	(void)detail;
	struct gha *g = state;
	if (!g)
		return false;
	if (!tm_map_get(root, "jobs") && tm_map_get(root, "runs"))
		return action_doc(ctx, g, f, root);
	char *id = tm_arena_printf(g->arena, "pipeline:%s", tm_file_path(f));
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_CI, "ci", "CI", NULL);
	tm_node *p = id ? tm_mb_node(ctx->mb, TM_NODE_PIPELINE, id, tm_map_get_str(root, "name"), "ci",
				     tm_ingest__loc(f, root))
			: NULL;
	if (!p)
		return false;
	struct wf w = {.ctx = ctx, .g = g, .p = p, .f = f, .taint = TM_HMAP_INIT, .job = ""};
	tm_mb_node_str(ctx->mb, p, "pipeline_type", "github-actions");
	const tm_value *on = tm_map_get(root, "on");
	const tm_value *evs[64];
	size_t nev = 0;
	if (tm_value_kind_of(on) == TM_VALUE_SCALAR)
		evs[nev++] = on;
	for (size_t i = 0; tm_value_kind_of(on) != TM_VALUE_SCALAR && i < tm_value_len(on) && nev < TM_ARRAY_LEN(evs); i++)
		evs[nev++] = tm_value_kind_of(on) == TM_VALUE_MAP ? tm_map_key(on, i) : tm_seq_at(on, i);
	for (size_t i = 0; i < nev; i++) {
		const char *name = tm_scalar_str(evs[i], NULL);
		if (!name)
			continue;
		event(ctx, p, f, evs[i], name);
		w.workflow_run = w.workflow_run || strcmp(name, "workflow_run") == 0;
		for (size_t k = 0; k < TM_ARRAY_LEN(untrusted_events); k++)
			w.untrusted = w.untrusted || strcmp(name, untrusted_events[k]) == 0;
		for (size_t k = 0; k < TM_ARRAY_LEN(outsider_events); k++)
			w.pr_events = w.pr_events || strcmp(name, outsider_events[k]) == 0;
	}
	/* a reusable workflow's inputs are its caller's, as an action's are; one typed boolean or number
	 * cannot carry a command (the runner refuses anything else), so it is no source */
	const tm_value *call_inputs = tm_map_get(tm_map_get(on, "workflow_call"), "inputs");
	for (size_t i = 0; tm_value_kind_of(call_inputs) == TM_VALUE_MAP && i < tm_value_len(call_inputs); i++) {
		const char *k = tm_scalar_str(tm_map_key(call_inputs, i), NULL);
		const char *type = tm_map_get_str(tm_map_value(call_inputs, i), "type");
		if (k && !(type && (strcmp(type, "boolean") == 0 || strcmp(type, "number") == 0)))
			tput(&w, tm_arena_printf(g->arena, "in|%s", k), tm_arena_printf(g->arena, "inputs.%s", k));
	}
	const tm_value *perm = tm_map_get(root, "permissions");
	if (perm)
		permissions(&w, perm, "workflow", true, &w.wf_held);
	env_block(&w, tm_map_get(root, "env"), "w|env");
	secrets_in(&w, tm_map_get(root, "env"));
	const tm_value *jobs = tm_map_get(root, "jobs");
	bool every_job_scoped = tm_value_len(jobs) > 0;
	for (size_t j = 0; j < tm_value_len(jobs); j++) {
		const tm_value *jobv = tm_map_value(jobs, j);
		const char *jname = tm_scalar_str(tm_map_key(jobs, j), NULL);
		const tm_value *jp = tm_map_get(jobv, "permissions");
		/* a job's own permissions replace the workflow's; the workflow's env secrets stay */
		w.job_held = w.wf_held;
		if (jp)
			w.job_held.write = NULL;
		if (jp)
			permissions(&w, jp, jname ? jname : "job", false, &w.job_held);
		else
			every_job_scoped = false;
		job(&w, jobv, jname ? jname : "job");
	}
	if (w.weak_checkout && w.poison)
		fact_at(&w, "untrusted_job_poisons", w.poison, w.poison_at);
	if (!perm && !every_job_scoped)
		tm_mb_node_fact(ctx->mb, p, "default_permissions", "no permissions block: the repository default applies",
				tm_ingest__loc(f, root));
	tm_hmap_dispose(&w.taint);
	return true;
}

const tm_ingester tm_ingest__gha = {gha_begin, gha_doc, gha_finish, gha_end};
