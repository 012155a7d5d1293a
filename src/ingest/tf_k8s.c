/*
 * tf_k8s.c - Terraform's Kubernetes and Helm providers, rendered in the plan: the configuration
 * (.tf, .tf.json, .tfvars) evaluated as the Terraform reader evaluates it (tf_config.c), then
 *
 *   - each kubernetes_* resource (and kubernetes_manifest, kubectl_manifest) becomes the object
 *     it creates, one render per root module ("infra/k8s [terraform]"), read by the Kubernetes
 *     ingester like any rendered manifest, every value located at the .tf line it came from;
 *   - each helm_release of a chart of the tree becomes a release of that chart (as an Argo CD
 *     Application or a Flux HelmRelease releases one: gitops.c), rendered with its values files,
 *     inline values and set / set_sensitive items into its namespace; a chart of a Helm repository
 *     or an OCI registry is not fetched, and one outside the tree is not read: said in a note.
 *
 * The provider's schema maps onto the API object mechanically: an attribute's snake_case name is
 * the field's camelCase name (service_account_name -> serviceAccountName), a nested block is an
 * object under that name (metadata, spec, template, security_context...). The exceptions are one
 * table (fields[]): blocks the API holds as lists, under their plural names (container ->
 * containers, port -> ports, rule -> rules, path -> paths...), maps whose keys are the user's
 * (labels, annotations, match_labels, a Service's selector, data: copied as written), names the
 * mechanical rule gets wrong (host_pid -> hostPID) and what the provider adds that no object holds
 * (wait_for_rollout, timeouts...). A Secret's data is plain text the provider encodes, so it is the
 * object's stringData (binary_data its data). kubernetes_manifest's manifest is the object as
 * written (yamldecode(file(...)) reads the file, positioned in it).
 *
 * What evaluation cannot decide stays "unknown (EXPRESSION)" in the object, and each resource
 * with such values gets a note listing them; count and for_each make one object, said. Objects
 * without a namespace are placed in "default", as the provider places them.
 *
 * The evaluator marks a nested block by a list whose position is its first object's: a map
 * written as an attribute (`labels = {...}`) is such a list too, which the table's MAP rows and
 * kubernetes_manifest undo. Work is linear in the evaluated values (which the evaluator bounds);
 * nesting is bounded by CONV_DEPTH.
 */
#include <stdio.h>
#include <stdlib.h>

#include "parse/hcl.h"
#include "scan_set.h"
#include "terraform.h"

#define CONV_DEPTH 64
#define TF_MAX_BYTES (1u << 20) /* as the Terraform reader: a larger .tf is not read */
#define UNKNOWNS_SHOWN 4

/* ---- the table ------------------------------------------------------------------------------- */

