/* SPDX-License-Identifier: MIT */
/* Atomics as CPU atomics on the mapped location. */
#include "shm.h"

int zc_shm_amo_op(struct zc_prov *p, int rank, uint64_t off,
		  enum zc_amo_op op, size_t width, uint64_t value, uint64_t cmp,
		  uint64_t *old, struct zc_comp *comp)
{
	(void)comp;
	if (zc_shm_dead(p, rank))
		return -ZC_EPEERDEAD;
	return zc_amo_exec(p->base[rank] + off, op, width, value, cmp, old);
}
