/*
 * k8s.c - Kubernetes manifests: workloads, Services, Ingress, ServiceAccounts, Namespaces.
 *
 * Objects are collected as documents arrive and linked in finish(), because a
 * Service and the Deployment it selects usually live in different files.
 *
 * Model mapping:
 *   workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod)
 *       -> service node "service:<ns>/<name>", runs-as its ServiceAccount
 *   ServiceAccount (declared, or named by a pod spec) -> identity "identity:k8s:<ns>/<name>"
 *   Service LoadBalancer/NodePort -> entrypoint:internet routes-> selected workloads
 *   Service ExternalName -> external node "external:<host>"
 *   Ingress -> gateway "gateway:<ns>/<name>", entrypoint:internet routes-> it routes-> backends
 *   OpenShift Route, Contour HTTPProxy (k8s_contour.c) -> the same, as an Ingress
 * Objects without metadata.namespace are placed in "default", as kubectl would
 * with a default context, or in the one Namespace the system's files declare when every object
 * naming a namespace names it (ctx->implicit_ns); the report states that assumption on each node.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "k8s.h"

#define obj tm_k8s_obj
#define k8s tm_k8s
#define svc_target tm_k8s_svc

static void *k8s_begin(tm_ingest_ctx *ctx)
{
	struct k8s *k = tm_calloc(1, sizeof(*k));
	if (k)
		k->arena = ctx->scratch; /* shared: scan.c checks it for failed allocations */
	return k;
}

static void k8s_end(void *state)
{
	struct k8s *k = state;
	if (!k)
		return;
	tm_free(k->objs);
	tm_hmap_dispose(&k->services);
	tm_hmap_dispose(&k->configmaps);
	tm_hmap_dispose(&k->pods);
	tm_hmap_dispose(&k->named);
	tm_hmap_dispose(&k->bad_ns);
	tm_hmap_dispose(&k->generated);
	tm_hmap_dispose(&k->ingress_ctls);
	tm_hmap_dispose(&k->ingress_classes);
	tm_hmap_dispose(&k->dapr_apps);
	tm_hmap_dispose(&k->dapr_ns);
	tm_free(k->sgrants);
	tm_free(k);
}

/* The kinds this version turns into facts, each under the API groups that define it (the group of
 * apiVersion: "" for the core "v1"). A kind under another group is another object: a Knative
 * Service (serving.knative.dev) is no core Service, and is read as what it is. Returns the kind the
 * object is modelled as, or NULL. A document without apiVersion is taken at its kind's word. */
static const char *modelled_kind(const char *kind, const char *api, bool *misplaced)
{
	*misplaced = false;
	static const struct {
		const char *kind, *groups, *as; /* groups: '|'-separated; as: NULL for kind itself */
	} kinds[] = {
		{"Namespace", "", NULL}, {"ServiceAccount", "", NULL}, {"Pod", "", NULL}, {"Service", "", NULL},
		{"Secret", "", NULL}, {"ConfigMap", "", NULL}, {"LimitRange", "", NULL}, {"ResourceQuota", "", NULL},
		{"ReplicationController", "", NULL},
		{"Deployment", "apps|extensions", NULL}, {"DaemonSet", "apps|extensions", NULL},
		{"ReplicaSet", "apps|extensions", NULL}, {"StatefulSet", "apps", NULL},
		{"Job", "batch", NULL}, {"CronJob", "batch", NULL},
		{"Ingress", "networking.k8s.io|extensions", NULL}, {"IngressClass", "networking.k8s.io", NULL},
		{"NetworkPolicy", "networking.k8s.io|extensions", NULL},
		{"Role", "rbac.authorization.k8s.io", NULL}, {"ClusterRole", "rbac.authorization.k8s.io", NULL},
		{"RoleBinding", "rbac.authorization.k8s.io", NULL},
		{"ClusterRoleBinding", "rbac.authorization.k8s.io", NULL},
		{"SealedSecret", "bitnami.com", NULL}, {"ExternalSecret", "external-secrets.io|kubernetes-client.io", NULL},
		{"Certificate", "cert-manager.io", NULL},
		{"Service", "serving.knative.dev", "KnativeService"},
		{"DomainMapping", "serving.knative.dev", "KnativeDomainMapping"},
		{"Broker", "eventing.knative.dev", "KnativeBroker"}, {"Trigger", "eventing.knative.dev", "KnativeTrigger"},
		{"SinkBinding", "sources.knative.dev", "KnativeSinkBinding"},
		/* OpenShift: "" for the legacy apiVersion v1 its templates still write (k8s_openshift.c) */
		{"Route", "route.openshift.io|", NULL}, {"DeploymentConfig", "apps.openshift.io|", NULL},
		/* KEDA: the Jobs a ScaledJob starts, from its spec.jobTargetRef.template */
		{"ScaledJob", "keda.sh", NULL},
		{"CiliumNetworkPolicy", "cilium.io", NULL}, {"CiliumClusterwideNetworkPolicy", "cilium.io", NULL},
		/* Calico's own (k8s_calico.c): not Kubernetes' NetworkPolicy */
		{"NetworkPolicy", "projectcalico.org|crd.projectcalico.org", "CalicoNetworkPolicy"},
		{"GlobalNetworkPolicy", "projectcalico.org|crd.projectcalico.org", "CalicoGlobalNetworkPolicy"},
		{"KongPlugin", "configuration.konghq.com", NULL}, {"KongClusterPlugin", "configuration.konghq.com", NULL},
		{"BackendConfig", "cloud.google.com", NULL},
		{"IngressRoute", "traefik.io|traefik.containo.us", NULL},
		{"IngressRouteTCP", "traefik.io|traefik.containo.us", NULL},
		{"IngressRouteUDP", "traefik.io|traefik.containo.us", NULL},
		{"Middleware", "traefik.io|traefik.containo.us", NULL},
		{"MiddlewareTCP", "traefik.io|traefik.containo.us", NULL},
		{"TraefikService", "traefik.io|traefik.containo.us", NULL},
		{"HTTPProxy", "projectcontour.io", NULL},
		{"Mapping", "getambassador.io|x.getambassador.io", NULL}, {"AuthService", "getambassador.io|x.getambassador.io", NULL},
		{"RateLimitService", "getambassador.io|x.getambassador.io", NULL}, {"Host", "getambassador.io|x.getambassador.io", NULL},
		{"VirtualServer", "k8s.nginx.org", NULL}, {"VirtualServerRoute", "k8s.nginx.org", NULL},
		{"Policy", "k8s.nginx.org", "NginxPolicy"}, /* not Kyverno's (k8s_admission.c) */
		{"ApisixRoute", "apisix.apache.org", NULL}, {"ApisixPluginConfig", "apisix.apache.org", NULL},
		{"ApisixTls", "apisix.apache.org", NULL},
		{"Server", "policy.linkerd.io", NULL}, {"ServerAuthorization", "policy.linkerd.io", NULL},
		{"AuthorizationPolicy", "policy.linkerd.io", "LinkerdAuthorizationPolicy"}, /* not Istio's (istio.c) */
		{"MeshTLSAuthentication", "policy.linkerd.io", NULL}, {"NetworkAuthentication", "policy.linkerd.io", NULL},
		{"HTTPRoute", "policy.linkerd.io", "LinkerdHTTPRoute"}, /* not the Gateway API's (gatewayapi.c) */
		/* other meshes' access policies, recorded as not evaluated (k8s_meshauth.c) */
		{"ServiceIntentions", "consul.hashicorp.com", "ConsulServiceIntentions"},
		{"MeshTrafficPermission", "kuma.io", "KumaMeshTrafficPermission"},
		{"TrafficPermission", "kuma.io", "KumaTrafficPermission"},
		{"TrafficTarget", "access.smi-spec.io", "SMITrafficTarget"},
		/* a Gateway API route attached to a Linkerd Server, which the scan also hands here (scan.c) */
		{"HTTPRoute", "gateway.networking.k8s.io", "LinkerdGatewayHTTPRoute"},
		{"GRPCRoute", "gateway.networking.k8s.io", "LinkerdGatewayGRPCRoute"},
		/* GitOps releases: only the inline values of a chart the scan does not hold (release_values) */
		{"HelmRelease", "helm.toolkit.fluxcd.io", NULL}, {"Application", "argoproj.io", "ArgoApplication"},
		/* Argo Rollouts: a Deployment with a rollout strategy (one that points at a Deployment by
		 * spec.workloadRef has no template: that Deployment is the workload) */
		{"Rollout", "argoproj.io", NULL},
		/* Dapr's (k8s_dapr.c); Subscription, HTTPEndpoint and Resiliency are not read */
		{"Component", "dapr.io", "DaprComponent"}, {"Configuration", "dapr.io", "DaprConfiguration"},
		/* Strimzi's Kafka operator (k8s_strimzi.c) */
		{"Kafka", "kafka.strimzi.io", "StrimziKafka"}, {"KafkaNodePool", "kafka.strimzi.io", "StrimziKafkaNodePool"},
		{"KafkaUser", "kafka.strimzi.io", "StrimziKafkaUser"}, {"KafkaTopic", "kafka.strimzi.io", "StrimziKafkaTopic"},
		/* stores that operators run (k8s_operated.c) */
		{"RabbitmqCluster", "rabbitmq.com", NULL}, {"Cluster", "postgresql.cnpg.io|postgresql.k8s.enterprisedb.io", "CNPGCluster"},
		{"postgresql", "acid.zalan.do", "ZalandoPostgresql"},
		{"PostgresCluster", "postgres-operator.crunchydata.com", NULL},
		{"Elasticsearch", "elasticsearch.k8s.elastic.co", "ECKElasticsearch"},
		{"MongoDBCommunity", "mongodbcommunity.mongodb.com", NULL},
		{"RedisFailover", "databases.spotahome.com", NULL},
		{"Redis", "redis.redis.opstreelabs.in", "OTRedis"}, {"RedisCluster", "redis.redis.opstreelabs.in", "OTRedis"},
		{"RedisReplication", "redis.redis.opstreelabs.in", "OTRedis"},
		{"MariaDB", "k8s.mariadb.com|mariadb.mmontes.io", NULL},
		/* GitHub Actions Runner Controller's runners (k8s_arc.c) */
		{"AutoscalingRunnerSet", "actions.github.com", NULL},
		{"RunnerDeployment", "actions.summerwind.dev", NULL}, {"RunnerSet", "actions.summerwind.dev", NULL},
	};
	const char *slash = api ? strchr(api, '/') : NULL;
	size_t glen = slash ? (size_t)(slash - api) : 0;
	for (size_t i = 0; i < TM_ARRAY_LEN(kinds); i++) {
		if (strcmp(kind, kinds[i].kind) != 0)
			continue;
		if (!api)
			return kinds[i].as ? NULL : kind; /* unsure what it is: the core kind, as before */
		for (const char *g = kinds[i].groups;; g += strcspn(g, "|") + 1) {
			size_t n = strcspn(g, "|");
			if (n == glen && strncmp(g, api, n) == 0)
				return kinds[i].as ? kinds[i].as : kind;
			if (!g[n])
				break;
		}
		/* a kind of another group under the core one: a slip the API server refuses */
		*misplaced = *misplaced || !slash;
	}
	return NULL;
}

static bool k8s_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
		    const char *detail)
{
	struct k8s *k = state;
	bool admission = k && tm_k8s__admission_kind(detail, root);
	const char *api = tm_map_get_str(root, "apiVersion");
	bool misplaced = false;
	const char *kind = k && !admission ? modelled_kind(detail, api, &misplaced) : detail;
	if (misplaced)
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, root),
			    "apiVersion %s does not serve kind %s; the API server would refuse this object, so it is "
			    "not modelled", api, detail);
	/* Dapr components a compose project bind-mounts into its daprd sidecars are its configuration,
	 * not a cluster's objects: recognised, not modelled */
	if (!k || !kind || (ctx->compose_config && strncmp(kind, "Dapr", 4) == 0))
		return false;
	const tm_value *meta = tm_map_get(root, "metadata");
	const char *name = tm_map_get_str(meta, "name");
	const char *gen = name ? NULL : tm_map_get_str(meta, "generateName");
	if (gen && *gen) {
		/* a hook Job or a Pod the API server names (Argo CD's and Helm's hooks): modelled under the
		 * name it gets, its five random characters written as xxxxx; a second object of the kind
		 * with the same prefix is another object (the API server names each anew): xxxx2, xxxx3 */
		char *key = tm_arena_printf(k->arena, "%s\x1f%s", detail, gen);
		uintptr_t seen = key ? (uintptr_t)tm_hmap_get(&k->generated, key, strlen(key)) : 0;
		if (key && tm_hmap_put(&k->generated, key, strlen(key), (void *)(seen + 1)))
			tm_arena_set_failed(ctx->scratch);
		if (!seen)
			name = tm_arena_printf(k->arena, "%sxxxxx", gen);
		else {
			char n[24];
			int w = snprintf(n, sizeof n, "%ju", (uintmax_t)(seen + 1));
			name = tm_arena_printf(k->arena, "%s%.*s%s", gen, w < 5 ? 5 - w : 0, "xxxxx", n);
		}
	}
	if (!name) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_NOTE, tm_ingest__loc(f, root),
			    "%s without metadata.name; not modelled", detail);
		return false;
	}
	if (TM_GROW(k->objs, k->cap, k->n + 1))
		return false;
	struct obj *o = &k->objs[k->n++];
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->v = root;
	o->kind = kind;
	o->name = name;
	o->ns = tm_map_get_str(meta, "namespace");
	if (o->ns && !*o->ns)
		o->ns = NULL; /* an empty namespace (a value left unset) is none, as kubectl reads it */
	if (o->ns && !tm_ingest__dns_label(o->ns) && !tm_hmap_get(&k->bad_ns, o->ns, strlen(o->ns))) {
		/* a placeholder left to fill in (YOUR_NAMESPACE): said once per name */
		if (tm_hmap_put(&k->bad_ns, o->ns, strlen(o->ns), (void *)o->ns))
			tm_arena_set_failed(ctx->scratch);
		if (strpbrk(o->ns, "${}#()<>%@")) /* ${NAMESPACE}, $(POD_NAMESPACE), #{ns}#: filled in before apply */
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(f, tm_map_get(meta, "namespace")),
				    "namespace '%s' is a placeholder a tool fills in before kubectl apply: its objects are "
				    "modelled in a namespace of that name, as written",
				    o->ns);
		else
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(f, tm_map_get(meta, "namespace")),
				    "namespace '%s' is no name the API server takes (lowercase letters, digits and '-', at "
				    "most 63): kubectl apply refuses every object placed there; modelled as written (a "
				    "placeholder left to fill in?)",
				    o->ns);
	}
	o->cluster_scoped = strcmp(kind, "Namespace") == 0 || strcmp(kind, "ClusterRole") == 0 ||
			    strcmp(kind, "ClusterRoleBinding") == 0 || strcmp(kind, "CiliumClusterwideNetworkPolicy") == 0 ||
			    strcmp(kind, "KongClusterPlugin") == 0 || strcmp(kind, "CalicoGlobalNetworkPolicy") == 0 ||
			    (admission && strcmp(kind, "Policy") != 0);
	o->ns_implicit = !o->ns && !o->cluster_scoped;
	if (strcmp(detail, "LimitRange") == 0 || strcmp(detail, "ResourceQuota") == 0)
		k->nlimits++;
	if (!o->ns)
		o->ns = o->cluster_scoped ? "" : ctx->implicit_ns ? ctx->implicit_ns : "default";
	if (strcmp(kind, "KnativeService") == 0)
		tm_k8s__cloud_run_mark(k, o);
	return true;
}

bool tm_k8s__is(const struct obj *o, const char *kind)
{
	return strcmp(o->kind, kind) == 0;
}

/* Where a workload kind holds its pod template, dot-separated under the object ("": a Pod is its
 * own); NULL if o is not a workload. */
static const char *template_path(const struct obj *o)
{
	static const struct {
		const char *kind, *path;
	} paths[] = {
		{"Deployment", "spec.template"}, {"StatefulSet", "spec.template"}, {"DaemonSet", "spec.template"},
		{"ReplicaSet", "spec.template"}, {"Job", "spec.template"}, {"ReplicationController", "spec.template"},
		{"KnativeService", "spec.template"}, {"CloudRunService", "spec.template"}, {"Rollout", "spec.template"},
		{"DeploymentConfig", "spec.template"},
		{"CronJob", "spec.jobTemplate.spec.template"}, {"ScaledJob", "spec.jobTargetRef.template"}, {"Pod", ""},
		{"AutoscalingRunnerSet", "spec.template"}, {"RunnerDeployment", "spec.template"}, {"RunnerSet", "spec.template"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(paths); i++)
		if (tm_k8s__is(o, paths[i].kind))
			return paths[i].path;
	return NULL;
}

/* The value at path under o (NULL if a step is missing); *bad: the first value on the way that is
 * no mapping where one must be (the template itself included), or NULL. */
static const tm_value *template_at(const struct obj *o, const char *path, const tm_value **bad)
{
	const tm_value *v = o->v;
	*bad = NULL;
	for (const char *p = path; v && *p; p += strcspn(p, ".") + (p[strcspn(p, ".")] == '.')) {
		char step[32];
		tm_formatf(step, sizeof(step), "%.*s", (int)strcspn(p, "."), p);
		if (tm_value_kind_of(v) != TM_VALUE_MAP) {
			*bad = v;
			return NULL;
		}
		v = tm_map_get(v, step);
	}
	if (v && tm_value_kind_of(v) != TM_VALUE_MAP)
		*bad = v;
	return *bad ? NULL : v;
}

/* The pod template of a workload kind, or NULL if o is not a workload (or its template is no
 * mapping: tm_k8s__bad_template says so). */
const tm_value *tm_k8s__pod_template(const struct obj *o)
{
	const char *path = template_path(o);
	const tm_value *bad;
	return path ? template_at(o, path, &bad) : NULL;
}

char *tm_k8s__workload_id(struct k8s *k, const struct obj *o)
{
	if (!o->kind_in_id)
		return tm_arena_printf(k->arena, "service:%s/%s", o->ns, o->name);
	char kind[64];
	size_t n = 0;
	for (const char *c = o->kind; *c && n + 1 < sizeof(kind); c++)
		kind[n++] = (char)tolower((unsigned char)*c);
	kind[n] = '\0';
	return tm_arena_printf(k->arena, "service:%s/%s~%s", o->ns, o->name, kind);
}

/* Workloads of different kinds with one namespace and name (a Deployment and a StatefulSet
 * `runner`): the API server keeps both, so each is a workload of its own, its id naming its kind
 * (kind_in_id), said once per name. Two of one kind were made one object by the scan (a duplicate
 * definition, said there). One pass through an index by namespace and name. */
static void kinds_sharing_names(tm_ingest_ctx *ctx, struct k8s *k)
{
	tm_hmap first = TM_HMAP_INIT;
	for (size_t i = 0; i < k->n; i++) {
		struct obj *o = &k->objs[i];
		if (!tm_k8s__pod_template(o))
			continue;
		char *key = tm_arena_printf(k->arena, "%s\x1f%s", o->ns, o->name);
		if (!key)
			break;
		struct obj *was = tm_hmap_get(&first, key, strlen(key));
		if (!was) {
			if (tm_hmap_put(&first, key, strlen(key), o))
				tm_arena_set_failed(k->arena);
			continue;
		}
		if (strcmp(was->kind, o->kind) == 0)
			continue;
		o->kind_in_id = true;
		if (was->kind_in_id)
			continue;
		was->kind_in_id = true;
		tm_loc at = tm_ingest__loc(was->f, was->v);
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, o->v),
			    "%s %s/%s shares its namespace and name with %s %s/%s (%s:%u): two objects to the API server, "
			    "modelled as two workloads whose ids name their kind (%s, %s)",
			    o->kind, o->ns, o->name, was->kind, was->ns, was->name, at.path ? at.path : "", at.line,
			    tm_k8s__workload_id(k, was), tm_k8s__workload_id(k, o));
	}
	tm_hmap_dispose(&first);
}

