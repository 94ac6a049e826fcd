/* SPDX-License-Identifier: MIT */
/* Data transfer message and buffer descriptor V1 codec (MS-SMBD 2.2.3,
 * 2.2.3.1, 3.1.5.8). */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "smbd.h"
#include "smbd_le.h"

/* Rules shared by encoder and decoder; the caller maps the result. */
static bool data_layout_ok(const struct zc_smbd_data_hdr *h)
{
	if (h->data_length == 0)
		return h->data_offset == 0;
	/* 8-byte aligned and past the 20-byte header, hence at least 24. */
	return h->data_offset % 8 == 0 &&
	       h->data_offset >= ZC_SMBD_DATA_OFFSET;
}

int zc_smbd_data_encode(const struct zc_smbd_data_hdr *hdr, void *buf,
			size_t len)
{
	uint8_t *p = buf;
	size_t n;

	if (!hdr || !buf)
		return -EINVAL;
	if (hdr->credits_requested == 0 || !data_layout_ok(hdr) ||
	    (hdr->flags & ~ZC_SMBD_FLAG_RESPONSE_REQUESTED) ||
	    (hdr->data_length == 0 && hdr->remaining_data_length != 0))
		return -EINVAL;
	/* The return value is an int; offsets beyond it are nonsense anyway. */
	if (hdr->data_offset > INT_MAX)
		return -EINVAL;
	n = hdr->data_length ? hdr->data_offset : ZC_SMBD_DATA_HDR_SIZE;
	if (len < n)
		return -ENOBUFS;
	zc_smbd_put_le16(p + 0, hdr->credits_requested);
	zc_smbd_put_le16(p + 2, hdr->credits_granted);
	zc_smbd_put_le16(p + 4, hdr->flags);
	zc_smbd_put_le16(p + 6, 0);
	zc_smbd_put_le32(p + 8, hdr->remaining_data_length);
	zc_smbd_put_le32(p + 12, hdr->data_offset);
	zc_smbd_put_le32(p + 16, hdr->data_length);
	/* Zero padding: never leak stale buffer contents onto the wire. */
	memset(p + ZC_SMBD_DATA_HDR_SIZE, 0, n - ZC_SMBD_DATA_HDR_SIZE);
	return (int)n;
}

int zc_smbd_data_decode(const void *msg, size_t len, uint32_t max_receive_size,
			uint32_t max_fragmented_size,
			struct zc_smbd_data_hdr *hdr_p, const uint8_t **payload_p)
{
	const uint8_t *p = msg;
	struct zc_smbd_data_hdr h;

	if (!msg || !hdr_p || !payload_p)
		return -EINVAL;
	if (len < ZC_SMBD_DATA_HDR_SIZE)
		return -EBADMSG;
	if (len > max_receive_size)
		return -EMSGSIZE;
	h.credits_requested = zc_smbd_get_le16(p + 0);
	h.credits_granted = zc_smbd_get_le16(p + 2);
	h.flags = zc_smbd_get_le16(p + 4);
	h.remaining_data_length = zc_smbd_get_le32(p + 8);
	h.data_offset = zc_smbd_get_le32(p + 12);
	h.data_length = zc_smbd_get_le32(p + 16);

	if (h.credits_requested == 0 || !data_layout_ok(&h))
		return -EPROTO;
	/* 64-bit sums: two 32-bit fields cannot wrap. */
	if ((uint64_t)h.data_offset + h.data_length > len)
		return -EOVERFLOW;
	if ((uint64_t)h.data_length + h.remaining_data_length >
	    max_fragmented_size)
		return -EMSGSIZE;

	*hdr_p = h;
	*payload_p = h.data_length ? p + h.data_offset : NULL;
	return 0;
}

int zc_smbd_buffer_desc_encode(const struct zc_smbd_buffer_desc *d, size_t n,
			       void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t i;

	if ((!d && n) || !buf)
		return -EINVAL;
	if (n > INT_MAX / ZC_SMBD_BUFFER_DESC_SIZE)
		return -EOVERFLOW;
	if (len < n * ZC_SMBD_BUFFER_DESC_SIZE)
		return -ENOBUFS;
	for (i = 0; i < n; i++, p += ZC_SMBD_BUFFER_DESC_SIZE) {
		zc_smbd_put_le64(p + 0, d[i].offset);
		zc_smbd_put_le32(p + 8, d[i].token);
		zc_smbd_put_le32(p + 12, d[i].length);
	}
	return (int)(n * ZC_SMBD_BUFFER_DESC_SIZE);
}

int zc_smbd_buffer_desc_decode(const void *buf, size_t len,
			       struct zc_smbd_buffer_desc *d, size_t max_n)
{
	const uint8_t *p = buf;
	size_t i, n;

	if ((!buf && len) || (!d && max_n))
		return -EINVAL;
	if (len % ZC_SMBD_BUFFER_DESC_SIZE)
		return -EBADMSG;
	n = len / ZC_SMBD_BUFFER_DESC_SIZE;
	if (n > max_n)
		return -ENOBUFS;
	if (n > INT_MAX)
		return -EOVERFLOW;
	for (i = 0; i < n; i++, p += ZC_SMBD_BUFFER_DESC_SIZE) {
		d[i].offset = zc_smbd_get_le64(p + 0);
		d[i].token = zc_smbd_get_le32(p + 8);
		d[i].length = zc_smbd_get_le32(p + 12);
	}
	return (int)n;
}
