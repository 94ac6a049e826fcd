/* SPDX-License-Identifier: MIT */
/* RMA: typed (several types), sized and byte put/get, p/g, iput/iget,
 * nbi with quiet, ctx forms; every PE writes to every PE, every element
 * checked. */
#include <string.h>

#include "sh_test.h"

#define N 257

static long lval(int w, int t, int i)
{
	return (long)w * 1000003L + t * 1009L + i;
}

int main(void)
{
	int me, n;
	long *ldst, *lsrc;
	double *ddst;
	short *sdst;
	char *bdst;
	uint32_t *u32;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	ldst = shmem_calloc((size_t)n * N, sizeof(long));
	lsrc = shmem_malloc(N * sizeof(long));
	ddst = shmem_calloc((size_t)n, sizeof(double));
	sdst = shmem_calloc((size_t)n * N, sizeof(short));
	bdst = shmem_calloc((size_t)n * N, 1);
	u32 = shmem_calloc((size_t)n * N * 2, sizeof(uint32_t));
	SH_ASSERT(ldst && lsrc && ddst && sdst && bdst && u32, "alloc");

	/* Blocking typed put into my window on every PE. */
	for (int t = 0; t < n; t++) {
		long buf[N];
		short sb[N];

		for (int i = 0; i < N; i++) {
			buf[i] = lval(me, t, i);
			sb[i] = (short)(lval(me, t, i) & 0x7fff);
		}
		shmem_long_put(ldst + me * N, buf, N, t);
		shmem_short_put_nbi(sdst + me * N, sb, N, t);
		shmem_double_p(ddst + me, me + 0.5, t);
	}
	shmem_quiet();
	shmem_barrier_all();
	for (int w = 0; w < n; w++) {
		for (int i = 0; i < N; i++) {
			SH_ASSERT(ldst[w * N + i] == lval(w, me, i),
				  "long put from %d elem %d: %ld", w, i,
				  ldst[w * N + i]);
			SH_ASSERT(sdst[w * N + i] == (short)(lval(w, me, i) & 0x7fff),
				  "short put_nbi from %d elem %d", w, i);
		}
		SH_ASSERT(ddst[w] == w + 0.5, "double p from %d: %f", w, ddst[w]);
	}

	/* Get back what I put on every PE: typed, generic, g, nbi. */
	for (int t = 0; t < n; t++) {
		long buf[N];
		short sb[N];

		memset(buf, 0, sizeof(buf));
		shmem_long_get(buf, ldst + me * N, N, t);
		for (int i = 0; i < N; i++)
			SH_ASSERT(buf[i] == lval(me, t, i), "get from %d", t);
		memset(sb, 0, sizeof(sb));
		shmem_get_nbi(sb, sdst + me * N, N, t);
		shmem_quiet();
		for (int i = 0; i < N; i++)
			SH_ASSERT(sb[i] == (short)(lval(me, t, i) & 0x7fff),
				  "get_nbi from %d elem %d", t, i);
		SH_ASSERT(shmem_long_g(ldst + me * N + 5, t) == lval(me, t, 5),
			  "g from %d", t);
		SH_ASSERT(shmem_g(ddst + me, t) == me + 0.5, "generic g");
	}
	shmem_barrier_all();

	/* Sized and byte forms: putmem/getmem, put32/get64/put128. */
	{
		char cb[N];
		uint32_t wb[2 * N];

		for (int i = 0; i < N; i++)
			cb[i] = (char)(me * 7 + i);
		for (int i = 0; i < 2 * N; i++)
			wb[i] = (uint32_t)(me * 100000 + i);
		for (int t = 0; t < n; t++) {
			shmem_putmem(bdst + me * N, cb, N, t);
			shmem_put32(u32 + me * 2 * N, wb, N, t);
			shmem_put64(u32 + me * 2 * N + N - 1, wb + N - 1, 1, t);
			shmem_put128(u32 + me * 2 * N + N + 1, wb + N + 1, (N - 1) / 4, t);
		}
		shmem_barrier_all();
		for (int w = 0; w < n; w++) {
			for (int i = 0; i < N; i++)
				SH_ASSERT(bdst[w * N + i] == (char)(w * 7 + i),
					  "putmem from %d byte %d", w, i);
			for (int i = 0; i < N + 1 + (N - 1) / 4 * 4; i++)
				SH_ASSERT(u32[w * 2 * N + i] == (uint32_t)(w * 100000 + i),
					  "sized put from %d word %d: %u", w, i,
					  u32[w * 2 * N + i]);
		}
		for (int t = 0; t < n; t++) {
			memset(cb, 0, sizeof(cb));
			shmem_getmem(cb, bdst + me * N, N, t);
			SH_ASSERT(!memcmp(cb, bdst + me * N, N), "getmem %d", t);
			memset(wb, 0, sizeof(wb));
			shmem_get64(wb, u32 + me * 2 * N, N / 2, t);
			for (int i = 0; i < N / 2 * 2; i++)
				SH_ASSERT(wb[i] == (uint32_t)(me * 100000 + i),
					  "get64 from %d", t);
		}
	}
	shmem_barrier_all();

	/* Strided: every 3rd source element to every 2nd dest slot. */
	for (int i = 0; i < N; i++)
		lsrc[i] = lval(me, me, i);
	memset(ldst, 0, (size_t)n * N * sizeof(long));
	shmem_barrier_all();
	for (int t = 0; t < n; t++)
		shmem_long_iput(ldst + me * N, lsrc, 2, 3, N / 3, t);
	shmem_barrier_all();
	for (int w = 0; w < n; w++)
		for (int i = 0; i < N / 3; i++) {
			SH_ASSERT(ldst[w * N + 2 * i] == lval(w, w, 3 * i),
				  "iput from %d elem %d", w, i);
			SH_ASSERT(ldst[w * N + 2 * i + 1] == 0, "iput gap %d", i);
		}
	for (int t = 0; t < n; t++) {
		long buf[N];

		memset(buf, 0, sizeof(buf));
		shmem_iget(buf, lsrc, 1, 2, N / 2, t);
		for (int i = 0; i < N / 2; i++)
			SH_ASSERT(buf[i] == lval(t, t, 2 * i), "iget from %d", t);
		shmem_iget64(buf, lsrc, 2, 1, 4, t);
		SH_ASSERT(buf[6] == lval(t, t, 3), "iget64 from %d", t);
	}
	shmem_barrier_all();

	/* ctx forms on a private context and the default one. */
	{
		shmem_ctx_t ctx;
		long v = -1;

		SH_ASSERT(shmem_ctx_create(SHMEM_CTX_PRIVATE, &ctx) == 0, "ctx");
		shmem_ctx_long_p(ctx, lsrc, 42 + me, (me + 1) % n);
		shmem_put(ctx, lsrc + 1, &v, 1, (me + 1) % n);
		shmem_ctx_quiet(ctx);
		shmem_barrier_all();
		SH_ASSERT(lsrc[0] == 42 + (me + n - 1) % n && lsrc[1] == -1,
			  "ctx p: %ld %ld", lsrc[0], lsrc[1]);
		SH_ASSERT(shmem_ctx_long_g(ctx, lsrc, (me + 1) % n) == 42 + me,
			  "ctx g");
		SH_ASSERT(shmem_g(SHMEM_CTX_DEFAULT, lsrc, me) == lsrc[0],
			  "default ctx generic g");
		shmem_ctx_destroy(ctx);
	}

	shmem_free(u32);
	shmem_free(bdst);
	shmem_free(sdst);
	shmem_free(ddst);
	shmem_free(lsrc);
	shmem_free(ldst);
	return sh_test_done("shmem rma");
}
