/*
 * query.c - evaluate one request against the policy model, layer by layer,
 * as the platform would (see trustmap/query.h for the order).
 *
 * Semantics pinned by tests/golden/istio-tasks (the documented outcomes of
 * the istio.io security tasks), tests/golden/query/ and tests/unit/test_analyze.c:
 * - NetworkPolicy: a pod selected by no policy of a direction is open in that
 *   direction; once selected, only a rule whose peers and ports both match
 *   admits. Peers: podSelector (same namespace), namespaceSelector (any pod
 *   there), both (pods in those namespaces), ipBlock (addresses outside the
 *   cluster). Ports compare with the pod's (target) port, by number or name.
 *   A Cilium port's L7 HTTP rules then admit only the requests one matches: a
 *   rule admitting the peer and port but not the request is 403 (the proxy's),
 *   one that may (a header value in a Secret) unknown; with req->any their
 *   methods and paths are met by some request, as an Istio ALLOW rule's.
 * - Linkerd (before Istio; when the destination's proxy handles the port, it decides): the first
 *   Server selecting the pod on the port; an authorization of it whose every required
 *   authentication holds admits, else the Server's accessPolicy (deny); no Server: the default
 *   inbound policy of the pod, its namespace, else the control plane's (all-unauthenticated,
 *   assumed and said). A meshed client has its service account's identity.
 * - mTLS: effective PeerAuthentication = port-level of the workload policy,
 *   else the workload policy, else the namespace's, else the mesh's (root
 *   namespace), else PERMISSIVE; UNSET inherits. A client sends mTLS when both
 *   ends have a sidecar and the mode is not DISABLE; STRICT refuses plaintext.
 *   Without a sidecar at the destination no Istio policy is enforced. A client
 *   container running as UID 1337, the proxy's own, is not captured by its
 *   sidecar: when every application container of the pod does, the pod sends
 *   plaintext without its identity; when only some do, the request is allowed
 *   if it is either through the sidecar or around it. A pod's
 *   traffic.sidecar.istio.io annotations (tm_policy__outbound_bypass) send its
 *   connections on an excluded port or range around its sidecar the same way
 *   (a partial range, whose cover of a cluster address is unknown, is assumed
 *   not to, and said); at the destination, a port its sidecar does not capture
 *   (tm_policy__inbound_bypass) is reached directly: no mTLS, no policy.
 * - RequestAuthentication: an invalid token is 401 wherever a policy applies; a
 *   request without a token passes with no request principal.
 * - AuthorizationPolicy: CUSTOM, then DENY, then ALLOW. For TCP traffic a rule
 *   using HTTP-only fields never matches in ALLOW, and in DENY those fields
 *   are ignored (Istio's documented, safer choice).
 * - Ambient mode (tm_policy__injection: no sidecar, istio.io/dataplane-mode: ambient on the pod or
 *   its namespace): ztunnel stands before the pod (ambient()). A mesh client's call to a Service
 *   that uses a waypoint (tm_policy__uses_waypoint) is evaluated at the waypoint first, with the
 *   policies attached by targetRefs to the Service or the waypoint's Gateway (never selectors);
 *   the pod's ztunnel then sees the waypoint's identity. ztunnel reads the selecting policies
 *   (never targetRefs ones) as Istio converts them: HTTP attributes unseen, an ALLOW rule with them
 *   dropped, a DENY rule enforced without them, CUSTOM not enforced.
 */
#include <stdarg.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "model/model.h"
#include "trustmap/query.h"

#define ROOT_PUBLIC_IP "198.51.100.7"

typedef struct {
	bool internet;
	const tm_pm_workload *w;
	const tm_pm_service *svc;
	int port;
	const char *node_id;
} target;

/* The route of a Kong gateway that takes the request: a routes edge's route (its route_checks
 * entry) or one its request-termination plugin answers (a terminated_routes fact). */
typedef struct {
	const tm_node *gw;
	const tm_edge *e;        /* the routes edge of the route; NULL: terminated, or no route */
	const char *entry;       /* its route_checks entry (e), or the fact's value (term) */
	const tm_fact_loc *term; /* the terminated route */
	bool weighed;            /* every route of the gateway was weighed (at most KONG_ROUTES_MAX) */
} kong_route;

typedef struct {
	const tm_model *m;
	const tm_policy *pol;
	const tm_request *req;
	tm_arena *a;
	tm_query_step *steps;
	size_t nsteps, cap;
	int oom;
	bool via_controller; /* from the internet through an Ingress or Gateway API controller's pods */
	bool any_used;       /* req->any decided a rule's HTTP fields */
	bool l7_seen;        /* at ztunnel, a rule read had HTTP attributes (reset by policy_match) */
	const char *route_entry; /* the route_checks entry route_authn last took, or NULL */
	kong_route kong_last;    /* the route Kong's order last picked (kong_order); its gw NULL: none */
	/* route_authn's last answer, for its edge (one request: the same answer when asked again) */
	const tm_edge *ra_e;
	tm_authn ra_authn;
	const char *ra_how, *ra_entry;
	tm_loc ra_at;
} q_t;

typedef struct {
	bool allowed, unknown;
	const char *outcome, *reason, *policy;
	tm_loc loc;
} result;

static const tm_loc NOLOC = {NULL, 0, 0, NULL};

