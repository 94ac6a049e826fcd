/* SPDX-License-Identifier: MIT */
/* Shared by the collectives tests: typed element access, the reference
 * reduction each rank computes on its own, and the split team they all
 * use besides the world (members 0 .. n-2: sizes 1, 2, 3, 7 at 2, 3, 4, 8
 * ranks, so non-powers of two, and the last rank is a non-member). */
#ifndef T_COLL_UTIL_H
#define T_COLL_UTIL_H

#include <string.h>

#include "t_helpers.h"

static inline int t_is_float(enum zc_dtype t)
{
	return t >= ZC_FLOAT;
}

static inline int t_is_signed(enum zc_dtype t)
{
	return t <= ZC_INT64;
}

/* Store v (an integer, or a float value when the type is one). */
static inline void t_set(enum zc_dtype t, void *buf, size_t i, long double v)
{
	switch (t) {
	case ZC_INT8: ((int8_t *)buf)[i] = (int8_t)(int64_t)v; break;
	case ZC_INT16: ((int16_t *)buf)[i] = (int16_t)(int64_t)v; break;
	case ZC_INT32: ((int32_t *)buf)[i] = (int32_t)(int64_t)v; break;
	case ZC_INT64: ((int64_t *)buf)[i] = (int64_t)v; break;
	case ZC_UINT8: ((uint8_t *)buf)[i] = (uint8_t)(int64_t)v; break;
	case ZC_UINT16: ((uint16_t *)buf)[i] = (uint16_t)(int64_t)v; break;
	case ZC_UINT32: ((uint32_t *)buf)[i] = (uint32_t)(int64_t)v; break;
	case ZC_UINT64: ((uint64_t *)buf)[i] = (uint64_t)(int64_t)v; break;
	case ZC_FLOAT: ((float *)buf)[i] = (float)v; break;
	case ZC_DOUBLE: ((double *)buf)[i] = (double)v; break;
	default: ((long double *)buf)[i] = v; break;
	}
}

/* Integers come back as raw 64-bit patterns (sign- or zero-extended). */
static inline uint64_t t_geti(enum zc_dtype t, const void *buf, size_t i)
{
	switch (t) {
	case ZC_INT8: return (uint64_t)(int64_t)((const int8_t *)buf)[i];
	case ZC_INT16: return (uint64_t)(int64_t)((const int16_t *)buf)[i];
	case ZC_INT32: return (uint64_t)(int64_t)((const int32_t *)buf)[i];
	case ZC_INT64: return (uint64_t)((const int64_t *)buf)[i];
	case ZC_UINT8: return ((const uint8_t *)buf)[i];
	case ZC_UINT16: return ((const uint16_t *)buf)[i];
	case ZC_UINT32: return ((const uint32_t *)buf)[i];
	default: return ((const uint64_t *)buf)[i];
	}
}

static inline long double t_getf(enum zc_dtype t, const void *buf, size_t i)
{
	switch (t) {
	case ZC_FLOAT: return ((const float *)buf)[i];
	case ZC_DOUBLE: return ((const double *)buf)[i];
	default: return ((const long double *)buf)[i];
	}
}

/* Rank r's input element i for (type, op): floats stay exactly
 * representable whatever the order of the operations. */
static inline long double t_input(enum zc_dtype t, enum zc_op op, int r,
				  size_t i)
{
	static const long double pf[4] = { 1, 2, -1, 0.5 };
	uint64_t h = (uint64_t)i * 0x9E3779B97F4A7C15ull ^
		     (uint64_t)(r + 1) * 0xC2B2AE3D27D4EB4Full;

	if (t_is_float(t)) {
		if (op == ZC_OP_PROD)
			return pf[(i + (size_t)r) % 4];
		return (long double)((int)((i * 7 + (size_t)r * 13) % 201) - 100);
	}
	if (op == ZC_OP_PROD)
		return (long double)((i + (size_t)r) % 5 + 1);
	if (op >= ZC_OP_AND)
		return (long double)(int64_t)(h >> 9);
	return (long double)(int64_t)((i * 31 + (size_t)r * 17) % 509) - 254;
}

