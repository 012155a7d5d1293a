/* test_diagram.c - the diagram view (folding, focus, engine by size) and its DOT and Mermaid forms
 * under hostile names: Graphviz must parse every DOT we write, and no label may break out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <graphviz/cgraph.h>

#include "report/diagram.h"
#include "trustmap/paths.h"

#include "test_support.h"

static char *draw(const tm_diagram *d, char which)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_sink sink = tm_sink_strbuf(&sb);
	tm_out o;
	tm_out_init(&o, &sink);
	if (which == 'd')
		tm_diagram_dot(&o, d, "t\"itle\\");
	else
		tm_diagram_mermaid(&o, d);
	assert_int_equal(tm_out_finish(&o), 0);
	tm_strbuf_put(&sb, "", 0);
	return tm_strbuf_take(&sb);
}

static const char hostile[] =
	"openapi: 3.0.3\n"
	"info: {title: t, version: '1'}\n"
	"paths:\n"
	"  '/a\"b\\\\N<script>alert(1)</script>|x]}`#;{c}':\n"
	"    get:\n"
	"      security: []\n"
	"      responses: {'200': {description: ok}}\n";

static void hostile_names_stay_labels(void **state)
{
	(void)state;
	tm_scan *s = scan_text("api.yaml", hostile);
	tm_diagram_opts o = {NULL, 0, "endpoints", NULL};
	tm_diagram d;
	assert_int_equal(tm_diagram_build(&d, tm_scan_model(s), NULL, &o), 0);
	assert_true(d.shown > 0);
	char *dot = draw(&d, 'd');
	/* the path holds a quote and two backslashes (single-quoted YAML): each escaped once */
	assert_non_null(strstr(dot, "a\\\"b\\\\\\\\N<script>"));
	/* Graphviz reads it back: one graph, the hostile node among its nodes */
	Agraph_t *g = agmemread(dot);
	assert_non_null(g);
	assert_true(agnnodes(g) >= 1);
	agclose(g);
	char *mm = draw(&d, 'm');
	/* every label is one quoted string: no raw quote, bracket, pipe or angle bracket inside */
	assert_null(strstr(mm, "<script>"));
	assert_null(strstr(mm, "a\"b"));
	assert_non_null(strstr(mm, "#60;script#62;"));
	assert_null(strchr(mm, '`'));
	tm_free(dot);
	tm_free(mm);
	tm_diagram_dispose(&d);
	tm_scan_free(s);
}

static char *many_workloads(int n, int namespaces)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < n; i++)
		tm_strbuf_printf(&sb,
				 "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w%d, namespace: ns%d}\n"
				 "spec:\n  template:\n    spec:\n      containers:\n      - {name: c, image: 'acme/w%d:1'}\n",
				 i, i % namespaces, i);
	tm_strbuf_put(&sb, "", 0);
	return tm_strbuf_take(&sb);
}

static void large_systems_fold_by_namespace(void **state)
{
	(void)state;
	char *text = many_workloads(300, 6);
	tm_scan *s = scan_text("k8s.yaml", text);
	tm_diagram d;
	assert_int_equal(tm_diagram_build(&d, tm_scan_model(s), NULL, NULL), 0);
	assert_true(d.folded);
	assert_true(d.shown <= 20); /* six namespaces and what is around them, not 300 boxes */
	size_t members = 0;
	for (size_t i = 0; i < d.n; i++)
		if (d.nodes[i].folded)
			members += d.nodes[i].members;
	assert_true(members >= 300);
	assert_string_equal(tm_diagram_engine(&d), "dot");
	tm_diagram_dispose(&d);

	/* a focus never folds: its neighbourhood is drawn node by node */
	tm_diagram_opts o = {"service:ns1/w1", 1, NULL, NULL};
	assert_int_equal(tm_diagram_build(&d, tm_scan_model(s), NULL, &o), 0);
	assert_false(d.folded);
	assert_false(d.focus_missing);
	assert_true(d.shown >= 1 && d.shown < 10);
	bool focus_shown = false;
	for (size_t i = 0; i < d.n; i++)
		if (d.nodes[i].focus)
			focus_shown = !d.nodes[i].hidden && strcmp(d.nodes[i].id, "service:ns1/w1") == 0;
	assert_true(focus_shown);
	tm_diagram_dispose(&d);
	tm_scan_free(s);
	tm_free(text);

	/* small systems stay node by node */
	text = many_workloads(20, 2);
	s = scan_text("k8s.yaml", text);
	assert_int_equal(tm_diagram_build(&d, tm_scan_model(s), NULL, NULL), 0);
	assert_false(d.folded);
	assert_true(d.shown >= 20);
	tm_diagram_dispose(&d);
	tm_scan_free(s);
	tm_free(text);
}

