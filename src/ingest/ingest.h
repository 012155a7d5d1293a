/*
 * ingest/ingest.h - recognising documents and turning them into model facts (internal).
 *
 * TM_FORMATS is the one list of input formats: its name in reports, and the
 * ingester that models it (NULL: recognised, not modelled by this version).
 * Ingesters see each document once (doc) and link across documents at the end
 * (finish); they never know about rules.
 */
#ifndef TM_INGEST_H
#define TM_INGEST_H

#include "model/model.h"
#include "trustmap/doc.h"
#include "trustmap/scan.h"

typedef struct tm_ingest_ctx tm_ingest_ctx;

typedef struct {
	void *(*begin)(tm_ingest_ctx *ctx);
	/* One recognised document; detail is the detected kind or version.
	 * Returns true if the document became model facts (false: recognised, not modelled). */
	bool (*doc)(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
		    const char *detail);
	void (*finish)(tm_ingest_ctx *ctx, void *state);
	void (*end)(void *state); /* free the state */
} tm_ingester;

extern const tm_ingester tm_ingest__k8s;
extern const tm_ingester tm_ingest__openapi;
extern const tm_ingester tm_ingest__asyncapi;
extern const tm_ingester tm_ingest__istio;
extern const tm_ingester tm_ingest__gatewayapi;
extern const tm_ingester tm_ingest__overlay;
extern const tm_ingester tm_ingest__gha;
extern const tm_ingester tm_ingest__terraform;
extern const tm_ingester tm_ingest__otm;
extern const tm_ingester tm_ingest__runtime;
extern const tm_ingester tm_ingest__compose;
extern const tm_ingester tm_ingest__proto;
extern const tm_ingester tm_ingest__gateway;
extern const tm_ingester tm_ingest__appconfig;

/* X(ID, "report name", ingester or NULL). finish() runs in this order, so formats that
 * link to others (API specs to workloads, through the gateways and routes of Istio, the Gateway
 * API and proxies; a Swagger generated from a .proto to that proto's service) come after what they
 * link to. */
#define TM_FORMATS(X)                                                                              \
	X(UNKNOWN, "unknown", NULL)                                                                \
	X(KUBERNETES, "kubernetes", &tm_ingest__k8s)                                               \
	X(COMPOSE, "compose", &tm_ingest__compose)                                                 \
	X(ISTIO, "istio", &tm_ingest__istio)                                                                    \
	X(GATEWAY_API, "gateway-api", &tm_ingest__gatewayapi)                                                        \
	X(GATEWAY, "gateway-config", &tm_ingest__gateway)                                          \
	X(GRPC, "grpc", &tm_ingest__proto)                                                         \
	X(OPENAPI, "openapi", &tm_ingest__openapi)                                                 \
	X(ASYNCAPI, "asyncapi", &tm_ingest__asyncapi)                                              \
	X(GITHUB_WORKFLOW, "github-workflow", &tm_ingest__gha)                                                \
	X(GITHUB_ACTION, "github-action", &tm_ingest__gha)                                         \
	X(TERRAFORM_PLAN, "terraform-plan", &tm_ingest__terraform)                                                  \
	X(TERRAFORM_STATE, "terraform-state", &tm_ingest__terraform)                                                \
	X(TERRAFORM_CONFIG, "terraform-config", &tm_ingest__terraform)                             \
	X(OTM, "otm", &tm_ingest__otm)                                                             \
	X(RUNTIME_MAP, "runtime-map", &tm_ingest__runtime)                                         \
	X(APP_CONFIG, "app-config", &tm_ingest__appconfig)                                         \
	X(OVERLAY, "overlay", &tm_ingest__overlay)                                                                \
	X(CODEOWNERS, "codeowners", NULL)                                                          \
	X(KUSTOMIZE, "kustomize", NULL)                                                            \
	X(HELM, "helm", NULL)

#define TM_ENUM_FORMAT(id, name, ing) TM_FMT_##id,
typedef enum { TM_FORMATS(TM_ENUM_FORMAT) TM_FMT__COUNT } tm_format;

/* The end of reading: every begun ingester's finish, in the formats' order (each skipped once *stop
 * is set: memory ran out), then every one's end, so that a finish may read a reader before it
 * (ctx->kube) until all have finished. */
void tm_ingest__finish_all(tm_ingest_ctx *ctx, void *const state[TM_FMT__COUNT], const bool begun[TM_FMT__COUNT],
			   const int *stop);
const char *tm_format_name(tm_format f);
const tm_ingester *tm_format_ingester(tm_format f);

typedef struct {
	tm_format format;
	const char *detail;      /* "3.0.3", "Deployment", ... borrowed from the document */
	const char *unsupported; /* recognised but unusable: why (static text) */
} tm_detected;

/* Recognise one document by its content; basename decides only for the overlay, Terraform JSON and
 * applications' configuration files (appconfig.c), after their content is none of the others. */
void tm_detect(const tm_value *root, const char *basename, tm_detected *out);
/* A helmfile (a `releases` list whose items name a chart; a file named helmfile*, or every item
 * names one): the plan renders its releases of the tree's charts (gitops.c). */
bool tm_detect__helmfile(const tm_value *root, const char *basename);
/* Sniff the head of a file without a YAML/JSON extension: does it look like one of our inputs? */
bool tm_detect_sniff(const char *head, size_t len);
/* A Java .properties file named as an application's configuration (application[-PROFILE],
 * bootstrap, config, settings, secrets, credentials, database): its kind ("spring", "settings"),
 * or NULL. Its text goes to tm_ingest__properties_text. */
const char *tm_detect__properties(const char *basename);

typedef struct tm_refs tm_refs;
typedef struct tm_gw_set tm_gw_set;

struct tm_ingest_ctx {
	tm_model_builder *mb;
	tm_diag_list *diags;
	tm_refs *refs;
	tm_arena *scratch; /* ingesters' working memory, freed after the scan; a failed
			      allocation in it fails the scan (TM_ENOMEM) */
	tm_gw_set *gw;     /* gateway configurations (gateway.c), read by every ingester that finds
			      one (a file, a ConfigMap) and by the API linkers; NULL: none kept */
	tm_hmap balanced;  /* workloads a LoadBalancer or NodePort Service exposes, by node id (k8s.c):
			      the annotation that keeps the load balancer internal, or tm_ingest__public_lb;
			      read by istio.c for the ingress pods a Gateway selects */
	tm_hmap protos;    /* the .proto files read, by path and by each '/'-suffix of it (proto.c):
			      tm_proto_file *, or &tm_ingest__proto_ambiguous for a suffix two share */
	const char *implicit_ns; /* the namespace of an object that names none: the one Namespace the
				    system's files declare, when every object naming one names it
				    (scan.c's dedupe_plan); NULL: "default", as kubectl would place it */
	struct tm_k8s *kube; /* the Kubernetes reader's objects from its finish until every reader has
			       finished (NULL: none read): the Kong plugins and Traefik middlewares a
			       Gateway API route names (tm_ingest__kong_plugins, tm_ingest__traefik_middleware) */
	struct tm_config_calls *config_calls; /* addresses in applications' configuration files, kept
						  until the platform readers have finished (calls.c); NULL: none */
	bool compose_config; /* the file being read is a compose project's (scan.c: its plan unit is one):
			      * Dapr components it bind-mounts are its configuration, no cluster's objects */
	tm_hmap unread; /* YAML and JSON files no reader recognised, by path (scan.c), to their tm_file:
			 * one a workload bind-mounts and names on its command line is read as its own
			 * configuration (tm_ingest__mounted_configs), then its value is NULL */
	const tm_file **read_late; /* the files read so, for the inputs (scan.c) */
	size_t nread_late, cap_read_late;
	struct tm_iot_set *iot; /* Mosquitto, Node-RED and Zigbee2MQTT files and brokers kept until every
				 * platform reader has finished (iot.c); NULL: none */
	const char *implicit_ns_why; /* why implicit_ns, when not the one Namespace the files declare
				       (trustmap.yaml's system, RBAC subjects: k8s_place.h), in words */
	struct tm_mount_set *mounts; /* compose bind mounts and the container paths each service reads
				      * (mounts.c); NULL: none */
	const tm_file **unread_files; /* the same files in the order the scan read them (the walk's) */
	size_t nunread_files, cap_unread_files;
	const char *const *tree; /* the display path of every candidate file of the walk (scan.c): what
				  * an absolute host path of a compose bind mount may stand for (mounts.c) */
	size_t ntree;
	bool gateway_offered; /* the file being read is a gateway's this system is only offered
			       * (tm_plan_offered): kept where a workload of the system runs it */
};

/* A .proto the scan read: the node its first service was modelled on once proto.c's finish has run
 * (NULL: it defines no service, or none of its services is modelled). */
typedef struct {
	const char *path;
	tm_node *node;
} tm_proto_file;
extern const tm_proto_file tm_ingest__proto_ambiguous;
/* The .proto a Swagger generated from it names by its info.title (a path relative to some import
 * root: "v1/catalog.proto"): the one beside the spec (same directory), else the one file whose path
 * ends with the title. NULL: none read, or several fit. */
const tm_proto_file *tm_ingest__proto_named(const tm_ingest_ctx *ctx, const char *spec_path, const char *title);

