/*
 * codeowners.c - CODEOWNERS (GitHub's format; GitLab's is a superset we read
 * the same way, ignoring [Section] headers) maps files to owners, and so the
 * nodes those files define. Applied after the overlay: a node that
 * trustmap.yaml gives an owner keeps it.
 *
 * Rules follow GitHub: patterns as in .gitignore ("/" anchors to the
 * repository root, a pattern without an inner "/" matches at any depth, a
 * trailing "/" means everything below, "*" stays inside one path segment,
 * "**" crosses segments); the last matching line wins; a pattern with no
 * owners leaves the file unowned. The repository root is the directory that
 * holds CODEOWNERS, or its parent for .github/ and docs/.
 */
#include <stdio.h>

#include "ingest.h"

#define GLOB_MAX 1024

/*
 * Glob match: '*' within a segment, '**' across, '**' + '/' zero or more directories, '?' one
 * non-'/' character. A set of reachable positions in s is carried through the pattern, so the
 * cost is |pattern| x |s| whatever the pattern: a pattern of many stars cannot make it
 * backtrack exponentially (the fuzzer found that one).
 */
static bool glob(const char *p, const char *s, bool anywhere, bool dir_prefix)
{
	size_t n = strlen(s);
	if (n >= GLOB_MAX)
		return false;
	bool cur[GLOB_MAX + 1], next[GLOB_MAX + 1];
	memset(cur, 0, (n + 1) * sizeof(bool));
	cur[0] = true;
	/* unanchored: the pattern may start at any path segment */
	for (size_t j = 0; anywhere && j < n; j++)
		if (s[j] == '/')
			cur[j + 1] = true;
	while (*p) {
		memset(next, 0, (n + 1) * sizeof(bool));
		if (p[0] == '*' && p[1] == '*') {
			while (*p == '*')
				p++;
			bool dirs = *p == '/';
			if (dirs)
				p++;
			bool seen = false;
			for (size_t j = 0; j <= n; j++) {
				/* "**": anything; "**" + "/": nothing, or anything ending in '/' */
				if (dirs)
					next[j] = cur[j] || (seen && j > 0 && s[j - 1] == '/');
				else
					next[j] = cur[j] || seen;
				seen = seen || cur[j];
			}
		} else if (*p == '*') {
			p++;
			bool run = false;
			for (size_t j = 0; j <= n; j++) {
				run = run || cur[j];
				next[j] = run;
				if (j < n && s[j] == '/')
					run = false;
			}
		} else {
			char c = *p++;
			for (size_t j = 0; j < n; j++)
				if (cur[j] && (c == '?' ? s[j] != '/' : s[j] == c))
					next[j + 1] = true;
		}
		memcpy(cur, next, (n + 1) * sizeof(bool));
	}
	/* a match that ends at a directory covers everything below it */
	for (size_t j = 0; dir_prefix && j < n; j++)
		if (cur[j] && s[j] == '/')
			return true;
	return cur[n];
}

/* Does one CODEOWNERS pattern cover path (relative to the repository root)? */
bool tm_codeowners__match(const char *pattern, const char *path)
{
	char pat[1024];
	size_t pl = strlen(pattern);
	if (!pl || pl + 3 >= sizeof(pat))
		return false;
	bool dir = pattern[pl - 1] == '/';
	bool anchored = pattern[0] == '/' || memchr(pattern, '/', pl - (dir ? 1 : 0)) != NULL;
	tm_formatf(pat, sizeof(pat), "%s%s", pattern[0] == '/' ? pattern + 1 : pattern, dir ? "**" : "");
	/* a pattern naming a directory covers everything below it; GitHub's exception:
	 * "dir/<star>" covers the files directly in dir only */
	bool files_only = pl >= 2 && strcmp(pattern + pl - 2, "/*") == 0;
	return glob(pat, path, !anchored, !files_only);
}

struct rule {
	char *pattern;
	char *owners; /* space-separated, NULL: unowned */
	uint32_t line;
};

