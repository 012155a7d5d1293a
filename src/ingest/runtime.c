/*
 * runtime.c - observed traffic (runtime maps) as model facts.
 *
 * The readers (runtime_read.c) hand over observations: a call from one end to another, how
 * many, and the line it was read from. They are aggregated as they arrive, by the pair of
 * ends as the export names them, so memory grows with the distinct pairs, not with the
 * flows (a 100 MB Hubble capture holds a few hundred pairs).
 *
 * finish() runs after the Kubernetes and Istio ingesters (the format table's order) and maps
 * each distinct end once onto what they built, through the policy model's tables:
 *   workload "ns/name"; a pod less its ReplicaSet and pod hashes, else its app label; a mesh
 *   principal to every workload running as its service account in its namespace;
 *   a Service through its selector to the first workload it selects (an ExternalName to its
 *   host); an app label; a tracer's bare name when one workload, Service or app label in the
 *   whole model carries it; a host as a pod resolves it ("svc", "svc.ns", "svc.ns.svc
 *   [.cluster.local]"), else an external host ("external:<host>", the node a ServiceEntry or
 *   an env var made, or a new one).
 * An end that maps onto nothing becomes a node of its own, "service:observed:[ns/]name",
 * with observed_only=true (a boolean on nodes) and a note at its first observation: the model does not know it.
 *
 * Each mapped pair is one CALLS edge. A declared edge (one that existed before this finish)
 * gains the attributes; a new one is also observed_only="true" (edges carry strings). Attributes: observed (the first
 * "path:line" per file), observed_calls (the export's own counts: callCount, flows, spans,
 * edges), observed_by (formats), observed_requests and observed_ports (up to 8 each),
 * observed_plaintext ("path:line" of observations without mTLS), observed_addresses (the
 * destination IPs the export states, up to 8), observed_window ("start/end",
 * RFC 3339, when the exports that saw it state their time). Each end gains observed_in (the files
 * that saw it). One note per file says what it held, its time window and what was passed over.
 * A self-call (both ends named alike) and a call naming an end over RT_MAX_KEY bytes are refused
 * where they are recorded, before either end is made, and counted apart as "not modelled", so the
 * note's calls are the calls the model holds.
 *
 * Memory is linear in distinct ends and pairs, never in observations: an observation allocates
 * only when it brings a new end, pair, file, request or port (a streamed 100 MB Hubble capture
 * costs what its few hundred pairs cost). Paths are copied once per file, because a streamed
 * line's file is freed before finish().
 */
#include <stdio.h>
#include <time.h>

#include "runtime.h"

#define RT_MAX_LIST 8
#define RT_MAX_REASONS 8

struct seen {
	tm_loc loc; /* the first observation from loc.path */
	struct seen *next;
};

struct end_rec {
	tm_rt_end e;
	tm_loc first;
	tm_node *node; /* what it maps onto, after finish() resolved it */
	const tm_pm_service *svc; /* a Service resolved through its selector: calls to it reach every
				   * workload it selects (nodes), never only the first */
	tm_node **nodes;
	size_t nnodes;
	uint64_t *hops, hop_total; /* a Service: calls its own hops (backend_hop) took to each node */
	tm_node **gws; /* the Istio Gateways whose selector picks this end (an ingress gateway's pods) */
	size_t ngws;
	bool gateway; /* mapped onto gws[0]: the model has the Gateway, not its pods */
	bool resolved;
	struct end_rec *next;
};

struct pair {
	struct end_rec *from, *to;
	uint64_t count;
	struct seen *seen, *plain;
	const char *requests[RT_MAX_LIST];
	size_t nreq;
	int ports[RT_MAX_LIST];
	size_t nports;
	const char *formats[RT_MAX_LIST];
	size_t nformats;
	const char *addrs[RT_MAX_LIST];
	size_t naddrs;
	struct pair *next;
};

struct file_tally {
	tm_loc loc; /* the file's first line */
	uint64_t calls;
	const char *reasons[RT_MAX_REASONS];
	size_t nreason[RT_MAX_REASONS], nreasons, other;
	uint64_t self_calls, long_names; /* calls recorded but not modelled, by why */
	int64_t tmin, tmax; /* milliseconds since the epoch, when has_time */
	bool has_time;
	struct file_tally *next;
};

struct tm_rt {
	tm_arena *a; /* the scan's scratch arena */
	tm_hmap ends, pairs;
	struct end_rec *ends_head, **ends_tail;
	struct pair *pairs_head, **pairs_tail;
	struct file_tally *files, **files_tail, *cur;
	uint32_t line_base; /* a streamed JSON Lines file: lines before the current one */
	bool streaming;
};

/* ---- recording ------------------------------------------------------------------------- */

/* Files arrive one after the other, so the current one is almost always the one asked for. */
static struct file_tally *tally_of(tm_rt *rt, const char *path)
{
	if (rt->cur && (rt->cur->loc.path == path || strcmp(rt->cur->loc.path, path) == 0))
		return rt->cur;
	for (struct file_tally *t = rt->files; t; t = t->next)
		if (strcmp(t->loc.path, path) == 0)
			return rt->cur = t;
	struct file_tally *t = tm_arena_alloc(rt->a, sizeof(*t));
	const char *copy = tm_arena_strdup(rt->a, path);
	if (!t || !copy)
		return NULL;
	t->loc.path = copy;
	t->loc.line = 1;
	t->loc.col = 1;
	*rt->files_tail = t;
	rt->files_tail = &t->next;
	return rt->cur = t;
}

void tm_rt__skip(tm_rt *rt, const tm_file *f, const char *why)
{
	tm_rt__skip_path(rt, tm_file_path(f), why);
}

