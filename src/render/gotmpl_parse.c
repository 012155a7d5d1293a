/*
 * gotmpl_parse.c - Go text/template's lexer and parser.
 *
 * Text and actions alternate; "{{- " trims the whitespace before an action and " -}}" the
 * whitespace after it; a comment is slash-star ... star-slash right inside the delimiters. Inside an action the lexer yields tokens on
 * demand (the parser backtracks by saving the position, for "$x :=" and "$i, $v :="). Lines and
 * columns come from a table of line starts built once per text.
 *
 * What Go rejects at parse time we reject too, with a positioned diagnostic, and the file's own
 * template is not added. An unknown function is the one exception: it is reported as not
 * supported here, once, and the call yields nil when executed, so the rest still renders.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/gotmpl.h"

enum {
	T_EOF, T_END, T_END_TRIM, T_LPAREN, T_RPAREN, T_PIPE, T_COMMA, T_DECLARE, T_ASSIGN, T_STR,
	T_RAWSTR, T_CHAR, T_NUM, T_DOT, T_FIELD, T_VAR, T_IDENT, T_ERR,
};

typedef struct {
	int type;
	size_t off, len;
	bool space; /* whitespace right before it */
} tok;

typedef struct {
	tm_gt_set *set;
	const char *name, *path, *src;
	size_t len, pos;
	size_t *lines; /* offsets of line starts */
	size_t nlines;
	bool trim_next; /* the last action ended with -}} */
	bool failed;
	size_t action; /* where the action being read opened ({{), for a message about a later line */
	int depth;
	int range_depth;
	tm_hmap defined; /* names defined by this text (Go refuses two non-empty bodies in one parse) */
} P;

