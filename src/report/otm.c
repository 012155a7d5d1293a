/*
 * otm.c - Open Threat Model (OTM) 0.2.0 JSON, for other threat-modeling tools (IriusRisk,
 * StartLeft, and whatever reads OTM). The mapping, both ways, is in docs/otm.md:
 *
 *   boundaries -> trustZones    id and name kept; type = boundary kind; trustRating from the
 *                               kind (internet low, cluster and namespace high); nested by parent
 *   nodes      -> components    id = node id; type = node kind; parent = the boundary's zone (an
 *                               endpoint sits inside its service's component); attributes carry
 *                               trustmap.id/kind/boundary/evidence and the node's attributes as text;
 *                               each evidence place is a "code" representation element (file, line)
 *   edges      -> dataflows     between exported components; tags name the kind, authn and authz
 *   findings   -> threats       id = fingerprint; referenced from the subject's component with a
 *                               state from the finding's status; the action is a mitigation
 *   overlay assets -> assets    confidentiality from the classification
 *
 * Reserved attribute keys start with "trustmap." so an import can tell them from a node's own.
 * Attribute values are strings, as the OTM README's Map[string, string] says. Everything is
 * written in the model's sorted order and the findings' order, so the bytes are deterministic.
 */
#include <stdio.h>

#include "report.h"

#define OTM_VERSION "0.2.0"
#define SOURCES_ID "trustmap-sources"
#define UNZONED_ID "trustmap:unzoned"

/* How trustworthy a zone is, 0..100: the more reachable, the less trusted. */
static int trust_rating(tm_boundary_kind k)
{
	switch (k) {
	case TM_BOUNDARY_INTERNET: return 10;
	case TM_BOUNDARY_PARTNER: return 30;
	case TM_BOUNDARY_CI: return 50;
	case TM_BOUNDARY_CLOUD_ACCOUNT: return 70;
	case TM_BOUNDARY_CLUSTER: return 80;
	case TM_BOUNDARY_NAMESPACE: return 90;
	default: return 50;
	}
}

static const char *const stride_titles[] = {"Spoofing", "Tampering", "Repudiation", "Information Disclosure",
					    "Denial of Service", "Elevation of Privilege"};

/* Impact 0..100 from the severity. */
static int impact_of(tm_severity s)
{
	static const int v[] = {5, 25, 50, 80, 100};
	return (unsigned)s < TM_ARRAY_LEN(v) ? v[s] : 50;
}

/* How much doing the action lowers the risk, 0..100, by action type. */
static int risk_reduction(tm_action_type a)
{
	switch (a) {
	case TM_ACTION_DESIGN_CHANGE: return 90;
	case TM_ACTION_PLATFORM_GUARDRAIL: return 80;
	case TM_ACTION_RELEASE_GATE: return 60;
	case TM_ACTION_DETECTION: return 30;
	case TM_ACTION_ACCEPTED_RISK: return 0;
	}
	return 50;
}

/* The threat instance's state and its mitigation's state, from the finding's status. */
static void states(const tm_finding *f, const char **threat, const char **mitigation)
{
	static const char *const by_status[TM_STATUS__COUNT][2] = {
		[TM_STATUS_OPEN] = {"EXPOSED", "REQUIRED"},
		[TM_STATUS_ACCEPTED] = {"ACCEPTED", "REJECTED"},
		[TM_STATUS_MITIGATED] = {"MITIGATED", "IMPLEMENTED"},
		[TM_STATUS_FALSE_POSITIVE] = {"NOT_APPLICABLE", "NOT_APPLICABLE"},
	};
	unsigned st = (unsigned)f->status < TM_STATUS__COUNT ? (unsigned)f->status : TM_STATUS_OPEN;
	*threat = by_status[st][0];
	*mitigation = by_status[st][1];
}

static void loc_text(tm_strbuf *sb, tm_loc l)
{
	tm_strbuf_puts(sb, l.path ? l.path : "?");
	if (l.line)
		tm_strbuf_printf(sb, ":%u:%u", (unsigned)l.line, (unsigned)l.col);
	else if (l.pointer)
		tm_strbuf_printf(sb, "#%s", l.pointer);
}

typedef struct {
	tm_jw *w;
	const tm_model *m;
	tm_strbuf sb; /* scratch for composed strings */
	int err;
} otm;

