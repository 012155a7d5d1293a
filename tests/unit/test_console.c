/* test_console.c - the operations console table (model/console.c): which images run which console,
 * which environment settings are kept, and how the table's conditions read them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/ingest.h"

static void images_table(void **state)
{
	(void)state;
	static const struct {
		const char *image, *product; /* NULL: no console */
	} cases[] = {
		{"prom/prometheus", "Prometheus"},
		{"prom/prometheus:v2.53.0", "Prometheus"},
		{"quay.io/prometheus/prometheus:v2.53.0", "Prometheus"},
		{"docker.io/bitnami/prometheus:2", "Prometheus"},
		{"prom/prometheus@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "Prometheus"},
		{"prom/node-exporter:v1.8.1", NULL},
		{"quay.io/prometheus-operator/prometheus-operator:v0.75.0", NULL},
		{"grafana/grafana:11.1.0", "Grafana"},
		{"grafana/grafana-oss", "Grafana"},
		{"grafana/loki:3.0.0", NULL},
		{"jaegertracing/all-in-one:1.57", "Jaeger"},
		{"jaegertracing/jaeger-collector:1.57", NULL},
		{"acme/all-in-one:1", NULL},
		{"openzipkin/zipkin-slim", "Zipkin"},
		{"docker.elastic.co/kibana/kibana:8.13.4", "Kibana"},
		{"provectuslabs/kafka-ui:latest", "Kafka UI"},
		{"ghcr.io/kafbat/kafka-ui", "Kafka UI"},
		{"rediscommander/redis-commander", "Redis Commander"},
		{"localhost:5000/mongo-express:1.0", "mongo-express"},
		{"library/adminer", "Adminer"},
		{"adminer:4.8.1", "Adminer"},
		{"temporalio/ui:2.26.2", "Temporal Web UI"},
		{"nodered/node-red:4.0.2", "Node-RED"},
		{"emqx/emqx:5.8.0", "EMQX dashboard"},
		{"koenkk/zigbee2mqtt:1.40.0", "Zigbee2MQTT"},
		{"eclipse-mosquitto:2.0.18", NULL},
		{"acme/ui:1", NULL},
		{"postgres:16", NULL},
		{"ollama/ollama:0.5.7", "Ollama"},
		{"vllm/vllm-openai:v0.6.4", "vLLM"},
		{"ghcr.io/berriai/litellm:main-v1.55.0", "LiteLLM proxy"},
		{"ghcr.io/open-webui/open-webui:main", "Open WebUI"},
		{"nvcr.io/nvidia/tritonserver:24.08-py3", "NVIDIA Triton"},
		{"acme/open-webui-theme:1", NULL},
		{"djfarrelly/maildev:1.1.0", "MailDev"},
		{"maildev/maildev:2.1.0", "MailDev"},
		{"datalust/seq:2024.3", "Seq"},
		{"acme/seq:1", NULL},
		{"adguard/adguardhome:v0.107.52", "AdGuard Home"},
		{"pihole/pihole:latest", "Pi-hole"},
		{"oryd/kratos:v1.3.1", "Ory Kratos admin API"},
		{"oryd/hydra:v2.2.0", "Ory Hydra admin API"},
		{"woodpeckerci/woodpecker-server:v3.4.0", "Woodpecker CI"},
		{"woodpeckerci/woodpecker-agent:v3.4.0", NULL},
		{"codeberg.org/forgejo/forgejo:9", "Forgejo"},
		{"jenkins/jenkins:lts-jdk17", "Jenkins"},
		{"quay.io/argoproj/argocli:v3.5.12", "Argo Workflows server"},
		{"", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const tm_console *k = tm_console_of_image(cases[i].image);
		if (!cases[i].product)
			assert_null(k);
		else {
			assert_non_null(k);
			assert_string_equal(k->product, cases[i].product);
		}
	}
	assert_null(tm_console_of_image(NULL));
}

/* Every key a condition names is kept, with its value where a term compares it (credentials, only
 * tested for being set, keep none: but a password compared with the image's default keeps that one
 * value). */
static void settings_kept(void **state)
{
	(void)state;
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	for (size_t i = 0; i < tm_console_count(); i++) {
		const tm_console *k = tm_console_at(i);
		const char *conds[] = {k->when, k->high_when, k->unless, k->default_login};
		for (size_t c = 0; c < 4; c++)
			for (const char *t = conds[c] && strcmp(conds[c], TM_CONSOLE_NEVER) != 0 ? conds[c] : NULL; t && *t;) {
				if (*t == '!') /* "!KEY": not set */
					t++;
				if (*t == '@') { /* "@<VERSION": the image's tag, no setting */
					t += strcspn(t, "&|");
					t += *t != '\0';
					continue;
				}
				size_t n = strcspn(t, "&|");
				char key[64];
				size_t kl = strcspn(t, "!=&|");
				assert_true(kl < sizeof(key));
				memcpy(key, t, kl);
				key[kl] = '\0';
				bool compared = kl < n;
				int kind = tm_console_env_kind(key);
				if (compared && kind == TM_CONSOLE_ENV_SET && strncmp(t + kl, "=~known", 7) == 0) {
					/* a password everyone knows: kept as it is written */
					assert_string_equal(tm_console_env_item(a, key, "admin"),
							    tm_arena_printf(a, "%s=admin", key));
				} else if (compared && kind == TM_CONSOLE_ENV_SET) { /* a known default, kept alone */
					char term[128];
					assert_true(n < sizeof(term));
					memcpy(term, t, n);
					term[n] = '\0';
					assert_string_equal(tm_console_env_item(a, key, t + kl + 1 < t + n ? term + kl + 1 : ""), term);
				} else if (compared)
					assert_int_equal(kind, TM_CONSOLE_ENV_VALUE);
				else
					assert_int_not_equal(kind, TM_CONSOLE_ENV_NONE);
				t += n + (t[n] != '\0');
			}
	}
	tm_arena_free(a);
	assert_int_equal(tm_console_env_kind("GF_SECURITY_ADMIN_PASSWORD"), TM_CONSOLE_ENV_SET);
	assert_int_equal(tm_console_env_kind("MYSQL_PASSWORD"), TM_CONSOLE_ENV_NONE);
	assert_int_equal(tm_console_env_kind("HTTP_PASSWORD"), TM_CONSOLE_ENV_SET);
	assert_int_equal(tm_console_env_kind(NULL), TM_CONSOLE_ENV_NONE);
}

/* Model servers are the table's second part; the flags they read are taken from command lines,
 * in a `sh -c` string too, a credential's value never kept. */
static void model_servers_and_flags(void **state)
{
	(void)state;
	assert_true(tm_console_model_server(tm_console_of_image("ollama/ollama")));
	assert_false(tm_console_model_server(tm_console_of_image("grafana/grafana")));
	assert_false(tm_console_model_server(NULL));
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	const char *out[8];
	size_t n = tm_console_flag_items(a, "--api-key", "s3cr3t", out, 8);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "--api-key");
	n = tm_console_flag_items(a, "vllm serve m --api-key=\"$KEY\" --port 8000", NULL, out, 8);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "--api-key");
	assert_string_equal(out[1], "--port=8000");
	n = tm_console_flag_items(a, "--model-control-mode", "explicit", out, 8);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "--model-control-mode=explicit");
	n = tm_console_flag_items(a, "tritonserver --model-control-mode='explicit' --api-key", NULL, out, 8);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "--model-control-mode=explicit");
	assert_string_equal(out[1], "--api-key");
	assert_int_equal(tm_console_flag_items(a, "--workers", "8", out, 8), 0);
	assert_int_equal(tm_console_flag_items(a, "--model-control-mode", NULL, out, 8), 0);
	assert_int_equal(tm_console_flag_items(a, "--", NULL, out, 8), 0);
	const char *env[] = {"general_settings.master_key=sk-1234", NULL};
	const tm_console *k = tm_console_of_image("berriai/litellm");
	assert_true(tm_console_holds(k->default_login, env));
	assert_true(tm_console_holds(k->unless, env));
	tm_arena_free(a);
}

