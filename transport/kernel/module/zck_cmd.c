// SPDX-License-Identifier: GPL-2.0
/*
 * The commands (IORING_OP_URING_CMD on /dev/zcomm). The 80-byte command
 * area lives in the shared ring: it is copied once, then checked. BIND,
 * REG and ATTACH block (rdma_cm, registration, the peer's answer): issued
 * NONBLOCK they return -EAGAIN and io_uring reissues them from io-wq.
 * PUT and GET post RDMA WRITE/READ and complete when every WR has (a
 * PUT that goes inline: when posted); PUT_SIGNAL adds an inline WRITE of
 * the signal behind the data; AMO completes with the target's answer;
 * FENCE when every earlier command is posted and no AMO is waiting; QUIET
 * when nothing the file issued before it is still in flight. Every
 * completion goes through
 * io_uring_cmd_complete_in_task (never io_uring_cmd_done from a
 * completion handler), and every command completes in bounded time: WRs
 * by the QP (a dead connection is drained), answers by the tick.
 */
#include <linux/delay.h>
#include <linux/slab.h>

#include "zck.h"

static atomic64_t zck_req_ids = ATOMIC64_INIT(0);

/* What a command keeps in io_uring's per-command area until it is done. */
struct zck_pdu {
	struct list_head node;	/* QUIET: f->quiets */
	s64 res;
	u64 res2;
};

static struct zck_pdu *pdu_of(struct io_uring_cmd *cmd)
{
	BUILD_BUG_ON(sizeof(struct zck_pdu) > sizeof(cmd->pdu));
	return (struct zck_pdu *)cmd->pdu;
}

static void cmd_tw(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct zck_pdu *p = pdu_of(cmd);

	io_uring_cmd_done(cmd, p->res, p->res2, issue_flags);
}

void zck_cmd_complete(struct io_uring_cmd *cmd, int res, u64 res2)
{
	struct zck_pdu *p = pdu_of(cmd);

	p->res = res;
	p->res2 = res2;
	io_uring_cmd_complete_in_task(cmd, cmd_tw);
}

static void file_op_start(struct zck_file *f, bool amo)
{
	unsigned long fl;

	spin_lock_irqsave(&f->lock, fl);
	f->inflight++;
	f->amo_inflight += amo;
	spin_unlock_irqrestore(&f->lock, fl);
}

/* An op's end. err: the error of an op whose command completed when it
 * was posted, for the next QUIET to report. */
void zck_file_op_done(struct zck_file *f, bool amo, int err)
{
	struct zck_pdu *p, *t;
	unsigned long fl;
	LIST_HEAD(done);
	int qerr = 0;

	spin_lock_irqsave(&f->lock, fl);
	if (err && !f->err)
		f->err = err;
	f->amo_inflight -= amo;
	if (--f->inflight == 0) {
		list_splice_init(&f->quiets, &done);
		qerr = f->err;
		f->err = 0;
	}
	spin_unlock_irqrestore(&f->lock, fl);
	if (wq_has_sleeper(&f->wq))	/* a FENCE from io-wq, or release */
		wake_up_all(&f->wq);
	list_for_each_entry_safe(p, t, &done, node) {
		list_del(&p->node);
		zck_cmd_complete(container_of((void *)p, struct io_uring_cmd,
					      pdu), qerr, 0);
	}
}

static bool all_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

static int cmd_bind(struct zck_file *f, const struct zck_cmd_bind *b)
{
	char dev[ZCK_DEV_NAME_MAX];
	int rc;

	if (strnlen(b->dev, sizeof(b->dev)) == sizeof(b->dev) || b->h.handle)
		return -EINVAL;
	memcpy(dev, b->dev, sizeof(dev));
	mutex_lock(&f->mutex);
	if (f->bound) {
		rc = -EALREADY;
	} else {
		rc = zck_dev_resolve(dev, b->addr, &f->laddr, &f->dev);
		if (!rc) {
			memcpy(f->job, b->job, sizeof(f->job));
			f->rank = b->rank;
			f->bound = true;
		}
	}
	mutex_unlock(&f->mutex);
	if (rc == -EADDRNOTAVAIL)
		zck_warn("bind: %pI4 is not an address of an RDMA device",
			 &b->addr);
	return rc;
}

