/* SPDX-License-Identifier: MIT */
/* Every atomic of every type of the standard, extended and bitwise AMO
 * tables (typed names; blocking, _nbi and ctx_ forms), all PEs hitting
 * PE 0 at once: totals, fetched values that form a permutation, exactly
 * one compare_swap winner: lost or torn updates show. Each PE reports
 * what it fetched into its own slots on PE 0 (ROW k: slot SLOTS+k*n+me). */
#include <stdint.h>
#include <string.h>

#include "sh_test.h"

/* The standard AMO table; the extended one adds float and double. */
#define STD(X)                                                              \
	X(int, int) X(long, long) X(long long, longlong)                    \
	X(unsigned int, uint) X(unsigned long, ulong)                       \
	X(unsigned long long, ulonglong) X(int32_t, int32)                  \
	X(int64_t, int64) X(uint32_t, uint32) X(uint64_t, uint64)           \
	X(size_t, size) X(ptrdiff_t, ptrdiff)
#define EXT(X) X(float, float) X(double, double) STD(X)
#define BIT(X)                                                              \
	X(unsigned int, uint) X(unsigned long, ulong)                       \
	X(unsigned long long, ulonglong) X(int32_t, int32)                  \
	X(int64_t, int64) X(uint32_t, uint32) X(uint64_t, uint64)

#define SLOTS 8
#define ROWS 4
#define ROW(k) (SLOTS + (k) * n)
static void *sym;	/* (SLOTS + ROWS * n) words of 8 bytes */
static shmem_ctx_t ctx;

static void reset(void)
{
	shmem_barrier_all();
	memset(sym, 0, (SLOTS + ROWS * (size_t)shmem_n_pes()) * 8);
	shmem_barrier_all();
}

/* Sum of row k on PE 0, as a double (exact for these small values). */
#define ROWSUM(T, a, k, s)                                                  \
	do {                                                                \
		s = 0;                                                      \
		for (int p_ = 0; p_ < n; p_++)                              \
			s += (double)(a)[ROW(k) + p_];                      \
	} while (0)

