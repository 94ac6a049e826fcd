/* SPDX-License-Identifier: MIT */
/* Allgather (equal blocks) and allgatherv (per-member blocks, sizes
 * exchanged first): scratch cells (small blocks, no barrier), Bruck
 * (log2 n steps), ring (neighbours only, a "ready" counter per step) and
 * direct (every member reads every block, in place when mapped). */
#include <errno.h>
#include <stdlib.h>

#include "coll.h"

/* Every member's block rides in its xc cell at every other member. */
int zc_coll_ag_cell(struct zc_team *t, char *dest, const char *src)
{
	int n = t->size, me = t->me, rc = 0;
	uint64_t e = zc_coll_xc_begin(t);

	for (int s = 1; s < n && !rc; s++)
		rc = zc_coll_xc_put(t, e, (me + s) % n, src, t->len[me]);
	if (!rc && dest + t->off[me] != src)
		memmove(dest + t->off[me], src, t->len[me]);
	for (int s = 1; s < n && !rc; s++) {
		int j = (me + n - s) % n;
		const void *d;

		rc = zc_coll_xc_wait(t, e, j, t->len[j], &d);
		if (!rc)
			memcpy(dest + t->off[j], d, t->len[j]);
	}
	return rc;
}

/* Put blocks [a, a + cnt) (member indices, wrapping) where they belong
 * in member m's dest. */
static int put_blocks(struct zc_team *t, char *dest, int a, int cnt, int m)
{
	int n = t->size, rc = 0;

	while (cnt > 0 && !rc) {
		int b = a + cnt < n ? a + cnt : n;
		size_t lo = t->off[a], hi = t->off[b - 1] + t->len[b - 1];

		rc = zc_coll_put_fast(t, dest + lo, dest + lo, hi - lo, m);
		cnt -= b - a;
		a = 0;
	}
	return rc;
}

/*
 * Bruck, without the final rotation: before the step of distance d I hold
 * blocks me .. me+d-1 in place; I put them (at most n-d of them) where
 * they belong in member me-d's dest and receive blocks me+d .. from
 * member me+d. log2(n) steps for any n. Flags on the pr lines: base+1 "I
 * entered" to each member that will write to me, base+2 "my blocks to you
 * landed" (a member that both writes to me and reads from me writes both,
 * in that order). A member writes the next call's values only after it
 * received all of this call's blocks, so after everyone passed its waits.
 */
static int ag_bruck(struct zc_team *t, char *dest, const char *src)
{
	int n = t->size, me = t->me, rc = 0;
	uint64_t base = zc_coll_pr_begin(t, 2);

	for (int d = 1; d < n && !rc; d <<= 1)
		rc = zc_coll_pr_signal(t, (me + d) % n, base + 1);
	if (!rc && dest + t->off[me] != src)
		memmove(dest + t->off[me], src, t->len[me]);
	for (int d = 1; d < n && !rc; d <<= 1) {
		int to = (me - d + n) % n, cnt = d < n - d ? d : n - d;

		rc = zc_coll_pr_wait(t, to, base + 1);
		if (!rc)
			rc = put_blocks(t, dest, me, cnt, to);
		if (!rc)
			rc = zc_coll_pr_signal(t, to, base + 2);
		if (!rc)
			rc = zc_coll_pr_wait(t, (me + d) % n, base + 2);
	}
	/* My puts read my dest: complete before the user may change it. */
	return rc ? rc : zc_coll_finish(t);
}

/* Step s: put block me - s to the right neighbour, then wait for block
 * me - s - 1 from the left one. Before the first put, the right
 * neighbour's "entered" flag (it writes the next call's only after it
 * received all my blocks of this one). */
static int ag_ring(struct zc_team *t, char *dest, const char *src)
{
	int n = t->size, me = t->me, right = (me + 1) % n, rc;
	uint64_t *flag = zc_line(t, zc_coll_layout.sig, ZC_SIG_LEFT);
	uint64_t base = t->sig_seq, entered = zc_coll_pr_begin(t, 1) + 1;

	t->sig_seq += (uint64_t)(n - 1);
	rc = zc_coll_pr_signal(t, (me + n - 1) % n, entered);
	if (!rc && dest + t->off[me] != src)
		memmove(dest + t->off[me], src, t->len[me]);
	if (!rc)
		rc = zc_coll_pr_wait(t, right, entered);
	for (int s = 0; s < n - 1 && !rc; s++) {
		int b = (me - s + n) % n;

		rc = zc_coll_put_signal(t, dest + t->off[b], dest + t->off[b],
					t->len[b], right, flag,
					base + (uint64_t)s + 1);
		if (!rc)
			rc = zc_coll_wait(t, flag, base + (uint64_t)s + 1);
	}
	/* Everything I receive has arrived; my own puts must complete too. */
	return rc ? rc : zc_coll_finish(t);
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
	size_t most = 0;

	if (!total)
		return 0;
	if (t->size == 1) {
		if (dest != src)
			memmove(dest, src, total);
		return 0;
	}
	for (int i = 0; i < t->size; i++)
		most = t->len[i] > most ? t->len[i] : most;
	switch (zc_coll_select(t, ZC_COLL_ALLGATHER, most)) {
	case ZC_ALG_CELL:
		return zc_coll_ag_cell(t, dest, src);
	case ZC_ALG_BRUCK:
		return ag_bruck(t, dest, src);
	case ZC_ALG_RING:
		return ag_ring(t, dest, src);
	default:
		return ag_direct(t, dest, src);
	}
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
	if (!rc) {
		static const char *const names[] = { "nbytes" };
		uint64_t v[] = { nbytes };

		rc = zc_coll_agree(team, __func__, 1, names, v);
	}
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
	/* Nothing to gather anywhere: any dest will do (every member knows
	 * the same total). */
	if (!rc && !total)
		return 0;
	if (!rc)
		rc = zc_coll_check_buf(dest, total, __func__, "dest");
	return rc ? rc : ag_run(team, dest, src, total);
}
