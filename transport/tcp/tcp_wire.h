/* SPDX-License-Identifier: MIT */
/*
 * tcp_wire.h: the tcp provider's wire formats as pure functions over
 * buffers (no I/O, no allocation, no logging): the zcomm op message that
 * rides in SMB-Direct data transfer payloads, the handshake extensions
 * appended to the SMB-Direct negotiate messages, and the HMAC-SHA-256 used
 * to prove job membership. Includes libc only; the provider and the fuzzer
 * call it. Every byte is documented in doc/wire.md.
 */
#ifndef ZC_TCP_WIRE_H
#define ZC_TCP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zc_msg.h"

/* Each SMB-Direct message on the TCP stream is preceded by its length. */
#define ZC_TCP_PREFIX_SIZE 4u
#define ZC_TCP_NONCE_SIZE 32u
#define ZC_TCP_MAC_SIZE 32u
#define ZC_TCP_SECRET_SIZE 32u
#define ZC_TCP_MAGIC 0x5a435450u	/* "ZCTP" read as LE u32 "PTCZ" */
#define ZC_TCP_WIRE_VERSION 1u
#define ZC_TCP_HELLO_EXT_SIZE 48u
#define ZC_TCP_RESP_EXT_SIZE 80u

/* The zcomm extension after the negotiate request / response. */
struct zc_tcp_hello {
	uint32_t from, to;	/* ranks */
	unsigned char nonce[ZC_TCP_NONCE_SIZE];
};
struct zc_tcp_resp_ext {
	uint32_t from, to;
	unsigned char nonce[ZC_TCP_NONCE_SIZE];
	unsigned char mac[ZC_TCP_MAC_SIZE];
};

void zc_tcp_hello_encode(const struct zc_tcp_hello *h, void *buf);
int zc_tcp_hello_decode(const void *buf, size_t len, struct zc_tcp_hello *h);
void zc_tcp_resp_ext_encode(const struct zc_tcp_resp_ext *r, void *buf);
int zc_tcp_resp_ext_decode(const void *buf, size_t len,
			   struct zc_tcp_resp_ext *r);

/* HMAC-SHA-256 (RFC 2104), keys of any length: libsodium's, in
 * tcp_hmac.c (the one file of the tree that calls a crypto library).
 * zc_tcp_crypto_init (0 or -EIO) must have succeeded before any other. */
int zc_tcp_crypto_init(void);
void zc_tcp_hmac(const unsigned char *key, size_t klen, const void *msg,
		 size_t mlen, unsigned char out[32]);

/* The proofs of the handshake: role 'R' (responder) or 'I' (initiator),
 * over both nonces and both ranks, keyed by the job secret. */
void zc_tcp_auth_mac(const unsigned char secret[ZC_TCP_SECRET_SIZE],
		     char role, const unsigned char nonce_i[32],
		     const unsigned char nonce_r[32], uint32_t rank_i,
		     uint32_t rank_r, unsigned char out[32]);
/* Constant-time comparison of two MACs (sodium_memcmp), in tcp_hmac.c. */
bool zc_tcp_mac_equal(const unsigned char *a, const unsigned char *b);

#endif /* ZC_TCP_WIRE_H */