size_t tm_rt__skip_path(tm_rt *rt, const char *path, const char *why)
{
	struct file_tally *t = tally_of(rt, path);
	if (!t)
		return 0;
	for (size_t i = 0; i < t->nreasons; i++)
		if (t->reasons[i] == why || strcmp(t->reasons[i], why) == 0)
			return ++t->nreason[i];
	if (t->nreasons == RT_MAX_REASONS)
		return ++t->other;
	t->reasons[t->nreasons] = why;
	return t->nreason[t->nreasons++] = 1;
}

/* An end's key ("kind ns name app"), or -1 when it does not fit the key's RT_MAX_KEY bytes. */
#define RT_MAX_KEY 512
static int end_key(char key[RT_MAX_KEY], const tm_rt_end *e)
{
	int kl = tm_formatf(key, RT_MAX_KEY, "%d\x1f%s\x1f%s\x1f%s", e->kind, e->ns ? e->ns : "", e->name,
			  e->app ? e->app : "");
	return kl < 0 || kl >= RT_MAX_KEY ? -1 : kl;
}

static struct end_rec *end_of(tm_rt *rt, const tm_rt_end *e, const char *key, int kl, tm_loc loc)
{
	struct end_rec *r = tm_hmap_get(&rt->ends, key, (size_t)kl);
	if (r)
		return r;
	r = tm_arena_alloc(rt->a, sizeof(*r));
	char *k = tm_arena_strndup(rt->a, key, (size_t)kl);
	if (!r || !k)
		return NULL;
	r->e.kind = e->kind;
	r->e.ns = tm_arena_strdup(rt->a, e->ns);
	r->e.name = tm_arena_strdup(rt->a, e->name);
	r->e.app = tm_arena_strdup(rt->a, e->app);
	r->first = loc;
	if (tm_hmap_put(&rt->ends, k, (size_t)kl, r))
		return NULL;
	*rt->ends_tail = r;
	rt->ends_tail = &r->next;
	return r;
}

static struct seen *add_seen(tm_rt *rt, struct seen *head, tm_loc loc)
{
	for (struct seen *s = head; s; s = s->next)
		if (s->loc.path == loc.path || strcmp(s->loc.path, loc.path) == 0)
			return head;
	struct seen *s = tm_arena_alloc(rt->a, sizeof(*s));
	if (!s)
		return head;
	s->loc = loc;
	s->next = head;
	return s;
}

static void add_str(const char **items, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(items[i], s) == 0)
			return;
	if (*n < RT_MAX_LIST)
		items[(*n)++] = s;
}

/* add_str of a copy in the runtime arena, copied only when s is new to the list and there is room. */
static void add_copy(tm_rt *rt, const char **items, size_t *n, const char *s)
{
	for (size_t i = 0; s && i < *n; i++)
		if (strcmp(items[i], s) == 0)
			return;
	const char *c = s && *n < RT_MAX_LIST ? tm_arena_strdup(rt->a, s) : NULL;
	if (c)
		add_str(items, n, c);
}

static struct pair *pair_of(tm_rt *rt, struct end_rec *from, struct end_rec *to)
{
	char key[64];
	int kl = tm_formatf(key, sizeof(key), "%p\x1f%p", (void *)from, (void *)to);
	struct pair *p = tm_hmap_get(&rt->pairs, key, (size_t)kl);
	if (p)
		return p;
	p = tm_arena_alloc(rt->a, sizeof(*p));
	char *k = tm_arena_strndup(rt->a, key, (size_t)kl);
	if (!p || !k || tm_hmap_put(&rt->pairs, k, (size_t)kl, p))
		return NULL;
	p->from = from;
	p->to = to;
	*rt->pairs_tail = p;
	rt->pairs_tail = &p->next;
	return p;
}

void tm_rt__stream(tm_rt *rt, uint32_t line_base, bool open)
{
	rt->line_base = open ? line_base : 0;
	rt->streaming = open;
}

void tm_rt__time(tm_rt *rt, const char *path, int64_t t)
{
	struct file_tally *f = tally_of(rt, path);
	if (!f)
		return;
	if (!f->has_time || t < f->tmin)
		f->tmin = t;
	if (!f->has_time || t > f->tmax)
		f->tmax = t;
	f->has_time = true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

int tm_rt__parse_time(const char *s, int64_t *out)
{
	unsigned y, mo, d, h, mi, sec, ms = 0;
	if (!s || strlen(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
	    !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		size_t n = 0;
		for (p++; p[n] >= '0' && p[n] <= '9'; n++)
			if (n < 3)
				ms = ms * 10 + (unsigned)(p[n] - '0');
		if (n == 0)
			return -1;
		for (size_t k = n; k < 3; k++)
			ms *= 10;
		p += n;
	}
	int64_t off = 0;
	unsigned oh, om;
	if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':' && digits(p + 1, 2, &oh) && digits(p + 4, 2, &om))
		off = (*p == '-' ? -1 : 1) * (int64_t)(oh * 60 + om) * 60;
	else if (!((*p == 'Z' || *p == 'z') && p[1] == '\0'))
		return -1;
	int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	*out = secs * 1000 + ms;
	return 0;
}

int64_t tm_rt__epoch_ms(int64_t n)
{
	/* 1e11 s is the year 5138, 1e14 ms 5138 too: past that the unit is finer */
	if (n < 100000000000LL)
		return n * 1000;
	if (n < 100000000000000LL)
		return n;
	if (n < 100000000000000000LL)
		return n / 1000;
	return n / 1000000;
}

/* "2026-03-02T10:00:00Z", with ".250" when the milliseconds are not zero. */
static void format_time(char out[32], int64_t t)
{
	int64_t secs = t >= 0 ? t / 1000 : (t - 999) / 1000;
	int ms = (int)(t - secs * 1000);
	time_t tt = (time_t)secs;
	struct tm tmv;
	if (!gmtime_r(&tt, &tmv)) {
		tm_formatf(out, 32, "%lld", (long long)t);
		return;
	}
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tmv);
	tm_formatf(out + n, 32 - n, ms ? ".%03dZ" : "Z", ms);
}

