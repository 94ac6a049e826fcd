/* SPDX-License-Identifier: MIT */
/* SHMEM_THREAD_MULTIPLE: asked for, it is provided; then 4 threads per PE
 * at once, each with its own private context, put to every PE, add to a
 * counter on PE 0 and quiet their context; meanwhile one thread of each
 * PE waits on a flag that a different thread of the left neighbour sets
 * only after its own puts: a wait that kept other threads of its PE out
 * of the library would never end (the test's timeout says so). */
#include <pthread.h>
#include <stdint.h>

#include "sh_test.h"

#define NT 4
#define K 64

static long *dst;	/* [pe][thread][K] */
static long *counter, *flag;
static int me, n;

static void *worker(void *arg)
{
	int t = (int)(intptr_t)arg;
	long src[K];
	shmem_ctx_t ctx;

	if (t == 0) {
		/* Set by thread 1 of the left neighbour. */
		shmem_long_wait_until(flag, SHMEM_CMP_EQ, 1);
		return NULL;
	}
	SH_ASSERT(shmem_ctx_create(SHMEM_CTX_PRIVATE, &ctx) == 0, "ctx %d", t);
	for (int i = 0; i < K; i++)
		src[i] = (long)me * 100000 + t * 1000 + i;
	for (int p = 0; p < n; p++) {
		shmem_ctx_long_put_nbi(ctx, &dst[((size_t)me * NT + t) * K],
				       src, K, p);
		shmem_ctx_long_atomic_inc(ctx, counter, 0);
	}
	shmem_ctx_quiet(ctx);
	if (t == 1)
		shmem_long_atomic_set(flag, 1, (me + 1) % n);
	shmem_ctx_destroy(ctx);
	return NULL;
}

int main(void)
{
	int provided = -1;
	pthread_t th[NT];

	SH_ASSERT(shmem_init_thread(SHMEM_THREAD_MULTIPLE, &provided) == 0,
		  "init_thread");
	SH_ASSERT(provided == SHMEM_THREAD_MULTIPLE, "provided %d", provided);
	me = shmem_my_pe();
	n = shmem_n_pes();
	dst = shmem_calloc((size_t)n * NT * K, sizeof(long));
	counter = shmem_calloc(1, sizeof(long));
	flag = shmem_calloc(1, sizeof(long));
	SH_ASSERT(dst && counter && flag, "alloc");
	for (int t = 0; t < NT; t++)
		SH_ASSERT(!pthread_create(&th[t], NULL, worker,
					  (void *)(intptr_t)t), "thread");
	for (int t = 0; t < NT; t++)
		pthread_join(th[t], NULL);
	shmem_barrier_all();
	for (int p = 0; p < n; p++)
		for (int t = 1; t < NT; t++)
			for (int i = 0; i < K; i++)
				SH_ASSERT(dst[((size_t)p * NT + t) * K + i] ==
					  (long)p * 100000 + t * 1000 + i,
					  "from pe %d thread %d [%d]", p, t, i);
	if (me == 0)
		SH_ASSERT(*counter == (long)n * n * (NT - 1), "counter %ld",
			  *counter);
	SH_ASSERT(*flag == 1, "flag");
	shmem_free(flag);
	shmem_free(counter);
	shmem_free(dst);
	return sh_test_done("shmem thread_multiple");
}
