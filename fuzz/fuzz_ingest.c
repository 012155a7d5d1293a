/*
 * fuzz_ingest.c - libFuzzer targets for recognition, the ingesters and $ref resolution.
 * One source, three shapes chosen by a define (fuzz/CMakeLists.txt lists the targets):
 *
 *   (none)                 fuzz_ingest: every document recognised and fed to its ingester as a
 *                          scan would; an input whose first line is "# trustmap.yaml" is read as
 *                          the overlay; the raw bytes also go through the CODEOWNERS reader.
 *   TM_FUZZ_FORMAT=TM_FMT_X  fuzz_<format>: every document goes to X's ingester whatever
 *                          tm_detect says, so a mutation that breaks the version key or the
 *                          apiVersion still reaches the ingester, and a crash names its format.
 *                          X = TM_FMT_CODEOWNERS feeds the raw bytes to the CODEOWNERS reader;
 *                          X = TM_FMT_APP_CONFIG also feeds them to the .properties and
 *                          Dockerfile readers.
 *   TM_FUZZ_PROM           fuzz_prometheus: the input is a metrics file in Prometheus text
 *                          exposition, read line by line by the runtime reader as scan.c reads a
 *                          .prom file (lines with invalid UTF-8 or a NUL byte skipped likewise).
 *   TM_FUZZ_REFS           fuzz_refs: the input is two files, split at the line REFS_SPLIT:
 *                          api/openapi.yaml and common/schemas.yaml, both registered with the
 *                          resolver; both are ingested by detection, and every "$ref" map in
 *                          them is followed.
 *
 * Forcing keeps what detection guarantees an ingester, so a crash is reachable by a real scan:
 * the root is a mapping (the overlay takes anything) holding the keys tm_detect looks for
 * (jobs and on, openapi or swagger...), whatever their values; Kubernetes, Istio and Gateway
 * API objects have a string apiVersion and kind (detail = kind, whatever the API group; kind:
 * List is expanded as scan.c does); the version keys give the API specs' and OTM's detail,
 * with a default when they are not strings.
 *
 * The gateways' set is the context's from the start (ctx.gw), as in scan.c, so gateway configs
 * found by any reader reach the gateway linkers; before, none did here.
 *
 * Every target first ingests a small fixed system (BASE: two workloads and their Services), so
 * the overlay, CODEOWNERS, policies and API specs have workloads to link to, then freezes the
 * model and asks who can call each of the first services. $refs to files not in memory point
 * under a directory that does not exist, so they exercise the error paths without the disk.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ingest/ingest.h"
#include "ingest/runtime.h"
#include "trustmap/query.h"

#define ROOT "/nonexistent-fuzz-root"
#define REFS_SPLIT "\n# -- common/schemas.yaml --\n"
#define MAX_REF_WALK 100000

#if defined(TM_FUZZ_FORMAT)
#define READS_CODEOWNERS (TM_FUZZ_FORMAT == TM_FMT_CODEOWNERS)
#elif defined(TM_FUZZ_REFS) || defined(TM_FUZZ_PROM)
#define READS_CODEOWNERS false
#else
#define READS_CODEOWNERS true
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char BASE[] = "apiVersion: v1\n"
			   "kind: Namespace\n"
			   "metadata: {name: shop, labels: {istio-injection: enabled}}\n"
			   "---\n"
			   "apiVersion: apps/v1\n"
			   "kind: Deployment\n"
			   "metadata: {name: orders, namespace: shop}\n"
			   "spec:\n"
			   "  selector: {matchLabels: {app: orders}}\n"
			   "  template:\n"
			   "    metadata: {labels: {app: orders}}\n"
			   "    spec:\n"
			   "      serviceAccountName: orders\n"
			   "      containers:\n"
			   "      - name: orders\n"
			   "        image: ghcr.io/acme/orders:1.0\n"
			   "        ports: [{containerPort: 8080, name: http}]\n"
			   "        env: [{name: PAYMENTS_ADDR, value: 'payments:8080'}]\n"
			   "---\n"
			   "apiVersion: v1\n"
			   "kind: Service\n"
			   "metadata: {name: orders, namespace: shop}\n"
			   "spec: {selector: {app: orders}, ports: [{port: 80, targetPort: http}]}\n"
			   "---\n"
			   "apiVersion: apps/v1\n"
			   "kind: Deployment\n"
			   "metadata: {name: payments, namespace: shop}\n"
			   "spec:\n"
			   "  selector: {matchLabels: {app: payments}}\n"
			   "  template:\n"
			   "    metadata: {labels: {app: payments}}\n"
			   "    spec: {containers: [{name: payments, image: 'ghcr.io/acme/payments:2'}]}\n"
			   "---\n"
			   "apiVersion: v1\n"
			   "kind: Service\n"
			   "metadata: {name: payments, namespace: shop}\n"
			   "spec: {selector: {app: payments}, ports: [{port: 8080}]}\n";

/* One fuzzing run: the ingesters begun so far and their states, as in scan.c. */
typedef struct {
	tm_ingest_ctx ctx;
	void *state[TM_FMT__COUNT];
	bool begun[TM_FMT__COUNT];
} run;

