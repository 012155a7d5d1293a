/*
 * api.c - rules on API operations (endpoint nodes from OpenAPI), and the
 * business-integrity rules that read the same facts.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "rules.h"
#include "trustmap/paths.h"
#include "trustmap/query.h"

/* A method that changes data; ANY (an API Gateway catch-all route, a function URL) takes POST, PUT and
 * DELETE too. */
static bool is_write(const tm_node *ep)
{
	const char *m = tm_node_attr_str(ep, "method");
	return m && (strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 ||
		     strcmp(m, "DELETE") == 0 || strcmp(m, "ANY") == 0);
}

/* The operation's exposure as its ingester labelled it (rules run before exposure is computed). */
static tm_exposure_level exposure(const tm_node *ep)
{
	int x = tm_exposure_level_parse(tm_node_attr_str(ep, "exposure"));
	return x < 0 ? TM_EXPOSURE_NONE : (tm_exposure_level)x;
}

/* Where an outside operation's path starts: the entry point of its exposure when the model holds
 * one (the internet's; the first partner entry), else nowhere (an unlinked spec's assumed exposure
 * names no entry node: the path is the operation's own, as `paths` can follow). */
static const char *entry_of(tm_rule_ctx *c, const tm_node *ep)
{
	static const char *const partners[] = {"entrypoint:partner:private-network", "entrypoint:partner"};
	if (exposure(ep) == TM_EXPOSURE_INTERNET)
		return tm_model_find(c->m, "entrypoint:internet") ? "entrypoint:internet" : NULL;
	for (size_t i = 0; i < TM_ARRAY_LEN(partners); i++)
		if (tm_model_find(c->m, partners[i]))
			return partners[i];
	return NULL;
}

/* Who reaches the operation, for a title: "the internet", "outside (its clients)", "the cluster",
 * with "(assumed: deployment unknown)" when its spec is linked to no workload. */
static const char *where(tm_rule_ctx *c, const tm_node *ep)
{
	tm_exposure_level x = exposure(ep);
	const char *w = x == TM_EXPOSURE_INTERNET ? "the internet"
			: x == TM_EXPOSURE_PARTNER ? "outside (its clients)"
						   : x == TM_EXPOSURE_CLUSTER ? "the cluster" : "nowhere";
	return tm_node_attr_str(ep, "exposure_assumed") ? tm_rules__printf(c, "%s (assumed: deployment unknown)", w) : w;
}

static bool reachable(const tm_node *ep)
{
	return exposure(ep) != TM_EXPOSURE_NONE;
}

static bool outside(const tm_node *ep)
{
	return exposure(ep) >= TM_EXPOSURE_PARTNER;
}

/* Reached from outside by what the inputs deploy, not by an assumption about a spec no workload
 * serves: only a known exposure raises a rule above its weight for the flaw itself. */
static bool outside_known(const tm_node *ep)
{
	return outside(ep) && !tm_node_attr_str(ep, "exposure_assumed");
}

/* "a, b, c" of a list attribute, each item cut at its first ':' when strip is set. */
static const char *joined(tm_rule_ctx *c, const char *const *l, bool strip)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; l && l[i]; i++) {
		const char *s = l[i];
		const char *colon = strip ? strchr(s, ':') : NULL;
		if (strip && colon && strncmp(s, "body", 4) != 0 && strncmp(s, "query", 5) != 0 &&
		    strncmp(s, "path", 4) != 0 && strncmp(s, "header", 6) != 0)
			tm_strbuf_printf(&sb, "%s%.*s", i ? ", " : "", (int)(colon - s), s);
		else if (strip && colon)
			tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", colon + 1);
		else
			tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", s);
	}
	const char *r = tm_rules__printf(c, "%s", sb.data ? sb.data : "");
	tm_strbuf_dispose(&sb);
	return r;
}

#define EACH_ENDPOINT(c, ep) TM_EACH_OF_KIND((c)->m, ep, TM_NODE_ENDPOINT)