/* A workload whose pod template (or a value on its way) is no mapping, a string or a list: the API
 * server refuses it. A warning at that value; no workload is made of it. */
static void bad_template(tm_ingest_ctx *ctx, const struct obj *o)
{
	const char *path = template_path(o);
	const tm_value *bad;
	if (path && !template_at(o, path, &bad) && bad)
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, bad),
			    "%s '%s': its pod template (%s) is not a mapping, so the API server refuses the object; "
			    "no workload is modelled of it", o->kind, o->name, path);
}

const char *tm_k8s__ns_boundary(tm_ingest_ctx *ctx, struct k8s *k, const char *ns)
{
	char *id = tm_arena_printf(k->arena, "namespace:%s", ns);
	if (!id)
		return NULL;
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_NAMESPACE, id, ns, "cluster");
	return id;
}

tm_node *tm_k8s__identity(tm_ingest_ctx *ctx, struct k8s *k, const char *ns, const char *sa,
			  tm_loc loc)
{
	char *id = tm_arena_printf(k->arena, "identity:k8s:%s/%s", ns, sa);
	if (!id)
		return NULL;
	tm_node *n = tm_mb_node(ctx->mb, TM_NODE_IDENTITY, id, sa, tm_k8s__ns_boundary(ctx, k, ns), loc);
	if (n) {
		tm_mb_node_str(ctx->mb, n, "namespace", ns);
		tm_mb_node_str(ctx->mb, n, "identity_type", "kubernetes-service-account");
	}
	return n;
}

void tm_k8s__note_implicit_ns(tm_ingest_ctx *ctx, tm_node *n, const struct tm_k8s_obj *o)
{
	if (n && o->ns_implicit)
		tm_mb_node_assume(ctx->mb, n,
			       ctx->implicit_ns_why ? tm_arena_printf(ctx->scratch, "namespace '%s' (manifest names none; %s)",
								      ctx->implicit_ns, ctx->implicit_ns_why)
			       : ctx->implicit_ns ? tm_arena_printf(ctx->scratch,
								  "namespace '%s' (manifest names none; the files declare "
								  "that Namespace alone and put every object naming one in it)",
								  ctx->implicit_ns)
					: "namespace 'default' (manifest names none)");
}

bool tm_ingest__image_floats(const char *image)
{
	/* tags a registry moves on every build or release, not a version */
	static const char *const moving[] = {"latest", "nightly", "edge", "main", "master", "dev", "develop",
					     "development", "snapshot", "canary", "unstable", "stable", "testing",
					     "rolling", "current", "lts"};
	if (strchr(image, '@'))
		return false;
	const char *slash = strrchr(image, '/');
	const char *colon = strrchr(slash ? slash : image, ':');
	if (!colon)
		return true;
	size_t n = strlen(colon + 1);
	if (n >= 9 && strcasecmp(colon + 1 + n - 9, "-snapshot") == 0)
		return true;
	for (size_t i = 0; i < TM_ARRAY_LEN(moving); i++)
		if (strcasecmp(colon + 1, moving[i]) == 0)
			return true;
	return false;
}

/* "name:tag" or "name@sha256:..." -> is the image pinned by digest, does it float (a moving tag or
 * none)? */
/* A Go import path where an image belongs: its first part is a code host or a Go vanity domain that
 * serves no images (github.com/knative/docs/..., knative.dev/serving/cmd/...), which ko's older
 * manifests wrote without ko://. */
static bool go_import_path(const char *image)
{
	static const char *const hosts[] = {"github.com", "gitlab.com", "bitbucket.org", "knative.dev", "k8s.io",
					    "sigs.k8s.io", "golang.org", "go.uber.org", "tekton.dev"};
	size_t n = strcspn(image, "/");
	for (size_t i = 0; image[n] == '/' && i < TM_ARRAY_LEN(hosts); i++)
		if (strlen(hosts[i]) == n && strncmp(image, hosts[i], n) == 0)
			return true;
	return false;
}

static void image_facts(tm_ingest_ctx *ctx, tm_node *n, const char *image, tm_loc loc)
{
	/* a Terraform value not decided names no image: unresolved, its written tag judged (tf_k8s.c) */
	char tag[160];
	if (tm_ingest__tf_unknown_image(image, tag, sizeof(tag))) {
		const char *item = tm_arena_printf(ctx->scratch, "image: %s", image);
		if (item)
			tm_mb_node_list_add(ctx->mb, n, "unresolved", item);
		if (*tag && tm_ingest__image_floats(tag))
			tm_mb_node_fact(ctx->mb, n, "images_floating", image, loc);
		return;
	}
	tm_mb_node_list_add(ctx->mb, n, "images", image);
	/* ko://import/path is a build reference: `ko resolve` replaces it with the image it builds,
	 * published and written by digest (Knative, Tekton and every ko-built project's manifests);
	 * so is a bare import path */
	if (strchr(image, '@') || strncmp(image, "ko://", 5) == 0 || go_import_path(image))
		return;
	tm_mb_node_fact(ctx->mb, n, "images_unpinned", image, loc);
	if (tm_ingest__image_floats(image))
		tm_mb_node_fact(ctx->mb, n, "images_floating", image, loc);
}

/* A container's securityContext over the pod's: the container wins field by field. */
static const tm_value *sc_get(const tm_value *csc, const tm_value *psc, const char *key)
{
	const tm_value *v = tm_map_get(csc, key);
	return v ? v : tm_map_get(psc, key);
}

/*
 * Confinement dropped: seccompProfile or appArmorProfile of type Unconfined, or the annotations that
 * preceded them (seccomp.security.alpha.kubernetes.io/pod, container.seccomp.security.alpha.
 * kubernetes.io/<c>, container.apparmor.security.beta.kubernetes.io/<c>: unconfined). The container's
 * field wins, then its annotation, then the pod's field, then the pod's annotation, as the kubelet
 * decides. Fact "unconfined": "<container>:seccomp" or "<container>:apparmor", at the deciding line.
 */
static void confinement_facts(tm_ingest_ctx *ctx, tm_node *n, const struct obj *o, const tm_value *csc,
			      const tm_value *psc, const tm_value *anns, const char *cname)
{
	static const struct {
		const char *field, *what, *ann_container, *ann_pod;
	} profiles[] = {
		{"seccompProfile", "seccomp", "container.seccomp.security.alpha.kubernetes.io/",
		 "seccomp.security.alpha.kubernetes.io/pod"},
		{"appArmorProfile", "apparmor", "container.apparmor.security.beta.kubernetes.io/", NULL},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(profiles); i++) {
		char key[320];
		tm_formatf(key, sizeof(key), "%s%s", profiles[i].ann_container, cname);
		const tm_value *cands[4] = {tm_map_get(tm_map_get(csc, profiles[i].field), "type"), tm_map_get(anns, key),
					    tm_map_get(tm_map_get(psc, profiles[i].field), "type"),
					    profiles[i].ann_pod ? tm_map_get(anns, profiles[i].ann_pod) : NULL};
		for (size_t k = 0; k < TM_ARRAY_LEN(cands); k++) {
			const char *t = tm_scalar_str(cands[k], NULL);
			if (!t)
				continue;
			if (strcasecmp(t, "Unconfined") == 0) {
				char *item = tm_arena_printf(tm_mb_policy(ctx->mb)->arena, "%s:%s", cname, profiles[i].what);
				tm_mb_node_fact(ctx->mb, n, "unconfined", item, tm_ingest__loc(o->f, cands[k]));
			}
			break;
		}
	}
}

/* A namespace's LimitRange defaults: a container's missing CPU or memory limit is filled in at admission. */
struct ns_limits {
	const tm_value *cpu, *memory; /* the default's values, for their lines */
	const struct obj *range;       /* the LimitRange giving them */
	const struct obj *quota;       /* a ResourceQuota on limits.cpu and limits.memory: pods without limits are refused */
};

static void namespace_limits(const struct k8s *k, const char *ns, struct ns_limits *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; k->nlimits && i < k->n; i++) {
		const struct obj *o = &k->objs[i];
		if (strcmp(o->ns, ns) != 0)
			continue;
		if (tm_k8s__is(o, "ResourceQuota")) {
			const tm_value *hard = tm_map_get(tm_map_get(o->v, "spec"), "hard");
			if (tm_map_get(hard, "limits.cpu") && tm_map_get(hard, "limits.memory"))
				out->quota = o;
			continue;
		}
		if (!tm_k8s__is(o, "LimitRange"))
			continue;
		const tm_value *limits = tm_map_get(tm_map_get(o->v, "spec"), "limits");
		for (size_t l = 0; l < tm_value_len(limits); l++) {
			const tm_value *lv = tm_seq_at(limits, l);
			const char *type = tm_map_get_str(lv, "type");
			const tm_value *def = tm_map_get(lv, "default");
			if (!type || strcmp(type, "Container") != 0 || !def)
				continue;
			if (!out->cpu && tm_map_get(def, "cpu")) {
				out->cpu = tm_map_get(def, "cpu");
				out->range = o;
			}
			if (!out->memory && tm_map_get(def, "memory")) {
				out->memory = tm_map_get(def, "memory");
				out->range = o;
			}
		}
	}
}

static void limit_facts(tm_ingest_ctx *ctx, tm_node *n, const struct obj *o, const tm_value *c, const char *cname,
			const struct ns_limits *nl)
{
	const tm_value *limits = tm_map_get(tm_map_get(c, "resources"), "limits");
	bool cpu = tm_map_get(limits, "cpu") || nl->cpu, mem = tm_map_get(limits, "memory") || nl->memory;
	if (!cpu || !mem) {
		tm_mb_node_list_add(ctx->mb, n, "limit_missing", !cpu && !mem ? "both" : !cpu ? "cpu" : "memory");
		tm_mb_node_fact(ctx->mb, n, "no_resource_limits", cname,
				limits ? tm_ingest__loc(o->f, limits) : tm_ingest__loc(o->f, c));
		if (nl->quota && !nl->range)
			tm_mb_node_fact(ctx->mb, n, "limits_required_by_quota",
					tm_arena_printf(tm_mb_policy(ctx->mb)->arena, "%s/%s", nl->quota->ns, nl->quota->name),
					tm_ingest__loc(nl->quota->f, nl->quota->v));
	} else if (!tm_map_get(limits, "cpu") || !tm_map_get(limits, "memory")) {
		const tm_value *at = !tm_map_get(limits, "memory") ? nl->memory : nl->cpu;
		tm_mb_node_fact(ctx->mb, n, "limits_from_limitrange",
				tm_arena_printf(tm_mb_policy(ctx->mb)->arena, "%s/%s", nl->range->ns, nl->range->name),
				tm_ingest__loc(nl->range->f, at));
	}
}

/* UID 1337 is the Istio sidecar's: istio-init's (or the CNI plugin's) iptables rules send every outbound
 * connection of the pod through the proxy except those of that UID, the proxy's own. */
#define ISTIO_PROXY_UID 1337

/* The UID a container runs as (its securityContext's runAsUser over the pod's; -1 when neither says
 * or it is no number), and the line saying it in *at. */
static int64_t run_as_user(const tm_value *csc, const tm_value *psc, const tm_value **at)
{
	int64_t uid = -1;
	*at = sc_get(csc, psc, "runAsUser");
	if (*at && tm_scalar_int(*at, &uid))
		uid = -1;
	return uid;
}

/* app: a container that runs as long as the pod (containers, and native sidecars: init containers
 * with restartPolicy Always), not one that runs before it (an init container that runs as 1337 to
 * reach the network before the proxy starts is Istio's documented workaround, not a bypass). */
static void security_facts(tm_ingest_ctx *ctx, tm_node *n, const struct obj *o, const tm_value *c,
			   const char *cname, const tm_value *psc, const tm_value *anns, const struct ns_limits *nl,
			   bool app)
{
	const tm_file *f = o->f;
	const tm_value *csc = tm_map_get(c, "securityContext");
	tm_loc cloc = tm_ingest__loc(f, c);
	bool b;
	const tm_value *v = tm_map_get(csc, "privileged");
	bool privileged = v && !tm_scalar_bool(v, &b) && b;
	if (privileged)
		tm_mb_node_fact(ctx->mb, n, "privileged", cname, tm_ingest__loc(f, v));
	v = tm_map_get(csc, "allowPrivilegeEscalation");
	if (privileged || !v || tm_scalar_bool(v, &b) || b)
		tm_mb_node_fact(ctx->mb, n, "privilege_escalation", cname,
				v ? tm_ingest__loc(f, v) : cloc);
	/* root: runAsUser 0 said outright, or nothing (runAsNonRoot, runAsUser) rules it out */
	const tm_value *user;
	const tm_value *nonroot = sc_get(csc, psc, "runAsNonRoot");
	int64_t uid = run_as_user(csc, psc, &user);
	bool nr = nonroot && !tm_scalar_bool(nonroot, &b) && b;
	if (uid == 0)
		tm_mb_node_fact(ctx->mb, n, "runs_as_root", cname, tm_ingest__loc(f, user));
	else if (uid < 0 && !nr) {
		tm_mb_node_fact(ctx->mb, n, "root_not_excluded", cname,
				nonroot ? tm_ingest__loc(f, nonroot) : cloc);
		if (nonroot) /* runAsNonRoot: false, written out */
			tm_mb_node_fact(ctx->mb, n, "root_allowed", cname, tm_ingest__loc(f, nonroot));
	}
	/* the proxy's UID on another container: its connections leave the pod around the sidecar
	 * (TM-MESH-009, and the query reads the pod's traffic as plaintext) */
	if (uid == ISTIO_PROXY_UID && app && strcmp(cname, "istio-proxy") != 0)
		tm_mb_node_fact(ctx->mb, n, "runs_as_proxy_uid", cname, tm_ingest__loc(f, user));
	v = tm_map_get(csc, "readOnlyRootFilesystem");
	if (!v || tm_scalar_bool(v, &b) || !b)
		tm_mb_node_fact(ctx->mb, n, "writable_root_fs", cname, v ? tm_ingest__loc(f, v) : cloc);
	const tm_value *caps = tm_map_get(csc, "capabilities");
	const tm_value *add = tm_map_get(caps, "add");
	for (size_t i = 0; i < tm_value_len(add); i++) {
		const char *cap = tm_scalar_str(tm_seq_at(add, i), NULL);
		char *item = cap ? tm_arena_printf(tm_mb_policy(ctx->mb)->arena, "%s:%s", cname, cap) : NULL;
		tm_mb_node_fact(ctx->mb, n, "capabilities_added", item, tm_ingest__loc(f, tm_seq_at(add, i)));
	}
	const tm_value *drop = tm_map_get(caps, "drop");
	bool drop_all = false;
	for (size_t i = 0; i < tm_value_len(drop); i++) {
		const char *cap = tm_scalar_str(tm_seq_at(drop, i), NULL);
		if (cap && (strcmp(cap, "ALL") == 0 || strcmp(cap, "all") == 0))
			drop_all = true;
	}
	if (!drop_all)
		tm_mb_node_fact(ctx->mb, n, "capabilities_not_dropped", cname, caps ? tm_ingest__loc(f, caps) : cloc);
	limit_facts(ctx, n, o, c, cname, nl);
	confinement_facts(ctx, n, o, csc, psc, anns, cname);
}

/* A key of a Secret that holds public material only: a certificate or a public key by its name
 * (tls.crt, ca.crt, jwtRS256.key.pub, public.pem), never one naming a private key. */
static bool public_key_name(const char *key)
{
	size_t n = key ? strlen(key) : 0;
	if (!n || strstr(key, "private") || strstr(key, "priv") || (n >= 4 && strcmp(key + n - 4, ".key") == 0))
		return false;
	static const char *const ends[] = {".pub", ".crt", ".cer", "-pub", "_pub", "ca.pem", "cert.pem", "ca-bundle"};
	for (size_t i = 0; i < TM_ARRAY_LEN(ends); i++) {
		size_t m = strlen(ends[i]);
		if (n >= m && strcmp(key + n - m, ends[i]) == 0)
			return true;
	}
	return strstr(key, "public") != NULL;
}

/* A volume's items: (the keys it projects) when every one is public material, so the mount holds
 * nothing secret; false without items (every key is mounted). */
static bool public_items(const tm_value *items)
{
	for (size_t i = 0; i < tm_value_len(items); i++)
		if (!public_key_name(tm_map_get_str(tm_seq_at(items, i), "key")))
			return false;
	return tm_value_len(items) > 0;
}

