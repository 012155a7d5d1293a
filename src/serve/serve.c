/*
 * serve.c - trustmap serve: the model, the register and the history as web pages (libmicrohttpd,
 * one internal polling thread, so requests are handled one at a time against the store).
 *
 * Pages are generated in memory from the scan and the store: there is no file serving at all, so
 * no request can read a file. Defences, in the order a request meets them: the Host header must
 * name the listen address (a DNS-rebinding page cannot reach us); only GET/HEAD and POST
 * /decide exist; a POST needs the session's CSRF token (a random per-session value, the session
 * in a SameSite=Strict HttpOnly cookie) and, when the browser sends Origin, our origin; a body is
 * at most 16 KiB; in read-only mode there is nothing to post. Every response carries a CSP that
 * forbids fetching anything, no framing, no sniffing, no referrer to other sites, no caching.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "report/html.h"
#include "trustmap/serve.h"

#define MAX_BODY (16u * 1024u)
#define MAX_SESSIONS 256
#define TOKEN_HEX 32

typedef struct {
	char id[TOKEN_HEX + 1], csrf[TOKEN_HEX + 1];
	time_t used;
	char flash[512]; /* the last decision's outcome, shown once on the next page */
} session;

typedef struct {
	const tm_serve_opts *o;
	char authority[96], localhost[96], origin[128], origin_local[128];
	session sessions[MAX_SESSIONS];
} app;

enum { F_CSRF, F_FP, F_ACTION, F_OWNER, F_UNTIL, F_WHY, F_BACK, F__COUNT };
static const char *const field_names[F__COUNT] = {"csrf", "fp", "action", "owner", "until", "why", "back"};

typedef struct {
	struct MHD_PostProcessor *pp;
	size_t body;
	bool too_big, bad;
	char fields[F__COUNT][1024];
} request;

static int random_hex(char *out, size_t hex)
{
	unsigned char raw[64];
	size_t n = hex / 2;
	if (n > sizeof(raw) || getrandom(raw, n, 0) != (ssize_t)n)
		return -1;
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

/* Constant-time comparison of two tokens of the same length. */
static bool same_token(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = (unsigned char)(la != lb);
	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return la == TOKEN_HEX && diff == 0;
}

static session *session_of(app *a, const char *id)
{
	for (size_t i = 0; id && i < MAX_SESSIONS; i++)
		if (a->sessions[i].id[0] && same_token(a->sessions[i].id, id))
			return &a->sessions[i];
	return NULL;
}

static session *session_new(app *a)
{
	session *slot = &a->sessions[0];
	for (size_t i = 0; i < MAX_SESSIONS; i++) {
		if (!a->sessions[i].id[0]) {
			slot = &a->sessions[i];
			break;
		}
		if (a->sessions[i].used < slot->used)
			slot = &a->sessions[i]; /* all taken: the least recently used goes */
	}
	if (random_hex(slot->id, TOKEN_HEX) || random_hex(slot->csrf, TOKEN_HEX))
		return NULL;
	slot->used = time(NULL);
	return slot;
}

/* --- responses ------------------------------------------------------------------------------ */

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *type, const char *body,
			       size_t len, const session *fresh, const char *location)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
				"form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	/* same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own forms */
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	if (fresh) {
		char cookie[128];
		snprintf(cookie, sizeof(cookie), "tm_session=%s; Path=/; HttpOnly; SameSite=Strict", fresh->id);
		MHD_add_response_header(r, "Set-Cookie", cookie);
	}
	if (location)
		MHD_add_response_header(r, "Location", location);
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result plain(struct MHD_Connection *c, unsigned status, const char *msg)
{
	return respond(c, status, "text/plain; charset=utf-8", msg, strlen(msg), NULL, NULL);
}

/* --- pages ---------------------------------------------------------------------------------- */

