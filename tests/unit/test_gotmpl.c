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
	if (tm_gv_from_yaml(r->set.arena, values, strlen(values), false, &dot) != 0) {
		printf("values do not parse: %s\n", values);
		r->rc = TM_EPARSE;
		return;
	}
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

/* A second batch, also from Go: toYaml's quoting and folding, toJson, fromYaml, trimming, scopes,
 * printf's corners, comparisons, Sprig's lists, dicts, regular expressions and semver. */
static const struct {
	const char *tmpl, *values, *want;
} go_cases2[] = {
	{"{{ toYaml .v }}",
	 "v: {l: [[1, 2], [], [a, [b]]], e: \"\", sp: \" lead\", tr: \"trail \", colon: \"a: b\", hash: \"a #b\", dash: \"- x\", q: \"it's\", dq: \"say \\\"hi\\\"\", u: \"h\xc3""\xa9""llo w\xc3""\xb6""rld\", tab: \"a\\tb\", nl: \"\\n\", nl2: \"a\\n\\n\", crlf: \"a\\r\\nb\", star: \"*x\", amp: \"&a\", pct: \"%x\", at: \"@x\", bt: \"`x\", excl: \"!x\", gt: \">x\", brace: \"{x}\", brack: \"[x]\", comma: \"a,b\", qm: \"?x\", qm2: \"? x\", num: \"1e3\", hex: \"0x1F\", oct: \"0o17\", neg: \"-1\", plus: \"+1\", dot: \".5\", inf: \".inf\", tilde: \"~\", nulls: \"null\", True: \"True\", off: \"off\", ver: \"1.2.3\", ip: \"10.0.0.1\", time: \"12:30\", date: \"2024-1-2\", url: \"http://x.y/z?a=b&c=d#f\"}",
	 "amp: '&a'\nat: '@x'\nbrace: '{x}'\nbrack: '[x]'\nbt: '`x'\ncolon: 'a: b'\ncomma: a,b\ncrlf: \"a\\r\\nb\"\ndash: '- x'\ndate: \"2024-1-2\"\ndot: \".5\"\ndq: say \"hi\"\ne: \"\"\nexcl: '!x'\n\"false\": \"off\"\ngt: '>x'\nhash: 'a #b'\nhex: \"0x1F\"\ninf: \".inf\"\nip: 10.0.0.1\nl:\n- - 1\n  - 2\n- []\n- - a\n  - - b\nneg: \"-1\"\nnl: |2+\n\nnl2: |+\n  a\n\nnulls: \"null\"\nnum: \"1e3\"\noct: \"0o17\"\npct: '%x'\nplus: \"+1\"\nq: it's\nqm: ?x\nqm2: '? x'\nsp: ' lead'\nstar: '*x'\ntab: \"a\\tb\"\ntilde: \"~\"\ntime: \"12:30\"\ntr: 'trail '\n\"true\": \"True\"\nu: h\xc3""\xa9""llo w\xc3""\xb6""rld\nurl: http://x.y/z?a=b&c=d#f\nver: 1.2.3"},
	{"{{ toYaml .v }}",
	 "v: {long: \"The quick brown fox jumps over the lazy dog and keeps running far beyond the eighty column limit of yaml\", longq: \"The quick brown fox: jumps over the lazy dog and keeps running far beyond the eighty column limit of yaml\", longnl: \"The quick brown fox jumps over the lazy dog and keeps running far beyond the eighty\\ncolumn limit of yaml\\n\", nested: {deeper: {deepest: \"The quick brown fox jumps over the lazy dog and keeps running far beyond the eighty column\"}}, list: [\"The quick brown fox jumps over the lazy dog and keeps running far beyond the eighty column limit\"]}",
	 "list:\n- The quick brown fox jumps over the lazy dog and keeps running far beyond the eighty\n  column limit\nlong: The quick brown fox jumps over the lazy dog and keeps running far beyond the\n  eighty column limit of yaml\nlongnl: |\n  The quick brown fox jumps over the lazy dog and keeps running far beyond the eighty\n  column limit of yaml\nlongq: 'The quick brown fox: jumps over the lazy dog and keeps running far beyond\n  the eighty column limit of yaml'\nnested:\n  deeper:\n    deepest: The quick brown fox jumps over the lazy dog and keeps running far beyond\n      the eighty column"},
	{"{{ toYaml .v }}",
	 "v: [1, 2.5, -0.0, 1e21, 1e-7, 123456789, 0.1, true, null, {}, []]",
	 "- 1\n- 2.5\n- 0\n- 1e+21\n- 1e-07\n- 123456789\n- 0.1\n- true\n- null\n- {}\n- []"},
	{"{{ toYaml .v }}",
	 "v: \"just a string\"",
	 "just a string"},
	{"{{ toYaml .v }}",
	 "v: {\"a b\": 1, \"x:y\": 2, \"\": 3, \"1\": 4, \"-k\": 5, \"k-\": 6, \"\xc3""\xbc""n\xc3""\xaf""\": 7}",
	 "\"\": 3\n-k: 5\n\"1\": 4\na b: 1\nk-: 6\nx:y: 2\n\xc3""\xbc""n\xc3""\xaf"": 7"},
	{"{{ toJson .v }}",
	 "v: {s: \"<a href=\\\"x\\\">&amp;</a>\", u: \"\xc3""\xa9""\\u2028\", n: [1, 1.5, 100000000000000000000000, 0.0000001], e: {}, l: []}",
	 "{\"e\":{},\"false\":[1,1.5,1e+23,1e-7],\"l\":[],\"s\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e\",\"u\":\"\xc3""\xa9""\\u2028\"}"},
	{"{{ toPrettyJson .v }}",
	 "v: {a: {b: [1, {c: d}], e: {}}, f: []}",
	 "{\n  \"a\": {\n    \"b\": [\n      1,\n      {\n        \"c\": \"d\"\n      }\n    ],\n    \"e\": {}\n  },\n  \"f\": []\n}"},
	{"{{ $m := fromYaml \"a: 1\\nb: [x, y]\\nc: {d: true}\" }}{{ $m.a }} {{ $m.b }} {{ $m.c.d }} {{ kindOf $m.a }}",
	 "{}",
	 "1 [x true] true float64"},
	{"{{ $l := fromYamlArray \"- 1\\n- two\\n- {x: y}\" }}{{ len $l }} {{ index $l 1 }} {{ (index $l 2).x }}",
	 "{}",
	 "3 two true"},
	{"{{ $j := fromJson \"{\\\"a\\\": [1, 2], \\\"b\\\": null}\" }}{{ $j.a }} {{ $j.b }}",
	 "{}",
	 "[1 2] "},
	{"{{ (fromYaml \"a: [\").Error | empty | not }}",
	 "{}",
	 "true"},
	{"x {{- \"\" -}} y {{- /* c */}} z",
	 "{}",
	 "xy z"},
	{"{{ \"a\" }}  {{- \"b\" }}  {{ \"c\" -}}  {{ \"d\" }}",
	 "{}",
	 "ab  cd"},
	{"{{- range $i, $e := .l }}\n- {{ $i }}: {{ $e }}\n{{- end }}",
	 "l: [a, b]",
	 "\n- 0: a\n- 1: b"},
	{"{{ range .l }}{{ $x := . }}{{ $x }}{{ end }}",
	 "l: [1, 2]",
	 "12"},
	{"{{ $v := \"out\" }}{{ range .l }}{{ $v = . }}{{ end }}{{ $v }}",
	 "l: [1, 2]",
	 "2"},
	{"{{ with $x := .a }}{{ $x }}{{ . }}{{ end }}",
	 "a: 5",
	 "55"},
	{"{{ range $k, $v := .m }}{{ $k }}{{ range $v }}{{ . }}{{ end }};{{ end }}",
	 "m: {b: [1, 2], a: [3]}",
	 "a3;b12;"},
	{"{{ define \"a\" }}A{{ template \"b\" . }}{{ end }}{{ define \"b\" }}B{{ .x }}{{ end }}{{ template \"a\" . }}",
	 "x: X",
	 "ABX"},
	{"{{ printf \"%-8s|%8s|%.2s|%08.3f|%+.1e|%x|%X|%#x|%#o|%5t|%v\" \"ab\" \"cd\" \"xyz\" 3.14159 12345.678 \"hi\" \"hi\" 255 8 true .l }}",
	 "l: [1, \"a\"]",
	 "ab      |      cd|xy|0003.142|+1.2e+04|6869|6869|0xff|010| true|[1 a]"},
	{"{{ printf \"%d %d\" 1 }} {{ printf \"%z\" 1 }} {{ printf \"%\" }} {{ printf \"%!\" }}",
	 "{}",
	 "1 %!d(MISSING) %!z(int=1) %!(NOVERB) %!!(MISSING)"},
	{"{{ printf \"%v|%s|%d\" .m .m .m }}",
	 "m: {a: 1}",
	 "map[a:1]|map[a:%!s(float64=1)]|map[%!d(string=a):%!d(float64=1)]"},
	{"{{ printf \"%q\" .l }} {{ printf \"%5.1f\" .f }} {{ printf \"%g\" .f }} {{ printf \"%e\" .f }}",
	 "{l: [a, \"b c\"], f: 1234.5678}",
	 "[\"a\" \"b c\"] 1234.6 1234.5678 1.234568e+03"},
	{"{{ printf \"%T %T %T %T %T\" 1 1.5 \"s\" .l .m }}",
	 "{l: [], m: {}}",
	 "int float64 string []interface {} map[string]interface {}"},
	{"{{ print nil }} {{ print .missing }} {{ printf \"%v\" nil }} {{ printf \"%s\" nil }} {{ printf \"%d\" nil }}",
	 "{}",
	 "<nil> <nil> <nil> %!s(<nil>) %!d(<nil>)"},
	{"{{ len (list) }} {{ empty (dict) }} {{ empty 0.0 }} {{ empty \"0\" }} {{ empty (list 0) }}",
	 "{}",
	 "0 true true false false"},
	{"{{ eq .a 1.0 }} {{ eq .s \"x\" }} {{ lt .a 2.0 }} {{ eq nil nil }}",
	 "{a: 1, s: x}",
	 "true true true true"},
	{"{{ eq .s nil }} {{ ne .s nil }}",
	 "{s: x}",
	 "false true"},
	{"{{ if and .a (gt (len .l) 1) }}yes{{ end }} {{ or .none .l }}",
	 "{a: 1, l: [1, 2]}",
	 "yes [1 2]"},
	{"{{ not .l }} {{ not \"\" }} {{ and }}",
	 "l: []",
	 "ERROR"},
	{"{{ default 5 .a | add 1 }} {{ .a | default 5 | add 1 }}",
	 "a: 0",
	 "6 6"},
	{"{{ list 1 2 3 | last }} {{ list \"b\" \"a\" | sortAlpha | first }}",
	 "{}",
	 "3 a"},
	{"{{ dict \"a\" 1 | toJson }} {{ dict | toJson }} {{ dict \"k\" | toJson }}",
	 "{}",
	 "{\"a\":1} {} {\"k\":\"\"}"},
	{"{{ $d := dict }}{{ $_ := set $d \"x\" 1 }}{{ $_ := set $d \"y\" (dict \"z\" 2) }}{{ toJson $d }} {{ $d.y.z }}",
	 "{}",
	 "{\"x\":1,\"y\":{\"z\":2}} 2"},
	{"{{ .a | int | printf \"%d\" }} {{ .a | toString }} {{ .b | toString }} {{ .c | int64 }} {{ .a | float64 }}",
	 "{a: 80, b: 1000000, c: \"12\"}",
	 "80 80 1e+06 12 80"},
	{"{{ \"abc\" | upper | repeat 2 | trunc 4 }}",
	 "{}",
	 "ABCA"},
	{"{{ splitList \"/\" \"a/b/c\" | last }} {{ (split \":\" \"k:v\")._1 }} {{ regexSplit \"[,;]\" \"a,b;c\" -1 }}",
	 "{}",
	 "c v [a b c]"},
	{"{{ regexReplaceAll \"(\\\\w+)@(\\\\w+)\" \"joe@example\" \"$2 at $1\" }} {{ regexReplaceAllLiteral \"a+\" \"caaab\" \"$1\" }} {{ regexFindAll \"[0-9]\" \"a1b22c3\" -1 }}",
	 "{}",
	 "example at joe c$1b [1 2 2 3]"},
	{"{{ mustRegexReplaceAllLiteral \"\\\\.\" \"1.2.3\" \"-\" }} {{ regexMatch \"^v?[0-9]+\" \"v12\" }}",
	 "{}",
	 "1-2-3 true"},
	/* RE2 syntax charts write (grafana's assertNoLeakedSecrets): a non-capturing group, a brace that
	 * is no repeat, a named group, flags in the middle */
	{"{{ regexMatch \"\\\\$(?:__(?:env|file|vault))?{[^}]+}\" \"$__file{/etc/secrets/pw}\" }} "
	 "{{ regexFind \"(?P<v>[0-9]+)x{2}\" \"a12xx\" }} {{ regexMatch \"a(?i)B\" \"ab\" }} {{ regexMatch \"^x{2,3}$\" \"xxxx\" }}",
	 "{}",
	 "true 12xx true false"},
	/* groups as Go numbers and names them whatever the translation adds; (?m); (?i) for its group only */
	{"{{ regexReplaceAll \"(?:a|b)(c)\" \"bc\" \"${1}\" }} {{ regexReplaceAll \"(?P<maj>[0-9]+)[.](?P<min>[0-9]+)\" \"1.2\" \"${min}-$maj\" }} "
	 "{{ regexMatch \"a(?i)b\" \"AB\" }} {{ regexMatch \"a(?i)b\" \"aB\" }} {{ regexMatch \"(?m)^b$\" \"a\\nb\" }}",
	 "{}",
	 "c 2-1 false true true"},
	{"{{ (semver \"1.2.3-beta.1+build\").Major }} {{ (semver \"v2.5.0\").Minor }}",
	 "{}",
	 "1 5"},
	{"{{ semverCompare \">=1.21.0-0\" \"v1.30.0\" }} {{ semverCompare \"1.x\" \"1.5.0\" }} {{ semverCompare \">1.29\" \"1.30.0\" }} {{ semverCompare \"<=1.29\" \"1.29.5\" }} {{ semverCompare \"1.2 - 1.4\" \"1.3.0\" }} {{ semverCompare \">=1.0 || <0.5\" \"0.4.0\" }} {{ semverCompare \">=1.20-0\" \"1.19.0-rc1\" }}",
	 "{}",
	 "true true true true true true false"},
	{"{{ b64enc \"a\" }} {{ b64enc \"ab\" }} {{ b64enc \"\" }} {{ b64dec \"YQ==\" }} {{ sha256sum \"\" }}",
	 "{}",
	 "YQ== YWI=  a e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{"{{ until 0 }} {{ until -2 }} {{ untilStep 10 0 -3 }} {{ seq 5 1 }} {{ seq 0 }}",
	 "{}",
	 "[] [0 -1] [10 7 4 1] 5 4 3 2 1 1 0"},
	{"{{ trim \"\\n\\tx\\n\" }}|{{ trimAll \"xy\" \"xyaxy\" }}|{{ nospace \" a b \" }}|{{ substr 1 3 \"hello\" }}|{{ cat }}",
	 "{}",
	 "x|a|ab|el|"},
	{"{{ indent 0 \"a\" }}|{{ nindent 0 \"a\\nb\" }}|{{ indent 2 \"\" }}|{{ indent 2 \"a\\n\" }}",
	 "{}",
	 "a|\na\nb|  |  a\n  "},
	{"{{ hasKey .m \"a\" }} {{ get .m \"zz\" }} {{ .m | keys | sortAlpha }} {{ pick .m \"b\" }} {{ omit .m \"b\" \"c\" }}",
	 "m: {a: 1, b: 2, c: 3}",
	 "true  [a b c] map[b:2] map[a:1]"},
	/* a variable holding nothing (Bitnami's `$secret := (lookup ...).data`) is Go's untyped nil, a
	 * nil map to the functions that read one */
	{"{{ $s := (dict).data }}{{ hasKey $s \"k\" }} {{ get $s \"k\" }}|{{ keys $s }} {{ values $s }} {{ pick $s \"k\" }}",
	 "{}",
	 "false |[] [] map[]"},
	{"{{ concat (list 1) (list 2 3) (list) }} {{ without (list 1 2 1 3) 1 }} {{ has 2 (list 1 2) }} {{ has \"2\" (list 1 2) }} {{ uniq (list \"a\" \"a\" 1 1) }}",
	 "{}",
	 "[1 2 3] [2 3] true false [a 1]"},
	{"{{ initial (list 1) }} {{ rest (list) }} {{ first (list) }} {{ compact (list 0 \"\" nil false \"x\") }}",
	 "{}",
	 "[] []  [x]"},
	{"{{ kindOf nil }} {{ typeOf nil }} {{ kindIs \"string\" \"a\" }} {{ typeIs \"float64\" .f }} {{ kindOf (int 1) }} {{ typeOf (int64 1) }} {{ typeOf (add 1 1) }}",
	 "f: 1",
	 "invalid <nil> true true int int64 int64"},
	{"{{ coalesce nil \"\" 0 (list) \"z\" }} {{ ternary \"a\" \"b\" (eq 1 2) }} {{ quote }} {{ squote nil }}",
	 "{}",
	 "z b  "},
	{"{{ tpl \"{{ .x | upper }}{{ .missing }}\" . }} {{ tpl (toYaml .y) . }}",
	 "{x: ab, y: {k: \"{{ .x }}\"}}",
	 "AB null"},
	{"{{ $x := 1 }}{{ tpl \"{{ define \\\"in\\\" }}I{{ end }}{{ template \\\"in\\\" }}\" . }}",
	 "{}",
	 "I"},
	{"{{ toYaml \"a\\nb\" }}",
	 "{}",
	 "|-\n  a\n  b"},
	{"{{ toYaml .l }}",
	 "l: [\"x\\ny\\n\", \" lead\\nx\", \"\\n\\nz\", \"a\\n\\n\", \"trail \\nx\", \"t\\tab\\nx\"]",
	 "- |\n  x\n  y\n- |2-\n   lead\n  x\n- |2-\n\n\n  z\n- |+\n  a\n\n- \"trail \\nx\"\n- \"t\\tab\\nx\""},
	{"{{ toYaml .m }}",
	 "m: {k: [{a: \"p\\nq\"}]}",
	 "k:\n- a: |-\n    p\n    q"},
};

