/*
 * runtime_prom.c - service maps in Prometheus text exposition format, read from the raw text one
 * line at a time (scan.c reads the file and hands each line over; nothing is kept per line):
 *
 *   metric_name [ "{" name "=" "\"" value "\"" { "," ... } [ "," ] "}" ] value [ timestamp ]
 *
 * Label values escape \\, \" and \n; other backslashes stand for themselves. `# HELP`, `# TYPE`
 * and other comments are skipped, and so are the samples of every other metric.
 *
 *   traces_service_graph_request_total{client, server}: OpenTelemetry's service graph (the
 *     collector's servicegraph connector, Tempo's metrics generator), a call between tracer
 *     service names counted by the sample's value.
 *   istio_requests_total{source_workload, source_workload_namespace, destination_workload,
 *     destination_workload_namespace, ...}: a call between workloads. Where a workload label is
 *     missing or "unknown", source_principal / destination_principal
 *     (spiffe://cluster.local/ns/NS/sa/SA) name the end instead: the workloads running as SA in NS. Each request is reported by
 *     both proxies; the destination's report is the one counted, and only it knows
 *     connection_security_policy ("mutual_tls"; "none" is plaintext). A source report counts only
 *     where no destination proxy reports (destination_workload "unknown": a host outside the
 *     mesh, named by destination_service). response_code 403 is the destination's policy refusing
 *     the call, passed over as a Hubble DROPPED flow is; so is a source outside the mesh
 *     (source_workload and source_principal "unknown").
 *
 * A sample's timestamp (milliseconds) widens the file's time window. Counters are cumulative: a
 * file holding two scrapes of one series counts both (the docs say so).
 */
#include <math.h>
#include <stdlib.h>

#include "runtime.h"

#define PROM_MAX_LABELS 64

struct label {
	const char *name, *value; /* value unescaped, in the line's scratch copy */
	size_t nlen;
};

struct sample {
	const char *name;
	size_t nlen;
	struct label labels[PROM_MAX_LABELS];
	size_t nlabels;
	double value;
	int64_t ts;
	bool has_ts;
};

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
	       (!first && c >= '0' && c <= '9');
}

static size_t skip_blanks(const char *s, size_t i, size_t len)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* The label set at s[*i] == '{'; values are unescaped into out (as long as the line). */
static const char *parse_labels(const char *s, size_t len, size_t *i, char *out, struct sample *smp)
{
	size_t k = *i + 1, o = 0;
	for (;;) {
		k = skip_blanks(s, k, len);
		if (k < len && s[k] == '}')
			break;
		size_t start = k;
		while (k < len && name_char(s[k], k == start))
			k++;
		if (k == start)
			return "label name expected";
		size_t nend = k;
		k = skip_blanks(s, k, len);
		if (k >= len || s[k] != '=')
			return "'=' expected after a label name";
		k = skip_blanks(s, k + 1, len);
		if (k >= len || s[k] != '"')
			return "label value must be quoted";
		char *v = out + o;
		for (k++; k < len && s[k] != '"'; k++) {
			char c = s[k];
			if (c == '\\' && k + 1 < len && (s[k + 1] == '\\' || s[k + 1] == '"' || s[k + 1] == 'n')) {
				c = s[k + 1] == 'n' ? '\n' : s[k + 1];
				k++;
			}
			out[o++] = c;
		}
		if (k >= len)
			return "unterminated label value";
		out[o++] = '\0';
		if (smp->nlabels == PROM_MAX_LABELS)
			return "more than 64 labels";
		smp->labels[smp->nlabels++] = (struct label){s + start, v, nend - start};
		k = skip_blanks(s, k + 1, len);
		if (k < len && s[k] == ',') {
			k++;
			continue;
		}
		if (k < len && s[k] == '}')
			break;
		return "',' or '}' expected after a label value";
	}
	*i = k + 1;
	return NULL;
}

/* One token of the line into a NUL-terminated buffer (values and timestamps are short). */
static size_t token(const char *s, size_t len, size_t i, char *buf, size_t cap)
{
	size_t n = 0;
	while (i + n < len && s[i + n] != ' ' && s[i + n] != '\t')
		n++;
	if (n >= cap)
		return 0;
	memcpy(buf, s + i, n);
	buf[n] = '\0';
	return n;
}