/* The composed scratch string (never NULL). */
static const char *sbs(otm *c)
{
	if (c->sb.oom)
		c->err = TM_ENOMEM;
	return c->sb.data ? c->sb.data : "";
}

static void kv(otm *c, const char *key, const char *value)
{
	tm_jw_kstr(c->w, key, value ? value : "");
}

/* An attribute's value as text: lists joined with ", ". */
static const char *attr_text(otm *c, const tm_attr *a)
{
	tm_strbuf_reset(&c->sb);
	switch (a->type) {
	case TM_ATTR_STR: tm_strbuf_puts(&c->sb, a->str ? a->str : ""); break;
	case TM_ATTR_BOOL: tm_strbuf_puts(&c->sb, a->num ? "true" : "false"); break;
	case TM_ATTR_INT: tm_strbuf_printf(&c->sb, "%lld", (long long)a->num); break;
	case TM_ATTR_LIST:
		for (const char *const *s = a->list; s && *s; s++)
			tm_strbuf_printf(&c->sb, "%s%s", s == a->list ? "" : ", ", *s);
		break;
	}
	return sbs(c);
}

/*
 * A node's or edge's own attributes. An attribute an earlier OTM import kept as "otm:KEY" is
 * written back as KEY (unless KEY itself exists), so export, import, export keeps the names.
 */
static void own_attrs(otm *c, size_t n, const tm_attr *(*get)(const void *, size_t), const void *obj)
{
	for (size_t i = 0; i < n; i++) {
		const tm_attr *a = get(obj, i);
		const char *key = a->key;
		if (strncmp(key, "otm:", 4) == 0 && key[4]) {
			bool shadowed = false;
			for (size_t k = 0; k < n && !shadowed; k++)
				shadowed = strcmp(get(obj, k)->key, key + 4) == 0;
			if (shadowed)
				continue;
			key += 4;
		}
		if (strncmp(key, "trustmap.", 9) == 0 || strcmp(key, "otm_id") == 0 || strcmp(key, "otm_name") == 0)
			continue; /* reserved for what this writer says itself, or written as the id and name */
		kv(c, key, attr_text(c, a));
	}
}

static const tm_attr *node_attr(const void *n, size_t i) { return tm_node_attr(n, i); }
static const tm_attr *edge_attr(const void *e, size_t i) { return tm_edge_attr(e, i); }

static bool zone_exists(const tm_model *m, const char *id)
{
	for (size_t i = 0; id && i < tm_model_boundary_count(m); i++)
		if (strcmp(tm_boundary_id(tm_model_boundary(m, i)), id) == 0)
			return true;
	return false;
}

/* The zone a node's component sits in: its boundary, or the catch-all zone. */
static const char *zone_of(const tm_model *m, const tm_node *n)
{
	const char *b = tm_node_boundary(n);
	return zone_exists(m, b) ? b : UNZONED_ID;
}

/* An endpoint is drawn inside its service: the node named by its "service" attribute. */
static const tm_node *parent_component(const tm_model *m, const tm_node *n)
{
	if (tm_node_kind_of(n) != TM_NODE_ENDPOINT)
		return NULL;
	const char *svc = tm_node_attr_str(n, "service");
	const tm_node *p = svc ? tm_model_find(m, svc) : NULL;
	return p && p != n && tm_node_kind_of(p) != TM_NODE_ENDPOINT ? p : NULL;
}

static void project(otm *c, const tm_wctx *ctx)
{
	tm_jw *w = c->w;
	const char *name = ctx->title && *ctx->title ? ctx->title : "system";
	tm_jw_key(w, "project");
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "name", name);
	/* a slug of the name: lowercase letters, digits and dashes */
	tm_strbuf_reset(&c->sb);
	bool dash = false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
			if (dash && c->sb.len)
				tm_strbuf_putc(&c->sb, '-');
			tm_strbuf_putc(&c->sb, (char)*p);
			dash = false;
		} else if (*p >= 'A' && *p <= 'Z') {
			if (dash && c->sb.len)
				tm_strbuf_putc(&c->sb, '-');
			tm_strbuf_putc(&c->sb, (char)(*p - 'A' + 'a'));
			dash = false;
		} else {
			dash = true;
		}
	}
	tm_jw_kstr(w, "id", c->sb.len ? sbs(c) : "system");
	size_t files = tm_scan_input_count(ctx->scan);
	tm_strbuf_reset(&c->sb);
	tm_strbuf_printf(&c->sb, "Threat model of %s, generated by trustmap %s from %zu input file%s.", name, TM_VERSION,
			 files, files == 1 ? "" : "s");
	tm_jw_kstr(w, "description", sbs(c));
	tm_jw_key(w, "tags");
	tm_jw_begin_arr(w);
	tm_jw_str(w, "trustmap");
	tm_jw_end_arr(w);
	tm_jw_key(w, "attributes");
	tm_jw_begin_obj(w);
	tm_strbuf_reset(&c->sb);
	tm_strbuf_printf(&c->sb, "trustmap %s", TM_VERSION);
	kv(c, "generator", sbs(c));
	tm_jw_end_obj(w);
	tm_jw_end_obj(w);
}

