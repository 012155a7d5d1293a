/*
 * model/model.h - building the model (internal). Ingesters add facts through
 * a tm_model_builder; tm_mb_finish() sorts, deduplicates and freezes it.
 *
 * Adding a node or edge that already exists merges: evidence and attributes
 * accumulate, the first name and boundary stay. Every string passed in is
 * copied into the model's arena.
 */
#ifndef TM_MODEL_INTERNAL_H
#define TM_MODEL_INTERNAL_H

#include "trustmap/model.h"
#include "util/util.h"
#include "model/policy.h"

typedef struct tm_model_builder tm_model_builder;

struct tm_attr_vec {
	tm_attr *items;
	size_t count, cap;
};

struct tm_loc_vec {
	tm_loc *items;
	size_t count, cap;
};

struct tm_boundary {
	const char *id, *name, *parent;
	tm_boundary_kind kind;
};

struct tm_fact_vec {
	tm_fact_loc *items;
	size_t count, cap;
};

struct tm_node {
	const char *id, *name, *boundary;
	tm_node_kind kind;
	size_t index; /* position in the frozen model's sorted node list */
	bool frozen;  /* attrs sorted by key: lookups bisect */
	bool is_workload; /* a service with a "workload" attribute, set when the model freezes */
	bool federates;   /* an identity with a granted edge out (a cloud role it may act as), set then too */
	uint64_t attr_bloom; /* frozen: one bit per attribute key (head_bit): most absent keys miss here */
	struct tm_loc_vec evidence;
	struct tm_attr_vec attrs;
	struct tm_fact_vec facts;
};

struct tm_edge {
	tm_node *from, *to;
	tm_edge_kind kind;
	bool crosses;
	tm_authn authn;
	tm_authz authz;
	tm_enforced_at enforced_at;
	/* set when the model freezes, so walks read them without an attribute lookup */
	bool proxied;       /* a "proxied_by" calls edge: the traffic is a gateway's route */
	bool observed;      /* a runtime map saw the call ("observed") */
	bool observed_only; /* ... and no file declares it ("observed_only") */
	bool public_only;   /* a mounts edge taking only certificates and public keys ("public_only") */
	bool no_token;      /* a runs-as edge of pods that mount no token of the account ("token") */
	struct tm_loc_vec evidence;
	struct tm_attr_vec attrs;
};

/* One out-edge as a walk reads it: the edge's kind, flags and far end copied next to each other,
 * so walking a node's out-edges reads one contiguous run instead of chasing every edge. */
typedef struct tm_adj {
	const tm_edge *e;
	const tm_node *to;
	size_t to_index;
	tm_edge_kind kind;
	tm_node_kind to_kind;
	bool proxied, to_workload;
} tm_adj;

struct tm_model {
	tm_arena *arena;
	tm_hmap node_index;  /* id -> tm_node* */
	tm_hmap edge_index;  /* the bytes of (from, to, kind) -> tm_edge* */
	tm_hmap bnd_index;   /* id -> tm_boundary* */
	tm_boundary **boundaries;
	size_t nboundaries, cap_boundaries;
	tm_node **nodes;
	size_t nnodes, cap_nodes;
	tm_edge **edges;
	size_t nedges, cap_edges;
	tm_policy pol;
	tm_asset *assets;
	size_t nassets, cap_assets;
	tm_assumption *assumptions;
	size_t nassumptions, cap_assumptions;
	tm_accepted_risk *accepted;
	size_t naccepted, cap_accepted;
	/* built once when the model is frozen, so every walk is linear in what it visits */
	size_t *inc_start;         /* per node index: offset into inc; nnodes + 1 entries */
	const tm_edge **inc;       /* edges touching each node (out-edges and in-edges) */
	size_t *out_start, *in_start; /* the same split: edges from each node, edges to it */
	const tm_edge **out, **in;
	tm_adj *out_adj;           /* out, compact: what a walk reads of each out-edge, contiguous */
	const tm_node **ns_nodes;  /* nodes with a "namespace" attribute, grouped by it */
	const tm_node **by_kind;   /* every node grouped by kind, each group in node order */
	size_t kind_start[TM_NODE__COUNT + 1]; /* per kind: offset into by_kind */
	tm_hmap ns_index;          /* namespace -> struct tm_ns_range* */
	int oom;
};