/* What a rule's operations have in common, for the finding that folds them per service. */
static const char *fold_what(const char *rule)
{
	static const struct {
		const char *rule, *what;
	} whats[] = {
		{"TM-API-001", "need no credentials"},
		{"TM-API-002", "take object identifiers with no ownership check in evidence"},
		{"TM-API-003", "change data with read-only scopes"},
		{"TM-API-005", "are older versions still served (deprecated, or beside a newer version)"},
		{"TM-API-006", "let the client set privileged fields"},
		{"TM-API-007", "return sensitive fields"},
		{"TM-API-008", "have no bound on what they return"},
		{"TM-API-009", "take URL input the service may fetch"},
		{"TM-API-010", "expose discovery or debug paths"},
		{"TM-API-011", "take the caller's identity from a header"},
		{"TM-API-013", "are sign-in steps anyone can try without limit"},
		{"TM-API-014", "are administration operations any signed-in caller may call"},
		{"TM-BIZ-001", "accept quantities without a lower bound"},
		{"TM-BIZ-002", "move money or orders without an idempotency key"},
		{"TM-BIZ-003", "let the client decide values the server should"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(whats); i++)
		if (strcmp(rule, whats[i].rule) == 0)
			return whats[i].what;
	return NULL;
}

/*
 * One operation's finding. The operations of one service on which a rule holds at one severity
 * fold into one finding listing them (and a service's folds of several severities, when high or
 * critical, fold again into one); a lone operation stays as it is.
 */
/* what: what folded operations have in common (NULL: the rule's, fold_what), and then a fold of its
 * own, never merged with the rule's other folds of the service */
static void emit_ep_as(tm_rule_ctx *c, const tm_node *ep, const char *key, const char *title, int sev,
		       const char *action, const char *what)
{
	tm_emit e;
	tm_emit_init(&e, ep);
	const char *svc = tm_node_attr_str(ep, "service");
	bool own = what != NULL;
	if (!what)
		what = fold_what(c->rule->id);
	if (svc && what) {
		tm_node_id_parts id;
		tm_severity s = sev >= 0 ? (tm_severity)sev : c->rule->severity;
		e.fold = tm_rules__printf(c, "%s#%s%s", svc, tm_severity_name(s), own ? "#" : "");
		e.fold_label = tm_rules__printf(c, "service %s", tm_node_id_parse(svc, &id) ? svc : id.rest);
		e.fold_noun = "operations";
		e.fold_what = what;
		/* again: a service's high and critical folds stay its own (owner, rank) and fold into one
		 * finding per service whatever their severity (one fix: the service's authentication, its
		 * schemas); what is medium or lower folds across services into one finding for the system */
		e.fold_wide = own ? e.fold : s >= TM_SEV_HIGH ? svc : "*";
		/* from two on: when a fact repeats, one finding lists where (a spec of 600 operations is not
		 * 600 findings, nor one of 3 three) */
	}
	const char *entry = outside(ep) ? entry_of(c, ep) : NULL;
	if (entry)
		e.path[0] = entry, e.path[1] = tm_node_id(ep), e.npath = 2;
	else if (outside(ep))
		e.path[0] = tm_node_id(ep), e.npath = 1;
	if (svc)
		tm_emit_path(&e, svc);
	e.key = key;
	e.title = title;
	e.severity = sev;
	/* an operation an API Gateway route or a function URL of Terraform makes: the fix is written there */
	const char *src = tm_node_attr_str(ep, "security_source");
	if (!action && c->rule->fix && strcmp(c->rule->id, "TM-API-001") == 0 && src &&
	    (strcmp(src, "gateway") == 0 || strcmp(src, "function URL") == 0) && tm_node_attr_str(ep, "linked_by") &&
	    strstr(tm_node_attr_str(ep, "linked_by"), "terraform"))
		action = strcmp(src, "gateway") == 0
				 ? "Give the route an authorizer (`authorization_type = \"JWT\"` with an `aws_apigatewayv2_authorizer`, "
				   "`AWS_IAM`, or `CUSTOM`; a REST method's `authorization`), and authorize the caller for the object "
				   "it touches in the function."
				 : "Set the function URL's `authorization_type = \"AWS_IAM\"` (callers sign requests), or put the "
				   "function behind an API Gateway route with an authorizer.";
	e.action = action;
	tm_rules__emit(c, &e);
}

static void emit_ep(tm_rule_ctx *c, const tm_node *ep, const char *key, const char *title, int sev,
		    const char *action)
{
	emit_ep_as(c, ep, key, title, sev, action, NULL);
}

/* Lowercase copy of s into buf (cut to fit). */
static const char *lower(const char *s, char *buf, size_t cap)
{
	size_t n = 0;
	for (; s && *s && n + 1 < cap; s++)
		buf[n++] = (char)tolower((unsigned char)*s);
	buf[n] = '\0';
	return buf;
}

/* Does the operation's path (lowercased) contain one of words (n of them)? */
static bool path_has(const tm_node *ep, const char *const *words, size_t n)
{
	char buf[512];
	const char *path = lower(tm_node_attr_str(ep, "path"), buf, sizeof(buf));
	for (size_t i = 0; i < n; i++)
		if (strstr(path, words[i]))
			return true;
	return false;
}

/* An operation of the sign-in flow (login, sign-up, token, OAuth, password reset, OTP...): it takes
 * no credentials because it is how a caller gets them, and returns tokens because that is its job.
 * Not a change to one object's credential (PUT /users/{username}/password, PATCH
 * /accounts/{id}/mfa): a write to a named object is how an attacker takes that account over, unless
 * it is the reset flow (forgot, reset, a token or code that proves the caller). */
static bool auth_flow(const tm_node *ep)
{
	static const char *const words[] = {"login", "logon", "signin", "sign-in", "sign_in", "signup", "sign-up",
					    "sign_up", "register", "oauth", "token", "authorize", "authenticate",
					    "/auth", "session", "password", "forgot", "reset", "otp", "mfa", "2fa",
					    "verify", "verification", "callback", "logout", "refresh", "saml", "openid",
					    "/sso", "/.well-known", "captcha", "magic-link"};
	if (!path_has(ep, words, TM_ARRAY_LEN(words)))
		return false;
	const char *m = tm_node_attr_str(ep, "method");
	const char *path = tm_node_attr_str(ep, "path");
	static const char *const proof[] = {"forgot", "reset", "token", "otp", "verify", "confirm", "code"};
	bool write = m && (strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 || strcmp(m, "DELETE") == 0);
	return !(write && path && strchr(path, '{') && !path_has(ep, proof, TM_ARRAY_LEN(proof)));
}

/* Does the operation take a password in a query or path parameter (a sign-in by GET)? */
static bool password_in_url(const tm_node *ep)
{
	for (const char *const *u = tm_rules__list(ep, "url_credentials"); u && *u; u++) {
		char buf[128];
		const char *l = lower(*u, buf, sizeof(buf));
		if (strstr(l, "pass") || strstr(l, "pwd"))
			return true;
	}
	return false;
}

/* A POST that creates a credential (an API key, a token, a secret, a webhook secret): returning the
 * secret once, in the creation's response, is how such APIs hand it over. */
static bool creates_credential(const tm_node *ep)
{
	const char *m = tm_node_attr_str(ep, "method");
	char buf[512];
	const char *path = lower(tm_node_attr_str(ep, "path"), buf, sizeof(buf));
	return m && strcmp(m, "POST") == 0 &&
	       (strstr(path, "key") || strstr(path, "token") || strstr(path, "secret") || strstr(path, "credential") ||
		strstr(path, "oauthapp") || strstr(path, "client"));
}

/* An administration, internal or system path: a segment that is one of these words, alone or
 * joined to more by '-' or '_' ("/admin", "/admin-users", "/admin_api_keys"; not "/managed" or
 * "/systems-of-record"). */
static bool privileged_path(const tm_node *ep)
{
#define W(w) {w, sizeof(w) - 1}
	static const struct {
		const char *w;
		size_t n;
	} words[] = {W("admin"), W("administration"), W("internal"), W("system"), W("manage"), W("management"),
		     W("ops"), W("superuser"), W("root"), W("backoffice"), W("staff"), W("sysadmin")};
#undef W
	char buf[512];
	const char *path = lower(tm_node_attr_str(ep, "path"), buf, sizeof(buf));
	for (const char *seg = path; (seg = strchr(seg, '/')) != NULL;) {
		seg++;
		size_t sl = strcspn(seg, "/");
		for (size_t i = 0; i < TM_ARRAY_LEN(words); i++) {
			size_t wl = words[i].n;
			if (sl >= wl && seg[0] == words[i].w[0] && memcmp(seg, words[i].w, wl) == 0 &&
			    (sl == wl || seg[wl] == '-' || seg[wl] == '_'))
				return true;
		}
	}
	return false;
}

/* The fix for an operation that needs no credentials, by how its spec came to say so: an empty
 * override, an empty `{}` alternative, no requirement stated where its peers state one, no
 * authentication in the spec at all. NULL: the rule's own text. */
static const char *unauth_action(tm_rule_ctx *c, const tm_node *ep)
{
	const char *src = tm_node_attr_str(ep, "security_source");
	const char *const *sec = tm_rules__list(ep, "security");
	bool optional = false, empty = !sec || !sec[0] || (strcmp(sec[0], "anonymous") == 0 && !sec[1]);
	for (size_t i = 0; sec && sec[i] && !empty; i++)
		optional = optional || strcmp(sec[i], "anonymous") == 0;
	const char *what = NULL;
	if (!src)
		return NULL;
	if (tm_rules__attr_true(ep, "security_omitted"))
		what = "State the API's security requirement on the operation (it states none while most operations do), "
		       "or say in the spec that it is public on purpose;";
	else if (optional)
		what = strcmp(src, "operation") == 0
			       ? "Drop the empty `{}` alternative from the operation's `security` (it makes credentials optional),"
			       : "Drop the empty `{}` alternative from the document's `security` (it makes credentials optional),";
	else if (strcmp(src, "operation") == 0 && empty)
		what = "Require the API's authentication on the operation (remove its empty `security` override),";
	else if (strcmp(src, "document") == 0 && empty)
		what = "Require authentication in the document's `security` (it is empty) or on the operation,";
	else if (strcmp(src, "none") == 0)
		what = "Require authentication on the operation: state a `security` requirement on it or for the whole "
		       "document (declaring the scheme first where the spec has none),";
	else if (strcmp(src, "operation") == 0 || strcmp(src, "document") == 0)
		what = "Require authentication on the operation (every alternative of its `security` names a scheme),";
	return what ? tm_rules__printf(c, "%s and authorize the caller for the object it touches.", what) : NULL;
}

void tm_rule__api_unauthenticated(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		bool sensitive = tm_rules__list(ep, "sensitive_response") != NULL;
		/* an administration or internal operation open to anyone stands out whatever it does */
		bool stands_out = privileged_path(ep);
		/* a read of one object by its id, with its requirement left out where most operations state
		 * theirs: whose object it is decides, so the question is asked as for a write */
		bool omitted_object = tm_rules__attr_true(ep, "security_omitted") && tm_rules__list(ep, "object_ids");
		if (!tm_rules__attr_true(ep, "anonymous") || !reachable(ep) ||
		    !(is_write(ep) || sensitive || stands_out || omitted_object) || auth_flow(ep))
			continue;
		int sev = outside(ep) ? (is_write(ep) ? TM_SEV_CRITICAL : TM_SEV_HIGH) : TM_SEV_MEDIUM;
		const char *peers = tm_node_attr_str(ep, "security_peers");
		if (tm_rules__attr_true(ep, "security_omitted") && peers) {
			/* most operations of its document state their requirement and this one none: a spec
			 * that left it out as likely as an open operation; asked, not asserted */
			emit_ep_as(c, ep, NULL,
				   tm_rules__printf(c, "%s states no security requirement while %s operations of its API "
						       "do, and is reachable from %s: left out of the spec, or open to anyone?",
						    tm_node_name(ep), peers, where(c, ep)),
				   TM_SEV_MEDIUM, unauth_action(c, ep),
				   "state no security requirement while most operations of their API do (left out of "
				   "the spec, or open to anyone?)");
			continue;
		}
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s needs no credentials and is reachable from %s", tm_node_name(ep),
					 where(c, ep)),
			sev, unauth_action(c, ep));
	}
}

void tm_rule__api_object_ids(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		const char *const *all = tm_rules__list(ep, "object_ids");
		/* the spec states where ownership is checked (x-trustmap-ownership): the model sees it */
		if (!all || !reachable(ep) || tm_node_attr_str(ep, "ownership"))
			continue;
		/* a username sent with a password is a sign-in's credential, not a reference to an object */
		const char *ids[65];
		size_t n = 0;
		bool signin = password_in_url(ep);
		for (size_t k = 0; all[k] && n + 1 < TM_ARRAY_LEN(ids); k++)
			if (!(signin && strncasecmp(all[k], "username:", 9) == 0))
				ids[n++] = all[k];
		ids[n] = NULL;
		if (!n)
			continue;
		bool guessable = false;
		for (size_t k = 0; ids[k]; k++)
			guessable = guessable || strstr(ids[k], ":integer") != NULL;
		int sev = guessable && outside_known(ep) ? TM_SEV_HIGH : outside(ep) ? TM_SEV_MEDIUM : TM_SEV_LOW;
		/* an anonymous read serves public data by design: whose object it is matters little; not so
		 * one whose requirement the spec left out while most of its operations state one */
		if (tm_rules__attr_true(ep, "anonymous") && !is_write(ep) && !tm_rules__attr_true(ep, "security_omitted"))
			sev = TM_SEV_LOW;
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s takes %s%s with no ownership check in evidence", tm_node_name(ep),
					 joined(c, ids, true), guessable ? " (guessable integers)" : ""),
			sev, NULL);
	}
}

static bool read_only_scopes(const char *const *scopes)
{
	if (!scopes || !scopes[0])
		return false;
	for (size_t i = 0; scopes[i]; i++) {
		size_t n = strlen(scopes[i]);
		if (n < 4 || strcasecmp(scopes[i] + n - 4, "read") != 0)
			return false;
	}
	return true;
}

void tm_rule__api_function_authz(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		const char *const *scopes = tm_rules__list(ep, "scopes");
		if (!is_write(ep) || !read_only_scopes(scopes))
			continue;
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s changes data with only %s", tm_node_name(ep), joined(c, scopes, false)),
			outside(ep) ? TM_SEV_HIGH : TM_SEV_MEDIUM, NULL);
	}
}

/* "/v2/products/{productId}" -> "/products/{productId}"; NULL when there is no version segment. */
static bool unversioned(const char *path, char *out, size_t cap)
{
	const char *p = path;
	while (*p) {
		if (p[0] == '/' && (p[1] == 'v' || p[1] == 'V') && isdigit((unsigned char)p[2])) {
			/* v2, v2.7, v4.0.1: a version segment, whatever its precision */
			const char *q = p + 2;
			while (isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1])))
				q++;
			if (*q == '/' || !*q) {
				tm_formatf(out, cap, "%.*s%s", (int)(p - path), path, q);
				return true;
			}
		}
		p++;
	}
	tm_formatf(out, cap, "%s", path);
	return false;
}

