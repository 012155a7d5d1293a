/*
 * proto.c - gRPC services from .proto text (proto2 and proto3): one endpoint per rpc on the
 * workload that serves the service.
 *
 * The scan reads a .proto whole (1 MiB at most) and hands its text here. A small tokenizer
 * (comments, strings, identifiers with dots, numbers, single-character symbols) feeds a
 * recursive-descent reader that keeps what the model needs: the package, messages (nested ones by
 * their full name) with their fields, and services with their rpcs, streaming, google.api.http or
 * api.<verb> bindings and a trustmap hint. Everything else (enums, extends, options, reserved
 * ranges) is skipped by balanced braces. Bounds: TOKENS_MAX tokens per file, DEPTH_MAX nested
 * blocks, message walks of FACT_DEPTH levels and FACTS_MAX facts per message; a file that breaks the grammar or a bound gets
 * one error diagnostic at the offending token (path:line:col) and keeps what was complete before.
 *
 * Model (docs/inputs.md "gRPC"): each rpc is an endpoint "endpoint:<ns>/<svc>/GRPC /<pkg>.<Service>/<Method>",
 * method GRPC, path "/<pkg>.<Service>/<Method>" (the name gRPC puts on the wire); an HTTP binding is
 * kept as http_method/http_path on the same node, never as a second endpoint. The .proto declares no
 * authentication: authn unknown, not anonymous. Facts come from the request and response messages
 * through classify.c, as OpenAPI bodies do.
 *
 * A service defined by several files (copies of one demo.proto) is one service: the first file in
 * path order defines its endpoints, the others add their locations as evidence. Linking runs in
 * finish() over the workloads the platform ingesters made: an `option (trustmap.service) = "ns/name"`
 * (file or service), the service's name (CartService: cartservice, cart-service, cart), a directory
 * of the file naming a workload, the file sitting in exactly one workload's manifest tree; none:
 * an unlinked service of its own with an assumed exposure, as an unlinked OpenAPI spec.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "ingest.h"

#define TOKENS_MAX 200000
#define DEPTH_MAX 32
#define FACT_DEPTH 32
#define FACTS_MAX 512
#define NAME_MAX_LEN 200

enum { T_EOF, T_IDENT, T_NUM, T_STR, T_SYM };

typedef struct {
	int kind;
	const char *s; /* into the text; a string's contents without quotes */
	uint32_t n, line, col;
} tok;

struct field {
	const char *name, *type;
	bool repeated;
};

/* Facts found below a message, worked out once per mode (0 request, 1 response) and shared by every
 * rpc that uses it, so a file of many rpcs over deep messages costs its size, not a product. */
struct facts {
	tm_fact *items;
	size_t n, cap;
	bool done;
};

struct message {
	const char *full; /* "pkg.Outer.Inner" */
	struct field *fields;
	size_t n, cap;
	struct facts deep[2];
	bool walking;
};

struct rpc {
	const char *name, *req, *resp;
	bool cstream, sstream, deprecated;
	const char *http_method, *http_path, *http_body;
	tm_loc loc;
};

struct service {
	const char *name, *pkg, *full, *file, *hint;
	tm_proto_file *pf; /* the file's record, for the Swagger generated from it */
	tm_loc loc;
	struct rpc *rpcs;
	size_t n, cap;
};

struct proto {
	tm_arena *arena; /* the scan's scratch arena */
	struct message *msgs;
	size_t nmsgs, cap_msgs;
	struct service *svcs;
	size_t nsvcs, cap_svcs;
	tm_hmap by_full; /* message full name -> index + 1 */
	int oom;
};

/* One file being read. */
typedef struct {
	tm_ingest_ctx *ctx;
	struct proto *st;
	const char *path;
	tok *t;
	size_t n, i;
	const char *pkg;  /* "" when none */
	const char *hint; /* the file's option (trustmap.service) */
	tm_proto_file *pf; /* the file's record in ctx->protos */
	bool failed;      /* one diagnostic per file: after it nothing more is read */
} reader;

/* ---- tokens ------------------------------------------------------------ */

static tm_loc loc_at(const char *path, uint32_t line, uint32_t col)
{
	tm_loc l = {path, line, col, NULL};
	return l;
}

static bool ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '.';
}

/* The tokens of text, into *out (heap; tm_free); false after a diagnostic. */
static bool tokenize(tm_ingest_ctx *ctx, const char *path, const char *text, size_t len, tok **out, size_t *count,
		     int *oom)
{
	tok *v = NULL;
	size_t n = 0, cap = 0;
	uint32_t line = 1, col = 1;
	size_t i = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* a UTF-8 byte order mark (Visual Studio writes one) */
#define ADV()                                                                                                          \
	do {                                                                                                           \
		if (text[i] == '\n') {                                                                                 \
			line++;                                                                                        \
			col = 1;                                                                                       \
		} else {                                                                                               \
			col++;                                                                                         \
		}                                                                                                      \
		i++;                                                                                                   \
	} while (0)
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		if (isspace(c)) {
			ADV();
			continue;
		}
		uint32_t l0 = line, c0 = col;
		if (c == '/' && i + 1 < len && text[i + 1] == '/') {
			while (i < len && text[i] != '\n')
				ADV();
			continue;
		}
		if (c == '/' && i + 1 < len && text[i + 1] == '*') {
			ADV();
			ADV();
			while (i < len && !(text[i] == '*' && i + 1 < len && text[i + 1] == '/'))
				ADV();
			if (i >= len) {
				tm_diag_add(ctx->diags, TM_EPARSE, TM_LEVEL_ERROR, loc_at(path, l0, c0),
					    "unterminated comment");
				goto fail;
			}
			ADV();
			ADV();
			continue;
		}
		if (n >= TOKENS_MAX) {
			tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_ERROR, loc_at(path, l0, c0),
				    "more than %d tokens; the rest of the file is not read", TOKENS_MAX);
			goto fail;
		}
		if (TM_GROW(v, cap, n + 1)) {
			*oom = 1;
			goto fail;
		}
		tok *t = &v[n];
		t->line = l0;
		t->col = c0;
		size_t start = i;
		if (c == '"' || c == '\'') {
			ADV();
			start = i;
			while (i < len && text[i] != (char)c && text[i] != '\n') {
				if (text[i] == '\\' && i + 1 < len && text[i + 1] != '\n')
					ADV();
				ADV();
			}
			if (i >= len || text[i] != (char)c) {
				tm_diag_add(ctx->diags, TM_EPARSE, TM_LEVEL_ERROR, loc_at(path, l0, c0),
					    "unterminated string");
				goto fail;
			}
			t->kind = T_STR;
			t->s = text + start;
			t->n = (uint32_t)(i - start);
			ADV();
		} else if (isdigit(c) || ((c == '-' || c == '+') && i + 1 < len && isdigit((unsigned char)text[i + 1]))) {
			ADV();
			while (i < len && (isalnum((unsigned char)text[i]) || text[i] == '.' ||
					   ((text[i] == '-' || text[i] == '+') && (text[i - 1] == 'e' || text[i - 1] == 'E'))))
				ADV();
			t->kind = T_NUM;
			t->s = text + start;
			t->n = (uint32_t)(i - start);
		} else if (ident_char(c)) {
			while (i < len && ident_char((unsigned char)text[i]))
				ADV();
			t->kind = T_IDENT;
			t->s = text + start;
			t->n = (uint32_t)(i - start);
		} else if (c < 0x80 && ispunct(c)) {
			ADV();
			t->kind = T_SYM;
			t->s = text + start;
			t->n = 1;
		} else {
			tm_diag_add(ctx->diags, TM_EPARSE, TM_LEVEL_ERROR, loc_at(path, l0, c0),
				    "unexpected character in a .proto file");
			goto fail;
		}
		n++;
	}
