/* SPDX-License-Identifier: MIT */
/* Teams as an outside program uses them: splits of a parent that is not
 * the world (strided and 2D), SHMEM_TEAM_INVALID everywhere it may be
 * passed, xrange beyond the parent, translate_pe between two sub-teams,
 * team_ptr, SHMEM_TEAM_SHARED, and team collectives whose root and
 * order are team-relative. */
#include <stdint.h>
#include <string.h>

#include "sh_test.h"

static void check_invalid_team(void)
{
	shmem_team_t t = SHMEM_TEAM_WORLD, x = SHMEM_TEAM_WORLD, y = x;
	shmem_team_config_t conf = { 0 };
	shmem_ctx_t ctx = SHMEM_CTX_DEFAULT;

	SH_ASSERT(shmem_team_my_pe(SHMEM_TEAM_INVALID) == -1, "my_pe");
	SH_ASSERT(shmem_team_n_pes(SHMEM_TEAM_INVALID) == -1, "n_pes");
	SH_ASSERT(shmem_team_translate_pe(SHMEM_TEAM_INVALID, 0,
					  SHMEM_TEAM_WORLD) == -1, "tr src");
	SH_ASSERT(shmem_team_translate_pe(SHMEM_TEAM_WORLD, 0,
					  SHMEM_TEAM_INVALID) == -1, "tr dst");
	SH_ASSERT(shmem_team_translate_pe(SHMEM_TEAM_WORLD, shmem_n_pes(),
					  SHMEM_TEAM_WORLD) == -1, "tr range");
	SH_ASSERT(shmem_team_translate_pe(SHMEM_TEAM_WORLD, -1,
					  SHMEM_TEAM_WORLD) == -1, "tr -1");
	SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_INVALID, 0, 1, 1, NULL,
					   0, &t) != 0 &&
		  t == SHMEM_TEAM_INVALID, "split of INVALID");
	SH_ASSERT(shmem_team_split_2d(SHMEM_TEAM_INVALID, 1, NULL, 0, &x, NULL,
				      0, &y) != 0 &&
		  x == SHMEM_TEAM_INVALID && y == SHMEM_TEAM_INVALID,
		  "split_2d of INVALID");
	SH_ASSERT(shmem_team_get_config(SHMEM_TEAM_INVALID,
					SHMEM_TEAM_NUM_CONTEXTS, &conf) != 0,
		  "get_config of INVALID");
	SH_ASSERT(shmem_team_create_ctx(SHMEM_TEAM_INVALID, 0, &ctx) != 0 &&
		  ctx == SHMEM_CTX_INVALID, "ctx on INVALID");
	shmem_team_destroy(SHMEM_TEAM_INVALID);	/* a no-op */
	SH_ASSERT(shmem_team_ptr(SHMEM_TEAM_INVALID, &conf, 0) == NULL,
		  "team_ptr INVALID");
}

/* Teams of the world's even PEs, then of every other even PE (world
 * PEs 0, 4, 8...) split from it: a parent that is not the world. */
