/* SPDX-License-Identifier: MIT */
/*
 * The progress thread: serves the peers' atomic requests while the
 * application computes, takes rdma_cm events (disconnects, a removed
 * device), retires send slots when the application is idle, and fails a
 * peer whose responses are overdue. It sleeps on the receive CQ's
 * completion channel, the CM channel and an eventfd (stop), polling for
 * a short while after activity first (a sleeping thread costs a wake-up
 * per message).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "verbs.h"

#define TICK_MS 100

long long zc_verbs_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Atomics unanswered for the peer timeout: the peer is gone. And a kick
 * per connection, for messages and grants that found no room. */
static void timers(struct zc_prov *p, long long now)
{
	for (int r = 0; r < p->size; r++) {
		struct zc_verbs_conn *c = &p->conns[r];
		char why[128];

		if (c->state != ZC_VERBS_UP || c->self)
			continue;
		pthread_mutex_lock(&c->lock);
		/* Whatever waited for room and found no event to resume it. */
		zc_verbs_chan_kick(c);
		if (c->pend_head != c->pend_tail &&
		    now - c->pend[c->pend_head % (uint32_t)zc_verbs_params.credits]
				    .sent_ms > p->peer_timeout_ms) {
			snprintf(why, sizeof(why), "no response to an atomic "
				 "for %ld ms (ZC_PEER_TIMEOUT)",
				 p->peer_timeout_ms);
			zc_verbs_conn_fail_locked(c, ZC_LOG_ERROR, why);
		}
		pthread_mutex_unlock(&c->lock);
	}
}

static int drain_rcq(struct zc_prov *p)
{
	int n;

	pthread_mutex_lock(&p->rcq_lock);
	n = zc_verbs_poll_rcq(p);
	pthread_mutex_unlock(&p->rcq_lock);
	return n;
}

static void *progress_main(void *arg)
{
	struct zc_prov *p = arg;
	struct pollfd pf[3] = {
		{ .fd = p->rchan->fd, .events = POLLIN },
		{ .fd = p->cm->fd, .events = POLLIN },
		{ .fd = p->wake_fd, .events = POLLIN },
	};
	long long last_tick = zc_verbs_now_ms();

	while (!atomic_load(&p->stop)) {
		struct rdma_cm_event *ev;
		struct ibv_cq *cq;
		void *ctx;
		long long now;

		if (!atomic_load(&p->dev_gone)) {
			if (!ibv_get_cq_event(p->rchan, &cq, &ctx))
				ibv_ack_cq_events(cq, 1);
			ibv_req_notify_cq(p->rcq, 0);
			if (drain_rcq(p)) {
				long long end = now_ns() + p->spin_ns;

				while (now_ns() < end)
					if (drain_rcq(p))
						end = now_ns() + p->spin_ns;
			}
			zc_verbs_poll_scq(p);
		}
		while (!rdma_get_cm_event(p->cm, &ev))
			zc_verbs_cm_event(p, ev);
		now = zc_verbs_now_ms();
		if (now - last_tick >= TICK_MS) {
			timers(p, now);
			last_tick = now;
		}
		/* Re-armed above; anything that came since is in the CQ. */
		if (!atomic_load(&p->dev_gone) && drain_rcq(p))
			continue;
		poll(pf, 3, TICK_MS);
	}
	return NULL;
}

int zc_verbs_progress_start(struct zc_prov *p)
{
	int rc;

	p->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->wake_fd < 0)
		return -errno;
	if (fcntl(p->rchan->fd, F_SETFL, fcntl(p->rchan->fd, F_GETFL) |
		  O_NONBLOCK))
		return -errno;
	rc = pthread_create(&p->thread, NULL, progress_main, p);
	if (rc) {
		zc_err("verbs: cannot start the progress thread: %s",
		       strerror(rc));
		return -rc;
	}
	p->thread_ok = true;
	return 0;
}

void zc_verbs_progress_stop(struct zc_prov *p)
{
	uint64_t one = 1;

	if (!p->thread_ok)
		return;
	atomic_store(&p->stop, true);
	if (write(p->wake_fd, &one, sizeof(one)) < 0)
		zc_warn("verbs: waking the progress thread: %m");
	pthread_join(p->thread, NULL);
	p->thread_ok = false;
}
