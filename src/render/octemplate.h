/*
 * render/octemplate.h - OpenShift Templates processed as `oc process` does.
 *
 * A Template (template.openshift.io/v1, or the legacy apiVersion v1) is no object a cluster runs:
 * its `objects` are, once `oc process` has put its parameters' values in. tm_octemplate_process
 * makes a file whose documents are those objects, each value located where the Template writes it,
 * so every reader (Kubernetes, OpenShift Routes and DeploymentConfigs, Secrets) takes them as
 * written objects and evidence points into the Template file. See octemplate.c for what is followed
 * and where the processing is bounded.
 */
#ifndef TM_RENDER_OCTEMPLATE_H
#define TM_RENDER_OCTEMPLATE_H

#include "parse/parse.h"

/* Is doc an OpenShift Template (kind Template of template.openshift.io, or of the legacy v1)? */
bool tm_octemplate_is(const tm_value *doc);

/* If f holds an OpenShift Template, *out is a new rendered file shown as f's path that stands for
 * f's bytes (tm_file_stand_for), holding f's documents in order with each Template replaced by the
 * objects it makes; a Template that cannot be processed (objects or parameters not a list, no
 * objects) stays as written. Else *out is NULL. Notes (what was made, the parameters that have no
 * value in the files) and warnings go to diags. The caller owns *out (tm_file_free); f is only
 * read. 0, or TM_ENOMEM (*out NULL). */
int tm_octemplate_process(tm_file **out, const tm_file *f, tm_diag_list *diags);

#endif
