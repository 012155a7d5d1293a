/*
 * model/policy.h - the policy model (internal): what decides whether one
 * workload may talk to another, kept in the typed form the evaluator needs.
 *
 * The graph (model.h) says who is connected; this says under which rules.
 * Ingesters fill it (Kubernetes: namespaces, workloads, Services,
 * NetworkPolicy; Istio: PeerAuthentication, RequestAuthentication,
 * AuthorizationPolicy, Gateway, VirtualService), analyze/ evaluates it
 * (analyze/query.c), nothing else writes it. Every element keeps its tm_loc
 * so a verdict can name the file and line that decided it.
 *
 * Memory: every string and nested array lives in the policy's arena, which
 * is the model's; top-level tables are heap vectors freed with the model.
 * A list field that is absent in the manifest has `present == false`; an
 * empty list that was written (`[]`) has present true and n == 0 — Istio and
 * Kubernetes give those different meanings.
 */
#ifndef TM_MODEL_POLICY_H
#define TM_MODEL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustmap/model.h"
#include "util/util.h"

typedef struct {
	const char **items;
	size_t n;
	bool present;
} tm_strs;

typedef struct {
	const char *key, *value;
} tm_label;

typedef struct {
	tm_label *items;
	size_t n;
} tm_labels;

/* A Kubernetes LabelSelector: matchLabels and matchExpressions, ANDed. */
enum { TM_SEL_IN, TM_SEL_NOT_IN, TM_SEL_EXISTS, TM_SEL_NOT_EXISTS };
typedef struct {
	const char *key;
	int op;
	tm_strs values;
} tm_sel_req;

typedef struct {
	bool present;       /* the field was written */
	tm_sel_req *reqs;   /* matchLabels become TM_SEL_IN with one value */
	size_t n;           /* present && n == 0: selects everything */
	bool invalid;       /* an unknown operator: selects nothing, diagnosed */
} tm_selector;

/* --- Kubernetes ---------------------------------------------------------- */

typedef struct {
	const char *name;
	tm_labels labels;
	int injection; /* Istio sidecar injection: 1 enabled, 0 disabled, -1 not said */
	int ld_inject; /* linkerd.io/inject: 1 enabled (or ingress), -1 disabled, 0 not said */
	int ld_policy; /* config.linkerd.io/default-inbound-policy (TM_LD_*), TM_LD_UNSET not said */
	tm_loc ld_policy_loc;
	tm_loc loc;
} tm_pm_namespace;

typedef struct {
	const char *name;  /* may be NULL */
	int port;
	const char *protocol; /* TCP, UDP, SCTP */
} tm_pm_cport;

/*
 * Istio's traffic capture, as a pod's traffic.sidecar.istio.io annotations set it (ingest/k8s_capture.c):
 * the connections istio-init's (or the CNI plugin's) iptables rules leave around the sidecar. One
 * annotation each; an annotation not written keeps Istio's default (every inbound port and every
 * outbound address captured, nothing excluded). Read through tm_policy__inbound_bypass and
 * tm_policy__outbound_bypass, which follow the order of Istio's rules.
 */
enum {
	TM_CAP_IN_INCLUDE,         /* includeInboundPorts: "*", or only these ports are captured */
	TM_CAP_IN_EXCLUDE,         /* excludeInboundPorts: read only with includeInboundPorts "*" */
	TM_CAP_OUT_EXCLUDE_PORTS,  /* excludeOutboundPorts */
	TM_CAP_OUT_EXCLUDE_RANGES, /* excludeOutboundIPRanges (CIDRs) */
	TM_CAP_OUT_INCLUDE_PORTS,  /* includeOutboundPorts: captured whatever the address */
	TM_CAP_OUT_INCLUDE_RANGES, /* includeOutboundIPRanges: "*", or only these CIDRs are captured */
	TM_CAP_COUNT
};

typedef struct {
	bool present;        /* the annotation is written */
	bool all;            /* "*", or a range covering every address (0.0.0.0/0, ::/0) */
	int *ports;          /* a port annotation's valid entries */
	const char **ranges; /* a range annotation's valid entries, as written */
	size_t n;
	tm_loc loc;          /* its value */
} tm_pm_capture;

typedef struct {
	const char *ns, *name, *kind;
	const char *node_id;         /* "service:<ns>/<name>" in the graph */
	const char *service_account; /* never NULL ("default") */
	tm_labels labels;            /* pod template labels */
	int inject;                  /* pod's sidecar.istio.io/inject: 1, 0, -1 not said */
	int ld_inject;               /* pod's linkerd.io/inject: 1 enabled (or ingress), -1 disabled, 0 not said */
	int ld_policy;               /* its config.linkerd.io/default-inbound-policy (TM_LD_*), or TM_LD_UNSET */
	tm_loc ld_policy_loc;
	int *ld_skip;                /* config.linkerd.io/skip-inbound-ports: pairs [from, to] */
	size_t nld_skip;
	tm_loc ld_skip_loc;
	bool host_network;           /* hostNetwork: true (Istio never injects such a pod) */
	tm_pm_capture capture[TM_CAP_COUNT];
	tm_pm_cport *ports;
	size_t nports;
	tm_loc loc;
} tm_pm_workload;