void tm_rule__api_inconsistent_authz(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	EACH_ENDPOINT(c, weak)
	{
		if (!tm_rules__attr_true(weak, "anonymous") || !reachable(weak))
			continue;
		const char *svc = tm_node_attr_str(weak, "service");
		const char *wpath = tm_node_attr_str(weak, "path"), *wm = tm_node_attr_str(weak, "method");
		char wkey[512];
		bool wver = unversioned(wpath ? wpath : "", wkey, sizeof(wkey));
		/* the siblings: the operations the same service exposes (its out-edges, in node order),
		 * never every node of the model */
		const tm_node *sn = svc ? tm_model_find(m, svc) : NULL;
		size_t ninc = 0;
		const tm_edge *const *inc = sn ? tm_model__incident(m, sn, &ninc) : NULL;
		for (size_t k = 0; k < ninc; k++) {
			if (tm_edge_from(inc[k]) != sn || tm_edge_kind_of(inc[k]) != TM_EDGE_EXPOSES)
				continue;
			const tm_node *strong = tm_edge_to(inc[k]);
			if (strong == weak || tm_node_kind_of(strong) != TM_NODE_ENDPOINT ||
			    tm_rules__attr_true(strong, "anonymous"))
				continue;
			const char *ssvc = tm_node_attr_str(strong, "service");
			const char *spath = tm_node_attr_str(strong, "path"), *sm = tm_node_attr_str(strong, "method");
			if (!svc || !ssvc || strcmp(svc, ssvc) != 0 || !spath || !sm || !wm)
				continue;
			char skey[512];
			bool sver = unversioned(spath, skey, sizeof(skey));
			/* another version of the same operation, or a read that is better protected than a write */
			bool versions = (wver || sver) && strcmp(wkey, skey) == 0 && strcmp(wm, sm) == 0;
			bool methods = strcmp(wpath, spath) == 0 && is_write(weak) && !is_write(strong);
			if (!versions && !methods)
				continue;
			tm_emit e;
			tm_emit_init(&e, weak);
			tm_emit_path(&e, tm_node_id(strong));
			if (tm_node_evidence_count(strong))
				tm_emit_loc(&e, tm_node_evidence(strong, 0));
			e.key = tm_node_id(strong);
			e.title = tm_rules__printf(c, "%s needs no credentials while %s requires them", tm_node_name(weak),
						   tm_node_name(strong));
			tm_rules__emit(c, &e);
			break;
		}
	}
}

/* The version a path names ("/v2.7/..." -> 2, 7, 0), compared part by part; false without one. */
static bool version_of(const char *path, long v[3])
{
	v[0] = v[1] = v[2] = 0;
	for (const char *p = path; p && *p; p++) {
		if (p[0] != '/' || (p[1] != 'v' && p[1] != 'V') || !isdigit((unsigned char)p[2]))
			continue;
		const char *q = p + 2;
		for (int k = 0; k < 3 && isdigit((unsigned char)*q); k++) {
			char *end;
			v[k] = strtol(q, &end, 10);
			q = end;
			if (*q == '.' && isdigit((unsigned char)q[1]))
				q++;
		}
		if (*q == '/' || !*q)
			return true;
		v[0] = v[1] = v[2] = 0;
	}
	return false;
}

static int version_cmp(const long a[3], const long b[3])
{
	for (int k = 0; k < 3; k++)
		if (a[k] != b[k])
			return a[k] < b[k] ? -1 : 1;
	return 0;
}

/* What the newer operation documents that the older lacks, or NULL. */
static const char *weaker_than(tm_rule_ctx *c, const tm_node *old, const tm_node *cur)
{
	if (tm_rules__attr_true(old, "anonymous") && !tm_rules__attr_true(cur, "anonymous"))
		return "credentials";
	bool old_limited = tm_rules__attr_true(old, "rate_limited_documented") || tm_rules__attr_true(old, "rate_limited");
	bool cur_limited = tm_rules__attr_true(cur, "rate_limited_documented") || tm_rules__attr_true(cur, "rate_limited");
	if (cur_limited && !old_limited)
		return "a rate limit";
	if (tm_rules__list(cur, "scopes") && !tm_rules__list(old, "scopes"))
		return tm_rules__printf(c, "scopes (%s)", joined(c, tm_rules__list(cur, "scopes"), false));
	return NULL;
}

/*
 * API inventory: a deprecated operation still routed, and an operation still served in an older
 * version beside a newer one (/v2/... beside /v3/..., matched by method and the path without its
 * version segment, within one service); worse when the older lacks a protection the newer has.
 */
/* The API an operation belongs to, for comparing versions: its workload, or for specs linked to
 * none, their title (springdoc writes one spec per group: v1 and v2 of one API in two files). */
static const char *api_of(tm_rule_ctx *c, const tm_node *ep)
{
	const char *svc = tm_node_attr_str(ep, "service");
	const tm_node *sn = svc ? tm_model_find(c->m, svc) : NULL;
	return sn && tm_rules__attr_true(sn, "unlinked") ? tm_rules__printf(c, "title:%s", tm_node_name(sn)) : svc;
}

/* "api\x1fMETHOD\x1fpath without its version" for a versioned operation, into sb; false if unversioned. */
static bool version_key(tm_rule_ctx *c, const tm_node *ep, tm_strbuf *sb, long v[3])
{
	const char *m = tm_node_attr_str(ep, "method"), *path = tm_node_attr_str(ep, "path");
	char un[512];
	if (!m || !path || !version_of(path, v) || !unversioned(path, un, sizeof(un)))
		return false;
	const char *api = api_of(c, ep);
	if (!api)
		return false;
	tm_strbuf_reset(sb);
	tm_strbuf_puts(sb, api);
	tm_strbuf_putc(sb, '\x1f');
	tm_strbuf_puts(sb, m);
	tm_strbuf_putc(sb, '\x1f');
	tm_strbuf_puts(sb, un);
	return !sb->oom;
}

void tm_rule__api_old_version(tm_rule_ctx *c)
{
	/* pass 1: the newest version of each operation, keyed once per operation without its version;
	 * each versioned operation keeps its key's place in tops, so pass 2 looks nothing up again */
	struct newest {
		const tm_node *ep;
		long v[3];
	} *tops = NULL;
	struct versioned {
		const tm_node *ep;
		size_t top;
	} *vs = NULL;
	size_t nv = 0, cap = 0, ntops = 0, cap_tops = 0;
	tm_hmap index = TM_HMAP_INIT; /* key -> its place in tops, plus one */
	tm_strbuf sb = TM_STRBUF_INIT;
	EACH_ENDPOINT(c, ep)
	{
		long v[3];
		if (!version_key(c, ep, &sb, v))
			continue;
		size_t t = (size_t)(uintptr_t)tm_hmap_get(&index, sb.data, sb.len);
		if (!t) {
			const char *key = tm_rules__strndup(c, sb.data, sb.len); /* "" when out of memory */
			/* an API that versions one operation mostly versions them all: room for every
			 * endpoint at the first, instead of a table per power of two */
			if ((!index.cap && tm_hmap_reserve(&index, tm_model_count_kind(c->m, TM_NODE_ENDPOINT))) ||
			    TM_GROW(tops, cap_tops, ntops + 1) ||
			    tm_hmap_put(&index, key, strlen(key), (void *)(uintptr_t)(ntops + 1))) {
				tm_rules__oom(c);
				break;
			}
			t = ++ntops;
			tops[t - 1] = (struct newest){ep, {v[0], v[1], v[2]}};
		} else if (version_cmp(v, tops[t - 1].v) > 0) {
			tops[t - 1] = (struct newest){ep, {v[0], v[1], v[2]}};
		}
		if (TM_GROW(vs, cap, nv + 1)) {
			tm_rules__oom(c);
			break;
		}
		vs[nv++] = (struct versioned){ep, t - 1};
	}
	tm_hmap_dispose(&index);
	tm_strbuf_dispose(&sb);
	EACH_ENDPOINT(c, ep)
	{
		if (!tm_rules__attr_true(ep, "deprecated") || !reachable(ep))
			continue;
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "deprecated %s is still routed (reachable from %s)%s", tm_node_name(ep), where(c, ep),
					 tm_rules__attr_true(ep, "anonymous") ? " without credentials" : ""),
			tm_rules__attr_true(ep, "anonymous") && outside_known(ep) ? TM_SEV_HIGH : -1, NULL);
	}
	/* pass 2: every older version still served (a deprecated one is reported above) */
	for (size_t i = 0; i < nv; i++) {
		const tm_node *ep = vs[i].ep, *cur = tops[vs[i].top].ep;
		if (cur == ep || !reachable(ep) || tm_rules__attr_true(ep, "deprecated"))
			continue;
		const char *lacks = weaker_than(c, ep, cur);
		emit_ep(c, ep, "older",
			tm_rules__printf(c, "%s is still served beside %s%s%s", tm_node_name(ep), tm_node_name(cur),
					 lacks ? ", lacking " : "", lacks ? lacks : ""),
			lacks && outside_known(ep) ? TM_SEV_HIGH : -1, NULL);
	}
	tm_free(vs);
	tm_free(tops);
}

/* A field the server should decide on its own, but one whose value is a workflow step the client
 * legitimately asks for (status, state): TM-BIZ-003 weighs those, not mass assignment. */
static bool workflow_field(const char *f)
{
	return strcasecmp(f, "status") == 0 || strcasecmp(f, "state") == 0;
}

/* A catalog resource (products, plans, SKUs, offers, a menu): setting its price or discount is what
 * creating or editing it means, not a field slipped into a purchase. */
static bool catalog_path(const tm_node *ep)
{
	static const char *const nouns[] = {"product", "catalog", "catalogue", "sku", "plan", "price", "offer",
					    "listing", "menu", "tariff", "item-type", "merchandise"};
	char buf[512];
	const char *path = lower(tm_node_attr_str(ep, "path"), buf, sizeof(buf));
	/* the last segment that is no {parameter} names the resource */
	const char *last = NULL;
	for (const char *seg = path; (seg = strchr(seg, '/')) != NULL; seg++)
		if (seg[1] && seg[1] != '{')
			last = seg + 1;
	if (!last)
		return false;
	size_t n = strcspn(last, "/");
	for (size_t i = 0; i < TM_ARRAY_LEN(nouns); i++) {
		size_t wl = strlen(nouns[i]);
		if ((n == wl || (n == wl + 1 && last[wl] == 's') || (n == wl + 2 && strncmp(last + wl, "es", 2) == 0)) &&
		    strncmp(last, nouns[i], wl) == 0)
			return true;
	}
	return false;
}

static bool price_field(const char *f)
{
	return strcasecmp(f, "price") == 0 || strcasecmp(f, "unitprice") == 0 || strcasecmp(f, "unit_price") == 0 ||
	       strcasecmp(f, "discount") == 0;
}

