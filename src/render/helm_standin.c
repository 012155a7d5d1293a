/*
 * helm_standin.c - what stands in for the templates of a dependency declared but not vendored.
 *
 * A chart kept in git rarely carries its dependencies: charts/ is filled by `helm dependency build`,
 * which reaches the network, and trustmap never does. When the missing dependency is a library
 * chart (Bitnami's `common` and the many like it), every template of the chart includes the
 * library's: the names, labels and security contexts of every object. Helm cannot render such a
 * chart at all; trustmap renders it under a stated assumption, with each missing template replaced
 * by what a library of this kind writes, chosen by the template's name and by what it is passed:
 *
 *  - names and labels by Helm's conventions (`helm create`'s scaffold, which libraries follow):
 *    *.fullname, *.name, *.chart, *.namespace, *.labels / *.labels.standard, *.matchLabels /
 *    *.selectorLabels, *.serviceAccountName; an API version by the kind its name says
 *    (*.deployment.apiVersion: apps/v1); an Ingress backend from the service name and port it is
 *    given; a capability test (*.supports*) as true and *.kubeVersion as the values' kubeVersion or
 *    the render's (1.30, which supports what the tests ask); a resource preset (*.resources.preset
 *    given its `type`) as requests and limits set, their values not known ("<small preset>");
 *  - what the caller passed, rendered: a value (`value`, through tpl when it holds a template, as a
 *    values renderer does), the one mapping beside `context` given to a render* template (a
 *    security context, `enabled` left out), several values merged, an image (`imageRoot` or a dict with `repository`: registry,
 *    repository, tag or digest), a secret's name (`existingSecret`, else the release's name) and key;
 *  - anything else (affinities, warnings, validations, generated passwords):
 *    nothing, as a reader of the chart would not know it either.
 *
 * helm.c says which templates stood in, and how, in one note per chart.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/helm_standin.h"

static tm_gv *dget(tm_gv d, const char *k)
{
	return d.k == TM_GV_DICT ? tm_gv_dict_get(d.u.d, k, strlen(k)) : NULL;
}

/* A non-empty string field, or NULL. */
static const char *dstr(tm_gv d, const char *k)
{
	tm_gv *v = dget(d, k);
	return v && v->k == TM_GV_STR && v->u.s.n ? v->u.s.p : NULL;
}

static bool seg_is(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	if (n != l)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)s[i]) != tolower((unsigned char)lit[i]))
			return false;
	return true;
}

static bool seg_starts(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && seg_is(s, l, lit);
}

/* The top-level objects to read names from: dot itself when it is a chart's (include "x" .), its
 * `context` (include "x" (dict ... "context" $)), else the calling template's. */
static tm_gv top_of(tm_gv dot, tm_gv ctx)
{
	if (dget(dot, "Values") && dget(dot, "Chart"))
		return dot;
	tm_gv *c = dget(dot, "context");
	if (c && dget(*c, "Values") && dget(*c, "Chart"))
		return *c;
	return ctx;
}

/* Kubernetes' limit on names, as the scaffold applies it: trunc 63 | trimSuffix "-". */
static void put_name(tm_strbuf *sb, const char *a, const char *b)
{
	char buf[128];
	int len = b ? snprintf(buf, sizeof(buf), "%s-%s", a, b) : snprintf(buf, sizeof(buf), "%s", a);
	size_t n = len < 0 ? 0 : (size_t)len > 63 ? 63 : (size_t)len;
	if (n && buf[n - 1] == '-')
		n--;
	tm_strbuf_put(sb, buf, n);
}

static const char *chart_name(tm_gv top)
{
	tm_gv *vals = dget(top, "Values"), *chart = dget(top, "Chart");
	const char *over = vals ? dstr(*vals, "nameOverride") : NULL;
	const char *cn = chart ? dstr(*chart, "Name") : NULL;
	return over ? over : cn ? cn : "chart";
}

