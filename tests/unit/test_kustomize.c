/* test_kustomize.c - the native kustomize renderer on in-memory trees shaped like real projects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "counting_alloc.h"
#include "render/kustomize.h"

typedef struct {
	const char *path, *text;
} mfile;

typedef struct {
	tm_file *f;
	tm_diag_list d;
	tm_kust_consumed c;
	int rc;
} rendered;

static rendered render(const mfile *files, size_t n, const char *dir)
{
	const char *paths[64], *data[64];
	size_t lens[64];
	assert_true(n <= 64);
	for (size_t i = 0; i < n; i++) {
		paths[i] = files[i].path;
		data[i] = files[i].text;
		lens[i] = strlen(files[i].text);
	}
	tm_fsys_mem mem = {paths, data, lens, n};
	tm_fsys fs;
	tm_fsys_mem_init(&fs, &mem);
	rendered r;
	tm_diag_list_init(&r.d);
	r.c = (tm_kust_consumed)TM_KUST_CONSUMED_INIT;
	tm_kust_opts o = {&fs, dir, NULL, 0, &r.d};
	r.rc = tm_kustomize_render(&r.f, &r.c, &o);
	return r;
}

static void done(rendered *r)
{
	tm_file_free(r->f);
	tm_diag_list_dispose(&r->d);
	tm_kust_consumed_dispose(&r->c);
}

static const tm_value *find(const rendered *r, const char *kind, const char *name)
{
	for (size_t i = 0; i < tm_file_doc_count(r->f); i++) {
		const tm_value *o = tm_file_doc(r->f, i);
		const char *n = tm_map_get_str(tm_map_get(o, "metadata"), "name");
		if (strcmp(tm_map_get_str(o, "kind"), kind) == 0 && n && strcmp(n, name) == 0)
			return o;
	}
	return NULL;
}

/* The value at a '/'-separated path (numbers index sequences). */
static const tm_value *at(const tm_value *v, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = strtok(buf, "/"); p && v; p = strtok(NULL, "/")) {
		if (tm_value_kind_of(v) == TM_VALUE_SEQ)
			v = tm_seq_at(v, (size_t)strtoul(p, NULL, 10));
		else
			v = tm_map_get(v, p);
	}
	return v;
}

static const char *str_at(const tm_value *v, const char *path)
{
	return tm_scalar_str(at(v, path), NULL);
}

/* The first diagnostic whose message contains needle, or NULL. */
static const tm_diag *diag_with(const rendered *r, const char *needle)
{
	for (size_t i = 0; i < r->d.count; i++)
		if (strstr(r->d.items[i].msg, needle))
			return &r->d.items[i];
	return NULL;
}

static const char DEPLOY[] = "apiVersion: apps/v1\n"
			     "kind: Deployment\n"
			     "metadata:\n"
			     "  name: web\n"
			     "spec:\n"
			     "  selector:\n"
			     "    matchLabels: {app: web}\n"
			     "  template:\n"
			     "    metadata:\n"
			     "      labels: {app: web}\n"
			     "    spec:\n"
			     "      serviceAccountName: web\n"
			     "      containers:\n"
			     "      - name: app\n"
			     "        image: ghcr.io/acme/web:1.0\n"
			     "        env:\n"
			     "        - {name: A, value: '1'}\n"
			     "      - name: sidecar\n"
			     "        image: envoy:1\n"
			     "      volumes:\n"
			     "      - name: conf\n"
			     "        configMap: {name: web-config}\n";

static const char SVC_SA[] = "apiVersion: v1\n"
			     "kind: Service\n"
			     "metadata: {name: web}\n"
			     "spec:\n"
			     "  selector: {app: web}\n"
			     "  ports: [{port: 80}]\n"
			     "---\n"
			     "apiVersion: v1\n"
			     "kind: ServiceAccount\n"
			     "metadata: {name: web}\n"
			     "---\n"
			     "apiVersion: rbac.authorization.k8s.io/v1\n"
			     "kind: RoleBinding\n"
			     "metadata: {name: web}\n"
			     "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}\n"
			     "subjects:\n"
			     "- {kind: ServiceAccount, name: web}\n"
			     "---\n"
			     "apiVersion: rbac.authorization.k8s.io/v1\n"
			     "kind: Role\n"
			     "metadata: {name: reader}\n"
			     "rules: []\n"
			     "---\n"
			     "apiVersion: networking.k8s.io/v1\n"
			     "kind: Ingress\n"
			     "metadata: {name: web}\n"
			     "spec:\n"
			     "  rules:\n"
			     "  - http:\n"
			     "      paths:\n"
			     "      - path: /\n"
			     "        backend: {service: {name: web, port: {number: 80}}}\n";

