/*
 * helm_diff.c - the differential test's comparator: renders each chart with tm_helm_render and
 * compares the result, AS DATA, with what the Go oracle (tests/helm/oracle) rendered.
 *
 * Usage: helm_diff KNOWN_FILE (LABEL CHART_DIR ORACLE_OUT VALUES)...
 * VALUES: the extra values files (absolute, ':'-separated), or "-".
 *
 * Both sides are parsed with tm_file_parse (so quoting style, key order, indentation and
 * comments do not matter); every template file's documents are compared in order, empty
 * documents dropped; scalars compare by type and value (numbers numerically). A chart whose
 * oracle run failed (helm template would fail) counts as equal when the native renderer reports
 * an error too; one Helm refuses for a value `required` and not given differs by design (the
 * native renderer renders the placeholder, docs/helm.md), said so. KNOWN_FILE lists "LABEL
 * reason" lines: charts allowed to differ, each with the one feature that makes it differ. Prints
 * every chart's verdict with the first difference, then "N equal / M different"; exits 1 when a
 * chart differs and is not listed, or is listed and no longer differs.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gotmpl.h"
#include "render/helm.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 1 << 16, n = 0, r;
	char *buf = malloc(cap);
	while (buf && (r = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
		n += r;
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(fp);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static char diffmsg[1024];

static void show(char *out, size_t n, const tm_value *v)
{
	size_t l = 0;
	const char *s = tm_scalar_str(v, &l);
	if (tm_value_kind_of(v) == TM_VALUE_MAP)
		snprintf(out, n, "<map of %zu>", tm_value_len(v));
	else if (tm_value_kind_of(v) == TM_VALUE_SEQ)
		snprintf(out, n, "<seq of %zu>", tm_value_len(v));
	else
		snprintf(out, n, "%s'%.60s'", tm_scalar_type_of(v) == TM_SCALAR_STR ? "str " : "", s ? s : "");
}

static bool same(const tm_value *a, const tm_value *b, char *where, size_t wl, int depth)
{
	tm_value_kind ka = tm_value_kind_of(a), kb = tm_value_kind_of(b);
	bool eq = ka == kb && depth < 200;
	if (eq && ka == TM_VALUE_MAP) {
		eq = tm_value_len(a) == tm_value_len(b);
		for (size_t i = 0; eq && i < tm_value_len(a); i++) {
			const char *k = tm_scalar_str(tm_map_key(a, i), NULL);
			const tm_value *bv = NULL;
			for (size_t j = 0; j < tm_value_len(b) && !bv; j++) {
				const char *bk = tm_scalar_str(tm_map_key(b, j), NULL);
				if (k && bk && strcmp(k, bk) == 0)
					bv = tm_map_value(b, j);
			}
			if (!bv) {
				snprintf(diffmsg, sizeof(diffmsg), "%s: key '%s' only in native output", where, k ? k : "");
				return false;
			}
			size_t pl = strlen(where);
			snprintf(where + pl, wl - pl, "/%s", k ? k : "");
			if (!same(tm_map_value(a, i), bv, where, wl, depth + 1))
				return false;
			where[pl] = '\0';
		}
		if (!eq)
			snprintf(diffmsg, sizeof(diffmsg), "%s: %zu keys native, %zu oracle", where, tm_value_len(a), tm_value_len(b));
		return eq;
	}
	if (eq && ka == TM_VALUE_SEQ) {
		eq = tm_value_len(a) == tm_value_len(b);
		for (size_t i = 0; eq && i < tm_value_len(a); i++) {
			size_t pl = strlen(where);
			snprintf(where + pl, wl - pl, "/%zu", i);
			if (!same(tm_seq_at(a, i), tm_seq_at(b, i), where, wl, depth + 1))
				return false;
			where[pl] = '\0';
		}
		if (!eq)
			snprintf(diffmsg, sizeof(diffmsg), "%s: %zu items native, %zu oracle", where, tm_value_len(a), tm_value_len(b));
		return eq;
	}
	if (eq) {
		tm_scalar_type ta = tm_scalar_type_of(a), tb = tm_scalar_type_of(b);
		const char *sa = tm_scalar_str(a, NULL), *sb = tm_scalar_str(b, NULL);
		if ((ta == TM_SCALAR_INT || ta == TM_SCALAR_FLOAT) && (tb == TM_SCALAR_INT || tb == TM_SCALAR_FLOAT))
			eq = strtod(sa, NULL) == strtod(sb, NULL);
		else if (ta == TM_SCALAR_BOOL && tb == TM_SCALAR_BOOL) {
			bool x = false, y = false;
			tm_scalar_bool(a, &x);
			tm_scalar_bool(b, &y);
			eq = x == y;
		} else
			eq = ta == tb && (ta == TM_SCALAR_NULL || strcmp(sa ? sa : "", sb ? sb : "") == 0);
	}
	if (!eq) {
		char x[128], y[128];
		show(x, sizeof(x), a);
		show(y, sizeof(y), b);
		snprintf(diffmsg, sizeof(diffmsg), "%s: native %s, oracle %s", where, x, y);
	}
	return eq;
}

static tm_file *parse_text(const char *label, const char *text, size_t len)
{
	char *buf = malloc(len + 1);
	if (!buf)
		return NULL;
	memcpy(buf, text, len);
	buf[len] = '\0';
	char mask[2];
	tm_gt__mask(buf, len, mask);
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f = NULL;
	tm_file_parse(&f, label, buf, len, NULL, &d);
	tm_diag_list_dispose(&d);
	free(buf);
	return f;
}

/* Non-empty documents of f. */
static size_t docs(const tm_file *f, const tm_value **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; f && i < tm_file_doc_count(f) && n < max; i++) {
		const tm_value *v = tm_file_doc(f, i);
		if (v && !(tm_value_kind_of(v) == TM_VALUE_SCALAR && tm_scalar_type_of(v) == TM_SCALAR_NULL))
			out[n++] = v;
	}
	return n;
}

