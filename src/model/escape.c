/*
 * escape.c - does a workload hand its node over? One table, read by the
 * container rules (how bad is this host access) and by the node-pivot pass
 * (which workloads get an edge to their node). docs/analysis.md and the
 * TM-CTR-001 and TM-CTR-003 pages list the same tables.
 *
 * A workload escapes when it is privileged, shares the host's PID namespace,
 * mounts a host path from the table below, or adds an escape-grade capability.
 * hostNetwork alone does not: it reaches the node's network (and its metadata
 * service), not its files or the pods' tokens; with NET_ADMIN it does.
 */
#include <strings.h>

#include "model/model.h"

static const char *const *list(const tm_node *w, const char *key)
{
	const tm_attr *a = tm_node_attr_get(w, key);
	return a && a->type == TM_ATTR_LIST ? a->list : NULL;
}

static bool has_item(const tm_node *w, const char *key, const char *item)
{
	const char *const *l = list(w, key);
	for (size_t i = 0; l && l[i]; i++)
		if (strcmp(l[i], item) == 0)
			return true;
	return false;
}

bool tm_escape_shares_host(const tm_node *w, const char *ns)
{
	static const char *const compose[][2] = {
		{"hostPID", "pid: host"}, {"hostNetwork", "network_mode: host"}, {"hostIPC", "ipc: host"}};
	for (size_t i = 0; i < TM_ARRAY_LEN(compose); i++)
		if (strcmp(ns, compose[i][0]) == 0 && has_item(w, "host_namespaces", compose[i][1]))
			return true;
	return has_item(w, "host_namespaces", ns);
}

/*
 * Host paths that hand over the node, as the path or anything under it ("/" only as itself):
 *
 *   path                                  what it gives
 *   /                                     every file of the node
 *   /etc, /etc/kubernetes, /etc/cron*,    the kubelet's credentials, cron and units: code as root
 *     /etc/systemd
 *   /var/lib/kubelet                      every pod's service-account token and secret volumes
 *   /var/lib/docker, /var/lib/containerd, the container runtime's state and sockets
 *     /run, /var/run, /run/containerd, /var/run/containerd, /run/crio, /var/run/crio, /var/run/docker
 *   any *.sock                            a runtime or agent socket
 *   /proc/sys, /sys/kernel, /dev, /boot   kernel parameters (core_pattern, uevent_helper), devices
 *   /root; its .ssh, .kube, .docker, .aws root's keys and cluster, registry and cloud credentials,
 *     .bashrc and .profile                and what runs when root logs in (an application's data
 *                                         directory under /root is not: /root/n8n/.n8n)
 *
 * Not on the list: /proc and /sys themselves (node exporters read them), /var/log, /etc/localtime,
 * /etc/ssl, /var/lib/docker/containers (log shippers read these).
 */
static const struct {
	const char *path;
	bool under; /* the path or anything below it */
} escape_paths[] = {
	{"/", false},
	{"/etc", false},
	{"/etc/kubernetes", true},
	{"/etc/cron.d", true},
	{"/etc/crontab", false},
	{"/etc/systemd", true},
	{"/var", false},
	{"/var/lib", false},
	{"/var/lib/kubelet", true},
	{"/var/lib/docker", false},
	{"/var/lib/containerd", true},
	{"/run", false},
	{"/var/run", false},
	{"/run/containerd", true},
	{"/var/run/containerd", true},
	{"/run/crio", true},
	{"/var/run/crio", true},
	{"/run/docker", true},
	{"/var/run/docker", true},
	{"/proc/sys", true},
	{"/sys/kernel", true},
	{"/dev", true},
	{"/boot", true},
	{"/root", false},
	{"/root/.ssh", true},
	{"/root/.kube", true},
	{"/root/.docker", true},
	{"/root/.aws", true},
	{"/root/.bashrc", false},
	{"/root/.profile", false},
};

/* Is host path p (trailing slashes aside) a socket: a runtime's or an agent's API? */
static bool socket_path(const char *p, size_t *len)
{
	*len = strlen(p);
	while (*len > 1 && p[*len - 1] == '/') /* "/var/run/" is "/var/run" */
		(*len)--;
	return *len >= 5 && memcmp(p + *len - 5, ".sock", 5) == 0;
}

bool tm_escape_root_user(const char *u)
{
	size_t n = u ? strcspn(u, ":") : 0;
	return (n == 4 && strncmp(u, "root", 4) == 0) || (n == 1 && u[0] == '0');
}

