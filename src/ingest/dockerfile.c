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

#define STAGES_MAX 64   /* stages kept (the last ones: the image is the final stage) */
#define VARS_MAX 512     /* ARG and ENV names remembered */
#define VALUE_MAX 4096   /* an expanded value longer than this is kept as written */
#define EXPAND_MAX (1u << 20) /* bytes expanded per Dockerfile; past it values stay as written */
#define HEREDOCS_MAX 8   /* here-documents one instruction opens */
#define HEREDOC_TAG_MAX 64

/* Extensions of files that are no Dockerfile whatever their stem (dockerfile_test.go,
 * Dockerfile.md, a backup). */
static bool other_extension(const char *name, size_t n)
{
	static const char *const ext[] = {".go", ".py", ".pyc", ".rs", ".js", ".ts", ".rb", ".java", ".c", ".h",
					  ".cs", ".sh", ".md", ".txt", ".rst", ".adoc", ".html", ".json", ".yaml",
					  ".yml", ".toml", ".lock", ".bak", ".orig", ".swp", ".tmp", ".old",
					  ".dockerignore", ".j2", ".tpl", ".erb"};
	for (size_t i = 0; i < TM_ARRAY_LEN(ext); i++) {
		size_t l = strlen(ext[i]);
		if (n > l && strcasecmp(name + n - l, ext[i]) == 0)
			return true;
	}
	return false;
}

bool tm_ingest__is_dockerfile_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 10 || other_extension(name, n))
		return false;
	if (strncasecmp(name, "Dockerfile", 10) == 0) /* Dockerfile, Dockerfile.dev, Dockerfile-alpine */
		return n == 10 || (n > 11 && (name[10] == '.' || name[10] == '-'));
	return n > 11 && strcasecmp(name + n - 11, ".dockerfile") == 0; /* api.Dockerfile */
}

/* One instruction: its logical text and, per character, its place. */
struct instr {
	const char *text;
	size_t len;
	uint32_t line, col;
	uint32_t *lines, *cols;
};

struct var {
	const char *name, *value;
};

struct vars {
	struct var v[VARS_MAX];
	size_t n;
};

struct stage {
	const char *name; /* AS name, or NULL */
	const char *from; /* the image or stage it is FROM, its global ARGs expanded */
	size_t first, end; /* its instructions [first, end) */
};

struct df {
	tm_ingest_ctx *ctx;
	const char *path;
	tm_arena *a;
	char esc; /* the escape character: '\\', or '`' by a directive */
	struct instr *ins;
	size_t nins, cap;
	struct stage st[STAGES_MAX];
	size_t nst;
	struct vars global; /* ARG before the first FROM */
	struct vars env;    /* ENV of the stages of the image's chain so far: inherited by FROM <stage> */
	struct vars args;   /* ARG of the current stage: its own */
	size_t expanded;    /* bytes expanded so far (EXPAND_MAX) */
	tm_node *node;      /* the file's credentials node, made at the first */
	const char *user;   /* the final stage's USER */
	tm_loc user_at;
};

static const char *vars_get(const struct vars *t, const char *name, size_t n)
{
	for (size_t i = t->n; i-- > 0;)
		if (strlen(t->v[i].name) == n && strncmp(t->v[i].name, name, n) == 0)
			return t->v[i].value;
	return NULL;
}

static void vars_set(struct vars *t, const char *name, const char *value)
{
	if (t->n < VARS_MAX)
		t->v[t->n++] = (struct var){name, value};
}

/* A variable's value as the builder sees it: ENV first (it overrides an ARG of the same name),
 * then the stage's ARG; NULL when neither set it. */
static const char *var_get(const struct df *d, const char *name, size_t n)
{
	const char *v = vars_get(&d->env, name, n);
	return v ? v : vars_get(&d->args, name, n);
}

/* The variable reference at s[*k] ('$'): $NAME, ${NAME}, ${NAME:-default}, ${NAME:+alternative}
 * (the default and the alternative taken as written); its value appended to sb, *k moved past it.
 * A '$' that starts no reference is itself. An unset variable is empty, as the builder makes it. */
