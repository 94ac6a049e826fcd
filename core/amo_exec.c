/* SPDX-License-Identifier: MIT */
/* The one execution of an atomic on local memory. Every provider's target
 * side runs atomics here, so they are atomic with each other whichever
 * provider carried them. */
#include <errno.h>

#include "zc_provider.h"

#define AMO_CASES(T, loc, op, value, cmp, old)                             \
	do {                                                                \
		T *l = (T *)(loc), v = (T)(value), c = (T)(cmp), o;         \
		switch (op) {                                               \
		case ZC_AMO_FETCH: o = __atomic_load_n(l, __ATOMIC_SEQ_CST); break; \
		case ZC_AMO_SET: __atomic_store_n(l, v, __ATOMIC_SEQ_CST); o = 0; break; \
		case ZC_AMO_SWAP: o = __atomic_exchange_n(l, v, __ATOMIC_SEQ_CST); break; \
		case ZC_AMO_CSWAP:                                          \
			o = c;                                              \
			__atomic_compare_exchange_n(l, &o, v, 0,            \
				__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);        \
			break;                                              \
		case ZC_AMO_ADD: o = __atomic_fetch_add(l, v, __ATOMIC_SEQ_CST); break; \
		case ZC_AMO_AND: o = __atomic_fetch_and(l, v, __ATOMIC_SEQ_CST); break; \
		case ZC_AMO_OR: o = __atomic_fetch_or(l, v, __ATOMIC_SEQ_CST); break; \
		case ZC_AMO_XOR: o = __atomic_fetch_xor(l, v, __ATOMIC_SEQ_CST); break; \
		default: return -EINVAL;                                    \
		}                                                           \
		if (old)                                                    \
			*(old) = o;                                         \
	} while (0)

int zc_amo_exec(void *loc, enum zc_amo_op op, size_t width, uint64_t value,
	       uint64_t cmp, uint64_t *old)
{
	if (width == 4)
		AMO_CASES(uint32_t, loc, op, value, cmp, old);
	else if (width == 8)
		AMO_CASES(uint64_t, loc, op, value, cmp, old);
	else
		return -EINVAL;
	return 0;
}