typedef struct {
	const char *name;
	int port;
	int target;              /* 0 when target_name is set */
	const char *target_name; /* a named container port */
	const char *protocol;    /* TCP by default */
	const char *app_protocol;
} tm_pm_sport;

typedef struct {
	const char *ns, *name, *type;
	tm_labels selector;     /* n == 0: no selector */
	tm_labels labels;       /* its own metadata.labels (istio.io/use-waypoint) */
	tm_pm_sport *ports;
	size_t nports;
	const char *external_name;
	tm_loc loc;
} tm_pm_service;

/* NetworkPolicy */
typedef struct {
	tm_selector pods;    /* podSelector */
	tm_selector nss;     /* namespaceSelector */
	tm_strs sas;         /* present: the pod's service account must be one of these (Calico's
			      * serviceAccounts.names) */
	const char *cidr;    /* ipBlock */
	tm_strs except;
	tm_loc loc;
} tm_np_peer;

/* One L7 HTTP rule of a Cilium policy's port (toPorts[].rules.http[]): a request matches when every
 * field written matches. method, path and host are POSIX extended regular expressions Cilium anchors
 * at both ends; headers are "Name" (present) or "Name: value" (that value). */
typedef struct {
	const char *method, *path, *host; /* NULL: any */
	tm_strs headers;
	const char *secret; /* a headerMatches value held in a Secret (its header's name): not evaluated */
	tm_loc loc;
} tm_np_http;

typedef struct {
	const char *protocol; /* TCP default */
	int port;             /* 0: all ports (when name is NULL) */
	const char *name;     /* a named port */
	int end_port;         /* 0: single port */
	const tm_np_http *http; /* Cilium's L7 HTTP rules on the port: only requests one matches pass */
	size_t nhttp;           /* 0: every request on the port */
} tm_np_port;

typedef struct {
	tm_np_peer *peers;
	size_t npeers;
	bool peers_present;   /* absent or empty: every source/destination */
	tm_np_port *ports;
	size_t nports;
	bool ports_present;   /* absent or empty: every port */
	tm_loc loc;
} tm_np_rule;

/* The namespace of a cluster-wide policy (CiliumClusterwideNetworkPolicy): it selects pods in every
 * namespace. No namespace can be named so. */
#define TM_PM_ALL_NAMESPACES "*"

typedef struct {
	const char *kind;       /* NULL: NetworkPolicy; else CiliumNetworkPolicy, CalicoNetworkPolicy... */
	const char *ns, *name;  /* ns: TM_PM_ALL_NAMESPACES for a cluster-wide one */
	tm_selector pods;
	tm_selector ns_sel;     /* the selected pods' namespace, on its labels (a Calico GlobalNetworkPolicy's
				 * namespaceSelector); !present: any namespace ns allows (tm_policy__netpol_in_ns) */
	bool ingress, egress;   /* policyTypes, explicit or inferred */
	tm_np_rule *in, *out;
	size_t nin, nout;
	tm_loc loc;
} tm_netpol;

/* --- Istio --------------------------------------------------------------- */

enum { TM_MTLS_UNSET, TM_MTLS_PERMISSIVE, TM_MTLS_STRICT, TM_MTLS_DISABLE };

typedef struct {
	int port;
	int mode;
	tm_loc loc;
} tm_pa_port;

typedef struct {
	const char *ns, *name;
	tm_selector sel;    /* sel.present: workload-level */
	int mode;
	tm_loc mode_loc;
	tm_pa_port *ports;
	size_t nports;
	tm_loc loc;
} tm_peerauth;

typedef struct {
	const char *ns, *name;
	tm_selector sel;
	tm_strs issuers;
	bool attached;            /* targetRef(s) to Gateways or Services: see tm_authzpol */
	tm_strs target_services;
	tm_loc loc;
} tm_reqauth;

enum { TM_AZ_ALLOW, TM_AZ_DENY, TM_AZ_CUSTOM, TM_AZ_AUDIT };

typedef struct {
	tm_strs principals, not_principals, request_principals, not_request_principals;
	tm_strs namespaces, not_namespaces, ip_blocks, not_ip_blocks;
	tm_strs remote_ip_blocks, not_remote_ip_blocks;
} tm_az_source;

typedef struct {
	tm_strs hosts, not_hosts, ports, not_ports, methods, not_methods, paths, not_paths;
} tm_az_op;

typedef struct {
	const char *key;
	tm_strs values, not_values;
	tm_loc loc;
} tm_az_cond;

typedef struct {
	tm_az_source *from;
	size_t nfrom;
	tm_az_op *to;
	size_t nto;
	tm_az_cond *when;
	size_t nwhen;
	tm_loc loc;
} tm_az_rule;

