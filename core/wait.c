/* SPDX-License-Identifier: MIT */
/* wait-until / test on a local symmetric integer, and the dtype table. */
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "zc_core.h"

size_t zc_dtype_size(enum zc_dtype type)
{
	static const unsigned char sizes[ZC_DTYPE_LAST] = {
		[ZC_INT8] = 1, [ZC_INT16] = 2, [ZC_INT32] = 4, [ZC_INT64] = 8,
		[ZC_UINT8] = 1, [ZC_UINT16] = 2, [ZC_UINT32] = 4,
		[ZC_UINT64] = 8, [ZC_FLOAT] = sizeof(float),
		[ZC_DOUBLE] = sizeof(double),
		[ZC_LONG_DOUBLE] = sizeof(long double),
	};

	return (unsigned)type < ZC_DTYPE_LAST ? sizes[type] : 0;
}

/* Loads that a concurrent remote store can change: atomic, acquire. The
 * value loaded is handed back (sign- or zero-extended) so that a caller
 * can report the very value that met the condition. */
static inline int cond_holds(const void *ivar, enum zc_dtype type,
			     enum zc_cmp cmp, int64_t value, uint64_t *seen)
{
	int64_t s = 0;
	uint64_t u = 0;
	bool is_signed = type <= ZC_INT64;

	switch (type) {
	case ZC_INT8: s = __atomic_load_n((const int8_t *)ivar, __ATOMIC_ACQUIRE); break;
	case ZC_INT16: s = __atomic_load_n((const int16_t *)ivar, __ATOMIC_ACQUIRE); break;
	case ZC_INT32: s = __atomic_load_n((const int32_t *)ivar, __ATOMIC_ACQUIRE); break;
	case ZC_INT64: s = __atomic_load_n((const int64_t *)ivar, __ATOMIC_ACQUIRE); break;
	case ZC_UINT8: u = __atomic_load_n((const uint8_t *)ivar, __ATOMIC_ACQUIRE); break;
	case ZC_UINT16: u = __atomic_load_n((const uint16_t *)ivar, __ATOMIC_ACQUIRE); break;
	case ZC_UINT32: u = __atomic_load_n((const uint32_t *)ivar, __ATOMIC_ACQUIRE); break;
	default: u = __atomic_load_n((const uint64_t *)ivar, __ATOMIC_ACQUIRE); break;
	}
	*seen = is_signed ? (uint64_t)s : u;
	if (is_signed) {
		switch (cmp) {
		case ZC_CMP_EQ: return s == value;
		case ZC_CMP_NE: return s != value;
		case ZC_CMP_GT: return s > value;
		case ZC_CMP_GE: return s >= value;
		case ZC_CMP_LT: return s < value;
		default: return s <= value;
		}
	}
	switch (cmp) {
	case ZC_CMP_EQ: return u == (uint64_t)value;
	case ZC_CMP_NE: return u != (uint64_t)value;
	case ZC_CMP_GT: return u > (uint64_t)value;
	case ZC_CMP_GE: return u >= (uint64_t)value;
	case ZC_CMP_LT: return u < (uint64_t)value;
	default: return u <= (uint64_t)value;
	}
}

static int wait_check(const char *fn, const void *ivar, enum zc_dtype type,
		      enum zc_cmp cmp)
{
	size_t sz = zc_dtype_size(type);

	ZC_CHECK_INIT_FN(fn);
	if (type > ZC_UINT64 || (unsigned)cmp >= ZC_CMP_LAST) {
		zc_err("%s: type %d or comparison %d invalid (integer "
		       "types and ZC_CMP_* only)", fn, (int)type, (int)cmp);
		return -EINVAL;
	}
	if ((uintptr_t)ivar & (sz - 1)) {
		zc_err("%s: %p not aligned to %zu", fn, ivar, sz);
		return -EINVAL;
	}
	/* Peers can only change symmetric memory: a wait elsewhere would
	 * be a wait for ever (the header says so, now the call does). */
	if (!zc_addr_symmetric(ivar) ||
	    !zc_addr_symmetric((const char *)ivar + sz - 1)) {
		zc_err("%s: %p is not symmetric memory", fn, ivar);
		return -ZC_ENOTSYM;
	}
	return 0;
}

void zc_progress_all(void)
{
	for (int i = 0; i < zc_ctx->nslots; i++) {
		struct zc_provider_slot *s = &zc_ctx->slots[i];

		if (s->ops->progress)
			s->ops->progress(s->prov);
	}
}

/* The calling thread is about to nap: providers that serve peers from
 * its polls hand that to their own threads. */
static void idle_all(void)
{
	for (int i = 0; zc_ctx && i < zc_ctx->nslots; i++) {
		struct zc_provider_slot *s = &zc_ctx->slots[i];

		if (s->ops->idle)
			s->ops->idle(s->prov);
	}
}

unsigned zc_backoff_spins = 256;

void zc_backoff(unsigned *spins)
{
	unsigned n = (*spins)++;

	if (n < zc_backoff_spins) {
		__builtin_ia32_pause();
	} else if (n < zc_backoff_spins + 4096) {
		/* Lets a peer that shares this core run: the whole point when
		 * ranks outnumber cores. */
		sched_yield();
	} else {
		struct timespec ts = { 0, 20000 };

		idle_all();
		nanosleep(&ts, NULL);
	}
}

int zc_wait_until(void *ivar, enum zc_dtype type, enum zc_cmp cmp,
		  int64_t value)
{
	unsigned spins = 0;
	uint64_t seen;
	int rc = wait_check(__func__, ivar, type, cmp);

	if (rc)
		return rc;
	while (!cond_holds(ivar, type, cmp, value, &seen)) {
		/* The rule: a wait on my own memory may be waiting for any
		 * rank, so once any rank of the job is known dead (its
		 * provider says so: tcp, within ZC_PEER_TIMEOUT) it ends with
		 * -ZC_EPEERDEAD instead of for ever. Checked every 64th spin. */
		rc = zc_core_members_status(NULL, zc_ctx->size, spins);
		if (rc && !cond_holds(ivar, type, cmp, value, &seen)) {
			zc_err("zc_wait_until: a rank of the job is dead (%s); "
			       "the wait ends", zc_strerror(rc));
			return rc;
		}
		if (rc)
			break;
		zc_progress_all();
		zc_backoff(&spins);
	}
	return 0;
}

static int test_fetch(const char *fn, void *ivar, enum zc_dtype type,
		      enum zc_cmp cmp, int64_t value, uint64_t *seen)
{
	static _Thread_local unsigned tests;
	uint64_t v;
	int rc = wait_check(fn, ivar, type, cmp);

	if (rc)
		return rc;
	/* A polling loop of tests is a wait too: an orphan must notice. */
	if (++tests % 64 == 0)
		zc_core_launcher_check();
	if (cond_holds(ivar, type, cmp, value, &v)) {
		if (seen)
			*seen = v;
		return 1;
	}
	zc_progress_all();
	return 0;
}

int zc_test_fetch(void *ivar, enum zc_dtype type, enum zc_cmp cmp,
		  int64_t value, uint64_t *seen)
{
	return test_fetch(__func__, ivar, type, cmp, value, seen);
}

int zc_test(void *ivar, enum zc_dtype type, enum zc_cmp cmp, int64_t value)
{
	return test_fetch(__func__, ivar, type, cmp, value, NULL);
}
