/*
 * helm_archive.c - chart archives (charts/NAME.tgz, as `helm dependency build` vendors them) read
 * in memory: gzip (RFC 1952) around DEFLATE (RFC 1951) around a tar stream (ustar, with GNU long
 * names and pax path records). Written here, as no compression library is linked.
 *
 * Hostile archives are bounded: the inflated size (max_out), the number of files, the length of
 * a name; a corrupt stream is an error, never a read past the input.
 */
#include <stdio.h>
#include <stdlib.h>

#include "render/helm_archive.h"

/* ---- DEFLATE ---- */

typedef struct {
	const unsigned char *in;
	size_t len, pos;
	uint32_t bits;
	int nbits;
	bool bad;
} bitrd;

static int getbits(bitrd *b, int n)
{
	while (b->nbits < n) {
		if (b->pos >= b->len) {
			b->bad = true;
			return 0;
		}
		b->bits |= (uint32_t)b->in[b->pos++] << b->nbits;
		b->nbits += 8;
	}
	int v = (int)(b->bits & ((1u << n) - 1));
	b->bits >>= n;
	b->nbits -= n;
	return v;
}

/* A canonical Huffman code: counts per length and the symbols in code order. */
typedef struct {
	short count[16];
	short symbol[320];
} huff;

static int build(huff *h, const short *lengths, int n)
{
	memset(h->count, 0, sizeof(h->count));
	for (int i = 0; i < n; i++)
		h->count[lengths[i]]++;
	h->count[0] = 0;
	int left = 1;
	for (int l = 1; l < 16; l++) {
		left <<= 1;
		left -= h->count[l];
		if (left < 0)
			return -1; /* over-subscribed */
	}
	short offs[16];
	offs[1] = 0;
	for (int l = 1; l < 15; l++)
		offs[l + 1] = (short)(offs[l] + h->count[l]);
	for (int i = 0; i < n; i++)
		if (lengths[i])
			h->symbol[offs[lengths[i]]++] = (short)i;
	return 0;
}

static int decode(bitrd *b, const huff *h)
{
	int code = 0, first = 0, index = 0;
	for (int l = 1; l < 16; l++) {
		code |= getbits(b, 1);
		if (b->bad)
			return -1;
		int count = h->count[l];
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first += count;
		first <<= 1;
		code <<= 1;
	}
	return -1;
}

static const short lbase[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const short lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const short dbase[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const short dext[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static int codes(bitrd *b, tm_strbuf *out, const huff *lc, const huff *dc, size_t max_out)
{
	for (;;) {
		int sym = decode(b, lc);
		if (sym < 0)
			return -1;
		if (sym < 256) {
			tm_strbuf_putc(out, (char)sym);
		} else if (sym == 256) {
			return 0;
		} else {
			sym -= 257;
			if (sym >= 29)
				return -1;
			int len = lbase[sym] + getbits(b, lext[sym]);
			int ds = decode(b, dc);
			if (ds < 0 || ds >= 30)
				return -1;
			size_t dist = (size_t)(dbase[ds] + getbits(b, dext[ds]));
			if (b->bad || dist > out->len)
				return -1;
			for (int i = 0; i < len; i++)
				tm_strbuf_putc(out, out->data[out->len - dist]);
		}
		if (out->oom || out->len > max_out)
			return -1;
	}
}

static int inflate_(const unsigned char *in, size_t len, tm_strbuf *out, size_t max_out, size_t *used)
{
	bitrd b = {in, len, 0, 0, 0, false};
	int last;
	do {
		last = getbits(&b, 1);
		int type = getbits(&b, 2);
		if (b.bad)
			return -1;
		if (type == 0) { /* stored */
			b.bits = 0;
			b.nbits = 0;
			if (b.pos + 4 > len)
				return -1;
			unsigned n = in[b.pos] | (unsigned)in[b.pos + 1] << 8;
			unsigned nn = in[b.pos + 2] | (unsigned)in[b.pos + 3] << 8;
			b.pos += 4;
			if ((n ^ 0xFFFF) != nn || b.pos + n > len)
				return -1;
			tm_strbuf_put(out, in + b.pos, n);
			b.pos += n;
		} else if (type == 1) { /* fixed codes */
			huff lc, dc;
			short l[288], d[30];
			for (int i = 0; i < 288; i++)
				l[i] = (short)(i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
			for (int i = 0; i < 30; i++)
				d[i] = 5;
			build(&lc, l, 288);
			build(&dc, d, 30);
			if (codes(&b, out, &lc, &dc, max_out) < 0)
				return -1;
		} else if (type == 2) { /* dynamic codes */
			int nlen = getbits(&b, 5) + 257, ndist = getbits(&b, 5) + 1, ncode = getbits(&b, 4) + 4;
			if (b.bad || nlen > 286 || ndist > 30)
				return -1;
			static const short order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
			short lengths[320] = {0};
			for (int i = 0; i < ncode; i++)
				lengths[order[i]] = (short)getbits(&b, 3);
			huff lencode, lc, dc;
			if (b.bad || build(&lencode, lengths, 19) < 0)
				return -1;
			int idx = 0;
			while (idx < nlen + ndist) {
				int sym = decode(&b, &lencode);
				if (sym < 0)
					return -1;
				if (sym < 16) {
					lengths[idx++] = (short)sym;
					continue;
				}
				short val = 0;
				int rep;
				if (sym == 16) {
					if (idx == 0)
						return -1;
					val = lengths[idx - 1];
					rep = 3 + getbits(&b, 2);
				} else if (sym == 17)
					rep = 3 + getbits(&b, 3);
				else
					rep = 11 + getbits(&b, 7);
				if (b.bad || idx + rep > nlen + ndist)
					return -1;
				while (rep--)
					lengths[idx++] = val;
			}
			if (lengths[256] == 0 || build(&lc, lengths, nlen) < 0 || build(&dc, lengths + nlen, ndist) < 0)
				return -1;
			if (codes(&b, out, &lc, &dc, max_out) < 0)
				return -1;
		} else
			return -1;
		if (out->oom || out->len > max_out)
			return -1;
	} while (!last);
	*used = b.pos;
	return 0;
}

/* gzip: header (FEXTRA, FNAME, FCOMMENT, FHCRC skipped), the deflate stream; members after the
 * first are read too. */
static int gunzip(const unsigned char *in, size_t len, tm_strbuf *out, size_t max_out)
{
	size_t pos = 0;
	bool any = false;
	while (pos + 18 <= len && in[pos] == 0x1F && in[pos + 1] == 0x8B) {
		if (in[pos + 2] != 8)
			return -1;
		unsigned flg = in[pos + 3];
		size_t p = pos + 10;
		if (flg & 4) {
			if (p + 2 > len)
				return -1;
			p += 2 + (in[p] | (size_t)in[p + 1] << 8);
		}
		for (unsigned f = 8; f <= 16; f <<= 1)
			if (flg & f) {
				while (p < len && in[p])
					p++;
				p++;
			}
		if (flg & 2)
			p += 2;
		if (p >= len)
			return -1;
		size_t used = 0;
		if (inflate_(in + p, len - p, out, max_out, &used) < 0)
			return -1;
		pos = p + used + 8; /* CRC32 and ISIZE */
		any = true;
	}
	return any ? 0 : -1;
}

/* ---- tar ---- */

static size_t octal(const unsigned char *p, size_t n)
{
	size_t v = 0;
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == 0))
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v > ((size_t)1 << 40))
			return (size_t)-1;
		v = v * 8 + (size_t)(p[i] - '0');
	}
	return v;
}

