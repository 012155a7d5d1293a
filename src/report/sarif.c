/*
 * sarif.c - SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
 *
 * One run; the rules of the registry as tool.driver.rules (help text, tags
 * with STRIDE and CWE, `security-severity`); one result per finding with a
 * real file and region, `partialFingerprints` from our fingerprint (so GitHub
 * tracks a finding across commits), and the finding's priority and path as
 * properties. GitHub's limits are respected: at most MAX_RESULTS results (the
 * highest priority first, as findings are sorted); when more exist, or a
 * finding has no file to point at, a tool notification says so. Artifact
 * uris are percent-encoded uri-references relative to %SRCROOT%.
 *
 * One severity per reportingDescriptor: code scanning shows a rule's
 * security-severity, not a result's. Every rule has its descriptor at its
 * default severity (id "TM-CTR-004"); a finding ranked up or down by its rule
 * is reported under a descriptor of its own severity ("TM-CTR-004/medium"),
 * written after the registry's rules only when some result uses it. A
 * result's level and security-severity are always its descriptor's.
 */
#include <stdio.h>

#include "report.h"

#define MAX_RESULTS 5000
/* The base of every relative artifact uri: the folder scanned. Its absolute location is left out
 * (originalUriBaseIds says what it is) so the log stays the same on every machine. */
#define SRCROOT "%SRCROOT%"

static const char *level(tm_severity s)
{
	return s >= TM_SEV_HIGH ? "error" : s == TM_SEV_MEDIUM ? "warning" : "note";
}

static const char *security_severity(tm_severity s)
{
	static const char *const v[] = {"0.5", "3.0", "5.5", "8.0", "9.5"};
	return v[s];
}

static void text_obj(tm_jw *w, const char *key, const char *text)
{
	tm_jw_key(w, key);
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "text", text);
	tm_jw_end_obj(w);
}

/* A result's descriptor id: the rule's id at its default severity, else "<id>/<severity>". */
static void descriptor_id(char *buf, size_t size, const tm_rule_info *r, tm_severity sev)
{
	if (sev == r->severity)
		tm_formatf(buf, size, "%s", r->id);
	else
		tm_formatf(buf, size, "%s/%s", r->id, tm_severity_name(sev));
}

static void rule(tm_jw *w, const tm_rule_info *r, tm_severity sev)
{
	char id[64];
	descriptor_id(id, sizeof(id), r, sev);
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "id", id);
	tm_jw_kstr(w, "name", r->id);
	text_obj(w, "shortDescription", r->title);
	text_obj(w, "fullDescription", r->what);
	tm_jw_key(w, "help");
	tm_jw_begin_obj(w);
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_printf(&sb, "%s\n\nWhy it matters: %s\n\nHow to fix: %s\n\nHow to detect: %s", r->what, r->why, r->fix,
			 r->detect);
	tm_jw_kstr(w, "text", sb.data ? sb.data : r->what);
	tm_strbuf_reset(&sb);
	tm_strbuf_printf(&sb, "**%s**\n\n%s\n\n**Why it matters.** %s\n\n**How to fix.** %s\n\n**How to detect.** %s",
			 r->title, r->what, r->why, r->fix, r->detect);
	tm_jw_kstr(w, "markdown", sb.data ? sb.data : r->what);
	tm_strbuf_dispose(&sb);
	tm_jw_end_obj(w);
	tm_jw_key(w, "defaultConfiguration");
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "level", level(sev));
	tm_jw_end_obj(w);
	tm_jw_key(w, "properties");
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "security-severity", security_severity(sev));
	tm_jw_kstr(w, "precision", "medium");
	tm_jw_key(w, "tags");
	tm_jw_begin_arr(w);
	tm_jw_str(w, "security");
	tm_jw_str(w, r->layer);
	for (unsigned b = 0; b < 6; b++)
		if (r->stride & (1u << b))
			tm_jw_str(w, tm_stride_name(b));
	if (r->cwe) {
		char tag[64];
		tm_formatf(tag, sizeof(tag), "external/cwe/%s", r->cwe);
		for (char *p = tag; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		tm_jw_str(w, tag);
	}
	if (r->owasp)
		tm_jw_str(w, r->owasp);
	tm_jw_end_arr(w);
	tm_jw_end_obj(w);
	tm_jw_end_obj(w);
}

