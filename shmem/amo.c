/* SPDX-License-Identifier: MIT */
/* Atomics: every typed AMO is zc_atomic (or zc_atomic_nbi) of the
 * value's bit pattern at the type's width, 4 or 8 bytes; float and double
 * swap/fetch/set move their bits like same-width integers. Names from
 * ZC_SHMEM_AMO_TYPES, ZC_SHMEM_EXT_AMO_TYPES, ZC_SHMEM_BIT_AMO_TYPES. */
#include "sh.h"

static uint64_t bits_of(const void *v, size_t w)
{
	uint32_t x4;
	uint64_t x8;

	if (w == 4) {
		memcpy(&x4, v, 4);
		return x4;
	}
	memcpy(&x8, v, 8);
	return x8;
}

static void bits_to(void *out, uint64_t b, size_t w)
{
	uint32_t x4 = (uint32_t)b;

	if (w == 4)
		memcpy(out, &x4, 4);
	else
		memcpy(out, &b, 8);
}

/* val/cmp NULL: not used by op; fetch NULL: the non-fetching form. */
static void amo(shmem_ctx_t ctx, enum zc_amo_op op, void *dest, size_t w,
		const void *val, const void *cmp, void *fetch, int pe,
		const char *fn)
{
	uint64_t v = val ? bits_of(val, w) : 0, c = cmp ? bits_of(cmp, w) : 0;
	uint64_t old = 0;
	int rc;

	pe = sh_pe(ctx, pe);
	sh_lock();
	rc = zc_atomic(op, sh_sym(dest), w, v, c, pe, fetch ? &old : NULL);
	sh_unlock();
	if (rc)
		sh_report(fn, rc);
	if (fetch)
		bits_to(fetch, old, w);
}

/* A 64-bit result can land in *fetch at quiet; a 32-bit one needs a
 * conversion, so that form completes at once (allowed for _nbi). */
static void amo_nbi(shmem_ctx_t ctx, enum zc_amo_op op, void *dest,
		    size_t w, const void *val, const void *cmp, void *fetch,
		    int pe, const char *fn)
{
	if (w == 8 && !((uintptr_t)fetch & 7)) {
		int rc;

		pe = sh_pe(ctx, pe);
		sh_lock();
		rc = zc_atomic_nbi(op, sh_sym(dest), w,
				   val ? bits_of(val, w) : 0,
				   cmp ? bits_of(cmp, w) : 0, pe,
				   (uint64_t *)fetch);
		sh_unlock();
		if (rc)
			sh_report(fn, rc);
		return;
	}
	amo(ctx, op, dest, w, val, cmp, fetch, pe, fn);
}

#define DEF_CTX SHMEM_CTX_DEFAULT

/* Fetching with a value: T f(dest, value, pe), ctx and nbi forms. */
#define SH_AMO_FV(T, N, NAME, OP)                                           \
	T shmem_ctx_##N##_atomic_##NAME(shmem_ctx_t ctx, T *dest, T value,  \
					int pe)                             \
	{ T r; amo(ctx, OP, dest, sizeof(T), &value, NULL, &r, pe, __func__); return r; } \
	T shmem_##N##_atomic_##NAME(T *dest, T value, int pe)               \
	{ T r; amo(DEF_CTX, OP, dest, sizeof(T), &value, NULL, &r, pe, __func__); return r; } \
	void shmem_ctx_##N##_atomic_##NAME##_nbi(shmem_ctx_t ctx, T *fetch, \
						 T *dest, T value, int pe)  \
	{ amo_nbi(ctx, OP, dest, sizeof(T), &value, NULL, fetch, pe, __func__); } \
	void shmem_##N##_atomic_##NAME##_nbi(T *fetch, T *dest, T value,    \
					     int pe)                        \
	{ amo_nbi(DEF_CTX, OP, dest, sizeof(T), &value, NULL, fetch, pe, __func__); }

/* Non-fetching with a value: void f(dest, value, pe), ctx form. */
#define SH_AMO_V(T, N, NAME, OP)                                            \
	void shmem_ctx_##N##_atomic_##NAME(shmem_ctx_t ctx, T *dest, T value, \
					   int pe)                          \
	{ amo(ctx, OP, dest, sizeof(T), &value, NULL, NULL, pe, __func__); } \
	void shmem_##N##_atomic_##NAME(T *dest, T value, int pe)            \
	{ amo(DEF_CTX, OP, dest, sizeof(T), &value, NULL, NULL, pe, __func__); }

