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

/* Glob match: '*' within a segment, '**' across, '?' one non-'/' character. */
static bool glob(const char *p, const char *s)
{
	while (*p) {
		if (p[0] == '*' && p[1] == '*') {
			p += 2;
			if (*p == '/')
				p++;
			for (const char *t = s;; t++) {
				if (glob(p, t))
					return true;
				if (!*t)
					return false;
			}
		}
		if (*p == '*') {
			p++;
			for (const char *t = s;; t++) {
				if (glob(p, t))
					return true;
				if (!*t || *t == '/')
					return false;
			}
		}
		if (!*s || (*p == '?' ? *s == '/' : *p != *s))
			return false;
		p++;
		s++;
	}
	return !*s;
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
	snprintf(pat, sizeof(pat), "%s%s", pattern[0] == '/' ? pattern + 1 : pattern, dir ? "**" : "");
	/* a pattern naming a directory covers everything below it; GitHub's exception:
	 * "dir/<star>" covers the files directly in dir only */
	bool files_only = pl >= 2 && strcmp(pattern + pl - 2, "/*") == 0;
	for (const char *start = path; start;) {
		if (glob(pat, start))
			return true;
		for (const char *end = files_only ? NULL : strchr(start, '/'); end; end = strchr(end + 1, '/')) {
			char prefix[1024];
			size_t n = (size_t)(end - start);
			if (n >= sizeof(prefix))
				break;
			memcpy(prefix, start, n);
			prefix[n] = '\0';
			if (glob(pat, prefix))
				return true;
		}
		if (anchored)
			break;
		const char *slash = strchr(start, '/');
		start = slash ? slash + 1 : NULL;
	}
	return false;
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
	snprintf(base, sizeof(base), "%s", display);
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
	for (size_t i = 0; i < tm_model_node_count(m); i++) {
		const tm_node *cn = tm_model_node(m, i);
		tm_node_kind k = tm_node_kind_of(cn);
		if (k != TM_NODE_SERVICE && k != TM_NODE_GATEWAY && k != TM_NODE_ENDPOINT && k != TM_NODE_QUEUE &&
		    k != TM_NODE_DATASTORE && k != TM_NODE_IDENTITY && k != TM_NODE_PIPELINE)
			continue;
		if (tm_node_attr_str(cn, "owner"))
			continue;
		for (size_t e = 0; e < tm_node_evidence_count(cn); e++) {
			const char *path = tm_node_evidence(cn, e).path;
			if (!path || (bl && (strncmp(path, base, bl) != 0 || path[bl] != '/')))
				continue;
			const char *rel = bl ? path + bl + 1 : path;
			const struct rule *hit = NULL;
			for (size_t r = 0; r < n; r++)
				if (tm_codeowners__match(rules[r].pattern, rel))
					hit = &rules[r];
			if (!hit || !hit->owners)
				continue;
			tm_node *node = tm_mb_find(ctx->mb, tm_node_id(cn));
			tm_mb_node_str(ctx->mb, node, "owner", hit->owners);
			char *src = tm_arena_printf(a, "%s:%u", display, hit->line);
			tm_mb_node_str(ctx->mb, node, "owner_source", src ? src : display);
			break;
		}
	}
	tm_free(rules);
}
