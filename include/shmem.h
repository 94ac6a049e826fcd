/* SPDX-License-Identifier: MIT */
/*
 * shmem.h: the OpenSHMEM 1.5 C API of zcomm, implemented in shmem/ over
 * zcomm.h. Includes only standard headers; safe to include from C++, where the
 * C11 type-generic names are overloads.
 *
 * The typed routines come from the type tables below: each
 * ZC_SHMEM_*_TYPES(X) list calls X(TYPE, TYPENAME) once per type of the
 * matching table of the specification, and the declarations (and, in
 * shmem/, the definitions) are generated from them. So
 * shmem_TYPENAME_put exists for every TYPENAME of ZC_SHMEM_RMA_TYPES,
 * shmem_TYPENAME_atomic_fetch_add for every one of ZC_SHMEM_AMO_TYPES,
 * and so on; doc/shmem-symbols.txt lists every exported name for grep.
 *
 * Semantics specific to zcomm:
 * - Symmetric objects are those from shmem_malloc and friends and the
 *   program's global and static variables (its data segment is mapped
 *   into the symmetric heap at shmem_init; doc/shmem.md).
 * - Contexts: every context shares the default context's transport state;
 *   shmem_ctx_quiet/fence complete or order the operations of all
 *   contexts of the PE (allowed: they do at least what is asked).
 * - Threads: every level up to SHMEM_THREAD_MULTIPLE is provided (under
 *   MULTIPLE the calls of different threads are serialised by one lock;
 *   doc/shmem.md).
 * - Errors the specification leaves undefined (a call before shmem_init,
 *   a pointer outside the symmetric heap, a PE out of range) are logged on
 *   stderr naming the call and the operation is skipped; nothing ends
 *   the program but shmem_global_exit and a failed shmem_init (which
 *   cannot return its error; shmem_init_thread does).
 */
#ifndef ZC_SHMEM_H
#define ZC_SHMEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- constants ---- */

#define SHMEM_MAJOR_VERSION 1
#define SHMEM_MINOR_VERSION 5
#define SHMEM_MAX_NAME_LEN 256
#define SHMEM_VENDOR_STRING "zcomm"
#define _SHMEM_MAJOR_VERSION SHMEM_MAJOR_VERSION
#define _SHMEM_MINOR_VERSION SHMEM_MINOR_VERSION
#define _SHMEM_MAX_NAME_LEN SHMEM_MAX_NAME_LEN
#define _SHMEM_VENDOR_STRING SHMEM_VENDOR_STRING

#define SHMEM_THREAD_SINGLE 0
#define SHMEM_THREAD_FUNNELED 1
#define SHMEM_THREAD_SERIALIZED 2
#define SHMEM_THREAD_MULTIPLE 3

#define SHMEM_CMP_EQ 1
#define SHMEM_CMP_NE 2
#define SHMEM_CMP_GT 3
#define SHMEM_CMP_GE 4
#define SHMEM_CMP_LT 5
#define SHMEM_CMP_LE 6
#define _SHMEM_CMP_EQ SHMEM_CMP_EQ
#define _SHMEM_CMP_NE SHMEM_CMP_NE
#define _SHMEM_CMP_GT SHMEM_CMP_GT
#define _SHMEM_CMP_GE SHMEM_CMP_GE
#define _SHMEM_CMP_LT SHMEM_CMP_LT
#define _SHMEM_CMP_LE SHMEM_CMP_LE

#define SHMEM_SIGNAL_SET 0
#define SHMEM_SIGNAL_ADD 1

/* pSync of the deprecated active-set collectives: one long per
 * dissemination round (so up to 2^32 PEs), each back at SHMEM_SYNC_VALUE
 * when no sync is under way. pWrk is not used. */
#define SHMEM_SYNC_VALUE 0L
#define SHMEM_SYNC_SIZE 32
#define SHMEM_BCAST_SYNC_SIZE 32
#define SHMEM_REDUCE_SYNC_SIZE 32
#define SHMEM_BARRIER_SYNC_SIZE 32
#define SHMEM_COLLECT_SYNC_SIZE 32
#define SHMEM_ALLTOALL_SYNC_SIZE 32
#define SHMEM_ALLTOALLS_SYNC_SIZE 32
#define SHMEM_REDUCE_MIN_WRKDATA_SIZE 1
#define _SHMEM_SYNC_VALUE SHMEM_SYNC_VALUE
#define _SHMEM_BCAST_SYNC_SIZE SHMEM_BCAST_SYNC_SIZE
#define _SHMEM_REDUCE_SYNC_SIZE SHMEM_REDUCE_SYNC_SIZE
#define _SHMEM_BARRIER_SYNC_SIZE SHMEM_BARRIER_SYNC_SIZE
#define _SHMEM_COLLECT_SYNC_SIZE SHMEM_COLLECT_SYNC_SIZE
#define _SHMEM_REDUCE_MIN_WRKDATA_SIZE SHMEM_REDUCE_MIN_WRKDATA_SIZE

#define SHMEM_MALLOC_ATOMICS_REMOTE (1L << 0)
#define SHMEM_MALLOC_SIGNAL_REMOTE (1L << 1)

#define SHMEM_CTX_PRIVATE (1L << 0)
#define SHMEM_CTX_SERIALIZED (1L << 1)
#define SHMEM_CTX_NOSTORE (1L << 2)

#define SHMEM_TEAM_NUM_CONTEXTS (1L << 0)

/* ---- handles: pointers to library objects; the predefined ones are
 * address constants, usable in static initialisers. ---- */

struct zc_shmem_ctx;
struct zc_shmem_team;
typedef struct zc_shmem_ctx *shmem_ctx_t;
typedef struct zc_shmem_team *shmem_team_t;
typedef struct {
	int num_contexts;
} shmem_team_config_t;

extern struct zc_shmem_ctx zc_shmem_ctx_default;
extern struct zc_shmem_team zc_shmem_team_world;
extern struct zc_shmem_team zc_shmem_team_shared;

#define SHMEM_CTX_DEFAULT (&zc_shmem_ctx_default)
#define SHMEM_CTX_INVALID ((shmem_ctx_t)0)
#define SHMEM_TEAM_WORLD (&zc_shmem_team_world)
#define SHMEM_TEAM_SHARED (&zc_shmem_team_shared)
#define SHMEM_TEAM_INVALID ((shmem_team_t)0)

/* ---- type tables (OpenSHMEM 1.5 section 9 tables): X(TYPE, TYPENAME) ---- */

/* Standard RMA types: put, get, p, g, iput, iget, nbi, put_signal,
 * broadcast, collect, fcollect, alltoall, alltoalls. */
#define ZC_SHMEM_RMA_TYPES(X)                                               \
	X(float, float) X(double, double) X(long double, longdouble)        \
	X(char, char) X(signed char, schar) X(short, short) X(int, int)     \
	X(long, long) X(long long, longlong) X(unsigned char, uchar)        \
	X(unsigned short, ushort) X(unsigned int, uint)                     \
	X(unsigned long, ulong) X(unsigned long long, ulonglong)            \
	X(int8_t, int8) X(int16_t, int16) X(int32_t, int32)                 \
	X(int64_t, int64) X(uint8_t, uint8) X(uint16_t, uint16)             \
	X(uint32_t, uint32) X(uint64_t, uint64) X(size_t, size)             \
	X(ptrdiff_t, ptrdiff)

/* Standard AMO types: compare_swap, fetch_inc, inc, fetch_add, add. */
#define ZC_SHMEM_AMO_TYPES(X)                                               \
	X(int, int) X(long, long) X(long long, longlong)                    \
	X(unsigned int, uint) X(unsigned long, ulong)                       \
	X(unsigned long long, ulonglong) X(int32_t, int32)                  \
	X(int64_t, int64) X(uint32_t, uint32) X(uint64_t, uint64)           \
	X(size_t, size) X(ptrdiff_t, ptrdiff)

/* Extended AMO types: fetch, set, swap. */
#define ZC_SHMEM_EXT_AMO_TYPES(X)                                           \
	X(float, float) X(double, double) ZC_SHMEM_AMO_TYPES(X)