/*
 * refs.c - $ref resolution across the files of one scan.
 *
 * Files are registered by display path (and the path to open them); a $ref
 * names a file relative to the referring one and a JSON pointer inside it.
 * Files already parsed by the scan are found without reading them again;
 * others inside a scanned root are parsed once, on first reference, and kept.
 * Remote refs are reported, never fetched; refs leaving every root are refused.
 */
tm_refs *tm_refs_new(tm_arena *arena, const tm_limits *limits, tm_diag_list *diags);
void tm_refs_free(tm_refs *r);
/* A root the scan walks (a directory, or a file's directory). */
int tm_refs_add_root(tm_refs *r, const char *real_dir);
/* A parsed file (not owned) with the path to open it. */
int tm_refs_add_file(tm_refs *r, const tm_file *f, const char *fs_path);

typedef struct {
	const tm_file *file;  /* where the target lives */
	const tm_value *value;
} tm_ref_target;

/*
 * If v is a mapping with a string "$ref", follow it (and any chain of $refs at
 * the target) and return 1 with *out set; return 0 if v is not a reference; a
 * negative TM_E* code if the reference cannot be followed (diagnosed once per
 * referring location: remote, outside the roots, missing file or pointer, cycle).
 */
int tm_refs_follow(tm_refs *r, const tm_file *from, const tm_value *v, tm_ref_target *out);
/* v itself if it is no reference, else its target (NULL if unresolvable); *file updated. */
const tm_value *tm_refs_deref(tm_refs *r, const tm_file **file, const tm_value *v);
/* How many $ref targets were looked for on the disk, outside the files the scan holds: reads the
 * plan of the scan does not know of (tm_scan_outside_reads). */
size_t tm_refs_disk_lookups(const tm_refs *r);
/* Files pulled in by references: fn(ud, file, the first file that referenced it), once each,
 * in registration order (first the scanned files in path order, then those loaded on reference). */
void tm_refs_each_referenced(tm_refs *r, void (*fn)(void *ud, const tm_file *f, const tm_file *by),
			     void *ud);

/*
 * classify.c - the one place that decides what a field or parameter name means.
 * Names are compared case-insensitively with '_', '-' and '.' ignored, so
 * is_admin, isAdmin and IS-ADMIN are one name. Tables and reasons: docs/classification.md.
 */
enum {
	TM_CLASS_PRIVILEGED = 1 << 0,   /* writable, it would change rights, money or state */
	TM_CLASS_SENSITIVE = 1 << 1,    /* in a response, it discloses secrets or personal data */
	TM_CLASS_URL = 1 << 2,          /* its value is a URL the server may fetch (SSRF) */
	TM_CLASS_OBJECT_ID = 1 << 3,    /* it names an object (ownership checks matter) */
	TM_CLASS_IDENTITY_HEADER = 1 << 4, /* a header that claims who the caller is */
	TM_CLASS_PAGINATION = 1 << 5,   /* it bounds how much a read returns */
	TM_CLASS_IDEMPOTENCY = 1 << 6,  /* a key that makes a state change safe to replay */
	TM_CLASS_QUANTITY = 1 << 7,     /* a count or amount where negative values are abuse */
	TM_CLASS_CREDENTIAL = 1 << 8,   /* a value written beside it is a credential */
	TM_CLASS_REPEAT = 1 << 9,       /* a count that makes the server repeat or size work (retries, repeats) */
};
unsigned tm_classify_name(const char *name);
/* Why a value written where a secret goes is no secret: "empty", "placeholder" (changeme, <...>,
 * xxxx), "templated" (${...}, $(...), {{ ... }}, printf verbs %s %v %(...)), "encrypted" (SOPS
 * ENC[...]), "generated" (what randAlphaNum renders here, 123456); NULL when it is a real value
 * (k8s_secrets.c). */
const char *tm_ingest__not_a_value(const char *v, size_t len);
/* The password value carries whatever its key, and its length in *len: a URL's
 * (scheme://user:PASSWORD@host), a connection string's (Password=...; or Pwd=...;), a Go SQL DSN's
 * (user:PASSWORD@tcp(host)/db, @unix(...), @(...)). NULL: it carries none (k8s_secrets.c). */
const char *tm_ingest__carried_password(const char *value, size_t *len);
/* Is value, set under name, a key made for browsers rather than a secret (appconfig.c)? Mapbox's
 * public token (pk.eyJ...); a setting a web framework builds
 * into the bundle every browser downloads (NEXT_PUBLIC_, VITE_, REACT_APP_, NUXT_PUBLIC_,
 * EXPO_PUBLIC_, GATSBY_, PUBLIC_) or whose name says public or publishable; a URL a browser fetches
 * for a map (its style, tiles, sprites, glyphs: Element's map_style_url ...?key=) with its key in
 * the query. Never a name that also says secret, password, private, signing, encryption, master,
 * admin or service role. */
bool tm_ingest__public_client_key(const char *name, const char *value);
/* A command line's word that passes a credential literally: a flag naming one (--requirepass,
 * --masterauth, --password, --token, --api-key...) with its value after '=' or as the next word
 * (next: the following word, or NULL), the value real (not a placeholder, not $(VAR) or ${VAR}).
 * The flag as written (up to '='), in buf; NULL when word is no such flag. */
const char *tm_ingest__credential_flag(const char *word, const char *next, char *buf, size_t size);
/* The same for a command-line item that may hold a whole shell line (`sh -c "... --requirepass x"`):
 * the item as one word, else each of its space-separated words with the word after it. */
const char *tm_ingest__credential_in(const char *item, const char *next, char *buf, size_t size);
/* The credentials written in a configuration file's document root (appconfig.c): each a located
 * `config_credentials` fact, by key path, on the node "secret:config:<path>" (made at the first one),
 * whose `config_kind` is kind ("appsettings", "spring", "settings"; a gateway's "kong", "envoy"). */
void tm_ingest__config_credentials(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, const char *kind);
/* A Java .properties file (text, len bytes, as java.util.Properties reads it: `key=value`,
 * `key: value` or `key value`, comments, continuation lines, escapes; ISO-8859-1 when it is not
 * UTF-8), each property judged as a configuration file's scalar, by its key's last dotted part.
 * False when it cannot be read as one (a NUL byte). */
bool tm_ingest__properties_text(tm_ingest_ctx *ctx, const char *path, const char *kind, const char *text, size_t len);
/* Text as UTF-8: itself, or (not UTF-8) read as ISO-8859-1 into sb (NULL when memory ran out): the
 * encoding Properties files have, and a Dockerfile's Latin-1 comment. */
const char *tm_ingest__as_utf8(tm_strbuf *sb, const char *text, size_t *len);
/* The same for a text held in another file (a ConfigMap's value): path names it ("<file>#<key>"),
 * and its lines are in_path's from first_line on, one per line (per_line: a block scalar), or all
 * first_line (a quoted value); first_line 0: its own. */
bool tm_ingest__properties_at(tm_ingest_ctx *ctx, const char *path, const char *kind, const char *text, size_t len,
			      const char *in_path, uint32_t first_line, bool per_line);
/* value with the passwords it carries masked, for the model and every report: URL userinfo
 * ("postgres://app:***@db"), a Go DSN ("app:***@tcp(db:3306)/app"), Password=/Pwd= items of a
 * connection string. value itself when it carries none, else a copy in a (k8s_secrets.c). */
const char *tm_ingest__masked(tm_arena *a, const char *value);

/* Is a file name a compose .env's example (.env.example, .env.sample, env.example...)? Read as a
 * .env where its directory has none (scan.c). */
bool tm_ingest__dotenv_example(const char *name);

/* calls.c - addresses written in configuration. One token of a value:
 * [key=][scheme://][user[:pass]@]host[:port][/...], a Go DSN's user:pass@tcp(host:port)/db. */
typedef struct {
	char buf[512];
	const char *host; /* in buf: a name to resolve (no IP address, no localhost) */
	const char *port; /* in buf, or NULL */
} tm_address;
/* Does a variable's name say it holds an address (*_HOST, *_URL, *_ADDR; .NET's
 * ConnectionStrings__*; with bare, one of those words alone: HOST, URL)? Bare words only where a
 * name that resolves to nothing is no call (compose): in Kubernetes it would make a node. */
bool tm_ingest__address_name(const char *name, bool bare);
/* The host tok[0..len) names: true when it names one. A bare word counts only when named (the
 * setting's name says it is an address); a scheme, a port or a Server=/Host= key say it themselves. */
bool tm_ingest__address_token(const char *tok, size_t len, bool named, tm_address *out);
/* Why a URL is documentation's template of one rather than an address ("postgres://username:
 * password@hostname:port/dbname"): a word where the port goes, a placeholder word for the host
 * (hostname, your-db-host), a placeholder in angle brackets, or placeholder words for two of user,
 * password and database; NULL for any other value. It names no peer and carries no credential. */
const char *tm_ingest__template_address(const char *v);
/* What makes two written credentials the same one, digested (a URL's host, user and password; any
 * other value whole): kept in memory to compare, never written to the model. */
