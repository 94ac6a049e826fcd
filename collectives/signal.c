/* SPDX-License-Identifier: MIT */
/* How collectives move flags and data: a load/store into a peer's mapping
 * when its memory is mapped here (shm), else a put/atomic through core.
 * A flag store always follows its data, so a reader that sees the flag
 * sees the data: release stores on the mapping, zc_fence otherwise. */
#include <errno.h>
#include <stdlib.h>

#include "coll.h"

int zc_coll_signal(struct zc_team *t, int m, uint64_t *flag, uint64_t v)
{
	if (t->pbase[m]) {
		uint64_t *r = (uint64_t *)(t->pbase[m] +
					   ((char *)flag - t->base));

		__atomic_store_n(r, v, __ATOMIC_RELEASE);
		return 0;
	}
	/* Behind my earlier puts to m: one message or WRITE where the
	 * provider has put_signal (core's flag store, as the barrier's). */
	return zc_core_flag_set(t->world[m], flag, v);
}

int zc_coll_wait(struct zc_team *t, uint64_t *flag, uint64_t v)
{
	unsigned spins = 0;

	/* The flag usually arrives within a cache-line transfer: look a few
	 * times before backing off (fewer when ranks outnumber CPUs). */
	for (unsigned i = 0; i < zc_backoff_spins / 8; i++) {
		if (__atomic_load_n(flag, __ATOMIC_ACQUIRE) >= v)
			return 0;
		__builtin_ia32_pause();
	}
	while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) < v) {
		int rc = zc_core_members_status(t->world, t->size, spins);

		if (rc)
			return rc;
		zc_progress_all();
		zc_backoff(&spins);
	}
	return 0;
}

static inline size_t cell_off(size_t len)
{
	return len <= ZC_INLINE_MAX ? ZC_INLINE_OFF : ZC_LINE;
}

/*
 * A private copy of a payload (a cell's, or a put_fast of up to a quarter
 * of the ring) that stays untouched until a put from it is complete, so
 * puts can be non-blocking (one-way) even when the
 * caller reuses its buffer at once (recursive doubling's accumulator, a
 * u64 on the stack, the user's buffers after return). The ring is handed
 * out front to back; when it is full one quiet completes every put from
 * it (acks are cumulative, usually back by then) and it starts over.
 */
static int stage(struct zc_team *t, const void *data, size_t len,
		 const void **out_p)
{
	size_t cap = zc_coll_stage_cap();
	int rc;

	if (!t->stage) {
		t->stage = malloc(cap);
		if (!t->stage)
			return -ENOMEM;
	}
	if (t->stage_off + len > cap) {
		rc = zc_quiet();
		if (rc)
			return rc;
		t->stage_off = 0;
	}
	*out_p = memcpy(t->stage + t->stage_off, data, len);
	/* Keep payloads line-aligned (long double, vector loads). */
	t->stage_off += (len + ZC_LINE - 1) & ~(size_t)(ZC_LINE - 1);
	return 0;
}

int zc_coll_cell_put(struct zc_team *t, int m, char *cell, const void *data,
		     size_t len, uint64_t epoch)
{
	size_t off = cell_off(len);

	if (t->pbase[m]) {
		char *r = t->pbase[m] + (cell - t->base);

		if (len)
			memcpy(r + off, data, len);
		__atomic_store_n((uint64_t *)r, epoch, __ATOMIC_RELEASE);
		return 0;
	}
	/* Data and flag in one message where the provider can: one-way,
	 * no round trip. */
	return zc_coll_put_signal(t, cell + off, data, len, m,
				  (uint64_t *)cell, epoch);
}

int zc_coll_cell_wait(struct zc_team *t, char *cell, size_t len,
		      uint64_t epoch, const void **data_p)
{
	*data_p = cell + cell_off(len);
	return zc_coll_wait(t, (uint64_t *)cell, epoch);
}

/* Nothing to send, or a member mapped here: copied in place. */
static bool put_local(struct zc_team *t, void *dest, const void *src,
		      size_t len, int m)
{
	char *p;

	if (!len)
		return true;
	p = zc_core_ptr(dest, t->world[m]);
	if (p && p != src)
		memcpy(p, src, len);
	return p != NULL;
}

int zc_coll_put(struct zc_team *t, void *dest, const void *src, size_t len,
		int m, bool nbi)
{
	if (put_local(t, dest, src, len, m))
		return 0;
	return nbi ? zc_core_put_nbi(dest, src, len, t->world[m])
		   : zc_core_put(dest, src, len, t->world[m]);
}

