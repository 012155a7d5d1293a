/*
 * md.c - the threat-model artifact in Markdown, laid out along the four questions:
 * what are we building, what can go wrong, what will we do, did we do a good job.
 *
 * Every string from inputs goes through tm_esc_md or tm_esc_md_code.
 */
#include <stdlib.h>

#include "diagram.h"
#include "report.h"

#define MAX_ENDPOINT_ROWS 200
#define MAX_SECRET_ROWS 200

static void evidence(tm_out *o, tm_loc l)
{
	if (!l.path) {
		tm_out_puts(o, "-");
		return;
	}
	tm_strbuf sb = TM_STRBUF_INIT;
	if (l.line)
		tm_strbuf_printf(&sb, "%s:%u:%u", l.path, (unsigned)l.line, (unsigned)l.col);
	else
		tm_strbuf_printf(&sb, "%s#%s", l.path, l.pointer ? l.pointer : "");
	tm_esc_md_code(o, sb.data ? sb.data : "");
	tm_strbuf_dispose(&sb);
}

static void node_evidence(tm_out *o, const tm_node *n)
{
	tm_loc none = {NULL, 0, 0, NULL};
	evidence(o, tm_node_evidence_count(n) ? tm_node_evidence(n, 0) : none);
	if (tm_node_evidence_count(n) > 1)
		tm_out_printf(o, " (+%zu)", tm_node_evidence_count(n) - 1);
}

static void list_attr(tm_out *o, const tm_node *n, const char *key)
{
	const tm_attr *a = tm_node_attr_get(n, key);
	if (!a || a->type != TM_ATTR_LIST || !a->list || !a->list[0]) {
		tm_out_puts(o, "-");
		return;
	}
	for (const char *const *s = a->list; *s; s++) {
		if (s != a->list)
			tm_out_puts(o, ", ");
		tm_esc_md_code(o, *s);
	}
}

/* The list attribute key but the item skip (said already), after lead; nothing when that leaves none. */
static void others_attr(tm_out *o, const tm_node *n, const char *key, const char *skip, const char *lead)
{
	const tm_attr *a = tm_node_attr_get(n, key);
	size_t shown = 0;
	for (const char *const *s = a && a->type == TM_ATTR_LIST ? a->list : NULL; s && *s; s++) {
		if (strcmp(*s, skip) == 0)
			continue;
		tm_out_puts(o, shown++ ? ", " : lead);
		tm_esc_md_code(o, *s);
	}
}

/* The attributes key of an edge as "label `value`" items, one space apart, after the `shown` items
 * already written (o NULL: only count); how many there are now. Every attribute named key is an item,
 * empty unless text or a list. */
static size_t edge_attr_list(tm_out *o, const tm_edge *e, const char *key, const char *label, size_t shown)
{
	for (size_t i = 0; i < tm_edge_attr_count(e); i++) {
		const tm_attr *a = tm_edge_attr(e, i);
		if (strcmp(a->key, key) != 0)
			continue;
		if (o && shown)
			tm_out_puts(o, " ");
		shown++;
		if (!o)
			continue;
		if (a->type == TM_ATTR_STR) {
			tm_out_printf(o, "%s ", label);
			tm_esc_md_code(o, a->str);
		} else if (a->type == TM_ATTR_LIST) {
			tm_out_printf(o, "%s ", label);
			for (const char *const *s = a->list; s && *s; s++) {
				if (s != a->list)
					tm_out_puts(o, ", ");
				tm_esc_md_code(o, *s);
			}
		}
	}
	return shown;
}

/* A cell of up to three edge attributes (k2, k3 NULL: fewer), or an empty cell when the edge has none. */
static void edge_attrs_cell(tm_table *t, const tm_edge *e, const char *const *keys)
{
	bool any = false; /* keys: pairs of an attribute and its label, then NULL */
	for (size_t i = 0; keys[i] && !any; i += 2)
		any = edge_attr_list(NULL, e, keys[i], keys[i + 1], 0) > 0;
	if (!any) {
		tm_table_empty(t);
		return;
	}
	tm_out *o = tm_table_cell(t);
	size_t shown = 0;
	for (size_t i = 0; keys[i]; i += 2)
		shown = edge_attr_list(o, e, keys[i], keys[i + 1], shown);
}

static const tm_loc no_loc = {NULL, 0, 0, NULL};

/* A Markdown table with these headers. */
#define MD_TABLE(t, o, cols) tm_table_begin(t, o, &(tm_table_spec){TM_TABLE_MD, cols, TM_ARRAY_LEN(cols), NULL, 0})

/* Boundaries as a nested list under their parents. */
static void boundary_tree(tm_out *o, const tm_model *m, const char *parent, int depth)
{
	for (size_t i = 0; i < tm_model_boundary_count(m) && depth < 8; i++) {
		const tm_boundary *b = tm_model_boundary(m, i);
		const char *p = tm_boundary_parent(b);
		if (parent ? !p || strcmp(p, parent) != 0 : p != NULL)
			continue;
		for (int d = 0; d < depth; d++)
			tm_out_puts(o, "  ");
		tm_out_puts(o, "- ");
		tm_esc_md(o, tm_boundary_name(b));
		tm_out_printf(o, " (%s)\n", tm_boundary_kind_name(tm_boundary_kind_of(b)));
		boundary_tree(o, m, tm_boundary_id(b), depth + 1);
	}
}

/* A finding's status, with where its decision comes from. */
static void status_cell(tm_out *o, const tm_finding *f)
{
	if (f->expired) {
		tm_out_puts(o, "open (acceptance expired ");
		tm_esc_md(o, f->until);
		tm_out_puts(o, ")");
		return;
	}
	tm_esc_md(o, f->suppressed && f->status == TM_STATUS_ACCEPTED ? "suppressed" : tm_status_name(f->status));
	if (f->decided_in) {
		tm_out_puts(o, " (");
		tm_esc_md(o, strcmp(f->decided_in, "store") == 0 ? "register" : f->decided_in);
		tm_out_puts(o, ")");
	}
}

/* Every decision in force or lapsed, where it comes from; and the file's acceptances nothing matches. */
static void section_decisions(const tm_findings *fs, const tm_model *m, tm_out *o)
{
	size_t n = 0, stale = 0;
	for (size_t i = 0; i < tm_findings_count(fs); i++)
		n += tm_findings_at(fs, i)->decided_in != NULL;
	for (size_t k = 0; k < tm_model_accepted_count(m); k++) {
		const tm_accepted_risk *a = tm_model_accepted(m, k);
		bool found = false;
		for (size_t i = 0; i < tm_findings_count(fs) && !found && !a->rule; i++)
			found = strcmp(tm_findings_at(fs, i)->fingerprint, a->fingerprint) == 0;
		stale += a->rule ? !tm_findings_suppression_uses(fs, k) || tm_findings_suppression_expired(fs, k)
				 : !found || tm_findings_review_due(fs, a);
	}
	if (!n && !stale)
		return;
	static const tm_table_col cols[] = {{"fingerprint", NULL}, {"finding", NULL}, {"status", NULL}, {"owner", NULL},
					    {"until", NULL},       {"why", NULL},     {"decided in", NULL}};
	tm_table t;
	tm_out_puts(o, "### Decisions (accepted risks, mitigations, false positives)\n\n");
	MD_TABLE(&t, o, cols);
	for (size_t i = 0; i < tm_findings_count(fs); i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		if (!f->decided_in)
			continue;
		tm_table_code(&t, f->fingerprint);
		tm_table_text(&t, f->title);
		if (f->expired)
			tm_table_raw(&t, "**expired**: open again");
		else
			tm_table_text(&t, tm_status_name(f->status));
		tm_table_text(&t, f->accepted_by);
		tm_table_text(&t, f->until);
		tm_table_text(&t, f->why);
		tm_table_text(&t, strcmp(f->decided_in, "store") == 0 ? "the register" : f->decided_in);
		tm_table_end_row(&t);
	}
	for (size_t k = 0; k < tm_model_accepted_count(m); k++) {
		const tm_accepted_risk *a = tm_model_accepted(m, k);
		bool found = false;
		for (size_t i = 0; i < tm_findings_count(fs) && !found && !a->rule; i++)
			found = strcmp(tm_findings_at(fs, i)->fingerprint, a->fingerprint) == 0;
		if (a->rule) {
			/* a suppression: listed when it matches nothing or has expired */
			bool lapsed = tm_findings_suppression_expired(fs, k);
			if (tm_findings_suppression_uses(fs, k) && !lapsed)
				continue;
			tm_table_code(&t, a->rule);
			tm_table_raw(&t, lapsed ? "suppression **expired**: what it silenced is open again"
						: "suppression matches nothing now: it can go");
		} else if (found && tm_findings_review_due(fs, a)) {
			tm_table_code(&t, a->fingerprint);
			tm_out *c = tm_table_cell(&t);
			tm_out_puts(c, "acceptance **review due** since ");
			tm_esc_md(c, a->review);
		} else if (found) {
			continue;
		} else {
			tm_table_code(&t, a->fingerprint);
			tm_table_raw(&t, "no such finding now: the acceptance can go");
		}
		tm_table_raw(&t, "-");
		tm_table_text(&t, a->owner);
		tm_table_text(&t, a->expires);
		tm_table_text(&t, a->rationale);
		tm_out *c = tm_table_cell(&t);
		tm_esc_md(c, a->loc.path ? a->loc.path : "trustmap.yaml");
		tm_out_printf(c, ":%u:%u", a->loc.line, a->loc.col);
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
	tm_out_puts(o, "\n");
}

/* Who calls whom, as configuration says. */
static void section_calls(tm_out *o, const tm_model *m)
{
	static const tm_table_col cols[] = {{"from", NULL}, {"to", NULL}, {"configured by", NULL}, {"evidence", NULL}};
	tm_table t;
	size_t shown = 0;
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) != TM_EDGE_CALLS)
			continue;
		if (!shown++) {
			tm_out_puts(o, "\n### Calls between services\n\n");
			MD_TABLE(&t, o, cols);
		}
		tm_table_code(&t, tm_node_id(tm_edge_from(e)));
		tm_table_code(&t, tm_node_id(tm_edge_to(e)));
		/* an env var, an application's own configuration file's setting, a proxy */
		static const char *const call_keys[] = {"env", "", "env_from", "given whole by", "setting", "setting",
							"proxied_by", "proxied by", NULL};
		edge_attrs_cell(&t, e, call_keys);
		evidence(tm_table_cell(&t), tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : no_loc);
		tm_table_end_row(&t);
	}
	if (shown)
		tm_table_end(&t);
}

