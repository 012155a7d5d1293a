/*
 * detect.c - recognise a document by what it contains, not by its file name (but for the overlay,
 * Terraform JSON, and an application's configuration files, whose content is its own).
 *
 * Order matters only where shapes overlap: an OpenAPI/AsyncAPI version key is
 * decisive; Kubernetes-style documents are told apart by API group; the
 * remaining shapes (workflows, Terraform JSON, runtime maps) by their keys.
 * Runtime maps: Jaeger/Zipkin dependency links, Zipkin v2 spans, Jaeger traces,
 * Kiali graphs, Hubble flows (details "dependencies", "zipkin-spans",
 * "jaeger-traces", "kiali-graph", "hubble-flows"). Service maps in Prometheus text
 * (istio_requests_total, traces_service_graph_request_total) are no YAML or JSON: scan.c asks
 * tm_detect__metrics about the head of the raw text.
 */
#include <ctype.h>
#include <strings.h>

#include "runtime.h"

static bool starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has(const tm_value *root, const char *key)
{
	return tm_map_get(root, key) != NULL;
}

static bool is_dependency_link(const tm_value *v)
{
	return v && tm_value_kind_of(v) == TM_VALUE_MAP && has(v, "parent") && has(v, "child");
}

static bool is_map(const tm_value *v)
{
	return v && tm_value_kind_of(v) == TM_VALUE_MAP;
}

/* Zipkin v2: {"traceId", "id", ...} with an endpoint, a kind or a name */
static bool is_zipkin_span(const tm_value *v)
{
	return is_map(v) && has(v, "traceId") && has(v, "id") &&
	       (has(v, "localEndpoint") || has(v, "remoteEndpoint") || has(v, "kind") || has(v, "name"));
}

/* Jaeger's query API and UI: {"traceID", "spans": [...], "processes": {...}} */
static bool is_jaeger_trace(const tm_value *v)
{
	return is_map(v) && has(v, "traceID") && tm_value_kind_of(tm_map_get(v, "spans")) == TM_VALUE_SEQ;
}

/* Hubble: a flow has a verdict and a source or destination endpoint ({"flow": {...}} from the
 * CLI's JSON output and the exporter, the bare flow from older CLIs and the API) */
static bool is_hubble_flow(const tm_value *v)
{
	return is_map(v) && has(v, "verdict") && (is_map(tm_map_get(v, "source")) || is_map(tm_map_get(v, "destination")));
}

/* The runtime maps recognised among mappings (the sequences are recognised above). */
static const char *runtime_map(const tm_value *root)
{
	const tm_value *data = tm_map_get(root, "data");
	if (data && tm_value_kind_of(data) == TM_VALUE_SEQ && is_dependency_link(tm_seq_at(data, 0)))
		return "dependencies";
	const tm_value *deps = tm_map_get(root, "dependencies"); /* Jaeger's Elasticsearch document */
	if (deps && tm_value_kind_of(deps) == TM_VALUE_SEQ && is_dependency_link(tm_seq_at(deps, 0)))
		return "dependencies";
	if (is_jaeger_trace(root) || (data && tm_value_kind_of(data) == TM_VALUE_SEQ && is_jaeger_trace(tm_seq_at(data, 0))))
		return "jaeger-traces";
	/* Kiali's graph API: Cytoscape elements whose nodes carry Kiali's nodeType */
	const tm_value *nodes = tm_map_get(tm_map_get(root, "elements"), "nodes");
	if (nodes && tm_value_kind_of(nodes) == TM_VALUE_SEQ &&
	    (has(root, "graphType") || has(tm_map_get(tm_seq_at(nodes, 0), "data"), "nodeType")))
		return "kiali-graph";
	if (is_hubble_flow(tm_map_get(root, "flow")) || is_hubble_flow(root))
		return "hubble-flows";
	return NULL;
}

/*
 * docker-compose: a top-level `services` mapping whose entries are service definitions (at least
 * one holds a key only a compose service has). A compose file name (compose.yaml,
 * docker-compose*.yml) is a hint only: it lets in services that say nothing yet.
 */