static inline void t_fill(enum zc_dtype t, enum zc_op op, int r, void *buf,
			  size_t base, size_t count)
{
	for (size_t i = 0; i < count; i++)
		t_set(t, buf, i, t_input(t, op, r, base + i));
}

/* What element i of the reduction over members with world-independent
 * indices 0..n-1 must be, computed from their inputs as stored. */
static inline int t_expect_ok(enum zc_dtype t, enum zc_op op, int n,
			      const void *got, size_t i, size_t base)
{
	unsigned char e[16], in[16];

	if (t_is_float(t)) {
		long double acc = 0;

		for (int r = 0; r < n; r++) {
			long double v;

			t_set(t, in, 0, t_input(t, op, r, base + i));
			v = t_getf(t, in, 0);
			if (r == 0)
				acc = v;
			else if (op == ZC_OP_SUM)
				acc += v;
			else if (op == ZC_OP_PROD)
				acc *= v;
			else if (op == ZC_OP_MIN)
				acc = v < acc ? v : acc;
			else
				acc = v > acc ? v : acc;
		}
		t_set(t, e, 0, acc);
		return t_getf(t, e, 0) == t_getf(t, got, i);
	} else {
		uint64_t acc = 0;

		for (int r = 0; r < n; r++) {
			uint64_t v;

			t_set(t, in, 0, t_input(t, op, r, base + i));
			v = t_geti(t, in, 0);
			if (r == 0) {
				acc = v;
				continue;
			}
			switch (op) {
			case ZC_OP_SUM: acc += v; break;
			case ZC_OP_PROD: acc *= v; break;
			case ZC_OP_MIN:
				if (t_is_signed(t) ? (int64_t)v < (int64_t)acc
						   : v < acc)
					acc = v;
				break;
			case ZC_OP_MAX:
				if (t_is_signed(t) ? (int64_t)v > (int64_t)acc
						   : v > acc)
					acc = v;
				break;
			case ZC_OP_AND: acc &= v; break;
			case ZC_OP_OR: acc |= v; break;
			default: acc ^= v; break;
			}
		}
		t_set(t, e, 0, (long double)(int64_t)acc);
		/* t_set through long double loses bits of wide values: compare
		 * the low bits of the type's width instead. */
		{
			size_t es = zc_dtype_size(t);
			uint64_t mask = es == 8 ? ~0ull : (1ull << (es * 8)) - 1;

			return (t_geti(t, got, i) & mask) == (acc & mask);
		}
	}
}

/* The split team of every test: members 0 .. n-2 of the world (the whole
 * world at 1 rank). NULL on the rank left out. */
static inline struct zc_team *t_split_team(void)
{
	struct zc_team *t = NULL;
	int n = zc_size();

	T_OK(zc_team_split_strided(zc_team_world(), 0, 1, n > 1 ? n - 1 : 1,
				   &t));
	T_ASSERT((t != NULL) == (n == 1 || zc_rank() < n - 1),
		 "membership of the split team");
	return t;
}

/* The body of a collective test: init, two symmetric buffers of `bytes`
 * (+64), run(team) on the world and on the split team, report. */
static inline int t_coll_main(const char *name, size_t bytes,
			      unsigned char **src, unsigned char **dst,
			      void (*run)(struct zc_team *))
{
	struct zc_team *split;

	T_OK(zc_init());
	T_OK(zc_malloc(bytes + 64, (void **)src));
	T_OK(zc_malloc(bytes + 64, (void **)dst));
	run(zc_team_world());
	split = t_split_team();
	if (split) {
		run(split);
		T_OK(zc_team_destroy(split));
	}
	T_OK(zc_barrier_all());
	if (zc_rank() == 0)
		printf("%s: ok on %d ranks\n", name, zc_size());
	T_OK(zc_finalize());
	return 0;
}

#endif /* T_COLL_UTIL_H */