/* The workload takes the Secret: `keys` lists the keys it takes one by one (an env var's
 * secretKeyRef key, a volume's items), `every_key` says a mount of it takes every key as well
 * (envFrom, a volume without items) where the edge also lists keys: the keys the workload holds,
 * which attack paths judge key by key (rules/paths.c). */
static void mounts_secret(tm_ingest_ctx *ctx, struct k8s *k, tm_node *n, const char *ns,
			  const tm_value *namev, const tm_file *f, const char *how, const tm_value *items,
			  const char *env_key)
{
	const char *name = tm_scalar_str(namev, NULL);
	if (!name)
		return;
	tm_loc loc = tm_ingest__loc(f, namev);
	tm_node *s = tm_k8s__secret_node(ctx, k, ns, name, "kubernetes-secret", loc);
	tm_edge *e = s ? tm_mb_edge(ctx->mb, n, s, TM_EDGE_MOUNTS, loc) : NULL;
	bool first = e && tm_edge_evidence_count(e) <= 1; /* no earlier mount of it by this workload */
	bool had_keys = e && tm_edge_attr_get(e, "keys");
	if (e)
		tm_mb_edge_list_add(ctx->mb, e, "how", how);
	bool keyed = env_key != NULL;
	if (e && env_key)
		tm_mb_edge_list_add(ctx->mb, e, "keys", env_key);
	for (size_t i = 0; e && i < tm_value_len(items); i++) {
		const char *key = tm_map_get_str(tm_seq_at(items, i), "key");
		if (key) {
			tm_mb_edge_list_add(ctx->mb, e, "keys", key);
			keyed = true;
		}
	}
	if (e && (keyed ? !first && !had_keys : had_keys)) /* whole and key by key: the whole counts */
		tm_mb_edge_bool(ctx->mb, e, "every_key", true);
	/* public only while every mount of it is (a second, whole mount takes the private key too) */
	const char *was = e ? tm_edge_attr_str(e, "public_only") : NULL;
	bool pub = public_items(items);
	if (e && pub && first)
		tm_mb_edge_str(ctx->mb, e, "public_only", "true");
	else if (e && !pub && was)
		tm_mb_edge_str(ctx->mb, e, "public_only", "false");
	if (s)
		tm_mb_node_fact(ctx->mb, s, "used_by", tm_node_id(n), loc);
	tm_mb_node_list_add(ctx->mb, n, "secrets", name);
}

/* A Secret volume (or a projected volume's Secret source) that no container of the pod mounts: no
 * process of the pod reads it, so it is no `mounts` edge and the Secret is not used by the workload;
 * the Secret is still there (the kubelet sets the volume up from it: whoever RBAC lets read it reads
 * it), and a note at its name says why nothing reads it. */
static void unmounted_secret(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o, const char *vname,
			     const tm_value *namev)
{
	const char *name = tm_scalar_str(namev, NULL);
	if (!name)
		return;
	tm_k8s__secret_node(ctx, k, o->ns, name, "kubernetes-secret", tm_ingest__loc(o->f, namev));
	tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, namev),
		    "%s %s/%s: volume '%s' of Secret %s is mounted by no container (no volumeMounts names it): no "
		    "container reads it, so it is not counted as read",
		    o->kind, o->ns ? o->ns : "default", o->name, vname ? vname : "?", name);
}

/* A value that is itself a credential, whatever its name: it carries a password that is written,
 * not a placeholder or a reference (tm_ingest__not_a_value). */
/* A webhook URL whose path is its secret (Slack's hooks.slack.com/services/T../B../<token>,
 * Discord's, Microsoft Teams'): whoever holds it posts to the channel. A token of 16 characters or
 * more, letters and digits, not a placeholder. */
static bool webhook_url(const char *v)
{
	static const char *const hooks[] = {"hooks.slack.com/services/", "hooks.slack.com/workflows/",
					    "discord.com/api/webhooks/", "discordapp.com/api/webhooks/",
					    ".webhook.office.com/webhookb2/", "outlook.office.com/webhook/"};
	for (size_t i = 0; i < TM_ARRAY_LEN(hooks); i++) {
		const char *at = strstr(v, hooks[i]);
		if (!at)
			continue;
		const char *t = at + strlen(hooks[i]);
		size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-_@");
		size_t alnum = 0;
		for (size_t j = 0; j < n; j++)
			alnum += isalnum((unsigned char)t[j]) != 0;
		return alnum >= 16 && !tm_ingest__not_a_value(t, n);
	}
	return false;
}

/* A URL whose query carries a credential (Alertmanager's webhook to `...?token=<t>`, an API's
 * `?api_key=`, an Azure SAS's `sig=`): a written value of 8 characters or more, not a placeholder
 * nor a template. */
static bool query_credential(const char *v)
{
	static const char *const names[] = {"token", "access_token", "auth_token", "api_key", "apikey", "api-key",
					    "key", "secret", "sig"};
	const char *scheme = strstr(v, "://");
	const char *q = scheme ? strchr(scheme, '?') : NULL;
	while (q && *q && *q != '#') {
		q++;
		size_t pl = strcspn(q, "&#");
		const char *eq = memchr(q, '=', pl);
		for (size_t i = 0; eq && i < TM_ARRAY_LEN(names); i++) {
			size_t nl = strlen(names[i]), vl = pl - (size_t)(eq + 1 - q);
			if ((size_t)(eq - q) == nl && strncasecmp(q, names[i], nl) == 0 && vl >= 8 &&
			    !tm_ingest__not_a_value(eq + 1, vl))
				return true;
		}
		q += pl;
	}
	return false;
}

static bool credential_value(const char *v)
{
	if (webhook_url(v) || query_credential(v))
		return true;
	size_t len = 0;
	const char *pw = tm_ingest__carried_password(v, &len);
	return pw && !tm_ingest__not_a_value(pw, len);
}

/* A PEM private key written out (not a placeholder "-----BEGIN PRIVATE KEY-----\n...\n-----END..."):
 * whatever its key, the value is the credential. */
static bool private_key(const char *v)
{
	const char *begin = strstr(v, "-----BEGIN ");
	const char *key = begin ? strstr(begin, "PRIVATE KEY-----") : NULL;
	const char *end = key ? strstr(key, "-----END ") : NULL;
	if (!end)
		return false;
	size_t body = 0;
	for (const char *p = key + 16; p < end; p++)
		body += isalnum((unsigned char)*p) || *p == '+' || *p == '/';
	return body >= 64; /* a real key's base64, not "..." */
}

