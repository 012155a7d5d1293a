/*
 * ingest/k8s.h - the Kubernetes ingester's shared state (internal to ingest/).
 *
 * k8s.c collects every object as documents arrive and links them in finish():
 * workloads, Services and Ingress there; NetworkPolicy in k8s_netpol.c; RBAC
 * in k8s_rbac.c; calls between services (env and ConfigMap values naming a
 * Service) in k8s_calls.c.
 */
#ifndef TM_INGEST_K8S_H
#define TM_INGEST_K8S_H

#include "ingest.h"

struct tm_k8s_obj {
	const tm_file *f;
	const tm_value *v;
	const char *kind, *name, *ns;
	bool ns_implicit;
	bool cluster_scoped;
	bool kind_in_id; /* a workload of another kind has its namespace and name: its id names its kind */
};

/* A grant of get, list or watch on secrets, noted by k8s_rbac.c for k8s_secrets.c. */
struct tm_k8s_secret_grant {
	tm_node *id;
	const char *ns;     /* the binding's namespace; NULL: cluster-wide */
	tm_strs names;      /* resourceNames; none: every secret in reach */
	const char *verbs, *binding;
	tm_loc loc;         /* the binding's subject */
};

struct tm_k8s {
	struct tm_k8s_obj *objs;
	size_t n, cap;
	tm_hmap services;   /* "<ns>/<name>" -> struct tm_k8s_svc* */
	tm_hmap configmaps; /* "<ns>/<name>" -> struct tm_k8s_obj* */
	tm_hmap pods;       /* "<ns>\x1f<label>=<value>" -> struct tm_k8s_pods*: templates carrying it */
	tm_arena *arena;    /* scratch, freed with the ingester */
	size_t nlimits;     /* LimitRanges and ResourceQuotas among objs: none, no per-workload search */
	struct tm_k8s_secret_grant *sgrants; /* heap, freed with the ingester */
	size_t nsgrants, sgrants_cap;
	tm_hmap named;        /* objects an annotation names (KongPlugin, BackendConfig...) by
			       * "<kind>\x1f<ns>/<name>" (ns "" for a cluster-scoped one), made at the first lookup */
	bool named_indexed;
	tm_gw_checks kong_global; /* Kong's global plugins' checks (tm_ingest__kong_global), judged once */
	int kong_global_state;    /* 0: not judged yet; 1: none; 2: kong_global holds them */
	tm_hmap bad_ns;           /* namespace names no API server takes, each said once */
	tm_hmap generated;        /* "<kind>\x1f<generateName>" -> how many objects took it so far */
	tm_hmap ingress_ctls;     /* ingress controllers by the class they serve (k8s_ingress.c), made at
				   * the first Ingress */
	tm_hmap ingress_classes;  /* IngressClasses by "i\x1f<name>", the default one by "d" (the same) */
	bool ingress_ctls_indexed;
	tm_hmap dapr_apps;        /* "<ns>\x1f<app-id>" -> tm_node*: the workload a Dapr sidecar serves as that app */
	tm_hmap dapr_ns;          /* namespace -> its Dapr apps (k8s_dapr.c) */
	size_t ndapr;             /* how many workloads run a Dapr sidecar */
};

/* The pod templates that carry one label in one namespace, in document order. A Service's
 * selector is matched only against the templates carrying its first pair: linear in the
 * objects for the selectors real systems write (unique app labels). */
struct tm_k8s_pod_ref {
	const struct tm_k8s_obj *w;
	struct tm_k8s_pod_ref *next;
};
struct tm_k8s_pods {
	size_t n;
	struct tm_k8s_pod_ref *head, *tail;
};

struct tm_k8s_svc {
	const struct tm_k8s_obj *svc;
	tm_node **targets; /* selected workloads, or the external node */
	size_t ntargets;
	/* the BackendConfig its annotation names (k8s_ingress.c), read at the first route to it */
	const struct tm_k8s_obj *backend_config;
	bool backend_read;
};

