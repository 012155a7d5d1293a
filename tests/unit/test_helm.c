/*
 * test_helm.c - charts rendered natively (tm_helm_render) from in-memory files: helpers with
 * define/include/nindent, values files over values.yaml, subchart values scoping and global,
 * conditions and tags, declared but missing dependencies, archives, NOTES.txt and partials
 * skipped, test hooks marked, .Files, .Release/.Capabilities defaults, the line map, an
 * unsupported function reported with its position while the rest renders, and a chart that
 * recurses forever bounded; a library chart declared but not vendored stood in for, one
 * declared at file://PATH read from the tree; values given whole and --set values typed as
 * Helm's strvals types them, and values files that replace values.yaml (a GitOps release's); a
 * value required and not given rendered as a placeholder, each such call told.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "render/fsys.h"
#include "render/helm.h"
#include "trustmap/doc.h"

typedef struct {
	tm_fsys fs;
	tm_fsys_mem mem;
	const char *files[32];
	const char *data[32];
	size_t lens[32];
	tm_diag_list d;
	tm_helm_out *out;
	int rc;
} chart;

/* pairs: path, content, ..., NULL */
static void load(chart *c, const char *const *pairs)
{
	memset(c, 0, sizeof(*c));
	size_t n = 0;
	for (; pairs[2 * n]; n++) {
		c->files[n] = pairs[2 * n];
		c->data[n] = pairs[2 * n + 1];
		c->lens[n] = strlen(pairs[2 * n + 1]);
	}
	c->mem.files = c->files;
	c->mem.data = c->data;
	c->mem.lens = c->lens;
	c->mem.n = n;
	tm_fsys_mem_init(&c->fs, &c->mem);
	tm_diag_list_init(&c->d);
}

static void render(chart *c, const char *const *values_files, size_t nvalues)
{
	tm_helm_opts o;
	memset(&o, 0, sizeof(o));
	o.fs = &c->fs;
	o.chart_dir = "app";
	o.display_dir = "deploy/app";
	o.values_files = values_files;
	o.nvalues_files = nvalues;
	o.diags = &c->d;
	c->rc = tm_helm_render(&o, &c->out);
}

static void done(chart *c)
{
	tm_helm_out_free(c->out);
	tm_diag_list_dispose(&c->d);
}

static const tm_helm_manifest *find(const chart *c, const char *path)
{
	for (size_t i = 0; c->out && i < c->out->count; i++)
		if (strcmp(c->out->manifests[i].path, path) == 0)
			return &c->out->manifests[i];
	return NULL;
}

static const char *diag_with(const chart *c, const char *needle)
{
	for (size_t i = 0; i < c->d.count; i++)
		if (strstr(c->d.items[i].msg, needle))
			return c->d.items[i].msg;
	return NULL;
}

static const char *const app[] = {
	"app/Chart.yaml",
	"apiVersion: v2\nname: app\nversion: 1.2.3\nappVersion: \"2.0\"\ndependencies:\n"
	"  - name: db\n    version: 1.0.0\n    condition: db.enabled\n"
	"  - name: cache\n    version: 1.0.0\n    tags: [extras]\n"
	"  - name: queue\n    version: 1.0.0\n    repository: https://example.com\n",
	"app/values.yaml", "replicas: 2\nimage: {repo: web, tag: \"\"}\nglobal: {env: prod}\ndb: {enabled: true, size: 5}\n"
			   "cache: {enabled: false}\ntags: {extras: false}\n",
	"app/templates/_helpers.tpl",
	"{{- define \"app.labels\" -}}\napp: {{ .Chart.Name }}\nrelease: {{ .Release.Name }}\n{{- end }}\n"
	"{{- define \"app.image\" -}}\n{{ .Values.image.repo }}:{{ .Values.image.tag | default .Chart.AppVersion }}\n{{- end }}\n",
	"app/templates/deployment.yaml",
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-app\n  namespace: {{ .Release.Namespace }}\n"
	"  labels:\n    {{- include \"app.labels\" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n"
	"  template:\n    spec:\n      containers:\n        - image: {{ include \"app.image\" . | quote }}\n"
	"          env:\n            - {name: KUBE, value: {{ .Capabilities.KubeVersion.Version | quote }}}\n"
	"            - {name: CONF, value: {{ .Files.Get \"conf/app.ini\" | trim | quote }}}\n",
	"app/templates/NOTES.txt", "Thanks for installing {{ .Chart.Name }}\n",
	"app/templates/empty.yaml", "{{- if .Values.nothing }}\nkind: Never\n{{- end }}\n",
	"app/templates/tests/test-conn.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n",
	"app/templates/odd.yaml", "a: 1\nb: {{ genPrivateKey \"rsa\" }}\nc: {{ .Values.replicas }}\n",
	"app/templates/meta.yaml",
	"deps: {{ range .Chart.Dependencies }}{{ .Name }}{{ with .Condition }}({{ . }}){{ end }} {{ end }}\n",
	"app/templates/subs.yaml",
	"port: {{ .Subcharts.db.Values.port }}\nname: {{ .Subcharts.db.Chart.Name }}\ncache: {{ hasKey .Subcharts \"cache\" }}\n",
	"app/conf/app.ini", "  mode=fast  \n",
	"app/charts/db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.0.0\n",
	"app/charts/db/values.yaml", "size: 1\nport: 5432\nglobal: {env: dev, region: eu}\n",
	"app/charts/db/templates/svc.yaml",
	"kind: Service\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\nspec:\n  size: {{ .Values.size }}\n"
	"  port: {{ .Values.port }}\n  env: {{ .Values.global.env }}\n  region: {{ .Values.global.region }}\n",
	"app/charts/cache/Chart.yaml", "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
	"app/charts/cache/templates/cm.yaml", "kind: ConfigMap\n",
	"app/charts/old.tgz", "not really gzip",
	"app/extra.yaml", "replicas: 3\nimage: {tag: v9}\n",
	NULL,
};

