/*
 * runtime_read.c - the readers of observed-traffic exports: each turns one document into
 * observations (tm_rt__observe) with the line they were read from, and says what it passed
 * over (tm_rt__skip). They know the exporters' shapes, never the model:
 *
 *   dependency links  [{parent, child, callCount}]: Jaeger /api/dependencies (bare, under
 *                     "data", or Jaeger's Elasticsearch {"dependencies": [...]}), Zipkin
 *                     /api/v2/dependencies (errorCount ignored); names are tracer service names
 *   Zipkin v2 spans   a span whose parent has another localEndpoint.serviceName is a call
 *                     parent -> span; CLIENT/PRODUCER remoteEndpoint: local -> remote;
 *                     SERVER/CONSUMER remoteEndpoint: remote -> local. One call per span and rule
 *   Jaeger traces     a span whose CHILD_OF/FOLLOWS_FROM reference is in another process's service
 *   Kiali graph       elements.edges between elements.nodes (workload, app, service); box,
 *                     unknown and aggregate nodes are no ends, but a service node in namespace
 *                     "unknown" whose name has a dot is an external host; isMTLS under 100 is
 *                     plaintext; an edge whose traffic.responses are all refusals (HTTP
 *                     4xx/5xx, gRPC status not 0) is no call, passed over
 *   Hubble flows      one flow per document (JSON Lines): replies, DROPPED/AUDIT/ERROR verdicts,
 *                     L7 responses, node and cluster infrastructure (reserved:host, health,
 *                     remote-node, kube-apiserver, init) and traffic from reserved:world are
 *                     passed over; L7 HTTP seen between two pods is plaintext on the wire
 *                     (Cilium could not have parsed it inside mTLS)
 *
 * Every reader is linear in its document: Zipkin and Jaeger index spans by id in one pass. The
 * Hubble reader allocates nothing per flow (a streamed capture may hold millions).
 *
 * Time windows, where the export states one: Hubble's flow `time`, Zipkin's span `timestamp`
 * and Jaeger's span `startTime` (microseconds), the `timestamp` of Jaeger's dependencies document,
 * Kiali's graph `timestamp` less its `duration` (seconds).
 */
#include <stdio.h>
#include <stdlib.h>

#include "runtime.h"

static const char *str_at(const tm_value *v, const char *key)
{
	const tm_value *s = tm_map_get(v, key);
	if (!s || tm_value_kind_of(s) != TM_VALUE_SCALAR || tm_scalar_type_of(s) == TM_SCALAR_NULL)
		return NULL;
	const char *t = tm_scalar_str(s, NULL);
	return t && *t ? t : NULL;
}

static uint64_t count_at(const tm_value *v, const char *key)
{
	int64_t n;
	if (tm_scalar_int(tm_map_get(v, key), &n) || n < 0)
		return 1;
	return (uint64_t)n;
}

static tm_rt_end named(int kind, const char *ns, const char *name)
{
	tm_rt_end e = {kind, ns, name, NULL};
	return e;
}

/* A call between two tracer service names. */
static void name_call(tm_ingest_ctx *ctx, tm_rt *rt, tm_loc loc, const char *from, const char *to,
		      uint64_t count, const char *format, const char *request)
{
	tm_rt_obs o;
	memset(&o, 0, sizeof(o));
	o.from = named(TM_RT_NAME, NULL, from);
	o.to = named(TM_RT_NAME, NULL, to);
	o.count = count;
	o.loc = loc;
	o.format = format;
	o.request = request;
	tm_rt__observe(ctx, rt, &o);
}

/* ---- dependency links ------------------------------------------------------------------ */

bool tm_rt__dependencies(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *links,
			 const char *format)
{
	bool any = false;
	for (size_t i = 0; i < tm_value_len(links); i++) {
		const tm_value *l = tm_seq_at(links, i);
		const char *parent = str_at(l, "parent"), *child = str_at(l, "child");
		if (!parent || !child) {
			tm_rt__skip(rt, f, "dependency link without parent or child");
			continue;
		}
		name_call(ctx, rt, tm_ingest__loc(f, l), parent, child, count_at(l, "callCount"), format, NULL);
		any = true;
	}
	return any;
}

