/*
 * test_otm.c - Open Threat Model import (src/ingest/otm.c) and export (src/report/otm.c):
 * recognition, the mapping, a diagnostic at the right place for each kind of bad input, and
 * hostile documents (wide, long parent chains, deep, one huge line) bounded in time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "counting_alloc.h"
#include "ingest/ingest.h"
#include "report/report.h"

#include "test_support.h"

/* The same text analysed (rules, exposure, blast radius), for the writers. */
static tm_analysis *analyse_text(const char *path, const char *text, const char *title)
{
	tm_analysis_opts o = {.nfiles = 1, .name = title};
	tm_limits_default(&o.limits);
	tm_mem_file f = {path, text, strlen(text)};
	o.files = &f;
	tm_analysis *a = NULL;
	assert_int_equal(tm_analysis_run(&a, &o), 0);
	assert_non_null(a);
	return a;
}

static int write_otm(const tm_analysis *a, const tm_sink *sink)
{
	const tm_analysis *systems[] = {a};
	tm_report_ctx ctx = {systems, 1, false, NULL};
	return tm_report_write("otm", &ctx, sink);
}

/* The diagnostic at line:col whose message holds needle. */
static bool has_diag(const tm_scan *s, uint32_t line, uint32_t col, const char *needle)
{
	const tm_diag_list *d = tm_scan_diags(s);
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].loc.line == line && d->items[i].loc.col == col && strstr(d->items[i].msg, needle))
			return true;
	return false;
}

static void print_diags(const tm_scan *s)
{
	const tm_diag_list *d = tm_scan_diags(s);
	for (size_t i = 0; i < d->count; i++)
		print_message("  %u:%u %s\n", (unsigned)d->items[i].loc.line, (unsigned)d->items[i].loc.col,
			      d->items[i].msg);
}