static void renders_a_chart(void **state)
{
	(void)state;
	chart c;
	load(&c, app);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *m = find(&c, "deploy/app/templates/deployment.yaml");
	assert_non_null(m);
	assert_string_equal(m->text,
			    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: release-name-app\n  namespace: default\n"
			    "  labels:\n    app: app\n    release: release-name\nspec:\n  replicas: 2\n"
			    "  template:\n    spec:\n      containers:\n        - image: \"web:2.0\"\n"
			    "          env:\n            - {name: KUBE, value: \"v1.30.0\"}\n"
			    "            - {name: CONF, value: \"mode=fast\"}\n");
	assert_false(m->test_hook);
	/* line map: line 7 ("    app: app") came from the include action on template line 7; line 8 too */
	assert_true(m->nlines >= 17);
	assert_int_equal(m->lines[0], 1);
	assert_int_equal(m->lines[6], 7);
	assert_int_equal(m->lines[7], 7);
	assert_int_equal(m->lines[8], 8);
	assert_string_equal(m->line_paths[0], "deploy/app/templates/deployment.yaml");
	/* NOTES.txt, partials and empty output are not manifests; test hooks are, marked */
	assert_null(find(&c, "deploy/app/templates/NOTES.txt"));
	assert_null(find(&c, "deploy/app/templates/_helpers.tpl"));
	assert_null(find(&c, "deploy/app/templates/empty.yaml"));
	const tm_helm_manifest *t = find(&c, "deploy/app/templates/tests/test-conn.yaml");
	assert_non_null(t);
	assert_true(t->test_hook);
	/* subchart: its own values under its name, the parent's global wins; cache is off by tag */
	const tm_helm_manifest *s = find(&c, "deploy/app/charts/db/templates/svc.yaml");
	assert_non_null(s);
	assert_string_equal(s->text, "kind: Service\nmetadata:\n  name: release-name-db\nspec:\n  size: 5\n"
				     "  port: 5432\n  env: prod\n  region: eu\n");
	assert_null(find(&c, "deploy/app/charts/cache/templates/cm.yaml"));
	const tm_helm_manifest *meta = find(&c, "deploy/app/templates/meta.yaml");
	assert_non_null(meta);
	assert_string_equal(meta->text, "deps: db(db.enabled) cache queue \n");
	/* .Subcharts: each enabled subchart's objects */
	const tm_helm_manifest *sub = find(&c, "deploy/app/templates/subs.yaml");
	assert_non_null(sub);
	assert_string_equal(sub->text, "port: 5432\nname: db\ncache: false\n");
	/* the consumed files are display paths */
	bool saw_ini = false;
	for (size_t i = 0; i < c.out->nconsumed; i++)
		saw_ini |= strcmp(c.out->consumed[i], "deploy/app/conf/app.ini") == 0;
	assert_true(saw_ini);
	done(&c);
}

/* .Release.Namespace: helm template's "default" unless the release's namespace is given; a render
 * that read it (through a subchart's partial too) says so, one whose templates only define a
 * helper naming it, never called, does not. */