/* An application's own configuration file, by its name (what it holds is the application's
 * business): .NET's appsettings[.ENV].json ("appsettings"), Spring's application[-PROFILE] and
 * bootstrap[-PROFILE] ("spring"), and the config, conf, settings, secrets, credentials and
 * database files most frameworks read ("settings": config.yaml, conf/dev/conf.yaml,
 * settings.json, database.yml). Only a .json, .yaml or .yml file whose content is none of the
 * inputs above; the same names as Java .properties are text (tm_detect__properties). */
/* The stem (a file name's first stem bytes, lower case) is word, or word then '.', '-' or '_' and an
 * environment or a profile ("appsettings.development", "application-prod"). */
static bool stem_is(const char *low, size_t stem, const char *word)
{
	size_t n = strlen(word);
	return stem >= n && strncmp(low, word, n) == 0 && (stem == n || strchr(".-_", low[n]));
}

/* The kind of configuration a file of one of the extensions exts is, by its name, or NULL. */
static const char *config_named(const char *basename, const char *const *exts, size_t nexts)
{
	static const char *const settings[] = {"config", "conf", "settings", "secrets", "credentials", "database"};
	char low[128];
	size_t n = basename ? strlen(basename) : 0;
	if (!n || n >= sizeof(low))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)basename[i]);
	const char *dot = strrchr(low, '.');
	bool ext = false;
	for (size_t i = 0; dot && i < nexts && !ext; i++)
		ext = strcmp(dot, exts[i]) == 0;
	if (!ext)
		return NULL;
	size_t stem = (size_t)(dot - low);
	if (stem_is(low, stem, "appsettings"))
		return "appsettings";
	if (stem_is(low, stem, "application") || stem_is(low, stem, "bootstrap"))
		return "spring";
	for (size_t i = 0; i < TM_ARRAY_LEN(settings); i++)
		if (stem_is(low, stem, settings[i]))
			return "settings";
	return NULL;
}

static const char *app_config(const char *basename)
{
	static const char *const exts[] = {".json", ".yaml", ".yml"};
	return config_named(basename, exts, TM_ARRAY_LEN(exts));
}

/* oauth2-proxy's configuration file (oauth2-proxy.cfg, oauth2-proxy-keycloak.cfg: its
 * `key = "value"` lines, TOML that the properties reader reads as well), by its name: a `.cfg`
 * is too common a suffix (setup.cfg, tox's) for its content to be read otherwise. */
static bool oauth2_proxy_cfg(const char *basename)
{
	size_t n = strlen(basename);
	return n >= 16 && strcasecmp(basename + n - 4, ".cfg") == 0 &&
	       (strncasecmp(basename, "oauth2-proxy", 12) == 0 || strncasecmp(basename, "oauth2_proxy", 12) == 0) &&
	       strchr(".-_", basename[12]);
}

/* Telegraf's configuration (telegraf.conf, telegraf-mqtt.conf: TOML whose `key = "value"` and
 * `urls = ["..."]` lines the properties reader reads), by its name, as oauth2-proxy's. */
static bool telegraf_conf(const char *basename)
{
	size_t n = strlen(basename);
	return n >= 13 && strcasecmp(basename + n - 5, ".conf") == 0 && strncasecmp(basename, "telegraf", 8) == 0 &&
	       (n == 13 || strchr(".-_", basename[8]));
}

/* coturn's configuration (turnserver.conf, turnserver-prod.conf, coturn.conf: `key=value` lines and
 * bare switches, which the properties reader reads), by its name, as Telegraf's. */
static bool coturn_conf(const char *basename)
{
	size_t n = strlen(basename);
	if (n < 10 || strcasecmp(basename + n - 5, ".conf") != 0)
		return false;
	if (strncasecmp(basename, "turnserver", 10) == 0)
		return n == 15 || strchr(".-_", basename[10]);
	return strncasecmp(basename, "coturn", 6) == 0 && (n == 11 || strchr(".-_", basename[6]));
}

const char *tm_detect__properties(const char *basename)
{
	static const char *const exts[] = {".properties"};
	if (basename && oauth2_proxy_cfg(basename))
		return "oauth2-proxy";
	if (basename && telegraf_conf(basename))
		return "telegraf";
	if (basename && coturn_conf(basename))
		return "coturn";
	return config_named(basename, exts, TM_ARRAY_LEN(exts));
}