/* Bitwise AMO types: and, or, xor (fetching or not). */
#define ZC_SHMEM_BIT_AMO_TYPES(X)                                           \
	X(unsigned int, uint) X(unsigned long, ulong)                       \
	X(unsigned long long, ulonglong) X(int32_t, int32)                  \
	X(int64_t, int64) X(uint32_t, uint32) X(uint64_t, uint64)

/* Point-to-point synchronisation types: wait_until, test and families. */
#define ZC_SHMEM_SYNC_TYPES(X)                                              \
	X(short, short) X(int, int) X(long, long) X(long long, longlong)    \
	X(unsigned short, ushort) X(unsigned int, uint)                     \
	X(unsigned long, ulong) X(unsigned long long, ulonglong)            \
	X(int32_t, int32) X(int64_t, int64) X(uint32_t, uint32)             \
	X(uint64_t, uint64) X(size_t, size) X(ptrdiff_t, ptrdiff)

/* Reduction types: and/or/xor; min/max; sum/prod (plus complex). */
#define ZC_SHMEM_BITRED_TYPES(X)                                            \
	X(unsigned char, uchar) X(unsigned short, ushort)                   \
	X(unsigned int, uint) X(unsigned long, ulong)                       \
	X(unsigned long long, ulonglong) X(int8_t, int8) X(int16_t, int16)  \
	X(int32_t, int32) X(int64_t, int64) X(uint8_t, uint8)               \
	X(uint16_t, uint16) X(uint32_t, uint32) X(uint64_t, uint64)         \
	X(size_t, size)
#define ZC_SHMEM_MINMAX_TYPES(X)                                            \
	X(char, char) X(signed char, schar) X(short, short) X(int, int)     \
	X(long, long) X(long long, longlong) X(ptrdiff_t, ptrdiff)          \
	X(unsigned char, uchar) X(unsigned short, ushort)                   \
	X(unsigned int, uint) X(unsigned long, ulong)                       \
	X(unsigned long long, ulonglong) X(int8_t, int8) X(int16_t, int16)  \
	X(int32_t, int32) X(int64_t, int64) X(uint8_t, uint8)               \
	X(uint16_t, uint16) X(uint32_t, uint32) X(uint64_t, uint64)         \
	X(size_t, size) X(float, float) X(double, double)                   \
	X(long double, longdouble)
#define ZC_SHMEM_ARITH_TYPES(X) ZC_SHMEM_MINMAX_TYPES(X)
#define ZC_SHMEM_COMPLEX_TYPES(X)                                           \
	X(double _Complex, complexd) X(float _Complex, complexf)

/* Deprecated active-set reductions (shmem_TYPENAME_OP_to_all). */
#define ZC_SHMEM_TOALL_BIT_TYPES(X)                                         \
	X(short, short) X(int, int) X(long, long) X(long long, longlong)
#define ZC_SHMEM_TOALL_MINMAX_TYPES(X)                                      \
	ZC_SHMEM_TOALL_BIT_TYPES(X) X(float, float) X(double, double)       \
	X(long double, longdouble)

/* Sized RMA: shmem_put8 .. shmem_put128 and friends. X(BITS) */
#define ZC_SHMEM_SIZES(X) X(8) X(16) X(32) X(64) X(128)

/* ---- library setup, exit and query ---- */

void shmem_init(void);
int shmem_init_thread(int requested, int *provided);
void shmem_query_thread(int *provided);
void shmem_finalize(void);
#if defined(__cplusplus) && __cplusplus >= 201103L
[[noreturn]] void shmem_global_exit(int status);
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Noreturn void shmem_global_exit(int status);
#else
void shmem_global_exit(int status);
#endif
int shmem_my_pe(void);
int shmem_n_pes(void);
int shmem_pe_accessible(int pe);
int shmem_addr_accessible(const void *addr, int pe);
void *shmem_ptr(const void *dest, int pe);
void *shmem_team_ptr(shmem_team_t team, const void *dest, int pe);
void shmem_info_get_version(int *major, int *minor);
void shmem_info_get_name(char *name);
/* Profiling control (1.5): a no-op here, for tools that replace it. */
void shmem_pcontrol(const int level, ...);

/* deprecated */
void start_pes(int npes);
int _my_pe(void);
int _num_pes(void);
int shmem_initialized(void);	/* zcomm extension: 1 after init */
/* deprecated cache management: no-ops (memory is coherent) */
void shmem_clear_cache_inv(void);
void shmem_set_cache_inv(void);
void shmem_clear_cache_line_inv(void *dest);
void shmem_set_cache_line_inv(void *dest);
void shmem_udcflush(void);
void shmem_udcflush_line(void *dest);

/* ---- memory management (collective over the world team) ---- */

void *shmem_malloc(size_t size);
void *shmem_malloc_with_hints(size_t size, long hints);
void *shmem_calloc(size_t count, size_t size);
void *shmem_align(size_t alignment, size_t size);
void *shmem_realloc(void *ptr, size_t size);
void shmem_free(void *ptr);
/* deprecated */
void *shmalloc(size_t size);
void *shmemalign(size_t alignment, size_t size);
void *shrealloc(void *ptr, size_t size);
void shfree(void *ptr);

/* ---- teams ---- */

int shmem_team_my_pe(shmem_team_t team);
int shmem_team_n_pes(shmem_team_t team);
int shmem_team_get_config(shmem_team_t team, long config_mask,
			  shmem_team_config_t *config);
int shmem_team_translate_pe(shmem_team_t src_team, int src_pe,
			    shmem_team_t dest_team);
int shmem_team_split_strided(shmem_team_t parent_team, int start,
			     int stride, int size,
			     const shmem_team_config_t *config,
			     long config_mask, shmem_team_t *new_team);
int shmem_team_split_2d(shmem_team_t parent_team, int xrange,
			const shmem_team_config_t *xaxis_config,
			long xaxis_mask, shmem_team_t *xaxis_team,
			const shmem_team_config_t *yaxis_config,
			long yaxis_mask, shmem_team_t *yaxis_team);
void shmem_team_destroy(shmem_team_t team);

/* ---- contexts ---- */

int shmem_ctx_create(long options, shmem_ctx_t *ctx);
int shmem_team_create_ctx(shmem_team_t team, long options, shmem_ctx_t *ctx);
void shmem_ctx_destroy(shmem_ctx_t ctx);
int shmem_ctx_get_team(shmem_ctx_t ctx, shmem_team_t *team);

/* ---- RMA ---- */

#define ZC_SHMEM_DECL_RMA(T, N)                                             \
	void shmem_##N##_put(T *dest, const T *source, size_t nelems, int pe); \
	void shmem_ctx_##N##_put(shmem_ctx_t ctx, T *dest, const T *source, \
				 size_t nelems, int pe);                    \
	void shmem_##N##_get(T *dest, const T *source, size_t nelems, int pe); \
	void shmem_ctx_##N##_get(shmem_ctx_t ctx, T *dest, const T *source, \
				 size_t nelems, int pe);                    \
	void shmem_##N##_put_nbi(T *dest, const T *source, size_t nelems,   \
				 int pe);                                   \
	void shmem_ctx_##N##_put_nbi(shmem_ctx_t ctx, T *dest,              \
				     const T *source, size_t nelems, int pe); \
	void shmem_##N##_get_nbi(T *dest, const T *source, size_t nelems,   \
				 int pe);                                   \
	void shmem_ctx_##N##_get_nbi(shmem_ctx_t ctx, T *dest,              \
				     const T *source, size_t nelems, int pe); \
	void shmem_##N##_p(T *dest, T value, int pe);                       \
	void shmem_ctx_##N##_p(shmem_ctx_t ctx, T *dest, T value, int pe);  \
	T shmem_##N##_g(const T *source, int pe);                           \
	T shmem_ctx_##N##_g(shmem_ctx_t ctx, const T *source, int pe);      \
	void shmem_##N##_iput(T *dest, const T *source, ptrdiff_t dst,      \
			      ptrdiff_t sst, size_t nelems, int pe);        \
	void shmem_ctx_##N##_iput(shmem_ctx_t ctx, T *dest, const T *source, \
				  ptrdiff_t dst, ptrdiff_t sst, size_t nelems, \
				  int pe);                                  \
	void shmem_##N##_iget(T *dest, const T *source, ptrdiff_t dst,      \
			      ptrdiff_t sst, size_t nelems, int pe);        \
	void shmem_ctx_##N##_iget(shmem_ctx_t ctx, T *dest, const T *source, \
				  ptrdiff_t dst, ptrdiff_t sst, size_t nelems, \
				  int pe);                                  \
	void shmem_##N##_put_signal(T *dest, const T *source, size_t nelems, \
				    uint64_t *sig_addr, uint64_t signal,    \
				    int sig_op, int pe);                    \
	void shmem_ctx_##N##_put_signal(shmem_ctx_t ctx, T *dest,           \
					const T *source, size_t nelems,     \
					uint64_t *sig_addr, uint64_t signal, \
					int sig_op, int pe);                \
	void shmem_##N##_put_signal_nbi(T *dest, const T *source,           \
					size_t nelems, uint64_t *sig_addr,  \
					uint64_t signal, int sig_op, int pe); \
	void shmem_ctx_##N##_put_signal_nbi(shmem_ctx_t ctx, T *dest,       \
					    const T *source, size_t nelems, \
					    uint64_t *sig_addr,             \
					    uint64_t signal, int sig_op,    \
					    int pe);
