/*
 * sprig.c - the functions a template can call: text/template's built-ins, the Sprig functions
 * charts use, and Helm's own (include, tpl, required, toYaml, fromYaml, lookup...). One table,
 * sorted by name (binary search at parse time).
 *
 * Arguments are evaluated before the call; a piped value is the last argument. Where Go would
 * refuse an argument's type (a float64 where Sprig takes int, nil where it takes string) we
 * convert leniently: charts that render with Helm never reach those errors.
 *
 * Deterministic stand-ins (docs/helm.md): now is 2024-01-01T00:00:00Z; rand* return the first
 * characters of a fixed cycle of their alphabet; uuidv4 is 00000000-0000-4000-8000-000000000000;
 * env and expandenv never read the environment ("" and the text with every $VAR emptied);
 * lookup finds nothing (an empty dict), as `helm template` does without a cluster.
 */
#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/gotmpl.h"

#define FN(name) static int fn_##name(tm_gt_exec *x, const tm_gv *a, size_t n, tm_gv *out)
#define UNUSED (void)x, (void)a, (void)n

/* ---- argument conversion ---- */

static tm_gv S(tm_gt_exec *x, tm_gv v)
{
	if (v.k == TM_GV_NIL)
		return tm_gv_str_take("", 0);
	return tm_gv_to_string(x->a, v);
}

static int64_t I(tm_gv v)
{
	switch (v.k) {
	case TM_GV_INT: return v.u.i;
	case TM_GV_FLOAT:
		if (isnan(v.u.f) || v.u.f > 9.2e18 || v.u.f < -9.2e18)
			return 0;
		return (int64_t)v.u.f;
	case TM_GV_BOOL: return v.u.b;
	case TM_GV_STR: {
		int64_t r;
		const char *s = v.u.s.p;
		size_t len = v.u.s.n;
		/* cast.ToInt64: strconv.ParseInt(s, 0, 0) after trimming a ".0..." decimal */
		const char *dot = memchr(s, '.', len);
		if (dot) {
			bool zeros = true;
			for (const char *q = dot + 1; q < s + len; q++)
				zeros &= *q == '0';
			if (zeros)
				len = (size_t)(dot - s);
		}
		bool neg = len && s[0] == '-';
		const char *d = s + (len && (s[0] == '-' || s[0] == '+'));
		size_t dl = len - (size_t)(d - s);
		int base = 10;
		if (dl > 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
			base = 16, d += 2, dl -= 2;
		else if (dl > 2 && d[0] == '0' && (d[1] == 'b' || d[1] == 'B'))
			base = 2, d += 2, dl -= 2;
		else if (dl > 2 && d[0] == '0' && (d[1] == 'o' || d[1] == 'O'))
			base = 8, d += 2, dl -= 2;
		else if (dl > 1 && d[0] == '0')
			base = 8, d += 1, dl -= 1;
		if (dl && tm_parse_i64(d, dl, base, &r) == 0)
			return neg ? -r : r;
		return 0;
	}
	default: return 0;
	}
}

static double F(tm_gv v)
{
	switch (v.k) {
	case TM_GV_INT: return (double)v.u.i;
	case TM_GV_FLOAT: return v.u.f;
	case TM_GV_BOOL: return v.u.b;
	case TM_GV_STR: {
		char *end;
		double d = strtod(v.u.s.p, &end);
		return *end ? 0 : d;
	}
	default: return 0;
	}
}

static tm_gv mkstr(tm_gt_exec *x, tm_strbuf *sb)
{
	tm_gv r = tm_gv_str(x->a, sb->data ? sb->data : "", sb->len);
	tm_strbuf_dispose(sb);
	return r;
}

static int oom(tm_gt_exec *x)
{
	return tm_gt__fail(x, TM_ENOMEM, "out of memory");
}

/* A list argument: lists as they are; Go would refuse others for must* and return errors. */
static int L(tm_gt_exec *x, const char *fname, tm_gv v, tm_gv_list **out)
{
	static tm_gv_list empty;
	if (v.k == TM_GV_LIST) {
		*out = v.u.l;
		return 0;
	}
	if (v.k == TM_GV_NIL) {
		*out = &empty;
		return 0;
	}
	return tm_gt__fail(x, TM_EINVALID, "error calling %s: cannot find %s on type %s", fname, fname, tm_gv_type_name(v));
}

/* A map argument a function writes (set, unset, merge): Go panics on a nil map. */
static int D(tm_gt_exec *x, const char *fname, tm_gv v, tm_gv_dict **out)
{
	if (v.k == TM_GV_DICT) {
		*out = v.u.d;
		return 0;
	}
	return tm_gt__fail(x, TM_EINVALID, "wrong type for value; expected map[string]interface {}; got %s (%s)", tm_gv_type_name(v), fname);
}

/* A map argument a function only reads. A nil is Go's untyped nil, which a map parameter takes as a
 * nil map (no keys): what a variable or a pipeline holds when it produced nothing
 * (`$s := (lookup ...).data`, then `hasKey $s "k"` is false in Helm). A missing field written in the
 * call itself is a typed nil Go refuses; that error is not reproduced
 * (tests/helm/known_differences.txt). */
static int DR(tm_gt_exec *x, const char *fname, tm_gv v, tm_gv_dict **out)
{
	static tm_gv_dict empty; /* read only */
	if (v.k == TM_GV_NIL) {
		*out = &empty;
		return 0;
	}
	return D(x, fname, v, out);
}

/* ---- text/template built-ins ---- */

FN(not)
{
	UNUSED;
	*out = tm_gv_bool(!tm_gv_truth(a[0]));
	return 0;
}

FN(andor)
{
	UNUSED;
	*out = a[n - 1];
	return 0;
}

FN(len)
{
	(void)n;
	switch (a[0].k) {
	case TM_GV_STR: *out = tm_gv_int((int64_t)a[0].u.s.n); return 0;
	case TM_GV_LIST: *out = tm_gv_int((int64_t)a[0].u.l->n); return 0;
	case TM_GV_DICT: *out = tm_gv_int((int64_t)a[0].u.d->n); return 0;
	default: return tm_gt__fail(x, TM_EINVALID, "error calling len: len of type %s", tm_gv_type_name(a[0]));
	}
}

FN(index)
{
	tm_gv v = a[0];
	for (size_t i = 1; i < n; i++) {
		if (v.k == TM_GV_DICT) {
			tm_gv k = a[i];
			if (k.k != TM_GV_STR)
				return tm_gt__fail(x, TM_EINVALID, "error calling index: value has type %s; should be string", tm_gv_type_name(k));
			tm_gv *e = tm_gv_dict_get(v.u.d, k.u.s.p, k.u.s.n);
			v = e ? *e : tm_gv_nil();
		} else if (v.k == TM_GV_LIST || v.k == TM_GV_STR) {
			if (a[i].k != TM_GV_INT)
				return tm_gt__fail(x, TM_EINVALID, "error calling index: cannot index slice/array with type %s", tm_gv_type_name(a[i]));
			int64_t ix = a[i].u.i;
			size_t len = v.k == TM_GV_LIST ? v.u.l->n : v.u.s.n;
			if (ix < 0 || (uint64_t)ix >= len)
				return tm_gt__fail(x, TM_EINVALID, "error calling index: index out of range: %lld", (long long)ix);
			v = v.k == TM_GV_LIST ? v.u.l->it[ix] : tm_gv_int((unsigned char)v.u.s.p[ix]);
		} else if (v.k == TM_GV_NIL)
			return tm_gt__fail(x, TM_EINVALID, "error calling index: index of untyped nil");
		else
			return tm_gt__fail(x, TM_EINVALID, "error calling index: can't index item of type %s", tm_gv_type_name(v));
	}
	*out = v;
	return 0;
}

FN(slice)
{
	tm_gv v = a[0];
	size_t len = v.k == TM_GV_LIST ? v.u.l->n : v.k == TM_GV_STR ? v.u.s.n : 0;
	/* Sprig's slice replaces text/template's: lists only */
	if (v.k != TM_GV_LIST)
		return tm_gt__fail(x, TM_EINVALID, "error calling slice: list should be type of slice or array but %s", tm_gv_type_name(v));
	int64_t lo = n > 1 ? I(a[1]) : 0, hi = n > 2 ? I(a[2]) : (int64_t)len;
	if (lo < 0 || hi < lo || (uint64_t)hi > len)
		return tm_gt__fail(x, TM_EINVALID, "error calling slice: index out of range");
	if (v.k == TM_GV_STR) {
		*out = tm_gv_str(x->a, v.u.s.p + lo, (size_t)(hi - lo));
		return 0;
	}
	*out = tm_gv_list_new(x->a, (size_t)(hi - lo));
	for (int64_t i = lo; i < hi; i++)
		tm_gv_list_push(x->a, *out, v.u.l->it[i]);
	return 0;
}

static int cmp_fail(tm_gt_exec *x, const char *fname)
{
	return tm_gt__fail(x, TM_EINVALID, "error calling %s: incompatible types for comparison", fname);
}

FN(eq)
{
	if (n < 2)
		return tm_gt__fail(x, TM_EINVALID, "error calling eq: missing argument for comparison");
	for (size_t i = 1; i < n; i++) {
		int r = tm_gv_equal(a[0], a[i]);
		if (r < 0)
			return cmp_fail(x, "eq");
		if (r) {
			*out = tm_gv_bool(true);
			return 0;
		}
	}
	*out = tm_gv_bool(false);
	return 0;
}

FN(ne)
{
	(void)n;
	int r = tm_gv_equal(a[0], a[1]);
	if (r < 0)
		return cmp_fail(x, "ne");
	*out = tm_gv_bool(!r);
	return 0;
}

static int order(tm_gt_exec *x, const tm_gv *a, const char *fname, int want, tm_gv *out)
{
	int lt = tm_gv_less(a[0], a[1]);
	int eq = tm_gv_equal(a[0], a[1]);
	if (lt < 0 || eq < 0)
		return cmp_fail(x, fname);
	bool r = want == 0 ? lt : want == 1 ? (lt || eq) : want == 2 ? !(lt || eq) : !lt;
	*out = tm_gv_bool(r);
	return 0;
}

FN(lt) { (void)n; return order(x, a, "lt", 0, out); }
FN(le) { (void)n; return order(x, a, "le", 1, out); }
FN(gt) { (void)n; return order(x, a, "gt", 2, out); }
FN(ge) { (void)n; return order(x, a, "ge", 3, out); }

/* fmt.Sprint: spaces between operands when neither is a string. */
static void sprint(tm_strbuf *sb, const tm_gv *a, size_t n, bool ln)
{
	for (size_t i = 0; i < n; i++) {
		if (i && (ln || (a[i].k != TM_GV_STR && a[i - 1].k != TM_GV_STR)))
			tm_strbuf_putc(sb, ' ');
		tm_gv_print(sb, a[i]);
	}
	if (ln)
		tm_strbuf_putc(sb, '\n');
}

FN(print)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	sprint(&sb, a, n, false);
	*out = mkstr(x, &sb);
	return 0;
}

FN(println)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	sprint(&sb, a, n, true);
	*out = mkstr(x, &sb);
	return 0;
}

FN(printf)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_gv f = S(x, a[0]);
	tm_gv_sprintf(&sb, f.u.s.p, f.u.s.n, a + 1, n - 1);
	*out = mkstr(x, &sb);
	return 0;
}