static void release_namespace_is_named(void **state)
{
	(void)state;
	static const char *const named[] = {
		"app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"app/templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  namespace: {{ include \"db.ns\" . }}\n",
		"app/charts/db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.0.0\n",
		"app/charts/db/templates/_helpers.tpl", "{{- define \"db.ns\" -}}{{ $.Release.Namespace }}{{- end -}}\n",
		NULL,
	};
	static const char *const through_tpl[] = {
		"app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"app/values.yaml", "ns: \"{{ .Release.Namespace }}\"\n",
		"app/templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  namespace: {{ tpl .Values.ns . }}\n",
		NULL,
	};
	static const char *const only_a_hook[] = {
		"app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"app/templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  namespace: fixed\n",
		"app/templates/tests/t.yaml", "kind: Pod\nmetadata:\n  namespace: {{ .Release.Namespace }}\n",
		NULL,
	};
	static const char *const unnamed[] = {
		"app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"app/templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  namespace: fixed\n",
		"app/templates/_helpers.tpl", "{{- define \"app.ns\" -}}{{ .Release.Namespace }}{{- end -}}\n",
		NULL,
	};
	for (int given = 0; given < 2; given++) {
		chart c;
		load(&c, named);
		tm_helm_opts o;
		memset(&o, 0, sizeof(o));
		o.fs = &c.fs;
		o.chart_dir = "app";
		o.release_namespace = given ? "shop" : NULL;
		o.diags = &c.d;
		assert_int_equal(tm_helm_render(&o, &c.out), 0);
		const tm_helm_manifest *m = find(&c, "app/templates/cm.yaml");
		assert_non_null(m);
		assert_string_equal(m->text, given ? "kind: ConfigMap\nmetadata:\n  namespace: shop\n"
						   : "kind: ConfigMap\nmetadata:\n  namespace: default\n");
		assert_true(c.out->reads_release_namespace);
		done(&c);
	}
	chart c;
	load(&c, unnamed);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	assert_false(c.out->reads_release_namespace);
	done(&c);
	/* read by a value rendered with tpl (a set of its own): told */
	load(&c, through_tpl);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *t = find(&c, "deploy/app/templates/cm.yaml");
	assert_non_null(t);
	assert_string_equal(t->text, "kind: ConfigMap\nmetadata:\n  namespace: default\n");
	assert_true(c.out->reads_release_namespace);
	done(&c);
	/* read by a `helm test` hook only: no object of the release hangs on it */
	load(&c, only_a_hook);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	assert_false(c.out->reads_release_namespace);
	done(&c);
}

/* Top-level values read and defined by no values file are told (sorted, once each), through
 * includes and tpl; a value defined as null is not; a values file defining one takes it off the
 * list. */
static void absent_values_told(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"app/values.yaml", "image: x\nnothing: null\nns: \"{{ .Values.zone.name }}\"\n",
		"app/templates/_h.tpl", "{{- define \"h\" -}}{{ .Values.inf.k8s.dns }}{{- end -}}\n",
		/* a template stops at its first error: one missing value each */
		"app/templates/a.yaml", "kind: ConfigMap\ndata:\n  b: {{ .Values.nothing }}\n  c: {{ include \"h\" . }}\n",
		"app/templates/b.yaml", "kind: ConfigMap\ndata:\n  d: {{ .Values.app.name }}\n",
		"app/templates/c.yaml", "kind: ConfigMap\ndata:\n  e: {{ .Values.app.name }}\n",
		"app/templates/d.yaml", "kind: ConfigMap\ndata:\n  f: {{ tpl .Values.ns . }}\n",
		"inf.yaml", "inf:\n  k8s:\n    dns: example.com\n",
		NULL,
	};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	assert_int_equal(c.out->nabsent_values, 3);
	assert_string_equal(c.out->absent_values[0], "app");
	assert_string_equal(c.out->absent_values[1], "inf");
	assert_string_equal(c.out->absent_values[2], "zone");
	done(&c);
	static const char *const inf[] = {"inf.yaml"};
	load(&c, files);
	render(&c, inf, 1);
	assert_int_equal(c.rc, 0);
	assert_int_equal(c.out->nabsent_values, 2);
	assert_string_equal(c.out->absent_values[0], "app");
	assert_string_equal(c.out->absent_values[1], "zone");
	done(&c);
}

/* .Release.Namespace read other than as a field (index, get, pick, dig, range, printing, a function
 * given .Release whole) is told; reads of other keys, or of whether it is there, are not. */
static void release_namespace_read_any_way(void **state)
{
	(void)state;
	/* read other than as a field: each template a way, one read at a time below */
	static const char *const other_reads[] = {
		"{{ index .Release \"Namespace\" }}", "{{ get .Release \"Namespace\" }}",
		"{{ dig \"Namespace\" \"x\" .Release }}", "{{ (pick .Release \"Name\" \"Namespace\").Namespace }}",
		"{{ .Release | toYaml | sha256sum }}", "{{ range $k, $v := .Release }}{{ $v }}{{ end }}",
		"{{ .Release }}", "{{ $r := .Release }}{{ $r.Namespace }}", "{{ with .Release }}{{ .Namespace }}{{ end }}",
		"{{ values .Release | len }}",
	};
	/* reads of other keys, or of whether it is there: not told */
	static const char *const not_reads[] = {
		"{{ index .Release \"Name\" }}", "{{ get .Release \"Service\" }}", "{{ hasKey .Release \"Namespace\" }}",
		"{{ dig \"Name\" \"x\" .Release }}", "{{ (pick .Release \"Name\").Name }}", "{{ .Release.Name }}",
	};
	chart c;
	for (int told = 0; told < 2; told++) {
		const char *const *tpls = told ? other_reads : not_reads;
		size_t n = told ? sizeof(other_reads) / sizeof(*other_reads) : sizeof(not_reads) / sizeof(*not_reads);
		for (size_t i = 0; i < n; i++) {
			char text[512];
			snprintf(text, sizeof(text), "kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: '%s'\n", tpls[i]);
			const char *files[] = {"app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n",
					       "app/templates/cm.yaml", text, NULL};
			load(&c, files);
			render(&c, NULL, 0);
			if (c.rc || c.out->reads_release_namespace != (told != 0))
				fail_msg("%s: rc %d, read told %d", tpls[i], c.rc, c.out->reads_release_namespace);
			done(&c);
		}
	}
}

static void reports_what_it_cannot_do(void **state)
{
	(void)state;
	chart c;
	load(&c, app);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	/* the unsupported function: positioned warning, the file still renders */
	const tm_helm_manifest *m = find(&c, "deploy/app/templates/odd.yaml");
	assert_non_null(m);
	assert_string_equal(m->text, "a: 1\nb: \nc: 2\n");
	bool found = false;
	for (size_t i = 0; i < c.d.count; i++)
		if (strstr(c.d.items[i].msg, "\"genPrivateKey\" is not supported")) {
			found = true;
			assert_string_equal(c.d.items[i].loc.path, "deploy/app/templates/odd.yaml");
			assert_int_equal(c.d.items[i].loc.line, 2);
			assert_int_equal(c.d.items[i].loc.col, 7);
		}
	assert_true(found);
	assert_non_null(diag_with(&c, "\"queue\" is declared but not vendored"));
	assert_non_null(diag_with(&c, "chart archive not read"));
	done(&c);
}

static void values_files_apply_in_order(void **state)
{
	(void)state;
	chart c;
	load(&c, app);
	const char *vf[] = {"app/extra.yaml"};
	render(&c, vf, 1);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *m = find(&c, "deploy/app/templates/deployment.yaml");
	assert_non_null(m);
	assert_non_null(strstr(m->text, "replicas: 3\n"));
	assert_non_null(strstr(m->text, "\"web:v9\""));
	done(&c);
}

static void not_a_chart(void **state)
{
	(void)state;
	static const char *const files[] = {"app/values.yaml", "a: 1\n", NULL};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, TM_ENOTFOUND);
	assert_null(c.out);
	done(&c);
}

static void recursion_is_bounded(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml", "name: app\nversion: 1.0.0\n",
		"app/templates/_r.tpl", "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}",
		"app/templates/a.yaml", "{{ include \"r\" . }}",
		"app/templates/b.yaml", "kind: Fine\n",
		NULL,
	};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	assert_null(find(&c, "deploy/app/templates/a.yaml"));
	assert_non_null(find(&c, "deploy/app/templates/b.yaml"));
	assert_non_null(diag_with(&c, "nest deeper"));
	done(&c);
}