static const struct k8s_type {
	const char *type; /* the resource type, without a version suffix (_v1, _v2) unless it decides */
	const char *api_version, *kind;
} types[] = {
	{"kubernetes_deployment", "apps/v1", "Deployment"},
	{"kubernetes_stateful_set", "apps/v1", "StatefulSet"},
	{"kubernetes_daemonset", "apps/v1", "DaemonSet"},
	{"kubernetes_daemon_set", "apps/v1", "DaemonSet"},
	{"kubernetes_replication_controller", "v1", "ReplicationController"},
	{"kubernetes_pod", "v1", "Pod"},
	{"kubernetes_job", "batch/v1", "Job"},
	{"kubernetes_cron_job", "batch/v1", "CronJob"},
	{"kubernetes_service", "v1", "Service"},
	{"kubernetes_ingress", "networking.k8s.io/v1beta1", "Ingress"},
	{"kubernetes_ingress_v1", "networking.k8s.io/v1", "Ingress"},
	{"kubernetes_ingress_class", "networking.k8s.io/v1", "IngressClass"},
	{"kubernetes_network_policy", "networking.k8s.io/v1", "NetworkPolicy"},
	{"kubernetes_secret", "v1", "Secret"},
	{"kubernetes_config_map", "v1", "ConfigMap"},
	{"kubernetes_service_account", "v1", "ServiceAccount"},
	{"kubernetes_namespace", "v1", "Namespace"},
	{"kubernetes_role", "rbac.authorization.k8s.io/v1", "Role"},
	{"kubernetes_role_binding", "rbac.authorization.k8s.io/v1", "RoleBinding"},
	{"kubernetes_cluster_role", "rbac.authorization.k8s.io/v1", "ClusterRole"},
	{"kubernetes_cluster_role_binding", "rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
	{"kubernetes_persistent_volume_claim", "v1", "PersistentVolumeClaim"},
	{"kubernetes_persistent_volume", "v1", "PersistentVolume"},
	{"kubernetes_storage_class", "storage.k8s.io/v1", "StorageClass"},
	{"kubernetes_pod_disruption_budget", "policy/v1", "PodDisruptionBudget"},
	{"kubernetes_horizontal_pod_autoscaler", "autoscaling/v1", "HorizontalPodAutoscaler"},
	{"kubernetes_horizontal_pod_autoscaler_v2", "autoscaling/v2", "HorizontalPodAutoscaler"},
	{"kubernetes_limit_range", "v1", "LimitRange"},
	{"kubernetes_resource_quota", "v1", "ResourceQuota"},
	{"kubernetes_priority_class", "scheduling.k8s.io/v1", "PriorityClass"},
	{"kubernetes_endpoints", "v1", "Endpoints"},
};

enum shape {
	ONE,  /* a block: one object under the API's name */
	LIST, /* a block the API holds as a list: every occurrence an item */
	MAP,  /* keys that are the user's (labels, data): copied as written */
	NAME, /* an attribute whose API name the mechanical rule gets wrong */
	SKIP, /* Terraform's or the provider's own: no field of the object */
};

static const struct field {
	const char *tf;
	const char *under; /* the API key of the object it is in ("" the object itself), or NULL: any */
	const char *kind;  /* only in objects of this kind, or NULL */
	const char *api;
	enum shape shape;
} fields[] = {
	/* maps of the user's keys */
	{"labels", NULL, NULL, "labels", MAP},
	{"annotations", NULL, NULL, "annotations", MAP},
	{"match_labels", NULL, NULL, "matchLabels", MAP},
	{"node_selector", NULL, NULL, "nodeSelector", MAP},
	{"limits", NULL, NULL, "limits", MAP},
	{"requests", NULL, NULL, "requests", MAP},
	{"selector", "spec", "Service", "selector", MAP},
	{"selector", "spec", "ReplicationController", "selector", MAP},
	{"data", "", "Secret", "stringData", MAP}, /* plain text, which the provider encodes */
	{"binary_data", "", "Secret", "data", MAP},
	{"data", "", "ConfigMap", "data", MAP},
	{"binary_data", "", "ConfigMap", "binaryData", MAP},
	{"parameters", "", "StorageClass", "parameters", MAP},
	{"hard", NULL, NULL, "hard", MAP},
	{"capacity", NULL, NULL, "capacity", MAP},
	/* blocks the API holds as lists */
	{"port", "service", NULL, "port", ONE}, /* an Ingress backend's Service port */
	{"port", NULL, NULL, "ports", LIST},
	{"ports", NULL, NULL, "ports", LIST},
	{"container", NULL, NULL, "containers", LIST},
	{"init_container", NULL, NULL, "initContainers", LIST},
	{"env", NULL, NULL, "env", LIST},
	{"env_from", NULL, NULL, "envFrom", LIST},
	{"volume_mount", NULL, NULL, "volumeMounts", LIST},
	{"volume_device", NULL, NULL, "volumeDevices", LIST},
	{"volume", NULL, NULL, "volumes", LIST},
	{"toleration", NULL, NULL, "tolerations", LIST},
	{"image_pull_secrets", NULL, NULL, "imagePullSecrets", LIST},
	{"image_pull_secret", NULL, NULL, "imagePullSecrets", LIST},
	{"host_aliases", NULL, NULL, "hostAliases", LIST},
	{"readiness_gate", NULL, NULL, "readinessGates", LIST},
	{"topology_spread_constraint", NULL, NULL, "topologySpreadConstraints", LIST},
	{"sysctl", NULL, NULL, "sysctls", LIST},
	{"option", "dnsConfig", NULL, "options", LIST},
	{"http_header", NULL, NULL, "httpHeaders", LIST},
	{"secret", "", "ServiceAccount", "secrets", LIST},
	{"items", NULL, NULL, "items", LIST},
	{"sources", NULL, NULL, "sources", LIST},
	{"rule", NULL, NULL, "rules", LIST},
	{"path", "http", NULL, "paths", LIST},
	{"tls", NULL, NULL, "tls", LIST},
	{"subject", NULL, NULL, "subjects", LIST},
	{"ingress", "spec", "NetworkPolicy", "ingress", LIST},
	{"egress", "spec", "NetworkPolicy", "egress", LIST},
	{"from", NULL, NULL, "from", LIST},
	{"to", NULL, NULL, "to", LIST},
	{"match_expressions", NULL, NULL, "matchExpressions", LIST},
	{"match_fields", NULL, NULL, "matchFields", LIST},
	{"node_selector_term", NULL, NULL, "nodeSelectorTerms", LIST},
	{"volume_claim_template", NULL, NULL, "volumeClaimTemplates", LIST},
	{"cluster_role_selectors", NULL, NULL, "clusterRoleSelectors", LIST},
	{"subset", "", "Endpoints", "subsets", LIST},
	{"address", NULL, "Endpoints", "addresses", LIST},
	{"limit", "spec", "LimitRange", "limits", LIST},
	{"metric", NULL, NULL, "metrics", LIST},
	/* names the mechanical rule gets wrong */
	{"host_ipc", NULL, NULL, "hostIPC", NAME},
	{"host_pid", NULL, NULL, "hostPID", NAME},
	{"host_ip", NULL, NULL, "hostIP", NAME},
	{"cluster_ip", NULL, NULL, "clusterIP", NAME},
	{"cluster_ips", NULL, NULL, "clusterIPs", NAME},
	{"external_ips", NULL, NULL, "externalIPs", NAME},
	{"load_balancer_ip", NULL, NULL, "loadBalancerIP", NAME},
	{"non_resource_urls", NULL, NULL, "nonResourceURLs", NAME},
	{"pod_ip", NULL, NULL, "podIP", NAME},
	/* Terraform's and the provider's own */
	{"count", "", NULL, NULL, SKIP},
	{"for_each", "", NULL, NULL, SKIP},
	{"depends_on", "", NULL, NULL, SKIP},
	{"provider", "", NULL, NULL, SKIP},
	{"lifecycle", "", NULL, NULL, SKIP},
	{"timeouts", "", NULL, NULL, SKIP},
	{"connection", "", NULL, NULL, SKIP},
	{"provisioner", "", NULL, NULL, SKIP},
	{"wait_for_rollout", "", NULL, NULL, SKIP},
	{"wait_for_load_balancer", "", NULL, NULL, SKIP},
	{"wait_for_completion", "", NULL, NULL, SKIP},
	{"wait_for_default_service_account", "", NULL, NULL, SKIP},
	{"wait_for", "", NULL, NULL, SKIP},
	{"field_manager", "", NULL, NULL, SKIP},
	{"computed_fields", "", NULL, NULL, SKIP},
	{"resource_version", "metadata", NULL, NULL, SKIP},
	{"uid", "metadata", NULL, NULL, SKIP},
	{"generation", "metadata", NULL, NULL, SKIP},
};

/* Fields of IntOrString (and integer) type the provider takes as strings ("8080"): numbers. */
static const char *const numeric[] = {"port", "targetPort", "containerPort", "hostPort", "nodePort", "number", "replicas"};

bool tm_tf__k8s_type(const char *type)
{
	return type && (strncmp(type, "kubernetes_", 11) == 0 || strcmp(type, "helm_release") == 0 ||
			strcmp(type, "kubectl_manifest") == 0);
}

static const struct k8s_type *type_of(const char *type)
{
	char base[128];
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < TM_ARRAY_LEN(types); i++)
			if (strcmp(types[i].type, type) == 0)
				return &types[i];
		size_t n = strlen(type);
		if (pass || n < 4 || n >= sizeof(base) || type[n - 3] != '_' || type[n - 2] != 'v')
			return NULL;
		tm_formatf(base, sizeof(base), "%.*s", (int)(n - 3), type); /* kubernetes_service_v1 */
		type = base;
	}
	return NULL;
}

static const struct field *field_of(const char *tf, const char *under, const char *kind)
{
	for (size_t i = 0; i < TM_ARRAY_LEN(fields); i++) {
		const struct field *f = &fields[i];
		if (strcmp(f->tf, tf) == 0 && (!f->under || strcmp(f->under, under) == 0) &&
		    (!f->kind || strcmp(f->kind, kind) == 0))
			return f;
	}
	return NULL;
}

/* ---- conversion ------------------------------------------------------------------------------ */

typedef struct {
	tm_scan_set *set;
	const tm_file *ev; /* the evaluated configuration */
	tm_file *out;      /* the file the object is built in */
	const char *kind;
	tm_strbuf unknowns; /* "field = unknown (...)", the first UNKNOWNS_SHOWN */
	size_t nunknown;
	bool oom;
} conv;

