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
#include <stdint.h>
#include <string.h>

#include "diagram.h"

static int quiet(char *msg)
{
	(void)msg;
	return 0;
}

/*
 * Object IDs in the order the DOT names them. cgraph's own ID discipline makes a named object's
 * ID the address of its copy of the name, and lays out and draws clusters and nodes in ID order:
 * in a process whose heap other threads have used, that order changed from run to run (two HTML
 * reports of one system drew deathstarbench's boundaries in different orders). Here a name's ID is
 * twice its rank among the names read (even, as cgraph expects of named objects), an unnamed
 * object's an odd count, and print gives the name back.
 */
struct ids {
	tm_hmap rank;   /* name -> rank + 1 */
	char **names;   /* by rank */
	size_t n, cap;
	IDTYPE anon;
};

static void *ids_open(Agraph_t *g, Agdisc_t *disc)
{
	(void)g;
	(void)disc;
	return tm_calloc(1, sizeof(struct ids));
}

static long ids_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
	(void)objtype;
	struct ids *s = state;
	if (!s)
		return 0;
	if (!str) {
		*id = 2 * s->anon++ + 1;
		return 1;
	}
	size_t len = strlen(str);
	size_t r = (size_t)(uintptr_t)tm_hmap_get(&s->rank, str, len);
	if (!r && createflag) {
		char *copy = tm_malloc(len + 1);
		if (!copy || TM_GROW(s->names, s->cap, s->n + 1)) {
			tm_free(copy);
			return 0;
		}
		memcpy(copy, str, len + 1);
		s->names[s->n++] = copy;
		r = s->n;
		if (tm_hmap_put(&s->rank, copy, len, (void *)(uintptr_t)r))
			return 0;
	}
	*id = 2 * (IDTYPE)r; /* 0 for a name not seen: no object has it */
	return 1;
}

static long ids_alloc(void *state, int objtype, IDTYPE request)
{
	(void)state;
	(void)objtype;
	(void)request;
	return 0; /* no IDs chosen by the caller, as cgraph's own discipline */
}

static void ids_free(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id; /* names live until the graph closes */
}

static char *ids_print(void *state, int objtype, IDTYPE id)
{
	(void)objtype;
	const struct ids *s = state;
	return s && id % 2 == 0 && id && id / 2 <= s->n ? s->names[id / 2 - 1] : NULL;
}

static void ids_close(void *state)
{
	struct ids *s = state;
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		tm_free(s->names[i]);
	tm_free(s->names);
	tm_hmap_dispose(&s->rank);
	tm_free(s);
}

static void ids_register(void *state, int objtype, void *obj)
{
	(void)state;
	(void)objtype;
	(void)obj;
}

static Agiddisc_t ordered_ids = {ids_open, ids_map, ids_alloc, ids_free, ids_print, ids_close, ids_register};

/* The DOT text read a line at a time, as agmemread reads it. */
struct text {
	const char *data;
	size_t len, at;
};

static int text_read(void *chan, char *buf, int bufsize)
{
	struct text *t = chan;
	int n = 0;
	while (n < bufsize && t->at < t->len) {
		char c = t->data[t->at++];
		buf[n++] = c;
		if (c == '\n')
			break;
	}
	return n;
}

static int text_put(void *chan, const char *str)
{
	(void)chan;
	(void)str;
	return 0;
}

static int text_flush(void *chan)
{
	(void)chan;
	return 0;
}

static Agiodisc_t text_io = {text_read, text_put, text_flush};

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
	struct text t = {dot.data, dot.len, 0};
	Agdisc_t disc = {&AgMemDisc, &ordered_ids, &text_io};
	Agraph_t *g = gvc ? agread(&t, &disc) : NULL;
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
