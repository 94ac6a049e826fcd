/* SPDX-License-Identifier: MIT */
/* The op message codec (layouts in doc/wire.md), little-endian on the
 * wire whatever the host. */
#include <errno.h>
#include <string.h>

#include "smbd_le.h"
#include "zc_msg.h"

void zc_msg_hdr_encode(const struct zc_msg_hdr *h, void *buf)
{
	unsigned char *p = buf;

	p[0] = h->op;
	p[1] = h->flags;
	p[2] = h->width;
	p[3] = h->amo;
	zc_smbd_put_le32(p + 4, h->reserved);
	zc_smbd_put_le64(p + 8, h->seq);
	zc_smbd_put_le64(p + 16, h->ack);
	zc_smbd_put_le64(p + 24, h->off);
	zc_smbd_put_le64(p + 32, h->len);
	zc_smbd_put_le64(p + 40, h->value);
	zc_smbd_put_le64(p + 48, h->cmp);
}

/* Offset and length within [0, heap_size), without wrap-around. */
static bool in_heap(uint64_t off, uint64_t len, uint64_t heap_size)
{
	return off <= heap_size && len <= heap_size - off;
}

#define BAD(code, msg)                                                      \
	do {                                                                \
		*why_p = (msg);                                             \
		return (code);                                              \
	} while (0)

int zc_msg_hdr_decode(const void *buf, size_t len, uint64_t msg_len,
			uint64_t heap_size, struct zc_msg_hdr *h,
			const char **why_p)
{
	const unsigned char *p = buf;

	*why_p = "";
	if (len < ZC_MSG_HDR_SIZE || msg_len < ZC_MSG_HDR_SIZE)
		BAD(-EBADMSG, "op header truncated");
	h->op = p[0];
	h->flags = p[1];
	h->width = p[2];
	h->amo = p[3];
	h->reserved = zc_smbd_get_le32(p + 4);
	h->seq = zc_smbd_get_le64(p + 8);
	h->ack = zc_smbd_get_le64(p + 16);
	h->off = zc_smbd_get_le64(p + 24);
	h->len = zc_smbd_get_le64(p + 32);
	h->value = zc_smbd_get_le64(p + 40);
	h->cmp = zc_smbd_get_le64(p + 48);
	if (h->op == 0 || h->op >= ZC_MSG_LAST)
		BAD(-EPROTO, "unknown op");
	if (h->reserved)
		BAD(-EPROTO, "reserved field not zero");
	if (h->op == ZC_MSG_AMO) {
		if (h->width != 4 && h->width != 8)
			BAD(-EPROTO, "atomic width not 4 or 8");
		if (h->amo >= 8 || (h->flags & ~ZC_MSG_F_FETCH))
			BAD(-EPROTO, "unknown atomic op or flags");
		if (!in_heap(h->off, h->width, heap_size))
			BAD(-ERANGE, "atomic past the end of the heap");
		if (h->off & (h->width - 1u))
			BAD(-ERANGE, "atomic not aligned to its width");
	} else if (h->op == ZC_MSG_PUT_SIGNAL) {
		if (h->flags || h->width != 8 ||
		    (h->amo != ZC_MSG_SIG_SET && h->amo != ZC_MSG_SIG_ADD))
			BAD(-EPROTO, "signal not an 8-byte SET or ADD");
		if (!in_heap(h->cmp, 8, heap_size))
			BAD(-ERANGE, "signal past the end of the heap");
		if (h->cmp & 7u)
			BAD(-ERANGE, "signal not aligned to 8");
	} else if (h->flags || h->width || h->amo) {
		BAD(-EPROTO, "flags, width or atomic op set on a non-atomic");
	}
	if ((h->op == ZC_MSG_PUT || h->op == ZC_MSG_GET ||
	     h->op == ZC_MSG_PUT_SIGNAL) &&
	    !in_heap(h->off, h->len, heap_size))
		BAD(-ERANGE, "access past the end of the heap");
	if (h->op == ZC_MSG_GET && h->len == 0)
		BAD(-EPROTO, "get of zero bytes");
	if (msg_len - ZC_MSG_HDR_SIZE != zc_msg_payload(h))
		BAD(-EPROTO, "payload length does not match the op");
	return 0;
}
