/* SPDX-License-Identifier: MIT */
/*
 * The initiator side of put, get and atomics, and quiet (application
 * thread, on its out connections). Every op is a numbered request; the target serves requests
 * in order and acknowledges cumulatively (the ack field of whatever it
 * sends next), when asked (RESPONSE_REQUESTED) or to grant credits, so a
 * put completes when an ack covers its number and quiet asks for one and
 * waits until the last number issued is acked and no response is due.
 * Fence is free: one ordered stream per peer, served in order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tcp.h"

/* Most bytes queued on one connection before the issuer waits. */
#define TXQ_MAX (64u << 20)

static struct zc_tcp_conn *conn_of(struct zc_prov *p, int rank)
{
	struct zc_tcp_conn *c = p->out[rank];

	if (c && c->state == ZC_TCP_UP && zc_tcp_rank_dead(c))
		zc_tcp_conn_fail(c, ZC_LOG_WARN, "the rank was declared dead: "
				 "closing this direction too");
	return c && c->state == ZC_TCP_UP ? c : NULL;
}

/* A blocking op: sleep on my ring until its replies came. */
static int comp_wait(struct zc_prov *p, struct zc_comp *comp, int rc)
{
	if (rc != ZC_INPROGRESS || !comp)
		return rc;
	while (atomic_load_explicit(&comp->pending, memory_order_acquire) > 0)
		zc_tcp_app_wait(p, 1000);
	return atomic_load_explicit(&comp->status, memory_order_relaxed);
}

/* c->lock held. */
void zc_tcp_pend_ack(struct zc_tcp_conn *c)
{
	uint64_t acked = atomic_load_explicit(&c->acked, memory_order_relaxed);

	while (c->pend_head != c->pend_tail) {
		struct zc_tcp_pend *e = &c->pend[c->pend_head % c->pend_cap];

		if (e->kind != ZC_TCP_PEND_ACK || e->seq > acked)
			break;
		if (e->comp)
			zc_comp_done(e->comp, 0);
		c->pend_head++;
		atomic_fetch_sub(&c->npend, 1);
	}
}

/* c->lock held. */
void zc_tcp_pend_fail(struct zc_tcp_conn *c, int err)
{
	bool lost = atomic_load(&c->acked) < atomic_load(&c->issued);

	while (c->pend_head != c->pend_tail) {
		struct zc_tcp_pend *e = &c->pend[c->pend_head % c->pend_cap];

		if (e->comp)
			zc_comp_done(e->comp, err);
		else
			lost = true;
		c->pend_head++;
	}
	atomic_store(&c->npend, 0);
	if (lost && !c->prov->nbi_err)
		c->prov->nbi_err = err;
}

/* Queues t as the next request to c; waits (without locks) while the
 * queue or the pending table is full: the sender blocks for credits. */
static int issue(struct zc_tcp_conn *c, struct zc_tcp_tx *t,
		 const struct zc_tcp_pend *pe)
{
	for (;;) {
		pthread_mutex_lock(&c->lock);
		if (c->state != ZC_TCP_UP) {
			pthread_mutex_unlock(&c->lock);
			free(t);
			return -ZC_EPEERDEAD;
		}
		if (c->txq_bytes < TXQ_MAX &&
		    (!pe || c->pend_tail - c->pend_head < c->pend_cap))
			break;
		pthread_mutex_unlock(&c->lock);
		/* Credits and replies arrive on my own ring. */
		zc_tcp_app_wait(c->prov, 1000);
	}
	t->oh.seq = ++c->next_seq;
	atomic_store_explicit(&c->issued, c->next_seq, memory_order_relaxed);
	if (pe) {
		struct zc_tcp_pend *e = &c->pend[c->pend_tail % c->pend_cap];

		*e = *pe;
		e->seq = t->oh.seq;
		c->pend_tail++;
		atomic_fetch_add(&c->npend, 1);
	}
	zc_tcp_tx_enqueue(c, t);
	zc_tcp_tx_kick(c);
	pthread_mutex_unlock(&c->lock);
	return ZC_INPROGRESS;
}

/* Largest payload of one op message: the negotiated fragmented size. */
static size_t max_payload(const struct zc_tcp_conn *c)
{
	return c->lim.max_fragmented_send_size - ZC_MSG_HDR_SIZE;
}

/* The signal that rides on a put's last piece (PUT_SIGNAL). */
struct sig {
	uint64_t off;
	enum zc_amo_op op;
	uint64_t value;
};