#undef ADV
	*out = v;
	*count = n;
	return true;
fail:
	tm_free(v);
	return false;
}

/* ---- the reader -------------------------------------------------------- */

static const tok *cur(const reader *r)
{
	static const tok eof = {T_EOF, "", 0, 0, 0};
	return r->i < r->n ? &r->t[r->i] : &eof;
}

static bool is_sym(const reader *r, char c)
{
	const tok *t = cur(r);
	return t->kind == T_SYM && t->s[0] == c;
}

static bool is_word(const reader *r, const char *w)
{
	const tok *t = cur(r);
	return t->kind == T_IDENT && strlen(w) == t->n && memcmp(t->s, w, t->n) == 0;
}

static bool next_is_sym(const reader *r, size_t ahead, char c)
{
	return r->i + ahead < r->n && r->t[r->i + ahead].kind == T_SYM && r->t[r->i + ahead].s[0] == c;
}

/* The one diagnostic of a file: at the current token, or at the end. */
static void fail(reader *r, const char *what)
{
	if (r->failed)
		return;
	r->failed = true;
	const tok *t = cur(r);
	uint32_t line = t->line, col = t->col;
	if (t->kind == T_EOF && r->n) {
		line = r->t[r->n - 1].line;
		col = r->t[r->n - 1].col + r->t[r->n - 1].n;
	}
	if (t->kind == T_EOF)
		tm_diag_add(r->ctx->diags, TM_EPARSE, TM_LEVEL_ERROR, loc_at(r->path, line ? line : 1, col ? col : 1),
			    "%s, found the end of the file", what);
	else {
		uint32_t n = t->n > 40 ? 40 : t->n;
		while (n < t->n && n && ((unsigned char)t->s[n] & 0xC0) == 0x80)
			n--; /* cut at a character, not inside one */
		tm_diag_add(r->ctx->diags, TM_EPARSE, TM_LEVEL_ERROR, loc_at(r->path, line, col), "%s, found '%.*s'",
			    what, (int)n, t->s);
	}
}

static bool expect_sym(reader *r, char c, const char *what)
{
	if (r->failed)
		return false;
	if (!is_sym(r, c)) {
		fail(r, what);
		return false;
	}
	r->i++;
	return true;
}

/* The current token's text into the arena (NULL, marked, when memory ran out). */
static const char *text_of(reader *r)
{
	const tok *t = cur(r);
	char *s = tm_arena_strndup(r->st->arena, t->s, t->n > NAME_MAX_LEN ? NAME_MAX_LEN : t->n);
	if (!s)
		r->st->oom = 1;
	return s;
}

static const char *ident(reader *r, const char *what)
{
	if (r->failed)
		return NULL;
	if (cur(r)->kind != T_IDENT) {
		fail(r, what);
		return NULL;
	}
	const char *s = text_of(r);
	r->i++;
	return s;
}

/* The current token inside a braced block: the end of the file fails, '{' opens one more level
 * (bounded), '}' closes one. False after the diagnostic. */
static bool block_token(reader *r, int *level, int depth)
{
	if (cur(r)->kind == T_EOF) {
		fail(r, "expected '}'");
		return false;
	}
	if (is_sym(r, '{') && ++*level + depth > DEPTH_MAX) {
		fail(r, "blocks nested too deep");
		return false;
	}
	if (is_sym(r, '}'))
		--*level;
	return true;
}

/* From an opening brace (the current token) past its closing one. */
static void skip_block(reader *r, int depth)
{
	if (!expect_sym(r, '{', "expected '{'"))
		return;
	int level = 1;
	while (level && !r->failed) {
		if (!block_token(r, &level, depth))
			return;
		r->i++;
	}
}

/* A statement up to its ';' (braces inside it balanced, as in an option's message value). */
static void skip_statement(reader *r, int depth)
{
	while (!r->failed) {
		if (cur(r)->kind == T_EOF) {
			fail(r, "expected ';'");
			return;
		}
		if (is_sym(r, '}')) {
			fail(r, "expected ';'");
			return;
		}
		if (is_sym(r, '{')) {
			skip_block(r, depth);
			continue;
		}
		bool end = is_sym(r, ';');
		r->i++;
		if (end)
			return;
	}
}

/* A declaration we do not model (enum, extend, a service inside a message): its name, then its block. */
static void skip_decl(reader *r, int depth)
{
	r->i++;
	while (!r->failed && !is_sym(r, '{')) {
		if (cur(r)->kind != T_IDENT) {
			fail(r, "expected a name and '{'");
			return;
		}
		r->i++;
	}
	skip_block(r, depth);
}

static void parse_message(reader *r, const char *scope, int depth);

