/*
 * console.c - operations consoles: the web interfaces of monitoring, tracing, queue, cache and
 * database tools that a project runs from their published images (Prometheus, Grafana, Jaeger,
 * Kafka UI, Redis Commander, mongo-express...). One table, read by the ingesters (which
 * environment settings to keep, as the console_env fact) and by TM-MESH-012 (is the console
 * reachable without a login, and what can a visitor do there). The rule's text names the same
 * consoles, and docs/inputs.md the settings read.
 *
 * Model-serving APIs (Ollama, vLLM, LiteLLM, Open WebUI...) are a second table of the same shape,
 * judged by TM-MESH-014 and counted as valuable by the attack paths (tm_console_model_open); their
 * flags on the command line (--api-key) are console_env items too (tm_console_flag_items).
 *
 * A console is known by its image's repository (registry host, tag and digest ignored), matched
 * by its last path components: "prometheus" matches prom/prometheus and
 * quay.io/prometheus/prometheus, "jaegertracing/all-in-one" only that repository. Whether it asks
 * for a login is decided from the image's defaults and the environment settings each image
 * documents; a configuration file it mounts or its command line are not read (the rule says so).
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"
#include "trustmap/doc.h"

/*
 * Conditions over the console_env facts: alternatives separated by '|', each a conjunction of terms
 * separated by '&'; a term is "KEY" (set, to anything), "!KEY" (not set), "KEY=value" or "KEY!=value" (compared
 * without case; an unset key or one whose value is not known differs from every value), or "@<VERSION": the
 * image's tag (the item "@TAG" TM-MESH-012 adds, tm_console_tag_item) is a version below VERSION
 * (2023.4 < 2025.2; "latest", no tag or a tag that is no version: not below, today's image).
 */
