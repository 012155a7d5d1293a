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
	const char *format;   /* "jaeger", "zipkin", "kiali", "hubble" */
	bool plaintext;       /* seen without mTLS on the wire */
	const char *request;  /* "GET /api/v1/orders", or NULL */
	int port;             /* destination port, 0 if not stated */
} tm_rt_obs;

typedef struct tm_rt tm_rt;

/* Record one observation (strings are copied). */
void tm_rt__observe(tm_ingest_ctx *ctx, tm_rt *rt, const tm_rt_obs *o);
/* Something the export holds that is not a call between two ends: counted per reason. */
void tm_rt__skip(tm_rt *rt, const tm_file *f, const char *why);

/* runtime_read.c: one reader per export; each returns false when the document holds nothing to model. */
bool tm_rt__dependencies(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *links,
			 const char *format);
bool tm_rt__zipkin_spans(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *spans);
bool tm_rt__jaeger_trace(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *trace);
bool tm_rt__kiali_graph(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *root);
bool tm_rt__hubble_flow(tm_ingest_ctx *ctx, tm_rt *rt, const tm_file *f, const tm_value *flow);

#endif