static void reference(struct df *d, const char *s, size_t n, size_t *k, tm_strbuf *sb)
{
	size_t i = *k, start = i + 1, vend, next;
	const char *word = NULL;
	size_t wordn = 0;
	char op = 0;
	if (start < n && s[start] == '{') {
		const char *close = memchr(s + start, '}', n - start);
		vend = start + 1;
		while (close && vend < (size_t)(close - s) && (isalnum((unsigned char)s[vend]) || s[vend] == '_'))
			vend++;
		if (!close || vend == start + 1) {
			tm_strbuf_putc(sb, '$');
			*k = i + 1;
			return;
		}
		if (vend + 1 < (size_t)(close - s) && s[vend] == ':' && (s[vend + 1] == '-' || s[vend + 1] == '+')) {
			op = s[vend + 1];
			word = s + vend + 2;
			wordn = (size_t)(close - word);
		}
		next = (size_t)(close - s) + 1;
		start++;
	} else {
		vend = start;
		while (vend < n && (isalnum((unsigned char)s[vend]) || s[vend] == '_'))
			vend++;
		if (vend == start) {
			tm_strbuf_putc(sb, '$');
			*k = i + 1;
			return;
		}
		next = vend;
	}
	const char *v = var_get(d, s + start, vend - start);
	bool set = v && *v;
	if (op == '-' && !set)
		tm_strbuf_put(sb, word, wordn);
	else if (op == '+')
		tm_strbuf_put(sb, set ? word : "", set ? wordn : 0);
	else if (set && d->expanded + strlen(v) <= EXPAND_MAX && sb->len + strlen(v) <= VALUE_MAX) {
		d->expanded += strlen(v);
		tm_strbuf_puts(sb, v);
	} else if (set) {
		tm_strbuf_put(sb, s + i, next - i); /* past the bounds: as written */
	}
	*k = next;
}

enum { W_KEY, W_VALUE, W_REST };

/* The next word of an instruction's arguments into sb, as the builder reads it: quotes removed
 * (nothing expanded between single quotes), the escape character taking the next character as
 * itself, variables expanded (not in a key). W_KEY ends at an unquoted '=' or white space, W_VALUE
 * at white space, W_REST at the end (the legacy `ENV KEY value with spaces`). *i moves past it. */
static bool word(struct df *d, const struct instr *in, size_t *i, tm_strbuf *sb, int mode)
{
	const char *s = in->text;
	size_t n = in->len, k = *i;
	while (k < n && isspace((unsigned char)s[k]))
		k++;
	if (k >= n)
		return false;
	char q = 0;
	while (k < n && !sb->oom) {
		char c = s[k];
		if (q == '\'') {
			if (c == '\'')
				q = 0;
			else
				tm_strbuf_putc(sb, c);
			k++;
			continue;
		}
		if (!q && mode != W_REST && (isspace((unsigned char)c) || (mode == W_KEY && c == '=')))
			break;
		if (c == d->esc && k + 1 < n && (!q || s[k + 1] == '"' || s[k + 1] == d->esc || s[k + 1] == '$')) {
			tm_strbuf_putc(sb, s[k + 1]);
			k += 2;
		} else if (c == '"' && q == '"') {
			q = 0;
			k++;
		} else if (!q && (c == '"' || c == '\'')) {
			q = c;
			k++;
		} else if (c == '$' && mode != W_KEY) {
			reference(d, s, n, &k, sb);
		} else {
			tm_strbuf_putc(sb, c);
			k++;
		}
	}
	*i = k;
	return !sb->oom;
}

/* A credential the Dockerfile writes into the image: one fact on the file's node. */
static void credential(struct df *d, const char *key, const char *value, tm_loc at)
{
	d->node = tm_ingest__config_credential(d->ctx, d->node, d->path, "dockerfile", key, at);
	/* held by the workloads running the image (calls.c) */
	tm_ingest__config_secret(d->ctx, d->path, d->node, key, value, at);
}

/* One variable the image's environment holds. */
static void env_var(struct df *d, const char *key, const char *value, tm_loc at, bool image_env)
{
	vars_set(&d->env, key, value);
	if (!image_env)
		return;
	if (tm_k8s__literal_credential(key, value))
		credential(d, key, value, at);
	tm_ingest__config_env(d->ctx, d->path, key, value, at);
}

static tm_loc place(const struct df *d, const struct instr *in, size_t at)
{
	if (at >= in->len)
		at = in->len ? in->len - 1 : 0;
	return (tm_loc){d->path, in->lines ? in->lines[at] : in->line, in->cols ? in->cols[at] : in->col, NULL};
}

