/*
 * calls.c - addresses written in configuration, and the calls an application's own configuration
 * files make.
 *
 * One reading of an address for every reader: a Kubernetes env var or ConfigMap value
 * (k8s_calls.c), a compose service's environment (compose.c) and an application's configuration
 * file (appconfig.c) all split a value into tokens and take each as
 * [key=][scheme://][user[:pass]@]host[:port][/...] (tm_ingest__address_each). A bare word counts
 * only when the setting's name says it is an address (*_HOST, *_URL, spring's `host`, `uri`...); a
 * scheme, a port, a connection string's Server= or a Go DSN's @tcp(...) say it themselves.
 *
 * An application's configuration file (application.yml, appsettings.json, conf.yaml, a
 * .properties file) is no workload's until something says whose it is: the scan has no image
 * contents. What says it here is the directory the file sits in: the nearest directory of its path
 * whose name is a workload's name, or the last word of one of its images, or (compose) the context
 * it is built from, compared without case or punctuation (`src/Catalog.API/appsettings.json` is the
 * `catalog-api` workload's; `ts-auth-service/src/main/resources/application.yml` is
 * `ts-auth-service`'s). Its addresses are collected while the file is read
 * (tm_ingest__config_address) and resolved once the platform readers have finished, before the
 * runtime map's (tm_ingest__config_calls), against the Services and compose services the scan holds. Only a name
 * the scan holds is a call: a file's URLs also name documentation, browsers' redirects and CORS
 * origins, so what resolves to nothing is not guessed at, and settings about the application's own
 * browser-facing side (redirects, callbacks, allowed origins, public URLs) are not read.
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "ingest.h"
#include "k8s.h"
#include "render/helm.h"

static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	return n >= m && strncasecmp(s + n - m, suffix, m) == 0;
}

bool tm_ingest__address_name(const char *name, bool bare)
{
	static const char *const tails[] = {"_ADDR", "_ADDRESS", "_HOST", "_HOSTNAME", "_URL", "_URI",
					    "_ENDPOINT", "_SERVICE", "_SERVER", "_SERVERS", "_DSN", "_BROKERS",
					    "_BROKER", "_HOSTS", "_URLS",
					    /* a comma-separated host list: Temporal's POSTGRES_SEEDS, MYSQL_SEEDS,
					     * CASSANDRA_SEEDS, ES_SEEDS; the cassandra image's own CASSANDRA_SEEDS */
					    "_SEEDS",
					    /* written as one word: PAPERLESS_DBHOST, libpq's PGHOST */
					    "DBHOST", "PGHOST", "DBSERVER", "DBADDR"};
	size_t n = name ? strlen(name) : 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(tails); i++)
		if (ends_with_ci(name, n, tails[i]) || (bare && n && strcasecmp(name, tails[i] + 1) == 0))
			return true;
	/* .NET's configuration from the environment: ConnectionStrings__Redis=basketdata */
	return n > 19 && strncasecmp(name, "ConnectionStrings__", 19) == 0;
}

static bool host_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '_';
}

/* Is w[0..n) a word documentation writes in an address's place (case aside): one of words, or
 * "your" and what to put there (your-host, yourDbHost, your_database)? */
static bool template_word(const char *w, size_t n, const char *const *words, size_t nwords)
{
	for (size_t i = 0; i < nwords; i++)
		if (strlen(words[i]) == n && strncasecmp(w, words[i], n) == 0)
			return true;
	return n > 4 && strncasecmp(w, "your", 4) == 0 && (w[4] == '-' || w[4] == '_' || isupper((unsigned char)w[4]));
}

const char *tm_ingest__template_address(const char *v)
{
	static const char *const hosts[] = {"hostname", "host", "dbhost", "db-host", "db_host"};
	static const char *const users[] = {"username", "user_name", "dbuser", "db_user", "db-user"};
	static const char *const passwords[] = {"password", "passwd", "pass", "pwd", "dbpassword", "db_password",
						"db-password", "secret"};
	static const char *const dbs[] = {"dbname", "db_name", "db-name", "database", "databasename",
					  "database_name", "database-name"};
	const char *scheme = v ? strstr(v, "://") : NULL;
	const char *tcp = v && !scheme ? strstr(v, "@tcp(") : NULL; /* a Go DSN: user:pass@tcp(host:port)/db */
	if ((!scheme && !tcp) || scheme == v || tcp == v)
		return NULL;
	const char *a = scheme ? scheme + 3 : v;
	for (const char *p = v; p < (scheme ? scheme : a); p++) /* a scheme is words (postgres, jdbc:mysql) */
		if (!isalnum((unsigned char)*p) && !strchr("+-.:", *p))
			return NULL;
	const char *end = tcp ? tcp + 5 + strcspn(tcp + 5, ")") : a + strcspn(a, "/?# ");
	const char *at = tcp;
	for (const char *q = a; !tcp && q < end; q++)
		if (*q == '@')
			at = q;
	const char *host = tcp ? tcp + 5 : at ? at + 1 : a;
	if (tcp && *end == ')')
		end++;
	if (memchr(a, '<', (size_t)(end - a)))
		return "a placeholder in angle brackets";
	size_t hl = strcspn(host, ":/?#) ");
	if (host + hl > end)
		hl = (size_t)(end - host);
	const char *port = host[hl] == ':' && host + hl < end ? host + hl + 1 : NULL;
	/* :port, :PORT, :port_number; not a variable (${PORT}, $PORT) nor digits */
	if (port && port < end && isalpha((unsigned char)*port))
		return "a word where the port goes";
	if (hl && template_word(host, hl, hosts, TM_ARRAY_LEN(hosts)))
		return "a placeholder word where the host goes";
	/* user, password and database: two of them placeholder words (username:password@.../dbname) */
	int words = 0;
	if (at) {
		size_t ul = strcspn(a, ":@");
		const char *pw = a[ul] == ':' ? a + ul + 1 : NULL;
		words += ul && template_word(a, ul, users, TM_ARRAY_LEN(users));
		words += pw && pw < at && template_word(pw, (size_t)(at - pw), passwords, TM_ARRAY_LEN(passwords));
	}
	if (*end == '/') {
		const char *db = end + 1;
		size_t dl = strcspn(db, "/?# ");
		words += dl && template_word(db, dl, dbs, TM_ARRAY_LEN(dbs));
	}
	return words >= 2 ? "placeholder words for its user, password or database" : NULL;
}

static bool host_key(const char *k)
{
	static const char *const keys[] = {"server", "host", "data source", "hostname", "address", "addr"};
	for (size_t i = 0; i < TM_ARRAY_LEN(keys); i++)
		if (strcasecmp(k, keys[i]) == 0)
			return true;
	return false;
}

bool tm_ingest__address_token(const char *tok, size_t len, bool named, tm_address *out)
{
	if (len >= sizeof(out->buf) || (len == 3 && strncasecmp(tok, "n/a", 3) == 0))
		return false;
	memcpy(out->buf, tok, len);
	out->buf[len] = '\0';
	char *p = out->buf;
	bool strong = false;
	/* a key= before the address (Server=db), not a query's (jdbc:...?sslmode=disable) */
	char *eq = p + strcspn(p, "=:/?@");
	eq = *eq == '=' ? eq : NULL;
	if (eq) {
		*eq = '\0';
		if (!host_key(p))
			return false;
		p = eq + 1;
		strong = true;
	}
	char *scheme = strstr(p, "://");
	/* documentation's template (postgres://username:password@hostname:port/dbname) names no peer */
	if ((scheme || strstr(p, "@tcp(")) && tm_ingest__template_address(p))
		return false;
	/* a file, not a peer: sqlite:///app.db, file://..., and the opaque sqlite3:db/app.sqlite3 */
	if (strncasecmp(p, "sqlite", 6) == 0 || strncasecmp(p, "file:", 5) == 0)
		return false;
	if (scheme) {
		p = scheme + 3;
		strong = true;
	}
	/* the userinfo ends at the authority's last '@' (a password may hold one: P@ssw0rd), as
	 * RFC 3986 and Go's and Java's URL parsers read it */
	char *slash = strchr(p, '/'), *at = NULL;
	for (char *q = p; *q && (!slash || q < slash); q++)
		if (*q == '@')
			at = q;
	if (at) {
		p = at + 1;
		if (strncmp(p, "tcp(", 4) == 0) { /* a Go DSN: user:pass@tcp(host:port)/db */
			p += 4;
			strong = true;
		}
	}
	size_t h = 0;
	while (host_char(p[h]))
		h++;
	if (!h)
		return false;
	char *port = NULL;
	if (p[h] == ':' || (p[h] == ',' && strong)) {
		port = p + h + 1;
		size_t d = 0;
		while (isdigit((unsigned char)port[d]))
			d++;
		/* scheme:opaque, not host:port (jdbc:h2:mem:db, sqlite3:db/app.sqlite3); a port held in a
		 * variable (redis:${PORT}) still names the host */
		if (!d && !strong && p[h] == ':' && (isalpha((unsigned char)port[0]) || port[0] == '/'))
			return false;
		if (!d)
			port = NULL;
		else
			port[d] = '\0';
		strong = strong || port;
	} else if (p[h] && p[h] != '/' && p[h] != '?' && p[h] != ')') {
		return false;
	}
	p[h] = '\0';
	if (!strong && !named)
		return false;
	if (isdigit((unsigned char)p[0]) || strcasecmp(p, "localhost") == 0 || p[h - 1] == '.')
		return false; /* an IP address or loopback: no service name to resolve */
	/* a bare word that says "not set" under an address's name (Harbor's ADMIRAL_URL: "NA") */
	static const char *const unset[] = {"na", "none", "null", "nil", "undefined", "unset", "disabled",
					    "false", "true", "off", "tbd", "todo", "changeme", "example"};
	for (size_t i = 0; !strong && i < TM_ARRAY_LEN(unset); i++)
		if (strcasecmp(p, unset[i]) == 0)
			return false;
	/* a value a chart requires and was not given (render/helm.h), alone or within a name a template
	 * builds from it ("<release>-required-value-missing.<ns>.svc"): which peer it names is not known,
	 * and one node for every such value would join unrelated peers; the chart's note says */
	if (tm_strcasecontains(p, TM_HELM_REQUIRED_PLACEHOLDER))
		return false;
	out->host = p;
	out->port = port;
	return true;
}

