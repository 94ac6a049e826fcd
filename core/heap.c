/* SPDX-License-Identifier: MIT */
/* First-fit allocator over [0, size). Block records live off-heap so that
 * remote writes into the heap can never corrupt the allocator. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <zcomm.h>

#include "zc_heap.h"
#include "zc_log.h"

struct zc_heap_blk {
	uint64_t off;
	size_t size;
	bool used;
	struct zc_heap_blk *next;
};

static struct zc_heap_blk *blk_new(uint64_t off, size_t size, bool used,
				   struct zc_heap_blk *next)
{
	struct zc_heap_blk *b = malloc(sizeof(*b));

	if (b) {
		b->off = off;
		b->size = size;
		b->used = used;
		b->next = next;
	}
	return b;
}

int zc_heap_init(struct zc_heap *h, size_t size)
{
	h->size = size;
	h->used = 0;
	h->blks = blk_new(0, size, false, NULL);
	return h->blks ? 0 : -ENOMEM;
}

void zc_heap_fini(struct zc_heap *h)
{
	while (h->blks) {
		struct zc_heap_blk *n = h->blks->next;

		free(h->blks);
		h->blks = n;
	}
}

size_t zc_heap_largest_free(const struct zc_heap *h)
{
	size_t best = 0;

	for (const struct zc_heap_blk *b = h->blks; b; b = b->next)
		if (!b->used && b->size > best)
			best = b->size;
	return best;
}

int zc_heap_alloc(struct zc_heap *h, size_t size, size_t alignment,
		  uint64_t *off_p)
{
	struct zc_heap_blk *b;

	if (alignment == 0 || (alignment & (alignment - 1)))
		return -EINVAL;
	/* Zero-byte requests still get a distinct, freeable block. */
	if (size == 0)
		size = 1;
	/* Keep every block a multiple of a cache line: neighbours written by
	 * different ranks never share one, and all start 64-aligned. */
	if (size > SIZE_MAX - 63)
		goto nomem;
	size = (size + 63) & ~(size_t)63;
	if (alignment < 64)
		alignment = 64;

	for (b = h->blks; b; b = b->next) {
		uint64_t start, pad;

		if (b->used)
			continue;
		start = (b->off + alignment - 1) & ~(uint64_t)(alignment - 1);
		pad = start - b->off;
		if (pad > b->size || b->size - pad < size)
			continue;
		if (pad) {
			/* Leave the alignment gap as its own free block. */
			struct zc_heap_blk *n = blk_new(start, b->size - pad,
							false, b->next);
			if (!n)
				return -ENOMEM;
			b->size = pad;
			b->next = n;
			b = n;
		}
		if (b->size > size) {
			struct zc_heap_blk *rest = blk_new(b->off + size,
							   b->size - size,
							   false, b->next);
			if (!rest)
				return -ENOMEM;
			b->next = rest;
			b->size = size;
		}
		b->used = true;
		h->used += size;
		*off_p = b->off;
		return 0;
	}
nomem:
	zc_err("symmetric heap exhausted: request of %zu bytes (alignment "
	       "%zu), heap %zu bytes, %zu free, largest free block %zu; set "
	       "ZC_HEAP_SIZE larger", size, alignment, h->size,
	       h->size - h->used, zc_heap_largest_free(h));
	return -ZC_ENOHEAP;
}

int zc_heap_free(struct zc_heap *h, uint64_t off)
{
	struct zc_heap_blk *prev = NULL, *b;

	for (b = h->blks; b && b->off < off; b = b->next)
		prev = b;
	if (!b || b->off != off || !b->used)
		return -ZC_ENOTSYM;
	b->used = false;
	h->used -= b->size;
	if (b->next && !b->next->used) {
		struct zc_heap_blk *n = b->next;

		b->size += n->size;
		b->next = n->next;
		free(n);
	}
	if (prev && !prev->used) {
		prev->size += b->size;
		prev->next = b->next;
		free(b);
	}
	return 0;
}

size_t zc_heap_size_of(const struct zc_heap *h, uint64_t off)
{
	for (const struct zc_heap_blk *b = h->blks; b; b = b->next)
		if (b->off == off && b->used)
			return b->size;
	return 0;
}