static void library_chart_only_defines(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml", "name: app\nversion: 1.0.0\n",
		"app/templates/a.yaml", "kind: {{ include \"lib.kind\" . }}\n",
		"app/charts/lib/Chart.yaml", "name: lib\nversion: 1.0.0\ntype: library\n",
		"app/charts/lib/templates/_lib.tpl", "{{ define \"lib.kind\" }}FromLib{{ end }}",
		"app/charts/lib/templates/never.yaml", "kind: Never\n",
		NULL,
	};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *m = find(&c, "deploy/app/templates/a.yaml");
	assert_non_null(m);
	assert_string_equal(m->text, "kind: FromLib\n");
	assert_null(find(&c, "deploy/app/charts/lib/templates/never.yaml"));
	assert_int_equal(c.out->count, 1);
	done(&c);
}

static void templates_in_values_survive(void **state)
{
	(void)state;
	/* "{{" in values.yaml makes the parser refuse a file as a template: the renderer masks it,
	 * however many values hold one */
	static char values[40000];
	size_t n = (size_t)snprintf(values, sizeof(values), "cfg: |\n  {{ .Release.Name }}-block\nl:\n");
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(values + n, sizeof(values) - n, "  - \"{{ .Release.Name }}-%d\"\n", i);
	const char *const files[] = {
		"app/Chart.yaml", "name: app\nversion: 1.0.0\n",
		"app/values.yaml", values,
		"app/templates/a.yaml", "a: {{ tpl (index .Values.l 299) . }}\nb: {{ tpl .Values.cfg . | trim }}\n",
		NULL,
	};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *m = find(&c, "deploy/app/templates/a.yaml");
	assert_non_null(m);
	assert_string_equal(m->text, "a: release-name-299\nb: release-name-block\n");
	done(&c);
}

static void helmignore_applies(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml", "name: app\nversion: 1.0.0\n",
		"app/.helmignore", "# editor files\n*.bak\nci/\n/conf/secret.txt\n",
		"app/templates/a.yaml", "files: {{ range $p, $_ := .Files.Glob \"**\" }}{{ $p }} {{ end }}\n",
		"app/templates/b.yaml.bak", "kind: Backup\n",
		"app/templates/.hidden.yaml", "kind: Hidden\n",
		"app/ci/values.yaml", "x: 1\n",
		"app/conf/keep.txt", "k\n",
		"app/conf/secret.txt", "s\n",
		"app/conf/old.bak", "o\n",
		NULL,
	};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	assert_int_equal(c.out->count, 1);
	const tm_helm_manifest *m = find(&c, "deploy/app/templates/a.yaml");
	assert_non_null(m);
	assert_string_equal(m->text, "files: conf/keep.txt \n");
	done(&c);
}

static void import_values_from_a_dependency(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml",
		"name: app\nversion: 1.0.0\ndependencies:\n  - name: lib2\n    version: 1.0.0\n"
		"    import-values:\n      - data\n      - child: settings.db\n        parent: database\n",
		"app/values.yaml", "database: {port: 1}\n",
		"app/templates/a.yaml",
		"color: {{ .Values.color }}\nport: {{ .Values.database.port }}\nhost: {{ .Values.database.host }}\n",
		"app/charts/lib2/Chart.yaml", "name: lib2\nversion: 1.0.0\n",
		"app/charts/lib2/values.yaml", "exports: {data: {color: blue}}\nsettings: {db: {port: 5432, host: db}}\n",
		NULL,
	};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *m = find(&c, "deploy/app/templates/a.yaml");
	assert_non_null(m);
	/* imported values sit below the parent's own: its port stays */
	assert_string_equal(m->text, "color: blue\nport: 1\nhost: db\n");
	done(&c);
}

/* charts/cache-0.3.0.tgz as `tar czf` writes it: cache/Chart.yaml, cache/values.yaml (size: 64)
 * and cache/templates/c.yaml (kind: Cache, name and size from .Release.Name, .Chart.Name, .Values). */