/* A Spring Boot configuration whatever its name: a YAML file whose top level holds a mapping under a
 * root only Spring Boot and Spring Cloud read (spring, eureka, zuul, feign, hystrix, ribbon). A
 * Spring Cloud Config server serves such files named for their application
 * (shared/account-service.yml); the name says whose they are (calls.c), not that they are
 * configuration. */
static const char *spring_content(const tm_value *root, const char *basename)
{
	static const char *const roots[] = {"spring", "eureka", "zuul", "feign", "hystrix", "ribbon"};
	size_t n = basename ? strlen(basename) : 0;
	if (!(n > 4 && strcasecmp(basename + n - 4, ".yml") == 0) && !(n > 5 && strcasecmp(basename + n - 5, ".yaml") == 0))
		return NULL;
	for (size_t i = 0; i < TM_ARRAY_LEN(roots); i++)
		if (tm_value_kind_of(tm_map_get(root, roots[i])) == TM_VALUE_MAP)
			return "spring";
	return NULL;
}

/* An OpenTelemetry Collector's configuration (receivers, exporters and service mappings): where its
 * exporters send is the collector's calls (otelcol-config.yml). */
static const char *collector_content(const tm_value *root)
{
	static const char *const keys[] = {"receivers", "exporters", "service"};
	for (size_t i = 0; i < TM_ARRAY_LEN(keys); i++)
		if (tm_value_kind_of(tm_map_get(root, keys[i])) != TM_VALUE_MAP)
			return NULL;
	return "otelcol";
}

/* Matrix Synapse's homeserver.yaml, by its shape (its name is the operator's choice): a
 * `server_name` with `listeners`, and one of the settings only a homeserver writes beside them
 * (its `database`, `macaroon_secret_key`, `registration_shared_secret`, `signing_key_path`,
 * `media_store_path`): "synapse". Its secret keys and its database's password are credentials,
 * `database.args.host` its call to the database. */
static const char *synapse_content(const tm_value *root)
{
	static const char *const own[] = {"database", "macaroon_secret_key", "registration_shared_secret",
					  "signing_key_path", "media_store_path"};
	if (!has(root, "server_name") || tm_value_kind_of(tm_map_get(root, "listeners")) != TM_VALUE_SEQ)
		return NULL;
	for (size_t i = 0; i < TM_ARRAY_LEN(own); i++)
		if (has(root, own[i]))
			return "synapse";
	return NULL;
}

/* An identity proxy's or identity provider's own configuration, by its shape (its name is the
 * operator's choice): Authelia's configuration.yml (authentication_backend with access_control,
 * session, storage or notifier: "authelia"), a Keycloak realm export (a realm name with clients or
 * users) or one client's (clientId with secret or redirectUris, and protocol or
 * clientAuthenticatorType): "keycloak". What is read in them is the credentials written there. */
static const char *idp_content(const tm_value *root)
{
	if (is_map(tm_map_get(root, "authentication_backend")) &&
	    (is_map(tm_map_get(root, "access_control")) || is_map(tm_map_get(root, "session")) ||
	     is_map(tm_map_get(root, "storage")) || is_map(tm_map_get(root, "notifier"))))
		return "authelia";
	if (tm_map_get_str(root, "realm") && (tm_value_kind_of(tm_map_get(root, "clients")) == TM_VALUE_SEQ ||
					      tm_value_kind_of(tm_map_get(root, "users")) == TM_VALUE_SEQ))
		return "keycloak";
	if (tm_map_get_str(root, "clientId") && (has(root, "secret") || has(root, "redirectUris")) &&
	    (has(root, "protocol") || has(root, "clientAuthenticatorType")))
		return "keycloak";
	return NULL;
}

/* Grafana's provisioning of data sources (a YAML file under provisioning/datasources:
 * `apiVersion: 1` and a `datasources` list of sources with a `type`): "grafana-datasources". What is
 * read in them is the credentials written there (secureJsonData, basicAuthPassword) and the calls
 * their `url`s make. */
