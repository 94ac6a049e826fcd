/* SPDX-License-Identifier: MIT */
/* zc_wait_until on a flag that a rank killed with -9 should have set
 * ends with -ZC_EPEERDEAD within the peer timeout (2 s here, plus slack)
 * on every survivor, instead of hanging: the documented rule is that a
 * wait on one's own memory ends once any rank of the job is dead; and a
 * barrier with it fails too. Run under mpirun --enable-recovery, over
 * tcp (keepalives, resets) and over shm (the pidfd of each local peer,
 * and its "left" word to tell a zc_finalize from a death). Then puts,
 * gets and atomics to the dead rank fail with -ZC_EPEERDEAD (over shm its
 * heap is still mapped: they used to succeed into it). (That survivors
 * still reach each other is tcp_peer_death's.) */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>

#include "t_proc.h"

int main(void)
{
	uint64_t *flag;
	double t0;
	int me, n, rc;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 2, "needs at least 2 ranks (has %d)", n);
	T_OK(zc_calloc(1, sizeof(uint64_t), (void **)&flag));
	T_OK(zc_barrier_all());
	if (me == n - 1) {
		struct timespec ts = { 0, 200 * 1000000L };

		nanosleep(&ts, NULL);
		raise(SIGKILL);	/* never sets the flag */
	}
	t0 = t_now();
	rc = zc_wait_until(flag, ZC_UINT64, ZC_CMP_EQ, 1);
	T_ASSERT(rc == -ZC_EPEERDEAD, "FAIL wait_until gave %d (%s)", rc,
		 zc_strerror(rc));
	T_ASSERT(t_now() - t0 < 2.0 + 5.0, "FAIL took %.1f s", t_now() - t0);
	rc = zc_barrier_all();
	T_ASSERT(rc == -ZC_EPEERDEAD, "FAIL barrier with a dead rank gave %d",
		 rc);
	T_ASSERT(t_now() - t0 < 2.0 + 5.0, "FAIL took %.1f s", t_now() - t0);
	{
		uint64_t v = 7, w = 0, old = 0;
		int dead = n - 1;

		rc = zc_put(flag, &v, sizeof(v), dead);
		T_ASSERT(rc == -ZC_EPEERDEAD, "FAIL put to the dead rank: %d", rc);
		rc = zc_get(&w, flag, sizeof(w), dead);
		T_ASSERT(rc == -ZC_EPEERDEAD, "FAIL get from the dead rank: %d",
			 rc);
		rc = zc_atomic(ZC_AMO_ADD, flag, 8, 1, 0, dead, &old);
		T_ASSERT(rc == -ZC_EPEERDEAD, "FAIL atomic at the dead rank: %d",
			 rc);
	}
	printf("survivor %d ok: wait_until ended with peer dead after %.1f s\n",
	       me, t_now() - t0);
	zc_finalize();
	return 0;
}
