/* SPDX-License-Identifier: MIT */
/* The C11 type-generic interfaces pick the routine of the argument's
 * type (arrays, const sources and the optional leading ctx included):
 * each call below would move or combine the wrong number of bytes if
 * the wrong typed routine were chosen. */
#include "sh_test.h"

int main(void)
{
	int me, n, right;
	char *c;
	short *s;
	int *i32;
	long long *ll;
	unsigned long *ul;
	float *f;
	long double *ld;
	shmem_ctx_t ctx;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	right = (me + 1) % n;
	c = shmem_calloc(4, sizeof(char));
	s = shmem_calloc(4, sizeof(short));
	i32 = shmem_calloc(4, sizeof(int));
	ll = shmem_calloc(4, sizeof(long long));
	ul = shmem_calloc(4, sizeof(unsigned long));
	f = shmem_calloc(4, sizeof(float));
	ld = shmem_calloc(4, sizeof(long double));
	SH_ASSERT(c && s && i32 && ll && ul && f && ld, "alloc");
	SH_ASSERT(shmem_ctx_create(SHMEM_CTX_SERIALIZED, &ctx) == 0, "ctx");

	{
		const char cs[2] = { 'a', (char)me };
		short ss[2] = { -2, (short)me };
		long double lds[2] = { 1.25L, (long double)me };

		shmem_put(c, cs, 2, right);
		shmem_put(ctx, s, ss, 2, right);
		shmem_put_nbi(ld, lds, 2, right);
		shmem_p(&i32[1], me * 3, right);
		shmem_p(ctx, &ll[1], (long long)me << 40, right);
		shmem_p(&f[1], 0.5f * (float)me, right);
		shmem_atomic_add(&ul[0], 7UL, right);
		shmem_atomic_inc(ctx, &i32[2], right);
		shmem_atomic_set(&ll[2], -9LL, right);
		shmem_quiet();
	}
	shmem_barrier_all();
	{
		int l = (me + n - 1) % n;
		const long long *cll = ll;

		SH_ASSERT(c[0] == 'a' && c[1] == (char)l && c[2] == 0, "char put");
		SH_ASSERT(s[0] == -2 && s[1] == l && s[2] == 0, "short put");
		SH_ASSERT(ld[0] == 1.25L && ld[1] == l, "long double put");
		SH_ASSERT(i32[1] == 3 * l && i32[2] == 1 && i32[0] == 0, "int p/inc");
		SH_ASSERT(ll[1] == (long long)l << 40 && ll[2] == -9, "ll p/set");
		SH_ASSERT(f[1] == 0.5f * (float)l && f[0] == 0, "float p");
		SH_ASSERT(ul[0] == 7 && ul[1] == 0, "ulong add");
		SH_ASSERT(shmem_g(cll + 1, me) == (long long)l << 40, "const g");
		SH_ASSERT(shmem_g(ctx, &s[1], me) == l, "ctx g");
		SH_ASSERT(shmem_atomic_fetch(cll + 2, me) == -9, "const fetch");
		SH_ASSERT(shmem_atomic_fetch_add(ctx, &ul[0], 1UL, me) == 7,
			  "ctx fetch_add");
		SH_ASSERT(shmem_atomic_compare_swap(&i32[2], 1, 5, me) == 1 &&
			  i32[2] == 5, "compare_swap");
		SH_ASSERT(shmem_atomic_swap(&f[1], 2.0f, me) == 0.5f * (float)l &&
			  f[1] == 2.0f, "float swap");
		SH_ASSERT(shmem_atomic_fetch_or(&ul[1], 6UL, me) == 0 &&
			  shmem_atomic_fetch_and(ctx, &ul[1], 3UL, me) == 6 &&
			  ul[1] == 2, "bitwise");
		SH_ASSERT(shmem_test(&i32[2], SHMEM_CMP_EQ, 5), "test");
		shmem_wait_until(&ll[2], SHMEM_CMP_LT, 0LL);
		SH_ASSERT(shmem_finc(&i32[2], me) == 5 && shmem_fadd(&ll[2], 1LL, me) == -9,
			  "deprecated generics");
	}
	shmem_barrier_all();
	{
		int *src = shmem_malloc(sizeof(int)), *dst = shmem_malloc(sizeof(int));

		*src = me + 1;
		SH_ASSERT(shmem_sum_reduce(SHMEM_TEAM_WORLD, dst, src, 1) == 0 &&
			  *dst == n * (n + 1) / 2, "generic sum_reduce");
		SH_ASSERT(shmem_broadcast(SHMEM_TEAM_WORLD, dst, src, 1, 0) == 0 &&
			  *dst == 1, "generic broadcast");
		shmem_free(dst);
		shmem_free(src);
	}
	/* shmem_sync: the 1.5 team form and the deprecated active-set form. */
	SH_ASSERT(shmem_sync(SHMEM_TEAM_WORLD) == 0, "shmem_sync(team)");
	{
		static long psync[SHMEM_BARRIER_SYNC_SIZE];

		shmem_sync(0, 0, n, psync);
	}
	shmem_ctx_destroy(ctx);
	shmem_free(ld);
	shmem_free(f);
	shmem_free(ul);
	shmem_free(ll);
	shmem_free(i32);
	shmem_free(s);
	shmem_free(c);
	return sh_test_done("shmem generic");
}
