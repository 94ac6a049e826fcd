/* SPDX-License-Identifier: MIT */
/* Out-of-range and non-symmetric accesses return errors and write nothing:
 * the target's whole heap tail is checked unchanged afterwards. */
#include <errno.h>
#include <string.h>

#include "t_helpers.h"

int main(void)
{
	size_t heap, freeb;
	unsigned char *tail, local[256], *p;
	int me, n;
	uint64_t old;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_OK(zc_heap_info(&heap, &freeb));
	/* The last allocatable 4 KiB of the heap, filled with a pattern. */
	/* zc_align keeps the 64-byte alignment asked for, so the filler
	 * leaves exactly the heap's last 4 KiB (zc_malloc would page-align). */
	T_OK(zc_align(64, freeb - 4096, (void **)&p));
	T_OK(zc_heap_info(&heap, &freeb));
	T_ASSERT(freeb >= 1024 && freeb <= 4096, "free after big malloc %zu", freeb);
	T_OK(zc_malloc(freeb, (void **)&tail));
	memset(tail, 0x5a, freeb);
	memset(local, 0xa5, sizeof(local));
	T_OK(zc_barrier_all());
	int to = (me + 1) % n;
	char *end = (char *)tail + freeb;	/* one past the heap */

	/* Runs past the end by one byte, by a lot, and wraps around. */
	T_ASSERT(zc_put(end - 10, local, 11, to) == -ZC_ERANGE_ACCESS, "put past end");
	T_ASSERT(zc_put(tail, local, SIZE_MAX, to) == -ZC_ERANGE_ACCESS, "huge put");
	T_ASSERT(zc_put_nbi(end - 1, local, 2, to) == -ZC_ERANGE_ACCESS, "nbi past end");
	T_ASSERT(zc_get(local, end - 1, 2, to) == -ZC_ERANGE_ACCESS, "get past end");
	T_ASSERT(zc_put(end, local, 1, to) == -ZC_ENOTSYM, "put at end");
	T_ASSERT(zc_put(local, local, 1, to) == -ZC_ENOTSYM, "non-symmetric put");
	T_ASSERT(zc_put(tail, local, 1, n) == -EINVAL, "rank out of range");
	T_ASSERT(zc_put(tail, local, 1, -1) == -EINVAL, "negative rank");
	T_ASSERT(zc_atomic(ZC_AMO_ADD, end, 8, 1, 0, to, &old) == -ZC_ENOTSYM, "amo at end");
	T_ASSERT(zc_atomic(ZC_AMO_ADD, end - 4, 8, 1, 0, to, &old) == -ZC_ERANGE_ACCESS, "amo past end");
	T_ASSERT(zc_free(local) == -ZC_ENOTSYM, "free of non-heap");
	T_ASSERT(zc_free(tail + 8) == -ZC_ENOTSYM, "free inside an object");
	/* An exact-fit access is fine. */
	T_OK(zc_get(local, end - 16, 16, to));
	T_OK(zc_quiet());
	T_OK(zc_barrier_all());
	for (size_t i = 0; i < freeb; i++)
		T_ASSERT(tail[i] == 0x5a, "byte %zu of the heap tail changed", i);
	T_ASSERT(zc_malloc(heap, (void **)&p) == -ZC_ENOHEAP, "oversize malloc");
	T_OK(zc_free(tail));
	T_OK(zc_free(p));
	T_OK(zc_finalize());
	T_ASSERT(zc_put(tail, local, 1, 0) == -ZC_ENOTINIT, "put after finalize");
	return 0;
}
