/* SPDX-License-Identifier: MIT */
/*
 * kill -9 of a rank that has commands in flight in the zcomm module (run
 * by kernel_kill_inflight.sh, 2 ranks, ZC_TRANSPORTS=kernel, mpirun
 * --enable-recovery). Rank 1, the victim, streams 64 KiB put_nbi and
 * get_nbi and non-fetching adds to rank 0 and never quiets: the
 * provider keeps up to ZC_KERNEL_MAX_REQ (512) commands and
 * ZC_KERNEL_WINDOW (16 MiB) of puts and gets in flight, and at tens of
 * MB/s (rxe in the guest) that window stays full. Rank 0
 * waits until the victim's adds arrive, counts the victim's commands in
 * flight from its io_uring's fdinfo (SQEs consumed minus CQEs posted),
 * asserts there are many, and SIGKILLs it. The module then has to finish
 * or cancel every one of them before io_uring lets the file go, release
 * the file's registrations and, after its grace period, their pages: the
 * script checks the module's counters and unloads it. Rank 0 must see
 * -ZC_EPEERDEAD within the peer timeout (ZC_PEER_TIMEOUT, 5 s: the
 * window bounds what the module must drain first) and finish.
 * Prints "survivor ok" on success.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "t_helpers.h"
#include "t_proc.h"

#define MIB ((size_t)1 << 20)
#define PIECE ((size_t)64 << 10)	/* per put and get: many fit the window */
#define MIN_INFLIGHT 64		/* of 512: the window is about full */
#define DEATH_BOUND 5.0		/* s: ZC_PEER_TIMEOUT's default */

/* The commands pid's io_uring holds: SQEs it consumed minus CQEs it
 * posted (one each here), or -1 if pid has no ring. */
static long ring_inflight(pid_t pid)
{
	char path[512], link[64], line[128];
	struct dirent *e;
	DIR *d;
	long sq = -1, cq = -1;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	T_ASSERT(d, "open %s", path);
	while (sq < 0 && (e = readdir(d))) {
		ssize_t n;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)pid,
			 e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, "anon_inode:[io_uring]"))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)pid,
			 e->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f)) {
			(void)sscanf(line, "SqHead: %ld", &sq);
			(void)sscanf(line, "CqTail: %ld", &cq);
		}
		if (f)
			fclose(f);
	}
	closedir(d);
	/* both are u32 counters that wrap together */
	return sq < 0 || cq < 0 ? -1 : (long)(uint32_t)(sq - cq);
}

/* The victim: never returns; any error before the kill fails it. */
static void stream(char *big, uint64_t *ctr)
{
	for (unsigned long i = 0;; i++) {
		T_OK(zc_put_nbi(big, big + 2 * MIB, PIECE, 0));
		T_OK(zc_get_nbi(big + 3 * MIB, big + MIB, PIECE, 0));
		T_OK(zc_atomic_add64(ctr, 1, 0));
		if (i == 0) {
			printf("victim streaming\n");
			fflush(stdout);
		}
	}
}

int main(void)
{
	uint64_t *x, *pids, vpid = 0, old;
	char *big;
	double t0;
	long inflight;
	int me, rc = 0;

	me = t_pair_init(8, &x, &pids);
	T_OK(zc_malloc(4 * MIB, (void **)&big));
	memset(big, me + 1, 4 * MIB);
	T_OK(zc_get(&vpid, pids, sizeof(vpid), 1));
	T_OK(zc_barrier_all());
	if (me == 1)
		stream(big, x);
	t0 = t_now();
	while (__atomic_load_n(&x[0], __ATOMIC_ACQUIRE) < 16) {
		T_ASSERT(t_now() - t0 < 60, "the victim's adds never came");
		t_nap(1);
	}
	t_nap(500);	/* its window fills */
	inflight = ring_inflight((pid_t)vpid);
	T_ASSERT(kill((pid_t)vpid, SIGKILL) == 0, "SIGKILL the victim "
		 "(pid %llu)", (unsigned long long)vpid);
	t0 = t_now();
	printf("survivor: killed the victim with %ld commands in flight "
	       "(%llu adds arrived)\n", inflight,
	       (unsigned long long)__atomic_load_n(&x[0], __ATOMIC_ACQUIRE));
	fflush(stdout);
	/* Without this a victim that kept nothing in flight would pass. */
	T_ASSERT(inflight >= MIN_INFLIGHT, "the victim had %ld commands in "
		 "flight, want >= %d", inflight, MIN_INFLIGHT);
	/* The module announces the heap gone once io_uring released the
	 * victim's file, i.e. after its window drained (at most
	 * ZC_KERNEL_WINDOW of puts and gets). */
	while (!rc) {
		rc = zc_put_nbi(big, big + 2 * MIB, 4096, 1);
		if (!rc)
			rc = zc_quiet();
		T_ASSERT(t_now() - t0 < DEATH_BOUND, "no error %.1f s after "
			 "the kill", t_now() - t0);
	}
	T_ASSERT(rc == -ZC_EPEERDEAD, "put/quiet to the dead rank: %s",
		 zc_strerror(rc));
	printf("survivor: the victim's death seen after %.1f s\n",
	       t_now() - t0);
	T_ASSERT(zc_put(big, big + 2 * MIB, MIB, 1) == -ZC_EPEERDEAD,
		 "blocking put to the dead rank");
	T_ASSERT(zc_get(big + 3 * MIB, big + MIB, MIB, 1) == -ZC_EPEERDEAD,
		 "blocking get from the dead rank");
	T_ASSERT(zc_atomic_fetch_add64(x, 1, 1, &old) == -ZC_EPEERDEAD,
		 "fetch-add on the dead rank");
	rc = zc_finalize();
	T_ASSERT(rc == -ZC_EPEERDEAD, "finalize with a dead member: %s",
		 zc_strerror(rc));
	printf("kernel_kill_inflight: survivor ok\n");
	return 0;
}