/* The policies `trustmap query` evaluates, and the workloads no NetworkPolicy isolates. */
static void section_policies(tm_out *o, const tm_model *m)
{
	tm_out_puts(o, "\n### Policies\n\n");
	static const tm_table_col cols[] = {{"kind", NULL}, {"policy", NULL}, {"evidence", NULL}};
	tm_table t;
	size_t n = tm_model_policy_count(m);
	if (!n)
		tm_out_puts(o, "No NetworkPolicy or mesh policy in the inputs: every workload accepts every "
			       "caller the network lets through.\n");
	else
		MD_TABLE(&t, o, cols);
	for (size_t i = 0; i < n; i++) {
		tm_policy_ref r = tm_model_policy_ref(m, i);
		tm_table_text(&t, r.kind ? r.kind : "");
		char name[512];
		tm_formatf(name, sizeof(name), "%s/%s", r.ns ? r.ns : "", r.name ? r.name : "");
		tm_table_code(&t, name);
		evidence(tm_table_cell(&t), r.loc);
		tm_table_end_row(&t);
	}
	if (n)
		tm_table_end(&t);
	size_t open = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *w = tm_model_node(m, i);
		const tm_attr *iso = tm_node_attr_get(w, "ingress_isolated");
		if (!iso || iso->num)
			continue;
		tm_out_puts(o, open++ ? ", " : "\nNo NetworkPolicy isolates the ingress of: ");
		tm_esc_md_code(o, tm_node_id(w));
	}
	if (open)
		tm_out_puts(o, ". Ask `trustmap query who-can-call` what reaches them.\n");
}

static size_t count_list(const char *const *l)
{
	size_t n = 0;
	while (l && l[n])
		n++;
	return n;
}

/* `a`, `b`: names as code spans (NULL: nothing). */
static void code_list(tm_out *o, const char *const *l)
{
	for (size_t k = 0; l && l[k]; k++) {
		tm_out_puts(o, k ? ", " : "");
		tm_esc_md_code(o, l[k]);
	}
}

static void code_list_or_dash(tm_out *o, const char *const *l)
{
	if (count_list(l))
		code_list(o, l);
	else
		tm_out_puts(o, "-");
}

/* Blast radius: the workloads and pipelines whose compromise reaches a crown jewel. */
static void section_blast(const tm_blast *b, tm_out *o)
{
	static const tm_table_col cols[] = {{"workload or pipeline", NULL}, {"secrets", NULL}, {"services", NULL}, {"crown jewels", NULL}};
	tm_table t;
	size_t shown = 0;
	for (size_t i = 0; i < tm_blast_count(b); i++) {
		const tm_blast_entry *e = tm_blast_at(b, i);
		if (!count_list(e->crown_jewels))
			continue;
		if (!shown++) {
			tm_out_puts(o, "\n### Blast radius\n\nWhat a compromise of each workload or pipeline reaches (`trustmap "
				       "paths --from workload:NS/NAME` or `--from pipeline:FILE` shows the hops):\n\n");
			MD_TABLE(&t, o, cols);
		}
		tm_table_code(&t, e->workload);
		tm_table_int(&t, (int64_t)count_list(e->secrets));
		tm_table_int(&t, (int64_t)count_list(e->services));
		code_list(tm_table_cell(&t), e->crown_jewels);
		tm_table_end_row(&t);
	}
	if (shown)
		tm_table_end(&t);
	if (b && !shown)
		tm_out_puts(o, "\n### Blast radius\n\nNo workload's or pipeline's compromise reaches a crown jewel (dangerous RBAC, secrets, restricted data) in the model.\n");
}

/* The diagram, as Mermaid: code hosts render it in place. */
static void section_diagram(const tm_wctx *ctx, tm_out *o, const tm_model *m)
{
	tm_diagram d = {0};
	if (tm_model_node_count(m) && tm_diagram_build(&d, m, ctx->exposure, ctx->diagram) == 0 && d.shown) {
		tm_out_puts(o, "### Diagram\n\nGreen: authentication or authorization on the way; red (thick): neither; "
			       "dashed: not known; dotted: not a request. `trustmap scan --format svg` draws it with "
			       "Graphviz; `--focus NODE` draws one node's neighbourhood.\n\n```mermaid\n");
		tm_diagram_mermaid(o, &d);
		tm_out_puts(o, "```\n\n");
	}
	tm_diagram_dispose(&d);
}

enum { MAX_LOOPBACK_ROWS = 20 };

/* What the model's workloads are: *compose (a compose service) and *cluster (a workload of any
 * other kind). A compose project has no cluster, and its reports do not speak of one. */
static void workload_kinds(const tm_model *m, bool *compose, bool *cluster)
{
	*compose = *cluster = false;
	for (size_t i = 0; i < tm_model_node_count(m) && !(*compose && *cluster); i++) {
		const tm_node *n = tm_model_node(m, i);
		const char *wk = tm_node_kind_of(n) == TM_NODE_SERVICE ? tm_node_attr_str(n, "workload") : NULL;
		if (!wk)
			continue;
		bool c = strcmp(wk, "compose-service") == 0;
		*compose |= c;
		*cluster |= !c;
	}
}

/* The compose services published on loopback only that nothing exposes beyond the host: each said
 * with the reason (its binding), not in terms of a cluster. */
static void loopback_only(tm_out *o, const tm_model *m, const tm_exposure *x)
{
	size_t shown = 0, more = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		const char *wk = tm_node_kind_of(n) == TM_NODE_SERVICE ? tm_node_attr_str(n, "workload") : NULL;
		if (!wk || strcmp(wk, "compose-service") != 0 || tm_exposure_level_of(x, n) >= TM_EXPOSURE_PARTNER ||
		    !tm_node_attr_get(n, "loopback_ports"))
			continue;
		if (shown == MAX_LOOPBACK_ROWS) {
			more++;
			continue;
		}
		tm_out_puts(o, shown++ ? "" : "\n");
		tm_out_puts(o, "- ");
		tm_esc_md_code(o, tm_node_id(n));
		tm_out_puts(o, " is published on ");
		tm_loc at = {NULL, 0, 0, NULL};
		size_t k = 0;
		for (size_t f = 0; f < tm_node_fact_count(n); f++) {
			const tm_fact_loc *fl = tm_node_fact(n, f);
			if (strcmp(fl->key, "loopback_ports") != 0)
				continue;
			/* "127.0.0.1:3000->3000": the host's side */
			char host[128];
			size_t hl = strcspn(fl->value, "-");
			tm_formatf(host, sizeof(host), "%.*s", (int)(hl < sizeof(host) ? hl : sizeof(host) - 1), fl->value);
			tm_out_puts(o, k++ ? ", " : "");
			tm_esc_md(o, host);
			if (!at.path)
				at = fl->loc;
		}
		tm_out_puts(o, " only (a reverse proxy on the host, not in the files, may front it): ");
		evidence(o, at);
		tm_out_puts(o, "\n");
	}
	if (more)
		tm_out_printf(o, "- and %zu more published on loopback only\n", more);
}

/* The edges from outside the cluster (or beyond a compose project's host); incomplete: the model
 * lacks what some inputs hold (files in error, deployments not fetched), so finding none is said of
 * what is modelled. */
static void section_entrypoints(tm_out *o, const tm_model *m, const tm_exposure *x, bool incomplete)
{
	static const tm_table_col cols[] = {{"from", NULL}, {"to", NULL}, {"how", NULL}, {"evidence", NULL}};
	tm_table t;
	tm_out_puts(o, "\n### Entry points\n\n");
	size_t shown = 0;
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const tm_node *from = tm_edge_from(e);
		if (tm_node_kind_of(from) != TM_NODE_ENTRYPOINT)
			continue;
		if (!shown++)
			MD_TABLE(&t, o, cols);
		const char *name = tm_node_name(from);
		tm_table_text(&t, name ? name : "");
		tm_table_code(&t, tm_node_id(tm_edge_to(e)));
		/* an allow-list on the way (loadBalancerSourceRanges): only those sources come in */
		static const char *const route_keys[] = {"via", "via", "ports", "ports", "allow_lists", "only from", NULL};
		edge_attrs_cell(&t, e, route_keys);
		evidence(tm_table_cell(&t), tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : no_loc);
		tm_table_end_row(&t);
	}
	/* a way in that leads to nothing the model holds (a security group open to the internet, on
	 * machines the files do not describe): listed too, so the count above it and this table agree */
	tm_pset routed = TM_PSET_INIT;
	bool indexed = false;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		const tm_attr *open = tm_node_kind_of(n) == TM_NODE_ENTRYPOINT ? tm_node_attr_get(n, "open_ingress") : NULL;
		if (!open || open->type != TM_ATTR_LIST)
			continue;
		for (size_t k = 0; !indexed && k < tm_model_edge_count(m); k++)
			if (tm_pset_add(&routed, tm_edge_from(tm_model_edge(m, k))) < 0)
				break;
		indexed = true;
		if (tm_pset_has(&routed, n))
			continue;
		if (!shown++)
			MD_TABLE(&t, o, cols);
		tm_table_code(&t, tm_node_id(n));
		tm_table_raw(&t, "- (what it lets in is not in the files)");
		tm_out *c = tm_table_cell(&t);
		for (size_t k = 0; open->list[k]; k++) {
			if (k)
				tm_out_puts(c, "; ");
			tm_esc_md(c, open->list[k]);
		}
		node_evidence(tm_table_cell(&t), n);
		tm_table_end_row(&t);
	}
	tm_pset_dispose(&routed);
	if (shown)
		tm_table_end(&t);
	bool compose, cluster;
	workload_kinds(m, &compose, &cluster);
	/* a compose project has no cluster: its services are published beyond the host, or not */
	const char *beyond = compose && !cluster ? "published beyond the host"
			     : compose         ? "exposed outside the cluster or published beyond the host"
					       : "exposed outside the cluster";
	if (!shown && incomplete)
		tm_out_printf(o, "No entry point found in what is modelled: nothing in it is %s (the model is incomplete: "
				 "above).\n", beyond);
	else if (!shown)
		tm_out_printf(o, "No entry point found: nothing in the inputs is %s.\n", beyond);
	loopback_only(o, m, x);
}

