/*
 * k8s_secrets.c - Secrets as nodes of their own: what a committed Secret holds, how workloads take
 * it, and who may read it.
 *
 * A Secret object (`kind: Secret`, a Bitnami SealedSecret, an External Secrets Operator
 * ExternalSecret, or a Secret encrypted by SOPS) merges into "secret:k8s:<ns>/<name>", the node a
 * workload's reference creates. On it: `store` (kubernetes-secret, sealed, external, sops),
 * `secret_type`, located facts `keys` (every key name, never a value), `committed_value` (a key
 * whose written value is real: not empty, not a placeholder, not templated, not encrypted) and
 * `placeholder_value`. `data` values are base64-decoded (the first bytes only) to judge them.
 *
 * The judgement of a written value is every ingester's (ingest.h): tm_ingest__not_a_value (is it
 * real?), tm_ingest__carried_password (the password a URL, connection string or DSN carries) and
 * tm_ingest__masked (an address as a report may print it), for env vars, compose files and
 * applications' configuration files alike.
 *
 * Env injection (`env.valueFrom.secretKeyRef`, `envFrom.secretRef`) is a located fact `secret_env`
 * on the workload, "<container>/<VAR> <- <secret>[/<key>]", at the reference.
 *
 * Readers: k8s_rbac.c notes every grant of get/list/watch on secrets (tm_k8s__secret_grant); once
 * RBAC is read, each grant becomes `reads` edges identity -> secret to the secrets it covers: by
 * resourceNames, every secret of the binding's namespace, or every secret (cluster-wide). Secrets
 * are indexed once by namespace and by name, so a grant costs the secrets it reaches (the edges
 * it adds), never a walk of the model. The secret lists `readers` (identity ids, at the grant) and
 * `used_by` (workload ids, at the reference, from k8s.c). A service-account token Secret
 * (`kubernetes.io/service-account-token`) is granted to its account: `granted` secret -> identity,
 * so whoever reads the token acts as the account.
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "k8s.h"

#define SECRET_STORE_REF "kubernetes-secret"

tm_node *tm_k8s__secret_node(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *ns, const char *name,
			     const char *store, tm_loc loc)
{
	char *id = tm_arena_printf(k->arena, "secret:k8s:%s/%s", ns, name);
	tm_node *s = id ? tm_mb_node(ctx->mb, TM_NODE_SECRET, id, name, tm_k8s__ns_boundary(ctx, k, ns), loc)
			: NULL;
	if (s) {
		tm_mb_node_str(ctx->mb, s, "namespace", ns);
		/* a reference does not say where the secret is kept: a committed object does */
		if (!tm_node_attr_str(s, "store") || strcmp(store, SECRET_STORE_REF) != 0)
			tm_mb_node_str(ctx->mb, s, "store", store);
	}
	return s;
}

/* ---- judging a written value ------------------------------------------------------------------ */

bool tm_k8s__b64_prefix(const char *src, size_t len, char *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)src[i];
		int v;
		if (ch >= 'A' && ch <= 'Z')
			v = ch - 'A';
		else if (ch >= 'a' && ch <= 'z')
			v = ch - 'a' + 26;
		else if (ch >= '0' && ch <= '9')
			v = ch - '0' + 52;
		else if (ch == '+' || ch == '-')
			v = 62;
		else if (ch == '/' || ch == '_')
			v = 63;
		else if (ch == '=')
			break;
		else if (isspace(ch))
			continue;
		else
			return false;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 < cap)
				out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	return true;
}

/* Is v the start of alphabet repeated, whatever its case? What a chart's randAlphaNum/randAlpha/
 * randNumeric renders to here (the value is made at install time, not committed), and what a person
 * types as a placeholder ("abcdef", a README's "ABCDEFGHIJKLMNOPQRST"). Not "123456": the commonest
 * weak password, kept in many a committed configuration that deployments run with (the whole row
 * of digits, "1234567890", is typed as a placeholder: the caller asks for ten). */
static bool alphabet_run(const char *v, size_t len, const char *alphabet, size_t min)
{
	size_t al = strlen(alphabet);
	if (len < min)
		return false;
	for (size_t i = 0; i < len; i++)
		if (tolower((unsigned char)v[i]) != alphabet[i % al])
			return false;
	return true;
}

/* Is v a credential's kind written in capitals in place of one: SECRET, TOKEN, CLIENT_SECRET, API_TOKEN_SALT,
 * API-KEY (ingress-nginx's oauth2-proxy example sets OAUTH2_PROXY_COOKIE_SECRET: SECRET, with a
 * comment saying how to make one)? Every part is such a word, one of them the credential's. Not
 * lowercase "secret" or "password": weak passwords deployments do run with. */