ZC_SHMEM_RMA_TYPES(ZC_SHMEM_DECL_RMA)

#define ZC_SHMEM_DECL_SIZED(B)                                              \
	void shmem_put##B(void *dest, const void *source, size_t nelems,    \
			  int pe);                                          \
	void shmem_ctx_put##B(shmem_ctx_t ctx, void *dest, const void *source, \
			      size_t nelems, int pe);                       \
	void shmem_get##B(void *dest, const void *source, size_t nelems,    \
			  int pe);                                          \
	void shmem_ctx_get##B(shmem_ctx_t ctx, void *dest, const void *source, \
			      size_t nelems, int pe);                       \
	void shmem_put##B##_nbi(void *dest, const void *source,             \
				size_t nelems, int pe);                     \
	void shmem_ctx_put##B##_nbi(shmem_ctx_t ctx, void *dest,            \
				    const void *source, size_t nelems, int pe); \
	void shmem_get##B##_nbi(void *dest, const void *source,             \
				size_t nelems, int pe);                     \
	void shmem_ctx_get##B##_nbi(shmem_ctx_t ctx, void *dest,            \
				    const void *source, size_t nelems, int pe); \
	void shmem_iput##B(void *dest, const void *source, ptrdiff_t dst,   \
			   ptrdiff_t sst, size_t nelems, int pe);           \
	void shmem_ctx_iput##B(shmem_ctx_t ctx, void *dest,                 \
			       const void *source, ptrdiff_t dst,           \
			       ptrdiff_t sst, size_t nelems, int pe);       \
	void shmem_iget##B(void *dest, const void *source, ptrdiff_t dst,   \
			   ptrdiff_t sst, size_t nelems, int pe);           \
	void shmem_ctx_iget##B(shmem_ctx_t ctx, void *dest,                 \
			       const void *source, ptrdiff_t dst,           \
			       ptrdiff_t sst, size_t nelems, int pe);       \
	void shmem_put##B##_signal(void *dest, const void *source,          \
				   size_t nelems, uint64_t *sig_addr,       \
				   uint64_t signal, int sig_op, int pe);    \
	void shmem_ctx_put##B##_signal(shmem_ctx_t ctx, void *dest,         \
				       const void *source, size_t nelems,   \
				       uint64_t *sig_addr, uint64_t signal, \
				       int sig_op, int pe);                 \
	void shmem_put##B##_signal_nbi(void *dest, const void *source,      \
				       size_t nelems, uint64_t *sig_addr,   \
				       uint64_t signal, int sig_op, int pe); \
	void shmem_ctx_put##B##_signal_nbi(shmem_ctx_t ctx, void *dest,     \
					   const void *source, size_t nelems, \
					   uint64_t *sig_addr,              \
					   uint64_t signal, int sig_op,     \
					   int pe);
ZC_SHMEM_SIZES(ZC_SHMEM_DECL_SIZED)

/* Byte-sized (nelems counts bytes). */
void shmem_putmem(void *dest, const void *source, size_t nelems, int pe);
void shmem_ctx_putmem(shmem_ctx_t ctx, void *dest, const void *source,
		      size_t nelems, int pe);
void shmem_getmem(void *dest, const void *source, size_t nelems, int pe);
void shmem_ctx_getmem(shmem_ctx_t ctx, void *dest, const void *source,
		      size_t nelems, int pe);
void shmem_putmem_nbi(void *dest, const void *source, size_t nelems, int pe);
void shmem_ctx_putmem_nbi(shmem_ctx_t ctx, void *dest, const void *source,
			  size_t nelems, int pe);
void shmem_getmem_nbi(void *dest, const void *source, size_t nelems, int pe);
void shmem_ctx_getmem_nbi(shmem_ctx_t ctx, void *dest, const void *source,
			  size_t nelems, int pe);
void shmem_putmem_signal(void *dest, const void *source, size_t nelems,
			 uint64_t *sig_addr, uint64_t signal, int sig_op,
			 int pe);
void shmem_ctx_putmem_signal(shmem_ctx_t ctx, void *dest, const void *source,
			     size_t nelems, uint64_t *sig_addr,
			     uint64_t signal, int sig_op, int pe);
void shmem_putmem_signal_nbi(void *dest, const void *source, size_t nelems,
			     uint64_t *sig_addr, uint64_t signal, int sig_op,
			     int pe);
void shmem_ctx_putmem_signal_nbi(shmem_ctx_t ctx, void *dest,
				 const void *source, size_t nelems,
				 uint64_t *sig_addr, uint64_t signal,
				 int sig_op, int pe);

uint64_t shmem_signal_fetch(const uint64_t *sig_addr);
uint64_t shmem_signal_wait_until(uint64_t *sig_addr, int cmp,
				 uint64_t cmp_value);

/* ---- atomics ---- */

#define ZC_SHMEM_DECL_AMO(T, N)                                             \
	T shmem_##N##_atomic_compare_swap(T *dest, T cond, T value, int pe); \
	T shmem_ctx_##N##_atomic_compare_swap(shmem_ctx_t ctx, T *dest,     \
					      T cond, T value, int pe);     \
	void shmem_##N##_atomic_compare_swap_nbi(T *fetch, T *dest, T cond, \
						 T value, int pe);          \
	void shmem_ctx_##N##_atomic_compare_swap_nbi(shmem_ctx_t ctx,       \
						     T *fetch, T *dest,     \
						     T cond, T value, int pe); \
	T shmem_##N##_atomic_fetch_inc(T *dest, int pe);                    \
	T shmem_ctx_##N##_atomic_fetch_inc(shmem_ctx_t ctx, T *dest, int pe); \
	void shmem_##N##_atomic_fetch_inc_nbi(T *fetch, T *dest, int pe);   \
	void shmem_ctx_##N##_atomic_fetch_inc_nbi(shmem_ctx_t ctx, T *fetch, \
						  T *dest, int pe);         \
	void shmem_##N##_atomic_inc(T *dest, int pe);                       \
	void shmem_ctx_##N##_atomic_inc(shmem_ctx_t ctx, T *dest, int pe);  \
	T shmem_##N##_atomic_fetch_add(T *dest, T value, int pe);           \
	T shmem_ctx_##N##_atomic_fetch_add(shmem_ctx_t ctx, T *dest, T value, \
					   int pe);                         \
	void shmem_##N##_atomic_fetch_add_nbi(T *fetch, T *dest, T value,   \
					      int pe);                      \
	void shmem_ctx_##N##_atomic_fetch_add_nbi(shmem_ctx_t ctx, T *fetch, \
						  T *dest, T value, int pe); \
	void shmem_##N##_atomic_add(T *dest, T value, int pe);              \
	void shmem_ctx_##N##_atomic_add(shmem_ctx_t ctx, T *dest, T value,  \
					int pe);                            \
	T shmem_##N##_cswap(T *dest, T cond, T value, int pe);              \
	T shmem_##N##_finc(T *dest, int pe);                                \
	void shmem_##N##_inc(T *dest, int pe);                              \
	T shmem_##N##_fadd(T *dest, T value, int pe);                       \
	void shmem_##N##_add(T *dest, T value, int pe);
ZC_SHMEM_AMO_TYPES(ZC_SHMEM_DECL_AMO)

