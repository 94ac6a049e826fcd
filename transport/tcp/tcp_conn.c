/* SPDX-License-Identifier: MIT */
/*
 * Connections: creation, the authenticated SMB-Direct negotiate, failure.
 * Every rank opens one out connection to each peer (its requests) and
 * accepts one in connection from each (theirs). Handshake, run by the
 * thread that owns the connection:
 *   initiator -> negotiate request + hello (ranks, nonce_i)
 *   responder -> negotiate response + (ranks, nonce_r, MAC_R)
 *   initiator    checks MAC_R, then sends AUTH (MAC_I) as its first data
 *                transfer message, followed at once by ops
 *   responder    checks MAC_I before it looks at anything else
 * MAC_x = HMAC-SHA-256(job secret, role x, nonces, ranks): the secret never
 * travels, and a foreign process learns nothing it can replay.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "tcp.h"

static void conn_name(struct zc_tcp_conn *c)
{
	char ip[INET_ADDRSTRLEN] = "?";

	inet_ntop(AF_INET, &c->sa.sin_addr, ip, sizeof(ip));
	/* An in connection is only a rank once it proved it. */
	if (c->rank >= 0 && !c->initiator && c->state != ZC_TCP_UP)
		snprintf(c->name, sizeof(c->name), "unauthenticated peer %s:%u "
			 "(claims rank %d)", ip, ntohs(c->sa.sin_port), c->rank);
	else if (c->rank >= 0)
		snprintf(c->name, sizeof(c->name), "rank %d (%s:%u)", c->rank,
			 ip, ntohs(c->sa.sin_port));
	else
		snprintf(c->name, sizeof(c->name), "unidentified peer %s:%u",
			 ip, ntohs(c->sa.sin_port));
}

struct zc_tcp_conn *zc_tcp_conn_new(struct zc_prov *p, int fd,
				    const struct sockaddr_in *sa,
				    bool initiator, int rank)
{
	struct zc_tcp_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	/* Only my out connections have ops waiting for replies. */
	c->pend_cap = initiator ? 1024 : 0;
	c->pend = initiator ? calloc(c->pend_cap, sizeof(*c->pend)) : NULL;
	if ((initiator && !c->pend) || zc_tcp_rx_init(&c->rx, 64 * 1024)) {
		free(c->pend);
		free(c);
		return NULL;
	}
	c->prov = p;
	c->ring = initiator ? &p->app_ring : &p->prog_ring;
	c->fd = fd;
	c->sa = *sa;
	c->rank = rank;
	c->initiator = initiator;
	c->state = initiator ? ZC_TCP_CONNECTING : ZC_TCP_WAIT_HELLO;
	c->txq_tail = &c->txq;
	c->zc_mode = !strcmp(zc_tcp_params.send_zc, "on") ? 1 :
		     !strcmp(zc_tcp_params.send_zc, "off") ? 0 : -1;
	c->last_rx_ms = c->born_ms = zc_tcp_now_ms();
	pthread_mutex_init(&c->lock, NULL);
	conn_name(c);
	pthread_mutex_lock(&p->conns_lock);
	c->next = p->conns;
	p->conns = c;
	pthread_mutex_unlock(&p->conns_lock);
	return c;
}

void zc_tcp_conn_free(struct zc_tcp_conn *c)
{
	zc_tcp_tx_free_all(c);
	zc_tcp_rx_fini(&c->rx);
	if (c->fd >= 0)
		close(c->fd);
	pthread_mutex_destroy(&c->lock);
	free(c->pend);
	free(c);
}

int zc_tcp_sock_setup(int fd, long timeout_ms)
{
	int one = 1;
	unsigned to = (unsigned)timeout_ms;

	/* Small op messages must leave at once: latency over batching. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		return -errno;
	/* Unacknowledged data for longer than the peer timeout kills the
	 * connection in the kernel too (a cut link). */
	if (setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &to, sizeof(to)))
		return -errno;
	return 0;
}

