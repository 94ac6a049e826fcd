/* SPDX-License-Identifier: MIT */
/* Allgather (equal blocks) and allgatherv (per-member blocks, sizes
 * exchanged first): ring (neighbours only, a "ready" counter per step)
 * and direct (every member reads every block, in place when mapped). */
#include <errno.h>
#include <stdlib.h>

#include "coll.h"

/* Step s: put block me - s to the right neighbour, then wait for block
 * me - s - 1 from the left one. */
static int ag_ring(struct zc_team *t, char *dest, const char *src)
{
	int n = t->size, me = t->me, right = (me + 1) % n, rc;
	uint64_t *flag = zc_line(t, zc_coll_layout.sig, ZC_SIG_LEFT);
	uint64_t base = t->sig_seq;

	t->sig_seq += (uint64_t)(n - 1);
	/* Nobody writes into a member's dest before it has entered. */
	rc = zc_coll_sync(t, false);
	if (!rc && dest + t->off[me] != src)
		memmove(dest + t->off[me], src, t->len[me]);
	for (int s = 0; s < n - 1 && !rc; s++) {
		int b = (me - s + n) % n;

		rc = zc_coll_put(t, dest + t->off[b], dest + t->off[b],
				 t->len[b], right, true);
		if (!rc)
			rc = zc_coll_signal(t, right, flag,
					    base + (uint64_t)s + 1);
		if (!rc)
			rc = zc_coll_wait(t, flag, base + (uint64_t)s + 1);
	}
	/* Everything I receive has arrived; my own puts must complete too. */
	return rc ? rc : zc_quiet();
}

static int ag_direct(struct zc_team *t, char *dest, const char *src)
{
	int n = t->size, rc = zc_coll_sync(t, false);

	for (int s = 0; s < n && !rc; s++) {
		int j = (t->me + s) % n;

		rc = zc_coll_get(t, dest + t->off[j], src, t->len[j], j);
	}
	/* My source is read until everyone is done. */
	if (!rc)
		rc = zc_coll_sync(t, false);
	return rc;
}

static int ag_run(struct zc_team *t, void *dest, const void *src,
		  size_t total)
{
	if (!total)
		return 0;
	if (zc_coll_select(t, ZC_COLL_ALLGATHER, total) == ZC_ALG_RING)
		return ag_ring(t, dest, src);
	return ag_direct(t, dest, src);
}

int zc_allgather(struct zc_team *team, void *dest, const void *src,
		 size_t nbytes)
{
	int rc = zc_coll_check(team, __func__);

	if (rc)
		return rc;
	if (nbytes > SIZE_MAX / (size_t)team->size) {
		zc_err("%s: %zu bytes per member overflow", __func__, nbytes);
		return -EINVAL;
	}
	rc = zc_coll_check_buf(dest, nbytes * (size_t)team->size, __func__,
			       "dest");
	if (!rc)
		rc = zc_coll_check_buf(src, nbytes, __func__, "source");
	if (rc)
		return rc;
	for (int i = 0; i < team->size; i++) {
		team->off[i] = (size_t)i * nbytes;
		team->len[i] = nbytes;
	}
	return ag_run(team, dest, src, nbytes * (size_t)team->size);
}

int zc_allgatherv(struct zc_team *team, void *dest, const void *src,
		  size_t nbytes)
{
	uint64_t *sizes;
	size_t total = 0;
	int rc = zc_coll_check(team, __func__);

	if (!rc)
		rc = zc_coll_check_buf(src, nbytes, __func__, "source");
	if (!rc && !zc_addr_symmetric(dest)) {
		zc_err("%s: dest %p is not symmetric memory", __func__, dest);
		rc = -ZC_ENOTSYM;
	}
	if (rc)
		return rc;
	sizes = malloc((size_t)team->size * sizeof(*sizes));
	if (!sizes)
		return -ENOMEM;
	/* Everyone learns every size, so the checks below fail alike on
	 * every member (same offsets, same heap size). */
	rc = zc_coll_ag64(team, nbytes, sizes);
	for (int i = 0; i < team->size && !rc; i++) {
		team->off[i] = total;
		team->len[i] = sizes[i];
		if (sizes[i] > SIZE_MAX - total) {
			zc_err("%s: total size overflows", __func__);
			rc = -EINVAL;
		}
		total += sizes[i];
	}
	free(sizes);
	if (!rc)
		rc = zc_coll_check_buf(dest, total, __func__, "dest");
	return rc ? rc : ag_run(team, dest, src, total);
}
