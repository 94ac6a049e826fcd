/* SPDX-License-Identifier: MIT */
/* Fence ordering: a flag put after a fence is never seen before the data
 * put before it. Rank r writes to rank r+1, which checks on every flag. */
#include <string.h>

#include <stdlib.h>

#include "t_helpers.h"

/* ZC_TEST_ITERS overrides (the verbs runs under qemu use fewer). */
static uint64_t ITERS = 2000;
#define LEN 4096

int main(void)
{
	struct win { uint64_t data[LEN / 8]; uint64_t flag; } *w;
	uint64_t buf[LEN / 8];
	int me, n;

	if (getenv("ZC_TEST_ITERS"))
		ITERS = strtoull(getenv("ZC_TEST_ITERS"), NULL, 0);
	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 2, "fence ordering needs 2 ranks (job of %d)", n);
	T_OK(zc_calloc(1, sizeof(*w), (void **)&w));
	int to = (me + 1) % n;

	for (uint64_t it = 1; it <= ITERS; it++) {
		for (size_t i = 0; i < LEN / 8; i++)
			buf[i] = it * 1000003u + i;
		T_OK(zc_put_nbi(w->data, buf, sizeof(buf), to));
		T_OK(zc_fence());
		T_OK(zc_put_nbi(&w->flag, &it, sizeof(it), to));
		/* My own incoming message: once the flag says it, the data must
		 * already be there, every word of it. */
		T_OK(zc_wait_until(&w->flag, ZC_UINT64, ZC_CMP_GE, (int64_t)it));
		for (size_t i = 0; i < LEN / 8; i++)
			if (__atomic_load_n(&w->data[i], __ATOMIC_RELAXED) != it * 1000003u + i)
				T_FAIL("iteration %lu: flag seen before data word %zu",
				       (unsigned long)it, i);
		/* The next message may only come after I checked this one. */
		T_OK(zc_barrier_all());
	}
	T_OK(zc_free(w));
	T_OK(zc_finalize());
	return 0;
}