static bool caps_credential_word(const char *v, size_t len)
{
	static const char *const parts[] = {"SECRET", "TOKEN", "PASSWORD", "PASSWD", "PASS", "KEY", "SALT", "API", "ACCESS",
					    "CLIENT", "COOKIE", "PRIVATE", "AUTH", "VALUE", "HERE", "THE", "MY"};
	bool cred = false;
	for (size_t i = 0; i < len;) {
		size_t n = 0;
		while (i + n < len && isupper((unsigned char)v[i + n]))
			n++;
		if (!n)
			return false;
		size_t k = 0;
		while (k < TM_ARRAY_LEN(parts) && !(strlen(parts[k]) == n && strncmp(v + i, parts[k], n) == 0))
			k++;
		if (k == TM_ARRAY_LEN(parts))
			return false;
		cred = cred || k < 7;
		i += n;
		if (i < len && v[i] != '_' && v[i] != '-')
			return false;
		i += i < len;
	}
	return cred;
}

/* What a written value is: NULL for a real value, else why it is not one (ingest.h). */
const char *tm_ingest__not_a_value(const char *v, size_t len)
{
	static const char *const words[] = {"changeme", "change-me", "change_me", "changeit", "replaceme",
					    "replace-me", "replace_me", "placeholder", "todo", "tbd", "redacted",
					    "secret-here", "yoursecret", "dummy", "none", "null", "invalid", "disabled",
					    "unset", "undefined", "nil", "n/a"};
	while (len && isspace((unsigned char)*v))
		v++, len--;
	while (len && isspace((unsigned char)v[len - 1]))
		len--;
	if (!len)
		return "empty";
	if (len >= 4 && strncmp(v, "ENC[", 4) == 0)
		return "encrypted";
	if (len > 10 && strncmp(v, "unknown (", 9) == 0 && v[len - 1] == ')')
		return "templated"; /* a Terraform value the files do not decide (tf_config.c) */
	if (v[0] == '<' && v[len - 1] == '>')
		return "placeholder";
	if (len > 4 && strncasecmp(v, "your", 4) == 0 && (v[4] == '-' || v[4] == '_' || isupper((unsigned char)v[4])))
		return "placeholder"; /* your-client-secret, yourWeak(!)Password, your_api_key */
	for (size_t i = 0; i + 1 < len; i++)
		if ((v[i] == '$' && (v[i + 1] == '{' || v[i + 1] == '(')) || (v[i] == '{' && v[i + 1] == '{') ||
		    (v[i] == '%' && (v[i + 1] == 's' || v[i + 1] == 'v' || v[i + 1] == '('))) /* printf verbs */
			return "templated";
	size_t x = 0;
	while (x < len && (v[x] == 'x' || v[x] == 'X' || v[x] == '*' || v[x] == '.'))
		x++;
	if (x == len)
		return "placeholder";
	/* one letter typed again and again: aaaa, zzzz (a stub for a key the user must supply, as
	 * kompose's OPENAI_API_KEY: aaaa); not 111111, a weak password deployments do run with */
	x = 1;
	while (x < len && v[x] == v[0])
		x++;
	if (x == len && len >= 3 && isalpha((unsigned char)v[0]))
		return "placeholder";
	/* a key's known prefix and then x's: sk-proj-xxxxxxxx, ghp_xxxxxxxxxxxx, AKIAXXXXXXXXXXXXXXXX */
	size_t tail = 0;
	while (tail < len && (v[len - 1 - tail] == 'x' || v[len - 1 - tail] == 'X' || v[len - 1 - tail] == '*'))
		tail++;
	if (tail >= 4 && 2 * tail >= len)
		return "placeholder";
	if (alphabet_run(v, len, "abcdefghijklmnopqrstuvwxyz0123456789", 6) ||
	    alphabet_run(v, len, "abcdefghijklmnopqrstuvwxyz", 6) || alphabet_run(v, len, "0123456789", 6) ||
	    alphabet_run(v, len, "1234567890", 10) ||
	    (len == 36 && strncmp(v, "00000000-0000-4000-8000-000000000000", 36) == 0))
		return "generated";
	/* change and what to change: changePassword, change_this_token, SuperSecretKeyChangeThis,
	 * ChangeThisToAStrongPassword!; not Changeling42 */
	if (len > 6 && strncasecmp(v, "change", 6) == 0 && (isupper((unsigned char)v[6]) || v[6] == '_' || v[6] == '-'))
		return "placeholder";
	/* replace and what with: replace-default-auth (redis-ha's redis.conf, which its init container
	 * rewrites with the Secret's password), REPLACE_WITH_TOKEN, replaceWithYourKey */
	if (len > 7 && strncasecmp(v, "replace", 7) == 0 && (isupper((unsigned char)v[7]) || v[7] == '_' || v[7] == '-'))
		return "placeholder";
	for (size_t i = 0; i + 10 <= len; i++)
		if (strncasecmp(v + i, "changethis", 10) == 0 || (i + 11 <= len && strncasecmp(v + i, "change_this", 11) == 0) ||
		    (i + 11 <= len && strncasecmp(v + i, "change-this", 11) == 0))
			return "placeholder";
	if (caps_credential_word(v, len))
		return "placeholder";
	/* a generated credential's kind in lowercase after "my": mysastoken, myapikey, my_access_key
	 * (tokens and keys are generated, never typed; a typed "mypassword" may well be one) */
	if (len > 2 && (v[0] == 'm' || v[0] == 'M') && (v[1] == 'y' || v[1] == 'Y')) {
		size_t k = 2;
		while (k < len && (islower((unsigned char)v[k]) || v[k] == '_' || v[k] == '-'))
			k++;
		if (k == len && ((len >= 7 && strncmp(v + len - 5, "token", 5) == 0) ||
				 (len >= 5 && strncmp(v + len - 3, "key", 3) == 0)))
			return "placeholder";
	}
	/* the platforms' own: WordPress's wp-config-sample.php phrase, Strapi's .env.example
	 * ("tobemodified", APP_KEYS="toBeModified1,toBeModified2") */
	if ((len == 27 && strncasecmp(v, "put your unique phrase here", 27) == 0) ||
	    (len >= 12 && strncasecmp(v, "tobemodified", 12) == 0))
		return "placeholder";
	/* a placeholder word, decorated or not: "!!changeme!!", "__REPLACE_ME__", "changeme123" */
	size_t b = 0, e = len;
	while (b < e && strchr("!_-*#~=.[]()", v[b]))
		b++;
	while (e > b && strchr("!_-*#~=.[]()", v[e - 1]))
		e--;
	for (size_t w = 0; w < TM_ARRAY_LEN(words); w++) {
		size_t wl = strlen(words[w]);
		if ((wl == e - b && strncasecmp(v + b, words[w], wl) == 0) ||
		    /* changeme..., replace_me...; not changeit, which starts real passwords too */
		    (w < 7 && w != 3 && wl < e - b && strncasecmp(v + b, words[w], wl) == 0))
			return "placeholder";
	}
	return NULL;
}

