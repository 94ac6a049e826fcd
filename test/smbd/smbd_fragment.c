/* SPDX-License-Identifier: MIT */
/* Fragmentation and reassembly: a 1 MiB message through the full wire path
 * (encode, exact-size receive buffer, decode, reassemble) at several send
 * sizes, byte-exact; fragment boundaries; every malformed sequence. */
#include <errno.h>

#include "smbd.h"
#include "t_smbd.h"

#define MIB (1024u * 1024u)

/* Sends msg through fragmentation and the wire codec, reassembles it into
 * an exactly sized heap buffer and compares. Returns fragments used. */
static size_t send_and_reassemble(const uint8_t *msg, size_t len,
				  uint32_t max_send)
{
	struct zc_smbd_frag_iter it;
	struct zc_smbd_reasm r;
	struct zc_smbd_data_hdr h = { .credits_requested = 1 };
	uint8_t *out = NULL;
	size_t frags = 0, off, expect_off = 0;
	int rc = 0;

	T_EQ(zc_smbd_frag_init(&it, len, max_send, (uint32_t)len), 0);
	T_EQ(zc_smbd_reasm_init(&r, (uint32_t)len), 0);
	while ((rc = zc_smbd_frag_next(&it, &h, &off)) == 1) {
		struct zc_smbd_data_hdr d;
		const uint8_t *pl;
		uint8_t *wire;
		size_t wlen;
		int n;

		T_EQ(off, expect_off);
		T_EQ(h.data_offset, ZC_SMBD_DATA_OFFSET);
		T_EQ(h.remaining_data_length, len - off - h.data_length);
		wlen = ZC_SMBD_DATA_OFFSET + h.data_length;
		T_CHECK(wlen <= max_send);
		/* Every fragment but the last fills the message completely. */
		if (h.remaining_data_length)
			T_EQ(wlen, max_send);
		wire = malloc(wlen);
		if (!wire)
			exit(1);
		n = zc_smbd_data_encode(&h, wire, wlen);
		T_EQ(n, ZC_SMBD_DATA_OFFSET);
		memcpy(wire + ZC_SMBD_DATA_OFFSET, msg + off, h.data_length);
		T_EQ(zc_smbd_data_decode(wire, wlen, max_send, (uint32_t)len,
					 &d, &pl), 0);
		if (zc_smbd_reasm_idle(&r)) {
			uint64_t total = zc_smbd_data_msg_size(&d);

			T_EQ(total, len);
			out = malloc(total);
			if (!out)
				exit(1);
			T_EQ(zc_smbd_reasm_start(&r, &d, out, total), 0);
		}
		rc = zc_smbd_reasm_push(&r, &d, pl);
		T_EQ(rc, d.remaining_data_length ? ZC_SMBD_REASM_MORE
						 : ZC_SMBD_REASM_DONE);
		free(wire);
		expect_off += h.data_length;
		frags++;
	}
	T_EQ(rc, 0);
	T_EQ(expect_off, len);
	T_CHECK(zc_smbd_reasm_idle(&r));
	T_CHECK(out && memcmp(out, msg, len) == 0);
	/* The iterator stays exhausted. */
	T_EQ(zc_smbd_frag_next(&it, &h, &off), 0);
	free(out);
	return frags;
}

static void test_big(void)
{
	static const uint32_t sizes[] = { 128, 129, 1364, 4096, 8192, 65536,
					  MIB / 3, MIB + 24, UINT32_MAX };
	uint8_t *msg = malloc(MIB);
	uint64_t seed = 0xf00d;

	if (!msg)
		exit(1);
	for (size_t i = 0; i < MIB; i++)
		msg[i] = (uint8_t)t_rand(&seed);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t per = sizes[i] - ZC_SMBD_DATA_OFFSET;
		size_t want = (MIB + per - 1) / per;

		T_EQ(send_and_reassemble(msg, MIB, sizes[i]), want);
	}
	free(msg);
}

static void test_edges(void)
{
	uint8_t msg[300];
	struct zc_smbd_frag_iter it;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 1);
	/* Exactly one full fragment, one byte more, one byte. */
	T_EQ(send_and_reassemble(msg, 104, 128), 1);
	T_EQ(send_and_reassemble(msg, 105, 128), 2);
	T_EQ(send_and_reassemble(msg, 1, 128), 1);
	T_EQ(send_and_reassemble(msg, 300, 128), 3);

	T_EQ(zc_smbd_frag_init(&it, 0, 1024, MIB), -EINVAL);
	T_EQ(zc_smbd_frag_init(&it, 10, 127, MIB), -EINVAL);
	T_EQ(zc_smbd_frag_init(&it, MIB + 1, 1024, MIB), -EMSGSIZE);
	T_EQ(zc_smbd_frag_init(&it, MIB, 1024, MIB), 0);
}

