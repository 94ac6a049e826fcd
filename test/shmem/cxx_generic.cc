/* SPDX-License-Identifier: MIT */
/* C++: shmem.h compiles as C++ (-pedantic) and the generic names resolve
 * by overloading (with and without a ctx; the wait/test set and _vector
 * forms too), checked on every PE. Built only through the zcshc++
 * wrapper. */
#include <shmem.h>
#include <cstdio>
static int ok_sets;

int main() {
	shmem_init();
	int me = shmem_my_pe(), n = shmem_n_pes();
	long *x = (long *)shmem_calloc(4, sizeof(long));
	double *d = (double *)shmem_calloc(2, sizeof(double));
	unsigned *u = (unsigned *)shmem_calloc(1, sizeof(unsigned));
	long v[2] = { me, 7 };
	shmem_put(x, v, 2, (me + 1) % n);
	shmem_p(&x[2], 5L, (me + 1) % n);
	shmem_p(SHMEM_CTX_DEFAULT, &d[0], 1.5, me);
	shmem_atomic_add(&x[3], 1L, 0);
	shmem_atomic_or(u, 1u << me, 0);
	shmem_barrier_all();
	long s = shmem_g(&x[1], me) + shmem_atomic_fetch(&x[2], me);
	shmem_wait_until(&x[2], SHMEM_CMP_EQ, 5L);
	shmem_sum_reduce(SHMEM_TEAM_WORLD, &x[0], &x[2], 1);
	shmem_sync(SHMEM_TEAM_WORLD);
	/* The set forms, as overloads too. */
	size_t idx[2];
	long want[2] = { 5L * n, 7L };	/* x[1]: 7 from the left */
	int some = (int)shmem_test_some(&x[0], 2, idx, NULL, SHMEM_CMP_GT, 0L);
	size_t vec = shmem_wait_until_some_vector(&x[0], 2, idx, NULL,
						  SHMEM_CMP_EQ, want);
	int all = shmem_test_all_vector(&x[0], 2, NULL, SHMEM_CMP_EQ, want);
	ok_sets = some == 2 && vec == 2 && all == 1 &&
		  shmem_test_any_vector(&x[0], 2, NULL, SHMEM_CMP_NE, want) ==
		  SIZE_MAX;
	int ok = ok_sets && s == 12 && x[0] == 5L * n && d[0] == 1.5 && (me || (x[3] == n && *u == (1u << n) - 1));
	if (!ok) { std::printf("C++ FAIL pe %d\n", me); return 1; }
	shmem_finalize();
	if (me == 0) std::printf("C++ generic: ok on %d PEs\n", n);
	return 0;
}