/* NULL: *smp holds the sample; else why the line is no sample, and *at where (offset in s). */
static const char *parse_sample(const char *s, size_t len, char *scratch, struct sample *smp, size_t *at)
{
	*at = 0;
	size_t i = 0;
	while (i < len && name_char(s[i], i == 0))
		i++;
	if (i == 0)
		return "metric name expected";
	smp->name = s;
	smp->nlen = i;
	size_t brace = skip_blanks(s, i, len);
	if (brace < len && s[brace] == '{') {
		i = brace;
		const char *why = parse_labels(s, len, &i, scratch, smp);
		if (why)
			return why;
	}
	size_t vstart = skip_blanks(s, i, len);
	if (vstart == i || vstart >= len)
		return "sample value expected";
	char num[64], *end = NULL;
	size_t n = token(s, len, vstart, num, sizeof(num));
	smp->value = n ? strtod(num, &end) : 0;
	*at = vstart;
	if (!n || end != num + n)
		return "sample value is not a number";
	/* a request counter: +Inf, NaN and what overflows a double (1e400) count nothing */
	if (!isfinite(smp->value))
		return "sample value is not a finite number";
	if (smp->value < 0)
		return "sample value is negative (a request counter never is)";
	i = skip_blanks(s, vstart + n, len);
	if (i < len) {
		n = token(s, len, i, num, sizeof(num));
		*at = i;
		if (!n || tm_parse_i64(num, n, 10, &smp->ts))
			return "timestamp is not an integer";
		if (smp->ts < 0)
			return "timestamp is negative (before 1970)";
		smp->has_ts = true;
		if (skip_blanks(s, i + n, len) != len)
			return "text after the timestamp";
	}
	return NULL;
}

static const char *label(const struct sample *smp, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < smp->nlabels; i++)
		if (smp->labels[i].nlen == n && memcmp(smp->labels[i].name, name, n) == 0)
			return smp->labels[i].value[0] ? smp->labels[i].value : NULL;
	return NULL;
}

static bool unknown(const char *v)
{
	return !v || strcmp(v, "unknown") == 0;
}

/* A mesh principal "spiffe://<trust domain>/ns/<ns>/sa/<sa>" (the spiffe:// optional, as
 * AuthorizationPolicy writes it) as an end: its namespace and service account, copied into buf
 * (as long as the principal). false when it is no such principal. */
static bool principal_end(const char *p, char *buf, tm_rt_end *out)
{
	if (unknown(p))
		return false;
	if (strncmp(p, "spiffe://", 9) == 0)
		p += 9;
	const char *ns = strstr(p, "/ns/");
	const char *sa = ns ? strstr(ns + 4, "/sa/") : NULL;
	if (!ns || !sa || sa == ns + 4 || !sa[4] || strchr(sa + 4, '/') || memchr(ns + 4, '/', (size_t)(sa - ns - 4)))
		return false;
	size_t nl = (size_t)(sa - ns - 4);
	memcpy(buf, ns + 4, nl);
	buf[nl] = '\0';
	*out = (tm_rt_end){TM_RT_PRINCIPAL, buf, sa + 4, NULL};
	return true;
}

/* An istio_requests_total sample as a call; NULL, or why it is passed over. A workload label that
 * is missing or "unknown" is read from the principal instead (srcbuf, dstbuf: as long as the line). */
