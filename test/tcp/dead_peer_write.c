/* SPDX-License-Identifier: MIT */
/* A peer declared dead cannot write any more. Rank 0 stops rank 1 with
 * SIGSTOP, waits until a get from it fails with -ZC_EPEERDEAD (the peer
 * timeout, 1 s here), resumes it with SIGCONT, and rank 1 then puts a
 * pattern into rank 0's heap at once. Nothing of it may land: rank 0's
 * buffer is all zeros 3 s later, and rank 1 sees its puts fail (the
 * connection is closed in both directions). Run under mpirun
 * --enable-recovery with ZC_TRANSPORTS=tcp, ZC_PEER_TIMEOUT=1s. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "t_helpers.h"
#include "t_proc.h"

#define WORDS 512

int main(void)
{
	uint64_t *x, *pids, v[WORDS];
	int me, rc;

	me = t_pair_init(WORDS, &x, &pids);
	if (me == 1) {
		double t = t_now(), prev = t, cur;
		int bad = 0;

		/* Sleep in small steps until a jump in time shows that we
		 * were stopped and resumed (at most 30 s). */
		while ((cur = t_now()) - t < 30 && cur - prev < 1.0) {
			prev = cur;
			t_nap(10);
		}
		for (int i = 0; i < WORDS; i++)
			v[i] = 0xdeaddeaddeaddeadull;
		for (int k = 0; k < 8; k++) {
			rc = zc_put(x, v, sizeof(v), 0);
			bad += rc == 0;
		}
		rc = zc_quiet();
		printf("rank 1 resumed: %d of 8 puts returned 0, quiet %s\n",
		       bad, zc_strerror(rc));
		zc_finalize();
		return 0;
	}
	/* Rank 0: stop rank 1 and wait for the timeout to declare it dead. */
	{
		uint64_t pid1 = 0, tmp;
		double t0;

		T_OK(zc_get(&pid1, pids, sizeof(pid1), 1));
		T_ASSERT(pid1 > 1 && kill((pid_t)pid1, SIGSTOP) == 0,
			 "SIGSTOP to rank 1 (pid %llu)", (unsigned long long)pid1);
		/* The signal takes effect asynchronously: a get issued too
		 * soon would still be served. */
		t0 = t_now();
		while (t_proc_state((pid_t)pid1) != 'T' && t_now() - t0 < 5)
			t_nap(1);
		T_ASSERT(t_proc_state((pid_t)pid1) == 'T', "rank 1 not stopped");
		t0 = t_now();
		rc = zc_get(&tmp, x, sizeof(tmp), 1);
		if (rc != -ZC_EPEERDEAD)
			kill((pid_t)pid1, SIGCONT);
		T_ASSERT(rc == -ZC_EPEERDEAD, "get from a stopped rank: %s",
			 zc_strerror(rc));
		printf("rank 0: rank 1 declared dead after %.1f s\n", t_now() - t0);
		t_nap(300);
		T_ASSERT(kill((pid_t)pid1, SIGCONT) == 0, "SIGCONT");
		t_nap(3000);
		for (int i = 0; i < WORDS; i++)
			T_ASSERT(x[i] == 0, "FAIL word %d written by the dead "
				 "rank after it was declared dead: %#llx", i,
				 (unsigned long long)x[i]);
		T_ASSERT(zc_put(x, v, 8, 1) == -ZC_EPEERDEAD,
			 "put to the dead rank");
		printf("survivor 0 ok: nothing from the dead rank landed\n");
		zc_finalize();
	}
	return 0;
}
