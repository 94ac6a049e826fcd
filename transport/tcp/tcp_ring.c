/* SPDX-License-Identifier: MIT */
/* io_uring plumbing. Each ring has one submitting and reaping thread at a
 * time (app_ring: the application thread; prog_ring: its owner, see
 * tcp_progress.c), so nothing here locks. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tcp.h"

long long zc_tcp_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long long zc_tcp_now_ms(void)
{
	return zc_tcp_now_us() / 1000;
}

struct io_uring_sqe *zc_tcp_sqe(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe) {
		/* Full: hand what is queued to the kernel, then retry. */
		io_uring_submit(ring);
		sqe = io_uring_get_sqe(ring);
	}
	if (!sqe)
		zc_err("tcp: io_uring submission queue full");
	return sqe;
}

int zc_tcp_submit(struct io_uring *ring)
{
	int rc;

	do
		rc = io_uring_submit(ring);
	while (rc == -EINTR);
	if (rc < 0)
		zc_err("tcp: io_uring_submit: %s", strerror(-rc));
	return rc < 0 ? rc : 0;
}

void zc_tcp_set_ud(struct io_uring_sqe *sqe, struct zc_tcp_conn *c,
		   enum zc_tcp_ud kind)
{
	io_uring_sqe_set_data64(sqe, (uint64_t)(uintptr_t)c | kind);
}

/* Stream mode reads as much as fits; inside a fragmented message it reads
 * exactly the next fragment's frame so that its payload can then be
 * received straight into place. Queued only: the caller submits (with
 * whatever else it queues, one system call for both). */
int zc_tcp_prep_recv(struct zc_tcp_conn *c)
{
	struct zc_tcp_rx *rx = &c->rx;
	struct io_uring_sqe *sqe;
	void *buf;
	size_t len;

	if (rx->dleft) {
		buf = rx->dptr;
		len = rx->dleft;
	} else {
		size_t frame = ZC_TCP_PREFIX_SIZE + ZC_SMBD_DATA_OFFSET;
		size_t have = rx->tail - rx->head;

		if (rx->head) {
			memmove(rx->buf, rx->buf + rx->head, have);
			rx->head = 0;
			rx->tail = have;
		}
		buf = rx->buf + rx->tail;
		len = rx->cap - rx->tail;
		if (rx->in_msg && have < frame)
			len = frame - have;
	}
	if (len > 1u << 30)
		len = 1u << 30;
	sqe = zc_tcp_sqe(c->ring);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_recv(sqe, c->fd, buf, len, rx->dleft ? MSG_WAITALL : 0);
	zc_tcp_set_ud(sqe, c, ZC_TCP_UD_RECV);
	c->inflight++;
	return 0;
}

int zc_tcp_post_recv(struct zc_tcp_conn *c)
{
	int rc = zc_tcp_prep_recv(c);

	return rc ? rc : zc_tcp_submit(c->ring);
}

int zc_tcp_post_accept(struct zc_prov *p)
{
	struct io_uring_sqe *sqe = zc_tcp_sqe(&p->prog_ring);

	if (!sqe)
		return -EBUSY;
	p->acc_len = sizeof(p->acc_sa);
	io_uring_prep_accept(sqe, p->lfd, (struct sockaddr *)&p->acc_sa,
			     &p->acc_len, SOCK_CLOEXEC);
	zc_tcp_set_ud(sqe, NULL, ZC_TCP_UD_ACCEPT);
	return zc_tcp_submit(&p->prog_ring);
}

static void on_accept(struct zc_prov *p, int res)
{
	struct zc_tcp_conn *c;

	if (res >= 0) {
		int rc = zc_tcp_sock_setup(res, p->peer_timeout_ms);

		c = rc ? NULL : zc_tcp_conn_new(p, res, &p->acc_sa, false, -1);
		if (!c) {
			zc_warn("tcp: refusing a connection: %s",
				rc ? strerror(-rc) : "out of memory");
			close(res);
		} else if (zc_tcp_post_recv(c)) {
			zc_tcp_conn_fail(c, ZC_LOG_ERROR, "cannot post a receive");
		} else {
			zc_tcp_strangers_bound(p);
		}
	} else if (res != -ECANCELED) {
		zc_warn("tcp: accept: %s", strerror(-res));
		if (res == -EMFILE || res == -ENFILE) {
			struct timespec ts = { 0, 10000000 };

			nanosleep(&ts, NULL);	/* no spinning out of files */
		}
	}
	if (!atomic_load(&p->stop))
		zc_tcp_post_accept(p);
}

