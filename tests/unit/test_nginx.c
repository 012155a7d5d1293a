/* test_nginx.c - the nginx configuration parser (parse/nginx.c): directives, arguments and blocks
 * with their line and column; quoted strings and their escapes; "${VAR}" inside a bare word; Lua
 * block bodies skipped whole; comments; one positioned diagnostic per syntax error with what parsed
 * before it kept; the first_line offset; the limits; the sniffer that picks nginx text out of files
 * whose name does not say; every allocation failing in turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "counting_alloc.h"
#include "parse/nginx.h"
#include "util/util.h"

typedef struct {
	tm_arena *a;
	tm_diag_list diags;
	tm_ngx_dir root;
	int rc;
} parsed;

static void parse_from(parsed *p, const char *text, size_t len, uint32_t first_line)
{
	p->a = tm_arena_new();
	assert_non_null(p->a);
	tm_diag_list_init(&p->diags);
	p->rc = tm_ngx_parse(p->a, "conf/nginx.conf", text, len, first_line, 0, &p->diags, &p->root);
}

static void parse(parsed *p, const char *text)
{
	parse_from(p, text, strlen(text), 1);
}

static void done(parsed *p)
{
	tm_diag_list_dispose(&p->diags);
	tm_arena_free(p->a);
}

static const tm_ngx_dir *kid(const tm_ngx_dir *b, size_t i)
{
	assert_non_null(b);
	assert_true(i < b->nkids);
	return &b->kids[i];
}

/* d is named name, sits at line:col, and has the arguments args (NULL-terminated). */
static void dir_is(const tm_ngx_dir *d, const char *name, uint32_t line, uint32_t col, const char *const *args)
{
	assert_non_null(d);
	assert_string_equal(d->name, name);
	assert_int_equal(d->line, line);
	assert_int_equal(d->col, col);
	size_t n = 0;
	while (args && args[n])
		n++;
	assert_int_equal(d->nargs, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(d->args[i], args[i]);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NOARGS ((const char *const *)NULL)

/* The parse stopped with exactly one error diagnostic, at line:col, whose message holds msg. */
static void one_error(const parsed *p, uint32_t line, uint32_t col, const char *msg)
{
	assert_int_equal(p->rc, 1);
	assert_int_equal(p->diags.count, 1);
	const tm_diag *d = &p->diags.items[0];
	assert_int_equal(d->level, TM_LEVEL_ERROR);
	assert_int_equal(d->code, TM_EPARSE);
	assert_string_equal(d->loc.path, "conf/nginx.conf");
	assert_int_equal(d->loc.line, line);
	assert_int_equal(d->loc.col, col);
	if (!strstr(d->msg, msg))
		fail_msg("diagnostic \"%s\" does not say \"%s\"", d->msg, msg);
}

static void clean(const parsed *p)
{
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->diags.count, 0);
}

/* ---- structure and positions ---------------------------------------------------------------- */

static void directives_blocks_positions(void **state)
{
	(void)state;
	static const char text[] = "user  nginx;\n"                                  /* 1 */
				   "events { worker_connections 1024; }\n"           /* 2 */
				   "http {\n"                                        /* 3 */
				   "\tinclude mime.types;\n"                         /* 4 */
				   "  server {\n"                                    /* 5 */
				   "    listen 80 default_server;\n"                 /* 6 */
				   "    location = /healthz { return 200; }\n"       /* 7 */
				   "    location /api/ {\n"                          /* 8 */
				   "      proxy_pass http://api:8080/;\n"            /* 9 */
				   "    }\n"                                         /* 10 */
				   "  }\r\n"                                         /* 11 */
				   "}\n"                                             /* 12 */
				   ";;\n"                                            /* 13: empty directives */
				   "last on;";                                       /* 14 */
	parsed p;
	parse(&p, text);
	clean(&p);
	assert_string_equal(p.root.name, "");
	assert_true(p.root.block);
	assert_int_equal(p.root.nkids, 4);
	dir_is(kid(&p.root, 0), "user", 1, 1, ARGS("nginx"));
	assert_false(kid(&p.root, 0)->block);
	assert_int_equal(kid(&p.root, 0)->nkids, 0);

	const tm_ngx_dir *events = kid(&p.root, 1);
	dir_is(events, "events", 2, 1, NOARGS);
	assert_true(events->block);
	dir_is(kid(events, 0), "worker_connections", 2, 10, ARGS("1024"));

	const tm_ngx_dir *http = kid(&p.root, 2);
	dir_is(http, "http", 3, 1, NOARGS);
	assert_int_equal(http->nkids, 2);
	dir_is(kid(http, 0), "include", 4, 2, ARGS("mime.types")); /* a tab is one column */
	const tm_ngx_dir *server = kid(http, 1);
	dir_is(server, "server", 5, 3, NOARGS);
	assert_int_equal(server->nkids, 3);
	dir_is(kid(server, 0), "listen", 6, 5, ARGS("80", "default_server"));
	const tm_ngx_dir *exact = kid(server, 1);
	dir_is(exact, "location", 7, 5, ARGS("=", "/healthz"));
	assert_true(exact->block);
	dir_is(kid(exact, 0), "return", 7, 27, ARGS("200"));
	const tm_ngx_dir *api = kid(server, 2);
	dir_is(api, "location", 8, 5, ARGS("/api/"));
	dir_is(kid(api, 0), "proxy_pass", 9, 7, ARGS("http://api:8080/"));
	dir_is(kid(&p.root, 3), "last", 14, 1, ARGS("on"));

	assert_ptr_equal(tm_ngx_find(&p.root, "http"), http);
	assert_ptr_equal(tm_ngx_find(http, "server"), server);
	assert_null(tm_ngx_find(&p.root, "server")); /* only the block's own directives */
	assert_null(tm_ngx_find(NULL, "http"));
	done(&p);
}

static void empty_block_and_no_args(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "http{server{}}stream {}");
	clean(&p);
	assert_int_equal(p.root.nkids, 2);
	dir_is(kid(&p.root, 0), "http", 1, 1, NOARGS);
	dir_is(kid(kid(&p.root, 0), 0), "server", 1, 6, NOARGS);
	assert_true(kid(kid(&p.root, 0), 0)->block);
	assert_int_equal(kid(kid(&p.root, 0), 0)->nkids, 0);
	dir_is(kid(&p.root, 1), "stream", 1, 15, NOARGS);
	done(&p);
}

