/*
 * helm_binary.c - a chart rendered by the `helm` program instead of the native engine, when the
 * user asks for it (scan --helm=binary): `helm template release-name DIR --namespace default
 * [-f VALUES]...` run without a shell, its standard output read (bounded by the file-size limit
 * and a deadline), split into manifests at helm's "# Source: CHART/templates/FILE" comments.
 *
 * The manifests come back as tm_helm_render's do. helm prints the template each manifest came
 * from but not the lines, so a manifest's line map names the template with no line (locations
 * then show the template's path and the line in helm's output). helm reads the chart from disk:
 * only charts on disk (a scan of a directory) can be rendered this way, and it is run with an
 * empty environment but PATH and HOME, so no plugin or repository setting of the user's leaks in.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "render/helm.h"

extern char **environ;

#define HELM_DEADLINE_MS 60000
#define MAX_ARGS 64

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static void diag(const tm_helm_opts *o, tm_level level, int code, const char *fmt, const char *a, const char *b)
{
	const char *dir = o->display_dir ? o->display_dir : o->chart_dir;
	tm_loc at = {dir && *dir ? dir : ".", 0, 0, NULL};
	tm_diag_add(o->diags, code, level, at, fmt, a, b);
}

/* Run argv, its stdout into *buf (at most max bytes), stderr's first line into err. The exit
 * status, or -1 when it could not run, ran out of time or wrote too much (why says which). */