/* A Go SQL driver DSN's password in v .. end (user:PASSWORD@tcp(host:port)/db, @unix(...), @(...)),
 * its length in *len; NULL when v is no such DSN. */
static const char *dsn_password(const char *v, const char *end, size_t *len)
{
	const char *at = memchr(v, '@', (size_t)(end - v));
	if (!at || !(at + 1 < end && (at[1] == '(' || (end - at > 4 && strncmp(at + 1, "tcp(", 4) == 0) ||
				       (end - at > 5 && strncmp(at + 1, "unix(", 5) == 0))))
		return NULL;
	const char *u = v;
	while (u < at && !strchr(":/ @", *u))
		u++;
	if (u == at || *u != ':')
		return NULL;
	*len = (size_t)(at - u - 1);
	return u + 1;
}

/* A URL's userinfo password at scheme (just after "://"): up to the authority's last '@' (a
 * password may hold one), from the userinfo's first ':'. NULL when it has none. */
static const char *url_password(const char *u, const char *end, size_t *len)
{
	const char *stop = u;
	while (stop < end && !strchr("/? ", *stop))
		stop++;
	const char *at = NULL;
	for (const char *q = u; q < stop; q++)
		if (*q == '@')
			at = q;
	const char *colon = at ? memchr(u, ':', (size_t)(at - u)) : NULL;
	if (!colon)
		return NULL;
	*len = (size_t)(at - colon - 1);
	return colon + 1;
}

/* A password item at p (Password=, pwd =, SharedAccessKey=, AccountKey=) after a separator of a connection string (';'), a URL's
 * query ('?', '&') or a libpq keyword string (' '): the value's start and, in *len, its length, to
 * the separator of that kind of string (a quoted value, '...' or "...", to its closing quote); NULL
 * when p starts no such item. */
