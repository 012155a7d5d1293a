/*
 * ingest/runtime.h - observed traffic (internal to ingest/): the readers of each export
 * (runtime_read.c) turn documents into observations; runtime.c keeps them, maps the names
 * they use onto the model and adds CALLS edges marked observed.
 */
#ifndef TM_INGEST_RUNTIME_H
#define TM_INGEST_RUNTIME_H

#include "ingest.h"

/* How an export names one end of a call; resolved against the model in finish(). */
enum {
	TM_RT_WORKLOAD, /* a workload by its controller's name (Kiali workload, Hubble workloads[]) */
	TM_RT_POD,      /* a pod name: the workload is the name less its ReplicaSet and pod hashes */
	TM_RT_SERVICE,  /* a Kubernetes Service */
	TM_RT_APP,      /* an `app` label value (Kiali app graphs, Hubble k8s:app=) */
	TM_RT_NAME,     /* a tracer's service name (Jaeger, Zipkin): no namespace */
	TM_RT_HOST,     /* a host name or address, as a pod would resolve it */
	TM_RT_PRINCIPAL, /* a mesh principal (spiffe://<trust domain>/ns/<ns>/sa/<sa>): ns, and the
			  * service account as name; the workloads running as it */
};

typedef struct {
	int kind;
	const char *ns;   /* NULL: none stated */
	const char *name;
	const char *app;  /* TM_RT_POD: the pod's app label, a second way to its workload */
} tm_rt_end;

/* One observation: a call (or count calls) from one end to the other, seen at loc. */
typedef struct {
	tm_rt_end from, to;
	uint64_t count;
	tm_loc loc;
	const char *format;   /* "jaeger", "zipkin", "kiali", "hubble", "istio", "otel-servicegraph" */
	bool plaintext;       /* seen without mTLS on the wire */
	const char *request;  /* "GET /api/v1/orders", or NULL */
	int port;             /* destination port, 0 if not stated */
	const char *addr;     /* destination IP address when the export states it (Hubble IP.destination), or NULL */
} tm_rt_obs;

typedef struct tm_rt tm_rt;

/* Record one observation (strings are copied). */
void tm_rt__observe(tm_ingest_ctx *ctx, tm_rt *rt, const tm_rt_obs *o);
/* Something the export holds that is not a call between two ends: counted per reason. */
void tm_rt__skip(tm_rt *rt, const tm_file *f, const char *why);

/* The export's own clock: widen path's time window to t (milliseconds since the epoch, UTC). */
void tm_rt__time(tm_rt *rt, const char *path, int64_t t);
/* An RFC 3339 time ("2026-03-02T10:00:00.5Z", "...+02:00") in milliseconds since the epoch: 0 or -1. */
int tm_rt__parse_time(const char *s, int64_t *out);
/* A number of seconds, milliseconds, microseconds or nanoseconds since the epoch (told apart by
 * size: exporters use all four) in milliseconds. */
int64_t tm_rt__epoch_ms(int64_t n);

/*
 * Streamed JSON Lines (scan.c): each line is parsed as a file of its own, freed after its
 * documents were read, so its values say line 1. While a stream is open, observations add
 * line_base to their line; paths are always copied (the line's file does not outlive it).
 */
void tm_rt__stream(tm_rt *rt, uint32_t line_base, bool open);

/* Prometheus text exposition (runtime_prom.c), read line by line from the raw text: one sample
 * line (line is its number, text without the newline). Returns true when it was a call. */
bool tm_rt__prom_line(tm_ingest_ctx *ctx, tm_rt *rt, const char *path, uint32_t line, const char *text,
		      size_t len);
/* tm_rt__skip by path (a metrics file has no tm_file); returns how often why was counted for it. */
size_t tm_rt__skip_path(tm_rt *rt, const char *path, const char *why);
/* detect.c: does the head of a text file hold the samples of a service map (istio_requests_total,
 * traces_service_graph_request_total) in Prometheus text exposition format? */
bool tm_detect__metrics(const char *head, size_t len);

/* runtime_read.c: one reader per export; each returns false when the document holds nothing to model. */
bool tm_rt__dependencies(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *links,
			 const char *format);
bool tm_rt__zipkin_spans(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *spans);
bool tm_rt__jaeger_trace(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *trace);
bool tm_rt__kiali_graph(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *root);
bool tm_rt__hubble_flow(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *flow);

#endif
