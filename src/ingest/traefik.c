/*
 * traefik.c - what Traefik's two providers that trustmap reads share: a router's rule (hosts and
 * paths, read from the matcher calls Host, HostSNI, PathPrefix, Path and PathRegexp, whatever
 * joins them) and what a middleware checks. The Docker provider's labels (compose_traefik.c) and
 * the file provider's dynamic configuration (gw_traefik.c) differ only in where these are written.
 */
#include <ctype.h>
#include <strings.h>

#include "model/policy.h"
#include "traefik.h"

const char *tm_traefik__rule_arg(tm_arena *a, const char *rule, const char *fn, size_t *pos)
{
	size_t fl = strlen(fn);
	for (const char *p = rule + *pos; (p = strstr(p, fn)) != NULL; p += fl) {
		bool word = p == rule || !(isalnum((unsigned char)p[-1]));
		const char *q = p + fl;
		while (*q == ' ')
			q++;
		if (!word || *q != '(')
			continue;
		q++;
		while (*q == ' ')
			q++;
		char quote = *q;
		if (quote != '`' && quote != '"' && quote != '\'')
			continue;
		const char *end = strchr(q + 1, quote);
		if (!end)
			return NULL;
		*pos = (size_t)(end + 1 - rule);
		return tm_arena_strndup(a, q + 1, (size_t)(end - q - 1));
	}
	return NULL;
}

const char *tm_traefik__rule_hosts(tm_arena *a, const char *rule)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	static const char *const fns[] = {"Host", "HostSNI"};
	for (size_t f = 0; f < TM_ARRAY_LEN(fns); f++) {
		size_t pos = 0;
		for (const char *h; (h = tm_traefik__rule_arg(a, rule, fns[f], &pos)) != NULL;) {
			tm_strbuf_printf(&sb, "%s%s", sb.len ? " " : "", h);
			/* Host(`a`, `b`): the further arguments of the same call (Traefik v2) */
			const char *p = rule + pos;
			while (*p == ',' || *p == ' ') {
				while (*p == ',' || *p == ' ')
					p++;
				if (*p != '`' && *p != '"')
					break;
				const char *end = strchr(p + 1, *p);
				if (!end)
					break;
				tm_strbuf_printf(&sb, " %.*s", (int)(end - p - 1), p + 1);
				p = end + 1;
			}
		}
	}
	const char *out = sb.len && strcmp(sb.data, "*") != 0 ? tm_arena_strdup(a, sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	return out;
}

size_t tm_traefik__rule_paths(tm_arena *a, const char *rule, const char ***paths, tm_gw_match **matches)
{
	static const char *const fns[] = {"PathPrefix", "Path", "PathRegexp"};
	static const tm_gw_match kinds[] = {TM_GW_PREFIX, TM_GW_EXACT, TM_GW_REGEX};
	size_t n = 0, cap = 0;
	*paths = NULL;
	*matches = NULL;
	for (size_t f = 0; rule && f < TM_ARRAY_LEN(fns); f++) {
		size_t pos = 0;
		for (const char *p; (p = tm_traefik__rule_arg(a, rule, fns[f], &pos)) != NULL;) {
			if (n == cap) { /* arena arrays: grown by copying, a rule names a few paths */
				size_t nc = cap ? 2 * cap : 4;
				const char **np = tm_arena_alloc(a, nc * sizeof(*np));
				tm_gw_match *nm = tm_arena_alloc(a, nc * sizeof(*nm));
				if (!np || !nm)
					return n;
				if (n) {
					memcpy(np, *paths, n * sizeof(*np));
					memcpy(nm, *matches, n * sizeof(*nm));
				}
				*paths = np;
				*matches = nm;
				cap = nc;
			}
			(*paths)[n] = p;
			(*matches)[n++] = kinds[f];
		}
	}
	return n;
}

size_t tm_traefik__routes(tm_ingest_ctx *ctx, tm_gw_config *g, const char *rule, bool tcp, const char *upstream,
			  const tm_gw_checks *c, tm_loc loc, const char *plaintext_at)
{
	tm_arena *a = ctx->scratch;
	const char *vhosts = tm_traefik__rule_hosts(a, rule);
	tm_gw_route *r;
	if (tcp) {
		if ((r = tm_gw_route_new(ctx, g, "", TM_GW_TCP, upstream, vhosts, c, loc)) != NULL)
			r->plaintext_at = plaintext_at;
		return 1;
	}
	const char **paths;
	tm_gw_match *matches;
	size_t n = tm_traefik__rule_paths(a, rule, &paths, &matches);
	for (size_t i = 0; i < n; i++)
		if ((r = tm_gw_route_new(ctx, g, paths[i], matches[i], upstream, vhosts, c, loc)) != NULL)
			r->plaintext_at = plaintext_at;
	if (!n) { /* no path in the rule: every path of its hosts */
		if ((r = tm_gw_route_new(ctx, g, "/", TM_GW_PREFIX, upstream, vhosts, c, loc)) != NULL)
			r->plaintext_at = plaintext_at;
		n = 1;
	}
	return n;
}

static bool type_is(const char *type, size_t tlen, const char *want)
{
	return tlen == strlen(want) && strncasecmp(type, want, tlen) == 0;
}

tm_traefik_mw tm_traefik__middleware(tm_arena *a, const char *type, size_t tlen, const char *ranges, const char *name,
				     const char *where, tm_gw_checks *c)
{
	const char *at = where ? " at " : "", *w = where ? where : "";
	if (type_is(type, tlen, "basicauth") || type_is(type, tlen, "digestauth")) {
		c->authn = TM_AUTHN_BASIC;
		c->authn_how = tm_arena_printf(a, "traefik %.*s middleware %s%s%s", (int)tlen, type, name, at, w);
	} else if (type_is(type, tlen, "forwardauth")) {
		c->authn = TM_AUTHN_UNKNOWN;
		c->authn_how = tm_arena_printf(a, "traefik forwardAuth middleware %s%s%s", name, at, w);
	} else if (type_is(type, tlen, "ipallowlist") || type_is(type, tlen, "ipwhitelist")) {
		c->restrict_how = tm_arena_printf(a, "traefik %.*s middleware %s%s%s%s%s", (int)tlen, type, name,
						  ranges ? ", source ranges " : "", ranges ? ranges : "", at, w);
		c->private_only = tm_policy__private_ranges(ranges);
	} else if (type_is(type, tlen, "ratelimit")) {
		c->rate_how = tm_arena_printf(a, "traefik rateLimit middleware %s%s%s", name, at, w);
	} else if (type_is(type, tlen, "chain")) {
		return TM_TRAEFIK_MW_CHAIN;
	} else {
		return TM_TRAEFIK_MW_OTHER;
	}
	return TM_TRAEFIK_MW_CHECK;
}

const char *tm_traefik__ranges(tm_arena *a, const tm_value *body)
{
	const tm_value *seq = NULL;
	for (size_t i = 0; tm_value_kind_of(body) == TM_VALUE_MAP && i < tm_value_len(body) && !seq; i++) {
		const char *k = tm_scalar_str(tm_map_key(body, i), NULL);
		if (k && strcasecmp(k, "sourceRange") == 0)
			seq = tm_map_value(body, i);
	}
	return tm_gw_ranges(a, seq, NULL);
}
