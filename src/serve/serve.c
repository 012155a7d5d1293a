/*
 * serve.c - trustmap serve: the model, the register and the history as web pages (libmicrohttpd).
 *
 * One thread runs everything: MHD in "external select" mode (epoll where there is one) driven by
 * tm_serve's loop, which also enforces the connection deadlines (guard.c). Sockets are non-blocking,
 * so a slow client costs a slot, never the thread; requests are handled one at a time against the
 * store and Graphviz, neither of which is thread-safe.
 *
 * Pages are generated in memory from the scan and the store: there is no file serving at all, so
 * no request can read a file. Defences, in the order a request meets them:
 *   - connections: headers within 5 s of accepting, the whole request within 15 s, the exchange
 *     within 60 s (absolute, not idle); at most 16 pending connections per address and 64 in all,
 *     a new one evicting the oldest pending one of the busiest address (guard.h);
 *   - exactly one Host header, naming the listen address (DNS rebinding), and an absolute-form
 *     target naming the same host;
 *   - the request target: no control byte, no encoded NUL or control byte, no dot segment, no bad
 *     escape, at most 2 KiB; routed on the decoded path with its full length (400 otherwise);
 *   - only GET/HEAD (without a body) and POST /decide exist;
 *   - a POST needs the CSRF token of its session: HMAC-SHA-256(a per-process secret, the session id
 *     of the SameSite=Strict HttpOnly cookie). Stateless: no table that anonymous requests could
 *     fill, so no session can be evicted. A session id is issued only with a page that has a form;
 *     when the browser sends Origin, it must be ours; a body is at most 16 KiB; in read-only mode
 *     there is nothing to post.
 * Every response carries a CSP that forbids fetching anything, no framing, no sniffing, no referrer
 * to other sites, no caching.
 *
 * The diagram is laid out once per process and reused: the model does not change while serving, and
 * Graphviz 2.42's dot layout leaks the virtual nodes and edges it makes for clusters (about 36 KB
 * per layout of the example), which nothing in its API frees (svg.c).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "hmac.h"
#include "report/html.h"
#include "trustmap/serve.h"

#define MAX_BODY (16u * 1024u)
#define SID_HEX 32     /* the session id: 128 random bits */
#define CSRF_HEX 64    /* HMAC-SHA-256 of the session id */
#define MAX_FLASHES 64 /* outcomes waiting to be shown; only a verified POST writes one */

/* The outcome of a decision, shown once on the session's next page. Losing one is harmless: the
 * register has the decision. */
typedef struct {
	char sid[SID_HEX + 1];
	char msg[512];
	int64_t at;
} flash_slot;

typedef struct {
	const tm_serve_opts *o;
	char authority[96], localhost[96], origin[128], origin_local[128];
	unsigned char secret[32];
	flash_slot flashes[MAX_FLASHES];
	tm_conns conns;
	/* the model page's diagram: built and laid out on first use, kept until the server stops */
	bool drawn;
	tm_diagram diagram;
	tm_strbuf figure;
} app;

enum { F_CSRF, F_FP, F_ACTION, F_OWNER, F_UNTIL, F_WHY, F_BACK, F__COUNT };
static const char *const field_names[F__COUNT] = {"csrf", "fp", "action", "owner", "until", "why", "back"};

typedef struct {
	struct MHD_PostProcessor *pp;
	size_t body;
	bool too_big, bad;
	char sid[SID_HEX + 1];
	char fields[F__COUNT][1024];
} request;

