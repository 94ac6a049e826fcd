/* SPDX-License-Identifier: MIT */
/* Splitting an upper-layer message into data transfer messages and putting
 * it back together (MS-SMBD 3.1.4.1, 3.1.5.8). */
#include <errno.h>
#include <string.h>

#include "smbd.h"

int zc_smbd_frag_init(struct zc_smbd_frag_iter *it, size_t msg_len,
		      uint32_t max_send_size, uint32_t max_fragmented_send_size)
{
	if (!it)
		return -EINVAL;
	/* An empty upper-layer message would be indistinguishable from a
	 * credit-only message on the wire. */
	if (msg_len == 0 || max_send_size < ZC_SMBD_MIN_RECEIVE_SIZE)
		return -EINVAL;
	if (msg_len > max_fragmented_send_size)
		return -EMSGSIZE;
	it->msg_len = msg_len;
	it->next_off = 0;
	it->max_data = max_send_size - ZC_SMBD_DATA_OFFSET;
	return 0;
}

int zc_smbd_frag_next(struct zc_smbd_frag_iter *it,
		      struct zc_smbd_data_hdr *hdr, size_t *msg_off_p)
{
	size_t left, n;

	if (!it || !hdr || !msg_off_p)
		return -EINVAL;
	if (it->next_off >= it->msg_len)
		return 0;
	left = it->msg_len - it->next_off;
	n = left < it->max_data ? left : it->max_data;
	/* msg_len <= max_fragmented_send_size (a uint32_t), so these fit. */
	hdr->data_offset = ZC_SMBD_DATA_OFFSET;
	hdr->data_length = (uint32_t)n;
	hdr->remaining_data_length = (uint32_t)(left - n);
	*msg_off_p = it->next_off;
	it->next_off += n;
	return 1;
}

static void reasm_reset(struct zc_smbd_reasm *r)
{
	r->total = 0;
	r->filled = 0;
	r->buf = NULL;
}

int zc_smbd_reasm_init(struct zc_smbd_reasm *r, uint32_t max_fragmented_size)
{
	if (!r || max_fragmented_size == 0)
		return -EINVAL;
	r->max_fragmented = max_fragmented_size;
	reasm_reset(r);
	return 0;
}

bool zc_smbd_reasm_idle(const struct zc_smbd_reasm *r)
{
	return r->buf == NULL;
}

uint64_t zc_smbd_data_msg_size(const struct zc_smbd_data_hdr *first)
{
	if (first->data_length == 0)
		return 0;
	return (uint64_t)first->data_length + first->remaining_data_length;
}

int zc_smbd_reasm_start(struct zc_smbd_reasm *r,
			const struct zc_smbd_data_hdr *first, void *buf,
			size_t buf_len)
{
	uint64_t total;

	if (!r || !first || !buf)
		return -EINVAL;
	if (!zc_smbd_reasm_idle(r))
		return -EBUSY;
	total = zc_smbd_data_msg_size(first);
	if (total == 0)
		return -EINVAL;
	if (total > r->max_fragmented)
		return -EMSGSIZE;
	if (buf_len < total)
		return -ENOBUFS;
	r->buf = buf;
	r->total = (uint32_t)total;
	r->filled = 0;
	return 0;
}

int zc_smbd_reasm_push(struct zc_smbd_reasm *r,
		       const struct zc_smbd_data_hdr *h, const void *payload)
{
	uint64_t missing;

	if (!r || !h)
		return -EINVAL;
	/* Credit/keepalive messages may arrive between fragments (the peer's
	 * send queue emits them when it has nothing else to say). */
	if (h->data_length == 0 && h->remaining_data_length == 0)
		return ZC_SMBD_REASM_NONE;
	if (zc_smbd_reasm_idle(r))
		return -EINVAL;
	missing = (uint64_t)r->total - r->filled;
	/* The announced rest must match exactly: this catches lost, repeated
	 * and reordered fragments as well as a lying first fragment. */
	if (h->data_length == 0 || !payload ||
	    (uint64_t)h->data_length + h->remaining_data_length != missing) {
		reasm_reset(r);
		return -EPROTO;
	}
	memcpy(r->buf + r->filled, payload, h->data_length);
	r->filled += h->data_length;
	if (h->remaining_data_length != 0)
		return ZC_SMBD_REASM_MORE;
	reasm_reset(r);
	return ZC_SMBD_REASM_DONE;
}