static const unsigned char cache_tgz[] = {
  0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xed, 0xd6,
  0xbb, 0x6e, 0xc3, 0x20, 0x14, 0x06, 0x60, 0x66, 0x3f, 0x05, 0x2f, 0x10,
  0x02, 0x18, 0xb0, 0xe4, 0x35, 0x7b, 0x86, 0x0e, 0xd9, 0x91, 0x8b, 0x14,
  0xab, 0xbe, 0x44, 0x86, 0x58, 0x6a, 0xa2, 0xbc, 0x7b, 0x7d, 0x49, 0x17,
  0x4b, 0xad, 0xd5, 0x81, 0x54, 0x89, 0xfe, 0x6f, 0xc1, 0x3a, 0xb0, 0xfd,
  0x9c, 0x63, 0x0a, 0x5b, 0x1c, 0xdd, 0x96, 0x44, 0xc5, 0x07, 0x99, 0xd6,
  0xd3, 0x3a, 0x58, 0xae, 0xd3, 0xb7, 0x50, 0x5a, 0x29, 0xc5, 0xb9, 0x1c,
  0xeb, 0x82, 0x1b, 0xc1, 0x09, 0xd5, 0xe4, 0x01, 0xce, 0x3e, 0xd8, 0x8e,
  0x52, 0xd2, 0xb5, 0x6d, 0xf8, 0xed, 0xdc, 0xda, 0xfe, 0x93, 0x2a, 0xa6,
  0xfc, 0x77, 0x47, 0xdb, 0x05, 0xf6, 0x69, 0xeb, 0x2a, 0x56, 0xfe, 0x46,
  0xa9, 0x9f, 0xf3, 0xd7, 0x72, 0x91, 0xbf, 0xd4, 0xa9, 0x24, 0x94, 0x23,
  0xff, 0xe8, 0xec, 0xa9, 0x3c, 0xb8, 0xce, 0x97, 0x6d, 0x93, 0xd3, 0x5e,
  0x26, 0x8d, 0xad, 0x5d, 0x4e, 0xa7, 0x4b, 0x91, 0xf4, 0xdf, 0x75, 0xce,
  0x52, 0xc6, 0x13, 0x02, 0x2f, 0xdb, 0xff, 0xc1, 0xd5, 0xa7, 0xca, 0x06,
  0xe7, 0xb7, 0xb1, 0xfa, 0xff, 0x6f, 0xf3, 0x5f, 0x1a, 0x6e, 0x30, 0xff,
  0xff, 0x23, 0xff, 0x22, 0xc2, 0x5f, 0x60, 0x6d, 0xfe, 0x0b, 0x29, 0x16,
  0xf9, 0xa7, 0xd9, 0x98, 0x3f, 0xe6, 0x7f, 0x7c, 0x1f, 0x65, 0xf3, 0x9e,
  0xd3, 0xdd, 0x34, 0xf0, 0xe7, 0xe1, 0x7f, 0xbd, 0x52, 0xf6, 0xe6, 0x2a,
  0x67, 0xbd, 0x63, 0xfb, 0xa1, 0x42, 0x6f, 0xb7, 0xcd, 0x58, 0x9b, 0xdf,
  0x08, 0xf7, 0x4a, 0xe2, 0xcb, 0xcb, 0xfd, 0xec, 0xc1, 0x56, 0x67, 0xe7,
  0xd9, 0x58, 0x18, 0x37, 0x30, 0x52, 0x9f, 0xb0, 0xff, 0xfb, 0x39, 0xc3,
  0x48, 0x0f, 0xc0, 0xd5, 0xf7, 0x9f, 0x58, 0xf6, 0xbf, 0xcc, 0x4c, 0x8a,
  0xfe, 0x7f, 0x84, 0xb9, 0x8f, 0x8d, 0x42, 0xdf, 0x02, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xbc, 0x86, 0x2f, 0xa6,
  0x1b, 0xe1, 0x3f, 0x00, 0x28, 0x00, 0x00
};
static const size_t cache_tgz_len = 295;

static void chart_archive_is_read(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml", "name: app\nversion: 1.0.0\n",
		"app/values.yaml", "cache: {size: 128}\n",
		"app/charts/cache-0.3.0.tgz", "placeholder",
		"app/charts/broken.tgz", "not gzip at all",
		NULL,
	};
	chart c;
	load(&c, files);
	c.data[2] = (const char *)cache_tgz;
	c.lens[2] = cache_tgz_len;
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *m = find(&c, "deploy/app/charts/cache-0.3.0.tgz/cache/templates/c.yaml");
	assert_non_null(m);
	assert_string_equal(m->text, "kind: Cache\nname: release-name-cache\nsize: 128\n");
	assert_string_equal(m->line_paths[2], "deploy/app/charts/cache-0.3.0.tgz/cache/templates/c.yaml");
	assert_int_equal(m->lines[2], 3);
	assert_non_null(diag_with(&c, "chart archive not read: not a gzip stream"));
	/* the archive is an input; the files inside it are not */
	bool tgz = false, inner = false;
	for (size_t i = 0; i < c.out->nconsumed; i++) {
		tgz |= strcmp(c.out->consumed[i], "deploy/app/charts/cache-0.3.0.tgz") == 0;
		inner |= strstr(c.out->consumed[i], ".tgz/") != NULL;
	}
	assert_true(tgz);
	assert_false(inner);
	done(&c);
}

static void invalid_utf8_template_is_refused(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml", "name: app\nversion: 1.0.0\n",
		"app/templates/bad.yaml", "kind: \xff\xfe {{ .Values }}\n",
		"app/templates/good.yaml", "kind: Good\n",
		NULL,
	};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	assert_null(find(&c, "deploy/app/templates/bad.yaml"));
	assert_non_null(find(&c, "deploy/app/templates/good.yaml"));
	assert_non_null(diag_with(&c, "not valid UTF-8"));
	done(&c);
}

/* A library chart declared but not vendored: its templates stand in (names and labels by Helm's
 * conventions, values and images as passed, the rest nothing), one note says which; a template
 * missing from a chart that vendors everything is still Helm's error. */
