/* SPDX-License-Identifier: MIT */
/*
 * tcp.h: the tcp provider: one kernel TCP connection per peer pair, every
 * socket operation submitted through one io_uring per rank, SMB-Direct
 * framing with credits, a progress thread that serves peers' requests.
 * Includes zc_provider.h, the smbd codec and its own wire header only;
 * core reaches it through zc_tcp_ops.
 *
 * Threads: two SMB-Direct connections per ordered pair of ranks, like an
 * SMB client and server: my "out" connection to rank r carries my requests
 * and r's responses; my "in" connection from r carries r's requests and
 * my responses. Out connections live on the application thread's ring
 * (app_ring): it sends, receives the replies, and sleeps in the kernel on
 * that ring while it waits, so a reply wakes it directly. In connections
 * live on prog_ring, which one thread at a time drives (prog_owner,
 * tcp_progress.c): the progress thread, so that peers' puts, gets and
 * atomics are served while the application computes, and (ZC_TCP_APP_
 * DRIVE, by default unless ranks outnumber CPUs) the application thread
 * while it polls inside zcomm, so that a peer's put lands without waking
 * anyone. Each ring and each connection has
 * one driver at a time, so the data path takes no lock; conn->lock only
 * guards against close() and peer_status().
 */
#ifndef ZC_TCP_H
#define ZC_TCP_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/uio.h>

#include <liburing.h>

#include "zc_provider.h"
#include "smbd.h"
#include "tcp_wire.h"

/* Missing from liburing 2.3's io_uring.h (kernel 6.2+ ABI values). */
#ifndef IORING_SEND_ZC_REPORT_USAGE
#define IORING_SEND_ZC_REPORT_USAGE (1U << 3)
#endif
#ifndef IORING_NOTIF_USAGE_ZC_COPIED
#define IORING_NOTIF_USAGE_ZC_COPIED (1U << 31)
#endif

/* Tunables (tcp_init.c declares them). */
struct zc_tcp_params {
	const char *iface;	/* ZC_TCP_IF: auto, an interface, or an IPv4 */
	long port;		/* ZC_TCP_PORT: 0 = any */
	const char *netns;	/* ZC_TCP_NETNS: names, rank r uses r % n */
	long credits;		/* ZC_TCP_CREDITS */
	size_t send_size;	/* ZC_TCP_SEND_SIZE: SMBD max send/receive */
	size_t max_msg;		/* ZC_TCP_MAX_MSG: SMBD max fragmented size */
	size_t direct_min;	/* ZC_TCP_DIRECT_MIN */
	size_t inline_max;	/* ZC_TCP_INLINE_MAX */
	const char *send_zc;	/* ZC_TCP_SEND_ZC: auto, on, off */
	size_t zc_min;		/* ZC_TCP_ZC_MIN */
	long connect_timeout_ms;	/* ZC_TCP_CONNECT_TIMEOUT */
	long test_delay_us;	/* ZC_TCP_TEST_DELAY_US */
	long spin_us;		/* ZC_TCP_SPIN_US: -1 = auto */
	const char *progress_cpu;	/* ZC_TCP_PROGRESS_CPU */
	const char *app_drive;	/* ZC_TCP_APP_DRIVE: auto, on, off */
};
extern struct zc_tcp_params zc_tcp_params;

/* io_uring user_data: a connection pointer with the kind in its low bits. */
enum zc_tcp_ud {
	ZC_TCP_UD_RECV = 1,
	ZC_TCP_UD_SEND = 2,
	ZC_TCP_UD_CONNECT = 3,
	ZC_TCP_UD_ACCEPT = 4,	/* conn is NULL: the listener */
	ZC_TCP_UD_WAKE = 5,	/* nothing to do (wakeups, shutdowns) */
	ZC_TCP_UD_MASK = 7,
};

enum zc_tcp_state {
	ZC_TCP_CONNECTING,	/* initiator: connect submitted */
	ZC_TCP_WAIT_RESP,	/* initiator: hello sent, awaiting response */
	ZC_TCP_WAIT_HELLO,	/* responder: accepted, awaiting hello */
	ZC_TCP_WAIT_AUTH,	/* responder: response sent, awaiting proof */
	ZC_TCP_UP,		/* authenticated: ops flow */
	ZC_TCP_DEAD,		/* failed or closed: ops fail */
};

/* One queued outgoing op message (or raw handshake bytes). */
struct zc_tcp_tx {
	struct zc_tcp_tx *next;
	struct zc_msg_hdr oh;
	const void *data;	/* payload: user memory, heap, or inl */
	size_t dlen;
	size_t msg_off;		/* op-message bytes already framed */
	uint16_t flags;		/* SMBD flags for every fragment */
	bool raw;		/* handshake bytes in inl, no SMBD framing */
	unsigned char inl[];	/* inline copy of a small payload */
};

