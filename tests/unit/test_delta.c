/* test_delta.c - a change review of folded findings: a workload that joins a fold, or leaves one that
 * stays, is the finding of the change, named, located and ranked by itself (tm_delta_run), and the
 * diff's writers say which member it is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/report.h"
#include "trustmap/analysis.h"
#include "trustmap/delta.h"
#include "trustmap/findings.h"
#include "trustmap/paths.h"
#include "trustmap/report.h"
#include "util/util.h"

/* One Deployment of namespace shop; privileged ones say so on line 18 of their document. */
static void deployment(tm_strbuf *sb, const char *name, bool privileged)
{
	tm_strbuf_printf(sb,
			 "apiVersion: apps/v1\n"
			 "kind: Deployment\n"
			 "metadata:\n"
			 "  name: %s\n"
			 "  namespace: shop\n"
			 "spec:\n"
			 "  selector:\n"
			 "    matchLabels: {app: %s}\n"
			 "  template:\n"
			 "    metadata:\n"
			 "      labels: {app: %s}\n"
			 "    spec:\n"
			 "      automountServiceAccountToken: true\n"
			 "      containers:\n"
			 "      - name: app\n"
			 "        image: registry.example.com/%s@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
			 "        securityContext:\n"
			 "          privileged: %s\n"
			 "          runAsNonRoot: true\n"
			 "        resources: {limits: {cpu: 100m, memory: 64Mi}}\n",
			 name, name, name, name, privileged ? "true" : "false");
}

/* The workloads a, b, c, d of namespace shop, each in its own file, the ones in priv privileged, and
 * a fifth file with extra as its text when extra is not NULL. */
static bool defer_blast; /* shop_and's analyses leave the blast radius to tm_analysis_weigh_review */

static tm_analysis *shop_and(const char *priv, const char *extra)
{
	static const char *const names[] = {"a", "b", "c", "d"};
	static char paths[4][32];
	tm_mem_file files[5];
	char *texts[4];
	for (size_t i = 0; i < 4; i++) {
		tm_strbuf sb = TM_STRBUF_INIT;
		deployment(&sb, names[i], strchr(priv, names[i][0]) != NULL);
		tm_strbuf_put(&sb, "", 0);
		texts[i] = tm_strbuf_take(&sb);
		snprintf(paths[i], sizeof(paths[i]), "k8s/%s.yaml", names[i]);
		files[i] = (tm_mem_file){paths[i], texts[i], strlen(texts[i])};
	}
	if (extra)
		files[4] = (tm_mem_file){"k8s/extra.yaml", extra, strlen(extra)};
	tm_analysis_opts opts = {.files = files, .nfiles = extra ? 5 : 4, .name = "shop", .defer_blast = defer_blast};
	tm_limits_default(&opts.limits);
	tm_analysis *an = NULL;
	assert_int_equal(tm_analysis_run(&an, &opts), 0);
	assert_non_null(an);
	for (size_t i = 0; i < 4; i++)
		free(texts[i]);
	return an;
}

static tm_analysis *shop(const char *priv)
{
	return shop_and(priv, NULL);
}

/* The one finding of rule in list (new or resolved), failing when there is not exactly one. */
static const tm_finding *only(const tm_delta *d, bool resolved, const char *rule)
{
	const tm_finding *hit = NULL;
	size_t n = resolved ? tm_delta_resolved_count(d) : tm_delta_new_count(d);
	for (size_t i = 0; i < n; i++) {
		const tm_finding *f = resolved ? tm_delta_resolved(d, i) : tm_delta_new(d, i);
		if (strcmp(f->rule->id, rule) == 0) {
			assert_null(hit);
			hit = f;
		}
	}
	assert_non_null(hit);
	return hit;
}