static void location(tm_jw *w, tm_loc l)
{
	tm_jw_begin_obj(w);
	tm_jw_key(w, "physicalLocation");
	tm_jw_begin_obj(w);
	tm_jw_key(w, "artifactLocation");
	tm_jw_begin_obj(w);
	/* a uri-reference (RFC 3986), so a space or a '#' in a file name cannot make the log invalid or
	 * point elsewhere: relative paths against the scanned folder (SRCROOT), absolute ones as file: */
	if (l.path[0] == '/') {
		tm_jw_kuri(w, "uri", "file://", l.path);
	} else {
		tm_jw_kuri(w, "uri", NULL, l.path);
		tm_jw_kstr(w, "uriBaseId", SRCROOT);
	}
	tm_jw_end_obj(w);
	tm_jw_key(w, "region");
	tm_jw_begin_obj(w);
	tm_jw_kint(w, "startLine", l.line ? l.line : 1);
	if (l.col)
		tm_jw_kint(w, "startColumn", l.col);
	tm_jw_end_obj(w);
	tm_jw_end_obj(w);
	tm_jw_end_obj(w);
}

static int sarif_write(tm_out *o, const tm_finding *const *list, size_t nlist, const tm_analysis *a,
		       const tm_analysis *const *owners, const tm_variants *v);

/* The primary system's findings, then those only other variants hold (each result says which
 * variants hold it, and its exposure is read in the system it comes from). */
int tm_report__sarif(const tm_wctx *ctx, tm_out *o)
{
	const tm_report__extra *x;
	size_t nx = tm_report__variants_extra(ctx->variants, &x);
	size_t n = tm_findings_count(ctx->findings), all = n + nx;
	const tm_finding **list = all ? tm_malloc(all * sizeof(*list)) : NULL;
	const tm_analysis **owners = all ? tm_malloc(all * sizeof(*owners)) : NULL;
	if (all && (!list || !owners)) {
		tm_free(list);
		tm_free(owners);
		return TM_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		list[i] = tm_findings_at(ctx->findings, i);
		owners[i] = ctx->analysis;
	}
	for (size_t i = 0; i < nx; i++) {
		list[n + i] = x[i].f;
		owners[n + i] = x[i].a;
	}
	int rc = sarif_write(o, list, all, ctx->analysis, owners, ctx->variants);
	tm_free(list);
	tm_free(owners);
	return rc;
}

/* Which descriptors the results need beyond the registry's: used[rule index][severity]. */
typedef bool severity_use[5];

static size_t rule_index_of(const tm_rule_info *r)
{
	size_t i = 0;
	while (i < tm_rule_count() && tm_rule_at(i) != r)
		i++;
	return i;
}

/* The index of a result's descriptor in tool.driver.rules: the registry's rules first, then the
 * extra severities rule by rule, severity by severity. */
static size_t descriptor_index(severity_use *used, const tm_finding *f)
{
	size_t ri = rule_index_of(f->rule);
	if (f->severity == f->rule->severity)
		return ri;
	size_t k = tm_rule_count();
	for (size_t i = 0; i < tm_rule_count(); i++)
		for (int s = 0; s < 5; s++)
			if (used[i][s]) {
				if (i == ri && s == (int)f->severity)
					return k;
				k++;
			}
	return ri; /* not reached: every result's severity was marked */
}

