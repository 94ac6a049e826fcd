/* SPDX-License-Identifier: MIT */
/* Send/receive credit accounting (MS-SMBD 3.1.5.1, 3.1.5.8, 3.1.5.9). The
 * contract is in smbd.h above struct zc_smbd_credits. */
#include <errno.h>

#include "smbd.h"

int zc_smbd_credits_init(struct zc_smbd_credits *c, uint16_t send_target,
			 uint16_t recv_max)
{
	if (!c || send_target == 0 || recv_max == 0)
		return -EINVAL;
	c->send_credits = 0;
	c->recv_posted = 0;
	c->recv_granted = 0;
	c->send_target = send_target;
	/* Until the peer says otherwise, one credit keeps it able to talk. */
	c->recv_target = 1;
	c->recv_max = recv_max;
	return 0;
}

int zc_smbd_credits_on_negotiate(struct zc_smbd_credits *c,
				 uint16_t peer_requested,
				 uint16_t peer_granted)
{
	if (!c)
		return -EINVAL;
	if (peer_requested == 0 || peer_granted > c->send_target)
		return -EPROTO;
	c->recv_target = peer_requested;
	c->send_credits = peer_granted;
	return 0;
}

int zc_smbd_credits_post(struct zc_smbd_credits *c, uint32_t n)
{
	if (!c)
		return -EINVAL;
	if (n > UINT32_MAX - c->recv_posted)
		return -EOVERFLOW;
	c->recv_posted += n;
	return 0;
}

uint16_t zc_smbd_credits_grantable(const struct zc_smbd_credits *c)
{
	uint32_t cap = c->recv_target < c->recv_max ? c->recv_target
						    : c->recv_max;
	uint32_t spare = c->recv_posted - c->recv_granted;
	uint32_t n = cap > c->recv_granted ? cap - c->recv_granted : 0;

	/* 3.1.5.9: holding our last send credit we must be able to grant,
	 * or neither side could ever send again. Only from at most cap, so
	 * the peer never holds more than cap + 1 (which on_recv relies on). */
	if (n == 0 && c->send_credits == 1 && c->recv_granted <= cap)
		n = 1;
	if (n > spare)
		n = spare;
	return n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
}

int zc_smbd_credits_grant(struct zc_smbd_credits *c, uint16_t grants)
{
	if (!c || grants > zc_smbd_credits_grantable(c))
		return -EINVAL;
	c->recv_granted += grants;
	return 0;
}

bool zc_smbd_credits_can_send(const struct zc_smbd_credits *c,
			      uint16_t grants)
{
	if (c->send_credits == 0)
		return false;
	/* The last credit only travels with a grant: the peer may be out of
	 * credits too, and then neither side could ever send again. */
	if (c->send_credits == 1 && grants == 0)
		return false;
	return grants <= zc_smbd_credits_grantable(c);
}

int zc_smbd_credits_take_send(struct zc_smbd_credits *c, uint16_t grants,
			      struct zc_smbd_data_hdr *hdr)
{
	if (!c || !hdr)
		return -EINVAL;
	if (grants > zc_smbd_credits_grantable(c))
		return -EINVAL;
	if (!zc_smbd_credits_can_send(c, grants))
		return -EAGAIN;
	c->send_credits--;
	c->recv_granted += grants;
	hdr->credits_requested = c->send_target;
	hdr->credits_granted = grants;
	return 0;
}

int zc_smbd_credits_on_recv(struct zc_smbd_credits *c,
			    const struct zc_smbd_data_hdr *h)
{
	if (!c || !h)
		return -EINVAL;
	/* Every message needs a credit we granted... */
	if (c->recv_granted == 0 || h->credits_requested == 0)
		return -EPROTO;
	/* ...and the peer held at most recv_granted of them, so spending the
	 * last one without granting breaks the same rule can_send enforces. */
	if (c->recv_granted == 1 && h->credits_granted == 0)
		return -EPROTO;
	if ((uint64_t)c->send_credits + h->credits_granted >
	    (uint64_t)c->send_target + 1)
		return -EPROTO;
	c->recv_granted--;
	c->recv_posted--;
	c->send_credits += h->credits_granted;
	c->recv_target = h->credits_requested;
	return 0;
}
