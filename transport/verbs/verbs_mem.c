/* SPDX-License-Identifier: MIT */
/*
 * Local memory for RDMA: the heap is registered once; a buffer outside it
 * (stack, malloc) is copied through a slot of a pre-registered bounce
 * pool up to ZC_VERBS_BOUNCE_MAX, and above that registered for the one
 * operation and deregistered when it retires. Registering for the
 * operation is always correct, whatever the program does with its memory
 * afterwards (a cache of registrations is not: freed and reused memory
 * keeps the old pages pinned under the old translation).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verbs.h"

struct zc_verbs_rce {
	struct ibv_mr *mr;
};

int zc_verbs_mem_init(struct zc_prov *p)
{
	size_t n = (size_t)zc_verbs_params.bounce_count;
	size_t len = n * zc_verbs_params.bounce_max;

	p->bounce = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
	p->bounce_free = calloc(n, sizeof(int));
	if (!p->bounce || !p->bounce_free)
		return -ENOMEM;
	p->bounce_mr = ibv_reg_mr(p->pd, p->bounce, len, IBV_ACCESS_LOCAL_WRITE);
	if (!p->bounce_mr) {
		int rc = -errno;

		zc_err("verbs: ibv_reg_mr of the %zu-byte bounce pool: %m", len);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		p->bounce_free[i] = (int)(n - 1 - i);
	p->nbounce_free = (int)n;
	pthread_mutex_init(&p->bounce_lock, NULL);
	return 0;
}

void zc_verbs_mem_fini(struct zc_prov *p)
{
	if (p->bounce_mr)
		ibv_dereg_mr(p->bounce_mr);
	free(p->bounce);
	free(p->bounce_free);
	p->bounce = NULL;
	p->bounce_free = NULL;
}

static int bounce_take(struct zc_prov *p)
{
	int s = -1;

	pthread_mutex_lock(&p->bounce_lock);
	if (p->nbounce_free)
		s = p->bounce_free[--p->nbounce_free];
	pthread_mutex_unlock(&p->bounce_lock);
	return s;
}

int zc_verbs_mem_get(struct zc_prov *p, void *buf, size_t len, bool copy_in,
		     struct zc_verbs_lkey *k)
{
	char *b = buf;

	k->bounce = -1;
	k->rce = NULL;
	k->addr = (uintptr_t)buf;
	if (b >= p->heap && b + len <= p->heap + p->heap_size) {
		k->lkey = p->heap_mr->lkey;
		return 0;
	}
	if (len <= zc_verbs_params.bounce_max) {
		/* All slots busy: the oldest operations retire soon. */
		unsigned spins = 0;

		while ((k->bounce = bounce_take(p)) < 0)
			zc_verbs_wait_turn(p, &spins);
		k->addr = (uintptr_t)p->bounce +
			  (size_t)k->bounce * zc_verbs_params.bounce_max;
		k->lkey = p->bounce_mr->lkey;
		if (copy_in)
			memcpy((void *)(uintptr_t)k->addr, buf, len);
		return 0;
	}
	k->rce = malloc(sizeof(*k->rce));
	if (!k->rce)
		return -ENOMEM;
	k->rce->mr = ibv_reg_mr(p->pd, buf, len, IBV_ACCESS_LOCAL_WRITE);
	if (!k->rce->mr) {
		int rc = -errno;

		zc_err("verbs: ibv_reg_mr of a %zu-byte local buffer at %p: %m",
		       len, buf);
		free(k->rce);
		k->rce = NULL;
		return rc;
	}
	k->lkey = k->rce->mr->lkey;
	return 0;
}

void zc_verbs_mem_put(struct zc_prov *p, int bounce, struct zc_verbs_rce *rce)
{
	if (bounce >= 0) {
		pthread_mutex_lock(&p->bounce_lock);
		p->bounce_free[p->nbounce_free++] = bounce;
		pthread_mutex_unlock(&p->bounce_lock);
	}
	if (rce) {
		ibv_dereg_mr(rce->mr);
		free(rce);
	}
}