/* The kind cell of a name no Service answers: "unresolved name", and the Service it may have meant. */
static void unresolved_kind(tm_out *o, const tm_node *n)
{
	const char *meant = tm_node_attr_str(n, "did_you_mean");
	tm_out_puts(o, "unresolved name");
	if (meant) {
		tm_out_puts(o, ": did you mean ");
		tm_esc_md_code(o, meant);
		tm_out_puts(o, "?");
	}
}

static void service_row(const tm_wctx *ctx, tm_table *t, const tm_node *n)
{
	tm_table_code(t, tm_node_name(n));
	const char *wk = tm_node_attr_str(n, "workload");
	if (tm_node_unresolved_name(n))
		unresolved_kind(tm_table_cell(t), n);
	else
		tm_table_text(t, wk ? wk : tm_node_kind_name(tm_node_kind_of(n)));
	const char *ns = tm_node_attr_str(n, "namespace");
	tm_table_text(t, ns ? ns : "");
	/* a Kubernetes service account, or a cloud task's role (ECS) */
	const char *runs_as = tm_node_attr_str(n, "service_account");
	tm_table_code(t, runs_as ? runs_as : tm_node_attr_str(n, "role")); /* NULL: "-" */
	const char *reach = tm_exposure_of(ctx->exposure, n); /* computed once, as every report shows it */
	/* a compose service's "cluster" is the compose networks it joins: there is no cluster */
	if (reach && wk && strcmp(wk, "compose-service") == 0 && strcmp(reach, "cluster") == 0)
		reach = "compose networks";
	tm_table_raw(t, reach ? reach : "-");
	tm_table_text(t, tm_node_attr_str(n, "owner"));
	list_attr(tm_table_cell(t), n, "images");
	node_evidence(tm_table_cell(t), n);
	tm_table_end_row(t);
}

static void section_services(const tm_wctx *ctx, tm_out *o, const tm_model *m)
{
	static const tm_table_col cols[] = {{"service", NULL}, {"kind", NULL},           {"namespace", NULL},
					    {"runs as", NULL}, {"reachable from", NULL}, {"owner", NULL},
					    {"images", NULL},  {"evidence", NULL}};
	tm_table t;
	tm_out_puts(o, "\n### Services\n\n");
	size_t shown = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) != TM_NODE_SERVICE && tm_node_kind_of(n) != TM_NODE_GATEWAY)
			continue;
		if (!shown++)
			MD_TABLE(&t, o, cols);
		service_row(ctx, &t, n);
	}
	if (shown)
		tm_table_end(&t);
	else
		tm_out_puts(o, "No services found.\n");
}

static void endpoint_row(const tm_wctx *ctx, tm_table *t, const tm_node *n)
{
	tm_table_code(t, tm_node_name(n));
	const char *svc = tm_node_attr_str(n, "service");
	tm_table_code(t, svc ? svc : "");
	const char *computed = tm_exposure_of(ctx->exposure, n);
	const char *declared = tm_node_attr_str(n, "exposure");
	tm_table_text(t, computed ? computed : declared ? declared : "");
	tm_out *o = tm_table_cell(t);
	const tm_attr *anon = tm_node_attr_get(n, "anonymous");
	if (anon && anon->num)
		tm_out_puts(o, "**none required**");
	const char *gw = tm_node_attr_str(n, "authn_at");
	const tm_attr *sec = tm_node_attr_get(n, "security");
	bool spec_anon = sec && sec->type == TM_ATTR_LIST && sec->list && sec->list[0] &&
			 strcmp(sec->list[0], "anonymous") == 0 && !sec->list[1];
	if (sec && !(gw && spec_anon)) {
		if (anon && anon->num)
			others_attr(o, n, "security", "anonymous", "; or ");
		else
			list_attr(o, n, "security");
	} else if (!(anon && anon->num) && !gw) {
		tm_out_puts(o, "-");
	}
	if (gw) {
		tm_out_puts(o, sec && !spec_anon ? "; at the gateway: " : "at the gateway: ");
		tm_esc_md(o, gw);
	}
	node_evidence(tm_table_cell(t), n);
	tm_table_end_row(t);
}

static void section_endpoints(const tm_wctx *ctx, tm_out *o, const tm_model *m)
{
	static const tm_table_col cols[] = {{"endpoint", NULL}, {"service", NULL}, {"exposure", NULL},
					    {"authentication", NULL}, {"evidence", NULL}};
	tm_table t;
	tm_out_puts(o, "\n### API endpoints\n\n");
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) != TM_NODE_ENDPOINT)
			continue;
		if (total++ >= MAX_ENDPOINT_ROWS)
			continue;
		if (!shown++)
			MD_TABLE(&t, o, cols);
		endpoint_row(ctx, &t, n);
	}
	if (shown)
		tm_table_end(&t);
	if (total > MAX_ENDPOINT_ROWS)
		tm_out_printf(o, "\n%zu more endpoints in the JSON report.\n", total - MAX_ENDPOINT_ROWS);
	if (!total)
		tm_out_puts(o, "No API endpoints: no OpenAPI document was linked in the inputs.\n");
}

/* Per identity: the workloads running as it; per node element (ingest/nodes.c), the workloads that
 * escape to it and those it hosts. One pass over the edges. */
struct id_use {
	size_t users, escapers, hosted;
	size_t reads, writes; /* stores, queues and secrets its grants read or write (cloud policies) */
	size_t pipelines;     /* workflows that assume it (deploys edges) */
	const tm_node *pipeline; /* the first of them */
};

static struct id_use *identity_uses(const tm_model *m, tm_hmap *ix)
{
	size_t ni = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++)
		if (tm_node_kind_of(tm_model_node(m, i)) == TM_NODE_IDENTITY) {
			const char *id = tm_node_id(tm_model_node(m, i));
			if (tm_hmap_put(ix, id, strlen(id), (void *)(uintptr_t)++ni))
				return NULL;
		}
	struct id_use *u = tm_calloc(ni + 1, sizeof(*u));
	for (size_t k = 0; u && k < tm_model_edge_count(m); k++) {
		const tm_edge *e = tm_model_edge(m, k);
		tm_edge_kind kind = tm_edge_kind_of(e);
		bool grant = (kind == TM_EDGE_READS || kind == TM_EDGE_WRITES) &&
			     tm_node_kind_of(tm_edge_from(e)) == TM_NODE_IDENTITY;
		const char *id = tm_node_id(kind == TM_EDGE_HOSTS || grant ? tm_edge_from(e) : tm_edge_to(e));
		bool pipeline = kind == TM_EDGE_DEPLOYS && tm_node_kind_of(tm_edge_from(e)) == TM_NODE_PIPELINE;
		void *v = kind == TM_EDGE_RUNS_AS || kind == TM_EDGE_ESCAPES || kind == TM_EDGE_HOSTS || grant || pipeline
				  ? tm_hmap_get(ix, id, strlen(id))
				  : NULL;
		if (!v)
			continue;
		struct id_use *x = &u[(uintptr_t)v - 1];
		if (pipeline && !x->pipelines++)
			x->pipeline = tm_edge_from(e);
		else if (pipeline)
			continue;
		else if (grant)
			*(kind == TM_EDGE_READS ? &x->reads : &x->writes) += 1;
		else if (kind == TM_EDGE_RUNS_AS)
			x->users++;
		else if (kind == TM_EDGE_ESCAPES)
			x->escapers++;
		else
			x->hosted++;
	}
	return u;
}

/* "2 workloads", "pipeline pr.yml", "1 workload, 3 pipelines (pr.yml...)": a cloud role a workflow
 * assumes is used, though no workload runs as it. */
static void used_by(tm_table *t, const struct id_use *u)
{
	if (!u->pipelines) {
		tm_table_numf(t, "%zu workload%s", u->users, u->users == 1 ? "" : "s");
		return;
	}
	const char *id = tm_node_id(u->pipeline), *slash = strrchr(id, '/'), *colon = strchr(id, ':');
	const char *file = slash ? slash + 1 : colon ? colon + 1 : id;
	tm_strbuf sb = TM_STRBUF_INIT;
	if (u->users)
		tm_strbuf_printf(&sb, "%zu workload%s, ", u->users, u->users == 1 ? "" : "s");
	if (u->pipelines == 1)
		tm_strbuf_printf(&sb, "pipeline %s", file);
	else
		tm_strbuf_printf(&sb, "%zu pipelines (%s...)", u->pipelines, file);
	tm_table_text(t, sb.oom ? "" : sb.data);
	tm_strbuf_dispose(&sb);
}

