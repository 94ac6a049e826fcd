/* SPDX-License-Identifier: MIT */
/*
 * zcomm.h: the native public API of zcomm (one-sided put/get/atomics,
 * symmetric memory, point-to-point synchronisation, teams and collectives).
 * Includes only standard headers; safe to include from C++.
 *
 * Conventions: every function that can fail returns 0 (or a count) on
 * success and a negative code on failure: a negated errno value or one of
 * the ZC_E* codes below; zc_strerror() names both. Output arguments come
 * last and end in _p. The library never calls abort() or exit().
 *
 * Threading: one thread at a time calls into a zcomm job (the caller
 * serialises); the library may run its own progress threads.
 */
#ifndef ZCOMM_H
#define ZCOMM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ZC_VERSION_MAJOR 0
#define ZC_VERSION_MINOR 1
#define ZC_VERSION_PATCH 0

/* zcomm's own error codes, returned negated (-ZC_EPEERDEAD); errno values
 * stay below 256. */
enum {
	ZC_EBASE = 256,
	ZC_EPEERDEAD = ZC_EBASE,	/* the target rank died or is unreachable */
	ZC_ERANGE_ACCESS,		/* remote access outside the target's heap */
	ZC_ENOHEAP,			/* symmetric heap exhausted */
	ZC_ENOTINIT,			/* called before zc_init or after zc_finalize */
	ZC_ECONFIG,			/* invalid environment variable value */
	ZC_ENOPROVIDER,			/* no transport can reach a peer */
	ZC_EPROTO,			/* malformed message from a peer */
	ZC_EAUTH,			/* peer failed job authentication */
	ZC_ENOTSYM,			/* address is not in the symmetric heap */
	ZC_ETEAM,			/* team misuse: not a member, sizes disagree */
	ZC_EBOOT,			/* the launcher (PMIx) failed */
	ZC_ELAST
};

const char *zc_strerror(int err);

/* ---- job setup and query ---- */

int zc_init(void);
int zc_finalize(void);
int zc_initialized(void);	/* 1 between zc_init and zc_finalize */

int zc_rank(void);
int zc_size(void);
int zc_local_rank(void);	/* my index among the ranks on my node */
int zc_local_size(void);
/* The world ranks on my node, ascending; *ranks_p is valid until finalize.
 * Returns the count. */
int zc_local_ranks(const int **ranks_p);

/* Abort the whole job through the launcher (never returns on success). */
int zc_global_exit(int status);

/* ---- symmetric memory (collective: every rank calls with the same
 * arguments in the same order; the result has the same offset in every
 * rank's heap). ZC_HEAP_SIZE sets the heap size. zc_malloc/zc_calloc
 * return 64-byte aligned blocks, page-aligned from 64 KiB up. ---- */

int zc_malloc(size_t size, void **ptr_p);
int zc_calloc(size_t count, size_t size, void **ptr_p);
int zc_align(size_t alignment, size_t size, void **ptr_p);
int zc_free(void *ptr);
/* Heap geometry: usable bytes and bytes currently free. */
int zc_heap_info(size_t *size_p, size_t *free_p);
/* 1 when addr lies in my symmetric heap. */
int zc_addr_symmetric(const void *addr);

/* A load/store pointer to rank's copy of the symmetric object at dest, or
 * NULL when that rank's memory is not mapped here. */
void *zc_ptr(const void *dest, int rank);

/* ---- RMA. dest (put) / src (get) is a symmetric address in my heap
 * naming the same object on rank; the local side is any memory. Blocking
 * put returns when src may be reused; blocking get when dest holds the
 * data. _nbi returns at once: complete after zc_quiet. ---- */

int zc_put(void *dest, const void *src, size_t len, int rank);
int zc_get(void *dest, const void *src, size_t len, int rank);
int zc_put_nbi(void *dest, const void *src, size_t len, int rank);
int zc_get_nbi(void *dest, const void *src, size_t len, int rank);

