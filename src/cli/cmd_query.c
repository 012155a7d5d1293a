/*
 * cmd_query.c - trustmap query can SOURCE DESTINATION | who-can-call DESTINATION
 *               [PATH...] [request options] [--format text|json]
 *
 * Exit codes follow `kubectl auth can-i`: 0 allowed (who-can-call: answered),
 * 1 denied or undecidable, 2 usage error or a name that matches nothing,
 * 3 the input could not be read.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trustmap/query.h"
#include "trustmap/report.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: trustmap query can SOURCE DESTINATION [PATH...] [options]\n"
		"       trustmap query who-can-call DESTINATION [PATH...] [options]\n\n"
		"Evaluate NetworkPolicy, Istio mTLS (PeerAuthentication), JWT validation\n"
		"(RequestAuthentication) and AuthorizationPolicy for one request, and say which\n"
		"policy decided, with file and line. Names: internet, ns/name, name.ns[:PORT], name.\n\n"
		"  --method M          HTTP method (default GET)\n"
		"  --path P            HTTP path (default /)\n"
		"  --host H            Host header (default: the destination's name)\n"
		"  --port N            destination port (default: from DESTINATION, else its first)\n"
		"  --tcp               plain TCP: no HTTP attributes\n"
		"  --header 'K: V'     a request header (repeatable)\n"
		"  --token T           none (default), valid or invalid JWT\n"
		"  --issuer I          the valid token's issuer (default: the first one configured)\n"
		"  --subject S         the valid token's subject (default: the issuer)\n"
		"  --claim K=V         a claim of the valid token (repeatable; lists: repeat K)\n"
		"  --source-ip IP      the internet caller's address (default 198.51.100.7)\n"
		"  -f, --format FMT    text (default) or json\n"
		"  -h, --help          show this help\n\n"
		"exit codes: 0 allowed, 1 denied or undecidable, 2 usage error or unknown name,\n"
		"3 input unreadable\n");
}

/* "trustmap: query: PRE NAME POST" on stderr, NAME (from the files or the command line) escaped for a
 * terminal as the reports escape it; returns TM_EXIT_USAGE. */
static int usage_error_name(const char *pre, const char *name, const char *post)
{
	tm_sink err = tm_sink_file(stderr);
	fprintf(stderr, "trustmap: query: %s", pre);
	tm_report_escape("text", name, &err);
	fprintf(stderr, "%s\n", post);
	return TM_EXIT_USAGE;
}

struct strlist {
	const char **items;
	size_t n;
};