static void empty_input(void **state)
{
	(void)state;
	static const char *const texts[] = {"", "\n\n", "   \t\r\n", "# only a comment { ; \"\n", ";"};
	for (size_t i = 0; i < TM_ARRAY_LEN(texts); i++) {
		parsed p;
		parse(&p, texts[i]);
		clean(&p);
		assert_string_equal(p.root.name, "");
		assert_int_equal(p.root.nkids, 0);
		assert_null(p.root.kids);
		done(&p);
	}
}

/* ---- words ------------------------------------------------------------------------------------ */

static void quoted_strings(void **state)
{
	(void)state;
	static const char text[] = "add_header X-Msg \"say \\\"hi\\\"; {ok}\" always;\n"    /* 1 */
				   "return 200 'it\\'s\\n\\tdone\\\\';\n"                   /* 2 */
				   "log_format main '$remote_addr - \"$request\"'\n"        /* 3 */
				   "                '\n$status';\n"                         /* 4-5: newline inside */
				   "after \"\" '';\n";                                      /* 6 */
	parsed p;
	parse(&p, text);
	clean(&p);
	assert_int_equal(p.root.nkids, 4);
	dir_is(kid(&p.root, 0), "add_header", 1, 1, ARGS("X-Msg", "say \"hi\"; {ok}", "always"));
	dir_is(kid(&p.root, 1), "return", 2, 1, ARGS("200", "it's\n\tdone\\"));
	dir_is(kid(&p.root, 2), "log_format", 3, 1, ARGS("main", "$remote_addr - \"$request\"", "\n$status"));
	/* the newline inside the quotes is counted: the next directive is on line 6 */
	dir_is(kid(&p.root, 3), "after", 6, 1, ARGS("", ""));
	done(&p);
}