/* fetch, set, swap (+nbi, ctx): PE p sets and swaps in p + 1. */
#define CHECK_EXT(T, N)                                                     \
	static void ext_##N(void)                                           \
	{                                                                   \
		T *a = sym, f = 0, g = 0;                                   \
		int me = shmem_my_pe(), n = shmem_n_pes();                  \
		double s;                                                   \
                                                                            \
		reset();                                                    \
		shmem_##N##_atomic_set(&a[ROW(0) + me], (T)(me + 1), 0);    \
		f = shmem_##N##_atomic_swap(&a[0], (T)(me + 1), 0);         \
		shmem_ctx_##N##_atomic_swap_nbi(ctx, &g, &a[1], (T)(me + 1), \
						0);                         \
		shmem_ctx_quiet(ctx);                                       \
		shmem_##N##_p(&a[ROW(1) + me], f, 0);                       \
		shmem_##N##_p(&a[ROW(2) + me], g, 0);                       \
		shmem_barrier_all();                                        \
		if (me == 0) {                                              \
			for (int p = 0; p < n; p++)                         \
				SH_ASSERT(shmem_##N##_atomic_fetch(         \
					  &a[ROW(0) + p], 0) == (T)(p + 1), \
					  #N " set/fetch %d", p);           \
			/* fetched + final = 0 + 1 + .. + n */              \
			ROWSUM(T, a, 1, s);                                 \
			SH_ASSERT(s + (double)a[0] == n * (n + 1) / 2.0,    \
				  #N " swap: %g", s);                       \
			ROWSUM(T, a, 2, s);                                 \
			SH_ASSERT(s + (double)a[1] == n * (n + 1) / 2.0,    \
				  #N " swap_nbi: %g", s);                   \
		}                                                           \
		shmem_##N##_atomic_fetch_nbi(&f, &a[ROW(0) + n - 1], 0);    \
		shmem_quiet();                                              \
		SH_ASSERT(f == (T)n, #N " fetch_nbi");                      \
		SH_ASSERT(shmem_ctx_##N##_atomic_fetch(ctx, &a[ROW(0)], 0)  \
			  == (T)1, #N " ctx fetch");                        \
	}
EXT(CHECK_EXT)

/* add, inc, fetch_add, fetch_inc (+nbi), compare_swap (+nbi). */
#define CHECK_STD(T, N)                                                     \
	static void std_##N(void)                                           \
	{                                                                   \
		T *a = sym, f = 0, g = 0, c;                                \
		int me = shmem_my_pe(), n = shmem_n_pes();                  \
		double s;                                                   \
                                                                            \
		reset();                                                    \
		shmem_##N##_atomic_add(&a[0], (T)2, 0);                     \
		shmem_##N##_atomic_inc(&a[0], 0);                           \
		shmem_ctx_##N##_atomic_add(ctx, &a[0], (T)5, 0);            \
		shmem_ctx_##N##_atomic_inc(ctx, &a[0], 0);                  \
		f = shmem_##N##_atomic_fetch_inc(&a[1], 0);                 \
		shmem_##N##_atomic_fetch_add_nbi(&g, &a[2], (T)3, 0);       \
		c = shmem_##N##_atomic_compare_swap(&a[3], (T)0, (T)(me + 1), \
						     0);                    \
		shmem_quiet();                                              \
		shmem_##N##_p(&a[ROW(0) + me], f, 0);                       \
		shmem_##N##_p(&a[ROW(1) + me], g, 0);                       \
		shmem_##N##_p(&a[ROW(2) + me], c, 0);                       \
		shmem_ctx_##N##_atomic_fetch_inc_nbi(ctx, &f, &a[4], 0);    \
		shmem_ctx_##N##_atomic_compare_swap_nbi(ctx, &g, &a[5],     \
							(T)0, (T)(me + 1), 0); \
		shmem_ctx_quiet(ctx);                                       \
		shmem_##N##_p(&a[ROW(3) + me], f, 0);                       \
		c = shmem_##N##_atomic_fetch_add(&a[6], (T)(me + 1), 0);    \
		(void)c;                                                    \
		shmem_barrier_all();                                        \
		if (me != 0)                                                \
			return;                                             \
		SH_ASSERT(a[0] == (T)(9 * n), #N " add/inc");               \
		SH_ASSERT(a[1] == (T)n && a[4] == (T)n, #N " fetch_inc");   \
		SH_ASSERT(a[2] == (T)(3 * n), #N " fetch_add_nbi");         \
		SH_ASSERT(a[6] == (T)(n * (n + 1) / 2), #N " fetch_add");   \
		/* fetch_inc gave 0 .. n-1, each once */                    \
		ROWSUM(T, a, 0, s);                                         \
		SH_ASSERT(s == n * (n - 1) / 2.0, #N " fetch_inc values");  \
		ROWSUM(T, a, 3, s);                                         \
		SH_ASSERT(s == n * (n - 1) / 2.0, #N " fetch_inc_nbi values"); \
		ROWSUM(T, a, 1, s);                                         \
		SH_ASSERT(s == 3.0 * n * (n - 1) / 2.0, #N " fetch_add_nbi"); \
		/* one winner saw 0; the others saw its value */            \
		SH_ASSERT(a[3] >= (T)1 && a[3] <= (T)n, #N " cswap final"); \
		ROWSUM(T, a, 2, s);                                         \
		SH_ASSERT(s == (double)a[3] * (n - 1), #N " cswap seen");   \
		SH_ASSERT(a[5] >= (T)1 && a[5] <= (T)n, #N " cswap_nbi");   \
	}
STD(CHECK_STD)

/* and/or/xor (+fetch, +nbi): PE p owns bit p % 32. */
#define CHECK_BIT(T, N)                                                     \
	static void bit_##N(void)                                           \
	{                                                                   \
		T *a = sym, f = 0, g = 0, mask = 0, bit;                    \
		int me = shmem_my_pe(), n = shmem_n_pes();                  \
                                                                            \
		reset();                                                    \
		if (me == 0)                                                \
			a[1] = a[4] = (T)~(T)0;                             \
		shmem_barrier_all();                                        \
		bit = (T)((T)1 << (me % 32));                               \
		shmem_##N##_atomic_or(&a[0], bit, 0);                       \
		shmem_##N##_atomic_and(&a[1], (T)~bit, 0);                  \
		shmem_##N##_atomic_xor(&a[2], bit, 0);                      \
		f = shmem_##N##_atomic_fetch_or(&a[3], bit, 0);             \
		shmem_ctx_##N##_atomic_fetch_and_nbi(ctx, &g, &a[4],        \
						     (T)~bit, 0);           \
		shmem_ctx_quiet(ctx);                                       \
		SH_ASSERT(n > 32 || (!(f & bit) && (g & bit)), #N " fetched"); \
		f = shmem_ctx_##N##_atomic_fetch_xor(ctx, &a[5], bit, 0);   \
		shmem_##N##_atomic_fetch_xor_nbi(&g, &a[6], bit, 0);        \
		shmem_##N##_atomic_fetch_and(&a[7], bit, 0);                \
		shmem_quiet();                                              \
		SH_ASSERT(n > 32 || (!(f & bit) && !(g & bit)), #N " xor"); \
		shmem_barrier_all();                                        \
		if (me != 0)                                                \
			return;                                             \
		for (int p = 0; p < n; p++)                                 \
			mask |= (T)((T)1 << (p % 32));                      \
		SH_ASSERT(a[0] == mask && a[3] == mask, #N " or");          \
		SH_ASSERT(a[1] == (T)~mask && a[4] == (T)~mask, #N " and"); \
		SH_ASSERT(a[7] == 0, #N " and of 0");                       \
		if (n <= 32)                                                \
			SH_ASSERT(a[2] == mask && a[5] == mask &&           \
				  a[6] == mask, #N " xor");                 \
	}
BIT(CHECK_BIT)

#define CALL_EXT(T, N) ext_##N();
#define CALL_STD(T, N) std_##N();
#define CALL_BIT(T, N) bit_##N();

int main(void)
{
	shmem_init();
	sym = shmem_malloc((SLOTS + ROWS * (size_t)shmem_n_pes()) * 8);
	SH_ASSERT(sym, "alloc");
	SH_ASSERT(shmem_ctx_create(SHMEM_CTX_PRIVATE, &ctx) == 0, "ctx");
	EXT(CALL_EXT)
	STD(CALL_STD)
	BIT(CALL_BIT)
	shmem_ctx_destroy(ctx);
	shmem_barrier_all();
	shmem_free(sym);
	return sh_test_done("shmem amo_types");
}