int tm_cmd_query(int argc, char **argv)
{
	const char *format = "text", *token = "none", *port = NULL;
	const char **pos = calloc((size_t)argc + 1, sizeof(char *));
	struct strlist headers = {calloc((size_t)argc + 1, sizeof(char *)), 0};
	struct strlist claims = {calloc((size_t)argc + 1, sizeof(char *)), 0};
	size_t npos = 0;
	int rc = TM_EXIT_OK;
	tm_analysis *an = NULL;
	tm_request req;
	memset(&req, 0, sizeof(req));
	if (!pos || !headers.items || !claims.items) {
		rc = TM_EXIT_INPUT;
		goto done;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			goto done;
		} else if (strcmp(a, "--tcp") == 0) {
			req.tcp = true;
		} else if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
			slot = &format;
		} else if (strcmp(a, "--method") == 0) {
			slot = &req.method;
		} else if (strcmp(a, "--path") == 0) {
			slot = &req.path;
		} else if (strcmp(a, "--host") == 0) {
			slot = &req.host;
		} else if (strcmp(a, "--port") == 0) {
			slot = &port;
		} else if (strcmp(a, "--token") == 0) {
			slot = &token;
		} else if (strcmp(a, "--issuer") == 0) {
			slot = &req.issuer;
		} else if (strcmp(a, "--subject") == 0) {
			slot = &req.subject;
		} else if (strcmp(a, "--source-ip") == 0) {
			slot = &req.source_ip;
		} else if (strcmp(a, "--header") == 0 || strcmp(a, "--claim") == 0) {
			struct strlist *l = a[2] == 'h' ? &headers : &claims;
			if (i + 1 >= argc) {
				rc = tm_cli_usage_error("query: %s needs a value", a);
				goto done;
			}
			const char *v = argv[++i];
			if (!strchr(v, l == &headers ? ':' : '=')) {
				rc = tm_cli_usage_error("query: %s takes %s, not '%s'", a,
							l == &headers ? "'Name: value'" : "key=value", v);
				goto done;
			}
			l->items[l->n++] = v;
		} else if (a[0] == '-' && a[1]) {
			rc = tm_cli_usage_error("query: unknown option '%s' (see 'trustmap query --help')", a);
			goto done;
		} else {
			pos[npos++] = a;
		}
		if (slot) {
			if (i + 1 >= argc) {
				rc = tm_cli_usage_error("query: %s needs a value", a);
				goto done;
			}
			*slot = argv[++i];
		}
	}
	if (!npos || (strcmp(pos[0], "can") != 0 && strcmp(pos[0], "who-can-call") != 0)) {
		usage(stderr);
		rc = TM_EXIT_USAGE;
		goto done;
	}
	bool can = strcmp(pos[0], "can") == 0;
	size_t need = can ? 3 : 2;
	if (npos < need) {
		rc = tm_cli_usage_error(can ? "query can: needs SOURCE and DESTINATION"
					    : "query who-can-call: needs DESTINATION");
		goto done;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		rc = tm_cli_usage_error("query: unknown format '%s' (text or json)", format);
		goto done;
	}
	if (strcmp(token, "none") == 0)
		req.token = TM_TOKEN_NONE;
	else if (strcmp(token, "valid") == 0)
		req.token = TM_TOKEN_VALID;
	else if (strcmp(token, "invalid") == 0)
		req.token = TM_TOKEN_INVALID;
	else {
		rc = tm_cli_usage_error("query: --token takes none, valid or invalid, not '%s'", token);
		goto done;
	}
	if (port) {
		char *end;
		long p = strtol(port, &end, 10);
		if (*end || p <= 0 || p > 65535) {
			rc = tm_cli_usage_error("query: --port takes 1-65535, not '%s'", port);
			goto done;
		}
		req.port = (int)p;
	}
	req.headers = headers.items;
	req.nheaders = headers.n;
	req.claims = claims.items;
	req.nclaims = claims.n;
	req.source = can ? pos[1] : NULL;
	req.destination = can ? pos[2] : pos[1];
	const char **roots = pos + need;
	size_t nroots = npos - need;
	if (!nroots) {
		roots[0] = ".";
		nroots = 1;
	}
	rc = tm_cli_analysis(&an, roots, nroots, NULL, true);
	if (rc)
		goto done;
	tm_sink sink = tm_sink_file(stdout);
	const tm_model *m = tm_analysis_model(an);
	if (can) {
		tm_verdict v;
		int qrc = tm_query_can(&v, m, &req);
		if (qrc == TM_ENOTFOUND) {
			rc = usage_error_name("", v.reason ? v.reason : "name not found", "");
		} else if (qrc) {
			fprintf(stderr, "trustmap: %s\n", tm_strerror(qrc));
			rc = TM_EXIT_INPUT;
		} else {
			if (tm_report_verdict(format, &req, &v, &sink))
				rc = TM_EXIT_INPUT;
			else
				rc = v.allowed && !v.unknown ? TM_EXIT_OK : TM_EXIT_GATE;
		}
		tm_verdict_dispose(&v);
	} else {
		tm_callers c;
		int qrc = tm_query_who_can_call(&c, m, &req);
		if (qrc == TM_ENOTFOUND)
			rc = usage_error_name("'", req.destination, "' names no workload or Service in the scanned files");
		else if (qrc || tm_report_callers(format, &req, &c, &sink))
			rc = TM_EXIT_INPUT;
		tm_callers_dispose(&c);
	}
	fflush(stdout);
done:
	tm_analysis_free(an);
	free(pos);
	free(headers.items);
	free(claims.items);
	return rc;
}
