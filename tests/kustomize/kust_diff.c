/*
 * kust_diff.c - differential test of the native kustomize renderer against `kubectl kustomize`.
 *
 *   kust_diff CORPUS_DIR EXPECTED_FILE     every kustomization root under CORPUS_DIR
 *   kust_diff --render ROOT DIR             print our rendering of ROOT/DIR as JSON lines (debug)
 *
 * For each directory holding kustomization.yaml/.yml/Kustomization whose kind is not Component,
 * both renderings are parsed into tm_value trees and compared as data: the objects keyed by
 * apiVersion/kind/namespace/name (and their order, kubectl's legacy sort), maps without regard to
 * key order, sequences in order, scalars by text. Roots kubectl fails on must give us a diagnostic (and no crash). EXPECTED_FILE
 * lists roots allowed to differ, one "relative/dir  reason" a line. Exit 0 when every other root
 * is equal, 1 otherwise, 77 (skip) without kubectl or the corpus.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/kustomize.h"

static void print_json(FILE *out, const tm_value *v)
{
	if (tm_value_kind_of(v) == TM_VALUE_MAP) {
		fputc('{', out);
		for (size_t i = 0; i < tm_value_len(v); i++) {
			if (i)
				fputc(',', out);
			print_json(out, tm_map_key(v, i));
			fputc(':', out);
			print_json(out, tm_map_value(v, i));
		}
		fputc('}', out);
	} else if (tm_value_kind_of(v) == TM_VALUE_SEQ) {
		fputc('[', out);
		for (size_t i = 0; i < tm_value_len(v); i++) {
			if (i)
				fputc(',', out);
			print_json(out, tm_seq_at(v, i));
		}
		fputc(']', out);
	} else {
		size_t len;
		const char *s = tm_scalar_str(v, &len);
		if (tm_scalar_type_of(v) != TM_SCALAR_STR && tm_scalar_type_of(v) != TM_SCALAR_NULL) {
			fwrite(s, 1, len, out);
			return;
		}
		if (tm_scalar_type_of(v) == TM_SCALAR_NULL && !tm_scalar_quoted(v)) {
			fputs("null", out);
			return;
		}
		fputc('"', out);
		for (size_t i = 0; s && i < len; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == '"' || c == '\\')
				fprintf(out, "\\%c", c);
			else if (c == '\n')
				fputs("\\n", out);
			else if (c < 0x20)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
		}
		fputc('"', out);
	}
}

static bool null_like(const tm_value *v)
{
	return !v || (tm_value_kind_of(v) == TM_VALUE_SCALAR && tm_scalar_type_of(v) == TM_SCALAR_NULL &&
		      !tm_scalar_quoted(v));
}

/* First difference between a (kubectl) and b (ours) into path; true if equal. */
static bool same(const tm_value *a, const tm_value *b, char *path, size_t cap)
{
	size_t plen = strlen(path);
	if (null_like(a) && null_like(b))
		return true;
	if (tm_value_kind_of(a) != tm_value_kind_of(b) || (!a) != (!b))
		return false;
	if (tm_value_kind_of(a) == TM_VALUE_SCALAR) {
		size_t la, lb;
		const char *sa = tm_scalar_str(a, &la), *sb = tm_scalar_str(b, &lb);
		if (la == lb && memcmp(sa, sb, la) == 0)
			return true;
		int64_t ia, ib;
		return tm_scalar_int(a, &ia) == 0 && tm_scalar_int(b, &ib) == 0 && ia == ib;
	}
	if (tm_value_kind_of(a) == TM_VALUE_SEQ) {
		if (tm_value_len(a) != tm_value_len(b)) {
			snprintf(path + plen, cap - plen, " (length %zu vs %zu)", tm_value_len(a),
				 tm_value_len(b));
			return false;
		}
		for (size_t i = 0; i < tm_value_len(a); i++) {
			snprintf(path + plen, cap - plen, "/%zu", i);
			if (!same(tm_seq_at(a, i), tm_seq_at(b, i), path, cap))
				return false;
		}
		path[plen] = '\0';
		return true;
	}
	for (int pass = 0; pass < 2; pass++) {
		const tm_value *x = pass ? b : a, *y = pass ? a : b;
		for (size_t i = 0; i < tm_value_len(x); i++) {
			const char *key = tm_scalar_str(tm_map_key(x, i), NULL);
			if (!key)
				continue;
			snprintf(path + plen, cap - plen, "/%s", key);
			const tm_value *yv = tm_map_get(y, key);
			if (!yv && !null_like(tm_map_value(x, i))) {
				snprintf(path + strlen(path), cap - strlen(path), pass ? " (only ours)" : " (missing in ours)");
				return false;
			}
			if (!pass && !same(tm_map_value(x, i), yv, path, cap))
				return false;
		}
	}
	path[plen] = '\0';
	return true;
}