/* tool.driver: trustmap, every rule of the registry, then the severity variants results use. */
static void driver(tm_jw *w, severity_use *used)
{
	tm_jw_key(w, "tool");
	tm_jw_begin_obj(w);
	tm_jw_key(w, "driver");
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "name", "trustmap");
	tm_jw_kstr(w, "version", TM_VERSION);
	tm_jw_kstr(w, "semanticVersion", TM_VERSION);
	tm_jw_key(w, "rules");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_rule_count(); i++)
		rule(w, tm_rule_at(i), tm_rule_at(i)->severity);
	for (size_t i = 0; i < tm_rule_count(); i++)
		for (int s = 0; s < 5; s++)
			if (used[i][s])
				rule(w, tm_rule_at(i), (tm_severity)s);
	tm_jw_end_arr(w);
	tm_jw_end_obj(w);
	tm_jw_end_obj(w);
}

/* accepted, mitigated, false-positive: suppressed by a decision outside the source */
static void suppression(tm_jw *w, const tm_finding *f)
{
	char why[1024];
	tm_formatf(why, sizeof(why), "%s by %s%s%s%s%s (%s)", tm_status_name(f->status), f->accepted_by ? f->accepted_by : "?",
		 f->until ? " until " : "", f->until ? f->until : "", f->why ? ": " : "", f->why ? f->why : "",
		 f->decided_in ? f->decided_in : "trustmap.yaml");
	tm_jw_key(w, "suppressions");
	tm_jw_begin_arr(w);
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "kind", "external");
	tm_jw_kstr(w, "status", "accepted");
	tm_jw_kstr(w, "justification", why);
	tm_jw_end_obj(w);
	tm_jw_end_arr(w);
}

/* A result's properties: severity for GitHub, our priority, path and owner, the subject's exposure. */
static void result_properties(tm_jw *w, const tm_finding *f, const tm_analysis *a, const tm_variants *v)
{
	tm_jw_key(w, "properties");
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "security-severity", security_severity(f->severity));
	tm_jw_kint(w, "priority", f->priority);
	tm_jw_key(w, "path");
	tm_jw_begin_arr(w);
	for (size_t k = 0; f->path && f->path[k]; k++)
		tm_jw_str(w, f->path[k]);
	tm_jw_end_arr(w);
	if (f->owner)
		tm_jw_kstr(w, "owner", f->owner);
	/* the subject's computed exposure, as every other report shows it */
	const char *x = a ? tm_exposure_of(tm_analysis_exposure(a), tm_model_find(tm_analysis_model(a), f->subject)) : NULL;
	if (x)
		tm_jw_kstr(w, "exposure", x);
	const char *const *in = tm_report__variants_of(v, f->fingerprint);
	if (in) {
		tm_jw_key(w, "variants");
		tm_jw_begin_arr(w);
		for (size_t k = 0; in[k]; k++)
			tm_jw_str(w, in[k]);
		tm_jw_end_arr(w);
	}
	tm_jw_end_obj(w);
}

/* One finding that has a file to point at. */
static void result(tm_jw *w, const tm_finding *f, const tm_analysis *a, severity_use *used, const tm_variants *v)
{
	char id[64];
	descriptor_id(id, sizeof(id), f->rule, f->severity);
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "ruleId", id);
	tm_jw_kint(w, "ruleIndex", (int64_t)descriptor_index(used, f));
	tm_jw_kstr(w, "level", level(f->severity));
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_printf(&sb, "%s. %s", f->title, f->action);
	text_obj(w, "message", sb.data ? sb.data : f->title);
	tm_strbuf_dispose(&sb);
	tm_jw_key(w, "locations");
	tm_jw_begin_arr(w);
	location(w, f->evidence[0]);
	tm_jw_end_arr(w);
	if (f->nevidence > 1) {
		tm_jw_key(w, "relatedLocations");
		tm_jw_begin_arr(w);
		for (size_t k = 1; k < f->nevidence; k++)
			if (f->evidence[k].path)
				location(w, f->evidence[k]);
		tm_jw_end_arr(w);
	}
	tm_jw_key(w, "partialFingerprints");
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "trustmap/v1", f->fingerprint);
	tm_jw_end_obj(w);
	if (f->status != TM_STATUS_OPEN)
		suppression(w, f);
	result_properties(w, f, a, v);
	tm_jw_end_obj(w);
}

