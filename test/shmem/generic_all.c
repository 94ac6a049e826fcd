/* SPDX-License-Identifier: MIT */
/* Every C11 type-generic name with every type its table lists (char,
 * signed/unsigned char, long double and complex included; fixed-width
 * typedefs too): each call must compile and pick the routine of its
 * type. A sentinel after each target shows a routine of the wrong width
 * (it would move too many or too few bytes). */
#include <complex.h>
#include <stdint.h>
#include <string.h>

#include "sh_test.h"

static void *sym, *sym2;
static shmem_ctx_t ctx;

/* RMA and broadcast: PE p's right neighbour receives. */
#define RMA(T)                                                              \
	do {                                                                \
		T *a = sym, loc[3] = { 0 }, src[3] = { (T)1, (T)2, (T)3 };  \
		const T *ca = a;                                            \
		int me = shmem_my_pe(), n = shmem_n_pes();                  \
		int r = (me + 1) % n;                                       \
                                                                            \
		for (int i = 0; i < 12; i++)                                \
			a[i] = (T)9;                                        \
		shmem_barrier_all();                                        \
		shmem_put(a, src, 2, r);                                    \
		shmem_p(&a[2], (T)4, r);                                    \
		shmem_put_nbi(ctx, &a[3], src, 1, r);                       \
		shmem_iput(&a[4], src, 2, 2, 2, r);                         \
		shmem_p(ctx, &a[8], (T)5, r);                               \
		shmem_quiet();                                              \
		shmem_ctx_quiet(ctx);                                       \
		shmem_barrier_all();                                        \
		SH_ASSERT(a[0] == (T)1 && a[1] == (T)2 && a[2] == (T)4 &&   \
			  a[3] == (T)1 && a[4] == (T)1 && a[5] == (T)9 &&   \
			  a[6] == (T)3 && a[7] == (T)9 && a[8] == (T)5 &&   \
			  a[9] == (T)9, #T " puts");                        \
		shmem_get(loc, a, 2, r);                                    \
		SH_ASSERT(loc[0] == (T)1 && loc[1] == (T)2 && loc[2] == 0,  \
			  #T " get");                                       \
		SH_ASSERT(shmem_g(ca + 2, r) == (T)4 &&                     \
			  shmem_g(ctx, &a[8], r) == (T)5, #T " g");         \
		shmem_iget(loc, &a[4], 2, 2, 1, r);                         \
		SH_ASSERT(loc[0] == (T)1 && loc[2] == 0, #T " iget");       \
		shmem_get_nbi(ctx, loc, &a[6], 1, r);                       \
		shmem_ctx_quiet(ctx);                                       \
		SH_ASSERT(loc[0] == (T)3 && loc[1] == (T)2, #T " get_nbi"); \
		a[12] = (T)1;	/* a symmetric source */                    \
		shmem_barrier_all();                                        \
		SH_ASSERT(shmem_broadcast(SHMEM_TEAM_WORLD, &a[10], &a[12], \
					  1, n - 1) == 0 &&                 \
			  a[10] == (T)1 && a[11] == (T)9, #T " broadcast"); \
		shmem_barrier_all();                                        \
	} while (0)

/* Sum and max reductions (the arithmetic table). */
#define ARITH(T)                                                            \
	do {                                                                \
		T *s = sym, *d = sym2;                                      \
		int n = shmem_n_pes();                                      \
                                                                            \
		s[0] = (T)1;                                                \
		s[1] = (T)2;                                                \
		d[2] = (T)7;                                                \
		shmem_barrier_all();                                        \
		SH_ASSERT(shmem_sum_reduce(SHMEM_TEAM_WORLD, d, s, 2) == 0, \
			  #T);                                              \
		SH_ASSERT(d[0] == (T)n && d[1] == (T)(2 * n) &&             \
			  d[2] == (T)7, #T " sum_reduce");                  \
		shmem_barrier_all();                                        \
	} while (0)
#define MINMAX(T)                                                           \
	do {                                                                \
		T *s = sym, *d = sym2;                                      \
		int me = shmem_my_pe(), n = shmem_n_pes();                  \
                                                                            \
		s[0] = (T)(me + 1);                                         \
		d[1] = (T)7;                                                \
		shmem_barrier_all();                                        \
		SH_ASSERT(shmem_max_reduce(SHMEM_TEAM_WORLD, d, s, 1) == 0, \
			  #T);                                              \
		SH_ASSERT(d[0] == (T)n && d[1] == (T)7, #T " max_reduce");  \
		shmem_barrier_all();                                        \
		SH_ASSERT(shmem_min_reduce(SHMEM_TEAM_WORLD, d, s, 1) == 0, \
			  #T);                                              \
		SH_ASSERT(d[0] == (T)1 && d[1] == (T)7, #T " min_reduce");  \
		ARITH(T);                                                   \
	} while (0)
#define BITRED(T)                                                           \
	do {                                                                \
		T *s = sym, *d = sym2;                                      \
		int me = shmem_my_pe(), n = shmem_n_pes();                  \
                                                                            \
		s[0] = (T)(1 << (me % 7));                                  \
		d[1] = (T)7;                                                \
		shmem_barrier_all();                                        \
		SH_ASSERT(shmem_or_reduce(SHMEM_TEAM_WORLD, d, s, 1) == 0,  \
			  #T);                                              \
		SH_ASSERT(n > 7 || (d[0] == (T)((1 << n) - 1) &&            \
				    d[1] == (T)7), #T " or_reduce");        \
		shmem_barrier_all();                                        \
		SH_ASSERT(shmem_and_reduce(SHMEM_TEAM_WORLD, d, s, 1) == 0, \
			  #T);                                              \
		SH_ASSERT(n == 1 || d[0] == 0, #T " and_reduce");           \
		SH_ASSERT(shmem_xor_reduce(SHMEM_TEAM_WORLD, d, s, 1) == 0, \
			  #T);                                              \
		shmem_barrier_all();                                        \
	} while (0)

/* Atomics on PE 0 with a sentinel after the target. */
#define EXT_AMO(T)                                                          \
	do {                                                                \
		T *a = sym, f = 0;                                          \
		const T *ca = a;                                            \
		int me = shmem_my_pe();                                     \
                                                                            \
		a[0] = 0;                                                   \
		a[1] = (T)9;                                                \
		shmem_barrier_all();                                        \
		if (me == 0) {                                              \
			shmem_atomic_set(a, (T)3, 0);                       \
			SH_ASSERT(shmem_atomic_fetch(ca, 0) == (T)3, #T);   \
			SH_ASSERT(shmem_atomic_swap(ctx, a, (T)4, 0) == (T)3, \
				  #T " swap");                              \
			shmem_atomic_swap_nbi(&f, a, (T)5, 0);              \
			shmem_atomic_fetch_nbi(ctx, &f, a, 0);              \
			shmem_quiet();                                      \
			shmem_ctx_quiet(ctx);                               \
			SH_ASSERT(f == (T)5 && a[0] == (T)5 && a[1] == (T)9, \
				  #T " ext amo");                           \
		}                                                           \
		shmem_barrier_all();                                        \
	} while (0)
#define STD_AMO(T)                                                          \
	do {                                                                \
		T *a = sym, f = 0;                                          \
		int n = shmem_n_pes();                                      \
                                                                            \
		EXT_AMO(T);                                                 \
		a[0] = 0;                                                   \
		shmem_barrier_all();                                        \
		shmem_atomic_add(a, (T)2, 0);                               \
		shmem_atomic_inc(ctx, a, 0);                                \
		(void)shmem_atomic_fetch_add(a, (T)1, 0);                   \
		(void)shmem_atomic_fetch_inc(ctx, a, 0);                    \
		shmem_atomic_fetch_add_nbi(&f, a, (T)1, 0);                 \
		shmem_atomic_fetch_inc_nbi(&f, a, 0);                       \
		shmem_quiet();                                              \
		(void)shmem_atomic_compare_swap(a, (T)0, (T)1, 0);          \
		shmem_atomic_compare_swap_nbi(&f, a, (T)0, (T)1, 0);        \
		shmem_quiet();                                              \
		shmem_barrier_all();                                        \
		if (shmem_my_pe() == 0)                                     \
			SH_ASSERT(a[0] == (T)(7 * n) && a[1] == (T)9,       \
				  #T " std amo %lld", (long long)a[0]);     \
		shmem_barrier_all();                                        \
	} while (0)
#define BIT_AMO(T)                                                          \
	do {                                                                \
		T *a = sym, f = 0;                                          \
		int me = shmem_my_pe(), n = shmem_n_pes();                  \
                                                                            \
		a[0] = 0;                                                   \
		a[1] = (T)9;                                                \
		shmem_barrier_all();                                        \
		shmem_atomic_or(a, (T)(1u << (me % 16)), 0);                \
		(void)shmem_atomic_fetch_or(ctx, a, (T)(1u << 20), 0);      \
		shmem_atomic_fetch_xor_nbi(&f, a, (T)0, 0);                 \
		shmem_atomic_xor(ctx, a, (T)0, 0);                          \
		shmem_atomic_and(a, (T)~(T)0, 0);                           \
		(void)shmem_atomic_fetch_and(a, (T)~(T)0, 0);               \
		shmem_atomic_fetch_and_nbi(&f, a, (T)~(T)0, 0);             \
		shmem_atomic_fetch_or_nbi(ctx, &f, a, (T)0, 0);             \
		(void)shmem_atomic_fetch_xor(a, (T)0, 0);                   \
		shmem_quiet();                                              \
		shmem_ctx_quiet(ctx);                                       \
		shmem_barrier_all();                                        \
		if (me == 0 && n <= 16)                                     \
			SH_ASSERT(a[0] == (T)((1u << n) - 1 + (1u << 20)) && \
				  a[1] == (T)9, #T " bit amo");             \
		shmem_barrier_all();                                        \
	} while (0)

/* wait_until/test on each point-to-point type. */
#define SYNC(T)                                                             \
	do {                                                                \
		T *a = sym;                                                 \
		int me = shmem_my_pe(), n = shmem_n_pes();                  \
                                                                            \
		a[0] = 0;                                                   \
		shmem_barrier_all();                                        \
		shmem_p(&a[0], (T)(me + 1), (me + 1) % n);                  \
		shmem_wait_until(&a[0], SHMEM_CMP_NE, (T)0);                \
		SH_ASSERT(shmem_test(&a[0], SHMEM_CMP_EQ,                   \
				     (T)((me + n - 1) % n + 1)), #T " test"); \
		SH_ASSERT(shmem_test_any(a, 1, NULL, SHMEM_CMP_GT, (T)0) == 0, \
			  #T " test_any");                                  \
		shmem_barrier_all();                                        \
	} while (0)

int main(void)
{
	shmem_init();
	sym = shmem_calloc(32, 16);
	sym2 = shmem_calloc(32, 16);
	SH_ASSERT(sym && sym2, "alloc");
	SH_ASSERT(shmem_ctx_create(0, &ctx) == 0, "ctx");

	RMA(float); RMA(double); RMA(long double); RMA(char);
	RMA(signed char); RMA(short); RMA(int); RMA(long); RMA(long long);
	RMA(unsigned char); RMA(unsigned short); RMA(unsigned int);
	RMA(unsigned long); RMA(unsigned long long);
	RMA(int8_t); RMA(uint16_t); RMA(int32_t); RMA(uint64_t);
	RMA(size_t); RMA(ptrdiff_t);

	MINMAX(char); MINMAX(signed char); MINMAX(short); MINMAX(int);
	MINMAX(long); MINMAX(long long); MINMAX(unsigned char);
	MINMAX(unsigned short); MINMAX(unsigned int); MINMAX(unsigned long);
	MINMAX(unsigned long long); MINMAX(float); MINMAX(double);
	MINMAX(long double); MINMAX(int16_t); MINMAX(uint32_t);
	MINMAX(size_t); MINMAX(ptrdiff_t);
	ARITH(double _Complex); ARITH(float _Complex);

	BITRED(unsigned char); BITRED(unsigned short); BITRED(unsigned int);
	BITRED(unsigned long); BITRED(unsigned long long); BITRED(int8_t);
	BITRED(int16_t); BITRED(int32_t); BITRED(int64_t); BITRED(uint8_t);
	BITRED(uint16_t); BITRED(uint32_t); BITRED(uint64_t); BITRED(size_t);

	EXT_AMO(float); EXT_AMO(double);
	STD_AMO(int); STD_AMO(long); STD_AMO(long long);
	STD_AMO(unsigned int); STD_AMO(unsigned long);
	STD_AMO(unsigned long long); STD_AMO(int32_t); STD_AMO(int64_t);
	STD_AMO(uint32_t); STD_AMO(uint64_t); STD_AMO(size_t);
	STD_AMO(ptrdiff_t);
	BIT_AMO(unsigned int); BIT_AMO(unsigned long);
	BIT_AMO(unsigned long long); BIT_AMO(int32_t); BIT_AMO(int64_t);
	BIT_AMO(uint32_t); BIT_AMO(uint64_t);

	SYNC(short); SYNC(int); SYNC(long); SYNC(long long);
	SYNC(unsigned short); SYNC(unsigned int); SYNC(unsigned long);
	SYNC(unsigned long long); SYNC(int32_t); SYNC(int64_t);
	SYNC(uint32_t); SYNC(uint64_t); SYNC(size_t); SYNC(ptrdiff_t);

	shmem_ctx_destroy(ctx);
	shmem_barrier_all();
	shmem_free(sym2);
	shmem_free(sym);
	return sh_test_done("shmem generic_all");
}