static const tm_console CONSOLES[] = {
	/* repositories, product, ports, severity, when, high_when, unless, does, default_login, default_does */
	/* Prometheus' web interface and API ask for nothing unless --web.config.file gives it users or
	 * client certificates (the file's users are not checked: taken as a login); its admin API
	 * (--web.enable-admin-api) deletes series and snapshots the data, its lifecycle API
	 * (--web.enable-lifecycle) reloads the configuration and shuts it down */
	{"prometheus", "Prometheus", {9090}, 2, NULL, "--web.enable-admin-api|--web.enable-lifecycle", "--web.config.file",
	 "every metric, label and scrape target", NULL, NULL,
	 "deleting series and shutting it down (--web.enable-admin-api, --web.enable-lifecycle)"},
	{"alertmanager", "Alertmanager", {9093}, 2, NULL, NULL, NULL, "every alert, and silencing them", NULL, NULL, NULL},
	{"pushgateway", "Prometheus Pushgateway", {9091}, 2, NULL, NULL, NULL, "writing and deleting metrics", NULL, NULL, NULL},
	{"grafana|grafana-oss|grafana-enterprise", "Grafana", {3000}, 2, "GF_AUTH_ANONYMOUS_ENABLED=true",
	 "GF_AUTH_ANONYMOUS_ORG_ROLE=Admin|GF_AUTH_ANONYMOUS_ORG_ROLE=Editor", NULL,
	 "every dashboard and its data sources' queries, to anonymous visitors",
	 "!GF_SECURITY_ADMIN_PASSWORD&!GF_SECURITY_ADMIN_PASSWORD__FILE|GF_SECURITY_ADMIN_PASSWORD=~known",
	 "admin/admin when no admin password is set, or one everyone knows (admin, password, changeme...: "
	 "GF_SECURITY_ADMIN_PASSWORD): all of Grafana, its data sources and the credentials they hold", NULL},
	{"jaegertracing/all-in-one|jaegertracing/jaeger-query|jaegertracing/jaeger", "Jaeger", {16686}, 2, NULL, NULL,
	 NULL, "every trace: calls, URLs, parameters and tagged headers", NULL, NULL, NULL},
	{"zipkin|zipkin-slim", "Zipkin", {9411}, 2, NULL, NULL, NULL,
	 "every trace: calls, URLs, parameters and tagged headers", NULL, NULL, NULL},
	/* Kibana asks for a login whenever the Elasticsearch it talks to has security on: the rule
	 * judges that store first when it knows it (tm_console_backend); these settings, and a
	 * kibana.yml mounted over the image's (not read), decide only when it does not */
	{"kibana", "Kibana", {5601}, 2, NULL, NULL,
	 "ELASTICSEARCH_USERNAME|ELASTICSEARCH_PASSWORD|ELASTICSEARCH_SERVICEACCOUNTTOKEN|KIBANA_SYSTEM_PASSWORD|"
	 "/usr/share/kibana/config",
	 "every Elasticsearch index, read and written (no credentials nor configuration given to it: its security is "
	 "assumed off)", NULL, NULL, NULL},
	{"opensearch-dashboards", "OpenSearch Dashboards", {5601}, 2, "DISABLE_SECURITY_DASHBOARDS_PLUGIN=true", NULL,
	 NULL, "every OpenSearch index, read and written (its security plugin off)", NULL, NULL, NULL},
	{"kafka-ui", "Kafka UI", {8080}, 3, NULL, NULL, "AUTH_TYPE&AUTH_TYPE!=DISABLED",
	 "reading, producing and deleting on every topic", NULL, NULL, NULL},
	{"confluentinc/cp-kafka-rest|kafka-rest", "Kafka REST Proxy", {8082}, 3, NULL, NULL,
	 "KAFKA_REST_AUTHENTICATION_METHOD", "producing to and consuming from every topic over HTTP", NULL, NULL, NULL},
	{"confluentinc/cp-kafka-connect|cp-kafka-connect-base|cp-server-connect|cp-server-connect-base|"
	 "cp-server-connect-datagen|cp-kafka-connect-datagen|debezium/connect|kafka-connect", "Kafka Connect REST API",
	 {8083}, 3, NULL, NULL, "CONNECT_REST_EXTENSION_CLASSES",
	 "creating connectors, which run with the worker's credentials against every system they connect to, and "
	 "reading their configurations and secrets", NULL, NULL, NULL},
	/* ksqlDB's REST API runs any statement for whoever reaches it unless authentication.method
	 * (BASIC), a client certificate (ssl.client.authentication=REQUIRED) or an authentication
	 * plugin is configured (Confluent's "Configure Security for ksqlDB") */
	{"cp-ksqldb-server|confluentinc/ksqldb-server", "ksqlDB server", {8088}, 3, NULL, NULL,
	 "KSQL_AUTHENTICATION_METHOD&KSQL_AUTHENTICATION_METHOD!=NONE|KSQL_SSL_CLIENT_AUTHENTICATION=REQUIRED|"
	 "KSQL_KSQL_AUTHENTICATION_PLUGIN_CLASS",
	 "running any statement: reading every topic's messages, creating streams and tables that write to topics, "
	 "and terminating queries", NULL, NULL, NULL},
	/* Control Center asks for no login unless confluent.controlcenter.rest.authentication.method
	 * is BASIC (or BEARER, with RBAC) */
	{"cp-enterprise-control-center", "Confluent Control Center", {9021}, 3, NULL, NULL,
	 "CONTROL_CENTER_REST_AUTHENTICATION_METHOD&CONTROL_CENTER_REST_AUTHENTICATION_METHOD!=NONE",
	 "every topic's messages, and creating and deleting topics, connectors and ksqlDB queries", NULL, NULL, NULL},
	/* AKHQ gives anonymous visitors its admin group until Micronaut security is enabled, by
	 * MICRONAUT_SECURITY_ENABLED or in the configuration given as AKHQ_CONFIGURATION (read for
	 * that alone, tm_console_env_item) or mounted as /app/application.yml (not read) */
	{"tchiotludo/akhq|akhq", "AKHQ", {8080}, 3, NULL, NULL,
	 "MICRONAUT_SECURITY_ENABLED=true|AKHQ_CONFIGURATION&AKHQ_CONFIGURATION!=security-off|/app/application.yml",
	 "reading, producing and deleting on every topic, and editing consumer groups, ACLs and connectors", NULL, NULL, NULL},
	{"landoop/kafka-topics-ui|kafka-topics-ui", "Kafka Topics UI", {8000}, 2, NULL, NULL, NULL,
	 "every topic's messages", NULL, NULL, NULL},
	{"daprio/daprd|daprd", "Dapr sidecar API", {3500, 50001}, 3, NULL, NULL, "DAPR_API_TOKEN",
	 "invoking every application, publishing to every topic and reading and writing state, with no token", NULL, NULL, NULL},
	{"kafdrop", "Kafdrop", {9000}, 2, NULL, NULL, NULL, "every topic's messages, and creating or deleting topics", NULL, NULL, NULL},
	{"cloudhut/kowl|kowl", "Kowl", {8080}, 2, NULL, NULL, NULL, "every topic's messages, consumer groups and schemas", NULL, NULL, NULL},
	{"redpandadata/console|vectorized/console", "Redpanda Console", {8080}, 3, NULL, NULL,
	 "LOGIN_ENABLED=true|AUTHENTICATION_JWTSIGNINGKEY",
	 "reading, producing and deleting on every topic, and editing consumer groups and ACLs", NULL, NULL, NULL},
	{"redis-commander", "Redis Commander", {8081}, 3, NULL, NULL, "HTTP_PASSWORD|HTTP_PASSWORD_HASH|HTTP_PASSWORD_FILE|HTTP_PASSWORD_HASH_FILE",
	 "reading, writing and deleting every Redis key", "HTTP_PASSWORD=~known",
	 "a password everyone knows (HTTP_PASSWORD: admin, changeme...): reading, writing and deleting every Redis key",
	 NULL},
	{"redisinsight", "RedisInsight", {5540, 8001}, 3, NULL, NULL, NULL,
	 "reading, writing and deleting every Redis key", NULL, NULL, NULL},
	{"mongo-express", "mongo-express", {8081}, 3, NULL, NULL,
	 "ME_CONFIG_BASICAUTH_USERNAME&ME_CONFIG_BASICAUTH_PASSWORD&ME_CONFIG_BASICAUTH!=false|"
	 "ME_CONFIG_BASICAUTH_USERNAME_FILE&ME_CONFIG_BASICAUTH_PASSWORD_FILE&ME_CONFIG_BASICAUTH!=false",
	 "reading, changing and dropping every database (basic authentication off or the image's admin:pass)",
	 "ME_CONFIG_BASICAUTH_PASSWORD=pass|ME_CONFIG_BASICAUTH_PASSWORD=~known",
	 "a password everyone knows (ME_CONFIG_BASICAUTH_PASSWORD: the image's pass, admin, changeme...): reading, "
	 "changing and dropping every database",
	 NULL},
	{"portainer/portainer|portainer-ce|portainer-ee", "Portainer", {9000, 9443}, 3, NULL, NULL, NULL,
	 "creating its administrator if nobody has, then running any container", NULL, NULL, NULL},
	/* identity providers: Keycloak's image has no login of its own (its administrator is made from
	 * the environment, or from localhost only), so only a password everyone knows counts; authentik
	 * lets the first visitor set its administrator's password unless the environment bootstraps it */
	{"keycloak/keycloak|jboss/keycloak", "Keycloak", {8080, 8443}, 3, TM_CONSOLE_NEVER, NULL, NULL, "",
	 "KEYCLOAK_ADMIN_PASSWORD=~known|KC_BOOTSTRAP_ADMIN_PASSWORD=~known|KEYCLOAK_PASSWORD=~known",
	 "a password everyone knows (admin, password, changeme...) as the administrator's (KEYCLOAK_ADMIN_PASSWORD, "
	 "KC_BOOTSTRAP_ADMIN_PASSWORD): the master realm's administration, every realm's users, clients and client "
	 "secrets", NULL},
	/* Ory's admin APIs have no authentication of their own (Ory: "should never be exposed without
	 * prior authorization"): Kratos' on 4434, Hydra's on 4445, Keto's write API on 4467; the port
	 * moved by SERVE_ADMIN_PORT (SERVE_WRITE_PORT) is read, their configuration file is not */
	{"oryd/kratos", "Ory Kratos admin API", {4434}, 3, NULL, NULL, NULL,
	 "creating, changing and deleting every identity, minting recovery links and codes for any account, and "
	 "listing and revoking sessions (the admin API has no authentication of its own)", NULL, NULL, NULL},
	{"oryd/hydra", "Ory Hydra admin API", {4445}, 3, NULL, NULL, NULL,
	 "creating OAuth2 clients with secrets of its choosing, accepting any login and consent request as any "
	 "user, and revoking tokens (the admin API has no authentication of its own)", NULL, NULL, NULL},
	{"oryd/keto", "Ory Keto write API", {4467}, 3, NULL, NULL, NULL,
	 "writing and deleting every relation tuple, so granting or revoking any permission (the write API has no "
	 "authentication of its own)", NULL, NULL, NULL},
	{"goauthentik/server|beryju/authentik", "authentik", {9000, 9443}, 3, "!AUTHENTIK_BOOTSTRAP_PASSWORD", NULL,
	 NULL, "setting its administrator's (akadmin's) password through the initial-setup flow if nobody has, "
	 "then every application it signs users into", NULL, NULL, NULL},
	/* Flower from its image, or started from another's (Airflow's `celery flower`, puckel's
	 * `flower`): Airflow hands it [celery] flower_basic_auth, the command line --basic-auth */
	{"flower", "Flower", {5555}, 2, NULL, NULL,
	 "FLOWER_BASIC_AUTH|FLOWER_AUTH|FLOWER_OAUTH2_KEY|AIRFLOW__CELERY__FLOWER_BASIC_AUTH|--basic-auth|--basic_auth|--auth",
	 "every Celery task's arguments and results, and revoking tasks", NULL, NULL, NULL},
	{"locust", "Locust", {8089}, 2, NULL, NULL, "LOCUST_WEB_LOGIN|LOCUST_WEB_AUTH", "starting load tests at any rate", NULL, NULL, NULL},
	{"mailhog", "MailHog", {8025}, 2, NULL, NULL, "MH_AUTH_FILE",
	 "every mail the system sends, password-reset links too", NULL, NULL, NULL},
	{"mailpit", "Mailpit", {8025}, 2, NULL, NULL, "MP_UI_AUTH|MP_UI_AUTH_FILE",
	 "every mail the system sends, password-reset links too", NULL, NULL, NULL},
	{"mailcatcher", "MailCatcher", {1080}, 2, NULL, NULL, NULL, "every mail the system sends, password-reset links too", NULL, NULL, NULL},
	/* MailDev 1.x (djfarrelly/maildev) serves its web interface on port 80 (its image runs
	 * `--web 80`), 2.x (maildev/maildev) on 1080: the older repository first, it is the longer match */
	{"djfarrelly/maildev", "MailDev", {80, 1080}, 2, NULL, NULL, "MAILDEV_WEB_USER&MAILDEV_WEB_PASS",
	 "every mail the system sends, password-reset links too, and relaying them", NULL, NULL, NULL},
	{"maildev", "MailDev", {1080}, 2, NULL, NULL, "MAILDEV_WEB_USER&MAILDEV_WEB_PASS",
	 "every mail the system sends, password-reset links too, and relaying them", NULL, NULL, NULL},
	/* Seq admits anyone, as its administrator, unless a first administrator's password is given on
	 * its first run (SEQ_FIRSTRUN_ADMINPASSWORD, or the HASH variant); from 2025.2 a first run
	 * without one fails unless SEQ_FIRSTRUN_NOAUTHENTICATION opts out (datalust/seq-tickets#2435):
	 * a tag below 2025.2 is judged by the older default, latest and other tags by today's */
	{"datalust/seq", "Seq", {80}, 3,
	 "@<2025.2&!SEQ_FIRSTRUN_ADMINPASSWORD&!SEQ_FIRSTRUN_ADMINPASSWORDHASH|"
	 "SEQ_FIRSTRUN_NOAUTHENTICATION=true&!SEQ_FIRSTRUN_ADMINPASSWORD&!SEQ_FIRSTRUN_ADMINPASSWORDHASH",
	 NULL, NULL,
	 "every log event of the system, read and written, and its administration: API keys, users and the "
	 "apps (plug-ins) it runs",
	 "SEQ_FIRSTRUN_ADMINPASSWORD=~known",
	 "a first administrator's password everyone knows (SEQ_FIRSTRUN_ADMINPASSWORD: admin, changeme...): every "
	 "log event, API keys, users and the apps it runs",
	 NULL},
	/* DNS servers whose web interface rewrites the answers every client of the network gets.
	 * AdGuard Home without a configuration file serves its first-run setup wizard (port 3000), whose
	 * first visitor makes the administrator; with one, an empty `users:` list is no login at all
	 * (its AdGuardHome.yaml read where a ConfigMap mounts it, tm_console_file_item; any other mount
	 * of its configuration directory leaves the login undecided, and the finding is not made).
	 * Pi-hole assigns a random password unless one is given: an empty one is none (WEBPASSWORD
	 * before v6, the 2025 tags; FTLCONF_webserver_api_password since) */
	{"adguard/adguardhome", "AdGuard Home", {3000, 80}, 3, NULL, NULL, "/opt/adguardhome/conf&adguard.users!=empty",
	 "its DNS settings (upstream servers, rewrites, filters, clients), changed for every device that asks it, "
	 "through its first-run setup wizard, whose first visitor becomes its administrator, or a configuration "
	 "with no users", NULL, NULL, NULL},
	{"pihole/pihole", "Pi-hole", {80, 443}, 3, "WEBPASSWORD=&@<2025|FTLCONF_webserver_api_password=", NULL, NULL,
	 "its DNS settings (upstream servers, local records, block lists, DHCP), changed for every device that asks "
	 "it (its web password set empty)", "WEBPASSWORD=~known&@<2025|FTLCONF_webserver_api_password=~known",
	 "a web password everyone knows (FTLCONF_webserver_api_password, or WEBPASSWORD before v6: admin...): its DNS "
	 "settings, changed for every device that asks it",
	 NULL},
	/* CI/CD and source hosting, whose users run code on their runners. Woodpecker lets everyone with
	 * an account at its forge sign in under WOODPECKER_OPEN (unless WOODPECKER_ORGS narrows it);
	 * Drone's registration is open by default from 1.0 (DRONE_USER_FILTER or
	 * DRONE_REGISTRATION_CLOSED close it; 0.8 opened it with DRONE_OPEN); Gitea and Forgejo serve
	 * their installation page while INSTALL_LOCK is false (the environment rewrites app.ini at every
	 * start, so an explicit false keeps it open: an unset one is the first run's page, not judged);
	 * Jenkins started with -Djenkins.install.runSetupWizard=false skips the initial security setup,
	 * anyone its administrator unless Configuration as Code or an init script sets a realm (those
	 * files are not read: given, they are taken as a login); Argo Workflows' server under
	 * --auth-mode=server acts for every visitor as its own service account; Nexus before 3.17 starts
	 * with admin/admin123 (from 3.17 a random password in admin.password); GitLab before 14.0 lets
	 * its first visitor set root's password when none is given (from 14.0 a random one);
	 * SonarQube starts with admin/admin, changed at the administrator's first sign-in */
	{"woodpeckerci/woodpecker-server", "Woodpecker CI", {8000}, 3, "WOODPECKER_OPEN=true&!WOODPECKER_ORGS", NULL,
	 NULL,
	 "signing in for everyone with an account at its forge (WOODPECKER_OPEN, no WOODPECKER_ORGS), then "
	 "running pipelines on its agents with the secrets and host access they hold", NULL, NULL, NULL},
	{"drone/drone", "Drone CI", {80, 443}, 3,
	 "@<1&DRONE_OPEN=true|@>=1&!DRONE_USER_FILTER&DRONE_REGISTRATION_CLOSED!=true", NULL, NULL,
	 "signing in for everyone with an account at its source host (registration open: Drone's default, no "
	 "DRONE_USER_FILTER nor DRONE_REGISTRATION_CLOSED), then running builds on its runners with the secrets "
	 "they hold", NULL, NULL, NULL},
	{"gitea/gitea", "Gitea", {3000}, 3, "GITEA__security__INSTALL_LOCK=false|INSTALL_LOCK=false", NULL, NULL,
	 "its installation page (INSTALL_LOCK false): whoever reaches it first sets its database and its "
	 "administrator, or becomes the administrator as the first account to register", NULL, NULL, NULL},
	{"forgejo/forgejo", "Forgejo", {3000}, 3,
	 "GITEA__security__INSTALL_LOCK=false|FORGEJO__security__INSTALL_LOCK=false|INSTALL_LOCK=false", NULL, NULL,
	 "its installation page (INSTALL_LOCK false): whoever reaches it first sets its database and its "
	 "administrator, or becomes the administrator as the first account to register", NULL, NULL, NULL},
	{"jenkins/jenkins|jenkinsci/jenkins|jenkinsci/blueocean", "Jenkins", {8080}, 3,
	 "jenkins.install.runSetupWizard=false", NULL,
	 "CASC_JENKINS_CONFIG|/var/jenkins_home/casc_configs|/var/jenkins_home/jenkins.yaml|"
	 "/var/jenkins_home/init.groovy.d|/usr/share/jenkins/ref/init.groovy.d|/usr/share/jenkins/ref/casc",
	 "every job, credential and agent, and its script console, which runs any code on the controller, as its "
	 "administrator (started with -Djenkins.install.runSetupWizard=false and no security realm set)", NULL, NULL,
	 NULL},
	{"argoproj/argocli|argoproj/argo-server", "Argo Workflows server", {2746}, 3, "--auth-mode=server", NULL, NULL,
	 "submitting workflows, which run any container, and reading and deleting every workflow, as the server's "
	 "own service account (--auth-mode=server)", NULL, NULL, NULL},
	{"sonatype/nexus3", "Nexus Repository", {8081}, 3, TM_CONSOLE_NEVER, NULL, NULL, "", "@<3.17",
	 "admin/admin123, the login of images before 3.17: every repository, read and written (publishing artifacts "
	 "others build from), its users and its administration", NULL},
	{"gitlab/gitlab-ce|gitlab/gitlab-ee", "GitLab", {80, 443}, 3,
	 "@<14&!GITLAB_ROOT_PASSWORD&GITLAB_OMNIBUS_CONFIG!=initial-root-password|"
	 "@<14&GITLAB_ROOT_PASSWORD=&GITLAB_OMNIBUS_CONFIG!=initial-root-password",
	 NULL, NULL,
	 "setting the root account's password at its first visit (before 14.0, no GITLAB_ROOT_PASSWORD nor "
	 "initial_root_password given), then every project, runner and CI/CD variable",
	 "GITLAB_ROOT_PASSWORD=~known",
	 "a root password everyone knows (GITLAB_ROOT_PASSWORD: admin, password, changeme...): every project, runner "
	 "and CI/CD variable", NULL},
	{"sonarqube|sonarsource/sonarqube", "SonarQube", {9000}, 2, NULL, NULL, NULL,
	 "admin/admin, its image's login until the administrator changes it at the first sign-in: every project's "
	 "code and findings, and its tokens", NULL, NULL, NULL},
	{"cadvisor", "cAdvisor", {8080}, 2, NULL, NULL, NULL, "every container on the host", NULL, NULL, NULL},
	{"netdata", "Netdata", {19999}, 2, NULL, NULL, NULL, "the host's processes, connections and services", NULL, NULL, NULL},
	{"nacos/nacos-server|nacos-server", "Nacos", {8848}, 3, NULL, NULL, "NACOS_AUTH_ENABLE=true",
	 "every application's configuration, its database passwords too, read and rewritten", NULL, NULL, NULL},
	{"temporalio/ui", "Temporal Web UI", {8080}, 2, NULL, NULL, "TEMPORAL_AUTH_ENABLED=true",
	 "every workflow's inputs and results, and terminating them", NULL, NULL, NULL},
	{"phpmyadmin", "phpMyAdmin", {80}, 3, "PMA_USER&PMA_PASSWORD", NULL, NULL,
	 "every database the account reaches, signed in already by PMA_USER", NULL, NULL, NULL},
	{"pgadmin4", "pgAdmin", {80, 443}, 3, "PGADMIN_CONFIG_SERVER_MODE=False", NULL, NULL,
	 "every server it holds (desktop mode: no login)", "PGADMIN_DEFAULT_PASSWORD=~known",
	 "a password everyone knows as its first administrator's (PGADMIN_DEFAULT_PASSWORD: admin, changeme, a "
	 "placeholder left as written...): every server it holds, with the passwords it saves, and any SQL on them",
	 NULL},
	/* Backend-as-a-service APIs over a database. Hasura GraphQL Engine without an admin secret
	 * makes every caller its administrator (AMNoAuth): the console (HASURA_GRAPHQL_ENABLE_CONSOLE),
	 * the metadata API and run_sql. A JWT secret, an auth hook or an unauthorized role without an
	 * admin secret stop it at start ("requires --admin-secret (HASURA_GRAPHQL_ADMIN_SECRET) or
	 * --access-key (HASURA_GRAPHQL_ACCESS_KEY) to be set", Hasura.Server.Auth): not open. Its
	 * manifests' commented example secret, myadminsecretkey, is a secret everyone knows.
	 * PostgREST runs an anonymous request as PGRST_DB_ANON_ROLE: the role it connects as (the user
	 * of PGRST_DB_URI, written alike: a literal or the same ${VAR}) or the image's superuser gives
	 * anyone that role's rights over the exposed schemas; a role of its own (web_anon) is the
	 * documented public role, whose grants are the database's (not read) */
	{"hasura/graphql-engine", "Hasura GraphQL Engine", {8080}, 3, NULL, NULL,
	 "HASURA_GRAPHQL_ADMIN_SECRET|HASURA_GRAPHQL_ADMIN_SECRETS|HASURA_GRAPHQL_ACCESS_KEY|--admin-secret|"
	 "--access-key|HASURA_GRAPHQL_JWT_SECRET|HASURA_GRAPHQL_JWT_SECRETS|HASURA_GRAPHQL_AUTH_HOOK|"
	 "HASURA_GRAPHQL_UNAUTHORIZED_ROLE|--jwt-secret|--auth-hook|--unauthorized-role",
	 "no admin secret: every caller is admin, with its console, the metadata API and run_sql (any SQL on its "
	 "databases, as the role its database URL connects as)",
	 "HASURA_GRAPHQL_ADMIN_SECRET=myadminsecretkey|HASURA_GRAPHQL_ADMIN_SECRET=~known",
	 "an admin secret everyone knows (HASURA_GRAPHQL_ADMIN_SECRET: myadminsecretkey, its manifests' example, "
	 "or admin, changeme...): every caller who sends it is admin, with the metadata API and run_sql",
	 NULL},
	{"postgrest/postgrest", "PostgREST API", {3000}, 3, "PGRST_DB_ANON_ROLE==PGRST_DB_URI.user|PGRST_DB_ANON_ROLE=postgres",
	 NULL, NULL,
	 "every table, view and function of its exposed schemas that the role it connects as owns or is granted, "
	 "read and written with no token: anonymous requests run as that role (PGRST_DB_ANON_ROLE is the user of "
	 "PGRST_DB_URI, or postgres)",
	 NULL, NULL, NULL},
	{"adminer", "Adminer", {8080}, 1, NULL, NULL, NULL, "a database client open to anyone, to sign in to every database its network reaches", NULL, NULL, NULL},
	/* IoT stacks. Node-RED's editor asks for no login unless its settings.js sets adminAuth (read
	 * by iot.c: "adminAuth", "?adminAuth" when a mounted directory may hold one the inputs do not);
	 * EMQX's dashboard starts with admin/public unless the environment sets its password;
	 * Zigbee2MQTT's frontend asks for nothing without frontend.auth_token (its configuration.yaml,
	 * iot.c, or the environment) */
	{"nodered/node-red|node-red|nodered/node-red-docker", "Node-RED", {1880}, 3, NULL, NULL, "adminAuth",
	 "editing and deploying flows, whose function and exec nodes run any code in the container, and every "
	 "credential its flows hold", NULL, NULL, NULL},
	{"emqx/emqx|emqx|emqx/emqx-enterprise|emqx/emqx-ee", "EMQX dashboard", {18083}, 3, TM_CONSOLE_NEVER, NULL, NULL, "",
	 "!EMQX_DASHBOARD__DEFAULT_PASSWORD&!EMQX_DASHBOARD__DEFAULT_USER__PASSWORD|"
	 "EMQX_DASHBOARD__DEFAULT_PASSWORD=public|EMQX_DASHBOARD__DEFAULT_USER__PASSWORD=public|"
	 "EMQX_DASHBOARD__DEFAULT_PASSWORD=~known|EMQX_DASHBOARD__DEFAULT_USER__PASSWORD=~known",
	 "admin/public when no dashboard password is set (EMQX_DASHBOARD__DEFAULT_PASSWORD), or one everyone knows: "
	 "every client and "
	 "subscription, its authentication and authorization settings, and rules and bridges that send messages "
	 "anywhere", NULL},
	{"koenkk/zigbee2mqtt|zigbee2mqtt", "Zigbee2MQTT", {8080}, 3, NULL, NULL,
	 "ZIGBEE2MQTT_CONFIG_FRONTEND_AUTH_TOKEN|frontend.auth_token|frontend=off",
	 "permitting devices to join the Zigbee network, controlling every device (locks, switches, sensors) and "
	 "changing its configuration", NULL, NULL, NULL},
};

