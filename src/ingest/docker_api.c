/*
 * docker_api.c - the Docker Engine API a workload serves over TCP without asking for a client
 * certificate: whoever reaches it starts a privileged container mounting the host's root.
 *
 * Read from what the store probe already collected (stores.c: images, environment, command-line
 * words, each with its place), once per workload when the probe finishes:
 *
 *   the official image's dind variants (docker:dind, docker:27-dind, docker:dind-rootless; any
 *   registry or path ending in "docker", a tag holding "dind"), started as its entrypoint starts
 *   dockerd (no command, or one whose first word is a flag):
 *       DOCKER_TLS_CERTDIR set and not empty (the image's default, /certs, from 19.03 on)
 *                            -> tcp://0.0.0.0:2376 with --tlsverify: quiet
 *       DOCKER_TLS_CERTDIR="" (or a tag before 19.03, which set none)
 *                            -> tcp://0.0.0.0:2375, no TLS: a docker_api_listen fact
 *   any container running dockerd whose command line names a TCP host
 *       (-H / --host, "tcp://ADDR:PORT", "ADDR:PORT", "tcp://:PORT")
 *                            -> a docker_api_listen fact unless --tlsverify is given (plain --tls
 *                               encrypts but asks no client for a certificate)
 *
 * Each fact is "ADDR:PORT" (0.0.0.0 when the address is left out) at the line that decides it, with
 * a docker_api_plaintext fact saying why at the same place (a listener with --tlsverify, the dind
 * default on 2376 included, is a docker_api_tls fact: TM-PATH-001 takes no path through it); TM-MESH-008 judges it with the ports
 * the workload publishes, as it judges Kong's and Envoy's admin listeners. A value the files do not
 * give (DOCKER_TLS_CERTDIR passed through from the shell) leaves the image's default: TLS.
 * Linear in the probe's entries (at most 48).
 */
#include <stdio.h>

#include "ingest.h"

/* Is image the official Docker image's dind variant (repository "docker", tag naming dind)? */
bool tm_ingest__dind_image(const char *image)
{
	if (!image)
		return false;
	size_t end = strcspn(image, "@");
	const char *slash = NULL;
	for (const char *p = image; p < image + end; p++)
		slash = *p == '/' ? p : slash;
	const char *repo = slash ? slash + 1 : image;
	size_t rl = strcspn(repo, ":@");
	if (rl != 6 || strncmp(repo, "docker", 6) != 0 || repo[6] != ':')
		return false;
	const char *tag = repo + 7;
	size_t tl = strcspn(tag, "@");
	for (size_t i = 0; i + 4 <= tl; i++)
		if (strncmp(tag + i, "dind", 4) == 0)
			return true;
	return false;
}

/* Did the dind image's tag come before 19.03, which turned TLS on by default ("18.09-dind")? */
static bool tag_before_tls(const char *image)
{
	const char *colon = strrchr(image, ':');
	const char *t = colon ? colon + 1 : "";
	long major = 0, minor = 0;
	size_t i = 0;
	for (; t[i] >= '0' && t[i] <= '9' && major < 1000; i++)
		major = major * 10 + (t[i] - '0');
	if (!i)
		return false; /* "dind", "stable-dind": the current image */
	if (t[i] == '.')
		for (i++; t[i] >= '0' && t[i] <= '9' && minor < 1000; i++)
			minor = minor * 10 + (t[i] - '0');
	return major < 19 || (major == 19 && minor < 3);
}

/* The base name of program word w ("/usr/local/bin/dockerd" -> "dockerd"). */
static bool is_program(const char *w, const char *name)
{
	const char *slash = strrchr(w, '/');
	return strcmp(slash ? slash + 1 : w, name) == 0;
}

/* A dockerd host value as "ADDR:PORT" (NULL for unix://, fd://, a variable and what is no address). */
static const char *tcp_listen(tm_arena *a, const char *v)
{
	if (!v || !*v || (strstr(v, "://") && strncmp(v, "tcp://", 6) != 0))
		return NULL;
	if (strncmp(v, "tcp://", 6) == 0)
		v += 6;
	size_t n = strcspn(v, "/ \t\"'");
	if (strcspn(v, "${") < n) /* a variable the scan does not expand */
		return NULL;
	const char *colon = NULL;
	for (size_t i = 0; i < n; i++)
		colon = v[i] == ':' ? v + i : colon;
	if (!colon && !n)
		return NULL;
	const char *host = v;
	size_t hl = colon ? (size_t)(colon - v) : n;
	const char *port = colon ? colon + 1 : "2375";
	size_t pl = colon ? n - hl - 1 : 4;
	if (!pl)
		return NULL;
	for (size_t i = 0; i < pl; i++)
		if (port[i] < '0' || port[i] > '9')
			return NULL;
	return tm_arena_printf(a, "%.*s:%.*s", hl ? (int)hl : 7, hl ? host : "0.0.0.0", (int)pl, port);
}

