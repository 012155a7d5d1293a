/*
 * table.c - the one table emitter of the writers and serve: Markdown, HTML and terminal text.
 *
 * Invariants:
 * - Every input string goes through the style's escaper (tm_esc_md, tm_esc_md_code, tm_esc_html,
 *   tm_esc_term); only header names, numbers and raw cells are written as they are, and those are
 *   the writer's own.
 * - Markdown and HTML stream: a cell is written when it is given. Markdown writes the separator
 *   before a cell (" | ", or "| " first) and the row's end closes the last one, so an opened cell
 *   needs no closing; HTML owes "</td>" (and a row's "<tr" its ">") until the next cell or the
 *   row's end, which is what lets a writer append attributes or build a cell in place.
 * - A terminal table is padded to its widest cells, which are known only at the end: the cells
 *   are kept (escaped) in one buffer with their offsets, and written by tm_table_end.
 * - The tm_table holds pointers to itself (its outs' sinks): it stays where it is from begin to
 * end.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "html.h"
#include "report.h"

typedef enum { CELL_TEXT, CELL_NUM, CELL_SPAN, CELL_HEADER } cell_kind;

struct tm_table_term_cell {
	size_t off, end; /* bytes of the escaped cell in text */
	size_t col;
	unsigned char kind; /* cell_kind */
	bool eol;           /* the last cell of its row */
};

static int drop_write(void *ud, const char *data, size_t len)
{
	(void)ud;
	(void)data;
	(void)len;
	return 0;
}

/* ---- terminal: cells kept until the end -------------------------------------------------- */

static size_t term_pos(const tm_table *t)
{
	return t->text.len +
	       t->term.buf.len; /* what the out flushed to text, and what it still holds */
}

static void term_close(tm_table *t)
{
	if (t->ncells && t->cells[t->ncells - 1].end == SIZE_MAX)
		t->cells[t->ncells - 1].end = term_pos(t);
}

static void term_open(tm_table *t, size_t col, cell_kind kind)
{
	term_close(t);
	if (t->oom)
		return;
	if (t->ncells == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		tm_table_term_cell *c = tm_realloc(t->cells, cap * sizeof(*c));
		if (!c) {
			t->oom = true;
			return;
		}
		t->cells = c;
		t->cap = cap;
	}
	t->cells[t->ncells++] =
	    (tm_table_term_cell){term_pos(t), SIZE_MAX, col, (unsigned char)kind, false};
}

/* Columns a cell takes: one per code point (escaped cells are valid UTF-8). */
static size_t width_of(const char *p, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)p[i] & 0xC0) != 0x80;
	return w;
}

static void pad(tm_strbuf *line, size_t n)
{
	while (n--)
		tm_strbuf_putc(line, ' ');
}

/* A line without its trailing spaces (a padded last column would leave them). */
static void put_line(tm_out *o, tm_strbuf *line)
{
	size_t n = line->len;
	while (n && line->data[n - 1] == ' ')
		n--;
	if (n)
		tm_out_put(o, line->data, n);
	tm_out_puts(o, "\n");
	tm_strbuf_reset(line);
}

static void term_render(tm_table *t, const char *text)
{
	size_t *width = tm_calloc(t->ncols ? t->ncols : 1, sizeof(*width));
	unsigned char *num =
	    tm_calloc(t->ncols ? t->ncols : 1, 1); /* 1: numbers seen, 2: other text seen */
	tm_strbuf line = TM_STRBUF_INIT;
	if (!width || !num) {
		t->oom = true;
		goto done;
	}
	for (size_t i = 0; i < t->ncells; i++) {
		const tm_table_term_cell *c = &t->cells[i];
		size_t w = width_of(text + c->off, c->end - c->off);
		if (c->kind == CELL_SPAN || c->col >= t->ncols)
			continue;
		if (w > width[c->col])
			width[c->col] = w;
		if (c->kind == CELL_NUM)
			num[c->col] |= 1;
		else if (c->kind == CELL_TEXT && w)
			num[c->col] |= 2;
	}
	for (size_t i = 0; i < t->ncells; i++) {
		const tm_table_term_cell *c = &t->cells[i];
		size_t len = c->end - c->off, w = width_of(text + c->off, len);
		if (c->kind == CELL_SPAN) {
			tm_strbuf_put(&line, text + c->off, len);
		} else {
			bool right = num[c->col] == 1;
			if (c->col)
				tm_strbuf_puts(&line, "  ");
			if (right)
				pad(&line, width[c->col] - w);
			tm_strbuf_put(&line, text + c->off, len);
			if (!right)
				pad(&line, width[c->col] - w);
		}
		if (!c->eol)
			continue;
		put_line(t->o, &line);
		if (c->kind != CELL_HEADER)
			continue;
		for (size_t k = 0; k < t->ncols; k++) {
			tm_strbuf_puts(&line, k ? "  " : "");
			for (size_t d = 0; d < width[k]; d++)
				tm_strbuf_putc(&line, '-');
		}
		put_line(t->o, &line);
	}
	t->oom |= line.oom;
done:
	tm_strbuf_dispose(&line);
	tm_free(width);
	tm_free(num);
}

