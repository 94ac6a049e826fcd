/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the SMB-Direct codec. Arbitrary bytes go through
 * every decoder (on exactly sized heap copies, so ASan sees any over-read),
 * and are also read as a stream of messages driving the reassembly state
 * machine (into exactly sized buffers) and the credit accounting. Checks:
 * decode/encode round trips, reassembled bytes equal to the payloads fed
 * in, and the credit invariants. A violation aborts (a fuzzer finding).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smbd.h"

#define FUZZ_ASSERT(c)                                                     \
	do {                                                               \
		if (!(c)) {                                                \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); \
			abort();                                           \
		}                                                          \
	} while (0)

static void *dup_exact(const uint8_t *p, size_t n)
{
	void *q = malloc(n ? n : 1);

	FUZZ_ASSERT(q);
	if (n)
		memcpy(q, p, n);
	return q;
}

/* Field by field: struct padding makes memcmp meaningless. */
static bool credits_eq(const struct zc_smbd_credits *a,
		       const struct zc_smbd_credits *b)
{
	return a->send_credits == b->send_credits &&
	       a->recv_posted == b->recv_posted &&
	       a->recv_granted == b->recv_granted &&
	       a->send_target == b->send_target &&
	       a->recv_target == b->recv_target && a->recv_max == b->recv_max;
}

/* Agreed limits never exceed what we offered, nor fall below the floor. */
static void check_agreed(const struct zc_smbd_limits *local,
			 const struct zc_smbd_limits *a)
{
	FUZZ_ASSERT(a->max_receive_size >= ZC_SMBD_MIN_RECEIVE_SIZE);
	FUZZ_ASSERT(a->max_receive_size <= local->max_receive_size);
	FUZZ_ASSERT(a->max_send_size <= local->max_send_size);
	FUZZ_ASSERT(a->max_send_size >= ZC_SMBD_MIN_RECEIVE_SIZE);
	FUZZ_ASSERT(a->max_fragmented_send_size >= ZC_SMBD_MIN_FRAGMENTED_SIZE);
	FUZZ_ASSERT(a->max_read_write_size <= local->max_read_write_size);
}

static void fuzz_negotiate(const uint8_t *data, size_t size)
{
	static const struct zc_smbd_limits local = {
		.max_send_size = 1364, .max_receive_size = 8192,
		.max_fragmented_recv_size = 1048576,
		.max_read_write_size = 1048576,
	};
	struct zc_smbd_limits agreed;
	uint8_t *in = dup_exact(data, size);
	struct zc_smbd_negotiate_req req, req2;
	struct zc_smbd_negotiate_resp resp, resp2;
	uint8_t out[32], out2[32];

	if (zc_smbd_negotiate_req_decode(in, size, &req) == 0) {
		FUZZ_ASSERT(size >= 20);
		FUZZ_ASSERT(zc_smbd_negotiate_req_encode(&req, out, 20) == 20);
		/* Byte-identical apart from Reserved (bytes 4-5). */
		FUZZ_ASSERT(memcmp(out, in, 4) == 0);
		FUZZ_ASSERT(memcmp(out + 6, in + 6, 14) == 0);
		FUZZ_ASSERT(zc_smbd_negotiate_req_decode(out, 20, &req2) == 0);
		FUZZ_ASSERT(zc_smbd_negotiate_req_encode(&req2, out2, 20) == 20);
		FUZZ_ASSERT(memcmp(out, out2, 20) == 0);
		FUZZ_ASSERT(zc_smbd_negotiate_accept(&local, &req, &agreed) == 0);
		check_agreed(&local, &agreed);
	}
	if (zc_smbd_negotiate_resp_decode(in, size, &resp) == 0) {
		FUZZ_ASSERT(size >= 32);
		FUZZ_ASSERT(zc_smbd_negotiate_resp_encode(&resp, out, 32) == 32);
		FUZZ_ASSERT(memcmp(out, in, 6) == 0);
		FUZZ_ASSERT(memcmp(out + 8, in + 8, 24) == 0);
		FUZZ_ASSERT(zc_smbd_negotiate_resp_decode(out, 32, &resp2) == 0);
		FUZZ_ASSERT(zc_smbd_negotiate_resp_encode(&resp2, out2, 32) == 32);
		FUZZ_ASSERT(memcmp(out, out2, 32) == 0);
		if (zc_smbd_negotiate_finish(&local, &resp, &agreed) == 0)
			check_agreed(&local, &agreed);
		else
			FUZZ_ASSERT(resp.preferred_send_size >
				    local.max_receive_size);
	}
	free(in);
}

