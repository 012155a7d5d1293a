/*
 * test_gotmpl.c - Go text/template with Sprig, natively: every construct, Go's printing rules, the
 * functions charts use, toYaml, the limits and the diagnostics.
 *
 * The table "go_cases" was produced by Go's own text/template with Sprig and sigs.k8s.io/yaml
 * (missingkey=zero and "<no value>" removed, as Helm renders), so each row pins Go's behaviour;
 * "else with" (Go 1.23) was checked against its documentation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "render/gotmpl.h"

typedef struct {
	tm_gt_set set;
	tm_diag_list d;
	tm_gt_out out;
	int rc;
} run;

/* Render template text with dot = the YAML values. */
static void render_lim(run *r, const char *text, const char *values, const tm_gt_limits *lim)
{
	memset(r, 0, sizeof(*r));
	tm_diag_list_init(&r->d);
	assert_int_equal(tm_gt_set_init(&r->set, &r->d), 0);
	tm_gv dot = tm_gv_nil();
	assert_int_equal(tm_gv_from_yaml(r->set.arena, values, strlen(values), false, &dot), 0);
	tm_gt_tmpl *t = NULL;
	r->rc = tm_gt_parse(&r->set, "t", "t.yaml", text, strlen(text), &t);
	if (r->rc == 0)
		r->rc = tm_gt_execute(&r->set, t, dot, lim, &r->out);
}

static void render(run *r, const char *text, const char *values)
{
	render_lim(r, text, values, NULL);
}

static const char *text_of(const run *r)
{
	return r->out.text.data ? r->out.text.data : "";
}

static void done(run *r)
{
	tm_gt_out_dispose(&r->out);
	tm_gt_set_dispose(&r->set);
	tm_diag_list_dispose(&r->d);
}