static void conditions(void **state)
{
	(void)state;
	const char *anon[] = {"GF_AUTH_ANONYMOUS_ENABLED=True", "GF_AUTH_ANONYMOUS_ORG_ROLE=Editor", NULL};
	const char *off[] = {"GF_AUTH_ANONYMOUS_ENABLED=false", NULL};
	assert_true(tm_console_holds("GF_AUTH_ANONYMOUS_ENABLED=true", anon)); /* without case */
	assert_false(tm_console_holds("GF_AUTH_ANONYMOUS_ENABLED=true", off));
	assert_false(tm_console_holds("GF_AUTH_ANONYMOUS_ENABLED=true", NULL));
	assert_true(tm_console_holds("GF_AUTH_ANONYMOUS_ORG_ROLE=Admin|GF_AUTH_ANONYMOUS_ORG_ROLE=Editor", anon));
	/* AUTH_TYPE&AUTH_TYPE!=DISABLED: set, to something else than DISABLED */
	const char *login[] = {"AUTH_TYPE=LOGIN_FORM", NULL}, *disabled[] = {"AUTH_TYPE=disabled", NULL};
	const char *secret[] = {"AUTH_TYPE", NULL}; /* set from a Secret: its value is not known */
	assert_true(tm_console_holds("AUTH_TYPE&AUTH_TYPE!=DISABLED", login));
	assert_false(tm_console_holds("AUTH_TYPE&AUTH_TYPE!=DISABLED", disabled));
	assert_false(tm_console_holds("AUTH_TYPE&AUTH_TYPE!=DISABLED", NULL));
	assert_true(tm_console_holds("AUTH_TYPE&AUTH_TYPE!=DISABLED", secret));
	/* a key is matched whole: HTTP_PASSWORD_HASH is not HTTP_PASSWORD */
	const char *hash[] = {"HTTP_PASSWORD_HASH", NULL};
	assert_false(tm_console_holds("HTTP_PASSWORD", hash));
	assert_true(tm_console_holds("HTTP_PASSWORD|HTTP_PASSWORD_HASH", hash));
	assert_false(tm_console_holds(NULL, anon));
	/* switches as Go reads them */
	const char *one[] = {"GF_AUTH_ANONYMOUS_ENABLED=1", NULL}, *zero[] = {"PGADMIN_CONFIG_SERVER_MODE=0", NULL};
	assert_true(tm_console_holds("GF_AUTH_ANONYMOUS_ENABLED=true", one));
	assert_true(tm_console_holds("PGADMIN_CONFIG_SERVER_MODE=False", zero));
	assert_false(tm_console_holds("PGADMIN_CONFIG_SERVER_MODE=False", one));
	/* the image's tag, "@TAG", below a version, number by number; a tag that is no version never is */
	static const struct {
		const char *tag;
		bool below;
	} tags[] = {{"@2023.4", true},	 {"@2024.3.13545", true}, {"@2025.1.14000", true}, {"@2025", true},
		    {"@2025.2", false},	 {"@2025.2.1", false},	  {"@2026.1", false},	   {"@latest", false},
		    {"@v5.8.1", true},	 {"@2023.4-linux", true}, {"@preview", false},	   {"@12345678901234.1", false}};
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		const char *env[] = {"ACCEPT_EULA=Y", tags[i].tag, NULL};
		assert_int_equal(tm_console_holds("@<2025.2", env), tags[i].below);
	}
	const char *untagged[] = {"ACCEPT_EULA=Y", NULL};
	assert_false(tm_console_holds("@<2025.2", untagged));
	/* Seq: open before 2025.2 unless a first password is given; from 2025.2 only when told so */
	const tm_console *seq = tm_console_of_image("datalust/seq");
	assert_non_null(seq);
	const char *old_open[] = {"@2024.3", NULL}, *old_pw[] = {"SEQ_FIRSTRUN_ADMINPASSWORDHASH", "@2024.3", NULL};
	const char *new_default[] = {"@2025.2", NULL}, *new_open[] = {"SEQ_FIRSTRUN_NOAUTHENTICATION=True", NULL};
	assert_true(tm_console_holds(seq->when, old_open));
	assert_false(tm_console_holds(seq->when, old_pw));
	assert_false(tm_console_holds(seq->when, new_default));
	assert_true(tm_console_holds(seq->when, new_open));
	/* Pi-hole: a web password set empty is none; unset, it makes a random one */
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	const tm_console *pihole = tm_console_of_image("pihole/pihole:2024.07.0");
	assert_non_null(pihole);
	const char *empty[] = {tm_console_env_item(a, "WEBPASSWORD", ""), "@2024.07.0", NULL};
	const char *set[] = {tm_console_env_item(a, "WEBPASSWORD", "s3cret-pw"), "@2024.07.0", NULL};
	const char *v6[] = {tm_console_env_item(a, "FTLCONF_webserver_api_password", ""), NULL};
	assert_string_equal(empty[0], "WEBPASSWORD=");
	assert_string_equal(set[0], "WEBPASSWORD");
	assert_true(tm_console_holds(pihole->when, empty));
	assert_false(tm_console_holds(pihole->when, set));
	assert_false(tm_console_holds(pihole->when, untagged));
	assert_true(tm_console_holds(pihole->when, v6));
	tm_arena_free(a);
}