static void section_identities(tm_out *o, const tm_model *m)
{
	static const tm_table_col cols[] = {{"identity", NULL}, {"used by", NULL}, {"declared", NULL}, {"may", NULL},
					    {"evidence", NULL}};
	tm_table t;
	tm_out_puts(o, "\n### Identities\n\n");
	tm_hmap ix = TM_HMAP_INIT;
	struct id_use *uses = identity_uses(m, &ix);
	size_t shown = 0, at = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) != TM_NODE_IDENTITY)
			continue;
		struct id_use u = uses ? uses[at++] : (struct id_use){0};
		if (!shown++)
			MD_TABLE(&t, o, cols);
		tm_table_code(&t, tm_node_id(n));
		if (tm_node_attr_str(n, "node_pool")) { /* the nodes an escape reaches (ingest/nodes.c) */
			tm_table_numf(&t, "%zu workload%s to it", u.escapers, u.escapers == 1 ? " escapes" : "s escape");
			tm_table_raw(&t, "inferred (nodes)");
			tm_table_numf(&t, "runs %zu workload%s: their tokens, secrets and network", u.hosted,
				       u.hosted == 1 ? "" : "s");
		} else {
			used_by(&t, &u);
			const tm_attr *decl = tm_node_attr_get(n, "declared");
			tm_table_raw(&t, decl && decl->num ? "yes" : "no (implicit)");
			const char *scope = tm_node_attr_str(n, "scope");
			const tm_attr *admin = tm_node_attr_get(n, "admin_policy");
			if (!scope && admin && admin->type == TM_ATTR_LIST && admin->list && admin->list[0]) {
				tm_strbuf sb = TM_STRBUF_INIT;
				tm_strbuf_printf(&sb, "administrator (%s)", admin->list[0]);
				if (u.writes || u.reads)
					tm_strbuf_printf(&sb, "; %s %zu data store%s (its policies)", u.writes ? "write" : "read",
							 u.writes + u.reads, u.writes + u.reads == 1 ? "" : "s");
				tm_table_text(&t, sb.oom ? "" : sb.data);
				tm_strbuf_dispose(&sb);
			} else if (scope || !(u.reads || u.writes))
				tm_table_text(&t, scope);
			else if (u.writes && u.reads)
				tm_table_numf(&t, "write %zu data store%s, read %zu (its policies)", u.writes,
					      u.writes == 1 ? "" : "s", u.reads);
			else
				tm_table_numf(&t, "%s %zu data store%s (its policies)", u.writes ? "write" : "read",
					      u.writes + u.reads, u.writes + u.reads == 1 ? "" : "s");
		}
		node_evidence(tm_table_cell(&t), n);
		tm_table_end_row(&t);
	}
	tm_free(uses);
	tm_hmap_dispose(&ix);
	if (shown)
		tm_table_end(&t);
	else
		tm_out_puts(o, "No identities found.\n");
}

/* "a, b, c and 2 more" of a list attribute, into sb; "-" when empty. */
static void list_cell(tm_strbuf *sb, const tm_node *n, const char *key)
{
	const tm_attr *a = tm_node_attr_get(n, key);
	size_t k = 0;
	for (; a && a->type == TM_ATTR_LIST && a->list && a->list[k]; k++)
		if (k < 3)
			tm_strbuf_printf(sb, "%s%s", k ? ", " : "", a->list[k]);
	if (k > 3)
		tm_strbuf_printf(sb, " and %zu more", k - 3);
	if (!k)
		tm_strbuf_puts(sb, "-");
}

/* Secrets: where each is kept, its keys (names only; those with a committed value), who takes it and
 * who may read it. Only when the model has secrets, so reports without any keep their shape. */
static void section_secrets(tm_out *o, const tm_model *m)
{
	static const tm_table_col cols[] = {{"secret", NULL}, {"store", NULL}, {"keys", NULL},
					    {"committed values", NULL}, {"used by", NULL}, {"readers (grants)", NULL}};
	tm_table t;
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) != TM_NODE_SECRET || total++ >= MAX_SECRET_ROWS)
			continue;
		if (!shown++) {
			tm_out_puts(o, "\n### Secrets\n\n");
			MD_TABLE(&t, o, cols);
		}
		tm_table_code(&t, tm_node_id(n));
		const char *store = tm_node_attr_str(n, "store");
		tm_table_text(&t, store ? store : "-");
		static const char *const keys[] = {"keys", "committed_value", "used_by", "readers"};
		for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
			tm_strbuf sb = TM_STRBUF_INIT;
			list_cell(&sb, n, keys[k]);
			tm_table_text(&t, sb.oom ? "" : sb.data);
			tm_strbuf_dispose(&sb);
		}
		tm_table_end_row(&t);
	}
	if (shown)
		tm_table_end(&t);
	if (total > MAX_SECRET_ROWS)
		tm_out_printf(o, "\n%zu more secrets in the JSON report.\n", total - MAX_SECRET_ROWS);
}

