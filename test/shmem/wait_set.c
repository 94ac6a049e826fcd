/* SPDX-License-Identifier: MIT */
/* The wait/test families over sets of ivars, as programs use them: empty
 * sets and all-excluded status arrays (SIZE_MAX, 0, 1 as the
 * specification says), the wait_until_some loop that excludes what it
 * has seen until every peer has arrived, the _vector forms, and the same
 * for several types (generic and typed names). Then signals: ADD from
 * every PE, SET, signal_fetch and signal_wait_until's return. */
#include <stdint.h>
#include <string.h>

#include "sh_test.h"

/* One round for ivar type T (typed name prefix P): every PE sets slot
 * `me` of every PE to me + 1; each PE collects them all. */
#define ROUND(T, P)                                                         \
	static void round_##P(T *iv, int *status, size_t *idx, T *vals)     \
	{                                                                   \
		int me = shmem_my_pe(), n = shmem_n_pes();                  \
		size_t seen = 0, k;                                         \
		int all_ex[1] = { 1 };                                      \
                                                                            \
		memset(status, 0, (size_t)n * sizeof(int));                 \
		SH_ASSERT(shmem_##P##_test_any(iv, (size_t)n, NULL,         \
					       SHMEM_CMP_NE, 0) == SIZE_MAX, \
			  "test_any none");                                 \
		SH_ASSERT(shmem_##P##_test_some(iv, (size_t)n, idx, NULL,   \
						SHMEM_CMP_NE, 0) == 0,      \
			  "test_some none");                                \
		SH_ASSERT(shmem_##P##_test_all(iv, (size_t)n, NULL,         \
					       SHMEM_CMP_EQ, 0) == 1,       \
			  "test_all zeros");                                \
		SH_ASSERT(shmem_##P##_wait_until_any(iv, 1, all_ex,         \
						     SHMEM_CMP_NE, 0) ==    \
			  SIZE_MAX, "wait_any all excluded");               \
		SH_ASSERT(shmem_##P##_wait_until_some(iv, 1, idx, all_ex,   \
						      SHMEM_CMP_NE, 0) == 0, \
			  "wait_some all excluded");                        \
		shmem_##P##_wait_until_all(iv, 1, all_ex, SHMEM_CMP_NE, 0); \
		SH_ASSERT(shmem_##P##_wait_until_any(iv, 0, NULL,           \
						     SHMEM_CMP_NE, 0) ==    \
			  SIZE_MAX, "wait_any empty");                      \
		SH_ASSERT(shmem_##P##_test_any(iv, 0, NULL, SHMEM_CMP_NE,   \
					       0) == SIZE_MAX,              \
			  "test_any empty");                                \
		SH_ASSERT(shmem_##P##_test_all(iv, 0, NULL, SHMEM_CMP_NE,   \
					       0) == 1, "test_all empty");  \
		shmem_barrier_all();                                        \
		for (int p = 0; p < n; p++)                                 \
			shmem_##P##_atomic_set(&iv[me], (T)(me + 1), p);    \
		while (seen < (size_t)n) {                                  \
			k = shmem_##P##_wait_until_some(iv, (size_t)n, idx, \
							status, SHMEM_CMP_NE, \
							0);                 \
			SH_ASSERT(k > 0 && k <= (size_t)n - seen,           \
				  "some %zu", k);                           \
			for (size_t j = 0; j < k; j++) {                    \
				SH_ASSERT(!status[idx[j]], "seen twice");   \
				SH_ASSERT(iv[idx[j]] == (T)(idx[j] + 1),    \
					  "slot %zu", idx[j]);              \
				status[idx[j]] = 1;                         \
			}                                                   \
			seen += k;                                          \
		}                                                           \
		SH_ASSERT(shmem_##P##_wait_until_some(iv, (size_t)n, idx,   \
						      status, SHMEM_CMP_NE, \
						      0) == 0, "all seen"); \
		for (int i = 0; i < n; i++)                                 \
			vals[i] = (T)(i + 1);                               \
		shmem_##P##_wait_until_all_vector(iv, (size_t)n, NULL,      \
						  SHMEM_CMP_EQ, vals);      \
		SH_ASSERT(shmem_##P##_test_all_vector(iv, (size_t)n, NULL,  \
						      SHMEM_CMP_EQ, vals),  \
			  "test_all_vector");                               \
		/* Only odd slots compare "greater" than vals - 1. */       \
		for (int i = 0; i < n; i++) {                               \
			status[i] = i % 2 == 0;                             \
			vals[i] = (T)i;                                     \
		}                                                           \
		k = shmem_##P##_test_some_vector(iv, (size_t)n, idx, status, \
						 SHMEM_CMP_GT, vals);       \
		SH_ASSERT(k == (size_t)n / 2, "some_vector %zu", k);        \
		for (size_t j = 0; j < k; j++)                              \
			SH_ASSERT(idx[j] % 2 == 1, "odd %zu", idx[j]);      \
		k = shmem_##P##_wait_until_any_vector(iv, (size_t)n, status, \
						      SHMEM_CMP_GT, vals);  \
		SH_ASSERT(n == 1 ? k == SIZE_MAX : k % 2 == 1, "any_vector"); \
		vals[0] = (T)5;                                             \
		SH_ASSERT(shmem_##P##_test_any_vector(iv, 1, NULL,          \
						      SHMEM_CMP_GE, vals) == \
			  SIZE_MAX, "1 >= 5");                              \
		SH_ASSERT(!shmem_##P##_test(&iv[0], SHMEM_CMP_LT, (T)1) &&  \
			  shmem_##P##_test(&iv[0], SHMEM_CMP_LE, (T)1),     \
			  "test");                                          \
		shmem_barrier_all();                                        \
		memset(iv, 0, (size_t)n * sizeof(T));                       \
		shmem_barrier_all();                                        \
	}