/* A bare regular expression keeps its backslashes. */
static void bare_regex_keeps_backslash(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "location ~ ^/users/(\\d+)$ { }\nrewrite ^/a\\;b$ /c;\n");
	clean(&p);
	dir_is(kid(&p.root, 0), "location", 1, 1, ARGS("~", "^/users/(\\d+)$"));
	dir_is(kid(&p.root, 1), "rewrite", 2, 1, ARGS("^/a\\;b$", "/c")); /* "\;" does not end it */
	done(&p);
}

/* nginx keeps the backslash of an escape it does not know (all but \" \' \\ \n \r \t), in quotes
 * as in bare words: a regular expression is quoted exactly when it holds '{' or ';'
 * ("^/v1/\d{3}"), and its \d must stay \d. */
static void bug_quoted_unknown_escape_keeps_backslash(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "location ~ \"^/v1/(\\d{3})/\\.json$\" { }\n");
	clean(&p);
	/* regression (src/parse/nginx.c next(), quoted branch): every "\x" becomes "x", so the regex reads
	 * "^/v1/(d{3})/.json$" and no request path matches it the way nginx would */
	dir_is(kid(&p.root, 0), "location", 1, 1, ARGS("~", "^/v1/(\\d{3})/\\.json$"));
	done(&p);
}

static void variables_in_bare_words(void **state)
{
	(void)state;
	static const char text[] = "location /identity/ {\n"
				   "  proxy_pass http://${IDENTITY_SERVICE}/api;\n"
				   "  set $target ${scheme}://${host}:${PORT}x;\n"
				   "  return 301 $scheme://$host$request_uri;\n"
				   "}\n"
				   "location /v${VERSION}/ { }\n"
				   "map $http_upgrade $connection_upgrade { default upgrade; }\n";
	parsed p;
	parse(&p, text);
	clean(&p);
	assert_int_equal(p.root.nkids, 3);
	const tm_ngx_dir *loc = kid(&p.root, 0);
	assert_int_equal(loc->nkids, 3);
	dir_is(kid(loc, 0), "proxy_pass", 2, 3, ARGS("http://${IDENTITY_SERVICE}/api"));
	dir_is(kid(loc, 1), "set", 3, 3, ARGS("$target", "${scheme}://${host}:${PORT}x"));
	assert_false(kid(loc, 1)->block);
	dir_is(kid(loc, 2), "return", 4, 3, ARGS("301", "$scheme://$host$request_uri"));
	/* "${VERSION}" inside the word is no block; the '{' after the space opens one */
	const tm_ngx_dir *v = kid(&p.root, 1);
	dir_is(v, "location", 6, 1, ARGS("/v${VERSION}/"));
	assert_true(v->block);
	assert_int_equal(v->nkids, 0);
	dir_is(kid(kid(&p.root, 2), 0), "default", 7, 41, ARGS("upgrade"));
	done(&p);
}

static void comments(void **state)
{
	(void)state;
	static const char text[] = "# top { comment } with ; and \" and '\n"
				   "server { # opens { here\n"
				   "  listen 80; # } not a close\n"
				   "  root /var/www#not-a-comment;\n"
				   "  return 200 \"# not a comment\";\n"
				   "}# closed";
	parsed p;
	parse(&p, text);
	clean(&p);
	assert_int_equal(p.root.nkids, 1);
	const tm_ngx_dir *s = kid(&p.root, 0);
	dir_is(s, "server", 2, 1, NOARGS);
	assert_int_equal(s->nkids, 3);
	dir_is(kid(s, 0), "listen", 3, 3, ARGS("80"));
	dir_is(kid(s, 1), "root", 4, 3, ARGS("/var/www#not-a-comment"));
	dir_is(kid(s, 2), "return", 5, 3, ARGS("200", "# not a comment"));
	done(&p);
}