static void nav(tm_out *o, const app *a, const char *here)
{
	static const char *const pages[][2] = {{"/", "Model"}, {"/register", "Register"}, {"/history", "History"}};
	tm_out_puts(o, "<header><h1>trustmap: ");
	tm_esc_html(o, a->o->title);
	tm_out_puts(o, "</h1><p class=\"by\">");
	tm_esc_html(o, a->o->root);
	tm_out_puts(o, " &middot; register ");
	tm_esc_html(o, a->o->store_display);
	tm_out_printf(o, " &middot; as of %s%s</p>\n<nav class=\"app\">", a->o->today, a->o->read_only ? " &middot; read-only" : "");
	for (size_t i = 0; i < 3; i++)
		tm_out_printf(o, "<a href=\"%s\"%s>%s</a>", pages[i][0], strcmp(pages[i][0], here) == 0 ? " aria-current=\"page\"" : "",
			      pages[i][1]);
	tm_out_puts(o, "</nav>\n</header>\n<main>\n");
}

struct form_ctx {
	const app *a;
	const session *s;
	const char *back;
};

/* A decision form for one finding (not in read-only mode). */
static void decision_form(tm_out *o, const char *fp, const struct form_ctx *x)
{
	if (x->a->o->read_only || !x->s)
		return;
	tm_out_puts(o, "<form class=\"decide\" method=\"post\" action=\"/decide\">");
	tm_out_printf(o, "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"fp\" value=\"", x->s->csrf);
	tm_esc_html(o, fp);
	tm_out_printf(o, "\"><input type=\"hidden\" name=\"back\" value=\"%s\">", x->back);
	tm_out_puts(o, "<label>Decision <select name=\"action\"><option value=\"accept\">accept the risk</option>"
		       "<option value=\"mitigated\">mitigated</option><option value=\"false-positive\">false positive</option>"
		       "<option value=\"open\">open again</option></select></label>"
		       "<label>Owner <input name=\"owner\" maxlength=\"200\"></label>"
		       "<label>Until <input name=\"until\" type=\"date\"></label>"
		       "<label>Why <input name=\"why\" maxlength=\"900\" size=\"40\"></label>"
		       "<button type=\"submit\">Record</button></form>");
}

static void finding_form(tm_out *o, const tm_finding *f, void *ud)
{
	decision_form(o, f->fingerprint, ud);
}

static void flash(tm_out *o, session *s)
{
	if (!s || !s->flash[0])
		return;
	tm_out_puts(o, "<p class=\"notice\" role=\"status\">");
	tm_esc_html(o, s->flash);
	tm_out_puts(o, "</p>\n");
	s->flash[0] = '\0';
}