/* ---- Zipkin v2 spans ------------------------------------------------------------------- */

static const char *zipkin_service(const tm_value *span, const char *endpoint)
{
	return str_at(tm_map_get(span, endpoint), "serviceName");
}

static const char *span_request(tm_ingest_ctx *ctx, const tm_value *tags)
{
	const char *method = str_at(tags, "http.method");
	const char *path = str_at(tags, "http.path");
	if (!method || !path)
		return NULL;
	return tm_arena_printf(ctx->scratch, "%s %s", method, path);
}

static void zipkin_call(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *span,
			const char *from, const char *to)
{
	if (from && to && strcmp(from, to) != 0)
		name_call(ctx, rt, tm_ingest__loc(f, span), from, to, 1, "zipkin",
			  span_request(ctx, tm_map_get(span, "tags")));
}

bool tm_rt__zipkin_spans(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *spans)
{
	tm_hmap byid = TM_HMAP_INIT;
	size_t n = tm_value_len(spans);
	for (size_t i = 0; i < n; i++) {
		const tm_value *s = tm_seq_at(spans, i);
		const char *trace = str_at(s, "traceId"), *id = str_at(s, "id");
		char *key = trace && id ? tm_arena_printf(ctx->scratch, "%s/%s", trace, id) : NULL;
		/* a shared (SERVER) span repeats its client's id: the first of the pair is the parent */
		if (key && !tm_hmap_get(&byid, key, strlen(key)) &&
		    tm_hmap_put(&byid, key, strlen(key), (void *)s))
			break;
	}
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		const tm_value *s = tm_seq_at(spans, i);
		const char *svc = zipkin_service(s, "localEndpoint");
		const char *remote = zipkin_service(s, "remoteEndpoint");
		const char *kind = str_at(s, "kind"), *trace = str_at(s, "traceId"), *pid = str_at(s, "parentId");
		int64_t ts;
		if (tm_scalar_int(tm_map_get(s, "timestamp"), &ts) == 0 && ts > 0)
			tm_rt__time(rt, tm_file_path(f), tm_rt__epoch_ms(ts));
		if (!svc) {
			tm_rt__skip(rt, f, "span without localEndpoint.serviceName");
			continue;
		}
		any = true;
		if (trace && pid) {
			char key[256];
			int kl = tm_formatf(key, sizeof(key), "%s/%s", trace, pid);
			const tm_value *parent = kl > 0 && (size_t)kl < sizeof(key) ? tm_hmap_get(&byid, key, (size_t)kl) : NULL;
			if (parent)
				zipkin_call(ctx, rt, f, s, zipkin_service(parent, "localEndpoint"), svc);
		}
		if (kind && remote && (strcmp(kind, "CLIENT") == 0 || strcmp(kind, "PRODUCER") == 0))
			zipkin_call(ctx, rt, f, s, svc, remote);
		else if (kind && remote && (strcmp(kind, "SERVER") == 0 || strcmp(kind, "CONSUMER") == 0))
			zipkin_call(ctx, rt, f, s, remote, svc);
	}
	tm_hmap_dispose(&byid);
	return any;
}

/* ---- Jaeger traces --------------------------------------------------------------------- */

static const char *jaeger_service(const tm_value *processes, const tm_value *span)
{
	const tm_value *p = tm_map_get(span, "process");
	if (!p) {
		const char *pid = str_at(span, "processID");
		p = pid ? tm_map_get(processes, pid) : NULL;
	}
	return str_at(p, "serviceName");
}