typedef struct {
	const char *ns, *name;
	tm_selector sel;
	int action;
	const char *provider;  /* CUSTOM */
	tm_az_rule *rules;
	size_t nrules;
	bool rules_present;    /* ALLOW without rules allows nothing; with `- {}` everything */
	/* Attached by targetRef(s) instead of selected (istio.c target_refs): sidecars and ztunnel ignore
	 * it; a Gateway API gateway or ambient waypoint enforces it. Gateways named: sel holds their pods'
	 * gateway.networking.k8s.io/gateway-name; Services named (of its namespace): target_services, and
	 * sel selects nothing: the waypoint those Services use enforces it for traffic to them. */
	bool attached;
	tm_strs target_services;
	tm_loc loc;
} tm_authzpol;

typedef struct {
	const char *ns, *name;
	tm_labels selector;    /* the gateway workloads it configures */
	tm_strs hosts;         /* union over servers */
	int *ports;
	size_t nports;
	bool tls;
	tm_loc loc;
} tm_istio_gw;

/* One match condition of a VirtualService http route; string matches are exact/prefix/regex. */
enum { TM_SM_ANY, TM_SM_EXACT, TM_SM_PREFIX, TM_SM_REGEX };
typedef struct {
	int kind;
	const char *text;
} tm_strmatch;

typedef struct {
	tm_strmatch uri, method;
	const char *header_names[8];
	tm_strmatch headers[8];
	size_t nheaders;
	int port;           /* 0: any */
	tm_strs gateways;   /* match-level gateways (rarely used) */
} tm_vs_match;

typedef struct {
	tm_vs_match *matches;
	size_t nmatches;      /* 0: matches every request */
	const char **dest_hosts;
	int *dest_ports;      /* 0: the destination service's only port */
	size_t ndest;
	bool direct_response; /* redirect / directResponse: no backend */
	tm_loc loc;
} tm_vs_route;

typedef struct {
	const char *ns, *name;
	tm_strs hosts, gateways; /* gateways absent: "mesh" */
	tm_vs_route *http;
	size_t nhttp;
	tm_vs_route *tcp;        /* tcp and tls routes: destinations only */
	size_t ntcp;
	tm_loc loc;
} tm_vservice;

/* An ambient waypoint: a Gateway API Gateway of class istio-waypoint (or another waypoint class: a
 * listener of protocol HBONE or istio.io/PROXY). It serves in-mesh traffic to the Services (or
 * workloads) that name it in istio.io/use-waypoint, never the internet. */
typedef struct {
	const char *ns, *name, *cls;
	const char *traffic; /* istio.io/waypoint-for: service (default), workload, all, none */
	tm_loc loc;
} tm_waypoint;

/* --- Linkerd ------------------------------------------------------------ */

/* A default inbound policy (the proxy's, a namespace's or a pod's annotation; a Server's
 * accessPolicy): who may connect to a port no authorization decides. */
enum { TM_LD_UNSET, TM_LD_ALL_UNAUTH, TM_LD_CLUSTER_UNAUTH, TM_LD_ALL_AUTH, TM_LD_CLUSTER_AUTH, TM_LD_DENY,
       TM_LD_AUDIT };

/* A Server (policy.linkerd.io): the pods its podSelector selects in its namespace, on one port. */
typedef struct {
	const char *ns, *name;
	tm_selector pods;
	int port;              /* 0 when port_name is set */
	const char *port_name; /* a named container port */
	int access;            /* accessPolicy (v1beta3; deny unless written) for what no authorization admits */
	tm_labels labels;      /* its own metadata.labels, which ServerAuthorizations select */
	tm_loc loc;
} tm_ld_server;

/* The mesh identities one authentication admits (a MeshTLSAuthentication, a ServiceAccount
 * reference, a ServerAuthorization's meshTLS): every one (any), or those whose "<ns>/<sa>" the
 * policy's ld_ids holds under the set's number, <sa> "*" for every one of <ns> (tm_policy__ld_id_in). */
typedef struct {
	bool any;
	uint64_t digest; /* of its members, order-free: what a diff compares */
} tm_ld_idset;

/* The client addresses one authentication admits (a NetworkAuthentication, a ServerAuthorization's
 * networks): its CIDRs and exceptions, and what they say of a pod's address, which the files do not
 * give: pods 1 held (assumed: the range taken to hold it, NULL for every address), 0 not, -1 unknown. */
typedef struct {
	tm_strs networks, except;
	int pods;
	const char *assumed;
} tm_ld_netset;

/* One condition of a Linkerd route match on a header or a query parameter: its name (a header's case
 * aside) and value, exact or an anchored regular expression. */
typedef struct {
	const char *name, *value;
	bool regex;
} tm_ld_kv;

/* One match of a Linkerd route: every field written must hold. A path is a PathPrefix (Gateway API's:
 * whole segments, "/" every path), an Exact path or an anchored RegularExpression; NULL: every path.
 * A GRPCRoute's method match is its path (/service/method). */