/* Strided: nelems elements of elem_size bytes, dst/src strides in
 * elements (OpenSHMEM iput/iget). */
int zc_iput(void *dest, const void *src, ptrdiff_t dst_stride,
	    ptrdiff_t src_stride, size_t elem_size, size_t nelems, int rank);
int zc_iget(void *dest, const void *src, ptrdiff_t dst_stride,
	    ptrdiff_t src_stride, size_t elem_size, size_t nelems, int rank);

/* All my outstanding puts, gets and atomics, to every rank, are complete
 * and visible at their targets. Returns the first error any of them met
 * (for example -ZC_EPEERDEAD). */
int zc_quiet(void);
/* My puts and atomics to each rank before the fence are visible there
 * before the ones after it. */
int zc_fence(void);

/* ---- atomics (width 4 or 8 bytes, naturally aligned). Atomic with
 * respect to each other whatever transport carries them. ---- */

enum zc_amo_op {
	ZC_AMO_FETCH,	/* old = *t */
	ZC_AMO_SET,	/* *t = v */
	ZC_AMO_SWAP,	/* old = *t; *t = v */
	ZC_AMO_CSWAP,	/* old = *t; if (old == cmp) *t = v */
	ZC_AMO_ADD,	/* old = *t; *t += v */
	ZC_AMO_AND,
	ZC_AMO_OR,
	ZC_AMO_XOR,
	ZC_AMO_LAST
};

/* The one atomic entry point. old_p NULL means the non-fetching form
 * (which may complete later, like a put). */
int zc_atomic(enum zc_amo_op op, void *target, size_t width, uint64_t value,
	      uint64_t cmp, int rank, uint64_t *old_p);
/* Non-blocking fetch: *old_p is written by zc_quiet. */
int zc_atomic_nbi(enum zc_amo_op op, void *target, size_t width,
		  uint64_t value, uint64_t cmp, int rank, uint64_t *old_p);

/* Put with signal (OpenSHMEM's put_signal): put len bytes, then the
 * atomic op (ZC_AMO_SET or ZC_AMO_ADD) of value on the symmetric 8-byte
 * sig at the same rank, which nobody there sees before the data. A
 * network provider sends both in one message. The blocking form returns
 * when src may be reused; _nbi at once (complete after zc_quiet). */
int zc_put_signal(void *dest, const void *src, size_t len, uint64_t *sig,
		  uint64_t value, enum zc_amo_op op, int rank);
int zc_put_signal_nbi(void *dest, const void *src, size_t len, uint64_t *sig,
		      uint64_t value, enum zc_amo_op op, int rank);

static inline int zc_atomic_fetch_add64(uint64_t *t, uint64_t v, int rank,
					uint64_t *old_p)
{ return zc_atomic(ZC_AMO_ADD, t, 8, v, 0, rank, old_p); }
static inline int zc_atomic_add64(uint64_t *t, uint64_t v, int rank)
{ return zc_atomic(ZC_AMO_ADD, t, 8, v, 0, rank, NULL); }
static inline int zc_atomic_cswap64(uint64_t *t, uint64_t cmp, uint64_t v,
				    int rank, uint64_t *old_p)
{ return zc_atomic(ZC_AMO_CSWAP, t, 8, v, cmp, rank, old_p); }
static inline int zc_atomic_fetch_add32(uint32_t *t, uint32_t v, int rank,
					uint32_t *old_p)
{
	uint64_t o = 0;
	int rc = zc_atomic(ZC_AMO_ADD, t, 4, v, 0, rank, &o);

	*old_p = (uint32_t)o;
	return rc;
}

/* ---- point-to-point synchronisation on a local symmetric variable ---- */

enum zc_dtype {
	ZC_INT8, ZC_INT16, ZC_INT32, ZC_INT64,
	ZC_UINT8, ZC_UINT16, ZC_UINT32, ZC_UINT64,
	ZC_FLOAT, ZC_DOUBLE, ZC_LONG_DOUBLE,
	ZC_DTYPE_LAST
};

