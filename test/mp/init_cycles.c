/* SPDX-License-Identifier: MIT */
/* zc_init/zc_finalize leave nothing of ours behind, and zc_init works
 * again after zc_finalize, alone and under a launcher: CYCLES cycles
 * (init, a put to the next rank, a barrier, finalize). Alone, after each
 * cycle this process has exactly the threads and file descriptors it
 * had before the first zc_init; under a launcher, zc_finalize keeps the
 * PMIx connection (PMIx's progress thread and its fds, until exit:
 * doc/design.md), so after each later cycle it has exactly what it had
 * after the first. Resident size is flat after the first WARM cycles
 * (within 64 KiB over the other 8) either way. Before: alone, a failed PMIx_Init left PMIx's
 * progress thread and its event base's 4 fds; over tcp an io_uring
 * SHUTDOWN left an io-wq worker thread for the life of the application
 * thread; under mpirun a later cycle's zc_init failed now and then
 * (PMIX_ERR_PARTIAL_SUCCESS, or a peer's key not found: about 1 run in 4
 * at 2 ranks) and every cycle grew the process by ~155 KiB (PMIx_Init). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "t_helpers.h"

#define CYCLES 16
/* The first cycles warm allocators up (glibc's arena of each new thread,
 * PMIx's caches): resident size is compared from the end of the WARMth. */
#define WARM 8
/* TSan's runtime starts a background thread with the first
 * pthread_create and keeps it for the life of the process. */
#ifdef __SANITIZE_THREAD__
#define RUNTIME_THREADS 1
#else
#define RUNTIME_THREADS 0
#endif

static int count(const char *dir, char *names, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	T_ASSERT(d, "opendir %s", dir);
	names[0] = '\0';
	while ((e = readdir(d))) {
		char path[300], what[128] = "";
		size_t used = strlen(names);
		ssize_t k;

		if (e->d_name[0] == '.')
			continue;
		n++;
		/* What each is, for the message: a thread's name or what an
		 * fd points at (dirfd(d) is this scan's own). */
		if (!strcmp(dir, "/proc/self/fd")) {
			if (atoi(e->d_name) == dirfd(d))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			k = readlink(path, what, sizeof(what) - 1);
			what[k > 0 ? k : 0] = '\0';
		} else {
			FILE *f;

			snprintf(path, sizeof(path), "%s/%s/comm", dir, e->d_name);
			if ((f = fopen(path, "r"))) {
				if (!fgets(what, sizeof(what), f))
					what[0] = '\0';
				what[strcspn(what, "\n")] = '\0';
				fclose(f);
			}
		}
		snprintf(names + used, cap - used, " %s=%s", e->d_name, what);
	}
	closedir(d);
	return n - !strcmp(dir, "/proc/self/fd");
}

/* Threads of this process, once any that are still exiting are gone:
 * pthread_join returns when the kernel wakes the joiner, a moment before
 * it unlists the task. Polls for up to ms milliseconds while there are
 * more than want; returns the fewest seen. */
static int threads(int want, long ms, char *names, size_t cap)
{
	const struct timespec tick = { 0, 10 * 1000000L };
	int t = count("/proc/self/task", names, cap);

	for (long waited = 0; t > want && waited < ms; waited += 10) {
		int now;

		nanosleep(&tick, NULL);
		now = count("/proc/self/task", names, cap);
		t = now < t ? now : t;
	}
	return t;
}

int main(void)
{
	static char t0n[4096], f0n[4096], tn[4096], fn[4096];
	int t0 = count("/proc/self/task", t0n, sizeof(t0n));
	int f0 = count("/proc/self/fd", f0n, sizeof(f0n));
	long rss1 = 0, rss = 0;
	int n = 1;

	for (int c = 0; c < CYCLES; c++) {
		uint64_t *x, v = (uint64_t)c + 1;
		int me, t, f;

		T_OK(zc_init());
		me = zc_rank();
		n = zc_size();
		T_OK(zc_calloc(1, sizeof(*x), (void **)&x));
		T_OK(zc_put(x, &v, sizeof(v), (me + 1) % n));
		T_OK(zc_barrier_all());
		T_ASSERT(*x == v, "cycle %d: %llu arrived, want %llu", c,
			 (unsigned long long)*x, (unsigned long long)v);
		T_OK(zc_free(x));
		T_OK(zc_finalize());
		f = count("/proc/self/fd", fn, sizeof(fn));
		if (c == 0 && n > 1) {
			/* Under a launcher the reference is the first
			 * cycle's end: PMIx's connection stays. */
			t = threads(0, 300, tn, sizeof(tn));
			t0 = t - RUNTIME_THREADS;
			f0 = f;
			memcpy(t0n, tn, sizeof(t0n));
			memcpy(f0n, fn, sizeof(f0n));
		} else {
			t = threads(t0 + RUNTIME_THREADS, 1000, tn, sizeof(tn));
		}
		T_ASSERT(t == t0 + RUNTIME_THREADS, "after cycle %d: %d threads, "
			 "%d before (+%d: the sanitizer's)\n"
			 "now:   %s\nbefore:%s", c, t, t0, RUNTIME_THREADS, tn, t0n);
		T_ASSERT(f == f0, "after cycle %d: %d fds, %d before\n"
			 "now:   %s\nbefore:%s", c, f, f0, fn, f0n);
		rss = t_rss_kib();
		if (c < WARM)
			rss1 = rss;
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
		/* Sanitizers' allocators keep freed memory: RSS means
		 * nothing there. */
		T_ASSERT(rss - rss1 <= 64, "RSS grew %ld KiB over %d cycles",
			 rss - rss1, c + 1 - WARM);
#endif
	}
	printf("init_cycles: %d cycles at %d rank(s): %d threads, %d fds "
	       "every time; RSS %ld -> %ld KiB after cycle %d\n", CYCLES, n,
	       t0, f0, rss1, rss, WARM);
	return 0;
}