int zc_coll_put_fast(struct zc_team *t, void *dest, const void *src,
		     size_t len, int m)
{
	int rc;

	if (put_local(t, dest, src, len, m))
		return 0;
	/* A copy is cheaper than the round trip of a quiet. */
	if (len <= zc_coll_stage_cap() / 4) {
		rc = stage(t, src, len, &src);
		return rc ? rc : zc_core_put_nbi(dest, src, len, t->world[m]);
	}
	t->unquiet = true;
	return zc_core_put_nbi(dest, src, len, t->world[m]);
}

int zc_coll_put_signal(struct zc_team *t, void *dest, const void *src,
		       size_t len, int m, uint64_t *flag, uint64_t v)
{
	int rc;

	if (put_local(t, dest, src, len, m))
		return zc_coll_signal(t, m, flag, v);
	/* As put_fast: a copy is cheaper than the round trip of a quiet. */
	if (len <= zc_coll_stage_cap() / 4) {
		rc = stage(t, src, len, &src);
		if (rc)
			return rc;
	} else {
		t->unquiet = true;
	}
	return zc_core_put_signal_nbi(dest, src, len, flag, v, ZC_AMO_SET,
				      t->world[m]);
}

int zc_coll_finish(struct zc_team *t)
{
	if (!t->unquiet)
		return 0;
	t->unquiet = false;
	return zc_quiet();
}

int zc_coll_finish_sent(struct zc_team *t)
{
	if (!t->unquiet)
		return 0;
	t->unquiet = false;
	return zc_core_quiet_local(-1);
}

int zc_coll_get(struct zc_team *t, void *dest, const void *src, size_t len,
		int m)
{
	const char *p;

	if (!len)
		return 0;
	p = zc_core_ptr(src, t->world[m]);
	if (p) {
		if (p != dest)
			memcpy(dest, p, len);
		return 0;
	}
	return zc_core_get(dest, src, len, t->world[m]);
}

int zc_coll_ag64(struct zc_team *t, uint64_t mine, uint64_t *out)
{
	uint64_t e = ++t->ag_epoch;
	size_t par = (size_t)(e & 1) * (size_t)zc_coll_layout.maxn;
	char *my = (char *)zc_line(t, zc_coll_layout.ag, par + (size_t)t->me);
	int rc;

	/* Start with the next member so that not everyone hits member 0. */
	for (int s = 0; s < t->size; s++) {
		int m = (t->me + s) % t->size;

		rc = zc_coll_cell_put(t, m, my, &mine, sizeof(mine), e);
		if (rc)
			return rc;
	}
	for (int i = 0; i < t->size; i++) {
		char *line = (char *)zc_line(t, zc_coll_layout.ag,
					     par + (size_t)i);

		const void *d;
		int rc = zc_coll_cell_wait(t, line, 8, e, &d);

		if (rc)
			return rc;
		memcpy(&out[i], d, 8);
	}
	return 0;
}

/*
 * Load/store teams: each member adds one to a counter in member 0's
 * scratch and waits until it shows the whole team, so the last to arrive
 * releases everyone (flat's release waits until member 0 runs again, a
 * trip through the scheduler when ranks outnumber CPUs). The counter
 * grows by n per barrier and never goes back: a fast member's next
 * arrival only adds to a value its slow peers already accept.
 */
static int count_barrier(struct zc_team *t)
{
	uint64_t *c = (uint64_t *)(t->pbase[0] + zc_coll_layout.cnt);
	uint64_t goal = ++t->cnt_epoch * (uint64_t)t->size;

	__atomic_fetch_add(c, 1, __ATOMIC_ACQ_REL);
	return zc_coll_wait(t, c, goal);
}

/*
 * Flat on a load/store team: every member stores its contribution into
 * its line at member 0, the counter barrier says all are there, and every
 * member folds them itself, in member order (the same bits everywhere):
 * nobody waits for member 0 to be scheduled again. Parity: a member
 * writes the lines of e+2 only after everyone passed the barrier of e+1,
 * so after they read e's.
 */
static int flat_mapped(struct zc_team *t, void *out, const void *data,
		       size_t count, size_t len, enum zc_dtype type,
		       enum zc_op op)
{
	const struct zc_coll_layout *l = &zc_coll_layout;
	size_t row = (size_t)((++t->fl_epoch & 1) * l->maxn);
	const char *in0 = t->pbase[0] + l->fl_in + ZC_INLINE_OFF;
	int rc;