static void linecol(const P *p, size_t off, uint32_t *line, uint32_t *col)
{
	size_t lo = 0, hi = p->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (p->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (uint32_t)(lo + 1);
	*col = (uint32_t)(off - p->lines[lo] + 1);
}

/* " (in the action opened at line N)" when the action being read opened on an earlier line than
 * line (an unclosed {{ reads on into the next lines, where Go reports what it finds), else "". */
static const char *opened_before(const P *p, uint32_t line)
{
	uint32_t al, ac;
	if (p->action >= p->len || p->action >= p->pos)
		return "";
	/* the action is still open where the parser is: no }} between its {{ and here */
	for (size_t i = p->action + 2; i + 1 < p->pos && i + 1 < p->len; i++)
		if (p->src[i] == '}' && p->src[i + 1] == '}')
			return "";
	linecol(p, p->action, &al, &ac);
	const char *s = al < line ? tm_arena_printf(p->set->arena, " (in the action opened at line %u)", (unsigned)al) : NULL;
	return s ? s : "";
}

static int perr(P *p, size_t off, const char *fmt, const char *arg)
{
	if (p->failed)
		return -1;
	p->failed = true;
	tm_loc loc = {p->path, 0, 0, NULL};
	linecol(p, off, &loc.line, &loc.col);
	char msg[256];
	tm_formatf(msg, sizeof(msg), fmt, arg ? arg : "");
	tm_diag_add(p->set->diags, TM_EPARSE, TM_LEVEL_ERROR, loc, "template: %s%s", msg, opened_before(p, loc.line));
	return -1;
}

static tm_gt_node *node(P *p, int type, size_t off)
{
	tm_gt_node *n = tm_arena_alloc(p->set->arena, sizeof(*n));
	if (!n) {
		p->failed = true;
		return NULL;
	}
	n->type = (uint8_t)type;
	n->path = p->path;
	n->fn = -1;
	linecol(p, off, &n->line, &n->col);
	return n;
}

static int add_kid(P *p, tm_gt_node *parent, tm_gt_node *kid)
{
	if (!kid)
		return -1;
	tm_gt_node **k = tm_arena_alloc(p->set->arena, (parent->nkids + 1) * sizeof(*k));
	if (!k) {
		p->failed = true;
		return -1;
	}
	/* lists stay short in practice; copying keeps the arena the only owner */
	if (parent->nkids)
		memcpy(k, parent->kids, parent->nkids * sizeof(*k));
	k[parent->nkids++] = kid;
	parent->kids = k;
	return 0;
}

/* ---- lexer (inside an action) ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_alnum(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

static tok lex(P *p)
{
	tok t = {T_EOF, p->pos, 0, false};
	const char *s = p->src;
	size_t n = p->len, i = p->pos;
	while (i < n && is_space(s[i])) {
		i++;
		t.space = true;
	}
	t.off = i;
	if (i >= n) {
		p->pos = i;
		return t;
	}
	char c = s[i];
	size_t st = i;
	if (t.space && c == '-' && i + 2 < n + 0 && s[i + 1] == '}' && s[i + 2] == '}') {
		t.type = T_END_TRIM;
		i += 3;
	} else if (c == '}' && i + 1 < n && s[i + 1] == '}') {
		t.type = T_END;
		i += 2;
	} else if (c == '(') {
		t.type = T_LPAREN, i++;
	} else if (c == ')') {
		t.type = T_RPAREN, i++;
	} else if (c == '|') {
		t.type = T_PIPE, i++;
	} else if (c == ',') {
		t.type = T_COMMA, i++;
	} else if (c == ':' && i + 1 < n && s[i + 1] == '=') {
		t.type = T_DECLARE, i += 2;
	} else if (c == '=') {
		t.type = T_ASSIGN, i++;
	} else if (c == '"') {
		i++;
		while (i < n && s[i] != '"' && s[i] != '\n') {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			i++;
		}
		if (i >= n || s[i] != '"')
			t.type = T_ERR;
		else
			t.type = T_STR, i++;
	} else if (c == '`') {
		i++;
		while (i < n && s[i] != '`')
			i++;
		if (i >= n)
			t.type = T_ERR;
		else
			t.type = T_RAWSTR, i++;
	} else if (c == '\'') {
		i++;
		while (i < n && s[i] != '\'' && s[i] != '\n') {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			i++;
		}
		if (i >= n || s[i] != '\'')
			t.type = T_ERR;
		else
			t.type = T_CHAR, i++;
	} else if (c == '.' && i + 1 < n && is_alnum(s[i + 1]) && !isdigit((unsigned char)s[i + 1])) {
		i++;
		while (i < n && is_alnum(s[i]))
			i++;
		t.type = T_FIELD;
	} else if (c == '.' && !(i + 1 < n && isdigit((unsigned char)s[i + 1]))) {
		t.type = T_DOT, i++;
	} else if (c == '$') {
		i++;
		while (i < n && is_alnum(s[i]))
			i++;
		t.type = T_VAR;
	} else if (isdigit((unsigned char)c) || ((c == '-' || c == '+' || c == '.') && i + 1 < n &&
						 (isdigit((unsigned char)s[i + 1]) || s[i + 1] == '.'))) {
		if (c == '-' || c == '+')
			i++;
		while (i < n && (is_alnum(s[i]) || s[i] == '.' ||
				 ((s[i] == '+' || s[i] == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E' ||
								  s[i - 1] == 'p' || s[i - 1] == 'P'))))
			i++;
		t.type = T_NUM;
	} else if (is_alnum(c)) {
		while (i < n && is_alnum(s[i]))
			i++;
		t.type = T_IDENT;
	} else {
		t.type = T_ERR;
		i++;
	}
	t.len = i - st;
	p->pos = i;
	return t;
}

static tok peek(P *p)
{
	size_t save = p->pos;
	tok t = lex(p);
	p->pos = save;
	return t;
}

static bool tok_is(const P *p, tok t, const char *word)
{
	size_t wl = strlen(word);
	return t.type == T_IDENT && t.len == wl && memcmp(p->src + t.off, word, wl) == 0;
}

static const char *tok_str(P *p, tok t)
{
	char *s = tm_arena_strndup(p->set->arena, p->src + t.off, t.len);
	if (!s)
		p->failed = true;
	return s;
}

/* ---- literals ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Go's string and char escapes: 0, or -1 for a bad escape. */
static int unescape(const char *s, size_t n, char quote, tm_strbuf *sb)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			tm_strbuf_putc(sb, s[i]);
			continue;
		}
		if (++i >= n)
			return -1;
		char c = s[i];
		switch (c) {
		case 'a': tm_strbuf_putc(sb, '\a'); break;
		case 'b': tm_strbuf_putc(sb, '\b'); break;
		case 'f': tm_strbuf_putc(sb, '\f'); break;
		case 'n': tm_strbuf_putc(sb, '\n'); break;
		case 'r': tm_strbuf_putc(sb, '\r'); break;
		case 't': tm_strbuf_putc(sb, '\t'); break;
		case 'v': tm_strbuf_putc(sb, '\v'); break;
		case '\\': tm_strbuf_putc(sb, '\\'); break;
		case '"':
		case '\'':
			if (c != quote)
				return -1;
			tm_strbuf_putc(sb, c);
			break;
		case 'x':
		case 'u':
		case 'U': {
			int want = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			uint32_t r = 0;
			for (int k = 0; k < want; k++) {
				if (i + 1 >= n || hexval(s[i + 1]) < 0)
					return -1;
				r = r * 16 + (uint32_t)hexval(s[++i]);
			}
			if (c == 'x')
				tm_strbuf_putc(sb, (char)r);
			else
				tm_strbuf_put_rune(sb, r);
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				uint32_t r = (uint32_t)(c - '0');
				for (int k = 0; k < 2; k++) {
					if (i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '7')
						return -1;
					r = r * 8 + (uint32_t)(s[++i] - '0');
				}
				if (r > 255)
					return -1;
				tm_strbuf_putc(sb, (char)r);
				break;
			}
			return -1;
		}
	}
	return 0;
}