/* BIND's res2: what the device asks of user space (ZCK_BIND_F_*). */
static int bind_done(struct zck_file *f, struct io_uring_cmd *cmd, int rc)
{
	if (rc)
		return rc;
	zck_cmd_complete(cmd, 0, f->dev->iwarp ? ZCK_BIND_F_FLUSH : 0);
	return -EIOCBQUEUED;
}

static int cmd_reg(struct zck_file *f, struct io_uring_cmd *cmd,
		   const struct zck_cmd_reg *c)
{
	struct zck_reg *r;
	int rc;

	if (c->h.handle)
		return -EINVAL;
	/* Without the flag io_uring has no buffer for the command (and
	 * importing one would trip its WARN_ON). */
	if (!(cmd->flags & IORING_URING_CMD_FIXED))
		return -EFAULT;
	mutex_lock(&f->mutex);
	if (!f->bound)
		rc = -ENOTCONN;
	else if (f->nregs == ZCK_MAX_REGS)
		rc = -ENOSPC;
	else
		rc = zck_reg_create(f, cmd, c->addr, c->len, &r);
	if (!rc)
		f->regs[f->nregs++] = r;
	mutex_unlock(&f->mutex);
	if (rc)
		return rc;
	zck_cmd_complete(cmd, (int)r->id, 0);
	return -EIOCBQUEUED;
}

static void peer_free(struct zck_peer *p)
{
	unsigned long fl;

	if (p->conn) {
		spin_lock_irqsave(&p->conn->lock, fl);
		if (p->cnode.next)
			list_del(&p->cnode);
		spin_unlock_irqrestore(&p->conn->lock, fl);
		zck_conn_put(p->conn);
	}
	kfree(p->desc);
	kfree(p);
}

/* The answer's heap: chunks that tile [0, len) as the target said. */
static bool desc_sane(const struct zck_req *r, u64 chunk)
{
	u32 i;

	if (!chunk || !r->len || r->ndesc != DIV_ROUND_UP(r->len, chunk))
		return false;
	for (i = 0; i < r->ndesc; i++)
		if (r->desc[i].length != min(chunk, r->len - i * chunk))
			return false;
	return true;
}

static int attach_ask(struct zck_file *f, struct zck_conn *c,
		      const struct zck_cmd_attach *a, struct zck_req *r)
{
	struct zck_route rt = { .kind = ZCK_K_ATTACH };
	u8 body[ZCK_JOB_KEY_SIZE + 16] = { 0 };
	long left;
	int rc;

	memcpy(body, f->job, ZCK_JOB_KEY_SIZE);
	*(__le32 *)(body + 16) = cpu_to_le32(a->rank);
	*(__le64 *)(body + 24) = cpu_to_le64(r->id);
	rc = zck_chan_request(c, r, &rt, body, sizeof(body), true);
	if (rc)
		return rc;
	/* The tick answers for a silent peer, the teardown for a dead one. */
	left = wait_event_timeout(c->wq, READ_ONCE(r->done),
				  2 * msecs_to_jiffies(zck_timeout_ms));
	if (!left) {
		unsigned long fl;

		spin_lock_irqsave(&c->lock, fl);
		if (!r->done)
			list_del(&r->node);
		spin_unlock_irqrestore(&c->lock, fl);
		return -ETIMEDOUT;
	}
	return r->status;
}