int tm_helm__untar_gz(tm_arena *a, const char *data, size_t len, size_t max_out, size_t max_files,
		      tm_helm_archive *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	tm_strbuf tar = TM_STRBUF_INIT;
	if (gunzip((const unsigned char *)data, len, &tar, max_out) < 0) {
		*why = tar.oom ? "out of memory" : tar.len > max_out ? "inflates past the size limit" : "not a gzip stream";
		tm_strbuf_dispose(&tar);
		return tar.oom ? TM_ENOMEM : TM_EINVALID;
	}
	const unsigned char *t = (const unsigned char *)tar.data;
	size_t pos = 0, cap = 0;
	char *longname = NULL;
	int rc = 0;
	while (pos + 512 <= tar.len) {
		const unsigned char *hd = t + pos;
		bool zero = true;
		for (int i = 0; i < 512 && zero; i++)
			zero = hd[i] == 0;
		if (zero)
			break;
		size_t size = octal(hd + 124, 12);
		char type = (char)hd[156];
		size_t body = pos + 512;
		if (size == (size_t)-1 || size > tar.len - body) {
			*why = "a tar entry runs past the end";
			rc = TM_EINVALID;
			break;
		}
		char name[512];
		int nl;
		if (longname)
			nl = tm_formatf(name, sizeof(name), "%s", longname);
		else if (memcmp(hd + 257, "ustar", 5) == 0 && hd[345])
			nl = tm_formatf(name, sizeof(name), "%.155s/%.100s", (const char *)hd + 345, (const char *)hd);
		else
			nl = tm_formatf(name, sizeof(name), "%.100s", (const char *)hd);
		longname = NULL;
		if (type == 'L' || type == 'x') { /* the next entry's name: GNU long name, pax "path=" */
			const char *b = (const char *)t + body;
			if (type == 'L')
				longname = tm_arena_strndup(a, b, size);
			else
				for (size_t i = 0; i < size;) { /* "len key=value\n" records */
					size_t rl = 0, j = i;
					while (j < size && b[j] >= '0' && b[j] <= '9')
						rl = rl * 10 + (size_t)(b[j++] - '0');
					if (!rl || i + rl > size)
						break;
					if (j + 6 <= i + rl && memcmp(b + j, " path=", 6) == 0)
						longname = tm_arena_strndup(a, b + j + 6, i + rl - (j + 6) - 1);
					i += rl;
				}
		} else if ((type == '0' || type == 0) && nl > 0 && (size_t)nl < sizeof(name)) {
			if (out->n >= max_files) {
				*why = "too many files";
				rc = TM_ELIMIT;
				break;
			}
			if (out->n == cap) {
				size_t nc = cap ? cap * 2 : 16;
				const char **np = tm_arena_alloc(a, nc * sizeof(*np));
				const char **nd = tm_arena_alloc(a, nc * sizeof(*nd));
				size_t *ns = tm_arena_alloc(a, nc * sizeof(*ns));
				if (!np || !nd || !ns) {
					rc = TM_ENOMEM;
					break;
				}
				if (out->n) {
					memcpy(np, out->paths, out->n * sizeof(*np));
					memcpy(nd, out->data, out->n * sizeof(*nd));
					memcpy(ns, out->lens, out->n * sizeof(*ns));
				}
				out->paths = np;
				out->data = nd;
				out->lens = ns;
				cap = nc;
			}
			const char *nm = name;
			while (nm[0] == '.' && nm[1] == '/')
				nm += 2;
			out->paths[out->n] = tm_arena_strdup(a, nm);
			out->data[out->n] = tm_arena_strndup(a, (const char *)t + body, size);
			out->lens[out->n] = size;
			if (!out->paths[out->n] || !out->data[out->n]) {
				rc = TM_ENOMEM;
				break;
			}
			out->n++;
		}
		pos = body + (size + 511) / 512 * 512;
	}
	tm_strbuf_dispose(&tar);
	return rc;
}
