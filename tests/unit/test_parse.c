/* test_parse.c - the document tree: scalar types, positions, streams, keys, limits, jansson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "trustmap/doc.h"
#include "util/util.h"

typedef struct {
	tm_file *f;
	tm_diag_list d;
	int rc;
} parsed;

static parsed parse_with(const char *text, size_t len, const tm_limits *lim)
{
	parsed p;
	tm_diag_list_init(&p.d);
	p.f = NULL;
	p.rc = tm_file_parse(&p.f, "t.yaml", text, len, lim, &p.d);
	return p;
}

static parsed parse(const char *text)
{
	return parse_with(text, strlen(text), NULL);
}

static void done(parsed *p)
{
	tm_file_free(p->f);
	tm_diag_list_dispose(&p->d);
}

/* The message of the first diagnostic at or above level, or "". */
static const char *first_msg(const parsed *p, tm_level level)
{
	for (size_t i = 0; i < p->d.count; i++)
		if (p->d.items[i].level >= level)
			return p->d.items[i].msg;
	return "";
}

static void scalar_resolution_table(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		tm_scalar_type type;
	} cases[] = {
		{"yes", TM_SCALAR_BOOL},   {"No", TM_SCALAR_BOOL},    {"on", TM_SCALAR_BOOL},
		{"OFF", TM_SCALAR_BOOL},   {"y", TM_SCALAR_BOOL},     {"n", TM_SCALAR_BOOL},
		{"true", TM_SCALAR_BOOL},  {"~", TM_SCALAR_NULL},     {"null", TM_SCALAR_NULL},
		{"", TM_SCALAR_NULL},      {"0755", TM_SCALAR_INT},   {"0o17", TM_SCALAR_INT},
		{"0x1F", TM_SCALAR_INT},   {"0b101", TM_SCALAR_INT},  {"1_000", TM_SCALAR_INT},
		{"-42", TM_SCALAR_INT},    {"08", TM_SCALAR_STR},     {"1.5", TM_SCALAR_FLOAT},
		{"1e3", TM_SCALAR_FLOAT},  {".inf", TM_SCALAR_FLOAT}, {"-.Inf", TM_SCALAR_FLOAT},
		{"22:22", TM_SCALAR_STR},  {"yesno", TM_SCALAR_STR},  {"1.2.3", TM_SCALAR_STR},
		{"v1", TM_SCALAR_STR},     {"e3", TM_SCALAR_STR},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char doc[64];
		snprintf(doc, sizeof(doc), "k: %s\n", cases[i].text);
		parsed p = parse(doc);
		assert_int_equal(p.rc, 0);
		const tm_value *v = tm_map_get(tm_file_doc(p.f, 0), "k");
		assert_non_null(v);
		if (tm_scalar_type_of(v) != cases[i].type)
			fail_msg("'%s' resolved to %d, expected %d", cases[i].text, tm_scalar_type_of(v),
				 cases[i].type);
		done(&p);
	}
}

static void typed_views(void **state)
{
	(void)state;
	parsed p = parse("mode: 0644\nhex: 0x1F\nsep: 1_000\non_: on\noff_: Off\nq: \"yes\"\n"
			 "s: !!str 123\ni: !!int \"12\"\n");
	assert_int_equal(p.rc, 0);
	const tm_value *root = tm_file_doc(p.f, 0);
	int64_t n;
	bool b;
	assert_int_equal(tm_scalar_int(tm_map_get(root, "mode"), &n), 0);
	assert_int_equal(n, 420); /* YAML 1.1 octal, as kubectl reads file modes */
	assert_int_equal(tm_scalar_int(tm_map_get(root, "hex"), &n), 0);
	assert_int_equal(n, 31);
	assert_int_equal(tm_scalar_int(tm_map_get(root, "sep"), &n), 0);
	assert_int_equal(n, 1000);
	assert_int_equal(tm_scalar_bool(tm_map_get(root, "on_"), &b), 0);
	assert_true(b);
	assert_int_equal(tm_scalar_bool(tm_map_get(root, "off_"), &b), 0);
	assert_false(b);
	assert_int_equal(tm_scalar_bool(tm_map_get(root, "q"), &b), TM_EINVALID);
	assert_true(tm_scalar_quoted(tm_map_get(root, "q")));
	assert_int_equal(tm_scalar_type_of(tm_map_get(root, "s")), TM_SCALAR_STR);
	assert_int_equal(tm_scalar_type_of(tm_map_get(root, "i")), TM_SCALAR_INT);
	done(&p);
}

