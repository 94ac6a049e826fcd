/* SPDX-License-Identifier: MIT */
/* Negotiate request/response codec and the limits both sides derive from
 * them (MS-SMBD 2.2.1, 2.2.2, 3.1.5.2, 3.1.5.3, 3.1.5.6, 3.1.5.7). */
#include <errno.h>
#include <string.h>

#include "smbd.h"
#include "smbd_le.h"

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static int req_check(const struct zc_smbd_negotiate_req *req)
{
	if (req->min_version > ZC_SMBD_VERSION_1 ||
	    req->max_version < ZC_SMBD_VERSION_1)
		return -EPROTONOSUPPORT;
	if (req->credits_requested == 0 ||
	    req->max_receive_size < ZC_SMBD_MIN_RECEIVE_SIZE ||
	    req->max_fragmented_size < ZC_SMBD_MIN_FRAGMENTED_SIZE)
		return -EPROTO;
	return 0;
}

/* Status is checked first: a failure response has every other field 0. */
static int resp_check(const struct zc_smbd_negotiate_resp *resp)
{
	if (resp->status != 0)
		return -ECONNREFUSED;
	if (resp->negotiated_version != ZC_SMBD_VERSION_1)
		return -EPROTONOSUPPORT;
	if (resp->credits_requested == 0 || resp->credits_granted == 0 ||
	    resp->max_receive_size < ZC_SMBD_MIN_RECEIVE_SIZE ||
	    resp->max_fragmented_size < ZC_SMBD_MIN_FRAGMENTED_SIZE)
		return -EPROTO;
	return 0;
}

int zc_smbd_negotiate_req_encode(const struct zc_smbd_negotiate_req *req,
				 void *buf, size_t len)
{
	uint8_t *p = buf;

	if (!req || !buf)
		return -EINVAL;
	if (req_check(req))
		return -EINVAL;
	if (len < ZC_SMBD_NEGOTIATE_REQ_SIZE)
		return -ENOBUFS;
	zc_smbd_put_le16(p + 0, req->min_version);
	zc_smbd_put_le16(p + 2, req->max_version);
	zc_smbd_put_le16(p + 4, 0);
	zc_smbd_put_le16(p + 6, req->credits_requested);
	zc_smbd_put_le32(p + 8, req->preferred_send_size);
	zc_smbd_put_le32(p + 12, req->max_receive_size);
	zc_smbd_put_le32(p + 16, req->max_fragmented_size);
	return ZC_SMBD_NEGOTIATE_REQ_SIZE;
}

int zc_smbd_negotiate_req_decode(const void *buf, size_t len,
				 struct zc_smbd_negotiate_req *req_p)
{
	const uint8_t *p = buf;

	if (!buf || !req_p)
		return -EINVAL;
	if (len < ZC_SMBD_NEGOTIATE_REQ_SIZE)
		return -EBADMSG;
	req_p->min_version = zc_smbd_get_le16(p + 0);
	req_p->max_version = zc_smbd_get_le16(p + 2);
	req_p->credits_requested = zc_smbd_get_le16(p + 6);
	req_p->preferred_send_size = zc_smbd_get_le32(p + 8);
	req_p->max_receive_size = zc_smbd_get_le32(p + 12);
	req_p->max_fragmented_size = zc_smbd_get_le32(p + 16);
	return req_check(req_p);
}

int zc_smbd_negotiate_resp_encode(const struct zc_smbd_negotiate_resp *resp,
				  void *buf, size_t len)
{
	uint8_t *p = buf;

	if (!resp || !buf)
		return -EINVAL;
	if (resp->status == 0 && resp_check(resp))
		return -EINVAL;
	if (len < ZC_SMBD_NEGOTIATE_RESP_SIZE)
		return -ENOBUFS;
	memset(p, 0, ZC_SMBD_NEGOTIATE_RESP_SIZE);
	zc_smbd_put_le16(p + 0, resp->min_version);
	zc_smbd_put_le16(p + 2, resp->max_version);
	zc_smbd_put_le32(p + 12, resp->status);
	if (resp->status != 0)
		return ZC_SMBD_NEGOTIATE_RESP_SIZE;
	zc_smbd_put_le16(p + 4, resp->negotiated_version);
	zc_smbd_put_le16(p + 8, resp->credits_requested);
	zc_smbd_put_le16(p + 10, resp->credits_granted);
	zc_smbd_put_le32(p + 16, resp->max_read_write_size);
	zc_smbd_put_le32(p + 20, resp->preferred_send_size);
	zc_smbd_put_le32(p + 24, resp->max_receive_size);
	zc_smbd_put_le32(p + 28, resp->max_fragmented_size);
	return ZC_SMBD_NEGOTIATE_RESP_SIZE;
}

