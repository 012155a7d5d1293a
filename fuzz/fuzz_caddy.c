/*
 * fuzz_caddy.c - libFuzzer target for Caddyfile text (TM_FUZZ_CADDY): the parser (parse/caddyfile.c)
 * and the gateway reader behind it (ingest/gw_caddy.c).
 *
 * The input is parsed twice, numbered from line 1 and from line 1001, and the parser's promises
 * are checked (a violation aborts, so the replay fails on it too):
 *   - 0 with no diagnostic, 1 with exactly one error, or TM_ENOMEM;
 *   - every directive named, at a line inside the text and a column from 1, with at most
 *     TM_CDY_MAX_ARGS arguments and blocks at most TM_CDY_MAX_DEPTH deep;
 *   - the two trees are the same but for the line numbers, which differ by 1000.
 * Then it is scanned in memory as a compose project holds it: caddy/Caddyfile bind-mounted by a
 * published caddy service beside the services its routes may name, so the reader, the upstream
 * resolution (environment defaults too) and the exposure see every mutation.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse/caddyfile.h"
#include "trustmap/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SHIFT 1000u
#define SCAN_MAX (64u * 1024u)

static const char compose[] = "services:\n"
			      "  caddy:\n"
			      "    image: caddy:2.8\n"
			      "    ports: ['80:80', '443:443']\n"
			      "    volumes: ['./caddy/Caddyfile:/etc/caddy/Caddyfile:ro']\n"
			      "    environment: {API_UPSTREAM: 'api:8080'}\n"
			      "  api: {image: 'api:1'}\n"
			      "  admin: {image: 'admin:1'}\n";

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void walk(const tm_cdy_dir *b, uint32_t first, uint32_t last, unsigned depth)
{
	check(depth <= TM_CDY_MAX_DEPTH + 1);
	check(b->nkids == 0 || b->kids != NULL);
	for (size_t i = 0; i < b->nkids; i++) {
		const tm_cdy_dir *d = &b->kids[i];
		check(d->name != NULL);
		check(d->line >= first && d->line <= last && d->col >= 1);
		check(d->nargs <= TM_CDY_MAX_ARGS && (d->nargs == 0 || d->args != NULL));
		for (size_t k = 0; k < d->nargs; k++)
			check(d->args[k] != NULL);
		check(d->block || d->nkids == 0);
		walk(d, first, last, depth + 1);
	}
}

static void same(const tm_cdy_dir *a, const tm_cdy_dir *b)
{
	check(a->nkids == b->nkids);
	for (size_t i = 0; i < a->nkids; i++) {
		const tm_cdy_dir *x = &a->kids[i], *y = &b->kids[i];
		check(strcmp(x->name, y->name) == 0 && x->nargs == y->nargs && x->block == y->block);
		check(y->line == x->line + SHIFT && y->col == x->col);
		for (size_t k = 0; k < x->nargs; k++)
			check(strcmp(x->args[k], y->args[k]) == 0);
		same(x, y);
	}
}

static int parse_checked(tm_arena *a, const char *text, size_t size, uint32_t first, tm_diag_list *diags,
			 tm_cdy_dir *root)
{
	int rc = tm_cdy_parse(a, "Caddyfile", text, size, first, diags, root);
	check(rc == 0 || rc == 1 || rc == TM_ENOMEM);
	if (rc == TM_ENOMEM)
		return rc;
	check(tm_diag_count(diags, TM_LEVEL_ERROR) == (size_t)rc && diags->count == (size_t)rc);
	uint32_t lines = 0;
	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	for (size_t i = 0; i < diags->count; i++)
		check(diags->items[i].loc.line >= first && diags->items[i].loc.line <= first + lines &&
		      diags->items[i].loc.col >= 1);
	walk(root, first, first + lines, 0);
	return rc;
}

static void parse_twice(const char *text, size_t size)
{
	tm_arena *a = tm_arena_new();
	if (!a)
		return;
	tm_diag_list d1, d2;
	tm_diag_list_init(&d1);
	tm_diag_list_init(&d2);
	tm_cdy_dir r1, r2;
	int rc1 = parse_checked(a, text, size, 1, &d1, &r1);
	int rc2 = parse_checked(a, text, size, 1 + SHIFT, &d2, &r2);
	if (rc1 != TM_ENOMEM && rc2 != TM_ENOMEM) {
		check(rc1 == rc2);
		same(&r1, &r2);
		for (size_t i = 0; i < d1.count; i++)
			check(d2.items[i].loc.line == d1.items[i].loc.line + SHIFT &&
			      d2.items[i].loc.col == d1.items[i].loc.col && strcmp(d1.items[i].msg, d2.items[i].msg) == 0);
	}
	tm_diag_list_dispose(&d1);
	tm_diag_list_dispose(&d2);
	tm_arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	parse_twice(text, size);
	if (size > SCAN_MAX)
		return 0;
	tm_mem_file files[] = {
		{"compose.yaml", compose, sizeof(compose) - 1},
		{"caddy/Caddyfile", text, size},
	};
	tm_limits limits;
	tm_limits_default(&limits);
	tm_scan *s = NULL;
	tm_scan_run_mem(&s, files, sizeof(files) / sizeof(files[0]), &limits);
	const tm_model *m = s ? tm_scan_model(s) : NULL;
	size_t total = 0;
	for (size_t i = 0; m && i < tm_model_edge_count(m); i++)
		total += tm_edge_attr_count(tm_model_edge(m, i));
	tm_scan_free(s);
	check(total != (size_t)-1);
	return 0;
}
