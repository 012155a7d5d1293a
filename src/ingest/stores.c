/*
 * stores.c - data stores and brokers known by their image or port (docs/inputs.md, "Data stores").
 *
 * One table. A workload (Kubernetes pod controller, compose service) whose container image names a
 * well-known store, or, weaker, that opens a port only that store uses, runs that store: the
 * ingester feeds a probe what it reads (image, ports, environment, arguments) and finish() adds a
 * datastore (or queue) node beside the workload, "datastore:<workload id without 'service:'>", with
 * a `writes` edge from the workload. The workload keeps its id, kind and edges: whatever reaches the
 * workload reaches the store through that edge (analyze/reach.c follows it).
 *
 * Evidence: the image line (or the port line when the port alone named the store). Facts on the
 * store: `credentials` (environment entries that hand it a password, with their lines) and
 * `no_auth` (why the store admits anyone: an explicit switch with its line, or, for images whose
 * default is open, the image line). A default classification marks the crown jewels: a store that
 * holds credentials (vault, etcd) or whose name says personal data (users, accounts, orders...) or
 * financial records (ledger, transactions, wallet...);
 * an overlay asset naming the store overrides it (the overlay is read last).
 *
 * Matching is on the image repository's last component (registry, path, tag and digest removed;
 * "mssql/server" on the last two), so bitnami/redis, docker.io/library/redis:7 and
 * redis@sha256:... are all redis, and oliver006/redis_exporter is not; a repository that names no
 * store may name it in the tag's last dash-separated word (demo:2.0.2-kafka), or in its own last
 * one when the workload's name has that word (a project's build of it: service mongodb of image
 * robot-shop-rs-mongodb; mongodb-exporter is no store).
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "ingest.h"

/* DEFAULT_LOGIN: the official image starts with a login everyone knows, usable from any address
 * (default_login), unless configured */
enum { DEFAULT_UNKNOWN, DEFAULT_OPEN, DEFAULT_LOGIN };

typedef struct {
	const char *product;
	tm_node_kind kind;
	const char *images;  /* space-separated repository basenames (or "a/b" last two components) */
	const char *ports;   /* space-separated ports that name the store alone (never 9000, 9093, 9300) */
	const char *pnames;  /* space-separated container port names */
	int by_default;      /* DEFAULT_OPEN: the official image admits anyone unless configured;
			      * DEFAULT_LOGIN: anyone who knows its default login (default_login) */
	const char *secured; /* space-separated env names or arguments that configure authentication */
	const char *open;    /* space-separated NAME=VALUE switches that turn authentication off */
	const char *holds;   /* "credentials" when the product stores them, else NULL */
} store_def;
#define DEF(p) ((const store_def *)(p)->def)

/* The table docs/inputs.md documents; keep them together. */
static const store_def table[] = {
	{"redis", TM_NODE_DATASTORE, "redis redis-stack redis-stack-server redis-cluster valkey keydb", "6379",
	 "redis", DEFAULT_OPEN, "--requirepass REDIS_PASSWORD REDIS_PASSWORD_FILE VALKEY_PASSWORD KEYDB_PASSWORD",
	 "ALLOW_EMPTY_PASSWORD=yes", NULL},
	{"postgres", TM_NODE_DATASTORE, "postgres postgresql postgis timescaledb timescaledb-ha pgvector", "5432",
	 "postgres postgresql", DEFAULT_UNKNOWN, "POSTGRES_PASSWORD POSTGRES_PASSWORD_FILE POSTGRESQL_PASSWORD",
	 "POSTGRES_HOST_AUTH_METHOD=trust ALLOW_EMPTY_PASSWORD=yes", NULL},
	{"mysql", TM_NODE_DATASTORE, "mysql mysql-server mariadb percona percona-server", "3306", "mysql mariadb",
	 DEFAULT_UNKNOWN, "MYSQL_ROOT_PASSWORD MYSQL_PASSWORD MARIADB_ROOT_PASSWORD MARIADB_PASSWORD",
	 "MYSQL_ALLOW_EMPTY_PASSWORD=yes MYSQL_ALLOW_EMPTY_PASSWORD=true MYSQL_ALLOW_EMPTY_PASSWORD=1 "
	 "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=yes MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 ALLOW_EMPTY_PASSWORD=yes",
	 NULL},
	{"mongo", TM_NODE_DATASTORE, "mongo mongodb mongodb-community-server mongodb-enterprise-server "
	 "percona-server-mongodb", "27017", "mongo mongodb", DEFAULT_OPEN,
	 "MONGO_INITDB_ROOT_USERNAME MONGO_INITDB_ROOT_PASSWORD MONGO_INITDB_ROOT_PASSWORD_FILE "
	 "MONGODB_ROOT_PASSWORD MONGODB_INITDB_ROOT_PASSWORD --auth --keyFile", "ALLOW_EMPTY_PASSWORD=yes", NULL},
	{"rabbitmq", TM_NODE_QUEUE, "rabbitmq", "5672", "amqp", DEFAULT_LOGIN,
	 "RABBITMQ_DEFAULT_PASS RABBITMQ_DEFAULT_PASS_FILE RABBITMQ_PASSWORD RABBITMQ_HASHED_PASSWORD "
	 "RABBITMQ_CONFIG_FILE RABBITMQ_CONFIG_FILES RABBITMQ_DEFINITIONS_FILE RABBITMQ_LOAD_DEFINITIONS",
	 "RABBITMQ_DEFAULT_PASS=guest RABBITMQ_PASSWORD=bitnami", NULL},
	{"kafka", TM_NODE_QUEUE, "kafka cp-kafka cp-server redpanda", "9092", "kafka", DEFAULT_OPEN,
	 "KAFKA_SASL_ENABLED_MECHANISMS KAFKA_CFG_SASL_ENABLED_MECHANISMS KAFKA_CLIENT_USERS KAFKA_OPTS", NULL, NULL},
	{"zookeeper", TM_NODE_DATASTORE, "zookeeper cp-zookeeper", "2181", "zookeeper", DEFAULT_OPEN,
	 "ZOO_ENABLE_AUTH SERVER_JVMFLAGS", "ALLOW_ANONYMOUS_LOGIN=yes", NULL},
	{"elasticsearch", TM_NODE_DATASTORE, "elasticsearch opensearch", "9200", "elasticsearch", DEFAULT_UNKNOWN,
	 "ELASTIC_PASSWORD OPENSEARCH_INITIAL_ADMIN_PASSWORD xpack.security.enabled -Expack.security.enabled "
	 "ELASTICSEARCH_ENABLE_SECURITY ELASTICSEARCH_PASSWORD",
	 "xpack.security.enabled=false DISABLE_SECURITY_PLUGIN=true plugins.security.disabled=true", NULL},
	{"cassandra", TM_NODE_DATASTORE, "cassandra scylla", "9042", "cql cassandra", DEFAULT_OPEN,
	 "CASSANDRA_AUTHENTICATOR CASSANDRA_PASSWORD", NULL, NULL},
	{"memcached", TM_NODE_DATASTORE, "memcached", "11211", "memcached memcache", DEFAULT_OPEN,
	 "-S --enable-sasl MEMCACHED_PASSWORD", NULL, NULL},
	{"nats", TM_NODE_QUEUE, "nats nats-streaming", "4222", "nats client", DEFAULT_OPEN,
	 "--user --pass --auth NATS_PASSWORD", NULL, NULL},
	{"couchdb", TM_NODE_DATASTORE, "couchdb", "5984", "couchdb", DEFAULT_UNKNOWN,
	 "COUCHDB_PASSWORD COUCHDB_PASSWORD_FILE", NULL, NULL},
	{"influxdb", TM_NODE_DATASTORE, "influxdb", "8086", "influxdb", DEFAULT_UNKNOWN,
	 "DOCKER_INFLUXDB_INIT_PASSWORD INFLUXDB_ADMIN_PASSWORD INFLUXDB_HTTP_AUTH_ENABLED",
	 "INFLUXDB_HTTP_AUTH_ENABLED=false", NULL},
	{"clickhouse", TM_NODE_DATASTORE, "clickhouse-server clickhouse", "8123", "clickhouse", DEFAULT_UNKNOWN,
	 "CLICKHOUSE_PASSWORD", NULL, NULL},
	{"minio", TM_NODE_DATASTORE, "minio", NULL, NULL, DEFAULT_LOGIN,
	 "MINIO_ROOT_PASSWORD MINIO_SECRET_KEY MINIO_ROOT_PASSWORD_FILE MINIO_SECRET_KEY_FILE MINIO_CONFIG_ENV_FILE",
	 "MINIO_ROOT_PASSWORD=minioadmin MINIO_SECRET_KEY=minioadmin", NULL},
	{"etcd", TM_NODE_DATASTORE, "etcd", "2379", "etcd", DEFAULT_OPEN,
	 "--client-cert-auth ETCD_CLIENT_CERT_AUTH ETCD_ROOT_PASSWORD", "ALLOW_NONE_AUTHENTICATION=yes", "credentials"},
	{"neo4j", TM_NODE_DATASTORE, "neo4j", "7687", "bolt neo4j", DEFAULT_UNKNOWN, "NEO4J_AUTH",
	 "NEO4J_AUTH=none", NULL},
	{"mssql", TM_NODE_DATASTORE, "mssql/server mssql-server-linux azure-sql-edge", "1433", "mssql sqlserver", DEFAULT_UNKNOWN,
	 "SA_PASSWORD MSSQL_SA_PASSWORD", NULL, NULL},
	{"oracle", TM_NODE_DATASTORE, "oracle-xe oracle-free database/enterprise database/express", "1521",
	 "oracle", DEFAULT_UNKNOWN, "ORACLE_PASSWORD ORACLE_PWD", NULL, NULL},
	{"vault", TM_NODE_DATASTORE, "vault", "8200", "vault", DEFAULT_UNKNOWN, NULL,
	 "-dev VAULT_DEV_ROOT_TOKEN_ID=*", "credentials"},
	/* vector databases: Qdrant and Chroma serve anyone until given an API key or an authentication
	 * provider; Weaviate's image enables anonymous access unless told otherwise; Milvus starts with
	 * authorization off (common.security.authorizationEnabled, in the milvus.yaml it may mount) */
	{"qdrant", TM_NODE_DATASTORE, "qdrant", "6333", "qdrant", DEFAULT_OPEN,
	 "QDRANT__SERVICE__API_KEY QDRANT__SERVICE__READ_ONLY_API_KEY", NULL, NULL},
	{"weaviate", TM_NODE_DATASTORE, "weaviate", NULL, NULL, DEFAULT_OPEN,
	 "AUTHENTICATION_APIKEY_ENABLED AUTHENTICATION_OIDC_ENABLED", "AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=true", NULL},
	{"milvus", TM_NODE_DATASTORE, "milvus", "19530", "milvus", DEFAULT_OPEN, "COMMON_SECURITY_AUTHORIZATIONENABLED",
	 NULL, NULL},
	{"chroma", TM_NODE_DATASTORE, "chroma", NULL, NULL, DEFAULT_OPEN,
	 "CHROMA_SERVER_AUTHN_PROVIDER CHROMA_SERVER_AUTH_PROVIDER CHROMA_SERVER_AUTHN_CREDENTIALS "
	 "CHROMA_SERVER_AUTH_CREDENTIALS", NULL, NULL},
	/* search engines. Meilisearch answers every caller without a master key (MEILI_MASTER_KEY,
	 * --master-key) in its default development mode, and will not start without one in production
	 * (MEILI_ENV=production: judge_auth); a configuration file (MEILI_CONFIG_FILE_PATH,
	 * --config-file-path, a config.toml mounted in its working directory) may set the key.
	 * Typesense will not start without an API key (TYPESENSE_API_KEY, --api-key): never open,
	 * only known. Solr ships without security.json, its admin UI and APIs (the config API too) open
	 * to anyone: a security.json mounted in its home, or ZooKeeper's in cloud mode, sets it; Bitnami's
	 * image turns it on with SOLR_ENABLE_AUTHENTICATION=yes (its default no) */
	{"meilisearch", TM_NODE_DATASTORE, "meilisearch", "7700", "meilisearch", DEFAULT_OPEN,
	 "MEILI_MASTER_KEY --master-key", NULL, NULL},
	{"typesense", TM_NODE_DATASTORE, "typesense", "8108", "typesense", DEFAULT_UNKNOWN,
	 "TYPESENSE_API_KEY --api-key", NULL, NULL},
	{"solr", TM_NODE_DATASTORE, "solr", "8983", "solr", DEFAULT_OPEN,
	 "SOLR_ENABLE_AUTHENTICATION SOLR_ADMIN_PASSWORD SOLR_AUTH_TYPE SOLR_AUTHENTICATION_OPTS",
	 "SOLR_ENABLE_AUTHENTICATION=no SOLR_ENABLE_AUTHENTICATION=false", NULL},
	/* the local stand-in for DynamoDB: any access key is accepted, none can be configured */
	{"dynamodb-local", TM_NODE_DATASTORE, "dynamodb-local aws-dynamodb-local", NULL, NULL, DEFAULT_OPEN, NULL, NULL, NULL},
	/* MQTT brokers, by image only: 1883 is also the MQTT transport of applications that bundle one
	 * (ThingsBoard) and authenticate devices their own way. Mosquitto is judged from its own
	 * configuration file once every file is read (iot.c); EMQX admits anyone until an
	 * authenticator is configured (5.x; 4.x's allow_anonymous = true); VerneMQ refuses anonymous
	 * clients unless told (secured_by_default); HiveMQ's images ship the allow-all extension,
	 * removed by HIVEMQ_ALLOW_ALL_CLIENTS=false or replaced by a mounted extension. A word ending
	 * in '*' is a prefix of names. */
	{"mosquitto", TM_NODE_QUEUE, "eclipse-mosquitto mosquitto", NULL, NULL, DEFAULT_UNKNOWN, NULL, NULL, NULL},
	{"emqx", TM_NODE_QUEUE, "emqx emqx-enterprise emqx-ee emqx-edge", NULL, NULL, DEFAULT_OPEN,
	 "EMQX_AUTHENTICATION__* EMQX_ALLOW_ANONYMOUS EMQX_AUTH__*", "EMQX_ALLOW_ANONYMOUS=true", NULL},
	{"vernemq", TM_NODE_QUEUE, "vernemq docker-vernemq", NULL, NULL, DEFAULT_UNKNOWN, "DOCKER_VERNEMQ_USER_*",
	 "DOCKER_VERNEMQ_ALLOW_ANONYMOUS=on DOCKER_VERNEMQ_ALLOW_ANONYMOUS=true", NULL},
	{"hivemq", TM_NODE_QUEUE, "hivemq-ce hivemq4 hivemq", NULL, NULL, DEFAULT_OPEN, "HIVEMQ_ALLOW_ALL_CLIENTS",
	 "HIVEMQ_ALLOW_ALL_CLIENTS=true", NULL},
};

