/* test_classify.c - the classification table: what names mean, pinned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/ingest.h"
#include "ingest/k8s.h"

static void names_table(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		unsigned has, lacks;
	} cases[] = {
		{"role", TM_CLASS_PRIVILEGED, TM_CLASS_SENSITIVE},
		{"isAdmin", TM_CLASS_PRIVILEGED, 0},
		{"is_admin", TM_CLASS_PRIVILEGED, 0},
		{"IS-ADMIN", TM_CLASS_PRIVILEGED, 0},
		{"tenantId", TM_CLASS_PRIVILEGED | TM_CLASS_OBJECT_ID, 0},
		{"price", TM_CLASS_PRIVILEGED | TM_CLASS_QUANTITY, 0},
		{"status", TM_CLASS_PRIVILEGED, 0},
		{"approved", TM_CLASS_PRIVILEGED, 0},
		{"passwordHash", TM_CLASS_SENSITIVE, TM_CLASS_PRIVILEGED},
		{"newPassword", TM_CLASS_SENSITIVE, 0},
		{"access_token", TM_CLASS_SENSITIVE, 0},
		{"apiKey", TM_CLASS_SENSITIVE, 0},
		{"ssn", TM_CLASS_SENSITIVE, 0},
		{"cardNumber", TM_CLASS_SENSITIVE, 0},
		{"cvv", TM_CLASS_SENSITIVE, 0},
		{"billingAddress", TM_CLASS_SENSITIVE, 0},
		{"email", TM_CLASS_SENSITIVE, 0},
		{"callbackUrl", TM_CLASS_URL, 0},
		{"webhook_uri", TM_CLASS_URL, 0},
		{"redirect", TM_CLASS_URL, 0},
		{"id", TM_CLASS_OBJECT_ID, 0},
		{"orderId", TM_CLASS_OBJECT_ID, 0},
		{"order_id", TM_CLASS_OBJECT_ID, 0},
		{"ORDERID", TM_CLASS_OBJECT_ID, 0},
		{"uuid", TM_CLASS_OBJECT_ID, 0},
		{"paid", TM_CLASS_PRIVILEGED, TM_CLASS_OBJECT_ID},
		{"valid", 0, TM_CLASS_OBJECT_ID},
		{"X-User-Id", TM_CLASS_IDENTITY_HEADER, 0},
		{"X-Forwarded-User", TM_CLASS_IDENTITY_HEADER, 0},
		{"Idempotency-Key", TM_CLASS_IDEMPOTENCY, 0},
		{"limit", TM_CLASS_PAGINATION, 0},
		{"page_size", TM_CLASS_PAGINATION, 0},
		{"quantity", TM_CLASS_QUANTITY, 0},
		{"refundAmount", TM_CLASS_QUANTITY, 0},
		{"number_of_repeats", TM_CLASS_REPEAT, 0},
		{"repeat_request_if_failed", 0, TM_CLASS_REPEAT},
		{"retryCount", TM_CLASS_REPEAT, 0},
		{"max_retries", TM_CLASS_REPEAT, 0},
		{"numberof", 0, TM_CLASS_REPEAT},
		{"timestamp", 0, TM_CLASS_REPEAT},
		{"description", 0, ~0u},
		{"name", 0, ~0u},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned c = tm_classify_name(cases[i].name);
		if ((c & cases[i].has) != cases[i].has || (c & cases[i].lacks))
			fail_msg("'%s' classified 0x%x (must have 0x%x, lack 0x%x)", cases[i].name, c,
				 cases[i].has, cases[i].lacks);
	}
	assert_int_equal(tm_classify_name(NULL), 0);
}

static void formats(void **state)
{
	(void)state;
	assert_int_equal(tm_classify_format("uri"), TM_CLASS_URL);
	assert_int_equal(tm_classify_format("url"), TM_CLASS_URL);
	assert_int_equal(tm_classify_format("uri-reference"), TM_CLASS_URL);
	assert_int_equal(tm_classify_format("email"), 0);
	assert_int_equal(tm_classify_format(NULL), 0);
}

static void examples(void **state)
{
	(void)state;
	assert_int_equal(tm_classify_example("http://localhost:8000/report"), TM_CLASS_URL);
	assert_int_equal(tm_classify_example("https://hooks.example.com/x"), TM_CLASS_URL);
	assert_int_equal(tm_classify_example("ftp://files/x"), 0);
	assert_int_equal(tm_classify_example("see http://x"), 0);
	assert_int_equal(tm_classify_example(NULL), 0);
	assert_true(tm_classify_name("username") & TM_CLASS_OBJECT_ID);
	assert_true(tm_classify_name("account_number") & TM_CLASS_OBJECT_ID);
	assert_false(tm_classify_name("page_number") & TM_CLASS_OBJECT_ID);
}

/* The index in front of the table answers as a check of every entry does, for every word of the
 * table written whole, in capitals, apart, with a word before or after it, and every pair of words
 * run together (a suffix or a prefix that is another word, exact words inside longer names). */
