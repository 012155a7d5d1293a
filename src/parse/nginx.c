/*
 * nginx.c - nginx configuration text -> a tree of directives with positions.
 *
 * One pass over the bytes; the recursion is bounded by TM_NGX_MAX_DEPTH and every directive and
 * argument costs arena memory proportional to its text, so a hostile file costs what it weighs.
 */
#include <string.h>

#include "parse/nginx.h"

typedef struct {
	tm_arena *a;
	const char *path;
	const char *s;
	size_t len, pos;
	uint32_t line, col;
	uint32_t col_offset; /* added to every column (text embedded at an indentation) */
	tm_diag_list *diags;
	int error; /* a syntax error was reported: stop */
	int oom;
	uint32_t tmpl_line, tmpl_col; /* the first template tag ({{ }}, {% %}, {# #}), 0: none */
	size_t ntmpl;
} lexer;

enum { T_EOF, T_WORD, T_OPEN, T_CLOSE, T_SEMI };

typedef struct {
	int kind;
	const char *text;
	uint32_t line, col;
	bool tmpl; /* a template tag standing alone: {{ if .Env.X }}, {% endif %} */
} token;

static void advance(lexer *lx)
{
	if (lx->s[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

static void syntax(lexer *lx, uint32_t line, uint32_t col, const char *msg)
{
	if (lx->error)
		return;
	lx->error = 1;
	tm_loc loc = {lx->path, line, col + lx->col_offset, NULL};
	tm_diag_add(lx->diags, TM_EPARSE, TM_LEVEL_ERROR, loc, "nginx configuration: %s", msg);
}

static void skip_space(lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->s[lx->pos];
		if (c == '#') {
			while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
				advance(lx);
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			advance(lx);
		} else {
			break;
		}
	}
}

/* At a template tag's opening ({{ of Go templates and gomplate, {% and {# of Jinja): its closing,
 * else NULL. */
static const char *tag_close(const lexer *lx)
{
	if (lx->pos + 1 >= lx->len || lx->s[lx->pos] != '{')
		return NULL;
	char o = lx->s[lx->pos + 1];
	if (o == '{')
		return "}}";
	if (o != '%' && o != '#')
		return NULL;
	/* {% %} and {# #} close on their line: `server {#main` is nginx's block and a comment */
	for (size_t k = lx->pos + 2; k + 1 < lx->len && lx->s[k] != '\n'; k++)
		if (lx->s[k] == o && lx->s[k + 1] == '}')
			return o == '%' ? "%}" : "#}";
	return NULL;
}

/* Copies a template tag, from its opening to its closing, into b (NULL: skipped); false when the
 * tag is never closed (said). */
static bool take_tag(lexer *lx, const char *close, tm_strbuf *b)
{
	uint32_t line = lx->line, col = lx->col;
	if (!lx->ntmpl++) {
		lx->tmpl_line = line;
		lx->tmpl_col = col;
	}
	for (size_t k = 0; k < 2; k++) {
		if (b)
			tm_strbuf_putc(b, lx->s[lx->pos]);
		advance(lx);
	}
	while (lx->pos < lx->len && !(lx->s[lx->pos] == close[0] && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == close[1])) {
		if (b)
			tm_strbuf_putc(b, lx->s[lx->pos]);
		advance(lx);
	}
	if (lx->pos >= lx->len) {
		syntax(lx, line, col, "a template tag opened here is never closed");
		return false;
	}
	for (size_t k = 0; k < 2; k++) {
		if (b)
			tm_strbuf_putc(b, lx->s[lx->pos]);
		advance(lx);
	}
	return true;
}

static token next(lexer *lx)
{
	token t = {T_EOF, NULL, 0, 0, false};
	skip_space(lx);
	t.line = lx->line;
	t.col = lx->col;
	if (lx->pos >= lx->len)
		return t;
	char c = lx->s[lx->pos];
	if (!tag_close(lx) && (c == '{' || c == '}' || c == ';')) {
		advance(lx);
		t.kind = c == '{' ? T_OPEN : c == '}' ? T_CLOSE : T_SEMI;
		return t;
	}
	tm_strbuf b = TM_STRBUF_INIT;
	if (c == '"' || c == '\'') {
		char q = c;
		advance(lx);
		while (lx->pos < lx->len && lx->s[lx->pos] != q) {
			if (lx->s[lx->pos] == '\\' && lx->pos + 1 < lx->len) {
				/* nginx unescapes \" \' \\ \n \t \r and keeps any other backslash
				 * (a quoted regex's \d stays \d) */
				advance(lx);
				char e = lx->s[lx->pos];
				if (e == 'n' || e == 't' || e == 'r')
					tm_strbuf_putc(&b, e == 'n' ? '\n' : e == 't' ? '\t' : '\r');
				else if (e == '"' || e == '\'' || e == '\\')
					tm_strbuf_putc(&b, e);
				else {
					tm_strbuf_putc(&b, '\\');
					tm_strbuf_putc(&b, e);
				}
			} else {
				tm_strbuf_putc(&b, lx->s[lx->pos]);
			}
			advance(lx);
		}
		if (lx->pos >= lx->len) {
			syntax(lx, t.line, t.col, "unterminated quoted string");
			tm_strbuf_dispose(&b);
			t.kind = T_EOF;
			return t;
		}
		advance(lx);
	} else {
		/* a bare word ends at space, ';', '{' (unless it follows '$': ${var}) or '}' (unless it
		 * closes such a variable); a template's tag is part of it, and a tag alone is a statement
		 * of the template ({{ if .Env.X }}: block() decides) */
		int var = 0;
		bool start = true;
		while (lx->pos < lx->len) {
			char d = lx->s[lx->pos];
			if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == ';')
				break;
			const char *tc = tag_close(lx);
			if (tc) { /* http://{{ .Env.HOST }}:5280, {{ .Env.D }}.example.org */
				if (!take_tag(lx, tc, &b))
					break;
				t.tmpl = start;
				start = false;
				continue;
			}
			start = false;
			t.tmpl = false;
			if (d == '{' && !(lx->pos > 0 && lx->s[lx->pos - 1] == '$'))
				break;
			if (d == '{')
				var = 1;
			if (d == '}' && !var)
				break;
			if (d == '}')
				var = 0;
			if (d == '\\' && lx->pos + 1 < lx->len) {
				tm_strbuf_putc(&b, d);
				advance(lx);
				d = lx->s[lx->pos];
			}
			tm_strbuf_putc(&b, d);
			advance(lx);
		}
	}
	t.kind = T_WORD;
	t.text = tm_arena_strndup(lx->a, b.data ? b.data : "", b.len);
	if (!t.text || b.oom)
		lx->oom = 1;
	tm_strbuf_dispose(&b);
	return t;
}

/* At a Lua long bracket ("[[", "[==["): its level (the '=' count) + 1, else 0. */
static size_t long_bracket(const lexer *lx)
{
	size_t p = lx->pos, eq = 0;
	if (p >= lx->len || lx->s[p] != '[')
		return 0;
	for (p++; p < lx->len && lx->s[p] == '='; p++)
		eq++;
	return p < lx->len && lx->s[p] == '[' ? eq + 1 : 0;
}

/* Skip a long bracket's body through its closing "]=*]" of the same level. */
static void skip_long(lexer *lx, size_t level)
{
	for (size_t k = 0; k < level + 1; k++)
		advance(lx); /* "[" and the '='s; the second "[" below */
	advance(lx);
	while (lx->pos < lx->len) {
		if (lx->s[lx->pos] == ']') {
			size_t p = lx->pos + 1, eq = 0;
			while (p < lx->len && lx->s[p] == '=')
				p++, eq++;
			if (eq + 1 == level && p < lx->len && lx->s[p] == ']') {
				while (lx->pos <= p)
					advance(lx);
				return;
			}
		}
		advance(lx);
	}
}

/* Skip a *_by_lua_block body: braces balanced outside Lua strings, long strings and comments. */
static void skip_lua(lexer *lx, uint32_t line, uint32_t col)
{
	int depth = 1;
	while (lx->pos < lx->len && depth) {
		char c = lx->s[lx->pos];
		size_t level = long_bracket(lx);
		if (level) {
			skip_long(lx, level);
			continue;
		}
		if (c == '-' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '-') {
			advance(lx);
			advance(lx);
			if ((level = long_bracket(lx)) != 0) {
				skip_long(lx, level); /* --[[ a block comment ]] */
				continue;
			}
			while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
				advance(lx);
			continue;
		}
		if (c == '"' || c == '\'') {
			advance(lx);
			while (lx->pos < lx->len && lx->s[lx->pos] != c && lx->s[lx->pos] != '\n') {
				if (lx->s[lx->pos] == '\\' && lx->pos + 1 < lx->len)
					advance(lx);
				advance(lx);
			}
			if (lx->pos < lx->len)
				advance(lx);
			continue;
		}
		if (c == '{')
			depth++;
		else if (c == '}')
			depth--;
		advance(lx);
	}
	if (depth)
		syntax(lx, line, col, "unterminated lua block");
}

static bool suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* The directives of one block (top level when depth is 0), up to its '}' or the end. */
static void block(lexer *lx, tm_ngx_dir *into, int depth, uint32_t oline, uint32_t ocol)
{
	tm_ngx_dir *kids = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (lx->error || lx->oom)
			break;
		token t = next(lx);
		if (t.kind == T_EOF) {
			if (depth && !lx->error)
				syntax(lx, oline, ocol, "block opened here is never closed");
			break;
		}
		if (t.kind == T_CLOSE) {
			if (!depth)
				syntax(lx, t.line, t.col, "unexpected '}'");
			break;
		}
		if (t.tmpl)
			continue; /* a template's statement ({{ if }}, {% endif %}): both branches are read */
		if (t.kind != T_WORD) {
			if (t.kind == T_SEMI)
				continue; /* an empty directive, as nginx allows */
			syntax(lx, t.line, t.col, "a block needs a directive name before '{'");
			break;
		}
		if (TM_GROW(kids, cap, n + 1)) {
			lx->oom = 1;
			break;
		}
		tm_ngx_dir *d = &kids[n++];
		memset(d, 0, sizeof(*d));
		d->name = t.text;
		d->line = t.line;
		d->col = t.col + lx->col_offset;
		const char *args[TM_NGX_MAX_ARGS];
		size_t na = 0;
		token u;
		for (;;) {
			u = next(lx);
			if (u.kind != T_WORD)
				break;
			if (na == TM_NGX_MAX_ARGS) {
				syntax(lx, u.line, u.col, "too many arguments to one directive");
				break;
			}
			args[na++] = u.text;
		}
		if (lx->error || lx->oom)
			break;
		if (na) {
			d->args = tm_arena_alloc(lx->a, na * sizeof(*d->args));
			if (!d->args) {
				lx->oom = 1;
				break;
			}
			memcpy(d->args, args, na * sizeof(*args));
			d->nargs = na;
		}
		if (u.kind == T_SEMI)
			continue;
		if (u.kind == T_OPEN) {
			d->block = true;
			if (suffix(d->name, "_by_lua_block")) {
				skip_lua(lx, u.line, u.col);
			} else if (depth + 1 > TM_NGX_MAX_DEPTH) {
				syntax(lx, u.line, u.col, "blocks nested too deeply");
			} else {
				block(lx, d, depth + 1, u.line, u.col);
			}
			continue;
		}
		syntax(lx, d->line, d->col, u.kind == T_EOF ? "directive is not terminated by ';'"
							 : "unexpected '}' inside a directive (missing ';')");
		break;
	}
	if (n) {
		into->kids = tm_arena_alloc(lx->a, n * sizeof(*kids));
		if (into->kids) {
			memcpy(into->kids, kids, n * sizeof(*kids));
			into->nkids = n;
		} else {
			lx->oom = 1;
		}
	}
	tm_free(kids);
}

