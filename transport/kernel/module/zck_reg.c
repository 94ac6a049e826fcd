// SPDX-License-Identifier: GPL-2.0
/*
 * Registrations. A registration is a page-aligned range of an io_uring
 * registered buffer: io_uring pinned and accounted its pages when the
 * buffer was registered, io_uring_cmd_import_fixed hands them to us, and
 * we hold a page reference of our own (and charge locked_vm) for as long
 * as the registration lives, so unregistering the io_uring buffer under
 * an RDMA operation frees nothing the device still addresses. No page is
 * pinned per operation.
 *
 * The device sees a registration as chunks of at most the device's
 * fast-registration page list, one FRWR MR each (lkey for local use,
 * rkey for peers: the heap only). An MR becomes valid by a REG_MR work
 * request, which needs a queue pair: the first connection that needs the
 * registration posts it (zck_reg_materialise).
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "zc_amo_cpu.h"
#include "zck.h"

static DEFINE_XARRAY_ALLOC1(zck_regs);
static LIST_HEAD(zck_all_regs);		/* every one not yet freed */
static DEFINE_SPINLOCK(zck_all_lock);
static u32 zck_regs_next;
atomic_long_t zck_nregs;

static void chunks_release(struct zck_reg *r)
{
	u32 i;

	for (i = 0; r->chunk && i < r->nchunk; i++) {
		struct zck_chunk *k = &r->chunk[i];

		if (k->mr)
			ib_dereg_mr(k->mr);
		k->mr = NULL;
		k->valid = false;
		if (k->mapped)
			ib_dma_unmap_sgtable_attrs(r->dev->ib, &k->sgt,
						   DMA_BIDIRECTIONAL, 0);
		k->mapped = false;
		sg_free_table(&k->sgt);
	}
}

static void reg_free_work(struct work_struct *w)
{
	struct zck_reg *r = container_of(w, struct zck_reg, free_work);
	unsigned long i;

	if (r->dev) {
		mutex_lock(&r->mutex);
		if (!r->dev_gone)
			chunks_release(r);
		mutex_unlock(&r->mutex);
		zck_dev_put(r->dev);
	}
	for (i = 0; i < r->npages; i++)
		put_page(r->pages[i]);
	if (r->mm) {
		account_locked_vm(r->mm, r->npages, false);
		mmdrop(r->mm);
	}
	atomic64_sub(r->npages, &zck_pinned_pages);
	spin_lock(&zck_all_lock);
	list_del(&r->all_node);
	spin_unlock(&zck_all_lock);
	kvfree(r->pages);
	kfree(r->chunk);
	kfree_rcu(r, rcu);
}

static void reg_free(struct kref *k)
{
	struct zck_reg *r = container_of(k, struct zck_reg, ref);

	/* the last reference may go under a spinlock: dereg sleeps */
	INIT_WORK(&r->free_work, reg_free_work);
	queue_work(zck_wq, &r->free_work);
}

void zck_reg_put(struct zck_reg *r)
{
	kref_put(&r->ref, reg_free);
}

/* Referenced registration id, or NULL; any context. */
struct zck_reg *zck_reg_lookup(u32 id)
{
	struct zck_reg *r;

	rcu_read_lock();
	r = xa_load(&zck_regs, id);
	if (r && !kref_get_unless_zero(&r->ref))
		r = NULL;
	rcu_read_unlock();
	return r;
}

/* The heap of (job, rank), referenced, or NULL; any context. */
struct zck_reg *zck_reg_find(const u8 *job, u32 rank)
{
	struct zck_reg *r, *found = NULL;
	unsigned long id;

	rcu_read_lock();
	xa_for_each(&zck_regs, id, r)
		if (r->remote && r->rank == rank &&
		    !memcmp(r->job, job, ZCK_JOB_KEY_SIZE) &&
		    kref_get_unless_zero(&r->ref)) {
			found = r;
			break;
		}
	rcu_read_unlock();
	return found;
}

/* The pages of the registered buffer range the command names. */
static int take_pages(struct zck_reg *r, struct io_uring_cmd *cmd)
{
	const struct bio_vec *bv;
	struct iov_iter it;
	size_t skip;
	unsigned long n = 0;
	int rc;

	rc = io_uring_cmd_import_fixed(r->uaddr, r->len, WRITE, &it, cmd);
	if (rc)
		return rc;
	if (!iov_iter_is_bvec(&it))
		return -EINVAL;
	bv = it.bvec;
	skip = it.iov_offset;
	while (n < r->npages) {
		size_t off = bv->bv_offset + skip;

		if (skip >= bv->bv_len) {
			bv++;
			skip = 0;
			continue;
		}
		if (off & ~PAGE_MASK)
			return -EINVAL;
		r->pages[n] = nth_page(bv->bv_page, off >> PAGE_SHIFT);
		get_page(r->pages[n]);
		n++;
		r->npages_held = n;
		skip += PAGE_SIZE;
	}
	return 0;
}

