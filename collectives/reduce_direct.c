/* SPDX-License-Identifier: MIT */
/* The direct reduction: member i reduces slice i of every member's source
 * (in place through the mapping when it has one, else fetched with gets),
 * always in member order 0, 1, ..., so the bits are the same whoever
 * computes, and sends the result where the mode says: to every member
 * (allreduce), to the root (reduce) or keeps it (reduce-scatter). */
#include "coll.h"

/* Member j's src + off: in place when mapped, else fetched into buf. */
static const char *source(struct zc_team *t, int j, const char *src,
			  size_t off, size_t len, char *buf, int *rc_p)
{
	if (t->ptrs[j])
		return t->ptrs[j] + off;
	*rc_p = zc_core_get(buf, src + off, len, t->world[j]);
	return buf;
}

static inline size_t chunk_at(size_t count, int c, int n)
{
	return (size_t)((unsigned __int128)count * (unsigned)c / (unsigned)n);
}

int zc_coll_red_direct(struct zc_team *t, void *dest, const void *src,
		       size_t count, enum zc_dtype type, enum zc_op op,
		       enum zc_red_mode mode, int root)
{
	int n = t->size, me = t->me, rc;
	size_t es = zc_dtype_size(type), step = ZC_CHUNK / es, a, b;
	char *acc = t->tmp, *buf = t->tmp + ZC_CHUNK, *d = dest;
	const char *s = src;

	if (mode == ZC_RED_SCATTER) {
		a = (size_t)me * count;
		b = a + count;
	} else {
		a = chunk_at(count, me, n);
		b = chunk_at(count, me + 1, n);
	}
	for (int j = 0; j < n; j++)
		t->ptrs[j] = zc_coll_peer(t, src, j);
	/* Sources complete and destinations free everywhere. */
	rc = zc_coll_sync(t, false);
	for (size_t x = a; x < b && !rc; x += step) {
		size_t m = b - x < step ? b - x : step, len = m * es;
		const char *p0 = source(t, 0, s, x * es, len, acc, &rc);

		if (n == 1) {
			if (p0 != acc)
				memcpy(acc, p0, len);
		}
		for (int j = 1; j < n && !rc; j++) {
			const char *pj = source(t, j, s, x * es, len, buf, &rc);

			zc_coll_combine(type, op, acc, j == 1 ? p0 : acc, pj, m);
		}
		if (rc)
			break;
		switch (mode) {
		case ZC_RED_SCATTER:
			memcpy(d + (x - a) * es, acc, len);
			break;
		case ZC_RED_ROOT:
			rc = zc_coll_put(t, d + x * es, acc, len, root, false);
			break;
		case ZC_RED_ALL:
			/* Everyone reads slices from different members. */
			for (int k = 0; k < n && !rc; k++)
				rc = zc_coll_put(t, d + x * es, acc, len,
						 (me + k) % n, false);
			break;
		}
	}
	/* Results delivered; nobody reads my source any more. */
	if (!rc)
		rc = zc_coll_sync(t, true);
	return rc;
}
