/* test_pair.c - the two sides of a diff with the same inputs get one analysis (tm_analysis_run_pair,
 * tm_scan_set_same), and any difference the analysis could see, in a manifest, a file only a chart's
 * render reads, a text input or a file a $ref reaches outside the walk, gets two. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "trustmap/analysis.h"
#include "trustmap/doc.h"
#include "trustmap/findings.h"
#include "trustmap/scan.h"
#include "util/util.h"

/* A small system of every kind the comparison treats apart: a manifest, an API spec whose schema
 * is a $ref into another file, a chart whose template includes a helper (read by the render only),
 * and a .proto (text handed to its ingester). */
static const struct {
	const char *path, *text;
} tree[] = {
	{"k8s/app.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: shop}\n"
			 "spec:\n  selector: {matchLabels: {app: app}}\n  template:\n"
			 "    metadata: {labels: {app: app}}\n    spec:\n      containers:\n"
			 "      - name: app\n        image: registry.example.com/app:1.0\n"
			 "        securityContext: {privileged: false}\n"},
	{"api/openapi.yaml", "openapi: 3.0.3\ninfo: {title: app, version: '1'}\n"
			     "x-trustmap-service: app\npaths:\n  /pets/{petId}:\n    get:\n"
			     "      parameters:\n      - {name: petId, in: path, required: true, schema: {type: integer}}\n"
			     "      responses:\n        '200':\n          description: ok\n          content:\n"
			     "            application/json:\n              schema: {$ref: 'schemas.yaml#/Pet'}\n"},
	{"api/schemas.yaml", "Pet:\n  type: object\n  properties:\n    name: {type: string}\n"},
	{"chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n"},
	{"chart/values.yaml", "image: registry.example.com/web:1.0\n"},
	{"chart/templates/_helpers.tpl", "{{- define \"web.name\" -}}web{{- end -}}\n"},
	{"chart/templates/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n"
					"metadata: {name: {{ include \"web.name\" . }}, namespace: shop}\n"
					"spec:\n  selector: {matchLabels: {app: web}}\n  template:\n"
					"    metadata: {labels: {app: web}}\n    spec:\n      containers:\n"
					"      - name: web\n        image: {{ .Values.image }}\n"},
	{"proto/app.proto", "syntax = \"proto3\";\npackage shop;\nservice App { rpc Get (Req) returns (Res); }\n"
			    "message Req {}\nmessage Res {}\n"},
};