static void representations(otm *c)
{
	tm_jw *w = c->w;
	tm_jw_key(w, "representations");
	tm_jw_begin_arr(w);
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "name", "Source files");
	tm_jw_kstr(w, "id", SOURCES_ID);
	tm_jw_kstr(w, "type", "code");
	tm_jw_kstr(w, "description", "The files trustmap read: each component points at the lines it was built from.");
	tm_jw_end_obj(w);
	tm_jw_end_arr(w);
}

static int class_confidentiality(const char *cls)
{
	if (!cls)
		return 50;
	if (strcmp(cls, "public") == 0)
		return 0;
	if (strcmp(cls, "internal") == 0)
		return 30;
	if (strcmp(cls, "confidential") == 0)
		return 70;
	if (strcmp(cls, "restricted") == 0)
		return 100;
	return 50;
}

/* Asset ids: "asset:NAME". Written once per name. */
static void assets(otm *c)
{
	tm_jw *w = c->w;
	const tm_model *m = c->m;
	tm_jw_key(w, "assets");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_model_asset_count(m); i++) {
		const tm_asset *a = tm_model_asset(m, i);
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(tm_model_asset(m, k)->name, a->name) == 0;
		if (seen)
			continue;
		tm_jw_begin_obj(w);
		tm_strbuf_reset(&c->sb);
		tm_strbuf_printf(&c->sb, "asset:%s", a->name);
		tm_jw_kstr(w, "id", sbs(c));
		tm_jw_kstr(w, "name", a->name);
		tm_strbuf_reset(&c->sb);
		tm_strbuf_printf(&c->sb, "Classified %s", a->classification ? a->classification : "unknown");
		for (size_t d = 0; a->data && a->data[d]; d++)
			tm_strbuf_printf(&c->sb, "%s%s", d ? ", " : "; holds ", a->data[d]);
		tm_strbuf_puts(&c->sb, ".");
		tm_jw_kstr(w, "description", sbs(c));
		tm_jw_key(w, "risk");
		tm_jw_begin_obj(w);
		tm_jw_kint(w, "confidentiality", class_confidentiality(a->classification));
		tm_jw_kint(w, "integrity", 50);
		tm_jw_kint(w, "availability", 50);
		tm_jw_kstr(w, "comment", "confidentiality from the classification in trustmap.yaml; integrity and "
					 "availability are not known to trustmap (50 stands for unknown)");
		tm_jw_end_obj(w);
		tm_jw_key(w, "attributes");
		tm_jw_begin_obj(w);
		kv(c, "trustmap.classification", a->classification);
		tm_strbuf_reset(&c->sb);
		for (size_t d = 0; a->data && a->data[d]; d++)
			tm_strbuf_printf(&c->sb, "%s%s", d ? ", " : "", a->data[d]);
		kv(c, "trustmap.data", sbs(c));
		tm_strbuf_reset(&c->sb);
		loc_text(&c->sb, a->loc);
		kv(c, "trustmap.evidence", sbs(c));
		tm_jw_end_obj(w);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
}