static void step(q_t *q, const char *layer, const char *decision, const char *policy, tm_loc loc,
		 const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

static void step(q_t *q, const char *layer, const char *decision, const char *policy, tm_loc loc,
		 const char *fmt, ...)
{
	if (TM_GROW(q->steps, q->cap, q->nsteps + 1)) {
		q->oom = 1;
		return;
	}
	tm_strbuf sb = TM_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	tm_strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	tm_query_step *s = &q->steps[q->nsteps++];
	s->layer = layer;
	s->decision = decision;
	s->text = sb.data ? tm_arena_strdup(q->a, sb.data) : "";
	s->policy = policy;
	s->loc = loc;
	tm_strbuf_dispose(&sb);
}

static result decide(q_t *q, bool allowed, const char *outcome, const char *policy, tm_loc loc)
{
	result r = {allowed, false, outcome, q->nsteps ? q->steps[q->nsteps - 1].text : "", policy, loc};
	return r;
}

static const char *pname(q_t *q, const char *kind, const char *ns, const char *name)
{
	return tm_arena_printf(q->a, "%s %s/%s", kind, ns, name);
}

/* ---- names ------------------------------------------------------------- */

/* A namespace's labels; an unscanned namespace still has kubernetes.io/metadata.name. */
static tm_labels ns_labels(q_t *q, const char *ns)
{
	const tm_pm_namespace *n = tm_policy__namespace(q->pol, ns);
	if (n)
		return n->labels;
	tm_labels l = {tm_arena_alloc(q->a, sizeof(tm_label)), 0};
	if (l.items) {
		l.items[0].key = "kubernetes.io/metadata.name";
		l.items[0].value = ns;
		l.n = 1;
	}
	return l;
}

static bool is_internet(const char *s)
{
	return strcmp(s, "internet") == 0 || strcmp(s, "external") == 0 ||
	       strcmp(s, "entrypoint:internet") == 0;
}

/* Is have (a workload's or Service's namespace) the one a name wrote? A compose project is written
 * as its id has it (compose:shop) or as the report's namespace column shows it (shop). */
static bool ns_is(const char *have, const char *want)
{
	return strcmp(have, want) == 0 || (strncmp(have, "compose:", 8) == 0 && strcmp(have + 8, want) == 0);
}

/* "ns/name", "name.ns[.svc[.cluster.local]]", "service:ns/name", "name"; dest may end in :PORT. */
static int resolve(q_t *q, const char *name, bool dest, target *t, const char **why)
{
	memset(t, 0, sizeof(*t));
	char buf[512];
	if (tm_formatf(buf, sizeof(buf), "%s", name) >= (int)sizeof(buf)) {
		*why = "name too long";
		return TM_ENOTFOUND;
	}
	char *colon = strrchr(buf, ':');
	if (dest && colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
		int64_t p = 0;
		if (tm_parse_i64(colon + 1, strlen(colon + 1), 10, &p) || p < 1 || p > 65535) {
			*why = "port out of range (1-65535)";
			return TM_ENOTFOUND;
		}
		t->port = (int)p;
		*colon = '\0';
	}
	if (is_internet(buf)) {
		t->internet = true;
		t->node_id = "entrypoint:internet";
		return 0;
	}
	char *nm = buf, *ns = NULL;
	if (strncmp(nm, "service:", 8) == 0)
		nm += 8;
	char *slash = strchr(nm, '/');
	if (slash) {
		*slash = '\0';
		ns = nm;
		nm = slash + 1;
	} else {
		static const char *const tails[] = {".svc.cluster.local", ".svc"};
		for (size_t i = 0; i < TM_ARRAY_LEN(tails); i++) {
			size_t l = strlen(nm), tl = strlen(tails[i]);
			if (l > tl && strcmp(nm + l - tl, tails[i]) == 0) {
				nm[l - tl] = '\0';
				break;
			}
		}
		char *dot = strchr(nm, '.');
		if (dot) {
			*dot = '\0';
			ns = dot + 1;
		}
	}
	const tm_policy *pol = q->pol;
	size_t hits = 0;
	/* matches in one namespace are one object defined twice (the graph holds one node): only
	 * matches in several namespaces are ambiguous */
	for (const struct tm_pm_chain *c = tm_policy__services_named(pol, nm); c; c = c->next) {
		const tm_pm_service *s = &pol->services[c->i];
		if ((!ns || ns_is(s->ns, ns)) && (!hits || strcmp(s->ns, t->svc->ns) != 0) && !hits++)
			t->svc = s;
	}
	const tm_pm_workload *wl = NULL;
	size_t whits = 0;
	for (const struct tm_pm_chain *c = tm_policy__workloads_named(pol, nm); c; c = c->next) {
		const tm_pm_workload *w = &pol->workloads[c->i];
		/* two kinds sharing a namespace and name are two workloads (service:NS/NAME~KIND) */
		if ((!ns || ns_is(w->ns, ns)) &&
		    (!whits || strcmp(w->ns, wl->ns) != 0 || (w->node_id && wl->node_id && strcmp(w->node_id, wl->node_id) != 0)) &&
		    !whits++)
			wl = w;
	}
	if (hits > 1 || (!hits && whits > 1)) {
		/* the names to write instead: ns/name of each match, as the resolver takes them */
		tm_strbuf sb = TM_STRBUF_INIT;
		size_t shown = 0;
		if (hits > 1)
			for (const struct tm_pm_chain *c = tm_policy__services_named(pol, nm); c && shown < 4; c = c->next) {
				const tm_pm_service *sv = &pol->services[c->i];
				if (!ns || ns_is(sv->ns, ns))
					tm_strbuf_printf(&sb, "%s%s/%s", shown++ ? ", " : "", sv->ns, sv->name);
			}
		else
			for (const struct tm_pm_chain *c = tm_policy__workloads_named(pol, nm); c && shown < 4; c = c->next) {
				const tm_pm_workload *w = &pol->workloads[c->i];
				bool kinded = w->node_id && strchr(w->node_id, '~');
				if (!ns || ns_is(w->ns, ns))
					tm_strbuf_printf(&sb, "%s%s%s%s", shown++ ? ", " : "", kinded ? w->node_id + 8 : w->ns,
							 kinded ? "" : "/", kinded ? "" : w->name);
			}
		*why = tm_arena_printf(q->a, "'%s' is ambiguous: name the namespace (%s%s)", name,
				       sb.data && !sb.oom ? sb.data : "ns/name", (hits > 4 || whits > 4) ? ", ..." : "");
		tm_strbuf_dispose(&sb);
		return TM_ENOTFOUND;
	}
	if (t->svc) {
		t->w = tm_policy__backend(pol, t->svc);
		if (!t->w && !dest) {
			*why = tm_arena_printf(q->a, "service '%s' selects no scanned workload", name);
			return TM_ENOTFOUND;
		}
		t->node_id = t->w ? t->w->node_id : tm_arena_printf(q->a, "service:%s/%s", t->svc->ns, t->svc->name);
		if (!t->w) {
			*why = tm_arena_printf(q->a, "service '%s' selects no scanned workload", name);
			return TM_ENOTFOUND;
		}
		return 0;
	}
	if (wl) {
		t->w = wl;
		t->node_id = wl->node_id;
		return 0;
	}
	/* a node of the model that no network or mesh policy can stand before (a cloud function) */
	const tm_node *cloud = tm_model_find(q->m, name);
	if (!cloud) {
		char *sid = tm_arena_printf(q->a, "service:%s", name);
		cloud = sid ? tm_model_find(q->m, sid) : NULL;
	}
	/* a workload named with its kind (ci/runner~statefulset): by its node id */
	for (size_t i = 0; cloud && strchr(tm_node_id(cloud), '~') && i < pol->nworkloads; i++)
		if (pol->workloads[i].node_id && strcmp(pol->workloads[i].node_id, tm_node_id(cloud)) == 0) {
			t->w = &pol->workloads[i];
			t->node_id = t->w->node_id;
			return 0;
		}
	if (cloud && tm_node_attr_str(cloud, "workload")) {
		*why = tm_arena_printf(q->a, "'%s' is %s, which no network or mesh policy of the files stands before: query "
					     "answers for Kubernetes and compose workloads; `trustmap paths --from internet` "
					     "walks the routes to it and their checks",
				       name, tm_node_id(cloud));
		return TM_ENOTFOUND;
	}
	*why = tm_arena_printf(q->a, "'%s' names no workload or Service in the scanned files", name);
	return TM_ENOTFOUND;
}

/* ---- ports ------------------------------------------------------------- */

typedef struct {
	int port;          /* the pod's port */
	const char *name;  /* its name, if any */
	bool tcp;
	int dial;          /* the port the client connects to: the Service's, else the pod's */
	const char *host;  /* the Host header: as given, else the destination as the caller named it */
} pod_port;

/* The port a step names: the pod's, else the Service's the client dials, else none is known (a pod
 * that declares no containerPort, reached at its address: "port 0" is no port). */
static const char *port_words(q_t *q, pod_port pp)
{
	if (pp.port)
		return tm_arena_printf(q->a, "port %d", pp.port);
	if (pp.dial)
		return tm_arena_printf(q->a, "service port %d", pp.dial);
	return "any port (the pod declares none)";
}

static const tm_pm_cport *cport_by_name(const tm_pm_workload *w, const char *name)
{
	for (size_t i = 0; name && i < w->nports; i++)
		if (w->ports[i].name && strcmp(w->ports[i].name, name) == 0)
			return &w->ports[i];
	return NULL;
}

static const tm_pm_cport *cport_by_num(const tm_pm_workload *w, int port)
{
	for (size_t i = 0; i < w->nports; i++)
		if (w->ports[i].port == port)
			return &w->ports[i];
	return NULL;
}

static bool tcp_name(const char *n)
{
	return n && (strncmp(n, "tcp", 3) == 0 || strncmp(n, "mongo", 5) == 0 || strncmp(n, "mysql", 5) == 0 ||
		     strncmp(n, "redis", 5) == 0);
}

static pod_port port_of(q_t *q, const target *d, const tm_pm_workload *w)
{
	pod_port p = {0, NULL, q->req->tcp, 0, NULL};
	/* the Host header: as given, else the destination as the caller named it (curl's habit) */
	p.host = q->req->host ? q->req->host
			      : q->req->destination && strncmp(q->req->destination, "service:", 8) != 0
					? q->req->destination
					: d->svc ? d->svc->name : w->name;
	int want = q->req->port ? q->req->port : d->port;
	const tm_pm_sport *sp = NULL;
	for (size_t i = 0; d->svc && i < d->svc->nports; i++)
		if (!want || d->svc->ports[i].port == want) {
			sp = &d->svc->ports[i];
			break;
		}
	if (sp) {
		const tm_pm_cport *cp = sp->target_name ? cport_by_name(w, sp->target_name) : cport_by_num(w, sp->target);
		p.port = cp ? cp->port : sp->target;
		p.name = cp && cp->name ? cp->name : sp->name;
		if (!q->req->method && !q->req->path && (tcp_name(sp->name) || (sp->app_protocol && strcmp(sp->app_protocol, "tcp") == 0)))
			p.tcp = true;
	} else {
		/* not a Service port: straight to the pod, as with a pod IP */
		p.port = want ? want : (w->nports ? w->ports[0].port : 0);
		const tm_pm_cport *cp = cport_by_num(w, p.port);
		p.name = cp ? cp->name : NULL;
	}
	p.dial = sp ? sp->port : p.port;
	return p;
}

/* ---- NetworkPolicy ------------------------------------------------------ */


static bool np_port_is(const tm_np_port *p, pod_port pp)
{
	if (strcmp(p->protocol, "TCP") != 0)
		return false;
	return p->name ? (pp.name && strcmp(p->name, pp.name) == 0)
		       : (!p->port || pp.port == p->port || (p->end_port && pp.port >= p->port && pp.port <= p->end_port));
}

/* Does the anchored POSIX extended regular expression re (a Cilium L7 field: Cilium matches the
 * whole value) match v? -1 when it does not compile. */
static int l7_regex(q_t *q, const char *re, const char *v)
{
	if (!re || !*re)
		return 1; /* not written: any */
	const char *whole = strlen(re) < 4096 ? tm_arena_printf(q->a, "^(%s)$", re) : NULL;
	regex_t rx;
	if (!whole || regcomp(&rx, whole, REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	int m = regexec(&rx, v ? v : "", 0, NULL, 0) == 0;
	regfree(&rx);
	return m;
}

static const char *header(q_t *q, const char *name);

/* Is header "Name" (present) or "Name: value" (that value) in the request? */
static bool l7_header(q_t *q, const char *want)
{
	const char *colon = strchr(want, ':');
	const char *name = colon ? tm_arena_printf(q->a, "%.*s", (int)(colon - want), want) : want;
	const char *have = header(q, name);
	if (!have || !colon)
		return have != NULL;
	const char *v = colon + 1;
	while (*v == ' ')
		v++;
	return strcmp(have, v) == 0;
}

/* What Cilium's L7 HTTP rules on a port say of the request: where one decides, and why not. */
typedef struct {
	const tm_np_port *port; /* the port whose http rules decided (NULL: none on the port) */
	size_t which;           /* the http rule that matched, or may (1-based), else 0 */
	const char *why;        /* unknown: what the files do not say */
	bool any;               /* it matched as some request (q->req->any) */
} l7_say;

/* 1 one of p's http rules matches the request (with no method or path asked, q->req->any, an ALLOW
 * reading: their methods and paths are met by some request), 0 none does, -1 one may (a header value
 * in a Secret, a pattern that does not compile). Plain TCP is no HTTP: Cilium's proxy refuses it. */
static int l7_http(q_t *q, const tm_np_port *p, pod_port pp, l7_say *say)
{
	memset(say, 0, sizeof(*say));
	say->port = p;
	if (pp.tcp)
		return 0;
	const char *method = q->req->method ? q->req->method : "GET", *path = q->req->path ? q->req->path : "/";
	int best = 0;
	for (size_t i = 0; i < p->nhttp; i++) {
		const tm_np_http *h = &p->http[i];
		bool any = q->req->any && ((h->method && *h->method) || (h->path && *h->path));
		int m = any ? 1 : l7_regex(q, h->method, method);
		int pm = any ? 1 : l7_regex(q, h->path, path);
		int hm = l7_regex(q, h->host, pp.host);
		bool headers = true;
		for (size_t k = 0; k < h->headers.n && headers; k++)
			headers = l7_header(q, h->headers.items[k]);
		if (!m || !pm || !hm || !headers)
			continue;
		if (m < 0 || pm < 0 || hm < 0 || h->secret) {
			q->any_used = q->any_used || any; /* some request may pass: the answer is for it */
			if (!best) {
				best = -1;
				say->which = i + 1;
				say->why = h->secret ? tm_arena_printf(q->a, "its http rule %zu needs header %s to hold a "
									     "value kept in a secret, which the files do not give",
								       i + 1, h->secret)
						     : tm_arena_printf(q->a, "its http rule %zu's pattern is no regular "
									     "expression trustmap reads", i + 1);
			}
			continue;
		}
		say->which = i + 1;
		say->any = any;
		q->any_used = q->any_used || any;
		return 1;
	}
	return best;
}

/* Does rule r admit the request at port pp (its peers already do)? 1 yes, 0 no port of it is pp's,
 * -1 a port is but its http rules may admit it (the files do not say), -2 they refuse it. *say:
 * the admitting port's (or the refusing one's) L7 rules. A port without L7 rules admits every request
 * on it, as Cilium merges an L4-only rule with an L7 one. */
static int np_port_ok(q_t *q, const tm_np_rule *r, pod_port pp, l7_say *say)
{
	memset(say, 0, sizeof(*say));
	if (!r->ports_present)
		return 1;
	int got = 0;
	for (size_t i = 0; i < r->nports; i++) {
		const tm_np_port *p = &r->ports[i];
		if (!np_port_is(p, pp))
			continue;
		if (!p->nhttp) {
			memset(say, 0, sizeof(*say));
			return 1;
		}
		l7_say s;
		int v = l7_http(q, p, pp, &s);
		if (v == 1) {
			*say = s;
			return 1;
		}
		if (!got || (v < 0 && got == -2)) {
			got = v < 0 ? -1 : -2;
			*say = s;
		}
	}
	return got;
}

/* The request as the steps name it: "PUT /v1/exhaust-port", or "some request" (q->req->any). */
static const char *req_text(q_t *q)
{
	return q->req->any ? "some request"
			   : tm_arena_printf(q->a, "%s %s", q->req->method ? q->req->method : "GET",
					     q->req->path ? q->req->path : "/");
}

/* "POST /v1/request-landing, GET /v1/.*" of a port's http rules (three at most), for the steps. */
static const char *l7_text(q_t *q, const tm_np_port *p)
{
	tm_strbuf b = TM_STRBUF_INIT;
	for (size_t i = 0; i < p->nhttp && i < 3; i++) {
		const tm_np_http *h = &p->http[i];
		tm_strbuf_printf(&b, "%s%s %s%s%s", i ? ", " : "", h->method && *h->method ? h->method : "any method",
				 h->path && *h->path ? h->path : "any path", h->host ? " on host " : "", h->host ? h->host : "");
		size_t nh = h->headers.n + (h->secret != NULL);
		if (nh)
			tm_strbuf_printf(&b, " with header%s %s%s", nh > 1 ? "s" : "",
					 h->headers.n ? h->headers.items[0] : h->secret, nh > 1 ? ", ..." : "");
	}
	if (p->nhttp > 3)
		tm_strbuf_printf(&b, " and %zu more", p->nhttp - 3);
	const char *out = b.data ? tm_arena_strdup(q->a, b.data) : "";
	tm_strbuf_dispose(&b);
	return out;
}

/* A network policy as the steps name it: "NetworkPolicy shop/api", "CiliumClusterwideNetworkPolicy
 * default-deny" (a cluster-wide one has no namespace). */
static const char *np_name(q_t *q, const tm_netpol *np)
{
	if (strcmp(np->ns, TM_PM_ALL_NAMESPACES) == 0)
		return tm_arena_printf(q->a, "%s %s", np->kind ? np->kind : "NetworkPolicy", np->name);
	return pname(q, np->kind ? np->kind : "NetworkPolicy", np->ns, np->name);
}

/* Does peer admit the other end (a workload, or an address outside the cluster)? */
static bool np_peer_ok(q_t *q, const tm_np_peer *p, const char *pol_ns, const tm_pm_workload *other,
		       const char *ip)
{
	if (p->cidr) {
		if (other || !ip || !tm_policy__in_cidr(p->cidr, ip))
			return false;
		for (size_t i = 0; i < p->except.n; i++)
			if (tm_policy__in_cidr(p->except.items[i], ip))
				return false;
		return true;
	}
	if (!other)
		return false;
	bool sa = !p->sas.present;
	for (size_t i = 0; !sa && i < p->sas.n; i++)
		sa = other->service_account && strcmp(p->sas.items[i], other->service_account) == 0;
	if (!sa)
		return false;
	if (p->nss.present) {
		tm_labels nl = ns_labels(q, other->ns);
		if (!tm_selector_matches(&p->nss, &nl))
			return false;
		return !p->pods.present || tm_selector_matches(&p->pods, &other->labels);
	}
	return p->pods.present && strcmp(other->ns, pol_ns) == 0 && tm_selector_matches(&p->pods, &other->labels);
}

/* A rule admits the peer on the port, and its L7 rules refuse the request (got -2) or may (-1):
 * the connection is made, and Cilium's proxy answers. Always false, with *deny. */
static bool l7_refuse(q_t *q, const char *dir, const tm_netpol *np, size_t rule, int got, const l7_say *l7,
		      const char *other_name, pod_port pp, result *deny)
{
	const char *nm = np_name(q, np);
	const char *rname = np->kind ? nm : tm_arena_printf(q->a, "networkpolicy %s/%s", np->ns, np->name);
	tm_loc loc = l7->port->http[l7->which ? l7->which - 1 : 0].loc;
	if (got == -1) {
		step(q, "network-policy", "unknown", nm, loc,
		     "%s rule %zu of %s admits %s on %s for %s only, and %s: whether %s passes is unknown", dir, rule,
		     rname, other_name, port_words(q, pp), l7_text(q, l7->port), l7->why,
		     pp.tcp ? "a tcp connection" : req_text(q));
		*deny = decide(q, false, "unknown", nm, loc);
		deny->unknown = true;
		return false;
	}
	step(q, "network-policy", "deny", nm, loc,
	     "%s rule %zu of %s admits %s on %s for %s only: %s is refused by cilium's proxy (%s)", dir, rule, rname,
	     other_name, port_words(q, pp), l7_text(q, l7->port), pp.tcp ? "a tcp connection" : req_text(q),
	     pp.tcp ? "not http" : "403, access denied");
	*deny = decide(q, false, pp.tcp ? "rejected" : "403", nm, loc);
	return false;
}

/* One direction at one pod: ingress at dst from src, or egress at src to dst. */
static bool netpol(q_t *q, const tm_pm_workload *at, bool ingress, const tm_pm_workload *other,
		   const char *ip, pod_port pp, const char *other_name, result *deny)
{
	const tm_netpol *first = NULL;
	size_t selected = 0;
	const char *dir = ingress ? "ingress" : "egress";
	/* the policies selecting the pod, through the policy model's index */
	tm_np_selecting it;
	tm_policy__selecting_init(&it, q->pol, at);
	/* a rule that admits the peer on the port whose L7 rules refuse the request, or may not: kept to
	 * answer with when no rule admits it (-2 refused, -1 unknown, the latter first) */
	const tm_netpol *l7np = NULL;
	size_t l7rule = 0;
	int l7got = 0;
	l7_say l7 = {NULL, 0, NULL, false};
	for (const tm_netpol *np; (np = tm_policy__selecting_next(&it)) != NULL;) {
		if (!(ingress ? np->ingress : np->egress))
			continue;
		if (!selected++)
			first = np;
		const tm_np_rule *rules = ingress ? np->in : np->out;
		size_t n = ingress ? np->nin : np->nout;
		for (size_t r = 0; r < n; r++) {
			const tm_np_rule *ru = &rules[r];
			bool peer = !ru->peers_present;
			for (size_t p = 0; !peer && p < ru->npeers; p++)
				peer = np_peer_ok(q, &ru->peers[p], np->ns, other, ip);
			l7_say say;
			int ok = peer ? np_port_ok(q, ru, pp, &say) : 0;
			const char *nm = ok == 1 ? np_name(q, np) : NULL;
			const char *rname = !nm ? NULL
					: np->kind ? nm
						   : tm_arena_printf(q->a, "networkpolicy %s/%s", np->ns, np->name);
			if (ok == 1 && say.which) {
				const tm_np_http *h = &say.port->http[say.which - 1];
				step(q, "network-policy", "allow", nm, h->loc,
				     "%s rule %zu of %s admits %s on %s; its http rule %zu (%s) matches %s", dir, r + 1, rname,
				     other_name, port_words(q, pp), say.which, l7_text(q, say.port),
				     say.any ? "some request (no method or path asked, and GET / alone is refused: pass "
						   "--method and --path to ask for one)"
						 : req_text(q));
				return true;
			}
			if (ok == 1) {
				step(q, "network-policy", "allow", nm, ru->loc, "%s rule %zu of %s admits %s on %s", dir, r + 1,
				     rname, other_name, port_words(q, pp));
				return true;
			}
			if (ok < 0 && (!l7got || (ok == -1 && l7got == -2))) {
				l7got = ok;
				l7np = np;
				l7rule = r + 1;
				l7 = say;
			}
		}
	}
	if (l7got)
		return l7_refuse(q, dir, l7np, l7rule, l7got, &l7, other_name, pp, deny);
	if (!selected) {
		if (strncmp(at->ns, "compose:", 8) == 0) /* compose has no such policy: its networks decide */
			step(q, "network-policy", "pass", NULL, NOLOC,
			     "compose has no network policy: %s/%s is open to what shares a network with it (%s)", at->ns,
			     at->name, dir);
		else if (at->host_network)
			step(q, "network-policy", "pass", NULL, NOLOC,
			     "%s/%s runs on the node's network (hostNetwork): pod policies do not isolate it (%s)", at->ns,
			     at->name, dir);
		else
			step(q, "network-policy", "pass", NULL, NOLOC, "no networkpolicy selects %s/%s for %s: open", at->ns,
			     at->name, dir);
		return true;
	}
	const char *nm = np_name(q, first);
	step(q, "network-policy", "deny", nm, first->loc,
	     "%s of %s/%s is isolated by %zu networkpolic%s (first: %s) and no rule admits %s on %s", dir,
	     at->ns, at->name, selected, selected == 1 ? "y" : "ies", first->kind ? nm : first->name, other_name,
	     port_words(q, pp));
	*deny = decide(q, false, q->req->tcp ? "blocked" : "blocked", nm, first->loc);
	return false;
}

/* ---- Istio ------------------------------------------------------------- */

/* 1 sidecar, 2 ambient mode (ztunnel, no sidecar), 0 neither; *why explains. */
static int sidecar(q_t *q, const tm_pm_workload *w, const char **why)
{
	const char *none = tm_labels_get(&w->labels, "istio.io/dataplane-mode");
	const char *out = none && strcmp(none, "none") == 0 ? ", and the pod opts out of ambient mode with "
							      "istio.io/dataplane-mode: none"
							    : "";
	if (!q->pol->istio) {
		*why = "no istio configuration was scanned";
		return 0;
	}
	switch (tm_policy__injection(q->pol, w)) {
	case TM_INJ_GATEWAY:
		*why = "an istio gateway (envoy)";
		return 1;
	case TM_INJ_HOST_NETWORK:
		*why = "the pod runs on the host's network (hostNetwork), where istio never injects a sidecar";
		return 0;
	case TM_INJ_OPT_OUT:
		*why = tm_arena_printf(q->a, "the pod opts out (sidecar.istio.io/inject: false)%s", out);
		return 0;
	case TM_INJ_OPT_IN:
		*why = "the pod asks for injection";
		return 1;
	case TM_INJ_NS_LABEL:
		*why = tm_arena_printf(q->a, "namespace %s is labelled for injection", w->ns);
		return 1;
	case TM_INJ_NS_UNLABELLED:
		*why = tm_arena_printf(q->a, "namespace %s is not labelled for injection%s", w->ns, out);
		return 0;
	case TM_INJ_AMBIENT_POD:
		*why = "the pod is labelled istio.io/dataplane-mode: ambient";
		return 2;
	case TM_INJ_AMBIENT_NS:
		*why = tm_arena_printf(q->a, "namespace %s is labelled istio.io/dataplane-mode: ambient", w->ns);
		return 2;
	case TM_INJ_NS_UNSCANNED:
		break;
	}
	*why = tm_arena_printf(q->a, "namespace %s was not scanned; injection assumed", w->ns);
	return 1;
}

static const char *mode_name(int m)
{
	static const char *const names[] = {"UNSET", "PERMISSIVE", "STRICT", "DISABLE"};
	return (size_t)m < TM_ARRAY_LEN(names) ? names[m] : "UNSET";
}

/* The mode in force at w's port (tm_policy__mtls_mode), *by naming the policy that sets it. */
static int mtls_mode(q_t *q, const tm_pm_workload *w, int port, const char **by, tm_loc *loc)
{
	const tm_peerauth *pa;
	int mode = tm_policy__mtls_mode(q->pol, w, port, &pa, loc);
	*by = pa ? pname(q, "PeerAuthentication", pa->ns, pa->name) : NULL;
	return mode;
}

typedef struct {
	bool tcp;
	int port;
	const char *principal;     /* peer identity from mTLS */
	const char *src_ns;        /* known only with mTLS */
	const char *req_principal; /* from a validated JWT */
	const char *ip;
	const char *host;
	bool l4;                   /* at ztunnel: HTTP attributes are not seen (tcp is set too) */
} attrs;

static bool any_match(const tm_strs *pats, const char *v)
{
	for (size_t i = 0; v && i < pats->n; i++)
		if (tm_istio_str_match(pats->items[i], v))
			return true;
	return false;
}

static bool any_cidr(const tm_strs *blocks, const char *ip)
{
	for (size_t i = 0; ip && i < blocks->n; i++)
		if (strchr(blocks->items[i], '/') ? tm_policy__in_cidr(blocks->items[i], ip) : strcmp(blocks->items[i], ip) == 0)
			return true;
	return false;
}

/* pos/neg pair: present lists must match, negated lists must not */
static bool field(const tm_strs *pos, const tm_strs *neg, const char *v)
{
	if (pos->present && !any_match(pos, v))
		return false;
	if (neg->present && any_match(neg, v))
		return false;
	return true;
}

static const char *header(q_t *q, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < q->req->nheaders; i++) {
		const char *h = q->req->headers[i];
		if (strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
			h += nl + 1;
			while (*h == ' ')
				h++;
			return h;
		}
	}
	return NULL;
}

static bool claim_matches(q_t *q, const char *claim, const tm_strs *vals, bool negate)
{
	size_t cl = strlen(claim);
	for (size_t i = 0; i < q->req->nclaims; i++) {
		const char *c = q->req->claims[i];
		if (strncmp(c, claim, cl) == 0 && c[cl] == '=' && any_match(vals, c + cl + 1))
			return !negate;
	}
	return negate;
}

/* A `when` condition; *http set when it reads an HTTP-only attribute. */
static bool cond_ok(q_t *q, const tm_az_cond *c, const attrs *at, bool *http)
{
	const char *k = c->key;
	const char *v = NULL;
	char name[256];
	if (strncmp(k, "request.headers[", 16) == 0 || strncmp(k, "request.auth.", 13) == 0)
		*http = true;
	/* ztunnel reads only these (Istio's l4WhenAttributes); any other key is an HTTP one there */
	static const char *const l4keys[] = {"source.ip", "source.namespace", "source.principal", "destination.ip",
					     "destination.port"};
	bool l4key = false;
	for (size_t i = 0; at->l4 && i < TM_ARRAY_LEN(l4keys); i++)
		l4key = l4key || strcmp(k, l4keys[i]) == 0;
	if (at->l4 && !l4key) {
		*http = true;
		return false;
	}
	if (sscanf(k, "request.headers[%255[^]]]", name) == 1) {
		v = header(q, name);
	} else if (sscanf(k, "request.auth.claims[%255[^]]]", name) == 1) {
		if (!at->req_principal)
			return !c->values.present && c->not_values.present;
		if (c->values.present && !claim_matches(q, name, &c->values, false))
			return false;
		if (c->not_values.present && claim_matches(q, name, &c->not_values, false))
			return false;
		return true;
	} else if (strcmp(k, "request.auth.principal") == 0) {
		v = at->req_principal;
	} else if (strcmp(k, "source.ip") == 0 || strcmp(k, "remote.ip") == 0) {
		if (c->values.present && !any_cidr(&c->values, at->ip))
			return false;
		return !(c->not_values.present && any_cidr(&c->not_values, at->ip));
	} else if (strcmp(k, "source.namespace") == 0) {
		v = at->src_ns;
	} else if (strcmp(k, "source.principal") == 0) {
		v = at->principal;
	} else if (strcmp(k, "destination.port") == 0) {
		tm_formatf(name, sizeof(name), "%d", at->port);
		v = name;
	} else {
		step(q, "authorization", "unknown", NULL, c->loc, "condition key '%s' is not evaluated; read as not matching", k);
		return false;
	}
	return field(&c->values, &c->not_values, v);
}

static bool src_ok(q_t *q, const tm_az_source *s, const attrs *at, bool *http)
{
	(void)q;
	if (s->request_principals.present || s->not_request_principals.present)
		*http = true;
	/* remoteIpBlocks are the X-Forwarded-For's: HTTP at ztunnel */
	if (at->l4 && (s->remote_ip_blocks.present || s->not_remote_ip_blocks.present))
		*http = true;
	return field(&s->principals, &s->not_principals, at->principal) &&
	       field(&s->request_principals, &s->not_request_principals, at->req_principal) &&
	       field(&s->namespaces, &s->not_namespaces, at->src_ns) &&
	       (!s->ip_blocks.present || any_cidr(&s->ip_blocks, at->ip)) &&
	       !(s->not_ip_blocks.present && any_cidr(&s->not_ip_blocks, at->ip)) &&
	       (!s->remote_ip_blocks.present || any_cidr(&s->remote_ip_blocks, at->ip)) &&
	       !(s->not_remote_ip_blocks.present && any_cidr(&s->not_remote_ip_blocks, at->ip));
}

static bool op_ok(q_t *q, const tm_az_op *o, const attrs *at, bool *http)
{
	if (o->methods.present || o->not_methods.present || o->paths.present || o->not_paths.present ||
	    o->hosts.present || o->not_hosts.present)
		*http = true;
	char port[16];
	tm_formatf(port, sizeof(port), "%d", at->port);
	const char *method = q->req->method ? q->req->method : "GET";
	const char *path = q->req->path ? q->req->path : "/";
	return field(&o->ports, &o->not_ports, port) && field(&o->methods, &o->not_methods, at->tcp ? NULL : method) &&
	       field(&o->paths, &o->not_paths, at->tcp ? NULL : path) &&
	       field(&o->hosts, &o->not_hosts, at->tcp ? NULL : at->host);
}

/* Does a list of methods or paths take every request (a star, or the path of slash and star)? Absent: yes. */
static bool every_of(const tm_strs *s, bool path)
{
	if (!s->present)
		return true;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->items[i], "*") == 0 || (path && strcmp(s->items[i], "/*") == 0))
			return true;
	return false;
}

/* Does operation o's method and path part take every request (no not-lists, "*" or absent)? */
static bool every_request(const tm_az_op *o)
{
	return !o->not_methods.present && !o->not_paths.present && every_of(&o->methods, false) &&
	       every_of(&o->paths, true);
}

/*
 * Does rule r match? For TCP, HTTP-only fields make an ALLOW/CUSTOM rule not match and are
 * ignored in a DENY rule: evaluate twice, with and without them, to tell which it was.
 */
static bool rule_ok(q_t *q, const tm_az_rule *r, const attrs *at, int action)
{
	bool http = false;
	bool from = !r->nfrom, to = !r->nto, when = true;
	for (size_t i = 0; i < r->nfrom && !from; i++) {
		bool h = false;
		bool ok = src_ok(q, &r->from[i], at, &h);
		if (h && at->tcp && action == TM_AZ_DENY) {
			/* drop the HTTP-only fields of this source */
			tm_az_source s = r->from[i];
			s.request_principals.present = s.not_request_principals.present = false;
			if (at->l4)
				s.remote_ip_blocks.present = s.not_remote_ip_blocks.present = false;
			ok = src_ok(q, &s, at, &h);
		}
		http = http || h;
		from = ok;
	}
	for (size_t i = 0; i < r->nto && !to; i++) {
		bool h = false;
		bool ok = op_ok(q, &r->to[i], at, &h);
		const tm_az_op *op = &r->to[i];
		if (!ok && !at->tcp && q->req->any && action == TM_AZ_ALLOW &&
		    (op->methods.present || op->not_methods.present || op->paths.present || op->not_paths.present)) {
			/* some request meets the methods and paths (the host is the one the caller names) */
			tm_az_op o = *op;
			o.methods.present = o.not_methods.present = o.paths.present = o.not_paths.present = false;
			ok = op_ok(q, &o, at, &h);
			q->any_used = q->any_used || ok;
		} else if (ok && !at->tcp && q->req->any && action != TM_AZ_ALLOW && !every_request(op) &&
			   (op->methods.present || op->not_methods.present || op->paths.present || op->not_paths.present)) {
			ok = false; /* a DENY or CUSTOM rule on some methods or paths: another request escapes it */
			q->any_used = true;
		}
		if (h && at->tcp && action == TM_AZ_DENY) {
			tm_az_op o = r->to[i];
			o.methods.present = o.not_methods.present = o.paths.present = o.not_paths.present = false;
			o.hosts.present = o.not_hosts.present = false;
			ok = op_ok(q, &o, at, &h);
		}
		http = http || h;
		to = ok;
	}
	for (size_t i = 0; i < r->nwhen && when; i++) {
		bool h = false;
		bool ok = cond_ok(q, &r->when[i], at, &h);
		if (h && at->tcp && action == TM_AZ_DENY)
			ok = true;
		http = http || h;
		when = ok;
	}
	if (http && at->l4)
		q->l7_seen = true;
	if (http && at->tcp && action != TM_AZ_DENY)
		return false;
	return from && to && when;
}

/* First matching rule of p (1-based), 0 if none; q->l7_seen tells whether that rule (or, when none
 * matches, any rule) had HTTP attributes ztunnel does not see. */
static size_t policy_match(q_t *q, const tm_authzpol *p, const attrs *at)
{
	q->l7_seen = false;
	if (!p->rules_present)
		return 0;
	bool seen = false;
	for (size_t i = 0; i < p->nrules; i++) {
		q->l7_seen = false;
		if (rule_ok(q, &p->rules[i], at, p->action))
			return i + 1;
		seen = seen || q->l7_seen;
	}
	q->l7_seen = seen;
	return 0;
}

/*
 * Where Istio enforces a policy: a pod's sidecar (or a gateway's Envoy), ztunnel in front of an
 * ambient pod (L4 only; policies attached by targetRefs are not its), or an ambient waypoint, which
 * enforces only the policies attached to it or to the Service called (Istio's policy attachment:
 * a waypoint never reads selectors, a sidecar or ztunnel never reads targetRefs).
 */
enum { EP_SIDECAR, EP_ZTUNNEL, EP_WAYPOINT };
typedef struct {
	int ep;
	const tm_pm_workload *w;   /* the pod, or the waypoint's (a stand-in) */
	const tm_pm_service *svc;  /* EP_WAYPOINT: the Service called */
	const char *peer;          /* EP_ZTUNNEL behind a waypoint: the words for the peer it sees, or NULL */
} enforcer;