static void on_key_found_by_text(void **state)
{
	(void)state;
	parsed p = parse("on:\n  push: {}\njobs: {}\n");
	assert_int_equal(p.rc, 0);
	const tm_value *root = tm_file_doc(p.f, 0);
	assert_non_null(tm_map_get(root, "on"));
	assert_int_equal(tm_scalar_type_of(tm_map_key(root, 0)), TM_SCALAR_BOOL);
	done(&p);
}

static void positions_block_and_flow(void **state)
{
	(void)state;
	parsed p = parse("a:\n  b: [x, {c: d}]\n  - ignored\n");
	/* the third line is a syntax error; check a clean document instead */
	done(&p);
	p = parse("a:\n  b: [x, {c: d}]\nlist:\n  - one\n  - two\n");
	assert_int_equal(p.rc, 0);
	const tm_value *root = tm_file_doc(p.f, 0);
	const tm_value *b = tm_map_get(tm_map_get(root, "a"), "b");
	assert_int_equal(tm_value_line(b), 2);
	assert_int_equal(tm_value_col(b), 6);
	const tm_value *x = tm_seq_at(b, 0);
	assert_int_equal(tm_value_line(x), 2);
	assert_int_equal(tm_value_col(x), 7);
	const tm_value *c = tm_map_get(tm_seq_at(b, 1), "c");
	assert_int_equal(tm_value_col(c), 14);
	const tm_value *two = tm_seq_at(tm_map_get(root, "list"), 1);
	assert_int_equal(tm_value_line(two), 5);
	assert_int_equal(tm_value_col(two), 5);
	tm_loc l = tm_value_loc(p.f, two);
	assert_string_equal(l.path, "t.yaml");
	assert_null(l.pointer);
	done(&p);
}

static void streams_and_empty_documents(void **state)
{
	(void)state;
	parsed p = parse("a: 1\n---\n---\n# only a comment\n---\nb: 2\n---\n- 3\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(tm_file_doc_count(p.f), 3); /* the empty ones are dropped */
	assert_non_null(tm_map_get(tm_file_doc(p.f, 1), "b"));
	assert_int_equal(tm_value_kind_of(tm_file_doc(p.f, 2)), TM_VALUE_SEQ);
	done(&p);
}

static void merge_keys(void **state)
{
	(void)state;
	parsed p = parse("base: &b {image: nginx, port: 80}\nextra: &e {debug: true}\n"
			 "web:\n  <<: [*b, *e]\n  port: 8080\n");
	assert_int_equal(p.rc, 0);
	const tm_value *web = tm_map_get(tm_file_doc(p.f, 0), "web");
	assert_int_equal(tm_value_len(web), 3);
	assert_string_equal(tm_map_get_str(web, "port"), "8080"); /* explicit key wins */
	assert_string_equal(tm_map_get_str(web, "image"), "nginx");
	assert_string_equal(tm_map_get_str(web, "debug"), "true");
	assert_null(tm_map_get(web, "<<"));
	done(&p);
}

static void duplicate_keys_keep_the_last(void **state)
{
	(void)state;
	parsed p = parse("name: a\nother: x\nname: b\n");
	assert_int_equal(p.rc, 0);
	assert_string_equal(tm_map_get_str(tm_file_doc(p.f, 0), "name"), "b");
	assert_int_equal(tm_value_len(tm_file_doc(p.f, 0)), 2);
	assert_int_equal(p.d.count, 1);
	assert_int_equal(p.d.items[0].loc.line, 3);
	assert_int_equal(p.d.items[0].loc.col, 1);
	assert_string_equal(p.d.items[0].msg, "duplicate key 'name' (first at line 1); the last value is used");
	done(&p);
	/* a large mapping goes through the hash path */
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < 100; i++)
		tm_strbuf_printf(&sb, "k%d: %d\n", i, i);
	tm_strbuf_puts(&sb, "k42: again\n");
	p = parse(sb.data);
	assert_int_equal(p.rc, 0);
	assert_int_equal(tm_value_len(tm_file_doc(p.f, 0)), 100);
	assert_string_equal(tm_map_get_str(tm_file_doc(p.f, 0), "k42"), "again");
	assert_int_equal(p.d.items[0].loc.line, 101);
	done(&p);
	tm_strbuf_dispose(&sb);
}