bool tm_rt__jaeger_trace(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *trace)
{
	const tm_value *spans = tm_map_get(trace, "spans"), *processes = tm_map_get(trace, "processes");
	tm_hmap byid = TM_HMAP_INIT;
	size_t n = tm_value_len(spans);
	for (size_t i = 0; i < n; i++) {
		const tm_value *s = tm_seq_at(spans, i);
		const char *id = str_at(s, "spanID");
		if (id && tm_hmap_put(&byid, id, strlen(id), (void *)s))
			break;
	}
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		const tm_value *s = tm_seq_at(spans, i);
		const char *svc = jaeger_service(processes, s);
		const tm_value *refs = tm_map_get(s, "references");
		int64_t ts;
		if (tm_scalar_int(tm_map_get(s, "startTime"), &ts) == 0 && ts > 0)
			tm_rt__time(rt, tm_file_path(f), tm_rt__epoch_ms(ts));
		if (!svc) {
			tm_rt__skip(rt, f, "span without a process service name");
			continue;
		}
		any = true;
		for (size_t r = 0; r < tm_value_len(refs); r++) {
			const char *pid = str_at(tm_seq_at(refs, r), "spanID");
			const tm_value *parent = pid ? tm_hmap_get(&byid, pid, strlen(pid)) : NULL;
			const char *psvc = parent ? jaeger_service(processes, parent) : NULL;
			if (!psvc || strcmp(psvc, svc) == 0)
				continue;
			name_call(ctx, rt, tm_ingest__loc(f, s), psvc, svc, 1, "jaeger", NULL);
			break;
		}
	}
	tm_hmap_dispose(&byid);
	return any;
}

/* ---- Kiali graph ----------------------------------------------------------------------- */

/* The end a Kiali node stands for; false for nodes that are no end (box, unknown, aggregate). */
static bool kiali_end(const tm_value *d, tm_rt_end *out)
{
	const char *type = str_at(d, "nodeType"), *ns = str_at(d, "namespace");
	const char *wl = str_at(d, "workload"), *app = str_at(d, "app"), *svc = str_at(d, "service");
	if (!type || !ns)
		return false;
	if (strcmp(ns, "unknown") == 0) {
		/* a destination outside the registry: a host when its name is one (has a dot) */
		if (!svc || strcmp(type, "service") != 0 || !strchr(svc, '.'))
			return false;
		*out = named(TM_RT_HOST, NULL, svc);
		return true;
	}
	if (wl && (strcmp(type, "workload") == 0 || strcmp(type, "app") == 0))
		*out = named(TM_RT_WORKLOAD, ns, wl);
	else if (app && strcmp(type, "app") == 0)
		*out = named(TM_RT_APP, ns, app);
	else if (svc && strcmp(type, "service") == 0)
		*out = named(tm_map_get(d, "isServiceEntry") || strchr(svc, '.') ? TM_RT_HOST : TM_RT_SERVICE, ns, svc);
	else
		return false;
	return true;
}

/* isMTLS is a percentage (a number, or a string in older Kialis); absent: not stated. */
static bool kiali_plaintext(const tm_value *d)
{
	const tm_value *m = tm_map_get(d, "isMTLS");
	if (!m || tm_value_kind_of(m) != TM_VALUE_SCALAR)
		return false;
	bool b;
	if (tm_scalar_bool(m, &b) == 0)
		return !b;
	const char *t = tm_scalar_str(m, NULL);
	char *end = NULL;
	double pct = t ? strtod(t, &end) : 100.0;
	return end && end != t && pct < 100.0;
}

/* Was every response on the edge a refusal: HTTP 4xx or 5xx, a gRPC status other than 0 OK?
 * traffic.responses maps each code to its share; no responses (tcp, or not stated): false. */
static bool kiali_refused(const tm_value *d)
{
	const tm_value *traffic = tm_map_get(d, "traffic");
	const char *proto = str_at(traffic, "protocol");
	const tm_value *resp = tm_map_get(traffic, "responses");
	bool http = proto && strcmp(proto, "http") == 0, grpc = proto && strcmp(proto, "grpc") == 0;
	if ((!http && !grpc) || tm_value_kind_of(resp) != TM_VALUE_MAP || !tm_value_len(resp))
		return false;
	for (size_t i = 0; i < tm_value_len(resp); i++) {
		const char *code = tm_scalar_str(tm_map_key(resp, i), NULL);
		char *end = NULL;
		long c = code && *code ? strtol(code, &end, 10) : -1;
		if (!end || *end || (http && (c < 400 || c > 599)) || (grpc && c <= 0))
			return false;
	}
	return true;
}