/* text/template's evalArgs for html/js/urlquery: one string argument as is, else Sprint. */
static tm_gv joined(tm_gt_exec *x, const tm_gv *a, size_t n)
{
	if (n == 1 && a[0].k == TM_GV_STR)
		return a[0];
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < n; i++) { /* fmt.Sprint, a missing value printed as text/template does */
		if (i && a[i].k != TM_GV_STR && a[i - 1].k != TM_GV_STR)
			tm_strbuf_putc(&sb, ' ');
		if (a[i].k == TM_GV_NIL)
			tm_strbuf_puts(&sb, "<no value>");
		else
			tm_gv_print(&sb, a[i]);
	}
	return mkstr(x, &sb);
}

FN(html)
{
	tm_gv s = joined(x, a, n);
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < s.u.s.n; i++) {
		char c = s.u.s.p[i];
		const char *e = c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : c == '"' ? "&#34;"
			: c == '\'' ? "&#39;" : c == 0 ? "\xEF\xBF\xBD" : NULL;
		if (e)
			tm_strbuf_puts(&sb, e);
		else
			tm_strbuf_putc(&sb, c);
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(js)
{
	tm_gv s = joined(x, a, n);
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < s.u.s.n; i++) {
		unsigned char c = (unsigned char)s.u.s.p[i];
		switch (c) {
		case '\\': tm_strbuf_puts(&sb, "\\\\"); break;
		case '\'': tm_strbuf_puts(&sb, "\\'"); break;
		case '"': tm_strbuf_puts(&sb, "\\\""); break;
		case '<': tm_strbuf_puts(&sb, "\\u003C"); break;
		case '>': tm_strbuf_puts(&sb, "\\u003E"); break;
		case '&': tm_strbuf_puts(&sb, "\\u0026"); break;
		case '=': tm_strbuf_puts(&sb, "\\u003D"); break;
		default:
			if (c < 0x20)
				tm_strbuf_printf(&sb, "\\u%04X", c);
			else
				tm_strbuf_putc(&sb, (char)c);
		}
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(urlquery)
{
	tm_gv s = joined(x, a, n);
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < s.u.s.n; i++) {
		unsigned char c = (unsigned char)s.u.s.p[i];
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			tm_strbuf_putc(&sb, (char)c);
		else if (c == ' ')
			tm_strbuf_putc(&sb, '+');
		else
			tm_strbuf_printf(&sb, "%%%02X", c);
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(call)
{
	UNUSED;
	(void)out;
	return tm_gt__fail(x, TM_EUNSUPPORTED, "error calling call: no function values in this engine");
}

/* ---- Sprig: defaults and flow ---- */

FN(default)
{
	UNUSED;
	*out = (n < 2 || tm_gv_empty(a[1])) ? a[0] : a[1];
	return 0;
}

FN(empty)
{
	UNUSED;
	*out = tm_gv_bool(tm_gv_empty(a[0]));
	return 0;
}

FN(coalesce)
{
	UNUSED;
	*out = tm_gv_nil();
	for (size_t i = 0; i < n; i++)
		if (!tm_gv_empty(a[i])) {
			*out = a[i];
			break;
		}
	return 0;
}

FN(all)
{
	UNUSED;
	bool r = true;
	for (size_t i = 0; i < n; i++)
		r &= !tm_gv_empty(a[i]);
	*out = tm_gv_bool(r);
	return 0;
}

FN(any)
{
	UNUSED;
	bool r = false;
	for (size_t i = 0; i < n; i++)
		r |= !tm_gv_empty(a[i]);
	*out = tm_gv_bool(r);
	return 0;
}

FN(ternary)
{
	UNUSED;
	*out = tm_gv_truth(a[2]) ? a[0] : a[1];
	return 0;
}

FN(fail)
{
	(void)n;
	(void)out;
	tm_gv m = S(x, a[0]);
	return tm_gt__fail(x, TM_EINVALID, "error calling fail: %s", m.u.s.p);
}

/* A value the installer must give: Go's error, or for a host that analyses under a stated
 * assumption (Helm's: docs/helm.md), its placeholder in the value's place, the host told. */
FN(required)
{
	(void)n;
	if (a[1].k == TM_GV_NIL || (a[1].k == TM_GV_STR && a[1].u.s.n == 0)) {
		tm_gv m = S(x, a[0]);
		const char *msg = m.u.s.p ? m.u.s.p : "";
		const tm_gt_set *s = x->set;
		if (!s->required_placeholder)
			return tm_gt__fail(x, TM_EINVALID, "error calling required: %s", msg);
		if (s->required)
			s->required(s->required_ud, msg, tm_gt__where(x));
		*out = tm_gv_strz(x->a, s->required_placeholder);
		return 0;
	}
	*out = a[1];
	return 0;
}

/* ---- Sprig: strings ---- */

FN(quote)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (a[i].k == TM_GV_NIL)
			continue;
		if (!first)
			tm_strbuf_putc(&sb, ' ');
		first = false;
		tm_gv s = S(x, a[i]);
		tm_gv_quote(&sb, s.u.s.p, s.u.s.n);
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(squote)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (a[i].k == TM_GV_NIL)
			continue;
		if (!first)
			tm_strbuf_putc(&sb, ' ');
		first = false;
		tm_gv s = S(x, a[i]);
		tm_strbuf_putc(&sb, '\'');
		tm_strbuf_put(&sb, s.u.s.p, s.u.s.n);
		tm_strbuf_putc(&sb, '\'');
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(cat)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (a[i].k == TM_GV_NIL)
			continue;
		if (!first)
			tm_strbuf_putc(&sb, ' ');
		first = false;
		tm_gv_print(&sb, a[i]);
	}
	*out = mkstr(x, &sb);
	return 0;
}

static int map_chars(tm_gt_exec *x, tm_gv v, int mode, tm_gv *out)
{
	tm_gv s = S(x, v);
	char *p = tm_arena_strndup(x->a, s.u.s.p, s.u.s.n);
	if (!p)
		return oom(x);
	bool word_start = true;
	for (size_t i = 0; i < s.u.s.n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (mode == 0)
			p[i] = (char)toupper(c);
		else if (mode == 1)
			p[i] = (char)tolower(c);
		else if (mode == 2) { /* strings.Title: letters after a separator */
			if (word_start)
				p[i] = (char)toupper(c);
			word_start = !(isalnum(c) || c == '_' || c >= 0x80);
		} else if (mode == 3) {
			if (word_start)
				p[i] = (char)tolower(c);
			word_start = isspace(c);
		}
	}
	*out = tm_gv_str_take(p, s.u.s.n);
	return 0;
}

FN(upper) { (void)n; return map_chars(x, a[0], 0, out); }
FN(lower) { (void)n; return map_chars(x, a[0], 1, out); }
FN(title) { (void)n; return map_chars(x, a[0], 2, out); }
FN(untitle) { (void)n; return map_chars(x, a[0], 3, out); }

static bool in_set(char c, const char *set, size_t n)
{
	return memchr(set, c, n) != NULL;
}

static tm_gv trim_set(tm_gv s, const char *set, size_t sn, bool left, bool right)
{
	const char *p = s.u.s.p, *e = p + s.u.s.n;
	while (left && p < e && in_set(*p, set, sn))
		p++;
	while (right && e > p && in_set(e[-1], set, sn))
		e--;
	return tm_gv_str_take(p, (size_t)(e - p)); /* shares s's bytes: not NUL-terminated */
}

static tm_gv own(tm_gt_exec *x, tm_gv s)
{
	return tm_gv_str(x->a, s.u.s.p, s.u.s.n);
}

FN(trim)
{
	(void)n;
	*out = own(x, trim_set(S(x, a[0]), " \t\n\r\v\f", 6, true, true));
	return 0;
}

FN(trimAll)
{
	(void)n;
	tm_gv set = S(x, a[0]);
	*out = own(x, trim_set(S(x, a[1]), set.u.s.p, set.u.s.n, true, true));
	return 0;
}

FN(trimSuffix)
{
	(void)n;
	tm_gv suf = S(x, a[0]), s = S(x, a[1]);
	if (s.u.s.n >= suf.u.s.n && memcmp(s.u.s.p + s.u.s.n - suf.u.s.n, suf.u.s.p, suf.u.s.n) == 0)
		s = tm_gv_str(x->a, s.u.s.p, s.u.s.n - suf.u.s.n);
	*out = s;
	return 0;
}

FN(trimPrefix)
{
	(void)n;
	tm_gv pre = S(x, a[0]), s = S(x, a[1]);
	if (s.u.s.n >= pre.u.s.n && memcmp(s.u.s.p, pre.u.s.p, pre.u.s.n) == 0)
		s = tm_gv_str_take(s.u.s.p + pre.u.s.n, s.u.s.n - pre.u.s.n);
	*out = s;
	return 0;
}

FN(nospace)
{
	(void)n;
	tm_gv s = S(x, a[0]);
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < s.u.s.n; i++)
		if (!isspace((unsigned char)s.u.s.p[i]))
			tm_strbuf_putc(&sb, s.u.s.p[i]);
	*out = mkstr(x, &sb);
	return 0;
}

FN(trunc)
{
	(void)n;
	int64_t c = I(a[0]);
	tm_gv s = S(x, a[1]);
	int64_t len = (int64_t)s.u.s.n;
	if (c < 0 && len + c > 0)
		*out = tm_gv_str_take(s.u.s.p + len + c, (size_t)-c);
	else if (c >= 0 && len > c)
		*out = tm_gv_str(x->a, s.u.s.p, (size_t)c);
	else
		*out = s;
	return 0;
}

FN(substr)
{
	(void)n;
	int64_t st = I(a[0]), en = I(a[1]);
	tm_gv s = S(x, a[2]);
	int64_t len = (int64_t)s.u.s.n;
	if (st < 0)
		st = 0;
	if (en < 0 || en > len)
		en = len;
	if (st > en)
		st = en;
	*out = tm_gv_str(x->a, s.u.s.p + st, (size_t)(en - st));
	return 0;
}

static const char *find_sub(const char *h, size_t hn, const char *nd, size_t nn)
{
	if (nn == 0)
		return h;
	for (size_t i = 0; i + nn <= hn; i++)
		if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0)
			return h + i;
	return NULL;
}