static void syntax_error_resyncs_at_next_document(void **state)
{
	(void)state;
	parsed p = parse("kind: A\n---\nkind: [B\n---\nkind: C\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(tm_file_doc_count(p.f), 2);
	assert_string_equal(tm_map_get_str(tm_file_doc(p.f, 1), "kind"), "C");
	assert_int_equal(tm_diag_count(&p.d, TM_LEVEL_ERROR), 1);
	assert_int_equal(tm_file_doc(p.f, 1) ? tm_value_line(tm_file_doc(p.f, 1)) : 0, 5);
	done(&p);
}

static void file_level_problems(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t len;
		int rc;
		tm_level level;
		const char *msg;
		uint32_t line, col;
	} cases[] = {
		{"a:\n\tb: 1\n", 9, TM_EPARSE, TM_LEVEL_ERROR, "tab character in indentation (yaml allows only spaces)", 2, 1},
		{"a: *nope\n", 9, TM_EPARSE, TM_LEVEL_ERROR, "alias '*nope' refers to no earlier anchor", 1, 4},
		{"\xff\xfe" "a\0:\0", 6, TM_EINVALID, TM_LEVEL_ERROR, "utf-16 encoded file; convert it to utf-8", 1, 1},
		{"k: \"caf\xe9\"\n", 10, TM_EINVALID, TM_LEVEL_ERROR, "invalid utf-8 (byte 0xe9)", 1, 8},
		{"ab\0cd", 5, TM_EINVALID, TM_LEVEL_WARNING, "binary file, not yaml or json", 1, 1},
		{"x: 1\nreplicas: {{ .Values.n }}\n", 30, TM_EUNSUPPORTED, TM_LEVEL_WARNING,
		 "go template, not rendered: render it (helm template, kustomize build) and scan the output", 2, 11},
		{"{{- if .Values.on }}\nx: 1\n{{- end }}\n", 36, TM_EUNSUPPORTED, TM_LEVEL_WARNING,
		 "go template, not rendered: render it (helm template, kustomize build) and scan the output", 1, 1},
		/* a block scalar ends where a line is no deeper than its key: the action after it is structure */
		{"a: |\n  {{ .x }}\n{{- if .Values.on }}\nb: 1\n", 42, TM_EUNSUPPORTED, TM_LEVEL_WARNING,
		 "go template, not rendered: render it (helm template, kustomize build) and scan the output", 3, 1},
		{"- name: x\n  args: |-\n    {{ .a }}\n  env: {{ .Values.env }}\n", 59, TM_EUNSUPPORTED, TM_LEVEL_WARNING,
		 "go template, not rendered: render it (helm template, kustomize build) and scan the output", 4, 8},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parsed p = parse_with(cases[i].text, cases[i].len, NULL);
		assert_int_equal(p.rc, cases[i].rc);
		assert_null(p.f);
		assert_true(p.d.count >= 1);
		if (p.d.items[0].level != cases[i].level)
			fail_msg("case %zu: level %d: %s", i, p.d.items[0].level, p.d.items[0].msg);
		assert_string_equal(p.d.items[0].msg, cases[i].msg);
		assert_int_equal(p.d.items[0].loc.line, cases[i].line);
		assert_int_equal(p.d.items[0].loc.col, cases[i].col);
		done(&p);
	}
}