void tm_ingest__address_each(const char *value, bool named, void (*fn)(void *ud, const tm_address *a), void *ud)
{
	if (!value || strstr(value, "{{"))
		return;
	/* a Terraform value the files do not decide ("unknown (var.db_host)", tf_config.c) names no
	 * peer, and one node for all of them would join unrelated peers; its render's note lists it */
	size_t vl = strlen(value);
	if (vl > 10 && strncmp(value, "unknown (", 9) == 0 && value[vl - 1] == ')')
		return;
	/* a connection string (Server=db;User Id=sa;Data Source=...): its keys hold spaces, so only
	 * ';' and ',' part it ("User Id=sa" is a key, not the bare word "User") */
	const char *seps = strchr(value, '=') && strchr(value, ';') ? ",;" : ",; ";
	for (const char *s = value; *s;) {
		while (*s == ',' || *s == ';' || *s == ' ')
			s++;
		size_t n = strcspn(s, seps);
		/* "Server=host,1433" keeps its port: the comma after a key=value host is a port separator */
		if (n && s[n] == ',' && memchr(s, '=', n) && isdigit((unsigned char)s[n + 1]))
			n += 1 + strspn(s + n + 1, "0123456789");
		tm_address a;
		if (n && tm_ingest__address_token(s, n, named, &a))
			fn(ud, &a);
		s += n;
	}
}

/* ---- an application's configuration files ------------------------------------------------- */

struct pending {
	const char *file;    /* the configuration file's path, as the scan names it */
	const char *setting; /* the key path ("spring.data.mongodb.host") */
	const char *value;   /* as written, with ${NAME:default} made the default */
	tm_loc at;
	bool env;  /* an image's environment variable (tm_ingest__config_env): setting is its name */
	const char *fact; /* a fact for the owner (value as it is), not an address: an image's USER
			     (image_user), its base image (base_images), a console's setting (console_env) */
	struct pending *next;
};

/* A directory a Spring Cloud Config server serves to its clients (native search-locations
 * classpath:/shared): the files in it are theirs, by name, not the server's. */
struct served {
	const char *dir;
	const char *server_file; /* the server's own configuration, which names the directory */
	tm_node *server;         /* or the compose service that mounts it (its configuration unseen) */
	struct served *next;
	const struct owner *clients; /* the workloads that call the server (find_clients) */
};

/* A configuration file that makes its application a config server without saying what it serves:
 * the native profile without search-locations, or a git backend's repository. */
struct server_hint {
	const char *file;
	const char *repo; /* the git repository's name (its uri's last part), or NULL: native */
	struct server_hint *next;
};

/* A credential written in an application's own configuration file or image (appconfig.c,
 * dockerfile.c): its file's node, to be linked to the workloads the file is (config_secrets), and
 * a digest of what it is (cred_digest), never the value itself, to find the same credential
 * written in several files. */
struct cred {
	tm_node *node;
	const char *file;
	const char *key; /* its key path ("ConnectionStrings.OrdersDb") */
	uint64_t digest;
	tm_loc at;
	bool said; /* a leader's own same_credential fact is written */
	struct cred *next;
};

struct tm_config_calls {
	struct pending *head, *tail;
	size_t n;
	struct cred *creds, *creds_tail;
	size_t ncreds;
	bool full; /* PENDING_MAX reached: said once */
	struct served *served;
	tm_hmap served_dirs; /* served directory -> its struct served */
	struct server_hint *hints;
	tm_hmap mounted; /* a file a workload names as its configuration (config_files) -> its owners */
};

/* Pending settings kept for what they decide, not as facts of their own: a local setting a served
 * file's may give way to, and Spring Cloud Config's override switches. */
#define FACT_SETTING_ONLY "setting_only"
#define FACT_OVERRIDE "config_override"

#define PENDING_MAX 262144 /* settings kept per scan; more are dropped, with a warning */

/* Is a key (its last part) the name of an address: host, url, uri, bootstrap-servers, defaultZone...,
 * compared without case or '-', '_'? */
static bool address_key(const char *key)
{
	size_t len = strlen(key);
	while (len && key[len - 1] == ']') { /* a list's item is judged by the list's name */
		while (len && key[len - 1] != '[')
			len--;
		len -= len > 0;
	}
	char k[256]; /* the key's last characters, squeezed: only its end is compared */
	size_t n = 0;
	for (const char *p = key + (len > 200 ? len - 200 : 0); p < key + len; p++)
		if (*p != '-' && *p != '_')
			k[n++] = (char)tolower((unsigned char)*p);
	k[n] = '\0';
	static const char *const tails[] = {"host",      "hostname", "hosts",      "address",  "addresses",
					    "addr",      "url",      "urls",       "uri",      "uris",
					    "server",    "servers",  "endpoint",   "endpoints", "dsn",
					    "brokers",   "broker",   "nodes",      "defaultzone", "contactpoints",
					    "connectionstring", "serviceid"};
	for (size_t i = 0; i < TM_ARRAY_LEN(tails); i++)
		if (ends_with_ci(k, n, tails[i]))
			return true;
	return false;
}

/* Does a setting's key path say its value is an address: its last part (address_key), or any
 * entry of .NET's ConnectionStrings section ("ConnectionStrings.Redis": "basketdata")? */
static bool named_setting(const char *setting)
{
	const char *last = strrchr(setting, '.');
	if (address_key(last ? last + 1 : setting))
		return true;
	for (const char *seg = setting; seg; seg = strchr(seg, '.'), seg = seg ? seg + 1 : NULL)
		if (strncasecmp(seg, "ConnectionStrings.", 18) == 0)
			return true;
	return false;
}

/* Settings about the application's own browser-facing side, not a peer it calls: where a browser
 * is sent back to, which origins may call it, the URL it is published at. */
static bool not_a_peer(const char *setting)
{
	static const char *const words[] = {"redirect", "callback", "logout", "login", "origin", "cors",
					    "allowed", "public", "external", "swagger", "docs", "homepage",
					    "website", "link"};
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (tm_strcasecontains(setting, words[i]))
			return true;
	return false;
}

/* value with each ${NAME:default} (Spring's placeholder with a default) made its default; value
 * itself when it holds none. A placeholder without a default stays, and names no host. */
static const char *defaults(tm_arena *a, const char *value)
{
	if (!strstr(value, "${"))
		return value;
	tm_strbuf sb = TM_STRBUF_INIT;
	bool closes = true; /* a '}' is left to close a placeholder: once none is, none is looked for */
	for (const char *p = value; *p;) {
		const char *close = closes && p[0] == '$' && p[1] == '{' ? strchr(p, '}') : NULL;
		closes = closes && (close || !(p[0] == '$' && p[1] == '{'));
		const char *colon = close ? memchr(p + 2, ':', (size_t)(close - p - 2)) : NULL;
		if (colon && !memchr(p + 2, '{', (size_t)(close - p - 2))) {
			const char *def = colon + 1 + (colon[1] == '-'); /* ${HOST:-db}, as a shell writes it */
			tm_strbuf_put(&sb, def, (size_t)(close - def));
			p = close + 1;
		} else {
			tm_strbuf_putc(&sb, *p++);
		}
	}
	const char *out = sb.oom ? value : tm_arena_strndup(a, sb.data ? sb.data : "", sb.len);
	tm_strbuf_dispose(&sb);
	return out ? out : value;
}

static struct tm_config_calls *calls_of(tm_ingest_ctx *ctx)
{
	if (!ctx->config_calls) {
		ctx->config_calls = tm_arena_alloc(ctx->scratch, sizeof(*ctx->config_calls));
		if (ctx->config_calls)
			memset(ctx->config_calls, 0, sizeof(*ctx->config_calls));
	}
	return ctx->config_calls;
}

/* Serve dir (tree-relative) to the clients of the server that file configures, or of the compose
 * service server; a directory served already stays its first server's. */
static void serve_dir(tm_ingest_ctx *ctx, const char *dir, const char *file, tm_node *server)
{
	struct tm_config_calls *cc = calls_of(ctx);
	if (!cc || !dir || tm_hmap_get(&cc->served_dirs, dir, strlen(dir)))
		return;
	struct served *sv = tm_arena_alloc(ctx->scratch, sizeof(*sv));
	if (!sv) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	*sv = (struct served){dir, file, server, cc->served, NULL};
	cc->served = sv;
	if (tm_hmap_put(&cc->served_dirs, dir, strlen(dir), sv))
		tm_arena_set_failed(ctx->scratch);
}

