/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zck.h: the zcomm kernel module. It owns every RDMA resource a zcomm job
 * uses: per device a PD (ib_client), one RC connection per pair of node
 * addresses shared by every rank of the node (rdma_cm), the memory
 * registrations (FRWR over pages that io_uring pinned), and takes requests
 * as io_uring passthrough commands on /dev/zcomm (zcomm_kernel.h).
 *
 * Files: zck_main.c (module, misc device, report), zck_dev.c (devices,
 * addresses), zck_conn.c (rdma_cm, QPs, teardown), zck_chan.c (the
 * SMB-Direct channel: credits, messages, the target's serving of attach
 * and atomics), zck_reg.c (registrations), zck_cmd.c (the commands).
 *
 * Contexts: commands run in the submitting task or io-wq (may block only
 * when not IO_URING_F_NONBLOCK); completions run in softirq
 * (IB_POLL_SOFTIRQ: never sleep; every lock they take is taken with
 * interrupts off everywhere: conn->lock, f->lock); rdma_cm handlers in
 * rdma_cm's work; teardown, serving attach requests and the timeout tick
 * in zck_wq. Commands complete through io_uring_cmd_complete_in_task.
 * Locks: zck_lock (mutex: the device and connection lists, the
 * registration idr), conn->lock (spinlock: channel, credits, pending
 * requests, state), f->lock (spinlock: in-flight, punted and AMO
 * counts, the early error, quiet waiters),
 * reg->mutex (materialising its MRs). Order: zck_lock, then conn->lock.
 */
#ifndef ZCK_H
#define ZCK_H

#include <linux/bottom_half.h>
#include <linux/io_uring.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <rdma/ib_verbs.h>
#include <rdma/rdma_cm.h>

struct seq_buf;

#include "zcomm_kernel.h"
#include "smbd.h"
#include "zc_msg.h"

#define ZCK_VERSION "0.1"
#define ZCK_MAGIC 0x5a434b4eu		/* "ZCKN": connect private data */
#define ZCK_WIRE_VERSION 1u
#define ZCK_MSG_SIZE 8192u		/* SMB-Direct send/receive size */
#define ZCK_CREDITS 32u			/* receives we grant a peer */
#define ZCK_SEND_BUFS (2u * ZCK_CREDITS + 4u)
#define ZCK_OPS_DEPTH 512u		/* RDMA WRs in flight per connection */
#define ZCK_INLINE_MAX 128u		/* inline bytes asked of a QP, at most */
#define ZCK_MAX_REGS 4			/* registrations per file */
#define ZCK_MAX_CHUNKS 500u		/* MRs per registration (descriptors) */
#define ZCK_TICK_MS 100
#define ZCK_GRACE_MS 2000		/* a gone heap stays mapped this long */

extern unsigned int zck_port;
extern unsigned int zck_timeout_ms;	/* connect, attach and atomic bound */
extern struct workqueue_struct *zck_wq;
extern struct mutex zck_lock;
extern struct list_head zck_devs;
extern struct list_head zck_conns;
extern atomic64_t zck_pinned_pages;

/* One RDMA device (ib_client). */
struct zck_dev {
	struct list_head node;		/* zck_devs */
	struct ib_device *ib;
	struct ib_pd *pd;
	struct kref ref;
	bool gone;			/* being removed */
	/* iWARP completes a WRITE when it has left, not when the target
	 * placed it: QUIET then ends with a READ per peer written to (its
	 * answer follows the placement of every WRITE before it), into
	 * this 8-byte sink. */
	bool iwarp;
	u64 *sink;
	u64 sink_dma;
};

/* The route prefix of every channel message payload (doc/wire.md). */
enum zck_kind {
	ZCK_K_OP = 1,		/* an op message (zc_msg.h) follows: AMO, AMO_RESP */
	ZCK_K_ATTACH = 2,	/* job key, rank, registration, request id */
	ZCK_K_ATTACH_RESP = 3,	/* request id, length, Buffer Descriptors V1 */
	ZCK_K_GONE = 4,		/* registration reg's rank left: stop using it */
	ZCK_K_LAST
};
#define ZCK_ROUTE_SIZE 16u
struct zck_route {
	u8 kind;
	u32 reg;		/* the target's registration id */
	s32 status;		/* responses: 0 or a negative errno */
};

enum zck_conn_state {
	ZCK_C_CONNECTING,	/* rdma_cm under way (or waiting for the peer) */
	ZCK_C_NEGOTIATING,	/* established; SMB-Direct negotiate */
	ZCK_C_UP,
	ZCK_C_DEAD,
};

