/* SPDX-License-Identifier: MIT */
/*
 * The benchmark backend over the OpenSHMEM 1.4 API (what Open MPI's oshmem
 * offers; zcomm's shmem.h offers it too), so one benchmark binary source
 * is built against either implementation. Collectives use the active-set
 * forms with pSync/pWrk: there are no teams in 1.4. OpenSHMEM has no
 * reduce-scatter.
 */
#include <errno.h>

#include <shmem.h>

#include "backend.h"

#define MAX_REDUCE_FLOATS ((1u << 20) / sizeof(float))

static long *psync;		/* one set, reused: a barrier separates uses */
static float *pwrk;

int bk_init(int *argc, char ***argv)
{
	size_t nsync = SHMEM_REDUCE_SYNC_SIZE;

	(void)argc;
	(void)argv;
	shmem_init();
	if (SHMEM_BCAST_SYNC_SIZE > nsync)
		nsync = SHMEM_BCAST_SYNC_SIZE;
	if (SHMEM_COLLECT_SYNC_SIZE > nsync)
		nsync = SHMEM_COLLECT_SYNC_SIZE;
	if (SHMEM_ALLTOALL_SYNC_SIZE > nsync)
		nsync = SHMEM_ALLTOALL_SYNC_SIZE;
	psync = shmem_malloc(nsync * sizeof(long));
	pwrk = shmem_malloc((MAX_REDUCE_FLOATS / 2 + 1 +
			     SHMEM_REDUCE_MIN_WRKDATA_SIZE) * sizeof(float));
	if (!psync || !pwrk)
		return -ENOMEM;
	for (size_t i = 0; i < nsync; i++)
		psync[i] = SHMEM_SYNC_VALUE;
	shmem_barrier_all();
	return 0;
}

int bk_finalize(void)
{
	shmem_free(pwrk);
	shmem_free(psync);
	shmem_finalize();
	return 0;
}

const char *bk_name(void)
{
	return "shmem";
}

int bk_rank(void)
{
	return shmem_my_pe();
}

int bk_size(void)
{
	return shmem_n_pes();
}

void *bk_malloc(size_t size)
{
	return shmem_align(BK_ALIGN, size);
}

int bk_free(void *ptr)
{
	shmem_free(ptr);
	return 0;
}

int bk_put_nbi(void *dst, const void *src, size_t len, int pe)
{
	shmem_putmem_nbi(dst, src, len, pe);
	return 0;
}

int bk_get(void *dst, const void *src, size_t len, int pe)
{
	shmem_getmem(dst, src, len, pe);
	return 0;
}

int bk_quiet(int pe)
{
	(void)pe;
	shmem_quiet();
	return 0;
}

int bk_fence(int pe)
{
	(void)pe;
	shmem_fence();
	return 0;
}

int bk_signal(uint64_t *flag, uint64_t value, int pe)
{
	shmem_uint64_p(flag, value, pe);
	return 0;
}

int bk_wait_ge(uint64_t *flag, uint64_t value)
{
	shmem_uint64_wait_until(flag, SHMEM_CMP_GE, value);
	return 0;
}

int bk_fetch_add(uint64_t *target, uint64_t value, int pe, uint64_t *old_p)
{
	*old_p = shmem_ulong_atomic_fetch_add((unsigned long *)target, value,
					      pe);
	return 0;
}

int bk_cswap(uint64_t *target, uint64_t cmp, uint64_t value, int pe,
	     uint64_t *old_p)
{
	*old_p = shmem_ulong_atomic_compare_swap((unsigned long *)target, cmp,
						 value, pe);
	return 0;
}

int bk_barrier(void)
{
	shmem_barrier_all();
	return 0;
}

/* 64-bit elements: sizes below 8 bytes move one element. */
static size_t elems64(size_t nbytes)
{
	return (nbytes + 7) / 8;
}

int bk_bcast(void *dst, const void *src, size_t nbytes, int root)
{
	shmem_broadcast64(dst, src, elems64(nbytes), root, 0, 0,
			  shmem_n_pes(), psync);
	return 0;
}

int bk_allreduce(float *dst, const float *src, size_t count)
{
	if (count > MAX_REDUCE_FLOATS)
		return -EINVAL;
	shmem_float_sum_to_all(dst, src, (int)count, 0, 0, shmem_n_pes(),
			       pwrk, psync);
	return 0;
}

int bk_allgather(void *dst, const void *src, size_t nbytes)
{
	shmem_fcollect64(dst, src, elems64(nbytes), 0, 0, shmem_n_pes(),
			 psync);
	return 0;
}

int bk_alltoall(void *dst, const void *src, size_t nbytes)
{
	shmem_alltoall64(dst, src, elems64(nbytes), 0, 0, shmem_n_pes(),
			 psync);
	return 0;
}

int bk_reduce_scatter(float *dst, const float *src, size_t count)
{
	(void)dst;
	(void)src;
	(void)count;
	return -ENOSYS;
}
