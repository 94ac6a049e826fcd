/* SPDX-License-Identifier: MIT */
/* Broadcast: binomial or flat tree over scratch cells (pipelined in units
 * of ZC_COLL_SMALL), the same tree writing straight into the destinations
 * (pipelined in ZC_PIPE_CHUNK pieces), scatter + allgather, and direct
 * (everyone copies the root's buffer, in place through the mapping when
 * it has one). */
#include <errno.h>

#include "coll.h"

/* Wait until member m has finished broadcast unit `need`: its cell for
 * the unit I am about to write is free again. Its counter only grows, so
 * a value seen once stays good: look at the peer only when it is not. */
static int bc_credit(struct zc_team *t, int m, uint64_t need)
{
	uint64_t *cons = zc_line(t, zc_coll_layout.cons, 0);
	unsigned spins = 0;

	while (t->bc_known[m] < need) {
		uint64_t v = 0;

		if (t->pbase[m]) {
			v = __atomic_load_n((uint64_t *)(t->pbase[m] +
				zc_coll_layout.cons), __ATOMIC_ACQUIRE);
		} else {
			int rc = zc_core_atomic(ZC_AMO_FETCH, cons, 8, 0, 0,
					   t->world[m], &v);
			if (rc)
				return rc;
		}
		t->bc_known[m] = v;
		if (v < need)
			zc_backoff(&spins);
	}
	return 0;
}

/*
 * Binomial tree relative to the root: member v receives from v - lowbit(v)
 * and sends to v + 2^k for every 2^k < lowbit(v) (the root: < n),
 * farthest first. Flat: the root sends to every member itself (when
 * ranks outnumber CPUs a forwarding member may not be running; the root
 * is). Each unit has a cell (of ZC_BC_DEPTH per member, chosen by the
 * unit number); the receiver copies it out and bumps its `cons` counter;
 * a writer reuses a cell only once `cons` shows the unit that last used
 * it finished. No barrier, and up to ZC_BC_DEPTH units in flight per
 * edge.
 */
static int bc_tree(struct zc_team *t, char *dest, const char *src,
		   size_t nbytes, int root, bool flat)
{
	int n = t->size, vr = (t->me - root + n) % n, first = 0, rc = 0;
	uint64_t *cons = zc_line(t, zc_coll_layout.cons, 0);
	size_t unit = t->bc_unit;

	/* My farthest child (vr + first); 0: none. */
	if (flat) {
		first = vr ? 0 : n - 1;
	} else if (vr) {
		first = (vr & -vr) >> 1;
	} else {
		for (first = 1; first < n; first <<= 1)
			;
		first >>= 1;
	}
	for (size_t off = 0; off < nbytes && !rc; off += unit) {
		size_t len = nbytes - off < unit ? nbytes - off : unit;
		uint64_t b = ++t->bc_epoch;
		char *cell = t->bc + (b % ZC_BC_DEPTH) * (ZC_LINE + unit);
		const char *data = src + off;

		if (vr) {
			const void *in;

			rc = zc_coll_cell_wait(t, cell, len, b, &in);
			if (rc)
				break;
			memcpy(dest + off, in, len);
			data = dest + off;
		} else if (dest != src) {
			memcpy(dest + off, data, len);
		}
		/* My cell is free again: writers may reuse it. */
		__atomic_store_n(cons, b, __ATOMIC_RELEASE);
		for (int m = first; m >= 1 && !rc; m = flat ? m - 1 : m >> 1) {
			int c = vr + m, ci = (c + root) % n;

			if (c >= n)
				continue;
			if (b > ZC_BC_DEPTH)
				rc = bc_credit(t, ci, b - ZC_BC_DEPTH);
			if (!rc)
				rc = zc_coll_cell_put(t, ci, cell, data, len, b);
		}
	}
	return rc;
}

/*
 * The binomial tree again, for large messages between members without
 * load/store access: no cells and no credits. Each member tells its
 * parent it has entered (its dest may be written: one one-way flag), the
 * parent then puts each chunk straight into the child's dest, followed by
 * a flag with the chunk's number, and the child forwards every chunk to
 * its own children as soon as it has it. A parent waits for "entered" of
 * this call only: its child writes the next call's value only after it
 * received every chunk of this one. Chunk flags: the sig_seq counter on
 * the child's PARENT line (a new parent writes there only after the child
 * entered the new call, so after it saw the old parent's last value).
 */