/*
 * The caller's buffer must be mapped before any of it goes on the wire:
 * a send or receive that faults part way (EFAULT) leaves the stream in
 * the middle of a message, and the connection would have to go. Only the
 * kernel and this thread touch it from here on (a small put is copied in
 * the caller's thread, where a bad pointer faults as memcpy would), so
 * only those are checked. msync(MS_ASYNC) walks the mappings and does
 * nothing else: 0.1-0.2 µs whatever the length (a probe of each page's
 * protection, MADV_POPULATE_*, costs 8 µs per MiB: a PROT_NONE source or
 * a read-only destination is not caught, and still fails the
 * connection; see doc/tcp.md).
 */
static int local_check(int rank, bool put, const void *buf, size_t len)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)buf & ~(pg - 1);

	if (put && len <= zc_tcp_params.inline_max)
		return 0;
	if ((uintptr_t)buf + len < (uintptr_t)buf ||
	    msync((void *)a, (uintptr_t)buf + len - a, MS_ASYNC)) {
		zc_err("tcp: %s of %zu bytes %s rank %d: the local %s %p is not "
		       "mapped memory in this process: refused (the connection "
		       "is unaffected)", put ? "put" : "get", len,
		       put ? "to" : "from", rank,
		       put ? "source" : "destination", buf);
		return -EFAULT;
	}
	return 0;
}

/* Put or get, split at the negotiated fragmented size; only the last
 * piece completes comp, and carries sig (puts only) when there is one.
 * A put's pieces need no table entry except that one (acks are
 * cumulative); every get piece has one, for its reply. */
static int rma(struct zc_prov *p, int rank, uint8_t op, uint64_t off,
	       char *buf, size_t len, struct zc_comp *comp,
	       const struct sig *sig)
{
	struct zc_tcp_conn *c = conn_of(p, rank);
	bool put = op == ZC_MSG_PUT;
	size_t done = 0;
	int rc = ZC_INPROGRESS;

	if (!c)
		return -ZC_EPEERDEAD;
	/* No data: nothing, or the signal alone in one message. */
	if (!len && !sig)
		return 0;
	rc = len ? local_check(rank, put, buf, len) : 0;
	if (rc)
		return rc;
	rc = ZC_INPROGRESS;
	do {
		size_t n = len - done < max_payload(c) ? len - done
						       : max_payload(c);
		bool last = done + n == len;
		/* Small payloads are copied so that src is free at once. */
		bool inl = put && n <= zc_tcp_params.inline_max;
		struct zc_tcp_tx *t = zc_tcp_tx_new(inl ? n : 0);
		struct zc_tcp_pend pe = {
			.kind = put ? ZC_TCP_PEND_ACK : ZC_TCP_PEND_GET,
			.dst = put ? NULL : buf + done, .len = n,
			.comp = last ? comp : NULL,
		};

		if (!t)
			return -ENOMEM;
		t->oh.op = op;
		t->oh.off = off + done;
		t->oh.len = n;
		if (last && sig) {
			t->oh.op = ZC_MSG_PUT_SIGNAL;
			t->oh.width = 8;
			t->oh.amo = (uint8_t)sig->op;
			t->oh.value = sig->value;
			t->oh.cmp = sig->off;
		}
		if (put) {
			if (inl && n)	/* n 0: a signal alone, buf NULL */
				memcpy(t->inl, buf + done, n);
			t->data = inl ? (const void *)t->inl : buf + done;
			t->dlen = n;
		}
		/* Whoever waits for a put's completion asks for the ACK. */
		if (put && pe.comp)
			t->flags = ZC_SMBD_FLAG_RESPONSE_REQUESTED;
		rc = issue(c, t, !put || pe.comp ? &pe : NULL);
		done += n;
	} while (rc == ZC_INPROGRESS && done < len);
	return comp_wait(p, comp, rc);
}

int zc_tcp_put(struct zc_prov *p, int rank, uint64_t off, const void *src,
	       size_t len, struct zc_comp *comp)
{
	/* The source is only read (the cast serves the shared loop). */
	return rma(p, rank, ZC_MSG_PUT, off, (char *)src, len, comp, NULL);
}

int zc_tcp_put_signal(struct zc_prov *p, int rank, uint64_t off,
		      const void *src, size_t len, uint64_t sig_off,
		      enum zc_amo_op sig_op, uint64_t sig_value,
		      struct zc_comp *comp)
{
	const struct sig sig = { sig_off, sig_op, sig_value };

	return rma(p, rank, ZC_MSG_PUT, off, (char *)src, len, comp, &sig);
}

int zc_tcp_get(struct zc_prov *p, int rank, uint64_t off, void *dst,
	       size_t len, struct zc_comp *comp)
{
	return rma(p, rank, ZC_MSG_GET, off, dst, len, comp, NULL);
}

