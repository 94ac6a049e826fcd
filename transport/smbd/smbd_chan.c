/* SPDX-License-Identifier: MIT */
/*
 * The negotiate exchange of one connection as every provider runs it:
 * the request from our limits, the responder's accept (limits, credits,
 * the grant and the response), the initiator's finish. Credits start with
 * credits + 1 receives posted: MS-SMBD 3.1.5.9's extra credit for a peer
 * that holds its last one is always backed.
 */
#include <errno.h>
#include <string.h>

#include "smbd.h"

void zc_smbd_chan_limits(struct zc_smbd_limits *l, uint32_t msg_size)
{
	l->max_send_size = msg_size;
	l->max_receive_size = msg_size;
	l->max_fragmented_send_size = ZC_SMBD_MIN_FRAGMENTED_SIZE;
	l->max_fragmented_recv_size = ZC_SMBD_MIN_FRAGMENTED_SIZE;
	l->max_read_write_size = 1u << 30;
}

int zc_smbd_chan_request(const struct zc_smbd_limits *local, uint16_t credits,
			 void *buf, size_t len)
{
	struct zc_smbd_negotiate_req req = {
		.min_version = ZC_SMBD_VERSION_1,
		.max_version = ZC_SMBD_VERSION_1,
		.credits_requested = credits,
		.preferred_send_size = local->max_send_size,
		.max_receive_size = local->max_receive_size,
		.max_fragmented_size = local->max_fragmented_recv_size,
	};

	return zc_smbd_negotiate_req_encode(&req, buf, len);
}

static int credits_start(struct zc_smbd_credits *c, uint16_t credits,
			 uint16_t peer_requested, uint16_t peer_granted)
{
	int rc = zc_smbd_credits_init(c, credits, credits);

	if (!rc)
		rc = zc_smbd_credits_post(c, (uint32_t)credits + 1);
	if (!rc)
		rc = zc_smbd_credits_on_negotiate(c, peer_requested,
						  peer_granted);
	return rc;
}

int zc_smbd_chan_accept(const struct zc_smbd_limits *local, uint16_t credits,
			const void *req_buf, size_t req_len,
			struct zc_smbd_limits *lim, struct zc_smbd_credits *cred,
			void *out, size_t out_len)
{
	struct zc_smbd_negotiate_req req;
	struct zc_smbd_negotiate_resp resp = { 0 };
	uint16_t g;
	int rc;

	rc = zc_smbd_negotiate_req_decode(req_buf, req_len, &req);
	if (!rc)
		rc = zc_smbd_negotiate_accept(local, &req, lim);
	if (!rc)
		rc = credits_start(cred, credits, req.credits_requested, 0);
	if (rc)
		return rc;
	g = zc_smbd_credits_grantable(cred);
	zc_smbd_credits_grant(cred, g);
	resp.min_version = resp.max_version = ZC_SMBD_VERSION_1;
	resp.negotiated_version = ZC_SMBD_VERSION_1;
	resp.credits_requested = credits;
	resp.credits_granted = g;
	resp.max_read_write_size = local->max_read_write_size;
	resp.preferred_send_size = lim->max_send_size;
	resp.max_receive_size = local->max_receive_size;
	resp.max_fragmented_size = local->max_fragmented_recv_size;
	return zc_smbd_negotiate_resp_encode(&resp, out, out_len);
}

int zc_smbd_chan_finish(const struct zc_smbd_limits *local, uint16_t credits,
			const void *resp_buf, size_t resp_len,
			struct zc_smbd_limits *lim, struct zc_smbd_credits *cred)
{
	struct zc_smbd_negotiate_resp resp;
	int rc = zc_smbd_negotiate_resp_decode(resp_buf, resp_len, &resp);

	if (!rc)
		rc = zc_smbd_negotiate_finish(local, &resp, lim);
	if (!rc)
		rc = credits_start(cred, credits, resp.credits_requested,
				   resp.credits_granted);
	return rc;
}