static int cmd_attach(struct zck_file *f, struct io_uring_cmd *cmd,
		      const struct zck_cmd_attach *a)
{
	struct zck_peer *p = NULL;
	struct zck_conn *c = NULL;
	struct zck_req *r = NULL;
	unsigned long deadline;
	u32 handle;
	int i, rc;

	if (a->h.handle || !a->addr)
		return -EINVAL;
	if (!f->bound)
		return -ENOTCONN;
	c = zck_conn_get(f->dev, f->laddr, a->addr);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!c || !r || !p) {
		rc = -ENOMEM;
		goto out;
	}
	if (!wait_event_timeout(c->wq, READ_ONCE(c->state) == ZCK_C_UP ||
				READ_ONCE(c->state) == ZCK_C_DEAD,
				msecs_to_jiffies(zck_timeout_ms) + HZ)) {
		rc = -ETIMEDOUT;
		goto out;
	}
	if (READ_ONCE(c->state) != ZCK_C_UP) {
		rc = c->err ? c->err : -ECONNREFUSED;
		goto out;
	}
	mutex_lock(&f->mutex);
	for (rc = 0, i = 0; !rc && i < f->nregs; i++)
		rc = zck_reg_materialise(f->regs[i], c);
	mutex_unlock(&f->mutex);
	if (rc)
		goto out;
	/* Until the rank has registered its heap (it may be slower to get
	 * there than we are), the target answers -EAGAIN. */
	deadline = jiffies + msecs_to_jiffies(zck_timeout_ms);
	do {
		if (rc == -EAGAIN)
			msleep(10);
		memset(r, 0, sizeof(*r));
		r->id = atomic64_inc_return(&zck_req_ids);
		rc = attach_ask(f, c, a, r);
	} while (rc == -EAGAIN && time_before(jiffies, deadline));
	if (!rc && !desc_sane(r, r->value)) {
		zck_warn("attach: %pI4 answered with a heap that does not add "
			 "up", &a->addr);
		rc = -EPROTO;
	}
	if (rc)
		goto out;
	p->conn = c;
	c = NULL;
	p->rank = a->rank;
	p->reg = r->reg;
	p->len = r->len;
	p->chunk_bytes = r->value;
	p->nchunk = r->ndesc;
	p->desc = r->desc;
	r->desc = NULL;
	rc = xa_alloc(&f->peers, &handle, p, xa_limit_31b, GFP_KERNEL);
	if (!rc) {
		unsigned long fl;

		spin_lock_irqsave(&p->conn->lock, fl);
		list_add(&p->cnode, &p->conn->peers);
		spin_unlock_irqrestore(&p->conn->lock, fl);
		zck_cmd_complete(cmd, (int)handle, p->conn->max_inline);
		p = NULL;
		rc = -EIOCBQUEUED;
	}
out:
	if (p)
		peer_free(p);
	if (r)
		kfree(r->desc);
	kfree(r);
	if (c)
		zck_conn_put(c);
	if (rc == -EACCES)
		zck_warn("attach: rank %u at %pI4 refused: not this job's",
			 a->rank, &a->addr);
	return rc;
}

/* One RDMA op: its WRs (each one SGE inside one local and one remote
 * chunk) complete it together. */
struct zck_op_wr {
	struct ib_cqe cqe;
	struct ib_sge sge;
	struct ib_rdma_wr wr;
	struct zck_rma *op;
};

struct zck_rma {
	struct io_uring_cmd *cmd;	/* NULL: completed when posted */
	struct zck_file *f;
	struct zck_conn *c;
	u32 peer_rank;
	bool write;
	bool flush;		/* QUIET's READ on iWARP: no data, not counted */
	u64 bytes;
	atomic_t left;
	int status;
	int n;
	struct zck_op_wr w[];
};

static int wc_errno(enum ib_wc_status s)
{
	switch (s) {
	case IB_WC_WR_FLUSH_ERR:
		return -ECONNRESET;
	case IB_WC_REM_ACCESS_ERR:
	case IB_WC_LOC_PROT_ERR:
		return -EFAULT;
	case IB_WC_RETRY_EXC_ERR:
	case IB_WC_RNR_RETRY_EXC_ERR:
		return -EHOSTUNREACH;
	default:
		return -EIO;
	}
}

static void op_finish(struct zck_rma *op);

