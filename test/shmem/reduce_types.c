/* SPDX-License-Identifier: MIT */
/* Team reductions for every type of the specification's reduction
 * table (typed names), in place (dest == source) as well, on the world
 * and on a sub-team; complex sum and product. Each result is checked
 * element by element against the value computed here. */
#include <complex.h>
#include <stdint.h>
#include <string.h>

#include "sh_test.h"

#define NR 3

/* T, typed name: min/max/sum/prod types (the arithmetic table). */
#define ARITH(X)                                                            \
	X(char, char) X(signed char, schar) X(short, short) X(int, int)     \
	X(long, long) X(long long, longlong) X(ptrdiff_t, ptrdiff)          \
	X(unsigned char, uchar) X(unsigned short, ushort)                   \
	X(unsigned int, uint) X(unsigned long, ulong)                       \
	X(unsigned long long, ulonglong) X(int8_t, int8) X(int16_t, int16)  \
	X(int32_t, int32) X(int64_t, int64) X(uint8_t, uint8)               \
	X(uint16_t, uint16) X(uint32_t, uint32) X(uint64_t, uint64)         \
	X(size_t, size) X(float, float) X(double, double)                   \
	X(long double, longdouble)
/* The bitwise table. */
#define BITS(X)                                                             \
	X(unsigned char, uchar) X(unsigned short, ushort)                   \
	X(unsigned int, uint) X(unsigned long, ulong)                       \
	X(unsigned long long, ulonglong) X(int8_t, int8) X(int16_t, int16)  \
	X(int32_t, int32) X(int64_t, int64) X(uint8_t, uint8)               \
	X(uint16_t, uint16) X(uint32_t, uint32) X(uint64_t, uint64)         \
	X(size_t, size)

static void *src, *dst;