void tm_ingest__codeowners(tm_ingest_ctx *ctx, const char *display, const char *text, size_t len)
{
	tm_arena *a = ctx->scratch;
	struct rule *rules = NULL;
	size_t n = 0, cap = 0;
	/* the repository root, as a display-path prefix */
	char base[1024];
	tm_formatf(base, sizeof(base), "%s", display);
	char *slash = strrchr(base, '/');
	if (slash)
		*slash = '\0';
	else
		base[0] = '\0';
	size_t bl = strlen(base);
	if (bl >= 7 && strcmp(base + bl - 7, ".github") == 0 && (bl == 7 || base[bl - 8] == '/'))
		base[bl == 7 ? 0 : bl - 8] = '\0';
	else if (bl >= 4 && strcmp(base + bl - 4, "docs") == 0 && (bl == 4 || base[bl - 5] == '/'))
		base[bl == 4 ? 0 : bl - 5] = '\0';
	bl = strlen(base);

	uint32_t lineno = 0;
	for (size_t off = 0; off < len;) {
		const char *line = text + off;
		const char *nl = memchr(line, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - line) : len - off;
		off += ll + 1;
		lineno++;
		char *copy = tm_arena_strndup(a, line, ll);
		if (!copy)
			break;
		char *hash = strchr(copy, '#');
		if (hash && (hash == copy || hash[-1] != '\\'))
			*hash = '\0';
		char *p = copy;
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '[' || *p == '^')
			continue; /* blank, comment, GitLab section header */
		char *end = p;
		while (*end && *end != ' ' && *end != '\t' && *end != '\r')
			end++;
		char *rest = *end ? end + 1 : end;
		*end = '\0';
		while (*rest == ' ' || *rest == '\t')
			rest++;
		size_t rl = strlen(rest);
		while (rl && (rest[rl - 1] == ' ' || rest[rl - 1] == '\r' || rest[rl - 1] == '\t'))
			rest[--rl] = '\0';
		/* owners separated by one space, whatever the file used */
		char *w = rest;
		for (char *q = rest; *q; q++) {
			char ch = *q == '\t' ? ' ' : *q;
			if (ch == ' ' && (w == rest || w[-1] == ' '))
				continue;
			*w++ = ch;
		}
		*w = '\0';
		rl = (size_t)(w - rest);
		bool owners_ok = true;
		for (char *q = rest; *q;) {
			while (*q == ' ')
				q++;
			char *tok = q;
			while (*q && *q != ' ')
				q++;
			if (q > tok && *tok != '@' && !memchr(tok, '@', (size_t)(q - tok)))
				owners_ok = false;
		}
		tm_loc loc = {display, lineno, (uint32_t)(p - copy) + 1, NULL};
		if (!owners_ok)
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, loc,
				    "owner '%s' is neither @user, @org/team nor an email address", rest);
		if (TM_GROW(rules, cap, n + 1))
			break;
		rules[n++] = (struct rule){p, rl ? rest : NULL, lineno};
	}

	/* each node: the owners of the file that defines it (its first evidence under this root) */
	const tm_model *m = tm_mb_model(ctx->mb);
	tm_hmap memo = TM_HMAP_INIT;
	static const struct rule none = {NULL, NULL, 0};
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *cn = tm_model_node(m, i);
		tm_node_kind k = tm_node_kind_of(cn);
		if (k != TM_NODE_SERVICE && k != TM_NODE_GATEWAY && k != TM_NODE_ENDPOINT && k != TM_NODE_QUEUE &&
		    k != TM_NODE_DATASTORE && k != TM_NODE_IDENTITY && k != TM_NODE_PIPELINE &&
		    !(k == TM_NODE_SECRET && tm_node_attr_str(cn, "config_file"))) /* an app's configuration file */
			continue;
		if (tm_node_attr_str(cn, "owner"))
			continue;
		for (size_t e = 0; e < tm_node_evidence_count(cn); e++) {
			const char *path = tm_node_evidence(cn, e).path;
			if (!path || (bl && (strncmp(path, base, bl) != 0 || path[bl] != '/')))
				continue;
			const char *rel = bl ? path + bl + 1 : path;
			/* many nodes come from one file: match each file once */
			const struct rule *hit = tm_hmap_get(&memo, rel, strlen(rel));
			if (!hit) {
				for (size_t r = 0; r < n; r++)
					if (tm_codeowners__match(rules[r].pattern, rel))
						hit = &rules[r];
				char *key = tm_arena_strdup(a, rel);
				if (key)
					tm_hmap_put(&memo, key, strlen(key), (void *)(hit ? hit : &none));
			}
			if (hit == &none)
				hit = NULL;
			if (!hit || !hit->owners)
				continue;
			tm_node *node = tm_mb_find(ctx->mb, tm_node_id(cn));
			tm_mb_node_str(ctx->mb, node, "owner", hit->owners);
			char *src = tm_arena_printf(a, "%s:%u", display, hit->line);
			tm_mb_node_str(ctx->mb, node, "owner_source", src ? src : display);
			break;
		}
	}
	tm_hmap_dispose(&memo);
	tm_free(rules);
}
