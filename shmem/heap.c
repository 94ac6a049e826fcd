/* SPDX-License-Identifier: MIT */
/* Symmetric memory: shmem_malloc and friends over zc_malloc/zc_align/
 * zc_free (all collective). The sizes of live allocations are kept here
 * only so that shmem_realloc knows how much to copy. */
#include <stdlib.h>

#include "sh.h"

struct blk {
	void *ptr;
	size_t size;
	struct blk *next;
};

#define NBUCKETS 256
static struct blk *buckets[NBUCKETS];

static struct blk **bucket(const void *p)
{
	return &buckets[((uintptr_t)p >> 6) % NBUCKETS];
}

static void remember(void *p, size_t size)
{
	struct blk *b = malloc(sizeof(*b));

	if (!b)
		return;	/* realloc of it then copies nothing extra: logged there */
	b->ptr = p;
	b->size = size;
	b->next = *bucket(p);
	*bucket(p) = b;
}

/* Unlinks and returns the record of p (or NULL); the caller frees it. */
static struct blk *forget(const void *p)
{
	for (struct blk **pp = bucket(p); *pp; pp = &(*pp)->next) {
		struct blk *b = *pp;

		if (b->ptr == p) {
			*pp = b->next;
			return b;
		}
	}
	return NULL;
}

void sh_heap_forget_all(void)
{
	for (int i = 0; i < NBUCKETS; i++) {
		while (buckets[i]) {
			struct blk *n = buckets[i]->next;

			free(buckets[i]);
			buckets[i] = n;
		}
	}
}

static void *sym_alloc(size_t alignment, size_t size, bool zero,
		       const char *fn)
{
	void *p = NULL;
	int rc;

	/* The specification: a zero size allocates nothing, returns NULL. */
	if (size == 0)
		return NULL;
	sh_lock();
	if (zero)
		rc = zc_calloc(1, size, &p);
	else if (alignment)
		rc = zc_align(alignment, size, &p);
	else
		rc = zc_malloc(size, &p);
	sh_unlock();
	if (rc) {
		sh_report(fn, rc);
		return NULL;
	}
	if (alignment && ((uintptr_t)p & (alignment - 1))) {
		/* Offsets are aligned everywhere; the base only so far. */
		zc_err("%s: alignment %zu is beyond what the heap base "
		       "guarantees", fn, alignment);
		SH_CHECK(zc_free(p));
		return NULL;
	}
	remember(p, size);
	return p;
}

void *shmem_malloc(size_t size)
{
	return sym_alloc(0, size, false, __func__);
}

void *shmem_malloc_with_hints(size_t size, long hints)
{
	/* Hints only tune placement; every zcomm object is reachable by
	 * atomics and signals already. */
	if (hints & ~(SHMEM_MALLOC_ATOMICS_REMOTE | SHMEM_MALLOC_SIGNAL_REMOTE))
		zc_warn("shmem_malloc_with_hints: unknown hints %#lx ignored",
			hints);
	return sym_alloc(0, size, false, __func__);
}

void *shmem_calloc(size_t count, size_t size)
{
	if (count == 0 || size == 0)
		return NULL;
	if (count > SIZE_MAX / size) {
		zc_err("shmem_calloc(%zu, %zu): size overflows", count, size);
		return NULL;
	}
	return sym_alloc(0, count * size, true, __func__);
}

void *shmem_align(size_t alignment, size_t size)
{
	return sym_alloc(alignment ? alignment : 1, size, false, __func__);
}

void shmem_free(void *ptr)
{
	struct blk *b;
	int rc;

	if (!ptr)
		return;
	b = forget(ptr);
	sh_lock();
	rc = zc_free(ptr);
	sh_unlock();
	if (rc) {
		sh_report(__func__, rc);
		if (b) {	/* still allocated: keep its size */
			b->next = *bucket(ptr);
			*bucket(ptr) = b;
		}
		return;
	}
	free(b);
}

/* Collective like malloc and free: a new block, the old contents copied
 * locally on every PE (so they stay symmetric), the old block freed. */
void *shmem_realloc(void *ptr, size_t size)
{
	struct blk *b;
	void *n;

	if (!ptr)
		return shmem_malloc(size);
	if (size == 0) {
		shmem_free(ptr);
		return NULL;
	}
	b = forget(ptr);
	if (!b) {
		zc_err("shmem_realloc(%p): not an allocation of shmem_malloc "
		       "or friends", ptr);
		return NULL;
	}
	n = sym_alloc(0, size, false, __func__);
	if (!n) {
		b->next = *bucket(ptr);
		*bucket(ptr) = b;
		return NULL;
	}
	memcpy(n, ptr, b->size < size ? b->size : size);
	free(b);
	SH_CHECK(zc_free(ptr));
	return n;
}

void *shmalloc(size_t size)
{
	return shmem_malloc(size);
}

void *shmemalign(size_t alignment, size_t size)
{
	return shmem_align(alignment, size);
}

void *shrealloc(void *ptr, size_t size)
{
	return shmem_realloc(ptr, size);
}

void shfree(void *ptr)
{
	shmem_free(ptr);
}