void tm_rt__observe(tm_ingest_ctx *ctx, tm_rt *rt, const tm_rt_obs *o)
{
	(void)ctx;
	struct file_tally *t = tally_of(rt, o->loc.path);
	if (!t)
		return;
	/* both names are checked before either end is made: a call dropped for one of them leaves
	 * no orphan node behind, and the file's note counts it as not modelled */
	char fkey[RT_MAX_KEY], tkey[RT_MAX_KEY];
	int fl = end_key(fkey, &o->from), tl = end_key(tkey, &o->to);
	if (fl < 0 || tl < 0) {
		t->long_names += o->count;
		return;
	}
	if (fl == tl && memcmp(fkey, tkey, (size_t)fl) == 0) {
		t->self_calls += o->count; /* a service calling itself crosses no boundary */
		return;
	}
	t->calls += o->count;
	tm_loc loc = o->loc;
	loc.path = t->loc.path; /* the tally's copy outlives a streamed line's file */
	if (rt->streaming) {
		loc.line += rt->line_base;
		/* a long line went through jansson: its places are JSON pointers, made in the line's own
		 * file, which is freed once the line is read */
		if (loc.pointer) /* (a failed copy marks the scratch arena, checked when the scan ends) */
			loc.pointer = tm_arena_strdup(rt->a, loc.pointer);
	}
	struct end_rec *from = end_of(rt, &o->from, fkey, fl, loc), *to = end_of(rt, &o->to, tkey, tl, loc);
	struct pair *p = from && to ? pair_of(rt, from, to) : NULL;
	if (!p)
		return;
	p->count += o->count;
	p->seen = add_seen(rt, p->seen, loc);
	if (o->plaintext)
		p->plain = add_seen(rt, p->plain, loc);
	add_copy(rt, p->requests, &p->nreq, o->request);
	add_str(p->formats, &p->nformats, o->format);
	add_copy(rt, p->addrs, &p->naddrs, o->addr);
	bool have = false;
	for (size_t i = 0; i < p->nports; i++)
		have |= p->ports[i] == o->port;
	if (o->port && !have && p->nports < RT_MAX_LIST)
		p->ports[p->nports++] = o->port;
}

/* ---- mapping names onto the model ------------------------------------------------------ */

/* A name that two objects carry: a bare name resolves only when it is unique. */
static char ambiguous;

struct index {
	tm_ingest_ctx *ctx;
	tm_rt *rt;
	const tm_policy *pol;
	tm_hmap wl, app, svc;          /* "ns/name" -> workload, workload, service */
	const tm_pm_service *hit;      /* the Service the last map_end() went through, by selector */
	tm_hmap routes;                /* "from\x1fto" -> a ROUTES edge (a gateway's declared route) */
	tm_hmap wl1, app1, svc1;       /* "name" -> the one carrying it, or &ambiguous */
	tm_hmap nss;                   /* namespaces the model knows */
	tm_hmap declared;              /* "from\x1fto" node pointers of CALLS edges before this finish */
};

static int put_key(struct index *x, tm_hmap *m, const char *ns, const char *name, void *v, bool unique)
{
	char *k = ns ? tm_arena_printf(x->rt->a, "%s/%s", ns, name) : tm_arena_strdup(x->rt->a, name);
	if (!k)
		return TM_ENOMEM;
	void *old = tm_hmap_get(m, k, strlen(k));
	if (old && !unique)
		return 0; /* the first in table order stays */
	return tm_hmap_put(m, k, strlen(k), old && old != v ? (void *)&ambiguous : v);
}

static void *get_key(const tm_hmap *m, const char *ns, const char *name)
{
	char k[512];
	int kl = ns ? tm_formatf(k, sizeof(k), "%s/%s", ns, name) : tm_formatf(k, sizeof(k), "%s", name);
	if (kl < 0 || (size_t)kl >= sizeof(k))
		return NULL;
	void *v = tm_hmap_get(m, k, (size_t)kl);
	return v == &ambiguous ? NULL : v;
}

static int index_policy(struct index *x)
{
	const tm_policy *p = x->pol;
	int rc = 0;
	for (size_t i = 0; i < p->nworkloads && !rc; i++) {
		tm_pm_workload *w = &p->workloads[i];
		const char *app = tm_labels_get(&w->labels, "app");
		if (!app)
			app = tm_labels_get(&w->labels, "app.kubernetes.io/name");
		rc = put_key(x, &x->wl, w->ns, w->name, w, false) || put_key(x, &x->wl1, NULL, w->name, w, true) ||
		     put_key(x, &x->nss, NULL, w->ns, w, false) ||
		     (app && (put_key(x, &x->app, w->ns, app, w, false) || put_key(x, &x->app1, NULL, app, w, true)));
	}
	for (size_t i = 0; i < p->nservices && !rc; i++) {
		tm_pm_service *s = &p->services[i];
		rc = put_key(x, &x->svc, s->ns, s->name, s, false) || put_key(x, &x->svc1, NULL, s->name, s, true) ||
		     put_key(x, &x->nss, NULL, s->ns, s, false);
	}
	for (size_t i = 0; i < p->nnamespaces && !rc; i++)
		rc = put_key(x, &x->nss, NULL, p->namespaces[i].name, &p->namespaces[i], false);
	const tm_model *m = tm_mb_model(x->ctx->mb);
	for (size_t i = 0; i < tm_model_edge_count(m) && !rc; i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) != TM_EDGE_CALLS)
			continue;
		char *k = tm_arena_printf(x->rt->a, "%p\x1f%p", (void *)tm_edge_from(e), (void *)tm_edge_to(e));
		rc = !k || tm_hmap_put(&x->declared, k, strlen(k), (void *)e);
	}
	for (size_t i = 0; i < tm_model_edge_count(m) && !rc; i++) {
		const tm_edge *e = tm_model_edge(m, i);
		if (tm_edge_kind_of(e) != TM_EDGE_ROUTES || tm_node_kind_of(tm_edge_from(e)) != TM_NODE_GATEWAY)
			continue;
		char *k = tm_arena_printf(x->rt->a, "%p\x1f%p", (void *)tm_edge_from(e), (void *)tm_edge_to(e));
		rc = !k || tm_hmap_put(&x->routes, k, strlen(k), (void *)e);
	}
	return rc ? TM_ENOMEM : 0;
}

