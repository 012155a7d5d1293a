/*
 * fuzz_nginx.c - libFuzzer target for nginx configuration text (TM_FUZZ_NGINX): the sniffer, the
 * parser (parse/nginx.c) and the gateway reader behind them.
 *
 * The input is parsed twice, numbered from line 1 and from line 1001, and the parser's promises
 * are checked (a violation aborts, so the replay fails on it too):
 *   - 0 with no error (at most one note: the file is a template), 1 with exactly one error and
 *     nothing else, or TM_ENOMEM;
 *   - every directive named, at a line inside the text and a column from 1, with at most
 *     TM_NGX_MAX_ARGS arguments and blocks at most TM_NGX_MAX_DEPTH deep;
 *   - the two trees are the same but for the line numbers, which differ by 1000 (first_line).
 * Then it is scanned in memory as a real project holds it: proxy/nginx.conf bind-mounted by a
 * compose service whose environment names an upstream, with an OpenAPI spec served through it,
 * and again as the nginx.conf value of a ConfigMap mounted by a Deployment (its lines indented
 * as a block scalar), so the gateway reader, upstream resolution and the per-operation linking
 * see every mutation the sniffer lets through.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse/nginx.h"
#include "trustmap/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SHIFT 1000u
#define SCAN_MAX (64u * 1024u) /* the scans are slower per byte: larger inputs only parse */

static const char compose[] = "services:\n"
			      "  proxy:\n"
			      "    image: nginx:1.25\n"
			      "    ports: ['8888:80']\n"
			      "    volumes: ['./proxy/nginx.conf:/etc/nginx/nginx.conf:ro']\n"
			      "    environment: {IDENTITY_SERVICE: 'identity:8080'}\n"
			      "  identity: {image: 'identity:1'}\n"
			      "  shop: {image: 'shop:1'}\n";

static const char spec[] = "openapi: 3.0.3\n"
			   "info: {title: crAPI, version: '1'}\n"
			   "servers: [{url: 'http://localhost:8888'}]\n"
			   "paths:\n"
			   "  /identity/api/auth/login: {post: {security: [], responses: {'200': {description: ok}}}}\n"
			   "  /shop/api/orders/{orderId}: {delete: {security: [], responses: {'200': {description: ok}}}}\n";

static const char k8s_head[] = "apiVersion: apps/v1\n"
			       "kind: Deployment\n"
			       "metadata: {name: gateway, namespace: shop}\n"
			       "spec:\n"
			       "  selector: {matchLabels: {app: gateway}}\n"
			       "  template:\n"
			       "    metadata: {labels: {app: gateway}}\n"
			       "    spec:\n"
			       "      containers: [{name: nginx, image: 'nginx:1.25', volumeMounts: [{name: conf, mountPath: /etc/nginx}]}]\n"
			       "      volumes: [{name: conf, configMap: {name: gateway-conf}}]\n"
			       "---\n"
			       "apiVersion: apps/v1\n"
			       "kind: Deployment\n"
			       "metadata: {name: orders, namespace: shop}\n"
			       "spec:\n"
			       "  selector: {matchLabels: {app: orders}}\n"
			       "  template:\n"
			       "    metadata: {labels: {app: orders}}\n"
			       "    spec: {containers: [{name: orders, image: 'orders:1'}]}\n"
			       "---\n"
			       "apiVersion: v1\n"
			       "kind: Service\n"
			       "metadata: {name: orders, namespace: shop}\n"
			       "spec: {selector: {app: orders}, ports: [{port: 80}]}\n"
			       "---\n"
			       "apiVersion: v1\n"
			       "kind: ConfigMap\n"
			       "metadata: {name: gateway-conf, namespace: shop}\n"
			       "data:\n"
			       "  nginx.conf: |\n";

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void walk(const tm_ngx_dir *b, uint32_t first, uint32_t last, unsigned depth)
{
	check(depth <= TM_NGX_MAX_DEPTH + 1); /* 32 nested blocks, their directives one deeper */
	check(b->nkids == 0 || b->kids != NULL);
	for (size_t i = 0; i < b->nkids; i++) {
		const tm_ngx_dir *d = &b->kids[i];
		check(d->name != NULL);
		check(d->line >= first && d->line <= last && d->col >= 1);
		check(d->nargs <= TM_NGX_MAX_ARGS && (d->nargs == 0 || d->args != NULL));
		for (size_t k = 0; k < d->nargs; k++)
			check(d->args[k] != NULL);
		check(d->block || d->nkids == 0);
		walk(d, first, last, depth + 1);
	}
}

