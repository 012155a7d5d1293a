/*
 * signing.c - values that sign or are tokens: what a published example's value hands whoever reads it.
 *
 * An example environment file (.env.example) is the same in every copy of a repository. Most of its
 * values are no one's secret (a password placeholder the deployment replaces), but a deployment that
 * keeps a signing secret of it (JWT_SECRET, SECRET_KEY, SECRET_KEY_BASE) accepts the tokens and
 * sessions anyone can sign with it, and one that keeps a token of it (Supabase's SERVICE_ROLE_KEY, a
 * JWT) is called as that token's role by anyone. tm_ingest__signing_value says which, by the names a
 * value is given (the variable the service reads, the example's own) and by the value: a JSON Web
 * Token is decoded (its header and payload, base64url, the first bytes only) and its payload read by
 * the project's JSON parser under tight limits, for the role and issuer it claims. A token of an
 * anonymous role (Supabase's ANON_KEY: role anon) is meant for every browser and is none of this.
 *
 * A file a deployed service takes (a committed env_file, a pod's env) hands the same to whoever reads
 * the repository when it leaves a signing secret at a value everyone knows (SECRET_KEY=changeme):
 * tm_ingest__signing_known says so by the same names and the one list of known passwords and
 * placeholders (tm_stores__known_password).
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "ingest.h"
#include "k8s.h"

enum { NORM_MAX = 96, JWT_SEGMENT_MAX = 2048, JWT_JSON_MAX = 1536 };

/* name lowercased without '_', '-' and '.' into out (cap bytes); false when it does not fit. */
static bool normalised(const char *name, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = name; p && *p; p++) {
		if (*p == '_' || *p == '-' || *p == '.')
			continue;
		if (n + 1 >= cap)
			return false;
		out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
	return n > 0;
}

static bool ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The platforms' own keys and salts, by their whole normalised name (a WordPress key also with the
 * image's WORDPRESS_ or a WP_ prefix): what each does. */
static const char *platform_key(const char *n)
{
	static const struct {
		const char *name, *what;
	} keys[] = {
		/* wp-config.php's eight: the login cookies' and the nonces' HMAC keys and salts */
		{"authkey", "signs WordPress's login cookies and nonces"},
		{"secureauthkey", "signs WordPress's login cookies and nonces"},
		{"loggedinkey", "signs WordPress's login cookies and nonces"},
		{"noncekey", "signs WordPress's login cookies and nonces"},
		{"authsalt", "signs WordPress's login cookies and nonces"},
		{"secureauthsalt", "signs WordPress's login cookies and nonces"},
		{"loggedinsalt", "signs WordPress's login cookies and nonces"},
		{"noncesalt", "signs WordPress's login cookies and nonces"},
		/* Strapi's session keys (a list, comma-separated) */
		{"appkeys", "signs sessions and cookies"},
		/* Rails' key to config/credentials.yml.enc, which holds its secret_key_base */
		{"railsmasterkey", "decrypts the application's encrypted credentials, its secret_key_base among them"},
		/* Mastodon's two-factor secrets' key (before 4.3) */
		{"otpsecret", "encrypts two-factor secrets"},
	};
	const char *bare = strncmp(n, "wordpress", 9) == 0 ? n + 9 : strncmp(n, "wp", 2) == 0 ? n + 2 : NULL;
	for (size_t i = 0; i < TM_ARRAY_LEN(keys); i++)
		if (strcmp(n, keys[i].name) == 0 || (i < 8 && bare && strcmp(bare, keys[i].name) == 0))
			return keys[i].what;
	return NULL;
}