static void base_overlay_component(void **state)
{
	(void)state;
	static const mfile files[] = {
		{"base/kustomization.yaml", "resources: [deploy.yaml, svc.yaml]\n"
					    "configMapGenerator:\n"
					    "- name: web-config\n"
					    "  literals: [LEVEL=info]\n"},
		{"base/deploy.yaml", DEPLOY},
		{"base/svc.yaml", SVC_SA},
		{"comp/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\n"
					    "kind: Component\n"
					    "patches:\n"
					    "- path: replicas.yaml\n"},
		{"comp/replicas.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
				       "spec:\n  replicas: 3\n"},
		{"prod/kustomization.yaml", "resources: [../base]\n"
					    "components: [../comp]\n"
					    "namePrefix: prod-\n"
					    "namespace: shop\n"
					    "commonLabels: {env: prod}\n"
					    "images:\n"
					    "- name: ghcr.io/acme/web\n"
					    "  newTag: '2.0'\n"},
	};
	rendered r = render(files, TM_ARRAY_LEN(files), "prod");
	assert_int_equal(r.rc, 0);
	const tm_value *d = find(&r, "Deployment", "prod-web");
	assert_non_null(d);
	assert_string_equal(str_at(d, "metadata/namespace"), "shop");
	assert_string_equal(str_at(d, "spec/replicas"), "3");
	assert_string_equal(str_at(d, "metadata/labels/env"), "prod");
	assert_string_equal(str_at(d, "spec/selector/matchLabels/env"), "prod");
	assert_string_equal(str_at(d, "spec/template/metadata/labels/env"), "prod");
	assert_string_equal(str_at(d, "spec/template/spec/containers/0/image"), "ghcr.io/acme/web:2.0");
	assert_string_equal(str_at(d, "spec/template/spec/serviceAccountName"), "prod-web");
	/* the generated ConfigMap's hashed, prefixed name is followed by the volume */
	const char *cm = str_at(d, "spec/template/spec/volumes/0/configMap/name");
	assert_non_null(cm);
	assert_int_equal(strncmp(cm, "prod-web-config-", 16), 0);
	assert_non_null(find(&r, "ConfigMap", cm));
	/* Service selectors are labels: commonLabels adds, nothing renames */
	const tm_value *svc = find(&r, "Service", "prod-web");
	assert_string_equal(str_at(svc, "spec/selector/app"), "web");
	assert_string_equal(str_at(svc, "spec/selector/env"), "prod");
	const tm_value *rb = find(&r, "RoleBinding", "prod-web");
	assert_string_equal(str_at(rb, "roleRef/name"), "prod-reader");
	assert_string_equal(str_at(rb, "subjects/0/name"), "prod-web");
	assert_string_equal(str_at(rb, "subjects/0/namespace"), "shop");
	const tm_value *ing = find(&r, "Ingress", "prod-web");
	assert_string_equal(str_at(ing, "spec/rules/0/http/paths/0/backend/service/name"), "prod-web");
	/* legacy order: ServiceAccount, Role, RoleBinding, ConfigMap, Service, Deployment, Ingress */
	assert_string_equal(tm_map_get_str(tm_file_doc(r.f, 0), "kind"), "ServiceAccount");
	assert_string_equal(tm_map_get_str(tm_file_doc(r.f, tm_file_doc_count(r.f) - 1), "kind"),
			    "Ingress");
	/* locations: the replicas come from the component's patch, the tag from the overlay */
	tm_loc l = tm_value_loc(r.f, at(d, "spec/replicas"));
	assert_string_equal(l.path, "comp/replicas.yaml");
	assert_int_equal(l.line, 5);
	l = tm_value_loc(r.f, at(d, "spec/template/spec/containers/0/image"));
	assert_string_equal(l.path, "prod/kustomization.yaml");
	assert_int_equal(l.line, 8);
	l = tm_value_loc(r.f, at(d, "spec/template/spec/containers/0/name"));
	assert_string_equal(l.path, "base/deploy.yaml");
	assert_int_equal(l.line, 14);
	/* every file read is listed */
	assert_int_equal(r.c.n, 6);
	assert_string_equal(r.c.paths[0], "base/deploy.yaml");
	done(&r);
}

static void smp_merge_delete_and_locations(void **state)
{
	(void)state;
	static const mfile files[] = {
		{"app/kustomization.yaml", "resources: [deploy.yaml]\n"
					   "patchesStrategicMerge:\n"
					   "- patch.yaml\n"},
		{"app/deploy.yaml", DEPLOY},
		{"app/patch.yaml", "apiVersion: apps/v1\n"
				   "kind: Deployment\n"
				   "metadata: {name: web}\n"
				   "spec:\n"
				   "  template:\n"
				   "    spec:\n"
				   "      containers:\n"
				   "      - name: app\n"
				   "        securityContext:\n"
				   "          privileged: true\n"
				   "        env:\n"
				   "        - {name: B, value: '2'}\n"
				   "      - name: sidecar\n"
				   "        $patch: delete\n"
				   "      volumes: null\n"},
	};
	rendered r = render(files, TM_ARRAY_LEN(files), "app");
	assert_int_equal(r.rc, 0);
	const tm_value *d = find(&r, "Deployment", "web");
	assert_non_null(d);
	const tm_value *cs = at(d, "spec/template/spec/containers");
	assert_int_equal(tm_value_len(cs), 1);
	assert_string_equal(str_at(cs, "0/image"), "ghcr.io/acme/web:1.0");
	/* env merged by name: the patch's items first, as kyaml orders them */
	assert_string_equal(str_at(cs, "0/env/0/name"), "B");
	assert_string_equal(str_at(cs, "0/env/1/name"), "A");
	assert_null(at(d, "spec/template/spec/volumes"));
	const tm_value *priv = at(cs, "0/securityContext/privileged");
	assert_string_equal(tm_scalar_str(priv, NULL), "true");
	tm_loc l = tm_value_loc(r.f, priv);
	assert_string_equal(l.path, "app/patch.yaml");
	assert_int_equal(l.line, 10);
	assert_int_equal(l.col, 23);
	done(&r);
}