int tm_ngx_parse(tm_arena *a, const char *path, const char *text, size_t len, uint32_t first_line,
		 uint32_t col_offset, tm_diag_list *diags, tm_ngx_dir *root)
{
	memset(root, 0, sizeof(*root));
	root->name = "";
	root->block = true;
	lexer lx = {a, path, text, len, 0, first_line ? first_line : 1, 1, col_offset, diags, 0, 0, 0, 0, 0};
	block(&lx, root, 0, lx.line, 1);
	if (lx.oom)
		return TM_ENOMEM;
	if (lx.ntmpl && !lx.error) {
		tm_loc loc = {path, lx.tmpl_line, lx.tmpl_col + col_offset, NULL};
		tm_diag_add(diags, 0, TM_LEVEL_NOTE, loc,
			    "a template (Go template, gomplate or Jinja), not rendered: its %zu tag%s are read as they "
			    "stand, its conditions' branches all taken, and a value it fills in is not known",
			    lx.ntmpl, lx.ntmpl == 1 ? "" : "s");
	}
	return lx.error ? 1 : 0;
}

const tm_ngx_dir *tm_ngx_find(const tm_ngx_dir *b, const char *name)
{
	for (size_t i = 0; b && i < b->nkids; i++)
		if (strcmp(b->kids[i].name, name) == 0)
			return &b->kids[i];
	return NULL;
}

