/* SPDX-License-Identifier: MIT */
/* Allreduce and reduce: the entry points, recursive doubling over scratch
 * cells (small messages) and the ring reduce-scatter + allgather (large
 * messages between members without load/store access). Reduce-scatter's
 * entry point too. */
#include <errno.h>

#include "coll.h"

/* Cells of one parity: 0 extra->partner, 1 partner->extra, 2+k round k. */
enum { RD_PRE, RD_POST, RD_ROUND0 };

/*
 * One unit of recursive doubling (len <= small). Non-powers of two: of
 * the first 2*rem members, each even one hands its data to the odd one
 * above it and gets the result back at the end. In every exchange both
 * sides combine (lower member, higher member), so all end bit-identical.
 * Cells are used by parity of rd_epoch: a member reaches unit e+2 at a
 * partner only after that partner finished unit e (it needed the
 * partner's unit e+1 data), so the cell it overwrites was consumed.
 */
static int rd_unit(struct zc_team *t, char *dest, const char *src,
		   size_t count, size_t len, enum zc_dtype type,
		   enum zc_op op, int root)
{
	const struct zc_coll_layout *l = &zc_coll_layout;
	uint64_t e = ++t->rd_epoch;
	size_t par = (size_t)(e & 1) * (size_t)l->rd_cells;
	int n = t->size, me = t->me, p2 = 1, rem, vme, rc = 0;
	const char *res = t->acc;

	while (p2 * 2 <= n)
		p2 *= 2;
	rem = n - p2;
	memcpy(t->acc, src, len);
	if (me < 2 * rem && me % 2 == 0) {
		rc = zc_coll_cell_put(t, me + 1, zc_cell(t, l->rd, par + RD_PRE),
				      t->acc, len, e);
		if (rc)
			return rc;
		const void *r;

		rc = zc_coll_cell_wait(t, zc_cell(t, l->rd, par + RD_POST),
				       len, e, &r);
		if (rc)
			return rc;
		res = r;
		goto out;
	}
	if (me < 2 * rem) {
		const void *d;

		rc = zc_coll_cell_wait(t, zc_cell(t, l->rd, par + RD_PRE), len,
				       e, &d);
		if (rc)
			return rc;
		zc_coll_combine(type, op, t->acc, d, t->acc, count);
		vme = me / 2;
	} else {
		vme = me - rem;
	}
	for (int k = 0, mask = 1; mask < p2; k++, mask <<= 1) {
		int vp = vme ^ mask, p = vp < rem ? 2 * vp + 1 : vp + rem;
		char *cell = zc_cell(t, l->rd, par + RD_ROUND0 + (size_t)k);
		const void *d;

		rc = zc_coll_cell_put(t, p, cell, t->acc, len, e);
		if (rc)
			return rc;
		rc = zc_coll_cell_wait(t, cell, len, e, &d);
		if (rc)
			return rc;
		if (vp < vme)
			zc_coll_combine(type, op, t->acc, d, t->acc, count);
		else
			zc_coll_combine(type, op, t->acc, t->acc, d, count);
	}
	if (me < 2 * rem)
		rc = zc_coll_cell_put(t, me - 1,
				      zc_cell(t, l->rd, par + RD_POST), t->acc,
				      len, e);
out:
	if (root < 0 || root == me)
		memcpy(dest, res, len);
	return rc;
}

int zc_coll_red_rd(struct zc_team *t, void *dest, const void *src,
		   size_t count, enum zc_dtype type, enum zc_op op, int root)
{
	size_t es = zc_dtype_size(type), unit = zc_coll_params.small / es;
	int rc = 0;

	for (size_t i = 0; i < count && !rc; i += unit) {
		size_t c = count - i < unit ? count - i : unit;

		rc = rd_unit(t, (char *)dest + i * es,
			     (const char *)src + i * es, c, c * es, type, op,
			     root);
	}
	return rc;
}

int zc_coll_red_flat(struct zc_team *t, void *dest, const void *src,
		     size_t count, enum zc_dtype type, enum zc_op op, int root)
{
	size_t es = zc_dtype_size(type), unit = ZC_INLINE_MAX / es;
	int rc = 0;

	for (size_t i = 0; i < count && !rc; i += unit) {
		size_t c = count - i < unit ? count - i : unit;

		rc = zc_coll_flat(t, root < 0 || root == t->me ?
				  (char *)dest + i * es : NULL,
				  (const char *)src + i * es, c, c * es, type,
				  op);
	}
	return rc;
}