/* A value that points at the secret instead of holding it: a file, a vault, a cloud secret store. */
static bool secret_reference(const char *v)
{
	static const char *const prefixes[] = {"./", "../", "~/", "file:", "vault:", "@Microsoft.KeyVault(",
						"arn:aws:secretsmanager:", "arn:aws:ssm:", "secretsmanager:",
						"ref+", "sm://", "gcp:secretmanager:", "akv://", "op://",
						/* LiteLLM's reference to an environment variable */
						"os.environ/"};
	if (v[0] == '/' || v[0] == '$' || v[0] == '<')
		return true;
	for (size_t i = 0; i < TM_ARRAY_LEN(prefixes); i++)
		if (strncmp(v, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* A literal credential: a credential-named key with a written value, a value that carries one, or a
 * PEM private key.
 * Not a credential: placeholders, templates and references (what tm_ingest__not_a_value and
 * secret_reference say), switches (`UseTokens: true`), and values under four characters. */
/* Does name end in "connection string" (ConnectionStrings__Default, connection_string, connStr)? */
static bool connection_string_name(const char *name)
{
	char norm[128];
	size_t n = 0;
	for (const char *p = name; *p && n + 1 < sizeof(norm); p++)
		if (isalnum((unsigned char)*p))
			norm[n++] = (char)tolower((unsigned char)*p);
	norm[n] = '\0';
	static const char *const ends[] = {"connectionstring", "connectionstrings", "connstr"};
	for (size_t i = 0; i < TM_ARRAY_LEN(ends); i++) {
		size_t l = strlen(ends[i]);
		if (n >= l && strcmp(norm + n - l, ends[i]) == 0)
			return true;
	}
	return false;
}

/* Does name end in a password's "pass": its last segment (after '_', '-' or '.') is PASS or ends in
 * it (DB_PASS, SMTP_PASS, PAPERLESS_DBPASS, smtpPass), but is no word that merely ends so (BYPASS,
 * COMPASS, SURPASS...) and the name is not nginx's proxy_pass or one of its kin, which name an
 * upstream? A bare "pass" (under five letters) is not enough either. */
static bool pass_name(const char *name, size_t nl)
{
	static const char *const directives[] = {"proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass",
						 "grpc_pass", "memcached_pass"};
	static const char *const words[] = {"bypass", "compass", "encompass", "trespass", "overpass", "underpass",
					    "surpass", "repass", "impass", "outpass", "flypass", "multipass",
					    "onepass", "twopass", "singlepass", "firstpass", "secondpass", "nopass"};
	if (nl < 5 || strcasecmp(name + nl - 4, "pass") != 0)
		return false;
	size_t seg = nl - 4;
	while (seg > 0 && !strchr("_-.", name[seg - 1]))
		seg--;
	for (size_t i = 0; i < TM_ARRAY_LEN(directives); i++)
		if (strcmp(name, directives[i]) == 0)
			return false;
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (strcasecmp(name + seg, words[i]) == 0)
			return false;
	return true;
}

bool tm_k8s__literal_credential(const char *name, const char *value)
{
	static const char *const switches[] = {"true", "false", "yes", "no", "on", "off", "enabled", "disabled"};
	if (!value || !*value)
		return false;
	/* documentation's template of a connection URL (username:password@hostname:port/dbname) */
	if (tm_ingest__template_address(value))
		return false;
	/* a key made for browsers: public by design (appconfig.c) */
	if (tm_ingest__public_client_key(name, value) && !private_key(value))
		return false;
	if (credential_value(value) || private_key(value))
		return true;
	size_t nl = strlen(name);
	bool pass = pass_name(name, nl) && !strstr(value, "://");
	if (!pass && !(tm_classify_name(name) & TM_CLASS_CREDENTIAL))
		return false;
	/* Confluent's images: KAFKA_SSL_KEYSTORE_CREDENTIALS (and every *_SSL_*_CREDENTIALS) names a
	 * file under /etc/kafka/secrets that holds the password, not the password */
	if (nl > 12 && strcasecmp(name + nl - 12, "_CREDENTIALS") == 0 && tm_strcasecontains(name, "_SSL_"))
		return false;
	size_t len = strlen(value), plen = 0;
	/* a connection string is one only with a password in it: a file path or a host and database
	 * name ("/run/spire/data/datastore.sqlite3", "Server=db;Database=app;Integrated Security=true")
	 * hands no one anything */
	if (connection_string_name(name)) {
		const char *pw = tm_ingest__carried_password(value, &plen);
		if (pw && plen && !tm_ingest__not_a_value(pw, plen))
			return true;
		/* the secrets other connection strings carry: Azure's AccountKey= and SharedAccessKey=,
		 * StackExchange.Redis's ",password=" */
		static const char *const items[] = {"accountkey=", "sharedaccesskey=", "password=", "pwd="};
		for (size_t i = 0; i < TM_ARRAY_LEN(items); i++) {
			const char *at = NULL;
			size_t il = strlen(items[i]);
			for (const char *q = value; *q && !at; q++)
				if (strncasecmp(q, items[i], il) == 0)
					at = q;
			const char *v = at ? at + strlen(items[i]) : NULL;
			size_t n = v ? strcspn(v, ";,") : 0;
			if (n && !tm_ingest__not_a_value(v, n))
				return true;
		}
		return false;
	}
	for (size_t i = 0; i < TM_ARRAY_LEN(switches); i++)
		if (strcasecmp(value, switches[i]) == 0)
			return false;
	/* a salt of digits is a hash's cost (BCRYPT_SALT=10, PASSWORD_SALT=12345), not a secret */
	if (nl >= 4 && strcasecmp(name + nl - 4, "salt") == 0 && value[strspn(value, "0123456789")] == '\0')
		return false;
	return len >= 4 && !secret_reference(value) && !tm_ingest__not_a_value(value, len);
}

/* One setting of a console's container a console_env fact, unless a source read before it (seen:
 * the container's env, then its envFrom sources from the last) already set the key: the kubelet
 * gives env above envFrom and, of two sources with one key, the later. */
static void console_item(tm_ingest_ctx *ctx, struct k8s *k, tm_node *n, tm_hmap *seen, const char *key,
			 const char *value, tm_loc at)
{
	const char *item = key ? tm_ingest__console_item(k->arena, key, value) : NULL;
	if (!item || tm_hmap_get(seen, key, strlen(key)))
		return;
	if (tm_hmap_put(seen, key, strlen(key), (void *)key))
		tm_arena_set_failed(ctx->scratch);
	tm_mb_node_fact(ctx->mb, n, "console_env", item, at);
}

/* How a map's values are written: a ConfigMap's data and a Secret's stringData as they are, a
 * Secret's data in base64; a sealed or external secret's (-1) are not known. */
enum { VALUES_PLAIN, VALUES_BASE64 };

/* The value v of a map written as how says, decoded into buf (cap bytes: a longer one is cut, which
 * no short value it is compared with can equal); NULL when it is no string or no base64. */
static const char *map_value(const tm_value *v, int how, char *buf, size_t cap)
{
	size_t len = 0;
	const char *text = how >= 0 && tm_value_kind_of(v) == TM_VALUE_SCALAR ? tm_scalar_str(v, &len) : NULL;
	if (!text || how == VALUES_PLAIN)
		return text;
	return tm_k8s__b64_prefix(text, len, buf, cap) ? buf : NULL;
}

/* The keys of a map, each "<prefix><key>" a console_env fact with its value (decoded from a Secret's
 * base64: tm_console_env_item keeps a credential's only when everyone knows it). */
static void console_keys(tm_ingest_ctx *ctx, struct k8s *k, tm_node *n, tm_hmap *seen, const tm_file *f,
			 const tm_value *map, const char *prefix, int how)
{
	for (size_t i = 0; i < tm_value_len(map) && tm_value_kind_of(map) == TM_VALUE_MAP; i++) {
		const char *key = tm_scalar_str(tm_map_key(map, i), NULL);
		const char *full = key ? tm_arena_printf(k->arena, "%s%s", prefix, key) : NULL;
		char buf[256];
		console_item(ctx, k, n, seen, full, map_value(tm_map_value(map, i), how, buf, sizeof(buf)),
			     tm_ingest__loc(f, tm_map_key(map, i)));
	}
}

/* The value an env entry's valueFrom takes from a scanned Secret (secretKeyRef: its stringData, else
 * its data decoded) or ConfigMap (configMapKeyRef), into buf; NULL when the object or key is not in
 * the scan (the setting is then set, to a value not known). */
static const char *ref_value(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o, const tm_value *from, char *buf,
			     size_t cap)
{
	const tm_value *sref = tm_map_get(from, "secretKeyRef"), *cref = tm_map_get(from, "configMapKeyRef");
	const tm_value *ref = sref ? sref : cref;
	const char *name = tm_map_get_str(ref, "name"), *key = tm_map_get_str(ref, "key");
	if (!name || !key)
		return NULL;
	const struct tm_k8s_obj *obj = tm_k8s__named(ctx, k, sref ? "Secret" : "ConfigMap", o->ns, name);
	if (!obj)
		return NULL;
	if (cref)
		return map_value(tm_map_get(tm_map_get(obj->v, "data"), key), VALUES_PLAIN, buf, cap);
	const tm_value *plain = tm_map_get(tm_map_get(obj->v, "stringData"), key); /* the API server's order */
	return plain ? map_value(plain, VALUES_PLAIN, buf, cap)
		     : map_value(tm_map_get(tm_map_get(obj->v, "data"), key), VALUES_BASE64, buf, cap);
}

/* What a whole ConfigMap or Secret given to a console's container (envFrom) sets of the settings
 * it reads: each key the scanned object holds (a SealedSecret's sealed keys, an ExternalSecret's
 * target keys), else "*<kind> <name>", every key unknown (TM-MESH-012 then says what it assumed). */
static void console_env_from(tm_ingest_ctx *ctx, struct k8s *k, tm_node *n, tm_hmap *seen, const struct obj *o,
			     const tm_value *from)
{
	const tm_value *cref = tm_map_get(from, "configMapRef"), *sref = tm_map_get(from, "secretRef");
	const char *name = tm_map_get_str(cref ? cref : sref, "name");
	const char *prefix = tm_map_get_str(from, "prefix");
	prefix = prefix ? prefix : "";
	if (!name)
		return;
	const struct tm_k8s_obj *cm = cref ? tm_k8s__named(ctx, k, "ConfigMap", o->ns, name) : NULL;
	const struct tm_k8s_obj *sec = sref ? tm_k8s__named(ctx, k, "Secret", o->ns, name) : NULL;
	const struct tm_k8s_obj *sealed = sref && !sec ? tm_k8s__named(ctx, k, "SealedSecret", o->ns, name) : NULL;
	const struct tm_k8s_obj *ext = sref && !sec && !sealed ? tm_k8s__named(ctx, k, "ExternalSecret", o->ns, name) : NULL;
	if (cm) {
		console_keys(ctx, k, n, seen, cm->f, tm_map_get(cm->v, "data"), prefix, VALUES_PLAIN);
		return;
	}
	if (sec) { /* stringData first: the API server writes it over data's key of the same name */
		console_keys(ctx, k, n, seen, sec->f, tm_map_get(sec->v, "stringData"), prefix, VALUES_PLAIN);
		console_keys(ctx, k, n, seen, sec->f, tm_map_get(sec->v, "data"), prefix, VALUES_BASE64);
		return;
	}
	const tm_value *spec = sealed ? tm_map_get(sealed->v, "spec") : ext ? tm_map_get(ext->v, "spec") : NULL;
	if (sealed) {
		console_keys(ctx, k, n, seen, sealed->f, tm_map_get(spec, "encryptedData"), prefix, -1);
		console_keys(ctx, k, n, seen, sealed->f, tm_map_get(tm_map_get(spec, "template"), "data"), prefix, -1);
		return;
	}
	if (ext && !tm_map_get(spec, "dataFrom")) { /* dataFrom: every key of a remote secret, unknown here */
		const tm_value *data = tm_map_get(spec, "data");
		for (size_t i = 0; i < tm_value_len(data); i++) {
			const char *key = tm_map_get_str(tm_seq_at(data, i), "secretKey");
			const char *full = key ? tm_arena_printf(k->arena, "%s%s", prefix, key) : NULL;
			console_item(ctx, k, n, seen, full, NULL, tm_ingest__loc(ext->f, tm_seq_at(data, i)));
		}
		return;
	}
	const char *item = tm_arena_printf(k->arena, "*%s %s", cref ? "ConfigMap" : "Secret", name);
	if (item)
		tm_mb_node_fact(ctx->mb, n, "console_env", item, tm_ingest__loc(o->f, from));
}

/* The credentials a ConfigMap holds (add_config's secret nodes "<cm>#<key>") that the workload takes
 * into its environment: one key (configMapKeyRef) or every key (envFrom). Used by it, and held
 * (a mounts edge, how "env") for the walks: bank-of-anthos' services read their database URIs and
 * passwords from accounts-db-config whole. */
static void configmap_credentials(tm_ingest_ctx *ctx, struct k8s *k, tm_node *n, const struct obj *o, const char *cm,
				  const char *only_key, const char *as, tm_loc at)
{
	const struct tm_k8s_obj *c = cm ? tm_k8s__named(ctx, k, "ConfigMap", o->ns, cm) : NULL;
	const tm_value *data = c ? tm_map_get(c->v, "data") : NULL;
	for (size_t i = 0; i < tm_value_len(data) && tm_value_kind_of(data) == TM_VALUE_MAP; i++) {
		const char *dk = tm_scalar_str(tm_map_key(data, i), NULL);
		const char *text = tm_scalar_str(tm_map_value(data, i), NULL);
		if (!dk || (only_key && strcmp(dk, only_key) != 0))
			continue;
		/* a neutral key the workload takes under a credential's name (DB_PASSWORD from key
		 * "funny.entry"): the ConfigMap holds that credential, written in the repository */
		bool by_key = tm_k8s__literal_credential(dk, text);
		if (!by_key && !(as && tm_k8s__literal_credential(as, text)))
			continue;
		char *name = tm_arena_printf(k->arena, "%s#%s", cm, dk);
		tm_node *s = name ? tm_k8s__secret_node(ctx, k, o->ns, name, "configmap", at) : NULL;
		bool said = false; /* one fact per value, whichever name first took it */
		for (size_t f = 0; s && f < tm_node_fact_count(s) && !said; f++)
			said = strcmp(tm_node_fact(s, f)->key, "literal_credentials") == 0;
		if (s && !by_key && !said)
			tm_mb_node_fact(ctx->mb, s, "literal_credentials",
					tm_arena_printf(k->arena, "%s (taken as %s by %s)", dk, as, o->name),
					tm_ingest__loc(c->f, tm_map_value(data, i)));
		tm_edge *e = s ? tm_mb_edge(ctx->mb, n, s, TM_EDGE_MOUNTS, at) : NULL;
		if (e)
			tm_mb_edge_list_add(ctx->mb, e, "how", "env");
		if (s)
			tm_mb_node_fact(ctx->mb, s, "used_by", tm_node_id(n), at);
	}
}

static void env_facts(tm_ingest_ctx *ctx, struct k8s *k, tm_node *n, const struct obj *o,
		      const tm_value *c, const char *cname, tm_store_probe *store)
{
	const tm_value *env = tm_map_get(c, "env");
	for (size_t i = 0; i < tm_value_len(env); i++) {
		const tm_value *e = tm_seq_at(env, i);
		const char *ename = tm_map_get_str(e, "name");
		const tm_value *val = tm_map_get(e, "value");
		const tm_value *from = tm_map_get(e, "valueFrom");
		/* a store's setting from a Secret in the scan is the value it holds (a password left as its
		 * placeholder, changePassword, is one everyone knows); from elsewhere, not known */
		char sbuf[256];
		const char *sval = store && from && tm_map_get(from, "secretKeyRef") ? ref_value(ctx, k, o, from, sbuf, sizeof(sbuf)) : NULL;
		if (store)
			tm_stores__env(store, ename, from ? sval : tm_scalar_str(val, NULL),
				       tm_map_get_str(tm_map_get(from, "secretKeyRef"), "name"), tm_ingest__loc(o->f, e));
		if (from) {
			const tm_value *ref = tm_map_get(from, "secretKeyRef");
			if (ref) {
				mounts_secret(ctx, k, n, o->ns, tm_map_get(ref, "name"), o->f, "env", NULL, tm_map_get_str(ref, "key"));
				tm_k8s__secret_env(ctx, k, n, cname, ename ? ename : "?", from, ref, o->f);
			}
			const tm_value *cref = tm_map_get(from, "configMapKeyRef");
			if (cref)
				configmap_credentials(ctx, k, n, o, tm_map_get_str(cref, "name"), tm_map_get_str(cref, "key"),
						      ename, tm_ingest__loc(o->f, cref));
			continue;
		}
		if (ename && tm_k8s__literal_credential(ename, tm_scalar_str(val, NULL))) {
			char *item = tm_arena_printf(k->arena, "%s/%s", cname, ename);
			tm_mb_node_fact(ctx->mb, n, "literal_credentials", item, tm_ingest__loc(o->f, val));
		}
		/* a signing secret the pod runs with left at a placeholder (SECRET_KEY: changeme): no
		 * literal credential, a `known_signing` fact (compose.c's, TM-SEC-007) */
		const char *signs = ename ? tm_ingest__signing_known(ename, tm_scalar_str(val, NULL)) : NULL;
		if (signs)
			tm_mb_node_fact(ctx->mb, n, "known_signing", tm_arena_printf(k->arena, "%s: %s", ename, signs),
					tm_ingest__loc(o->f, val));
		const char *tmpl = ename ? tm_ingest__template_address(tm_scalar_str(val, NULL)) : NULL;
		if (tmpl)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, val),
				    "%s is documentation's template of an address (%s): no credential and no call are "
				    "taken from it", ename, tmpl);
	}
	const tm_value *envfrom = tm_map_get(c, "envFrom");
	if (store && tm_value_len(envfrom))
		tm_stores__env_from(store);
	bool console = tm_console_of_image(tm_map_get_str(c, "image")) != NULL;
	for (size_t i = 0; i < tm_value_len(envfrom); i++) {
		const tm_value *ref = tm_map_get(tm_seq_at(envfrom, i), "secretRef");
		if (ref) {
			mounts_secret(ctx, k, n, o->ns, tm_map_get(ref, "name"), o->f, "envFrom", NULL, NULL);
			tm_k8s__secret_env(ctx, k, n, cname, NULL, tm_seq_at(envfrom, i), ref, o->f);
		}
		const tm_value *cref = tm_map_get(tm_seq_at(envfrom, i), "configMapRef");
		if (cref)
			configmap_credentials(ctx, k, n, o, tm_map_get_str(cref, "name"), NULL, NULL, tm_ingest__loc(o->f, cref));
	}
	/* the settings an operations console reads (TM-MESH-012), each key once: env above every envFrom
	 * source, the later of two entries or sources that set one key, as the kubelet sets them */
	tm_hmap seen = TM_HMAP_INIT;
	for (size_t i = tm_value_len(env); i-- > 0;) {
		const tm_value *e = tm_seq_at(env, i);
		const tm_value *from = tm_map_get(e, "valueFrom");
		char buf[256];
		/* a value from a Secret or ConfigMap in the scan is the value set (Keycloak's admin
		 * password 'admin' through secretKeyRef is still a login everyone knows) */
		const char *name = tm_map_get_str(e, "name");
		console_item(ctx, k, n, &seen, name,
			     from ? (name && tm_console_env_kind(name) != TM_CONSOLE_ENV_NONE ? ref_value(ctx, k, o, from, buf, sizeof(buf)) : NULL)
				  : tm_scalar_str(tm_map_get(e, "value"), NULL),
			     tm_ingest__loc(o->f, e));
	}
	for (size_t i = tm_value_len(envfrom); console && i-- > 0;)
		console_env_from(ctx, k, n, &seen, o, tm_seq_at(envfrom, i));
	tm_hmap_dispose(&seen);
}

struct cport_vec {
	tm_pm_cport *items;
	size_t n, cap;
};

/* What every container of one pod shares: the pod's securityContext and annotations, the namespace's limits. */
struct pod_ctx {
	const tm_value *psc, *anns;
	struct ns_limits limits;
	tm_store_probe *store; /* what the main containers say of a data store (stores.c); NULL for others */
	bool main;             /* the containers list (not init or ephemeral containers) */
	const tm_value *list;  /* the list the container is in */
};

/* A hostPort: the port published on the node's own addresses on purpose, around Services, as a
 * NodePort is, and under the same assumption (the nodes' addresses are reachable from the internet
 * unless the files say otherwise). A hostNetwork pod's other ports are on the nodes' network too,
 * but mostly an agent's metrics or health port no one publishes: TM-CTR-001 says the pod shares
 * the node's network, no route is drawn. */
static void node_port_route(tm_ingest_ctx *ctx, tm_node *n, const char *via, const char *port, const char *target,
			    tm_loc at)
{
	tm_node *in = tm_ingest__internet(ctx);
	tm_edge *e = in ? tm_mb_edge(ctx->mb, in, n, TM_EDGE_ROUTES, at) : NULL;
	if (!e)
		return;
	tm_mb_edge_str(ctx->mb, e, "via", via);
	tm_mb_edge_list_add(ctx->mb, e, "ports", port);
	tm_mb_edge_list_add(ctx->mb, e, "target_ports", tm_arena_printf(ctx->scratch, "%s->%s", port, target ? target : port));
}

/* The Secret a command-line flag names, "ns/name": a flag whose name says secret
 * (`--secret-name=X`, `-secret X`, `--tls-secret=ns/X`), its value a Kubernetes name, in ns unless
 * it names its own; NULL for anything else. */
static const char *secret_flag(tm_arena *a, const char *w, const char *next, const char *ns)
{
	if (w[0] != '-')
		return NULL;
	const char *flag = w + 1 + (w[1] == '-');
	const char *eq = strchr(flag, '=');
	size_t fl = eq ? (size_t)(eq - flag) : strlen(flag);
	const char *val = eq ? eq + 1 : next;
	char name[64];
	if (!fl || fl >= sizeof(name) || !val || !*val || val[0] == '-')
		return NULL;
	memcpy(name, flag, fl);
	name[fl] = '\0';
	if (!tm_strcasecontains(name, "secret") || tm_strcasecontains(name, "key") || tm_strcasecontains(name, "file") ||
	    tm_strcasecontains(name, "path") || tm_strcasecontains(name, "dir"))
		return NULL;
	const char *slash = strchr(val, '/');
	if (slash && strchr(slash + 1, '/'))
		return NULL;
	char *own_ns = slash ? tm_arena_strndup(a, val, (size_t)(slash - val)) : NULL;
	const char *nm = slash ? slash + 1 : val;
	size_t nl = strlen(nm);
	bool ok = nl && nl <= 253 && nm[0] != '-' && nm[0] != '.' && nm[nl - 1] != '-' && nm[nl - 1] != '.';
	for (size_t i = 0; ok && i < nl; i++)
		ok = (nm[i] >= 'a' && nm[i] <= 'z') || (nm[i] >= '0' && nm[i] <= '9') || nm[i] == '-' || nm[i] == '.';
	if (!ok || (slash && (!own_ns || !tm_ingest__dns_label(own_ns))))
		return NULL;
	return tm_arena_printf(a, "%s/%s", slash ? own_ns : ns, nm);
}

/* A console's own configuration file (AdGuard Home's AdGuardHome.yaml) in a ConfigMap volume mounted
 * where the console reads it (vm, at path): parsed, and the setting that decides its login kept as a
 * console_env fact at the ConfigMap's value (tm_console_file_item). Other volumes (a claim, a Secret)
 * are not read: the mount alone leaves the login undecided. */
static void console_config(tm_ingest_ctx *ctx, struct k8s *k, tm_node *n, const struct obj *o, const tm_value *vm,
			   const char *path)
{
	const char *vname = tm_map_get_str(vm, "name"), *sub = tm_map_get_str(vm, "subPath");
	const tm_value *vols = tm_map_get(tm_map_get(tm_k8s__pod_template(o), "spec"), "volumes");
	const tm_value *cmv = NULL;
	for (size_t i = 0; vname && !cmv && i < tm_value_len(vols); i++) {
		const char *name = tm_map_get_str(tm_seq_at(vols, i), "name");
		if (name && strcmp(name, vname) == 0)
			cmv = tm_map_get(tm_seq_at(vols, i), "configMap");
	}
	const char *cmname = tm_map_get_str(cmv, "name");
	const struct tm_k8s_obj *cm = cmname ? tm_k8s__named(ctx, k, "ConfigMap", o->ns, cmname) : NULL;
	const tm_value *data = cm ? tm_map_get(cm->v, "data") : NULL, *items = tm_map_get(cmv, "items");
	size_t pl = strlen(path);
	while (pl > 1 && path[pl - 1] == '/')
		pl--;
	for (size_t i = 0; i < tm_value_len(data) && tm_value_kind_of(data) == TM_VALUE_MAP; i++) {
		const char *key = tm_scalar_str(tm_map_key(data, i), NULL), *fname = items ? NULL : key;
		for (size_t j = 0; key && j < tm_value_len(items); j++) /* items: only the keys listed, at their paths */
			if (tm_map_get_str(tm_seq_at(items, j), "key") && strcmp(tm_map_get_str(tm_seq_at(items, j), "key"), key) == 0)
				fname = tm_map_get_str(tm_seq_at(items, j), "path");
		if (!fname || (sub && strcmp(sub, fname) != 0))
			continue;
		/* a subPath mounts that one file at path; else each file sits under the directory path */
		const char *file = sub ? path : tm_arena_printf(k->arena, "%.*s/%s", (int)pl, path, fname);
		size_t len = 0;
		const char *text = tm_scalar_str(tm_map_value(data, i), &len);
		if (!file || !text || !tm_console_file_read(file))
			continue;
		tm_limits lim;
		tm_limits_default(&lim);
		tm_diag_list diags = TM_DIAG_LIST_INIT;
		tm_file *f = NULL;
		const char *item = NULL;
		if (tm_file_parse(&f, file, text, len, &lim, &diags) == 0 && tm_file_doc_count(f) == 1)
			item = tm_console_file_item(file, tm_file_doc(f, 0));
		tm_file_free(f);
		tm_diag_list_dispose(&diags);
		if (item)
			tm_mb_node_fact(ctx->mb, n, "console_env", item, tm_ingest__loc(cm->f, tm_map_value(data, i)));
	}
}

/* A container started as a task worker (queues.c: `airflow celery worker`, `sh -c "n8n worker"`): the
 * workload's `task_worker` fact at the deciding item. */
static void task_worker(tm_ingest_ctx *ctx, tm_node *n, const struct obj *o, const tm_value *c, const char *image)
{
	static const char *const argv[] = {"command", "args"};
	const char *items[64];
	const tm_value *vals[64];
	size_t m = 0, first_cmd = SIZE_MAX;
	for (size_t a = 0; a < TM_ARRAY_LEN(argv); a++) {
		const tm_value *av = tm_map_get(c, argv[a]);
		if (a == 1)
			first_cmd = m;
		for (size_t i = 0; i < tm_value_len(av) && m < TM_ARRAY_LEN(items); i++) {
			vals[m] = tm_seq_at(av, i);
			items[m] = tm_scalar_str(vals[m], NULL);
			m += items[m] != NULL;
		}
	}
	size_t at = 0;
	const char *label = m ? tm_ingest__task_worker(items, m, first_cmd, image, &at) : NULL;
	if (label)
		tm_mb_node_fact(ctx->mb, n, "task_worker", label, tm_ingest__loc(o->f, vals[at]));
}

static void add_container(tm_ingest_ctx *ctx, struct k8s *k, tm_node *n, const struct obj *o,
			  const tm_value *c, const struct pod_ctx *pod, struct cport_vec *pw)
{
	const char *cname = tm_map_get_str(c, "name");
	if (!cname && (tm_k8s__is(o, "KnativeService") || tm_k8s__cloud_run(o))) /* name is optional there */
		cname = tm_k8s__knative_container_name(k->arena, pod->list, c, !pod->main);
	if (!cname) {
		/* "- name:db" (a template that trimmed the space after the colon) is a string, no container */
		const char *text = tm_value_kind_of(c) == TM_VALUE_SCALAR ? tm_scalar_str(c, NULL) : NULL;
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, c),
			    "%s %s/%s: a container %s (the API server refuses the object)%s; read as '?'", o->kind,
			    o->ns ? o->ns : "default", o->name, text ? "is not a mapping" : "has no name",
			    text && strncmp(text, "name:", 5) == 0
				    ? ": a template that trims the space after `name:` ({{- ... }}) writes key and value as one word"
				    : "");
		cname = "?";
	}
	tm_mb_node_list_add(ctx->mb, n, "containers", cname);
	const tm_value *imagev = tm_map_get(c, "image");
	const char *image = tm_scalar_str(imagev, NULL);
	if (image)
		image_facts(ctx, n, image, tm_ingest__loc(o->f, imagev));
	if (pod->store)
		tm_stores__image(pod->store, image, tm_ingest__loc(o->f, imagev));
	const tm_value *vms = tm_map_get(c, "volumeMounts");
	for (size_t i = 0; i < tm_value_len(vms); i++) {
		const char *path = tm_map_get_str(tm_seq_at(vms, i), "mountPath");
		tm_loc at = tm_ingest__loc(o->f, tm_seq_at(vms, i));
		if (pod->store) /* where a store reads its configuration */
			tm_stores__mount(pod->store, path, at);
		/* or a console its own (not read): its login is not judged on the image's default */
		const char *item = tm_console_mount_item(k->arena, path);
		if (item)
			tm_mb_node_fact(ctx->mb, n, "console_env", item, at);
		if (item && tm_console_of_image(image)) /* and the file there, when a ConfigMap holds it */
			console_config(ctx, k, n, o, tm_seq_at(vms, i), path);
	}
	/* the command line: each word to the store probe, and a credential it passes literally
	 * (`--requirepass s3cret`; in a `sh -c` string too) */
	static const char *const argv[] = {"command", "args"};
	bool console = image && tm_console_of_image(image);
	/* the words that name a console it runs (Flower from Airflow's image: `celery flower`), the
	 * command and its arguments read as one line */
	const char *words[64];
	size_t nwords = 0;
	for (size_t a = 0; a < TM_ARRAY_LEN(argv); a++) {
		const tm_value *av = tm_map_get(c, argv[a]);
		for (size_t i = 0; i < tm_value_len(av) && nwords < TM_ARRAY_LEN(words); i++)
			if (tm_scalar_str(tm_seq_at(av, i), NULL))
				words[nwords++] = tm_scalar_str(tm_seq_at(av, i), NULL);
	}
	const char *runs[8];
	size_t nnamed = nwords ? tm_console_command_items(k->arena, image, words, nwords, runs, TM_ARRAY_LEN(runs)) : 0;
	for (size_t q = 0; q < nnamed; q++)
		tm_mb_node_fact(ctx->mb, n, "console_command", runs[q],
				tm_ingest__loc(o->f, tm_map_get(c, tm_map_get(c, "command") ? "command" : "args")));
	console |= nnamed > 0;
	for (size_t a = 0; a < TM_ARRAY_LEN(argv); a++) {
		const tm_value *av = tm_map_get(c, argv[a]);
		for (size_t i = 0; i < tm_value_len(av); i++) {
			const char *w = tm_scalar_str(tm_seq_at(av, i), NULL);
			tm_loc at = tm_ingest__loc(o->f, tm_seq_at(av, i));
			if (pod->store)
				tm_stores__arg(pod->store, w, at);
			const char *next = i + 1 < tm_value_len(av) ? tm_scalar_str(tm_seq_at(av, i + 1), NULL) : NULL;
			char flag[80];
			const char *f = tm_value_kind_of(av) == TM_VALUE_SEQ ? tm_ingest__credential_in(w, next, flag, sizeof(flag)) : NULL;
			char *item = f ? tm_arena_printf(k->arena, "%s/%s", cname, f) : NULL;
			if (item)
				tm_mb_node_fact(ctx->mb, n, "literal_credentials", item, at);
			/* a Secret the program reads or writes through the API, named by a flag
			 * (`--secret-name=webhook-cert`, `--tls-secret ns/name`): its own (TM-SEC-005) */
			const char *named = w ? secret_flag(k->arena, w, next, o->ns ? o->ns : "default") : NULL;
			if (named)
				tm_mb_node_fact(ctx->mb, n, "secrets_named", named, at);
			/* the flags a model server reads (--api-key: TM-MESH-014), also in a `sh -c` string */
			const char *flags[8];
			size_t nf = w && console ? tm_console_flag_items(k->arena, w, next, flags, TM_ARRAY_LEN(flags)) : 0;
			for (size_t q = 0; q < nf; q++)
				tm_mb_node_fact(ctx->mb, n, "console_env", flags[q], at);
		}
	}
	if (pod->main) /* not an init or debug container */
		task_worker(ctx, n, o, c, image);
	if (image)
		tm_k8s__nginx_snippets(ctx, k, o, c, image, n);
	const tm_value *ports = tm_map_get(c, "ports");
	tm_arena *pa = tm_mb_policy(ctx->mb)->arena;
	for (size_t p = 0; p < tm_value_len(ports); p++) {
		const tm_value *pv = tm_seq_at(ports, p);
		const tm_value *cpv = tm_map_get(pv, "containerPort");
		const char *port = tm_map_get_str(pv, "containerPort");
		int64_t num;
		if (port && !*port) /* `containerPort:` left empty, often a value a chart's values do not set */
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, cpv ? cpv : pv),
				    "%s %s/%s: container %s has a port with no containerPort value (the API server refuses "
				    "it): the port is left out",
				    o->kind, o->ns, o->name, cname);
		if (port && !*port)
			port = NULL;
		if (port)
			tm_mb_node_list_add(ctx->mb, n, "ports", port);
		const char *pname = tm_map_get_str(pv, "name");
		if (port && pname) /* what a Service's named targetPort means */
			tm_mb_node_list_add(ctx->mb, n, "port_names", tm_arena_printf(pa, "%s=%s", pname, port));
		if (pod->store)
			tm_stores__port(pod->store, port, pname, tm_ingest__loc(o->f, pv));
		/* a hostPort opens the port on the node's own addresses, around Services and most CNIs' policies */
		const tm_value *hpv = tm_map_get(pv, "hostPort");
		const char *hp = tm_scalar_str(hpv, NULL);
		if (hp)
			tm_mb_node_fact(ctx->mb, n, "host_ports",
					tm_arena_printf(pa, "%s:%s->%s", cname, hp, port ? port : "?"),
					tm_ingest__loc(o->f, hpv));
		if (hp && pod->main && *hp && strcmp(hp, "0") != 0)
			node_port_route(ctx, n, "hostPort", hp, port, tm_ingest__loc(o->f, hpv));
		if (!tm_scalar_int(tm_map_get(pv, "containerPort"), &num) && num > 0 && num < 65536 &&
		    !TM_GROW(pw->items, pw->cap, pw->n + 1)) {
			tm_pm_cport *cp = &pw->items[pw->n++];
			cp->port = (int)num;
			const char *pn = tm_map_get_str(pv, "name");
			cp->name = pn ? tm_pm_strdup(pa, pn) : NULL;
			const char *proto = tm_map_get_str(pv, "protocol");
			cp->protocol = tm_pm_strdup(pa, proto ? proto : "TCP");
		}
	}
	const char *restart = tm_map_get_str(c, "restartPolicy"); /* "Always": a native sidecar */
	security_facts(ctx, n, o, c, cname, pod->psc, pod->anns, &pod->limits,
		       pod->main || (restart && strcmp(restart, "Always") == 0));
	env_facts(ctx, k, n, o, c, cname, pod->store);
	tm_ingest__cloudflared_k8s(ctx, n, o->f, c); /* a Cloudflare Tunnel it runs (gw_cloudflared.c) */
	tm_ingest__oauth2_proxy_k8s(ctx, n, o->f, c); /* oauth2-proxy's upstreams (gw_oauth2proxy.c) */
}