/* Does a policy of namespace ns (selector sel, attached by targetRefs to services) apply at e? */
static bool applies_at(const tm_policy *pol, const enforcer *e, const char *ns, const tm_selector *sel, bool attached,
		       const tm_strs *services)
{
	if (e->ep != EP_WAYPOINT)
		return (e->ep == EP_SIDECAR || !attached) && tm_policy__applies(pol, ns, sel, e->w);
	if (!attached)
		return false;
	if (e->svc && strcmp(ns, e->svc->ns) == 0 && tm_strs_any(services, e->svc->name))
		return true;
	return strcmp(ns, e->w->ns) == 0 && sel->present && tm_selector_matches(sel, &e->w->labels);
}

/* The AuthorizationPolicies that may apply at e, in table order (at a pod, the policy model's
 * candidates: its namespace's and the root namespace's whose selectors can select it; at a waypoint,
 * those of the Service's and the waypoint's namespaces), each then judged by applies_at; NULL after
 * the last. */
typedef struct {
	const tm_policy *pol;
	const enforcer *e;
	tm_pm_cursor cur;
	const struct tm_pm_chain *chain, *next_ns;
} az_iter;

static void az_start(az_iter *it, const tm_policy *pol, const enforcer *e)
{
	memset(it, 0, sizeof(*it));
	it->pol = pol;
	it->e = e;
	if (e->ep != EP_WAYPOINT) {
		tm_policy__cands(pol, &pol->az_cands, pol->nauthzpols, e->w, &it->cur);
		return;
	}
	const char *sns = e->svc ? e->svc->ns : e->w->ns;
	it->chain = tm_policy__authzpols_in(pol, sns);
	it->next_ns = strcmp(sns, e->w->ns) != 0 ? tm_policy__authzpols_in(pol, e->w->ns) : NULL;
}

static const tm_authzpol *az_next(az_iter *it)
{
	for (;;) {
		size_t i;
		if (it->e->ep != EP_WAYPOINT) {
			if (!tm_policy__cand_next(&it->cur, &i))
				return NULL;
		} else {
			if (!it->chain) {
				it->chain = it->next_ns;
				it->next_ns = NULL;
			}
			if (!it->chain)
				return NULL;
			i = it->chain->i;
			it->chain = it->chain->next;
		}
		const tm_authzpol *p = &it->pol->authzpols[i];
		if (applies_at(it->pol, it->e, p->ns, &p->sel, p->attached, &p->target_services))
			return p;
	}
}

/* What enforces at e, for steps: "" at a sidecar, " at ztunnel", " at waypoint ns/name". */
static const char *at_words(q_t *q, const enforcer *e)
{
	return e->ep == EP_SIDECAR ? ""
	       : e->ep == EP_ZTUNNEL ? " at ztunnel"
				     : tm_arena_printf(q->a, " at waypoint %s/%s", e->w->ns, e->w->name);
}

/* What a policy applies to at e, for steps: the pod, or the Service a waypoint stands before. */
static const char *subject_words(q_t *q, const enforcer *e)
{
	return e->ep == EP_WAYPOINT && e->svc ? tm_arena_printf(q->a, "service %s/%s", e->svc->ns, e->svc->name)
					      : tm_arena_printf(q->a, "%s/%s", e->w->ns, e->w->name);
}

static bool authorize(q_t *q, const enforcer *e, const attrs *at, result *deny)
{
	const char *where = at_words(q, e);
	const char *denied = at->tcp ? "rejected" : "403";
	static const int order[] = {TM_AZ_CUSTOM, TM_AZ_DENY};
	az_iter it;
	for (size_t o = 0; o < TM_ARRAY_LEN(order); o++)
		for (az_start(&it, q->pol, e);;) {
			const tm_authzpol *p = az_next(&it);
			if (!p)
				break;
			if (p->action != order[o])
				continue;
			const char *name = pname(q, "AuthorizationPolicy", p->ns, p->name);
			if (p->action == TM_AZ_CUSTOM && e->ep == EP_ZTUNNEL) {
				step(q, "authorization", "pass", name, p->loc,
				     "custom policy %s/%s is not enforced by ztunnel, which takes allow and deny policies "
				     "only (a waypoint enforces custom ones)", p->ns, p->name);
				continue;
			}
			size_t r = policy_match(q, p, at);
			if (!r)
				continue;
			if (p->action == TM_AZ_CUSTOM) {
				step(q, "authorization", "unknown", name, p->rules[r - 1].loc,
				     "custom policy %s/%s rule %zu hands the decision to external authorizer '%s'%s",
				     p->ns, p->name, r, p->provider ? p->provider : "?", where);
				*deny = decide(q, false, "unknown", name, p->rules[r - 1].loc);
				deny->unknown = true;
				return false;
			}
			step(q, "authorization", "deny", name, p->rules[r - 1].loc, "deny policy %s/%s rule %zu matches%s%s",
			     p->ns, p->name, r, where,
			     q->l7_seen ? " (ztunnel enforces a deny rule without its http attributes, which it cannot "
					  "see: stricter than written; attach the policy to a waypoint by targetRefs)"
					: "");
			*deny = decide(q, false, denied, name, p->rules[r - 1].loc);
			return false;
		}
	const tm_authzpol *first = NULL;
	size_t nallow = 0;
	bool l7 = false;
	az_start(&it, q->pol, e);
	for (const tm_authzpol *p; (p = az_next(&it));) {
		if (p->action != TM_AZ_ALLOW)
			continue;
		if (!nallow++)
			first = p;
		size_t r = policy_match(q, p, at);
		l7 = l7 || q->l7_seen;
		if (r) {
			step(q, "authorization", "allow", pname(q, "AuthorizationPolicy", p->ns, p->name),
			     p->rules[r - 1].loc, "allow policy %s/%s rule %zu matches%s%s", p->ns, p->name, r, where,
			     q->any_used ? " some request (no method or path asked, and GET / alone is refused: pass "
					   "--method and --path to ask for one)"
					 : "");
			return true;
		}
	}
	if (!nallow) {
		step(q, "authorization", "pass", NULL, NOLOC, "no allow policy applies to %s%s: allowed", subject_words(q, e),
		     where);
		return true;
	}
	const char *name = pname(q, "AuthorizationPolicy", first->ns, first->name);
	step(q, "authorization", "deny", name, first->loc,
	     "%zu allow polic%s appl%s to %s%s (first: %s/%s) and no rule matches%s%s", nallow,
	     nallow == 1 ? "y" : "ies", nallow == 1 ? "ies" : "y", subject_words(q, e), where, first->ns, first->name,
	     l7 ? " (ztunnel drops an allow rule with http attributes, which it cannot see: istio fails closed; "
		  "attach the policy to a waypoint by targetRefs)"
		: "",
	     e->peer ? e->peer : "");
	*deny = decide(q, false, denied, name, first->loc);
	return false;
}

/* RequestAuthentication: sets at->req_principal; false (401) on a bad token. */
static bool request_auth(q_t *q, const enforcer *e, attrs *at, result *deny)
{
	const tm_policy *pol = q->pol;
	const tm_reqauth *hit = NULL;
	bool issuer_ok = false;
	const char *iss = q->req->issuer;
	tm_pm_cursor cur;
	/* at a waypoint (a stand-in): every candidate, which applies_at judges */
	tm_policy__cands(pol, &pol->ra_cands, pol->nreqauths, e->w, &cur);
	for (size_t i; tm_policy__cand_next(&cur, &i);) {
		const tm_reqauth *r = &pol->reqauths[i];
		if (!applies_at(pol, e, r->ns, &r->sel, r->attached, &r->target_services))
			continue;
		if (!hit)
			hit = r;
		if (!iss && r->issuers.n)
			iss = r->issuers.items[0];
		if (iss && tm_strs_any(&r->issuers, iss)) {
			issuer_ok = true;
			hit = r;
		}
	}
	if (q->req->token == TM_TOKEN_NONE || at->tcp) {
		if (hit)
			step(q, "request-authentication", "pass", pname(q, "RequestAuthentication", hit->ns, hit->name),
			     hit->loc, "no token: request passes without a request principal");
		return true;
	}
	if (!hit) {
		step(q, "request-authentication", "pass", NULL, NOLOC,
		     "no requestauthentication applies: the token is not validated and gives no principal");
		return true;
	}
	const char *name = pname(q, "RequestAuthentication", hit->ns, hit->name);
	if (q->req->token == TM_TOKEN_INVALID || !issuer_ok) {
		step(q, "request-authentication", "deny", name, hit->loc,
		     q->req->token == TM_TOKEN_INVALID ? "token fails validation: 401"
						       : "token issuer is not one this policy accepts: 401");
		*deny = decide(q, false, "401", name, hit->loc);
		return false;
	}
	const char *sub = q->req->subject ? q->req->subject : iss;
	at->req_principal = tm_arena_printf(q->a, "%s/%s", iss, sub);
	step(q, "request-authentication", "allow", name, hit->loc, "token valid: request principal %s", at->req_principal);
	return true;
}

/* ---- one hop ------------------------------------------------------------ */

typedef struct {
	bool internet;
	const tm_pm_workload *w;
	const char *label; /* for messages */
} source;

static bool vs_match(q_t *q, const tm_vs_route *r)
{
	if (!r->nmatches)
		return true;
	const char *path = q->req->path ? q->req->path : "/";
	const char *method = q->req->method ? q->req->method : "GET";
	for (size_t i = 0; i < r->nmatches; i++) {
		const tm_vs_match *m = &r->matches[i];
		bool ok = true;
		const tm_strmatch *sm[] = {&m->uri, &m->method};
		const char *val[] = {path, method};
		for (size_t k = 0; k < 2 && ok && !q->req->any; k++) {
			if (sm[k]->kind == TM_SM_EXACT)
				ok = strcmp(sm[k]->text, val[k]) == 0;
			else if (sm[k]->kind == TM_SM_PREFIX)
				ok = strncmp(sm[k]->text, val[k], strlen(sm[k]->text)) == 0;
			else if (sm[k]->kind == TM_SM_REGEX)
				ok = false; /* regex routes are reported, not matched (RE2 is not evaluated) */
		}
		for (size_t h = 0; h < m->nheaders && ok; h++) {
			const char *hv = header(q, m->header_names[h]);
			const tm_strmatch *hm = &m->headers[h];
			ok = hv && (hm->kind == TM_SM_EXACT    ? strcmp(hm->text, hv) == 0
				    : hm->kind == TM_SM_PREFIX ? strncmp(hm->text, hv, strlen(hm->text)) == 0
							       : hm->kind == TM_SM_ANY);
		}
		if (ok)
			return true;
	}
	return false;
}

static result hop(q_t *q, const source *src, const target *dst, const tm_pm_workload *w, int depth);

/* A request that reached a gateway workload goes on along the first matching VirtualService route. */
static bool forward(q_t *q, const tm_pm_workload *gw, result *out, int depth)
{
	const tm_policy *pol = q->pol;
	/* the VirtualServices bound to a Gateway selecting gw, in table order, through the policy model;
	 * the first route that matches the request */
	tm_routes_cursor cur;
	if (tm_policy__routes_start(pol, &gw->labels, &cur))
		q->oom = 1;
	const tm_vservice *vs = NULL;
	const tm_vs_route *route = NULL;
	for (size_t b; !route && tm_policy__routes_next(&cur, &b);) {
		const tm_vservice *v = &pol->vservices[b];
		const tm_vs_route *list = q->req->tcp ? v->tcp : v->http;
		size_t n = q->req->tcp ? v->ntcp : v->nhttp;
		for (size_t r = 0; r < n && !route; r++)
			if (q->req->tcp || vs_match(q, &list[r])) {
				vs = v;
				route = &list[r];
			}
	}
	tm_policy__routes_end(&cur);
	if (!route) {
		step(q, "routing", "deny", NULL, NOLOC, "no virtualservice route on this gateway matches: 404");
		*out = decide(q, false, q->req->tcp ? "rejected" : "404", NULL, NOLOC);
		return true;
	}
	if (route->direct_response || !route->ndest) {
		step(q, "routing", "pass", pname(q, "VirtualService", vs->ns, vs->name), route->loc,
		     "route answers directly (redirect or direct response)");
		*out = decide(q, true, "200", pname(q, "VirtualService", vs->ns, vs->name), route->loc);
		return true;
	}
	const char *host = route->dest_hosts[0];
	char name[512];
	tm_formatf(name, sizeof(name), "%s%s%s", host, strchr(host, '.') ? "" : ".", strchr(host, '.') ? "" : vs->ns);
	target t;
	const char *why = NULL;
	if (resolve(q, name, true, &t, &why)) {
		step(q, "routing", "unknown", pname(q, "VirtualService", vs->ns, vs->name), route->loc, "route to %s: %s",
		     host, why);
		*out = decide(q, false, "unreachable", NULL, route->loc);
		out->unknown = true;
		return true;
	}
	t.port = route->dest_ports[0];
	step(q, "routing", "pass", pname(q, "VirtualService", vs->ns, vs->name), route->loc,
	     "gateway forwards to %s/%s%s", t.w->ns, t.w->name, "");
	source s = {false, gw, gw->name};
	tm_request sub = *q->req;
	sub.port = 0;
	const tm_request *saved = q->req;
	q->req = &sub;
	*out = hop(q, &s, &t, t.w, depth + 1);
	q->req = saved;
	return true;
}

/* The client's containers that run as UID 1337, the proxy's own (k8s.c facts runs_as_proxy_uid):
 * Istio's iptables rules let that UID's connections out around the sidecar. The step's words for
 * it, or NULL when none does; *all when every application container of the pod does; *container the
 * first that does. */
static const char *proxy_uid_bypass(q_t *q, const tm_pm_workload *w, bool *all, const char **container)
{
	const tm_node *n = tm_model_find(q->m, w->node_id);
	const tm_attr *a = n ? tm_node_attr_get(n, "runs_as_proxy_uid") : NULL;
	if (!a || a->type != TM_ATTR_LIST || !a->list[0])
		return NULL;
	const tm_attr *every = tm_node_attr_get(n, "proxy_uid_every_container");
	*all = every && every->type == TM_ATTR_BOOL && every->num;
	*container = a->list[0];
	return tm_arena_printf(q->a,
			       "container %s of %s/%s runs as uid 1337, the proxy's own: istio's iptables rules let "
			       "its connections out around the sidecar, in plaintext and without the workload's identity",
			       a->list[0], w->ns, w->name);
}

/* What annotation c lists, for a step ("" when nothing). */
static const char *capture_text(q_t *q, const tm_pm_capture *c)
{
	const char *s = tm_policy__capture_text(q->a, c);
	return s ? s : "";
}

/* The annotation c is of workload w: "traffic.sidecar.istio.io/excludeInboundPorts on shop/api". */
static const char *capture_name(q_t *q, const tm_pm_workload *w, const tm_pm_capture *c)
{
	return tm_arena_printf(q->a, "%s on %s/%s", tm_policy__capture_annotation((int)(c - w->capture)), w->ns,
			       w->name);
}

/*
 * The client's sidecar leaves its connection to w alone (k8s_capture.c's annotations, on the port the
 * client dials): the step's words for it, or NULL when the sidecar captures it. The destination's
 * address is not in the manifests: a range that may or may not cover it is read as capturing it, and
 * a step says that this is assumed.
 */
static const char *outbound_bypass(q_t *q, const tm_pm_workload *c, const tm_pm_workload *w, pod_port pp)
{
	const tm_pm_capture *by;
	tm_bypass b = tm_policy__outbound_bypass(c, pp.dial, &by);
	if (b == TM_BYPASS_NO)
		return NULL;
	int which = (int)(by - c->capture);
	const char *ann = tm_policy__capture_annotation(which);
	if (b == TM_BYPASS_MAYBE) {
		step(q, "mtls", "pass", capture_name(q, c, by), by->loc,
		     which == TM_CAP_OUT_INCLUDE_RANGES
			     ? "%s of %s/%s has its sidecar capture only %s, and the address of %s/%s is not in the "
			       "manifests: assumed among them, so the connection goes through the sidecar"
			     : "%s of %s/%s leaves %s around its sidecar, and the address of %s/%s is not in the "
			       "manifests: assumed outside them, so the connection goes through the sidecar",
		     ann, c->ns, c->name, capture_text(q, by), w->ns, w->name);
		return NULL;
	}
	const char *what = which == TM_CAP_OUT_EXCLUDE_PORTS
				   ? tm_arena_printf(q->a, "port %d is excluded from the sidecar of %s/%s by %s", pp.dial,
						     c->ns, c->name, ann)
			   : which == TM_CAP_OUT_EXCLUDE_RANGES
				   ? tm_arena_printf(q->a, "every address is excluded from the sidecar of %s/%s by %s (%s)",
						     c->ns, c->name, ann, capture_text(q, by))
				   : tm_arena_printf(q->a, "%s of %s/%s is empty, so its sidecar captures no outbound "
							   "connection", ann, c->ns, c->name);
	return tm_arena_printf(q->a, "%s: its connections there leave in plaintext, without the workload's identity",
			       what);
}

/* w's sidecar does not capture the port (tm_policy__inbound_bypass): the connection reaches the
 * application directly, and neither mTLS nor any Istio policy applies there. A client that sends
 * mTLS still does (Istio's auto mTLS does not know of the exclusion), which the step says. */
static result uncaptured(q_t *q, const tm_pm_workload *w, pod_port pp, const tm_pm_capture *by, bool client_mtls)
{
	const char *name = capture_name(q, w, by);
	const char *ann = tm_policy__capture_annotation((int)(by - w->capture));
	const char *how = by == &w->capture[TM_CAP_IN_EXCLUDE]
				  ? tm_arena_printf(q->a, "is excluded from the sidecar by %s", ann)
			  : by->n ? tm_arena_printf(q->a, "is not captured by the sidecar: %s names only %s", ann,
						    capture_text(q, by))
				  : tm_arena_printf(q->a, "is not captured by the sidecar: %s is empty", ann);
	step(q, "mtls", "allow", name, by->loc,
	     "%s of %s/%s %s: mtls and authorization policy do not apply there, the connection reaches the "
	     "application directly%s",
	     port_words(q, pp), w->ns, w->name, how,
	     client_mtls ? " (the client's sidecar still sends mtls, which the application must take itself, "
			   "unless a destinationrule disables tls for the port: istio's auto mtls does not know of "
			   "the exclusion)"
			 : "");
	return decide(q, true, pp.tcp ? "connected" : "200", name, by->loc);
}

/* The Istio layers at w, which has a sidecar: mTLS, request authentication, authorization, then a
 * gateway's route. The client sends mTLS when csidecar; cwhy says why not; bypass, when the client's
 * traffic goes around its own sidecar, says so in the step that accepts it as plaintext. */
static result mesh_layers(q_t *q, const source *src, const tm_pm_workload *w, pod_port pp,
			  const char *ip, const char *who, int csidecar, const char *cwhy, const char *bypass, int depth)
{
	result deny;
	bool gw = tm_policy__is_gateway_workload(q->pol, w);
	attrs at;
	memset(&at, 0, sizeof(at));
	at.tcp = pp.tcp;
	at.port = pp.port;
	at.ip = ip;
	at.host = pp.host;
	if (gw && src->internet) {
		step(q, "mtls", "pass", NULL, NOLOC, "%s/%s is a gateway: clients outside the mesh connect without mtls",
		     w->ns, w->name);
	} else {
		const char *by;
		tm_loc loc;
		int mode = mtls_mode(q, w, pp.port, &by, &loc);
		/* a DestinationRule for the destination's host with tls mode DISABLE: the client's sidecar
		 * sends plaintext to it (istio.c: client_tls_mode on the workloads the host names) */
		const tm_node *dn = csidecar ? tm_model_find(q->m, w->node_id) : NULL;
		const tm_attr *ctm = dn ? tm_node_attr_get(dn, "client_tls_mode") : NULL;
		for (size_t i = 0; ctm && ctm->type == TM_ATTR_LIST && ctm->list[i] && csidecar; i++)
			if (strcasecmp(ctm->list[i], "DISABLE") == 0) {
				csidecar = 0;
				cwhy = "a DestinationRule for the destination's host sets tls mode DISABLE: the client's sidecar "
				       "sends plaintext";
				step(q, "mtls", "pass", NULL, NOLOC, "%s", cwhy);
			}
		bool client_mtls = csidecar && mode != TM_MTLS_DISABLE;
		if (mode == TM_MTLS_STRICT && !client_mtls) {
			step(q, "mtls", "deny", by, loc, "%s requires mtls on %s (%s) and %s sends plaintext (%s)",
			     by ? by : "mesh default", port_words(q, pp), mode_name(mode), who,
			     src->internet ? "outside the mesh" : cwhy);
			return decide(q, false, "reset", by, loc);
		}
		/* a sidecar the files do not show (a namespace not scanned) is an assumption: said */
		const char *dwhy = NULL, *swhy = NULL;
		bool d_assumed = tm_policy__injection(q->pol, w) == TM_INJ_NS_UNSCANNED && sidecar(q, w, &dwhy);
		bool s_assumed = client_mtls && src->w && tm_policy__injection(q->pol, src->w) == TM_INJ_NS_UNSCANNED &&
				 sidecar(q, src->w, &swhy);
		const char *assumed = d_assumed && s_assumed && strcmp(w->ns, src->w->ns) != 0
					      ? tm_arena_printf(q->a, "; assumed: %s, and %s", dwhy, swhy)
				      : d_assumed ? tm_arena_printf(q->a, "; assumed: %s", dwhy)
				      : s_assumed ? tm_arena_printf(q->a, "; assumed: %s", swhy)
						  : "";
		step(q, "mtls", "allow", by, loc, "%s mode %s%s: %s%s%s%s%s", port_words(q, pp), mode_name(mode),
		     by ? "" : " (default)",
		     client_mtls ? "mutual tls, peer identity known" : "plaintext accepted, no peer identity",
		     bypass && !client_mtls ? " (" : "", bypass && !client_mtls ? bypass : "",
		     bypass && !client_mtls ? ")" : "", assumed ? assumed : "");
		if (client_mtls) {
			at.principal = tm_arena_printf(q->a, "cluster.local/ns/%s/sa/%s", src->w->ns, src->w->service_account);
			at.src_ns = src->w->ns;
		}
	}
	/* 3. JWT and 4. authorization */
	enforcer e = {EP_SIDECAR, w, NULL, NULL};
	if (!request_auth(q, &e, &at, &deny))
		return deny;
	if (!authorize(q, &e, &at, &deny))
		return deny;
	/* 5. a gateway passes the request on */
	if (gw && src->internet) {
		result r;
		if (forward(q, w, &r, depth))
			return r;
	}
	return decide(q, true, at.tcp ? "connected" : "200", NULL, NOLOC);
}

