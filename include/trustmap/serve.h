/*
 * trustmap/serve.h - the local web UI (libmicrohttpd): the latest model with its diagram and
 * findings, the register with its decisions (accept, mitigated, false positive, open: recorded
 * like the CLI's), and the history with charts.
 *
 * Safe by default: it binds to loopback; a request whose Host header is not the listen address
 * is refused (DNS rebinding); every state-changing request needs the session's CSRF token and
 * a same-origin Origin when the browser sends one; a read-only mode takes no decisions; every page
 * is generated in memory, so no request can read a file; strict security headers on every response.
 */
#ifndef TRUSTMAP_SERVE_H
#define TRUSTMAP_SERVE_H

#include <stdbool.h>
#include <stdint.h>

#include "trustmap/analysis.h"
#include "trustmap/findings.h"
#include "trustmap/paths.h"
#include "trustmap/scan.h"
#include "trustmap/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	const char *host;       /* an IPv4 or IPv6 literal; "127.0.0.1" by default */
	unsigned port;          /* 0: any free port (the one chosen is reported) */
	bool read_only;
	const char *title;      /* the system's name */
	tm_analysis *analysis;  /* what is shown; its findings are re-settled after each decision */
	tm_store *store;        /* the register */
	const char *store_display;
	const char *root, *today, *who;
	int64_t now;
	/* Called once listening, with the URL (for the CLI to print); and polled: serving stops when it
	 * returns true. */
	void (*listening)(const char *url, void *ud);
	bool (*stop)(void *ud);
	void *ud;
} tm_serve_opts;

/* Serve until opts->stop says so. 0, TM_EUSAGE (a listen address that is not an IP literal),
 * TM_EIO (cannot listen: the message in why), or TM_ENOMEM. */
int tm_serve(const tm_serve_opts *opts, char *why, size_t why_len);

#ifdef __cplusplus
}
#endif
#endif
