// SPDX-License-Identifier: GPL-2.0
/*
 * The SMB-Direct channel of a connection, with the same codec as the tcp
 * and verbs providers (transport/smbd, transport/msg, built in): the
 * negotiate at connect, credits = posted receives with the last-credit
 * rule, data transfer messages whose payload is a route (which
 * registration, a status) and a body: an op message (an atomic and its
 * answer) or an attach request and its answer, which carries the heap as
 * Buffer Descriptors V1 (doc/wire.md). The target side runs here too:
 * atomics are executed on the registered pages as CPU atomics (the same
 * agent as the node's shm peers), attach requests are checked against
 * the job key and answered from zck_wq.
 */
#include <linux/slab.h>

#include "smbd_le.h"
#include "zck.h"

/* Requests may hold this many send buffers; the rest are kept for
 * answers and credits, which therefore never wait for a buffer. */
#define TX_FOR_REQUESTS (ZCK_SEND_BUFS - ZCK_CREDITS - 2)
#define ATTACH_SIZE (ZCK_JOB_KEY_SIZE + 16u)
#define ATTACH_RESP_FIXED 32u

static void local_limits(struct zc_smbd_limits *l)
{
	zc_smbd_chan_limits(l, ZCK_MSG_SIZE);
}

void zck_route_encode(const struct zck_route *rt, void *buf)
{
	u8 *p = buf;

	memset(p, 0, ZCK_ROUTE_SIZE);
	p[0] = rt->kind;
	zc_smbd_put_le32(p + 4, rt->reg);
	zc_smbd_put_le32(p + 8, (u32)rt->status);
}

static int route_decode(const u8 *p, u32 len, struct zck_route *rt)
{
	if (len < ZCK_ROUTE_SIZE)
		return -EBADMSG;
	rt->kind = p[0];
	rt->reg = zc_smbd_get_le32(p + 4);
	rt->status = (s32)zc_smbd_get_le32(p + 8);
	if (!rt->kind || rt->kind >= ZCK_K_LAST || p[1] || p[2] || p[3] ||
	    zc_smbd_get_le32(p + 12))
		return -EPROTO;
	if (rt->status > 0 || rt->status < -4095)
		return -EPROTO;
	return 0;
}

static void rx_done(struct ib_cq *cq, struct ib_wc *wc);
static void tx_done(struct ib_cq *cq, struct ib_wc *wc);
static void tx_put(struct zck_conn *c, struct zck_buf *b);

static int post_recv(struct zck_conn *c, struct zck_buf *b)
{
	struct ib_sge sge = { .addr = b->dma, .length = ZCK_MSG_SIZE,
			      .lkey = c->dev->pd->local_dma_lkey };
	struct ib_recv_wr wr = { .wr_cqe = &b->cqe, .sg_list = &sge,
				 .num_sge = 1 };

	ib_dma_sync_single_for_device(c->dev->ib, b->dma, ZCK_MSG_SIZE,
				      DMA_FROM_DEVICE);
	return ib_post_recv(c->qp, &wr, NULL);
}

static int buf_init(struct zck_conn *c, struct zck_buf *b,
		    enum dma_data_direction dir)
{
	b->conn = c;
	b->data = kzalloc(ZCK_MSG_SIZE, GFP_KERNEL);
	if (!b->data)
		return -ENOMEM;
	b->dma = ib_dma_map_single(c->dev->ib, b->data, ZCK_MSG_SIZE, dir);
	if (ib_dma_mapping_error(c->dev->ib, b->dma)) {
		kfree(b->data);
		b->data = NULL;
		return -ENOMEM;
	}
	return 0;
}

