/* SPDX-License-Identifier: MIT */
/* put/get (blocking, nbi, strided), quiet and fence. */
#include <errno.h>
#include <stddef.h>

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

/* The checks of one transfer: 0 (offset in *off_p), 1 when there is
 * nothing to move, or a negative code (logged). */
static int rma_args(const char *fn, enum rma_kind kind, const void *sym,
		    const void *local, size_t len, int rank, bool lib,
		    uint64_t *off_p)
{
	int rc;

	/* Zero bytes touch no memory: any pointers will do (the specification
	 * says so for shmem), but the rank must still be one. */
	if (!len) {
		rc = zc_rma_check(zc_ctx->heap, 0, rank, lib, off_p);
		return rc ? rc : 1;
	}
	/* The caller's own buffer: never handed to a provider (over tcp
	 * the kernel would fail the send and the connection with it). */
	if (__builtin_expect(!local, 0)) {
		zc_err("%s: the local %s buffer is NULL (%zu bytes, rank %d)",
		       fn, kind == RMA_PUT ? "source" : "destination", len,
		       rank);
		return -EINVAL;
	}
	return zc_rma_check(sym, len, rank, lib, off_p);
}

static inline int rma(enum rma_kind kind, void *sym, void *local, size_t len,
		      int rank, struct zc_comp *comp, bool lib)
{
	struct zc_provider_slot *s;
	const char *fn = kind == RMA_PUT ? (comp ? "zc_put" : "zc_put_nbi")
					 : (comp ? "zc_get" : "zc_get_nbi");
	uint64_t off;
	int rc;

	ZC_CHECK_INIT_FN(fn);
	rc = rma_args(fn, kind, sym, local, len, rank, lib, &off);
	if (rc)
		return rc < 0 ? rc : 0;
	s = zc_ctx->peers[rank].slot;
	if (kind == RMA_PUT)
		rc = s->ops->put(s->prov, rank, off, local, len, comp);
	else
		rc = s->ops->get(s->prov, rank, off, local, len, comp);
	if (rc == ZC_INPROGRESS) {
		/* Even when comp completes, quiet may have work left. */
		s->dirty = true;
		s->user_dirty |= !lib;
		return comp ? zc_comp_wait(comp, s) : 0;
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

static bool has_put_signal(const struct zc_provider_ops *o)
{
	return o->size > offsetof(struct zc_provider_ops, put_signal) &&
	       o->put_signal;
}

/* Put, then the signal, which the target sees only after the data: one
 * provider op where the provider has one, else put, fence, atomic. */
static int put_signal(void *dest, const void *src, size_t len, uint64_t *sig,
		      uint64_t value, enum zc_amo_op op, int rank, bool nbi,
		      bool lib)
{
	const char *fn = nbi ? "zc_put_signal_nbi" : "zc_put_signal";
	struct zc_provider_slot *s;
	struct zc_comp c;
	uint64_t off, soff;
	int rc;

	ZC_CHECK_INIT_FN(fn);
	if (op != ZC_AMO_SET && op != ZC_AMO_ADD) {
		zc_err("%s: signal operation %d is neither ZC_AMO_SET nor "
		       "ZC_AMO_ADD", fn, (int)op);
		return -EINVAL;
	}
	rc = zc_rma_check(sig, 8, rank, lib, &soff);
	if (!rc && (soff & 7)) {
		zc_err("%s: signal at heap offset %lu of rank %d is not "
		       "8-byte aligned", fn, (unsigned long)soff, rank);
		rc = -EINVAL;
	}
	if (!rc)
		rc = rma_args(fn, RMA_PUT, dest, src, len, rank, lib, &off);
	if (rc < 0)
		return rc;
	s = zc_ctx->peers[rank].slot;
	/* With device atomics (amo_slot) the signal is the device's to
	 * execute, whoever carries the data. */
	if (rc == 1 || !has_put_signal(s->ops) ||
	    (zc_ctx->amo_slot && zc_ctx->amo_slot != s)) {
		zc_comp_init(&c, 1);
		rc = rma(RMA_PUT, dest, (void *)src, len, rank,
			 nbi ? NULL : &c, lib);
		if (!rc)
			rc = zc_fence();
		return rc ? rc : lib ? zc_core_atomic(op, sig, 8, value, 0,
						      rank, NULL)
				     : zc_atomic(op, sig, 8, value, 0, rank,
						 NULL);
	}
	zc_comp_init(&c, 1);
	rc = s->ops->put_signal(s->prov, rank, off, src, len, soff, op, value,
				nbi ? NULL : &c);
	if (rc == ZC_INPROGRESS) {
		s->dirty = true;
		s->user_dirty |= !lib;
		return nbi ? 0 : zc_comp_wait(&c, s);
	}
	return rc;
}

int zc_put_signal(void *dest, const void *src, size_t len, uint64_t *sig,
		  uint64_t value, enum zc_amo_op op, int rank)
{
	return put_signal(dest, src, len, sig, value, op, rank, false, false);
}

int zc_put_signal_nbi(void *dest, const void *src, size_t len, uint64_t *sig,
		      uint64_t value, enum zc_amo_op op, int rank)
{
	return put_signal(dest, src, len, sig, value, op, rank, true, false);
}

int zc_core_put_signal_nbi(void *dest, const void *src, size_t len,
			   uint64_t *sig, uint64_t value, enum zc_amo_op op,
			   int rank)
{
	return put_signal(dest, src, len, sig, value, op, rank, true, true);
}

int zc_core_flag_set(int rank, const uint64_t *flag, uint64_t value)
{
	struct zc_provider_slot *s = zc_ctx->peers[rank].slot;
	uint64_t off = (uint64_t)((const char *)flag - zc_ctx->heap);
	int rc;

	if (has_put_signal(s->ops))
		rc = s->ops->put_signal(s->prov, rank, 0, NULL, 0, off,
					ZC_AMO_SET, value, NULL);
	else
		rc = s->ops->amo(s->prov, rank, off, ZC_AMO_SET, 8, value, 0,
				 NULL, NULL);
	if (rc == ZC_INPROGRESS) {
		s->dirty = true;
		rc = 0;
	}
	return rc;
}

/* The bytes from the first element of a strided array to the end of its
 * last: [*lo_p, *hi_p) relative to the first element's address, without
 * overflow (-ERANGE when the span does not fit a ptrdiff_t). */
static int strided_span(ptrdiff_t stride, size_t elem_size, size_t nelems,
			ptrdiff_t *lo_p, ptrdiff_t *hi_p)
{
	ptrdiff_t span;

	if (nelems - 1 > (size_t)PTRDIFF_MAX || elem_size > (size_t)PTRDIFF_MAX ||
	    __builtin_mul_overflow((ptrdiff_t)(nelems - 1), stride, &span) ||
	    __builtin_mul_overflow(span, (ptrdiff_t)elem_size, &span) ||
	    span == PTRDIFF_MIN)
		return -ERANGE;
	*lo_p = span < 0 ? span : 0;
	if (__builtin_add_overflow(span > 0 ? span : 0, (ptrdiff_t)elem_size,
				   hi_p))
		return -ERANGE;
	return 0;
}

/* Every element of both sides is checked before the first moves: the
 * symmetric side against the user's heap (both ends, any stride sign),
 * the local side for NULL and for a span that wraps the address space. */
static int strided_check(enum rma_kind kind, const char *sym,
			 const char *local, ptrdiff_t sym_stride,
			 ptrdiff_t local_stride, size_t elem_size,
			 size_t nelems, int rank)
{
	const char *fn = kind == RMA_PUT ? "zc_iput" : "zc_iget";
	uintptr_t heap = (uintptr_t)zc_ctx->heap, s = (uintptr_t)sym;
	ptrdiff_t lo, hi, llo, lhi;
	uint64_t off;

	if (zc_rma_check(zc_ctx->heap, 0, rank, false, &off))
		return -EINVAL;
	if (strided_span(sym_stride, elem_size, nelems, &lo, &hi) ||
	    strided_span(local_stride, elem_size, nelems, &llo, &lhi)) {
		zc_err("%s to rank %d: %zu elements of %zu bytes at strides "
		       "%td (symmetric) and %td (local) span more than the "
		       "address space", fn, rank, nelems, elem_size,
		       sym_stride, local_stride);
		return -ZC_ERANGE_ACCESS;
	}
	if (!local) {
		zc_err("%s to rank %d: the local buffer is NULL (%zu elements)",
		       fn, rank, nelems);
		return -EINVAL;
	}
	if (s < heap || s >= heap + zc_ctx->heap_size) {
		zc_err("%s to rank %d: address %p is not in the symmetric heap",
		       fn, rank, (const void *)sym);
		return -ZC_ENOTSYM;
	}
	/* Offsets from the heap base, the first element's at s - heap. */
	if ((lo < 0 && (uintptr_t)-lo > s - heap) ||
	    (uintptr_t)hi > heap + zc_ctx->heap_size - s) {
		zc_err("%s to rank %d: %zu elements of %zu bytes at stride %td "
		       "from heap offset %zu reach [%td, %td) of a %zu-byte "
		       "heap; nothing was moved", fn, rank, nelems, elem_size,
		       sym_stride, (size_t)(s - heap),
		       (ptrdiff_t)(s - heap) + lo, (ptrdiff_t)(s - heap) + hi,
		       zc_ctx->heap_size);
		return -ZC_ERANGE_ACCESS;
	}
	return 0;
}

/* Strided transfers are element-wise nbi ops followed by a quiet: simple,
 * and the provider batches them. The whole range was checked first, so a
 * bad one moves nothing. */
static int strided(enum rma_kind kind, char *sym, char *local,
		   ptrdiff_t sym_stride, ptrdiff_t local_stride,
		   size_t elem_size, size_t nelems, int rank)
{
	int rc;

	uint64_t off;

	ZC_CHECK_INIT_FN(kind == RMA_PUT ? "zc_iput" : "zc_iget");
	if (!nelems || !elem_size)	/* moves nothing: any pointers */
		return zc_rma_check(zc_ctx->heap, 0, rank, false, &off);
	rc = strided_check(kind, sym, local, sym_stride, local_stride,
			   elem_size, nelems, rank);
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

/* Quiet one provider: nothing of it is queued any more. */
static int slot_quiet(struct zc_provider_slot *s)
{
	int rc = s->ops->quiet ? s->ops->quiet(s->prov) : 0;

	s->dirty = s->user_dirty = false;
	return rc;
}

/* Quiet or fence every provider with queued ops (user: with ops of the
 * public calls); the first error wins. Quiet leaves nothing queued, a
 * fence does not. */
static int each_dirty(bool quiet, bool user)
{
	int ret = 0;

	for (int i = 0; i < zc_ctx->nslots; i++) {
		struct zc_provider_slot *s = &zc_ctx->slots[i];
		int rc;

		if (user ? !s->user_dirty : !s->dirty)
			continue;
		if (quiet)
			rc = slot_quiet(s);
		else
			rc = s->ops->fence ? s->ops->fence(s->prov) : 0;
		if (rc && !ret)
			ret = rc;
	}
	return ret;
}

static int quiet_of(bool user)
{
	int rc;

	ZC_CHECK_INIT_FN(user ? "zc_barrier" : "zc_quiet");
	rc = each_dirty(true, user);
	/* Loads and stores by shm peers: make ours globally visible. */
	atomic_thread_fence(memory_order_seq_cst);
	return rc;
}

int zc_quiet(void)
{
	return quiet_of(false);
}

int zc_core_quiet_user(void)
{
	return quiet_of(true);
}

static bool has_quiet_local(const struct zc_provider_slot *s)
{
	return s->ops->size > offsetof(struct zc_provider_ops, quiet_local) &&
	       s->ops->quiet_local;
}

int zc_core_quiet_local(int rank)
{
	int ret = 0;

	ZC_CHECK_INIT();
	for (int i = 0; i < zc_ctx->nslots; i++) {
		struct zc_provider_slot *s = &zc_ctx->slots[i];
		bool lax = rank < 0 || zc_ctx->peers[rank].slot == s;
		int rc;

		if (!s->dirty)
			continue;
		/* A lax one keeps its dirty mark: ops may still be queued
		 * or unacknowledged. */
		rc = lax && has_quiet_local(s) ?
			s->ops->quiet_local(s->prov, rank) : slot_quiet(s);
		if (rc && !ret)
			ret = rc;
	}
	atomic_thread_fence(memory_order_seq_cst);
	return ret;
}

int zc_fence(void)
{
	int rc;

	ZC_CHECK_INIT();
	rc = each_dirty(false, false);
	atomic_thread_fence(memory_order_release);
	return rc;
}