static void files_that_parse_with_a_note(void **state)
{
	(void)state;
	parsed p = parse("run: echo ${{ github.sha }}\nhtml: '{{ range .Alerts }}{{ end }}'\n");
	assert_int_equal(p.rc, 0); /* GitHub expressions and quoted templates are text */
	assert_int_equal(p.d.count, 0);
	done(&p);
	/* text, not structure: an action after ": " inside a quoted scalar (a Prometheus rule's
	 * annotation), and the lines of block scalars (a sidecar injector's template, a sequence item's) */
	static const char *const text[] = {
		"description: \"errors per 5 minutes: {{ $value }}\"\nmsg: 'it''s: {{ .x }}'\n",
		"data:\n  config: |-\n    policy: enabled\n    template: |\n      a: {{ valueOrDefault .Values.x false }}\n"
		"      {{- if .Values.y }}\n\n      {{ end }}\nkind: ConfigMap\n",
		"items:\n  - >+ # folded\n    {{ .Values.z }}\n  - b\n",
	};
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		p = parse(text[i]);
		if (p.rc || p.d.count)
			fail_msg("case %zu: rc %d: %s", i, p.rc, p.d.count ? p.d.items[0].msg : "");
		done(&p);
	}
	p = parse(text[1]);
	assert_string_equal(tm_map_get_str(tm_file_doc(p.f, 0), "kind"), "ConfigMap");
	done(&p);
	p = parse("\xef\xbb\xbfk: v\n");
	assert_int_equal(p.rc, 0);
	assert_string_equal(tm_map_get_str(tm_file_doc(p.f, 0), "k"), "v");
	assert_string_equal(first_msg(&p, TM_LEVEL_NOTE), "utf-8 byte order mark ignored");
	done(&p);
	p = parse("# just a comment\n\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(tm_file_doc_count(p.f), 0);
	assert_string_equal(first_msg(&p, TM_LEVEL_NOTE), "empty file");
	done(&p);
	p = parse_with("", 0, NULL);
	assert_int_equal(p.rc, 0);
	assert_int_equal(tm_file_doc_count(p.f), 0);
	done(&p);
}

static void jansson_route_and_pointers(void **state)
{
	(void)state;
	tm_limits lim;
	tm_limits_default(&lim);
	lim.jansson_line_bytes = 16;
	const char *json = "{\"a/b\": {\"t~x\": [1, 2, {\"k\": \"v\"}]}, \"big\": 9223372036854775807999, "
			   "\"one\": 1.0, \"f\": 2.5, \"n\": null, \"t\": true}";
	parsed p = parse_with(json, strlen(json), &lim);
	assert_int_equal(p.rc, 0);
	assert_false(tm_file_has_positions(p.f));
	assert_int_equal(tm_file_syntax(p.f), TM_SYNTAX_JSON);
	const tm_value *root = tm_file_doc(p.f, 0);
	const tm_value *k = tm_map_get(tm_seq_at(tm_map_get(tm_map_get(root, "a/b"), "t~x"), 2), "k");
	tm_loc l = tm_value_loc(p.f, k);
	assert_int_equal(l.line, 0);
	assert_string_equal(l.pointer, "/a~1b/t~0x/2/k");
	assert_int_equal(tm_scalar_type_of(tm_map_get(root, "big")), TM_SCALAR_FLOAT);
	assert_int_equal(tm_scalar_type_of(tm_map_get(root, "one")), TM_SCALAR_INT);
	assert_int_equal(tm_scalar_type_of(tm_map_get(root, "f")), TM_SCALAR_FLOAT);
	assert_int_equal(tm_scalar_type_of(tm_map_get(root, "n")), TM_SCALAR_NULL);
	assert_int_equal(tm_scalar_type_of(tm_map_get(root, "t")), TM_SCALAR_BOOL);
	done(&p);

	const char *dup = "{\"a\": 1, \"a\": 2, \"padding\": \"xxxxxxxxxxxxxxxx\"}";
	p = parse_with(dup, strlen(dup), &lim);
	assert_int_equal(p.rc, TM_EPARSE);
	assert_non_null(strstr(first_msg(&p, TM_LEVEL_ERROR), "duplicate"));
	assert_int_equal(p.d.items[0].loc.line, 1);
	done(&p);
}