static void lua_blocks_skipped(void **state)
{
	(void)state;
	static const char text[] = "location /lua {\n"                                      /* 1 */
				   "  access_by_lua_block {\n"                              /* 2 */
				   "    local s = \"}\" -- a comment with } and {{\n"       /* 3 */
				   "    local t = '{\\'}'\n"                                /* 4 */
				   "    if ngx.var.x then ngx.say(\"}}}\") end\n"           /* 5 */
				   "    ngx.say([[{\"ok\":true}]]) -- json }\n"             /* 6 */
				   "    for k, v in pairs({a = 1, b = {2}}) do end\n"       /* 7 */
				   "  }\n"                                                  /* 8 */
				   "  content_by_lua_block { ngx.exit(204) }\n"             /* 9 */
				   "  proxy_pass http://lua-backend;\n"                     /* 10 */
				   "}\n"                                                    /* 11 */
				   "init_by_lua_block { require \"x\" }\n";                 /* 12 */
	parsed p;
	parse(&p, text);
	clean(&p);
	assert_int_equal(p.root.nkids, 2);
	const tm_ngx_dir *loc = kid(&p.root, 0);
	assert_int_equal(loc->nkids, 3);
	dir_is(kid(loc, 0), "access_by_lua_block", 2, 3, NOARGS);
	assert_true(kid(loc, 0)->block);
	assert_int_equal(kid(loc, 0)->nkids, 0);
	dir_is(kid(loc, 1), "content_by_lua_block", 9, 3, NOARGS);
	dir_is(kid(loc, 2), "proxy_pass", 10, 3, ARGS("http://lua-backend"));
	dir_is(kid(&p.root, 1), "init_by_lua_block", 12, 1, NOARGS);
	done(&p);
}

/* Lua's long comments and long strings span lines; OpenResty's parser skips their braces. */
static void bug_lua_long_brackets(void **state)
{
	(void)state;
	static const char text[] = "content_by_lua_block {\n"    /* 1 */
				   "  --[[ a long comment\n"    /* 2 */
				   "     with a } in it ]]\n"   /* 3 */
				   "  local s = [[\n"           /* 4 */
				   "  } ]]\n"                   /* 5 */
				   "}\n"                        /* 6 */
				   "after on;\n";               /* 7 */
	parsed p;
	parse(&p, text);
	/* regression (src/parse/nginx.c skip_lua): only "--" to the end of the line and '...'/"..." strings
	 * are skipped, so the '}' on line 3 closes the Lua block and the rest is read as nginx */
	clean(&p);
	assert_int_equal(p.root.nkids, 2);
	dir_is(kid(&p.root, 1), "after", 7, 1, ARGS("on"));
	done(&p);
}

/* ---- errors: one diagnostic at its line:col, what parsed before it kept --------------------- */

struct bad {
	const char *name, *text;
	uint32_t line, col;
	const char *msg;
	const char *first; /* the first top-level directive kept, or NULL for none */
};

static const struct bad bad_cases[] = {
	{"unterminated double quote", "user nginx;\nerror_log \"/var/log/x;\n}\n", 2, 11, "unterminated quoted string", "user"},
	{"unterminated single quote", "a 1;\nb 'x", 2, 3, "unterminated quoted string", "a"},
	{"unclosed block", "events {}\nhttp {\n  server {\n    listen 80;\n", 3, 10, "block opened here is never closed", "events"},
	{"unclosed top block", "user x;\nhttp {\n", 2, 6, "block opened here is never closed", "user"},
	{"stray close", "a 1;\n  }\nb 2;\n", 2, 3, "unexpected '}'", "a"},
	{"stray close first", "}", 1, 1, "unexpected '}'", NULL},
	{"no ';' at the end", "a 1;\nproxy_pass http://x", 2, 1, "directive is not terminated by ';'", "a"},
	{"no ';' before '}'", "server {\n  listen 80\n}\n", 2, 3, "unexpected '}' inside a directive (missing ';')", "server"},
	{"'{' without a name", "a 1;\n  { b; }\n", 2, 3, "a block needs a directive name before '{'", "a"},
	{"unterminated lua block", "a 1;\nrewrite_by_lua_block {\n  local x = 1\n", 2, 22, "unterminated lua block", "a"},
};

static void syntax_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < TM_ARRAY_LEN(bad_cases); i++) {
		const struct bad *b = &bad_cases[i];
		print_message("case: %s\n", b->name);
		parsed p;
		parse(&p, b->text);
		one_error(&p, b->line, b->col, b->msg);
		assert_true(strncmp(p.diags.items[0].msg, "nginx configuration: ", 21) == 0);
		if (b->first)
			assert_string_equal(kid(&p.root, 0)->name, b->first);
		else
			assert_int_equal(p.root.nkids, 0);
		done(&p);
	}
}