static struct message *message_new(reader *r, const char *full)
{
	struct proto *st = r->st;
	if (!full || TM_GROW(st->msgs, st->cap_msgs, st->nmsgs + 1)) {
		st->oom = 1;
		return NULL;
	}
	struct message *m = &st->msgs[st->nmsgs];
	memset(m, 0, sizeof(*m));
	m->full = full;
	/* the first definition of a name wins, as the first file in path order does */
	if (!tm_hmap_get(&st->by_full, full, strlen(full)) &&
	    tm_hmap_put(&st->by_full, full, strlen(full), (void *)(uintptr_t)(st->nmsgs + 1))) {
		st->oom = 1;
		return NULL;
	}
	return &st->msgs[st->nmsgs++];
}

static void field_add(reader *r, size_t msg, const char *type, const char *name, bool repeated)
{
	struct message *m = &r->st->msgs[msg];
	if (!type || !name)
		return;
	if (TM_GROW(m->fields, m->cap, m->n + 1)) {
		r->st->oom = 1;
		return;
	}
	m->fields[m->n++] = (struct field){name, type, repeated};
}

/* [label] type name = number [options] ;   or   map<K, V> name = number [options] ; */
static void parse_field(reader *r, size_t msg, int depth)
{
	bool repeated = false;
	if (is_word(r, "repeated") || is_word(r, "optional") || is_word(r, "required")) {
		repeated = is_word(r, "repeated");
		r->i++;
	}
	const char *type;
	if (is_word(r, "map") && next_is_sym(r, 1, '<')) {
		r->i += 2;
		ident(r, "expected a map key type");
		expect_sym(r, ',', "expected ','");
		type = ident(r, "expected a map value type");
		expect_sym(r, '>', "expected '>'");
		repeated = true;
	} else {
		type = ident(r, "expected a field type");
	}
	if (type && strcmp(type, "group") == 0 && cur(r)->kind == T_IDENT && next_is_sym(r, 1, '=') &&
	    r->i + 3 < r->n && r->t[r->i + 3].kind == T_SYM && r->t[r->i + 3].s[0] == '{') {
		/* proto2 group (group Name = 2 { ... }): a message declared in place; its fields are not followed */
		while (!r->failed && !is_sym(r, '{') && cur(r)->kind != T_EOF)
			r->i++;
		skip_block(r, depth);
		return;
	}
	const char *name = ident(r, "expected a field name");
	if (!expect_sym(r, '=', "expected '=' after the field name"))
		return;
	if (cur(r)->kind != T_NUM) {
		fail(r, "expected a field number");
		return;
	}
	r->i++;
	if (is_sym(r, '[')) {
		int level = 0;
		do {
			if (cur(r)->kind == T_EOF) {
				fail(r, "expected ']'");
				return;
			}
			if (is_sym(r, '[') || is_sym(r, '{'))
				level++;
			else if (is_sym(r, ']') || is_sym(r, '}'))
				level--;
			if (level + depth > DEPTH_MAX) {
				fail(r, "blocks nested too deep");
				return;
			}
			r->i++;
		} while (level > 0);
	}
	if (expect_sym(r, ';', "expected ';' after the field"))
		field_add(r, msg, type, name, repeated);
}

/* The statements of a message's (or a oneof's) body, up to its closing brace. */
static void message_body(reader *r, size_t msg, const char *full, int depth)
{
	while (!r->failed && !is_sym(r, '}')) {
		const tok *t = cur(r);
		if (t->kind == T_EOF) {
			fail(r, "expected '}'");
			return;
		}
		bool decl = next_is_sym(r, 2, '{') && r->i + 1 < r->n && r->t[r->i + 1].kind == T_IDENT;
		if (is_sym(r, ';'))
			r->i++;
		else if (decl && is_word(r, "message")) {
			r->i++;
			parse_message(r, full, depth + 1);
		} else if (decl && is_word(r, "oneof")) {
			r->i += 2;
			if (depth + 1 > DEPTH_MAX) {
				fail(r, "blocks nested too deep");
				return;
			}
			expect_sym(r, '{', "expected '{'");
			message_body(r, msg, full, depth + 1);
			expect_sym(r, '}', "expected '}'");
		} else if (decl && (is_word(r, "enum") || is_word(r, "extend") || is_word(r, "service")))
			skip_decl(r, depth);
		else if (is_word(r, "option") || is_word(r, "reserved") || is_word(r, "extensions"))
			skip_statement(r, depth);
		else if (is_word(r, "extend") && r->i + 1 < r->n && r->t[r->i + 1].kind == T_IDENT)
			skip_decl(r, depth);
		else
			parse_field(r, msg, depth);
	}
}

/* message Name { ... }: the current token is the name. */
static void parse_message(reader *r, const char *scope, int depth)
{
	if (depth > DEPTH_MAX) {
		fail(r, "messages nested too deep");
		return;
	}
	const char *name = ident(r, "expected a message name");
	if (!name)
		return;
	const char *full = *scope ? tm_arena_printf(r->st->arena, "%s.%s", scope, name) : name;
	struct message *m = message_new(r, full);
	if (!m)
		return;
	size_t idx = (size_t)(m - r->st->msgs);
	if (!expect_sym(r, '{', "expected '{' after the message name"))
		return;
	message_body(r, idx, full, depth);
	expect_sym(r, '}', "expected '}'");
}

/* option (name) = value ;  The name and a scalar value (NULL for a message value). */
static void read_option(reader *r, const char **name, const char **value, int depth)
{
	*name = *value = NULL;
	r->i++; /* option */
	char buf[128] = "";
	while (!r->failed && !is_sym(r, '=')) {
		const tok *t = cur(r);
		if (t->kind == T_EOF || is_sym(r, ';') || is_sym(r, '{') || is_sym(r, '}')) {
			fail(r, "expected '=' in the option");
			return;
		}
		size_t used = strlen(buf);
		tm_formatf(buf + used, sizeof(buf) - used, "%.*s", (int)t->n, t->s);
		r->i++;
	}
	r->i++;
	*name = tm_arena_strdup(r->st->arena, buf);
	if (cur(r)->kind == T_STR || cur(r)->kind == T_IDENT || cur(r)->kind == T_NUM)
		*value = text_of(r);
	skip_statement(r, depth);
}