	if (len)
		memcpy((char *)in0 + (row + (size_t)t->me) * ZC_LINE, data,
		       len);
	rc = count_barrier(t);
	if (rc || !out || !len)
		return rc;
	memcpy(t->acc, in0 + row * ZC_LINE, len);
	for (int i = 1; i < t->size; i++)
		zc_coll_combine(type, op, t->acc, t->acc,
				in0 + (row + (size_t)i) * ZC_LINE, count);
	memcpy(out, t->acc, len);
	return 0;
}

int zc_coll_flat(struct zc_team *t, void *out, const void *data,
		 size_t count, size_t len, enum zc_dtype type, enum zc_op op)
{
	const struct zc_coll_layout *l = &zc_coll_layout;
	uint64_t e;
	size_t par;
	char *rel;
	int rc = 0;

	/* A barrier (nothing carried) keeps member 0 as the releaser. */
	if (t->mapped && len)
		return flat_mapped(t, out, data, count, len, type, op);
	e = ++t->fl_epoch;
	par = (size_t)(e & 1);
	rel = (char *)zc_line(t, l->fl_out, par);

	/* Parity reuse is safe: a member writes unit e+2 only after member 0
	 * released e+1, which it did after reading everyone's e+1, so after
	 * finishing e; the release lines likewise. */
	if (t->me != 0) {
		char *in = (char *)zc_line(t, l->fl_in,
					   par * (size_t)l->maxn + (size_t)t->me);

		rc = zc_coll_cell_put(t, 0, in, data, len, e);
		if (!rc) {
			const void *res;

			rc = zc_coll_cell_wait(t, rel, len, e, &res);
			if (!rc && out)
				memcpy(out, res, len);
		}
		return rc;
	}
	if (len)
		memcpy(t->acc, data, len);
	for (int i = 1; i < t->size && !rc; i++) {
		char *in = (char *)zc_line(t, l->fl_in,
					   par * (size_t)l->maxn + (size_t)i);
		const void *d;

		rc = zc_coll_cell_wait(t, in, len, e, &d);
		if (!rc && len)
			zc_coll_combine(type, op, t->acc, t->acc, d, count);
	}
	for (int i = 1; i < t->size && !rc; i++)
		rc = zc_coll_cell_put(t, i, rel, t->acc, len, e);
	if (out && len)
		memcpy(out, t->acc, len);
	return rc;
}

int zc_coll_pr_signal(struct zc_team *t, int m, uint64_t v)
{
	return zc_coll_signal(t, m, zc_line(t, zc_coll_layout.pr,
					    (size_t)t->me), v);
}

int zc_coll_pr_wait(struct zc_team *t, int m, uint64_t v)
{
	return zc_coll_wait(t, zc_line(t, zc_coll_layout.pr, (size_t)m), v);
}

/*
 * The xc cells: member j's block to me lies in my cell [parity][j]. A
 * member writes epoch e+2 into my cell only after it finished e+1, which
 * needed my block of e+1, which I sent after finishing e: so the cell of
 * e was consumed. Holds for any mix of the exchanges using these cells,
 * since in each of them every member sends to every other one.
 */
static char *xc_cell(const struct zc_team *t, uint64_t e, int j)
{
	size_t par = (size_t)(e & 1) * (size_t)zc_coll_layout.maxn;

	return t->xc + (par + (size_t)j) * t->xc_cell;
}

uint64_t zc_coll_xc_begin(struct zc_team *t)
{
	return ++t->xc_epoch;
}

int zc_coll_xc_put(struct zc_team *t, uint64_t e, int j, const void *data,
		   size_t len)
{
	/* The selection keeps blocks within a cell; never write past one. */
	if (len > t->xc_blk) {
		zc_err("collectives: a %zu-byte block for an xc cell of %zu",
		       len, t->xc_blk);
		return -EINVAL;
	}
	return zc_coll_cell_put(t, j, xc_cell(t, e, t->me), data, len, e);
}

int zc_coll_xc_wait(struct zc_team *t, uint64_t e, int j, size_t len,
		    const void **data_p)
{
	return zc_coll_cell_wait(t, xc_cell(t, e, j), len, e, data_p);
}