static void missing_library_stands_in(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml",
		"apiVersion: v2\nname: web\nversion: 1.0.0+b1\nappVersion: \"1.25\"\ndependencies:\n  - name: common\n    version: 2.x.x\n"
		"    repository: oci://registry.example/charts\n",
		"app/values.yaml",
		"image: {registry: docker.io, repository: acme/web, tag: 1.25.3}\ncommonLabels: {team: shop}\n"
		"containerSecurityContext: {enabled: true, runAsNonRoot: true, readOnlyRootFilesystem: true}\n"
		"extraEnv: [{name: MODE, value: \"{{ .Release.Name }}\"}]\nauth: {existingSecret: \"\"}\n"
		"serviceAccount: {create: true}\nnamespaceOverride: \"\"\n",
		"app/templates/_helpers.tpl",
		"{{- define \"web.image\" -}}\n{{ include \"common.images.image\" (dict \"imageRoot\" .Values.image \"global\" .Values.global) }}\n{{- end -}}\n",
		"app/templates/deploy.yaml",
		"apiVersion: {{ include \"common.capabilities.deployment.apiVersion\" . }}\nkind: Deployment\nmetadata:\n"
		"  name: {{ include \"common.names.fullname\" . }}\n  namespace: {{ include \"common.names.namespace\" . | quote }}\n"
		"  labels: {{- include \"common.labels.standard\" (dict \"customLabels\" .Values.commonLabels \"context\" $) | nindent 4 }}\n"
		"spec:\n  selector:\n    matchLabels: {{- include \"common.labels.matchLabels\" (dict \"context\" $) | nindent 6 }}\n"
		"  template:\n    spec:\n      serviceAccountName: {{ template \"common.serviceAccountName\" . }}\n"
		"      affinity: {{- include \"common.affinities.pods\" (dict \"type\" \"soft\" \"context\" $) | nindent 8 }}\n"
		"      containers:\n        - image: {{ include \"web.image\" . }}\n"
		"          securityContext: {{- include \"common.compatibility.renderSecurityContext\" (dict \"secContext\" .Values.containerSecurityContext \"context\" $) | nindent 12 }}\n"
		"          env: {{- include \"common.tplvalues.render\" (dict \"value\" .Values.extraEnv \"context\" $) | nindent 12 }}\n"
		"          envFrom:\n            - secretRef: {name: {{ include \"common.secrets.name\" (dict \"existingSecret\" .Values.auth.existingSecret \"context\" $) }}}\n",
		"app/templates/pull.yaml",
		"pull: [{{ include \"common.images.renderPullSecrets\" (dict \"images\" (list .Values.image) \"context\" $) }}]\n"
		"res:\n{{ include \"common.resources.preset\" (dict \"type\" \"nano\") | indent 2 }}\n",
		"app/templates/ing.yaml",
		"backend: {{- include \"common.ingress.backend\" (dict \"serviceName\" (include \"common.names.fullname\" .) \"servicePort\" \"http\" \"context\" $) | nindent 2 }}\n",
		NULL,
	};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *m = find(&c, "deploy/app/templates/deploy.yaml");
	assert_non_null(m);
	assert_string_equal(m->text,
			    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: release-name-web\n  namespace: \"default\"\n"
			    "  labels:\n    app.kubernetes.io/instance: release-name\n    app.kubernetes.io/managed-by: Helm\n"
			    "    app.kubernetes.io/name: web\n    app.kubernetes.io/version: \"1.25\"\n    helm.sh/chart: web-1.0.0_b1\n"
			    "    team: shop\n"
			    "spec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/instance: release-name\n"
			    "      app.kubernetes.io/name: web\n  template:\n    spec:\n      serviceAccountName: release-name-web\n"
			    "      affinity:\n        \n      containers:\n        - image: docker.io/acme/web:1.25.3\n"
			    "          securityContext:\n            readOnlyRootFilesystem: true\n            runAsNonRoot: true\n"
			    "          env:\n            - name: MODE\n              value: 'release-name'\n"
			    "          envFrom:\n            - secretRef: {name: release-name-web}\n");
	m = find(&c, "deploy/app/templates/ing.yaml");
	assert_non_null(m);
	assert_string_equal(m->text, "backend:\n  service:\n    name: release-name-web\n    port:\n      name: http\n");
	const char *note = diag_with(&c, "stood in");
	assert_non_null(note);
	assert_non_null(strstr(note, "14 templates of what the chart declares but does not vendor (common) stood in"));
	/* the instruction first, then the lists, each cut at a name so the note is never cut */
	assert_non_null(strstr(note, "stood in; vendor the dependencies (helm dependency build) and scan again to read what "
				     "they write. What stood in: names, labels and API versions by Helm's conventions "
				     "(common.capabilities.deployment.apiVersion, common.ingress.backend, "
				     "common.labels.matchLabels and 5 more); values, images and secret names as the chart passes "
				     "them (common.compatibility.renderSecurityContext and 3 more); nothing (common.affinities.pods "
				     "and 1 more)"));
	assert_true(strlen(note) <= TM_DIAG_MSG_MAX);
	m = find(&c, "deploy/app/templates/pull.yaml"); /* a list given to a render* template: not known */
	assert_non_null(m);
	assert_string_equal(m->text, "pull: []\nres:\n  limits:\n    cpu: \"<nano preset>\"\n    memory: \"<nano preset>\"\n"
				     "  requests:\n    cpu: \"<nano preset>\"\n    memory: \"<nano preset>\"\n");
	assert_true(c.out->reads_release_namespace);
	done(&c);

	/* nothing missing from Chart.yaml: Helm's error, the file not rendered */
	static const char *const whole[] = {
		"app/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"app/templates/a.yaml", "name: {{ include \"common.names.fullname\" . }}\n",
		"app/templates/b.yaml", "name: {{ template \"common.names.fullname\" . }}\n",
		NULL,
	};
	load(&c, whole);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	assert_null(find(&c, "deploy/app/templates/a.yaml"));
	assert_null(find(&c, "deploy/app/templates/b.yaml"));
	assert_non_null(diag_with(&c, "no template \"common.names.fullname\""));
	assert_null(diag_with(&c, "stood in"));
	done(&c);
}

/* A dependency not vendored whose repository is file://PATH is the chart at PATH in the same tree
 * (as helm dependency build copies it), values scoped under its name; a path out of the tree, an
 * absolute one or another chart's directory is not read. */
static void local_dependency_read_from_the_tree(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml",
		"apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
		"  - {name: api, version: 1.0.0, repository: \"file://../services/./api/\"}\n"
		"  - {name: out, version: 1.0.0, repository: \"file://../../out\"}\n"
		"  - {name: abs, version: 1.0.0, repository: \"file:///etc\"}\n"
		"  - {name: other, version: 1.0.0, repository: \"file://../services/api\"}\n",
		"app/values.yaml", "api: {port: 8443}\n",
		"services/api/Chart.yaml",
		"apiVersion: v2\nname: api\nversion: 1.0.0\ndependencies:\n  - {name: lib, version: 1.0.0, repository: file://../../lib}\n",
		"services/api/values.yaml", "port: 80\n",
		"services/api/templates/svc.yaml", "kind: Service\nmetadata:\n  name: {{ include \"lib.name\" . }}\nport: {{ .Values.port }}\n",
		"lib/Chart.yaml", "apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n",
		"lib/templates/_n.tpl", "{{ define \"lib.name\" }}{{ .Release.Name }}-{{ .Chart.Name }}{{ end }}",
		NULL,
	};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *m = find(&c, "deploy/services/api/templates/svc.yaml");
	assert_non_null(m);
	assert_string_equal(m->text, "kind: Service\nmetadata:\n  name: release-name-api\nport: 8443\n");
	assert_int_equal(c.out->count, 1);
	const char *note = diag_with(&c, "not vendored");
	assert_non_null(note); /* one note per chart */
	assert_string_equal(note, "3 dependencies are declared but not vendored in charts/: \"out\", \"abs\", \"other\"; not rendered");
	assert_null(diag_with(&c, "\"api\""));
	assert_null(diag_with(&c, "\"lib\""));
	done(&c);
}