/* Words in a store's name (or its database's) that say it holds personal data, financial records or
 * credentials. */
static const char *const personal[] = {"user", "account", "customer", "auth", "identity", "profile", "member",
				       "login", "payment", "order", "patient", "person", "people", "employee",
				       "billing", "card", "session", "credential", "token", "keycloak", "iam",
				       "ledger", "transaction", "wallet", "bank", "invoice", "finance"};

/* Is word (from personal) one of a ledger's, a bank's: financial records? */
static bool financial_word(const char *w)
{
	static const char *const fin[] = {"ledger", "transaction", "wallet", "bank", "invoice", "finance"};
	for (size_t i = 0; i < TM_ARRAY_LEN(fin); i++)
		if (strcmp(w, fin[i]) == 0)
			return true;
	return false;
}

/* Is the token [w, w+n) one of the space-separated words of list? "*" after '=' matches any value. */
static bool in_words(const char *list, const char *w, size_t n)
{
	for (const char *p = list; p && *p;) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		size_t l = (size_t)(e - p);
		/* "NAME=*": any value; "PREFIX*": any name it begins (EMQX_AUTHENTICATION__1__MECHANISM) */
		bool any_value = l >= 2 && p[l - 1] == '*' && p[l - 2] == '=';
		bool prefix = l >= 2 && p[l - 1] == '*' && !any_value;
		if (l && ((l == n && strncasecmp(p, w, n) == 0) ||
			  (any_value && n >= l - 1 && strncasecmp(p, w, l - 1) == 0) ||
			  (prefix && n > l - 1 && !memchr(w, '=', l - 1) && strncasecmp(p, w, l - 1) == 0)))
			return true;
		p = e;
	}
	return false;
}

static const store_def *by_name(const char *name)
{
	for (size_t i = 0; i < TM_ARRAY_LEN(table); i++)
		if (in_words(table[i].images, name, strlen(name)))
			return &table[i];
	return NULL;
}

/* Does name (a workload's) hold word among its dash-, underscore- or dot-separated words? */
static bool names_word(const char *name, const char *word, size_t wl)
{
	for (const char *w = name; *w;) {
		size_t l = strcspn(w, "-_.");
		if (l == wl && strncasecmp(w, word, wl) == 0)
			return true;
		w += l + (w[l] != '\0');
	}
	return false;
}

/* The image's repository, last component and last two: "docker.io/bitnami/redis:7@sha256:.." -> "redis".
 * A repository that names no store may name its component in the tag's last word instead, as
 * projects that publish every service from one repository do ("ghcr.io/acme/demo:2.0.2-kafka").
 * With workload (its name), a project's own build of a store, named after the project first
 * ("robot-shop-rs-mongodb", "acme-orders-postgres"), is named by the repository's last
 * dash-separated word when the workload's name has that word too (its compose service "mongodb"): a
 * tool beside a store ends in another word ("mongodb-exporter", "redis-commander"), a plugin or
 * client of one is named otherwise ("fluentd-elasticsearch" in a workload "fluentd-es", "etl-kafka"
 * in "etl"). */