static void limits_are_enforced(void **state)
{
	(void)state;
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_depth = 4;
	parsed p = parse_with("a: [[[[[1]]]]]\n", 15, &lim);
	assert_int_equal(p.rc, TM_ELIMIT);
	assert_string_equal(first_msg(&p, TM_LEVEL_ERROR), "nesting deeper than 4 levels (limit)");
	done(&p);

	tm_limits_default(&lim);
	lim.max_scalar_bytes = 8;
	p = parse_with("a: 123456789\n", 13, &lim);
	assert_int_equal(p.rc, TM_ELIMIT);
	done(&p);

	tm_limits_default(&lim);
	lim.max_nodes = 10;
	p = parse_with("[1,2,3,4,5,6,7,8,9,10,11,12]\n", 29, &lim);
	assert_int_equal(p.rc, TM_ELIMIT);
	done(&p);

	tm_limits_default(&lim);
	lim.max_documents = 2;
	p = parse_with("a: 1\n---\nb: 2\n---\nc: 3\n", 23, &lim);
	assert_int_equal(p.rc, 0);
	assert_int_equal(tm_file_doc_count(p.f), 2);
	assert_non_null(strstr(first_msg(&p, TM_LEVEL_ERROR), "documents in one stream (limit)"));
	done(&p);

	tm_limits_default(&lim);
	lim.max_file_bytes = 4;
	p = parse_with("a: 12\n", 6, &lim);
	assert_int_equal(p.rc, TM_ELIMIT);
	assert_string_equal(first_msg(&p, TM_LEVEL_ERROR), "file is 6 bytes, over the limit of 4");
	done(&p);

	tm_limits_default(&lim);
	lim.max_alias_expansion = 20;
	p = parse_with("a: &a [1,2,3,4,5]\nb: [*a,*a,*a,*a,*a]\n", 38, &lim);
	assert_int_equal(p.rc, TM_ELIMIT);
	assert_non_null(strstr(first_msg(&p, TM_LEVEL_ERROR), "billion laughs"));
	done(&p);
}

static void load_reports_missing_files(void **state)
{
	(void)state;
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f = NULL;
	assert_int_equal(tm_file_load(&f, "/nonexistent/x.yaml", "x.yaml", NULL, &d), TM_EIO);
	assert_null(f);
	assert_string_equal(d.items[0].loc.path, "x.yaml");
	assert_non_null(strstr(d.items[0].msg, "cannot read"));
	tm_diag_list_dispose(&d);
}

/* Rendered files: adopted values report their own file; made values their origin; setters keep
 * maps indexed and lookups working. */