static tm_gt_node *string_lit(P *p, tok t)
{
	tm_gt_node *n = node(p, TM_GT_STR, t.off);
	if (!n)
		return NULL;
	if (t.type == T_RAWSTR) {
		/* raw strings drop carriage returns, as Go's do */
		tm_strbuf sb = TM_STRBUF_INIT;
		for (size_t i = t.off + 1; i + 1 < t.off + t.len; i++)
			if (p->src[i] != '\r')
				tm_strbuf_putc(&sb, p->src[i]);
		n->val = tm_gv_str(p->set->arena, sb.data ? sb.data : "", sb.len);
		tm_strbuf_dispose(&sb);
	} else {
		tm_strbuf sb = TM_STRBUF_INIT;
		if (unescape(p->src + t.off + 1, t.len - 2, '"', &sb) < 0) {
			tm_strbuf_dispose(&sb);
			perr(p, t.off, "invalid syntax in string literal%s", NULL);
			return NULL;
		}
		n->val = tm_gv_str(p->set->arena, sb.data ? sb.data : "", sb.len);
		tm_strbuf_dispose(&sb);
	}
	n->s = n->val.u.s.p;
	n->n = n->val.u.s.n;
	return n;
}

static tm_gt_node *number_lit(P *p, tok t)
{
	tm_gt_node *n = node(p, TM_GT_NUM, t.off);
	if (!n)
		return NULL;
	char buf[128];
	if (t.type == T_CHAR) {
		tm_strbuf sb = TM_STRBUF_INIT;
		int bad = unescape(p->src + t.off + 1, t.len - 2, '\'', &sb);
		int32_t r = -1;
		if (!bad && sb.len) {
			const unsigned char *u = (const unsigned char *)sb.data;
			size_t l = tm_utf8_check(u, sb.len);
			if (l == sb.len) {
				unsigned c = u[0];
				size_t want = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
				if (want == sb.len) {
					r = want == 1 ? (int32_t)c : want == 2 ? (int32_t)(((c & 0x1F) << 6) | (u[1] & 0x3F))
						: want == 3 ? (int32_t)(((c & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F))
						: (int32_t)(((c & 0x07) << 18) | ((u[1] & 0x3F) << 12) | ((u[2] & 0x3F) << 6) | (u[3] & 0x3F));
				}
			} else if (sb.len == 1)
				r = u[0];
		}
		tm_strbuf_dispose(&sb);
		if (r < 0) {
			perr(p, t.off, "malformed character constant%s", NULL);
			return NULL;
		}
		n->val = tm_gv_int(r);
		return n;
	}
	if (t.len >= sizeof(buf)) {
		perr(p, t.off, "bad number syntax%s", NULL);
		return NULL;
	}
	size_t k = 0;
	for (size_t i = 0; i < t.len; i++)
		if (p->src[t.off + i] != '_')
			buf[k++] = p->src[t.off + i];
	buf[k] = '\0';
	const char *b = buf[0] == '+' || buf[0] == '-' ? buf + 1 : buf;
	bool hex = b[0] == '0' && (b[1] == 'x' || b[1] == 'X');
	bool floaty = !hex && strpbrk(b, ".eEpP") != NULL;
	char *end = NULL;
	if (!floaty) {
		int base = 10;
		const char *digits = b;
		if (b[0] == '0' && (b[1] == 'x' || b[1] == 'X'))
			base = 16, digits = b + 2;
		else if (b[0] == '0' && (b[1] == 'o' || b[1] == 'O'))
			base = 8, digits = b + 2;
		else if (b[0] == '0' && (b[1] == 'b' || b[1] == 'B'))
			base = 2, digits = b + 2;
		else if (b[0] == '0' && b[1])
			base = 8, digits = b + 1;
		int64_t v;
		if (*digits && tm_parse_i64(digits, strlen(digits), base, &v) == 0) {
			n->val = tm_gv_int(buf[0] == '-' ? -v : v);
			return n;
		}
		if (base != 10) {
			perr(p, t.off, "bad number syntax: %s", tok_str(p, t));
			return NULL;
		}
	}
	double d = strtod(buf, &end);
	if (!end || *end) {
		perr(p, t.off, "bad number syntax: %s", tok_str(p, t));
		return NULL;
	}
	n->val = tm_gv_float(d);
	return n;
}

/* ---- expressions ---- */

static tm_gt_node *parse_pipe(P *p, bool decl_ok, bool range, size_t off, int end_tok);

/* Append the fields following t (".a.b" directly attached) to node n's idents. */
static int fields_into(P *p, tm_gt_node *n, tok first)
{
	const char **ids = NULL;
	size_t cnt = 0, cap = 0;
	tok t = first;
	for (;;) {
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 4;
			const char **ni = tm_arena_alloc(p->set->arena, nc * sizeof(*ni));
			if (!ni) {
				p->failed = true;
				return -1;
			}
			if (cnt)
				memcpy(ni, ids, cnt * sizeof(*ni));
			ids = ni;
			cap = nc;
		}
		if (t.type == T_FIELD) {
			ids[cnt] = tm_arena_strndup(p->set->arena, p->src + t.off + 1, t.len - 1);
		} else
			ids[cnt] = tm_arena_strndup(p->set->arena, p->src + t.off, t.len);
		if (!ids[cnt++]) {
			p->failed = true;
			return -1;
		}
		tok nx = peek(p);
		if (nx.type != T_FIELD || nx.space)
			break;
		t = lex(p);
	}
	n->idents = ids;
	n->nidents = cnt;
	return 0;
}