static void to_hex(char *out, const unsigned char *raw, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[raw[i] >> 4];
		out[2 * i + 1] = digits[raw[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Constant-time comparison of two tokens of the same length. */
static bool same_token(const char *a, const char *b, size_t want)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = (unsigned char)(la != lb);
	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return la == want && diff == 0;
}

/* A session id as we issue them: 32 lowercase hex digits. */
static bool valid_sid(const char *sid)
{
	if (!sid || strlen(sid) != SID_HEX)
		return false;
	for (size_t i = 0; i < SID_HEX; i++)
		if (!((sid[i] >= '0' && sid[i] <= '9') || (sid[i] >= 'a' && sid[i] <= 'f')))
			return false;
	return true;
}

static int new_sid(char out[SID_HEX + 1])
{
	unsigned char raw[SID_HEX / 2];
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -1;
	to_hex(out, raw, sizeof(raw));
	return 0;
}

/* The CSRF token of a session: only this process can make it, so it proves the form came from us. */
static void csrf_of(const app *a, const char *sid, char out[CSRF_HEX + 1])
{
	char msg[16 + SID_HEX];
	int n = snprintf(msg, sizeof(msg), "tm-csrf:%s", sid);
	unsigned char mac[TM_HMAC_LEN];
	tm_serve__hmac_sha256(mac, a->secret, sizeof(a->secret), msg, (size_t)n);
	to_hex(out, mac, sizeof(mac));
}

static void flash_set(app *a, const char *sid, const char *msg)
{
	flash_slot *slot = &a->flashes[0];
	for (size_t i = 0; i < MAX_FLASHES; i++) {
		flash_slot *f = &a->flashes[i];
		if (strcmp(f->sid, sid) == 0 || !f->sid[0]) {
			slot = f;
			break;
		}
		if (f->at < slot->at)
			slot = f;
	}
	snprintf(slot->sid, sizeof(slot->sid), "%s", sid);
	snprintf(slot->msg, sizeof(slot->msg), "%s", msg);
	slot->at = tm_serve__now_ms();
}

/* The session's waiting outcome, moved into out (empty when none). */
static void flash_take(app *a, const char *sid, char *out, size_t len)
{
	out[0] = '\0';
	for (size_t i = 0; sid && i < MAX_FLASHES; i++) {
		flash_slot *f = &a->flashes[i];
		if (f->sid[0] && strcmp(f->sid, sid) == 0) {
			snprintf(out, len, "%s", f->msg);
			memset(f, 0, sizeof(*f));
		}
	}
}

/* --- responses ------------------------------------------------------------------------------ */

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *type, const char *body,
			       size_t len, const char *new_sid, const char *location)
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
	if (new_sid) {
		char cookie[128];
		snprintf(cookie, sizeof(cookie), "tm_session=%s; Path=/; HttpOnly; SameSite=Strict", new_sid);
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
	const char *csrf; /* NULL: no forms (read-only, or no session) */
	const char *back;
};

/* A decision form for one finding (not in read-only mode). */
static void decision_form(tm_out *o, const char *fp, const struct form_ctx *x)
{
	if (x->a->o->read_only || !x->csrf)
		return;
	tm_out_puts(o, "<form class=\"decide\" method=\"post\" action=\"/decide\">");
	tm_out_printf(o, "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"fp\" value=\"", x->csrf);
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

/* What a page shows of its session: the CSRF token of its forms and the outcome of the last POST. */
typedef struct {
	const char *csrf;
	const char *flash;
} page_ctx;

static void flash(tm_out *o, const page_ctx *p)
{
	if (!p->flash || !p->flash[0])
		return;
	tm_out_puts(o, "<p class=\"notice\" role=\"status\">");
	tm_esc_html(o, p->flash);
	tm_out_puts(o, "</p>\n");
}

/* The diagram and its figure, laid out by Graphviz the first time only (see the opening comment). */
static int draw_once(app *a)
{
	if (a->drawn)
		return 0;
	const tm_serve_opts *so = a->o;
	int rc = tm_diagram_build(&a->diagram, tm_analysis_model(so->analysis), tm_analysis_exposure(so->analysis), NULL);
	if (rc) {
		tm_diagram_dispose(&a->diagram);
		return rc;
	}
	tm_sink sink = tm_sink_strbuf(&a->figure);
	tm_out o;
	tm_out_init(&o, &sink);
	tm_html_diagram(&o, &a->diagram, so->title);
	rc = tm_out_finish(&o);
	if (rc || a->figure.oom) {
		tm_diagram_dispose(&a->diagram);
		tm_strbuf_dispose(&a->figure);
		return rc ? rc : TM_ENOMEM;
	}
	a->drawn = true;
	return 0;
}

static int page_model(tm_out *o, app *a, const page_ctx *pc)
{
	const tm_serve_opts *so = a->o;
	int rc = draw_once(a);
	size_t n = tm_findings_count(tm_analysis_findings(so->analysis));
	const tm_finding **list = rc ? NULL : tm_calloc(n ? n : 1, sizeof(*list));
	if (rc || !list)
		return rc ? rc : TM_ENOMEM;
	for (size_t i = 0; i < n; i++)
		list[i] = tm_findings_at(tm_analysis_findings(so->analysis), i);
	tm_html_head(o, so->title, "trustmap", !so->read_only);
	nav(o, a, "/");
	flash(o, pc);
	tm_out_puts(o, "<section id=\"building\"><h2>The model</h2>\n");
	tm_out_put(o, a->figure.data ? a->figure.data : "", a->figure.len);
	tm_out_puts(o, "</section>\n<section id=\"wrong\"><h2>Findings</h2>\n<p>Select a finding for its evidence, its path "
		       "on the diagram and, outside read-only mode, a decision.</p>\n");
	struct form_ctx fx = {a, pc->csrf, "/"};
	tm_html_findings_table_ex(o, "findings", list, n, &a->diagram, finding_form, &fx);
	tm_out_puts(o, "</section>\n</main>\n");
	tm_html_tail(o);
	tm_free(list);
	return 0;
}

struct reg_page {
	tm_table *t;
	struct form_ctx fx;
	size_t n;
};

static int reg_row(void *ud, const tm_register_row *r)
{
	struct reg_page *p = ud;
	tm_table *t = p->t;
	bool resolved = strcmp(r->state, "resolved") == 0;
	p->n++;
	tm_out *o = tm_table_row(t, "class=\"finding\" tabindex=\"0\"");
	tm_out_puts(o, " data-fp=\"");
	tm_esc_html(o, r->fingerprint);
	tm_out_printf(o, "\" data-severity=\"%s\" data-status=\"%s\" data-owner=\"", r->severity ? r->severity : "",
		      resolved ? "resolved" : r->expired ? "expired" : tm_status_name(r->status));
	tm_esc_html(o, r->owner ? r->owner : "");
	tm_out_puts(o, "\" data-layer=\"\" data-stride=\"\" data-path=\"\"");
	tm_table_code(t, r->fingerprint ? r->fingerprint : "");
	tm_table_text(t, r->severity ? r->severity : "");
	tm_table_code(t, r->rule ? r->rule : "");
	tm_table_text(t, r->title ? r->title : "");
	tm_table_text(t, r->owner);
	o = tm_table_cell(t);
	tm_esc_html(o, resolved ? "resolved" : r->expired ? "open (acceptance expired)" : tm_status_name(r->status));
	if (r->decided_in) {
		tm_out_puts(o, "<br><small>");
		tm_esc_html(o, strcmp(r->decided_in, "store") == 0 ? "the register" : r->decided_in);
		tm_out_puts(o, "</small>");
	}
	o = tm_table_cell(t);
	tm_esc_html(o, r->decision_owner ? r->decision_owner : "-");
	if (r->until) {
		tm_out_puts(o, " until ");
		tm_esc_html(o, r->until);
	}
	if (r->why) {
		tm_out_puts(o, ": ");
		tm_esc_html(o, r->why);
	}
	tm_table_row(t, "class=\"detail\" hidden");
	o = tm_table_span(t);
	if (!resolved)
		decision_form(o, r->fingerprint, &p->fx);
	tm_table_end_row(t);
	return 0;
}

static int page_register(tm_out *o, app *a, const page_ctx *pc)
{
	const tm_serve_opts *so = a->o;
	tm_html_head(o, so->title, "Register", !so->read_only);
	nav(o, a, "/register");
	flash(o, pc);
	tm_out_puts(o, "<section><h2>The risk register</h2>\n<div class=\"filters\" data-for=\"register\">"
		       "<label>Severity <select data-filter=\"severity\"><option value=\"\">all</option></select></label>"
		       "<label>Status <select data-filter=\"status\"><option value=\"\">all</option></select></label>"
		       "<label>Owner <select data-filter=\"owner\"><option value=\"\">all</option></select></label>"
		       "<label>Search <input type=\"search\" data-search></label> <span class=\"count\"></span></div>\n");
	static const tm_table_col cols[] = {{"Fingerprint", NULL}, {"Severity", NULL}, {"Rule", NULL},    {"Finding", NULL},
					    {"Owner", NULL},       {"Status", NULL},   {"Decision", NULL}};
	tm_table t;
	tm_table_begin(&t, o,
		       &(tm_table_spec){TM_TABLE_HTML, cols, TM_ARRAY_LEN(cols), "class=\"findings\" id=\"register\"", 0});
	struct reg_page p = {&t, {a, pc->csrf, "/register"}, 0};
	int rc = tm_store_register(so->store, so->root, so->today, reg_row, &p);
	if (!p.n)
		tm_out_puts(tm_table_span(&t), "The register is empty: run <code>trustmap scan</code>.");
	tm_table_end(&t);
	tm_out_puts(o, "</section>\n</main>\n");
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
	static const tm_table_col cols[] = {{"Run", NULL},    {"Time (UTC)", NULL}, {"Command", NULL},     {"Revision", NULL},
					    {"Findings", NULL}, {"Open", NULL},     {"Opened", NULL},      {"Closed", NULL},
					    {"Known authz", NULL}, {"Owned", NULL}, {"Isolated", NULL}};
	tm_table tbl;
	tm_table_begin(&tbl, o, &(tm_table_spec){TM_TABLE_HTML, cols, TM_ARRAY_LEN(cols), NULL, 0});
	for (size_t i = h->n; i-- > 0;) {
		const tm_history_row *r = &h->rows[i];
		char when[32] = "-";
		time_t t = (time_t)r->time;
		struct tm tmv;
		if (gmtime_r(&t, &tmv))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tmv);
		tm_table_int(&tbl, r->id);
		tm_table_raw(&tbl, when);
		tm_table_raw(&tbl, r->partial ? "diff (proposal)" : "scan");
		tm_table_code(&tbl, h->revs[i]);
		tm_table_int(&tbl, r->findings);
		tm_table_int(&tbl, r->open);
		tm_table_int(&tbl, r->opened);
		tm_table_int(&tbl, r->closed);
		tm_table_numf(&tbl, "%.0f%%", r->coverage_authz * 100);
		tm_table_numf(&tbl, "%.0f%%", r->coverage_owner * 100);
		tm_table_numf(&tbl, "%.0f%%", r->coverage_policy * 100);
		tm_table_end_row(&tbl);
	}
	tm_table_end(&tbl);
	tm_out_puts(o, "</section>\n</main>\n");
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
	int st = accept ? TM_STATUS_ACCEPTED : tm_status_parse(action);
	if (st < 0)
		return "unknown decision";
	tm_decision d = {fp, so->root, (tm_finding_status)st, *owner ? owner : so->who, *why ? why : NULL,
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
	if (tm_store_settle(so->store, so->root, so->today, so->analysis))
		return "recorded, but the findings could not be settled again";
	snprintf(msg, len, "%.16s: %.20s%s%.10s, recorded by %.200s", fp, tm_status_name(d.status), accept ? " until " : "", accept ? until : "",
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

/* --- the request line and headers ---------------------------------------------------------- */

typedef enum { ROUTE_NONE, ROUTE_MODEL, ROUTE_REGISTER, ROUTE_HISTORY, ROUTE_DECIDE } route;

static const struct {
	const char *path;
	route r;
} routes[] = {{"/", ROUTE_MODEL}, {"/register", ROUTE_REGISTER}, {"/history", ROUTE_HISTORY}, {"/decide", ROUTE_DECIDE}};

static tm_conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static enum MHD_Result count_host(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind, (void)value;
	if (key && strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
		(*(unsigned *)cls)++;
	return MHD_YES;
}

static int hex_digit(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* Percent-decode the path [p, p + n) into out (room for n bytes); false on a bad escape or a byte
 * that no path of ours has: a control byte (NUL included) however it was written. */
static bool decode_path(const char *p, size_t n, char *out, size_t *out_len)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)p[i];
		if (b == '%') {
			if (i + 2 >= n)
				return false;
			int h = hex_digit(p[i + 1]), l = hex_digit(p[i + 2]);
			if (h < 0 || l < 0)
				return false;
			b = (unsigned char)(h * 16 + l);
			i += 2;
		}
		if (b < 0x20 || b == 0x7f)
			return false;
		out[k++] = (char)b;
	}
	*out_len = k;
	return true;
}

/* True when a segment of the decoded path is "." or ".." (however it was escaped). */
static bool has_dot_segment(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '/')
			continue;
		size_t j = i + 1;
		while (j < n && p[j] == '.')
			j++;
		size_t dots = j - i - 1;
		if ((dots == 1 || dots == 2) && (j == n || p[j] == '/'))
			return true;
	}
	return false;
}

/* The route of the raw request target (as sent: MHD hands the handler a decoded C string, which
 * stops at an encoded NUL). 0, or the status that refuses it with *why. */
static unsigned target_route(const tm_conn *conn, const char *host, route *out, const char **why)
{
	const char *t = conn->uri;
	size_t n = conn->uri_len;
	*why = "400 bad request: malformed request target\n";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f || t[i] == '#')
			return MHD_HTTP_BAD_REQUEST;
	size_t start = 0;
	if (n >= 7 && strncasecmp(t, "http://", 7) == 0) {
		/* absolute form: its authority must be the Host we checked */
		size_t end = 7;
		while (end < n && t[end] != '/' && t[end] != '?')
			end++;
		if (end - 7 != strlen(host) || strncasecmp(t + 7, host, end - 7) != 0) {
			*why = "400 bad request: the request target names another host than Host\n";
			return MHD_HTTP_BAD_REQUEST;
		}
		start = end;
	} else if (n == 0 || t[0] != '/') {
		return MHD_HTTP_BAD_REQUEST;
	}
	size_t stop = start;
	while (stop < n && t[stop] != '?')
		stop++;
	char path[TM_GUARD_URI_MAX + 1];
	size_t len = 0;
	if (!decode_path(t + start, stop - start, path, &len) || has_dot_segment(path, len))
		return MHD_HTTP_BAD_REQUEST;
	if (len == 0) /* "http://host" or "http://host?q" */
		path[len++] = '/';
	*out = ROUTE_NONE;
	for (size_t i = 0; i < TM_ARRAY_LEN(routes); i++)
		if (strlen(routes[i].path) == len && memcmp(routes[i].path, path, len) == 0)
			*out = routes[i].r;
	return 0;
}

