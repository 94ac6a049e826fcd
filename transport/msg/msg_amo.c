/* SPDX-License-Identifier: MIT */
/* The target's atomic agent, shared by every provider that serves atomic
 * requests from the wire (apart from the codec: it needs core's executor). */
#include "zc_msg.h"
#include "zc_provider.h"

uint64_t zc_msg_amo_apply(char *heap, const struct zc_msg_hdr *h)
{
	uint64_t old = 0;

	ZC_PEER_ACCESS_BEGIN();
	zc_amo_exec(heap + h->off, (enum zc_amo_op)h->amo, h->width, h->value,
		    h->cmp, &old);
	ZC_PEER_ACCESS_END();
	return old;
}

void zc_msg_signal_apply(char *heap, const struct zc_msg_hdr *h)
{
	ZC_PEER_ACCESS_BEGIN();
	/* Sequentially consistent, so a release: a reader that acquires
	 * the signal sees the payload written before it. */
	zc_amo_exec(heap + h->cmp, (enum zc_amo_op)h->amo, 8, h->value, 0,
		    NULL);
	ZC_PEER_ACCESS_END();
}