static tm_gt_node *operand(P *p, tok t)
{
	tm_gt_node *n = NULL;
	switch (t.type) {
	case T_FIELD:
		if ((n = node(p, TM_GT_FIELD, t.off)) && fields_into(p, n, t) < 0)
			return NULL;
		return n;
	case T_VAR:
		if ((n = node(p, TM_GT_VAR, t.off)) && fields_into(p, n, t) < 0)
			return NULL;
		return n;
	case T_DOT:
		n = node(p, TM_GT_DOT, t.off);
		break;
	case T_STR:
	case T_RAWSTR:
		n = string_lit(p, t);
		break;
	case T_NUM:
	case T_CHAR:
		n = number_lit(p, t);
		break;
	case T_LPAREN:
		if (++p->depth > (int)p->set->max_depth) {
			perr(p, t.off, "nesting too deep%s", NULL);
			return NULL;
		}
		n = parse_pipe(p, false, false, t.off, T_RPAREN);
		p->depth--;
		break;
	case T_IDENT:
		if (tok_is(p, t, "true") || tok_is(p, t, "false")) {
			if ((n = node(p, TM_GT_BOOL, t.off)))
				n->val = tm_gv_bool(tok_is(p, t, "true"));
		} else if (tok_is(p, t, "nil")) {
			n = node(p, TM_GT_NIL, t.off);
		} else {
			if (!(n = node(p, TM_GT_IDENT, t.off)))
				return NULL;
			n->s = tok_str(p, t);
			n->n = t.len;
			/* a function not supported here is said when a render calls it (gotmpl_exec.c): a
			 * branch the values never take (Bitnami's genCA under `if .selfSigned`) is silent */
			n->fn = tm_gt__func_index(p->src + t.off, t.len);
		}
		break;
	default:
		perr(p, t.off, "unexpected %s in operand", t.type == T_ERR ? "bad character" : tok_str(p, t));
		return NULL;
	}
	if (!n)
		return NULL;
	/* (expr).field, "x".y: a chain */
	tok nx = peek(p);
	if (nx.type == T_FIELD && !nx.space) {
		if (n->type == TM_GT_NIL || n->type == TM_GT_BOOL || n->type == TM_GT_STR || n->type == TM_GT_NUM) {
			perr(p, nx.off, "unexpected . after term%s", NULL);
			return NULL;
		}
		tm_gt_node *c = node(p, TM_GT_CHAIN, t.off);
		if (!c)
			return NULL;
		c->base = n;
		if (fields_into(p, c, lex(p)) < 0)
			return NULL;
		return c;
	}
	return n;
}