/* The edges touching n (from or to it), in the model's edge order. */
const tm_edge *const *tm_model__incident(const tm_model *m, const tm_node *n, size_t *count);
/* The edges from n, and the edges to n, each in the model's edge order (a walk that follows
 * out-edges reads only those, whatever n's in-degree). */
const tm_edge *const *tm_model__outgoing(const tm_model *m, const tm_node *n, size_t *count);
const tm_edge *const *tm_model__incoming(const tm_model *m, const tm_node *n, size_t *count);
/* n's out-edges, compact, in the order of tm_model__outgoing; *slot is the first one's position in
 * the model's out-edge list (positions run 0 .. edge count - 1: a key for per-edge arrays). */
const tm_adj *tm_model__out_adj(const tm_model *m, const tm_node *n, size_t *count, size_t *slot);
/* The nodes of one kind, in the model's node order: [*begin, end). A rule that reads one kind
 * visits those nodes only, not every node's kind. */
const tm_node *const *tm_model__kind_begin(const tm_model *m, tm_node_kind kind);
const tm_node *const *tm_model__kind_end(const tm_model *m, tm_node_kind kind);
#define TM_EACH_OF_KIND(m, n, kind)                                                                \
	for (const tm_node *const *k_at_ = tm_model__kind_begin((m), (kind)),                      \
			       *const *k_end_ = tm_model__kind_end((m), (kind));                   \
	     k_at_ < k_end_; k_at_++)                                                              \
		for (const tm_node *n = *k_at_; n; n = NULL)
/* The nodes whose "namespace" attribute is ns, in the model's node order. */
const tm_node *const *tm_model__in_namespace(const tm_model *m, const char *ns, size_t *count);

tm_model_builder *tm_mb_new(void);
/* Room for about nodes more nodes and edges more edges, made at once (an ingester that knows how
 * many it will add: a table grown through every power of two writes each slot twice). A hint:
 * fewer or more may follow. */
void tm_mb_reserve(tm_model_builder *mb, size_t nodes, size_t edges);
/* Free a builder that was never finished. */
void tm_mb_free(tm_model_builder *mb);
/* Freeze: sort, mark boundary crossings, hand over the model. The builder is consumed. */
int tm_mb_finish(tm_model_builder *mb, tm_model **out);

/* Returns the boundary (existing or new), or NULL on OOM. */
tm_boundary *tm_mb_boundary(tm_model_builder *mb, tm_boundary_kind kind, const char *id,
			    const char *name, const char *parent);
/* Get or create a node; loc (if path not NULL) is added to its evidence. NULL on OOM. */
tm_node *tm_mb_node(tm_model_builder *mb, tm_node_kind kind, const char *id, const char *name,
		    const char *boundary, tm_loc loc);
tm_node *tm_mb_find(tm_model_builder *mb, const char *id);
/* Get or create the edge (from, to, kind); loc added to its evidence. NULL on OOM. */
tm_edge *tm_mb_edge(tm_model_builder *mb, tm_node *from, tm_node *to, tm_edge_kind kind, tm_loc loc);

/* Take the edges in `edges` out of the model, then the nodes in `nodes` (a node is taken out only
 * when no edge left touches it). One pass over each list; a later tm_mb_edge or tm_mb_node of the
 * same key makes a new one. What a reader decided was not a fact (a workload's own public address
 * read as a call) is dropped so, never silently: the caller says why. */
void tm_mb_drop(tm_model_builder *mb, const tm_pset *edges, const tm_pset *nodes);

/* Attributes; setting an existing key replaces it (lists merge). */
void tm_mb_node_str(tm_model_builder *mb, tm_node *n, const char *key, const char *value);
/* An assumption the node's facts rest on, added to those it states ("assumed"), joined by "; and "
 * (one already stated is not repeated): a gateway placed in namespace default and assumed
 * internet-facing says both. */
