/* SPDX-License-Identifier: MIT */
/* Reduce-scatter without reading peers' memory: small blocks through the
 * xc scratch cells (no barrier; allreduce's cell algorithm too), larger
 * ones around a ring of one-way puts into the right neighbour's dest.
 * (The direct algorithm is in reduce_direct.c.) */
#include <errno.h>
#include <stdlib.h>

#include "coll.h"

/*
 * Through the xc cells, one hop: member j gets t->len[j] bytes of src at
 * t->off[j] in its cell (the caller's blocks), and folds members 0, 1,
 * ..., n-1 in order into dest (bits as the direct algorithm's, the same
 * on every member).
 */
static int red_cell(struct zc_team *t, char *dest, const char *src,
		    enum zc_dtype type, enum zc_op op)
{
	int n = t->size, me = t->me, rc = 0;
	size_t len = t->len[me];
	uint64_t e = zc_coll_xc_begin(t);
	const char *own = src + t->off[me];

	for (int k = 1; k < n && !rc; k++) {
		int j = (me + k) % n;

		rc = zc_coll_xc_put(t, e, j, src + t->off[j], t->len[j]);
	}
	/* In place, member 0's block lands on my own before I fold it. */
	if (!rc && me && own < dest + len && dest < own + len) {
		char *copy = zc_coll_scratch(t, len);

		if (!copy)
			rc = -ENOMEM;
		else
			own = memcpy(copy, own, len);
	}
	for (int j = 0; j < n && !rc; j++) {
		const void *d = own;

		if (j != me)
			rc = zc_coll_xc_wait(t, e, j, len, &d);
		if (rc)
			break;
		if (!j)
			memmove(dest, d, len);
		else
			zc_coll_combine(type, op, dest, dest, d,
					len / zc_dtype_size(type));
	}
	return rc;
}

int zc_coll_rs_cell(struct zc_team *t, void *dest, const void *src,
		    size_t count, enum zc_dtype type, enum zc_op op)
{
	size_t len = count * zc_dtype_size(type);

	for (int j = 0; j < t->size; j++) {
		t->off[j] = (size_t)j * len;
		t->len[j] = len;
	}
	return red_cell(t, dest, src, type, op);
}

/*
 * Allreduce through the cells: a vector that fits one cell goes whole to
 * every member (one hop); a larger one is cut into n blocks that fit
 * (the selection saw to it: at most n cells in all, element sizes divide
 * a line), reduced into place by their owners and then gathered through
 * the cells (two hops, either of which needs no "entered" flag).
 */
int zc_coll_ar_cell(struct zc_team *t, void *dest, const void *src,
		    size_t count, enum zc_dtype type, enum zc_op op)
{
	size_t es = zc_dtype_size(type), len = count * es;
	int n = t->size, me = t->me, rc;
	bool whole = len <= t->xc_blk;

	for (int j = 0; j < n; j++) {
		t->off[j] = whole ? 0 : zc_coll_chunk_at(count, j, n) * es;
		t->len[j] = whole ? len :
			    zc_coll_chunk_at(count, j + 1, n) * es - t->off[j];
	}
	if (!whole)
		dest = (char *)dest + t->off[me];
	rc = red_cell(t, dest, src, type, op);
	if (rc || whole)
		return rc;
	return zc_coll_ag_cell(t, (char *)dest - t->off[me], dest);
}

/*
 * Ring: data step s (1 .. n-1) puts my partial of block me-s (my src
 * block me-1 at s = 1) into the right neighbour's dest; I receive the
 * left one's into my dest and add my own src block into a private
 * buffer, which the next step sends (at the last step into dest: block
 * me, done). My dest is the only receive buffer, so the left neighbour
 * writes step s into it only after my credit base+s ("entered" for
 * s = 1; "I have folded step s-1 out of it" after). Data flags: the
 * ready counter on the right neighbour's LEFT line. A neighbour writes
 * the next call's values only after it received all my steps, so after
 * I passed my waits.
 */
int zc_coll_rs_ring(struct zc_team *t, void *dest, const void *src,
		    size_t count, enum zc_dtype type, enum zc_op op)
{
	int n = t->size, me = t->me, left = (me + n - 1) % n,
	    right = (me + 1) % n, rc;
	size_t len = count * zc_dtype_size(type);
	uint64_t *flag = zc_line(t, zc_coll_layout.sig, ZC_SIG_LEFT);
	uint64_t base, pr;
	const char *s = src;
	char *d = dest, *part = NULL;

	if (n == 1) {
		if (dest != src)
			memmove(dest, src, len);
		return 0;
	}
	/* Fails alike nowhere else: allocate before any flag moves. */
	if (n > 2 && !(part = zc_coll_scratch(t, len)))
		return -ENOMEM;
	base = t->sig_seq;
	t->sig_seq += (uint64_t)(n - 1);
	pr = zc_coll_pr_begin(t, (uint64_t)(n - 1));
	rc = zc_coll_pr_signal(t, left, pr + 1);
	for (int st = 1; st < n && !rc; st++) {
		int b = (me + n - 1 - st) % n;
		bool last = st == n - 1;

		rc = zc_coll_pr_wait(t, right, pr + (uint64_t)st);
		if (!rc)
			rc = zc_coll_put_fast(t, d, st == 1 ?
					      s + (size_t)left * len : part,
					      len, right);
		if (!rc)
			rc = zc_coll_signal(t, right, flag,
					    base + (uint64_t)st);
		if (!rc)
			rc = zc_coll_wait(t, flag, base + (uint64_t)st);
		/* The put just issued may still read part. */
		if (!rc && !last)
			rc = zc_coll_finish(t);
		if (rc)
			break;
		zc_coll_combine(type, op, last ? d : part, s + (size_t)b * len,
				d, count);
		if (!last)
			rc = zc_coll_pr_signal(t, left, pr + (uint64_t)st + 1);
	}
	/* My puts read my src: complete before the user may change it. */
	return rc ? rc : zc_coll_finish(t);
}
