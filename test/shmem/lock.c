/* SPDX-License-Identifier: MIT */
/* Distributed locks: a counter on PE 0 incremented by get + put (not
 * atomic) under shmem_set_lock must count every increment; test_lock
 * fails while the lock is held and acquires it when free. */
#include "sh_test.h"

#define ROUNDS 40

int main(void)
{
	long *lock, *counter, *held;
	int me, n;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	lock = shmem_calloc(1, sizeof(long));
	counter = shmem_calloc(1, sizeof(long));
	held = shmem_calloc(1, sizeof(long));
	SH_ASSERT(lock && counter && held, "alloc");

	for (int r = 0; r < ROUNDS; r++) {
		long v;

		shmem_set_lock(lock);
		/* Nobody else is inside: the flag is ours alone. */
		SH_ASSERT(shmem_long_atomic_swap(held, 1, 0) == 0,
			  "two PEs inside the lock");
		v = shmem_long_g(counter, 0);
		shmem_long_p(counter, v + 1, 0);
		shmem_long_atomic_set(held, 0, 0);
		shmem_clear_lock(lock);
	}
	shmem_barrier_all();
	SH_ASSERT(shmem_long_g(counter, 0) == (long)ROUNDS * n,
		  "counter %ld, want %ld", shmem_long_g(counter, 0),
		  (long)ROUNDS * n);
	shmem_barrier_all();

	/* test_lock: PE 0 holds it; the others must fail to take it. */
	if (me == 0)
		shmem_set_lock(lock);
	shmem_barrier_all();
	if (me != 0)
		SH_ASSERT(shmem_test_lock(lock) == 1, "test_lock took a held lock");
	shmem_barrier_all();
	if (me == 0)
		shmem_clear_lock(lock);
	shmem_barrier_all();
	/* Free now: test_lock by everyone in turn succeeds. */
	for (int pe = 0; pe < n; pe++) {
		if (pe == me) {
			SH_ASSERT(shmem_test_lock(lock) == 0, "free lock not taken");
			shmem_clear_lock(lock);
		}
		shmem_barrier_all();
	}
	/* Mixed: everyone spins on test_lock to count once more. */
	{
		unsigned spins = 0;

		while (shmem_test_lock(lock))
			spins++;
		shmem_long_p(counter, shmem_long_g(counter, 0) + 1, 0);
		shmem_clear_lock(lock);
		(void)spins;
	}
	shmem_barrier_all();
	SH_ASSERT(shmem_long_g(counter, 0) == (long)ROUNDS * n + n,
		  "counter after test_lock round %ld", shmem_long_g(counter, 0));

	shmem_free(held);
	shmem_free(counter);
	shmem_free(lock);
	return sh_test_done("shmem lock");
}
