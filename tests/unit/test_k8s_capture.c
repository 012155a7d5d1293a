/* test_k8s_capture.c - Istio's traffic capture annotations (k8s_capture.c), read as Istio's sidecar
 * injector validates them, and the capture decisions the query evaluator and TM-MESH-011 take from
 * them (policy.c: tm_policy__inbound_bypass, tm_policy__outbound_bypass, tm_policy__cidr_prefix).
 * Each row is one pod template's annotations and what must follow: the facts on the workload, the
 * diagnostics (at the annotation's value), and the decision for a few ports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model/model.h"
#include "trustmap/scan.h"

/* A Deployment app/api whose pod template carries the annotations (YAML mapping lines, indented
 * by eight spaces), scanned from memory. */
static tm_scan *scan_annotations(const char *annotations)
{
	static char buf[4096];
	int n = snprintf(buf, sizeof(buf),
			 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: app}\nspec:\n"
			 "  template:\n    metadata:\n      labels: {app: api}\n      annotations:\n%s"
			 "    spec:\n      containers:\n      - name: api\n        image: api:1\n"
			 "        ports: [{containerPort: 8080}, {containerPort: 9090}]\n",
			 annotations);
	assert_true(n > 0 && (size_t)n < sizeof(buf));
	tm_mem_file f = {"app.yaml", buf, (size_t)n};
	tm_limits lim;
	tm_limits_default(&lim);
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_run_mem(&s, &f, 1, &lim), 0);
	return s;
}

/* The facts of key on app/api joined by "|", "" for none. */
static const char *facts(const tm_scan *s, const char *key, char *out, size_t cap)
{
	const tm_node *n = tm_model_find(tm_scan_model(s), "service:app/api");
	const tm_attr *a = n ? tm_node_attr_get(n, key) : NULL;
	out[0] = '\0';
	for (size_t i = 0; a && a->type == TM_ATTR_LIST && a->list[i]; i++) {
		size_t l = strlen(out);
		snprintf(out + l, cap - l, "%s%s", i ? "|" : "", a->list[i]);
	}
	return out;
}

/* The diagnostics' messages (with their line:col) joined by "|". */
static const char *diags(const tm_scan *s, char *out, size_t cap)
{
	const tm_diag_list *d = tm_scan_diags(s);
	out[0] = '\0';
	for (size_t i = 0; i < d->count; i++) {
		size_t l = strlen(out);
		snprintf(out + l, cap - l, "%s%u:%u %s", i ? "|" : "", d->items[i].loc.line, d->items[i].loc.col,
			 d->items[i].msg);
	}
	return out;
}

static const tm_pm_workload *workload(const tm_scan *s)
{
	const tm_policy *p = tm_model__policy(tm_scan_model(s));
	const tm_pm_workload *w = tm_policy__workload_of(p, "service:app/api");
	assert_non_null(w);
	return w;
}