static const store_def *by_image(const char *image, const char *workload, bool *own_build, bool *by_word)
{
	char buf[256];
	size_t n = strcspn(image, "@");
	if (n >= sizeof(buf))
		return NULL;
	memcpy(buf, image, n);
	buf[n] = '\0';
	char *last = strrchr(buf, '/');
	char *colon = strrchr(last ? last : buf, ':');
	const char *tag_word = NULL;
	if (colon) {
		*colon = '\0';
		const char *dash = strrchr(colon + 1, '-');
		tag_word = dash ? dash + 1 : NULL; /* a dash: a bare tag ("redis") is a version's name */
		/* a build without it says so: 1.0.3-no-vault, 2.1-without-redis */
		if (dash && ((dash - colon > 3 && strncasecmp(dash - 3, "-no", 3) == 0) ||
			     (dash - colon > 8 && strncasecmp(dash - 8, "-without", 8) == 0)))
			tag_word = NULL;
	}
	last = strrchr(buf, '/');
	const char *base = last ? last + 1 : buf;
	const char *two = base;
	if (last) {
		two = last;
		while (two > buf && two[-1] != '/')
			two--;
	}
	const store_def *d = by_name(base);
	if (!d && two != base)
		d = by_name(two);
	if (!d && tag_word && *tag_word)
		d = by_name(tag_word);
	const char *own = !d && workload ? strrchr(base, '-') : NULL;
	if (own && own[1] && names_word(workload, own + 1, strlen(own + 1))) {
		d = by_name(own + 1);
		if (own_build)
			*own_build = d != NULL;
	}
	/* or by any word of it that is the workload's whole name (robot-shop's "rs-mysql-db" run as
	 * "mysql"; an exporter's workload is named for the exporter, not the store) */
	for (const char *w = base; !d && workload && *w;) {
		size_t k = strcspn(w, "-_");
		char word[64];
		if (k && k < sizeof(word) && strlen(workload) == k && strncasecmp(w, workload, k) == 0) {
			memcpy(word, w, k);
			word[k] = '\0';
			d = by_name(word);
			if (own_build)
				*own_build = d != NULL;
		}
		w += k + (w[k] != '\0');
	}
	/* or by the last word of its name naming a store, the one word that does, beside words that
	 * do not say it is a tool around one (zulip/zulip-postgresql, my-redis, custom-postgres; not
	 * redis-commander, postgres-exporter, fluentd-elasticsearch, kafka-mysql-etl): a project's own
	 * build of the store */
	static const char *const tools[] = {"exporter", "commander", "express", "admin", "ui", "web", "gui",
					    "backup", "backups", "restore", "operator", "proxy", "client", "cli",
					    "insight", "insights", "dashboard", "console", "browser", "manager",
					    "migrate", "migration", "migrations", "init", "tools", "bouncer", "pool",
					    "studio", "monitor", "metrics", "agent", "controller", "connect", "rest",
					    "schema", "registry", "sync", "dump", "test", "tests", "mock", "fluentd",
					    "fluent", "logstash", "filebeat", "beat", "kibana", "etl", "sink", "source",
					    "connector", "loader", "importer", "shipper", "gateway", "api"};
	const store_def *named = NULL, *last_word = NULL;
	size_t words = 0, stores = 0;
	bool tool = false;
	for (const char *w = base; !d && *w;) {
		size_t k = strcspn(w, "-_.");
		char word[64];
		const store_def *x = NULL;
		if (k && k < sizeof(word)) {
			memcpy(word, w, k);
			word[k] = '\0';
			x = by_name(word);
			stores += x && x != named;
			named = named ? named : x;
			for (size_t t = 0; t < TM_ARRAY_LEN(tools) && !x; t++)
				tool = tool || strcasecmp(word, tools[t]) == 0;
		}
		last_word = x;
		words++;
		w += k + (w[k] != '\0');
	}
	if (!d && named && last_word == named && stores == 1 && words > 1 && !tool) {
		d = named;
		if (own_build)
			*own_build = true;
		/* one word of several: an application may bundle the store (thingsboard/tb-postgres
		 * serves HTTP and MQTT; its PostgreSQL is inside), so the workload's ports decide
		 * (tm_stores__finish) */
		if (by_word)
			*by_word = true;
	}
	return d;
}

/* The last component of image's repository and its tag, digest left out ("reg:5000/a/redis:7@sha256:.."
 * -> "redis", "7"): *base and *bl, *tag (NULL: none) and *tl. A colon before the last slash is a
 * registry's port. */
static void repo_parts(const char *image, const char **base, size_t *bl, const char **tag, size_t *tl)
{
	size_t n = strcspn(image, "@");
	*base = image;
	for (const char *q = image; q < image + n; q++)
		if (*q == '/')
			*base = q + 1;
	const char *colon = memchr(*base, ':', (size_t)(image + n - *base));
	*bl = (size_t)((colon ? colon : image + n) - *base);
	*tag = colon ? colon + 1 : NULL;
	*tl = colon ? (size_t)(image + n - colon - 1) : 0;
}

/* Which side of the version that secures it d's official image here is on: 1 below it, an open
 * version (the product's own repository, any registry, "library/" or not, tagged with a lower major
 * version: "elasticsearch:7.17.9"), 0 at or past it (a moving or missing tag is today's version),
 * -1 not the official image or no such version. */
static int version_side(const store_def *d, const char *image)
{
	/* the official image (the product's own repository) admits anyone in the major versions
	 * below these: Elasticsearch before 8 (xpack security off), InfluxDB before 2 (auth-enabled
	 * false), CouchDB before 3 (no admin configured: everyone is one, its "Admin Party"; 3.0
	 * refuses to start without one) */
	static const struct {
		const char *product;
		int below;
	} versions[] = {{"elasticsearch", 8}, {"influxdb", 2}, {"couchdb", 3}};
	int below = 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(versions); i++)
		if (strcmp(d->product, versions[i].product) == 0)
			below = versions[i].below;
	if (!below || !image)
		return -1;
	const char *base, *tag;
	size_t bl, tl;
	repo_parts(image, &base, &bl, &tag, &tl);
	if (bl != strlen(d->product) || strncmp(base, d->product, bl) != 0)
		return -1;
	/* the official repository only (Docker Hub's, or Elastic's registry): another's tag is its own
	 * version, not the product's */
	size_t rl = (size_t)(base - image);
	bool official = rl == 0 || (rl == 8 && strncmp(image, "library/", 8) == 0) ||
			(rl == 18 && strncmp(image, "docker.io/library/", 18) == 0) ||
			(rl == 32 && strncmp(image, "docker.elastic.co/elasticsearch/", 32) == 0);
	if (!official)
		return -1;
	if (!tag || !isdigit((unsigned char)tag[0]))
		return 0; /* latest, or no tag: today's */
	int64_t major = 0;
	size_t dl = strspn(tag, "0123456789");
	if (dl > 9 || dl > tl || tm_parse_i64(tag, dl, 10, &major))
		return -1;
	return major < below;
}

static bool open_version(const store_def *d, const char *image)
{
	return version_side(d, image) == 1;
}

/* Is the tag of image a version before major.minor ("2.11.1" before 2.12)? A moving or missing tag
 * is today's: no. */
static bool tag_before(const char *image, int64_t major, int64_t minor)
{
	const char *base, *tag;
	size_t bl, tl;
	repo_parts(image, &base, &bl, &tag, &tl);
	int64_t ma = 0, mi = 0;
	size_t d1 = tag ? strspn(tag, "0123456789") : 0;
	if (!d1 || d1 > 9 || tm_parse_i64(tag, d1, 10, &ma))
		return false;
	if (ma != major)
		return ma < major;
	size_t d2 = d1 < tl && tag[d1] == '.' ? strspn(tag + d1 + 1, "0123456789") : 0;
	return d2 && d2 <= 9 && !tm_parse_i64(tag + d1 + 1, d2, 10, &mi) && mi < minor;
}

const char *tm_stores__product(const char *image)
{
	const store_def *d = image ? by_image(image, NULL, NULL, NULL) : NULL;
	return d ? d->product : NULL;
}

void tm_stores__probe_init(tm_store_probe *p, tm_ingest_ctx *ctx, tm_node *workload)
{
	memset(p, 0, sizeof(*p));
	p->ctx = ctx;
	p->workload = workload;
}

void tm_stores__image(tm_store_probe *p, const char *image, tm_loc loc)
{
	p->cur_image = image;
	p->cmd_seen = false;
	if (p->dind && !p->dind_to) /* the next container's entries are its own */
		p->dind_to = p->n;
	if (!p->dind && tm_ingest__dind_image(image)) {
		p->dind = image;
		p->dind_at = loc;
		p->dind_from = p->n;
	}
	if (!image || p->by_image)
		return;
	p->image = image;
	bool own = false, word = false;
	const store_def *d = by_image(image, p->workload ? tm_node_name(p->workload) : NULL, &own, &word);
	if (!d)
		return;
	p->def = d;
	p->own_build = own;
	p->by_word = word;
	p->by_image = true;
	p->what = image;
	p->loc = loc;
}