/* Host and request target: 0 with the route, or the status that refuses the request with *why. */
static unsigned check_request(const app *a, struct MHD_Connection *c, const tm_conn *conn, route *out, const char **why)
{
	unsigned hosts = 0;
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_host, &hosts);
	if (hosts != 1) {
		*why = "400 bad request: a request has exactly one Host header\n";
		return MHD_HTTP_BAD_REQUEST;
	}
	/* DNS rebinding: the browser must be talking to us by the address we listen on */
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (!host || (strcmp(host, a->authority) != 0 && (!a->localhost[0] || strcmp(host, a->localhost) != 0))) {
		*why = "421 misdirected request: the Host header does not name this server\n";
		return 421;
	}
	if (!conn) { /* not tracked (out of memory when it was accepted): it is being shut */
		*why = "503 service unavailable\n";
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	}
	if (conn->uri_long) {
		*why = "414 the request target is too long\n";
		return MHD_HTTP_URI_TOO_LONG;
	}
	return target_route(conn, host, out, why);
}

/* --- the handler ---------------------------------------------------------------------------- */

static enum MHD_Result get_page(app *a, struct MHD_Connection *c, route r)
{
	const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
	    (length && strcmp(length, "0") != 0))
		return plain(c, MHD_HTTP_BAD_REQUEST, "400 bad request: a GET has no body\n");
	/* a session only with a page that has forms, and never a table entry for it */
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "tm_session");
	char sid[SID_HEX + 1] = "", csrf[CSRF_HEX + 1] = "", note[512] = "";
	bool fresh = false;
	if (!a->o->read_only && (r == ROUTE_MODEL || r == ROUTE_REGISTER)) {
		if (valid_sid(cookie))
			snprintf(sid, sizeof(sid), "%s", cookie);
		else if (new_sid(sid) == 0)
			fresh = true;
		else
			sid[0] = '\0'; /* no randomness: no forms on this page */
		if (sid[0]) {
			csrf_of(a, sid, csrf);
			flash_take(a, sid, note, sizeof(note));
		}
	}
	page_ctx pc = {sid[0] ? csrf : NULL, note};
	tm_strbuf body = TM_STRBUF_INIT;
	tm_sink sink = tm_sink_strbuf(&body);
	tm_out o;
	tm_out_init(&o, &sink);
	int rc = r == ROUTE_MODEL ? page_model(&o, a, &pc) : r == ROUTE_REGISTER ? page_register(&o, a, &pc) : page_history(&o, a);
	int frc = tm_out_finish(&o);
	enum MHD_Result ret;
	if (rc || frc || body.oom)
		ret = plain(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "500 the page could not be made (see the server's log)\n");
	else
		ret = respond(c, MHD_HTTP_OK, "text/html; charset=utf-8", body.data ? body.data : "", body.len, fresh ? sid : NULL,
			      NULL);
	if (rc)
		fprintf(stderr, "trustmap serve: %s: %s\n", r == ROUTE_MODEL ? "/" : r == ROUTE_REGISTER ? "/register" : "/history",
			a->o->store ? tm_store_error(a->o->store) : tm_strerror(rc));
	tm_strbuf_dispose(&body);
	return ret;
}