enum { TM_LDP_PREFIX, TM_LDP_EXACT, TM_LDP_REGEX };
typedef struct {
	int path_type;
	const char *path;
	const char *method;  /* NULL: any */
	tm_ld_kv *headers, *query;
	size_t nheaders, nquery;
} tm_ld_match;

/* A route attached to a Linkerd Server, one per Server its parentRefs name: policy.linkerd.io's
 * HTTPRoute, or the Gateway API's HTTPRoute or GRPCRoute (Linkerd reads both alike). A Server with
 * routes answers only requests one of them matches (404 otherwise); an authorization of a route admits
 * the requests that route takes, on that Server. */
typedef struct {
	const char *ns, *name, *kind; /* kind: "HTTPRoute" or "GRPCRoute" */
	bool gateway;                 /* gateway.networking.k8s.io's, not policy.linkerd.io's */
	const char *server;           /* the Server of ns it attaches to */
	tm_ld_match *matches;         /* a rule without matches is one that takes every request */
	size_t nmatches;
	tm_loc loc;
} tm_ld_route;

/* One authorization of Servers: an AuthorizationPolicy (every requiredAuthenticationRef must hold:
 * every identity set and every network set) or a ServerAuthorization (its client). */
typedef struct {
	const char *ns, *name, *kind;
	const char *server;       /* the Server it targets by name; NULL: server_sel, or the namespace's */
	tm_selector server_sel;   /* ServerAuthorization's server.selector (on the Servers' labels) */
	bool whole_ns;            /* targetRef kind Namespace: every Server of ns */
	const char *route;        /* targetRef an HTTPRoute (or GRPCRoute): the requests that route takes on
				   * server; with whole_ns, a route not scanned: read as every Server's */
	bool route_gateway;       /* the route is the Gateway API's (targetRef group gateway.networking.k8s.io) */
	bool meshed;              /* a mesh identity is required */
	size_t *idsets, nidsets;  /* with meshed: indexes into ld_idsets, each of which must admit it */
	size_t *netsets, nnetsets; /* indexes into ld_netsets, each of which must hold its address */
	tm_loc loc;
} tm_ld_authz;

/* An access policy of a mesh this version does not evaluate (ingest/k8s_meshauth.c: Consul's
 * ServiceIntentions, Kuma's MeshTrafficPermission and TrafficPermission, SMI's TrafficTarget): a call
 * it may decide is answered unknown, naming it, never allowed by default. */
typedef struct {
	const char *kind, *ns, *name;
	const char *dest;    /* the destination it governs, by name; NULL: every workload (of ns, or
				the whole mesh when mesh_wide) */
	bool dest_sa;        /* dest names a service account of ns (SMI), not a service */
	bool mesh_wide;      /* any namespace (Consul's services, Kuma's meshes span namespaces) */
	uint64_t sig;        /* the object's content, for a review of a change to it */
	tm_loc loc;
} tm_pm_unread;

/* For each workload of the table, indexes into a policy table (ascending): CSR, built at freeze. */
typedef struct {
	size_t *start; /* nworkloads + 1 entries */
	size_t *idx;
} tm_pm_cands;

typedef struct {
	tm_arena *arena;   /* the model's; strings and nested arrays */
	bool istio;        /* any Istio configuration was scanned */
	const char *root_ns; /* Istio root namespace: "istio-system" */
#define TM_PM_TABLE(type, name) \
	type *name;            \
	size_t n##name, cap_##name;
	TM_PM_TABLE(tm_pm_namespace, namespaces)
	TM_PM_TABLE(tm_pm_workload, workloads)
	TM_PM_TABLE(tm_pm_service, services)
	TM_PM_TABLE(tm_netpol, netpols)
	TM_PM_TABLE(tm_peerauth, peerauths)
	TM_PM_TABLE(tm_reqauth, reqauths)
	TM_PM_TABLE(tm_authzpol, authzpols)
	TM_PM_TABLE(tm_istio_gw, gateways)
	TM_PM_TABLE(tm_vservice, vservices)
	TM_PM_TABLE(tm_waypoint, waypoints)
	TM_PM_TABLE(tm_ld_server, ld_servers)
	TM_PM_TABLE(tm_ld_authz, ld_authzs)
	TM_PM_TABLE(tm_ld_idset, ld_idsets)
	TM_PM_TABLE(tm_ld_netset, ld_netsets)
	TM_PM_TABLE(tm_pm_unread, unread)
	TM_PM_TABLE(tm_ld_route, ld_routes)
#undef TM_PM_TABLE
	tm_hmap ld_ids;     /* "<idset>\x1f<ns>/<sa>" of every identity set (<sa> "*": every one of <ns>) */
	bool linkerd;       /* a Linkerd annotation or policy object was scanned */
	/* Indexes built once when the model is frozen (tm_policy__index), so a lookup by name or
	 * by selector costs its matches, never a pass over the tables. */
	tm_hmap svc_by_name, wl_by_name; /* name -> struct tm_pm_chain*: table indexes, in order */
	tm_hmap np_by_ns;                /* namespace -> struct tm_pm_chain*: its NetworkPolicies */
	tm_hmap az_by_ns;                /* namespace -> struct tm_pm_chain*: its AuthorizationPolicies */
	const tm_pm_workload **backend;  /* per service: the first workload it selects, or NULL */
	tm_pm_cands np_sel;              /* per workload: the NetworkPolicies selecting it */
	tm_hmap wl_by_pair;              /* "key=value" -> struct tm_pm_chain*: workloads with that label */
	tm_hmap ns_by_name;              /* name -> struct tm_pm_chain*: the namespaces table */
	tm_hmap wl_by_id;                /* node id -> struct tm_pm_chain*: the workloads table */
	/* per workload, the Istio policies that may apply to it (tm_policy__cands) */
	tm_pm_cands pa_cands, ra_cands, az_cands;
	tm_pm_cands gw_routes;           /* per Istio Gateway (not workload): VirtualServices bound to it */
	tm_pm_cands ld_sel;              /* per workload: the Linkerd Servers selecting it (ascending) */
	tm_hmap ld_servers_by_ns;        /* namespace -> struct tm_pm_chain*: its Linkerd Servers */
	tm_hmap ld_az_by_server;         /* "ns/server" -> struct tm_pm_chain*: the authorizations naming it */
	tm_hmap ld_server_by_name;       /* "ns/name" -> struct tm_pm_chain*: the Servers of that name */
	tm_hmap ld_authzs_by_ns;         /* namespace -> struct tm_pm_chain*: its other authorizations (of the
					  * whole namespace, or of the Servers a selector picks) */
	tm_hmap ld_routes_by_server;     /* "ns/server" -> struct tm_pm_chain*: the routes attached to it */
} tm_policy;