/* A field TM-BIZ-003 reports: a price, a status or an approval the server should decide (a
 * catalog's own price excepted). TM-API-006 leaves these to it: one fact, one finding. */
static bool decided_field(const char *f, bool catalog)
{
	static const char *const decided[] = {"price", "unitprice", "status", "state", "approved", "isapproved",
					      "discount", "paid", "ispaid", "total", "amountpaid"};
	for (size_t d = 0; d < TM_ARRAY_LEN(decided); d++)
		if (strcasecmp(f, decided[d]) == 0)
			return !(catalog && price_field(f));
	return false;
}

/* An operation that asks a question rather than writes: a policy decision (authorize, check,
 * evaluate), a search or a query, a validation or a preview. The role or permission in its body is
 * what is asked about, not a value stored. */
static bool asks(const tm_node *ep)
{
	static const char *const words[] = {"authorize", "authorise", "check", "evaluat", "decision", "search",
					    "query", "validat", "lookup", "preview", "simulat", "dry-run", "dryrun"};
	const char *opid = tm_node_attr_str(ep, "operation_id");
	bool said = path_has(ep, words, TM_ARRAY_LEN(words));
	for (size_t i = 0; opid && i < TM_ARRAY_LEN(words) && !said; i++)
		said = tm_strcasecontains(opid, words[i]);
	/* a checkout writes an order */
	static const char *const checkout[] = {"checkout"};
	return said && !path_has(ep, checkout, 1) && !(opid && tm_strcasecontains(opid, "checkout"));
}

void tm_rule__api_mass_assignment(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		/* the fields on the object the request writes: those inside an array's items are values of
		 * a list (TM-BIZ-003 still weighs an order line's price) */
		const char *const *f = tm_rules__list(ep, "privileged_writable");
		if (!f || !reachable(ep) || asks(ep))
			continue;
		/* a field the path names is the operation's purpose (PUT /members/{id}/roles sets roles, POST
		 * /prices makes a price): an administration API, not a field slipped into a request */
		char pbuf[512];
		const char *lpath = lower(tm_node_attr_str(ep, "path"), pbuf, sizeof(pbuf));
		/* an access-administration path (roles, members, teammates, keys, tokens, grants) sets who
		 * may do what on purpose */
		static const char *const admin[] = {"role", "permission", "scope", "member", "teammate", "/keys",
						    "/tokens", "grant", "acl", "/polic", "collaborat", "invit"};
		bool administers = false;
		for (size_t k = 0; k < TM_ARRAY_LEN(admin) && !administers; k++)
			administers = strstr(lpath, admin[k]) != NULL;
		if (administers)
			continue;
		bool beyond = false, catalog = catalog_path(ep);
		tm_strbuf sb = TM_STRBUF_INIT; /* the fields left to this rule */
		for (size_t k = 0; f[k]; k++) {
			if (decided_field(f[k], catalog))
				continue;
			tm_strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", f[k]);
			char fbuf[64];
			const char *lf = lower(f[k], fbuf, sizeof(fbuf));
			size_t fl = strlen(lf);
			if (fl > 1 && lf[fl - 1] == 's')
				fbuf[--fl] = '\0'; /* roles -> role, permissions -> permission */
			beyond |= !workflow_field(f[k]) && !(fl >= 4 && strstr(lpath, lf)) && !(catalog && price_field(f[k]));
		}
		if (beyond)
			emit_ep(c, ep, NULL, tm_rules__printf(c, "%s lets the client set %s", tm_node_name(ep), sb.data ? sb.data : ""),
				outside_known(ep) || (outside(ep) && tm_rules__attr_true(ep, "anonymous")) ? -1 : TM_SEV_MEDIUM,
				NULL);
		tm_strbuf_dispose(&sb);
	}
}

/* A name lowercased with '_' and '-' dropped, into buf. */
static const char *squash(const char *name, char *buf, size_t cap)
{
	size_t n = 0;
	for (const char *p = name; *p && n + 1 < cap; p++)
		if (*p != '_' && *p != '-')
			buf[n++] = (char)tolower((unsigned char)*p);
	buf[n] = '\0';
	return buf;
}

bool tm_rules__secret_field(const char *name)
{
	char buf[64];
	const char *low = squash(name, buf, sizeof(buf));
	return strstr(low, "password") || strstr(low, "cvv") || strstr(low, "cardnumber") || strstr(low, "secret") ||
	       strstr(low, "token") || strcmp(low, "ssn") == 0;
}

/* The caller's own record (/me, /self, /users/current, /profile, /account): its personal data is
 * what the caller asked for. */
static bool own_record(const tm_node *ep)
{
	static const char *const tails[] = {"/me", "/self", "/current", "/profile", "/my-profile", "/account", "/whoami"};
	char buf[512];
	const char *path = lower(tm_node_attr_str(ep, "path"), buf, sizeof(buf));
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	for (size_t i = 0; i < TM_ARRAY_LEN(tails); i++) {
		size_t tl = strlen(tails[i]);
		if (n >= tl && strncmp(path + n - tl, tails[i], tl) == 0)
			return true;
	}
	return strstr(path, "/me/") != NULL;
}

/* Does the operation's path name the field ("{account_number}" and account_number): the identifier
 * the caller sent, echoed back. */
static bool echoes_path(const tm_node *ep, const char *field)
{
	char want[128], got[128];
	squash(field, want, sizeof(want));
	const char *path = tm_node_attr_str(ep, "path");
	for (const char *p = path ? strchr(path, '{') : NULL; p; p = strchr(p + 1, '{')) {
		size_t n = strcspn(p + 1, "}");
		char name[128];
		tm_formatf(name, sizeof(name), "%.*s", (int)n, p + 1);
		if (strcmp(squash(name, got, sizeof(got)), want) == 0)
			return true;
	}
	return false;
}

void tm_rule__api_sensitive_response(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		const char *const *all = tm_rules__list(ep, "sensitive_response");
		if (!all || !reachable(ep) || auth_flow(ep) || creates_credential(ep))
			continue;
		/* what counts: not the identifier the caller sent, and on the caller's own record only secrets */
		const char *f[64];
		size_t nf = 0;
		bool secret = false, own = own_record(ep);
		for (size_t k = 0; all[k] && nf + 1 < TM_ARRAY_LEN(f); k++) {
			bool s = tm_rules__secret_field(all[k]);
			if (echoes_path(ep, all[k]) || (own && !s))
				continue;
			secret = secret || s;
			f[nf++] = all[k];
		}
		f[nf] = NULL;
		if (!nf)
			continue;
		/* a read that hands out a secret is the leak; a write's response echoes what it made */
		const char *m = tm_node_attr_str(ep, "method");
		bool read = m && strcmp(m, "GET") == 0;
		/* personal data to callers inside the cluster only (its own services): low */
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s returns %s", tm_node_name(ep), joined(c, f, false)),
			secret && read && outside_known(ep) ? TM_SEV_HIGH : !secret && !outside(ep) ? TM_SEV_LOW : -1, NULL);
	}
}

/* A list, search or query operation: a read (GET), a response that is a list, or a path or
 * operation id that says it searches, queries, lists, filters or exports. */
static bool list_like(const tm_node *ep)
{
	static const char *const words[] = {"search", "query", "list", "find", "filter", "export", "browse",
					    "lookup", "scan", "batch", "bulk"};
	const char *m = tm_node_attr_str(ep, "method");
	if ((m && strcmp(m, "GET") == 0) || tm_rules__attr_true(ep, "returns_list"))
		return true;
	if (path_has(ep, words, TM_ARRAY_LEN(words)))
		return true;
	const char *opid = tm_node_attr_str(ep, "operation_id");
	for (size_t i = 0; opid && i < TM_ARRAY_LEN(words); i++)
		if (tm_strcasecontains(opid, words[i]))
			return true;
	return false;
}

void tm_rule__api_unbounded(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		if (!reachable(ep))
			continue;
		const char *const *pages = tm_rules__list(ep, "page_params");
		bool unbounded_page = false;
		for (size_t k = 0; pages && pages[k]; k++)
			unbounded_page = unbounded_page || strstr(pages[k], ":unbounded") != NULL;
		const char *path = tm_node_attr_str(ep, "path");
		const char *method = tm_node_attr_str(ep, "method");
		bool export = path && method && strcmp(method, "GET") == 0 &&
			      (strstr(path, "export") || strstr(path, "dump") || strstr(path, "download") ||
			       strstr(path, "bulk")) && !pages;
		/* a collection read that returns a list and takes no paging at all: one call reads it whole */
		bool whole = method && strcmp(method, "GET") == 0 && tm_rules__attr_true(ep, "returns_list") && !pages &&
			     !export && path && path[strlen(path) - 1] != '}';
		if (whole)
			emit_ep(c, ep, "list",
				tm_rules__printf(c, "%s returns the whole collection: no paging parameter bounds it", tm_node_name(ep)),
				-1, NULL);
		if (unbounded_page)
			emit_ep(c, ep, "page",
				tm_rules__printf(c, "%s page size has no maximum (%s)", tm_node_name(ep), joined(c, pages, false)),
				-1, NULL);
		if (export)
			emit_ep(c, ep, "export",
				tm_rules__printf(c, "%s exports without paging or a bound", tm_node_name(ep)), -1, NULL);
		/* a page size in a body (size, limit, count) sizes the work of a list or a search; beside the
		 * fields of one object written or read (a document's size), it describes the object */
		const char *counts[65];
		size_t n = 0;
		const char *const *repeat = tm_rules__list(ep, "unbounded_counts");
		const char *const *page = list_like(ep) ? tm_rules__list(ep, "page_fields") : NULL;
		for (size_t k = 0; repeat && repeat[k] && n + 1 < TM_ARRAY_LEN(counts); k++)
			counts[n++] = repeat[k];
		for (size_t k = 0; page && page[k] && n + 1 < TM_ARRAY_LEN(counts); k++)
			counts[n++] = page[k];
		counts[n] = NULL;
		if (n)
			emit_ep(c, ep, "count",
				tm_rules__printf(c, "%s takes %s with no maximum: the caller decides how much work it does",
						 tm_node_name(ep), joined(c, counts, false)),
				-1, NULL);
	}
}

