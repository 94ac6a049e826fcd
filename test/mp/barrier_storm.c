/* SPDX-License-Identifier: MIT */
/* Thousands of back-to-back barriers, oversubscribed: none may be
 * skipped (each round's counter must be complete after the barrier). */
#include "t_helpers.h"

#define ROUNDS 3000

int main(void)
{
	uint64_t *cnt;
	int me, n;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_OK(zc_calloc(2, sizeof(uint64_t), (void **)&cnt));
	for (int r = 0; r < ROUNDS; r++) {
		T_OK(zc_atomic(ZC_AMO_ADD, &cnt[r & 1], 8, 1, 0, 0, NULL));
		T_OK(zc_barrier_all());
		if (me == 0) {
			uint64_t v = __atomic_load_n(&cnt[r & 1], __ATOMIC_ACQUIRE);

			T_ASSERT(v == (uint64_t)n * (r / 2 + 1),
				 "round %d: counter %lu, want %lu", r, (unsigned long)v,
				 (unsigned long)n * (r / 2 + 1));
		}
		/* Rank 0 checks before anyone adds again to this counter. */
		T_OK(zc_barrier_all());
	}
	T_OK(zc_free(cnt));
	T_OK(zc_finalize());
	if (me == 0)
		printf("barrier_storm: %d rounds on %d ranks\n", ROUNDS, n);
	return 0;
}