/*
 * trustmap.io/ignore on a workload: "TM-CTR-004[,TM-CTR-005...] reason" silences those rules (ids or
 * prefixes) for this workload where the team keeps its manifests, as a suppression the reports show
 * with the reason and the annotation's line. No expiry: the manifest's history is the record.
 */
static void ignore_annotation(tm_ingest_ctx *ctx, const struct obj *o, const char *node_id)
{
	const tm_value *v = tm_map_get(tm_map_get(tm_map_get(o->v, "metadata"), "annotations"), "trustmap.io/ignore");
	const char *text = tm_scalar_str(v, NULL);
	if (!text)
		return;
	size_t rl = strcspn(text, " \t");
	const char *why = text + rl;
	while (*why == ' ' || *why == '\t')
		why++;
	tm_loc at = tm_ingest__loc(o->f, v);
	if (!rl || !*why) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, at,
			    "trustmap.io/ignore needs rules and a reason: \"TM-CTR-004 why this is fine\"; not applied");
		return;
	}
	for (const char *p = text; p < text + rl;) {
		size_t n = strcspn(p, ",");
		if (n > rl - (size_t)(p - text))
			n = rl - (size_t)(p - text);
		char rule[64];
		tm_formatf(rule, sizeof(rule), "%.*s", (int)n, p);
		if (strncmp(rule, "TM-", 3) != 0) {
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, at,
				    "trustmap.io/ignore: '%s' is not a rule id or prefix; not applied", rule);
		} else {
			tm_accepted_risk *r = tm_mb_accepted(ctx->mb);
			if (!r)
				return;
			r->rule = tm_mb_strdup(ctx->mb, rule);
			r->subject = tm_mb_strdup(ctx->mb, node_id);
			r->owner = tm_mb_strdup(ctx->mb, "manifest annotation");
			r->rationale = tm_mb_strdup(ctx->mb, why);
			r->loc = at;
		}
		p += n + 1;
	}
}

/*
 * Where the pod may run, for the node-pivot pass (ingest/nodes.c): "scheduling" facts name what pins
 * it (nodeName, each nodeSelector pair, each required node-affinity expression), "tolerations" the
 * taints it accepts. Order as written; an unpinned pod has neither.
 */
static void scheduling_facts(tm_ingest_ctx *ctx, struct k8s *k, tm_node *n, const struct obj *o,
			     const tm_value *pspec)
{
	const tm_value *nn = tm_map_get(pspec, "nodeName");
	const char *name = tm_scalar_str(nn, NULL);
	if (name && *name)
		tm_mb_node_fact(ctx->mb, n, "scheduling", tm_arena_printf(k->arena, "nodeName=%s", name),
				tm_ingest__loc(o->f, nn));
	const tm_value *sel = tm_map_get(pspec, "nodeSelector");
	for (size_t i = 0; i < tm_value_len(sel); i++) {
		const char *sk = tm_scalar_str(tm_map_key(sel, i), NULL);
		const char *sv = tm_scalar_str(tm_map_value(sel, i), NULL);
		if (sk)
			tm_mb_node_fact(ctx->mb, n, "scheduling", tm_arena_printf(k->arena, "%s=%s", sk, sv ? sv : ""),
					tm_ingest__loc(o->f, tm_map_key(sel, i)));
	}
	const tm_value *terms = tm_map_get(
		tm_map_get(tm_map_get(tm_map_get(pspec, "affinity"), "nodeAffinity"),
			   "requiredDuringSchedulingIgnoredDuringExecution"),
		"nodeSelectorTerms");
	for (size_t t = 0; t < tm_value_len(terms); t++) {
		const tm_value *exprs = tm_map_get(tm_seq_at(terms, t), "matchExpressions");
		for (size_t i = 0; i < tm_value_len(exprs); i++) {
			const tm_value *x = tm_seq_at(exprs, i);
			const char *xk = tm_scalar_str(tm_map_get(x, "key"), NULL);
			const char *op = tm_scalar_str(tm_map_get(x, "operator"), NULL);
			const tm_value *vals = tm_map_get(x, "values");
			if (!xk || !op)
				continue;
			tm_strbuf sb = TM_STRBUF_INIT;
			tm_strbuf_printf(&sb, "%s %s", xk, op);
			for (size_t v = 0; v < tm_value_len(vals); v++) {
				const char *vs = tm_scalar_str(tm_seq_at(vals, v), NULL);
				tm_strbuf_printf(&sb, "%s%s", v ? "," : " ", vs ? vs : "");
			}
			if (!sb.oom && sb.data)
				tm_mb_node_fact(ctx->mb, n, "scheduling", tm_arena_strdup(k->arena, sb.data),
						tm_ingest__loc(o->f, x));
			tm_strbuf_dispose(&sb);
		}
	}
	const tm_value *tols = tm_map_get(pspec, "tolerations");
	for (size_t i = 0; i < tm_value_len(tols); i++) {
		const tm_value *t = tm_seq_at(tols, i);
		const char *tk = tm_scalar_str(tm_map_get(t, "key"), NULL);
		const char *tv = tm_scalar_str(tm_map_get(t, "value"), NULL);
		const char *eff = tm_scalar_str(tm_map_get(t, "effect"), NULL);
		char *item = tk && *tk ? tm_arena_printf(k->arena, "%s%s%s:%s", tk, tv ? "=" : "", tv ? tv : "",
							 eff && *eff ? eff : "any")
				       : tm_arena_printf(k->arena, "every taint%s%s", eff && *eff ? ":" : "", eff ? eff : "");
		if (item)
			tm_mb_node_fact(ctx->mb, n, "tolerations", item, tm_ingest__loc(o->f, t));
	}
}

/* Every application container of the pod (istio-proxy aside) runs as the proxy's UID: then all of
 * the pod's traffic leaves around its sidecar, not one helper's (the query evaluator reads which). */
static void proxy_uid_everywhere(tm_ingest_ctx *ctx, tm_node *n, const tm_value *containers, const tm_value *psc)
{
	size_t app = 0, proxy_uid = 0;
	for (size_t i = 0; i < tm_value_len(containers); i++) {
		const tm_value *c = tm_seq_at(containers, i), *at;
		const char *cname = tm_map_get_str(c, "name");
		if (cname && strcmp(cname, "istio-proxy") == 0)
			continue;
		app++;
		proxy_uid += run_as_user(tm_map_get(c, "securityContext"), psc, &at) == ISTIO_PROXY_UID;
	}
	if (proxy_uid && proxy_uid == app)
		tm_mb_node_bool(ctx->mb, n, "proxy_uid_every_container", true);
}


/* The names of the pod's volumes some container (an init or ephemeral one too) mounts, into set (which
 * borrows them): one walk of the pod's mounts. A volume no container mounts is read by no process
 * of the pod: the kubelet sets it up on the node, no container sees it. 0, or TM_ENOMEM (the set
 * then holds part of them). */
static int mounted_volumes(tm_hmap *set, const tm_value *pspec)
{
	static const char *const lists[] = {"containers", "initContainers", "ephemeralContainers"};
	for (size_t l = 0; l < TM_ARRAY_LEN(lists); l++) {
		const tm_value *cs = tm_map_get(pspec, lists[l]);
		for (size_t c = 0; c < tm_value_len(cs); c++) {
			const tm_value *vms = tm_map_get(tm_seq_at(cs, c), "volumeMounts");
			for (size_t m = 0; m < tm_value_len(vms); m++) {
				const char *vn = tm_map_get_str(tm_seq_at(vms, m), "name");
				if (vn && tm_hmap_put(set, vn, strlen(vn), (void *)vn))
					return TM_ENOMEM;
			}
		}
	}
	return 0;
}

/* Does every container of the pod (init containers too) that mounts volume name mount it
 * read-only, and does one mount it at all? */
static bool mounted_read_only(const tm_value *pspec, const char *name)
{
	static const char *const lists[] = {"containers", "initContainers", "ephemeralContainers"};
	size_t mounts = 0;
	for (size_t l = 0; name && l < TM_ARRAY_LEN(lists); l++) {
		const tm_value *cs = tm_map_get(pspec, lists[l]);
		for (size_t c = 0; c < tm_value_len(cs); c++) {
			const tm_value *vms = tm_map_get(tm_seq_at(cs, c), "volumeMounts");
			for (size_t m = 0; m < tm_value_len(vms); m++) {
				const tm_value *vm = tm_seq_at(vms, m);
				const char *vn = tm_map_get_str(vm, "name");
				bool ro;
				if (!vn || strcmp(vn, name) != 0)
					continue;
				const tm_value *rv = tm_map_get(vm, "readOnly");
				if (!rv || tm_scalar_bool(rv, &ro) || !ro)
					return false;
				mounts++;
			}
		}
	}
	return mounts > 0;
}