int zc_tcp_conn_start(struct zc_prov *p, int rank,
		      const struct sockaddr_in *sa)
{
	struct zc_tcp_conn *c;
	struct io_uring_sqe *sqe;
	int fd, rc;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		zc_err("tcp: socket for rank %d: %m", rank);
		return rc;
	}
	rc = zc_tcp_sock_setup(fd, p->peer_timeout_ms);
	if (rc) {
		zc_err("tcp: setsockopt for rank %d: %s", rank, strerror(-rc));
		close(fd);
		return rc;
	}
	c = zc_tcp_conn_new(p, fd, sa, true, rank);
	if (!c) {
		close(fd);
		return -ENOMEM;
	}
	sqe = zc_tcp_sqe(c->ring);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_connect(sqe, fd, (const struct sockaddr *)&c->sa,
			      sizeof(c->sa));
	zc_tcp_set_ud(sqe, c, ZC_TCP_UD_CONNECT);
	c->inflight++;
	return zc_tcp_submit(c->ring);
}

static void local_limits(struct zc_smbd_limits *l)
{
	l->max_send_size = (uint32_t)zc_tcp_params.send_size;
	l->max_receive_size = (uint32_t)zc_tcp_params.send_size;
	l->max_fragmented_send_size = (uint32_t)zc_tcp_params.max_msg;
	l->max_fragmented_recv_size = (uint32_t)zc_tcp_params.max_msg;
	l->max_read_write_size = (uint32_t)zc_tcp_params.max_msg;
}

static int send_raw(struct zc_tcp_conn *c, const void *m, size_t len)
{
	struct zc_tcp_tx *t = zc_tcp_tx_new(ZC_TCP_PREFIX_SIZE + len);
	unsigned char *b;

	if (!t)
		return -ENOMEM;
	b = t->inl;
	b[0] = (unsigned char)len;
	b[1] = (unsigned char)(len >> 8);
	b[2] = (unsigned char)(len >> 16);
	b[3] = (unsigned char)(len >> 24);
	memcpy(b + ZC_TCP_PREFIX_SIZE, m, len);
	t->raw = true;
	t->data = t->inl;
	t->dlen = ZC_TCP_PREFIX_SIZE + len;
	pthread_mutex_lock(&c->lock);
	zc_tcp_tx_enqueue(c, t);
	zc_tcp_tx_kick(c);
	pthread_mutex_unlock(&c->lock);
	return 0;
}

int zc_tcp_on_connected(struct zc_tcp_conn *c, int res)
{
	struct zc_prov *p = c->prov;
	struct zc_smbd_limits local;
	struct zc_tcp_hello h = { .from = (uint32_t)p->rank,
				  .to = (uint32_t)c->rank };
	unsigned char m[ZC_SMBD_NEGOTIATE_REQ_SIZE + ZC_TCP_HELLO_EXT_SIZE];
	int rc;

	if (res < 0) {
		zc_err("tcp: connect to %s: %s", c->name, strerror(-res));
		return res;
	}
	if (getrandom(c->nonce_mine, sizeof(c->nonce_mine), 0) !=
	    (ssize_t)sizeof(c->nonce_mine)) {
		zc_err("tcp: getrandom for the nonce to %s: %m", c->name);
		return -EIO;
	}
	memcpy(h.nonce, c->nonce_mine, sizeof(h.nonce));
	local_limits(&local);
	rc = zc_smbd_chan_request(&local, (uint16_t)zc_tcp_params.credits, m,
				  sizeof(m));
	if (rc < 0)
		return rc;
	zc_tcp_hello_encode(&h, m + ZC_SMBD_NEGOTIATE_REQ_SIZE);
	c->state = ZC_TCP_WAIT_RESP;
	rc = send_raw(c, m, sizeof(m));
	if (!rc)
		rc = zc_tcp_post_recv(c);
	return rc;
}

#define DROP(c, ...)                                                        \
	do {                                                                \
		zc_tcp_clog(c, ZC_LOG_ERROR, "tcp: dropping %s: " __VA_ARGS__); \
		return -EPROTO;                                             \
	} while (0)

