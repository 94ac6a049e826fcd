/* SPDX-License-Identifier: MIT */
/* zc_barrier_all completes the user's puts: rank 0 puts a few MiB to
 * rank 2 and enters the barrier; a third rank, whose way out of the
 * barrier does not pass through rank 2, reads rank 2's copy right after
 * it and must find every byte (a barrier that skipped the quiet, or
 * waited only for its own flags, lets it read while the put is still on
 * its way). Needs 3 ranks. */
#include <string.h>

#include <stdlib.h>

#include "t_helpers.h"

#define LEN (4u << 20)
#define TAIL (64u << 10)
/* ZC_TEST_ITERS overrides (vm/iwarp_placement: a few slow ones). */
static int ITERS = 20;

static unsigned char pattern(int it, size_t i)
{
	return (unsigned char)(it * 29u + i * 13u + (i >> 11));
}

/* got[from .. LEN) holds iteration it's bytes. */
static void check(const unsigned char *got, size_t from, int it)
{
	for (size_t i = from; i < LEN; i++)
		if (got[i] != pattern(it, i))
			T_FAIL("iteration %d: byte %zu of rank 2's copy is %u, "
			       "not %u, after the barrier", it, i, got[i],
			       pattern(it, i));
}

int main(void)
{
	unsigned char *buf, *src = malloc(LEN), *got = malloc(LEN);
	int me, n, observer;

	T_ASSERT(src && got, "out of memory");
	if (getenv("ZC_TEST_ITERS"))
		ITERS = atoi(getenv("ZC_TEST_ITERS"));
	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 3, "needs 3 ranks (job of %d)", n);
	/* At 3 ranks rank 1, from 4 on rank 3: neither waits for rank 2's
	 * receipt of rank 0's barrier message, in any barrier algorithm. */
	observer = n >= 4 ? 3 : 1;
	T_OK(zc_calloc(1, LEN, (void **)&buf));
	for (int it = 1; it <= ITERS; it++) {
		if (me == 0) {
			for (size_t i = 0; i < LEN; i++)
				src[i] = pattern(it, i);
			T_OK(zc_put_nbi(buf, src, LEN, 2));
		}
		T_OK(zc_barrier_all());
		if (me == observer) {
			/* The tail first: a put's last bytes land last, and a
			 * provider that splits a get (the kernel one, through
			 * 64 KiB bounce slots) would read them late. */
			T_OK(zc_get(got + LEN - TAIL, buf + LEN - TAIL, TAIL, 2));
			check(got, LEN - TAIL, it);
			T_OK(zc_get(got, buf, LEN, 2));
			check(got, 0, it);
		}
		/* Nobody writes the next iteration before it is checked. */
		T_OK(zc_barrier_all());
	}
	T_OK(zc_free(buf));
	T_OK(zc_finalize());
	free(src);
	free(got);
	return 0;
}
