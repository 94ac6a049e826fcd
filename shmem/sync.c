/* SPDX-License-Identifier: MIT */
/* Point-to-point synchronisation: wait_until/test over zc_wait_until and
 * zc_test; the _all/_any/_some and _vector forms loop over zc_test with
 * backoff. Ordering: fence and quiet. Names from ZC_SHMEM_SYNC_TYPES. */
#include "sh.h"

/* One request: nelems ivars of a type, compared with one value or with
 * one value each (vals). */
struct waitset {
	char *ivars;
	size_t es;
	enum zc_dtype dt;
	size_t n;
	const int *status;
	int cmp;		/* enum zc_cmp, or -1 when invalid */
	int64_t value;
	const char *vals;	/* NULL: value for all */
	const char *fn;
};

static int64_t load_int(const void *p, enum zc_dtype dt)
{
	switch (dt) {
	case ZC_INT16: { int16_t v; memcpy(&v, p, 2); return v; }
	case ZC_UINT16: { uint16_t v; memcpy(&v, p, 2); return v; }
	case ZC_INT32: { int32_t v; memcpy(&v, p, 4); return v; }
	case ZC_UINT32: { uint32_t v; memcpy(&v, p, 4); return v; }
	default: { int64_t v; memcpy(&v, p, 8); return v; }
	}
}

static bool excluded(const struct waitset *w, size_t i)
{
	return w->status && w->status[i];
}

/* 1 holds, 0 not yet, -1 error (logged). */
static int holds(const struct waitset *w, size_t i)
{
	int64_t v = w->vals ? load_int(w->vals + i * w->es, w->dt) : w->value;
	int rc;

	sh_lock();
	rc = zc_test(sh_sym(w->ivars + i * w->es), w->dt, (enum zc_cmp)w->cmp,
		     v);
	sh_unlock();
	if (rc < 0) {
		sh_report(w->fn, rc);
		return -1;
	}
	return rc;
}

static bool ws_ok(const struct waitset *w)
{
	return w->cmp >= 0;
}

static int test_all(const struct waitset *w)
{
	if (!ws_ok(w))
		return 0;
	for (size_t i = 0; i < w->n; i++)
		if (!excluded(w, i) && holds(w, i) <= 0)
			return 0;
	return 1;
}

static void wait_all(const struct waitset *w)
{
	unsigned spins = 0;

	if (!ws_ok(w))
		return;
	for (size_t i = 0; i < w->n; i++) {
		int h;

		if (excluded(w, i))
			continue;
		while ((h = holds(w, i)) == 0)
			zc_backoff(&spins);
		if (h < 0)
			return;
	}
}

/* Where this thread's next _any scan starts: one past the index the last
 * one returned, so a loop that consumes what it is given while producers
 * re-arm it is handed every ready index in turn (a scan from 0 would
 * return the first for ever). Per thread: no lock, no sharing. */
static _Thread_local size_t any_next;

/* The indices (at most max) of the ivars whose condition holds, in order
 * from index start (wrapping around); *live_p false when every ivar is
 * excluded (or the set is invalid). */
static size_t scan(const struct waitset *w, size_t start, size_t *indices,
		   size_t max, bool *live_p)
{
	size_t k = 0;

	*live_p = false;
	if (!ws_ok(w))
		return 0;
	for (size_t j = 0; j < w->n && k < max; j++) {
		size_t i = start + j < w->n ? start + j : start + j - w->n;
		int h;

		if (excluded(w, i))
			continue;
		h = holds(w, i);
		if (h < 0)
			return k;
		*live_p = true;
		if (h)
			indices[k++] = i;
	}
	return k;
}

/* SIZE_MAX when nothing holds (or every ivar is excluded). */
static size_t test_any(const struct waitset *w, bool *live_p)
{
	size_t i, start = w->n ? any_next % w->n : 0;

	if (!scan(w, start, &i, 1, live_p))
		return SIZE_MAX;
	any_next = i + 1;
	return i;
}

static size_t wait_any(const struct waitset *w)
{
	unsigned spins = 0;
	bool live;
	size_t i;

	while ((i = test_any(w, &live)) == SIZE_MAX && live)
		zc_backoff(&spins);
	return i;
}

static size_t test_some(const struct waitset *w, size_t *indices,
			bool *live_p)
{
	return scan(w, 0, indices, SIZE_MAX, live_p);
}

static size_t wait_some(const struct waitset *w, size_t *indices)
{
	unsigned spins = 0;
	bool live;
	size_t k;

	while ((k = test_some(w, indices, &live)) == 0 && live)
		zc_backoff(&spins);
	return k;
}

int sh_wait_until(void *ivar, enum zc_dtype dt, enum zc_cmp cmp,
		  int64_t value)
{
	unsigned spins = 0;
	int rc;

	ivar = sh_sym(ivar);	/* a global's heap twin */
	if (!sh_mt)
		return zc_wait_until(ivar, dt, cmp, value);
	for (;;) {
		sh_lock();
		rc = zc_test(ivar, dt, cmp, value);
		sh_unlock();
		if (rc)
			return rc < 0 ? rc : 0;
		zc_backoff(&spins);
	}
}

static void sh_check(int rc, const char *fn)
{
	if (rc < 0)
		sh_report(fn, rc);
}