/* Does the port number alone name d for this workload? Stores that answer over HTTP take ports
 * applications also take (8086, 8123, 8200, 9200, 5984): for them the number counts only when the
 * workload's name or image names the product too ("monitoring-influxdb",
 * "heapster-influxdb-amd64"); a gRPC service on 8086 is no InfluxDB. */
/* Products whose clients speak HTTP to them: the rest speak their own protocols over TCP. */
static bool speaks_http(const store_def *d)
{
	static const char *const http[] = {"influxdb", "elasticsearch", "couchdb", "clickhouse", "vault", "minio",
					   "dynamodb-local", "qdrant", "weaviate", "chroma", "meilisearch",
					   "typesense", "solr"};
	for (size_t i = 0; i < TM_ARRAY_LEN(http); i++)
		if (strcmp(d->product, http[i]) == 0)
			return true;
	return false;
}

static bool port_names(const tm_store_probe *p, const store_def *d)
{
	if (speaks_http(d) && d->ports) {
		const char *name = p->workload ? tm_node_name(p->workload) : NULL;
		return tm_strcasecontains(name, d->product) || tm_strcasecontains(p->image, d->product);
	}
	return true;
}

/* Does a word of image's repository name d ("goharbor/redis-photon": redis)? Said with the store's own
 * port, it is a build of the store, as the store's image would be (a tool beside a store,
 * redis-commander or mongodb-exporter, listens on a port of its own). */
static bool image_word_names(const char *image, const store_def *d)
{
	if (!image)
		return false;
	const char *base, *tag;
	size_t bl, tl;
	repo_parts(image, &base, &bl, &tag, &tl);
	const char *end = base + bl;
	for (const char *w = base; w < end;) {
		size_t k = 0;
		while (w + k < end && w[k] != '-' && w[k] != '_' && w[k] != '.')
			k++;
		if (k && in_words(d->images, w, k))
			return true;
		w += k + 1;
	}
	return false;
}

void tm_stores__port(tm_store_probe *p, const char *port, const char *name, tm_loc loc)
{
	if (port || name)
		p->port_seen = true;
	if (p->def) { /* the store's own port, or a port of something else (tm_stores__finish) */
		const store_def *d = DEF(p);
		if ((port && in_words(d->ports, port, strlen(port))) || (name && in_words(d->pnames, name, strlen(name))))
			p->store_port = true;
		return;
	}
	for (size_t i = 0; i < TM_ARRAY_LEN(table); i++)
		if ((port && in_words(table[i].ports, port, strlen(port)) && port_names(p, &table[i])) ||
		    (name && in_words(table[i].pnames, name, strlen(name)) && strcmp(name, "client") != 0)) {
			p->def = &table[i];
			p->what = port ? port : name;
			p->loc = loc;
			if (image_word_names(p->image, &table[i])) {
				p->by_image = true;
				p->own_build = true; /* its own settings: a password it is given counts (finish) */
				p->what = p->image;
			}
			return;
		}
}

static void remember(tm_store_probe *p, int which, const char *text, tm_loc loc)
{
	if (p->n >= TM_ARRAY_LEN(p->env) || (which == 'a' && p->nargs >= TM_ARRAY_LEN(p->env) / 2))
		return;
	p->nargs += which == 'a';
	p->env[p->n].which = which;
	p->env[p->n].text = text;
	p->env[p->n].loc = loc;
	p->n++;
}

/* An entry of the store's environment; src says where its value comes from. */
static void env_entry(tm_store_probe *p, const char *name, const char *value, const char *secret, const char *src,
		      tm_loc loc)
{
	remember(p, 'e', tm_arena_printf(p->ctx->scratch, "%s=%s", name, value ? value : "\x1f"), loc);
	p->secret_env = p->secret_env || secret;
	/* an empty value (`${ELASTIC_PASSWORD:-}` with nothing to fill it) hands it nothing */
	if (src && (tm_classify_name(name) & TM_CLASS_CREDENTIAL) && !(value && !*value))
		remember(p, 'c', src, loc);
	/* the database a store is created with names what it holds */
	if (value && (strstr(name, "_DB") || strstr(name, "_DATABASE")))
		remember(p, 'd', value, loc);
}

void tm_stores__env(tm_store_probe *p, const char *name, const char *value, const char *secret, tm_loc loc)
{
	if (!name)
		return;
	const char *src = secret ? tm_arena_printf(p->ctx->scratch, "%s (from secret %s)", name, secret)
			  : value ? tm_arena_printf(p->ctx->scratch, "%s (written in the manifest)", name)
				  : tm_arena_printf(p->ctx->scratch, "%s (from the environment)", name);
	env_entry(p, name, value, secret, src, loc);
}

void tm_stores__env_example(tm_store_probe *p, const char *name, const char *value, tm_loc loc)
{
	if (!name)
		return;
	const char *src = tm_arena_printf(p->ctx->scratch, "%s (the example's value, %s:%u)", name,
					  loc.path ? loc.path : "?", loc.line);
	env_entry(p, name, value, NULL, src, loc);
}

static bool config_file(const char *arg);

void tm_stores__mount(tm_store_probe *p, const char *target, tm_loc loc)
{
	if (target)
		remember(p, 'm', target, loc);
}

void tm_stores__env_from(tm_store_probe *p)
{
	p->env_from = true;
}

/* Is the program w (n bytes, a path or a bare name) one of list's, by its base name? */
static bool program_in(const char *w, size_t n, const char *const *list, size_t nlist)
{
	const char *base = w;
	for (size_t i = 0; i < n; i++)
		if (w[i] == '/')
			base = w + i + 1;
	size_t bl = n - (size_t)(base - w);
	for (size_t i = 0; i < nlist; i++)
		if (strlen(list[i]) == bl && strncmp(base, list[i], bl) == 0)
			return true;
	return false;
}

/* The program a container's command line runs, past a shell and its flags (sh -c, bash -ec, exec):
 * a client of the store its image is (a Job running psql in a postgres image) runs no store. */
static void command_word(tm_store_probe *p, const char *w, size_t n)
{
	static const char *const shells[] = {"sh", "bash", "ash", "dash", "exec", "env"};
	static const char *const clients[] = {"psql", "pg_dump", "pg_restore", "pg_isready", "createdb", "mysql",
					      "mysqldump", "mysqladmin", "mongosh", "mongo", "mongodump", "mongorestore",
					      "mongoimport", "redis-cli", "cqlsh", "clickhouse-client", "sqlcmd",
					      "influx", "etcdctl", "kafka-topics", "kafka-topics.sh",
					      "kafka-console-producer", "kafka-console-producer.sh", "rabbitmqadmin"};
	if (p->cmd_seen || !n || w[0] == '-' || program_in(w, n, shells, TM_ARRAY_LEN(shells)))
		return;
	p->cmd_seen = true;
	/* only the container whose image named the store: a sidecar's client is its own business */
	if (program_in(w, n, clients, TM_ARRAY_LEN(clients)) && p->by_image && p->cur_image && p->what == p->cur_image)
		p->client = true;
}

void tm_stores__arg(tm_store_probe *p, const char *arg, tm_loc loc)
{
	if (!arg)
		return;
	command_word(p, arg, strcspn(arg, " \t\r\n;&|"));
	if (!arg[strcspn(arg, " \t\n")]) {
		remember(p, 'a', arg, loc);
		return;
	}
	/* a whole shell line (`sh -c "exec memcached -S"`, a script in one item): the words a store
	 * reads of its command line, its flags (with the word after one: `--protected-mode no`),
	 * settings (`a=b`) and configuration files; not a script's other words */
	bool after_flag = false;
	for (const char *w = arg; *w;) {
		w += strspn(w, " \t\r\n;&|");
		size_t n = strcspn(w, " \t\r\n;&|");
		const char *word = n ? tm_arena_strndup(p->ctx->scratch, w, n) : NULL;
		bool flag = word && word[0] == '-';
		if (word && (flag || after_flag || strchr(word, '=') || config_file(word)))
			remember(p, 'a', word, loc);
		after_flag = flag && !strchr(word, '=');
		w += n;
	}
}

/* Does a word of s (split at non-alphanumerics, plural 's' allowed) name personal data? */
static const char *personal_word(const char *s)
{
	for (const char *w = s; s && *w;) {
		while (*w && !isalnum((unsigned char)*w))
			w++;
		const char *e = w;
		while (*e && isalnum((unsigned char)*e))
			e++;
		size_t n = (size_t)(e - w);
		for (size_t i = 0; n && i < TM_ARRAY_LEN(personal); i++) {
			size_t l = strlen(personal[i]);
			if ((n == l || (n == l + 1 && tolower((unsigned char)w[l]) == 's')) && strncasecmp(w, personal[i], l) == 0)
				return personal[i];
		}
		w = e;
	}
	return NULL;
}