static char *diff_report(const tm_delta *d, const char *format)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_sink sink = tm_sink_strbuf(&sb);
	tm_diff_report r = {d, "base", "head", NULL};
	assert_int_equal(tm_report_diff(format, &r, &sink), 0);
	tm_strbuf_put(&sb, "", 0);
	return tm_strbuf_take(&sb);
}

static size_t count_of(const tm_finding *f, tm_member_change c)
{
	size_t n = 0;
	for (size_t k = 0; k < f->naffected; k++)
		n += f->affected[k].change == c;
	return n;
}

/* a and b privileged before; c joins them: the fold of three is new, c marked, first, and where. */
static void joins_fold(void **state)
{
	(void)state;
	tm_analysis *base = shop("ab"), *head = shop("abc");
	tm_delta *d = NULL;
	assert_int_equal(tm_delta_run(&d, base, head), 0);
	const tm_finding *f = only(d, false, "TM-CTR-001");
	assert_int_equal(f->naffected, 3);
	assert_string_equal(f->affected[0].node, "service:shop/c");
	assert_int_equal(f->affected[0].change, TM_MEMBER_NEW);
	assert_int_equal(count_of(f, TM_MEMBER_NEW), 1);
	assert_int_equal(count_of(f, TM_MEMBER_SAME), 2);
	assert_string_equal(f->evidence[0].path, "k8s/c.yaml");
	assert_int_equal(f->evidence[0].line, 18);
	assert_int_equal(f->severity, TM_SEV_CRITICAL);
	/* the head's own finding is untouched: the view is the delta's */
	const tm_findings *hf = tm_analysis_findings(head);
	for (size_t i = 0; i < tm_findings_count(hf); i++)
		for (size_t k = 0; k < tm_findings_at(hf, i)->naffected; k++)
			assert_int_equal(tm_findings_at(hf, i)->affected[k].change, TM_MEMBER_SAME);
	assert_int_equal(tm_delta_resolved_count(d), 0);

	char *md = diff_report(d, "md");
	assert_non_null(strstr(md, "3 workloads in namespace shop are privileged or share the host — new here: "
				   "`service:shop/c` (2 already there)"));
	assert_non_null(strstr(md, "(`k8s/c.yaml`:18)"));
	free(md);
	char *json = diff_report(d, "json");
	const char *members = strstr(json, "\"affected\": [");
	assert_non_null(members);
	const char *c = strstr(members, "\"node\": \"service:shop/c\"");
	assert_non_null(c);
	const char *next = strstr(c + 1, "\"node\": ");
	const char *mark = strstr(c, "\"change\": \"new\"");
	assert_non_null(mark);
	assert_true(!next || mark < next);
	assert_null(strstr(json, "\"change\": \"resolved\""));
	free(json);
	tm_delta_free(d);
	tm_analysis_free(base);
	tm_analysis_free(head);
}

/* a, b and c privileged before; c made safe: the fold stays (two), and c is what the change resolved. */
static void leaves_fold(void **state)
{
	(void)state;
	tm_analysis *base = shop("abc"), *head = shop("ab");
	tm_delta *d = NULL;
	assert_int_equal(tm_delta_run(&d, base, head), 0);
	assert_int_equal(tm_delta_new_count(d), 0);
	const tm_finding *f = only(d, true, "TM-CTR-001");
	assert_string_equal(f->affected[0].node, "service:shop/c");
	assert_int_equal(f->affected[0].change, TM_MEMBER_RESOLVED);
	assert_int_equal(count_of(f, TM_MEMBER_RESOLVED), 1);
	assert_string_equal(f->evidence[0].path, "k8s/c.yaml");
	assert_string_equal(tm_delta_depth(d), "none");
	assert_string_equal(tm_delta_depth_reason(d), "nothing new; it resolves 1 finding");
	char *md = diff_report(d, "md");
	assert_non_null(strstr(md, "— resolved here: `service:shop/c` (2 remain)"));
	free(md);
	char *html = diff_report(d, "html");
	assert_non_null(strstr(html, " — resolved here: service:shop/c (2 remain)"));
	free(html);
	tm_delta_free(d);
	tm_analysis_free(base);
	tm_analysis_free(head);
}