/* The whole form is in: check the session's token and origin, then record. */
static enum MHD_Result post_done(app *a, struct MHD_Connection *c, request *q)
{
	if (q->too_big)
		return plain(c, 413, "413 the form is too large\n");
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	if (origin && strcmp(origin, a->origin) != 0 && (!a->origin_local[0] || strcmp(origin, a->origin_local) != 0))
		return plain(c, MHD_HTTP_FORBIDDEN, "403 forbidden: cross-origin request\n");
	char want[CSRF_HEX + 1] = "";
	if (valid_sid(q->sid))
		csrf_of(a, q->sid, want);
	if (!want[0] || !same_token(q->fields[F_CSRF], want, CSRF_HEX))
		return plain(c, MHD_HTTP_FORBIDDEN, "403 forbidden: missing or wrong CSRF token (reload the page)\n");
	if (q->bad)
		return plain(c, MHD_HTTP_BAD_REQUEST, "400 bad request: the form could not be read\n");
	char msg[400], note[512];
	const char *why = decide(a, q, msg, sizeof(msg));
	if (why)
		snprintf(note, sizeof(note), "Not recorded: %.400s.", why);
	else
		snprintf(note, sizeof(note), "Recorded %s.", msg);
	flash_set(a, q->sid, note);
	const char *back = strcmp(q->fields[F_BACK], "/register") == 0 ? "/register" : "/";
	return respond(c, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", "", 0, NULL, back);
}

static enum MHD_Result post_start(app *a, struct MHD_Connection *c, tm_conn *conn, void **con_cls)
{
	if (a->o->read_only)
		return plain(c, MHD_HTTP_FORBIDDEN, "403 forbidden: this server is read-only\n");
	const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (length && strtoull(length, NULL, 10) > MAX_BODY) /* refused before it is sent */
		return plain(c, 413, "413 the form is too large\n");
	request *q = tm_calloc(1, sizeof(*q));
	if (!q)
		return MHD_NO;
	q->pp = MHD_create_post_processor(c, 4096, field_cb, q);
	if (!q->pp)
		q->bad = true;
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "tm_session");
	if (valid_sid(cookie))
		snprintf(q->sid, sizeof(q->sid), "%s", cookie);
	*con_cls = q;
	conn->stage = TM_CONN_BODY;
	return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	app *a = cls;
	tm_conn *conn = conn_of(c);
	request *q = *con_cls;
	if (q) { /* a POST's body, then its end */
		if (*upload_size) {
			q->body += *upload_size;
			if (q->body > MAX_BODY)
				q->too_big = true;
			else if (!q->bad && q->pp && MHD_post_process(q->pp, upload, *upload_size) != MHD_YES)
				q->bad = true;
			*upload_size = 0;
			return MHD_YES;
		}
		if (conn)
			conn->stage = TM_CONN_RESPONSE;
		return post_done(a, c, q);
	}
	/* the request line and headers are in */
	if (conn)
		conn->stage = TM_CONN_RESPONSE;
	route r = ROUTE_NONE;
	const char *why = NULL;
	unsigned status = check_request(a, c, conn, &r, &why);
	/* url is decoded and cut at an encoded NUL, so target_route reads the raw target; a raw NUL cuts
	 * even that. MHD 0.9.x parses the request line in place: the target runs from url to the space
	 * before version, so a target longer than the string uri_seen got holds a NUL. */
	uintptr_t from = (uintptr_t)url, to = (uintptr_t)version;
	if (!status && conn && from < to && to - from - 1 != conn->uri_len) {
		status = MHD_HTTP_BAD_REQUEST;
		why = "400 bad request: malformed request target\n";
	}
	if (status)
		return plain(c, status, why);
	bool post = strcmp(method, "POST") == 0;
	if (!post && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return plain(c, MHD_HTTP_METHOD_NOT_ALLOWED, "405 method not allowed\n");
	if (r == ROUTE_NONE || post != (r == ROUTE_DECIDE))
		return plain(c, MHD_HTTP_NOT_FOUND, "404 not found\n");
	return post ? post_start(a, c, conn, con_cls) : get_page(a, c, r);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)toe;
	request *q = *con_cls;
	if (q) {
		if (q->pp)
			MHD_destroy_post_processor(q->pp);
		tm_free(q);
		*con_cls = NULL;
	}
	tm_conn *conn = conn_of(c);
	if (conn)
		tm_serve__conn_next(conn, tm_serve__now_ms());
}

