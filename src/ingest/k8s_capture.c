/*
 * k8s_capture.c - Istio's traffic capture annotations on a pod template
 * (traffic.sidecar.istio.io/...): the connections istio-init's (or the CNI
 * plugin's) iptables rules leave around the sidecar.
 *
 * Each annotation is read as Istio's sidecar injector validates it: ports are
 * comma-separated numbers, spaces around them allowed; ranges are
 * comma-separated CIDRs written exactly (no spaces, the prefix length
 * required); "*" only in includeInboundPorts and includeOutboundIPRanges. The
 * injector refuses a pod whose annotation does not parse: each bad entry is a
 * warning at the annotation's value and is left out, the rest is read.
 *
 * The typed form goes on the policy workload (tm_pm_workload.capture: the
 * query evaluator and TM-MESH-011 read it through tm_policy__inbound_bypass and
 * tm_policy__outbound_bypass). Facts on the workload node say what is not
 * captured, each at the annotation's value:
 *   sidecar_inbound_uncaptured   "9090" (excludeInboundPorts), "every port" or
 *                                "every port but 8080, 9090" (includeInboundPorts)
 *   sidecar_outbound_uncaptured  "port 5432", a CIDR as written ("169.254.169.254/32",
 *                                "0.0.0.0/0"), "every address" or "every address
 *                                outside 10.0.0.0/8" (includeOutboundIPRanges)
 * sidecar.istio.io/interceptionMode is not read (REDIRECT and TPROXY capture
 * alike).
 */
#include <stdio.h>

#include "k8s.h"

#define SPACES " \t\n\v\f\r"

/* A port entry as Go's strconv.ParseUint(strings.TrimSpace(s), 10, 16) takes it: -1 when it is none. */
static int port_entry(const char *s, size_t len)
{
	while (len && strchr(SPACES, s[0])) {
		s++;
		len--;
	}
	while (len && strchr(SPACES, s[len - 1]))
		len--;
	int64_t v;
	if (!len || len > 5 || strspn(s, "0123456789") < len || tm_parse_i64(s, len, 10, &v) || v > 65535)
		return -1;
	return (int)v;
}

/* Add the entry e (len bytes) of annotation which to c; NULL, or why Istio's injector refuses it. */
static const char *add_entry(tm_arena *a, int which, const char *e, size_t len, tm_pm_capture *c)
{
	bool ranges = tm_policy__capture_ranges(which);
	if (!len || (!ranges && strspn(e, SPACES) >= len)) /* Go trims a port entry, not a range */
		return "is empty (two commas, or one at an end)";
	if (len == 1 && *e == '*')
		return ranges ? "is no CIDR: '*' is read only in includeOutboundIPRanges (0.0.0.0/0 is every address)"
			      : "is no port number: '*' is read only in includeInboundPorts";
	if (!ranges) {
		int port = port_entry(e, len);
		if (port < 0)
			return "is no port number";
		c->ports[c->n++] = port;
		return NULL;
	}
	char *cidr = tm_arena_strndup(a, e, len);
	int bits = cidr ? tm_policy__cidr_prefix(cidr) : 0;
	if (bits < 0)
		return "is no CIDR (written exactly, as \"10.0.0.0/8\", without spaces)";
	if (cidr) {
		c->ranges[c->n++] = cidr;
		c->all = c->all || bits == 0;
	}
	return NULL;
}

/* Read one annotation's value into c (its arrays in the policy arena a). The first entry Istio's
 * injector refuses is a warning; any further ones are counted in a note, not listed. */
