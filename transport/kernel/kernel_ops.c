/* SPDX-License-Identifier: MIT */
/*
 * Commands to the module and their completions: one SQE128 per command,
 * one CQE32 back (res, and an atomic's old value in big_cqe[0]). Heap
 * memory goes to the device as it is (the heap is a registered buffer);
 * other memory through bounce slots of a second registered buffer.
 */
#include <errno.h>
#include <string.h>

#include "kernel.h"

int zc_kernel_errno(int res)
{
	switch (res) {
	case -ECONNRESET:
	case -ETIMEDOUT:
	case -EHOSTUNREACH:
	case -ENOTCONN:
	case -ECONNREFUSED:
	case -ECONNABORTED:
	case -ENODEV:
	case -EPIPE:
	case -ESHUTDOWN:
		return -ZC_EPEERDEAD;
	case -ERANGE:
		return -ZC_ERANGE_ACCESS;
	default:
		return res;
	}
}

static const char *op_name(const struct zc_kernel_req *r)
{
	return r->old_p ? "atomic" : r->copy_to ? "get" : "put or get";
}

static void finish(struct zc_prov *p, struct zc_kernel_req *r, int res,
		   uint64_t res2)
{
	int status;

	/* Posted inline: source free, done for the caller; QUIET waits.
	 * On iWARP (ZCK_BIND_F_FLUSH) every put needs QUIET to be seen. */
	if (r->put && (res == ZCK_RES_POSTED || (p->flush && res >= 0))) {
		p->posted = true;
		res = 0;
	}
	status = res < 0 ? zc_kernel_errno(res) : 0;
	if (r->result) {
		*r->result = res;
		if (r->result2)
			*r->result2 = res2;
	} else if (status) {
		if (!p->first_err)
			zc_err("kernel: %s to rank %d failed: %s", op_name(r),
			       r->rank, zc_strerror(status));
		if (!p->first_err)
			p->first_err = status;
		if (status == -ZC_EPEERDEAD && r->rank >= 0)
			p->dead[r->rank] = true;
	} else {
		if (r->copy_to)
			memcpy(r->copy_to, p->bounce + (size_t)r->slot *
			       p->slot_size, r->len);
		if (r->old_p)
			*r->old_p = res2;
	}
	if (r->slot >= 0)
		p->slot_free[p->nfree_slots++] = r->slot;
	if (r->comp)
		zc_comp_done(r->comp, status);
	p->window_used -= r->window;
	r->next_free = p->free_req;
	p->free_req = r;
	p->inflight--;
}

/* Completions: those ready, or (wait) at least one. */
int zc_kernel_reap(struct zc_prov *p, bool wait)
{
	struct io_uring_cqe *cqe;
	int n = 0, rc;

	for (;;) {
		rc = wait && !n ? io_uring_wait_cqe(&p->ring, &cqe)
				: io_uring_peek_cqe(&p->ring, &cqe);
		if (rc == -EINTR)
			continue;
		if (rc)
			break;
		finish(p, io_uring_cqe_get_data(cqe), cqe->res,
		       (uint64_t)cqe->big_cqe[0]);
		io_uring_cqe_seen(&p->ring, cqe);
		n++;
	}
	return n;
}

struct zc_kernel_req *zc_kernel_req_get(struct zc_prov *p)
{
	struct zc_kernel_req *r;

	while (!p->free_req)
		zc_kernel_reap(p, true);
	r = p->free_req;
	p->free_req = r->next_free;
	memset(r, 0, sizeof(*r));
	r->slot = -1;
	r->rank = -1;
	return r;
}

static int slot_get(struct zc_prov *p)
{
	while (!p->nfree_slots)
		zc_kernel_reap(p, true);
	return p->slot_free[--p->nfree_slots];
}

/* Submits one command; r completes it. buf_index >= 0: a registered
 * buffer the module imports (REG). */
int zc_kernel_cmd(struct zc_prov *p, uint32_t op, const void *cmd,
		  size_t len, int buf_index, struct zc_kernel_req *r)
{
	struct io_uring_sqe *sqe;
	int rc;

	while (!(sqe = io_uring_get_sqe(&p->ring))) {
		io_uring_submit(&p->ring);
		zc_kernel_reap(p, false);
	}
	memset(sqe, 0, 2 * sizeof(*sqe));	/* SQE128 */
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = p->fd;
	sqe->cmd_op = op;
	memcpy(sqe->cmd, cmd, len);
	if (buf_index >= 0) {
		sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
		sqe->buf_index = (uint16_t)buf_index;
	}
	io_uring_sqe_set_data(sqe, r);
	p->inflight++;
	do
		rc = io_uring_submit(&p->ring);
	while (rc == -EINTR || rc == -EAGAIN);
	return rc < 0 ? rc : 0;
}