static bool ends_cmd(int type, int end_tok)
{
	return type == T_PIPE || type == end_tok || (end_tok == T_END && type == T_END_TRIM) ||
	       type == T_EOF;
}

static tm_gt_node *parse_cmd(P *p, int end_tok)
{
	tok t = peek(p);
	tm_gt_node *c = node(p, TM_GT_CMD, t.off);
	if (!c)
		return NULL;
	for (;;) {
		t = peek(p);
		if (ends_cmd(t.type, end_tok) || t.type == T_RPAREN)
			break;
		if (c->nkids && !t.space && t.type != T_LPAREN) {
			/* Go needs space between operands */
			perr(p, t.off, "missing space?%s", NULL);
			return NULL;
		}
		t = lex(p);
		if (add_kid(p, c, operand(p, t)) < 0)
			return NULL;
	}
	if (!c->nkids) {
		perr(p, t.off, "missing value for command%s", NULL);
		return NULL;
	}
	return c;
}

/* Parse a pipeline up to end_tok (consumed): declarations, then commands joined by '|'. */
static tm_gt_node *parse_pipe(P *p, bool decl_ok, bool range, size_t off, int end_tok)
{
	tm_gt_node *pipe = node(p, TM_GT_PIPE, off);
	if (!pipe)
		return NULL;
	if (decl_ok) {
		size_t save = p->pos;
		tok v = lex(p);
		if (v.type == T_VAR) {
			tok op = lex(p);
			tok v2 = {T_EOF, 0, 0, false};
			if (op.type == T_COMMA && range) {
				v2 = lex(p);
				op = lex(p);
			}
			if ((op.type == T_DECLARE || op.type == T_ASSIGN) && (v2.type == T_EOF || v2.type == T_VAR)) {
				pipe->assign = op.type == T_ASSIGN;
				pipe->ndecl = v2.type == T_VAR ? 2 : 1;
				pipe->decl = tm_arena_alloc(p->set->arena, 2 * sizeof(char *));
				if (!pipe->decl)
					return NULL;
				pipe->decl[0] = tok_str(p, v);
				if (pipe->ndecl == 2)
					pipe->decl[1] = tok_str(p, v2);
			} else
				p->pos = save;
		} else
			p->pos = save;
	}
	for (;;) {
		tm_gt_node *c = parse_cmd(p, end_tok);
		if (add_kid(p, pipe, c) < 0)
			return NULL;
		tok t = lex(p);
		if (t.type == T_PIPE)
			continue;
		if (t.type == end_tok || (end_tok == T_END && t.type == T_END_TRIM)) {
			if (t.type == T_END_TRIM)
				p->trim_next = true;
			break;
		}
		perr(p, t.off, t.type == T_EOF ? "unclosed action%s" : "unexpected %s in command",
		     t.type == T_EOF ? NULL : tok_str(p, t));
		return NULL;
	}
	/* a command after the first must start with a function or method: Go's rule is looser, but
	 * a literal there is always an error */
	return pipe;
}