static int bc_pipeline(struct zc_team *t, char *dest, const char *src,
		       size_t nbytes, int root)
{
	int n = t->size, vr = (t->me - root + n) % n, low = 1, rc = 0;
	uint64_t *flag = zc_line(t, zc_coll_layout.sig, ZC_SIG_PARENT);
	size_t nch = (nbytes + ZC_PIPE_CHUNK - 1) / ZC_PIPE_CHUNK;
	uint64_t base = t->sig_seq, entered = zc_coll_pr_begin(t, 1) + 1;
	const char *from = vr ? dest : src;

	t->sig_seq += nch;
	if (vr) {
		low = vr & -vr;
		rc = zc_coll_pr_signal(t, (vr - low + root) % n, entered);
	} else {
		while (low < n)
			low <<= 1;
	}
	for (size_t k = 0; k < nch && !rc; k++) {
		size_t off = k * ZC_PIPE_CHUNK,
		       len = nbytes - off < ZC_PIPE_CHUNK ? nbytes - off
							  : ZC_PIPE_CHUNK;

		if (vr)
			rc = zc_coll_wait(t, flag, base + k + 1);
		for (int m = low >> 1; m >= 1 && !rc; m >>= 1) {
			int c = vr + m, ci = (c + root) % n;

			if (c >= n)
				continue;
			if (!k)
				rc = zc_coll_pr_wait(t, ci, entered);
			if (!rc)
				rc = zc_coll_put_signal(t, dest + off,
							from + off, len, ci,
							flag, base + k + 1);
		}
		if (!rc && !vr && dest != src)
			memcpy(dest + off, src + off, len);
	}
	/* The user may change src or dest once I return; my children wait
	 * for my flags, so sent is enough. */
	return rc ? rc : zc_coll_finish_sent(t);
}

/* The root puts block i to member i; then every member puts its block
 * to everyone else (the root already has all). */
static int bc_scatter_allgather(struct zc_team *t, char *dest,
				const char *src, size_t nbytes, int root)
{
	int n = t->size, me = t->me, rc;
	size_t a = zc_coll_chunk_at(nbytes, me, n),
	       b = zc_coll_chunk_at(nbytes, me + 1, n);

	rc = zc_coll_sync(t, false);
	if (me == root) {
		for (int s = 1; s < n && !rc; s++) {
			int j = (root + s) % n;
			size_t ja = zc_coll_chunk_at(nbytes, j, n),
			       jb = zc_coll_chunk_at(nbytes, j + 1, n);

			rc = zc_coll_put(t, dest + ja, src + ja, jb - ja, j,
					 true);
		}
		if (dest != src)
			memcpy(dest, src, nbytes);
	}
	if (!rc)
		rc = zc_coll_sync(t, true);
	for (int s = 1; s < n && !rc; s++) {
		int k = (me + s) % n;

		if (k != root)
			rc = zc_coll_put(t, dest + a, dest + a, b - a, k, true);
	}
	if (!rc)
		rc = zc_coll_sync(t, true);
	return rc;
}

/*
 * Direct. Mapped: the copying is shared out: member i copies block i of
 * the root's buffer, read in place, into every destination (the root's
 * own dest too unless it is the source), so each core copies about
 * 1/n of the bytes per destination. Otherwise every member gets the
 * whole buffer from the root.
 */
static int bc_direct(struct zc_team *t, char *dest, const char *src,
		     size_t nbytes, int root)
{
	int n = t->size, me = t->me, rc = zc_coll_sync(t, false);
	size_t a = zc_coll_chunk_at(nbytes, me, n),
	       b = zc_coll_chunk_at(nbytes, me + 1, n);

	if (rc)
		return rc;
	if (t->mapped) {
		const char *from = zc_coll_peer(t, src, root) + a;

		for (int s = 1; s <= n; s++) {
			int k = (me + s) % n;

			if (k != root || dest != src)
				memcpy((char *)zc_coll_peer(t, dest, k) + a, from,
				       b - a);
		}
	} else if (me != root) {
		rc = zc_coll_get(t, dest, src, nbytes, root);
	} else if (dest != src) {
		memcpy(dest, src, nbytes);
	}
	/* The root's buffer is read, and dests written, until all are done. */
	if (!rc)
		rc = zc_coll_sync(t, false);
	return rc;
}

int zc_broadcast(struct zc_team *team, void *dest, const void *src,
		 size_t nbytes, int root)
{
	int rc = zc_coll_check(team, __func__);

	if (!rc)
		rc = zc_coll_check_buf(dest, nbytes, __func__, "dest");
	if (!rc)
		rc = zc_coll_check_buf(src, nbytes, __func__, "source");
	if (!rc)
		rc = zc_coll_check_root(team, root, __func__);
	if (!rc) {
		static const char *const names[] = { "nbytes", "root" };
		uint64_t v[] = { nbytes, (uint64_t)root };

		rc = zc_coll_agree(team, __func__, 2, names, v);
	}
	if (rc)
		return rc;
	if (!nbytes)
		return 0;
	switch (zc_coll_select(team, ZC_COLL_BCAST, nbytes)) {
	case ZC_ALG_SCATTER_ALLGATHER:
		return bc_scatter_allgather(team, dest, src, nbytes, root);
	case ZC_ALG_DIRECT:
		return bc_direct(team, dest, src, nbytes, root);
	case ZC_ALG_PIPELINE:
		return bc_pipeline(team, dest, src, nbytes, root);
	case ZC_ALG_FLAT:
		return bc_tree(team, dest, src, nbytes, root, true);
	default:
		return bc_tree(team, dest, src, nbytes, root, false);
	}
}
