/* SPDX-License-Identifier: MIT */
/* Alltoall by pairwise exchange: at step s every member sends to me + s
 * (and so receives from me - s), so no member is everyone's target at
 * once. Barriers around it: targets have entered, and all data landed. */
#include <errno.h>

#include "coll.h"

int zc_alltoall(struct zc_team *team, void *dest, const void *src,
		size_t nbytes)
{
	int rc = zc_coll_check(team, __func__), n, me;
	size_t all;

	if (rc)
		return rc;
	n = team->size;
	me = team->me;
	if (nbytes > SIZE_MAX / (size_t)n) {
		zc_err("%s: %zu bytes per member overflow", __func__, nbytes);
		return -EINVAL;
	}
	all = nbytes * (size_t)n;
	rc = zc_coll_check_buf(dest, all, __func__, "dest");
	if (!rc)
		rc = zc_coll_check_buf(src, all, __func__, "source");
	if (rc || !nbytes)
		return rc;
	zc_coll_select(team, ZC_COLL_ALLTOALL, all);
	rc = zc_coll_sync(team, false);
	for (int s = 0; s < n && !rc; s++) {
		int j = (me + s) % n;

		rc = zc_coll_put(team, (char *)dest + (size_t)me * nbytes,
				 (const char *)src + (size_t)j * nbytes, nbytes,
				 j, true);
	}
	if (!rc)
		rc = zc_coll_sync(team, true);
	return rc;
}
