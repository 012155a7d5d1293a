/*
 * cmd_serve.c - trustmap serve [PATH] [--listen HOST:PORT] [--store URL] [--read-only]
 * Scans PATH, settles the findings with the register, and serves the model, the register and the
 * history until interrupted (SIGINT, SIGTERM).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "trustmap/serve.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static bool should_stop(void *ud)
{
	(void)ud;
	return stopping != 0;
}

static void listening(const char *url, void *ud)
{
	fprintf(stderr, "trustmap: serving %s/%s (Ctrl-C stops)\n", url, *(bool *)ud ? " read-only" : "");
}

typedef struct {
	const char *listen, *store;
	bool read_only, no_store;
	tm_cli_walk walk;
} serve_opts;

static const tm_opt options[] = {
	TM_OPT_WALK(serve_opts, walk),
	TM_OPT_STR(serve_opts, "--listen", 0, listen, "HOST:PORT",
		   "an IP address and port (default 127.0.0.1:8080; port 0: any free one;\n"
		   "IPv6 as [::1]:8080)"),
	TM_OPT_STR(serve_opts, "--store", 0, store, "URL", "the register (default: under $XDG_STATE_HOME/trustmap)"),
	TM_OPT_BOOL(serve_opts, "--read-only", read_only, "show, never record"),
	TM_OPT_BOOL(serve_opts, "--no-store", no_store, "accepted for scripts, but serve needs a register: exit 4"),
};

static const tm_cli_spec spec = TM_CLI_SPEC("serve", "serve [PATH] [options]",
	"Serve the model of PATH (default .), its register and its history as web pages: the\n"
	"diagram and findings, decisions (accept, mitigated, false positive) recorded like the CLI's,\n"
	"history charts. Binds to loopback; refuses requests for any other Host (DNS rebinding);\n"
	"forms need a per-session CSRF token.",
	options, SIZE_MAX, NULL);

/* "HOST:PORT", "[V6]:PORT" or ":PORT"; false when malformed. */
static bool parse_listen(const char *s, char *host, size_t len, unsigned *port)
{
	const char *colon;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= len)
			return false;
		snprintf(host, len, "%.*s", (int)(close - s - 1), s + 1);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= len)
			return false;
		snprintf(host, len, "%.*s", (int)(colon - s), s);
		if (!host[0])
			snprintf(host, len, "127.0.0.1");
	}
	char *end = NULL;
	long p = strtol(colon + 1, &end, 10);
	if (!colon[1] || !end || *end || p < 0 || p > 65535)
		return false;
	*port = (unsigned)p;
	return true;
}

/* Where to listen and what to serve, from the options. */
typedef struct {
	serve_opts o;
	const char *path; /* default . */
	char host[64];
	unsigned port;
} serve_args;

/* Returns 0, TM_CLI_HELP, or the exit code of a usage error or of --no-store. */
static int parse_options(serve_args *a, int argc, char **argv)
{
	tm_cli_list pos;
	int prc = tm_cli_parse(&spec, argc, argv, &a->o, &pos);
	const char *path = pos.n ? pos.items[0] : NULL;
	size_t npos = pos.n;
	free(pos.items); /* path keeps the argv string; the option lists (--exclude) live to the end */
	if (prc)
		return prc;
	if (npos > 1)
		return tm_cli_usage_error("serve: one PATH at most");
	if (a->o.no_store) {
		fprintf(stderr, "trustmap: serve needs a register: --no-store given (pass --store URL)\n");
		return TM_EXIT_STORE;
	}
	if (!parse_listen(a->o.listen, a->host, sizeof(a->host), &a->port))
		return tm_cli_usage_error("serve: --listen takes HOST:PORT (an IP address), not '%s'", a->o.listen);
	a->path = path ? path : ".";
	return TM_EXIT_OK;
}

/* Open the register (serve needs one) and settle the analysis's findings with it. */
static int open_register(tm_cli_store *cs, const serve_args *a, tm_analysis *an)
{
	const char *roots[] = {a->path};
	tm_cli_store_opts so = {a->o.store, false, roots, 1, false};
	int rc = a->o.read_only ? tm_cli_store_open_read_only(cs, &so) : tm_cli_store_open(cs, &so);
	if (rc)
		return rc;
	if (!cs->store) {
		fprintf(stderr, "trustmap: serve needs a register: TRUSTMAP_STORE is 'none' (pass --store URL)\n");
		return TM_EXIT_STORE;
	}
	return tm_cli_store_settle(cs, an);
}

/* Serve until SIGINT or SIGTERM; prints why it could not. */
static int serve_until_stopped(serve_args *a, tm_cli_store *cs, tm_analysis *an)
{
	if (strcmp(a->host, "127.0.0.1") != 0 && strcmp(a->host, "::1") != 0)
		fprintf(stderr, "trustmap: warning: listening on %s, not loopback: anyone who can reach it sees the model%s\n",
			a->host, a->o.read_only ? "" : " and can record decisions with a session of their own");
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	char title[256];
	const char *slash = strrchr(cs->root, '/');
	snprintf(title, sizeof(title), "%.200s", slash && slash[1] ? slash + 1 : cs->root);
	tm_serve_opts opts = {a->host, a->port, a->o.read_only, title, an, cs->store, tm_cli_store_display(cs),
			      cs->root, cs->today, tm_cli_who(), cs->now, listening, should_stop, &a->o.read_only};
	char why[256] = "";
	int src = tm_serve(&opts, why, sizeof(why));
	if (src) {
		fprintf(stderr, "trustmap: serve: %s\n", why[0] ? why : tm_strerror(src));
		return src == TM_EUSAGE ? TM_EXIT_USAGE : TM_EXIT_INPUT;
	}
	return TM_EXIT_OK;
}

int tm_cmd_serve(int argc, char **argv)
{
	serve_args a = {.o = {.listen = "127.0.0.1:8080"}};
	int rc = parse_options(&a, argc, argv);
	if (rc) {
		tm_cli_done(&spec, &a.o, NULL);
		return rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
	}
	const char *roots[] = {a.path};
	tm_analysis *an = NULL;
	tm_cli_store cs;
	memset(&cs, 0, sizeof(cs));
	if ((rc = tm_cli_analysis(&an, roots, 1, NULL, true, &a.o.walk)) || (rc = open_register(&cs, &a, an)))
		goto done;
	rc = serve_until_stopped(&a, &cs, an);
done:
	tm_cli_store_close(&cs);
	tm_analysis_free(an);
	tm_cli_done(&spec, &a.o, NULL);
	return rc;
}
