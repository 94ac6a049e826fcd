/* SPDX-License-Identifier: MIT */
/* The op message codec: every op round-trips; every rule the target
 * relies on is enforced (sizes, ranges past the heap, wrap-around,
 * alignment, unknown ops and flags); the handshake extensions and the
 * HMAC-SHA-256 match RFC 4231 test case 2. */
#include <errno.h>
#include <string.h>

#include "t_helpers.h"
#include "tcp_wire.h"

#define HEAP 4096u

static int dec(const struct zc_msg_hdr *h, uint64_t payload)
{
	unsigned char b[ZC_MSG_HDR_SIZE];
	struct zc_msg_hdr out;
	const char *why;

	zc_msg_hdr_encode(h, b);
	return zc_msg_hdr_decode(b, sizeof(b), ZC_MSG_HDR_SIZE + payload,
				   HEAP, &out, &why);
}

int main(void)
{
	struct zc_msg_hdr h = { .op = ZC_MSG_PUT, .seq = 7, .ack = 3,
				  .off = 100, .len = 200, .value = 1, .cmp = 2 };
	unsigned char b[ZC_MSG_HDR_SIZE], mac[32];
	struct zc_msg_hdr o;
	const char *why;
	/* RFC 4231, test case 2 */
	static const unsigned char want[32] = {
		0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04,
		0x24, 0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08,
		0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec,
		0x38, 0x43 };

	zc_msg_hdr_encode(&h, b);
	T_ASSERT(!zc_msg_hdr_decode(b, sizeof(b), ZC_MSG_HDR_SIZE + 200,
				      HEAP, &o, &why), "valid put: %s", why);
	T_ASSERT(!memcmp(&o, &h, sizeof(h)), "put header round trip");
	T_ASSERT(b[0] == 1 && b[8] == 7 && b[16] == 3 && b[24] == 100 &&
		 b[32] == 200, "little-endian layout of doc/wire.md");
	T_ASSERT(dec(&h, 199) == -EPROTO, "payload shorter than len");
	h.off = HEAP - 199;
	T_ASSERT(dec(&h, 200) == -ERANGE, "put past the heap end");
	h.off = UINT64_MAX - 10;
	T_ASSERT(dec(&h, 200) == -ERANGE, "offset wrap-around");
	h = (struct zc_msg_hdr){ .op = ZC_MSG_GET, .off = 0, .len = HEAP };
	T_ASSERT(!dec(&h, 0), "valid op %u", h.op);
	h.len = HEAP + 1;
	T_ASSERT(dec(&h, 0) == -ERANGE, "get past the heap end");
	h = (struct zc_msg_hdr){ .op = ZC_MSG_AMO, .width = 8, .amo = 4,
				   .off = 8 };
	T_ASSERT(!dec(&h, 0), "valid op %u", h.op);
	h.off = 4;
	T_ASSERT(dec(&h, 0) == -ERANGE, "misaligned atomic");
	h.off = 8;
	h.width = 2;
	T_ASSERT(dec(&h, 0) == -EPROTO, "atomic width 2");
	h.width = 4;
	h.amo = 8;
	T_ASSERT(dec(&h, 0) == -EPROTO, "unknown atomic op");
	h = (struct zc_msg_hdr){ .op = 9 };
	T_ASSERT(dec(&h, 0) == -EPROTO, "unknown op");
	h = (struct zc_msg_hdr){ .op = ZC_MSG_ACK, .flags = 1 };
	T_ASSERT(dec(&h, 0) == -EPROTO, "flags on an ack");
	h = (struct zc_msg_hdr){ .op = ZC_MSG_ACK, .reserved = 1 };
	T_ASSERT(dec(&h, 0) == -EPROTO, "reserved bits");
	h = (struct zc_msg_hdr){ .op = ZC_MSG_AUTH };
	T_ASSERT(!dec(&h, ZC_TCP_MAC_SIZE), "valid auth");
	T_ASSERT(dec(&h, 0) == -EPROTO, "auth without its MAC");
	T_ASSERT(zc_msg_hdr_decode(b, 55, 56, HEAP, &o, &why) == -EBADMSG,
		 "truncated header");

	zc_tcp_hmac((const unsigned char *)"Jefe", 4,
		    "what do ya want for nothing?", 28, mac);
	T_ASSERT(!memcmp(mac, want, 32), "HMAC-SHA-256 (RFC 4231 case 2)");
	{
		unsigned char s[32] = { 1 }, n1[32] = { 2 }, n2[32] = { 3 };
		unsigned char r[32], i[32];

		zc_tcp_auth_mac(s, 'R', n1, n2, 0, 1, r);
		zc_tcp_auth_mac(s, 'I', n1, n2, 0, 1, i);
		T_ASSERT(!zc_tcp_mac_equal(r, i), "roles give different MACs");
		zc_tcp_auth_mac(s, 'R', n1, n2, 1, 0, i);
		T_ASSERT(!zc_tcp_mac_equal(r, i), "ranks are bound in the MAC");
	}
	printf("tcp_wire_codec: ok\n");
	return 0;
}
