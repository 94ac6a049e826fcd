/* SPDX-License-Identifier: MIT */
/* The deprecated active-set collectives (PE_start, logPE_stride,
 * PE_size, pSync). An active set equal to the world runs on the world
 * team's collectives. Any other set cannot become a team (only a whole
 * parent team can split), so it runs by gets (gets.c) with a token
 * dissemination sync on the caller's pSync (symmetric: a global or heap
 * object) or, if it is not, on a slot of the layer's own scratch chosen
 * by a hash of the set (two sets sharing a slot must then not overlap in
 * time on a common PE). pWrk is not used. */
#include <errno.h>
#include <stdlib.h>

#include "sh.h"

/* The caller's pSync, when symmetric (a global or a heap object): the
 * specification makes programs give overlapping sets that run close
 * together different pSync arrays, which keeps their syncs apart. Else a
 * slot of the layer's scratch, by a hash of the set. */
static uint64_t *sync_words(const struct sh_aset *a, long *psync)
{
	unsigned slot = ((unsigned)a->start * 31u + (unsigned)a->stride * 7u +
			 (unsigned)a->size) % SH_SCRATCH_SLOTS;
	void *p = psync ? sh_sym(psync) : NULL;

	if (p && zc_addr_symmetric(p) && !((uintptr_t)p & 7))
		return p;
	return sh_scratch ? &sh_scratch[slot * SH_SLOT_WORDS] : NULL;
}

int sh_aset(int start, int logstride, int size, long *psync,
	    struct sh_aset *a, const char *fn)
{
	int n = zc_size(), me = zc_rank(), off;

	if (n < 0) {
		sh_report(fn, n);
		return -1;
	}
	if (start < 0 || logstride < 0 || logstride > 30 || size < 1 ||
	    start + (long long)(size - 1) * (1LL << logstride) >= n) {
		zc_err("%s: active set (PE_start %d, logPE_stride %d, PE_size "
		       "%d) does not fit in %d PEs", fn, start, logstride,
		       size, n);
		return -1;
	}
	a->start = start;
	a->stride = 1 << logstride;
	a->size = size;
	off = me - start;
	if (off < 0 || off % a->stride || off / a->stride >= size) {
		zc_err("%s: PE %d is not in the active set (PE_start %d, "
		       "logPE_stride %d, PE_size %d)", fn, me, start,
		       logstride, size);
		return -1;
	}
	a->me = off / a->stride;
	a->sync = sync_words(a, psync);
	return 0;
}

/* Round k's word: consecutive longs of a pSync, one cache line apart in
 * the layer's own slots. */
#define SH_SYNC_STRIDE(a)                                                   \
	((uintptr_t)(a)->sync - (uintptr_t)sh_scratch <                     \
	 SH_SCRATCH_WORDS * sizeof(uint64_t) ? 8 : 1)

/*
 * Dissemination rounds with tokens: in round k a member adds 1 to the
 * round-k word of the member 2^k ahead, waits for a token in its own and
 * takes it back. Each barrier sends and takes exactly one token per word,
 * so the words return to 0 and a slot serves any set after another; a
 * token that comes early (the sender already in the next barrier) is as
 * good as the expected one, since the sender got there only after
 * everyone entered this one. (core's zc_core_dissem uses growing epochs
 * instead, which a slot shared by different sets would confuse.)
 */
int sh_aset_sync(const struct sh_aset *a)
{
	int rc = 0;

	if (!a->sync)
		return -ZC_ENOTINIT;
	for (int k = 0, dist = 1; dist < a->size && !rc; k++, dist <<= 1) {
		uint64_t *word = &a->sync[k * SH_SYNC_STRIDE(a)];
		int to = a->start + ((a->me + dist) % a->size) * a->stride;

		rc = zc_atomic(ZC_AMO_ADD, word, 8, 1, 0, to, NULL);
		if (!rc)
			rc = zc_wait_until(word, ZC_UINT64, ZC_CMP_GE, 1);
		/* Through the atomics' agent, not the CPU: the next sync's
		 * add may be arriving (device atomics are not atomic with
		 * the CPU's). */
		if (!rc)
			rc = zc_atomic(ZC_AMO_ADD, word, 8, (uint64_t)-1, 0,
				       zc_rank(), NULL);
	}
	return rc;
}

