/* SPDX-License-Identifier: MIT */
/* Helpers for tests that stop and watch other processes: a monotonic
 * clock in seconds, a sleep in milliseconds and a process's state letter.
 * The includer defines _POSIX_C_SOURCE (clock_gettime, nanosleep). */
#ifndef T_PROC_H
#define T_PROC_H

#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "t_helpers.h"

static inline double t_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Sleeps ms milliseconds, whatever signals come. */
static inline void t_nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

/* The process state letter of pid ('T' once a SIGSTOP took effect). */
static inline char t_proc_state(pid_t pid)
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

/* zc_init for a test of two ranks, one of which stops the other: *x_p
 * is a zeroed symmetric array of words, *pid_p a symmetric word that
 * holds this process's pid (a peer gets it from there); returns the rank
 * after a barrier. */
static inline int t_pair_init(size_t words, uint64_t **x_p, uint64_t **pid_p)
{
	int n;

	T_OK(zc_init());
	n = zc_size();
	T_SKIP_IF(n != 2, "runs on exactly 2 ranks (has %d)", n);
	T_OK(zc_calloc(words, sizeof(uint64_t), (void **)x_p));
	T_OK(zc_calloc(1, sizeof(uint64_t), (void **)pid_p));
	**pid_p = (uint64_t)getpid();
	T_OK(zc_barrier_all());
	return zc_rank();
}

#endif /* T_PROC_H */