/*
 * Ring: the vector cut into n chunks, n-1 reduce-scatter steps and n-1
 * allgather steps. Each partial is put (one way, no round trip) straight
 * into the right neighbour's dest, where it adds its own src in place
 * (so each chunk's result is computed once and copied: every member
 * holds the same bits): step s sends my partial of chunk me+1-s
 * (my src at s = 1) and then combines chunk me-s from the left. After
 * n-1 steps chunk me+1 is final; n-1 allgather steps put finished chunks
 * on to the right. Flags: the ready counter on the right neighbour's
 * LEFT line per step; on the pr lines base+1 "I entered" (my dest may be
 * written) and, when n > 2, base+2 "my partials were read" (the
 * allgather overwrites chunks my right neighbour forwards from its dest
 * during reduce-scatter; at 2 members it forwards only its src). A
 * neighbour writes the next call's values only after it received all my
 * chunks, so after I passed my waits.
 */
static int ring_push(struct zc_team *t, char *d, const char *src,
		     size_t count, enum zc_dtype type, enum zc_op op)
{
	int n = t->size, me = t->me, left = (me + n - 1) % n,
	    right = (me + 1) % n, rc;
	size_t es = zc_dtype_size(type);
	uint64_t *flag = zc_line(t, zc_coll_layout.sig, ZC_SIG_LEFT);
	uint64_t base = t->sig_seq, pr = zc_coll_pr_begin(t, 2);

	t->sig_seq += 2 * (uint64_t)(n - 1);
	rc = zc_coll_pr_signal(t, left, pr + 1);
	if (!rc)
		rc = zc_coll_pr_wait(t, right, pr + 1);
	for (int s = 1; s < n && !rc; s++) {
		int c = (me + 1 - s + n) % n;
		size_t a = zc_coll_chunk_at(count, c, n),
		       b = zc_coll_chunk_at(count, c + 1, n);

		rc = zc_coll_put_signal(t, d + a * es,
					(s == 1 ? src : d) + a * es,
					(b - a) * es, right, flag,
					base + (uint64_t)s);
		if (!rc)
			rc = zc_coll_wait(t, flag, base + (uint64_t)s);
		if (rc)
			break;
		c = (me - s + n) % n;
		a = zc_coll_chunk_at(count, c, n);
		b = zc_coll_chunk_at(count, c + 1, n);
		zc_coll_combine(type, op, d + a * es, src + a * es, d + a * es,
				b - a);
	}
	if (n > 2 && !rc) {
		rc = zc_coll_finish(t);
		if (!rc)
			rc = zc_coll_pr_signal(t, left, pr + 2);
		if (!rc)
			rc = zc_coll_pr_wait(t, right, pr + 2);
	}
	for (int s = 0; s < n - 1 && !rc; s++) {
		int c = (me + 1 - s + n) % n;
		size_t a = zc_coll_chunk_at(count, c, n),
		       b = zc_coll_chunk_at(count, c + 1, n);
		uint64_t v = base + (uint64_t)(n - 1 + s);

		if (s > 0)
			rc = zc_coll_wait(t, flag, v);
		if (!rc)
			rc = zc_coll_put_signal(t, d + a * es, d + a * es,
						(b - a) * es, right, flag,
						v + 1);
	}
	if (!rc)
		rc = zc_coll_wait(t, flag, base + 2 * (uint64_t)(n - 1));
	/* My puts read my src and dest: complete before the user may
	 * change them. */
	return rc ? rc : zc_coll_finish(t);
}

int zc_coll_red_ring(struct zc_team *t, void *dest, const void *src,
		     size_t count, enum zc_dtype type, enum zc_op op)
{
	if (t->size == 1) {
		if (dest != src)
			memmove(dest, src, count * zc_dtype_size(type));
		return 0;
	}
	/* In place, partials arriving in dest would overwrite my own
	 * contribution: it goes first to a private copy. */
	if (dest == src) {
		size_t len = count * zc_dtype_size(type);
		char *copy = zc_coll_scratch(t, len);

		if (!copy)
			return -ENOMEM;
		src = memcpy(copy, src, len);
	}
	return ring_push(t, dest, src, count, type, op);
}