static void index_agrees_with_the_table(void **state)
{
	(void)state;
	static const char *const around[][2] = {{"", ""},     {"x", ""},    {"", "x"},      {"new_", ""},
						 {"", "_id"}, {"", "Id"},   {"the-", "-ID"}, {"A.", ""}};
	size_t checked = 0, classified = 0;
	char name[300];
	for (size_t i = 0; tm_classify__word(i); i++) {
		const char *w = tm_classify__word(i);
		for (size_t a = 0; a < sizeof(around) / sizeof(around[0]); a++)
			for (int upper = 0; upper < 2; upper++) {
				int n = snprintf(name, sizeof(name), "%s%s%s", around[a][0], w, around[a][1]);
				for (int k = 0; upper && k < n; k++)
					name[k] = (char)(name[k] >= 'a' && name[k] <= 'z' ? name[k] - 32 : name[k]);
				unsigned want = tm_classify__linear(name), got = tm_classify_name(name);
				if (got != want)
					fail_msg("'%s': 0x%x, the table says 0x%x", name, got, want);
				checked++;
				classified += want != 0;
			}
		for (size_t j = 0; tm_classify__word(j); j++) {
			snprintf(name, sizeof(name), "%s%s", w, tm_classify__word(j));
			unsigned want = tm_classify__linear(name), got = tm_classify_name(name);
			if (got != want)
				fail_msg("'%s': 0x%x, the table says 0x%x", name, got, want);
			checked++;
			classified += want != 0;
		}
	}
	assert_true(checked > 20000 && classified > checked / 4);
	static const char *const odd[] = {"", "_", "-.-", "x", "\xff\xfe", "id", "ID", "Id", "paid", "a_b_c_d_e_f_g"};
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		assert_int_equal(tm_classify_name(odd[i]), tm_classify__linear(odd[i]));
}

/* What is a credential written where it stands (env vars, compose, configuration files): the
 * judgement every ingester shares (tm_k8s__literal_credential over tm_ingest__not_a_value). */
