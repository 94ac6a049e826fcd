/* SPDX-License-Identifier: MIT */
/*
 * Threads that take turns calling zcomm. Thread A does a blocking get (so
 * A posts the next receive of my connection to the peer), then sleeps on
 * a condition variable while the main thread does gets to the same peer:
 * their replies complete in A's context. Then A exits, which makes the
 * kernel cancel the receive A posted; the main thread's gets must go on
 * (the cancelled receive is posted again). Every get must return the
 * peer's data; the peer timeout is 2 s and each turn lasts longer.
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "t_proc.h"

#define N 512

static uint64_t *buf;
static int peer;
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn;	/* 0: A, 1: B, 2: done */

static void check_get(void)
{
	uint64_t v[N];

	T_OK(zc_get(v, buf, sizeof(v), peer));
	for (int i = 0; i < N; i++)
		T_ASSERT(v[i] == (uint64_t)peer * 1000000 + (uint64_t)i,
			 "rank %d: word %d from rank %d is %lu", zc_rank(), i,
			 peer, (unsigned long)v[i]);
}

static void *thread_a(void *arg)
{
	(void)arg;
	check_get();
	pthread_mutex_lock(&mtx);
	turn = 1;
	pthread_cond_broadcast(&cv);
	while (turn != 2)
		pthread_cond_wait(&cv, &mtx);
	pthread_mutex_unlock(&mtx);
	/* Post the connection's next receive once more, then exit. */
	check_get();
	return NULL;
}

int main(void)
{
	pthread_t a;
	double t0;
	long gets = 0;

	T_OK(zc_init());
	T_SKIP_IF(zc_size() < 2, "needs 2 ranks");
	peer = zc_rank() ^ 1;
	T_OK(zc_malloc(N * sizeof(*buf), (void **)&buf));
	for (int i = 0; i < N; i++)
		buf[i] = (uint64_t)zc_rank() * 1000000 + (uint64_t)i;
	T_OK(zc_barrier_all());
	if (peer < zc_size()) {
		T_ASSERT(!pthread_create(&a, NULL, thread_a, NULL), "thread");
		pthread_mutex_lock(&mtx);
		while (turn != 1)
			pthread_cond_wait(&cv, &mtx);
		pthread_mutex_unlock(&mtx);
		/* My turn while A sleeps: longer than the peer timeout. */
		for (t0 = t_now(); t_now() - t0 < 2.5; gets++)
			check_get();
		pthread_mutex_lock(&mtx);
		turn = 2;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mtx);
		pthread_join(a, NULL);
		/* A is gone, and with it what it had posted. */
		for (t0 = t_now(); t_now() - t0 < 2.5; gets++)
			check_get();
	}
	T_OK(zc_barrier_all());
	printf("rank %d: %ld gets by the main thread, all right\n",
	       zc_rank(), gets);
	T_OK(zc_free(buf));
	T_OK(zc_finalize());
	return 0;
}