static int chunks_make(struct zck_reg *r)
{
	struct ib_device *ib = r->dev->ib;
	unsigned long per = min_t(unsigned long,
				  ib->attrs.max_fast_reg_page_list_len, 65536);
	u32 i;
	int rc;

	r->nchunk = DIV_ROUND_UP(r->npages, per);
	r->chunk_bytes = (u64)per << PAGE_SHIFT;
	if (r->nchunk > ZCK_MAX_CHUNKS)
		return -E2BIG;
	r->chunk = kcalloc(r->nchunk, sizeof(*r->chunk), GFP_KERNEL);
	if (!r->chunk)
		return -ENOMEM;
	for (i = 0; i < r->nchunk; i++) {
		struct zck_chunk *k = &r->chunk[i];
		unsigned long first = i * per;
		unsigned long cnt = min(per, r->npages - first);

		rc = sg_alloc_table_from_pages(&k->sgt, r->pages + first, cnt,
					       0, cnt << PAGE_SHIFT, GFP_KERNEL);
		if (rc)
			return rc;
		rc = ib_dma_map_sgtable_attrs(ib, &k->sgt, DMA_BIDIRECTIONAL, 0);
		if (rc)
			return rc;
		k->mapped = true;
		k->mr = ib_alloc_mr(r->dev->pd, IB_MR_TYPE_MEM_REG, cnt);
		if (IS_ERR(k->mr)) {
			rc = PTR_ERR(k->mr);
			k->mr = NULL;
			return rc;
		}
		rc = ib_map_mr_sg(k->mr, k->sgt.sgl, k->sgt.nents, NULL,
				  PAGE_SIZE);
		if (rc != (int)k->sgt.nents)
			return rc < 0 ? rc : -EINVAL;
	}
	return 0;
}

int zck_reg_create(struct zck_file *f, struct io_uring_cmd *cmd, u64 addr,
		   u64 len, struct zck_reg **reg_p)
{
	struct zck_reg *r;
	int rc;

	if (!len || (addr | len) & ~PAGE_MASK || len > (64ull << 30))
		return -EINVAL;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	kref_init(&r->ref);
	mutex_init(&r->mutex);
	spin_lock(&zck_all_lock);
	list_add(&r->all_node, &zck_all_regs);
	spin_unlock(&zck_all_lock);
	r->uaddr = addr;
	r->len = len;
	r->npages = len >> PAGE_SHIFT;
	r->remote = f->nregs == 0;
	r->rank = f->rank;
	memcpy(r->job, f->job, ZCK_JOB_KEY_SIZE);
	kref_get(&f->dev->ref);
	r->dev = f->dev;
	r->pages = kvcalloc(r->npages, sizeof(*r->pages), GFP_KERNEL);
	rc = r->pages ? take_pages(r, cmd) : -ENOMEM;
	if (!rc) {
		rc = account_locked_vm(current->mm, r->npages, true);
		if (!rc) {
			mmgrab(current->mm);
			r->mm = current->mm;
		}
	}
	if (!rc)
		rc = chunks_make(r);
	if (!rc)
		rc = xa_alloc_cyclic(&zck_regs, &r->id, r, xa_limit_31b,
				     &zck_regs_next, GFP_KERNEL);
	if (rc < 0) {
		r->npages = r->npages_held;
		atomic64_add(r->npages, &zck_pinned_pages);
		zck_reg_put(r);
		return rc;
	}
	atomic64_add(r->npages, &zck_pinned_pages);
	atomic_long_inc(&zck_nregs);
	*reg_p = r;
	return 0;
}

static void reg_grace_work(struct work_struct *w)
{
	zck_reg_put(container_of(w, struct zck_reg, grace_work.work));
}

/* The owner's last word: no new lookup finds it; the peers are told
 * (ZCK_K_GONE), and WRITEs they posted before they heard land in pages
 * that stay ours (and mapped) for a grace period, so that no peer's
 * connection breaks on an invalid key. */
void zck_reg_release(struct zck_reg *r)
{
	xa_erase(&zck_regs, r->id);
	atomic_long_dec(&zck_nregs);
	if (!r->remote) {
		zck_reg_put(r);
		return;
	}
	zck_conns_gone(r->dev, r->id);
	INIT_DELAYED_WORK(&r->grace_work, reg_grace_work);
	queue_delayed_work(zck_wq, &r->grace_work,
			   msecs_to_jiffies(ZCK_GRACE_MS));
}

/* Unload: the grace periods end now. */
void zck_regs_flush(void)
{
	struct zck_reg *r, *t;
	LIST_HEAD(mine);

	/* A grace we cancel is ours to end; one already running ends itself. */
	spin_lock(&zck_all_lock);
	list_for_each_entry(r, &zck_all_regs, all_node)
		if (r->remote && r->grace_work.work.func &&
		    cancel_delayed_work(&r->grace_work))
			list_add(&r->drop_node, &mine);
	spin_unlock(&zck_all_lock);
	list_for_each_entry_safe(r, t, &mine, drop_node)
		zck_reg_put(r);
	flush_workqueue(zck_wq);
	flush_workqueue(zck_wq);	/* the frees the graces queued */
}