static void json6902_inline_and_file(void **state)
{
	(void)state;
	static const mfile files[] = {
		{"k/kustomization.yaml", "resources: [deploy.yaml]\n"
					 "patches:\n"
					 "- target: {kind: Deployment, name: w.b}\n"
					 "  patch: |-\n"
					 "    - op: add\n"
					 "      path: /spec/template/spec/containers/-\n"
					 "      value: {name: debug, image: busybox}\n"
					 "    - op: replace\n"
					 "      path: /spec/template/spec/containers/0/image\n"
					 "      value: evil:latest\n"
					 "patchesJSON6902:\n"
					 "- target: {group: apps, version: v1, kind: Deployment, name: web}\n"
					 "  path: ops.yaml\n"},
		{"k/deploy.yaml", DEPLOY},
		{"k/ops.yaml", "- op: remove\n  path: /spec/template/spec/containers/1\n"
			       "- op: copy\n  from: /metadata/name\n  path: /metadata/labels\n"
			       "- op: test\n  path: /spec/template/spec/containers/0/name\n  value: app\n"},
	};
	rendered r = render(files, TM_ARRAY_LEN(files), "k");
	assert_int_equal(r.rc, 0);
	const tm_value *d = find(&r, "Deployment", "web");
	const tm_value *cs = at(d, "spec/template/spec/containers");
	assert_int_equal(tm_value_len(cs), 2);
	assert_string_equal(str_at(cs, "0/image"), "evil:latest");
	assert_string_equal(str_at(cs, "1/name"), "debug");
	assert_string_equal(str_at(d, "metadata/labels"), "web");
	/* an inline patch's values point at the kustomization line they were written on */
	tm_loc l = tm_value_loc(r.f, at(cs, "0/image"));
	assert_string_equal(l.path, "k/kustomization.yaml");
	assert_int_equal(l.line, 10);
	done(&r);
}

static void generator_hash_matches_kubectl(void **state)
{
	(void)state;
	/* kubectl kustomize prints my-configmap-5982k89hbt and mysecrets-... for these inputs */
	static const mfile files[] = {
		{"g/kustomization.yaml", "configMapGenerator:\n"
					 "- name: my-configmap\n"
					 "  files: [common.properties]\n"
					 "secretGenerator:\n"
					 "- name: creds\n"
					 "  literals: [password=hunter2]\n"
					 "  options: {disableNameSuffixHash: true}\n"},
		{"g/common.properties", "color=blue\nheight=10m\n"},
	};
	rendered r = render(files, TM_ARRAY_LEN(files), "g");
	assert_int_equal(r.rc, 0);
	assert_non_null(find(&r, "ConfigMap", "my-configmap-5982k89hbt"));
	/* the digest covers generator inputs too: change one byte of the file, the digest moves */
	uint64_t digest = tm_file_digest(r.f);
	mfile changed[] = {files[0], {"g/common.properties", "color=blue\nheight=11m\n"}};
	rendered r2 = render(changed, 2, "g");
	assert_int_equal(r2.rc, 0);
	assert_true(tm_file_digest(r2.f) != digest);
	done(&r2);
	r2 = render(files, TM_ARRAY_LEN(files), "g");
	assert_true(tm_file_digest(r2.f) == digest);
	done(&r2);
	const tm_value *s = find(&r, "Secret", "creds");
	assert_non_null(s);
	assert_string_equal(str_at(s, "data/password"), "aHVudGVyMg==");
	assert_string_equal(str_at(s, "type"), "Opaque");
	tm_loc l = tm_value_loc(r.f, at(s, "data/password"));
	assert_string_equal(l.path, "g/kustomization.yaml");
	assert_int_equal(l.line, 6);
	done(&r);
}