FN(replace)
{
	(void)n;
	tm_gv old = S(x, a[0]), nw = S(x, a[1]), s = S(x, a[2]);
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *p = s.u.s.p, *e = p + s.u.s.n;
	if (old.u.s.n == 0) { /* Go inserts new around every rune */
		tm_strbuf_put(&sb, nw.u.s.p, nw.u.s.n);
		for (; p < e; p++) {
			tm_strbuf_putc(&sb, *p);
			if (p + 1 == e || ((unsigned char)p[1] & 0xC0) != 0x80)
				tm_strbuf_put(&sb, nw.u.s.p, nw.u.s.n);
		}
	} else {
		const char *q;
		while ((q = find_sub(p, (size_t)(e - p), old.u.s.p, old.u.s.n))) {
			tm_strbuf_put(&sb, p, (size_t)(q - p));
			tm_strbuf_put(&sb, nw.u.s.p, nw.u.s.n);
			p = q + old.u.s.n;
			if (tm_gt__charge(x, 1) < 0) {
				tm_strbuf_dispose(&sb);
				return -1;
			}
		}
		tm_strbuf_put(&sb, p, (size_t)(e - p));
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(contains)
{
	(void)n;
	tm_gv sub = S(x, a[0]), s = S(x, a[1]);
	*out = tm_gv_bool(find_sub(s.u.s.p, s.u.s.n, sub.u.s.p, sub.u.s.n) != NULL);
	return 0;
}

FN(hasPrefix)
{
	(void)n;
	tm_gv p = S(x, a[0]), s = S(x, a[1]);
	*out = tm_gv_bool(s.u.s.n >= p.u.s.n && memcmp(s.u.s.p, p.u.s.p, p.u.s.n) == 0);
	return 0;
}

FN(hasSuffix)
{
	(void)n;
	tm_gv p = S(x, a[0]), s = S(x, a[1]);
	*out = tm_gv_bool(s.u.s.n >= p.u.s.n && memcmp(s.u.s.p + s.u.s.n - p.u.s.n, p.u.s.p, p.u.s.n) == 0);
	return 0;
}

/* strings.Split (limit < 0: all). */
static tm_gv split(tm_gt_exec *x, tm_gv sep, tm_gv s, int64_t limit)
{
	tm_gv l = tm_gv_list_new(x->a, 4);
	const char *p = s.u.s.p, *e = p + s.u.s.n;
	if (limit == 0)
		return l;
	if (sep.u.s.n == 0) {
		while (p < e) {
			const char *q = p + 1;
			while (q < e && ((unsigned char)*q & 0xC0) == 0x80)
				q++;
			if (limit > 0 && (int64_t)l.u.l->n == limit - 1)
				q = e;
			tm_gv_list_push(x->a, l, tm_gv_str(x->a, p, (size_t)(q - p)));
			p = q;
		}
		return l;
	}
	for (;;) {
		const char *q = (limit > 0 && (int64_t)l.u.l->n == limit - 1) ? NULL
			: find_sub(p, (size_t)(e - p), sep.u.s.p, sep.u.s.n);
		if (!q) {
			tm_gv_list_push(x->a, l, tm_gv_str(x->a, p, (size_t)(e - p)));
			break;
		}
		tm_gv_list_push(x->a, l, tm_gv_str(x->a, p, (size_t)(q - p)));
		p = q + sep.u.s.n;
	}
	return l;
}

FN(splitList)
{
	(void)n;
	*out = split(x, S(x, a[0]), S(x, a[1]), -1);
	return 0;
}

static tm_gv list_to_parts(tm_gt_exec *x, tm_gv l)
{
	tm_gv d = tm_gv_dict_new(x->a);
	for (size_t i = 0; d.k && i < l.u.l->n; i++) {
		char k[32];
		int kn = tm_formatf(k, sizeof(k), "_%zu", i);
		tm_gv_dict_set(x->a, d.u.d, k, (size_t)kn, l.u.l->it[i]);
	}
	return d;
}

FN(split)
{
	(void)n;
	*out = list_to_parts(x, split(x, S(x, a[0]), S(x, a[1]), -1));
	return 0;
}

FN(splitn)
{
	(void)n;
	*out = list_to_parts(x, split(x, S(x, a[0]), S(x, a[2]), I(a[1])));
	return 0;
}

FN(join)
{
	(void)n;
	tm_gv sep = S(x, a[0]);
	tm_strbuf sb = TM_STRBUF_INIT;
	if (a[1].k == TM_GV_LIST) {
		bool first = true;
		for (size_t i = 0; i < a[1].u.l->n; i++) {
			if (a[1].u.l->it[i].k == TM_GV_NIL)
				continue;
			if (!first)
				tm_strbuf_put(&sb, sep.u.s.p, sep.u.s.n);
			first = false;
			tm_gv_print(&sb, a[1].u.l->it[i]);
		}
	} else if (a[1].k != TM_GV_NIL) /* strslice: one value, or nothing for nil */
		tm_gv_print(&sb, a[1]);
	*out = mkstr(x, &sb);
	return 0;
}

static int do_indent(tm_gt_exec *x, tm_gv cnt, tm_gv v, bool nl, tm_gv *out)
{
	int64_t c = I(cnt);
	if (c < 0)
		c = 0;
	if (c > 10000)
		return tm_gt__fail(x, TM_ELIMIT, "error calling indent: %lld spaces", (long long)c);
	tm_gv s = S(x, v);
	tm_strbuf sb = TM_STRBUF_INIT;
	if (nl)
		tm_strbuf_putc(&sb, '\n');
	for (int64_t i = 0; i < c; i++)
		tm_strbuf_putc(&sb, ' ');
	for (size_t i = 0; i < s.u.s.n; i++) {
		tm_strbuf_putc(&sb, s.u.s.p[i]);
		if (s.u.s.p[i] == '\n')
			for (int64_t k = 0; k < c; k++)
				tm_strbuf_putc(&sb, ' ');
	}
	if (sb.len > x->lim.max_output) {
		tm_strbuf_dispose(&sb);
		return tm_gt__fail(x, TM_ELIMIT, "error calling indent: result too long");
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(indent) { (void)n; return do_indent(x, a[0], a[1], false, out); }
FN(nindent) { (void)n; return do_indent(x, a[0], a[1], true, out); }

FN(repeat)
{
	(void)n;
	int64_t c = I(a[0]);
	tm_gv s = S(x, a[1]);
	if (c < 0)
		return tm_gt__fail(x, TM_EINVALID, "error calling repeat: negative Repeat count");
	if (s.u.s.n && (uint64_t)c > x->lim.max_output / s.u.s.n)
		return tm_gt__fail(x, TM_ELIMIT, "error calling repeat: result too long");
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int64_t i = 0; i < c; i++)
		tm_strbuf_put(&sb, s.u.s.p, s.u.s.n);
	*out = mkstr(x, &sb);
	return 0;
}

FN(toString)
{
	(void)n;
	*out = tm_gv_to_string(x->a, a[0]);
	return 0;
}

FN(toStrings)
{
	/* Sprig's strslice: a list's non-nil items as strings, any other value a list of itself */
	(void)n;
	*out = tm_gv_list_new(x->a, 0);
	if (a[0].k == TM_GV_LIST) {
		for (size_t i = 0; i < a[0].u.l->n; i++)
			if (a[0].u.l->it[i].k != TM_GV_NIL)
				tm_gv_list_push(x->a, *out, tm_gv_to_string(x->a, a[0].u.l->it[i]));
	} else if (a[0].k != TM_GV_NIL)
		tm_gv_list_push(x->a, *out, tm_gv_to_string(x->a, a[0]));
	return 0;
}

/* ---- Sprig: numbers ---- */

FN(int) { UNUSED; *out = tm_gv_int(I(a[0])); return 0; }
FN(int64) { UNUSED; *out = tm_gv_int64(I(a[0])); return 0; }
FN(float64) { UNUSED; *out = tm_gv_float(F(a[0])); return 0; }
FN(atoi)
{
	(void)n;
	tm_gv s = S(x, a[0]);
	int64_t r = 0;
	if (tm_parse_i64(s.u.s.p, s.u.s.n, 10, &r) != 0)
		r = 0;
	*out = tm_gv_int(r);
	return 0;
}

/* Go's integers wrap: the arithmetic runs unsigned (no undefined overflow) */
static int64_t wrap(uint64_t u)
{
	int64_t r;
	memcpy(&r, &u, sizeof(r));
	return r;
}

FN(add) { UNUSED; uint64_t s = 0; for (size_t i = 0; i < n; i++) s += (uint64_t)I(a[i]); *out = tm_gv_int64(wrap(s)); return 0; }
FN(mul) { UNUSED; uint64_t s = 1; for (size_t i = 0; i < n; i++) s *= (uint64_t)I(a[i]); *out = tm_gv_int64(wrap(s)); return 0; }
FN(add1) { UNUSED; *out = tm_gv_int64(wrap((uint64_t)I(a[0]) + 1)); return 0; }
FN(sub) { UNUSED; *out = tm_gv_int64(wrap((uint64_t)I(a[0]) - (uint64_t)I(a[1]))); return 0; }
FN(div)
{
	(void)n;
	int64_t d = I(a[1]);
	if (d == 0)
		return tm_gt__fail(x, TM_EINVALID, "error calling div: runtime error: integer divide by zero");
	*out = tm_gv_int64(d == -1 ? wrap(0 - (uint64_t)I(a[0])) : I(a[0]) / d);
	return 0;
}
FN(mod)
{
	(void)n;
	int64_t d = I(a[1]);
	if (d == 0)
		return tm_gt__fail(x, TM_EINVALID, "error calling mod: runtime error: integer divide by zero");
	*out = tm_gv_int64(d == -1 ? 0 : I(a[0]) % d);
	return 0;
}
FN(max) { UNUSED; int64_t m = I(a[0]); for (size_t i = 1; i < n; i++) if (I(a[i]) > m) m = I(a[i]); *out = tm_gv_int64(m); return 0; }
FN(min) { UNUSED; int64_t m = I(a[0]); for (size_t i = 1; i < n; i++) if (I(a[i]) < m) m = I(a[i]); *out = tm_gv_int64(m); return 0; }
/* Sprig's float arithmetic runs in shopspring/decimal: exact on the inputs' shortest decimal
 * forms (0.1 + 0.2 is 0.3), division to 16 places, no negative zero. Emulated by rounding the
 * double result to the decimal places the exact result has. */
static int places(double v)
{
	if (v == 0 || v != v || v > 1e15 || v < -1e15)
		return 0;
	char buf[64];
	for (int p = 1; p <= 17; p++) {
		tm_formatf(buf, sizeof(buf), "%.*e", p - 1, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	char *e = strchr(buf, 'e');
	int nd = 0;
	for (char *c = buf; c < e; c++)
		nd += *c >= '0' && *c <= '9';
	int dp = (int)strtol(e + 1, NULL, 10) + 1;
	return nd > dp ? nd - dp : 0;
}

static tm_gv decimal_result(double r, int k)
{
	if (r != r || r > 1e15 || r < -1e15 || k > 17)
		return tm_gv_float(r == 0 ? 0 : r);
	char buf[64];
	tm_formatf(buf, sizeof(buf), "%.*f", k, r);
	double v = strtod(buf, NULL);
	return tm_gv_float(v == 0 ? 0 : v);
}

FN(addf)
{
	UNUSED;
	double s = 0;
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		s += F(a[i]);
		k = places(F(a[i])) > k ? places(F(a[i])) : k;
	}
	*out = decimal_result(s, k);
	return 0;
}

FN(mulf)
{
	UNUSED;
	double s = 1;
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		s *= F(a[i]);
		k += places(F(a[i]));
	}
	*out = decimal_result(s, k);
	return 0;
}

FN(subf)
{
	UNUSED;
	double s = F(a[0]);
	int k = places(s);
	for (size_t i = 1; i < n; i++) {
		s -= F(a[i]);
		k = places(F(a[i])) > k ? places(F(a[i])) : k;
	}
	*out = decimal_result(s, k);
	return 0;
}

FN(divf)
{
	UNUSED;
	double s = F(a[0]);
	for (size_t i = 1; i < n; i++)
		s /= F(a[i]);
	*out = decimal_result(s, 16);
	return 0;
}
FN(maxf) { UNUSED; double m = F(a[0]); for (size_t i = 1; i < n; i++) if (F(a[i]) > m) m = F(a[i]); *out = tm_gv_float(m); return 0; }
FN(minf) { UNUSED; double m = F(a[0]); for (size_t i = 1; i < n; i++) if (F(a[i]) < m) m = F(a[i]); *out = tm_gv_float(m); return 0; }
/* The library links no libm: the few roundings Sprig has, by hand. */
static double floor_(double v)
{
	if (v != v || v > 9e15 || v < -9e15)
		return v;
	double t = (double)(int64_t)v;
	return t > v ? t - 1 : t;
}

static double ceil_(double v)
{
	if (v != v || v > 9e15 || v < -9e15)
		return v;
	double t = (double)(int64_t)v;
	return t < v ? t + 1 : t;
}

FN(floor) { UNUSED; *out = tm_gv_float(floor_(F(a[0]))); return 0; }
FN(ceil) { UNUSED; *out = tm_gv_float(ceil_(F(a[0]))); return 0; }
FN(round)
{
	/* Sprig: digit = v * 10^p; its fraction >= roundOn (default .5, Modf's sign) rounds up */
	UNUSED;
	int64_t places = n > 1 ? I(a[1]) : 0;
	double round_on = n > 2 ? F(a[2]) : 0.5;
	char pbuf[32];
	tm_formatf(pbuf, sizeof(pbuf), "1e%lld", (long long)(places > 400 ? 400 : places < -400 ? -400 : places));
	double pw = strtod(pbuf, NULL); /* 10^places, correctly rounded */
	double digit = pw * F(a[0]);
	double frac = digit - (digit > -9e15 && digit < 9e15 ? (double)(int64_t)digit : digit);
	double r = frac >= round_on ? ceil_(digit) : floor_(digit);
	*out = tm_gv_float(r / pw);
	return 0;
}

static int seq_list(tm_gt_exec *x, int64_t start, int64_t stop, int64_t step, tm_gv *out)
{
	*out = tm_gv_list_new(x->a, 0);
	if (step == 0)
		return 0;
	for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
		if (tm_gt__charge(x, 1) < 0)
			return -1;
		tm_gv_list_push(x->a, *out, tm_gv_int(i));
		if ((step > 0 && i > INT64_MAX - step) || (step < 0 && i < INT64_MIN - step))
			break;
	}
	return 0;
}

FN(until)
{
	(void)n;
	int64_t c = I(a[0]);
	return seq_list(x, 0, c, c >= 0 ? 1 : -1, out);
}

FN(untilStep)
{
	(void)n;
	return seq_list(x, I(a[0]), I(a[1]), I(a[2]), out);
}

FN(seq)
{
	/* seq 5 -> "1 2 3 4 5"; seq 2 5; seq 1 2 10 */
	int64_t st = 1, step = 1, en = 0;
	if (n == 0) {
		*out = tm_gv_str_take("", 0);
		return 0;
	}
	if (n == 1) {
		en = I(a[0]);
		step = en >= 1 ? 1 : -1;
	}
	else if (n == 2)
		st = I(a[0]), en = I(a[1]), step = st <= en ? 1 : -1;
	else
		st = I(a[0]), step = I(a[1]), en = I(a[2]);
	tm_strbuf sb = TM_STRBUF_INIT;
	if (step != 0)
		for (int64_t i = st; step > 0 ? i <= en : i >= en; i += step) {
			if (tm_gt__charge(x, 1) < 0) {
				tm_strbuf_dispose(&sb);
				return -1;
			}
			tm_strbuf_printf(&sb, "%s%lld", sb.len ? " " : "", (long long)i);
			if ((step > 0 && i > INT64_MAX - step) || (step < 0 && i < INT64_MIN - step))
				break;
		}
	*out = mkstr(x, &sb);
	return 0;
}

/* ---- Sprig: lists ---- */

FN(list)
{
	*out = tm_gv_list_new(x->a, n);
	for (size_t i = 0; i < n; i++)
		tm_gv_list_push(x->a, *out, a[i]);
	return 0;
}

static tm_gv copy_list(tm_gt_exec *x, const tm_gv_list *l, size_t extra)
{
	tm_gv c = tm_gv_list_new(x->a, l->n + extra);
	for (size_t i = 0; c.k && i < l->n; i++)
		tm_gv_list_push(x->a, c, l->it[i]);
	return c;
}

FN(append)
{
	(void)n;
	tm_gv_list *l = NULL;
	if (L(x, "append", a[0], &l) < 0)
		return -1;
	*out = copy_list(x, l, 1);
	tm_gv_list_push(x->a, *out, a[1]);
	return 0;
}

FN(prepend)
{
	(void)n;
	tm_gv_list *l = NULL;
	if (L(x, "prepend", a[0], &l) < 0)
		return -1;
	*out = tm_gv_list_new(x->a, l->n + 1);
	tm_gv_list_push(x->a, *out, a[1]);
	for (size_t i = 0; i < l->n; i++)
		tm_gv_list_push(x->a, *out, l->it[i]);
	return 0;
}

FN(concat)
{
	*out = tm_gv_list_new(x->a, 0);
	for (size_t k = 0; k < n; k++) {
		tm_gv_list *l = NULL;
		if (L(x, "concat", a[k], &l) < 0)
			return -1;
		for (size_t i = 0; i < l->n; i++)
			tm_gv_list_push(x->a, *out, l->it[i]);
	}
	return 0;
}

static int pick_end(tm_gt_exec *x, tm_gv v, const char *fname, int which, tm_gv *out)
{
	tm_gv_list *l = NULL;
	if (L(x, fname, v, &l) < 0)
		return -1;
	*out = tm_gv_nil();
	if (!l->n) {
		if (which >= 2) /* rest and initial of nothing: an empty list */
			*out = tm_gv_list_new(x->a, 0);
		return 0;
	}
	if (which == 0)
		*out = l->it[0];
	else if (which == 1)
		*out = l->it[l->n - 1];
	else {
		*out = tm_gv_list_new(x->a, l->n - 1);
		for (size_t i = which == 2 ? 1 : 0; i < (which == 2 ? l->n : l->n - 1); i++)
			tm_gv_list_push(x->a, *out, l->it[i]);
	}
	return 0;
}

FN(first) { (void)n; return pick_end(x, a[0], "first", 0, out); }
FN(last) { (void)n; return pick_end(x, a[0], "last", 1, out); }
FN(rest) { (void)n; return pick_end(x, a[0], "rest", 2, out); }
FN(initial) { (void)n; return pick_end(x, a[0], "initial", 3, out); }

/* reflect.DeepEqual over our values. */
static bool deep_equal(tm_gv p, tm_gv q, int depth)
{
	if (depth > 64 || p.k != q.k)
		return false;
	switch (p.k) {
	case TM_GV_LIST:
		if (p.u.l->n != q.u.l->n)
			return false;
		for (size_t i = 0; i < p.u.l->n; i++)
			if (!deep_equal(p.u.l->it[i], q.u.l->it[i], depth + 1))
				return false;
		return true;
	case TM_GV_DICT:
		if (p.u.d->n != q.u.d->n)
			return false;
		for (size_t i = 0; i < p.u.d->n; i++)
			if (p.u.d->klen[i] != q.u.d->klen[i] || memcmp(p.u.d->key[i], q.u.d->key[i], p.u.d->klen[i]) ||
			    !deep_equal(p.u.d->val[i], q.u.d->val[i], depth + 1))
				return false;
		return true;
	case TM_GV_OBJ: return p.u.o == q.u.o;
	case TM_GV_INT: return p.u.i == q.u.i && p.sub == q.sub;
	default: return tm_gv_equal(p, q) == 1;
	}
}

FN(has)
{
	(void)n;
	tm_gv_list *l = NULL;
	if (L(x, "has", a[1], &l) < 0)
		return -1;
	bool r = false;
	for (size_t i = 0; i < l->n && !r; i++)
		r = deep_equal(l->it[i], a[0], 0);
	*out = tm_gv_bool(r);
	return 0;
}

FN(uniq)
{
	(void)n;
	tm_gv_list *l = NULL;
	if (L(x, "uniq", a[0], &l) < 0)
		return -1;
	*out = tm_gv_list_new(x->a, l->n);
	for (size_t i = 0; i < l->n; i++) {
		bool seen = false;
		if (tm_gt__charge(x, out->u.l->n / 64 + 1) < 0)
			return -1;
		for (size_t j = 0; j < out->u.l->n && !seen; j++)
			seen = deep_equal(out->u.l->it[j], l->it[i], 0);
		if (!seen)
			tm_gv_list_push(x->a, *out, l->it[i]);
	}
	return 0;
}

FN(without)
{
	tm_gv_list *l = NULL;
	if (L(x, "without", a[0], &l) < 0)
		return -1;
	*out = tm_gv_list_new(x->a, l->n);
	for (size_t i = 0; i < l->n; i++) {
		bool drop = false;
		for (size_t j = 1; j < n && !drop; j++)
			drop = deep_equal(l->it[i], a[j], 0);
		if (!drop)
			tm_gv_list_push(x->a, *out, l->it[i]);
	}
	return 0;
}

FN(compact)
{
	(void)n;
	tm_gv_list *l = NULL;
	if (L(x, "compact", a[0], &l) < 0)
		return -1;
	*out = tm_gv_list_new(x->a, l->n);
	for (size_t i = 0; i < l->n; i++)
		if (!tm_gv_empty(l->it[i]))
			tm_gv_list_push(x->a, *out, l->it[i]);
	return 0;
}

FN(reverse)
{
	(void)n;
	tm_gv_list *l = NULL;
	if (L(x, "reverse", a[0], &l) < 0)
		return -1;
	*out = tm_gv_list_new(x->a, l->n);
	for (size_t i = l->n; i-- > 0;)
		tm_gv_list_push(x->a, *out, l->it[i]);
	return 0;
}

static int strcmp_gv(const void *p, const void *q)
{
	const tm_gv *a = p, *b = q;
	size_t n = a->u.s.n < b->u.s.n ? a->u.s.n : b->u.s.n;
	int c = memcmp(a->u.s.p, b->u.s.p, n);
	return c ? c : (a->u.s.n > b->u.s.n) - (a->u.s.n < b->u.s.n);
}

FN(sortAlpha)
{
	(void)n;
	/* Sprig: strslice of the list (nils dropped), sorted */
	*out = tm_gv_list_new(x->a, 0);
	if (a[0].k == TM_GV_LIST) {
		for (size_t i = 0; i < a[0].u.l->n; i++)
			if (a[0].u.l->it[i].k != TM_GV_NIL)
				tm_gv_list_push(x->a, *out, tm_gv_to_string(x->a, a[0].u.l->it[i]));
	} else
		tm_gv_list_push(x->a, *out, tm_gv_to_string(x->a, a[0]));
	if (out->k && out->u.l->n)
		qsort(out->u.l->it, out->u.l->n, sizeof(tm_gv), strcmp_gv);
	return 0;
}

/* ---- Sprig: dicts ---- */

FN(dict)
{
	*out = tm_gv_dict_new(x->a);
	for (size_t i = 0; out->k && i < n; i += 2) {
		tm_gv k = tm_gv_to_string(x->a, a[i]);
		if (a[i].k == TM_GV_NIL)
			k = tm_gv_str_take("<nil>", 5);
		tm_gv_dict_set(x->a, out->u.d, k.u.s.p, k.u.s.n, i + 1 < n ? a[i + 1] : tm_gv_str_take("", 0));
	}
	return 0;
}

FN(get)
{
	(void)n;
	tm_gv_dict *d = NULL;
	if (DR(x, "get", a[0], &d) < 0)
		return -1;
	tm_gv k = S(x, a[1]);
	tm_gv *v = tm_gv_dict_get(d, k.u.s.p, k.u.s.n);
	*out = v ? *v : tm_gv_str_take("", 0);
	return 0;
}

FN(set)
{
	(void)n;
	tm_gv_dict *d = NULL;
	if (D(x, "set", a[0], &d) < 0)
		return -1;
	tm_gv k = S(x, a[1]);
	if (tm_gv_dict_set(x->a, d, k.u.s.p, k.u.s.n, a[2]) < 0)
		return oom(x);
	*out = a[0];
	return 0;
}

FN(unset)
{
	(void)n;
	tm_gv_dict *d = NULL;
	if (D(x, "unset", a[0], &d) < 0)
		return -1;
	tm_gv k = S(x, a[1]);
	tm_gv_dict_del(d, k.u.s.p, k.u.s.n);
	*out = a[0];
	return 0;
}

FN(hasKey)
{
	(void)n;
	tm_gv_dict *d = NULL;
	if (DR(x, "hasKey", a[0], &d) < 0)
		return -1;
	tm_gv k = S(x, a[1]);
	*out = tm_gv_bool(tm_gv_dict_get(d, k.u.s.p, k.u.s.n) != NULL);
	return 0;
}

FN(keys)
{
	/* Go returns map order (random); sorted here, which charts sort anyway */
	*out = tm_gv_list_new(x->a, 0);
	for (size_t k = 0; k < n; k++) {
		tm_gv_dict *d = NULL;
		if (DR(x, "keys", a[k], &d) < 0)
			return -1;
		for (size_t i = 0; i < d->n; i++)
			tm_gv_list_push(x->a, *out, tm_gv_str_take(d->key[i], d->klen[i]));
	}
	return 0;
}

FN(values)
{
	(void)n;
	tm_gv_dict *d = NULL;
	if (DR(x, "values", a[0], &d) < 0)
		return -1;
	*out = tm_gv_list_new(x->a, d->n);
	for (size_t i = 0; i < d->n; i++)
		tm_gv_list_push(x->a, *out, d->val[i]);
	return 0;
}

static int pick_omit(tm_gt_exec *x, const tm_gv *a, size_t n, bool pick, tm_gv *out)
{
	tm_gv_dict *d = NULL;
	if (DR(x, pick ? "pick" : "omit", a[0], &d) < 0)
		return -1;
	*out = tm_gv_dict_new(x->a);
	for (size_t i = 0; out->k && i < d->n; i++) {
		bool listed = false;
		for (size_t k = 1; k < n && !listed; k++) {
			tm_gv s = S(x, a[k]);
			listed = s.u.s.n == d->klen[i] && memcmp(s.u.s.p, d->key[i], s.u.s.n) == 0;
		}
		if (listed == pick)
			tm_gv_dict_set(x->a, out->u.d, d->key[i], d->klen[i], d->val[i]);
	}
	return 0;
}

FN(pick) { return pick_omit(x, a, n, true, out); }
FN(omit) { return pick_omit(x, a, n, false, out); }

FN(dig)
{
	/* dig "a" "b" default dict */
	tm_gv_dict *d = NULL;
	if (D(x, "dig", a[n - 1], &d) < 0)
		return -1;
	tm_gv cur = a[n - 1];
	for (size_t i = 0; i + 2 < n; i++) {
		tm_gv k = S(x, a[i]);
		tm_gv *v = cur.k == TM_GV_DICT ? tm_gv_dict_get(cur.u.d, k.u.s.p, k.u.s.n) : NULL;
		if (!v) {
			*out = a[n - 2];
			return 0;
		}
		cur = *v;
	}
	*out = cur;
	return 0;
}

/* mergo.Merge (fill what dst lacks or holds empty) and mergo.MergeWithOverwrite (src wins unless
 * nil); maps present on both sides merge recursively. */
static int merge_into(tm_gt_exec *x, tm_gv_dict *dst, const tm_gv_dict *src, bool overwrite, int depth)
{
	if (depth > 64)
		return 0;
	for (size_t i = 0; i < src->n; i++) {
		tm_gv *dv = tm_gv_dict_get(dst, src->key[i], src->klen[i]);
		tm_gv sv = src->val[i];
		if (dv && dv->k == TM_GV_DICT && sv.k == TM_GV_DICT) {
			if (merge_into(x, dv->u.d, sv.u.d, overwrite, depth + 1) < 0)
				return -1;
			continue;
		}
		if (sv.k == TM_GV_NIL && dv && !overwrite) /* Merge: a nil only fills a missing key */
			continue;
		if (!dv || overwrite || tm_gv_empty(*dv))
			if (tm_gv_dict_set(x->a, dst, src->key[i], src->klen[i], sv) < 0)
				return oom(x);
	}
	return 0;
}

static int merge(tm_gt_exec *x, const tm_gv *a, size_t n, bool overwrite, tm_gv *out)
{
	tm_gv_dict *dst = NULL;
	if (D(x, overwrite ? "mergeOverwrite" : "merge", a[0], &dst) < 0)
		return -1;
	for (size_t i = 1; i < n; i++) {
		if (a[i].k != TM_GV_DICT)
			continue;
		if (merge_into(x, dst, a[i].u.d, overwrite, 0) < 0)
			return -1;
	}
	*out = a[0];
	return 0;
}

FN(merge) { return merge(x, a, n, false, out); }
FN(mergeOverwrite) { return merge(x, a, n, true, out); }

FN(deepCopy)
{
	(void)n;
	*out = tm_gv_deep_copy(x->a, a[0], 0);
	return 0;
}

/* ---- encodings ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

FN(b64enc)
{
	(void)n;
	tm_gv s = S(x, a[0]);
	const unsigned char *p = (const unsigned char *)s.u.s.p;
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < s.u.s.n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t rem = s.u.s.n - i;
		if (rem > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (rem > 2)
			v |= p[i + 2];
		tm_strbuf_putc(&sb, b64[(v >> 18) & 63]);
		tm_strbuf_putc(&sb, b64[(v >> 12) & 63]);
		tm_strbuf_putc(&sb, rem > 1 ? b64[(v >> 6) & 63] : '=');
		tm_strbuf_putc(&sb, rem > 2 ? b64[v & 63] : '=');
	}
	*out = mkstr(x, &sb);
	return 0;
}

/* encoding/base64's StdEncoding.DecodeString: \r and \n skipped, padding required; Sprig
 * returns the error's text instead of the data. */
FN(b64dec)
{
	(void)n;
	tm_gv s = S(x, a[0]);
	const char *p = s.u.s.p;
	size_t len = s.u.s.n, si = 0;
	long bad = -1;
	tm_strbuf sb = TM_STRBUF_INIT;
	while (bad < 0) {
		uint32_t q[4];
		size_t j = 0, dlen = 4;
		bool end = false;
		while (j < 4) {
			if (si == len) {
				if (j == 0) {
					end = true;
					dlen = 0;
				} else
					bad = (long)(si - j);
				break;
			}
			char c = p[si++];
			if (c == '\n' || c == '\r')
				continue;
			const char *hit = c ? memchr(b64, c, 64) : NULL;
			if (hit) {
				q[j++] = (uint32_t)(hit - b64);
				continue;
			}
			if (c != '=' || j < 2) {
				bad = (long)(si - 1);
				break;
			}
			if (j == 2) { /* "==": the second '=' must follow (newlines aside) */
				while (si < len && (p[si] == '\n' || p[si] == '\r'))
					si++;
				if (si == len) {
					bad = (long)len;
					break;
				}
				if (p[si] != '=') {
					bad = (long)(si - 1);
					break;
				}
				si++;
			}
			while (si < len && (p[si] == '\n' || p[si] == '\r'))
				si++;
			if (si < len)
				bad = (long)si;
			dlen = j;
			end = true;
			break;
		}
		if (bad >= 0)
			break;
		if (dlen >= 2)
			tm_strbuf_putc(&sb, (char)((q[0] << 2) | (q[1] >> 4)));
		if (dlen >= 3)
			tm_strbuf_putc(&sb, (char)(((q[1] & 15) << 4) | (q[2] >> 2)));
		if (dlen == 4)
			tm_strbuf_putc(&sb, (char)(((q[2] & 3) << 6) | q[3]));
		if (end || dlen < 4)
			break;
	}
	if (bad >= 0) {
		tm_strbuf_dispose(&sb);
		*out = tm_gv_str(x->a, "", 0);
		tm_strbuf_printf(&sb, "illegal base64 data at input byte %ld", bad);
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(sha256sum)
{
	(void)n;
	tm_gv s = S(x, a[0]);
	unsigned char d[32];
	tm_sha256_digest(d, s.u.s.p, s.u.s.n);
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int k = 0; k < 32; k++)
		tm_strbuf_printf(&sb, "%02x", d[k]);
	*out = mkstr(x, &sb);
	return 0;
}

static int to_json(tm_gt_exec *x, tm_gv v, bool html, bool pretty, tm_gv *out)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_gv_to_json(&sb, v, html, pretty);
	*out = mkstr(x, &sb);
	return 0;
}

FN(toJson) { (void)n; return to_json(x, a[0], true, false, out); }
FN(toPrettyJson) { (void)n; return to_json(x, a[0], true, true, out); }
FN(toRawJson) { (void)n; return to_json(x, a[0], false, false, out); }

FN(toYaml)
{
	(void)n;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_gv_to_yaml(&sb, a[0]);
	*out = mkstr(x, &sb);
	return 0;
}

static int from_text(tm_gt_exec *x, tm_gv v, bool array, tm_gv *out)
{
	tm_gv s = S(x, v);
	int rc = tm_gv_from_yaml(x->a, s.u.s.p, s.u.s.n, array, out);
	if (rc == TM_ENOMEM)
		return oom(x);
	if (rc < 0) { /* Helm: the error as a value ({"Error": msg} or [msg]) */
		tm_gv msg = tm_gv_strz(x->a, "error converting YAML to JSON");
		if (rc == TM_EINVALID) {
			const char *jt = out->k == TM_GV_STR ? "string" : out->k == TM_GV_BOOL ? "bool"
				: out->k == TM_GV_LIST ? "array" : out->k == TM_GV_DICT ? "object" : "number";
			msg = tm_gv_str_take(tm_arena_printf(x->a, "error unmarshaling JSON: while decoding JSON: json: cannot "
								   "unmarshal %s into Go value of type %s", jt,
							     array ? "[]interface {}" : "map[string]interface {}"), 0);
			msg.u.s.n = msg.u.s.p ? strlen(msg.u.s.p) : 0;
			if (!msg.u.s.p)
				return oom(x);
		}
		if (array) {
			*out = tm_gv_list_new(x->a, 1);
			tm_gv_list_push(x->a, *out, msg);
		} else {
			*out = tm_gv_dict_new(x->a);
			if (out->k)
				tm_gv_dict_set(x->a, out->u.d, "Error", 5, msg);
		}
	} else if (out->k == TM_GV_NIL)
		*out = array ? tm_gv_list_new(x->a, 0) : tm_gv_dict_new(x->a);
	return 0;
}

FN(fromYaml) { (void)n; return from_text(x, a[0], false, out); }
FN(fromYamlArray) { (void)n; return from_text(x, a[0], true, out); }

/* ---- regular expressions: RE2 syntax mapped onto POSIX ERE (what charts write maps well) ---- */

/* What RE2's groups became in the POSIX pattern: Go's group g (1..9) is POSIX group posix[g] (a
 * non-capturing group is a POSIX group too, and shifts the rest), named name[g] (NULL: none). */
#define RE_GROUPS 10
typedef struct {
	int posix[RE_GROUPS];
	const char *name[RE_GROUPS];
} re_groups;

static int re_compile_groups(tm_gt_exec *x, tm_gv pat, regex_t *re, re_groups *gr)
{
	tm_gv p = S(x, pat);
	tm_strbuf sb = TM_STRBUF_INIT;
	int flags = REG_EXTENDED;
	size_t i = 0;
	re_groups own;
	if (!gr)
		gr = &own;
	memset(gr, 0, sizeof(*gr));
	int go = 0, posix = 0, depth = 0;
	int fold_depth = -1; /* (?i) in the middle: letters of the group it stands in match either case */
	if (p.u.s.n >= 4 && memcmp(p.u.s.p, "(?i)", 4) == 0)
		flags |= REG_ICASE, i = 4;
	bool in_class = false;
	for (; i < p.u.s.n; i++) {
		char c = p.u.s.p[i];
		if (c == '\\' && i + 1 < p.u.s.n) {
			char e = p.u.s.p[++i];
			const char *cls = e == 'd' ? "0-9" : e == 'w' ? "[:alnum:]_" : e == 's' ? "[:space:]" : NULL;
			const char *neg = e == 'D' ? "[^0-9]" : e == 'W' ? "[^[:alnum:]_]" : e == 'S' ? "[^[:space:]]" : NULL;
			if (cls) {
				if (!in_class)
					tm_strbuf_putc(&sb, '[');
				tm_strbuf_puts(&sb, cls);
				if (!in_class)
					tm_strbuf_putc(&sb, ']');
			} else if (neg && !in_class)
				tm_strbuf_puts(&sb, neg);
			else if (e == 'n')
				tm_strbuf_putc(&sb, '\n');
			else if (e == 't')
				tm_strbuf_putc(&sb, '\t');
			else if (in_class)
				tm_strbuf_putc(&sb, e);
			else if (strchr(".[]()*+?{}|^$\\", e)) {
				tm_strbuf_putc(&sb, '\\');
				tm_strbuf_putc(&sb, e);
			} else
				tm_strbuf_putc(&sb, e);
			continue;
		}
		const char *at = p.u.s.p + i, *end = p.u.s.p + p.u.s.n;
		if (!in_class && c == '(' && end - at >= 3 && at[1] == '?') {
			size_t k = 2;
			if (at[2] == ':') { /* (?:...): a group that captures nothing in RE2, one more in POSIX */
				tm_strbuf_putc(&sb, '(');
				posix++;
				depth++;
				i += 2;
				continue;
			}
			if (at[2] == 'P' || at[2] == '<') { /* (?P<name>...), (?<name>...): a capturing group */
				k = at[2] == 'P' ? 3 : 2;
				const char *gt = at + k < end && at[k] == '<' ? memchr(at + k, '>', (size_t)(end - at) - k) : NULL;
				if (gt) {
					tm_strbuf_putc(&sb, '(');
					posix++, go++, depth++;
					if (go < RE_GROUPS) {
						gr->posix[go] = posix;
						gr->name[go] = tm_arena_strndup(x->set->arena, at + k + 1, (size_t)(gt - at) - k - 1);
					}
					i = (size_t)(gt - p.u.s.p);
					continue;
				}
			}
			/* (?flags): i (case), m (^ and $ at lines); s and U read as their nearest (a POSIX dot
			 * takes newlines). (?i) in the middle folds the case of its group's letters. */
			k = 2;
			bool on = true, icase = false, off_i = false, multi = false;
			while (at + k < end && strchr("imsU-", at[k])) {
				if (at[k] == '-')
					on = false;
				else if (at[k] == 'i' && on)
					icase = true;
				else if (at[k] == 'i')
					off_i = true;
				else if (at[k] == 'm' && on)
					multi = true;
				k++;
			}
			if (at + k < end && at[k] == ')' && k > 2) {
				if (multi)
					flags |= REG_NEWLINE;
				if (icase && fold_depth < 0)
					fold_depth = depth;
				if (off_i && fold_depth == depth)
					fold_depth = -1;
				i += k;
				continue;
			}
		}
		if (!in_class && c == '{') { /* a repeat only as {n}, {n,} or {n,m}; else a brace, as Go reads it */
			size_t k = 1;
			while (at + k < end && isdigit((unsigned char)at[k]))
				k++;
			bool rep = k > 1;
			if (rep && at + k < end && at[k] == ',') {
				k++;
				while (at + k < end && isdigit((unsigned char)at[k]))
					k++;
			}
			rep = rep && at + k < end && at[k] == '}';
			if (!rep) {
				tm_strbuf_puts(&sb, "\\{");
				continue;
			}
			tm_strbuf_put(&sb, at, k + 1);
			i += k;
			continue;
		}
		if (!in_class && c == '}') { /* a brace no repeat opened */
			tm_strbuf_puts(&sb, "\\}");
			continue;
		}
		if (!in_class && c == '(') {
			posix++, go++, depth++;
			if (go < RE_GROUPS)
				gr->posix[go] = posix;
		} else if (!in_class && c == ')') {
			if (fold_depth == depth)
				fold_depth = -1;
			depth--;
		}
		if (!in_class && fold_depth >= 0 && isalpha((unsigned char)c)) {
			tm_strbuf_printf(&sb, "[%c%c]", tolower((unsigned char)c), toupper((unsigned char)c));
			continue;
		}
		if (c == '[' && !in_class)
			in_class = true;
		else if (c == ']' && in_class && !(p.u.s.p[i - 1] == '[' || (p.u.s.p[i - 1] == '^' && p.u.s.p[i - 2] == '[')))
			in_class = false;
		tm_strbuf_putc(&sb, c);
	}
	if (sb.oom) {
		tm_strbuf_dispose(&sb);
		return oom(x);
	}
	int rc = regcomp(re, sb.data ? sb.data : "", flags);
	tm_strbuf_dispose(&sb);
	if (rc != 0)
		return tm_gt__fail(x, TM_EINVALID, "error parsing regexp: %s", p.u.s.p);
	return 0;
}

static int re_compile(tm_gt_exec *x, tm_gv pat, regex_t *re)
{
	return re_compile_groups(x, pat, re, NULL);
}

FN(regexMatch)
{
	(void)n;
	regex_t re;
	if (re_compile(x, a[0], &re) < 0)
		return -1;
	tm_gv s = S(x, a[1]);
	*out = tm_gv_bool(regexec(&re, s.u.s.p, 0, NULL, 0) == 0);
	regfree(&re);
	return 0;
}

FN(regexFind)
{
	(void)n;
	regex_t re;
	if (re_compile(x, a[0], &re) < 0)
		return -1;
	tm_gv s = S(x, a[1]);
	regmatch_t m;
	if (regexec(&re, s.u.s.p, 1, &m, 0) == 0)
		*out = tm_gv_str(x->a, s.u.s.p + m.rm_so, (size_t)(m.rm_eo - m.rm_so));
	else
		*out = tm_gv_str_take("", 0);
	regfree(&re);
	return 0;
}

FN(regexFindAll)
{
	regex_t re;
	if (re_compile(x, a[0], &re) < 0)
		return -1;
	tm_gv s = S(x, a[1]);
	int64_t lim = n > 2 ? I(a[2]) : -1;
	*out = tm_gv_list_new(x->a, 0);
	const char *p = s.u.s.p;
	regmatch_t m;
	while ((lim < 0 || (int64_t)out->u.l->n < lim) && regexec(&re, p, 1, &m, p == s.u.s.p ? 0 : REG_NOTBOL) == 0) {
		tm_gv_list_push(x->a, *out, tm_gv_str(x->a, p + m.rm_so, (size_t)(m.rm_eo - m.rm_so)));
		p += m.rm_eo > m.rm_so ? m.rm_eo : m.rm_eo + 1;
		if (p > s.u.s.p + s.u.s.n || tm_gt__charge(x, 1) < 0)
			break;
	}
	regfree(&re);
	return x->failed ? -1 : 0;
}

static int re_replace(tm_gt_exec *x, const tm_gv *a, bool literal, tm_gv *out)
{
	regex_t re;
	re_groups gr;
	if (re_compile_groups(x, a[0], &re, &gr) < 0)
		return -1;
	tm_gv s = S(x, a[1]), repl = S(x, a[2]);
	tm_strbuf sb = TM_STRBUF_INIT;
	const char *p = s.u.s.p, *e = p + s.u.s.n;
	regmatch_t m[10];
	while (p <= e && regexec(&re, p, 10, m, p == s.u.s.p ? 0 : REG_NOTBOL) == 0) {
		tm_strbuf_put(&sb, p, (size_t)m[0].rm_so);
		for (size_t i = 0; i < repl.u.s.n; i++) {
			char c = repl.u.s.p[i];
			if (literal || c != '$' || i + 1 >= repl.u.s.n) {
				tm_strbuf_putc(&sb, c);
				continue;
			}
			size_t j = i + 1;
			bool brace = repl.u.s.p[j] == '{';
			if (brace)
				j++;
			int g = -1;
			if (j < repl.u.s.n && isdigit((unsigned char)repl.u.s.p[j])) {
				g = 0;
				while (j < repl.u.s.n && isdigit((unsigned char)repl.u.s.p[j]))
					g = g < RE_GROUPS * 10 ? g * 10 + (repl.u.s.p[j++] - '0') : (j++, g);
			} else if (j < repl.u.s.n && (isalpha((unsigned char)repl.u.s.p[j]) || repl.u.s.p[j] == '_')) {
				/* $name, ${name}: a named group's text; one no group has, nothing (as Go) */
				size_t k = j;
				while (k < repl.u.s.n && (isalnum((unsigned char)repl.u.s.p[k]) || repl.u.s.p[k] == '_'))
					k++;
				g = RE_GROUPS; /* no group: nothing */
				for (int n = 1; n < RE_GROUPS; n++)
					if (gr.name[n] && strlen(gr.name[n]) == k - j && strncmp(gr.name[n], repl.u.s.p + j, k - j) == 0)
						g = n;
				j = k;
			}
			if (brace && (j >= repl.u.s.n || repl.u.s.p[j] != '}'))
				g = -2;
			if (g == -2 || g < 0) {
				if (repl.u.s.p[i + 1] == '$') {
					tm_strbuf_putc(&sb, '$');
					i++;
				}
				continue;
			}
			if (brace)
				j++;
			int pg = g == 0 ? 0 : g < RE_GROUPS ? gr.posix[g] : -1; /* Go's group, in POSIX */
			if (pg >= 0 && pg < 10 && (g == 0 || pg > 0) && m[pg].rm_so >= 0)
				tm_strbuf_put(&sb, p + m[pg].rm_so, (size_t)(m[pg].rm_eo - m[pg].rm_so));
			i = j - 1;
		}
		if (m[0].rm_eo == m[0].rm_so) {
			if (p < e)
				tm_strbuf_putc(&sb, *p);
			p += m[0].rm_eo + 1;
		} else
			p += m[0].rm_eo;
		if (tm_gt__charge(x, 1) < 0)
			break;
	}
	if (p < e)
		tm_strbuf_put(&sb, p, (size_t)(e - p));
	regfree(&re);
	*out = mkstr(x, &sb);
	return x->failed ? -1 : 0;
}

FN(regexReplaceAll) { (void)n; return re_replace(x, a, false, out); }
FN(regexReplaceAllLiteral) { (void)n; return re_replace(x, a, true, out); }

FN(regexSplit)
{
	regex_t re;
	if (re_compile(x, a[0], &re) < 0)
		return -1;
	tm_gv s = S(x, a[1]);
	int64_t lim = n > 2 ? I(a[2]) : -1;
	*out = tm_gv_list_new(x->a, 0);
	const char *p = s.u.s.p, *e = p + s.u.s.n;
	regmatch_t m;
	while ((lim < 0 || (int64_t)out->u.l->n < lim - 1) && p < e && regexec(&re, p, 1, &m, 0) == 0 && m.rm_eo > m.rm_so) {
		tm_gv_list_push(x->a, *out, tm_gv_str(x->a, p, (size_t)m.rm_so));
		p += m.rm_eo;
	}
	tm_gv_list_push(x->a, *out, tm_gv_str(x->a, p, (size_t)(e - p)));
	regfree(&re);
	return 0;
}

/* ---- semver (Masterminds semver v3) ---- */

typedef struct {
	int64_t v[3];
	const char *pre;
	size_t pren;
	bool ok;
} semver;

static semver parse_semver(const char *s, size_t n)
{
	semver r = {{0, 0, 0}, NULL, 0, false};
	size_t i = 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i < n && (s[i] == 'v' || s[i] == 'V'))
		i++;
	for (int k = 0; k < 3; k++) {
		size_t st = i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == st) {
			if (k == 0 || (i < n && s[i] != '-' && s[i] != '+' && !isspace((unsigned char)s[i])))
				return r;
			break;
		}
		if (tm_parse_i64(s + st, i - st, 10, &r.v[k]) != 0)
			return r;
		if (i < n && s[i] == '.' && k < 2)
			i++;
		else
			break;
	}
	if (i < n && s[i] == '-') {
		size_t st = ++i;
		while (i < n && s[i] != '+' && !isspace((unsigned char)s[i]))
			i++;
		r.pre = s + st;
		r.pren = i - st;
	}
	if (i < n && s[i] == '+')
		while (i < n && !isspace((unsigned char)s[i]))
			i++;
	r.ok = true;
	return r;
}