/* An argument naming a configuration file (redis-server /etc/redis.conf, mongod --config=/etc/mongod.conf):
 * what the file says is not read, so the image's open default is not assumed. */
static bool config_file(const char *arg)
{
	static const char *const ext[] = {".conf", ".cnf", ".cfg", ".yml", ".yaml", ".toml", ".ini"};
	const char *eq = strchr(arg, '=');
	const char *path = eq ? eq + 1 : arg;
	size_t n = strlen(path);
	for (size_t i = 0; i < TM_ARRAY_LEN(ext); i++) {
		size_t l = strlen(ext[i]);
		if (n > l && strcasecmp(path + n - l, ext[i]) == 0)
			return true;
	}
	return false;
}

/* A JVM's flags variable (KAFKA_OPTS, SERVER_JVMFLAGS): it sets authentication only when its value
 * says so, not when it holds heap sizes. */
static bool jvm_flags(const char *t, size_t n)
{
	return (n == 10 && strncasecmp(t, "KAFKA_OPTS", n) == 0) || (n == 15 && strncasecmp(t, "SERVER_JVMFLAGS", n) == 0);
}

/* Does a JVM's flags value configure authentication: a JAAS login file, ZooKeeper's auth provider,
 * SASL? */
static bool jaas(const char *val)
{
	return tm_strcasecontains(val, "java.security.auth.login.config") || tm_strcasecontains(val, "authProvider") ||
	       tm_strcasecontains(val, "sasl");
}

/* A proxy's image (haproxy, envoy, nginx, twemproxy, pgbouncer...): it listens on the store's port
 * in front of the store, which has its own authentication. */
static bool proxy_image(const char *image)
{
	static const char *const proxies[] = {"haproxy", "envoy", "nginx", "twemproxy", "nutcracker", "pgbouncer",
					      "proxysql", "traefik", "socat", "stunnel", "odyssey", "pgpool"};
	if (!image)
		return false;
	size_t n = strcspn(image, "@:");
	const char *slash = NULL;
	for (const char *q = image; q < image + n; q++)
		if (*q == '/')
			slash = q;
	char base[128];
	const char *b = slash ? slash + 1 : image;
	tm_formatf(base, sizeof(base), "%.*s", (int)(image + n - b), b);
	for (size_t i = 0; i < TM_ARRAY_LEN(proxies); i++)
		if (tm_strcasecontains(base, proxies[i]))
			return true;
	return tm_strcasecontains(base, "proxy");
}

/* Is image's repository (tag and digest left out) one of the space-separated repos, "docker.io/"
 * before it or not? */
static bool repo_in(const char *image, const char *repos)
{
	size_t n = strcspn(image, "@"), slash = 0;
	for (size_t i = 0; i < n; i++)
		if (image[i] == '/')
			slash = i;
	const char *colon = memchr(image + slash, ':', n - slash);
	n = colon ? (size_t)(colon - image) : n;
	if (n > 10 && strncmp(image, "docker.io/", 10) == 0)
		image += 10, n -= 10;
	return in_words(repos, image, n);
}

/* The login a DEFAULT_LOGIN product's image starts with when none is configured, and the setting
 * that replaces it: RabbitMQ's guest/guest, which the Docker official image lets in from any
 * address (its conf.d/10-defaults.conf sets loopback_users.guest = false), Bitnami's RabbitMQ
 * user/bitnami, MinIO's minioadmin/minioadmin, and OpenSearch before 2.12, which installs its demo
 * security configuration, admin/admin, unless told not to (DISABLE_INSTALL_DEMO_CONFIG,
 * judge_auth; from 2.12 on it will not start without OPENSEARCH_INITIAL_ADMIN_PASSWORD). NULL for
 * another's build (its own defaults). */
static const char *default_login(const store_def *d, const char *image, const char **setting)
{
	static const struct {
		const char *product, *repos, *setting, *login;
		int below_major, below_minor; /* the tags it holds for (0: every one) */
	} logins[] = {
		{"rabbitmq", "rabbitmq library/rabbitmq", "RABBITMQ_DEFAULT_PASS", "guest/guest", 0, 0},
		{"rabbitmq", "bitnami/rabbitmq bitnamilegacy/rabbitmq public.ecr.aws/bitnami/rabbitmq", "RABBITMQ_PASSWORD",
		 "user/bitnami", 0, 0},
		{"minio", "minio/minio quay.io/minio/minio", "MINIO_ROOT_PASSWORD", "minioadmin/minioadmin", 0, 0},
		{"elasticsearch", "opensearchproject/opensearch", "OPENSEARCH_INITIAL_ADMIN_PASSWORD", "admin/admin", 2, 12},
	};
	for (size_t i = 0; image && i < TM_ARRAY_LEN(logins); i++)
		if (strcmp(d->product, logins[i].product) == 0 && repo_in(image, logins[i].repos) &&
		    (!logins[i].below_major || tag_before(image, logins[i].below_major, logins[i].below_minor))) {
			*setting = logins[i].setting;
			return logins[i].login;
		}
	return NULL;
}

/* A password everyone knows, written as the value deployed: the placeholder words a project's
 * shipped .env or compose file leaves for the user to change (docker-elk's ELASTIC_PASSWORD
 * 'changeme'), Java's keystore default and the first words anyone tries, one list with the
 * consoles' (tm_console_known_password); and every placeholder TM-SEC-003 passes over as no
 * credential (tm_ingest__not_a_value: changePassword, SuperSecretKeyChangeThis, <password>), which
 * deployed as written is a password anyone who reads the repository knows. Only a store's and a
 * console's own password settings are judged so; elsewhere such a value is a placeholder, not a
 * secret. */
bool tm_stores__known_password(const char *v)
{
	if (!v)
		return false;
	const char *why = tm_console_known_password(v) ? NULL : tm_ingest__not_a_value(v, strlen(v));
	return !why ? tm_console_known_password(v) : strcmp(why, "placeholder") == 0;
}

const char *tm_ingest__console_item(tm_arena *a, const char *key, const char *value)
{
	if (key && value && tm_stores__known_password(value))
		return tm_console_env_item_known(a, key, value);
	return key ? tm_console_env_item(a, key, value) : NULL;
}

/* A mount where the product reads its configuration without being told (RabbitMQ: /etc/rabbitmq
 * and its conf.d, Bitnami's /opt/bitnami/rabbitmq/etc and /bitnami/rabbitmq/conf; Milvus'
 * /milvus/configs, where milvus.yaml turns authorization on): the files may set its users. */
static bool config_mount(const store_def *d, const char *target)
{
	static const struct {
		const char *product, *dir;
	} dirs[] = {
		{"rabbitmq", "/etc/rabbitmq"},
		{"rabbitmq", "/opt/bitnami/rabbitmq/etc"},
		{"rabbitmq", "/bitnami/rabbitmq/conf"},
		{"elasticsearch", "/usr/share/opensearch/config/opensearch-security"},
		{"milvus", "/milvus/configs"},
		/* MQTT brokers: EMQX's emqx.conf (its authenticators), VerneMQ's vernemq.conf, HiveMQ's
		 * extensions (a security extension replaces allow-all) */
		{"emqx", "/opt/emqx/etc"},
		{"vernemq", "/vernemq/etc"},
		{"hivemq", "/opt/hivemq/extensions"},
		/* Meilisearch reads config.toml from its working directory (its master key may be there; a
		 * data volume at /meili_data is no configuration); Solr its home's security.json */
		{"meilisearch", "/meili_data/config.toml"},
		{"solr", "/var/solr/data/security.json"},
	};
	for (size_t i = 0; target && i < TM_ARRAY_LEN(dirs); i++) {
		size_t l = strlen(dirs[i].dir);
		if (strcmp(d->product, dirs[i].product) == 0 && strncmp(target, dirs[i].dir, l) == 0 &&
		    (target[l] == '\0' || target[l] == '/' || target[l] == ':'))
			return true;
	}
	return false;
}

/* A setting or flag naming where the product's configuration lives, which the scan does not read:
 * Meilisearch's configuration file, Solr's ZooKeeper (cloud mode keeps security.json there). */
static bool config_setting(const store_def *d, const char *t, size_t n)
{
	static const struct {
		const char *product, *names;
	} settings[] = {{"meilisearch", "MEILI_CONFIG_FILE_PATH --config-file-path"},
			{"solr", "ZK_HOST SOLR_ZK_HOSTS -z --zk-host"}};
	for (size_t i = 0; i < TM_ARRAY_LEN(settings); i++)
		if (strcmp(d->product, settings[i].product) == 0 && in_words(settings[i].names, t, n))
			return true;
	return false;
}

/* The value of Kafka's setting x as an environment entry, KAFKA_<x> or Bitnami's KAFKA_CFG_<x>
 * (NULL: not given, or its value not known), with its place. */
