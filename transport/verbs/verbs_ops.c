/* SPDX-License-Identifier: MIT */
/*
 * The initiator side: put = RDMA WRITE (inline up to the device's limit),
 * get = RDMA READ, both straight into or out of the target's registered
 * heap; atomics = requests on the SMB-Direct channel, executed by the
 * target's agent and answered one response each. A blocking put returns
 * as soon as its source may be reused (inline or bounce copy: at once),
 * quiet waits for every WR to retire and every atomic to be answered
 * (on iWARP after a READ behind the WRITEs: see post_marker).
 * Fence: RC executes a WRITE or SEND after every earlier WRITE and SEND
 * of its QP, but may execute it before an earlier READ or device atomic
 * has read its target; and an atomic of the channel is executed by the
 * target's CPU after its SEND arrived. So fence sets IBV_SEND_FENCE on a
 * connection's next WR while READs or device atomics are outstanding,
 * and waits for the channel atomics' responses (nothing else).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verbs.h"

static struct zc_verbs_conn *conn_up(struct zc_prov *p, int rank)
{
	struct zc_verbs_conn *c = &p->conns[rank];

	return c->state == ZC_VERBS_UP ? c : NULL;
}

/* Largest RDMA transfer one WR moves. */
static size_t max_rw(const struct zc_prov *p)
{
	size_t m = p->dev.port_attr.max_msg_sz;

	return m && m < (1u << 30) ? m : (1u << 30);
}

enum rma_kind { RMA_PUT, RMA_GET };

static int rma(struct zc_prov *p, int rank, enum rma_kind kind, uint64_t off,
	       char *buf, size_t len, struct zc_comp *comp)
{
	struct zc_verbs_conn *c = conn_up(p, rank);
	bool put = kind == RMA_PUT;
	bool inl = put && len <= p->inline_max;
	struct zc_verbs_lkey k = { .bounce = -1 };
	size_t done = 0;
	int rc = 0;

	if (!c)
		return -ZC_EPEERDEAD;
	if (!len)
		return 0;
	if (!inl) {
		rc = zc_verbs_mem_get(p, buf, len, put, &k);
		if (rc)
			return rc;
	}
	pthread_mutex_lock(&c->lock);
	do {
		size_t n = len - done < max_rw(p) ? len - done : max_rw(p);
		bool last = done + n == len;
		struct ibv_sge sge = {
			.addr = inl ? (uintptr_t)buf : k.addr + done,
			.length = (uint32_t)n, .lkey = k.lkey,
		};
		struct ibv_send_wr wr = {
			.sg_list = &sge, .num_sge = 1,
			.opcode = put ? IBV_WR_RDMA_WRITE : IBV_WR_RDMA_READ,
			.send_flags = inl ? IBV_SEND_INLINE : 0,
			.wr.rdma = { .remote_addr = c->raddr + off + done,
				     .rkey = c->rkey },
		};
		/* The last WR holds the buffer; a put's source is free now
		 * unless the NIC still reads it (heap or registered). */
		bool early = put && (inl || k.bounce >= 0);
		struct zc_verbs_wr slot = {
			.kind = put ? ZC_VERBS_WR_WRITE : ZC_VERBS_WR_READ,
			.bounce = last ? k.bounce : -1,
			.rce = last ? k.rce : NULL,
			.comp = last && !early ? comp : NULL,
			.copy_to = last && !put && k.bounce >= 0 ? buf : NULL,
			.len = (uint32_t)n,
		};

		rc = zc_verbs_sq_reserve(c);
		if (!rc)
			rc = zc_verbs_sq_post(c, &wr, &slot, false);
		done += n;
	} while (!rc && done < len);
	pthread_mutex_unlock(&c->lock);
	if (rc) {
		/* Nothing holds the buffer if the last WR was not posted. */
		zc_verbs_mem_put(p, k.bounce, k.rce);
		return rc;
	}
	if (comp && put && (inl || k.bounce >= 0))
		zc_comp_done(comp, 0);
	return ZC_INPROGRESS;
}

int zc_verbs_put(struct zc_prov *p, int rank, uint64_t off, const void *src,
		 size_t len, struct zc_comp *comp)
{
	/* The source is only read (the cast serves the shared loop). */
	return rma(p, rank, RMA_PUT, off, (char *)src, len, comp);
}

int zc_verbs_get(struct zc_prov *p, int rank, uint64_t off, void *dst,
		 size_t len, struct zc_comp *comp)
{
	return rma(p, rank, RMA_GET, off, dst, len, comp);
}

/* Every atomic to c answered (executed at its target). */
static void wait_atomics(struct zc_verbs_conn *c)
{
	unsigned spins = 0;

	while (atomic_load_explicit(&c->npend, memory_order_acquire) &&
	       c->state == ZC_VERBS_UP)
		zc_verbs_wait_turn(c->prov, &spins);
}

