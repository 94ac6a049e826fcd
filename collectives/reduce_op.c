/* SPDX-License-Identifier: MIT */
/* Element-wise reduction kernels. Integer sums and products wrap (computed
 * in uint64_t, so no signed overflow); every call combines in the order
 * given (lo, hi), which callers keep the same on every member so that
 * floating-point results are bit-identical everywhere. */
#include <errno.h>

#include "coll.h"

int zc_coll_op_check(enum zc_dtype type, enum zc_op op, const char *fn)
{
	if ((unsigned)type >= ZC_DTYPE_LAST || (unsigned)op >= ZC_OP_LAST) {
		zc_err("%s: type %d or op %d out of range", fn, (int)type,
		       (int)op);
		return -EINVAL;
	}
	if (type >= ZC_FLOAT && op >= ZC_OP_AND) {
		zc_err("%s: bitwise op %d on a floating-point type %d", fn,
		       (int)op, (int)type);
		return -EINVAL;
	}
	return 0;
}

/* One loop per (type, op): the compiler vectorises each. */
#define ZC_LOOP(T, EXPR)                                                    \
	do {                                                                \
		T *o_ = out;                                                \
		const T *a_ = lo, *b_ = hi;                                 \
		for (size_t i_ = 0; i_ < count; i_++) {                     \
			T x = a_[i_], y = b_[i_];                           \
			o_[i_] = (EXPR);                                    \
		}                                                           \
	} while (0)

#define ZC_ORDER_OPS(T)                                                     \
	case ZC_OP_MIN: ZC_LOOP(T, y < x ? y : x); return;                  \
	case ZC_OP_MAX: ZC_LOOP(T, y > x ? y : x); return

#define ZC_INT_OPS(T)                                                       \
	switch (op) {                                                       \
	case ZC_OP_SUM: ZC_LOOP(T, (T)((uint64_t)x + (uint64_t)y)); return; \
	case ZC_OP_PROD: ZC_LOOP(T, (T)((uint64_t)x * (uint64_t)y)); return; \
	ZC_ORDER_OPS(T);                                                    \
	case ZC_OP_AND: ZC_LOOP(T, x & y); return;                          \
	case ZC_OP_OR: ZC_LOOP(T, x | y); return;                           \
	case ZC_OP_XOR: ZC_LOOP(T, x ^ y); return;                          \
	default: return;                                                    \
	}

#define ZC_FLOAT_OPS(T)                                                     \
	switch (op) {                                                       \
	case ZC_OP_SUM: ZC_LOOP(T, x + y); return;                          \
	case ZC_OP_PROD: ZC_LOOP(T, x * y); return;                         \
	ZC_ORDER_OPS(T);                                                    \
	default: return;                                                    \
	}

void zc_coll_combine(enum zc_dtype type, enum zc_op op, void *out,
		     const void *lo, const void *hi, size_t count)
{
	switch (type) {
	case ZC_INT8: ZC_INT_OPS(int8_t);
	case ZC_INT16: ZC_INT_OPS(int16_t);
	case ZC_INT32: ZC_INT_OPS(int32_t);
	case ZC_INT64: ZC_INT_OPS(int64_t);
	case ZC_UINT8: ZC_INT_OPS(uint8_t);
	case ZC_UINT16: ZC_INT_OPS(uint16_t);
	case ZC_UINT32: ZC_INT_OPS(uint32_t);
	case ZC_UINT64: ZC_INT_OPS(uint64_t);
	case ZC_FLOAT: ZC_FLOAT_OPS(float);
	case ZC_DOUBLE: ZC_FLOAT_OPS(double);
	case ZC_LONG_DOUBLE: ZC_FLOAT_OPS(long double);
	default: return;
	}
}
