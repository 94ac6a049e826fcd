/* SPDX-License-Identifier: MIT */
/* Built against an installed zcomm (by install_test.sh): a ring of puts,
 * an atomic count and a reduction, checked; C or C++. */
#include <stdio.h>
#include <stdlib.h>

#include <mpp/shmem.h>	/* the 1.0-era path; same as <shmem.h> */
#include <shmemx.h>

int main(void)
{
	long *ring, *count, *sum, *mine;
	int me, n;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	ring = (long *)shmem_calloc(1, sizeof(long));
	count = (long *)shmem_calloc(1, sizeof(long));
	sum = (long *)shmem_malloc(sizeof(long));
	mine = (long *)shmem_malloc(sizeof(long));
	if (!ring || !count || !sum || !mine)
		return 1;
	shmem_long_p(ring, me + 1, (me + 1) % n);
	shmem_long_atomic_inc(count, 0);
	*mine = me;
	shmem_barrier_all();
	if (shmem_long_sum_reduce(SHMEM_TEAM_WORLD, sum, mine, 1) != 0)
		return 1;
	if (*ring != (me + n - 1) % n + 1 || *sum != (long)n * (n - 1) / 2 ||
	    (me == 0 && *count != n)) {
		fprintf(stderr, "pe %d: ring %ld sum %ld count %ld\n", me, *ring,
			*sum, *count);
		return 1;
	}
	shmem_barrier_all();
	shmem_free(mine);
	shmem_free(sum);
	shmem_free(count);
	shmem_free(ring);
	shmem_finalize();
	if (me == 0)
		printf("installed hello: ok on %d PEs\n", n);
	return 0;
}