/* Device atomics travel in the send queue, in order with the WRITEs; the
 * fence bit on a connection's next WR keeps it behind earlier READs and
 * atomics still answering. Only then: a fenced WR waits for every
 * earlier WR's acknowledgement (rxe), a round trip that WRITE after
 * WRITE does not need. */
static void fence_conn(struct zc_verbs_conn *c)
{
	if (c->state != ZC_VERBS_UP)
		return;
	pthread_mutex_lock(&c->lock);
	c->fence_next = c->rd_out != 0;
	pthread_mutex_unlock(&c->lock);
}

int zc_verbs_fence(struct zc_prov *p)
{
	/* Every bit first, then the waits, so that they overlap. */
	for (int r = 0; r < p->size; r++)
		fence_conn(&p->conns[r]);
	for (int r = 0; r < p->size; r++)
		wait_atomics(&p->conns[r]);
	return 0;
}

/* The data's WRITEs, a fence of this connection (what core's put,
 * fence, amo would do, without the other ranks' connections: OpenSHMEM
 * orders the signal after the data to the same rank only), then the
 * signal behind them on the same QP, which RC executes after
 * them. SET is an 8-byte WRITE: OpenSHMEM asks a signal to be atomic
 * with signals of the same operator, signal fetches and waits, which an
 * aligned 8-byte WRITE is; so no target CPU wakes for it and no device
 * compare-swap loop runs (the collectives' cells are SET signals). ADD
 * is the atomic it is, the device's or the channel's. */
int zc_verbs_put_signal(struct zc_prov *p, int rank, uint64_t off,
			const void *src, size_t len, uint64_t sig_off,
			enum zc_amo_op sig_op, uint64_t sig_value,
			struct zc_comp *comp)
{
	int rc = rma(p, rank, RMA_PUT, off, (char *)src, len, comp);

	if (rc < 0)
		return rc;
	fence_conn(&p->conns[rank]);
	wait_atomics(&p->conns[rank]);
	if (sig_op == ZC_AMO_SET)
		rc = rma(p, rank, RMA_PUT, sig_off, (char *)&sig_value,
			 sizeof(sig_value), NULL);
	else
		rc = zc_verbs_amo(p, rank, sig_off, sig_op, 8, sig_value, 0,
				  NULL, NULL);
	return rc < 0 ? rc : ZC_INPROGRESS;
}

static uint32_t pend_cap(void)
{
	return (uint32_t)zc_verbs_params.credits;
}

/* Waits (lock dropped) for the peer's credits or responses, at most the
 * peer timeout: a live peer's progress thread answers at once. */
static int wait_peer(struct zc_verbs_conn *c, long long *since)
{
	long long now = zc_verbs_now_ms();

	if (!*since)
		*since = now;
	if (now - *since > c->prov->peer_timeout_ms) {
		zc_verbs_conn_fail_locked(c, ZC_LOG_ERROR, "no credits or "
					  "responses from the peer within "
					  "ZC_PEER_TIMEOUT");
		return -ZC_EPEERDEAD;
	}
	pthread_mutex_unlock(&c->lock);
	zc_verbs_wait_turn(c->prov, &c->prov->wait_spins);
	pthread_mutex_lock(&c->lock);
	return c->state == ZC_VERBS_UP ? 0 : -ZC_EPEERDEAD;
}

int zc_verbs_amo(struct zc_prov *p, int rank, uint64_t off,
		 enum zc_amo_op op, size_t width, uint64_t value, uint64_t cmp,
		 uint64_t *old, struct zc_comp *comp)
{
	struct zc_verbs_conn *c = conn_up(p, rank);
	struct zc_msg_hdr h = {
		.op = ZC_MSG_AMO, .flags = old ? ZC_MSG_F_FETCH : 0,
		.width = (uint8_t)width, .amo = (uint8_t)op, .off = off,
		.value = value, .cmp = cmp,
	};
	long long since = 0;
	int rc = 0;

	if (p->amo_device)
		return zc_verbs_amo_dev(p, rank, off, op, width, value, cmp,
					old, comp);
	if (!c)
		return -ZC_EPEERDEAD;
	pthread_mutex_lock(&c->lock);
	while (!rc && c->pend_tail - c->pend_head >= pend_cap())
		rc = wait_peer(c, &since);
	if (!rc) {
		struct zc_verbs_pend *e = &c->pend[c->pend_tail % pend_cap()];

		h.seq = c->next_seq + 1;
		*e = (struct zc_verbs_pend){ .seq = h.seq, .comp = comp,
					     .old = old,
					     .sent_ms = zc_verbs_now_ms() };
		/* Entered before the send: the response may beat us back. */
		c->pend_tail++;
		atomic_fetch_add(&c->npend, 1);
		while ((rc = zc_verbs_send_msg(c, &h)) == -ENOBUFS &&
		       !(rc = wait_peer(c, &since)))
			;
		if (!rc)
			c->next_seq = h.seq;
		else if (c->state != ZC_VERBS_DEAD)
			zc_verbs_conn_fail_locked(c, ZC_LOG_ERROR,
						  "cannot send an atomic");
	}
	pthread_mutex_unlock(&c->lock);
	return rc ? rc : ZC_INPROGRESS;
}