/*
 * Workflow and data-orchestration engines, whose users run code: each product's documentation says
 * what decides its login.
 *
 * Apache NiFi's image (apache/nifi) serves HTTPS with single-user authentication from 1.14: the
 * credentials random unless SINGLE_USER_CREDENTIALS_USERNAME and _PASSWORD give them (a password
 * under 12 characters is refused and random ones made, so no word of the known-password list can
 * stand: only the README's example password is one everyone knows). NIFI_WEB_HTTP_PORT set makes
 * start.sh clear the HTTPS port and the login identity provider: plain HTTP, no login, the
 * single-user credentials ignored; so was the image's default before 1.14 (HTTP on 8080). AUTH=tls,
 * ldap or oidc runs secure.sh (a login). NiFi Registry's image serves plain HTTP on 18080 unless
 * AUTH=tls or ldap.
 *
 * Apache Airflow 1.10 has no login unless [webserver] authenticate or rbac is on (puckel's image
 * leaves both off); from 2.0 the web server always asks for one, and the users are those its
 * entrypoint creates from _AIRFLOW_WWW_USER_* (the official compose file's airflow-init, which the
 * web server depends on: tm_console_setting_shared), airflow/airflow by that file's defaults; the
 * REST API asks for nothing when [api] auth_backends holds airflow.api.auth.backend.default, and
 * Airflow 3's simple auth manager makes every visitor an administrator under
 * simple_auth_manager_all_admins. The image runs many commands: the web server is `webserver`
 * (`api-server` from 3.0).
 *
 * n8n from 1.0 always has user management: a fresh instance's owner sign-up is open to whoever
 * reaches it first, and the files cannot show whether an owner exists, so the instance is assumed
 * fresh (said), medium: an instance in use asks for its owner's login; before 1.0 (high) its owner
 * setup could be skipped, leaving no login, unless N8N_BASIC_AUTH_ACTIVE guarded it. Its queue
 * workers and webhook processors (`worker`, `webhook`) serve no editor.
 *
 * Temporal's server images (temporalio/auto-setup, temporalio/server) render their configuration
 * from the environment: no authorizer nor claim mapper (TEMPORAL_AUTH_AUTHORIZER,
 * TEMPORAL_AUTH_CLAIM_MAPPER: Temporal's nop authorizer then admits every call) and no client
 * certificates required (TEMPORAL_TLS_REQUIRE_CLIENT_AUTH) leave its frontend's gRPC (7233) and
 * HTTP (7243) APIs open; a configuration template mounted over the image's is not read.
 *
 * Prefect's open-source server (`prefect server start`) asks for nothing unless
 * PREFECT_SERVER_API_AUTH_STRING gives it basic authentication ("admin:pass" is its documentation's
 * example); Dagster's webserver (`dagster-webserver`, formerly `dagit`, or `dagster dev`) has no
 * authentication, and launches runs unless started --read-only. Both run from images of the
 * project's own as often as from their vendors': known by their command lines.
 */
