/* SPDX-License-Identifier: MIT */
/* Teams: world and node teams, strided and 2D splits (membership, ranks,
 * translation, a collective that involves only the members), creating
 * and destroying teams many times (scratch slots are reused), and misuse
 * (arguments that differ between members, out of range, no free slot,
 * destroying the world team) failing with -ZC_ETEAM on every rank
 * instead of hanging. */
#include "coll_util.h"

static void check_split_sum(struct zc_team *t, long *buf)
{
	int n = zc_team_size(t);
	long want = 0;

	for (int i = 0; i < n; i++)
		want += zc_team_translate(t, i, zc_team_world()) + 1;
	buf[0] = zc_rank() + 1;
	T_OK(zc_allreduce(t, buf + 8, buf, 1, ZC_INT64, ZC_OP_SUM));
	T_ASSERT(buf[8] == want, "team sum %ld, want %ld", buf[8], want);
}

int main(void)
{
	struct zc_team *w, *t, *x, *y, *teams[4096];
	int me, n, rc, made = 0;
	long *buf;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	w = zc_team_world();
	T_OK(zc_malloc(4096, (void **)&buf));
	T_ASSERT(zc_team_rank(w) == me && zc_team_size(w) == n, "world team");
	T_ASSERT(zc_team_size(zc_team_node()) == zc_local_size(), "node size");
	T_ASSERT(zc_team_rank(zc_team_node()) == zc_local_rank(), "node rank");
	T_ASSERT(zc_team_destroy(w) == -ZC_ETEAM, "world destroyed");
	T_ASSERT(zc_barrier(NULL) == -ZC_ETEAM, "NULL team accepted");

	/* Odd members of the world, backwards translation included. */
	t = NULL;
	if (n > 1)
		T_OK(zc_team_split_strided(w, 1, 2, n / 2, &t));
	if (n == 1) {
		T_ASSERT(zc_team_split_strided(w, 1, 2, 0, &t) == -ZC_ETEAM,
			 "empty split accepted");
	} else if (me % 2 == 1) {
		T_ASSERT(t && zc_team_rank(t) == me / 2 &&
			 zc_team_size(t) == n / 2, "strided membership");
		T_ASSERT(zc_team_translate(t, zc_team_rank(t), w) == me,
			 "translate to world");
		T_ASSERT(zc_team_translate(w, me, t) == me / 2,
			 "translate from world");
		check_split_sum(t, buf);
		T_OK(zc_team_destroy(t));
	} else {
		T_ASSERT(t == NULL, "non-member got a team");
		T_ASSERT(zc_team_translate(w, me, t) == -1, "translate to NULL");
	}

	/* The world backwards: a negative stride walks down from start. */
	t = NULL;
	T_OK(zc_team_split_strided(w, n - 1, -1, n, &t));
	T_ASSERT(t && zc_team_rank(t) == n - 1 - me && zc_team_size(t) == n,
		 "reversed membership");
	T_ASSERT(zc_team_translate(t, 0, w) == n - 1, "reversed translate");
	check_split_sum(t, buf);
	T_OK(zc_team_destroy(t));
	t = NULL;
	T_ASSERT(n == 1 || zc_team_split_strided(w, 0, -1, 2, &t) == -ZC_ETEAM,
		 "a negative stride below 0 accepted");

	/* 2D: rows of 3. */
	T_OK(zc_team_split_2d(w, 3, &x, &y));
	T_ASSERT(x && y, "2d teams");
	T_ASSERT(zc_team_rank(x) == me % 3 && zc_team_rank(y) == me / 3,
		 "2d ranks %d %d", zc_team_rank(x), zc_team_rank(y));
	T_ASSERT(zc_team_size(x) == (n - me / 3 * 3 < 3 ? n - me / 3 * 3 : 3),
		 "x size %d", zc_team_size(x));
	T_ASSERT(zc_team_size(y) == (n - me % 3 + 2) / 3, "y size %d",
		 zc_team_size(y));
	check_split_sum(x, buf);
	check_split_sum(y, buf);
	/* A split of a split. */
	T_OK(zc_team_split_strided(x, 0, 1, 1, &t));
	T_ASSERT((t != NULL) == (zc_team_rank(x) == 0), "split of split");
	if (t) {
		check_split_sum(t, buf);
		T_OK(zc_team_destroy(t));
	}
	T_OK(zc_team_destroy(y));
	T_OK(zc_team_destroy(x));

	/* Misuse: arguments that differ, or do not fit. */
	rc = zc_team_split_strided(w, 0, 1, me == 0 ? 1 : n, &t);
	T_ASSERT((rc == -ZC_ETEAM && t == NULL) || n == 1, "differing sizes: %d",
		 rc);
	rc = zc_team_split_strided(w, 0, 1, n + 1, &t);
	T_ASSERT(rc == -ZC_ETEAM && t == NULL, "too large: %d", rc);
	rc = zc_team_split_strided(w, -1, 1, 1, &t);
	T_ASSERT(rc == -ZC_ETEAM, "negative start: %d", rc);
	rc = zc_team_split_2d(w, 0, &x, &y);
	T_ASSERT(rc == -ZC_ETEAM && !x && !y, "xrange 0: %d", rc);

	/* Run out of slots, then get them back. */
	while ((rc = zc_team_split_strided(w, 0, 1, n, &teams[made])) == 0)
		T_ASSERT(++made < 4096, "never ran out of team slots");
	T_ASSERT(rc == -ZC_ETEAM && made >= 1, "slot exhaustion: %d", rc);
	for (int i = 0; i < made; i++)
		T_OK(zc_team_destroy(teams[i]));

	/* Create, use, destroy: slots are reused with fresh epochs. */
	for (int it = 0; it < 60; it++) {
		T_OK(zc_team_split_strided(w, it % n, 1, n - it % n, &t));
		if (t) {
			check_split_sum(t, buf);
			T_OK(zc_barrier(t));
			T_OK(zc_team_destroy(t));
		}
	}
	T_OK(zc_barrier_all());
	T_OK(zc_free(buf));
	if (me == 0)
		printf("teams: ok on %d ranks\n", n);
	T_OK(zc_finalize());
	return 0;
}