uint64_t tm_ingest__credential_digest(const char *value);
/* signing.c - What a value an example file fills in hands whoever reads the repository, when it
 * signs or is a token: "signs JSON Web Tokens", "a JSON Web Token of role service_role, issuer
 * supabase-demo" (in a); NULL for any other value, a template, a reference, or a token of an
 * anonymous role. name is the variable the service reads, var the example's own (or NULL). */
const char *tm_ingest__signing_value(tm_arena *a, const char *name, const char *var, const char *value);
/* What a signing or encryption secret under name does ("signs sessions, cookies or tokens"), when
 * value, written in a file a deployed service takes, is a placeholder everyone knows
 * (tm_stores__known_password: changeme, tobemodified) that is no literal credential (a weak password,
 * secret, is TM-SEC-001's); NULL for any other name or value, angle brackets and runs of x's. */
const char *tm_ingest__signing_known(const char *name, const char *value);
/* fn for each address of a value, split at ',', ';' and ' ' ("Server=db,1433" keeps its port). A
 * template ({{ }}) names none. */
void tm_ingest__address_each(const char *value, bool named, void (*fn)(void *ud, const tm_address *a), void *ud);
/* An address-like value of an application's configuration file (file, its key path setting, the
 * value and its place), kept until tm_ingest__config_calls. */
void tm_ingest__config_address(tm_ingest_ctx *ctx, const char *file, const char *setting, const char *value,
			       tm_loc at);
/* The calls those values make: from the workloads the file's directory names to the Services and
 * compose services the values name (tm_ingest__finish_all: after the platform readers' finish,
 * before the runtime map's, which compares observed calls with declared ones). */
void tm_ingest__config_calls(tm_ingest_ctx *ctx);
/* Drop what was collected without resolving it (a scan stopped early); tm_ingest__config_calls does
 * it itself. */
void tm_ingest__config_calls_free(tm_ingest_ctx *ctx);
/* The same for a variable of an image's environment (a Dockerfile's ENV): its name is judged as an
 * environment variable's, and a call it makes carries it as `env` (a gateway's "${NAME}" upstream
 * is resolved through it). */
void tm_ingest__config_env(tm_ingest_ctx *ctx, const char *file, const char *name, const char *value, tm_loc at);
/* A credential written in an application's own configuration file or image (file, its node
 * "secret:config:<file>", its key path, the value, its place): the node is linked to the workloads
 * the file is (a mounts edge, used_by) when the calls are resolved, and the same credential written
 * in several files is said on each (same_credential). Only a digest of the value is kept. */
void tm_ingest__config_secret(tm_ingest_ctx *ctx, const char *file, tm_node *node, const char *key, const char *value,
			      tm_loc at);
/* The user an image's processes run as (a Dockerfile's last USER): `image_user` on the workloads
 * the file's directory names, read by TM-CTR-002. */
void tm_ingest__config_user(tm_ingest_ctx *ctx, const char *file, const char *user, tm_loc at);
/* Does an image reference float: no digest, and no tag or a tag its registry moves (latest,
 * nightly, edge, main, stable, *-SNAPSHOT...)? */
bool tm_ingest__image_floats(const char *image);
/* An image Terraform's evaluation could not decide ("unknown (TEXT)", tf_config.c): true, with the
 * tag written after TEXT's last placeholder ("${aws_ecr_repository.app.repository_url}:latest"),
 * as "image:TAG" into buf, or "" when none is. */
bool tm_ingest__tf_unknown_image(const char *image, char *buf, size_t size);
/* The image a Dockerfile's final stage is built FROM (through its named stages): `base_images` on
 * the workloads the file's directory names. */
void tm_ingest__config_base_image(tm_ingest_ctx *ctx, const char *file, const char *image, tm_loc at);
/* A credential written in a configuration file (key: its key path, at: the value's place) as a fact
 * on the file's node "secret:config:<path>", made at the first (node NULL) and returned. */
/*
 * mounts.c - which file of the scan a container reads, one rule for every reader: a service reads a
 * host file it bind-mounts itself, or one a directory mount puts at a container path its program
 * reads (named on its command line, or its image's default); a file one service mounts itself is
 * not also read through another's directory mount.
 */
typedef struct tm_mount_set tm_mount_set;
/* A bind mount of workload w: host (the scan's path of its source, normalised; "" for the project's
 * own directory) at container path target (a ":ro" mode ignored). */
void tm_ingest__mount_add(tm_ingest_ctx *ctx, tm_node *w, const char *host, const char *target, tm_loc at);
/* A container path w's program reads, path[0..len) (a file, or every file under a directory); why
 * says how it is known ("its command line"), a static string. Paths with a '$' are not kept. */
void tm_ingest__mount_read(tm_ingest_ctx *ctx, tm_node *w, const char *path, size_t len, const char *why, tm_loc at);
/* The container paths the product an image runs reads unasked (nginx's /etc/nginx/nginx.conf and
 * conf.d), NULL-terminated (static); NULL for an image of no product known. */
const char *const *tm_ingest__image_paths(const char *image);
/* The host path of what w sees at container path path[0..len) through its bind mounts (the
 * deepest mount holding it), into buf, *at the mount's place; NULL when no mount holds it. */
const char *tm_ingest__mount_resolve(const tm_ingest_ctx *ctx, const tm_node *w, const char *path, size_t len,
				     char *buf, size_t cap, tm_loc *at);
/* Why w reads container path path[0..len) (tm_ingest__mount_read's why), or NULL. */
const char *tm_ingest__mount_read_why(const tm_ingest_ctx *ctx, const tm_node *w, const char *path, size_t len);
typedef struct {
	tm_node *w;
	tm_loc at;          /* the mount */
	const char *cpath;  /* where the file is in the container (borrowed for the call) */
	const char *why;    /* why w reads cpath ("its command line"), or "it mounts the file itself" */
	bool direct;        /* the file is mounted itself, not a directory above it */
	const char *below;  /* not direct: the file's path below the directory mounted (holders only) */
} tm_mount_reader;
/* fn for each workload that reads host file host through a bind mount: those mounting the file
 * itself when any does; else those mounting a directory above it at a place their program reads
 * (tm_ingest__mount_read), or product's default paths read ("nginx": a configuration of that type,
 * whatever the image; NULL: none); else, product given (a gateway's file), those mounting such a
 * directory whose image is of no product mounts.c knows (a custom image). Returns how many. */
size_t tm_ingest__mount_readers(const tm_ingest_ctx *ctx, const char *host, const char *product,
				void (*fn)(void *ud, const tm_mount_reader *r), void *ud);
/* fn for each workload that holds host file host through a bind mount, whatever its program reads:
 * those mounting the file itself when any does; else those mounting the deepest directory above it
 * that any service mounts, at a place for configuration (under /etc, a part naming conf, config or
 * settings) or where the file lands on a path the program reads; never the project's own directory
 * nor a service's build context (its source, mounted for development). Returns how many. */
size_t tm_ingest__mount_holders(const tm_ingest_ctx *ctx, const char *host,
				void (*fn)(void *ud, const tm_mount_reader *r), void *ud);
/* What an absolute or home host path of a bind mount (/data/nginx_data/conf.d/element.conf,
 * ~/matrix/synapse) stands for in the scan, for a project checked out somewhere the files do not
 * say: the file or directory of ctx->tree whose last parts agree with the most of its last parts
 * (two at least, or one that sits in dir, the compose file's directory). Only a data directory of
 * the host's own (tm_escape_data_dir) may stand for one: /etc/nginx/nginx.conf is the host's.
 * Returns the path (out->path), NULL when none or several fit (out->ncands, out->cands: the first
 * of them). Its index is built at the first call: linear in the walk's paths. */
typedef struct {
	const char *path; /* the one that fits, or NULL */
	size_t parts;     /* how many of the last parts agree */
	size_t ncands;    /* how many fit as well */
	const char *cands[4];
} tm_mount_tail;
const char *tm_ingest__mount_tail(tm_ingest_ctx *ctx, const char *host, const char *dir, tm_mount_tail *out);
/* The maps' memory (the set itself is in the scratch arena); ctx->mounts is NULL after. */
void tm_ingest__mounts_free(tm_ingest_ctx *ctx);

/* The files of ctx->unread that a workload names as its configuration (a `config_files` fact: a bind
 * mount whose target its command line names, compose.c), read as applications' configuration files
 * (appconfig.c), each once; run before the calls of configuration files are resolved. */
void tm_ingest__mounted_configs(tm_ingest_ctx *ctx);
tm_node *tm_ingest__config_credential(tm_ingest_ctx *ctx, tm_node *node, const char *path, const char *kind,
				      const char *key, tm_loc at);
/* dockerfile.c: is a file name a Dockerfile's (Dockerfile, Dockerfile.<x>, <x>.Dockerfile)? Its
 * text goes to tm_ingest__dockerfile_text (false: not text). */
bool tm_ingest__is_dockerfile_name(const char *name);
bool tm_ingest__dockerfile_text(tm_ingest_ctx *ctx, const char *path, const char *text, size_t len);
/* For the tests: the same answer by checking every entry of the table (what the index in front of
 * it must agree with), and the table's i-th word (NULL past the end). */
unsigned tm_classify__linear(const char *name);
const char *tm_classify__word(size_t i);
/* A field's format ("uri", "url") says it is a URL whatever its name. */
unsigned tm_classify_format(const char *format);
/* So does an example or default value that is an absolute http(s) URL. */
unsigned tm_classify_example(const char *example);

