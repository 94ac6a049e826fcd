/* SPDX-License-Identifier: MIT */
/* The byte-wise team collectives (broadcastmem, collectmem with a
 * different size on every PE, fcollectmem, alltoallmem, alltoallsmem
 * with strides) and typed alltoalls with strides, on the world and on a
 * sub-team; the root's own dest is written too (1.5); shmem_sync(team).
 * Each call follows a team sync: the buffers were just refilled here. */
#include <stdint.h>
#include <string.h>

#include "sh_test.h"

#define CAP 4096

static unsigned char *sbuf, *dbuf;

static unsigned char byte(int pe, size_t i)
{
	return (unsigned char)(pe * 31 + i * 7 + 1);
}

static void run(shmem_team_t team)
{
	int me = shmem_team_my_pe(team), tn = shmem_team_n_pes(team);
	int root = tn - 1;
	size_t off = 0;

	/* broadcastmem: 37 bytes from the last PE, its own dest too. */
	for (size_t i = 0; i < 37; i++)
		sbuf[i] = byte(me, i);
	memset(dbuf, 0xee, CAP);
	shmem_team_sync(team);	/* nobody writes my dest early */
	SH_ASSERT(shmem_broadcastmem(team, dbuf, sbuf, 37, root) == 0, "bc");
	for (size_t i = 0; i < 37; i++)
		SH_ASSERT(dbuf[i] == byte(root, i), "bcast byte %zu", i);
	SH_ASSERT(dbuf[37] == 0xee, "bcast wrote past the end");

	/* collectmem: PE p gives 3p + 1 bytes, in team order. */
	for (size_t i = 0; i < 3 * (size_t)me + 1; i++)
		sbuf[i] = byte(me, i);
	memset(dbuf, 0xee, CAP);
	shmem_team_sync(team);	/* nobody writes my dest early */
	SH_ASSERT(shmem_collectmem(team, dbuf, sbuf, 3 * (size_t)me + 1) == 0,
		  "collectmem");
	for (int p = 0; p < tn; p++)
		for (size_t i = 0; i < 3 * (size_t)p + 1; i++, off++)
			SH_ASSERT(dbuf[off] == byte(p, i), "collect %d/%zu",
				  p, i);
	SH_ASSERT(dbuf[off] == 0xee, "collect wrote past the end");

	/* fcollectmem: 5 bytes each. */
	for (size_t i = 0; i < 5; i++)
		sbuf[i] = byte(me, i);
	shmem_team_sync(team);	/* nobody writes my dest early */
	SH_ASSERT(shmem_fcollectmem(team, dbuf, sbuf, 5) == 0, "fcollectmem");
	for (int p = 0; p < tn; p++)
		for (size_t i = 0; i < 5; i++)
			SH_ASSERT(dbuf[5 * (size_t)p + i] == byte(p, i),
				  "fcollect %d/%zu", p, i);

	/* alltoallmem: block j of my source goes to PE j, 6 bytes. */
	for (int j = 0; j < tn; j++)
		for (size_t i = 0; i < 6; i++)
			sbuf[6 * (size_t)j + i] = byte(me, (size_t)j * 100 + i);
	shmem_team_sync(team);	/* nobody writes my dest early */
	SH_ASSERT(shmem_alltoallmem(team, dbuf, sbuf, 6) == 0, "alltoallmem");
	for (int p = 0; p < tn; p++)
		for (size_t i = 0; i < 6; i++)
			SH_ASSERT(dbuf[6 * (size_t)p + i] ==
				  byte(p, (size_t)me * 100 + i), "a2a %d/%zu",
				  p, i);

	/* alltoallsmem: 2 elements a block, source stride 3, dest 2. */
	memset(sbuf, 0, CAP);
	memset(dbuf, 0xee, CAP);
	for (int j = 0; j < tn; j++)
		for (size_t k = 0; k < 2; k++)
			sbuf[((size_t)j * 2 + k) * 3] =
				byte(me, (size_t)j * 10 + k);
	shmem_team_sync(team);	/* nobody writes my dest early */
	SH_ASSERT(shmem_alltoallsmem(team, dbuf, sbuf, 2, 3, 2) == 0, "a2as");
	for (int p = 0; p < tn; p++)
		for (size_t k = 0; k < 2; k++) {
			size_t at = ((size_t)p * 2 + k) * 2;

			SH_ASSERT(dbuf[at] == byte(p, (size_t)me * 10 + k),
				  "a2as %d/%zu", p, k);
			SH_ASSERT(dbuf[at + 1] == 0xee, "a2as gap written");
		}

	/* Typed alltoalls: int, dest stride 3, source stride 1. */
	{
		int *s = (int *)sbuf, *d = (int *)dbuf;

		for (int j = 0; j < tn; j++)
			s[j] = me * 1000 + j;
		memset(dbuf, 0, CAP);
		shmem_team_sync(team);	/* nobody writes my dest early */
		SH_ASSERT(shmem_int_alltoalls(team, d, s, 3, 1, 1) == 0,
			  "ia2as");
		for (int p = 0; p < tn; p++)
			SH_ASSERT(d[3 * p] == p * 1000 + me &&
				  d[3 * p + 1] == 0,
				  "int a2as %d", p);
	}
	SH_ASSERT(shmem_sync(team) == 0, "sync(team)");
	SH_ASSERT(shmem_team_sync(team) == 0, "team_sync");
}

int main(void)
{
	int me, n;
	shmem_team_t t;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	sbuf = shmem_malloc(CAP);
	dbuf = shmem_malloc(CAP);
	SH_ASSERT(sbuf && dbuf, "alloc");
	run(SHMEM_TEAM_WORLD);
	/* PEs 1..n-1 (all but the first). */
	if (n >= 2) {
		SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_WORLD, 1, 1,
						   n - 1, NULL, 0, &t) == 0,
			  "split");
		SH_ASSERT((me > 0) == (t != SHMEM_TEAM_INVALID), "member");
		if (t != SHMEM_TEAM_INVALID) {
			run(t);
			shmem_team_destroy(t);
		}
	}
	shmem_barrier_all();
	shmem_free(dbuf);
	shmem_free(sbuf);
	return sh_test_done("shmem coll_mem");
}
