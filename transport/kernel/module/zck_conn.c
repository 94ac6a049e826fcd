// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: one RC queue pair per pair of node addresses, shared by
 * every rank bound to the local address. The lower address connects (the
 * same address: to itself); the higher one waits for it, so that two
 * nodes never race to two connections. rdma_cm events drive the state;
 * every way a connection dies (disconnect, reject, error completion,
 * device removal, a deadline) ends in zck_conn_fail, and its teardown
 * (zck_wq) drains the QP, so every WR in flight completes (flushed) and
 * with it every command that waits on it.
 */
#include <linux/inet.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "zck.h"

LIST_HEAD(zck_conns);
static struct rdma_cm_id *zck_listener;

struct zck_cm_pdata {		/* connect private data (doc/wire.md) */
	__be32 magic;
	__be32 version;
	__be32 from, to;	/* the node addresses */
};

static bool want_active(__be32 laddr, __be32 raddr)
{
	return ntohl(laddr) <= ntohl(raddr);
}

static void conn_free(struct kref *k)
{
	struct zck_conn *c = container_of(k, struct zck_conn, ref);

	mutex_lock(&zck_lock);
	list_del(&c->node);
	mutex_unlock(&zck_lock);
	if (c->dev)
		zck_dev_put(c->dev);
	kfree(c);
}

void zck_conn_put(struct zck_conn *c)
{
	kref_put(&c->ref, conn_free);
}

static void conn_kill_work(struct work_struct *w);

/* Under zck_lock. The list's reference is the one returned. */
static struct zck_conn *conn_alloc(struct zck_dev *dev, __be32 laddr,
				   __be32 raddr, bool active)
{
	struct zck_conn *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	kref_init(&c->ref);
	c->laddr = laddr;
	c->raddr = raddr;
	c->active = active;
	c->state = ZCK_C_CONNECTING;
	if (dev) {
		kref_get(&dev->ref);
		c->dev = dev;
	}
	spin_lock_init(&c->lock);
	init_waitqueue_head(&c->wq);
	INIT_LIST_HEAD(&c->tx_free);
	INIT_LIST_HEAD(&c->outq);
	INIT_LIST_HEAD(&c->pend);
	INIT_LIST_HEAD(&c->peers);
	INIT_WORK(&c->kill_work, conn_kill_work);
	c->next_req = 1;
	c->deadline = jiffies + msecs_to_jiffies(zck_timeout_ms);
	c->listed = true;
	list_add_tail(&c->node, &zck_conns);
	return c;
}

void zck_conn_fail_locked(struct zck_conn *c, int err, const char *why)
{
	if (c->state == ZCK_C_DEAD)
		return;
	zck_warn("connection %pI4 -> %pI4 lost: %s (%d)", &c->laddr, &c->raddr,
		 why, err);
	c->state = ZCK_C_DEAD;
	c->err = err;
	kref_get(&c->ref);	/* the kill work's */
	queue_work(zck_wq, &c->kill_work);
	wake_up_all(&c->wq);
}

void zck_conn_fail(struct zck_conn *c, int err, const char *why)
{
	unsigned long fl;

	spin_lock_irqsave(&c->lock, fl);
	zck_conn_fail_locked(c, err, why);
	spin_unlock_irqrestore(&c->lock, fl);
}

static void conn_release_bufs(struct zck_conn *c)
{
	struct ib_device *ib = c->dev ? c->dev->ib : NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c->rx); i++)
		if (c->rx[i].data) {
			ib_dma_unmap_single(ib, c->rx[i].dma, ZCK_MSG_SIZE,
					    DMA_FROM_DEVICE);
			kfree(c->rx[i].data);
			c->rx[i].data = NULL;
		}
	for (i = 0; i < ARRAY_SIZE(c->tx); i++)
		if (c->tx[i].data) {
			ib_dma_unmap_single(ib, c->tx[i].dma, ZCK_MSG_SIZE,
					    DMA_TO_DEVICE);
			kfree(c->tx[i].data);
			c->tx[i].data = NULL;
		}
}