/* stores.c - data stores and brokers known by image or port (docs/inputs.md, "Data stores").
 * An ingester fills a probe while it reads one workload, then finish() adds the store node beside
 * the workload (NULL: the workload runs no store it knows). Strings fed in must live until finish(). */
typedef struct {
	tm_ingest_ctx *ctx;
	tm_node *workload;
	const void *def;     /* the matched table entry */
	bool by_image;       /* the image named it (else a port did) */
	bool own_build;      /* ... as a project's own build of the store (robot-shop-rs-mongodb) */
	bool secret_env;     /* a variable of its environment comes from a Secret */
	const char *what;    /* the image or port that matched */
	const char *image;   /* the last image seen, matched or not */
	tm_loc loc;          /* its line: the store's evidence */
	struct {
		int which;   /* 'e' env "NAME=value" ('\x1f' value: set from outside), 'c' credential, 'd' database name,
			      * 'a' argument, 'm' a mount's path in the container */
		const char *text;
		tm_loc loc;
	} env[48];
	size_t n;
	size_t nargs; /* 'a' entries: at most half of env, so a long command line leaves the environment room */
	const char *cur_image; /* the image of the container whose command line is being read */
	bool cmd_seen;         /* its command's program read (tm_stores__arg) */
	bool client;           /* the store's own container runs a client (psql, redis-cli): no store */
	bool env_from;         /* a whole ConfigMap or Secret is its environment: any setting may be in it */
	bool by_word;          /* the image named it by one word of several (tb-postgres) */
	bool port_seen;        /* the workload declares or publishes a port */
	bool store_port;       /* ... the store's own (its number or name in the table) */
	const char *dind;      /* the Docker-in-Docker image of a container (docker_api.c), its line, and */
	tm_loc dind_at;        /* its entries: env[dind_from, dind_to or n) */
	size_t dind_from, dind_to;
} tm_store_probe;
void tm_stores__probe_init(tm_store_probe *p, tm_ingest_ctx *ctx, tm_node *workload);
void tm_stores__image(tm_store_probe *p, const char *image, tm_loc loc);
/* A port number (string) and/or its name; either may be NULL. */
void tm_stores__port(tm_store_probe *p, const char *port, const char *name, tm_loc loc);
/* value NULL: set from outside (secret or shell); secret: the Secret it comes from, or NULL */
void tm_stores__env(tm_store_probe *p, const char *name, const char *value, const char *secret, tm_loc loc);
/* The same for a value an example file fills in (.env.example: loc is its line), said as such. */
void tm_stores__env_example(tm_store_probe *p, const char *name, const char *value, tm_loc loc);
void tm_stores__arg(tm_store_probe *p, const char *arg, tm_loc loc);
/* A path the container mounts something at (its configuration directory may set its users). */
void tm_stores__mount(tm_store_probe *p, const char *target, tm_loc loc);
/* The container takes a whole ConfigMap or Secret as its environment (envFrom). */
void tm_stores__env_from(tm_store_probe *p);
tm_node *tm_stores__finish(tm_store_probe *p);
/* A password everyone knows (changeme, admin, guest...), or a placeholder left as written that
 * TM-SEC-003 does not take for a credential (changePassword, SuperSecretKeyChangeThis): one list. */
bool tm_stores__known_password(const char *v);
/* The console_env item of a console's setting (tm_console_env_item), a password set to one
 * tm_stores__known_password knows kept as "KEY=~known" (tm_console_env_item_known). */
const char *tm_ingest__console_item(tm_arena *a, const char *key, const char *value);
/* docker_api.c - the Docker Engine API served over TCP without --tlsverify, read from a finished
 * probe: `docker_api_listen` and `docker_api_plaintext` facts on its workload (TM-MESH-008). */
bool tm_ingest__dind_image(const char *image);
void tm_ingest__docker_api(tm_store_probe *p);
/* The store an operator runs for a custom resource (k8s_operated.c): product's node beside w, the
 * workload standing for the operator's pods, classified by w's name or the first of dbs (NULL-ended,
 * may be NULL) that says what it holds; how it authenticates is the caller's to say. NULL when
 * product is no store of the table. */
tm_node *tm_stores__operated(tm_ingest_ctx *ctx, tm_node *w, const char *product, tm_loc loc,
			     const char *inferred_from, const char *const *dbs);
/* Stores no name classified, given the data their callers' names say (stores.c): once every call
 * is drawn, before the overlay's assets. */
void tm_stores__classify_by_callers(tm_ingest_ctx *ctx);
/* queues.c: the task worker a command line starts ("celery worker", "n8n worker", "sidekiq"...), a
 * static string, or NULL. items[0..n): its items in order (an entrypoint's or a container's command,
 * then the command or args from first_cmd on), a `sh -c` string split into its words; image names
 * the product that `worker` alone is handed to. *at_item: the item that decided. */
const char *tm_ingest__task_worker(const char *const *items, size_t n, size_t first_cmd, const char *image,
				   size_t *at_item);
/* The hop from each task worker's broker to it (a subscribes edge, the broker's delivers_to): once
 * every call is drawn (queues.c). */
void tm_ingest__task_queues(tm_ingest_ctx *ctx);
/* The product an image reference names ("redis" for "docker.io/bitnami/redis:7"), or NULL. */
const char *tm_stores__product(const char *image);
/* Does the compose workload w publish container port [port, +n) on an address beyond loopback? */
bool tm_stores__port_published(const tm_node *w, const char *port, size_t n);

/* iot.c - Mosquitto's configuration, Node-RED's settings.js, Zigbee2MQTT's configuration.yaml,
 * kept as read and linked to who reads them once the platform readers have finished. */
/* Is text a Mosquitto configuration (a directive only Mosquitto has, at a line's start)? */
bool tm_ingest__mosquitto_sniff(const char *text, size_t len);
/* Is text (NUL-terminated) Node-RED's settings.js (module.exports and one of its settings)? */
bool tm_ingest__nodered_sniff(const char *text, size_t len);
/* A Mosquitto configuration (path: its name in notes; at_path, lines from base + 1 and columns
 * shifted by col_offset: where its evidence is, NULL for path itself), mounted by hosts (a
 * ConfigMap's mounters; none for a file). */
void tm_ingest__mosquitto_text(tm_ingest_ctx *ctx, const char *path, const char *at_path, const char *text,
			       size_t len, uint32_t base, uint32_t col_offset, tm_node *const *hosts, size_t nhosts);
/* Node-RED's settings.js, the same way. */
void tm_ingest__nodered_text(tm_ingest_ctx *ctx, const char *path, const char *at_path, const char *text, size_t len,
			     uint32_t base, uint32_t col_offset, tm_node *const *hosts, size_t nhosts);
/* A ConfigMap's value (key: its file name) that hosts mount: kept when it is one of the above. */
void tm_ingest__iot_embedded(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *key, const tm_value *value,
			     tm_node *const *hosts, size_t nhosts);
/* A Mosquitto store the probe p made (stores.c): judged by tm_ingest__iot_finish. */
void tm_ingest__mosquitto_store(tm_store_probe *p, tm_node *store);
/* Every file kept linked to its readers: Mosquitto stores judged, Node-RED and Zigbee2MQTT
 * consoles given the console_env items their files decide. Once every platform reader has
 * finished, before the stores are classified by their callers. */
void tm_ingest__iot_finish(tm_ingest_ctx *ctx);

/* schema.c - JSON Schema facts shared by the API ingesters. */
#define TM_SCHEMA_MAX_DEPTH 64
enum { TM_WALK_REQUEST = 1, TM_WALK_RESPONSE = 2 };

/* What walking one schema found: (list attribute, value) pairs, e.g. ("sensitive_response", "ssn"). */
typedef struct {
	const char *key;
	const char *text;
} tm_fact;

typedef struct {
	tm_fact *items;
	size_t n;
} tm_facts;

typedef struct {
	tm_refs *refs;
	tm_arena *arena;                 /* facts live here */
	tm_hmap cache[2];                /* schema address -> tm_facts*, per mode */
	const tm_value *stack[TM_SCHEMA_MAX_DEPTH + 2];
	int depth;
	size_t cuts;                     /* walks stopped by a cycle or the depth limit */
} tm_schema_walker;

void tm_schema_walker_init(tm_schema_walker *w, tm_refs *refs, tm_arena *arena);
void tm_schema_walker_dispose(tm_schema_walker *w);
/*
 * The facts of schema (a $ref is followed) in mode TM_WALK_REQUEST (writable
 * fields: privileged_writable, url_inputs, unbounded_numbers) or TM_WALK_RESPONSE
 * (readable fields: sensitive_response). Never NULL; owned by the walker's arena.
 */
const tm_facts *tm_schema_facts(tm_schema_walker *w, const tm_file *f, const tm_value *schema, int mode);
/* A schema's type; for 3.1's type lists the first non-null one. */
const char *tm_schema_type(const tm_value *schema);
bool tm_schema_numeric(const char *type);