static const tm_console ENGINES[] = {
	/* repositories, product, ports, severity, when, high_when, unless, does, default_login, default_does,
	 * high_does */
	{"apache/nifi", "Apache NiFi", {8443, 8080}, 3,
	 "NIFI_WEB_HTTP_PORT&AUTH!=tls&AUTH!=ldap&AUTH!=oidc|@<1.14&AUTH!=tls&AUTH!=ldap&AUTH!=oidc", NULL, NULL,
	 "designing and starting flows, whose ExecuteScript and ExecuteStreamCommand processors run any code in the "
	 "container, every flow's data and the credentials its controller services hold (plain HTTP: "
	 "NIFI_WEB_HTTP_PORT set, or an image before 1.14, asks for no login)",
	 "SINGLE_USER_CREDENTIALS_PASSWORD=ctsBtRBKHRAx69EqUghvvgEvjnaLjFEB",
	 "the single-user password of NiFi's own README (SINGLE_USER_CREDENTIALS_PASSWORD): designing and starting "
	 "flows, whose ExecuteScript and ExecuteStreamCommand processors run any code in the container",
	 NULL},
	{"apache/nifi-registry", "NiFi Registry", {18080}, 2, "AUTH!=tls&AUTH!=ldap", NULL, NULL,
	 "reading, changing and deleting every versioned flow and bucket, which the NiFi instances using it "
	 "import and run (plain HTTP, no AUTH)",
	 NULL, NULL, NULL},
	{"apache/airflow", "Apache Airflow", {8080}, 3,
	 "@<2&AIRFLOW__WEBSERVER__AUTHENTICATE!=true&AIRFLOW__WEBSERVER__RBAC!=true|AIRFLOW__API__AUTH_BACKENDS=default|"
	 "AIRFLOW__API__AUTH_BACKEND=default|AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=true",
	 NULL, NULL,
	 "triggering and clearing every DAG, whose tasks run code on its workers, and reading and editing every "
	 "Connection and Variable with the credentials they hold (no login: Airflow 1.10 without authenticate nor "
	 "rbac, the REST API's auth backend `default`, or Airflow 3's simple auth manager with all admins)",
	 "_AIRFLOW_WWW_USER_CREATE&_AIRFLOW_WWW_USER_CREATE!=&_AIRFLOW_WWW_USER_PASSWORD=airflow|"
	 "_AIRFLOW_WWW_USER_CREATE&_AIRFLOW_WWW_USER_CREATE!=&_AIRFLOW_WWW_USER_PASSWORD=~known",
	 "its web user's password airflow (the official compose file's default) or one everyone knows "
	 "(_AIRFLOW_WWW_USER_PASSWORD): triggering every DAG, whose tasks run code on its workers, and every "
	 "Connection and Variable with the credentials they hold",
	 NULL},
	{"puckel/docker-airflow", "Apache Airflow", {8080}, 3,
	 "AIRFLOW__WEBSERVER__AUTHENTICATE!=true&AIRFLOW__WEBSERVER__RBAC!=true", NULL, NULL,
	 "triggering and clearing every DAG, whose tasks run code on its workers, and reading and editing every "
	 "Connection and Variable with the credentials they hold (Airflow 1.10 as puckel's image runs it: "
	 "authenticate and rbac off)",
	 NULL, NULL, NULL},
	{"n8nio/n8n", "n8n", {5678}, 2, NULL, "@<1", "@<1&N8N_BASIC_AUTH_ACTIVE=true",
	 "setting up its owner account if nobody has (assumed a fresh instance, as the files cannot show whether "
	 "an owner exists: its owner sign-up is open to whoever reaches it first), then editing and running "
	 "workflows, whose Code and Execute Command nodes run any code in the container, with every credential "
	 "they hold",
	 NULL, NULL,
	 "before 1.0, without N8N_BASIC_AUTH_ACTIVE, no login at all where the owner setup was skipped"},
	{"temporalio/auto-setup|temporalio/server", "Temporal server", {7233, 7243}, 3, NULL, NULL,
	 "TEMPORAL_AUTH_AUTHORIZER&TEMPORAL_AUTH_AUTHORIZER!=|TEMPORAL_AUTH_CLAIM_MAPPER&TEMPORAL_AUTH_CLAIM_MAPPER!=|"
	 "TEMPORAL_TLS_REQUIRE_CLIENT_AUTH=true|/etc/temporal/config",
	 "starting, signalling and terminating every workflow, reading their inputs and results, and registering "
	 "namespaces through its frontend API (no authorizer nor client certificates: every call admitted)",
	 NULL, NULL, NULL},
	{"", "Prefect server", {4200}, 3, NULL, NULL, "PREFECT_SERVER_API_AUTH_STRING",
	 "creating and running deployments, whose flows run code where its workers run them, and every run's "
	 "parameters and logs and the credentials its blocks hold (no PREFECT_SERVER_API_AUTH_STRING)",
	 "PREFECT_SERVER_API_AUTH_STRING=admin:pass",
	 "admin:pass, the example of Prefect's documentation, as its basic-authentication string: creating and "
	 "running deployments, whose flows run code where its workers run them",
	 NULL},
	{"", "Dagster webserver", {3000}, 2, NULL, "!--read-only", NULL,
	 "every run, asset, schedule and their logs (Dagster's webserver has no authentication)", NULL, NULL,
	 "launching runs of every job, which run code where its run launcher starts them, and turning schedules "
	 "and sensors on and off (not started --read-only)"},
};

/*
 * Model-serving APIs (TM-MESH-014), read as the consoles are. Each default is the product's own
 * documentation's: Ollama has no authentication at all; vLLM's OpenAI-compatible server asks for a
 * key only with --api-key or VLLM_API_KEY (and then only under /v1); Text Generation Inference with
 * API_KEY (--api-key); LocalAI with API_KEY; Triton has none of its own (its model repository API
 * loads models under --model-control-mode=explicit); TorchServe asks for a token by default since
 * 0.11 (--disable-token-auth or TS_DISABLE_TOKEN_AUTHORIZATION turns it off) and registers models,
 * whose handlers are Python it runs, only with the model API on; Ray's dashboard job API and Ray
 * Client run any code and have no authentication; the LiteLLM proxy admits anyone without a master
 * key, and sk-1234 is the one its documentation shows; Open WebUI without WEBUI_AUTH has no login,
 * and otherwise makes its first account the administrator; Xinference asks for nothing without
 * --auth-config. An older image whose defaults were weaker (TorchServe before 0.11) is judged by
 * today's: the tag is not read.
 */
static const tm_console MODEL_SERVERS[] = {
	/* repositories, product, ports, severity, when, high_when, unless, does, default_login, default_does, high_does */
	{"ollama/ollama|ollama", "Ollama", {11434}, 3, NULL, NULL, NULL,
	 "pulling, copying and deleting models and running any of them on its GPUs, and every prompt sent to it "
	 "(Ollama asks no one for credentials)", NULL, NULL, NULL},
	{"vllm/vllm-openai|vllm-openai", "vLLM", {8000}, 2, NULL,
	 "VLLM_ALLOW_RUNTIME_LORA_UPDATING=true", "VLLM_API_KEY|--api-key",
	 "running inference on the models it serves, on its GPUs (no --api-key nor VLLM_API_KEY)", NULL, NULL,
	 "loading LoRA adapters from any path or Hub repository into the running server "
	 "(VLLM_ALLOW_RUNTIME_LORA_UPDATING)"},
	{"huggingface/text-generation-inference|text-generation-inference", "Text Generation Inference", {80, 8080}, 2,
	 NULL, NULL, "API_KEY|--api-key", "running inference on the model it serves, on its GPUs (no API_KEY)", NULL,
	 NULL, NULL},
	{"localai/localai|go-skynet/local-ai|mudler/localai", "LocalAI", {8080}, 3, NULL, NULL, "API_KEY|LOCALAI_API_KEY",
	 "installing models from its galleries or any URL, deleting them and running them (no API_KEY)", NULL, NULL,
	 NULL},
	{"nvidia/tritonserver|tritonserver", "NVIDIA Triton", {8000, 8001}, 2, NULL,
	 "--model-control-mode=explicit", NULL,
	 "running inference on every model of its repository (Triton has no authentication of its own)", NULL, NULL,
	 "loading and unloading models through its model repository API (--model-control-mode=explicit)"},
	{"pytorch/torchserve|torchserve", "TorchServe", {8080, 8081}, 2,
	 "--disable-token-auth|TS_DISABLE_TOKEN_AUTHORIZATION=true", "--enable-model-api|TS_ENABLE_MODEL_API=true", NULL,
	 "running inference on every model it serves (token authorization off)", NULL, NULL,
	 "registering models from any URL through its management API, whose handlers are Python it runs "
	 "(the model API on)"},
	{"rayproject/ray|rayproject/ray-ml|rayproject/ray-llm", "Ray", {8265, 10001}, 3, NULL, NULL, NULL,
	 "submitting jobs that run any code on the cluster, through the dashboard's job API or Ray Client "
	 "(Ray has no authentication)", NULL, NULL, NULL},
	{"berriai/litellm|berriai/litellm-database|berriai/litellm-non_root", "LiteLLM proxy", {4000}, 3, NULL, NULL,
	 "LITELLM_MASTER_KEY|general_settings.master_key",
	 "every model it routes to, on the provider keys it holds, and its management API: adding models and "
	 "making keys (no master key)",
	 "general_settings.master_key=sk-1234|!general_settings.master_key&LITELLM_MASTER_KEY=sk-1234",
	 "sk-1234 as its master key, the example of LiteLLM's documentation: its administrator's key, so every "
	 "virtual key, team and model, and the provider credentials behind them", NULL},
	{"open-webui/open-webui", "Open WebUI", {8080}, 2, NULL, NULL, NULL,
	 "signing up as its administrator if nobody has yet (its first account is the administrator's), then "
	 "every model connection with its API keys, and Python run on the server through Functions and Tools",
	 "WEBUI_AUTH=false",
	 "no login at all (WEBUI_AUTH=False): every visitor is its administrator, with every model connection and "
	 "its API keys, and Python run on the server through Functions and Tools", NULL},
	{"xprobe/xinference", "Xinference", {9997}, 3, NULL, NULL, "--auth-config",
	 "launching any model from the hubs it reaches, running and terminating them (no --auth-config)", NULL, NULL,
	 NULL},
};

/*
 * The environment settings the table reads, sorted (bsearch); value: whether the value is kept (a
 * flag compared with = or !=) or only that it is set (credentials: their values never reach the
 * model). test_console.c checks that every key of the table is here, with the right kind.
 */