/* Settings the files do not decide: taken as not set, and the decision says it assumed so. */
static void undecided(void **state)
{
	(void)state;
	const char *whole[] = {"*Secret grafana-env", NULL}, *passed[] = {"?GF_SECURITY_ADMIN_PASSWORD", NULL};
	const char *other[] = {"?HTTP_PASSWORD", NULL}, *given[] = {"*Secret x", "GF_SECURITY_ADMIN_PASSWORD", NULL};
	const char *dflt = "!GF_SECURITY_ADMIN_PASSWORD&!GF_SECURITY_ADMIN_PASSWORD__FILE";
	bool assumed = false;
	assert_true(tm_console_decide(dflt, whole, &assumed));
	assert_true(assumed);
	assumed = false;
	assert_true(tm_console_decide(dflt, passed, &assumed));
	assert_true(assumed);
	/* a passed-through variable decides only its own name */
	assumed = false;
	assert_true(tm_console_decide(dflt, other, &assumed));
	assert_false(assumed);
	/* a setting the files give wins over a whole source beside it */
	assumed = false;
	assert_false(tm_console_decide(dflt, given, &assumed));
	assert_false(assumed);
	/* an enabling switch a whole source may hold: not set, assumed */
	assumed = false;
	assert_false(tm_console_decide("GF_AUTH_ANONYMOUS_ENABLED=true", whole, &assumed));
	assert_true(assumed);
	assert_true(tm_console_holds(dflt, whole));
}