static void hostile_inputs_are_diagnosed(void **state)
{
	(void)state;
	static const mfile files[] = {
		{"a/kustomization.yaml", "resources:\n- ../b\n- ../../outside\n"
					 "- https://example.com/x.yaml\n- missing.yaml\n"
					 "helmCharts:\n- name: redis\n"},
		{"b/kustomization.yaml", "resources: [../a]\n"},
	};
	rendered r = render(files, TM_ARRAY_LEN(files), "a");
	assert_int_equal(r.rc, 0);
	const tm_diag *d = diag_with(&r, "cycle");
	assert_non_null(d);
	assert_string_equal(d->loc.path, "b/kustomization.yaml");
	assert_int_equal(d->loc.line, 1);
	assert_non_null(d = diag_with(&r, "leaves the scan root"));
	assert_int_equal(d->loc.line, 3);
	assert_non_null(d = diag_with(&r, "not fetched"));
	assert_int_equal(d->level, TM_LEVEL_WARNING);
	assert_non_null(diag_with(&r, "missing.yaml not found"));
	assert_non_null(d = diag_with(&r, "chart redis is not in charts under this kustomization"));
	assert_int_equal(d->level, TM_LEVEL_WARNING); /* kustomize would pull it: never here */
	assert_int_equal(d->loc.line, 7);
	done(&r);

	/* the same directory written another way renders the same, with the same paths */
	static const mfile plain[] = {{"a/kustomization.yaml", "resources: [r.yaml]\n"},
				      {"a/r.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"}};
	r = render(plain, 2, "./a/.");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.d.count, 0);
	assert_string_equal(tm_file_path(r.f), "a/kustomization.yaml");
	assert_string_equal(tm_value_loc(r.f, tm_file_doc(r.f, 0)).path, "a/r.yaml");
	done(&r);
	r = render(plain, 2, "../a");
	assert_int_equal(r.rc, TM_EINVALID);
	done(&r);

	/* roots: a kustomization that is not a Component */
	{
		static const mfile tree[] = {{"k/kustomization.yml", "resources: []\n"},
					     {"c/Kustomization", "kind: Component\n"},
					     {"e/kustomization.yaml", "# nothing\n"}};
		const char *paths[3] = {tree[0].path, tree[1].path, tree[2].path};
		const char *data[3] = {tree[0].text, tree[1].text, tree[2].text};
		size_t lens[3] = {strlen(data[0]), strlen(data[1]), strlen(data[2])};
		tm_fsys_mem mem = {paths, data, lens, 3};
		tm_fsys fs;
		tm_fsys_mem_init(&fs, &mem);
		assert_true(tm_kustomize_is_root(&fs, "k", NULL));
		assert_false(tm_kustomize_is_root(&fs, "c", NULL));
		assert_false(tm_kustomize_is_root(&fs, "e", NULL));
		assert_false(tm_kustomize_is_root(&fs, "x", NULL));
		assert_string_equal(tm_kustomize_file_in(&fs, "c"), "Kustomization");
	}

	/* a Component alone: refused with a note, not an error */
	static const mfile comp[] = {{"c/kustomization.yaml", "kind: Component\n"}};
	r = render(comp, 1, "c");
	assert_int_equal(r.rc, TM_EINVALID);
	assert_int_equal(tm_diag_count(&r.d, TM_LEVEL_WARNING), 0);
	assert_non_null(diag_with(&r, "not rendered alone"));
	done(&r);

	static const mfile none[] = {{"x/readme.md", "hi"}};
	r = render(none, 1, "x");
	assert_int_equal(r.rc, TM_ENOTFOUND);
	assert_null(r.f);
	done(&r);
}

/* An overlay may name a base's object by the name the base gave it: kubectl follows both. */
static void references_by_any_earlier_name(void **state)
{
	(void)state;
	static const mfile files[] = {
		{"base/kustomization.yaml", "resources: [sa.yaml]\nnamePrefix: a-\n"},
		{"base/sa.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n"},
		{"ov/kustomization.yaml", "resources: [../base, p.yaml]\nnamePrefix: b-\n"},
		{"ov/p.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
			      "spec: {serviceAccountName: a-web, containers: [{name: c, image: x}]}\n"
			      "---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\n"
			      "spec: {serviceAccountName: web, containers: [{name: c, image: x}]}\n"},
	};
	rendered r = render(files, TM_ARRAY_LEN(files), "ov");
	assert_int_equal(r.rc, 0);
	assert_string_equal(str_at(find(&r, "Pod", "b-p"), "spec/serviceAccountName"), "b-a-web");
	assert_string_equal(str_at(find(&r, "Pod", "b-q"), "spec/serviceAccountName"), "b-a-web");
	/* the rewritten reference keeps the line it was written on */
	tm_loc l = tm_value_loc(r.f, at(find(&r, "Pod", "b-p"), "spec/serviceAccountName"));
	assert_string_equal(l.path, "ov/p.yaml");
	assert_int_equal(l.line, 4);
	done(&r);
}

/* Bases shared along many paths: 2^24 paths through 24 levels of diamonds, bounded. */
static void diamonds_are_bounded(void **state)
{
	(void)state;
	static char names[50][48], texts[50][96];
	mfile files[50];
	size_t n = 0;
	for (int i = 0; i < 24; i++) {
		snprintf(names[n], sizeof(names[n]), "d%02d/a/kustomization.yaml", i);
		snprintf(texts[n], sizeof(texts[n]), "resources: [../../d%02d/a, ../../d%02d/b]\n", i + 1, i + 1);
		files[n] = (mfile){names[n], texts[n]};
		n++;
		snprintf(names[n], sizeof(names[n]), "d%02d/b/kustomization.yaml", i);
		snprintf(texts[n], sizeof(texts[n]), "resources: [../../d%02d/a]\n", i + 1);
		files[n] = (mfile){names[n], texts[n]};
		n++;
	}
	files[n++] = (mfile){"d24/a/kustomization.yaml", "resources: []\n"};
	files[n++] = (mfile){"d24/b/kustomization.yaml", "resources: []\n"};
	rendered r = render(files, n, "d00/a");
	assert_int_equal(r.rc, 0);
	assert_non_null(diag_with(&r, "kustomizations rendered"));
	done(&r);
}