static void skip_space(const struct instr *in, size_t *i)
{
	while (*i < in->len && isspace((unsigned char)in->text[*i]))
		(*i)++;
}

/* ENV of instruction in, its arguments from args on: `KEY=value ...`, or the legacy `KEY value`
 * whose value is the rest of the line. */
static void env_instr(struct df *d, const struct instr *in, size_t args, bool image_env)
{
	size_t i = args;
	skip_space(in, &i);
	size_t first_end = i;
	while (first_end < in->len && !isspace((unsigned char)in->text[first_end]) && in->text[first_end] != '=')
		first_end++;
	bool pairs = first_end < in->len && in->text[first_end] == '=';
	tm_strbuf k = TM_STRBUF_INIT, v = TM_STRBUF_INIT;
	for (size_t guard = 0; guard < VARS_MAX; guard++) {
		tm_strbuf_reset(&k);
		tm_strbuf_reset(&v);
		skip_space(in, &i);
		size_t at = i;
		if (!word(d, in, &i, &k, W_KEY) || !k.len)
			break;
		if (pairs && !(i < in->len && in->text[i] == '='))
			break; /* KEY=value pairs: a word without '=' is no pair */
		if (pairs) {
			i++;
			if (i < in->len && !isspace((unsigned char)in->text[i]))
				word(d, in, &i, &v, W_VALUE);
		} else {
			word(d, in, &i, &v, W_REST);
		}
		const char *key = tm_arena_strndup(d->a, k.data, k.len);
		const char *val = v.oom ? NULL : tm_arena_strndup(d->a, v.data ? v.data : "", v.len);
		if (key && val)
			env_var(d, key, val, place(d, in, at), image_env);
		if (!pairs)
			break;
	}
	tm_strbuf_dispose(&k);
	tm_strbuf_dispose(&v);
}

/* ARG NAME[=default] ... into table t: a name without a default takes the global ARG's (into a
 * stage), or stays unset. */
static void arg_instr(struct df *d, const struct instr *in, size_t args, struct vars *t)
{
	size_t i = args;
	tm_strbuf k = TM_STRBUF_INIT, v = TM_STRBUF_INIT;
	for (size_t guard = 0; guard < VARS_MAX; guard++) {
		tm_strbuf_reset(&k);
		tm_strbuf_reset(&v);
		if (!word(d, in, &i, &k, W_KEY) || !k.len)
			break;
		const char *key = tm_arena_strndup(d->a, k.data, k.len);
		const char *val = NULL;
		if (i < in->len && in->text[i] == '=') {
			i++;
			if (i < in->len && !isspace((unsigned char)in->text[i]))
				word(d, in, &i, &v, W_VALUE);
			val = v.oom ? NULL : tm_arena_strndup(d->a, v.data ? v.data : "", v.len);
		} else if (t != &d->global) {
			val = key ? vars_get(&d->global, key, strlen(key)) : NULL;
		}
		if (key && val)
			vars_set(t, key, val);
	}
	tm_strbuf_dispose(&k);
	tm_strbuf_dispose(&v);
}

/* USER name[:group] of the image's chain: the last one is who its processes run as. */
static void user_instr(struct df *d, const struct instr *in, size_t args)
{
	size_t i = args;
	tm_strbuf w = TM_STRBUF_INIT;
	skip_space(in, &i);
	size_t at = i;
	if (word(d, in, &i, &w, W_VALUE) && w.len) {
		d->user = tm_arena_strndup(d->a, w.data, w.len);
		d->user_at = place(d, in, at);
	}
	tm_strbuf_dispose(&w);
}

/* The length of an instruction's keyword; its arguments start there. */
static size_t keyword_len(const struct instr *in)
{
	size_t n = 0;
	while (n < in->len && !isspace((unsigned char)in->text[n]))
		n++;
	return n;
}

/* Is w (n bytes) of the instruction its keyword kw? */
static bool keyword(const char *w, size_t n, const char *kw)
{
	return strlen(kw) == n && strncasecmp(w, kw, n) == 0;
}

struct heredoc {
	char tag[HEREDOC_TAG_MAX];
	bool strip_tabs; /* <<-TAG: leading tabs of the body and of the closing line are dropped */
};