/* One list of passwords everyone knows ("KEY=~known"), a tag at or above a version ("@>="), a flag
 * given twice, and the development modes read from command lines. */
static void known_and_dev(void **state)
{
	(void)state;
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	assert_true(tm_console_known_password("admin"));
	assert_true(tm_console_known_password("Password"));
	assert_true(tm_console_known_password("changeme"));
	assert_false(tm_console_known_password("V3ry-long-Random-Passphrase"));
	assert_false(tm_console_known_password(NULL));
	/* a password setting keeps a known value, never another; a file's path is no password */
	assert_string_equal(tm_console_env_item(a, "KEYCLOAK_ADMIN_PASSWORD", "password"), "KEYCLOAK_ADMIN_PASSWORD=password");
	assert_string_equal(tm_console_env_item(a, "KEYCLOAK_ADMIN_PASSWORD", "k3ep-it-s3cret"), "KEYCLOAK_ADMIN_PASSWORD");
	assert_string_equal(tm_console_env_item(a, "GF_SECURITY_ADMIN_PASSWORD__FILE", "admin"), "GF_SECURITY_ADMIN_PASSWORD__FILE");
	const tm_console *kc = tm_console_of_image("quay.io/keycloak/keycloak:26.1");
	assert_non_null(kc);
	const char *weak[] = {"KC_BOOTSTRAP_ADMIN_PASSWORD=secret", NULL}, *strong[] = {"KC_BOOTSTRAP_ADMIN_PASSWORD", NULL};
	assert_true(tm_console_holds(kc->default_login, weak));
	assert_false(tm_console_holds(kc->default_login, strong));
	/* "@>=1": at or above, and latest or untagged too */
	const char *v2[] = {"@2.24", NULL}, *v08[] = {"@0.8.6", NULL}, *none[] = {NULL};
	assert_true(tm_console_holds("@>=1", v2));
	assert_false(tm_console_holds("@>=1", v08));
	assert_true(tm_console_holds("@>=1", none));
	/* a flag given twice: either value */
	const char *modes[] = {"--auth-mode=sso", "--auth-mode=server", NULL};
	assert_true(tm_console_holds("--auth-mode=server", modes));
	assert_false(tm_console_holds("--auth-mode=client", modes));
	/* Jenkins' wizard from the JVM's options, nothing else of them */
	assert_string_equal(tm_console_env_item(a, "JAVA_OPTS", "-Xmx1g -Djenkins.install.runSetupWizard=false"),
			    "jenkins.install.runSetupWizard=false");
	assert_null(tm_console_env_item(a, "JAVA_OPTS", "-Djavax.net.ssl.trustStorePassword=s3cret"));
	/* development modes: a subcommand word and a flag */
	const char *out[8];
	assert_int_equal(tm_console_flag_items(a, "start-dev --import-realm", NULL, out, 8), 1);
	assert_string_equal(out[0], "start-dev");
	const char *dev[] = {"start-dev", NULL};
	const int *ports = NULL;
	assert_non_null(tm_console_dev_mode(kc, dev, &ports));
	assert_int_equal(ports[0], 8080);
	assert_null(tm_console_dev_mode(kc, strong, &ports));
	const char *kdev[] = {"--dev", NULL};
	assert_non_null(tm_console_dev_mode(tm_console_of_image("oryd/kratos:v1.3.1"), kdev, &ports));
	assert_int_equal(ports[0], 4433);
	tm_arena_free(a);
}