static const char *str_of(const tm_value *v)
{
	return tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, NULL) : NULL;
}

/* A list the evaluator made of a block (or of a map written as an attribute): at its first object. */
static bool block_list(const tm_value *v)
{
	const tm_value *first = tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_seq_at(v, 0) : NULL;
	return tm_value_kind_of(first) == TM_VALUE_MAP && tm_value_line(first) == tm_value_line(v) &&
	       tm_value_col(first) == tm_value_col(v);
}

/* The object of a block (its first, when written more than once), or v itself when a map. */
static const tm_value *one_map(const tm_value *v)
{
	if (tm_value_kind_of(v) == TM_VALUE_MAP)
		return v;
	const tm_value *first = tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_seq_at(v, 0) : NULL;
	return tm_value_kind_of(first) == TM_VALUE_MAP ? first : NULL;
}

static void put(conv *c, tm_value *map, const char *key, tm_value *v)
{
	if (!v || !map || tm_map_append(c->out, map, key, v))
		c->oom = true;
}

static void unknown_seen(conv *c, const char *field, const tm_value *v)
{
	if (c->nunknown++ < UNKNOWNS_SHOWN)
		tm_strbuf_printf(&c->unknowns, "%s%s = %s", c->nunknown > 1 ? ", " : "", field, str_of(v));
}

static bool digits(const char *s, size_t n)
{
	if (!n || n > 9)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static tm_value *scalar(conv *c, const tm_value *v, const char *field)
{
	size_t len = 0;
	const char *s = tm_scalar_str(v, &len);
	if (tm_tf__is_unknown(v))
		unknown_seen(c, field, v);
	tm_value *r = NULL;
	bool num = false;
	for (size_t i = 0; i < TM_ARRAY_LEN(numeric) && !num; i++)
		num = strcmp(numeric[i], field) == 0;
	if (num && s && tm_scalar_type_of(v) == TM_SCALAR_STR && digits(s, len))
		r = tm_value_new_scalar(c->out, tm_value_loc(c->ev, v), TM_SCALAR_INT, s, len, false);
	else
		r = tm_value_copy(c->out, c->ev, v);
	if (!r)
		c->oom = true;
	return r;
}

/* A value as written (a manifest, labels): blocks the evaluator made of maps undone, keys kept. */
static tm_value *as_written(conv *c, const tm_value *v, const char *field, int depth)
{
	if (depth > CONV_DEPTH || c->oom)
		return NULL;
	if (block_list(v) && tm_value_len(v) == 1)
		v = tm_seq_at(v, 0);
	tm_value *r = NULL;
	switch (tm_value_kind_of(v)) {
	case TM_VALUE_MAP:
		r = tm_value_new_map(c->out, tm_value_loc(c->ev, v));
		for (size_t i = 0; r && i < tm_value_len(v); i++) {
			const char *k = str_of(tm_map_key(v, i));
			if (k)
				put(c, r, k, as_written(c, tm_map_value(v, i), k, depth + 1));
		}
		break;
	case TM_VALUE_SEQ:
		r = tm_value_new_seq(c->out, tm_value_loc(c->ev, v));
		for (size_t i = 0; r && i < tm_value_len(v); i++) {
			tm_value *item = as_written(c, tm_seq_at(v, i), field, depth + 1);
			if (!item || tm_seq_insert(c->out, r, tm_value_len(r), item))
				c->oom = true;
		}
		break;
	default:
		return scalar(c, v, field);
	}
	if (!r)
		c->oom = true;
	return r;
}

static tm_value *object(conv *c, const tm_value *m, const char *under, int depth);

/* v as JSON text onto sb: what jsonencode and yamlencode give (JSON is YAML). A part evaluation
 * could not decide is written as the template it stands for ("${var.x}"), so the text is judged
 * templated where it holds one, and the part is listed with the resource's unknowns. */
static void json_text(conv *c, tm_strbuf *sb, const tm_value *v, const char *field, int depth)
{
	if (depth > CONV_DEPTH) {
		tm_strbuf_puts(sb, "null");
		return;
	}
	if (block_list(v) && tm_value_len(v) == 1)
		v = tm_seq_at(v, 0);
	size_t n = tm_value_len(v);
	if (tm_value_kind_of(v) == TM_VALUE_MAP || tm_value_kind_of(v) == TM_VALUE_SEQ) {
		bool map = tm_value_kind_of(v) == TM_VALUE_MAP;
		tm_strbuf_putc(sb, map ? '{' : '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				tm_strbuf_putc(sb, ',');
			if (map) {
				json_text(c, sb, tm_map_key(v, i), field, depth + 1);
				tm_strbuf_putc(sb, ':');
			}
			json_text(c, sb, map ? tm_map_value(v, i) : tm_seq_at(v, i), field, depth + 1);
		}
		tm_strbuf_putc(sb, map ? '}' : ']');
		return;
	}
	size_t len = 0;
	const char *s = tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, &len) : NULL;
	int type = s ? (int)tm_scalar_type_of(v) : TM_SCALAR_NULL;
	if (!s || type == TM_SCALAR_NULL) {
		tm_strbuf_puts(sb, "null");
		return;
	}
	if (type == TM_SCALAR_BOOL || type == TM_SCALAR_INT || type == TM_SCALAR_FLOAT) {
		tm_strbuf_put(sb, s, len);
		return;
	}
	if (tm_tf__is_unknown(v)) {
		unknown_seen(c, field, v);
		s += 9, len -= 10; /* "unknown (EXPR)" -> "${EXPR}" */
		tm_strbuf_puts(sb, "\"${");
	} else {
		tm_strbuf_putc(sb, '"');
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			tm_strbuf_printf(sb, "\\%c", ch);
		else if (ch == '\n')
			tm_strbuf_puts(sb, "\\n");
		else if (ch < 0x20)
			tm_strbuf_printf(sb, "\\u%04x", ch);
		else
			tm_strbuf_putc(sb, (char)ch);
	}
	tm_strbuf_puts(sb, tm_tf__is_unknown(v) ? "}\"" : "\"");
}

/* A map of the user's keys whose values the API holds as strings (a Secret's or ConfigMap's data,
 * labels, annotations): a value jsonencode or yamlencode made is the text they give. */
