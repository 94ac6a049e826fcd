/* SPDX-License-Identifier: MIT */
/* Local buffers that are not symmetric, freed and allocated again between
 * operations (malloc'd, and mmap'd then unmapped and mapped again at the
 * same address with other contents): every put and get must move what
 * the buffer holds now, never what a registration of its old pages held
 * (a stale registration cache would). Sizes on both sides of the bounce
 * limit. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "t_helpers.h"

#define MAXLEN (1u << 20)

static void fill(unsigned char *b, size_t len, int round)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (unsigned char)(i * 7 + (size_t)round * 13 + 1);
}

static void check(const unsigned char *b, size_t len, int round,
		  const char *what)
{
	for (size_t i = 0; i < len; i++)
		T_ASSERT(b[i] == (unsigned char)(i * 7 + (size_t)round * 13 + 1),
			 "%s round %d: byte %zu of %zu is %u", what, round, i,
			 len, b[i]);
}

int main(void)
{
	static const size_t lens[] = { 100, 60000, 200000, MAXLEN };
	unsigned char *sym, *m;
	int me, n, peer, rc = 0;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	peer = (me + 1) % n;
	T_OK(zc_malloc(MAXLEN, (void **)&sym));
	for (int round = 0; round < 8; round++) {
		size_t len = lens[round % 4];
		unsigned char *b = malloc(len);

		/* put from a fresh malloc'd buffer */
		T_ASSERT(b, "malloc");
		fill(b, len, round);
		T_OK(zc_put(sym, b, len, peer));
		free(b);
		T_OK(zc_barrier_all());
		check(sym, len, round, "put from malloc");
		/* get into a fresh one */
		b = malloc(len);
		T_ASSERT(b, "malloc");
		memset(b, 0, len);
		T_OK(zc_get(b, sym, len, peer));
		check(b, len, round, "get into malloc");
		free(b);
		T_OK(zc_barrier_all());
	}
	/* The same address mapped again: new pages, new contents. */
	m = mmap(NULL, MAXLEN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(m != MAP_FAILED, "mmap");
	for (int round = 0; round < 4; round++) {
		fill(m, MAXLEN, 100 + round);
		T_OK(zc_put(sym, m, MAXLEN, peer));
		T_OK(zc_barrier_all());
		check(sym, MAXLEN, 100 + round, "put from remapped");
		T_ASSERT(!munmap(m, MAXLEN), "munmap");
		T_ASSERT(mmap(m, MAXLEN, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == m,
			 "mmap again at %p", (void *)m);
		T_OK(zc_barrier_all());
	}
	munmap(m, MAXLEN);
	T_OK(zc_free(sym));
	rc = zc_finalize();
	T_OK(rc);
	return 0;
}