/* The here-documents a RUN, COPY or ADD opens: words starting "<<" ("<<-"), then a tag of
 * [A-Za-z_][A-Za-z0-9_]* (quoted or not); at most HEREDOCS_MAX, in order. A tag longer than
 * HEREDOC_TAG_MAX is none (never closed, it would hide the rest of the file). */
static size_t heredocs(const struct instr *in, size_t args, struct heredoc *out)
{
	size_t n = 0;
	const char *s = in->text;
	for (size_t i = args; i + 2 < in->len && n < HEREDOCS_MAX; i++) {
		if (s[i] != '<' || s[i + 1] != '<' || (i > args && !isspace((unsigned char)s[i - 1])))
			continue;
		size_t k = i + 2;
		bool strip = k < in->len && s[k] == '-';
		k += strip;
		char q = k < in->len && (s[k] == '"' || s[k] == '\'') ? s[k++] : 0;
		size_t t = 0;
		if (!(k < in->len && (isalpha((unsigned char)s[k]) || s[k] == '_')))
			continue;
		while (k < in->len && (isalnum((unsigned char)s[k]) || s[k] == '_') && t + 1 < HEREDOC_TAG_MAX)
			out[n].tag[t++] = s[k++];
		if (k < in->len && (isalnum((unsigned char)s[k]) || s[k] == '_'))
			continue; /* too long */
		if (q && !(k < in->len && s[k] == q))
			continue;
		out[n].tag[t] = '\0';
		out[n].strip_tabs = strip;
		n++;
		i = k;
	}
	return n;
}

/* Is the line [b, le) a parser directive `# escape=C` (or another directive)? *esc gets the escape
 * character it sets. */
static bool directive(const char *b, const char *le, char *esc)
{
	const char *q = b + 1;
	while (q < le && (*q == ' ' || *q == '\t'))
		q++;
	const char *key = q;
	while (q < le && isalpha((unsigned char)*q))
		q++;
	size_t kn = (size_t)(q - key);
	while (q < le && (*q == ' ' || *q == '\t'))
		q++;
	if (!kn || q >= le || *q != '=')
		return false;
	q++;
	while (q < le && (*q == ' ' || *q == '\t'))
		q++;
	if (kn == 6 && strncasecmp(key, "escape", 6) == 0 && q < le && (*q == '`' || *q == '\\'))
		*esc = *q;
	return true;
}

/* Split text into instructions: logical lines, comments and here-document bodies dropped. */
static void split(struct df *d, const char *text, size_t len)
{
	bool directives = true; /* parser directives come first, before any other line */
	tm_strbuf cur = TM_STRBUF_INIT;
	uint32_t *lines = NULL, *cols = NULL;
	size_t cap_l = 0, cap_c = 0;
	uint32_t first_line = 0, first_col = 0, line = 0;
	struct heredoc hd[HEREDOCS_MAX];
	size_t nhd = 0, at_hd = 0;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) { /* a byte order mark */
		text += 3;
		len -= 3;
	}
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		if (le > p && le[-1] == '\r')
			le--;
		line++;
		const char *b = p;
		p = next;
		if (at_hd < nhd) { /* a here-document's body, to its closing tag */
			const char *t = b;
			while (hd[at_hd].strip_tabs && t < le && *t == '\t')
				t++;
			size_t tl = strlen(hd[at_hd].tag);
			if ((size_t)(le - t) == tl && strncmp(t, hd[at_hd].tag, tl) == 0)
				at_hd++;
			continue;
		}
		const char *s = b;
		while (s < le && isspace((unsigned char)*s))
			s++;
		if (directives && s == b && s < le && *s == '#' && directive(s, le, &d->esc))
			continue;
		directives = false;
		if (s == le || *s == '#') /* blank, or a comment: also between continued lines */
			continue;
		const char *e = le;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		bool cont = e > s && e[-1] == d->esc;
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
		size_t kl = keyword_len(in);
		nhd = at_hd = 0;
		if (keyword(in->text, kl, "RUN") || keyword(in->text, kl, "COPY") || keyword(in->text, kl, "ADD"))
			nhd = heredocs(in, kl, hd);
		tm_strbuf_reset(&cur);
	}
	tm_strbuf_dispose(&cur);
	tm_free(lines);
	tm_free(cols);
}