static int cmp_pre(const semver *a, const semver *b)
{
	if (!a->pren && !b->pren)
		return 0;
	if (!a->pren)
		return 1;
	if (!b->pren)
		return -1;
	/* dot-separated identifiers: numeric ones numerically and before alphanumeric ones */
	const char *p = a->pre, *pe = p + a->pren, *q = b->pre, *qe = q + b->pren;
	while (p < pe && q < qe) {
		const char *pd = memchr(p, '.', (size_t)(pe - p)), *qd = memchr(q, '.', (size_t)(qe - q));
		size_t pl = pd ? (size_t)(pd - p) : (size_t)(pe - p), ql = qd ? (size_t)(qd - q) : (size_t)(qe - q);
		int64_t pi, qi;
		bool pn = tm_parse_i64(p, pl, 10, &pi) == 0, qn = tm_parse_i64(q, ql, 10, &qi) == 0;
		int c;
		if (pn && qn)
			c = pi < qi ? -1 : pi > qi;
		else if (pn || qn)
			c = pn ? -1 : 1;
		else {
			c = memcmp(p, q, pl < ql ? pl : ql);
			if (!c)
				c = pl < ql ? -1 : pl > ql;
		}
		if (c)
			return c;
		p += pl + 1;
		q += ql + 1;
	}
	return (p < pe) - (q < qe);
}