static void recognised_by_content(void **state)
{
	(void)state;
	tm_detected det;
	tm_limits lim;
	tm_limits_default(&lim);
	static const struct {
		const char *text;
		tm_format format;
		bool unsupported;
	} cases[] = {
		{"{\"otmVersion\": \"0.2.0\", \"project\": {\"name\": \"a\", \"id\": \"a\"}}", TM_FMT_OTM, false},
		{"otmVersion: 0.1.0\nproject: {name: a, id: a}\n", TM_FMT_OTM, false},
		{"{\"otmVersion\": 2}", TM_FMT_OTM, true},        /* not a string */
		{"{\"otmVersion\": \"1.0.0\"}", TM_FMT_OTM, true}, /* a major version we do not know */
		{"{\"project\": {\"name\": \"a\"}}", TM_FMT_UNKNOWN, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tm_diag_list d;
		tm_diag_list_init(&d);
		tm_file *f = NULL;
		assert_int_equal(tm_file_parse(&f, "x.json", cases[i].text, strlen(cases[i].text), &lim, &d), 0);
		tm_detect(tm_file_doc(f, 0), "x.json", &det);
		assert_int_equal(det.format, cases[i].format);
		assert_int_equal(det.unsupported != NULL, cases[i].unsupported);
		tm_file_free(f);
		tm_diag_list_dispose(&d);
	}
	assert_true(tm_detect_sniff("{\n  \"otmVersion\": \"0.2.0\"", 24));
	assert_true(tm_detect_sniff("otmVersion: 0.2.0\n", 18));
}

static const char good[] =
	"{\"otmVersion\": \"0.2.0\",\n"                                                           /* 1 */
	" \"project\": {\"name\": \"p\", \"id\": \"p\"},\n"                                     /* 2 */
	" \"trustZones\": [\n"                                                                 /* 3 */
	"  {\"id\": \"net\", \"name\": \"The Internet\", \"risk\": {\"trustRating\": 5}},\n"   /* 4 */
	"  {\"id\": \"dc\", \"name\": \"Data centre\", \"risk\": {\"trustRating\": 80}},\n"   /* 5 */
	"  {\"id\": \"db-zone\", \"name\": \"DB\", \"type\": \"namespace\", \"risk\": {\"trustRating\": 95},"
	" \"parent\": {\"trustZone\": \"dc\"}}],\n"                                            /* 6 */
	" \"components\": [\n"                                                                 /* 7 */
	"  {\"id\": \"app\", \"name\": \"App\", \"type\": \"mobile-client\", \"parent\": {\"trustZone\": \"net\"}},\n"
	"  {\"id\": \"api\", \"name\": \"API\", \"type\": \"web-service\", \"parent\": {\"trustZone\": \"dc\"},"
	" \"attributes\": {\"namespace\": \"shop\", \"language\": \"go\"},"
	" \"threats\": [{\"threat\": \"t1\", \"state\": \"exposed\", \"mitigations\": [{\"mitigation\": \"m1\", \"state\": \"required\"}]}]},\n"
	"  {\"id\": \"handler\", \"name\": \"Handler\", \"type\": \"code-class\", \"parent\": {\"component\": \"api\"}},\n"
	"  {\"id\": \"db\", \"name\": \"DB\", \"type\": \"postgresql-database\", \"parent\": {\"trustZone\": \"db-zone\"}},\n"
	"  {\"id\": \"q\", \"name\": \"Q\", \"type\": \"sqs-queue\", \"parent\": {\"trustZone\": \"dc\"}}],\n"
	" \"dataflows\": [\n"
	"  {\"id\": \"f1\", \"name\": \"login\", \"source\": \"app\", \"destination\": \"api\", \"tags\": [\"authn:jwt\"]},\n"
	"  {\"id\": \"f2\", \"name\": \"save\", \"source\": \"api\", \"destination\": \"db\"},\n"
	"  {\"id\": \"f3\", \"name\": \"consume\", \"source\": \"q\", \"destination\": \"api\"},\n"
	"  {\"id\": \"f4\", \"name\": \"typed\", \"source\": \"api\", \"destination\": \"db\","
	" \"attributes\": {\"trustmap.kind\": \"reads\", \"trustmap.authn\": \"mtls\", \"trustmap.authz\": \"role\"}}],\n"
	" \"threats\": [{\"id\": \"t1\", \"name\": \"Token theft\", \"risk\": {\"likelihood\": 50, \"impact\": 90}}],\n"
	" \"mitigations\": [{\"id\": \"m1\", \"name\": \"Short-lived tokens\", \"riskReduction\": 70}]}\n";

static const tm_edge *edge(const tm_model *m, const char *from, const char *to, tm_edge_kind k)
{
	for (size_t i = 0; i < tm_model_edge_count(m); i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (strcmp(tm_node_id(tm_edge_from(e)), from) == 0 && strcmp(tm_node_id(tm_edge_to(e)), to) == 0 &&
		    tm_edge_kind_of(e) == k)
			return e;
	}
	return NULL;
}

static void import_maps_zones_components_flows(void **state)
{
	(void)state;
	tm_scan *s = scan_text("m.otm.json", good);
	if (tm_scan_diags(s)->count)
		print_diags(s);
	assert_int_equal(tm_scan_diags(s)->count, 0);
	const tm_model *m = tm_scan_model(s);
	assert_int_equal(tm_model_boundary_count(m), 3);
	/* sorted by id: db-zone, dc, net */
	assert_string_equal(tm_boundary_id(tm_model_boundary(m, 2)), "net");
	assert_int_equal(tm_boundary_kind_of(tm_model_boundary(m, 2)), TM_BOUNDARY_INTERNET); /* rating 5 */
	assert_int_equal(tm_boundary_kind_of(tm_model_boundary(m, 1)), TM_BOUNDARY_CLUSTER);  /* rating 80 */
	assert_int_equal(tm_boundary_kind_of(tm_model_boundary(m, 0)), TM_BOUNDARY_NAMESPACE); /* its type */
	assert_string_equal(tm_boundary_parent(tm_model_boundary(m, 0)), "dc");
	const tm_node *app = tm_model_find(m, "app"), *api = tm_model_find(m, "api"), *h = tm_model_find(m, "handler");
	assert_non_null(app);
	assert_non_null(api);
	assert_non_null(h);
	assert_int_equal(tm_node_kind_of(app), TM_NODE_ENTRYPOINT);
	assert_int_equal(tm_node_kind_of(api), TM_NODE_SERVICE);
	assert_int_equal(tm_node_kind_of(tm_model_find(m, "db")), TM_NODE_DATASTORE);
	assert_int_equal(tm_node_kind_of(tm_model_find(m, "q")), TM_NODE_QUEUE);
	assert_string_equal(tm_node_boundary(h), "dc"); /* through its parent component */
	assert_string_equal(tm_node_attr_str(api, "namespace"), "shop");
	assert_string_equal(tm_node_attr_str(api, "otm:language"), "go");
	/* evidence: the component's place in the document (and those of its threat facts, on its line) */
	assert_true(tm_node_evidence_count(api) >= 1);
	assert_string_equal(tm_node_evidence(api, 0).path, "m.otm.json");
	assert_int_equal(tm_node_evidence(api, 0).line, 9);
	/* the threat and its mitigation, located facts */
	bool threat = false, mitigation = false;
	for (size_t i = 0; i < tm_node_fact_count(api); i++) {
		const tm_fact_loc *f = tm_node_fact(api, i);
		threat = threat || (strcmp(f->key, "threats") == 0 && strstr(f->value, "Token theft") && f->loc.line == 9);
		mitigation = mitigation || (strcmp(f->key, "mitigations") == 0 && strstr(f->value, "Short-lived"));
	}
	assert_true(threat);
	assert_true(mitigation);
	const tm_edge *e = edge(m, "app", "api", TM_EDGE_CALLS);
	assert_non_null(e);
	assert_int_equal(tm_edge_authn(e), TM_AUTHN_JWT);
	assert_true(tm_edge_crosses_boundary(e));
	assert_non_null(edge(m, "api", "db", TM_EDGE_WRITES));
	assert_non_null(edge(m, "api", "q", TM_EDGE_SUBSCRIBES)); /* q -> api: api consumes q */
	const tm_edge *typed = edge(m, "api", "db", TM_EDGE_READS);
	assert_non_null(typed);
	assert_int_equal(tm_edge_authn(typed), TM_AUTHN_MTLS);
	assert_int_equal(tm_edge_authz(typed), TM_AUTHZ_ROLE);
	assert_string_equal(tm_scan_input(s, 0)->kind, "otm");
	tm_scan_free(s);
}

/* One bad thing per case, and where it is reported. */
static void bad_input_is_positioned(void **state)
{
	(void)state;
	static const struct {
		const char *yaml;
		uint32_t line, col;
		const char *msg;
	} cases[] = {
		{"otmVersion: 0.2.0\n", 1, 1, "missing 'project'"},
		{"otmVersion: 0.2.0\nproject: [a]\n", 2, 10, "'project' must be an object"},
		{"otmVersion: 0.2.0\nproject: {name: p}\n", 2, 10, "project: missing 'id'"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ntrustZones: {a: 1}\n", 3, 13, "'trustZones' must be a list"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ntrustZones:\n  - 7\n", 4, 5, "trustZones[0] must be an object"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ntrustZones:\n  - {id: z, name: Z}\n", 4, 5,
		 "missing 'risk'"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ntrustZones:\n  - {id: z, name: Z, risk: {trustRating: x}}\n",
		 4, 42, "'trustRating' must be a number"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ntrustZones:\n  - {id: [z], name: Z, risk: {trustRating: 1}}\n",
		 4, 10, "'id' must be a string"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ncomponents:\n  - {id: c, name: C, type: t}\n", 4, 5,
		 "missing 'parent'"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ncomponents:\n  - {id: c, name: C, type: t, parent: {trustZone: nope}}\n",
		 4, 39, "parent trust zone 'nope' is not defined"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ncomponents:\n  - {id: c, name: C, type: t, parent: {component: c}}\n",
		 4, 39, "is its own parent"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ncomponents:\n  - {id: c, name: C, type: t, parent: {}}\n",
		 4, 39, "exactly one of trustZone and component"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ncomponents:\n"
		 "  - {id: a, name: A, type: t, parent: {trustZone: z}}\n"
		 "dataflows:\n  - {id: f, name: F, source: a, destination: ghost}\n",
		 6, 46, "destination 'ghost' is not a component of this document"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\ncomponents:\n"
		 "  - {id: a, name: A, type: t, parent: {trustZone: z}, threats: [{threat: t9, state: exposed}]}\n",
		 4, 74, "threat 't9' is not defined"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\nthreats:\n  - {id: t, name: T, risk: {likelihood: 1, impact: high}}\n",
		 4, 52, "'impact' must be a number"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\nmitigations:\n  - {id: m, name: M}\n", 4, 5,
		 "missing 'riskReduction'"},
		{"otmVersion: 0.2.0\nproject: {name: p, id: p}\nassets:\n  - {id: a, name: A, risk: {confidentiality: 1}}\n",
		 4, 28, "missing 'integrity'"},
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tm_scan *s = scan_text("bad.otm.yaml", cases[i].yaml);
		if (!has_diag(s, cases[i].line, cases[i].col, cases[i].msg)) {
			print_message("case %zu: expected %u:%u %s, got:\n", i, (unsigned)cases[i].line,
				      (unsigned)cases[i].col, cases[i].msg);
			print_diags(s);
			bad++;
		}
		tm_scan_free(s);
	}
	assert_int_equal(bad, 0);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int discard(void *ud, const char *data, size_t len)
{
	(void)ud;
	(void)data;
	(void)len;
	return 0;
}

/* 20000 components in a chain of parents, each a dataflow to the next: linear, not quadratic. */
static void wide_and_long_chains(void **state)
{
	(void)state;
	enum { N = 20000 };
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, "{\"otmVersion\": \"0.2.0\", \"project\": {\"name\": \"w\", \"id\": \"w\"},\n"
			    "\"trustZones\": [{\"id\": \"z\", \"name\": \"z\", \"risk\": {\"trustRating\": 50}}],\n"
			    "\"components\": [\n");
	for (int i = 0; i < N; i++) {
		tm_strbuf_printf(&sb, "{\"id\": \"c%d\", \"name\": \"c%d\", \"type\": \"service\", \"parent\": ", i, i);
		if (i + 1 < N)
			tm_strbuf_printf(&sb, "{\"component\": \"c%d\"}},\n", i + 1);
		else
			tm_strbuf_puts(&sb, "{\"trustZone\": \"z\"}},\n");
	}
	tm_strbuf_puts(&sb, "{\"id\": \"last\", \"name\": \"l\", \"type\": \"service\", \"parent\": {\"trustZone\": \"z\"}}],\n"
			    "\"dataflows\": [\n");
	for (int i = 0; i + 1 < N; i++)
		tm_strbuf_printf(&sb, "{\"id\": \"f%d\", \"name\": \"f\", \"source\": \"c%d\", \"destination\": \"c%d\"}%s\n",
				 i, i, i + 1, i + 2 < N ? "," : "");
	tm_strbuf_puts(&sb, "]}\n");
	assert_false(sb.oom);
	double t0 = now();
	tm_scan *s = scan_text("wide.otm.json", sb.data);
	double took = now() - t0;
	print_message("%d components in a parent chain: %.2fs\n", N, took);
	assert_true(took < 30.0);
	assert_int_equal(tm_model_node_count(tm_scan_model(s)), N + 1);
	assert_int_equal(tm_model_edge_count(tm_scan_model(s)), N - 1);
	/* the chain is deeper than the walk: the far components get no zone, with a warning each */
	assert_null(tm_node_boundary(tm_model_find(tm_scan_model(s), "c0")));
	assert_string_equal(tm_node_boundary(tm_model_find(tm_scan_model(s), "c19990")), "z");
	/* and the export of all of it */
	tm_sink sink = {discard, NULL};
	tm_scan_free(s);
	tm_analysis *wide = analyse_text("wide.otm.json", sb.data, "wide");
	t0 = now();
	assert_int_equal(write_otm(wide, &sink), 0);
	print_message("export: %.2fs\n", now() - t0);
	tm_analysis_free(wide);
	tm_strbuf_dispose(&sb);
}

/* Nesting past the parser's depth limit, and one line longer than 64 KiB (read through jansson,
 * located by JSON pointer): diagnostics, no crash. */
static void deep_and_single_line(void **state)
{
	(void)state;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, "{\"otmVersion\": \"0.2.0\", \"project\": {\"name\": \"d\", \"id\": \"d\", \"attributes\": ");
	for (int i = 0; i < 400; i++)
		tm_strbuf_puts(&sb, "{\"a\": ");
	tm_strbuf_puts(&sb, "1");
	for (int i = 0; i < 400; i++)
		tm_strbuf_puts(&sb, "}");
	tm_strbuf_puts(&sb, "}}\n");
	tm_scan *s = scan_text("deep.otm.json", sb.data);
	assert_true(tm_diag_count(tm_scan_diags(s), TM_LEVEL_WARNING) > 0);
	assert_int_equal(tm_model_node_count(tm_scan_model(s)), 0);
	tm_scan_free(s);

	tm_strbuf_reset(&sb);
	tm_strbuf_puts(&sb, "{\"otmVersion\": \"0.2.0\", \"project\": {\"name\": \"l\", \"id\": \"l\"}, \"components\": [");
	for (int i = 0; i < 3000; i++)
		tm_strbuf_printf(&sb, "{\"id\": \"c%d\", \"name\": \"c\", \"type\": \"service\", \"parent\": {\"trustZone\": \"none\"}},",
				 i);
	tm_strbuf_puts(&sb, "{\"id\": 1}]}");
	s = scan_text("line.otm.json", sb.data);
	const tm_diag_list *d = tm_scan_diags(s);
	bool pointed = false;
	for (size_t i = 0; i < d->count; i++)
		pointed = pointed || (d->items[i].loc.pointer && strcmp(d->items[i].loc.pointer, "/components/3000/id") == 0);
	assert_true(pointed);
	assert_int_equal(tm_model_node_count(tm_scan_model(s)), 3000);
	tm_scan_free(s);
	tm_strbuf_dispose(&sb);
}