#define SH_AMO_STD(T, N)                                                    \
	SH_AMO_FV(T, N, fetch_add, ZC_AMO_ADD)                              \
	SH_AMO_V(T, N, add, ZC_AMO_ADD)                                     \
	T shmem_ctx_##N##_atomic_fetch_inc(shmem_ctx_t ctx, T *dest, int pe) \
	{ return shmem_ctx_##N##_atomic_fetch_add(ctx, dest, 1, pe); }      \
	T shmem_##N##_atomic_fetch_inc(T *dest, int pe)                     \
	{ return shmem_ctx_##N##_atomic_fetch_add(DEF_CTX, dest, 1, pe); }  \
	void shmem_ctx_##N##_atomic_fetch_inc_nbi(shmem_ctx_t ctx, T *fetch, \
						  T *dest, int pe)          \
	{ shmem_ctx_##N##_atomic_fetch_add_nbi(ctx, fetch, dest, 1, pe); }  \
	void shmem_##N##_atomic_fetch_inc_nbi(T *fetch, T *dest, int pe)    \
	{ shmem_ctx_##N##_atomic_fetch_add_nbi(DEF_CTX, fetch, dest, 1, pe); } \
	void shmem_ctx_##N##_atomic_inc(shmem_ctx_t ctx, T *dest, int pe)   \
	{ shmem_ctx_##N##_atomic_add(ctx, dest, 1, pe); }                   \
	void shmem_##N##_atomic_inc(T *dest, int pe)                        \
	{ shmem_ctx_##N##_atomic_add(DEF_CTX, dest, 1, pe); }               \
	T shmem_ctx_##N##_atomic_compare_swap(shmem_ctx_t ctx, T *dest,     \
					      T cond, T value, int pe)      \
	{ T r; amo(ctx, ZC_AMO_CSWAP, dest, sizeof(T), &value, &cond, &r, pe, __func__); return r; } \
	T shmem_##N##_atomic_compare_swap(T *dest, T cond, T value, int pe) \
	{ return shmem_ctx_##N##_atomic_compare_swap(DEF_CTX, dest, cond, value, pe); } \
	void shmem_ctx_##N##_atomic_compare_swap_nbi(shmem_ctx_t ctx,       \
						     T *fetch, T *dest,     \
						     T cond, T value, int pe) \
	{ amo_nbi(ctx, ZC_AMO_CSWAP, dest, sizeof(T), &value, &cond, fetch, pe, __func__); } \
	void shmem_##N##_atomic_compare_swap_nbi(T *fetch, T *dest, T cond, \
						 T value, int pe)           \
	{ shmem_ctx_##N##_atomic_compare_swap_nbi(DEF_CTX, fetch, dest, cond, value, pe); } \
	/* deprecated names */                                              \
	T shmem_##N##_cswap(T *dest, T cond, T value, int pe)               \
	{ return shmem_ctx_##N##_atomic_compare_swap(DEF_CTX, dest, cond, value, pe); } \
	T shmem_##N##_finc(T *dest, int pe)                                 \
	{ return shmem_ctx_##N##_atomic_fetch_add(DEF_CTX, dest, 1, pe); }  \
	void shmem_##N##_inc(T *dest, int pe)                               \
	{ shmem_ctx_##N##_atomic_add(DEF_CTX, dest, 1, pe); }               \
	T shmem_##N##_fadd(T *dest, T value, int pe)                        \
	{ return shmem_ctx_##N##_atomic_fetch_add(DEF_CTX, dest, value, pe); } \
	void shmem_##N##_add(T *dest, T value, int pe)                      \
	{ shmem_ctx_##N##_atomic_add(DEF_CTX, dest, value, pe); }
ZC_SHMEM_AMO_TYPES(SH_AMO_STD)

#define SH_AMO_EXT(T, N)                                                    \
	SH_AMO_FV(T, N, swap, ZC_AMO_SWAP)                                  \
	SH_AMO_V(T, N, set, ZC_AMO_SET)                                     \
	T shmem_ctx_##N##_atomic_fetch(shmem_ctx_t ctx, const T *source,    \
				       int pe)                              \
	{ T r; amo(ctx, ZC_AMO_FETCH, (void *)source, sizeof(T), NULL, NULL, &r, pe, __func__); return r; } \
	T shmem_##N##_atomic_fetch(const T *source, int pe)                 \
	{ return shmem_ctx_##N##_atomic_fetch(DEF_CTX, source, pe); }       \
	void shmem_ctx_##N##_atomic_fetch_nbi(shmem_ctx_t ctx, T *fetch,    \
					      const T *source, int pe)      \
	{ amo_nbi(ctx, ZC_AMO_FETCH, (void *)source, sizeof(T), NULL, NULL, fetch, pe, __func__); } \
	void shmem_##N##_atomic_fetch_nbi(T *fetch, const T *source, int pe) \
	{ shmem_ctx_##N##_atomic_fetch_nbi(DEF_CTX, fetch, source, pe); }   \
	/* deprecated names */                                              \
	T shmem_##N##_fetch(const T *source, int pe)                        \
	{ return shmem_ctx_##N##_atomic_fetch(DEF_CTX, source, pe); }       \
	void shmem_##N##_set(T *dest, T value, int pe)                      \
	{ shmem_ctx_##N##_atomic_set(DEF_CTX, dest, value, pe); }           \
	T shmem_##N##_swap(T *dest, T value, int pe)                        \
	{ return shmem_ctx_##N##_atomic_swap(DEF_CTX, dest, value, pe); }
ZC_SHMEM_EXT_AMO_TYPES(SH_AMO_EXT)

#define SH_AMO_BIT(T, N)                                                    \
	SH_AMO_FV(T, N, fetch_and, ZC_AMO_AND)                              \
	SH_AMO_V(T, N, and, ZC_AMO_AND)                                     \
	SH_AMO_FV(T, N, fetch_or, ZC_AMO_OR)                                \
	SH_AMO_V(T, N, or, ZC_AMO_OR)                                       \
	SH_AMO_FV(T, N, fetch_xor, ZC_AMO_XOR)                              \
	SH_AMO_V(T, N, xor, ZC_AMO_XOR)
ZC_SHMEM_BIT_AMO_TYPES(SH_AMO_BIT)

/* OpenSHMEM 1.2's untyped swap on long. */
long shmem_swap(long *dest, long value, int pe)
{
	return shmem_long_atomic_swap(dest, value, pe);
}