static int cmp_semver(const semver *a, const semver *b)
{
	for (int k = 0; k < 3; k++)
		if (a->v[k] != b->v[k])
			return a->v[k] < b->v[k] ? -1 : 1;
	return cmp_pre(a, b);
}

/* One constraint ("op version"), a wildcard or partial version widening it. */
static bool check_one(const semver *v, const char *c, size_t n)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)c[i]))
		i++;
	char op[3] = {0};
	int ol = 0;
	while (i < n && strchr("<>=!~^", c[i]) && ol < 2)
		op[ol++] = c[i++];
	while (i < n && isspace((unsigned char)c[i]))
		i++;
	/* count given parts; x, X and star wildcards */
	int parts = 0;
	bool wild = false;
	char buf[64];
	size_t bl = 0;
	for (size_t k = i; k < n && bl + 2 < sizeof(buf); k++) {
		char ch = c[k];
		if (ch == 'x' || ch == 'X' || ch == '*') {
			wild = true;
			break;
		}
		buf[bl++] = ch;
	}
	while (bl && buf[bl - 1] == '.')
		bl--;
	buf[bl] = '\0';
	semver cv = parse_semver(buf, bl);
	if (!cv.ok && !(wild && bl == 0))
		return false;
	const char *q = buf + (buf[0] == 'v');
	parts = bl ? 1 : 0;
	for (const char *t = q; *t && *t != '-' && *t != '+'; t++)
		parts += *t == '.';
	if (wild && bl == 0)
		return !v->pren;
	/* a version with a prerelease only satisfies constraints that carry one (same version) */
	if (v->pren && !cv.pren)
		return false;
	int cmp = cmp_semver(v, &cv);
	if (!strcmp(op, "") || !strcmp(op, "=")) {
		if (parts < 3 || wild) {
			for (int k = 0; k < parts; k++)
				if (v->v[k] != cv.v[k])
					return false;
			return true;
		}
		return cmp == 0;
	}
	if (!strcmp(op, "!="))
		return cmp != 0;
	if (!strcmp(op, ">"))
		return parts < 3 ? v->v[parts - 1] > cv.v[parts - 1] || cmp > 0 : cmp > 0;
	if (!strcmp(op, ">="))
		return cmp >= 0;
	if (!strcmp(op, "<"))
		return cmp < 0;
	if (!strcmp(op, "<="))
		return cmp <= 0 || (parts < 3 && v->v[0] == cv.v[0] && (parts < 2 || v->v[1] == cv.v[1]));
	if (op[0] == '~') {
		if (cmp < 0)
			return false;
		if (parts == 1)
			return v->v[0] == cv.v[0];
		return v->v[0] == cv.v[0] && v->v[1] == cv.v[1];
	}
	if (op[0] == '^') {
		if (cmp < 0)
			return false;
		if (cv.v[0] > 0 || parts == 1)
			return v->v[0] == cv.v[0];
		if (cv.v[1] > 0 || parts == 2)
			return v->v[0] == 0 && v->v[1] == cv.v[1];
		return v->v[0] == 0 && v->v[1] == 0 && v->v[2] == cv.v[2];
	}
	return false;
}

