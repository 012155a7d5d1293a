/*
 * hmac.c - HMAC-SHA-256, from RFC 2104 over util's SHA-256 (it reproduces RFC 4231's test cases 1,
 * 2, 6 and 7, short and longer-than-a-block keys and messages).
 */
#include <stdint.h>
#include <string.h>

#include "hmac.h"
#include "util/util.h"

void tm_serve__hmac_sha256(unsigned char out[TM_HMAC_LEN], const void *key, size_t key_len,
                           const void *msg, size_t msg_len)
{
	unsigned char k[64] = {0}, pad[64], inner[32];
	tm_sha256 s;
	if (key_len > 64) {
		tm_sha256_init(&s);
		tm_sha256_update(&s, key, key_len);
		tm_sha256_final(&s, k);
	} else if (key_len) {
		memcpy(k, key, key_len);
	}
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	tm_sha256_init(&s);
	tm_sha256_update(&s, pad, 64);
	tm_sha256_update(&s, msg, msg_len);
	tm_sha256_final(&s, inner);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	tm_sha256_init(&s);
	tm_sha256_update(&s, pad, 64);
	tm_sha256_update(&s, inner, sizeof(inner));
	tm_sha256_final(&s, out);
}