/* A config server's native search locations ("classpath:/shared,classpath:/config"): each
 * classpath directory, beside the file (its resources directory), is served. */
static void serve_dirs(tm_ingest_ctx *ctx, const char *file, const char *value)
{
	const char *slash = strrchr(file, '/');
	for (const char *p = value; *p;) {
		size_t n = strcspn(p, ",");
		if (n > 11 && strncmp(p, "classpath:/", 11) == 0) {
			size_t d = n - 11;
			while (d && p[11 + d - 1] == '/')
				d--;
			serve_dir(ctx, tm_arena_printf(ctx->scratch, "%.*s%s%.*s", slash ? (int)(slash - file) : 0, file,
						       slash ? "/" : "", (int)d, p + 11),
				  file, NULL);
		}
		p += n + (p[n] == ',');
		while (*p == ' ')
			p++;
	}
}

static void hint(tm_ingest_ctx *ctx, const char *file, const char *repo)
{
	struct tm_config_calls *cc = calls_of(ctx);
	struct server_hint *h = cc ? tm_arena_alloc(ctx->scratch, sizeof(*h)) : NULL;
	const char *f = h ? tm_arena_strdup(ctx->scratch, file) : NULL;
	if (!f) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	*h = (struct server_hint){f, repo, cc->hints};
	cc->hints = h;
}

/* A git backend's repository (spring.cloud.config.server.git.uri): its name, the uri's last part
 * without ".git" ("https://github.com/acme/shop-config" -> "shop-config"); a templated uri names none. */
static void git_backend(tm_ingest_ctx *ctx, const char *file, const char *uri)
{
	size_t n = strlen(uri);
	while (n && uri[n - 1] == '/')
		n--;
	if (n > 4 && strncmp(uri + n - 4, ".git", 4) == 0)
		n -= 4;
	size_t b = n;
	while (b && uri[b - 1] != '/' && uri[b - 1] != ':')
		b--;
	/* a name as generic as a directory's role (config, settings) would take every such directory */
	static const char *const generic[] = {"config", "configs", "configuration", "settings", "repo", "properties"};
	for (size_t i = 0; i < TM_ARRAY_LEN(generic); i++)
		if (strlen(generic[i]) == n - b && strncasecmp(uri + b, generic[i], n - b) == 0)
			return;
	if (b < n && n - b >= 4 && !strchr(uri, '$') && !strchr(uri, '{'))
		hint(ctx, file, tm_arena_strndup(ctx->scratch, uri + b, n - b));
}

/* The directories config servers serve that no search-locations setting names, found once every
 * file is read: Spring Cloud Config's native backend serves classpath:/config when no
 * search-locations is set; a git backend's repository checked out in the scan is served whole
 * (its directory named as the repository); a compose service running a config server (its
 * environment says so: config_server) serves the directories it bind-mounts. */
static void default_served(tm_ingest_ctx *ctx, struct tm_config_calls *cc)
{
	for (const struct server_hint *h = cc->hints; h; h = h->next) {
		if (h->repo) {
			size_t rl = strlen(h->repo);
			for (const struct pending *p = cc->head; p && rl; p = p->next)
				for (const char *seg = p->file; seg;) {
					size_t n = strcspn(seg, "/");
					if (!seg[n])
						break;
					if (n == rl && strncasecmp(seg, h->repo, n) == 0) {
						serve_dir(ctx, tm_arena_strndup(ctx->scratch, p->file, (size_t)(seg - p->file) + n),
							  h->file, NULL);
						break;
					}
					seg += n + 1;
				}
			continue;
		}
		bool named = false;
		for (const struct served *sv = cc->served; sv && !named; sv = sv->next)
			named = sv->server_file && strcmp(sv->server_file, h->file) == 0;
		if (!named)
			serve_dirs(ctx, h->file, "classpath:/config");
	}
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0, nn = tm_model_node_count(m); i < nn; i++) {
		tm_node *n = m->nodes[i];
		if (n->kind != TM_NODE_SERVICE || !tm_node_attr_get(n, "config_server"))
			continue;
		for (size_t k = 0; k < n->facts.count; k++) {
			const tm_fact_loc *fl = &n->facts.items[k];
			if (strcmp(fl->key, "bind_mounts") != 0 || !fl->loc.path)
				continue;
			char dir[1024], full[1024];
			const char *slash = strrchr(fl->loc.path, '/');
			tm_formatf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - fl->loc.path) : 0, fl->loc.path);
			const char *p = tm_ingest__path_join(dir, fl->value, full, sizeof(full));
			if (p && *p)
				serve_dir(ctx, tm_arena_strdup(ctx->scratch, p), NULL, n);
		}
	}
}

/* Keep one pending value (copied into the scan's scratch arena), in the order read. */
static void keep(tm_ingest_ctx *ctx, const char *file, const char *setting, const char *value, tm_loc at, bool env,
		 const char *fact)
{
	struct tm_config_calls *cc = calls_of(ctx);
	if (cc && cc->n == PENDING_MAX && !cc->full) {
		cc->full = true;
		tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, at,
			    "more than %d settings of applications' configuration files name addresses, gateway routes "
			    "or image settings; this one and later ones are not read",
			    PENDING_MAX);
	}
	struct pending *p = cc && cc->n < PENDING_MAX ? tm_arena_alloc(ctx->scratch, sizeof(*p)) : NULL;
	if (!p)
		return;
	at.path = at.path ? tm_arena_strdup(ctx->scratch, at.path) : NULL;
	at.pointer = NULL;
	*p = (struct pending){tm_arena_strdup(ctx->scratch, file), tm_arena_strdup(ctx->scratch, setting),
			      tm_arena_strdup(ctx->scratch, value), at, env, fact, NULL};
	if (!p->file || !p->setting || !p->value) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	if (cc->tail)
		cc->tail->next = p;
	else
		cc->head = p;
	cc->tail = p;
	cc->n++;
}

/* A Spring profile for development or tests (application-dev.yml, bootstrap-local.properties): not
 * what a deployment runs with. */
static bool dev_profile(const char *file)
{
	static const char *const profiles[] = {"dev", "local", "test", "development", "debug", "it"};
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	const char *dash = strchr(base, '-');
	if (!dash || (strncmp(base, "application", 11) != 0 && strncmp(base, "bootstrap", 9) != 0))
		return false;
	size_t n = strcspn(dash + 1, ".");
	for (size_t i = 0; i < TM_ARRAY_LEN(profiles); i++)
		if (strlen(profiles[i]) == n && strncasecmp(dash + 1, profiles[i], n) == 0)
			return true;
	return false;
}

/* management.endpoints.web.exposure.include (an item of it, or a comma-separated list): does it
 * expose an Actuator endpoint that tells or changes more than health, info and metrics? */
static bool include_key(const char *setting)
{
	static const char *const key = "management.endpoints.web.exposure.include";
	size_t kl = strlen(key);
	return strncmp(setting, key, kl) == 0 && (!setting[kl] || setting[kl] == '[');
}

static bool actuator_exposes(const char *setting, const char *value)
{
	static const char *const sensitive[] = {"*", "env", "heapdump", "threaddump", "configprops", "loggers",
						"shutdown", "gateway", "jolokia", "logfile", "httptrace",
						"httpexchanges", "sessions", "mappings", "beans", "refresh", "restart"};
	if (!include_key(setting))
		return false;
	for (const char *v = value; *v;) {
		v += strspn(v, " ,\"'");
		size_t n = strcspn(v, " ,\"'");
		for (size_t i = 0; n && i < TM_ARRAY_LEN(sensitive); i++)
			if (strlen(sensitive[i]) == n && strncasecmp(v, sensitive[i], n) == 0)
				return true;
		v += n;
	}
	return false;
}

/* Does a setting limit which Actuator endpoints are served: management.endpoints.web.exposure.exclude
 * (or an item of it), management.endpoints.enabled-by-default, management.endpoints.access.default,
 * management.endpoint.<id>.enabled or .access? */
static bool actuator_limit(const char *setting)
{
	static const char *const excl = "management.endpoints.web.exposure.exclude";
	size_t xl = strlen(excl);
	if (strncmp(setting, excl, xl) == 0 && (!setting[xl] || setting[xl] == '['))
		return true;
	if (strcmp(setting, "management.endpoints.enabled-by-default") == 0 ||
	    strcmp(setting, "management.endpoints.access.default") == 0)
		return true;
	static const char *const one = "management.endpoint.";
	size_t ol = strlen(one);
	if (strncmp(setting, one, ol) != 0)
		return false;
	const char *dot = strchr(setting + ol, '.');
	return dot && dot > setting + ol && (strcmp(dot, ".enabled") == 0 || strcmp(dot, ".access") == 0);
}

/* Does a profiles list ("native", "native,docker") name the native profile? */
static bool native_profile(const char *v)
{
	for (const char *p = v; *p;) {
		p += strspn(p, " ,");
		size_t n = strcspn(p, " ,");
		if (n == 6 && strncmp(p, "native", 6) == 0)
			return true;
		p += n;
	}
	return false;
}

/* Is a value only host:port items, each perhaps with a path ("orders:5100", "a:9092,b:9092",
 * "catalog:80/api")? */
