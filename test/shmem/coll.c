/* SPDX-License-Identifier: MIT */
/* Team collectives on the world and on a strided team: broadcast,
 * collect (a different count per PE), fcollect, alltoall, alltoalls, and
 * reductions of every operation over several types (complex included),
 * in place too; barrier_all and sync_all. Values checked everywhere. */
#include <complex.h>
#include <string.h>

#include "sh_test.h"

#define NE 20

static long v(int pe, int i)
{
	return pe * 1000L + i;
}

static void run(shmem_team_t t, int wme)
{
	int me = shmem_team_my_pe(t), n = shmem_team_n_pes(t);
	long *src = shmem_malloc(NE * sizeof(long));
	long *dst = shmem_malloc((size_t)(NE * 64) * sizeof(long));
	double *d = shmem_malloc(NE * sizeof(double));
	double *dd = shmem_malloc(NE * sizeof(double));
	unsigned *u = shmem_malloc(2 * sizeof(unsigned));
	unsigned *ud = shmem_malloc(2 * sizeof(unsigned));
	double _Complex *c = shmem_malloc(2 * sizeof(double _Complex));
	double _Complex *cd = shmem_malloc(2 * sizeof(double _Complex));
	long total = 0;

	(void)wme;
	SH_ASSERT(src && dst && d && dd && u && ud && c && cd, "alloc");
	for (int i = 0; i < NE; i++)
		src[i] = v(me, i);

	/* broadcast from every root; the root's dest is written too. */
	for (int root = 0; root < n; root++) {
		memset(dst, 0, NE * sizeof(long));
		SH_ASSERT(shmem_long_broadcast(t, dst, src, NE, root) == 0, "bcast");
		for (int i = 0; i < NE; i++)
			SH_ASSERT(dst[i] == v(root, i), "bcast root %d elem %d: %ld",
				  root, i, dst[i]);
	}
	SH_ASSERT(shmem_broadcastmem(t, dst, src, 3, 0) == 0, "broadcastmem");
	SH_ASSERT(shmem_broadcast(t, dst, src, 1, n - 1) == 0 &&
		  dst[0] == v(n - 1, 0), "generic broadcast");

	/* collect: member i gives i + 1 elements. */
	SH_ASSERT(shmem_long_collect(t, dst, src, (size_t)me + 1) == 0, "collect");
	for (int p = 0, k = 0; p < n; p++)
		for (int i = 0; i <= p; i++, k++)
			SH_ASSERT(dst[k] == v(p, i), "collect elem %d of %d", i, p);
	SH_ASSERT(shmem_fcollect(t, dst, src, NE) == 0, "fcollect");
	for (int p = 0; p < n; p++)
		for (int i = 0; i < NE; i++)
			SH_ASSERT(dst[p * NE + i] == v(p, i), "fcollect");

	/* alltoall: block j of member i is (i, j). */
	{
		long *a = shmem_malloc((size_t)shmem_n_pes() * 2 * sizeof(long));

		for (int j = 0; j < n; j++) {
			a[2 * j] = v(me, j);
			a[2 * j + 1] = -v(me, j);
		}
		SH_ASSERT(shmem_long_alltoall(t, dst, a, 2) == 0, "alltoall");
		for (int i = 0; i < n; i++)
			SH_ASSERT(dst[2 * i] == v(i, me) && dst[2 * i + 1] == -v(i, me),
				  "alltoall block %d", i);
		/* alltoalls: source stride 2 (take a[0], a[2], ...), dest
		 * stride 3, one element per member. */
		for (int i = 0; i < 3 * n; i++)
			dst[i] = -1;
		SH_ASSERT(shmem_long_alltoalls(t, dst, a, 3, 2, 1) == 0, "alltoalls");
		for (int i = 0; i < n; i++) {
			SH_ASSERT(dst[3 * i] == v(i, me), "alltoalls from %d: %ld",
				  i, dst[3 * i]);
			SH_ASSERT(dst[3 * i + 1] == -1 && dst[3 * i + 2] == -1,
				  "alltoalls gap");
		}
		shmem_free(a);
	}

	/* reductions */
	for (int p = 0; p < n; p++)
		total += p;
	SH_ASSERT(shmem_long_sum_reduce(t, dst, src, NE) == 0, "sum");
	for (int i = 0; i < NE; i++)
		SH_ASSERT(dst[i] == 1000L * total + (long)n * i, "sum elem %d", i);
	SH_ASSERT(shmem_long_max_reduce(t, dst, src, NE) == 0 &&
		  dst[3] == v(n - 1, 3), "max");
	SH_ASSERT(shmem_min_reduce(t, dst, src, NE) == 0 && dst[3] == v(0, 3),
		  "min");
	for (int i = 0; i < NE; i++)
		d[i] = (i % 2 ? 2.0 : 0.5) * (me + 1);
	SH_ASSERT(shmem_double_prod_reduce(t, dd, d, NE) == 0, "prod");
	{
		double f = 1;

		for (int p = 0; p < n; p++)
			f *= p + 1;
		for (int i = 0; i < NE; i++)
			SH_ASSERT(dd[i] == f * (i % 2 ? 1 << n : 1.0 / (1 << n)),
				  "prod elem %d: %g", i, dd[i]);
	}
	u[0] = 1u << me;
	u[1] = ~(1u << me);
	SH_ASSERT(shmem_uint_or_reduce(t, ud, u, 2) == 0 &&
		  ud[0] == (n >= 32 ? ~0u : (1u << n) - 1), "or");
	SH_ASSERT(shmem_uint_and_reduce(t, ud, u, 2) == 0 &&
		  ud[1] == ~(n >= 32 ? ~0u : (1u << n) - 1), "and");
	SH_ASSERT(shmem_xor_reduce(t, ud, u, 1) == 0 &&
		  ud[0] == (n >= 32 ? ~0u : (1u << n) - 1), "xor");
	/* In place. */
	for (int i = 0; i < NE; i++)
		src[i] = me + 1;
	SH_ASSERT(shmem_long_sum_reduce(t, src, src, NE) == 0 &&
		  src[NE - 1] == total + n, "in-place sum");
	/* Complex: sum and product of (1 + i) from every member. */
	c[0] = 1.0 + 1.0 * I;
	c[1] = (double)me;
	SH_ASSERT(shmem_complexd_sum_reduce(t, cd, c, 2) == 0, "complex sum");
	SH_ASSERT(creal(cd[0]) == n && cimag(cd[0]) == n &&
		  creal(cd[1]) == (double)total, "complex sum value");
	SH_ASSERT(shmem_complexd_prod_reduce(t, cd, c, 1) == 0, "complex prod");
	{
		double _Complex w = 1;

		for (int p = 0; p < n; p++)
			w *= 1.0 + 1.0 * I;
		SH_ASSERT(creal(cd[0]) == creal(w) && cimag(cd[0]) == cimag(w),
			  "complex prod %g%+gi", creal(cd[0]), cimag(cd[0]));
	}
	/* Zero elements: legal everywhere, nothing moves. */
	dst[0] = -7;
	SH_ASSERT(shmem_long_broadcast(t, dst, src, 0, 0) == 0 &&
		  shmem_long_sum_reduce(t, dst, src, 0) == 0 &&
		  shmem_long_fcollect(t, dst, src, 0) == 0 &&
		  shmem_long_alltoall(t, dst, src, 0) == 0 && dst[0] == -7,
		  "zero-element collectives");
	/* collect where member 0 gives nothing */
	for (int i = 0; i < NE; i++)
		src[i] = v(me, i);
	SH_ASSERT(shmem_long_collect(t, dst, src, (size_t)me) == 0, "collect 0");
	for (int p = 1, k = 0; p < n; p++)
		for (int i = 0; i < p; i++, k++)
			SH_ASSERT(dst[k] == v(p, i), "collect with an empty block");
	SH_ASSERT(shmem_team_sync(t) == 0, "team_sync");

	shmem_free(cd);
	shmem_free(c);
	shmem_free(ud);
	shmem_free(u);
	shmem_free(dd);
	shmem_free(d);
	shmem_free(dst);
	shmem_free(src);
}

int main(void)
{
	shmem_team_t even, odd;
	int me, n;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	shmem_barrier_all();
	shmem_sync_all();
	run(SHMEM_TEAM_WORLD, me);
	/* Splits are collective over the world: everyone makes both. */
	SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 2, (n + 1) / 2,
					   NULL, 0, &even) == 0, "split even");
	odd = SHMEM_TEAM_INVALID;
	if (n > 1)
		SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_WORLD, 1, 2, n / 2,
						   NULL, 0, &odd) == 0, "odd");
	/* Allocation is world-collective: both halves run the same mallocs,
	 * each on its own team. */
	run(me % 2 ? odd : even, me);
	if (odd != SHMEM_TEAM_INVALID)
		shmem_team_destroy(odd);
	if (even != SHMEM_TEAM_INVALID)
		shmem_team_destroy(even);
	return sh_test_done("shmem coll");
}
