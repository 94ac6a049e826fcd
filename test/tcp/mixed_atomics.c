/* SPDX-License-Identifier: MIT */
/* Atomics on one counter hit at once through two providers: rank 0 runs
 * with ZC_TRANSPORTS=tcp, the others with shm,tcp (see CMakeLists.txt),
 * so rank 0's fetch-adds reach a counter at rank r through r's progress
 * thread while the others' reach it as CPU atomics on a shared mapping.
 * No update may be lost, and every fetched value must be unique. */
#include <string.h>

#include "t_helpers.h"

#define K 3000

int main(void)
{
	uint64_t *ctr, *seen, old;
	int me, n;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 2, "needs at least 2 ranks");
	T_OK(zc_calloc(1, sizeof(*ctr), (void **)&ctr));
	seen = calloc((size_t)n * K, sizeof(*seen));
	T_ASSERT(seen, "calloc");
	/* Every rank hammers every counter, interleaved. */
	for (int k = 0; k < K; k++)
		for (int t = 0; t < n; t++) {
			T_OK(zc_atomic_fetch_add64(ctr, 1, t, &old));
			T_ASSERT(old < (uint64_t)n * K, "fetched %lu",
				 (unsigned long)old);
			seen[(size_t)t * K + (size_t)k] = old;
		}
	T_OK(zc_barrier_all());
	T_ASSERT(*ctr == (uint64_t)n * K, "counter at %d is %lu, want %lu: "
		 "updates lost", me, (unsigned long)*ctr,
		 (unsigned long)n * K);
	/* My fetches from one counter grow strictly (no duplicates). */
	for (int t = 0; t < n; t++)
		for (int k = 1; k < K; k++)
			T_ASSERT(seen[(size_t)t * K + k] >
				 seen[(size_t)t * K + k - 1],
				 "fetch %d from %d repeats a value", k, t);
	free(seen);
	T_OK(zc_finalize());
	if (me == 0)
		printf("tcp_mixed_atomics: %d ranks, no update lost\n", n);
	return 0;
}