static const char *password_item(const char *v, const char *p, size_t *len)
{
	/* Azure's keys in the same place: Service Bus and Event Hubs' SharedAccessKey=, Storage's
	 * AccountKey= (not SharedAccessKeyName=, which names the key) */
	char before = p > v ? p[-1] : ';';
	if (!before || !strchr(";&? ,", before)) /* the separator first: most places are none */
		return NULL;
	size_t k = strncasecmp(p, "password", 8) == 0		  ? 8
		   : strncasecmp(p, "pwd", 3) == 0		  ? 3
		   : strncasecmp(p, "SharedAccessKey", 15) == 0 ? 15
		   : strncasecmp(p, "AccountKey", 10) == 0	  ? 10
								  : 0;
	if (!k)
		return NULL;
	const char *q = p + k;
	while (*q == ' ')
		q++;
	if (*q != '=')
		return NULL;
	q++;
	while (*q == ' ' && before != ' ')
		q++;
	if (*q == '\'' || *q == '"') {
		const char *close = strchr(q + 1, *q);
		*len = close ? (size_t)(close - q - 1) : strlen(q + 1);
		return q + 1;
	}
	*len = strcspn(q, before == ';' || before == ',' ? ";" : before == ' ' ? " " : "&#");
	return q;
}

/* The password a value carries whatever its key, and its length (ingest.h): a URL's
 * (scheme://user:PASSWORD@host), a connection string's, a libpq keyword string's or a query's (Password=...; password=... ; ?password=...&; Pwd=...), a Go SQL
 * driver's DSN. NULL: it carries none. */
const char *tm_ingest__carried_password(const char *v, size_t *len)
{
	const char *scheme = strstr(v, "://");
	const char *pw = scheme ? url_password(scheme + 3, v + strlen(v), len) : NULL;
	if (pw)
		return pw;
	/* an authority without its scheme (MONGO_URI: admin:pw@mongodb:27017): user:password@host, one
	 * word, the password before the host's '@' */
	if (!scheme && !strpbrk(v, " \t;=") && strchr(v, '@') && (pw = url_password(v, v + strlen(v), len)) != NULL &&
	    *len && pw > v + 1)
		return pw;
	for (const char *p = v; *p; p++) {
		const char *val = password_item(v, p, len);
		if (val)
			return val;
	}
	return dsn_password(v, v + strlen(v), len);
}

const char *tm_ingest__credential_flag(const char *word, const char *next, char *buf, size_t size)
{
	if (!word || word[0] != '-')
		return NULL;
	const char *name = word + strspn(word, "-");
	size_t nl = strcspn(name, "=");
	const char *value = name[nl] == '=' ? name + nl + 1 : next;
	if (!nl || nl >= 64 || !value || !*value || value[0] == '-')
		return NULL;
	char key[64];
	tm_formatf(key, sizeof(key), "%.*s", (int)nl, name);
	for (char *c = key; *c; c++)
		if (*c == '-')
			*c = '_';
	/* Redis' and Valkey's own words for a password, then any flag named like a credential */
	bool named = strcmp(key, "requirepass") == 0 || strcmp(key, "masterauth") == 0;
	if (!(named ? !tm_ingest__not_a_value(value, strlen(value)) : tm_k8s__literal_credential(key, value)))
		return NULL;
	tm_formatf(buf, size, "%.*s", (int)(name - word + nl), word);
	return buf;
}

const char *tm_ingest__credential_in(const char *w, const char *next, char *buf, size_t size)
{
	const char *f = w ? tm_ingest__credential_flag(w, next, buf, size) : NULL;
	for (const char *p = w && strchr(w, ' ') ? w : NULL; !f && p && *p;) { /* sh -c "redis-server --requirepass x" */
		p += strspn(p, " ");
		size_t wl = strcspn(p, " ");
		const char *q = p + wl + strspn(p + wl, " ");
		size_t nl = strcspn(q, " ");
		char word[256], nx[256];
		tm_formatf(word, sizeof(word), "%.*s", (int)wl, p);
		tm_formatf(nx, sizeof(nx), "%.*s", (int)nl, q);
		f = wl ? tm_ingest__credential_flag(word, nl ? nx : NULL, buf, size) : NULL;
		p = q;
	}
	return f;
}

/* An address with the secrets it carries masked, for the model and every report: the password of
 * URL userinfo ("postgres://app:***@db"), of a Go DSN ("app:***@tcp(db:3306)/app") and Password=/Pwd=
 * items of a connection string (ingest.h). With `.env` interpolated, they would otherwise copy
 * committed credentials into every report. */