/* QP and CQs gone; every WR completed first (drain). Not in a handler
 * of c->cm unless the caller destroys the id by returning non-zero. */
static void conn_teardown(struct zck_conn *c, bool destroy_id)
{
	if (c->qp) {
		if (c->cm)
			rdma_disconnect(c->cm);
		ib_drain_qp(c->qp);
		rdma_destroy_qp(c->cm);
		c->qp = NULL;
	}
	zck_chan_fail_pending(c, c->err ? c->err : -ECONNRESET);
	/* The drain saw every completion of the QP: none is left in the
	 * shared CQs. */
	if (c->scq)
		ib_cq_pool_put(c->scq, c->scq_n);
	if (c->rcq)
		ib_cq_pool_put(c->rcq, c->rcq_n);
	c->scq = c->rcq = NULL;
	conn_release_bufs(c);
	if (c->cm && destroy_id)
		rdma_destroy_id(c->cm);
	c->cm = NULL;
}

static void conn_kill_work(struct work_struct *w)
{
	struct zck_conn *c = container_of(w, struct zck_conn, kill_work);

	mutex_lock(&zck_lock);
	c->listed = false;
	mutex_unlock(&zck_lock);
	conn_teardown(c, true);
	zck_conn_put(c);	/* the kill work's */
	zck_conn_put(c);	/* the list's */
}

/* CQs, QP and buffers on cm (whose device is c->dev). */
static int conn_setup_qp(struct zck_conn *c, struct rdma_cm_id *cm)
{
	struct ib_device *ib = c->dev->ib;
	u32 swr = ZCK_OPS_DEPTH + ZCK_SEND_BUFS + 1;
	u32 rwr = ZCK_CREDITS + 2;
	struct ib_qp_init_attr qa = { 0 };
	u32 inl;
	int rc;

	swr = min_t(u32, swr, ib->attrs.max_qp_wr);
	/* Per-device CQs: the core's pool shares one CQ per completion
	 * vector among all our connections (handlers find their WR by
	 * wr_cqe, never by CQ), sized by what each takes from it. */
	c->scq_n = min_t(u32, swr + 1, (u32)ib->attrs.max_cqe);
	c->scq = ib_cq_pool_get(ib, c->scq_n, -1, IB_POLL_SOFTIRQ);
	if (IS_ERR(c->scq)) {
		rc = PTR_ERR(c->scq);
		c->scq = NULL;
		return rc;
	}
	c->rcq_n = min_t(u32, rwr + 1, (u32)ib->attrs.max_cqe);
	c->rcq = ib_cq_pool_get(ib, c->rcq_n, -1, IB_POLL_SOFTIRQ);
	if (IS_ERR(c->rcq)) {
		rc = PTR_ERR(c->rcq);
		c->rcq = NULL;
		return rc;
	}
	qa.event_handler = NULL;
	qa.qp_context = c;
	qa.send_cq = c->scq;
	qa.recv_cq = c->rcq;
	qa.cap.max_send_wr = swr;
	qa.cap.max_recv_wr = rwr;
	qa.cap.max_send_sge = 1;
	qa.cap.max_recv_sge = 1;
	qa.sq_sig_type = IB_SIGNAL_REQ_WR;
	qa.qp_type = IB_QPT_RC;
	/* Inline WRITEs let a small put complete when posted; a device
	 * that allows less (or none) gets the next smaller ask. */
	for (inl = ZCK_INLINE_MAX;; inl = inl > 8 ? inl / 2 : 0) {
		qa.cap.max_inline_data = inl;
		rc = rdma_create_qp(cm, c->dev->pd, &qa);
		if (!rc || !inl)
			break;
	}
	if (rc)
		return rc;
	c->max_inline = min(inl, qa.cap.max_inline_data);
	c->qp = cm->qp;
	c->cm = cm;
	return zck_chan_post_recvs(c);
}

static void conn_param_fill(struct zck_conn *c, struct rdma_conn_param *p,
			    struct zck_cm_pdata *pd)
{
	const struct ib_device_attr *at = &c->dev->ib->attrs;

