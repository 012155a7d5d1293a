/*
 * dockerfile.c - a Dockerfile's ENV: the environment every container of the image starts with.
 *
 * A Dockerfile (Dockerfile, Dockerfile.<name>, <name>.Dockerfile) is text in the Dockerfile
 * reference's syntax: instructions one per logical line (a line ending in the escape character,
 * '\' or the one a `# escape=` directive sets, goes on; comment lines inside are dropped), here-docs
 * (`RUN <<EOF ... EOF`) skipped whole. Only the final stage is the image, with the stages it is
 * built FROM by name before it; ENV in either form (`ENV KEY=value K2="v 2"`, `ENV KEY value`),
 * with $VAR and ${VAR} from its ARG defaults and earlier ENV (${VAR:-default} too), is the
 * environment its containers start with unless the workload sets the same name.
 *
 * What is read of it is what is read of an application's configuration file (calls.c,
 * appconfig.c): each variable whose name or value is an address is a call of the workload the
 * Dockerfile's directory names (web/Dockerfile: `ENV CATALOGUE_HOST=catalogue`, the name an nginx
 * template's `proxy_pass http://${CATALOGUE_HOST}:8080` is resolved through), and a credential
 * written in it is baked into every layer of the image (TM-SEC-006).
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "ingest.h"
#include "k8s.h" /* tm_k8s__literal_credential: one judgement for env vars, compose and configuration */

#define STAGES_MAX 64 /* stages followed; a Dockerfile with more keeps its first */
#define VARS_MAX 512  /* ARG and ENV names remembered per stage chain */
#define HEREDOC_TAG_MAX 64

bool tm_ingest__is_dockerfile_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n >= 10 && strncasecmp(name, "Dockerfile", 10) == 0 && (n == 10 || name[10] == '.' || name[10] == '-' || name[10] == '_'))
		return !(n > 13 && strcasecmp(name + n - 3, ".md") == 0) && strcasecmp(name + 10, ".dockerignore") != 0;
	return n > 11 && strcasecmp(name + n - 11, ".dockerfile") == 0;
}

/* One instruction: its logical text and the place of its first character. */
struct instr {
	const char *text;
	size_t len;
	uint32_t line, col;
	uint32_t *lines; /* per character of text: its line (the text spans continued lines) */
	uint32_t *cols;
};

struct var {
	const char *name, *value;
};

struct stage {
	const char *name; /* AS name, or NULL */
	const char *from; /* the image or stage it is FROM */
	size_t first, end; /* its instructions [first, end) */
};

struct df {
	tm_ingest_ctx *ctx;
	const char *path;
	tm_arena *a;
	struct instr *ins;
	size_t nins, cap;
	struct stage st[STAGES_MAX];
	size_t nst;
	struct var vars[VARS_MAX];
	size_t nvars;
	tm_node *node; /* the file's credentials node, made at the first */
};

static const char *var_get(const struct df *d, const char *name, size_t n)
{
	for (size_t i = d->nvars; i-- > 0;)
		if (strlen(d->vars[i].name) == n && strncmp(d->vars[i].name, name, n) == 0)
			return d->vars[i].value;
	return NULL;
}

static void var_set(struct df *d, const char *name, const char *value)
{
	if (d->nvars < VARS_MAX)
		d->vars[d->nvars++] = (struct var){name, value};
}

/* s[0..n) with $VAR, ${VAR} and ${VAR:-default} replaced by what the stage chain set so far; an
 * unknown variable without a default stays as written (it names no host). */
static const char *expand(struct df *d, const char *s, size_t n)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < n;) {
		if (s[i] != '$' || i + 1 >= n) {
			tm_strbuf_putc(&sb, s[i++]);
			continue;
		}
		size_t start = i + 1, vend, next;
		const char *def = NULL;
		size_t defn = 0;
		if (s[start] == '{') {
			const char *close = memchr(s + start, '}', n - start);
			if (!close) {
				tm_strbuf_putc(&sb, s[i++]);
				continue;
			}
			vend = start + 1;
			while (vend < (size_t)(close - s) && (isalnum((unsigned char)s[vend]) || s[vend] == '_'))
				vend++;
			if (vend + 1 < (size_t)(close - s) && s[vend] == ':' && s[vend + 1] == '-') {
				def = s + vend + 2;
				defn = (size_t)(close - def);
			}
			next = (size_t)(close - s) + 1;
			start++;
		} else {
			vend = start;
			while (vend < n && (isalnum((unsigned char)s[vend]) || s[vend] == '_'))
				vend++;
			next = vend;
		}
		const char *v = vend > start ? var_get(d, s + start, vend - start) : NULL;
		if (v && *v)
			tm_strbuf_puts(&sb, v);
		else if (def)
			tm_strbuf_put(&sb, def, defn);
		else
			tm_strbuf_put(&sb, s + i, next - i);
		i = next;
	}
	const char *out = sb.oom ? NULL : tm_arena_strndup(d->a, sb.data ? sb.data : "", sb.len);
	tm_strbuf_dispose(&sb);
	return out;
}