/* apilink.c - the workload a spec describes (NULL: none), with the reason in *how; *by_place (may
 * be NULL) is TM_LINK_PLACE when only where the spec sits decided (a directory's name, the
 * directory tree), which a gateway routing the spec's paths overrides, operation by operation, and
 * TM_LINK_NAME when only its title or a localhost port did: then a gateway routing the spec's paths
 * decides every operation, one it routes nowhere staying unlinked. The index is
 * built once over the model before a batch of specs is linked (NULL when memory ran out: the
 * scan's arena check reports it). */
typedef struct tm_link_index tm_link_index;
tm_link_index *tm_ingest__link_index(tm_ingest_ctx *ctx);
void tm_ingest__link_index_free(tm_link_index *ix);
tm_node *tm_ingest__link_api(tm_ingest_ctx *ctx, const tm_link_index *ix, tm_arena *arena, const tm_file *file,
			     const tm_value *root, bool by_servers, const char **how, int *by_place);
enum { TM_LINK_FIRM, TM_LINK_PLACE, TM_LINK_NAME };

/* The workload a trustmap hint names ("ns/name", or a Service name or host), NULL if none. */
tm_node *tm_ingest__link_hint(tm_ingest_ctx *ctx, const tm_link_index *ix, tm_arena *arena, const char *hint);
/* The one workload answering to name (its own or one of its Services'), compared lowercase with '-', '_'
 * and '.' dropped (CartService, cart-service, cartservice); NULL when none or several do. */
tm_node *tm_ingest__link_name(const tm_link_index *ix, const char *name);
/* The same, also with "service" dropped or added and a plural's 's' dropped or added (CartService:
 * cart; Catalog: catalog-service; a directory cart/ for the workload carts). */
tm_node *tm_ingest__link_named(const tm_link_index *ix, tm_arena *a, const char *name);
/* The workload the nearest directory of path names (tm_ingest__link_named), with that directory's
 * name in *comp; NULL when none does. */
tm_node *tm_ingest__link_dir(const tm_link_index *ix, tm_arena *a, const char *path, const char **comp);
/* The one compose workload whose image is built from the nearest directory holding path (its
 * build context); NULL when none is, or several are built from that directory. */
tm_node *tm_ingest__link_context(const tm_link_index *ix, const char *path);
/* After every other rule: an api/ (apis/) directory of path names the workload called exactly that
 * (src/api/proto/v1/orders.proto of the workload api: a system's front service), nearest first. */
tm_node *tm_ingest__link_api_dir(const tm_link_index *ix, tm_arena *a, const char *path, const char **comp);
/* The workload a host name reaches from a caller in namespace (or compose project) scope_ns (NULL:
 * anywhere): "svc.ns[.svc.cluster.local]", else a Service or compose service name, the caller's
 * own namespace first; NULL when none or several answer. */
tm_node *tm_ingest__link_host(const tm_link_index *ix, const char *host, const char *scope_ns);
/* The workload a Dapr app-id names ("<app-id>" seen from namespace or compose project scope_ns, or
 * "<app-id>.<namespace>"), by the dapr_app_id its sidecar gives it; NULL when none or several. *known:
 * whether the scan gives any workload an app-id (when none does, a name is all there is to go by). */
tm_node *tm_ingest__link_dapr(const tm_link_index *ix, const char *app, const char *scope_ns, bool *known);
/* The namespace (or compose project) shared by the workloads whose manifests sit nearest above path;
 * NULL when none or several. */
const char *tm_ingest__link_scope(const tm_link_index *ix, const char *path);
/* Does a workload's manifest sit in or below dir? */
bool tm_ingest__link_dir_has(const tm_link_index *ix, const char *dir);
/* Is n the one workload whose files lie in or under dir? */
bool tm_ingest__link_dir_only(const tm_link_index *ix, const char *dir, const tm_node *n);
/* The single workload whose manifest shares the nearest directory with path, or NULL. */
tm_node *tm_ingest__link_tree(const tm_link_index *ix, const char *path);
/* The compose service publishing host port port ("8888"); NULL when none does, or several. */
tm_node *tm_ingest__link_host_port(const tm_link_index *ix, const char *port);
/* The workloads title names (an API's info.title): a workload's or Service's name, or the name of
 * an image it runs, compared without case and separators, a trailing "api" dropped; a role's word
 * ("API", "REST API") names nothing. Up to max of them into out, in the model's order, a compose
 * variant's twin left out where its base is there; returns how many (more than max: at least). */
size_t tm_ingest__link_titled(const tm_link_index *ix, const char *title, tm_node **out, size_t max);

/* openapi.c - shared by the API ingesters (OpenAPI, gRPC). Who an entry point routes to, directly
 * or through a gateway (0 or TM_ENOMEM); an API's preliminary exposure from that ("internet",
 * "cluster", or an unlinked service's assumption); an unlinked API's own service
 * ("service:api/<slug of title>", or of path when that is taken), marked unlinked, NULL when memory ran out. */
int tm_ingest__routed_from_outside(tm_model_builder *mb, tm_pset *out);
const char *tm_ingest__api_exposure(const tm_pset *routed, const tm_node *svc);
tm_node *tm_ingest__unlinked_api(tm_ingest_ctx *ctx, tm_arena *a, const char *title, const char *path, tm_loc loc);

/* proto.c - gRPC service definitions in .proto text (proto2, proto3), read whole by the scan. Each
 * file's services, rpcs and messages are kept (state: the GRPC ingester's); finish() links each
 * service to its workload and makes one endpoint per rpc. A malformed file is a positioned error
 * diagnostic; what was complete before it is kept. */
void tm_ingest__proto_text(tm_ingest_ctx *ctx, void *state, const char *display, const char *text, size_t len);

/* terraform.c: Terraform configuration (HCL text of a .tf or .tfvars file) into state, a
 * TERRAFORM_CONFIG state of the terraform ingester; its syntax errors go to ctx->diags. False when
 * nothing of it could be used (the whole file refused). Each module directory is evaluated when the
 * ingester finishes. */
bool tm_ingest__terraform_text(tm_ingest_ctx *ctx, void *state, const char *display, const char *text, size_t len);
/* Is a file of this name Terraform configuration in HCL syntax (.tf, .tfvars)? */
bool tm_ingest__is_hcl_name(const char *name);

/*
 * gateway.c - reverse proxies and API gateways (nginx, Envoy, Kong, Ocelot, Traefik) as entry points,
 * routers and enforcement points. The format readers (gw_nginx.c, gw_envoy.c, gw_kong.c, gw_traefik.c) turn one
 * configuration into routes; gateway.c finds who runs it (a workload mounting the ConfigMap that
 * holds it, a compose service bind-mounting the file; else it stands alone, assumed internet-facing),
 * resolves each route's upstream to a workload, and makes the model's gateway node and routes edges.
 * One configuration read twice (a file and the ConfigMap generated from it) is one gateway.
 */
/* TM_GW_TCP: a connection-level route (an Envoy tcp_proxy or redis_proxy): every connection is
 * forwarded, there is no HTTP path to match. Its path is "", its edge says `protocols: tcp` and
 * carries no `paths`, and the API linkers' lookups (tm_gw_route_for, tm_gw_route_to) never
 * return it. */
typedef enum { TM_GW_PREFIX, TM_GW_EXACT, TM_GW_REGEX, TM_GW_TCP } tm_gw_match;

typedef struct tm_gw_route {
	const char *path;         /* as written: a prefix, an exact path or a regular expression */
	tm_gw_match match;
	const char *upstream;     /* the host it forwards to (a name, an address, ${VAR}), or NULL */
	const char *vhosts;       /* the virtual host names it serves, space-separated; NULL: any */
	tm_authn authn;           /* what the gateway checks before forwarding; TM_AUTHN_NONE: nothing */
	const char *authn_how;    /* "auth_request /auth", "kong plugin jwt", ... */
	const char *rate_how;     /* the rate limit on the route, NULL: none */
	const char *restrict_how; /* an address allow-list, NULL: none */
	const char *deny_how;     /* a deny rule (a block-list: what it matches is refused, the rest
				     passes), NULL: none */
	bool private_only;        /* the allow-list admits private source ranges only: no internet client */
	/* the listener that takes the route in without TLS, on a gateway that terminates TLS on other
	 * listeners (the gateway node's `tls` is then not true of this route); NULL: none, or a reader
	 * that does not know. A reader sets it on the route tm_gw_route_new returned. */
	const char *plaintext_at;
	const char *authz_upstream; /* tm_gw_checks' */
	/* the path on the backend the route forwards to when it is not the backend's root (Kong's
	 * service url http://auth:9999/verify, nginx's proxy_pass http://b/fixed): the route reaches that
	 * path and below it only (an exact route, that path alone); NULL: the whole backend. A reader
	 * sets it on the route tm_gw_route_new returned. */
	const char *upstream_path;
	tm_loc loc;
	/* the namespace its upstream is resolved in when it is not its gateway's hosts' (Traefik routing
	 * another compose project's service over a network they share); NULL: theirs */
	const char *scope;
	/* set when the gateway finishes */
	tm_node *backend;         /* the workload (or unresolved service node) it reaches */
	tm_node *gateway;
} tm_gw_route;

typedef struct tm_gw_config tm_gw_config;

/* A new configuration of type ("nginx", "envoy", "kong", "ocelot", "traefik") read from path (its evidence at
 * loc); digest identifies its content. NULL when memory ran out or ctx keeps no gateways. */