static void replacements_and_vars(void **state)
{
	(void)state;
	static const mfile files[] = {
		{"r/kustomization.yaml", "resources: [deploy.yaml, svc.yaml]\n"
					 "replacements:\n"
					 "- source: {kind: Service, name: web, fieldPath: spec.ports.0.port}\n"
					 "  targets:\n"
					 "  - select: {kind: Deployment}\n"
					 "    fieldPaths:\n"
					 "    - spec.template.spec.containers.[name=app].env.[name=A].value\n"
					 "vars:\n"
					 "- name: SVC\n"
					 "  objref: {kind: Service, name: web, apiVersion: v1}\n"},
		{"r/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
				  "spec:\n  template:\n    spec:\n      containers:\n"
				  "      - name: app\n        image: x\n        args: ['--svc=$(SVC)']\n"
				  "        env: [{name: A, value: '1'}]\n"},
		{"r/svc.yaml", SVC_SA},
	};
	rendered r = render(files, TM_ARRAY_LEN(files), "r");
	assert_int_equal(r.rc, 0);
	const tm_value *d = find(&r, "Deployment", "web");
	assert_string_equal(str_at(d, "spec/template/spec/containers/0/env/0/value"), "80");
	tm_loc l = tm_value_loc(r.f, at(d, "spec/template/spec/containers/0/env/0/value"));
	assert_string_equal(l.path, "r/svc.yaml");
	assert_int_equal(l.line, 6);
	assert_string_equal(str_at(d, "spec/template/spec/containers/0/args/0"), "--svc=web");
	done(&r);
}

static void many_resources_with_many_patches(void **state)
{
	(void)state;
	/* 2000 objects, 500 patches by name: the index keeps this fast */
	tm_strbuf res = TM_STRBUF_INIT, kust = TM_STRBUF_INIT, pat = TM_STRBUF_INIT;
	for (int i = 0; i < 2000; i++)
		tm_strbuf_printf(&res, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}\n"
				       "data: {k: v}\n", i);
	tm_strbuf_puts(&kust, "resources: [r.yaml]\npatchesStrategicMerge: [p.yaml]\n");
	for (int i = 0; i < 500; i++)
		tm_strbuf_printf(&pat, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}\n"
				       "data: {k: patched}\n", i * 4);
	mfile files[] = {{"m/kustomization.yaml", kust.data}, {"m/r.yaml", res.data},
			 {"m/p.yaml", pat.data}};
	rendered r = render(files, 3, "m");
	assert_int_equal(r.rc, 0);
	assert_int_equal(tm_file_doc_count(r.f), 2000);
	assert_string_equal(str_at(find(&r, "ConfigMap", "c1996"), "data/k"), "patched");
	assert_string_equal(str_at(find(&r, "ConfigMap", "c1997"), "data/k"), "v");
	done(&r);
	tm_strbuf_dispose(&res);
	tm_strbuf_dispose(&kust);
	tm_strbuf_dispose(&pat);
}