int zc_tcp_amo(struct zc_prov *p, int rank, uint64_t off,
	       enum zc_amo_op op, size_t width, uint64_t value, uint64_t cmp,
	       uint64_t *old, struct zc_comp *comp)
{
	struct zc_tcp_conn *c = conn_of(p, rank);
	struct zc_tcp_tx *t;
	struct zc_tcp_pend pe = { .kind = old ? ZC_TCP_PEND_AMO :
					      ZC_TCP_PEND_ACK,
				  .old = old, .comp = comp };

	if (!c)
		return -ZC_EPEERDEAD;
	t = zc_tcp_tx_new(0);
	if (!t)
		return -ENOMEM;
	t->oh.op = ZC_MSG_AMO;
	t->oh.flags = old ? ZC_MSG_F_FETCH : 0;
	t->oh.width = (uint8_t)width;
	t->oh.amo = (uint8_t)op;
	t->oh.off = off;
	t->oh.value = value;
	t->oh.cmp = cmp;
	if (comp && !old)
		t->flags = ZC_SMBD_FLAG_RESPONSE_REQUESTED;
	return comp_wait(p, comp, issue(c, t, old || comp ? &pe : NULL));
}

int zc_tcp_fence(struct zc_prov *p)
{
	(void)p;
	return 0;
}

#define ZC_TCP_LAX_ALL (-2)

/* Something queued or in flight still reads its source. */
static bool sending(struct zc_tcp_conn *c)
{
	bool busy;

	pthread_mutex_lock(&c->lock);
	busy = c->txq || c->tx_busy || c->tx_zc_notif;
	pthread_mutex_unlock(&c->lock);
	return busy;
}

/* Quiet; toward `lax` (every rank when ZC_TCP_LAX_ALL, none when -1)
 * only the replies and the sends are awaited (its requests are served in
 * order, so what follows finds them done; but a put's source must be
 * free when the caller returns). */
static int quiet(struct zc_prov *p, int lax)
{
	int err;

	for (int r = 0; r < p->size; r++) {
		struct zc_tcp_conn *c = p->out[r];

		/* Requests are acknowledged when asked: ask once, behind
		 * the last of them (served in order, one ACK covers all). */
		bool l = lax == ZC_TCP_LAX_ALL || r == lax;

		if (c && c->state == ZC_TCP_UP && !l &&
		    c->ack_asked < c->next_seq &&
		    atomic_load_explicit(&c->acked, memory_order_relaxed) <
			    c->next_seq) {
			c->ack_asked = c->next_seq;
			pthread_mutex_lock(&c->lock);
			zc_tcp_tx_ack(c, ZC_SMBD_FLAG_RESPONSE_REQUESTED);
			zc_tcp_tx_kick(c);
			pthread_mutex_unlock(&c->lock);
		}
	}
	for (int r = 0; r < p->size; r++) {
		struct zc_tcp_conn *c = p->out[r];
		bool l = lax == ZC_TCP_LAX_ALL || r == lax;

		/* Bounded: a silent peer is declared dead by the keepalive
		 * timers that zc_tcp_app_wait runs. */
		while (c && c->state == ZC_TCP_UP &&
		       ((!l &&
			 atomic_load_explicit(&c->acked, memory_order_relaxed) <
			 c->next_seq) ||
			(l && sending(c)) ||
			atomic_load_explicit(&c->npend, memory_order_relaxed)))
			zc_tcp_app_wait(p, 1000);
	}
	err = p->nbi_err;
	p->nbi_err = 0;
	return err;
}

int zc_tcp_quiet(struct zc_prov *p)
{
	return quiet(p, -1);
}

int zc_tcp_quiet_local(struct zc_prov *p, int rank)
{
	return quiet(p, rank < 0 ? ZC_TCP_LAX_ALL : rank);
}

int zc_tcp_peer_status(struct zc_prov *p, int rank)
{
	struct zc_tcp_conn *o = p->out ? p->out[rank] : NULL;
	struct zc_tcp_conn *i = p->in ?
		__atomic_load_n(&p->in[rank], __ATOMIC_ACQUIRE) : NULL;

	/* A peer that said goodbye left cleanly (it finished what the
	 * barriers ask of it): gone, not failed. */
	if (p->dead && atomic_load_explicit(&p->dead[rank],
					    memory_order_acquire))
		return -ZC_EPEERDEAD;
	return (o && o->state == ZC_TCP_DEAD && !o->bye) ||
	       (i && i->state == ZC_TCP_DEAD &&
		!__atomic_load_n(&i->bye, __ATOMIC_ACQUIRE)) ? -ZC_EPEERDEAD : 0;
}
