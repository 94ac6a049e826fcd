/* SPDX-License-Identifier: MIT */
/* Setup, query and memory as the specification states them: the version
 * and name queries and constants, shmem_init_thread's provided level,
 * shmem_pe_accessible / shmem_addr_accessible (heap, global and static
 * yes; stack, malloc and string literals no), shmem_ptr, and the
 * allocator's edge cases: malloc(0) and calloc(0, n) give NULL,
 * free(NULL) does nothing, calloc zeroes a block that held data, align
 * aligns, realloc keeps the contents (and stays symmetric), hints; a
 * large .bss stays symmetric and leaves the default heap free. */
#include <stdint.h>
#include <string.h>

#include "sh_test.h"

static long counter;			/* .bss */
static long table[4] = { 11, 22, 33, 44 };	/* .data */
static char ballast[24 << 20];		/* a large .bss */

static void info(void)
{
	char name[SHMEM_MAX_NAME_LEN];
	int major = -1, minor = -1, provided = -1;

	shmem_info_get_version(&major, &minor);
	SH_ASSERT(major == SHMEM_MAJOR_VERSION && minor == SHMEM_MINOR_VERSION
		  && major == 1 && minor >= 5, "version %d.%d", major, minor);
	memset(name, 'x', sizeof(name));
	shmem_info_get_name(name);
	SH_ASSERT(memchr(name, '\0', sizeof(name)) != NULL, "name ends");
	SH_ASSERT(strcmp(name, SHMEM_VENDOR_STRING) == 0, "name %s", name);
	shmem_query_thread(&provided);
	SH_ASSERT(provided >= SHMEM_THREAD_SINGLE &&
		  provided <= SHMEM_THREAD_MULTIPLE, "provided %d", provided);
	SH_ASSERT(SHMEM_THREAD_SINGLE < SHMEM_THREAD_FUNNELED &&
		  SHMEM_THREAD_FUNNELED < SHMEM_THREAD_SERIALIZED &&
		  SHMEM_THREAD_SERIALIZED < SHMEM_THREAD_MULTIPLE, "levels");
}

static void accessible(long *heap)
{
	int me = shmem_my_pe(), n = shmem_n_pes();
	long on_stack = 0;
	long *priv = malloc(sizeof(long));
	static const char lit[] = "literal";

	SH_ASSERT(priv, "malloc");
	SH_ASSERT(shmem_pe_accessible(me) && shmem_pe_accessible(n - 1) &&
		  !shmem_pe_accessible(n) && !shmem_pe_accessible(-1), "pe");
	for (int p = 0; p < n; p++) {
		SH_ASSERT(shmem_addr_accessible(heap, p), "heap on %d", p);
		SH_ASSERT(shmem_addr_accessible(&counter, p) &&
			  shmem_addr_accessible(&table[3], p),
			  "globals on %d", p);
		SH_ASSERT(!shmem_addr_accessible(&on_stack, p), "stack");
		SH_ASSERT(!shmem_addr_accessible(priv, p), "malloc");
		SH_ASSERT(!shmem_addr_accessible(lit, p), "literal");
	}
	SH_ASSERT(!shmem_addr_accessible(heap, n), "pe out of range");
	free(priv);

	/* shmem_ptr: to myself always; to a peer, where it is non-NULL,
	 * reads that peer's copy. */
	*heap = 700 + me;
	shmem_barrier_all();
	SH_ASSERT(shmem_ptr(heap, me) == heap, "ptr self");
	SH_ASSERT(shmem_ptr(&table[1], me) == &table[1], "ptr self global");
	for (int p = 0; p < n; p++) {
		long *q = shmem_ptr(heap, p);

		if (q)
			SH_ASSERT(*q == 700 + p, "ptr to %d reads %ld", p, *q);
	}
	SH_ASSERT(shmem_ptr(&on_stack, (me + 1) % n) == NULL || n == 1,
		  "ptr to a stack variable");
	shmem_barrier_all();
}