/* Table indexes sharing one name, in table order. */
struct tm_pm_chain {
	size_t i;
	const struct tm_pm_chain *next;
};

/* Build the indexes above (the model's finish calls it). 0 or TM_ENOMEM. */
int tm_policy__index(tm_policy *p);
/* The services / workloads called name (any namespace), in table order; NULL if none. */
const struct tm_pm_chain *tm_policy__services_named(const tm_policy *p, const char *name);
const struct tm_pm_chain *tm_policy__workloads_named(const tm_policy *p, const char *name);
/* The NetworkPolicies / AuthorizationPolicies of namespace ns, in table order; NULL if none. */
const struct tm_pm_chain *tm_policy__netpols_in(const tm_policy *p, const char *ns);
const struct tm_pm_chain *tm_policy__authzpols_in(const tm_policy *p, const char *ns);
/* The Linkerd Servers of namespace ns; the authorizations naming Server ns/name; the namespace's
 * other authorizations: in table order, NULL if none. */
const struct tm_pm_chain *tm_policy__ld_servers_in(const tm_policy *p, const char *ns);
const struct tm_pm_chain *tm_policy__ld_authzs_of(const tm_policy *p, const char *ns, const char *server);
const struct tm_pm_chain *tm_policy__ld_authzs_in(const tm_policy *p, const char *ns);
/* The routes attached to Server ns/server, in table order; NULL if none. */
const struct tm_pm_chain *tm_policy__ld_routes_of(const tm_policy *p, const char *ns, const char *server);
/* A default inbound policy's name ("all-unauthenticated", "deny"...) as TM_LD_*, TM_LD_UNSET if
 * Linkerd knows no such policy; and back. */
int tm_policy__ld_policy(const char *name);
const char *tm_policy__ld_policy_name(int policy);
/* Who a default inbound policy (TM_LD_*, unset: the control plane's all-unauthenticated) admits, as
 * bits (meshed and unmeshed clients, of the cluster and from outside): one policy is looser than
 * another when it has a bit the other has not. */
int tm_policy__ld_admits(int policy);
/* Linkerd's proxy at w, as the annotations say it (the pod's, else its namespace's), in the order the
 * injector reads them: a pod on the host's network never has one. */
typedef enum {
	TM_LDI_HOST_NETWORK,
	TM_LDI_OPT_OUT,     /* linkerd.io/inject: disabled on the pod */
	TM_LDI_OPT_IN,      /* enabled (or ingress) on the pod */
	TM_LDI_NS_INJECTS,  /* the pod says nothing, its namespace enables */
	TM_LDI_NS_DISABLES,
	TM_LDI_NS_SILENT,   /* neither says anything */
	TM_LDI_NS_UNSCANNED /* the pod says nothing and its namespace's manifest was not scanned */
} tm_ld_injection;
tm_ld_injection tm_policy__ld_injection(const tm_policy *p, const tm_pm_workload *w);
/* Is w's port left around its proxy (its skip-inbound-ports; none written: Linkerd's own 4567, 4568)? */
bool tm_policy__ld_skipped(const tm_pm_workload *w, int port);
/* The first Server selecting w on port (by number, or by the container port's name; port 0: any
 * port): among those the freeze found selecting it, or for a stand-in among its namespace's. */