static const struct {
	const char *what, *annotations;
	const char *inbound, *outbound; /* the facts, "|"-joined */
	const char *diag;               /* a substring of the diagnostics, or "" for none at all */
	int in_open[3];                 /* pod ports the sidecar must leave alone inbound (0 ends) */
	int in_closed[3];               /* and ports it must capture */
	int out_port;                   /* a port dialled out ... */
	tm_bypass out;                  /* ... and the decision on it */
} cases[] = {
	{"no annotation", "        other: x\n", "", "", "", {0}, {8080, 9090, 0}, 80, TM_BYPASS_NO},
	{"excluded inbound ports with spaces",
	 "        traffic.sidecar.istio.io/excludeInboundPorts: \" 9090 , 15020 \"\n", "15020|9090", "", "",
	 {9090, 15020, 0}, {8080, 0}, 80, TM_BYPASS_NO},
	{"an include list leaves every other port out",
	 "        traffic.sidecar.istio.io/includeInboundPorts: \"8080\"\n"
	 "        traffic.sidecar.istio.io/excludeInboundPorts: \"8080\"\n",
	 "every port but 8080", "", "excludeInboundPorts is not read", {9090, 0}, {8080, 0}, 80, TM_BYPASS_NO},
	{"an empty include list captures nothing", "        traffic.sidecar.istio.io/includeInboundPorts: \"\"\n",
	 "every port", "", "", {8080, 9090, 0}, {0}, 80, TM_BYPASS_NO},
	{"'*' includes every port", "        traffic.sidecar.istio.io/includeInboundPorts: \"*\"\n", "", "", "", {0},
	 {8080, 9090, 0}, 80, TM_BYPASS_NO},
	{"bad port entries are left out, said once, the rest read",
	 "        traffic.sidecar.istio.io/excludeInboundPorts: \"x1,9090,,70000,*\"\n", "9090", "",
	 "9:56 'x1' in traffic.sidecar.istio.io/excludeInboundPorts is no port number: Istio's sidecar injector "
	 "refuses the pod; the entry is left out|9:56 3 more entries",
	 {9090, 0}, {8080, 0}, 80, TM_BYPASS_NO},
	{"'*' is no exclusion", "        traffic.sidecar.istio.io/excludeInboundPorts: \"*\"\n", "", "",
	 "'*' is read only in includeInboundPorts", {0}, {8080, 9090, 0}, 80, TM_BYPASS_NO},
	{"an excluded outbound port", "        traffic.sidecar.istio.io/excludeOutboundPorts: \"5432, 80\"\n", "",
	 "port 5432|port 80", "", {0}, {8080, 0}, 80, TM_BYPASS_YES},
	{"an excluded outbound port, another dialled", "        traffic.sidecar.istio.io/excludeOutboundPorts: \"5432\"\n",
	 "", "port 5432", "", {0}, {8080, 0}, 80, TM_BYPASS_NO},
	{"every address excluded",
	 "        traffic.sidecar.istio.io/excludeOutboundIPRanges: \"10.0.0.0/8,0.0.0.0/0\"\n", "",
	 "0.0.0.0/0|10.0.0.0/8", "", {0}, {8080, 0}, 80, TM_BYPASS_YES},
	{"every IPv6 address excluded", "        traffic.sidecar.istio.io/excludeOutboundIPRanges: \"::/0\"\n", "",
	 "::/0", "", {0}, {8080, 0}, 80, TM_BYPASS_YES},
	{"a partial range: unknown for a cluster address",
	 "        traffic.sidecar.istio.io/excludeOutboundIPRanges: \"169.254.169.254/32,fd00::/8\"\n", "",
	 "169.254.169.254/32|fd00::/8", "", {0}, {8080, 0}, 80, TM_BYPASS_MAYBE},
	{"ranges are read exactly, as Go's net.ParseCIDR",
	 "        traffic.sidecar.istio.io/excludeOutboundIPRanges: \"10.0.0.0/8, 172.16.0.0/12,10.1.2.3\"\n", "",
	 "10.0.0.0/8", "' 172.16.0.0/12' in traffic.sidecar.istio.io/excludeOutboundIPRanges is no CIDR", {0},
	 {8080, 0}, 80, TM_BYPASS_MAYBE},
	{"'*' is no excluded range", "        traffic.sidecar.istio.io/excludeOutboundIPRanges: \"*\"\n", "", "",
	 "'*' is read only in includeOutboundIPRanges", {0}, {8080, 0}, 80, TM_BYPASS_NO},
	{"an empty include range list captures nothing",
	 "        traffic.sidecar.istio.io/includeOutboundIPRanges: \"\"\n", "", "every address", "", {0}, {8080, 0},
	 80, TM_BYPASS_YES},
	{"an included port is captured whatever the address",
	 "        traffic.sidecar.istio.io/includeOutboundIPRanges: \"\"\n"
	 "        traffic.sidecar.istio.io/includeOutboundPorts: \"80\"\n",
	 "", "every address (ports 80 still captured)", "", {0}, {8080, 0}, 80, TM_BYPASS_NO},
	{"a partial include list", "        traffic.sidecar.istio.io/includeOutboundIPRanges: \"10.96.0.0/12\"\n", "",
	 "every address outside 10.96.0.0/12", "", {0}, {8080, 0}, 80, TM_BYPASS_MAYBE},
	{"an excluded port wins over an included one",
	 "        traffic.sidecar.istio.io/excludeOutboundPorts: \"80\"\n"
	 "        traffic.sidecar.istio.io/includeOutboundPorts: \"80\"\n",
	 "", "port 80", "", {0}, {8080, 0}, 80, TM_BYPASS_YES},
	{"not a string", "        traffic.sidecar.istio.io/excludeInboundPorts: [9090]\n", "", "",
	 "excludeInboundPorts is not a string", {0}, {9090, 0}, 80, TM_BYPASS_NO},
};

