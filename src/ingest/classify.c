/*
 * classify.c - what a field or parameter name suggests, for the rules that need it.
 *
 * One table; docs/classification.md explains each entry and tests pin them.
 * Matching is on the normalised name (lowercase; '_', '-', '.' removed):
 * TM_EXACT entries match the whole name, TM_SUFFIX ones its end (userId, order_id), TM_PREFIX ones
 * its start (number_of_repeats).
 */
#include <ctype.h>
#include <pthread.h>

#include "ingest.h"

enum { TM_EXACT, TM_SUFFIX, TM_PREFIX };

/* E() records each word's length at compile time: this table is consulted for every field. */
#define E(word, how, class) {word, sizeof(word) - 1, how, class}
static const struct {
	const char *word;
	size_t len;
	int how;
	unsigned class;
} table[] = {
	/* privileged when the client can write them */
	E("role", TM_EXACT, TM_CLASS_PRIVILEGED),        E("roles", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("isadmin", TM_EXACT, TM_CLASS_PRIVILEGED),     E("admin", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("issuperuser", TM_EXACT, TM_CLASS_PRIVILEGED), E("superuser", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("permissions", TM_EXACT, TM_CLASS_PRIVILEGED), E("permission", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("scopes", TM_EXACT, TM_CLASS_PRIVILEGED),      E("groups", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("owner", TM_EXACT, TM_CLASS_PRIVILEGED),       E("ownerid", TM_EXACT, TM_CLASS_PRIVILEGED | TM_CLASS_OBJECT_ID),
	E("tenant", TM_EXACT, TM_CLASS_PRIVILEGED),      E("tenantid", TM_EXACT, TM_CLASS_PRIVILEGED | TM_CLASS_OBJECT_ID),
	E("accountid", TM_EXACT, TM_CLASS_PRIVILEGED | TM_CLASS_OBJECT_ID),
	E("balance", TM_EXACT, TM_CLASS_PRIVILEGED),     E("credit", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("credits", TM_EXACT, TM_CLASS_PRIVILEGED),     E("price", TM_EXACT, TM_CLASS_PRIVILEGED | TM_CLASS_QUANTITY),
	E("unitprice", TM_EXACT, TM_CLASS_PRIVILEGED | TM_CLASS_QUANTITY),
	E("discount", TM_EXACT, TM_CLASS_PRIVILEGED),    E("status", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("state", TM_EXACT, TM_CLASS_PRIVILEGED),       E("approved", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("isapproved", TM_EXACT, TM_CLASS_PRIVILEGED),  E("verified", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("isverified", TM_EXACT, TM_CLASS_PRIVILEGED),  E("emailverified", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("plan", TM_EXACT, TM_CLASS_PRIVILEGED),        E("tier", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("accounttype", TM_EXACT, TM_CLASS_PRIVILEGED), E("usertype", TM_EXACT, TM_CLASS_PRIVILEGED),
	E("paid", TM_EXACT, TM_CLASS_PRIVILEGED),        E("ispaid", TM_EXACT, TM_CLASS_PRIVILEGED),
	/* sensitive when the server returns them */
	E("password", TM_SUFFIX, TM_CLASS_SENSITIVE),    E("passwordhash", TM_EXACT, TM_CLASS_SENSITIVE),
	E("passwd", TM_SUFFIX, TM_CLASS_SENSITIVE),      E("secret", TM_SUFFIX, TM_CLASS_SENSITIVE),
	E("token", TM_SUFFIX, TM_CLASS_SENSITIVE),       E("apikey", TM_SUFFIX, TM_CLASS_SENSITIVE),
	E("privatekey", TM_SUFFIX, TM_CLASS_SENSITIVE),  E("ssn", TM_EXACT, TM_CLASS_SENSITIVE),
	E("socialsecuritynumber", TM_EXACT, TM_CLASS_SENSITIVE),
	E("cardnumber", TM_SUFFIX, TM_CLASS_SENSITIVE),  E("pan", TM_EXACT, TM_CLASS_SENSITIVE),
	E("cvv", TM_EXACT, TM_CLASS_SENSITIVE),          E("cvc", TM_EXACT, TM_CLASS_SENSITIVE),
	E("iban", TM_EXACT, TM_CLASS_SENSITIVE),         E("accountnumber", TM_EXACT, TM_CLASS_SENSITIVE),
	E("email", TM_SUFFIX, TM_CLASS_SENSITIVE),       E("phone", TM_SUFFIX, TM_CLASS_SENSITIVE),
	E("phonenumber", TM_SUFFIX, TM_CLASS_SENSITIVE), E("address", TM_SUFFIX, TM_CLASS_SENSITIVE),
	E("location", TM_EXACT, TM_CLASS_SENSITIVE),     E("latitude", TM_EXACT, TM_CLASS_SENSITIVE),
	E("longitude", TM_EXACT, TM_CLASS_SENSITIVE),    E("dateofbirth", TM_EXACT, TM_CLASS_SENSITIVE),
	E("dob", TM_EXACT, TM_CLASS_SENSITIVE),          E("birthdate", TM_EXACT, TM_CLASS_SENSITIVE),
	E("taxid", TM_EXACT, TM_CLASS_SENSITIVE),        E("passport", TM_SUFFIX, TM_CLASS_SENSITIVE),
	/* URL-valued */
	E("url", TM_SUFFIX, TM_CLASS_URL),               E("uri", TM_SUFFIX, TM_CLASS_URL),
	E("callback", TM_SUFFIX, TM_CLASS_URL),          E("webhook", TM_SUFFIX, TM_CLASS_URL),
	E("redirect", TM_SUFFIX, TM_CLASS_URL),          E("redirectto", TM_EXACT, TM_CLASS_URL),
	E("href", TM_EXACT, TM_CLASS_URL),               E("endpoint", TM_EXACT, TM_CLASS_URL),
	/* object identifiers */
	E("id", TM_SUFFIX, TM_CLASS_OBJECT_ID),          E("uuid", TM_SUFFIX, TM_CLASS_OBJECT_ID),
	E("guid", TM_SUFFIX, TM_CLASS_OBJECT_ID),        E("username", TM_EXACT, TM_CLASS_OBJECT_ID),
	E("accountnumber", TM_EXACT, TM_CLASS_OBJECT_ID), E("accountno", TM_EXACT, TM_CLASS_OBJECT_ID),
	/* identity claimed in a header */
	E("xuserid", TM_EXACT, TM_CLASS_IDENTITY_HEADER),      E("xuser", TM_EXACT, TM_CLASS_IDENTITY_HEADER),
	E("xuseremail", TM_EXACT, TM_CLASS_IDENTITY_HEADER),   E("xuserrole", TM_EXACT, TM_CLASS_IDENTITY_HEADER),
	E("xaccountid", TM_EXACT, TM_CLASS_IDENTITY_HEADER),   E("xtenantid", TM_EXACT, TM_CLASS_IDENTITY_HEADER),
	E("xcustomerid", TM_EXACT, TM_CLASS_IDENTITY_HEADER),  E("xclientid", TM_EXACT, TM_CLASS_IDENTITY_HEADER),
	E("xforwardeduser", TM_EXACT, TM_CLASS_IDENTITY_HEADER), E("xremoteuser", TM_EXACT, TM_CLASS_IDENTITY_HEADER),
	E("xauthuser", TM_EXACT, TM_CLASS_IDENTITY_HEADER),    E("xauthenticateduser", TM_EXACT, TM_CLASS_IDENTITY_HEADER),
	E("remoteuser", TM_EXACT, TM_CLASS_IDENTITY_HEADER),   E("xorgid", TM_EXACT, TM_CLASS_IDENTITY_HEADER),
	/* pagination */
	E("limit", TM_EXACT, TM_CLASS_PAGINATION),       E("pagesize", TM_EXACT, TM_CLASS_PAGINATION),
	E("perpage", TM_EXACT, TM_CLASS_PAGINATION),     E("size", TM_EXACT, TM_CLASS_PAGINATION),
	E("count", TM_EXACT, TM_CLASS_PAGINATION),       E("top", TM_EXACT, TM_CLASS_PAGINATION),
	E("maxresults", TM_EXACT, TM_CLASS_PAGINATION),  E("first", TM_EXACT, TM_CLASS_PAGINATION),
	E("last", TM_EXACT, TM_CLASS_PAGINATION),        E("maxitems", TM_EXACT, TM_CLASS_PAGINATION),
	/* replay protection */
	E("idempotencykey", TM_EXACT, TM_CLASS_IDEMPOTENCY), E("xidempotencykey", TM_EXACT, TM_CLASS_IDEMPOTENCY),
	E("xrequestid", TM_EXACT, TM_CLASS_IDEMPOTENCY),
	/* credentials when a value is written next to them (env vars, ConfigMaps, settings) */
	E("password", TM_SUFFIX, TM_CLASS_CREDENTIAL),   E("passwd", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("pwd", TM_SUFFIX, TM_CLASS_CREDENTIAL),        E("secret", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("token", TM_SUFFIX, TM_CLASS_CREDENTIAL),      E("apikey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("privatekey", TM_SUFFIX, TM_CLASS_CREDENTIAL), E("accesskey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("secretkey", TM_SUFFIX, TM_CLASS_CREDENTIAL),  E("secretaccesskey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("credentials", TM_SUFFIX, TM_CLASS_CREDENTIAL), E("clientsecret", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("connectionstring", TM_SUFFIX, TM_CLASS_CREDENTIAL), E("secretkeybase", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	/* keys that decrypt or sign: N8N_ENCRYPTION_KEY decrypts every stored credential */
	E("encryptionkey", TM_SUFFIX, TM_CLASS_CREDENTIAL), E("signingkey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("masterkey", TM_SUFFIX, TM_CLASS_CREDENTIAL),  E("hmackey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	/* Airflow's Fernet key (FERNET_KEY, AIRFLOW__CORE__FERNET_KEY) decrypts every stored connection's
	 * password; ENCRYPT_KEY is ENCRYPTION_KEY's shorter spelling; JWT_KEY signs tokens; Laravel's
	 * APP_KEY encrypts and signs its cookies and sessions (not PUSHER_APP_KEY: exact) */
	E("fernetkey", TM_SUFFIX, TM_CLASS_CREDENTIAL),  E("encryptkey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("jwtkey", TM_SUFFIX, TM_CLASS_CREDENTIAL),     E("appkey", TM_EXACT, TM_CLASS_CREDENTIAL),
	/* the platforms' own keys and salts: WordPress's eight (AUTH_KEY ... NONCE_SALT, also as the
	 * image's WORDPRESS_AUTH_KEY), Strapi's APP_KEYS, API_TOKEN_SALT and TRANSFER_TOKEN_SALT, Drupal's
	 * HASH_SALT, Mastodon's ACTIVE_RECORD_ENCRYPTION_* keys and salt (a salt of digits is a hash's
	 * cost, BCRYPT_SALT=10: k8s.c) */
	E("authkey", TM_EXACT, TM_CLASS_CREDENTIAL),     E("wordpressauthkey", TM_EXACT, TM_CLASS_CREDENTIAL),
	E("wpauthkey", TM_EXACT, TM_CLASS_CREDENTIAL),   E("secureauthkey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("loggedinkey", TM_SUFFIX, TM_CLASS_CREDENTIAL), E("noncekey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("salt", TM_SUFFIX, TM_CLASS_CREDENTIAL),       E("appkeys", TM_EXACT, TM_CLASS_CREDENTIAL),
	E("encryptionprimarykey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	E("encryptiondeterministickey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	/* a storage account's shared key (AZUREBLOB_ACCOUNT_KEY, STORAGE_ACCOUNT_KEY) */
	E("accountkey", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	/* lists of keys a server accepts (Weaviate's AUTHENTICATION_APIKEY_ALLOWED_KEYS) */
	E("apikeys", TM_SUFFIX, TM_CLASS_CREDENTIAL),   E("allowedkeys", TM_SUFFIX, TM_CLASS_CREDENTIAL),
	/* quantities and amounts */
	E("quantity", TM_SUFFIX, TM_CLASS_QUANTITY),     E("qty", TM_SUFFIX, TM_CLASS_QUANTITY),
	E("amount", TM_SUFFIX, TM_CLASS_QUANTITY),       E("total", TM_EXACT, TM_CLASS_QUANTITY),
	/* counts that make the server do work again and again */
	E("repeat", TM_EXACT, TM_CLASS_REPEAT),          E("repeats", TM_SUFFIX, TM_CLASS_REPEAT),
	E("repeatcount", TM_SUFFIX, TM_CLASS_REPEAT),    E("retries", TM_SUFFIX, TM_CLASS_REPEAT),
	E("retrycount", TM_SUFFIX, TM_CLASS_REPEAT),     E("iterations", TM_SUFFIX, TM_CLASS_REPEAT),
	E("attempts", TM_SUFFIX, TM_CLASS_REPEAT),       E("times", TM_EXACT, TM_CLASS_REPEAT),
	E("copies", TM_EXACT, TM_CLASS_REPEAT),          E("concurrency", TM_EXACT, TM_CLASS_REPEAT),
	E("parallelism", TM_EXACT, TM_CLASS_REPEAT),     E("threads", TM_EXACT, TM_CLASS_REPEAT),
	E("workers", TM_EXACT, TM_CLASS_REPEAT),         E("batchsize", TM_SUFFIX, TM_CLASS_REPEAT),
	E("numberof", TM_PREFIX, TM_CLASS_REPEAT),       E("numof", TM_PREFIX, TM_CLASS_REPEAT),
};

/* The entries by the last letter of their word, which an exact or suffix match shares with the
 * name (every word has one): a name is checked against the few of its bucket and the prefixes,
 * not the whole table. Built once, at the first question, by whichever thread asks. */
static struct {
	uint16_t start[257]; /* bucket c: at[start[c]] .. at[start[c + 1]] */
	uint16_t at[TM_ARRAY_LEN(table)];
	uint16_t prefix[TM_ARRAY_LEN(table)];
	size_t nprefix;
} idx;
static pthread_once_t idx_once = PTHREAD_ONCE_INIT;

static void idx_build(void)
{
	uint16_t fill[257] = {0};
	for (size_t i = 0; i < TM_ARRAY_LEN(table); i++)
		if (table[i].how == TM_PREFIX)
			idx.prefix[idx.nprefix++] = (uint16_t)i;
		else
			idx.start[(unsigned char)table[i].word[table[i].len - 1] + 1]++;
	for (size_t c = 1; c < 257; c++)
		idx.start[c] = (uint16_t)(idx.start[c] + idx.start[c - 1]);
	for (size_t i = 0; i < TM_ARRAY_LEN(table); i++)
		if (table[i].how != TM_PREFIX) {
			unsigned c = (unsigned char)table[i].word[table[i].len - 1];
			idx.at[idx.start[c] + fill[c]++] = (uint16_t)i;
		}
}

static size_t normalise(const char *name, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = name; *p && n + 1 < cap; p++) {
		if (*p == '_' || *p == '-' || *p == '.')
			continue;
		out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
	return n;
}

/* Does table entry i match the normalised name norm (n bytes)? */
static inline bool entry_matches(size_t i, const char *norm, size_t n)
{
	size_t wl = table[i].len;
	return table[i].how == TM_EXACT    ? n == wl && memcmp(norm, table[i].word, wl) == 0
	       : table[i].how == TM_PREFIX ? n > wl && memcmp(norm, table[i].word, wl) == 0
					   : n >= wl && memcmp(norm + n - wl, table[i].word, wl) == 0;
}

/* c without TM_CLASS_OBJECT_ID where the id it took is only the end of a word: "paid"/"valid" end
 * in "id" but name no object; an id suffix needs a word before it written apart (user_id,
 * userId) or the whole name "id". */
static unsigned id_apart(const char *name, const char *norm, size_t n, unsigned c)
{
	if ((c & TM_CLASS_OBJECT_ID) && n > 2 && memcmp(norm + n - 2, "id", 2) == 0) {
		size_t raw = strlen(name);
		bool marked = raw >= 3 && (name[raw - 3] == '_' || name[raw - 3] == '-' ||
					   (name[raw - 2] == 'I' && islower((unsigned char)name[raw - 3])));
		bool upper = raw >= 2 && name[raw - 2] == 'I' && name[raw - 1] == 'D';
		if (!marked && !upper && !(n == 4 && memcmp(norm, "uuid", 4) == 0) &&
		    !(n >= 4 && memcmp(norm + n - 4, "guid", 4) == 0))
			c &= ~(unsigned)TM_CLASS_OBJECT_ID;
	}
	return c;
}

unsigned tm_classify_name(const char *name)
{
	char norm[128];
	if (!name)
		return 0;
	size_t n = normalise(name, norm, sizeof(norm));
	unsigned c = 0;
	if (!n)
		return 0;
	pthread_once(&idx_once, idx_build);
	unsigned last = (unsigned char)norm[n - 1];
	for (size_t k = idx.start[last]; k < idx.start[last + 1]; k++)
		if (entry_matches(idx.at[k], norm, n))
			c |= table[idx.at[k]].class;
	for (size_t k = 0; k < idx.nprefix; k++)
		if (entry_matches(idx.prefix[k], norm, n))
			c |= table[idx.prefix[k]].class;
	return id_apart(name, norm, n, c);
}

unsigned tm_classify__linear(const char *name)
{
	char norm[128];
	if (!name)
		return 0;
	size_t n = normalise(name, norm, sizeof(norm));
	unsigned c = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(table); i++)
		if (entry_matches(i, norm, n))
			c |= table[i].class;
	return id_apart(name, norm, n, c);
}

const char *tm_classify__word(size_t i)
{
	return i < TM_ARRAY_LEN(table) ? table[i].word : NULL;
}

unsigned tm_classify_example(const char *example)
{
	/* a field whose documented value is an absolute http(s) URL takes one, whatever its name
	 * (mechanic_api: "http://...") */
	if (example && (strncmp(example, "http://", 7) == 0 || strncmp(example, "https://", 8) == 0))
		return TM_CLASS_URL;
	return 0;
}

unsigned tm_classify_format(const char *oas_format)
{
	if (oas_format && (strcmp(oas_format, "uri") == 0 || strcmp(oas_format, "url") == 0 ||
		       strcmp(oas_format, "uri-reference") == 0 || strcmp(oas_format, "iri") == 0))
		return TM_CLASS_URL;
	return 0;
}