/* The same tree, b's lines SHIFT below a's. */
static void same(const tm_ngx_dir *a, const tm_ngx_dir *b)
{
	check(a->nkids == b->nkids);
	for (size_t i = 0; i < a->nkids; i++) {
		const tm_ngx_dir *x = &a->kids[i], *y = &b->kids[i];
		check(strcmp(x->name, y->name) == 0 && x->nargs == y->nargs && x->block == y->block);
		check(y->line == x->line + SHIFT && y->col == x->col);
		for (size_t k = 0; k < x->nargs; k++)
			check(strcmp(x->args[k], y->args[k]) == 0);
		same(x, y);
	}
}

static int parse_checked(tm_arena *a, const char *text, size_t size, uint32_t first, tm_diag_list *diags,
			 tm_ngx_dir *root)
{
	int rc = tm_ngx_parse(a, "nginx.conf", text, size, first, 0, diags, root);
	check(rc == 0 || rc == 1 || rc == TM_ENOMEM);
	if (rc == TM_ENOMEM)
		return rc;
	check(tm_diag_count(diags, TM_LEVEL_ERROR) == (size_t)rc &&
	      (rc ? diags->count == 1 : diags->count == tm_diag_count(diags, TM_LEVEL_NOTE) && diags->count <= 1));
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
	tm_ngx_dir r1, r2;
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

static void scan(const tm_mem_file *files, size_t n)
{
	tm_limits limits;
	tm_limits_default(&limits);
	tm_scan *s = NULL;
	tm_scan_run_mem(&s, files, n, &limits);
	const tm_model *m = s ? tm_scan_model(s) : NULL;
	size_t total = 0;
	for (size_t i = 0; m && i < tm_model_node_count(m); i++) {
		const tm_node *nd = tm_model_node(m, i);
		for (size_t k = 0; k < tm_node_attr_count(nd); k++) {
			const tm_attr *at = tm_node_attr(nd, k);
			total += strlen(at->key);
			for (size_t j = 0; at->type == TM_ATTR_LIST && at->list[j]; j++)
				total += strlen(at->list[j]);
			if (at->type == TM_ATTR_STR)
				total += strlen(at->str);
		}
	}
	tm_scan_free(s);
	check(total != (size_t)-1);
}

/* The input as the block scalar of a ConfigMap value: every line indented by four spaces. */
static char *as_configmap(const char *text, size_t size, size_t *len)
{
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	char *y = malloc(sizeof(k8s_head) + size + 4 * lines + 1);
	if (!y)
		return NULL;
	size_t k = sizeof(k8s_head) - 1;
	memcpy(y, k8s_head, k);
	bool bol = true;
	for (size_t i = 0; i < size; i++) {
		if (bol) {
			memcpy(y + k, "    ", 4);
			k += 4;
		}
		y[k++] = text[i];
		bol = text[i] == '\n';
	}
	y[k] = '\0';
	*len = k;
	return y;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	bool sniffed = tm_ngx_sniff(text, size);
	check(tm_ngx_sniff(text, size) == sniffed); /* no state between calls */
	parse_twice(text, size);
	if (size > SCAN_MAX)
		return 0;
	tm_mem_file files[] = {
		{"compose.yaml", compose, sizeof(compose) - 1},
		{"proxy/nginx.conf", text, size},
		{"api/openapi.yaml", spec, sizeof(spec) - 1},
	};
	scan(files, sizeof(files) / sizeof(files[0]));
	size_t ylen = 0;
	char *y = as_configmap(text, size, &ylen);
	if (y) {
		tm_mem_file k8s = {"k8s/gateway.yaml", y, ylen};
		scan(&k8s, 1);
		free(y);
	}
	return 0;
}
