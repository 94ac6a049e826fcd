/* SPDX-License-Identifier: MIT */
/* The caller's own bad memory is the caller's error, not the job's: NULL
 * local buffers with len > 0 (put, get, nbi, strided; 64 KiB and 8 B) and
 * NULL out-pointers (zc_malloc, zc_calloc, zc_align, zc_heap_info,
 * zc_local_ranks, team splits) return -EINVAL at once,
 * crash nothing, and leave every connection up: afterwards data still
 * moves both ways, checked, and barriers and zc_finalize succeed. */
#include <errno.h>
#include <string.h>

#include "t_helpers.h"

int main(void)
{
	struct zc_team *w;
	unsigned char *sym, buf[256];
	size_t hs;
	uint64_t seen;
	int me, n, to, from;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	to = (me + 1) % n;
	from = (me + n - 1) % n;
	w = zc_team_world();
	T_OK(zc_calloc(1, 1 << 17, (void **)&sym));
	T_ASSERT(zc_put(sym, NULL, 1 << 16, to) == -EINVAL, "64 KiB put from NULL");
	T_ASSERT(zc_put(sym, NULL, 8, to) == -EINVAL, "8 B put from NULL");
	T_ASSERT(zc_get(NULL, sym, 8, to) == -EINVAL, "8 B get to NULL");
	T_ASSERT(zc_get(NULL, sym, 1 << 16, to) == -EINVAL, "64 KiB get to NULL");
	T_ASSERT(zc_put_nbi(sym, NULL, 8, to) == -EINVAL, "nbi put from NULL");
	T_ASSERT(zc_get_nbi(NULL, sym, 8, to) == -EINVAL, "nbi get to NULL");
	T_ASSERT(zc_iput(sym, NULL, 1, 1, 8, 4, to) == -EINVAL, "iput from NULL");
	T_ASSERT(zc_iget(NULL, sym, 1, 1, 8, 4, to) == -EINVAL, "iget to NULL");
	T_OK(zc_quiet());
	/* Out-pointers: every rank passes NULL, so the collective ones fail
	 * alike before any barrier. */
	T_ASSERT(zc_malloc(8, NULL) == -EINVAL, "zc_malloc(8, NULL)");
	T_ASSERT(zc_calloc(1, 8, NULL) == -EINVAL, "zc_calloc(.., NULL)");
	T_ASSERT(zc_align(64, 8, NULL) == -EINVAL, "zc_align(.., NULL)");
	T_ASSERT(zc_heap_info(NULL, NULL) == -EINVAL, "zc_heap_info(NULL, NULL)");
	T_ASSERT(zc_heap_info(&hs, NULL) == -EINVAL, "zc_heap_info(&s, NULL)");
	T_ASSERT(zc_local_ranks(NULL) == -EINVAL, "zc_local_ranks(NULL)");
	T_ASSERT(zc_team_split_strided(w, 0, 1, n, NULL) == -EINVAL,
		 "split_strided(.., NULL)");
	T_ASSERT(zc_team_split_2d(w, 1, NULL, NULL) == -EINVAL,
		 "split_2d(.., NULL, NULL)");
	T_OK(zc_test_fetch(sym, ZC_UINT64, ZC_CMP_EQ, 0, &seen));
	/* Every connection is still up: data both ways, every byte. */
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = t_pattern(me, to, i + round);
		T_OK(zc_put(sym + 4096 * round, buf, sizeof(buf), to));
		T_OK(zc_barrier_all());
		for (size_t i = 0; i < sizeof(buf); i++)
			T_ASSERT(sym[4096 * round + i] == t_pattern(from, me, i + round),
				 "round %d byte %zu from rank %d", round, i, from);
		T_OK(zc_get(buf, sym + 4096 * round, sizeof(buf), to));
		for (size_t i = 0; i < sizeof(buf); i++)
			T_ASSERT(buf[i] == t_pattern(me, to, i + round),
				 "get round %d byte %zu", round, i);
		T_OK(zc_barrier_all());
	}
	T_OK(zc_free(sym));
	T_OK(zc_finalize());
	if (me == 0)
		printf("null_args: -EINVAL locally, connections intact, %d ranks\n",
		       n);
	return 0;
}