static tm_value *string_map(conv *c, const tm_value *m, const char *field, int depth)
{
	if (tm_value_kind_of(m) != TM_VALUE_MAP)
		return as_written(c, m, field, depth);
	tm_value *r = tm_value_new_map(c->out, tm_value_loc(c->ev, m));
	for (size_t i = 0; r && i < tm_value_len(m) && !c->oom; i++) {
		const char *k = str_of(tm_map_key(m, i));
		const tm_value *val = tm_map_value(m, i);
		if (!k)
			continue;
		if (tm_value_kind_of(val) != TM_VALUE_MAP && tm_value_kind_of(val) != TM_VALUE_SEQ) {
			put(c, r, k, as_written(c, val, k, depth + 1));
			continue;
		}
		tm_strbuf sb = TM_STRBUF_INIT;
		json_text(c, &sb, val, k, depth + 1);
		tm_value *x = sb.oom ? NULL
				     : tm_value_new_scalar(c->out, tm_value_loc(c->ev, val), TM_SCALAR_STR,
							   sb.data ? sb.data : "", sb.len, true);
		tm_strbuf_dispose(&sb);
		put(c, r, k, x);
	}
	if (!r)
		c->oom = true;
	return r;
}

/* The camelCase of a snake_case name, into buf. */
static const char *camel(const char *tf, char *buf, size_t size)
{
	size_t n = 0;
	bool up = false;
	for (const char *p = tf; *p && n + 1 < size; p++) {
		if (*p == '_' && n) {
			up = true;
			continue;
		}
		buf[n++] = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		up = false;
	}
	buf[n] = '\0';
	return buf;
}

/* One attribute or block of an object (under: the object's API key) onto dst. */
static void pair(conv *c, tm_value *dst, const char *tf, const tm_value *v, const char *under, int depth)
{
	const struct field *f = field_of(tf, under, c->kind);
	if (f && f->shape == SKIP)
		return;
	char buf[128];
	const char *api = f ? f->api : camel(tf, buf, sizeof(buf));
	enum shape shape = f ? f->shape : block_list(v) ? ONE : NAME;
	tm_value *r = NULL;
	if (shape == MAP) {
		const tm_value *m = one_map(v);
		r = m ? string_map(c, m, api, depth + 1) : scalar(c, v, api);
	} else if (shape == ONE) {
		const tm_value *m = one_map(v);
		r = m ? object(c, m, api, depth + 1) : tm_value_kind_of(v) == TM_VALUE_SCALAR ? scalar(c, v, api) : NULL;
	} else if (tm_value_kind_of(v) == TM_VALUE_SEQ || (shape == LIST && tm_value_kind_of(v) == TM_VALUE_MAP)) {
		/* a list: blocks written one by one, or a list written as one value */
		r = tm_value_new_seq(c->out, tm_value_loc(c->ev, v));
		size_t n = tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_value_len(v) : 1;
		for (size_t i = 0; r && i < n; i++) {
			const tm_value *item = tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_seq_at(v, i) : v;
			tm_value *x = tm_value_kind_of(item) == TM_VALUE_MAP ? object(c, item, api, depth + 1)
					: tm_value_kind_of(item) == TM_VALUE_SCALAR ? scalar(c, item, api)
										 : as_written(c, item, api, depth + 1);
			if (!x || tm_seq_insert(c->out, r, tm_value_len(r), x))
				c->oom = true;
		}
		if (!r)
			c->oom = true;
	} else if (tm_value_kind_of(v) == TM_VALUE_MAP) {
		r = object(c, v, api, depth + 1);
	} else {
		r = scalar(c, v, api);
	}
	if (r)
		put(c, dst, api, r);
}

/* An object of the provider's schema as the API's (under: its own API key). */
static tm_value *object(conv *c, const tm_value *m, const char *under, int depth)
{
	if (depth > CONV_DEPTH || c->oom)
		return NULL;
	tm_value *r = tm_value_new_map(c->out, tm_value_loc(c->ev, m));
	if (!r) {
		c->oom = true;
		return NULL;
	}
	for (size_t i = 0; i < tm_value_len(m) && !c->oom; i++) {
		const char *k = str_of(tm_map_key(m, i));
		if (k)
			pair(c, r, k, tm_map_value(m, i), under, depth);
	}
	return r;
}

/* ---- the plan's side ------------------------------------------------------------------------- */

/* One root module's objects: a render, its files one per .tf file. */
struct group {
	const char *root;
	tm_file **outs;
	size_t nouts, cap;
	tm_hmap by_path; /* .tf path -> tm_file * */
	size_t objects;
	tm_loc first;
	const char **reads; /* the files its manifests read (yamldecode(file(...))): its inputs */
	size_t nreads, cap_reads;
	tm_hmap read_set; /* path -> itself: each once */
};

typedef struct {
	tm_scan_set *set;
	const tm_fsys *fs;
	const tm_file *ev;
	struct releases *rs;
	struct group *groups;
	size_t ngroups, cap_groups;
	tm_hmap by_root; /* root -> index + 1 */
	size_t releases;
} tfk;

static void note(tfk *t, int code, tm_loc at, const char *fmt, const char *a, const char *b, const char *c2)
{
	tm_diag_add(&t->set->diags, code, TM_LEVEL_NOTE, at, fmt, a, b, c2);
}

static struct group *group_of(tfk *t, const char *root)
{
	size_t at = (size_t)(uintptr_t)tm_hmap_get(&t->by_root, root, strlen(root));
	if (at)
		return &t->groups[at - 1];
	if (TM_GROW(t->groups, t->cap_groups, t->ngroups + 1) ||
	    tm_hmap_put(&t->by_root, root, strlen(root), (void *)(uintptr_t)(t->ngroups + 1))) {
		t->set->oom = 1;
		return NULL;
	}
	struct group *g = &t->groups[t->ngroups++];
	memset(g, 0, sizeof(*g));
	g->root = root;
	return g;
}

static tm_file *group_file(tfk *t, struct group *g, const char *path)
{
	tm_file *f = tm_hmap_get(&g->by_path, path, strlen(path));
	if (f)
		return f;
	f = tm_file_new_rendered(path);
	if (!f || TM_GROW(g->outs, g->cap, g->nouts + 1) || tm_hmap_put(&g->by_path, tm_file_path(f), strlen(path), f)) {
		tm_file_free(f);
		t->set->oom = 1;
		return NULL;
	}
	g->outs[g->nouts++] = f;
	return f;
}

/* The directory part of a path ("" at the top), in the set's arena. */
static const char *dir_of(tm_scan_set *set, const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? tm_arena_strndup(set->arena, path, (size_t)(slash - path)) : "";
}

/* A path as configuration writes it (a literal, or "${path.module}/x", "${path.root}/x"), as a
 * path of the tree: relative paths are the root module's (Terraform's working directory). NULL
 * when it holds another expression or leaves the tree. */
