/* SPDX-License-Identifier: MIT */
/*
 * Ranks on two simulated nodes (kernel_conns.sh sets ZC_TEST_NODE): every
 * rank puts to and atomically adds into every other rank, the results are
 * checked, and while every connection is up rank 0 saves what the system
 * holds (ZC_TEST_OUT: the module's report, rdma_cm's queue pairs) for
 * the script to count. With ZC_TEST_HOLD=s every rank then says
 * "holding", waits s seconds or until the file ZC_TEST_RELEASE names
 * exists (kernel_isolation.sh's intruder tries to reach it meanwhile) and
 * checks its memory again. Prints "conns ok" on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "t_helpers.h"

int main(void)
{
	const char *out = getenv("ZC_TEST_OUT");
	long *slot, *sum;
	int me, n;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_OK(zc_calloc((size_t)n, sizeof(long), (void **)&slot));
	T_OK(zc_calloc(1, sizeof(long), (void **)&sum));
	for (int r = 0; r < n; r++) {
		long v = 100 * me + r;

		T_OK(zc_put(slot + me, &v, sizeof(v), r));
		T_OK(zc_atomic(ZC_AMO_ADD, sum, 8, (uint64_t)me + 1, 0, r, NULL));
	}
	T_OK(zc_barrier_all());
	for (int r = 0; r < n; r++)
		T_ASSERT(slot[r] == 100 * r + me, "slot %d: %ld", r, slot[r]);
	T_ASSERT(*sum == (long)n * (n + 1) / 2, "sum %ld", *sum);
	if (me == 0 && out) {
		char cmd[1024];

		snprintf(cmd, sizeof(cmd), "cat /dev/zcomm > %s.report 2>&1; "
			 "rdma resource show qp > %s.qp 2>&1; rdma resource show mr "
			 "> %s.mr 2>&1", out, out, out);
		T_ASSERT(system(cmd) == 0, "%s", cmd);
	}
	if (getenv("ZC_TEST_HOLD")) {
		printf("rank %d holding\n", me);
		fflush(stdout);
		const char *rel = getenv("ZC_TEST_RELEASE");

		for (int t = 0; t < 10 * atoi(getenv("ZC_TEST_HOLD")); t++) {
			if (rel && access(rel, F_OK) == 0)
				break;
			usleep(100000);
		}
		for (int r = 0; r < n; r++)
			T_ASSERT(slot[r] == 100 * r + me, "after the hold, slot "
				 "%d: %ld", r, slot[r]);
		T_ASSERT(*sum == (long)n * (n + 1) / 2, "after the hold, sum "
			 "%ld", *sum);
	}
	T_OK(zc_barrier_all());
	T_OK(zc_finalize());
	if (me == 0)
		printf("conns ok\n");
	return 0;
}