int zck_chan_post_recvs(struct zck_conn *c)
{
	unsigned int i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(c->tx); i++) {
		rc = buf_init(c, &c->tx[i], DMA_TO_DEVICE);
		if (rc)
			return rc;
		c->tx[i].cqe.done = tx_done;
		tx_put(c, &c->tx[i]);
	}
	for (i = 0; i < ARRAY_SIZE(c->rx); i++) {
		rc = buf_init(c, &c->rx[i], DMA_FROM_DEVICE);
		if (rc)
			return rc;
		c->rx[i].cqe.done = rx_done;
		rc = post_recv(c, &c->rx[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int post_buf(struct zck_conn *c, struct zck_buf *b)
{
	struct ib_sge sge = { .addr = b->dma, .length = b->len,
			      .lkey = c->dev->pd->local_dma_lkey };
	struct ib_send_wr wr = { .wr_cqe = &b->cqe, .sg_list = &sge,
				 .num_sge = 1, .opcode = IB_WR_SEND,
				 .send_flags = IB_SEND_SIGNALED };

	ib_dma_sync_single_for_device(c->dev->ib, b->dma, b->len,
				      DMA_TO_DEVICE);
	c->n_tx++;
	return ib_post_send(c->qp, &wr, NULL);
}

/* Send buffers: a free list and its length, under c->lock. */
static struct zck_buf *tx_get(struct zck_conn *c)
{
	struct zck_buf *b = list_first_entry_or_null(&c->tx_free,
						     struct zck_buf, node);

	if (b) {
		list_del(&b->node);
		c->ntx_free--;
	}
	return b;
}

static void tx_put(struct zck_conn *c, struct zck_buf *b)
{
	list_add(&b->node, &c->tx_free);
	c->ntx_free++;
}

/* Whether a request may take a send buffer now. */
static bool tx_room_for_request(struct zck_conn *c)
{
	return READ_ONCE(c->ntx_free) > ZCK_SEND_BUFS - TX_FOR_REQUESTS;
}

/* Sends the header of b (data already at ZC_SMBD_DATA_OFFSET) if a
 * credit allows. Under c->lock. 1 sent, 0 not now, <0 error. */
static int send_data(struct zck_conn *c, struct zck_buf *b)
{
	struct zc_smbd_data_hdr h = { 0 };
	u16 g = zc_smbd_credits_grantable(&c->cr);
	int rc;

	if (zc_smbd_credits_take_send(&c->cr, g, &h))
		return 0;
	if (b->len > ZC_SMBD_DATA_OFFSET) {
		h.data_offset = ZC_SMBD_DATA_OFFSET;
		h.data_length = b->len - ZC_SMBD_DATA_OFFSET;
	}
	rc = zc_smbd_data_encode(&h, b->data, ZCK_MSG_SIZE);
	if (rc < 0)
		return rc;
	if (!h.data_length)
		b->len = rc;
	rc = post_buf(c, b);
	return rc ? rc : 1;
}

/* Queued messages while credits last, then credits alone when the peer
 * sent something, holds none, or spent half. Under c->lock. */
static void kick_locked(struct zck_conn *c)
{
	struct zck_buf *b;
	u16 g;
	int rc;

	if (c->state != ZCK_C_UP)
		return;
	while ((b = list_first_entry_or_null(&c->outq, struct zck_buf, node))) {
		list_del(&b->node);
		rc = send_data(c, b);
		if (rc == 1)
			continue;
		list_add(&b->node, &c->outq);
		if (rc < 0)
			zck_conn_fail_locked(c, rc, "cannot send");
		return;
	}
	g = zc_smbd_credits_grantable(&c->cr);
	if (g && (c->cr.recv_granted == 0 || g >= (c->cr.recv_target + 1) / 2)) {
		b = tx_get(c);
		if (!b)
			return;
		b->len = 0;
		rc = send_data(c, b);
		if (rc != 1)
			tx_put(c, b);
		if (rc < 0)
			zck_conn_fail_locked(c, rc, "cannot send credits");
	}
}

/* Queues one message: route + body. -EAGAIN when requests hold their
 * share of buffers (the caller waits or retries), -EMSGSIZE, or the
 * connection's error. Under c->lock. */
static int send_locked(struct zck_conn *c, const struct zck_route *rt,
		       const void *body, u32 body_len, bool request)
{
	u32 len = ZC_SMBD_DATA_OFFSET + ZCK_ROUTE_SIZE + body_len;
	struct zck_buf *b;

	if (c->state == ZCK_C_DEAD)
		return c->err ? c->err : -ECONNRESET;
	if (len > c->lim.max_send_size)
		return -EMSGSIZE;
	if (request && !tx_room_for_request(c))
		return -EAGAIN;
	b = tx_get(c);
	if (!b)
		return -ENOBUFS;	/* the peer broke the credit rules */
	zck_route_encode(rt, (u8 *)b->data + ZC_SMBD_DATA_OFFSET);
	if (body_len)
		memcpy((u8 *)b->data + ZC_SMBD_DATA_OFFSET + ZCK_ROUTE_SIZE,
		       body, body_len);
	b->len = len;
	list_add_tail(&b->node, &c->outq);
	kick_locked(c);
	return 0;
}

int zck_chan_send(struct zck_conn *c, const struct zck_route *rt,
		  const void *body, u32 body_len)
{
	unsigned long fl;
	int rc;

	spin_lock_irqsave(&c->lock, fl);
	rc = send_locked(c, rt, body, body_len, false);
	spin_unlock_irqrestore(&c->lock, fl);
	return rc;
}

/* Sends a request and files r to wait for its answer. Requests hold
 * at most their share of send buffers: beyond it, -EAGAIN, or (may_block)
 * a wait for one, up to the timeout. */
int zck_chan_request(struct zck_conn *c, struct zck_req *r,
		     const struct zck_route *rt, void *body, u32 body_len,
		     bool may_block)
{
	unsigned long fl;
	int rc;

	for (;;) {
		spin_lock_irqsave(&c->lock, fl);
		if (c->state != ZCK_C_UP)
			rc = c->state == ZCK_C_DEAD ?
			     (c->err ? c->err : -ECONNRESET) : -ENOTCONN;
		else
			rc = send_locked(c, rt, body, body_len, true);
		if (!rc) {
			r->deadline = jiffies + msecs_to_jiffies(zck_timeout_ms);
			list_add_tail(&r->node, &c->pend);
			if (r->cmd)
				c->n_amo++;
		}
		spin_unlock_irqrestore(&c->lock, fl);
		if (rc != -EAGAIN || !may_block)
			return rc;
		if (!wait_event_timeout(c->wq, READ_ONCE(c->state) == ZCK_C_DEAD ||
					tx_room_for_request(c),
					msecs_to_jiffies(zck_timeout_ms)))
			return -ETIMEDOUT;
	}
}

static void req_finish(struct zck_conn *c, struct zck_req *r, int status,
		       u64 value)
{
	list_del(&r->node);
	r->status = status;
	r->value = value;
	if (r->cmd) {
		struct zck_file *f = r->f;

		zck_cmd_complete(r->cmd, status, value);
		kfree(r);
		zck_file_op_done(f, true, 0);
		return;
	}
	WRITE_ONCE(r->done, true);
	wake_up_all(&c->wq);
}

/* Under c->lock. */
void zck_chan_fail_pending_locked(struct zck_conn *c, int err)
{
	struct zck_req *r, *t;

	list_for_each_entry_safe(r, t, &c->pend, node)
		req_finish(c, r, err, 0);
}

void zck_chan_fail_pending(struct zck_conn *c, int err)
{
	unsigned long fl;

	spin_lock_irqsave(&c->lock, fl);
	zck_chan_fail_pending_locked(c, err);
	spin_unlock_irqrestore(&c->lock, fl);
}

/* Under c->lock: answers that did not come in time. */
void zck_chan_expire(struct zck_conn *c, unsigned long now)
{
	struct zck_req *r, *t;

	list_for_each_entry_safe(r, t, &c->pend, node)
		if (time_after(now, r->deadline)) {
			zck_warn("no answer from %pI4 to request %llu in %u ms",
				 &c->raddr, r->id, zck_timeout_ms);
			req_finish(c, r, -ETIMEDOUT, 0);
		}
}

static struct zck_req *pend_find(struct zck_conn *c, u64 id)
{
	struct zck_req *r;

	list_for_each_entry(r, &c->pend, node)
		if (r->id == id)
			return r;
	return NULL;
}

/* The initiator's first message after the ESTABLISHED event; the
 * responder waits for it. */
void zck_chan_start(struct zck_conn *c)
{
	struct zc_smbd_limits l;
	unsigned long fl;
	struct zck_buf *b;
	int n;

	spin_lock_irqsave(&c->lock, fl);
	if (c->state == ZCK_C_CONNECTING)
		c->state = ZCK_C_NEGOTIATING;
	if (c->active && c->state == ZCK_C_NEGOTIATING) {
		local_limits(&l);
		b = tx_get(c);
		n = b ? zc_smbd_chan_request(&l, ZCK_CREDITS, b->data,
					     ZCK_MSG_SIZE) : -ENOBUFS;
		if (n > 0) {
			b->len = n;
			n = post_buf(c, b);
		}
		if (n < 0)
			zck_conn_fail_locked(c, n, "cannot send the negotiate "
					     "request");
	}
	spin_unlock_irqrestore(&c->lock, fl);
}

/* Under c->lock. */
static int on_negotiate(struct zck_conn *c, const void *m, u32 len)
{
	struct zc_smbd_limits l;
	struct zck_buf *b;
	int rc;

	local_limits(&l);
	if (c->active) {
		rc = zc_smbd_chan_finish(&l, ZCK_CREDITS, m, len, &c->lim,
					 &c->cr);
		if (rc)
			return rc;
		c->state = ZCK_C_UP;
		/* The request granted nothing: the responder may not send
		 * before this first data transfer message grants it. */
		b = tx_get(c);
		if (!b)
			return -ENOBUFS;
		b->len = 0;
		rc = send_data(c, b);
		if (rc != 1)
			return rc < 0 ? rc : -EPROTO;
	} else {
		b = tx_get(c);
		if (!b)
			return -ENOBUFS;
		rc = zc_smbd_chan_accept(&l, ZCK_CREDITS, m, len, &c->lim,
					 &c->cr, b->data, ZCK_MSG_SIZE);
		if (rc < 0) {
			tx_put(c, b);
			return rc;
		}
		b->len = rc;
		rc = post_buf(c, b);
		if (rc)
			return rc;
		c->state = ZCK_C_UP;
	}
	zck_info("connection %pI4 -> %pI4 up (%s)", &c->laddr, &c->raddr,
		 c->active ? "active" : "passive");
	wake_up_all(&c->wq);
	return 0;
}

/* The target of an atomic. Under c->lock (pages cannot go: the
 * registration is referenced). */
static void serve_amo(struct zck_conn *c, const struct zck_route *rt,
		      const u8 *body, u32 len)
{
	struct zck_route ans = { .kind = ZCK_K_OP };
	struct zc_msg_hdr h, rh = { .op = ZC_MSG_AMO_RESP };
	u8 out[ZC_MSG_HDR_SIZE];
	struct zck_reg *r;
	const char *why;
	u64 old = 0;
	int rc;

	r = zck_reg_lookup(rt->reg);
	rc = r ? zc_msg_hdr_decode(body, len, len, r->len, &h, &why) : -ESHUTDOWN;
	if (!r)
		why = "no such registration (its rank left)";
	if (!rc && h.op != ZC_MSG_AMO) {
		rc = -EPROTO;
		why = "not an atomic";
	}
	if (!rc)
		rc = zck_reg_amo(r, &h, &old);
	if (r)
		zck_reg_put(r);
	if (rc == -EBADMSG || rc == -EPROTO) {
		zck_conn_fail_locked(c, -EPROTO, why);
		return;
	}
	if (rc)
		zck_warn("atomic from %pI4 on registration %u refused: %s",
			 &c->raddr, rt->reg, why);
	ans.status = rc;
	rh.seq = len >= 16 ? zc_smbd_get_le64(body + 8) : 0;
	rh.value = old;
	zc_msg_hdr_encode(&rh, out);
	rc = send_locked(c, &ans, out, sizeof(out), false);
	if (rc)
		zck_conn_fail_locked(c, rc, "cannot answer an atomic");
}

static void on_amo_resp(struct zck_conn *c, const struct zck_route *rt,
			const u8 *body, u32 len)
{
	struct zc_msg_hdr h;
	struct zck_req *r;
	const char *why;

	if (zc_msg_hdr_decode(body, len, len, U64_MAX, &h, &why) ||
	    h.op != ZC_MSG_AMO_RESP) {
		zck_conn_fail_locked(c, -EPROTO, "bad atomic answer");
		return;
	}
	r = pend_find(c, h.seq);
	if (r)
		req_finish(c, r, rt->status, h.value);
}

/* Under c->lock: the peers of that heap fail their ops from now on. */
void zck_chan_gone(struct zck_conn *c, u32 reg)
{
	struct zck_peer *p;

	list_for_each_entry(p, &c->peers, cnode)
		if (p->reg == reg)
			WRITE_ONCE(p->gone, true);
}

/* An attach request, served from zck_wq: it may have to register the
 * heap on this device first, which waits for a completion. */
struct zck_serve {
	struct work_struct work;
	struct zck_conn *c;
	u8 job[ZCK_JOB_KEY_SIZE];
	u32 rank;
	u64 id;
};

static void serve_attach_work(struct work_struct *w)
{
	struct zck_serve *s = container_of(w, struct zck_serve, work);
	struct zck_conn *c = s->c;
	struct zck_route ans = { .kind = ZCK_K_ATTACH_RESP };
	struct zc_smbd_buffer_desc *d = NULL;
	struct zck_reg *r;
	u8 *body;
	u32 n = 0;
	int rc;

	body = kzalloc(ZCK_MSG_SIZE, GFP_KERNEL);
	/* Only a rank of the same job finds the heap: the job key is the
	 * job's secret. Not found (yet) is -EAGAIN: the asker asks again. */
	r = zck_reg_find(s->job, s->rank);
	if (!body)
		rc = -ENOMEM;
	else if (!r)
		rc = -EAGAIN;
	else
		rc = zck_reg_materialise(r, c);
	if (!rc) {
		n = r->nchunk;
		d = kcalloc(n, sizeof(*d), GFP_KERNEL);
		rc = d ? 0 : -ENOMEM;
	}
	if (!rc) {
		zck_reg_fill_desc(r, d);
		rc = zc_smbd_buffer_desc_encode(d, n, body + ATTACH_RESP_FIXED,
						ZCK_MSG_SIZE - 128);
		rc = rc < 0 ? rc : 0;
	}
	if (body) {
		zc_smbd_put_le64(body, s->id);
		zc_smbd_put_le64(body + 8, rc ? 0 : r->len);
		zc_smbd_put_le64(body + 16, rc ? 0 : r->chunk_bytes);
		zc_smbd_put_le32(body + 24, rc ? 0 : n);
		ans.status = rc;
		ans.reg = r && !rc ? r->id : 0;
		rc = zck_chan_send(c, &ans, body, ATTACH_RESP_FIXED +
				   (ans.status ? 0 : n * ZC_SMBD_BUFFER_DESC_SIZE));
		if (rc && rc != -ECONNRESET)
			zck_conn_fail(c, rc, "cannot answer an attach");
	}
	if (r)
		zck_reg_put(r);
	kfree(d);
	kfree(body);
	zck_conn_put(c);
	kfree(s);
}

static void on_attach(struct zck_conn *c, const struct zck_route *rt,
		      const u8 *body, u32 len)
{
	struct zck_serve *s;

	if (len != ATTACH_SIZE) {
		zck_conn_fail_locked(c, -EPROTO, "bad attach request");
		return;
	}
	s = kzalloc(sizeof(*s), GFP_ATOMIC);
	if (!s)
		return;		/* the requester times out */
	INIT_WORK(&s->work, serve_attach_work);
	memcpy(s->job, body, ZCK_JOB_KEY_SIZE);
	s->rank = zc_smbd_get_le32(body + 16);
	s->id = zc_smbd_get_le64(body + 24);
	kref_get(&c->ref);
	s->c = c;
	queue_work(zck_wq, &s->work);
}

static void on_attach_resp(struct zck_conn *c, const struct zck_route *rt,
			   const u8 *body, u32 len)
{
	struct zck_req *r;
	u32 n;

	if (len < ATTACH_RESP_FIXED) {
		zck_conn_fail_locked(c, -EPROTO, "bad attach answer");
		return;
	}
	r = pend_find(c, zc_smbd_get_le64(body));
	if (!r)
		return;
	n = zc_smbd_get_le32(body + 24);
	if (!rt->status) {
		if (n == 0 || n > ZCK_MAX_CHUNKS ||
		    len != ATTACH_RESP_FIXED + n * ZC_SMBD_BUFFER_DESC_SIZE) {
			zck_conn_fail_locked(c, -EPROTO, "bad attach answer");
			return;
		}
		r->desc = kcalloc(n, sizeof(*r->desc), GFP_ATOMIC);
		if (!r->desc) {
			req_finish(c, r, -ENOMEM, 0);
			return;
		}
		zc_smbd_buffer_desc_decode(body + ATTACH_RESP_FIXED,
					   len - ATTACH_RESP_FIXED, r->desc, n);
		r->ndesc = n;
		r->len = zc_smbd_get_le64(body + 8);
		r->value = zc_smbd_get_le64(body + 16);	/* chunk bytes */
		r->reg = rt->reg;
	}
	req_finish(c, r, rt->status, r->value);
}

/* A data transfer message's payload. Under c->lock. */
static void on_data(struct zck_conn *c, const u8 *p, u32 len)
{
	struct zck_route rt;

	if (route_decode(p, len, &rt)) {
		zck_conn_fail_locked(c, -EPROTO, "bad route header");
		return;
	}
	p += ZCK_ROUTE_SIZE;
	len -= ZCK_ROUTE_SIZE;
	switch (rt.kind) {
	case ZCK_K_OP:
		if (len >= 1 && p[0] == ZC_MSG_AMO_RESP)
			on_amo_resp(c, &rt, p, len);
		else
			serve_amo(c, &rt, p, len);
		break;
	case ZCK_K_ATTACH:
		on_attach(c, &rt, p, len);
		break;
	case ZCK_K_ATTACH_RESP:
		on_attach_resp(c, &rt, p, len);
		break;
	case ZCK_K_GONE:
		zck_chan_gone(c, rt.reg);
		break;
	}
}

static void rx_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct zck_buf *b = container_of(wc->wr_cqe, struct zck_buf, cqe);
	struct zck_conn *c = b->conn;
	struct zc_smbd_data_hdr h;
	const u8 *pl;
	unsigned long fl;
	int rc;

	if (wc->status != IB_WC_SUCCESS) {
		if (wc->status != IB_WC_WR_FLUSH_ERR)
			zck_conn_fail(c, -EIO, ib_wc_status_msg(wc->status));
		return;
	}
	ib_dma_sync_single_for_cpu(c->dev->ib, b->dma, ZCK_MSG_SIZE,
				   DMA_FROM_DEVICE);
	spin_lock_irqsave(&c->lock, fl);
	if (c->state == ZCK_C_DEAD)
		goto out;
	c->n_rx++;
	/* The negotiate request may beat the ESTABLISHED event. */
	if (c->state == ZCK_C_CONNECTING || c->state == ZCK_C_NEGOTIATING) {
		rc = on_negotiate(c, b->data, wc->byte_len);
		if (!rc)
			rc = post_recv(c, b);
		if (rc)
			zck_conn_fail_locked(c, rc, "negotiate failed");
		goto out;
	}
	rc = zc_smbd_data_decode(b->data, wc->byte_len, c->lim.max_receive_size,
				 c->lim.max_fragmented_recv_size, &h, &pl);
	if (!rc && h.remaining_data_length)
		rc = -EMSGSIZE;	/* we never fragment: the peer is not ours */
	if (rc) {
		zck_conn_fail_locked(c, rc, "bad data transfer message");
		goto out;
	}
	rc = zc_smbd_credits_on_recv(&c->cr, &h);
	if (rc) {
		zck_conn_fail_locked(c, rc, "credit rule broken by the peer");
		goto out;
	}
	if (h.data_length)
		on_data(c, pl, h.data_length);
	if (c->state != ZCK_C_DEAD) {
		rc = post_recv(c, b);
		if (!rc)
			rc = zc_smbd_credits_post(&c->cr, 1);
		if (rc)
			zck_conn_fail_locked(c, rc, "cannot repost a receive");
	}
	kick_locked(c);
out:
	spin_unlock_irqrestore(&c->lock, fl);
}

static void tx_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct zck_buf *b = container_of(wc->wr_cqe, struct zck_buf, cqe);
	struct zck_conn *c = b->conn;
	unsigned long fl;

	spin_lock_irqsave(&c->lock, fl);
	tx_put(c, b);
	if (wc->status != IB_WC_SUCCESS && wc->status != IB_WC_WR_FLUSH_ERR)
		zck_conn_fail_locked(c, -EIO, ib_wc_status_msg(wc->status));
	kick_locked(c);
	spin_unlock_irqrestore(&c->lock, fl);
	wake_up_all(&c->wq);
}