static bool host_ports(const char *v)
{
	size_t n = 0;
	for (const char *s = v; *s;) {
		s += strspn(s, ",; ");
		if (!*s)
			break;
		size_t h = 0;
		while (host_char(s[h]))
			h++;
		size_t d = h && s[h] == ':' ? strspn(s + h + 1, "0123456789") : 0;
		if (!d || d > 5)
			return false;
		s += h + 1 + d;
		if (*s == '/')
			s += strcspn(s, ",; ");
		else if (*s && !strchr(",; ", *s))
			return false;
		n++;
	}
	return n > 0;
}

static void collect(tm_ingest_ctx *ctx, const char *file, const char *setting, const char *value, tm_loc at,
		    bool env)
{
	if (!file || !setting || !value || !*value || strlen(value) > 1024)
		return;
	/* a gateway's routes and checks (gw_spring.c); a route's uri is also a call, below */
	if (!env && tm_gw__spring_setting(setting))
		keep(ctx, file, setting, value, at, false, TM_GW_SPRING_FACT);
	/* Spring Boot Actuator's endpoints over HTTP beyond health and info (TM-API-010), and the port
	 * they are served on when it is not the application's; not a development profile's */
	if (!env && actuator_exposes(setting, value) && !dev_profile(file))
		keep(ctx, file, setting, value, at, false, "actuator_exposed");
	else if (!env && include_key(setting) && !dev_profile(file)) /* health,info: a served "*" may give way to it */
		keep(ctx, file, setting, value, at, false, FACT_SETTING_ONLY);
	/* whether a served file's settings give way to the application's own (override-none) */
	if (!env && (strcmp(setting, "spring.cloud.config.override-none") == 0 ||
		     strcmp(setting, "spring.cloud.config.allow-override") == 0))
		keep(ctx, file, setting, value, at, false, FACT_OVERRIDE);
	if (!env && strcmp(setting, "management.server.port") == 0 && !dev_profile(file))
		keep(ctx, file, setting, value, at, false, "actuator_port");
	/* and the settings that take endpoints away again: exclude, endpoints off by default, one
	 * endpoint switched on or off; kept as "setting=value" */
	if (!env && actuator_limit(setting) && !dev_profile(file)) {
		const char *both = tm_arena_printf(ctx->scratch, "%s=%s", setting, value);
		if (both)
			keep(ctx, file, setting, both, at, false, "actuator_limits");
	}
	if (not_a_peer(setting))
		return;
	size_t sl = strlen(setting);
	if (!env && (ends_with_ci(setting, sl, "config.server.native.search-locations") ||
		     ends_with_ci(setting, sl, "config.server.native.searchLocations"))) {
		serve_dirs(ctx, file, value);
		return;
	}
	if (!env && ends_with_ci(setting, sl, "config.server.git.uri"))
		git_backend(ctx, file, value);
	/* the native profile: what it serves is decided once every file is read (default_served) */
	if (!env && (strcmp(setting, "spring.profiles.active") == 0 || strncmp(setting, "spring.profiles.active[", 23) == 0) &&
	    native_profile(value))
		hint(ctx, file, NULL);
	bool named = env ? tm_ingest__address_name(setting, true) : named_setting(setting);
	/* a port says a value is an address (cartservice:7070), in an env var or a file alike; in a
	 * file, only a value that is nothing but host:port items ("customermanagementapi:5100"), not a
	 * sentence or an image tag (rabbitmq:3-management) that holds one */
	if (!named && !strstr(value, "://") && !strchr(value, '=') &&
	    !(strchr(value, ':') && (env || host_ports(defaults(ctx->scratch, value)))))
		return;
	keep(ctx, file, setting, value, at, env, NULL);
}

void tm_ingest__config_address(tm_ingest_ctx *ctx, const char *file, const char *setting, const char *value,
			       tm_loc at)
{
	collect(ctx, file, setting, value, at, false);
}

void tm_ingest__config_env(tm_ingest_ctx *ctx, const char *file, const char *name, const char *value, tm_loc at)
{
	/* a setting an operations console reads: a fact, which the workload's own environment overrides */
	const char *console = tm_ingest__console_item(ctx->scratch, name, value);
	if (console) {
		if (file && strlen(console) <= 1024)
			keep(ctx, file, name, console, at, true, "console_env");
		return;
	}
	collect(ctx, file, name, value, at, true);
}

void tm_ingest__config_base_image(tm_ingest_ctx *ctx, const char *file, const char *image, tm_loc at)
{
	if (file && image && *image && strlen(image) <= 1024)
		keep(ctx, file, "FROM", image, at, false, "base_images");
}

void tm_ingest__config_user(tm_ingest_ctx *ctx, const char *file, const char *user, tm_loc at)
{
	if (file && user && *user && strlen(user) <= 256)
		keep(ctx, file, "USER", user, at, false, "image_user");
}

/* The user name a value carrying a password (pw, in v) names: a URL's or DSN's userinfo before
 * the password (postgres://app:pw@db, app:pw@tcp(db)), else a connection string's User Id=, Uid=,
 * User=, Username=, User Name= or Login= item. Into *len; NULL: none. Linear in v. */
static const char *carried_user(const char *v, const char *pw, size_t *len)
{
	const char *scheme = strstr(v, "://");
	const char *start = scheme && scheme < pw ? scheme + 3 : v;
	if (pw > start && pw[-1] == ':' && !memchr(start, ';', (size_t)(pw - start)) &&
	    !memchr(start, '=', (size_t)(pw - start))) {
		*len = (size_t)(pw - 1 - start);
		return start;
	}
	static const char *const keys[] = {"user id", "userid", "uid", "user", "username", "user name", "login"};
	for (const char *item = v; *item;) {
		item += strspn(item, "; ");
		size_t n = strcspn(item, ";"), k = strcspn(item, "=;");
		while (k && item[k - 1] == ' ')
			k--;
		for (size_t i = 0; item[k] == '=' && i < TM_ARRAY_LEN(keys); i++)
			if (strlen(keys[i]) == k && strncasecmp(item, keys[i], k) == 0) {
				const char *u = item + strcspn(item, "=") + 1;
				*len = (size_t)(item + n - u);
				return u;
			}
		item += n;
	}
	return NULL;
}

static void first_host(void *ud, const tm_address *a)
{
	char *host = ud;
	if (!*host)
		tm_formatf(host, 256, "%s", a->host);
}

/* What makes two written credentials the same one, digested: for a value that carries a password
 * (a connection string, a URL, a DSN), its host, user and password, whatever else it says (two
 * databases on one server behind one `sa` login are one credential); for any other, the value.
 * Host and user compared without case. Only the digest is kept, never the value. */
static uint64_t cred_digest(const char *value)
{
	size_t plen = 0, ulen = 0;
	const char *pw = tm_ingest__carried_password(value, &plen);
	if (!pw || !plen) {
		uint64_t h = tm_hash(value, strlen(value));
		return h ^ 0x9e3779b97f4a7c15ull; /* apart from any host-user-password digest */
	}
	char host[256] = "";
	tm_ingest__address_each(value, true, first_host, host);
	const char *user = carried_user(value, pw, &ulen);
	tm_strbuf sb = TM_STRBUF_INIT;
	for (const char *h = host; *h; h++)
		tm_strbuf_putc(&sb, (char)tolower((unsigned char)*h));
	tm_strbuf_putc(&sb, '\x1f');
	for (size_t i = 0; user && i < ulen; i++)
		tm_strbuf_putc(&sb, (char)tolower((unsigned char)user[i]));
	tm_strbuf_putc(&sb, '\x1f');
	tm_strbuf_put(&sb, pw, plen);
	uint64_t h = sb.oom || !sb.data ? tm_hash(value, strlen(value)) : tm_hash(sb.data, sb.len);
	/* the password is not left in freed memory */
	if (sb.data)
		memset(sb.data, 0, sb.len);
	tm_strbuf_dispose(&sb);
	return h;
}

uint64_t tm_ingest__credential_digest(const char *value)
{
	return cred_digest(value);
}

void tm_ingest__config_secret(tm_ingest_ctx *ctx, const char *file, tm_node *node, const char *key, const char *value,
			      tm_loc at)
{
	struct tm_config_calls *cc = node && file && key && value ? calls_of(ctx) : NULL;
	if (cc && cc->ncreds == PENDING_MAX) {
		cc->ncreds++; /* said once */
		tm_diag_add(ctx->diags, TM_ELIMIT, TM_LEVEL_WARNING, at,
			    "more than %d credentials are written in applications' configuration files; this one "
			    "and later ones are linked to no workload",
			    PENDING_MAX);
	}
	if (!cc || cc->ncreds >= PENDING_MAX)
		return;
	struct cred *c = tm_arena_alloc(ctx->scratch, sizeof(*c));
	const char *f = c ? tm_arena_strdup(ctx->scratch, file) : NULL;
	const char *k = f ? tm_arena_strdup(ctx->scratch, key) : NULL;
	if (!k) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	at.path = at.path ? tm_arena_strdup(ctx->scratch, at.path) : f;
	at.pointer = NULL;
	*c = (struct cred){node, f, k, cred_digest(value), at, false, NULL};
	if (cc->creds_tail)
		cc->creds_tail->next = c;
	else
		cc->creds = c;
	cc->creds_tail = c;
	cc->ncreds++;
}