static void add_workload(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o,
			 const tm_value *tpl)
{
	char *id = tm_k8s__workload_id(k, o);
	if (!id)
		return;
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	bool cloud = tm_k8s__cloud_run(o); /* no cluster, namespace or ServiceAccount */
	tm_node *n = tm_mb_node(ctx->mb, TM_NODE_SERVICE, id, o->name,
				cloud ? tm_k8s__cloud_run_boundary(ctx) : tm_k8s__ns_boundary(ctx, k, o->ns), loc);
	if (!n)
		return;
	tm_policy *pol = tm_mb_policy(ctx->mb);
	tm_pm_workload *pw = TM_PM_ADD(pol, workloads);
	if (!cloud)
		tm_mb_node_str(ctx->mb, n, "namespace", o->ns);
	tm_mb_node_str(ctx->mb, n, "workload", o->kind);
	ignore_annotation(ctx, o, id);
	tm_k8s__note_implicit_ns(ctx, n, o);
	int64_t replicas;
	if (!tm_scalar_int(tm_map_get(tm_map_get(o->v, "spec"), "replicas"), &replicas))
		tm_mb_node_int(ctx->mb, n, "replicas", replicas);
	const tm_value *pspec = tm_map_get(tpl, "spec");
	struct pod_ctx pod = {tm_map_get(pspec, "securityContext"),
			      tm_map_get(tm_map_get(tpl, "metadata"), "annotations"), {0}, NULL, false, NULL};
	tm_store_probe store;
	tm_stores__probe_init(&store, ctx, n);
	namespace_limits(k, o->ns, &pod.limits);
	struct cport_vec cports = {NULL, 0, 0};
	static const char *const lists[] = {"initContainers", "containers", "ephemeralContainers"};
	for (size_t l = 0; l < TM_ARRAY_LEN(lists); l++) {
		const tm_value *cs = tm_map_get(pspec, lists[l]);
		pod.main = strcmp(lists[l], "containers") == 0;
		pod.store = pod.main ? &store : NULL; /* not init or debug containers */
		pod.list = cs;
		for (size_t i = 0; i < tm_value_len(cs); i++)
			add_container(ctx, k, n, o, tm_seq_at(cs, i), &pod, &cports);
	}
	tm_stores__finish(&store);
	proxy_uid_everywhere(ctx, n, tm_map_get(pspec, "containers"), pod.psc);
	static const char *const hostns[] = {"hostNetwork", "hostPID", "hostIPC"};
	for (size_t i = 0; i < TM_ARRAY_LEN(hostns); i++) {
		const tm_value *hv = tm_map_get(pspec, hostns[i]);
		bool b;
		if (hv && !tm_scalar_bool(hv, &b) && b)
			tm_mb_node_fact(ctx->mb, n, "host_namespaces", hostns[i], tm_ingest__loc(o->f, hv));
	}
	scheduling_facts(ctx, k, n, o, pspec);
	/* one process namespace for the pod: each container sees the others' processes, their
	 * environment and (through /proc/<pid>/root) their files */
	const tm_value *spn = tm_map_get(pspec, "shareProcessNamespace");
	bool shared;
	if (spn && !tm_scalar_bool(spn, &shared) && shared)
		tm_mb_node_fact(ctx->mb, n, "share_process_namespace", "shareProcessNamespace", tm_ingest__loc(o->f, spn));
	const tm_value *vols = tm_map_get(pspec, "volumes");
	tm_hmap mounted = TM_HMAP_INIT;
	bool all_mounted = tm_value_len(vols) && mounted_volumes(&mounted, pspec) != 0; /* out of memory: as before */
	for (size_t i = 0; i < tm_value_len(vols); i++) {
		const tm_value *vol = tm_seq_at(vols, i);
		const char *vname = tm_map_get_str(vol, "name");
		bool read = all_mounted || (vname && tm_hmap_get(&mounted, vname, strlen(vname)));
		const tm_value *hp = tm_map_get(tm_map_get(vol, "hostPath"), "path");
		if (hp && !tm_escape_time_zone_path(tm_scalar_str(hp, NULL))) { /* the host's clock setting: nothing */
			tm_mb_node_fact(ctx->mb, n, "host_paths", tm_scalar_str(hp, NULL), tm_ingest__loc(o->f, hp));
			/* per volume: a path two volumes name, one mounted writable, is writable */
			tm_mb_node_fact(ctx->mb, n,
					mounted_read_only(pspec, tm_map_get_str(vol, "name")) ? "host_paths_read_only"
											      : "host_paths_writable",
					tm_scalar_str(hp, NULL), tm_ingest__loc(o->f, hp));
		}
		/* a Secret volume is read by the containers that mount it; one no container mounts is
		 * a note, no reader (n8n-hosting declares its Secrets as volumes and takes them key by key) */
		const tm_value *sec = tm_map_get(vol, "secret");
		if (sec && read)
			mounts_secret(ctx, k, n, o->ns, tm_map_get(sec, "secretName"), o->f, "volume",
				      tm_map_get(sec, "items"), NULL);
		else if (sec)
			unmounted_secret(ctx, k, o, vname, tm_map_get(sec, "secretName"));
		const tm_value *srcs = tm_map_get(tm_map_get(vol, "projected"), "sources");
		for (size_t j = 0; j < tm_value_len(srcs); j++) {
			const tm_value *ps = tm_map_get(tm_seq_at(srcs, j), "secret");
			if (ps && read)
				mounts_secret(ctx, k, n, o->ns, tm_map_get(ps, "name"), o->f, "projected volume",
					      tm_map_get(ps, "items"), NULL);
			else if (ps)
				unmounted_secret(ctx, k, o, vname, tm_map_get(ps, "name"));
		}
	}
	tm_hmap_dispose(&mounted);
	const tm_value *labels = tm_map_get(tm_map_get(tpl, "metadata"), "labels");
	for (size_t i = 0; i < tm_value_len(labels); i++) {
		const char *lk = tm_scalar_str(tm_map_key(labels, i), NULL);
		const char *lv = tm_scalar_str(tm_map_value(labels, i), NULL);
		/* a key Kubernetes refuses ("app.kubernetes.io/name:db": a template that trimmed the space
		 * after the colon made key and value one word): the object would not be created */
		if (lk && (strpbrk(lk, ": \t") || !*lk))
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, tm_ingest__loc(o->f, tm_map_key(labels, i)),
				    "%s %s/%s: pod label key '%s' is not a valid label key (the API server refuses the "
				    "object)%s; read as written",
				    o->kind, o->ns ? o->ns : "default", o->name, lk,
				    strchr(lk, ':') ? ": a template that trims the space after the colon ({{- ... }}) writes key "
						      "and value as one word"
						    : "");
		char *pair = lk ? tm_arena_printf(k->arena, "%s=%s", lk, lv ? lv : "") : NULL;
		if (pair)
			tm_mb_node_list_add(ctx->mb, n, "labels", pair);
	}
	const tm_value *sav = tm_map_get(pspec, "serviceAccountName");
	if (!sav)
		sav = tm_map_get(pspec, "serviceAccount"); /* deprecated alias */
	const char *sa = tm_scalar_str(sav, NULL);
	if (!sa || !*sa)
		sa = "default";
	if (cloud)
		tm_k8s__cloud_run_identity(ctx, k, n, o, pspec);
	tm_node *idn = cloud ? NULL : tm_k8s__identity(ctx, k, o->ns, sa, sav ? tm_ingest__loc(o->f, sav) : loc);
	if (idn) {
		tm_mb_edge(ctx->mb, n, idn, TM_EDGE_RUNS_AS, sav ? tm_ingest__loc(o->f, sav) : loc);
		tm_mb_node_str(ctx->mb, n, "service_account", sa);
	}
	bool automount;
	if (!tm_scalar_bool(tm_map_get(pspec, "automountServiceAccountToken"), &automount))
		tm_mb_node_bool(ctx->mb, n, "automount_service_account_token", automount);
	if (pw) {
		pw->ns = tm_pm_strdup(pol->arena, o->ns);
		pw->name = tm_pm_strdup(pol->arena, o->name);
		pw->kind = tm_pm_strdup(pol->arena, o->kind);
		pw->node_id = tm_pm_strdup(pol->arena, id);
		pw->service_account = tm_pm_strdup(pol->arena, sa);
		pw->loc = loc;
		tm_ingest__labels(pol->arena, labels, &pw->labels);
		const tm_value *md = tm_map_get(tpl, "metadata");
		/* the label wins over the older annotation (Istio's injection webhook reads it first) */
		const char *inj = tm_map_get_str(tm_map_get(md, "labels"), "sidecar.istio.io/inject");
		if (!inj)
			inj = tm_map_get_str(tm_map_get(md, "annotations"), "sidecar.istio.io/inject");
		pw->inject = inj ? strcmp(inj, "true") == 0 : -1;
		bool hostnet;
		pw->host_network = !tm_scalar_bool(tm_map_get(pspec, "hostNetwork"), &hostnet) && hostnet;
		tm_k8s__capture(ctx, n, o->f, pod.anns, pw);
		tm_k8s__linkerd_pod(ctx, o->f, pod.anns, pw);
		if (!cloud)
			tm_k8s__dapr_pod(ctx, k, n, o, pod.anns);
		if (cports.n && (pw->ports = tm_arena_alloc(pol->arena, cports.n * sizeof(tm_pm_cport)))) {
			memcpy(pw->ports, cports.items, cports.n * sizeof(tm_pm_cport));
			pw->nports = cports.n;
		}
	}
	tm_free(cports.items);
}

/* Does the pod template's label set contain every selector pair? */
static bool selects(const tm_value *selector, const tm_value *tpl)
{
	if (!tm_value_len(selector))
		return false;
	const tm_value *labels = tm_map_get(tm_map_get(tpl, "metadata"), "labels");
	for (size_t i = 0; i < tm_value_len(selector); i++) {
		const char *key = tm_scalar_str(tm_map_key(selector, i), NULL);
		const char *want = tm_scalar_str(tm_map_value(selector, i), NULL);
		const char *have = key ? tm_map_get_str(labels, key) : NULL;
		if (!have || !want || strcmp(have, want) != 0)
			return false;
	}
	return true;
}

tm_node *tm_ingest__internet(tm_ingest_ctx *ctx)
{
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
	tm_loc none = {NULL, 0, 0, NULL};
	tm_node *n = tm_mb_node(ctx->mb, TM_NODE_ENTRYPOINT, "entrypoint:internet", "Internet",
				"internet", none);
	if (n)
		tm_mb_node_str(ctx->mb, n, "position", "anonymous internet");
	return n;
}

const char tm_ingest__public_lb[] = "public";

tm_node *tm_ingest__private_network(tm_ingest_ctx *ctx)
{
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_PARTNER, "partner:private-network", "Private network", NULL);
	tm_loc none = {NULL, 0, 0, NULL};
	tm_node *n = tm_mb_node(ctx->mb, TM_NODE_ENTRYPOINT, "entrypoint:partner:private-network", "Private network",
				"partner:private-network", none);
	if (n) {
		tm_mb_node_str(ctx->mb, n, "position", "internal");
		tm_mb_node_str(ctx->mb, n, "description",
			       "the cloud network an internal load balancer answers on (the VPC, networks peered with "
			       "it, a VPN): not the internet");
	}
	return n;
}

const tm_value *tm_ingest__internal_lb_mark(tm_arena *a, const tm_value *ann, const char **why)
{
	static const struct {
		const char *key, *value; /* value NULL: anything but "false" (AWS's legacy form takes a CIDR) */
	} marks[] = {
		{"networking.gke.io/load-balancer-type", "internal"},
		{"cloud.google.com/load-balancer-type", "internal"},
		{"service.beta.kubernetes.io/aws-load-balancer-internal", NULL},
		{"service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"},
		{"alb.ingress.kubernetes.io/scheme", "internal"},
		{"service.beta.kubernetes.io/azure-load-balancer-internal", "true"},
		{"appgw.ingress.kubernetes.io/use-private-ip", "true"},
		{"service.beta.kubernetes.io/oci-load-balancer-internal", "true"},
		{"oci-network-load-balancer.oraclecloud.com/internal", "true"},
		{"service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", "private"},
		{"service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type", "intranet"},
		{"service.beta.kubernetes.io/openstack-internal-load-balancer", "true"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(marks); i++) {
		const tm_value *v = tm_map_get(ann, marks[i].key);
		const char *s = tm_scalar_str(v, NULL);
		if (!s || !*s || (marks[i].value ? !tm_strcaseeq(s, marks[i].value) : tm_strcaseeq(s, "false")))
			continue;
		*why = tm_arena_printf(a, "%s: %s", marks[i].key, s);
		return v;
	}
	return NULL;
}

/* What keeps a LoadBalancer Service or an Ingress off the internet: an annotation of the cloud's load
 * balancer controller, or an internal Ingress class. Returns the annotation's value (its location in
 * *at, "key: value" in *why), NULL when nothing does. */
static const tm_value *internal_lb(struct k8s *k, const struct obj *o, const char *ingress_class, const char **why)
{
	const tm_value *ann = tm_map_get(tm_map_get(o->v, "metadata"), "annotations");
	const tm_value *mark = tm_ingest__internal_lb_mark(k->arena, ann, why);
	if (mark)
		return mark;
	if (ingress_class && tm_strcaseeq(ingress_class, "gce-internal")) {
		*why = "ingress class gce-internal";
		const tm_value *v = tm_map_get(tm_map_get(o->v, "spec"), "ingressClassName");
		return v ? v : tm_map_get(ann, "kubernetes.io/ingress.class");
	}
	return NULL;
}

static char *label_key(struct k8s *k, const char *ns, const char *key, const char *value)
{
	return key && value ? tm_arena_printf(k->arena, "%s\x1f%s=%s", ns, key, value) : NULL;
}

/* Index a workload's pod template under each of its labels (see struct tm_k8s_pods). */
static void index_labels(struct k8s *k, const struct obj *w, const tm_value *tpl)
{
	const tm_value *labels = tm_map_get(tm_map_get(tpl, "metadata"), "labels");
	for (size_t i = 0; i < tm_value_len(labels); i++) {
		char *key = label_key(k, w->ns, tm_scalar_str(tm_map_key(labels, i), NULL),
				      tm_scalar_str(tm_map_value(labels, i), NULL));
		struct tm_k8s_pods *p = key ? tm_hmap_get(&k->pods, key, strlen(key)) : NULL;
		if (key && !p) {
			p = tm_arena_alloc(k->arena, sizeof(*p));
			if (!p || tm_hmap_put(&k->pods, key, strlen(key), p))
				continue; /* out of memory: the scan's arena check reports it */
		}
		struct tm_k8s_pod_ref *r = p ? tm_arena_alloc(k->arena, sizeof(*r)) : NULL;
		if (!r || (p->tail && p->tail->w == w)) /* a label repeated in one template */
			continue;
		r->w = w;
		if (p->tail)
			p->tail->next = r;
		else
			p->head = r;
		p->tail = r;
		p->n++;
	}
}

/* The templates in ns that could match the selector: those carrying its first pair. */
static const struct tm_k8s_pods *candidates(struct k8s *k, const char *ns, const tm_value *selector)
{
	char *key = label_key(k, ns, tm_scalar_str(tm_map_key(selector, 0), NULL),
			      tm_scalar_str(tm_map_value(selector, 0), NULL));
	return key ? tm_hmap_get(&k->pods, key, strlen(key)) : NULL;
}

/* A Service's ports, as the policy model reads them; a port out of range is left out. */
static void policy_ports(tm_policy *pol, tm_pm_service *ps, const tm_value *ports)
{
	size_t np = tm_value_len(ports);
	if (!np || !(ps->ports = tm_arena_alloc(pol->arena, np * sizeof(tm_pm_sport))))
		return;
	for (size_t i = 0; i < np; i++) {
		const tm_value *pv = tm_seq_at(ports, i);
		tm_pm_sport *sp = &ps->ports[ps->nports];
		int64_t num;
		if (tm_scalar_int(tm_map_get(pv, "port"), &num) || num <= 0 || num > 65535)
			continue;
		sp->port = (int)num;
		const tm_value *tp = tm_map_get(pv, "targetPort");
		if (!tp)
			sp->target = sp->port;
		else if (!tm_scalar_int(tp, &num) && num > 0 && num < 65536)
			sp->target = (int)num;
		else
			sp->target_name = tm_pm_strdup(pol->arena, tm_scalar_str(tp, NULL));
		const char *nm = tm_map_get_str(pv, "name");
		const char *proto = tm_map_get_str(pv, "protocol");
		const char *ap = tm_map_get_str(pv, "appProtocol");
		sp->name = nm ? tm_pm_strdup(pol->arena, nm) : NULL;
		sp->protocol = tm_pm_strdup(pol->arena, proto ? proto : "TCP");
		sp->app_protocol = ap ? tm_pm_strdup(pol->arena, ap) : NULL;
		ps->nports++;
	}
}

/* The Service in the policy model. */
static void policy_service(tm_ingest_ctx *ctx, const struct obj *o, const tm_value *spec, const char *type, tm_loc loc)
{
	tm_policy *pol = tm_mb_policy(ctx->mb);
	tm_pm_service *ps = TM_PM_ADD(pol, services);
	if (!ps)
		return;
	ps->ns = tm_pm_strdup(pol->arena, o->ns);
	ps->name = tm_pm_strdup(pol->arena, o->name);
	ps->type = tm_pm_strdup(pol->arena, type);
	ps->loc = loc;
	tm_ingest__labels(pol->arena, tm_map_get(spec, "selector"), &ps->selector);
	tm_ingest__labels(pol->arena, tm_map_get(tm_map_get(o->v, "metadata"), "labels"), &ps->labels);
	const char *xn = tm_map_get_str(spec, "externalName");
	ps->external_name = xn ? tm_pm_strdup(pol->arena, xn) : NULL;
	policy_ports(pol, ps, tm_map_get(spec, "ports"));
}

/* An ExternalName Service: its one target is the external host. */
static void external_target(tm_ingest_ctx *ctx, struct k8s *k, struct svc_target *t, const tm_value *spec, tm_loc loc)
{
	const char *host = tm_map_get_str(spec, "externalName");
	if (!host)
		return;
	char *id = tm_arena_printf(k->arena, "external:%s", host);
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
	tm_node *ext = id ? tm_mb_node(ctx->mb, TM_NODE_EXTERNAL, id, host, "internet", loc) : NULL;
	t->targets = tm_arena_alloc(k->arena, sizeof(tm_node *));
	if (ext && t->targets) {
		t->targets[0] = ext;
		t->ntargets = 1;
	}
}

/* The workloads the selector picks become the Service's targets, each noting the Service. */
static void selected_targets(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o, struct svc_target *t,
			     const tm_value *selector, tm_loc loc)
{
	const struct tm_k8s_pods *cand = candidates(k, o->ns, selector);
	t->targets = cand ? tm_arena_alloc(k->arena, cand->n * sizeof(tm_node *)) : NULL;
	for (const struct tm_k8s_pod_ref *r = t->targets ? cand->head : NULL; r; r = r->next) {
		const struct obj *w = r->w;
		const tm_value *tpl = tm_k8s__pod_template(w);
		if (!selects(selector, tpl))
			continue;
		char *id = tm_k8s__workload_id(k, w);
		tm_node *wn = id ? tm_mb_find(ctx->mb, id) : NULL;
		if (!wn)
			continue;
		t->targets[t->ntargets++] = wn;
		tm_mb_node_list_add(ctx->mb, wn, "k8s_services", o->name);
		tm_mb_add_evidence(ctx->mb, wn, loc);
	}
}

/* A LoadBalancer or NodePort Service: the internet routes to each target, on the ports it opens (an
 * internal load balancer: the private network, from the annotation that says so). */
void tm_k8s__exposed(tm_ingest_ctx *ctx, struct tm_k8s *k, const tm_file *f, const char *name, const tm_value *ann,
		     const char *type, const tm_value *type_at, const tm_value *ranges_v, const tm_value *ports,
		     tm_node *const *targets, size_t ntargets)
{
	bool lb = type && strcmp(type, "LoadBalancer") == 0;
	if (!lb && !(type && strcmp(type, "NodePort") == 0))
		return;
	const char *internal = NULL;
	const tm_value *mark = lb ? tm_ingest__internal_lb_mark(k->arena, ann, &internal) : NULL;
	tm_node *in = mark ? tm_ingest__private_network(ctx) : tm_ingest__internet(ctx);
	if (!in)
		return;
	tm_loc tloc = tm_ingest__loc(f, mark ? mark : type_at);
	/* the load balancer's own allow-list: spec.loadBalancerSourceRanges, or the older annotation */
	const tm_value *lbr = lb ? ranges_v : NULL;
	const tm_value *lba = lb && !lbr ? tm_map_get(ann, "service.beta.kubernetes.io/load-balancer-source-ranges") : NULL;
	bool all_private = false;
	const char *ranges = lbr ? tm_gw_ranges(k->arena, lbr, &all_private) : NULL;
	if (lba && tm_scalar_str(lba, NULL)) {
		char *r = tm_arena_strdup(k->arena, tm_scalar_str(lba, NULL));
		for (char *c = r; c && *c; c++)
			if (*c == ',')
				*c = ' ';
		ranges = r && *r ? r : NULL;
		all_private = ranges && tm_policy__private_ranges(ranges);
	}
	/* admitting listed sources only (no 0.0.0.0/0): not the internet at large, as an allow-list of
	 * private ranges is not; a query from one of them (--source-ip) passes */
	bool everyone = ranges && (strstr(ranges, "0.0.0.0/0") || strstr(ranges, "::/0"));
	all_private = ranges && !everyone;
	const char *wat = ranges ? tm_gw_where(ctx, "at", tm_ingest__loc(f, lbr ? lbr : lba)) : NULL;
	const char *allow = ranges && wat ? tm_arena_printf(k->arena, "%s %s (%s)",
							   lbr ? "loadBalancerSourceRanges" : "load-balancer-source-ranges",
							   wat + 3, ranges)
					  : NULL;
	for (size_t i = 0; i < ntargets; i++) {
		tm_edge *e = tm_mb_edge(ctx->mb, in, targets[i], TM_EDGE_ROUTES, tloc);
		if (!e)
			continue;
		tm_mb_edge_str(ctx->mb, e, "via", lb ? "LoadBalancer" : "NodePort");
		if (allow)
			tm_mb_edge_list_add(ctx->mb, e, "allow_lists", allow);
		if (allow && all_private) {
			tm_mb_edge_bool(ctx->mb, e, "private_sources_only", true);
			for (const char *p = ranges; *p;) {
				size_t l = strcspn(p, " ");
				if (l)
					tm_mb_edge_list_add(ctx->mb, e, "source_ranges", tm_arena_strndup(k->arena, p, l));
				p += l + (p[l] == ' ');
			}
		}
		if (internal)
			tm_mb_edge_str(ctx->mb, e, "internal", internal);
		/* for the Istio Gateways that select these pods (istio.c): public wins over internal */
		const char *id = tm_node_id(targets[i]);
		const char *had = tm_hmap_get(&ctx->balanced, id, strlen(id));
		if (had != tm_ingest__public_lb &&
		    tm_hmap_put(&ctx->balanced, id, strlen(id), (void *)(internal ? internal : tm_ingest__public_lb)))
			tm_arena_set_failed(ctx->scratch);
		tm_mb_edge_list_add(ctx->mb, e, "k8s_services", name);
		for (size_t p = 0; p < tm_value_len(ports); p++) {
			const tm_value *pv = tm_seq_at(ports, p);
			/* a NodePort without nodePort gets one the cluster assigns from its node port range
			 * (30000-32767 unless --service-node-port-range says otherwise) */
			const char *port = tm_map_get_str(pv, lb ? "port" : "nodePort");
			if (!port && !lb && tm_map_get_str(pv, "port"))
				port = "30000-32767";
			if (!port)
				continue;
			tm_mb_edge_list_add(ctx->mb, e, "ports", port);
			/* where it lands in the pod: targetPort (a number or a container port's name), else the
			 * Service port */
			const char *target = tm_map_get_str(pv, "targetPort");
			if (!target)
				target = tm_map_get_str(pv, "port");
			if (target)
				tm_mb_edge_list_add(ctx->mb, e, "target_ports",
						    tm_arena_printf(ctx->scratch, "%s->%s", port, target));
		}
	}
}

/* The weakest sign of a store (stores.c): a Service port (port, targetPort or name) that only one
 * store uses, for selected workloads whose containers said nothing (no image, no containerPort of a
 * store). The Service port's line is the evidence. */
static void service_port_stores(tm_ingest_ctx *ctx, struct svc_target *t, const tm_value *spec, const struct obj *o)
{
	const tm_value *ports = tm_map_get(spec, "ports");
	for (size_t i = 0; i < t->ntargets; i++) {
		tm_node *w = t->targets[i];
		if (!w || !tm_node_attr_str(w, "workload") || tm_node_attr_str(w, "runs_store"))
			continue;
		tm_store_probe probe;
		tm_stores__probe_init(&probe, ctx, w);
		/* its image, which a store's port confirms ("goharbor/redis-photon" on 6379) */
		const tm_attr *imgs = tm_node_attr_get(w, "images");
		probe.image = imgs && imgs->type == TM_ATTR_LIST && imgs->list_len ? imgs->list[0] : NULL;
		for (size_t p = 0; p < tm_value_len(ports); p++) {
			const tm_value *pv = tm_seq_at(ports, p);
			tm_loc at = tm_ingest__loc(o->f, pv);
			const char *target = tm_map_get_str(pv, "targetPort");
			bool named = target && (target[0] < '0' || target[0] > '9');
			tm_stores__port(&probe, named ? NULL : target, named ? target : tm_map_get_str(pv, "name"), at);
			tm_stores__port(&probe, tm_map_get_str(pv, "port"), NULL, at);
		}
		tm_stores__finish(&probe);
	}
}

/* A LoadBalancer or NodePort Service whose pods the scan does not hold (an operator's, a chart not
 * scanned, endpoints managed elsewhere) still opens its ports beyond the cluster: its one target is
 * a workload standing for those pods, "service:<ns>/<name>" with `unscanned_pods`, so the way in,
 * a store its port names (service_port_stores) and the findings on them are not lost. Not when a
 * node of that id is the scan's own workload. True when t has the target. */
static bool unscanned_pods(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o, struct svc_target *t, tm_loc loc)
{
	char *id = tm_arena_printf(k->arena, "service:%s/%s", o->ns, o->name);
	if (!id || tm_mb_find(ctx->mb, id))
		return false;
	tm_node *n = tm_mb_node(ctx->mb, TM_NODE_SERVICE, id, o->name, tm_k8s__ns_boundary(ctx, k, o->ns), loc);
	t->targets = n ? tm_arena_alloc(k->arena, sizeof(tm_node *)) : NULL;
	if (!t->targets)
		return false;
	tm_mb_node_str(ctx->mb, n, "namespace", o->ns);
	tm_mb_node_str(ctx->mb, n, "workload", "unscanned");
	tm_mb_node_str(ctx->mb, n, "unscanned_pods",
		       tm_arena_printf(ctx->scratch, "the pods behind Service %s/%s are not in the scanned files", o->ns,
				       o->name));
	t->targets[0] = n;
	t->ntargets = 1;
	return true;
}

static void add_service(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	const char *type = tm_map_get_str(spec, "type");
	if (!type)
		type = "ClusterIP";
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	struct svc_target *t = tm_arena_alloc(k->arena, sizeof(*t));
	char *key = tm_arena_printf(k->arena, "%s/%s", o->ns, o->name);
	if (!t || !key || tm_hmap_put(&k->services, key, strlen(key), t))
		return;
	t->svc = o;
	policy_service(ctx, o, spec, type, loc);
	if (strcmp(type, "ExternalName") == 0) {
		external_target(ctx, k, t, spec, loc);
		return;
	}
	const tm_value *selector = tm_map_get(spec, "selector");
	bool lb = strcmp(type, "LoadBalancer") == 0, np = strcmp(type, "NodePort") == 0;
	if (!tm_value_len(selector)) {
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
			    "service '%s' has no selector; its endpoints are managed elsewhere", o->name);
		if (!(lb || np) || !unscanned_pods(ctx, k, o, t, loc))
			return;
	} else {
		selected_targets(ctx, k, o, t, selector, loc);
		if (!t->ntargets) {
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, selector),
				    "service '%s' selects no workload in the scanned files", o->name);
			if (!(lb || np) || !unscanned_pods(ctx, k, o, t, loc))
				return;
		}
	}
	service_port_stores(ctx, t, spec, o);
	if (lb || np)
		tm_k8s__exposed(ctx, k, o->f, o->name, tm_map_get(tm_map_get(o->v, "metadata"), "annotations"), type,
				tm_map_get(spec, "type"), tm_map_get(spec, "loadBalancerSourceRanges"), tm_map_get(spec, "ports"),
				t->targets, t->ntargets);
}