/* The quiet before a barrier's messages: of every op (the algorithms,
 * which read what they put), or (user) of the ops of public calls only,
 * which is what zc_barrier promises: the collectives' flags and cells in
 * their scratch need no acknowledgement, their reuse is guarded by
 * epochs. */
static int sync_quiet(struct zc_team *t, bool user)
{
	/* In a job of two ranks every barrier below ends with the peer
	 * waiting for a message I send after this point on the same
	 * ordered path: my puts to it are in place before it goes on, and
	 * what I do after the barrier reaches it behind them; there is no
	 * third rank that could look sooner. So they need no
	 * acknowledgement first (over tcp one one-way trip less per
	 * barrier). With a third rank they do: I could leave and send it
	 * to read the peer's memory before my puts arrived there. */
	if (t->size == 2 && zc_size() == 2)
		return zc_core_quiet_local(t->world[1 - t->me]);
	return user ? zc_core_quiet_user() : zc_quiet();
}

int zc_coll_barrier(struct zc_team *t)
{
	int rc = sync_quiet(t, true);

	return rc ? rc : zc_coll_sync(t, false);
}

int zc_coll_sync(struct zc_team *t, bool quiet)
{
	int rc = quiet ? sync_quiet(t, false) : 0;

	if (rc || t->size == 1)
		return rc;
	switch (zc_coll_select(t, ZC_COLL_BARRIER, 0)) {
	case ZC_ALG_FLAT:
		return zc_coll_flat(t, NULL, NULL, 0, 0, ZC_UINT8, ZC_OP_SUM);
	case ZC_ALG_COUNTER:
		return count_barrier(t);
	default:
		break;
	}
	return zc_core_dissem(t->world, t->size, t->me,
			      zc_line(t, zc_coll_layout.bar, 0),
			      ++t->bar_epoch);
}

int zc_coll_check(const struct zc_team *t, const char *fn)
{
	if (!zc_initialized()) {
		zc_err("%s called before zc_init", fn);
		return -ZC_ENOTINIT;
	}
	if (!t) {
		zc_err("%s: no team (NULL: this rank is not a member)", fn);
		return -ZC_ETEAM;
	}
	return 0;
}

int zc_coll_check_root(const struct zc_team *t, int root, const char *fn)
{
	if (root < 0 || root >= t->size) {
		zc_err("%s: root %d outside the team of %d", fn, root,
		       t->size);
		return -EINVAL;
	}
	return 0;
}

int zc_coll_check_buf(const void *buf, size_t len, const char *fn,
		      const char *what)
{
	if (!len)
		return 0;
	if (!zc_addr_symmetric(buf) ||
	    !zc_addr_symmetric((const char *)buf + len - 1)) {
		zc_err("%s: %s %p (%zu bytes) is not symmetric memory", fn, what,
		       buf, len);
		return -ZC_ENOTSYM;
	}
	return 0;
}

char *zc_coll_scratch(struct zc_team *t, size_t len)
{
	if (t->big_len < len) {
		char *p = realloc(t->big, len);

		if (!p)
			return NULL;
		t->big = p;
		t->big_len = len;
	}
	return t->big;
}

int zc_coll_agree(struct zc_team *t, const char *fn, int n,
		  const char *const names[], const uint64_t vals[])
{
	uint64_t *all;
	int rc = 0;

	if (!zc_coll_params.check || t->size < 2)
		return 0;
	all = malloc((size_t)t->size * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (int k = 0; k < n; k++) {
		int r2 = zc_coll_ag64(t, vals[k], all);

		if (r2) {
			rc = rc ? rc : r2;
			break;
		}
		for (int i = 0; i < t->size && !rc; i++) {
			if (all[i] == vals[k])
				continue;
			zc_err("ZC_CHECK: %s: arguments differ between members: "
			       "member %d (rank %d) gave %s %llu, I (member %d, "
			       "rank %d) gave %llu", fn, i, t->world[i], names[k],
			       (unsigned long long)all[i], t->me,
			       t->world[t->me], (unsigned long long)vals[k]);
			rc = -EINVAL;
		}
	}
	free(all);
	return rc;
}

int zc_coll_check_alloc(const char *fn, size_t size, size_t alignment)
{
	static const char *const names[] = { "size", "alignment" };
	uint64_t v[] = { size, alignment };

	/* Before the world team exists (or after it is gone) there is
	 * nothing to compare with. */
	if (!zc_coll_params.check || !zc_team_world())
		return 0;
	return zc_coll_agree(zc_team_world(), fn, 2, names, v);
}
