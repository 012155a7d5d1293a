/*
 * kustomize_helm.c - helmCharts: the charts a kustomization inflates (kustomize build --enable-helm),
 * rendered by the native Helm renderer (render/helm.h) when the chart is in the tree.
 *
 * As kustomize's HelmChartInflationGenerator does: the chart is {chartHome}/{name} (chartHome from
 * helmGlobals, "charts" by default, relative to the kustomization; with a version, kustomize 5's
 * {chartHome}/{name}-{version}/{name} first); it is rendered as `helm template [releaseName]
 * --namespace namespace` with valuesFile laid over the chart's values (the chart's own
 * values.yaml by default) after valuesInline is merged into it by valuesMerge ("override": the
 * inline values win; "merge": the file's win; "replace": the inline values alone), then each
 * additionalValuesFiles. The manifests join the kustomization's resources (a generator's output)
 * and every transformer after applies to them. A chart not in the tree is pulled from its repo by
 * kustomize, which is never done here: a warning at the entry says so.
 */
#include <stdlib.h>

#include "render/helm.h"
#include "render/kustomize_int.h"

/* The chart's directory for entry (tree-relative), or NULL when the tree holds none. */
static const char *chart_dir(kfile *kf, const char *home, const char *name, const char *version)
{
	kctx *k = kf->k;
	tm_strbuf sb = TM_STRBUF_INIT, cy = TM_STRBUF_INIT;
	const char *found = NULL;
	for (int pass = version ? 0 : 1; pass < 2 && !found; pass++) {
		char rel[512];
		if (pass == 0)
			tm_formatf(rel, sizeof(rel), "%s/%s-%s/%s", home, name, version, name);
		else
			tm_formatf(rel, sizeof(rel), "%s/%s", home, name);
		tm_strbuf_reset(&sb);
		tm_strbuf_reset(&cy);
		if (tm_fsys_join(&sb, kf->dir, rel) || tm_fsys_join(&cy, sb.data, "Chart.yaml"))
			continue;
		if (k->o->fs->kind(k->o->fs, cy.data) == TM_FSYS_FILE)
			found = tm_arena_strdup(k->out->arena, sb.data);
	}
	if (sb.oom || cy.oom)
		k->fatal = TM_ENOMEM;
	tm_strbuf_dispose(&sb);
	tm_strbuf_dispose(&cy);
	return found;
}

/* The values map of a file the entry names (relative to the kustomization), or NULL. */
static const tm_value *values_of(kfile *kf, const char *rel, const tm_value *at)
{
	tm_file *f = tm_kust__read_local(kf, rel, at);
	const tm_value *v = f && tm_file_doc_count(f) ? tm_file_doc(f, 0) : NULL;
	return tm_value_kind_of(v) == TM_VALUE_MAP ? v : NULL;
}

/* One rendered manifest into the resources, located at its template lines. */
static void add_manifest(kfile *kf, kresv *rs, const tm_helm_manifest *m)
{
	kctx *k = kf->k;
	tm_file *f = NULL;
	int rc = tm_helm_manifest_parse(&f, m, &k->lim, k->diags, k->out->arena);
	if (rc == TM_ENOMEM) {
		k->fatal = TM_ENOMEM;
		return;
	}
	if (rc || !f)
		return;
	if (tm_file_adopt(k->out, f)) {
		k->fatal = TM_ENOMEM;
		return;
	}
	for (size_t i = 0; i < tm_file_doc_count(f) && !k->fatal; i++) {
		tm_value *doc = tm_file_doc_mut(f, i);
		if (doc)
			tm_kust__add_res(k, rs, doc, f);
	}
}