static void limits_bound_the_output(void **state)
{
	(void)state;
	static const mfile files[] = {
		{"l/kustomization.yaml", "resources: [r.yaml, r2.yaml]\n"},
		{"l/r.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
			     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"},
		{"l/r2.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"},
	};
	const char *paths[3], *data[3];
	size_t lens[3];
	for (size_t i = 0; i < 3; i++) {
		paths[i] = files[i].path;
		data[i] = files[i].text;
		lens[i] = strlen(files[i].text);
	}
	tm_fsys_mem mem = {paths, data, lens, 3};
	tm_fsys fs;
	tm_fsys_mem_init(&fs, &mem);
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_documents = 2;
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f = NULL;
	tm_kust_opts o = {&fs, "l", &lim, 0, &d};
	assert_int_equal(tm_kustomize_render(&f, NULL, &o), TM_ELIMIT);
	assert_null(f);
	assert_true(tm_diag_count(&d, TM_LEVEL_ERROR) >= 1);
	tm_diag_list_dispose(&d);
}

static const mfile OVERLAY[] = {
	{"base/kustomization.yaml", "resources: [deploy.yaml, svc.yaml]\n"
				    "configMapGenerator:\n- name: web-config\n  literals: [LEVEL=info]\n"},
	{"base/deploy.yaml", DEPLOY},
	{"base/svc.yaml", SVC_SA},
	{"prod/kustomization.yaml", "resources: [../base]\nnamePrefix: prod-\nnamespace: shop\n"
				    "commonLabels: {env: prod}\n"
				    "patches:\n- patch: |-\n    - {op: add, path: /spec/replicas, value: 2}\n"
				    "  target: {kind: Deployment}\n"
				    "- path: p.yaml\n"},
	{"prod/p.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
			"spec: {template: {spec: {containers: [{name: app, image: x}]}}}\n"},
};

static const mfile EVERYTHING[] = {
	{"e/kustomization.yaml", "resources: [r.yaml, ../comp-base]\n"
				 "components: [../comp]\n"
				 "configMapGenerator:\n- name: c\n  literals: [A=1, 'B=\"2\"']\n  envs: [x.env]\n"
				 "secretGenerator:\n- name: s\n  files: [k=x.env]\n"
				 "patchesJson6902:\n- target: {kind: Deployment, name: d}\n  path: ops.yaml\n"
				 "replacements:\n- source: {kind: ConfigMap, name: c, fieldPath: data.A}\n"
				 "  targets:\n  - select: {kind: Deployment}\n"
				 "    fieldPaths: ['spec.template.spec.containers.[name=a].image']\n"
				 "    options: {delimiter: ':', index: 1}\n"
				 "vars:\n- {name: V, objref: {kind: ConfigMap, name: c, apiVersion: v1}}\n"
				 "images: [{name: x, newName: reg/z, digest: 'sha256:00'}]\n"
				 "replicas: [{name: d, count: 4}]\n"
				 "commonAnnotations: {a: b}\n"
				 "labels: [{pairs: {l: m}, includeSelectors: true}]\n"},
	{"e/r.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
		     "spec:\n  template:\n    spec:\n      containers:\n"
		     "      - {name: a, image: 'x:1', args: [$(V)], envFrom: [{configMapRef: {name: c}}]}\n"
		     "      volumes: [{name: s, secret: {secretName: s}}]\n"},
	{"e/x.env", "K=v\n# comment\nBARE\n"},
	{"e/ops.yaml", "- {op: add, path: /metadata/labels, value: {x: w}}\n"
		       "- {op: move, from: /metadata/labels, path: /metadata/annotations}\n"},
	{"comp-base/kustomization.yaml", "resources: [sa.yaml]\nnameSuffix: -v1\n"},
	{"comp-base/sa.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n"},
	{"comp/kustomization.yaml", "kind: Component\npatches:\n- patch: |\n"
				    "    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: d}\n"
				    "    spec: {template: {spec: {serviceAccountName: sa}}}\n"},
};

/* Every allocation of a render fails in turn: an error or a result, never a crash or a leak. */
static void survive_every_failure(const mfile *files, size_t n, const char *dir)
{
	tm_set_allocator(&counting);
	calls = 0;
	fail_at = 0;
	rendered r = render(files, n, dir);
	assert_int_equal(r.rc, 0);
	done(&r);
	size_t total = calls;
	assert_true(total > 50);
	for (fail_at = 1; fail_at <= total; fail_at++) {
		calls = 0;
		r = render(files, n, dir);
		assert_true(r.rc <= 0);
		assert_true(r.rc != 0 || r.f != NULL);
		done(&r);
	}
	tm_set_allocator(NULL);
}

static void render_survives_every_allocation_failure(void **state)
{
	(void)state;
	survive_every_failure(OVERLAY, TM_ARRAY_LEN(OVERLAY), "prod");
	survive_every_failure(EVERYTHING, TM_ARRAY_LEN(EVERYTHING), "e");
}

static void every_feature_at_once(void **state)
{
	(void)state;
	rendered r = render(EVERYTHING, TM_ARRAY_LEN(EVERYTHING), "e");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.d.count, 0);
	const tm_value *d = find(&r, "Deployment", "d");
	assert_non_null(d);
	assert_string_equal(str_at(d, "spec/replicas"), "4");
	assert_string_equal(str_at(d, "spec/template/spec/serviceAccountName"), "sa-v1");
	/* as kubectl prints it: JSON 6902 runs after labels and annotations, so the move replaces
	 * the annotations commonAnnotations set with the labels the first op made */
	assert_string_equal(str_at(d, "metadata/annotations/x"), "w");
	assert_null(at(d, "metadata/annotations/a"));
	assert_null(at(d, "metadata/labels"));
	assert_string_equal(str_at(d, "spec/template/metadata/annotations/a"), "b");
	assert_string_equal(str_at(d, "spec/selector/matchLabels/l"), "m");
	/* replacement (delimiter ':' index 1) then images: digest */
	assert_string_equal(str_at(d, "spec/template/spec/containers/0/image"), "reg/z@sha256:1");
	/* vars and name references follow the hashed names kubectl computes */
	assert_string_equal(str_at(d, "spec/template/spec/containers/0/args/0"), "c-54k42gh6k2");
	assert_string_equal(str_at(d, "spec/template/spec/volumes/0/secret/secretName"), "s-9gt7k24g49");
	const tm_value *cm = find(&r, "ConfigMap", "c-54k42gh6k2");
	assert_string_equal(str_at(cm, "data/B"), "2");
	assert_string_equal(str_at(cm, "data/BARE"), "");
	tm_loc l = tm_value_loc(r.f, at(cm, "data/K"));
	assert_string_equal(l.path, "e/x.env");
	assert_int_equal(l.line, 1);
	assert_non_null(find(&r, "Secret", "s-9gt7k24g49"));
	assert_non_null(find(&r, "ServiceAccount", "sa-v1"));
	done(&r);
}

/* The disk: a link leading out of the root is refused, a link inside is followed for
 * directories; files are opened without following links. */
