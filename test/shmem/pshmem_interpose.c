/* SPDX-License-Identifier: MIT */
/* The profiling interface: the program defines its own shmem_long_put and
 * shmem_putmem (a profiler's wrappers) that count their calls and forward
 * to pshmem_*. The program's calls, typed and generic, reach the wrappers,
 * the data arrives whole, and routines not wrapped work under both names.
 * Built against the shared and the static library. */
#include <pshmem.h>
#include <string.h>

#include "sh_test.h"

static int n_long_put, n_putmem;

void shmem_long_put(long *dest, const long *source, size_t nelems, int pe)
{
	n_long_put++;
	pshmem_long_put(dest, source, nelems, pe);
}

void shmem_putmem(void *dest, const void *source, size_t nelems, int pe)
{
	n_putmem++;
	pshmem_putmem(dest, source, nelems, pe);
}

int main(void)
{
	long *x, src[12];
	int me, n, to, from;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	SH_ASSERT(pshmem_my_pe() == me && pshmem_n_pes() == n, "pshmem_my_pe");
	to = (me + 1) % n;
	from = (me + n - 1) % n;
	x = shmem_calloc(12, sizeof(long));
	SH_ASSERT(x != NULL, "shmem_calloc");
	for (int i = 0; i < 12; i++)
		src[i] = me * 100 + i;
	shmem_long_put(x, src, 4, to);
	shmem_putmem(x + 4, src + 4, 4 * sizeof(long), to);
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
	shmem_put(x + 8, src + 8, 2, to);	/* generic: shmem_long_put */
#else
	shmem_long_put(x + 8, src + 8, 2, to);
#endif
	shmem_long_p(x + 10, src[10], to);		/* not wrapped */
	pshmem_long_p(x + 11, src[11], to);
	shmem_barrier_all();
	for (int i = 0; i < 12; i++)
		SH_ASSERT(x[i] == from * 100 + i, "element %d is %ld", i, x[i]);
	SH_ASSERT(n_long_put == 2 && n_putmem == 1,
		  "wrappers saw %d long_put and %d putmem calls (want 2, 1)",
		  n_long_put, n_putmem);
	shmem_free(x);
	return sh_test_done("shmem_pshmem_interpose");
}