/* What parsed before the error keeps its shape: the unclosed block's children, the args read. */
static void kept_before_error(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "events {}\nhttp {\n  server {\n    listen 80;\n    location / { proxy_pass http://a; }\n");
	one_error(&p, 3, 10, "never closed");
	const tm_ngx_dir *server = kid(kid(&p.root, 1), 0);
	dir_is(server, "server", 3, 3, NOARGS);
	assert_int_equal(server->nkids, 2);
	dir_is(kid(server, 0), "listen", 4, 5, ARGS("80"));
	dir_is(kid(kid(server, 1), 0), "proxy_pass", 5, 18, ARGS("http://a"));
	done(&p);

	parse(&p, "a 1;\nb 2;\n}\nc 3;\n");
	one_error(&p, 3, 1, "unexpected '}'");
	assert_int_equal(p.root.nkids, 2); /* nothing after the error */
	dir_is(kid(&p.root, 1), "b", 2, 1, ARGS("2"));
	done(&p);
}

/* n blocks nested in one another, "b{" n times then "}" n times, one per line. */
static char *nested(size_t n)
{
	char *t = malloc(n * 6 + 1);
	assert_non_null(t);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(t + k, 6, "b {\n");
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(t + k, 6, "}\n");
	t[k] = '\0';
	return t;
}

static void nesting_limit(void **state)
{
	(void)state;
	parsed p;
	char *t = nested(TM_NGX_MAX_DEPTH - 1);
	parse(&p, t);
	clean(&p);
	done(&p);
	free(t);

	t = nested(TM_NGX_MAX_DEPTH + 1);
	parse(&p, t);
	assert_int_equal(p.rc, 1);
	assert_int_equal(p.diags.count, 1);
	assert_non_null(strstr(p.diags.items[0].msg, "blocks nested too deeply"));
	assert_int_equal(p.diags.items[0].loc.col, 3); /* at the opening brace */
	const tm_ngx_dir *d = &p.root;
	size_t depth = 0;
	while (d->nkids) {
		d = kid(d, 0);
		depth++;
	}
	assert_true(depth >= TM_NGX_MAX_DEPTH - 1); /* what parsed before is kept */
	done(&p);
	free(t);

	t = nested(10000); /* far too deep: one diagnostic, no stack growth */
	parse(&p, t);
	assert_int_equal(p.rc, 1);
	assert_int_equal(p.diags.count, 1);
	done(&p);
	free(t);
}

/* The header: "nesting deeper than TM_NGX_MAX_DEPTH" is the error. */
static void bug_nesting_limit_off_by_one(void **state)
{
	(void)state;
	parsed p;
	char *t = nested(TM_NGX_MAX_DEPTH + 1);
	parse(&p, t);
	/* regression (src/parse/nginx.c block(), "depth + 1 >= TM_NGX_MAX_DEPTH"): the error comes at block
	 * TM_NGX_MAX_DEPTH (line 32), not at the first block deeper than it (line 33) */
	one_error(&p, TM_NGX_MAX_DEPTH + 1, 3, "blocks nested too deeply");
	done(&p);
	free(t);

	t = nested(TM_NGX_MAX_DEPTH);
	parse(&p, t);
	clean(&p);
	done(&p);
	free(t);
}

static void argument_limit(void **state)
{
	(void)state;
	char text[1024];
	size_t k = (size_t)snprintf(text, sizeof(text), "many");
	for (int i = 0; i < TM_NGX_MAX_ARGS; i++)
		k += (size_t)snprintf(text + k, sizeof(text) - k, " a%d", i % 10);
	snprintf(text + k, sizeof(text) - k, ";\nnext 1;");
	parsed p;
	parse(&p, text);
	clean(&p);
	assert_int_equal(kid(&p.root, 0)->nargs, TM_NGX_MAX_ARGS);
	dir_is(kid(&p.root, 1), "next", 2, 1, ARGS("1"));
	done(&p);

	/* one more: the error is at the first argument over the limit ("many" + 64 x " aN": column 198) */
	k = (size_t)snprintf(text, sizeof(text), "user x;\nmany");
	for (int i = 0; i < TM_NGX_MAX_ARGS + 1; i++)
		k += (size_t)snprintf(text + k, sizeof(text) - k, " a%d", i % 10);
	snprintf(text + k, sizeof(text) - k, ";\n");
	parse(&p, text);
	one_error(&p, 2, 4 + 3 * TM_NGX_MAX_ARGS + 2, "too many arguments to one directive");
	dir_is(kid(&p.root, 0), "user", 1, 1, ARGS("x"));
	done(&p);
}