const char *tm_ingest__masked(tm_arena *a, const char *value)
{
	if (!strchr(value, '@') && !strchr(value, '='))
		return value;
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *end = value + strlen(value), *copied = value;
	for (const char *p = value; p < end;) {
		size_t n = 0;
		/* a URL's userinfo password, a Password= or pwd= item, a Go DSN's user:password@tcp(host) */
		const char *pw = p + 3 <= end && memcmp(p, "://", 3) == 0 ? url_password(p + 3, end, &n) : NULL;
		if (!pw)
			pw = password_item(value, p, &n);
		if (!pw && (p == value || strchr(";, ", p[-1])))
			pw = dsn_password(p, p + strcspn(p, ";, "), &n);
		if (!pw) {
			p++;
			continue;
		}
		tm_strbuf_put(&sb, copied, (size_t)(pw - copied));
		tm_strbuf_puts(&sb, "***");
		copied = pw + n;
		p = copied > p ? copied : p + 1;
	}
	tm_strbuf_put(&sb, copied, (size_t)(end - copied));
	const char *out = sb.oom ? NULL : tm_arena_strndup(a, sb.data ? sb.data : "", sb.len);
	tm_strbuf_dispose(&sb);
	return out ? out : "(address not recorded)";
}

/* Is v[0..n) a URL that carries no password ("redis://harbor-redis:6379/5", "https://user@h/")? An
 * address kept in a Secret is no secret of its own. */
static bool bare_url(const char *v, size_t n)
{
	const char *sch = NULL;
	for (size_t i = 0; !sch && i + 3 <= n; i++)
		if (v[i] == ':' && v[i + 1] == '/' && v[i + 2] == '/')
			sch = v + i;
	if (!sch || sch == v)
		return false;
	for (const char *p = v; p < sch; p++)
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
			return false;
	const char *rest = sch + 3, *end = v + n;
	size_t auth = 0;
	while (rest + auth < end && rest[auth] != '/' && rest[auth] != '?' && rest[auth] != '#')
		auth++;
	const char *at = NULL;
	for (size_t i = 0; i < auth; i++)
		if (rest[i] == '@')
			at = rest + i;
	const char *colon = at ? memchr(rest, ':', (size_t)(at - rest)) : NULL;
	return !colon || colon + 1 == at; /* no user, or a user without a password */
}

/* A data (base64) or stringData value: NULL when real, else why not. Not base64: judged as written. */
static const char *judge(const tm_value *val, bool base64)
{
	size_t len = 0;
	const char *s = tm_scalar_str(val, &len);
	if (!s)
		return "empty";
	const char *why = tm_ingest__not_a_value(s, len);
	if (why || !base64)
		return why ? why : bare_url(s, len) ? "address" : NULL;
	char dec[96];
	if (!tm_k8s__b64_prefix(s, len, dec, sizeof(dec)))
		return NULL;
	why = tm_ingest__not_a_value(dec, strlen(dec));
	return why ? why : bare_url(dec, strlen(dec)) ? "address" : NULL;
}

/* Does a data (base64) or stringData value carry a password (a URL's, a connection string's)? */
static bool carries_password(const tm_value *val, bool base64)
{
	size_t len = 0, plen = 0;
	const char *v = tm_scalar_str(val, &len);
	char dec[96];
	if (v && base64)
		v = tm_k8s__b64_prefix(v, len, dec, sizeof(dec)) ? dec : NULL;
	const char *pw = v && !tm_ingest__template_address(v) ? tm_ingest__carried_password(v, &plen) : NULL;
	return pw && plen && !tm_ingest__not_a_value(pw, plen);
}

#define SECRET_TEXT_MAX (1u << 20) /* a Secret value read as a configuration file: at most 1 MiB */

/* Does one line of a configuration file ("key: value", "key = value", "\"key\": \"value\",") hand
 * out a credential: a credential-named key with a written value, or a value carrying a password? */
static bool credential_line(const char *l, size_t n)
{
	while (n && (*l == ' ' || *l == '\t' || *l == '-' || *l == '"' || *l == '\''))
		l++, n--;
	if (!n || *l == '#' || *l == ';' || (n > 1 && l[0] == '/' && l[1] == '/'))
		return false;
	size_t k = 0;
	while (k < n && l[k] != ':' && l[k] != '=' && l[k] != '"' && l[k] != '\'' && l[k] != ' ' && l[k] != '\t')
		k++;
	size_t sep = k;
	while (sep < n && (l[sep] == '"' || l[sep] == '\'' || l[sep] == ' ' || l[sep] == '\t'))
		sep++;
	if (!k || k >= 128 || sep >= n || (l[sep] != ':' && l[sep] != '='))
		return false;
	const char *v = l + sep + 1;
	size_t vn = n - sep - 1;
	while (vn && (*v == ' ' || *v == '\t' || *v == '"' || *v == '\''))
		v++, vn--;
	while (vn && strchr(" \t\r\",'", v[vn - 1]))
		vn--;
	if (!vn || vn >= 512)
		return false;
	char key[128], val[512];
	memcpy(key, l, k);
	key[k] = '\0';
	memcpy(val, v, vn);
	val[vn] = '\0';
	size_t plen = 0;
	const char *pw = tm_ingest__template_address(val) ? NULL : tm_ingest__carried_password(val, &plen);
	return tm_k8s__literal_credential(key, val) || (pw && plen && !tm_ingest__not_a_value(pw, plen));
}

