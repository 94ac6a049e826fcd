/* SPDX-License-Identifier: MIT */
/* The deprecated API that existing programs use: start_pes, _my_pe,
 * shmalloc, active-set collectives with pSync/pWrk (barrier, broadcast,
 * collect, fcollect, alltoall, alltoalls, *_to_all) on the whole world
 * and on a strided subset, the _SHMEM_* constants, and no
 * shmem_finalize at the end. */
#include <complex.h>
#include <string.h>

#include "sh_test.h"

#define NE 16

static long pSync[_SHMEM_REDUCE_SYNC_SIZE];	/* static, as old code does */

int main(void)
{
	int me, n, lst, sz;
	long *src, *dst, *pwrk;
	double *dsrc, *ddst;
	double _Complex *csrc, *cdst;
	long *ps;

	start_pes(0);
	me = _my_pe();
	n = _num_pes();
	for (int i = 0; i < _SHMEM_REDUCE_SYNC_SIZE; i++)
		pSync[i] = _SHMEM_SYNC_VALUE;
	SH_ASSERT(SHMEM_BCAST_SYNC_SIZE >= 1 && SHMEM_COLLECT_SYNC_SIZE >= 1 &&
		  SHMEM_BARRIER_SYNC_SIZE >= 1 && SHMEM_ALLTOALL_SYNC_SIZE >= 1 &&
		  SHMEM_REDUCE_MIN_WRKDATA_SIZE >= 1 && SHMEM_SYNC_VALUE == 0,
		  "constants");
	src = shmalloc(NE * sizeof(long));
	dst = shmalloc((size_t)(NE * n) * sizeof(long));
	pwrk = shmalloc((NE / 2 + SHMEM_REDUCE_MIN_WRKDATA_SIZE) * sizeof(long));
	dsrc = shmalloc(NE * sizeof(double));
	ddst = shmalloc(NE * sizeof(double));
	csrc = shmalloc(2 * sizeof(double _Complex));
	cdst = shmalloc(2 * sizeof(double _Complex));
	ps = shmalloc(SHMEM_SYNC_SIZE * sizeof(long));
	SH_ASSERT(src && dst && pwrk && dsrc && ddst && csrc && cdst && ps,
		  "alloc");
	for (int i = 0; i < SHMEM_SYNC_SIZE; i++)
		ps[i] = SHMEM_SYNC_VALUE;
	shmem_barrier_all();

	/* Two active sets: the world (lst 0) and, with 2+ PEs, the odd
	 * PEs (start 1, stride 2^1) or the even ones for PE 0 and friends. */
	for (int pass = 0; pass < 2; pass++) {
		int start, idx;
		long sum = 0;

		if (pass == 0) {
			start = 0; lst = 0; sz = n;
		} else {
			start = me % 2; lst = 1; sz = (n - start + 1) / 2;
		}
		idx = (me - start) >> lst;
		for (int i = 0; i < NE; i++)
			src[i] = me * 100L + i;
		memset(dst, 0, (size_t)(NE * n) * sizeof(long));
		shmem_barrier(start, lst, sz, pSync);

		/* broadcast64 from the last member: others get it, the root's
		 * dest stays untouched (OpenSHMEM 1.4). */
		shmem_broadcast64(dst, src, NE, sz - 1, start, lst, sz, pSync);
		for (int i = 0; i < NE; i++) {
			long want = idx == sz - 1 ? 0 :
				    (start + ((sz - 1) << lst)) * 100L + i;

			SH_ASSERT(dst[i] == want, "pass %d bcast64 elem %d: %ld",
				  pass, i, dst[i]);
		}
		shmem_barrier(start, lst, sz, pSync);
		/* broadcast32 of ints from member 0 */
		shmem_broadcast32(dst, src, 3, 0, start, lst, sz, ps);
		if (idx != 0)
			SH_ASSERT(((int *)dst)[0] == ((int *)src)[0] - me * 100 +
				  start * 100, "bcast32");
		shmem_barrier(start, lst, sz, pSync);

		/* collect64: member k contributes k + 1 elements. */
		shmem_collect64(dst, src, (size_t)idx + 1, start, lst, sz, pSync);
		for (int k = 0, o = 0; k < sz; k++)
			for (int i = 0; i <= k; i++, o++)
				SH_ASSERT(dst[o] == (start + (k << lst)) * 100L + i,
					  "pass %d collect elem %d of %d", pass, i, k);
		shmem_fcollect64(dst, src, 2, start, lst, sz, pSync);
		for (int k = 0; k < sz; k++)
			SH_ASSERT(dst[2 * k + 1] == (start + (k << lst)) * 100L + 1,
				  "fcollect64");
		shmem_sync(start, lst, sz, pSync);

		/* alltoall64: block j of member k is (k, j). */
		for (int j = 0; j < sz; j++)
			src[j] = (start + (idx << lst)) * 100L + j;
		shmem_barrier(start, lst, sz, pSync);
		shmem_alltoall64(dst, src, 1, start, lst, sz, pSync);
		for (int k = 0; k < sz; k++)
			SH_ASSERT(dst[k] == (start + (k << lst)) * 100L + idx,
				  "pass %d alltoall from %d: %ld", pass, k, dst[k]);
		shmem_alltoalls64(dst, src, 2, 1, 1, start, lst, sz, pSync);
		for (int k = 0; k < sz; k++)
			SH_ASSERT(dst[2 * k] == (start + (k << lst)) * 100L + idx,
				  "alltoalls64 from %d", k);

		/* to_all reductions */
		for (int k = 0; k < sz; k++)
			sum += start + (k << lst);
		for (int i = 0; i < NE; i++) {
			src[i] = me + i;
			dsrc[i] = me + 0.5;
		}
		shmem_barrier(start, lst, sz, pSync);
		shmem_long_sum_to_all(dst, src, NE, start, lst, sz, pwrk, pSync);
		for (int i = 0; i < NE; i++)
			SH_ASSERT(dst[i] == sum + (long)sz * i,
				  "pass %d sum_to_all elem %d: %ld", pass, i, dst[i]);
		shmem_barrier(start, lst, sz, pSync);
		shmem_long_max_to_all(dst, src, NE, start, lst, sz, pwrk, pSync);
		SH_ASSERT(dst[0] == start + ((sz - 1) << lst), "max_to_all");
		shmem_barrier(start, lst, sz, pSync);
		shmem_double_min_to_all(ddst, dsrc, NE, start, lst, sz,
					(double *)pwrk, pSync);
		SH_ASSERT(ddst[NE - 1] == start + 0.5, "min_to_all %f", ddst[0]);
		shmem_barrier(start, lst, sz, pSync);
		src[0] = 1L << me;
		shmem_long_or_to_all(dst, src, 1, start, lst, sz, pwrk, pSync);
		{
			long want = 0;

			for (int k = 0; k < sz; k++)
				want |= 1L << (start + (k << lst));
			SH_ASSERT(dst[0] == want, "or_to_all %lx", dst[0]);
		}
		shmem_barrier(start, lst, sz, pSync);
		/* In place, as to_all allows. */
		src[0] = 2;
		shmem_long_prod_to_all(src, src, 1, start, lst, sz, pwrk, pSync);
		SH_ASSERT(src[0] == 1L << sz, "prod_to_all in place %ld", src[0]);
		shmem_barrier(start, lst, sz, pSync);
		csrc[0] = 0.0 + 1.0 * I;
		shmem_complexd_prod_to_all(cdst, csrc, 1, start, lst, sz,
					   (double _Complex *)pwrk, pSync);
		{
			double _Complex w = 1;

			for (int k = 0; k < sz; k++)
				w *= 0.0 + 1.0 * I;
			SH_ASSERT(cdst[0] == w, "complex prod_to_all");
		}
		shmem_barrier(start, lst, sz, pSync);
		shmem_complexd_sum_to_all(cdst, csrc, 1, start, lst, sz,
					  (double _Complex *)pwrk, pSync);
		SH_ASSERT(cimag(cdst[0]) == sz && creal(cdst[0]) == 0,
			  "complex sum_to_all");
		shmem_barrier_all();
	}
	/* Overlapping sets one after the other: {0, 1} then {1, 2, 3}
	 * (their sync slots collide), three times. */
	if (n >= 4) {
		for (int r = 0; r < 3; r++) {
			src[0] = me + r;
			if (me <= 1) {
				shmem_long_sum_to_all(dst, src, 1, 0, 0, 2, pwrk, pSync);
				SH_ASSERT(dst[0] == 1 + 2 * r, "set {0,1} round %d", r);
			}
			if (me >= 1 && me <= 3) {
				shmem_long_sum_to_all(dst, src, 1, 1, 0, 3, pwrk, ps);
				SH_ASSERT(dst[0] == 6 + 3 * r, "set {1,2,3} round %d", r);
			}
		}
		shmem_barrier_all();
	}
	for (int i = 0; i < _SHMEM_REDUCE_SYNC_SIZE; i++)
		SH_ASSERT(pSync[i] == _SHMEM_SYNC_VALUE, "pSync left dirty");

	shfree(ps);
	shfree(cdst);
	shfree(csrc);
	shfree(ddst);
	shfree(dsrc);
	shfree(pwrk);
	shfree(dst);
	shfree(src);
	/* Old-style programs end without shmem_finalize: the library
	 * finalizes at a clean exit (the launcher fails the job if not). */
	shmem_barrier_all();
	if (me == 0)
		printf("shmem deprecated: ok on %d PEs\n", n);
	return 0;
}