int zc_smbd_negotiate_resp_decode(const void *buf, size_t len,
				  struct zc_smbd_negotiate_resp *resp_p)
{
	const uint8_t *p = buf;

	if (!buf || !resp_p)
		return -EINVAL;
	if (len < ZC_SMBD_NEGOTIATE_RESP_SIZE)
		return -EBADMSG;
	resp_p->min_version = zc_smbd_get_le16(p + 0);
	resp_p->max_version = zc_smbd_get_le16(p + 2);
	resp_p->negotiated_version = zc_smbd_get_le16(p + 4);
	resp_p->credits_requested = zc_smbd_get_le16(p + 8);
	resp_p->credits_granted = zc_smbd_get_le16(p + 10);
	resp_p->status = zc_smbd_get_le32(p + 12);
	resp_p->max_read_write_size = zc_smbd_get_le32(p + 16);
	resp_p->preferred_send_size = zc_smbd_get_le32(p + 20);
	resp_p->max_receive_size = zc_smbd_get_le32(p + 24);
	resp_p->max_fragmented_size = zc_smbd_get_le32(p + 28);
	return resp_check(resp_p);
}

static int local_check(const struct zc_smbd_limits *local)
{
	if (local->max_send_size < ZC_SMBD_MIN_RECEIVE_SIZE ||
	    local->max_receive_size < ZC_SMBD_MIN_RECEIVE_SIZE ||
	    local->max_fragmented_recv_size < ZC_SMBD_MIN_FRAGMENTED_SIZE)
		return -EINVAL;
	return 0;
}

/* Our receive size shrinks to what the peer actually wants to send, but
 * never below the protocol floor: a peer may always send 128 bytes. */
static uint32_t agreed_receive_size(uint32_t ours, uint32_t peer_pref)
{
	uint32_t v = min_u32(ours, peer_pref);

	return v < ZC_SMBD_MIN_RECEIVE_SIZE ? ZC_SMBD_MIN_RECEIVE_SIZE : v;
}

int zc_smbd_negotiate_accept(const struct zc_smbd_limits *local,
			     const struct zc_smbd_negotiate_req *req,
			     struct zc_smbd_limits *agreed_p)
{
	if (!local || !req || !agreed_p || local_check(local))
		return -EINVAL;
	agreed_p->max_receive_size =
		agreed_receive_size(local->max_receive_size,
				    req->preferred_send_size);
	agreed_p->max_send_size = min_u32(local->max_send_size,
					  req->max_receive_size);
	agreed_p->max_fragmented_send_size = req->max_fragmented_size;
	agreed_p->max_fragmented_recv_size = local->max_fragmented_recv_size;
	agreed_p->max_read_write_size = local->max_read_write_size;
	return 0;
}

int zc_smbd_negotiate_finish(const struct zc_smbd_limits *local,
			     const struct zc_smbd_negotiate_resp *resp,
			     struct zc_smbd_limits *agreed_p)
{
	if (!local || !resp || !agreed_p || local_check(local))
		return -EINVAL;
	if (resp->preferred_send_size > local->max_receive_size)
		return -EPROTO;
	agreed_p->max_receive_size =
		agreed_receive_size(local->max_receive_size,
				    resp->preferred_send_size);
	agreed_p->max_send_size = min_u32(local->max_send_size,
					  resp->max_receive_size);
	agreed_p->max_fragmented_send_size = resp->max_fragmented_size;
	agreed_p->max_fragmented_recv_size = local->max_fragmented_recv_size;
	agreed_p->max_read_write_size = min_u32(local->max_read_write_size,
						resp->max_read_write_size);
	return 0;
}