ROUND(int, int)
ROUND(unsigned long long, ulonglong)
ROUND(uint32_t, uint32)
ROUND(size_t, size)
ROUND(ptrdiff_t, ptrdiff)

static void signals(uint64_t *sig, long *data)
{
	int me = shmem_my_pe(), n = shmem_n_pes();
	long v = 40 + me;
	uint64_t got;

	/* Everyone adds 1 to PE 0's signal after its own word. */
	shmem_long_put_signal(&data[me], &v, 1, &sig[0], 1, SHMEM_SIGNAL_ADD,
			      0);
	if (me == 0) {
		got = shmem_signal_wait_until(&sig[0], SHMEM_CMP_GE,
					      (uint64_t)n);
		SH_ASSERT(got == (uint64_t)n && shmem_signal_fetch(&sig[0]) ==
			  (uint64_t)n, "signal add %llu",
			  (unsigned long long)got);
		for (int p = 0; p < n; p++)
			SH_ASSERT(data[p] == 40 + p, "data of %d before signal",
				  p);
	}
	shmem_barrier_all();
	/* SET overwrites: the last writer's value (one writer here). */
	if (me == n - 1)
		shmem_putmem_signal_nbi(&data[0], &v, sizeof(v), &sig[1],
					UINT64_C(1) << 40, SHMEM_SIGNAL_SET, 0);
	if (me == 0) {
		got = shmem_signal_wait_until(&sig[1], SHMEM_CMP_EQ,
					      UINT64_C(1) << 40);
		SH_ASSERT(got == UINT64_C(1) << 40 && data[0] == 40 + n - 1,
			  "signal set");
	}
	shmem_quiet();
	shmem_barrier_all();
}

int main(void)
{
	int n;
	void *iv, *vals;
	int *status;
	size_t *idx;
	uint64_t *sig;
	long *data;

	shmem_init();
	n = shmem_n_pes();
	iv = shmem_calloc((size_t)n, 8);
	sig = shmem_calloc(2, sizeof(uint64_t));
	data = shmem_calloc((size_t)n, sizeof(long));
	status = calloc((size_t)n, sizeof(int));
	idx = calloc((size_t)n, sizeof(size_t));
	vals = calloc((size_t)n, 8);
	SH_ASSERT(iv && sig && data && status && idx && vals, "alloc");
	round_int(iv, status, idx, vals);
	round_ulonglong(iv, status, idx, vals);
	round_uint32(iv, status, idx, vals);
	round_size(iv, status, idx, vals);
	round_ptrdiff(iv, status, idx, vals);
	signals(sig, data);
	/* Generic names pick the type. */
	{
		int *ii = iv;

		SH_ASSERT(shmem_test_any(ii, (size_t)n, NULL, SHMEM_CMP_NE, 0)
			  == SIZE_MAX, "generic test_any");
		shmem_barrier_all();
		shmem_int_atomic_inc(&ii[0], 0);
		if (shmem_my_pe() == 0) {
			shmem_wait_until_all(ii, 1, NULL, SHMEM_CMP_EQ, n);
			SH_ASSERT(shmem_test_all(ii, 1, NULL, SHMEM_CMP_EQ, n),
				  "generic test_all");
		}
	}
	free(status);
	free(idx);
	free(vals);
	shmem_barrier_all();
	shmem_free(data);
	shmem_free(sig);
	shmem_free(iv);
	return sh_test_done("shmem wait_set");
}