/* An op waiting for its completion at the initiator. */
enum zc_tcp_pend_kind { ZC_TCP_PEND_ACK, ZC_TCP_PEND_GET, ZC_TCP_PEND_AMO };
struct zc_tcp_pend {
	uint64_t seq;
	enum zc_tcp_pend_kind kind;
	struct zc_comp *comp;
	void *dst;		/* get: where the data goes */
	uint64_t len;
	uint64_t *old;		/* amo: fetched value */
};

/* Receive side of one connection (its thread only). */
struct zc_tcp_rx {
	unsigned char *buf;
	size_t cap, head, tail;	/* unparsed bytes are buf[head, tail) */
	char *dptr;		/* direct receive in progress: target, bytes */
	size_t dleft;
	/* The op message being assembled from fragments. */
	bool in_msg;
	struct zc_msg_hdr cur;
	char *cur_dst;		/* payload destination */
	uint64_t cur_left;	/* op-message bytes still to come */
	uint32_t frag_left;	/* payload bytes of this fragment to place */
	bool want_ack;		/* the op message asked for an ACK */
};

#define ZC_TCP_IOV_MAX 128

struct zc_tcp_conn {
	struct zc_prov *prov;
	struct io_uring *ring;	/* app_ring (out) or prog_ring (in) */
	int fd;
	int rank;		/* peer rank, -1 until identified */
	bool initiator;		/* out connection: mine, to rank */
	_Atomic int state;	/* enum zc_tcp_state */
	char name[64];		/* "rank 3 (10.0.0.2:41234)" for logs */
	struct sockaddr_in sa;
	int inflight;		/* SQEs not yet completed */
	struct zc_tcp_conn *next;	/* prov->conns */

	pthread_mutex_t lock;
	struct zc_smbd_credits cred;
	struct zc_smbd_limits lim;
	/* send queue */
	struct zc_tcp_tx *txq, **txq_tail;
	struct zc_tcp_tx *txfly;	/* items in the send in flight */
	size_t txq_bytes;
	bool tx_busy;
	bool tx_zc_notif;	/* a SEND_ZC notification is still due */
	int zc_mode;		/* 1 use SEND_ZC, 0 not, -1 probing */
	int zc_probes;
	struct msghdr msg;
	struct iovec iov[ZC_TCP_IOV_MAX];
	unsigned char hdrs[ZC_TCP_IOV_MAX / 2][ZC_TCP_PREFIX_SIZE +
		ZC_SMBD_DATA_OFFSET + ZC_MSG_HDR_SIZE];
	size_t tx_len;		/* bytes of the send in flight */
	/* sequence and completion (initiator side of my requests) */
	uint64_t next_seq;		/* last request seq issued */
	_Atomic uint64_t issued;	/* copy for lock-free polling */
	_Atomic uint64_t acked;		/* highest seq the peer processed */
	struct zc_tcp_pend *pend;
	size_t pend_cap, pend_head, pend_tail;	/* ring, under lock */
	_Atomic size_t npend;
	/* target side of the peer's requests */
	uint64_t rx_seq;	/* last peer request processed */
	bool ack_due;		/* processed requests not acked yet */
	uint64_t ack_asked;	/* out: highest request an ACK was asked for */
	bool grant_due;		/* peer sent something other than an ACK */
	/* liveness (the connection's thread) */
	long long last_rx_ms, ka_sent_ms, born_ms;	/* 0: none pending */
	bool bye;		/* the peer said goodbye */
	bool bye_sent;		/* mine is queued: nothing follows it */
	/* a stranger's log lines (tcp_stranger.c): decided once, then all
	 * logged or all only counted */
	bool log_decided, log_muted;
	/* handshake */
	unsigned char nonce_mine[ZC_TCP_NONCE_SIZE];
	unsigned char nonce_peer[ZC_TCP_NONCE_SIZE];
	struct zc_tcp_rx rx;
};

struct zc_prov {
	int rank, size;
	const unsigned char *assigned;
	char *heap;
	size_t heap_size;
	long peer_timeout_ms;
	const struct zc_boot_services *boot;
	unsigned char secret[ZC_TCP_SECRET_SIZE];

	int lfd;		/* listening socket, -1 if none */
	struct sockaddr_in laddr;
	struct sockaddr_in acc_sa;	/* accept's peer address */
	socklen_t acc_len;

	struct io_uring app_ring, prog_ring;
	bool rings_ok;
	pthread_t thread;
	bool thread_ok;
	_Atomic bool stop;