static const char *istio_call(const struct sample *smp, tm_rt_obs *o, char *srcbuf, char *dstbuf)
{
	const char *reporter = label(smp, "reporter");
	const char *src = label(smp, "source_workload"), *src_ns = label(smp, "source_workload_namespace");
	const char *dst = label(smp, "destination_workload"), *dst_ns = label(smp, "destination_workload_namespace");
	const char *code = label(smp, "response_code");
	const char *policy = label(smp, "connection_security_policy");
	bool from_source = reporter && strcmp(reporter, "source") == 0;
	if (from_source && !unknown(dst))
		return "reported by the source proxy too (the destination's report is counted)";
	bool src_known = !unknown(src) && !unknown(src_ns);
	if (!src_known && !principal_end(label(smp, "source_principal"), srcbuf, &o->from))
		return "source outside the mesh (source_workload and source_principal unknown)";
	if (code && strcmp(code, "403") == 0)
		return "denied by the destination (response code 403)";
	if (src_known)
		o->from = (tm_rt_end){TM_RT_WORKLOAD, src_ns, src, NULL};
	if (!unknown(dst) && !unknown(dst_ns)) {
		o->to = (tm_rt_end){TM_RT_WORKLOAD, dst_ns, dst, NULL};
	} else if (principal_end(label(smp, "destination_principal"), dstbuf, &o->to)) {
		/* a destination with a sidecar whose workload label was lost */
	} else {
		const char *host = label(smp, "destination_service");
		if (unknown(host))
			host = label(smp, "destination_service_name");
		if (unknown(host))
			return "destination without a workload or service";
		o->to = (tm_rt_end){TM_RT_HOST, NULL, host, NULL};
	}
	o->plaintext = policy && strcmp(policy, "none") == 0;
	o->format = "istio";
	return NULL;
}

bool tm_rt__prom_line(tm_ingest_ctx *ctx, tm_rt *rt, const char *path, uint32_t line, const char *text,
		      size_t len)
{
	size_t i = skip_blanks(text, 0, len);
	while (len > i && (text[len - 1] == '\r' || text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (i == len || text[i] == '#')
		return false;
	bool istio = len - i > 21 && memcmp(text + i, "istio_requests_total", 20) == 0 &&
		     (text[i + 20] == '{' || text[i + 20] == ' ');
	bool otel = len - i > 35 && memcmp(text + i, "traces_service_graph_request_total", 34) == 0 &&
		    (text[i + 34] == '{' || text[i + 34] == ' ');
	if (!istio && !otel)
		return false; /* another metric */
	char *scratch = tm_malloc(3 * (len - i + 1)); /* label values, then two principals' namespaces */
	struct sample *smp = tm_calloc(1, sizeof(*smp));
	bool call = false;
	const char *why = NULL;
	if (!scratch || !smp) {
		tm_arena_set_failed(ctx->scratch); /* fails the scan with TM_ENOMEM */
		goto done;
	}
	size_t at = 0;
	why = parse_sample(text + i, len - i, scratch, smp, &at);
	if (why) {
		/* the first one of a file is shown, where it went wrong; the note counts them all */
		if (tm_rt__skip_path(rt, path, "malformed sample line") == 1)
			tm_diag_add(ctx->diags, TM_EPARSE, TM_LEVEL_WARNING,
				    (tm_loc){path, line, (uint32_t)(i + at + 1), NULL}, "prometheus sample not read: %s", why);
		why = NULL;
		goto done;
	}
	if (smp->has_ts)
		tm_rt__time(rt, path, smp->ts);
	tm_rt_obs o;
	memset(&o, 0, sizeof(o));
	if (istio) {
		why = istio_call(smp, &o, scratch + (len - i + 1), scratch + 2 * (len - i + 1));
	} else {
		const char *client = label(smp, "client"), *server = label(smp, "server");
		o.from = (tm_rt_end){TM_RT_NAME, NULL, client, NULL};
		o.to = (tm_rt_end){TM_RT_NAME, NULL, server, NULL};
		o.format = "otel-servicegraph";
		why = client && server ? NULL : "service graph sample without client or server";
	}
	if (!why && !(smp->value >= 1.0))
		why = "no requests in the sample (0 or not a number)";
	if (why)
		goto done;
	o.count = smp->value >= 1e18 ? (uint64_t)1e18 : (uint64_t)smp->value;
	o.loc = (tm_loc){path, line, (uint32_t)i + 1, NULL};
	tm_rt__observe(ctx, rt, &o);
	call = true;
done:
	if (why)
		tm_rt__skip_path(rt, path, why);
	tm_free(scratch);
	tm_free(smp);
	return call;
}