struct zck_buf {		/* one send or receive message buffer */
	struct list_head node;	/* tx: free list or outq */
	struct ib_cqe cqe;
	struct zck_conn *conn;
	void *data;
	u64 dma;
	u32 len;		/* tx: bytes to send */
};

/* One RC connection between a local and a remote node address. */
struct zck_conn {
	struct list_head node;	/* zck_conns while reachable by lookup */
	struct kref ref;
	__be32 laddr, raddr;
	bool active;		/* we connected; else we accepted */
	bool listed;
	enum zck_conn_state state;
	int err;		/* why it died */
	struct rdma_cm_id *cm;
	struct zck_dev *dev;
	struct ib_cq *scq, *rcq;	/* from the device's CQ pool */
	u32 scq_n, rcq_n;		/* the entries we hold in them */
	struct ib_qp *qp;
	u32 max_inline;		/* bytes a WRITE may carry inline */
	spinlock_t lock;
	wait_queue_head_t wq;	/* state, sq room, responses */
	struct zck_buf rx[ZCK_CREDITS + 1];
	struct zck_buf tx[ZCK_SEND_BUFS];
	struct list_head tx_free, outq;
	unsigned int ntx_free;	/* length of tx_free */
	struct zc_smbd_credits cr;
	struct zc_smbd_limits lim;
	atomic_t sq_ops;	/* RDMA and registration WRs in flight */
	struct list_head pend;	/* struct zck_req waiting for a response */
	struct list_head peers;	/* struct zck_peer using this connection */
	u64 next_req;
	unsigned long deadline;	/* jiffies: connect must be done by */
	struct work_struct kill_work;
	u64 n_write, n_read, n_amo, n_tx, n_rx, n_bytes;
	u64 flush_tag;		/* the QUIET pass that last put a READ here */
};

/* A request waiting for its response on a connection. */
struct zck_req {
	struct list_head node;	/* conn->pend */
	u64 id;
	unsigned long deadline;
	struct io_uring_cmd *cmd;	/* AMO: completed on the response */
	struct zck_file *f;
	/* ATTACH: filled by the response, waited on by the issuer */
	bool done;
	int status;
	u64 value;
	struct zc_smbd_buffer_desc *desc;
	u32 ndesc;
	u64 len;
	u32 reg;		/* ATTACH: the target's registration id */
};

/* A registration: pages io_uring pinned, referenced by us too. */
struct zck_reg {
	struct kref ref;
	struct rcu_head rcu;
	struct work_struct free_work;
	struct list_head drop_node;
	struct list_head all_node;	/* zck_all_regs, until freed */
	struct delayed_work grace_work;
	bool dev_gone;
	unsigned long npages_held;
	u32 id;
	struct zck_file *owner;	/* NULL once the file closed */
	u8 job[ZCK_JOB_KEY_SIZE];
	u32 rank;
	bool remote;		/* reachable by peers (the heap) */
	u64 uaddr, len;
	struct page **pages;
	unsigned long npages;
	struct zck_dev *dev;
	struct mm_struct *mm;	/* locked_vm accounted here */
	struct mutex mutex;
	u32 nchunk;
	u64 chunk_bytes;
	struct zck_chunk {
		struct sg_table sgt;
		struct ib_mr *mr;
		bool mapped, valid;
	} *chunk;
};

/* A remote rank this file attached. */
struct zck_peer {
	struct list_head cnode;	/* conn->peers */
	bool gone;		/* its rank left (ZCK_K_GONE) */
	struct zck_conn *conn;
	bool dirty;		/* iWARP: written since the file's last QUIET */
	u32 rank, reg;
	u64 len, chunk_bytes;
	u32 nchunk;
	struct zc_smbd_buffer_desc *desc;
};

/* One open of /dev/zcomm: one rank. */
struct zck_file {
	spinlock_t lock;
	bool bound;
	u8 job[ZCK_JOB_KEY_SIZE];
	u32 rank;
	__be32 laddr;
	struct zck_dev *dev;
	struct mutex mutex;	/* bind, reg, attach */
	struct zck_reg *regs[ZCK_MAX_REGS];
	int nregs;
	struct xarray peers;	/* handle -> struct zck_peer */
	u32 npeers;
	long inflight;		/* ops posted, not completed */
	long punted;		/* PUT/GET/AMO gone to io-wq, not yet posted */
	long amo_inflight;	/* AMOs waiting for their answer */
	int err;		/* first error of an op completed early */
	struct list_head quiets;	/* QUIET commands waiting */
	wait_queue_head_t wq;	/* inflight, punted, amo_inflight drop */
};