static void put_fullname(tm_strbuf *sb, tm_gv top)
{
	tm_gv *vals = dget(top, "Values"), *rel = dget(top, "Release");
	const char *over = vals ? dstr(*vals, "fullnameOverride") : NULL;
	if (over) {
		put_name(sb, over, NULL);
		return;
	}
	const char *name = chart_name(top);
	const char *rn = rel ? dstr(*rel, "Name") : NULL;
	rn = rn ? rn : "release-name";
	if (strstr(rn, name))
		put_name(sb, rn, NULL);
	else
		put_name(sb, rn, name);
}

static void put_chart_label(tm_strbuf *sb, tm_gv top)
{
	tm_gv *chart = dget(top, "Chart");
	const char *cn = chart ? dstr(*chart, "Name") : NULL, *ver = chart ? dstr(*chart, "Version") : NULL;
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", ver ? ver : "0.0.0");
	for (char *p = buf; *p; p++)
		if (*p == '+')
			*p = '_';
	put_name(sb, cn ? cn : "chart", buf);
}

static void set_label(tm_arena *a, tm_gv d, const char *k, const char *v)
{
	tm_gv_dict_set(a, d.u.d, k, strlen(k), tm_gv_strz(a, v));
}

/* The scaffold's labels: the selector's two (name, instance), and for the standard set also
 * version (the chart's appVersion), managed-by and helm.sh/chart; a caller's customLabels over them. */
static void put_labels(tm_gt_exec *x, tm_strbuf *sb, tm_gv dot, tm_gv top, bool standard)
{
	tm_gv d = tm_gv_dict_new(x->a);
	if (!d.k)
		return;
	tm_gv *rel = dget(top, "Release");
	const char *rn = rel ? dstr(*rel, "Name") : NULL;
	tm_strbuf tmp = TM_STRBUF_INIT;
	set_label(x->a, d, "app.kubernetes.io/name", chart_name(top));
	set_label(x->a, d, "app.kubernetes.io/instance", rn ? rn : "release-name");
	if (standard) {
		tm_gv *chart = dget(top, "Chart");
		const char *av = chart ? dstr(*chart, "AppVersion") : NULL;
		if (av)
			set_label(x->a, d, "app.kubernetes.io/version", av);
		set_label(x->a, d, "app.kubernetes.io/managed-by", "Helm");
		put_chart_label(&tmp, top);
		set_label(x->a, d, "helm.sh/chart", tmp.data ? tmp.data : "chart");
	}
	tm_strbuf_dispose(&tmp);
	tm_gv *custom = dget(dot, "customLabels");
	if (custom && custom->k == TM_GV_DICT)
		for (size_t i = 0; i < custom->u.d->n; i++)
			tm_gv_dict_set(x->a, d.u.d, custom->u.d->key[i], custom->u.d->klen[i], custom->u.d->val[i]);
	tm_gv_to_yaml(sb, d);
}

/* A value as a values renderer writes it: a string as is, anything else as YAML; through tpl with
 * the chart's objects when it holds a template. */
static int put_value(tm_gt_exec *x, tm_strbuf *sb, tm_gv v, tm_gv top)
{
	if (v.k == TM_GV_NIL)
		return 0;
	tm_strbuf t = TM_STRBUF_INIT;
	if (v.k == TM_GV_STR)
		tm_strbuf_put(&t, v.u.s.p, v.u.s.n);
	else
		tm_gv_to_yaml(&t, v);
	int rc = 0;
	if (t.data && strstr(t.data, "{{"))
		rc = tm_gt__tpl(x, t.data, t.len, top, sb);
	else if (t.len)
		tm_strbuf_put(sb, t.data, t.len);
	tm_strbuf_dispose(&t);
	return rc;
}

/* The one entry of dot beside `context` (and `scope`), or NULL. */
static tm_gv *single_value(tm_gv dot)
{
	if (dot.k != TM_GV_DICT)
		return NULL;
	tm_gv *found = NULL;
	for (size_t i = 0; i < dot.u.d->n; i++) {
		const char *k = dot.u.d->key[i];
		if (strcmp(k, "context") == 0 || strcmp(k, "scope") == 0)
			continue;
		if (found)
			return NULL;
		found = &dot.u.d->val[i];
	}
	return found;
}

