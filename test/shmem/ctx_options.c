/* SPDX-License-Identifier: MIT */
/* Contexts: every creation option and their mix, the default context's
 * team, SHMEM_CTX_INVALID where the specification makes it a no-op
 * (destroy, quiet, fence, get_team), RMA/AMO/put_signal through private
 * contexts of the world and of a team (team-relative PE numbers), the
 * contexts a team's num_contexts asked for and, with an explicit
 * num_contexts of 0 (the default value), contexts all the same; teams
 * and contexts left for shmem_finalize to destroy. */
#include <stdint.h>

#include "sh_test.h"

static const long opts[] = {
	0, SHMEM_CTX_PRIVATE, SHMEM_CTX_SERIALIZED, SHMEM_CTX_NOSTORE,
	SHMEM_CTX_PRIVATE | SHMEM_CTX_SERIALIZED | SHMEM_CTX_NOSTORE,
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

int main(void)
{
	int me, n, right, left;
	long *buf;
	uint64_t *sig;
	shmem_ctx_t ctx[NOPTS];
	shmem_team_t team = SHMEM_TEAM_INVALID;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	right = (me + 1) % n;
	left = (me + n - 1) % n;
	buf = shmem_calloc(4 * NOPTS, sizeof(long));
	sig = shmem_calloc(1, sizeof(uint64_t));
	SH_ASSERT(buf && sig, "alloc");

	SH_ASSERT(shmem_ctx_get_team(SHMEM_CTX_DEFAULT, &team) == 0 &&
		  team == SHMEM_TEAM_WORLD, "default ctx team");
	SH_ASSERT(shmem_ctx_get_team(SHMEM_CTX_INVALID, &team) != 0 &&
		  team == SHMEM_TEAM_INVALID, "invalid ctx team");
	shmem_ctx_destroy(SHMEM_CTX_INVALID);
	shmem_ctx_quiet(SHMEM_CTX_INVALID);
	shmem_ctx_fence(SHMEM_CTX_INVALID);

	for (size_t i = 0; i < NOPTS; i++) {
		SH_ASSERT(shmem_ctx_create(opts[i], &ctx[i]) == 0 &&
			  ctx[i] != SHMEM_CTX_INVALID &&
			  ctx[i] != SHMEM_CTX_DEFAULT, "create %#lx", opts[i]);
		SH_ASSERT(shmem_ctx_get_team(ctx[i], &team) == 0 &&
			  team == SHMEM_TEAM_WORLD, "ctx team");
	}
	/* Each context moves its own part; completion per context. */
	for (size_t i = 0; i < NOPTS; i++) {
		long v[2] = { 10 * (long)i + me, -me };

		shmem_ctx_long_put(ctx[i], &buf[4 * i], v, 2, right);
		shmem_ctx_long_atomic_add(ctx[i], &buf[4 * i + 2], (long)i + 1,
					  right);
		shmem_ctx_long_put_signal_nbi(ctx[i], &buf[4 * i + 3], &v[0], 1,
					      sig, 1, SHMEM_SIGNAL_ADD, right);
		shmem_ctx_fence(ctx[i]);
		shmem_ctx_quiet(ctx[i]);
	}
	shmem_signal_wait_until(sig, SHMEM_CMP_EQ, NOPTS);
	for (size_t i = 0; i < NOPTS; i++) {
		SH_ASSERT(buf[4 * i] == 10 * (long)i + left &&
			  buf[4 * i + 1] == -left &&
			  buf[4 * i + 2] == (long)i + 1 &&
			  buf[4 * i + 3] == 10 * (long)i + left,
			  "ctx %zu data %ld %ld %ld %ld", i, buf[4 * i],
			  buf[4 * i + 1], buf[4 * i + 2], buf[4 * i + 3]);
		SH_ASSERT(shmem_ctx_long_g(ctx[i], &buf[4 * i], right) ==
			  10 * (long)i + me, "ctx g");
		SH_ASSERT(shmem_ctx_long_atomic_fetch(ctx[i], &buf[4 * i + 2],
						      right) == (long)i + 1,
			  "ctx fetch");
	}
	shmem_barrier_all();
	for (size_t i = 0; i < NOPTS; i++)
		shmem_ctx_destroy(ctx[i]);

	/* The odd PEs as a team; num_contexts 3 asked, three created. */
	if (n >= 2) {
		shmem_team_config_t conf = { 3 }, got = { -1 };
		shmem_ctx_t tc[3];

		SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_WORLD, 1, 2,
						   n / 2, &conf,
						   SHMEM_TEAM_NUM_CONTEXTS,
						   &team) == 0, "split");
		if (team != SHMEM_TEAM_INVALID) {
			int tme = shmem_team_my_pe(team);
			int tn = shmem_team_n_pes(team);
			int tr = (tme + 1) % tn;

			SH_ASSERT(shmem_team_get_config(team,
							SHMEM_TEAM_NUM_CONTEXTS,
							&got) == 0 &&
				  got.num_contexts == 3, "config");
			for (int i = 0; i < 3; i++) {
				SH_ASSERT(shmem_team_create_ctx(team,
						SHMEM_CTX_PRIVATE, &tc[i]) == 0,
					  "team ctx %d", i);
				shmem_ctx_int_p(tc[i], (int *)&buf[i], 7 + i,
						tr);
				shmem_ctx_quiet(tc[i]);
			}
			shmem_team_sync(team);
			for (int i = 0; i < 3; i++)
				SH_ASSERT(((int *)&buf[i])[0] == 7 + i,
					  "team ctx p %d", i);
			for (int i = 0; i < 3; i++)
				shmem_ctx_destroy(tc[i]);
			shmem_team_destroy(team);
		}
	}
	/* num_contexts 0 given explicitly is the default, not "none". */
	{
		shmem_team_config_t zero = { 0 };
		shmem_ctx_t c = SHMEM_CTX_INVALID;

		SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n,
						   &zero,
						   SHMEM_TEAM_NUM_CONTEXTS,
						   &team) == 0, "split 0");
		SH_ASSERT(shmem_team_create_ctx(team, 0, &c) == 0 &&
			  c != SHMEM_CTX_INVALID, "ctx with num_contexts 0");
		shmem_ctx_long_p(c, &buf[0], 5, (me + 1) % n);
		shmem_ctx_destroy(c);
		shmem_team_destroy(team);
		shmem_barrier_all();
		SH_ASSERT(buf[0] == 5, "put through it");
	}
	shmem_barrier_all();
	shmem_free(sig);
	shmem_free(buf);
	/* Left for shmem_finalize to destroy, as the specification lets a
	 * program do: a team with a context, and a context of the world. */
	SH_ASSERT(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n, NULL, 0,
					   &team) == 0 &&
		  shmem_team_create_ctx(team, 0, &ctx[0]) == 0 &&
		  shmem_ctx_create(0, &ctx[1]) == 0, "left for finalize");
	return sh_test_done("shmem ctx_options");
}