#define ZC_SHMEM_DECL_EXT_AMO(T, N)                                         \
	T shmem_##N##_atomic_fetch(const T *source, int pe);                \
	T shmem_ctx_##N##_atomic_fetch(shmem_ctx_t ctx, const T *source,    \
				       int pe);                             \
	void shmem_##N##_atomic_fetch_nbi(T *fetch, const T *source, int pe); \
	void shmem_ctx_##N##_atomic_fetch_nbi(shmem_ctx_t ctx, T *fetch,    \
					      const T *source, int pe);     \
	void shmem_##N##_atomic_set(T *dest, T value, int pe);              \
	void shmem_ctx_##N##_atomic_set(shmem_ctx_t ctx, T *dest, T value,  \
					int pe);                            \
	T shmem_##N##_atomic_swap(T *dest, T value, int pe);                \
	T shmem_ctx_##N##_atomic_swap(shmem_ctx_t ctx, T *dest, T value,    \
				      int pe);                              \
	void shmem_##N##_atomic_swap_nbi(T *fetch, T *dest, T value, int pe); \
	void shmem_ctx_##N##_atomic_swap_nbi(shmem_ctx_t ctx, T *fetch,     \
					     T *dest, T value, int pe);     \
	T shmem_##N##_fetch(const T *source, int pe);                       \
	void shmem_##N##_set(T *dest, T value, int pe);                     \
	T shmem_##N##_swap(T *dest, T value, int pe);
ZC_SHMEM_EXT_AMO_TYPES(ZC_SHMEM_DECL_EXT_AMO)

#define ZC_SHMEM_DECL_BIT_AMO_OP(T, N, OP)                                  \
	T shmem_##N##_atomic_fetch_##OP(T *dest, T value, int pe);          \
	T shmem_ctx_##N##_atomic_fetch_##OP(shmem_ctx_t ctx, T *dest,       \
					    T value, int pe);               \
	void shmem_##N##_atomic_fetch_##OP##_nbi(T *fetch, T *dest, T value, \
						 int pe);                   \
	void shmem_ctx_##N##_atomic_fetch_##OP##_nbi(shmem_ctx_t ctx,       \
						     T *fetch, T *dest,     \
						     T value, int pe);      \
	void shmem_##N##_atomic_##OP(T *dest, T value, int pe);             \
	void shmem_ctx_##N##_atomic_##OP(shmem_ctx_t ctx, T *dest, T value, \
					 int pe);
#define ZC_SHMEM_DECL_BIT_AMO(T, N)                                         \
	ZC_SHMEM_DECL_BIT_AMO_OP(T, N, and)                                 \
	ZC_SHMEM_DECL_BIT_AMO_OP(T, N, or)                                  \
	ZC_SHMEM_DECL_BIT_AMO_OP(T, N, xor)
ZC_SHMEM_BIT_AMO_TYPES(ZC_SHMEM_DECL_BIT_AMO)

/* ---- point-to-point synchronisation ---- */

#define ZC_SHMEM_DECL_SYNC(T, N)                                            \
	void shmem_##N##_wait_until(T *ivar, int cmp, T cmp_value);         \
	void shmem_##N##_wait_until_all(T *ivars, size_t nelems,            \
					const int *status, int cmp,         \
					T cmp_value);                       \
	size_t shmem_##N##_wait_until_any(T *ivars, size_t nelems,          \
					  const int *status, int cmp,       \
					  T cmp_value);                     \
	size_t shmem_##N##_wait_until_some(T *ivars, size_t nelems,         \
					   size_t *indices,                 \
					   const int *status, int cmp,      \
					   T cmp_value);                    \
	void shmem_##N##_wait_until_all_vector(T *ivars, size_t nelems,     \
					       const int *status, int cmp,  \
					       T *cmp_values);              \
	size_t shmem_##N##_wait_until_any_vector(T *ivars, size_t nelems,   \
						 const int *status, int cmp, \
						 T *cmp_values);            \
	size_t shmem_##N##_wait_until_some_vector(T *ivars, size_t nelems,  \
						  size_t *indices,          \
						  const int *status,        \
						  int cmp, T *cmp_values);  \
	int shmem_##N##_test(T *ivar, int cmp, T cmp_value);                \
	int shmem_##N##_test_all(T *ivars, size_t nelems, const int *status, \
				 int cmp, T cmp_value);                     \
	size_t shmem_##N##_test_any(T *ivars, size_t nelems,                \
				    const int *status, int cmp, T cmp_value); \
	size_t shmem_##N##_test_some(T *ivars, size_t nelems,               \
				     size_t *indices, const int *status,    \
				     int cmp, T cmp_value);                 \
	int shmem_##N##_test_all_vector(T *ivars, size_t nelems,            \
					const int *status, int cmp,         \
					T *cmp_values);                     \
	size_t shmem_##N##_test_any_vector(T *ivars, size_t nelems,         \
					   const int *status, int cmp,      \
					   T *cmp_values);                  \
	size_t shmem_##N##_test_some_vector(T *ivars, size_t nelems,        \
					    size_t *indices,                \
					    const int *status, int cmp,     \
					    T *cmp_values);
ZC_SHMEM_SYNC_TYPES(ZC_SHMEM_DECL_SYNC)

/* deprecated: wait while *ivar == cmp_value */
#define ZC_SHMEM_DECL_WAIT(T, N) void shmem_##N##_wait(T *ivar, T cmp_value);
ZC_SHMEM_TOALL_BIT_TYPES(ZC_SHMEM_DECL_WAIT)
void shmem_wait(long *ivar, long cmp_value);
void shmem_wait_until(long *ivar, int cmp, long cmp_value);

/* ---- memory ordering ---- */

void shmem_fence(void);
void shmem_ctx_fence(shmem_ctx_t ctx);
void shmem_quiet(void);
void shmem_ctx_quiet(shmem_ctx_t ctx);

/* ---- distributed locks (lock: a symmetric long set to 0) ---- */

void shmem_set_lock(long *lock);
void shmem_clear_lock(long *lock);
int shmem_test_lock(long *lock);

/* ---- collectives (team based; return 0 on success) ---- */

void shmem_barrier_all(void);
void shmem_sync_all(void);
int shmem_team_sync(shmem_team_t team);

#define ZC_SHMEM_DECL_COLL(T, N)                                            \
	int shmem_##N##_broadcast(shmem_team_t team, T *dest,               \
				  const T *source, size_t nelems,           \
				  int PE_root);                             \
	int shmem_##N##_collect(shmem_team_t team, T *dest, const T *source, \
				size_t nelems);                             \
	int shmem_##N##_fcollect(shmem_team_t team, T *dest,                \
				 const T *source, size_t nelems);           \
	int shmem_##N##_alltoall(shmem_team_t team, T *dest,                \
				 const T *source, size_t nelems);           \
	int shmem_##N##_alltoalls(shmem_team_t team, T *dest,               \
				  const T *source, ptrdiff_t dst,           \
				  ptrdiff_t sst, size_t nelems);
ZC_SHMEM_RMA_TYPES(ZC_SHMEM_DECL_COLL)
int shmem_broadcastmem(shmem_team_t team, void *dest, const void *source,
		       size_t nelems, int PE_root);
int shmem_collectmem(shmem_team_t team, void *dest, const void *source,
		     size_t nelems);
int shmem_fcollectmem(shmem_team_t team, void *dest, const void *source,
		      size_t nelems);
int shmem_alltoallmem(shmem_team_t team, void *dest, const void *source,
		      size_t nelems);
int shmem_alltoallsmem(shmem_team_t team, void *dest, const void *source,
		       ptrdiff_t dst, ptrdiff_t sst, size_t nelems);

#define ZC_SHMEM_DECL_REDUCE(T, N, OP)                                      \
	int shmem_##N##_##OP##_reduce(shmem_team_t team, T *dest,           \
				      const T *source, size_t nreduce);
#define ZC_SHMEM_DECL_BITRED(T, N)                                          \
	ZC_SHMEM_DECL_REDUCE(T, N, and) ZC_SHMEM_DECL_REDUCE(T, N, or)      \
	ZC_SHMEM_DECL_REDUCE(T, N, xor)
#define ZC_SHMEM_DECL_MINMAX(T, N)                                          \
	ZC_SHMEM_DECL_REDUCE(T, N, min) ZC_SHMEM_DECL_REDUCE(T, N, max)