void tm_mb_node_assume(tm_model_builder *mb, tm_node *n, const char *text);
void tm_mb_node_bool(tm_model_builder *mb, tm_node *n, const char *key, bool value);
void tm_mb_node_int(tm_model_builder *mb, tm_node *n, const char *key, int64_t value);
void tm_mb_node_list_add(tm_model_builder *mb, tm_node *n, const char *key, const char *item);
/* While building, lists are in the order added and may repeat; the frozen model's are sorted and
 * unique. An ingester that reads a list's order before then settles it first. */
void tm_mb_node_list_settle(tm_model_builder *mb, tm_node *n, const char *key);
void tm_mb_edge_str(tm_model_builder *mb, tm_edge *e, const char *key, const char *value);
void tm_mb_edge_list_add(tm_model_builder *mb, tm_edge *e, const char *key, const char *item);
void tm_mb_edge_bool(tm_model_builder *mb, tm_edge *e, const char *key, bool value);
/* A list attribute item with the place it was read (also added to the node's evidence). */
void tm_mb_node_fact(tm_model_builder *mb, tm_node *n, const char *key, const char *value, tm_loc loc);
void tm_mb_add_evidence(tm_model_builder *mb, tm_node *n, tm_loc loc);

/* The policy model under construction (ingesters append to its tables). */
tm_policy *tm_mb_policy(tm_model_builder *mb);

/* Overlay records (strings must already live in the model's arena: use tm_mb_strdup). */
tm_asset *tm_mb_asset(tm_model_builder *mb);
tm_assumption *tm_mb_assumption(tm_model_builder *mb);
tm_accepted_risk *tm_mb_accepted(tm_model_builder *mb);
/* A copy in the model's arena (NULL stays NULL). */
const char *tm_mb_strdup(tm_model_builder *mb, const char *s);

/* The model under construction, for read access while building. */
const tm_model *tm_mb_model(const tm_model_builder *mb);

/* escape.c: does a workload hand its node over (the tables are in escape.c and docs/analysis.md)? */
typedef struct {
	const char *why;  /* "privileged", "host path", "capability", "host PID namespace" */
	const char *what; /* the fact's value: the container, the path, the capability */
	tm_loc at;        /* where the manifest says so */
} tm_escape;
/* Does w share the host's namespace ns ("hostPID", "hostNetwork", "hostIPC"; compose's "pid: host")? */
bool tm_escape_shares_host(const tm_node *w, const char *ns);
/* Is host path p one that hands over the node? */
bool tm_escape_host_path(const char *p);
/* Is host path p, a path that hands over the node, only read: mounted read-only by every container
 * that mounts it (through every volume naming it), of a Kubernetes pod that runs no container as
 * root (runAsNonRoot, or a runAsUser other than 0, for each), none allowed privilege escalation,
 * none with added capabilities? Not a socket: one is written through whatever the mount says. */
bool tm_escape_read_only(const tm_node *w, const char *path);
/* Is host path p the host's time zone (/etc/localtime, /etc/timezone, /usr/share/zoneinfo and under
 * it)? Mounted so that a container's clock reads local time, it shares nothing of the host worth a
 * finding: not recorded as a host path. */
bool tm_escape_time_zone_path(const char *p);
/* Is host path p a data directory of the host's own (/srv/app/logs, /mydata/mysql, /opt/app, an
 * application's ~/.jitsi-meet-cfg): not under a directory the system keeps (/etc, /var, /usr,
 * /home, /root, /proc...), nor the user's keys and logins (~/.ssh, ~/.kube, ~/.bashrc)? A compose
 * service's bind mount of one is no host access (TM-CTR-001), as a ./ directory of the project is
 * not; a file of the scan may stand for it (compose.c). */
bool tm_escape_data_dir(const char *p);
/* Is user u ("root", "0", "0:0", "root:wheel": a compose `user:`, a Dockerfile's USER) UID 0? */
bool tm_escape_root_user(const char *u);
/* Is cap ("SYS_ADMIN", "CAP_SYS_ADMIN", any case) an escape on w, with its host namespaces and mounts? */
bool tm_escape_cap(const tm_node *w, const char *cap);
/* The first way w escapes to its node (privileged, a host path, a capability, hostPID); false if none. */
bool tm_escape_of(const tm_node *w, tm_escape *out);