/* A name as compared with a directory's: lower case, letters and digits only. */
static size_t squeeze(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && s[i] && k + 1 < cap; i++)
		if (isalnum((unsigned char)s[i]))
			out[k++] = (char)tolower((unsigned char)s[i]);
	out[k] = '\0';
	return k;
}

/* The workloads by squeezed name: each chain of nodes that carry it. */
struct owner {
	tm_node *n;
	bool by_name; /* the directory is the workload's name (else its image's or build context's) */
	struct owner *next;
};

static void index_name(tm_ingest_ctx *ctx, tm_hmap *by, const char *s, size_t n, tm_node *node, bool by_name)
{
	char key[128];
	size_t k = squeeze(s, n, key, sizeof(key));
	if (k < 2)
		return;
	struct owner *head = tm_hmap_get(by, key, k);
	if (head && head->n == node) { /* a node's keys are indexed together: a repeat is the head */
		head->by_name |= by_name;
		return;
	}
	struct owner *o = tm_arena_alloc(ctx->scratch, sizeof(*o));
	char *kept = tm_arena_strndup(ctx->scratch, key, k);
	if (!o || !kept || tm_hmap_put(by, kept, k, o)) {
		tm_arena_set_failed(ctx->scratch);
		return;
	}
	o->n = node;
	o->by_name = by_name;
	o->next = head;
}

/* The last word of an image's repository ("registry/team/orders-api:1.2@sha256:..." -> orders-api). */
static void index_image(tm_ingest_ctx *ctx, tm_hmap *by, const char *image, tm_node *node)
{
	size_t n = strcspn(image, "@");
	const char *slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (image[i] == '/')
			slash = image + i;
	const char *word = slash ? slash + 1 : image;
	size_t w = (size_t)(image + n - word);
	const char *colon = memchr(word, ':', w);
	if (colon)
		w = (size_t)(colon - word);
	if (!memchr(word, '$', w))
		index_name(ctx, by, word, w, node, false);
}

/* The last directory of path (of its directory, for a file: up_one) as a name of node. */
static void index_dir(tm_ingest_ctx *ctx, tm_hmap *by, const char *path, tm_node *node, bool up_one)
{
	if (!path)
		return;
	size_t b = strlen(path);
	if (up_one) {
		while (b && path[b - 1] != '/')
			b--;
	}
	while (b && path[b - 1] == '/')
		b--;
	const char *s = path + b;
	while (s > path && s[-1] != '/')
		s--;
	size_t n = (size_t)(path + b - s);
	if (n && !(n == 1 && *s == '.') && !(n == 2 && s[0] == '.' && s[1] == '.'))
		index_name(ctx, by, s, n, node, false);
}

static void index_workloads(tm_ingest_ctx *ctx, tm_hmap *by)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	size_t nn = tm_model_node_count(m);
	for (size_t i = 0; i < nn; i++) {
		const tm_node *c = tm_model_node(m, i);
		if (tm_node_kind_of(c) != TM_NODE_SERVICE || !tm_node_attr_str(c, "workload"))
			continue;
		tm_node *n = tm_mb_find(ctx->mb, tm_node_id(c));
		const char *name = tm_node_name(c);
		index_name(ctx, by, name, strlen(name), n, true);
		const tm_attr *images = tm_node_attr_get(c, "images");
		for (uint32_t k = 0; images && images->type == TM_ATTR_LIST && k < images->list_len; k++)
			index_image(ctx, by, images->list[k], n);
		/* compose: the directory it is built from, and its Dockerfile's directory */
		index_dir(ctx, by, tm_node_attr_str(c, "build"), n, false);
		index_dir(ctx, by, tm_node_attr_str(c, "dockerfile"), n, true);
	}
}

/* The files workloads name as their configuration (a `config_files` fact: compose.c), each to the
 * chain of workloads that do, in cc->mounted. */
static void index_mounted(tm_ingest_ctx *ctx, struct tm_config_calls *cc)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0, nn = tm_model_node_count(m); i < nn; i++) {
		tm_node *n = m->nodes[i];
		for (size_t k = 0; n->kind == TM_NODE_SERVICE && k < n->facts.count; k++) {
			const tm_fact_loc *fl = &n->facts.items[k];
			if (strcmp(fl->key, "config_files") != 0)
				continue;
			size_t len = strlen(fl->value);
			struct owner *head = tm_hmap_get(&cc->mounted, fl->value, len);
			if (head && head->n == n)
				continue;
			struct owner *o = tm_arena_alloc(ctx->scratch, sizeof(*o));
			if (!o || tm_hmap_put(&cc->mounted, fl->value, len, o)) {
				tm_arena_set_failed(ctx->scratch);
				return;
			}
			*o = (struct owner){n, true, head};
		}
	}
}

#define OWNERS_MAX 64 /* workloads one file may belong to (one application in many namespaces) */

/* Whose a file is (owners_of): the chain of the directory that names them, whether any is named by
 * it (then only those are), how many, and whether the directory names no one for certain. */
struct owners {
	const struct owner *head;
	bool named, ambiguous;
	size_t n;
	bool served; /* a file a config server serves: its owners are its application's (served_to) */
	struct served *every; /* a served application.yml: every client's (find_clients) */
};

/* A file in a directory a config server serves: `<application>[-<profile>].yml` is the workloads'
 * named application (the config server's own directory is no owner of it); `application.yml` is
 * every client's (.every: find_clients finds them). .served false: no such file. */
static struct owners served_to(tm_ingest_ctx *ctx, const tm_hmap *by, const tm_hmap *served_dirs,
			       const char *file, tm_loc at, bool quiet)
{
	struct owners r = {NULL, false, false, 0, false, NULL};
	const char *base = strrchr(file, '/');
	struct served *sv = base && served_dirs->count ? tm_hmap_get(served_dirs, file, (size_t)(base - file)) : NULL;
	if (!sv)
		return r;
	r.served = true;
	base++;
	size_t stem = strcspn(base, ".");
	if (strncmp(base, "application", 11) == 0 && (stem == 11 || base[11] == '-')) {
		r.every = sv;
		return r;
	}
	char key[128];
	for (int pass = 0; pass < 2 && !r.head; pass++) { /* the whole stem, then without -<profile> */
		size_t n = stem;
		if (pass) { /* up to the last '-' */
			while (n && base[n - 1] != '-')
				n--;
			if (!n--)
				break;
		}
		size_t k = squeeze(base, n, key, sizeof(key));
		const struct owner *o = k >= 2 ? tm_hmap_get(by, key, k) : NULL;
		for (const struct owner *x = o; x; x = x->next)
			r.n += x->by_name;
		r.named = r.n > 0; /* only the workloads of that name are its owners */
		r.head = r.named ? o : NULL;
	}
	if (!r.head && !quiet)
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, at,
			    "%s is served by a config server to an application no workload is named for: its "
			    "addresses are drawn for no one", file);
	return r;
}

/* The workloads whose file this is: those the nearest directory of its path names. A directory
 * that is workloads' name names them; one that is only their image's last word or build context
 * names them when they are one application (one name: the same workload in two namespaces), and
 * else no one: one image run as several services (each with its own command) shares one file whose
 * settings each reads a part of, and which part is in the code. So does a directory naming more
 * than OWNERS_MAX. Linear in the path and the chain. */
static bool owners_named(const tm_hmap *by, const char *name, size_t len, struct owners *r)
{
	char key[128];
	size_t k = squeeze(name, len, key, sizeof(key));
	const struct owner *o = k >= 2 ? tm_hmap_get(by, key, k) : NULL;
	if (!o)
		return false;
	bool several = false;
	for (const struct owner *x = o; x && r->n <= OWNERS_MAX; x = x->next) {
		r->named |= x->by_name;
		several |= strcmp(tm_node_name(x->n), tm_node_name(o->n)) != 0;
		r->n++;
	}
	r->ambiguous = (!r->named && several) || r->n > OWNERS_MAX;
	r->head = r->ambiguous ? NULL : o;
	return true;
}

/* A file whose own name says whose it is, whatever directory holds it: oauth2-proxy's
 * configuration (oauth2-proxy*.cfg, as detect.c recognises it), Telegraf's (telegraf*.conf) and
 * coturn's (turnserver*.conf, coturn*.conf): the
 * product, as its workloads are named. NULL for any other file. */
static const char *product_file(const char *file)
{
	const char *base = strrchr(file, '/');
	const char *kind = tm_detect__properties(base ? base + 1 : file);
	return kind && (strcmp(kind, "oauth2-proxy") == 0 || strcmp(kind, "telegraf") == 0 || strcmp(kind, "coturn") == 0)
		       ? kind
		       : NULL;
}

static struct owners owners_of(const tm_hmap *by, const char *file)
{
	struct owners r = {NULL, false, false, 0, false, NULL};
	/* its own name first: keycloak/oauth2-proxy.cfg is oauth2-proxy's, not keycloak's */
	const char *product = product_file(file);
	if (product && owners_named(by, product, strlen(product), &r))
		return r;
	const char *end = strrchr(file, '/');
	while (end && end > file) {
		const char *start = end;
		while (start > file && start[-1] != '/')
			start--;
		if (owners_named(by, start, (size_t)(end - start), &r))
			return r;
		end = start > file ? start - 1 : NULL;
	}
	return r;
}

