/*
 * parse/nginx.h - nginx configuration syntax: directives, their arguments and blocks, each with
 * its line and column. Knows no meaning (ingest/gw_nginx.c reads server, location, proxy_pass).
 *
 * The grammar is nginx's own: a directive is words up to ';' or a '{ ... }' block; words are bare
 * or quoted ('...', "...", with backslash escapes); '#' starts a comment outside quotes. Lua and
 * other *_by_lua_block bodies are skipped whole (their braces balanced), as nginx's parser does.
 */
#ifndef TM_PARSE_NGINX_H
#define TM_PARSE_NGINX_H

#include "trustmap/common.h"
#include "util/util.h"

#define TM_NGX_MAX_DEPTH 32
#define TM_NGX_MAX_ARGS 64

typedef struct tm_ngx_dir tm_ngx_dir;
struct tm_ngx_dir {
	const char *name;
	const char **args;
	size_t nargs;
	uint32_t line, col;  /* of the directive's name */
	bool block;          /* followed by { ... } */
	tm_ngx_dir *kids;    /* the block's directives */
	size_t nkids;
};

/*
 * Parse len bytes of text into *root (a block with no name holding the top-level directives),
 * allocated in a; the text's first line is numbered first_line (1 for a file, more for a value
 * embedded in another file), and col_offset is added to every column (the
 * indentation of a block scalar holding it). A syntax error (unbalanced braces or quotes, a directive without ';', nesting
 * deeper than TM_NGX_MAX_DEPTH) is one diagnostic at its path:line:col; what parsed before it is
 * kept and 1 is returned. 0 when clean, TM_ENOMEM when memory ran out.
 */
int tm_ngx_parse(tm_arena *a, const char *path, const char *text, size_t len, uint32_t first_line,
		 uint32_t col_offset, tm_diag_list *diags, tm_ngx_dir *root);

/* The first directive named name in block b, or NULL. */
const tm_ngx_dir *tm_ngx_find(const tm_ngx_dir *b, const char *name);

/* Does the head of a file look like nginx configuration: two distinct marks (server, http, events,
 * upstream, location blocks; proxy_pass, listen, server_name, root, include directives ending in
 * ';'), one of them a block opening with '{'? For files whose name does not say. */
bool tm_ngx_sniff(const char *head, size_t len);

#endif
