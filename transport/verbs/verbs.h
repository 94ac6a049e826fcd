/* SPDX-License-Identifier: MIT */
/*
 * verbs.h: the verbs provider: one RC queue pair per peer, connected with
 * rdma_cm; puts are RDMA WRITEs and gets RDMA READs straight into the
 * peers' registered heaps (the target's CPU never runs for them); atomics
 * and control travel as SMB-Direct messages on the QP's send/receive
 * channel and are executed by the target's progress thread with CPU
 * atomics (one execution agent per location, shared with shm peers) --
 * or, where every rank of the job is a verbs peer with device atomics,
 * by the NICs (verbs_amo_dev.c), my own heap's through a loopback QP.
 * Includes zc_provider.h, the smbd and msg codecs and its own header
 * only; core reaches it through zc_verbs_ops.
 *
 * Threads: the application thread posts requests and polls the send CQ;
 * the progress thread sleeps on the receive CQ's completion channel and
 * the rdma_cm event channel, serves the peers' atomic requests, answers
 * with responses and credits, and fails connections (disconnects, device
 * removal, timeouts). Either may poll the send CQ (scq_lock) to make room
 * in a send queue; a connection's send queue, credits and pending table
 * are guarded by conn->lock.
 */
#ifndef ZC_VERBS_H
#define ZC_VERBS_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>

#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>

#include "zc_provider.h"
#include "smbd.h"
#include "zc_msg.h"

/* Tunables (verbs_init.c declares them). */
struct zc_verbs_params {
	const char *device;	/* ZC_VERBS_DEVICE: auto or dev[:port] */
	long sq_depth;		/* ZC_VERBS_SQ_DEPTH */
	long credits;		/* ZC_VERBS_CREDITS */
	long inline_max;	/* ZC_VERBS_INLINE: -1 = the device's */
	size_t bounce_max;	/* ZC_VERBS_BOUNCE_MAX */
	long bounce_count;	/* ZC_VERBS_BOUNCE_COUNT */
	int rcache;		/* ZC_VERBS_RCACHE */
	size_t rcache_max;	/* ZC_VERBS_RCACHE_MAX */
	const char *atomics;	/* ZC_VERBS_ATOMICS */
	long connect_timeout_ms;	/* ZC_VERBS_CONNECT_TIMEOUT */
	long spin_us;		/* ZC_VERBS_SPIN_US: -1 = auto */
};
extern struct zc_verbs_params zc_verbs_params;

/* Bytes of one control message (SMB-Direct receive/send size): an op
 * header with room to spare; larger op messages would be fragmented. */
#define ZC_VERBS_MSG_SIZE 256u
#define ZC_VERBS_MAGIC 0x5a435652u	/* "ZCVR" */
#define ZC_VERBS_WIRE_VERSION 1u
/* The negotiate extension: magic, version, from, to, and the sender's
 * heap as one Buffer Descriptor V1 (offset = address, token = rkey). */
#define ZC_VERBS_EXT_SIZE (16u + ZC_SMBD_BUFFER_DESC_SIZE)

/* One device as discovered (verbs_dev.c). */
struct zc_verbs_dev {
	char name[IBV_SYSFS_NAME_MAX];
	uint8_t port;
	struct ibv_device_attr attr;
	struct ibv_port_attr port_attr;
	uint32_t max_inline;	/* largest RC inline, found by trying */
	struct in_addr ip;	/* the port's IPv4 address (rdma_cm) */
	bool has_ip;
};

enum zc_verbs_state {
	ZC_VERBS_IDLE,		/* not started (or not assigned) */
	ZC_VERBS_RESOLVING,	/* initiator: address/route */
	ZC_VERBS_CONNECTING,	/* CM handshake under way */
	ZC_VERBS_NEGOTIATING,	/* established, SMB-Direct negotiate */
	ZC_VERBS_UP,
	ZC_VERBS_DEAD,
};