#define ZC_SHMEM_DECL_ARITH(T, N)                                           \
	ZC_SHMEM_DECL_REDUCE(T, N, sum) ZC_SHMEM_DECL_REDUCE(T, N, prod)
ZC_SHMEM_BITRED_TYPES(ZC_SHMEM_DECL_BITRED)
ZC_SHMEM_MINMAX_TYPES(ZC_SHMEM_DECL_MINMAX)
ZC_SHMEM_ARITH_TYPES(ZC_SHMEM_DECL_ARITH)
/* The complex reductions, for C and C++: C++ has no _Complex, but g++
 * and clang++ take it as an extension (the layout of std::complex<T>);
 * __extension__ keeps -pedantic builds quiet. */
#if !defined(__cplusplus) || defined(__GNUC__)
#ifdef __cplusplus
#define ZC_SHMEM_CPLX_EXT __extension__
#else
#define ZC_SHMEM_CPLX_EXT
#endif
#define ZC_SHMEM_DECL_CPLX_REDUCE(T, N)                                     \
	ZC_SHMEM_CPLX_EXT ZC_SHMEM_DECL_REDUCE(T, N, sum)                   \
	ZC_SHMEM_CPLX_EXT ZC_SHMEM_DECL_REDUCE(T, N, prod)
ZC_SHMEM_COMPLEX_TYPES(ZC_SHMEM_DECL_CPLX_REDUCE)
#endif

/* ---- deprecated active-set collectives: the PEs PE_start + i *
 * 2^logPE_stride, i < PE_size; PE_root counts within the set. ---- */

void shmem_barrier(int PE_start, int logPE_stride, int PE_size, long *pSync);
void shmem_sync(int PE_start, int logPE_stride, int PE_size, long *pSync);
#define ZC_SHMEM_DECL_ASET(B)                                               \
	void shmem_broadcast##B(void *dest, const void *source,             \
				size_t nelems, int PE_root, int PE_start,   \
				int logPE_stride, int PE_size, long *pSync); \
	void shmem_collect##B(void *dest, const void *source, size_t nelems, \
			      int PE_start, int logPE_stride, int PE_size,  \
			      long *pSync);                                 \
	void shmem_fcollect##B(void *dest, const void *source,              \
			       size_t nelems, int PE_start,                 \
			       int logPE_stride, int PE_size, long *pSync); \
	void shmem_alltoall##B(void *dest, const void *source,              \
			       size_t nelems, int PE_start,                 \
			       int logPE_stride, int PE_size, long *pSync); \
	void shmem_alltoalls##B(void *dest, const void *source,             \
				ptrdiff_t dst, ptrdiff_t sst,               \
				size_t nelems, int PE_start,                \
				int logPE_stride, int PE_size, long *pSync);
ZC_SHMEM_DECL_ASET(32)
ZC_SHMEM_DECL_ASET(64)

#define ZC_SHMEM_DECL_TOALL(T, N, OP)                                       \
	void shmem_##N##_##OP##_to_all(T *dest, const T *source, int nreduce, \
				       int PE_start, int logPE_stride,      \
				       int PE_size, T *pWrk, long *pSync);
#define ZC_SHMEM_DECL_TOALL_BIT(T, N)                                       \
	ZC_SHMEM_DECL_TOALL(T, N, and) ZC_SHMEM_DECL_TOALL(T, N, or)        \
	ZC_SHMEM_DECL_TOALL(T, N, xor)
#define ZC_SHMEM_DECL_TOALL_MINMAX(T, N)                                    \
	ZC_SHMEM_DECL_TOALL(T, N, min) ZC_SHMEM_DECL_TOALL(T, N, max)       \
	ZC_SHMEM_DECL_TOALL(T, N, sum) ZC_SHMEM_DECL_TOALL(T, N, prod)
ZC_SHMEM_TOALL_BIT_TYPES(ZC_SHMEM_DECL_TOALL_BIT)
ZC_SHMEM_TOALL_MINMAX_TYPES(ZC_SHMEM_DECL_TOALL_MINMAX)
#if !defined(__cplusplus) || defined(__GNUC__)
#define ZC_SHMEM_DECL_TOALL_CPLX(T, N)                                      \
	ZC_SHMEM_CPLX_EXT ZC_SHMEM_DECL_TOALL(T, N, sum)                    \
	ZC_SHMEM_CPLX_EXT ZC_SHMEM_DECL_TOALL(T, N, prod)
ZC_SHMEM_COMPLEX_TYPES(ZC_SHMEM_DECL_TOALL_CPLX)
#endif

/* Deprecated untyped AMO on long (1.2); in C11 the generic macro below
 * takes the name over. */
long shmem_swap(long *dest, long value, int pe);

#ifdef __cplusplus
}
#endif

/* Distinct C types only (the typedefs of the tables alias them), for the
 * C11 generic macros and the C++ overloads: X(TYPE, TYPENAME, F). */
#define ZC_SHMEM_C11_RMA(X, F)                                              \
	X(float, float, F) X(double, double, F)                             \
	X(long double, longdouble, F) X(char, char, F)                      \
	X(signed char, schar, F) X(short, short, F) X(int, int, F)          \
	X(long, long, F) X(long long, longlong, F)                          \
	X(unsigned char, uchar, F) X(unsigned short, ushort, F)             \
	X(unsigned int, uint, F) X(unsigned long, ulong, F)                 \
	X(unsigned long long, ulonglong, F)
#define ZC_SHMEM_C11_AMO(X, F)                                              \
	X(int, int, F) X(long, long, F) X(long long, longlong, F)           \
	X(unsigned int, uint, F) X(unsigned long, ulong, F)                 \
	X(unsigned long long, ulonglong, F)
#define ZC_SHMEM_C11_EXT_AMO(X, F)                                          \
	X(float, float, F) X(double, double, F) ZC_SHMEM_C11_AMO(X, F)
#define ZC_SHMEM_C11_BIT_AMO(X, F)                                          \
	X(unsigned int, uint, F) X(unsigned long, ulong, F)                 \
	X(unsigned long long, ulonglong, F) X(int, int32, F)                \
	X(long, int64, F)
#define ZC_SHMEM_C11_SYNC(X, F)                                             \
	X(short, short, F) X(int, int, F) X(long, long, F)                  \
	X(long long, longlong, F) X(unsigned short, ushort, F)              \
	X(unsigned int, uint, F) X(unsigned long, ulong, F)                 \
	X(unsigned long long, ulonglong, F)
#define ZC_SHMEM_C11_BITRED(X, F)                                           \
	X(unsigned char, uchar, F) X(unsigned short, ushort, F)             \
	X(unsigned int, uint, F) X(unsigned long, ulong, F)                 \
	X(unsigned long long, ulonglong, F) X(signed char, int8, F)         \
	X(short, int16, F) X(int, int32, F) X(long, int64, F)
#define ZC_SHMEM_C11_MINMAX(X, F)                                           \
	X(char, char, F) X(signed char, schar, F) X(short, short, F)        \
	X(int, int, F) X(long, long, F) X(long long, longlong, F)           \
	X(unsigned char, uchar, F) X(unsigned short, ushort, F)             \
	X(unsigned int, uint, F) X(unsigned long, ulong, F)                 \
	X(unsigned long long, ulonglong, F) X(float, float, F)              \
	X(double, double, F) X(long double, longdouble, F)