#define WS(T, ivars_, n_, status_, cmp_, value_, vals_)                     \
	(struct waitset){ .ivars = (char *)(ivars_), .es = sizeof(T),       \
			  .dt = SH_DTYPE(T), .n = (n_), .status = (status_), \
			  .cmp = sh_cmp((cmp_), __func__),                  \
			  .value = (int64_t)(value_),                       \
			  .vals = (const char *)(vals_), .fn = __func__ }

#define SH_SYNC(T, N)                                                       \
	void shmem_##N##_wait_until(T *ivar, int cmp, T cmp_value)          \
	{                                                                   \
		int c = sh_cmp(cmp, __func__);                              \
		if (c >= 0)                                                 \
			sh_check(sh_wait_until(ivar, SH_DTYPE(T),           \
					       (enum zc_cmp)c,              \
					       (int64_t)cmp_value), __func__); \
	}                                                                   \
	int shmem_##N##_test(T *ivar, int cmp, T cmp_value)                 \
	{                                                                   \
		struct waitset w = WS(T, ivar, 1, NULL, cmp, cmp_value, NULL); \
		return test_all(&w);                                        \
	}                                                                   \
	void shmem_##N##_wait_until_all(T *ivars, size_t nelems,            \
					const int *status, int cmp,         \
					T cmp_value)                        \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, cmp_value, NULL); \
		wait_all(&w);                                               \
	}                                                                   \
	size_t shmem_##N##_wait_until_any(T *ivars, size_t nelems,          \
					  const int *status, int cmp,       \
					  T cmp_value)                      \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, cmp_value, NULL); \
		return wait_any(&w);                                        \
	}                                                                   \
	size_t shmem_##N##_wait_until_some(T *ivars, size_t nelems,         \
					   size_t *indices,                 \
					   const int *status, int cmp,      \
					   T cmp_value)                     \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, cmp_value, NULL); \
		return wait_some(&w, indices);                              \
	}                                                                   \
	void shmem_##N##_wait_until_all_vector(T *ivars, size_t nelems,     \
					       const int *status, int cmp,  \
					       T *cmp_values)               \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, 0, cmp_values); \
		wait_all(&w);                                               \
	}                                                                   \
	size_t shmem_##N##_wait_until_any_vector(T *ivars, size_t nelems,   \
						 const int *status, int cmp, \
						 T *cmp_values)             \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, 0, cmp_values); \
		return wait_any(&w);                                        \
	}                                                                   \
	size_t shmem_##N##_wait_until_some_vector(T *ivars, size_t nelems,  \
						  size_t *indices,          \
						  const int *status,        \
						  int cmp, T *cmp_values)   \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, 0, cmp_values); \
		return wait_some(&w, indices);                              \
	}                                                                   \
	int shmem_##N##_test_all(T *ivars, size_t nelems, const int *status, \
				 int cmp, T cmp_value)                      \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, cmp_value, NULL); \
		return test_all(&w);                                        \
	}                                                                   \
	size_t shmem_##N##_test_any(T *ivars, size_t nelems,                \
				    const int *status, int cmp, T cmp_value) \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, cmp_value, NULL); \
		bool live;                                                  \
		return test_any(&w, &live);                                 \
	}                                                                   \
	size_t shmem_##N##_test_some(T *ivars, size_t nelems,               \
				     size_t *indices, const int *status,    \
				     int cmp, T cmp_value)                  \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, cmp_value, NULL); \
		bool live;                                                  \
		return test_some(&w, indices, &live);                       \
	}                                                                   \
	int shmem_##N##_test_all_vector(T *ivars, size_t nelems,            \
					const int *status, int cmp,         \
					T *cmp_values)                      \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, 0, cmp_values); \
		return test_all(&w);                                        \
	}                                                                   \
	size_t shmem_##N##_test_any_vector(T *ivars, size_t nelems,         \
					   const int *status, int cmp,      \
					   T *cmp_values)                   \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, 0, cmp_values); \
		bool live;                                                  \
		return test_any(&w, &live);                                 \
	}                                                                   \
	size_t shmem_##N##_test_some_vector(T *ivars, size_t nelems,        \
					    size_t *indices,                \
					    const int *status, int cmp,     \
					    T *cmp_values)                  \
	{                                                                   \
		struct waitset w = WS(T, ivars, nelems, status, cmp, 0, cmp_values); \
		bool live;                                                  \
		return test_some(&w, indices, &live);                       \
	}
ZC_SHMEM_SYNC_TYPES(SH_SYNC)

/* Deprecated: wait while *ivar == cmp_value. */
#define SH_WAIT(T, N)                                                       \
	void shmem_##N##_wait(T *ivar, T cmp_value)                         \
	{ shmem_##N##_wait_until(ivar, SHMEM_CMP_NE, cmp_value); }
ZC_SHMEM_TOALL_BIT_TYPES(SH_WAIT)

void shmem_wait(long *ivar, long cmp_value)
{
	shmem_long_wait_until(ivar, SHMEM_CMP_NE, cmp_value);
}

void shmem_wait_until(long *ivar, int cmp, long cmp_value)
{
	shmem_long_wait_until(ivar, cmp, cmp_value);
}

/* Contexts share the default context's state: ordering or completing
 * "this context" orders or completes them all. */
void shmem_fence(void)
{
	SH_CHECK(zc_fence());
}

void shmem_ctx_fence(shmem_ctx_t ctx)
{
	if (ctx)
		SH_CHECK(zc_fence());
}

void shmem_quiet(void)
{
	SH_CHECK(zc_quiet());
}

void shmem_ctx_quiet(shmem_ctx_t ctx)
{
	if (ctx)
		SH_CHECK(zc_quiet());
}