static void op_wr_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct zck_op_wr *w = container_of(wc->wr_cqe, struct zck_op_wr, cqe);
	struct zck_rma *op = w->op;

	if (wc->status != IB_WC_SUCCESS) {
		if (!op->status)
			op->status = wc_errno(wc->status);
		if (wc->status != IB_WC_WR_FLUSH_ERR) {
			pr_err_ratelimited("zcomm: %s to rank %u via %pI4 failed: "
					   "%s\n", op->write ? "RDMA WRITE" :
					   "RDMA READ", op->peer_rank,
					   &op->c->raddr,
					   ib_wc_status_msg(wc->status));
			zck_conn_fail(op->c, -EIO, "an RDMA operation failed");
		}
	}
	if (atomic_dec_and_test(&op->left))
		op_finish(op);
}

static void op_finish(struct zck_rma *op)
{
	if (op->write)
		op->c->n_write++;
	else if (!op->flush)
		op->c->n_read++;
	op->c->n_bytes += op->bytes;
	zck_conn_sq_release(op->c, op->n);
	if (op->cmd)
		zck_cmd_complete(op->cmd, op->status, 0);
	zck_file_op_done(op->f, false, op->cmd ? 0 : op->status);
	kfree(op);
}

static struct zck_reg *local_reg(struct zck_file *f, u64 addr, u64 len)
{
	int i;

	for (i = 0; i < f->nregs; i++) {
		struct zck_reg *r = f->regs[i];

		if (addr >= r->uaddr && len <= r->len &&
		    addr - r->uaddr <= r->len - len)
			return r;
	}
	return NULL;
}

/* Next piece: as long as both chunks allow. */
static u64 piece(u64 loff, u64 lchunk, u64 roff, u64 rchunk, u64 left)
{
	u64 n = min(left, lchunk - loff % lchunk);

	n = min(n, rchunk - roff % rchunk);
	return min_t(u64, n, 1u << 30);
}

/* What PUT, GET and PUT_SIGNAL ask. */
struct zck_rma_args {
	u32 handle;
	bool write, sig;
	u64 off, addr, len;
	u64 sig_off, sig_value;
};

/* A WRITE's source bytes [lo, lo + n) of r, for an inline post. */
static void inline_copy(const struct zck_reg *r, u64 lo, u64 n, u8 *buf)
{
	while (n) {
		u64 k = min_t(u64, n, PAGE_SIZE - offset_in_page(lo));

		memcpy_from_page((char *)buf, r->pages[lo >> PAGE_SHIFT],
				 offset_in_page(lo), k);
		buf += k;
		lo += k;
		n -= k;
	}
}

static void wr_fill(struct zck_rma *op, int i, bool write, u64 laddr,
		    u32 lkey, u32 len, const struct zc_smbd_buffer_desc *d,
		    u64 doff, bool inl)
{
	struct zck_op_wr *w = &op->w[i];

	w->op = op;
	w->cqe.done = op_wr_done;
	w->sge.addr = laddr;
	w->sge.length = len;
	w->sge.lkey = lkey;
	w->wr.wr.wr_cqe = &w->cqe;
	w->wr.wr.opcode = write ? IB_WR_RDMA_WRITE : IB_WR_RDMA_READ;
	w->wr.wr.send_flags = IB_SEND_SIGNALED | (inl ? IB_SEND_INLINE : 0);
	w->wr.wr.sg_list = &w->sge;
	w->wr.wr.num_sge = 1;
	w->wr.wr.next = i + 1 < op->n ? &op->w[i + 1].wr.wr : NULL;
	w->wr.remote_addr = d->offset + doff;
	w->wr.rkey = d->token;
}

