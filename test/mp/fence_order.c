/* SPDX-License-Identifier: MIT */
/* Fence ordering: a flag put after a fence is never seen before the data
 * put before it. Rank r writes to rank r+1, which checks on every flag.
 * Then atomics: one before a fence never sees the put after it, nor
 * overwrites it (RC may execute a WRITE before an earlier READ or atomic
 * has read its target; verbs' device fetch is a READ). */
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
	for (uint64_t it = 1; it <= ITERS / 4; it++) {
		uint64_t mark[2] = { ~0ull, ~0ull }, old[2] = { 0, 0 };

		w->data[0] = it * 7919u;	/* what my predecessor fetches */
		w->data[1] = it * 7919u + 1;
		T_OK(zc_barrier_all());
		T_OK(zc_atomic_nbi(ZC_AMO_FETCH, &w->data[0], 8, 0, 0, to,
				   &old[0]));
		T_OK(zc_atomic_nbi(ZC_AMO_ADD, &w->data[1], 8, 1, 0, to,
				   &old[1]));
		T_OK(zc_fence());
		T_OK(zc_put(w->data, mark, sizeof(mark), to));
		T_OK(zc_quiet());
		if (old[0] != it * 7919u || old[1] != it * 7919u + 1)
			T_FAIL("iteration %lu: an atomic before a fence saw the "
			       "put after it (fetched %#lx and %#lx)",
			       (unsigned long)it, (unsigned long)old[0],
			       (unsigned long)old[1]);
		T_OK(zc_barrier_all());
		if (w->data[0] != ~0ull || w->data[1] != ~0ull)
			T_FAIL("iteration %lu: the put after the fence was "
			       "overwritten (%#lx %#lx)", (unsigned long)it,
			       (unsigned long)w->data[0],
			       (unsigned long)w->data[1]);
	}
	T_OK(zc_free(w));
	T_OK(zc_finalize());
	return 0;
}