static void go_behaviour(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(go_cases) + TM_ARRAY_LEN(go_cases2); i++) {
		bool second = i >= TM_ARRAY_LEN(go_cases);
		const char *tmpl = second ? go_cases2[i - TM_ARRAY_LEN(go_cases)].tmpl : go_cases[i].tmpl;
		const char *values = second ? go_cases2[i - TM_ARRAY_LEN(go_cases)].values : go_cases[i].values;
		const char *want = second ? go_cases2[i - TM_ARRAY_LEN(go_cases)].want : go_cases[i].want;
		run r;
		render(&r, tmpl, values);
		const char *got = r.rc == 0 ? text_of(&r) : "ERROR";
		if (strcmp(got, want) != 0) {
			printf("case %zu: %s\n  want: %s\n  got:  %s\n", i, tmpl, want, got);
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
	assert_string_equal(r.d.items[0].msg, "template function \"genCA\" is not supported: the call renders as empty");
	assert_string_equal(r.d.items[0].loc.path, "t.yaml");
	assert_int_equal(r.d.items[0].loc.line, 2);
	assert_int_equal(r.d.items[0].loc.col, 7);
	done(&r);
	/* said once, however often it runs */
	render(&r, "{{ range .v }}{{ genCA \"x\" 3 }}{{ end }}", "v: [1, 2, 3]");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.d.count, 1);
	done(&r);
	/* in a branch the values do not take (Bitnami's tls-secrets.yaml under `if .selfSigned`): nothing */
	render(&r, "a: 1\n{{- if .selfSigned }}\nb: {{ genCA \"x\" 3 }}\n{{- end }}\n", "selfSigned: false");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.d.count, 0);
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
	/* deep nesting inside deep recursion: bounded before the C stack is */
	{
		static char deep[4096];
		size_t k = (size_t)snprintf(deep, sizeof(deep), "{{ define \"d\" }}");
		for (int i = 0; i < 90; i++)
			k += (size_t)snprintf(deep + k, sizeof(deep) - k, "{{ if true }}");
		k += (size_t)snprintf(deep + k, sizeof(deep) - k, "{{ template \"d\" . }}");
		for (int i = 0; i < 90; i++)
			k += (size_t)snprintf(deep + k, sizeof(deep) - k, "{{ end }}");
		snprintf(deep + k, sizeof(deep) - k, "{{ end }}{{ template \"d\" . }}");
		render_lim(&r, deep, "{}", &lim);
		assert_int_equal(r.rc, TM_ELIMIT);
		done(&r);
	}
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
	/* integers wrap as Go's do (no undefined overflow); a range near the end of int64 stops */
	render_lim(&r, "{{ mul 9999999999 9999999999 }} {{ add 9223372036854775807 1 }} {{ sub -9223372036854775807 10 }} "
		       "{{ add1 9223372036854775807 }} {{ untilStep 9223372036854775800 9223372036854775807 5 }}", "{}", &lim);
	assert_int_equal(r.rc, 0);
	assert_string_equal(text_of(&r), "7766279611452241921 -9223372036854775808 9223372036854775799 "
					 "-9223372036854775808 [9223372036854775800 9223372036854775805]");
	done(&r);
	/* a dict holding itself prints bounded */
	render_lim(&r, "{{ $d := dict }}{{ $_ := set $d \"self\" $d }}{{ toJson $d | len }}", "{}", &lim);
	assert_int_equal(r.rc, 0);
	done(&r);
}

