/* SPDX-License-Identifier: MIT */
/* A slow target (its progress thread sleeps per request, test tunable
 * ZC_TCP_TEST_DELAY_US) with few credits (ZC_TCP_CREDITS): the sender runs
 * out of credits and queues; nothing is lost or reordered, every byte of
 * many small puts and a few large ones arrives, and fetch-adds count
 * exactly. */
#include "t_helpers.h"

#define NSMALL 1500
#define SMALL 48
#define BIG (3u << 20)

int main(void)
{
	unsigned char *small, *big, *local;
	uint64_t *count;
	int me, n;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 2, "needs at least 2 ranks");
	T_OK(zc_calloc((size_t)n * NSMALL, SMALL, (void **)&small));
	T_OK(zc_calloc((size_t)n, BIG, (void **)&big));
	T_OK(zc_calloc(1, sizeof(*count), (void **)&count));
	local = malloc(BIG);
	T_ASSERT(local, "malloc");
	{
		int to = (me + 1) % n;

		/* Small nbi puts, each its own slot: order and loss show. */
		for (int k = 0; k < NSMALL; k++) {
			unsigned char m[SMALL];

			for (size_t i = 0; i < SMALL; i++)
				m[i] = t_pattern(me, to, (size_t)k * SMALL + i);
			T_OK(zc_put_nbi(small + ((size_t)me * NSMALL + (size_t)k) *
					SMALL, m, SMALL, to));
			if (k % 100 == 0)
				T_OK(zc_atomic_add64(count, 1, to));
		}
		for (size_t i = 0; i < BIG; i++)
			local[i] = t_pattern(me, to, i + 7);
		T_OK(zc_put_nbi(big + (size_t)me * BIG, local, BIG, to));
		T_OK(zc_quiet());
	}
	T_OK(zc_barrier_all());
	{
		int from = (me + n - 1) % n;

		for (int k = 0; k < NSMALL; k++)
			for (size_t i = 0; i < SMALL; i++)
				T_ASSERT(small[((size_t)from * NSMALL + (size_t)k) *
					       SMALL + i] ==
					 t_pattern(from, me, (size_t)k * SMALL + i),
					 "small put %d from %d: byte %zu", k, from, i);
		for (size_t i = 0; i < BIG; i++)
			T_ASSERT(big[(size_t)from * BIG + i] ==
				 t_pattern(from, me, i + 7),
				 "big put from %d: byte %zu", from, i);
		T_ASSERT(*count == (NSMALL + 99) / 100, "count %lu, want %d",
			 (unsigned long)*count, (NSMALL + 99) / 100);
	}
	free(local);
	T_OK(zc_finalize());
	if (me == 0)
		printf("tcp_slow_target: all data arrived on %d ranks\n", n);
	return 0;
}
