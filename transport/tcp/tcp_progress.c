/* SPDX-License-Identifier: MIT */
/*
 * The progress thread: drives prog_ring (accepts, the in connections'
 * receives and sends) whenever the application thread does not (it may
 * when p->app_drive), so that
 * peers' puts, gets and atomics are served while the application
 * computes; and keeps time for those connections: handshake deadlines and
 * the release of dead sockets. It sleeps in the kernel between events
 * and parks while the application thread drives. The application thread
 * keeps time for its out connections (keepalives, the peer timeout)
 * whenever it waits in zcomm.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tcp.h"

#define TICK_MS 50
/* An application thread that has not polled for this long computes or
 * sleeps outside zcomm: the progress thread takes prog_ring back. It is
 * the longest a peer's request waits for service then, and the parked
 * progress thread's wake-up period while the application polls. */
#define ZC_TCP_HANDBACK_US 500

static void conn_up_timers(struct zc_tcp_conn *c, long long now, long to)
{
	char why[192];

	if (c->ka_sent_ms && now - c->ka_sent_ms > to) {
		snprintf(why, sizeof(why), "no reply for %lld ms "
			 "(ZC_PEER_TIMEOUT %ld ms; credits %u, granted %u, "
			 "queued %zu B%s)", now - c->ka_sent_ms, to,
			 c->cred.send_credits, c->cred.recv_granted,
			 c->txq_bytes, c->tx_busy ? ", sending" : "");
		zc_tcp_conn_fail(c, ZC_LOG_ERROR, why);
	} else if (!c->ka_sent_ms && now - c->last_rx_ms > to / 3) {
		/* A keepalive: the peer's progress thread answers at once;
		 * its silence for the timeout means it is gone. */
		c->ka_sent_ms = now;
		pthread_mutex_lock(&c->lock);
		zc_tcp_tx_ack(c, ZC_SMBD_FLAG_RESPONSE_REQUESTED);
		zc_tcp_tx_kick(c);
		pthread_mutex_unlock(&c->lock);
	}
}

void zc_tcp_timers(struct zc_prov *p, bool out, long long now)
{
	long to = p->peer_timeout_ms;

	pthread_mutex_lock(&p->conns_lock);
	for (struct zc_tcp_conn **cp = &p->conns, *c; (c = *cp);
	     cp = c ? &c->next : cp) {
		if (c->initiator != out)
			continue;
		switch (c->state) {
		case ZC_TCP_UP:
			/* The other direction of a rank declared dead goes
			 * too, closed by the thread that owns it. */
			if (zc_tcp_rank_dead(c)) {
				zc_tcp_conn_fail(c, ZC_LOG_WARN, "the rank was "
						 "declared dead: closing this "
						 "direction too");
				break;
			}
			/* Out connections only: the requester watches. */
			if (out)
				conn_up_timers(c, now, to);
			break;
		case ZC_TCP_DEAD:
			/* Free a dead in connection's socket and buffer once
			 * the kernel is done with them (strangers may open
			 * many); the struct stays for peer_status only when
			 * it was a rank's (p->in points at it): a stranger's,
			 * never authenticated, goes entirely. */
			if (!out && c->fd >= 0 && !c->inflight) {
				pthread_mutex_lock(&c->lock);
				zc_tcp_tx_free_all(c);
				close(c->fd);
				c->fd = -1;
				zc_tcp_rx_fini(&c->rx);
				pthread_mutex_unlock(&c->lock);
			}
			if (!out && c->fd < 0 && !c->inflight &&
			    (c->rank < 0 || p->in[c->rank] != c)) {
				*cp = c->next;
				zc_tcp_conn_free(c);
				c = NULL;	/* *cp is the next one now */
			}
			break;
		default:
			/* Handshakes: a peer that never completes one (a
			 * stranger, a dead rank) is dropped in time; one that
			 * named itself a rank of the job gets the time a busy
			 * rank may need. */
			if (now - c->born_ms > (out || c->rank >= 0 ?
					zc_tcp_params.connect_timeout_ms : to))
				zc_tcp_conn_fail(c, ZC_LOG_WARN,
						 "handshake not completed in time");
			break;
		}
	}
	pthread_mutex_unlock(&p->conns_lock);
}

bool zc_tcp_closing(const struct zc_tcp_conn *c, bool want_bye)
{
	return c->state == ZC_TCP_UP &&
	       ((want_bye && !__atomic_load_n(&c->bye, __ATOMIC_ACQUIRE)) ||
		c->txq || c->tx_busy || c->tx_zc_notif);
}

/* Serves the in connections until none is busy (bounded). */
static void drain_in(struct zc_prov *p, bool want_bye, long long limit_ms)
{
	long long t0 = zc_tcp_now_ms();
	bool busy = true;

	while (busy && zc_tcp_now_ms() - t0 < limit_ms) {
		struct __kernel_timespec ts = { 0, 1000000 };
		struct io_uring_cqe *cqe;

		busy = false;
		for (int r = 0; r < p->size; r++)
			busy |= p->in[r] && zc_tcp_closing(p->in[r], want_bye);
		if (busy) {
			io_uring_wait_cqe_timeout(&p->prog_ring, &cqe, &ts);
			zc_tcp_reap(p, &p->prog_ring);
		}
	}
}