static const struct {
	const char *key;
	int value;
} ENV_KEYS[] = {
	/* command-line flags (tm_console_flag_items), then settings, then a configuration file's keys
	 * (general_settings.master_key: LiteLLM's config.yaml, appconfig.c) */
	{"--access-key", 0},
	{"--admin-secret", 0},
	{"--api-key", 0},
	{"--auth-config", 0},
	{"--auth-hook", 0},
	{"--auth-mode", 1},
	{"--dev", 0},
	{"--disable-token-auth", 0},
	{"--enable-model-api", 0},
	{"--jwt-secret", 0},
	{"--model-control-mode", 1},
	{"--port", 1},
	{"--unauthorized-role", 0},
	{"--web.config.file", 0},
	{"--web.enable-admin-api", 0},
	{"--web.enable-lifecycle", 0},
	{"ADMINER_DEFAULT_SERVER", 0},
	{"AKHQ_CONFIGURATION", 1},
	{"API_KEY", 0},
	{"AUTHENTICATION_JWTSIGNINGKEY", 0},
	{"AUTHENTIK_BOOTSTRAP_PASSWORD", 0},
	{"AUTH_TYPE", 1},
	{"CASC_JENKINS_CONFIG", 0},
	{"CONNECT_REST_EXTENSION_CLASSES", 0},
	{"CONTROL_CENTER_REST_AUTHENTICATION_METHOD", 1},
	{"DAPR_API_TOKEN", 0},
	{"DISABLE_SECURITY_DASHBOARDS_PLUGIN", 1},
	{"DRONE_OPEN", 1},
	{"DRONE_REGISTRATION_CLOSED", 1},
	{"DRONE_USER_FILTER", 0},
	{"ELASTICSEARCH_PASSWORD", 0},
	{"ELASTICSEARCH_SERVICEACCOUNTTOKEN", 0},
	{"ELASTICSEARCH_USERNAME", 0},
	{"EMQX_DASHBOARD__DEFAULT_PASSWORD", 0},
	{"EMQX_DASHBOARD__DEFAULT_USER__PASSWORD", 0},
	{"FLOWER_AUTH", 0},
	{"FLOWER_BASIC_AUTH", 0},
	{"FLOWER_OAUTH2_KEY", 0},
	{"FORGEJO__security__INSTALL_LOCK", 1},
	{"FTLCONF_webserver_api_password", 0},
	{"GF_AUTH_ANONYMOUS_ENABLED", 1},
	{"GF_AUTH_ANONYMOUS_ORG_ROLE", 1},
	{"GF_SECURITY_ADMIN_PASSWORD", 0},
	{"GF_SECURITY_ADMIN_PASSWORD__FILE", 0},
	{"GITEA__security__INSTALL_LOCK", 1},
	{"GITLAB_OMNIBUS_CONFIG", 1},
	{"GITLAB_ROOT_PASSWORD", 0},
	{"HASURA_GRAPHQL_ACCESS_KEY", 0},
	{"HASURA_GRAPHQL_ADMIN_SECRET", 0},
	{"HASURA_GRAPHQL_ADMIN_SECRETS", 0},
	{"HASURA_GRAPHQL_AUTH_HOOK", 0},
	{"HASURA_GRAPHQL_JWT_SECRET", 0},
	{"HASURA_GRAPHQL_JWT_SECRETS", 0},
	{"HASURA_GRAPHQL_UNAUTHORIZED_ROLE", 0},
	{"HTTP_PASSWORD", 0},
	{"HTTP_PASSWORD_FILE", 0},
	{"HTTP_PASSWORD_HASH", 0},
	{"HTTP_PASSWORD_HASH_FILE", 0},
	{"INSTALL_LOCK", 1},
	{"JAVA_OPTS", 1},
	{"KAFKA_REST_AUTHENTICATION_METHOD", 0},
	{"KC_BOOTSTRAP_ADMIN_PASSWORD", 0},
	{"KEYCLOAK_ADMIN_PASSWORD", 0},
	{"KEYCLOAK_PASSWORD", 0},
	{"KIBANA_SYSTEM_PASSWORD", 0},
	{"KSQL_AUTHENTICATION_METHOD", 1},
	{"KSQL_KSQL_AUTHENTICATION_PLUGIN_CLASS", 0},
	{"KSQL_SSL_CLIENT_AUTHENTICATION", 1},
	{"LITELLM_MASTER_KEY", 0},
	{"LOCALAI_API_KEY", 0},
	{"LOCUST_WEB_AUTH", 0},
	{"LOCUST_WEB_LOGIN", 0},
	{"LOGIN_ENABLED", 1},
	{"MAILDEV_WEB_PASS", 0},
	{"MAILDEV_WEB_USER", 0},
	{"ME_CONFIG_BASICAUTH", 1},
	{"ME_CONFIG_BASICAUTH_PASSWORD", 0},
	{"ME_CONFIG_BASICAUTH_PASSWORD_FILE", 0},
	{"ME_CONFIG_BASICAUTH_USERNAME", 0},
	{"ME_CONFIG_BASICAUTH_USERNAME_FILE", 0},
	{"MH_AUTH_FILE", 0},
	{"MICRONAUT_SECURITY_ENABLED", 1},
	{"MP_UI_AUTH", 0},
	{"MP_UI_AUTH_FILE", 0},
	{"NACOS_AUTH_ENABLE", 1},
	{"PGADMIN_CONFIG_SERVER_MODE", 1},
	{"PGADMIN_DEFAULT_PASSWORD", 0},
	{"PGRST_DB_ANON_ROLE", 1},
	{"PGRST_DB_URI", 0},
	{"PMA_ARBITRARY", 1},
	{"PMA_HOST", 0},
	{"PMA_HOSTS", 0},
	{"PMA_PASSWORD", 0},
	{"PMA_USER", 0},
	{"SEQ_FIRSTRUN_ADMINPASSWORD", 0},
	{"SEQ_FIRSTRUN_ADMINPASSWORDHASH", 0},
	{"SEQ_FIRSTRUN_NOAUTHENTICATION", 1},
	{"SERVE_ADMIN_PORT", 1},
	{"SERVE_WRITE_PORT", 1},
	{"TEMPORAL_AUTH_ENABLED", 1},
	{"TS_DISABLE_TOKEN_AUTHORIZATION", 1},
	{"TS_ENABLE_MODEL_API", 1},
	{"VLLM_ALLOW_RUNTIME_LORA_UPDATING", 1},
	{"VLLM_API_KEY", 0},
	{"WEBPASSWORD", 0},
	{"WEBUI_AUTH", 1},
	{"WOODPECKER_OPEN", 1},
	{"WOODPECKER_ORGS", 0},
	{"ZIGBEE2MQTT_CONFIG_FRONTEND_AUTH_TOKEN", 0},
	{"adguard.users", 1},
	{"adminAuth", 0},
	{"frontend", 1},
	{"frontend.auth_token", 0},
	{"general_settings.master_key", 0},
	{"jenkins.install.runSetupWizard", 1},
	{"start-dev", 0},
};

/* Where a console reads a configuration file of its own (a mount there may set its login: not read,
 * so the finding is not made), named as conditions' "/path" terms; sorted as ENV_KEYS. */
static const char *const MOUNTS[] = {"/app/application.yml",
				     "/opt/adguardhome/conf",
				     "/usr/share/jenkins/ref/casc",
				     "/usr/share/jenkins/ref/init.groovy.d",
				     "/usr/share/kibana/config",
				     "/var/jenkins_home/casc_configs",
				     "/var/jenkins_home/init.groovy.d",
				     "/var/jenkins_home/jenkins.yaml"};

/* The settings and flags the engines' rows read (ENGINES), sorted as ENV_KEYS; known: a
 * credential's value kept when it is this default everyone knows (KNOWN_DEFAULTS' kind). */
static const struct {
	const char *key;
	int value;
	const char *known;
} ENGINE_KEYS[] = {
	{"--auth", 0, NULL},
	{"--basic-auth", 0, NULL},
	{"--basic_auth", 0, NULL},
	{"--read-only", 0, NULL},
	{"AIRFLOW__API__AUTH_BACKEND", 1, NULL},
	{"AIRFLOW__API__AUTH_BACKENDS", 1, NULL},
	{"AIRFLOW__CELERY__FLOWER_BASIC_AUTH", 0, NULL},
	{"AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS", 1, NULL},
	{"AIRFLOW__WEBSERVER__AUTHENTICATE", 1, NULL},
	{"AIRFLOW__WEBSERVER__RBAC", 1, NULL},
	{"AUTH", 1, NULL},
	{"FRONTEND_GRPC_PORT", 1, NULL},
	{"N8N_BASIC_AUTH_ACTIVE", 1, NULL},
	{"NIFI_REGISTRY_WEB_HTTP_PORT", 1, NULL},
	{"NIFI_WEB_HTTPS_PORT", 1, NULL},
	{"NIFI_WEB_HTTP_PORT", 1, NULL},
	{"PREFECT_SERVER_API_AUTH_STRING", 0, "admin:pass"},
	{"SINGLE_USER_CREDENTIALS_PASSWORD", 0, "ctsBtRBKHRAx69EqUghvvgEvjnaLjFEB"},
	{"TEMPORAL_AUTH_AUTHORIZER", 1, NULL},
	{"TEMPORAL_AUTH_CLAIM_MAPPER", 1, NULL},
	{"TEMPORAL_TLS_REQUIRE_CLIENT_AUTH", 1, NULL},
	{"_AIRFLOW_WWW_USER_CREATE", 1, NULL},
	{"_AIRFLOW_WWW_USER_PASSWORD", 0, "airflow"},
};

/* Where an engine reads a configuration of its own, as MOUNTS, but matched exactly: Temporal's
 * configuration directory (its dynamicconfig/ beneath, mounted by the project's own compose file,
 * sets no login) and its template. */
static const char *const ENGINE_MOUNTS[] = {"/etc/temporal/config", "/etc/temporal/config/config_template.yaml"};

/* ENGINE_KEYS' entry of key, or -1. */
static int engine_key(const char *key)
{
	size_t lo = 0, hi = TM_ARRAY_LEN(ENGINE_KEYS);
	while (key && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, ENGINE_KEYS[mid].key);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* The item of an engine's setting whose value is summarised or kept only in part, in a, or NULL
 * when the table's general reading applies: NiFi's AUTH (any service may set an AUTH: its value kept
 * only when it is a mode NiFi knows), Airflow's auth backends (a list: whether it holds the
 * `default` backend, which admits everyone), a NiFi password under 12 characters (refused: NiFi makes
 * random credentials, so it is as if none were given). */
static const char *engine_env_item(tm_arena *a, const char *key, const char *value)
{
	if (!value)
		return NULL;
	if (strcmp(key, "AUTH") == 0)
		return strcasecmp(value, "tls") == 0 || strcasecmp(value, "ldap") == 0 || strcasecmp(value, "oidc") == 0
			       ? tm_arena_printf(a, "AUTH=%s", value)
			       : "AUTH";
	if (strcmp(key, "AIRFLOW__API__AUTH_BACKENDS") == 0 || strcmp(key, "AIRFLOW__API__AUTH_BACKEND") == 0) {
		bool open = false;
		for (const char *p = value; *p && !open;) {
			p += strspn(p, " ,");
			size_t n = strcspn(p, " ,");
			static const char dflt[] = "airflow.api.auth.backend.default";
			open = n == sizeof(dflt) - 1 && strncmp(p, dflt, n) == 0;
			p += n;
		}
		return tm_arena_printf(a, "%s=%s", key, open ? "default" : "checked");
	}
	if (strcmp(key, "SINGLE_USER_CREDENTIALS_PASSWORD") == 0 && strlen(value) < 12)
		return key;
	return NULL;
}

size_t tm_console_count(void) { return TM_ARRAY_LEN(CONSOLES) + TM_ARRAY_LEN(ENGINES) + TM_ARRAY_LEN(MODEL_SERVERS); }
const tm_console *tm_console_at(size_t i)
{
	if (i < TM_ARRAY_LEN(CONSOLES))
		return &CONSOLES[i];
	i -= TM_ARRAY_LEN(CONSOLES);
	if (i < TM_ARRAY_LEN(ENGINES))
		return &ENGINES[i];
	i -= TM_ARRAY_LEN(ENGINES);
	return i < TM_ARRAY_LEN(MODEL_SERVERS) ? &MODEL_SERVERS[i] : NULL;
}

bool tm_console_model_server(const tm_console *k)
{
	return k && k >= MODEL_SERVERS && k < MODEL_SERVERS + TM_ARRAY_LEN(MODEL_SERVERS);
}

int tm_console_env_kind(const char *key)
{
	for (size_t i = 0; key && key[0] == '/' && i < TM_ARRAY_LEN(MOUNTS); i++)
		if (strcmp(key, MOUNTS[i]) == 0)
			return TM_CONSOLE_ENV_SET;
	for (size_t i = 0; key && key[0] == '/' && i < TM_ARRAY_LEN(ENGINE_MOUNTS); i++)
		if (strcmp(key, ENGINE_MOUNTS[i]) == 0)
			return TM_CONSOLE_ENV_SET;
	int e = engine_key(key);
	if (e >= 0)
		return ENGINE_KEYS[e].value ? TM_CONSOLE_ENV_VALUE : TM_CONSOLE_ENV_SET;
	size_t lo = 0, hi = TM_ARRAY_LEN(ENV_KEYS);
	while (key && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, ENV_KEYS[mid].key);
		if (c == 0)
			return ENV_KEYS[mid].value ? TM_CONSOLE_ENV_VALUE : TM_CONSOLE_ENV_SET;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return TM_CONSOLE_ENV_NONE;
}

/* Secret settings whose value is kept only when it is the image's own default, a password everyone
 * knows ("GF_SECURITY_ADMIN_PASSWORD=admin"), or empty, no password at all ("WEBPASSWORD="); any
 * other value stays unsaid. */
static const struct {
	const char *key, *value;
} KNOWN_DEFAULTS[] = {{"EMQX_DASHBOARD__DEFAULT_PASSWORD", "public"},
		      {"EMQX_DASHBOARD__DEFAULT_USER__PASSWORD", "public"},
		      {"GF_SECURITY_ADMIN_PASSWORD", "admin"},
		      {"HASURA_GRAPHQL_ADMIN_SECRET", "myadminsecretkey"},
		      {"KC_BOOTSTRAP_ADMIN_PASSWORD", "admin"},
		      {"KEYCLOAK_ADMIN_PASSWORD", "admin"},
		      {"KEYCLOAK_PASSWORD", "admin"},
		      {"LITELLM_MASTER_KEY", "sk-1234"},
		      {"ME_CONFIG_BASICAUTH_PASSWORD", "pass"},
		      {"FTLCONF_webserver_api_password", ""},
		      {"GITLAB_ROOT_PASSWORD", ""},
		      {"WEBPASSWORD", ""},
		      {"general_settings.master_key", "sk-1234"}};