/* A send-queue slot: what a work request holds until it retires. */
enum zc_verbs_wr_kind {
	ZC_VERBS_WR_WRITE = 1,
	ZC_VERBS_WR_READ,
	ZC_VERBS_WR_SEND,	/* a control message (its buffer: sbuf slot) */
	ZC_VERBS_WR_ATOMIC,	/* a device atomic (its result: amo_res) */
};
struct zc_verbs_wr {
	struct zc_verbs_conn *conn;
	uint8_t kind;
	bool signaled;
	int bounce;		/* bounce slot to release, or -1 */
	struct zc_verbs_rce *rce;	/* registration to release, or NULL */
	struct zc_comp *comp;	/* completed when this WR retires */
	void *copy_to;		/* READ through a bounce slot: destination */
	uint64_t *old;		/* device atomic: where its result goes */
	uint32_t len;
};

/* An atomic waiting for its response (ring, oldest first). */
struct zc_verbs_pend {
	uint64_t seq;
	struct zc_comp *comp;
	uint64_t *old;
	long long sent_ms;
};

struct zc_verbs_conn {
	struct zc_prov *prov;
	int rank;
	bool initiator;		/* I connect (lower rank), it accepts */
	bool self;		/* a loopback QP for device atomics: no
				 * SMB-Direct channel, no receives */
	bool fence_next;	/* the next WR waits for earlier READs and
				 * device atomics (IBV_SEND_FENCE) */
	struct rdma_cm_id *id;
	struct ibv_qp *qp;
	_Atomic int state;	/* enum zc_verbs_state */
	char name[64];		/* "rank 3 (10.77.0.1:4791)" */
	struct sockaddr_in sa;	/* its listener */
	/* the peer's heap (its Buffer Descriptor) */
	uint64_t raddr;
	uint32_t rkey;

	pthread_mutex_t lock;
	struct zc_verbs_wr *wr;	/* sq_depth slots */
	uint32_t sq_head, sq_tail;	/* posted / retired (free running) */
	uint32_t unsig;		/* WRs posted since the last signaled one */
	uint32_t sig_out;	/* signaled WRs posted, not yet retired */
	uint32_t rd_out;	/* READs and device atomics not yet retired:
				 * what a fence has to wait for */
	bool wr_dirty;		/* iWARP: a WRITE posted since the last READ,
				 * so not known to be placed at the target */
	unsigned char *rbuf;	/* receive buffers (ctl MR) */
	unsigned char *sbuf;	/* send buffers (ctl MR), nsbuf of them */
	uint32_t sb_head, sb_tail;
	struct zc_smbd_credits cred;
	struct zc_smbd_limits lim;
	bool grant_due;		/* the peer spent credits: give them back */
	struct zc_msg_hdr *outq;	/* messages waiting for credits */
	uint32_t oq_head, oq_tail;
	uint64_t next_seq;	/* my last atomic request */
	uint64_t rx_seq;	/* the peer's last request served */
	struct zc_verbs_pend *pend;
	uint32_t pend_head, pend_tail;
	_Atomic uint32_t npend;
	bool bye;		/* the peer closed in order */
	bool bye_sent;		/* mine is queued: no credits follow it */
};

struct zc_verbs_rcache;

struct zc_prov {
	int rank, size;
	const unsigned char *assigned;
	char *heap;
	size_t heap_size;
	long peer_timeout_ms;
	const struct zc_boot_services *boot;
	uint64_t cookie;	/* the job's: strangers are refused */