static bool compare_file(const char *path, const char *mine, size_t ml, const char *theirs, size_t tl)
{
	tm_file *a = parse_text(path, mine, ml), *b = parse_text(path, theirs, tl);
	static const tm_value *da[4096], *db[4096];
	size_t na = docs(a, da, 4096), nb = docs(b, db, 4096);
	bool eq = (a != NULL) == (b != NULL);
	if (!eq)
		snprintf(diffmsg, sizeof(diffmsg), "%s: %s output does not parse", path, a ? "oracle" : "native");
	else if (na != nb) {
		eq = false;
		snprintf(diffmsg, sizeof(diffmsg), "%s: %zu documents native, %zu oracle", path, na, nb);
	}
	for (size_t i = 0; eq && i < na; i++) {
		char where[2048];
		snprintf(where, sizeof(where), "%s#%zu", path, i);
		eq = same(da[i], db[i], where, sizeof(where), 0);
	}
	tm_file_free(a);
	tm_file_free(b);
	return eq;
}

typedef struct {
	char *path, *text;
	size_t len;
} rec;

/* Split the oracle's output into records; *failed when it reported an error. */
static size_t oracle_records(char *buf, rec *out, size_t max, bool *failed)
{
	static const char src[] = "#### ORACLE-SOURCE: ";
	size_t n = 0;
	*failed = strncmp(buf, "#### ORACLE-ERROR:", 18) == 0 || strstr(buf, "\n#### ORACLE-ERROR:");
	char *p = strncmp(buf, src, sizeof(src) - 1) == 0 ? buf : strstr(buf, "\n#### ORACLE-SOURCE: ");
	while (p && n < max) {
		if (*p == '\n')
			p++;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		out[n].path = p + sizeof(src) - 1;
		out[n].text = nl + 1;
		char *next = strstr(nl + 1, "\n#### ORACLE-SOURCE: ");
		out[n].len = next ? (size_t)(next - (nl + 1)) : strlen(nl + 1);
		n++;
		p = next;
	}
	return n;
}

