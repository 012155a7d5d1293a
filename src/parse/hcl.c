/*
 * hcl.c - HCL2 native syntax -> tm_doc (the shape is described in parse/hcl.h).
 *
 * A recursive-descent parser over the bytes, one pass. Newlines end attributes and object items
 * but are whitespace inside (), [] and interpolations, as in HCL's own scanner: expr() and
 * skip_ws() take that as a flag. Expressions we do not evaluate are still parsed whole (operators,
 * conditionals, for expressions, splats, function calls), and then kept as their source text, so a
 * brace inside a string or a heredoc never ends a block early.
 *
 * Invariants: every recursion goes through enter() (bounded by the nesting limit); every value is
 * counted against the values limit; the first error stops the parse (p->error) and every loop
 * checks it, so a hostile file costs at most one pass. Values are made with the rendered-file
 * builder (parse/build.c) without an origin path: they report the file's own path.
 */
#include <string.h>

#include "parse/hcl.h"
#include "parse/parse.h"

typedef struct {
	tm_file *f;
	const char *path;
	const char *s;
	size_t len, pos;
	uint32_t line, col;
	uint32_t depth, max_depth;
	size_t max_nodes, max_scalar;
	tm_diag_list *diags;
	int error; /* a diagnostic was recorded: stop */
	int limit; /* that diagnostic is a limit */
	int oom;
} P;

typedef struct {
	size_t pos;
	uint32_t line, col;
} mark;

static mark here(const P *p)
{
	mark m = {p->pos, p->line, p->col};
	return m;
}

static void back(P *p, mark m)
{
	p->pos = m.pos;
	p->line = m.line;
	p->col = m.col;
}