static void release_values_as_helm_takes_them(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"app/values.yaml", "n: 1\nflag: false\nkept: yes-kept\ngone: here\nobj: {a: 1, b: 2}\n",
		"app/prod.yaml", "n: 2\nobj: {a: 10}\n",
		"app/templates/cm.yaml",
		"n: {{ .Values.n }} {{ kindOf .Values.n }}\nflag: {{ .Values.flag }} {{ kindOf .Values.flag }}\n"
		"zero: {{ kindOf .Values.zero }}\nlead: {{ .Values.lead }} {{ kindOf .Values.lead }}\n"
		"neg: {{ .Values.neg }}\nforced: {{ kindOf .Values.forced }}\ngone: {{ hasKey .Values \"gone\" }}\n"
		"list: {{ len .Values.list }} {{ index .Values.list 0 | toString }} {{ (index .Values.list 1).name }}\n"
		"dotted: {{ index .Values \"a.b\" }}\nobj: {{ .Values.obj.a }} {{ .Values.obj.b }} {{ .Values.obj.c }}\n"
		"kept: {{ .Values.kept }}\n",
		NULL,
	};
	tm_diag_list pd;
	tm_diag_list_init(&pd);
	tm_file *doc = NULL;
	tm_limits lim;
	tm_limits_default(&lim);
	static const char inline_values[] = "obj: {c: 3}\nn: 5\n";
	assert_int_equal(tm_file_parse(&doc, "argocd/app.yaml", inline_values, sizeof(inline_values) - 1, &lim, &pd), 0);
	const tm_value *docs[] = {tm_file_doc(doc, 0)};
	const tm_helm_set sets[] = {
		{"n", "3", false},      {"flag", "TRUE", false}, {"zero", "0", false},    {"lead", "007", false},
		{"neg", "-5", false},   {"forced", "true", true}, {"gone", "null", false}, {"list[1].name", "b", false},
		{"a\\.b", "c", false}, {"bad..key", "x", false},
	};
	static const char *const prod[] = {"app/prod.yaml"};
	chart c;
	load(&c, files);
	tm_helm_opts o;
	memset(&o, 0, sizeof(o));
	o.fs = &c.fs;
	o.chart_dir = "app";
	o.values_files = prod;
	o.nvalues_files = 1;
	o.values_docs = docs;
	o.nvalues_docs = 1;
	o.sets = sets;
	o.nsets = sizeof(sets) / sizeof(sets[0]);
	o.diags = &c.d;
	c.rc = tm_helm_render(&o, &c.out);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *m = find(&c, "app/templates/cm.yaml");
	assert_non_null(m);
	/* files, then the map given whole, then --set: each over the last; a null deletes */
	assert_string_equal(m->text, "n: 3 int64\nflag: true bool\nzero: int64\nlead: 007 string\nneg: -5\n"
				     "forced: string\ngone: false\nlist: 2 <nil> b\ndotted: c\nobj: 10 2 3\nkept: yes-kept\n");
	assert_non_null(diag_with(&c, "--set bad..key: not a key path"));
	done(&c);
	/* files that replace values.yaml: what only values.yaml held is gone */
	static const char *const instead[] = {"app/prod.yaml"};
	load(&c, files);
	memset(&o, 0, sizeof(o));
	o.fs = &c.fs;
	o.chart_dir = "app";
	o.chart_values_files = instead;
	o.nchart_values_files = 1;
	o.diags = &c.d;
	c.rc = tm_helm_render(&o, &c.out);
	assert_int_equal(c.rc, 0);
	m = find(&c, "app/templates/cm.yaml");
	assert_null(m); /* .Values.flag and the rest are nil: the template stops, said as helm says it */
	assert_non_null(diag_with(&c, "nil pointer") ? diag_with(&c, "nil pointer") : diag_with(&c, "error calling"));
	done(&c);
	tm_file_free(doc);
	tm_diag_list_dispose(&pd);
}

/* A value the chart requires (`required`) and nothing gives: the file renders with the placeholder
 * in the value's place (in a define, piped to int, inside quotes, in tpl text), each call told with
 * its message, position and file, once; a file that fails anyway tells none, and fail stays an
 * error. Helm would refuse the chart. */