/* ---- Istio's ambient mode ----------------------------------------------- */

/* Policies attached by targetRefs to Service svc that nothing enforces on this call (why): a step each. */
static void unattached(q_t *q, const tm_pm_service *svc, const char *why)
{
	for (const struct tm_pm_chain *c = svc ? tm_policy__authzpols_in(q->pol, svc->ns) : NULL; c; c = c->next) {
		const tm_authzpol *p = &q->pol->authzpols[c->i];
		if (p->attached && tm_strs_any(&p->target_services, svc->name))
			step(q, "authorization", "pass", pname(q, "AuthorizationPolicy", p->ns, p->name), p->loc,
			     "policy %s/%s is attached to service %s by targetRefs, which only a waypoint enforces, and %s: "
			     "not enforced on this call",
			     p->ns, p->name, svc->name, why);
	}
}

/* A pod of waypoint u, as Istio deploys it (labelled gateway.networking.k8s.io/gateway-name: <name>,
 * running as the service account named after the Gateway): a stand-in, its pods are not in the files. */
static const tm_pm_workload *waypoint_pod(q_t *q, const tm_waypoint_use *u)
{
	tm_label *l = tm_arena_alloc(q->a, sizeof(*l));
	tm_pm_workload *sw = tm_arena_alloc(q->a, sizeof(*sw));
	if (!l || !sw) {
		q->oom = 1;
		return NULL;
	}
	*l = (tm_label){"gateway.networking.k8s.io/gateway-name", u->name};
	memset(sw, 0, sizeof(*sw));
	sw->ns = u->ns;
	sw->name = u->name;
	sw->kind = "assumed";
	sw->service_account = u->name;
	sw->node_id = tm_arena_printf(q->a, "gateway:gwapi:%s/%s", u->ns, u->name);
	sw->labels = (tm_labels){l, 1};
	return sw;
}

/* Does an ingress gateway send the call to dst through its waypoint (istio.io/ingress-use-waypoint:
 * "true" on the Service, else its namespace)? By default it goes straight to the pod. */
static bool ingress_waypoint(q_t *q, const target *dst, const tm_pm_workload *w)
{
	const char *v = dst->svc ? tm_labels_get(&dst->svc->labels, "istio.io/ingress-use-waypoint") : NULL;
	const tm_pm_namespace *n = v ? NULL : tm_policy__namespace(q->pol, dst->svc ? dst->svc->ns : w->ns);
	if (n)
		v = tm_labels_get(&n->labels, "istio.io/ingress-use-waypoint");
	return v && strcmp(v, "true") == 0;
}

/*
 * w is in ambient mode: ztunnel, not a sidecar, stands before it. A client in the mesh (its sidecar
 * or its ztunnel) reaches it over mutual TLS (HBONE) with its identity; PeerAuthentication's STRICT
 * refuses a client outside it (DISABLE is ignored: ztunnel always takes mTLS). A Service that uses a
 * waypoint (istio.io/use-waypoint) has a mesh client's calls go through it (an ingress gateway's
 * only with istio.io/ingress-use-waypoint): the waypoint enforces the
 * policies attached to the Service or to itself by targetRefs, HTTP attributes included, and then
 * connects to the pod with its own identity. The destination's ztunnel enforces the policies that
 * select the pod (or its namespace) on L4 attributes only, as Istio converts them: an ALLOW rule with
 * HTTP attributes is dropped (fail closed), a DENY rule is enforced without them; CUSTOM is not.
 */
static result ambient(q_t *q, const source *src, const target *dst, const tm_pm_workload *w, pod_port pp,
		      const char *who, int sside, const char *swhy, const char *dwhy)
{
	result deny;
	attrs at;
	memset(&at, 0, sizeof(at));
	at.tcp = pp.tcp;
	at.port = pp.port;
	at.ip = src->internet ? (q->req->source_ip ? q->req->source_ip : ROOT_PUBLIC_IP) : NULL;
	at.host = pp.host;
	const char *by;
	tm_loc loc;
	int mode = mtls_mode(q, w, pp.port, &by, &loc);
	bool client_mtls = sside != 0;
	if (mode == TM_MTLS_STRICT && !client_mtls) {
		step(q, "mtls", "deny", by, loc, "%s requires mtls on %s (%s) and %s sends plaintext (%s)",
		     by ? by : "mesh default", port_words(q, pp), mode_name(mode), who,
		     src->internet ? "outside the mesh" : swhy);
		return decide(q, false, "reset", by, loc);
	}
	step(q, "mtls", "allow", by, loc, "%s/%s is in ambient mode (%s): ztunnel stands before it; %s mode %s%s%s: %s",
	     w->ns, w->name, dwhy, port_words(q, pp), mode_name(mode), by ? "" : " (default)",
	     mode == TM_MTLS_DISABLE ? ", which ztunnel ignores" : "",
	     client_mtls ? "mutual tls (hbone), peer identity known" : "plaintext accepted, no peer identity");
	if (client_mtls) {
		at.principal = tm_arena_printf(q->a, "cluster.local/ns/%s/sa/%s", src->w->ns, src->w->service_account);
		at.src_ns = src->w->ns;
	}
	tm_waypoint_use u;
	const char *peer = NULL;
	if (!tm_policy__uses_waypoint(q->pol, dst->svc, w, &u)) {
		const char *optout = dst->svc ? tm_labels_get(&dst->svc->labels, "istio.io/use-waypoint") : NULL;
		unattached(q, dst->svc, optout && strcmp(optout, "none") == 0
					? "it opts out of waypoints (istio.io/use-waypoint: none)"
					: "it uses no waypoint (no istio.io/use-waypoint on it or its namespace)");
	} else if (client_mtls && src->w && tm_policy__is_gateway_workload(q->pol, src->w) && !ingress_waypoint(q, dst, w)) {
		step(q, "routing", "pass", NULL, u.loc,
		     "%s is an ingress gateway: it sends to %s/%s directly, not through waypoint %s/%s, unless the service "
		     "or its namespace is labelled istio.io/ingress-use-waypoint: true; the waypoint's policies do not apply",
		     who, w->ns, w->name, u.ns, u.name);
	} else if (!client_mtls) {
		step(q, "routing", "pass", NULL, u.loc,
		     "%s is outside the mesh: its connection reaches %s/%s directly, not through waypoint %s/%s (only a "
		     "client's ztunnel or sidecar sends traffic there), so the waypoint's policies do not apply",
		     who, w->ns, w->name, u.ns, u.name);
	} else {
		const tm_pm_workload *wp = waypoint_pod(q, &u);
		if (!wp)
			return decide(q, false, "unknown", NULL, NOLOC);
		step(q, "routing", "pass", u.gw ? pname(q, "Gateway", u.ns, u.name) : NULL, u.loc,
		     "%s %s/%s goes through waypoint %s/%s (istio.io/use-waypoint on its %s)%s",
		     dst->svc ? "the call to service" : "the connection to", dst->svc ? dst->svc->ns : w->ns,
		     dst->svc ? dst->svc->name : w->name, u.ns, u.name, u.by,
		     u.gw ? "" : "; assumed deployed: its Gateway is not in the scanned files (without it, traffic goes "
				 "straight to the pod and the policies attached to the service are not enforced)");
		enforcer e = {EP_WAYPOINT, wp, dst->svc, NULL};
		attrs wat = at;
		if (pp.dial)
			wat.port = pp.dial; /* the waypoint serves the Service's port, not the pod's */
		if (!request_auth(q, &e, &wat, &deny) || !authorize(q, &e, &wat, &deny))
			return deny;
		/* the waypoint does not pass the client's identity on: the pod's ztunnel sees its own */
		at.principal = tm_arena_printf(q->a, "cluster.local/ns/%s/sa/%s", u.ns, wp->service_account);
		at.src_ns = u.ns;
		step(q, "mtls", "pass", NULL, NOLOC,
		     "the waypoint connects to %s/%s with its own identity, %s (its service account is named after the "
		     "Gateway), which ztunnel's policies there see instead of the client's",
		     w->ns, w->name, at.principal);
		peer = tm_arena_printf(q->a, " (the peer ztunnel sees is waypoint %s/%s, %s, not the client)", u.ns, u.name,
				       at.principal);
	}
	enforcer z = {EP_ZTUNNEL, w, NULL, peer};
	attrs l4 = at;
	l4.tcp = l4.l4 = true;
	if (!authorize(q, &z, &l4, &deny))
		return deny;
	return decide(q, true, pp.tcp ? "connected" : "200", NULL, NOLOC);
}

/* ---- Linkerd ------------------------------------------------------------ */

/* The first Server that selects w on pp's port (any port: pp NULL). */
static const tm_ld_server *ld_server(q_t *q, const tm_pm_workload *w, const pod_port *pp)
{
	return tm_policy__ld_server_at(q->pol, w, pp ? pp->port : 0, pp ? pp->name : NULL);
}

/* Does w run Linkerd's proxy? 1 yes, 2 taken so (a Server selects it, and its injection is not in
 * the scanned files: Servers are written for meshed pods), 0 no, -1 unknown (nothing scanned says,
 * its namespace's manifest not among the files); *why says why. */
static int ld_proxy(q_t *q, const tm_pm_workload *w, const char **why)
{
	tm_ld_injection how = tm_policy__ld_injection(q->pol, w);
	switch (how) {
	case TM_LDI_HOST_NETWORK:
		*why = "the pod runs on the host's network, where linkerd never injects its proxy";
		return 0;
	case TM_LDI_OPT_OUT:
		*why = "the pod opts out of linkerd's proxy (linkerd.io/inject: disabled)";
		return 0;
	case TM_LDI_OPT_IN:
		*why = "the pod asks for linkerd's proxy (linkerd.io/inject)";
		return 1;
	case TM_LDI_NS_INJECTS:
	case TM_LDI_NS_DISABLES:
		*why = tm_arena_printf(q->a, "namespace %s %s linkerd's proxy", w->ns,
				       how == TM_LDI_NS_INJECTS ? "injects" : "disables");
		return how == TM_LDI_NS_INJECTS;
	case TM_LDI_NS_SILENT:
	case TM_LDI_NS_UNSCANNED:
		break;
	}
	const tm_ld_server *s = ld_server(q, w, NULL);
	if (s) {
		*why = tm_arena_printf(q->a, "Server %s/%s selects it (its injection is not in the scanned files: "
					     "taken as meshed)", s->ns, s->name);
		return 2;
	}
	if (how == TM_LDI_NS_SILENT) {
		*why = "no linkerd.io/inject annotation on the pod or its namespace";
		return 0;
	}
	*why = tm_arena_printf(q->a, "namespace %s was not scanned: whether it injects linkerd's proxy is unknown", w->ns);
	return -1;
}

/* Does every identity set of z admit meshed client c (its service account's identity)? */
static bool ld_identity_ok(const tm_policy *pol, const tm_ld_authz *z, const tm_pm_workload *c)
{
	for (size_t i = 0; i < z->nidsets; i++)
		if (!tm_policy__ld_id_in(pol, z->idsets[i], c->ns, c->service_account))
			return false;
	return z->nidsets > 0;
}

/* Does every network set of z hold the client's address? 1 yes, 0 no, -1 unknown. ip: an address
 * from outside, NULL for a pod (its address is not in the files: what each set says of pods, with
 * the range taken to hold one in *assumed). An address from outside that no set holds may still
 * arrive as a node's, through kube-proxy's SNAT (externalTrafficPolicy Cluster), where a set holds
 * pods: unknown. */
static int ld_network_ok(const tm_policy *pol, const tm_ld_authz *z, const char *ip, const char **assumed)
{
	*assumed = NULL;
	int all = 1;
	for (size_t k = 0; k < z->nnetsets; k++) {
		const tm_ld_netset *n = &pol->ld_netsets[z->netsets[k]];
		int ok = 0;
		if (ip) {
			for (size_t i = 0; i < n->networks.n && ok <= 0; i++) {
				bool in = tm_policy__in_cidr(n->networks.items[i], ip);
				for (size_t x = 0; in && x < n->except.n; x++)
					in = !tm_policy__in_cidr(n->except.items[x], ip);
				ok = in;
			}
			if (!ok && n->pods == 1)
				ok = -1;
		} else {
			ok = n->pods;
			if (ok > 0 && n->assumed && !*assumed)
				*assumed = n->assumed;
		}
		if (!ok)
			return 0; /* one set refuses it: whatever the others say */
		if (ok < 0)
			all = -1;
	}
	return all;
}

/* A default inbound policy (or a Server's accessPolicy), whose: where it is set, applied to a
 * connection no authorization decided. */
static result ld_apply(q_t *q, int policy, const char *whose, const char *by, tm_loc loc, bool outside, int cmesh,
		       pod_port pp, const char *who)
{
	const char *name = tm_policy__ld_policy_name(policy);
	switch (policy) {
	case TM_LD_ALL_UNAUTH:
	case TM_LD_AUDIT:
		step(q, "authorization", "allow", by, loc, "%s is %s: admits %s%s", whose, name, who,
		     policy == TM_LD_AUDIT ? " (what it would deny is only logged)" : "");
		return decide(q, true, pp.tcp ? "connected" : "200", by, loc);
	case TM_LD_CLUSTER_UNAUTH:
		if (!outside) {
			step(q, "authorization", "allow", by, loc, "%s is %s: admits %s, a pod of the cluster", whose, name, who);
			return decide(q, true, pp.tcp ? "connected" : "200", by, loc);
		}
		step(q, "authorization", "unknown", by, loc,
		     "%s is %s: it admits the cluster's networks only, and whether %s arrives from one depends on the "
		     "load balancer (kube-proxy's SNAT on externalTrafficPolicy Cluster does; Local keeps the client's "
		     "address)", whose, name, who);
		{
			result r = decide(q, false, "unknown", by, loc);
			r.unknown = true;
			return r;
		}
	case TM_LD_ALL_AUTH:
	case TM_LD_CLUSTER_AUTH:
		if (cmesh > 0) {
			step(q, "authorization", "allow", by, loc, "%s is %s: admits %s, a meshed client with an identity", whose,
			     name, who);
			return decide(q, true, pp.tcp ? "connected" : "200", by, loc);
		}
		if (cmesh < 0) {
			step(q, "authorization", "unknown", by, loc, "%s is %s: admits meshed clients only, and whether %s "
			     "is one is not in the scanned files", whose, name, who);
			result r = decide(q, false, "unknown", by, loc);
			r.unknown = true;
			return r;
		}
		step(q, "authorization", "deny", by, loc, "%s is %s: admits meshed clients only, and %s has no linkerd "
		     "identity", whose, name, who);
		return decide(q, false, pp.tcp ? "rejected" : "403", by, loc);
	default:
		step(q, "authorization", "deny", by, loc, "%s is %s: refuses %s", whose, name, who);
		return decide(q, false, pp.tcp ? "rejected" : "403", by, loc);
	}
}

/* ---- Linkerd routes: which of a Server's routes takes the request ----------------------------- */