static void credentials_judged(void **state)
{
	(void)state;
	/* a credential-named key with a written value */
	assert_true(tm_k8s__literal_credential("DB_PASSWORD", "s3cr3t-Value"));
	assert_true(tm_k8s__literal_credential("ClientSecret", "secret"));
	assert_true(tm_k8s__literal_credential("api_key", "pk_live_51HqLyjWDarjtT1zdp7dcXrTg"));
	/* keys made for browsers: Mapbox's public token, a bundle's setting, a map's style URL */
	assert_false(tm_k8s__literal_credential("MAPBOX_TOKEN", "pk.eyJ1IjoiZXhhbXBsZSIsImEiOiJja2V4YW1wbGUifQ.Qm7Xc2Vb8Nz4"));
	assert_false(tm_k8s__literal_credential("STRIPE_PUBLISHABLE_KEY", "pk_live_51HqLyjWDarjtT1zdp7dcXrTg"));
	assert_false(tm_k8s__literal_credential("NEXT_PUBLIC_MAPS_API_KEY", "AIzaSyB7x9Qm2Lk4Vt8Wp1Zc6Nr3Hd5Fj0Ga"));
	assert_false(tm_k8s__literal_credential("map_style_url", "https://api.maptiler.com/maps/streets/style.json?key=Rt5Yu8Io1Pa4Sd7Fg2Hj"));
	assert_true(tm_k8s__literal_credential("NEXT_PUBLIC_ADMIN_TOKEN", "Vq3Er6Ty9Ui2Op5As8Df1Gh4"));
	assert_true(tm_k8s__literal_credential("VITE_DB_PASSWORD", "Vq3Er6Ty9Ui2Op5As8Df1Gh4"));
	assert_true(tm_k8s__literal_credential("webhook_url", "https://hooks.example.com/in?token=Kx8Cv3Bn6Mq1Wz4Ea7Sd"));
	assert_true(tm_k8s__literal_credential("password", "8675309"));
	assert_true(tm_k8s__literal_credential("password", "123456")); /* weak, and what deployments keep */
	assert_true(tm_k8s__literal_credential("password", "password")); /* lowercase: a weak password */
	assert_true(tm_k8s__literal_credential("COOKIE_SECRET", "SECRET42"));
	assert_true(tm_k8s__literal_credential("COOKIE_SECRET", "ADMIN_SECRET_X"));
	/* a name whose last segment ends in PASS: written apart or not, in any case; not a word that only
	 * ends so, nor nginx's upstream directives, nor "pass" alone */
	static const char *const pass_names[] = {"DB_PASS", "SMTP_PASS", "PAPERLESS_DBPASS", "REDIS-PASS", "mail.pass",
						 "smtpPass", "DBPASS", "ldap_bindpass"};
	for (size_t i = 0; i < sizeof(pass_names) / sizeof(pass_names[0]); i++)
		assert_true(tm_k8s__literal_credential(pass_names[i], "Pl7xq2wd9Rk4"));
	static const char *const not_pass[] = {"PROXY_BYPASS", "MAP_COMPASS", "SSO_BYPASS", "TLS_PASSTHROUGH", "pass",
					       "proxy_pass", "grpc_pass", "RENDER_MULTIPASS", "SUDO_NOPASS", "Surpass"};
	for (size_t i = 0; i < sizeof(not_pass) / sizeof(not_pass[0]); i++)
		assert_false(tm_k8s__literal_credential(not_pass[i], "Pl7xq2wd9Rk4"));
	assert_false(tm_k8s__literal_credential("DB_PASS", "https://vault.example.org/db")); /* a URL, no password */
	assert_true(tm_k8s__literal_credential("DB_PASS", "replaced4Ever")); /* a word, no placeholder */
	/* placeholders, templates, generated runs, references, switches, short values */
	static const char *const not_values[] = {"changeme", "changeit", "your-client-secret", "yourWeak(!)Password",
						 "<set by the pipeline>", "xxxxxxxx", "${DB_PASSWORD}", "$(cat /run/pw)",
						 "{{ .Values.pw }}", "%s", "0123456789", "abcdef", "ENC[AES256_GCM,data:x]",
						 "/run/secrets/db", "./db.pass", "vault:secret/data/db#pw",
						 "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/pw/)",
						 "arn:aws:secretsmanager:eu-west-1:1:secret:db", "true", "Disabled", "abc", "",
						 "SECRET", "TOKEN", "CLIENT_SECRET", "API-KEY", "MY_PASSWORD", "API_TOKEN_SALT",
						 "replace-default-auth", "REPLACE_WITH_TOKEN", "replaceWithYourKey"};
	for (size_t i = 0; i < sizeof(not_values) / sizeof(not_values[0]); i++)
		assert_false(tm_k8s__literal_credential("password", not_values[i]));
	/* a value carrying a password counts whatever its key; a templated one does not */
	assert_true(tm_k8s__literal_credential("DATABASE_URL", "postgres://app:hunter22@db/app"));
	assert_true(tm_k8s__literal_credential("ConnectionString", "Server=db;User Id=sa;Password=Pass@word;"));
	assert_true(tm_k8s__literal_credential("EventBusA", "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName="
							    "Root;SharedAccessKey=Xo9wN2kLpQ7rT5vY8zA1bC3dE6fG0hJ4kM2nP5qR7sT="));
	assert_true(tm_k8s__literal_credential("Storage", "DefaultEndpointsProtocol=https;AccountName=shop;AccountKey="
							  "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy;"));
	assert_false(tm_k8s__literal_credential("EventBusA", "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=Root"));
	assert_true(tm_k8s__literal_credential("source", "root:dangerous@tcp(127.0.0.1:3306)/test"));
	assert_true(tm_k8s__literal_credential("dsn", "gorm:gorm@tcp(mysql:3306)/gorm?charset=utf8mb4"));
	assert_false(tm_k8s__literal_credential("DATABASE_URL", "postgres://app:${PGPASSWORD}@db/app"));
	assert_false(tm_k8s__literal_credential("dsn", "%s:%s@tcp(%s:3306)/user"));
	assert_false(tm_k8s__literal_credential("OrdersDb", "Host=db;Username=orders;Password=${ORDERS_PW}"));
	assert_false(tm_k8s__literal_credential("url", "postgres://db:5432/app"));
	assert_false(tm_k8s__literal_credential("email", "ops@example.com"));
	/* keys that decrypt or sign: Airflow's Fernet key, JWT_KEY, Laravel's APP_KEY (not Pusher's public
	 * PUSHER_APP_KEY) */
	static const char *const keys[] = {"FERNET_KEY", "AIRFLOW__CORE__FERNET_KEY", "GMAIL_TOKEN_FERNET_KEY", "JWT_KEY",
					   "DATA_ENCRYPT_KEY", "APP_KEY"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_true(tm_k8s__literal_credential(keys[i], "46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho="));
	assert_false(tm_k8s__literal_credential("PUSHER_APP_KEY", "46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho="));
	/* the platforms' own keys and salts (WordPress, Drupal, Strapi, Mastodon, Rails, Discourse, Ghost) */
	static const char *const platform[] = {"WORDPRESS_AUTH_KEY", "WORDPRESS_SECURE_AUTH_KEY", "WORDPRESS_LOGGED_IN_KEY",
					       "WORDPRESS_NONCE_KEY", "WORDPRESS_AUTH_SALT", "WORDPRESS_NONCE_SALT",
					       "AUTH_KEY", "NONCE_SALT", "DRUPAL_HASH_SALT", "APP_KEYS", "API_TOKEN_SALT",
					       "TRANSFER_TOKEN_SALT", "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
					       "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
					       "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT", "SECRET_KEY_BASE", "OTP_SECRET",
					       "RAILS_MASTER_KEY", "DISCOURSE_SECRET_KEY_BASE", "GHOST_SESSION_SECRET"};
	for (size_t i = 0; i < sizeof(platform) / sizeof(platform[0]); i++)
		if (!tm_k8s__literal_credential(platform[i], "Tz4Uy7Vx0Ww3Xv6Yu9Zt2As5"))
			fail_msg("%s: no credential", platform[i]);
	/* names that only contain a key or a salt, public identifiers, and a salt of digits (a cost) */
	static const char *const not_keys[] = {"CACHE_KEY_PREFIX", "AWS_ACCESS_KEY_ID", "SIGNING_KEY_ID", "PUBLIC_KEY",
					       "SALT_ROUNDS", "MEILI_NO_ANALYTICS", "OAUTH_KEY", "PUSHER_APP_KEY",
					       "PRIMARY_KEY", "KEY_PREFIX"};
	for (size_t i = 0; i < sizeof(not_keys) / sizeof(not_keys[0]); i++)
		if (tm_k8s__literal_credential(not_keys[i], "Tz4Uy7Vx0Ww3Xv6Yu9Zt2As5"))
			fail_msg("%s: taken for a credential", not_keys[i]);
	assert_false(tm_k8s__literal_credential("BCRYPT_SALT", "10"));
	assert_false(tm_k8s__literal_credential("PASSWORD_SALT", "123456789"));
	assert_true(tm_k8s__literal_credential("PASSWORD_SALT", "k3J9xq2Lm8Vb"));
	/* documentation's template of an address carries no credential; a real one beside it does */
	static const char *const templates[] = {"postgres://username:password@hostname:port/dbname",
						"postgresql://username:password@localhost:5432/dbname",
						"mysql://db_user:db_password@db_host:3306/database_name",
						"user:password@tcp(your-db-host:3306)/dbname",
						"jdbc:postgresql://hostname:5432/app?user=app&password=s3cret-Pw",
						"redis://:<password>@<host>:6379/0", "mongodb://admin:Xy7pQ2vR@mongo:PORT/admin"};
	for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
		assert_non_null(tm_ingest__template_address(templates[i]));
		assert_false(tm_k8s__literal_credential("DATABASE_URL", templates[i]));
	}
	static const char *const real[] = {"postgres://app:hunter22@db:5432/app", "postgres://user:password@postgres:5432/shop",
					   "mysql://root:Rt9x2@mysql/database", "redis://:Xq83mZp1@redis:${REDIS_PORT}/0",
					   "gorm:gorm@tcp(mysql:3306)/gorm"};
	for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		assert_null(tm_ingest__template_address(real[i]));
		assert_true(tm_k8s__literal_credential("DATABASE_URL", real[i]));
	}
	/* a PEM private key written out counts whatever its key; the shape of one does not */
	char pem[512];
	snprintf(pem, sizeof(pem), "-----BEGIN RSA PRIVATE KEY-----\n%s\n%s\n-----END RSA PRIVATE KEY-----\n",
		 "MIIEowIBAAKCAQEAvR3p5oX1cE8sKJq2mV0w9aYb7TzN4uHfLr6eGdC1iWjQkPsM",
		 "t8yZxUo3nB2vA5cD7eF9gH1iJ3kL5mN7oP9qR1sT3uV5wX7yZ9aB1cD3eF5gH7iJ");
	assert_true(tm_k8s__literal_credential("inline_string", pem));
	assert_false(tm_k8s__literal_credential("inline_string", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"));
	assert_false(tm_k8s__literal_credential("cert", "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTES\n-----END CERTIFICATE-----\n"));
}

/* What an example file's value hands whoever reads the repository (signing.c): a signing secret by
 * its names, a JWT by its claims (an anonymous one is public by design); nothing for a template. */
static void signing_values(void **state)
{
	(void)state;
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	static const char service[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjogInNlcnZpY2Vfcm9sZSIsICJpc3MiOiAic2hvcC1k"
				      "ZW1vIiwgImlhdCI6IDE3MDAwMDAwMDAsICJleHAiOiAyMDAwMDAwMDAwfQ.bm90LWEtcmVhbC1zaWduYXR1cmU";
	static const char anon[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjogImFub24iLCAiaXNzIjogInNob3AtZGVtbyIsICJp"
				   "YXQiOiAxNzAwMDAwMDAwLCAiZXhwIjogMjAwMDAwMDAwMH0.bm90LWEtcmVhbC1zaWduYXR1cmU";
	assert_string_equal(tm_ingest__signing_value(a, "SHOP_SERVICE_KEY", "SERVICE_ROLE_KEY", service),
			    "a JSON Web Token of role service_role, issuer shop-demo");
	assert_null(tm_ingest__signing_value(a, "SHOP_ANON_KEY", "ANON_KEY", anon));
	assert_string_equal(tm_ingest__signing_value(a, "PGRST_JWT_SECRET", "JWT_SECRET", "a-long-jwt-secret-of-32-chars-or-more"),
			    "signs JSON Web Tokens");
	assert_non_null(tm_ingest__signing_value(a, "X", "DJANGO_SECRET_KEY", "django-insecure-3k9x!v2m@q7w"));
	assert_non_null(tm_ingest__signing_value(a, "SECRET_KEY_BASE", NULL, "UpNVntn3cDxHJpq99YMc1T1AQgQpc8kf"));
	static const char *const not_signing[][2] = {
		{"MINIO_SECRET_KEY", "minio-secret-key-000"}, {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfi"},
		{"POSTGRES_PASSWORD", "your-super-secret-password"}, {"JWT_SECRET", ""}, {"JWT_SECRET", "<generate one>"},
		{"JWT_SECRET", "${JWT_SECRET_FROM_VAULT}"}, {"JWT_SECRET", "xxxxxxxxxxxx"}, {"JWT_SECRET", "short"},
		{"API_URL", "eyJ.not.ajwt"}};
	for (size_t i = 0; i < sizeof(not_signing) / sizeof(not_signing[0]); i++)
		assert_null(tm_ingest__signing_value(a, not_signing[i][0], NULL, not_signing[i][1]));
	/* the platforms' keys sign or encrypt too (an example's value of one is TM-SEC-007's) */
	assert_string_equal(tm_ingest__signing_value(a, "WORDPRESS_AUTH_KEY", NULL, "put your unique phrase here"),
			    "signs WordPress's login cookies and nonces");
	assert_non_null(tm_ingest__signing_value(a, "APP_KEYS", NULL, "toBeModified1,toBeModified2"));
	assert_non_null(tm_ingest__signing_value(a, "DRUPAL_HASH_SALT", NULL, "Tz4Uy7Vx0Ww3Xv6Yu9Zt2As5"));
	assert_string_equal(tm_ingest__signing_value(a, "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", NULL, "Yb2Kq9Lm4Np7Rs1Tu6Vw3Xz8"),
			    "encrypts what it stores");
	assert_null(tm_ingest__signing_value(a, "BCRYPT_SALT", NULL, "1234567890"));
	assert_null(tm_ingest__signing_value(a, "CACHE_KEY_PREFIX", NULL, "saleor-cache-prefix"));
	tm_arena_free(a);
}

/* A signing secret deployed with a value everyone knows (SECRET_KEY=changeme in the env_file a
 * service loads): what it does and which kind of value, for TM-SEC-007; nothing for a real value. */
static void signing_known_values(void **state)
{
	(void)state;
	assert_string_equal(tm_ingest__signing_known("SECRET_KEY", "changeme"), "signs sessions, cookies or tokens");
	assert_non_null(tm_ingest__signing_known("WORDPRESS_NONCE_SALT", "changeme"));
	assert_non_null(tm_ingest__signing_known("API_TOKEN_SALT", "change_me"));
	assert_non_null(tm_ingest__signing_known("SECRET_KEY_BASE", "replace_with_rails_secret"));
	assert_non_null(tm_ingest__signing_known("AIRFLOW__CORE__FERNET_KEY", "changeit"));
	/* a weak password that is no placeholder is a literal credential: TM-SEC-001's, once */
	assert_null(tm_ingest__signing_known("JWT_SECRET", "secret"));
	assert_true(tm_k8s__literal_credential("JWT_SECRET", "secret"));
	assert_null(tm_ingest__signing_known("SECRET_KEY", "k3J9xq2Lm8Vb7Zr4Tn6Wp1Ys5")); /* TM-SEC-001's */
	assert_null(tm_ingest__signing_known("POSTGRES_PASSWORD", "changeme"));        /* no signer */
	assert_null(tm_ingest__signing_known("MINIO_SECRET_KEY", "changeme"));         /* an access secret */
	assert_null(tm_ingest__signing_known("SECRET_KEY", "${SECRET_KEY}"));          /* a template */
	assert_null(tm_ingest__signing_known("SECRET_KEY", ""));
	assert_null(tm_ingest__signing_known("SECRET_KEY", NULL));
	assert_null(tm_ingest__signing_known("SECRET_KEY_BASE", "<generate with rails secret>")); /* to fill in */
	assert_null(tm_ingest__signing_known("WORDPRESS_AUTH_KEY", "XXXXXXXXXXXXXXXXXXXX"));
	assert_null(tm_ingest__signing_known("BCRYPT_SALT", "123456")); /* a cost, not a secret */
	/* the platforms' own placeholders: WordPress's sample phrase, Strapi's example's */
	assert_non_null(tm_ingest__signing_known("WORDPRESS_AUTH_KEY", "put your unique phrase here"));
	assert_non_null(tm_ingest__signing_known("APP_KEYS", "toBeModified1,toBeModified2"));
	assert_non_null(tm_ingest__signing_known("ADMIN_JWT_SECRET", "tobemodified"));
}

/* What a report may print of an address: its passwords masked, the rest as written. */
static void addresses_masked(void **state)
{
	(void)state;
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	assert_string_equal(tm_ingest__masked(a, "postgres://reports:hunter22@db/reports"), "postgres://reports:***@db/reports");
	assert_string_equal(tm_ingest__masked(a, "root:dangerous@tcp(127.0.0.1:3306)/test"), "root:***@tcp(127.0.0.1:3306)/test");
	assert_string_equal(tm_ingest__masked(a, "Server=db;User Id=sa;Password=Pass@word;Encrypt=False"),
			    "Server=db;User Id=sa;Password=***;Encrypt=False");
	assert_string_equal(tm_ingest__masked(a, "http://catalog:8080/v1"), "http://catalog:8080/v1");
	assert_string_equal(tm_ingest__masked(a, "ops@example.com"), "ops@example.com");
	tm_arena_free(a);
}

/* Configuration files are recognised by name, and only when their content is no other input. */
static void configuration_files_recognised(void **state)
{
	(void)state;
	tm_diag_list diags;
	tm_diag_list_init(&diags);
	static const char settings[] = "{\"Logging\": {\"LogLevel\": {\"Default\": \"Warning\"}}}";
	static const char schema[] = "type: object\ndescription: a connection\nproperties:\n  password: {type: string}\n";
	static const char manifest[] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n";
	static const struct {
		const char *name, *text, *detail;
	} cases[] = {
		{"appsettings.json", settings, "appsettings"},
		{"appsettings.Development.json", settings, "appsettings"},
		{"application.yml", "server: {port: 8080}\n", "spring"},
		{"application-prod.yaml", "server: {port: 8080}\n", "spring"},
		{"bootstrap.yml", "spring: {application: {name: x}}\n", "spring"},
		{"config.yaml", "server: {addr: 0.0.0.0:0}\n", "settings"},
		{"conf.yaml", "kitex: {service: cart}\n", "settings"},
		{"settings.json", settings, "settings"},
		{"database.yml", "production: {adapter: postgresql}\n", "settings"},
		{"secrets.staging.yaml", "api: {token: x}\n", "settings"},
		{"tsconfig.json", "{\"compilerOptions\": {}}", NULL},
		{"values.yaml", "image: {tag: x}\n", NULL},
		{"configuration.txt", "a: b\n", NULL},
		{"database.yml", schema, NULL},
		{"config.yaml", manifest, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tm_file *f = NULL;
		assert_int_equal(tm_file_parse(&f, cases[i].name, cases[i].text, strlen(cases[i].text), NULL, &diags), 0);
		tm_detected det;
		tm_detect(tm_file_doc(f, 0), cases[i].name, &det);
		if (cases[i].detail) {
			assert_int_equal(det.format, TM_FMT_APP_CONFIG);
			assert_string_equal(det.detail, cases[i].detail);
		} else {
			assert_int_not_equal(det.format, TM_FMT_APP_CONFIG);
		}
		tm_file_free(f);
	}
	tm_diag_list_dispose(&diags);
	/* the same names as Java .properties: text, read by tm_ingest__properties_text */
	static const struct {
		const char *name, *detail;
	} props[] = {
		{"application.properties", "spring"}, {"application-prod.properties", "spring"},
		{"bootstrap.properties", "spring"},   {"database.properties", "settings"},
		{"Config.Properties", "settings"},    {"messages.properties", NULL},
		{"gradle.properties", NULL},         {"log4j.properties", NULL},
		{"application.yml", NULL},           {"applications.properties", NULL},
	};
	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		const char *got = tm_detect__properties(props[i].name);
		if (props[i].detail)
			assert_string_equal(got, props[i].detail);
		else
			assert_null(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_table),
		cmocka_unit_test(formats),
		cmocka_unit_test(examples),
		cmocka_unit_test(index_agrees_with_the_table),
		cmocka_unit_test(credentials_judged),
		cmocka_unit_test(signing_values),
		cmocka_unit_test(signing_known_values),
		cmocka_unit_test(addresses_masked),
		cmocka_unit_test(configuration_files_recognised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