/* A fold wholly new (nothing privileged before) or members that only refold: nothing to tell apart,
 * no member marked; the same inputs: nothing at all. */
static void whole_and_unchanged(void **state)
{
	(void)state;
	tm_analysis *none = shop(""), *two = shop("ab"), *again = shop("ab");
	tm_delta *d = NULL;
	assert_int_equal(tm_delta_run(&d, none, two), 0);
	const tm_finding *f = only(d, false, "TM-CTR-001");
	assert_int_equal(f->naffected, 2);
	assert_int_equal(count_of(f, TM_MEMBER_SAME), 2);
	tm_delta_free(d);
	assert_int_equal(tm_delta_run(&d, two, none), 0);
	f = only(d, true, "TM-CTR-001");
	assert_int_equal(count_of(f, TM_MEMBER_SAME), 2);
	tm_delta_free(d);
	assert_int_equal(tm_delta_run(&d, two, again), 0);
	assert_int_equal(tm_delta_new_count(d), 0);
	assert_int_equal(tm_delta_resolved_count(d), 0);
	assert_string_equal(tm_delta_depth_reason(d), "the change leaves the model as it was");
	tm_delta_free(d);
	/* one privileged workload alone is its own finding; a second makes a fold: the first is not new */
	tm_analysis *one = shop("a");
	assert_int_equal(tm_delta_run(&d, one, two), 0);
	f = only(d, false, "TM-CTR-001");
	assert_string_equal(f->affected[0].node, "service:shop/b");
	assert_int_equal(count_of(f, TM_MEMBER_NEW), 1);
	assert_int_equal(tm_delta_resolved_count(d), 0);
	tm_delta_free(d);
	tm_analysis_free(one);
	tm_analysis_free(none);
	tm_analysis_free(two);
	tm_analysis_free(again);
}

/* A change that adds a file the head cannot read changes no element of the model, but the review
 * must not call it unchanged: the problem is listed, and the review is a lightning one. A problem the
 * base had already is not new. */
