/* SPDX-License-Identifier: MIT */
/*
 * The SMB-Direct channel on a QP's send/receive queues: each receive
 * buffer posted is a credit granted to the peer; each data transfer
 * message spends one of the peer's, carries the op message (an atomic
 * request or response, a goodbye) or only credits, and grants back what
 * we have reposted. The target side of an atomic runs here, on the
 * progress thread: decoded and range-checked by the shared codec, then
 * executed by the shared atomic agent (a CPU atomic on the heap).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "verbs.h"

static unsigned char *rbuf(struct zc_verbs_conn *c, uint32_t idx)
{
	return c->rbuf + (size_t)idx * ZC_VERBS_MSG_SIZE;
}

int zc_verbs_post_recv(struct zc_verbs_conn *c, uint32_t idx)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)rbuf(c, idx), .length = ZC_VERBS_MSG_SIZE,
		.lkey = c->prov->ctl_mr->lkey,
	};
	struct ibv_recv_wr wr = {
		.wr_id = (uint64_t)c->rank << 16 | idx, .sg_list = &sge,
		.num_sge = 1,
	};
	struct ibv_recv_wr *bad;
	int rc = ibv_post_recv(c->qp, &wr, &bad);

	if (rc) {
		zc_err("verbs: ibv_post_recv for %s: %s", c->name, strerror(rc));
		return -rc;
	}
	return 0;
}

/* Posts len bytes from the next send buffer (c->lock held, slot
 * reserved, buffer free: checked by the callers). */
static int post_sbuf(struct zc_verbs_conn *c, size_t len)
{
	struct zc_prov *p = c->prov;
	unsigned char *b = c->sbuf + (size_t)(c->sb_head % p->nsbuf) *
				     ZC_VERBS_MSG_SIZE;
	struct ibv_sge sge = { .addr = (uintptr_t)b, .length = (uint32_t)len,
			       .lkey = p->ctl_mr->lkey };
	struct ibv_send_wr wr = {
		.sg_list = &sge, .num_sge = 1, .opcode = IBV_WR_SEND,
		.send_flags = len <= p->inline_max ? IBV_SEND_INLINE : 0,
	};
	struct zc_verbs_wr slot = { .kind = ZC_VERBS_WR_SEND, .bounce = -1 };
	/* Send buffers come back only when a signaled WR retires them:
	 * signal when half of them are out. */
	bool sig = c->sb_head - c->sb_tail + 1 >= p->nsbuf / 2;
	int rc = zc_verbs_sq_post(c, &wr, &slot, sig);

	if (!rc)
		c->sb_head++;
	return rc;
}

static unsigned char *next_sbuf(struct zc_verbs_conn *c)
{
	struct zc_prov *p = c->prov;

	if (c->sb_head - c->sb_tail >= p->nsbuf)
		return NULL;
	return c->sbuf + (size_t)(c->sb_head % p->nsbuf) * ZC_VERBS_MSG_SIZE;
}

int zc_verbs_send_raw(struct zc_verbs_conn *c, const void *m, size_t len)
{
	unsigned char *b;
	int rc = zc_verbs_sq_reserve(c);

	if (rc)
		return rc;
	b = next_sbuf(c);
	if (!b)
		return -EAGAIN;
	memcpy(b, m, len);
	return post_sbuf(c, len);
}

/* Never waits: -EAGAIN when the send queue, the send buffers or the
 * peer's credits are short (the queue is kicked again when they come). */
static int send_msg(struct zc_verbs_conn *c, const struct zc_msg_hdr *h)
{
	struct zc_smbd_data_hdr dh = { 0 };
	unsigned char *b;
	uint16_t g;
	int n;

	if (c->state == ZC_VERBS_DEAD)
		return -ZC_EPEERDEAD;
	if (c->sq_head - c->sq_tail >= (uint32_t)zc_verbs_params.sq_depth ||
	    atomic_load_explicit(&c->prov->scq_inflight,
				 memory_order_relaxed) >= c->prov->scq_size)
		return -EAGAIN;
	b = next_sbuf(c);
	g = zc_smbd_credits_grantable(&c->cred);
	if (!b || zc_smbd_credits_take_send(&c->cred, g, &dh))
		return -EAGAIN;
	if (h) {
		dh.data_offset = ZC_SMBD_DATA_OFFSET;
		dh.data_length = ZC_MSG_HDR_SIZE;
	}
	n = zc_smbd_data_encode(&dh, b, ZC_VERBS_MSG_SIZE);
	if (n < 0)
		return n;
	if (h)
		zc_msg_hdr_encode(h, b + n);
	c->grant_due = false;
	return post_sbuf(c, (size_t)n + (h ? ZC_MSG_HDR_SIZE : 0));
}