bool tm_ngx_sniff(const char *head, size_t len)
{
	/* distinct marks, one of them opening a block: prose quoting a snippet twice, or another
	 * server's config with `listen` and `server` lines (HAProxy), is not enough */
	static const char *const blocks[] = {"server {", "server{", "http {", "http{", "events {", "upstream ", "location "};
	static const char *const lines[] = {"proxy_pass ", "listen ", "server_name ", "root ", "include ", "worker_processes "};
	unsigned seen = 0;
	bool opens = false;
	for (size_t i = 0; i < len;) {
		const char *line = head + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) : len - i, k = 0;
		while (k < ll && (line[k] == ' ' || line[k] == '\t'))
			k++;
		bool brace = memchr(line + k, '{', ll - k) != NULL;
		for (size_t m = 0; m < TM_ARRAY_LEN(blocks); m++) {
			size_t ml = strlen(blocks[m]);
			if (ll - k >= ml && memcmp(line + k, blocks[m], ml) == 0 && brace) {
				seen |= 1u << m;
				opens = true;
			}
		}
		for (size_t m = 0; m < TM_ARRAY_LEN(lines); m++) {
			size_t ml = strlen(lines[m]);
			if (ll - k >= ml && memcmp(line + k, lines[m], ml) == 0 && memchr(line + k, ';', ll - k))
				seen |= 1u << (TM_ARRAY_LEN(blocks) + m);
		}
		i += ll + 1;
	}
	unsigned distinct = 0;
	for (unsigned v = seen; v; v &= v - 1)
		distinct++;
	return opens && distinct >= 2;
}