static int cmd_rma(struct zck_file *f, struct io_uring_cmd *cmd,
		   const struct zck_rma_args *m, bool nb)
{
	struct zck_peer *p = xa_load(&f->peers, m->handle);
	u8 ibuf[ZCK_INLINE_MAX];
	struct zck_reg *lr = NULL;
	struct zck_rma *op;
	u64 lo = 0, ro, left;
	const struct ib_send_wr *bad;
	bool early;
	int n, i, rc;

	if (!p)
		return -EBADF;
	if (READ_ONCE(p->gone))
		return -ESHUTDOWN;
	if (!m->len && !m->sig)
		return 0;
	if (m->off > p->len || m->len > p->len - m->off)
		return -ERANGE;
	if (m->sig && (m->sig_off > p->len || p->len - m->sig_off < 8 ||
		       m->sig_off & 7))
		return -ERANGE;
	if (m->sig && p->conn->max_inline < 8)
		return -EOPNOTSUPP;
	if (m->len) {
		lr = local_reg(f, m->addr, m->len);
		if (!lr) {
			pr_warn_ratelimited("zcomm: %s of %llu bytes: local "
					    "address %#llx is in no registration "
					    "of rank %u\n", m->write ? "put" : "get",
					    m->len, m->addr, f->rank);
			return -EFAULT;
		}
		lo = m->addr - lr->uaddr;
		if (!zck_reg_ready(lr, lo, m->len)) {
			if (nb)
				return -EAGAIN;
			rc = zck_reg_materialise(lr, p->conn);
			if (rc)
				return rc;
		}
	}
	for (n = 0, ro = m->off, left = m->len; left; n++) {
		u64 k = piece(lo + (m->len - left), lr->chunk_bytes, ro,
			      p->chunk_bytes, left);

		ro += k;
		left -= k;
	}
	/* Every byte goes inline: the command is done once posted. */
	early = m->write && (!m->len || (n == 1 &&
				      m->len <= p->conn->max_inline));
	op = kzalloc(struct_size(op, w, n + m->sig),
		     nb ? GFP_NOWAIT : GFP_KERNEL);
	if (!op)
		return nb ? -EAGAIN : -ENOMEM;
	rc = zck_conn_sq_reserve(p->conn, n + m->sig, !nb);
	if (rc) {
		kfree(op);
		return rc;
	}
	op->cmd = early ? NULL : cmd;
	op->f = f;
	op->c = p->conn;
	op->peer_rank = p->rank;
	op->write = m->write;
	op->bytes = m->len;
	op->n = n + m->sig;
	atomic_set(&op->left, op->n);
	if (early && m->len) {
		inline_copy(lr, lo, m->len, ibuf);
		wr_fill(op, 0, true, (uintptr_t)ibuf, 0, (u32)m->len,
			&p->desc[m->off / p->chunk_bytes],
			m->off % p->chunk_bytes, true);
	}
	for (i = 0, ro = m->off, left = m->len; !early && i < n; i++) {
		u64 l = lo + (m->len - left);
		u64 k = piece(l, lr->chunk_bytes, ro, p->chunk_bytes, left);
		struct ib_mr *mr = lr->chunk[l / lr->chunk_bytes].mr;

		wr_fill(op, i, m->write, mr->iova + l % lr->chunk_bytes,
			mr->lkey, (u32)k, &p->desc[ro / p->chunk_bytes],
			ro % p->chunk_bytes, false);
		ro += k;
		left -= k;
	}
	/* The signal last: RC executes it after the data's WRITEs. */
	if (m->sig)
		wr_fill(op, n, true, (uintptr_t)&m->sig_value, 0, 8,
			&p->desc[m->sig_off / p->chunk_bytes],
			m->sig_off % p->chunk_bytes, true);
	if (m->write && f->dev->iwarp)
		WRITE_ONCE(p->dirty, true);
	file_op_start(f, false);
	n = op->n;
	rc = zck_post_send(p->conn->qp, &op->w[0].wr.wr, &bad, m->len);
	if (rc) {
		/* WRs before bad were posted and will complete */
		int posted;

		for (posted = 0; posted < n && &op->w[posted].wr.wr != bad;
		     posted++)
			;
		zck_conn_fail(p->conn, rc, "cannot post an RDMA operation");
		if (!posted) {
			zck_conn_sq_release(p->conn, n);
			kfree(op);
			zck_file_op_done(f, false, 0);
			return rc;
		}
		op->status = rc;
		zck_conn_sq_release(p->conn, n - posted);
		op->n = posted;
		/* the posted ones may all have completed already */
		if (atomic_sub_and_test(n - posted, &op->left))
			op_finish(op);
		return early ? rc : -EIOCBQUEUED;
	}
	/* op may be gone already: a WR can complete before post returns.
	 * An early one completes through the task too (a positive return
	 * from io-wq would never post a CQE). */
	if (early)
		zck_cmd_complete(cmd, ZCK_RES_POSTED, 0);
	return -EIOCBQUEUED;
}

