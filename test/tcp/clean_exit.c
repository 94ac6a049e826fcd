/* SPDX-License-Identifier: MIT */
/* A clean exit is quiet: argv[1] (default 40) cycles of zc_init, a barrier (and every
 * fourth cycle traffic both ways: puts to every peer, an atomic, a get)
 * and zc_finalize log no warning and no error on any rank; the ctest
 * property FAIL_REGULAR_EXPRESSION fails the run on any such line of
 * any rank. Before the two-way goodbye (zc_tcp_close), a rank could
 * close a socket while its peer still sent its own goodbye or an ack;
 * the kernel answered with a reset and the peer logged "connection to
 * rank N lost: send: Connection reset by peer" at error level (CI's ASan
 * run; here about one run in four under ASan beside a busy CPU: it
 * needs a rank descheduled between the finalize barrier and its
 * close). */
#include "t_helpers.h"

int main(int argc, char **argv)
{
	int me = 0, n = 1, cycles = argc > 1 ? atoi(argv[1]) : 40;

	for (int i = 0; i < cycles; i++) {
		uint64_t *cell, v, got = 0;

		T_OK(zc_init());
		me = zc_rank();
		n = zc_size();
		if (i % 4) {
			T_OK(zc_barrier_all());
			T_OK(zc_finalize());
			continue;
		}
		T_OK(zc_calloc((size_t)n + 1, sizeof(*cell), (void **)&cell));
		v = (uint64_t)(i * 100 + me);
		for (int r = 0; r < n; r++)
			T_OK(zc_put_nbi(&cell[me], &v, sizeof(v), r));
		T_OK(zc_atomic_add64(&cell[n], 1, (me + 1) % n));
		T_OK(zc_barrier_all());
		T_OK(zc_get(&got, &cell[me], sizeof(got), (me + 1) % n));
		T_ASSERT(got == v, "cycle %d: got %llu from rank %d, want %llu",
			 i, (unsigned long long)got, (me + 1) % n,
			 (unsigned long long)v);
		T_OK(zc_barrier_all());
		T_OK(zc_finalize());
	}
	printf("tcp_clean_exit: rank %d of %d, %d cycles\n", me, n, cycles);
	return 0;
}