/* Globals and statics: every PE adds to PE 0's counter; table reads. */
static void globals(void)
{
	int me = shmem_my_pe(), n = shmem_n_pes();

	shmem_long_atomic_add(&counter, me + 1, 0);
	SH_ASSERT(shmem_long_g(&table[2], (me + 1) % n) == 33, "table g");
	shmem_barrier_all();
	if (me == 0)
		SH_ASSERT(counter == (long)n * (n + 1) / 2, "counter %ld",
			  counter);
	shmem_long_p(&table[0], me, (me + 1) % n);
	shmem_putmem(&ballast[sizeof(ballast) - 3], "ok", 3, (me + 1) % n);
	shmem_barrier_all();
	SH_ASSERT(table[0] == (me + n - 1) % n && table[1] == 22, "table p");
	SH_ASSERT(!strcmp(&ballast[sizeof(ballast) - 3], "ok"), "ballast");
	/* The globals come on top of the default heap, not out of it. */
	if (!getenv("ZC_HEAP_SIZE") && !getenv("SHMEM_SYMMETRIC_SIZE") &&
	    !getenv("SMA_SYMMETRIC_SIZE")) {
		void *p = shmem_malloc(240 << 20);

		SH_ASSERT(p, "240 MiB of the default 256 MiB heap, with 24 MiB "
			  "of globals");
		shmem_free(p);
	}
}

static void alloc(void)
{
	int me = shmem_my_pe(), n = shmem_n_pes();
	long *p, *q;
	unsigned char *c;

	SH_ASSERT(shmem_malloc(0) == NULL, "malloc(0)");
	SH_ASSERT(shmem_calloc(0, 8) == NULL && shmem_calloc(8, 0) == NULL,
		  "calloc of 0");
	SH_ASSERT(shmem_align(64, 0) == NULL, "align size 0");
	shmem_free(NULL);

	/* calloc zeroes memory that held data. */
	c = shmem_malloc(4096);
	SH_ASSERT(c, "malloc");
	memset(c, 0xa5, 4096);
	shmem_free(c);
	c = shmem_calloc(512, 8);
	SH_ASSERT(c, "calloc");
	for (int i = 0; i < 4096; i++)
		SH_ASSERT(c[i] == 0, "calloc byte %d = %#x", i, c[i]);
	shmem_free(c);

	for (size_t al = 8; al <= 65536; al *= 8) {
		c = shmem_align(al, 24);
		SH_ASSERT(c && ((uintptr_t)c & (al - 1)) == 0, "align %zu", al);
		shmem_putmem(c, "abc", 4, (me + 1) % n);
		shmem_barrier_all();
		SH_ASSERT(memcmp(c, "abc", 4) == 0, "aligned put");
		shmem_free(c);
	}

	p = shmem_malloc_with_hints(16 * sizeof(long),
				    SHMEM_MALLOC_ATOMICS_REMOTE);
	q = shmem_malloc_with_hints(8, 0);
	SH_ASSERT(p && q, "hints");
	shmem_free(q);
	/* realloc keeps what was there, including what peers put. */
	for (int i = 0; i < 16; i++)
		p[i] = me * 100 + i;
	shmem_barrier_all();
	shmem_long_p(&p[15], -(long)me, (me + 1) % n);
	p = shmem_realloc(p, 1000 * sizeof(long));
	SH_ASSERT(p, "realloc grow");
	for (int i = 0; i < 15; i++)
		SH_ASSERT(p[i] == me * 100 + i, "realloc kept %d", i);
	SH_ASSERT(p[15] == -(long)((me + n - 1) % n), "realloc kept remote");
	shmem_long_p(&p[999], me, (me + 1) % n);
	shmem_barrier_all();
	SH_ASSERT(p[999] == (me + n - 1) % n, "new block symmetric");
	p = shmem_realloc(p, 4 * sizeof(long));
	SH_ASSERT(p && p[3] == me * 100 + 3, "realloc shrink");
	SH_ASSERT(shmem_realloc(p, 0) == NULL, "realloc to 0 frees");
	q = shmem_realloc(NULL, 32);
	SH_ASSERT(q, "realloc(NULL) allocates");
	shmem_free(q);
}

int main(void)
{
	int provided = -1, again = -1;
	long *heap;

	SH_ASSERT(shmem_init_thread(SHMEM_THREAD_MULTIPLE, &provided) == 0,
		  "init_thread");
	SH_ASSERT(provided >= SHMEM_THREAD_SINGLE &&
		  provided <= SHMEM_THREAD_MULTIPLE, "provided %d", provided);
	shmem_query_thread(&again);
	SH_ASSERT(again == provided, "query %d vs %d", again, provided);
	heap = shmem_calloc(1, sizeof(long));
	SH_ASSERT(heap, "alloc");
	info();
	accessible(heap);
	globals();
	alloc();
	shmem_free(heap);
	return sh_test_done("shmem mem_info");
}
