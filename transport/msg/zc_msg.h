/* SPDX-License-Identifier: MIT */
/*
 * Lives here: zcomm's op messages, the requests and responses that ride in
 * SMB-Direct data transfer payloads on every network provider (tcp, verbs),
 * as pure functions over buffers, and the target side of an atomic.
 * May include: the C library, zc_provider.h. Called by: providers, fuzzers.
 * Every byte is documented in doc/wire.md ("Op header").
 */
#ifndef ZC_MSG_H
#define ZC_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZC_MSG_HDR_SIZE 56u
#define ZC_MSG_AUTH_SIZE 32u	/* tcp's AUTH payload: a MAC */

enum zc_msg_opcode {
	ZC_MSG_PUT = 1,	/* payload: len bytes for the target's off */
	ZC_MSG_GET = 2,	/* asks for len bytes at off */
	ZC_MSG_GET_RESP = 3,	/* payload: the bytes of GET seq */
	ZC_MSG_AMO = 4,	/* atomic at off */
	ZC_MSG_AMO_RESP = 5,	/* value: the old value of AMO seq */
	ZC_MSG_ACK = 6,	/* only the ack field (and credits) */
	ZC_MSG_AUTH = 7,	/* payload: the initiator's 32-byte MAC */
	ZC_MSG_BYE = 8,	/* sender is closing cleanly */
	/* payload: len bytes for off, then the 8-byte atomic amo (SET or
	 * ADD) of value at the signal's offset cmp, seen after the data */
	ZC_MSG_PUT_SIGNAL = 9,
	ZC_MSG_LAST
};

/* The atomics a PUT_SIGNAL may carry (their enum zc_amo_op values). */
#define ZC_MSG_SIG_SET 1u
#define ZC_MSG_SIG_ADD 4u

/* AMO flags: the initiator wants the old value back. */
#define ZC_MSG_F_FETCH 0x01u

struct zc_msg_hdr {
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

void zc_msg_hdr_encode(const struct zc_msg_hdr *h, void *buf);

/*
 * Decodes an op header and checks it against the whole op message size
 * (msg_len = header + payload) and the target's heap: returns 0, or
 * -EBADMSG (short), -EPROTO (unknown op, nonzero reserved bits, bad width,
 * flags or atomic op, payload size that does not match the op),
 * -ERANGE (offset + length past heap_size, or a misaligned atomic).
 * *why_p names the rule broken, for the log.
 */
int zc_msg_hdr_decode(const void *buf, size_t len, uint64_t msg_len,
			uint64_t heap_size, struct zc_msg_hdr *h,
			const char **why_p);

/* Bytes of payload after the header that op carries. */
static inline uint64_t zc_msg_payload(const struct zc_msg_hdr *h)
{
	switch (h->op) {
	case ZC_MSG_PUT:
	case ZC_MSG_PUT_SIGNAL:
	case ZC_MSG_GET_RESP:
		return h->len;
	case ZC_MSG_AUTH:
		return ZC_MSG_AUTH_SIZE;
	default:
		return 0;
	}
}

/*
 * The target side of an atomic request (already decoded, so in range and
 * aligned): executed as a CPU atomic on heap + h->off, so that it is
 * atomic with the shm peers' atomics and every provider's on the same
 * location (one execution agent per location). Returns the old value.
 */
uint64_t zc_msg_amo_apply(char *heap, const struct zc_msg_hdr *h);

/* The signal of a PUT_SIGNAL whose payload is in place: the atomic at
 * heap + h->cmp, ordered after the data (a CPU atomic, as above). */
void zc_msg_signal_apply(char *heap, const struct zc_msg_hdr *h);

#endif /* ZC_MSG_H */
