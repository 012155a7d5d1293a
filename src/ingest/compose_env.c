/*
 * compose_env.c - `.env` files and ${VAR} interpolation for docker-compose (see compose.h).
 *
 * The process environment is never read: a scan must give the same model on every machine, and a
 * developer's shell is not the repository. A reference `.env` does not decide stays as written,
 * so it is never mistaken for a literal credential; a credential `.env` does decide is one that is
 * committed, and is reported as such at the compose line that uses it.
 */
#include <ctype.h>

#include "compose.h"

#define MAX_INTERP_DEPTH 8

const char *tm_compose__env_get(const tm_compose_env *env, const char *key, size_t klen)
{
	for (size_t i = env ? env->n : 0; i-- > 0;)
		if (strlen(env->keys[i]) == klen && memcmp(env->keys[i], key, klen) == 0)
			return env->values[i];
	return NULL;
}

static bool var_start(char ch)
{
	return isalpha((unsigned char)ch) || ch == '_';
}

static bool var_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_';
}

/* The end of a ${...} starting at p ("${"), nesting counted; NULL if unterminated. */
static const char *brace_end(const char *p)
{
	int level = 0;
	for (const char *q = p + 1; *q; q++) {
		if (*q == '{')
			level++;
		else if (*q == '}' && --level == 0)
			return q;
	}
	return NULL;
}

static const char *interpolate_at(tm_arena *a, const tm_compose_env *env, const char *s, int depth);

/* A ${...} reference (p at "${", end at its '}'): the variable, env's value of it, whether that
 * counts as set (non-empty for the ':' forms), the operator ('\0' for plain ${VAR}, '-', '+', '?'
 * or another character) and its argument (up to end). */
struct ref {
	const char *name, *val, *arg;
	size_t len;
	bool set;
	char kind;
};

/* false when the braces name no variable */
static bool reference(const tm_compose_env *env, const char *p, const char *end, struct ref *r)
{
	const char *op = p + 2;
	while (var_char(*op))
		op++;
	r->name = p + 2;
	r->len = (size_t)(op - r->name);
	if (!r->len)
		return false;
	r->val = tm_compose__env_get(env, r->name, r->len);
	bool colon = op[0] == ':';
	r->kind = op == end ? '\0' : colon ? op[1] : op[0];
	r->set = r->val && (!colon || *r->val);
	r->arg = op == end ? end : op + (colon ? 2 : 1);
	return true;
}

/* The text that replaces ${...} (p at "${", end at its '}'), or NULL to keep it as written. */
static const char *braced(tm_arena *a, const tm_compose_env *env, const char *p, const char *end, int depth)
{
	struct ref r;
	if (!reference(env, p, end, &r))
		return NULL;
	if (!r.kind)
		return r.val;
	if (r.kind != '-' && r.kind != '+' && r.kind != '?')
		return NULL;
	if (r.kind == '?') /* unset: compose refuses to start; the variable stays, its message does not */
		return r.set ? r.val : tm_arena_printf(a, "${%.*s}", (int)r.len, r.name);
	const char *sub = depth < MAX_INTERP_DEPTH ? tm_arena_strndup(a, r.arg, (size_t)(end - r.arg)) : NULL;
	if (r.kind == '-')
		return r.set ? r.val : sub ? interpolate_at(a, env, sub, depth + 1) : NULL;
	/* '+': alt when set; "" when .env sets it to nothing; unknown otherwise */
	if (r.set)
		return sub ? interpolate_at(a, env, sub, depth + 1) : NULL;
	return r.val ? "" : NULL;
}

static const char *interpolate_at(tm_arena *a, const tm_compose_env *env, const char *s, int depth)
{
	if (!s || !strchr(s, '$'))
		return s;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (const char *p = s; *p;) {
		const char *end = p[0] == '$' && p[1] == '{' ? brace_end(p) : NULL;
		if (p[0] == '$' && p[1] == '$') {
			tm_strbuf_putc(&sb, '$');
			p += 2;
		} else if (end) {
			const char *r = braced(a, env, p, end, depth);
			if (r)
				tm_strbuf_puts(&sb, r);
			else
				tm_strbuf_put(&sb, p, (size_t)(end + 1 - p));
			p = end + 1;
		} else if (p[0] == '$' && var_start(p[1])) {
			const char *e = p + 1;
			while (var_char(*e))
				e++;
			const char *val = tm_compose__env_get(env, p + 1, (size_t)(e - p - 1));
			tm_strbuf_put(&sb, val ? val : p, val ? strlen(val) : (size_t)(e - p));
			p = e;
		} else {
			tm_strbuf_putc(&sb, *p++);
		}
	}
	char *out = sb.oom ? NULL : tm_arena_strndup(a, sb.data ? sb.data : "", sb.len);
	tm_strbuf_dispose(&sb);
	return out ? out : s;
}