static int to_strbuf(void *ud, const char *data, size_t len)
{
	tm_strbuf_put(ud, data, len);
	return 0;
}

/* Export, import the export, export again: the same zones, components and dataflows. */
static void export_import_export(void **state)
{
	(void)state;
	tm_scan *s = scan_text("m.otm.json", good);
	tm_strbuf a = TM_STRBUF_INIT, b = TM_STRBUF_INIT;
	tm_sink sa = {to_strbuf, &a}, sbk = {to_strbuf, &b};
	tm_analysis *as = analyse_text("m.otm.json", good, "Round trip");
	assert_int_equal(write_otm(as, &sa), 0);
	tm_analysis_free(as);
	tm_strbuf_put(&a, "", 0);
	tm_scan *s2 = scan_text("again.otm.json", a.data);
	assert_int_equal(tm_diag_count(tm_scan_diags(s2), TM_LEVEL_WARNING), 0);
	tm_analysis *as2 = analyse_text("again.otm.json", a.data, "Round trip");
	assert_int_equal(write_otm(as2, &sbk), 0);
	tm_analysis_free(as2);
	tm_strbuf_put(&b, "", 0);
	const tm_model *m1 = tm_scan_model(s), *m2 = tm_scan_model(s2);
	assert_int_equal(tm_model_boundary_count(m1), tm_model_boundary_count(m2));
	for (size_t i = 0; i < tm_model_boundary_count(m1); i++) {
		const tm_boundary *x = tm_model_boundary(m1, i), *y = tm_model_boundary(m2, i);
		assert_string_equal(tm_boundary_id(x), tm_boundary_id(y));
		assert_int_equal(tm_boundary_kind_of(x), tm_boundary_kind_of(y));
		assert_true((!tm_boundary_parent(x) && !tm_boundary_parent(y)) ||
			    strcmp(tm_boundary_parent(x), tm_boundary_parent(y)) == 0);
	}
	assert_int_equal(tm_model_node_count(m1), tm_model_node_count(m2));
	for (size_t i = 0; i < tm_model_node_count(m1); i++) {
		const tm_node *x = tm_model_node(m1, i), *y = tm_model_node(m2, i);
		assert_string_equal(tm_node_id(x), tm_node_id(y));
		assert_string_equal(tm_node_name(x), tm_node_name(y));
		assert_int_equal(tm_node_kind_of(x), tm_node_kind_of(y));
		assert_string_equal(tm_node_boundary(x), tm_node_boundary(y));
	}
	assert_int_equal(tm_model_edge_count(m1), tm_model_edge_count(m2));
	for (size_t i = 0; i < tm_model_edge_count(m1); i++) {
		const tm_edge *x = tm_model_edge(m1, i), *y = tm_model_edge(m2, i);
		assert_string_equal(tm_node_id(tm_edge_from(x)), tm_node_id(tm_edge_from(y)));
		assert_string_equal(tm_node_id(tm_edge_to(x)), tm_node_id(tm_edge_to(y)));
		assert_int_equal(tm_edge_kind_of(x), tm_edge_kind_of(y));
		assert_int_equal(tm_edge_authn(x), tm_edge_authn(y));
		assert_int_equal(tm_edge_authz(x), tm_edge_authz(y));
	}
	/* the trust zone section of both exports is the same text */
	const char *za = strstr(a.data, "\"trustZones\""), *zb = strstr(b.data, "\"trustZones\"");
	const char *ca = strstr(a.data, "\"components\""), *cb = strstr(b.data, "\"components\"");
	assert_non_null(za);
	assert_non_null(zb);
	assert_int_equal(ca - za, cb - zb);
	assert_memory_equal(za, zb, (size_t)(ca - za));
	tm_strbuf_dispose(&a);
	tm_strbuf_dispose(&b);
	tm_scan_free(s2);
	tm_scan_free(s);
}