static tm_gv without_enabled(tm_arena *a, tm_gv v)
{
	if (v.k != TM_GV_DICT || !tm_gv_dict_get(v.u.d, "enabled", 7))
		return v;
	tm_gv c = tm_gv_dict_new(a);
	if (!c.k)
		return v;
	for (size_t i = 0; i < v.u.d->n; i++)
		if (strcmp(v.u.d->key[i], "enabled") != 0)
			tm_gv_dict_set(a, c.u.d, v.u.d->key[i], v.u.d->klen[i], v.u.d->val[i]);
	return c;
}

/* [registry/]repository, then @digest or :tag; a global image registry over the image's own. */
static bool put_image(tm_strbuf *sb, tm_gv dot)
{
	tm_gv *root = dget(dot, "imageRoot");
	tm_gv r = root ? *root : dot;
	const char *repo = dstr(r, "repository");
	if (!repo)
		return false;
	tm_gv *global = dget(dot, "global");
	const char *reg = global ? dstr(*global, "imageRegistry") : NULL;
	reg = reg ? reg : dstr(r, "registry");
	if (reg)
		tm_strbuf_printf(sb, "%s/", reg);
	tm_strbuf_puts(sb, repo);
	const char *digest = dstr(r, "digest");
	tm_gv *tag = dget(r, "tag");
	if (digest)
		tm_strbuf_printf(sb, "@%s", digest);
	else if (tag && tag->k != TM_GV_NIL && !(tag->k == TM_GV_STR && !tag->u.s.n)) {
		tm_strbuf_putc(sb, ':');
		tm_gv_print(sb, *tag);
	}
	return true;
}

/* networking.k8s.io/v1's backend: service name and port (a number or a port's name). */
static void put_backend(tm_gt_exec *x, tm_strbuf *sb, tm_gv name, tm_gv port)
{
	tm_gv svc = tm_gv_dict_new(x->a), p = tm_gv_dict_new(x->a), top = tm_gv_dict_new(x->a);
	if (!svc.k || !p.k || !top.k)
		return;
	bool num = port.k == TM_GV_INT || port.k == TM_GV_FLOAT;
	tm_gv_dict_set(x->a, p.u.d, num ? "number" : "name", num ? 6 : 4, port);
	tm_gv_dict_set(x->a, svc.u.d, "name", 4, name);
	tm_gv_dict_set(x->a, svc.u.d, "port", 4, p);
	tm_gv_dict_set(x->a, top.u.d, "service", 7, svc);
	tm_gv_to_yaml(sb, top);
}

