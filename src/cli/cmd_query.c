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
#include "opts.h"
#include "trustmap/query.h"
#include "trustmap/report.h"

typedef struct {
	const char *format, *token, *method, *path, *host, *issuer, *subject, *source_ip;
	long port;
	bool tcp;
	tm_cli_list headers, claims;
	tm_cli_walk walk;
} query_opts;

static const char *const tokens[] = {"none", "valid", "invalid", NULL};

static const tm_opt options[] = {
	TM_OPT_WALK(query_opts, walk),
	TM_OPT_STR(query_opts, "--method", 0, method, "M", "HTTP method (default GET)"),
	TM_OPT_STR(query_opts, "--path", 0, path, "P", "HTTP path (default /)"),
	TM_OPT_STR(query_opts, "--host", 0, host, "H", "Host header (default: the destination's name)"),
	TM_OPT_NUM(query_opts, "--port", port, "N", 1, 65535, "destination port (default: from DESTINATION, else its first)"),
	TM_OPT_BOOL(query_opts, "--tcp", tcp, "plain TCP: no HTTP attributes"),
	TM_OPT_MANY(query_opts, "--header", headers, "'K: V'", "a request header (repeatable)"),
	TM_OPT_ONE_OF(query_opts, "--token", token, "T", tokens, "the request's JWT (default none)"),
	TM_OPT_STR(query_opts, "--issuer", 0, issuer, "I", "the valid token's issuer (default: the first one configured)"),
	TM_OPT_STR(query_opts, "--subject", 0, subject, "S", "the valid token's subject (default: the issuer)"),
	TM_OPT_MANY(query_opts, "--claim", claims, "K=V", "a claim of the valid token (repeatable; lists: repeat K)"),
	TM_OPT_STR(query_opts, "--source-ip", 0, source_ip, "IP", "the internet caller's address (default 198.51.100.7)"),
	TM_OPT_FMT(query_opts, format, TM_REPORT_VERDICT, "the answer (default text):"),
	TM_OPT_IGNORE_STORE,
};

static const tm_cli_spec spec = TM_CLI_SPEC("query",
	"query can SOURCE [call] DESTINATION [PATH...] [options]\nquery who-can-call DESTINATION [PATH...] [options]",
	"Evaluate NetworkPolicy, Linkerd (Servers, their authorizations, default inbound\n"
	"policies), Istio mTLS (PeerAuthentication), JWT validation (RequestAuthentication)\n"
	"and AuthorizationPolicy for one request, and say which policy decided, with file\n"
	"and line. Names: internet, ns/name, name.ns[:PORT], name.",
	options, SIZE_MAX,
	"exit codes: 0 allowed, 1 denied or undecidable, 2 usage error or unknown name,\n"
	"3 input unreadable");

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

/* Each value of list has sep in it; else a usage error naming what it takes. */
static int check_list(const tm_cli_list *l, const char *name, char sep, const char *takes)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strchr(l->items[i], sep))
			return tm_cli_usage_error("query: %s takes %s, not '%s'", name, takes, l->items[i]);
	return TM_EXIT_OK;
}

/* The question (can SOURCE DESTINATION, or who-can-call DESTINATION) and the options it takes,
 * checked; --format defaults to text. Returns 0, or the usage error's exit code. */
static int check_question(query_opts *o, const char *const *pos, size_t npos)
{
	if (!npos || (strcmp(pos[0], "can") != 0 && strcmp(pos[0], "who-can-call") != 0)) {
		/* the question after the paths (`query . who-can-call x`): say where it goes */
		for (size_t i = 1; i < npos; i++)
			if (strcmp(pos[i], "can") == 0 || strcmp(pos[i], "who-can-call") == 0)
				return tm_cli_usage_error("query: the question comes first, then the paths: "
							  "trustmap query %s ... %s",
							  pos[i], pos[0]);
		if (npos)
			return tm_cli_usage_error("query: unknown question '%s' (can SOURCE DESTINATION, or "
						  "who-can-call DESTINATION)",
						  pos[0]);
		tm_cli_help(&spec, stderr);
		return TM_EXIT_USAGE;
	}
	bool can = strcmp(pos[0], "can") == 0;
	if (npos < (can ? 3u : 2u))
		return tm_cli_usage_error(can ? "query can: needs SOURCE and DESTINATION"
					      : "query who-can-call: needs DESTINATION");
	int rc;
	if ((rc = check_list(&o->headers, "--header", ':', "'Name: value'")) ||
	    (rc = check_list(&o->claims, "--claim", '=', "key=value")))
		return rc;
	if (!o->format)
		o->format = "text";
	if (!tm_report_kind_format(can ? TM_REPORT_VERDICT : TM_REPORT_CALLERS, o->format))
		return tm_cli_usage_error("query: unknown format '%s' (text or json)", o->format);
	return TM_EXIT_OK;
}