static const struct {
	const char *tmpl, *values, *want;
} go_cases[] = {
	{"{{ .a }}",
	 "a: 1",
	 "1"},
	{"{{ .m }}",
	 "m: {b: 2, a: x}",
	 "map[a:x b:2]"},
	{"{{ .l }}",
	 "l: [a, 1, true, null]",
	 "[a 1 true <nil>]"},
	{"[{{ .missing }}]",
	 "a: 1",
	 "[]"},
	{"{{ printf \"%v %s %d %q %t %x %5.2f|%-4s|%05d|%+d|%X|%o|%c|%U\" 1 \"s\" 3 \"q\" true 255 3.14159 \"ab\" 42 7 255 8 65 65 }}",
	 "{}",
	 "1 s 3 \"q\" true ff  3.14|ab  |00042|+7|FF|10|A|U+0041"},
	{"{{ printf \"%d %s\" .f }}",
	 "f: 80",
	 "%!d(float64=80) %!s(MISSING)"},
	{"{{ printf \"%s\" 1 2 }}",
	 "{}",
	 "%!s(int=1)%!(EXTRA int=2)"},
	{"{{ print 1 2 \"a\" \"b\" 3 }}",
	 "{}",
	 "1 2ab3"},
	{"{{ println 1 \"a\" }}",
	 "{}",
	 "1 a\n"},
	{"a  {{- 1 -}}  b",
	 "{}",
	 "a1b"},
	{"a{{/* c */}}b {{- /* d */ -}} c",
	 "{}",
	 "abc"},
	{"{{ if .x }}X{{ else if .y }}Y{{ else }}Z{{ end }}",
	 "y: 1",
	 "Z"},
	{"{{ range $i, $v := .l }}{{ $i }}={{ $v }},{{ end }}",
	 "l: [a, b]",
	 "0=a,1=b,"},
	{"{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}",
	 "m: {z: 1, a: 2, m: 3}",
	 "a=2;m=3;z=1;"},
	{"{{ range .m }}{{ . }}{{ end }}",
	 "m: {z: 1, a: 2}",
	 "21"},
	{"{{ range .e }}x{{ else }}empty{{ end }}",
	 "e: []",
	 "empty"},
	{"{{ range .l }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ if eq . \"d\" }}{{ break }}{{ end }}{{ . }}{{ end }}",
	 "l: [a, b, c, d, e]",
	 "ac"},
	{"{{ with .a }}A={{ . }}{{ else }}none{{ end }}",
	 "a: 3",
	 "A=3"},
	{"{{ with .q }}A{{ else with .a }}B{{ . }}{{ end }}",
	 "a: 3",
	 "B3"},
	{"{{ define \"x\" }}T{{ . }}{{ end }}{{ template \"x\" 5 }}{{ block \"b\" . }}B{{ .a }}{{ end }}",
	 "a: 1",
	 "T5B1"},
	{"{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
	 "{}",
	 "2"},
	{"{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}",
	 "{}",
	 "21"},
	{"{{ index .l 1 }} {{ index .m \"a\" }} {{ index .nn \"x\" \"y\" }}",
	 "{l: [a, b], m: {a: 1}, nn: {x: {y: z}}}",
	 "b 1 "},
	{"{{ slice .l 1 }} {{ slice .l 0 2 }}",
	 "l: [a, b, c]",
	 "[b c] [a b]"},
	{"{{ eq 1 1 }} {{ ne \"a\" \"b\" }} {{ lt 1 2 }} {{ ge 2 2 }} {{ eq .f 80.0 }} {{ eq \"a\" \"b\" \"a\" }}",
	 "f: 80",
	 "true true true true true true"},
	{"{{ and 1 0 }} {{ or 0 \"\" \"x\" }} {{ not 0 }} {{ and 1 2 }}",
	 "{}",
	 "0 x true 2"},
	{"{{ len .l }} {{ len \"h\xc3""\xa9""llo\" }} {{ len .m }}",
	 "{l: [1,2,3], m: {a: 1}}",
	 "3 6 1"},
	{"{{ html \"<a href='x'>&\" }} {{ js \"it's \\\"q\\\" <b>\" }} {{ urlquery \"a b&c\" }}",
	 "{}",
	 "&lt;a href=&#39;x&#39;&gt;&amp; it\\'s \\\"q\\\" \\u003Cb\\u003E a+b%26c"},
	{"{{ default \"d\" .x }} {{ default \"d\" .y }} {{ empty .z }} {{ coalesce .x \"\" \"c\" }} {{ ternary \"y\" \"n\" true }}",
	 "y: v",
	 "d d true c y"},
	{"{{ quote \"a\\\"b\" 1 }} {{ squote \"x\" }} {{ upper \"aB\" }} {{ lower \"aB\" }} {{ title \"hello world-x\" }}",
	 "{}",
	 "\"a\\\"b\" \"1\" 'x' AB ab Hello World-X"},
	{"{{ trim \"  a b  \" }}|{{ trimSuffix \"-\" \"abc-\" }}|{{ trimPrefix \"ab\" \"abc\" }}|{{ trunc 3 \"abcdef\" }}|{{ trunc -2 \"abcdef\" }}|{{ trimAll \"-\" \"--a--\" }}",
	 "{}",
	 "a b|abc|c|abc|ef|a"},
	{"{{ replace \"a\" \"b\" \"banana\" }} {{ contains \"an\" \"banana\" }} {{ hasPrefix \"ba\" \"banana\" }} {{ hasSuffix \"na\" \"banana\" }}",
	 "{}",
	 "bbnbnb true true true"},
	{"{{ splitList \",\" \"a,b,,c\" }} {{ join \"-\" .l }} {{ split \".\" \"a.b.c\" }}",
	 "l: [a, 1, null, true]",
	 "[a b  c] a-1-true map[_0:a _1:b _2:c]"},
	{"{{ indent 2 \"a\\nb\" }}|{{ nindent 2 \"a\\nb\" }}|{{ repeat 3 \"ab\" }}|{{ cat \"a\" 1 nil \"b\" }}",
	 "{}",
	 "  a\n  b|\n  a\n  b|ababab|a 1 b"},
	{"{{ toString 1.5 }} {{ int \"42\" }} {{ int 3.9 }} {{ int64 .f }} {{ float64 \"2.5\" }} {{ atoi \"12\" }}",
	 "f: 7",
	 "1.5 42 3 7 2.5 12"},
	{"{{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 3 }} {{ min 4 2 }} {{ add1 .f }}",
	 "f: 9",
	 "6 3 24 3 1 5 2 10"},
	{"{{ list 1 \"a\" }} {{ append .l \"x\" }} {{ prepend .l \"x\" }} {{ first .l }} {{ last .l }} {{ rest .l }} {{ initial .l }}",
	 "l: [a, b, c]",
	 "[1 a] [a b c x] [x a b c] a c [b c] [a b]"},
	{"{{ uniq .d }} {{ has \"b\" .l }} {{ without .l \"a\" }} {{ compact .c }} {{ concat .l .l }} {{ reverse .l }} {{ sortAlpha .s }}",
	 "{l: [a, b], d: [1, 1, 2], c: [a, \"\", null, b], s: [c, a, b]}",
	 "[1 2] true [b] [a b] [a b a b] [b a] [a b c]"},
	{"{{ $d := dict \"a\" 1 \"b\" \"x\" }}{{ $d }} {{ get $d \"a\" }} {{ set $d \"c\" 3 }} {{ unset $d \"a\" }} {{ hasKey $d \"b\" }} {{ keys $d | sortAlpha }} {{ values $d | len }}",
	 "{}",
	 "map[a:1 b:x] 1 map[a:1 b:x c:3] map[b:x c:3] true [b c] 2"},
	{"{{ pick .m \"a\" \"c\" }} {{ omit .m \"a\" }} {{ merge (dict \"a\" 1 \"n\" (dict \"x\" 1)) .m }} {{ mergeOverwrite (dict \"a\" 9 \"z\" 0) .m }}",
	 "m: {a: 1, b: 2, c: 3, n: {y: 2}}",
	 "map[a:1 c:3] map[b:2 c:3 false:map[true:2]] map[a:1 b:2 c:3 false:map[true:2] n:map[x:1]] map[a:1 b:2 c:3 false:map[true:2] z:0]"},
	{"{{ b64enc \"hello\" }} {{ b64dec \"aGVsbG8=\" }} {{ sha256sum \"abc\" }}",
	 "{}",
	 "aGVsbG8= hello ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{"{{ toJson .v }}|{{ toPrettyJson .v }}|{{ toRawJson .h }}",
	 "v: {b: [1, 2.5, \"x<y\"], a: null, c: true}",
	 "{\"a\":null,\"b\":[1,2.5,\"x\\u003cy\"],\"c\":true}|{\n  \"a\": null,\n  \"b\": [\n    1,\n    2.5,\n    \"x\\u003cy\"\n  ],\n  \"c\": true\n}|null"},
	{"{{ regexMatch \"^[a-z]+\\\\d$\" \"abc1\" }} {{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }} {{ regexFind \"[0-9]+\" \"ab123cd45\" }}",
	 "{}",
	 "true -W-xxW- 123"},
	{"{{ semverCompare \">=1.19-0\" \"v1.30.0\" }} {{ semverCompare \"<1.19\" \"1.30.0\" }} {{ semverCompare \"^1.2.0\" \"1.5.0\" }} {{ semverCompare \"~1.2.0\" \"1.3.0\" }} {{ semverCompare \">= 1.2, < 2.0\" \"1.9.9\" }}",
	 "{}",
	 "true false true false true"},
	{"{{ kindOf .m }} {{ kindOf .l }} {{ kindOf 1 }} {{ kindOf .f }} {{ typeOf .s }} {{ kindIs \"map\" .m }} {{ typeOf .m }}",
	 "{m: {}, l: [], f: 1.5, s: x}",
	 "map slice int float64 string true map[string]interface {}"},
	{"{{ until 3 }} {{ untilStep 1 10 3 }} {{ seq 3 }} {{ seq 2 5 }}",
	 "{}",
	 "[0 1 2] [1 4 7] 1 2 3 2 3 4 5"},
	{"{{ toYaml .v }}",
	 "v: {name: x, n: 1, f: 1.5, b: true, s: \"yes\", e: \"\", l: [a, {k: v, j: 2}], m: {}, z: null, multi: \"line1\\nline2\\n\", q: \"[$2]:$1\", d: \"2024-01-01\", o: \"0755\"}",
	 "b: true\nd: \"2024-01-01\"\ne: \"\"\nf: 1.5\n\"false\": 1\nl:\n- a\n- j: 2\n  k: v\nm: {}\nmulti: |\n  line1\n  line2\nname: x\no: \"0755\"\nq: '[$2]:$1'\ns: \"yes\"\nz: null"},
	{"{{ 1e6 }} {{ .big }} {{ 0x10 }} {{ 'a' }} {{ 1.5 }} {{ -3 }} {{ .small }}",
	 "{big: 1000000, small: 0.00001}",
	 "1e+06 1e+06 16 97 1.5 -3 1e-05"},
	{"{{ (.a).b }}",
	 "a: null",
	 ""},
	{"{{ $x := .missing }}[{{ $x.y }}]",
	 "{}",
	 "[]"},
	{"{{ .a.b }}",
	 "{a: {b: [1, 2]}}",
	 "[1 2]"},
	{"{{- range $i, $e := until 3 }}{{ $i }}{{ end -}}",
	 "{}",
	 "012"},
	{"{{ printf \"%v\" .m }} {{ printf \"%s\" .l }} {{ printf \"%d\" .l }}",
	 "{m: {a: [1, x]}, l: [1, 2]}",
	 "map[a:[1 x]] [%!s(float64=1) %!s(float64=2)] [%!d(float64=1) %!d(float64=2)]"},
	{"{{ dict \"a\" (list 1 2) | toYaml }}",
	 "{}",
	 "a:\n- 1\n- 2"},
	{"{{ .s | quote }} {{ .n | quote }} {{ quote .missing }}",
	 "{s: \"a\\tb\", n: 2}",
	 "\"a\\tb\"  "},
	{"{{ \"x\" | printf \"%s-%s\" \"a\" }}",
	 "{}",
	 "a-x"},
	{"{{ tpl \"{{ .a }}-{{ .b }}\" . }}",
	 "{a: 1}",
	 "1-"},
	{"{{ include \"y\" . }}{{ define \"y\" }}[{{ .a }}]{{ end }}",
	 "{a: 2}",
	 "[2]"},
	{"{{ merge (dict \"a\" \"\" \"b\" 0 \"c\" false \"d\" (dict) \"e\" (list) \"f\" \"keep\" \"nn\" (dict \"x\" 1) \"u\" nil) .m }}",
	 "m: {a: A, b: 2, c: true, d: {k: v}, e: [1], f: other, g: new, nn: {x: 2, yy: 3}, u: U}",
	 "map[a:A b:2 c:true d:map[k:v] e:[1] f:keep g:new nn:map[x:1 yy:3] u:U]"},
	{"{{ mergeOverwrite (dict \"a\" \"x\" \"b\" \"B\" \"nn\" (dict \"x\" 1 \"z\" 0)) .m }}",
	 "m: {a: \"\", b: null, nn: {x: 2, yy: null}, q: null}",
	 "map[a: b:<nil> nn:map[x:2 yy:<nil> z:0] q:<nil>]"},
	{"{{ title \"it's a dog_cat-fish\" }}",
	 "{}",
	 "It'S A Dog_cat-Fish"},
};