bool tm_escape_host_path(const char *p)
{
	if (!p || !*p)
		return false;
	size_t len;
	if (socket_path(p, &len))
		return true;
	for (size_t i = 0; i < TM_ARRAY_LEN(escape_paths); i++) {
		size_t l = strlen(escape_paths[i].path);
		if (len == l && memcmp(p, escape_paths[i].path, l) == 0)
			return true;
		if (escape_paths[i].under && len > l && memcmp(p, escape_paths[i].path, l) == 0 && p[l] == '/')
			return true;
	}
	return false;
}

bool tm_escape_time_zone_path(const char *p)
{
	static const char *const files[] = {"/etc/localtime", "/etc/timezone", "/usr/share/zoneinfo"};
	size_t len = p ? strlen(p) : 0;
	while (len > 1 && p[len - 1] == '/')
		len--;
	if (len && strstr(p, "/..")) /* /usr/share/zoneinfo/../../..: not the time zone */
		return false;
	for (size_t i = 0; i < TM_ARRAY_LEN(files); i++) {
		size_t l = strlen(files[i]);
		if (len >= l && memcmp(p, files[i], l) == 0 && (len == l || (i == 2 && p[l] == '/')))
			return true;
	}
	return false;
}

/* Is host path p a data directory of the host's own (/srv/app/logs, /mydata/mysql, /opt/app): not
 * under a directory the system keeps (/etc, /var, /usr, /home, /root, /proc...)? */
bool tm_escape_data_dir(const char *p)
{
	static const char *const system[] = {"etc", "proc", "sys", "dev", "run", "var", "usr", "lib", "lib32",
					     "lib64", "bin", "sbin", "boot", "root", "home", "snap", "nix", "Users",
					     "mnt", "media", "tmp", "Volumes", "private"};
	/* the user's home: an application's own directory there (~/.jitsi-meet-cfg, ~/n8n-data) is its
	 * data; the user's keys, cloud credentials and login scripts are not */
	static const char *const home_keys[] = {".ssh", ".kube", ".docker", ".aws", ".azure", ".gnupg", ".config",
						".local", ".bashrc", ".bash_profile", ".profile", ".zshrc", ".netrc"};
	if (p[0] == '~' && p[1] == '/') {
		size_t n = strcspn(p + 2, "/");
		if (!n || strstr(p + 2, "/.") || strstr(p, "//") || (p[2] == '.' && (n == 1 || (n == 2 && p[3] == '.'))))
			return false;
		for (size_t i = 0; i < TM_ARRAY_LEN(home_keys); i++)
			if (strlen(home_keys[i]) == n && strncmp(p + 2, home_keys[i], n) == 0)
				return false;
		return true;
	}
	if (p[0] != '/' || strstr(p, "/.") || strstr(p, "//")) /* /srv/../etc, /./etc, /data/.ssh */
		return false;
	size_t n = strcspn(p + 1, "/");
	if (!n)
		return false; /* "/" */
	for (size_t i = 0; i < TM_ARRAY_LEN(system); i++)
		if (strlen(system[i]) == n && strncmp(p + 1, system[i], n) == 0)
			return false;
	return true;
}

/*
 * Added capabilities that are an escape (docs/rules/TM-CTR-003.md says the same): on their own, or
 * with the host namespace or mount that turns them into one.
 *
 *   capability       escape when        why
 *   ALL, SYS_ADMIN   always             mount, cgroup release_agent, most of root
 *   SYS_MODULE       always             loads a kernel module: code in the host kernel
 *   SYS_RAWIO        always             raw I/O ports and /dev/mem
 *   DAC_READ_SEARCH  always             open_by_handle_at reads host files (the "shocker" escape)
 *   BPF              always             kernel programs, kernel memory reads
 *   MAC_ADMIN        always             rewrites the LSM (AppArmor, SELinux) policy confining it
 *   SYS_PTRACE       with hostPID       ptrace and inject into the node's processes
 *   SYS_BOOT         with hostPID       reboots or kexecs the node
 *   NET_ADMIN        with hostNetwork   rewrites the node's routes and iptables
 *   DAC_OVERRIDE     with a hostPath    writes any host file the mount exposes, whatever its mode
 */
static const struct {
	const char *cap, *needs; /* needs: a host namespace, "hostPath", or NULL for always */
} escape_caps[] = {
	{"ALL", NULL},
	{"SYS_ADMIN", NULL},
	{"SYS_MODULE", NULL},
	{"SYS_RAWIO", NULL},
	{"DAC_READ_SEARCH", NULL},
	{"BPF", NULL},
	{"MAC_ADMIN", NULL},
	{"SYS_PTRACE", "hostPID"},
	{"SYS_BOOT", "hostPID"},
	{"NET_ADMIN", "hostNetwork"},
	{"DAC_OVERRIDE", "hostPath"},
};