static void id_of(char *buf, size_t cap, const tm_value *o)
{
	const tm_value *m = tm_map_get(o, "metadata");
	const char *ns = tm_map_get_str(m, "namespace");
	snprintf(buf, cap, "%s|%s|%s|%s", tm_map_get_str(o, "apiVersion") ? tm_map_get_str(o, "apiVersion") : "",
		 tm_map_get_str(o, "kind") ? tm_map_get_str(o, "kind") : "", ns ? ns : "",
		 tm_map_get_str(m, "name") ? tm_map_get_str(m, "name") : "");
}

/* 0 equal; 1 different (why in msg). */
static int compare(const tm_file *want, const tm_file *got, char *msg, size_t cap)
{
	char ia[1024], ib[1024], path[2048];
	size_t nw = tm_file_doc_count(want), ng = tm_file_doc_count(got);
	size_t rw = 0;
	for (size_t i = 0; i < nw; i++) {
		const tm_value *a = tm_file_doc(want, i);
		if (!a)
			continue;
		rw++;
		id_of(ia, sizeof(ia), a);
		const tm_value *match = NULL;
		for (size_t j = 0; j < ng && !match; j++) {
			id_of(ib, sizeof(ib), tm_file_doc(got, j));
			if (strcmp(ia, ib) == 0)
				match = tm_file_doc(got, j);
		}
		if (!match) {
			snprintf(msg, cap, "missing object %s", ia);
			return 1;
		}
		path[0] = '\0';
		if (!same(a, match, path, sizeof(path))) {
			tm_loc l = tm_value_loc(got, match);
			snprintf(msg, cap, "%s differs at %s (ours from %s:%u)", ia, path[0] ? path : "/",
				 l.path, (unsigned)l.line);
			return 1;
		}
	}
	/* kubectl's default (legacy) order: same objects in the same order */
	for (size_t i = 0, j = 0; i < nw && j < ng; i++) {
		if (!tm_file_doc(want, i))
			continue;
		id_of(ia, sizeof(ia), tm_file_doc(want, i));
		id_of(ib, sizeof(ib), tm_file_doc(got, j++));
		if (strcmp(ia, ib) != 0 && ng == rw) {
			snprintf(msg, cap, "order differs at object %zu: kubectl %s, ours %s", j - 1, ia, ib);
			return 1;
		}
	}
	if (ng != rw) {
		for (size_t j = 0; j < ng; j++) {
			id_of(ib, sizeof(ib), tm_file_doc(got, j));
			bool found = false;
			for (size_t i = 0; i < nw && !found; i++) {
				id_of(ia, sizeof(ia), tm_file_doc(want, i));
				found = strcmp(ia, ib) == 0;
			}
			if (!found) {
				snprintf(msg, cap, "extra object %s", ib);
				return 1;
			}
		}
		snprintf(msg, cap, "%zu objects vs %zu", rw, ng);
		return 1;
	}
	return 0;
}

typedef struct {
	char **v;
	size_t n, cap;
} strs;

static void push(strs *s, const char *p)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = realloc(s->v, s->cap * sizeof(char *));
	}
	s->v[s->n++] = strdup(p);
}

static void find_roots(const char *root, const char *rel, strs *out, int depth)
{
	char path[PATH_MAX];
	if ((size_t)snprintf(path, sizeof(path), "%s%s%s", root, rel[0] ? "/" : "", rel) >= sizeof(path))
		return;
	DIR *d = opendir(path);
	if (!d || depth > 40) {
		if (d)
			closedir(d);
		return;
	}
	struct dirent *e;
	strs kids = {0};
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[PATH_MAX + 512];
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) >= sizeof(sub))
			continue;
		struct stat st;
		if (lstat(sub, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name) >= sizeof(sub))
				continue;
			push(&kids, sub);
		} else if (S_ISREG(st.st_mode) &&
			   (strcmp(e->d_name, "kustomization.yaml") == 0 ||
			    strcmp(e->d_name, "kustomization.yml") == 0 || strcmp(e->d_name, "Kustomization") == 0)) {
			FILE *fp = fopen(sub, "r");
			char line[512];
			bool component = false;
			while (fp && fgets(line, sizeof(line), fp))
				if (strncmp(line, "kind: Component", 15) == 0)
					component = true;
			if (fp)
				fclose(fp);
			if (!component)
				push(out, rel);
		}
	}
	closedir(d);
	for (size_t i = 0; i < kids.n; i++) {
		find_roots(root, kids.v[i], out, depth + 1);
		free(kids.v[i]);
	}
	free(kids.v);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *run_kubectl(const char *dir, size_t *len, int *status)
{
	char cmd[2 * PATH_MAX + 64];
	*len = 0;
	*status = -1;
	if ((size_t)snprintf(cmd, sizeof(cmd), "kubectl kustomize '%s' 2>/dev/null", dir) >= sizeof(cmd))
		return NULL;
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);
	while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
		n += got;
		if (n + 1 >= cap)
			buf = realloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	*status = pclose(p);
	*len = n;
	return buf;
}