const tm_ld_server *tm_policy__ld_server_at(const tm_policy *p, const tm_pm_workload *w, int port, const char *name);
/* The first Server ns/name, or NULL. */
const tm_ld_server *tm_policy__ld_server_named(const tm_policy *p, const char *ns, const char *name);
/* The Servers selecting w (indexes, ascending) and their count; NULL for a workload not of the table
 * (a stand-in), whose caller walks its namespace's. */
const size_t *tm_policy__ld_servers_of(const tm_policy *p, const tm_pm_workload *w, size_t *n);
/* Does identity set set admit service account sa of namespace ns? */
bool tm_policy__ld_id_in(const tm_policy *p, size_t set, const char *ns, const char *sa);
/* The key of (ns, sa) in set into b ("<set>\x1f<ns>/<sa>"); false when memory ran out. */
bool tm_policy__ld_id_key(tm_strbuf *b, size_t set, const char *ns, const char *sa);
/* The NetworkPolicies of w's namespace whose pod selector selects w, in table order: for an entry of
 * p's table through the index built when the model is frozen, for a stand-in (a workload assumed
 * by the caller) by the namespace's chain. tm_policy__selecting_next returns NULL after the last. */
typedef struct {
	const tm_policy *p;
	const tm_pm_workload *w;
	const size_t *sel; /* the index's list, or NULL for a stand-in */
	size_t n, i;
	const struct tm_pm_chain *chain;
	const struct tm_pm_chain *cluster; /* the cluster-wide policies, walked after chain */
} tm_np_selecting;
void tm_policy__selecting_init(tm_np_selecting *it, const tm_policy *p, const tm_pm_workload *w);
const tm_netpol *tm_policy__selecting_next(tm_np_selecting *it);
/* The Istio policies (of table c: pa_cands, ra_cands or az_cands, a table of n entries) that may apply
 * to w, as indexes ascending, for the caller to judge each as before: those of w's namespace and of
 * the root namespace whose selector's first single-valued In pair is one of w's labels, or whose
 * selector has none (absent, {}, expressions only). For a workload outside the table (a stand-in)
 * every index below n. Start with tm_policy__cands, then tm_policy__cand_next until false. */
typedef struct {
	const size_t *idx;
	size_t n, i;
	bool all;
} tm_pm_cursor;
void tm_policy__cands(const tm_policy *p, const tm_pm_cands *c, size_t n, const tm_pm_workload *w,
		      tm_pm_cursor *cur);
bool tm_policy__cand_next(tm_pm_cursor *cur, size_t *i);
/* The VirtualServices bound to an Istio Gateway that selects a pod labelled labels, in table order
 * without repeats: the lists of the index built at freeze for the Gateways whose selector the labels
 * hold (a pass over the Gateways, which are few), merged as they are read, so the first costs no
 * more than finding it. Start (0 or TM_ENOMEM), take with next until false, then end. */
typedef struct {
	const tm_policy *p;
	size_t (*at)[2]; /* per selecting Gateway: its list's next position and end */
	size_t k;
	size_t last;
	bool any;
} tm_routes_cursor;
int tm_policy__routes_start(const tm_policy *p, const tm_labels *labels, tm_routes_cursor *c);
bool tm_policy__routes_next(tm_routes_cursor *c, size_t *vs);
void tm_policy__routes_end(tm_routes_cursor *c);
/* The workloads carrying the one label of pair (pair->n == 1), through the label index, or every
 * workload (pair->n == 0), in table order; tm_policy__pair_next returns NULL after the last. */
typedef struct {
	const struct tm_pm_chain *chain;
	size_t i;
	bool all;
} tm_pm_pair_cursor;
tm_pm_pair_cursor tm_policy__with_pair(const tm_policy *p, const tm_labels *pair);
const tm_pm_workload *tm_policy__pair_next(const tm_policy *p, tm_pm_pair_cursor *c);
/* The first entry of the namespaces table called name, or NULL. */
const tm_pm_namespace *tm_policy__namespace(const tm_policy *p, const char *name);
/* Is w an Istio gateway's workload (an Istio Gateway selects it, or its `istio` label names an
 * ingress or egress gateway)? Its Envoy is the proxy: no sidecar is injected into it. */
bool tm_policy__is_gateway_workload(const tm_policy *p, const tm_pm_workload *w);
/* Why w's pod has an Istio sidecar or not, as Istio decides it, in the order it asks: a gateway's
 * workload is the proxy itself; a pod on the host's network is never injected; the pod's
 * sidecar.istio.io/inject (label, else annotation) opts out or in; else its namespace's label (or
 * revision) decides; a namespace the scan does not hold leaves it unknown. Callers say what the
 * result means to them (query.c sidecar(), the rules). */