static void check_nested(long *buf)
{
	int me = shmem_my_pe(), n = shmem_n_pes();
	int neven = (n + 1) / 2, nq = (neven + 1) / 2;
	shmem_team_t even, quad, x, y;

	SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 2, neven, NULL,
					   0, &even) == 0, "split even");
	if (me % 2) {
		SH_ASSERT(even == SHMEM_TEAM_INVALID, "odd PE in even team");
		return;
	}
	SH_ASSERT(shmem_team_split_strided(even, 0, 2, nq, NULL, 0, &quad) ==
		  0, "split of even");
	SH_ASSERT((me % 4 == 0) == (quad != SHMEM_TEAM_INVALID), "quad member");
	if (quad != SHMEM_TEAM_INVALID) {
		SH_ASSERT(shmem_team_my_pe(quad) == me / 4 &&
			  shmem_team_n_pes(quad) == nq, "quad pe %d of %d",
			  shmem_team_my_pe(quad), shmem_team_n_pes(quad));
		for (int i = 0; i < nq; i++) {
			SH_ASSERT(shmem_team_translate_pe(quad, i,
							  SHMEM_TEAM_WORLD) ==
				  4 * i, "quad->world %d", i);
			SH_ASSERT(shmem_team_translate_pe(quad, i, even) ==
				  2 * i, "quad->even %d", i);
		}
		/* Team-relative root; every member gets the root's data. */
		buf[0] = 1000 + me;
		SH_ASSERT(shmem_long_broadcast(quad, &buf[1], &buf[0], 1,
					       nq - 1) == 0, "bcast");
		SH_ASSERT(buf[1] == 1000 + 4 * (nq - 1), "bcast got %ld",
			  buf[1]);
		shmem_team_destroy(quad);
	}
	SH_ASSERT(shmem_team_translate_pe(even, shmem_team_my_pe(even),
					  SHMEM_TEAM_WORLD) == me,
		  "even->world");

	/* 2D over the even team, rows of 2 (xrange beyond the size too). */
	SH_ASSERT(shmem_team_split_2d(even, 2, NULL, 0, &x, NULL, 0, &y) == 0,
		  "2d of even");
	SH_ASSERT(x != SHMEM_TEAM_INVALID && y != SHMEM_TEAM_INVALID, "2d");
	{
		int e = shmem_team_my_pe(even);

		SH_ASSERT(shmem_team_my_pe(x) == e % 2 &&
			  shmem_team_my_pe(y) == e / 2, "2d coords");
		SH_ASSERT(shmem_team_n_pes(y) == (neven - e % 2 + 1) / 2,
			  "y size %d", shmem_team_n_pes(y));
		SH_ASSERT(shmem_team_translate_pe(x, 0, SHMEM_TEAM_WORLD) ==
			  me - 2 * (e % 2), "x row start");
		/* The y team of column c: world PEs 2c, 2c + 4, ... */
		for (int i = 0; i < shmem_team_n_pes(y); i++)
			SH_ASSERT(shmem_team_translate_pe(y, i,
							  SHMEM_TEAM_WORLD) ==
				  2 * (e % 2) + 4 * i, "y member %d", i);
		/* Between two sub-teams: my own PE in x is found in y. */
		SH_ASSERT(shmem_team_translate_pe(x, e % 2, y) == e / 2,
			  "x->y");
		/* A sum over the column says who is in it. */
		buf[2] = me;
		SH_ASSERT(shmem_long_sum_reduce(y, &buf[3], &buf[2], 1) == 0,
			  "sum on y");
		{
			long want = 0;

			for (int i = 0; i < shmem_team_n_pes(y); i++)
				want += 2 * (e % 2) + 4 * i;
			SH_ASSERT(buf[3] == want, "y sum %ld want %ld", buf[3],
				  want);
		}
	}
	shmem_team_destroy(x);
	shmem_team_destroy(y);
	SH_ASSERT(shmem_team_split_2d(even, neven + 5, NULL, 0, &x, NULL, 0,
				      &y) == 0, "2d wide");
	SH_ASSERT(shmem_team_n_pes(x) == neven && shmem_team_n_pes(y) == 1,
		  "xrange beyond size: x %d y %d", shmem_team_n_pes(x),
		  shmem_team_n_pes(y));
	shmem_team_destroy(x);
	shmem_team_destroy(y);
	/* Stride 0 names one PE (allowed with size 1). */
	SH_ASSERT(shmem_team_split_strided(even, 0, 0, 1, NULL, 0, &x) == 0,
		  "stride 0");
	SH_ASSERT((me == 0) == (x != SHMEM_TEAM_INVALID), "stride 0 member");
	if (x != SHMEM_TEAM_INVALID)
		shmem_team_destroy(x);
	shmem_team_destroy(even);
}

static void check_ptr_and_shared(long *buf)
{
	int me = shmem_my_pe(), n = shmem_n_pes();
	shmem_team_t sh = SHMEM_TEAM_SHARED;
	int sme = shmem_team_my_pe(sh), sn = shmem_team_n_pes(sh);
	long *p;

	SH_ASSERT(sme >= 0 && sn >= 1 && sme < sn && sn <= n, "shared %d/%d",
		  sme, sn);
	SH_ASSERT(shmem_team_translate_pe(sh, sme, SHMEM_TEAM_WORLD) == me,
		  "shared->world");
	/* Every member of the shared team is load/store reachable. */
	buf[4] = 500 + me;
	shmem_barrier_all();
	for (int i = 0; i < sn; i++) {
		int w = shmem_team_translate_pe(sh, i, SHMEM_TEAM_WORLD);

		p = shmem_team_ptr(sh, &buf[4], i);
		SH_ASSERT(p != NULL, "team_ptr of shared member %d", i);
		SH_ASSERT(*p == 500 + w, "team_ptr reads %ld", *p);
		SH_ASSERT(shmem_ptr(&buf[4], w) == p, "ptr == team_ptr");
	}
	p = shmem_team_ptr(SHMEM_TEAM_WORLD, &buf[4], me);
	SH_ASSERT(p == &buf[4], "team_ptr to myself");
	SH_ASSERT(shmem_ptr(&buf[4], me) == &buf[4], "ptr to myself");
	shmem_barrier_all();
}

int main(void)
{
	long *buf;

	shmem_init();
	buf = shmem_calloc(8, sizeof(long));
	SH_ASSERT(buf, "alloc");
	SH_ASSERT(shmem_team_my_pe(SHMEM_TEAM_WORLD) == shmem_my_pe() &&
		  shmem_team_n_pes(SHMEM_TEAM_WORLD) == shmem_n_pes(), "world");
	check_invalid_team();
	check_nested(buf);
	shmem_barrier_all();
	check_ptr_and_shared(buf);
	shmem_free(buf);
	return sh_test_done("shmem team_nested");
}