static const char *expected_reason(const strs *exp, const char *dir)
{
	size_t n = strlen(dir);
	for (size_t i = 0; i < exp->n; i++)
		if (strncmp(exp->v[i], dir, n) == 0 && (exp->v[i][n] == ' ' || exp->v[i][n] == '\t'))
			return exp->v[i] + n + strspn(exp->v[i] + n, " \t");
	return NULL;
}

static int render_one(const char *root, const char *dir)
{
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f = NULL;
	tm_kust_consumed c = TM_KUST_CONSUMED_INIT;
	int rc = tm_kustomize_render_disk(&f, &c, root, dir, NULL, &d);
	for (size_t i = 0; i < d.count; i++)
		fprintf(stderr, "%s:%u:%u: %s: %s\n", d.items[i].loc.path, (unsigned)d.items[i].loc.line,
			(unsigned)d.items[i].loc.col, tm_level_name(d.items[i].level), d.items[i].msg);
	for (size_t i = 0; i < c.n; i++)
		fprintf(stderr, "consumed %s\n", c.paths[i]);
	for (size_t i = 0; f && i < tm_file_doc_count(f); i++) {
		print_json(stdout, tm_file_doc(f, i));
		fputc('\n', stdout);
	}
	printf("rc=%d\n", rc);
	tm_file_free(f);
	tm_kust_consumed_dispose(&c);
	tm_diag_list_dispose(&d);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--render") == 0)
		return render_one(argv[2], argv[3]);
	if (argc < 2) {
		fprintf(stderr, "usage: kust_diff CORPUS_DIR [EXPECTED_FILE]\n");
		return 2;
	}
	char root[PATH_MAX];
	if (!realpath(argv[1], root)) {
		printf("SKIP: corpus %s absent\n", argv[1]);
		return 77;
	}
	if (system("kubectl version --client >/dev/null 2>&1") != 0) {
		printf("SKIP: kubectl not installed\n");
		return 77;
	}
	strs exp = {0};
	FILE *ef = argc > 2 ? fopen(argv[2], "r") : NULL;
	char line[1024];
	while (ef && fgets(line, sizeof(line), ef)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && line[0] != '#')
			push(&exp, line);
	}
	if (ef)
		fclose(ef);
	strs roots = {0};
	find_roots(root, "", &roots, 0);
	qsort(roots.v, roots.n, sizeof(char *), str_cmp);
	size_t equal = 0, differ = 0, expected = 0, kfail_ok = 0, kfail_bad = 0;
	for (size_t i = 0; i < roots.n; i++) {
		const char *dir = roots.v[i];
		char abs[2 * PATH_MAX + 2];
		if ((size_t)snprintf(abs, sizeof(abs), "%s/%s", root, dir) >= sizeof(abs))
			continue;
		size_t len = 0;
		int status = -1;
		char *text = run_kubectl(abs, &len, &status);
		tm_diag_list d;
		tm_diag_list_init(&d);
		tm_file *ours = NULL;
		int rc = tm_kustomize_render_disk(&ours, NULL, root, dir, NULL, &d);
		const char *why = expected_reason(&exp, dir);
		if (status != 0) {
			/* a note naming what is not applied counts: it is what the report shows */
			if (d.count || rc) {
				kfail_ok++;
				printf("KUBECTL-FAILS %s: ours says %s\n", dir,
				       d.count ? d.items[0].msg : tm_strerror(rc));
			} else {
				kfail_bad++;
				printf("KUBECTL-FAILS-OURS-SILENT %s\n", dir);
			}
		} else {
			tm_diag_list kd;
			tm_diag_list_init(&kd);
			tm_file *want = NULL;
			char msg[4096] = "kubectl output does not parse";
			int prc = tm_file_parse(&want, "kubectl", text, len, NULL, &kd);
			if (prc == 0 && !want) {
				snprintf(msg, sizeof(msg), "kubectl printed nothing");
			}
			int diff = rc ? 1 : prc ? 1 : want ? compare(want, ours, msg, sizeof(msg)) : (tm_file_doc_count(ours) != 0);
			if (rc)
				snprintf(msg, sizeof(msg), "ours failed: %s (%s)", tm_strerror(rc),
					 d.count ? d.items[0].msg : "");
			if (!diff) {
				equal++;
				printf("EQUAL %s\n", dir);
			} else if (why) {
				expected++;
				printf("EXPECTED-DIFF %s: %s [%s]\n", dir, msg, why);
			} else {
				differ++;
				printf("DIFF %s: %s\n", dir, msg);
			}
			tm_file_free(want);
			tm_diag_list_dispose(&kd);
		}
		tm_file_free(ours);
		tm_diag_list_dispose(&d);
		free(text);
	}
	printf("summary: %zu roots, %zu equal, %zu different, %zu expected differences, "
	       "%zu kubectl failures diagnosed, %zu kubectl failures we did not diagnose\n",
	       roots.n, equal, differ, expected, kfail_ok, kfail_bad);
	for (size_t i = 0; i < roots.n; i++)
		free(roots.v[i]);
	for (size_t i = 0; i < exp.n; i++)
		free(exp.v[i]);
	free(roots.v);
	free(exp.v);
	return differ || kfail_bad ? 1 : 0;
}