bool tm_k8s__is(const struct tm_k8s_obj *o, const char *kind);
/* The gateway node of an object that publishes Services (an Ingress, a Route, a Knative Service's
 * route, an ingress controller's route object): gateway:<ns>/<name> for the core kinds,
 * gateway:<kind, lowercased>:<ns>/<name> for a controller's ("gateway:ingressroute:web/site"), of
 * gateway_type type. NULL when out of memory. */
tm_node *tm_k8s__object_gateway(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, const char *type);
/* A route of gw (o's: an Ingress, an OpenShift Route, an IngressRoute...) to the Service namev
 * names, in namespace ns (NULL: o's), for host (NULL: any) and path, with the checks the controller
 * puts on it (NULL: none known): a routes edge to each workload the Service selects, or a note
 * when it selects none in the scanned files. Routes of gw to one workload share its edge, which
 * carries the weakest of their checks. */
void tm_k8s__route_backend(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, tm_node *gw,
			   const char *ns, const tm_value *namev, const char *host, const char *path,
			   const tm_gw_checks *c);
/* ...for the Service called name (written at loc), as a route object that names it in a string
 * does; pattern: path is a regular expression (path_patterns, not paths). */
void tm_k8s__route_service(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, tm_node *gw,
			   const char *ns, const char *name, tm_loc loc, const char *host, const char *path, bool pattern,
			   const tm_gw_checks *c);
/* The routes edge of gw to one node it reaches (a workload, an external host), as every route object
 * writes it: the Service named (svc, NULL: none), host (NULL: any), path, the checks (NULL: none);
 * an edge that other routes of gw made before keeps the weakest of their checks. */
void tm_k8s__route_edge(tm_ingest_ctx *ctx, tm_node *gw, tm_node *to, tm_loc loc, const char *svc, const char *host,
			const char *path, bool pattern, const tm_gw_checks *c);
/* A Service of type LoadBalancer or NodePort (written at type_at, in f; name: the Service's; ann:
 * its annotations; ranges: its loadBalancerSourceRanges; ports: its ports, each may be NULL; an
 * operator's template of a Service gives the same) opens its targets to the internet, or to the
 * private network when an annotation makes it an internal load balancer: a routes edge from there
 * to each, via the type, with the ports and the load balancer's allow-list. Other types: nothing. */
void tm_k8s__exposed(tm_ingest_ctx *ctx, struct tm_k8s *k, const tm_file *f, const char *name, const tm_value *ann,
		     const char *type, const tm_value *type_at, const tm_value *ranges, const tm_value *ports,
		     tm_node *const *targets, size_t ntargets);
/* A Service an operator makes (ns/name), resolving to the workload w standing for its pods, so that
 * a client naming it calls w; a Service of that name in the scan wins. */
void tm_k8s__operator_service(struct tm_k8s *k, const char *ns, const char *name, tm_node *w);
/* An object that names no namespace is in the one the scan assumed: said on its node n. */
void tm_k8s__note_implicit_ns(tm_ingest_ctx *ctx, tm_node *n, const struct tm_k8s_obj *o);
/* k8s_arc.c: GitHub Actions Runner Controller's runner sets (AutoscalingRunnerSet, RunnerDeployment,
 * RunnerSet), workloads of their pod templates: the labels `runs-on` reaches them by
 * (`runner_labels`) and the containers the controller adds, on o's node (made by k8s.c). */
bool tm_k8s__arc_kind(const struct tm_k8s_obj *o);
void tm_k8s__arc_runner(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o);
/* k8s_operated.c: data stores that database and broker operators run for their custom resources. */
void tm_k8s__operated(tm_ingest_ctx *ctx, struct tm_k8s *k);
const tm_value *tm_k8s__pod_template(const struct tm_k8s_obj *o);
/* The node id of workload o: "service:<ns>/<name>", or "service:<ns>/<name>~<kind, lowercased>" when
 * a workload of another kind shares its namespace and name (a Deployment and a StatefulSet `runner`
 * are two objects to the API server, and two workloads here). In k's arena; NULL when out of memory. */