static void set_http(struct rpc *rpc, reader *r, const char *verb, const char *path)
{
	char up[16];
	size_t k = 0;
	for (; verb[k] && k + 1 < sizeof(up); k++)
		up[k] = (char)toupper((unsigned char)verb[k]);
	up[k] = '\0';
	if (rpc->http_method)
		return; /* additional bindings: the first one names the endpoint */
	rpc->http_method = tm_arena_strdup(r->st->arena, up);
	rpc->http_path = path;
}

/* option (google.api.http) = { get: "/v1/x/{id}" body: "*" ... };  the current token is option. */
static void http_rule(reader *r, struct rpc *rpc, int depth)
{
	static const char *const verbs[] = {"get", "put", "post", "delete", "patch"};
	size_t start = r->i;
	while (r->i < r->n && !is_sym(r, '=') && !is_sym(r, ';') && !is_sym(r, '{') && !is_sym(r, '}'))
		r->i++;
	if (!is_sym(r, '=') || !next_is_sym(r, 1, '{')) {
		r->i = start;
		skip_statement(r, depth);
		return;
	}
	r->i += 2;
	int level = 1;
	while (!r->failed && level) {
		const tok *t = cur(r);
		if (!block_token(r, &level, depth))
			return;
		/* key: "value" at the rule's own level (additional_bindings sit deeper) */
		if (level == 1 && t->kind == T_IDENT && next_is_sym(r, 1, ':') && r->i + 2 < r->n &&
		    r->t[r->i + 2].kind == T_STR) {
			const tok *v = &r->t[r->i + 2];
			const char *val = tm_arena_strndup(r->st->arena, v->s, v->n > 512 ? 512 : v->n);
			for (size_t k = 0; k < TM_ARRAY_LEN(verbs); k++)
				if (t->n == strlen(verbs[k]) && memcmp(t->s, verbs[k], t->n) == 0)
					set_http(rpc, r, verbs[k], val);
			if (t->n == 4 && memcmp(t->s, "body", 4) == 0)
				rpc->http_body = val;
			r->i += 3;
			continue;
		}
		r->i++;
	}
	if (is_sym(r, ';'))
		r->i++;
}

/* The options of an rpc's body: HTTP bindings, deprecated. */
static void rpc_body(reader *r, struct rpc *rpc, int depth)
{
	while (!r->failed && !is_sym(r, '}')) {
		if (cur(r)->kind == T_EOF) {
			fail(r, "expected '}'");
			return;
		}
		if (is_sym(r, ';')) {
			r->i++;
			continue;
		}
		if (!is_word(r, "option")) {
			fail(r, "expected an option in the rpc body");
			return;
		}
		bool google = r->i + 3 < r->n && r->t[r->i + 2].kind == T_IDENT && r->t[r->i + 2].n == 15 &&
			      memcmp(r->t[r->i + 2].s, "google.api.http", 15) == 0;
		if (google) {
			http_rule(r, rpc, depth);
			continue;
		}
		const char *name, *value;
		read_option(r, &name, &value, depth);
		if (!name)
			continue;
		if (strcmp(name, "deprecated") == 0 && value && strcmp(value, "true") == 0)
			rpc->deprecated = true;
		/* hertz / cloudwego: option (api.get) = "/path"; */
		if (strncmp(name, "(api.", 5) == 0 && value) {
			static const char *const verbs[] = {"get", "put", "post", "delete", "patch"};
			for (size_t k = 0; k < TM_ARRAY_LEN(verbs); k++)
				if (strlen(name) == 6 + strlen(verbs[k]) && strncmp(name + 5, verbs[k], strlen(verbs[k])) == 0 &&
				    name[5 + strlen(verbs[k])] == ')')
					set_http(rpc, r, verbs[k], value);
		}
	}
}

/* ( [stream] Type ) */
static const char *rpc_type(reader *r, bool *stream)
{
	*stream = false;
	if (!expect_sym(r, '(', "expected '('"))
		return NULL;
	if (is_word(r, "stream") && r->i + 1 < r->n && r->t[r->i + 1].kind == T_IDENT) {
		*stream = true;
		r->i++;
	}
	const char *type = ident(r, "expected a message type");
	expect_sym(r, ')', "expected ')'");
	return type;
}

static void parse_rpc(reader *r, struct service *svc, int depth)
{
	struct rpc rpc;
	memset(&rpc, 0, sizeof(rpc));
	const tok *t = cur(r);
	rpc.loc = loc_at(r->path, t->line, t->col);
	r->i++; /* rpc */
	rpc.name = ident(r, "expected an rpc name");
	rpc.req = rpc_type(r, &rpc.cstream);
	if (!r->failed && !is_word(r, "returns")) {
		fail(r, "expected 'returns'");
		return;
	}
	r->i++;
	rpc.resp = rpc_type(r, &rpc.sstream);
	if (r->failed)
		return;
	if (is_sym(r, '{')) {
		r->i++;
		rpc_body(r, &rpc, depth + 1);
		expect_sym(r, '}', "expected '}'");
		if (is_sym(r, ';'))
			r->i++;
	} else {
		expect_sym(r, ';', "expected ';' or '{' after the rpc");
	}
	if (r->failed || !rpc.name || !rpc.req || !rpc.resp)
		return;
	if (TM_GROW(svc->rpcs, svc->cap, svc->n + 1)) {
		r->st->oom = 1;
		return;
	}
	svc->rpcs[svc->n++] = rpc;
}

static void parse_service(reader *r, int depth)
{
	struct service svc;
	memset(&svc, 0, sizeof(svc));
	const tok *t = cur(r);
	svc.loc = loc_at(r->path, t->line, t->col);
	r->i++; /* service */
	svc.name = ident(r, "expected a service name");
	svc.pkg = r->pkg;
	svc.file = r->path;
	svc.pf = r->pf;
	if (!expect_sym(r, '{', "expected '{' after the service name"))
		return;
	while (!r->failed && !is_sym(r, '}')) {
		if (cur(r)->kind == T_EOF) {
			fail(r, "expected '}'");
			break;
		}
		if (is_sym(r, ';'))
			r->i++;
		else if (is_word(r, "rpc"))
			parse_rpc(r, &svc, depth);
		else if (is_word(r, "option")) {
			const char *name, *value;
			read_option(r, &name, &value, depth);
			if (name && value && strcmp(name, "(trustmap.service)") == 0)
				svc.hint = value;
		} else if (is_word(r, "stream")) { /* the old streaming syntax: skipped */
			skip_statement(r, depth);
		} else {
			fail(r, "expected 'rpc' or 'option' in the service");
		}
	}
	if (!expect_sym(r, '}', "expected '}'")) {
		tm_free(svc.rpcs);
		return;
	}
	if (!svc.name) {
		tm_free(svc.rpcs);
		return;
	}
	svc.full = *svc.pkg ? tm_arena_printf(r->st->arena, "%s.%s", svc.pkg, svc.name) : svc.name;
	if (!svc.full || TM_GROW(r->st->svcs, r->st->cap_svcs, r->st->nsvcs + 1)) {
		r->st->oom = 1;
		tm_free(svc.rpcs);
		return;
	}
	r->st->svcs[r->st->nsvcs++] = svc;
}