/* console.c: operations consoles known by their images (the table is in console.c and
 * docs/rules/TM-MESH-012.md). */
typedef struct {
	const char *repos;    /* repository suffixes, '|'-separated: "grafana|grafana-oss" */
	const char *product;  /* "Grafana" */
	int ports[2];         /* the console's default container ports (0: none) */
	int severity;         /* tm_severity when a visitor reaches it without a login */
	const char *when;     /* only when this holds of its settings (NULL: always) */
	const char *high_when; /* high when this holds */
	const char *unless;   /* a login is asked when this holds */
	const char *does;     /* what a visitor can do there */
	/* when this holds the image's own default login stands (Grafana's admin/admin): reachable
	 * with it, whatever when says, and high; with what a visitor signed in so can do */
	const char *default_login;
	const char *default_does;
	/* a model server's (tm_console_model_server) when high_when holds: what a visitor can do then */
	const char *high_does;
} tm_console;
enum { TM_CONSOLE_ENV_NONE, TM_CONSOLE_ENV_SET, TM_CONSOLE_ENV_VALUE };
size_t tm_console_count(void);
const tm_console *tm_console_at(size_t i);
/* The console an image reference ("grafana/grafana:10.2", "quay.io/prometheus/prometheus@sha256:..")
 * runs, or NULL. */
const tm_console *tm_console_of_image(const char *image);
/* The command-line items of a container of image (NULL: not known, a build) that name a console
 * (console.c's COMMANDS: "flower", "prefect server start", "webserver"): each of items (a command's or
 * its arguments' entries, a `sh -c` string split into its words, a path's directories ignored) read
 * as one command line; the words, in a, at most max into out. Returns how many. */
size_t tm_console_command_items(tm_arena *a, const char *image, const char *const *items, size_t n, const char **out,
				size_t max);
/* The console a container of image runs with the command words commands (its
 * tm_console_command_items, NULL-terminated; NULL: none): a console its command names from any
 * image first, else its image's when the command agrees. */
const tm_console *tm_console_of_run(const char *image, const char *const *commands);
/* Does console k take setting item ("KEY=value") from a workload it depends on too (Airflow's
 * web user, created by its init container: _AIRFLOW_WWW_USER_*)? */
bool tm_console_setting_shared(const tm_console *k, const char *item);
/* The port a console's settings move it to (NIFI_WEB_HTTP_PORT, FRONTEND_GRPC_PORT), 0 when none. */
int tm_console_engine_port(const tm_console *k, const char *const *env);
/* Whether an environment setting is one a console reads: TM_CONSOLE_ENV_VALUE (keep "KEY=value" as a
 * console_env fact), TM_CONSOLE_ENV_SET (keep only "KEY": a credential), TM_CONSOLE_ENV_NONE. */
int tm_console_env_kind(const char *key);
/* The console_env item of setting key=value (value NULL: not known, from a Secret), in a: "KEY=value"
 * for a switch, "KEY" for a credential (its value never kept); NULL when no console reads key (or
 * memory ran out). */
const char *tm_console_env_item(tm_arena *a, const char *key, const char *value);
/* The same for a setting whose value the caller judged one everyone knows (a placeholder left as
 * written: ingest's tm_ingest__console_item): a console's password setting is kept as
 * "KEY=" TM_CONSOLE_KNOWN, which a condition's "KEY=~known" takes for one; any other key as
 * tm_console_env_item keeps it. */
const char *tm_console_env_item_known(tm_arena *a, const char *key, const char *value);
#define TM_CONSOLE_KNOWN "~known"
/* The console_env item of a mount at target (a container path, compose's ":ro" mode ignored):
 * the path, in a, when it is or is under a place where a console reads its own configuration
 * (Kibana's /usr/share/kibana/config); else NULL. */
const char *tm_console_mount_item(tm_arena *a, const char *target);
struct tm_value;
/* Is path (a container path) a console's own configuration file whose login setting is read
 * (AdGuard Home's /opt/adguardhome/conf/AdGuardHome.yaml)? */