/* Where a request forged by the service can go: the services and third parties its walk reaches. */
static const char *ssrf_reach(tm_rule_ctx *c, const tm_node *ep)
{
	const char *svc = tm_node_attr_str(ep, "service");
	if (!svc || strncmp(svc, "service:", 8) != 0)
		return "";
	char pos[512];
	tm_formatf(pos, sizeof(pos), "workload:%s", svc + 8);
	tm_reach *r = NULL;
	const char *why;
	if (tm_reach_run(&r, c->m, pos, &why)) {
		tm_reach_free(r);
		return "";
	}
	tm_strbuf sb = TM_STRBUF_INIT;
	size_t n = 0;
	for (size_t i = 1; i < tm_reach_count(r); i++) {
		const tm_hop *h = tm_reach_at(r, i);
		const tm_node *x = h->node;
		/* what the service itself sends requests to, as the policies allow */
		if (h->depth != 1 || strcmp(h->how, "calls") != 0)
			continue;
		if (n++ < 4)
			tm_strbuf_printf(&sb, "%s%s", n > 1 ? ", " : "", tm_node_id(x));
	}
	tm_reach_free(r);
	const char *out = n ? tm_rules__printf(c, "; from inside it reaches %s%s", sb.data ? sb.data : "", n > 4 ? ", ..." : "")
			    : "; the model shows nothing else it reaches, but the cloud metadata address always is";
	tm_strbuf_dispose(&sb);
	return out;
}

void tm_rule__api_ssrf(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		const char *const *u = tm_rules__list(ep, "url_inputs");
		if (!u || !reachable(ep))
			continue;
		/* a redirect or return address is sent back to the browser, not fetched by the service */
		const char *fetched[TM_EMIT_MAX + 1];
		size_t nf = 0;
		for (size_t k = 0; u[k] && nf < TM_EMIT_MAX; k++) {
			char buf[128];
			const char *l = lower(u[k], buf, sizeof(buf));
			if (!strstr(l, "redirect") && !strstr(l, "return") && !strstr(l, "success_url") && !strstr(l, "cancel_url"))
				fetched[nf++] = u[k];
		}
		fetched[nf] = NULL;
		if (!nf)
			continue;
		/* high when reached from outside by anyone, or by clients of a service the inputs deploy (from
		 * inside a cluster or a cloud account, the metadata address and the neighbours are there);
		 * medium for an authenticated client of a spec whose deployment is only assumed */
		bool high = outside(ep) && (tm_rules__attr_true(ep, "anonymous") || !tm_node_attr_str(ep, "exposure_assumed"));
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s takes URL input %s that the service may fetch%s", tm_node_name(ep),
					 joined(c, fetched, true), ssrf_reach(c, ep)),
			high ? -1 : TM_SEV_MEDIUM, NULL);
	}
}

/* What a path serves, for TM-API-010. */
enum disc {
	DISC_NONE,        /* an ordinary operation, or a probe: health, info, readiness, liveness */
	DISC_DESCRIPTION, /* the API's own description (openapi.json, swagger.json, /v3/api-docs) or its UI */
	DISC_REFLECTION,  /* gRPC server reflection: every service and its descriptors to any client */
	DISC_DEBUG,       /* debug, actuator, metrics, environment: internals */
};

/* Is the segment at s (up to '/' or the end) one of words? */
static bool segment_is(const char *s, const char *const *words, size_t n)
{
	size_t sl = strcspn(s, "/");
	for (size_t i = 0; i < n; i++)
		if (strlen(words[i]) == sl && strncasecmp(s, words[i], sl) == 0)
			return true;
	return false;
}

/* A probe's path: its last segment (or what follows /actuator/) is health, info, readiness or
 * liveness. Platforms call these unauthenticated by design and they say only "up"; Spring Boot's
 * own default exposes exactly health (with its liveness and readiness groups) and info. */
static bool probe_path(const char *path)
{
	static const char *const probes[] = {"health", "healthz", "healthcheck", "health-check", "info", "livez",
					     "readyz", "liveness", "readiness", "ping", "alive", "ready", "live"};
	const char *act = strstr(path, "/actuator/");
	if (act)
		return segment_is(act + 10, probes, TM_ARRAY_LEN(probes)) &&
		       (strncmp(act + 10, "health", 6) == 0 || !strchr(act + 10, '/'));
	const char *last = strrchr(path, '/');
	return last && segment_is(last + 1, probes, TM_ARRAY_LEN(probes));
}

static enum disc discovery_kind(const char *path)
{
	static const char *const debug[] = {"/actuator", "/debug", "/_debug", "/metrics", "/env", "/heapdump",
					    "/trace", "/pprof", "/__", "/console", "/graphiql", "/phpinfo",
					    "/server-status", "/grpc.channelz."};
	static const char *const described[] = {"/swagger", "/openapi", "/api-docs", "/.well-known/openapi", "/redoc"};
	if (!path)
		return DISC_NONE;
	/* grpc.reflection.v1alpha.ServerReflection, grpc.reflection.v1.ServerReflection */
	if (strncmp(path, "/grpc.reflection.", 17) == 0 && strstr(path, ".ServerReflection/"))
		return DISC_REFLECTION;
	if (probe_path(path))
		return DISC_NONE;
	for (size_t i = 0; i < TM_ARRAY_LEN(described); i++)
		if (strstr(path, described[i]))
			return DISC_DESCRIPTION;
	/* FastAPI's and others' documentation UI at the root: /docs, /redoc */
	if (strcmp(path, "/docs") == 0 || strcmp(path, "/docs/") == 0)
		return DISC_DESCRIPTION;
	for (size_t i = 0; i < TM_ARRAY_LEN(debug); i++)
		if (strstr(path, debug[i]))
			return DISC_DEBUG;
	/* under /internal/: what a service keeps to itself */
	return strstr(path, "/internal/") ? DISC_DEBUG : DISC_NONE;
}

/* Does the comma- or space-separated list v hold the word w (case ignored)? */
static bool word_in(const char *v, const char *w)
{
	size_t wl = strlen(w);
	for (const char *p = v; *p;) {
		p += strspn(p, " ,\"'[]");
		size_t n = strcspn(p, " ,\"'[]");
		if (n == wl && strncasecmp(p, w, n) == 0)
			return true;
		p += n;
	}
	return false;
}

/* What w's Actuator settings leave served over HTTP of the endpoints that tell or change more than
 * health and info: those include names (each of them for "*"), less those exclude names ("*": every
 * one), less those switched off (management.endpoint.<id>.enabled or .access, else the default:
 * management.endpoints.enabled-by-default or access.default). Comma-joined into sb; returns how many,
 * and in *always how many of them every application has (not a module's: gateway, jolokia, refresh). */
static size_t actuator_left(const char *const *act, const char *const *limits, tm_strbuf *sb, size_t *always)
{
	static const char *const sensitive[] = {"env", "heapdump", "threaddump", "configprops", "loggers", "mappings",
						"beans", "logfile", "shutdown", "gateway", "jolokia", "httptrace",
						"httpexchanges", "sessions", "refresh", "restart"};
	const size_t core = 9; /* the first nine: Spring Boot's own */
	bool star = false, default_off = false;
	for (size_t i = 0; act && act[i]; i++)
		star |= word_in(act[i], "*");
	for (size_t i = 0; limits && limits[i]; i++) {
		const char *eq = strchr(limits[i], '=');
		const char *v = eq ? eq + 1 : "";
		if (strncmp(limits[i], "management.endpoints.web.exposure.exclude", 41) == 0 && word_in(v, "*"))
			return 0;
		if ((strncmp(limits[i], "management.endpoints.enabled-by-default=", 40) == 0 && word_in(v, "false")) ||
		    (strncmp(limits[i], "management.endpoints.access.default=", 36) == 0 && word_in(v, "none")))
			default_off = true;
	}
	size_t left = 0;
	*always = 0;
	for (size_t k = 0; k < TM_ARRAY_LEN(sensitive); k++) {
		bool named = star;
		for (size_t i = 0; act && act[i] && !named; i++)
			named = word_in(act[i], sensitive[k]);
		int on = default_off ? 0 : 1;
		for (size_t i = 0; limits && limits[i] && named; i++) {
			const char *eq = strchr(limits[i], '=');
			const char *v = eq ? eq + 1 : "";
			char key[96];
			if (strncmp(limits[i], "management.endpoints.web.exposure.exclude", 41) == 0 && word_in(v, sensitive[k]))
				named = false;
			tm_formatf(key, sizeof(key), "management.endpoint.%s.", sensitive[k]);
			size_t kl = strlen(key);
			if (eq && strncmp(limits[i], key, kl) == 0 && (size_t)(eq - limits[i]) > kl)
				on = !(word_in(v, "false") || word_in(v, "none"));
		}
		if (!named || !on)
			continue;
		tm_strbuf_printf(sb, "%s%s", left ? ", " : "", sensitive[k]);
		left++;
		*always += k < core;
	}
	return left;
}

/* Does the internet reach w's /actuator paths: a route from the internet into w itself (a published
 * port, a LoadBalancer or NodePort: the whole port), or a route of an internet-facing gateway with
 * no path (a connection-level route), "/" or a prefix of /actuator? */
static bool actuator_routed(const tm_model *m, const tm_node *w)
{
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(m, w, TM_EDGE_ROUTES, &cur)) != NULL;) {
		const tm_node *from = tm_edge_from(e);
		if (strcmp(tm_node_id(from), "entrypoint:internet") == 0)
			return true;
		if (tm_node_kind_of(from) != TM_NODE_GATEWAY || !tm_rules__internet_facing(m, from))
			continue;
		const tm_attr *paths = tm_edge_attr_get(e, "paths");
		if (!paths || paths->type != TM_ATTR_LIST)
			return true;
		for (uint32_t i = 0; i < paths->list_len; i++) {
			const char *p = paths->list[i];
			size_t n = strcspn(p, "*");
			if (n <= 1 || strncmp("/actuator", p, n < 9 ? n : 9) == 0)
				return true;
		}
	}
	return false;
}