	memset(p, 0, sizeof(*p));
	pd->magic = htonl(ZCK_MAGIC);
	pd->version = htonl(ZCK_WIRE_VERSION);
	pd->from = c->laddr;
	pd->to = c->raddr;
	p->private_data = pd;
	p->private_data_len = sizeof(*pd);
	p->responder_resources = min(at->max_qp_rd_atom, 16);
	p->initiator_depth = min(at->max_qp_init_rd_atom, 16);
	p->retry_count = 7;
	p->rnr_retry_count = 7;
}

static int conn_cm_handler(struct rdma_cm_id *cm, struct rdma_cm_event *ev)
{
	struct zck_conn *c = cm->context;
	struct rdma_conn_param p;
	struct zck_cm_pdata pd;
	int rc = 0;

	switch (ev->event) {
	case RDMA_CM_EVENT_ADDR_RESOLVED:
		rc = rdma_resolve_route(cm, 2000);
		break;
	case RDMA_CM_EVENT_ROUTE_RESOLVED:
		/* the address was bound to c->dev: its route stays there */
		rc = cm->device == c->dev->ib ? conn_setup_qp(c, cm) : -ENODEV;
		if (!rc) {
			conn_param_fill(c, &p, &pd);
			rc = rdma_connect_locked(cm, &p);
		}
		break;
	case RDMA_CM_EVENT_ESTABLISHED:
		zck_chan_start(c);
		return 0;
	case RDMA_CM_EVENT_DISCONNECTED:
		rdma_disconnect(cm);	/* or the peer's teardown waits 10 s */
		zck_conn_fail(c, -ECONNRESET, "disconnected by the peer");
		return 0;
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
		zck_conn_fail(c, -ENODEV, "device removed");
		return 0;
	case RDMA_CM_EVENT_REJECTED:
		zck_conn_fail(c, -ECONNREFUSED,
			      rdma_reject_msg(cm, ev->status));
		return 0;
	case RDMA_CM_EVENT_ADDR_ERROR:
	case RDMA_CM_EVENT_ROUTE_ERROR:
	case RDMA_CM_EVENT_UNREACHABLE:
	case RDMA_CM_EVENT_CONNECT_ERROR:
		zck_conn_fail(c, -EHOSTUNREACH, rdma_event_msg(ev->event));
		return 0;
	default:
		return 0;
	}
	if (rc)
		zck_conn_fail(c, rc, "cannot connect");
	return 0;
}

/*
 * The connection for (laddr, raddr) on dev, referenced: an existing one
 * that is not dead, else a new one (connecting, or waiting to be
 * connected to). NULL only without memory.
 */
struct zck_conn *zck_conn_get(struct zck_dev *dev, __be32 laddr,
			      __be32 raddr)
{
	bool active = want_active(laddr, raddr);
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_addr.s_addr = laddr };
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_addr.s_addr = raddr,
				   .sin_port = htons(zck_port) };
	struct rdma_cm_id *cm;
	struct zck_conn *c;
	int rc;

	mutex_lock(&zck_lock);
	list_for_each_entry(c, &zck_conns, node)
		if (c->listed && c->laddr == laddr && c->raddr == raddr &&
		    c->active == active && READ_ONCE(c->state) != ZCK_C_DEAD) {
			kref_get(&c->ref);
			mutex_unlock(&zck_lock);
			return c;
		}
	c = conn_alloc(dev, laddr, raddr, active);
	if (c)
		kref_get(&c->ref);	/* the caller's */
	mutex_unlock(&zck_lock);
	if (!c || !active)
		return c;
	cm = rdma_create_id(&init_net, conn_cm_handler, c, RDMA_PS_TCP,
			    IB_QPT_RC);
	if (IS_ERR(cm)) {
		zck_conn_fail(c, PTR_ERR(cm), "rdma_create_id");
		return c;
	}
	c->cm = cm;
	rc = rdma_resolve_addr(cm, (struct sockaddr *)&src,
			       (struct sockaddr *)&dst, 2000);
	if (rc)
		zck_conn_fail(c, rc, "rdma_resolve_addr");
	return c;
}

