/* SPDX-License-Identifier: MIT */
/* The symmetric heap allocator: determinism, alignment, reuse, coalescing,
 * exhaustion and bad frees. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "t_helpers.h"
#include "zc_heap.h"
#include "zc_log.h"

static void run_sequence(uint64_t *offs)
{
	struct zc_heap h;
	uint64_t junk;

	T_OK(zc_heap_init(&h, 1 << 20));
	T_OK(zc_heap_alloc(&h, 100, 8, &offs[0]));
	T_OK(zc_heap_alloc(&h, 5000, 4096, &offs[1]));
	T_OK(zc_heap_alloc(&h, 1, 1, &offs[2]));
	T_OK(zc_heap_free(&h, offs[0]));
	T_OK(zc_heap_alloc(&h, 64, 64, &offs[3]));
	T_OK(zc_heap_alloc(&h, 0, 1, &junk));
	offs[4] = junk;
	zc_heap_fini(&h);
}

int main(void)
{
	struct zc_heap h;
	uint64_t a[5], b[5], o1, o2, o3, big;

	zc_log_level = ZC_LOG_ERROR;
	/* Same calls, same offsets: what symmetry rests on. */
	run_sequence(a);
	run_sequence(b);
	T_ASSERT(!memcmp(a, b, sizeof(a)), "offsets differ between runs");
	T_ASSERT(a[1] % 4096 == 0, "alignment 4096 not honoured: %lu",
		 (unsigned long)a[1]);
	T_ASSERT(a[3] == a[0], "freed block not reused first-fit");
	T_ASSERT(a[4] != a[2] && a[4] != a[3], "zero-size alloc aliases");

	T_OK(zc_heap_init(&h, 1 << 20));
	T_OK(zc_heap_alloc(&h, 1000, 1, &o1));
	T_OK(zc_heap_alloc(&h, 1000, 1, &o2));
	T_OK(zc_heap_alloc(&h, 1000, 1, &o3));
	T_ASSERT(o1 < o2 && o2 < o3 && o2 - o1 >= 1000, "overlap");
	T_ASSERT(o1 % 64 == 0 && o2 % 64 == 0, "blocks not cache-line aligned");
	T_ASSERT(zc_heap_size_of(&h, o2) >= 1000, "size_of wrong");
	/* Coalescing: free the middle then its neighbours; the whole heap
	 * must be one block again. */
	T_OK(zc_heap_free(&h, o2));
	T_OK(zc_heap_free(&h, o1));
	T_OK(zc_heap_free(&h, o3));
	T_ASSERT(zc_heap_largest_free(&h) == (1 << 20),
		 "not coalesced: largest free %zu", zc_heap_largest_free(&h));
	/* Exhaustion is an error, and the heap stays usable. */
	T_ASSERT(zc_heap_alloc(&h, (1 << 20) + 1, 1, &big) == -ZC_ENOHEAP,
		 "oversize alloc did not fail with ZC_ENOHEAP");
	T_ASSERT(zc_heap_alloc(&h, SIZE_MAX, 1, &big) == -ZC_ENOHEAP,
		 "SIZE_MAX alloc did not fail");
	T_OK(zc_heap_alloc(&h, 1 << 20, 1, &big));
	T_ASSERT(big == 0, "full-heap alloc at %lu", (unsigned long)big);
	T_ASSERT(zc_heap_alloc(&h, 1, 1, &o1) == -ZC_ENOHEAP, "full heap");
	/* Bad frees: not a block start, twice, out of range. */
	T_ASSERT(zc_heap_free(&h, 64) == -ZC_ENOTSYM, "mid-block free ok");
	T_OK(zc_heap_free(&h, 0));
	T_ASSERT(zc_heap_free(&h, 0) == -ZC_ENOTSYM, "double free ok");
	T_ASSERT(zc_heap_free(&h, 1 << 21) == -ZC_ENOTSYM, "wild free ok");
	T_ASSERT(zc_heap_alloc(&h, 10, 3, &o1) == -EINVAL,
		 "non-power-of-two alignment accepted");
	zc_heap_fini(&h);
	printf("heap_alloc: ok\n");
	return 0;
}
