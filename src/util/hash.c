/* hash.c - xxHash3 and a linear-probing map keyed by byte strings. */
#include <xxhash.h>

#include "util.h"

struct tm_hmap_slot {
	const char *key;
	size_t len;
	uint64_t hash;
	void *value;
};

uint64_t tm_hash(const void *data, size_t len)
{
	return XXH3_64bits(data, len);
}

void tm_hmap_dispose(tm_hmap *m)
{
	tm_free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}

static struct tm_hmap_slot *find(struct tm_hmap_slot *slots, size_t cap, const char *key, size_t len,
				uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	for (;;) {
		struct tm_hmap_slot *s = &slots[i];
		if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
			return s;
		i = (i + 1) & (cap - 1);
	}
}

void *tm_hmap_get(const tm_hmap *m, const char *key, size_t len)
{
	if (!m->cap)
		return NULL;
	struct tm_hmap_slot *s = find(m->slots, m->cap, key, len, tm_hash(key, len));
	return s->key ? s->value : NULL;
}

static int rehash(tm_hmap *m, size_t ncap)
{
	struct tm_hmap_slot *slots = tm_zalloc_written(ncap, sizeof(*slots));
	if (!slots)
		return TM_ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		struct tm_hmap_slot *o = &m->slots[i];
		if (o->key)
			*find(slots, ncap, o->key, o->len, o->hash) = *o;
	}
	tm_free(m->slots);
	m->slots = slots;
	m->cap = ncap;
	return 0;
}

int tm_hmap_reserve(tm_hmap *m, size_t n)
{
	size_t ncap = m->cap ? m->cap : 16;
	while (n * 4 > ncap * 3) { /* the load tm_hmap_put grows at */
		if (ncap > SIZE_MAX / 2 / sizeof(struct tm_hmap_slot) || n > SIZE_MAX / 4)
			return TM_ENOMEM;
		ncap *= 2;
	}
	return ncap > m->cap ? rehash(m, ncap) : 0;
}

int tm_hmap_put(tm_hmap *m, const char *key, size_t len, void *value)
{
	if ((m->count + 1) * 4 > m->cap * 3) {
		size_t ncap = m->cap ? m->cap * 2 : 16;
		if (ncap < m->cap || rehash(m, ncap))
			return TM_ENOMEM;
	}
	uint64_t h = tm_hash(key, len);
	struct tm_hmap_slot *s = find(m->slots, m->cap, key, len, h);
	if (!s->key) {
		s->key = key;
		s->len = len;
		s->hash = h;
		m->count++;
	}
	s->value = value;
	return 0;
}

void tm_pset_dispose(tm_pset *s)
{
	tm_free(s->slots);
	s->slots = NULL;
	s->cap = s->count = 0;
}

static size_t pslot(const uintptr_t *slots, size_t cap, uintptr_t k)
{
	size_t i = (size_t)((k >> 4) * 0x9E3779B97F4A7C15ull) & (cap - 1);
	while (slots[i] && slots[i] != k)
		i = (i + 1) & (cap - 1);
	return i;
}

int tm_pset_add(tm_pset *s, const void *p)
{
	uintptr_t k = (uintptr_t)p;
	if (!k)
		return 0;
	if ((s->count + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		uintptr_t *slots = tm_zalloc_written(ncap, sizeof(uintptr_t));
		if (!slots)
			return TM_ENOMEM;
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i])
				slots[pslot(slots, ncap, s->slots[i])] = s->slots[i];
		tm_free(s->slots);
		s->slots = slots;
		s->cap = ncap;
	}
	size_t i = pslot(s->slots, s->cap, k);
	if (s->slots[i])
		return 0;
	s->slots[i] = k;
	s->count++;
	return 1;
}

bool tm_pset_has(const tm_pset *s, const void *p)
{
	uintptr_t k = (uintptr_t)p;
	return k && s->cap && s->slots[pslot(s->slots, s->cap, k)] == k;
}