/* ---- rows and cells ----------------------------------------------------------------------- */

tm_out *tm_table_row(tm_table *t, const char *attrs)
{
	if (t->in_row)
		tm_table_end_row(t);
	t->in_row = true;
	t->col = 0;
	if (t->style != TM_TABLE_HTML)
		return &t->drop;
	tm_out_puts(t->o, "<tr");
	if (attrs) {
		tm_out_puts(t->o, " ");
		tm_out_puts(t->o, attrs);
	}
	t->tag_open = true;
	return t->o;
}

/* Open the next cell of the row (the row too if none is open); where its content goes. */
static tm_out *open_cell(tm_table *t, cell_kind kind, bool empty)
{
	if (!t->in_row)
		tm_table_row(t, NULL);
	assert(t->col < t->ncols || kind == CELL_SPAN);
	size_t col = t->col++;
	switch (t->style) {
	case TM_TABLE_MD:
		/* "| a | | b |": an empty cell is one space between its bars */
		tm_out_puts(t->o, col ? (empty ? " |" : " | ") : (empty ? "|" : "| "));
		return t->o;
	case TM_TABLE_HTML:
		tm_out_puts(t->o, t->tag_open ? ">" : t->in_cell ? "</td>" : "");
		t->tag_open = false;
		t->in_cell = true;
		if (kind == CELL_SPAN)
			tm_out_printf(t->o, "<td colspan=\"%zu\">", t->ncols);
		else
			tm_out_puts(t->o, "<td>");
		return t->o;
	case TM_TABLE_TERM:
		term_open(t, col, kind);
		return &t->term;
	}
	return t->o;
}

void tm_table_text(tm_table *t, const char *s)
{
	tm_out *o = open_cell(t, CELL_TEXT, false);
	s = s ? s : "-";
	if (t->style == TM_TABLE_MD)
		tm_esc_md(o, s);
	else if (t->style == TM_TABLE_HTML)
		tm_esc_html(o, s);
	else
		tm_esc_term(o, s);
}

void tm_table_code(tm_table *t, const char *s)
{
	if (!s) {
		tm_table_text(t, "-");
		return;
	}
	tm_out *o = open_cell(t, CELL_TEXT, false);
	if (t->style == TM_TABLE_MD) {
		tm_esc_md_code(o, s);
	} else if (t->style == TM_TABLE_HTML) {
		tm_out_puts(o, "<code>");
		tm_esc_html(o, s);
		tm_out_puts(o, "</code>");
	} else {
		tm_esc_term(o, s);
	}
}

void tm_table_int(tm_table *t, int64_t v)
{
	tm_out_printf(open_cell(t, CELL_NUM, false), "%" PRId64, v);
}

void tm_table_numf(tm_table *t, const char *fmt, ...)
{
	tm_out *o = open_cell(t, CELL_NUM, false);
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int n = tm_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(buf)) {
		tm_out_put(o, buf, (size_t)n);
		return;
	}
	tm_strbuf sb = TM_STRBUF_INIT; /* longer than a number should be: format it again, whole */
	va_start(ap, fmt);
	tm_strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (sb.oom && !o->err)
		o->err = TM_ENOMEM;
	else if (sb.data)
		tm_out_put(o, sb.data, sb.len);
	tm_strbuf_dispose(&sb);
}

void tm_table_raw(tm_table *t, const char *s)
{
	tm_out *o = open_cell(t, CELL_TEXT, false);
	if (s)
		tm_out_puts(o, s);
}

tm_out *tm_table_cell(tm_table *t)
{
	return open_cell(t, CELL_TEXT, false);
}