struct resolve {
	tm_ingest_ctx *ctx;
	tm_node *from;
	const struct pending *p;
	bool compose;
	const char *ns;
	bool every; /* a setting a config server serves every client: whether this one uses it is in its code */
};

static void add(struct resolve *r, tm_node *to, const tm_address *a)
{
	if (!to || to == r->from)
		return;
	tm_model_builder *mb = r->ctx->mb;
	tm_edge *e = tm_mb_edge(mb, r->from, to, TM_EDGE_CALLS, r->p->at);
	if (!e)
		return;
	tm_mb_edge_list_add(mb, e, "setting",
			    tm_arena_printf(r->ctx->scratch, "%s: %s%s", r->p->file, r->p->setting,
					    r->every ? " (served to every client of the config server)" : ""));
	tm_mb_edge_list_add(mb, e, "address", tm_ingest__masked(r->ctx->scratch, r->p->value));
	if (r->p->env) /* a gateway's ${NAME} upstream is resolved through it (gateway.c) */
		tm_mb_edge_list_add(mb, e, "env", r->p->setting);
	if (a->port)
		tm_mb_edge_list_add(mb, e, "ports", a->port);
}

static void resolve_one(void *ud, const tm_address *a)
{
	struct resolve *r = ud;
	tm_node *to = NULL;
	if (r->compose) { /* compose service names are lower case */
		char host[256];
		size_t n = 0;
		for (; a->host[n] && n + 1 < sizeof(host); n++)
			host[n] = (char)tolower((unsigned char)a->host[n]);
		host[n] = '\0';
		const char *id = tm_arena_printf(r->ctx->scratch, "service:compose:%s/%s", r->ns, host);
		to = id ? tm_mb_find(r->ctx->mb, id) : NULL;
	} else {
		struct tm_k8s_svc *s = r->ctx->kube ? tm_k8s__resolve_host(r->ctx->kube, r->ns, a->host) : NULL;
		for (size_t i = 0; s && i < s->ntargets; i++)
			add(r, to = s->targets[i], a);
		if (to)
			return;
	}
	/* lb://NAME: the application registered under NAME (spring.application.name), when no Service
	 * or compose service answers to it */
	if (!to && strncasecmp(r->p->value, "lb:", 3) == 0)
		to = tm_gw__discovery(r->ctx, a->host, r->ns, r->compose);
	add(r, to, a);
}

/* Is a file a test's, not what the application runs with: a path segment test, tests, testdata,
 * fixtures, mocks, e2e (Maven's src/test/resources, a tests/ project)? Its addresses are a test
 * double's. */
static bool test_file(const char *path)
{
	static const char *const words[] = {"test", "tests", "testing", "testdata", "fixture", "fixtures",
					    "mock", "mocks", "e2e", "__tests__"};
	for (const char *seg = path; seg && *seg;) {
		size_t n = strcspn(seg, "/");
		for (size_t i = 0; seg[n] == '/' && i < TM_ARRAY_LEN(words); i++)
			if (strlen(words[i]) == n && strncasecmp(seg, words[i], n) == 0)
				return true;
		seg = seg[n] ? seg + n + 1 : NULL;
	}
	return false;
}

/* The key a setting of a workload is remembered by: its node's address, then the setting. */
static const char *setting_key(tm_arena *a, const tm_node *n, const char *setting, size_t *len)
{
	char *k = tm_arena_printf(a, "%p\x1f%s", (const void *)n, setting);
	*len = k ? strlen(k) : 0;
	return k;
}

struct reader_chain {
	tm_arena *a;
	struct owner *head;
	bool oom;
};

static void reader_owner(void *ud, const tm_mount_reader *r)
{
	struct reader_chain *rc = ud;
	struct owner *o = tm_arena_alloc(rc->a, sizeof(*o));
	if (!o) {
		rc->oom = true;
		return;
	}
	*o = (struct owner){r->w, true, rc->head};
	rc->head = o;
}

/* The workloads a file is the configuration of by their bind mounts: those whose `config_files`
 * name it (compose.c), else those reading it through a mount (a file mounted into a service
 * explicitly is that service's: mounts.c), else those holding it through a mount of a directory
 * above it (tm_ingest__mount_holders), looked up once per file and kept in cc->mounted (a
 * chain whose one item has no node: none). NULL: none. */
static const struct owner *mount_owners(tm_ingest_ctx *ctx, struct tm_config_calls *cc, const char *file)
{
	size_t len = strlen(file);
	const struct owner *o = cc->mounted.count ? tm_hmap_get(&cc->mounted, file, len) : NULL;
	if (o)
		return o->n ? o : NULL;
	if (!ctx->mounts)
		return NULL;
	struct reader_chain rc = {ctx->scratch, NULL, false};
	/* else those holding it through a mount of the directory above it (Synapse's ./synapse at
	 * /data, its homeserver.yaml there): the file is in their containers, whatever reads it */
	const char *base = strrchr(file, '/');
	bool served = base && cc->served_dirs.count && tm_hmap_get(&cc->served_dirs, file, (size_t)(base - file));
	if (!tm_ingest__mount_readers(ctx, file, NULL, reader_owner, &rc) && !served) /* a served file is its application's */
		tm_ingest__mount_holders(ctx, file, reader_owner, &rc);
	const char *key = tm_arena_strdup(ctx->scratch, file);
	struct owner *none = rc.head ? NULL : tm_arena_alloc(ctx->scratch, sizeof(*none));
	if (rc.oom || !key || (!rc.head && !none) || tm_hmap_put(&cc->mounted, key, len, rc.head ? rc.head : none)) {
		tm_arena_set_failed(ctx->scratch);
		return NULL;
	}
	return rc.head;
}

/* Whose a file is: a config server's served file is its application's, else the nearest
 * directory's. */
static struct owners file_owners(tm_ingest_ctx *ctx, const tm_hmap *by, const tm_hmap *served_dirs,
				 const char *file, tm_loc at, bool quiet)
{
	struct owners own = {NULL, false, false, 0, false, NULL};
	/* the workloads that read it through their bind mounts (it mounted itself, or named on their
	 * command line: mounts.c): theirs, wherever it sits */
	const struct owner *mounted = ctx->config_calls ? mount_owners(ctx, ctx->config_calls, file) : NULL;
	if (mounted) {
		own.head = mounted;
		own.named = true;
		for (const struct owner *o = mounted; o; o = o->next)
			own.n++;
		return own;
	}
	if (served_dirs->count)
		own = served_to(ctx, by, served_dirs, file, at, quiet);
	if (!own.served)
		own = owners_of(by, file);
	return own;
}

/* A setting as the application reads it, whichever form wrote it: a list's items are the list
 * ("...include[0]" is "...include"). Into buf. */
static const char *setting_base(const char *setting, char *buf, size_t cap)
{
	tm_formatf(buf, cap, "%.*s", (int)strcspn(setting, "["), setting);
	return buf;
}

/* The served files whose settings give way to each application's own (Spring Cloud Config's
 * spring.cloud.config.override-none: true, unless allow-override: false), into yields. */
static void override_files(tm_ingest_ctx *ctx, const struct tm_config_calls *cc, tm_hmap *yields)
{
	tm_hmap flags = TM_HMAP_INIT; /* file -> 1 override-none, | 2 allow-override false */
	for (const struct pending *p = cc->head; p; p = p->next) {
		if (!p->fact || strcmp(p->fact, FACT_OVERRIDE) != 0)
			continue;
		uintptr_t f = (uintptr_t)tm_hmap_get(&flags, p->file, strlen(p->file));
		if (strcmp(p->setting, "spring.cloud.config.override-none") == 0 && tm_strcaseeq(p->value, "true"))
			f |= 1;
		if (strcmp(p->setting, "spring.cloud.config.allow-override") == 0 && tm_strcaseeq(p->value, "false"))
			f |= 2;
		if (f && tm_hmap_put(&flags, p->file, strlen(p->file), (void *)f))
			tm_arena_set_failed(ctx->scratch);
	}
	for (const struct pending *p = cc->head; flags.count && p; p = p->next)
		if ((uintptr_t)tm_hmap_get(&flags, p->file, strlen(p->file)) == 1 &&
		    tm_hmap_put(yields, p->file, strlen(p->file), (void *)(uintptr_t)1))
			tm_arena_set_failed(ctx->scratch);
	tm_hmap_dispose(&flags);
}

/* The settings each workload's own (not served) files set, by setting_base: what a served file that
 * gives way (override_files) does not override. Linear in the pending settings. */
static void local_settings(tm_ingest_ctx *ctx, const struct tm_config_calls *cc, const tm_hmap *by, tm_hmap *out)
{
	const char *file = NULL;
	struct owners own = {NULL, false, false, 0, false, NULL};
	for (const struct pending *p = cc->head; p; p = p->next) {
		if (!file || strcmp(file, p->file) != 0) {
			file = p->file;
			own = file_owners(ctx, by, &cc->served_dirs, file, p->at, true);
			if (own.served || test_file(file))
				own.head = NULL;
		}
		char base[256];
		for (const struct owner *o = own.head; o; o = o->next) {
			if (own.named && !o->by_name)
				continue;
			size_t len;
			const char *k = setting_key(ctx->scratch, o->n, setting_base(p->setting, base, sizeof(base)), &len);
			if (k && !tm_hmap_get(out, k, len) && tm_hmap_put(out, k, len, (void *)(uintptr_t)1))
				tm_arena_set_failed(ctx->scratch);
		}
	}
}