/* What a secret under name signs, or NULL when its name says no signing secret. */
static const char *signing_name(const char *name)
{
	char n[NORM_MAX];
	if (!normalised(name, n, sizeof(n)))
		return NULL;
	if (strstr(n, "jwtsecret") || ends(n, "jwtkey") || ends(n, "jwtsigningkey"))
		return "signs JSON Web Tokens";
	if (ends(n, "secretkeybase"))
		return "signs sessions and cookies";
	if (strcmp(n, "appkey") == 0) /* Laravel's */
		return "encrypts and signs sessions and cookies";
	const char *platform = platform_key(n);
	if (platform)
		return platform;
	/* Mastodon's (Rails') Active Record encryption keys; an application's ENCRYPTION_KEY (n8n's
	 * decrypts every stored credential), Airflow's FERNET_KEY */
	if (ends(n, "encryptionprimarykey") || ends(n, "encryptiondeterministickey") || ends(n, "encryptionkey") ||
	    ends(n, "encryptkey") || ends(n, "fernetkey"))
		return "encrypts what it stores";
	/* a salt mixed into what it signs or hashes: Drupal's HASH_SALT (one-time login links, form
	 * tokens), Strapi's API_TOKEN_SALT and TRANSFER_TOKEN_SALT, Rails' KEY_DERIVATION_SALT */
	if (ends(n, "salt"))
		return "salts what it signs or hashes";
	static const char *const signers[] = {"signingkey", "signingsecret", "sessionsecret", "cookiesecret",
					      "tokensecret", "authsecret", "hmacsecret", "hmackey"};
	for (size_t i = 0; i < TM_ARRAY_LEN(signers); i++)
		if (ends(n, signers[i]))
			return "signs tokens, sessions or cookies";
	/* SECRET_KEY (Django, Flask, Airflow's webserver, Superset); not an object store's or a cloud's
	 * access secret (MINIO_SECRET_KEY, S3_SECRET_KEY, AWS_SECRET_ACCESS_KEY): a password, not a signer */
	static const char *const stores[] = {"aws", "minio", "s3", "access", "storage", "bucket", "spaces", "r2"};
	if (!ends(n, "secretkey"))
		return NULL;
	for (size_t i = 0; i < TM_ARRAY_LEN(stores); i++)
		if (strstr(n, stores[i]))
			return NULL;
	return "signs sessions, cookies or tokens";
}

/* A salt of digits is a hash's cost (BCRYPT_SALT=10, SALT=12), not a secret. */
static bool cost_salt(const char *name, const char *value)
{
	char n[NORM_MAX];
	return normalised(name, n, sizeof(n)) && ends(n, "salt") && value[strspn(value, "0123456789")] == '\0';
}

/* Is v a value a deployment could run with as it stands: written out, not a template, a
 * reference, angle brackets or a run of x's (placeholder words count: a deployment keeps those too)? */
static bool kept_value(const char *v)
{
	size_t len = v ? strlen(v) : 0;
	if (len < 8 || v[0] == '/' || strncmp(v, "./", 2) == 0 || (v[0] == '<' && v[len - 1] == '>'))
		return false;
	if (strstr(v, "${") || strstr(v, "{{") || strstr(v, "$("))
		return false;
	size_t x = strspn(v, "xX*.");
	return x < len;
}

static bool b64url_segment(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '=')
			return false;
	return n > 0;
}

/* The JSON object a JWT segment decodes to, parsed (tm_file_free it); NULL when it is none. */
static tm_file *jwt_json(const char *seg, size_t n)
{
	char buf[JWT_JSON_MAX + 4];
	if (n > JWT_SEGMENT_MAX || !tm_k8s__b64_prefix(seg, n, buf, sizeof(buf)))
		return NULL;
	size_t len = strlen(buf);
	while (len && isspace((unsigned char)buf[len - 1]))
		len--;
	const char *b = buf + strspn(buf, " \t\r\n");
	if (*b != '{' || !len || buf[len - 1] != '}')
		return NULL;
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_file_bytes = JWT_JSON_MAX;
	lim.max_depth = 8;
	lim.max_nodes = 256;
	lim.max_documents = 1;
	tm_diag_list quiet;
	tm_diag_list_init(&quiet);
	tm_file *f = NULL;
	if (tm_file_parse(&f, "jwt", b, (size_t)(buf + len - b), &lim, &quiet) != 0)
		f = NULL;
	tm_diag_list_dispose(&quiet);
	if (f && (tm_file_doc_count(f) != 1 || tm_value_kind_of(tm_file_doc(f, 0)) != TM_VALUE_MAP)) {
		tm_file_free(f);
		f = NULL;
	}
	return f;
}