/* The stages: each FROM starts one (FROM [--platform=...] image [AS name]), its image expanded with
 * the global ARGs. More than STAGES_MAX: the last ones are kept. */
static void stages(struct df *d)
{
	for (size_t i = 0; i < d->nins; i++) {
		size_t kl = keyword_len(&d->ins[i]), args = kl;
		if (!keyword(d->ins[i].text, kl, "FROM"))
			continue;
		if (d->nst)
			d->st[d->nst - 1].end = i;
		if (d->nst == STAGES_MAX) {
			memmove(&d->st[0], &d->st[1], (STAGES_MAX - 1) * sizeof(d->st[0]));
			d->nst--;
		}
		struct stage *s = &d->st[d->nst++];
		*s = (struct stage){NULL, NULL, i, d->nins};
		struct vars saved = d->args; /* FROM sees the global ARGs only */
		d->args = d->global;
		tm_strbuf w = TM_STRBUF_INIT;
		size_t k = args;
		for (int n = 0; n < 8 && (tm_strbuf_reset(&w), word(d, &d->ins[i], &k, &w, W_VALUE)) && w.data; n++) {
			if (strncmp(w.data, "--", 2) == 0)
				continue; /* --platform=... */
			if (!s->from)
				s->from = tm_arena_strndup(d->a, w.data, w.len);
			else if (strcasecmp(w.data, "AS") == 0 && (tm_strbuf_reset(&w), word(d, &d->ins[i], &k, &w, W_VALUE)) &&
				 w.data)
				s->name = tm_arena_strndup(d->a, w.data, w.len);
		}
		d->args = saved;
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
	if (memchr(text, '\0', len))
		return false;
	tm_strbuf latin1 = TM_STRBUF_INIT;
	text = tm_ingest__as_utf8(&latin1, text, &len); /* a Latin-1 comment */
	struct df *d = text ? tm_calloc(1, sizeof(*d)) : NULL;
	if (!d) {
		tm_strbuf_dispose(&latin1);
		return false;
	}
	d->ctx = ctx;
	d->path = path;
	d->a = ctx->scratch;
	d->esc = '\\';
	split(d, text, len);
	/* ARG before the first FROM: the global ARGs, which FROM lines see and a stage takes by name */
	size_t pre = d->nins;
	for (size_t i = 0; i < d->nins && pre == d->nins; i++) {
		size_t kl = keyword_len(&d->ins[i]);
		if (keyword(d->ins[i].text, kl, "FROM"))
			pre = i;
	}
	for (size_t i = 0; i < pre; i++) {
		size_t kl = keyword_len(&d->ins[i]), args = kl;
		if (keyword(d->ins[i].text, kl, "ARG"))
			arg_instr(d, &d->ins[i], args, &d->global);
	}
	stages(d);
	bool image = d->nst > 0; /* a Dockerfile starts FROM (after its global ARGs) */
	size_t order[STAGES_MAX];
	size_t n = d->nst ? chain(d, order) : 0;
	for (size_t c = 0; c < n; c++) {
		const struct stage *s = &d->st[order[c]];
		d->args.n = 0; /* an ARG is its stage's: ENV is what FROM <stage> inherits */
		for (size_t i = s->first + 1; i < s->end && i < d->nins; i++) {
			size_t kl = keyword_len(&d->ins[i]), args = kl;
			if (keyword(d->ins[i].text, kl, "ENV"))
				env_instr(d, &d->ins[i], args, true);
			else if (keyword(d->ins[i].text, kl, "ARG"))
				arg_instr(d, &d->ins[i], args, &d->args);
			else if (keyword(d->ins[i].text, kl, "USER"))
				user_instr(d, &d->ins[i], args);
		}
	}
	if (d->user)
		tm_ingest__config_user(ctx, path, d->user, d->user_at);
	/* the image the chain starts FROM (a console's image, TM-MESH-012), unless it is none */
	const struct stage *base = n ? &d->st[order[0]] : NULL;
	if (base && base->from && strcasecmp(base->from, "scratch") != 0 && !strchr(base->from, '$'))
		tm_ingest__config_base_image(ctx, path, base->from, place(d, &d->ins[base->first], 0));
	tm_free(d->ins);
	tm_free(d);
	tm_strbuf_dispose(&latin1);
	return image;
}