const char *tm_compose__interpolate(tm_arena *a, const tm_compose_env *env, const char *s)
{
	return interpolate_at(a, env, s, 0);
}

static void unset_at(const tm_compose_env *env, const char *s, const char *stop, tm_compose_unset_fn fn, void *ud,
		     int depth)
{
	for (const char *p = s; p < stop && *p;) {
		const char *end = p[0] == '$' && p[1] == '{' ? brace_end(p) : NULL;
		if (end && end >= stop)
			end = NULL;
		if (p[0] == '$' && p[1] == '$') {
			p += 2;
		} else if (end) {
			struct ref r;
			bool named = reference(env, p, end, &r);
			if (named && (!r.kind || r.kind == '?' || r.kind == '+') && !r.val)
				fn(ud, r.name, r.len); /* where compose runs decides: blank, an error, alt */
			else if (named && depth < MAX_INTERP_DEPTH && ((r.kind == '-' && !r.set) || (r.kind == '+' && r.set)))
				unset_at(env, r.arg, end, fn, ud, depth + 1); /* the default, or alt */
			p = end + 1;
		} else if (p[0] == '$' && var_start(p[1])) {
			const char *e = p + 1;
			while (var_char(*e))
				e++;
			if (!tm_compose__env_get(env, p + 1, (size_t)(e - p - 1)))
				fn(ud, p + 1, (size_t)(e - p - 1));
			p = e;
		} else {
			p++;
		}
	}
}

void tm_compose__unset_each(const tm_compose_env *env, const char *s, tm_compose_unset_fn fn, void *ud)
{
	if (s && strchr(s, '$'))
		unset_at(env, s, s + strlen(s), fn, ud, 0);
}

/* One line's value after "KEY=": quotes, escapes, comments. */
static char *dotenv_value(tm_arena *a, const char *v, const char *eol, bool *interp)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	*interp = true;
	if (v < eol && (*v == '\'' || *v == '"')) {
		char q = *v++;
		*interp = q == '"';
		for (; v < eol && *v != q; v++) {
			if (q == '"' && *v == '\\' && v + 1 < eol) {
				char e = *++v;
				tm_strbuf_putc(&sb, e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
			} else {
				tm_strbuf_putc(&sb, *v);
			}
		}
	} else {
		const char *end = v;
		for (const char *q = v; q < eol; q++) {
			if (*q == '#' && (q == v || q[-1] == ' ' || q[-1] == '\t'))
				break;
			end = q + 1;
		}
		while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		tm_strbuf_put(&sb, v, (size_t)(end - v));
	}
	char *out = sb.oom ? NULL : tm_arena_strndup(a, sb.data ? sb.data : "", sb.len);
	tm_strbuf_dispose(&sb);
	return out;
}

int tm_compose__dotenv_parse(tm_arena *a, const char *text, size_t len, tm_compose_env *out, size_t *bad)
{
	memset(out, 0, sizeof(*out));
	size_t nbad = 0, cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n';
	if (cap > TM_COMPOSE_ENV_MAX)
		cap = TM_COMPOSE_ENV_MAX;
	out->keys = tm_arena_alloc(a, cap * sizeof(*out->keys));
	out->values = tm_arena_alloc(a, cap * sizeof(*out->values));
	out->lines = tm_arena_alloc(a, cap * sizeof(*out->lines));
	if (!out->keys || !out->values || !out->lines)
		goto oom;
	uint32_t line = 0;
	for (const char *p = text, *stop = text + len; p < stop;) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(stop - p));
		if (!eol)
			eol = stop;
		const char *k = p;
		p = eol + 1;
		while (k < eol && (*k == ' ' || *k == '\t'))
			k++;
		if (k == eol || *k == '#' || (eol - k == 1 && *k == '\r'))
			continue;
		if (eol - k > 7 && memcmp(k, "export ", 7) == 0)
			k += 7;
		const char *ke = k;
		while (ke < eol && (var_char(*ke) || *ke == '.' || *ke == '-'))
			ke++;
		const char *eq = ke;
		while (eq < eol && (*eq == ' ' || *eq == '\t'))
			eq++;
		if (ke == k || !var_start(*k) || eq == eol || *eq != '=' || out->n == cap) {
			nbad++;
			continue;
		}
		const char *v = eq + 1;
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		bool interp;
		char *key = tm_arena_strndup(a, k, (size_t)(ke - k));
		char *val = dotenv_value(a, v, eol, &interp);
		if (!key || !val)
			goto oom;
		out->keys[out->n] = key;
		out->values[out->n] = interp ? tm_compose__interpolate(a, out, val) : val;
		out->lines[out->n] = line;
		out->n++;
	}
	if (bad)
		*bad = nbad;
	return 0;
oom:
	memset(out, 0, sizeof(*out));
	return TM_ENOMEM;
}