static void fuzz_buffer_desc(const uint8_t *data, size_t size)
{
	uint8_t *in = dup_exact(data, size);
	struct zc_smbd_buffer_desc d[8];
	uint8_t out[8 * 16];
	int n = zc_smbd_buffer_desc_decode(in, size, d, 8);

	if (n >= 0) {
		FUZZ_ASSERT((size_t)n * 16 == size);
		FUZZ_ASSERT(zc_smbd_buffer_desc_encode(d, (size_t)n, out,
						       sizeof(out)) == n * 16);
		FUZZ_ASSERT(memcmp(out, in, size) == 0);
	} else {
		FUZZ_ASSERT(n == -EBADMSG || n == -ENOBUFS);
	}
	free(in);
}

/* Whole input as one data transfer message, with limits from its size. */
static void fuzz_data_one(const uint8_t *data, size_t size)
{
	uint8_t *in = dup_exact(data, size);
	struct zc_smbd_data_hdr h;
	const uint8_t *pl;
	uint8_t out[64];
	int rc = zc_smbd_data_decode(in, size, UINT32_MAX, UINT32_MAX, &h, &pl);

	if (rc == 0) {
		FUZZ_ASSERT((uint64_t)h.data_offset + h.data_length <= size);
		FUZZ_ASSERT(h.data_length == 0 ? pl == NULL
					       : pl == in + h.data_offset);
		/* Re-encode what fits our small buffer; known flags only. */
		if (h.data_offset <= sizeof(out) &&
		    !(h.flags & ~ZC_SMBD_FLAG_RESPONSE_REQUESTED) &&
		    !(h.data_length == 0 && h.remaining_data_length)) {
			FUZZ_ASSERT(zc_smbd_data_encode(&h, out, sizeof(out)) ==
				    (int)(h.data_length ? h.data_offset : 20));
			FUZZ_ASSERT(memcmp(out, in, 6) == 0);
			FUZZ_ASSERT(memcmp(out + 8, in + 8, 12) == 0);
		}
	} else {
		/* -EMSGSIZE despite UINT32_MAX limits: the 33-bit sum of
		 * DataLength and RemainingDataLength. */
		FUZZ_ASSERT(rc == -EBADMSG || rc == -EPROTO ||
			    rc == -EOVERFLOW || rc == -EMSGSIZE);
	}
	free(in);
}

/*
 * Stream mode: [max_recv_sel:1][max_frag_sel:1][ops:1] then records of
 * [len_lo][len_hi][len bytes]. Each record is a received message for the
 * reassembler and credit accounting; ops bits add local sends between.
 */