static void parse_file(reader *r)
{
	size_t first_svc = r->st->nsvcs;
	while (!r->failed && cur(r)->kind != T_EOF && !r->st->oom) {
		bool named = r->i + 1 < r->n && r->t[r->i + 1].kind == T_IDENT;
		if (is_sym(r, ';')) {
			r->i++;
		} else if (is_word(r, "package") && named) {
			r->i++;
			r->pkg = ident(r, "expected a package name");
			expect_sym(r, ';', "expected ';' after the package");
			if (!r->pkg)
				r->pkg = "";
		} else if (is_word(r, "syntax") || is_word(r, "edition") || is_word(r, "import")) {
			skip_statement(r, 0);
		} else if (is_word(r, "option")) {
			const char *name, *value;
			read_option(r, &name, &value, 0);
			if (name && value && strcmp(name, "(trustmap.service)") == 0)
				r->hint = value;
		} else if (is_word(r, "message") && named) {
			r->i++;
			parse_message(r, r->pkg, 1);
		} else if ((is_word(r, "enum") || is_word(r, "extend")) && named) {
			skip_decl(r, 0);
		} else if (is_word(r, "service") && named) {
			parse_service(r, 1);
		} else {
			fail(r, "expected a package, import, option, message, enum, extend or service");
		}
	}
	for (size_t i = first_svc; i < r->st->nsvcs; i++)
		if (!r->st->svcs[i].hint)
			r->st->svcs[i].hint = r->hint;
}

const tm_proto_file tm_ingest__proto_ambiguous = {NULL, NULL};

/* Remember a file read, for the Swagger generated from it: "=PATH" finds it, and so does "/SUFFIX"
 * for every '/'-suffix of "/PATH" (two files sharing a suffix make it ambiguous). Its record; NULL
 * when memory ran out. */
static tm_proto_file *register_file(tm_ingest_ctx *ctx, tm_arena *a, const char *path)
{
	tm_proto_file *pf = tm_arena_alloc(a, sizeof(*pf));
	const char *full = tm_arena_printf(a, "=%s", path), *slashed = tm_arena_printf(a, "/%s", path);
	if (!pf || !full || !slashed)
		return NULL;
	tm_proto_file *had = tm_hmap_get(&ctx->protos, full, strlen(full));
	if (had)
		return had; /* read twice (two roots): the first stands */
	pf->path = path;
	pf->node = NULL;
	if (tm_hmap_put(&ctx->protos, full, strlen(full), pf))
		return NULL;
	for (const char *k = slashed; k; k = strchr(k + 1, '/')) {
		void *v = tm_hmap_get(&ctx->protos, k, strlen(k)) ? (void *)&tm_ingest__proto_ambiguous : pf;
		if (tm_hmap_put(&ctx->protos, k, strlen(k), v))
			return NULL;
	}
	return pf;
}

const tm_proto_file *tm_ingest__proto_named(const tm_ingest_ctx *ctx, const char *spec_path, const char *title)
{
	if (!ctx->protos.count || !title || !spec_path)
		return NULL;
	char key[1024];
	const char *slash = strrchr(spec_path, '/'), *base = strrchr(title, '/');
	base = base ? base + 1 : title;
	int n = slash ? tm_formatf(key, sizeof(key), "=%.*s/%s", (int)(slash - spec_path), spec_path, base)
		      : tm_formatf(key, sizeof(key), "=%s", base);
	const tm_proto_file *pf = n > 0 && (size_t)n < sizeof(key) ? tm_hmap_get(&ctx->protos, key, (size_t)n) : NULL;
	if (!pf) {
		n = tm_formatf(key, sizeof(key), "/%s", title[0] == '/' ? title + 1 : title);
		pf = n > 0 && (size_t)n < sizeof(key) ? tm_hmap_get(&ctx->protos, key, (size_t)n) : NULL;
	}
	return pf == &tm_ingest__proto_ambiguous ? NULL : pf;
}

void tm_ingest__proto_text(tm_ingest_ctx *ctx, void *state, const char *display, const char *text, size_t len)
{
	struct proto *st = state;
	if (!st)
		return;
	reader r;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.st = st;
	r.path = tm_arena_strdup(st->arena, display);
	r.pkg = "";
	if (!r.path || !(r.pf = register_file(ctx, st->arena, r.path))) {
		st->oom = 1;
		return;
	}
	if (!tokenize(ctx, r.path, text, len, &r.t, &r.n, &st->oom))
		return;
	parse_file(&r);
	tm_free(r.t);
	if (st->oom)
		tm_arena_set_failed(ctx->scratch);
}

/* ---- the model --------------------------------------------------------- */

static void *pr_begin(tm_ingest_ctx *ctx)
{
	struct proto *s = tm_calloc(1, sizeof(*s));
	if (s)
		s->arena = ctx->scratch;
	return s;
}

static void pr_end(void *state)
{
	struct proto *s = state;
	if (!s)
		return;
	for (size_t i = 0; i < s->nmsgs; i++) {
		tm_free(s->msgs[i].fields);
		tm_free(s->msgs[i].deep[0].items);
		tm_free(s->msgs[i].deep[1].items);
	}
	for (size_t i = 0; i < s->nsvcs; i++)
		tm_free(s->svcs[i].rpcs);
	tm_free(s->msgs);
	tm_free(s->svcs);
	tm_hmap_dispose(&s->by_full);
	tm_free(s);
}

/* Documents reach this ingester only as text (tm_ingest__proto_text). */
static bool pr_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root, const char *detail)
{
	(void)ctx;
	(void)state;
	(void)f;
	(void)root;
	(void)detail;
	return false;
}