/* The request the options describe, from source (NULL: who-can-call) to destination. */
static void request_of(tm_request *req, const query_opts *o, const char *source, const char *destination)
{
	req->gateway_authn = true; /* a question: the gateway's own credential check decides too */
	/* the table's spellings, in tokens[]'s order */
	req->token = !o->token || o->token == tokens[0] ? TM_TOKEN_NONE : o->token == tokens[1] ? TM_TOKEN_VALID
												: TM_TOKEN_INVALID;
	req->port = (int)o->port;
	req->tcp = o->tcp;
	req->method = o->method;
	req->path = o->path;
	req->host = o->host;
	req->issuer = o->issuer;
	req->subject = o->subject;
	req->source_ip = o->source_ip;
	req->headers = o->headers.items;
	req->nheaders = o->headers.n;
	req->claims = o->claims.items;
	req->nclaims = o->claims.n;
	req->source = source;
	req->destination = destination;
}

/* query can: the verdict on stdout; TM_EXIT_OK if allowed, TM_EXIT_GATE if denied or undecidable. */
static int answer_can(const tm_model *m, const tm_request *req, const char *format)
{
	tm_sink sink = tm_sink_file(stdout);
	tm_verdict v;
	int rc;
	int qrc = tm_query_can(&v, m, req);
	if (qrc == TM_ENOTFOUND) {
		rc = usage_error_name("", v.reason ? v.reason : "name not found", "");
	} else if (qrc) {
		fprintf(stderr, "trustmap: %s\n", tm_strerror(qrc));
		rc = TM_EXIT_INPUT;
	} else if (tm_report_verdict_in(format, m, req, &v, &sink)) {
		rc = TM_EXIT_INPUT;
	} else {
		rc = v.allowed && !v.unknown ? TM_EXIT_OK : TM_EXIT_GATE;
	}
	tm_verdict_dispose(&v);
	return rc;
}

/* query who-can-call: the callers on stdout. */
static int answer_who_can_call(const tm_model *m, const tm_request *req, const char *format)
{
	tm_sink sink = tm_sink_file(stdout);
	tm_callers c;
	int rc = TM_EXIT_OK;
	int qrc = tm_query_who_can_call(&c, m, req);
	if (qrc == TM_ENOTFOUND)
		rc = usage_error_name("", c.reason ? c.reason : "name not found", "");
	else if (qrc || tm_report_callers_in(format, m, req, &c, &sink))
		rc = TM_EXIT_INPUT;
	tm_callers_dispose(&c);
	return rc;
}

int tm_cmd_query(int argc, char **argv)
{
	query_opts o = {0};
	tm_cli_list args;
	int rc = TM_EXIT_OK;
	tm_analysis *an = NULL;
	const char **pos = NULL;
	tm_request req;
	memset(&req, 0, sizeof(req));
	if ((rc = tm_cli_parse(&spec, argc, argv, &o, &args))) {
		rc = rc == TM_CLI_HELP ? TM_EXIT_OK : rc;
		goto done;
	}
	size_t npos = args.n;
	pos = calloc(npos + 2, sizeof(char *));
	if (!pos) {
		rc = TM_EXIT_INPUT;
		goto done;
	}
	for (size_t i = 0; i < npos; i++)
		pos[i] = args.items[i];
	/* `can A call B`, as one says it: the word "call" between the two is read and dropped */
	if (npos >= 4 && strcmp(pos[0], "can") == 0 && strcmp(pos[2], "call") == 0) {
		memmove(pos + 2, pos + 3, (npos - 3) * sizeof(*pos));
		npos--;
	}
	if ((rc = check_question(&o, pos, npos)))
		goto done;
	bool can = strcmp(pos[0], "can") == 0;
	size_t need = can ? 3 : 2;
	request_of(&req, &o, can ? pos[1] : NULL, can ? pos[2] : pos[1]);
	const char **roots = pos + need;
	size_t nroots = npos - need;
	if (!nroots) {
		roots[0] = ".";
		nroots = 1;
	}
	if ((rc = tm_cli_analysis(&an, roots, nroots, NULL, true, &o.walk)))
		goto done;
	const tm_model *m = tm_analysis_model(an);
	rc = can ? answer_can(m, &req, o.format) : answer_who_can_call(m, &req, o.format);
	fflush(stdout);
done:
	tm_analysis_free(an);
	free(pos);
	tm_cli_done(&spec, &o, &args);
	return rc;
}