/* A command waited for: its res (or a submission error). */
int zc_kernel_sync(struct zc_prov *p, uint32_t op, const void *cmd,
		   size_t len, int buf_index, uint64_t *res2)
{
	struct zc_kernel_req *r = zc_kernel_req_get(p);
	int res = 1 << 30, rc;

	r->result = &res;
	r->result2 = res2;
	rc = zc_kernel_cmd(p, op, cmd, len, buf_index, r);
	if (rc)
		return rc;
	while (res == 1 << 30)
		zc_kernel_reap(p, true);
	return res;
}

static bool in_heap(const struct zc_prov *p, const void *b, size_t len)
{
	const char *h = p->env.heap_base, *c = b;

	return c >= h && c <= h + p->env.heap_size &&
	       len <= p->env.heap_size - (size_t)(c - h);
}

/* A PUT, GET or (sig) PUT_SIGNAL: the rma command's fields are the
 * first of put_signal's. */
static int rma(struct zc_prov *p, uint32_t op, int rank, uint64_t off,
	       void *local, size_t len, struct zc_comp *comp, int slot,
	       void *copy_to, const uint64_t *sig)
{
	struct zck_cmd_put_signal m = {
		.h = { .abi = ZCK_ABI_VERSION, .handle = p->handle[rank] },
		.off = off, .addr = (uintptr_t)local, .len = len,
	};
	struct zc_kernel_req *r;

	/* A killed rank's posted WRs run to their end before the module
	 * lets its file go and tells the peers (6.1 cannot cancel them):
	 * bounding the bytes in flight bounds that (512 MiB took 6-11 s
	 * under TCG). One op may exceed the window alone. */
	while (p->window_used && p->window_used + len > zc_kernel_params.window)
		zc_kernel_reap(p, true);
	r = zc_kernel_req_get(p);
	r->window = len;
	p->window_used += len;
	if (sig) {
		m.sig_off = sig[0];
		m.sig_value = sig[1];
	}
	r->comp = comp;
	r->rank = rank;
	r->slot = slot;
	r->copy_to = copy_to;
	r->len = len;
	r->put = op != ZCK_OP_GET;
	return zc_kernel_cmd(p, op, &m, sig ? sizeof(m) :
			     sizeof(struct zck_cmd_rma), -1, r);
}

/*
 * A put or get. Heap memory goes as it is. Other memory goes through
 * bounce slots, a slot per piece: a put's source is copied at once (so it
 * is free on return), a get's destination filled at each piece's CQE; a
 * get of several pieces waits for them here.
 */
static int xfer(struct zc_prov *p, uint32_t op, int rank, uint64_t off,
		char *local, size_t len, struct zc_comp *comp,
		const uint64_t *sig)
{
	bool put = op != ZCK_OP_GET, one = len <= p->slot_size;
	struct zc_comp all;
	size_t o;
	int rc = 0;

	if (p->dead[rank])
		return -ZC_EPEERDEAD;
	if (!len && !sig)
		return 0;
	if (!len || in_heap(p, local, len)) {
		rc = rma(p, op, rank, off, local, len, comp, -1, NULL, sig);
		return rc ? rc : ZC_INPROGRESS;
	}
	zc_comp_init(&all, 0);
	for (o = 0; o < len && !rc; o += p->slot_size) {
		size_t n = len - o < p->slot_size ? len - o : p->slot_size;
		int s = slot_get(p);
		char *b = p->bounce + (size_t)s * p->slot_size;
		struct zc_comp *c = put ? NULL : one ? comp : &all;

		if (put)
			memcpy(b, local + o, n);
		if (c == &all)
			atomic_fetch_add(&all.pending, 1);
		rc = rma(p, op, rank, off + o, b, n, c, s, put ? NULL : local + o,
			 sig);
		if (rc && c == &all)
			atomic_fetch_sub(&all.pending, 1);
	}
	while (atomic_load(&all.pending) > 0)
		zc_kernel_reap(p, true);
	if (!rc)
		rc = atomic_load(&all.status);
	if (rc)
		return rc;
	if (comp && (put || !one))
		zc_comp_done(comp, 0);
	return ZC_INPROGRESS;
}

int zc_kernel_put(struct zc_prov *p, int rank, uint64_t off, const void *src,
		  size_t len, struct zc_comp *comp)
{
	return xfer(p, ZCK_OP_PUT, rank, off, (char *)src, len, comp, NULL);
}

int zc_kernel_get(struct zc_prov *p, int rank, uint64_t off, void *dst,
		  size_t len, struct zc_comp *comp)
{
	return xfer(p, ZCK_OP_GET, rank, off, dst, len, comp, NULL);
}