typedef enum {
	TM_INJ_GATEWAY,        /* the gateway's Envoy: in the mesh, no sidecar */
	TM_INJ_HOST_NETWORK,   /* hostNetwork: never injected */
	TM_INJ_OPT_OUT,        /* the pod says false */
	TM_INJ_OPT_IN,         /* the pod says true */
	TM_INJ_NS_LABEL,       /* its namespace is labelled for injection */
	TM_INJ_NS_UNLABELLED,  /* its namespace is scanned, without the label */
	TM_INJ_NS_UNSCANNED,   /* its namespace is not in the scan */
	TM_INJ_AMBIENT_POD,    /* no sidecar, and the pod is labelled istio.io/dataplane-mode: ambient */
	TM_INJ_AMBIENT_NS      /* no sidecar, and its namespace is (the pod does not say none) */
} tm_injection;
/* Then, for a pod without a sidecar (OPT_OUT, NS_UNLABELLED, NS_UNSCANNED), Istio's ambient mode:
 * the pod's istio.io/dataplane-mode label (ambient, or none to opt out), else its namespace's, puts
 * it under ztunnel. A sidecar wins where both apply (Istio's CNI leaves an injected pod alone). */
tm_injection tm_policy__injection(const tm_policy *p, const tm_pm_workload *w);
/* Is the pod in ambient mode (ztunnel gives it its identity and enforces L4 policy)? */
bool tm_policy__ambient(tm_injection how);
/* The ambient waypoint traffic to Service s (NULL: addressed to workload w itself) goes through, as
 * istio.io/use-waypoint says it: the Service's label, else the namespace's (for traffic to a
 * workload: the pod's, else the namespace's); "none" opts out; istio.io/use-waypoint-namespace names
 * another namespace. The waypoint's Gateway must serve that kind of traffic (istio.io/waypoint-for).
 * False when none is named; else out is filled, its gw NULL when the Gateway is not in the files. */
typedef struct {
	const char *ns, *name;  /* the waypoint named */
	const char *by;         /* who names it: "Service", "namespace", "pod" */
	const tm_waypoint *gw;  /* its Gateway, or NULL when not scanned */
	tm_loc loc;             /* the Gateway, else nothing */
} tm_waypoint_use;
bool tm_policy__uses_waypoint(const tm_policy *p, const tm_pm_service *s, const tm_pm_workload *w,
			      tm_waypoint_use *out);
/* The annotation TM_CAP_* reads, "traffic.sidecar.istio.io/excludeInboundPorts"; whether its entries
 * are CIDRs (else ports). */
const char *tm_policy__capture_annotation(int which);
bool tm_policy__capture_ranges(int which);
/* Does w's sidecar leave inbound connections to its pod port alone? Istio's rules: an
 * includeInboundPorts other than "*" captures only its ports; with "*" (the default) the
 * excludeInboundPorts are let through. The annotation that decides it, or NULL when the port is
 * captured. The rules apply only where a sidecar is (the caller asks tm_policy__injection). */
const tm_pm_capture *tm_policy__inbound_bypass(const tm_pm_workload *w, int port);
/* Does w's sidecar leave its outbound connections to port (the one it dials: a Service's port) alone?
 * In the order of Istio's rules: an excluded port; an excluded range; a port includeOutboundPorts
 * names is captured; then only the include ranges are. The destination's address is not known (a
 * cluster Service's or pod's), so a range decides only when it covers every address (or the include
 * ranges are empty: nothing is captured); a partial one may or may not cover it: MAYBE. *by: the
 * annotation that decides, or may. */
typedef enum { TM_BYPASS_NO, TM_BYPASS_YES, TM_BYPASS_MAYBE } tm_bypass;
tm_bypass tm_policy__outbound_bypass(const tm_pm_workload *w, int port, const tm_pm_capture **by);
/* The prefix length of an IPv4 or IPv6 CIDR ("10.0.0.0/8", "fd00::/8"), as Go's net.ParseCIDR reads it
 * (no spaces, the prefix required); -1 when it is none. */
int tm_policy__cidr_prefix(const char *cidr);
/* The PeerAuthentication mode in force at w's port: the workload policy's port-level mode, else the
 * workload policy's, else its namespace's, else the mesh's (root namespace); UNSET inherits. The
 * policy that sets it in *by, with the line in *loc; none: PERMISSIVE, *by NULL. */
int tm_policy__mtls_mode(const tm_policy *p, const tm_pm_workload *w, int port, const tm_peerauth **by,
			 tm_loc *loc);
/* Does an Istio policy of namespace ns with selector sel apply to w: one in w's namespace, or in the
 * root namespace (every namespace), whose selector is absent or matches w's labels? */
bool tm_policy__applies(const tm_policy *p, const char *ns, const tm_selector *sel, const tm_pm_workload *w);

/* The first workload of the table whose node is id, or NULL. */
const tm_pm_workload *tm_policy__workload_of(const tm_policy *p, const char *id);
/* Does ref, in a VirtualService of namespace vs_ns, name Istio Gateway g ("name": vs_ns's, or
 * "ns/name")? */
