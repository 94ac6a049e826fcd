/* SPDX-License-Identifier: MIT */
/* Collectives by gets over a group (a team or an active set), for what
 * zcomm's collectives do not cover: complex products, strided
 * all-to-all, and active sets that are not teams (a subset of PEs cannot
 * create a team, since team creation is collective over the parent).
 * Built from zc_get/zc_iget, the group's sync and the collectives'
 * element-wise combine. */
#include <complex.h>
#include <errno.h>
#include <stdlib.h>

#include "coll.h"
#include "sh.h"

int sh_group_size(const struct sh_group *g)
{
	return g->zt ? zc_team_size(g->zt) : g->aset.size;
}

int sh_group_me(const struct sh_group *g)
{
	return g->zt ? zc_team_rank(g->zt) : g->aset.me;
}

int sh_group_world(const struct sh_group *g, int i)
{
	if (g->zt)
		return zc_team_translate(g->zt, i, zc_shmem_team_world.zt);
	return g->aset.start + i * g->aset.stride;
}

int sh_group_sync(const struct sh_group *g)
{
	return g->zt ? zc_team_sync(g->zt) : sh_aset_sync(&g->aset);
}

/* zcomm's one element-wise combine (collectives/reduce_op.c). */
void sh_fold_dtype(void *acc, const void *src, size_t n, const void *arg)
{
	const struct sh_fold_op *f = arg;

	zc_coll_combine(f->dt, f->op, acc, acc, src, n);
}

void sh_fold_cprod(void *acc, const void *src, size_t n, const void *arg)
{
	if (*(const bool *)arg) {
		double _Complex *a = acc;
		const double _Complex *s = src;

		for (size_t i = 0; i < n; i++)
			a[i] *= s[i];
	} else {
		float _Complex *a = acc;
		const float _Complex *s = src;

		for (size_t i = 0; i < n; i++)
			a[i] *= s[i];
	}
}

int sh_reduce_by_gets(const struct sh_group *g, void *dest,
		      const void *source, size_t n, size_t elem,
		      sh_fold_fn *fold, const void *farg)
{
	int size = sh_group_size(g), me = sh_group_me(g), rc;
	size_t bytes = n * elem;
	char *acc = malloc(bytes ? bytes : 1), *tmp = malloc(bytes ? bytes : 1);

	if (!acc || !tmp) {
		free(acc);
		free(tmp);
		return -ENOMEM;
	}
	rc = sh_group_sync(g);
	/* Every PE folds in member order: identical results everywhere,
	 * floating point included. */
	for (int j = 0; j < size && !rc; j++) {
		char *into = j ? tmp : acc;

		if (j == me)
			memcpy(into, source, bytes);
		else
			rc = zc_get(into, source, bytes, sh_group_world(g, j));
		if (!rc && j)
			fold(acc, tmp, n, farg);
	}
	if (!rc)
		rc = sh_group_sync(g);
	if (!rc)
		memcpy(dest, acc, bytes);
	free(acc);
	free(tmp);
	return rc;
}

/* Member i's block j (elements j*nelems.. at stride sst) lands in member
 * j's block i (at stride dst). */
int sh_alltoalls_by_gets(const struct sh_group *g, void *dest,
			 const void *source, ptrdiff_t dst, ptrdiff_t sst,
			 size_t nelems, size_t elem)
{
	int size = sh_group_size(g), me = sh_group_me(g);
	int rc = sh_group_sync(g);

	for (int j = 0; j < size && !rc; j++) {
		char *d = (char *)dest + (ptrdiff_t)(j * nelems * elem) * dst;
		const char *s = (const char *)source +
				(ptrdiff_t)((size_t)me * nelems * elem) * sst;

		rc = zc_iget(d, s, dst, sst, elem, nelems, sh_group_world(g, j));
	}
	if (!rc)
		rc = sh_group_sync(g);
	return rc;
}
