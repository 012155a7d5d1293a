/*
 * caddyfile.c - Caddyfile text -> a tree of directives with positions.
 *
 * Two passes: the bytes into tokens (each with its position and the logical line it belongs to),
 * then the tokens into directives and blocks. Both are linear; the recursion is bounded by
 * TM_CDY_MAX_DEPTH and every token costs arena memory proportional to its text, so a hostile file
 * costs what it weighs.
 */
#include <string.h>
#include <strings.h>

#include "parse/caddyfile.h"

typedef struct {
	const char *text;
	uint32_t line, col; /* where it starts */
	size_t lline;       /* its logical line: a backslash-newline continues one */
	bool quoted;        /* "...", `...` or a heredoc: never a brace */
} token;

typedef struct {
	tm_arena *a;
	const char *path;
	const char *s;
	size_t len, pos;
	uint32_t line, col;
	size_t lline;
	tm_diag_list *diags;
	int error;
	int silent; /* an error is already said: the tree of what came before is kept, quietly */
	int oom;
	token *toks;
	size_t n, cap, at;
} lexer;

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
	if (lx->silent)
		return;
	tm_loc loc = {lx->path, line, col, NULL};
	tm_diag_add(lx->diags, TM_EPARSE, TM_LEVEL_ERROR, loc, "Caddyfile: %s", msg);
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void push(lexer *lx, tm_strbuf *b, uint32_t line, uint32_t col, bool quoted)
{
	const char *t = tm_arena_strndup(lx->a, b->data ? b->data : "", b->len);
	if (!t || b->oom || TM_GROW(lx->toks, lx->cap, lx->n + 1)) {
		lx->oom = 1;
		return;
	}
	lx->toks[lx->n++] = (token){t, line, col, lx->lline, quoted};
}

/* A heredoc at "<<": its marker to the end of the line, then every line up to one that holds the
 * marker alone (indentation aside), which ends it. */
static void heredoc(lexer *lx, tm_strbuf *b, uint32_t line, uint32_t col)
{
	advance(lx);
	advance(lx);
	size_t m0 = lx->pos;
	while (lx->pos < lx->len && !space(lx->s[lx->pos]))
		advance(lx);
	size_t ml = lx->pos - m0;
	const char *marker = lx->s + m0;
	while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
		advance(lx);
	if (!ml || lx->pos >= lx->len) {
		syntax(lx, line, col, "heredoc without a marker and a body");
		return;
	}
	advance(lx);
	for (;;) {
		size_t l0 = lx->pos;
		while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
			advance(lx);
		size_t a = l0, e = lx->pos;
		while (a < e && (lx->s[a] == ' ' || lx->s[a] == '\t'))
			a++;
		while (e > a && (lx->s[e - 1] == ' ' || lx->s[e - 1] == '\t' || lx->s[e - 1] == '\r'))
			e--;
		if (e - a == ml && memcmp(lx->s + a, marker, ml) == 0)
			return;
		tm_strbuf_put(b, lx->s + l0, lx->pos - l0);
		if (lx->pos >= lx->len) {
			syntax(lx, line, col, "heredoc is never closed by its marker");
			return;
		}
		tm_strbuf_putc(b, '\n');
		advance(lx);
	}
}

static void lex(lexer *lx)
{
	while (lx->pos < lx->len && !lx->error && !lx->oom) {
		char c = lx->s[lx->pos];
		if (c == '\n') {
			lx->lline++;
			advance(lx);
			continue;
		}
		if (space(c)) {
			advance(lx);
			continue;
		}
		if (c == '\\' && lx->pos + 1 < lx->len &&
		    (lx->s[lx->pos + 1] == '\n' || (lx->s[lx->pos + 1] == '\r' && lx->pos + 2 < lx->len &&
						    lx->s[lx->pos + 2] == '\n'))) {
			advance(lx); /* the line goes on: its newline joins, not ends */
			if (lx->s[lx->pos] == '\r')
				advance(lx);
			advance(lx);
			continue;
		}
		if (c == '#') {
			while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
				advance(lx);
			continue;
		}
		uint32_t line = lx->line, col = lx->col;
		tm_strbuf b = TM_STRBUF_INIT;
		bool quoted = false;
		if (c == '"' || c == '`') {
			quoted = true;
			advance(lx);
			while (lx->pos < lx->len && lx->s[lx->pos] != c) {
				char d = lx->s[lx->pos];
				if (c == '"' && d == '\\' && lx->pos + 1 < lx->len &&
				    (lx->s[lx->pos + 1] == '"' || lx->s[lx->pos + 1] == '\\')) {
					advance(lx);
					d = lx->s[lx->pos];
				}
				tm_strbuf_putc(&b, d);
				advance(lx);
			}
			if (lx->pos >= lx->len)
				syntax(lx, line, col, c == '"' ? "unterminated quoted string" : "unterminated backtick string");
			else
				advance(lx);
		} else if (c == '<' && lx->pos + 2 < lx->len && lx->s[lx->pos + 1] == '<' && !space(lx->s[lx->pos + 2])) {
			quoted = true;
			heredoc(lx, &b, line, col);
		} else {
			while (lx->pos < lx->len && !space(lx->s[lx->pos])) {
				tm_strbuf_putc(&b, lx->s[lx->pos]);
				advance(lx);
			}
		}
		if (!lx->error)
			push(lx, &b, line, col, quoted);
		tm_strbuf_dispose(&b);
	}
}