int zc_tcp_on_hello(struct zc_tcp_conn *c, const unsigned char *m,
		    size_t len)
{
	struct zc_prov *p = c->prov;
	struct zc_smbd_limits local;
	struct zc_tcp_hello h;
	struct zc_tcp_resp_ext r;
	unsigned char out[ZC_SMBD_NEGOTIATE_RESP_SIZE + ZC_TCP_RESP_EXT_SIZE];
	int rc;

	if (len != ZC_SMBD_NEGOTIATE_REQ_SIZE + ZC_TCP_HELLO_EXT_SIZE)
		DROP(c, "negotiate request of %zu bytes (want %u)", c->name,
		     len, ZC_SMBD_NEGOTIATE_REQ_SIZE + ZC_TCP_HELLO_EXT_SIZE);
	rc = zc_tcp_hello_decode(m + ZC_SMBD_NEGOTIATE_REQ_SIZE,
				 ZC_TCP_HELLO_EXT_SIZE, &h);
	if (rc)
		DROP(c, "not a zcomm hello (bad magic or version)", c->name);
	/* Any rank of the job may reach me (its ZC_TRANSPORTS decides),
	 * not only those I reach by tcp: the proof below decides. */
	if (h.to != (uint32_t)p->rank || h.from >= (uint32_t)p->size ||
	    h.from == (uint32_t)p->rank)
		DROP(c, "hello from rank %u to rank %u: not a peer of mine",
		     c->name, h.from, h.to);
	/* A duplicate is refused only after authentication (on_auth): a
	 * stranger claiming a connected rank must fail the proof first. */
	c->rank = (int)h.from;
	conn_name(c);
	local_limits(&local);
	rc = zc_smbd_chan_accept(&local, (uint16_t)zc_tcp_params.credits, m,
				 ZC_SMBD_NEGOTIATE_REQ_SIZE, &c->lim, &c->cred,
				 out, sizeof(out));
	if (rc < 0)
		DROP(c, "negotiate: %s", c->name, strerror(-rc));
	memcpy(c->nonce_peer, h.nonce, ZC_TCP_NONCE_SIZE);
	if (getrandom(c->nonce_mine, ZC_TCP_NONCE_SIZE, 0) !=
	    (ssize_t)ZC_TCP_NONCE_SIZE)
		return -EIO;
	r.from = (uint32_t)p->rank;
	r.to = h.from;
	memcpy(r.nonce, c->nonce_mine, ZC_TCP_NONCE_SIZE);
	zc_tcp_auth_mac(p->secret, 'R', c->nonce_peer, c->nonce_mine, h.from,
			(uint32_t)p->rank, r.mac);
	zc_tcp_resp_ext_encode(&r, out + ZC_SMBD_NEGOTIATE_RESP_SIZE);
	c->state = ZC_TCP_WAIT_AUTH;
	return send_raw(c, out, sizeof(out));
}

int zc_tcp_on_resp(struct zc_tcp_conn *c, const unsigned char *m,
		   size_t len)
{
	struct zc_prov *p = c->prov;
	struct zc_smbd_limits local;
	struct zc_tcp_resp_ext r;
	unsigned char mac[ZC_TCP_MAC_SIZE];
	struct zc_tcp_tx *t;
	int rc;

	if (len != ZC_SMBD_NEGOTIATE_RESP_SIZE + ZC_TCP_RESP_EXT_SIZE)
		DROP(c, "negotiate response of %zu bytes", c->name, len);
	rc = zc_tcp_resp_ext_decode(m + ZC_SMBD_NEGOTIATE_RESP_SIZE,
				    ZC_TCP_RESP_EXT_SIZE, &r);
	if (rc || r.from != (uint32_t)c->rank || r.to != (uint32_t)p->rank)
		DROP(c, "response names the wrong ranks", c->name);
	memcpy(c->nonce_peer, r.nonce, ZC_TCP_NONCE_SIZE);
	zc_tcp_auth_mac(p->secret, 'R', c->nonce_mine, c->nonce_peer,
			(uint32_t)p->rank, (uint32_t)c->rank, mac);
	if (!zc_tcp_mac_equal(mac, r.mac)) {
		zc_err("tcp: dropping %s: failed authentication (not this "
		       "job's secret)", c->name);
		return -ZC_EAUTH;
	}
	local_limits(&local);
	rc = zc_smbd_chan_finish(&local, (uint16_t)zc_tcp_params.credits, m,
				 ZC_SMBD_NEGOTIATE_RESP_SIZE, &c->lim, &c->cred);
	if (rc)
		DROP(c, "negotiate: %s", c->name, strerror(-rc));
	t = zc_tcp_tx_new(ZC_TCP_MAC_SIZE);
	if (!t)
		return -ENOMEM;
	t->oh.op = ZC_MSG_AUTH;
	zc_tcp_auth_mac(p->secret, 'I', c->nonce_mine, c->nonce_peer,
			(uint32_t)p->rank, (uint32_t)c->rank, t->inl);
	t->data = t->inl;
	t->dlen = ZC_TCP_MAC_SIZE;
	pthread_mutex_lock(&c->lock);
	zc_tcp_tx_enqueue(c, t);
	c->state = ZC_TCP_UP;
	zc_tcp_tx_kick(c);
	pthread_mutex_unlock(&c->lock);
	__atomic_store_n(&p->out[c->rank], c, __ATOMIC_RELEASE);
	p->nup_out++;
	zc_dbg("tcp: connected to %s", c->name);
	return 0;
}