/* Called with each request line before MHD decodes it: the target as sent, for target_route. */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	tm_conn *conn = conn_of(c);
	if (conn) {
		size_t n = strlen(uri);
		conn->uri_long = n > TM_GUARD_URI_MAX;
		conn->uri_len = conn->uri_long ? 0 : n;
		memcpy(conn->uri, uri, conn->uri_len);
		conn->uri[conn->uri_len] = '\0';
	}
	return NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	app *a = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *peer = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (!fd)
			return;
		*socket_context = tm_serve__conn_open(&a->conns, fd->connect_fd, peer ? peer->client_addr : NULL, tm_serve__now_ms());
		if (!*socket_context) /* cannot track it: refuse it */
			shutdown(fd->connect_fd, SHUT_RDWR);
	} else if (*socket_context) {
		tm_serve__conn_close(&a->conns, *socket_context);
		*socket_context = NULL;
	}
}

static void no_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls, (void)fmt, (void)ap;
}

static void app_free(app *a)
{
	while (a->conns.head) /* MHD_stop_daemon reported every close; this is only belt and braces */
		tm_serve__conn_close(&a->conns, a->conns.head);
	if (a->drawn)
		tm_diagram_dispose(&a->diagram);
	tm_strbuf_dispose(&a->figure);
	tm_free(a);
}