/* Consoles known by their command line: Flower from Airflow's image, Prefect and Dagster from any
 * image, Airflow's web server only as `webserver`, n8n's worker none; the settings engines keep. */
static void by_command(void **state)
{
	(void)state;
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	const char *out[8];
	const char *flower[] = {"celery", "flower"};
	size_t n = tm_console_command_items(a, "apache/airflow:2.10.3", flower, 2, out, 8);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "flower");
	const char *cmd[] = {out[0], NULL};
	assert_string_equal(tm_console_of_run("apache/airflow:2.10.3", cmd)->product, "Flower");
	/* a `sh -c` string, a path, and words in a row */
	const char *sh[] = {"bash", "-c", "exec \
/usr/local/bin/airflow webserver"};
	n = tm_console_command_items(a, "apache/airflow:2.8.1", sh, 3, out, 8);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "webserver");
	const char *web[] = {out[0], NULL};
	assert_string_equal(tm_console_of_run("apache/airflow:2.8.1", web)->product, "Apache Airflow");
	const char *none[] = {NULL};
	assert_null(tm_console_of_run("apache/airflow:2.8.1", none)); /* no command: not its web server */
	/* the image's own words only for that image: no item for another's */
	assert_int_equal(tm_console_command_items(a, "python:3.12", sh, 3, out, 8), 0);
	const char *prefect[] = {"prefect server start --host 0.0.0.0"};
	n = tm_console_command_items(a, "prefecthq/prefect:3-latest", prefect, 1, out, 8);
	assert_int_equal(n, 1);
	const char *pc[] = {out[0], NULL};
	assert_string_equal(tm_console_of_run("prefecthq/prefect:3-latest", pc)->product, "Prefect server");
	const char *migrate[] = {"prefect", "server", "database", "upgrade"};
	assert_int_equal(tm_console_command_items(a, "prefecthq/prefect:3-latest", migrate, 4, out, 8), 0);
	const char *worker[] = {"worker"};
	n = tm_console_command_items(a, "n8nio/n8n:1.80.0", worker, 1, out, 8);
	assert_int_equal(n, 1);
	const char *wc[] = {out[0], NULL};
	assert_null(tm_console_of_run("n8nio/n8n:1.80.0", wc));
	assert_string_equal(tm_console_of_run("n8nio/n8n:1.80.0", NULL)->product, "n8n");
	const char *dagit[] = {"dagit", "-h", "0.0.0.0"};
	n = tm_console_command_items(a, NULL, dagit, 3, out, 8);
	assert_int_equal(n, 1);
	const char *dc[] = {out[0], NULL};
	assert_string_equal(tm_console_of_run(NULL, dc)->product, "Dagster webserver");
	/* engines' settings: a list summarised, an unrelated AUTH's value not kept, a short NiFi password */
	assert_string_equal(tm_console_env_item(a, "AIRFLOW__API__AUTH_BACKENDS",
						"airflow.api.auth.backend.session,airflow.api.auth.backend.default"),
			    "AIRFLOW__API__AUTH_BACKENDS=default");
	assert_string_equal(tm_console_env_item(a, "AIRFLOW__API__AUTH_BACKENDS", "airflow.api.auth.backend.basic_auth"),
			    "AIRFLOW__API__AUTH_BACKENDS=checked");
	assert_string_equal(tm_console_env_item(a, "AUTH", "s3cr3t-token"), "AUTH");
	assert_string_equal(tm_console_env_item(a, "AUTH", "ldap"), "AUTH=ldap");
	assert_string_equal(tm_console_env_item(a, "SINGLE_USER_CREDENTIALS_PASSWORD", "admin"),
			    "SINGLE_USER_CREDENTIALS_PASSWORD");
	assert_string_equal(tm_console_env_item(a, "_AIRFLOW_WWW_USER_PASSWORD", "airflow"), "_AIRFLOW_WWW_USER_PASSWORD=airflow");
	assert_string_equal(tm_console_env_item(a, "_AIRFLOW_WWW_USER_PASSWORD", "Vq3-own"), "_AIRFLOW_WWW_USER_PASSWORD");
	/* Temporal's configuration directory, not the dynamicconfig folder below it */
	assert_non_null(tm_console_mount_item(a, "/etc/temporal/config"));
	assert_null(tm_console_mount_item(a, "/etc/temporal/config/dynamicconfig"));
	tm_arena_free(a);
}

