/* SPDX-License-Identifier: MIT */
/* put and get of every size class 1 B .. 8 MiB at unaligned offsets, from
 * every rank to every rank, checked byte by byte. */
#include <string.h>

#include "t_helpers.h"

/* ZC_TEST_MAXLEN (bytes) lowers it (the 4-rank verbs runs under qemu). */
static size_t MAXLEN = 8u << 20;

int main(void)
{
	static const size_t extra[] = { 3, 7, 63, 65, 4095, 4097 };
	unsigned char *sym, *local;
	int me, n;

	if (getenv("ZC_TEST_MAXLEN"))
		MAXLEN = strtoul(getenv("ZC_TEST_MAXLEN"), NULL, 0);
	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	/* One window per writer so concurrent puts never overlap. */
	T_OK(zc_malloc((size_t)n * (MAXLEN + 64), (void **)&sym));
	local = malloc(MAXLEN + 64);
	T_ASSERT(local, "malloc");

	for (size_t len = 1; len <= MAXLEN; len <<= 1) {
		for (size_t e = 0; e <= sizeof(extra) / sizeof(extra[0]); e++) {
			size_t l = e ? (len > extra[e - 1] ? len - extra[e - 1] : len) : len;
			size_t soff = (len + e) % 13;	/* unaligned */
			size_t doff = (len * 3 + e) % 11;

			if (e && len < 8192)
				continue;
			memset(sym, 0xee, (size_t)n * (MAXLEN + 64));
			T_OK(zc_barrier_all());
			for (int t = 0; t < n; t++) {
				unsigned char *win = sym + (size_t)me * (MAXLEN + 64) + doff;

				for (size_t i = 0; i < l; i++)
					local[soff + i] = t_pattern(me, t, i + len);
				T_OK(zc_put(win, local + soff, l, t));
			}
			T_OK(zc_barrier_all());
			/* Check what every writer put into my memory. */
			for (int w = 0; w < n; w++) {
				unsigned char *win = sym + (size_t)w * (MAXLEN + 64);
				size_t wdoff = (len * 3 + e) % 11;

				for (size_t i = 0; i < wdoff; i++)
					T_ASSERT(win[i] == 0xee, "byte before window of %d overwritten (len %zu)", w, l);
				for (size_t i = 0; i < l; i++)
					if (win[wdoff + i] != t_pattern(w, me, i + len))
						T_FAIL("put %zu B from %d: byte %zu is %#x, want %#x",
						       l, w, i, win[wdoff + i], t_pattern(w, me, i + len));
				T_ASSERT(win[wdoff + l] == 0xee, "byte after window of %d overwritten (len %zu)", w, l);
			}
			/* Get back from every rank what I put there, at an
			 * unaligned local offset, and check it. */
			for (int t = 0; t < n; t++) {
				unsigned char *win = sym + (size_t)me * (MAXLEN + 64) + doff;

				memset(local, 0, l + 16);
				T_OK(zc_get(local + soff, win, l, t));
				for (size_t i = 0; i < l; i++)
					if (local[soff + i] != t_pattern(me, t, i + len))
						T_FAIL("get %zu B from %d: byte %zu is %#x", l, t, i, local[soff + i]);
				T_ASSERT(soff == 0 || local[soff - 1] == 0, "get wrote before its buffer");
				T_ASSERT(local[soff + l] == 0, "get wrote past its buffer");
			}
			T_OK(zc_barrier_all());
		}
	}
	free(local);
	T_OK(zc_free(sym));
	T_OK(zc_finalize());
	if (me == 0)
		printf("put_get_sizes: ok on %d ranks\n", n);
	return 0;
}