static void notification(tm_jw *w, const char *level_name, const char *msg)
{
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "level", level_name);
	text_obj(w, "message", msg);
	tm_jw_end_obj(w);
}

/* The run's invocation, with a notification for each kind of finding left out. */
static void invocations(tm_jw *w, size_t capped, size_t unlocated)
{
	tm_jw_key(w, "invocations");
	tm_jw_begin_arr(w);
	tm_jw_begin_obj(w);
	tm_jw_key(w, "executionSuccessful");
	tm_jw_bool(w, true);
	tm_jw_key(w, "toolExecutionNotifications");
	tm_jw_begin_arr(w);
	if (capped) {
		char msg[200];
		tm_formatf(msg, sizeof(msg), "%zu lower-priority findings left out: GitHub accepts at most %d results per run", capped,
			 MAX_RESULTS);
		notification(w, "warning", msg);
	}
	if (unlocated) {
		char msg[200];
		tm_formatf(msg, sizeof(msg), "%zu findings have no file to point at and are only in the JSON report", unlocated);
		notification(w, "note", msg);
	}
	tm_jw_end_arr(w);
	tm_jw_end_obj(w);
	tm_jw_end_arr(w);
}

int tm_report__sarif_findings(tm_out *o, const tm_finding *const *list, size_t nlist, const tm_analysis *a)
{
	return sarif_write(o, list, nlist, a, NULL, NULL);
}

static int sarif_write(tm_out *o, const tm_finding *const *list, size_t nlist, const tm_analysis *a,
		       const tm_analysis *const *owners, const tm_variants *v)
{
	severity_use *used = tm_calloc(tm_rule_count() + 1, sizeof(*used));
	if (!used)
		return TM_ENOMEM;
	for (size_t i = 0; i < nlist; i++)
		if (list[i]->severity != list[i]->rule->severity)
			used[rule_index_of(list[i]->rule)][list[i]->severity] = true;
	tm_jw jw, *w = &jw;
	tm_jw_init(w, o);
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	tm_jw_kstr(w, "version", "2.1.0");
	tm_jw_key(w, "runs");
	tm_jw_begin_arr(w);
	tm_jw_begin_obj(w);
	driver(w, used);
	tm_jw_key(w, "originalUriBaseIds");
	tm_jw_begin_obj(w);
	tm_jw_key(w, SRCROOT);
	tm_jw_begin_obj(w);
	text_obj(w, "description", "The folder trustmap scanned: every relative artifact uri is relative to it.");
	tm_jw_end_obj(w);
	tm_jw_end_obj(w);

	size_t written = 0, unlocated = 0, capped = 0;
	tm_jw_key(w, "results");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < nlist; i++) {
		const tm_finding *f = list[i];
		if (!f->nevidence || !f->evidence[0].path) {
			unlocated++;
			continue;
		}
		if (written == MAX_RESULTS) {
			capped++;
			continue;
		}
		written++;
		result(w, f, owners ? owners[i] : a, used, v);
	}
	tm_jw_end_arr(w);

	invocations(w, capped, unlocated);
	/* the coverage of the live architecture, when runtime maps were read: in the run's property bag */
	const tm_figures *fig = a ? tm_analysis_figures(a) : NULL;
	if (fig && fig->runtime_files) {
		tm_jw_key(w, "properties");
		tm_jw_begin_obj(w);
		tm_report__runtime_json(w, fig, tm_analysis_model(a));
		tm_jw_end_obj(w);
	}
	tm_jw_end_obj(w);
	tm_jw_end_arr(w);
	tm_jw_end_obj(w);
	tm_out_puts(o, "\n");
	tm_free(used);
	return 0;
}