static void tpl_is_scoped(void **state)
{
	(void)state;
	run r;
	/* a define inside tpl text is visible in that call only; nested tpl reports into the file */
	render(&r, "{{ tpl \"{{ define \\\"in\\\" }}I{{ end }}{{ include \\\"in\\\" . }}{{ tpl \\\"{{ genCA 1 }}\\\" . }}\" . }}"
		   "|{{ include \"in\" . }}", "{}");
	assert_int_not_equal(r.rc, 0);
	assert_string_equal(text_of(&r), "I|"); /* what was written before the error */
	assert_non_null(strstr(r.d.items[r.d.count - 1].msg, "no template \"in\""));
	bool unsupported = false;
	for (size_t i = 0; i < r.d.count; i++)
		unsupported |= strstr(r.d.items[i].msg, "\"genCA\" is not supported") != NULL;
	assert_true(unsupported);
	done(&r);
}

static void define_rules(void **state)
{
	(void)state;
	run r;
	/* Go: two non-empty bodies for one name in one text is a parse error... */
	render(&r, "{{ define \"a\" }}1{{ end }}{{ define \"a\" }}2{{ end }}{{ template \"a\" }}", "{}");
	assert_int_equal(r.rc, TM_EPARSE);
	assert_non_null(strstr(r.d.items[0].msg, "multiple definition of template \"a\""));
	done(&r);
	/* ...an empty body does not replace a defined one */
	render(&r, "{{ define \"a\" }}1{{ end }}{{ define \"a\" }} {{ end }}{{ template \"a\" }}", "{}");
	assert_int_equal(r.rc, 0);
	assert_string_equal(text_of(&r), "1");
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
		cmocka_unit_test(tpl_is_scoped),
		cmocka_unit_test(define_rules),
		cmocka_unit_test(printing_of_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