static const char *known_reason(char *known, const char *label)
{
	size_t ll = strlen(label);
	for (char *line = known; line && *line;) {
		char *nl = strchr(line, '\n');
		if (line[0] != '#' && strncmp(line, label, ll) == 0 && (line[ll] == ' ' || line[ll] == '\t'))
			return line + ll + 1;
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* helm_diff --dump CHART_DIR [VALUES...]: the native rendering, for a look by hand. */
static int dump(int argc, char **argv)
{
	char real[PATH_MAX];
	if (!realpath(argv[2], real))
		return 2;
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_helm_opts o;
	memset(&o, 0, sizeof(o));
	o.root = "/";
	o.chart_dir = real + 1;
	o.display_dir = "";
	o.diags = &d;
	o.values_files = (const char *const *)argv + 3;
	o.nvalues_files = (size_t)(argc - 3);
	for (int i = 3; i < argc; i++)
		if (argv[i][0] == '/')
			argv[i]++;
	tm_helm_out *out = NULL;
	int rc = tm_helm_render(&o, &out);
	for (size_t i = 0; out && i < out->count; i++) {
		printf("#### SOURCE: %s%s\n%s\n", out->manifests[i].path, out->manifests[i].test_hook ? " (test hook)" : "",
		       out->manifests[i].text);
		if (getenv("HELM_DIFF_LINES"))
			for (size_t k = 0; k < out->manifests[i].nlines; k++)
				printf("  line %zu <- %s:%u\n", k + 1, out->manifests[i].line_paths[k], out->manifests[i].lines[k]);
	}
	for (size_t k = 0; k < d.count; k++)
		fprintf(stderr, "%s:%u:%u: %s: %s\n", d.items[k].loc.path, d.items[k].loc.line, d.items[k].loc.col,
			tm_level_name(d.items[k].level), d.items[k].msg);
	tm_helm_out_free(out);
	tm_diag_list_dispose(&d);
	return rc < 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "--dump") == 0)
		return dump(argc, argv);
	if (argc < 2 || (argc - 2) % 4) {
		fprintf(stderr, "usage: helm_diff KNOWN_FILE (LABEL CHART_DIR ORACLE_OUT VALUES)...\n");
		return 2;
	}
	size_t kl = 0;
	char *known = slurp(argv[1], &kl);
	int equal = 0, different = 0, bad = 0;
	for (int i = 2; i + 3 < argc; i += 4) {
		const char *label = argv[i];
		char real[PATH_MAX];
		if (!realpath(argv[i + 1], real)) {
			printf("SKIP %s: no such directory\n", label);
			continue;
		}
		size_t ol = 0;
		char *obuf = slurp(argv[i + 2], &ol);
		if (!obuf) {
			printf("SKIP %s: no oracle output\n", label);
			continue;
		}
		static rec recs[4096];
		bool ofailed = false;
		size_t nrec = oracle_records(obuf, recs, 4096, &ofailed);
		tm_diag_list d;
		tm_diag_list_init(&d);
		tm_helm_opts o;
		memset(&o, 0, sizeof(o));
		o.root = "/";
		o.chart_dir = real + 1;
		o.display_dir = "";
		o.diags = &d;
		const char *vf[16];
		size_t nvf = 0;
		char vals[4096];
		snprintf(vals, sizeof(vals), "%s", argv[i + 3]);
		for (char *t = strcmp(vals, "-") ? vals : NULL; t && *t && nvf < 16;) {
			char *colon = strchr(t, ':');
			if (colon)
				*colon = '\0';
			vf[nvf++] = t + (t[0] == '/');
			t = colon ? colon + 1 : NULL;
		}
		o.values_files = vf;
		o.nvalues_files = nvf;
		tm_helm_out *out = NULL;
		int rc = tm_helm_render(&o, &out);
		bool eq = true;
		diffmsg[0] = '\0';
		size_t nerr = tm_diag_count(&d, TM_LEVEL_ERROR);
		if (ofailed) {
			eq = nerr > 0 || rc < 0;
			if (!eq)
				snprintf(diffmsg, sizeof(diffmsg),
					 "oracle failed (%.200s) but native rendered without error%s",
					 strstr(obuf, "ORACLE-ERROR:") + 14,
					 out && out->nrequired ? " (by design: values required and not given "
								 "rendered as the placeholder, docs/helm.md)"
							       : "");
		} else if (rc < 0) {
			eq = false;
			snprintf(diffmsg, sizeof(diffmsg), "native render failed: %s", tm_strerror(rc));
		} else {
			size_t a = 0, b = 0;
			while (eq && (a < out->count || b < nrec)) {
				int c = a >= out->count ? 1 : b >= nrec ? -1 : strcmp(out->manifests[a].path, recs[b].path);
				if (c) {
					eq = false;
					snprintf(diffmsg, sizeof(diffmsg), "%s rendered only by %s",
						 c < 0 ? out->manifests[a].path : recs[b].path, c < 0 ? "native" : "oracle");
					break;
				}
				eq = compare_file(recs[b].path, out->manifests[a].text, out->manifests[a].len, recs[b].text, recs[b].len);
				a++, b++;
			}
		}
		const char *reason = known ? known_reason(known, label) : NULL;
		if (eq) {
			equal++;
			printf("EQUAL %s%s\n", label, ofailed ? " (both fail)" : "");
			if (reason) {
				printf("  listed as different (%s) but now equal: remove it from the list\n", reason);
				bad++;
			}
		} else {
			different++;
			printf("DIFF %s: %s\n", label, diffmsg);
			for (size_t k = 0; k < d.count && k < 5; k++)
				if (d.items[k].level >= TM_LEVEL_WARNING)
					printf("  native %s: %s:%u:%u: %s\n", tm_level_name(d.items[k].level), d.items[k].loc.path,
					       d.items[k].loc.line, d.items[k].loc.col, d.items[k].msg);
			if (reason)
				printf("  known: %s", reason);
			else
				bad++;
			printf("\n");
		}
		tm_helm_out_free(out);
		tm_diag_list_dispose(&d);
		free(obuf);
	}
	printf("%d equal / %d different\n", equal, different);
	free(known);
	return bad ? 1 : 0;
}