static tm_node *workload_node(struct index *x, const tm_pm_workload *w)
{
	return w ? tm_mb_find(x->ctx->mb, w->node_id) : NULL;
}

static tm_node *host_node(struct index *x, const char *ns, const char *host, bool external);

/* A Service: the first workload of its namespace that its selector selects, remembered in
 * x->hit so that finish() maps the end onto every workload it selects (service_backends). */
static tm_node *service_node(struct index *x, const char *ns, const char *name)
{
	const tm_pm_service *s = ns ? get_key(&x->svc, ns, name) : NULL;
	if (s && s->external_name)
		return host_node(x, NULL, s->external_name, true);
	for (size_t i = 0; s && s->selector.n && i < x->pol->nworkloads; i++) {
		const tm_pm_workload *w = &x->pol->workloads[i];
		tm_node *n = strcmp(w->ns, s->ns) == 0 && tm_labels_subset(&s->selector, &w->labels)
				     ? workload_node(x, w) : NULL;
		if (n) {
			x->hit = s;
			return n;
		}
	}
	return ns ? workload_node(x, get_key(&x->wl, ns, name)) : NULL;
}

/* A generated name segment: Kubernetes' random suffixes and pod-template hashes use the alphabet
 * "bcdfghjklmnpqrstvwxz2456789" (no vowels, so no words: "collector" is a name, "2t8z4" is not);
 * ordinals and older hashes are decimal. */
static bool hashlike(const char *s, size_t n, size_t min, size_t max)
{
	if (n < min || n > max)
		return false;
	bool digits = strspn(s, "0123456789") >= n;
	for (size_t i = 0; i < n && !digits; i++)
		if (!strchr("bcdfghjklmnpqrstvwxz2456789", s[i]) || !s[i])
			return false;
	return true;
}

/* A pod's controller name: "reviews-v1-545db77b95-xk7dp" -> "reviews-v1", "db-0" -> "db". */
static const char *pod_base(tm_arena *a, const char *pod)
{
	size_t n = strlen(pod);
	for (int round = 0; round < 2; round++) {
		const char *dash = NULL;
		for (size_t i = 0; i < n; i++)
			if (pod[i] == '-')
				dash = pod + i;
		if (!dash)
			break;
		size_t tail = n - (size_t)(dash + 1 - pod);
		bool strip = round == 0 ? hashlike(dash + 1, tail, 1, 5) : hashlike(dash + 1, tail, 6, 10);
		if (!strip)
			break;
		n = (size_t)(dash - pod);
	}
	return tm_arena_strndup(a, pod, n);
}

static bool ends_with(const char *s, size_t n, const char *suffix, size_t *rest)
{
	size_t k = strlen(suffix);
	if (n <= k || memcmp(s + n - k, suffix, k) != 0)
		return false;
	*rest = n - k;
	return true;
}

static bool is_address(const char *h)
{
	return strspn(h, "0123456789.") == strlen(h) || strchr(h, ':');
}

/* A host as a pod in ns resolves it; else the external host (when external: a tracer's dotted
 * service name that resolves to nothing in the cluster is a name, not a host). */
static tm_node *host_node(struct index *x, const char *ns, const char *host, bool external)
{
	char h[256];
	size_t n = strlen(host);
	const char *colon = strrchr(host, ':');
	if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1) && strchr(host, ':') == colon)
		n = (size_t)(colon - host); /* a port */
	if (n == 0 || n >= sizeof(h))
		return NULL;
	memcpy(h, host, n);
	h[n] = '\0';
	while (n > 1 && h[n - 1] == '.')
		h[--n] = '\0';
	size_t rest;
	if (ends_with(h, n, ".svc.cluster.local", &rest) || ends_with(h, n, ".svc", &rest))
		h[n = rest] = '\0';
	char *dot = strchr(h, '.');
	if (!dot && ns)
		return service_node(x, ns, h);
	if (dot && !strchr(dot + 1, '.') && get_key(&x->nss, NULL, dot + 1)) {
		*dot = '\0';
		return service_node(x, dot + 1, h);
	}
	if (!external || (!dot && !is_address(h)))
		return NULL; /* a bare name outside any namespace: not a host */
	char *id = tm_arena_printf(x->rt->a, "external:%s", h);
	tm_node *e = id ? tm_mb_find(x->ctx->mb, id) : NULL;
	if (e || !id)
		return e;
	tm_mb_boundary(x->ctx->mb, TM_BOUNDARY_INTERNET, "internet", "Internet", NULL);
	e = tm_mb_node(x->ctx->mb, TM_NODE_EXTERNAL, id, h, "internet", (tm_loc){NULL, 0, 0, NULL});
	tm_mb_node_bool(x->ctx->mb, e, "observed_only", true);
	return e;
}

