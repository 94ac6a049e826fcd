/* SPDX-License-Identifier: MIT */
/*
 * sh.h: the OpenSHMEM layer's private state and helpers: context and team
 * objects, PE translation, error reporting, the mapping of C types to
 * zcomm widths and dtypes. Includes shmem.h, zcomm.h and zc_log.h only
 * (the public native API, plus logging); every file of shmem/ uses it.
 * Beyond it only gets.c (the collectives' zc_coll_combine) reaches below
 * the public API, to share code.
 */
#ifndef ZC_SH_H
#define ZC_SH_H

/* The library defines the typed functions; the generic macros would
 * rewrite the names of some (shmem_swap, shmem_wait_until). */
#define ZC_SHMEM_NO_GENERIC
/* Every shmem_X is defined (and declared) as pshmem_X; shmem.c makes
 * shmem_X its weak alias (the profiling interface, doc/shmem.md). */
#include "sh_pshmem_names.h"
#include <shmem.h>
#include <zcomm.h>

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "zc_log.h"

struct zc_shmem_ctx {
	struct zc_shmem_team *team;
	long options;
	struct zc_shmem_ctx *next;	/* in team->ctxs */
};

struct zc_shmem_team {
	struct zc_team *zt;	/* NULL for the world before collectives */
	shmem_team_config_t config;
	long config_mask;
	struct zc_shmem_ctx *ctxs;	/* contexts created on this team */
	struct zc_shmem_team *next;	/* in the list of split teams */
};

/* ZC_SHMEM_* type tables assume these (LP64 Linux). */
_Static_assert(sizeof(int) == 4 && sizeof(long) == 8 &&
	       sizeof(long long) == 8, "shmem layer assumes LP64");

/* SHMEM_THREAD_MULTIPLE: zcomm takes one thread at a time, so once
 * MULTIPLE is provided every call into zcomm runs under this recursive
 * lock (a whole collective included), and the layer's waits drop it
 * between polls so that other threads go on. Below MULTIPLE it is never
 * taken. (init.c) */
extern bool sh_mt;
extern pthread_mutex_t sh_mutex;
static inline void sh_lock(void)
{
	if (__builtin_expect(sh_mt, 0))
		pthread_mutex_lock(&sh_mutex);
}
static inline void sh_unlock(void)
{
	if (__builtin_expect(sh_mt, 0))
		pthread_mutex_unlock(&sh_mutex);
}

/* Report a failed zcomm call once, naming the shmem routine. Core has
 * already logged the cause; a call before init gets its own line because
 * core names its own function there. */
void sh_report(const char *fn, int rc);
#define SH_CHECK(expr)                                                      \
	do {                                                                \
		int sh_rc_;                                                 \
		sh_lock();                                                  \
		sh_rc_ = (expr);                                            \
		sh_unlock();                                                \
		if (__builtin_expect(sh_rc_ < 0, 0))                        \
			sh_report(__func__, sh_rc_);                        \
	} while (0)

/* A void call under the lock (its errors are reported inside). */
#define SH_LOCKED(...)                                                      \
	do {                                                                \
		sh_lock();                                                  \
		__VA_ARGS__;                                                \
		sh_unlock();                                                \
	} while (0)

/* zc_wait_until that lets other threads in while it polls. */
int sh_wait_until(void *ivar, enum zc_dtype dt, enum zc_cmp cmp,
		  int64_t value);

/* World rank of a context's PE number (team-relative for team contexts). */
int sh_team_to_world(const struct zc_shmem_team *team, int pe);
static inline int sh_pe(shmem_ctx_t ctx, int pe)
{
	if (__builtin_expect(ctx == SHMEM_CTX_DEFAULT ||
			     (ctx && ctx->team == SHMEM_TEAM_WORLD), 1))
		return pe;
	if (!ctx) {
		zc_err("operation on SHMEM_CTX_INVALID");
		return -1;
	}
	return sh_team_to_world(ctx->team, pe);
}

/* Team helpers that work for the world before collectives exist. */
int sh_team_rank(const struct zc_shmem_team *team);
int sh_team_size(const struct zc_shmem_team *team);
bool sh_team_valid(const struct zc_shmem_team *team, const char *fn);

/* SHMEM_CMP_* -> enum zc_cmp; -1 (logged) when invalid. */
int sh_cmp(int cmp, const char *fn);

/* zcomm dtype of an integer of size bytes. */
static inline enum zc_dtype sh_int_dtype(size_t size, bool is_signed)
{
	switch (size) {
	case 1: return is_signed ? ZC_INT8 : ZC_UINT8;
	case 2: return is_signed ? ZC_INT16 : ZC_UINT16;
	case 4: return is_signed ? ZC_INT32 : ZC_UINT32;
	default: return is_signed ? ZC_INT64 : ZC_UINT64;
	}
}

