/* strbuf.c - growable byte buffer; an allocation failure is sticky so callers check once. */
#include <stdarg.h>
#include <stdio.h>

#include "util.h"

void tm_strbuf_dispose(tm_strbuf *sb)
{
	tm_free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
	sb->oom = 0;
}

void tm_strbuf_reset(tm_strbuf *sb)
{
	sb->len = 0;
	if (sb->data)
		sb->data[0] = '\0';
}

static int reserve(tm_strbuf *sb, size_t extra)
{
	if (sb->oom)
		return -1;
	if (sb->data && extra < sb->cap - sb->len)
		return 0; /* room already: the common case of a small write */
	if (extra > SIZE_MAX - sb->len - 1 || TM_GROW(sb->data, sb->cap, sb->len + extra + 1)) {
		sb->oom = 1;
		return -1;
	}
	return 0;
}

void tm_strbuf_put(tm_strbuf *sb, const void *data, size_t len)
{
	if (reserve(sb, len))
		return;
	if (len)
		memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
}

void tm_strbuf_puts(tm_strbuf *sb, const char *s)
{
	tm_strbuf_put(sb, s, strlen(s));
}

void tm_strbuf_putc(tm_strbuf *sb, char c)
{
	tm_strbuf_put(sb, &c, 1);
}

void tm_strbuf_put_rune(tm_strbuf *sb, uint32_t r)
{
	if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = 0xFFFD;
	char b[4];
	size_t n;
	if (r < 0x80) {
		b[0] = (char)r;
		n = 1;
	} else if (r < 0x800) {
		b[0] = (char)(0xC0 | (r >> 6));
		b[1] = (char)(0x80 | (r & 0x3F));
		n = 2;
	} else if (r < 0x10000) {
		b[0] = (char)(0xE0 | (r >> 12));
		b[1] = (char)(0x80 | ((r >> 6) & 0x3F));
		b[2] = (char)(0x80 | (r & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (r >> 18));
		b[1] = (char)(0x80 | ((r >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((r >> 6) & 0x3F));
		b[3] = (char)(0x80 | (r & 0x3F));
		n = 4;
	}
	tm_strbuf_put(sb, b, n);
}

void tm_strbuf_vprintf(tm_strbuf *sb, const char *fmt, va_list ap)
{
	if (sb->oom)
		return;
	/* straight into the room already there; measured and written again only when it does not fit */
	size_t room = sb->data ? sb->cap - sb->len : 0;
	va_list ap2;
	va_copy(ap2, ap);
	int n = tm_vformat(room ? sb->data + sb->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		sb->oom = 1;
		return;
	}
	if ((size_t)n >= room) {
		if (reserve(sb, (size_t)n))
			return;
		tm_vformat(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void tm_strbuf_printf(tm_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tm_strbuf_vprintf(sb, fmt, ap);
	va_end(ap);
}

char *tm_strbuf_take(tm_strbuf *sb)
{
	if (sb->oom) {
		tm_strbuf_dispose(sb);
		return NULL;
	}
	if (!sb->data && reserve(sb, 0))
		return NULL;
	char *p = sb->data;
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return p;
}
