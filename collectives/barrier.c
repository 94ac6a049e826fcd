/* SPDX-License-Identifier: MIT */
/* Team barriers: core's dissemination rounds over the team's scratch
 * lines (one store and one wait per round; at 2 members one round). */
#include "coll.h"

int zc_barrier(struct zc_team *team)
{
	int rc = zc_coll_check(team, __func__);

	return rc ? rc : zc_coll_barrier(team);
}

int zc_team_sync(struct zc_team *team)
{
	int rc = zc_coll_check(team, __func__);

	return rc ? rc : zc_coll_sync(team, false);
}

int zc_barrier_all(void)
{
	return zc_barrier(zc_team_world());
}