static void unreadable_input(void **state)
{
	(void)state;
	static const char broken[] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg\n  data: [\n";
	tm_analysis *base = shop("a"), *head = shop_and("a", broken), *again = shop_and("a", broken);
	tm_delta *d = NULL;
	assert_int_equal(tm_delta_run(&d, base, head), 0);
	assert_int_equal(tm_delta_change_count(d), 0);
	assert_int_equal(tm_delta_new_count(d), 0);
	assert_int_equal(tm_delta_new_diag_count(d), 1);
	assert_string_equal(tm_delta_new_diag(d, 0)->loc.path, "k8s/extra.yaml");
	assert_string_equal(tm_delta_depth(d), "lightning");
	assert_non_null(strstr(tm_delta_depth_reason(d), "1 input problem new in the head"));
	char *md = diff_report(d, "md");
	assert_non_null(strstr(md, "#### Input the head could not read"));
	assert_non_null(strstr(md, "- `k8s/extra.yaml`:"));
	free(md);
	char *json = diff_report(d, "json");
	assert_non_null(strstr(json, "\"diagnostics_new\": ["));
	assert_non_null(strstr(json, "\"path\": \"k8s/extra.yaml\""));
	free(json);
	tm_delta_free(d);
	assert_int_equal(tm_delta_run(&d, head, again), 0);
	assert_int_equal(tm_delta_new_diag_count(d), 0);
	assert_string_equal(tm_delta_depth(d), "none");
	char *none = diff_report(d, "json");
	assert_non_null(strstr(none, "\"diagnostics_new\": []"));
	free(none);
	tm_delta_free(d);
	tm_analysis_free(base);
	tm_analysis_free(head);
	tm_analysis_free(again);
}

/* The comparison runs in two halves side by side (nodes; findings, edges and policies), joined as
 * one pass would leave them: the same review on one thread and on two, node changes before edge
 * changes before policy changes, each question asked once, the findings' half's findings kept. */
static void halves_join_in_order(void **state)
{
	(void)state;
	static const char removed_policy[] = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
					     "metadata: {name: deny, namespace: shop}\n"
					     "spec:\n  podSelector: {}\n  policyTypes: [Ingress]\n";
	static const char new_route[] = "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: shop}\n"
					"spec:\n  selector: {app: a}\n  ports: [{port: 80}]\n---\n"
					"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
					"spec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n"
					"        backend: {service: {name: a, port: {number: 80}}}\n";
	tm_analysis *base = shop_and("a", removed_policy), *head = shop_and("ab", new_route);
	tm_delta *one = NULL, *two = NULL;
	setenv("TRUSTMAP_JOBS", "1", 1);
	assert_int_equal(tm_delta_run(&one, base, head), 0);
	setenv("TRUSTMAP_JOBS", "2", 1);
	assert_int_equal(tm_delta_run(&two, base, head), 0);
	unsetenv("TRUSTMAP_JOBS");
	/* the same review either way */
	assert_int_equal(tm_delta_change_count(one), tm_delta_change_count(two));
	for (size_t i = 0; i < tm_delta_change_count(one); i++) {
		assert_string_equal(tm_delta_change(one, i)->trigger, tm_delta_change(two, i)->trigger);
		assert_string_equal(tm_delta_change(one, i)->text, tm_delta_change(two, i)->text);
	}
	assert_int_equal(tm_delta_agenda_count(one), tm_delta_agenda_count(two));
	for (size_t i = 0; i < tm_delta_agenda_count(one); i++) {
		assert_string_equal(tm_delta_agenda(one, i)->about, tm_delta_agenda(two, i)->about);
		assert_string_equal(tm_delta_agenda(one, i)->question, tm_delta_agenda(two, i)->question);
	}
	char *md1 = diff_report(one, "md"), *md2 = diff_report(two, "md");
	assert_string_equal(md1, md2);
	free(md1);
	free(md2);
	/* b's privilege (a node), its way out to the cluster's nodes (an edge, both ends in the base:
	 * a was privileged already), the policy gone: in that order */
	size_t node_at = SIZE_MAX, edge_at = SIZE_MAX, policy_at = SIZE_MAX;
	for (size_t i = 0; i < tm_delta_change_count(two); i++) {
		const tm_change *c = tm_delta_change(two, i);
		if (node_at == SIZE_MAX && strstr(c->text, "now has privileged containers"))
			node_at = i;
		if (edge_at == SIZE_MAX && strstr(c->text, "shop/b can now escape to"))
			edge_at = i;
		if (policy_at == SIZE_MAX && strstr(c->text, "deny"))
			policy_at = i;
	}
	assert_true(node_at != SIZE_MAX && edge_at != SIZE_MAX && policy_at != SIZE_MAX);
	assert_true(node_at < edge_at && edge_at < policy_at);
	for (size_t i = 0; i < tm_delta_agenda_count(two); i++)
		for (size_t j = i + 1; j < tm_delta_agenda_count(two); j++)
			assert_false(tm_delta_agenda(two, i)->question == tm_delta_agenda(two, j)->question &&
				     strcmp(tm_delta_agenda(two, i)->about, tm_delta_agenda(two, j)->about) == 0);
	only(two, false, "TM-CTR-001"); /* the findings' half joined too */
	tm_delta_free(one);
	tm_delta_free(two);
	tm_analysis_free(base);
	tm_analysis_free(head);
}

/* A diff's sides analysed without their blast radius (defer_blast) and weighed afterwards for what
 * the review shows: the base's resolved findings and the head's new ones are a whole analysis's,
 * priority, factors and order, the blast radius walked for their workloads only. */
static void deferred_blast_weighs_the_resolved(void **state)
{
	(void)state;
	static const char reader[] =
		"apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ntype: Opaque\n---\n"
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: all, namespace: shop}\n"
		"rules:\n- {apiGroups: [\"*\"], resources: [\"*\"], verbs: [\"*\"]}\n---\n"
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: all, namespace: shop}\n"
		"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: all}\n"
		"subjects:\n- {kind: ServiceAccount, name: default, namespace: shop}\n";
	tm_analysis *whole = shop_and("a", reader), *head = shop_and("", NULL);
	defer_blast = true;
	tm_analysis *deferred = shop_and("a", reader);
	defer_blast = false;
	assert_null(tm_analysis_blast(deferred));
	assert_int_equal(tm_analysis_weigh_review(deferred, head), 0);
	assert_int_equal(tm_analysis_weigh_review(whole, head), 0); /* a whole analysis: nothing to do */
	/* walked for the workloads of the resolved findings only */
	assert_true(tm_blast_count(tm_analysis_blast(deferred)) > 0);
	assert_true(tm_blast_count(tm_analysis_blast(deferred)) < tm_blast_count(tm_analysis_blast(whole)));
	tm_delta *a = NULL, *b = NULL;
	assert_int_equal(tm_delta_run(&a, whole, head), 0);
	assert_int_equal(tm_delta_run(&b, deferred, head), 0);
	assert_true(tm_delta_resolved_count(a) > 1);
	assert_int_equal(tm_delta_resolved_count(a), tm_delta_resolved_count(b));
	bool blast_factor = false;
	for (size_t i = 0; i < tm_delta_resolved_count(a); i++) {
		const tm_finding *x = tm_delta_resolved(a, i), *y = tm_delta_resolved(b, i);
		assert_string_equal(x->fingerprint, y->fingerprint);
		assert_int_equal(x->priority, y->priority);
		size_t k = 0;
		for (; x->priority_factors && x->priority_factors[k]; k++) {
			assert_non_null(y->priority_factors);
			assert_non_null(y->priority_factors[k]);
			assert_string_equal(x->priority_factors[k], y->priority_factors[k]);
			blast_factor = blast_factor || strstr(x->priority_factors[k], "blast radius of");
		}
		assert_true(!y->priority_factors || !y->priority_factors[k]);
	}
	assert_true(blast_factor); /* the case this is about: a resolved finding weighed by a walk */
	char *ja = diff_report(a, "json"), *jb = diff_report(b, "json");
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
	tm_delta_free(a);
	tm_delta_free(b);
	/* the other way round, the head deferred (a diff that records nothing): its new findings are a
	 * whole analysis's */
	defer_blast = true;
	tm_analysis *head_deferred = shop_and("a", reader);
	defer_blast = false;
	assert_int_equal(tm_analysis_weigh_review(head, head_deferred), 0);
	assert_int_equal(tm_delta_run(&a, head, whole), 0);
	assert_int_equal(tm_delta_run(&b, head, head_deferred), 0);
	assert_true(tm_delta_new_count(a) > 1);
	assert_int_equal(tm_delta_new_count(a), tm_delta_new_count(b));
	blast_factor = false;
	for (size_t i = 0; i < tm_delta_new_count(a); i++) {
		const tm_finding *x = tm_delta_new(a, i), *y = tm_delta_new(b, i);
		assert_string_equal(x->fingerprint, y->fingerprint);
		assert_int_equal(x->priority, y->priority);
		for (size_t k = 0; x->priority_factors && x->priority_factors[k]; k++) {
			assert_string_equal(x->priority_factors[k], y->priority_factors[k]);
			blast_factor = blast_factor || strstr(x->priority_factors[k], "blast radius of");
		}
	}
	assert_true(blast_factor);
	ja = diff_report(a, "json");
	jb = diff_report(b, "json");
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
	tm_delta_free(a);
	tm_delta_free(b);
	tm_analysis_free(head_deferred);
	tm_analysis_free(whole);
	tm_analysis_free(deferred);
	tm_analysis_free(head);
}

