/* SPDX-License-Identifier: MIT */
/* How collectives move flags and data: a load/store into a peer's mapping
 * when its memory is mapped here (shm), else a put/atomic through core.
 * A flag store always follows its data, so a reader that sees the flag
 * sees the data: release stores on the mapping, zc_fence otherwise. */
#include <errno.h>

#include "coll.h"

int zc_coll_signal(struct zc_team *t, int m, uint64_t *flag, uint64_t v)
{
	int rc;

	if (t->pbase[m]) {
		uint64_t *r = (uint64_t *)(t->pbase[m] +
					   ((char *)flag - t->base));

		__atomic_store_n(r, v, __ATOMIC_RELEASE);
		return 0;
	}
	rc = zc_fence();
	if (!rc)
		rc = zc_atomic(ZC_AMO_SET, flag, 8, v, 0, t->world[m], NULL);
	return rc;
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

int zc_coll_cell_put(struct zc_team *t, int m, char *cell, const void *data,
		     size_t len, uint64_t epoch)
{
	size_t off = cell_off(len);
	int rc;

	if (t->pbase[m]) {
		char *r = t->pbase[m] + (cell - t->base);

		if (len)
			memcpy(r + off, data, len);
		__atomic_store_n((uint64_t *)r, epoch, __ATOMIC_RELEASE);
		return 0;
	}
	rc = len ? zc_put(cell + off, data, len, t->world[m]) : 0;
	if (!rc)
		rc = zc_coll_signal(t, m, (uint64_t *)cell, epoch);
	return rc;
}

int zc_coll_cell_wait(struct zc_team *t, char *cell, size_t len,
		      uint64_t epoch, const void **data_p)
{
	*data_p = cell + cell_off(len);
	return zc_coll_wait(t, (uint64_t *)cell, epoch);
}

int zc_coll_put(struct zc_team *t, void *dest, const void *src, size_t len,
		int m, bool nbi)
{
	char *p;

	if (!len)
		return 0;
	p = zc_ptr(dest, t->world[m]);
	if (p) {
		if (p != src)
			memcpy(p, src, len);
		return 0;
	}
	return nbi ? zc_put_nbi(dest, src, len, t->world[m])
		   : zc_put(dest, src, len, t->world[m]);
}

int zc_coll_get(struct zc_team *t, void *dest, const void *src, size_t len,
		int m)
{
	const char *p;

	if (!len)
		return 0;
	p = zc_ptr(src, t->world[m]);
	if (p) {
		if (p != dest)
			memcpy(dest, p, len);
		return 0;
	}
	return zc_get(dest, src, len, t->world[m]);
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

int zc_coll_flat(struct zc_team *t, void *out, const void *data,
		 size_t count, size_t len, enum zc_dtype type, enum zc_op op)
{
	const struct zc_coll_layout *l = &zc_coll_layout;
	uint64_t e = ++t->fl_epoch;
	size_t par = (size_t)(e & 1);
	char *rel = (char *)zc_line(t, l->fl_out, par);
	int rc = 0;

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

int zc_coll_sync(struct zc_team *t, bool quiet)
{
	int rc = quiet ? zc_quiet() : 0;

	if (rc || t->size == 1)
		return rc;
	if (zc_coll_select(t, ZC_COLL_BARRIER, 0) == ZC_ALG_FLAT)
		return zc_coll_flat(t, NULL, NULL, 0, 0, ZC_UINT8, ZC_OP_SUM);
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
