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

/* Does an action start at q (after "{{", an optional "-" and spaces): a field or variable (. $), a
 * comment, or a keyword or function Helm charts use? */
static bool starts_action(const char *q, const char *end)
{
	static const char *const words[] = {
		"if",       "else",    "end",   "range",   "with",   "define", "template", "include",
		"block",    "toYaml",  "tpl",   "required", "default", "printf", "quote",   "nindent",
		"indent",   "fromYaml", "toJson", "trim",   "lookup", "not",    "and",     "or",
		"eq",       "ne",      "len",   "list",    "dict",   "upper",  "lower",   "b64enc",
		"semverCompare", NULL};
	if (q < end && *q == '-')
		q++;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q < end && (*q == '.' || *q == '$' || (*q == '/' && q + 1 < end && q[1] == '*')))
		return true;
	for (const char *const *w = words; *w; w++) {
		size_t wl = strlen(*w);
		if ((size_t)(end - q) > wl && memcmp(q, *w, wl) == 0 && !isalnum((unsigned char)q[wl]) && q[wl] != '_')
			return true;
	}
	return false;
}

/* Does the line open a block scalar: its value (after "key:" or "- ", before a comment) a "|" or ">"
 * with at most two indicators ("|-", ">+", "|2")? Then *parent is the column its lines must pass: the
 * key's (past any "- " of sequence items), or the dash's for a block scalar that is an item itself. */
static bool opens_block(const char *line, const char *eol, size_t *parent)
{
	const char *e = eol;
	while (e > line && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (e == line || !memchr("|>+-0123456789", e[-1], 14)) { /* ends in no indicator: only a comment may hide one */
		const char *h = memchr(line, '#', (size_t)(eol - line));
		while (h && !(h > line && (h[-1] == ' ' || h[-1] == '\t')))
			h = memchr(h + 1, '#', (size_t)(eol - h - 1));
		if (!h) /* (a " #" inside a quoted value is rare enough here) */
			return false;
		for (e = h; e > line && (e[-1] == ' ' || e[-1] == '\t');)
			e--;
	}
	const char *ind = e;
	while (ind > line && e - ind < 2 && (ind[-1] == '-' || ind[-1] == '+' || isdigit((unsigned char)ind[-1])))
		ind--;
	if (ind == line || (ind[-1] != '|' && ind[-1] != '>'))
		return false;
	const char *b = ind - 1; /* the indicator; before it a separator, then ":" or "-", or nothing */
	if (b > line && b[-1] != ' ' && b[-1] != '\t')
		return false;
	while (b > line && (b[-1] == ' ' || b[-1] == '\t'))
		b--;
	if (b > line && b[-1] == '-') {
		*parent = (size_t)(b - 1 - line);
		return true;
	}
	if (b > line && b[-1] != ':')
		return false;
	const char *key = line; /* the key's column: past the indentation and any "- " */
	while (key < b && *key == ' ')
		key++;
	while (key + 1 < b && *key == '-' && (key[1] == ' ' || key[1] == '\t'))
		for (key++; key < b && (*key == ' ' || *key == '\t'); key++)
			;
	*parent = (size_t)(key - line);
	return true;
}

/* Is column at of the line inside a quoted scalar? A quote opens one only where a value starts. */
static bool in_quotes(const char *line, const char *at)
{
	char open = 0;
	for (const char *p = line; p < at; p++) {
		if (open == '"' && *p == '\\' && p + 1 < at) {
			p++;
		} else if (open && *p == open) {
			if (open == '\'' && p + 1 < at && p[1] == '\'')
				p++; /* '' in a single-quoted scalar */
			else
				open = 0;
		} else if (!open && (*p == '"' || *p == '\'')) {
			const char *b = p;
			while (b > line && (b[-1] == ' ' || b[-1] == '\t'))
				b--;
			if (b == line || b[-1] == ':' || b[-1] == '-' || b[-1] == '[' || b[-1] == '{' || b[-1] == ',')
				open = *p;
		}
	}
	return open != 0;
}

/*
 * A Go template action where YAML structure begins: "{{" (not GitHub's "${{ }}", text to YAML) first
 * on its line or where a plain value or item starts (after ": " or "- "), then an action
 * (starts_action). Text is not structure: an action inside a quoted scalar ('{{ .Alerts }}' in an
 * Alertmanager config, "rate: {{ $value }}" in a Prometheus rule) or a block scalar's lines (the
 * template a sidecar injector's ConfigMap holds) is data. One pass over the lines.
 */
long tm_parse__find_template(const char *buf, size_t len)
{
	const char *end = buf + len;
	size_t block = SIZE_MAX; /* inside a block scalar: the column of the node that opened it */
	for (const char *line = buf; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end;
		const char *text = line;
		while (text < eol && (*text == ' ' || *text == '\t' || *text == '\r'))
			text++;
		size_t indent = (size_t)(text - line);
		if (block != SIZE_MAX && (text == eol || indent > block)) {
			line = nl ? nl + 1 : end; /* a line of the block scalar (or blank): text */
			continue;
		}
		block = SIZE_MAX;
		for (const char *p = line; p + 1 < eol;) {
			const char *hit = memchr(p, '{', (size_t)(eol - p));
			if (!hit || hit + 1 >= eol)
				break;
			p = hit + 1;
			if (hit[1] != '{' || (hit > buf && hit[-1] == '$'))
				continue;
			const char *b = hit;
			while (b > line && (b[-1] == ' ' || b[-1] == '\t'))
				b--;
			bool structural = b == line || b[-1] == ':' ||
					  (b[-1] == '-' && (b - 1 == line || b[-2] == ' ' || b[-2] == '\t'));
			if (structural && starts_action(hit + 2, end) && !in_quotes(line, hit))
				return hit - buf;
			p = hit + 2;
		}
		size_t parent;
		if (opens_block(line, eol, &parent))
			block = parent;
		line = nl ? nl + 1 : end;
	}
	return -1;
}
