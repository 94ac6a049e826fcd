/* SPDX-License-Identifier: MIT */
/*
 * The receive stream of a connection, parsed by the progress thread.
 * Stream layout: [u32 length][SMB-Direct message], repeated. Small
 * messages are parsed in place in the connection's buffer (many per
 * receive); a fragment whose payload is large is placed directly: the
 * bytes already buffered are copied, the rest is received straight into
 * the destination (the target's heap for a put, the user's buffer for a
 * get response). Anything malformed drops the connection with the reason.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcp.h"

int zc_tcp_rx_init(struct zc_tcp_rx *rx, size_t cap)
{
	memset(rx, 0, sizeof(*rx));
	rx->buf = malloc(cap);
	rx->cap = cap;
	return rx->buf ? 0 : -ENOMEM;
}

void zc_tcp_rx_fini(struct zc_tcp_rx *rx)
{
	free(rx->buf);
	rx->buf = NULL;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Logs why and returns -EPROTO: the caller drops the connection. */
static int bad(struct zc_tcp_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad(struct zc_tcp_conn *c, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	zc_tcp_clog(c, ZC_LOG_ERROR, "tcp: dropping %s: %s", c->name, why);
	return -EPROTO;
}

static struct zc_tcp_pend *pend_head(struct zc_tcp_conn *c)
{
	return c->pend_head == c->pend_tail ? NULL
					    : &c->pend[c->pend_head % c->pend_cap];
}

/* The ack field of every op message: requests up to it are done. */
static int take_ack(struct zc_tcp_conn *c, uint64_t ack)
{
	int rc = 0;

	pthread_mutex_lock(&c->lock);
	if (ack > c->next_seq)
		rc = -1;
	else if (ack > c->acked)
		atomic_store_explicit(&c->acked, ack, memory_order_release);
	zc_tcp_pend_ack(c);
	pthread_mutex_unlock(&c->lock);
	return rc ? bad(c, "ack of request %lu never sent (last %lu)",
			(unsigned long)ack, (unsigned long)c->next_seq)
		  : 0;
}

/* A response must answer the oldest op still waiting for one. */
static int match_resp(struct zc_tcp_conn *c, const struct zc_msg_hdr *h,
		      char **dst_p)
{
	struct zc_tcp_pend *e;
	int ok;

	pthread_mutex_lock(&c->lock);
	e = pend_head(c);
	ok = e && e->seq == h->seq &&
	     ((h->op == ZC_MSG_GET_RESP && e->kind == ZC_TCP_PEND_GET &&
	       e->len == h->len) ||
	      (h->op == ZC_MSG_AMO_RESP && e->kind == ZC_TCP_PEND_AMO));
	if (ok && dst_p)
		*dst_p = e->dst;
	pthread_mutex_unlock(&c->lock);
	return ok ? 0 : bad(c, "response op %u for request %lu that is not "
			    "waiting", h->op, (unsigned long)h->seq);
}

static void resp_done(struct zc_tcp_conn *c, uint64_t value)
{
	struct zc_tcp_pend *e;

	pthread_mutex_lock(&c->lock);
	e = pend_head(c);
	if (e->old)
		*e->old = value;
	if (e->comp)
		zc_comp_done(e->comp, 0);
	c->pend_head++;
	atomic_fetch_sub(&c->npend, 1);
	zc_tcp_pend_ack(c);
	c->grant_due = true;
	pthread_mutex_unlock(&c->lock);
}

static void reply(struct zc_tcp_conn *c, const struct zc_msg_hdr *req,
		  uint8_t op, const void *data, uint64_t len, uint64_t value)
{
	struct zc_tcp_tx *t = zc_tcp_tx_new(0);

	if (!t) {
		zc_tcp_conn_fail(c, ZC_LOG_ERROR, "out of memory for a reply");
		return;
	}
	t->oh.op = op;
	t->oh.seq = req->seq;
	t->oh.len = len;
	t->oh.value = value;
	t->data = data;
	t->dlen = len;
	pthread_mutex_lock(&c->lock);
	zc_tcp_tx_enqueue(c, t);
	pthread_mutex_unlock(&c->lock);
}

/* A request or response whose payload (if any) is in place. */
static int op_done(struct zc_tcp_conn *c, const struct zc_msg_hdr *h)
{
	struct zc_prov *p = c->prov;
	uint64_t old = 0;
	bool want = c->rx.want_ack;

	c->rx.want_ack = false;
	if (h->op == ZC_MSG_GET_RESP || h->op == ZC_MSG_AMO_RESP) {
		resp_done(c, h->value);
		return 0;
	}
	if (h->op == ZC_MSG_ACK) {
		/* A requester's quiet asks (RESPONSE_REQUESTED): answer. */
		if (want) {
			pthread_mutex_lock(&c->lock);
			c->ack_due = true;
			pthread_mutex_unlock(&c->lock);
		}
		return 0;
	}
	if (h->op == ZC_MSG_BYE) {
		__atomic_store_n(&c->bye, true, __ATOMIC_RELEASE);
		/* A requester's goodbye follows its last request: answer
		 * behind my last reply, and it may close (zc_tcp_close). */
		if (!c->initiator) {
			pthread_mutex_lock(&c->lock);
			zc_tcp_tx_bye(c);
			pthread_mutex_unlock(&c->lock);
		}
		return 0;
	}
	/* PUT, PUT_SIGNAL, GET, AMO: the peer's requests, in order. */
	if (zc_tcp_params.test_delay_us > 0)
		usleep((useconds_t)zc_tcp_params.test_delay_us);
	switch (h->op) {
	case ZC_MSG_GET:
		reply(c, h, ZC_MSG_GET_RESP, p->heap + h->off, h->len, 0);
		break;
	case ZC_MSG_AMO:
		old = zc_msg_amo_apply(p->heap, h);
		if (h->flags & ZC_MSG_F_FETCH)
			reply(c, h, ZC_MSG_AMO_RESP, NULL, 0, old);
		break;
	case ZC_MSG_PUT_SIGNAL:
		/* The payload is in place: now the signal. */
		zc_msg_signal_apply(p->heap, h);
		break;
	default:
		break;
	}
	__atomic_store_n(&c->rx_seq, h->seq, __ATOMIC_RELAXED);
	/* Acknowledged when asked (a blocking op, a quiet); otherwise by
	 * whatever goes back next: a reply, a credit grant. */
	if (want) {
		pthread_mutex_lock(&c->lock);
		c->ack_due = true;
		pthread_mutex_unlock(&c->lock);
	}
	return 0;
}

/* Checks a new op message's header; sets where its payload goes. */
static int op_begin(struct zc_tcp_conn *c, const unsigned char *oh,
		    uint64_t total, char **dst_p)
{
	struct zc_prov *p = c->prov;
	struct zc_msg_hdr *h = &c->rx.cur;
	const char *why;
	int rc;

	rc = zc_msg_hdr_decode(oh, ZC_MSG_HDR_SIZE, total, p->heap_size,
				 h, &why);
	if (rc)
		return bad(c, "%s (op %u, offset %lu, length %lu)", why, oh[0],
			   (unsigned long)h->off, (unsigned long)h->len);
	*dst_p = NULL;
	if (c->state == ZC_TCP_WAIT_AUTH)
		return h->op == ZC_MSG_AUTH ? 0 :
			bad(c, "op %u before authentication", h->op);
	if (h->op == ZC_MSG_AUTH)
		return bad(c, "a second authentication");
	/* Requests travel on the requester's out connection, responses
	 * come back on it; nothing else goes either way. */
	if (c->initiator ? (h->op == ZC_MSG_PUT || h->op == ZC_MSG_GET ||
			    h->op == ZC_MSG_AMO ||
			    h->op == ZC_MSG_PUT_SIGNAL) :
			   (h->op == ZC_MSG_GET_RESP ||
			    h->op == ZC_MSG_AMO_RESP))
		return bad(c, "op %u in the wrong direction", h->op);
	rc = take_ack(c, h->ack);
	if (rc)
		return rc;
	/* Anything but an ACK earns the sender credits back (an ACK for an
	 * ACK would never end). */
	if (h->op != ZC_MSG_ACK)
		c->grant_due = true;
	switch (h->op) {
	case ZC_MSG_PUT:
	case ZC_MSG_PUT_SIGNAL:
	case ZC_MSG_GET:
	case ZC_MSG_AMO:
		if (h->seq != c->rx_seq + 1)
			return bad(c, "request %lu out of sequence (want %lu)",
				   (unsigned long)h->seq,
				   (unsigned long)c->rx_seq + 1);
		*dst_p = p->heap + h->off;
		break;
	case ZC_MSG_GET_RESP:
		return match_resp(c, h, dst_p);
	case ZC_MSG_AMO_RESP:
		return match_resp(c, h, NULL);
	default:
		break;
	}
	return 0;
}

/* Handshake messages are not data transfer messages: no credits. */
static int parse_handshake(struct zc_tcp_conn *c, const unsigned char *m,
			   uint32_t len)
{
	if (c->state == ZC_TCP_WAIT_HELLO)
		return zc_tcp_on_hello(c, m, len);
	return zc_tcp_on_resp(c, m, len);
}

static int credit_in(struct zc_tcp_conn *c, const struct zc_smbd_data_hdr *h)
{
	int rc;

	pthread_mutex_lock(&c->lock);
	rc = zc_smbd_credits_on_recv(&c->cred, h);
	if (!rc)
		rc = zc_smbd_credits_post(&c->cred, 1);
	/* Asked for an answer: a credits-only message (keepalive) at
	 * once, an op message once it is served (op_done). */
	if (h->flags & ZC_SMBD_FLAG_RESPONSE_REQUESTED) {
		c->grant_due = true;
		if (h->data_length)
			c->rx.want_ack = true;
		else
			c->ack_due = true;
	}
	pthread_mutex_unlock(&c->lock);
	return rc ? bad(c, "credit rule broken: sent without a credit, or "
			"granted more than asked") : 0;
}

/* Parses what is buffered. Returns 0 (need more bytes, or a direct
 * receive is set up) or negative (connection to drop, logged). */
static int parse(struct zc_tcp_conn *c)
{
	struct zc_tcp_rx *rx = &c->rx;
	const size_t frame = ZC_TCP_PREFIX_SIZE + ZC_SMBD_DATA_OFFSET;

	for (;;) {
		size_t avail = rx->tail - rx->head;
		unsigned char *m = rx->buf + rx->head;
		struct zc_smbd_data_hdr h;
		const uint8_t *pl;
		uint32_t len;
		int rc;

		if (rx->frag_left) {
			size_t n = avail < rx->frag_left ? avail : rx->frag_left;

			if (!c->initiator)
				ZC_PEER_ACCESS_BEGIN();
			memcpy(rx->cur_dst, m, n);
			if (!c->initiator)
				ZC_PEER_ACCESS_END();
			rx->cur_dst += n;
			rx->head += n;
			rx->frag_left -= (uint32_t)n;
			if (rx->frag_left) {
				rx->dptr = rx->cur_dst;
				rx->dleft = rx->frag_left;
				return 0;
			}
			if (rx->cur_left == 0) {
				rx->in_msg = false;
				rc = op_done(c, &rx->cur);
				if (rc)
					return rc;
			}
			continue;
		}
		if (avail < ZC_TCP_PREFIX_SIZE)
			return 0;
		len = le32(m);
		if (c->state == ZC_TCP_WAIT_HELLO || c->state == ZC_TCP_WAIT_RESP) {
			if (len > 256)
				return bad(c, "handshake message of %u bytes", len);
			if (avail < ZC_TCP_PREFIX_SIZE + len)
				return 0;
			rx->head += ZC_TCP_PREFIX_SIZE + len;
			rc = parse_handshake(c, m + ZC_TCP_PREFIX_SIZE, len);
			if (rc)
				return rc;
			continue;
		}
		if (len < ZC_SMBD_DATA_HDR_SIZE || len > c->lim.max_receive_size)
			return bad(c, "message of %u bytes (limit %u)", len,
				   c->lim.max_receive_size);
		if (avail < ZC_TCP_PREFIX_SIZE + ZC_SMBD_DATA_HDR_SIZE)
			return 0;
		/* The codec reads only the 20-byte header; len is the
		 * message size the prefix announced. */
		rc = zc_smbd_data_decode(m + ZC_TCP_PREFIX_SIZE, len,
					 c->lim.max_receive_size,
					 c->lim.max_fragmented_recv_size, &h, &pl);
		if (rc)
			return bad(c, "bad data transfer header (%s)",
				   strerror(-rc));
		if (h.data_length ?
		    (h.data_offset != ZC_SMBD_DATA_OFFSET ||
		     len != ZC_SMBD_DATA_OFFSET + h.data_length) :
		    (len != ZC_SMBD_DATA_HDR_SIZE || h.remaining_data_length))
			return bad(c, "data transfer layout offset %u length "
				   "%u remaining %u in %u bytes", h.data_offset,
				   h.data_length, h.remaining_data_length, len);
		if (!h.data_length) {
			/* Credits (or a keepalive) only. */
			rx->head += ZC_TCP_PREFIX_SIZE + len;
			rc = credit_in(c, &h);
			if (rc)
				return rc;
			continue;
		}
		if (rx->in_msg) {
			if (avail < frame)
				return 0;
			if ((uint64_t)h.data_length + h.remaining_data_length !=
			    rx->cur_left)
				return bad(c, "fragment of %u + %u bytes, "
					   "%lu expected", h.data_length,
					   h.remaining_data_length,
					   (unsigned long)rx->cur_left);
			rc = credit_in(c, &h);
			if (rc)
				return rc;
			/* A long message spends credits with nothing to ack
			 * yet: grant back as it comes, or it stalls. */
			c->grant_due = true;
			rx->head += frame;
			rx->frag_left = h.data_length;
			rx->cur_left -= h.data_length;
			continue;
		}
		/* First fragment: it starts with the op header. */
		{
			uint64_t total = (uint64_t)h.data_length +
					 h.remaining_data_length;
			bool whole = h.remaining_data_length == 0 &&
				     h.data_length - ZC_MSG_HDR_SIZE <
					     zc_tcp_params.direct_min;
			char *dst;

			if (h.data_length < ZC_MSG_HDR_SIZE)
				return bad(c, "first fragment of %u bytes holds "
					   "no op header", h.data_length);
			if (avail < (whole ? ZC_TCP_PREFIX_SIZE + len :
				     frame + ZC_MSG_HDR_SIZE))
				return 0;
			rc = credit_in(c, &h);
			if (!rc)
				rc = op_begin(c, m + frame, total, &dst);
			if (rc)
				return rc;
			if (c->state == ZC_TCP_WAIT_AUTH) {
				if (!whole)
					return bad(c, "fragmented authentication");
				rx->head += ZC_TCP_PREFIX_SIZE + len;
				rc = zc_tcp_on_auth(c, &rx->cur,
						    m + frame + ZC_MSG_HDR_SIZE);
				if (rc)
					return rc;
				continue;
			}
			if (rx->cur.op != ZC_MSG_PUT &&
			    rx->cur.op != ZC_MSG_PUT_SIGNAL &&
			    rx->cur.op != ZC_MSG_GET_RESP)
				dst = NULL;
			rx->head += frame + ZC_MSG_HDR_SIZE;
			rx->in_msg = total > ZC_MSG_HDR_SIZE;
			rx->cur_dst = dst;
			rx->cur_left = total - h.data_length;
			rx->frag_left = h.data_length - ZC_MSG_HDR_SIZE;
			if (!rx->in_msg) {
				rc = op_done(c, &rx->cur);
				if (rc)
					return rc;
			}
		}
	}
}

void zc_tcp_on_recv(struct zc_tcp_conn *c, int res)
{
	struct zc_tcp_rx *rx = &c->rx;
	int rc;

	if (c->state == ZC_TCP_DEAD)
		return;
	/* Nothing a dead rank sends is acted on, not even what was queued
	 * before its other direction failed. */
	if (c->state == ZC_TCP_UP && zc_tcp_rank_dead(c)) {
		zc_tcp_conn_fail(c, ZC_LOG_WARN, "the rank was declared dead: "
				 "its traffic is ignored");
		return;
	}
	if (res <= 0) {
		char why[96];
		bool quiet_bye = c->bye;

		if (res == 0)
			snprintf(why, sizeof(why), "%s",
				 c->bye ? "closed by the peer" :
				 "the peer closed the connection unexpectedly");
		else
			snprintf(why, sizeof(why), "recv: %s", strerror(-res));
		/* After a goodbye, whatever ends the stream is no news. */
		zc_tcp_conn_fail(c, quiet_bye ? ZC_LOG_DEBUG :
				 c->state == ZC_TCP_UP ? ZC_LOG_ERROR :
				 ZC_LOG_WARN, why);
		return;
	}
	c->last_rx_ms = zc_tcp_now_ms();
	c->ka_sent_ms = 0;
	if (rx->dleft) {
		rx->dptr += res;
		rx->dleft -= (size_t)res;
		rx->cur_dst += res;
		rx->frag_left -= (uint32_t)res;
		if (!rx->dleft && !rx->cur_left) {
			rx->in_msg = false;
			rc = op_done(c, &rx->cur);
			if (rc) {
				zc_tcp_conn_fail(c, ZC_LOG_ERROR, NULL);
				return;
			}
		}
	} else {
		rx->tail += (size_t)res;
	}
	if (!rx->dleft) {
		rc = parse(c);
		if (rc) {
			zc_tcp_conn_fail(c, ZC_LOG_ERROR, NULL);
			return;
		}
	}
	if (rx->head == rx->tail)
		rx->head = rx->tail = 0;
	/* The next receive goes to the kernel with the ack or reply below,
	 * in one submission (or alone, at the end). */
	if (c->state != ZC_TCP_DEAD && zc_tcp_prep_recv(c)) {
		zc_tcp_conn_fail(c, ZC_LOG_ERROR, "cannot post a receive");
		return;
	}
	if (c->state == ZC_TCP_UP) {
		pthread_mutex_lock(&c->lock);
		uint16_t g = zc_smbd_credits_grantable(&c->cred);

		/* Ack served requests; grant credits back when the peer
		 * spent half of them, or all (it cannot even ask). */
		if (!c->txq && (c->ack_due ||
				(g && c->cred.recv_granted == 0) ||
				(c->grant_due && g >= (c->cred.recv_target + 1) / 2)))
			zc_tcp_tx_ack(c, 0);
		zc_tcp_tx_kick(c);
		pthread_mutex_unlock(&c->lock);
	}
	/* The application thread submits the receive at its next poll
	 * (zc_tcp_drive): a message already there then completes inline,
	 * one system call instead of two and no wake-up to arm. */
	if (c->ring == &c->prov->prog_ring &&
	    atomic_load_explicit(&c->prov->prog_owner, memory_order_relaxed) ==
	    ZC_TCP_OWN_APP_BUSY)
		return;
	if (io_uring_sq_ready(c->ring) && zc_tcp_submit(c->ring))
		zc_tcp_conn_fail(c, ZC_LOG_ERROR, "cannot post a receive");
}