static bool is(const token *t, const char *s)
{
	return t && !t->quoted && strcmp(t->text, s) == 0;
}

static const token *peek(const lexer *lx)
{
	return lx->at < lx->n ? &lx->toks[lx->at] : NULL;
}

/* The directives of one block (the top level when depth is 0), up to its '}' or the end. */
static void block(lexer *lx, tm_cdy_dir *into, int depth, uint32_t oline, uint32_t ocol)
{
	tm_cdy_dir *kids = NULL;
	size_t n = 0, cap = 0;
	const char *args[TM_CDY_MAX_ARGS];
	for (;;) {
		if (lx->error || lx->oom)
			break;
		const token *t = peek(lx);
		if (!t) {
			if (depth)
				syntax(lx, oline, ocol, "block opened here is never closed");
			break;
		}
		lx->at++;
		if (is(t, "}")) {
			if (!depth)
				syntax(lx, t->line, t->col, "unexpected '}'");
			break;
		}
		if (TM_GROW(kids, cap, n + 1)) {
			lx->oom = 1;
			break;
		}
		tm_cdy_dir *d = &kids[n++];
		memset(d, 0, sizeof(*d));
		d->line = t->line;
		d->col = t->col;
		const token *open = NULL;
		if (is(t, "{")) { /* the global options block: a directive without a name */
			if (depth || n > 1) {
				syntax(lx, t->line, t->col, "a block needs a directive or a site address before '{'");
				n--; /* the directive begun for it: none */
				break;
			}
			d->name = "";
			open = t;
		} else {
			d->name = t->text;
			size_t na = 0;
			for (const token *u; !open && (u = peek(lx)) != NULL && u->lline == t->lline && !is(u, "}");) {
				lx->at++;
				if (is(u, "{")) {
					open = u;
				} else if (na == TM_CDY_MAX_ARGS) {
					syntax(lx, u->line, u->col, "too many arguments to one directive");
					break;
				} else {
					args[na++] = u->text;
				}
			}
			if (na) {
				d->args = tm_arena_alloc(lx->a, na * sizeof(*d->args));
				if (!d->args) {
					lx->oom = 1;
					break;
				}
				memcpy(d->args, args, na * sizeof(*args));
				d->nargs = na;
			}
		}
		if (lx->error || !open)
			continue;
		d->block = true;
		if (depth + 1 > TM_CDY_MAX_DEPTH) {
			syntax(lx, open->line, open->col, "blocks nested too deeply");
			break;
		}
		block(lx, d, depth + 1, open->line, open->col);
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

int tm_cdy_parse(tm_arena *a, const char *path, const char *text, size_t len, uint32_t first_line, tm_diag_list *diags,
		 tm_cdy_dir *root)
{
	memset(root, 0, sizeof(*root));
	root->name = "";
	root->block = true;
	lexer lx;
	memset(&lx, 0, sizeof(lx));
	lx.a = a;
	lx.path = path;
	lx.s = text;
	lx.len = len;
	lx.line = first_line ? first_line : 1;
	lx.col = 1;
	lx.diags = diags;
	lex(&lx);
	int lexed = lx.error;
	if (lexed) { /* the directives of the tokens before the error: kept, no second error said */
		lx.error = 0;
		lx.silent = 1;
	}
	if (!lx.oom)
		block(&lx, root, 0, lx.line, 1);
	tm_free(lx.toks);
	if (lx.oom)
		return TM_ENOMEM;
	return lx.error || lexed ? 1 : 0;
}

bool tm_cdy_name(const char *name)
{
	size_t n = strlen(name);
	return strcmp(name, "Caddyfile") == 0 || strncmp(name, "Caddyfile.", 10) == 0 ||
	       (n > 10 && strcasecmp(name + n - 10, ".caddyfile") == 0) || strcmp(name, ".Caddyfile") == 0;
}