char *tm_k8s__workload_id(struct tm_k8s *k, const struct tm_k8s_obj *o);
const char *tm_k8s__ns_boundary(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *ns);
tm_node *tm_k8s__identity(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *ns, const char *sa,
			  tm_loc loc);

/* k8s_secrets.c: Secret objects (Secret, SealedSecret, ExternalSecret, SOPS) as secret nodes with
 * their keys; env injection; who may read each secret. */
tm_node *tm_k8s__secret_node(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *ns, const char *name,
			     const char *store, tm_loc loc);
void tm_k8s__secret_object(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o);
/* A container's variable var (NULL: envFrom, every key) taken from the Secret ref names; parent is
 * the map holding ref (valueFrom, or the envFrom item), for the reference's line. */
void tm_k8s__secret_env(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *w, const char *cname, const char *var,
			const tm_value *parent, const tm_value *ref, const tm_file *f);
void tm_k8s__secret_grant(struct tm_k8s *k, tm_node *id, const char *ns, const tm_strs *names, const char *verbs,
			  const char *binding, tm_loc loc);
/* After RBAC: reads edges identity -> secret for every noted grant. */
void tm_k8s__secret_readers(tm_ingest_ctx *ctx, struct tm_k8s *k);

/* k8s_capture.c: the pod's traffic.sidecar.istio.io annotations (anns: the template's) into pw->capture,
 * and facts on n of what the sidecar does not capture. */
void tm_k8s__capture(tm_ingest_ctx *ctx, tm_node *n, const tm_file *f, const tm_value *anns,
		     tm_pm_workload *pw);
/* k8s_cloudid.c: the cloud identity a ServiceAccount's workload-identity annotation names. */
void tm_k8s__cloud_identity(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *sa, const struct tm_k8s_obj *o);
void tm_k8s__netpols(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_ingress.c: the checks an Ingress's annotations put on its routes (ingress-nginx, Kong, AWS
 * Load Balancer Controller, Traefik). */
void tm_k8s__ingress_checks(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, tm_gw_checks *c);
/* The workloads of the scan that serve an Ingress of class cls (NULL: none named; the default
 * IngressClass's) or, for a controller's own route object (an IngressRoute, a VirtualServer), the
 * controller ctl names ("traefik.io/ingress-controller"; NULL for an Ingress), hosting gw on them: a
 * routes edge from each, hosted_by and hosted_how. Returns where gw is reached from: the private
 * network when every controller's Service is an internal load balancer (*why: the edge's "internal"
 * text, naming the annotation), the internet when one is public or on the nodes' ports, the internet
 * under a stated assumption (gw's "assumed") when none is exposed in the scan; NULL when no
 * controller of the class is in the scan. */
/* A policy dialect read into the NetworkPolicy table (k8s_cilium.c, k8s_calico.c): what the
 * reading leaves wider or narrower than its enforcer, each said once (tm_k8s__said), and one note on
 * the policy naming both (tm_k8s__approx_note, which disposes the two buffers). */
/* The next peer of r (of cap slots), zeroed, at r's place; NULL when r is full. */
tm_np_peer *tm_k8s__add_peer(tm_np_rule *r, size_t cap);
void tm_k8s__said(tm_strbuf *b, const char *what);
void tm_k8s__approx_note(tm_ingest_ctx *ctx, const struct tm_k8s_obj *o, const char *kind, const char *enforcer,
			 tm_strbuf *wider, tm_strbuf *narrower);
/* The controller name Contour's Envoy pods are indexed under, for HTTPProxies (k8s_ingress.c). */
#define TM_K8S_CONTOUR_ENVOY "projectcontour.io/envoy"
tm_node *tm_k8s__ingress_controllers(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, tm_node *gw,
				     const char *cls, const char *ctl, const char **why);