static void go_behaviour(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(go_cases); i++) {
		run r;
		render(&r, go_cases[i].tmpl, go_cases[i].values);
		const char *got = r.rc == 0 ? text_of(&r) : "ERROR";
		if (strcmp(got, go_cases[i].want) != 0) {
			printf("case %zu: %s\n  want: %s\n  got:  %s\n", i, go_cases[i].tmpl, go_cases[i].want, got);
			for (size_t k = 0; k < r.d.count; k++)
				printf("  diag: %s\n", r.d.items[k].msg);
			bad++;
		}
		done(&r);
	}
	assert_int_equal(bad, 0);
}

static void trimming_and_lines(void **state)
{
	(void)state;
	run r;
	render(&r, "a: 1\n{{- if true }}\nb: {{ .x }}\n{{- end }}\nc: |\n  {{- \"x\" | nindent 2 }}\n", "x: 2");
	assert_int_equal(r.rc, 0);
	assert_string_equal(text_of(&r), "a: 1\nb: 2\nc: |\n  x\n");
	/* the line map: each output line's template line */
	assert_int_equal(r.out.nlines, 4);
	assert_int_equal(r.out.lines[0], 1);
	assert_int_equal(r.out.lines[1], 3);
	assert_int_equal(r.out.lines[2], 5);
	assert_int_equal(r.out.lines[3], 6);
	assert_string_equal(r.out.paths[0], "t.yaml");
	done(&r);
}

