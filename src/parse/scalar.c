/*
 * scalar.c - resolving untyped scalars, and spotting unrendered templates.
 *
 * libfyaml hands back scalar text without a type. We resolve plain scalars with
 * the YAML 1.2 core schema, plus the YAML 1.1 forms that the parsers our users'
 * tools run on (Go's yaml.v2 behind kubectl, PyYAML) still honour, because real
 * manifests are written for those: yes/no/on/off/y/n booleans, 0755 octal,
 * 0b1010 binary, underscores in numbers. The text is always kept, so a key such
 * as GitHub's `on:` is still found by its text. Sexagesimal (1.1's 22:22) is
 * deliberately left a string: port mappings are written that way.
 */
#include <ctype.h>

#include "parse.h"

static bool eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

static bool one_of(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (eq(s, len, *words))
			return true;
	return false;
}

static const char *const nulls[] = {"~", "null", "Null", "NULL", NULL};
static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE",
				    /* YAML 1.1 */
				    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
				    "off", "Off", "OFF", "y", "Y", "n", "N", NULL};
static const char *const specials[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
				       "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL};

static bool all_digits(const char *s, size_t len, int base)
{
	if (!len)
		return false;
	bool any = false;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		if (c == '_' && any)
			continue; /* YAML 1.1 digit separators */
		bool ok = base == 16 ? isxdigit(c) : base == 8 ? (c >= '0' && c <= '7')
				   : base == 2 ? (c == '0' || c == '1') : isdigit(c);
		if (!ok)
			return false;
		any = true;
	}
	return any;
}

static bool is_float(const char *s, size_t len)
{
	size_t i = 0, digits = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < len && isdigit((unsigned char)s[i]))
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (!digits)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t e = 0;
		while (i < len && isdigit((unsigned char)s[i]))
			i++, e++;
		if (!e)
			return false;
	}
	return i == len;
}

tm_scalar_type tm_parse__resolve_plain(const char *s, size_t len)
{
	if (len == 0)
		return TM_SCALAR_NULL;
	/* every null, bool and special float word is at most 6 bytes: skip the tables otherwise */
	if (len <= 6) {
		if (one_of(s, len, nulls))
			return TM_SCALAR_NULL;
		if (one_of(s, len, bools))
			return TM_SCALAR_BOOL;
		if (one_of(s, len, specials))
			return TM_SCALAR_FLOAT;
	}
	/* numbers start with a digit, a sign or a dot */
	if (!isdigit((unsigned char)s[0]) && s[0] != '-' && s[0] != '+' && s[0] != '.')
		return TM_SCALAR_STR;
	const char *p = s;
	size_t n = len;
	if (*p == '-' || *p == '+')
		p++, n--;
	if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return all_digits(p + 2, n - 2, 16) ? TM_SCALAR_INT : TM_SCALAR_STR;
	if (n > 2 && p[0] == '0' && p[1] == 'o')
		return all_digits(p + 2, n - 2, 8) ? TM_SCALAR_INT : TM_SCALAR_STR;
	if (n > 2 && p[0] == '0' && p[1] == 'b')
		return all_digits(p + 2, n - 2, 2) ? TM_SCALAR_INT : TM_SCALAR_STR;
	if (all_digits(p, n, 10) && p[0] != '_') {
		/* a leading 0 means YAML 1.1 octal; 08 and 09 are not octal, so a string */
		if (n > 1 && p[0] == '0' && !all_digits(p, n, 8))
			return TM_SCALAR_STR;
		return TM_SCALAR_INT;
	}
	if (is_float(s, len))
		return TM_SCALAR_FLOAT;
	return TM_SCALAR_STR;
}

int tm_parse__resolve_tag(const char *tag, size_t len)
{
	static const struct {
		const char *name;
		int type;
	} tags[] = {
		{"tag:yaml.org,2002:str", TM_SCALAR_STR},     {"tag:yaml.org,2002:null", TM_SCALAR_NULL},
		{"tag:yaml.org,2002:bool", TM_SCALAR_BOOL},   {"tag:yaml.org,2002:int", TM_SCALAR_INT},
		{"tag:yaml.org,2002:float", TM_SCALAR_FLOAT}, {"!!str", TM_SCALAR_STR},
		{"!!null", TM_SCALAR_NULL},                   {"!!bool", TM_SCALAR_BOOL},
		{"!!int", TM_SCALAR_INT},                     {"!!float", TM_SCALAR_FLOAT},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(tags); i++)
		if (eq(tag, len, tags[i].name))
			return tags[i].type;
	return -1;
}

/*
 * A Go template action: "{{" not preceded by "$" (GitHub's ${{ }} expressions
 * are plain text to YAML), where YAML structure starts, optionally "-", spaces, then what starts an action:
 * a field or variable (. $), a comment, or a keyword/function Helm charts use.
 */
long tm_parse__find_template(const char *buf, size_t len)
{
	static const char *const words[] = {
		"if",       "else",    "end",   "range",   "with",   "define", "template", "include",
		"block",    "toYaml",  "tpl",   "required", "default", "printf", "quote",   "nindent",
		"indent",   "fromYaml", "toJson", "trim",   "lookup", "not",    "and",     "or",
		"eq",       "ne",      "len",   "list",    "dict",   "upper",  "lower",   "b64enc",
		"semverCompare", NULL};
	const char *p = buf, *end = buf + len;
	while (p + 2 <= end) {
		const char *hit = memchr(p, '{', (size_t)(end - p));
		if (!hit || hit + 1 >= end)
			return -1;
		if (hit[1] != '{' || (hit > buf && hit[-1] == '$')) {
			p = hit + 1;
			continue;
		}
		/*
		 * Only an action where YAML structure begins counts: first on its line, or
		 * where a plain value or item starts (after ": " or "- "). Inside a quoted
		 * string ('{{ .Alerts }}' in an Alertmanager config) it is just text.
		 */
		const char *b = hit;
		while (b > buf && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		bool structural = b == buf || b[-1] == '\n' || b[-1] == ':' ||
				  (b[-1] == '-' && (b - 1 == buf || b[-2] == ' ' || b[-2] == '\n'));
		if (!structural) {
			p = hit + 2;
			continue;
		}
		const char *q = hit + 2;
		if (q < end && *q == '-')
			q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && (*q == '.' || *q == '$' || (*q == '/' && q + 1 < end && q[1] == '*')))
			return hit - buf;
		for (const char *const *w = words; *w; w++) {
			size_t wl = strlen(*w);
			if ((size_t)(end - q) > wl && memcmp(q, *w, wl) == 0 &&
			    !isalnum((unsigned char)q[wl]) && q[wl] != '_')
				return hit - buf;
		}
		p = hit + 2;
	}
	return -1;
}