tm_gw_config *tm_gw_config_new(tm_ingest_ctx *ctx, const char *type, const char *path, tm_loc loc, uint64_t digest);
/* The configuration of type that workload w runs, kept when g is given and none is: one Spring
 * application is one gateway, whichever of its files (a profile's, a served one) hold its routes.
 * NULL: none (or g, kept). */
tm_gw_config *tm_gw_app_config(tm_ingest_ctx *ctx, const char *type, const tm_node *w, tm_gw_config *g);
/* What a gateway applies to a route on the way: a check of the caller (TM_AUTHN_NONE: none), a rate
 * limit, an address allow-list, a deny rule, each with where it is written ("auth_request /auth at
 * f:12"). */
typedef struct {
	tm_authn authn;
	const char *authn_how, *rate_how, *restrict_how, *deny_how;
	bool private_only; /* restrict_how admits private source ranges only (tm_policy__private_ranges) */
	bool kong;         /* Kong's route: the plugins its backend Service names apply too (tm_ingest__kong_service) */
	const char *terminate_how; /* the gateway answers every request itself (Kong's request-termination):
				      nothing reaches the backend through the route */
	const char *authz_upstream; /* the service a delegated check asks (a forwardAuth address), as
				       written; NULL: not known */
} tm_gw_checks;
#define TM_GW_CHECKS_NONE {TM_AUTHN_NONE, NULL, NULL, NULL, NULL, false, false, NULL, NULL}
/* A route of g: path matched as match, forwarded to upstream, for vhosts (NULL: any), with c. */
tm_gw_route *tm_gw_route_new(tm_ingest_ctx *ctx, tm_gw_config *g, const char *path, tm_gw_match match,
			     const char *upstream, const char *vhosts, const tm_gw_checks *c, tm_loc loc);
/* The last n routes of g resolve their upstreams in namespace scope (a compose project's name). */
void tm_gw_routes_scope(tm_gw_config *g, size_t n, const char *scope);
/* A Kong plugin's check by its name (jwt, key-auth, ip-restriction, rate-limiting...) and config
 * (ip-restriction's allow: private ranges only) into c, named how; false for a plugin that checks nothing trustmap weighs. Shared by the declarative files and
 * the Kong Ingress Controller's KongPlugin objects. */
bool tm_gw__kong_plugin(const char *name, const tm_value *config, const char *how, tm_gw_checks *c);
/* The Kong plugins a route names into c: list is konghq.com/plugins's comma-separated names, or one
 * ExtensionRef filter's (source says which); each a KongPlugin of namespace ns, else a
 * KongClusterPlugin, as the Kubernetes reader read them (ctx->kube). A disabled one is passed over;
 * one that was not scanned leaves the authentication unknown, with a note naming the route (kind,
 * name) at at. */
void tm_ingest__kong_plugins(tm_ingest_ctx *ctx, const char *kind, const char *name, const char *ns, const char *list,
			     const char *source, tm_loc at, tm_gw_checks *c);
/* The plugins Kong runs on every route to Service ns/name (its konghq.com/plugins annotation) into c,
 * when c is Kong's (c->kong). */
void tm_ingest__kong_service(tm_ingest_ctx *ctx, const char *ns, const char *name, tm_gw_checks *c);
/* Kong's global plugins (a KongClusterPlugin labelled global: "true"), which it runs on every route,
 * into c: true when there is one. */
bool tm_ingest__kong_global(tm_ingest_ctx *ctx, tm_gw_checks *c);
/* The Traefik Middleware mw of namespace ns that a route (kind, name) names at at (an ExtensionRef
 * filter), chains followed, into c; one that was not scanned leaves the authentication unknown, with
 * a note. */
void tm_ingest__traefik_middleware(tm_ingest_ctx *ctx, const char *kind, const char *name, const char *ns,
				   const char *mw, tm_loc at, tm_gw_checks *c);
/* A host name of the public DNS (a dot, not an address, no cluster or private suffix): a third party
 * a gateway forwards to, not a workload of the scan. */
bool tm_gw__public_host(const char *host);
/* The application a route to the gateway's own loopback reaches through a Dapr sidecar: host is the
 * upstream's host, path the path it forwards to (a proxy_pass URL's, an Envoy prefix_rewrite). Dapr's
 * service invocation API, /v1.0/invoke/<app-id>/method/..., names the app; its app-id is the name
 * the scan resolves by the workloads' app-ids (<app-id>.<namespace> as Dapr writes another
 * namespace's). NULL when host is no loopback or path no invocation; else "dapr:<app-id>", in a, the
 * upstream the gateway resolves through tm_ingest__link_dapr. */
const char *tm_gw_dapr_app(tm_arena *a, const char *host, const char *path);
/* The checks c on a routes edge from a gateway, as every gateway reader writes them: its authn, where
 * it is enforced, and the lists naming each check (authn_checks, rate_limits, allow_lists,
 * deny_rules). */
void tm_gw_edge_checks(tm_ingest_ctx *ctx, tm_edge *e, const tm_gw_checks *c);
/* The checks c of one more route on e, a routes edge other routes reached before (first: none did;
 * had: they wrote their checks on it) made the weakest of them all: an authentication only while
 * every route has one (the first route's kind), private sources only while every route admits no
 * other. Shared by the gateway readers and Kubernetes' route objects. */
void tm_gw_edge_weakest(const tm_edge *e, bool first, bool had, tm_gw_checks *c);
/* A sequence of host names as a route's virtual hosts (space-separated), NULL when empty. */
const char *tm_gw_vhosts(tm_ingest_ctx *ctx, const tm_value *seq);
/* A sequence of source ranges (an allow- or deny-list) as space-separated text in a, NULL when it
 * lists none; *all_private (may be NULL): every range is private (tm_policy__private_ranges). */
const char *tm_gw_ranges(tm_arena *a, const tm_value *seq, bool *all_private);
/* "what at path:line", in the scan's scratch arena: how a check is named in the report. */
const char *tm_gw_where(tm_ingest_ctx *ctx, const char *what, tm_loc loc);
/* A workload that runs the configuration (it mounts it); scope for resolving upstream names. */
void tm_gw_config_host(tm_ingest_ctx *ctx, tm_gw_config *g, tm_node *workload);
void tm_gw_config_set_tls(tm_gw_config *g, bool tls);
/* How the host workloads given by tm_gw_config_host run it, for the report (a string that lives as
 * long as the scan: a literal). */
void tm_gw_config_hosted(tm_gw_config *g, const char *how);
/* A fact on the gateway node ("unresolved_upstreams", "listeners", ...) with its place. */
void tm_gw_config_fact(tm_ingest_ctx *ctx, tm_gw_config *g, const char *key, const char *value, tm_loc loc);
/* A service the gateway calls itself for a check (Envoy's ext_authz cluster): upstream resolved as a
 * route's is, drawn as a calls edge from the workloads running the gateway, via what. */
void tm_gw_config_dep(tm_ingest_ctx *ctx, tm_gw_config *g, const char *upstream, const char *what, tm_loc loc);

/* The readers. Text formats: nginx (whole files, or a ConfigMap value: loc_path and line_base map
 * its lines and columns to where the value was written). YAML/JSON formats: one document each. */
void tm_ingest__nginx_text(tm_ingest_ctx *ctx, const char *display, const char *text, size_t len,
			   const char *loc_path, uint32_t line_base, uint32_t col_offset, tm_node *host);
/* A Caddyfile (gw_caddy.c): its sites' reverse_proxy routes, their checks and TLS. */
void tm_ingest__caddy_text(tm_ingest_ctx *ctx, const char *display, const char *text, size_t len);
bool tm_ingest__envoy_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, tm_node *host);
bool tm_ingest__kong_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, tm_node *host);
bool tm_ingest__ocelot_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, tm_node *host);
/* gw_cloudflared.c: Cloudflare Tunnel. A locally managed tunnel's configuration (`ingress` rules)
 * is one gateway "cloudflared" the internet reaches through Cloudflare's edge. A container that
 * runs cloudflared is kept with the gateways (its command line's words, each with its place, and
 * its environment's tunnel settings): when they finish (tm_ingest__cloudflared_runs, once the
 * configurations' hosts are known) a tunnel run with a token and no configuration of routes, or one
 * whose configuration is not in the scan, is a gateway whose routes are not in the files
 * (`routes_unknown`), and `tunnel --url URL` one route to URL. */
bool tm_ingest__cloudflared_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, tm_node *host);
typedef struct {
	const char *key;   /* a word of the command line, or an environment variable's name */
	const char *value; /* the variable's value (NULL: a word, or a value the files do not give) */
	tm_loc at;
} tm_cf_item;
/* A Kubernetes container spec c of file f as a reader of one program's flags takes it: its command
 * then args (*words, one item per scalar) and its env entries with a name (*vars; a value from a
 * Secret has none), in ctx's scratch arena. Does c mention the program (needle in a word of its
 * command or args)? That, and false when memory ran out (the scratch arena says so). */
bool tm_ingest__k8s_container_items(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *c, const char *const *needles,
				    tm_cf_item **words, size_t *nwords, tm_cf_item **vars, size_t *nvars, bool *mentioned);
