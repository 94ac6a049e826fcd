/* SPDX-License-Identifier: MIT */
/* No small ceiling on live teams: 200 teams (strided splits of the world,
 * halves and the whole) exist at once, each does an allreduce and a
 * barrier with the right result, and all are destroyed; with
 * ZC_COLL_TEAMS set low (argv[1] "limit"), the split past the limit fails
 * with -ZC_ETEAM on every rank, naming the limit, and the earlier teams
 * still work. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <string.h>

#include "t_capture.h"

#define MANY 200

static void check(struct zc_team *t, int64_t *buf, int k)
{
	int n = zc_team_size(t), me = zc_team_rank(t);

	buf[0] = me + k;
	T_OK(zc_allreduce(t, &buf[1], &buf[0], 1, ZC_INT64, ZC_OP_SUM));
	T_ASSERT(buf[1] == (int64_t)n * (n - 1) / 2 + (int64_t)n * k,
		 "team %d of %d: sum %lld", k, n, (long long)buf[1]);
	T_OK(zc_barrier(t));
}

int main(int argc, char **argv)
{
	static struct zc_team *teams[MANY];
	bool limit = argc > 1 && !strcmp(argv[1], "limit");
	int me, n, made = 0, want = limit ? 6 : MANY;
	struct zc_team *w;
	int64_t *buf;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	w = zc_team_world();
	T_OK(zc_calloc(2, sizeof(int64_t), (void **)&buf));
	for (int k = 0; k < want; k++) {
		/* Alternately the world and its even ranks. */
		int size = (k & 1) ? (n + 1) / 2 : n, stride = (k & 1) ? 2 : 1;
		const char *log;
		int rc;

		t_cap_begin();
		rc = zc_team_split_strided(w, 0, stride, size, &teams[k]);
		log = t_cap_end();
		if (limit && rc == -ZC_ETEAM) {
			T_ASSERT(teams[k] == NULL, "failed split left a team");
			/* A clear error: what ran out, and what to do. */
			T_ASSERT(strstr(log, "team scratch slots are in use") &&
				 strstr(log, "ZC_COLL_TEAMS"), "the split past "
				 "the limit logged:\n%s", log);
			break;
		}
		T_ASSERT(rc == 0, "split %d of %d: %s\n%s", k, want, zc_strerror(rc),
			 log);
		made++;
		if (teams[k])
			check(teams[k], buf, k);
	}
	if (limit) {
		/* 2 slots are the world's and the node's: 2 of 4 are left. */
		T_ASSERT(made == 2, "with ZC_COLL_TEAMS=4, %d splits worked", made);
	} else {
		T_ASSERT(made == MANY, "only %d teams", made);
	}
	/* All alive at once: use each again, newest first. */
	for (int k = made - 1; k >= 0; k--)
		if (teams[k])
			check(teams[k], buf, k + 1000);
	for (int k = 0; k < made; k++)
		if (teams[k])
			T_OK(zc_team_destroy(teams[k]));
	T_OK(zc_free(buf));
	T_OK(zc_finalize());
	if (me == 0)
		printf("many_teams: %d teams alive at once on %d ranks\n", made, n);
	return 0;
}
