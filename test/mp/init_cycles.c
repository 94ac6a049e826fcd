/* SPDX-License-Identifier: MIT */
/* zc_init/zc_finalize leave nothing of ours behind: after each cycle
 * (init, a put to the next rank, a barrier, finalize) this process has
 * exactly the threads and file descriptors it had before the first
 * zc_init, and alone its resident size is flat after the first cycle
 * (within 64 KiB). Alone the program runs CYCLES cycles; under a launcher
 * one: PMIx fails a fence now and then when a rank calls PMIx_Init again
 * right after PMIx_Finalize (PMIX_ERR_PARTIAL_SUCCESS, ~1 run in 8 of 5
 * cycles at 2 ranks), and every PMIx_Init/Finalize pair costs PMIx
 * ~155 KiB: both PMIx's (doc/design.md). Before: alone, a failed
 * PMIx_Init left PMIx's progress thread and its event base's 4 fds; over
 * tcp an io_uring SHUTDOWN left an io-wq worker thread for the life of
 * the application thread. */
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "t_helpers.h"

#define CYCLES 5
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

int main(void)
{
	static char t0n[4096], f0n[4096], tn[4096], fn[4096];
	int t0 = count("/proc/self/task", t0n, sizeof(t0n));
	int f0 = count("/proc/self/fd", f0n, sizeof(f0n));
	long rss1 = 0, rss;
	int n = 1, cycles = CYCLES;

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
		t = count("/proc/self/task", tn, sizeof(tn));
		f = count("/proc/self/fd", fn, sizeof(fn));
		T_ASSERT(t == t0 + RUNTIME_THREADS, "after cycle %d: %d threads, "
			 "%d before the first zc_init (+%d: the sanitizer's)\n"
			 "now:   %s\nbefore:%s", c, t, t0, RUNTIME_THREADS, tn, t0n);
		T_ASSERT(f == f0, "after cycle %d: %d fds, %d before the first "
			 "zc_init\nnow:   %s\nbefore:%s", c, f, f0, fn, f0n);
		rss = t_rss_kib();
		if (c == 0)
			rss1 = rss;
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
		/* Sanitizers' allocators keep freed memory: RSS means
		 * nothing there. */
		T_ASSERT(rss - rss1 <= 64, "RSS grew %ld KiB over %d cycles",
			 rss - rss1, c);
#endif
		if (n > 1) {
			cycles = 1;
			break;
		}
	}
	printf("init_cycles: %d cycles at %d rank(s): %d threads, %d fds "
	       "every time; RSS %ld -> %ld KiB after the first\n", cycles, n,
	       t0, f0, rss1, rss);
	return 0;
}