static int run(char *const argv[], size_t max, char **buf, size_t *len, char *err, size_t errcap, const char **why)
{
	int out[2], er[2];
	*buf = NULL;
	*len = 0;
	err[0] = '\0';
	if (pipe(out) || pipe(er)) {
		*why = "no pipe";
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, er[1], 2);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	posix_spawn_file_actions_addclose(&fa, er[0]);
	const char *path = getenv("PATH"), *home = getenv("HOME");
	char envpath[4096], envhome[4096];
	tm_formatf(envpath, sizeof(envpath), "PATH=%s", path ? path : "/usr/bin:/bin");
	tm_formatf(envhome, sizeof(envhome), "HOME=%s", home ? home : "/nonexistent");
	char *env[] = {envpath, envhome, NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(er[1]);
	if (rc) {
		close(out[0]);
		close(er[0]);
		*why = "cannot run helm";
		return -1;
	}
	size_t cap = 0, elen = 0;
	bool over = false, late = false, oom = false;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pollfd fds[2] = {{out[0], POLLIN, 0}, {er[0], POLLIN, 0}};
	int open_fds = 2;
	while (open_fds && !over && !late && !oom) {
		long left = HELM_DEADLINE_MS - elapsed_ms(&t0);
		if (left <= 0 || poll(fds, 2, (int)left) <= 0) {
			late = true;
			break;
		}
		for (int k = 0; k < 2; k++) {
			if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char chunk[65536];
			ssize_t n = read(fds[k].fd, chunk, sizeof(chunk));
			if (n <= 0) {
				close(fds[k].fd);
				fds[k].fd = -1;
				open_fds--;
				continue;
			}
			if (k == 1) {
				size_t take = (size_t)n < errcap - 1 - elen ? (size_t)n : errcap - 1 - elen;
				memcpy(err + elen, chunk, take);
				elen += take;
				err[elen] = '\0';
				continue;
			}
			if (*len + (size_t)n > max) {
				over = true;
				break;
			}
			if (*len + (size_t)n + 1 > cap) {
				size_t want = cap ? cap * 2 : 1 << 16;
				while (want < *len + (size_t)n + 1)
					want *= 2;
				char *nb = tm_realloc(*buf, want);
				if (!nb) {
					oom = true;
					break;
				}
				*buf = nb;
				cap = want;
			}
			memcpy(*buf + *len, chunk, (size_t)n);
			*len += (size_t)n;
			(*buf)[*len] = '\0';
		}
	}
	for (int k = 0; k < 2; k++)
		if (fds[k].fd >= 0)
			close(fds[k].fd);
	if (over || late || oom)
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	char *nl = strchr(err, '\n');
	if (nl)
		*nl = '\0';
	if (over || late || oom) {
		*why = over ? "its output is over the file-size limit" : late ? "it ran past 60 seconds" : "out of memory";
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The template a "# Source: CHART/templates/x.yaml" comment names, as a display path under dir. */
static const char *source_path(tm_arena *a, const char *dir, const char *line, size_t n)
{
	const char *p = memchr(line, '/', n); /* drop helm's chart name: it prints CHART/templates/... */
	if (!p)
		return NULL;
	p++;
	return tm_arena_printf(a, "%s%s%.*s", dir, *dir ? "/" : "", (int)(n - (size_t)(p - line)), p);
}

static int add_manifest(tm_helm_out *h, size_t *cap, const char *path, const char *text, size_t len)
{
	size_t blank = 0;
	while (blank < len && (text[blank] == ' ' || text[blank] == '\n' || text[blank] == '\r' || text[blank] == '\t'))
		blank++;
	if (blank == len || !path)
		return 0;
	if (h->count == *cap) {
		size_t ncap = *cap ? 2 * *cap : 16;
		tm_helm_manifest *nm = tm_arena_alloc(h->arena, ncap * sizeof(*nm));
		if (!nm)
			return TM_ENOMEM;
		if (h->count)
			memcpy(nm, h->manifests, h->count * sizeof(*nm));
		h->manifests = nm;
		*cap = ncap;
	}
	/* lines counted once: every line maps to the template, its line unknown (0) */
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	const char **paths = tm_arena_alloc(h->arena, lines * sizeof(char *));
	uint32_t *nums = tm_arena_alloc(h->arena, lines * sizeof(uint32_t));
	char *copy = tm_arena_strndup(h->arena, text, len);
	if (!paths || !nums || !copy)
		return TM_ENOMEM;
	for (size_t i = 0; i < lines; i++)
		paths[i] = path, nums[i] = 0;
	tm_helm_manifest *m = &h->manifests[h->count++];
	memset(m, 0, sizeof(*m));
	m->path = path;
	m->text = copy;
	m->len = len;
	m->line_paths = paths;
	m->lines = nums;
	m->nlines = lines;
	m->test_hook = strstr(path, "/templates/tests/") != NULL;
	return 0;
}

int tm_helm_render_binary(const char *helm, const tm_helm_opts *o, tm_helm_out **out)
{
	*out = NULL;
	if (o->fs || !o->root)
		return TM_EUNSUPPORTED;
	tm_limits lim;
	if (o->limits)
		lim = *o->limits;
	else
		tm_limits_default(&lim);
	const char *dir = o->display_dir ? o->display_dir : o->chart_dir;
	char chart[4096];
	tm_formatf(chart, sizeof(chart), "%s%s%s", o->root, *o->chart_dir ? "/" : "", o->chart_dir);
	char *argv[MAX_ARGS + 8];
	char vals[MAX_ARGS][4096];
	size_t na = 0;
	argv[na++] = (char *)helm;
	argv[na++] = "template";
	argv[na++] = (char *)(o->release_name ? o->release_name : "release-name");
	argv[na++] = chart;
	argv[na++] = "--namespace";
	argv[na++] = (char *)(o->release_namespace ? o->release_namespace : "default");
	size_t nv = 0;
	for (size_t i = 0; i < o->nvalues_files && nv < MAX_ARGS / 2; i++, nv++) {
		tm_formatf(vals[nv], sizeof(vals[nv]), "%s/%s", o->root, o->values_files[i]);
		argv[na++] = "-f";
		argv[na++] = vals[nv];
	}
	/* one argument each (no shell), a comma in the value escaped as Argo CD does: helm splits at them */
	for (size_t i = 0; i < o->nsets && nv < MAX_ARGS / 2; i++, nv++) {
		size_t k = (size_t)tm_formatf(vals[nv], sizeof(vals[nv]) - 1, "%s=", o->sets[i].name);
		k = k < sizeof(vals[nv]) - 2 ? k : sizeof(vals[nv]) - 2;
		for (const char *v = o->sets[i].value ? o->sets[i].value : ""; *v && k + 2 < sizeof(vals[nv]); v++) {
			if (*v == ',')
				vals[nv][k++] = '\\';
			vals[nv][k++] = *v;
		}
		vals[nv][k] = '\0';
		argv[na++] = o->sets[i].as_string ? "--set-string" : "--set";
		argv[na++] = vals[nv];
	}
	argv[na] = NULL;
	char *text = NULL, err[512];
	size_t len = 0;
	const char *why = NULL;
	int status = run(argv, lim.max_file_bytes, &text, &len, err, sizeof(err), &why);
	if (status != 0) {
		char msg[700];
		tm_formatf(msg, sizeof(msg), "%s", why ? why : err[0] ? err : "helm template failed");
		diag(o, TM_LEVEL_ERROR, TM_EIO, "helm template (--helm=binary) did not render the chart: %s%s", msg, "");
		tm_free(text);
		return why && strcmp(why, "out of memory") == 0 ? TM_ENOMEM : TM_EPARSE;
	}
	tm_helm_out *h = tm_calloc(1, sizeof(*h));
	if (!h || !(h->arena = tm_arena_new())) {
		tm_free(h);
		tm_free(text);
		return TM_ENOMEM;
	}
	/* split at "# Source: ..." lines; what precedes the first belongs to none */
	size_t cap = 0;
	const char *path = NULL, *body = text ? text : "";
	int rc = 0;
	for (const char *line = body; text && line < text + len && !rc;) {
		const char *nl = memchr(line, '\n', (size_t)(text + len - line));
		const char *next = nl ? nl + 1 : text + len;
		size_t ll = (size_t)((nl ? nl : text + len) - line);
		if (ll > 10 && memcmp(line, "# Source: ", 10) == 0) {
			rc = add_manifest(h, &cap, path, body, (size_t)(line - body));
			path = source_path(h->arena, dir, line + 10, ll - 10);
			body = next;
		}
		line = next;
	}
	if (!rc && text)
		rc = add_manifest(h, &cap, path, body, (size_t)(text + len - body));
	tm_free(text);
	/* every file under the chart is helm's: the caller treats them as read */
	h->consumed = NULL;
	h->nconsumed = 0;
	if (rc || tm_arena_failed(h->arena)) {
		tm_helm_out_free(h);
		return TM_ENOMEM;
	}
	*out = h;
	return 0;
}