/* k8s_ingress.c: an ingress-nginx controller container c (image) of o that runs the configuration
 * snippets of Ingress annotations (`allow-snippet-annotations` in the ConfigMap its --configmap
 * names, else its version's default: on before v1.9.0; from v1.12.0 only with
 * `annotations-risk-level: Critical`): a `snippet_annotations` fact on its node n, at what decided. */
void tm_k8s__nginx_snippets(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, const tm_value *c,
			    const char *image, tm_node *n);
/* The object of kind named name in ns ("" for a cluster-scoped kind) among the kinds other objects
 * name (KongPlugin, KongClusterPlugin, BackendConfig, Traefik's Middleware, MiddlewareTCP and
 * TraefikService, NGINX's VirtualServerRoute and Policy as NginxPolicy, ApisixPluginConfig),
 * through an index made at the first lookup (the first definition wins); NULL. */
/* Standard or URL-safe base64 of src (whitespace skipped) into out (at most cap - 1 bytes, NUL
 * ended); false when src is not base64. Only the first bytes are kept. */
bool tm_k8s__b64_prefix(const char *src, size_t len, char *out, size_t cap);
const struct tm_k8s_obj *tm_k8s__named(tm_ingest_ctx *ctx, struct tm_k8s *k, const char *kind, const char *ns,
				       const char *name);
/* k8s_traefik.c: Traefik's Kubernetes CRDs: IngressRoute, IngressRouteTCP and IngressRouteUDP as
 * routes from the internet, through their Middlewares and TraefikServices. */
