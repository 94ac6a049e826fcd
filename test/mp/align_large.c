/* SPDX-License-Identifier: MIT */
/* zc_align honours every power-of-two alignment up to the heap size: the
 * address (not only the offset) is aligned, and the block is usable by
 * every rank (a pattern put to the right neighbour arrives whole). */
#include <stdint.h>
#include <string.h>

#include "t_helpers.h"

int main(void)
{
	size_t heap, freeb;
	int me, n, to, from;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	to = (me + 1) % n;
	from = (me + n - 1) % n;
	T_OK(zc_heap_info(&heap, &freeb));
	T_SKIP_IF(heap & (heap - 1), "ZC_HEAP_SIZE %zu is not a power of two",
		  heap);
	for (size_t a = 64; a <= heap; a <<= 1) {
		unsigned char *p, src[256];
		/* The largest alignment only fits an empty heap's offset 0. */
		size_t len = a == heap ? heap : sizeof(src);
		int rc = zc_align(a, len, (void **)&p);

		T_ASSERT(rc == 0, "zc_align(%zu, %zu): %s", a, len,
			 zc_strerror(rc));
		T_ASSERT(((uintptr_t)p & (a - 1)) == 0,
			 "zc_align(%zu) gave %p", a, (void *)p);
		for (size_t i = 0; i < sizeof(src); i++)
			src[i] = t_pattern(me, to, i + a);
		T_OK(zc_put(p + len - sizeof(src), src, sizeof(src), to));
		T_OK(zc_barrier_all());
		for (size_t i = 0; i < sizeof(src); i++)
			T_ASSERT(p[len - sizeof(src) + i] ==
				 t_pattern(from, me, i + a),
				 "alignment %zu: byte %zu from rank %d", a, i,
				 from);
		T_OK(zc_free(p));
	}
	T_OK(zc_finalize());
	if (me == 0)
		printf("align_large: ok, alignments 64..%zu on %d ranks\n",
		       heap, n);
	return 0;
}
