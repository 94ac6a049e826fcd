/* SPDX-License-Identifier: MIT */
/*
 * Send queues and the send CQ. Every work request occupies a slot of its
 * connection's ring until it retires; RC completes a send queue in order,
 * so one signaled completion retires every slot up to it. Selective
 * signalling: a WR is signaled when something waits on it (a comp, a
 * READ to copy out, a bounce slot or registration to give back), when
 * half the ring went unsignaled (so a full ring always holds a signaled
 * WR and polling always frees room: the queue is bounded and a poster
 * that finds it full polls, never queues in memory), and when no
 * signaled WR of the connection is in flight: a quiet after a lone put
 * then waits for that put's own completion instead of posting a marker
 * WRITE (one more packet and acknowledgement each way), while a stream
 * of puts still signals about one per completion the poster can see.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verbs.h"

static uint32_t depth(void)
{
	return (uint32_t)zc_verbs_params.sq_depth;
}

int zc_verbs_sq_reserve(struct zc_verbs_conn *c)
{
	struct zc_prov *p = c->prov;
	unsigned spins = 0;

	while (c->state != ZC_VERBS_DEAD &&
	       (c->sq_head - c->sq_tail >= depth() ||
		atomic_load_explicit(&p->scq_inflight, memory_order_relaxed) >=
			p->scq_size)) {
		pthread_mutex_unlock(&c->lock);
		zc_verbs_wait_turn(p, &spins);
		pthread_mutex_lock(&c->lock);
	}
	return c->state == ZC_VERBS_DEAD ? -ZC_EPEERDEAD : 0;
}

/* What a later WRITE could overtake at the target: RC executes WRITEs
 * in order with everything before them, except READs and atomics. */
static bool reads(uint8_t kind)
{
	return kind == ZC_VERBS_WR_READ || kind == ZC_VERBS_WR_ATOMIC;
}

int zc_verbs_sq_post(struct zc_verbs_conn *c, struct ibv_send_wr *wr,
		     const struct zc_verbs_wr *slot, bool signal)
{
	struct zc_prov *p = c->prov;
	struct zc_verbs_wr *s = &c->wr[c->sq_head % depth()];
	struct ibv_send_wr *bad;
	int rc;

	*s = *slot;
	s->conn = c;
	/* A WR holding a bounce slot or a registration is signaled: the
	 * pool must come back even if nothing else is posted. */
	signal = signal || slot->comp || slot->copy_to || slot->old ||
		 slot->bounce >= 0 || slot->rce || !c->sig_out ||
		 c->unsig + 1 >= depth() / 2;
	if (c->fence_next) {
		wr->send_flags |= IBV_SEND_FENCE;
		c->fence_next = false;
	}
	s->signaled = signal;
	wr->wr_id = (uintptr_t)s;
	wr->next = NULL;
	if (signal) {
		wr->send_flags |= IBV_SEND_SIGNALED;
		atomic_fetch_add_explicit(&p->scq_inflight, 1,
					  memory_order_relaxed);
	}
	rc = ibv_post_send(c->qp, wr, &bad);
	if (rc) {
		if (signal)
			atomic_fetch_sub(&p->scq_inflight, 1);
		zc_err("verbs: ibv_post_send to %s: %s", c->name, strerror(rc));
		return c->state == ZC_VERBS_DEAD ? -ZC_EPEERDEAD : -rc;
	}
	c->sq_head++;
	c->unsig = signal ? 0 : c->unsig + 1;
	c->sig_out += signal;
	c->rd_out += reads(s->kind);
	if (s->kind == ZC_VERBS_WR_WRITE)
		c->wr_dirty = true;
	else if (s->kind == ZC_VERBS_WR_READ)
		c->wr_dirty = false;
	return 0;
}

static const char *wr_name(uint8_t kind)
{
	return kind == ZC_VERBS_WR_WRITE ? "RDMA WRITE (put)" :
	       kind == ZC_VERBS_WR_READ ? "RDMA READ (get)" :
	       kind == ZC_VERBS_WR_ATOMIC ? "device atomic" :
	       "SEND (control message)";
}