/* A directive's text is parsed in full even when it is not NUL-terminated where len says. */
static void length_not_nul(void **state)
{
	(void)state;
	static const char text[] = "a 1;\nb 2;GARBAGE {";
	parsed p;
	parse_from(&p, text, 9, 1);
	clean(&p);
	assert_int_equal(p.root.nkids, 2);
	dir_is(kid(&p.root, 1), "b", 2, 1, ARGS("2"));
	done(&p);
}

/* ---- first_line: a configuration embedded in another file (a ConfigMap value) ---------------- */

static void first_line_offset(void **state)
{
	(void)state;
	parsed p;
	static const char good[] = "server {\n  location /a/ { proxy_pass http://a; }\n}\n";
	parse_from(&p, good, strlen(good), 12);
	clean(&p);
	dir_is(kid(&p.root, 0), "server", 12, 1, NOARGS);
	dir_is(kid(kid(&p.root, 0), 0), "location", 13, 3, ARGS("/a/"));
	done(&p);

	static const char bad[] = "server {\n  listen 80;\n  location /a/ {\n}\n";
	parse_from(&p, bad, strlen(bad), 40);
	one_error(&p, 40, 8, "never closed"); /* the server block's '{', moved by 39 lines */
	dir_is(kid(kid(&p.root, 0), 0), "listen", 41, 3, ARGS("80"));
	done(&p);

	parse_from(&p, "a 1;\n\"x", 7, 7);
	one_error(&p, 8, 1, "unterminated quoted string");
	done(&p);

	parse_from(&p, "a 1;", 4, 0); /* 0 reads as 1 */
	clean(&p);
	dir_is(kid(&p.root, 0), "a", 1, 1, ARGS("1"));
	done(&p);
}

/* ---- sniffing ------------------------------------------------------------------------------- */

struct sniff_case {
	const char *name, *text;
	bool nginx;
};

static const struct sniff_case sniff_cases[] = {
	{"nginx.conf", "user nginx;\nworker_processes auto;\nevents {\n    worker_connections 1024;\n}\n"
		       "http {\n    server {\n        listen 80;\n        location / {\n"
		       "            proxy_pass http://app:8000;\n        }\n    }\n}\n", true},
	{"conf.d/default.conf", "upstream shop {\n  server shop:8000;\n}\nserver{\n  server_name shop.example.com;\n}\n", true},
	{"a server block only", "server {\n\tlisten 443 ssl;\n}\n", true},
	{"locations, no server", "location /api/ {\n  proxy_pass http://api;\n}\n", true},
	{"redis.conf",
	 "# Redis configuration file example.\n"
	 "#\n"
	 "# server {  (not a real directive: a comment)\n"
	 "# listen 6379\n"
	 "bind 127.0.0.1 -::1\n"
	 "protected-mode yes\n"
	 "port 6379\n"
	 "tcp-backlog 511\n"
	 "timeout 0\n"
	 "tcp-keepalive 300\n"
	 "daemonize no\n"
	 "supervised auto\n"
	 "loglevel notice\n"
	 "databases 16\n"
	 "save 3600 1 300 100 60 10000\n"
	 "replicaof 10.0.0.1 6379\n"
	 "masterauth s3cret\n"
	 "requirepass foobared\n"
	 "maxmemory-policy noeviction\n"
	 "appendonly yes\n", false},
	{"one mark only", "# notes\nlisten 80\n", false},
	{"yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  listen: \"80\"\n", false},
	{"empty", "", false},
	{"marks in comments", "# server {\n# location / {\n# proxy_pass http://x;\n", false},
	{"marks mid-line", "x server {\ny location /\n", false},
};