/* The APIs over a database (Hasura, PostgREST): PostgREST's URI keeps its user alone, compared
 * with the anonymous role as written ("KEY==OTHER"); Hasura's admin secret is a password setting;
 * a placeholder password judged by ingest (tm_ingest__console_item) is one everyone knows. */
static void database_apis(void **state)
{
	(void)state;
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	const tm_console *pg = tm_console_of_image("postgrest/postgrest:v12.2.3");
	const tm_console *hs = tm_console_of_image("hasura/graphql-engine:v2.48.16.cli-migrations-v3");
	assert_non_null(pg);
	assert_non_null(hs);
	assert_string_equal(hs->product, "Hasura GraphQL Engine");
	assert_null(tm_console_of_image("hasura/graphql-engine-base:1"));
	static const struct {
		const char *uri, *item;
	} uris[] = {
		{"postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/app", "PGRST_DB_URI.user=${POSTGRES_USER}"},
		{"postgresql://app@db/app", "PGRST_DB_URI.user=app"},
		{"postgres://${U:-app}:p@ss@db/app", "PGRST_DB_URI.user=${U:-app}"},
		{"host=db user=authenticator password=x dbname=app", "PGRST_DB_URI.user=authenticator"},
		{"postgres://db:5432/app", "PGRST_DB_URI"},
		{"${DB_URI}", "PGRST_DB_URI"},
		{"postgres://:pw@db/app", "PGRST_DB_URI"},
	};
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++)
		assert_string_equal(tm_console_env_item(a, "PGRST_DB_URI", uris[i].uri), uris[i].item);
	assert_string_equal(tm_console_env_item(a, "PGRST_DB_URI", NULL), "PGRST_DB_URI");
	const char *same[] = {"PGRST_DB_URI.user=${POSTGRES_USER}", "PGRST_DB_ANON_ROLE=${POSTGRES_USER}", NULL};
	const char *other[] = {"PGRST_DB_URI.user=authenticator", "PGRST_DB_ANON_ROLE=web_anon", NULL};
	const char *super[] = {"PGRST_DB_URI.user=authenticator", "PGRST_DB_ANON_ROLE=postgres", NULL};
	const char *secret[] = {"PGRST_DB_URI", "PGRST_DB_ANON_ROLE=app", NULL};
	const char *passed[] = {"PGRST_DB_URI.user=app", "?PGRST_DB_ANON_ROLE", NULL};
	assert_true(tm_console_holds(pg->when, same));
	assert_false(tm_console_holds(pg->when, other));
	assert_true(tm_console_holds(pg->when, super));
	assert_false(tm_console_holds(pg->when, secret));
	bool assumed = false;
	assert_false(tm_console_decide(pg->when, passed, &assumed));
	assert_true(assumed);
	/* Hasura: open unless an admin secret (or a mode that stops it at start) */
	const char *none[] = {"HASURA_GRAPHQL_ENABLE_CONSOLE=true", NULL};
	const char *flag[] = {"--admin-secret", NULL};
	const char *jwt[] = {"HASURA_GRAPHQL_JWT_SECRET", NULL};
	assert_false(tm_console_holds(hs->unless, none));
	assert_true(tm_console_holds(hs->unless, flag));
	assert_true(tm_console_holds(hs->unless, jwt));
	const char *example[] = {tm_console_env_item(a, "HASURA_GRAPHQL_ADMIN_SECRET", "myadminsecretkey"), NULL};
	assert_string_equal(example[0], "HASURA_GRAPHQL_ADMIN_SECRET=myadminsecretkey");
	assert_true(tm_console_holds(hs->default_login, example));
	const char *strong[] = {tm_console_env_item(a, "HASURA_GRAPHQL_ADMIN_SECRET", "Zq8-long-random"), NULL};
	assert_string_equal(strong[0], "HASURA_GRAPHQL_ADMIN_SECRET");
	assert_false(tm_console_holds(hs->default_login, strong));
	/* a placeholder: kept as "KEY=~known" for a password setting, as written elsewhere */
	assert_string_equal(tm_ingest__console_item(a, "PGADMIN_DEFAULT_PASSWORD", "changeThisPassword"),
			    "PGADMIN_DEFAULT_PASSWORD=~known");
	assert_string_equal(tm_ingest__console_item(a, "PGADMIN_DEFAULT_PASSWORD", "admin"), "PGADMIN_DEFAULT_PASSWORD=admin");
	assert_string_equal(tm_ingest__console_item(a, "PGADMIN_DEFAULT_PASSWORD", "Zq8-long-random"), "PGADMIN_DEFAULT_PASSWORD");
	assert_string_equal(tm_ingest__console_item(a, "AUTH_TYPE", "changeme"), "AUTH_TYPE=changeme");
	const char *placeholder[] = {"PGADMIN_DEFAULT_PASSWORD=~known", NULL};
	assert_true(tm_console_holds(tm_console_of_image("dpage/pgadmin4")->default_login, placeholder));
	assert_true(tm_stores__known_password("SuperSecretKeyChangeThis"));
	assert_true(tm_stores__known_password("changeme"));
	assert_false(tm_stores__known_password("${POSTGRES_PASSWORD}"));
	assert_false(tm_stores__known_password(""));
	assert_false(tm_stores__known_password(NULL));
	tm_arena_free(a);
}

