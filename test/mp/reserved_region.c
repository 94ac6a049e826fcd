/* SPDX-License-Identifier: MIT */
/* The library's own state in the heap (core's barrier words, the teams'
 * scratch) is out of reach of user puts, gets and atomics: every rank
 * sprays 0xff with zc_put/zc_put_nbi/zc_atomic (and reads with zc_get)
 * over every address next to the user's part that the public calls might
 * accept: none is accepted, and afterwards
 * barriers and allreduces still give the right results, again and again
 * (the adversarial run got a wrong sum with rc 0 here). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "t_helpers.h"

#define SPAN ((size_t)8 << 20)	/* past the heap's end: teams' scratch */
#define STEP 4096

static int spray(char *lo, char *hi, int to, const unsigned char *ff,
		 size_t *accepted_p)
{
	for (char *a = lo; a < hi; a += STEP) {
		uint64_t old;

		if (zc_put(a, ff, STEP, to) == 0)
			(*accepted_p)++;
		if (zc_put_nbi(a + 64, ff, 64, to) == 0)
			(*accepted_p)++;
		if (zc_atomic(ZC_AMO_SET, a + 128, 8, ~0ull, 0, to, &old) == 0)
			(*accepted_p)++;
		if (zc_get(&old, a + 192, 8, to) == 0)
			(*accepted_p)++;
	}
	return zc_quiet();
}

int main(void)
{
	static unsigned char ff[STEP];
	size_t heap, freeb, accepted = 0;
	char *user, *base;
	int64_t *in, *out;
	int me, n;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	memset(ff, 0xff, sizeof(ff));
	T_OK(zc_calloc(2, sizeof(int64_t), (void **)&in));
	T_OK(zc_calloc(2, sizeof(int64_t), (void **)&out));
	T_OK(zc_heap_info(&heap, &freeb));
	/* The rest of the heap is the user's: what lies outside all user
	 * blocks is the library's, below the first and above the last. */
	T_OK(zc_align(64, freeb, (void **)&user));
	base = (char *)in;
	while (zc_addr_symmetric(base - 1))
		base--;
	T_ASSERT((size_t)(user + freeb - base) <= heap, "heap bounds");
	/* Thousands of refusals, each logged: keep them out of the output. */
	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	T_ASSERT(saved >= 0 && null >= 0 && dup2(null, 2) == 2, "stderr");
	for (int r = 0; r < n; r++) {
		int to = (me + r) % n;

		/* Below the first user block and past the last one. */
		T_OK(spray(base - SPAN, (char *)in, to, ff, &accepted));
		T_OK(spray(user + freeb, user + freeb + SPAN, to, ff,
			   &accepted));
	}
	dup2(saved, 2);
	close(saved);
	close(null);
	T_ASSERT(accepted == 0, "%zu puts/atomics outside user blocks accepted",
		 accepted);
	for (int it = 0; it < 50; it++) {
		in[0] = me + 1;
		in[1] = (int64_t)it * (me + 1);
		T_OK(zc_allreduce(zc_team_world(), out, in, 2, ZC_INT64, ZC_OP_SUM));
		T_ASSERT(out[0] == (int64_t)n * (n + 1) / 2 &&
			 out[1] == (int64_t)it * n * (n + 1) / 2,
			 "allreduce %d after the spray: %lld %lld", it, (long long)out[0],
			 (long long)out[1]);
		T_OK(zc_barrier_all());
	}
	T_OK(zc_free(user));
	T_OK(zc_free(out));
	T_OK(zc_free(in));
	T_OK(zc_finalize());
	if (me == 0)
		printf("reserved_region: nothing outside user blocks reachable, "
		       "allreduce right on %d ranks\n", n);
	return 0;
}
