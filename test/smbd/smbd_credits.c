/* SPDX-License-Identifier: MIT */
/* Credit accounting: the last-credit rule, grants bounded by posted buffers
 * and the peer's request, peer misbehaviour detection, and two simulated
 * peers exchanging messages without deadlock or protocol error. */
#include <errno.h>

#include "smbd.h"
#include "t_smbd.h"

static struct zc_smbd_data_hdr msg(uint16_t requested, uint16_t granted)
{
	return (struct zc_smbd_data_hdr){ .credits_requested = requested,
					  .credits_granted = granted };
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

static void test_rules(void)
{
	struct zc_smbd_credits c, saved;
	struct zc_smbd_data_hdr h = { 0 }, in;

	T_EQ(zc_smbd_credits_init(&c, 0, 10), -EINVAL);
	T_EQ(zc_smbd_credits_init(&c, 10, 0), -EINVAL);
	T_EQ(zc_smbd_credits_init(&c, 10, 8), 0);

	/* Negotiate: the peer may not grant more than we asked for. */
	T_EQ(zc_smbd_credits_on_negotiate(&c, 0, 1), -EPROTO);
	T_EQ(zc_smbd_credits_on_negotiate(&c, 12, 11), -EPROTO);
	T_EQ(zc_smbd_credits_on_negotiate(&c, 12, 1), 0);

	/* Nothing posted: nothing to grant, so the last credit is stuck. */
	T_EQ(zc_smbd_credits_grantable(&c), 0);
	T_CHECK(!zc_smbd_credits_can_send(&c, 0));
	T_EQ(zc_smbd_credits_take_send(&c, 0, &h), -EAGAIN);
	T_EQ(zc_smbd_credits_take_send(&c, 1, &h), -EINVAL);

	/* Grants are bounded by posted buffers... */
	T_EQ(zc_smbd_credits_post(&c, 3), 0);
	T_EQ(zc_smbd_credits_grantable(&c), 3);
	/* ...and by min(peer's request 12, our max 8). */
	T_EQ(zc_smbd_credits_post(&c, 17), 0);
	T_EQ(zc_smbd_credits_grantable(&c), 8);

	/* Last credit: only with a grant; state unchanged on refusal. */
	saved = c;
	T_EQ(zc_smbd_credits_take_send(&c, 0, &h), -EAGAIN);
	T_CHECK(credits_eq(&saved, &c));
	T_EQ(zc_smbd_credits_take_send(&c, 9, &h), -EINVAL);
	T_CHECK(credits_eq(&saved, &c));
	T_CHECK(zc_smbd_credits_can_send(&c, 5));
	T_EQ(zc_smbd_credits_take_send(&c, 5, &h), 0);
	T_EQ(h.credits_requested, 10);
	T_EQ(h.credits_granted, 5);
	T_EQ(c.send_credits, 0);
	T_EQ(c.recv_granted, 5);
	T_EQ(zc_smbd_credits_grantable(&c), 3);
	T_CHECK(!zc_smbd_credits_can_send(&c, 3));
	T_EQ(zc_smbd_credits_take_send(&c, 3, &h), -EAGAIN);

	/* Peer's message: uses one of our credits, grants us 4, wants 6. */
	in = msg(6, 4);
	T_EQ(zc_smbd_credits_on_recv(&c, &in), 0);
	T_EQ(c.send_credits, 4);
	T_EQ(c.recv_granted, 4);
	T_EQ(c.recv_posted, 19);
	T_EQ(c.recv_target, 6);
	T_EQ(zc_smbd_credits_grantable(&c), 2); /* 6 - 4 */

	/* With 2+ credits a message need not grant. */
	T_EQ(zc_smbd_credits_take_send(&c, 0, &h), 0);
	T_EQ(h.credits_granted, 0);
	T_EQ(c.send_credits, 3);

	/* Peer grants beyond send_target + 1 (= 11): 3 + 9 > 11. */
	saved = c;
	in = msg(6, 9);
	T_EQ(zc_smbd_credits_on_recv(&c, &in), -EPROTO);
	T_CHECK(credits_eq(&saved, &c));
	in = msg(6, 8); /* 3 + 8 = 11: the spec's one-credit slack */
	T_EQ(zc_smbd_credits_on_recv(&c, &in), 0);
	T_EQ(c.send_credits, 11);

	/* Peer requesting 0 credits is malformed. */
	in = msg(0, 0);
	T_EQ(zc_smbd_credits_on_recv(&c, &in), -EPROTO);

	/* Peer spends down our grants: 3 left, then 2, then 1... */
	in = msg(6, 0);
	T_EQ(zc_smbd_credits_on_recv(&c, &in), 0);
	T_EQ(zc_smbd_credits_on_recv(&c, &in), 0);
	T_EQ(c.recv_granted, 1);
	/* ...its last credit must carry a grant. */
	saved = c;
	T_EQ(zc_smbd_credits_on_recv(&c, &in), -EPROTO);
	T_CHECK(credits_eq(&saved, &c));
	/* That would push us past 11, still a violation. */
	in = msg(6, 1);
	T_EQ(zc_smbd_credits_on_recv(&c, &in), -EPROTO);
	/* Spend down to 10 and then the grant fits. */
	T_EQ(zc_smbd_credits_take_send(&c, 0, &h), 0);
	T_EQ(zc_smbd_credits_on_recv(&c, &in), 0);
	T_EQ(c.recv_granted, 0);
	/* A message with no credit outstanding is a violation. */
	in = msg(6, 1);
	T_EQ(zc_smbd_credits_on_recv(&c, &in), -EPROTO);

	T_EQ(zc_smbd_credits_post(&c, UINT32_MAX), -EOVERFLOW);
}

static void test_liveness_grant(void)
{
	struct zc_smbd_credits c;
	struct zc_smbd_data_hdr h;

	/* Peer already holds its full target (4); we hold our last credit.
	 * 3.1.5.9: we may grant one more so the last credit can be used. */
	T_EQ(zc_smbd_credits_init(&c, 4, 16), 0);
	T_EQ(zc_smbd_credits_on_negotiate(&c, 4, 2), 0);
	T_EQ(zc_smbd_credits_post(&c, 10), 0);
	T_EQ(zc_smbd_credits_take_send(&c, 4, &h), 0);
	T_EQ(c.send_credits, 1);
	T_EQ(c.recv_granted, 4);
	T_EQ(zc_smbd_credits_grantable(&c), 1);
	T_EQ(zc_smbd_credits_take_send(&c, 1, &h), 0);
	T_EQ(c.recv_granted, 5);
	/* Never beyond target + 1, even if we got our last credit again. */
	c.send_credits = 1;
	T_EQ(zc_smbd_credits_grantable(&c), 0);
	/* Without a spare posted buffer there is nothing to grant at all. */
	T_EQ(zc_smbd_credits_init(&c, 4, 16), 0);
	T_EQ(zc_smbd_credits_on_negotiate(&c, 4, 1), 0);
	T_EQ(zc_smbd_credits_post(&c, 4), 0);
	T_EQ(zc_smbd_credits_grant(&c, 4), 0);
	T_EQ(zc_smbd_credits_grantable(&c), 0);
	T_EQ(zc_smbd_credits_grant(&c, 1), -EINVAL);
}

/* Two peers, FIFO links, random application traffic. Each side reposts a
 * buffer for every message consumed and, like MS-SMBD 3.1.5.8 asks,
 * answers promptly when it has credits to grant: with queued data if any,
 * else with a credit-only message. Every message must be accepted by the other side,
 * and all queued application messages must be delivered. */
#define LINK_MAX 4096

struct side {
	struct zc_smbd_credits c;
	struct zc_smbd_data_hdr inbox[LINK_MAX];
	size_t head, tail;
	unsigned pending;   /* application messages waiting for credits */
	unsigned delivered; /* application messages received from the peer */
};

static int side_send(struct side *s, struct side *peer, bool app)
{
	uint16_t g = zc_smbd_credits_grantable(&s->c);
	struct zc_smbd_data_hdr h = { 0 };
	int rc;

	rc = zc_smbd_credits_take_send(&s->c, g, &h);
	if (rc)
		return rc;
	h.data_length = app; /* marks application payload for the counter */
	if (peer->tail - peer->head >= LINK_MAX)
		return -ENOSPC;
	peer->inbox[peer->tail++ % LINK_MAX] = h;
	return 0;
}

static int side_recv(struct side *s, struct side *peer)
{
	struct zc_smbd_data_hdr h = s->inbox[s->head++ % LINK_MAX];
	uint16_t g;
	int rc;

	rc = zc_smbd_credits_on_recv(&s->c, &h);
	if (rc)
		return rc;
	s->delivered += h.data_length;
	T_EQ(zc_smbd_credits_post(&s->c, 1), 0);
	g = zc_smbd_credits_grantable(&s->c);
	if (!g || !zc_smbd_credits_can_send(&s->c, g))
		return 0;
	/* Queued data carries the grant; else a credit-only message, but
	 * only when worth it, or the two sides ping-pong empty messages. */
	if (s->pending) {
		s->pending--;
		return side_send(s, peer, true);
	}
	if (g >= (s->c.recv_target + 1) / 2 || s->c.recv_granted == 0)
		return side_send(s, peer, false);
	return 0;
}

static void check_invariants(const struct side *s)
{
	T_CHECK(s->c.recv_granted <= s->c.recv_posted);
	T_CHECK(s->c.send_credits <= (uint32_t)s->c.send_target + 1);
}

static void simulate(uint16_t ta, uint16_t ma, uint16_t tb, uint16_t mb,
		     uint64_t seed)
{
	static struct side a, b;
	struct side *sides[2] = { &a, &b };
	unsigned sent[2] = { 0, 0 };
	const unsigned target_msgs = 20000;
	struct zc_smbd_data_hdr nh = { 0 };
	long steps;
	int fail = 0;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	/* a initiates: b grants in the response, a in its first message. */
	T_EQ(zc_smbd_credits_init(&a.c, ta, ma), 0);
	T_EQ(zc_smbd_credits_init(&b.c, tb, mb), 0);
	T_EQ(zc_smbd_credits_post(&a.c, ma), 0);
	T_EQ(zc_smbd_credits_post(&b.c, mb), 0);
	T_EQ(zc_smbd_credits_on_negotiate(&b.c, ta, 0), 0);
	nh.credits_granted = zc_smbd_credits_grantable(&b.c);
	T_CHECK(nh.credits_granted > 0);
	T_EQ(zc_smbd_credits_grant(&b.c, nh.credits_granted), 0);
	T_EQ(zc_smbd_credits_on_negotiate(&a.c, tb, nh.credits_granted), 0);

	for (steps = 0; steps < 10000000 && !fail; steps++) {
		int i = (int)(t_rand(&seed) & 1);
		struct side *s = sides[i], *peer = sides[!i];
		uint64_t r = t_rand(&seed) % 8;
		int rc = 0;

		if (a.delivered + b.delivered == 2 * target_msgs &&
		    a.head == a.tail && b.head == b.tail)
			break;
		if (r < 2 && sent[i] < target_msgs) {
			s->pending++;
			sent[i]++;
		} else if (r < 5 && s->pending) {
			rc = side_send(s, peer, true);
			if (rc == 0)
				s->pending--;
			else if (rc == -EAGAIN)
				rc = 0;
		} else if (s->head != s->tail) {
			rc = side_recv(s, peer);
		}
		if (rc) {
			fprintf(stderr, "side %d: rc %d at step %ld\n", i, rc,
				steps);
			fail = 1;
			t_failures++;
		}
		check_invariants(s);
	}
	if (a.delivered != target_msgs || b.delivered != target_msgs)
		fprintf(stderr,
			"simulate(%u,%u,%u,%u) stuck after %ld steps: "
			"a credits %u granted %u pending %u, "
			"b credits %u granted %u pending %u\n",
			ta, ma, tb, mb, steps, a.c.send_credits,
			a.c.recv_granted, a.pending, b.c.send_credits,
			b.c.recv_granted, b.pending);
	T_EQ(a.delivered, target_msgs);
	T_EQ(b.delivered, target_msgs);
}

int main(void)
{
	test_rules();
	test_liveness_grant();
	simulate(10, 10, 10, 10, 1);
	simulate(255, 255, 255, 255, 2);
	simulate(1, 1, 1, 1, 3);     /* a single credit each way */
	simulate(16, 1, 1, 16, 4);   /* requests far above the peer's max */
	simulate(2, 64, 64, 2, 5);
	simulate(3, 2, 5, 7, 6);
	return t_result("smbd_credits");
}