/* A type name as written, resolved from scope outwards as protoc does ("Item" in "pkg.Cart": pkg.Cart.Item,
 * pkg.Item, Item); a leading dot is fully qualified. NULL: a scalar, a well-known or an unknown type. */
static struct message *resolve(const struct proto *st, const char *scope, const char *type)
{
	char buf[512];
	if (type[0] == '.') {
		size_t v = (size_t)(uintptr_t)tm_hmap_get(&st->by_full, type + 1, strlen(type + 1));
		return v ? &st->msgs[v - 1] : NULL;
	}
	size_t sl = strlen(scope);
	for (;;) {
		int k = tm_formatf(buf, sizeof(buf), "%.*s%s%s", (int)sl, scope, sl ? "." : "", type);
		if (k > 0 && (size_t)k < sizeof(buf)) {
			size_t v = (size_t)(uintptr_t)tm_hmap_get(&st->by_full, buf, strlen(buf));
			if (v)
				return &st->msgs[v - 1];
		}
		if (!sl)
			return NULL;
		while (sl && scope[sl - 1] != '.')
			sl--;
		if (sl)
			sl--;
	}
}

static bool integer_type(const char *t)
{
	static const char *const ints[] = {"int32", "int64", "uint32", "uint64", "sint32", "sint64",
					   "fixed32", "fixed64", "sfixed32", "sfixed64"};
	for (size_t i = 0; i < TM_ARRAY_LEN(ints); i++)
		if (strcmp(t, ints[i]) == 0)
			return true;
	return false;
}

static void facts_add(struct proto *st, struct facts *fs, const char *key, const char *text)
{
	if (!text || fs->n >= FACTS_MAX)
		return;
	for (size_t i = 0; i < fs->n; i++)
		if (fs->items[i].key == key && strcmp(fs->items[i].text, text) == 0)
			return;
	if (TM_GROW(fs->items, fs->cap, fs->n + 1)) {
		st->oom = 1;
		return;
	}
	fs->items[fs->n++] = (tm_fact){key, text};
}

/*
 * What a message holds at any depth, by field name: URL inputs (request) or sensitive fields
 * (response), its own and those of the messages its fields are. A message on the walk already (a
 * cycle) or deeper than FACT_DEPTH adds nothing; as in schema.c, what a message inside a cycle is
 * remembered to hold then lacks the outer message's facts, which the outer message's rpcs still see.
 */
static const struct facts *deep_facts(struct proto *st, struct message *m, int mode, int depth)
{
	static const struct facts none = {NULL, 0, 0, true};
	int k = mode == TM_WALK_RESPONSE;
	if (!m || m->walking || depth >= FACT_DEPTH)
		return &none;
	if (m->deep[k].done)
		return &m->deep[k];
	m->walking = true;
	struct facts fs = {NULL, 0, 0, true};
	for (size_t i = 0; i < m->n; i++) {
		const struct field *f = &m->fields[i];
		unsigned c = tm_classify_name(f->name);
		if (mode == TM_WALK_REQUEST && (c & TM_CLASS_URL))
			facts_add(st, &fs, "url_inputs", tm_arena_printf(st->arena, "body:%s", f->name));
		if (mode == TM_WALK_RESPONSE && (c & TM_CLASS_SENSITIVE))
			facts_add(st, &fs, "sensitive_response", f->name);
		const struct facts *sub = deep_facts(st, resolve(st, m->full, f->type), mode, depth + 1);
		for (size_t j = 0; j < sub->n; j++)
			facts_add(st, &fs, sub->items[j].key, sub->items[j].text);
	}
	m->walking = false;
	m->deep[k] = fs;
	return &m->deep[k];
}

/* The field a dotted name ("user.id", len bytes) reaches from m; NULL when a part names no field. */
static const struct field *field_at(const struct proto *st, const struct message *m, const char *dotted, size_t len)
{
	while (m) {
		size_t part = 0;
		while (part < len && dotted[part] != '.')
			part++;
		const struct field *f = NULL;
		for (size_t i = 0; i < m->n && !f; i++)
			if (strlen(m->fields[i].name) == part && memcmp(m->fields[i].name, dotted, part) == 0)
				f = &m->fields[i];
		if (!f || part == len)
			return f;
		dotted += part + 1, len -= part + 1;
		m = resolve(st, m->full, f->type);
	}
	return NULL;
}

static const char *id_type(const char *t)
{
	return integer_type(t) ? "integer" : strcmp(t, "string") == 0 ? "string" : t;
}

/* Does the HTTP binding's path take the field (top-level name) from a variable ({id}, {id=...})? */
static bool bound_in_path(const char *http_path, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = http_path ? strchr(http_path, '{') : NULL; p; p = strchr(p + 1, '{'))
		if (strncmp(p + 1, name, nl) == 0 && (p[1 + nl] == '}' || p[1 + nl] == '='))
			return true;
	return false;
}

/* The object identifiers an HTTP binding's path names through a nested field ({user.id},
 * {book.name=shelves/ * /books/ *}): the caller names the object in the URL, as an OpenAPI path
 * parameter does. A top-level variable is its field's, labelled there. */
static void nested_path_ids(struct proto *st, tm_model_builder *mb, tm_node *ep, const struct message *req,
			    const char *http_path)
{
	for (const char *p = http_path ? strchr(http_path, '{') : NULL; p; p = strchr(p + 1, '{')) {
		size_t len = strcspn(p + 1, "}=");
		const char *dot = memchr(p + 1, '.', len);
		if (!dot)
			continue;
		const char *leaf = p + 1 + len;
		while (leaf > p + 1 && leaf[-1] != '.')
			leaf--;
		char name[64];
		tm_formatf(name, sizeof(name), "%.*s", (int)(p + 1 + len - leaf), leaf);
		/* an id-like leaf, or a resource's name (AIP: {book.name=shelves/ * /books/ *}) */
		if (!(tm_classify_name(name) & TM_CLASS_OBJECT_ID) && strcmp(name, "name") != 0)
			continue;
		const struct field *f = field_at(st, req, p + 1, len);
		tm_mb_node_list_add(mb, ep, "object_ids",
				    tm_arena_printf(st->arena, "%.*s:path:%s", (int)len, p + 1, f ? id_type(f->type) : "any"));
	}
}