/* The settings a config server serves each workload in a file of its application's name: Spring
 * Cloud Config's remote properties take precedence over the application's own application.yml and
 * over the server's application.yml, so such a setting found elsewhere is not the workload's.
 * Linear in the pending settings. */
static void served_settings(tm_ingest_ctx *ctx, const struct tm_config_calls *cc, const tm_hmap *by,
			    const tm_hmap *yields, tm_hmap *out)
{
	const char *file = NULL;
	struct owners own = {NULL, false, false, 0, false, NULL};
	for (const struct pending *p = cc->head; cc->served && p; p = p->next) {
		if (!file || strcmp(file, p->file) != 0) {
			file = p->file;
			own = served_to(ctx, by, &cc->served_dirs, file, p->at, true);
			if (test_file(file) || tm_hmap_get(yields, file, strlen(file)))
				own.head = NULL;
		}
		for (const struct owner *o = own.served ? own.head : NULL; o; o = o->next) {
			if (own.named && !o->by_name)
				continue;
			size_t len;
			const char *k = setting_key(ctx->scratch, o->n, p->setting, &len);
			if (k && !tm_hmap_get(out, k, len) && tm_hmap_put(out, k, len, (void *)(uintptr_t)1))
				tm_arena_set_failed(ctx->scratch);
		}
	}
}

/* The workloads a served application.yml is every one of: those that call its config server (the
 * workload the server's own configuration file is), by any edge drawn so far (their bootstrap.yml's
 * spring.cloud.config.uri, an environment's CONFIG_SERVER_URL). Every server's at once: one walk
 * of the edges. */
struct server_link {
	struct served *sv;
	struct server_link *next;
};

/* The workloads running sv's server: the compose service mounting it (in *mounted), else those its
 * configuration file is (owners_of). */
static struct owners server_of(const tm_hmap *by, const struct served *sv, struct owner *mounted)
{
	*mounted = (struct owner){sv->server, true, NULL};
	return sv->server ? (struct owners){mounted, true, false, 1, false, NULL} : owners_of(by, sv->server_file);
}

static void find_clients(tm_ingest_ctx *ctx, const tm_hmap *by, struct tm_config_calls *cc)
{
	tm_hmap servers = TM_HMAP_INIT, seen = TM_HMAP_INIT; /* server node -> links; (served, client) */
	for (struct served *sv = cc->served; sv; sv = sv->next) {
		struct owner mounted;
		struct owners server = server_of(by, sv, &mounted);
		for (const struct owner *o = server.head; o; o = o->next) {
			if (server.named && !o->by_name)
				continue;
			struct server_link *l = tm_arena_alloc(ctx->scratch, sizeof(*l));
			const char *k = tm_arena_printf(ctx->scratch, "%p", (const void *)o->n);
			if (!l || !k) {
				tm_arena_set_failed(ctx->scratch);
				break;
			}
			*l = (struct server_link){sv, tm_hmap_get(&servers, k, strlen(k))};
			if (tm_hmap_put(&servers, k, strlen(k), l))
				tm_arena_set_failed(ctx->scratch);
		}
	}
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0, ne = servers.count ? tm_model_edge_count(m) : 0; i < ne; i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const tm_node *to = tm_edge_to(e), *from = tm_edge_from(e);
		if (tm_edge_kind_of(e) != TM_EDGE_CALLS)
			continue;
		char tk[32];
		int tl = snprintf(tk, sizeof(tk), "%p", (const void *)to);
		for (const struct server_link *l = tl > 0 ? tm_hmap_get(&servers, tk, (size_t)tl) : NULL; l; l = l->next) {
			char sk[64];
			int sl = snprintf(sk, sizeof(sk), "%p\x1f%p", (const void *)l->sv, (const void *)from);
			if (sl <= 0 || tm_hmap_get(&seen, sk, (size_t)sl))
				continue;
			struct owner *c = tm_arena_alloc(ctx->scratch, sizeof(*c));
			char *kept = tm_arena_strndup(ctx->scratch, sk, (size_t)sl);
			tm_node *n = tm_mb_find(ctx->mb, tm_node_id(from));
			if (!c || !kept || !n) {
				tm_arena_set_failed(ctx->scratch);
				break;
			}
			if (tm_hmap_put(&seen, kept, (size_t)sl, c))
				tm_arena_set_failed(ctx->scratch);
			*c = (struct owner){n, true, (struct owner *)l->sv->clients};
			l->sv->clients = c;
		}
	}
	tm_hmap_dispose(&servers);
	tm_hmap_dispose(&seen);
}

/* The (workload, variable) pairs a workload's own environment sets and that name a service: the
 * env of the calls edges drawn so far (Kubernetes, compose). An image's ENV of the same name is
 * overridden by it. */
static void own_env(tm_ingest_ctx *ctx, tm_hmap *out)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0, ne = tm_model_edge_count(m); i < ne; i++) {
		const tm_edge *e = tm_model_edge(m, i);
		const tm_attr *env = tm_edge_kind_of(e) == TM_EDGE_CALLS ? tm_edge_attr_get(e, "env") : NULL;
		for (uint32_t k = 0; env && env->type == TM_ATTR_LIST && k < env->list_len; k++) {
			size_t len;
			const char *key = setting_key(ctx->scratch, tm_edge_from(e), env->list[k], &len);
			if (key && !tm_hmap_get(out, key, len) && tm_hmap_put(out, key, len, (void *)(uintptr_t)1))
				tm_arena_set_failed(ctx->scratch);
		}
	}
	/* and the console settings it gives itself (compose, Kubernetes: "KEY=value" or "KEY") */
	for (size_t i = 0, nn = tm_model_node_count(m); i < nn; i++) {
		const tm_node *n = tm_model_node(m, i);
		const tm_attr *ce = tm_node_kind_of(n) == TM_NODE_SERVICE ? tm_node_attr_get(n, "console_env") : NULL;
		for (uint32_t k = 0; ce && ce->type == TM_ATTR_LIST && k < ce->list_len; k++) {
			size_t len;
			const char *name = tm_arena_strndup(ctx->scratch, ce->list[k], strcspn(ce->list[k], "="));
			const char *key = name ? setting_key(ctx->scratch, n, name, &len) : NULL;
			if (key && !tm_hmap_get(out, key, len) && tm_hmap_put(out, key, len, (void *)(uintptr_t)1))
				tm_arena_set_failed(ctx->scratch);
		}
	}
}

/* A credential file's node is held by workload n: a mounts edge (how), as a Kubernetes Secret's
 * user gets, and the secret's used_by, so the walks and TM-SEC-002 see it. */
static void hold(tm_ingest_ctx *ctx, tm_node *n, tm_node *sec, tm_loc at, const char *how)
{
	tm_edge *e = tm_mb_edge(ctx->mb, n, sec, TM_EDGE_MOUNTS, at);
	if (e)
		tm_mb_edge_list_add(ctx->mb, e, "how", how);
	tm_mb_node_fact(ctx->mb, sec, "used_by", tm_node_id(n), at);
}

/* The credentials written in served files (appconfig.c's secret:config:<file> nodes): the server
 * reads each to serve it to whoever asks it (a mounts edge, the secret's served_by fact), and the
 * applications it serves the file to use it (used_by). Linear in the nodes. */
static void served_secrets(tm_ingest_ctx *ctx, struct tm_config_calls *cc, const tm_hmap *by)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0, nn = tm_model_node_count(m); i < nn; i++) {
		tm_node *sec = m->nodes[i];
		const char *file = sec->kind == TM_NODE_SECRET ? tm_node_attr_str(sec, "config_file") : NULL;
		const char *slash = file ? strrchr(file, '/') : NULL;
		struct served *sv = slash ? tm_hmap_get(&cc->served_dirs, file, (size_t)(slash - file)) : NULL;
		if (!sv)
			continue;
		tm_loc at = sec->evidence.count ? sec->evidence.items[0] : (tm_loc){file, 1, 1, NULL};
		struct owner mounted;
		struct owners server = server_of(by, sv, &mounted);
		for (const struct owner *o = server.head; o; o = o->next) {
			if (server.named && !o->by_name)
				continue;
			tm_edge *e = tm_mb_edge(ctx->mb, o->n, sec, TM_EDGE_MOUNTS, at);
			if (e)
				tm_mb_edge_list_add(ctx->mb, e, "how", "serves the file to its clients (Spring Cloud Config)");
			tm_mb_node_fact(ctx->mb, sec, "served_by", tm_node_id(o->n), at);
		}
		struct owners own = served_to(ctx, by, &cc->served_dirs, file, at, true);
		const struct owner *users = own.every ? own.every->clients : own.head;
		for (const struct owner *o = users; o; o = o->next)
			if (own.every || !own.named || o->by_name)
				hold(ctx, o->n, sec, at, "served to it by the config server");
	}
}

/* The credentials written in applications' own configuration files and images (tm_ingest__config_secret):
 * each file's node is held by the workloads the file is, by the owner decision its calls take
 * (file_owners; a served file's, served_secrets'); a test's file is no one's. And the same credential
 * (cred_digest) written in several files: a `same_credential` fact on each at the value, naming the
 * first such value ("<node>#<key path>"), so TM-SEC-002 counts the users of all of them. Linear in
 * the credentials. */