int zc_tcp_on_auth(struct zc_tcp_conn *c, const struct zc_msg_hdr *h,
		   const unsigned char *mac)
{
	struct zc_prov *p = c->prov;
	unsigned char want[ZC_TCP_MAC_SIZE];

	if (h->op != ZC_MSG_AUTH)
		DROP(c, "op %u before authentication", c->name, h->op);
	zc_tcp_auth_mac(p->secret, 'I', c->nonce_peer, c->nonce_mine,
			(uint32_t)c->rank, (uint32_t)p->rank, want);
	if (!zc_tcp_mac_equal(want, mac)) {
		zc_tcp_clog(c, ZC_LOG_ERROR, "tcp: dropping %s: failed "
			    "authentication (not this job's secret)", c->name);
		return -ZC_EAUTH;
	}
	if (zc_tcp_rank_dead(c))
		DROP(c, "rank %d was declared dead: refused", c->name, c->rank);
	if (p->in[c->rank])
		DROP(c, "rank %d is already connected", c->name, c->rank);
	c->state = ZC_TCP_UP;
	conn_name(c);		/* now it is that rank */
	__atomic_store_n(&p->in[c->rank], c, __ATOMIC_RELEASE);
	atomic_fetch_add(&p->nup_in, 1);
	zc_dbg("tcp: accepted %s", c->name);
	return 0;
}

/* Shuts c's socket down, if it still has one: the kernel ends its pending
 * receive and send, and answers whatever the peer sends from now on with
 * a reset instead of queueing it. Any thread: the socket is closed only
 * under c->lock (zc_tcp_timers). */
static void conn_shutdown(struct zc_tcp_conn *c)
{
	pthread_mutex_lock(&c->lock);
	/* A plain system call, not an io_uring SHUTDOWN: io_uring always
	 * hands that one to an io-wq worker thread, which then stays with
	 * the submitting thread for its life (a thread after zc_finalize). */
	if (c->fd >= 0 && shutdown(c->fd, SHUT_RDWR) && errno != ENOTCONN)
		zc_dbg("tcp: shutdown of %s: %m", c->name);
	pthread_mutex_unlock(&c->lock);
}

void zc_tcp_conn_fail(struct zc_tcp_conn *c, enum zc_log_level lvl,
		      const char *why)
{
	struct zc_prov *p = c->prov;
	bool was_up;

	pthread_mutex_lock(&c->lock);
	if (c->state == ZC_TCP_DEAD) {
		pthread_mutex_unlock(&c->lock);
		return;
	}
	if (why)
		zc_tcp_clog(c, lvl, "tcp: connection to %s lost: %s", c->name,
			    why);
	was_up = c->state == ZC_TCP_UP;
	c->state = ZC_TCP_DEAD;
	pthread_mutex_unlock(&c->lock);
	/* A rank whose authenticated connection (or my connection to it)
	 * failed without a goodbye is dead for good, and it may not connect
	 * again. Its other direction's socket is shut down here and now,
	 * before any op learns of the death: a receive posted into the heap
	 * there ends, and nothing the rank sends from now on lands (its own
	 * thread closes that connection at its next tick or receive). A
	 * stranger's failed handshake, which proves nothing, marks no one. */
	if (c->rank >= 0 && c->rank < p->size && p->dead &&
	    (was_up || c->initiator) && !__atomic_load_n(&c->bye, __ATOMIC_ACQUIRE)) {
		struct zc_tcp_conn *other = __atomic_load_n(
			c->initiator ? &p->in[c->rank] : &p->out[c->rank],
			__ATOMIC_ACQUIRE);

		atomic_store_explicit(&p->dead[c->rank], true,
				      memory_order_release);
		if (other && other != c)
			conn_shutdown(other);
	}
	pthread_mutex_lock(&c->lock);
	zc_tcp_pend_fail(c, -ZC_EPEERDEAD);
	pthread_mutex_unlock(&c->lock);
	conn_shutdown(c);
}