static const char *grafana_content(const tm_value *root)
{
	const char *av = tm_map_get_str(root, "apiVersion");
	const tm_value *ds = tm_map_get(root, "datasources");
	if (!av || strcmp(av, "1") != 0 || tm_value_kind_of(ds) != TM_VALUE_SEQ || !tm_value_len(ds))
		return NULL;
	for (size_t i = 0; i < tm_value_len(ds); i++)
		if (!is_map(tm_seq_at(ds, i)) || !tm_map_get_str(tm_seq_at(ds, i), "type"))
			return NULL;
	return "grafana-datasources";
}

/* A part of an API description split over files (a schema, a response, a parameter that an OpenAPI
 * document $refs), whatever its name: DigitalOcean's models/database.yml is a schema, not Rails'
 * config/database.yml. */
static bool schema_part(const tm_value *root)
{
	return has(root, "$ref") || has(root, "properties") || has(root, "allOf") || has(root, "oneOf") ||
	       has(root, "anyOf") || (has(root, "description") && (has(root, "content") || has(root, "type")));
}

/* A compose file that only includes others (`include:` with no services of its own, or an empty
 * `services: {}`): every key is one compose's top level has, and each include names a YAML file. */
static bool compose_includer(const tm_value *root)
{
	static const char *const top[] = {"include", "services", "networks", "volumes", "secrets", "configs", "name",
					  "version"};
	const tm_value *inc = tm_map_get(root, "include");
	if (tm_value_kind_of(inc) != TM_VALUE_SEQ || !tm_value_len(inc))
		return false;
	for (size_t i = 0; i < tm_value_len(root); i++) {
		const char *k = tm_scalar_str(tm_map_key(root, i), NULL);
		bool known = k && strncmp(k, "x-", 2) == 0;
		for (size_t t = 0; k && t < TM_ARRAY_LEN(top) && !known; t++)
			known = strcmp(k, top[t]) == 0;
		if (!known)
			return false;
	}
	for (size_t i = 0; i < tm_value_len(inc); i++) {
		const tm_value *e = tm_seq_at(inc, i);
		const tm_value *pv = tm_value_kind_of(e) == TM_VALUE_MAP ? tm_map_get(e, "path") : e;
		if (tm_value_kind_of(pv) == TM_VALUE_SEQ)
			pv = tm_seq_at(pv, 0);
		const char *path = tm_scalar_str(pv, NULL);
		size_t n = path ? strlen(path) : 0;
		if (!(n > 4 && (strcasecmp(path + n - 4, ".yml") == 0 || (n > 5 && strcasecmp(path + n - 5, ".yaml") == 0))))
			return false;
	}
	return true;
}

static bool compose_file(const tm_value *root, const char *basename)
{
	static const char *const keys[] = {"image", "build", "ports", "expose", "environment", "env_file",
					   "command", "entrypoint", "volumes", "depends_on", "networks",
					   "restart", "container_name", "deploy", "healthcheck", "privileged",
					   "cap_add", "network_mode", "extends", "links", "profiles", "security_opt",
					   "devices", "group_add", "cap_drop", "read_only", "tmpfs", "ulimits", "shm_size",
					   "sysctls", "extra_hosts", "stop_grace_period", "pid", "ipc"};
	const tm_value *services = tm_map_get(root, "services");
	if (tm_value_kind_of(services) != TM_VALUE_MAP || !tm_value_len(services))
		return compose_includer(root);
	size_t hits = 0;
	for (size_t i = 0; i < tm_value_len(services); i++) {
		const tm_value *s = tm_map_value(services, i);
		if (tm_value_kind_of(s) != TM_VALUE_MAP) {
			if (tm_value_kind_of(s) != TM_VALUE_SCALAR || tm_scalar_type_of(s) != TM_SCALAR_NULL)
				return false;
			continue;
		}
		for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++)
			if (has(s, keys[k])) {
				hits++;
				break;
			}
	}
	bool named = basename && (starts_with(basename, "docker-compose") || starts_with(basename, "compose."));
	return hits > 0 || named;
}