static const char *tree_path(tfk *t, const char *text, size_t len, const char *module_dir, const char *root)
{
	static const struct {
		const char *prefix;
		bool module;
	} bases[] = {{"${path.module}", true}, {"${path.root}", false}, {"${path.cwd}", false}};
	const char *base = root;
	for (size_t i = 0; i < TM_ARRAY_LEN(bases); i++) {
		size_t pl = strlen(bases[i].prefix);
		if (len >= pl && strncmp(text, bases[i].prefix, pl) == 0) {
			base = bases[i].module ? module_dir : root;
			text += pl, len -= pl;
			while (len && *text == '/')
				text++, len--;
			break;
		}
	}
	char rel[1024];
	if (len >= sizeof(rel) || memchr(text, '$', len) || memchr(text, '%', len) || (len && text[0] == '/'))
		return NULL;
	memcpy(rel, text, len);
	rel[len] = '\0';
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *r = tm_fsys_join(&sb, base, rel) ? NULL : tm_arena_strdup(t->set->arena, sb.data ? sb.data : "");
	tm_strbuf_dispose(&sb);
	return r;
}

/* The file a value reads as Terraform writes it: file("P"), templatefile("P", {...}), either under
 * yamldecode(...), kept unknown by the evaluator. The path's text and length (into the value's
 * text), and *templ for templatefile; NULL when it is not such a call. */
static const char *file_call(const tm_value *v, size_t *len, bool *templ)
{
	const char *s = str_of(v);
	if (!s || strncmp(s, "unknown (", 9) != 0)
		return NULL;
	s += 9;
	if (strncmp(s, "yamldecode(", 11) == 0)
		s += 11;
	*templ = strncmp(s, "templatefile(", 13) == 0;
	if (*templ)
		s += 13;
	else if (strncmp(s, "file(", 5) == 0)
		s += 5;
	else
		return NULL;
	while (*s == ' ')
		s++;
	if (*s != '"')
		return NULL;
	const char *p = ++s;
	while (*p && *p != '"' && *p != '\\')
		p++;
	if (*p != '"')
		return NULL;
	*len = (size_t)(p - s);
	return s;
}

/* kubernetes_manifest's manifest (or kubectl_manifest's yaml_body) read from the file its value
 * reads (yamldecode(file(...))): the file's first document, adopted by out, positioned in it. */
static tm_value *manifest_file(tfk *t, tm_file *out, const tm_value *v, struct group *g, const char *addr)
{
	const char *root = g->root;
	size_t len;
	bool templ;
	const char *p = file_call(v, &len, &templ);
	tm_loc at = tm_value_loc(t->ev, v);
	const char *path = p ? tree_path(t, p, len, dir_of(t->set, at.path), root) : NULL;
	if (!path) {
		note(t, p ? TM_EREMOTE : 0, at,
		     p ? "terraform %s: its manifest is %s, a file outside the scanned tree or a path the files do not "
			 "decide; not modelled"
		       : "terraform %s: its manifest is %s, which the files do not decide; not modelled",
		     addr, str_of(v) ? str_of(v) : "not an object", NULL);
		return NULL;
	}
	char *data = NULL;
	size_t n = 0;
	const char *why = NULL;
	int rc = t->fs->read(t->fs, path, t->set->limits.max_file_bytes, &data, &n, &why);
	tm_file *pf = NULL;
	if (!rc)
		rc = tm_file_parse(&pf, path, data, n, &t->set->limits, &t->set->diags);
	tm_free(data);
	if (rc == TM_ENOMEM)
		t->set->oom = 1;
	if (rc || !pf || !tm_file_doc_count(pf)) {
		tm_file_free(pf);
		note(t, 0, at, "terraform %s: its manifest reads %s, which %s; not modelled", addr, path,
		     rc == TM_ENOTFOUND ? "is not in the tree" : "could not be read as YAML");
		return NULL;
	}
	tm_value *doc = tm_file_doc_mut(pf, 0);
	if (tm_file_adopt(out, pf)) {
		t->set->oom = 1;
		return NULL;
	}
	/* the render's input: not scanned apart as a system of its own (add_renders) */
	if (!tm_hmap_get(&g->read_set, path, strlen(path))) {
		if (TM_GROW(g->reads, g->cap_reads, g->nreads + 1) || tm_hmap_put(&g->read_set, path, strlen(path), (void *)path))
			t->set->oom = 1;
		else
			g->reads[g->nreads++] = path;
	}
	if (templ)
		note(t, 0, at, "terraform %s: its manifest is the template %s, read as written (templatefile's variables "
			       "are not substituted)", addr, path, NULL);
	return doc;
}

/* A kubectl_manifest's yaml_body written in the .tf (a heredoc): parsed, each line at the .tf's. */
static tm_value *manifest_text(tfk *t, tm_file *out, const tm_value *v)
{
	size_t len;
	const char *s = tm_scalar_str(v, &len);
	tm_loc at = tm_value_loc(t->ev, v);
	tm_file *pf = NULL;
	tm_diag_list scratch = TM_DIAG_LIST_INIT;
	int rc = tm_file_parse(&pf, at.path, s, len, &t->set->limits, &scratch);
	tm_diag_list_dispose(&scratch);
	if (rc == TM_ENOMEM)
		t->set->oom = 1;
	if (rc || !pf || !tm_file_doc_count(pf)) {
		tm_file_free(pf);
		return NULL;
	}
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += s[i] == '\n';
	const char **paths = tm_calloc(lines, sizeof(char *));
	uint32_t *nums = tm_calloc(lines, sizeof(uint32_t));
	for (size_t i = 0; paths && nums && i < lines; i++) {
		paths[i] = at.path;
		nums[i] = at.line + 1 + (uint32_t)i; /* a heredoc's text starts below its opening */
	}
	if (!paths || !nums || tm_file_set_linemap(pf, paths, nums, lines))
		t->set->oom = 1;
	tm_free(paths);
	tm_free(nums);
	tm_value *doc = tm_file_doc_mut(pf, 0);
	if (tm_file_adopt(out, pf)) {
		t->set->oom = 1;
		return NULL;
	}
	return doc;
}

/* The root module's directory a resource was evaluated in ("root", tf_config.c), else its file's. */
static const char *root_of(tfk *t, const tm_value *res, tm_loc at)
{
	const char *r = tm_map_get_str(res, "root");
	return r ? tm_arena_strdup(t->set->arena, r) : dir_of(t->set, at.path);
}