/*
 * Administration APIs that a product serves on its public port under a path prefix its vendor says
 * not to route from the internet, for the path-prefix mechanism Actuator's /actuator has: a route
 * of a gateway the internet reaches that takes the prefix (`location /`, a regular expression such
 * as ^(/_matrix|/_synapse) that matches it) lets the internet at it, though the product itself asks
 * for an administrator's credentials there. Only products whose documentation names the path:
 *   Synapse: /_synapse/admin ("we do not recommend exposing them to the public internet",
 *            docs/reverse_proxy.md; forward /_matrix and /_synapse/client only); with the shared
 *            registration secret in hand, /_synapse/admin/v1/register makes an administrator;
 *   Keycloak: /admin/ (the reverse-proxy guide's "Exposed path recommendations": /admin/ not
 *            exposed, /realms/ and /resources/ exposed), /auth/admin/ for the WildFly images
 *            (jboss/keycloak) and an http-relative-path of /auth.
 * Not here: RabbitMQ's management API (/api) and Elasticsearch's /_cluster, /_nodes are not a
 * path of a public API but the whole of a port of their own (the management port 15672; the store's
 * 9200), which TM-MESH-012 and TM-MESH-007 judge by the port; Mattermost and Rocket.Chat keep their
 * administration inside the application's own API behind its sessions, with no path of its own.
 * Matched by the image's repository (its last components), asked of the routes through `query can
 * internet` with the gateway's own credential check deciding (a login at the gateway keeps it
 * quiet), a route through a gateway only (a published port is TM-MESH-012's, by port).
 */
static const struct admin_api {
	const char *repos;     /* image repositories, '|'-separated, matched by their last components */
	const char *product;
	const char *prefix;    /* as said */
	const char *probes[3]; /* a path under each prefix, asked of the routes; NULL-terminated */
	const char *what;
	const char *takeover_key; /* a credential whose holder needs no administrator (Synapse's
				   * registration_shared_secret), or NULL */
	const char *snippet;
} ADMIN_APIS[] = {
	{"matrixdotorg/synapse|element-hq/synapse", "Synapse", "/_synapse/admin",
	 {"/_synapse/admin/v1/server_version", NULL, NULL},
	 "users, rooms, media and registration, with an administrator's access token",
	 "registration_shared_secret",
	 "location ~ ^(/_matrix|/_synapse/client) {   # not /_synapse/admin\n    proxy_pass http://synapse:8008;\n}\n"},
	{"keycloak/keycloak|jboss/keycloak|bitnami/keycloak|keycloak", "Keycloak", "/admin/",
	 {"/admin/realms/master", "/auth/admin/realms/master", NULL},
	 "the administration console and REST API of every realm, behind the master realm's login", NULL,
	 "location /realms/    { proxy_pass http://keycloak:8080; }\nlocation /resources/ { proxy_pass "
	 "http://keycloak:8080; }\n# /admin/ on an internal hostname or network only\n"},
};

/* Does image's repository (registry host, tag and digest aside) end with one of repos' entries, at
 * a '/' boundary? */
static bool image_is(const char *image, const char *repos)
{
	size_t n = strcspn(image, "@"), rl = n;
	for (size_t i = n; i-- > 0 && image[i] != '/';) /* a tag: a ':' after the last '/', not a port */
		if (image[i] == ':') {
			rl = i;
			break;
		}
	for (const char *r = repos; *r;) {
		size_t el = strcspn(r, "|");
		if (rl >= el && strncasecmp(image + rl - el, r, el) == 0 && (rl == el || image[rl - el - 1] == '/'))
			return true;
		r += el + (r[el] == '|');
	}
	return false;
}

/* The credential named key that workload w holds from a configuration file of the scan (a secret
 * node whose keys hold it, with an edge from w), its place; loc.path NULL when none. */
static tm_loc held_credential(const tm_model *m, const tm_node *w, const char *key)
{
	TM_EACH_OF_KIND(m, s, TM_NODE_SECRET)
	{
		const char *const *keys = tm_rules__list(s, "keys");
		const char *named = NULL;
		for (size_t i = 0; keys && keys[i] && !named; i++) {
			const char *dot = strrchr(keys[i], '.');
			named = strcmp(dot ? dot + 1 : keys[i], key) == 0 ? keys[i] : NULL;
		}
		size_t cur = 0;
		for (const tm_edge *e; named && (e = tm_rules__in_edge(m, s, -1, &cur)) != NULL;)
			if (tm_edge_from(e) == w)
				return tm_rules__fact_loc(s, "config_credentials", named);
	}
	return (tm_loc){0};
}

/* The gateway route from the internet into w that lets path through, asked of each gateway that
 * routes to w (query can internet, through that gateway alone, its own credential check deciding:
 * a NodePort or published port beside it is not the route asked about): the gateway, and its routes
 * edge into w in *edge; NULL when none does. */
static const char *const *edge_list(const tm_edge *e, const char *key)
{
	const tm_attr *a = e ? tm_edge_attr_get(e, key) : NULL;
	return a && a->type == TM_ATTR_LIST && a->list[0] ? a->list : NULL;
}

static const tm_node *admin_route(tm_rule_ctx *c, const tm_node *w, const char *path, const tm_edge **edge)
{
	size_t cur = 0;
	for (const tm_edge *r; (r = tm_rules__in_edge(c->m, w, TM_EDGE_ROUTES, &cur)) != NULL;) {
		const tm_node *g = tm_edge_from(r);
		if (tm_node_kind_of(g) != TM_NODE_GATEWAY)
			continue;
		tm_request req;
		memset(&req, 0, sizeof(req));
		req.source = "internet";
		req.destination = tm_node_id(w);
		req.path = path;
		req.via = tm_node_id(g);
		req.gateway_authn = true;
		tm_verdict v;
		bool open = tm_query_can(&v, c->m, &req) == 0 && v.allowed && !v.unknown;
		tm_verdict_dispose(&v);
		if (open) {
			*edge = r;
			return g;
		}
	}
	return NULL;
}

/* A known administration API (ADMIN_APIS) routed from the internet: medium, high when the workload
 * holds the credential that needs no administrator. */
static void admin_apis(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, w, TM_NODE_SERVICE)
	{
		const char *const *img = w->is_workload ? tm_rules__list(w, "images") : NULL;
		const struct admin_api *k = NULL;
		for (size_t i = 0; img && img[i] && !k; i++)
			for (size_t a = 0; a < TM_ARRAY_LEN(ADMIN_APIS) && !k; a++)
				k = image_is(img[i], ADMIN_APIS[a].repos) ? &ADMIN_APIS[a] : NULL;
		const tm_node *g = NULL;
		const tm_edge *route = NULL;
		const char *probe = NULL;
		for (size_t p = 0; k && !g && p < TM_ARRAY_LEN(k->probes) && k->probes[p]; p++)
			g = admin_route(c, w, probe = k->probes[p], &route);
		if (!g)
			continue;
		const char *via = tm_node_id(g);
		tm_emit e;
		tm_emit_init(&e, w);
		e.nevidence = 0;
		if (tm_edge_evidence_count(route))
			tm_emit_loc(&e, tm_edge_evidence(route, 0));
		tm_emit_loc(&e, tm_rules__manifest_loc(w));
		tm_loc held = k->takeover_key ? held_credential(c->m, w, k->takeover_key) : (tm_loc){0};
		if (held.path)
			tm_emit_loc(&e, held);
		e.path[0] = "entrypoint:internet";
		e.path[1] = via;
		e.path[2] = tm_node_id(w);
		e.npath = 3;
		e.key = tm_rules__printf(c, "admin-api:%s", k->product);
		/* an allow-list on the gateway's routes to w (nginx's allow/deny in one location) is kept per
		 * edge, not per path: it may be the one keeping the internet out of this path, said */
		const char *const *allow = edge_list(route, "allow_lists");
		e.title = tm_rules__printf(c, "%s: %s's administration API (%s: %s) is routed from the internet via %s (%s "
					      "taken); its vendor documents it as not for the internet%s%s%s",
					   tm_node_id(w), k->product, k->prefix, k->what, via, probe,
					   held.path ? tm_rules__printf(c, ", and %s is written in %s: whoever reads it registers "
									 "an administrator there, no token needed",
									 k->takeover_key, held.path)
						     : "",
					   allow ? "; an allow-list on the gateway's routes to it (" : "",
					   allow ? tm_rules__printf(c, "%s) may keep the internet out of this path: the files "
								       "do not say which route it guards",
								    allow[0])
						 : "");
		e.severity = allow ? TM_SEV_LOW : held.path ? TM_SEV_HIGH : TM_SEV_MEDIUM;
		e.snippet = k->snippet;
		tm_emit_fold_namespace(c, &e, "route a product's administration API from the internet");
		tm_rules__emit(c, &e);
	}
}