static void read_list(tm_ingest_ctx *ctx, tm_arena *a, const tm_file *f, const tm_value *v, int which,
		      tm_pm_capture *c)
{
	const char *name = tm_policy__capture_annotation(which);
	bool ranges = tm_policy__capture_ranges(which);
	c->loc = tm_ingest__loc(f, v);
	size_t len = 0;
	const char *text = tm_scalar_str(v, &len);
	if (!text) {
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, c->loc,
			    "%s is not a string: Istio's sidecar injector refuses the pod; it is not read", name);
		return;
	}
	c->present = true;
	bool star_ok = which == TM_CAP_IN_INCLUDE || which == TM_CAP_OUT_INCLUDE_RANGES;
	if (star_ok && strcmp(text, "*") == 0) {
		c->all = true;
		return;
	}
	/* a port list is trimmed as a whole first: "" and " " hold no entry; a range list is not */
	if (!ranges) {
		while (len && strchr(SPACES, text[0])) {
			text++;
			len--;
		}
		while (len && strchr(SPACES, text[len - 1]))
			len--;
	}
	if (!len)
		return;
	size_t max = 1, bad = 0;
	for (size_t i = 0; i < len; i++)
		max += text[i] == ',';
	if (ranges)
		c->ranges = tm_arena_alloc(a, max * sizeof(*c->ranges));
	else
		c->ports = tm_arena_alloc(a, max * sizeof(*c->ports));
	if (ranges ? !c->ranges : !c->ports)
		return; /* out of memory: the arena remembers, the scan fails */
	for (size_t at = 0; at <= len;) {
		size_t el = strcspn(text + at, ",");
		if (at + el > len)
			el = len - at;
		const char *why = add_entry(a, which, text + at, el, c);
		if (why && !bad++)
			tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_WARNING, c->loc,
				    "'%.*s' in %s %s: Istio's sidecar injector refuses the pod; the entry is left out",
				    (int)(el < 60 ? el : 60), text + at, name, why);
		at += el + 1;
	}
	if (bad > 1)
		tm_diag_add(ctx->diags, TM_EINVALID, TM_LEVEL_NOTE, c->loc, "%zu more entries of %s are left out as well",
			    bad - 1, name);
}

/* The facts: what is not captured, at the annotation that says so. */
static void facts(tm_ingest_ctx *ctx, tm_arena *a, tm_node *n, const tm_pm_capture *c)
{
	const tm_pm_capture *inc = &c[TM_CAP_IN_INCLUDE], *exc = &c[TM_CAP_IN_EXCLUDE];
	if (inc->present && !inc->all) {
		const char *but = tm_policy__capture_text(a, inc);
		tm_mb_node_fact(ctx->mb, n, "sidecar_inbound_uncaptured",
				but ? tm_arena_printf(a, "every port but %s", but) : "every port", inc->loc);
		if (exc->n) /* istio-iptables reads the exclusions only when every port is captured */
			tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, exc->loc,
				    "%s is not read: %s is not '*', so only its ports are captured",
				    tm_policy__capture_annotation(TM_CAP_IN_EXCLUDE),
				    tm_policy__capture_annotation(TM_CAP_IN_INCLUDE));
	} else {
		for (size_t i = 0; i < exc->n; i++)
			tm_mb_node_fact(ctx->mb, n, "sidecar_inbound_uncaptured", tm_arena_printf(a, "%d", exc->ports[i]),
					exc->loc);
	}
	const tm_pm_capture *xp = &c[TM_CAP_OUT_EXCLUDE_PORTS], *xr = &c[TM_CAP_OUT_EXCLUDE_RANGES];
	const tm_pm_capture *ip = &c[TM_CAP_OUT_INCLUDE_PORTS], *ir = &c[TM_CAP_OUT_INCLUDE_RANGES];
	for (size_t i = 0; i < xp->n; i++)
		tm_mb_node_fact(ctx->mb, n, "sidecar_outbound_uncaptured", tm_arena_printf(a, "port %d", xp->ports[i]),
				xp->loc);
	for (size_t i = 0; i < xr->n; i++)
		tm_mb_node_fact(ctx->mb, n, "sidecar_outbound_uncaptured", xr->ranges[i], xr->loc);
	if (ir->present && !ir->all) {
		const char *in = tm_policy__capture_text(a, ir), *still = tm_policy__capture_text(a, ip);
		const char *what = in ? tm_arena_printf(a, "every address outside %s", in) : "every address";
		if (still)
			what = tm_arena_printf(a, "%s (ports %s still captured)", what, still);
		tm_mb_node_fact(ctx->mb, n, "sidecar_outbound_uncaptured", what, ir->loc);
	}
}

void tm_k8s__capture(tm_ingest_ctx *ctx, tm_node *n, const tm_file *f, const tm_value *anns,
		     tm_pm_workload *pw)
{
	tm_arena *a = tm_mb_policy(ctx->mb)->arena;
	bool any = false;
	for (int i = 0; i < TM_CAP_COUNT; i++) {
		const tm_value *v = tm_map_get(anns, tm_policy__capture_annotation(i));
		if (v) {
			read_list(ctx, a, f, v, i, &pw->capture[i]);
			any = true;
		}
	}
	if (any)
		facts(ctx, a, n, pw->capture);
}