/* Does a route's path condition take path (its query string cut off)? */
static bool ld_path_takes(q_t *q, const tm_ld_match *m, const char *path)
{
	if (!m->path)
		return true;
	if (m->path_type == TM_LDP_EXACT)
		return strcmp(m->path, path) == 0;
	if (m->path_type == TM_LDP_REGEX)
		return l7_regex(q, m->path, path) == 1;
	size_t n = strlen(m->path);
	while (n > 1 && m->path[n - 1] == '/')
		n--; /* Gateway API's prefixes take whole segments, a trailing slash aside */
	if (n == 1 && m->path[0] == '/')
		return true;
	return strncmp(path, m->path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The value of query parameter name in the request's path, or NULL. */
static const char *ld_query(q_t *q, const char *name)
{
	const char *qs = q->req->path ? strchr(q->req->path, '?') : NULL;
	size_t nl = strlen(name);
	for (const char *p = qs; p && *p; p = strchr(p, '&')) {
		p++;
		if (strncmp(p, name, nl) == 0 && p[nl] == '=')
			return tm_arena_printf(q->a, "%.*s", (int)strcspn(p + nl + 1, "&#"), p + nl + 1);
	}
	return NULL;
}

static bool ld_kv_takes(q_t *q, const tm_ld_kv *kv, const char *have)
{
	return have && (kv->regex ? l7_regex(q, kv->value, have) == 1 : strcmp(kv->value, have) == 0);
}

/* Does match m take the request? */
static bool ld_match_takes(q_t *q, const tm_ld_match *m, const char *path)
{
	if (!ld_path_takes(q, m, path))
		return false;
	if (m->method && strcmp(m->method, q->req->method ? q->req->method : "GET") != 0)
		return false;
	for (size_t i = 0; i < m->nheaders; i++)
		if (!ld_kv_takes(q, &m->headers[i], header(q, m->headers[i].name)))
			return false;
	for (size_t i = 0; i < m->nquery; i++)
		if (!ld_kv_takes(q, &m->query[i], ld_query(q, m->query[i].name)))
			return false;
	return true;
}

/* Gateway API's precedence among matches that take a request: an exact path, then the longest
 * prefix (a regular expression after both), then a method, then more headers, then more query
 * parameters; a tie goes to the first route (table order). */
static bool ld_match_before(const tm_ld_match *a, const tm_ld_match *b)
{
	int ra = !a->path ? 2 : a->path_type == TM_LDP_EXACT ? 3 : a->path_type == TM_LDP_PREFIX ? 2 : 1;
	int rb = !b->path ? 2 : b->path_type == TM_LDP_EXACT ? 3 : b->path_type == TM_LDP_PREFIX ? 2 : 1;
	if (ra != rb)
		return ra > rb;
	size_t la = a->path ? strlen(a->path) : 1, lb = b->path ? strlen(b->path) : 1;
	if (ra == 2 && la != lb)
		return la > lb;
	if (!a->method != !b->method)
		return a->method != NULL;
	if (a->nheaders != b->nheaders)
		return a->nheaders > b->nheaders;
	return a->nquery > b->nquery;
}

/* The routes of Server s (sname) and the request: false with *out set when the Server has routes and
 * none takes it (Linkerd answers 404); else true with *rt the route that takes it (NULL: the Server
 * has none, or the request is not known and any of them may take it: *any_route). Routes carry HTTP
 * requests: a plain TCP connection meets none. */
static bool ld_route(q_t *q, const tm_ld_server *s, const char *sname, pod_port pp, const tm_ld_route **rt,
		     bool *any_route, result *out)
{
	*rt = NULL;
	*any_route = false;
	const struct tm_pm_chain *c = tm_policy__ld_routes_of(q->pol, s->ns, s->name);
	if (!c || pp.tcp)
		return true;
	if (q->req->any) {
		*any_route = true;
		q->any_used = true;
		step(q, "routing", "pass", sname, s->loc, "%s has routes; some request takes one of them", sname);
		return true;
	}
	const char *path = q->req->path ? q->req->path : "/";
	path = tm_arena_printf(q->a, "%.*s", (int)strcspn(path, "?#"), path);
	const tm_ld_match *best = NULL;
	tm_strbuf names = TM_STRBUF_INIT;
	size_t nroutes = 0;
	for (; c; c = c->next) {
		const tm_ld_route *r = &q->pol->ld_routes[c->i];
		if (nroutes++ < 4)
			tm_strbuf_printf(&names, "%s%s %s", names.len ? ", " : "", r->kind, r->name);
		for (size_t i = 0; i < r->nmatches; i++)
			if (ld_match_takes(q, &r->matches[i], path) && (!best || ld_match_before(&r->matches[i], best))) {
				best = &r->matches[i];
				*rt = r;
			}
	}
	const char *listed = names.oom ? "" : tm_arena_printf(q->a, "%s%s", names.data ? names.data : "",
							       nroutes > 4 ? ", ..." : "");
	tm_strbuf_dispose(&names);
	if (!*rt) {
		step(q, "routing", "deny", sname, s->loc, "%s has routes (%s) and none takes %s: linkerd answers 404", sname,
		     listed, req_text(q));
		*out = decide(q, false, "404", sname, s->loc);
		return false;
	}
	const char *rname = pname(q, (*rt)->kind, (*rt)->ns, (*rt)->name);
	step(q, "routing", "pass", rname, (*rt)->loc, "%s takes %s on %s", rname, req_text(q), sname);
	return true;
}

/* Does authorization z, of a route, authorize the request route rt takes (any_route: some route of
 * its Server)? An authorization of a route the files do not hold is read as its namespace's. */
static bool ld_route_authz(const tm_ld_authz *z, const tm_ld_route *rt, bool any_route)
{
	if (!z->route || z->whole_ns || any_route)
		return true;
	return rt && z->route_gateway == rt->gateway && strcmp(z->route, rt->name) == 0;
}

/* Does authorization z apply to Server s? */
static bool ld_targets(const tm_ld_authz *z, const tm_ld_server *s)
{
	if (z->whole_ns)
		return true;
	if (z->server)
		return strcmp(z->server, s->name) == 0;
	return tm_selector_matches(&z->server_sel, &s->labels);
}

/* The authorizations of Server s that admit the client: the first that does into *out (true); else
 * *unknown when one may (the client's mesh identity or its address is not in the files). A client
 * whose meshing is unknown but whose service account is known has that identity if meshed, none if
 * not: an authorization requiring identities that do not hold it cannot admit it either way
 * (*no_identity). */
static bool ld_authorized(q_t *q, const tm_ld_server *s, const source *src, int cmesh, const char *ip, bool outside,
			  const char *who, pod_port pp, const tm_ld_route *rt, bool any_route, result *out, bool *unknown,
			  bool *no_identity)
{
	const char *sname = pname(q, "Server", s->ns, s->name);
	/* the authorizations naming it, then its namespace's others (of every Server, or by selector) */
	for (int pass = 0; pass < 2; pass++)
		for (const struct tm_pm_chain *c = pass ? tm_policy__ld_authzs_in(q->pol, s->ns)
							: tm_policy__ld_authzs_of(q->pol, s->ns, s->name);
		     c; c = c->next) {
			const tm_ld_authz *z = &q->pol->ld_authzs[c->i];
			if ((pass && !ld_targets(z, s)) || !ld_route_authz(z, rt, any_route) || (z->route && pp.tcp))
				continue; /* another route's, or a route's for a connection that carries no request */
			if (z->meshed && cmesh < 0) {
				if (src->internet || !src->w || ld_identity_ok(q->pol, z, src->w))
					*unknown = true; /* whether it is meshed, or as whom, decides */
				else
					*no_identity = true;
				continue;
			}
			if (z->meshed && (!cmesh || !ld_identity_ok(q->pol, z, src->w)))
				continue;
			const char *assumed;
			int net = ld_network_ok(q->pol, z, outside ? ip : NULL, &assumed);
			*unknown |= net < 0;
			if (net <= 0)
				continue;
			const char *by = pname(q, z->kind, z->ns, z->name);
			const char *scope = !z->route ? ""
					    : z->whole_ns
						? tm_arena_printf(q->a, " (it targets route %s, which is not in the scanned files: "
									"read as authorizing every Server of namespace %s, "
									"for every request)", z->route, z->ns)
						: tm_arena_printf(q->a, " for the requests route %s takes", z->route);
			step(q, "authorization", "allow", by, z->loc, "%s authorizes %s on %s%s%s%s%s", by, who, sname, scope,
			     assumed ? " (pod addresses assumed in " : "", assumed ? assumed : "", assumed ? ")" : "");
			*out = decide(q, true, pp.tcp ? "connected" : "200", by, z->loc);
			return true;
		}
	return false;
}

/* The Linkerd layer at w: false when w's proxy does not handle the port (no proxy, or a port left
 * around it), so the layers that follow decide; true with *out when it decides. A refusal at a pod
 * taken as meshed only because a Server selects it is unknown: without the proxy nothing refuses. */
static bool linkerd(q_t *q, const source *src, const tm_pm_workload *w, pod_port pp, const char *ip, const char *who,
		    result *out)
{
	const char *why, *cwhy = "from outside the cluster";
	int dmesh = ld_proxy(q, w, &why);
	if (dmesh <= 0) {
		step(q, "mtls", "pass", NULL, NOLOC, "no linkerd proxy at %s/%s (%s): linkerd policy is not enforced there",
		     w->ns, w->name, why);
		return false;
	}
	if (tm_policy__ld_skipped(w, pp.port)) {
		step(q, "mtls", "pass", NULL, w->nld_skip ? w->ld_skip_loc : NOLOC,
		     "%s of %s/%s is left around its linkerd proxy (%s): no mtls, no linkerd policy", port_words(q, pp), w->ns,
		     w->name, w->nld_skip ? "config.linkerd.io/skip-inbound-ports" : "linkerd's default ignored inbound ports");
		return false;
	}
	int cmesh = src->internet ? 0 : ld_proxy(q, src->w, &cwhy);
	/* through a controller, its pods connect: in the cluster, meshed or not as the files do not say */
	bool outside = src->internet && !q->via_controller;
	if (!outside && src->internet) {
		cmesh = -1;
		who = tm_arena_printf(q->a, "the controller's pods (forwarding for %s)", who);
		step(q, "mtls", "unknown", NULL, NOLOC, "linkerd proxy at %s/%s (%s); the request arrives from the pods of the "
		     "controller behind the route, which were not scanned: whether they run linkerd's proxy, and as "
		     "which identity, is unknown", w->ns, w->name, why);
	} else if (cmesh > 0) {
		step(q, "mtls", "allow", NULL, NOLOC, "linkerd proxies at both ends (%s): mutual tls, identity %s.%s", why,
		     src->w->service_account, src->w->ns);
	} else {
		step(q, "mtls", cmesh ? "unknown" : "allow", NULL, NOLOC, "linkerd proxy at %s/%s (%s); %s %s (%s)", w->ns,
		     w->name, why, who, cmesh ? "may or may not have one" : "connects without one: no identity", cwhy);
	}
	const tm_ld_server *s = ld_server(q, w, &pp);
	if (!s) {
		/* no Server: the default inbound policy, the pod's, its namespace's, or the control plane's */
		const tm_pm_namespace *ns = tm_policy__namespace(q->pol, w->ns);
		if (w->ld_policy) {
			const char *by = tm_arena_printf(q->a, "pod %s/%s's annotation", w->ns, w->name);
			*out = ld_apply(q, w->ld_policy, tm_arena_printf(q->a, "the default inbound policy (%s)", by), by,
					w->ld_policy_loc, outside, cmesh, pp, who);
		} else if (ns && ns->ld_policy) {
			const char *by = tm_arena_printf(q->a, "namespace %s's annotation", w->ns);
			*out = ld_apply(q, ns->ld_policy, tm_arena_printf(q->a, "the default inbound policy (%s)", by), by,
					ns->ld_policy_loc, outside, cmesh, pp, who);
		} else {
			*out = ld_apply(q, TM_LD_ALL_UNAUTH,
					tm_arena_printf(q->a, "no Server selects %s and no default-inbound-policy "
							      "annotation is scanned, so the control plane's default (assumed: "
							      "installed as it comes)", port_words(q, pp)),
					NULL, NOLOC, outside, cmesh, pp, who);
		}
	} else {
		const char *sname = pname(q, "Server", s->ns, s->name);
		bool unknown = false, no_identity = false, any_route;
		const tm_ld_route *rt;
		if (!ld_route(q, s, sname, pp, &rt, &any_route, out))
			goto refused;
		if (ld_authorized(q, s, src, cmesh, ip, outside, who, pp, rt, any_route, out, &unknown, &no_identity))
			return true;
		if (unknown) {
			step(q, "authorization", "unknown", sname, s->loc,
			     "an authorization of %s may admit %s: %s", sname, who,
			     cmesh < 0 ? "it names mesh identities, and the client's is not in the scanned files"
				       : "it admits a network narrower than a /16, and whether that holds the pod's "
					 "address is not in the files");
			*out = decide(q, false, "unknown", sname, s->loc);
			out->unknown = true;
			return true;
		}
		step(q, "authorization", "pass", sname, s->loc, "%s selects %s; no authorization of it admits %s%s",
		     sname, port_words(q, pp), who,
		     no_identity ? tm_arena_printf(q->a, " (meshed or not, %s/%s is not among the identities %s admits)",
						   src->w->ns, src->w->service_account, sname)
				 : "");
		*out = ld_apply(q, s->access, tm_arena_printf(q->a, "%s's accessPolicy (deny unless written)", sname),
				sname, s->loc, outside, cmesh, pp, who);
	}
refused:
	if (!out->allowed && !out->unknown && dmesh == 2) {
		step(q, "mtls", "unknown", NULL, NOLOC, "the refusal holds only if %s/%s runs linkerd's proxy, which the "
		     "scanned files do not show", w->ns, w->name);
		out->unknown = true;
		out->outcome = "unknown";
	}
	return true;
}

/* The compose project of a namespace "compose:<project>[<variant>]", its length without the
 * variant. */
static size_t project_len(const char *ns)
{
	return strcspn(ns, "[");
}

/* Two compose services reach each other only over a network both join (a network of their project,
 * an external one, one named alike), on the host's network, or through a port the destination
 * publishes on the host; and never when they are two variants of one project (alternative files for
 * the same deployment, which do not run side by side). False with *deny set when none of these
 * holds; services the files do not say enough of (no network facts: Kubernetes workloads, a shared
 * namespace) are not judged. */
static bool compose_networks(q_t *q, const tm_pm_workload *s, const tm_pm_workload *w, result *deny)
{
	if (!s->kind || !w->kind || strcmp(s->kind, "compose-service") != 0 || strcmp(w->kind, "compose-service") != 0)
		return true;
	bool same = strcmp(s->ns, w->ns) == 0;
	size_t pl = project_len(s->ns);
	const tm_node *sn = tm_model_find(q->m, s->node_id), *wn = tm_model_find(q->m, w->node_id);
	tm_loc at = wn && tm_node_evidence_count(wn) ? tm_node_evidence(wn, 0) : NOLOC;
	if (!same && pl == project_len(w->ns) && strncmp(s->ns, w->ns, pl) == 0) {
		step(q, "network", "deny", NULL, at,
		     "%s and %s are two variants of one compose project (alternative files for the same deployment): "
		     "their services do not run side by side", s->ns, w->ns);
		*deny = decide(q, false, "unreachable", NULL, at);
		return false;
	}
	const tm_attr *sa = sn ? tm_node_attr_get(sn, "network_ids") : NULL;
	const tm_attr *wa = wn ? tm_node_attr_get(wn, "network_ids") : NULL;
	if (!sa || !wa || sa->type != TM_ATTR_LIST || wa->type != TM_ATTR_LIST)
		return true;
	for (size_t i = 0; sa->list[i]; i++)
		for (size_t k = 0; wa->list[k]; k++)
			if (strcmp(sa->list[i], "host") == 0 || strcmp(wa->list[k], "host") == 0 ||
			    strcmp(sa->list[i], wa->list[k]) == 0) {
				if (same)
					step(q, "network", "pass", NULL, NOLOC, "%s and %s both join network %s", s->name,
					     w->name, strcmp(sa->list[i], "host") == 0 ? sa->list[i] : wa->list[k]);
				return true;
			}
	const char *where = same ? tm_arena_printf(q->a, "are in project %s and join no network in common", s->ns)
				 : "are in different compose projects and join no network in common";
	const tm_attr *pub = tm_node_attr_get(wn, "published_ports");
	if (pub && pub->type == TM_ATTR_LIST && pub->list[0]) {
		step(q, "network", "pass", NULL, NOLOC, "%s/%s and %s/%s %s: through the port the host publishes (%s)",
		     s->ns, s->name, w->ns, w->name, where, pub->list[0]);
		return true;
	}
	step(q, "network", "deny", NULL, at, "%s/%s and %s/%s %s (%s; %s), and %s publishes no port on the host", s->ns,
	     s->name, w->ns, w->name, where, sa->list[0], wa->list[0], w->name);
	*deny = decide(q, false, "unreachable", NULL, at);
	return false;
}

/* Does an access policy of a mesh this version does not evaluate govern calls to w (by its own
 * name, a Service of its namespace selecting it, its service account, or every workload)? */
static bool unread_governs(const tm_policy *pol, const tm_pm_unread *u, const tm_pm_workload *w)
{
	if (!u->mesh_wide && (!u->ns || strcmp(u->ns, w->ns) != 0))
		return false;
	if (!u->dest)
		return true;
	if (u->dest_sa)
		return strcmp(u->dest, w->service_account) == 0;
	if (strcmp(u->dest, w->name) == 0)
		return true;
	for (const struct tm_pm_chain *c = tm_policy__services_named(pol, u->dest); c; c = c->next)
		if (strcmp(pol->services[c->i].ns, w->ns) == 0 && tm_policy__backend(pol, &pol->services[c->i]) == w)
			return true;
	return false;
}

/* A call to w that such a policy may decide: unknown, naming it (false: none governs w). */
static bool unread_policy(q_t *q, const tm_pm_workload *w, result *out)
{
	for (size_t i = 0; i < q->pol->nunread; i++) {
		const tm_pm_unread *u = &q->pol->unread[i];
		if (!unread_governs(q->pol, u, w))
			continue;
		const char *name = pname(q, u->kind, u->ns, u->name);
		step(q, "authorization", "unknown", name, u->loc,
		     "%s governs calls to %s/%s; this version does not evaluate it (nor its mesh's default), so "
		     "whether it admits this caller is not known",
		     name, w->ns, w->name);
		*out = decide(q, false, "unknown", name, u->loc);
		out->unknown = true;
		return true;
	}
	return false;
}

static result hop(q_t *q, const source *src, const target *dst, const tm_pm_workload *w, int depth)
{
	result deny;
	pod_port pp = port_of(q, dst, w);
	const char *ip = src->internet ? (q->req->source_ip ? q->req->source_ip : ROOT_PUBLIC_IP) : NULL;
	const char *who = src->internet ? tm_arena_printf(q->a, "the internet (%s)", ip)
					: tm_arena_printf(q->a, "%s/%s", src->w->ns, src->w->name);
	if (depth > 4) {
		step(q, "routing", "unknown", NULL, NOLOC, "routing loop: more than 4 gateway hops");
		result r = decide(q, false, "unreachable", NULL, NOLOC);
		r.unknown = true;
		return r;
	}
	/* 1. network: compose projects apart, then NetworkPolicy */
	if (!src->internet && !compose_networks(q, src->w, w, &deny))
		return deny;
	if (!src->internet && !netpol(q, src->w, false, w, NULL, pp, tm_arena_printf(q->a, "%s/%s", w->ns, w->name), &deny))
		return deny;
	if (!netpol(q, w, true, src->w, ip, pp, who, &deny))
		return deny;
	/* another mesh's access policy the evaluator does not read: unknown, not allowed by default */
	if (q->pol->nunread && unread_policy(q, w, &deny))
		return deny;
	/* 2. Linkerd's proxy, when the destination's handles the port */
	result ld;
	if (q->pol->linkerd && linkerd(q, src, w, pp, ip, who, &ld))
		return ld;
	/* 3. Istio: mTLS and what follows it */
	const char *dwhy, *swhy = "";
	int dside = sidecar(q, w, &dwhy);
	int sside = src->internet ? 0 : sidecar(q, src->w, &swhy);
	if (dside != 2)
		unattached(q, dst->svc, "no waypoint stands before it");
	if (!dside) {
		if (q->pol->istio) /* with no Istio in the inputs at all, there is nothing to say */
			step(q, "mtls", "pass", NULL, NOLOC, "no sidecar at %s/%s (%s): istio policy is not enforced there",
			     w->ns, w->name, dwhy);
		return decide(q, true, pp.tcp ? "connected" : "200", NULL, NOLOC);
	}
	/* the client's sidecar may leave the connection alone: its capture annotations (the whole pod) or
	 * containers running as the proxy's UID */
	bool all = false;
	const char *container = NULL, *bypass = NULL;
	if (sside == 1 && !tm_policy__is_gateway_workload(q->pol, src->w)) {
		bypass = outbound_bypass(q, src->w, w, pp);
		all = bypass != NULL;
		if (!bypass)
			bypass = proxy_uid_bypass(q, src->w, &all, &container);
	}
	if (dside == 2) /* some containers around the sidecar: taken through it */
		return ambient(q, src, dst, w, pp, who, all ? 0 : sside, all ? bypass : swhy, dwhy);
	/* and the destination's may leave its port alone */
	const tm_pm_capture *in = tm_policy__is_gateway_workload(q->pol, w) ? NULL : tm_policy__inbound_bypass(w, pp.port);
	if (in)
		return uncaptured(q, w, pp, in, sside && !all);
	if (!bypass)
		return mesh_layers(q, src, w, pp, ip, who, sside, swhy, NULL, depth);
	if (all)
		return mesh_layers(q, src, w, pp, ip, who, 0, bypass, bypass, depth);
	/* some containers go through the sidecar and one around it: the pod reaches what either reaches */
	result through = mesh_layers(q, src, w, pp, ip, who, sside, swhy, NULL, depth);
	if (through.allowed)
		return through;
	step(q, "mtls", "pass", NULL, NOLOC,
	     "refused through the sidecar; asked again for container %s, whose connections go around it", container);
	result around = mesh_layers(q, src, w, pp, ip, who, 0, bypass, bypass, depth);
	return around.allowed ? around : through;
}

/* ---- public ------------------------------------------------------------ */

/* An allowed request names the policy that let it through: authorization, else network, else mTLS. */
static void credit(q_t *q, result *r)
{
	static const char *const layers[] = {"authorization", "network-policy", "mtls"};
	if (!r->allowed || r->policy)
		return;
	for (size_t l = 0; l < TM_ARRAY_LEN(layers); l++)
		for (size_t i = q->nsteps; i-- > 0;) {
			const tm_query_step *s = &q->steps[i];
			if (strcmp(s->layer, layers[l]) == 0 && strcmp(s->decision, "allow") == 0 && s->policy) {
				r->policy = s->policy;
				r->loc = s->loc;
				return;
			}
		}
}

static void finish(q_t *q, tm_verdict *out, result r)
{
	credit(q, &r);
	out->allowed = r.allowed;
	out->unknown = r.unknown;
	out->outcome = r.outcome;
	out->reason = r.reason;
	out->decided_by = r.policy;
	out->decided_at = r.loc;
	out->steps = q->steps ? tm_arena_alloc(q->a, q->nsteps * sizeof(tm_query_step)) : NULL;
	if (out->steps) {
		memcpy(out->steps, q->steps, q->nsteps * sizeof(tm_query_step));
		out->nsteps = q->nsteps;
	}
	tm_free(q->steps);
	q->steps = NULL;
}

/* A request from the internet through a Gateway API Gateway (ref "ns/name"): the request
 * authentication and authorization policies attached to the Gateway (targetRefs: their selector
 * names its pods' gateway.networking.k8s.io/gateway-name label) apply at its pods, which were not
 * scanned: a stand-in carries that label. false, with *deny, when they refuse the request; true
 * (and no step) when no such policy exists. */
static bool gwapi_checks(q_t *q, const char *ref, result *deny)
{
	const char *slash = strchr(ref, '/');
	if (!slash)
		return true;
	tm_label *l = tm_arena_alloc(q->a, sizeof(*l));
	tm_pm_workload *sw = tm_arena_alloc(q->a, sizeof(*sw));
	if (!l || !sw) {
		q->oom = 1;
		return true;
	}
	*l = (tm_label){"gateway.networking.k8s.io/gateway-name", slash + 1};
	memset(sw, 0, sizeof(*sw));
	sw->ns = tm_arena_strndup(q->a, ref, (size_t)(slash - ref));
	sw->name = tm_arena_printf(q->a, "gateway workload of %s", ref);
	sw->kind = "assumed";
	sw->node_id = tm_arena_printf(q->a, "gateway:gwapi:%s", ref);
	sw->service_account = "default";
	sw->labels = (tm_labels){l, 1};
	sw->inject = 1;
	if (!sw->ns || !sw->name || !sw->node_id) {
		q->oom = 1;
		return true;
	}
	bool attached = false;
	const tm_policy *pol = q->pol;
	for (size_t i = 0; i < pol->nauthzpols && !attached; i++)
		attached = pol->authzpols[i].sel.present &&
			   tm_policy__applies(pol, pol->authzpols[i].ns, &pol->authzpols[i].sel, sw);
	for (size_t i = 0; i < pol->nreqauths && !attached; i++)
		attached = pol->reqauths[i].sel.present &&
			   tm_policy__applies(pol, pol->reqauths[i].ns, &pol->reqauths[i].sel, sw);
	if (!attached)
		return true;
	step(q, "routing", "pass", NULL, NOLOC,
	     "policies are attached to gateway %s: checked at its pods (not scanned: assumed in %s with the label "
	     "gateway.networking.k8s.io/gateway-name: %s)",
	     ref, sw->ns, slash + 1);
	attrs at;
	memset(&at, 0, sizeof(at));
	at.tcp = q->req->tcp;
	at.port = q->req->port;
	at.ip = q->req->source_ip ? q->req->source_ip : ROOT_PUBLIC_IP;
	at.host = q->req->host						     ? q->req->host
		  : q->req->destination && strncmp(q->req->destination, "service:", 8) != 0 ? q->req->destination
											     : slash + 1;
	enforcer e = {EP_SIDECAR, sw, NULL, NULL};
	return request_auth(q, &e, &at, deny) && authorize(q, &e, &at, deny);
}

/* The internet reaches a workload only through something that exposes it. A gateway route whose
 * allow-list admits private source ranges only (private_sources_only) takes no internet client:
 * *fenced is then its edge, for the step that says so. */
/* Does a route's path pattern take path? A prefix (an Ingress's Prefix path, an nginx location,
 * Traefik's PathPrefix), "*" ending a prefix; a regular expression (nginx's `~`, a regex path) is
 * not decided here and takes every path: a query answers no on what a gateway surely refuses. */
static bool route_path_takes(const char *pat, const char *path)
{
	size_t n = strlen(pat);
	const char *star = strchr(pat, '*');
	/* a regular expression (`/.*`, `/api/(v1|v2)`, an inner `*`) is not evaluated: any path */
	if (!n || pat[0] != '/' || strpbrk(pat, "^$()[]|\\+?{~") || strstr(pat, ".*") || (star && star != pat + n - 1))
		return true;
	if (pat[n - 1] == '*')
		n--;
	return strncmp(path, pat, n) == 0 || (n > 1 && pat[n - 1] == '/' && strlen(path) == n - 1 &&
						strncmp(path, pat, n - 1) == 0); /* "/api/" takes "/api" (a redirect) */
}

/* Does a route's regular expression (an nginx `~`/`~*` location, an Ingress regex path: PCRE as
 * those gateways write them) take path? 1 yes, 0 no, -1 not decided: evaluated as a POSIX
 * extended expression, case aside (so it takes what `~*` takes), with PCRE's class escapes
 * (\d \w \s and their negations) written out; anything else PCRE has and POSIX lacks (a group's
 * options "(?", lazy quantifiers, other escapes, back references) is not decided, nor is a
 * pattern that does not compile. Unanchored, as those gateways search the path. */
static int route_pattern_takes(q_t *q, const char *pat, const char *path)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	bool bracket = false; /* in a bracket expression, where an escape means what POSIX does not say */
	for (const char *p = pat; *p && !sb.oom; p++) {
		if ((p[0] == '(' && p[1] == '?') || ((p[0] == '*' || p[0] == '+' || p[0] == '?' || p[0] == '}') && p[1] == '?') ||
		    (bracket && *p == '\\')) {
			tm_strbuf_dispose(&sb);
			return -1;
		}
		if (*p != '\\') {
			if (*p == '[' && !bracket) {
				bracket = true;
				tm_strbuf_putc(&sb, *p);
				if (p[1] == '^')
					tm_strbuf_putc(&sb, *++p);
				if (p[1] == ']') /* a ']' first is a member */
					tm_strbuf_putc(&sb, *++p);
				continue;
			}
			bracket = bracket && *p != ']';
			tm_strbuf_putc(&sb, *p);
			continue;
		}
		static const char *const cls[][2] = {{"d", "[0-9]"}, {"D", "[^0-9]"}, {"w", "[A-Za-z0-9_]"},
						     {"W", "[^A-Za-z0-9_]"}, {"s", "[[:space:]]"}, {"S", "[^[:space:]]"}};
		const char *with = NULL;
		for (size_t i = 0; i < TM_ARRAY_LEN(cls) && !with; i++)
			if (p[1] == cls[i][0][0])
				with = cls[i][1];
		if (with) {
			tm_strbuf_puts(&sb, with);
		} else if (p[1] == '/' || p[1] == '-' || p[1] == '_') {
			tm_strbuf_putc(&sb, p[1]); /* "\/": the character itself */
		} else if (p[1] && strchr(".^$|()[]{}*+?\\", p[1])) {
			tm_strbuf_putc(&sb, '\\');
			tm_strbuf_putc(&sb, p[1]);
		} else {
			tm_strbuf_dispose(&sb);
			return -1;
		}
		p++;
	}
	const char *ere = sb.oom || !sb.data ? NULL : tm_arena_strdup(q->a, sb.data);
	tm_strbuf_dispose(&sb);
	regex_t rx;
	if (!ere || regcomp(&rx, ere, REG_EXTENDED | REG_NOSUB | REG_ICASE) != 0)
		return -1;
	int m = regexec(&rx, path, 0, NULL, 0) == 0;
	regfree(&rx);
	return m;
}

/* Does a route's host take host? Exact (case aside), "*" any, "*.example.com" any one name under it. */
static bool route_host_takes(const char *pat, const char *host)
{
	if (!strcmp(pat, "*") || !*pat)
		return true;
	size_t pl = strlen(pat), hl = strlen(host);
	if (pat[0] == '*' && pat[1] == '.')
		return hl > pl - 1 && strcasecmp(host + hl - (pl - 1), pat + 1) == 0;
	return strcasecmp(pat, host) == 0;
}

/* Does the request (its --host and --path) take the routes edge e? An edge naming no hosts or
 * paths takes any. */
static bool route_takes(const q_t *q, const tm_edge *e)
{
	if (q->req->tcp)
		return true;
	const tm_attr *hosts = tm_edge_attr_get(e, "hosts"), *paths = tm_edge_attr_get(e, "paths");
	bool host_ok = true, path_ok = true;
	/* nginx hands a request for a name no server_name matches to the listen's default server, the
	 * first: its server names do not refuse a host */
	const char *via = tm_edge_attr_str(e, "via");
	if (via && strcmp(via, "nginx") == 0)
		hosts = NULL;
	if (q->req->host && hosts && hosts->type == TM_ATTR_LIST && hosts->list[0]) {
		host_ok = false;
		for (size_t k = 0; hosts->list[k] && !host_ok; k++)
			host_ok = route_host_takes(hosts->list[k], q->req->host);
	}
	const tm_attr *pats = tm_edge_attr_get(e, "path_patterns");
	bool any_paths = paths && paths->type == TM_ATTR_LIST && paths->list[0];
	bool any_pats = pats && pats->type == TM_ATTR_LIST && pats->list[0];
	if (q->req->path && (any_paths || any_pats)) {
		path_ok = false;
		for (size_t k = 0; any_paths && paths->list[k] && !path_ok; k++)
			path_ok = route_path_takes(paths->list[k], q->req->path);
		/* a regular expression takes the path when it matches, or when that is not decided */
		for (size_t k = 0; any_pats && pats->list[k] && !path_ok; k++)
			path_ok = route_pattern_takes((q_t *)(uintptr_t)q, pats->list[k], q->req->path) != 0;
	}
	return host_ok && path_ok;
}

static tm_authn route_authn(q_t *q, const tm_edge *e, const char **how, tm_loc *at);

/* No path asked, and route e would refuse the root (its paths are all below it): the route was
 * taken for some path it serves, not for GET /, and the verdict's request says "any request". */
static bool root_refused(const q_t *q, const tm_edge *e)
{
	if (q->req->path || q->req->method || q->req->tcp)
		return false;
	const tm_attr *paths = tm_edge_attr_get(e, "paths");
	if (!paths || paths->type != TM_ATTR_LIST || !paths->list[0])
		return false;
	for (size_t k = 0; paths->list[k]; k++)
		if (route_path_takes(paths->list[k], "/"))
			return false;
	return true;
}

/* Does a direct way in (a LoadBalancer's or NodePort's edge, its target_ports "80->http") lead to
 * w's pod port? An edge naming no target ports, or a name w does not define, is not decided here. */
static bool entry_takes_port(const tm_edge *e, const tm_pm_workload *w, int port)
{
	const tm_attr *tp = tm_edge_attr_get(e, "target_ports");
	if (!port || !tp || tp->type != TM_ATTR_LIST || !tp->list[0])
		return true;
	for (size_t k = 0; tp->list[k]; k++) {
		const char *arrow = strstr(tp->list[k], "->");
		const char *t = arrow ? arrow + 2 : tp->list[k];
		char *end;
		long n = strtol(t, &end, 10);
		if (end != t && !*end) {
			if (n == port)
				return true;
			continue;
		}
		const tm_pm_cport *cp = cport_by_name(w, t);
		if (!cp || cp->port == port)
			return true;
	}
	return false;
}

/* Is gateway g reached from the internet: a route from it, or through what routes to g (its
 * controller, a load balancer's target, a gateway in front)? A walk back over routes edges, of
 * GW_BACK_MAX nodes at most; one that stops there answers yes, as before the walk. */
#define GW_BACK_MAX 64
static bool gateway_from_internet(const tm_model *m, const tm_node *g)
{
	const tm_node *seen[GW_BACK_MAX];
	size_t n = 0, next = 0;
	seen[n++] = g;
	while (next < n) {
		size_t nin = 0;
		const tm_edge *const *in = tm_model__incoming(m, seen[next++], &nin);
		for (size_t i = 0; i < nin; i++) {
			if (tm_edge_kind_of(in[i]) != TM_EDGE_ROUTES)
				continue;
			const tm_node *from = tm_edge_from(in[i]);
			if (strcmp(tm_node_id(from), "entrypoint:internet") == 0)
				return true;
			bool had = false;
			for (size_t j = 0; j < n && !had; j++)
				had = seen[j] == from;
			if (had)
				continue;
			if (n == GW_BACK_MAX)
				return true;
			seen[n++] = from;
		}
	}
	return false;
}

/* ---- Kong's order among all the routes of one gateway ------------------------------------------ */

/* Field k (0 first) of a tab-separated entry, its length into *n; "" past the last. */
static const char *tab_field(const char *s, int k, size_t *n)
{
	for (; k > 0 && s; k--) {
		s = strchr(s, '\t');
		s = s ? s + 1 : NULL;
	}
	s = s ? s : "";
	*n = strcspn(s, "\t");
	return s;
}

/* A place written "path:line:col" (n bytes of s: a route's, a plugin's) as a tm_loc in q's arena;
 * NOLOC when it is none. */
static tm_loc at_of(q_t *q, const char *s, size_t n)
{
	const char *c1 = NULL, *c2 = NULL; /* the last two colons */
	for (size_t i = n; i-- > 0 && !c1;)
		if (s[i] == ':') {
			if (!c2)
				c2 = s + i;
			else
				c1 = s + i;
		}
	if (!c1 || c1 == s || c2 - c1 < 2 || (size_t)(c2 - s) + 1 >= n)
		return NOLOC;
	unsigned long line = 0, col = 0;
	for (const char *p = c1 + 1; p < c2; p++)
		if (*p < '0' || *p > '9' || (line = line * 10 + (unsigned long)(*p - '0')) > UINT32_MAX)
			return NOLOC;
	for (const char *p = c2 + 1; p < s + n; p++)
		if (*p < '0' || *p > '9' || (col = col * 10 + (unsigned long)(*p - '0')) > UINT32_MAX)
			return NOLOC;
	tm_loc l = {tm_arena_strndup(q->a, s, (size_t)(c1 - s)), (uint32_t)line, (uint32_t)col, NULL};
	return line && l.path ? l : NOLOC;
}

/* A query weighs a Kong gateway's routes against each other up to these (a larger table is read as
 * before, route by route to the asked backend: bounded work per question). */
#define KONG_ROUTES_MAX 1024
#define KONG_REGEX_MAX 64

/* Does Kong route path (mark "~": a regular expression, anchored at the path's start as Kong's
 * router matches them; else a prefix, compared byte by byte as Kong does: /mcp takes /mcpx too)
 * take the asked path? *rank: how Kong orders it (a regular expression before every prefix, a
 * longer prefix before a shorter). *regexes counts the expressions tried. */
static bool kong_takes(q_t *q, const char *r, size_t rl, size_t *rank, int *regexes)
{
	const char *path = q->req->path;
	if (rl && r[0] == '~') {
		/* its literal start (to the first character that means more than itself) must begin the
		 * path: most expressions are passed by without compiling one */
		size_t lit = 1 + (r[1] == '^');
		size_t from = lit;
		while (lit < rl && !strchr(".^$*+?()[]{}|\\", r[lit]))
			lit++;
		if (lit < rl && strchr("*?{", r[lit]) && lit > from)
			lit--; /* a quantifier makes the character before it optional */
		if (strncmp(path, r + from, lit - from) != 0)
			return false;
		if (++*regexes > KONG_REGEX_MAX)
			return false;
		char *pat = tm_arena_printf(q->a, "%s%.*s", r[1] == '^' ? "" : "^", (int)(rl - 1), r + 1);
		*rank = SIZE_MAX;
		return pat && route_pattern_takes(q, pat, path) == 1;
	}
	if (rl && r[0] == '=') { /* an exact path (not Kong's own, kept for a file that says one) */
		*rank = SIZE_MAX - 1;
		return strlen(path) == rl - 1 && strncmp(path, r + 1, rl - 1) == 0;
	}
	*rank = rl;
	return strncmp(path, r, rl) == 0;
}

/* Does a space-separated host list (n bytes) take the asked host? */
static bool kong_hosts_take(const char *h, size_t n, const char *host)
{
	char one[256];
	for (size_t i = 0; i < n;) {
		size_t k = i;
		while (k < n && h[k] != ' ')
			k++;
		if (k > i && k - i < sizeof(one)) {
			memcpy(one, h + i, k - i);
			one[k - i] = '\0';
			if (route_host_takes(one, host))
				return true;
		}
		i = k + 1;
	}
	return false;
}

/* The route of Kong gateway g that takes the request's path (and host), in the order Kong's router
 * (traditional, traditional_compatible) tries its routes: one naming the request's host before one
 * naming none, then a regular expression before a prefix, the longest prefix first. A route that
 * names hosts is taken only for an asked host it names: with no --host asked, a request for any
 * other host passes it by. Every routes edge of g (its routes' route_checks) and the routes its
 * request-termination plugin answers (terminated_routes) are weighed; more than KONG_ROUTES_MAX of
 * them (or KONG_REGEX_MAX expressions) and none is chosen (kr->weighed false). */
static void kong_pick(q_t *q, const tm_node *g, kong_route *kr)
{
	memset(kr, 0, sizeof(*kr));
	kr->gw = g;
	size_t nout = 0, seen = 0, best = 0;
	int regexes = 0, best_host = -1;
	const tm_edge *const *out = tm_model__outgoing(q->m, g, &nout);
	/* counted first: a table too large is passed over at the cost of its edges */
	size_t total = tm_node_fact_count(g);
	for (size_t i = 0; i < nout && total <= KONG_ROUTES_MAX; i++) {
		const tm_attr *rc = tm_edge_kind_of(out[i]) == TM_EDGE_ROUTES ? tm_edge_attr_get(out[i], "route_checks") : NULL;
		total += rc && rc->type == TM_ATTR_LIST ? rc->list_len : 0;
	}
	if (total > KONG_ROUTES_MAX)
		return;
	for (size_t i = 0; i < nout; i++) {
		const tm_edge *e = out[i];
		const tm_attr *rc = tm_edge_kind_of(e) == TM_EDGE_ROUTES ? tm_edge_attr_get(e, "route_checks") : NULL;
		if (!rc || rc->type != TM_ATTR_LIST)
			continue;
		const tm_attr *hosts = tm_edge_attr_get(e, "hosts");
		bool named = hosts && hosts->type == TM_ATTR_LIST && hosts->list[0];
		bool host_ok = !named || !q->req->host;
		for (size_t k = 0; named && q->req->host && hosts->list[k] && !host_ok; k++)
			host_ok = route_host_takes(hosts->list[k], q->req->host);
		for (size_t k = 0; rc->list[k]; k++) {
			if (++seen > KONG_ROUTES_MAX)
				return;
			size_t rl, rank;
			const char *r = tab_field(rc->list[k], 0, &rl);
			int hp = named && q->req->host;
			if (!host_ok || !kong_takes(q, r, rl, &rank, &regexes))
				continue;
			if (hp > best_host || (hp == best_host && rank > best)) {
				best_host = hp;
				best = rank;
				kr->e = e;
				kr->entry = rc->list[k];
				kr->term = NULL;
			}
		}
	}
	for (size_t i = 0, n = tm_node_fact_count(g); i < n; i++) {
		const tm_fact_loc *f = tm_node_fact(g, i);
		if (strcmp(f->key, "terminated_routes") != 0)
			continue;
		if (++seen > KONG_ROUTES_MAX)
			return;
		size_t rl, hl, rank;
		const char *r = tab_field(f->value, 0, &rl), *h = tab_field(f->value, 5, &hl);
		if ((hl && (!q->req->host || !kong_hosts_take(h, hl, q->req->host))) || !kong_takes(q, r, rl, &rank, &regexes))
			continue;
		int hp = hl > 0;
		if (hp > best_host || (hp == best_host && rank > best)) {
			best_host = hp;
			best = rank;
			kr->e = NULL;
			kr->entry = f->value;
			kr->term = f;
		}
	}
	kr->weighed = regexes <= KONG_REGEX_MAX;
	if (!kr->weighed)
		kr->e = NULL, kr->entry = NULL, kr->term = NULL;
}

/* The route Kong's order picks for the request through gateway g, when g is Kong's, a path is asked
 * and g's routes were all weighed: true with *kr. */
static bool kong_order(q_t *q, const tm_node *g, kong_route *kr)
{
	const char *type = tm_node_kind_of(g) == TM_NODE_GATEWAY ? tm_node_attr_str(g, "gateway_type") : NULL;
	if (!q->req->path || q->req->tcp || !type || strcmp(type, "kong") != 0)
		return false;
	/* one request, one answer per gateway: the last one is kept for the steps that ask again */
	if (q->kong_last.gw != g)
		kong_pick(q, g, &q->kong_last);
	*kr = q->kong_last;
	return kr->weighed;
}

/* The ways into a workload internet_route looked at and could not take, for the verdict's reason. */
typedef struct {
	const tm_edge *fenced; /* an allow-list of sources no internet client is in */
	const tm_edge *missed; /* a gateway's route for other hosts or paths */
	const tm_edge *closed; /* a load balancer that does not open the port */
	const tm_edge *inner;  /* a gateway the internet does not reach (an internal load balancer's) */
	const tm_edge *taken;  /* the route taken */
	kong_route answered;   /* Kong's route for the path is one it answers itself (request-termination) */
	kong_route elsewhere;  /* Kong's route for the path goes to another backend */
} ways_t;

static const char *internet_route(q_t *q, const tm_pm_workload *w, int port, const tm_pm_workload **via_gw, ways_t *ways)
{
	memset(ways, 0, sizeof(*ways));
	*via_gw = NULL;
	const tm_edge *checked = NULL; /* the first route in whose gateway checks a credential */
	const tm_edge **fenced = &ways->fenced, **missed = &ways->missed, **closed = &ways->closed,
		      **taken = &ways->taken;
	const tm_model *m = q->m;
	/* the routes into w: its in-edges (in the model's edge order), not every edge of the model */
	const tm_node *wn = tm_model_find(m, w->node_id);
	size_t nin = 0;
	const tm_edge *const *in = wn ? tm_model__incoming(m, wn, &nin) : NULL;
	for (size_t i = 0; i < nin; i++) {
		const tm_edge *e = in[i];
		if (tm_edge_kind_of(e) != TM_EDGE_ROUTES)
			continue;
		const tm_node *from = tm_edge_from(e);
		if (q->req->via && strcmp(tm_node_id(from), q->req->via) != 0)
			continue;
		/* Kong takes the request by its own order among all its routes: one it answers itself (a
		 * request-termination), or one to another backend, may come before this edge's */
		kong_route kr;
		bool ordered = kong_order(q, from, &kr);
		if (ordered && kr.term) {
			if (!ways->answered.term)
				ways->answered = kr;
			continue;
		}
		if (ordered && kr.e && kr.e != e) {
			if (!ways->elsewhere.e)
				ways->elsewhere = kr;
			continue;
		}
		if (ordered && !kr.e) {
			if (!*missed)
				*missed = e;
			continue;
		}
		/* an Istio gateway's VirtualService routes are matched at the gateway's hop (vs_match) */
		if (!ordered && strcmp(tm_node_id(from), "entrypoint:internet") != 0 &&
		    strncmp(tm_node_id(from), "gateway:istio:", 14) != 0 && !route_takes(q, e)) {
			if (!*missed) /* a gateway's route for other hosts or paths */
				*missed = e;
			continue;
		}
		const tm_attr *priv = tm_edge_attr_get(e, "private_sources_only");
		/* a load balancer's source ranges admit the --source-ip inside them */
		const tm_attr *sr = priv && priv->num && q->req->source_ip ? tm_edge_attr_get(e, "source_ranges") : NULL;
		bool admitted = false;
		for (size_t k = 0; sr && sr->type == TM_ATTR_LIST && sr->list[k] && !admitted; k++)
			admitted = tm_policy__in_cidr(sr->list[k], q->req->source_ip);
		if (priv && priv->num && !admitted) {
			if (!*fenced)
				*fenced = e;
			continue;
		}
		if (strcmp(tm_node_id(from), "entrypoint:internet") == 0) {
			if (!entry_takes_port(e, w, port)) { /* a port the load balancer does not open */
				if (!*closed)
					*closed = e;
				continue;
			}
			/* the way in the edge says: a LoadBalancer, a NodePort, a published compose port... */
			const char *via = tm_edge_attr_str(e, "via");
			return via ? tm_arena_printf(q->a, "direct (%s)", via) : "direct (LoadBalancer or NodePort)";
		}
		const char *fid = tm_node_id(from);
		/* a gateway the internet does not reach (behind an internal load balancer), or the private
		 * network itself (an internal load balancer, Cloud Run's internal ingress); one the request
		 * names (--via; the walks of reach.c, from whichever outside they started) is taken as given */
		if (!q->req->via && ((tm_node_kind_of(from) == TM_NODE_GATEWAY && !gateway_from_internet(m, from)) ||
				     strcmp(fid, "entrypoint:partner:private-network") == 0)) {
			if (!ways->inner)
				ways->inner = e;
			continue;
		}
		if (strncmp(fid, "gateway:istio:", 14) == 0) {
			const char *ref = fid + 14; /* "ns/name" */
			for (size_t g = 0; strchr(ref, '/') && g < q->pol->ngateways; g++) {
				const tm_istio_gw *ig = &q->pol->gateways[g];
				if (!tm_policy__names_gateway(ig, NULL, ref))
					continue;
				/* the first workload it selects, through the label index */
				const tm_pm_workload *gw = tm_policy__first_selected(q->pol, &ig->selector);
				if (gw) {
					*via_gw = gw;
					return tm_arena_printf(q->a, "via %s", fid);
				}
				/* the gateway's own Deployment is usually installed with Istio, not
				 * with the application: stand in for it, in the root namespace,
				 * with the labels the Gateway selects, so its policies still apply */
				tm_pm_workload *sw = tm_arena_alloc(q->a, sizeof(*w));
				if (!sw || !ig->selector.n)
					break;
				sw->ns = q->pol->root_ns;
				sw->name = tm_arena_printf(q->a, "gateway workload of %s/%s", ig->ns, ig->name);
				sw->kind = "assumed";
				sw->node_id = fid;
				sw->service_account = "istio-ingressgateway-service-account";
				sw->labels = ig->selector;
				sw->inject = 1;
				step(q, "routing", "pass", pname(q, "Gateway", ig->ns, ig->name), ig->loc,
				     "the gateway's workload was not scanned: assumed in %s with the labels gateway %s/%s "
				     "selects", q->pol->root_ns, ig->ns, ig->name);
				*via_gw = sw;
				return tm_arena_printf(q->a, "via %s", fid);
			}
			return tm_arena_printf(q->a, "via %s (gateway workload not scanned)", fid);
		}
		/* a route whose gateway checks a credential: another route in without one is the way a
		 * request without a token takes, so keep looking */
		const char *route_how;
		tm_loc route_at;
		tm_authn a = route_authn(q, e, &route_how, &route_at);
		if (q->req->gateway_authn && a != TM_AUTHN_NONE && a != TM_AUTHN_UNKNOWN &&
		    (tm_edge_enforced_at(e) == TM_ENFORCED_GATEWAY || route_how)) {
			if (!checked)
				checked = e;
			continue;
		}
		*taken = e;
		q->any_used = q->any_used || root_refused(q, e);
		return tm_arena_printf(q->a, "via %s", fid);
	}
	if (checked) {
		*taken = checked;
		q->any_used = q->any_used || root_refused(q, checked);
		return tm_arena_printf(q->a, "via %s", tm_node_id(tm_edge_from(checked)));
	}
	return NULL;
}

/* Do compose services a and b join a network in common (or either the host's)? */
static bool share_network(const tm_node *a, const tm_node *b)
{
	const tm_attr *na = tm_node_attr_get(a, "network_ids"), *nb = tm_node_attr_get(b, "network_ids");
	if (!na || !nb || na->type != TM_ATTR_LIST || nb->type != TM_ATTR_LIST)
		return false;
	for (size_t i = 0; na->list[i]; i++)
		for (size_t k = 0; nb->list[k]; k++)
			if (!strcmp(na->list[i], "host") || !strcmp(nb->list[k], "host") || !strcmp(na->list[i], nb->list[k]))
				return true;
	return false;
}

/* A Cloudflare Tunnel the internet reaches whose routes the files do not hold (its gateway's
 * routes_unknown: run with a token, remotely managed; or its configuration not scanned) and whose
 * cloudflared reaches w: a compose service on a network w joins, any pod of the cluster for a
 * Kubernetes workload (its routes may name any Service). The gateway, its host into *host; NULL when
 * none. Linear in the internet's ways in and the tunnels' hosts. */
static const tm_node *unknown_tunnel(const q_t *q, const tm_pm_workload *w, const tm_node **host)
{
	const tm_node *in = tm_model_find(q->m, "entrypoint:internet"), *wn = tm_model_find(q->m, w->node_id);
	size_t nout = 0;
	const tm_edge *const *out = in && wn ? tm_model__outgoing(q->m, in, &nout) : NULL;
	const char *wb = wn ? tm_node_boundary(wn) : NULL;
	bool wcompose = w->kind && strcmp(w->kind, "compose-service") == 0;
	for (size_t i = 0; i < nout; i++) {
		const tm_node *g = tm_edge_to(out[i]);
		const tm_attr *hosts = tm_node_kind_of(g) == TM_NODE_GATEWAY && tm_node_attr_get(g, "routes_unknown")
					       ? tm_node_attr_get(g, "hosted_by")
					       : NULL;
		for (size_t k = 0; hosts && hosts->type == TM_ATTR_LIST && hosts->list[k]; k++) {
			const tm_node *h = tm_model_find(q->m, hosts->list[k]);
			const char *hw = h ? tm_node_attr_str(h, "workload") : NULL;
			const char *hb = h ? tm_node_boundary(h) : NULL;
			if (!h || h == wn || !hw || !hb || !wb)
				continue;
			bool hcompose = strcmp(hw, "compose-service") == 0;
			bool reaches = hcompose ? wcompose && share_network(h, wn)
						: !wcompose && !strncmp(hb, "namespace:", 10) && !strncmp(wb, "namespace:", 10);
			if (reaches) {
				*host = h;
				return g;
			}
		}
	}
	return NULL;
}

/* The check of one route_checks entry, from its "AUTHN\tHOW[\tAT]" part: the authn kind (unknown when
 * the name is none), its check's text into *how (NULL when the route names none), the route's place
 * into *at (left as it is when the entry says none). */
static tm_authn route_check(q_t *q, const char *kind, const char **how, tm_loc *at)
{
	size_t kl = strcspn(kind, "\t"), hl, al;
	const char *h = kind[kl] == '\t' ? tab_field(kind, 1, &hl) : NULL;
	*how = h && hl ? tm_arena_strndup(q->a, h, hl) : NULL;
	const char *a = h && h[hl] == '\t' ? tab_field(h, 1, &al) : NULL;
	tm_loc l = a && al ? at_of(q, a, al) : NOLOC;
	if (l.path)
		*at = l;
	for (int k = 0; k < TM_AUTHN__COUNT; k++)
		if (strlen(tm_authn_name((tm_authn)k)) == kl && strncmp(tm_authn_name((tm_authn)k), kind, kl) == 0)
			return (tm_authn)k;
	return TM_AUTHN_UNKNOWN;
}

/* The check of the one route of e that takes the request's path (the longest prefix, an exact path
 * first; through Kong, the route its order picks among all of the gateway's), from the routes' own
 * checks (route_checks: "PATH\tAUTHN\tHOW\tAT"); the edge's (the weakest of its routes) when no path
 * is asked or no route says. *how: the route's check, when it names one; *at: the route's place
 * (the edge's first when the route says none). */
static tm_authn route_authn_of(q_t *q, const tm_edge *e, const char **how, tm_loc *at);
static tm_authn route_authn(q_t *q, const tm_edge *e, const char **how, tm_loc *at)
{
	if (q->ra_e != e) {
		q->ra_authn = route_authn_of(q, e, &q->ra_how, &q->ra_at);
		q->ra_e = e;
		q->ra_entry = q->route_entry;
	}
	*how = q->ra_how;
	*at = q->ra_at;
	q->route_entry = q->ra_entry;
	return q->ra_authn;
}

static tm_authn route_authn_of(q_t *q, const tm_edge *e, const char **how, tm_loc *at)
{
	*how = NULL;
	*at = tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : NOLOC;
	q->route_entry = NULL;
	kong_route kr;
	if (kong_order(q, tm_edge_from(e), &kr) && kr.e == e) {
		size_t pl;
		tab_field(kr.entry, 0, &pl);
		q->route_entry = kr.entry;
		return route_check(q, kr.entry + pl + (kr.entry[pl] == '\t'), how, at);
	}
	const tm_attr *rc = q->req->path ? tm_edge_attr_get(e, "route_checks") : NULL;
	const char *path = q->req->path;
	size_t best = 0;
	bool exact = false;
	tm_authn found = tm_edge_authn(e);
	/* Kong tries its regular-expression routes before its prefixes: one that takes the path decides;
	 * so does oauth2-proxy's skip-auth rules (its only regex routes) before its login */
	const char *type = rc ? tm_node_attr_str(tm_edge_from(e), "gateway_type") : NULL;
	bool regex_first = type && (strcmp(type, "kong") == 0 || strcmp(type, "oauth2-proxy") == 0);
	for (size_t i = 0; regex_first && rc->type == TM_ATTR_LIST && rc->list[i]; i++) {
		const char *r = rc->list[i];
		if (*r != '~')
			continue;
		size_t pl = strcspn(r + 1, "\t");
		char pat[512];
		if (pl >= sizeof(pat))
			continue;
		memcpy(pat, r + 1, pl);
		pat[pl] = '\0';
		regex_t rx;
		if (regcomp(&rx, pat, REG_EXTENDED | REG_NOSUB))
			continue;
		bool takes = regexec(&rx, path, 0, NULL, 0) == 0;
		regfree(&rx);
		if (!takes)
			continue;
		q->route_entry = r;
		return route_check(q, r + 1 + pl + (r[1 + pl] == '\t'), how, at);
	}
	for (size_t i = 0; rc && rc->type == TM_ATTR_LIST && rc->list[i]; i++) {
		const char *r = rc->list[i];
		if (*r == '~') /* not evaluated but for Kong (above): it takes any path, and says nothing */
			continue;
		bool ex = *r == '=';
		r += ex;
		size_t pl = strcspn(r, "\t");
		bool takes = ex ? strlen(path) == pl && strncmp(path, r, pl) == 0
				: strncmp(path, r, pl) == 0 &&
					  (pl == 0 || r[pl - 1] == '/' || path[pl] == '\0' || path[pl] == '/');
		if (!takes || exact || (!ex && pl < best) || (!ex && pl == best && best))
			continue;
		found = route_check(q, r + pl + (r[pl] == '\t'), how, at);
		q->route_entry = rc->list[i];
		best = pl;
		exact = ex;
	}
	return found;
}

/* ---- Authelia's access_control, for a check a gateway hands to it (ingest/authelia.c) ---------- */

enum { AZ_NOMATCH = -2, AZ_UNKNOWN = -1, AZ_DENY, AZ_LOGIN, AZ_BYPASS };
/* Hosts of one route weighed when no --host is asked (each against every rule, 512 at most). */
#define AZ_HOSTS_MAX 16

static int az_policy(const char *p, size_t n)
{
	if (n == 6 && strncmp(p, "bypass", 6) == 0)
		return AZ_BYPASS;
	if ((n == 10 && strncmp(p, "one_factor", 10) == 0) || (n == 10 && strncmp(p, "two_factor", 10) == 0))
		return AZ_LOGIN;
	if (n == 4 && strncmp(p, "deny", 4) == 0)
		return AZ_DENY;
	return AZ_UNKNOWN;
}

/* Does an Authelia domain (d, dl bytes: exact, or "*.suffix", any name under it) take host? */
static bool az_domain(const char *d, size_t dl, const char *host)
{
	size_t hl = strlen(host);
	if (dl > 2 && d[0] == '*' && d[1] == '.')
		return hl > dl - 1 && strncasecmp(host + hl - (dl - 1), d + 1, dl - 1) == 0;
	return hl == dl && strncasecmp(host, d, dl) == 0;
}

/* Does one of the regexes of list (sep-separated, n bytes) match s? *bad: one does not compile. */
static bool az_regex(const char *list, size_t n, char sep, const char *s, bool *bad)
{
	for (size_t i = 0; i < n;) {
		size_t k = i;
		while (k < n && list[k] != sep)
			k++;
		char pat[512];
		regex_t rx;
		if (k - i >= sizeof(pat)) {
			*bad = true;
		} else if (k > i) {
			memcpy(pat, list + i, k - i);
			pat[k - i] = '\0';
			if (regcomp(&rx, pat, REG_EXTENDED | REG_NOSUB)) {
				*bad = true;
			} else {
				bool m = regexec(&rx, s, 0, NULL, 0) == 0;
				regfree(&rx);
				if (m)
					return true;
			}
		}
		i = k + 1;
	}
	return false;
}

/* One kept rule ("NNNN\tPOLICY\tDOMAINS\tDOMAIN_REGEXES\tRESOURCES\tMETHODS\tNETWORKS\tSUBJECT") for
 * an anonymous (or, with valid, a signed-in) request: its policy, AZ_NOMATCH, or AZ_UNKNOWN with
 * *why. */
static int az_rule(const char *rule, const char *host, const char *path, const char *method, bool valid,
		   const char **why)
{
	const char *f[8];
	size_t fl[8], nf = 0;
	for (const char *p = rule; nf < 8;) {
		size_t l = strcspn(p, "\t");
		f[nf] = p;
		fl[nf++] = l;
		if (!p[l])
			break;
		p += l + 1;
	}
	if (nf < 8)
		return AZ_UNKNOWN;
	bool bad = false, named = false, took = false;
	for (size_t i = 0; i < fl[2];) { /* domains */
		size_t k = i;
		while (k < fl[2] && f[2][k] != ' ')
			k++;
		named = named || memchr(f[2] + i, '{', k - i) != NULL; /* {user}, {group}: per subject */
		took = took || az_domain(f[2] + i, k - i, host);
		i = k + 1;
	}
	took = took || (fl[3] && az_regex(f[3], fl[3], '\x1f', host, &bad));
	if (!took && !named && !bad)
		return AZ_NOMATCH;
	if (fl[5]) { /* methods */
		bool m = false;
		for (size_t i = 0; i < fl[5];) {
			size_t k = i;
			while (k < fl[5] && f[5][k] != ' ')
				k++;
			m = m || (strlen(method) == k - i && strncasecmp(method, f[5] + i, k - i) == 0);
			i = k + 1;
		}
		if (!m)
			return AZ_NOMATCH;
	}
	if (fl[4] && !az_regex(f[4], fl[4], '\x1f', path, &bad) && !bad)
		return AZ_NOMATCH;
	if (bad) {
		*why = "a regular expression of it is not one this reader evaluates";
		return AZ_UNKNOWN;
	}
	if (fl[6]) { /* networks: an internet client is in none of the private ranges */
		char nets[512];
		if (fl[6] < sizeof(nets)) {
			memcpy(nets, f[6], fl[6]);
			nets[fl[6]] = '\0';
			if (tm_policy__private_ranges(nets))
				return AZ_NOMATCH;
		}
		*why = "it names networks (public ranges, or networks defined by name) an internet client may be in";
		return AZ_UNKNOWN;
	}
	int pol = az_policy(f[1], fl[1]);
	if (pol == AZ_UNKNOWN)
		*why = "its policy is none Authelia knows";
	/* a rule for some users (subject, a {user} domain): an anonymous request is asked to log in */
	if ((f[7][0] == '1' || (named && !took)) && !valid && pol != AZ_DENY)
		return AZ_LOGIN;
	if (named && !took)
		return AZ_NOMATCH;
	return pol;
}

/* Authelia's answer for one host: the first rule that takes the request, else the default policy;
 * *which: that fact. */
static int az_host(const tm_node *az, const char *host, const char *path, const char *method, bool valid,
		   const tm_fact_loc **which, const char **why)
{
	const tm_fact_loc *dflt = NULL;
	for (size_t i = 0, n = tm_node_fact_count(az); i < n; i++) {
		const tm_fact_loc *fl = tm_node_fact(az, i);
		if (strcmp(fl->key, "authelia_default_policy") == 0 && !dflt)
			dflt = fl;
		if (strcmp(fl->key, "authelia_rules") != 0)
			continue;
		int r = az_rule(fl->value, host, path, method, valid, why);
		if (r != AZ_NOMATCH) {
			*which = fl;
			return r;
		}
	}
	*which = dflt;
	if (!dflt)
		return AZ_UNKNOWN;
	int r = az_policy(dflt->value, strlen(dflt->value));
	if (r == AZ_UNKNOWN)
		*why = "its default policy is none Authelia knows";
	return r;
}

/* The route's check handed to az, which runs Authelia with its configuration in the scan: its
 * access_control decides, for the request's host (else each host the route serves: when they do
 * not agree, unknown) and path. True: the request passes (a bypass, or a login with --token valid);
 * false with *deny set: refused (401 to the login, 403 deny) or unknown. */
static bool authelia_decides(q_t *q, const tm_edge *e, const tm_node *az, const char *gwid, const char *how,
			     result *deny)
{
	const char *cfg = NULL;
	for (size_t i = 0, n = tm_node_fact_count(az); i < n && !cfg; i++)
		if (strcmp(tm_node_fact(az, i)->key, "authelia_config") == 0)
			cfg = tm_node_fact(az, i)->value;
	const tm_attr *hosts = tm_edge_attr_get(e, "hosts");
	const char *one[2] = {q->req->host, NULL};
	const char *const *hl = q->req->host ? one : hosts && hosts->type == TM_ATTR_LIST ? (const char *const *)hosts->list : NULL;
	const char *path = q->req->path ? q->req->path : "/", *method = q->req->method ? q->req->method : "GET";
	bool valid = q->req->token == TM_TOKEN_VALID;
	int got = AZ_UNKNOWN;
	const tm_fact_loc *which = NULL;
	const char *why = NULL, *host = NULL;
	for (size_t i = 0; hl && hl[i]; i++) {
		const tm_fact_loc *w = NULL;
		if (i == AZ_HOSTS_MAX) { /* each host weighs every rule: a long list is not walked */
			why = tm_arena_printf(q->a, "the route serves more than %d hosts: --host asks for one", AZ_HOSTS_MAX);
			got = AZ_UNKNOWN;
			which = NULL;
			break;
		}
		int r = az_host(az, hl[i], path, method, valid, &w, &why);
		if (i && r != got) {
			why = tm_arena_printf(q->a, "its answer differs between the route's hosts (%s, %s): --host asks for one",
					      host, hl[i]);
			got = AZ_UNKNOWN;
			which = NULL;
			break;
		}
		got = r;
		which = w;
		host = hl[i];
	}
	if (!hl || !hl[0])
		why = "its rules are per host and the route names none: --host asks for one";
	tm_loc at = which ? which->loc : tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : NOLOC;
	const char *rule = which && strcmp(which->key, "authelia_rules") == 0
				   ? tm_arena_printf(q->a, "rule %ld", strtol(which->value, NULL, 10) + 1)
				   : "default_policy";
	const char *pol = got == AZ_BYPASS ? "bypass" : got == AZ_LOGIN ? "a login" : got == AZ_DENY ? "deny" : "";
	const char *az_id = tm_node_id(az);
	if (got == AZ_UNKNOWN) {
		step(q, "gateway-authentication", "unknown", gwid, at,
		     "%s hands this route's check to %s (%s), which runs Authelia; its access_control (%s) does not settle "
		     "%s %s: %s%s%s",
		     gwid, az_id, how, cfg ? cfg : "?", method, path, which ? rule : "", which ? ", " : "",
		     why ? why : "not known");
		*deny = decide(q, false, "unknown", gwid, at);
		deny->unknown = true;
		return false;
	}
	if (got == AZ_BYPASS || (got == AZ_LOGIN && valid)) {
		step(q, "gateway-authentication", "pass", gwid, at,
		     "%s hands this route's check to %s (%s), which runs Authelia: its access_control (%s %s) is %s for "
		     "host %s, path %s%s",
		     gwid, az_id, how, cfg ? cfg : "?", rule, pol, host, path,
		     got == AZ_BYPASS ? ": no login is asked" : ": a valid session is assumed");
		return true;
	}
	step(q, "gateway-authentication", "deny", gwid, at,
	     "%s hands this route's check to %s (%s), which runs Authelia: its access_control (%s %s) is %s for host "
	     "%s, path %s: %s",
	     gwid, az_id, how, cfg ? cfg : "?", rule, pol, host, path,
	     got == AZ_DENY ? "refused: 403"
			    : "a request without a session is sent to its login: 401 (--token valid asks with one)");
	*deny = decide(q, false, got == AZ_DENY ? "403" : "401", gwid, at);
	return false;
}

/* A credential the gateway checks on route e (its authn, enforced at the gateway; the check of the
 * route that takes the request's path): a request without a valid token is refused there (false,
 * *deny set: 401); with one, it passes. Nothing to say when the route checks nothing or what it
 * checks is not known. */
static bool gateway_credential(q_t *q, const tm_edge *e, result *deny)
{
	const char *route_how;
	tm_loc at;
	tm_authn a = route_authn(q, e, &route_how, &at);
	const tm_attr *checks = tm_edge_attr_get(e, "authn_checks");
	bool named = route_how || (checks && checks->type == TM_ATTR_LIST && checks->list[0]);
	if (a == TM_AUTHN_NONE || (a == TM_AUTHN_UNKNOWN && !named) ||
	    (tm_edge_enforced_at(e) != TM_ENFORCED_GATEWAY && !route_how))
		return true;
	const char *how = route_how                                                      ? route_how
			  : checks && checks->type == TM_ATTR_LIST && checks->list[0] ? checks->list[0]
										       : tm_authn_name(a);
	const char *gwid = tm_node_id(tm_edge_from(e));
	/* a check handed to another service (nginx auth_request, ingress-nginx auth-url, Traefik
	 * forwardAuth, Envoy ext_authz): what it answers a request is that service's decision; one that
	 * runs Authelia with its configuration in the scan answers as its access_control says */
	bool delegated = a == TM_AUTHN_UNKNOWN;
	const char *svc = delegated ? tm_edge_attr_str(e, "authn_service") : NULL;
	const tm_node *az = svc ? tm_model_find(q->m, svc) : NULL;
	if (az && tm_node_attr_get(az, "authelia_default_policy"))
		return authelia_decides(q, e, az, gwid, how, deny);
	if (q->req->token == TM_TOKEN_VALID) {
		step(q, "gateway-authentication", "pass", gwid, at,
		     delegated ? "%s hands this route's check to another service (%s): a valid credential is assumed to pass it"
			       : "%s checks a credential on this route (%s): a valid one is assumed",
		     gwid, how);
		return true;
	}
	if (delegated)
		step(q, "gateway-authentication", "unknown", gwid, at,
		     "%s hands this route's check to %s (%s): whether a request without a valid credential passes is "
		     "that service's decision, which the files read do not settle (--token valid asks with one)",
		     gwid, svc ? svc : "another service", how);
	else
		step(q, "gateway-authentication", "deny", gwid, at,
		     "%s checks a credential on this route (%s): a request without a valid one is refused: 401 "
		     "(--token valid asks with one)",
		     gwid, how);
	*deny = decide(q, false, delegated ? "unknown" : "401", gwid, at);
	deny->unknown = delegated;
	return false;
}

/* Does workload w run a store or broker of the model whose clients speak its own protocol over TCP
 * (stores.c: no `speaks_http`)? */
static bool tcp_store(const tm_model *m, const tm_pm_workload *w)
{
	const tm_node *n = w && w->node_id ? tm_model_find(m, w->node_id) : NULL;
	const char *sid = n ? tm_node_attr_str(n, "runs_store") : NULL;
	const tm_node *st = sid ? tm_model_find(m, sid) : NULL;
	return st && !tm_node_attr_get(st, "speaks_http");
}

/* The items of list attributes a and b (b's marked "~": regular expressions) as "x, y or z", the
 * first LISTED_MAX with how many more; "(any)" when neither holds one. */
#define LISTED_MAX 8
static const char *listed(q_t *q, const tm_attr *a, const tm_attr *b)
{
	const tm_attr *both[2] = {a, b};
	size_t n = 0;
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; both[k] && both[k]->type == TM_ATTR_LIST && both[k]->list[i]; i++)
			n++;
	if (!n)
		return "(any)";
	tm_strbuf sb = TM_STRBUF_INIT;
	size_t put = 0;
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; both[k] && both[k]->type == TM_ATTR_LIST && both[k]->list[i] && put < LISTED_MAX; i++, put++)
			tm_strbuf_printf(&sb, "%s%s%s", !put ? "" : put + 1 == n ? " or " : ", ", k ? "~" : "", both[k]->list[i]);
	if (n > put)
		tm_strbuf_printf(&sb, " and %zu more", n - put);
	const char *r = sb.oom || !sb.data ? "(any)" : tm_arena_strdup(q->a, sb.data);
	tm_strbuf_dispose(&sb);
	return r ? r : "(any)";
}