/* "c1, c2 || c3 c4": OR of ANDs. -1 if the constraint does not parse. */
static int semver_check(const char *c, size_t n, const semver *v)
{
	size_t i = 0;
	while (i <= n) {
		size_t e = i;
		while (e < n && !(c[e] == '|' && e + 1 < n && c[e + 1] == '|'))
			e++;
		bool all = true;
		size_t k = i;
		while (k < e) {
			while (k < e && (isspace((unsigned char)c[k]) || c[k] == ','))
				k++;
			if (k >= e)
				break;
			size_t st = k;
			while (k < e && strchr("<>=!~^", c[k]))
				k++;
			while (k < e && isspace((unsigned char)c[k]))
				k++;
			while (k < e && !isspace((unsigned char)c[k]) && c[k] != ',')
				k++;
			/* "1.2 - 1.4" ranges */
			size_t save = k;
			while (save < e && isspace((unsigned char)c[save]))
				save++;
			if (save < e && c[save] == '-' && save + 1 < e && isspace((unsigned char)c[save + 1])) {
				size_t t = save + 1;
				while (t < e && isspace((unsigned char)c[t]))
					t++;
				size_t te = t;
				while (te < e && !isspace((unsigned char)c[te]) && c[te] != ',')
					te++;
				char lo[80], hi[80];
				tm_formatf(lo, sizeof(lo), ">=%.*s", (int)(k - st), c + st);
				tm_formatf(hi, sizeof(hi), "<=%.*s", (int)(te - t), c + t);
				all &= check_one(v, lo, strlen(lo)) && check_one(v, hi, strlen(hi));
				k = te;
				continue;
			}
			all &= check_one(v, c + st, k - st);
		}
		if (all)
			return 1;
		i = e + 2;
	}
	return 0;
}

