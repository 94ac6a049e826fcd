/* SPDX-License-Identifier: MIT */
/* shmem_align honours power-of-two alignments far above 2 MiB (up to half
 * the heap: the layer's own small objects sit at its start): the address
 * is aligned and every PE can put into the block. */
#include <stdint.h>
#include <string.h>

#include "sh_test.h"

int main(void)
{
	size_t heap = (size_t)32 << 20;	/* SHMEM_SYMMETRIC_SIZE in CMake */
	int me, n;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	for (size_t a = 1; a <= heap / 2; a <<= 1) {
		long *p = shmem_align(a, 64 * sizeof(long)), src[64];

		SH_ASSERT(p != NULL, "shmem_align(%zu) failed", a);
		SH_ASSERT(((uintptr_t)p & (a - 1)) == 0, "shmem_align(%zu) gave %p",
			  a, (void *)p);
		for (int i = 0; i < 64; i++)
			src[i] = (long)a * 1000 + me * 100 + i;
		shmem_long_put(p, src, 64, (me + 1) % n);
		shmem_barrier_all();
		for (int i = 0; i < 64; i++)
			SH_ASSERT(p[i] == (long)a * 1000 + ((me + n - 1) % n) * 100 + i,
				  "alignment %zu: element %d is %ld", a, i, p[i]);
		shmem_free(p);
	}
	return sh_test_done("shmem_align_large");
}