static int page_model(tm_out *o, app *a, session *s)
{
	const tm_serve_opts *so = a->o;
	tm_diagram d;
	int rc = tm_diagram_build(&d, tm_scan_model(so->scan), so->exposure, NULL);
	size_t n = tm_findings_count(so->findings);
	const tm_finding **list = tm_calloc(n ? n : 1, sizeof(*list));
	if (rc || !list) {
		tm_diagram_dispose(&d);
		tm_free(list);
		return rc ? rc : TM_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		list[i] = tm_findings_at(so->findings, i);
	tm_html_head(o, so->title, "trustmap", !so->read_only);
	nav(o, a, "/");
	flash(o, s);
	tm_out_puts(o, "<section id=\"building\"><h2>The model</h2>\n");
	tm_html_diagram(o, &d, so->title);
	tm_out_puts(o, "</section>\n<section id=\"wrong\"><h2>Findings</h2>\n<p>Select a finding for its evidence, its path "
		       "on the diagram and, outside read-only mode, a decision.</p>\n");
	struct form_ctx fx = {a, s, "/"};
	tm_html_findings_table_ex(o, "findings", list, n, &d, finding_form, &fx);
	tm_out_puts(o, "</section>\n</main>\n");
	tm_html_tail(o);
	tm_free(list);
	tm_diagram_dispose(&d);
	return 0;
}

struct reg_page {
	tm_out *o;
	struct form_ctx fx;
	size_t n;
};

static int reg_row(void *ud, const tm_register_row *r)
{
	struct reg_page *p = ud;
	tm_out *o = p->o;
	bool resolved = strcmp(r->state, "resolved") == 0;
	p->n++;
	tm_out_puts(o, "<tr class=\"finding\" tabindex=\"0\" data-fp=\"");
	tm_esc_html(o, r->fingerprint);
	tm_out_printf(o, "\" data-severity=\"%s\" data-status=\"%s\" data-owner=\"", r->severity ? r->severity : "",
		      resolved ? "resolved" : r->expired ? "expired" : r->status);
	tm_esc_html(o, r->owner ? r->owner : "");
	tm_out_puts(o, "\" data-layer=\"\" data-stride=\"\" data-path=\"\"><td><code>");
	tm_esc_html(o, r->fingerprint);
	tm_out_puts(o, "</code></td><td>");
	tm_esc_html(o, r->severity);
	tm_out_puts(o, "</td><td><code>");
	tm_esc_html(o, r->rule);
	tm_out_puts(o, "</code></td><td>");
	tm_esc_html(o, r->title);
	tm_out_puts(o, "</td><td>");
	tm_esc_html(o, r->owner ? r->owner : "-");
	tm_out_puts(o, "</td><td>");
	tm_esc_html(o, resolved ? "resolved" : r->expired ? "open (acceptance expired)" : r->status);
	if (r->decided_in) {
		tm_out_puts(o, "<br><small>");
		tm_esc_html(o, strcmp(r->decided_in, "store") == 0 ? "the register" : r->decided_in);
		tm_out_puts(o, "</small>");
	}
	tm_out_puts(o, "</td><td>");
	tm_esc_html(o, r->decision_owner ? r->decision_owner : "-");
	if (r->until) {
		tm_out_puts(o, " until ");
		tm_esc_html(o, r->until);
	}
	if (r->why) {
		tm_out_puts(o, ": ");
		tm_esc_html(o, r->why);
	}
	tm_out_puts(o, "</td></tr>\n<tr class=\"detail\" hidden><td colspan=\"7\">");
	if (!resolved)
		decision_form(o, r->fingerprint, &p->fx);
	tm_out_puts(o, "</td></tr>\n");
	return 0;
}

static int page_register(tm_out *o, app *a, session *s)
{
	const tm_serve_opts *so = a->o;
	tm_html_head(o, so->title, "Register", !so->read_only);
	nav(o, a, "/register");
	flash(o, s);
	tm_out_puts(o, "<section><h2>The risk register</h2>\n<div class=\"filters\" data-for=\"register\">"
		       "<label>Severity <select data-filter=\"severity\"><option value=\"\">all</option></select></label>"
		       "<label>Status <select data-filter=\"status\"><option value=\"\">all</option></select></label>"
		       "<label>Owner <select data-filter=\"owner\"><option value=\"\">all</option></select></label>"
		       "<label>Search <input type=\"search\" data-search></label> <span class=\"count\"></span></div>\n"
		       "<table class=\"findings\" id=\"register\"><thead><tr><th>Fingerprint</th><th>Severity</th><th>Rule</th>"
		       "<th>Finding</th><th>Owner</th><th>Status</th><th>Decision</th></tr></thead><tbody>\n");
	struct reg_page p = {o, {a, s, "/register"}, 0};
	int rc = tm_store_register(so->store, so->root, so->today, reg_row, &p);
	if (!p.n)
		tm_out_puts(o, "<tr><td colspan=\"7\">The register is empty: run <code>trustmap scan</code>.</td></tr>\n");
	tm_out_puts(o, "</tbody></table></section>\n</main>\n");
	tm_html_tail(o);
	return rc;
}

typedef struct {
	tm_history_row rows[512];
	char revs[512][16];
	size_t n, total;
} runs;

static int hist_row(void *ud, const tm_history_row *r)
{
	runs *h = ud;
	h->total++;
	if (h->n == 512) { /* keep the latest 512 */
		memmove(h->rows, h->rows + 1, 511 * sizeof(h->rows[0]));
		memmove(h->revs, h->revs + 1, 511 * sizeof(h->revs[0]));
		h->n--;
	}
	h->rows[h->n] = *r;
	snprintf(h->revs[h->n], sizeof(h->revs[0]), "%.12s", r->revision ? r->revision : "");
	h->rows[h->n].root = h->rows[h->n].command = NULL;
	h->rows[h->n].revision = NULL;
	h->n++;
	return 0;
}

/* A line chart: open findings (left axis) and the coverage figures (right axis, 0-100%). */
static void chart(tm_out *o, const runs *h)
{
	const double W = 880, H = 240, L = 50, R = 60, T = 20, B = 30;
	int64_t maxv = 1;
	for (size_t i = 0; i < h->n; i++)
		if (h->rows[i].open > maxv)
			maxv = h->rows[i].open;
	tm_out_printf(o, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" role=\"img\" "
			 "aria-label=\"open findings and coverage per run\">", W, H);
	tm_out_printf(o, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\"/>", L, H - B, W - R, H - B);
	tm_out_printf(o, "<text x=\"4\" y=\"%.0f\" font-size=\"11\">%lld open</text><text x=\"4\" y=\"%.0f\" font-size=\"11\">0</text>",
		      T + 4, (long long)maxv, H - B);
	tm_out_printf(o, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\">100%%</text>", W - R + 6, T + 4);
	static const char *const colors[] = {"#c62828", "#1565c0", "#2e7d32", "#6a1b9a"};
	static const char *const names[] = {"open findings", "endpoints with known authz", "services with an owner",
					    "workloads a NetworkPolicy isolates"};
	for (int series = 0; series < 4; series++) {
		tm_out_printf(o, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" class=\"series-%d\" points=\"",
			      colors[series], series);
		for (size_t i = 0; i < h->n; i++) {
			const tm_history_row *r = &h->rows[i];
			double v = series == 0 ? (double)r->open / (double)maxv
				   : series == 1 ? r->coverage_authz
				   : series == 2 ? r->coverage_owner
						 : r->coverage_policy;
			double x = L + (h->n > 1 ? (W - L - R) * (double)i / (double)(h->n - 1) : (W - L - R) / 2);
			double y = H - B - (H - T - B) * v;
			tm_out_printf(o, "%s%.1f,%.1f", i ? " " : "", x, y);
		}
		tm_out_puts(o, "\"/>");
		tm_out_printf(o, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" fill=\"%s\">%s</text>", L + 200.0 * series,
			      H - 8, colors[series], names[series]);
	}
	tm_out_puts(o, "</svg>\n");
}

static int page_history(tm_out *o, app *a)
{
	const tm_serve_opts *so = a->o;
	runs *h = tm_calloc(1, sizeof(*h));
	if (!h)
		return TM_ENOMEM;
	int rc = tm_store_history(so->store, so->root, hist_row, h);
	tm_html_head(o, so->title, "History", false);
	nav(o, a, "/history");
	tm_out_printf(o, "<section><h2>History</h2>\n<p>%zu run%s recorded for this root", h->total, h->total == 1 ? "" : "s");
	if (h->total > h->n)
		tm_out_printf(o, " (the latest %zu shown)", h->n);
	tm_out_puts(o, ".</p>\n");
	if (h->n)
		chart(o, h);
	tm_out_puts(o, "<table><thead><tr><th>Run</th><th>Time (UTC)</th><th>Command</th><th>Revision</th><th>Findings</th>"
		       "<th>Open</th><th>Opened</th><th>Closed</th><th>Known authz</th><th>Owned</th><th>Isolated</th></tr>"
		       "</thead><tbody>\n");
	for (size_t i = h->n; i-- > 0;) {
		const tm_history_row *r = &h->rows[i];
		char when[32] = "-";
		time_t t = (time_t)r->time;
		struct tm tmv;
		if (gmtime_r(&t, &tmv))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tmv);
		tm_out_printf(o, "<tr><td>%lld</td><td>%s</td><td>%s</td><td><code>", (long long)r->id, when,
			      r->partial ? "diff (proposal)" : "scan");
		tm_esc_html(o, h->revs[i]);
		tm_out_printf(o, "</code></td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%.0f%%</td><td>%.0f%%</td>"
				 "<td>%.0f%%</td></tr>\n",
			      (long long)r->findings, (long long)r->open, (long long)r->opened, (long long)r->closed,
			      r->coverage_authz * 100, r->coverage_owner * 100, r->coverage_policy * 100);
	}
	tm_out_puts(o, "</tbody></table></section>\n</main>\n");
	tm_html_tail(o);
	tm_free(h);
	return rc;
}