/* Closing: every requester says goodbye after its last request (its
 * zc_finalize follows the same barrier as mine) and has its answer
 * (tcp_rx.c); one that has not within the peer timeout gets mine anyway,
 * so that it tells a clean exit from a crash. */
static void say_goodbye(struct zc_prov *p)
{
	drain_in(p, true, p->peer_timeout_ms);
	zc_tcp_tx_bye_all(p->in, p->size);
	drain_in(p, false, 1000);
}

/*
 * Where the progress thread runs (ZC_TCP_PROGRESS_CPU). A rank that the
 * launcher bound to one CPU (mpirun does at 2 ranks) shares it with its
 * progress thread: every message that lands then waits until the
 * application thread, polling for it, yields that CPU, and the reader
 * waits for the writer's next yield in turn (perf sched timehist: the
 * two threads alternate in 5 µs slices). On any other CPU the progress
 * thread serves the message while the application polls: at 2 ranks on
 * 2 CPUs that is the peer's CPU, whose application thread has just sent
 * and waits itself (8 B allreduce 11 -> 5 µs, doc/performance.md).
 * Called by the progress thread itself; a failure only logs.
 */
static void place(struct zc_prov *p)
{
	const char *mode = zc_tcp_params.progress_cpu;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t mine, other;

	if (!strcmp(mode, "inherit") || n < 2 ||
	    sched_getaffinity(0, sizeof(mine), &mine))
		return;
	if (!strcmp(mode, "auto") && (p->oversub || CPU_COUNT(&mine) != 1))
		return;
	CPU_ZERO(&other);
	for (long i = 0; i < n && i < CPU_SETSIZE; i++)
		if (!CPU_ISSET(i, &mine))
			CPU_SET(i, &other);
	if (!CPU_COUNT(&other))
		return;
	if (sched_setaffinity(0, sizeof(other), &other))
		zc_info("tcp: progress thread stays on the application's "
			"CPUs: sched_setaffinity: %m");
	else
		zc_dbg("tcp: progress thread runs beside, not on, the "
			 "application's CPU");
}

/* Receives the application thread left queued (tcp_rx.c) go now. */
static void prog_flush(struct zc_prov *p)
{
	if (io_uring_sq_ready(&p->prog_ring))
		zc_tcp_submit(&p->prog_ring);
}

/* Whoever drives prog_ring: what came, and its timers now and then. */
static void prog_serve(struct zc_prov *p, long long now_us)
{
	long long now = now_us / 1000;

	prog_flush(p);
	zc_tcp_reap(p, &p->prog_ring);
	if (now - p->prog_tick_ms >= TICK_MS) {
		p->prog_tick_ms = now;
		zc_tcp_timers(p, false, now);
		zc_tcp_strangers_tick(p, now, false);
	}
}

/* A message from app_ring: the progress thread's ring wait returns. */
static void wake_prog(struct zc_prov *p)
{
	struct io_uring_sqe *sqe = zc_tcp_sqe(&p->app_ring);

	if (!sqe)
		return;
	io_uring_prep_msg_ring(sqe, p->prog_ring.ring_fd, 0, ZC_TCP_UD_WAKE, 0);
	zc_tcp_set_ud(sqe, NULL, ZC_TCP_UD_WAKE);
	zc_tcp_submit(&p->app_ring);
}

bool zc_tcp_drive(struct zc_prov *p)
{
	int own = ZC_TCP_OWN_APP;

	if (!p->app_drive ||
	    atomic_load_explicit(&p->stop, memory_order_relaxed))
		return false;
	/* Between naps a waiter polls once each: asking for the ring
	 * there would bounce it between the threads per nap. */
	if (p->app_napped) {
		p->app_napped = false;
		return false;
	}
	if (atomic_compare_exchange_strong_explicit(&p->prog_owner, &own,
			ZC_TCP_OWN_APP_BUSY, memory_order_acquire,
			memory_order_relaxed)) {
		long long now = zc_tcp_now_us();

		prog_serve(p, now);
		atomic_store_explicit(&p->app_seen_us, now,
				      memory_order_relaxed);
		atomic_store_explicit(&p->prog_owner, ZC_TCP_OWN_APP,
				      memory_order_release);
		return true;
	}
	if (own == ZC_TCP_OWN_PROG && p->thread_ok &&
	    !atomic_exchange(&p->app_wants, true))
		wake_prog(p);
	return false;
}

static void unpark(struct zc_prov *p)
{
	pthread_mutex_lock(&p->park_lock);
	pthread_cond_signal(&p->park);
	pthread_mutex_unlock(&p->park_lock);
}

/* A waiter that naps between polls (core's backoff asks 20 µs and gets
 * 100-200 here) would serve the peers' messages only at that pace, with
 * the progress thread parked: a 1 MiB put stream into a rank waiting in
 * a barrier ran at 0.8-0.95 GB/s. */