void tm_rule__api_discovery(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		enum disc kind = discovery_kind(tm_node_attr_str(ep, "path"));
		if (kind == DISC_NONE || !reachable(ep))
			continue;
		bool anon = tm_rules__attr_true(ep, "anonymous");
		if (kind == DISC_DESCRIPTION) {
			/* a public API publishes its description on purpose (the UI over it, /docs, likewise):
			 * worth a word only where it maps operations for callers from outside */
			if (outside(ep))
				emit_ep_as(c, ep, NULL,
					   tm_rules__printf(c, "%s serves the API's description to %s%s: published on purpose "
							       "for a public API, a map of every operation otherwise",
							    tm_node_name(ep), where(c, ep), anon ? " without credentials" : ""),
					   TM_SEV_LOW, NULL, "serve the API's description to callers from outside");
			continue;
		}
		if (kind == DISC_REFLECTION) {
			/* reflection inside the cluster is how its own tools (grpcurl, a mesh's console) list
			 * services; beyond it, any client lists every service and fetches its descriptors */
			if (outside(ep))
				emit_ep_as(c, ep, NULL,
					   tm_rules__printf(c, "%s (gRPC server reflection) is reachable from %s: any client "
							       "lists every service and fetches its descriptors (grpcurl list, "
							       "describe)", tm_node_name(ep), where(c, ep)),
					   outside_known(ep) ? TM_SEV_HIGH : TM_SEV_MEDIUM, NULL,
					   "serve gRPC server reflection beyond the cluster");
			continue;
		}
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s is reachable from %s%s", tm_node_name(ep), where(c, ep),
					 anon ? " without credentials" : ""),
			anon && outside(ep) ? TM_SEV_HIGH : outside(ep) ? TM_SEV_MEDIUM : TM_SEV_LOW, NULL);
	}
	/* Spring Boot Actuator endpoints an application's configuration exposes over HTTP (calls.c:
	 * management.endpoints.web.exposure.include beyond health and info), no API spec needed */
	TM_EACH_OF_KIND(c->m, w, TM_NODE_SERVICE)
	{
		const char *const *act = w->is_workload ? tm_rules__list(w, "actuator_exposed") : NULL;
		if (!act || !act[0])
			continue;
		/* high when the internet reaches /actuator: the workload's port opened whole, or a route of an
		 * exposed gateway whose paths take it in; on a management port of its own, what opens that
		 * port is not weighed here */
		const char *const *mport = tm_rules__list(w, "actuator_port");
		/* management.server.port -1: no HTTP endpoint at all */
		bool off = false;
		for (size_t i = 0; mport && mport[i]; i++)
			off |= strcmp(mport[i], "-1") == 0;
		const char *const *limits = tm_rules__list(w, "actuator_limits");
		tm_strbuf left = TM_STRBUF_INIT;
		size_t always = 0, nleft = off ? 0 : actuator_left(act, limits, &left, &always);
		if (!nleft) {
			tm_strbuf_dispose(&left);
			continue;
		}
		bool internet = !mport && actuator_routed(c->m, w);
		tm_emit e;
		tm_emit_init(&e, w);
		e.nevidence = 0;
		tm_strbuf sb = TM_STRBUF_INIT;
		for (size_t i = 0; act[i]; i++) {
			tm_strbuf_printf(&sb, "%s%s", i ? ", " : "", act[i]);
			tm_emit_loc(&e, tm_rules__fact_loc(w, "actuator_exposed", act[i]));
		}
		for (size_t i = 0; limits && limits[i]; i++)
			tm_emit_loc(&e, tm_rules__fact_loc(w, "actuator_limits", limits[i]));
		/* what the limits leave of it, when they take some away */
		if (limits && !left.oom && left.data)
			tm_strbuf_printf(&sb, "; left after exclude and enabled settings: %s%s", left.data,
					 always ? "" : ", each only where its module is in the application");
		tm_strbuf_dispose(&left);
		tm_emit_loc(&e, tm_rules__manifest_loc(w));
		e.key = "actuator";
		e.title = tm_rules__printf(c, "%s: Spring Boot Actuator endpoints exposed over HTTP (%s)%s%s; whether Spring "
					      "Security guards them is in the code, not read",
					   tm_node_id(w), sb.oom || !sb.data ? "" : sb.data,
					   mport ? tm_rules__printf(c, " on management port %s", mport[0]) : "",
					   internet ? ", reachable from the internet" : "");
		tm_strbuf_dispose(&sb);
		e.severity = internet ? (always ? TM_SEV_HIGH : TM_SEV_MEDIUM) : TM_SEV_LOW;
		e.snippet = "management:\n  endpoints:\n    web:\n      exposure:\n        include: health,info\n"
			    "  server:\n    port: 8081   # a port no route or published port reaches\n";
		tm_emit_fold_namespace(c, &e, "expose Spring Boot Actuator endpoints over HTTP");
		tm_rules__emit(c, &e);
	}
	admin_apis(c);
}

void tm_rule__api_identity_header(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		const char *const *h = tm_rules__list(ep, "identity_headers");
		if (!h || !reachable(ep))
			continue;
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s takes the caller's identity from %s", tm_node_name(ep), joined(c, h, false)),
			outside(ep) ? -1 : TM_SEV_MEDIUM, NULL);
	}
}

/* The operations of the sign-in flow that someone can hammer: a password, a code, a reset. */
static bool guessable_flow(const tm_node *ep)
{
	static const char *const words[] = {"login", "logon", "signin", "sign-in", "sign_in", "token", "otp", "/pin",
					    "password", "reset", "forgot", "verify", "mfa", "2fa", "session"};
	if (path_has(ep, words, TM_ARRAY_LEN(words)))
		return true;
	char buf[512];
	const char *path = lower(tm_node_attr_str(ep, "path"), buf, sizeof(buf));
	/* "/auth" as a segment, not the start of "authorised" */
	const char *a = strstr(path, "/auth");
	return a && (a[5] == '\0' || a[5] == '/');
}

void tm_rule__api_brute_force(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		const char *m = tm_node_attr_str(ep, "method");
		/* a sign-in is a POST, or whatever method takes the password in its URL (GET /login?password=) */
		if (!m || !(strcmp(m, "POST") == 0 || password_in_url(ep)) || !tm_rules__attr_true(ep, "anonymous") ||
		    !reachable(ep) || !guessable_flow(ep) || tm_rules__attr_true(ep, "rate_limited_documented"))
			continue;
		/* a limit at the edge (a gateway's rate-limit plugin or policy) answers it */
		const char *svc = tm_node_attr_str(ep, "service");
		const tm_node *s = svc ? tm_model_find(c->m, svc) : NULL;
		if (tm_rules__attr_true(ep, "rate_limited") || (s && tm_rules__attr_true(s, "rate_limited")))
			continue;
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s can be tried without limit: no 429 documented, no rate limit in front of it",
					 tm_node_name(ep)),
			-1, NULL);
	}
}

/* The operations of one service that accept weak credentials share their cause, the spec's
 * security scheme: they fold into one finding per service listing each operation. */
static void emit_weak_scheme(tm_rule_ctx *c, const tm_node *ep, const char *scheme, const char *title,
			     const char *action)
{
	tm_emit e;
	tm_emit_init(&e, ep);
	const char *svc = tm_node_attr_str(ep, "service");
	const char *entry = outside(ep) ? entry_of(c, ep) : NULL;
	if (entry)
		e.path[0] = entry, e.path[1] = tm_node_id(ep), e.npath = 2;
	else if (outside(ep))
		e.path[0] = tm_node_id(ep), e.npath = 1;
	if (svc) {
		tm_emit_path(&e, svc);
		e.fold = svc;
		tm_node_id_parts id; /* "service:shop/catalog" is labelled "service shop/catalog" */
		e.fold_label = tm_rules__printf(c, "service %s", tm_node_id_parse(svc, &id) ? svc : id.rest);
		e.fold_noun = "operations";
		e.fold_what = "accept weak credentials (HTTP basic, an API key in the query string, the OAuth "
			      "implicit flow, or a credential in the URL)";
	}
	e.key = scheme;
	e.title = title;
	e.action = action;
	tm_rules__emit(c, &e);
}

void tm_rule__api_weak_scheme(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		const char *const *s = tm_rules__list(ep, "auth_schemes");
		for (size_t k = 0; s && s[k]; k++) {
			const char *why = strcmp(s[k], "http/basic") == 0		  ? "HTTP basic credentials"
					  : strcmp(s[k], "apiKey/query") == 0	  ? "an API key in the query string"
					  : strcmp(s[k], "oauth2/implicit") == 0 ? "the OAuth implicit flow"
										 : NULL;
			if (!why)
				continue;
			emit_weak_scheme(c, ep, s[k], tm_rules__printf(c, "%s accepts %s", tm_node_name(ep), why), NULL);
		}
		/* a password, token or key the operation takes as a query or path parameter: the URL it rides
		 * in is written to access logs, proxies and browser history (an API key scheme in the query
		 * is reported above, as the scheme) */
		bool key_scheme = false;
		for (size_t k = 0; s && s[k]; k++)
			key_scheme = key_scheme || strcmp(s[k], "apiKey/query") == 0;
		const char *const *u = reachable(ep) ? tm_rules__list(ep, "url_credentials") : NULL;
		for (size_t k = 0; u && u[k]; k++) {
			const char *name = strchr(u[k], ':') ? strchr(u[k], ':') + 1 : u[k];
			bool query = strncmp(u[k], "query:", 6) == 0;
			size_t nl = strlen(name);
			if (query && key_scheme && nl >= 3 && strcasecmp(name + nl - 3, "key") == 0)
				continue;
			emit_weak_scheme(c, ep, tm_rules__printf(c, "url:%s", u[k]),
					 tm_rules__printf(c, "%s takes %s in the URL %s: access logs, proxies and browser "
							     "history keep it", tm_node_name(ep), name, query ? "query string" : "path"),
					 "Take the credential in a header (Authorization) or a POST body, never in the URL; "
					 "where a link must carry one, make it single-use and short-lived, and keep it out of "
					 "access logs.");
		}
	}
}

/* ---- business integrity -------------------------------------------------- */

void tm_rule__biz_no_lower_bound(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		const char *const *n = tm_rules__list(ep, "unbounded_numbers");
		if (!n || !is_write(ep) || !reachable(ep))
			continue;
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s accepts %s without a lower bound", tm_node_name(ep), joined(c, n, true)),
			-1, NULL);
	}
}

static bool money_or_order(const tm_node *ep)
{
	static const char *const words[] = {"order", "payment", "refund", "charge", "transfer", "payout",
					    "checkout", "invoice", "purchase", "withdraw", "coupon", "voucher", "redeem",
					    "topup", "top-up", "giftcard", "gift-card", "wallet"};
	const char *p = tm_node_attr_str(ep, "path");
	if (p && strlen(p) < 512) /* path_has lowercases it once (what fits its buffer) */
		return path_has(ep, words, TM_ARRAY_LEN(words));
	for (size_t i = 0; p && i < TM_ARRAY_LEN(words); i++)
		if (tm_strcasecontains(p, words[i]))
			return true;
	return false;
}

