/* SPDX-License-Identifier: MIT */
/* Thousands of back-to-back collectives with no barrier between them,
 * reusing the same buffers and scratch: a value from collective N+1 must
 * never land in, or overwrite, collective N. Mixes the scratch-cell
 * algorithms (recursive doubling, pipelined binomial broadcast with a
 * rotating root; on tcp the in-place pipeline), barriers checked by puts,
 * small allgather/alltoall/reduce-scatter (scratch cells) and larger ones
 * (Bruck or direct allgather, pairwise alltoall, ring or direct
 * reduce-scatter and allreduce: one-way flags instead of barriers on
 * tcp). */
#include "coll_util.h"

#define BLK 375	/* int64 per member: past the scratch cells */

/* Past the cells: allgather, alltoall and reduce-scatter of BLK int64
 * per member, allreduce of 2 * BLK. */
static void check_large(struct zc_team *w, int64_t *a, int64_t *b, int it)
{
	int me = zc_team_rank(w), n = zc_team_size(w);

	for (int i = 0; i < BLK; i++)
		a[i] = (int64_t)it * 100000 + me * 1000 + i;
	T_OK(zc_allgather(w, b, a, BLK * 8));
	for (int j = 0; j < n; j++)
		for (int i = 0; i < BLK; i++)
			T_ASSERT(b[j * BLK + i] == (int64_t)it * 100000 +
				 j * 1000 + i, "large allgather %d", it);
	for (int j = 0; j < n; j++)
		for (int i = 0; i < BLK; i++)
			a[j * BLK + i] = (int64_t)it * 100000 + me * 1000 +
					 j * 10 + i;
	T_OK(zc_alltoall(w, b, a, BLK * 8));
	for (int j = 0; j < n; j++)
		for (int i = 0; i < BLK; i++)
			T_ASSERT(b[j * BLK + i] == (int64_t)it * 100000 +
				 j * 1000 + me * 10 + i, "large alltoall %d", it);
	/* a[j * BLK + i] summed over members: n * (it * 100000 + j * 10 + i)
	 * + 1000 * n(n-1)/2. */
	T_OK(zc_reduce_scatter(w, b, a, BLK, ZC_INT64, ZC_OP_SUM));
	for (int i = 0; i < BLK; i++)
		T_ASSERT(b[i] == (int64_t)n * ((int64_t)it * 100000 + me * 10 +
			 i) + 1000 * (int64_t)n * (n - 1) / 2,
			 "large reduce_scatter %d", it);
	for (int i = 0; i < 2 * BLK; i++)
		a[i] = (int64_t)it * 7 + me * 3 + i;
	T_OK(zc_allreduce(w, b, a, 2 * BLK, ZC_INT64, ZC_OP_SUM));
	for (int i = 0; i < 2 * BLK; i++)
		T_ASSERT(b[i] == (int64_t)n * (it * 7 + i) +
			 3 * (int64_t)n * (n - 1) / 2,
			 "large allreduce %d", it);
}

int main(void)
{
	struct zc_team *w;
	int64_t *a, *b, *slot;
	int me, n, iters;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	w = zc_team_world();
	/* Oversubscribed, every wait is a trip through the scheduler. */
	iters = n <= 2 ? 3000 : n <= 4 ? 600 : 250;
	T_OK(zc_malloc(64 * 1024, (void **)&a));
	T_OK(zc_malloc(64 * 1024, (void **)&b));
	T_OK(zc_calloc((size_t)n, 8, (void **)&slot));
	for (int it = 0; it < iters; it++) {
		int64_t want = (int64_t)n * (n - 1) / 2 + (int64_t)n * it;
		int root = it % n;

		a[0] = me + it;
		a[1] = -(me + it);
		T_OK(zc_allreduce(w, b, a, 2, ZC_INT64, ZC_OP_SUM));
		T_ASSERT(b[0] == want && b[1] == -want,
			 "allreduce %d: %ld %ld, want %ld", it, (long)b[0],
			 (long)b[1], (long)want);
		T_OK(zc_allreduce(w, b, a, 1, ZC_INT64, ZC_OP_MAX));
		T_ASSERT(b[0] == n - 1 + it, "max %d: %ld", it, (long)b[0]);
		/* Broadcast of a bit more than one cell: two units. */
		if (me == root)
			for (int i = 0; i < 600; i++)
				a[i] = it * 1000 + i;
		T_OK(zc_broadcast(w, b, a, 600 * 8, root));
		for (int i = 0; i < 600; i++)
			T_ASSERT(b[i] == it * 1000 + i, "bcast %d elem %d: %ld",
				 it, i, (long)b[i]);
		/* Barrier: what I put before it is there after it. */
		{
			int64_t v = (int64_t)it * n + me;

			T_OK(zc_put(&slot[me], &v, 8, (me + 1) % n));
			T_OK(zc_barrier(w));
			T_ASSERT(slot[(me + n - 1) % n] ==
				 (int64_t)it * n + (me + n - 1) % n,
				 "barrier %d: left's put missing", it);
			T_OK(zc_barrier(w));
		}
		if (it % 8 == 0) {
			a[0] = it + me;
			T_OK(zc_allgather(w, b, a, 8));
			for (int j = 0; j < n; j++)
				T_ASSERT(b[j] == it + j, "allgather %d", it);
			for (int j = 0; j < n; j++)
				a[j] = it * 100 + me * 10 + j;
			T_OK(zc_alltoall(w, b, a, 8));
			for (int j = 0; j < n; j++)
				T_ASSERT(b[j] == it * 100 + j * 10 + me,
					 "alltoall %d", it);
			check_large(w, a, b, it);
		}
		/* Reduce-scatter of one element per member. */
		for (int j = 0; j < n; j++)
			a[j] = (int64_t)it * j + me;
		T_OK(zc_reduce_scatter(w, b, a, 1, ZC_INT64, ZC_OP_SUM));
		T_ASSERT(b[0] == (int64_t)it * me * n + (int64_t)n * (n - 1) / 2,
			 "reduce_scatter %d: %ld", it, (long)b[0]);
	}
	T_OK(zc_barrier_all());
	T_OK(zc_free(slot));
	T_OK(zc_free(b));
	T_OK(zc_free(a));
	if (me == 0)
		printf("back_to_back: ok on %d ranks, %d iterations\n", n,
		       iters);
	T_OK(zc_finalize());
	return 0;
}