static void trust_zones(otm *c, bool unzoned)
{
	tm_jw *w = c->w;
	const tm_model *m = c->m;
	tm_jw_key(w, "trustZones");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_model_boundary_count(m); i++) {
		const tm_boundary *b = tm_model_boundary(m, i);
		const char *kind = tm_boundary_kind_name(tm_boundary_kind_of(b));
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "id", tm_boundary_id(b));
		tm_jw_kstr(w, "name", tm_boundary_name(b) ? tm_boundary_name(b) : tm_boundary_id(b));
		tm_jw_kstr(w, "type", kind);
		tm_jw_key(w, "risk");
		tm_jw_begin_obj(w);
		tm_jw_kint(w, "trustRating", trust_rating(tm_boundary_kind_of(b)));
		tm_jw_end_obj(w);
		const char *parent = tm_boundary_parent(b);
		if (parent && zone_exists(m, parent) && strcmp(parent, tm_boundary_id(b)) != 0) {
			tm_jw_key(w, "parent");
			tm_jw_begin_obj(w);
			tm_jw_kstr(w, "trustZone", parent);
			tm_jw_end_obj(w);
		}
		tm_jw_key(w, "attributes");
		tm_jw_begin_obj(w);
		kv(c, "trustmap.kind", kind);
		tm_jw_end_obj(w);
		tm_jw_end_obj(w);
	}
	if (unzoned) {
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "id", UNZONED_ID);
		tm_jw_kstr(w, "name", "No known trust boundary");
		tm_jw_kstr(w, "description", "Components whose trust boundary the inputs do not say.");
		tm_jw_key(w, "risk");
		tm_jw_begin_obj(w);
		tm_jw_kint(w, "trustRating", 50);
		tm_jw_end_obj(w);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
}

/* Where each finding is attached: its subject's node, else the first node of its path. */
static const tm_node *finding_node(const tm_model *m, const tm_finding *f)
{
	const tm_node *n = f->subject ? tm_model_find(m, f->subject) : NULL;
	for (size_t i = 0; !n && f->path && f->path[i]; i++)
		n = tm_model_find(m, f->path[i]);
	return n;
}

static void mitigation_id(tm_strbuf *sb, const tm_finding *f)
{
	tm_strbuf_reset(sb);
	tm_strbuf_printf(sb, "mitigation:%s", f->fingerprint);
}

static void component(otm *c, const tm_node *n, const tm_findings *fs, const tm_node *const *attached,
		      const bool *first)
{
	tm_jw *w = c->w;
	const tm_model *m = c->m;
	const char *kind = tm_node_kind_name(tm_node_kind_of(n));
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "id", tm_node_id(n));
	tm_jw_kstr(w, "name", tm_node_name(n) ? tm_node_name(n) : tm_node_id(n));
	tm_jw_kstr(w, "type", kind);
	const char *desc = tm_node_attr_str(n, "description");
	if (desc)
		tm_jw_kstr(w, "description", desc);
	tm_jw_key(w, "parent");
	tm_jw_begin_obj(w);
	const tm_node *pc = parent_component(m, n);
	if (pc)
		tm_jw_kstr(w, "component", tm_node_id(pc));
	else
		tm_jw_kstr(w, "trustZone", zone_of(m, n));
	tm_jw_end_obj(w);
	tm_jw_key(w, "tags");
	tm_jw_begin_arr(w);
	tm_jw_str(w, kind);
	const char *ns = tm_node_attr_str(n, "namespace");
	if (ns) {
		tm_strbuf_reset(&c->sb);
		tm_strbuf_printf(&c->sb, "namespace:%s", ns);
		tm_jw_str(w, sbs(c));
	}
	tm_jw_end_arr(w);
	/* each place the component was read from, as a code representation element */
	tm_jw_key(w, "representations");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_node_evidence_count(n); i++) {
		tm_loc l = tm_node_evidence(n, i);
		if (!l.path)
			continue;
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "representation", SOURCES_ID);
		tm_strbuf_reset(&c->sb);
		tm_strbuf_printf(&c->sb, "%s@", tm_node_id(n));
		loc_text(&c->sb, l);
		tm_jw_kstr(w, "id", sbs(c));
		tm_jw_kstr(w, "file", l.path);
		if (l.line)
			tm_jw_kint(w, "line", l.line);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
	const tm_attr *held = tm_node_attr_get(n, "assets");
	if (held && held->type == TM_ATTR_LIST && held->list && held->list[0]) {
		tm_jw_key(w, "assets");
		tm_jw_begin_obj(w);
		tm_jw_key(w, "stored");
		tm_jw_begin_arr(w);
		for (const char *const *s = held->list; *s; s++) {
			tm_strbuf_reset(&c->sb);
			tm_strbuf_printf(&c->sb, "asset:%s", *s);
			tm_jw_str(w, sbs(c));
		}
		tm_jw_end_arr(w);
		tm_jw_end_obj(w);
	}
	tm_jw_key(w, "threats");
	tm_jw_begin_arr(w);
	for (size_t i = 0; i < tm_findings_count(fs); i++) {
		if (attached[i] != n || !first[i])
			continue;
		const tm_finding *f = tm_findings_at(fs, i);
		const char *ts, *ms;
		states(f, &ts, &ms);
		tm_jw_begin_obj(w);
		tm_jw_kstr(w, "threat", f->fingerprint);
		tm_jw_kstr(w, "state", ts);
		tm_jw_key(w, "mitigations");
		tm_jw_begin_arr(w);
		tm_jw_begin_obj(w);
		mitigation_id(&c->sb, f);
		tm_jw_kstr(w, "mitigation", sbs(c));
		tm_jw_kstr(w, "state", ms);
		tm_jw_end_obj(w);
		tm_jw_end_arr(w);
		tm_jw_end_obj(w);
	}
	tm_jw_end_arr(w);
	tm_jw_key(w, "attributes");
	tm_jw_begin_obj(w);
	kv(c, "trustmap.id", tm_node_id(n));
	kv(c, "trustmap.kind", kind);
	kv(c, "trustmap.boundary", tm_node_boundary(n) ? tm_node_boundary(n) : "");
	tm_strbuf_reset(&c->sb);
	for (size_t i = 0; i < tm_node_evidence_count(n); i++) {
		if (i)
			tm_strbuf_puts(&c->sb, ", ");
		loc_text(&c->sb, tm_node_evidence(n, i));
	}
	kv(c, "trustmap.evidence", sbs(c));
	own_attrs(c, tm_node_attr_count(n), node_attr, n);
	tm_jw_end_obj(w);
	tm_jw_end_obj(w);
}