void tm_rule__biz_no_idempotency(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		const char *m = tm_node_attr_str(ep, "method");
		if (!m || strcmp(m, "POST") != 0 || !money_or_order(ep) || tm_rules__list(ep, "idempotency_keys") ||
		    !reachable(ep))
			continue;
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s takes no idempotency key: a retry or replay repeats it", tm_node_name(ep)),
			-1, NULL);
	}
}

/* Is name in the list l? */
static bool names_listed(const char *const *l, const char *name)
{
	for (; l && *l; l++)
		if (strcmp(*l, name) == 0)
			return true;
	return false;
}

void tm_rule__biz_client_controlled(tm_rule_ctx *c)
{
	EACH_ENDPOINT(c, ep)
	{
		/* on the object written, or in a list of items it carries (an order line's price) */
		const char *const *lists[] = {tm_rules__list(ep, "privileged_writable"),
					      tm_rules__list(ep, "privileged_in_items")};
		if ((!lists[0] && !lists[1]) || !reachable(ep))
			continue;
		tm_strbuf sb = TM_STRBUF_INIT;
		bool money = false, catalog = catalog_path(ep);
		for (size_t l = 0; l < 2; l++)
			for (size_t k = 0; lists[l] && lists[l][k]; k++) {
				const char *f = lists[l][k];
				if (!decided_field(f, catalog) || (l && names_listed(lists[0], f)))
					continue;
				tm_strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", f);
				money |= !workflow_field(f);
			}
		/* a status or state the client asks for is a workflow step, unless money rides on it */
		if (sb.len)
			emit_ep(c, ep, NULL,
				tm_rules__printf(c, "%s lets the client decide %s", tm_node_name(ep), sb.data),
				money || money_or_order(ep) ? -1 : TM_SEV_MEDIUM, NULL);
		tm_strbuf_dispose(&sb);
	}
}

/* How an operation is protected, for comparing siblings: its requirements and scopes, in order. */
static const char *protection(tm_rule_ctx *c, const tm_node *ep, const char *svc)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, svc);
	static const char *const keys[] = {"security", "scopes"};
	for (size_t k = 0; k < 2; k++) {
		tm_strbuf_putc(&sb, '\x1f');
		for (const char *const *l = tm_rules__list(ep, keys[k]); l && *l; l++) {
			tm_strbuf_puts(&sb, *l);
			tm_strbuf_putc(&sb, ',');
		}
	}
	const char *key = sb.oom ? "" : tm_rules__strndup(c, sb.data, sb.len);
	if (sb.oom)
		tm_rules__oom(c);
	tm_strbuf_dispose(&sb);
	return key;
}

/* Tags or an operation id that say administration ("admin", "Admin Users", "adminDeleteUser"). */
static bool admin_named(const tm_node *ep)
{
	char buf[256];
	const char *opid = lower(tm_node_attr_str(ep, "operation_id"), buf, sizeof(buf));
	if (strncmp(opid, "admin", 5) == 0)
		return true;
	for (const char *const *t = tm_rules__list(ep, "tags"); t && *t; t++)
		if (strstr(lower(*t, buf, sizeof(buf)), "admin"))
			return true;
	return false;
}

/*
 * Function-level authorization: an administration operation that requires exactly what an ordinary
 * operation of the same service requires. Two passes over the endpoints: the protections ordinary
 * operations use, per service, then the administration operations checked against them.
 */
void tm_rule__api_admin_like_user(tm_rule_ctx *c)
{
	/* the ordinary protection is what the service's ordinary reads ask (a write may already need
	 * an administrator's key) */
	tm_hmap ordinary = TM_HMAP_INIT;
	EACH_ENDPOINT(c, ep)
	{
		const char *svc = tm_node_attr_str(ep, "service");
		const char *m = tm_node_attr_str(ep, "method");
		if (!svc || !m || (strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) ||
		    tm_rules__attr_true(ep, "anonymous") || privileged_path(ep) || admin_named(ep))
			continue;
		const char *key = protection(c, ep, svc);
		if (*key && !tm_hmap_get(&ordinary, key, strlen(key)) && tm_hmap_put(&ordinary, key, strlen(key), (void *)ep))
			tm_rules__oom(c);
	}
	EACH_ENDPOINT(c, ep)
	{
		const char *svc = tm_node_attr_str(ep, "service");
		if (!svc || !ordinary.count || tm_rules__attr_true(ep, "anonymous") || !reachable(ep) ||
		    !(privileged_path(ep) || admin_named(ep)) || tm_node_attr_str(ep, "allow_list"))
			continue;
		const char *key = protection(c, ep, svc);
		const tm_node *like = *key ? tm_hmap_get(&ordinary, key, strlen(key)) : NULL;
		if (!like)
			continue;
		const char *const *scopes = tm_rules__list(ep, "scopes");
		emit_ep(c, ep, NULL,
			tm_rules__printf(c, "%s requires only what %s does (%s)", tm_node_name(ep), tm_node_name(like),
					 scopes ? joined(c, scopes, false)
						: tm_rules__list(ep, "security") ? joined(c, tm_rules__list(ep, "security"), false)
										 : "authentication alone"),
			outside_known(ep) ? TM_SEV_HIGH : TM_SEV_MEDIUM, NULL);
	}
	tm_hmap_dispose(&ordinary);
}

/* ---- business invariants from the overlay --------------------------------------------------- */

/* Does text (lowercase) name the field (an "in:name" entry; '_' and '-' read as spaces)? */
static bool names_field(const char *text, const char *entry)
{
	const char *name = strchr(entry, ':') ? strchr(entry, ':') + 1 : entry;
	char low[128], alt[128];
	lower(name, low, sizeof(low));
	tm_formatf(alt, sizeof(alt), "%s", low);
	for (char *p = alt; *p; p++)
		if (*p == '_' || *p == '-')
			*p = ' ';
	return (*low && strstr(text, low)) || (*alt && strstr(text, alt));
}

/* What the spec shows against one invariant: broken clauses into broken, unverifiable ones into open. */
static void judge_invariant(tm_rule_ctx *c, const tm_node *ep, const char *text, tm_strbuf *broken, tm_strbuf *open)
{
	char low[512];
	lower(text, low, sizeof(low));
	bool checked = false;
	if (strstr(low, "positive") || strstr(low, "> 0") || strstr(low, "greater than zero") || strstr(low, "at least 1") ||
	    strstr(low, "non-negative") || strstr(low, "negative")) {
		checked = true;
		for (const char *const *u = tm_rules__list(ep, "unbounded_numbers"); u && *u; u++)
			if (names_field(low, *u))
				tm_strbuf_printf(broken, "%s%s has no minimum", broken->len ? "; " : "", strchr(*u, ':') ? strchr(*u, ':') + 1 : *u);
	}
	if (strstr(low, "never the client") || strstr(low, "not the client") || strstr(low, "from the catalog") ||
	    strstr(low, "server decides") || strstr(low, "computed by the server") || strstr(low, "approv")) {
		checked = true;
		static const char *const keys[] = {"privileged_writable", "privileged_in_items"};
		for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++)
			for (const char *const *w = tm_rules__list(ep, keys[k]); w && *w; w++)
				if ((names_field(low, *w) || (strstr(low, "approv") && tm_strcasecontains(*w, "approv"))) &&
				    !(k && names_listed(tm_rules__list(ep, keys[0]), *w)))
					tm_strbuf_printf(broken, "%sthe client may write %s", broken->len ? "; " : "", *w);
	}
	if (strstr(low, "once") || strstr(low, "idempoten") || strstr(low, "duplicate") || strstr(low, "exactly one")) {
		checked = true;
		if (!tm_rules__list(ep, "idempotency_keys"))
			tm_strbuf_printf(broken, "%sno idempotency key makes a repeat safe", broken->len ? "; " : "");
	}
	if (strstr(low, "owner") || strstr(low, "belong") || strstr(low, "own ")) {
		checked = true;
		if (tm_rules__list(ep, "object_ids") && !tm_node_attr_str(ep, "ownership"))
			tm_strbuf_printf(open, "%sno ownership check in evidence", open->len ? "; " : "");
	}
	if (strstr(low, "at most") || strstr(low, "no more than") || strstr(low, "limit")) {
		checked = true;
		tm_strbuf_printf(open, "%sthe schema states no such limit", open->len ? "; " : "");
	}
	if (!checked)
		tm_strbuf_printf(open, "%sno check of the model reads this rule", open->len ? "; " : "");
	(void)c;
}

static void each_invariant(tm_rule_ctx *c, bool want_broken)
{
	EACH_ENDPOINT(c, ep)
	{
		for (size_t i = 0; i < tm_node_fact_count(ep); i++) {
			const tm_fact_loc *fl = tm_node_fact(ep, i);
			if (strcmp(fl->key, "invariants") != 0)
				continue;
			tm_strbuf broken = TM_STRBUF_INIT, open = TM_STRBUF_INIT;
			judge_invariant(c, ep, fl->value, &broken, &open);
			const tm_strbuf *which = want_broken ? &broken : &open;
			if (which->len && !which->oom) {
				tm_emit e;
				tm_emit_init(&e, ep);
				/* the operation that breaks it (what to change), then the invariant as written */
				e.evidence[0] = tm_node_evidence_count(ep) ? tm_node_evidence(ep, 0) : fl->loc;
				e.evidence[1] = fl->loc;
				e.nevidence = 2;
				e.path[0] = tm_node_id(ep);
				e.npath = 1;
				e.key = fl->value;
				e.title = tm_rules__printf(c, "%s %s its invariant \"%s\": %s", tm_node_name(ep),
							   want_broken ? "breaks" : "cannot show", fl->value, which->data);
				tm_rules__emit(c, &e);
			}
			tm_strbuf_dispose(&broken);
			tm_strbuf_dispose(&open);
		}
	}
}

void tm_rule__biz_invariant_broken(tm_rule_ctx *c)
{
	each_invariant(c, true);
}

void tm_rule__biz_invariant_unchecked(tm_rule_ctx *c)
{
	each_invariant(c, false);
}