/* The next word of an instruction's arguments, its quotes and escapes removed, into sb; *i moves
 * past it. A word ends at unquoted white space; with key_only, at an unquoted '=' too. */
static bool word(const struct instr *in, size_t *i, tm_strbuf *sb, bool key_only)
{
	const char *s = in->text;
	size_t n = in->len, k = *i;
	while (k < n && isspace((unsigned char)s[k]))
		k++;
	if (k >= n)
		return false;
	char q = 0;
	for (; k < n; k++) {
		char c = s[k];
		if (q) {
			if (c == q)
				q = 0;
			else if (c == '\\' && q == '"' && k + 1 < n && (s[k + 1] == '"' || s[k + 1] == '\\' || s[k + 1] == '$'))
				tm_strbuf_putc(sb, s[++k]);
			else
				tm_strbuf_putc(sb, c);
			continue;
		}
		if (isspace((unsigned char)c) || (key_only && c == '='))
			break;
		if (c == '"' || c == '\'')
			q = c;
		else if (c == '\\' && k + 1 < n)
			tm_strbuf_putc(sb, s[++k]);
		else
			tm_strbuf_putc(sb, c);
	}
	*i = k;
	return true;
}

/* A credential the Dockerfile writes into the image: one fact on the file's node. */
static void credential(struct df *d, const char *key, tm_loc at)
{
	d->node = tm_ingest__config_credential(d->ctx, d->node, d->path, "dockerfile", key, at);
}

/* One variable the image's environment holds. */
static void env_var(struct df *d, const char *key, const char *value, tm_loc at, bool image_env)
{
	var_set(d, key, value);
	if (!image_env)
		return;
	if (tm_k8s__literal_credential(key, value))
		credential(d, key, at);
	tm_ingest__config_env(d->ctx, d->path, key, value, at);
}

static tm_loc place(const struct df *d, const struct instr *in, size_t at)
{
	if (at >= in->len)
		at = in->len ? in->len - 1 : 0;
	return (tm_loc){d->path, in->lines ? in->lines[at] : in->line, in->cols ? in->cols[at] : in->col, NULL};
}

/* ENV (or ARG, which sets a default only the build sees) of instruction in, its arguments from
 * args on. */
static void assign(struct df *d, const struct instr *in, size_t args, bool env, bool image_env)
{
	size_t i = args;
	tm_strbuf k = TM_STRBUF_INIT, v = TM_STRBUF_INIT;
	size_t look = i;
	while (look < in->len && isspace((unsigned char)in->text[look]))
		look++;
	size_t first_end = look;
	while (first_end < in->len && !isspace((unsigned char)in->text[first_end]) && in->text[first_end] != '=')
		first_end++;
	bool pairs = first_end < in->len && in->text[first_end] == '=';
	if (env && !pairs) { /* ENV key value: the rest of the line is the value */
		size_t at = look;
		if (word(in, &i, &k, false) && k.data) {
			while (i < in->len && isspace((unsigned char)in->text[i]))
				i++;
			const char *val = expand(d, in->text + i, in->len - i);
			const char *key = tm_arena_strndup(d->a, k.data, k.len);
			if (val && key)
				env_var(d, key, val, place(d, in, at), image_env);
		}
		tm_strbuf_dispose(&k);
		return;
	}
	for (size_t guard = 0; guard < 4096; guard++) {
		tm_strbuf_reset(&k);
		tm_strbuf_reset(&v);
		while (i < in->len && isspace((unsigned char)in->text[i]))
			i++;
		size_t at = i;
		if (!word(in, &i, &k, true) || !k.data)
			break;
		const char *key = tm_arena_strndup(d->a, k.data, k.len);
		const char *val = NULL;
		if (i < in->len && in->text[i] == '=') {
			i++;
			if (i < in->len && !isspace((unsigned char)in->text[i]))
				word(in, &i, &v, false);
			/* quotes removed by word; variables expanded after, as the builder does */
			val = expand(d, v.data ? v.data : "", v.len);
		} else if (!env) {
			val = ""; /* ARG NAME: no default */
		}
		if (key && val) {
			if (env)
				env_var(d, key, val, place(d, in, at), image_env);
			else if (*val || !var_get(d, key, strlen(key)))
				var_set(d, key, val);
		}
	}
	tm_strbuf_dispose(&k);
	tm_strbuf_dispose(&v);
}