size_t zc_dtype_size(enum zc_dtype type);

enum zc_cmp { ZC_CMP_EQ, ZC_CMP_NE, ZC_CMP_GT, ZC_CMP_GE, ZC_CMP_LT,
	      ZC_CMP_LE, ZC_CMP_LAST };

/* Wait until (*ivar cmp value) holds; ivar is an integer of type (signed
 * or unsigned, 1..8 bytes), value holds it sign- or zero-extended.
 * Spins briefly, then yields, so it is safe oversubscribed. */
int zc_wait_until(void *ivar, enum zc_dtype type, enum zc_cmp cmp,
		  int64_t value);
/* 1 if the condition holds now, 0 if not, negative on error. */
int zc_test(void *ivar, enum zc_dtype type, enum zc_cmp cmp, int64_t value);
/* zc_test that also stores, when it returns 1 and seen is not NULL, the
 * value that met the condition (sign- or zero-extended): loading *ivar
 * again afterwards may give a later value that does not. */
int zc_test_fetch(void *ivar, enum zc_dtype type, enum zc_cmp cmp,
		  int64_t value, uint64_t *seen);

/* ---- teams ---- */

struct zc_team;

struct zc_team *zc_team_world(void);
struct zc_team *zc_team_node(void);	/* the ranks sharing my node */
int zc_team_rank(const struct zc_team *team);	/* -1 if not a member */
int zc_team_size(const struct zc_team *team);
/* Rank of src_rank (in src team) within dst team, or -1. */
int zc_team_translate(const struct zc_team *src, int src_rank,
		      const struct zc_team *dst);
/* Collective over parent. Members are parent ranks start, start+stride,
 * ... (size of them). Non-members get *team_p = NULL and return 0. */
int zc_team_split_strided(struct zc_team *parent, int start, int stride,
			  int size, struct zc_team **team_p);
/* Parent as a grid of xrange columns: x-team is my row, y-team my column. */
int zc_team_split_2d(struct zc_team *parent, int xrange,
		     struct zc_team **xteam_p, struct zc_team **yteam_p);
int zc_team_destroy(struct zc_team *team);

/* ---- collectives over a team. Buffers are symmetric (same object on
 * every member); sizes and roots must agree across members. Every
 * collective begins and ends with the member ranks synchronised enough
 * that buffers may be reused at once. ---- */

enum zc_op { ZC_OP_SUM, ZC_OP_PROD, ZC_OP_MIN, ZC_OP_MAX, ZC_OP_AND,
	     ZC_OP_OR, ZC_OP_XOR, ZC_OP_LAST };

int zc_barrier(struct zc_team *team);	/* includes zc_quiet */
int zc_barrier_all(void);
int zc_team_sync(struct zc_team *team);	/* barrier without the quiet */
int zc_broadcast(struct zc_team *team, void *dest, const void *src,
		 size_t nbytes, int root);
int zc_reduce(struct zc_team *team, void *dest, const void *src,
	      size_t count, enum zc_dtype type, enum zc_op op, int root);
int zc_allreduce(struct zc_team *team, void *dest, const void *src,
		 size_t count, enum zc_dtype type, enum zc_op op);
/* dest holds size * nbytes: member i's block at i * nbytes. */
int zc_allgather(struct zc_team *team, void *dest, const void *src,
		 size_t nbytes);
/* Per-member sizes: blocks concatenated in member order. */
int zc_allgatherv(struct zc_team *team, void *dest, const void *src,
		  size_t nbytes);
/* src block j goes to member j; dest block i came from member i. */
int zc_alltoall(struct zc_team *team, void *dest, const void *src,
		size_t nbytes);
/* src holds size * count elements; member i gets the reduction of every
 * member's block i in dest (count elements). */
int zc_reduce_scatter(struct zc_team *team, void *dest, const void *src,
		      size_t count, enum zc_dtype type, enum zc_op op);

#ifdef __cplusplus
}
#endif

#endif /* ZCOMM_H */