static void feed(run *r, tm_format fmt, const tm_file *f, const tm_value *doc, const char *detail)
{
	const tm_ingester *ing = tm_format_ingester(fmt);
	if (!ing)
		return;
	if (!r->begun[fmt]) {
		r->begun[fmt] = true;
		r->state[fmt] = ing->begin ? ing->begin(&r->ctx) : NULL;
	}
	ing->doc(&r->ctx, r->state[fmt], f, doc, detail);
}

static void feed_detected(run *r, const tm_file *f, const char *base)
{
	for (size_t i = 0; i < tm_file_doc_count(f); i++) {
		tm_detected det;
		tm_detect(tm_file_doc(f, i), base, &det);
		if (!det.unsupported)
			feed(r, det.format, f, tm_file_doc(f, i), det.detail);
	}
}

#ifdef TM_FUZZ_FORMAT
/* Where the input claims to live: the overlay and CODEOWNERS are found by name, the rest
 * sits where a repository would keep it (CODEOWNERS patterns match these paths). */
static const char *input_path(tm_format fmt)
{
	switch (fmt) {
	case TM_FMT_OVERLAY: return "trustmap.yaml";
	case TM_FMT_CODEOWNERS: return "CODEOWNERS";
	case TM_FMT_GITHUB_WORKFLOW: return ".github/workflows/ci.yml";
	case TM_FMT_OPENAPI: return "api/openapi.yaml";
	case TM_FMT_ASYNCAPI: return "api/asyncapi.yaml";
	case TM_FMT_TERRAFORM_PLAN: return "infra/plan.json";
	case TM_FMT_OTM: return "model/otm.json";
	case TM_FMT_APP_CONFIG: return "src/Orders.API/appsettings.Development.json";
	default: return "k8s/input.yaml";
	}
}

static bool has(const tm_value *root, const char *key)
{
	return tm_map_get(root, key) != NULL;
}

/* The keys tm_detect needs to route a mapping to fmt are there (their values are free). */
static bool shape_ok(tm_format fmt, const tm_value *doc)
{
	switch (fmt) {
	case TM_FMT_OPENAPI: return has(doc, "openapi") || has(doc, "swagger");
	case TM_FMT_ASYNCAPI: return has(doc, "asyncapi");
	case TM_FMT_OTM: return has(doc, "otmVersion");
	case TM_FMT_GITHUB_WORKFLOW: return has(doc, "jobs") && has(doc, "on");
	case TM_FMT_TERRAFORM_PLAN:
		return (has(doc, "format_version") && (has(doc, "planned_values") || has(doc, "resource_changes"))) ||
		       (has(doc, "terraform_version") &&
			(has(doc, "resources") || has(doc, "values") || has(doc, "modules")));
	default: return true;
	}
}

static const char *str_or(const tm_value *root, const char *key, const char *dflt)
{
	const char *s = tm_map_get_str(root, key);
	return s ? s : dflt;
}

