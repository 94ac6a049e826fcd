/* SPDX-License-Identifier: MIT */
/* kill -9 of one rank mid-run (run under mpirun --enable-recovery so the
 * launcher lets the others go on): every survivor's puts, quiet and
 * blocking ops to it fail with -ZC_EPEERDEAD, none hangs, the survivors
 * keep talking to each other, and their zc_finalize (whose barrier
 * includes the dead rank) returns an error instead of hanging. */
#include <signal.h>
#include <string.h>
#include <time.h>

#include "t_proc.h"

#define LEN 8192

int main(void)
{
	unsigned char *sym, *local;
	double t0, bound = 2.0 + 5.0;	/* ZC_PEER_TIMEOUT=2s, + slack */
	int me, n, victim, rc = 0;
	uint64_t old;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 3, "needs at least 3 ranks (has %d)", n);
	victim = n - 1;
	T_OK(zc_calloc((size_t)n, LEN, (void **)&sym));
	local = malloc(LEN);
	T_ASSERT(local, "malloc");
	memset(local, me + 1, LEN);
	T_OK(zc_barrier_all());
	if (me == victim) {
		struct timespec ts = { 0, 200 * 1000000L };

		nanosleep(&ts, NULL);
		raise(SIGKILL);
	}
	t0 = t_now();
	/* Keep a stream of puts flowing until the death shows. */
	while (!rc) {
		rc = zc_put_nbi(sym + (size_t)me * LEN, local, LEN, victim);
		if (!rc)
			rc = zc_quiet();
		T_ASSERT(t_now() - t0 < bound, "no error %.1f s after the kill",
			 t_now() - t0);
	}
	T_ASSERT(rc == -ZC_EPEERDEAD, "put/quiet to the dead rank: %s",
		 zc_strerror(rc));
	T_ASSERT(zc_put(sym, local, LEN, victim) == -ZC_EPEERDEAD,
		 "blocking put to the dead rank");
	T_ASSERT(zc_get(local, sym, LEN, victim) == -ZC_EPEERDEAD,
		 "blocking get from the dead rank");
	T_ASSERT(zc_atomic_fetch_add64((uint64_t *)sym, 1, victim, &old) ==
		 -ZC_EPEERDEAD, "fetch-add on the dead rank");
	/* (zc_barrier_all is not asserted here: the collectives' flat
	 * barrier waits in zc_wait_until, which knows no peer. Core's
	 * barrier, in zc_finalize below, is.) */
	T_ASSERT(t_now() - t0 < bound, "errors took %.1f s", t_now() - t0);
	/* Survivors still work together: ring put + get, checked. */
	{
		int to = (me + 1) % victim, from = (me + victim - 1) % victim;
		unsigned char *slot = sym + (size_t)me * LEN;

		for (size_t i = 0; i < LEN; i++)
			local[i] = t_pattern(me, to, i);
		T_OK(zc_put(slot, local, LEN, to));
		memset(local, 0, LEN);
		T_OK(zc_get(local, slot, LEN, to));
		for (size_t i = 0; i < LEN; i++)
			T_ASSERT(local[i] == t_pattern(me, to, i),
				 "get back from survivor %d: byte %zu", to, i);
		/* Wait for my left neighbour's whole put to land here: the
		 * bytes of one put may become visible in any order (a tcp
		 * put's head can be copied from the stream buffer after its
		 * tail was received in place), so no single byte is a flag. */
		for (size_t i = 0; i < LEN; i++) {
			while (__atomic_load_n(&sym[(size_t)from * LEN + i],
					       __ATOMIC_ACQUIRE) !=
			       t_pattern(from, me, i)) {
				T_ASSERT(t_now() - t0 < 60, "put from survivor "
					 "%d: byte %zu never arrived", from, i);
				zc_quiet();
			}
		}
	}
	/* Survivors-only sync (any barrier includes the dead rank): count
	 * in at rank 0, wait for all, then count out; rank 0 leaves last. */
	for (int phase = 0; phase < 2; phase++) {
		uint64_t *ctr = (uint64_t *)sym + phase * 8, v = 0;

		T_OK(zc_atomic_add64(ctr, 1, 0));
		while (phase == 0 || me == 0) {
			T_OK(zc_atomic(ZC_AMO_FETCH, ctr, 8, 0, 0, 0, &v));
			if (v == (uint64_t)victim)
				break;
			T_ASSERT(t_now() - t0 < 60, "survivors never met");
		}
	}
	free(local);
	/* The finalize barrier includes the dead rank: an error, no hang. */
	rc = zc_finalize();
	T_ASSERT(rc == -ZC_EPEERDEAD, "finalize with a dead member: %s",
		 zc_strerror(rc));
	printf("tcp_peer_death: survivor %d ok (finalize: %s)\n", me,
	       zc_strerror(rc));
	return 0;
}