	struct zc_verbs_dev dev;
	struct ibv_context *ctx;	/* librdmacm's context of dev */
	struct ibv_pd *pd;
	struct ibv_mr *heap_mr;
	struct ibv_comp_channel *rchan;
	struct ibv_cq *scq, *rcq;
	int scq_size;
	_Atomic int scq_inflight;	/* signaled WRs not yet polled */
	pthread_mutex_t scq_lock;
	pthread_mutex_t rcq_lock;	/* receives are handled in order */
	struct rdma_event_channel *cm;
	struct rdma_cm_id *listen_id;
	uint16_t port;		/* network order */
	uint32_t inline_max;
	/* iWARP completes a WRITE when it has left, not when it is placed
	 * at the target: quiet ends with a READ (it is answered after the
	 * target placed every WRITE before it), into flush_sink. */
	bool iwarp;
	void *flush_sink;	/* 8 bytes after the control buffers */
	bool dev_atomics;	/* the device executes 64-bit atomics */
	bool amo_want;		/* ZC_VERBS_ATOMICS allows the device, it has
				 * them, and every peer is mine */
	bool amo_device;	/* the whole job agreed: device atomics */
	uint64_t *amo_res;	/* results: sq_depth per connection */
	struct ibv_mr *amo_mr;

	/* control buffers of every connection, one registration */
	unsigned char *ctl;
	size_t ctl_len;
	struct ibv_mr *ctl_mr;
	uint32_t nsbuf;

	/* bounce pool for small non-heap buffers */
	unsigned char *bounce;
	struct ibv_mr *bounce_mr;
	pthread_mutex_t bounce_lock;
	int *bounce_free;
	int nbounce_free;
	struct zc_verbs_rcache *rc;

	/* per rank (assigned ones used), then conns[size]: the passive end
	 * of the loopback connection conns[rank] (device atomics only) */
	struct zc_verbs_conn *conns;
	int nassigned;
	pthread_t thread;
	bool thread_ok;
	int wake_fd;		/* eventfd: stop the progress thread */
	_Atomic bool stop;
	_Atomic bool dev_gone;
	long spin_ns;
	_Atomic int nbi_err;	/* first error of an op without comp (either
				 * thread may record it) */
	unsigned wait_spins;	/* the application thread's wait loops */
};

extern const struct zc_provider_ops zc_verbs_ops;

/* verbs_dev.c: discovery */
/* Fills dev with the device ZC_VERBS_DEVICE names (or the best one). */
int zc_verbs_dev_pick(struct zc_verbs_dev *dev);
/* Lists every device and its attributes (zcomm_info). */
void zc_verbs_dev_info(FILE *out);

/* verbs_conn.c: the mesh, the negotiate, connection failure */
int zc_verbs_connect_all(struct zc_prov *p);
/* Puts my listener's address and my heap's key into the bootstrap. */
int zc_verbs_publish(struct zc_prov *p);
/* Handles one rdma_cm event (progress thread after connect). */
void zc_verbs_cm_event(struct zc_prov *p, struct rdma_cm_event *ev);
int zc_verbs_qp_create(struct zc_verbs_conn *c, struct rdma_cm_id *id);
/* Marks c dead, fails what it has outstanding; logs why at lvl. */
void zc_verbs_conn_fail(struct zc_verbs_conn *c, enum zc_log_level lvl,
			const char *why);
void zc_verbs_conn_fail_locked(struct zc_verbs_conn *c,
			       enum zc_log_level lvl, const char *why);
/* Negotiate messages while NEGOTIATING (c->lock held). */
int zc_verbs_on_negotiate(struct zc_verbs_conn *c, const unsigned char *m,
			  size_t len);
void zc_verbs_conn_close(struct zc_verbs_conn *c);

/* verbs_chan.c: the SMB-Direct channel (c->lock held unless said) */
int zc_verbs_post_recv(struct zc_verbs_conn *c, uint32_t idx);
/* Queues one op message (a data transfer with credits) and sends what
 * the peer's credits allow: 0, -ENOBUFS (queue full), -ZC_EPEERDEAD. */
int zc_verbs_send_msg(struct zc_verbs_conn *c, const struct zc_msg_hdr *h);
/* The initiator's first data transfer message: credits only. */
int zc_verbs_grant_initial(struct zc_verbs_conn *c);
/* Sends queued messages while credits, buffers and slots last. */
void zc_verbs_chan_kick(struct zc_verbs_conn *c);
/* Sends raw negotiate bytes (no credits). */
int zc_verbs_send_raw(struct zc_verbs_conn *c, const void *m, size_t len);
/* A receive completed (c->lock not held). */
void zc_verbs_on_recv(struct zc_verbs_conn *c, const struct ibv_wc *wc);
/* Polls the receive CQ once; returns completions handled. */
int zc_verbs_poll_rcq(struct zc_prov *p);