static tm_node *map_end(struct index *x, const tm_rt_end *e)
{
	switch (e->kind) {
	case TM_RT_WORKLOAD:
		return workload_node(x, get_key(&x->wl, e->ns, e->name));
	case TM_RT_POD: {
		tm_node *n = workload_node(x, get_key(&x->wl, e->ns, e->name));
		const char *base = n ? NULL : pod_base(x->rt->a, e->name);
		if (!n && base)
			n = workload_node(x, get_key(&x->wl, e->ns, base));
		if (!n && e->app)
			n = workload_node(x, get_key(&x->app, e->ns, e->app));
		return n;
	}
	case TM_RT_SERVICE:
		return service_node(x, e->ns, e->name);
	case TM_RT_APP: {
		tm_node *n = workload_node(x, get_key(&x->app, e->ns, e->name));
		return n ? n : service_node(x, e->ns, e->name);
	}
	case TM_RT_NAME: {
		if (strchr(e->name, '.'))
			return host_node(x, NULL, e->name, false);
		tm_node *n = workload_node(x, get_key(&x->wl1, NULL, e->name));
		const tm_pm_service *s = n ? NULL : get_key(&x->svc1, NULL, e->name);
		if (s)
			n = service_node(x, s->ns, s->name);
		return n ? n : workload_node(x, get_key(&x->app1, NULL, e->name));
	}
	case TM_RT_HOST:
		return host_node(x, e->ns, e->name, true);
	case TM_RT_PRINCIPAL:
		for (size_t i = 0; i < x->pol->nworkloads; i++) {
			const tm_pm_workload *w = &x->pol->workloads[i];
			tm_node *n = strcmp(w->ns, e->ns) == 0 && strcmp(w->service_account, e->name) == 0
					     ? workload_node(x, w) : NULL;
			if (n)
				return n;
		}
		return NULL;
	}
	return NULL;
}

/* Every workload node running as r's principal (namespace and service account, table order):
 * each is the end, as every workload a Service selects is. */
static int principal_workloads(struct index *x, struct end_rec *r)
{
	size_t cap = 0;
	for (size_t i = 0; i < x->pol->nworkloads; i++)
		cap += strcmp(x->pol->workloads[i].ns, r->e.ns) == 0;
	if (!(r->nodes = tm_arena_alloc(x->rt->a, (cap + 1) * sizeof(*r->nodes))))
		return TM_ENOMEM;
	for (size_t i = 0; i < x->pol->nworkloads; i++) {
		const tm_pm_workload *w = &x->pol->workloads[i];
		tm_node *n = strcmp(w->ns, r->e.ns) == 0 && strcmp(w->service_account, r->e.name) == 0
				     ? workload_node(x, w) : NULL;
		bool have = !n;
		for (size_t k = 0; k < r->nnodes && !have; k++)
			have = r->nodes[k] == n;
		if (!have && r->nnodes <= cap)
			r->nodes[r->nnodes++] = n;
	}
	return 0;
}

/* An end the model does not know: a node of its own, and a note where it was first seen. */
static tm_node *unmapped(struct index *x, const struct end_rec *r)
{
	tm_model_builder *mb = x->ctx->mb;
	const tm_rt_end *e = &r->e;
	/* a pod is kept under its controller's name, whatever labels the flow showed */
	const char *name = e->kind == TM_RT_POD ? pod_base(x->rt->a, e->name)
			   : e->kind == TM_RT_PRINCIPAL ? tm_arena_printf(x->rt->a, "sa:%s", e->name) : e->name;
	if (!name)
		return NULL;
	char *id = e->ns ? tm_arena_printf(x->rt->a, "service:observed:%s/%s", e->ns, name)
			 : tm_arena_printf(x->rt->a, "service:observed:%s", name);
	const char *bnd = e->ns ? tm_arena_printf(x->rt->a, "namespace:%s", e->ns) : "cluster";
	if (!id || !bnd)
		return NULL;
	tm_mb_boundary(mb, TM_BOUNDARY_CLUSTER, "cluster", "Kubernetes cluster", NULL);
	if (e->ns)
		tm_mb_boundary(mb, TM_BOUNDARY_NAMESPACE, bnd, e->ns, "cluster");
	bool known = tm_mb_find(mb, id) != NULL;
	tm_node *n = tm_mb_node(mb, TM_NODE_SERVICE, id, name, bnd, r->first);
	tm_mb_node_bool(mb, n, "observed_only", true);
	if (e->ns)
		tm_mb_node_str(mb, n, "namespace", e->ns);
	if (!known)
		tm_diag_add(x->ctx->diags, 0, TM_LEVEL_NOTE, r->first,
			    "observed '%s'%s%s names no workload, Service or host the model knows; kept as %s",
			    e->name, e->ns ? " in namespace " : "", e->ns ? e->ns : "", id);
	return n;
}

/* Does an Istio Gateway's selector pick the workload w, or (no workload: the export's names only)
 * an end called name with app label app? The default install labels its ingress gateway
 * "istio: ingressgateway" and "app: istio-ingressgateway", and names it istio-ingressgateway. */
static bool gateway_selects(const tm_istio_gw *g, const tm_pm_workload *w, const char *name, const char *app)
{
	if (!g->selector.n)
		return false;
	if (w)
		return tm_labels_subset(&g->selector, &w->labels);
	for (size_t i = 0; i < g->selector.n; i++) {
		const char *k = g->selector.items[i].key, *v = g->selector.items[i].value;
		bool istio = strcmp(k, "istio") == 0, by_app = strcmp(k, "app") == 0;
		if (!istio && !by_app)
			continue;
		if (strcmp(name, v) == 0 || (app && strcmp(app, v) == 0) ||
		    (istio && strncmp(name, "istio-", 6) == 0 && strcmp(name + 6, v) == 0))
			return true;
	}
	return false;
}

/* The gateway nodes of the Istio Gateways that pick end r (by its workload's labels, else by
 * name): the observed ingress gateway's calls are those Gateways' routes. */