/* A Secret's value that is a configuration file (several lines, under a key that names a file of a
 * configuration format and no credential: grafana.ini, alertmanager.yaml, a data-source list): whether a line of it hands out a credential.
 * Such a file committed without one (a time zone, a receiver, a URL without a password) commits
 * nothing secret; *is_config says whether it is one. A private key (PEM) is a credential. */
static bool config_text_credential(tm_ingest_ctx *ctx, const char *key, const tm_value *val, bool base64,
				   bool *is_config)
{
	static const char *const ext[] = {".ini", ".yaml", ".yml", ".json", ".conf", ".cfg", ".toml", ".properties", ".xml"};
	*is_config = false;
	size_t len = 0, kl = strlen(key);
	bool file = false;
	for (size_t i = 0; i < TM_ARRAY_LEN(ext) && !file; i++)
		file = kl > strlen(ext[i]) && strcasecmp(key + kl - strlen(ext[i]), ext[i]) == 0;
	const char *v = tm_scalar_str(val, &len);
	if (!file || !v || !len || (tm_classify_name(key) & TM_CLASS_CREDENTIAL) || len > SECRET_TEXT_MAX)
		return false;
	if (base64) {
		char *dec = tm_arena_alloc(ctx->scratch, len / 4 * 3 + 4);
		if (!dec || !tm_k8s__b64_prefix(v, len, dec, len / 4 * 3 + 4))
			return false;
		v = dec;
		len = strlen(dec);
	}
	while (len && isspace((unsigned char)v[len - 1])) /* a line and its newline are one line */
		len--;
	if (!memchr(v, '\n', len) || strstr(v, "-----BEGIN"))
		return false;
	*is_config = true;
	for (const char *l = v; l < v + len;) {
		const char *e = memchr(l, '\n', (size_t)(v + len - l));
		size_t n = e ? (size_t)(e - l) : (size_t)(v + len - l);
		if (credential_line(l, n))
			return true;
		l += n + 1;
	}
	return false;
}

static void key_facts(tm_ingest_ctx *ctx, tm_node *s, const tm_file *f, const tm_value *map, bool base64,
		      bool judged)
{
	for (size_t i = 0; i < tm_value_len(map); i++) {
		const tm_value *kv = tm_map_key(map, i);
		const char *key = tm_scalar_str(kv, NULL);
		if (!key)
			continue;
		tm_loc loc = tm_ingest__loc(f, kv);
		const tm_value *val = tm_map_value(map, i);
		if (val && tm_value_kind_of(val) != TM_VALUE_SCALAR) {
			/* the API server refuses it: a value is a string */
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, val),
				    "secret '%s' key '%s': the value is not a string", tm_node_name(s), key);
			continue;
		}
		tm_mb_node_fact(ctx->mb, s, "keys", key, loc);
		if (!judged)
			continue;
		const char *why = judge(val, base64);
		bool config = false;
		if (!why && !config_text_credential(ctx, key, val, base64, &config) && config) {
			/* a configuration file holding no credential: kept, not secret */
			tm_mb_node_fact(ctx->mb, s, "config_value", key, loc);
			continue;
		}
		if (!why) {
			tm_mb_node_fact(ctx->mb, s, "committed_value", key, loc);
			if (carries_password(val, base64)) /* a connection string or URL: whatever its key */
				tm_mb_node_fact(ctx->mb, s, "carries_password", key, loc);
		} else if (strcmp(why, "encrypted") != 0 && strcmp(why, "address") != 0) {
			tm_mb_node_fact(ctx->mb, s, "placeholder_value", key, loc);
		}
	}
}

/* SOPS writes its metadata beside the data, and ENC[...] for every value it encrypted. */
static bool sops_encrypted(const tm_value *root)
{
	const tm_value *sops = tm_map_get(root, "sops");
	return sops && tm_value_kind_of(sops) == TM_VALUE_MAP;
}

static void token_owner(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *s, const struct tm_k8s_obj *o)
{
	const tm_value *anns = tm_map_get(tm_map_get(o->v, "metadata"), "annotations");
	const tm_value *sav = tm_map_get(anns, "kubernetes.io/service-account.name");
	const char *sa = tm_scalar_str(sav, NULL);
	if (!sa || !*sa)
		return;
	tm_loc loc = tm_ingest__loc(o->f, sav);
	tm_node *id = tm_k8s__identity(ctx, k, o->ns, sa, loc);
	tm_edge *e = id ? tm_mb_edge(ctx->mb, s, id, TM_EDGE_GRANTED, loc) : NULL;
	if (!e)
		return;
	tm_mb_edge_str(ctx->mb, e, "how", "service-account token");
	tm_mb_node_fact(ctx->mb, s, "token_of", tm_node_id(id), loc);
}