static void scoping(void **state)
{
	(void)state;
	run r;
	/* range and with change dot; $ stays the root; a template call sees only its argument */
	render(&r, "{{ define \"n\" }}{{ .k }}{{ end }}{{ range .l }}{{ $.p }}{{ .k }}{{ template \"n\" . }}{{ end }}"
		   "{{ with .w }}{{ .z }}{{ $.p }}{{ end }}",
	       "{p: P, l: [{k: 1}, {k: 2}], w: {z: Z}}");
	assert_int_equal(r.rc, 0);
	assert_string_equal(text_of(&r), "P11P22ZP");
	done(&r);
	render(&r, "{{ range $i, $v := 3 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}none{{ end }}", "{}");
	assert_int_equal(r.rc, 0);
	assert_string_equal(text_of(&r), "012|none");
	done(&r);
}

static void missing_field_of_nil_is_an_error(void **state)
{
	(void)state;
	run r;
	render(&r, "ok\n{{ .a.b.c }}", "{}");
	assert_int_not_equal(r.rc, 0);
	assert_int_equal(tm_diag_count(&r.d, TM_LEVEL_ERROR), 1);
	assert_non_null(strstr(r.d.items[0].msg, "nil pointer evaluating interface {}.b"));
	assert_int_equal(r.d.items[0].loc.line, 2);
	done(&r);
	render(&r, "{{ fail \"boom\" }}", "{}");
	assert_int_not_equal(r.rc, 0);
	assert_non_null(strstr(r.d.items[0].msg, "boom"));
	done(&r);
	render(&r, "{{ required \"need x\" .x }}", "{}");
	assert_int_not_equal(r.rc, 0);
	assert_non_null(strstr(r.d.items[0].msg, "need x"));
	done(&r);
}

