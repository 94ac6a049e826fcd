/* SPDX-License-Identifier: MIT */
/*
 * Strangers: in connections that have not (yet) proved a rank of the job.
 * Any local process can open them, so what they cost is bounded: at most
 * ZC_TCP_PENDING_MAX plus the job's size wait in the handshake at once
 * (the oldest is dropped for a new one: a rank's hello completes within a
 * round trip, a stranger that hangs is the one that has waited longest),
 * and a flood of them does not flood the log: the first few of each
 * interval are logged one by one, the rest only counted, and the count is
 * logged once per interval and when the provider closes.
 * Progress thread only (in connections are its own): no lock of its own.
 */
#include <stdio.h>

#include "tcp.h"

/* Unauthenticated in connections logged one by one per interval. */
#define LOUD_MAX 5
#define INTERVAL_MS 5000

bool zc_tcp_is_stranger(const struct zc_tcp_conn *c)
{
	const struct zc_prov *p = c->prov;

	return !c->initiator && c->state != ZC_TCP_UP &&
	       (c->rank < 0 || !p->in || p->in[c->rank] != c);
}

bool zc_tcp_conn_may_log(struct zc_tcp_conn *c)
{
	struct zc_prov *p = c->prov;

	if (!zc_tcp_is_stranger(c))
		return true;
	/* Decided once per connection: each stranger is either logged
	 * (every line of it) or counted once. */
	if (!c->log_decided) {
		c->log_decided = true;
		if (p->strangers.loud < LOUD_MAX)
			p->strangers.loud++;
		else {
			c->log_muted = true;
			p->strangers.muted++;
		}
	}
	return !c->log_muted;
}

void zc_tcp_strangers_tick(struct zc_prov *p, long long now, bool closing)
{
	long long span = now - p->strangers.since_ms;

	if (!closing && span < INTERVAL_MS)
		return;
	if (p->strangers.muted)
		zc_warn("tcp: %u more unauthenticated connections rejected in "
			"the last %lld s (the first %d of an interval are logged "
			"one by one)", p->strangers.muted, (span + 999) / 1000,
			LOUD_MAX);
	p->strangers.since_ms = now;
	p->strangers.loud = 0;
	p->strangers.muted = 0;
}

void zc_tcp_strangers_bound(struct zc_prov *p)
{
	int limit = ZC_TCP_PENDING_MAX + p->size, n = 0;
	struct zc_tcp_conn *oldest = NULL;
	char why[128];

	pthread_mutex_lock(&p->conns_lock);
	/* Newest first: the last one met is the oldest. */
	for (struct zc_tcp_conn *c = p->conns; c; c = c->next)
		if (!c->initiator && (c->state == ZC_TCP_WAIT_HELLO ||
				      c->state == ZC_TCP_WAIT_AUTH)) {
			n++;
			oldest = c;
		}
	if (n > limit) {
		snprintf(why, sizeof(why), "%d connections wait in the "
			 "handshake (limit %d): the oldest goes", n, limit);
		zc_tcp_conn_fail(oldest, ZC_LOG_WARN, why);
	}
	pthread_mutex_unlock(&p->conns_lock);
}