/* --- decisions ------------------------------------------------------------------------------ */

/* Validate and record one decision, as `trustmap accept` and `trustmap status` do. NULL when
 * recorded; otherwise why not. */
static const char *decide(app *a, request *q, char *msg, size_t len)
{
	const tm_serve_opts *so = a->o;
	const char *fp = q->fields[F_FP], *action = q->fields[F_ACTION], *owner = q->fields[F_OWNER];
	const char *until = q->fields[F_UNTIL], *why = q->fields[F_WHY];
	bool accept = strcmp(action, "accept") == 0;
	tm_decision d = {fp, so->root, accept ? "accepted" : action, *owner ? owner : so->who, *why ? why : NULL,
			 accept ? until : NULL, NULL, NULL, (int64_t)time(NULL)};
	const char *problem = tm_decision_problem(&d, so->today);
	if (problem)
		return problem;
	bool known = false;
	if (tm_store_known(so->store, so->root, fp, &known) || !known)
		return "that finding is not in the register";
	char by[300];
	snprintf(by, sizeof(by), "%s (web)", so->who);
	d.by = by;
	if (tm_store_decide(so->store, &d))
		return tm_store_error(so->store);
	if (tm_store_settle(so->store, so->root, so->today, so->findings, tm_scan_model(so->scan)))
		return "recorded, but the findings could not be settled again";
	snprintf(msg, len, "%.16s: %.20s%s%.10s, recorded by %.200s", fp, d.status, accept ? " until " : "", accept ? until : "",
		 by);
	return NULL;
}

