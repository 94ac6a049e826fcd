/* SPDX-License-Identifier: MIT */
/* Team collectives over zc_barrier/zc_broadcast/zc_allgather(v)/
 * zc_alltoall/zc_allreduce. Strided all-to-all and complex products go
 * by gets (gets.c). Names from ZC_SHMEM_RMA_TYPES and the reduction
 * tables. */
#include "sh.h"

void shmem_barrier_all(void)
{
	SH_CHECK(zc_barrier_all());
}

void shmem_sync_all(void)
{
	shmem_team_sync(SHMEM_TEAM_WORLD);
}

/* Every collective below: team_ready, then one call into zcomm that
 * done() ends; under MULTIPLE the lock is held from the one to the
 * other. */
static bool team_ready(shmem_team_t team, const char *fn)
{
	if (!sh_team_valid(team, fn))
		return false;
	sh_lock();
	return true;
}

static int done(int rc, const char *fn)
{
	sh_unlock();
	if (rc)
		sh_report(fn, rc);
	return rc ? -1 : 0;
}

static int bcast(shmem_team_t team, void *dest, const void *source,
		 size_t bytes, int root, const char *fn)
{
	if (!team_ready(team, fn))
		return -1;
	return done(zc_broadcast(team->zt, sh_sym(dest), sh_sym(source), bytes, root), fn);
}

static int collect(shmem_team_t team, void *dest, const void *source,
		   size_t bytes, const char *fn)
{
	if (!team_ready(team, fn))
		return -1;
	return done(zc_allgatherv(team->zt, sh_sym(dest), sh_sym(source), bytes), fn);
}

static int fcollect(shmem_team_t team, void *dest, const void *source,
		    size_t bytes, const char *fn)
{
	if (!team_ready(team, fn))
		return -1;
	return done(zc_allgather(team->zt, sh_sym(dest), sh_sym(source), bytes), fn);
}

static int alltoall(shmem_team_t team, void *dest, const void *source,
		    size_t bytes, const char *fn)
{
	if (!team_ready(team, fn))
		return -1;
	return done(zc_alltoall(team->zt, sh_sym(dest), sh_sym(source), bytes), fn);
}

static int alltoalls(shmem_team_t team, void *dest, const void *source,
		     ptrdiff_t dst, ptrdiff_t sst, size_t nelems, size_t elem,
		     const char *fn)
{
	struct sh_group g = { 0 };

	if (!team_ready(team, fn))
		return -1;
	g.zt = team->zt;
	return done(sh_alltoalls_by_gets(&g, dest, sh_sym(source), dst, sst,
					 nelems,
					 elem), fn);
}

#define SH_COLL(T, N)                                                       \
	int shmem_##N##_broadcast(shmem_team_t team, T *dest,               \
				  const T *source, size_t nelems,           \
				  int PE_root)                              \
	{ return bcast(team, dest, source, nelems * sizeof(T), PE_root, __func__); } \
	int shmem_##N##_collect(shmem_team_t team, T *dest, const T *source, \
				size_t nelems)                              \
	{ return collect(team, dest, source, nelems * sizeof(T), __func__); } \
	int shmem_##N##_fcollect(shmem_team_t team, T *dest,                \
				 const T *source, size_t nelems)            \
	{ return fcollect(team, dest, source, nelems * sizeof(T), __func__); } \
	int shmem_##N##_alltoall(shmem_team_t team, T *dest,                \
				 const T *source, size_t nelems)            \
	{ return alltoall(team, dest, source, nelems * sizeof(T), __func__); } \
	int shmem_##N##_alltoalls(shmem_team_t team, T *dest,               \
				  const T *source, ptrdiff_t dst,           \
				  ptrdiff_t sst, size_t nelems)             \
	{ return alltoalls(team, dest, source, dst, sst, nelems, sizeof(T), __func__); }
ZC_SHMEM_RMA_TYPES(SH_COLL)