static void section_assets(tm_out *o, const tm_model *m)
{
	tm_out_puts(o, "\n### Assets\n\n");
	if (!tm_model_asset_count(m)) {
		tm_out_puts(o, "No asset classification in the inputs. Name your data and its classification "
			       "under `assets` in `trustmap.yaml`.\n\n");
		return;
	}
	static const tm_table_col cols[] = {{"asset", NULL}, {"classification", NULL}, {"data", NULL},
					    {"stored in", NULL}, {"evidence", NULL}};
	tm_table t;
	MD_TABLE(&t, o, cols);
	for (size_t i = 0; i < tm_model_asset_count(m); i++) {
		const tm_asset *a = tm_model_asset(m, i);
		tm_table_text(&t, a->name ? a->name : "");
		tm_table_text(&t, a->classification ? a->classification : "");
		code_list_or_dash(tm_table_cell(&t), a->data);
		code_list_or_dash(tm_table_cell(&t), a->stores);
		evidence(tm_table_cell(&t), a->loc);
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
	tm_out_puts(o, "\n");
}

static void section_building(const tm_wctx *ctx, tm_out *o, const tm_figures *fig)
{
	const tm_model *m = tm_scan_model(ctx->scan);
	tm_out_puts(o, "## 1. What are we building?\n\n");
#define PL(n) (n), (n) == 1 ? "" : "s"
	/* the ways in the Entry points table lists: an entry point (the internet, a partner) may lead
	 * to many services, each a row there */
	size_t ways = 0;
	for (size_t i = 0; i < tm_model_edge_count(m); i++)
		ways += tm_node_kind_of(tm_edge_from(tm_model_edge(m, i))) == TM_NODE_ENTRYPOINT;
	tm_out_printf(o, "%zu service%s", PL(fig->services));
	if (fig->unresolved_names) /* a name in the configuration that no Service answers is no service */
		tm_out_printf(o, " (and %zu name%s the configuration calls that no Service answers, marked unresolved)",
			      PL(fig->unresolved_names));
	tm_out_printf(o, ", %zu gateway%s, %zu entry point%s", PL(fig->gateways), PL(fig->entrypoints));
	if (ways > fig->entrypoints)
		tm_out_printf(o, " (%zu way%s in from %s)", PL(ways), fig->entrypoints == 1 ? "it" : "them");
	tm_out_printf(o, ", %zu identit%s, %zu endpoint%s, from %zu input%s (%zu document%s).\n\n", fig->identities,
		      fig->identities == 1 ? "y" : "ies", PL(fig->endpoints), PL(tm_scan_input_count(ctx->scan)),
		      PL(fig->documents));
	size_t bad = tm_report__files_in_error(tm_scan_diags(ctx->scan));
	if (bad)
		tm_out_printf(o, "**Incomplete:** %zu input file%s did not render or parse (Diagnostics, at the end): what "
				 "%s would define is missing from this model, and a Service or route that points at it "
				 "finds nothing.\n\n",
			      PL(bad), bad == 1 ? "it" : "they");
	size_t remote = tm_report__not_fetched(tm_scan_diags(ctx->scan));
	if (remote)
		tm_out_printf(o, "**Incomplete:** %zu deployment%s the inputs name %s not among them (charts of Helm "
				 "repositories, remote resources, other repositories' paths: Diagnostics and Unresolved "
				 "assumptions say which): what %s deploy%s is missing from this model.\n\n",
			      PL(remote), remote == 1 ? "is" : "are", remote == 1 ? "it" : "they", remote == 1 ? "s" : "");
#undef PL
	section_diagram(ctx, o, m);

	tm_out_puts(o, "### Trust boundaries\n\n");
	if (!tm_model_boundary_count(m))
		tm_out_puts(o, "None found.\n");
	boundary_tree(o, m, NULL, 0);

	section_entrypoints(o, m, ctx->exposure, bad || remote);
	section_services(ctx, o, m);
	section_calls(o, m);
	section_policies(o, m);
	section_endpoints(ctx, o, m);
	section_identities(o, m);
	section_secrets(o, m);
	section_blast(ctx->blast, o);
	section_assets(o, m);
}

#define MAX_FINDING_ROWS 60
#define MAX_ACTIONS 25

static void path_of(tm_out *o, const tm_finding *f)
{
	for (size_t k = 0; f->path && f->path[k]; k++) {
		tm_out_puts(o, k ? " → " : "");
		tm_esc_md_code(o, f->path[k]);
	}
}

#define MAX_AFFECTED 10

/* The elements of each folded finding in the table: the first MAX_AFFECTED with their evidence. */
static void section_folded(const tm_findings *fs, tm_out *o)
{
	size_t shown = 0;
	for (size_t i = 0; i < tm_findings_count(fs) && i < MAX_FINDING_ROWS; i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		if (!f->naffected)
			continue;
		if (!shown++)
			tm_out_puts(o, "### Repeated facts\n\nOne finding per rule and shared cause; the elements it holds on:\n\n");
		tm_out_printf(o, "- #%zu `%s` ", i + 1, f->rule->id);
		tm_esc_md(o, f->title);
		tm_out_puts(o, ":");
		for (size_t k = 0; k < f->naffected && k < MAX_AFFECTED; k++) {
			tm_out_puts(o, k ? ", " : " ");
			tm_esc_md_code(o, f->affected[k].node);
			tm_out_puts(o, " (");
			evidence(o, f->affected[k].evidence);
			tm_out_puts(o, ")");
		}
		if (f->naffected > MAX_AFFECTED)
			tm_out_printf(o, ", +%zu more", f->naffected - MAX_AFFECTED);
		tm_out_puts(o, "\n");
	}
	if (shown)
		tm_out_puts(o, "\n");
}

/* The variants holding a finding: "all", or their names (the first three and +N); "(details
 * differ by variant)" when another's title or severity differs from the one shown. */
static void variants_cell(tm_out *o, const tm_variants *v, const tm_finding *f)
{
	const char *differ = tm_report__variants_differ(v, f->fingerprint) ? " (details differ by variant)" : "";
	if (tm_report__variants_all(v, f->fingerprint)) {
		tm_out_printf(o, "all%s", differ);
		return;
	}
	const char *const *l = tm_report__variants_of(v, f->fingerprint);
	size_t n = 0;
	for (; l && l[n]; n++) {
		if (n == 3) {
			size_t more = 0;
			while (l[n + more])
				more++;
			tm_out_printf(o, ", +%zu", more);
			break;
		}
		if (n)
			tm_out_puts(o, ", ");
		tm_esc_md_code(o, l[n]);
	}
	tm_out_puts(o, differ);
}

/* Several systems: what each variant is and holds, and the findings only the others have. */
static void section_systems(const tm_wctx *ctx, tm_out *o)
{
	if (!ctx->variants)
		return;
	tm_out_printf(o, "## Systems\n\nThe inputs hold %zu deployment variants of the system (directories of manifests "
			 "defining the same objects, kustomization roots, charts); each is analysed as a system of its own "
			 "with the files they share. This report shows the first, the variant defining the most objects; "
			 "a finding in several variants is listed once, with the variants it is in (`trustmap scan "
			 "--system NAME` reports one variant; the JSON report carries every system, with its "
			 "diagnostics).\n\n",
		      ctx->nsystems);
	static const tm_table_col cols[] = {{"variant", NULL}, {"services", NULL}, {"open findings", NULL},
					    {"open only in it", NULL}, {"errors", NULL}};
	tm_table t;
	MD_TABLE(&t, o, cols);
	for (size_t i = 0; i < ctx->nsystems; i++) {
		const tm_findings *fs = tm_analysis_findings(ctx->systems[i]);
		size_t open = 0;
		for (size_t k = 0; k < tm_findings_count(fs); k++)
			open += tm_findings_at(fs, k)->status == TM_STATUS_OPEN;
		tm_table_code(&t, tm_report__variant_name(ctx->variants, i));
		tm_table_int(&t, (int64_t)tm_analysis_figures(ctx->systems[i])->services);
		tm_table_int(&t, (int64_t)open);
		tm_table_int(&t, (int64_t)tm_report__variants_only(ctx->variants, i));
		/* a variant's own errors (an overlay that does not build) are on stderr and in the JSON
		 * report's systems: counted here, so the report never says less than the run did */
		tm_table_int(&t, (int64_t)tm_diag_count(tm_analysis_diags(ctx->systems[i]), TM_LEVEL_ERROR));
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
	tm_out_puts(o, "\n");
}

/* Findings of the other variants that the primary does not hold. */
static void section_other_variants(const tm_wctx *ctx, tm_out *o)
{
	const tm_report__extra *x;
	size_t n = tm_report__variants_extra(ctx->variants, &x);
	if (!n)
		return;
	tm_out_printf(o, "### Findings in other variants only\n\n%zu findings the variant above does not have:\n\n", n);
	static const tm_table_col cols[] = {{"severity", NULL}, {"rule", NULL}, {"finding", NULL}, {"variants", NULL},
					    {"status", NULL}, {"evidence", NULL}};
	tm_table t;
	MD_TABLE(&t, o, cols);
	for (size_t i = 0; i < n && i < MAX_FINDING_ROWS; i++) {
		const tm_finding *f = x[i].f;
		tm_table_raw(&t, tm_severity_name(f->severity));
		tm_table_code(&t, f->rule->id);
		tm_table_text(&t, f->title ? f->title : "");
		variants_cell(tm_table_cell(&t), ctx->variants, f);
		status_cell(tm_table_cell(&t), f);
		evidence(tm_table_cell(&t), f->nevidence ? f->evidence[0] : no_loc);
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
	if (n > MAX_FINDING_ROWS)
		tm_out_printf(o, "\n%zu more in the JSON report.\n", n - MAX_FINDING_ROWS);
	tm_out_puts(o, "\n");
}

static void section_wrong(const tm_wctx *ctx, const tm_findings *fs, tm_out *o)
{
	tm_out_puts(o, "## 2. What can go wrong?\n\n");
	size_t n = tm_findings_count(fs);
	tm_severity below;
	size_t hidden = tm_findings_hidden(fs, &below);
	if (hidden)
		tm_out_printf(o, "%zu findings below %s are not shown (`--min-severity %s`); the register records them.\n\n",
			      hidden, tm_severity_name(below), tm_severity_name(below));
	if (!n) {
		tm_out_puts(o, hidden ? "No findings at or above that severity.\n\n"
			    : fs	  ? "No findings: no rule of the library applies to what the inputs say.\n\n"
				  : "Rules were not run.\n\n");
		return;
	}
	size_t by[5] = {0};
	for (size_t i = 0; i < n; i++)
		by[tm_findings_at(fs, i)->severity]++;
	tm_out_printf(o, "%zu findings: %zu critical, %zu high, %zu medium, %zu low, %zu info. Ranked by priority "
			 "(severity, exposure, what stands in the way).\n\n",
		      n, by[4], by[3], by[2], by[1], by[0]);
	/* abuse paths: findings that cross more than one element */
	size_t shown = 0;
	for (size_t i = 0; i < n && shown < 5; i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		size_t len = 0;
		while (f->path && f->path[len])
			len++;
		if (len < 3 || f->severity < TM_SEV_HIGH || f->naffected)
			continue; /* a fold's path lists its members, not a path an attacker walks */
		if (!shown++)
			tm_out_puts(o, "### Top abuse paths\n\n");
		tm_out_printf(o, "%zu. ", shown);
		path_of(o, f);
		tm_out_puts(o, " — ");
		tm_esc_md(o, f->title);
		tm_out_printf(o, " (%s)\n", f->rule->id);
	}
	if (shown)
		tm_out_puts(o, "\n");
	static const tm_table_col cols[] = {{"#", NULL},       {"severity", NULL}, {"rule", NULL},
					    {"finding", NULL}, {"status", NULL},   {"evidence", NULL}};
	static const tm_table_col vcols[] = {{"#", NULL},       {"severity", NULL}, {"rule", NULL}, {"finding", NULL},
					     {"variants", NULL}, {"status", NULL},   {"evidence", NULL}};
	tm_table t;
	tm_out_puts(o, "### Findings\n\n");
	if (ctx->variants)
		MD_TABLE(&t, o, vcols);
	else
		MD_TABLE(&t, o, cols);
	for (size_t i = 0; i < n && i < MAX_FINDING_ROWS; i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		tm_table_int(&t, (int64_t)(i + 1));
		tm_table_raw(&t, tm_severity_name(f->severity));
		tm_table_code(&t, f->rule->id);
		tm_table_text(&t, f->title ? f->title : "");
		if (ctx->variants)
			variants_cell(tm_table_cell(&t), ctx->variants, f);
		status_cell(tm_table_cell(&t), f);
		evidence(tm_table_cell(&t), f->nevidence ? f->evidence[0] : no_loc);
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
	if (n > MAX_FINDING_ROWS)
		tm_out_printf(o, "\n%zu more findings in the JSON report.\n", n - MAX_FINDING_ROWS);
	tm_out_puts(o, "\n");
	section_other_variants(ctx, o);
	section_folded(fs, o);
}

/* The distinct keys of the model's nodes (key: a node's key, NULL to pass it by), the first 8 printed
 * as code when print. Node ids sort the nodes of one key together: each is compared with the previous
 * key only. */
static size_t distinct_keys(const tm_model *m, tm_out *o, bool print, const char *(*key)(const tm_node *))
{
	size_t n = 0;
	const char *prev = NULL;
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const char *k = key(tm_model_node(m, i));
		if (!k || (prev && strcmp(prev, k) == 0))
			continue;
		if (print && n < 8) {
			tm_out_puts(o, n ? ", " : "");
			tm_esc_md_code(o, k);
		}
		prev = k;
		n++;
	}
	if (print && n > 8)
		tm_out_printf(o, " and %zu more", n - 8);
	return n;
}

/* A Kubernetes workload's namespace when no admission control was seen for it (k8s_admission.c sets
 * "admission" on the workloads of every namespace a control covers). */
static const char *unguarded_namespace(const tm_node *w)
{
	const char *kind = tm_node_attr_str(w, "workload"), *ns = tm_node_attr_str(w, "namespace");
	if (tm_node_kind_of(w) != TM_NODE_SERVICE || !kind || !ns || strcmp(kind, "compose-service") == 0 ||
	    tm_node_attr_str(w, "admission"))
		return NULL;
	return ns;
}

/* An operation's service when the operation states no authentication at all (a .proto never does; a
 * spec that declares schemes and requires none): what stands in front of it is not in the files. */
static const char *unstated_authn(const tm_node *ep)
{
	const char *svc = tm_node_attr_str(ep, "service"), *authn = tm_node_attr_str(ep, "authn");
	const tm_attr *anon = tm_node_attr_get(ep, "anonymous");
	if (tm_node_kind_of(ep) != TM_NODE_ENDPOINT || !svc || !authn || strcmp(authn, "unknown") != 0 ||
	    (anon && anon->num))
		return NULL;
	return svc;
}

/* Before the k-th of the shown first items of a list of total: nothing, ", ", or " and " before the last
 * when it is the last of all; after the shown ones, " and N more". */
static void list_sep(tm_out *o, size_t k, size_t shown, size_t total)
{
	tm_out_puts(o, k == 0 ? "" : k + 1 == shown && shown == total ? " and " : ", ");
}

static void list_more(tm_out *o, size_t shown, size_t total)
{
	if (total > shown)
		tm_out_printf(o, " and %zu more", total - shown);
}

/* The elements a folded finding holds, as code: the first three, then how many more. A fold's subject
 * is its cause ("system" for a whole system's), which no question can name. */
static void members(tm_out *o, const tm_finding *f)
{
	size_t shown = f->naffected < 3 ? f->naffected : 3;
	for (size_t k = 0; k < shown; k++) {
		list_sep(o, k, shown, f->naffected);
		tm_esc_md_code(o, f->affected[k].node);
	}
	list_more(o, shown, f->naffected);
}

/* What the rules could not decide from the files, as questions for the reviewers: of one element, or
 * of the elements of a folded finding (the plural question). */
static void section_questions(const tm_findings *fs, const tm_model *m, tm_out *o)
{
	static const struct {
		const char *rule, *question, *plural;
	} asks[] = {
		{"TM-API-002", "Does %s check that the object belongs to the caller? Where?",
		 "Do %s check that the object belongs to the caller? Where?"},
		{"TM-MESH-003", "What does %s accept from its internet-facing caller, and is it validated again?",
		 "What do %s accept from their internet-facing callers, and is it validated again?"},
		{"TM-API-009", "Which hosts may %s fetch, and is the address checked after DNS resolution?",
		 "Which hosts may %s fetch, and is the address checked after DNS resolution?"},
		{"TM-ASYNC-003", "Who may publish the event behind %s, and does the consumer re-check authorization?",
		 "Who may publish the events behind %s, and do the consumers re-check authorization?"},
		{"TM-MESH-001", "Does %s check the caller itself, or trust the gateway?",
		 "Do %s check the caller themselves, or trust the gateway?"},
		{"TM-BIZ-005", "Where does %s enforce the invariant trustmap.yaml states for it?",
		 "Where do %s enforce the invariants trustmap.yaml states for them?"},
	};
	size_t shown = 0;
	for (size_t i = 0; i < tm_findings_count(fs) && shown < 15; i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		for (size_t k = 0; k < TM_ARRAY_LEN(asks); k++) {
			if (strcmp(f->rule->id, asks[k].rule) != 0)
				continue;
			if (!shown++)
				tm_out_puts(o, "### Questions the files cannot answer\n\n");
			bool many = f->naffected > 1;
			const char *q = many ? asks[k].plural : asks[k].question;
			const char *pct = strstr(q, "%s");
			tm_out_printf(o, "- %.*s", (int)(pct - q), q);
			if (many)
				members(o, f);
			else
				tm_esc_md_code(o, f->naffected ? f->affected[0].node : f->subject);
			tm_esc_md(o, pct + 2);
			tm_out_printf(o, " (%s)\n", f->rule->id);
		}
	}
	size_t bare = m ? distinct_keys(m, o, false, unguarded_namespace) : 0;
	if (bare) {
		if (!shown++)
			tm_out_puts(o, "### Questions the files cannot answer\n\n");
		tm_out_printf(o, "- What would stop an unsafe deployment in namespace%s ", bare == 1 ? "" : "s");
		distinct_keys(m, o, true, unguarded_namespace);
		tm_out_printf(o, "? No admission control was seen for %s (Pod Security Admission labels, Kyverno or "
				 "Gatekeeper policies, ValidatingAdmissionPolicy): a privileged or root pod would be admitted "
				 "as written (admission)\n", bare == 1 ? "it" : "them");
	}
	size_t unstated = m ? distinct_keys(m, o, false, unstated_authn) : 0;
	if (unstated) {
		if (!shown++)
			tm_out_puts(o, "### Questions the files cannot answer\n\n");
		tm_out_puts(o, "- How do callers authenticate to ");
		distinct_keys(m, o, true, unstated_authn);
		tm_out_printf(o, "? %s operations state no authentication (a .proto never does; a spec may declare "
				 "schemes it never requires): the check, if any, is in code, a gateway or a mesh policy the "
				 "files do not show, so TM-API-001 (no credentials needed) cannot judge %s (authentication)\n",
			      unstated == 1 ? "Its" : "Their", unstated == 1 ? "it" : "them");
	}
	if (shown)
		tm_out_puts(o, "\n");
}

/* Controls the actions select, by kind. */
static void section_controls(const tm_findings *fs, tm_out *o)
{
	size_t n = tm_findings_count(fs);
	if (!n)
		return;
	static const tm_table_col cols[] = {{"kind", NULL}, {"for", NULL}, {"rules", NULL}};
	tm_table t;
	tm_out_puts(o, "### Selected controls\n\n");
	MD_TABLE(&t, o, cols);
	for (int a = TM_ACTION_DESIGN_CHANGE; a <= TM_ACTION_ACCEPTED_RISK; a++) {
		size_t count = 0;
		tm_strbuf rules = TM_STRBUF_INIT;
		for (size_t i = 0; i < n; i++) {
			const tm_finding *f = tm_findings_at(fs, i);
			if ((int)tm_finding_action(f) != a || f->status != TM_STATUS_OPEN)
				continue;
			count++;
			if (!rules.data || !strstr(rules.data, f->rule->id))
				tm_strbuf_printf(&rules, "%s%s", rules.len ? ", " : "", f->rule->id);
		}
		if (count) {
			tm_table_raw(&t, tm_action_name((tm_action_type)a));
			tm_table_numf(&t, "%zu finding%s", count, count == 1 ? "" : "s");
			tm_table_raw(&t, rules.data); /* rule ids, ours */
			tm_table_end_row(&t);
		}
		tm_strbuf_dispose(&rules);
	}
	tm_table_end(&t);
	tm_out_puts(o, "\nEvery finding's detection requirement (the events to log and alert on) is in the JSON report.\n\n");
}

/* One line of a fenced code block: backticks as ' (the fence stays the longest run), control and bidi
 * characters visible (a backslash is literal in a block), tab and CR a space like in a code span. */
static void block_cp(tm_out *o, uint32_t cp, const unsigned char *p, size_t n)
{
	if (cp == '`')
		tm_out_puts(o, "'");
	else if (cp == '\t' || cp == '\r')
		tm_out_puts(o, " ");
	else if (tm_esc_is_control(cp) || tm_esc_is_bidi(cp))
		tm_esc_visible_control(o, cp);
	else
		tm_out_put(o, (const char *)p, n);
}

/* One change and what it closes: the open findings sharing an action text. */
struct fix {
	const char *action;
	const tm_finding *first; /* highest priority (findings come sorted) */
	size_t count, by[5], score; /* score: each element weighed by severity (low 1 .. critical 8) */
	const char *rules[4];
	size_t nrules;
};

static int fix_cmp(const void *pa, const void *pb)
{
	const struct fix *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->first->priority != b->first->priority)
		return a->first->priority > b->first->priority ? -1 : 1;
	return strcmp(a->action, b->action);
}

/* Fix first: the changes that close the most open findings (one pass, a map by action text). */
static void fix_first(const tm_findings *fs, tm_out *o)
{
	size_t n = tm_findings_count(fs), nfix = 0;
	struct fix *fixes = tm_calloc(n + 1, sizeof(*fixes));
	tm_hmap by = TM_HMAP_INIT;
	bool oom = !fixes;
	for (size_t i = 0; i < n && !oom; i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		if (f->status != TM_STATUS_OPEN || !f->action)
			continue;
		uintptr_t k = (uintptr_t)tm_hmap_get(&by, f->action, strlen(f->action));
		if (!k) {
			memset(&fixes[nfix], 0, sizeof(fixes[nfix]));
			fixes[nfix].action = f->action;
			fixes[nfix].first = f;
			k = ++nfix;
			oom = tm_hmap_put(&by, f->action, strlen(f->action), (void *)k) != 0;
		}
		struct fix *x = &fixes[k - 1];
		/* a folded finding closes each member, at the member's own severity */
		static const size_t sev_weight[] = {0, 1, 4, 16, 64}; /* a step of severity outweighs four of the one below */
		for (size_t a = 0; a < (f->naffected ? f->naffected : 1); a++) {
			tm_severity sev = f->naffected ? f->affected[a].severity : f->severity;
			x->count++;
			x->by[sev]++;
			x->score += sev_weight[sev];
		}
		bool seen = false;
		for (size_t r = 0; r < x->nrules; r++)
			seen |= strcmp(x->rules[r], f->rule->id) == 0;
		if (!seen && x->nrules < TM_ARRAY_LEN(x->rules))
			x->rules[x->nrules++] = f->rule->id;
	}
	tm_hmap_dispose(&by);
	size_t shared = 0; /* changes that close more than one element: none, no section */
	for (size_t i = 0; !oom && i < nfix; i++)
		shared += fixes[i].count >= 2;
	if (!oom && nfix > 1 && shared) {
		qsort(fixes, nfix, sizeof(*fixes), fix_cmp);
		tm_out_puts(o, "### Fix first\n\nThe changes that close the most open findings, weighed by severity (a folded "
			       "finding counts each element):\n\n");
		/* a change that closes one element is that finding's own action, listed below: skipped here,
		 * wherever its severity ranks it */
		for (size_t i = 0, shown = 0; i < nfix && shown < 5; i++) {
			const struct fix *x = &fixes[i];
			if (x->count < 2)
				continue;
			tm_out_printf(o, "%zu. ", ++shown);
			tm_esc_md_rich(o, x->action);
			tm_out_printf(o, " — closes %zu (%zu critical, %zu high, %zu medium, %zu low):", x->count, x->by[4], x->by[3],
				      x->by[2], x->by[1]);
			for (size_t r = 0; r < x->nrules; r++)
				tm_out_printf(o, "%s `%s`", r ? "," : "", x->rules[r]);
			tm_out_puts(o, "; first: ");
			tm_esc_md(o, x->first->title);
			tm_out_puts(o, "\n");
		}
		tm_out_puts(o, "\n### Each finding's action\n\n");
	}
	tm_free(fixes);
}

static void section_do(const tm_model *m, const tm_findings *fs, tm_out *o)
{
	tm_out_puts(o, "## 3. What are we going to do about it?\n\n");
	fix_first(fs, o);
	size_t n = tm_findings_count(fs), shown = 0;
	for (size_t i = 0; i < n && shown < MAX_ACTIONS; i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		if (f->status != TM_STATUS_OPEN || f->severity < TM_SEV_MEDIUM)
			continue;
		shown++;
		tm_out_printf(o, "%zu. **%s** (%s, ", shown, tm_action_name(tm_finding_action(f)), f->rule->id);
		tm_esc_md(o, f->owner ? f->owner : "no owner known");
		tm_out_puts(o, "): ");
		tm_esc_md_rich(o, f->action);
		tm_out_puts(o, " — for: ");
		tm_esc_md(o, f->title);
		tm_out_puts(o, "\n");
		tm_out_puts(o, "   - detect: ");
		tm_esc_md_rich(o, f->detect && f->detect[0] ? f->detect[0] : "-");
		tm_out_puts(o, "\n");
		if (f->snippet) {
			tm_out_puts(o, "   <details><summary>guardrail</summary>\n\n");
			/* a fenced block cannot be broken out of when the fence is longer than any backtick run */
			tm_out_puts(o, "   ````yaml\n");
			const char *p = f->snippet;
			tm_strbuf line = TM_STRBUF_INIT;
			while (*p) {
				const char *nl = strchr(p, '\n');
				size_t len = nl ? (size_t)(nl - p) : strlen(p);
				tm_strbuf_reset(&line);
				tm_strbuf_put(&line, p, len);
				tm_out_puts(o, "   ");
				tm_esc_utf8_cp(o, line.data ? line.data : "", block_cp, TM_ESC_FFFD);
				tm_out_puts(o, "\n");
				p += len + (nl ? 1 : 0);
			}
			if (line.oom && !o->err)
				o->err = TM_ENOMEM; /* a line would be missing: fail like the writer's own buffer */
			tm_strbuf_dispose(&line);
			tm_out_puts(o, "   ````\n\n   </details>\n");
		}
	}
	if (!shown)
		tm_out_puts(o, "No open finding at medium or above: nothing to act on now.\n");
	else if (n > shown)
		tm_out_puts(o, "\nThe JSON report holds every finding's action and detection requirement.\n");
	tm_out_puts(o, "\n");
	section_controls(fs, o);
	section_decisions(fs, m, o);
}

#define MAX_UNKNOWN_SERVICES 10

const tm_node *tm_report__unknown_service(const tm_model *m, size_t *i)
{
	while (*i < tm_model_node_count(m)) {
		const tm_node *n = tm_model_node(m, (*i)++);
		const tm_attr *a = tm_node_attr_get(n, "observed_only");
		if (tm_node_kind_of(n) == TM_NODE_SERVICE && a && a->type == TM_ATTR_BOOL && a->num)
			return n;
	}
	return NULL;
}

/* The services runtime maps saw that the model does not know, the first few. */
static void unknown_services(tm_out *o, const tm_model *m, size_t total)
{
	size_t shown = 0, i = 0;
	for (const tm_node *n; shown < MAX_UNKNOWN_SERVICES && (n = tm_report__unknown_service(m, &i));) {
		tm_out_puts(o, shown++ ? ", " : " (");
		tm_esc_md_code(o, tm_node_id(n));
	}
	if (shown && total > shown)
		tm_out_printf(o, " and %zu more", total - shown);
	if (shown)
		tm_out_puts(o, ")");
}

/* Coverage of the live architecture (the analysis' runtime figures): only when a runtime export
 * was read, so the artifact of a system without one keeps its shape. */
static void coverage_runtime(tm_out *o, const tm_model *m, const tm_figures *fig)
{
	if (!fig->runtime_files)
		return;
	tm_out_printf(o, "- Runtime exports read: %zu file%s\n", fig->runtime_files, fig->runtime_files == 1 ? "" : "s");
	tm_out_printf(o, "- Services observed at runtime: %zu the model declares, %zu it does not know",
		      fig->observed_services_known, fig->observed_services_unknown);
	unknown_services(o, m, fig->observed_services_unknown);
	tm_out_printf(o, "\n- Calls observed: %zu, of which the model declares %zu\n", fig->observed_calls,
		      fig->observed_calls_declared);
	if (fig->observed_requests)
		tm_out_printf(o, "- Requests observed: %llu, %.0f%% on calls the model declares\n",
			      (unsigned long long)fig->observed_requests,
			      (double)fig->observed_requests_declared * 100.0 / (double)fig->observed_requests);
	else
		tm_out_puts(o, "- Requests observed: none counted by the exports\n");
}

#define MAX_UNMODELLED_KINDS 10

static int kind_count_cmp(const void *pa, const void *pb)
{
	const tm_kind_count *a = pa, *b = pb;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->kind, b->kind);
}

/* The objects the inputs hold and no ingester models, by kind over every input, most first: what
 * the model may miss (a mesh's or a CNI's own policy kinds, an EnvoyFilter) said, not hidden. */
static void unmodelled_kinds(tm_out *o, const tm_scan *s)
{
	size_t n = 0, total = 0;
	for (size_t i = 0; i < tm_scan_input_count(s); i++)
		n += tm_scan_input(s, i)->nunmodelled;
	if (!n)
		return;
	tm_kind_count *all = tm_calloc(n, sizeof(*all));
	tm_hmap at = TM_HMAP_INIT; /* kind -> its place in all, plus one */
	size_t k = 0;
	for (size_t i = 0; all && i < tm_scan_input_count(s); i++) {
		const tm_input *in = tm_scan_input(s, i);
		for (size_t j = 0; j < in->nunmodelled; j++) {
			const char *kind = in->unmodelled[j].kind;
			size_t place = (size_t)(uintptr_t)tm_hmap_get(&at, kind, strlen(kind));
			if (!place && tm_hmap_put(&at, kind, strlen(kind), (void *)(uintptr_t)(place = ++k))) {
				k--;
				continue; /* out of memory: the kinds that fit */
			}
			all[place - 1].kind = kind;
			all[place - 1].count += in->unmodelled[j].count;
			total += in->unmodelled[j].count;
		}
	}
	tm_hmap_dispose(&at);
	if (all && k) {
		qsort(all, k, sizeof(*all), kind_count_cmp);
		tm_out_printf(o, "- Objects not modelled: %zu, of %zu kind%s: ", total, k, k == 1 ? "" : "s");
		for (size_t i = 0; i < k && i < MAX_UNMODELLED_KINDS; i++) {
			tm_out_puts(o, i ? ", " : "");
			tm_esc_md_code(o, all[i].kind);
			tm_out_printf(o, " %zu", all[i].count);
		}
		if (k > MAX_UNMODELLED_KINDS)
			tm_out_printf(o, " and %zu more kinds", k - MAX_UNMODELLED_KINDS);
		tm_out_puts(o, " (`inputs[].not_modelled` in the JSON report lists them by file)\n");
	}
	tm_free(all);
}

static void section_coverage(const tm_wctx *ctx, tm_out *o, const tm_figures *fig)
{
	const tm_scan *s = ctx->scan;
	const tm_diag_list *d = tm_scan_diags(s);
	tm_out_puts(o, "### Coverage\n\n");
	tm_out_printf(o, "- Inputs modelled: %zu file%s, %zu document%s\n", tm_scan_input_count(s),
		      tm_scan_input_count(s) == 1 ? "" : "s", fig->documents, fig->documents == 1 ? "" : "s");
	unmodelled_kinds(o, s);
	tm_out_printf(o, "- Files skipped: %zu (listed below); other files not examined: %zu\n",
		      tm_scan_skip_count(s), tm_scan_ignored_count(s));
	tm_out_printf(o, "- Diagnostics: %zu errors, %zu warnings, %zu notes\n",
		      tm_diag_count(d, TM_LEVEL_ERROR),
		      tm_diag_count(d, TM_LEVEL_WARNING) - tm_diag_count(d, TM_LEVEL_ERROR),
		      d->count - tm_diag_count(d, TM_LEVEL_WARNING));
	if (fig->endpoints)
		tm_out_printf(o, "- Endpoints with known authorization: %.0f%%\n",
			      fig->endpoints_with_known_authz * 100.0);
	else
		tm_out_puts(o, "- Endpoints with known authorization: n/a (no API endpoints modelled)\n");
	tm_out_printf(o, "- Services with an owner: %.0f%%\n", fig->services_with_owner * 100.0);
	if (fig->services)
		tm_out_printf(o, "- Workloads a NetworkPolicy isolates: %.0f%%\n", fig->workloads_with_policy * 100.0);
	else
		tm_out_puts(o, "- Workloads a NetworkPolicy isolates: n/a (no services modelled)\n");
	coverage_runtime(o, tm_scan_model(s), fig);
	tm_out_puts(o, "\n");
}

/* A list item: the text, then where it comes from. */
static void noted(tm_out *o, const char *text, tm_loc loc)
{
	tm_out_puts(o, "- ");
	tm_esc_md(o, text);
	tm_out_puts(o, " (");
	evidence(o, loc);
	tm_out_puts(o, ")\n");
}

static void section_stated(tm_out *o, const tm_model *m)
{
	if (!tm_model_assumption_count(m))
		return;
	tm_out_puts(o, "### Stated assumptions (trustmap.yaml)\n\n");
	for (size_t i = 0; i < tm_model_assumption_count(m); i++)
		noted(o, tm_model_assumption(m, i)->text, tm_model_assumption(m, i)->loc);
	tm_out_puts(o, "\n");
}

/* One unresolved assumption: what is assumed (ours, then the text from the inputs) and the node it is
 * assumed of, or the place a note was made. */
struct held {
	const char *lead, *text;
	const tm_node *n;
	tm_loc loc;
	size_t next; /* the next item of its group + 1, 0: none */
};

static int hold(struct held **items, size_t *n, size_t *cap, const char *lead, const char *text, const tm_node *node,
		tm_loc loc)
{
	if (TM_GROW(*items, *cap, *n + 1))
		return TM_ENOMEM;
	(*items)[(*n)++] = (struct held){lead, text, node, loc, 0};
	return 0;
}

/* One node's unresolved assumptions. */
static int node_assumptions(struct held **items, size_t *n, size_t *cap, const tm_node *node)
{
	static const tm_loc none = {0};
	const char *assumed = tm_node_attr_str(node, "assumed");
	int rc = assumed ? hold(items, n, cap, "assumed ", assumed, node, none) : 0;
	const char *unresolved = tm_node_attr_str(node, "unresolved");
	if (!rc && unresolved)
		rc = hold(items, n, cap, "", unresolved, node, none);
	const tm_attr *unlinked = tm_node_attr_get(node, "unlinked");
	/* a .proto's assumption names its own way to link (option (trustmap.service)) already */
	const tm_attr *specs = tm_node_attr_get(node, "api_specs");
	const char *spec = specs && specs->type == TM_ATTR_LIST && specs->list_len ? specs->list[0] : NULL;
	bool proto = spec && strlen(spec) > 6 && strcmp(spec + strlen(spec) - 6, ".proto") == 0;
	if (!rc && unlinked && unlinked->num && !(proto && assumed))
		rc = hold(items, n, cap,
			  tm_node_attr_str(node, "exposure_assumed")
				  ? "its API spec matches no workload in the inputs; it is analysed under the assumption above "
				    "(add `x-trustmap-service` to link it)"
				  : "its API or event spec matches no workload in the inputs, so where it runs and who can "
				    "reach it are unknown (add `x-trustmap-service`)",
			  NULL, node, none);
	/* a gateway's other assumption (its namespace) is no answer to where it is reached from; an
	 * ambient waypoint is reached from inside the mesh only */
	if (!rc && tm_node_kind_of(node) == TM_NODE_GATEWAY && !(assumed && strstr(assumed, "internet")) &&
	    !tm_node_attr_get(node, "hosted_by") && !tm_node_attr_get(node, "waypoint") &&
	    !tm_node_attr_get(node, "exposure_decided"))
		rc = hold(items, n, cap, "assumed reachable from the internet (its controller's exposure is not in the inputs)",
			  NULL, node, none);
	return rc;
}

/* The first item of a group and the ones after it: "- `a`, `b` and 3 more: text" for nodes, "- text
 * (place, place and 3 more)" for notes; eight named at most. */
static void print_group(tm_out *o, const struct held *items, size_t first)
{
	const struct held *h = &items[first];
	size_t count = 0;
	for (size_t i = first + 1; i; i = items[i - 1].next)
		count++;
	size_t named = count < 8 ? count : 8, k = 0;
	tm_out_puts(o, "- ");
	if (!h->n) {
		tm_esc_md(o, h->lead);
		tm_out_puts(o, " (");
	}
	for (size_t i = first + 1; i && k < named; i = items[i - 1].next, k++) {
		list_sep(o, k, named, count);
		if (h->n)
			tm_esc_md_code(o, tm_node_id(items[i - 1].n));
		else
			evidence(o, items[i - 1].loc);
	}
	list_more(o, named, count);
	if (!h->n) {
		tm_out_puts(o, ")\n");
		return;
	}
	tm_out_puts(o, ": ");
	tm_out_puts(o, h->lead); /* ours, markdown */
	if (h->text)
		tm_esc_md(o, h->text);
	tm_out_puts(o, "\n");
}

/* Every unresolved assumption, each said once: the nodes (or the places) it holds for listed after it.
 * Linear: one map from the assumption's text to its group. */
static void section_unresolved(tm_out *o, const tm_model *m, const tm_diag_list *d)
{
	tm_out_puts(o, "### Unresolved assumptions\n\n");
	struct held *items = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	for (size_t i = 0; i < tm_model_node_count(m) && !rc; i++)
		rc = node_assumptions(&items, &n, &cap, tm_model_node(m, i));
	for (size_t i = 0; i < d->count && !rc; i++)
		if (d->items[i].level == TM_LEVEL_NOTE && (d->items[i].code == 0 || d->items[i].code == TM_EREMOTE) &&
		    d->items[i].loc.line)
			rc = hold(&items, &n, &cap, d->items[i].msg ? d->items[i].msg : "", NULL, NULL, d->items[i].loc);
	tm_arena *a = tm_arena_new();
	size_t *last = tm_calloc(n + 1, sizeof(size_t)); /* per group's first item: its last item + 1 */
	bool *head = tm_calloc(n + 1, sizeof(bool));
	tm_hmap groups = TM_HMAP_INIT;
	for (size_t i = 0; i < n && !rc && a && last && head; i++) {
		const char *key = tm_arena_printf(a, "%s\x1f%s\x1f%d", items[i].lead, items[i].text ? items[i].text : "",
						  items[i].n != NULL);
		if (!key) {
			rc = TM_ENOMEM;
			break;
		}
		size_t g = (size_t)(uintptr_t)tm_hmap_get(&groups, key, strlen(key));
		if (!g) {
			head[i] = true;
			last[i] = i + 1;
			rc = tm_hmap_put(&groups, key, strlen(key), (void *)(uintptr_t)(i + 1));
		} else {
			items[last[g - 1] - 1].next = i + 1;
			last[g - 1] = i + 1;
		}
	}
	if (!a || !last || !head)
		rc = TM_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++)
		if (head[i])
			print_group(o, items, i);
	if (rc)
		tm_out_puts(o, "(out of memory: the assumptions could not be listed)\n");
	else if (!n)
		tm_out_puts(o, "None recorded.\n");
	tm_hmap_dispose(&groups);
	tm_free(head);
	tm_free(last);
	tm_arena_free(a);
	tm_free(items);
}

