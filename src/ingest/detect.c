/*
 * detect.c - recognise a document by what it contains, not by its file name.
 *
 * Order matters only where shapes overlap: an OpenAPI/AsyncAPI version key is
 * decisive; Kubernetes-style documents are told apart by API group; the
 * remaining shapes (workflows, Terraform JSON, runtime maps) by their keys.
 */
#include "ingest.h"

static bool starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has(const tm_value *root, const char *key)
{
	return tm_map_get(root, key) != NULL;
}

static bool is_dependency_link(const tm_value *v)
{
	return v && tm_value_kind_of(v) == TM_VALUE_MAP && has(v, "parent") && has(v, "child");
}

void tm_detect(const tm_value *root, const char *basename, tm_detected *out)
{
	memset(out, 0, sizeof(*out));
	if (!root)
		return;
	if (basename && (strcmp(basename, "trustmap.yaml") == 0 || strcmp(basename, "trustmap.yml") == 0 ||
			 strcmp(basename, ".trustmap.yaml") == 0)) {
		out->format = TM_FMT_OVERLAY;
		return;
	}
	if (tm_value_kind_of(root) == TM_VALUE_SEQ) {
		/* Jaeger/Zipkin dependency export: [{"parent","child","callCount"}] */
		if (is_dependency_link(tm_seq_at(root, 0))) {
			out->format = TM_FMT_RUNTIME_MAP;
			out->detail = "dependencies";
		}
		return;
	}
	if (tm_value_kind_of(root) != TM_VALUE_MAP)
		return;

	const char *v;
	/* Open Threat Model: another tool's threat model (or our own export) */
	const tm_value *otm = tm_map_get(root, "otmVersion");
	if (otm) {
		out->format = TM_FMT_OTM;
		v = tm_value_kind_of(otm) == TM_VALUE_SCALAR && tm_scalar_type_of(otm) == TM_SCALAR_STR
			    ? tm_scalar_str(otm, NULL) : NULL;
		out->detail = v;
		if (!v)
			out->unsupported = "otmVersion is not a string (an otm document names its version, e.g. \"0.2.0\")";
		else if (!starts_with(v, "0."))
			out->unsupported = "otm versions other than 0.x are not supported (0.1 and 0.2 are)";
		return;
	}
	if ((v = tm_map_get_str(root, "openapi")) && starts_with(v, "3.")) {
		out->format = TM_FMT_OPENAPI;
		out->detail = v;
		return;
	}
	if ((v = tm_map_get_str(root, "swagger")) && starts_with(v, "2.")) {
		out->format = TM_FMT_OPENAPI;
		out->detail = v;
		return;
	}
	if ((v = tm_map_get_str(root, "asyncapi"))) {
		out->format = TM_FMT_ASYNCAPI;
		out->detail = v;
		if (!starts_with(v, "2.") && !starts_with(v, "3."))
			out->unsupported = "asyncapi before 2.0 is not supported (2.x and 3.x are)";
		return;
	}
	const char *api = tm_map_get_str(root, "apiVersion");
	const char *kind = tm_map_get_str(root, "kind");
	if (api && kind) {
		out->detail = kind;
		if (strstr(api, "istio.io/")) {
			out->format = TM_FMT_ISTIO;
		} else if (starts_with(api, "gateway.networking.k8s.io/") ||
			   starts_with(api, "gateway.networking.x-k8s.io/")) {
			out->format = TM_FMT_GATEWAY_API;
		} else if (starts_with(api, "kustomize.config.k8s.io/")) {
			out->format = TM_FMT_KUBERNETES;
			out->unsupported = "kustomization: run `kustomize build` and scan its output";
		} else {
			out->format = TM_FMT_KUBERNETES;
		}
		return;
	}
	if (has(root, "jobs") && has(root, "on")) {
		out->format = TM_FMT_GITHUB_WORKFLOW;
		return;
	}
	const tm_value *runs = tm_map_get(root, "runs");
	if (runs && tm_map_get(runs, "using") && (has(root, "name") || has(root, "inputs"))) {
		out->format = TM_FMT_GITHUB_ACTION;
		out->detail = tm_map_get_str(runs, "using");
		return;
	}
	if (has(root, "format_version") && (has(root, "planned_values") || has(root, "resource_changes"))) {
		out->format = TM_FMT_TERRAFORM_PLAN;
		out->detail = tm_map_get_str(root, "format_version");
		return;
	}
	if (has(root, "terraform_version") && (has(root, "resources") || has(root, "values") ||
					      has(root, "modules"))) {
		out->format = TM_FMT_TERRAFORM_STATE;
		out->detail = tm_map_get_str(root, "terraform_version");
		return;
	}
	const tm_value *data = tm_map_get(root, "data");
	if (data && tm_value_kind_of(data) == TM_VALUE_SEQ && is_dependency_link(tm_seq_at(data, 0))) {
		out->format = TM_FMT_RUNTIME_MAP;
		out->detail = "dependencies";
		return;
	}
}

bool tm_detect_sniff(const char *head, size_t len)
{
	static const char *const marks[] = {"apiVersion:", "openapi:", "swagger:", "asyncapi:",
					    "\"openapi\"", "\"swagger\"", "\"asyncapi\"",
					    "\"apiVersion\"", "\"format_version\"", "otmVersion:",
					    "\"otmVersion\"", NULL};
	for (size_t i = 0; i < len;) {
		const char *line = head + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) : len - i;
		size_t k = 0;
		while (k < ll && (line[k] == ' ' || line[k] == '{'))
			k++;
		for (const char *const *m = marks; *m; m++) {
			size_t ml = strlen(*m);
			if (ll - k >= ml && memcmp(line + k, *m, ml) == 0)
				return true;
		}
		i += ll + 1;
	}
	return false;
}