/* The host addresses compose service n publishes on loopback only ("127.0.0.1:3000, [::1]:3000"),
 * the first one's place into *at; NULL when it publishes none so. Its facts are few: one pass. */
static const char *loopback_ports(q_t *q, const tm_node *n, tm_loc *at)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	size_t k = 0;
	for (size_t f = 0; n && f < tm_node_fact_count(n); f++) {
		const tm_fact_loc *fl = tm_node_fact(n, f);
		if (strcmp(fl->key, "loopback_ports") != 0)
			continue;
		if (k < LISTED_MAX) /* "127.0.0.1:3000->3000": the host's side */
			tm_strbuf_printf(&sb, "%s%.*s", k ? ", " : "", (int)strcspn(fl->value, "-"), fl->value);
		if (!k++)
			*at = fl->loc;
	}
	if (k > LISTED_MAX)
		tm_strbuf_printf(&sb, " and %zu more", k - LISTED_MAX);
	const char *r = k && !sb.oom && sb.data ? tm_arena_strdup(q->a, sb.data) : NULL;
	tm_strbuf_dispose(&sb);
	return r;
}

static int run(tm_verdict *out, const tm_model *m, const tm_request *req, tm_arena *a)
{
	q_t q = {m, tm_model__policy(m), req, a, NULL, 0, 0, 0, false, false, false, NULL, {NULL, NULL, NULL, NULL, false}, NULL, TM_AUTHN_NONE, NULL, NULL, {NULL, 0, 0, NULL}};
	target s, d;
	const char *why = NULL;
	result r;
	if (resolve(&q, req->source ? req->source : "", false, &s, &why) ||
	    resolve(&q, req->destination ? req->destination : "", true, &d, &why)) {
		out->reason = why;
		out->outcome = "unreachable";
		tm_free(q.steps);
		return TM_ENOTFOUND;
	}
	if (d.internet) {
		out->reason = "the internet is not a destination";
		out->outcome = "unreachable";
		return TM_ENOTFOUND;
	}
	out->source_id = s.node_id;
	out->destination_id = d.w->node_id;
	/* nothing asked of a workload running a store or broker whose clients do not speak HTTP (Kafka,
	 * PostgreSQL, Redis): a connection, not GET / */
	tm_request plain;
	if (!req->method && !req->path && !req->tcp && !req->any && tcp_store(m, d.w)) {
		plain = *req;
		plain.tcp = true;
		q.req = req = &plain;
	}
	out->request = req->tcp ? "tcp"
				: tm_arena_printf(a, "%s %s", req->method ? req->method : "GET", req->path ? req->path : "/");
	source src = {s.internet, s.w, s.internet ? "internet" : s.w->name};
	const tm_pm_workload *dest = d.w;
	if (!s.internet) {
		out->route = "direct";
		step(&q, "resolve", "pass", NULL, d.svc ? d.svc->loc : d.w->loc, "%s/%s -> %s/%s%s%s", s.w->ns, s.w->name,
		     dest->ns, dest->name, d.svc ? " through service " : "", d.svc ? d.svc->name : "");
		r = hop(&q, &src, &d, dest, 0);
	} else if (tm_policy__is_gateway_workload(q.pol, dest)) {
		out->route = "direct to the gateway";
		r = hop(&q, &src, &d, dest, 0);
	} else {
		const tm_pm_workload *gw;
		ways_t ways;
		/* the pod port the request is for: one the way in must lead to (a Service port it names
		 * explicitly, --port; else the Service's first) */
		int port = req->port || d.port ? port_of(&q, &d, dest).port : 0;
		const char *route = internet_route(&q, dest, port, &gw, &ways);
		const tm_node *tunnel = NULL, *tunnel_host = NULL;
		const tm_edge *fenced = ways.fenced, *missed = ways.missed, *closed = ways.closed, *taken = ways.taken;
		if (!route && ways.answered.term) {
			/* Kong's route for the path is one its request-termination plugin answers */
			const tm_fact_loc *t = ways.answered.term;
			size_t pl, sl, nl, hl, al;
			const char *p = tab_field(t->value, 0, &pl), *st = tab_field(t->value, 1, &sl);
			const char *name = tab_field(t->value, 2, &nl), *how = tab_field(t->value, 3, &hl);
			const char *pa = tab_field(t->value, 4, &al);
			tm_loc at = at_of(&q, pa, al);
			const char *gwid = tm_node_id(ways.answered.gw);
			step(&q, "routing", "deny", gwid, at.path ? at : t->loc,
			     "%s takes path %s by its route %.*s (%.*s at %s:%u), which it answers itself for every caller "
			     "(%.*s): %.*s, nothing reaches %s/%s",
			     gwid, q.req->path, (int)nl, name, (int)pl, p, t->loc.path ? t->loc.path : "?", t->loc.line, (int)hl, how,
			     (int)sl, st, dest->ns, dest->name);
			r = decide(&q, false, tm_arena_strndup(q.a, st, sl), gwid, at.path ? at : t->loc);
		} else if (!route && ways.elsewhere.e && !fenced) {
			/* Kong's route for the path sends it to another backend */
			const kong_route *o = &ways.elsewhere;
			size_t pl, al;
			const char *p = tab_field(o->entry, 0, &pl), *pa = tab_field(o->entry, 3, &al);
			tm_loc at = at_of(&q, pa, al);
			if (!at.path && tm_edge_evidence_count(o->e))
				at = tm_edge_evidence(o->e, 0);
			const char *gwid = tm_node_id(o->gw);
			step(&q, "routing", "deny", gwid, at,
			     "%s sends path %s to %s by its route %.*s, which Kong's order puts before its routes to %s/%s: "
			     "the request does not reach it",
			     gwid, q.req->path, tm_node_id(tm_edge_to(o->e)), (int)pl, p, dest->ns, dest->name);
			r = decide(&q, false, "unreachable", gwid, at);
		} else if (!route && closed && !missed && !fenced) {
			const tm_attr *tp = tm_edge_attr_get(closed, "target_ports");
			const char *via = tm_edge_attr_str(closed, "via");
			tm_loc at = tm_edge_evidence_count(closed) ? tm_edge_evidence(closed, 0) : NOLOC;
			step(&q, "routing", "deny", NULL, at,
			     "the %s exposing %s/%s opens %s only, not the pod's %s", via ? via : "load balancer",
			     dest->ns, dest->name, tp && tp->type == TM_ATTR_LIST && tp->list[0] ? tp->list[0] : "other ports",
			     port ? tm_arena_printf(q.a, "port %d", port) : "port (it declares none)");
			r = decide(&q, false, "unreachable", NULL, at);
		} else if (!route && missed && !fenced) {
			const tm_attr *hosts = tm_edge_attr_get(missed, "hosts"), *paths = tm_edge_attr_get(missed, "paths");
			tm_loc at = tm_edge_evidence_count(missed) ? tm_edge_evidence(missed, 0) : NOLOC;
			const char *gwid = tm_node_id(tm_edge_from(missed));
			const tm_attr *pats = tm_edge_attr_get(missed, "path_patterns");
			const char *plist = listed(&q, paths, pats);
			step(&q, "routing", "deny", gwid, at,
			     "%s routes to %s/%s only for host %s and path %s: no route matches host %s, path %s: 404", gwid,
			     dest->ns, dest->name, listed(&q, hosts, NULL), *plist ? plist : "(any)",
			     q.req->host ? q.req->host : "(any)", q.req->path ? q.req->path : "(any)");
			r = decide(&q, false, q.req->tcp ? "rejected" : "404", gwid, at);
		} else if (!route && fenced) {
			const tm_attr *al = tm_edge_attr_get(fenced, "allow_lists");
			const char *how = al && al->type == TM_ATTR_LIST && al->list[0] ? al->list[0] : "an allow-list";
			tm_loc at = tm_edge_evidence_count(fenced) ? tm_edge_evidence(fenced, 0) : NOLOC;
			const char *gwid = tm_node_id(tm_edge_from(fenced));
			step(&q, "routing", "deny", gwid, at,
			     "%s routes to %s/%s only from %s (%s): no internet client passes", gwid,
			     dest->ns, dest->name,
			     tm_edge_attr_get(fenced, "source_ranges") ? "the source ranges its load balancer lists" : "private source ranges",
			     how);
			r = decide(&q, false, "blocked", gwid, at);
		} else if (!route && ways.inner) {
			const tm_node *g = tm_edge_from(ways.inner);
			const char *internal = tm_edge_attr_str(ways.inner, "internal");
			size_t nin = 0;
			const tm_edge *const *gin = tm_model__incoming(q.m, g, &nin);
			for (size_t i = 0; i < nin && !internal; i++)
				internal = tm_edge_attr_str(gin[i], "internal");
			tm_loc at = tm_edge_evidence_count(ways.inner) ? tm_edge_evidence(ways.inner, 0) : NOLOC;
			step(&q, "routing", "deny", tm_node_id(g), at,
			     "%s routes to %s/%s, but the internet does not reach it%s%s", tm_node_id(g), dest->ns,
			     dest->name, internal ? ": " : " (only the private network or the cluster does)",
			     internal ? internal : "");
			r = decide(&q, false, "unreachable", tm_node_id(g), at);
		} else if (!route && (tunnel = unknown_tunnel(&q, dest, &tunnel_host)) != NULL) {
			const tm_attr *unk = tm_node_attr_get(tunnel, "routes_unknown");
			tm_loc at = tm_node_evidence_count(tunnel) ? tm_node_evidence(tunnel, 0) : NOLOC;
			step(&q, "routing", "unknown", tm_node_id(tunnel), at,
			     "no route in the files exposes %s/%s, but %s runs a Cloudflare Tunnel whose routes are not in "
			     "them (%s) and reaches it: the tunnel may publish it",
			     dest->ns, dest->name, tm_node_id(tunnel_host),
			     unk && unk->type == TM_ATTR_LIST && unk->list[0] ? unk->list[0] : "routes unknown");
			r = decide(&q, false, "unknown", tm_node_id(tunnel), at);
			r.unknown = true;
		} else if (!route && dest->kind && strcmp(dest->kind, "compose-service") == 0) {
			/* a compose project has no cluster: its service is published beyond the host or not */
			tm_loc at = NOLOC;
			const char *lb = loopback_ports(&q, tm_model_find(q.m, dest->node_id), &at);
			if (lb)
				step(&q, "routing", "deny", NULL, at,
				     "%s/%s is published on %s only (a reverse proxy on the host, not in the files, may front it): "
				     "nothing in the files exposes it to the internet",
				     dest->ns, dest->name, lb);
			else
				step(&q, "routing", "deny", NULL, NOLOC,
				     "nothing exposes %s/%s to the internet (no port published beyond the host, no proxy route "
				     "in the files)",
				     dest->ns, dest->name);
			r = decide(&q, false, "unreachable", NULL, at);
		} else if (!route) {
			step(&q, "routing", "deny", NULL, NOLOC,
			     "nothing exposes %s/%s to the internet (no LoadBalancer, NodePort, Ingress or gateway route)",
			     dest->ns, dest->name);
			r = decide(&q, false, "unreachable", NULL, NOLOC);
		} else if (gw) {
			out->route = route;
			/* through the gateway workload, then its VirtualService to the destination */
			target gt;
			memset(&gt, 0, sizeof(gt));
			gt.w = gw;
			r = hop(&q, &src, &gt, gw, 0);
		} else {
			out->route = route;
			/* the gateway's route that takes the asked path, named at its place */
			const char *rhow = NULL;
			tm_loc rat = NOLOC;
			q.route_entry = NULL;
			if (taken && q.req->path && tm_node_kind_of(tm_edge_from(taken)) == TM_NODE_GATEWAY)
				route_authn(&q, taken, &rhow, &rat);
			size_t rl = 0;
			const char *rp = q.route_entry ? tab_field(q.route_entry, 0, &rl) : NULL;
			if (rp && rat.path)
				step(&q, "routing", "pass", NULL, rat, "exposed %s, by its route %.*s", route, (int)rl, rp);
			else
				step(&q, "routing", "pass", NULL, NOLOC, "exposed %s", route);
			q.via_controller = strncmp(route, "via gateway:", 12) == 0;
			if ((!req->gateway_authn || !taken || gateway_credential(&q, taken, &r)) &&
			    (strncmp(route, "via gateway:gwapi:", 18) != 0 || gwapi_checks(&q, route + 18, &r)))
				r = hop(&q, &src, &d, dest, 0);
			/* through an Ingress or Gateway API controller the packets come from its pods, which
			 * were not scanned: a NetworkPolicy rule naming their namespace may admit them */
			if (!r.allowed && strncmp(route, "via gateway:", 12) == 0 && strcmp(r.outcome, "blocked") == 0) {
				step(&q, "network-policy", "unknown", r.policy, r.loc,
				     "the controller behind %s forwards from its own pods, which were not scanned: "
				     "a rule admitting their namespace would let the request through", route + 4);
				r.unknown = true;
				r.outcome = "unknown";
			}
		}
	}
	if (q.oom || tm_arena_failed(a)) {
		tm_free(q.steps);
		return TM_ENOMEM;
	}
	finish(&q, out, r);
	/* a port that speaks TCP (a database's, by its name or appProtocol) was asked no HTTP request */
	if (!req->tcp && !req->method && !req->path && out->outcome &&
	    (strcmp(out->outcome, "connected") == 0 || strcmp(out->outcome, "rejected") == 0))
		out->request = "tcp";
	else if (q.any_used)
		out->request = "any request";
	return tm_arena_failed(a) ? TM_ENOMEM : 0;
}