static enum MHD_Result field_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
				const char *content_type, const char *transfer_encoding, const char *data, uint64_t off,
				size_t size)
{
	(void)kind, (void)filename, (void)content_type, (void)transfer_encoding;
	request *q = cls;
	for (int i = 0; i < F__COUNT; i++) {
		if (strcmp(key, field_names[i]) != 0)
			continue;
		char *dst = q->fields[i];
		if (off + size >= sizeof(q->fields[i])) {
			q->bad = true;
			return MHD_NO;
		}
		memcpy(dst + off, data, size);
		dst[off + size] = '\0';
		if (memchr(data, '\0', size))
			q->bad = true;
	}
	return MHD_YES;
}

/* --- the handler ---------------------------------------------------------------------------- */

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	app *a = cls;
	/* DNS rebinding: the browser must be talking to us by the address we listen on */
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (!host || (strcmp(host, a->authority) != 0 && (!a->localhost[0] || strcmp(host, a->localhost) != 0)))
		return plain(c, 421, "421 misdirected request: the Host header does not name this server\n");
	bool post = strcmp(method, "POST") == 0;
	if (!post && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return plain(c, MHD_HTTP_METHOD_NOT_ALLOWED, "405 method not allowed\n");
	const char *sid = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "tm_session");
	session *s = session_of(a, sid);
	if (post) {
		if (strcmp(url, "/decide") != 0)
			return plain(c, MHD_HTTP_NOT_FOUND, "404 not found\n");
		if (a->o->read_only)
			return plain(c, MHD_HTTP_FORBIDDEN, "403 forbidden: this server is read-only\n");
		request *q = *con_cls;
		if (!q) {
			if (!(q = tm_calloc(1, sizeof(*q))))
				return MHD_NO;
			q->pp = MHD_create_post_processor(c, 4096, field_cb, q);
			*con_cls = q;
			if (!q->pp)
				q->bad = true;
			return MHD_YES;
		}
		if (*upload_size) {
			q->body += *upload_size;
			if (q->body > MAX_BODY)
				q->too_big = true;
			else if (!q->bad && q->pp && MHD_post_process(q->pp, upload, *upload_size) != MHD_YES)
				q->bad = true;
			*upload_size = 0;
			return MHD_YES;
		}
		if (q->too_big)
			return plain(c, 413, "413 the form is too large\n");
		const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
		if (origin && strcmp(origin, a->origin) != 0 && (!a->origin_local[0] || strcmp(origin, a->origin_local) != 0))
			return plain(c, MHD_HTTP_FORBIDDEN, "403 forbidden: cross-origin request\n");
		if (!s || !same_token(q->fields[F_CSRF], s->csrf))
			return plain(c, MHD_HTTP_FORBIDDEN, "403 forbidden: missing or wrong CSRF token (reload the page)\n");
		if (q->bad)
			return plain(c, MHD_HTTP_BAD_REQUEST, "400 bad request: the form could not be read\n");
		s->used = time(NULL);
		char msg[400];
		const char *why = decide(a, q, msg, sizeof(msg));
		if (why)
			snprintf(s->flash, sizeof(s->flash), "Not recorded: %.400s.", why);
		else
			snprintf(s->flash, sizeof(s->flash), "Recorded %s.", msg);
		const char *back = strcmp(q->fields[F_BACK], "/register") == 0 ? "/register" : "/";
		return respond(c, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", "", 0, NULL, back);
	}
	/* GET and HEAD: the three pages, made fresh */
	session *fresh = NULL;
	if (!s && !a->o->read_only)
		s = fresh = session_new(a);
	if (s)
		s->used = time(NULL);
	tm_strbuf body = TM_STRBUF_INIT;
	tm_sink sink = tm_sink_strbuf(&body);
	tm_out o;
	tm_out_init(&o, &sink);
	int rc;
	if (strcmp(url, "/") == 0)
		rc = page_model(&o, a, s);
	else if (strcmp(url, "/register") == 0)
		rc = page_register(&o, a, s);
	else if (strcmp(url, "/history") == 0)
		rc = page_history(&o, a);
	else {
		tm_out_finish(&o);
		tm_strbuf_dispose(&body);
		return plain(c, MHD_HTTP_NOT_FOUND, "404 not found\n");
	}
	int frc = tm_out_finish(&o);
	enum MHD_Result ret;
	if (rc || frc || body.oom)
		ret = plain(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "500 the page could not be made (see the server's log)\n");
	else
		ret = respond(c, MHD_HTTP_OK, "text/html; charset=utf-8", body.data ? body.data : "", body.len, fresh, NULL);
	if (rc)
		fprintf(stderr, "trustmap serve: %s: %s\n", url, a->o->store ? tm_store_error(a->o->store) : tm_strerror(rc));
	tm_strbuf_dispose(&body);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	request *q = *con_cls;
	if (q) {
		if (q->pp)
			MHD_destroy_post_processor(q->pp);
		tm_free(q);
		*con_cls = NULL;
	}
}