/* Does a resource make no object (count = 0), or several (count, for_each: said)? */
static bool counted_out(tfk *t, const tm_value *vals, const char *addr)
{
	const tm_value *count = tm_map_get(vals, "count"), *each = tm_map_get(vals, "for_each");
	int64_t n = -1;
	if (count && !tm_scalar_int(count, &n) && n == 0)
		return true;
	if ((count && n != 1) || each)
		note(t, 0, tm_value_loc(t->ev, count ? count : each),
		     "terraform %s: %s makes its objects; modelled as one object", addr, count ? "count" : "for_each", NULL);
	return false;
}

static void k8s_resource(tfk *t, const tm_value *res, const char *type, const char *addr)
{
	const tm_value *vals = tm_map_get(res, "values");
	tm_loc at = tm_value_loc(t->ev, res);
	if (counted_out(t, vals, addr))
		return;
	struct group *g = group_of(t, root_of(t, res, at));
	tm_file *out = g ? group_file(t, g, at.path) : NULL;
	if (!out)
		return;
	conv c = {t->set, t->ev, out, NULL, TM_STRBUF_INIT, 0, false};
	tm_value *doc = NULL;
	const struct k8s_type *kt = type_of(type);
	if (strcmp(type, "kubernetes_manifest") == 0 || strcmp(type, "kubectl_manifest") == 0) {
		bool kubectl = strcmp(type, "kubectl_manifest") == 0;
		const tm_value *m = tm_map_get(vals, kubectl ? "yaml_body" : "manifest");
		const tm_value *obj = one_map(m);
		if (obj)
			doc = as_written(&c, obj, "manifest", 0);
		else if (kubectl && str_of(m) && !tm_tf__is_unknown(m))
			doc = manifest_text(t, out, m);
		else if (m)
			doc = manifest_file(t, out, m, g, addr);
		if (doc && !tm_map_get_str(doc, "kind"))
			note(t, 0, at, "terraform %s: its manifest names no kind; not modelled", addr, NULL, NULL), doc = NULL;
	} else if (kt) {
		c.kind = kt->kind;
		doc = tm_value_new_map(out, at);
		tm_value *av = tm_value_new_scalar(out, at, TM_SCALAR_STR, kt->api_version, strlen(kt->api_version), true);
		tm_value *kv = tm_value_new_scalar(out, at, TM_SCALAR_STR, kt->kind, strlen(kt->kind), true);
		put(&c, doc, "apiVersion", av);
		put(&c, doc, "kind", kv);
		for (size_t i = 0; doc && i < tm_value_len(vals) && !c.oom; i++) {
			const char *k = str_of(tm_map_key(vals, i));
			if (k)
				pair(&c, doc, k, tm_map_value(vals, i), "", 0);
		}
	} else {
		note(t, 0, at,
		     "terraform %s: a kubernetes provider resource that changes or reads objects made elsewhere (%s); "
		     "not modelled",
		     addr, type, NULL);
	}
	if (c.oom || c.unknowns.oom)
		t->set->oom = 1;
	if (doc && !c.oom && tm_file_add_doc(out, doc))
		t->set->oom = 1;
	else if (doc && !c.oom && !g->objects++)
		g->first = at;
	if (doc && c.nunknown) {
		char more[48] = "";
		if (c.nunknown > UNKNOWNS_SHOWN)
			tm_formatf(more, sizeof(more), " and %zu more", c.nunknown - UNKNOWNS_SHOWN);
		note(t, 0, at, "terraform %s: values the files do not decide are kept as written: %s%s", addr,
		     c.unknowns.data ? c.unknowns.data : "", more);
	}
	tm_strbuf_dispose(&c.unknowns);
}

/* ---- helm_release ---------------------------------------------------------------------------- */

/* What a release does not read, added to what it already says. */
static void unread(tfk *t, struct helm_release *r, const char *what)
{
	r->unread = r->unread ? tm_arena_printf(t->set->arena, "%s; %s", r->unread, what) : what;
}

/* set { name, value, type } blocks (or a list of such objects) onto r's sets; unknown values kept
 * as written and counted. */
static void release_sets(tfk *t, struct helm_release *r, const tm_value *vals, size_t *unknown)
{
	static const char *const keys[] = {"set", "set_sensitive", "set_string"};
	size_t n = 0;
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++)
		n += tm_value_kind_of(tm_map_get(vals, keys[k])) == TM_VALUE_SEQ ? tm_value_len(tm_map_get(vals, keys[k])) : 0;
	r->sets = n ? tm_arena_alloc(t->set->arena, n * sizeof(tm_helm_set)) : NULL;
	if (n && !r->sets) {
		t->set->oom = 1;
		return;
	}
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++) {
		const tm_value *list = tm_map_get(vals, keys[k]);
		for (size_t i = 0; tm_value_kind_of(list) == TM_VALUE_SEQ && i < tm_value_len(list); i++) {
			const tm_value *item = tm_seq_at(list, i);
			const char *name = tm_map_get_str(item, "name"), *value = tm_map_get_str(item, "value");
			const char *type = tm_map_get_str(item, "type");
			if (!name || !*name || !value)
				continue;
			*unknown += tm_tf__is_unknown(tm_map_get(item, "value"));
			r->sets[r->nsets++] = (tm_helm_set){name, value, k == 2 || (type && strcmp(type, "string") == 0)};
		}
	}
}

/* values = [file(...), templatefile(...), yamlencode({...}), <<-EOT ... EOT]: values files, inline
 * maps and a values text; what is none of those is named in r->unread. */
static void release_values(tfk *t, struct helm_release *r, const tm_value *list, const char *root)
{
	size_t n = tm_value_kind_of(list) == TM_VALUE_SEQ ? tm_value_len(list) : 0;
	r->values = n ? tm_arena_alloc(t->set->arena, n * sizeof(char *)) : NULL;
	r->docs = n ? tm_arena_alloc(t->set->arena, n * sizeof(tm_value *)) : NULL;
	if (n && (!r->values || !r->docs)) {
		t->set->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const tm_value *v = tm_seq_at(list, i);
		size_t len;
		bool templ = false;
		const char *p = file_call(v, &len, &templ);
		tm_loc at = tm_value_loc(t->ev, v);
		const char *path = p ? tree_path(t, p, len, dir_of(t->set, at.path), root) : NULL;
		if (one_map(v)) {
			r->docs[r->ndocs++] = one_map(v);
		} else if (path && t->fs->kind(t->fs, path) == TM_FSYS_FILE) {
			r->values[r->nvalues++] = path;
			if (templ)
				unread(t, r, "templatefile's variables in its values (the file is read as written)");
		} else if (path) {
			unread(t, r, tm_arena_printf(t->set->arena, "the values file %s, not in the tree", path));
		} else if (str_of(v) && !tm_tf__is_unknown(v) && !r->values_text) {
			r->values_text = v;
		} else {
			unread(t, r, tm_arena_printf(t->set->arena, "values the files do not decide (%s)",
						     str_of(v) ? str_of(v) : "an expression"));
		}
	}
}

