/* SPDX-License-Identifier: MIT */
/*
 * ZC_BIND. auto: the ranks of a node that outnumber its CPUs end up one
 * CPU each, spread evenly; fewer ranks are left where they were; a rank
 * bound before zc_init (ZC_TEST_PREBIND=1: the test binds itself to the
 * first CPU it may use) keeps its binding. always: bound and spread
 * whatever the count. none: never touched. Launched with --bind-to none.
 */
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t_helpers.h"

#define MAXCPU 1024

static int first_cpu(const cpu_set_t *s)
{
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, s))
			return i;
	return -1;
}

int main(void)
{
	const char *mode = getenv("ZC_BIND") ? getenv("ZC_BIND") : "auto";
	bool prebind = getenv("ZC_TEST_PREBIND") != NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t before, after;
	uint64_t *count;
	int me, n, local, cpu;
	bool expect_bound;

	T_ASSERT(sched_getaffinity(0, sizeof(before), &before) == 0,
		 "sched_getaffinity");
	T_SKIP_IF(!prebind && CPU_COUNT(&before) != ncpu,
		  "started bound to %d of %ld CPUs (run it with --bind-to "
		  "none)", CPU_COUNT(&before), ncpu);
	if (prebind) {
		cpu = first_cpu(&before);
		CPU_ZERO(&before);
		CPU_SET(cpu, &before);
		T_ASSERT(sched_setaffinity(0, sizeof(before), &before) == 0,
			 "sched_setaffinity");
	}
	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	local = zc_local_size();
	T_ASSERT(sched_getaffinity(0, sizeof(after), &after) == 0,
		 "sched_getaffinity");
	expect_bound = !strcmp(mode, "always") ||
		       (!strcmp(mode, "auto") && !prebind && local > ncpu);
	T_OK(zc_calloc(MAXCPU, sizeof(uint64_t), (void **)&count));
	if (expect_bound) {
		cpu = first_cpu(&after);
		T_ASSERT(CPU_COUNT(&after) == 1 && cpu >= 0 && cpu < MAXCPU &&
			 CPU_ISSET(cpu, &before),
			 "rank %d (ZC_BIND=%s, %d ranks here, %ld CPUs): on %d "
			 "CPUs, expected one", me, mode, local, ncpu,
			 CPU_COUNT(&after));
		T_OK(zc_atomic(ZC_AMO_ADD, &count[cpu], 8, 1, 0, 0, NULL));
	} else {
		T_ASSERT(CPU_EQUAL(&before, &after),
			 "rank %d (ZC_BIND=%s, %d ranks here, %ld CPUs%s): "
			 "placement changed from %d CPUs to %d", me, mode,
			 local, ncpu, prebind ? ", bound before" : "",
			 CPU_COUNT(&before), CPU_COUNT(&after));
	}
	T_OK(zc_barrier_all());
	/* One node: every CPU carries the same number of ranks, give or
	 * take one. */
	if (expect_bound && me == 0 && local == n) {
		uint64_t lo = UINT64_MAX, hi = 0, sum = 0;

		for (int i = 0; i < MAXCPU && i < ncpu; i++) {
			if (!CPU_ISSET(i, &before))
				continue;
			lo = count[i] < lo ? count[i] : lo;
			hi = count[i] > hi ? count[i] : hi;
			sum += count[i];
		}
		T_ASSERT(sum == (uint64_t)n && (local < ncpu || hi - lo <= 1),
			 "%d ranks spread over the CPUs as %lu..%lu per CPU",
			 n, (unsigned long)lo, (unsigned long)hi);
		if (local < ncpu)
			T_ASSERT(hi == 1, "two ranks on one CPU of %ld", ncpu);
	}
	T_OK(zc_barrier_all());
	T_OK(zc_free(count));
	T_OK(zc_finalize());
	return 0;
}