static void rendered_file_locations(void **state)
{
	(void)state;
	parsed base = parse("kind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n");
	parsed patch = parse("spec:\n  replicas: 3\n");
	assert_int_equal(base.rc, 0);
	tm_file *out = tm_file_new_rendered("overlay/kustomization.yaml");
	assert_non_null(out);
	uint64_t before = tm_file_digest(out);
	assert_int_equal(tm_file_adopt(out, base.f), 0);
	assert_int_equal(tm_file_adopt(out, patch.f), 0);
	assert_true(tm_file_digest(out) != before);
	tm_value *root = tm_file_doc_mut(base.f, 0);
	tm_value *spec = tm_map_get_mut(root, "spec");
	/* a value shared from the patch keeps the patch's line; a copy does too */
	tm_value *three = tm_value_copy(out, patch.f, tm_map_get(tm_file_doc(patch.f, 0), "spec") ?
				 tm_map_get(tm_map_get(tm_file_doc(patch.f, 0), "spec"), "replicas") : NULL);
	assert_non_null(three);
	assert_int_equal(tm_map_set(out, spec, "replicas", three), 0);
	tm_loc origin = {"overlay/kustomization.yaml", 7, 3, NULL};
	tm_value *ns = tm_value_new_scalar(out, origin, TM_SCALAR_STR, "shop", 4, false);
	assert_int_equal(tm_map_set(out, tm_map_get_mut(root, "metadata"), "namespace", ns), 0);
	assert_int_equal(tm_file_add_doc(out, root), 0);

	const tm_value *doc = tm_file_doc(out, 0);
	tm_loc l = tm_value_loc(out, tm_map_get(tm_map_get(doc, "metadata"), "name"));
	assert_string_equal(l.path, "t.yaml");
	assert_int_equal(l.line, 3);
	l = tm_value_loc(out, tm_map_get(tm_map_get(doc, "spec"), "replicas"));
	assert_string_equal(l.path, "t.yaml"); /* the patch was parsed as t.yaml too: its line shows */
	assert_int_equal(l.line, 2);
	l = tm_value_loc(out, tm_map_get(tm_map_get(doc, "metadata"), "namespace"));
	assert_string_equal(l.path, "overlay/kustomization.yaml");
	assert_int_equal(l.line, 7);
	assert_int_equal(l.col, 3);
	assert_string_equal(tm_map_get_str(tm_map_get(doc, "metadata"), "namespace"), "shop");

	/* a map grown past the index threshold is indexed when its document is added */
	tm_value *big = tm_value_new_map(out, origin);
	char key[16];
	for (int i = 0; i < 40; i++) {
		snprintf(key, sizeof(key), "k%02d", 39 - i);
		tm_value *v = tm_value_new_scalar(out, origin, TM_SCALAR_INT, key + 1, 2, false);
		assert_int_equal(tm_map_set(out, big, key, v), 0);
	}
	assert_int_equal(tm_map_remove(big, "k05"), 1);
	assert_int_equal(tm_map_remove(big, "k05"), 0);
	assert_int_equal(tm_file_add_doc(out, big), 0);
	assert_string_equal(tm_map_get_str(tm_file_doc(out, 1), "k17"), "17");
	assert_null(tm_map_get(tm_file_doc(out, 1), "k05"));
	assert_int_equal(tm_value_len(tm_file_doc(out, 1)), 39);

	tm_value *seq = tm_value_new_seq(out, origin);
	for (int i = 0; i < 10; i++)
		assert_int_equal(tm_seq_insert(out, seq, 0, tm_value_new_scalar(out, origin, TM_SCALAR_STR, "x", 1, true)), 0);
	assert_int_equal(tm_seq_remove(seq, 9), 0);
	assert_int_equal(tm_seq_remove(seq, 9), TM_ENOTFOUND);
	assert_int_equal(tm_value_len(seq), 9);
	tm_file_free(out); /* frees the adopted files too */
	tm_diag_list_dispose(&base.d);
	tm_diag_list_dispose(&patch.d);
}

/* A text renderer's output: line i+1 came from paths[i]:lines[i]. */
static void line_map_points_at_the_template(void **state)
{
	(void)state;
	parsed p = parse("kind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n");
	assert_int_equal(p.rc, 0);
	const char *paths[] = {"chart/templates/svc.yaml", "chart/templates/svc.yaml",
			       "chart/templates/_helpers.tpl", NULL, "chart/values.yaml"};
	const uint32_t lines[] = {1, 2, 12, 9, 30};
	assert_int_equal(tm_file_set_linemap(p.f, paths, lines, 5), 0);
	const tm_value *doc = tm_file_doc(p.f, 0);
	tm_loc l = tm_value_loc(p.f, tm_map_get(tm_map_get(doc, "metadata"), "name"));
	assert_string_equal(l.path, "chart/templates/_helpers.tpl");
	assert_int_equal(l.line, 12);
	assert_int_equal(l.col, 9);
	l = tm_value_loc(p.f, tm_map_key(doc, 2)); /* the key "spec", line 4: unknown, the file's own */
	assert_string_equal(l.path, "t.yaml");
	assert_int_equal(l.line, 4);
	l = tm_value_loc(p.f, tm_map_get(tm_map_get(doc, "spec"), "type"));
	assert_string_equal(l.path, "chart/values.yaml");
	assert_int_equal(l.line, 30);
	/* a rendered file adopting it reports the mapped place too */
	tm_file *out = tm_file_new_rendered("k.yaml");
	assert_int_equal(tm_file_adopt(out, p.f), 0);
	assert_int_equal(tm_file_add_doc(out, tm_file_doc_mut(p.f, 0)), 0);
	l = tm_value_loc(out, tm_map_get(tm_map_get(tm_file_doc(out, 0), "spec"), "type"));
	assert_string_equal(l.path, "chart/values.yaml");
	assert_int_equal(l.line, 30);
	tm_file_free(out);
	tm_diag_list_dispose(&p.d);
}