static uint32_t outq_cap(void)
{
	return 2 * (uint32_t)zc_verbs_params.credits + 4;
}

void zc_verbs_chan_kick(struct zc_verbs_conn *c)
{
	uint16_t g;

	if (c->self)
		return;	/* a loopback for device atomics has no channel */
	while (c->oq_head != c->oq_tail) {
		int rc = send_msg(c, &c->outq[c->oq_head % outq_cap()]);

		if (rc == -EAGAIN)
			return;
		if (rc) {
			zc_verbs_conn_fail_locked(c, ZC_LOG_ERROR, "cannot send "
						  "a control message");
			return;
		}
		c->oq_head++;
	}
	/* Credits back when the peer spent half of what it may hold, or
	 * all (then it cannot even ask), or sent us anything: if the send
	 * queue is short now, grant_due stays and the next kick (a retired
	 * WR, a receive, the progress thread's tick) sends it. */
	g = zc_smbd_credits_grantable(&c->cred);
	/* Not after a goodbye, either way: the peer sends nothing more, and
	 * a grant behind mine could meet its disconnect. */
	if (c->state == ZC_VERBS_UP && g && !c->bye && !c->bye_sent &&
	    (c->cred.recv_granted == 0 || c->grant_due ||
	     g >= (c->cred.recv_target + 1) / 2))
		(void)send_msg(c, NULL);
}

/* Requests are at most credits in flight (the pending table), responses
 * at most what the peer asked: the queue cannot overflow unless the
 * peer broke the credit rules. */
int zc_verbs_send_msg(struct zc_verbs_conn *c, const struct zc_msg_hdr *h)
{
	if (c->state == ZC_VERBS_DEAD)
		return -ZC_EPEERDEAD;
	if (c->oq_tail - c->oq_head >= outq_cap())
		return -ENOBUFS;
	c->outq[c->oq_tail++ % outq_cap()] = *h;
	zc_verbs_chan_kick(c);
	return 0;
}

/* Logs and fails the connection: the peer broke the protocol (c->lock
 * held). */