int zc_kernel_amo(struct zc_prov *p, int rank, uint64_t off,
		  enum zc_amo_op op, size_t width, uint64_t value, uint64_t cmp,
		  uint64_t *old, struct zc_comp *comp)
{
	struct zck_cmd_amo a = {
		.h = { .abi = ZCK_ABI_VERSION, .handle = p->handle[rank] },
		.off = off, .value = value, .cmp = cmp, .op = (uint8_t)op,
		.width = (uint8_t)width, .fetch = old != NULL,
	};
	struct zc_kernel_req *r;
	int rc;

	if (p->dead[rank])
		return -ZC_EPEERDEAD;
	r = zc_kernel_req_get(p);
	r->comp = comp;
	r->old_p = old;
	r->rank = rank;
	rc = zc_kernel_cmd(p, ZCK_OP_AMO, &a, sizeof(a), -1, r);
	return rc ? rc : ZC_INPROGRESS;
}

/* Every command's CQE in: each is then complete, or (a put that ended
 * ZCK_RES_POSTED) posted, so that RC orders it before later ones and its
 * source is free. */
static void drain(struct zc_prov *p)
{
	while (p->inflight)
		zc_kernel_reap(p, true);
}

static int take_err(struct zc_prov *p)
{
	int rc = p->first_err;

	p->first_err = 0;
	return rc;
}

/* Drained, then a QUIET for the puts that ended ZCK_RES_POSTED (the
 * module answers it when their WRITEs are complete and reports their
 * errors); one that io-wq posted meanwhile ends posted too: again. */
int zc_kernel_quiet(struct zc_prov *p)
{
	struct zck_cmd_hdr h = { .abi = ZCK_ABI_VERSION };
	int rc;

	for (drain(p); p->posted; drain(p)) {
		p->posted = false;
		rc = zc_kernel_sync(p, ZCK_OP_QUIET, &h, sizeof(h), -1, NULL);
		if (rc < 0 && !p->first_err)
			p->first_err = zc_kernel_errno(rc);
	}
	return take_err(p);
}

/* Puts left posted are the next quiet's to confirm. */
int zc_kernel_quiet_local(struct zc_prov *p, int rank)
{
	(void)rank;
	drain(p);
	return take_err(p);
}

/* The module answers FENCE when every earlier command is posted (RC
 * keeps their order on the connection) and no AMO waits for its target:
 * at once, unless io-wq holds one. Waited for, so that nothing later is
 * issued before it. Nothing in flight: nothing to order. */
int zc_kernel_fence(struct zc_prov *p)
{
	struct zck_cmd_hdr h = { .abi = ZCK_ABI_VERSION };
	int rc;

	if (!p->inflight)
		return 0;
	rc = zc_kernel_sync(p, ZCK_OP_FENCE, &h, sizeof(h), -1, NULL);
	return rc < 0 ? zc_kernel_errno(rc) : 0;
}

/* SET: a FENCE (the signal must follow every earlier op, as after a
 * fence, when there is no data; and the data need the same for a
 * signal behind them), then one PUT_SIGNAL: the data's WRITEs and the
 * signal's inline WRITE, which RC executes in that order; a small one
 * completes when posted. Data that take more than one command (a large
 * non-heap source) go as a put before the FENCE. ADD is the target
 * CPU's atomic: put, fence, AMO. */
int zc_kernel_put_signal(struct zc_prov *p, int rank, uint64_t off,
			 const void *src, size_t len, uint64_t sig_off,
			 enum zc_amo_op sig_op, uint64_t sig_value,
			 struct zc_comp *comp)
{
	uint64_t sig[2] = { sig_off, sig_value };
	bool write = sig_op == ZC_AMO_SET && p->max_inline[rank] >= 8;
	/* the data ride in the PUT_SIGNAL when they go in one command */
	bool with = write && (!len || in_heap(p, src, len) ||
			      len <= p->slot_size);
	int rc;

	if (p->dead[rank])
		return -ZC_EPEERDEAD;
	if (!with) {
		rc = zc_kernel_put(p, rank, off, src, len, comp);
		if (rc < 0)
			return rc;
	}
	rc = zc_kernel_fence(p);
	if (!rc && write)
		rc = with ? xfer(p, ZCK_OP_PUT_SIGNAL, rank, off, (char *)src,
				 len, comp, sig)
			  : xfer(p, ZCK_OP_PUT_SIGNAL, rank, 0, NULL, 0, NULL,
				 sig);
	else if (!rc)
		rc = zc_kernel_amo(p, rank, sig_off, sig_op, 8, sig_value, 0,
				   NULL, NULL);
	return rc < 0 ? rc : ZC_INPROGRESS;
}

int zc_kernel_progress(struct zc_prov *p)
{
	return zc_kernel_reap(p, false);
}

int zc_kernel_peer_status(struct zc_prov *p, int rank)
{
	return p->dead[rank] ? -ZC_EPEERDEAD : 0;
}