void tm_k8s__secret_object(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	const tm_value *spec = tm_map_get(o->v, "spec");
	if (tm_k8s__is(o, "SealedSecret")) {
		const char *name = tm_map_get_str(tm_map_get(tm_map_get(spec, "template"), "metadata"), "name");
		tm_node *s = tm_k8s__secret_node(ctx, k, o->ns, name ? name : o->name, "sealed", loc);
		if (s)
			key_facts(ctx, s, o->f, tm_map_get(spec, "encryptedData"), false, false);
		return;
	}
	if (tm_k8s__is(o, "Certificate")) {
		/* cert-manager writes the issued certificate and its private key into spec.secretName, a
		 * kubernetes.io/tls Secret: what the workload serving it runs with (TM-PATH-001) */
		const tm_value *sn = tm_map_get(spec, "secretName");
		const char *name = tm_scalar_str(sn, NULL);
		tm_node *s = name && *name ? tm_k8s__secret_node(ctx, k, o->ns, name, "cert-manager", tm_ingest__loc(o->f, sn))
					   : NULL;
		if (s && !tm_node_attr_str(s, "secret_type"))
			tm_mb_node_str(ctx->mb, s, "secret_type", "kubernetes.io/tls");
		return;
	}
	if (tm_k8s__is(o, "ExternalSecret")) {
		const char *name = tm_map_get_str(tm_map_get(spec, "target"), "name");
		tm_node *s = tm_k8s__secret_node(ctx, k, o->ns, name ? name : o->name, "external", loc);
		const tm_value *data = tm_map_get(spec, "data");
		for (size_t i = 0; s && i < tm_value_len(data); i++) {
			const tm_value *kv = tm_map_get(tm_seq_at(data, i), "secretKey");
			if (!kv) /* the older kubernetes-client.io ExternalSecret: data[].name */
				kv = tm_map_get(tm_seq_at(data, i), "name");
			const char *key = tm_scalar_str(kv, NULL);
			if (key)
				tm_mb_node_fact(ctx->mb, s, "keys", key, tm_ingest__loc(o->f, kv));
		}
		return;
	}
	bool sops = sops_encrypted(o->v);
	tm_node *s = tm_k8s__secret_node(ctx, k, o->ns, o->name, sops ? "sops" : SECRET_STORE_REF, loc);
	if (!s)
		return;
	tm_mb_node_bool(ctx->mb, s, "committed", true);
	const tm_value *typev = tm_map_get(o->v, "type");
	const char *type = tm_scalar_str(typev, NULL);
	tm_mb_node_str(ctx->mb, s, "secret_type", type ? type : "Opaque");
	key_facts(ctx, s, o->f, tm_map_get(o->v, "data"), true, !sops);
	key_facts(ctx, s, o->f, tm_map_get(o->v, "stringData"), false, !sops);
	if (type && strcmp(type, "kubernetes.io/service-account-token") == 0)
		token_owner(ctx, k, s, o);
}

/* Where key is written in map m (the line a reader looks for), else where its value is. */
static tm_loc key_loc(const tm_file *f, const tm_value *m, const char *key, const tm_value *val)
{
	for (size_t i = 0; i < tm_value_len(m); i++)
		if (tm_map_value(m, i) == val && tm_scalar_str(tm_map_key(m, i), NULL) &&
		    strcmp(tm_scalar_str(tm_map_key(m, i), NULL), key) == 0)
			return tm_ingest__loc(f, tm_map_key(m, i));
	return tm_ingest__loc(f, val);
}

void tm_k8s__secret_env(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *w, const char *cname, const char *var,
			const tm_value *parent, const tm_value *ref, const tm_file *f)
{
	const char *name = tm_map_get_str(ref, "name");
	const char *key = tm_map_get_str(ref, "key");
	if (!name)
		return;
	char *item = var ? tm_arena_printf(k->arena, "%s/%s <- %s/%s", cname, var, name, key ? key : "?")
			 : tm_arena_printf(k->arena, "%s <- %s (every key)", cname, name);
	if (item)
		tm_mb_node_fact(ctx->mb, w, "secret_env", item,
				key_loc(f, parent, var ? "secretKeyRef" : "secretRef", ref));
}

/* ---- readers ---------------------------------------------------------------------------------- */