static void aset_barrier(int start, int logstride, int size, long *psync,
			 bool quiet, const char *fn)
{
	struct sh_aset a;
	int rc;

	if (sh_aset(start, logstride, size, psync, &a, fn))
		return;
	/* barrier = quiet, then sync */
	if (sh_aset_is_world(&a)) {
		rc = quiet ? zc_barrier(zc_shmem_team_world.zt) :
			     zc_team_sync(zc_shmem_team_world.zt);
	} else {
		rc = quiet ? zc_quiet() : 0;
		if (!rc)
			rc = sh_aset_sync(&a);
	}
	if (rc)
		sh_report(fn, rc);
}

/* The entry points below hold the MULTIPLE lock around the whole
 * collective (sh.h). */
void shmem_barrier(int PE_start, int logPE_stride, int PE_size, long *pSync)
{
	sh_lock();
	aset_barrier(PE_start, logPE_stride, PE_size, pSync, true, __func__);
	sh_unlock();
}

void shmem_sync(int PE_start, int logPE_stride, int PE_size, long *pSync)
{
	sh_lock();
	aset_barrier(PE_start, logPE_stride, PE_size, pSync, false, __func__);
	sh_unlock();
}

static bool aset_group(int start, int logstride, int size, long *psync,
		       struct sh_group *g, const char *fn)
{
	memset(g, 0, sizeof(*g));
	if (sh_aset(start, logstride, size, psync, &g->aset, fn))
		return false;
	if (sh_aset_is_world(&g->aset))
		g->zt = zc_shmem_team_world.zt;
	return true;
}

/* OpenSHMEM 1.4: the root's dest is left alone; others read the root's
 * source. */
static void aset_bcast(void *dest, const void *source, size_t bytes,
		       int root, int start, int logstride, int size,
		       long *psync, const char *fn)
{
	struct sh_group g;
	int rc;

	if (!aset_group(start, logstride, size, psync, &g, fn))
		return;
	if (root < 0 || root >= size) {
		zc_err("%s: PE_root %d outside the active set of %d", fn, root,
		       size);
		return;
	}
	if (g.zt) {
		/* zc_broadcast writes the root's dest too: put it back. */
		void *save = root == g.aset.me && bytes ? malloc(bytes) : NULL;

		if (save)
			memcpy(save, dest, bytes);
		rc = zc_broadcast(g.zt, sh_sym(dest), sh_sym(source), bytes,
				  root);
		if (save) {
			memcpy(dest, save, bytes);
			free(save);
		}
		if (rc)
			sh_report(fn, rc);
		return;
	}
	rc = sh_group_sync(&g);
	if (!rc && g.aset.me != root)
		rc = zc_get(dest, sh_sym(source), bytes,
			    sh_group_world(&g, root));
	if (!rc)
		rc = sh_group_sync(&g);
	if (rc)
		sh_report(fn, rc);
}

/* Blocks of every member, in member order; with varying sizes (collect)
 * each member's size is read from its scratch word first. */
static void aset_collect(void *dest, const void *source, size_t bytes,
			 bool fixed, int start, int logstride, int size,
			 long *psync, const char *fn)
{
	uint64_t *mine = &sh_scratch[SH_SCRATCH_NELEMS];
	struct sh_group g;
	size_t off = 0;
	int rc;

	if (!aset_group(start, logstride, size, psync, &g, fn))
		return;
	if (g.zt) {
		rc = fixed ? zc_allgather(g.zt, sh_sym(dest), sh_sym(source),
					  bytes) :
			     zc_allgatherv(g.zt, sh_sym(dest), sh_sym(source),
					   bytes);
		if (rc)
			sh_report(fn, rc);
		return;
	}
	__atomic_store_n(mine, (uint64_t)bytes, __ATOMIC_RELEASE);
	rc = sh_group_sync(&g);
	for (int j = 0; j < size && !rc; j++) {
		uint64_t len = bytes;
		int pe = sh_group_world(&g, j);

		if (!fixed)
			rc = zc_get(&len, mine, sizeof(len), pe);
		if (!rc)
			rc = zc_get((char *)dest + off, sh_sym(source), len, pe);
		off += len;
	}
	if (!rc)
		rc = sh_group_sync(&g);
	if (rc)
		sh_report(fn, rc);
}