bool tm_rt__kiali_graph(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *root)
{
	const tm_value *el = tm_map_get(root, "elements");
	const tm_value *nodes = tm_map_get(el, "nodes"), *edges = tm_map_get(el, "edges");
	int64_t ts, dur;
	if (tm_scalar_int(tm_map_get(root, "timestamp"), &ts) == 0 && ts > 0) {
		/* the graph covers the duration (seconds) up to its timestamp */
		int64_t end = tm_rt__epoch_ms(ts);
		tm_rt__time(rt, tm_file_path(f), end);
		if (tm_scalar_int(tm_map_get(root, "duration"), &dur) == 0 && dur > 0 && dur < end / 1000)
			tm_rt__time(rt, tm_file_path(f), end - dur * 1000);
	}
	tm_hmap byid = TM_HMAP_INIT;
	tm_rt_end *ends = tm_arena_alloc(ctx->scratch, (tm_value_len(nodes) + 1) * sizeof(*ends));
	if (!ends)
		return false;
	for (size_t i = 0; i < tm_value_len(nodes); i++) {
		const tm_value *d = tm_map_get(tm_seq_at(nodes, i), "data");
		const char *id = str_at(d, "id");
		if (id && kiali_end(d, &ends[i]) && tm_hmap_put(&byid, id, strlen(id), &ends[i]))
			break;
	}
	bool any = false;
	for (size_t i = 0; i < tm_value_len(edges); i++) {
		const tm_value *d = tm_map_get(tm_seq_at(edges, i), "data");
		const char *s = str_at(d, "source"), *t = str_at(d, "target");
		const tm_rt_end *from = s ? tm_hmap_get(&byid, s, strlen(s)) : NULL;
		const tm_rt_end *to = t ? tm_hmap_get(&byid, t, strlen(t)) : NULL;
		if (!from || !to) {
			tm_rt__skip(rt, f, "edge from or to a node outside the mesh (unknown, box)");
			continue;
		}
		if (kiali_refused(d)) {
			/* refused every time (an AuthorizationPolicy's 403 among them): the policy held, no call */
			tm_rt__skip(rt, f, "edge only ever refused (every response 4xx/5xx, or a gRPC error)");
			continue;
		}
		tm_rt_obs o;
		memset(&o, 0, sizeof(o));
		o.from = *from;
		o.to = *to;
		o.count = 1;
		o.loc = tm_ingest__loc(f, tm_seq_at(edges, i));
		o.format = "kiali";
		o.plaintext = kiali_plaintext(d);
		tm_rt__observe(ctx, rt, &o);
		any = true;
	}
	tm_hmap_dispose(&byid);
	return any;
}

/* ---- Hubble flows ---------------------------------------------------------------------- */

static bool has_label(const tm_value *labels, const char *want, const char **value)
{
	size_t wl = strlen(want);
	for (size_t i = 0; i < tm_value_len(labels); i++) {
		const char *l = tm_scalar_str(tm_seq_at(labels, i), NULL);
		if (l && strncmp(l, want, wl) == 0) {
			if (value)
				*value = l + wl;
			return true;
		}
	}
	return false;
}

/* The host of an http URL ("http://reviews:9080/x" -> "reviews") into buf (NULL when there is
 * none or it does not fit), and where its path starts. */