void tm_table_empty(tm_table *t)
{
	open_cell(t, CELL_TEXT, true);
}

tm_out *tm_table_span(tm_table *t)
{
	return open_cell(t, CELL_SPAN, false);
}

void tm_table_end_row(tm_table *t)
{
	if (!t->in_row)
		return;
	switch (t->style) {
	case TM_TABLE_MD:
		if (t->col)
			tm_out_puts(t->o, " |\n");
		break;
	case TM_TABLE_HTML:
		tm_out_puts(t->o, t->tag_open ? ">" : t->in_cell ? "</td>" : "");
		tm_out_puts(t->o, "</tr>\n");
		break;
	case TM_TABLE_TERM:
		term_close(t);
		if (t->col && t->ncells && !t->oom)
			t->cells[t->ncells - 1].eol = true;
		break;
	}
	t->in_row = t->tag_open = t->in_cell = false;
	t->col = 0;
}

/* ---- the table ---------------------------------------------------------------------------- */

static void begin_md(tm_table *t, const tm_table_spec *spec)
{
	tm_out_puts(t->o, "|");
	for (size_t i = 0; i < spec->ncols; i++) {
		const char *name = spec->cols[i].name;
		tm_out_puts(t->o, " ");
		if (name && name[0]) {
			tm_out_puts(t->o, name);
			tm_out_puts(t->o, " ");
		}
		tm_out_puts(t->o, "|");
	}
	tm_out_puts(t->o, "\n|");
	for (size_t i = 0; i < spec->ncols; i++)
		tm_out_puts(t->o, "---|");
	tm_out_puts(t->o, "\n");
}

static void begin_html(tm_table *t, const tm_table_spec *spec)
{
	const char *nl = spec->flags & TM_TABLE_HTML_LINES ? "\n" : "";
	tm_out_puts(t->o, "<table");
	if (spec->attrs) {
		tm_out_puts(t->o, " ");
		tm_out_puts(t->o, spec->attrs);
	}
	tm_out_printf(t->o, ">%s<thead><tr>", nl);
	for (size_t i = 0; i < spec->ncols; i++) {
		tm_out_puts(t->o, "<th");
		if (spec->cols[i].attrs) {
			tm_out_puts(t->o, " ");
			tm_out_puts(t->o, spec->cols[i].attrs);
		}
		tm_out_puts(t->o, ">");
		tm_out_puts(t->o, spec->cols[i].name ? spec->cols[i].name : "");
		tm_out_puts(t->o, "</th>");
	}
	tm_out_printf(t->o, "</tr></thead>%s<tbody>\n", nl);
}

void tm_table_begin(tm_table *t, tm_out *o, const tm_table_spec *spec)
{
	assert(t && o && spec && (spec->cols || !spec->ncols));
	memset(t, 0, sizeof(*t));
	t->o = o;
	t->style = spec->style;
	t->ncols = spec->ncols;
	t->drop_sink = (tm_sink){drop_write, NULL};
	tm_out_init(&t->drop, &t->drop_sink);
	switch (spec->style) {
	case TM_TABLE_MD:
		begin_md(t, spec);
		break;
	case TM_TABLE_HTML:
		begin_html(t, spec);
		break;
	case TM_TABLE_TERM:
		t->term_sink = tm_sink_strbuf(&t->text);
		tm_out_init(&t->term, &t->term_sink);
		for (size_t i = 0; i < spec->ncols; i++) /* the header is the first row */
			tm_out_puts(open_cell(t, CELL_HEADER, false),
			            spec->cols[i].name ? spec->cols[i].name : "");
		tm_table_end_row(t);
		break;
	}
}

void tm_table_end(tm_table *t)
{
	tm_table_end_row(t);
	tm_out_finish(&t->drop);
	if (t->style == TM_TABLE_HTML) {
		tm_out_puts(t->o, "</tbody></table>");
	} else if (t->style == TM_TABLE_TERM) {
		int err = tm_out_finish(&t->term); /* TM_ENOMEM if text ran out */
		if (!err && !t->oom)
			term_render(t, t->text.data ? t->text.data : "");
		if ((err || t->oom) && !t->o->err)
			t->o->err = err ? err : TM_ENOMEM;
	}
	tm_strbuf_dispose(&t->text);
	tm_free(t->cells);
	t->cells = NULL;
	t->ncells = t->cap = 0;
}