/* The passwords everyone knows: the placeholders a shipped .env or compose file leaves for the user to
 * change (docker-elk's 'changeme'), Java's keystore default, and the first words anyone tries. One
 * list for the consoles' administrator passwords ("KEY=~known") and the data stores'
 * (tm_stores__known_password); a product's own default (EMQX's public) is its entry above. The
 * placeholders TM-SEC-003 does not take for a credential (changePassword, SuperSecretKeyChangeThis:
 * tm_ingest__not_a_value, a room above) join it where ingest reads a setting: a store's password
 * (tm_stores__known_password) and a console's, kept as "KEY=~known" (tm_console_env_item_known). */
static const char *const KNOWN_PASSWORDS[] = {"admin",	  "admin123", "administrator", "change-me", "change_me",
					      "changeit", "changeme", "letmein",       "passw0rd",  "password",
					      "password1", "password123", "qwerty",  "root",	     "secret",
					      "123456",	  "12345678"};

bool tm_console_known_password(const char *v)
{
	for (size_t i = 0; v && i < TM_ARRAY_LEN(KNOWN_PASSWORDS); i++)
		if (strcasecmp(v, KNOWN_PASSWORDS[i]) == 0)
			return true;
	return false;
}

/* Is key a password setting ("...PASSWORD" in any case, "..._PASS", Hasura's "...ADMIN_SECRET", not a
 * file's path nor a hash), whose value is kept when it is one everyone knows? */
static bool password_key(const char *key)
{
	size_t n = strlen(key);
	bool pass = tm_strcasecontains(key, "PASSWORD") || (n > 5 && strcmp(key + n - 5, "_PASS") == 0) ||
		    strstr(key, "ADMIN_SECRET");
	return pass && !(n > 5 && strcmp(key + n - 5, "_FILE") == 0) && !strstr(key, "HASH");
}

/* The user a PostgreSQL connection string connects as: a URI's userinfo before its password
 * (postgres://USER:pass@host/db, written as it is: "${POSTGRES_USER}" stays so), or a keyword
 * string's user=USER; its length in *len, NULL when it names none (libpq then takes PGUSER or
 * the operating system's user: not known here). */
static const char *pg_user(const char *uri, size_t *len)
{
	*len = 0;
	const char *p = strstr(uri, "://");
	if (p && (strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0)) {
		p += 3;
		size_t auth = strcspn(p, "/?#");
		const char *at = NULL; /* the authority's last '@': a password may hold one */
		for (const char *q = p; q < p + auth; q++)
			if (*q == '@')
				at = q;
		if (!at)
			return NULL;
		/* the user ends at the first ':' outside a ${...} (its ${VAR:-default} holds one) */
		size_t n = 0;
		for (int depth = 0; p + n < at && (depth || p[n] != ':'); n++)
			depth += p[n] == '{' ? 1 : p[n] == '}' && depth ? -1 : 0;
		*len = n;
		return n ? p : NULL;
	}
	for (const char *w = uri; *w;) { /* host=db user=app password=... */
		w += strspn(w, " \t");
		size_t n = strcspn(w, " \t");
		if (n > 5 && strncmp(w, "user=", 5) == 0) {
			*len = n - 5;
			return w + 5;
		}
		w += n;
	}
	return NULL;
}

/* Does AKHQ's configuration (YAML given whole in AKHQ_CONFIGURATION) enable Micronaut security:
 * "micronaut:", then "security:", then "enabled: true"? Only that is kept of it. */
static bool akhq_security(const char *yaml)
{
	const char *m = strstr(yaml, "micronaut:");
	const char *sec = m ? strstr(m, "security:") : NULL;
	const char *en = sec ? strstr(sec, "enabled:") : NULL;
	if (!en)
		return false;
	en += 8;
	en += strspn(en, " \t\"'");
	return strncasecmp(en, "true", 4) == 0;
}

const char *tm_console_env_item(tm_arena *a, const char *key, const char *value)
{
	int kind = tm_console_env_kind(key);
	if (kind == TM_CONSOLE_ENV_NONE)
		return NULL;
	const char *engine = engine_env_item(a, key, value);
	if (engine)
		return engine;
	int e = engine_key(key);
	if (e >= 0 && kind == TM_CONSOLE_ENV_SET && value && ENGINE_KEYS[e].known && strcmp(value, ENGINE_KEYS[e].known) == 0)
		return tm_arena_printf(a, "%s=%s", key, value);
	for (size_t i = 0; kind == TM_CONSOLE_ENV_SET && value && i < TM_ARRAY_LEN(KNOWN_DEFAULTS); i++)
		if (strcmp(key, KNOWN_DEFAULTS[i].key) == 0 && strcmp(value, KNOWN_DEFAULTS[i].value) == 0)
			return tm_arena_printf(a, "%s=%s", key, value);
	if (kind == TM_CONSOLE_ENV_SET && value && password_key(key) && tm_console_known_password(value))
		return tm_arena_printf(a, "%s=%s", key, value);
	/* PostgREST's database URI: the role it connects as, never its password */
	if (value && strcmp(key, "PGRST_DB_URI") == 0) {
		size_t ul = 0;
		const char *user = pg_user(value, &ul);
		return user && ul < 256 ? tm_arena_printf(a, "PGRST_DB_URI.user=%.*s", (int)ul, user) : key;
	}
	if (value && strcmp(key, "AKHQ_CONFIGURATION") == 0) /* a whole YAML document: its one switch */
		return akhq_security(value) ? "AKHQ_CONFIGURATION=security-on" : "AKHQ_CONFIGURATION=security-off";
	/* GitLab's omnibus configuration (Ruby, other passwords in it too): whether it sets root's */
	if (value && strcmp(key, "GITLAB_OMNIBUS_CONFIG") == 0)
		return strstr(value, "initial_root_password") ? "GITLAB_OMNIBUS_CONFIG=initial-root-password"
							      : "GITLAB_OMNIBUS_CONFIG=other";
	/* the JVM's options (a trust store's password may be among them): Jenkins' setup wizard alone */
	if (strcmp(key, "JAVA_OPTS") == 0)
		return value && strstr(value, "-Djenkins.install.runSetupWizard=false") ? "jenkins.install.runSetupWizard=false"
											: NULL;
	return kind == TM_CONSOLE_ENV_VALUE && value ? tm_arena_printf(a, "%s=%s", key, value) : key;
}

const char *tm_console_env_item_known(tm_arena *a, const char *key, const char *value)
{
	if (value && tm_console_env_kind(key) == TM_CONSOLE_ENV_SET && password_key(key) && !tm_console_known_password(value))
		return tm_arena_printf(a, "%s=" TM_CONSOLE_KNOWN, key);
	return tm_console_env_item(a, key, value);
}

const char *tm_console_mount_item(tm_arena *a, const char *target)
{
	size_t n = target ? strcspn(target, ":") : 0; /* compose's "DST:ro,Z" */
	while (n > 1 && target[n - 1] == '/')
		n--;
	for (size_t i = 0; n && i < TM_ARRAY_LEN(MOUNTS); i++) {
		size_t l = strlen(MOUNTS[i]);
		if (n >= l && strncmp(target, MOUNTS[i], l) == 0 && (n == l || target[l] == '/'))
			return tm_arena_strndup(a, target, n);
	}
	for (size_t i = 0; n && i < TM_ARRAY_LEN(ENGINE_MOUNTS); i++)
		if (strlen(ENGINE_MOUNTS[i]) == n && strncmp(target, ENGINE_MOUNTS[i], n) == 0)
			return tm_arena_strndup(a, target, n);
	return NULL;
}

/* AdGuard Home's AdGuardHome.yaml: a `users:` list that is empty, null or absent leaves its web
 * interface without a login ("adguard.users=empty"); one with users asks for theirs. */
static const char *adguard_users(const tm_value *root)
{
	if (tm_value_kind_of(root) != TM_VALUE_MAP)
		return NULL;
	const tm_value *u = tm_map_get(root, "users");
	if (!u || (tm_value_kind_of(u) == TM_VALUE_SCALAR && tm_scalar_type_of(u) == TM_SCALAR_NULL))
		return "adguard.users=empty";
	if (tm_value_kind_of(u) != TM_VALUE_SEQ)
		return NULL;
	return tm_value_len(u) ? "adguard.users=listed" : "adguard.users=empty";
}

/* The configuration files of consoles that are read, where the image reads them, and what of them. */
static const struct {
	const char *path;
	const char *(*item)(const tm_value *root);
} FILES[] = {{"/opt/adguardhome/conf/AdGuardHome.yaml", adguard_users}};

/* The FILES entry of a container path (a doubled or trailing slash ignored), or -1. */
static int file_entry(const char *path)
{
	for (size_t i = 0; path && i < TM_ARRAY_LEN(FILES); i++) {
		const char *p = path, *f = FILES[i].path;
		while (*p && *f) {
			if (*p == '/' && p[1] == '/') {
				p++;
				continue;
			}
			if (*p != *f)
				break;
			p++, f++;
		}
		while (*p == '/')
			p++;
		if (!*p && !*f)
			return (int)i;
	}
	return -1;
}

bool tm_console_file_read(const char *path) { return file_entry(path) >= 0; }

const char *tm_console_file_item(const char *path, const tm_value *root)
{
	int i = file_entry(path);
	return i >= 0 && root ? FILES[i].item(root) : NULL;
}

const char *tm_console_image_tag(const char *image, size_t *len)
{
	*len = 0;
	if (!image)
		return NULL;
	size_t end = strcspn(image, "@");
	const char *last = image;
	for (const char *p = image; p < image + end; p++)
		if (*p == '/')
			last = p + 1;
	const char *colon = memchr(last, ':', (size_t)(image + end - last));
	if (!colon || colon + 1 >= image + end)
		return NULL;
	*len = (size_t)(image + end - colon - 1);
	return colon + 1;
}

/*
 * Database web clients whose login form is the databases' own: a visitor who reaches one signs in
 * to the database it points at with that database's login, so the database's weakness is the
 * console's. phpMyAdmin's image points at PMA_HOST (PMA_HOSTS), else `db`, and accepts an empty
 * password (its config.inc.php sets AllowNoPassword); PMA_ARBITRARY=1 (compared as the image
 * does, '1' only) adds a server field taking any host. Adminer's form takes any server, prefilled
 * with ADMINER_DEFAULT_SERVER, else `db`; it refuses an empty password (since 4.6.3), so a store
 * open by an empty password (MYSQL_ALLOW_EMPTY_PASSWORD, a MongoDB without users) is not its way
 * in, while PostgreSQL's trust and an Elasticsearch without security admit whatever is typed.
 */
static const tm_db_client DB_CLIENTS[] = {
	{"phpMyAdmin", "mysql", "mysql", "PMA_HOST|PMA_HOSTS", "db", "!PMA_USER|!PMA_PASSWORD", "PMA_ARBITRARY=1"},
	{"Adminer", "mysql postgres mssql oracle mongo elasticsearch clickhouse", "postgres elasticsearch",
	 "ADMINER_DEFAULT_SERVER", "db", NULL, NULL},
};

const tm_db_client *tm_console_db_client(const tm_console *k)
{
	for (size_t i = 0; k && i < TM_ARRAY_LEN(DB_CLIENTS); i++)
		if (strcmp(k->product, DB_CLIENTS[i].product) == 0)
			return &DB_CLIENTS[i];
	return NULL;
}

const char *tm_console_backend(const tm_console *k)
{
	return k && strcmp(k->product, "Kibana") == 0 ? "elasticsearch" : NULL;
}