static void bad(struct zc_verbs_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void bad(struct zc_verbs_conn *c, const char *fmt, ...)
{
	char why[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	zc_verbs_conn_fail_locked(c, ZC_LOG_ERROR, why);
}

/* A request of the peer: executed here, answered with one response. */
static int serve(struct zc_verbs_conn *c, const struct zc_msg_hdr *h)
{
	struct zc_msg_hdr r = { .op = ZC_MSG_AMO_RESP, .seq = h->seq };

	if (h->seq != c->rx_seq + 1) {
		bad(c, "request %lu out of sequence (want %lu)",
		    (unsigned long)h->seq, (unsigned long)c->rx_seq + 1);
		return -EPROTO;
	}
	c->rx_seq = h->seq;
	r.value = zc_msg_amo_apply(c->prov->heap, h);
	return zc_verbs_send_msg(c, &r);
}

static int on_msg(struct zc_verbs_conn *c, const struct zc_smbd_data_hdr *dh,
		  const uint8_t *pl)
{
	struct zc_prov *p = c->prov;
	struct zc_msg_hdr h;
	const char *why;
	int rc;

	if (dh->remaining_data_length) {
		bad(c, "fragmented op message (%u + %u bytes): verbs carries "
		    "op headers only", dh->data_length,
		    dh->remaining_data_length);
		return -EPROTO;
	}
	rc = zc_msg_hdr_decode(pl, dh->data_length, dh->data_length,
			       p->heap_size, &h, &why);
	if (rc) {
		bad(c, "%s (op %u, offset %lu, length %lu)", why, pl[0],
		    (unsigned long)h.off, (unsigned long)h.len);
		return rc;
	}
	switch (h.op) {
	case ZC_MSG_AMO:
		return serve(c, &h);
	case ZC_MSG_AMO_RESP:
		return zc_verbs_pend_done(c, &h);
	case ZC_MSG_ACK:
		return 0;
	case ZC_MSG_BYE:
		__atomic_store_n(&c->bye, true, __ATOMIC_RELEASE);
		return 0;
	default:
		bad(c, "op %u is not carried by the verbs channel (puts and "
		    "gets are RDMA WRITE and READ)", h.op);
		return -EPROTO;
	}
}

int zc_verbs_grant_initial(struct zc_verbs_conn *c)
{
	/* A negotiate request grants nothing: the responder may not send
	 * until our first data transfer message grants it credits. */
	return send_msg(c, NULL);
}

void zc_verbs_on_recv(struct zc_verbs_conn *c, const struct ibv_wc *wc)
{
	uint32_t idx = (uint32_t)(wc->wr_id & 0xffff);
	const unsigned char *m = rbuf(c, idx);
	struct zc_smbd_data_hdr dh;
	const uint8_t *pl;
	int rc;

	if (c->state == ZC_VERBS_DEAD)
		return;
	if (wc->status != IBV_WC_SUCCESS) {
		char why[160];

		snprintf(why, sizeof(why), "receive failed: %s (status %d)",
			 ibv_wc_status_str(wc->status), wc->status);
		zc_verbs_conn_fail(c, wc->status == IBV_WC_WR_FLUSH_ERR ?
				   ZC_LOG_DEBUG : ZC_LOG_ERROR, why);
		return;
	}
	pthread_mutex_lock(&c->lock);
	/* The negotiate request may beat the ESTABLISHED event here. */
	if (c->state == ZC_VERBS_NEGOTIATING ||
	    c->state == ZC_VERBS_CONNECTING) {
		rc = zc_verbs_on_negotiate(c, m, wc->byte_len);
		if (!rc)
			rc = zc_verbs_post_recv(c, idx);
		if (rc && c->state != ZC_VERBS_DEAD)
			bad(c, "negotiate failed (%s)", zc_strerror(rc));
		pthread_mutex_unlock(&c->lock);
		return;
	}
	rc = zc_smbd_data_decode(m, wc->byte_len, c->lim.max_receive_size,
				 c->lim.max_fragmented_recv_size, &dh, &pl);
	if (rc) {
		bad(c, "bad data transfer message of %u bytes (%s)",
		    wc->byte_len, strerror(-rc));
		pthread_mutex_unlock(&c->lock);
		return;
	}
	rc = zc_smbd_credits_on_recv(&c->cred, &dh);
	if (rc) {
		bad(c, "credit rule broken: sent without a credit, or granted "
		    "more than asked");
		pthread_mutex_unlock(&c->lock);
		return;
	}
	rc = zc_verbs_post_recv(c, idx);
	if (!rc)
		rc = zc_smbd_credits_post(&c->cred, 1);
	if (dh.flags & ZC_SMBD_FLAG_RESPONSE_REQUESTED || dh.data_length)
		c->grant_due = true;
	if (!rc && dh.data_length)
		rc = on_msg(c, &dh, pl);
	if (!rc && c->state == ZC_VERBS_UP)
		zc_verbs_chan_kick(c);
	if (rc && c->state != ZC_VERBS_DEAD)
		bad(c, "cannot answer the peer (%s)", zc_strerror(rc));
	pthread_mutex_unlock(&c->lock);
}

int zc_verbs_poll_rcq(struct zc_prov *p)
{
	struct ibv_wc wc[16];
	int n, total = 0;

	do {
		n = ibv_poll_cq(p->rcq, 16, wc);
		for (int i = 0; i < n; i++) {
			int rank = (int)(wc[i].wr_id >> 16);

			if (rank >= 0 && rank < p->size)
				zc_verbs_on_recv(&p->conns[rank], &wc[i]);
		}
		total += n > 0 ? n : 0;
	} while (n == 16);
	return total;
}