bool tm_policy__names_gateway(const tm_istio_gw *g, const char *vs_ns, const char *ref);
/* Each workload's selecting NetworkPolicies, as the freeze keeps them in np_sel (an ingester runs it
 * before the freeze; free out's arrays with tm_free). 0 or TM_ENOMEM. */
int tm_policy__netpol_selection(tm_policy *p, tm_pm_cands *out);
/* Does np's namespace condition (ns_sel) hold for namespace ns? Matched against the labels of the
 * Namespace the scan declares (kubernetes.io/metadata.name among them), else the name alone as
 * kubernetes.io/metadata.name. True when np has none. */
bool tm_policy__netpol_in_ns(const tm_policy *p, const tm_netpol *np, const char *ns);
/* The first workload in table order, in any namespace, whose labels hold sel; NULL for an empty
 * selector or none (through the label index: the workloads carrying sel's first pair). */
const tm_pm_workload *tm_policy__first_selected(const tm_policy *p, const tm_labels *sel);
/* The first workload (table order) in s's namespace whose labels hold s's selector; a Service
 * without a selector: the namespace's first workload. NULL if none. */
const tm_pm_workload *tm_policy__backend(const tm_policy *p, const tm_pm_service *s);
/* Workloads chained in table order under "ns\x1fkey=value" for each of their labels and under their
 * bare namespace; a selector's matches are among the chain of its first pair
 * (tm_policy__selected_chain; NULL when none or memory ran out), each to be checked with
 * tm_labels_subset. Services chained in table order under "ns/name". Keys live in a; 0 or TM_ENOMEM. */
int tm_policy__workload_chains(tm_arena *a, const tm_policy *p, tm_hmap *by_label);
const struct tm_pm_chain *tm_policy__selected_chain(const tm_hmap *by_label, const char *ns, const tm_labels *sel,
						    tm_strbuf *key);
int tm_policy__service_chains(tm_arena *a, const tm_policy *p, tm_hmap *by_name);
/* NetworkPolicies chained by pod selector, for finding the ones that select a workload in the time
 * of its labels: each policy under its selector's first single-valued In requirement (every pod it
 * selects carries that label) or, for every other selector, under its bare namespace. Build the
 * chains once (0 or TM_ENOMEM); then the candidates for wl are the indexes, ascending and without
 * repeats, into *idx (grown as TM_GROW does; *n set). Each candidate still has to match
 * (tm_selector_matches): the chains hold every policy that can select wl, not only those. */
int tm_policy__netpol_chains(tm_policy *p, tm_hmap *chains);
int tm_policy__netpol_candidates(const tm_hmap *chains, const tm_pm_workload *wl, tm_strbuf *key, size_t **idx,
				 size_t *n, size_t *cap);
/* Is the IPv4 address ip inside cidr ("203.0.113.0/24", or a bare address)? Of IPv6 blocks only
 * "::/0" is understood, and it matches every address. */
bool tm_policy__in_cidr(const char *cidr, const char *ip);
/* Does the CIDR (or address) lie inside a private range (RFC 1918, loopback, CGNAT, link-local; IPv6
 * loopback and unique local)? And does every entry of a list (spaces or commas) do so, one at least? */
bool tm_policy__private_cidr(const char *cidr);
/* "8080, 9090" of a port annotation, "10.0.0.0/8, fd00::/8" of a range one (NULL when empty). */
const char *tm_policy__capture_text(tm_arena *a, const tm_pm_capture *c);
bool tm_policy__private_ranges(const char *list);

/* Append one zeroed element to a table; NULL on OOM. */
#define TM_PM_ADD(pol, name) \
	((tm_grow((void **)&(pol)->name, &(pol)->cap_##name, (pol)->n##name + 1, sizeof(*(pol)->name)) \
		  ? NULL                                                                              \
		  : memset(&(pol)->name[(pol)->n##name++], 0, sizeof(*(pol)->name))))

void tm_policy__dispose(tm_policy *p);

/*
 * Copy s into the policy arena: NULL for NULL (an absent optional field), and "" when out
 * of memory — the arena remembers the failure and the scan fails, but nothing on the way
 * there dereferences a NULL name. Use it for every string the policy tables keep.
 */
const char *tm_pm_strdup(tm_arena *a, const char *s);

/* The policy model of m (never NULL for a finished model). */
const tm_policy *tm_model__policy(const tm_model *m);

/* --- matching helpers shared by ingest and analyze ------------------------ */

const char *tm_labels_get(const tm_labels *l, const char *key);
/* Does selector s select an object with these labels? An absent selector selects nothing. */
bool tm_selector_matches(const tm_selector *s, const tm_labels *labels);
/* Every (key, value) of want is in have (a Service selector or matchLabels); an empty want selects nothing. */
bool tm_labels_subset(const tm_labels *want, const tm_labels *have);
/* Istio string match: exact, "prefix*", "*suffix", "*" (any non-empty). */
bool tm_istio_str_match(const char *pattern, const char *value);
bool tm_strs_any(const tm_strs *s, const char *value);

#endif
