/* SPDX-License-Identifier: MIT */
/* The reference for put bandwidth: one memcpy per iteration from private
 * memory into my own symmetric heap, on one rank, no communication; the
 * copy a same-node put does, without the library. */
#include <string.h>

#include "harness.h"

struct copy {
	char *dst;
	char *src;
};

static int loop(size_t size, long iters, void *arg, double *sec_p)
{
	struct copy *b = arg;

	(void)sec_p;
	for (long i = 0; i < iters; i++) {
		memcpy(b->dst, b->src, size);
		/* Keep the compiler from dropping or merging the copies. */
		__asm__ volatile("" : : "r"(b->dst) : "memory");
	}
	return 0;
}

static double mbps(const struct bench_opts *o, size_t size, double us)
{
	(void)o;
	return (double)size / us;
}

int main(int argc, char **argv)
{
	struct bench_opts o = { .min_size = 1, .max_size = 4u << 20 };
	struct copy b;

	bench_begin(&argc, &argv, &o, "memcpy bandwidth (reference, one "
		    "rank)", "Bandwidth (MB/s)");
	b.dst = bench_sym_alloc(o.max_size);
	b.src = bench_local_alloc(o.max_size);
	bench_sweep(&o, BENCH_RANK0, loop, &b, mbps);
	free(b.src);
	bk_free(b.dst);
	return bench_end();
}
