/* SPDX-License-Identifier: MIT */
/* Library setup and query: init_thread, my_pe/n_pes and the deprecated
 * names, info, pe/addr_accessible, shmem_ptr, the predefined teams. */
#include <string.h>

#include "sh_test.h"

int main(void)
{
	char name[SHMEM_MAX_NAME_LEN];
	int provided = -1, q = -1, major = 0, minor = 0, me, n;
	long *sym, local = 0;

	SH_ASSERT(shmem_init_thread(SHMEM_THREAD_MULTIPLE, &provided) == 0,
		  "init_thread failed");
	SH_ASSERT(provided >= SHMEM_THREAD_SINGLE &&
		  provided <= SHMEM_THREAD_MULTIPLE, "provided %d", provided);
	shmem_query_thread(&q);
	SH_ASSERT(q == provided, "query_thread %d, init gave %d", q, provided);
	me = shmem_my_pe();
	n = shmem_n_pes();
	SH_ASSERT(n >= 1 && me >= 0 && me < n, "pe %d of %d", me, n);
	SH_ASSERT(_my_pe() == me && _num_pes() == n, "deprecated names");
	SH_ASSERT(shmem_team_my_pe(SHMEM_TEAM_WORLD) == me, "world my_pe");
	SH_ASSERT(shmem_team_n_pes(SHMEM_TEAM_WORLD) == n, "world n_pes");
	SH_ASSERT(shmem_team_n_pes(SHMEM_TEAM_SHARED) >= 1, "shared team");
	SH_ASSERT(shmem_team_my_pe(SHMEM_TEAM_INVALID) == -1, "invalid team");
	shmem_info_get_version(&major, &minor);
	SH_ASSERT(major == SHMEM_MAJOR_VERSION && minor == SHMEM_MINOR_VERSION,
		  "version %d.%d", major, minor);
	SH_ASSERT(major == 1 && minor == 5, "version %d.%d", major, minor);
	shmem_info_get_name(name);
	SH_ASSERT(!strcmp(name, SHMEM_VENDOR_STRING), "name '%s'", name);

	sym = shmem_malloc(sizeof(long));
	SH_ASSERT(sym, "shmem_malloc");
	for (int pe = 0; pe < n; pe++) {
		SH_ASSERT(shmem_pe_accessible(pe), "pe %d not accessible", pe);
		SH_ASSERT(shmem_addr_accessible(sym, pe), "sym on %d", pe);
		SH_ASSERT(!shmem_addr_accessible(&local, pe), "stack on %d", pe);
	}
	SH_ASSERT(!shmem_pe_accessible(n) && !shmem_pe_accessible(-1),
		  "out of range pe accessible");
	/* My own copy is always load/store reachable; same-node peers
	 * (SHMEM_TEAM_SHARED) too. */
	SH_ASSERT(shmem_ptr(sym, me) == sym, "shmem_ptr to myself");
	*sym = 1000 + me;
	shmem_barrier_all();
	for (int i = 0; i < shmem_team_n_pes(SHMEM_TEAM_SHARED); i++) {
		int pe = shmem_team_translate_pe(SHMEM_TEAM_SHARED, i,
						 SHMEM_TEAM_WORLD);
		long *p = shmem_ptr(sym, pe);

		SH_ASSERT(p && *p == 1000 + pe, "shmem_ptr to shared pe %d", pe);
	}
	shmem_barrier_all();
	shmem_free(sym);
	return sh_test_done("shmem setup");
}
