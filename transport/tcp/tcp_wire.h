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

/* Each SMB-Direct message on the TCP stream is preceded by its length. */
#define ZC_TCP_PREFIX_SIZE 4u
#define ZC_TCP_OPHDR_SIZE 56u
#define ZC_TCP_NONCE_SIZE 32u
#define ZC_TCP_MAC_SIZE 32u
#define ZC_TCP_SECRET_SIZE 32u
#define ZC_TCP_MAGIC 0x5a435450u	/* "ZCTP" read as LE u32 "PTCZ" */
#define ZC_TCP_WIRE_VERSION 1u
#define ZC_TCP_HELLO_EXT_SIZE 48u
#define ZC_TCP_RESP_EXT_SIZE 80u

enum zc_tcp_opcode {
	ZC_TCP_OP_PUT = 1,	/* payload: len bytes for the target's off */
	ZC_TCP_OP_GET = 2,	/* asks for len bytes at off */
	ZC_TCP_OP_GET_RESP = 3,	/* payload: the bytes of GET seq */
	ZC_TCP_OP_AMO = 4,	/* atomic at off */
	ZC_TCP_OP_AMO_RESP = 5,	/* value: the old value of AMO seq */
	ZC_TCP_OP_ACK = 6,	/* only the ack field (and credits) */
	ZC_TCP_OP_AUTH = 7,	/* payload: the initiator's 32-byte MAC */
	ZC_TCP_OP_BYE = 8,	/* sender is closing cleanly */
	ZC_TCP_OP_LAST
};

/* AMO flags: the initiator wants the old value back. */
#define ZC_TCP_F_FETCH 0x01u

struct zc_tcp_ophdr {
	uint8_t op;
	uint8_t flags;
	uint8_t width;		/* AMO: 4 or 8 */
	uint8_t amo;		/* AMO: enum zc_amo_op */
	uint32_t reserved;	/* 0 */
	uint64_t seq;		/* request: its number; response: the asked */
	uint64_t ack;		/* highest request of the receiver processed */
	uint64_t off;		/* target heap offset */
	uint64_t len;		/* payload bytes (PUT, GET_RESP), wanted (GET) */
	uint64_t value;		/* AMO operand; AMO_RESP old value */
	uint64_t cmp;		/* AMO compare value */
};

void zc_tcp_ophdr_encode(const struct zc_tcp_ophdr *h, void *buf);

/*
 * Decodes an op header and checks it against the whole op message size
 * (msg_len = header + payload) and the target's heap: returns 0, or
 * -EBADMSG (short), -EPROTO (unknown op, nonzero reserved bits, bad width,
 * flags or atomic op, payload size that does not match the op),
 * -ERANGE (offset + length past heap_size, or a misaligned atomic).
 * *why_p names the rule broken, for the log.
 */
int zc_tcp_ophdr_decode(const void *buf, size_t len, uint64_t msg_len,
			uint64_t heap_size, struct zc_tcp_ophdr *h,
			const char **why_p);

/* Bytes of payload after the header that op carries. */
static inline uint64_t zc_tcp_op_payload(const struct zc_tcp_ophdr *h)
{
	switch (h->op) {
	case ZC_TCP_OP_PUT:
	case ZC_TCP_OP_GET_RESP:
		return h->len;
	case ZC_TCP_OP_AUTH:
		return ZC_TCP_MAC_SIZE;
	default:
		return 0;
	}
}

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
