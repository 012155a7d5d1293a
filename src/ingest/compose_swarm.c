/*
 * compose_swarm.c - telling a Docker Swarm stack file from a file for `docker compose`.
 *
 * One format serves both, and one setting means different things in each: `docker stack deploy`
 * publishes every port on the routing mesh, on every node's 0.0.0.0, and ignores the host address
 * a port names ("ignoring IP-address ... service will listen on '0.0.0.0'", moby/moby#32299), where
 * `docker compose` binds only the address given. A file is read as a stack file when it says so in
 * a setting only Swarm acts on (docker compose ignores or refuses each):
 *   a service's deploy.placement, deploy.mode: global, deploy.update_config, deploy.rollback_config,
 *   deploy.endpoint_mode;
 *   a top-level secret or config that is `external` (a Swarm object), a network of driver overlay;
 *   or a file name that says stack (docker-stack.yml, stack.yml, app.stack.yml, prod-stack.yml).
 * The first such value is the evidence; the project that holds the file is analysed as deployed
 * with `docker stack deploy` (compose.c), and says so.
 */
#include <strings.h>

#include "compose.h"

static bool is(const tm_value *v, const char *want)
{
	const char *t = tm_scalar_str(v, NULL);
	return t && strcasecmp(t, want) == 0;
}

/* A service's deploy setting only Swarm acts on, or NULL. */
static const tm_value *deploy_sign(const tm_value *svc, const char **why)
{
	static const char *const keys[] = {"placement", "update_config", "rollback_config", "endpoint_mode"};
	const tm_value *d = tm_map_get(svc, "deploy");
	for (size_t k = 0; k < TM_ARRAY_LEN(keys); k++)
		if (tm_map_get(d, keys[k])) {
			*why = keys[k];
			return tm_map_get(d, keys[k]);
		}
	if (is(tm_map_get(d, "mode"), "global")) {
		*why = "mode: global";
		return tm_map_get(d, "mode");
	}
	return NULL;
}

/* An external secret or config, or an overlay network, among the top-level entries of kind. */
static const tm_value *top_sign(const tm_value *root, const char *kind, const char **why)
{
	const tm_value *m = tm_map_get(root, kind);
	bool nets = strcmp(kind, "networks") == 0;
	for (size_t i = 0; tm_value_kind_of(m) == TM_VALUE_MAP && i < tm_value_len(m); i++) {
		const tm_value *e = tm_map_value(m, i), *ext = tm_map_get(e, "external"), *drv = tm_map_get(e, "driver");
		if (nets && is(drv, "overlay")) {
			*why = "a network of driver overlay";
			return drv;
		}
		if (!nets && (is(ext, "true") || tm_value_kind_of(ext) == TM_VALUE_MAP)) {
			*why = kind[0] == 's' ? "an external secret" : "an external config";
			return ext;
		}
	}
	return NULL;
}

/* Does the file name say stack ("docker-stack.yml", "stack.yaml", "prod.stack.yml")? */
static bool stack_name(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	for (const char *p = base; (p = strstr(p, "stack")) != NULL; p += 5) {
		bool start = p == base || p[-1] == '-' || p[-1] == '_' || p[-1] == '.';
		bool end = p[5] == '.' || p[5] == '-' || p[5] == '_';
		if (start && end)
			return true;
	}
	return false;
}

const tm_value *tm_compose__stack_sign(const tm_value *root, const char *path, const char **why)
{
	const tm_value *svcs = tm_map_get(root, "services"), *at;
	for (size_t i = 0; tm_value_kind_of(svcs) == TM_VALUE_MAP && i < tm_value_len(svcs); i++)
		if ((at = deploy_sign(tm_map_value(svcs, i), why)) != NULL)
			return at;
	static const char *const kinds[] = {"secrets", "configs", "networks"};
	for (size_t k = 0; k < TM_ARRAY_LEN(kinds); k++)
		if ((at = top_sign(root, kinds[k], why)) != NULL)
			return at;
	if (path && stack_name(path)) {
		*why = "its file name";
		return root;
	}
	return NULL;
}