int zc_verbs_pend_done(struct zc_verbs_conn *c, const struct zc_msg_hdr *h)
{
	struct zc_verbs_pend *e = &c->pend[c->pend_head % pend_cap()];

	if (c->pend_head == c->pend_tail || e->seq != h->seq) {
		zc_verbs_conn_fail_locked(c, ZC_LOG_ERROR, "a response to an "
					  "atomic that is not waiting");
		return -EPROTO;
	}
	if (e->old)
		*e->old = h->value;
	if (e->comp)
		zc_comp_done(e->comp, 0);
	c->pend_head++;
	atomic_fetch_sub_explicit(&c->npend, 1, memory_order_release);
	return 0;
}

void zc_verbs_pend_fail(struct zc_verbs_conn *c, int err)
{
	struct zc_prov *p = c->prov;

	while (c->pend_head != c->pend_tail) {
		struct zc_verbs_pend *e = &c->pend[c->pend_head % pend_cap()];

		if (e->comp)
			zc_comp_done(e->comp, err);
		else
			atomic_compare_exchange_strong(&p->nbi_err,
						       &(int){ 0 }, err);
		c->pend_head++;
	}
	atomic_store(&c->npend, 0);
}

void zc_verbs_wait_turn(struct zc_prov *p, unsigned *spins)
{
	/* Core's backoff: the same pauses, yields and sleeps as every other
	 * zcomm waiter (ZC_SPIN), restarted whenever progress was made. */
	if (zc_verbs_progress(p))
		*spins = 0;
	else
		zc_backoff(spins);
}

int zc_verbs_progress(struct zc_prov *p)
{
	int n = zc_verbs_poll_scq(p);

	/* Responses straight to the waiter, without the progress thread's
	 * wake-up in between (it takes what we leave). */
	if (!pthread_mutex_trylock(&p->rcq_lock)) {
		n += zc_verbs_poll_rcq(p);
		pthread_mutex_unlock(&p->rcq_lock);
	}
	return n;
}

/* A signaled zero-byte WRITE retires the unsignaled WRs before it. On
 * iWARP it is an 8-byte READ instead: its answer also means that the
 * target placed every WRITE before it. */
static int post_marker(struct zc_verbs_conn *c)
{
	struct zc_prov *p = c->prov;
	struct ibv_sge sge = {
		.addr = (uintptr_t)p->flush_sink, .length = 8,
		.lkey = p->ctl_mr->lkey,
	};
	struct ibv_send_wr wr = {
		.sg_list = p->iwarp ? &sge : NULL, .num_sge = p->iwarp,
		.opcode = p->iwarp ? IBV_WR_RDMA_READ : IBV_WR_RDMA_WRITE,
		.wr.rdma = { .remote_addr = c->raddr, .rkey = c->rkey },
	};
	struct zc_verbs_wr slot = {
		.kind = p->iwarp ? ZC_VERBS_WR_READ : ZC_VERBS_WR_WRITE,
		.bounce = -1,
	};
	int rc = zc_verbs_sq_reserve(c);

	return rc ? rc : zc_verbs_sq_post(c, &wr, &slot, true);
}

int zc_verbs_quiet(struct zc_prov *p)
{
	int err;

	for (int r = 0; r < p->size; r++) {
		struct zc_verbs_conn *c = &p->conns[r];
		unsigned spins = 0;

		if (c->state != ZC_VERBS_UP)
			continue;
		uint32_t upto;

		pthread_mutex_lock(&c->lock);
		if ((c->unsig && c->sq_head != c->sq_tail) ||
		    (p->iwarp && c->wr_dirty))
			(void)post_marker(c);
		/* What was posted until now; the progress thread may post
		 * more meanwhile (responses, credits): not ours to wait for.
		 * Bounded: the device completes or fails every WR (RC
		 * retries, then an error), and a dead peer flushes. */
		upto = c->sq_head;
		while ((int32_t)(upto - c->sq_tail) > 0 &&
		       c->state == ZC_VERBS_UP) {
			pthread_mutex_unlock(&c->lock);
			zc_verbs_wait_turn(p, &spins);
			pthread_mutex_lock(&c->lock);
		}
		pthread_mutex_unlock(&c->lock);
	}
	for (int r = 0; r < p->size; r++)
		wait_atomics(&p->conns[r]);
	err = atomic_exchange(&p->nbi_err, 0);
	return err;
}

int zc_verbs_peer_status(struct zc_prov *p, int rank)
{
	struct zc_verbs_conn *c = &p->conns[rank];

	return c->state == ZC_VERBS_DEAD && !c->bye ? -ZC_EPEERDEAD : 0;
}