/* Resolve an Ingress backend (networking.k8s.io/v1 or the older extensions form). */
static const tm_value *backend_service(const tm_value *backend)
{
	const tm_value *svc = tm_map_get(backend, "service");
	if (svc)
		return tm_map_get(svc, "name");
	return tm_map_get(backend, "serviceName");
}

void tm_k8s__route_edge(tm_ingest_ctx *ctx, tm_node *gw, tm_node *to, tm_loc loc, const char *svc, const char *host,
			const char *path, bool pattern, const tm_gw_checks *c)
{
	tm_edge *e = tm_mb_edge(ctx->mb, gw, to, TM_EDGE_ROUTES, loc);
	if (!e)
		return;
	tm_gw_checks one = c ? *c : (tm_gw_checks)TM_GW_CHECKS_NONE;
	bool checked = one.authn != TM_AUTHN_NONE || one.rate_how || one.restrict_how || one.deny_how;
	/* One edge per workload: when several routes of gw reach it (an HTTPProxy's routes each
	 * with its own checks), it carries the weakest check among them, as gateway.c's edges do.
	 * Every route made here lists its path (or path pattern), so an edge without either is new; one
	 * given checks before says so by its authn (tm_gw_edge_checks sets it) or by being enforced at gw. */
	bool first = !tm_edge_attr_get(e, "paths") && !tm_edge_attr_get(e, "path_patterns");
	bool had = !first && (e->authn != TM_AUTHN_UNKNOWN || e->enforced_at == TM_ENFORCED_GATEWAY);
	tm_gw_edge_weakest(e, first, had, &one);
	if (svc)
		tm_mb_edge_list_add(ctx->mb, e, "k8s_services", svc);
	if (host)
		tm_mb_edge_list_add(ctx->mb, e, "hosts", host);
	tm_mb_edge_list_add(ctx->mb, e, pattern ? "path_patterns" : "paths", path ? path : "/");
	if (checked || had)
		tm_gw_edge_checks(ctx, e, &one);
}

void tm_k8s__route_service(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o, tm_node *gw, const char *ns,
			   const char *name, tm_loc loc, const char *host, const char *path, bool pattern,
			   const tm_gw_checks *c)
{
	char *key = tm_arena_printf(k->arena, "%s/%s", ns ? ns : o->ns, name);
	struct svc_target *t = key ? tm_hmap_get(&k->services, key, strlen(key)) : NULL;
	if (!t || !t->ntargets) {
		const char *noun = tm_k8s__is(o, "Route")     ? "route"
				   : tm_k8s__is(o, "Ingress") ? "ingress"
				   : tm_k8s__is(o, "Mapping") ? "mapping"
							      : o->kind;
		if (ns && o->ns && strcmp(ns, o->ns) != 0)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
				    "%s '%s' routes to service '%s' in namespace '%s', which selects no workload in the "
				    "scanned files", noun, o->name, name, ns);
		else
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, loc,
				    "%s '%s' routes to service '%s', which selects no workload in the scanned files",
				    noun, o->name, name);
		return;
	}
	tm_gw_checks all = c ? *c : (tm_gw_checks)TM_GW_CHECKS_NONE;
	if (c) /* what the backend Service adds (GKE's BackendConfig) */
		tm_k8s__backend_checks(ctx, k, t, &all);
	for (size_t i = 0; i < t->ntargets; i++)
		tm_k8s__route_edge(ctx, gw, t->targets[i], loc, name, host, path, pattern, &all);
}

void tm_k8s__route_backend(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o, tm_node *gw, const char *ns,
			   const tm_value *namev, const char *host, const char *path, const tm_gw_checks *c)
{
	const char *name = tm_scalar_str(namev, NULL);
	if (name)
		tm_k8s__route_service(ctx, k, o, gw, ns, name, tm_ingest__loc(o->f, namev), host, path, false, c);
}

tm_node *tm_k8s__object_gateway(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o, const char *type)
{
	/* a controller's own kind is a scheme of the id: an Ingress and an IngressRoute of one name
	 * (a chart offering both) are two gateways */
	bool core = tm_k8s__is(o, "Ingress") || tm_k8s__is(o, "Route") || tm_k8s__is(o, "KnativeService");
	char scheme[64] = "";
	for (size_t i = 0; !core && o->kind[i] && i + 2 < sizeof(scheme); i++)
		scheme[i] = (char)tolower((unsigned char)o->kind[i]);
	if (*scheme)
		scheme[strlen(scheme)] = ':';
	char *id = tm_arena_printf(k->arena, "gateway:%s%s/%s", scheme, o->ns, o->name);
	tm_node *gw = id ? tm_mb_node(ctx->mb, TM_NODE_GATEWAY, id, o->name, tm_k8s__ns_boundary(ctx, k, o->ns),
				      tm_ingest__loc(o->f, o->v))
			 : NULL;
	if (!gw)
		return NULL;
	tm_mb_node_str(ctx->mb, gw, "namespace", o->ns);
	tm_mb_node_str(ctx->mb, gw, "gateway_type", type);
	tm_k8s__note_implicit_ns(ctx, gw, o);
	return gw;
}

static void add_ingress(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o)
{
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	tm_node *gw = tm_k8s__object_gateway(ctx, k, o, "kubernetes-ingress");
	const tm_value *spec = tm_map_get(o->v, "spec");
	const char *cls = tm_map_get_str(spec, "ingressClassName");
	if (!cls)
		cls = tm_map_get_str(tm_map_get(tm_map_get(o->v, "metadata"), "annotations"),
				     "kubernetes.io/ingress.class");
	const char *internal = NULL, *ctl_internal = NULL;
	const tm_value *mark = internal_lb(k, o, cls, &internal);
	if (!gw)
		return;
	/* the controllers of its class, when the scan holds them: the Ingress is reached as they are */
	tm_node *in = mark ? NULL : tm_k8s__ingress_controllers(ctx, k, o, gw, cls, NULL, &ctl_internal);
	if (!in)
		in = mark ? tm_ingest__private_network(ctx) : tm_ingest__internet(ctx);
	if (ctl_internal)
		internal = ctl_internal;
	if (!in)
		return;
	if (cls)
		tm_mb_node_str(ctx->mb, gw, "ingress_class", cls);
	/* where the cloud's load balancer answers, written: no assumption (report/md.c) */
	const char *scheme = tm_map_get_str(tm_map_get(tm_map_get(o->v, "metadata"), "annotations"),
					    "alb.ingress.kubernetes.io/scheme");
	if (mark || (scheme && tm_strcaseeq(scheme, "internet-facing")))
		tm_mb_node_str(ctx->mb, gw, "exposure_decided",
			       mark ? internal : "alb.ingress.kubernetes.io/scheme: internet-facing");
	/* TLS: spec.tls, or a certificate the cloud's load balancer terminates, named in an annotation */
	const tm_value *tls = tm_map_get(spec, "tls");
	static const char *const lb_certs[] = {"alb.ingress.kubernetes.io/certificate-arn",
					       "networking.gke.io/managed-certificates",
					       "ingress.gcp.kubernetes.io/pre-shared-cert",
					       "appgw.ingress.kubernetes.io/appgw-ssl-certificate"};
	const tm_value *anns = tm_map_get(tm_map_get(o->v, "metadata"), "annotations"), *cert = NULL;
	for (size_t i = 0; i < TM_ARRAY_LEN(lb_certs) && !cert; i++) {
		const char *v = tm_map_get_str(anns, lb_certs[i]);
		cert = v && *v ? tm_map_get(anns, lb_certs[i]) : NULL;
	}
	tm_mb_node_bool(ctx->mb, gw, "tls", tm_value_len(tls) > 0 || cert);
	if (cert && !tm_value_len(tls))
		tm_mb_node_fact(ctx->mb, gw, "tls_termination", "the cloud load balancer's certificate", tm_ingest__loc(o->f, cert));
	tm_edge *e = tm_mb_edge(ctx->mb, in, gw, TM_EDGE_ROUTES, mark ? tm_ingest__loc(o->f, mark) : loc);
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", "Ingress");
	if (e && internal)
		tm_mb_edge_str(ctx->mb, e, "internal", internal);
	tm_gw_checks checks;
	tm_k8s__ingress_checks(ctx, k, o, &checks);
	const tm_value *def = tm_map_get(spec, "defaultBackend");
	if (!def)
		def = tm_map_get(spec, "backend");
	if (def)
		tm_k8s__route_backend(ctx, k, o, gw, NULL, backend_service(def), NULL, "/", &checks);
	size_t backends = def ? 1 : 0;
	const tm_value *rules = tm_map_get(spec, "rules");
	for (size_t i = 0; i < tm_value_len(rules); i++) {
		const tm_value *rule = tm_seq_at(rules, i);
		const char *host = tm_map_get_str(rule, "host");
		/* each host where it is written: an overlay's patch that set it, not the base object */
		if (host)
			tm_mb_node_fact(ctx->mb, gw, "hosts", host, tm_ingest__loc(o->f, tm_map_get(rule, "host")));
		const tm_value *paths = tm_map_get(tm_map_get(rule, "http"), "paths");
		for (size_t p = 0; p < tm_value_len(paths); p++) {
			const tm_value *pv = tm_seq_at(paths, p);
			backends++;
			tm_k8s__route_backend(ctx, k, o, gw, NULL, backend_service(tm_map_get(pv, "backend")), host,
				      tm_map_get_str(pv, "path"), &checks);
		}
	}
	/* rules without http paths and no default backend: the controller answers 404 for its hosts
	 * (a strategic-merge patch that replaces spec.rules, an atomic list, leaves just this) */
	if (!backends) {
		tm_mb_node_bool(ctx->mb, gw, "routes_nothing", true);
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, rules ? tm_ingest__loc(o->f, rules) : loc,
			    "Ingress '%s' routes nothing: no rule has http paths and there is no defaultBackend "
			    "(the controller answers 404 for its hosts)",
			    o->name);
	}
}

/* An OpenShift Route (route.openshift.io): the cluster's router publishes a Service at spec.host,
 * as an Ingress would. TLS when spec.tls terminates it (edge, passthrough or reencrypt) and plaintext
 * is not allowed beside it (insecureEdgeTerminationPolicy: Allow serves both). */
static void add_route(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o)
{
	tm_loc loc = tm_ingest__loc(o->f, o->v);
	tm_node *gw = tm_k8s__object_gateway(ctx, k, o, "openshift-route");
	tm_node *in = tm_ingest__internet(ctx);
	if (!gw || !in)
		return;
	const tm_value *spec = tm_map_get(o->v, "spec");
	const char *host = tm_map_get_str(spec, "host");
	if (host && !*host)
		host = NULL; /* left empty (a template's default): the router names it, as when absent */
	if (host)
		tm_mb_node_list_add(ctx->mb, gw, "hosts", host);
	const tm_value *tls = tm_map_get(spec, "tls");
	const char *term = tm_map_get_str(tls, "termination");
	const tm_value *insecure = tm_map_get(tls, "insecureEdgeTerminationPolicy");
	bool plaintext_too = insecure && tm_strcaseeq(tm_scalar_str(insecure, NULL), "Allow");
	tm_mb_node_bool(ctx->mb, gw, "tls", term && !plaintext_too);
	if (term)
		tm_mb_node_fact(ctx->mb, gw, "tls_termination",
				plaintext_too ? tm_arena_printf(k->arena, "%s, and plaintext (insecureEdgeTerminationPolicy: Allow)", term)
					      : term,
				tm_ingest__loc(o->f, plaintext_too ? insecure : tls));
	tm_edge *e = tm_mb_edge(ctx->mb, in, gw, TM_EDGE_ROUTES, loc);
	if (e)
		tm_mb_edge_str(ctx->mb, e, "via", "OpenShift Route");
	const char *path = tm_map_get_str(spec, "path");
	tm_gw_checks checks;
	tm_k8s__route_checks(ctx, o, &checks);
	const tm_value *to = tm_map_get(spec, "to");
	const tm_value *alt = tm_map_get(spec, "alternateBackends");
	for (size_t i = 0; i <= tm_value_len(alt); i++) {
		const tm_value *b = i ? tm_seq_at(alt, i - 1) : to;
		const char *kind = tm_map_get_str(b, "kind");
		if (!b)
			continue;
		if (kind && strcmp(kind, "Service") != 0) {
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, tm_ingest__loc(o->f, b),
				    "route '%s' sends to a %s, which the router does not take (only Service)", o->name, kind);
			continue;
		}
		tm_k8s__route_backend(ctx, k, o, gw, NULL, tm_map_get(b, "name"), host, path ? path : "/", &checks);
	}
}