/* The stable API version of the kind a capability template is named after. */
static const char *api_version(const char *kind, size_t n)
{
	static const struct {
		const char *kind, *version;
	} table[] = {
		{"deployment", "apps/v1"}, {"statefulset", "apps/v1"}, {"daemonset", "apps/v1"},
		{"replicaset", "apps/v1"}, {"ingress", "networking.k8s.io/v1"},
		{"networkPolicy", "networking.k8s.io/v1"}, {"cronjob", "batch/v1"}, {"job", "batch/v1"},
		{"hpa", "autoscaling/v2"}, {"pdb", "policy/v1"}, {"policy", "policy/v1"},
		{"rbac", "rbac.authorization.k8s.io/v1"}, {"crd", "apiextensions.k8s.io/v1"},
		{"apiService", "apiregistration.k8s.io/v1"}, {"vpa", "autoscaling.k8s.io/v1"},
		{"service", "v1"}, {"configmap", "v1"}, {"secret", "v1"}, {"pod", "v1"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(table); i++)
		if (seg_is(kind, n, table[i].kind))
			return table[i].version;
	return NULL;
}

int tm_helm__stand_in(tm_gt_exec *x, const char *name, size_t n, tm_gv dot, tm_gv ctx, tm_strbuf *sb,
		      bool *reads_ns)
{
	/* the last two dotted segments of the name */
	const char *end = name + n, *dot1 = NULL, *dot2 = NULL;
	for (const char *p = name; p < end; p++)
		if (*p == '.') {
			dot2 = dot1;
			dot1 = p;
		}
	const char *last = dot1 ? dot1 + 1 : name, *prev = dot2 ? dot2 + 1 : name;
	size_t ln = (size_t)(end - last), pn = dot1 ? (size_t)(dot1 - prev) : 0;
	tm_gv top = top_of(dot, ctx);

	/* a dependency's full name (Bitnami's common.names.dependency.fullname: chartName and its
	 * chartValues passed): <release>-<nameOverride or chartName>, or its fullnameOverride */
	const char *dep = dstr(dot, "chartName");
	if (seg_is(last, ln, "fullname") && dep && *dep) {
		tm_gv *cv = dget(dot, "chartValues"), *rel = dget(top, "Release");
		const char *fo = cv ? dstr(*cv, "fullnameOverride") : NULL, *no = cv ? dstr(*cv, "nameOverride") : NULL;
		const char *rn = rel ? dstr(*rel, "Name") : NULL;
		if (fo && *fo)
			put_name(sb, fo, NULL);
		else
			put_name(sb, rn ? rn : "release-name", no && *no ? no : dep);
		return TM_HELM_SI_GIVEN;
	}
	if (seg_is(last, ln, "fullname")) {
		put_fullname(sb, top);
		return TM_HELM_SI_CONVENTION;
	}
	if (seg_is(last, ln, "name") && seg_is(prev, pn, "secrets")) {
		tm_gv *es = dget(dot, "existingSecret");
		if (es && es->k == TM_GV_STR && es->u.s.n)
			return put_value(x, sb, *es, top) < 0 ? -1 : TM_HELM_SI_GIVEN;
		put_fullname(sb, top);
		const char *suffix = dstr(dot, "defaultNameSuffix");
		if (suffix)
			tm_strbuf_printf(sb, "-%s", suffix);
		return TM_HELM_SI_GIVEN;
	}
	if (seg_is(last, ln, "key") && seg_is(prev, pn, "secrets")) {
		const char *k = dstr(dot, "key");
		if (k)
			tm_strbuf_puts(sb, k);
		return k ? TM_HELM_SI_GIVEN : TM_HELM_SI_NOTHING;
	}
	if (seg_is(last, ln, "name")) {
		put_name(sb, chart_name(top), NULL);
		return TM_HELM_SI_CONVENTION;
	}
	if (seg_is(last, ln, "chart")) {
		put_chart_label(sb, top);
		return TM_HELM_SI_CONVENTION;
	}
	if (seg_is(last, ln, "namespace")) {
		tm_gv *vals = dget(top, "Values"), *rel = dget(top, "Release");
		const char *over = vals ? dstr(*vals, "namespaceOverride") : NULL;
		const char *ns = over ? over : rel ? dstr(*rel, "Namespace") : NULL;
		if (!over)
			*reads_ns = true;
		tm_strbuf_puts(sb, ns ? ns : "default");
		return TM_HELM_SI_CONVENTION;
	}
	if (seg_is(last, ln, "matchLabels") || seg_is(last, ln, "selectorLabels")) {
		put_labels(x, sb, dot, top, false);
		return TM_HELM_SI_CONVENTION;
	}
	if (seg_is(last, ln, "labels") || (seg_is(last, ln, "standard") && seg_is(prev, pn, "labels"))) {
		put_labels(x, sb, dot, top, true);
		return TM_HELM_SI_CONVENTION;
	}
	if (seg_is(last, ln, "serviceAccountName")) {
		tm_gv *vals = dget(top, "Values");
		tm_gv *sa = vals ? dget(*vals, "serviceAccount") : NULL;
		tm_gv *create = sa ? dget(*sa, "create") : NULL;
		const char *sn = sa ? dstr(*sa, "name") : NULL;
		if (sn)
			tm_strbuf_puts(sb, sn);
		else if (create && tm_gv_truth(*create))
			put_fullname(sb, top);
		else
			tm_strbuf_puts(sb, "default");
		return TM_HELM_SI_CONVENTION;
	}
	if (seg_is(last, ln, "apiVersion")) {
		const char *v = dot1 && pn ? api_version(prev, pn) : NULL;
		if (!v)
			return TM_HELM_SI_NOTHING;
		tm_strbuf_puts(sb, v);
		return TM_HELM_SI_CONVENTION;
	}
	const char *preset = dstr(dot, "type");
	if (seg_is(last, ln, "preset") && seg_is(prev, pn, "resources") && preset) {
		/* requests and limits chosen by the preset's name: set, their values not known */
		static const char *const parts[] = {"limits", "requests"};
		for (size_t i = 0; i < TM_ARRAY_LEN(parts); i++)
			tm_strbuf_printf(sb, "%s%s:\n  cpu: \"<%s preset>\"\n  memory: \"<%s preset>\"", i ? "\n" : "", parts[i],
					 preset, preset);
		return TM_HELM_SI_CONVENTION;
	}
	if (seg_is(last, ln, "kubeVersion")) {
		tm_gv *vals = dget(top, "Values"), *caps = dget(top, "Capabilities");
		tm_gv *global = vals ? dget(*vals, "global") : NULL;
		const char *v = global ? dstr(*global, "kubeVersion") : NULL;
		v = v ? v : vals ? dstr(*vals, "kubeVersion") : NULL;
		tm_gv *kv = caps ? dget(*caps, "KubeVersion") : NULL;
		if (!v && kv && kv->k == TM_GV_OBJ && kv->u.o->str)
			v = kv->u.o->str;
		tm_strbuf_puts(sb, v ? v : "v1.30.0");
		return TM_HELM_SI_CONVENTION;
	}
	if (seg_starts(last, ln, "supports")) {
		tm_strbuf_puts(sb, "true");
		return TM_HELM_SI_CONVENTION;
	}
	tm_gv *sn = dget(dot, "serviceName"), *sp = dget(dot, "servicePort");
	if (seg_is(last, ln, "backend") && sn && sp) {
		put_backend(x, sb, *sn, *sp);
		return TM_HELM_SI_CONVENTION;
	}
	if (put_image(sb, dot))
		return TM_HELM_SI_GIVEN;
	tm_gv *values = dget(dot, "values");
	if (seg_is(last, ln, "merge") && values && values->k == TM_GV_LIST) {
		/* the first value's keys win, as sprig's merge onto an accumulating dict */
		tm_gv m = tm_gv_dict_new(x->a);
		for (size_t i = 0; m.k && i < values->u.l->n; i++) {
			tm_gv it = values->u.l->it[i];
			for (size_t k = 0; it.k == TM_GV_DICT && k < it.u.d->n; k++)
				if (!tm_gv_dict_get(m.u.d, it.u.d->key[k], it.u.d->klen[k]))
					tm_gv_dict_set(x->a, m.u.d, it.u.d->key[k], it.u.d->klen[k], it.u.d->val[k]);
		}
		return put_value(x, sb, m, top) < 0 ? -1 : TM_HELM_SI_GIVEN;
	}
	tm_gv *value = dget(dot, "value");
	if (value && (dget(dot, "context") || seg_starts(last, ln, "render")))
		return put_value(x, sb, *value, top) < 0 ? -1 : TM_HELM_SI_GIVEN;
	tm_gv *one = seg_starts(last, ln, "render") && dget(dot, "context") ? single_value(dot) : NULL;
	if (one && one->k == TM_GV_DICT) /* a settings block (a security context); a list is not known */
		return put_value(x, sb, without_enabled(x->a, *one), top) < 0 ? -1 : TM_HELM_SI_GIVEN;
	return TM_HELM_SI_NOTHING;
}