/* The zcomm dtype of any arithmetic C type T of the tables. */
#define SH_DTYPE(T)                                                         \
	_Generic((T)0,                                                      \
		float: ZC_FLOAT, double: ZC_DOUBLE,                         \
		long double: ZC_LONG_DOUBLE,                                \
		char: sh_int_dtype(1, (char)-1 < 0),                        \
		signed char: ZC_INT8, unsigned char: ZC_UINT8,              \
		short: sh_int_dtype(sizeof(short), true),                   \
		unsigned short: sh_int_dtype(sizeof(short), false),         \
		int: sh_int_dtype(sizeof(int), true),                       \
		unsigned int: sh_int_dtype(sizeof(int), false),             \
		long: sh_int_dtype(sizeof(long), true),                     \
		unsigned long: sh_int_dtype(sizeof(long), false),           \
		long long: sh_int_dtype(sizeof(long long), true),           \
		unsigned long long: sh_int_dtype(sizeof(long long), false))

/* Active sets of the deprecated collectives (aset.c). */
struct sh_aset {
	int start, stride, size;
	int me;		/* my index in the set */
	uint64_t *sync;	/* the words its syncs use (pSync, or a slot) */
};
/* Checks the set and that I am in it (logged otherwise): 0 or -1. */
int sh_aset(int start, int logstride, int size, long *psync,
	    struct sh_aset *a, const char *fn);
/* The whole world, in order: the team-based path serves it. */
static inline bool sh_aset_is_world(const struct sh_aset *a)
{
	return a->start == 0 && (a->stride == 1 || a->size == 1) &&
	       a->size == zc_size();
}
int sh_aset_sync(const struct sh_aset *a);

/* A group of PEs a collective runs over: a team or an active set. */
struct sh_group {
	struct zc_team *zt;	/* NULL: the active set */
	struct sh_aset aset;
};
int sh_group_size(const struct sh_group *g);
int sh_group_me(const struct sh_group *g);
int sh_group_world(const struct sh_group *g, int i);
int sh_group_sync(const struct sh_group *g);

/* Fold n elements of src into acc (reduce.c). */
typedef void sh_fold_fn(void *acc, const void *src, size_t n,
			const void *arg);
struct sh_fold_op {
	enum zc_dtype dt;
	enum zc_op op;
};
sh_fold_fn sh_fold_dtype;	/* arg: struct sh_fold_op */
sh_fold_fn sh_fold_cprod;	/* arg: (bool *) true for double */

/* Collectives by gets, for what zcomm's collectives do not cover
 * (complex products, strided all-to-all, active sets that are not
 * teams): sync so every source is ready, read, sync so no source is
 * still being read, then write dest. Return 0 or a negative code. */
int sh_reduce_by_gets(const struct sh_group *g, void *dest,
		      const void *source, size_t n, size_t elem,
		      sh_fold_fn *fold, const void *farg);
int sh_alltoalls_by_gets(const struct sh_group *g, void *dest,
			 const void *source, ptrdiff_t dst, ptrdiff_t sst,
			 size_t nelems, size_t elem);

/* The symmetric scratch words the layer keeps for itself (init.c):
 * active-set sync slots of one cache line per dissemination round, then
 * a line for the sizes collect exchanges, then a line for init's own
 * agreements (shared team, data segment). */
extern uint64_t *sh_scratch;
#define SH_SCRATCH_SLOTS 16
#define SH_SCRATCH_ROUNDS 20	/* up to 2^20 PEs in an active set */
#define SH_SLOT_WORDS (SH_SCRATCH_ROUNDS * 8)
#define SH_SCRATCH_NELEMS (SH_SCRATCH_SLOTS * SH_SLOT_WORDS)
#define SH_SCRATCH_MAPPED (SH_SCRATCH_NELEMS + 8)
#define SH_SCRATCH_WORDS (SH_SCRATCH_NELEMS + 16)

/* Globals and statics made symmetric (symdata.c): the executable's data
 * segment [sh_data_lo, sh_data_hi) is also heap memory, sh_data_delta
 * bytes away. sh_sym gives the heap address zcomm calls need. */
extern uintptr_t sh_data_lo, sh_data_hi;
extern ptrdiff_t sh_data_delta;
int sh_symdata_init(void);
size_t sh_symdata_size(void);	/* bytes of heap it will take */
static inline void *sh_sym(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (__builtin_expect(a >= sh_data_lo && a < sh_data_hi, 0))
		return (char *)p + sh_data_delta;
	return (void *)p;
}

/* The SHMEM_* environment variables (env.c): read them and set the core
 * tunables they map to, before zc_init (0 or -ZC_ECONFIG, logged); then
 * report and print what they ask for, once the layer is up. */
int sh_env_before_init(void);
void sh_env_after_init(void);

/* shmem_finalize destroys every team and context still there: the
 * layer's objects go here (team.c), core's teams in zc_finalize. */
void sh_teams_forget_all(void);

/* Heap bookkeeping for realloc (heap.c). */
void sh_heap_forget_all(void);

#endif /* ZC_SH_H */