static void unsupported_function(void **state)
{
	(void)state;
	run r;
	render(&r, "a: 1\nb: {{ genCA \"x\" 3 }}\nc: {{ .v }}\n", "v: 3");
	assert_int_equal(r.rc, 0);
	assert_string_equal(text_of(&r), "a: 1\nb: \nc: 3\n");
	assert_int_equal(r.d.count, 1);
	assert_int_equal(r.d.items[0].level, TM_LEVEL_WARNING);
	assert_string_equal(r.d.items[0].msg, "template function \"genCA\" is not supported");
	assert_string_equal(r.d.items[0].loc.path, "t.yaml");
	assert_int_equal(r.d.items[0].loc.line, 2);
	assert_int_equal(r.d.items[0].loc.col, 7);
	done(&r);
}

static void parse_errors_are_positioned(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		uint32_t line, col;
	} cases[] = {
		{"{{ if .a }}x", 1, 13},
		{"a\n{{ end }}", 2, 4},
		{"{{ .a | }}", 1, 9},
		{"{{ \"unterminated }}", 1, 4},
		{"{{/* open", 1, 1},
		{"{{ range .l }}{{ else }}{{ else }}{{ end }}", 1, 28},
		{"{{ break }}", 1, 4},
		{"{{ (((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1"
		 ")))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))) }}", 1, 0},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(cases); i++) {
		run r;
		render(&r, cases[i].text, "{}");
		assert_int_equal(r.rc, TM_EPARSE);
		assert_int_equal(tm_diag_count(&r.d, TM_LEVEL_ERROR), 1);
		assert_int_equal(r.d.items[0].loc.line, cases[i].line);
		if (cases[i].col)
			assert_int_equal(r.d.items[0].loc.col, cases[i].col);
		done(&r);
	}
}