/* A key of a mapping, its case ignored (Traefik reads its files so). */
static const tm_value *get_nocase(const tm_value *m, const char *key)
{
	for (size_t i = 0; is_map(m) && i < tm_value_len(m); i++) {
		const char *k = tm_scalar_str(tm_map_key(m, i), NULL);
		if (k && strcasecmp(k, key) == 0)
			return tm_map_value(m, i);
	}
	return NULL;
}

/* A non-empty mapping whose keys are all among keys (case ignored). */
static bool keys_among(const tm_value *m, const char *const *keys, size_t n)
{
	if (!is_map(m) || !tm_value_len(m))
		return false;
	for (size_t i = 0; i < tm_value_len(m); i++) {
		const char *k = tm_scalar_str(tm_map_key(m, i), NULL);
		size_t j = 0;
		while (k && j < n && strcasecmp(k, keys[j]) != 0)
			j++;
		if (!k || j == n)
			return false;
	}
	return true;
}

/* Traefik's static configuration that leaves entryPoints to Traefik's defaults (web on :80, the API
 * on :8080): every top-level key is a section of the static configuration (Traefik's reference, v2
 * and v3), at least two of them, and one is written as only Traefik writes it: providers whose keys
 * are all Traefik's providers, api whose keys are all Traefik's and name insecure or dashboard, a
 * certificate resolver with acme. Generic `api:` and `log:` sections of an application's or a
 * tool's settings (an api endpoint, a TLS `insecure` flag) meet none of these. */
static bool traefik_static_bare(const tm_value *root)
{
	static const char *const sections[] = {
	    "global", "serversTransport", "tcpServersTransport", "entryPoints", "providers", "api", "metrics",
	    "ping", "log", "accessLog", "tracing", "hostResolver", "certificatesResolvers", "experimental",
	    "core", "spiffe", "ocsp", "pilot"};
	static const char *const provs[] = {
	    "docker", "swarm", "file", "kubernetesCRD", "kubernetesIngress", "kubernetesGateway",
	    "kubernetesIngressNGINX", "consulCatalog", "nomad", "ecs", "marathon", "rancher", "rest",
	    "consul", "etcd", "zooKeeper", "redis", "http", "plugin", "knative", "providersThrottleDuration"};
	static const char *const apikeys[] = {"insecure", "dashboard", "debug", "basePath", "disableDashboardAd"};
	if (!is_map(root) || tm_value_len(root) < 2 || !keys_among(root, sections, TM_ARRAY_LEN(sections)))
		return false;
	const tm_value *api = get_nocase(root, "api");
	if (keys_among(get_nocase(root, "providers"), provs, TM_ARRAY_LEN(provs)) ||
	    (keys_among(api, apikeys, TM_ARRAY_LEN(apikeys)) && (get_nocase(api, "insecure") || get_nocase(api, "dashboard"))))
		return true;
	const tm_value *cr = get_nocase(root, "certificatesResolvers");
	for (size_t i = 0; is_map(cr) && i < tm_value_len(cr); i++)
		if (is_map(get_nocase(tm_map_value(cr, i), "acme")))
			return true;
	return false;
}

/* Traefik: a dynamic configuration of the file provider (http, tcp or udp holding a routers,
 * services or middlewares mapping): "traefik"; the static configuration (entryPoints with
 * providers, api or certificatesResolvers, or traefik_static_bare): "traefik-static"; else NULL. */
static const char *traefik_config(const tm_value *root)
{
	static const char *const protos[] = {"http", "tcp", "udp"};
	static const char *const parts[] = {"routers", "services", "middlewares"};
	if ((is_map(get_nocase(root, "entryPoints")) &&
	     (get_nocase(root, "providers") || get_nocase(root, "api") || get_nocase(root, "certificatesResolvers"))) ||
	    traefik_static_bare(root))
		return "traefik-static";
	for (size_t p = 0; p < TM_ARRAY_LEN(protos); p++) {
		const tm_value *sec = get_nocase(root, protos[p]);
		for (size_t k = 0; is_map(sec) && k < TM_ARRAY_LEN(parts); k++)
			if (is_map(get_nocase(sec, parts[k])))
				return "traefik";
	}
	return NULL;
}