/* Does the repository path [p, end) end with the components of entry [e, e_end)? */
static bool repo_ends_with(const char *p, const char *end, const char *e, size_t elen)
{
	size_t plen = (size_t)(end - p);
	if (elen > plen || strncmp(end - elen, e, elen) != 0)
		return false;
	return elen == plen || end[-(ptrdiff_t)elen - 1] == '/';
}

/* The repositories of both tables, chained by a hash of their last path component (which an
 * image's must equal for any of them to match), in table order: an image is compared with the few
 * that could match, not every console's. Built once, by whichever thread asks first. */
enum { REPO_MAX = 256, REPO_BUCKETS = 128 };
static struct {
	const char *pat; /* "jaegertracing/all-in-one" */
	size_t plen;
	const tm_console *k;
	int next; /* the next of its bucket, -1 */
} repos[REPO_MAX];
static int repo_head[REPO_BUCKETS];
static bool repos_full; /* more repositories than REPO_MAX: match() compares every one instead */
static pthread_once_t repos_once = PTHREAD_ONCE_INIT;

static unsigned last_hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h % REPO_BUCKETS;
}

static void index_repos(void)
{
	for (size_t b = 0; b < REPO_BUCKETS; b++)
		repo_head[b] = -1;
	int tail[REPO_BUCKETS];
	int n = 0;
	for (size_t i = 0; i < tm_console_count(); i++) {
		const tm_console *k = tm_console_at(i);
		for (const char *e = k->repos; *e;) {
			if (n == REPO_MAX) {
				repos_full = true;
				return;
			}
			size_t len = strcspn(e, "|");
			const char *last = e;
			for (size_t j = 0; j < len; j++)
				if (e[j] == '/')
					last = e + j + 1;
			unsigned b = last_hash(last, len - (size_t)(last - e));
			repos[n].pat = e;
			repos[n].plen = len;
			repos[n].k = k;
			repos[n].next = -1;
			if (repo_head[b] < 0)
				repo_head[b] = n;
			else
				repos[tail[b]].next = n;
			tail[b] = n++;
			e += len + (e[len] == '|');
		}
	}
}

static const tm_console *match(const char *p, const char *end)
{
	pthread_once(&repos_once, index_repos);
	for (size_t i = 0; repos_full && i < tm_console_count(); i++) {
		const tm_console *k = tm_console_at(i);
		for (const char *e = k->repos; *e;) {
			size_t n = strcspn(e, "|");
			if (repo_ends_with(p, end, e, n))
				return k;
			e += n + (e[n] == '|');
		}
	}
	if (repos_full)
		return NULL;
	const char *last = p;
	for (const char *c = p; c < end; c++)
		if (*c == '/')
			last = c + 1;
	for (int i = repo_head[last_hash(last, (size_t)(end - last))]; i >= 0; i = repos[i].next)
		if (repo_ends_with(p, end, repos[i].pat, repos[i].plen))
			return repos[i].k;
	return NULL;
}

const tm_console *tm_console_of_image(const char *image)
{
	if (!image)
		return NULL;
	const char *end = image + strcspn(image, "@");
	const char *last = image;
	for (const char *p = image; p < end; p++)
		if (*p == '/')
			last = p + 1;
	const char *tag = memchr(last, ':', (size_t)(end - last));
	if (tag)
		end = tag;
	/* a registry host: a first component with a dot or a port, or localhost */
	const char *slash = memchr(image, '/', (size_t)(end - image));
	if (slash && (memchr(image, '.', (size_t)(slash - image)) || memchr(image, ':', (size_t)(slash - image)) ||
		      (slash - image == 9 && strncmp(image, "localhost", 9) == 0)))
		image = slash + 1;
	if (strncmp(image, "library/", 8) == 0) /* Docker Hub's official images */
		image += 8;
	return image < end ? match(image, end) : NULL;
}

/* The console_env item of key (klen bytes) in env: *value its value, NULL when only set. An item
 * "?KEY" (may be set: passed through from where the project runs) or "*source" (a whole Secret or
 * ConfigMap the scan does not hold, any key) makes *unknown true instead when key is not given. */
static bool env_item(const char *const *env, const char *key, size_t klen, const char **value, bool *unknown)
{
	*unknown = false;
	for (size_t i = 0; env && env[i]; i++) {
		/* a path: a mount at it or under it ("/usr/share/kibana/config/kibana.yml") */
		if (strncmp(env[i], key, klen) == 0 &&
		    (env[i][klen] == '=' || env[i][klen] == '\0' || (key[0] == '/' && env[i][klen] == '/'))) {
			*value = env[i][klen] == '=' ? env[i] + klen + 1 : NULL;
			*unknown = false;
			return true;
		}
		if (env[i][0] == '*' || (env[i][0] == '?' && strlen(env[i] + 1) == klen && strncmp(env[i] + 1, key, klen) == 0))
			*unknown = true;
	}
	return false;
}

/* Is version tag (a "v" before it ignored, up to its first character that is neither a digit nor a
 * dot: "2024.3.13545", "v5.8.1", "2023.4-linux") below v (n bytes, "2025.2"), compared number by
 * number (a missing one is 0)? False for a tag that does not start with a number ("latest"). */
static bool version_below(const char *tag, const char *v, size_t n)
{
	tag += (*tag == 'v' || *tag == 'V');
	if (*tag < '0' || *tag > '9')
		return false;
	const char *vend = v + n;
	while (*tag || v < vend) {
		unsigned long a = 0, b = 0;
		int da = 0, db = 0;
		for (; *tag >= '0' && *tag <= '9' && da < 9; tag++, da++)
			a = a * 10 + (unsigned long)(*tag - '0');
		for (; v < vend && *v >= '0' && *v <= '9' && db < 9; v++, db++)
			b = b * 10 + (unsigned long)(*v - '0');
		if (a != b)
			return a < b;
		bool more_tag = *tag == '.' && tag[1] >= '0' && tag[1] <= '9';
		bool more_v = v < vend && *v == '.';
		if (!more_tag && !more_v)
			return false;
		tag += more_tag;
		v += more_v;
		if (!more_tag)
			tag = "";
	}
	return false;
}

/* One term, a key the files do not decide taken as not set (*assumed then true). */
static bool term_holds(const char *const *env, const char *t, size_t n, bool *assumed)
{
	const char *value = NULL;
	bool unknown;
	if (n > 2 && t[0] == '@' && t[1] == '<') { /* the image's tag below a version */
		for (size_t i = 0; env && env[i]; i++)
			if (env[i][0] == '@')
				return version_below(env[i] + 1, t + 2, n - 2);
		return false;
	}
	if (n > 3 && t[0] == '@' && t[1] == '>' && t[2] == '=') { /* not below: latest and no tag too */
		for (size_t i = 0; env && env[i]; i++)
			if (env[i][0] == '@')
				return !version_below(env[i] + 1, t + 3, n - 3);
		return true;
	}
	if (n > 1 && t[0] == '!' && !memchr(t, '=', n)) { /* "!KEY": not set at all */
		bool set = env_item(env, t + 1, n - 1, &value, &unknown);
		*assumed |= unknown;
		return !set;
	}
	const char *eq = memchr(t, '=', n);
	bool neg = eq && eq > t && eq[-1] == '!';
	size_t klen = eq ? (size_t)(eq - t) - neg : n;
	bool set = env_item(env, t, klen, &value, &unknown);
	*assumed |= unknown;
	if (!eq)
		return set;
	size_t vlen = n - (size_t)(eq + 1 - t);
	/* "KEY=~known": a password everyone knows (tm_console_known_password), or one ingest judged so
	 * (a placeholder, kept as "KEY=~known": tm_console_env_item_known) */
	if (vlen == 6 && strncmp(eq + 1, "~known", 6) == 0) {
		bool known = set && value && (strcmp(value, TM_CONSOLE_KNOWN) == 0 || tm_console_known_password(value));
		return neg ? !known : known;
	}
	/* "KEY==OTHER": both set, to one same value as written (PostgREST's anonymous role and the user
	 * of its database URI: "${POSTGRES_USER}" twice is one role, whatever the variable holds) */
	if (!neg && vlen > 1 && eq[1] == '=') {
		const char *other = NULL;
		bool unknown2 = false;
		bool set2 = env_item(env, eq + 2, vlen - 1, &other, &unknown2);
		*assumed |= unknown2;
		return set && set2 && value && other && strcmp(value, other) == 0;
	}
	bool same = set && value && strlen(value) == vlen && strncasecmp(value, eq + 1, vlen) == 0;
	/* a flag given more than once (--auth-mode=sso --auth-mode=server): any of its values */
	for (size_t i = 0; set && !same && !neg && env && env[i]; i++)
		same = strncmp(env[i], t, klen) == 0 && env[i][klen] == '=' && strlen(env[i] + klen + 1) == vlen &&
		       strncasecmp(env[i] + klen + 1, eq + 1, vlen) == 0;
	/* a switch as Go's strconv.ParseBool reads it: true, 1, t; false, 0, f */
	if (set && value && !same && vlen == 4 && strncasecmp(eq + 1, "true", 4) == 0)
		same = strcmp(value, "1") == 0 || strcasecmp(value, "t") == 0;
	else if (set && value && !same && vlen == 5 && strncasecmp(eq + 1, "false", 5) == 0)
		same = strcmp(value, "0") == 0 || strcasecmp(value, "f") == 0;
	return neg ? !same : same;
}

bool tm_console_decide(const char *cond, const char *const *env, bool *assumed)
{
	if (!cond || strcmp(cond, TM_CONSOLE_NEVER) == 0)
		return false;
	for (const char *alt = cond; *alt;) {
		size_t alen = strcspn(alt, "|");
		bool all = true;
		for (const char *t = alt; all && t < alt + alen;) {
			size_t tlen = strcspn(t, "&|");
			all = term_holds(env, t, tlen, assumed);
			t += tlen + (t[tlen] == '&');
		}
		if (all)
			return true;
		alt += alen + (alt[alen] == '|');
	}
	return false;
}

bool tm_console_consults(const char *cond, const char *item)
{
	if (!cond || !item || (item[0] != '?' && item[0] != '*'))
		return false;
	if (item[0] == '*')
		return *cond != '\0'; /* a whole source may set any key the condition reads */
	size_t klen = strlen(item + 1);
	for (const char *t = cond; *t;) {
		size_t n = strcspn(t, "&|");
		const char *k = t + (*t == '!');
		size_t kl = strcspn(k, "!=&|");
		if (kl == klen && strncmp(k, item + 1, klen) == 0)
			return true;
		t += n + (t[n] != '\0');
	}
	return false;
}

bool tm_console_holds(const char *cond, const char *const *env)
{
	bool assumed = false;
	return tm_console_decide(cond, env, &assumed);
}

/* [w, w + len) without the quotes a shell or YAML left around it. */
static void unquote(const char **w, size_t *len)
{
	while (*len && (**w == '"' || **w == '\'')) {
		(*w)++;
		(*len)--;
	}
	while (*len && ((*w)[*len - 1] == '"' || (*w)[*len - 1] == '\''))
		(*len)--;
}

