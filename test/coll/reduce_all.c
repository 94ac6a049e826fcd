/* SPDX-License-Identifier: MIT */
/* allreduce, reduce and reduce-scatter: every op on every type it allows,
 * counts from 0 to past the scratch-cell size (a few MiB for one integer
 * and one floating-point case), on the world and on a split team; each
 * result element checked against what this rank computes itself. The
 * algorithm is whatever ZC_COLL_* forces (one ctest per algorithm). */
#include "coll_util.h"

#define BIG (2u << 20)

static char *src, *dst;

static void check_allreduce(struct zc_team *t, enum zc_dtype ty,
			    enum zc_op op, size_t count)
{
	int n = zc_team_size(t), me = zc_team_rank(t);
	size_t es = zc_dtype_size(ty);

	t_fill(ty, op, me, src, 0, count);
	memset(dst, 0xa5, count * es + 64);
	T_OK(zc_allreduce(t, dst, src, count, ty, op));
	for (size_t i = 0; i < count; i++)
		T_ASSERT(t_expect_ok(ty, op, n, dst, i, 0),
			 "allreduce type %d op %d count %zu: element %zu wrong "
			 "(team of %d)", ty, op, count, i, n);
	T_ASSERT((unsigned char)dst[count * es] == 0xa5,
		 "allreduce wrote past its end");
	/* In place. */
	if (count && (count < 100 || count == 1500 || count == 12001)) {
		t_fill(ty, op, me, dst, 0, count);
		T_OK(zc_allreduce(t, dst, dst, count, ty, op));
		for (size_t i = 0; i < count; i++)
			T_ASSERT(t_expect_ok(ty, op, n, dst, i, 0),
				 "in-place allreduce type %d op %d count %zu: "
				 "element %zu", ty, op, count, i);
	}
}

static void check_reduce(struct zc_team *t, enum zc_dtype ty, enum zc_op op,
			 size_t count, int root)
{
	int n = zc_team_size(t), me = zc_team_rank(t);
	size_t es = zc_dtype_size(ty);

	t_fill(ty, op, me, src, 0, count);
	memset(dst, 0x5a, count * es + 64);
	T_OK(zc_reduce(t, dst, src, count, ty, op, root));
	for (size_t i = 0; me == root && i < count; i++)
		T_ASSERT(t_expect_ok(ty, op, n, dst, i, 0),
			 "reduce type %d op %d count %zu root %d: element %zu",
			 ty, op, count, root, i);
	for (size_t i = me == root ? count * es : 0; i < count * es + 64; i++)
		T_ASSERT((unsigned char)dst[i] == 0x5a,
			 "reduce wrote byte %zu of a non-root or past the end", i);
}

static void check_reduce_scatter(struct zc_team *t, enum zc_dtype ty,
				 enum zc_op op, size_t count)
{
	int n = zc_team_size(t), me = zc_team_rank(t);
	size_t es = zc_dtype_size(ty);

	t_fill(ty, op, me, src, 0, count * (size_t)n);
	memset(dst, 0x3c, count * es + 64);
	T_OK(zc_reduce_scatter(t, dst, src, count, ty, op));
	for (size_t i = 0; i < count; i++)
		T_ASSERT(t_expect_ok(ty, op, n, dst, i, (size_t)me * count),
			 "reduce_scatter type %d op %d count %zu: element %zu",
			 ty, op, count, i);
	T_ASSERT((unsigned char)dst[count * es] == 0x3c,
		 "reduce_scatter wrote past its end");
}

/* The whole matrix on the world; a lighter one on the split team (the
 * paths are the same, only the member count differs). */
static void run(struct zc_team *t, int full)
{
	static const size_t all[] = { 0, 1, 7, 61, 1500 }, few[] = { 1, 61 };
	const size_t *counts = full ? all : few;
	size_t ncounts = full ? 5 : 2;
	int n = zc_team_size(t);

	for (int ty = 0; ty < ZC_DTYPE_LAST; ty++) {
		for (int op = 0; op < ZC_OP_LAST; op++) {
			if (t_is_float(ty) && op >= ZC_OP_AND)
				continue;
			for (size_t c = 0; c < ncounts; c++) {
				check_allreduce(t, ty, op, counts[c]);
				check_reduce(t, ty, op, counts[c],
					     (int)(c % (size_t)n));
				check_reduce_scatter(t, ty, op, counts[c]);
			}
		}
	}
	/* A few MiB: one integer and one floating-point case. */
	check_allreduce(t, ZC_INT32, ZC_OP_SUM, BIG / 4 - 3);
	check_allreduce(t, ZC_DOUBLE, ZC_OP_MAX, 40000);
	/* Past one exchange cell of the world team, within n of them. */
	check_allreduce(t, ZC_DOUBLE, ZC_OP_SUM, 12001);
	check_reduce(t, ZC_DOUBLE, ZC_OP_SUM, 40001, n - 1);
	check_reduce_scatter(t, ZC_UINT16, ZC_OP_XOR, BIG / 2 / (size_t)n / 2);
}

int main(void)
{
	struct zc_team *split;

	T_OK(zc_init());
	T_OK(zc_malloc(BIG + 64, (void **)&src));
	T_OK(zc_malloc(BIG + 64, (void **)&dst));
	run(zc_team_world(), 1);
	split = t_split_team();
	if (split) {
		run(split, 0);
		T_OK(zc_team_destroy(split));
	}
	T_OK(zc_barrier_all());
	T_OK(zc_free(dst));
	T_OK(zc_free(src));
	if (zc_rank() == 0)
		printf("reduce_all: ok on %d ranks\n", zc_size());
	T_OK(zc_finalize());
	return 0;
}