/* Is image cloudflared's (its last path component "cloudflared", any tag or digest)? */
bool tm_ingest__cloudflared_image(const char *image);
/* A container of workload w (image may be NULL) with its command line (words: entrypoint or command,
 * then args; an item holding blanks is split into words) and environment: kept when it runs a
 * tunnel (its image is cloudflared's or a word names cloudflared, and a word is `tunnel`). at is
 * the container's place, for what has no word of its own. */
void tm_ingest__cloudflared_container(tm_ingest_ctx *ctx, tm_node *w, const char *image, const tm_cf_item *words,
				      size_t nwords, const tm_cf_item *env, size_t nenv, tm_loc at);
/* The same, read from a Kubernetes container spec c of file f (image, command, args, env). */
void tm_ingest__cloudflared_k8s(tm_ingest_ctx *ctx, tm_node *w, const tm_file *f, const tm_value *c);
/* The kept tunnels, once every configuration's hosts are known (gateway.c's finish). */
void tm_ingest__cloudflared_runs(tm_ingest_ctx *ctx);
/* gw_oauth2proxy.c: oauth2-proxy in proxy mode, a gateway "oauth2-proxy" whose routes to its
 * upstreams check its OAuth2/OIDC login (skip-auth rules: regex routes with none). Its
 * configuration file's text (display names it; a ConfigMap value's lines and columns mapped to
 * loc_path from line_base and col_offset, run by hosts), and a container running it (its flags and
 * OAUTH2_PROXY_* environment, as the cloudflared reader takes them). A source with no upstream
 * makes nothing. */
void tm_ingest__oauth2_proxy_text(tm_ingest_ctx *ctx, const char *display, const char *text, size_t len,
				  const char *loc_path, uint32_t line_base, uint32_t col_offset, tm_node *const *hosts,
				  size_t nhosts);
bool tm_ingest__oauth2_proxy_image(const char *image);
void tm_ingest__oauth2_proxy_container(tm_ingest_ctx *ctx, tm_node *w, const char *image, const tm_cf_item *words,
				       size_t nwords, const tm_cf_item *env, size_t nenv, tm_loc at);
void tm_ingest__oauth2_proxy_k8s(tm_ingest_ctx *ctx, tm_node *w, const tm_file *f, const tm_value *c);
/* authelia.c: Authelia's configuration (detect.c "authelia"), its access_control kept with the
 * gateways (tm_ingest__authelia_doc); when they finish, gateway.c finds the workloads running each
 * kept file and tm_ingest__authelia_rules writes its rules as facts of each (authelia_rules,
 * authelia_default_policy), which analyze/query.c weighs for the checks handed to that workload. */
typedef struct tm_authelia_cfg tm_authelia_cfg;
void tm_ingest__authelia_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root);
const char *tm_ingest__authelia_path(const tm_authelia_cfg *c);
const tm_authelia_cfg *tm_ingest__authelia_next(const tm_authelia_cfg *c);
/* c's rules as facts of w, a workload running it; NULL: none does (a note says so). */
void tm_ingest__authelia_rules(tm_ingest_ctx *ctx, const tm_authelia_cfg *c, tm_node *w);
/* Where authelia.c keeps the configurations read (NULL when ctx keeps no gateways). */
tm_authelia_cfg **tm_gw__authelia(tm_ingest_ctx *ctx);
/* How many configurations of type workload w runs, and how many routes they hold in all (*nroutes). */
size_t tm_gw_hosted(const tm_ingest_ctx *ctx, const char *type, const tm_node *w, size_t *nroutes);
/* gw_spring.c: a gateway written in an application's own configuration (Spring Cloud Gateway's
 * spring.cloud.gateway.routes, Netflix Zuul's zuul.routes) and what it checks (Spring Security's
 * oauth2 settings, server.ssl). calls.c keeps the settings tm_gw__spring_setting names until it
 * knows whose the file is, then adds them with each owner (NULL: none known; gateway.c looks for
 * who runs it), a file's in a row, and flushes the file: its configuration, when it routes. */
#define TM_GW_SPRING_FACT "spring_gateway" /* the pending settings' mark in calls.c */
#define TM_GW_SPRING_DOC "\x1f" "document"     /* the setting that starts a file's next YAML document */
typedef struct tm_gw_spring tm_gw_spring;
bool tm_gw__spring_setting(const char *setting);
void tm_gw__spring_add(tm_ingest_ctx *ctx, tm_gw_spring **acc, const char *file, const char *setting, const char *value,
		       tm_loc at, tm_node *owner);
void tm_gw__spring_flush(tm_ingest_ctx *ctx, tm_gw_spring **acc);
/* An application's discovery name (its spring.application.name, what lb://NAME and a Zuul serviceId
 * call it by) for workload n; the workload a name stands for: the one in namespace ns, else (unless
 * same_ns: a compose caller, whose network is its project's) the one workload of that name in the
 * scan; NULL: none. Kept with the gateways (gateway.c), read by the gateways and by calls.c. */
void tm_gw__discovery_name(tm_ingest_ctx *ctx, const char *name, tm_node *n);
tm_node *tm_gw__discovery(const tm_ingest_ctx *ctx, const char *name, const char *ns, bool same_ns);
/* Traefik (gw_traefik.c): a dynamic configuration file of the file provider (detail "traefik") or
 * Traefik's static configuration ("traefik-static"), read into ctx->gw's Traefik set; the routes of
 * the dynamic files are made by tm_ingest__traefik_finish, when gateway.c finishes. */
bool tm_ingest__traefik_doc(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *root, const char *detail);
void tm_ingest__traefik_finish(tm_ingest_ctx *ctx);
typedef struct tm_traefik_set tm_traefik_set;
/* Where gw_traefik.c keeps what it read (NULL when ctx keeps no gateways). */
tm_traefik_set **tm_gw__traefik(tm_ingest_ctx *ctx);
typedef struct tm_cf_set tm_cf_set;
/* Where gw_cloudflared.c keeps the containers running cloudflared (NULL when ctx keeps no gateways). */
tm_cf_set **tm_gw__cloudflared(tm_ingest_ctx *ctx);
/* rel (a relative or absolute path) joined onto dir, "." and ".." taken out, into buf; NULL when it
 * does not fit. */
const char *tm_ingest__path_join(const char *dir, const char *rel, char *buf, size_t len);
/* The suffixes an environment file's example adds to its name (.env.production.sample), as the walk
 * recognises them and compose's reader looks for one in place of an uncommitted env_file. */
#define TM_ENV_EXAMPLE_SUFFIXES {".sample", ".example", ".template", ".dist"}
/* A project's .env, then the names of its examples (the documented values, read when no .env is
 * committed), as the walk recognises them and compose's reader looks for one in place of an
 * uncommitted `.env` env_file. */
#define TM_DOTENV_NAMES                                                                             \
	{".env", ".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults", "env.example", \
	 "example.env", ".env-example"}
/* A ConfigMap value that is a gateway configuration (by key and content) read as one, run by the
 * workloads given; true if it was one. */
bool tm_ingest__gw_embedded(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *key, const tm_value *value,
			    tm_node *const *hosts, size_t nhosts);
/* The gateway route a request path takes (the longest prefix, an exact path, a matching regex),
 * among the routes of every gateway whose virtual hosts admit host (NULL: any); only routes
 * with a backend. NULL when none. */
const tm_gw_route *tm_gw_route_for(const tm_ingest_ctx *ctx, const char *host, const char *request);
/* The route through which a gateway reaches svc for request, or NULL. */
const tm_gw_route *tm_gw_route_to(const tm_ingest_ctx *ctx, const tm_node *svc, const char *request);
/* Free what the gateway readers kept (parsed embedded documents). */
void tm_gw_set_free(tm_gw_set *s);

/* Host of a server URL ("https://a.b:8080/x" -> "a.b"; a relative "/v1" has none), into buf. */
const char *tm_ingest__url_host(const char *url, char *buf, size_t len);
/* The port of url whose host is host ("http://127.0.0.1:3000/x" -> "3000"), into port; false when
 * it writes none. */
bool tm_ingest__url_port(const char *url, const char *host, char *port, size_t size);
/* Do two host patterns share a host? "*" is any; "*.example.com" any name of one or more labels in
 * front of ".example.com" (a longer wildcard under it too); case is ignored. */
bool tm_ingest__hosts_meet(const char *a, const char *b);

/* A lowercase, dash-separated form of a title for ids ("Account Service" -> "account-service"). */
const char *tm_ingest__slug(tm_arena *a, const char *title);

/* codeowners.c - CODEOWNERS text (not YAML): owners for the nodes its patterns cover.
 * Runs after every ingester's finish, so only nodes the overlay left without an owner get one. */
void tm_ingest__codeowners(tm_ingest_ctx *ctx, const char *display, const char *text, size_t len);
bool tm_codeowners__match(const char *pattern, const char *path);

/* self_calls.c - a call from a workload to `external:H` read from its configuration, H a host that
 * routes back to the workload itself (its own public URL), dropped with a note. Runs after every
 * ingester's finish. */
void tm_ingest__self_calls(tm_ingest_ctx *ctx);

/* nodes.c - escapes to the node: "escapes-to" edges from workloads that hand their node over, "hosts"
 * edges from that node to what runs there. Runs after every ingester. 0 or TM_ENOMEM. */