static const char *kafka_setting(const tm_store_probe *p, const char *x, tm_loc *at)
{
	size_t xl = strlen(x);
	for (size_t i = 0; i < p->n; i++) {
		const char *t = p->env[i].text;
		if (p->env[i].which != 'e' || !t || strncmp(t, "KAFKA_", 6) != 0)
			continue;
		const char *k = t + 6;
		if (strncmp(k, "CFG_", 4) == 0)
			k += 4;
		if (strncmp(k, x, xl) == 0 && k[xl] == '=' && strcmp(k + xl + 1, "\x1f") != 0) {
			*at = p->env[i].loc;
			return k + xl + 1;
		}
	}
	return NULL;
}

/* Is [w, w+n) one of the comma-separated names of list? */
static bool in_commas(const char *list, const char *w, size_t n)
{
	for (const char *q = list; q && *q;) {
		q += strspn(q, " ,");
		size_t l = strcspn(q, ",");
		while (l && q[l - 1] == ' ')
			l--;
		if (l == n && strncasecmp(q, w, n) == 0)
			return true;
		q += strcspn(q, ",");
	}
	return false;
}

/* Does the compose workload publish container port [port, +n) on an address beyond loopback? */
bool tm_stores__port_published(const tm_node *w, const char *port, size_t n)
{
	const tm_attr *a = tm_node_attr_get(w, "published_ports");
	for (size_t i = 0; a && a->type == TM_ATTR_LIST && a->list[i]; i++) {
		const char *item = a->list[i], *arrow = strstr(item, "->");
		if (!arrow || strncmp(item, "127.", 4) == 0 || strncmp(item, "localhost:", 10) == 0 ||
		    strncmp(item, "[::1]", 5) == 0)
			continue;
		if (strncmp(arrow + 2, port, n) == 0 && !isdigit((unsigned char)arrow[2 + n]))
			return true;
	}
	return false;
}

/* A Kafka broker that authenticates on some listener may not on all: each listener of
 * KAFKA_LISTENERS (else KAFKA_ADVERTISED_LISTENERS) whose protocol (its name's in
 * KAFKA_LISTENER_SECURITY_PROTOCOL_MAP, else the name itself) is PLAINTEXT, or SSL without
 * ssl.client.auth=required, admits any client there; the controller's listeners take no client.
 * Each is a no_auth fact, those on published ports first; when none is published (compose), the
 * store says no_auth_internal_only. True when one was found. */