/* Is word w (n bytes) of the instruction its keyword kw? */
static bool keyword(const char *w, size_t n, const char *kw)
{
	return strlen(kw) == n && strncasecmp(w, kw, n) == 0;
}

/* The here-doc tags an instruction opens (<<EOF, <<-EOF, <<"EOF"): the first one's, into tag. */
static bool heredoc(const char *s, size_t n, char *tag, size_t cap)
{
	for (size_t i = 0; i + 2 < n; i++) {
		if (s[i] != '<' || s[i + 1] != '<' || (i && s[i - 1] == '<'))
			continue;
		size_t k = i + 2;
		if (k < n && s[k] == '-')
			k++;
		char q = k < n && (s[k] == '"' || s[k] == '\'') ? s[k++] : 0;
		size_t t = 0;
		while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '_') && t + 1 < cap)
			tag[t++] = s[k++];
		if (q && !(k < n && s[k] == q))
			continue;
		tag[t] = '\0';
		if (t)
			return true;
	}
	return false;
}

/* Split text into instructions: logical lines, comments and here-doc bodies dropped. */
static void split(struct df *d, const char *text, size_t len)
{
	char esc = '\\';
	bool directives = true; /* parser directives come first, before any other line */
	tm_strbuf cur = TM_STRBUF_INIT;
	uint32_t *lines = NULL, *cols = NULL;
	size_t cap_l = 0, cap_c = 0;
	uint32_t first_line = 0, first_col = 0, line = 0;
	char tag[HEREDOC_TAG_MAX] = "";
	bool in_heredoc = false;
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		if (le > p && le[-1] == '\r')
			le--;
		line++;
		const char *b = p;
		p = next;
		if (in_heredoc) {
			const char *t = b;
			while (t < le && (*t == '\t'))
				t++;
			if ((size_t)(le - t) == strlen(tag) && strncmp(t, tag, strlen(tag)) == 0)
				in_heredoc = false;
			continue;
		}
		const char *s = b;
		while (s < le && isspace((unsigned char)*s))
			s++;
		if (directives && s < le && *s == '#') {
			const char *q = s + 1;
			while (q < le && isspace((unsigned char)*q))
				q++;
			if ((size_t)(le - q) > 7 && strncasecmp(q, "escape", 6) == 0) {
				const char *eq = memchr(q, '=', (size_t)(le - q));
				const char *c = eq ? eq + 1 : NULL;
				while (c && c < le && isspace((unsigned char)*c))
					c++;
				if (c && c < le && (*c == '`' || *c == '\\'))
					esc = *c;
			}
			continue;
		}
		directives = false;
		if (s == le && !cur.len)
			continue;
		if (s < le && *s == '#') /* a comment, also between continued lines */
			continue;
		const char *e = le;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		bool cont = e > s && e[-1] == esc;
		if (cont)
			e--;
		if (!cur.len) {
			first_line = line;
			first_col = (uint32_t)(s - b) + 1;
		}
		size_t at = cur.len;
		tm_strbuf_put(&cur, s, (size_t)(e - s));
		if (cont)
			tm_strbuf_putc(&cur, ' ');
		if (cur.oom || TM_GROW(lines, cap_l, cur.len + 1) || TM_GROW(cols, cap_c, cur.len + 1)) {
			tm_arena_set_failed(d->a);
			break;
		}
		for (size_t k = at; k < cur.len; k++) {
			lines[k] = line;
			cols[k] = (uint32_t)(s - b) + 1 + (uint32_t)(k - at);
		}
		if (cont && p < end)
			continue;
		if (TM_GROW(d->ins, d->cap, d->nins + 1)) {
			tm_arena_set_failed(d->a);
			break;
		}
		struct instr *in = &d->ins[d->nins];
		in->text = tm_arena_strndup(d->a, cur.data ? cur.data : "", cur.len);
		in->len = cur.len;
		in->line = first_line;
		in->col = first_col;
		in->lines = tm_arena_alloc(d->a, (cur.len + 1) * sizeof(uint32_t));
		in->cols = tm_arena_alloc(d->a, (cur.len + 1) * sizeof(uint32_t));
		if (!in->text || !in->lines || !in->cols) {
			tm_arena_set_failed(d->a);
			break;
		}
		memcpy(in->lines, lines, cur.len * sizeof(uint32_t));
		memcpy(in->cols, cols, cur.len * sizeof(uint32_t));
		d->nins++;
		in_heredoc = heredoc(cur.data ? cur.data : "", cur.len, tag, sizeof(tag));
		tm_strbuf_reset(&cur);
	}
	tm_strbuf_dispose(&cur);
	tm_free(lines);
	tm_free(cols);
}

