/* SPDX-License-Identifier: MIT */
/* Symmetric memory: malloc, calloc, align, realloc, free, the hint
 * variant and the deprecated names; contents reached from every PE;
 * SHMEM_SYMMETRIC_SIZE sizes the heap. */
#include <stdint.h>
#include <string.h>

#include "sh_test.h"

int main(void)
{
	int me, n;
	long *a, *z, *r;
	char *al;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();

	SH_ASSERT(shmem_malloc(0) == NULL, "malloc(0) must be NULL");
	SH_ASSERT(shmem_calloc(0, 8) == NULL, "calloc(0, 8) must be NULL");
	shmem_free(NULL);

	a = shmem_malloc(100 * sizeof(long));
	SH_ASSERT(a, "malloc");
	z = shmem_calloc(1000, sizeof(long));
	SH_ASSERT(z, "calloc");
	for (int i = 0; i < 1000; i++)
		SH_ASSERT(z[i] == 0, "calloc'd word %d is %ld", i, z[i]);
	for (size_t align = 8; align <= 65536; align <<= 1) {
		al = shmem_align(align, 24);
		SH_ASSERT(al && ((uintptr_t)al & (align - 1)) == 0,
			  "align %zu gave %p", align, (void *)al);
		shmem_free(al);
	}
	al = shmem_malloc_with_hints(64, SHMEM_MALLOC_ATOMICS_REMOTE);
	SH_ASSERT(al, "malloc_with_hints");
	shmem_free(al);

	/* realloc keeps the contents, grows and shrinks, symmetric. */
	for (int i = 0; i < 100; i++)
		a[i] = me * 1000 + i;
	r = shmem_realloc(a, 100000 * sizeof(long));
	SH_ASSERT(r, "realloc up");
	for (int i = 0; i < 100; i++)
		SH_ASSERT(r[i] == me * 1000 + i, "realloc lost word %d", i);
	r[99999] = me;
	shmem_barrier_all();
	for (int pe = 0; pe < n; pe++) {
		long v = shmem_long_g(&r[99999], pe), w = shmem_long_g(&r[7], pe);

		SH_ASSERT(v == pe && w == pe * 1000 + 7,
			  "realloc'd block on pe %d: %ld %ld", pe, v, w);
	}
	shmem_barrier_all();
	r = shmem_realloc(r, 10 * sizeof(long));
	SH_ASSERT(r && r[9] == me * 1000 + 9, "realloc down");
	SH_ASSERT(shmem_realloc(r, 0) == NULL, "realloc to 0 frees");

	/* Deprecated names. */
	a = shmalloc(64);
	SH_ASSERT(a, "shmalloc");
	a = shrealloc(a, 128);
	SH_ASSERT(a, "shrealloc");
	shfree(a);
	al = shmemalign(4096, 10);
	SH_ASSERT(al && ((uintptr_t)al & 4095) == 0, "shmemalign");
	shfree(al);

	/* Many objects, freed out of order, all usable remotely. */
	{
		long *objs[16];

		for (int i = 0; i < 16; i++) {
			objs[i] = shmem_malloc((size_t)(i + 1) * 24);
			SH_ASSERT(objs[i], "object %d", i);
		}
		for (int i = 0; i < 16; i += 2)
			shmem_free(objs[i]);
		for (int i = 1; i < 16; i += 2)
			shmem_long_p(objs[i], me * 100 + i, (me + 1) % n);
		shmem_barrier_all();
		for (int i = 1; i < 16; i += 2) {
			SH_ASSERT(*objs[i] == ((me + n - 1) % n) * 100 + i,
				  "object %d holds %ld", i, *objs[i]);
			shmem_free(objs[i]);
		}
	}
	/* Run with SHMEM_SYMMETRIC_SIZE=16M: 15 MiB fits, 32 MiB does not. */
	{
		const char *env = getenv("SHMEM_SYMMETRIC_SIZE");

		if (env && !strcmp(env, "16M")) {
			char *big = shmem_malloc(15u << 20), *huge;

			SH_ASSERT(big, "15 MiB in a 16 MiB heap");
			big[(15u << 20) - 1] = 1;
			huge = shmem_malloc(32u << 20);
			SH_ASSERT(!huge, "32 MiB in a 16 MiB heap");
			shmem_free(big);
		}
	}
	shmem_free(z);
	return sh_test_done("shmem heap");
}