static bool kafka_listeners(tm_store_probe *p, tm_model_builder *mb, tm_node *s)
{
	tm_loc map_at = {0}, ls_at = {0}, ctl_at;
	const char *map = kafka_setting(p, "LISTENER_SECURITY_PROTOCOL_MAP", &map_at);
	const char *ls = kafka_setting(p, "LISTENERS", &ls_at);
	if (!ls)
		ls = kafka_setting(p, "ADVERTISED_LISTENERS", &ls_at);
	const char *ctl = kafka_setting(p, "CONTROLLER_LISTENER_NAMES", &ctl_at);
	const char *all_ssl = kafka_setting(p, "SSL_CLIENT_AUTH", &ctl_at);
	if (!ls)
		return false;
	const char *wk = p->workload ? tm_node_attr_str(p->workload, "workload") : NULL;
	bool compose = wk && strcmp(wk, "compose-service") == 0;
	const char *facts[16];
	bool pub[16];
	size_t nf = 0;
	for (const char *q = ls; *q && nf < TM_ARRAY_LEN(facts);) {
		q += strspn(q, " ,");
		size_t l = strcspn(q, ",");
		const char *sep = strstr(q, "://");
		if (!l || !sep || sep > q + l) {
			q += l;
			continue;
		}
		size_t nl = (size_t)(sep - q);
		const char *colon = q + l;
		while (colon > sep && *colon != ':')
			colon--;
		const char *port = colon > sep ? colon + 1 : NULL;
		size_t pl = port ? strspn(port, "0123456789") : 0;
		/* the protocol: the map's entry "NAME:PROTOCOL", else the name itself */
		const char *proto = q;
		size_t prl = nl;
		for (const char *m = map; m && *m;) {
			m += strspn(m, " ,");
			size_t ml = strcspn(m, ","), kl = strcspn(m, ":");
			if (kl < ml && kl == nl && strncasecmp(m, q, nl) == 0) {
				proto = m + kl + 1;
				prl = ml - kl - 1;
			}
			m += ml;
		}
		char own[160];
		tm_formatf(own, sizeof(own), "LISTENER_NAME_%.*s_SSL_CLIENT_AUTH", (int)nl, q);
		for (char *c = own; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		tm_loc dummy;
		const char *ca = kafka_setting(p, own, &dummy);
		bool client_cert = ca ? strcasecmp(ca, "required") == 0 : all_ssl && strcasecmp(all_ssl, "required") == 0;
		bool open = (prl == 9 && strncasecmp(proto, "PLAINTEXT", 9) == 0) ||
			    (prl == 3 && strncasecmp(proto, "SSL", 3) == 0 && !client_cert);
		if (open && !(ctl && in_commas(ctl, q, nl))) {
			bool published = compose && pl && tm_stores__port_published(p->workload, port, pl);
			pub[nf] = published;
			facts[nf++] = tm_arena_printf(p->ctx->scratch, "listener %.*s (port %.*s) is %.*s: it authenticates no client%s",
						      (int)nl, q, (int)(pl ? pl : 1), pl ? port : "?", (int)prl, proto,
						      compose && !published ? " (its port is not published)" : "");
		}
		q += l;
	}
	if (!nf)
		return false;
	bool any_pub = false;
	for (int pass = 1; pass >= 0; pass--) /* published first: TM-DATA-002 names the first */
		for (size_t i = 0; i < nf; i++)
			if (pub[i] == (bool)pass) {
				tm_mb_node_fact(mb, s, "no_auth", facts[i], map ? map_at : ls_at);
				any_pub = any_pub || pub[i];
			}
	if (compose && !any_pub)
		tm_mb_node_bool(mb, s, "no_auth_internal_only", true);
	tm_mb_node_str(mb, s, "auth", "none");
	return true;
}

/* Keys the documentation of a product shows in its examples, deployed as written: Meilisearch's
 * aSampleMasterKey and MASTER_KEY, Typesense's xyz. */
static bool example_key(const store_def *d, const char *name, size_t n, const char *val)
{
	static const struct {
		const char *product, *names, *value;
	} keys[] = {{"meilisearch", "MEILI_MASTER_KEY --master-key", "aSampleMasterKey"},
		    {"meilisearch", "MEILI_MASTER_KEY --master-key", "MASTER_KEY"},
		    {"typesense", "TYPESENSE_API_KEY --api-key", "xyz"}};
	for (size_t i = 0; i < TM_ARRAY_LEN(keys); i++)
		if (strcmp(d->product, keys[i].product) == 0 && in_words(keys[i].names, name, n) &&
		    strcmp(val, keys[i].value) == 0)
			return true;
	return false;
}

/* Is entry t (which: 'e' a setting, 'a' an argument; its name n bytes, its value val) one of d's
 * authentication settings given a password everyone knows? A user's name (MONGO_INITDB_ROOT_USERNAME,
 * --user) is no password, whatever it is: admin is a user name as often as a password. An argument
 * counts written as --flag=value. */
static bool weak_setting(const store_def *d, int which, const char *t, size_t n, const char *val)
{
	if ((which != 'e' && which != 'a') || (which == 'a' && t[n] != '=') || !d->secured || !in_words(d->secured, t, n))
		return false;
	char name[128];
	tm_formatf(name, sizeof(name), "%.*s", (int)n, t);
	if (tm_strcasecontains(name, "USER"))
		return false;
	return tm_stores__known_password(val) || example_key(d, t, n, val);
}

/* "NAME=value" switch, or an argument, that turns authentication on (secured) or off (open)? */
static void judge_auth(tm_store_probe *p, tm_model_builder *mb, tm_node *s)
{
	const store_def *d = DEF(p);
	bool secured = false, own_password = false;
	const char *conf = NULL; /* a configuration file it is started with: it may set authentication */
	/* a DEFAULT_LOGIN product's image whose login everyone knows, unless it is set otherwise */
	const char *setting = NULL; /* the password setting that replaces it */
	const char *login = p->by_image && !p->own_build ? default_login(d, p->what, &setting) : NULL;
	const char *weak = NULL; /* a password setting given a password everyone knows (changeme) */
	tm_loc weak_at = p->loc;
	/* Meilisearch's mode (MEILI_ENV, --env): development unless told, production refuses to start
	 * without a master key */
	bool meili = strcmp(d->product, "meilisearch") == 0, production = false, mode_unknown = false;
	tm_loc mode_at = p->loc;
	for (size_t i = 0; i < p->n; i++) {
		const char *t = p->env[i].text;
		if (t && p->env[i].which == 'm' && !conf && config_mount(d, t))
			conf = t;
		if (!t || p->env[i].which == 'c' || p->env[i].which == 'd' || p->env[i].which == 'm')
			continue;
		size_t name = p->env[i].which == 'e' ? strcspn(t, "=") : strcspn(t, "= ");
		const char *val = t[name] == '=' ? t + name + 1 : "";
		bool unset = strcmp(val, "\x1f") == 0;
		/* "NAME=" with the value in the switch list: the switch, unless it came from outside */
		char *pair = unset ? NULL : tm_arena_printf(p->ctx->scratch, "%.*s=%s", (int)name, t, val);
		if (pair && d->open && in_words(d->open, pair, strlen(pair))) {
			bool known = d->by_default == DEFAULT_LOGIN; /* a password everyone knows */
			tm_mb_node_fact(mb, s, "no_auth",
					known ? tm_arena_printf(p->ctx->scratch, "%s, a password everyone knows", pair)
					      : pair,
					p->env[i].loc);
			tm_mb_node_str(mb, s, "auth", known ? "default-login" : "none");
			return;
		}
		if (p->env[i].which == 'a' && d->open && in_words(d->open, t, name)) {
			tm_mb_node_fact(mb, s, "no_auth", tm_arena_printf(p->ctx->scratch, "started with %.*s", (int)name, t),
					p->env[i].loc);
			tm_mb_node_str(mb, s, "auth", "none");
			return;
		}
		if (d->secured && in_words(d->secured, t, name) && (p->env[i].which == 'a' || unset || *val) &&
		    (!jvm_flags(t, name) || jaas(val)))
			secured = true;
		if (pair && !weak && weak_setting(d, p->env[i].which, t, name, val)) {
			weak = pair;
			weak_at = p->env[i].loc;
		}
		if (!conf && (p->env[i].which == 'e' || p->env[i].which == 'a') && config_setting(d, t, name))
			conf = t;
		/* Meilisearch's mode: MEILI_ENV, --env=production or --env production */
		if (meili && ((p->env[i].which == 'e' && name == 9 && strncmp(t, "MEILI_ENV", 9) == 0) ||
			      (p->env[i].which == 'a' && name == 5 && strncmp(t, "--env", 5) == 0))) {
			const char *mode = t[name] == '=' ? val
					   : i + 1 < p->n && p->env[i + 1].which == 'a' ? p->env[i + 1].text
											: "";
			mode_unknown = unset;
			production = !unset && strcasecmp(mode, "production") == 0;
			mode_at = p->env[i].loc;
		}
		/* OpenSearch told not to install its demo configuration: no admin/admin */
		if (pair && strcasecmp(pair, "DISABLE_INSTALL_DEMO_CONFIG=true") == 0)
			login = NULL;
		if (p->env[i].which == 'e' && strstr(val, "SASL_")) /* Kafka listeners with SASL */
			secured = true;
		/* Kafka's SSL listeners asking for the client's certificate (KAFKA_SSL_CLIENT_AUTH,
		 * bitnami's KAFKA_CFG_SSL_CLIENT_AUTH, KAFKA_TLS_CLIENT_AUTH): mutual TLS authenticates */
		if (p->env[i].which == 'e' && name > 16 && strcasecmp(val, "required") == 0 &&
		    (strncasecmp(t + name - 16, "_TLS_CLIENT_AUTH", 16) == 0 ||
		     strncasecmp(t + name - 16, "_SSL_CLIENT_AUTH", 16) == 0))
			secured = true;
		if (p->env[i].which == 'a' && !conf && config_file(t))
			conf = t;
		/* a project's own build of the store sets its user up its own way (an init script run
		 * with MONGODB_PASSWORD): a password handed to it is no proof, nor is its absence of a
		 * known variable proof of none */
		if (p->own_build && p->env[i].which == 'e' && *val && !unset &&
		    tm_strcasecontains(tm_arena_printf(p->ctx->scratch, "%.*s", (int)name, t), "PASS"))
			own_password = true;
	}
	if (conf)
		tm_mb_node_str(mb, s, "config_file", conf);
	if (weak) { /* the password set is one everyone knows: as good as none */
		tm_mb_node_fact(mb, s, "no_auth", tm_arena_printf(p->ctx->scratch, "%s, a password everyone knows", weak),
				weak_at);
		tm_mb_node_str(mb, s, "auth", "default-login");
		return;
	}
	/* a product that will not start without its key (Typesense; Meilisearch in production) given
	 * none: nothing runs to admit anyone, said in a note */
	if (!secured && !conf && !p->env_from && p->by_image && !p->own_build &&
	    ((meili && production) || strcmp(d->product, "typesense") == 0)) {
		const char *why = meili ? "MEILI_ENV=production without MEILI_MASTER_KEY (or --master-key): Meilisearch "
					  "refuses to start"
					: "no TYPESENSE_API_KEY (or --api-key): Typesense refuses to start";
		tm_mb_node_fact(mb, s, "not_started", why, meili ? mode_at : p->loc);
		tm_diag_add(p->ctx->diags, 0, TM_LEVEL_NOTE, meili ? mode_at : p->loc, "%s %s: %s", d->product,
			    tm_node_id(p->workload), why);
		tm_mb_node_str(mb, s, "auth", "unknown");
		return;
	}
	/* a broker authenticating on one listener may admit anyone on another */
	if (secured && strcmp(d->product, "kafka") == 0 && kafka_listeners(p, mb, s))
		return;
	if (!secured && !conf && p->by_image && !p->own_build && version_side(d, p->what) == 0)
		tm_mb_node_bool(mb, s, "secured_by_default", true); /* Elasticsearch 8: security on */
	/* Vault asks every client for a token unless started with -dev (its open switch, above):
	 * there is no setting that turns authentication on, so none is looked for; VerneMQ refuses
	 * anonymous clients unless DOCKER_VERNEMQ_ALLOW_ANONYMOUS (above) or its vernemq.conf says */
	if ((strcmp(d->product, "vault") == 0 || strcmp(d->product, "typesense") == 0 ||
	     (strcmp(d->product, "vernemq") == 0 && !conf)) &&
	    p->by_image)
		tm_mb_node_bool(mb, s, "secured_by_default", true);
	if (login && !secured && !conf && !p->env_from) {
		const char *why = tm_arena_printf(p->ctx->scratch, "%s sets no %s: %s works from any address", p->what,
						  setting, login);
		tm_mb_node_fact(mb, s, "no_auth", why, p->loc);
		tm_mb_node_str(mb, s, "default_login", login);
		tm_mb_node_str(mb, s, "auth", "default-login");
		return;
	}
	bool open = d->by_default == DEFAULT_OPEN || open_version(d, p->what);
	if (!secured && open && p->by_image && !conf && !own_password) {
		const char *why = tm_arena_printf(p->ctx->scratch, "%s image without %s%s%s", d->product,
						  d->secured ? "any of " : "authentication settings", d->secured ? d->secured : "",
						  !meili	 ? ""
						  : mode_unknown ? " (MEILI_ENV from outside the files: taken as development, "
								   "its default, in which it answers every caller)"
								 : " (development mode, its default: it answers every caller)");
		tm_mb_node_fact(mb, s, "no_auth", why, p->loc);
	} else if (!secured && d->by_default == DEFAULT_OPEN && !p->by_image && !conf && !own_password &&
		   !p->secret_env && !proxy_image(p->image)) {
		/* known by its port alone: the image may configure it its own way, so an assumption,
		 * said as one (TM-DATA-002 keeps it at medium), not silence; not when a Secret hands it
		 * something (a password under another name: AUTH) or a proxy listens on the port */
		const char *why = tm_arena_printf(p->ctx->scratch,
						  "%s by its port %s, given none of %s%s; assumed open, as %s is by default, "
						  "unless its image's own configuration sets a password",
						  d->product, p->what, d->secured ? "" : "its authentication settings",
						  d->secured ? d->secured : "", d->product);
		tm_mb_node_fact(mb, s, "no_auth", why, p->loc);
		tm_mb_node_bool(mb, s, "no_auth_assumed", true);
	}
	tm_mb_node_str(mb, s, "auth",
		       secured                                                                         ? "configured"
		       : open && p->by_image && !conf && !own_password ? "none"
											   : "unknown");
}

/* What a store a personal word names holds: credentials, financial records or personal data. */
static const char *holds_of(const char *word)
{
	bool cred = strcmp(word, "session") == 0 || strcmp(word, "credential") == 0 || strcmp(word, "token") == 0 ||
		    strcmp(word, "auth") == 0 || strcmp(word, "keycloak") == 0 || strcmp(word, "iam") == 0 ||
		    strcmp(word, "identity") == 0 || strcmp(word, "login") == 0;
	return cred ? "credentials" : financial_word(word) ? "financial records" : "personal data";
}

/* The default classification of s, a store of d run by a workload named name: what the product
 * holds, else what the workload's name, or the first database name dbs (NULL-ended, may be NULL)
 * says. */
static void classify(tm_ingest_ctx *ctx, const store_def *d, tm_node *s, const char *name, const char *const *dbs)
{
	tm_model_builder *mb = ctx->mb;
	if (d->holds) {
		tm_mb_node_str(mb, s, "classification", strcmp(d->product, "vault") == 0 ? "restricted" : "confidential");
		tm_mb_node_str(mb, s, "classification_source",
			       tm_arena_printf(ctx->scratch, "default: %s holds credentials", d->product));
		tm_mb_node_str(mb, s, "holds", "credentials");
		return;
	}
	if (d->kind != TM_NODE_DATASTORE)
		return;
	const char *from = name, *word = personal_word(from);
	for (size_t i = 0; !word && dbs && dbs[i]; i++)
		if ((word = personal_word(dbs[i])))
			from = dbs[i];
	if (!word)
		return;
	const char *holds = holds_of(word);
	tm_mb_node_str(mb, s, "classification", "confidential");
	tm_mb_node_str(mb, s, "classification_source",
		       tm_arena_printf(ctx->scratch, "default: the name '%s' suggests %s", from, holds));
	tm_mb_node_str(mb, s, "holds", holds);
}

/* The personal word a caller's name is about: any of a name of one or two words (auth, orders,
 * user-service, shop-payments), only the first of a longer one: snuba-outcomes-billing-consumer is
 * an outcomes consumer, and says nothing of what the cache it shares with fifty others holds. */
static const char *caller_word(const char *name)
{
	size_t words = 0, first = 0;
	for (const char *w = name; w && *w;) {
		while (*w && !isalnum((unsigned char)*w))
			w++;
		const char *e = w;
		while (*e && isalnum((unsigned char)*e))
			e++;
		if (e > w && !words++)
			first = (size_t)(e - name);
		w = e;
	}
	if (words <= 2)
		return personal_word(name);
	char head[128];
	tm_formatf(head, sizeof(head), "%.*s", (int)first, name);
	return personal_word(head);
}

/* A store its own name leaves unclassified, called by a workload whose name says what it keeps
 * (supabase's `db`, written by `auth`; one `postgres` an `orders` service and others share): the
 * caller's data is in it. The first such caller, in the order the edges were drawn, names it.
 * Linear in nodes and edges; an overlay asset, read after, overrides it. */
void tm_stores__classify_by_callers(tm_ingest_ctx *ctx)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	tm_hmap stores = TM_HMAP_INIT; /* workload id -> its unclassified datastore */
	for (size_t i = 0, nn = tm_model_node_count(m); i < nn; i++) {
		const tm_node *s = tm_model_node(m, i);
		const char *in = tm_node_kind_of(s) == TM_NODE_DATASTORE ? tm_node_attr_str(s, "runs_in") : NULL;
		if (in && !tm_node_attr_str(s, "classification") && tm_hmap_put(&stores, in, strlen(in), (void *)s))
			tm_arena_set_failed(ctx->scratch);
	}
	for (size_t i = 0, ne = stores.count ? tm_model_edge_count(m) : 0; i < ne; i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) != TM_EDGE_CALLS)
			continue;
		const char *to = tm_node_id(tm_edge_to(e));
		const tm_node *c = tm_edge_from(e), *s = tm_hmap_get(&stores, to, strlen(to));
		const char *word = s ? caller_word(tm_node_name(c)) : NULL;
		tm_node *st = word ? tm_mb_find(ctx->mb, tm_node_id(s)) : NULL;
		if (!st || tm_node_attr_str(st, "classification"))
			continue;
		const char *holds = holds_of(word);
		tm_mb_node_str(ctx->mb, st, "classification", "confidential");
		tm_mb_node_str(ctx->mb, st, "classification_source",
			       tm_arena_printf(ctx->scratch, "default: called by '%s', whose name suggests %s",
					       tm_node_name(c), holds));
		tm_mb_node_str(ctx->mb, st, "holds", holds);
		tm_loc at = tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : (tm_loc){NULL, 0, 0, NULL};
		tm_mb_node_fact(ctx->mb, st, "classified_by_caller", tm_node_id(c), at); /* the call's place */
	}
	tm_hmap_dispose(&stores);
}