static void aset_alltoall(void *dest, const void *source, size_t bytes,
			  int start, int logstride, int size, long *psync,
			  const char *fn)
{
	struct sh_group g;
	int rc;

	if (!aset_group(start, logstride, size, psync, &g, fn))
		return;
	if (g.zt)
		rc = zc_alltoall(g.zt, sh_sym(dest), sh_sym(source), bytes);
	else
		rc = sh_alltoalls_by_gets(&g, dest, sh_sym(source), 1, 1,
					  bytes, 1);
	if (rc)
		sh_report(fn, rc);
}

static void aset_alltoalls(void *dest, const void *source, ptrdiff_t dst,
			   ptrdiff_t sst, size_t nelems, size_t elem,
			   int start, int logstride, int size, long *psync,
			   const char *fn)
{
	struct sh_group g;
	int rc;

	if (!aset_group(start, logstride, size, psync, &g, fn))
		return;
	rc = sh_alltoalls_by_gets(&g, dest, sh_sym(source), dst, sst,
				  nelems, elem);
	if (rc)
		sh_report(fn, rc);
}

#define SH_ASET(B)                                                          \
	void shmem_broadcast##B(void *dest, const void *source,             \
				size_t nelems, int PE_root, int PE_start,   \
				int logPE_stride, int PE_size, long *pSync) \
	{                                                                   \
		SH_LOCKED(aset_bcast(dest, source, nelems * ((B) / 8),     \
				     PE_root, PE_start, logPE_stride,       \
				     PE_size, pSync, __func__));            \
	}                                                                   \
	void shmem_collect##B(void *dest, const void *source, size_t nelems, \
			      int PE_start, int logPE_stride, int PE_size,  \
			      long *pSync)                                  \
	{                                                                   \
		SH_LOCKED(aset_collect(dest, source, nelems * ((B) / 8),   \
				       false, PE_start, logPE_stride,       \
				       PE_size, pSync, __func__));          \
	}                                                                   \
	void shmem_fcollect##B(void *dest, const void *source,              \
			       size_t nelems, int PE_start,                 \
			       int logPE_stride, int PE_size, long *pSync)  \
	{                                                                   \
		SH_LOCKED(aset_collect(dest, source, nelems * ((B) / 8),   \
				       true, PE_start, logPE_stride,        \
				       PE_size, pSync, __func__));          \
	}                                                                   \
	void shmem_alltoall##B(void *dest, const void *source,              \
			       size_t nelems, int PE_start,                 \
			       int logPE_stride, int PE_size, long *pSync)  \
	{                                                                   \
		SH_LOCKED(aset_alltoall(dest, source, nelems * ((B) / 8),  \
					PE_start, logPE_stride, PE_size,    \
					pSync, __func__));                  \
	}                                                                   \
	void shmem_alltoalls##B(void *dest, const void *source,             \
				ptrdiff_t dst, ptrdiff_t sst,               \
				size_t nelems, int PE_start,                \
				int logPE_stride, int PE_size, long *pSync) \
	{                                                                   \
		SH_LOCKED(aset_alltoalls(dest, source, dst, sst, nelems,   \
					 (B) / 8, PE_start, logPE_stride,   \
					 PE_size, pSync, __func__));        \
	}
SH_ASET(32)
SH_ASET(64)

