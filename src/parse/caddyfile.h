/*
 * parse/caddyfile.h - Caddyfile syntax (Caddy 2): directives, their arguments and blocks, each with
 * its line and column. Knows no meaning (ingest/gw_caddy.c reads sites, reverse_proxy, handle).
 *
 * The grammar is Caddy's lexer's: tokens are separated by whitespace and a directive is the tokens
 * of one line; a line ending in '{' opens a block that a '}' token closes. Tokens are bare, quoted
 * ("...", with \" and \\ escapes) or backtick-quoted (raw); a heredoc (<<END ... END) is one token;
 * '#' at the start of a token starts a comment to the end of the line; a backslash ending a line
 * joins the next one to it. A '{' alone on the first line is the global options block (a directive
 * named ""). Placeholders ({host}, {$ENV}) are ordinary tokens: a brace opens or closes a block only
 * as a token of its own, unquoted.
 */
#ifndef TM_PARSE_CADDYFILE_H
#define TM_PARSE_CADDYFILE_H

#include "trustmap/common.h"
#include "util/util.h"

#define TM_CDY_MAX_DEPTH 32
#define TM_CDY_MAX_ARGS 64

typedef struct tm_cdy_dir tm_cdy_dir;
struct tm_cdy_dir {
	const char *name;
	const char **args;
	size_t nargs;
	uint32_t line, col; /* of the directive's name */
	bool block;         /* followed by { ... } */
	tm_cdy_dir *kids;   /* the block's directives */
	size_t nkids;
};

/*
 * Parse len bytes of text into *root (a block with no name holding the top-level directives),
 * allocated in a; the first line is numbered first_line. A syntax error (an unclosed block or
 * quote, an unexpected '}', nesting deeper than TM_CDY_MAX_DEPTH, more than TM_CDY_MAX_ARGS
 * arguments) is one diagnostic at its path:line:col; what parsed before it is kept and 1 is
 * returned. 0 when clean, TM_ENOMEM when memory ran out.
 */
int tm_cdy_parse(tm_arena *a, const char *path, const char *text, size_t len, uint32_t first_line, tm_diag_list *diags,
		 tm_cdy_dir *root);

/* Is name a Caddyfile's: "Caddyfile", "Caddyfile.<anything>", "<anything>.caddyfile" or ".Caddyfile"? */
bool tm_cdy_name(const char *name);

#endif
