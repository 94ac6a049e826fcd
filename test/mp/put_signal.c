/* SPDX-License-Identifier: MIT */
/* zc_put_signal(_nbi): the signal is never seen before the data, for
 * payloads inline, received in place and fragmented, with SET and ADD,
 * blocking and not; rank r writes to rank r+1, which checks every byte
 * on every signal. Bad signal arguments fail locally with -EINVAL. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "t_helpers.h"

static const size_t LENS[] = { 1, 8, 48, 100, 4095, 4096, 65536, 300000,
			       (1u << 20) + 24 };
#define NLENS (sizeof(LENS) / sizeof(LENS[0]))
#define MAXLEN ((1u << 20) + 24)

static unsigned char pattern(uint64_t it, size_t i)
{
	return (unsigned char)(it * 131u + i * 7u + (i >> 9));
}

int main(void)
{
	struct win { uint64_t sig_set, sig_add; unsigned char data[MAXLEN]; } *w;
	unsigned char *buf = malloc(MAXLEN);
	uint64_t it = 0;
	int me, n, to;

	T_ASSERT(buf != NULL, "out of memory");
	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_OK(zc_calloc(1, sizeof(*w), (void **)&w));
	to = (me + 1) % n;
	T_ASSERT(zc_put_signal(w->data, buf, 8, &w->sig_set, 1, ZC_AMO_SWAP,
			       to) == -EINVAL, "a SWAP signal was accepted");
	T_ASSERT(zc_put_signal_nbi(w->data, buf, 8,
				   (uint64_t *)((char *)&w->sig_set + 4), 1,
				   ZC_AMO_SET, to) == -EINVAL,
		 "a misaligned signal was accepted");
	for (int round = 0; round < 3; round++) {
		for (size_t k = 0; k < NLENS; k++) {
			size_t len = LENS[k];
			bool add = (k + (size_t)round) % 2;
			bool nbi = round == 1;
			uint64_t *sig = add ? &w->sig_add : &w->sig_set;
			uint64_t want;

			it++;
			for (size_t i = 0; i < len; i++)
				buf[i] = pattern(it, i);
			/* ADD counts the iterations that used it; SET says
			 * the iteration. */
			if (nbi)
				T_OK(zc_put_signal_nbi(w->data, buf, len, sig,
						       add ? 1 : it,
						       add ? ZC_AMO_ADD :
						       ZC_AMO_SET, to));
			else
				T_OK(zc_put_signal(w->data, buf, len, sig,
						   add ? 1 : it, add ? ZC_AMO_ADD :
						   ZC_AMO_SET, to));
			/* A blocking put lets me reuse buf at once. */
			if (!nbi)
				memset(buf, 0xee, len);
			if (add) {
				static uint64_t adds;

				want = ++adds;
			} else {
				want = it;
			}
			T_OK(zc_wait_until(sig, ZC_UINT64, ZC_CMP_GE,
					   (int64_t)want));
			T_ASSERT(__atomic_load_n(sig, __ATOMIC_ACQUIRE) == want,
				 "signal %lu, want %lu", (unsigned long)*sig,
				 (unsigned long)want);
			for (size_t i = 0; i < len; i++)
				if (w->data[i] != pattern(it, i))
					T_FAIL("iteration %lu, %zu bytes: byte "
					       "%zu is %u, not %u, after the "
					       "signal", (unsigned long)it, len,
					       i, w->data[i], pattern(it, i));
			if (nbi)
				T_OK(zc_quiet());
			/* The next message may only come after I checked. */
			T_OK(zc_barrier_all());
		}
	}
	T_OK(zc_free(w));
	T_OK(zc_finalize());
	free(buf);
	return 0;
}