static void disk_refuses_links_out_of_the_root(void **state)
{
	(void)state;
	char root[] = "/tmp/tm-kust-XXXXXX";
	char outside[] = "/tmp/tm-kust-out-XXXXXX";
	assert_non_null(mkdtemp(root));
	assert_non_null(mkdtemp(outside));
	char path[512];
	FILE *fp;
	snprintf(path, sizeof(path), "%s/cm.yaml", outside);
	assert_non_null(fp = fopen(path, "w"));
	fputs("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen}\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/app", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/app/kustomization.yaml", root);
	assert_non_null(fp = fopen(path, "w"));
	fputs("resources: [cm.yaml, out/cm.yaml, own.yaml]\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/app/own.yaml", root);
	assert_non_null(fp = fopen(path, "w"));
	fputs("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: own}\n", fp);
	fclose(fp);
	char target[512];
	snprintf(target, sizeof(target), "%s/cm.yaml", outside);
	snprintf(path, sizeof(path), "%s/app/cm.yaml", root);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/app/out", root);
	assert_int_equal(symlink(outside, path), 0);

	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f = NULL;
	tm_kust_consumed c = TM_KUST_CONSUMED_INIT;
	assert_int_equal(tm_kustomize_render_disk(&f, &c, root, "app", NULL, &d), 0);
	assert_int_equal(tm_file_doc_count(f), 1);
	assert_string_equal(tm_map_get_str(tm_map_get(tm_file_doc(f, 0), "metadata"), "name"), "own");
	size_t refused = 0;
	for (size_t i = 0; i < d.count; i++)
		refused += strstr(d.items[i].msg, "symbolic link") != NULL;
	assert_int_equal(refused, 2);
	assert_int_equal(c.n, 2);
	tm_file_free(f);
	tm_kust_consumed_dispose(&c);
	tm_diag_list_dispose(&d);

	snprintf(path, sizeof(path), "rm -rf '%s' '%s'", root, outside);
	assert_int_equal(system(path), 0);
}

static void builtin_transformer_configs(void **state)
{
	(void)state;
	static const mfile files[] = {
		{"t/kustomization.yaml", "resources: [deploy.yaml, rb.yaml]\n"
					 "namespace: shop\n"
					 "transformers: [labels.yaml, ../cfg]\n"
					 "helmCharts:\n- name: x\n"},
		{"t/deploy.yaml", DEPLOY},
		{"t/rb.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
			      "metadata: {name: admin}\n"
			      "roleRef: {kind: ClusterRole, name: cluster-admin}\n"
			      "subjects:\n- {kind: ServiceAccount, name: default, namespace: other}\n"
			      "- {kind: ServiceAccount, name: ci, namespace: other}\n"},
		{"t/labels.yaml", "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: l}\n"
				  "labels: {team: blue}\n"
				  "fieldSpecs:\n- {path: spec/template/metadata/labels, kind: Deployment, create: true}\n"
				  "---\napiVersion: builtin\nkind: PrefixSuffixTransformer\nmetadata: {name: p}\n"},
		{"cfg/kustomization.yaml", "resources: [va.yaml]\n"},
		{"cfg/va.yaml", "apiVersion: builtin\nkind: ValueAddTransformer\nmetadata: {name: v}\n"
				"targets:\n- fieldPath: metadata/annotations/project\n"},
	};
	rendered r = render(files, TM_ARRAY_LEN(files), "t");
	assert_int_equal(r.rc, 0);
	const tm_value *d = find(&r, "Deployment", "web");
	assert_string_equal(str_at(d, "spec/template/metadata/labels/team"), "blue");
	assert_null(at(d, "metadata/labels/team"));
	assert_string_equal(str_at(d, "metadata/annotations/project"), "t");
	tm_loc l = tm_value_loc(r.f, at(d, "spec/template/metadata/labels/team"));
	assert_string_equal(l.path, "t/labels.yaml");
	assert_int_equal(l.line, 4);
	const tm_value *rb = find(&r, "ClusterRoleBinding", "admin");
	assert_null(at(rb, "metadata/namespace"));
	assert_string_equal(str_at(rb, "subjects/0/namespace"), "shop"); /* "default" moves */
	assert_string_equal(str_at(rb, "subjects/1/namespace"), "other");
	assert_non_null(diag_with(&r, "PrefixSuffixTransformer is not run"));
	assert_non_null(diag_with(&r, "chart x is not in charts under this kustomization"));
	assert_int_equal(tm_file_doc_count(r.f), 2); /* configurations are not output */
	done(&r);
}

/* helmCharts: a chart in the tree inflated with the values kustomize assembles (valuesMerge
 * override / merge / replace, additionalValuesFiles after), chartHome from helmGlobals, a
 * versioned directory first; its manifests then transformed; a chart not in the tree said. */
static void helm_charts_inflated(void **state)
{
	(void)state;
	static const char tmpl[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
				   "  namespace: {{ .Release.Namespace }}\ndata:\n  a: {{ .Values.a | quote }}\n"
				   "  b: {{ .Values.b | quote }}\n  c: {{ .Values.c | quote }}\n  d: {{ .Values.d | quote }}\n";
	static const char *const merges[] = {"override", "merge", "replace"};
	/* override: the inline values over the file; merge: the file's over them; replace: the inline
	 * values instead of the file (the chart's own values still below) */
	static const char *const want[][4] = {{"inline", "inline-b", "extra", "file"},
					      {"file", "file", "extra", "file"},
					      {"inline", "inline-b", "extra", "chart"}};
	for (size_t m = 0; m < 3; m++) {
		char kust[1024];
		snprintf(kust, sizeof(kust),
			 "helmGlobals: {chartHome: vendor}\nnamePrefix: p-\n"
			 "helmCharts:\n"
			 "  - name: app\n    version: 1.2.0\n    releaseName: rel\n    namespace: ns1\n"
			 "    valuesFile: prod.yaml\n    valuesMerge: %s\n"
			 "    valuesInline: {a: inline, b: %s}\n    additionalValuesFiles: [extra.yaml]\n"
			 "  - name: gone\n    repo: https://charts.example.com\n",
			 merges[m], m == 1 ? "inline" : "inline-b");
		const mfile files[] = {
		    {"k/kustomization.yaml", kust},
		    {"k/prod.yaml", "a: file\nb: file\nd: file\n"},
		    {"k/extra.yaml", "c: extra\n"},
		    {"k/vendor/app-1.2.0/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.2.0\n"},
		    {"k/vendor/app-1.2.0/app/values.yaml", "a: chart\nb: chart\nc: chart\nd: chart\n"},
		    {"k/vendor/app-1.2.0/app/templates/cm.yaml", tmpl},
		};
		rendered r = render(files, 6, "k");
		assert_int_equal(r.rc, 0);
		const tm_value *cm = find(&r, "ConfigMap", "p-rel-cm");
		assert_non_null(cm);
		assert_string_equal(str_at(cm, "metadata/namespace"), "ns1");
		assert_string_equal(str_at(cm, "data/a"), want[m][0]);
		assert_string_equal(str_at(cm, "data/b"), want[m][1]);
		assert_string_equal(str_at(cm, "data/c"), want[m][2]);
		assert_string_equal(str_at(cm, "data/d"), want[m][3]);
		/* located at the template's lines */
		assert_string_equal(tm_value_loc(r.f, at(cm, "data/a")).path, "k/vendor/app-1.2.0/app/templates/cm.yaml");
		assert_int_equal(tm_value_loc(r.f, at(cm, "data/a")).line, 7);
		assert_non_null(diag_with(&r, "chart gone is not in vendor"));
		bool read = false;
		for (size_t i = 0; i < r.c.n; i++)
			read |= strcmp(r.c.paths[i], "k/vendor/app-1.2.0/app/templates/cm.yaml") == 0;
		assert_true(read);
		done(&r);
	}
}

/* helmCharts: a value the chart requires and the entry does not give renders as the placeholder,
 * said in a note at the entry (where the values are given) naming the value and its place. */
static void helm_charts_required_said(void **state)
{
	(void)state;
	static const mfile files[] = {
		{"k/kustomization.yaml", "helmCharts:\n  - name: app\n    valuesInline: {b: given}\n"},
		{"k/charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n"},
		{"k/charts/app/templates/cm.yaml",
		 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n"
		 "  a: {{ required \"a is required\" .Values.a | quote }}\n  b: {{ required \"b is required\" .Values.b }}\n"},
	};
	rendered r = render(files, TM_ARRAY_LEN(files), "k");
	assert_int_equal(r.rc, 0);
	const tm_value *cm = find(&r, "ConfigMap", "cm");
	assert_non_null(cm);
	assert_string_equal(str_at(cm, "data/a"), "required-value-missing");
	assert_string_equal(str_at(cm, "data/b"), "given");
	const tm_diag *d = diag_with(&r, "helmCharts: chart app requires values not given: \"a is required\" "
					 "(templates/cm.yaml:6:9); rendered with \"required-value-missing\"");
	assert_non_null(d);
	assert_int_equal(d->level, TM_LEVEL_NOTE);
	assert_int_equal(d->code, 0);
	assert_string_equal(d->loc.path, "k/kustomization.yaml");
	assert_int_equal(d->loc.line, 2);
	assert_int_equal(tm_diag_count(&r.d, TM_LEVEL_WARNING), 0);
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base_overlay_component),
		cmocka_unit_test(smp_merge_delete_and_locations),
		cmocka_unit_test(json6902_inline_and_file),
		cmocka_unit_test(generator_hash_matches_kubectl),
		cmocka_unit_test(hostile_inputs_are_diagnosed),
		cmocka_unit_test(references_by_any_earlier_name),
		cmocka_unit_test(diamonds_are_bounded),
		cmocka_unit_test(replacements_and_vars),
		cmocka_unit_test(many_resources_with_many_patches),
		cmocka_unit_test(limits_bound_the_output),
		cmocka_unit_test(every_feature_at_once),
		cmocka_unit_test(render_survives_every_allocation_failure),
		cmocka_unit_test(disk_refuses_links_out_of_the_root),
		cmocka_unit_test(builtin_transformer_configs),
		cmocka_unit_test(helm_charts_inflated),
		cmocka_unit_test(helm_charts_required_said),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