int tm_query_can(tm_verdict *out, const tm_model *m, const tm_request *req)
{
	memset(out, 0, sizeof(*out));
	tm_arena *a = tm_arena_new();
	if (!a)
		return TM_ENOMEM;
	out->priv = a;
	int rc = run(out, m, req, a);
	/* nothing asked but GET /, which a policy denies: the caller may send another request (a gRPC
	 * call is POST /pkg.Service/Method; a client of the /api prefix never asks for the root). When some request
	 * passes the rules' HTTP fields, that is the answer, and it says "any request" */
	if (rc || out->allowed || out->unknown || !out->decided_by || req->any || req->method || req->path || req->tcp)
		return rc;
	tm_request anyreq = *req;
	anyreq.any = true;
	tm_verdict alt;
	memset(&alt, 0, sizeof(alt));
	tm_arena *b = tm_arena_new();
	if (!b)
		return TM_ENOMEM;
	alt.priv = b;
	int arc = run(&alt, m, &anyreq, b);
	if (arc == 0 && (alt.allowed || alt.unknown) && alt.request && strcmp(alt.request, "any request") == 0) {
		tm_verdict_dispose(out);
		*out = alt;
		return 0;
	}
	tm_verdict_dispose(&alt);
	return arc == TM_ENOMEM ? TM_ENOMEM : rc;
}