static int cur(const P *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static int peek(const P *p, size_t k)
{
	return p->pos + k < p->len ? (unsigned char)p->s[p->pos + k] : -1;
}

static void adv(P *p)
{
	if (p->pos >= p->len)
		return;
	if (p->s[p->pos] == '\n') {
		p->line++;
		p->col = 1;
	} else if (((unsigned char)p->s[p->pos] & 0xC0) != 0x80) {
		p->col++; /* columns count characters: continuation bytes do not move it */
	}
	p->pos++;
}

static void advn(P *p, size_t n)
{
	while (n--)
		adv(p);
}

static void fail(P *p, int code, uint32_t line, uint32_t col, const char *msg)
{
	if (p->error)
		return;
	p->error = 1;
	p->limit = code == TM_ELIMIT;
	tm_loc loc = {p->path, line, col, NULL};
	if (tm_diag_add(p->diags, code, TM_LEVEL_ERROR, loc, "hcl: %s", msg))
		p->oom = 1;
}

static void fail_here(P *p, const char *msg)
{
	fail(p, TM_EPARSE, p->line, p->col, msg);
}

static bool enter(P *p)
{
	if (p->error)
		return false;
	if (++p->depth > p->max_depth) {
		fail(p, TM_ELIMIT, p->line, p->col, "nesting deeper than the limit");
		return false;
	}
	return true;
}

static tm_loc at(uint32_t line, uint32_t col)
{
	tm_loc l = {NULL, line, col, NULL};
	return l;
}

static bool counted(P *p, const void *v)
{
	if (!v) {
		p->oom = p->error = 1;
		return false;
	}
	if (tm_file_value_count(p->f) > p->max_nodes) {
		fail(p, TM_ELIMIT, p->line, p->col, "more values than the limit");
		return false;
	}
	return true;
}

static tm_value *scalar(P *p, mark m, tm_scalar_type type, const char *s, size_t n, bool quoted)
{
	if (n > p->max_scalar) {
		fail(p, TM_ELIMIT, m.line, m.col, "string longer than the limit");
		return NULL;
	}
	tm_value *v = tm_value_new_scalar(p->f, at(m.line, m.col), type, s, n, quoted);
	return counted(p, v) ? v : NULL;
}

static tm_value *new_map(P *p, mark m)
{
	tm_value *v = tm_value_new_map(p->f, at(m.line, m.col));
	return counted(p, v) ? v : NULL;
}

static bool put(P *p, tm_value *map, const char *key, tm_value *v)
{
	if (p->error || !map || !v)
		return false;
	if (tm_map_append(p->f, map, key, v)) {
		p->oom = p->error = 1;
		return false;
	}
	return true;
}

/* ---- lexical ------------------------------------------------------------------------------- */

/* Spaces, tabs, comments (# and // to the line's end, block comments), and newlines when nl. */
static void skip_ws(P *p, bool nl)
{
	while (p->pos < p->len && !p->error) {
		int c = cur(p);
		if (c == ' ' || c == '\t' || c == '\r' || (nl && c == '\n')) {
			adv(p);
		} else if (c == '#' || (c == '/' && peek(p, 1) == '/')) {
			while (p->pos < p->len && cur(p) != '\n')
				adv(p);
		} else if (c == '/' && peek(p, 1) == '*') {
			mark m = here(p);
			advn(p, 2);
			while (p->pos < p->len && !(cur(p) == '*' && peek(p, 1) == '/'))
				adv(p);
			if (p->pos >= p->len) {
				fail(p, TM_EPARSE, m.line, m.col, "unterminated comment");
				return;
			}
			advn(p, 2);
		} else {
			return;
		}
	}
}

static bool id_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool id_char(int c)
{
	return id_start(c) || (c >= '0' && c <= '9') || c == '-';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* An identifier at the cursor: its text (borrowed) and length; 0 if none. */
static size_t ident(P *p, const char **text)
{
	if (!id_start(cur(p)))
		return 0;
	size_t start = p->pos;
	while (id_char(cur(p)))
		adv(p);
	*text = p->s + start;
	return p->pos - start;
}

/* Is the identifier at the cursor exactly word (not a longer name)? */
static bool at_word(const P *p, const char *word)
{
	size_t n = strlen(word);
	return p->pos + n <= p->len && memcmp(p->s + p->pos, word, n) == 0 && !id_char(peek(p, n));
}

static tm_value *expr(P *p, bool nl);

/* ---- strings and heredocs --------------------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A backslash escape at the cursor, decoded into sb. */
static void escape(P *p, tm_strbuf *sb)
{
	mark m = here(p);
	adv(p);
	int c = cur(p);
	static const char from[] = "nrt\"\\", to[] = "\n\r\t\"\\";
	const char *k = c > 0 ? strchr(from, c) : NULL;
	if (k && *k) {
		tm_strbuf_putc(sb, to[k - from]);
		adv(p);
		return;
	}
	if (c == 'u' || c == 'U') {
		size_t n = c == 'u' ? 4 : 8;
		unsigned long cp = 0;
		adv(p);
		for (size_t i = 0; i < n; i++) {
			int h = hexval(cur(p));
			if (h < 0) {
				fail(p, TM_EPARSE, m.line, m.col, "invalid unicode escape");
				return;
			}
			cp = cp * 16 + (unsigned long)h;
			adv(p);
		}
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			fail(p, TM_EPARSE, m.line, m.col, "invalid unicode escape");
			return;
		}
		tm_strbuf_put_rune(sb, (uint32_t)cp);
		return;
	}
	fail(p, TM_EPARSE, m.line, m.col, "invalid escape sequence");
}

/* An interpolation or directive at the cursor ("${" or "%{"): parsed, its source appended to sb. */
static void interpolation(P *p, tm_strbuf *sb)
{
	mark m = here(p);
	bool directive = cur(p) == '%';
	advn(p, 2);
	if (!enter(p))
		return;
	if (cur(p) == '~')
		adv(p);
	/* a directive is a keyword and its clauses (`for k, v in xs`, `if c`, `else`, `endif`):
	 * a run of expressions and commas up to the closing brace */
	for (int n = 0; !p->error; n++) {
		skip_ws(p, true);
		if (cur(p) == '}' || (cur(p) == '~' && peek(p, 1) == '}'))
			break;
		if (cur(p) < 0) {
			fail(p, TM_EPARSE, m.line, m.col, directive ? "unterminated template directive" : "unterminated interpolation");
			break;
		}
		if (n && !directive) {
			fail_here(p, "expected '}' to close the interpolation");
			break;
		}
		if (cur(p) == ',') {
			adv(p);
			continue;
		}
		size_t before = p->pos;
		expr(p, true);
		if (!p->error && p->pos == before)
			fail_here(p, "unexpected character in interpolation");
	}
	p->depth--;
	if (p->error)
		return;
	if (cur(p) == '~')
		adv(p);
	adv(p); /* '}' */
	tm_strbuf_put(sb, p->s + m.pos, p->pos - m.pos);
}

/* The body of a template up to the closing quote (quoted) or the end of the text, into sb. */
static void template_char(P *p, tm_strbuf *sb, bool *interp)
{
	int c = cur(p);
	if ((c == '$' || c == '%') && peek(p, 1) == c && peek(p, 2) == '{') {
		tm_strbuf_put(sb, p->s + p->pos, 3); /* the escape stays: the text is a template */
		advn(p, 3);
	} else if ((c == '$' || c == '%') && peek(p, 1) == '{') {
		*interp = true;
		interpolation(p, sb);
	} else {
		tm_strbuf_putc(sb, (char)c);
		adv(p);
	}
}

static tm_value *quoted(P *p)
{
	mark m = here(p);
	tm_strbuf sb = TM_STRBUF_INIT;
	bool interp = false;
	adv(p);
	while (!p->error) {
		int c = cur(p);
		if (c < 0 || c == '\n') {
			fail(p, TM_EPARSE, m.line, m.col, "unterminated string");
			break;
		}
		if (c == '"') {
			adv(p);
			break;
		}
		if (c == '\\')
			escape(p, &sb);
		else
			template_char(p, &sb, &interp);
	}
	tm_value *v = NULL;
	if (sb.oom)
		p->oom = p->error = 1;
	else if (!p->error)
		v = scalar(p, m, TM_SCALAR_STR, sb.data ? sb.data : "", sb.len, true);
	tm_strbuf_dispose(&sb);
	return v;
}

/* Lines of a heredoc body: [b, e) of the text, the marker line excluded. */
static size_t indent_of(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* <<MARK or <<-MARK, a newline, lines, then a line holding only MARK (indentation allowed). */
static tm_value *heredoc(P *p)
{
	mark m = here(p);
	advn(p, 2);
	bool strip = cur(p) == '-';
	if (strip)
		adv(p);
	const char *mk;
	size_t mlen = ident(p, &mk);
	skip_ws(p, false);
	if (!mlen || cur(p) != '\n') {
		fail(p, TM_EPARSE, m.line, m.col, "heredoc: expected a marker name and a newline");
		return NULL;
	}
	adv(p);
	size_t body = p->pos, end = body;
	bool closed = false;
	while (p->pos < p->len) {
		size_t ls = p->pos;
		while (p->pos < p->len && cur(p) != '\n')
			adv(p);
		size_t le = p->pos;
		size_t in = indent_of(p->s + ls, le - ls);
		size_t te = le;
		while (te > ls + in && p->s[te - 1] == '\r')
			te--;
		if (te - ls - in == mlen && memcmp(p->s + ls + in, mk, mlen) == 0) {
			end = ls;
			closed = true;
			break;
		}
		adv(p); /* the newline */
	}
	if (!closed) {
		fail(p, TM_EPARSE, m.line, m.col, "unterminated heredoc (no closing marker line)");
		return NULL;
	}
	/* <<- removes the smallest indentation of the non-blank lines */
	size_t cut = (size_t)-1;
	for (size_t i = body; strip && i < end;) {
		const char *nlp = memchr(p->s + i, '\n', end - i);
		size_t le = nlp ? (size_t)(nlp - p->s) : end;
		size_t in = indent_of(p->s + i, le - i);
		if (in < le - i && in < cut)
			cut = in;
		i = le + 1;
	}
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = body; i < end;) {
		const char *nlp = memchr(p->s + i, '\n', end - i);
		size_t le = nlp ? (size_t)(nlp - p->s) + 1 : end;
		size_t skip = strip ? indent_of(p->s + i, le - i) : 0;
		if (strip && skip > cut)
			skip = cut;
		tm_strbuf_put(&sb, p->s + i + skip, le - i - skip);
		i = le;
	}
	/* the closing marker line is consumed */
	while (p->pos < p->len && cur(p) != '\n')
		adv(p);
	tm_value *v = NULL;
	if (sb.oom)
		p->oom = p->error = 1;
	else
		v = scalar(p, m, TM_SCALAR_STR, sb.data ? sb.data : "", sb.len, true);
	tm_strbuf_dispose(&sb);
	return v;
}

/* ---- expressions ------------------------------------------------------------------------------ */

static tm_value *number(P *p)
{
	mark m = here(p);
	bool flt = false;
	while (is_digit(cur(p)))
		adv(p);
	if (cur(p) == '.' && is_digit(peek(p, 1))) {
		flt = true;
		adv(p);
		while (is_digit(cur(p)))
			adv(p);
	}
	if ((cur(p) == 'e' || cur(p) == 'E') &&
	    (is_digit(peek(p, 1)) || ((peek(p, 1) == '+' || peek(p, 1) == '-') && is_digit(peek(p, 2))))) {
		flt = true;
		advn(p, 2);
		while (is_digit(cur(p)))
			adv(p);
	}
	return scalar(p, m, flt ? TM_SCALAR_FLOAT : TM_SCALAR_INT, p->s + m.pos, p->pos - m.pos, false);
}

/* `for a[, b] in coll : value [=> value [...]] [if cond]` after the opening bracket, up to close. */
static void for_expr(P *p, int close)
{
	const char *t;
	advn(p, 3);
	skip_ws(p, true);
	if (!ident(p, &t)) {
		fail_here(p, "for expression: expected a variable name");
		return;
	}
	skip_ws(p, true);
	if (cur(p) == ',') {
		adv(p);
		skip_ws(p, true);
		if (!ident(p, &t)) {
			fail_here(p, "for expression: expected a variable name");
			return;
		}
		skip_ws(p, true);
	}
	if (!at_word(p, "in")) {
		fail_here(p, "for expression: expected 'in'");
		return;
	}
	advn(p, 2);
	expr(p, true);
	skip_ws(p, true);
	if (p->error || cur(p) != ':') {
		fail_here(p, "for expression: expected ':'");
		return;
	}
	adv(p);
	expr(p, true);
	skip_ws(p, true);
	if (!p->error && cur(p) == '=' && peek(p, 1) == '>') {
		advn(p, 2);
		expr(p, true);
		skip_ws(p, true);
		if (cur(p) == '.' && peek(p, 1) == '.' && peek(p, 2) == '.') {
			advn(p, 3);
			skip_ws(p, true);
		}
	}
	if (!p->error && at_word(p, "if")) {
		advn(p, 2);
		expr(p, true);
		skip_ws(p, true);
	}
	if (!p->error && cur(p) != close)
		fail_here(p, close == ']' ? "for expression: expected ']'" : "for expression: expected '}'");
	if (!p->error)
		adv(p);
}

static tm_value *tuple(P *p, bool *simple)
{
	mark m = here(p);
	adv(p);
	skip_ws(p, true);
	if (at_word(p, "for")) {
		*simple = false;
		for_expr(p, ']');
		return NULL;
	}
	tm_value *seq = tm_value_new_seq(p->f, at(m.line, m.col));
	if (!counted(p, seq))
		return NULL;
	while (!p->error) {
		skip_ws(p, true);
		if (cur(p) == ']') {
			adv(p);
			break;
		}
		if (cur(p) < 0) {
			fail(p, TM_EPARSE, m.line, m.col, "unterminated list (no ']')");
			break;
		}
		tm_value *item = expr(p, true);
		if (item && tm_seq_insert(p->f, seq, tm_value_len(seq), item))
			p->oom = p->error = 1;
		skip_ws(p, true);
		if (cur(p) == ',')
			adv(p);
		else if (cur(p) < 0 && !p->error)
			fail(p, TM_EPARSE, m.line, m.col, "unterminated list (no ']')");
		else if (cur(p) != ']' && !p->error)
			fail_here(p, "expected ',' or ']' in a list");
	}
	return seq;
}

/* An object key: an identifier, a string, or a parenthesised expression. Its text in *key. */
static tm_value *object_key(P *p, const char **key, size_t *klen)
{
	mark m = here(p);
	const char *t;
	size_t n;
	if (id_start(cur(p)) && (n = ident(p, &t)) != 0) {
		mark after = here(p);
		skip_ws(p, false);
		if (cur(p) == '=' || cur(p) == ':') {
			back(p, after);
			*key = t;
			*klen = n;
			return scalar(p, m, TM_SCALAR_STR, t, n, false);
		}
		back(p, m);
	}
	tm_value *k = expr(p, false);
	*key = tm_scalar_str(k, klen);
	return k;
}

static tm_value *object(P *p, bool *simple)
{
	mark m = here(p);
	adv(p);
	skip_ws(p, true);
	if (at_word(p, "for")) {
		*simple = false;
		for_expr(p, '}');
		return NULL;
	}
	tm_value *map = new_map(p, m);
	while (!p->error) {
		skip_ws(p, true);
		if (cur(p) == '}') {
			adv(p);
			break;
		}
		if (cur(p) < 0) {
			fail(p, TM_EPARSE, m.line, m.col, "unterminated object (no '}')");
			break;
		}
		const char *key = NULL;
		size_t klen = 0;
		object_key(p, &key, &klen);
		skip_ws(p, false);
		if (p->error)
			break;
		if ((cur(p) != '=' && cur(p) != ':') || (cur(p) == '=' && peek(p, 1) == '=')) {
			fail_here(p, "expected '=' or ':' after an object key");
			break;
		}
		adv(p);
		tm_value *v = expr(p, false);
		char *k = key ? tm_arena_strndup(p->f->arena, key, klen) : tm_arena_strdup(p->f->arena, "${?}");
		if (!p->error && (!k || !put(p, map, k, v)))
			p->oom = p->error = 1;
		skip_ws(p, false);
		if (cur(p) == ',' || cur(p) == '\n')
			adv(p);
		else if (cur(p) < 0 && !p->error)
			fail(p, TM_EPARSE, m.line, m.col, "unterminated object (no '}')");
		else if (cur(p) != '}' && !p->error)
			fail_here(p, "expected ',', a newline or '}' in an object");
	}
	return map;
}

/* name(args...) after the name. */
static void call(P *p)
{
	mark m = here(p);
	adv(p);
	while (!p->error) {
		skip_ws(p, true);
		if (cur(p) == ')') {
			adv(p);
			return;
		}
		if (cur(p) < 0) {
			fail(p, TM_EPARSE, m.line, m.col, "unterminated function call (no ')')");
			return;
		}
		expr(p, true);
		skip_ws(p, true);
		if (cur(p) == '.' && peek(p, 1) == '.' && peek(p, 2) == '.') {
			advn(p, 3);
			skip_ws(p, true);
		}
		if (cur(p) == ',')
			adv(p);
		else if (cur(p) < 0 && !p->error)
			fail(p, TM_EPARSE, m.line, m.col, "unterminated function call (no ')')");
		else if (cur(p) != ')' && !p->error)
			fail_here(p, "expected ',' or ')' in a function call");
	}
}

/* Attribute access, index and splat after an operand: `.name`, `.0`, `.*`, `[expr]`, `[*]`. */
static bool postfix(P *p)
{
	const char *t;
	if (cur(p) == '.' && peek(p, 1) == '*') {
		advn(p, 2);
	} else if (cur(p) == '.' && is_digit(peek(p, 1))) {
		adv(p);
		while (is_digit(cur(p)))
			adv(p);
	} else if (cur(p) == '.' && id_start(peek(p, 1))) {
		adv(p);
		ident(p, &t);
	} else if (cur(p) == '[') {
		mark m = here(p);
		adv(p);
		skip_ws(p, true);
		if (cur(p) == '*') {
			adv(p);
		} else {
			expr(p, true);
		}
		skip_ws(p, true);
		if (p->error)
			return false;
		if (cur(p) != ']') {
			fail(p, TM_EPARSE, m.line, m.col, "expected ']' to close the index");
			return false;
		}
		adv(p);
	} else {
		return false;
	}
	return true;
}

/* An operand with its prefix operators and postfixes; *simple stays true only for a literal. */
static tm_value *operand(P *p, bool nl, bool *simple)
{
	skip_ws(p, nl);
	mark m = here(p);
	int c = cur(p);
	tm_value *v = NULL;
	const char *t;
	size_t n;
	if (c == '-' && is_digit(peek(p, 1))) { /* a negative number is a literal */
		adv(p);
		v = number(p);
		if (v) {
			tm_value *neg = scalar(p, m, tm_scalar_type_of(v), p->s + m.pos, p->pos - m.pos, false);
			v = neg;
		}
	} else if (c == '-' || c == '!') {
		adv(p);
		*simple = false;
		operand(p, nl, simple);
		return NULL;
	} else if (is_digit(c)) {
		v = number(p);
	} else if (c == '"') {
		v = quoted(p);
	} else if (c == '<' && peek(p, 1) == '<') {
		v = heredoc(p);
	} else if (c == '[') {
		v = tuple(p, simple);
	} else if (c == '{') {
		v = object(p, simple);
	} else if (c == '(') {
		adv(p);
		*simple = false;
		expr(p, true);
		skip_ws(p, true);
		if (!p->error && cur(p) != ')')
			fail(p, TM_EPARSE, m.line, m.col, "expected ')'");
		adv(p);
	} else if ((n = ident(p, &t)) != 0) {
		if (n == 4 && memcmp(t, "true", 4) == 0)
			v = scalar(p, m, TM_SCALAR_BOOL, t, n, false);
		else if (n == 5 && memcmp(t, "false", 5) == 0)
			v = scalar(p, m, TM_SCALAR_BOOL, t, n, false);
		else if (n == 4 && memcmp(t, "null", 4) == 0)
			v = scalar(p, m, TM_SCALAR_NULL, t, n, false);
		else
			*simple = false;
		/* provider::name::fn(...) (Terraform 1.8) */
		while (!*simple && cur(p) == ':' && peek(p, 1) == ':' && id_start(peek(p, 2))) {
			advn(p, 2);
			ident(p, &t);
		}
		if (cur(p) == '(') {
			*simple = false;
			call(p);
		}
	} else {
		fail_here(p, c < 0 ? "expected an expression, found the end of the file" : "expected an expression");
		return NULL;
	}
	while (!p->error && postfix(p))
		*simple = false;
	return v;
}

/* The length of a binary operator at the cursor, or 0. */
static size_t binop(const P *p)
{
	static const char *const two[] = {"||", "&&", "==", "!=", "<=", ">="};
	for (size_t i = 0; i < TM_ARRAY_LEN(two); i++)
		if (cur(p) == two[i][0] && peek(p, 1) == two[i][1])
			return 2;
	int c = cur(p);
	return c > 0 && strchr("<>+-*/%", c) ? 1 : 0;
}

static tm_value *expr(P *p, bool nl)
{
	if (!enter(p))
		return NULL;
	skip_ws(p, nl);
	mark start = here(p);
	bool simple = true;
	tm_value *v = operand(p, nl, &simple);
	size_t end = p->pos;
	while (!p->error) {
		mark save = here(p);
		skip_ws(p, nl);
		size_t op = binop(p);
		if (op) {
			advn(p, op);
			simple = false;
			operand(p, nl, &simple);
		} else if (cur(p) == '?') {
			adv(p);
			simple = false;
			expr(p, nl);
			skip_ws(p, nl);
			if (!p->error && cur(p) != ':') {
				fail_here(p, "expected ':' in a conditional");
				break;
			}
			adv(p);
			expr(p, nl);
		} else {
			back(p, save);
			break;
		}
		end = p->pos;
	}
	p->depth--;
	if (p->error)
		return NULL;
	if (simple && v)
		return v;
	/* kept as written: "${source}" */
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, "${");
	tm_strbuf_put(&sb, p->s + start.pos, end - start.pos);
	tm_strbuf_putc(&sb, '}');
	if (sb.oom)
		p->oom = p->error = 1;
	else
		v = scalar(p, start, TM_SCALAR_STR, sb.data, sb.len, false);
	tm_strbuf_dispose(&sb);
	return v;
}