static void annotations(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tm_scan *s = scan_annotations(cases[i].annotations);
		char got[2048];
		if (strcmp(facts(s, "sidecar_inbound_uncaptured", got, sizeof(got)), cases[i].inbound) != 0)
			fail_msg("%s: inbound facts '%s', want '%s'", cases[i].what, got, cases[i].inbound);
		if (strcmp(facts(s, "sidecar_outbound_uncaptured", got, sizeof(got)), cases[i].outbound) != 0)
			fail_msg("%s: outbound facts '%s', want '%s'", cases[i].what, got, cases[i].outbound);
		diags(s, got, sizeof(got));
		if (*cases[i].diag ? !strstr(got, cases[i].diag) : !!strstr(got, "traffic.sidecar"))
			fail_msg("%s: diagnostics '%s', want '%s'", cases[i].what, got, cases[i].diag);
		const tm_pm_workload *w = workload(s);
		for (size_t k = 0; k < 3 && cases[i].in_open[k]; k++)
			if (!tm_policy__inbound_bypass(w, cases[i].in_open[k]))
				fail_msg("%s: inbound port %d captured", cases[i].what, cases[i].in_open[k]);
		for (size_t k = 0; k < 3 && cases[i].in_closed[k]; k++)
			if (tm_policy__inbound_bypass(w, cases[i].in_closed[k]))
				fail_msg("%s: inbound port %d left out", cases[i].what, cases[i].in_closed[k]);
		const tm_pm_capture *by;
		tm_bypass b = tm_policy__outbound_bypass(w, cases[i].out_port, &by);
		if (b != cases[i].out || (b != TM_BYPASS_NO) != (by != NULL))
			fail_msg("%s: outbound port %d decided %d, want %d", cases[i].what, cases[i].out_port, b, cases[i].out);
		tm_scan_free(s);
	}
}

static void cidr_prefixes(void **state)
{
	(void)state;
	static const struct {
		const char *cidr;
		int bits;
	} cidrs[] = {
		{"10.0.0.0/8", 8},   {"0.0.0.0/0", 0},     {"169.254.169.254/32", 32}, {"10.0.0.1/8", 8},
		{"::/0", 0},	     {"fd00::/8", 8},      {"2001:db8::1/128", 128},   {"::ffff:10.0.0.0/104", 104},
		{"1:2:3:4:5:6:7:8/64", 64},
		{"10.0.0.0", -1},    {"10.0.0.0/33", -1},  {" 10.0.0.0/8", -1},	      {"10.0.0.0/8 ", -1},
		{"10.0.0/8", -1},    {"256.0.0.0/8", -1},  {"*", -1},		      {"", -1},
		{"::/129", -1},	     {"1::2::3/64", -1},   {"12345::/16", -1},	      {"1:2:3:4:5:6:7:8:9/64", -1},
		{"10.0.0.0/+8", -1}, {"10.0.0.0/", -1},
	};
	for (size_t i = 0; i < sizeof(cidrs) / sizeof(cidrs[0]); i++)
		if (tm_policy__cidr_prefix(cidrs[i].cidr) != cidrs[i].bits)
			fail_msg("'%s': %d, want %d", cidrs[i].cidr, tm_policy__cidr_prefix(cidrs[i].cidr), cidrs[i].bits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(annotations),
		cmocka_unit_test(cidr_prefixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
