/* SPDX-License-Identifier: MIT */
/* Global and static variables are symmetric: put/get, atomics, wait,
 * locks, put-with-signal and collectives on them, initial values kept,
 * addr_accessible and shmem_ptr agree. */
#include "sh_test.h"

#define N 64

long garr[N];
int ginit = 1234;
static long sflag;
static long slock;
static long scount;
static uint64_t ssig;
static double ssrc[4], sdst[4];
static long psync[SHMEM_REDUCE_SYNC_SIZE];
static long pwrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE + 4];

int main(void)
{
	static long local_static = 5;
	int me, n, right, left;

	SH_ASSERT(ginit == 1234 && local_static == 5, "initial values");
	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	right = (me + 1) % n;
	left = (me + n - 1) % n;
	SH_ASSERT(ginit == 1234 && local_static == 5, "values after init");
	SH_ASSERT(shmem_addr_accessible(garr, right) &&
		  shmem_addr_accessible(&sflag, left), "globals accessible");
	SH_ASSERT(shmem_ptr(&ginit, me) == (void *)&ginit, "shmem_ptr to self");

	/* put + fence + flag on globals */
	{
		long buf[N];

		for (int i = 0; i < N; i++)
			buf[i] = me * 100L + i;
		shmem_long_put(garr, buf, N, right);
		shmem_fence();
		shmem_long_atomic_set(&sflag, me + 1, right);
		shmem_long_wait_until(&sflag, SHMEM_CMP_EQ, left + 1);
		for (int i = 0; i < N; i++)
			SH_ASSERT(garr[i] == left * 100L + i, "global put elem %d: %ld",
				  i, garr[i]);
		SH_ASSERT(shmem_long_g(&garr[3], right) == me * 100L + 3, "get");
		SH_ASSERT(shmem_int_g(&ginit, right) == 1234, "initialised global");
	}
	shmem_barrier_all();

	/* atomics, lock and a non-atomic counter on PE 0's statics */
	for (int r = 0; r < 10; r++) {
		shmem_set_lock(&slock);
		shmem_long_p(&scount, shmem_long_g(&scount, 0) + 1, 0);
		shmem_clear_lock(&slock);
		shmem_int_atomic_inc(&ginit, 0);
	}
	shmem_barrier_all();
	if (me == 0)
		SH_ASSERT(scount == 10L * n && ginit == 1234 + 10 * n,
			  "counter %ld, ginit %d", scount, ginit);

	/* signal on a static */
	shmem_putmem_signal(&garr[0], &local_static, sizeof(long), &ssig, 9,
			    SHMEM_SIGNAL_SET, right);
	shmem_signal_wait_until(&ssig, SHMEM_CMP_EQ, 9);
	SH_ASSERT(garr[0] == 5, "signal data");

	/* collectives on statics, team-based and deprecated */
	for (int i = 0; i < 4; i++)
		ssrc[i] = me + i;
	shmem_barrier_all();
	SH_ASSERT(shmem_double_sum_reduce(SHMEM_TEAM_WORLD, sdst, ssrc, 4) == 0,
		  "reduce");
	SH_ASSERT(sdst[2] == n * (n - 1) / 2.0 + 2.0 * n, "reduce value %f",
		  sdst[2]);
	for (int i = 0; i < SHMEM_REDUCE_SYNC_SIZE; i++)
		psync[i] = SHMEM_SYNC_VALUE;
	shmem_barrier_all();
	shmem_long_max_to_all(&scount, (long *)&garr[5], 1, 0, 0, n, pwrk, psync);
	/* garr on PE p holds its left neighbour's row: max is PE n-1's. */
	SH_ASSERT(scount == (n - 1) * 100L + 5 || n == 1, "max_to_all %ld",
		  scount);
	return sh_test_done("shmem globals");
}
