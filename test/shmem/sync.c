/* SPDX-License-Identifier: MIT */
/* Point-to-point synchronisation: wait_until/test on several types, the
 * _all/_any/_some and _vector forms with status masks, put-with-signal
 * (set and add, blocking and nbi) with signal_wait_until/signal_fetch,
 * and the deprecated shmem_wait. Each PE is woken by its left neighbour;
 * the data that came before the flag must be there. */
#include <string.h>

#include "sh_test.h"

#define NV 8
#define LEN 1000

int main(void)
{
	int me, n, left, right;
	long *flags, *data;
	int *iflags;
	uint64_t *sig;
	short *sflag;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	left = (me + n - 1) % n;
	right = (me + 1) % n;
	flags = shmem_calloc(NV, sizeof(long));
	iflags = shmem_calloc(NV, sizeof(int));
	data = shmem_calloc(LEN, sizeof(long));
	sig = shmem_calloc(2, sizeof(uint64_t));
	sflag = shmem_calloc(1, sizeof(short));
	SH_ASSERT(flags && iflags && data && sig && sflag, "alloc");

	/* test on unset flags: false, no waiting. */
	SH_ASSERT(!shmem_long_test(&flags[0], SHMEM_CMP_NE, 0), "test");
	SH_ASSERT(shmem_long_test(&flags[0], SHMEM_CMP_EQ, 0), "test eq");
	SH_ASSERT(shmem_test_any(flags, NV, NULL, SHMEM_CMP_GT, 0L) == SIZE_MAX,
		  "test_any on nothing set");
	SH_ASSERT(!shmem_int_test_all(iflags, NV, NULL, SHMEM_CMP_GT, 0),
		  "test_all on nothing set");
	shmem_barrier_all();

	/* put data, fence, set flag: the reader sees the data. */
	{
		long buf[LEN];

		for (int i = 0; i < LEN; i++)
			buf[i] = me * 10000L + i;
		shmem_long_put(data, buf, LEN, right);
		shmem_fence();
		shmem_long_p(&flags[0], me + 1, right);
		shmem_long_wait_until(&flags[0], SHMEM_CMP_EQ, left + 1);
		for (int i = 0; i < LEN; i++)
			SH_ASSERT(data[i] == left * 10000L + i,
				  "data before flag: elem %d %ld", i, data[i]);
	}
	shmem_barrier_all();

	/* _any and _some: the neighbour sets element me % NV; a status
	 * mask excludes element 0 unless that is the one. */
	{
		int status[NV] = { 0 };
		size_t idx[NV], k, i;
		int want = left % NV;

		if (want != 0)
			status[0] = 1;
		shmem_int_atomic_set(&iflags[me % NV], 5, right);
		i = shmem_int_wait_until_any(iflags, NV, status, SHMEM_CMP_EQ, 5);
		SH_ASSERT(i == (size_t)want, "wait_until_any %zu want %d", i, want);
		k = shmem_wait_until_some(iflags, NV, idx, status, SHMEM_CMP_GE, 5);
		SH_ASSERT(k == 1 && idx[0] == (size_t)want, "wait_until_some");
		k = shmem_int_test_some(iflags, NV, idx, NULL, SHMEM_CMP_EQ, 5);
		SH_ASSERT(k == 1 && idx[0] == (size_t)want, "test_some");
		for (int j = 0; j < NV; j++)
			status[j] = 1;
		SH_ASSERT(shmem_int_wait_until_any(iflags, NV, status,
						   SHMEM_CMP_EQ, 5) == SIZE_MAX,
			  "all excluded must give SIZE_MAX");
	}
	shmem_barrier_all();

	/* _all and _vector: the neighbour sets every flag to its index+1. */
	memset(flags, 0, NV * sizeof(long));
	shmem_barrier_all();
	{
		long want[NV];
		size_t idx[NV];

		for (int j = 0; j < NV; j++) {
			want[j] = j + 1;
			shmem_long_atomic_set(&flags[j], j + 1, right);
		}
		shmem_long_wait_until_all(flags, NV, NULL, SHMEM_CMP_GT, 0);
		shmem_long_wait_until_all_vector(flags, NV, NULL, SHMEM_CMP_EQ,
						 want);
		SH_ASSERT(shmem_long_test_all_vector(flags, NV, NULL,
						     SHMEM_CMP_EQ, want),
			  "test_all_vector");
		want[3] = 99;
		SH_ASSERT(!shmem_test_all_vector(flags, NV, NULL, SHMEM_CMP_EQ,
						 want), "vector mismatch");
		SH_ASSERT(shmem_long_test_any_vector(flags, NV, NULL,
						     SHMEM_CMP_NE, want) == 3,
			  "test_any_vector");
		SH_ASSERT(shmem_long_wait_until_some_vector(flags, NV, idx, NULL,
							    SHMEM_CMP_LT,
							    want) == 1 &&
			  idx[0] == 3, "wait_until_some_vector");
		SH_ASSERT(shmem_long_wait_until_any_vector(flags, NV, NULL,
							   SHMEM_CMP_EQ,
							   want) != 3,
			  "wait_until_any_vector");
	}
	shmem_barrier_all();

	/* put_signal: data then signal, SET and ADD, blocking and nbi. */
	{
		long buf[LEN];
		uint64_t s;

		for (int i = 0; i < LEN; i++)
			buf[i] = -(me * 10000L + i);
		shmem_long_put_signal(data, buf, LEN, &sig[0], 7, SHMEM_SIGNAL_SET,
				      right);
		s = shmem_signal_wait_until(&sig[0], SHMEM_CMP_EQ, 7);
		SH_ASSERT(s == 7 && shmem_signal_fetch(&sig[0]) == 7, "signal");
		for (int i = 0; i < LEN; i++)
			SH_ASSERT(data[i] == -(left * 10000L + i),
				  "data before signal: elem %d", i);
		shmem_barrier_all();
		/* Every PE adds 1 to everyone's second signal. */
		for (int t = 0; t < n; t++)
			shmem_putmem_signal_nbi(data + LEN / 2, buf, 8, &sig[1], 1,
						SHMEM_SIGNAL_ADD, t);
		s = shmem_signal_wait_until(&sig[1], SHMEM_CMP_EQ, (uint64_t)n);
		SH_ASSERT(s == (uint64_t)n, "signal add gave %llu",
			  (unsigned long long)s);
		shmem_quiet();
	}
	shmem_barrier_all();

	/* Deprecated: shmem_wait (while equal) and short wait_until. */
	shmem_short_p(sflag, (short)-3, right);
	shmem_short_wait_until(sflag, SHMEM_CMP_LT, 0);
	SH_ASSERT(*sflag == -3, "short flag %d", *sflag);
	shmem_long_p(&flags[1], 1234, right);
	shmem_wait(&flags[1], 2);	/* it was 2 */
	SH_ASSERT(flags[1] == 1234, "shmem_wait");

	shmem_free(sflag);
	shmem_free(sig);
	shmem_free(data);
	shmem_free(iflags);
	shmem_free(flags);
	return sh_test_done("shmem sync");
}