/* A compose project: a published dashboard that calls the warehouse (postgres) or not (calls), the
 * warehouse's port published or not. */
static tm_analysis *warehouse(bool calls, bool published)
{
	char text[1024];
	snprintf(text, sizeof(text),
		 "name: analytics\n"
		 "services:\n"
		 "  dashboard:\n"
		 "    image: example/dashboard:3.2.1\n"
		 "    ports: [\"8080:8080\"]\n"
		 "    environment:\n"
		 "      %s\n"
		 "  accounts:\n"
		 "    image: example/accounts:1.0.7\n"
		 "    environment:\n"
		 "      DATABASE_URL: postgres://accounts:${PW:?set}@warehouse:5432/analytics\n"
		 "  warehouse:\n"
		 "    image: postgres:16.4\n"
		 "%s"
		 "    environment:\n"
		 "      POSTGRES_PASSWORD: ${PW:?set}\n",
		 calls ? "WAREHOUSE_HOST: warehouse" : "DASHBOARD_MODE: static", published ? "    ports: [\"5432:5432\"]\n" : "");
	tm_mem_file files[] = {{"compose.yaml", text, strlen(text)}};
	tm_analysis_opts opts = {.files = files, .nfiles = 1, .name = "analytics"};
	tm_limits_default(&opts.limits);
	tm_analysis *an = NULL;
	assert_int_equal(tm_analysis_run(&an, &opts), 0);
	return an;
}