void tm_k8s__traefik(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_nginx_vs.c: F5 NGINX Ingress Controller's VirtualServer and VirtualServerRoute, through their
 * Policies; k8s_apisix.c: APISIX's ApisixRoute, through its plugins: routes from the internet. */
void tm_k8s__nginx_vs(tm_ingest_ctx *ctx, struct tm_k8s *k);
void tm_k8s__apisix(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* The checks of Traefik middlewares an Ingress names in its router.middlewares annotation
 * ("<ns>-<name>@kubernetescrd", comma-separated), merged into c; at: the annotation. */
void tm_k8s__traefik_annotation(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o, const char *list,
				const tm_value *at, tm_gw_checks *c);
/* ...and those a backend Service adds on GKE (its BackendConfig: Identity-Aware Proxy, Cloud Armor). */
/* ...and those an OpenShift Route's router annotations add (source allow-list, rate limit). */
void tm_k8s__route_checks(tm_ingest_ctx *ctx, const struct tm_k8s_obj *o, tm_gw_checks *c);
void tm_k8s__backend_checks(tm_ingest_ctx *ctx, struct tm_k8s *k, struct tm_k8s_svc *t, tm_gw_checks *c);
/* k8s_contour.c: Contour's HTTPProxy objects, after the Services: each root (spec.virtualhost) a
 * gateway reached from the internet, with its routes and those of the proxies it includes. */
void tm_k8s__contour(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_emissary.c: Emissary-ingress Mappings as routes from its listener (after the Services). */
void tm_k8s__emissary(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_linkerd.c: Linkerd's proxy (a pod template's or a namespace's annotations: injection, default
 * inbound policy, ports left around the proxy) and its policy objects (Server, AuthorizationPolicy,
 * ServerAuthorization and the authentications they require) into the policy model. */
void tm_k8s__linkerd_pod(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *anns, tm_pm_workload *pw);
void tm_k8s__linkerd_namespace(tm_ingest_ctx *ctx, const tm_file *f, const tm_value *anns, tm_pm_namespace *pn);
void tm_k8s__linkerd(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_knative.c: Knative and Google Cloud Run (docs/inputs.md, "Knative"). cloud_run_mark: a
 * KnativeService that is a Cloud Run service (run.googleapis.com annotations, the
 * cloud.googleapis.com/location label) becomes kind CloudRunService in "namespace"
 * cloudrun:<location>, as the document arrives. The rest after the Services: Knative Services'
 * domains (config-domain), DomainMappings, Cloud Run's ingress, Eventing's Brokers, Triggers and
 * SinkBindings. */
void tm_k8s__cloud_run_mark(struct tm_k8s *k, struct tm_k8s_obj *o);
bool tm_k8s__cloud_run(const struct tm_k8s_obj *o);
/* The cloud-account boundary a Cloud Run service sits in; its Google service account (runs-as). */
const char *tm_k8s__cloud_run_boundary(tm_ingest_ctx *ctx);
void tm_k8s__cloud_run_identity(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *n, const struct tm_k8s_obj *o,
				const tm_value *pspec);
/* The name Knative gives container c of list when it has none (user-container, init-container; with a
 * number when the list holds several), in a. */
const char *tm_k8s__knative_container_name(tm_arena *a, const tm_value *list, const tm_value *c, bool init);
/* After the workload of a Knative Service is added: its pods carry serving.knative.dev/service. */
void tm_k8s__knative_labels(tm_ingest_ctx *ctx, const struct tm_k8s_obj *o);
void tm_k8s__knative(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_strimzi.c: Strimzi's Kafka, KafkaNodePool, KafkaUser and KafkaTopic (after the Services, before
 * the calls: the operator's Services resolve to the broker). */
void tm_k8s__strimzi(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_cilium.c: Cilium's policies into the NetworkPolicy table (before the isolation facts). */
void tm_k8s__cilium(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_calico.c: Calico's NetworkPolicy and GlobalNetworkPolicy into the NetworkPolicy table (after
 * Cilium's, before the isolation facts). */
void tm_k8s__calico(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_meshauth.c: Consul, Kuma and SMI access policies, recorded as not evaluated (tm_pm_unread). */
void tm_k8s__unread_mesh_authz(tm_ingest_ctx *ctx, struct tm_k8s *k);
void tm_k8s__rbac(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_admission.c: is the document an admission control read here (Kyverno, Gatekeeper constraint,
 * ValidatingAdmissionPolicy[Binding])? Then, after the workloads: what the controls would refuse. */
bool tm_k8s__admission_kind(const char *kind, const tm_value *root);
void tm_k8s__admission(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* k8s_dapr.c: Dapr (docs/inputs.md, "Dapr"). dapr_pod: a pod template's dapr.io annotations (anns) on
 * its workload n, in pass 1; tm_k8s__dapr, after the Services: Components, Configurations and the
 * Services opening a loopback-bound sidecar's port. */
void tm_k8s__dapr_pod(tm_ingest_ctx *ctx, struct tm_k8s *k, tm_node *n, const struct tm_k8s_obj *o,
		      const tm_value *anns);
void tm_k8s__dapr(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* The workload whose Dapr app-id is app ("<app-id>" in namespace ns, or "<app-id>.<namespace>"); NULL. */
tm_node *tm_k8s__dapr_app(struct tm_k8s *k, const char *ns, const char *app);
/* Does a Dapr listen-address list ("[::1],127.0.0.1", "0.0.0.0") name an address beyond the loopback? */
bool tm_k8s__dapr_beyond_loopback(const char *list);
/* Env vars and ConfigMap values that name a Service become calls edges. */
void tm_k8s__calls(tm_ingest_ctx *ctx, struct tm_k8s *k);
/* Resolve a host name as a pod in namespace ns would: "svc", "svc.ns", "svc.ns.svc[.cluster.local]". */
/* A key with a credential-like name and a written value, or a value carrying a password. */
bool tm_k8s__literal_credential(const char *name, const char *value);
struct tm_k8s_svc *tm_k8s__resolve_host(struct tm_k8s *k, const char *ns, const char *host);

#endif