/* A block scalar that ends the input without a final line break keeps none (YAML 1.2 chomping;
 * go-yaml agrees; libfyaml 0.7 added one). With a final break, clip keeps one and keep keeps all. */
static void block_scalar_at_end_of_input(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"a: |\n  x\n  y", "x\ny"},
		{"a: |\n  x\n  y\n", "x\ny\n"},
		{"a: >\n  x\n  y", "x y"},
		{"a: |-\n  x\n", "x"},
		{"a: |+\n  x\n\n", "x\n\n"},
		{"a: |\n  x\nb: 1", "x\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parsed p = parse(cases[i].text);
		assert_int_equal(p.rc, 0);
		assert_string_equal(tm_map_get_str(tm_file_doc(p.f, 0), "a"), cases[i].want);
		done(&p);
	}
}

/* tm_value_same and tm_value_hash: the same document in JSON and in YAML, its maps in another
 * order, is the same; an item moved in a sequence, a key renamed or a value changed is not. */
static void same_content_whatever_the_order(void **state)
{
	(void)state;
	char big_a[2048] = "{", big_b[2048] = "";
	for (int i = 0; i < 40; i++) /* past TM_MAP_INDEX_MIN: looked up through the map's index */
		snprintf(big_a + strlen(big_a), sizeof(big_a) - strlen(big_a), "%s\"k%d\": %d", i ? ", " : "", i, i);
	strcat(big_a, "}");
	for (int i = 39; i >= 0; i--)
		snprintf(big_b + strlen(big_b), sizeof(big_b) - strlen(big_b), "k%d: %d\n", i, i);
	static const struct {
		const char *a, *b;
		bool same;
	} cases[] = {
		{"{\"b\": [1, {\"x\": \"y\"}], \"a\": \"1.0\"}", "a: \"1.0\"\nb:\n- 1\n- x: y\n", true},
		{"x: [1, 2]", "x: [2, 1]", false},
		{"{a: 1, b: 2}", "{a: 1, c: 2}", false},
		{"{a: 1, b: 2}", "{a: 1, b: 3}", false},
		{"{a: 1, b: 2}", "{a: 1, b: 2, c: 3}", false},
		{"a: {}", "a: []", false},
		{"responses: {200: ok}", "responses: {\"200\": ok}", true}, /* scalars by their text */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]) + 1; i++) {
		bool last = i == sizeof(cases) / sizeof(cases[0]);
		parsed a = parse(last ? big_a : cases[i].a), b = parse(last ? big_b : cases[i].b);
		assert_int_equal(a.rc, 0);
		assert_int_equal(b.rc, 0);
		const tm_value *va = tm_file_doc(a.f, 0), *vb = tm_file_doc(b.f, 0);
		bool want = last || cases[i].same;
		assert_int_equal(tm_value_same(va, vb), want);
		assert_int_equal(tm_value_same(vb, va), want);
		if (want)
			assert_true(tm_value_hash(va) == tm_value_hash(vb));
		else
			assert_true(tm_value_hash(va) != tm_value_hash(vb));
		done(&a);
		done(&b);
	}
	assert_true(tm_value_same(NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scalar_resolution_table),
		cmocka_unit_test(typed_views),
		cmocka_unit_test(on_key_found_by_text),
		cmocka_unit_test(positions_block_and_flow),
		cmocka_unit_test(streams_and_empty_documents),
		cmocka_unit_test(merge_keys),
		cmocka_unit_test(duplicate_keys_keep_the_last),
		cmocka_unit_test(syntax_error_resyncs_at_next_document),
		cmocka_unit_test(file_level_problems),
		cmocka_unit_test(files_that_parse_with_a_note),
		cmocka_unit_test(jansson_route_and_pointers),
		cmocka_unit_test(limits_are_enforced),
		cmocka_unit_test(load_reports_missing_files),
		cmocka_unit_test(rendered_file_locations),
		cmocka_unit_test(line_map_points_at_the_template),
		cmocka_unit_test(block_scalar_at_end_of_input),
		cmocka_unit_test(same_content_whatever_the_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
