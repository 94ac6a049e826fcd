/* SPDX-License-Identifier: MIT */
/* HMAC-SHA-256 and the constant-time MAC comparison of the handshake, from
 * libsodium (doc/tcp.md says why that library): no cryptography of our own. */
#include <errno.h>

#include <sodium.h>

#include "tcp_wire.h"

int zc_tcp_crypto_init(void)
{
	/* Required before any other libsodium call; idempotent and
	 * thread-safe (1: done before). */
	return sodium_init() < 0 ? -EIO : 0;
}

void zc_tcp_hmac(const unsigned char *key, size_t klen, const void *msg,
		 size_t mlen, unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;

	/* The init/update/final form takes keys of any length (the one-shot
	 * crypto_auth_hmacsha256 wants exactly 32 bytes). */
	crypto_auth_hmacsha256_init(&st, key, klen);
	crypto_auth_hmacsha256_update(&st, msg, mlen);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

bool zc_tcp_mac_equal(const unsigned char *a, const unsigned char *b)
{
	return sodium_memcmp(a, b, ZC_TCP_MAC_SIZE) == 0;
}
