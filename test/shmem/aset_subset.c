/* SPDX-License-Identifier: MIT */
/* The deprecated active-set collectives the way OpenSHMEM 1.x programs
 * call them: static pSync/pWrk arrays set to SHMEM_SYNC_VALUE once, two
 * pSync arrays used alternately with no barrier between calls, active
 * sets that are not the world (all PEs but the first; every other PE),
 * PEs outside the set doing nothing. pSync is back at SHMEM_SYNC_VALUE
 * after each call. */
#include <stdint.h>
#include <string.h>

#include "sh_test.h"

static long psync_a[SHMEM_REDUCE_SYNC_SIZE];
static long psync_b[SHMEM_REDUCE_SYNC_SIZE];
static long psync_c[SHMEM_BARRIER_SYNC_SIZE];
static int iwrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE + 8];
static long lwrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE + 8];
static double dwrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE + 8];
static int isrc[4], idst[4];
static long lsrc[4], ldst[4];
static double dsrc[2], ddst[2];
static uint64_t src64[64], dst64[64];
static uint32_t src32[64], dst32[64];

static void psync_clean(const long *ps, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		SH_ASSERT(ps[i] == SHMEM_SYNC_VALUE, "%s[%zu] = %ld", what, i,
			  ps[i]);
}

/* One active set: start, log stride, size; my index in it is idx. */
static void run(int start, int logs, int size, int idx)
{
	for (int i = 0; i < 4; i++) {
		isrc[i] = idx + i;
		lsrc[i] = 1L << (idx % 60);
	}
	dsrc[0] = 1.5;
	dsrc[1] = idx + 1;
	/* Back to back, alternating pSync, no barrier in between. */
	shmem_int_sum_to_all(idst, isrc, 4, start, logs, size, iwrk, psync_a);
	shmem_long_or_to_all(ldst, lsrc, 4, start, logs, size, lwrk, psync_b);
	shmem_double_prod_to_all(ddst, dsrc, 2, start, logs, size, dwrk,
				 psync_a);
	for (int i = 0; i < 4; i++)
		SH_ASSERT(idst[i] == size * (size - 1) / 2 + size * i,
			  "set %d/%d/%d: int sum[%d] = %d", start, logs, size,
			  i,
			  idst[i]);
	{
		long want = 0;
		double prod = 1;

		for (int j = 0; j < size; j++) {
			want |= 1L << (j % 60);
			prod *= j + 1;
		}
		SH_ASSERT(ldst[0] == want && ldst[3] == want, "long or");
		SH_ASSERT(ddst[1] == prod, "double prod %g", ddst[1]);
		prod = 1;
		for (int j = 0; j < size; j++)
			prod *= 1.5;
		SH_ASSERT(ddst[0] == prod, "prod of 1.5s: %g", ddst[0]);
	}
	shmem_int_max_to_all(idst, isrc, 1, start, logs, size, iwrk, psync_b);
	SH_ASSERT(idst[0] == size - 1, "int max");

	/* broadcast64 from the set's second PE (index 1, or 0 alone). */
	for (int i = 0; i < 8; i++)
		src64[i] = ((uint64_t)idx << 32) | (uint64_t)i;
	memset(dst64, 0, sizeof(dst64));
	shmem_barrier(start, logs, size, psync_c);
	shmem_broadcast64(dst64, src64, 8, size > 1, start, logs, size,
			  psync_a);
	if (idx != (size > 1))
		for (int i = 0; i < 8; i++)
			SH_ASSERT(dst64[i] == ((uint64_t)(size > 1) << 32 |
					       (uint64_t)i), "bcast64 %d", i);

	/* collect32: index j gives j + 1 words; fcollect64: 2 each. */
	for (int i = 0; i <= idx; i++)
		src32[i] = (uint32_t)(idx * 100 + i);
	shmem_barrier(start, logs, size, psync_c);
	shmem_collect32(dst32, src32, (size_t)idx + 1, start, logs, size,
			psync_b);
	for (int j = 0, off = 0; j < size; j++)
		for (int i = 0; i <= j; i++, off++)
			SH_ASSERT(dst32[off] == (uint32_t)(j * 100 + i),
				  "collect32 %d/%d", j, i);
	for (int i = 0; i < 2; i++)
		src64[i] = (uint64_t)idx * 10 + (uint64_t)i;
	shmem_fcollect64(dst64, src64, 2, start, logs, size, psync_a);
	for (int j = 0; j < size; j++)
		SH_ASSERT(dst64[2 * j] == (uint64_t)j * 10 &&
			  dst64[2 * j + 1] == (uint64_t)j * 10 + 1,
			  "fcollect64 %d", j);

	/* alltoall32: one word to each; alltoalls64 with dest stride 2. */
	shmem_barrier(start, logs, size, psync_c);
	for (int j = 0; j < size; j++)
		src32[j] = (uint32_t)(idx * 1000 + j);
	shmem_alltoall32(dst32, src32, 1, start, logs, size, psync_b);
	for (int j = 0; j < size; j++)
		SH_ASSERT(dst32[j] == (uint32_t)(j * 1000 + idx), "a2a32 %d",
			  j);
	for (int j = 0; j < size; j++)
		src64[j] = (uint64_t)(idx * 1000 + j);
	memset(dst64, 0, sizeof(dst64));
	shmem_barrier(start, logs, size, psync_c);
	shmem_alltoalls64(dst64, src64, 2, 1, 1, start, logs, size, psync_a);
	for (int j = 0; j < size; j++)
		SH_ASSERT(dst64[2 * j] == (uint64_t)(j * 1000 + idx) &&
			  dst64[2 * j + 1] == 0, "a2as64 %d", j);
	shmem_sync(start, logs, size, psync_b);
	shmem_barrier(start, logs, size, psync_c);
}

int main(void)
{
	int me, n;

	for (int i = 0; i < SHMEM_REDUCE_SYNC_SIZE; i++)
		psync_a[i] = psync_b[i] = SHMEM_SYNC_VALUE;
	for (int i = 0; i < SHMEM_BARRIER_SYNC_SIZE; i++)
		psync_c[i] = SHMEM_SYNC_VALUE;
	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	shmem_barrier_all();	/* everyone's pSync is set */

	/* The whole world, then all but PE 0, then the even PEs: a
	 * barrier between sets that overlap, since a PE's pSync must not
	 * still be in use by another set when a set starts. */
	run(0, 0, n, me);
	if (n > 1 && me > 0)
		run(1, 0, n - 1, me - 1);
	shmem_barrier_all();
	if (me % 2 == 0)
		run(0, 1, (n + 1) / 2, me / 2);
	psync_clean(psync_a, SHMEM_REDUCE_SYNC_SIZE, "psync_a");
	psync_clean(psync_b, SHMEM_REDUCE_SYNC_SIZE, "psync_b");
	psync_clean(psync_c, SHMEM_BARRIER_SYNC_SIZE, "psync_c");
	return sh_test_done("shmem aset_subset");
}