/* verbs_sq.c: send queue slots, the send CQ */
/* A free slot on c (c->lock held; may drop and retake it to poll). */
int zc_verbs_sq_reserve(struct zc_verbs_conn *c);
/* Posts wr in the reserved slot; signals when asked or when due. */
int zc_verbs_sq_post(struct zc_verbs_conn *c, struct ibv_send_wr *wr,
		     const struct zc_verbs_wr *slot, bool signal);
/* Polls the send CQ (any thread); returns completions handled. */
int zc_verbs_poll_scq(struct zc_prov *p);
/* Retires every slot of c with err (connection failed; lock held). */
void zc_verbs_sq_fail(struct zc_verbs_conn *c, int err);

/* verbs_mem.c: local buffers that are not the heap */
struct zc_verbs_lkey {
	uint32_t lkey;
	uint64_t addr;		/* what the SGE points at */
	int bounce;		/* slot, or -1 */
	struct zc_verbs_rce *rce;
};
/* For len bytes at buf: heap, bounce slot (copying in when copy_in), or
 * a cached registration. */
int zc_verbs_mem_get(struct zc_prov *p, void *buf, size_t len, bool copy_in,
		     struct zc_verbs_lkey *k);
void zc_verbs_mem_put(struct zc_prov *p, int bounce, struct zc_verbs_rce *rce);
int zc_verbs_mem_init(struct zc_prov *p);
void zc_verbs_mem_fini(struct zc_prov *p);

/* verbs_ops.c */
int zc_verbs_put(struct zc_prov *p, int rank, uint64_t off, const void *src,
		 size_t len, struct zc_comp *comp);
int zc_verbs_get(struct zc_prov *p, int rank, uint64_t off, void *dst,
		 size_t len, struct zc_comp *comp);
int zc_verbs_amo(struct zc_prov *p, int rank, uint64_t off,
		 enum zc_amo_op op, size_t width, uint64_t value, uint64_t cmp,
		 uint64_t *old, struct zc_comp *comp);
int zc_verbs_put_signal(struct zc_prov *p, int rank, uint64_t off,
			const void *src, size_t len, uint64_t sig_off,
			enum zc_amo_op sig_op, uint64_t sig_value,
			struct zc_comp *comp);
int zc_verbs_fence(struct zc_prov *p);
int zc_verbs_quiet(struct zc_prov *p);
int zc_verbs_progress(struct zc_prov *p);
/* A waiting loop's turn: drive progress, else core's backoff (a software
 * device's kernel threads may need this CPU to complete us). */
void zc_verbs_wait_turn(struct zc_prov *p, unsigned *spins);
int zc_verbs_peer_status(struct zc_prov *p, int rank);
/* A response arrived for c's oldest pending atomic (lock held). */
int zc_verbs_pend_done(struct zc_verbs_conn *c, const struct zc_msg_hdr *h);
void zc_verbs_pend_fail(struct zc_verbs_conn *c, int err);

/* verbs_amo_dev.c: device atomics (p->amo_device) */
int zc_verbs_amo_dev(struct zc_prov *p, int rank, uint64_t off,
		     enum zc_amo_op op, size_t width, uint64_t value,
		     uint64_t cmp, uint64_t *old, struct zc_comp *comp);
/* Sets up the results' registration and the loopback connection. */
int zc_verbs_amo_dev_start(struct zc_prov *p);
void zc_verbs_amo_dev_fini(struct zc_prov *p);

/* verbs_progress.c */
int zc_verbs_progress_start(struct zc_prov *p);
void zc_verbs_progress_stop(struct zc_prov *p);
long long zc_verbs_now_ms(void);

#endif /* ZC_VERBS_H */