bool tm_escape_cap(const tm_node *w, const char *cap)
{
	if (strncasecmp(cap, "CAP_", 4) == 0)
		cap += 4;
	for (size_t i = 0; i < TM_ARRAY_LEN(escape_caps); i++) {
		if (strcasecmp(cap, escape_caps[i].cap) != 0)
			continue;
		const char *needs = escape_caps[i].needs;
		return !needs || (strcmp(needs, "hostPath") == 0 ? list(w, "host_paths") != NULL
								 : tm_escape_shares_host(w, needs));
	}
	return false;
}

/* The located fact (key, value) on w, or no place. */
static tm_loc fact_loc(const tm_node *w, const char *key, const char *value)
{
	for (size_t i = 0; i < tm_node_fact_count(w); i++) {
		const tm_fact_loc *f = tm_node_fact(w, i);
		if (strcmp(f->key, key) == 0 && strcmp(f->value, value) == 0)
			return f->loc;
	}
	tm_loc none = {NULL, 0, 0, NULL};
	return none;
}

/* Root kept out of w's pod for good: no container as root, none allowed to gain privileges back (a
 * setuid binary, a file's capabilities). A capability added to such a container is not in its
 * process's effective set: Kubernetes sets no ambient capabilities, and without privilege
 * escalation no file capability is taken on either (node-exporter's SYS_TIME as user 65534). A
 * compose service's user is the image's unless said: not known to be kept out. */
static bool root_kept_out(const tm_node *w)
{
	const char *wk = tm_node_attr_str(w, "workload");
	return wk && strcmp(wk, "compose-service") != 0 && !list(w, "runs_as_root") && !list(w, "root_not_excluded") &&
	       !list(w, "privilege_escalation");
}

bool tm_escape_read_only(const tm_node *w, const char *path)
{
	size_t n;
	if (!path || socket_path(path, &n) || !root_kept_out(w))
		return false;
	const char *const *rw = list(w, "host_paths_writable");
	for (size_t i = 0; rw && rw[i]; i++)
		if (strcmp(rw[i], path) == 0)
			return false;
	const char *const *ro = list(w, "host_paths_read_only");
	for (size_t i = 0; ro && ro[i]; i++)
		if (strcmp(ro[i], path) == 0)
			return true;
	return false;
}

bool tm_escape_of(const tm_node *w, tm_escape *out)
{
	memset(out, 0, sizeof(*out));
	const char *const *l = list(w, "privileged");
	if (l && l[0]) {
		out->why = "privileged";
		out->what = l[0];
		out->at = fact_loc(w, "privileged", l[0]);
		return true;
	}
	/* a runtime socket first: the container runtime's API is the node whatever else is mounted (a
	 * read-only "/" beside it only reads the node) */
	l = list(w, "host_paths");
	for (int sock = 1; sock >= 0; sock--)
		for (size_t i = 0; l && l[i]; i++) {
			size_t n;
			if (socket_path(l[i], &n) == (sock == 1) && tm_escape_host_path(l[i]) && !tm_escape_read_only(w, l[i])) {
				out->why = "host path";
				out->what = l[i];
				out->at = fact_loc(w, "host_paths", l[i]);
				return true;
			}
		}
	l = list(w, "capabilities_added");
	for (size_t i = 0; l && l[i]; i++) {
		const char *cap = strchr(l[i], ':'); /* "container:CAP" */
		if (tm_escape_cap(w, cap ? cap + 1 : l[i])) {
			out->why = "capability";
			out->what = l[i];
			out->at = fact_loc(w, "capabilities_added", l[i]);
			return true;
		}
	}
	/* the host's PID namespace is read through /proc/<pid>/: another user's environment and memory
	 * there are closed to a process that is not root and cannot become it (and holds no
	 * SYS_PTRACE, an escape above): node-exporter as 65534 lists the node's processes only */
	static const char *const pid[] = {"hostPID", "pid: host"};
	for (size_t i = 0; i < TM_ARRAY_LEN(pid) && !root_kept_out(w); i++)
		if (has_item(w, "host_namespaces", pid[i])) {
			out->why = "host PID namespace";
			out->what = pid[i];
			out->at = fact_loc(w, "host_namespaces", pid[i]);
			return true;
		}
	return false;
}