/* Import and export with each allocation failing in turn: an error or success, never a crash
 * or a leak (ASan runs see leaks). */
static int import_export_once(void)
{
	tm_limits lim;
	tm_limits_default(&lim);
	tm_mem_file f = {"m.otm.json", good, sizeof(good) - 1};
	tm_analysis_opts o = {.files = &f, .nfiles = 1, .limits = lim, .name = "t"};
	tm_analysis *a = NULL;
	int rc = tm_analysis_run(&a, &o);
	if (a && tm_analysis_complete(a)) {
		tm_sink sink = {discard, NULL};
		int w = write_otm(a, &sink);
		if (!rc)
			rc = w;
	}
	tm_analysis_free(a);
	return rc;
}

static void survives_allocation_failures(void **state)
{
	(void)state;
	tm_set_allocator(&counting);
	calls = 0;
	fail_at = 0;
	assert_int_equal(import_export_once(), 0);
	size_t total = calls;
	assert_true(total > 50);
	for (fail_at = 1; fail_at <= total; fail_at++) {
		calls = 0;
		int rc = import_export_once();
		assert_true(rc == 0 || rc < 0);
	}
	tm_set_allocator(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recognised_by_content),
		cmocka_unit_test(import_maps_zones_components_flows),
		cmocka_unit_test(bad_input_is_positioned),
		cmocka_unit_test(export_import_export),
		cmocka_unit_test(deep_and_single_line),
		cmocka_unit_test(wide_and_long_chains),
		cmocka_unit_test(survives_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