static int gateways_of(struct index *x, struct end_rec *r)
{
	const tm_pm_workload *w = NULL;
	for (size_t i = 0; r->node && i < x->pol->nworkloads && !w; i++)
		if (strcmp(x->pol->workloads[i].node_id, tm_node_id(r->node)) == 0)
			w = &x->pol->workloads[i];
	if (r->node && !w)
		return 0; /* a host, or a workload the policy model does not hold */
	const char *name = r->e.kind == TM_RT_POD ? pod_base(x->rt->a, r->e.name) : r->e.name;
	for (size_t i = 0; name && i < x->pol->ngateways; i++) {
		const tm_istio_gw *g = &x->pol->gateways[i];
		if (!gateway_selects(g, w, name, r->e.app))
			continue;
		char *id = tm_arena_printf(x->rt->a, "gateway:istio:%s/%s", g->ns, g->name);
		tm_node *n = id ? tm_mb_find(x->ctx->mb, id) : NULL;
		if (!n)
			continue;
		if (!r->gws && !(r->gws = tm_arena_alloc(x->rt->a, x->pol->ngateways * sizeof(*r->gws))))
			return TM_ENOMEM;
		r->gws[r->ngws++] = n;
	}
	return 0;
}

/* The gateway of r whose declared route leads to node to, or NULL. */
static tm_node *routed_by(struct index *x, const struct end_rec *r, const tm_node *to)
{
	for (size_t i = 0; i < r->ngws; i++) {
		char key[64];
		int kl = tm_formatf(key, sizeof(key), "%p\x1f%p", (void *)r->gws[i], (void *)to);
		if (tm_hmap_get(&x->routes, key, (size_t)kl))
			return r->gws[i];
	}
	return NULL;
}

/* ---- the model ------------------------------------------------------------------------- */

struct edge_agg {
	tm_node *from, *to;
	uint64_t count;
	struct seen *seen, *plain;
	const char *requests[RT_MAX_LIST], *formats[RT_MAX_LIST], *addrs[RT_MAX_LIST];
	size_t nreq, nformats, naddrs;
	int ports[RT_MAX_LIST];
	size_t nports;
	int64_t tmin, tmax;
	bool has_time;
	tm_node *via; /* the gateway whose declared route this call is (its ingress gateway's pods) */
	struct edge_agg *next;
};

static const char *at_text(tm_arena *a, tm_loc l)
{
	return tm_arena_printf(a, "%s:%u", l.path, (unsigned)l.line);
}

static void merge(tm_rt *rt, struct edge_agg *g, const struct pair *p, uint64_t count)
{
	g->count += count;
	for (const struct seen *s = p->seen; s; s = s->next) {
		g->seen = add_seen(rt, g->seen, s->loc);
		const struct file_tally *t = tally_of(rt, s->loc.path);
		if (t && t->has_time) {
			g->tmin = g->has_time && g->tmin < t->tmin ? g->tmin : t->tmin;
			g->tmax = g->has_time && g->tmax > t->tmax ? g->tmax : t->tmax;
			g->has_time = true;
		}
	}
	for (const struct seen *s = p->plain; s; s = s->next)
		g->plain = add_seen(rt, g->plain, s->loc);
	for (size_t i = 0; i < p->nreq; i++)
		add_str(g->requests, &g->nreq, p->requests[i]);
	for (size_t i = 0; i < p->nformats; i++)
		add_str(g->formats, &g->nformats, p->formats[i]);
	for (size_t i = 0; i < p->naddrs; i++)
		add_str(g->addrs, &g->naddrs, p->addrs[i]);
	for (size_t i = 0; i < p->nports; i++) {
		bool have = false;
		for (size_t k = 0; k < g->nports; k++)
			have |= g->ports[k] == p->ports[i];
		if (!have && g->nports < RT_MAX_LIST)
			g->ports[g->nports++] = p->ports[i];
	}
}

static void emit_edge(struct index *x, const struct edge_agg *g)
{
	tm_model_builder *mb = x->ctx->mb;
	tm_arena *a = x->rt->a;
	char key[64];
	int kl = tm_formatf(key, sizeof(key), "%p\x1f%p", (void *)g->from, (void *)g->to);
	bool declared = g->via || tm_hmap_get(&x->declared, key, (size_t)kl) != NULL;
	tm_edge *e = NULL;
	for (const struct seen *s = g->seen; s; s = s->next) {
		e = tm_mb_edge(mb, g->from, g->to, TM_EDGE_CALLS, s->loc);
		tm_mb_edge_list_add(mb, e, "observed", at_text(a, s->loc));
		tm_mb_node_list_add(mb, g->from, "observed_in", s->loc.path);
		tm_mb_node_list_add(mb, g->to, "observed_in", s->loc.path);
	}
	if (!e)
		return;
	tm_mb_edge_str(mb, e, "observed_calls", tm_arena_printf(a, "%llu", (unsigned long long)g->count));
	if (!declared)
		tm_mb_edge_str(mb, e, "observed_only", "true");
	if (g->via) /* the route is the way in: reachability walks it through the gateway */
		tm_mb_edge_str(mb, e, "proxied_by", tm_node_id(g->via));
	for (const struct seen *s = g->plain; s; s = s->next)
		tm_mb_edge_list_add(mb, e, "observed_plaintext", at_text(a, s->loc));
	for (size_t i = 0; i < g->nreq; i++)
		tm_mb_edge_list_add(mb, e, "observed_requests", g->requests[i]);
	for (size_t i = 0; i < g->nformats; i++)
		tm_mb_edge_list_add(mb, e, "observed_by", g->formats[i]);
	for (size_t i = 0; i < g->nports; i++)
		tm_mb_edge_list_add(mb, e, "observed_ports", tm_arena_printf(a, "%d", g->ports[i]));
	for (size_t i = 0; i < g->naddrs; i++)
		tm_mb_edge_list_add(mb, e, "observed_addresses", g->addrs[i]);
	if (g->has_time) {
		char from[32], to[32];
		format_time(from, g->tmin);
		format_time(to, g->tmax);
		tm_mb_edge_str(mb, e, "observed_window", tm_arena_printf(a, "%s/%s", from, to));
	}
}