static int cmd_amo(struct zck_file *f, struct io_uring_cmd *cmd,
		   const struct zck_cmd_amo *a, bool nb)
{
	struct zck_peer *p = xa_load(&f->peers, a->h.handle);
	struct zck_route rt = { .kind = ZCK_K_OP };
	struct zc_msg_hdr h = { .op = ZC_MSG_AMO };
	u8 body[ZC_MSG_HDR_SIZE];
	struct zck_req *r;
	int rc;

	if (!p)
		return -EBADF;
	if (READ_ONCE(p->gone))
		return -ESHUTDOWN;
	if ((a->width != 4 && a->width != 8) || a->op >= 8 || a->fetch > 1 ||
	    !all_zero(a->pad, sizeof(a->pad)))
		return -EINVAL;
	if (a->off > p->len || a->width > p->len - a->off ||
	    a->off & (a->width - 1))
		return -ERANGE;
	r = kzalloc(sizeof(*r), nb ? GFP_NOWAIT : GFP_KERNEL);
	if (!r)
		return nb ? -EAGAIN : -ENOMEM;
	r->id = atomic64_inc_return(&zck_req_ids);
	r->cmd = cmd;
	r->f = f;
	rt.reg = p->reg;
	h.flags = a->fetch ? ZC_MSG_F_FETCH : 0;
	h.width = a->width;
	h.amo = a->op;
	h.seq = r->id;
	h.off = a->off;
	h.value = a->value;
	h.cmp = a->cmp;
	zc_msg_hdr_encode(&h, body);
	file_op_start(f, true);
	if (nb)		/* as zck_post_send (blocking needs them on) */
		local_bh_disable();
	rc = zck_chan_request(p->conn, r, &rt, body, sizeof(body), !nb);
	if (nb)
		local_bh_enable();
	if (rc) {
		kfree(r);
		zck_file_op_done(f, true, 0);
		return rc;
	}
	return -EIOCBQUEUED;
}

/* An 8-byte READ from p's registration into the device's sink, one more
 * op of f: its answer comes after p's target placed every WRITE posted
 * before it on the connection. */
static int flush_post(struct zck_file *f, struct zck_peer *p, bool nb)
{
	struct zc_smbd_buffer_desc d = p->desc[0];
	struct zck_rma *op;
	int rc;

	op = kzalloc(struct_size(op, w, 1), nb ? GFP_NOWAIT : GFP_KERNEL);
	if (!op)
		return nb ? -EAGAIN : -ENOMEM;
	rc = zck_conn_sq_reserve(p->conn, 1, !nb);
	if (rc) {
		kfree(op);
		return rc;
	}
	op->f = f;
	op->c = p->conn;
	op->peer_rank = p->rank;
	op->flush = true;
	op->n = 1;
	atomic_set(&op->left, 1);
	d.length = min_t(u64, p->len, sizeof(*f->dev->sink));
	wr_fill(op, 0, false, f->dev->sink_dma, f->dev->pd->local_dma_lkey,
		d.length, &d, 0, false);
	file_op_start(f, false);
	rc = zck_post_send(p->conn->qp, &op->w[0].wr.wr, NULL, 0);
	if (rc) {
		zck_conn_fail(p->conn, rc, "cannot post an RDMA operation");
		zck_conn_sq_release(p->conn, 1);
		kfree(op);
		zck_file_op_done(f, false, 0);
	}
	return rc;
}