static void config_secrets(tm_ingest_ctx *ctx, struct tm_config_calls *cc, const tm_hmap *by)
{
	tm_hmap linked = TM_HMAP_INIT; /* the nodes seen: each file's linked once */
	for (const struct cred *c = cc->creds; c; c = c->next) {
		const char *id = tm_node_id(c->node);
		if (tm_hmap_get(&linked, id, strlen(id)))
			continue;
		if (tm_hmap_put(&linked, id, strlen(id), c->node)) {
			tm_arena_set_failed(ctx->scratch);
			break;
		}
		struct owners own = file_owners(ctx, by, &cc->served_dirs, c->file, c->at, true);
		if (own.served || own.every || test_file(c->file))
			continue;
		if (own.ambiguous) {
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, c->at,
				    "%s holds credentials, and %s: which of them holds them is not in the files, so "
				    "no workload is linked to them",
				    c->file, own.n > OWNERS_MAX ? "its directory names too many workloads"
								: "several workloads run the image its directory is named for");
			continue;
		}
		const char *kind = tm_node_attr_str(c->node, "config_kind");
		bool image = kind && strcmp(kind, "dockerfile") == 0;
		for (const struct owner *o = own.head; o; o = o->next)
			if (!own.named || o->by_name)
				hold(ctx, o->n, c->node, c->at, image ? TM_HOW_OWN_IMAGE_ENV : TM_HOW_OWN_CONFIG_FILE);
	}
	tm_hmap_dispose(&linked);
	tm_hmap leaders = TM_HMAP_INIT; /* digest -> the first credential with it */
	for (struct cred *c = cc->creds; c; c = c->next) {
		char k[24];
		int kl = snprintf(k, sizeof(k), "%016llx", (unsigned long long)c->digest);
		struct cred *l = kl > 0 ? tm_hmap_get(&leaders, k, (size_t)kl) : NULL;
		if (!l) {
			const char *key = kl > 0 ? tm_arena_strndup(ctx->scratch, k, (size_t)kl) : NULL;
			if (kl > 0 && (!key || tm_hmap_put(&leaders, key, (size_t)kl, c))) /* memory out: no key */
				tm_arena_set_failed(ctx->scratch);
			continue;
		}
		if (l->node == c->node)
			continue; /* the same file again (two connection strings of one login): one holder */
		const char *group = tm_arena_printf(ctx->scratch, "%s#%s", tm_node_id(l->node), l->key);
		if (!group) {
			tm_arena_set_failed(ctx->scratch);
			break;
		}
		if (!l->said)
			tm_mb_node_fact(ctx->mb, l->node, "same_credential", group, l->at);
		l->said = true;
		tm_mb_node_fact(ctx->mb, c->node, "same_credential", group, c->at);
	}
	tm_hmap_dispose(&leaders);
}

void tm_ingest__config_calls_free(tm_ingest_ctx *ctx)
{
	if (ctx->config_calls)
		tm_hmap_dispose(&ctx->config_calls->mounted);
	if (ctx->config_calls)
		tm_hmap_dispose(&ctx->config_calls->served_dirs); /* the rest is in the scratch arena */
	ctx->config_calls = NULL;
}

void tm_ingest__config_calls(tm_ingest_ctx *ctx)
{
	struct tm_config_calls *cc = ctx->config_calls;
	if (!cc || (!cc->head && !cc->creds) || !ctx->mb) {
		tm_ingest__config_calls_free(ctx);
		return;
	}
	tm_hmap by = TM_HMAP_INIT, remote = TM_HMAP_INIT, env_set = TM_HMAP_INIT;
	default_served(ctx, cc);
	index_workloads(ctx, &by);
	index_mounted(ctx, cc);
	/* the names applications register under (spring.application.name): lb://NAME and a Zuul
	 * serviceId resolve through them (gateway.c, resolve_one) */
	for (const struct pending *p = cc->head; p; p = p->next) {
		if (!p->fact || strcmp(p->fact, TM_GW_SPRING_FACT) != 0 || strcmp(p->setting, "spring.application.name") != 0 ||
		    test_file(p->file))
			continue;
		struct owners own = file_owners(ctx, &by, &cc->served_dirs, p->file, p->at, true);
		for (const struct owner *o = own.head; o; o = o->next)
			if (!own.named || o->by_name)
				tm_gw__discovery_name(ctx, defaults(ctx->scratch, p->value), o->n);
	}
	tm_hmap yields = TM_HMAP_INIT, local = TM_HMAP_INIT;
	override_files(ctx, cc, &yields);
	if (yields.count)
		local_settings(ctx, cc, &by, &local);
	served_settings(ctx, cc, &by, &yields, &remote);
	own_env(ctx, &env_set);
	/* pass 0: every file but a served application.yml; pass 1: those, once the calls to the
	 * server that make its clients are drawn */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && cc->served)
			find_clients(ctx, &by, cc);
		const char *file = NULL; /* a file's settings come in a row: its owners are found once */
		struct owners own = {NULL, false, false, 0, false, NULL};
		bool skip = false, yield = false;
		tm_gw_spring *gw = NULL; /* the file's gateway routes, if it has any */
		for (const struct pending *p = cc->head; p; p = p->next) {
			if (!file || strcmp(file, p->file) != 0) {
				tm_gw__spring_flush(ctx, &gw);
				file = p->file;
				own = file_owners(ctx, &by, &cc->served_dirs, file, p->at, pass == 1);
				skip = (pass == 0) == (own.every != NULL);
				yield = own.served && tm_hmap_get(&yields, file, strlen(file));
				if (skip)
					continue;
				if (own.every) {
					own.head = own.every->clients;
					own.named = true;
					if (!own.head)
						tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, p->at,
							    "%s is served by a config server to every client, and no "
							    "workload is seen to call the server: its addresses are drawn "
							    "for no one",
							    file);
				}
				if (test_file(file))
					own.head = NULL; /* a test's configuration: no call the application makes */
				if (own.ambiguous)
					tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, p->at,
						    "%s names addresses, and %s: which of them calls what is not in the "
						    "files, so none of these calls is drawn",
						    file, own.n > OWNERS_MAX ? "its directory names too many workloads"
									    : "several workloads run the image its directory "
									      "is named for");
			}
			if (skip || (p->fact && (strcmp(p->fact, FACT_SETTING_ONLY) == 0 || strcmp(p->fact, FACT_OVERRIDE) == 0)))
				continue;
			const char *value = defaults(ctx->scratch, p->value);
			bool named = p->env ? tm_ingest__address_name(p->setting, true) : named_setting(p->setting);
			bool spring = p->fact && strcmp(p->fact, TM_GW_SPRING_FACT) == 0;
			if (spring && !own.head && !test_file(file)) /* gateway.c looks for who runs it */
				tm_gw__spring_add(ctx, &gw, file, p->setting, value, p->at, NULL);
			if (spring && strcmp(p->setting, TM_GW_SPRING_DOC) == 0) {
				/* the file's next document: for every owner, whatever a config server serves it */
				for (const struct owner *o = own.head; o; o = o->next)
					tm_gw__spring_add(ctx, &gw, file, p->setting, value, p->at, o->n);
				continue;
			}
			for (const struct owner *o = own.head; o; o = o->next) {
				if (own.named && !o->by_name)
					continue;
				/* a setting the application's own served file holds is that file's */
				bool own_app = own.served && !own.every;
				size_t klen = 0;
				const char *k = own_app || !remote.count ? NULL
									 : setting_key(ctx->scratch, o->n, p->setting, &klen);
				if (k && tm_hmap_get(&remote, k, klen))
					continue;
				/* a served file that gives way (override-none): the application's own setting wins */
				char base[256];
				const char *lk = yield ? setting_key(ctx->scratch, o->n, setting_base(p->setting, base, sizeof(base)), &klen)
						       : NULL;
				if (lk && tm_hmap_get(&local, lk, klen))
					continue;
				/* the workload's own environment overrides its image's ENV */
				const char *ek = p->env ? setting_key(ctx->scratch, o->n, p->setting, &klen) : NULL;
				if (ek && tm_hmap_get(&env_set, ek, klen))
					continue;
				if (spring) {
					tm_gw__spring_add(ctx, &gw, file, p->setting, value, p->at, o->n);
					continue;
				}
				if (p->fact) { /* image_user (TM-CTR-002), base_images, console_env (TM-MESH-012),
						* actuator_exposed (TM-API-010) */
					tm_mb_node_fact(ctx->mb, o->n, p->fact, p->value, p->at);
					continue;
				}
				const char *w = tm_node_attr_str(o->n, "workload");
				const char *ns = tm_node_attr_str(o->n, "namespace");
				struct resolve r = {ctx, o->n, p, w && strcmp(w, "compose-service") == 0,
						    ns ? ns : "default", own.every != NULL};
				tm_ingest__address_each(value, named, resolve_one, &r);
			}
		}
		tm_gw__spring_flush(ctx, &gw);
	}
	if (cc->served)
		served_secrets(ctx, cc, &by);
	config_secrets(ctx, cc, &by);
	tm_hmap_dispose(&by);
	tm_hmap_dispose(&yields);
	tm_hmap_dispose(&local);
	tm_hmap_dispose(&remote);
	tm_hmap_dispose(&env_set);
	tm_ingest__config_calls_free(ctx);
}
