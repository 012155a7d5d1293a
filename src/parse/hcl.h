/*
 * parse/hcl.h - HCL2 native syntax (Terraform's .tf, .tfvars) -> a tm_doc tree with positions.
 * Knows no meaning (ingest/terraform.c reads resources, variables, locals and modules).
 *
 * The tree has the shape of HCL's JSON syntax (what a .tf.json file holds), so one reader serves
 * both:
 *   - a body is a map; an attribute `a = expr` is the pair a: value;
 *   - a block `type "l1" "l2" { body }` is the pair type: {l1: {l2: body}} (each label a map key
 *     at the label's position); a block without labels is type: body. Blocks of one type are
 *     repeated pairs of the same key, in file order (read them with a walk, not tm_map_get);
 *   - literals are scalars: numbers INT/FLOAT, true/false BOOL, null NULL, quoted strings and
 *     heredocs quoted STR with their escapes decoded;
 *   - a string holding `${...}` or `%{...}` is a template: quoted STR whose text keeps each
 *     interpolation and directive as written (and the escapes `$${`, `%%{`), as in JSON syntax;
 *   - a tuple `[...]` is a sequence and an object `{...}` a map, when written as such;
 *   - every other expression (a reference `var.x`, `a.b[0]`, a splat, a function call, an
 *     operator, a conditional, a for expression, or a literal with any of those applied) is an
 *     unquoted STR "${<its source text>}", so its reader evaluates what it can and names the rest.
 * Every value carries the line and column of its first byte.
 *
 * Everything is parsed (nothing is skipped by guessing), so a file is never misread after a
 * construct we do not evaluate.
 */
#ifndef TM_PARSE_HCL_H
#define TM_PARSE_HCL_H

#include "trustmap/doc.h"
#include "util/util.h"

#define TM_HCL_MAX_DEPTH 128 /* nested blocks and expressions; the limits' max_depth if lower */

/*
 * Parse len bytes of HCL2 text shown as path (copied) into *out, one document (the top-level
 * body). A syntax error is one diagnostic (TM_EPARSE) at path:line:col; what parsed before it is
 * kept in *out and 1 is returned. 0 when clean. With *out NULL and a diagnostic: TM_ELIMIT (the
 * file, a string, the value count or the nesting is over limits), TM_EPARSE (invalid UTF-8 or a
 * NUL byte). TM_ENOMEM when memory ran out. limits may be NULL. Free *out with tm_file_free().
 */
int tm_hcl_parse(tm_file **out, const char *path, const char *text, size_t len, const tm_limits *limits,
		 tm_diag_list *diags);

/*
 * Parse one expression (the text of a `${...}` value this parser made, such as the argument of
 * jsonencode) into a value of f, its first byte at line:col of f's path. NULL with a diagnostic
 * when it is not exactly one expression, or on ENOMEM.
 */
tm_value *tm_hcl_parse_expr(tm_file *f, const char *text, size_t len, uint32_t line, uint32_t col,
			    tm_diag_list *diags);

/* The offset just past the '}' that closes the interpolation or directive opening at text[i] ("${"
 * or "%{"), skipping nested braces and quoted strings; 0 when it is not closed. */
size_t tm_hcl_interp_end(const char *text, size_t len, size_t i);

#endif
