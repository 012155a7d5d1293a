/*
 * format.c - printf for the conversions this code base writes on its hot paths (node ids, finding
 * titles, query steps), without stdio's stream machinery: glibc's vsnprintf costs about a
 * thousand instructions a call before it copies a byte, and the analysis of a large estate makes
 * hundreds of thousands of such strings (and a fingerprint, %016llx, for each finding). A format
 * with any other conversion (another width, a flag, a float, %x, %p) goes to vsnprintf whole, so
 * the output is always what vsnprintf would write.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

#include "util.h"

/* The conversion at f (just after '%'): its length in bytes when tm_vformat handles it, else 0. */
static size_t conversion(const char *f)
{
	if (f[0] == '%' || f[0] == 's' || f[0] == 'c' || f[0] == 'd' || f[0] == 'i' || f[0] == 'u')
		return 1;
	if (f[0] == '.' && f[1] == '*' && f[2] == 's')
		return 3;
	if ((f[0] == 'l' || f[0] == 'z') && (f[1] == 'd' || f[1] == 'i' || f[1] == 'u'))
		return 2;
	if (f[0] == 'l' && f[1] == 'l' && (f[2] == 'd' || f[2] == 'i' || f[2] == 'u'))
		return 3;
	if (strncmp(f, "016llx", 6) == 0) /* a fingerprint or a digest */
		return 6;
	return 0;
}

struct out {
	char *buf;
	size_t cap, len; /* len counts every byte, written or not (as vsnprintf's result does) */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->cap) {
		size_t room = o->cap - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void put_unsigned(struct out *o, unsigned long long v, bool negative)
{
	char digits[24];
	size_t i = sizeof(digits);
	do
		digits[--i] = (char)('0' + v % 10);
	while ((v /= 10));
	if (negative)
		digits[--i] = '-';
	put(o, digits + i, sizeof(digits) - i);
}

static void put_signed(struct out *o, long long v)
{
	put_unsigned(o, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
}

/* One conversion of the handled set at f (after '%'), its argument taken from ap. */
static void convert(struct out *o, const char *f, va_list *ap)
{
	switch (f[0]) {
	case '%':
		put(o, "%", 1);
		return;
	case 's': {
		const char *s = va_arg(*ap, const char *);
		s = s ? s : "(null)";
		put(o, s, strlen(s));
		return;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		put(o, &c, 1);
		return;
	}
	case 'd':
	case 'i':
		put_signed(o, va_arg(*ap, int));
		return;
	case 'u':
		put_unsigned(o, va_arg(*ap, unsigned), false);
		return;
	case '.': { /* %.*s: at most prec bytes, fewer at a NUL; a negative precision is none */
		int prec = va_arg(*ap, int);
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = prec < 0 || prec >= 6 ? "(null)" : "";
		size_t n = prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
		put(o, s, n);
		return;
	}
	case '0': { /* %016llx */
		unsigned long long v = va_arg(*ap, unsigned long long);
		char hex[16];
		for (int i = 15; i >= 0; i--, v >>= 4)
			hex[i] = "0123456789abcdef"[v & 15];
		put(o, hex, sizeof(hex));
		return;
	}
	case 'z':
		if (f[1] == 'u')
			put_unsigned(o, va_arg(*ap, size_t), false);
		else
			put_signed(o, (long long)va_arg(*ap, ptrdiff_t));
		return;
	default: /* 'l' or 'll' */
		if (f[1] == 'l') {
			if (f[2] == 'u')
				put_unsigned(o, va_arg(*ap, unsigned long long), false);
			else
				put_signed(o, va_arg(*ap, long long));
		} else if (f[1] == 'u') {
			put_unsigned(o, va_arg(*ap, unsigned long), false);
		} else {
			put_signed(o, va_arg(*ap, long));
		}
		return;
	}
}

int tm_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
	/* one pass; a conversion it does not handle hands the whole format to vsnprintf, which
	 * writes from the start again with the arguments untouched (the pass took them from a copy) */
	struct out o = {buf, cap, 0};
	va_list args;
	va_copy(args, ap);
	for (const char *p = fmt;;) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			put(&o, p, strlen(p));
			break;
		}
		size_t n = conversion(pct + 1);
		if (!n) {
			va_end(args);
			return vsnprintf(buf, cap, fmt, ap);
		}
		put(&o, p, (size_t)(pct - p));
		convert(&o, pct + 1, &args);
		p = pct + 1 + n;
	}
	va_end(args);
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len > INT_MAX ? -1 : (int)o.len;
}

int tm_formatf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = tm_vformat(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