/* ---- control structure ---- */

static tm_gt_node *parse_list(P *p, int *term, size_t *term_off);

static int expect_end(P *p)
{
	tok t = lex(p);
	if (t.type == T_END)
		return 0;
	if (t.type == T_END_TRIM) {
		p->trim_next = true;
		return 0;
	}
	return perr(p, t.off, "unexpected %s, expected end of action", t.type == T_EOF ? "EOF" : tok_str(p, t));
}

static tm_gt_node *parse_control(P *p, int type, size_t off)
{
	tm_gt_node *n = node(p, type, off);
	if (!n)
		return NULL;
	if (++p->depth > (int)p->set->max_depth) {
		perr(p, off, "nesting too deep%s", NULL);
		return NULL;
	}
	if (!(n->pipe = parse_pipe(p, true, type == TM_GT_RANGE, off, T_END)))
		return NULL;
	if (type == TM_GT_RANGE)
		p->range_depth++;
	int term;
	size_t toff = 0;
	if (!(n->list = parse_list(p, &term, &toff)))
		return NULL;
	if (type == TM_GT_RANGE)
		p->range_depth--;
	if (term == 2) { /* else */
		tok t = peek(p);
		if ((type == TM_GT_IF && tok_is(p, t, "if")) || (type == TM_GT_WITH && tok_is(p, t, "with"))) {
			lex(p);
			if (!(n->else_list = node(p, TM_GT_LIST, t.off)))
				return NULL;
			if (add_kid(p, n->else_list, parse_control(p, type, t.off)) < 0)
				return NULL;
			p->depth--;
			return n;
		}
		if (expect_end(p) < 0)
			return NULL;
		if (!(n->else_list = parse_list(p, &term, &toff)))
			return NULL;
		if (term == 2) {
			perr(p, toff, "expected end; found else%s", NULL);
			return NULL;
		}
	}
	if (term != 1) {
		perr(p, p->len, "unexpected EOF%s", NULL);
		return NULL;
	}
	p->depth--;
	return n;
}

static const char *template_name(P *p, const char *ctx)
{
	tok t = lex(p);
	if (t.type != T_STR && t.type != T_RAWSTR) {
		perr(p, t.off, "unexpected token in %s clause", ctx);
		return NULL;
	}
	tm_gt_node *s = string_lit(p, t);
	return s ? s->s : NULL;
}

/* parse.IsEmptyTree: nothing but whitespace text. */
static bool empty_tree(const tm_gt_node *list)
{
	for (size_t i = 0; i < list->nkids; i++) {
		const tm_gt_node *k = list->kids[i];
		if (k->type == TM_GT_LIST && empty_tree(k))
			continue;
		if (k->type != TM_GT_TEXT)
			return false;
		for (size_t j = 0; j < k->n; j++)
			if (!is_space(k->s[j]))
				return false;
	}
	return true;
}

/* A define: Go's rules: a second non-empty body for a name in the same text is an error; an empty
 * body never replaces an existing template (a later text's non-empty one does). */
static int add_define(P *p, const char *name, size_t off, tm_gt_node *body)
{
	size_t nl = strlen(name);
	const tm_gt_tmpl *here = tm_hmap_get(&p->defined, name, nl);
	if (here && !empty_tree(here->root) && !empty_tree(body))
		return perr(p, off, "template: multiple definition of template \"%s\"", name);
	const tm_gt_tmpl *old = tm_gt_lookup(p->set, name, nl);
	if (old && empty_tree(body))
		return 0;
	tm_gt_tmpl *t = tm_arena_alloc(p->set->arena, sizeof(*t));
	if (!t)
		return -1;
	t->name = name;
	t->path = p->path;
	t->root = body;
	if (tm_hmap_put(&p->set->byname, name, nl, t) < 0 || tm_hmap_put(&p->defined, name, nl, t) < 0) {
		p->failed = true;
		return -1;
	}
	return 0;
}

/* One action after "{{" (and its trim marker): a node to add, NULL with *term set for end/else,
 * or NULL on error. */