/*
 * A dataflow's id: "flow:KIND:FROM->TO", unique as edges are; a flow read from another tool's OTM
 * file keeps the id it had there (otm_id), unless another flow took it already (ids holds those
 * written).
 */
static void dataflow(otm *c, const tm_edge *e, tm_hmap *ids)
{
	tm_jw *w = c->w;
	const tm_node *from = tm_edge_from(e), *to = tm_edge_to(e);
	const char *kind = tm_edge_kind_name(tm_edge_kind_of(e));
	const char *authn = tm_authn_name(tm_edge_authn(e)), *authz = tm_authz_name(tm_edge_authz(e));
	const char *own_id = tm_edge_attr_str(e, "otm_id"), *own_name = tm_edge_attr_str(e, "otm_name");
	tm_jw_begin_obj(w);
	if (own_id && *own_id && strncmp(own_id, "flow:", 5) != 0 && !tm_hmap_get(ids, own_id, strlen(own_id))) {
		if (tm_hmap_put(ids, own_id, strlen(own_id), (void *)e))
			c->err = TM_ENOMEM;
		tm_jw_kstr(w, "id", own_id);
	} else {
		tm_strbuf_reset(&c->sb);
		tm_strbuf_printf(&c->sb, "flow:%s:%s->%s", kind, tm_node_id(from), tm_node_id(to));
		tm_jw_kstr(w, "id", sbs(c));
	}
	if (own_name) {
		tm_jw_kstr(w, "name", own_name);
	} else {
		tm_strbuf_reset(&c->sb);
		tm_strbuf_printf(&c->sb, "%s %s %s", tm_node_name(from) ? tm_node_name(from) : tm_node_id(from), kind,
				 tm_node_name(to) ? tm_node_name(to) : tm_node_id(to));
		tm_jw_kstr(w, "name", sbs(c));
	}
	tm_jw_key(w, "bidirectional");
	tm_jw_bool(w, false);
	tm_jw_kstr(w, "source", tm_node_id(from));
	tm_jw_kstr(w, "destination", tm_node_id(to));
	tm_jw_key(w, "tags");
	tm_jw_begin_arr(w);
	tm_jw_str(w, kind);
	tm_strbuf_reset(&c->sb);
	tm_strbuf_printf(&c->sb, "authn:%s", authn);
	tm_jw_str(w, sbs(c));
	tm_strbuf_reset(&c->sb);
	tm_strbuf_printf(&c->sb, "authz:%s", authz);
	tm_jw_str(w, sbs(c));
	if (tm_edge_crosses_boundary(e))
		tm_jw_str(w, "crosses-boundary");
	tm_jw_end_arr(w);
	tm_jw_key(w, "attributes");
	tm_jw_begin_obj(w);
	kv(c, "trustmap.kind", kind);
	kv(c, "trustmap.authn", authn);
	kv(c, "trustmap.authz", authz);
	kv(c, "trustmap.enforced_at", tm_enforced_name(tm_edge_enforced_at(e)));
	kv(c, "trustmap.crosses_boundary", tm_edge_crosses_boundary(e) ? "true" : "false");
	tm_strbuf_reset(&c->sb);
	for (size_t i = 0; i < tm_edge_evidence_count(e); i++) {
		if (i)
			tm_strbuf_puts(&c->sb, ", ");
		loc_text(&c->sb, tm_edge_evidence(e, i));
	}
	kv(c, "trustmap.evidence", sbs(c));
	own_attrs(c, tm_edge_attr_count(e), edge_attr, e);
	tm_jw_end_obj(w);
	tm_jw_end_obj(w);
}