/* The facts of an rpc's messages on its endpoint. Object identifiers and privileged fields count at
 * the request's top level only: the call's own arguments, as an OpenAPI operation's parameters are,
 * and those an HTTP binding's path names at any depth. Nested messages are values (an Address's
 * state, a CartItem's quantity) whose names mean something else. URL inputs and sensitive fields
 * count at any depth, as in OpenAPI bodies. Each identifier is labelled where the call carries it:
 * path (bound by the HTTP path), query (neither path nor body of a binding), body. */
static void message_facts(struct proto *st, tm_model_builder *mb, tm_node *ep, struct message *req,
			  struct message *resp, const struct rpc *rpc)
{
	size_t added = 0;
	for (size_t i = 0; req && i < req->n && added < FACTS_MAX; i++) {
		const struct field *f = &req->fields[i];
		unsigned c = tm_classify_name(f->name);
		if (c & TM_CLASS_PRIVILEGED) {
			tm_mb_node_list_add(mb, ep, "privileged_writable", f->name);
			added++;
		}
		bool bound = rpc->http_path && bound_in_path(rpc->http_path, f->name);
		if (((c & TM_CLASS_OBJECT_ID) || (bound && strcmp(f->name, "name") == 0)) && !f->repeated) {
			const char *in = !rpc->http_method				  ? "body"
					 : bound						  ? "path"
					 : rpc->http_body && (strcmp(rpc->http_body, "*") == 0 ||
							      strcmp(rpc->http_body, f->name) == 0) ? "body"
											       : "query";
			tm_mb_node_list_add(mb, ep, "object_ids",
					    tm_arena_printf(st->arena, "%s:%s:%s", f->name, in, id_type(f->type)));
			added++;
		}
	}
	if (req && rpc->http_path)
		nested_path_ids(st, mb, ep, req, rpc->http_path);
	const struct facts *in = deep_facts(st, req, TM_WALK_REQUEST, 0);
	const struct facts *out = deep_facts(st, resp, TM_WALK_RESPONSE, 0);
	for (size_t i = 0; i < in->n; i++)
		tm_mb_node_list_add(mb, ep, in->items[i].key, in->items[i].text);
	for (size_t i = 0; i < out->n; i++)
		tm_mb_node_list_add(mb, ep, out->items[i].key, out->items[i].text);
}

struct finish {
	tm_ingest_ctx *ctx;
	struct proto *st;
	tm_pset routed;
	tm_hmap done; /* service full name -> a node its endpoints are on */
};

static const char *streaming_of(const struct rpc *rpc)
{
	return rpc->cstream && rpc->sstream ? "bidi" : rpc->cstream ? "client" : rpc->sstream ? "server" : "unary";
}

static void endpoint(struct finish *fx, const struct service *svc, const struct rpc *rpc, tm_node *node,
		     const char *svc_key, const char *how, const char *exposure)
{
	tm_model_builder *mb = fx->ctx->mb;
	tm_arena *a = fx->st->arena;
	const char *path = tm_arena_printf(a, "/%s/%s", svc->full, rpc->name);
	char *id = path ? tm_arena_printf(a, "endpoint:%s/GRPC %s", svc_key, path) : NULL;
	char *name = path ? tm_arena_printf(a, "GRPC %s", path) : NULL;
	if (!id || !name)
		return;
	if (tm_mb_find(mb, id)) { /* a copy of the service in another file: one more location */
		tm_mb_add_evidence(mb, tm_mb_find(mb, id), rpc->loc);
		return;
	}
	tm_node *ep = tm_mb_node(mb, TM_NODE_ENDPOINT, id, name, tm_node_boundary(node), rpc->loc);
	if (!ep)
		return;
	tm_mb_node_str(mb, ep, "method", "GRPC");
	tm_mb_node_str(mb, ep, "path", path);
	tm_mb_node_str(mb, ep, "protocol", "grpc");
	tm_mb_node_str(mb, ep, "service", tm_node_id(node));
	tm_mb_node_str(mb, ep, "grpc_service", svc->full);
	tm_mb_node_str(mb, ep, "spec", svc->file);
	tm_mb_node_str(mb, ep, "linked_by", how);
	tm_mb_node_str(mb, ep, "exposure", exposure);
	if (tm_node_attr_str(node, "exposure_assumed"))
		tm_mb_node_str(mb, ep, "exposure_assumed", exposure);
	tm_mb_node_str(mb, ep, "operation_id", rpc->name);
	tm_mb_node_str(mb, ep, "streaming", streaming_of(rpc));
	tm_mb_node_str(mb, ep, "request", rpc->req);
	tm_mb_node_str(mb, ep, "response", rpc->resp);
	tm_mb_node_bool(mb, ep, "deprecated", rpc->deprecated);
	if (rpc->http_method) {
		tm_mb_node_str(mb, ep, "http_method", rpc->http_method);
		if (rpc->http_path)
			tm_mb_node_str(mb, ep, "http_path", rpc->http_path);
		if (rpc->http_body)
			tm_mb_node_str(mb, ep, "http_body", rpc->http_body);
	}
	/* gRPC carries credentials in metadata the .proto never states: not anonymous, not known */
	tm_mb_node_bool(mb, ep, "anonymous", false);
	tm_mb_node_str(mb, ep, "authn", tm_authn_name(TM_AUTHN_UNKNOWN));
	tm_mb_node_str(mb, ep, "security_source", "none declared (a .proto states no authentication)");
	tm_edge *e = tm_mb_edge(mb, node, ep, TM_EDGE_EXPOSES, rpc->loc);
	if (e) {
		e->authn = TM_AUTHN_UNKNOWN;
		e->authz = TM_AUTHZ_UNKNOWN;
		e->enforced_at = TM_ENFORCED_SERVICE;
	}
	message_facts(fx->st, mb, ep, resolve(fx->st, svc->pkg, rpc->req), resolve(fx->st, svc->pkg, rpc->resp), rpc);
}

