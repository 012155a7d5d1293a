/*
 * test_alloc_fail.c - make each allocation fail in turn: parsing, scanning and
 * reporting must return an error (or succeed) without crashing or leaking.
 * Run under ASan by `make check`, which is where a leak shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trustmap/doc.h"
#include "trustmap/findings.h"
#include "trustmap/query.h"
#include "trustmap/report.h"
#include "trustmap/scan.h"
#include "util/util.h"

#include "counting_alloc.h"
#include "test_support.h"

static const char yaml[] = "base: &b {image: nginx, port: 80}\n"
			   "web:\n  <<: *b\n  port: 8080\n  port: 8081\n"
			   "list: [1, 2.5, yes, ~, \"q\"]\n---\nkind: [broken\n---\nlast: doc\n";

static int parse_once(void)
{
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f = NULL;
	int rc = tm_file_parse(&f, "t.yaml", yaml, sizeof(yaml) - 1, NULL, &d);
	tm_file_free(f);
	tm_diag_list_dispose(&d);
	return rc;
}

static void parse_survives_every_failure(void **state)
{
	(void)state;
	tm_set_allocator(&counting);
	calls = 0;
	fail_at = 0;
	assert_int_equal(parse_once(), 0);
	size_t total = calls;
	assert_true(total > 10);
	for (fail_at = 1; fail_at <= total; fail_at++) {
		calls = 0;
		int rc = parse_once();
		assert_true(rc == 0 || rc < 0);
	}
	tm_set_allocator(NULL);
}

static int discard(void *ud, const char *data, size_t len)
{
	(void)ud;
	(void)data;
	(void)len;
	return 0;
}

static bool with_query;

static int scan_and_report(const char *root)
{
	const char *roots[] = {root};
	tm_analysis_opts opts = {.roots = roots, .nroots = 1, .name = "t"};
	tm_limits_default(&opts.limits);
	tm_analysis *a = NULL;
	int rc = tm_analysis_run(&a, &opts);
	if (a && tm_analysis_complete(a)) {
		tm_sink sink = {discard, NULL};
		const tm_findings *f = tm_analysis_findings(a);
		int fr = 0;
		if (tm_findings_count(f)) {
			/* the register's decisions settled over the overlay's, with an expired one */
			tm_finding_decision d[] = {{tm_findings_at(f, 0)->fingerprint, TM_STATUS_ACCEPTED, "o", "w", "2026-01-01"},
						   {"0000000000000000", TM_STATUS_MITIGATED, "o", "w", NULL}};
			fr = tm_analysis_settle(a, "2026-06-01", d, 2);
		}
		const tm_analysis *systems[] = {a};
		tm_report_ctx ctx = {systems, 1, false, NULL};
		int w = tm_report_write("json", &ctx, &sink);
		int m = tm_report_write("md", &ctx, &sink);
		if (!rc)
			rc = fr ? fr : w ? w : m;
		if (with_query) {
			/* the policy evaluator: a gateway hop, mTLS, authorization, then who-can-call */
			tm_request req = {0};
			req.source = "internet";
			req.destination = "shop/orders";
			req.path = "/orders";
			tm_verdict v;
			int q = tm_query_can(&v, tm_analysis_model(a), &req);
			tm_verdict_dispose(&v);
			tm_callers c;
			int q2 = tm_query_who_can_call(&c, tm_analysis_model(a), &req);
			tm_callers_dispose(&c);
			if (!rc)
				rc = q ? q : q2;
		}
	}
	tm_analysis_free(a);
	return rc;
}

static void survive(const char *root, size_t stride_after);

static void scan_survives_every_failure(void **state)
{
	(void)state;
	char root[4096];
	source_path(root, sizeof(root), "tests/golden/report/k8s-basics/input");
	with_query = false;
	survive(root, 97);
}

/* The example system: every ingester (Istio, NetworkPolicy, RBAC, overlay, CODEOWNERS) and the
 * query evaluator, failing a sample of its allocations. */
static void example_and_query_survive_failures(void **state)
{
	(void)state;
	char root[4096];
	source_path(root, sizeof(root), "examples/shop");
	with_query = true;
	/* TM_ALLOC_STRIDE=1 fails every allocation (slow under ASan: run it before a release) */
	const char *stride = getenv("TM_ALLOC_STRIDE");
	survive(root, stride && *stride > '0' && *stride <= '9' ? (size_t)(*stride - '0') : 13);
	with_query = false;
}

static void survive(const char *root, size_t stride_after)
{
	tm_set_allocator(&counting);
	calls = 0;
	fail_at = 0;
	assert_int_equal(scan_and_report(root), 0);
	size_t total = calls;
	assert_true(total > 100); /* the scan really ran */
	/* every allocation up to a bound, then a sample of the rest, to stay fast. Under ASan, where a
	 * scan costs five times as much, every allocation up to 600 and every other one after: the
	 * normal build fails each of them (a crash shows there), the sanitizer build half (a leak or a
	 * use after free on an error path shows only there); TM_ALLOC_STRIDE=1 fails each everywhere. */
	size_t every = 3000, half = 3000, failed = 0;
#if defined(__SANITIZE_ADDRESS__)
	const char *all = getenv("TM_ALLOC_STRIDE");
	if (!(all && strcmp(all, "1") == 0))
		every = 600;
#endif
	for (fail_at = 1; fail_at <= total; fail_at += fail_at < every ? 1 : fail_at < half ? 2 : stride_after) {
		calls = 0;
		int rc = scan_and_report(root);
		assert_true(rc == 0 || rc == TM_ENOMEM || rc < 0);
		failed++;
	}
	print_message("scan and report: %zu allocations, %zu of them made to fail in turn\n", total, failed);
	tm_set_allocator(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_survives_every_failure),
		cmocka_unit_test(scan_survives_every_failure),
		cmocka_unit_test(example_and_query_survive_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
