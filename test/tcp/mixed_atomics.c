/* SPDX-License-Identifier: MIT */
/* Atomics on one counter hit at once through two providers: rank 0 runs
 * with ZC_TRANSPORTS=tcp, the others with shm,tcp (see CMakeLists.txt),
 * so rank 0's fetch-adds reach a counter at rank r through r's progress
 * thread while the others' reach it as CPU atomics on a shared mapping.
 * No update may be lost, and every fetched value must be unique. Two
 * 32-bit counters share the next 64-bit word: a provider that executes
 * them on the whole word (device atomics) must neither lose an update
 * nor carry one half into the other. The verbs suite runs it too. */
#include <string.h>

#include "t_helpers.h"

#define K 3000
#define K32 500

int main(void)
{
	uint64_t *ctr, *seen, old;
	uint32_t *half;
	int me, n;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 2, "needs at least 2 ranks");
	T_OK(zc_calloc(2, sizeof(*ctr), (void **)&ctr));
	half = (uint32_t *)&ctr[1];
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
	for (int k = 0; k < K32; k++)
		for (int t = 0; t < n; t++) {
			T_OK(zc_atomic(ZC_AMO_ADD, &half[0], 4, 1, 0, t, NULL));
			T_OK(zc_atomic(ZC_AMO_ADD, &half[1], 4, 2, 0, t, &old));
			T_ASSERT(old < 2u * n * K32 && !(old & 1),
				 "fetched %lu from the upper half",
				 (unsigned long)old);
		}
	T_OK(zc_barrier_all());
	T_ASSERT(*ctr == (uint64_t)n * K, "counter at %d is %lu, want %lu: "
		 "updates lost", me, (unsigned long)*ctr,
		 (unsigned long)n * K);
	T_ASSERT(half[0] == (uint32_t)n * K32 && half[1] == 2u * n * K32,
		 "32-bit counters at %d are %u and %u, want %u and %u", me,
		 half[0], half[1], (unsigned)n * K32, 2u * n * K32);
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
