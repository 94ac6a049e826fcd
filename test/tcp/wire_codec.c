/* SPDX-License-Identifier: MIT */
/* The op message codec: every op round-trips; every rule the target
 * relies on is enforced (sizes, ranges past the heap, wrap-around,
 * alignment, unknown ops and flags); the handshake extensions; and the
 * HMAC-SHA-256 (libsodium's, behind zc_tcp_hmac) matches RFC 4231. */
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

/* RFC 4231 sections 4.2-4.8 (HMAC-SHA-256; case 5 is a truncation, not
 * used here): short and long keys (131 bytes: hashed first), short and
 * long messages. */
static void unhex(const char *h, unsigned char *out)
{
	for (size_t i = 0; h[2 * i]; i++)
		sscanf(h + 2 * i, "%2hhx", &out[i]);
}

static void hmac_vectors(void)
{
	static const struct {
		unsigned char kbyte;	/* key: klen times kbyte, or 1..klen */
		size_t klen;
		const char *msg;	/* text, or mlen times mbyte */
		unsigned char mbyte;
		size_t mlen;
		const char *mac;
	} v[] = {
		{ 0x0b, 20, "Hi There", 0, 0,
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ 0, 0, "what do ya want for nothing?", 0, 0,
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
		{ 0xaa, 20, NULL, 0xdd, 50,
		  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
		{ 0x01, 25, NULL, 0xcd, 50,
		  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
		{ 0xaa, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
		{ 0xaa, 131, "This is a test using a larger than block-size key and "
		  "a larger than block-size data. The key needs to be hashed "
		  "before being used by the HMAC algorithm.", 0, 0,
		  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
	};

	T_ASSERT(!zc_tcp_crypto_init(), "libsodium initialises");
	for (size_t c = 0; c < sizeof(v) / sizeof(v[0]); c++) {
		unsigned char key[131], msg[64], want[32], mac[32];
		const unsigned char *k = key, *m = msg;
		size_t klen = v[c].klen, mlen = v[c].mlen;

		if (v[c].kbyte == 0x01) {
			for (size_t i = 0; i < klen; i++)
				key[i] = (unsigned char)(i + 1);
		} else if (klen) {
			memset(key, v[c].kbyte, klen);
		} else {
			k = (const unsigned char *)"Jefe";
			klen = 4;
		}
		if (v[c].msg) {
			m = (const unsigned char *)v[c].msg;
			mlen = strlen(v[c].msg);
		} else {
			memset(msg, v[c].mbyte, mlen);
		}
		unhex(v[c].mac, want);
		memset(mac, 0, sizeof(mac));
		zc_tcp_hmac(k, klen, m, mlen, mac);
		T_ASSERT(!memcmp(mac, want, 32), "HMAC-SHA-256, RFC 4231 vector %zu",
			 c + 1);
		T_ASSERT(zc_tcp_mac_equal(mac, want), "equal MACs compare equal");
		for (unsigned i = 0; i < 32; i += 31) {
			mac[i] ^= 0x80;
			T_ASSERT(!zc_tcp_mac_equal(mac, want),
				 "MACs differing in byte %u compare equal", i);
			mac[i] ^= 0x80;
		}
	}
}

int main(void)
{
	struct zc_msg_hdr h = { .op = ZC_MSG_PUT, .seq = 7, .ack = 3,
				  .off = 100, .len = 200, .value = 1, .cmp = 2 };
	unsigned char b[ZC_MSG_HDR_SIZE];
	struct zc_msg_hdr o;
	const char *why;

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

	hmac_vectors();
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