static void fuzz_stream(const uint8_t *data, size_t size)
{
	static const uint32_t max_recv_tab[4] = { 20, 128, 1364, 65535 };
	static const uint32_t max_frag_tab[4] = { 1, 64, 4096, 131072 };
	struct zc_smbd_reasm r;
	struct zc_smbd_credits c;
	uint8_t *buf = NULL, *model = NULL;
	size_t model_len = 0, pos = 3;
	uint32_t max_recv, max_frag;
	uint8_t ops;

	if (size < 3)
		return;
	max_recv = max_recv_tab[data[0] & 3];
	max_frag = max_frag_tab[data[1] & 3];
	ops = data[2];
	FUZZ_ASSERT(zc_smbd_reasm_init(&r, max_frag) == 0);
	FUZZ_ASSERT(zc_smbd_credits_init(&c, (uint16_t)(1 + (ops & 15)),
					 (uint16_t)(1 + (ops >> 4))) == 0);
	(void)zc_smbd_credits_on_negotiate(&c, data[1] >> 2, data[0] >> 2);
	(void)zc_smbd_credits_post(&c, data[0] & 0x1f);

	while (pos + 2 <= size) {
		size_t len = (size_t)data[pos] | ((size_t)data[pos + 1] << 8);
		struct zc_smbd_data_hdr h, sh = { 0 };
		const uint8_t *pl;
		uint8_t *msg;
		int rc;

		pos += 2;
		if (len > size - pos)
			len = size - pos;
		msg = dup_exact(data + pos, len);
		pos += len;

		/* A local send between receives, steered by the length. */
		if (len & 1) {
			uint16_t g = zc_smbd_credits_grantable(&c);
			bool ok = zc_smbd_credits_can_send(&c, g);

			rc = zc_smbd_credits_take_send(&c, g, &sh);
			FUZZ_ASSERT(ok ? rc == 0 : rc == -EAGAIN);
			if (len & 2)
				(void)zc_smbd_credits_post(&c, 1);
		}

		rc = zc_smbd_data_decode(msg, len, max_recv, max_frag, &h, &pl);
		if (rc == 0) {
			struct zc_smbd_credits before = c;

			FUZZ_ASSERT(len <= max_recv);
			FUZZ_ASSERT((uint64_t)h.data_length +
					    h.remaining_data_length <=
				    max_frag);
			if (zc_smbd_credits_on_recv(&c, &h) != 0)
				FUZZ_ASSERT(credits_eq(&before, &c));

			if (zc_smbd_reasm_idle(&r) && h.data_length) {
				uint64_t total = zc_smbd_data_msg_size(&h);

				FUZZ_ASSERT(total <= max_frag);
				free(buf);
				buf = malloc(total);
				free(model);
				model = malloc(total);
				FUZZ_ASSERT(buf && model);
				model_len = 0;
				FUZZ_ASSERT(zc_smbd_reasm_start(&r, &h, buf,
								total) == 0);
			}
			rc = zc_smbd_reasm_push(&r, &h, pl);
			if (rc == ZC_SMBD_REASM_MORE ||
			    rc == ZC_SMBD_REASM_DONE) {
				memcpy(model + model_len, pl, h.data_length);
				model_len += h.data_length;
			}
			if (rc == ZC_SMBD_REASM_DONE) {
				FUZZ_ASSERT(memcmp(buf, model, model_len) == 0);
				FUZZ_ASSERT(zc_smbd_reasm_idle(&r));
			}
			if (rc < 0)
				FUZZ_ASSERT(zc_smbd_reasm_idle(&r));
		}
		free(msg);
		FUZZ_ASSERT(c.recv_granted <= c.recv_posted);
		FUZZ_ASSERT(c.send_credits <= (uint32_t)c.send_target + 1);
	}
	free(buf);
	free(model);
}

/* Fragment a message of input-chosen size, reassemble, compare. */
static void fuzz_frag(const uint8_t *data, size_t size)
{
	struct zc_smbd_frag_iter it;
	struct zc_smbd_reasm r;
	struct zc_smbd_data_hdr h = { .credits_requested = 1 };
	uint32_t max_send;
	size_t off;
	uint8_t *out;

	if (size < 2)
		return;
	max_send = 128u + data[0];
	data += 1;
	size -= 1;
	if (zc_smbd_frag_init(&it, size, max_send, 131072) != 0)
		return;
	FUZZ_ASSERT(zc_smbd_reasm_init(&r, 131072) == 0);
	out = malloc(size);
	FUZZ_ASSERT(out);
	while (zc_smbd_frag_next(&it, &h, &off) == 1) {
		FUZZ_ASSERT(h.data_offset + h.data_length <= max_send);
		if (zc_smbd_reasm_idle(&r))
			FUZZ_ASSERT(zc_smbd_reasm_start(&r, &h, out, size) == 0);
		FUZZ_ASSERT(zc_smbd_reasm_push(&r, &h, data + off) ==
			    (h.remaining_data_length ? ZC_SMBD_REASM_MORE
						     : ZC_SMBD_REASM_DONE));
	}
	FUZZ_ASSERT(memcmp(out, data, size) == 0);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_negotiate(data, size);
	fuzz_buffer_desc(data, size);
	fuzz_data_one(data, size);
	fuzz_stream(data, size);
	fuzz_frag(data, size);
	return 0;
}