static size_t by_rule(const tm_delta *d, size_t (*count)(const tm_delta *), const tm_finding *(*at)(const tm_delta *, size_t),
		      const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < count(d); i++)
		n += strcmp(at(d, i)->rule->id, rule) == 0;
	return n;
}

/* The warehouse's port published: the attack path through the dashboard still stands, a shorter route
 * (TM-MESH-007) takes precedence: superseded, not resolved. The dashboard's call cut too: resolved. */
static void superseded_path_not_resolved(void **state)
{
	(void)state;
	tm_analysis *base = warehouse(true, false), *head = warehouse(true, true), *cut = warehouse(false, true);
	tm_delta *d = NULL;
	assert_int_equal(tm_delta_run(&d, base, head), 0);
	assert_int_equal(tm_delta_superseded_count(d), 1);
	assert_string_equal(tm_delta_superseded(d, 0)->rule->id, "TM-PATH-001");
	assert_string_equal(tm_delta_superseded_by(d, 0)->rule->id, "TM-MESH-007");
	assert_int_equal(by_rule(d, tm_delta_resolved_count, tm_delta_resolved, "TM-PATH-001"), 0);
	assert_int_equal(by_rule(d, tm_delta_new_count, tm_delta_new, "TM-MESH-007"), 1);
	char *md = diff_report(d, "md");
	assert_non_null(strstr(md, "#### Superseded, not resolved"));
	assert_null(strstr(md, "Resolved findings"));
	free(md);
	tm_delta_free(d);
	assert_int_equal(tm_delta_run(&d, base, cut), 0);
	assert_int_equal(tm_delta_superseded_count(d), 0);
	assert_int_equal(by_rule(d, tm_delta_resolved_count, tm_delta_resolved, "TM-PATH-001"), 1);
	tm_delta_free(d);
	tm_analysis_free(base);
	tm_analysis_free(head);
	tm_analysis_free(cut);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(joins_fold),
		cmocka_unit_test(leaves_fold),
		cmocka_unit_test(whole_and_unchanged),
		cmocka_unit_test(unreadable_input),
		cmocka_unit_test(halves_join_in_order),
		cmocka_unit_test(deferred_blast_weighs_the_resolved),
		cmocka_unit_test(superseded_path_not_resolved),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