void zc_tcp_idle(struct zc_prov *p)
{
	if (!p->app_drive)
		return;
	p->app_napped = true;
	zc_tcp_hand_back(p);
}

void zc_tcp_hand_back(struct zc_prov *p)
{
	int own = ZC_TCP_OWN_APP;

	if (atomic_compare_exchange_strong_explicit(&p->prog_owner, &own,
			ZC_TCP_OWN_PROG, memory_order_release,
			memory_order_relaxed))
		unpark(p);
}

/* The progress thread, while the application thread drives: sleep until
 * it hands prog_ring back, stops polling (then take it), or we stop.
 * Checked under park_lock, which hand_back signals under: no lost
 * wake-up. */
static void park(struct zc_prov *p)
{
	pthread_mutex_lock(&p->park_lock);
	while (!atomic_load(&p->stop)) {
		int own = atomic_load_explicit(&p->prog_owner,
					       memory_order_acquire);
		long long idle = zc_tcp_now_us() -
			atomic_load_explicit(&p->app_seen_us,
					     memory_order_relaxed);
		long long nap = ZC_TCP_HANDBACK_US - idle;
		struct timespec ts;

		if (own == ZC_TCP_OWN_PROG)
			break;
		if (own == ZC_TCP_OWN_APP && nap <= 0) {
			if (atomic_compare_exchange_strong_explicit(
					&p->prog_owner, &own, ZC_TCP_OWN_PROG,
					memory_order_acquire,
					memory_order_relaxed))
				break;
			continue;
		}
		if (nap < 100)
			nap = 100;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += (long)(nap % 1000000) * 1000;
		ts.tv_sec += (time_t)(nap / 1000000) + ts.tv_nsec / 1000000000;
		ts.tv_nsec %= 1000000000;
		pthread_cond_timedwait(&p->park, &p->park_lock, &ts);
	}
	pthread_mutex_unlock(&p->park_lock);
}

/* Stopping: the application thread drives no more (stop is set); wait
 * out a drive in progress and own the ring for the goodbyes. */
static void take(struct zc_prov *p)
{
	for (;;) {
		int own = ZC_TCP_OWN_APP;

		if (atomic_compare_exchange_strong_explicit(&p->prog_owner,
				&own, ZC_TCP_OWN_PROG, memory_order_acquire,
				memory_order_relaxed) ||
		    own == ZC_TCP_OWN_PROG)
			return;
		sched_yield();
	}
}

static void *loop(void *arg)
{
	struct zc_prov *p = arg;

	place(p);
	if (zc_tcp_post_accept(p))
		zc_err("tcp: cannot accept connections");
	while (!atomic_load(&p->stop)) {
		struct __kernel_timespec ts = { 0, TICK_MS * 1000000L };

		if (atomic_load_explicit(&p->prog_owner, memory_order_acquire) !=
		    ZC_TCP_OWN_PROG) {
			park(p);
			continue;
		}
		if (atomic_exchange(&p->app_wants, false)) {
			atomic_store_explicit(&p->app_seen_us, zc_tcp_now_us(),
					      memory_order_relaxed);
			atomic_store_explicit(&p->prog_owner, ZC_TCP_OWN_APP,
					      memory_order_release);
			continue;
		}
		prog_flush(p);
		zc_tcp_ring_wait(p, &p->prog_ring, &ts, false);
		prog_serve(p, zc_tcp_now_us());
	}
	take(p);
	prog_flush(p);
	say_goodbye(p);
	zc_tcp_strangers_tick(p, zc_tcp_now_ms(), true);
	return NULL;
}

int zc_tcp_progress_init(struct zc_prov *p)
{
	pthread_condattr_t ca;
	int rc = pthread_condattr_init(&ca);

	if (!rc)
		rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!rc)
		rc = pthread_cond_init(&p->park, &ca);
	pthread_condattr_destroy(&ca);
	if (rc)
		return -rc;
	pthread_mutex_init(&p->park_lock, NULL);
	atomic_init(&p->prog_owner, ZC_TCP_OWN_PROG);
	return 0;
}

int zc_tcp_progress_start(struct zc_prov *p)
{
	int rc = pthread_create(&p->thread, NULL, loop, p);

	if (rc) {
		zc_err("tcp: cannot start the progress thread: %s",
		       strerror(rc));
		return -rc;
	}
	p->thread_ok = true;
	return 0;
}

void zc_tcp_progress_stop(struct zc_prov *p)
{
	if (!p->thread_ok)
		return;
	atomic_store(&p->stop, true);
	/* Wake it wherever it sleeps: parked, or in its ring. */
	unpark(p);
	wake_prog(p);
	pthread_join(p->thread, NULL);
	p->thread_ok = false;
	zc_tcp_reap(p, &p->app_ring);
}

int zc_tcp_progress(struct zc_prov *p)
{
	if (p->rings_ok)
		zc_tcp_app_wait(p, 0);
	return 0;
}
