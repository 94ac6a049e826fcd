/* SPDX-License-Identifier: MIT */
/* shmem_global_exit from one PE ends every PE, even those blocked in a
 * wait that nothing will satisfy; the job's exit status is the one given
 * (checked by global_exit.sh). */
#include "sh_test.h"

int main(void)
{
	long *never;
	int me, n;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	never = shmem_calloc(1, sizeof(long));
	SH_ASSERT(never, "alloc");
	shmem_barrier_all();
	if (me == n - 1)
		shmem_global_exit(7);
	shmem_long_wait_until(never, SHMEM_CMP_NE, 0);
	SH_FAIL("woke from a wait that nothing satisfies");
	return 1;
}
