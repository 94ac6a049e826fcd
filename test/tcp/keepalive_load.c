/* SPDX-License-Identifier: MIT */
/* Keepalives under load (doc/tcp.md): rank 0 waits in zc_wait_until for a
 * flag while rank 1 computes outside zcomm for COMPUTE_S seconds beside
 * LOAD threads of its own that spin, far more runnable threads than CPUs.
 * Rank 0's thread sends keepalives the whole time; only rank 1's progress
 * thread can answer them, and it must, however loaded the node: the wait
 * ends with the flag (rc 0), not -ZC_EPEERDEAD, and afterwards both ranks
 * still move data. Run with ZC_TRANSPORTS=tcp and a peer timeout far
 * below COMPUTE_S (ZC_PEER_TIMEOUT=2s: three timeouts' worth). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "t_helpers.h"
#include "t_proc.h"

#define LOAD 32
#define COMPUTE_S 6.0

static atomic_bool stop;

static void *spin(void *arg)
{
	volatile unsigned long x = 0;

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed))
		x++;
	return NULL;
}

int main(void)
{
	uint64_t *flag, one = 1, got = 0;
	double t0;
	int me, n, rc;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n != 2, "runs on exactly 2 ranks (has %d)", n);
	T_OK(zc_calloc(1, sizeof(*flag), (void **)&flag));
	T_OK(zc_barrier_all());
	t0 = t_now();
	if (me == 1) {
		pthread_t th[LOAD];
		volatile unsigned long work = 0;

		for (int i = 0; i < LOAD; i++)
			T_ASSERT(pthread_create(&th[i], NULL, spin, NULL) == 0,
				 "load thread %d", i);
		while (t_now() - t0 < COMPUTE_S)	/* not in zcomm */
			work++;
		atomic_store(&stop, true);
		for (int i = 0; i < LOAD; i++)
			pthread_join(th[i], NULL);
		T_OK(zc_put(flag, &one, sizeof(one), 0));
		T_OK(zc_quiet());
	} else {
		rc = zc_wait_until(flag, ZC_UINT64, ZC_CMP_EQ, 1);
		T_ASSERT(rc == 0, "FAIL wait_until beside a loaded peer gave %s "
			 "after %.1f s", zc_strerror(rc), t_now() - t0);
		T_ASSERT(t_now() - t0 > COMPUTE_S - 1.0, "the wait ended early "
			 "(%.1f s)", t_now() - t0);
	}
	T_OK(zc_barrier_all());
	T_OK(zc_get(&got, flag, sizeof(got), 1 - me));
	T_ASSERT(got == (uint64_t)(me == 1), "rank %d read %llu from its peer",
		 me, (unsigned long long)got);
	T_OK(zc_barrier_all());
	T_OK(zc_free(flag));
	T_OK(zc_finalize());
	if (me == 0)
		printf("keepalive_load: the peer's progress thread answered "
		       "for %.1f s beside %d spinning threads\n", t_now() - t0,
		       LOAD);
	return 0;
}