/* Database clients whose login form is the databases' own: which stores, when, and PMA_ARBITRARY
 * compared as phpMyAdmin's image compares it ('1' only). */
static void database_clients(void **state)
{
	(void)state;
	tm_arena *a = tm_arena_new();
	assert_non_null(a);
	const tm_console *pma = tm_console_of_image("phpmyadmin/phpmyadmin:5.2");
	const tm_console *adm = tm_console_of_image("adminer:4.8.1");
	assert_non_null(pma);
	assert_non_null(adm);
	const tm_db_client *p = tm_console_db_client(pma), *d = tm_console_db_client(adm);
	assert_non_null(p);
	assert_non_null(d);
	assert_null(tm_console_db_client(tm_console_of_image("grafana/grafana")));
	assert_null(tm_console_db_client(NULL));
	assert_string_equal(p->stores, "mysql");
	assert_string_equal(p->default_host, "db");
	assert_null(d->own_login);
	assert_null(d->arbitrary);
	const char *one[] = {tm_console_env_item(a, "PMA_ARBITRARY", "1"), NULL};
	const char *yes[] = {tm_console_env_item(a, "PMA_ARBITRARY", "true"), NULL};
	assert_string_equal(one[0], "PMA_ARBITRARY=1");
	assert_true(tm_console_holds(p->arbitrary, one));
	assert_false(tm_console_holds(p->arbitrary, yes));
	/* signed in by PMA_USER: its login is no longer the store's */
	const char *signed_in[] = {"PMA_USER", "PMA_PASSWORD", NULL};
	const char *host[] = {tm_console_env_item(a, "PMA_HOST", "db"), NULL};
	assert_false(tm_console_holds(p->own_login, signed_in));
	assert_true(tm_console_holds(p->own_login, host));
	assert_true(tm_console_holds(p->hosts, host));
	assert_string_equal(tm_console_env_item(a, "ADMINER_DEFAULT_SERVER", "postgres"), "ADMINER_DEFAULT_SERVER");
	tm_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(images_table),
		cmocka_unit_test(settings_kept),
		cmocka_unit_test(model_servers_and_flags),
		cmocka_unit_test(conditions),
		cmocka_unit_test(undecided),
		cmocka_unit_test(known_and_dev),
		cmocka_unit_test(by_command),
		cmocka_unit_test(database_apis),
		cmocka_unit_test(database_clients),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