static void note_files(tm_ingest_ctx *ctx, tm_rt *rt)
{
	for (const struct file_tally *t = rt->files; t; t = t->next) {
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_strbuf_printf(&sb, "runtime map: %llu call%s observed", (unsigned long long)t->calls,
				 t->calls == 1 ? "" : "s");
		if (t->has_time) {
			char from[32], to[32];
			format_time(from, t->tmin);
			format_time(to, t->tmax);
			tm_strbuf_printf(&sb, " from %s to %s", from, to);
		}
		if (t->self_calls || t->long_names)
			tm_strbuf_printf(&sb, "; not modelled: %llu self-call%s, %llu call%s naming an end over the %d-byte limit",
					 (unsigned long long)t->self_calls, t->self_calls == 1 ? "" : "s",
					 (unsigned long long)t->long_names, t->long_names == 1 ? "" : "s", RT_MAX_KEY);
		for (size_t i = 0; i < t->nreasons; i++)
			tm_strbuf_printf(&sb, "%s %zu %s", i ? ";" : "; passed over:", t->nreason[i], t->reasons[i]);
		if (t->other)
			tm_strbuf_printf(&sb, "; %zu other", t->other);
		if (!sb.oom)
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, t->loc, "%s", sb.data);
		tm_strbuf_dispose(&sb);
	}
}

/* Every workload node r's Service selects (table order, once each): what a call to it reaches. */
static int service_backends(struct index *x, struct end_rec *r)
{
	const tm_pm_service *s = r->svc;
	size_t cap = 0;
	for (size_t i = 0; i < x->pol->nworkloads; i++)
		cap += strcmp(x->pol->workloads[i].ns, s->ns) == 0;
	r->nodes = tm_arena_alloc(x->rt->a, (cap + 1) * sizeof(*r->nodes));
	r->hops = tm_arena_alloc(x->rt->a, (cap + 1) * sizeof(*r->hops));
	if (!r->nodes || !r->hops)
		return TM_ENOMEM;
	memset(r->hops, 0, (cap + 1) * sizeof(*r->hops));
	r->nodes[r->nnodes++] = r->node; /* the first one, service_node() found it */
	for (size_t i = 0; i < x->pol->nworkloads && r->nnodes <= cap; i++) {
		const tm_pm_workload *w = &x->pol->workloads[i];
		tm_node *n = strcmp(w->ns, s->ns) == 0 && tm_labels_subset(&s->selector, &w->labels)
				     ? workload_node(x, w) : NULL;
		bool have = !n;
		for (size_t k = 0; k < r->nnodes && !have; k++)
			have = r->nodes[k] == n;
		if (!have)
			r->nodes[r->nnodes++] = n;
	}
	return 0;
}

static ssize_t node_at(const struct end_rec *r, const tm_node *n)
{
	for (size_t i = 0; i < r->nnodes; i++)
		if (r->nodes[i] == n)
			return (ssize_t)i;
	return -1;
}

/* A Service's own hop to a workload it selects (Kiali draws "service -> workload" after each
 * "caller -> service"): no call of its own. It says which workloads the calls to the Service
 * reached; they are mapped there (calls()). */
static bool backend_hop(const struct pair *p)
{
	return p->from->svc && !p->to->svc && p->to->nnodes == 1 && node_at(p->from, p->to->nodes[0]) >= 0;
}

static struct edge_agg *agg_of(tm_rt *rt, tm_hmap *aggs, struct edge_agg ***tail, tm_node *from, tm_node *to)
{
	char key[64];
	int kl = tm_formatf(key, sizeof(key), "%p\x1f%p", (void *)from, (void *)to);
	struct edge_agg *g = tm_hmap_get(aggs, key, (size_t)kl);
	if (g)
		return g;
	char *k = tm_arena_strndup(rt->a, key, (size_t)kl);
	g = tm_arena_alloc(rt->a, sizeof(*g));
	if (!k || !g || tm_hmap_put(aggs, k, (size_t)kl, g))
		return NULL;
	g->from = from;
	g->to = to;
	**tail = g;
	*tail = &g->next;
	return g;
}

/*
 * The edges one pair of ends stands for. A call to a Service reaches the workloads its own hops
 * went to (all it selects when the export draws none); its count is shared out by those hops'
 * counts (evenly without them; at least one each, a hop was seen). A workload calling
 * a Service that selects it, or itself, is no edge: which other version answered is unknown, and
 * inventing "reviews-v1 calls reviews-v2" would be a false undeclared call.
 */
static int calls(struct index *x, tm_hmap *aggs, struct edge_agg ***tail, const struct pair *p)
{
	tm_rt *rt = x->rt;
	const struct end_rec *f = p->from, *t = p->to;
	uint64_t total = 0;
	for (size_t i = 0; i < f->nnodes; i++)
		if (!t->svc || node_at(t, f->nodes[i]) < 0)
			for (size_t k = 0; k < t->nnodes; k++)
				total += f->nodes[i] == t->nodes[k] ? 0 : t->hop_total ? t->hops[k] : 1;
	for (size_t i = 0; i < f->nnodes && total; i++) {
		if (t->svc && node_at(t, f->nodes[i]) >= 0)
			continue;
		for (size_t k = 0; k < t->nnodes; k++) {
			uint64_t w = f->nodes[i] == t->nodes[k] ? 0 : t->hop_total ? t->hops[k] : 1;
			if (!w)
				continue;
			/* count * w / total without overflowing, and at least 1: the hop was seen */
			uint64_t share = p->count / total * w + p->count % total * w / total;
			share = share ? share : 1;
			/* an ingress gateway's pods: a call a Gateway's declared route covers is that route */
			tm_node *via = routed_by(x, f, t->nodes[k]);
			tm_node *from = via && f->gateway ? via : f->nodes[i];
			struct edge_agg *g = agg_of(rt, aggs, tail, from, t->nodes[k]);
			if (!g)
				return TM_ENOMEM;
			g->via = g->via ? g->via : via;
			merge(rt, g, p, share);
		}
	}
	return 0;
}