static void unknown_focus_is_reported(void **state)
{
	(void)state;
	char *text = many_workloads(3, 1);
	tm_scan *s = scan_text("k8s.yaml", text);
	tm_diagram_opts o = {"service:nowhere/x", 2, NULL, NULL};
	tm_diagram d;
	assert_int_equal(tm_diagram_build(&d, tm_scan_model(s), NULL, &o), 0);
	assert_true(d.focus_missing);
	tm_diagram_dispose(&d);
	tm_scan_free(s);
	tm_free(text);
}

static char *svg_of(const tm_scan *s)
{
	tm_diagram d;
	assert_int_equal(tm_diagram_build(&d, tm_scan_model(s), NULL, NULL), 0);
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_sink sink = tm_sink_strbuf(&sb);
	tm_out o;
	tm_out_init(&o, &sink);
	assert_int_equal(tm_diagram_svg(&o, &d, "svg"), 0);
	assert_int_equal(tm_out_finish(&o), 0);
	tm_strbuf_put(&sb, "", 0);
	tm_diagram_dispose(&d);
	return tm_strbuf_take(&sb);
}

/* Graphviz keeps process-wide state: rendering again in one process (as serve does) must be safe. */
static void svg_renders_twice(void **state)
{
	(void)state;
	char *text = many_workloads(12, 2);
	tm_scan *s = scan_text("k8s.yaml", text);
	for (int round = 0; round < 3; round++) {
		char *svg = svg_of(s);
		assert_non_null(strstr(svg, "<svg"));
		assert_non_null(strstr(svg, "id=\"tm&#45;n0\"")); /* Graphviz writes the hyphen as an entity */
		tm_free(svg);
	}
	tm_scan_free(s);
	tm_free(text);
}

/* The drawing does not depend on where the heap puts Graphviz's copies of the names: with holes of
 * other sizes freed in other orders before each rendering (as other threads leave the heap of a
 * real scan), the SVG is the same byte for byte. cgraph's own IDs are those copies' addresses. */
static void svg_order_ignores_heap(void **state)
{
	(void)state;
	char *text = many_workloads(16, 6);
	tm_scan *s = scan_text("k8s.yaml", text);
	char *first = svg_of(s);
	enum { HOLES = 4096 };
	for (unsigned round = 1; round < 6; round++) {
		void **blocks = calloc(HOLES, sizeof(void *));
		assert_non_null(blocks);
		for (unsigned i = 0; i < HOLES; i++)
			blocks[i] = malloc(16 + (i * 7919u * round) % 96);
		for (unsigned i = 0; i < HOLES; i++) /* every other block, from the back in odd rounds */
			if ((i * round + round) % 2) {
				unsigned k = round % 2 ? HOLES - 1 - i : i;
				free(blocks[k]);
				blocks[k] = NULL;
			}
		char *again = svg_of(s);
		assert_string_equal(again, first);
		tm_free(again);
		for (unsigned i = 0; i < HOLES; i++)
			free(blocks[i]);
		free(blocks);
	}
	tm_free(first);
	tm_scan_free(s);
	tm_free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_names_stay_labels),
		cmocka_unit_test(large_systems_fold_by_namespace),
		cmocka_unit_test(unknown_focus_is_reported),
		cmocka_unit_test(svg_renders_twice),
		cmocka_unit_test(svg_order_ignores_heap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
