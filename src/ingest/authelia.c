/*
 * authelia.c - Authelia's access_control, for the gateways that hand their check to it.
 *
 * A Traefik forwardAuth, a Caddy forward_auth (an nginx auth_request is not followed) asks a
 * service whether to let a request through; when that service runs Authelia and its
 * configuration.yml is in the scan, what it answers is written there:
 *   access_control:
 *     default_policy: deny | bypass | one_factor | two_factor    (deny when not set)
 *     rules: [{domain, domain_regex, resources, methods, networks, subject, policy}]
 * The first rule whose conditions a request meets decides; none: the default policy. bypass lets
 * it through without a login, one_factor and two_factor send it to the login, deny refuses it.
 *
 * The configuration (detect.c: "authelia"; its credentials are appconfig.c's) is kept with the
 * gateways; when they finish (gateway.c finds who runs it as it does a gateway's file: a compose
 * service bind-mounting it or its directory), its rules become facts of each workload running it,
 * which analyze/query.c weighs for a route whose `authn_service` is that workload (a file no
 * workload runs is said in a note):
 *   authelia_config          the file (at its access_control)
 *   authelia_default_policy  the default policy (at its value; "deny", Authelia's, when not set)
 *   authelia_rules           one per rule, in order: "NNNN\tPOLICY\tDOMAINS\tDOMAIN_REGEXES\t
 *                            RESOURCES\tMETHODS\tNETWORKS\tSUBJECT" (lists space-separated, the
 *                            regexes \x1f-separated; SUBJECT "1" when the rule names one), at it
 * A policy Authelia does not know makes the rule unknown to query.c (it says so). At most
 * RULES_MAX rules per file are kept (the rest said in a note): query.c reads them once per question.
 */
#include <strings.h>

#include "ingest.h"

#define RULES_MAX 512

struct tm_authelia_cfg {
	const tm_file *f;
	const tm_value *ac; /* access_control */
	struct tm_authelia_cfg *next;
};

void tm_ingest__authelia_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root)
{
	tm_authelia_cfg **head = tm_gw__authelia(ctx);
	const tm_value *ac = tm_map_get(root, "access_control");
	if (!head || tm_value_kind_of(ac) != TM_VALUE_MAP)
		return;
	struct tm_authelia_cfg *c = tm_arena_alloc(ctx->scratch, sizeof(*c));
	if (!c) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	*c = (struct tm_authelia_cfg){f, ac, *head};
	*head = c;
}

const char *tm_ingest__authelia_path(const tm_authelia_cfg *c)
{
	return tm_file_path(c->f);
}

const tm_authelia_cfg *tm_ingest__authelia_next(const tm_authelia_cfg *c)
{
	return c->next;
}

/* A scalar or a sequence of scalars, joined by sep into b. */
static void joined(tm_strbuf *b, const tm_value *v, char sep)
{
	if (tm_value_kind_of(v) == TM_VALUE_SCALAR) {
		const char *s = tm_scalar_str(v, NULL);
		if (s)
			tm_strbuf_puts(b, s);
		return;
	}
	for (size_t i = 0, n = 0; tm_value_kind_of(v) == TM_VALUE_SEQ && i < tm_value_len(v); i++) {
		const char *s = tm_scalar_str(tm_seq_at(v, i), NULL);
		if (!s)
			continue;
		if (n++)
			tm_strbuf_putc(b, sep);
		tm_strbuf_puts(b, s);
	}
}

void tm_ingest__authelia_rules(tm_ingest_ctx *ctx, const tm_authelia_cfg *c, tm_node *w)
{
	const tm_value *dp = tm_map_get(c->ac, "default_policy");
	const char *path = tm_file_path(c->f);
	if (!w) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(c->f, c->ac),
			    "%s: no workload of the scan runs this Authelia configuration (none mounts it): its "
			    "access_control is not weighed for the checks gateways hand to Authelia",
			    path);
		return;
	}
	tm_mb_node_fact(ctx->mb, w, "authelia_config", path, tm_ingest__loc(c->f, c->ac));
	const char *d = tm_scalar_str(dp, NULL);
	tm_mb_node_fact(ctx->mb, w, "authelia_default_policy", d && *d ? d : "deny",
			tm_ingest__loc(c->f, dp ? dp : c->ac));
	const tm_value *rules = tm_map_get(c->ac, "rules");
	size_t n = tm_value_kind_of(rules) == TM_VALUE_SEQ ? tm_value_len(rules) : 0;
	for (size_t i = 0; i < n && i < RULES_MAX; i++) {
		const tm_value *r = tm_seq_at(rules, i);
		const char *policy = tm_map_get_str(r, "policy");
		tm_strbuf b = TM_STRBUF_INIT;
		tm_strbuf_printf(&b, "%04zu\t%s\t", i, policy ? policy : "");
		joined(&b, tm_map_get(r, "domain"), ' ');
		tm_strbuf_putc(&b, '\t');
		joined(&b, tm_map_get(r, "domain_regex"), '\x1f');
		tm_strbuf_putc(&b, '\t');
		joined(&b, tm_map_get(r, "resources"), '\x1f');
		tm_strbuf_putc(&b, '\t');
		joined(&b, tm_map_get(r, "methods"), ' ');
		tm_strbuf_putc(&b, '\t');
		joined(&b, tm_map_get(r, "networks"), ' ');
		tm_strbuf_printf(&b, "\t%d", tm_map_get(r, "subject") ? 1 : 0);
		if (b.oom)
			tm_arena_set_failed(ctx->scratch);
		else
			tm_mb_node_fact(ctx->mb, w, "authelia_rules", b.data, tm_ingest__loc(c->f, r));
		tm_strbuf_dispose(&b);
	}
	if (n > RULES_MAX)
		tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_NOTE, tm_ingest__loc(c->f, rules),
			    "access_control has %zu rules; the first %d are weighed for the checks handed to %s", n, RULES_MAX,
			    tm_node_id(w));
}
