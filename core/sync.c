/* SPDX-License-Identifier: MIT */
/* Core's world barrier: dissemination over the sync area at heap offset 0.
 * Each round k a rank stores the barrier's epoch into the round-k word of
 * rank + 2^k and waits for its own round-k word to reach the epoch.
 * Epochs only grow, so a fast rank's next barrier never undoes this one. */
#include "zc_core.h"

int zc_core_barrier(void)
{
	struct zc_ctx *c = zc_ctx;
	uint64_t epoch;
	int rc;

	ZC_CHECK_INIT();
	rc = zc_quiet();
	if (rc)
		return rc;
	epoch = ++c->sync_epoch;
	for (int k = 0, dist = 1; dist < c->size; k++, dist <<= 1) {
		int to = (c->rank + dist) % c->size;
		uint64_t *word = &c->sync->diss[k][0];
		uint64_t off = (uint64_t)((char *)word - c->heap);
		struct zc_provider_slot *s = c->peers[to].slot;
		unsigned spins = 0;

		rc = s->ops->amo(s->prov, to, off, ZC_AMO_SET, 8, epoch, 0,
				 NULL, NULL);
		if (rc == ZC_INPROGRESS) {
			s->dirty = true;
			rc = 0;
		}
		if (rc)
			return rc;
		while (__atomic_load_n(word, __ATOMIC_ACQUIRE) < epoch) {
			zc_progress_all();
			zc_backoff(&spins);
		}
	}
	return 0;
}
