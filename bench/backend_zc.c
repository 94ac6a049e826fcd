/* SPDX-License-Identifier: MIT */
/* The benchmark backend over zcomm's native API. */
#include <errno.h>

#include <zcomm.h>

#include "backend.h"

/* The collectives beyond the barrier are declared weak so that the
 * benchmarks build and run (reporting -ENOSYS) while libzcomm does not
 * have them yet; once it does, they bind as usual. */
#pragma weak zc_team_world
#pragma weak zc_broadcast
#pragma weak zc_allreduce
#pragma weak zc_allgather
#pragma weak zc_alltoall
#pragma weak zc_reduce_scatter

int bk_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return zc_init();
}

int bk_finalize(void)
{
	return zc_finalize();
}

const char *bk_name(void)
{
	return "zcomm";
}

int bk_rank(void)
{
	return zc_rank();
}

int bk_size(void)
{
	return zc_size();
}

void *bk_malloc(size_t size)
{
	void *p = NULL;

	return zc_align(BK_ALIGN, size, &p) ? NULL : p;
}

int bk_free(void *ptr)
{
	return zc_free(ptr);
}

int bk_put_nbi(void *dst, const void *src, size_t len, int pe)
{
	return zc_put_nbi(dst, src, len, pe);
}

int bk_get(void *dst, const void *src, size_t len, int pe)
{
	return zc_get(dst, src, len, pe);
}

int bk_quiet(int pe)
{
	(void)pe;
	return zc_quiet();
}

int bk_fence(int pe)
{
	(void)pe;
	return zc_fence();
}

int bk_signal(uint64_t *flag, uint64_t value, int pe)
{
	return zc_put_nbi(flag, &value, sizeof(value), pe);
}

int bk_wait_ge(uint64_t *flag, uint64_t value)
{
	return zc_wait_until(flag, ZC_UINT64, ZC_CMP_GE, (int64_t)value);
}

int bk_fetch_add(uint64_t *target, uint64_t value, int pe, uint64_t *old_p)
{
	return zc_atomic_fetch_add64(target, value, pe, old_p);
}

int bk_cswap(uint64_t *target, uint64_t cmp, uint64_t value, int pe,
	     uint64_t *old_p)
{
	return zc_atomic_cswap64(target, cmp, value, pe, old_p);
}

int bk_barrier(void)
{
	return zc_barrier_all();
}

int bk_bcast(void *dst, const void *src, size_t nbytes, int root)
{
	if (!zc_team_world || !zc_broadcast)
		return -ENOSYS;
	return zc_broadcast(zc_team_world(), dst, src, nbytes, root);
}

int bk_allreduce(float *dst, const float *src, size_t count)
{
	if (!zc_team_world || !zc_allreduce)
		return -ENOSYS;
	return zc_allreduce(zc_team_world(), dst, src, count, ZC_FLOAT,
			    ZC_OP_SUM);
}

int bk_allgather(void *dst, const void *src, size_t nbytes)
{
	if (!zc_team_world || !zc_allgather)
		return -ENOSYS;
	return zc_allgather(zc_team_world(), dst, src, nbytes);
}

int bk_alltoall(void *dst, const void *src, size_t nbytes)
{
	if (!zc_team_world || !zc_alltoall)
		return -ENOSYS;
	return zc_alltoall(zc_team_world(), dst, src, nbytes);
}

int bk_reduce_scatter(float *dst, const float *src, size_t count)
{
	if (!zc_team_world || !zc_reduce_scatter)
		return -ENOSYS;
	return zc_reduce_scatter(zc_team_world(), dst, src, count, ZC_FLOAT,
				 ZC_OP_SUM);
}