static void aset_reduce(void *dest, const void *source, int nreduce,
			size_t elem, enum zc_dtype dt, enum zc_op op,
			int start, int logstride, int size, long *psync,
			const char *fn)
{
	struct sh_fold_op f = { dt, op };
	struct sh_group g;
	int rc;

	if (nreduce < 0 || !aset_group(start, logstride, size, psync, &g, fn))
		return;
	if (g.zt)
		rc = zc_allreduce(g.zt, sh_sym(dest), sh_sym(source),
				  (size_t)nreduce, dt, op);
	else
		rc = sh_reduce_by_gets(&g, dest, sh_sym(source),
				       (size_t)nreduce, elem,
				       sh_fold_dtype, &f);
	if (rc)
		sh_report(fn, rc);
}

#define SH_TOALL(T, N, OP, ZOP)                                             \
	void shmem_##N##_##OP##_to_all(T *dest, const T *source, int nreduce, \
				       int PE_start, int logPE_stride,      \
				       int PE_size, T *pWrk, long *pSync)   \
	{                                                                   \
		(void)pWrk;                                                 \
		SH_LOCKED(aset_reduce(dest, source, nreduce, sizeof(T),    \
				      SH_DTYPE(T), ZOP, PE_start,           \
				      logPE_stride, PE_size, pSync,         \
				      __func__));                           \
	}
#define SH_TOALL_BIT(T, N)                                                  \
	SH_TOALL(T, N, and, ZC_OP_AND) SH_TOALL(T, N, or, ZC_OP_OR)         \
	SH_TOALL(T, N, xor, ZC_OP_XOR)
#define SH_TOALL_MINMAX(T, N)                                               \
	SH_TOALL(T, N, min, ZC_OP_MIN) SH_TOALL(T, N, max, ZC_OP_MAX)       \
	SH_TOALL(T, N, sum, ZC_OP_SUM) SH_TOALL(T, N, prod, ZC_OP_PROD)
ZC_SHMEM_TOALL_BIT_TYPES(SH_TOALL_BIT)
ZC_SHMEM_TOALL_MINMAX_TYPES(SH_TOALL_MINMAX)

/* Complex: sums as pairs of reals; products by gets. */
static void aset_cprod(void *dest, const void *source, int nreduce,
		       bool is_double, int start, int logstride, int size,
		       long *psync, const char *fn)
{
	struct sh_group g;
	int rc;

	if (nreduce < 0 || !aset_group(start, logstride, size, psync, &g, fn))
		return;
	rc = sh_reduce_by_gets(&g, dest, sh_sym(source), (size_t)nreduce,
			       is_double ? sizeof(double _Complex) :
					   sizeof(float _Complex),
			       sh_fold_cprod, &is_double);
	if (rc)
		sh_report(fn, rc);
}

#define SH_TOALL_CPLX(T, N, BASE, ISD)                                      \
	void shmem_##N##_sum_to_all(T *dest, const T *source, int nreduce,  \
				    int PE_start, int logPE_stride,         \
				    int PE_size, T *pWrk, long *pSync)      \
	{                                                                   \
		(void)pWrk;                                                 \
		SH_LOCKED(aset_reduce(dest, source, 2 * nreduce,           \
				      sizeof(BASE), SH_DTYPE(BASE),         \
				      ZC_OP_SUM, PE_start, logPE_stride,    \
				      PE_size, pSync, __func__));           \
	}                                                                   \
	void shmem_##N##_prod_to_all(T *dest, const T *source, int nreduce, \
				     int PE_start, int logPE_stride,        \
				     int PE_size, T *pWrk, long *pSync)     \
	{                                                                   \
		(void)pWrk;                                                 \
		SH_LOCKED(aset_cprod(dest, source, nreduce, ISD, PE_start, \
				     logPE_stride, PE_size, pSync,          \
				     __func__));                            \
	}
SH_TOALL_CPLX(double _Complex, complexd, double, true)
SH_TOALL_CPLX(float _Complex, complexf, float, false)
