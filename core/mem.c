/* SPDX-License-Identifier: MIT */
/* Collective symmetric allocation over the deterministic heap allocator. */
#include <errno.h>
#include <string.h>

#include "zc_core.h"

static int sym_alloc(const char *fn, size_t alignment, size_t size, bool zero,
		     void **ptr_p)
{
	uint64_t off;
	int rc;

	ZC_CHECK_INIT_FN(fn);
	/* Differing sizes would give the ranks different heaps from here on:
	 * every later symmetric address would be wrong somewhere. */
	rc = zc_coll_check_alloc(fn, size, alignment);
	if (!rc)
		rc = zc_heap_alloc(&zc_ctx->alloc, size, alignment, &off);
	if (rc) {
		*ptr_p = NULL;
		/* Every rank fails alike (same heap, same calls): no one is
		 * left waiting in the barrier. */
		return rc;
	}
	if (zero)
		memset(zc_ctx->heap + off, 0, size);
	/* Nobody may touch the new object at a peer before the peer has it
	 * (and has zeroed it). */
	rc = zc_core_barrier();
	if (rc) {
		zc_heap_free(&zc_ctx->alloc, off);
		*ptr_p = NULL;
		return rc;
	}
	*ptr_p = zc_ctx->heap + off;
	return 0;
}

/* Large objects start on a page: a copy whose source and destination
 * share their page offset runs at full speed, one 48 bytes off was
 * measured 2-3x slower at 1 MiB (4K aliasing); user buffers from malloc
 * or mmap of that size are page-aligned. */
static size_t default_align(size_t size)
{
	return size >= (64u << 10) ? 4096 : 64;
}

/* A NULL out-pointer is the caller's error, found before any barrier
 * (the collective calls then fail alike when every rank passes NULL). */
static int out_check(const void *p, const char *fn, const char *what)
{
	if (p)
		return 0;
	zc_err("%s: %s is NULL", fn, what);
	return -EINVAL;
}

int zc_malloc(size_t size, void **ptr_p)
{
	int rc = out_check(ptr_p, __func__, "ptr_p");

	return rc ? rc : sym_alloc(__func__, default_align(size), size, false, ptr_p);
}

int zc_calloc(size_t count, size_t size, void **ptr_p)
{
	int rc = out_check(ptr_p, __func__, "ptr_p");

	if (rc)
		return rc;
	if (size && count > SIZE_MAX / size) {
		zc_err("zc_calloc(%zu, %zu): size overflows", count, size);
		*ptr_p = NULL;
		return -EINVAL;
	}
	return sym_alloc(__func__, default_align(count * size), count * size, true,
			 ptr_p);
}

int zc_align(size_t alignment, size_t size, void **ptr_p)
{
	int rc = out_check(ptr_p, __func__, "ptr_p");

	if (rc)
		return rc;
	if (alignment == 0 || (alignment & (alignment - 1))) {
		zc_err("zc_align: alignment %zu is not a power of two",
		       alignment);
		*ptr_p = NULL;
		return -EINVAL;
	}
	return sym_alloc(__func__, alignment, size, false, ptr_p);
}

int zc_free(void *ptr)
{
	uint64_t off;
	int rc;

	ZC_CHECK_INIT();
	if (!ptr)
		return 0;
	if (!zc_addr_symmetric(ptr) ||
	    !zc_heap_size_of(&zc_ctx->alloc,
			     (uint64_t)((char *)ptr - zc_ctx->heap))) {
		zc_err("zc_free(%p): not an allocation of the symmetric heap",
		       ptr);
		return -ZC_ENOTSYM;
	}
	off = (uint64_t)((char *)ptr - zc_ctx->heap);
	/* Peers may still be reading or writing it until they get here. */
	rc = zc_core_barrier();
	if (rc)
		return rc;
	return zc_heap_free(&zc_ctx->alloc, off);
}

int zc_heap_info(size_t *size_p, size_t *free_p)
{
	ZC_CHECK_INIT();
	if (out_check(size_p, __func__, "size_p") ||
	    out_check(free_p, __func__, "free_p"))
		return -EINVAL;
	*size_p = zc_ctx->heap_size;
	*free_p = zc_ctx->heap_size - zc_ctx->alloc.used;
	return 0;
}

int zc_addr_symmetric(const void *addr)
{
	const char *p = addr;

	return zc_ctx && p >= zc_ctx->heap &&
	       p < zc_ctx->heap + zc_ctx->heap_size;
}

static void *ptr(const void *dest, int rank, size_t end)
{
	const char *p = dest;
	char *base;

	if (!zc_ctx || p < zc_ctx->heap || p >= zc_ctx->heap + end ||
	    rank < 0 || rank >= zc_ctx->size)
		return NULL;
	base = zc_ctx->peers[rank].map;
	return base ? base + (p - zc_ctx->heap) : NULL;
}

void *zc_ptr(const void *dest, int rank)
{
	return ptr(dest, rank, zc_ctx ? zc_ctx->heap_size : 0);
}

void *zc_core_ptr(const void *dest, int rank)
{
	return ptr(dest, rank, zc_ctx ? zc_ctx->map_size : 0);
}