static tm_gt_node *parse_action(P *p, size_t off, int *term, size_t *term_off)
{
	tok t = peek(p);
	*term = -1;
	if (t.type == T_IDENT) {
		if (tok_is(p, t, "end") || tok_is(p, t, "else")) {
			lex(p);
			*term = tok_is(p, t, "end") ? 1 : 2;
			*term_off = t.off;
			if (*term == 1 && expect_end(p) < 0)
				*term = -1;
			return NULL;
		}
		if (tok_is(p, t, "if") || tok_is(p, t, "with") || tok_is(p, t, "range")) {
			lex(p);
			return parse_control(p, tok_is(p, t, "if") ? TM_GT_IF : tok_is(p, t, "with") ? TM_GT_WITH : TM_GT_RANGE, t.off);
		}
		if (tok_is(p, t, "break") || tok_is(p, t, "continue")) {
			lex(p);
			if (!p->range_depth) {
				perr(p, t.off, "%s outside range", tok_str(p, t));
				return NULL;
			}
			if (expect_end(p) < 0)
				return NULL;
			return node(p, tok_is(p, t, "break") ? TM_GT_BREAK : TM_GT_CONTINUE, t.off);
		}
		if (tok_is(p, t, "define") || tok_is(p, t, "block")) {
			bool block = tok_is(p, t, "block");
			lex(p);
			if (!block && p->depth > 0) {
				perr(p, t.off, "unexpected define%s", NULL);
				return NULL;
			}
			const char *name = template_name(p, block ? "block" : "define");
			if (!name)
				return NULL;
			tm_gt_node *tn = NULL;
			if (block) {
				if (!(tn = node(p, TM_GT_TEMPLATE, t.off)))
					return NULL;
				tn->s = name;
				tn->n = strlen(name);
				if (!(tn->pipe = parse_pipe(p, false, false, t.off, T_END)))
					return NULL;
			} else if (expect_end(p) < 0)
				return NULL;
			int dt;
			size_t doff;
			p->depth++;
			tm_gt_node *body = parse_list(p, &dt, &doff);
			p->depth--;
			if (!body)
				return NULL;
			if (dt != 1) {
				perr(p, dt == 2 ? doff : p->len, dt == 2 ? "unexpected else in define%s" : "unexpected EOF%s", NULL);
				return NULL;
			}
			if (add_define(p, name, t.off, body) < 0)
				return NULL;
			if (block)
				return tn;
			return node(p, TM_GT_LIST, t.off); /* an empty list: nothing to output */
		}
		if (tok_is(p, t, "template")) {
			lex(p);
			tm_gt_node *tn = node(p, TM_GT_TEMPLATE, t.off);
			if (!tn || !(tn->s = template_name(p, "template")))
				return NULL;
			tn->n = strlen(tn->s);
			tok nx = peek(p);
			if (nx.type == T_END || nx.type == T_END_TRIM)
				expect_end(p);
			else if (!(tn->pipe = parse_pipe(p, false, false, t.off, T_END)))
				return NULL;
			return tn;
		}
	}
	tm_gt_node *a = node(p, TM_GT_ACTION, off);
	if (!a || !(a->pipe = parse_pipe(p, true, false, off, T_END)))
		return NULL;
	return a;
}

/* Text up to the next "{{" (trimmed as the markers say), then actions, until EOF (*term 0),
 * {{end}} (1) or {{else (2, the rest of the action unread). */