/* A connect request on the listener: adopt the waiting connection for
 * this pair, or make one (replacing a stale one the peer gave up on). */
static int listen_request(struct rdma_cm_id *cm, struct rdma_cm_event *ev)
{
	const struct zck_cm_pdata *pd = ev->param.conn.private_data;
	struct zck_conn *c, *found = NULL;
	struct rdma_conn_param p;
	struct zck_cm_pdata mine;
	struct zck_dev *dev;
	__be32 laddr, raddr;

	if (ev->param.conn.private_data_len < sizeof(*pd) ||
	    pd->magic != htonl(ZCK_MAGIC) ||
	    pd->version != htonl(ZCK_WIRE_VERSION)) {
		zck_warn("connect request from %pISc is not a zcomm module's: "
			 "rejected", &cm->route.addr.dst_addr);
		rdma_reject(cm, NULL, 0, 28 /* IB_CM_REJ_CONSUMER_DEFINED */);
		return 1;
	}
	laddr = pd->to;
	raddr = pd->from;
	mutex_lock(&zck_lock);
	dev = zck_dev_find(cm->device);
	if (!dev) {
		mutex_unlock(&zck_lock);
		return 1;
	}
	list_for_each_entry(c, &zck_conns, node) {
		if (!c->listed || c->active || c->laddr != laddr ||
		    c->raddr != raddr)
			continue;
		if (READ_ONCE(c->state) == ZCK_C_CONNECTING && !c->cm &&
		    !found) {
			found = c;
			continue;
		}
		if (READ_ONCE(c->state) != ZCK_C_DEAD)
			zck_conn_fail(c, -ECONNRESET, "replaced by a new "
				      "connection from the peer");
	}
	c = found;
	if (c && c->dev != dev) {
		zck_conn_fail(c, -ENODEV, "the peer connected on another device");
		c = NULL;
	} else if (c) {
		c->deadline = jiffies + msecs_to_jiffies(zck_timeout_ms);
	}
	if (!c)
		c = conn_alloc(dev, laddr, raddr, false);
	zck_dev_put(dev);
	mutex_unlock(&zck_lock);
	if (!c)
		return 1;
	cm->context = c;
	cm->event_handler = conn_cm_handler;
	if (conn_setup_qp(c, cm)) {
		/* the id is destroyed by our non-zero return: forget it */
		if (c->qp)
			rdma_destroy_qp(cm);
		c->qp = NULL;
		c->cm = NULL;
		zck_conn_fail(c, -ENOMEM, "cannot make the queue pair");
		return 1;
	}
	conn_param_fill(c, &p, &mine);
	if (rdma_accept(cm, &p)) {
		rdma_destroy_qp(cm);
		c->qp = NULL;
		c->cm = NULL;
		zck_conn_fail(c, -ECONNABORTED, "rdma_accept");
		return 1;
	}
	return 0;
}

static int listen_handler(struct rdma_cm_id *cm, struct rdma_cm_event *ev)
{
	if (ev->event == RDMA_CM_EVENT_CONNECT_REQUEST)
		return listen_request(cm, ev);
	return 0;
}

int zck_listen_start(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(zck_port) };
	int rc;

	zck_listener = rdma_create_id(&init_net, listen_handler, NULL,
				      RDMA_PS_TCP, IB_QPT_RC);
	if (IS_ERR(zck_listener))
		return PTR_ERR(zck_listener);
	rc = rdma_bind_addr(zck_listener, (struct sockaddr *)&sin);
	if (!rc)
		rc = rdma_listen(zck_listener, 128);
	if (rc) {
		zck_err("cannot listen on port %u: %d", zck_port, rc);
		rdma_destroy_id(zck_listener);
		zck_listener = NULL;
	}
	return rc;
}

void zck_listen_stop(void)
{
	if (zck_listener)
		rdma_destroy_id(zck_listener);
	zck_listener = NULL;
}