	pthread_mutex_t conns_lock;	/* the conns list */
	struct zc_tcp_conn *conns;	/* every connection, all states */
	struct zc_tcp_conn **out;	/* per rank: my requests (app) */
	struct zc_tcp_conn **in;	/* per rank: its requests (progress) */
	/* per rank: declared dead (set once, by whichever thread saw an
	 * authenticated connection of it fail without a goodbye); from then
	 * on both directions are closed and nothing it sends is acted on. */
	_Atomic bool *dead;
	_Atomic int nup_in;		/* in connections authenticated */
	int nup_out;
	int nbi_err;			/* first error of a comp-less op */
	long long last_timers_ms;	/* app thread's keepalive check */
	long spin_ns;		/* app wait polls this long before sleeping */
	bool app_drive;		/* the application thread may drive it */
	/* Who drives prog_ring (tcp_progress.c): enum zc_tcp_owner. */
	_Atomic int prog_owner;
	_Atomic bool app_wants;		/* the progress thread should hand over */
	_Atomic long long app_seen_us;	/* the app thread's last drive */
	bool app_napped;	/* idle since the app thread's last drive */
	long long prog_tick_ms;		/* in connections' timers, last run */
	pthread_mutex_t park_lock;	/* the progress thread parks here */
	pthread_cond_t park;		/* while the app thread drives */
	bool oversub;		/* this node runs more ranks than CPUs */
	/* Strangers logged one by one and only counted in this interval
	 * (tcp_stranger.c, the progress thread's). */
	struct {
		long long since_ms;
		unsigned loud, muted;
	} strangers;
};

extern const struct zc_provider_ops zc_tcp_ops;

/* tcp_ring.c: submission (by the ring's one thread) and reaping */
long long zc_tcp_now_ms(void);
long long zc_tcp_now_us(void);
struct io_uring_sqe *zc_tcp_sqe(struct io_uring *ring);
int zc_tcp_submit(struct io_uring *ring);
void zc_tcp_set_ud(struct io_uring_sqe *sqe, struct zc_tcp_conn *c,
		   enum zc_tcp_ud kind);
int zc_tcp_prep_recv(struct zc_tcp_conn *c);
int zc_tcp_post_recv(struct zc_tcp_conn *c);
int zc_tcp_post_accept(struct zc_prov *p);
/* Handles every completion waiting on ring; returns how many. */
unsigned zc_tcp_reap(struct zc_prov *p, struct io_uring *ring);
/* Application thread: wait up to timeout_us for a completion on
 * app_ring, handle what came, run the out connections' timers. */
void zc_tcp_app_wait(struct zc_prov *p, long timeout_us);
/* Wait for a completion on ring: poll up to p->spin_ns first (a sleeping
 * thread costs a wake-up per message), then sleep up to ts. drive (the
 * application thread): serve prog_ring between polls, and hand it back
 * before sleeping. */
void zc_tcp_ring_wait(struct zc_prov *p, struct io_uring *ring,
		      struct __kernel_timespec *ts, bool drive);

/* tcp_conn.c: connections and the handshake */
struct zc_tcp_conn *zc_tcp_conn_new(struct zc_prov *p, int fd,
				    const struct sockaddr_in *sa,
				    bool initiator, int rank);
void zc_tcp_conn_free(struct zc_tcp_conn *c);
int zc_tcp_sock_setup(int fd, long timeout_ms);
int zc_tcp_conn_start(struct zc_prov *p, int rank,
		      const struct sockaddr_in *sa);
int zc_tcp_on_connected(struct zc_tcp_conn *c, int res);
/* Handshake messages; return 0, or negative to drop the connection
 * (logged). */
int zc_tcp_on_hello(struct zc_tcp_conn *c, const unsigned char *m,
		    size_t len);
int zc_tcp_on_resp(struct zc_tcp_conn *c, const unsigned char *m,
		   size_t len);
int zc_tcp_on_auth(struct zc_tcp_conn *c, const struct zc_msg_hdr *h,
		   const unsigned char *mac);
/* Rank r was declared dead: the connection must go (c->lock not held). */
static inline bool zc_tcp_rank_dead(const struct zc_tcp_conn *c)
{
	return c->rank >= 0 && c->prov->dead &&
	       atomic_load_explicit(&c->prov->dead[c->rank],
				    memory_order_acquire);
}

/* Mark dead, fail everything outstanding, shut the socket (its pending
 * receive ends). why: a reason, logged at level lvl (NULL: logged). */
void zc_tcp_conn_fail(struct zc_tcp_conn *c, enum zc_log_level lvl,
		      const char *why);

/* tcp_stranger.c: unauthenticated in connections (progress thread) */
/* Handshakes in progress at once beyond the job's size. */
#define ZC_TCP_PENDING_MAX 64
/* An in connection that has not proved a rank (any state). */
bool zc_tcp_is_stranger(const struct zc_tcp_conn *c);
/* false: c is a stranger beyond this interval's few logged ones, its lines
 * are only counted (once per connection). */
bool zc_tcp_conn_may_log(struct zc_tcp_conn *c);
/* Logs the count of strangers not logged, once per interval (closing:
 * now). */