static tm_gt_node *parse_list(P *p, int *term, size_t *term_off)
{
	tm_gt_node *list = node(p, TM_GT_LIST, p->pos);
	if (!list)
		return NULL;
	*term = 0;
	*term_off = p->len;
	while (!p->failed) {
		size_t st = p->pos, i = st;
		while (i + 1 < p->len && !(p->src[i] == '{' && p->src[i + 1] == '{'))
			i++;
		if (i + 1 >= p->len)
			i = p->len;
		size_t ts = st, te = i;
		if (p->trim_next) {
			while (ts < te && is_space(p->src[ts]))
				ts++;
			p->trim_next = false;
		}
		bool ltrim = i + 3 < p->len + 0 && p->src[i + 2] == '-' && is_space(p->src[i + 3]);
		if (ltrim)
			while (te > ts && is_space(p->src[te - 1]))
				te--;
		if (te > ts) {
			tm_gt_node *tx = node(p, TM_GT_TEXT, ts);
			if (!tx)
				return NULL;
			tx->s = p->src + ts;
			tx->n = te - ts;
			if (add_kid(p, list, tx) < 0)
				return NULL;
		}
		if (i >= p->len) {
			p->pos = p->len;
			*term = 0;
			return list;
		}
		size_t off = i;
		p->action = i;
		p->pos = i + 2 + (ltrim ? 2 : 0);
		/* a comment: slash-star right after the delimiter (and its trim marker) */
		if (p->pos + 1 < p->len && p->src[p->pos] == '/' && p->src[p->pos + 1] == '*') {
			size_t j = p->pos + 2;
			while (j + 1 < p->len && !(p->src[j] == '*' && p->src[j + 1] == '/'))
				j++;
			if (j + 1 >= p->len) {
				perr(p, off, "unclosed comment%s", NULL);
				return NULL;
			}
			j += 2;
			if (j + 3 < p->len && is_space(p->src[j]) && p->src[j + 1] == '-' && p->src[j + 2] == '}' &&
			    p->src[j + 3] == '}') {
				p->trim_next = true;
				p->pos = j + 4;
			} else if (j + 1 < p->len && p->src[j] == '}' && p->src[j + 1] == '}') {
				p->pos = j + 2;
			} else {
				perr(p, off, "comment ends before closing delimiter%s", NULL);
				return NULL;
			}
			continue;
		}
		size_t toff = 0;
		tm_gt_node *a = parse_action(p, off, term, &toff);
		if (*term >= 1) {
			*term_off = toff;
			return list;
		}
		if (!a || add_kid(p, list, a) < 0)
			return NULL;
	}
	return NULL;
}

int tm_gt_parse(tm_gt_set *s, const char *name, const char *path, const char *text, size_t len,
		tm_gt_tmpl **out)
{
	P p;
	memset(&p, 0, sizeof(p));
	if (out)
		*out = NULL;
	p.set = s;
	p.src = text;
	p.len = len;
	p.action = len; /* no action read yet */
	p.path = tm_arena_strdup(s->arena, path);
	p.name = tm_arena_strdup(s->arena, name ? name : "tpl");
	size_t nl = 1;
	for (size_t i = 0; i < len; i++)
		nl += text[i] == '\n';
	p.lines = tm_arena_alloc(s->arena, nl * sizeof(size_t));
	if (!p.path || !p.name || !p.lines)
		return TM_ENOMEM;
	p.nlines = 1;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			p.lines[p.nlines++] = i + 1;
	int term;
	size_t toff = 0;
	tm_gt_node *root = parse_list(&p, &term, &toff);
	if (root && term != 0 && !p.failed)
		perr(&p, toff, "unexpected {{%s}}", term == 1 ? "end" : "else");
	tm_hmap_dispose(&p.defined);
	if (!root || p.failed)
		return tm_arena_failed(s->arena) ? TM_ENOMEM : TM_EPARSE;
	tm_gt_tmpl *t = tm_arena_alloc(s->arena, sizeof(*t));
	if (!t)
		return TM_ENOMEM;
	t->name = p.name;
	t->path = p.path;
	t->root = root;
	if (name && tm_hmap_put(&s->byname, t->name, strlen(t->name), t) < 0)
		return TM_ENOMEM;
	if (out)
		*out = t;
	return 0;
}

tm_gt_tmpl *tm_gt_lookup(const tm_gt_set *s, const char *name, size_t n)
{
	for (; s; s = s->parent) {
		tm_gt_tmpl *t = tm_hmap_get(&s->byname, name, n);
		if (t)
			return t;
	}
	return NULL;
}

int tm_gt_set_init(tm_gt_set *s, tm_diag_list *diags)
{
	memset(s, 0, sizeof(*s));
	s->arena = tm_arena_new();
	s->diags = diags;
	s->max_depth = 100;
	return s->arena ? 0 : TM_ENOMEM;
}

void tm_gt_set_dispose(tm_gt_set *s)
{
	tm_hmap_dispose(&s->byname);
	tm_hmap_dispose(&s->unsupported);
	tm_arena_free(s->arena);
	memset(s, 0, sizeof(*s));
}
