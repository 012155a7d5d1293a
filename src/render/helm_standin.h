/* render/helm_standin.h - what stands in for the templates of a chart dependency that is declared
 * but not vendored (internal to render/helm.c). */
#ifndef TM_RENDER_HELM_STANDIN_H
#define TM_RENDER_HELM_STANDIN_H

#include "render/gotmpl.h"

/* How a stand-in was made, for the note that says so. */
typedef enum {
	TM_HELM_SI_CONVENTION, /* names, labels, API versions, backends by Helm's and Kubernetes' conventions */
	TM_HELM_SI_GIVEN,      /* the value, image or secret name the caller passed, rendered as given */
	TM_HELM_SI_NOTHING,    /* no output: what the library would write is not known */
	TM_HELM_SI_CLASSES
} tm_helm_si_class;

/* Write into sb what stands in for the template `name` (n bytes) called with dot. ctx: the calling
 * template's top-level objects (.Values, .Release, .Chart), used when dot carries none of its own.
 * *reads_ns is set when the output depends on .Release.Namespace. Returns the class, or -1 with
 * the executor's error set. */
int tm_helm__stand_in(tm_gt_exec *x, const char *name, size_t n, tm_gv dot, tm_gv ctx, tm_strbuf *sb,
		      bool *reads_ns);

#endif