FN(semverCompare)
{
	(void)n;
	tm_gv c = S(x, a[0]), vs = S(x, a[1]);
	semver v = parse_semver(vs.u.s.p, vs.u.s.n);
	if (!v.ok)
		return tm_gt__fail(x, TM_EINVALID, "error calling semverCompare: Invalid Semantic Version");
	*out = tm_gv_bool(semver_check(c.u.s.p, c.u.s.n, &v) == 1);
	return 0;
}

FN(semver)
{
	(void)n;
	tm_gv vs = S(x, a[0]);
	semver v = parse_semver(vs.u.s.p, vs.u.s.n);
	if (!v.ok)
		return tm_gt__fail(x, TM_EINVALID, "error calling semver: Invalid Semantic Version");
	*out = tm_gv_dict_new(x->a);
	if (!out->k)
		return oom(x);
	tm_gv_dict_set(x->a, out->u.d, "Major", 5, tm_gv_int64(v.v[0]));
	tm_gv_dict_set(x->a, out->u.d, "Minor", 5, tm_gv_int64(v.v[1]));
	tm_gv_dict_set(x->a, out->u.d, "Patch", 5, tm_gv_int64(v.v[2]));
	tm_gv_dict_set(x->a, out->u.d, "Prerelease", 10, tm_gv_str(x->a, v.pre ? v.pre : "", v.pren));
	return 0;
}

/* ---- types ---- */

FN(kindOf) { UNUSED; *out = tm_gv_strz(x->a, tm_gv_kind_name(a[0])); return 0; }
FN(typeOf) { UNUSED; *out = tm_gv_strz(x->a, tm_gv_type_name(a[0])); return 0; }
FN(kindIs)
{
	(void)n;
	tm_gv k = S(x, a[0]);
	*out = tm_gv_bool(strcmp(k.u.s.p, tm_gv_kind_name(a[1])) == 0);
	return 0;
}
FN(typeIs)
{
	(void)n;
	tm_gv k = S(x, a[0]);
	*out = tm_gv_bool(strcmp(k.u.s.p, tm_gv_type_name(a[1])) == 0);
	return 0;
}

/* ---- deterministic stand-ins ---- */

FN(now)
{
	UNUSED;
	*out = tm_gv_strz(x->a, "2024-01-01 00:00:00 +0000 UTC");
	return 0;
}

FN(date)
{
	/* the one time there is: Monday 2024-01-01 00:00:00 UTC, in Go's layout language */
	(void)n;
	tm_gv f = S(x, a[0]);
	static const struct { const char *tok, *val; } lay[] = {
		{"2006", "2024"}, {"Monday", "Monday"}, {"Mon", "Mon"}, {"January", "January"}, {"Jan", "Jan"},
		{"MST", "UTC"}, {"Z07:00", "Z"}, {"-07:00", "+00:00"}, {"-0700", "+0000"}, {"01", "01"}, {"02", "01"},
		{"15", "00"}, {"03", "12"}, {"04", "00"}, {"05", "00"}, {"06", "24"}, {"PM", "AM"}, {"pm", "am"},
		{".000", ".000"}, {"_2", " 1"}, {"1", "1"}, {"2", "1"}, {"3", "12"}, {"4", "0"}, {"5", "0"}};
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < f.u.s.n;) {
		size_t k;
		for (k = 0; k < TM_ARRAY_LEN(lay); k++) {
			size_t tl = strlen(lay[k].tok);
			if (f.u.s.n - i >= tl && memcmp(f.u.s.p + i, lay[k].tok, tl) == 0) {
				tm_strbuf_puts(&sb, lay[k].val);
				i += tl;
				break;
			}
		}
		if (k == TM_ARRAY_LEN(lay))
			tm_strbuf_putc(&sb, f.u.s.p[i++]);
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(unixEpoch) { UNUSED; *out = tm_gv_strz(x->a, "1704067200"); return 0; }

static int cycle(tm_gt_exec *x, tm_gv cnt, const char *alphabet, tm_gv *out)
{
	int64_t c = I(cnt);
	if (c < 0)
		c = 0;
	if ((uint64_t)c > x->lim.max_output)
		return tm_gt__fail(x, TM_ELIMIT, "error calling rand: %lld characters", (long long)c);
	size_t al = strlen(alphabet);
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int64_t i = 0; i < c; i++)
		tm_strbuf_putc(&sb, alphabet[(size_t)i % al]);
	*out = mkstr(x, &sb);
	return 0;
}

/* shuffle: a fixed stand-in too, the string as it is (the same characters, in an order nobody can
 * rely on) */
FN(shuffle)
{
	(void)n;
	*out = own(x, S(x, a[0]));
	return 0;
}

FN(randAlphaNum) { (void)n; return cycle(x, a[0], "abcdefghijklmnopqrstuvwxyz0123456789", out); }
FN(randAlpha) { (void)n; return cycle(x, a[0], "abcdefghijklmnopqrstuvwxyz", out); }
FN(randNumeric) { (void)n; return cycle(x, a[0], "0123456789", out); }
FN(randAscii) { (void)n; return cycle(x, a[0], "abcdefghijklmnopqrstuvwxyz", out); }
FN(uuidv4) { UNUSED; *out = tm_gv_strz(x->a, "00000000-0000-4000-8000-000000000000"); return 0; }
FN(env) { UNUSED; *out = tm_gv_str_take("", 0); return 0; }