static void threat(otm *c, const tm_finding *f)
{
	tm_jw *w = c->w;
	const tm_rule_info *r = f->rule;
	tm_jw_begin_obj(w);
	tm_jw_kstr(w, "id", f->fingerprint);
	tm_jw_kstr(w, "name", f->title ? f->title : r->title);
	tm_strbuf_reset(&c->sb);
	tm_strbuf_printf(&c->sb, "%s\n\nWhy it matters: %s", r->what ? r->what : r->title, r->why ? r->why : "");
	tm_jw_kstr(w, "description", sbs(c));
	tm_jw_key(w, "categories");
	tm_jw_begin_arr(w);
	for (unsigned b = 0; b < 6; b++)
		if (r->stride & (1u << b))
			tm_jw_str(w, stride_titles[b]);
	tm_jw_end_arr(w);
	tm_jw_key(w, "cwes");
	tm_jw_begin_arr(w);
	if (r->cwe)
		tm_jw_str(w, r->cwe);
	tm_jw_end_arr(w);
	tm_jw_key(w, "risk");
	tm_jw_begin_obj(w);
	int pr = f->priority < 0 ? 0 : f->priority > 100 ? 100 : f->priority;
	tm_jw_kint(w, "likelihood", pr);
	tm_strbuf_reset(&c->sb);
	tm_strbuf_printf(&c->sb, "trustmap priority %d of 100 (how reachable and exposed it is)", pr);
	tm_jw_kstr(w, "likelihoodComment", sbs(c));
	tm_jw_kint(w, "impact", impact_of(f->severity));
	tm_strbuf_reset(&c->sb);
	tm_strbuf_printf(&c->sb, "severity %s", tm_severity_name(f->severity));
	tm_jw_kstr(w, "impactComment", sbs(c));
	tm_jw_end_obj(w);
	tm_jw_key(w, "tags");
	tm_jw_begin_arr(w);
	tm_jw_str(w, r->id);
	if (r->layer)
		tm_jw_str(w, r->layer);
	if (r->owasp)
		tm_jw_str(w, r->owasp);
	tm_jw_end_arr(w);
	tm_jw_key(w, "attributes");
	tm_jw_begin_obj(w);
	kv(c, "trustmap.rule", r->id);
	kv(c, "trustmap.severity", tm_severity_name(f->severity));
	tm_strbuf_reset(&c->sb);
	tm_strbuf_printf(&c->sb, "%d", f->priority);
	kv(c, "trustmap.priority", sbs(c));
	kv(c, "trustmap.status", tm_status_name(f->status));
	if (f->subject)
		kv(c, "trustmap.subject", f->subject);
	tm_strbuf_reset(&c->sb);
	for (size_t i = 0; f->path && f->path[i]; i++)
		tm_strbuf_printf(&c->sb, "%s%s", i ? " -> " : "", f->path[i]);
	kv(c, "trustmap.path", sbs(c));
	tm_strbuf_reset(&c->sb);
	for (size_t i = 0; i < f->nevidence; i++) {
		if (i)
			tm_strbuf_puts(&c->sb, ", ");
		loc_text(&c->sb, f->evidence[i]);
	}
	kv(c, "trustmap.evidence", sbs(c));
	if (f->owner)
		kv(c, "trustmap.owner", f->owner);
	if (f->accepted_by)
		kv(c, "trustmap.decided_by", f->accepted_by);
	if (f->why)
		kv(c, "trustmap.decision_why", f->why);
	if (f->until)
		kv(c, "trustmap.until", f->until);
	tm_jw_end_obj(w);
	tm_jw_end_obj(w);
}