void tm_verdict_dispose(tm_verdict *v)
{
	if (v && v->priv)
		tm_arena_free(v->priv);
	if (v)
		memset(v, 0, sizeof(*v));
}

/* Concrete paths that routes into node id match ("/api/v1/orders*" -> "/api/v1/orders"). */
static size_t route_paths(const tm_model *m, const char *id, char (*out)[256], size_t max)
{
	size_t n = 0, nin = 0;
	const tm_node *to = tm_model_find(m, id);
	const tm_edge *const *in = to ? tm_model__incoming(m, to, &nin) : NULL;
	for (size_t i = 0; i < nin; i++) {
		const tm_edge *e = in[i];
		if (tm_edge_kind_of(e) != TM_EDGE_ROUTES)
			continue;
		for (size_t a = 0; a < tm_edge_attr_count(e); a++) {
			const tm_attr *at = tm_edge_attr(e, a);
			if (strcmp(at->key, "paths") != 0 || at->type != TM_ATTR_LIST)
				continue;
			for (size_t k = 0; at->list[k] && n < max; k++) {
				const char *p = at->list[k];
				size_t len = strlen(p);
				if (p[0] != '/' || len >= 256 || (strchr(p, '*') && strchr(p, '*') != p + len - 1))
					continue; /* regexes and inner wildcards are not concrete paths */
				memcpy(out[n], p, len + 1);
				if (len > 1 && out[n][len - 1] == '*')
					out[n][len - 1] = '\0';
				n++;
			}
		}
	}
	return n;
}

int tm_query_who_can_call(tm_callers *out, const tm_model *m, const tm_request *req)
{
	return tm_query_callers_among(out, m, req, NULL);
}

int tm_query_callers_among(tm_callers *out, const tm_model *m, const tm_request *req, const unsigned char *pick)
{
	memset(out, 0, sizeof(*out));
	const tm_policy *pol = tm_model__policy(m);
	tm_request r = *req;
	size_t cap = 0, ucap = 0;
	for (size_t i = 0; i <= pol->nworkloads; i++) {
		if (i && pick && !pick[i - 1])
			continue;
		const char *src = i == 0 ? "internet" : NULL;
		char name[512];
		if (i) {
			tm_formatf(name, sizeof(name), "%s/%s", pol->workloads[i - 1].ns, pol->workloads[i - 1].name);
			src = name;
		}
		r.source = src;
		tm_verdict v;
		int rc = tm_query_can(&v, m, &r);
		if (i == 0 && rc == 0 && !v.allowed && !req->path && v.destination_id) {
			/* from the internet a bare "/" rarely routes: try each path a route sends to it */
			char paths[16][256];
			size_t np = route_paths(m, v.destination_id, paths, 16);
			for (size_t k = 0; k < np && !v.allowed; k++) {
				tm_verdict alt;
				r.path = paths[k];
				if (tm_query_can(&alt, m, &r) == 0 && alt.allowed) {
					tm_verdict_dispose(&v);
					v = alt;
				} else {
					tm_verdict_dispose(&alt);
				}
			}
			r.path = req->path;
		}
		if (rc == TM_ENOTFOUND && i == 0) {
			/* the destination itself resolves to nothing: keep the resolver's reason (unknown,
			 * ambiguous...), which lives in the verdict's arena */
			const char *why = v.reason ? v.reason : "the destination names nothing";
			size_t len = strlen(why) + 1;
			char *copy = tm_malloc(len);
			if (copy)
				memcpy(copy, why, len);
			tm_verdict_dispose(&v);
			out->reason = copy;
			return copy ? TM_ENOTFOUND : TM_ENOMEM;
		}
		if (rc == TM_ENOMEM) {
			tm_verdict_dispose(&v);
			tm_callers_dispose(out);
			return TM_ENOMEM;
		}
		bool self = v.source_id && v.destination_id && strcmp(v.source_id, v.destination_id) == 0;
		out->considered += !self; /* the destination is no caller of its own: not counted */
		if (!out->destination_id && v.destination_id)
			out->destination_id = pol->workloads ? v.destination_id : NULL;
		if (!rc && !self && !v.allowed && v.unknown) {
			/* neither allowed nor refused by what the files say: listed apart, never dropped */
			if (TM_GROW(out->undecided, ucap, out->nundecided + 1)) {
				tm_verdict_dispose(&v);
				tm_callers_dispose(out);
				return TM_ENOMEM;
			}
			out->undecided[out->nundecided++] = i ? pol->workloads[i - 1].node_id : "entrypoint:internet";
		}
		if (rc || !v.allowed || self) {
			tm_verdict_dispose(&v);
			continue;
		}
		if (TM_GROW(out->items, cap, out->n + 1)) {
			tm_verdict_dispose(&v);
			tm_callers_dispose(out);
			return TM_ENOMEM;
		}
		out->items[out->n].source = i ? pol->workloads[i - 1].node_id : "entrypoint:internet";
		out->items[out->n].verdict = v;
		out->n++;
	}
	return 0;
}

void tm_callers_dispose(tm_callers *c)
{
	for (size_t i = 0; i < c->n; i++)
		tm_verdict_dispose(&c->items[i].verdict);
	tm_free(c->items);
	tm_free(c->undecided);
	tm_free((char *)c->reason);
	memset(c, 0, sizeof(*c));
}
