/* SPDX-License-Identifier: MIT */
/* Nothing a rank sends after it was declared dead lands, not even the
 * rest of a put whose payload a receive posted into the heap was taking
 * in. Rank 1 puts LEN bytes into rank 0's heap; once the first bytes
 * are there, rank 0 stops rank 1 (SIGSTOP), waits until a get from it
 * fails with -ZC_EPEERDEAD (ZC_PEER_TIMEOUT=1s), notes how much of the
 * put has landed (a prefix: payloads are received in order), resumes
 * rank 1 at once (SIGCONT) and looks again 1 s later: the prefix must
 * not have grown. (The receive into the heap used to stay posted until
 * the progress thread's next tick, up to 50 ms after the declaration,
 * and took the resumed rank's data.) Run under mpirun --enable-recovery
 * with ZC_TRANSPORTS=tcp. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "t_helpers.h"
#include "t_proc.h"

#define LEN (256u << 20)
#define WORDS (LEN / 8)

/* Words of x that have landed: the first zero word (binary search). */
static size_t landed(const volatile uint64_t *x)
{
	size_t lo = 0, hi = WORDS;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x[mid])
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int main(void)
{
	uint64_t *x, *pids;
	int me, rc;

	me = t_pair_init(WORDS, &x, &pids);
	if (me == 1) {
		uint64_t *v = malloc(LEN);

		T_ASSERT(v, "malloc");
		for (size_t i = 0; i < WORDS; i++)
			v[i] = 0x5eed000000000000ull | i;
		rc = zc_put(x, v, LEN, 0);
		printf("rank 1: the put returned %s\n", zc_strerror(rc));
		zc_finalize();
		return 0;
	}
	{
		uint64_t pid1 = 0, tmp;
		size_t at_death, later;
		double t0;

		T_OK(zc_get(&pid1, pids, sizeof(pid1), 1));
		t0 = t_now();
		while (!((volatile uint64_t *)x)[0] && t_now() - t0 < 20)
			;
		T_ASSERT(x[0], "no byte of the put arrived in 20 s");
		T_ASSERT(kill((pid_t)pid1, SIGSTOP) == 0, "SIGSTOP");
		while (t_proc_state((pid_t)pid1) != 'T' && t_now() - t0 < 25)
			;
		T_ASSERT(t_proc_state((pid_t)pid1) == 'T', "rank 1 not stopped");
		T_SKIP_IF(landed(x) == WORDS, "the whole put arrived before "
			  "rank 1 stopped");
		rc = zc_get(&tmp, pids, sizeof(tmp), 1);
		at_death = landed(x);
		kill((pid_t)pid1, SIGCONT);
		T_ASSERT(rc == -ZC_EPEERDEAD, "get from a stopped rank: %s",
			 zc_strerror(rc));
		t0 = t_now();
		while (t_now() - t0 < 1.0)
			;
		later = landed(x);
		printf("rank 0: %zu of %u words had landed when rank 1 was "
		       "declared dead, %zu 1 s after it resumed\n", at_death,
		       WORDS, later);
		T_ASSERT(later == at_death, "FAIL %zu words landed after rank 1 "
			 "was declared dead", later - at_death);
		printf("survivor 0 ok: nothing landed after the declaration\n");
		zc_finalize();
	}
	return 0;
}