bool tm_console_file_read(const char *path);
/* The console_env item such a file, parsed (root: its document), sets ("adguard.users=empty"), a
 * static string; NULL when path is no such file or the document does not say. */
const char *tm_console_file_item(const char *path, const struct tm_value *root);
/* The tag of an image reference ("datalust/seq:2024.3" -> "2024.3", *len its length; a digest
 * ignored), or NULL when it has none. TM-MESH-012 gives it to the conditions as the item "@TAG". */
const char *tm_console_image_tag(const char *image, size_t *len);
/* The store product whose security decides whether console k asks for a login ("elasticsearch"
 * for Kibana), or NULL. */
const char *tm_console_backend(const tm_console *k);
/* A database web client whose login form is the databases' own (phpMyAdmin, Adminer): the store
 * products its login form signs in to ("mysql"), those among them whose open state (auth none) lets
 * it in (its image refuses an empty password: Adminer, where only PostgreSQL's trust or an
 * Elasticsearch without security admits whatever is typed), the settings naming its server
 * ('|'-separated), the host its image signs in to when none is set, when its login is the store's
 * own (NULL: always; phpMyAdmin's PMA_USER signs it in) and when its form takes any server
 * (phpMyAdmin's PMA_ARBITRARY=1; NULL: always, Adminer). NULL when k is no such client. */
typedef struct {
	const char *product, *stores, *open_stores, *hosts, *default_host, *own_login, *arbitrary;
} tm_db_client;
const tm_db_client *tm_console_db_client(const tm_console *k);
/* A console's `when` that never holds: a console whose only risk is a login everyone knows. */
#define TM_CONSOLE_NEVER "never"

/* The `how` of the mounts edge from a workload to the credentials of its own configuration file or
 * image (ingest/calls.c writes it, rules/paths.c reads it: what the workload runs with). */
#define TM_HOW_OWN_CONFIG_FILE "its configuration file"
#define TM_HOW_OWN_IMAGE_ENV "written into its image (Dockerfile ENV)"
/* Is k a model-serving API (Ollama, vLLM, LiteLLM, Open WebUI...: TM-MESH-014), not an operations
 * console (TM-MESH-012)? Both are in one table, read the same way. */
bool tm_console_model_server(const tm_console *k);
/* The console_env items a command-line word names (word, then next, the word after it; a word
 * holding blanks, a `sh -c` string, is split into its own words): "--flag" for a flag the table reads
 * as set ("--api-key"), "--flag=value" for one it compares ("--model-control-mode=explicit"), in a,
 * at most max into out. Returns how many. */
size_t tm_console_flag_items(tm_arena *a, const char *word, const char *next, const char **out, size_t max);
/* How a reachable workload w's model server stands, from its images and console_env facts: 0 not a
 * model server or not open, else the tm_severity of what a visitor can do there (TM_SEV_HIGH: runs
 * or changes models or code), with *why a one-line reason for attack paths. A setting the files do
 * not decide is taken as not set, as TM-MESH-014 takes it. */
int tm_console_model_open(const tm_node *w, const char **why);
/* Does condition cond (a tm_console field) hold of the console_env items env (NULL-terminated)? A
 * setting the files do not decide, named by an item "?KEY" (passed through from where the project
 * runs) or "*source" (a whole Secret or ConfigMap not scanned: any key), is taken as not set, and
 * tm_console_decide then sets *assumed. A key set to a value the files do not show (a Secret's) is
 * set, and differs from every value. */
bool tm_console_decide(const char *cond, const char *const *env, bool *assumed);
/* Does condition cond read what console_env item ("?KEY", "*source") leaves undecided? */
bool tm_console_consults(const char *cond, const char *item);
bool tm_console_holds(const char *cond, const char *const *env);
/* Is v a password everyone knows (admin, password, changeme...: one list, also the data stores')? */
bool tm_console_known_password(const char *v);
/* The development mode console k runs in by its console_env items (Keycloak's start-dev, Ory's
 * serve --dev): what it turns off, a static string, with *ports its ports (two, 0 for none); NULL. */
const char *tm_console_dev_mode(const tm_console *k, const char *const *env, const int **ports);

#endif