static int red_args(struct zc_team *t, void *dest, const void *src,
		    size_t count, size_t scount, enum zc_dtype type,
		    enum zc_op op, const char *fn)
{
	size_t es = zc_dtype_size(type);
	int rc = zc_coll_check(t, fn);

	if (!rc)
		rc = zc_coll_op_check(type, op, fn);
	if (rc)
		return rc;
	if (count > SIZE_MAX / es / (scount ? scount : 1)) {
		zc_err("%s: %zu elements overflow", fn, count);
		return -EINVAL;
	}
	rc = zc_coll_check_buf(dest, count * es, fn, "dest");
	if (!rc)
		rc = zc_coll_check_buf(src, count * es * scount, fn, "source");
	return rc;
}

int zc_allreduce(struct zc_team *team, void *dest, const void *src,
		 size_t count, enum zc_dtype type, enum zc_op op)
{
	int rc = red_args(team, dest, src, count, 1, type, op, __func__);

	if (!rc) {
		static const char *const names[] = { "count", "type", "op" };
		uint64_t v[] = { count, (uint64_t)type, (uint64_t)op };

		rc = zc_coll_agree(team, __func__, 3, names, v);
	}
	if (rc || !count)
		return rc;
	switch (zc_coll_select(team, ZC_COLL_ALLREDUCE,
			       count * zc_dtype_size(type))) {
	case ZC_ALG_RD:
		return zc_coll_red_rd(team, dest, src, count, type, op, -1);
	case ZC_ALG_FLAT:
		return zc_coll_red_flat(team, dest, src, count, type, op, -1);
	case ZC_ALG_CELL:
		return zc_coll_ar_cell(team, dest, src, count, type, op);
	case ZC_ALG_RING:
		return zc_coll_red_ring(team, dest, src, count, type, op);
	default:
		return zc_coll_red_direct(team, dest, src, count, type, op,
					  ZC_RED_ALL, -1);
	}
}

int zc_reduce(struct zc_team *team, void *dest, const void *src,
	      size_t count, enum zc_dtype type, enum zc_op op, int root)
{
	int rc = red_args(team, dest, src, count, 1, type, op, __func__);

	if (!rc)
		rc = zc_coll_check_root(team, root, __func__);
	if (!rc) {
		static const char *const names[] = { "count", "type", "op",
						     "root" };
		uint64_t v[] = { count, (uint64_t)type, (uint64_t)op,
				 (uint64_t)root };

		rc = zc_coll_agree(team, __func__, 4, names, v);
	}
	if (rc)
		return rc;
	if (!count)
		return 0;
	switch (zc_coll_select(team, ZC_COLL_REDUCE,
			       count * zc_dtype_size(type))) {
	case ZC_ALG_RD:
		return zc_coll_red_rd(team, dest, src, count, type, op, root);
	case ZC_ALG_FLAT:
		return zc_coll_red_flat(team, dest, src, count, type, op, root);
	default:
		break;
	}
	return zc_coll_red_direct(team, dest, src, count, type, op,
				  ZC_RED_ROOT, root);
}

int zc_reduce_scatter(struct zc_team *team, void *dest, const void *src,
		      size_t count, enum zc_dtype type, enum zc_op op)
{
	int rc = zc_coll_check(team, __func__);

	if (!rc)
		rc = red_args(team, dest, src, count, (size_t)team->size, type,
			      op, __func__);
	if (!rc) {
		static const char *const names[] = { "count", "type", "op" };
		uint64_t v[] = { count, (uint64_t)type, (uint64_t)op };

		rc = zc_coll_agree(team, __func__, 3, names, v);
	}
	if (rc || !count)
		return rc;
	switch (zc_coll_select(team, ZC_COLL_REDUCE_SCATTER,
			       count * zc_dtype_size(type))) {
	case ZC_ALG_CELL:
		return zc_coll_rs_cell(team, dest, src, count, type, op);
	case ZC_ALG_RING:
		return zc_coll_rs_ring(team, dest, src, count, type, op);
	default:
		return zc_coll_red_direct(team, dest, src, count, type, op,
					  ZC_RED_SCATTER, -1);
	}
}