static int release_cmp(const void *a, const void *b)
{
	const struct helm_release *x = a, *y = b;
	int c = strcmp(x->chart, y->chart);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* A chart written as a path, or from a repository: NULL when remote (said), else its directory. */
static const char *release_chart(tfk *t, const tm_value *vals, const char *addr, const char *root, tm_loc *at)
{
	const tm_value *cv = tm_map_get(vals, "chart");
	const char *chart = str_of(cv), *repo = tm_map_get_str(vals, "repository");
	*at = tm_value_loc(t->ev, cv);
	at->path = tm_arena_strdup(t->set->arena, at->path ? at->path : "");
	if (!chart)
		return NULL;
	bool remote = (repo && *repo) || strstr(chart, "://");
	if (remote) {
		note(t, TM_EREMOTE, *at,
		     "the Terraform helm_release %s deploys chart %s from %s: a chart of a Helm repository is not fetched, "
		     "so what it deploys is not modelled",
		     addr, chart, repo && *repo ? repo : "a registry");
		return NULL;
	}
	const char *text = chart;
	size_t len = strlen(chart);
	if (tm_tf__is_unknown(cv)) { /* "unknown (${path.module}/charts/x)": a template of the paths */
		text += 9;
		len = len > 10 ? len - 10 : 0;
	}
	bool decided = !tm_tf__is_unknown(cv) || strncmp(text, "${path.", 7) == 0;
	const char *dir = decided ? tree_path(t, text, len, dir_of(t->set, at->path), root) : NULL;
	char cy[PATH_MAX];
	if (dir)
		tm_formatf(cy, sizeof(cy), "%s%sChart.yaml", dir, *dir ? "/" : "");
	if (!dir || t->fs->kind(t->fs, cy) != TM_FSYS_FILE) {
		note(t, TM_EREMOTE, *at,
		     "the Terraform helm_release %s deploys chart %s, %s: what it deploys is not modelled", addr, chart,
		     dir ? "which is no chart of the scanned tree" : "a path outside the scanned tree or not decided by the files");
		return NULL;
	}
	return dir;
}

static void helm_resource(tfk *t, const tm_value *res, const char *addr)
{
	const tm_value *vals = tm_map_get(res, "values");
	tm_loc rat = tm_value_loc(t->ev, res);
	if (counted_out(t, vals, addr))
		return;
	const char *root = root_of(t, res, rat);
	tm_loc at;
	const char *dir = release_chart(t, vals, addr, root, &at);
	if (!dir)
		return;
	const char *name = tm_map_get_str(vals, "name"), *ns = tm_map_get_str(vals, "namespace");
	if (name && tm_tf__is_unknown(tm_map_get(vals, "name")))
		name = NULL;
	if (!ns)
		ns = "default"; /* the provider's default */
	struct helm_release r = {.tool = "Terraform helm_release", .app = tm_arena_strdup(t->set->arena, addr), .chart = dir,
				 .ns = tm_ingest__dns_label(ns) ? tm_arena_strdup(t->set->arena, ns) : NULL,
				 .release = name ? tm_arena_strdup(t->set->arena, name) : NULL, .at = at, .top = NULL,
				 .from_render = -1, .via = NULL};
	release_values(t, &r, tm_map_get(vals, "values"), root);
	size_t unknown = 0;
	release_sets(t, &r, vals, &unknown);
	if (unknown)
		unread(t, &r, tm_arena_printf(t->set->arena, "%zu set value%s the files do not decide (kept as written)",
					      unknown, unknown == 1 ? "" : "s"));
	if (TM_GROW(t->rs->r, t->rs->cap, t->rs->n + 1)) {
		t->set->oom = 1;
		return;
	}
	r.seq = t->rs->n;
	t->rs->r[t->rs->n++] = r;
	t->releases++;
}

/* ---- reading the configuration ----------------------------------------------------------------- */

static bool mentions(const char *s, size_t n)
{
	static const char *const marks[] = {"kubernetes_", "helm_release", "kubectl_manifest"};
	for (size_t m = 0; m < TM_ARRAY_LEN(marks); m++) {
		size_t ml = strlen(marks[m]);
		for (const char *p = s; n >= ml && (p = memchr(p, marks[m][0], (size_t)(s + n - p))) != NULL; p++)
			if ((size_t)(s + n - p) >= ml && memcmp(p, marks[m], ml) == 0)
				return true;
	}
	return false;
}

static bool tf_json(const char *path)
{
	size_t n = strlen(path);
	return n > 8 && strcmp(path + n - 8, ".tf.json") == 0;
}

/* The configuration files of the tree, parsed (HCL) or as the plan parsed them (.tf.json), into
 * srcs; owned files into owned. Nothing is parsed (false) when no file mentions the providers'
 * resources: a tree of other Terraform pays one read of its files. */
static bool read_sources(tfk *t, tm_tf_src **srcs, size_t *n, tm_file ***owned, size_t *nowned)
{
	tm_scan_set *set = t->set;
	bool any = false;
	char **texts = tm_calloc(set->ncands + 1, sizeof(char *));
	size_t *lens = tm_calloc(set->ncands + 1, sizeof(size_t));
	if (!texts || !lens) {
		set->oom = 1;
		goto done;
	}
	for (size_t i = 0; i < set->ncands; i++) {
		struct candidate *c = &set->cands[i];
		const char *why = NULL;
		if (tf_json(c->display) && c->file) {
			const tm_value *rs = tm_map_get(tm_file_doc(c->file, 0), "resource");
			for (size_t k = 0; tm_value_kind_of(rs) == TM_VALUE_MAP && k < tm_value_len(rs); k++)
				any = any || tm_tf__k8s_type(str_of(tm_map_key(rs, k)));
		} else if (c->hcl && !t->fs->read(t->fs, c->display, TF_MAX_BYTES, &texts[i], &lens[i], &why)) {
			any = any || mentions(texts[i], lens[i]);
		}
	}
	size_t cap = 0, capo = 0;
	tm_diag_list scratch = TM_DIAG_LIST_INIT; /* the Terraform reader says what is wrong with them */
	for (size_t i = 0; any && i < set->ncands && !set->oom; i++) {
		struct candidate *c = &set->cands[i];
		const tm_file *f = NULL;
		if (tf_json(c->display) && c->file) {
			f = c->file;
		} else if (texts[i]) {
			tm_file *pf = NULL;
			int rc = tm_hcl_parse(&pf, c->display, texts[i], lens[i], &set->limits, &scratch);
			if (rc == TM_ENOMEM || (pf && TM_GROW(*owned, capo, *nowned + 1))) {
				tm_file_free(pf);
				set->oom = 1;
				break;
			}
			if (!pf)
				continue;
			(*owned)[(*nowned)++] = pf;
			f = pf;
		} else {
			continue;
		}
		if (TM_GROW(*srcs, cap, *n + 1)) {
			set->oom = 1;
			break;
		}
		size_t dl = strlen(c->display);
		tm_tf_src *s = &(*srcs)[(*n)++];
		memset(s, 0, sizeof(*s));
		s->dir = dir_of(set, c->display);
		s->path = c->display;
		s->f = f;
		s->root = tm_file_doc(f, 0);
		s->tfvars = dl > 7 && strcmp(c->display + dl - 7, ".tfvars") == 0;
	}
	tm_diag_list_dispose(&scratch);
done:
	for (size_t i = 0; texts && i < set->ncands; i++)
		tm_free(texts[i]);
	tm_free(texts);
	tm_free(lens);
	return any && *n;
}

/* The renders of the groups, and a note each. */
static void add_renders(tfk *t)
{
	tm_scan_set *set = t->set;
	for (size_t i = 0; i < t->ngroups; i++) {
		struct group *g = &t->groups[i];
		tm_hmap_dispose(&g->by_path);
		tm_hmap_dispose(&g->read_set);
		bool oom = false;
		for (size_t k = 0; k < g->nouts; k++)
			tm_scan__place_in_namespace(g->outs[k], "default", NULL, false, &oom);
		if (oom || TM_GROW(set->renders, set->cap_renders, set->nrenders + 1)) {
			set->oom = 1;
		}
		if (set->oom || !g->objects) {
			for (size_t k = 0; k < g->nouts; k++)
				tm_file_free(g->outs[k]);
			tm_free(g->outs);
			tm_free(g->reads);
			continue;
		}
		struct render *rd = &set->renders[set->nrenders];
		memset(rd, 0, sizeof(*rd));
		rd->name = tm_arena_printf(set->arena, "%s [terraform]", *g->root ? g->root : ".");
		rd->format = TM_FMT_TERRAFORM_CONFIG;
		rd->outs = g->outs;
		rd->nouts = g->nouts;
		rd->consumed = tm_calloc(g->nreads + 1, sizeof(size_t));
		rd->item = rd->only_sysdef = rd->parent = -1;
		rd->d0 = rd->d1 = set->diags.count;
		if (!rd->name || !rd->consumed) {
			tm_free(rd->consumed);
			for (size_t k = 0; k < g->nouts; k++)
				tm_file_free(g->outs[k]);
			tm_free(g->outs);
			tm_free(g->reads);
			set->oom = 1;
			continue;
		}
		/* the files its manifests read, once each: its inputs, as a kustomization's are */
		for (size_t k = 0; k < g->nreads; k++) {
			struct candidate *cd = tm_scan__find_cand(set, g->reads[k]);
			if (!cd)
				continue;
			rd->consumed[rd->nconsumed++] = (size_t)(cd - set->cands);
			if (cd->render < 0)
				cd->render = (int)set->nrenders;
			if (!cd->owner)
				cd->owner = rd->name;
		}
		tm_free(g->reads);
		set->nrenders++;
		tm_diag_add(&set->diags, 0, TM_LEVEL_NOTE, g->first,
			    "the Terraform configuration of %s creates %zu Kubernetes object%s (the kubernetes provider's "
			    "resources): modelled as those objects, located at their .tf lines",
			    *g->root ? g->root : "the scan's root", g->objects, g->objects == 1 ? "" : "s");
	}
	tm_free(t->groups);
	t->groups = NULL;
	t->ngroups = 0;
	tm_hmap_dispose(&t->by_root);
}

void tm_tf_k8s__plan(tm_scan_set *set, const tm_fsys *fs, struct releases *rs)
{
	tfk t;
	memset(&t, 0, sizeof(t));
	t.set = set;
	t.fs = fs;
	t.rs = rs;
	tm_tf_src *srcs = NULL;
	size_t n = 0, nowned = 0;
	tm_file **owned = NULL;
	tm_arena *scratch = NULL;
	tm_file *ev = NULL;
	if (!read_sources(&t, &srcs, &n, &owned, &nowned) || set->oom)
		goto done;
	scratch = tm_arena_new();
	ev = tm_file_new_rendered(srcs[0].path);
	if (!scratch || !ev) {
		set->oom = 1;
		goto done;
	}
	/* evaluated as the Terraform reader evaluates it, which says what it could not follow */
	tm_diag_list quiet = TM_DIAG_LIST_INIT;
	tm_ingest_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.diags = &quiet;
	ctx.scratch = scratch;
	const tm_value *doc = tm_tf__eval(&ctx, ev, srcs, n);
	tm_diag_list_dispose(&quiet);
	if (!doc) {
		if (tm_arena_failed(scratch))
			set->oom = 1;
		goto done;
	}
	t.ev = ev;
	const tm_value *list = tm_map_get(tm_map_get(tm_map_get(doc, "planned_values"), "root_module"), "resources");
	for (size_t i = 0; i < tm_value_len(list) && !set->oom; i++) {
		const tm_value *res = tm_seq_at(list, i);
		const char *type = tm_map_get_str(res, "type"), *addr = tm_map_get_str(res, "address");
		if (!type || !addr || !tm_tf__k8s_type(type))
			continue;
		if (strcmp(type, "helm_release") == 0)
			helm_resource(&t, res, addr);
		else
			k8s_resource(&t, res, type, addr);
	}
	add_renders(&t);
	if (t.releases && rs->n > 1)
		qsort(rs->r, rs->n, sizeof(*rs->r), release_cmp);
done:
	/* the objects copied what they took (or adopted the files they read): the evaluation goes */
	for (size_t i = 0; i < n; i++)
		tm_file_free(srcs[i].aux);
	for (size_t i = 0; i < nowned; i++)
		tm_file_free(owned[i]);
	if (t.groups) /* stopped before the renders were made */
		add_renders(&t);
	tm_free(owned);
	tm_free(srcs);
	/* the releases' values, sets and values texts are the evaluation's: kept with the plan */
	if (t.releases && !set->oom)
		set->tf_eval = ev;
	else
		tm_file_free(ev);
	tm_arena_free(scratch);
}