static struct zc_smbd_data_hdr frag(uint32_t dlen, uint32_t rem)
{
	return (struct zc_smbd_data_hdr){ .credits_requested = 1,
					  .data_offset = dlen ? 24 : 0,
					  .data_length = dlen,
					  .remaining_data_length = rem };
}

static void test_malformed(void)
{
	uint8_t pay[64], *buf;
	struct zc_smbd_reasm r;
	struct zc_smbd_data_hdr f0 = frag(10, 20), h;

	for (size_t i = 0; i < sizeof(pay); i++)
		pay[i] = (uint8_t)(0x40 + i);
	T_EQ(zc_smbd_reasm_init(&r, 131072), 0);
	T_EQ(zc_smbd_reasm_init(&r, 0), -EINVAL);
	T_EQ(zc_smbd_reasm_init(&r, 131072), 0);
	buf = malloc(30);
	if (!buf)
		exit(1);

	/* Payload before start. */
	T_EQ(zc_smbd_reasm_push(&r, &f0, pay), -EINVAL);
	/* A credit-only message is never payload, idle or not. */
	h = frag(0, 0);
	T_EQ(zc_smbd_reasm_push(&r, &h, NULL), ZC_SMBD_REASM_NONE);
	/* start refusals. */
	T_EQ(zc_smbd_reasm_start(&r, &h, buf, 30), -EINVAL);
	T_EQ(zc_smbd_reasm_start(&r, &f0, buf, 29), -ENOBUFS);
	h = frag(10, 131072 - 9);
	T_EQ(zc_smbd_reasm_start(&r, &h, buf, SIZE_MAX), -EMSGSIZE);
	T_EQ(zc_smbd_reasm_start(&r, &f0, NULL, 30), -EINVAL);
	T_CHECK(zc_smbd_reasm_idle(&r));

	/* Well formed, with a credit-only message in the middle. */
	T_EQ(zc_smbd_reasm_start(&r, &f0, buf, 30), 0);
	T_EQ(zc_smbd_reasm_start(&r, &f0, buf, 30), -EBUSY);
	T_EQ(zc_smbd_reasm_push(&r, &f0, pay), ZC_SMBD_REASM_MORE);
	h = frag(0, 0);
	T_EQ(zc_smbd_reasm_push(&r, &h, NULL), ZC_SMBD_REASM_NONE);
	h = frag(15, 5);
	T_EQ(zc_smbd_reasm_push(&r, &h, pay + 10), ZC_SMBD_REASM_MORE);
	h = frag(5, 0);
	T_EQ(zc_smbd_reasm_push(&r, &h, pay + 25), ZC_SMBD_REASM_DONE);
	T_BYTES(buf, pay, 30);
	T_CHECK(zc_smbd_reasm_idle(&r));

	/* Each bad second fragment: -EPROTO and back to idle. */
	struct zc_smbd_data_hdr bad[] = {
		frag(10, 20), /* repeated first fragment (rest did not shrink) */
		frag(10, 5),  /* a fragment went missing */
		frag(10, 11), /* rest grew */
		frag(21, 0),  /* more data than announced: would overflow buf */
		frag(19, 0),  /* ends short */
		frag(0, 20),  /* empty but claims more to come */
		frag(0, 10),
		frag(10, 0xfffffffau), /* sum wraps at 32 bits */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		T_EQ(zc_smbd_reasm_start(&r, &f0, buf, 30), 0);
		T_EQ(zc_smbd_reasm_push(&r, &f0, pay), ZC_SMBD_REASM_MORE);
		T_EQ(zc_smbd_reasm_push(&r, &bad[i], pay), -EPROTO);
		T_CHECK(zc_smbd_reasm_idle(&r));
	}
	/* A first fragment that lies about itself when pushed. */
	T_EQ(zc_smbd_reasm_start(&r, &f0, buf, 30), 0);
	h = frag(10, 19);
	T_EQ(zc_smbd_reasm_push(&r, &h, pay), -EPROTO);
	T_CHECK(zc_smbd_reasm_idle(&r));

	/* After all that, a clean message still goes through. */
	h = frag(30, 0);
	T_EQ(zc_smbd_reasm_start(&r, &h, buf, 30), 0);
	T_EQ(zc_smbd_reasm_push(&r, &h, pay + 1), ZC_SMBD_REASM_DONE);
	T_BYTES(buf, pay + 1, 30);
	free(buf);
}

int main(void)
{
	test_big();
	test_edges();
	test_malformed();
	return t_result("smbd_fragment");
}
