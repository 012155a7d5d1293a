/*
 * svg.c - the diagram laid out and rendered by Graphviz's library (libgvc), never by running
 * `dot`. The engine follows the size (tm_diagram_engine): dot while it is quick, sfdp beyond.
 *
 * The layout runs in a child process, which sends the SVG back through a pipe and exits: Graphviz
 * 2.42's dot frees memory twice when it routes labelled edges between clusters ("triangulation
 * failed", then an abort: a synthetic estate of 10 to 100 services, calls crossing namespaces,
 * took the whole scan down), and nothing a library does in a child can take the report with it.
 * When the layout fails or the child dies, the diagram is laid out again with the edges' labels
 * as external labels (xlabel: placed after the layout, no label nodes to route around); when that
 * fails too, the diagram is TM_EIO and the report says it has none. Graphviz's own messages go to
 * the child's /dev/null. The child also keeps Graphviz's one process-wide context, font cache and
 * the virtual nodes dot leaks for clusters away from a long-lived caller (`trustmap serve`).
 */
#define _DEFAULT_SOURCE /* fork, pipe, dup2 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* In the child: the DOT text laid out and rendered, the SVG from its <svg> element on written to fd.
 * Exits 0 when all of it was written (_exit: no leak check of what Graphviz keeps). */
_Noreturn static void lay_out_child(const tm_strbuf *dot, const char *engine, int fd)
{
	int null = open("/dev/null", O_WRONLY);
	if (null >= 0)
		dup2(null, STDERR_FILENO); /* libpathplan prints its failures itself */
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none); /* a layout that aborts leaves no core file behind */
	agseterr(AGMAX);
	agseterrf(quiet);
	GVC_t *gvc = gvContext();
	struct text t = {dot->data, dot->len, 0};
	Agdisc_t disc = {&AgMemDisc, &ordered_ids, &text_io};
	Agraph_t *g = gvc ? agread(&t, &disc) : NULL;
	char *svg = NULL;
	unsigned int len = 0;
	if (!g || gvLayout(gvc, g, engine) != 0 || gvRenderData(gvc, g, "svg", &svg, &len) != 0 || !svg)
		_exit(2);
	/* from the <svg> element on: the report embeds it (no XML prolog, no DOCTYPE) */
	const char *at = strstr(svg, "<svg");
	size_t left = at ? len - (size_t)(at - svg) : 0;
	while (left) {
		ssize_t w = write(fd, at, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3);
		at += w;
		left -= (size_t)w;
	}
	_exit(at ? 0 : 2);
}

/* The SVG of the DOT text, laid out by engine in a child process, appended to out. 0, TM_EIO (the
 * layout failed, or the child died) or TM_ENOMEM. */
static int lay_out(const tm_strbuf *dot, const char *engine, tm_strbuf *out)
{
	int fds[2];
	if (pipe(fds))
		return TM_EIO;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return TM_EIO;
	}
	if (pid == 0) {
		close(fds[0]);
		lay_out_child(dot, engine, fds[1]);
	}
	close(fds[1]);
	char buf[65536];
	for (;;) {
		ssize_t n = read(fds[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		tm_strbuf_put(out, buf, (size_t)n);
	}
	close(fds[0]);
	if (out->oom)
		return TM_ENOMEM;
	/* the document is whole when it ends with its closing tag (what the child writes last) */
	bool whole = out->len >= 7 && strstr(out->data + out->len - 7, "</svg>") != NULL;
	int status = 0;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno == EINTR)
			continue;
		/* ECHILD: the process ignores SIGCHLD (inherited), so the child was reaped already */
		return errno == ECHILD && whole ? 0 : TM_EIO;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 && whole ? 0 : TM_EIO;
}

int tm_diagram_svg(tm_out *o, const tm_diagram *d, const char *title)
{
	int rc = TM_EIO;
	for (int xlabels = 0; xlabels < 2 && rc == TM_EIO; xlabels++) {
		tm_strbuf dot = TM_STRBUF_INIT, svg = TM_STRBUF_INIT;
		tm_sink sink = tm_sink_strbuf(&dot);
		tm_out text;
		tm_out_init(&text, &sink);
		tm_diagram__dot(&text, d, title, xlabels ? TM_DOT_XLABELS : 0);
		rc = tm_out_finish(&text);
		if (!rc && dot.oom)
			rc = TM_ENOMEM;
		if (!rc)
			rc = lay_out(&dot, tm_diagram_engine(d), &svg);
		if (!rc)
			tm_out_put(o, svg.data, svg.len);
		tm_strbuf_dispose(&dot);
		tm_strbuf_dispose(&svg);
	}
	return rc;
}