int tm_serve(const tm_serve_opts *opts, char *why, size_t why_len)
{
	app *a = tm_calloc(1, sizeof(*a));
	if (!a)
		return TM_ENOMEM;
	a->o = opts;
	if (getrandom(a->secret, sizeof(a->secret), 0) != (ssize_t)sizeof(a->secret)) {
		snprintf(why, why_len, "no randomness for the CSRF secret");
		app_free(a);
		return TM_EIO;
	}
	const char *host = opts->host ? opts->host : "127.0.0.1";
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
	memset(&v4, 0, sizeof(v4));
	memset(&v6, 0, sizeof(v6));
	bool ipv6 = strchr(host, ':') != NULL;
	if (ipv6 ? inet_pton(AF_INET6, host, &v6.sin6_addr) != 1 : inet_pton(AF_INET, host, &v4.sin_addr) != 1) {
		snprintf(why, why_len, "'%s' is not an IPv4 or IPv6 address", host);
		app_free(a);
		return TM_EUSAGE;
	}
	v4.sin_family = AF_INET;
	v4.sin_port = htons((uint16_t)opts->port);
	v6.sin6_family = AF_INET6;
	v6.sin6_port = htons((uint16_t)opts->port);
	/* no internal thread: tm_serve's loop below runs MHD and the guard's sweep, on this thread */
	unsigned flags = MHD_USE_AUTO | MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
	/* hard limits behind the guard's softer ones (guard.h); the idle timeout stays for idle sockets */
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)opts->port, NULL, NULL, handle, a, MHD_OPTION_SOCK_ADDR,
		ipv6 ? (struct sockaddr *)&v6 : (struct sockaddr *)&v4, MHD_OPTION_NOTIFY_COMPLETED, completed, a,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, a, MHD_OPTION_URI_LOG_CALLBACK, uri_seen, a,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_EXTERNAL_LOGGER, no_log, NULL, MHD_OPTION_END);
	if (!d) {
		snprintf(why, why_len, "cannot listen on %s:%u (in use, or not an address of this machine)", host, opts->port);
		app_free(a);
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
	struct timespec pause = {0, 50 * 1000 * 1000};
	while (!opts->stop || !opts->stop(opts->ud)) {
		/* at most 100 ms, so deadlines are kept to a tenth of a second and stop is polled */
		if (MHD_run_wait(d, 100) != MHD_YES)
			nanosleep(&pause, NULL);
		tm_serve__conns_sweep(&a->conns, tm_serve__now_ms());
	}
	MHD_stop_daemon(d);
	app_free(a);
	return 0;
}