static void no_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls, (void)fmt, (void)ap;
}

int tm_serve(const tm_serve_opts *opts, char *why, size_t why_len)
{
	app *a = tm_calloc(1, sizeof(*a));
	if (!a)
		return TM_ENOMEM;
	a->o = opts;
	const char *host = opts->host ? opts->host : "127.0.0.1";
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
	memset(&v4, 0, sizeof(v4));
	memset(&v6, 0, sizeof(v6));
	bool ipv6 = strchr(host, ':') != NULL;
	if (ipv6 ? inet_pton(AF_INET6, host, &v6.sin6_addr) != 1 : inet_pton(AF_INET, host, &v4.sin_addr) != 1) {
		snprintf(why, why_len, "'%s' is not an IPv4 or IPv6 address", host);
		tm_free(a);
		return TM_EUSAGE;
	}
	v4.sin_family = AF_INET;
	v4.sin_port = htons((uint16_t)opts->port);
	v6.sin6_family = AF_INET6;
	v6.sin6_port = htons((uint16_t)opts->port);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)opts->port, NULL, NULL, handle, a, MHD_OPTION_SOCK_ADDR,
		ipv6 ? (struct sockaddr *)&v6 : (struct sockaddr *)&v4, MHD_OPTION_NOTIFY_COMPLETED, completed, a,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)32, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)16,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_EXTERNAL_LOGGER, no_log, NULL, MHD_OPTION_END);
	if (!d) {
		snprintf(why, why_len, "cannot listen on %s:%u (in use, or not an address of this machine)", host, opts->port);
		tm_free(a);
		return TM_EIO;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : opts->port;
	snprintf(a->authority, sizeof(a->authority), ipv6 ? "[%s]:%u" : "%s:%u", host, port);
	snprintf(a->origin, sizeof(a->origin), "http://%s", a->authority);
	bool loopback = strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0;
	if (loopback) {
		snprintf(a->localhost, sizeof(a->localhost), "localhost:%u", port);
		snprintf(a->origin_local, sizeof(a->origin_local), "http://%s", a->localhost);
	}
	if (opts->listening)
		opts->listening(a->origin, opts->ud);
	struct timespec tick = {0, 100 * 1000 * 1000};
	while (!opts->stop || !opts->stop(opts->ud))
		nanosleep(&tick, NULL);
	MHD_stop_daemon(d);
	tm_free(a);
	return 0;
}
