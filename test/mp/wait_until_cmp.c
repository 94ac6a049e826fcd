/* SPDX-License-Identifier: MIT */
/* wait-until with each of the six comparisons, signed and unsigned, each
 * released by a put from the previous rank; zc_test agrees, and
 * zc_test_fetch reports the value it compared, extended by the type's
 * sign. */
#include <errno.h>

#include "t_helpers.h"

int main(void)
{
	static const struct { enum zc_cmp cmp; int64_t arg, final; } cases[] = {
		{ ZC_CMP_EQ, 42, 42 }, { ZC_CMP_NE, 0, 7 },
		{ ZC_CMP_GT, 10, 11 }, { ZC_CMP_GE, 20, 20 },
		{ ZC_CMP_LT, -5, -6 }, { ZC_CMP_LE, -9, -9 },
	};
	int64_t *sv;
	uint32_t *uv;
	int me, n;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_OK(zc_calloc(8, sizeof(int64_t), (void **)&sv));
	T_OK(zc_calloc(8, sizeof(uint32_t), (void **)&uv));
	int to = (me + 1) % n;

	for (int k = 0; k < 6; k++) {
		/* Start from a value that does not satisfy the comparison. */
		sv[k] = cases[k].cmp == ZC_CMP_NE ? 0 :
			cases[k].cmp == ZC_CMP_LT || cases[k].cmp == ZC_CMP_LE ? 0 : -100;
		T_ASSERT(zc_test(&sv[k], ZC_INT64, cases[k].cmp, cases[k].arg) == 0,
			 "case %d satisfied before the put", k);
	}
	T_OK(zc_barrier_all());
	for (int k = 0; k < 6; k++) {
		int64_t v = cases[k].final;

		T_OK(zc_put(&sv[k], &v, sizeof(v), to));
		T_OK(zc_wait_until(&sv[k], ZC_INT64, cases[k].cmp, cases[k].arg));
		T_ASSERT(sv[k] == cases[k].final, "case %d: woke with %ld", k, (long)sv[k]);
		T_ASSERT(zc_test(&sv[k], ZC_INT64, cases[k].cmp, cases[k].arg) == 1,
			 "zc_test disagrees on case %d", k);
		uint64_t seen = 0;

		T_ASSERT(zc_test_fetch(&sv[k], ZC_INT64, cases[k].cmp,
				       cases[k].arg, &seen) == 1 &&
			 (int64_t)seen == cases[k].final,
			 "case %d: zc_test_fetch saw %ld", k, (long)seen);
	}
	/* Unsigned: 0xffffffff is greater than 1, unlike its signed view. */
	uint32_t big = 0xffffffffu;

	T_OK(zc_atomic(ZC_AMO_SET, &uv[0], 4, big, 0, to, NULL));
	T_OK(zc_wait_until(&uv[0], ZC_UINT32, ZC_CMP_GT, 1));
	T_ASSERT(zc_test(&uv[0], ZC_INT32, ZC_CMP_LT, 0) == 1, "signed view");
	uint64_t seen = 0;

	T_ASSERT(zc_test_fetch(&uv[0], ZC_UINT32, ZC_CMP_GT, 1, &seen) == 1 &&
		 seen == 0xffffffffu, "unsigned seen %#lx", (unsigned long)seen);
	T_ASSERT(zc_test_fetch(&uv[0], ZC_INT32, ZC_CMP_EQ, -1, &seen) == 1 &&
		 seen == UINT64_MAX, "signed seen %#lx", (unsigned long)seen);
	seen = 5;
	T_ASSERT(zc_test_fetch(&uv[0], ZC_UINT32, ZC_CMP_EQ, 0, &seen) == 0 &&
		 seen == 5, "seen written when the condition fails");
	T_ASSERT(zc_test(&uv[0], ZC_DOUBLE, ZC_CMP_EQ, 0) == -EINVAL, "float type accepted");
	T_ASSERT(zc_test(&uv[0], ZC_UINT32, (enum zc_cmp)9, 0) == -EINVAL, "bad cmp accepted");
	T_OK(zc_barrier_all());
	T_OK(zc_free(uv));
	T_OK(zc_free(sv));
	T_OK(zc_finalize());
	return 0;
}