/* iWARP: a READ behind the WRITEs to every peer written to since the
 * last QUIET; one per connection, which the ranks of a node share (the
 * pass's tag on the connection: another file's pass only costs a READ
 * more). -EAGAIN (NONBLOCK, no room): io-wq issues QUIET again and finds
 * the peers done so far clean. Other errors: the connection died, and
 * the WRITEs' own completions report it. */
static int flush_writes(struct zck_file *f, bool nb)
{
	static atomic64_t tags = ATOMIC64_INIT(0);
	u64 tag = atomic64_inc_return(&tags);
	struct zck_peer *p;
	unsigned long h;

	xa_for_each(&f->peers, h, p) {
		if (!READ_ONCE(p->dirty))
			continue;
		if (!READ_ONCE(p->gone) && p->len &&
		    READ_ONCE(p->conn->flush_tag) != tag) {
			if (flush_post(f, p, nb) == -EAGAIN)
				return -EAGAIN;
			WRITE_ONCE(p->conn->flush_tag, tag);
		}
		WRITE_ONCE(p->dirty, false);
	}
	return 0;
}

static int cmd_quiet(struct zck_file *f, struct io_uring_cmd *cmd, bool nb)
{
	unsigned long fl;
	int rc;

	if (f->dev->iwarp && flush_writes(f, nb))
		return -EAGAIN;
	spin_lock_irqsave(&f->lock, fl);
	if (!f->inflight) {
		rc = f->err;
		f->err = 0;
		spin_unlock_irqrestore(&f->lock, fl);
		return rc;
	}
	list_add_tail(&pdu_of(cmd)->node, &f->quiets);
	spin_unlock_irqrestore(&f->lock, fl);
	return -EIOCBQUEUED;
}

static bool fenced(struct zck_file *f)
{
	unsigned long fl;
	bool yes;

	spin_lock_irqsave(&f->lock, fl);
	yes = !f->punted && !f->amo_inflight;
	spin_unlock_irqrestore(&f->lock, fl);
	return yes;
}

/* Every earlier command posted (so RC orders it before later ones on
 * its connection) and no AMO waiting for the target's CPU. Waits only
 * for commands that io-wq is about to post and for answers, both
 * bounded. */
static int cmd_fence(struct zck_file *f, bool nb)
{
	if (fenced(f))
		return 0;
	if (nb)
		return -EAGAIN;
	if (!wait_event_timeout(f->wq, fenced(f),
				2 * msecs_to_jiffies(zck_timeout_ms)))
		return -ETIMEDOUT;
	return 0;
}

/* A data command's issue: those a NONBLOCK issue sent to io-wq count as
 * punted until io-wq has issued them (posted, or failed), for FENCE. */
static int data_issued(struct zck_file *f, int rc, bool nb)
{
	unsigned long fl;

	if (nb && rc != -EAGAIN)
		return rc;
	spin_lock_irqsave(&f->lock, fl);
	if (nb)
		f->punted++;
	else if (f->punted)
		f->punted--;
	spin_unlock_irqrestore(&f->lock, fl);
	if (!nb)
		wake_up_all(&f->wq);
	return rc;
}

static int cmd_data(struct zck_file *f, struct io_uring_cmd *cmd, u32 op,
		    const void *buf, bool nb)
{
	const struct zck_cmd_rma *m = buf;
	const struct zck_cmd_put_signal *ps = buf;
	struct zck_rma_args a = { .handle = m->h.handle, .off = m->off,
				  .addr = m->addr, .len = m->len,
				  .write = op != ZCK_OP_GET };

	if (op == ZCK_OP_AMO)
		return data_issued(f, cmd_amo(f, cmd, buf, nb), nb);
	if (op == ZCK_OP_PUT_SIGNAL) {
		a.sig = true;
		a.sig_off = ps->sig_off;
		a.sig_value = ps->sig_value;
	}
	return data_issued(f, cmd_rma(f, cmd, &a, nb), nb);
}