void tm_k8s__secret_grant(struct tm_k8s *k, tm_node *id, const char *ns, const tm_strs *names, const char *verbs,
			  const char *binding, tm_loc loc)
{
	if (!id || TM_GROW(k->sgrants, k->sgrants_cap, k->nsgrants + 1)) {
		tm_arena_set_failed(k->arena);
		return;
	}
	struct tm_k8s_secret_grant *g = &k->sgrants[k->nsgrants++];
	g->id = id;
	g->ns = ns;
	g->names = *names;
	g->verbs = verbs;
	g->binding = binding;
	g->loc = loc;
}

/* The secrets under one key (a namespace, a name), in model order. */
struct secret_list {
	tm_node **n;
	size_t count, cap;
};

static void index_add(tm_arena *a, tm_hmap *idx, const char *key, tm_node *s)
{
	struct secret_list *l = tm_hmap_get(idx, key, strlen(key));
	if (!l) {
		l = tm_arena_alloc(a, sizeof(*l));
		if (!l || tm_hmap_put(idx, key, strlen(key), l)) {
			tm_arena_set_failed(a);
			return;
		}
		memset(l, 0, sizeof(*l));
	}
	if (l->count == l->cap) { /* in the arena: doubled, the old array left behind */
		size_t cap = l->cap ? 2 * l->cap : 4;
		tm_node **grown = tm_arena_alloc(a, cap * sizeof(*grown));
		if (!grown) {
			tm_arena_set_failed(a);
			return;
		}
		if (l->count)
			memcpy(grown, l->n, l->count * sizeof(*grown));
		l->n = grown;
		l->cap = cap;
	}
	l->n[l->count++] = s;
}

static void reads(tm_ingest_ctx *ctx, const struct tm_k8s_secret_grant *g, tm_node *s)
{
	if (s == g->id)
		return;
	tm_edge *e = tm_mb_edge(ctx->mb, g->id, s, TM_EDGE_READS, g->loc);
	if (!e)
		return;
	static const char *const verbs[] = {"get", "list", "watch"};
	for (size_t v = 0; v < TM_ARRAY_LEN(verbs); v++)
		if (strstr(g->verbs, verbs[v]))
			tm_mb_edge_list_add(ctx->mb, e, "verbs", verbs[v]);
	tm_mb_edge_list_add(ctx->mb, e, "via", g->binding);
	tm_mb_node_fact(ctx->mb, s, "readers", tm_node_id(g->id), g->loc);
}

static void expand_list(tm_ingest_ctx *ctx, const struct tm_k8s_secret_grant *g, const struct secret_list *l,
			const char *ns)
{
	for (size_t i = 0; l && i < l->count; i++) {
		const char *sns = tm_node_attr_str(l->n[i], "namespace");
		if (!ns || (sns && strcmp(sns, ns) == 0))
			reads(ctx, g, l->n[i]);
	}
}

void tm_k8s__secret_readers(tm_ingest_ctx *ctx, struct tm_k8s *k)
{
	if (!k->nsgrants)
		return;
	const tm_model *m = tm_mb_model(ctx->mb);
	tm_hmap by_ns = TM_HMAP_INIT, by_name = TM_HMAP_INIT;
	struct secret_list all = {NULL, 0, 0};
	size_t nn = tm_model_node_count(m);
	for (size_t i = 0; i < nn; i++) {
		const tm_node *cn = tm_model_node(m, i);
		const char *store = tm_node_attr_str(cn, "store");
		const char *ns = tm_node_attr_str(cn, "namespace");
		if (tm_node_kind_of(cn) != TM_NODE_SECRET || !ns || !store || strcmp(store, "configmap") == 0 ||
		    strncmp(tm_node_id(cn), "secret:k8s:", 11) != 0)
			continue; /* a ConfigMap's credential is read through configmaps, not secrets */
		tm_node *s = tm_mb_find(ctx->mb, tm_node_id(cn));
		index_add(k->arena, &by_ns, ns, s);
		index_add(k->arena, &by_name, tm_node_name(s), s);
		if (TM_GROW(all.n, all.cap, all.count + 1)) {
			tm_arena_set_failed(k->arena);
			break;
		}
		all.n[all.count++] = s;
	}
	for (size_t i = 0; i < k->nsgrants; i++) {
		const struct tm_k8s_secret_grant *g = &k->sgrants[i];
		if (g->names.n) {
			for (size_t n = 0; n < g->names.n; n++)
				expand_list(ctx, g, tm_hmap_get(&by_name, g->names.items[n], strlen(g->names.items[n])),
					    g->ns);
		} else if (g->ns) {
			expand_list(ctx, g, tm_hmap_get(&by_ns, g->ns, strlen(g->ns)), NULL);
		} else {
			expand_list(ctx, g, &all, NULL);
		}
	}
	tm_free(all.n);
	tm_hmap_dispose(&by_ns);
	tm_hmap_dispose(&by_name);
}
