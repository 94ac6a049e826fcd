/* SPDX-License-Identifier: MIT */
/* Atomics: standard (fetch_add, add, fetch_inc, inc, compare_swap),
 * extended (fetch, set, swap on integers, float and double), bitwise,
 * nbi forms, the ctx forms and the deprecated names; every PE hits every
 * PE at once, and the totals must come out exact. */
#include "sh_test.h"

#define ROUNDS 50

int main(void)
{
	int me, n;
	long *lc;
	int *ic;
	unsigned long long *uc;
	uint32_t *bits;
	uint64_t *bits64;
	double *dv;
	float *fv;
	int *winner;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	lc = shmem_calloc(4, sizeof(long));
	ic = shmem_calloc(4, sizeof(int));
	uc = shmem_calloc(2, sizeof(unsigned long long));
	bits = shmem_calloc(2, sizeof(uint32_t));
	bits64 = shmem_calloc(1, sizeof(uint64_t));
	dv = shmem_calloc(2, sizeof(double));
	fv = shmem_calloc(2, sizeof(float));
	winner = shmem_calloc(1, sizeof(int));
	SH_ASSERT(lc && ic && uc && bits && bits64 && dv && fv && winner, "alloc");

	/* Contended counters on every PE; fetched values never repeat. */
	for (int r = 0; r < ROUNDS; r++) {
		for (int t = 0; t < n; t++) {
			long old = shmem_long_atomic_fetch_add(&lc[0], 3, t);

			SH_ASSERT(old % 3 == 0 && old < 3L * ROUNDS * n,
				  "fetch_add old %ld", old);
			shmem_int_atomic_inc(&ic[0], t);
			shmem_atomic_add(&uc[0], 5ULL, t);
			(void)shmem_int_atomic_fetch_inc(&ic[1], t);
			shmem_long_fadd(&lc[1], 1, t);	/* deprecated */
			shmem_long_inc(&lc[2], t);
			shmem_int_add(&ic[2], 2, t);
			(void)shmem_int_finc(&ic[3], t);
		}
	}
	shmem_barrier_all();
	SH_ASSERT(lc[0] == 3L * ROUNDS * n, "fetch_add total %ld", lc[0]);
	SH_ASSERT(ic[0] == ROUNDS * n && ic[1] == ROUNDS * n,
		  "inc totals %d %d", ic[0], ic[1]);
	SH_ASSERT(uc[0] == 5ULL * ROUNDS * (unsigned)n, "add total %llu", uc[0]);
	SH_ASSERT(lc[1] == ROUNDS * n && lc[2] == ROUNDS * n &&
		  ic[2] == 2 * ROUNDS * n && ic[3] == ROUNDS * n,
		  "deprecated totals");
	shmem_barrier_all();

	/* compare_swap: exactly one PE wins PE 0's word. */
	{
		int old = shmem_int_atomic_compare_swap(winner, 0, me + 1, 0);
		int wins = old == 0, total;
		int *w = shmem_calloc(1, sizeof(int));

		shmem_barrier_all();
		shmem_int_atomic_add(w, wins, 0);
		shmem_barrier_all();
		total = shmem_int_g(w, 0);
		SH_ASSERT(total == 1, "%d compare_swap winners", total);
		SH_ASSERT(shmem_int_atomic_fetch(winner, 0) >= 1, "winner id");
		SH_ASSERT(shmem_int_cswap(winner, -5, 7, 0) != -5, "cswap");
		shmem_free(w);
	}
	shmem_barrier_all();

	/* swap: each PE swaps in its id once; what comes out plus what is
	 * left is every id exactly once (with the initial 0 → -1 marker). */
	{
		long *ids = shmem_calloc((size_t)n + 1, sizeof(long));
		long got;

		if (me == 0)
			lc[3] = -1;
		shmem_barrier_all();
		got = shmem_long_atomic_swap(&lc[3], me, 0);
		shmem_long_atomic_add(&ids[got + 1], 1, 0);
		shmem_barrier_all();
		if (me == 0) {
			ids[lc[3] + 1]++;
			for (int i = 0; i <= n; i++)
				SH_ASSERT(ids[i] == 1, "swap id %d seen %ld", i - 1,
					  ids[i]);
		}
		shmem_free(ids);
	}

	/* set/fetch/swap on double and float move exact bit patterns. */
	shmem_double_atomic_set(&dv[0], 1.0 / 3.0 + me, (me + 1) % n);
	shmem_atomic_set(&fv[0], 0.25f + (float)me, (me + 1) % n);
	shmem_barrier_all();
	{
		int from = (me + n - 1) % n;
		double d = shmem_double_atomic_fetch(&dv[0], me);
		float f = shmem_atomic_fetch(&fv[0], me);
		double old = shmem_double_atomic_swap(&dv[0], 2.5, me);

		SH_ASSERT(d == 1.0 / 3.0 + from && old == d, "double %f", d);
		SH_ASSERT(f == 0.25f + (float)from, "float %f", (double)f);
		SH_ASSERT(dv[0] == 2.5, "double swap stored %f", dv[0]);
		SH_ASSERT(shmem_float_swap(&fv[0], 1.5f, me) == f &&
			  fv[0] == 1.5f, "float swap (deprecated)");
	}
	shmem_barrier_all();

	/* Bitwise: each PE owns one bit of every PE's word. */
	for (int t = 0; t < n; t++) {
		shmem_uint32_atomic_or(&bits[0], 1u << me, t);
		(void)shmem_uint64_atomic_fetch_or(bits64, 1ull << (me + 32), t);
		shmem_atomic_xor(&bits[1], 1u << me, t);
	}
	shmem_barrier_all();
	{
		uint32_t all = n >= 32 ? ~0u : (1u << n) - 1;

		SH_ASSERT(bits[0] == all && bits[1] == all, "or/xor %#x %#x",
			  bits[0], bits[1]);
		SH_ASSERT(*bits64 == (uint64_t)all << 32, "64-bit or %#llx",
			  (unsigned long long)*bits64);
	}
	shmem_barrier_all();
	for (int t = 0; t < n; t++)
		shmem_uint32_atomic_and(&bits[0], ~(1u << me), t);
	shmem_barrier_all();
	SH_ASSERT(bits[0] == 0, "and left %#x", bits[0]);
	SH_ASSERT(shmem_uint32_atomic_fetch_xor(&bits[1], 0, me) == bits[1],
		  "fetch_xor 0");
	shmem_barrier_all();

	/* nbi fetching forms: results valid after quiet. */
	{
		long f8[4];
		int f4[2];
		shmem_ctx_t ctx;

		SH_ASSERT(shmem_ctx_create(0, &ctx) == 0, "ctx");
		shmem_long_atomic_fetch_nbi(&f8[0], &lc[0], (me + 1) % n);
		shmem_long_atomic_fetch_add_nbi(&f8[1], &lc[1], 0, (me + 1) % n);
		shmem_ctx_long_atomic_swap_nbi(ctx, &f8[2], &lc[2], lc[2], me);
		shmem_int_atomic_fetch_inc_nbi(&f4[0], &ic[2], me);
		shmem_atomic_compare_swap_nbi(&f4[1], &ic[3], -1, -1, me);
		shmem_uint64_atomic_fetch_and_nbi((uint64_t *)&f8[3], bits64, ~(uint64_t)0, me);
		shmem_quiet();
		shmem_ctx_quiet(ctx);
		SH_ASSERT(f8[0] == 3L * ROUNDS * n && f8[1] == ROUNDS * n &&
			  f8[2] == ROUNDS * n, "nbi fetches %ld %ld %ld",
			  f8[0], f8[1], f8[2]);
		SH_ASSERT(f4[0] == 2 * ROUNDS * n && f4[1] == ROUNDS * n,
			  "nbi 32-bit fetches %d %d", f4[0], f4[1]);
		SH_ASSERT((uint64_t)f8[3] == *bits64, "fetch_and_nbi");
		SH_ASSERT(shmem_ctx_int_atomic_fetch(ctx, &ic[2], me) ==
			  2 * ROUNDS * n + 1, "ctx fetch after fetch_inc_nbi");
		shmem_ctx_destroy(ctx);
	}

	shmem_free(winner);
	shmem_free(fv);
	shmem_free(dv);
	shmem_free(bits64);
	shmem_free(bits);
	shmem_free(uc);
	shmem_free(ic);
	shmem_free(lc);
	return sh_test_done("shmem amo");
}
