/* SPDX-License-Identifier: MIT */
/* Data transfer message: exact byte images, padding, every truncation,
 * every offset/length rule with its documented error code, round trips. */
#include <errno.h>

#include "smbd.h"
#include "t_smbd.h"

#define MAX_RECV 1364u
#define MAX_FRAG 1048576u

/* Header (24 bytes incl. padding) + "hello". */
static const uint8_t msg_hello[29] = {
	0x0a, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00,
	0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	'h', 'e', 'l', 'l', 'o',
};

static const uint8_t msg_empty[20] = {
	0x34, 0x12, 0x78, 0x56, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const uint8_t hdr_off32[32] = {
	0x02, 0x01, 0x04, 0x03, 0x00, 0x00, 0x00, 0x00,
	0x0d, 0x0c, 0x0b, 0x0a, 0x20, 0x00, 0x00, 0x00,
	0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

/* Decodes a len-byte message built from a 20-byte header image with the
 * given DataOffset/DataLength/RemainingDataLength, in an exact heap copy. */
static int decode_with(uint32_t off, uint32_t dlen, uint32_t rem, size_t len,
		       uint32_t max_recv, uint32_t max_frag)
{
	uint8_t *b = calloc(1, len < 20 ? 20 : len);
	struct zc_smbd_data_hdr h;
	const uint8_t *pl;
	int rc;

	if (!b)
		exit(1);
	put16(b + 0, 1);
	put32(b + 8, rem);
	put32(b + 12, off);
	put32(b + 16, dlen);
	rc = zc_smbd_data_decode(b, len, max_recv, max_frag, &h, &pl);
	free(b);
	return rc;
}

static void test_encode(void)
{
	struct zc_smbd_data_hdr h = {
		.credits_requested = 10, .credits_granted = 3,
		.flags = ZC_SMBD_FLAG_RESPONSE_REQUESTED,
		.remaining_data_length = 0x10000, .data_offset = 24,
		.data_length = 5,
	};
	uint8_t buf[64];

	memset(buf, 0xff, sizeof(buf));
	T_EQ(zc_smbd_data_encode(&h, buf, sizeof(buf)), 24);
	T_BYTES(buf, msg_hello, 24);
	T_EQ(buf[24], 0xff); /* payload area untouched */

	h = (struct zc_smbd_data_hdr){ .credits_requested = 0x1234,
				       .credits_granted = 0x5678,
				       .flags = 1 };
	memset(buf, 0xff, sizeof(buf));
	T_EQ(zc_smbd_data_encode(&h, buf, 20), 20);
	T_BYTES(buf, msg_empty, 20);
	T_EQ(buf[20], 0xff);

	h = (struct zc_smbd_data_hdr){ .credits_requested = 0x0102,
				       .credits_granted = 0x0304,
				       .remaining_data_length = 0x0a0b0c0d,
				       .data_offset = 32, .data_length = 0x11 };
	memset(buf, 0xff, sizeof(buf));
	T_EQ(zc_smbd_data_encode(&h, buf, 32), 32);
	T_BYTES(buf, hdr_off32, 32); /* 12 bytes of zero padding */
	T_EQ(zc_smbd_data_encode(&h, buf, 31), -ENOBUFS);

	/* Refusals: each would be rejected by a receiver. */
	struct zc_smbd_data_hdr ok = { .credits_requested = 1,
				       .data_offset = 24, .data_length = 1 };
	T_EQ(zc_smbd_data_encode(&ok, buf, 24), 24);
	h = ok;
	h.credits_requested = 0;
	T_EQ(zc_smbd_data_encode(&h, buf, 64), -EINVAL);
	for (uint32_t off = 0; off < 24; off++) {
		h = ok;
		h.data_offset = off;
		T_EQ(zc_smbd_data_encode(&h, buf, 64), -EINVAL);
	}
	for (uint32_t off = 25; off < 32; off++) {
		h = ok;
		h.data_offset = off;
		T_EQ(zc_smbd_data_encode(&h, buf, 64), -EINVAL);
	}
	h = ok;
	h.data_length = 0; /* offset must then be 0 */
	T_EQ(zc_smbd_data_encode(&h, buf, 64), -EINVAL);
	h.data_offset = 0;
	h.remaining_data_length = 7; /* "more to come" without data */
	T_EQ(zc_smbd_data_encode(&h, buf, 64), -EINVAL);
	h = ok;
	h.flags = 0x0002;
	T_EQ(zc_smbd_data_encode(&h, buf, 64), -EINVAL);
	T_EQ(zc_smbd_data_encode(NULL, buf, 64), -EINVAL);
	h = ok;
	h.data_length = 0;
	h.data_offset = 0;
	T_EQ(zc_smbd_data_encode(&h, buf, 19), -ENOBUFS);
}

static void test_decode(void)
{
	struct zc_smbd_data_hdr h;
	const uint8_t *pl;
	uint8_t *m;

	m = t_dup(msg_hello, sizeof(msg_hello));
	T_EQ(zc_smbd_data_decode(m, 29, MAX_RECV, MAX_FRAG, &h, &pl), 0);
	T_EQ(h.credits_requested, 10);
	T_EQ(h.credits_granted, 3);
	T_EQ(h.flags, 1);
	T_EQ(h.remaining_data_length, 0x10000);
	T_EQ(h.data_offset, 24);
	T_EQ(h.data_length, 5);
	T_CHECK(pl == m + 24);
	T_BYTES(pl, "hello", 5);
	free(m);

	m = t_dup(msg_empty, 20);
	T_EQ(zc_smbd_data_decode(m, 20, MAX_RECV, MAX_FRAG, &h, &pl), 0);
	T_EQ(h.credits_requested, 0x1234);
	T_EQ(h.credits_granted, 0x5678);
	T_EQ(h.data_length, 0);
	T_CHECK(pl == NULL);
	free(m);

	/* Truncated header: every length below 20. */
	for (size_t n = 0; n < 20; n++) {
		m = t_dup(msg_hello, n);
		T_EQ(zc_smbd_data_decode(m, n, MAX_RECV, MAX_FRAG, &h, &pl),
		     -EBADMSG);
		free(m);
	}
	/* Truncated payload: every length from 20 to 28. */
	for (size_t n = 20; n < 29; n++) {
		m = t_dup(msg_hello, n);
		T_EQ(zc_smbd_data_decode(m, n, MAX_RECV, MAX_FRAG, &h, &pl),
		     -EOVERFLOW);
		free(m);
	}
	/* Trailing bytes after the payload are allowed. */
	T_EQ(decode_with(24, 5, 0, 40, MAX_RECV, MAX_FRAG), 0);

	/* Larger than our receive size. */
	T_EQ(decode_with(24, 5, 0, MAX_RECV + 1, MAX_RECV, MAX_FRAG),
	     -EMSGSIZE);
	T_EQ(decode_with(24, 5, 0, MAX_RECV, MAX_RECV, MAX_FRAG), 0);

	/* CreditsRequested 0. */
	m = t_dup(msg_hello, 29);
	put16(m, 0);
	T_EQ(zc_smbd_data_decode(m, 29, MAX_RECV, MAX_FRAG, &h, &pl), -EPROTO);
	free(m);

	/* Offsets: unaligned, inside the header, nonzero without data. */
	for (uint32_t off = 0; off < 24; off++)
		T_EQ(decode_with(off, 1, 0, 64, MAX_RECV, MAX_FRAG), -EPROTO);
	for (uint32_t off = 25; off < 32; off++)
		T_EQ(decode_with(off, 1, 0, 64, MAX_RECV, MAX_FRAG), -EPROTO);
	T_EQ(decode_with(32, 1, 0, 64, MAX_RECV, MAX_FRAG), 0);
	T_EQ(decode_with(24, 0, 0, 64, MAX_RECV, MAX_FRAG), -EPROTO);
	T_EQ(decode_with(0, 0, 0, 64, MAX_RECV, MAX_FRAG), 0);

	/* Outside the message, including sums that wrap at 32 bits. */
	T_EQ(decode_with(64, 1, 0, 40, MAX_RECV, MAX_FRAG), -EOVERFLOW);
	T_EQ(decode_with(40, 1, 0, 40, MAX_RECV, MAX_FRAG), -EOVERFLOW);
	T_EQ(decode_with(32, 8, 0, 40, MAX_RECV, MAX_FRAG), 0);
	T_EQ(decode_with(32, 9, 0, 40, MAX_RECV, MAX_FRAG), -EOVERFLOW);
	T_EQ(decode_with(0xfffffff8u, 0x10, 0, 64, UINT32_MAX, UINT32_MAX),
	     -EOVERFLOW);
	T_EQ(decode_with(24, 0xffffffffu, 0, 64, UINT32_MAX, UINT32_MAX),
	     -EOVERFLOW);

	/* Whole message above MaxFragmentedSize, including a wrapping sum. */
	T_EQ(decode_with(24, 8, MAX_FRAG - 8, 32, MAX_RECV, MAX_FRAG), 0);
	T_EQ(decode_with(24, 8, MAX_FRAG - 7, 32, MAX_RECV, MAX_FRAG),
	     -EMSGSIZE);
	T_EQ(decode_with(24, 8, 0xfffffffcu, 32, MAX_RECV, MAX_FRAG),
	     -EMSGSIZE);

	/* Reserved is ignored and unknown flags are passed up as is. */
	m = t_dup(msg_hello, 29);
	put16(m + 6, 0xabcd);
	put16(m + 4, 0x8001);
	T_EQ(zc_smbd_data_decode(m, 29, MAX_RECV, MAX_FRAG, &h, &pl), 0);
	T_EQ(h.flags, 0x8001);
	free(m);

	T_EQ(zc_smbd_data_decode(NULL, 29, MAX_RECV, MAX_FRAG, &h, &pl),
	     -EINVAL);
}

static void test_round_trip(void)
{
	uint64_t seed = 0x5eed;

	for (int i = 0; i < 10000; i++) {
		uint8_t buf[256], pay[200];
		struct zc_smbd_data_hdr h = { 0 }, d;
		const uint8_t *pl;
		uint64_t r = t_rand(&seed);
		int n;

		h.credits_requested = (uint16_t)(r | 1);
		h.credits_granted = (uint16_t)(r >> 16);
		h.flags = (r >> 32) & 1;
		h.data_length = (uint32_t)((r >> 33) % 100);
		if (h.data_length) {
			h.data_offset = 24 + 8 * (uint32_t)((r >> 40) % 4);
			h.remaining_data_length = (uint32_t)(r >> 44);
		}
		n = zc_smbd_data_encode(&h, buf, sizeof(buf));
		T_EQ(n, h.data_length ? h.data_offset : 20);
		if (n < 0)
			continue;
		for (uint32_t k = 0; k < h.data_length; k++)
			pay[k] = (uint8_t)(t_rand(&seed));
		memcpy(buf + n, pay, h.data_length);
		T_EQ(zc_smbd_data_decode(buf, (size_t)n + h.data_length, 256,
					 UINT32_MAX, &d, &pl), 0);
		T_EQ(d.credits_requested, h.credits_requested);
		T_EQ(d.credits_granted, h.credits_granted);
		T_EQ(d.flags, h.flags);
		T_EQ(d.remaining_data_length, h.remaining_data_length);
		T_EQ(d.data_offset, h.data_offset);
		T_EQ(d.data_length, h.data_length);
		if (h.data_length)
			T_BYTES(pl, pay, h.data_length);
	}
}

int main(void)
{
	test_encode();
	test_decode();
	test_round_trip();
	return t_result("smbd_data_transfer");
}