/* ---- C++ overloads of the generic names (the C11 ones, by overloading) ---- */
#if defined(__cplusplus) && !defined(ZC_SHMEM_NO_GENERIC)
#define ZC_SHMEM_CXX_RMA(T, N, F)                                           \
	static inline void shmem_##F(T *d, const T *s, size_t n, int pe)    \
	{ shmem_##N##_##F(d, s, n, pe); }                                   \
	static inline void shmem_##F(shmem_ctx_t c, T *d, const T *s,       \
				     size_t n, int pe)                      \
	{ shmem_ctx_##N##_##F(c, d, s, n, pe); }
#define ZC_SHMEM_CXX_STRIDED(T, N, F)                                       \
	static inline void shmem_##F(T *d, const T *s, ptrdiff_t dst,       \
				     ptrdiff_t sst, size_t n, int pe)       \
	{ shmem_##N##_##F(d, s, dst, sst, n, pe); }                         \
	static inline void shmem_##F(shmem_ctx_t c, T *d, const T *s,       \
				     ptrdiff_t dst, ptrdiff_t sst, size_t n, \
				     int pe)                                \
	{ shmem_ctx_##N##_##F(c, d, s, dst, sst, n, pe); }
#define ZC_SHMEM_CXX_SIGNAL(T, N, F)                                        \
	static inline void shmem_##F(T *d, const T *s, size_t n,            \
				     uint64_t *sig, uint64_t v, int op, int pe) \
	{ shmem_##N##_##F(d, s, n, sig, v, op, pe); }                       \
	static inline void shmem_##F(shmem_ctx_t c, T *d, const T *s,       \
				     size_t n, uint64_t *sig, uint64_t v,   \
				     int op, int pe)                        \
	{ shmem_ctx_##N##_##F(c, d, s, n, sig, v, op, pe); }
#define ZC_SHMEM_CXX_P(T, N, F)                                             \
	static inline void shmem_p(T *d, T v, int pe) { shmem_##N##_p(d, v, pe); } \
	static inline void shmem_p(shmem_ctx_t c, T *d, T v, int pe)        \
	{ shmem_ctx_##N##_p(c, d, v, pe); }                                 \
	static inline T shmem_g(const T *s, int pe) { return shmem_##N##_g(s, pe); } \
	static inline T shmem_g(shmem_ctx_t c, const T *s, int pe)          \
	{ return shmem_ctx_##N##_g(c, s, pe); }
/* T f(dest, value, pe) and void f(dest, value, pe) */
#define ZC_SHMEM_CXX_FV(T, N, F)                                            \
	static inline T shmem_##F(T *d, T v, int pe)                        \
	{ return shmem_##N##_##F(d, v, pe); }                               \
	static inline T shmem_##F(shmem_ctx_t c, T *d, T v, int pe)         \
	{ return shmem_ctx_##N##_##F(c, d, v, pe); }                        \
	static inline void shmem_##F##_nbi(T *f, T *d, T v, int pe)         \
	{ shmem_##N##_##F##_nbi(f, d, v, pe); }                             \
	static inline void shmem_##F##_nbi(shmem_ctx_t c, T *f, T *d, T v,  \
					   int pe)                          \
	{ shmem_ctx_##N##_##F##_nbi(c, f, d, v, pe); }
#define ZC_SHMEM_CXX_V(T, N, F)                                             \
	static inline void shmem_##F(T *d, T v, int pe)                     \
	{ shmem_##N##_##F(d, v, pe); }                                      \
	static inline void shmem_##F(shmem_ctx_t c, T *d, T v, int pe)      \
	{ shmem_ctx_##N##_##F(c, d, v, pe); }
#define ZC_SHMEM_CXX_AMO(T, N, F)                                           \
	ZC_SHMEM_CXX_FV(T, N, atomic_fetch_add) ZC_SHMEM_CXX_V(T, N, atomic_add) \
	static inline T shmem_atomic_fetch_inc(T *d, int pe)                \
	{ return shmem_##N##_atomic_fetch_inc(d, pe); }                     \
	static inline T shmem_atomic_fetch_inc(shmem_ctx_t c, T *d, int pe) \
	{ return shmem_ctx_##N##_atomic_fetch_inc(c, d, pe); }              \
	static inline void shmem_atomic_fetch_inc_nbi(T *f, T *d, int pe)   \
	{ shmem_##N##_atomic_fetch_inc_nbi(f, d, pe); }                     \
	static inline void shmem_atomic_inc(T *d, int pe)                   \
	{ shmem_##N##_atomic_inc(d, pe); }                                  \
	static inline void shmem_atomic_inc(shmem_ctx_t c, T *d, int pe)    \
	{ shmem_ctx_##N##_atomic_inc(c, d, pe); }                           \
	static inline T shmem_atomic_compare_swap(T *d, T cond, T v, int pe) \
	{ return shmem_##N##_atomic_compare_swap(d, cond, v, pe); }         \
	static inline T shmem_atomic_compare_swap(shmem_ctx_t c, T *d,      \
						  T cond, T v, int pe)      \
	{ return shmem_ctx_##N##_atomic_compare_swap(c, d, cond, v, pe); }  \
	static inline void shmem_atomic_compare_swap_nbi(T *f, T *d, T cond, \
							 T v, int pe)       \
	{ shmem_##N##_atomic_compare_swap_nbi(f, d, cond, v, pe); }
#define ZC_SHMEM_CXX_EXT_AMO(T, N, F)                                       \
	ZC_SHMEM_CXX_FV(T, N, atomic_swap) ZC_SHMEM_CXX_V(T, N, atomic_set) \
	static inline T shmem_atomic_fetch(const T *s, int pe)              \
	{ return shmem_##N##_atomic_fetch(s, pe); }                         \
	static inline T shmem_atomic_fetch(shmem_ctx_t c, const T *s, int pe) \
	{ return shmem_ctx_##N##_atomic_fetch(c, s, pe); }                  \
	static inline void shmem_atomic_fetch_nbi(T *f, const T *s, int pe) \
	{ shmem_##N##_atomic_fetch_nbi(f, s, pe); }
#define ZC_SHMEM_CXX_BIT_AMO(T, N, F)                                       \
	ZC_SHMEM_CXX_FV(T, N, atomic_fetch_and) ZC_SHMEM_CXX_V(T, N, atomic_and) \
	ZC_SHMEM_CXX_FV(T, N, atomic_fetch_or) ZC_SHMEM_CXX_V(T, N, atomic_or) \
	ZC_SHMEM_CXX_FV(T, N, atomic_fetch_xor) ZC_SHMEM_CXX_V(T, N, atomic_xor)
/* shmem_wait_until(long *, int, long) is the extern "C" one of 1.2. */
#define ZC_SHMEM_CXX_WAIT(T, N, F)                                          \
	static inline void shmem_wait_until(T *v, int cmp, T x)             \
	{ shmem_##N##_wait_until(v, cmp, x); }
#define ZC_SHMEM_CXX_SYNC(T, N, F)                                          \
	static inline int shmem_test(T *v, int cmp, T x)                    \
	{ return shmem_##N##_test(v, cmp, x); }                             \
	static inline void shmem_wait_until_all(T *v, size_t n,             \
						const int *st, int cmp, T x) \
	{ shmem_##N##_wait_until_all(v, n, st, cmp, x); }                   \
	static inline size_t shmem_wait_until_any(T *v, size_t n,           \
						  const int *st, int cmp, T x) \
	{ return shmem_##N##_wait_until_any(v, n, st, cmp, x); }            \
	static inline int shmem_test_all(T *v, size_t n, const int *st,     \
					 int cmp, T x)                      \
	{ return shmem_##N##_test_all(v, n, st, cmp, x); }                  \
	static inline size_t shmem_test_any(T *v, size_t n, const int *st,  \
					    int cmp, T x)                   \
	{ return shmem_##N##_test_any(v, n, st, cmp, x); }                  \
	static inline size_t shmem_wait_until_some(T *v, size_t n,          \
						   size_t *ix,              \
						   const int *st, int cmp,  \
						   T x)                     \
	{ return shmem_##N##_wait_until_some(v, n, ix, st, cmp, x); }       \
	static inline size_t shmem_test_some(T *v, size_t n, size_t *ix,    \
					     const int *st, int cmp, T x)   \
	{ return shmem_##N##_test_some(v, n, ix, st, cmp, x); }             \
	static inline void shmem_wait_until_all_vector(T *v, size_t n,      \
						       const int *st,       \
						       int cmp, T *xs)      \
	{ shmem_##N##_wait_until_all_vector(v, n, st, cmp, xs); }           \
	static inline size_t shmem_wait_until_any_vector(T *v, size_t n,    \
							 const int *st,     \
							 int cmp, T *xs)    \
	{ return shmem_##N##_wait_until_any_vector(v, n, st, cmp, xs); }    \
	static inline size_t shmem_wait_until_some_vector(T *v, size_t n,   \
							  size_t *ix,       \
							  const int *st,    \
							  int cmp, T *xs)   \
	{ return shmem_##N##_wait_until_some_vector(v, n, ix, st, cmp, xs); } \
	static inline int shmem_test_all_vector(T *v, size_t n,             \
						const int *st, int cmp,     \
						T *xs)                      \
	{ return shmem_##N##_test_all_vector(v, n, st, cmp, xs); }          \
	static inline size_t shmem_test_any_vector(T *v, size_t n,          \
						   const int *st, int cmp,  \
						   T *xs)                   \
	{ return shmem_##N##_test_any_vector(v, n, st, cmp, xs); }          \
	static inline size_t shmem_test_some_vector(T *v, size_t n,         \
						    size_t *ix,             \
						    const int *st, int cmp, \
						    T *xs)                  \
	{ return shmem_##N##_test_some_vector(v, n, ix, st, cmp, xs); }
#define ZC_SHMEM_CXX_COLL(T, N, F)                                          \
	static inline int shmem_broadcast(shmem_team_t t, T *d, const T *s, \
					  size_t n, int root)               \
	{ return shmem_##N##_broadcast(t, d, s, n, root); }                 \
	static inline int shmem_collect(shmem_team_t t, T *d, const T *s,   \
					size_t n)                           \
	{ return shmem_##N##_collect(t, d, s, n); }                         \
	static inline int shmem_fcollect(shmem_team_t t, T *d, const T *s,  \
					 size_t n)                          \
	{ return shmem_##N##_fcollect(t, d, s, n); }                        \
	static inline int shmem_alltoall(shmem_team_t t, T *d, const T *s,  \
					 size_t n)                          \
	{ return shmem_##N##_alltoall(t, d, s, n); }                        \
	static inline int shmem_alltoalls(shmem_team_t t, T *d, const T *s, \
					  ptrdiff_t dst, ptrdiff_t sst,     \
					  size_t n)                         \
	{ return shmem_##N##_alltoalls(t, d, s, dst, sst, n); }
#define ZC_SHMEM_CXX_RED(T, N, F)                                           \
	static inline int shmem_##F##_reduce(shmem_team_t t, T *d,          \
					     const T *s, size_t n)          \
	{ return shmem_##N##_##F##_reduce(t, d, s, n); }
ZC_SHMEM_C11_RMA(ZC_SHMEM_CXX_RMA, put)
ZC_SHMEM_C11_RMA(ZC_SHMEM_CXX_RMA, get)
ZC_SHMEM_C11_RMA(ZC_SHMEM_CXX_RMA, put_nbi)
ZC_SHMEM_C11_RMA(ZC_SHMEM_CXX_RMA, get_nbi)
ZC_SHMEM_C11_RMA(ZC_SHMEM_CXX_STRIDED, iput)
ZC_SHMEM_C11_RMA(ZC_SHMEM_CXX_STRIDED, iget)
ZC_SHMEM_C11_RMA(ZC_SHMEM_CXX_SIGNAL, put_signal)
ZC_SHMEM_C11_RMA(ZC_SHMEM_CXX_SIGNAL, put_signal_nbi)
ZC_SHMEM_C11_RMA(ZC_SHMEM_CXX_P, p)
ZC_SHMEM_C11_AMO(ZC_SHMEM_CXX_AMO, amo)
ZC_SHMEM_C11_EXT_AMO(ZC_SHMEM_CXX_EXT_AMO, amo)
ZC_SHMEM_C11_BIT_AMO(ZC_SHMEM_CXX_BIT_AMO, amo)
ZC_SHMEM_C11_SYNC(ZC_SHMEM_CXX_SYNC, sync)
ZC_SHMEM_CXX_WAIT(short, short, 0) ZC_SHMEM_CXX_WAIT(int, int, 0)
ZC_SHMEM_CXX_WAIT(long long, longlong, 0)
ZC_SHMEM_CXX_WAIT(unsigned short, ushort, 0)
ZC_SHMEM_CXX_WAIT(unsigned int, uint, 0)
ZC_SHMEM_CXX_WAIT(unsigned long, ulong, 0)
ZC_SHMEM_CXX_WAIT(unsigned long long, ulonglong, 0)
ZC_SHMEM_C11_RMA(ZC_SHMEM_CXX_COLL, coll)
ZC_SHMEM_C11_BITRED(ZC_SHMEM_CXX_RED, and)
ZC_SHMEM_C11_BITRED(ZC_SHMEM_CXX_RED, or)
ZC_SHMEM_C11_BITRED(ZC_SHMEM_CXX_RED, xor)
ZC_SHMEM_C11_MINMAX(ZC_SHMEM_CXX_RED, min)
ZC_SHMEM_C11_MINMAX(ZC_SHMEM_CXX_RED, max)
ZC_SHMEM_C11_MINMAX(ZC_SHMEM_CXX_RED, sum)
ZC_SHMEM_C11_MINMAX(ZC_SHMEM_CXX_RED, prod)
static inline int shmem_sync(shmem_team_t team) { return shmem_team_sync(team); }
#endif /* C++ overloads */

/* ---- C11 type-generic interfaces ---- */
#if !defined(__cplusplus) && defined(__STDC_VERSION__) &&                  \
	__STDC_VERSION__ >= 201112L && !defined(ZC_SHMEM_NO_GENERIC)

#define ZC_SHMEM_C11_ARITH(X, F)                                            \
	ZC_SHMEM_C11_MINMAX(X, F) X(double _Complex, complexd, F)           \
	X(float _Complex, complexf, F)

/* Associations "T *: shmem_N_F," (and with ctx_, and for const T *). */
#define ZC_SHMEM_GEN(T, N, F) T *: shmem_##N##_##F,
#define ZC_SHMEM_GEN_C(T, N, F) const T *: shmem_##N##_##F,
#define ZC_SHMEM_GEN_CTX(T, N, F) T *: shmem_ctx_##N##_##F,
#define ZC_SHMEM_GEN_CTX_C(T, N, F) const T *: shmem_ctx_##N##_##F,

/* Argument pickers; each always sees at least one variadic argument. */
#define ZC_SHMEM_ARG0(...) ZC_SHMEM_ARG0_(__VA_ARGS__, 0)
#define ZC_SHMEM_ARG0_(a, ...) a
#define ZC_SHMEM_ARG1(a, ...) ZC_SHMEM_ARG0(__VA_ARGS__)
/* &* decays arrays and drops nothing else; +0 also takes scalars. */
#define ZC_SHMEM_PTR(a) (&*(a))
#define ZC_SHMEM_VAL(a) ((a) + 0)

/* Never a valid target: a type mismatch fails to compile. */
static inline void zc_shmem_generic_no_match(void) { }

/* Operations with an optional leading ctx argument. */
#define ZC_SHMEM_CTX_GENERIC(LIST, F, ...)                                  \
	_Generic(ZC_SHMEM_PTR(ZC_SHMEM_ARG0(__VA_ARGS__)),                  \
		LIST(ZC_SHMEM_GEN, F)                                       \
		shmem_ctx_t: _Generic(ZC_SHMEM_VAL(ZC_SHMEM_ARG1(__VA_ARGS__)), \
			LIST(ZC_SHMEM_GEN_CTX, F)                           \
			default: zc_shmem_generic_no_match))(__VA_ARGS__)
/* The same, where the object may be const (g, atomic_fetch). */
#define ZC_SHMEM_CTX_GENERIC_C(LIST, F, ...)                                \
	_Generic(ZC_SHMEM_PTR(ZC_SHMEM_ARG0(__VA_ARGS__)),                  \
		LIST(ZC_SHMEM_GEN, F) LIST(ZC_SHMEM_GEN_C, F)               \
		shmem_ctx_t: _Generic(ZC_SHMEM_VAL(ZC_SHMEM_ARG1(__VA_ARGS__)), \
			LIST(ZC_SHMEM_GEN_CTX, F) LIST(ZC_SHMEM_GEN_CTX_C, F) \
			default: zc_shmem_generic_no_match))(__VA_ARGS__)
/* Without ctx, chosen by the first argument. */
#define ZC_SHMEM_GENERIC0(LIST, F, ...)                                     \
	_Generic(ZC_SHMEM_PTR(ZC_SHMEM_ARG0(__VA_ARGS__)),                  \
		LIST(ZC_SHMEM_GEN, F)                                       \
		default: zc_shmem_generic_no_match)(__VA_ARGS__)
#define ZC_SHMEM_GENERIC0_C(LIST, F, ...)                                   \
	_Generic(ZC_SHMEM_PTR(ZC_SHMEM_ARG0(__VA_ARGS__)),                  \
		LIST(ZC_SHMEM_GEN, F) LIST(ZC_SHMEM_GEN_C, F)               \
		default: zc_shmem_generic_no_match)(__VA_ARGS__)
/* Team collectives, chosen by dest (the second argument). */
#define ZC_SHMEM_GENERIC1(LIST, F, ...)                                     \
	_Generic(ZC_SHMEM_PTR(ZC_SHMEM_ARG1(__VA_ARGS__)),                  \
		LIST(ZC_SHMEM_GEN, F)                                       \
		default: zc_shmem_generic_no_match)(__VA_ARGS__)

#define shmem_put(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_RMA, put, __VA_ARGS__)
#define shmem_get(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_RMA, get, __VA_ARGS__)
#define shmem_put_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_RMA, put_nbi, __VA_ARGS__)
#define shmem_get_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_RMA, get_nbi, __VA_ARGS__)
#define shmem_p(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_RMA, p, __VA_ARGS__)
#define shmem_g(...) ZC_SHMEM_CTX_GENERIC_C(ZC_SHMEM_C11_RMA, g, __VA_ARGS__)
#define shmem_iput(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_RMA, iput, __VA_ARGS__)
#define shmem_iget(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_RMA, iget, __VA_ARGS__)
#define shmem_put_signal(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_RMA, put_signal, __VA_ARGS__)
#define shmem_put_signal_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_RMA, put_signal_nbi, __VA_ARGS__)

#define shmem_atomic_fetch(...) ZC_SHMEM_CTX_GENERIC_C(ZC_SHMEM_C11_EXT_AMO, atomic_fetch, __VA_ARGS__)
#define shmem_atomic_fetch_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_EXT_AMO, atomic_fetch_nbi, __VA_ARGS__)
#define shmem_atomic_set(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_EXT_AMO, atomic_set, __VA_ARGS__)
#define shmem_atomic_swap(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_EXT_AMO, atomic_swap, __VA_ARGS__)
#define shmem_atomic_swap_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_EXT_AMO, atomic_swap_nbi, __VA_ARGS__)
#define shmem_atomic_compare_swap(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_AMO, atomic_compare_swap, __VA_ARGS__)
#define shmem_atomic_compare_swap_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_AMO, atomic_compare_swap_nbi, __VA_ARGS__)
#define shmem_atomic_fetch_inc(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_AMO, atomic_fetch_inc, __VA_ARGS__)
#define shmem_atomic_fetch_inc_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_AMO, atomic_fetch_inc_nbi, __VA_ARGS__)
#define shmem_atomic_inc(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_AMO, atomic_inc, __VA_ARGS__)
#define shmem_atomic_fetch_add(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_AMO, atomic_fetch_add, __VA_ARGS__)
#define shmem_atomic_fetch_add_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_AMO, atomic_fetch_add_nbi, __VA_ARGS__)
#define shmem_atomic_add(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_AMO, atomic_add, __VA_ARGS__)
#define shmem_atomic_fetch_and(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_BIT_AMO, atomic_fetch_and, __VA_ARGS__)
#define shmem_atomic_fetch_and_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_BIT_AMO, atomic_fetch_and_nbi, __VA_ARGS__)
#define shmem_atomic_and(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_BIT_AMO, atomic_and, __VA_ARGS__)
#define shmem_atomic_fetch_or(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_BIT_AMO, atomic_fetch_or, __VA_ARGS__)
#define shmem_atomic_fetch_or_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_BIT_AMO, atomic_fetch_or_nbi, __VA_ARGS__)
#define shmem_atomic_or(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_BIT_AMO, atomic_or, __VA_ARGS__)
#define shmem_atomic_fetch_xor(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_BIT_AMO, atomic_fetch_xor, __VA_ARGS__)
#define shmem_atomic_fetch_xor_nbi(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_BIT_AMO, atomic_fetch_xor_nbi, __VA_ARGS__)
#define shmem_atomic_xor(...) ZC_SHMEM_CTX_GENERIC(ZC_SHMEM_C11_BIT_AMO, atomic_xor, __VA_ARGS__)

/* deprecated generic AMO names */
#define shmem_cswap(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_AMO, cswap, __VA_ARGS__)
#define shmem_finc(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_AMO, finc, __VA_ARGS__)
#define shmem_inc(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_AMO, inc, __VA_ARGS__)
#define shmem_fadd(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_AMO, fadd, __VA_ARGS__)
#define shmem_add(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_AMO, add, __VA_ARGS__)
#define shmem_fetch(...) ZC_SHMEM_GENERIC0_C(ZC_SHMEM_C11_EXT_AMO, fetch, __VA_ARGS__)
#define shmem_set(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_EXT_AMO, set, __VA_ARGS__)
#define shmem_swap(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_EXT_AMO, swap, __VA_ARGS__)

#define shmem_wait_until(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, wait_until, __VA_ARGS__)
#define shmem_wait_until_all(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, wait_until_all, __VA_ARGS__)
#define shmem_wait_until_any(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, wait_until_any, __VA_ARGS__)
#define shmem_wait_until_some(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, wait_until_some, __VA_ARGS__)
#define shmem_wait_until_all_vector(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, wait_until_all_vector, __VA_ARGS__)
#define shmem_wait_until_any_vector(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, wait_until_any_vector, __VA_ARGS__)
#define shmem_wait_until_some_vector(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, wait_until_some_vector, __VA_ARGS__)
#define shmem_test(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, test, __VA_ARGS__)
#define shmem_test_all(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, test_all, __VA_ARGS__)
#define shmem_test_any(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, test_any, __VA_ARGS__)
#define shmem_test_some(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, test_some, __VA_ARGS__)
#define shmem_test_all_vector(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, test_all_vector, __VA_ARGS__)
#define shmem_test_any_vector(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, test_any_vector, __VA_ARGS__)
#define shmem_test_some_vector(...) ZC_SHMEM_GENERIC0(ZC_SHMEM_C11_SYNC, test_some_vector, __VA_ARGS__)

/* shmem_sync(team) (1.5) and shmem_sync(PE_start, logPE_stride, PE_size,
 * pSync) (deprecated) share the name: chosen by the argument count. */
#define ZC_SHMEM_NARGS(...) ZC_SHMEM_NARGS_(__VA_ARGS__, 4, 3, 2, 1, 0)
#define ZC_SHMEM_NARGS_(a, b, c, d, n, ...) n
#define ZC_SHMEM_CAT(a, b) ZC_SHMEM_CAT_(a, b)
#define ZC_SHMEM_CAT_(a, b) a##b
#define ZC_SHMEM_SYNC_1 shmem_team_sync
#define ZC_SHMEM_SYNC_4 (shmem_sync)
#define shmem_sync(...)                                                     \
	ZC_SHMEM_CAT(ZC_SHMEM_SYNC_, ZC_SHMEM_NARGS(__VA_ARGS__))(__VA_ARGS__)

#define shmem_broadcast(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_RMA, broadcast, __VA_ARGS__)
#define shmem_collect(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_RMA, collect, __VA_ARGS__)
#define shmem_fcollect(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_RMA, fcollect, __VA_ARGS__)
#define shmem_alltoall(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_RMA, alltoall, __VA_ARGS__)
#define shmem_alltoalls(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_RMA, alltoalls, __VA_ARGS__)
#define shmem_and_reduce(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_BITRED, and_reduce, __VA_ARGS__)
#define shmem_or_reduce(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_BITRED, or_reduce, __VA_ARGS__)
#define shmem_xor_reduce(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_BITRED, xor_reduce, __VA_ARGS__)
#define shmem_min_reduce(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_MINMAX, min_reduce, __VA_ARGS__)
#define shmem_max_reduce(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_MINMAX, max_reduce, __VA_ARGS__)
#define shmem_sum_reduce(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_ARITH, sum_reduce, __VA_ARGS__)
#define shmem_prod_reduce(...) ZC_SHMEM_GENERIC1(ZC_SHMEM_C11_ARITH, prod_reduce, __VA_ARGS__)

#endif /* C11 generics */

#endif /* ZC_SHMEM_H */
