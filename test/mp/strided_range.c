/* SPDX-License-Identifier: MIT */
/* A strided put or get is checked whole before anything moves: past the
 * heap end (by one element or by SIZE_MAX/4 of them), below the heap with
 * a negative stride, and strides whose span overflows all fail with an
 * error naming zc_iput/zc_iget, and the target's memory (both ends of
 * the heap, filled with a pattern) is unchanged on every rank. Negative
 * strides inside the heap work (elements land in reverse). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t_capture.h"

int main(void)
{
	const char *logbuf;
	size_t heap, freeb, nhead = 512, ntail;
	int64_t *head, *tail, *mid, *local;
	int me, n, to, rc[8];

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	to = (me + 1) % n;
	T_OK(zc_heap_info(&heap, &freeb));
	/* head: the first user block; mid: the big middle; tail: the last
	 * 4 KiB of the heap (zc_align keeps 64-byte placement). */
	T_OK(zc_align(64, nhead * 8, (void **)&head));
	T_OK(zc_heap_info(&heap, &freeb));
	T_OK(zc_align(64, freeb - 4096, (void **)&mid));
	T_OK(zc_heap_info(&heap, &freeb));
	ntail = freeb / 8;
	T_OK(zc_align(64, freeb, (void **)&tail));
	for (size_t i = 0; i < nhead; i++)
		head[i] = 0x5a5a5a5a5a5a5a5a;
	for (size_t i = 0; i < ntail; i++)
		tail[i] = 0x5a5a5a5a5a5a5a5a;
	local = calloc(ntail + 64, 8);
	T_ASSERT(local != NULL, "calloc");
	for (size_t i = 0; i < ntail + 64; i++)
		local[i] = -1;
	T_OK(zc_barrier_all());

	t_cap_begin();
	/* One element past the end; SIZE_MAX/4 elements; a span that
	 * overflows; a negative stride from the first block downwards. */
	rc[0] = zc_iput(tail, local, 1, 1, 8, ntail + 1, to);
	rc[1] = zc_iput(tail, local, 1, 0, 8, SIZE_MAX / 4, to);
	rc[2] = zc_iput(tail, local, PTRDIFF_MAX / 4, 1, 8, 3, to);
	rc[3] = zc_iput(head + 4, local, -1, 1, 8, 64, to);
	rc[4] = zc_iget(local, tail, 1, 1, 8, ntail + 1, to);
	rc[5] = zc_iget(local, tail, 1, 1, 8, SIZE_MAX / 4, to);
	rc[6] = zc_iget(local, head + 4, 1, -1, 8, 64, to);
	rc[7] = zc_iput(tail + ntail - 1, local, PTRDIFF_MIN / 8, 1, 8, 2, to);
	logbuf = t_cap_end();
	for (int k = 0; k < 8; k++)
		T_ASSERT(rc[k] == -ZC_ERANGE_ACCESS || rc[k] == -ZC_ENOTSYM,
			 "bad strided call %d returned %d (%s)", k, rc[k],
			 zc_strerror(rc[k]));
	T_ASSERT(strstr(logbuf, "zc_iput") && strstr(logbuf, "zc_iget"),
		 "the log does not name zc_iput/zc_iget:\n%s", logbuf);
	/* The gets wrote nothing locally either. */
	for (size_t i = 0; i < ntail + 64; i++)
		T_ASSERT(local[i] == -1, "local element %zu written by a failed "
			 "zc_iget", i);
	T_OK(zc_barrier_all());
	for (size_t i = 0; i < nhead; i++)
		T_ASSERT(head[i] == 0x5a5a5a5a5a5a5a5a, "head element %zu "
			 "changed", i);
	for (size_t i = 0; i < ntail; i++)
		T_ASSERT(tail[i] == 0x5a5a5a5a5a5a5a5a, "tail element %zu "
			 "changed", i);
	T_OK(zc_barrier_all());

	/* Negative strides inside the heap: element i lands at 63 - i. */
	for (int i = 0; i < 64; i++)
		local[i] = me * 1000 + i;
	T_OK(zc_iput(head + 63, local, -1, 1, 8, 64, to));
	T_OK(zc_barrier_all());
	for (int i = 0; i < 64; i++)
		T_ASSERT(head[63 - i] == ((me + n - 1) % n) * 1000 + i,
			 "reversed element %d: %lld", i, (long long)head[63 - i]);
	/* My right neighbour's head[j] is mine * 1000 + 63 - j; fetched
	 * into a local array walked backwards, it reads forwards again. */
	T_OK(zc_iget(local + 64 + 63, head, -1, 1, 8, 64, to));
	for (int k = 0; k < 64; k++)
		T_ASSERT(local[64 + k] == me * 1000 + k,
			 "zc_iget with a negative local stride, element %d: %lld",
			 k, (long long)local[64 + k]);
	T_OK(zc_barrier_all());
	free(local);
	T_OK(zc_free(tail));
	T_OK(zc_free(mid));
	T_OK(zc_free(head));
	T_OK(zc_finalize());
	if (me == 0)
		printf("strided_range: refused whole, nothing moved, on %d ranks\n",
		       n);
	return 0;
}
