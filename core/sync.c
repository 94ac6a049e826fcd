/* SPDX-License-Identifier: MIT */
/* Dissemination barrier, shared by core's world barrier (sync area at heap
 * offset 0) and the collectives' team barriers (their scratch slots).
 * Each round k a member stores the barrier's epoch into the round-k line
 * of member me + 2^k and waits for its own round-k line to reach it.
 * Epochs only grow, so a fast member's next barrier never undoes this one
 * and nothing is ever reset. */
#include <unistd.h>

#include "zc_core.h"

/* A barrier with a dead member fails (-ZC_EPEERDEAD) instead of waiting
 * forever, for every member: one that waits on a live member which gave
 * up also sees the death. Checked every 64th spin, it costs little. */
/* A rank whose launcher died (mpirun killed with -9) would wait for ever
 * for peers that are gone or orphaned too: it ends itself, with a line
 * saying why. The one exit of the library besides zc_global_exit's, for
 * a job that no longer exists (doc/design.md). */
void zc_core_launcher_check(void)
{
	pid_t l = zc_ctx->launcher;

	if (l > 1 && getppid() != l) {
		zc_err("the launcher (pid %d) is gone: rank %d of this job ends "
		       "itself (exit status 1)", (int)l, zc_ctx->rank);
		_exit(1);
	}
}

int zc_core_members_status(const int *world, int n, unsigned spins)
{
	if (spins % 64)
		return 0;
	zc_core_launcher_check();
	for (int i = 0; i < n; i++) {
		int r = world ? world[i] : i;
		struct zc_provider_slot *s = zc_ctx->peers[r].slot;
		int rc = s->ops->peer_status ? s->ops->peer_status(s->prov, r)
					     : 0;

		if (rc)
			return rc;
	}
	return 0;
}

int zc_core_dissem(const int *world, int n, int me, uint64_t *flags,
		   uint64_t epoch)
{
	struct zc_ctx *c = zc_ctx;
	int rc;

	for (int k = 0, dist = 1; dist < n; k++, dist <<= 1) {
		int to = (me + dist) % n;
		uint64_t *word = &flags[k * (ZC_CACHELINE / 8)];
		uint64_t off = (uint64_t)((char *)word - c->heap);
		unsigned spins = 0;

		if (world)
			to = world[to];
		if (c->peers[to].map) {
			/* One store into the peer's mapping: the line moves
			 * once, no call into a provider. */
			__atomic_store_n((uint64_t *)(c->peers[to].map + off),
					 epoch, __ATOMIC_RELEASE);
		} else {
			atomic_thread_fence(memory_order_release);
			rc = zc_core_flag_set(to, word, epoch);
			if (rc)
				return rc;
		}
		while (__atomic_load_n(word, __ATOMIC_ACQUIRE) < epoch) {
			zc_progress_all();
			rc = zc_core_members_status(world, n, spins);
			if (rc)
				return rc;
			zc_backoff(&spins);
		}
	}
	return 0;
}

int zc_core_barrier(void)
{
	struct zc_ctx *c = zc_ctx;
	int rc;

	ZC_CHECK_INIT();
	rc = zc_quiet();
	if (rc)
		return rc;
	return zc_core_dissem(NULL, c->size, c->rank, &c->sync->diss[0][0],
			      ++c->sync_epoch);
}