static const u8 cmd_size[ZCK_OP_LAST] = {
	[ZCK_OP_BIND] = sizeof(struct zck_cmd_bind),
	[ZCK_OP_REG] = sizeof(struct zck_cmd_reg),
	[ZCK_OP_ATTACH] = sizeof(struct zck_cmd_attach),
	[ZCK_OP_PUT] = sizeof(struct zck_cmd_rma),
	[ZCK_OP_GET] = sizeof(struct zck_cmd_rma),
	[ZCK_OP_AMO] = sizeof(struct zck_cmd_amo),
	[ZCK_OP_QUIET] = sizeof(struct zck_cmd_hdr),
	[ZCK_OP_FENCE] = sizeof(struct zck_cmd_hdr),
	[ZCK_OP_PUT_SIGNAL] = sizeof(struct zck_cmd_put_signal),
};

int zck_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct zck_file *f = cmd->file->private_data;
	bool nb = issue_flags & IO_URING_F_NONBLOCK;
	u8 buf[ZCK_CMD_AREA];
	u32 op = cmd->cmd_op;
	const struct zck_cmd_hdr *h = (const void *)buf;

	BUILD_BUG_ON(sizeof(struct zck_cmd_bind) > ZCK_CMD_AREA);
	if (!(issue_flags & IO_URING_F_SQE128) ||
	    !(issue_flags & IO_URING_F_CQE32)) {
		pr_warn_ratelimited("zcomm: command from a ring without "
				    "SQE128 and CQE32: refused\n");
		return -EINVAL;
	}
	memcpy(buf, cmd->cmd, sizeof(buf));	/* the ring is shared: once */
	if (op == 0 || op >= ZCK_OP_LAST || h->abi != ZCK_ABI_VERSION ||
	    !all_zero(buf + cmd_size[op], sizeof(buf) - cmd_size[op])) {
		pr_warn_ratelimited("zcomm: malformed command (op %u, abi %u) "
				    "refused\n", op, h->abi);
		return -EINVAL;
	}
	if (op != ZCK_OP_BIND && !READ_ONCE(f->bound))
		return -ENOTCONN;
	if (f->dev && READ_ONCE(f->dev->gone))
		return -ENODEV;
	switch (op) {
	case ZCK_OP_BIND:
		return nb ? -EAGAIN : bind_done(f, cmd,
						 cmd_bind(f, (const void *)buf));
	case ZCK_OP_REG:
		return nb ? -EAGAIN : cmd_reg(f, cmd, (const void *)buf);
	case ZCK_OP_ATTACH:
		return nb ? -EAGAIN : cmd_attach(f, cmd, (const void *)buf);
	case ZCK_OP_PUT:
	case ZCK_OP_GET:
	case ZCK_OP_AMO:
	case ZCK_OP_PUT_SIGNAL:
		return cmd_data(f, cmd, op, buf, nb);
	case ZCK_OP_QUIET:
		return h->handle ? -EINVAL : cmd_quiet(f, cmd, nb);
	case ZCK_OP_FENCE:
		return h->handle ? -EINVAL : cmd_fence(f, nb);
	}
	return -EINVAL;
}

/* The last close (io_uring holds the file while any command is in
 * flight, so none is; but a put completed when posted may still be on
 * the wire, and its WRs name f and its connection: wait for them, which
 * the QP bounds). */
void zck_file_release(struct zck_file *f)
{
	struct zck_peer *p;
	unsigned long h;
	int i;

	while (!wait_event_timeout(f->wq, !READ_ONCE(f->inflight),
				   msecs_to_jiffies(zck_timeout_ms)))
		zck_warn("rank %u: close waits for %ld operations in flight",
			 f->rank, READ_ONCE(f->inflight));

	xa_for_each(&f->peers, h, p)
		peer_free(p);
	xa_destroy(&f->peers);
	for (i = 0; i < f->nregs; i++)
		zck_reg_release(f->regs[i]);
	if (f->dev)
		zck_dev_put(f->dev);
	kfree(f);
}
