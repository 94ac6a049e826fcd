/* SPDX-License-Identifier: MIT */
/* The op message and handshake extension codec (layouts in doc/wire.md).
 * Little-endian on the wire, whatever the host. */
#include <errno.h>
#include <string.h>

#include "smbd_le.h"
#include "tcp_wire.h"

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