static const char *url_host(char *buf, size_t cap, const char *url, const char **path)
{
	const char *p = url ? strstr(url, "://") : NULL;
	if (!p)
		return NULL;
	p += 3;
	size_t n = strcspn(p, ":/?#");
	if (path)
		*path = p[strcspn(p, "/?#")] == '/' ? p + strcspn(p, "/?#") : "/";
	if (!n || n >= cap)
		return NULL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/* One end of a flow; NULL reason: an end; else why the flow is passed over. A host read from the
 * URL goes to hostbuf (HOST_MAX bytes), which lives as long as the observation. */
#define HOST_MAX 256
static const char *hubble_end(char *hostbuf, const tm_value *flow, const tm_value *ep, bool dst,
			      tm_rt_end *out)
{
	const tm_value *labels = tm_map_get(ep, "labels");
	const char *ns = str_at(ep, "namespace"), *pod = str_at(ep, "pod_name"), *app = NULL;
	if (!has_label(labels, "k8s:app=", &app))
		has_label(labels, "k8s:app.kubernetes.io/name=", &app);
	const char *wl = str_at(tm_seq_at(tm_map_get(ep, "workloads"), 0), "name");
	if (ns && (wl || pod)) {
		*out = named(wl ? TM_RT_WORKLOAD : TM_RT_POD, ns, wl ? wl : pod);
		out->app = app;
		return NULL;
	}
	if (has_label(labels, "reserved:world", NULL)) {
		if (!dst)
			return "traffic from outside the cluster (reserved:world)";
		const tm_value *names = tm_map_get(flow, "destination_names");
		const char *host = names ? tm_scalar_str(tm_seq_at(names, 0), NULL) : NULL;
		if (host && !*host)
			host = NULL;
		if (!host)
			host = url_host(hostbuf, HOST_MAX, str_at(tm_map_get(tm_map_get(flow, "l7"), "http"), "url"), NULL);
		if (!host)
			host = str_at(tm_map_get(flow, "IP"), "destination");
		if (!host)
			return "world destination without a name or address";
		*out = named(TM_RT_HOST, NULL, host);
		return NULL;
	}
	if (ns && app) {
		*out = named(TM_RT_APP, ns, app);
		return NULL;
	}
	return "node or cluster infrastructure (reserved identity)";
}

static int hubble_port(const tm_value *flow)
{
	const tm_value *l4 = tm_map_get(flow, "l4");
	const tm_value *p = tm_map_get(tm_map_get(l4, "TCP"), "destination_port");
	if (!p)
		p = tm_map_get(tm_map_get(l4, "UDP"), "destination_port");
	int64_t n;
	return tm_scalar_int(p, &n) == 0 && n > 0 && n < 65536 ? (int)n : 0;
}

/* Why a flow is no call (NULL: it is one). */
static const char *hubble_passed_over(const tm_value *flow)
{
	bool reply = false;
	if (tm_scalar_bool(tm_map_get(flow, "is_reply"), &reply) == 0 && reply)
		return "reply";
	const char *verdict = str_at(flow, "verdict");
	if (verdict && strcmp(verdict, "DROPPED") == 0)
		return "dropped (the network refused it)";
	if (verdict && strcmp(verdict, "FORWARDED") != 0 && strcmp(verdict, "REDIRECTED") != 0)
		return "verdict neither FORWARDED nor REDIRECTED";
	const char *l7type = str_at(tm_map_get(flow, "l7"), "type");
	if (l7type && strcmp(l7type, "REQUEST") != 0)
		return "l7 response";
	return NULL;
}

bool tm_rt__hubble_flow(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *root)
{
	const tm_value *flow = tm_map_get(root, "flow");
	if (!flow)
		flow = root;
	int64_t t;
	const char *when = str_at(flow, "time");
	if (tm_rt__parse_time(when ? when : str_at(root, "time"), &t) == 0)
		tm_rt__time(rt, tm_file_path(f), t);
	const char *why = hubble_passed_over(flow);
	char srchost[HOST_MAX], dsthost[HOST_MAX], hb[HOST_MAX], request[512];
	tm_rt_obs o;
	memset(&o, 0, sizeof(o));
	if (!why)
		why = hubble_end(srchost, flow, tm_map_get(flow, "source"), false, &o.from);
	if (!why)
		why = hubble_end(dsthost, flow, tm_map_get(flow, "destination"), true, &o.to);
	if (why) {
		tm_rt__skip(rt, f, why);
		return true; /* read and accounted for: the file is modelled */
	}
	const tm_value *http = tm_map_get(tm_map_get(flow, "l7"), "http");
	const char *method = str_at(http, "method"), *path = NULL;
	if (method && url_host(hb, sizeof(hb), str_at(http, "url"), &path)) {
		int n = tm_formatf(request, sizeof(request), "%s %s", method, path);
		if (n > 0 && (size_t)n < sizeof(request))
			o.request = request;
	}
	o.count = 1;
	o.loc = tm_ingest__loc(f, flow);
	o.format = "hubble";
	o.port = hubble_port(flow);
	if (o.to.kind == TM_RT_HOST) /* a world destination: the address its egress policy judges */
		o.addr = str_at(tm_map_get(flow, "IP"), "destination");
	o.plaintext = http && (o.from.kind == TM_RT_WORKLOAD || o.from.kind == TM_RT_POD) &&
		      (o.to.kind == TM_RT_WORKLOAD || o.to.kind == TM_RT_POD);
	tm_rt__observe(ctx, rt, &o);
	return true;
}