static void required_value_missing_renders_a_placeholder(void **state)
{
	(void)state;
	static const char *const files[] = {
		"app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"app/values.yaml", "image: {repository: \"\"}\nport: null\nglobal: {}\n"
				   "hostTpl: '{{ required \"global.host must be set\" .Values.global.host }}'\n",
		"app/templates/_helpers.tpl",
		"{{- define \"app.image\" -}}\n"
		"{{ required \"image.repository must be set\" .Values.image.repository }}:1.0\n"
		"{{- end }}\n",
		"app/templates/deployment.yaml",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
		"      initContainers:\n        - image: {{ include \"app.image\" . }}\n"
		"      containers:\n        - image: {{ include \"app.image\" . }}\n"
		"          ports:\n            - containerPort: {{ required \"port must be set\" .Values.port | int }}\n"
		"          env:\n            - {name: HOST, value: \"{{ required \"host must be set\" .Values.host }}\"}\n"
		"            - {name: PUBLIC, value: {{ tpl .Values.hostTpl . | quote }}}\n",
		"app/templates/job.yaml", "kind: Job\nimage: {{ include \"app.image\" . }}\n",
		"app/templates/job2.yaml", "kind: Job\nimage: {{ include \"app.image\" . }}\n",
		"app/templates/job3.yaml", "kind: Job\nimage: {{ include \"app.image\" . }}\n",
		"app/templates/broken.yaml", "kind: Pod\nimage: {{ include \"app.image\" . }}\n{{ fail \"stop here\" }}\n",
		NULL,
	};
	chart c;
	load(&c, files);
	render(&c, NULL, 0);
	assert_int_equal(c.rc, 0);
	const tm_helm_manifest *m = find(&c, "deploy/app/templates/deployment.yaml");
	assert_non_null(m);
	assert_string_equal(m->text,
			    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
			    "      initContainers:\n        - image: required-value-missing:1.0\n"
			    "      containers:\n        - image: required-value-missing:1.0\n"
			    "          ports:\n            - containerPort: 0\n"
			    "          env:\n            - {name: HOST, value: \"required-value-missing\"}\n"
			    "            - {name: PUBLIC, value: \"required-value-missing\"}\n");
	assert_non_null(find(&c, "deploy/app/templates/job.yaml"));
	/* fail is the chart author's own check: still an error, its file left out */
	assert_null(find(&c, "deploy/app/templates/broken.yaml"));
	assert_int_equal(tm_diag_count(&c.d, TM_LEVEL_ERROR), 1);
	assert_non_null(diag_with(&c, "error calling fail: stop here"));
	assert_null(diag_with(&c, "error calling required"));
	/* sorted by message, position, file; the define once per file that rendered it; tpl's at the call */
	static const struct {
		const char *msg, *path;
		uint32_t line, col;
		const char *file;
	} want[] = {
		{"global.host must be set", "deploy/app/templates/deployment.yaml", 16, 40, "deploy/app/templates/deployment.yaml"},
		{"host must be set", "deploy/app/templates/deployment.yaml", 15, 39, "deploy/app/templates/deployment.yaml"},
		{"image.repository must be set", "deploy/app/templates/_helpers.tpl", 2, 4, "deploy/app/templates/deployment.yaml"},
		{"image.repository must be set", "deploy/app/templates/_helpers.tpl", 2, 4, "deploy/app/templates/job.yaml"},
		{"image.repository must be set", "deploy/app/templates/_helpers.tpl", 2, 4, "deploy/app/templates/job2.yaml"},
		{"image.repository must be set", "deploy/app/templates/_helpers.tpl", 2, 4, "deploy/app/templates/job3.yaml"},
		{"port must be set", "deploy/app/templates/deployment.yaml", 13, 33, "deploy/app/templates/deployment.yaml"},
	};
	assert_int_equal(c.out->nrequired, sizeof(want) / sizeof(want[0]));
	assert_int_equal(c.out->required_more, 0);
	for (size_t i = 0; i < c.out->nrequired; i++) {
		const tm_helm_required *r = &c.out->required[i];
		assert_string_equal(r->msg, want[i].msg);
		assert_string_equal(r->at.path, want[i].path);
		assert_int_equal(r->at.line, want[i].line);
		assert_int_equal(r->at.col, want[i].col);
		assert_string_equal(r->file, want[i].file);
	}
	/* the note a scan states: chart-relative places, three files of a place named, the placeholder
	 * named, bounded */
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_helm_required_note(&sb, c.out, "deploy/app", TM_DIAG_MSG_MAX);
	assert_string_equal(sb.data,
			    "\"global.host must be set\" (templates/deployment.yaml:16:40), \"host must be set\" "
			    "(templates/deployment.yaml:15:39), \"image.repository must be set\" (templates/_helpers.tpl:2:4 "
			    "for templates/deployment.yaml, templates/job.yaml, templates/job2.yaml and 1 more), "
			    "\"port must be set\" "
			    "(templates/deployment.yaml:13:33); rendered with \"required-value-missing\" in their place, as "
			    "if given (helm refuses the chart)");
	tm_strbuf_dispose(&sb);
	tm_helm_required_note(&sb, c.out, "deploy/app", 120);
	assert_string_equal(sb.data, "\"global.host must be set\" (templates/deployment.yaml:16:40) and 3 more; rendered "
				     "with \"required-value-missing\" in their place, as if given (helm refuses the chart)");
	tm_strbuf_dispose(&sb);
	done(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(renders_a_chart),
		cmocka_unit_test(release_namespace_is_named),
		cmocka_unit_test(release_namespace_read_any_way),
		cmocka_unit_test(absent_values_told),
		cmocka_unit_test(reports_what_it_cannot_do),
		cmocka_unit_test(values_files_apply_in_order),
		cmocka_unit_test(not_a_chart),
		cmocka_unit_test(recursion_is_bounded),
		cmocka_unit_test(library_chart_only_defines),
		cmocka_unit_test(templates_in_values_survive),
		cmocka_unit_test(helmignore_applies),
		cmocka_unit_test(import_values_from_a_dependency),
		cmocka_unit_test(chart_archive_is_read),
		cmocka_unit_test(invalid_utf8_template_is_refused),
		cmocka_unit_test(missing_library_stands_in),
		cmocka_unit_test(local_dependency_read_from_the_tree),
		cmocka_unit_test(release_values_as_helm_takes_them),
		cmocka_unit_test(required_value_missing_renders_a_placeholder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