size_t tm_console_flag_items(tm_arena *a, const char *word, const char *next, const char **out, size_t max)
{
	static const char blanks[] = " \t\r\n";
	size_t n = 0;
	for (const char *w = word; w && *w && n < max;) {
		w += strspn(w, blanks);
		size_t len = strcspn(w, blanks);
		const char *t = w;
		size_t tl = len;
		unquote(&t, &tl);
		w += len;
		/* a subcommand that changes how the console runs (Keycloak's start-dev), as a word of its own */
		if (tl == 9 && strncmp(t, "start-dev", 9) == 0) {
			out[n++] = "start-dev";
			continue;
		}
		const char *eq = tl > 2 && t[0] == '-' && t[1] == '-' ? memchr(t, '=', tl) : NULL;
		size_t nl = tl > 2 && t[0] == '-' && t[1] == '-' ? (eq ? (size_t)(eq - t) : tl) : 0;
		char key[64];
		if (!nl || nl > tl || nl >= sizeof(key))
			continue;
		memcpy(key, t, nl);
		key[nl] = '\0';
		int kind = tm_console_env_kind(key);
		const char *item = NULL;
		if (kind == TM_CONSOLE_ENV_SET) /* its value, a credential, is never kept */
			item = tm_arena_strdup(a, key);
		else if (kind == TM_CONSOLE_ENV_VALUE) {
			const char *v = NULL;
			size_t vl = 0;
			if (nl < tl) { /* --flag=value */
				v = t + nl + 1;
				vl = tl - nl - 1;
			} else { /* --flag value: the next word of the string, else the next item */
				const char *r = w + strspn(w, blanks);
				v = *r ? r : next;
				vl = v ? (*r ? strcspn(r, blanks) : strlen(v)) : 0;
			}
			if (v)
				unquote(&v, &vl);
			item = v && vl && vl < 256 ? tm_arena_printf(a, "%s=%.*s", key, (int)vl, v) : NULL;
		}
		if (item)
			out[n++] = item;
	}
	return n;
}

/*
 * Products started in a development mode that turns their security checks off, whatever port it is
 * reached on: Keycloak's start-dev (plain HTTP, no hostname check, its H2 file database; "not for
 * production"), Ory Kratos' and Hydra's `serve --dev` (Kratos warns "SECURITY IS DISABLED"; Hydra's
 * flag "disables critical security checks"). Keyed by the console table's product.
 */
static const struct {
	const char *product, *cond;
	int ports[2];
	const char *what; /* "start-dev: ..." the mode, then what it turns off */
} DEV_MODES[] = {
	{"Keycloak", "start-dev", {8080, 8443},
	 "start-dev: plain HTTP, no hostname check, an H2 file database in the container, themes and caches not "
	 "for production (Keycloak: not for production use)"},
	{"Ory Kratos admin API", "--dev", {4433, 4434},
	 "serve --dev: its critical security features off (Kratos: SECURITY IS DISABLED), cookies without the "
	 "Secure flag over plain HTTP"},
	{"Ory Hydra admin API", "--dev", {4444, 4445},
	 "serve --dev: its critical security checks off, plain HTTP for its issuer and endpoints (Hydra: do not "
	 "use in production)"},
};

const char *tm_console_dev_mode(const tm_console *k, const char *const *env, const int **ports)
{
	for (size_t i = 0; k && i < TM_ARRAY_LEN(DEV_MODES); i++)
		if (strcmp(k->product, DEV_MODES[i].product) == 0 && tm_console_holds(DEV_MODES[i].cond, env)) {
			*ports = DEV_MODES[i].ports;
			return DEV_MODES[i].what;
		}
	return NULL;
}

/* The list attribute key of n, as a NULL-terminated array, or NULL. */
static const char *const *node_list(const tm_node *n, const char *key)
{
	const tm_attr *a = tm_node_attr_get(n, key);
	return a && a->type == TM_ATTR_LIST ? (const char *const *)a->list : NULL;
}

int tm_console_model_open(const tm_node *w, const char **why)
{
	*why = NULL;
	if (tm_node_kind_of(w) != TM_NODE_SERVICE || !tm_node_attr_get(w, "workload") || tm_node_attr_get(w, "console_loopback"))
		return 0;
	const tm_console *k = NULL;
	static const char *const lists[] = {"images", "base_images"};
	for (size_t l = 0; l < TM_ARRAY_LEN(lists) && !k; l++) {
		const char *const *images = node_list(w, lists[l]);
		for (size_t i = 0; images && images[i] && !k; i++)
			k = tm_console_of_image(images[i]);
	}
	if (!tm_console_model_server(k))
		return 0;
	const char *const *env = node_list(w, "console_env");
	bool deflt = k->default_login && tm_console_holds(k->default_login, env);
	bool open = !deflt && (!k->when || tm_console_holds(k->when, env)) && !(k->unless && tm_console_holds(k->unless, env));
	if (!deflt && !open)
		return 0;
	bool high = deflt || k->severity >= 3 || (k->high_when && tm_console_holds(k->high_when, env));
	*why = deflt  ? "a model server whose administrator's key or login everyone has"
	       : high ? "a model server that runs or changes models or code for anyone"
		      : "a model server anyone can use without credentials";
	return high ? 3 : k->severity;
}

/* ---- consoles known by their command lines ----------------------------------------------------- */

/*
 * The command lines that run a console of the tables (its product and repositories; a console not
 * here is known by its image alone): '|'-separated alternatives, each one or more words the command
 * holds in a row. "flower": from any image (Flower started from Airflow's); "=webserver": only from
 * an image of its repositories, which runs it only so; "!worker": an image of its repositories that
 * does not run it (n8n's queue worker).
 */
static const struct {
	const char *product, *repos, *commands;
} COMMANDS[] = {
	{"Flower", "flower", "flower"},
	{"Apache Airflow", "apache/airflow", "=webserver|=api-server"},
	{"Apache Airflow", "puckel/docker-airflow", "!scheduler|!worker|!initdb|!upgradedb|!resetdb|!version"},
	{"n8n", "n8nio/n8n", "!worker|!webhook"},
	{"Prefect server", "", "prefect server start"},
	{"Dagster webserver", "", "dagster-webserver|dagit|dagster dev"},
};

/* The COMMANDS alternatives of console k, or NULL. */
static const char *commands_of(const tm_console *k)
{
	for (size_t i = 0; k && i < TM_ARRAY_LEN(COMMANDS); i++)
		if (strcmp(k->product, COMMANDS[i].product) == 0 && strcmp(k->repos, COMMANDS[i].repos) == 0)
			return COMMANDS[i].commands;
	return NULL;
}

enum { CMD_WORDS_MAX = 128 };

/* Does the word list hold the words of alternative [alt, alt + n) ("prefect server") in a row? */
static bool words_hold(const char *const *w, const size_t *wl, size_t nw, const char *alt, size_t n)
{
	for (size_t i = 0; i < nw; i++) {
		const char *p = alt, *end = alt + n;
		size_t j = i;
		for (; p < end && j < nw; j++) {
			size_t l = strcspn(p, " ");
			if (l > (size_t)(end - p))
				l = (size_t)(end - p);
			if (l != wl[j] || strncmp(p, w[j], l) != 0)
				break;
			p += l;
			p += p < end && *p == ' ';
		}
		if (p >= end)
			return true;
	}
	return false;
}

size_t tm_console_command_items(tm_arena *a, const char *image, const char *const *items, size_t n, const char **out,
				size_t max)
{
	static const char blanks[] = " \t\r\n";
	const char *w[CMD_WORDS_MAX];
	size_t wl[CMD_WORDS_MAX], nw = 0;
	for (size_t i = 0; items && i < n && nw < CMD_WORDS_MAX; i++)
		for (const char *p = items[i]; p && *p && nw < CMD_WORDS_MAX;) {
			p += strspn(p, blanks);
			size_t len = strcspn(p, blanks);
			const char *t = p;
			size_t tl = len;
			unquote(&t, &tl);
			while (tl && (t[tl - 1] == ';' || t[tl - 1] == ')')) /* `...; exec dagit`, `$(...)` */
				tl--;
			for (size_t k = tl; k-- > 0;) /* /usr/local/bin/dagit: the program's name */
				if (t[k] == '/') {
					tl -= k + 1;
					t += k + 1;
					break;
				}
			if (tl) {
				w[nw] = t;
				wl[nw++] = tl;
			}
			p += len;
		}
	const tm_console *img = image && nw ? tm_console_of_image(image) : NULL;
	size_t got = 0;
	for (size_t i = 0; nw && i < TM_ARRAY_LEN(COMMANDS) && got < max; i++) {
		bool own = img && strcmp(img->product, COMMANDS[i].product) == 0 && strcmp(img->repos, COMMANDS[i].repos) == 0;
		for (const char *c = COMMANDS[i].commands; *c && got < max;) {
			size_t len = strcspn(c, "|");
			bool bound = *c == '=' || *c == '!';
			/* an image's own command words only for that image (or a build's, not known yet) */
			if ((!bound || !image || own) && words_hold(w, wl, nw, c + bound, len - bound)) {
				const char *item = tm_arena_strndup(a, c + bound, len - bound);
				if (!item)
					return got;
				out[got++] = item;
			}
			c += len + (c[len] == '|');
		}
	}
	return got;
}

/* Is command item (a tm_console_command_items word) among commands? */
static bool has_command(const char *const *commands, const char *c, size_t n)
{
	for (size_t i = 0; commands && commands[i]; i++)
		if (strlen(commands[i]) == n && strncmp(commands[i], c, n) == 0)
			return true;
	return false;
}

const tm_console *tm_console_of_run(const char *image, const char *const *commands)
{
	/* a console its command names from any image: Flower from Airflow's */
	for (size_t i = 0; commands && commands[0] && i < TM_ARRAY_LEN(COMMANDS); i++)
		for (const char *c = COMMANDS[i].commands; *c;) {
			size_t len = strcspn(c, "|");
			if (*c != '=' && *c != '!' && has_command(commands, c, len))
				for (size_t r = 0; r < tm_console_count(); r++) {
					const tm_console *k = tm_console_at(r);
					if (strcmp(k->product, COMMANDS[i].product) == 0 && strcmp(k->repos, COMMANDS[i].repos) == 0)
						return k;
				}
			c += len + (c[len] == '|');
		}
	const tm_console *k = tm_console_of_image(image);
	const char *own = commands_of(k);
	if (!own)
		return k;
	bool needs = false, named = false;
	for (const char *c = own; *c;) {
		size_t len = strcspn(c, "|");
		if (*c == '!' && has_command(commands, c + 1, len - 1))
			return NULL; /* n8n's worker */
		if (*c == '=') {
			needs = true;
			named |= has_command(commands, c + 1, len - 1);
		}
		c += len + (c[len] == '|');
	}
	return !needs || named ? k : NULL;
}

bool tm_console_setting_shared(const tm_console *k, const char *item)
{
	return k && item && strcmp(k->product, "Apache Airflow") == 0 && strncmp(item, "_AIRFLOW_WWW_USER_", 18) == 0;
}

int tm_console_engine_port(const tm_console *k, const char *const *env)
{
	static const struct {
		const char *product, *key;
	} PORTS[] = {{"Apache NiFi", "NIFI_WEB_HTTP_PORT="},
		     {"Apache NiFi", "NIFI_WEB_HTTPS_PORT="},
		     {"NiFi Registry", "NIFI_REGISTRY_WEB_HTTP_PORT="},
		     {"Temporal server", "FRONTEND_GRPC_PORT="}};
	/* in the table's order: NiFi's HTTP port, when set, is the one it serves */
	for (size_t p = 0; k && p < TM_ARRAY_LEN(PORTS); p++) {
		if (strcmp(k->product, PORTS[p].product) != 0)
			continue;
		size_t kl = strlen(PORTS[p].key);
		for (size_t i = 0; env && env[i]; i++)
			if (strncmp(env[i], PORTS[p].key, kl) == 0) {
				int port = 0;
				const char *v = env[i] + kl;
				for (; *v >= '0' && *v <= '9' && port < 65536; v++)
					port = port * 10 + (*v - '0');
				if (!*v && port > 0 && port < 65536)
					return port;
			}
	}
	return 0;
}