static void hostile_templates_are_bounded(void **state)
{
	(void)state;
	tm_gt_limits lim;
	tm_gt_limits_default(&lim);
	lim.max_steps = 200000;
	lim.max_output = 1 << 20;
	run r;
	/* infinite recursion through template and include */
	render_lim(&r, "{{ define \"r\" }}x{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}", "{}", &lim);
	assert_int_equal(r.rc, TM_ELIMIT);
	assert_non_null(strstr(r.d.items[0].msg, "nest deeper"));
	done(&r);
	render_lim(&r, "{{ define \"r\" }}{{ include \"r\" . }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}", "{}", &lim);
	assert_int_equal(r.rc, TM_ELIMIT);
	done(&r);
	/* a huge range and an output bomb */
	render_lim(&r, "{{ range until 100000000 }}x{{ end }}", "{}", &lim);
	assert_int_equal(r.rc, TM_ELIMIT);
	done(&r);
	render_lim(&r, "{{ $s := \"xxxxxxxxxxxxxxxx\" }}{{ range until 30 }}{{ $s = print $s $s }}{{ end }}{{ $s }}", "{}", &lim);
	assert_int_not_equal(r.rc, 0);
	done(&r);
	render_lim(&r, "{{ repeat 100000000 \"ab\" }}", "{}", &lim);
	assert_int_equal(r.rc, TM_ELIMIT);
	done(&r);
	/* a dict holding itself prints bounded */
	render_lim(&r, "{{ $d := dict }}{{ $_ := set $d \"self\" $d }}{{ toJson $d | len }}", "{}", &lim);
	assert_int_equal(r.rc, 0);
	done(&r);
}

static void printing_of_values(void **state)
{
	(void)state;
	static const struct {
		double f;
		const char *v, *json;
	} floats[] = {
		{1e6, "1e+06", "1000000"}, {123456.7, "123456.7", "123456.7"}, {0.0001, "0.0001", "0.0001"},
		{1e-05, "1e-05", "0.00001"}, {1e21, "1e+21", "1e+21"}, {1e-7, "1e-07", "1e-7"}, {-2.5, "-2.5", "-2.5"},
		{0, "0", "0"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(floats); i++) {
		tm_strbuf a = TM_STRBUF_INIT, b = TM_STRBUF_INIT;
		tm_gv_print(&a, tm_gv_float(floats[i].f));
		tm_gv_to_json(&b, tm_gv_float(floats[i].f), true, false);
		assert_string_equal(a.data, floats[i].v);
		assert_string_equal(b.data, floats[i].json);
		tm_strbuf_dispose(&a);
		tm_strbuf_dispose(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(go_behaviour),
		cmocka_unit_test(trimming_and_lines),
		cmocka_unit_test(scoping),
		cmocka_unit_test(missing_field_of_nil_is_an_error),
		cmocka_unit_test(unsupported_function),
		cmocka_unit_test(parse_errors_are_positioned),
		cmocka_unit_test(hostile_templates_are_bounded),
		cmocka_unit_test(printing_of_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
