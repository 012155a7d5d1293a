/*
 * serve/hmac.h - HMAC-SHA-256 (RFC 2104, FIPS 180-4), for serve's stateless CSRF tokens (internal).
 * No library in the build offers one, and a token needs nothing else: 60 lines beat a dependency.
 */
#ifndef TM_SERVE_HMAC_H
#define TM_SERVE_HMAC_H

#include <stddef.h>

#define TM_HMAC_LEN 32

/* out: the 32-byte MAC of msg under key (any lengths). */
void tm_serve__hmac_sha256(unsigned char out[TM_HMAC_LEN], const void *key, size_t key_len,
                           const void *msg, size_t msg_len);

#endif
