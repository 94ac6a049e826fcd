/* SPDX-License-Identifier: MIT */
/* Many non-blocking puts and gets, then one quiet: all of them are done.
 * The source buffer is overwritten after quiet to prove the data left. */
#include <string.h>

#include "t_helpers.h"

#define N 512
#define LEN 1000

int main(void)
{
	unsigned char *sym, *src, *back;
	int me, n;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_OK(zc_calloc((size_t)n * N, LEN, (void **)&sym));
	src = malloc((size_t)N * LEN);
	back = malloc((size_t)N * LEN);
	T_ASSERT(src && back, "malloc");
	int to = (me + 1) % n, from = (me + n - 1) % n;

	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < (size_t)N * LEN; i++)
			src[i] = t_pattern(me, round, i);
		/* Each message goes to its own slot in my window at the target. */
		for (int k = 0; k < N; k++)
			T_OK(zc_put_nbi(sym + ((size_t)me * N + k) * LEN,
					src + (size_t)k * LEN, LEN, to));
		T_OK(zc_quiet());
		memset(src, 0, (size_t)N * LEN);
		T_OK(zc_barrier_all());
		for (size_t i = 0; i < (size_t)N * LEN; i++)
			if (sym[(size_t)from * N * LEN + i] != t_pattern(from, round, i))
				T_FAIL("round %d byte %zu from %d wrong", round, i, from);
		/* nbi get back from the target what I wrote there. */
		memset(back, 0, (size_t)N * LEN);
		for (int k = 0; k < N; k++)
			T_OK(zc_get_nbi(back + (size_t)k * LEN,
					sym + ((size_t)me * N + k) * LEN, LEN, to));
		T_OK(zc_quiet());
		for (size_t i = 0; i < (size_t)N * LEN; i++)
			if (back[i] != t_pattern(me, round, i))
				T_FAIL("get_nbi round %d byte %zu wrong", round, i);
		T_OK(zc_barrier_all());
	}
	/* Strided: every other int of mine into every third slot of the peer. */
	int *iv;
	int loc[64];

	T_OK(zc_calloc(3 * 64, sizeof(int), (void **)&iv));
	for (int i = 0; i < 64; i++)
		loc[i] = me * 1000 + i;
	T_OK(zc_iput(iv, loc, 3, 2, sizeof(int), 32, to));
	T_OK(zc_barrier_all());
	for (int i = 0; i < 32; i++)
		T_ASSERT(iv[3 * i] == from * 1000 + 2 * i, "iput elem %d: %d", i, iv[3 * i]);
	T_ASSERT(iv[1] == 0 && iv[2] == 0, "iput wrote between strides");
	memset(loc, 0, sizeof(loc));
	T_OK(zc_iget(loc, iv, 1, 3, sizeof(int), 32, to));
	for (int i = 0; i < 32; i++)
		T_ASSERT(loc[i] == me * 1000 + 2 * i, "iget elem %d: %d", i, loc[i]);
	T_OK(zc_barrier_all());
	T_OK(zc_free(iv));
	T_OK(zc_free(sym));
	free(src);
	free(back);
	T_OK(zc_finalize());
	return 0;
}