static void rt_finish(tm_ingest_ctx *ctx, void *state)
{
	tm_rt *rt = state;
	if (!rt)
		return; /* begin ran out of memory: nothing was kept */
	struct index x;
	memset(&x, 0, sizeof(x));
	x.ctx = ctx;
	x.rt = rt;
	x.pol = tm_mb_policy(ctx->mb);
	tm_hmap aggs = TM_HMAP_INIT;
	struct edge_agg *head = NULL, **tail = &head;
	if (index_policy(&x))
		goto done;
	for (struct end_rec *r = rt->ends_head; r; r = r->next) {
		x.hit = NULL;
		r->node = map_end(&x, &r->e);
		if (r->node && x.hit) {
			r->svc = x.hit;
			if (service_backends(&x, r))
				goto done;
		}
		if (r->node && r->e.kind == TM_RT_PRINCIPAL && principal_workloads(&x, r))
			goto done;
		if (gateways_of(&x, r))
			goto done;
		if (!r->node && r->ngws) {
			r->node = r->gws[0];
			r->gateway = true;
		}
		if (!r->node)
			r->node = unmapped(&x, r);
		if (r->node && !r->nnodes) {
			r->nodes = &r->node;
			r->nnodes = 1;
		}
		r->resolved = true;
	}
	for (const struct pair *p = rt->pairs_head; p; p = p->next) {
		if (backend_hop(p)) {
			struct end_rec *s = p->from;
			s->hops[node_at(s, p->to->nodes[0])] += p->count;
			s->hop_total += p->count;
		}
	}
	for (const struct pair *p = rt->pairs_head; p; p = p->next)
		if (!backend_hop(p) && calls(&x, &aggs, &tail, p))
			goto done;
	for (const struct edge_agg *g = head; g; g = g->next)
		emit_edge(&x, g);
	note_files(ctx, rt);
done:
	tm_hmap_dispose(&aggs);
	tm_hmap *maps[] = {&x.wl, &x.app, &x.svc, &x.wl1, &x.app1, &x.svc1, &x.nss, &x.declared, &x.routes};
	for (size_t i = 0; i < TM_ARRAY_LEN(maps); i++)
		tm_hmap_dispose(maps[i]);
}

/* ---- the ingester ---------------------------------------------------------------------- */

static void *rt_begin(tm_ingest_ctx *ctx)
{
	tm_rt *rt = tm_calloc(1, sizeof(*rt));
	if (!rt)
		return NULL;
	rt->a = ctx->scratch;
	rt->ends_tail = &rt->ends_head;
	rt->pairs_tail = &rt->pairs_head;
	rt->files_tail = &rt->files;
	return rt;
}

static void rt_end(void *state)
{
	tm_rt *rt = state;
	if (!rt)
		return;
	tm_hmap_dispose(&rt->ends);
	tm_hmap_dispose(&rt->pairs);
	tm_free(rt);
}

static bool rt_doc(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root, const char *detail)
{
	tm_rt *rt = state;
	if (!rt || !detail)
		return false;
	if (strcmp(detail, "dependencies") == 0) {
		const tm_value *links = tm_value_kind_of(root) == TM_VALUE_SEQ ? root : tm_map_get(root, "data");
		if (!links)
			links = tm_map_get(root, "dependencies");
		/* Jaeger's stored dependencies document says when it was computed */
		const tm_value *ts = tm_map_get(root, "timestamp");
		int64_t t;
		if (tm_rt__parse_time(tm_scalar_str(ts, NULL), &t) == 0)
			tm_rt__time(rt, tm_file_path(f), t);
		else if (tm_scalar_int(ts, &t) == 0 && t > 0)
			tm_rt__time(rt, tm_file_path(f), tm_rt__epoch_ms(t));
		return tm_rt__dependencies(ctx, rt, f, links, "dependencies");
	}
	if (strcmp(detail, "zipkin-spans") == 0) {
		/* /api/v2/traces answers a list of traces, each a list of spans */
		if (tm_value_kind_of(tm_seq_at(root, 0)) != TM_VALUE_SEQ)
			return tm_rt__zipkin_spans(ctx, rt, f, root);
		bool any = false;
		for (size_t i = 0; i < tm_value_len(root); i++)
			any |= tm_rt__zipkin_spans(ctx, rt, f, tm_seq_at(root, i));
		return any;
	}
	if (strcmp(detail, "jaeger-traces") == 0) {
		const tm_value *data = tm_map_get(root, "data");
		if (!data)
			return tm_rt__jaeger_trace(ctx, rt, f, root);
		bool any = false;
		for (size_t i = 0; i < tm_value_len(data); i++)
			any |= tm_rt__jaeger_trace(ctx, rt, f, tm_seq_at(data, i));
		return any;
	}
	if (strcmp(detail, "kiali-graph") == 0)
		return tm_rt__kiali_graph(ctx, rt, f, root);
	if (strcmp(detail, "hubble-flows") == 0)
		return tm_rt__hubble_flow(ctx, rt, f, root);
	return false;
}

const tm_ingester tm_ingest__runtime = {rt_begin, rt_doc, rt_finish, rt_end};