/* ---- bodies ----------------------------------------------------------------------------------- */

static void body(P *p, tm_value *map, const mark *open);

/* After an attribute or a block: the line must end (or the enclosing block close). */
static void end_of_item(P *p)
{
	skip_ws(p, false);
	int c = cur(p);
	if (c == '\n')
		adv(p);
	else if (c >= 0 && c != '}')
		fail_here(p, "expected a newline after the attribute or block");
}

/* `name labels... {` after the name: the block's body placed under its labels. */
static void block(P *p, tm_value *map, const char *name, mark m)
{
	tm_value *holder = map;
	const char *key = name;
	while (!p->error) {
		skip_ws(p, false);
		mark lm = here(p);
		const char *t;
		size_t n;
		tm_value *label = NULL;
		if (cur(p) == '"') {
			label = quoted(p);
		} else if ((n = ident(p, &t)) != 0) {
			label = scalar(p, lm, TM_SCALAR_STR, t, n, false);
		} else {
			break;
		}
		tm_value *inner = new_map(p, lm);
		if (!label || !inner || !put(p, holder, key, inner))
			return;
		holder = inner;
		key = tm_scalar_str(label, NULL);
	}
	if (p->error)
		return;
	if (cur(p) != '{') {
		fail_here(p, "expected '=' or a block's '{'");
		return;
	}
	mark open = here(p);
	adv(p);
	tm_value *b = new_map(p, m);
	if (!b || !put(p, holder, key, b) || !enter(p))
		return;
	body(p, b, &open);
	p->depth--;
}