int shmem_broadcastmem(shmem_team_t team, void *dest, const void *source,
		       size_t nelems, int PE_root)
{
	return bcast(team, dest, source, nelems, PE_root, __func__);
}

int shmem_collectmem(shmem_team_t team, void *dest, const void *source,
		     size_t nelems)
{
	return collect(team, dest, source, nelems, __func__);
}

int shmem_fcollectmem(shmem_team_t team, void *dest, const void *source,
		      size_t nelems)
{
	return fcollect(team, dest, source, nelems, __func__);
}

int shmem_alltoallmem(shmem_team_t team, void *dest, const void *source,
		      size_t nelems)
{
	return alltoall(team, dest, source, nelems, __func__);
}

int shmem_alltoallsmem(shmem_team_t team, void *dest, const void *source,
		       ptrdiff_t dst, ptrdiff_t sst, size_t nelems)
{
	return alltoalls(team, dest, source, dst, sst, nelems, 1, __func__);
}

static int reduce(shmem_team_t team, void *dest, const void *source,
		  size_t count, enum zc_dtype dt, enum zc_op op,
		  const char *fn)
{
	if (!team_ready(team, fn))
		return -1;
	return done(zc_allreduce(team->zt, sh_sym(dest), sh_sym(source), count, dt, op), fn);
}

#define SH_RED(T, N, OP, ZOP)                                               \
	int shmem_##N##_##OP##_reduce(shmem_team_t team, T *dest,           \
				      const T *source, size_t nreduce)      \
	{ return reduce(team, dest, source, nreduce, SH_DTYPE(T), ZOP, __func__); }
#define SH_BITRED(T, N)                                                     \
	SH_RED(T, N, and, ZC_OP_AND) SH_RED(T, N, or, ZC_OP_OR)             \
	SH_RED(T, N, xor, ZC_OP_XOR)
#define SH_MINMAX(T, N) SH_RED(T, N, min, ZC_OP_MIN) SH_RED(T, N, max, ZC_OP_MAX)
#define SH_ARITH(T, N) SH_RED(T, N, sum, ZC_OP_SUM) SH_RED(T, N, prod, ZC_OP_PROD)
ZC_SHMEM_BITRED_TYPES(SH_BITRED)
ZC_SHMEM_MINMAX_TYPES(SH_MINMAX)
ZC_SHMEM_ARITH_TYPES(SH_ARITH)

/* Complex: a sum is a sum of the real and imaginary parts; a product
 * mixes them, so it goes by gets. */
static int cprod(shmem_team_t team, void *dest, const void *source,
		 size_t n, bool is_double, const char *fn)
{
	struct sh_group g = { 0 };

	if (!team_ready(team, fn))
		return -1;
	g.zt = team->zt;
	return done(sh_reduce_by_gets(&g, dest, sh_sym(source), n,
				      is_double ? sizeof(double _Complex) :
						  sizeof(float _Complex),
				      sh_fold_cprod, &is_double), fn);
}

int shmem_complexd_sum_reduce(shmem_team_t team, double _Complex *dest,
			      const double _Complex *source, size_t nreduce)
{
	return reduce(team, dest, source, 2 * nreduce, ZC_DOUBLE, ZC_OP_SUM,
		      __func__);
}

int shmem_complexf_sum_reduce(shmem_team_t team, float _Complex *dest,
			      const float _Complex *source, size_t nreduce)
{
	return reduce(team, dest, source, 2 * nreduce, ZC_FLOAT, ZC_OP_SUM,
		      __func__);
}

int shmem_complexd_prod_reduce(shmem_team_t team, double _Complex *dest,
			       const double _Complex *source, size_t nreduce)
{
	return cprod(team, dest, source, nreduce, true, __func__);
}

int shmem_complexf_prod_reduce(shmem_team_t team, float _Complex *dest,
			       const float _Complex *source, size_t nreduce)
{
	return cprod(team, dest, source, nreduce, false, __func__);
}
