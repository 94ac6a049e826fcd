/* SPDX-License-Identifier: MIT */
/*
 * backend.h: the few operations a benchmark needs, mapped onto one
 * communication library by one shim: backend_zc.c (zcomm), backend_mpi.c
 * (MPI one-sided + collectives), backend_shmem.c (OpenSHMEM 1.4 API, built
 * against Open MPI's oshmem and against zcomm's shmem.h). Each benchmark is
 * one source linked once per shim, so both sides run the same loop.
 *
 * Every function returns 0 or a negative code (the library's own code, or
 * -ENOSYS when the library lacks the operation). Symmetric memory comes
 * from bk_malloc: collective, same offset on every rank, page aligned
 * (as OSU aligns its buffers: the copy speed of memcpy depends on how
 * source and destination sit relative to each other within a page).
 */
#ifndef BENCH_BACKEND_H
#define BENCH_BACKEND_H

#include <stddef.h>
#include <stdint.h>

int bk_init(int *argc, char ***argv);
int bk_finalize(void);
const char *bk_name(void);
int bk_rank(void);
int bk_size(void);

#define BK_ALIGN 4096
void *bk_malloc(size_t size);
int bk_free(void *ptr);

/* RMA; dst (put) / src (get) symmetric. put_nbi completes at bk_quiet;
 * get is complete on return. */
int bk_put_nbi(void *dst, const void *src, size_t len, int pe);
int bk_get(void *dst, const void *src, size_t len, int pe);
/* Remote completion of everything issued to pe (zcomm/SHMEM: quiet,
 * MPI: MPI_Win_flush). */
int bk_quiet(int pe);
/* Order earlier puts to pe before later ones (MPI has no cheaper way
 * than a flush). */
int bk_fence(int pe);
/* Store a 64-bit flag at pe and make sure it will arrive without any
 * further call by the sender (MPI: put + flush). */
int bk_signal(uint64_t *flag, uint64_t value, int pe);
/* Wait until my own symmetric *flag >= value. */
int bk_wait_ge(uint64_t *flag, uint64_t value);

int bk_fetch_add(uint64_t *target, uint64_t value, int pe, uint64_t *old_p);
int bk_cswap(uint64_t *target, uint64_t cmp, uint64_t value, int pe,
	     uint64_t *old_p);

/* Collectives over all ranks; buffers symmetric. Reductions are float
 * sums (as the OSU benchmarks do). */
int bk_barrier(void);
int bk_bcast(void *dst, const void *src, size_t nbytes, int root);
int bk_allreduce(float *dst, const float *src, size_t count);
/* dst holds size * nbytes. */
int bk_allgather(void *dst, const void *src, size_t nbytes);
int bk_alltoall(void *dst, const void *src, size_t nbytes);
/* src holds size * count floats; rank i gets the sum of every block i. */
int bk_reduce_scatter(float *dst, const float *src, size_t count);

#endif /* BENCH_BACKEND_H */