/* Attributes and blocks up to the closing brace (open) or the end of the text (open NULL). */
static void body(P *p, tm_value *map, const mark *open)
{
	while (!p->error) {
		skip_ws(p, true);
		int c = cur(p);
		if (c < 0) {
			if (open)
				fail(p, TM_EPARSE, open->line, open->col, "unterminated block (no '}')");
			return;
		}
		if (c == '}') {
			if (!open) {
				fail_here(p, "unexpected '}'");
				return;
			}
			adv(p);
			end_of_item(p);
			return;
		}
		mark m = here(p);
		const char *t;
		size_t n = ident(p, &t);
		if (!n) {
			fail_here(p, "expected an attribute or block name");
			return;
		}
		char *name = tm_arena_strndup(p->f->arena, t, n);
		if (!name) {
			p->oom = p->error = 1;
			return;
		}
		skip_ws(p, false);
		if (cur(p) == '=' && peek(p, 1) != '=') {
			adv(p);
			tm_value *v = expr(p, false);
			if (!put(p, map, name, v))
				return;
			end_of_item(p);
		} else {
			block(p, map, name, m);
		}
	}
}

/* ---- entry points ----------------------------------------------------------------------------- */

static void init(P *p, tm_file *f, const char *text, size_t len, const tm_limits *lim, tm_diag_list *diags)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->path = tm_file_path(f);
	p->s = text;
	p->len = len;
	p->line = p->col = 1;
	p->diags = diags;
	p->max_depth = lim->max_depth < TM_HCL_MAX_DEPTH ? lim->max_depth : TM_HCL_MAX_DEPTH;
	p->max_nodes = lim->max_nodes;
	p->max_scalar = lim->max_scalar_bytes;
}

