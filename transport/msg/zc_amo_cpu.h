/* SPDX-License-Identifier: MIT */
/*
 * The one execution of an atomic on local memory, as a CPU atomic, for
 * every agent that executes atomics on a heap: core's zc_amo_exec (which
 * every user-space provider's target side calls) and the kernel module's
 * target side (transport/kernel/module). One definition, so that all of
 * them are atomic with each other on the same location.
 * May include: the C library (or the kernel's compat shims) and zcomm.h.
 */
#ifndef ZC_AMO_CPU_H
#define ZC_AMO_CPU_H

#include <stddef.h>
#include <stdint.h>

#include <zcomm.h>

#define ZC_AMO_CPU_CASES(T, loc, op, value, cmp, old)                      \
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

/* 0, or -EINVAL for a width other than 4 or 8 or an unknown op. */
static inline int zc_amo_cpu(void *loc, int op, size_t width, uint64_t value,
			     uint64_t cmp, uint64_t *old)
{
	if (width == 4)
		ZC_AMO_CPU_CASES(uint32_t, loc, op, value, cmp, old);
	else if (width == 8)
		ZC_AMO_CPU_CASES(uint64_t, loc, op, value, cmp, old);
	else
		return -EINVAL;
	return 0;
}

#endif /* ZC_AMO_CPU_H */
