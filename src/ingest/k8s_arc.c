/*
 * k8s_arc.c - GitHub Actions Runner Controller's runners as the workloads they are.
 *
 *   AutoscalingRunnerSet (actions.github.com, the runner scale sets of the gha-runner-scale-set
 *       chart): spec.template is the runners' pod template (the chart's `containerMode: dind`
 *       writes its privileged dind container there); jobs reach it by `runs-on: <scale set name>`
 *       (spec.runnerScaleSetName, else the object's name, as the chart names it) or by one of its
 *       spec.runnerScaleSetLabels (the chart's scaleSetLabels).
 *   RunnerDeployment, RunnerSet (actions.summerwind.dev, the older controller): the runner spec
 *       (spec.template.spec; a RunnerSet's runner fields are under spec) names the labels jobs ask
 *       for; the controller adds the runner container and, unless dockerEnabled is false, a
 *       privileged `docker` sidecar running dockerd (with dockerdWithinRunnerContainer, the runner
 *       container itself runs privileged). Containers the spec lists are read as written.
 *
 * On the workload node: `runner_labels` (what `runs-on` names to land there; gha.c matches them),
 * `runner_controller`, and for the controller's own containers `privileged` facts located at the
 * field deciding them (or the runner spec), with an `assumed` line saying the default was taken.
 */
#include <string.h>
#include <strings.h>

#include "k8s.h"

static bool summerwind(const struct tm_k8s_obj *o)
{
	return tm_k8s__is(o, "RunnerDeployment") || tm_k8s__is(o, "RunnerSet");
}

bool tm_k8s__arc_kind(const struct tm_k8s_obj *o)
{
	return tm_k8s__is(o, "AutoscalingRunnerSet") || summerwind(o);
}

/* Each label of a list (or one string) jobs may ask for, but the ones every runner has. */
static void labels(tm_ingest_ctx *ctx, tm_node *n, const tm_value *v)
{
	static const char *const everyone[] = {"self-hosted", "linux", "x64", "arm64", "windows"};
	size_t len = tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_value_len(v) : 1;
	for (size_t i = 0; v && i < len; i++) {
		const char *l = tm_scalar_str(tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_seq_at(v, i) : v, NULL);
		bool common = !l || !*l;
		for (size_t k = 0; !common && k < TM_ARRAY_LEN(everyone); k++)
			common = strcasecmp(l, everyone[k]) == 0;
		if (!common)
			tm_mb_node_list_add(ctx->mb, n, "runner_labels", l);
	}
}

static bool listed(const tm_value *cs, const char *name)
{
	for (size_t i = 0; tm_value_kind_of(cs) == TM_VALUE_SEQ && i < tm_value_len(cs); i++) {
		const char *c = tm_map_get_str(tm_seq_at(cs, i), "name");
		if (c && strcmp(c, name) == 0)
			return true;
	}
	return false;
}

/* The containers the summerwind controller adds to the ones listed (cs): `runner`, and dockerd in a
 * privileged `docker` sidecar or, with dockerdWithinRunnerContainer, in the runner itself (which it
 * then runs privileged). rs: the runner spec holding those fields. */
static void summerwind_containers(tm_ingest_ctx *ctx, const struct tm_k8s_obj *o, tm_node *n, const tm_value *rs,
				  const tm_value *cs)
{
	bool b;
	const tm_value *within = tm_map_get(rs, "dockerdWithinRunnerContainer");
	const tm_value *enabled = tm_map_get(rs, "dockerEnabled");
	bool in_runner = within && !tm_scalar_bool(within, &b) && b;
	bool docker = !(enabled && !tm_scalar_bool(enabled, &b) && !b);
	if (!listed(cs, "runner"))
		tm_mb_node_list_add(ctx->mb, n, "containers", "runner");
	if (!docker || (!in_runner && listed(cs, "docker")))
		return; /* no dockerd, or the sidecar as written (k8s.c read it) */
	const char *c = in_runner ? "runner" : "docker";
	if (!in_runner)
		tm_mb_node_list_add(ctx->mb, n, "containers", "docker");
	const tm_value *at = in_runner ? within : enabled ? enabled : rs;
	tm_loc loc = tm_ingest__loc(o->f, at ? at : o->v);
	tm_mb_node_fact(ctx->mb, n, "privileged", c, loc);
	tm_mb_node_fact(ctx->mb, n, "privilege_escalation", c, loc);
	if (!enabled && !in_runner)
		tm_mb_node_assume(ctx->mb, n,
				  "dockerEnabled unset: the controller adds its privileged `docker` sidecar (dockerd), as it "
				  "does by default");
}

void tm_k8s__arc_runner(tm_ingest_ctx *ctx, struct tm_k8s *k, const struct tm_k8s_obj *o)
{
	char *id = tm_k8s__workload_id(k, o);
	tm_node *n = id ? tm_mb_find(ctx->mb, id) : NULL;
	if (!n)
		return;
	const tm_value *spec = tm_map_get(o->v, "spec");
	tm_mb_node_str(ctx->mb, n, "runner_controller", "actions-runner-controller");
	if (tm_k8s__is(o, "AutoscalingRunnerSet")) {
		const char *set = tm_map_get_str(spec, "runnerScaleSetName");
		tm_mb_node_list_add(ctx->mb, n, "runner_labels", set && *set ? set : o->name);
		labels(ctx, n, tm_map_get(spec, "runnerScaleSetLabels")); /* the chart's scaleSetLabels */
		return;
	}
	/* RunnerDeployment: the runner spec is the template's; RunnerSet: its runner fields are spec's */
	const tm_value *rs = tm_k8s__is(o, "RunnerDeployment") ? tm_map_get(tm_map_get(spec, "template"), "spec") : spec;
	labels(ctx, n, tm_map_get(rs, "labels"));
	summerwind_containers(ctx, o, n, rs,
			      tm_map_get(tm_map_get(tm_map_get(spec, "template"), "spec"), "containers"));
}