FN(expandenv)
{
	(void)n;
	tm_gv s = S(x, a[0]);
	tm_strbuf sb = TM_STRBUF_INIT;
	for (size_t i = 0; i < s.u.s.n; i++) {
		if (s.u.s.p[i] != '$' || i + 1 >= s.u.s.n) {
			tm_strbuf_putc(&sb, s.u.s.p[i]);
			continue;
		}
		size_t j = i + 1;
		if (s.u.s.p[j] == '{') {
			while (j < s.u.s.n && s.u.s.p[j] != '}')
				j++;
			i = j;
		} else {
			while (j < s.u.s.n && (isalnum((unsigned char)s.u.s.p[j]) || s.u.s.p[j] == '_'))
				j++;
			i = j - 1;
		}
	}
	*out = mkstr(x, &sb);
	return 0;
}

/* ---- Helm ---- */

FN(include)
{
	(void)n;
	tm_gv name = S(x, a[0]);
	tm_strbuf sb = TM_STRBUF_INIT;
	if (tm_gt__include(x, name.u.s.p, name.u.s.n, a[1], &sb) < 0) {
		tm_strbuf_dispose(&sb);
		return -1;
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(tpl)
{
	(void)n;
	tm_gv text = S(x, a[0]);
	tm_strbuf sb = TM_STRBUF_INIT;
	if (tm_gt__tpl(x, text.u.s.p, text.u.s.n, a[1], &sb) < 0) {
		tm_strbuf_dispose(&sb);
		return -1;
	}
	*out = mkstr(x, &sb);
	return 0;
}

FN(lookup)
{
	UNUSED;
	*out = tm_gv_dict_new(x->a);
	return 0;
}

FN(base)
{
	(void)n;
	tm_gv s = S(x, a[0]);
	const char *p = s.u.s.p, *e = p + s.u.s.n;
	while (e > p + 1 && e[-1] == '/')
		e--;
	const char *b = e;
	while (b > p && b[-1] != '/')
		b--;
	*out = s.u.s.n ? tm_gv_str(x->a, b, (size_t)(e - b)) : tm_gv_str_take(".", 1);
	return 0;
}

/* Sorted by name (strcmp): tm_gt__func_index bisects. */
static const tm_gt_func funcs[] = {
	{"add", fn_add, 0, -1},
	{"add1", fn_add1, 1, 1},
	{"addf", fn_addf, 0, -1},
	{"all", fn_all, 0, -1},
	{"and", fn_andor, 1, -1},
	{"any", fn_any, 0, -1},
	{"append", fn_append, 2, 2},
	{"atoi", fn_atoi, 1, 1},
	{"b64dec", fn_b64dec, 1, 1},
	{"b64enc", fn_b64enc, 1, 1},
	{"base", fn_base, 1, 1},
	{"call", fn_call, 1, -1},
	{"cat", fn_cat, 0, -1},
	{"ceil", fn_ceil, 1, 1},
	{"coalesce", fn_coalesce, 0, -1},
	{"compact", fn_compact, 1, 1},
	{"concat", fn_concat, 0, -1},
	{"contains", fn_contains, 2, 2},
	{"date", fn_date, 2, 2},
	{"deepCopy", fn_deepCopy, 1, 1},
	{"default", fn_default, 1, -1},
	{"dict", fn_dict, 0, -1},
	{"dig", fn_dig, 3, -1},
	{"div", fn_div, 2, 2},
	{"divf", fn_divf, 1, -1},
	{"empty", fn_empty, 1, 1},
	{"env", fn_env, 1, 1},
	{"eq", fn_eq, 1, -1},
	{"expandenv", fn_expandenv, 1, 1},
	{"fail", fn_fail, 1, 1},
	{"first", fn_first, 1, 1},
	{"float64", fn_float64, 1, 1},
	{"floor", fn_floor, 1, 1},
	{"fromJson", fn_fromYaml, 1, 1},
	{"fromJsonArray", fn_fromYamlArray, 1, 1},
	{"fromYaml", fn_fromYaml, 1, 1},
	{"fromYamlArray", fn_fromYamlArray, 1, 1},
	{"ge", fn_ge, 2, 2},
	{"get", fn_get, 2, 2},
	{"gt", fn_gt, 2, 2},
	{"has", fn_has, 2, 2},
	{"hasKey", fn_hasKey, 2, 2},
	{"hasPrefix", fn_hasPrefix, 2, 2},
	{"hasSuffix", fn_hasSuffix, 2, 2},
	{"html", fn_html, 0, -1},
	{"include", fn_include, 2, 2},
	{"indent", fn_indent, 2, 2},
	{"index", fn_index, 1, -1},
	{"initial", fn_initial, 1, 1},
	{"int", fn_int, 1, 1},
	{"int64", fn_int64, 1, 1},
	{"join", fn_join, 2, 2},
	{"js", fn_js, 0, -1},
	{"keys", fn_keys, 0, -1},
	{"kindIs", fn_kindIs, 2, 2},
	{"kindOf", fn_kindOf, 1, 1},
	{"last", fn_last, 1, 1},
	{"le", fn_le, 2, 2},
	{"len", fn_len, 1, 1},
	{"list", fn_list, 0, -1},
	{"lookup", fn_lookup, 4, 4},
	{"lower", fn_lower, 1, 1},
	{"lt", fn_lt, 2, 2},
	{"max", fn_max, 1, -1},
	{"maxf", fn_maxf, 1, -1},
	{"merge", fn_merge, 1, -1},
	{"mergeOverwrite", fn_mergeOverwrite, 1, -1},
	{"min", fn_min, 1, -1},
	{"minf", fn_minf, 1, -1},
	{"mod", fn_mod, 2, 2},
	{"mul", fn_mul, 1, -1},
	{"mulf", fn_mulf, 1, -1},
	{"mustAppend", fn_append, 2, 2},
	{"mustCompact", fn_compact, 1, 1},
	{"mustDeepCopy", fn_deepCopy, 1, 1},
	{"mustFirst", fn_first, 1, 1},
	{"mustFromJson", fn_fromYaml, 1, 1},
	{"mustHas", fn_has, 2, 2},
	{"mustInitial", fn_initial, 1, 1},
	{"mustLast", fn_last, 1, 1},
	{"mustMerge", fn_merge, 1, -1},
	{"mustMergeOverwrite", fn_mergeOverwrite, 1, -1},
	{"mustPrepend", fn_prepend, 2, 2},
	{"mustPush", fn_append, 2, 2},
	{"mustRegexFind", fn_regexFind, 2, 2},
	{"mustRegexFindAll", fn_regexFindAll, 3, 3},
	{"mustRegexMatch", fn_regexMatch, 2, 2},
	{"mustRegexReplaceAll", fn_regexReplaceAll, 3, 3},
	{"mustRegexReplaceAllLiteral", fn_regexReplaceAllLiteral, 3, 3},
	{"mustRegexSplit", fn_regexSplit, 3, 3},
	{"mustRest", fn_rest, 1, 1},
	{"mustReverse", fn_reverse, 1, 1},
	{"mustToJson", fn_toJson, 1, 1},
	{"mustToPrettyJson", fn_toPrettyJson, 1, 1},
	{"mustToRawJson", fn_toRawJson, 1, 1},
	{"mustToYaml", fn_toYaml, 1, 1},
	{"mustUniq", fn_uniq, 1, 1},
	{"mustWithout", fn_without, 1, -1},
	{"ne", fn_ne, 2, 2},
	{"nindent", fn_nindent, 2, 2},
	{"nospace", fn_nospace, 1, 1},
	{"not", fn_not, 1, 1},
	{"now", fn_now, 0, 0},
	{"omit", fn_omit, 1, -1},
	{"or", fn_andor, 1, -1},
	{"pick", fn_pick, 1, -1},
	{"prepend", fn_prepend, 2, 2},
	{"print", fn_print, 0, -1},
	{"printf", fn_printf, 1, -1},
	{"println", fn_println, 0, -1},
	{"push", fn_append, 2, 2},
	{"quote", fn_quote, 0, -1},
	{"randAlpha", fn_randAlpha, 1, 1},
	{"randAlphaNum", fn_randAlphaNum, 1, 1},
	{"randAscii", fn_randAscii, 1, 1},
	{"randNumeric", fn_randNumeric, 1, 1},
	{"regexFind", fn_regexFind, 2, 2},
	{"regexFindAll", fn_regexFindAll, 3, 3},
	{"regexMatch", fn_regexMatch, 2, 2},
	{"regexReplaceAll", fn_regexReplaceAll, 3, 3},
	{"regexReplaceAllLiteral", fn_regexReplaceAllLiteral, 3, 3},
	{"regexSplit", fn_regexSplit, 3, 3},
	{"repeat", fn_repeat, 2, 2},
	{"replace", fn_replace, 3, 3},
	{"required", fn_required, 2, 2},
	{"rest", fn_rest, 1, 1},
	{"reverse", fn_reverse, 1, 1},
	{"round", fn_round, 1, 3},
	{"semver", fn_semver, 1, 1},
	{"semverCompare", fn_semverCompare, 2, 2},
	{"seq", fn_seq, 0, -1},
	{"set", fn_set, 3, 3},
	{"sha256sum", fn_sha256sum, 1, 1},
	{"shuffle", fn_shuffle, 1, 1},
	{"slice", fn_slice, 1, -1},
	{"sortAlpha", fn_sortAlpha, 1, 1},
	{"split", fn_split, 2, 2},
	{"splitList", fn_splitList, 2, 2},
	{"splitn", fn_splitn, 3, 3},
	{"squote", fn_squote, 0, -1},
	{"sub", fn_sub, 2, 2},
	{"subf", fn_subf, 1, -1},
	{"substr", fn_substr, 3, 3},
	{"ternary", fn_ternary, 3, 3},
	{"title", fn_title, 1, 1},
	{"toJson", fn_toJson, 1, 1},
	{"toPrettyJson", fn_toPrettyJson, 1, 1},
	{"toRawJson", fn_toRawJson, 1, 1},
	{"toString", fn_toString, 1, 1},
	{"toStrings", fn_toStrings, 1, 1},
	{"toYaml", fn_toYaml, 1, 1},
	{"tpl", fn_tpl, 2, 2},
	{"trim", fn_trim, 1, 1},
	{"trimAll", fn_trimAll, 2, 2},
	{"trimPrefix", fn_trimPrefix, 2, 2},
	{"trimSuffix", fn_trimSuffix, 2, 2},
	{"trunc", fn_trunc, 2, 2},
	{"typeIs", fn_typeIs, 2, 2},
	{"typeOf", fn_typeOf, 1, 1},
	{"uniq", fn_uniq, 1, 1},
	{"unixEpoch", fn_unixEpoch, 1, 1},
	{"unset", fn_unset, 2, 2},
	{"until", fn_until, 1, 1},
	{"untilStep", fn_untilStep, 3, 3},
	{"untitle", fn_untitle, 1, 1},
	{"upper", fn_upper, 1, 1},
	{"urlquery", fn_urlquery, 0, -1},
	{"uuidv4", fn_uuidv4, 0, 0},
	{"values", fn_values, 1, 1},
	{"without", fn_without, 1, -1},
};

int tm_gt__func_index(const char *name, size_t n)
{
	size_t lo = 0, hi = TM_ARRAY_LEN(funcs);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *f = funcs[mid].name;
		size_t fl = strlen(f);
		int c = memcmp(f, name, fl < n ? fl : n);
		if (!c)
			c = fl < n ? -1 : fl > n;
		if (!c)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const tm_gt_func *tm_gt__func(int index)
{
	return &funcs[index];
}