/* doc into the forced ingester, with the detail detection would give it (see the top). */
static void feed_forced(run *r, tm_format fmt, const tm_file *f, const tm_value *doc, unsigned depth)
{
	if (fmt == TM_FMT_OVERLAY) {
		feed(r, fmt, f, doc, NULL);
		return;
	}
	if (tm_value_kind_of(doc) != TM_VALUE_MAP || !shape_ok(fmt, doc))
		return;
	switch (fmt) {
	case TM_FMT_KUBERNETES:
	case TM_FMT_ISTIO:
	case TM_FMT_GATEWAY_API: {
		const char *kind = tm_map_get_str(doc, "kind");
		if (!kind || !tm_map_get_str(doc, "apiVersion"))
			return;
		if (strcmp(kind, "List") == 0 && depth == 0) {
			const tm_value *items = tm_map_get(doc, "items");
			for (size_t i = 0; i < tm_value_len(items); i++)
				feed_forced(r, fmt, f, tm_seq_at(items, i), depth + 1);
			return;
		}
		feed(r, fmt, f, doc, kind);
		return;
	}
	case TM_FMT_OPENAPI:
		feed(r, fmt, f, doc, str_or(doc, "openapi", str_or(doc, "swagger", "3.0.3")));
		return;
	case TM_FMT_ASYNCAPI:
		feed(r, fmt, f, doc, str_or(doc, "asyncapi", "2.6.0"));
		return;
	case TM_FMT_OTM:
		feed(r, fmt, f, doc, str_or(doc, "otmVersion", "0.2.0"));
		return;
	case TM_FMT_TERRAFORM_PLAN:
		feed(r, fmt, f, doc, tm_map_get_str(doc, "format_version"));
		return;
	case TM_FMT_APP_CONFIG:
		feed(r, fmt, f, doc, "appsettings");
		return;
	default:
		feed(r, fmt, f, doc, NULL);
		return;
	}
}
#endif

#ifdef TM_FUZZ_REFS
/* Follow every "$ref" map in v, as the API ingesters would on their own walks. */
static void follow_all(tm_refs *refs, const tm_file *f, const tm_value *v, unsigned depth, size_t *budget)
{
	if (!v || depth > 64 || *budget == 0)
		return;
	(*budget)--;
	if (tm_value_kind_of(v) == TM_VALUE_MAP) {
		if (tm_map_get(v, "$ref")) {
			const tm_file *tf = f;
			(void)tm_refs_deref(refs, &tf, v);
		}
		for (size_t k = 0; k < tm_value_len(v); k++)
			follow_all(refs, f, tm_map_value(v, k), depth + 1, budget);
	} else if (tm_value_kind_of(v) == TM_VALUE_SEQ) {
		for (size_t k = 0; k < tm_value_len(v); k++)
			follow_all(refs, f, tm_seq_at(v, k), depth + 1, budget);
	}
}
#endif

/* Parse one in-memory file and register it with the resolver; NULL if it did not parse. */
static tm_file *add_file(run *r, const tm_limits *lim, const char *path, const char *buf, size_t len)
{
	tm_file *f = NULL;
	if (tm_file_parse(&f, path, buf, len, lim, r->ctx.diags))
		return NULL;
	char fs[256];
	snprintf(fs, sizeof(fs), ROOT "/%s", path);
	if (tm_refs_add_file(r->ctx.refs, f, fs)) {
		tm_file_free(f);
		return NULL;
	}
	return f;
}

/* Freeze the model and evaluate who can call each of the first services. */
static void finish(run *r)
{
	tm_ingest__finish_all(&r->ctx, r->state, r->begun, NULL);
}