int tm_ingest__node_pivot(tm_ingest_ctx *ctx);

/* selector.c - label maps, LabelSelectors and string lists into the policy arena. */
void tm_ingest__labels(tm_arena *a, const tm_value *map, tm_labels *out);
/* v is a LabelSelector (matchLabels + matchExpressions); NULL leaves out->present false. */
void tm_ingest__selector(tm_ingest_ctx *ctx, tm_arena *a, const tm_file *f, const tm_value *v,
			 tm_selector *out);
/* A sequence of scalars (a lone scalar counts as one item); absent: present false. */
tm_strs tm_ingest__strs(tm_arena *a, const tm_value *seq);

/*
 * Shape checks for policy documents. A policy whose shape the API server would refuse is
 * not applied by the platform, so it must not be evaluated: reading a malformed rule as
 * an empty one would turn it into "allow everything". Each returns false after one
 * warning at the offending value. NULL (absent) is fine.
 */
bool tm_ingest__seq_of_maps(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *v, const char *what);
bool tm_ingest__seq_of_scalars(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *v, const char *what);

/* overlay.c - is s a Kubernetes namespace name (an RFC 1123 label: 1 to 63 of a-z, 0-9 and '-',
 * starting and ending with a letter or digit)? */
bool tm_ingest__dns_label(const char *s);

/* objects.c - named objects (kind, namespace, name) kept until finish(); a redefinition replaces. */
typedef struct {
	const tm_file *f;
	const tm_value *v;
	const char *kind, *name, *ns;
} tm_obj;

typedef struct {
	tm_obj *items;
	size_t n, cap;
	tm_arena *arena; /* the scan's scratch arena */
	tm_hmap exact;   /* "kind\x1fns\x1fname" -> item number + 1 */
	tm_hmap any_ns;  /* "kind\x1fname" -> the first such item's number + 1 */
	const tm_file *placed_noted; /* the last file whose objects naming no namespace were noted */
} tm_objs;

void *tm_objs__begin(tm_ingest_ctx *ctx);
void tm_objs__end(void *state);
/* Keep root (of kind); false, with a note, when it has no metadata.name. A namespaced object naming no
 * namespace is placed where the scan places such objects; when that is the one Namespace the files
 * declare (not kubectl's default), one note per file at the first says so. */
bool tm_objs__add(tm_ingest_ctx *ctx, tm_objs *s, const tm_file *f, const tm_value *root, const char *kind);
/* The identity of an object-shaped document, "group\x1fkind\x1fnamespace\x1fname" (a missing namespace
 * is "default"; cluster-scoped kinds have none), in sb; NULL if doc is no named object. */
const char *tm_objs__key(tm_strbuf *sb, const tm_value *doc);
/* The same, an object naming no namespace keyed in implicit_ns (NULL: "default"): where the scan puts it. */
const char *tm_objs__key_in(tm_strbuf *sb, const tm_value *doc, const char *implicit_ns);
/* Is doc a list kubectl applies item by item: kind List, or a typed list (RoleList, RoleBindingList,
 * ServiceList, ...) whose items are a sequence? Both name an apiVersion. */
bool tm_objs__is_list(const tm_value *doc);
/* Is kind a cluster-scoped Kubernetes kind (no namespace)? */
bool tm_objs__cluster_scoped(const char *kind);
/* ns NULL: any namespace. */
const tm_obj *tm_objs__find(const tm_objs *s, const char *kind, const char *ns, const char *name);

/* plan.c - deployment variants: which documents make which system (see the file's head). */
typedef struct {
	const char *path;            /* display path of a plain file; a render's name */
	const tm_file *const *files; /* its documents: the file itself, or a render's outputs */
	size_t nfiles;
	bool render;                 /* a kustomization root or a chart: a unit of its own */
	int unit;                    /* set by the plan: -1 when common to every system */
	const char *project;         /* a compose file: its project (directory), a unit of its own */
	int only;                    /* a chart rendered with one overlay system's values: that system */
	const size_t *reads;         /* a render: the files it read (any numbering shared by all items) */
	size_t nreads;
	bool compose_config;         /* set by the plan: a file of objects a compose project bind-mounts */
	bool gateway;                /* a gateway's configuration (Caddyfile, nginx, Envoy, Kong, Traefik...):
				      * nothing mounting it, it goes with the nearest unit above it */
	bool climbed;                /* set by the plan: a gateway's file placed with a unit of a directory
				      * above its own (a service's source tree under a project): the other
				      * systems are offered it too (tm_plan_offered) */
} tm_plan_item;

enum { TM_PLAN_K8S = 0, TM_PLAN_COMPOSE = 1 };

typedef struct {
	const char **names; /* one system per variant, the primary first; none: one system of everything */
	size_t nsystems;
	int *world;         /* per system: TM_PLAN_K8S or TM_PLAN_COMPOSE */
	int *unit_system;   /* a unit's system, -1 when shared by every system of its side */
	int *unit_world;
	size_t nunits;
	bool explicit_;     /* the overlay names the systems: member[item * nsystems + system] */
	bool *member;       /* set for the overlay's systems and for GitOps systems (an item of a unit
			     * in several systems, or in some of one side's only); else NULL */
	const tm_plan_item *items;
	size_t nitems;
} tm_plan;

/* A system the overlay names (trustmap.yaml `systems:`): the globs of its files, relative to the
 * root, and the values files its charts are rendered with. */
typedef struct {
	const char *name;
	const char *const *include, *const *exclude, *const *values;
	size_t ninclude, nexclude, nvalues;
	const char *ns; /* the namespace its charts are installed into (.Release.Namespace); NULL: none named */
	const char *release; /* the release name its charts are installed under (.Release.Name); NULL: none */
	tm_loc at;      /* its entry in the overlay */
} tm_plan_system;

/* The plan by the overlay's systems instead of the variants found: an item is in each system whose
 * include globs match its path (a render's directory or file) and no exclude glob does; what
 * defines no object is in every system; an object no system includes is in none. */
/* Does the overlay's system take path (an include glob matches, no exclude glob does)? */
bool tm_plan_takes(const tm_plan_system *d, const char *path);
/* Does glob match an item (its path, or a render's first file)? */
bool tm_plan_glob_used(const tm_plan_item *items, size_t n, const char *glob);
int tm_plan_explicit(tm_arena *a, tm_plan_item *items, size_t n, const tm_plan_system *defs, size_t ndefs, tm_plan *out);

/* A GitOps object's delivery (a Flux Kustomization's or an Argo CD Application's path): the item
 * holding the object, the directory it applies ("" the top), and whether the directories under it
 * are applied too. */
typedef struct {
	size_t from;
	const char *dir;
	bool recurse;
} tm_plan_delivery;

/* The variants found in the items; ds: the GitOps deliveries among them (a variant that delivers
 * others is the system of what it delivers, see 2b in plan.c). */
int tm_plan_solve(tm_arena *a, tm_plan_item *items, size_t n, const tm_plan_delivery *ds, size_t nds, tm_plan *out);
/* Does system sys (any, when the plan has none) hold the item? */
bool tm_plan_has(const tm_plan *p, const tm_plan_item *it, size_t sys);
/* Is item it in system sys only as offered: a gateway's file placed with a unit above its own
 * directory (it->climbed) that is not sys's? Such a file is read by sys too, and kept only where a
 * workload of sys runs it (its directory names the workload, an image is built from it). */
bool tm_plan_offered(const tm_plan *p, const tm_plan_item *it, size_t sys);
/* The system an item belongs to alone, or -1 when common. */
int tm_plan_system_of(const tm_plan *p, const tm_plan_item *it);

/* ignore.c - the repository's .gitignore (when use_git and the root is in a work tree) and the
 * --exclude globs (borrowed). tm_ignore_match says why rel (relative to the root) is left out:
 * ".gitignore", "--exclude", or NULL. */
typedef struct tm_ignore tm_ignore;
tm_ignore *tm_ignore_new(const char *root_real, bool use_git, const char *const *globs, size_t nglobs);
const char *tm_ignore_match(const tm_ignore *ig, const char *rel, bool is_dir);
void tm_ignore_free(tm_ignore *ig);

/* Shared helpers for ingesters. */
/* The anonymous internet entry point (and its boundary), made once. */
tm_node *tm_ingest__internet(tm_ingest_ctx *ctx);
/* "entrypoint:partner:private-network": where an internal load balancer or Ingress is reached from
 * (the cloud network, peered networks, a VPN); the partner walk starts there. */
tm_node *tm_ingest__private_network(tm_ingest_ctx *ctx);
extern const char tm_ingest__public_lb[]; /* ctx->balanced: exposed to the internet */
/* The annotation among ann (a map: a Service's, an Ingress's, a Gateway's infrastructure
 * annotations) by which a cloud's load balancer controller makes an internal load balancer (GKE,
 * AWS, Azure, OCI, IBM, Alibaba, OpenStack): its value, "key: value" in *why (from a); NULL. */
const tm_value *tm_ingest__internal_lb_mark(tm_arena *a, const tm_value *ann, const char **why);
tm_loc tm_ingest__loc(const tm_file *f, const tm_value *v);

#endif
