/*
 * ingest/ingest.h - recognising documents and turning them into model facts (internal).
 *
 * TM_FORMATS is the one list of input formats: its name in reports, and the
 * ingester that models it (NULL: recognised, not modelled by this version).
 * Ingesters see each document once (doc) and link across documents at the end
 * (finish); they never know about rules.
 */
#ifndef TM_INGEST_H
#define TM_INGEST_H

#include "model/model.h"
#include "trustmap/doc.h"
#include "trustmap/scan.h"

typedef struct tm_ingest_ctx tm_ingest_ctx;

typedef struct {
	void *(*begin)(tm_ingest_ctx *ctx);
	/* One recognised document; detail is the detected kind or version.
	 * Returns true if the document became model facts (false: recognised, not modelled). */
	bool (*doc)(tm_ingest_ctx *ctx, void *state, const tm_file *f, const tm_value *root,
		    const char *detail);
	void (*finish)(tm_ingest_ctx *ctx, void *state);
	void (*end)(void *state); /* free the state */
} tm_ingester;

extern const tm_ingester tm_ingest__k8s;

/* X(ID, "report name", ingester or NULL) */
#define TM_FORMATS(X)                                                                              \
	X(UNKNOWN, "unknown", NULL)                                                                \
	X(OPENAPI, "openapi", NULL)                                                                \
	X(ASYNCAPI, "asyncapi", NULL)                                                              \
	X(KUBERNETES, "kubernetes", &tm_ingest__k8s)                                               \
	X(ISTIO, "istio", NULL)                                                                    \
	X(GATEWAY_API, "gateway-api", NULL)                                                        \
	X(GITHUB_WORKFLOW, "github-workflow", NULL)                                                \
	X(GITHUB_ACTION, "github-action", NULL)                                                    \
	X(TERRAFORM_PLAN, "terraform-plan", NULL)                                                  \
	X(TERRAFORM_STATE, "terraform-state", NULL)                                                \
	X(RUNTIME_MAP, "runtime-map", NULL)                                                        \
	X(OVERLAY, "overlay", NULL)                                                                \
	X(CODEOWNERS, "codeowners", NULL)

#define TM_ENUM_FORMAT(id, name, ing) TM_FMT_##id,
typedef enum { TM_FORMATS(TM_ENUM_FORMAT) TM_FMT__COUNT } tm_format;

const char *tm_format_name(tm_format f);
const tm_ingester *tm_format_ingester(tm_format f);

typedef struct {
	tm_format format;
	const char *detail;      /* "3.0.3", "Deployment", ... borrowed from the document */
	const char *unsupported; /* recognised but unusable: why (static text) */
} tm_detected;

/* Recognise one document by its content; basename helps only for the overlay. */
void tm_detect(const tm_value *root, const char *basename, tm_detected *out);
/* Sniff the head of a file without a YAML/JSON extension: does it look like one of our inputs? */
bool tm_detect_sniff(const char *head, size_t len);

struct tm_ingest_ctx {
	tm_model_builder *mb;
	tm_diag_list *diags;
};

/* Shared helpers for ingesters. */
tm_loc tm_ingest__loc(const tm_file *f, const tm_value *v);

#endif