static void query(const tm_model *m)
{
	for (size_t i = 0; m && i < tm_model_node_count(m) && i < 40; i++) {
		const tm_node *n = tm_model_node(m, i);
		if (tm_node_kind_of(n) != TM_NODE_SERVICE)
			continue;
		tm_request req = {0};
		req.destination = tm_node_id(n);
		req.path = "/admin";
		tm_callers c;
		tm_query_who_can_call(&c, m, &req);
		tm_callers_dispose(&c); /* whatever the result: a failure keeps its reason */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_nodes = 200000;
	lim.max_alias_expansion = 10000;
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *base = NULL, *f = NULL, *g = NULL;
	tm_model *m = NULL;
	run r;
	memset(&r, 0, sizeof(r));
	r.ctx.diags = &d;
	r.ctx.scratch = tm_arena_new();
	r.ctx.refs = r.ctx.scratch ? tm_refs_new(r.ctx.scratch, &lim, &d) : NULL;
	r.ctx.mb = tm_mb_new();
	if (!r.ctx.refs || !r.ctx.mb || tm_refs_add_root(r.ctx.refs, ROOT))
		goto done;
	/* gateways are found by several readers: their set is the context's from the start, as in scan.c */
	r.begun[TM_FMT_GATEWAY] = true;
	r.ctx.gw = r.state[TM_FMT_GATEWAY] = tm_format_ingester(TM_FMT_GATEWAY)->begin(&r.ctx);
	if ((base = add_file(&r, &lim, "k8s/base.yaml", BASE, sizeof(BASE) - 1)) != NULL)
		feed_detected(&r, base, "base.yaml");
#if defined(TM_FUZZ_REFS)
	const char *cut = NULL;
	size_t sl = strlen(REFS_SPLIT);
	for (size_t i = 0; !cut && i + sl <= size; i++)
		if (memcmp(text + i, REFS_SPLIT, sl) == 0)
			cut = text + i;
	size_t la = cut ? (size_t)(cut - text) : size;
	f = add_file(&r, &lim, "api/openapi.yaml", text, la);
	if (cut)
		g = add_file(&r, &lim, "common/schemas.yaml", cut + sl, size - la - sl);
	size_t budget = MAX_REF_WALK;
	for (size_t i = 0; f && i < tm_file_doc_count(f); i++)
		follow_all(r.ctx.refs, f, tm_file_doc(f, i), 0, &budget);
	for (size_t i = 0; g && i < tm_file_doc_count(g); i++)
		follow_all(r.ctx.refs, g, tm_file_doc(g, i), 0, &budget);
	if (f)
		feed_detected(&r, f, "openapi.yaml");
	if (g)
		feed_detected(&r, g, "schemas.yaml");
#elif defined(TM_FUZZ_PROM)
	{
		const tm_ingester *ing = tm_format_ingester(TM_FMT_RUNTIME_MAP);
		if (ing && !r.begun[TM_FMT_RUNTIME_MAP]) {
			r.begun[TM_FMT_RUNTIME_MAP] = true;
			r.state[TM_FMT_RUNTIME_MAP] = ing->begin ? ing->begin(&r.ctx) : NULL;
		}
		void *rt = r.state[TM_FMT_RUNTIME_MAP];
		uint32_t lineno = 0;
		for (size_t at = 0; rt && at < size;) {
			const char *nl = memchr(text + at, '\n', size - at);
			size_t len = nl ? (size_t)(nl - (text + at)) : size - at;
			lineno++;
			if (tm_utf8_check((const unsigned char *)text + at, len) == len && !memchr(text + at, '\0', len))
				tm_rt__prom_line(&r.ctx, rt, "metrics.prom", lineno, text + at, len);
			at += len + 1;
		}
	}
#elif defined(TM_FUZZ_FORMAT)
	tm_format fmt = TM_FUZZ_FORMAT;
	if (fmt != TM_FMT_CODEOWNERS && (f = add_file(&r, &lim, input_path(fmt), text, size)) != NULL)
		for (size_t i = 0; i < tm_file_doc_count(f); i++)
			feed_forced(&r, fmt, f, tm_file_doc(f, i), 0);
	/* the same bytes as a Java .properties file, as scan.c hands one over (no NUL byte: it skips
	 * such a file before) */
	if (fmt == TM_FMT_APP_CONFIG && !memchr(text, '\0', size))
		tm_ingest__properties_text(&r.ctx, "src/main/resources/application.properties", "spring", text, size);
	/* and as the orders image's Dockerfile (scan.c hands over UTF-8 text only; the reader checks) */
	if (fmt == TM_FMT_APP_CONFIG)
		tm_ingest__dockerfile_text(&r.ctx, "orders/Dockerfile", text, size);
#else
	bool overlay = size >= 15 && memcmp(data, "# trustmap.yaml", 15) == 0;
	if ((f = add_file(&r, &lim, overlay ? "trustmap.yaml" : "fuzz/input.yaml", text, size)) != NULL)
		feed_detected(&r, f, overlay ? "trustmap.yaml" : "input.yaml");
#endif
	finish(&r);
	tm_gw_set_free(r.ctx.gw); /* read by the API linkers, after its own finish */
	r.ctx.gw = NULL;
	if (READS_CODEOWNERS)
		tm_ingest__codeowners(&r.ctx, "CODEOWNERS", text, size);
	tm_mb_finish(r.ctx.mb, &m);
	r.ctx.mb = NULL;
	query(m);
	tm_model_free(m);
done:
	tm_gw_set_free(r.ctx.gw);
	tm_mb_free(r.ctx.mb);
	tm_refs_free(r.ctx.refs);
	tm_hmap_dispose(&r.ctx.balanced); /* what the ingesters hand each other, as scan.c frees it */
	tm_hmap_dispose(&r.ctx.protos);
	tm_arena_free(r.ctx.scratch);
	tm_file_free(g);
	tm_file_free(f);
	tm_file_free(base);
	tm_diag_list_dispose(&d);
	return 0;
}
