/* SPDX-License-Identifier: MIT */
/* Teams and contexts: split_strided (odd PEs, then a stride-2 team of
 * the world), split_2d, translate_pe, get_config, team_sync, contexts on
 * a team using team-relative PE numbers, ctx_get_team, destroy. */
#include "sh_test.h"

int main(void)
{
	shmem_team_t odd, even, xt, yt, t;
	shmem_team_config_t conf = { 2 }, got = { -1 };
	shmem_ctx_t ctx, ctx2, ctx3;
	int me, n, nodd, neven, xr;
	long *buf;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	buf = shmem_calloc((size_t)n, sizeof(long));
	SH_ASSERT(buf, "alloc");

	/* Odd PEs 1, 3, ...; none when alone. */
	nodd = n / 2;
	neven = (n + 1) / 2;
	if (nodd > 0) {
		SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_WORLD, 1, 2, nodd,
						   &conf, SHMEM_TEAM_NUM_CONTEXTS,
						   &odd) == 0, "split odd");
		SH_ASSERT((me % 2 == 1) == (odd != SHMEM_TEAM_INVALID),
			  "odd membership");
	} else {
		odd = SHMEM_TEAM_INVALID;
	}
	SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 2, neven, NULL,
					   0, &even) == 0, "split even");
	SH_ASSERT((me % 2 == 0) == (even != SHMEM_TEAM_INVALID), "even member");
	t = me % 2 ? odd : even;
	SH_ASSERT(shmem_team_my_pe(t) == me / 2, "team pe %d",
		  shmem_team_my_pe(t));
	SH_ASSERT(shmem_team_n_pes(t) == (me % 2 ? nodd : neven), "team size");
	for (int i = 0; i < shmem_team_n_pes(t); i++)
		SH_ASSERT(shmem_team_translate_pe(t, i, SHMEM_TEAM_WORLD) ==
			  2 * i + me % 2, "translate %d", i);
	SH_ASSERT(shmem_team_translate_pe(SHMEM_TEAM_WORLD, me, t) == me / 2,
		  "translate back");
	if (nodd > 0 && me % 2 == 0)
		SH_ASSERT(shmem_team_translate_pe(SHMEM_TEAM_WORLD, me, odd) == -1,
			  "non-member of odd");
	if (me % 2) {
		SH_ASSERT(shmem_team_get_config(odd, SHMEM_TEAM_NUM_CONTEXTS,
						&got) == 0 && got.num_contexts == 2,
			  "config %d", got.num_contexts);
	}
	SH_ASSERT(shmem_team_sync(t) == 0, "team_sync");

	/* A context on my team: PE numbers are team-relative. */
	SH_ASSERT(shmem_team_create_ctx(t, 0, &ctx) == 0, "team ctx");
	{
		shmem_team_t back = SHMEM_TEAM_INVALID;

		SH_ASSERT(shmem_ctx_get_team(ctx, &back) == 0 && back == t,
			  "ctx team");
	}
	{
		int tn = shmem_team_n_pes(t), tme = shmem_team_my_pe(t);
		int right = (tme + 1) % tn;

		shmem_ctx_long_p(ctx, &buf[me], 100 + me, right);
		shmem_ctx_quiet(ctx);
		shmem_team_sync(t);
		{
			int lw = 2 * ((tme + tn - 1) % tn) + me % 2;

			SH_ASSERT(buf[lw] == 100 + lw, "team ctx put from %d: %ld",
				  lw, buf[lw]);
			SH_ASSERT(shmem_ctx_long_g(ctx, &buf[me], right) == 100 + me,
				  "team ctx get");
		}
	}
	if (me % 2) {
		/* num_contexts 2 reserves, it does not cap: a third works
		 * too, since contexts cost nothing here. */
		SH_ASSERT(shmem_team_create_ctx(odd, 0, &ctx2) == 0, "2nd ctx");
		SH_ASSERT(shmem_team_create_ctx(odd, 0, &ctx3) == 0 &&
			  ctx3 != SHMEM_CTX_INVALID, "3rd ctx");
		shmem_ctx_destroy(ctx3);
		shmem_ctx_destroy(ctx2);
	}
	shmem_ctx_destroy(ctx);
	shmem_barrier_all();

	/* 2D: rows of xr = 2 PEs. */
	xr = 2;
	SH_ASSERT(shmem_team_split_2d(SHMEM_TEAM_WORLD, xr, NULL, 0, &xt, NULL,
				      0, &yt) == 0, "split_2d");
	SH_ASSERT(xt && yt, "2d teams");
	SH_ASSERT(shmem_team_my_pe(xt) == me % xr &&
		  shmem_team_my_pe(yt) == me / xr, "2d coordinates");
	SH_ASSERT(shmem_team_n_pes(yt) == (n - me % xr + xr - 1) / xr,
		  "y size %d", shmem_team_n_pes(yt));
	SH_ASSERT(shmem_team_sync(xt) == 0 && shmem_team_sync(yt) == 0, "sync");

	shmem_team_destroy(xt);
	shmem_team_destroy(yt);
	if (odd != SHMEM_TEAM_INVALID)
		shmem_team_destroy(odd);
	if (even != SHMEM_TEAM_INVALID)
		shmem_team_destroy(even);
	shmem_free(buf);
	return sh_test_done("shmem team");
}