/* cloudflared's configuration of a locally managed tunnel: an `ingress` list of rules, each a
 * mapping with a `service`, and either the `tunnel` it runs or the catch-all rule cloudflared
 * requires last (neither `hostname` nor `path`). Not a Kubernetes object (an Ingress is one). */
static bool cloudflared_config(const tm_value *root)
{
	const tm_value *rules = tm_map_get(root, "ingress");
	size_t n = tm_value_len(rules);
	if (!n || tm_value_kind_of(rules) != TM_VALUE_SEQ || has(root, "apiVersion") || has(root, "kind"))
		return false;
	for (size_t i = 0; i < n; i++) {
		const tm_value *r = tm_seq_at(rules, i);
		if (!is_map(r) || !tm_map_get_str(r, "service"))
			return false;
	}
	const tm_value *last = tm_seq_at(rules, n - 1);
	return has(root, "tunnel") || (!has(last, "hostname") && !has(last, "path"));
}

/* Envoy bootstrap, Kong declarative, Ocelot, cloudflared or Traefik configuration: which, or NULL. */
static const char *gateway_config(const tm_value *root)
{
	if (is_map(tm_map_get(root, "static_resources")))
		return "envoy";
	if (has(root, "_format_version") && (has(root, "services") || has(root, "routes") || has(root, "plugins") ||
					     has(root, "upstreams") || has(root, "consumers")))
		return "kong";
	const tm_value *routes = tm_map_get(root, "Routes");
	if (!routes)
		routes = tm_map_get(root, "ReRoutes");
	const tm_value *first = tm_seq_at(routes, 0);
	if (first && (has(first, "UpstreamPathTemplate") || has(first, "DownstreamPathTemplate")))
		return "ocelot";
	if (cloudflared_config(root))
		return "cloudflared";
	return traefik_config(root);
}

/* A gateway whose configuration is recognised but not read (KrakenD, an Apache APISIX standalone
 * file): which, and *why says so; NULL otherwise. Named, so that a reader knows the routes it makes
 * are missing from the model rather than absent from the system. */
static const char *unread_gateway(const tm_value *root, const char **why)
{
	const tm_value *eps = tm_map_get(root, "endpoints");
	const tm_value *ep = tm_seq_at(eps, 0);
	const char *schema = tm_map_get_str(root, "$schema");
	if ((schema && strstr(schema, "krakend")) || (has(root, "version") && has(ep, "endpoint") && has(ep, "backend"))) {
		*why = "a KrakenD configuration: recognised, not modelled by this version (its endpoints, the backends "
		       "they forward to and their auth/validator checks are not read)";
		return "krakend";
	}
	const tm_value *rt = tm_seq_at(tm_map_get(root, "routes"), 0);
	if ((has(rt, "uri") || has(rt, "uris")) && (has(rt, "upstream") || has(rt, "upstream_id") || has(rt, "service_id"))) {
		*why = "an Apache APISIX standalone configuration: recognised, not modelled by this version (its routes, "
		       "upstreams and plugins, authentication and secrets among them, are not read)";
		return "apisix";
	}
	return NULL;
}

bool tm_detect__helmfile(const tm_value *root, const char *basename)
{
	/* helmfile.yaml, helmfile.yml, helmfile-<x>.yaml, or any file of a helmfile.d directory (its
	 * caller passes the base name only: the release list decides there) */
	bool named = basename && strncmp(basename, "helmfile", 8) == 0;
	const tm_value *rels = tm_map_get(root, "releases");
	if (tm_value_kind_of(rels) != TM_VALUE_SEQ || !tm_value_len(rels))
		return false;
	size_t charted = 0;
	for (size_t i = 0; i < tm_value_len(rels); i++) {
		const tm_value *r = tm_seq_at(rels, i);
		if (tm_value_kind_of(r) != TM_VALUE_MAP)
			return false;
		charted += tm_map_get_str(r, "chart") && tm_map_get_str(r, "name");
	}
	return charted && (named || charted == tm_value_len(rels));
}