static void sniffing(void **state)
{
	(void)state;
	for (size_t i = 0; i < TM_ARRAY_LEN(sniff_cases); i++) {
		const struct sniff_case *c = &sniff_cases[i];
		bool got = tm_ngx_sniff(c->text, strlen(c->text));
		if (got != c->nginx)
			fail_msg("%s: sniffed as nginx: %d, want %d", c->name, got, c->nginx);
	}
	/* only len bytes are looked at */
	static const char cut[] = "server {\nlisten 80;\n";
	assert_true(tm_ngx_sniff(cut, sizeof(cut) - 1));
	assert_false(tm_ngx_sniff(cut, 9));
}

/* HAProxy's sections are lowercase too: "listen" is one of nginx's marks. */
static void bug_haproxy_not_nginx(void **state)
{
	(void)state;
	static const char haproxy[] = "global\n    daemon\n    maxconn 256\n\ndefaults\n    mode http\n"
				      "    timeout connect 5s\n\n"
				      "listen stats\n    bind *:8404\n    stats enable\n\n"
				      "listen http-in\n    bind *:80\n    server web1 10.0.0.11:80 check\n";
	/* regression (src/parse/nginx.c tm_ngx_sniff counts every hit, not distinct marks or blocks): a
	 * haproxy.cfg with two "listen" sections is read as nginx and the scan reports
	 * "nginx configuration: directive is not terminated by ';'" on it */
	assert_false(tm_ngx_sniff(haproxy, sizeof(haproxy) - 1));
}

/* ---- allocation failures ---------------------------------------------------------------------- */

static const char alloc_text[] = "http {\n"
				 "  upstream shop { server shop:8000; server shop2:8000 backup; }\n"
				 "  server {\n"
				 "    listen 80;\n"
				 "    location /identity/ { limit_req zone=one; proxy_pass http://${IDENTITY_SERVICE}; }\n"
				 "    location /shop/ { auth_request /auth; proxy_pass \"http://shop\"; }\n"
				 "    access_by_lua_block { ngx.say(\"}\") }\n"
				 "  }\n"
				 "}\n";

static int parse_alloc_once(void)
{
	tm_arena *a = tm_arena_new();
	if (!a)
		return TM_ENOMEM;
	tm_diag_list diags;
	tm_diag_list_init(&diags);
	tm_ngx_dir root;
	int rc = tm_ngx_parse(a, "nginx.conf", alloc_text, sizeof(alloc_text) - 1, 1, 0, &diags, &root);
	tm_diag_list_dispose(&diags);
	tm_arena_free(a);
	return rc;
}

static void survives_every_allocation_failure(void **state)
{
	(void)state;
	tm_set_allocator(&counting);
	calls = 0;
	fail_at = 0;
	assert_int_equal(parse_alloc_once(), 0);
	size_t total = calls;
	assert_true(total > 10);
	for (fail_at = 1; fail_at <= total; fail_at++) {
		calls = 0;
		int rc = parse_alloc_once();
		assert_true(rc == 0 || rc == TM_ENOMEM);
	}
	tm_set_allocator(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(directives_blocks_positions),
		cmocka_unit_test(empty_block_and_no_args),
		cmocka_unit_test(empty_input),
		cmocka_unit_test(quoted_strings),
		cmocka_unit_test(bare_regex_keeps_backslash),
		cmocka_unit_test(bug_quoted_unknown_escape_keeps_backslash),
		cmocka_unit_test(variables_in_bare_words),
		cmocka_unit_test(comments),
		cmocka_unit_test(lua_blocks_skipped),
		cmocka_unit_test(bug_lua_long_brackets),
		cmocka_unit_test(syntax_errors),
		cmocka_unit_test(kept_before_error),
		cmocka_unit_test(nesting_limit),
		cmocka_unit_test(bug_nesting_limit_off_by_one),
		cmocka_unit_test(argument_limit),
		cmocka_unit_test(length_not_nul),
		cmocka_unit_test(first_line_offset),
		cmocka_unit_test(sniffing),
		cmocka_unit_test(bug_haproxy_not_nginx),
		cmocka_unit_test(survives_every_allocation_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