/* The store node of product d beside workload w: "datastore:<w's id without 'service:'>" (or
 * "queue:..."), its facts of who runs it, and the `writes` edge "runs the store". */
static tm_node *beside(tm_ingest_ctx *ctx, const store_def *d, tm_node *w, tm_loc loc, const char *inferred_from)
{
	tm_model_builder *mb = ctx->mb;
	const char *wid = tm_node_id(w);
	if (strncmp(wid, "service:", 8) == 0)
		wid += 8;
	char *id = tm_arena_printf(ctx->scratch, "%s:%s", d->kind == TM_NODE_QUEUE ? "queue" : "datastore", wid);
	tm_node *s = id ? tm_mb_node(mb, d->kind, id, tm_node_name(w), tm_node_boundary(w), loc) : NULL;
	if (!s)
		return NULL;
	const char *ns = tm_node_attr_str(w, "namespace");
	if (ns)
		tm_mb_node_str(mb, s, "namespace", ns);
	tm_mb_node_str(mb, s, "store", d->product);
	if (speaks_http(d))
		tm_mb_node_bool(mb, s, "speaks_http", true);
	tm_mb_node_str(mb, s, "runs_in", tm_node_id(w));
	tm_mb_node_str(mb, s, "inferred_from", inferred_from);
	tm_mb_node_str(mb, w, "runs_store", id);
	tm_edge *e = tm_mb_edge(mb, w, s, TM_EDGE_WRITES, loc);
	if (e)
		tm_mb_edge_str(mb, e, "how", "runs the store");
	return s;
}

tm_node *tm_stores__operated(tm_ingest_ctx *ctx, tm_node *w, const char *product, tm_loc loc,
			     const char *inferred_from, const char *const *dbs)
{
	const store_def *d = by_name(product);
	tm_node *s = d && w ? beside(ctx, d, w, loc, inferred_from) : NULL;
	if (s)
		classify(ctx, d, s, tm_node_name(w), dbs);
	return s;
}

/* A compose MQTT broker admitting anyone whose client ports (MQTT, MQTT over TLS, its websockets)
 * none is published: only its dashboard or nothing is, and the anonymous way in stays on the
 * project's network (no_auth_internal_only, as for a Kafka listener). */
static void mqtt_unpublished(const tm_store_probe *p, const store_def *d, tm_node *s)
{
	static const struct {
		const char *product, *ports;
	} brokers[] = {{"emqx", "1883 8883 8083 8084"}, {"vernemq", "1883 8883 8080"}, {"hivemq", "1883 8000"}};
	const char *wk = tm_node_attr_str(p->workload, "workload");
	if (!wk || strcmp(wk, "compose-service") != 0 || !tm_node_attr_get(s, "no_auth"))
		return;
	for (size_t i = 0; i < TM_ARRAY_LEN(brokers); i++) {
		if (strcmp(d->product, brokers[i].product) != 0)
			continue;
		for (const char *q = brokers[i].ports; *q;) {
			size_t n = strcspn(q, " ");
			if (tm_stores__port_published(p->workload, q, n))
				return;
			q += n + (q[n] == ' ');
		}
		tm_mb_node_bool(p->ctx->mb, s, "no_auth_internal_only", true);
	}
}

tm_node *tm_stores__finish(tm_store_probe *p)
{
	tm_ingest__docker_api(p);
	if (!p->def || !p->workload || p->client)
		return NULL;
	const store_def *d = DEF(p);
	/* named by one word of several, on ports none of which is the store's: an application
	 * bundling the store (thingsboard/tb-postgres on 1883, 8080, 7070), not the store published */
	if (p->by_word && p->port_seen && !p->store_port && (d->ports || d->pnames))
		return NULL;
	tm_node *s = beside(p->ctx, d, p->workload, p->loc,
			    p->by_image ? tm_arena_printf(p->ctx->scratch, "image %s", p->what)
					: tm_arena_printf(p->ctx->scratch, "port %s (the %s port; image not recognised)",
							  p->what, d->product));
	if (!s)
		return NULL;
	for (size_t i = 0; i < p->n; i++)
		if (p->env[i].which == 'c' && p->env[i].text)
			tm_mb_node_fact(p->ctx->mb, s, "credentials", p->env[i].text, p->env[i].loc);
	if (strcmp(d->product, "mosquitto") == 0) /* its configuration file decides, once read (iot.c) */
		tm_ingest__mosquitto_store(p, s);
	else
		judge_auth(p, p->ctx->mb, s);
	mqtt_unpublished(p, d, s);
	const char *dbs[TM_ARRAY_LEN(p->env) + 1];
	size_t nd = 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->env[i].which == 'd')
			dbs[nd++] = p->env[i].text;
	dbs[nd] = NULL;
	classify(p->ctx, d, s, tm_node_name(p->workload), dbs);
	return s;
}