/*
 * ib_post_send, for up to ZCK_POST_NOW_MAX bytes with bottom halves off:
 * a device that does its work in a tasklet (rxe, for kernel QPs) then
 * does it when they come back on, here in the poster's context, down to
 * the completion handlers (softirq CQs), instead of waking ksoftirqd for
 * it. A larger transfer is left to ksoftirqd, so that the poster goes on
 * while a software device moves it. Process context, no lock held.
 */
#define ZCK_POST_NOW_MAX (16u << 10)

static inline int zck_post_send(struct ib_qp *qp, const struct ib_send_wr *wr,
				const struct ib_send_wr **bad, u64 bytes)
{
	int rc;

	if (bytes > ZCK_POST_NOW_MAX)
		return ib_post_send(qp, wr, bad);
	local_bh_disable();
	rc = ib_post_send(qp, wr, bad);
	local_bh_enable();
	return rc;
}

/* zck_dev.c */
int zck_dev_client_register(void);
void zck_dev_client_unregister(void);
void zck_dev_put(struct zck_dev *d);
int zck_dev_resolve(const char *name, __be32 want, __be32 *addr_p,
		    struct zck_dev **dev_p);
struct zck_dev *zck_dev_find(struct ib_device *ib);
void zck_dev_report(struct seq_buf *s);

/* zck_conn.c */
int zck_listen_start(void);
void zck_listen_stop(void);
struct zck_conn *zck_conn_get(struct zck_dev *dev, __be32 laddr,
			      __be32 raddr);
void zck_conn_put(struct zck_conn *c);
void zck_conn_fail(struct zck_conn *c, int err, const char *why);
void zck_conn_fail_locked(struct zck_conn *c, int err, const char *why);
void zck_conns_kill_dev(struct zck_dev *d);
void zck_conns_kill_all(void);
void zck_conns_report(struct seq_buf *s);
void zck_conns_tick(void);
int zck_conn_sq_reserve(struct zck_conn *c, int n, bool may_block);
void zck_conn_sq_release(struct zck_conn *c, int n);

/* zck_chan.c */
int zck_chan_post_recvs(struct zck_conn *c);
void zck_chan_start(struct zck_conn *c);	/* established */
int zck_chan_send(struct zck_conn *c, const struct zck_route *rt,
		  const void *body, u32 body_len);
void zck_chan_fail_pending(struct zck_conn *c, int err);
void zck_chan_fail_pending_locked(struct zck_conn *c, int err);
void zck_chan_expire(struct zck_conn *c, unsigned long now);
int zck_chan_request(struct zck_conn *c, struct zck_req *r,
		     const struct zck_route *rt, void *body, u32 body_len,
		     bool may_block);
void zck_route_encode(const struct zck_route *rt, void *buf);

/* zck_reg.c */
int zck_reg_create(struct zck_file *f, struct io_uring_cmd *cmd, u64 addr,
		   u64 len, struct zck_reg **reg_p);
void zck_reg_release(struct zck_reg *r);
int zck_reg_materialise(struct zck_reg *r, struct zck_conn *c);
struct zck_reg *zck_reg_lookup(u32 id);
struct zck_reg *zck_reg_find(const u8 *job, u32 rank);
void zck_addrs_report(struct seq_buf *s);
int zck_reg_amo(struct zck_reg *r, const struct zc_msg_hdr *h, u64 *old);
void zck_regs_drop_dev(struct zck_dev *d);
void zck_regs_flush(void);
void zck_conns_gone(struct zck_dev *d, u32 reg);
void zck_chan_gone(struct zck_conn *c, u32 reg);
void zck_reg_fill_desc(struct zck_reg *r, struct zc_smbd_buffer_desc *d);
extern atomic_long_t zck_nregs;
void zck_reg_put(struct zck_reg *r);
bool zck_reg_ready(struct zck_reg *r, u64 off, u64 len);

/* zck_cmd.c */
int zck_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags);
void zck_file_release(struct zck_file *f);
void zck_cmd_complete(struct io_uring_cmd *cmd, int res, u64 res2);
void zck_file_op_done(struct zck_file *f, bool amo, int err);

#define zck_err(fmt, ...) pr_err("zcomm: " fmt "\n", ##__VA_ARGS__)
#define zck_warn(fmt, ...) pr_warn("zcomm: " fmt "\n", ##__VA_ARGS__)
#define zck_info(fmt, ...) pr_info("zcomm: " fmt "\n", ##__VA_ARGS__)
#define zck_dbg(fmt, ...) pr_debug("zcomm: " fmt "\n", ##__VA_ARGS__)

#endif /* ZCK_H */