/* One helmCharts entry. */
static void inflate(kfile *kf, kresv *rs, const tm_value *e, const char *home)
{
	kctx *k = kf->k;
	tm_loc at = tm_kust__loc(kf, e);
	const char *name = tm_map_get_str(e, "name"), *version = tm_map_get_str(e, "version");
	if (tm_value_kind_of(e) != TM_VALUE_MAP || !name || !*name) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, at, "helmCharts: an entry without a chart name");
		return;
	}
	const char *dir = chart_dir(kf, home, name, version);
	if (!dir) {
		const char *repo = tm_map_get_str(e, "repo");
		tm_kust__diag(k, TM_LEVEL_WARNING, TM_EUNSUPPORTED, at,
		              "helmCharts: chart %s is not in %s under this kustomization%s%s: not inflated "
		              "(kustomize pulls it, which is never done here; vendor it there, or scan the chart)",
		              name, home, repo ? "; its repo is " : "", repo ? repo : "");
		return;
	}
	/* the values, as kustomize assembles its one values file, then the additional ones */
	const tm_value *docs[64];
	size_t ndocs = 0;
	const char *merge = tm_map_get_str(e, "valuesMerge");
	const tm_value *inl = tm_map_get(e, "valuesInline"), *vf = tm_map_get(e, "valuesFile");
	const char *vfile = tm_scalar_str(vf, NULL);
	const tm_value *file_values = vfile ? values_of(kf, vfile, vf) : NULL;
	bool inline_map = tm_value_kind_of(inl) == TM_VALUE_MAP && tm_value_len(inl);
	if (merge && strcmp(merge, "override") && strcmp(merge, "merge") && strcmp(merge, "replace")) {
		tm_kust__diag(k, TM_LEVEL_ERROR, TM_EINVALID, tm_kust__loc(kf, tm_map_get(e, "valuesMerge")),
		              "helmCharts: valuesMerge must be merge, override or replace; taken as override");
		merge = "override";
	}
	if (inline_map && merge && strcmp(merge, "replace") == 0) {
		docs[ndocs++] = inl;
	} else if (inline_map && merge && strcmp(merge, "merge") == 0) {
		docs[ndocs++] = inl;
		if (file_values)
			docs[ndocs++] = file_values;
	} else {
		if (file_values)
			docs[ndocs++] = file_values;
		if (inline_map)
			docs[ndocs++] = inl;
	}
	const tm_value *more = tm_map_get(e, "additionalValuesFiles");
	for (size_t i = 0; tm_value_kind_of(more) == TM_VALUE_SEQ && i < tm_value_len(more) && ndocs < TM_ARRAY_LEN(docs); i++) {
		const char *p = tm_scalar_str(tm_seq_at(more, i), NULL);
		const tm_value *v = p ? values_of(kf, p, tm_seq_at(more, i)) : NULL;
		if (v)
			docs[ndocs++] = v;
	}
	tm_helm_opts o = {.fs = k->o->fs, .chart_dir = dir, .display_dir = dir, .values_docs = docs, .nvalues_docs = ndocs,
			  .release_name = tm_map_get_str(e, "releaseName"), .release_namespace = tm_map_get_str(e, "namespace"),
			  .limits = &k->lim, .diags = k->diags};
	tm_helm_out *out = NULL;
	int rc = tm_helm_render(&o, &out);
	if (rc == TM_ENOMEM)
		k->fatal = TM_ENOMEM;
	if (rc)
		return;
	if (out->nrequired) { /* said at the entry, where the values are given */
		static const char advice[] = "; give them in this entry's valuesInline or valuesFile";
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_strbuf_printf(&sb, "helmCharts: chart %s requires values not given: ", name);
		tm_helm_required_note(&sb, out, dir, TM_DIAG_MSG_MAX - (sizeof(advice) - 1));
		tm_strbuf_puts(&sb, advice);
		if (sb.oom)
			k->fatal = TM_ENOMEM;
		else
			tm_kust__diag(k, TM_LEVEL_NOTE, 0, at, "%s", sb.data);
		tm_strbuf_dispose(&sb);
	}
	for (size_t i = 0; i < out->nconsumed; i++)
		tm_kust__consumed(k, out->consumed[i]);
	for (size_t i = 0; i < out->count && !k->fatal; i++)
		if (!out->manifests[i].test_hook)
			add_manifest(kf, rs, &out->manifests[i]);
	tm_helm_out_free(out);
}

void tm_kust__helm_charts(kfile *kf, kresv *rs)
{
	const tm_value *charts = tm_map_get(kf->root, "helmCharts");
	const char *home = tm_map_get_str(tm_map_get(kf->root, "helmGlobals"), "chartHome");
	for (size_t i = 0; tm_value_kind_of(charts) == TM_VALUE_SEQ && i < tm_value_len(charts) && !kf->k->fatal; i++)
		inflate(kf, rs, tm_seq_at(charts, i), home && *home ? home : "charts");
}
