/* SPDX-License-Identifier: MIT */
/* put/get (blocking, nbi, strided), quiet and fence. */
#include <errno.h>

#include "zc_core.h"

int zc_rma_check(const void *sym, size_t len, int rank, bool lib,
		 uint64_t *off_p)
{
	const char *p = sym;
	/* The public calls stop at the user's part: the library's part
	 * after it (barrier flags, team scratch) is not theirs to touch. */
	size_t end = lib ? zc_ctx->map_size : zc_ctx->heap_size, off;

	if (__builtin_expect(rank < 0 || rank >= zc_ctx->size, 0)) {
		zc_err("rank %d out of range (job of %d)", rank, zc_ctx->size);
		return -EINVAL;
	}
	if (__builtin_expect(p < zc_ctx->heap || p >= zc_ctx->heap + end, 0)) {
		zc_err("address %p (rank %d, %zu bytes) is not in the "
		       "symmetric heap [%p, +%zu)", sym, rank, len,
		       (void *)zc_ctx->heap, zc_ctx->heap_size);
		return -ZC_ENOTSYM;
	}
	off = (size_t)(p - zc_ctx->heap);
	if (__builtin_expect(len > end - off, 0)) {
		zc_err("access to rank %d at heap offset %zu, %zu bytes, "
		       "passes the end of its %zu-byte heap", rank, off, len,
		       zc_ctx->heap_size);
		return -ZC_ERANGE_ACCESS;
	}
	*off_p = off;
	return 0;
}

/* Wait for a queued op; providers without a thread are driven here. */
int zc_comp_wait(struct zc_comp *c, struct zc_provider_slot *s)
{
	unsigned spins = 0;

	while (atomic_load_explicit(&c->pending, memory_order_acquire) > 0) {
		if (s->ops->progress)
			s->ops->progress(s->prov);
		zc_backoff(&spins);
	}
	return atomic_load_explicit(&c->status, memory_order_relaxed);
}

enum rma_kind { RMA_PUT, RMA_GET };

static inline int rma(enum rma_kind kind, void *sym, void *local, size_t len,
		      int rank, struct zc_comp *comp, bool lib)
{
	struct zc_provider_slot *s;
	uint64_t off;
	int rc;

	ZC_CHECK_INIT();
	/* Zero bytes touch no memory: any pointers will do (the specification
	 * says so for shmem), but the rank must still be one. */
	if (!len)
		return zc_rma_check(zc_ctx->heap, 0, rank, lib, &off);
	rc = zc_rma_check(sym, len, rank, lib, &off);
	if (rc)
		return rc;
	s = zc_ctx->peers[rank].slot;
	if (kind == RMA_PUT)
		rc = s->ops->put(s->prov, rank, off, local, len, comp);
	else
		rc = s->ops->get(s->prov, rank, off, local, len, comp);
	if (rc == ZC_INPROGRESS) {
		if (comp)
			return zc_comp_wait(comp, s);
		s->dirty = true;
		return 0;
	}
	return rc;
}

int zc_put(void *dest, const void *src, size_t len, int rank)
{
	struct zc_comp c;

	zc_comp_init(&c, 1);
	return rma(RMA_PUT, dest, (void *)src, len, rank, &c, false);
}

int zc_get(void *dest, const void *src, size_t len, int rank)
{
	struct zc_comp c;

	zc_comp_init(&c, 1);
	return rma(RMA_GET, (void *)src, dest, len, rank, &c, false);
}

int zc_put_nbi(void *dest, const void *src, size_t len, int rank)
{
	return rma(RMA_PUT, dest, (void *)src, len, rank, NULL, false);
}

int zc_get_nbi(void *dest, const void *src, size_t len, int rank)
{
	return rma(RMA_GET, (void *)src, dest, len, rank, NULL, false);
}

int zc_core_put(void *dest, const void *src, size_t len, int rank)
{
	struct zc_comp c;

	zc_comp_init(&c, 1);
	return rma(RMA_PUT, dest, (void *)src, len, rank, &c, true);
}

int zc_core_put_nbi(void *dest, const void *src, size_t len, int rank)
{
	return rma(RMA_PUT, dest, (void *)src, len, rank, NULL, true);
}

int zc_core_get(void *dest, const void *src, size_t len, int rank)
{
	struct zc_comp c;

	zc_comp_init(&c, 1);
	return rma(RMA_GET, (void *)src, dest, len, rank, &c, true);
}

/* Strided transfers are element-wise nbi ops followed by a quiet: simple,
 * and the provider batches them. */
static int strided(enum rma_kind kind, char *sym, char *local,
		   ptrdiff_t sym_stride, ptrdiff_t local_stride,
		   size_t elem_size, size_t nelems, int rank)
{
	int rc = 0;

	ZC_CHECK_INIT();
	for (size_t i = 0; i < nelems && !rc; i++) {
		ptrdiff_t si = (ptrdiff_t)i * sym_stride;
		ptrdiff_t li = (ptrdiff_t)i * local_stride;

		rc = rma(kind, sym + si * (ptrdiff_t)elem_size,
			 local + li * (ptrdiff_t)elem_size, elem_size, rank,
			 NULL, false);
	}
	if (!rc)
		rc = zc_quiet();
	return rc;
}

int zc_iput(void *dest, const void *src, ptrdiff_t dst_stride,
	    ptrdiff_t src_stride, size_t elem_size, size_t nelems, int rank)
{
	return strided(RMA_PUT, dest, (char *)src, dst_stride, src_stride,
		       elem_size, nelems, rank);
}

int zc_iget(void *dest, const void *src, ptrdiff_t dst_stride,
	    ptrdiff_t src_stride, size_t elem_size, size_t nelems, int rank)
{
	return strided(RMA_GET, (char *)src, dest, src_stride, dst_stride,
		       elem_size, nelems, rank);
}

/* Quiet or fence every provider with queued ops; the first error wins.
 * Quiet leaves nothing queued, a fence does not. */
static int each_dirty(bool quiet)
{
	int ret = 0;

	for (int i = 0; i < zc_ctx->nslots; i++) {
		struct zc_provider_slot *s = &zc_ctx->slots[i];
		int (*op)(struct zc_prov *) = quiet ? s->ops->quiet :
						      s->ops->fence;
		int rc;

		if (!s->dirty)
			continue;
		rc = op ? op(s->prov) : 0;
		if (quiet)
			s->dirty = false;
		if (rc && !ret)
			ret = rc;
	}
	return ret;
}

int zc_quiet(void)
{
	int rc;

	ZC_CHECK_INIT();
	rc = each_dirty(true);
	/* Loads and stores by shm peers: make ours globally visible. */
	atomic_thread_fence(memory_order_seq_cst);
	return rc;
}

int zc_fence(void)
{
	int rc;

	ZC_CHECK_INIT();
	rc = each_dirty(false);
	atomic_thread_fence(memory_order_release);
	return rc;
}
