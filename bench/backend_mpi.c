/* SPDX-License-Identifier: MIT */
/*
 * The benchmark backend over MPI, as the OSU one-sided benchmarks use it:
 * one window from MPI_Win_allocate (the "symmetric heap", carved by a
 * bump allocator), a passive-target epoch opened once with
 * MPI_Win_lock_all, MPI_Put/MPI_Get/MPI_Fetch_and_op/MPI_Compare_and_swap
 * completed by MPI_Win_flush. A flag is polled in the local window with
 * MPI_Win_sync between loads (the unified memory model; the call also
 * drives progress for osc components that need the target, pt2pt).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <mpi.h>

#include "backend.h"

#define HEAP_DEFAULT (64ul << 20)

static MPI_Win win;
static char *base;
static size_t heap_size, heap_used;
static int me, np;

static int ok(int mpi_rc)
{
	return mpi_rc == MPI_SUCCESS ? 0 : -EIO;
}

int bk_init(int *argc, char ***argv)
{
	const char *env = getenv("BENCH_HEAP_SIZE");
	int rc;

	heap_size = env ? strtoul(env, NULL, 0) << 20 : HEAP_DEFAULT;
	rc = ok(MPI_Init(argc, argv));
	if (rc)
		return rc;
	MPI_Comm_rank(MPI_COMM_WORLD, &me);
	MPI_Comm_size(MPI_COMM_WORLD, &np);
	rc = ok(MPI_Win_allocate((MPI_Aint)heap_size, 1, MPI_INFO_NULL,
				 MPI_COMM_WORLD, &base, &win));
	if (!rc)
		rc = ok(MPI_Win_lock_all(0, win));
	return rc;
}

int bk_finalize(void)
{
	MPI_Win_unlock_all(win);
	MPI_Win_free(&win);
	return ok(MPI_Finalize());
}

const char *bk_name(void)
{
	return "mpi";
}

int bk_rank(void)
{
	return me;
}

int bk_size(void)
{
	return np;
}

/* Same calls in the same order on every rank give the same offsets. The
 * window need not start on a page (osc sm puts a header first), so align
 * addresses, not offsets: every rank's part starts at the same page
 * offset, the heap size being a multiple of the page. */
void *bk_malloc(size_t size)
{
	uintptr_t b = (uintptr_t)base;
	size_t off = ((b + heap_used + BK_ALIGN - 1) & ~(uintptr_t)(BK_ALIGN - 1)) - b;

	if (off > heap_size || size > heap_size - off) {
		if (me == 0)
			fprintf(stderr, "mpi backend: window of %zu bytes "
				"full (set BENCH_HEAP_SIZE in MiB)\n",
				heap_size);
		return NULL;
	}
	heap_used = off + size;
	MPI_Barrier(MPI_COMM_WORLD);
	return base + off;
}

/* Only the last allocation is given back (benchmarks free in reverse). */
int bk_free(void *ptr)
{
	if ((char *)ptr >= base && (char *)ptr < base + heap_used)
		heap_used = (size_t)((char *)ptr - base);
	return ok(MPI_Barrier(MPI_COMM_WORLD));
}

static MPI_Aint disp(const void *sym)
{
	return (MPI_Aint)((const char *)sym - base);
}

int bk_put_nbi(void *dst, const void *src, size_t len, int pe)
{
	if (len > INT_MAX)
		return -EINVAL;
	return ok(MPI_Put(src, (int)len, MPI_BYTE, pe, disp(dst), (int)len,
			  MPI_BYTE, win));
}

int bk_get(void *dst, const void *src, size_t len, int pe)
{
	int rc;

	if (len > INT_MAX)
		return -EINVAL;
	rc = ok(MPI_Get(dst, (int)len, MPI_BYTE, pe, disp(src), (int)len,
			MPI_BYTE, win));
	return rc ? rc : ok(MPI_Win_flush(pe, win));
}

int bk_quiet(int pe)
{
	return ok(MPI_Win_flush(pe, win));
}

int bk_fence(int pe)
{
	return ok(MPI_Win_flush(pe, win));
}

int bk_signal(uint64_t *flag, uint64_t value, int pe)
{
	int rc = ok(MPI_Put(&value, 1, MPI_UINT64_T, pe, disp(flag), 1,
			    MPI_UINT64_T, win));

	return rc ? rc : ok(MPI_Win_flush(pe, win));
}

int bk_wait_ge(uint64_t *flag, uint64_t value)
{
	while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) < value) {
		int rc = ok(MPI_Win_sync(win));

		if (rc)
			return rc;
	}
	return 0;
}

int bk_fetch_add(uint64_t *target, uint64_t value, int pe, uint64_t *old_p)
{
	int rc = ok(MPI_Fetch_and_op(&value, old_p, MPI_UINT64_T, pe,
				     disp(target), MPI_SUM, win));

	return rc ? rc : ok(MPI_Win_flush(pe, win));
}

int bk_cswap(uint64_t *target, uint64_t cmp, uint64_t value, int pe,
	     uint64_t *old_p)
{
	int rc = ok(MPI_Compare_and_swap(&value, &cmp, old_p, MPI_UINT64_T,
					 pe, disp(target), win));

	return rc ? rc : ok(MPI_Win_flush(pe, win));
}

int bk_barrier(void)
{
	return ok(MPI_Barrier(MPI_COMM_WORLD));
}

/* MPI_Bcast works in place: the root's dst is the source, as in OSU. */
int bk_bcast(void *dst, const void *src, size_t nbytes, int root)
{
	(void)src;
	return ok(MPI_Bcast(dst, (int)nbytes, MPI_BYTE, root,
			    MPI_COMM_WORLD));
}

int bk_allreduce(float *dst, const float *src, size_t count)
{
	return ok(MPI_Allreduce(src, dst, (int)count, MPI_FLOAT, MPI_SUM,
				MPI_COMM_WORLD));
}

int bk_allgather(void *dst, const void *src, size_t nbytes)
{
	return ok(MPI_Allgather(src, (int)nbytes, MPI_BYTE, dst, (int)nbytes,
				MPI_BYTE, MPI_COMM_WORLD));
}

int bk_alltoall(void *dst, const void *src, size_t nbytes)
{
	return ok(MPI_Alltoall(src, (int)nbytes, MPI_BYTE, dst, (int)nbytes,
			       MPI_BYTE, MPI_COMM_WORLD));
}

int bk_reduce_scatter(float *dst, const float *src, size_t count)
{
	return ok(MPI_Reduce_scatter_block(src, dst, (int)count, MPI_FLOAT,
					   MPI_SUM, MPI_COMM_WORLD));
}