/* A sync first: the buffers were just refilled or read here. */
#define RED(team, call)                                                     \
	do {                                                                \
		shmem_team_sync(team);                                      \
		SH_ASSERT((call) == 0, #call);                              \
	} while (0)

/* Values of PE p, element i: small so every product fits a char. */
static int val(int p, int i)
{
	return 1 + (p + i) % 3;
}

#define CHECK_ARITH(T, N)                                                   \
	static void arith_##N(shmem_team_t team)                            \
	{                                                                   \
		T *s = src, *d = dst;                                       \
		int tn = shmem_team_n_pes(team), me = shmem_team_my_pe(team); \
		long mn, mx, sum, prod;                                     \
                                                                            \
		for (int i = 0; i < NR; i++)                                \
			s[i] = (T)val(me, i);                               \
		RED(team, shmem_##N##_min_reduce(team, d, s, NR));          \
		for (int i = 0; i < NR; i++) {                              \
			mn = 99;                                            \
			for (int p = 0; p < tn; p++)                        \
				mn = val(p, i) < mn ? val(p, i) : mn;       \
			SH_ASSERT(d[i] == (T)mn, #N " min %d", i);          \
		}                                                           \
		RED(team, shmem_##N##_max_reduce(team, d, s, NR));          \
		for (int i = 0; i < NR; i++) {                              \
			mx = 0;                                             \
			for (int p = 0; p < tn; p++)                        \
				mx = val(p, i) > mx ? val(p, i) : mx;       \
			SH_ASSERT(d[i] == (T)mx, #N " max %d", i);          \
		}                                                           \
		RED(team, shmem_##N##_sum_reduce(team, d, s, NR));          \
		for (int i = 0; i < NR; i++) {                              \
			sum = 0;                                            \
			for (int p = 0; p < tn; p++)                        \
				sum += val(p, i);                           \
			SH_ASSERT(d[i] == (T)sum, #N " sum %d", i);         \
		}                                                           \
		/* In place: dest and source the same array. */             \
		RED(team, shmem_##N##_prod_reduce(team, s, s, NR));         \
		for (int i = 0; i < NR; i++) {                              \
			prod = 1;                                           \
			for (int p = 0; p < tn; p++)                        \
				prod *= val(p, i);                          \
			SH_ASSERT(s[i] == (T)prod, #N " prod %d", i);       \
		}                                                           \
	}
ARITH(CHECK_ARITH)

#define CHECK_BITS(T, N)                                                    \
	static void bits_##N(shmem_team_t team)                             \
	{                                                                   \
		T *s = src, *d = dst;                                       \
		int tn = shmem_team_n_pes(team), me = shmem_team_my_pe(team); \
		unsigned long a, o, x;                                      \
                                                                            \
		for (int i = 0; i < NR; i++)                                \
			s[i] = (T)(0x70 | (1u << ((me + i) % 4)));          \
		RED(team, shmem_##N##_and_reduce(team, d, s, NR));          \
		for (int i = 0; i < NR; i++) {                              \
			a = ~0ul;                                           \
			for (int p = 0; p < tn; p++)                        \
				a &= 0x70 | (1u << ((p + i) % 4));          \
			SH_ASSERT(d[i] == (T)a, #N " and %d", i);           \
		}                                                           \
		RED(team, shmem_##N##_or_reduce(team, d, s, NR));           \
		for (int i = 0; i < NR; i++) {                              \
			o = 0;                                              \
			for (int p = 0; p < tn; p++)                        \
				o |= 0x70 | (1u << ((p + i) % 4));          \
			SH_ASSERT(d[i] == (T)o, #N " or %d", i);            \
		}                                                           \
		RED(team, shmem_##N##_xor_reduce(team, s, s, NR));          \
		for (int i = 0; i < NR; i++) {                              \
			x = 0;                                              \
			for (int p = 0; p < tn; p++)                        \
				x ^= 0x70 | (1u << ((p + i) % 4));          \
			SH_ASSERT(s[i] == (T)x, #N " xor %d", i);           \
		}                                                           \
	}
BITS(CHECK_BITS)

#define CALL(T, N) arith_##N(team);
#define CALLB(T, N) bits_##N(team);

static void complexes(shmem_team_t team)
{
	double _Complex *s = src, *d = dst;
	float _Complex *fs = src, *fd = dst;
	int tn = shmem_team_n_pes(team), me = shmem_team_my_pe(team);
	double _Complex want = 1;

	s[0] = (double)me + 1.0 * I;
	shmem_team_sync(team);
	SH_ASSERT(shmem_complexd_sum_reduce(team, d, s, 1) == 0, "cd sum");
	SH_ASSERT(creal(d[0]) == tn * (tn - 1) / 2.0 && cimag(d[0]) == tn,
		  "complexd sum");
	shmem_team_sync(team);
	SH_ASSERT(shmem_complexd_prod_reduce(team, d, s, 1) == 0, "cd prod");
	for (int p = 0; p < tn; p++)
		want *= (double)p + 1.0 * I;
	SH_ASSERT(creal(d[0]) == creal(want) && cimag(d[0]) == cimag(want),
		  "complexd prod");
	fs[0] = 1.0f + (float)me * I;
	fs[1] = 2.0f;
	shmem_team_sync(team);
	SH_ASSERT(shmem_complexf_prod_reduce(team, fd, fs, 2) == 0, "cf prod");
	{
		float _Complex w = 1;

		for (int p = 0; p < tn; p++)
			w *= 1.0f + (float)p * I;
		SH_ASSERT(crealf(fd[0]) == crealf(w) &&
			  cimagf(fd[0]) == cimagf(w), "complexf prod");
		SH_ASSERT(crealf(fd[1]) == (float)(1 << tn) &&
			  cimagf(fd[1]) == 0,
			  "complexf prod [1]");
	}
	shmem_team_sync(team);
	SH_ASSERT(shmem_complexf_sum_reduce(team, fd, fs, 2) == 0, "cf sum");
	SH_ASSERT(crealf(fd[0]) == (float)tn && crealf(fd[1]) == 2.0f * tn,
		  "complexf sum");
}

static void all_types(shmem_team_t team)
{
	ARITH(CALL)
	BITS(CALLB)
	complexes(team);
}

int main(void)
{
	int me, n;
	shmem_team_t odd;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	src = shmem_calloc(NR, sizeof(long double) * 2);
	dst = shmem_calloc(NR, sizeof(long double) * 2);
	SH_ASSERT(src && dst, "alloc");
	all_types(SHMEM_TEAM_WORLD);
	/* The odd PEs (team-relative values). */
	if (n >= 2) {
		SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_WORLD, 1, 2,
						   n / 2, NULL, 0, &odd) == 0,
			  "split");
		if (me % 2) {
			all_types(odd);
			shmem_team_destroy(odd);
		}
	}
	shmem_barrier_all();
	shmem_free(dst);
	shmem_free(src);
	return sh_test_done("shmem reduce_types");
}