/* A claim of the payload as a short printable word ("service_role"), into out; false if absent. */
static bool claim(const tm_file *f, const char *key, char *out, size_t cap)
{
	const char *v = tm_map_get_str(tm_file_doc(f, 0), key);
	size_t n = v ? strlen(v) : 0;
	if (!n || n >= cap)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)v[i]))
			return false;
	memcpy(out, v, n + 1);
	return true;
}

/* A JSON Web Token (header.payload.signature, a header with "alg"): what it claims, into out;
 * 0 when v is none, -1 when it is one of an anonymous role (public by design). */
static int jwt(const char *v, char *out, size_t cap)
{
	const char *d1 = strchr(v, '.');
	const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (!d1 || !d2 || strchr(d2 + 1, '.') || strncmp(v, "eyJ", 3) != 0 || !b64url_segment(v, (size_t)(d1 - v)) ||
	    !b64url_segment(d1 + 1, (size_t)(d2 - d1 - 1)) || !b64url_segment(d2 + 1, strlen(d2 + 1)))
		return 0;
	tm_file *h = jwt_json(v, (size_t)(d1 - v));
	bool alg = h && tm_map_get(tm_file_doc(h, 0), "alg");
	tm_file_free(h);
	if (!alg)
		return 0;
	tm_file *p = jwt_json(d1 + 1, (size_t)(d2 - d1 - 1));
	char role[64] = "", iss[64] = "";
	if (p) {
		claim(p, "role", role, sizeof(role));
		claim(p, "iss", iss, sizeof(iss));
		tm_file_free(p);
	}
	static const char *const anonymous[] = {"anon", "anonymous", "public", "guest", "web_anon"};
	for (size_t i = 0; i < TM_ARRAY_LEN(anonymous); i++)
		if (strcasecmp(role, anonymous[i]) == 0)
			return -1;
	if (*role)
		tm_formatf(out, cap, "a JSON Web Token of role %s%s%s", role, *iss ? ", issuer " : "", iss);
	else
		tm_formatf(out, cap, "a JSON Web Token%s%s", *iss ? " of issuer " : "", iss);
	return 1;
}

const char *tm_ingest__signing_value(tm_arena *a, const char *name, const char *var, const char *value)
{
	if (!kept_value(value))
		return NULL;
	char token[160];
	int t = jwt(value, token, sizeof(token));
	if (t < 0)
		return NULL;
	if (t > 0)
		return tm_arena_strdup(a, token);
	const char *what = signing_name(name);
	if (!what && var)
		what = signing_name(var);
	return what && !cost_salt(var && !signing_name(name) ? var : name, value) ? what : NULL;
}

const char *tm_ingest__signing_known(const char *name, const char *value)
{
	const char *what = value ? signing_name(name) : NULL;
	/* a password on the list that is no placeholder (secret, admin) is a literal credential already:
	 * TM-SEC-001 reports it, once */
	if (!what || !tm_stores__known_password(value) || cost_salt(name, value) || tm_k8s__literal_credential(name, value))
		return NULL;
	/* angle brackets and runs of x's are no value a deployment runs with (kept_value): a template
	 * engine's or a person's mark for one to fill in (Zerops' <@generateRandomString(<64>)>) */
	size_t len = strlen(value);
	if ((value[0] == '<' && value[len - 1] == '>') || strspn(value, "xX*.") == len)
		return NULL;
	return what;
}