static void put(const char *root, const char *rel, const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The tree under a new directory, with one file's text replaced (or added) when path is not NULL. */
static char *make_tree(const char *path, const char *text)
{
	char tmpl[] = "/tmp/tm_pair_XXXXXX";
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	bool replaced = false;
	for (size_t i = 0; i < TM_ARRAY_LEN(tree); i++) {
		bool mine = path && strcmp(path, tree[i].path) == 0;
		put(dir, tree[i].path, mine ? text : tree[i].text);
		replaced |= mine;
	}
	if (path && !replaced) /* a file of its own */
		put(dir, path, text);
	return strdup(dir);
}

static void remove_tree(char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

struct run {
	tm_analysis *an[2];
	int rcs[2];
	bool shared;
};

/* Head at a, base at b (or the files of b in memory when mem), through one shared in-memory parse
 * cache as a diff reads them, or none. */
static struct run run_pair(const char *a, const char *b, bool cache, const char *const *exclude, size_t nexclude)
{
	const char *ra[] = {a}, *rb[] = {b};
	tm_analysis_opts opts[2];
	for (int i = 0; i < 2; i++) {
		opts[i] = (tm_analysis_opts){.roots = i ? rb : ra, .nroots = 1, .exclude = exclude, .nexclude = nexclude,
					     .no_gitignore = true, .defer_blast = true};
		tm_limits_default(&opts[i].limits);
	}
	tm_parse_cache *pc = cache ? tm_parse_cache_open_memory() : NULL;
	if (pc) {
		opts[0].cache = opts[1].cache = pc;
		tm_parse_cache_share(pc, 2);
	}
	struct run r;
	r.shared = tm_analysis_run_pair(r.an, opts, r.rcs);
	if (pc) {
		tm_parse_cache_share(pc, 0);
		tm_parse_cache_close(pc);
	}
	assert_non_null(r.an[0]);
	assert_non_null(r.an[1]);
	assert_int_equal(r.rcs[0], 0);
	assert_int_equal(r.rcs[1], 0);
	return r;
}

static void run_free(struct run *r)
{
	if (r->an[1] != r->an[0])
		tm_analysis_free(r->an[1]);
	tm_analysis_free(r->an[0]);
}

/* The pair for a tree against a copy with one file changed (path NULL: an exact copy). */
static bool shared_with(const char *path, const char *text, bool cache)
{
	char *a = make_tree(NULL, NULL), *b = make_tree(path, text);
	struct run r = run_pair(a, b, cache, NULL, 0);
	bool shared = r.shared;
	if (shared) {
		assert_ptr_equal(r.an[0], r.an[1]);
	} else {
		assert_ptr_not_equal(r.an[0], r.an[1]);
		/* two whole analyses, each of its own side */
		assert_true(tm_analysis_complete(r.an[0]) && tm_analysis_complete(r.an[1]));
	}
	run_free(&r);
	remove_tree(a);
	remove_tree(b);
	return shared;
}

static void same_inputs_one_analysis(void **state)
{
	(void)state;
	assert_true(shared_with(NULL, NULL, true));
	/* without a cache to share the parsed files, the bytes are compared */
	assert_true(shared_with(NULL, NULL, false));
}

/* Source code and docs are no input: a side with more of them still has the same inputs. */
static void files_no_input_reads(void **state)
{
	(void)state;
	assert_true(shared_with("src/main.go", "package main\nfunc main() {}\n", true));
	assert_true(shared_with("NOTES.md", "# notes\n", false));
}

static void a_changed_manifest_two(void **state)
{
	(void)state;
	const char *priv = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: shop}\n"
			   "spec:\n  selector: {matchLabels: {app: app}}\n  template:\n"
			   "    metadata: {labels: {app: app}}\n    spec:\n      containers:\n"
			   "      - name: app\n        image: registry.example.com/app:1.0\n"
			   "        securityContext: {privileged: true}\n";
	assert_false(shared_with("k8s/app.yaml", priv, true));
	assert_false(shared_with("k8s/app.yaml", priv, false));
	/* a comment is a change of bytes too: the comparison never judges what a change means */
	assert_false(shared_with("api/schemas.yaml", "# a comment\nPet:\n  type: object\n", true));
}

static void a_file_only_the_render_reads(void **state)
{
	(void)state;
	/* the helper is no input of its own: only the chart's render reads it (tm_fsys_record) */
	assert_false(shared_with("chart/templates/_helpers.tpl", "{{- define \"web.name\" -}}admin{{- end -}}\n", true));
	assert_false(shared_with("chart/values.yaml", "image: registry.example.com/web:2.0\n", true));
}

static void a_text_input(void **state)
{
	(void)state;
	assert_false(shared_with("proto/app.proto",
				 "syntax = \"proto3\";\npackage shop;\nservice App { rpc Del (Req) returns (Res); }\n"
				 "message Req {}\nmessage Res {}\n",
				 true));
}

/* A $ref to a file the walk leaves out is read while the model is built, after the comparison:
 * the sides are analysed apart even when nothing differs. */
static void a_ref_outside_the_walk(void **state)
{
	(void)state;
	const char *spec = "openapi: 3.0.3\ninfo: {title: app, version: '1'}\nx-trustmap-service: app\npaths:\n"
			   "  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n"
			   "          content:\n            application/json:\n"
			   "              schema: {$ref: '../extra/pet.yaml#/Pet'}\n";
	char *a = make_tree("extra/pet.yaml", "Pet: {type: object}\n"), *b = make_tree("extra/pet.yaml", "Pet: {type: object}\n");
	put(a, "api/openapi.yaml", spec);
	put(b, "api/openapi.yaml", spec);
	const char *exclude[] = {"extra/**"};
	struct run r = run_pair(a, b, true, exclude, 1);
	assert_false(r.shared);
	assert_ptr_not_equal(r.an[0], r.an[1]);
	assert_true(tm_analysis_complete(r.an[1]));
	run_free(&r);
	/* without the exclusion the target is in the walk, compared with the rest */
	r = run_pair(a, b, true, NULL, 0);
	assert_true(r.shared);
	run_free(&r);
	remove_tree(a);
	remove_tree(b);
}

/* The plan of the tree at root, with the default limits but max_documents (0: the default). */
static tm_scan_set *plan_of(const char *root, size_t max_documents)
{
	const char *roots[] = {root};
	tm_scan_opts o = {.roots = roots, .nroots = 1, .no_gitignore = true};
	tm_limits_default(&o.limits);
	if (max_documents)
		o.limits.max_documents = max_documents;
	tm_scan_set *set = NULL;
	assert_int_equal(tm_scan_plan(&set, &o), 0);
	return set;
}

/* The plans of a and b (one directory each, no cache: every byte compared; b's with max_documents),
 * and whether they hold the same inputs. */
static bool plans_same(const char *a, const char *b, tm_scan_set **sa, tm_scan_set **sb, size_t max_documents)
{
	*sa = plan_of(a, 0);
	*sb = plan_of(b, max_documents);
	return tm_scan_set_same(*sa, 0, *sb, 0);
}

/* The plans and their trees, gone. */
static void plans_free(tm_scan_set *sa, tm_scan_set *sb, char *a, char *b)
{
	tm_scan_set_free(sa);
	tm_scan_set_free(sb);
	remove_tree(a);
	remove_tree(b);
}

/* A text input (read while the model is built, after the comparison) that changes in between is
 * a read the comparison did not see: the analysis of the first side says so, and is not shared. */
static void changed_after_the_comparison(void **state)
{
	(void)state;
	char *a = make_tree(NULL, NULL), *b = make_tree(NULL, NULL);
	tm_scan_set *sa, *sb;
	assert_true(plans_same(a, b, &sa, &sb, 0));
	tm_scan *s = NULL;
	assert_int_equal(tm_scan_set_run(sa, 0, &s), 0);
	assert_int_equal(tm_scan_outside_reads(s), 0); /* nothing changed: nothing unseen */
	tm_scan_free(s);
	tm_scan_set_free(sa);
	tm_scan_set_free(sb);

	assert_true(plans_same(a, b, &sa, &sb, 0));
	sleep(1); /* a file system whose times tick in seconds still sees the write */
	put(a, "proto/app.proto", "syntax = \"proto3\";\npackage shop;\nservice App { rpc Del (Req) returns (Res); }\n"
				 "message Req {}\nmessage Res {}\n");
	assert_int_equal(tm_scan_set_run(sa, 0, &s), 0);
	assert_true(tm_scan_outside_reads(s) > 0);
	tm_scan_free(s);
	plans_free(sa, sb, a, b);
}

/* A parsed file changed between its parse and the comparison, to the other side's bytes: its tree
 * holds the old bytes, and its digest says so. */
static void changed_before_the_comparison(void **state)
{
	(void)state;
	const char *priv = "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n";
	char *a = make_tree(NULL, NULL), *b = make_tree("k8s/ns.yaml", priv);
	put(a, "k8s/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
	tm_scan_set *sa = plan_of(a, 0);
	put(a, "k8s/ns.yaml", priv); /* now the same bytes as b's, but a's tree is of the old */
	tm_scan_set *sb = plan_of(b, 0);
	assert_false(tm_scan_set_same(sa, 0, sb, 0));
	plans_free(sa, sb, a, b);
}

/* Other limits read the same bytes otherwise: not the same plan. */
static void other_limits(void **state)
{
	(void)state;
	char *a = make_tree(NULL, NULL), *b = make_tree(NULL, NULL);
	tm_scan_set *sa, *sb;
	assert_false(plans_same(a, b, &sa, &sb, 7));
	plans_free(sa, sb, a, b);
}

/* Both sides weighed as one: tm_analysis_weigh_review takes the shared analysis as both. */
static void shared_analysis_weighs_once(void **state)
{
	(void)state;
	char *a = make_tree(NULL, NULL), *b = make_tree(NULL, NULL);
	struct run r = run_pair(a, b, true, NULL, 0);
	assert_true(r.shared);
	size_t n = tm_findings_count(tm_analysis_findings(r.an[0]));
	assert_int_equal(tm_analysis_weigh_review(r.an[1], r.an[0]), 0);
	assert_int_equal(tm_findings_count(tm_analysis_findings(r.an[0])), n);
	run_free(&r);
	remove_tree(a);
	remove_tree(b);
}

/* The counts the plan tells its progress callback, and whether one passed its total. */
struct counts {
	size_t n, last_done, last_total;
	bool past;
};

static void count_progress(void *ud, const char *phase)
{
	struct counts *c = ud;
	size_t done, total;
	if (sscanf(phase, "reading inputs: %zu of %zu files", &done, &total) != 2)
		return;
	c->n++;
	c->past |= done > total;
	c->last_done = done;
	c->last_total = total;
}

/* Files are read in two passes (before and after the charts render); the second counted every file
 * again, read or not ("512 of 310 files"). Each count is of the files read so far, against those
 * the passes set out to read, and the last one is whole. */
static void progress_counts_within_total(void **state)
{
	(void)state;
	char *a = make_tree(NULL, NULL);
	for (int i = 0; i < 300; i++) {
		char rel[64], text[160];
		snprintf(rel, sizeof(rel), "more/cm-%03d.yaml", i);
		snprintf(text, sizeof(text), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-%d, namespace: shop}\n", i);
		put(a, rel, text);
	}
	const char *roots[] = {a};
	struct counts c = {0};
	tm_scan_opts o = {.roots = roots, .nroots = 1, .no_gitignore = true, .progress = count_progress, .progress_ud = &c};
	tm_limits_default(&o.limits);
	tm_scan_set *set = NULL;
	assert_int_equal(tm_scan_plan(&set, &o), 0);
	assert_true(c.n >= 2); /* one at 256, one at the end */
	assert_false(c.past);
	assert_int_equal(c.last_done, c.last_total);
	assert_true(c.last_total >= 300);
	tm_scan_set_free(set);
	remove_tree(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_inputs_one_analysis),
		cmocka_unit_test(files_no_input_reads),
		cmocka_unit_test(a_changed_manifest_two),
		cmocka_unit_test(a_file_only_the_render_reads),
		cmocka_unit_test(a_text_input),
		cmocka_unit_test(a_ref_outside_the_walk),
		cmocka_unit_test(changed_after_the_comparison),
		cmocka_unit_test(changed_before_the_comparison),
		cmocka_unit_test(other_limits),
		cmocka_unit_test(shared_analysis_weighs_once),
		cmocka_unit_test(progress_counts_within_total),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