/* A label the API server or a controller sets, beside the ones written (key and value live as long
 * as the policy). */
static void add_label(tm_arena *a, tm_labels *labels, const char *key, const char *value)
{
	tm_label *l = tm_arena_alloc(a, (labels->n + 1) * sizeof(tm_label));
	if (!l)
		return;
	if (labels->n)
		memcpy(l, labels->items, labels->n * sizeof(tm_label));
	l[labels->n].key = key;
	l[labels->n].value = value;
	labels->items = l;
	labels->n++;
}

static void add_namespace(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o)
{
	tm_k8s__ns_boundary(ctx, k, o->name);
	tm_policy *pol = tm_mb_policy(ctx->mb);
	tm_pm_namespace *pn = TM_PM_ADD(pol, namespaces);
	if (!pn)
		return;
	const tm_value *labels = tm_map_get(tm_map_get(o->v, "metadata"), "labels");
	pn->name = tm_pm_strdup(pol->arena, o->name);
	pn->loc = tm_ingest__loc(o->f, o->v);
	tm_ingest__labels(pol->arena, labels, &pn->labels);
	/* kubernetes.io/metadata.name is set by the API server on every namespace */
	if (!tm_labels_get(&pn->labels, "kubernetes.io/metadata.name"))
		add_label(pol->arena, &pn->labels, "kubernetes.io/metadata.name", pn->name);
	const char *inj = tm_labels_get(&pn->labels, "istio-injection");
	pn->injection = inj ? strcmp(inj, "enabled") == 0 : tm_labels_get(&pn->labels, "istio.io/rev") ? 1 : -1;
	tm_k8s__linkerd_namespace(ctx, o->f, tm_map_get(tm_map_get(o->v, "metadata"), "annotations"), pn);
}

#define CONFIG_TEXT_MAX (1u << 20) /* a ConfigMap value read as a configuration file: at most 1 MiB */

/* ConfigMaps are indexed for calls; literal credentials in them become secret nodes, and the
 * credentials written in a configuration file one of them holds are that file's. */
static void add_config(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o)
{
	bool cm = tm_k8s__is(o, "ConfigMap");
	char *key = tm_arena_printf(k->arena, "%s/%s", o->ns, o->name);
	if (!key)
		return;
	if (!cm) {
		tm_k8s__secret_object(ctx, k, o);
		return;
	}
	if (tm_hmap_put(&k->configmaps, key, strlen(key), (void *)o))
		return;
	const tm_value *data = tm_map_get(o->v, "data");
	for (size_t i = 0; i < tm_value_len(data); i++) {
		const char *dk = tm_scalar_str(tm_map_key(data, i), NULL);
		const tm_value *dv = tm_map_value(data, i);
		size_t len = 0;
		const char *text = tm_scalar_str(dv, &len);
		if (dk && text && !tm_k8s__literal_credential(dk, text) && memchr(text, '\n', len) && len <= CONFIG_TEXT_MAX) {
			/* a configuration file kept in the ConfigMap (my.cnf, application.properties, a .env):
			 * its `key = value` lines judged as a properties file's, at the ConfigMap's lines (or
			 * a generator's file's): one per line, but a quoted value written after its key on one
			 * line (JSON's "a\nb") sits on that line whole */
			tm_loc at = tm_ingest__loc(o->f, dv), kat = tm_ingest__loc(o->f, tm_map_key(data, i));
			const char *display = tm_arena_printf(k->arena, "%s#%s", at.path ? at.path : tm_file_path(o->f), dk);
			bool inline_value = at.path && kat.path && strcmp(at.path, kat.path) == 0 && at.line == kat.line &&
					    at.col > kat.col; /* a quoted value written after its key */
			if (display)
				tm_ingest__properties_at(ctx, display, "configmap", text, len, at.path, at.line,
							 !inline_value);
			continue;
		}
		if (!dk || !tm_k8s__literal_credential(dk, text))
			continue;
		char *name = tm_arena_printf(k->arena, "%s#%s", o->name, dk);
		tm_node *s = name ? tm_k8s__secret_node(ctx, k, o->ns, name, "configmap", tm_ingest__loc(o->f, dv)) : NULL;
		if (s)
			tm_mb_node_fact(ctx->mb, s, "literal_credentials", dk, tm_ingest__loc(o->f, dv));
	}
}

/* ConfigMaps holding a gateway's configuration (nginx.conf, envoy.yaml, kong.yml): handed to the
 * gateway readers with the workloads that mount them, which run the gateway. */
struct mounters {
	tm_node **n;
	size_t count, cap;
};

static void add_mounter(struct k8s *k, tm_hmap *by_cm, const char *ns, const char *cm, tm_node *n)
{
	char *key = cm ? tm_arena_printf(k->arena, "%s/%s", ns, cm) : NULL;
	if (!key)
		return;
	struct mounters *m = tm_hmap_get(by_cm, key, strlen(key));
	if (!m) {
		m = tm_arena_alloc(k->arena, sizeof(*m));
		if (!m || tm_hmap_put(by_cm, key, strlen(key), m)) {
			tm_arena_set_failed(k->arena);
			return;
		}
	}
	if (m->count && m->n[m->count - 1] == n)
		return;
	if (m->count == m->cap) { /* in the arena: doubled, the old array left behind */
		size_t cap = m->cap ? 2 * m->cap : 4;
		tm_node **grown = tm_arena_alloc(k->arena, cap * sizeof(*grown));
		if (!grown) {
			tm_arena_set_failed(k->arena);
			return;
		}
		if (m->count)
			memcpy(grown, m->n, m->count * sizeof(*grown));
		m->n = grown;
		m->cap = cap;
	}
	m->n[m->count++] = n;
}

static void gateway_configmaps(tm_ingest_ctx *ctx, struct k8s *k)
{
	if (!ctx->gw)
		return;
	tm_hmap by_cm = TM_HMAP_INIT;
	for (size_t i = 0; i < k->n; i++) {
		const struct obj *o = &k->objs[i];
		const tm_value *tpl = tm_k8s__pod_template(o);
		char *id = tpl ? tm_k8s__workload_id(k, o) : NULL;
		tm_node *n = id ? tm_mb_find(ctx->mb, id) : NULL;
		const tm_value *vols = n ? tm_map_get(tm_map_get(tpl, "spec"), "volumes") : NULL;
		for (size_t v = 0; v < tm_value_len(vols); v++) {
			const tm_value *vol = tm_seq_at(vols, v);
			add_mounter(k, &by_cm, o->ns, tm_map_get_str(tm_map_get(vol, "configMap"), "name"), n);
			const tm_value *srcs = tm_map_get(tm_map_get(vol, "projected"), "sources");
			for (size_t j = 0; j < tm_value_len(srcs); j++)
				add_mounter(k, &by_cm, o->ns, tm_map_get_str(tm_map_get(tm_seq_at(srcs, j), "configMap"), "name"),
					    n);
		}
	}
	for (size_t i = 0; i < k->n; i++) {
		const struct obj *o = &k->objs[i];
		if (!tm_k8s__is(o, "ConfigMap"))
			continue;
		char *key = tm_arena_printf(k->arena, "%s/%s", o->ns, o->name);
		const struct mounters *m = key ? tm_hmap_get(&by_cm, key, strlen(key)) : NULL;
		const tm_value *data = tm_map_get(o->v, "data");
		for (size_t d = 0; d < tm_value_len(data); d++) {
			tm_ingest__gw_embedded(ctx, o->f, tm_map_key(data, d), tm_map_value(data, d), m ? m->n : NULL,
					       m ? m->count : 0);
			/* a broker's or Node-RED's configuration (iot.c) */
			tm_ingest__iot_embedded(ctx, o->f, tm_map_key(data, d), tm_map_value(data, d), m ? m->n : NULL,
						m ? m->count : 0);
		}
	}
	tm_hmap_dispose(&by_cm);
}

/* Is a token mounted? The pod's automountServiceAccountToken wins over the ServiceAccount's; default yes. */
static void token_mounts(tm_ingest_ctx *ctx, struct k8s *k)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	for (size_t i = 0; i < tm_mb_policy(ctx->mb)->nworkloads; i++) {
		const tm_pm_workload *w = &tm_mb_policy(ctx->mb)->workloads[i];
		tm_node *n = tm_mb_find(ctx->mb, w->node_id);
		if (!n || strcmp(w->kind, "CloudRunService") == 0) /* no Kubernetes API, no token */
			continue;
		const tm_attr *pod = tm_node_attr_get(n, "automount_service_account_token");
		char *sid = tm_arena_printf(k->arena, "identity:k8s:%s/%s", w->ns, w->service_account);
		const tm_node *sa = sid ? tm_model_find(m, sid) : NULL;
		const tm_attr *sav = sa ? tm_node_attr_get(sa, "automount_service_account_token") : NULL;
		bool mounted = pod ? pod->num != 0 : sav ? sav->num != 0 : true;
		if (!mounted && sa) {
			/* no token in its pods: taking the workload over gives none of the account's API
			 * rights (walks take the edge only to a cloud identity the account federates to) */
			tm_edge *e = tm_mb_edge(ctx->mb, n, tm_mb_find(ctx->mb, sid), TM_EDGE_RUNS_AS, (tm_loc){0});
			if (e)
				tm_mb_edge_str(ctx->mb, e, "token", "not mounted");
		}
		tm_mb_node_str(ctx->mb, n, "token_mounted",
			       mounted ? (pod ? "yes (pod spec)" : sav ? "yes (service account)" : "yes (default)")
				       : (pod ? "no (pod spec)" : "no (service account)"));
	}
}

#define VALUES_DEPTH_MAX 32     /* nesting of a release's inline values walked */
#define VALUES_LEAVES_MAX 20000 /* values judged in one release */

struct values_walk {
	tm_ingest_ctx *ctx;
	struct k8s *k;
	const tm_file *f;
	const char *ns, *release;
	tm_strbuf path;
	size_t leaves;
};

/* Each scalar of a release's values judged as a literal credential under its own key, named by its
 * dotted path (auth.postgresPassword). */
static void values_judge(struct values_walk *w, const tm_value *v, int depth)
{
	if (depth > VALUES_DEPTH_MAX || w->leaves >= VALUES_LEAVES_MAX)
		return;
	size_t at = w->path.len;
	for (size_t i = 0; tm_value_kind_of(v) == TM_VALUE_MAP && i < tm_value_len(v); i++) {
		const char *key = tm_scalar_str(tm_map_key(v, i), NULL);
		const tm_value *val = tm_map_value(v, i);
		if (!key)
			continue;
		tm_strbuf_printf(&w->path, "%s%s", at ? "." : "", key);
		if (tm_value_kind_of(val) == TM_VALUE_SCALAR) {
			w->leaves++;
			const char *text = tm_scalar_str(val, NULL);
			char *name = !w->path.oom ? tm_arena_printf(w->k->arena, "%s#%s", w->release, w->path.data) : NULL;
			tm_node *s = name && tm_k8s__literal_credential(key, text)
					     ? tm_k8s__secret_node(w->ctx, w->k, w->ns, name, "helm-values", tm_ingest__loc(w->f, val))
					     : NULL;
			if (s)
				tm_mb_node_fact(w->ctx->mb, s, "literal_credentials", w->path.data, tm_ingest__loc(w->f, val));
		} else {
			values_judge(w, val, depth + 1);
		}
		w->path.len = at;
		if (w->path.data)
			w->path.data[at] = '\0';
	}
}

/* A GitOps release of a chart the scan does not hold (a Flux HelmRelease of a HelmRepository or an
 * OCI source, an Argo CD Application source naming a Helm repository's chart): its inline values are
 * committed here whatever the chart makes of them, so a credential among them is a literal
 * credential (a secret node RELEASE#path, kept in "helm-values"). A release of a chart of the tree
 * is rendered (gitops.c), its values judged where the chart puts them. */
static void release_values(tm_ingest_ctx *ctx, struct k8s *k, const struct obj *o)
{
	const tm_value *spec = tm_map_get(o->v, "spec");
	struct values_walk w = {ctx, k, o->f, o->ns, o->name, TM_STRBUF_INIT, 0};
	if (tm_k8s__is(o, "HelmRelease")) {
		const char *src = tm_map_get_str(tm_map_get(tm_map_get(tm_map_get(spec, "chart"), "spec"), "sourceRef"), "kind");
		bool remote = tm_map_get(spec, "chartRef") || (src && strcmp(src, "GitRepository") != 0 && strcmp(src, "Bucket") != 0);
		const char *target = tm_map_get_str(spec, "targetNamespace");
		w.ns = target && tm_ingest__dns_label(target) ? target : o->ns;
		if (remote)
			values_judge(&w, tm_map_get(spec, "values"), 0);
	} else {
		const char *dest = tm_map_get_str(tm_map_get(spec, "destination"), "namespace");
		w.ns = dest && tm_ingest__dns_label(dest) ? dest : o->ns;
		const tm_value *one = tm_map_get(spec, "source"), *many = tm_map_get(spec, "sources");
		for (size_t i = 0; i < (one ? 1 : tm_value_len(many)); i++) {
			const tm_value *src = one ? one : tm_seq_at(many, i);
			if (tm_map_get_str(src, "chart"))
				values_judge(&w, tm_map_get(tm_map_get(src, "helm"), "valuesObject"), 0);
		}
	}
	if (w.path.oom)
		tm_arena_set_failed(k->arena);
	tm_strbuf_dispose(&w.path);
}

static void k8s_finish(tm_ingest_ctx *ctx, void *state)
{
	struct k8s *k = state;
	if (!k || !k->n)
		return;
	ctx->kube = k; /* for the Gateway API reader, until every reader has finished */
	tm_mb_boundary(ctx->mb, TM_BOUNDARY_CLUSTER, "cluster", "Kubernetes cluster", NULL);
	kinds_sharing_names(ctx, k);
	/* Pass 1: namespaces, identities and workloads; pass 2: Services (Knative's too); pass 3: Ingress,
	 * Routes and Contour's HTTPProxies. */
	for (size_t i = 0; i < k->n; i++) {
		const struct obj *o = &k->objs[i];
		const tm_value *tpl;
		if (tm_k8s__is(o, "Namespace")) {
			add_namespace(ctx, k, o);
		} else if (tm_k8s__is(o, "ConfigMap") || tm_k8s__is(o, "Secret") || tm_k8s__is(o, "SealedSecret") ||
			   tm_k8s__is(o, "ExternalSecret") || tm_k8s__is(o, "Certificate")) {
			add_config(ctx, k, o);
		} else if (tm_k8s__is(o, "HelmRelease") || tm_k8s__is(o, "ArgoApplication")) {
			release_values(ctx, k, o);
		} else if (tm_k8s__is(o, "ServiceAccount")) {
			tm_node *n = tm_k8s__identity(ctx, k, o->ns, o->name, tm_ingest__loc(o->f, o->v));
			bool automount;
			if (n && !tm_scalar_bool(tm_map_get(o->v, "automountServiceAccountToken"), &automount))
				tm_mb_node_bool(ctx->mb, n, "automount_service_account_token", automount);
			if (n)
				tm_mb_node_bool(ctx->mb, n, "declared", true);
			tm_k8s__cloud_identity(ctx, k, n, o);
			tm_k8s__note_implicit_ns(ctx, n, o);
		} else if ((tpl = tm_k8s__pod_template(o)) != NULL) {
			add_workload(ctx, k, o, tpl);
			index_labels(k, o, tpl);
			if (tm_k8s__arc_kind(o))
				tm_k8s__arc_runner(ctx, k, o);
			if (tm_k8s__is(o, "KnativeService"))
				tm_k8s__knative_labels(ctx, o);
		} else {
			bad_template(ctx, o);
		}
	}
	tm_k8s__admission(ctx, k);
	for (size_t i = 0; i < k->n; i++)
		if (tm_k8s__is(&k->objs[i], "Service"))
			add_service(ctx, k, &k->objs[i]);
	tm_k8s__knative(ctx, k); /* after the Services: a core Service of its name wins */
	tm_k8s__operated(ctx, k); /* so do stores' operators', before the routes that name theirs */
	for (size_t i = 0; i < k->n; i++) {
		if (tm_k8s__is(&k->objs[i], "Ingress"))
			add_ingress(ctx, k, &k->objs[i]);
		else if (tm_k8s__is(&k->objs[i], "Route"))
			add_route(ctx, k, &k->objs[i]);
	}
	tm_k8s__traefik(ctx, k);
	tm_k8s__contour(ctx, k);
	tm_k8s__emissary(ctx, k);
	tm_k8s__nginx_vs(ctx, k);
	tm_k8s__apisix(ctx, k);
	tm_k8s__strimzi(ctx, k);
	tm_k8s__dapr(ctx, k);
	tm_k8s__linkerd(ctx, k);
	token_mounts(ctx, k);
	tm_k8s__calls(ctx, k);
	gateway_configmaps(ctx, k);
	tm_k8s__netpols(ctx, k);
	tm_k8s__rbac(ctx, k);
	tm_k8s__secret_readers(ctx, k);
}

const tm_ingester tm_ingest__k8s = {k8s_begin, k8s_doc, k8s_finish, k8s_end};
