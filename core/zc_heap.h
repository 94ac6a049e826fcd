/* SPDX-License-Identifier: MIT */
/*
 * zc_heap.h: the symmetric heap allocator. Deterministic: the same calls
 * in the same order give the same offsets on every rank, which is what
 * makes an allocation symmetric. Pure bookkeeping over [0, size): no
 * memory is touched, so it is unit-tested without a job.
 */
#ifndef ZC_HEAP_H
#define ZC_HEAP_H

#include <stddef.h>
#include <stdint.h>

struct zc_heap_blk;

struct zc_heap {
	size_t size;
	size_t used;
	struct zc_heap_blk *blks;	/* address-ordered, free and used */
};

int zc_heap_init(struct zc_heap *h, size_t size);
void zc_heap_fini(struct zc_heap *h);
/* alignment: power of two. On exhaustion -ZC_ENOHEAP (and a log line
 * with the request, the free total and the largest free block). */
int zc_heap_alloc(struct zc_heap *h, size_t size, size_t alignment,
		  uint64_t *off_p);
/* -ZC_ENOTSYM when off is not the start of a live allocation. */
int zc_heap_free(struct zc_heap *h, uint64_t off);
/* Size of the allocation starting at off, or 0. */
size_t zc_heap_size_of(const struct zc_heap *h, uint64_t off);
size_t zc_heap_largest_free(const struct zc_heap *h);

#endif /* ZC_HEAP_H */
