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

#define WORDS 512

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The process state letter of pid ('T' once a SIGSTOP took effect). */
static char proc_state(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

int main(void)
{
	uint64_t *x, *pids, v[WORDS];
	int me, n, rc;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n != 2, "runs on exactly 2 ranks (has %d)", n);
	T_OK(zc_calloc(WORDS, sizeof(uint64_t), (void **)&x));
	T_OK(zc_calloc(2, sizeof(uint64_t), (void **)&pids));
	pids[0] = (uint64_t)getpid();
	T_OK(zc_barrier_all());
	if (me == 1) {
		double t = now(), prev = t, cur;
		int bad = 0;

		/* Sleep in small steps until a jump in time shows that we
		 * were stopped and resumed (at most 30 s). */
		while ((cur = now()) - t < 30 && cur - prev < 1.0) {
			prev = cur;
			nap(10);
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
		t0 = now();
		while (proc_state((pid_t)pid1) != 'T' && now() - t0 < 5)
			nap(1);
		T_ASSERT(proc_state((pid_t)pid1) == 'T', "rank 1 not stopped");
		t0 = now();
		rc = zc_get(&tmp, x, sizeof(tmp), 1);
		if (rc != -ZC_EPEERDEAD)
			kill((pid_t)pid1, SIGCONT);
		T_ASSERT(rc == -ZC_EPEERDEAD, "get from a stopped rank: %s",
			 zc_strerror(rc));
		printf("rank 0: rank 1 declared dead after %.1f s\n", now() - t0);
		nap(300);
		T_ASSERT(kill((pid_t)pid1, SIGCONT) == 0, "SIGCONT");
		nap(3000);
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