void tm_detect(const tm_value *root, const char *basename, tm_detected *out)
{
	memset(out, 0, sizeof(*out));
	if (!root)
		return;
	if (basename && (strcmp(basename, "trustmap.yaml") == 0 || strcmp(basename, "trustmap.yml") == 0 ||
			 strcmp(basename, ".trustmap.yaml") == 0)) {
		out->format = TM_FMT_OVERLAY;
		return;
	}
	if (tm_value_kind_of(root) == TM_VALUE_SEQ) {
		/* Jaeger/Zipkin dependency export: [{"parent","child","callCount"}] */
		const tm_value *first = tm_seq_at(root, 0);
		if (is_dependency_link(first)) {
			out->format = TM_FMT_RUNTIME_MAP;
			out->detail = "dependencies";
		} else if (is_zipkin_span(first) ||
			   (tm_value_kind_of(first) == TM_VALUE_SEQ && is_zipkin_span(tm_seq_at(first, 0)))) {
			/* Zipkin v2 spans: one trace, or /api/v2/traces' list of traces */
			out->format = TM_FMT_RUNTIME_MAP;
			out->detail = "zipkin-spans";
		}
		return;
	}
	if (tm_value_kind_of(root) != TM_VALUE_MAP)
		return;

	const char *v;
	/* Open Threat Model: another tool's threat model (or our own export) */
	const tm_value *otm = tm_map_get(root, "otmVersion");
	if (otm) {
		out->format = TM_FMT_OTM;
		v = tm_value_kind_of(otm) == TM_VALUE_SCALAR && tm_scalar_type_of(otm) == TM_SCALAR_STR
			    ? tm_scalar_str(otm, NULL) : NULL;
		out->detail = v;
		if (!v)
			out->unsupported = "otmVersion is not a string (an otm document names its version, e.g. \"0.2.0\")";
		else if (!starts_with(v, "0."))
			out->unsupported = "otm versions other than 0.x are not supported (0.1 and 0.2 are)";
		return;
	}
	if ((v = tm_map_get_str(root, "openapi")) && starts_with(v, "3.")) {
		out->format = TM_FMT_OPENAPI;
		out->detail = v;
		return;
	}
	if ((v = tm_map_get_str(root, "swagger")) && starts_with(v, "2.")) {
		out->format = TM_FMT_OPENAPI;
		out->detail = v;
		return;
	}
	if ((v = tm_map_get_str(root, "asyncapi"))) {
		out->format = TM_FMT_ASYNCAPI;
		out->detail = v;
		if (!starts_with(v, "2.") && !starts_with(v, "3."))
			out->unsupported = "asyncapi before 2.0 is not supported (2.x and 3.x are)";
		return;
	}
	const char *api = tm_map_get_str(root, "apiVersion");
	const char *kind = tm_map_get_str(root, "kind");
	if (api && kind) {
		out->detail = kind;
		if (strstr(api, "istio.io/")) {
			out->format = TM_FMT_ISTIO;
		} else if (starts_with(api, "gateway.networking.k8s.io/") ||
			   starts_with(api, "gateway.networking.x-k8s.io/") ||
			   ((strcmp(kind, "SecurityPolicy") == 0 || strcmp(kind, "BackendTrafficPolicy") == 0 ||
			     strcmp(kind, "ClientTrafficPolicy") == 0) &&
			    starts_with(api, "gateway.envoyproxy.io/"))) {
			out->format = TM_FMT_GATEWAY_API;
		} else if (starts_with(api, "kustomize.config.k8s.io/")) {
			out->format = TM_FMT_KUBERNETES;
			out->unsupported = "kustomization: run `kustomize build` and scan its output";
		} else {
			out->format = TM_FMT_KUBERNETES;
		}
		return;
	}
	if (has(root, "jobs") && has(root, "on")) {
		out->format = TM_FMT_GITHUB_WORKFLOW;
		return;
	}
	if (tm_detect__helmfile(root, basename)) { /* read by the plan for the releases it makes (gitops.c) */
		out->format = TM_FMT_HELM;
		out->detail = "helmfile";
		return;
	}
	const tm_value *runs = tm_map_get(root, "runs");
	if (runs && tm_map_get(runs, "using") && (has(root, "name") || has(root, "inputs"))) {
		out->format = TM_FMT_GITHUB_ACTION;
		out->detail = tm_map_get_str(runs, "using");
		return;
	}
	/* Terraform configuration in JSON syntax: the file name says so (its keys are HCL's block types) */
	size_t bl = basename ? strlen(basename) : 0;
	if (bl > 8 && strcmp(basename + bl - 8, ".tf.json") == 0) {
		out->format = TM_FMT_TERRAFORM_CONFIG;
		out->detail = "json";
		return;
	}
	if (has(root, "format_version") && (has(root, "planned_values") || has(root, "resource_changes"))) {
		out->format = TM_FMT_TERRAFORM_PLAN;
		out->detail = tm_map_get_str(root, "format_version");
		return;
	}
	/* a state: `terraform show -json` (values), or the raw terraform.tfstate (version 4: resources,
	 * version 3: modules; both with serial and lineage) */
	if ((has(root, "terraform_version") || (has(root, "serial") && has(root, "lineage"))) &&
	    (has(root, "resources") || has(root, "values") || has(root, "modules"))) {
		out->format = TM_FMT_TERRAFORM_STATE;
		out->detail = tm_map_get_str(root, "terraform_version");
		return;
	}
	if ((v = gateway_config(root))) {
		out->format = TM_FMT_GATEWAY;
		out->detail = v;
		return;
	}
	if ((v = unread_gateway(root, &out->unsupported))) {
		out->format = TM_FMT_GATEWAY;
		out->detail = v;
		return;
	}
	if (compose_file(root, basename)) {
		out->format = TM_FMT_COMPOSE;
		out->detail = tm_map_get_str(root, "version");
		return;
	}
	if ((v = runtime_map(root))) {
		out->format = TM_FMT_RUNTIME_MAP;
		out->detail = v;
		return;
	}
	if (((v = app_config(basename)) || (v = spring_content(root, basename)) || (v = collector_content(root)) ||
	     (v = idp_content(root)) || (v = grafana_content(root)) || (v = synapse_content(root))) &&
	    !schema_part(root)) {
		out->format = TM_FMT_APP_CONFIG;
		out->detail = v;
	}
}

