/*
 * fuzz_gotmpl.c - libFuzzer target for the native Helm renderer: Go text/template with Sprig and
 * Helm's built-ins (TM_FUZZ_GOTMPL). The input is a template, optionally followed by a NUL byte
 * and a values.yaml, and by another NUL byte and a chart archive (gzip'ed tar); all are laid out
 * as an in-memory chart (the template as templates/t.yaml and again as templates/_t.tpl, so its
 * defines are shared; the archive as charts/sub.tgz) and rendered with tm_helm_render under
 * small limits. Every manifest and its line map are walked. The same code
 * runs from replay.c under ctest.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "render/fsys.h"
#include "render/helm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const uint8_t *nul = memchr(data, 0, size);
	size_t tl = nul ? (size_t)(nul - data) : size;
	const char *vals = nul ? (const char *)nul + 1 : "";
	size_t vl = nul ? size - tl - 1 : 0;
	const uint8_t *nul2 = nul ? memchr(nul + 1, 0, vl) : NULL;
	const char *arc = nul2 ? (const char *)nul2 + 1 : "";
	size_t al = nul2 ? size - (size_t)(nul2 + 1 - data) : 0;
	if (nul2)
		vl = (size_t)(nul2 - (nul + 1));
	static const char chart[] = "apiVersion: v2\nname: fuzz\nversion: 0.1.0\nappVersion: \"1.0\"\n";
	const char *const files[] = {"Chart.yaml", "values.yaml", "templates/t.yaml", "templates/_t.tpl",
				     "files/a.txt", "charts/sub.tgz"};
	const char *const bodies[] = {chart, vals, text, text, "a\nb\n", arc};
	const size_t lens[] = {sizeof(chart) - 1, vl, tl, tl, 4, al};
	tm_fsys_mem mem = {files, bodies, lens, nul2 ? 6 : 5};
	tm_fsys fs;
	tm_fsys_mem_init(&fs, &mem);

	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_file_bytes = 1 << 20;
	lim.max_nodes = 100000;
	lim.max_alias_expansion = 10000;
	lim.max_depth = 64;
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_helm_opts o;
	memset(&o, 0, sizeof(o));
	o.fs = &fs;
	o.chart_dir = "";
	o.display_dir = "chart";
	o.limits = &lim;
	o.diags = &d;
	tm_helm_out *out = NULL;
	if (tm_helm_render(&o, &out) == 0) {
		size_t n = 0;
		for (size_t i = 0; i < out->count; i++) {
			const tm_helm_manifest *m = &out->manifests[i];
			for (size_t k = 0; k < m->nlines; k++)
				n += m->lines[k] + (m->line_paths[k] ? m->line_paths[k][0] : 0);
			n += m->len;
		}
		for (size_t i = 0; i < out->nconsumed; i++)
			n += strlen(out->consumed[i]);
		(void)n;
	}
	tm_helm_out_free(out);
	tm_diag_list_dispose(&d);
	return 0;
}