void zc_tcp_strangers_tick(struct zc_prov *p, long long now, bool closing);
/* A new in connection was accepted: drop the oldest handshake beyond the
 * limit (conns_lock not held). */
void zc_tcp_strangers_bound(struct zc_prov *p);
/* A log line about connection c, through the strangers' rate limit. */
#define zc_tcp_clog(c, lvl, ...)                                            \
	do {                                                                \
		if ((lvl) <= zc_log_level && zc_tcp_conn_may_log(c))        \
			zc_log(lvl, __VA_ARGS__);                           \
	} while (0)

/* tcp_tx.c: the send queue (the connection's thread, c->lock held) */
struct zc_tcp_tx *zc_tcp_tx_new(size_t inline_len);
void zc_tcp_tx_enqueue(struct zc_tcp_conn *c, struct zc_tcp_tx *t);
void zc_tcp_tx_kick(struct zc_tcp_conn *c);
void zc_tcp_tx_ack(struct zc_tcp_conn *c, uint16_t flags);
/* My goodbye, once, and sent: the last message of the connection. */
void zc_tcp_tx_bye(struct zc_tcp_conn *c);
/* The same on each of conns[0..n) that exists (c->lock not held). */
void zc_tcp_tx_bye_all(struct zc_tcp_conn **conns, int n);
/* c is up and still sending, or (want_bye) the peer's goodbye has not
 * come yet: zc_tcp_close waits (tcp_progress.c). */
bool zc_tcp_closing(const struct zc_tcp_conn *c, bool want_bye);
/* c->lock not held. */
void zc_tcp_tx_done(struct zc_tcp_conn *c, int res, unsigned cqe_flags);
void zc_tcp_tx_free_all(struct zc_tcp_conn *c);

/* tcp_rx.c: the receive stream (the connection's thread) */
int zc_tcp_rx_init(struct zc_tcp_rx *rx, size_t cap);
void zc_tcp_rx_fini(struct zc_tcp_rx *rx);
void zc_tcp_on_recv(struct zc_tcp_conn *c, int res);

/* tcp_progress.c */
/* prog_ring's driver. APP: the application thread, between its drives;
 * APP_BUSY: during one; PROG: the progress thread. Only the owner moves
 * it (APP <-> APP_BUSY, PROG -> APP on request) except that the progress
 * thread takes an APP ring that was not driven for ZC_TCP_HANDBACK_US. */
enum zc_tcp_owner { ZC_TCP_OWN_PROG, ZC_TCP_OWN_APP, ZC_TCP_OWN_APP_BUSY };
/* Application thread: serve prog_ring once if it is mine, else ask for
 * it (not on the first poll after a nap: zc_tcp_idle); returns whether
 * it was served. */
bool zc_tcp_drive(struct zc_prov *p);
/* Application thread, before it sleeps: the progress thread drives. */
void zc_tcp_hand_back(struct zc_prov *p);
/* The provider's idle op: the application thread naps in a wait. */
void zc_tcp_idle(struct zc_prov *p);
int zc_tcp_progress_init(struct zc_prov *p);
int zc_tcp_progress_start(struct zc_prov *p);
void zc_tcp_progress_stop(struct zc_prov *p);
/* Keepalives and the peer timeout of the thread's own connections. */
void zc_tcp_timers(struct zc_prov *p, bool out, long long now);
/* ops->progress: the application thread's share (out connections). */
int zc_tcp_progress(struct zc_prov *p);

/* tcp_ops.c */
int zc_tcp_put(struct zc_prov *p, int rank, uint64_t off, const void *src,
	       size_t len, struct zc_comp *comp);
int zc_tcp_put_signal(struct zc_prov *p, int rank, uint64_t off,
		      const void *src, size_t len, uint64_t sig_off,
		      enum zc_amo_op sig_op, uint64_t sig_value,
		      struct zc_comp *comp);
int zc_tcp_get(struct zc_prov *p, int rank, uint64_t off, void *dst,
	       size_t len, struct zc_comp *comp);
int zc_tcp_amo(struct zc_prov *p, int rank, uint64_t off,
	       enum zc_amo_op op, size_t width, uint64_t value, uint64_t cmp,
	       uint64_t *old, struct zc_comp *comp);
int zc_tcp_fence(struct zc_prov *p);
int zc_tcp_quiet_local(struct zc_prov *p, int rank);
int zc_tcp_quiet(struct zc_prov *p);
int zc_tcp_peer_status(struct zc_prov *p, int rank);
/* Complete pending entries up to acked; fail them all with err when err
 * is nonzero (c->lock held). */
void zc_tcp_pend_ack(struct zc_tcp_conn *c);
void zc_tcp_pend_fail(struct zc_tcp_conn *c, int err);

#endif /* ZC_TCP_H */
