/* SPDX-License-Identifier: MIT */
/* Remote atomics: one entry point, checked, handed to the peer's provider. */
#include <errno.h>

#include "zc_core.h"

static int amo(enum zc_amo_op op, void *target, size_t width, uint64_t value,
	       uint64_t cmp, int rank, uint64_t *old_p, bool nbi, bool lib)
{
	struct zc_provider_slot *s;
	struct zc_comp c;
	uint64_t off;
	int rc;

	ZC_CHECK_INIT_FN(nbi ? "zc_atomic_nbi" : "zc_atomic");
	if ((width != 4 && width != 8) || (unsigned)op >= ZC_AMO_LAST) {
		zc_err("atomic: bad width %zu or op %d", width, (int)op);
		return -EINVAL;
	}
	rc = zc_rma_check(target, width, rank, lib, &off);
	if (rc)
		return rc;
	if (off & (width - 1)) {
		zc_err("atomic to rank %d at heap offset %lu: not aligned to "
		       "its width %zu", rank, (unsigned long)off, width);
		return -EINVAL;
	}
	/* A fetch needs the old value; FETCH and SWAP without one are odd
	 * but legal. */
	s = zc_amo_slot(rank);
	zc_comp_init(&c, 1);
	rc = s->ops->amo(s->prov, rank, off, op, width, value, cmp, old_p,
			 (old_p && !nbi) ? &c : NULL);
	if (rc == ZC_INPROGRESS) {
		s->dirty = true;
		s->user_dirty |= !lib;
		return old_p && !nbi ? zc_comp_wait(&c, s) : 0;
	}
	return rc;
}

int zc_atomic(enum zc_amo_op op, void *target, size_t width, uint64_t value,
	      uint64_t cmp, int rank, uint64_t *old_p)
{
	return amo(op, target, width, value, cmp, rank, old_p, false, false);
}

int zc_core_atomic(enum zc_amo_op op, void *target, size_t width,
		   uint64_t value, uint64_t cmp, int rank, uint64_t *old_p)
{
	return amo(op, target, width, value, cmp, rank, old_p, false, true);
}

int zc_atomic_nbi(enum zc_amo_op op, void *target, size_t width,
		  uint64_t value, uint64_t cmp, int rank, uint64_t *old_p)
{
	return amo(op, target, width, value, cmp, rank, old_p, true, false);
}
