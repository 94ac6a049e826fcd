/* SPDX-License-Identifier: MIT */
/* Distributed locks: a ticket lock in PE 0's copy of the symmetric long.
 * Its low 32 bits count the tickets served, its high 32 bits the tickets
 * handed out; each half moves with a 4-byte atomic so that neither can
 * carry into the other, and both wrap together. A zeroed long is free.
 * Fair (FIFO); waiters poll PE 0 with backoff. */
#include "sh.h"

#define LOCK_HOME 0

static uint32_t *serving(long *lock)
{
	return (uint32_t *)lock;	/* little-endian: the low half */
}

static uint32_t *next_ticket(long *lock)
{
	return (uint32_t *)lock + 1;
}

static int fetch32(uint32_t *w, uint64_t add, enum zc_amo_op op,
		   uint32_t *out)
{
	uint64_t old = 0;
	int rc;

	sh_lock();
	rc = zc_atomic(op, w, 4, add, 0, LOCK_HOME, &old);
	sh_unlock();
	*out = (uint32_t)old;
	return rc;
}

void shmem_set_lock(long *lock)
{
	uint32_t ticket, now;
	unsigned spins = 0;
	int rc;

	lock = sh_sym(lock);
	rc = fetch32(next_ticket(lock), 1, ZC_AMO_ADD, &ticket);
	while (!rc) {
		rc = fetch32(serving(lock), 0, ZC_AMO_FETCH, &now);
		if (rc || now == ticket)
			break;
		zc_backoff(&spins);
	}
	if (rc)
		sh_report(__func__, rc);
}

/* 0: acquired; 1: held by someone (never waits). */
int shmem_test_lock(long *lock)
{
	uint64_t v = 0, old = 0, want;
	int rc;

	lock = sh_sym(lock);
	sh_lock();
	rc = zc_atomic(ZC_AMO_FETCH, lock, 8, 0, 0, LOCK_HOME, &v);
	sh_unlock();
	if (rc) {
		sh_report(__func__, rc);
		return 1;
	}
	if ((uint32_t)v != (uint32_t)(v >> 32))
		return 1;
	want = (uint64_t)((uint32_t)(v >> 32) + 1) << 32 | (uint32_t)v;
	sh_lock();
	rc = zc_atomic(ZC_AMO_CSWAP, lock, 8, want, v, LOCK_HOME, &old);
	sh_unlock();
	if (rc) {
		sh_report(__func__, rc);
		return 1;
	}
	return old == v ? 0 : 1;
}

void shmem_clear_lock(long *lock)
{
	uint32_t dummy;
	int rc;

	lock = sh_sym(lock);
	/* Everything done under the lock completes before the next owner
	 * can see it released. */
	sh_lock();
	rc = zc_quiet();
	sh_unlock();
	if (!rc)
		rc = fetch32(serving(lock), 1, ZC_AMO_ADD, &dummy);
	if (rc)
		sh_report(__func__, rc);
}