static void say(tm_store_probe *p, const char *listen, const char *why, tm_loc at)
{
	if (!listen || !why) {
		tm_arena_set_failed(p->ctx->scratch);
		return;
	}
	tm_mb_node_fact(p->ctx->mb, p->workload, "docker_api_listen", listen, at);
	tm_mb_node_fact(p->ctx->mb, p->workload, "docker_api_plaintext", why, at);
}

/* The command line's own dockerd listeners: a -H/--host value over TCP, without --tlsverify. */
static void dockerd_flags(tm_store_probe *p, size_t from, size_t to, bool dind_defaults)
{
	bool dockerd = dind_defaults, verify = false;
	for (size_t i = from; i < to; i++) {
		const char *w = p->env[i].which == 'a' ? p->env[i].text : NULL;
		if (!w)
			continue;
		dockerd |= is_program(w, "dockerd");
		if (strcmp(w, "--tlsverify") == 0 || strcmp(w, "--tlsverify=true") == 0)
			verify = true;
	}
	if (!dockerd)
		return;
	for (size_t i = from; i < to; i++) {
		const char *w = p->env[i].which == 'a' ? p->env[i].text : NULL;
		if (!w)
			continue;
		const char *v = NULL;
		if (strncmp(w, "--host=", 7) == 0 || strncmp(w, "-H=", 3) == 0)
			v = strchr(w, '=') + 1;
		else if ((strcmp(w, "-H") == 0 || strcmp(w, "--host") == 0) && i + 1 < to && p->env[i + 1].which == 'a')
			v = p->env[i + 1].text;
		else if (strncmp(w, "-Htcp://", 8) == 0)
			v = w + 2;
		const char *listen = v ? tcp_listen(p->ctx->scratch, v) : NULL;
		if (listen && verify)
			tm_mb_node_fact(p->ctx->mb, p->workload, "docker_api_tls", listen, p->env[i].loc);
		else if (listen)
			say(p, listen, tm_arena_printf(p->ctx->scratch, "dockerd %s %s without --tlsverify", w[1] == 'H' ? "-H" : "--host", v),
			    p->env[i].loc);
	}
}

void tm_ingest__docker_api(tm_store_probe *p)
{
	if (!p->workload)
		return;
	size_t to = p->dind && p->dind_to ? p->dind_to : p->n;
	if (!p->dind) {
		dockerd_flags(p, 0, p->n, false);
		return;
	}
	/* the dind container: its entrypoint adds dockerd's listeners when its first word is a flag */
	const char *first = NULL;
	const char *certdir = NULL; /* its value; "\x1f" passed through from outside */
	tm_loc certdir_at = p->dind_at;
	for (size_t i = p->dind_from; i < to; i++) {
		const char *t = p->env[i].text;
		if (p->env[i].which == 'a' && !first && t)
			first = t;
		if (p->env[i].which == 'e' && t && strncmp(t, "DOCKER_TLS_CERTDIR=", 19) == 0) {
			certdir = t + 19;
			certdir_at = p->env[i].loc;
		}
	}
	bool defaults = !first || first[0] == '-';
	dockerd_flags(p, p->dind_from, to, defaults);
	if (!defaults)
		return;
	if (certdir && !*certdir)
		say(p, "0.0.0.0:2375", "DOCKER_TLS_CERTDIR is empty: the dind image's dockerd listens on tcp://0.0.0.0:2375 without TLS",
		    certdir_at);
	else if (!certdir && tag_before_tls(p->dind))
		say(p, "0.0.0.0:2375",
		    tm_arena_printf(p->ctx->scratch, "%s: dind images before 19.03 listen on tcp://0.0.0.0:2375 without TLS", p->dind),
		    p->dind_at);
	else /* the image's default, or a directory named: certificates, and clients must show theirs */
		tm_mb_node_fact(p->ctx->mb, p->workload, "docker_api_tls", "0.0.0.0:2376", certdir_at);
}