static void mitigation(otm *c, const tm_finding *f)
{
	tm_jw *w = c->w;
	const tm_rule_info *r = f->rule;
	tm_jw_begin_obj(w);
	mitigation_id(&c->sb, f);
	tm_jw_kstr(w, "id", sbs(c));
	tm_strbuf_reset(&c->sb);
	tm_strbuf_printf(&c->sb, "%s: %s", tm_action_name(r->action), r->title);
	tm_jw_kstr(w, "name", sbs(c));
	tm_strbuf_reset(&c->sb);
	tm_strbuf_puts(&c->sb, f->action ? f->action : (r->fix ? r->fix : ""));
	for (size_t i = 0; f->detect && f->detect[i]; i++)
		tm_strbuf_printf(&c->sb, "%s%s", i ? "\n- " : "\n\nDetect:\n- ", f->detect[i]);
	tm_jw_kstr(w, "description", sbs(c));
	tm_jw_kint(w, "riskReduction", risk_reduction(r->action));
	tm_jw_key(w, "attributes");
	tm_jw_begin_obj(w);
	kv(c, "trustmap.action", tm_action_name(r->action));
	kv(c, "trustmap.threat", f->fingerprint);
	if (f->snippet)
		kv(c, "trustmap.snippet", f->snippet);
	tm_jw_end_obj(w);
	tm_jw_end_obj(w);
}

int tm_report__otm(const tm_wctx *ctx, tm_out *o)
{
	const tm_model *m = tm_scan_model(ctx->scan);
	const tm_findings *fs = ctx->findings;
	size_t nf = tm_findings_count(fs);
	const tm_node **attached = nf ? tm_calloc(nf, sizeof(*attached)) : NULL;
	bool *first = nf ? tm_calloc(nf, sizeof(*first)) : NULL;
	tm_hmap seen = TM_HMAP_INIT;
	int rc = 0;
	if (nf && (!attached || !first)) {
		rc = TM_ENOMEM;
		goto done;
	}
	/* a fingerprint is written once, even if two findings share it */
	for (size_t i = 0; i < nf; i++) {
		const tm_finding *f = tm_findings_at(fs, i);
		size_t len = strlen(f->fingerprint);
		if (tm_hmap_get(&seen, f->fingerprint, len))
			continue;
		if (tm_hmap_put(&seen, f->fingerprint, len, (void *)f)) {
			rc = TM_ENOMEM;
			goto done;
		}
		first[i] = true;
		attached[i] = finding_node(m, f);
	}
	bool unzoned = false;
	for (size_t i = 0; i < tm_model_node_count(m) && !unzoned; i++) {
		const tm_node *n = tm_model_node(m, i);
		unzoned = !parent_component(m, n) && strcmp(zone_of(m, n), UNZONED_ID) == 0;
	}

	tm_jw w;
	tm_jw_init(&w, o);
	otm c = {&w, m, TM_STRBUF_INIT, 0};
	tm_jw_begin_obj(&w);
	tm_jw_kstr(&w, "otmVersion", OTM_VERSION);
	project(&c, ctx);
	representations(&c);
	assets(&c);
	trust_zones(&c, unzoned);

	tm_jw_key(&w, "components");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < tm_model_node_count(m); i++)
		component(&c, tm_model_node(m, i), fs, attached, first);
	tm_jw_end_arr(&w);

	/* every node is a component, so every edge joins two exported components */
	tm_jw_key(&w, "dataflows");
	tm_jw_begin_arr(&w);
	tm_hmap flow_ids = TM_HMAP_INIT;
	for (size_t i = 0; i < tm_model_edge_count(m); i++)
		dataflow(&c, tm_model_edge(m, i), &flow_ids);
	tm_hmap_dispose(&flow_ids);
	tm_jw_end_arr(&w);

	tm_jw_key(&w, "threats");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < nf; i++)
		if (first[i])
			threat(&c, tm_findings_at(fs, i));
	tm_jw_end_arr(&w);
	tm_jw_key(&w, "mitigations");
	tm_jw_begin_arr(&w);
	for (size_t i = 0; i < nf; i++)
		if (first[i])
			mitigation(&c, tm_findings_at(fs, i));
	tm_jw_end_arr(&w);
	tm_jw_end_obj(&w);
	tm_strbuf_dispose(&c.sb);
	rc = c.err;
done:
	tm_hmap_dispose(&seen);
	tm_free(attached);
	tm_free(first);
	return rc;
}
