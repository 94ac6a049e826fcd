/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the tcp provider's receive-side decoders: the
 * input is a byte stream cut the way the provider cuts it ([u32 length]
 * [SMB-Direct message]), each message run through the data transfer
 * decoder, then the op header decoder against a small heap, plus the
 * handshake extensions. Decoders must never read out of bounds, and what
 * they accept must hold the invariants the provider relies on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smbd.h"
#include "tcp_wire.h"

#define HEAP (1u << 20)

static void check_op(const uint8_t *p, size_t len, uint64_t total)
{
	struct zc_msg_hdr h;
	const char *why;

	if (zc_msg_hdr_decode(p, len, total, HEAP, &h, &why))
		return;
	/* Accepted: the access is inside the heap, the size matches. */
	if ((h.op == ZC_MSG_PUT || h.op == ZC_MSG_GET) &&
	    (h.off > HEAP || h.len > HEAP - h.off))
		abort();
	if (h.op == ZC_MSG_AMO &&
	    ((h.width != 4 && h.width != 8) || h.off + h.width > HEAP ||
	     h.off % h.width))
		abort();
	if (total - ZC_MSG_HDR_SIZE != zc_msg_payload(&h))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zc_tcp_hello hello;
	struct zc_tcp_resp_ext resp;

	zc_tcp_hello_decode(data, size < ZC_TCP_HELLO_EXT_SIZE ? size :
			    ZC_TCP_HELLO_EXT_SIZE, &hello);
	zc_tcp_resp_ext_decode(data, size < ZC_TCP_RESP_EXT_SIZE ? size :
			       ZC_TCP_RESP_EXT_SIZE, &resp);
	while (size >= 4) {
		uint32_t len;
		struct zc_smbd_data_hdr h;
		const uint8_t *pl;
		uint8_t *copy;

		memcpy(&len, data, 4);
		data += 4;
		size -= 4;
		if (len > size)
			len = (uint32_t)size;
		/* An exact-size copy lets ASan see any overread. */
		copy = malloc(len ? len : 1);
		memcpy(copy, data, len);
		if (!zc_smbd_data_decode(copy, len, 65536, 1u << 24, &h, &pl) &&
		    h.data_length >= ZC_MSG_HDR_SIZE)
			check_op(pl, h.data_length,
				 (uint64_t)h.data_length + h.remaining_data_length);
		free(copy);
		data += len;
		size -= len;
	}
	return 0;
}