/* The workload serving svc, with the reason; NULL: none. */
static tm_node *link_service(struct finish *fx, const tm_link_index *ix, const struct service *svc, const char **how)
{
	tm_arena *a = fx->st->arena;
	if (svc->hint) {
		tm_node *n = tm_ingest__link_hint(fx->ctx, ix, a, svc->hint);
		if (n) {
			*how = tm_arena_printf(a, "option (trustmap.service) '%s'", svc->hint);
			return n;
		}
		tm_diag_add(fx->ctx->diags, TM_ENOTFOUND, TM_LEVEL_WARNING, svc->loc,
			    "option (trustmap.service) '%.100s' names no workload in the scanned files", svc->hint);
	}
	tm_node *n = tm_ingest__link_named(ix, a, svc->name);
	if (n) {
		*how = tm_arena_printf(a, "gRPC service name '%s' names the workload", svc->name);
		return n;
	}
	/* a directory of the file naming a workload, nearest first (src/cartservice/protos/cart.proto) */
	const char *comp = NULL;
	n = tm_ingest__link_dir(ix, a, svc->file, &comp);
	if (n) {
		*how = tm_arena_printf(a, "directory '%s' names the workload", comp);
		return n;
	}
	n = tm_ingest__link_tree(ix, svc->file);
	if (n) {
		*how = "proto in the same directory tree as the workload's manifest";
		return n;
	}
	n = tm_ingest__link_context(ix, svc->file);
	if (n) {
		*how = "proto inside the directory the workload's image is built from (compose build context)";
		return n;
	}
	n = tm_ingest__link_api_dir(ix, a, svc->file, &comp);
	if (n)
		*how = tm_arena_printf(a, "directory '%s' names the workload", comp);
	return n;
}

/* The endpoints of one definition of svc on node (a copy already modelled there adds evidence). */
static void model_on(struct finish *fx, const struct service *svc, tm_node *node, const char *how)
{
	tm_ingest_ctx *ctx = fx->ctx;
	if (svc->pf && !svc->pf->node) /* the file's first service: where a Swagger generated from it belongs */
		svc->pf->node = node;
	tm_mb_add_evidence(ctx->mb, node, svc->loc);
	tm_mb_node_list_add(ctx->mb, node, "api_specs", svc->file);
	const tm_attr *had = tm_node_attr_get(node, "grpc_services");
	bool first = true;
	for (size_t i = 0; had && had->type == TM_ATTR_LIST && i < had->list_len; i++)
		first = first && strcmp(had->list[i], svc->full) != 0;
	if (first) {
		tm_mb_node_list_add(ctx->mb, node, "grpc_services", svc->full);
		/* a service's rpcs count once per workload, not once per copy of its .proto */
		const tm_attr *prev = tm_node_attr_get(node, "api_operations");
		tm_mb_node_int(ctx->mb, node, "api_operations", (prev ? prev->num : 0) + (int64_t)svc->n);
	}
	tm_node_id_parts sid;
	const char *svc_key = tm_node_id_parse(tm_node_id(node), &sid) ? tm_node_id(node) : sid.rest;
	const char *exposure = tm_ingest__api_exposure(&fx->routed, node);
	for (size_t i = 0; i < svc->n; i++)
		endpoint(fx, svc, &svc->rpcs[i], node, svc_key, how, exposure);
}

/* Each definition is linked on its own (the copy of grpc.health.v1 under src/cartservice/ belongs to
 * cartservice); a service no definition links becomes one unlinked service, every copy its evidence. */
static void pr_finish(tm_ingest_ctx *ctx, void *state)
{
	struct proto *st = state;
	if (!st || !st->nsvcs)
		return;
	struct finish fx;
	memset(&fx, 0, sizeof(fx));
	fx.ctx = ctx;
	fx.st = st;
	tm_link_index *ix = tm_ingest__link_index(ctx);
	tm_node **linked = tm_calloc(st->nsvcs, sizeof(*linked));
	const char **hows = tm_calloc(st->nsvcs, sizeof(*hows));
	if (!linked || !hows || tm_ingest__routed_from_outside(ctx->mb, &fx.routed)) {
		tm_arena_set_failed(ctx->scratch);
		goto done;
	}
	/* link every definition first: linking reads manifest evidence, which endpoints then extend */
	for (size_t i = 0; i < st->nsvcs && ix; i++) {
		linked[i] = link_service(&fx, ix, &st->svcs[i], &hows[i]);
		if (linked[i] && tm_hmap_put(&fx.done, st->svcs[i].full, strlen(st->svcs[i].full), linked[i])) {
			tm_arena_set_failed(ctx->scratch);
			goto done;
		}
	}
	for (size_t i = 0; i < st->nsvcs; i++) {
		const struct service *svc = &st->svcs[i];
		if (linked[i]) {
			model_on(&fx, svc, linked[i], hows[i]);
			continue;
		}
		if (tm_hmap_get(&fx.done, svc->full, strlen(svc->full)))
			continue; /* a copy beside no workload of a service that other copies link */
		/* a vendored standard service (grpc.health.v1, google.longrunning) that no workload of the
		 * inputs serves is no API of this repository: no assumption is made about it */
		if (strncmp(svc->full, "google.", 7) == 0 || strncmp(svc->full, "grpc.", 5) == 0)
			continue;
		tm_node *node = tm_ingest__unlinked_api(ctx, st->arena, svc->full, svc->file, svc->loc);
		if (!node)
			continue;
		tm_mb_node_str(ctx->mb, node, "assumed",
			       "reachable by its clients from outside (deployment unknown: the gRPC service matches "
			       "no workload); link it with option (trustmap.service) to replace this assumption");
		tm_mb_node_str(ctx->mb, node, "exposure_assumed", "partner");
		if (tm_hmap_put(&fx.done, svc->full, strlen(svc->full), node)) {
			tm_arena_set_failed(ctx->scratch);
			goto done;
		}
		/* every copy of it lands here: the id of its endpoints is the one service's */
		for (size_t j = i; j < st->nsvcs; j++)
			if (!linked[j] && strcmp(st->svcs[j].full, svc->full) == 0)
				model_on(&fx, &st->svcs[j], node, "not linked: no workload matched (a service of its own)");
	}
done:
	if (st->oom)
		tm_arena_set_failed(ctx->scratch);
	tm_free(linked);
	tm_free(hows);
	tm_ingest__link_index_free(ix);
	tm_pset_dispose(&fx.routed);
	tm_hmap_dispose(&fx.done);
}

const tm_ingester tm_ingest__proto = {pr_begin, pr_doc, pr_finish, pr_end};