struct reg_wait {
	struct ib_cqe cqe;
	struct completion done;
	int status;
	refcount_t ref;
};

static void reg_wait_put(struct reg_wait *w)
{
	if (refcount_dec_and_test(&w->ref))
		kfree(w);
}

static void reg_mr_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct reg_wait *w = container_of(wc->wr_cqe, struct reg_wait, cqe);

	w->status = wc->status;
	complete(&w->done);
	reg_wait_put(w);
}

/* Makes every MR of r valid, posting REG_MR on c. Blocks. */
int zck_reg_materialise(struct zck_reg *r, struct zck_conn *c)
{
	int access = IB_ACCESS_LOCAL_WRITE;
	int rc = 0;
	u32 i;

	if (r->remote)
		access |= IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_READ;
	mutex_lock(&r->mutex);
	if (r->dev_gone || c->dev != r->dev)
		rc = -ENODEV;
	for (i = 0; !rc && i < r->nchunk; i++) {
		struct zck_chunk *k = &r->chunk[i];
		struct ib_reg_wr wr = { 0 };
		struct reg_wait *w;

		if (k->valid)
			continue;
		w = kzalloc(sizeof(*w), GFP_KERNEL);
		if (!w) {
			rc = -ENOMEM;
			break;
		}
		init_completion(&w->done);
		refcount_set(&w->ref, 2);
		w->cqe.done = reg_mr_done;
		wr.wr.opcode = IB_WR_REG_MR;
		wr.wr.wr_cqe = &w->cqe;
		wr.wr.send_flags = IB_SEND_SIGNALED;
		wr.mr = k->mr;
		wr.key = k->mr->rkey;
		wr.access = access;
		rc = zck_conn_sq_reserve(c, 1, true);
		if (!rc) {
			rc = zck_post_send(c->qp, &wr.wr, NULL, 0);
			if (rc)
				zck_conn_sq_release(c, 1);
		}
		if (rc) {
			kfree(w);
			break;
		}
		if (!wait_for_completion_timeout(&w->done,
				msecs_to_jiffies(zck_timeout_ms))) {
			zck_conn_fail(c, -ETIMEDOUT, "memory registration "
				      "did not complete");
			wait_for_completion(&w->done);	/* flushed */
		}
		zck_conn_sq_release(c, 1);
		if (w->status == IB_WC_SUCCESS)
			k->valid = true;
		else
			rc = -EIO;
		reg_wait_put(w);
	}
	mutex_unlock(&r->mutex);
	return rc;
}

/* Whether [off, off + len) of r has valid MRs. */
bool zck_reg_ready(struct zck_reg *r, u64 off, u64 len)
{
	u32 i;

	for (i = off / r->chunk_bytes; i <= (off + len - 1) / r->chunk_bytes;
	     i++)
		if (!READ_ONCE(r->chunk[i].valid))
			return false;
	return true;
}

void zck_reg_fill_desc(struct zck_reg *r, struct zc_smbd_buffer_desc *d)
{
	u32 i;

	for (i = 0; i < r->nchunk; i++) {
		d[i].offset = r->chunk[i].mr->iova;
		d[i].token = r->chunk[i].mr->rkey;
		d[i].length = (u32)r->chunk[i].mr->length;
	}
}

/* An atomic from a peer, already decoded against r->len (in range and
 * aligned, so inside one page). */
int zck_reg_amo(struct zck_reg *r, const struct zc_msg_hdr *h, u64 *old)
{
	struct page *pg = r->pages[h->off >> PAGE_SHIFT];
	void *k = kmap_local_page(pg);
	int rc;

	rc = zc_amo_cpu((u8 *)k + offset_in_page(h->off), h->amo, h->width,
			h->value, h->cmp, h->flags & ZC_MSG_F_FETCH ? old : NULL);
	kunmap_local(k);
	return rc;
}

/* Device removal: the MRs of every registration on d go now. */
void zck_regs_drop_dev(struct zck_dev *d)
{
	struct zck_reg *r, *t;
	LIST_HEAD(mine);

	flush_workqueue(zck_wq);	/* registrations being freed */
	spin_lock(&zck_all_lock);
	list_for_each_entry(r, &zck_all_regs, all_node)
		if (r->dev == d && kref_get_unless_zero(&r->ref))
			list_add(&r->drop_node, &mine);
	spin_unlock(&zck_all_lock);
	list_for_each_entry_safe(r, t, &mine, drop_node) {
		mutex_lock(&r->mutex);
		chunks_release(r);
		r->dev_gone = true;
		mutex_unlock(&r->mutex);
		zck_reg_put(r);
	}
	flush_workqueue(zck_wq);
}