static void dispatch(struct zc_prov *p, struct io_uring_cqe *cqe)
{
	uint64_t ud = io_uring_cqe_get_data64(cqe);
	struct zc_tcp_conn *c = (struct zc_tcp_conn *)(uintptr_t)
				(ud & ~(uint64_t)ZC_TCP_UD_MASK);
	int kind = (int)(ud & ZC_TCP_UD_MASK);

	if (c)
		c->inflight--;
	switch (kind) {
	case ZC_TCP_UD_RECV:
		/* A request dies with the thread that submitted it (an
		 * application thread that called zcomm, then exited); what
		 * it had received is reported as such, so a cancelled
		 * receive took nothing: post it again from this thread. */
		if (cqe->res == -ECANCELED && c->state != ZC_TCP_DEAD &&
		    !atomic_load(&p->stop)) {
			if (zc_tcp_post_recv(c))
				zc_tcp_conn_fail(c, ZC_LOG_ERROR,
						 "cannot post a receive");
			break;
		}
		zc_tcp_on_recv(c, cqe->res);
		break;
	case ZC_TCP_UD_SEND:
		zc_tcp_tx_done(c, cqe->res, cqe->flags);
		break;
	case ZC_TCP_UD_CONNECT:
		if (c->state != ZC_TCP_DEAD && zc_tcp_on_connected(c, cqe->res))
			zc_tcp_conn_fail(c, ZC_LOG_ERROR, NULL);
		break;
	case ZC_TCP_UD_ACCEPT:
		on_accept(p, cqe->res);
		break;
	default:
		break;
	}
}

unsigned zc_tcp_reap(struct zc_prov *p, struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	unsigned total = 0;

	/* Handlers may submit (and so complete inline): drain until dry. */
	while (!io_uring_peek_cqe(ring, &cqe)) {
		unsigned head, n = 0;

		io_uring_for_each_cqe(ring, head, cqe) {
			dispatch(p, cqe);
			n++;
		}
		io_uring_cq_advance(ring, n);
		total += n;
	}
	return total;
}

void zc_tcp_ring_wait(struct zc_prov *p, struct io_uring *ring,
		      struct __kernel_timespec *ts, bool drive)
{
	struct io_uring_cqe *cqe;
	long long t0;

	if (io_uring_peek_cqe(ring, &cqe) == 0)
		return;
	t0 = zc_tcp_now_us();
	while (zc_tcp_now_us() - t0 < p->spin_ns / 1000) {
		/* Yield, not pause: on a shared CPU the thread we wait for
		 * (or the application) gets to run. */
		sched_yield();
		if (drive)
			zc_tcp_drive(p);
		if (io_uring_peek_cqe(ring, &cqe) == 0)
			return;
	}
	if (drive)
		zc_tcp_hand_back(p);
	io_uring_wait_cqe_timeout(ring, &cqe, ts);
}

/*
 * The application thread waits: it polls its own ring and, while it may,
 * drives prog_ring too (a peer's put then lands without a wake-up of the
 * progress thread, which costs more than the message on a VM: 30 µs for
 * a blocked receiver against 4 for a polling one, bench/tcp_floor); after
 * spin_ns without a completion it hands prog_ring back and sleeps.
 */
void zc_tcp_app_wait(struct zc_prov *p, long timeout_us)
{
	struct __kernel_timespec ts = { timeout_us / 1000000,
					(timeout_us % 1000000) * 1000 };
	long long now;

	zc_tcp_drive(p);
	if (timeout_us > 0)
		zc_tcp_ring_wait(p, &p->app_ring, &ts, true);
	zc_tcp_reap(p, &p->app_ring);
	now = zc_tcp_now_ms();
	if (now - p->last_timers_ms >= 50) {
		p->last_timers_ms = now;
		zc_tcp_timers(p, true, now);
	}
}
