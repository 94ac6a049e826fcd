/* SPDX-License-Identifier: MIT */
/* Alltoall: small blocks through the xc scratch cells (no barrier); larger
 * ones by pairwise exchange: at step s every member sends to me + s (and
 * so receives from me - s), so no member is everyone's target at once. */
#include <errno.h>

#include "coll.h"

static int a2a_cell(struct zc_team *t, char *dest, const char *src,
		    size_t nbytes)
{
	int n = t->size, me = t->me, rc = 0;
	uint64_t e = zc_coll_xc_begin(t);

	for (int s = 1; s < n && !rc; s++) {
		int j = (me + s) % n;

		rc = zc_coll_xc_put(t, e, j, src + (size_t)j * nbytes, nbytes);
	}
	if (!rc && dest != src)
		memmove(dest + (size_t)me * nbytes, src + (size_t)me * nbytes,
			nbytes);
	for (int s = 1; s < n && !rc; s++) {
		int j = (me + n - s) % n;
		const void *d;

		rc = zc_coll_xc_wait(t, e, j, nbytes, &d);
		if (!rc)
			memcpy(dest + (size_t)j * nbytes, d, nbytes);
	}
	return rc;
}

/* Load/store teams: barriers around stores into every peer's dest. */
static int a2a_mapped(struct zc_team *t, char *dest, const char *src,
		      size_t nbytes)
{
	int n = t->size, me = t->me, rc = zc_coll_sync(t, false);

	for (int s = 0; s < n && !rc; s++) {
		int j = (me + s) % n;

		rc = zc_coll_put(t, dest + (size_t)me * nbytes,
				 src + (size_t)j * nbytes, nbytes, j, true);
	}
	if (!rc)
		rc = zc_coll_sync(t, true);
	return rc;
}

/*
 * Other teams: one-way flags on the pr lines instead of two barriers.
 * Member j writes base+1 into my line j when it entered (its dest may be
 * written) and base+2 after its block to me. It writes the next call's
 * values only after it received every block of this call, mine included,
 * so after I passed my waits.
 */
static int a2a_flags(struct zc_team *t, char *dest, const char *src,
		     size_t nbytes)
{
	int n = t->size, me = t->me, rc = 0;
	uint64_t base = zc_coll_pr_begin(t, 2);

	for (int s = 1; s < n && !rc; s++)
		rc = zc_coll_pr_signal(t, (me + s) % n, base + 1);
	if (!rc && dest != src)
		memmove(dest + (size_t)me * nbytes, src + (size_t)me * nbytes,
			nbytes);
	for (int s = 1; s < n && !rc; s++) {
		int j = (me + s) % n;

		rc = zc_coll_pr_wait(t, j, base + 1);
		if (!rc)
			rc = zc_coll_put_signal(t, dest + (size_t)me * nbytes,
						src + (size_t)j * nbytes, nbytes,
						j, zc_line(t, zc_coll_layout.pr,
							   (size_t)me),
						base + 2);
	}
	for (int s = 1; s < n && !rc; s++)
		rc = zc_coll_pr_wait(t, (me + n - s) % n, base + 2);
	/* My puts read my src: complete before the user may change it. */
	return rc ? rc : zc_coll_finish(t);
}

int zc_alltoall(struct zc_team *team, void *dest, const void *src,
		size_t nbytes)
{
	int rc = zc_coll_check(team, __func__), n;
	size_t all;

	if (rc)
		return rc;
	n = team->size;
	if (nbytes > SIZE_MAX / (size_t)n) {
		zc_err("%s: %zu bytes per member overflow", __func__, nbytes);
		return -EINVAL;
	}
	all = nbytes * (size_t)n;
	{
		static const char *const names[] = { "nbytes" };
		uint64_t v[] = { nbytes };

		rc = zc_coll_agree(team, __func__, 1, names, v);
		if (rc)
			return rc;
	}
	rc = zc_coll_check_buf(dest, all, __func__, "dest");
	if (!rc)
		rc = zc_coll_check_buf(src, all, __func__, "source");
	if (rc || !nbytes)
		return rc;
	if (zc_coll_select(team, ZC_COLL_ALLTOALL, nbytes) == ZC_ALG_CELL)
		return a2a_cell(team, dest, src, nbytes);
	if (team->mapped)
		return a2a_mapped(team, dest, src, nbytes);
	return a2a_flags(team, dest, src, nbytes);
}