/* Releases what slot s holds and completes its comp with err. */
static void slot_finish(struct zc_verbs_conn *c, struct zc_verbs_wr *s,
			int err)
{
	struct zc_prov *p = c->prov;

	if (s->copy_to && !err)
		memcpy(s->copy_to, p->bounce + (size_t)s->bounce *
		       zc_verbs_params.bounce_max, s->len);
	if (s->old && !err)
		*s->old = p->amo_res[(size_t)(c - p->conns) * depth() +
				     (size_t)(s - c->wr)];
	if (s->bounce >= 0 || s->rce)
		zc_verbs_mem_put(p, s->bounce, s->rce);
	if (s->kind == ZC_VERBS_WR_SEND)
		c->sb_tail++;
	if (s->comp)
		zc_comp_done(s->comp, err);
	else if (err)
		atomic_compare_exchange_strong(&p->nbi_err, &(int){ 0 }, err);
	s->bounce = -1;
	s->rce = NULL;
	s->comp = NULL;
	s->copy_to = NULL;
	s->old = NULL;
}

void zc_verbs_sq_fail(struct zc_verbs_conn *c, int err)
{
	while (c->sq_tail != c->sq_head) {
		slot_finish(c, &c->wr[c->sq_tail % depth()], err);
		c->sq_tail++;
	}
	c->sig_out = 0;
	c->rd_out = 0;
}

/* c->lock held. Returns true when the completion failed the connection. */
static bool retire(struct zc_verbs_conn *c, const struct ibv_wc *wc,
		   char *why, size_t wlen)
{
	struct zc_verbs_wr *s = (struct zc_verbs_wr *)(uintptr_t)wc->wr_id;
	int err = 0;

	if (c->state == ZC_VERBS_DEAD)
		return false;	/* already failed: a flush */
	if (wc->status != IBV_WC_SUCCESS) {
		snprintf(why, wlen, "%s failed: %s (work completion status "
			 "%d, vendor error 0x%x)", wr_name(s->kind),
			 ibv_wc_status_str(wc->status), wc->status,
			 wc->vendor_err);
		err = -ZC_EPEERDEAD;
	}
	while (c->sq_tail != c->sq_head) {
		struct zc_verbs_wr *t = &c->wr[c->sq_tail % depth()];

		c->sig_out -= t->signaled;
		c->rd_out -= reads(t->kind);
		slot_finish(c, t, err);
		c->sq_tail++;
		if (t == s)
			break;
	}
	if (!err && c->state == ZC_VERBS_UP)
		zc_verbs_chan_kick(c);	/* room for what waited */
	return err != 0;
}

int zc_verbs_poll_scq(struct zc_prov *p)
{
	struct ibv_wc wc[16];
	int n, total = 0;

	if (pthread_mutex_trylock(&p->scq_lock))
		return 0;	/* the other thread polls: it retires ours */
	do {
		n = ibv_poll_cq(p->scq, 16, wc);
		for (int i = 0; i < n; i++) {
			struct zc_verbs_wr *s =
				(struct zc_verbs_wr *)(uintptr_t)wc[i].wr_id;
			struct zc_verbs_conn *c = s->conn;
			char why[192];
			bool failed;

			if (s->signaled)
				atomic_fetch_sub_explicit(&p->scq_inflight, 1,
							  memory_order_relaxed);
			pthread_mutex_lock(&c->lock);
			failed = retire(c, &wc[i], why, sizeof(why));
			pthread_mutex_unlock(&c->lock);
			if (failed)
				zc_verbs_conn_fail(c, ZC_LOG_ERROR, why);
		}
		total += n > 0 ? n : 0;
	} while (n == 16);
	pthread_mutex_unlock(&p->scq_lock);
	if (n < 0)
		zc_err("verbs: ibv_poll_cq (send): %s", strerror(-n));
	return total;
}