/* The instruction's keyword and where its arguments start. */
static size_t keyword_of(const struct instr *in, size_t *kwlen)
{
	size_t n = 0;
	while (n < in->len && !isspace((unsigned char)in->text[n]))
		n++;
	*kwlen = n;
	return n;
}

/* The stages: each FROM starts one (FROM image [AS name]). */
static void stages(struct df *d)
{
	for (size_t i = 0; i < d->nins; i++) {
		size_t kl, args = keyword_of(&d->ins[i], &kl);
		if (!keyword(d->ins[i].text, kl, "FROM"))
			continue;
		if (d->nst)
			d->st[d->nst - 1].end = i;
		if (d->nst == STAGES_MAX)
			break;
		struct stage *s = &d->st[d->nst++];
		*s = (struct stage){NULL, NULL, i, d->nins};
		tm_strbuf w = TM_STRBUF_INIT;
		size_t k = args;
		for (int n = 0; n < 8 && (tm_strbuf_reset(&w), word(&d->ins[i], &k, &w, false)) && w.data; n++) {
			if (strncmp(w.data, "--", 2) == 0)
				continue; /* --platform=... */
			if (!s->from)
				s->from = tm_arena_strndup(d->a, w.data, w.len);
			else if (strcasecmp(w.data, "AS") == 0 && (tm_strbuf_reset(&w), word(&d->ins[i], &k, &w, false)) && w.data)
				s->name = tm_arena_strndup(d->a, w.data, w.len);
		}
		tm_strbuf_dispose(&w);
	}
}

/* The final stage and the named stages it is built FROM, base first. */
static size_t chain(const struct df *d, size_t *out)
{
	size_t n = 0;
	size_t cur = d->nst - 1;
	for (size_t guard = 0; guard < STAGES_MAX; guard++) {
		out[n++] = cur;
		const char *from = d->st[cur].from;
		size_t base = SIZE_MAX;
		for (size_t i = cur; from && i-- > 0;)
			if (d->st[i].name && strcasecmp(d->st[i].name, from) == 0) {
				base = i;
				break;
			}
		if (base == SIZE_MAX)
			break;
		cur = base;
	}
	for (size_t i = 0; i < n / 2; i++) { /* base first */
		size_t t = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	return n;
}

bool tm_ingest__dockerfile_text(tm_ingest_ctx *ctx, const char *path, const char *text, size_t len)
{
	if (memchr(text, '\0', len) || tm_utf8_check((const unsigned char *)text, len) != len)
		return false;
	struct df *d = tm_calloc(1, sizeof(*d));
	if (!d)
		return false;
	d->ctx = ctx;
	d->path = path;
	d->a = ctx->scratch;
	split(d, text, len);
	stages(d);
	/* ARG before the first FROM: defaults every FROM may use, and no stage's environment */
	size_t pre = d->nst ? d->st[0].first : d->nins;
	for (size_t i = 0; i < pre; i++) {
		size_t kl, args = keyword_of(&d->ins[i], &kl);
		if (keyword(d->ins[i].text, kl, "ARG"))
			assign(d, &d->ins[i], args, false, false);
	}
	size_t order[STAGES_MAX];
	size_t n = d->nst ? chain(d, order) : 0;
	for (size_t c = 0; c < n; c++) {
		const struct stage *s = &d->st[order[c]];
		for (size_t i = s->first + 1; i < s->end && i < d->nins; i++) {
			size_t kl, args = keyword_of(&d->ins[i], &kl);
			if (keyword(d->ins[i].text, kl, "ENV"))
				assign(d, &d->ins[i], args, true, true);
			else if (keyword(d->ins[i].text, kl, "ARG"))
				assign(d, &d->ins[i], args, false, false);
		}
	}
	tm_free(d->ins);
	tm_free(d);
	return true;
}