/* The line and column of byte off. */
static void locate(const char *s, size_t off, uint32_t *line, uint32_t *col)
{
	*line = *col = 1;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			++*col;
		}
	}
}

int tm_hcl_parse(tm_file **out, const char *path, const char *text, size_t len, const tm_limits *limits,
		 tm_diag_list *diags)
{
	tm_limits lim;
	if (limits)
		lim = *limits;
	else
		tm_limits_default(&lim);
	*out = NULL;
	tm_loc whole = {path, 0, 0, NULL};
	if (len > lim.max_file_bytes) {
		tm_diag_add(diags, TM_ELIMIT, TM_LEVEL_ERROR, whole, "hcl: file larger than %zu bytes (limit)",
			    lim.max_file_bytes);
		return TM_ELIMIT;
	}
	size_t bad = tm_utf8_check((const unsigned char *)text, len);
	const char *nul = memchr(text, '\0', len);
	if (bad < len || nul) {
		size_t off = nul && (size_t)(nul - text) < bad ? (size_t)(nul - text) : bad;
		tm_loc l = {path, 0, 0, NULL};
		locate(text, off, &l.line, &l.col);
		tm_diag_add(diags, TM_EPARSE, TM_LEVEL_ERROR, l, "hcl: %s", off == bad ? "invalid utf-8" : "nul byte");
		return TM_EPARSE;
	}
	tm_file *f = tm_file_new_rendered(path);
	if (!f)
		return TM_ENOMEM;
	tm_file_mix_digest(f, text, len);
	P p;
	init(&p, f, text, len, &lim, diags);
	/* a byte order mark is not content */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		p.pos = 3;
	tm_value *root = tm_value_new_map(f, at(1, 1));
	if (!root || tm_file_add_doc(f, root)) {
		tm_file_free(f);
		return TM_ENOMEM;
	}
	body(&p, root, NULL);
	if (p.oom || diags->oom || tm_value_reindex(f, root)) {
		tm_file_free(f);
		return TM_ENOMEM;
	}
	/* a limit makes the whole file unusable, like the YAML parser's */
	if (p.limit) {
		tm_file_free(f);
		return TM_ELIMIT;
	}
	*out = f;
	return p.error ? 1 : 0;
}

tm_value *tm_hcl_parse_expr(tm_file *f, const char *text, size_t len, uint32_t line, uint32_t col,
			    tm_diag_list *diags)
{
	tm_limits lim;
	tm_limits_default(&lim);
	P p;
	init(&p, f, text, len, &lim, diags);
	p.line = line;
	p.col = col;
	tm_value *v = expr(&p, true);
	skip_ws(&p, true);
	if (!p.error && p.pos < p.len)
		fail_here(&p, "unexpected text after the expression");
	return p.error ? NULL : v;
}

size_t tm_hcl_interp_end(const char *text, size_t len, size_t i)
{
	size_t depth = 0;
	bool in_str = false;
	for (i += 1; i < len; i++) {
		char c = text[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{') {
			depth++;
		} else if (c == '}' && --depth == 0) {
			return i + 1;
		}
	}
	return 0;
}
