/* SPDX-License-Identifier: MIT */
/* ZC_CHECK=1: collectives whose arguments differ between members fail
 * with -EINVAL on every member and the log names the argument, the member
 * that differs and both values (without it they returned 0 with garbage,
 * or hung): broadcast, reduce, allreduce, reduce-scatter, and the
 * symmetric allocations zc_malloc, zc_calloc and zc_align (which gave the
 * ranks different heaps); calls that agree still give the right
 * results, and the heap stays the same on every rank. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t_capture.h"

int main(void)
{
	struct zc_team *w;
	int64_t *in, *out;
	const char *log;
	int me, n, rc;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 2, "needs 2 ranks or more");
	w = zc_team_world();
	T_OK(zc_calloc(8, sizeof(int64_t), (void **)&in));
	T_OK(zc_calloc(8, sizeof(int64_t), (void **)&out));

	t_cap_begin();
	rc = zc_allreduce(w, out, in, me ? 4 : 3, ZC_INT64, ZC_OP_SUM);
	log = t_cap_end();
	T_ASSERT(rc == -EINVAL, "allreduce with differing counts: %d", rc);
	T_ASSERT(strstr(log, "zc_allreduce") && strstr(log, "count") &&
		 strstr(log, me ? "gave count 3" : "gave count 4"),
		 "allreduce log:\n%s", log);

	t_cap_begin();
	rc = zc_broadcast(w, out, in, 16, me ? 1 : 0);
	log = t_cap_end();
	T_ASSERT(rc == -EINVAL, "broadcast with differing roots: %d", rc);
	T_ASSERT(strstr(log, "zc_broadcast") && strstr(log, "root"),
		 "broadcast log:\n%s", log);

	t_cap_begin();
	rc = zc_reduce(w, out, in, 2, ZC_INT64, me ? ZC_OP_MAX : ZC_OP_SUM, 0);
	log = t_cap_end();
	T_ASSERT(rc == -EINVAL && strstr(log, "op"), "reduce ops: %d\n%s", rc,
		 log);

	t_cap_begin();
	rc = zc_reduce_scatter(w, out, in, me ? 2 : 1, ZC_INT64, ZC_OP_SUM);
	log = t_cap_end();
	T_ASSERT(rc == -EINVAL, "reduce_scatter with differing counts: %d", rc);
	T_ASSERT(strstr(log, "zc_reduce_scatter") &&
		 strstr(log, me ? "gave count 1" : "gave count 2"),
		 "reduce_scatter log:\n%s", log);

	/* Symmetric allocations: sizes (and alignments) must agree. */
	{
		void *a = &rc, *b = &rc, *c = &rc, *d = NULL, *e = NULL;
		char want[64];

		t_cap_begin();
		rc = zc_malloc(me ? 96 : 64, &a);
		log = t_cap_end();
		snprintf(want, sizeof(want), "(rank %d) gave size %d", me ? 0 : 1,
			 me ? 64 : 96);
		T_ASSERT(rc == -EINVAL && !a, "zc_malloc with differing sizes: "
			 "%d %p", rc, a);
		T_ASSERT(strstr(log, "zc_malloc") && strstr(log, want) &&
			 strstr(log, me ? "gave 96" : "gave 64"),
			 "zc_malloc log (want \"%s\"):\n%s", want, log);
		t_cap_begin();
		rc = zc_calloc(me ? 3 : 2, 8, &b);
		log = t_cap_end();
		T_ASSERT(rc == -EINVAL && !b && strstr(log, "zc_calloc") &&
			 strstr(log, "size"), "zc_calloc: %d\n%s", rc, log);
		t_cap_begin();
		rc = zc_align(me ? 4096 : 128, 256, &c);
		log = t_cap_end();
		T_ASSERT(rc == -EINVAL && !c && strstr(log, "zc_align") &&
			 strstr(log, "alignment"), "zc_align: %d\n%s", rc, log);
		/* Nothing was allocated anywhere: the next agreeing calls
		 * give every rank the same addresses. */
		T_OK(zc_malloc(64, &d));
		T_OK(zc_align(4096, 256, &e));
		{
			uint64_t mine[2] = { (uint64_t)((char *)d - (char *)in),
					     (uint64_t)((char *)e - (char *)in) };
			uint64_t *all;

			T_OK(zc_calloc(2 * (size_t)n, 8, (void **)&all));
			memcpy(out, mine, sizeof(mine));	/* symmetric */
			T_OK(zc_allgather(w, all, out, sizeof(mine)));
			for (int i = 0; i < n; i++)
				T_ASSERT(all[2 * i] == mine[0] &&
					 all[2 * i + 1] == mine[1],
					 "rank %d's allocations at %llu/%llu, "
					 "mine at %llu/%llu", i,
					 (unsigned long long)all[2 * i],
					 (unsigned long long)all[2 * i + 1],
					 (unsigned long long)mine[0],
					 (unsigned long long)mine[1]);
			T_OK(zc_free(all));
		}
		T_OK(zc_free(e));
		T_OK(zc_free(d));
	}

	/* Agreeing calls work as ever. */
	for (int i = 0; i < 4; i++)
		in[i] = me + i;
	T_OK(zc_allreduce(w, out, in, 4, ZC_INT64, ZC_OP_SUM));
	for (int i = 0; i < 4; i++)
		T_ASSERT(out[i] == (int64_t)n * (n - 1) / 2 + (int64_t)n * i,
			 "sum %d: %lld", i, (long long)out[i]);
	T_OK(zc_free(out));
	T_OK(zc_free(in));
	T_OK(zc_finalize());
	if (me == 0)
		printf("check_args: differing arguments named on %d ranks\n", n);
	return 0;
}
