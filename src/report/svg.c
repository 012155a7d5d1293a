/*
 * svg.c - the diagram laid out and rendered in-process by Graphviz (libgvc),
 * never by running `dot`. The engine follows the size (tm_diagram_engine):
 * dot while it is quick, sfdp beyond. Graphviz's own warnings are kept off
 * stderr; a layout that fails is TM_EIO.
 *
 * One Graphviz context serves the whole process: Graphviz 2.42's text layout
 * keeps a process-wide font cache that a freed context leaves dangling (a
 * second context then reads freed memory, as ASan showed in `trustmap serve`).
 * Rendering is therefore one at a time (the CLI, and serve's single thread).
 *
 * Everything a layout allocates that the API can free is freed here (gvFreeRenderData for the
 * output, gvFreeLayout, agclose). Graphviz 2.42's dot still leaks the virtual nodes and edges it
 * makes for clusters (about 36 KB for examples/shop), so a long-lived caller lays a diagram out once
 * and keeps the result: serve does (tests/lsan.supp, tests/regress/serve-render-leak).
 */
#include <graphviz/gvc.h>
#include <string.h>

#include "diagram.h"

static int quiet(char *msg)
{
	(void)msg;
	return 0;
}

int tm_diagram_svg(tm_out *o, const tm_diagram *d, const char *title)
{
	tm_strbuf dot = TM_STRBUF_INIT;
	tm_sink sink = tm_sink_strbuf(&dot);
	tm_out text;
	tm_out_init(&text, &sink);
	tm_diagram_dot(&text, d, title);
	int rc = tm_out_finish(&text);
	if (rc || dot.oom) {
		tm_strbuf_dispose(&dot);
		return rc ? rc : TM_ENOMEM;
	}
	static GVC_t *gvc;
	if (!gvc) {
		agseterr(AGMAX);
		agseterrf(quiet);
		gvc = gvContext();
	}
	Agraph_t *g = gvc ? agmemread(dot.data) : NULL;
	char *svg = NULL;
	unsigned int len = 0;
	rc = TM_EIO;
	if (g && gvLayout(gvc, g, tm_diagram_engine(d)) == 0) {
		if (gvRenderData(gvc, g, "svg", &svg, &len) == 0 && svg) {
			/* from the <svg> element on: the report embeds it (no XML prolog, no DOCTYPE) */
			const char *start = strstr(svg, "<svg");
			if (start) {
				tm_out_put(o, start, len - (size_t)(start - svg));
				rc = 0;
			}
		}
		gvFreeRenderData(svg);
		gvFreeLayout(gvc, g);
	}
	if (g)
		agclose(g);
	tm_strbuf_dispose(&dot);
	return rc;
}