static void details_skipped(tm_out *o, const tm_scan *s)
{
	if (!tm_scan_skip_count(s))
		return;
	static const tm_table_col cols[] = {{"file", NULL}, {"reason", NULL}};
	tm_table t;
	tm_out_puts(o, "\n<details><summary>Skipped files</summary>\n\n");
	MD_TABLE(&t, o, cols);
	for (size_t i = 0; i < tm_scan_skip_count(s); i++) {
		const tm_skip *k = tm_scan_skip(s, i);
		tm_table_code(&t, k->path ? k->path : "");
		tm_table_text(&t, k->reason ? k->reason : "");
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
	tm_out_puts(o, "\n</details>\n");
}

static void details_diagnostics(tm_out *o, const tm_diag_list *d)
{
	if (!tm_diag_count(d, TM_LEVEL_WARNING))
		return;
	static const tm_table_col cols[] = {{"where", NULL}, {"severity", NULL}, {"message", NULL}};
	tm_table t;
	tm_out_puts(o, "\n<details><summary>Diagnostics</summary>\n\n");
	MD_TABLE(&t, o, cols);
	for (size_t i = 0; i < d->count; i++) {
		if (d->items[i].level < TM_LEVEL_WARNING)
			continue;
		evidence(tm_table_cell(&t), d->items[i].loc);
		tm_table_raw(&t, tm_level_name(d->items[i].level));
		tm_table_text(&t, d->items[i].msg ? d->items[i].msg : "");
		tm_table_end_row(&t);
	}
	tm_table_end(&t);
	tm_out_puts(o, "\n</details>\n");
}

static void section_enough(const tm_wctx *ctx, tm_out *o, const tm_figures *fig)
{
	const tm_scan *s = ctx->scan;
	const tm_diag_list *d = tm_scan_diags(s);
	tm_out_puts(o, "## 4. Did we do a good enough job?\n\n");
	section_coverage(ctx, o, fig);
	section_questions(ctx->findings, tm_scan_model(s), o);
	section_stated(o, tm_scan_model(s));
	section_unresolved(o, tm_scan_model(s), d);

	bool compose, cluster;
	workload_kinds(tm_scan_model(s), &compose, &cluster);
	tm_out_printf(o, "\n### Re-review triggers\n\n"
			 "Review this model again when a change adds or alters any of: a public entry "
			 "point (%s); a service identity or its permissions; a trust boundary (%s, cloud account); "
			 "an async channel; a third-party integration; a deployment path; a sensitive data "
			 "flow; an authentication or authorization flow; a tenant boundary or admin capability.\n",
		      compose && !cluster ? "a port published beyond the host, a reverse proxy's route"
		      : compose	  ? "LoadBalancer or NodePort Service, Ingress rule, gateway route, a compose port published "
				    "beyond the host"
				  : "LoadBalancer or NodePort Service, Ingress rule, gateway route",
		      compose && !cluster ? "compose project, network" : compose ? "namespace, cluster, compose project" : "namespace, cluster");
	details_skipped(o, s);
	details_diagnostics(o, d);
}

int tm_report__md(const tm_wctx *ctx, tm_out *o)
{
	const tm_figures fig = *ctx->fig;
	tm_out_puts(o, "# Threat model: ");
	tm_esc_md(o, ctx->title ? ctx->title : "system");
	tm_out_puts(o, "\n\nGenerated by trustmap " TM_VERSION ".\n\n");
	section_systems(ctx, o);
	section_building(ctx, o, &fig);
	section_wrong(ctx, ctx->findings, o);
	section_do(tm_scan_model(ctx->scan), ctx->findings, o);
	section_enough(ctx, o, &fig);
	return 0;
}