/* Fails every connection on d (or all) and waits for their teardown. */
static void conns_kill(struct zck_dev *d)
{
	struct zck_conn *c;

	mutex_lock(&zck_lock);
	list_for_each_entry(c, &zck_conns, node)
		if (!d || c->dev == d)
			zck_conn_fail(c, -ENODEV, d ? "device removed" :
				      "module unloading");
	mutex_unlock(&zck_lock);
	flush_workqueue(zck_wq);
}

void zck_conns_kill_dev(struct zck_dev *d)
{
	conns_kill(d);
}

void zck_conns_kill_all(void)
{
	conns_kill(NULL);
}

/* The tick: connections past their connect deadline, requests past
 * theirs. */
void zck_conns_tick(void)
{
	unsigned long now = jiffies;
	struct zck_conn *c;

	mutex_lock(&zck_lock);
	list_for_each_entry(c, &zck_conns, node) {
		unsigned long fl;

		spin_lock_irqsave(&c->lock, fl);
		if (c->state == ZCK_C_CONNECTING ||
		    c->state == ZCK_C_NEGOTIATING) {
			if (time_after(now, c->deadline))
				zck_conn_fail_locked(c, -ETIMEDOUT,
						     "not connected in time");
		} else if (c->state == ZCK_C_UP) {
			zck_chan_expire(c, now);
		}
		spin_unlock_irqrestore(&c->lock, fl);
	}
	mutex_unlock(&zck_lock);
}

/* A heap of d's files is going: every peer of it learns before its MRs
 * go (a WRITE into an invalid MR would break the connection for every
 * rank that shares it). */
void zck_conns_gone(struct zck_dev *d, u32 reg)
{
	struct zck_route rt = { .kind = ZCK_K_GONE, .reg = reg };
	struct zck_conn *c;

	mutex_lock(&zck_lock);
	list_for_each_entry(c, &zck_conns, node)
		if (c->dev == d && READ_ONCE(c->state) == ZCK_C_UP)
			(void)zck_chan_send(c, &rt, NULL, 0);
	mutex_unlock(&zck_lock);
}

static const char *state_name(enum zck_conn_state s)
{
	static const char *const n[] = { "connecting", "negotiating", "up",
					 "dead" };

	return n[s];
}

/* Under zck_lock. One line per connection endpoint on this host; an RC
 * connection whose two ends are here (loopback) shows twice. */
void zck_conns_report(struct seq_buf *s)
{
	struct zck_conn *c;

	list_for_each_entry(c, &zck_conns, node)
		seq_buf_printf(s, "conn %pI4 -> %pI4 %s %s dev %s writes %llu "
			       "reads %llu amos %llu msgs_tx %llu msgs_rx %llu "
			       "bytes %llu inline %u\n", &c->laddr, &c->raddr,
			       c->active ? "active" : "passive",
			       state_name(READ_ONCE(c->state)),
			       c->dev ? dev_name(&c->dev->ib->dev) : "-",
			       c->n_write, c->n_read, c->n_amo, c->n_tx,
			       c->n_rx, c->n_bytes, c->max_inline);
}

/* n send-queue slots for RDMA WRs; waits (when allowed) up to the
 * timeout. 0, -EAGAIN (full, may not block), -ECONNRESET (dead). */
int zck_conn_sq_reserve(struct zck_conn *c, int n, bool may_block)
{
	for (;;) {
		int used = atomic_read(&c->sq_ops);

		if (READ_ONCE(c->state) == ZCK_C_DEAD)
			return c->err ? c->err : -ECONNRESET;
		if (used + n <= (int)ZCK_OPS_DEPTH) {
			if (atomic_cmpxchg(&c->sq_ops, used, used + n) == used)
				return 0;
			continue;
		}
		if (!may_block)
			return -EAGAIN;
		if (!wait_event_timeout(c->wq,
				atomic_read(&c->sq_ops) + n <= (int)ZCK_OPS_DEPTH ||
				READ_ONCE(c->state) == ZCK_C_DEAD,
				msecs_to_jiffies(zck_timeout_ms)))
			return -ETIMEDOUT;
	}
}

void zck_conn_sq_release(struct zck_conn *c, int n)
{
	atomic_sub(n, &c->sq_ops);
	wake_up_all(&c->wq);
}