bool tm_detect_sniff(const char *head, size_t len)
{
	static const char *const marks[] = {"apiVersion:", "openapi:", "swagger:", "asyncapi:",
					    "\"openapi\"", "\"swagger\"", "\"asyncapi\"",
					    "\"apiVersion\"", "\"format_version\"", "otmVersion:",
					    "\"otmVersion\"", "\"graphType\"", "\"flow\":", "static_resources:",
					    "\"static_resources\"", "_format_version:", "\"_format_version\"", "\"Routes\"",
					    "\"ReRoutes\"", "\"terraform_version\"", "\"lineage\"", NULL};
	for (size_t i = 0; i < len;) {
		const char *line = head + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) : len - i;
		size_t k = 0;
		while (k < ll && (line[k] == ' ' || line[k] == '{'))
			k++;
		for (const char *const *m = marks; *m; m++) {
			size_t ml = strlen(*m);
			if (ll - k >= ml && memcmp(line + k, *m, ml) == 0)
				return true;
		}
		i += ll + 1;
	}
	return false;
}

/* A line of the head that starts a sample or a # TYPE/# HELP line of a service-map metric. */
bool tm_detect__metrics(const char *head, size_t len)
{
	static const char *const metrics[] = {"istio_requests_total", "traces_service_graph_request_total"};
	for (size_t i = 0; i < len;) {
		const char *line = head + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) : len - i, k = 0;
		if (ll >= 7 && (memcmp(line, "# TYPE ", 7) == 0 || memcmp(line, "# HELP ", 7) == 0))
			k = 7;
		for (size_t m = 0; m < TM_ARRAY_LEN(metrics); m++) {
			size_t ml = strlen(metrics[m]);
			if (ll > k + ml && memcmp(line + k, metrics[m], ml) == 0 &&
			    (line[k + ml] == '{' || line[k + ml] == ' '))
				return true;
		}
		i += ll + 1;
	}
	return false;
}
