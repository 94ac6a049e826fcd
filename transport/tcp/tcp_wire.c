/* SPDX-License-Identifier: MIT */
/* The op message and handshake extension codec (layouts in doc/wire.md).
 * Little-endian on the wire, whatever the host. */
#include <errno.h>
#include <string.h>

#include "smbd_le.h"
#include "tcp_wire.h"

void zc_tcp_ophdr_encode(const struct zc_tcp_ophdr *h, void *buf)
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

int zc_tcp_ophdr_decode(const void *buf, size_t len, uint64_t msg_len,
			uint64_t heap_size, struct zc_tcp_ophdr *h,
			const char **why_p)
{
	const unsigned char *p = buf;

	*why_p = "";
	if (len < ZC_TCP_OPHDR_SIZE || msg_len < ZC_TCP_OPHDR_SIZE)
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
	if (h->op == 0 || h->op >= ZC_TCP_OP_LAST)
		BAD(-EPROTO, "unknown op");
	if (h->reserved)
		BAD(-EPROTO, "reserved field not zero");
	if (h->op == ZC_TCP_OP_AMO) {
		if (h->width != 4 && h->width != 8)
			BAD(-EPROTO, "atomic width not 4 or 8");
		if (h->amo >= 8 || (h->flags & ~ZC_TCP_F_FETCH))
			BAD(-EPROTO, "unknown atomic op or flags");
		if (!in_heap(h->off, h->width, heap_size))
			BAD(-ERANGE, "atomic past the end of the heap");
		if (h->off & (h->width - 1u))
			BAD(-ERANGE, "atomic not aligned to its width");
	} else if (h->flags || h->width || h->amo) {
		BAD(-EPROTO, "flags, width or atomic op set on a non-atomic");
	}
	if ((h->op == ZC_TCP_OP_PUT || h->op == ZC_TCP_OP_GET) &&
	    !in_heap(h->off, h->len, heap_size))
		BAD(-ERANGE, "access past the end of the heap");
	if (h->op == ZC_TCP_OP_GET && h->len == 0)
		BAD(-EPROTO, "get of zero bytes");
	if (msg_len - ZC_TCP_OPHDR_SIZE != zc_tcp_op_payload(h))
		BAD(-EPROTO, "payload length does not match the op");
	return 0;
}

/* Extension layout: magic, version(16), reserved(16), from, to, nonce
 * [, mac]. */
static void ext_encode(uint32_t from, uint32_t to, const unsigned char *nonce,
		       const unsigned char *mac, unsigned char *p)
{
	zc_smbd_put_le32(p, ZC_TCP_MAGIC);
	zc_smbd_put_le32(p + 4, ZC_TCP_WIRE_VERSION);
	zc_smbd_put_le32(p + 8, from);
	zc_smbd_put_le32(p + 12, to);
	memcpy(p + 16, nonce, ZC_TCP_NONCE_SIZE);
	if (mac)
		memcpy(p + 48, mac, ZC_TCP_MAC_SIZE);
}

static int ext_decode(const unsigned char *p, size_t len, size_t want,
		      uint32_t *from, uint32_t *to, unsigned char *nonce,
		      unsigned char *mac)
{
	if (len != want)
		return -EBADMSG;
	if (zc_smbd_get_le32(p) != ZC_TCP_MAGIC || zc_smbd_get_le32(p + 4) != ZC_TCP_WIRE_VERSION)
		return -EPROTO;
	*from = zc_smbd_get_le32(p + 8);
	*to = zc_smbd_get_le32(p + 12);
	memcpy(nonce, p + 16, ZC_TCP_NONCE_SIZE);
	if (mac)
		memcpy(mac, p + 48, ZC_TCP_MAC_SIZE);
	return 0;
}

void zc_tcp_hello_encode(const struct zc_tcp_hello *h, void *buf)
{
	ext_encode(h->from, h->to, h->nonce, NULL, buf);
}

int zc_tcp_hello_decode(const void *buf, size_t len, struct zc_tcp_hello *h)
{
	return ext_decode(buf, len, ZC_TCP_HELLO_EXT_SIZE, &h->from, &h->to,
			  h->nonce, NULL);
}

void zc_tcp_resp_ext_encode(const struct zc_tcp_resp_ext *r, void *buf)
{
	ext_encode(r->from, r->to, r->nonce, r->mac, buf);
}

int zc_tcp_resp_ext_decode(const void *buf, size_t len,
			   struct zc_tcp_resp_ext *r)
{
	return ext_decode(buf, len, ZC_TCP_RESP_EXT_SIZE, &r->from, &r->to,
			  r->nonce, r->mac);
}

void zc_tcp_auth_mac(const unsigned char secret[ZC_TCP_SECRET_SIZE],
		     char role, const unsigned char nonce_i[32],
		     const unsigned char nonce_r[32], uint32_t rank_i,
		     uint32_t rank_r, unsigned char out[32])
{
	/* Role first: a responder's proof can never be replayed as an
	 * initiator's (reflection). */
	unsigned char m[16 + 64 + 8] = "zcomm-tcp auth ";

	m[15] = (unsigned char)role;
	memcpy(m + 16, nonce_i, 32);
	memcpy(m + 48, nonce_r, 32);
	zc_smbd_put_le32(m + 80, rank_i);
	zc_smbd_put_le32(m + 84, rank_r);
	zc_tcp_hmac(secret, ZC_TCP_SECRET_SIZE, m, sizeof(m), out);
}
