/* text.c - UTF-8 validation, offsets to positions, bounded integer parsing. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include "util.h"

size_t tm_utf8_check(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		/* ASCII fast path, eight bytes at a time */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (len - i < n)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n;
	}
	return len;
}

void tm_offset_to_linecol(const char *buf, size_t len, size_t off, uint32_t *line, uint32_t *col)
{
	uint32_t l = 1;
	size_t bol = 0;
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			l++;
			bol = i + 1;
		}
	}
	*line = l;
	*col = (uint32_t)(off - bol + 1);
}

int tm_parse_i64(const char *s, size_t len, int base, int64_t *out)
{
	char tmp[72];
	if (len == 0 || len >= sizeof(tmp))
		return TM_EINVALID;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	char *end = NULL;
	errno = 0;
	long long v = strtoll(tmp, &end, base);
	if (errno || end != tmp + len)
		return TM_EINVALID;
	*out = (int64_t)v;
	return 0;
}

bool tm_date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return y >= 1970 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

bool tm_strcasecontains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return hay && *hay;
	/* the first letter, both cases, before a whole comparison at each place */
	int lo = tolower((unsigned char)needle[0]), up = toupper((unsigned char)needle[0]);
	for (; hay && *hay; hay++)
		if ((*hay == lo || *hay == up) && strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

bool tm_strcaseeq(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

bool tm_host_loopback(const char *host, size_t n)
{
	return (n >= 4 && memcmp(host, "127.", 4) == 0) || (n == 3 && memcmp(host, "::1", 3) == 0) ||
	       (n == 5 && memcmp(host, "[::1]", 5) == 0) || (n == 9 && memcmp(host, "localhost", 9) == 0);
}

/* Is a path segment the name of a development or test environment, or of a test project? */
static bool test_word(const char *w, size_t n)
{
	static const char *const words[] = {"dev", "development", "local", "localhost", "test", "tests",
					    "testing", "testdata", "fixture", "fixtures", "e2e", "mock",
					    "mocks", "sample", "samples", "example", "examples"};
	char low[40];
	if (!n || n >= sizeof(low))
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)w[i]);
	low[n] = '\0';
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (strcmp(low, words[i]) == 0)
			return true;
	return n > 5 && strcmp(low + n - 5, "tests") == 0; /* Catalog.FunctionalTests, unittests */
}

bool tm_dev_or_test_path(const char *path)
{
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/.-_");
		if (test_word(p, n))
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}
