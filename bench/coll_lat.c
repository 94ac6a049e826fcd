/* SPDX-License-Identifier: MIT */
/*
 * Collective latency over all ranks, as the OSU collective tests: each
 * operation is timed on its own, with a barrier between two (not timed),
 * and the row is the average over the ranks. The barrier test times the
 * barriers themselves. One source: the build names the collective in
 * COLL_OP and makes one program of each. Sizes as OSU: bytes per rank for
 * broadcast, allgather and alltoall; the whole vector (float sums) for
 * allreduce and reduce-scatter.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"

struct coll {
	char *src;
	char *dst;
	int n;
};

typedef int (*coll_fn)(struct coll *c, size_t size);

static int do_bcast(struct coll *c, size_t size)
{
	return bk_bcast(c->dst, c->src, size, 0);
}

static int do_allreduce(struct coll *c, size_t size)
{
	return bk_allreduce((float *)c->dst, (const float *)c->src,
			    size / sizeof(float));
}

static int do_allgather(struct coll *c, size_t size)
{
	return bk_allgather(c->dst, c->src, size);
}

static int do_alltoall(struct coll *c, size_t size)
{
	return bk_alltoall(c->dst, c->src, size);
}

static int do_reduce_scatter(struct coll *c, size_t size)
{
	return bk_reduce_scatter((float *)c->dst, (const float *)c->src,
				 size / sizeof(float) / (size_t)c->n);
}

struct coll_op {
	struct bench_op b;	/* first: bench_begin_op finds it by name */
	coll_fn fn;		/* NULL: the barrier */
	int per_rank_min;	/* b.min_size is per rank */
	int block_per_rank;	/* buffers hold one block per rank */
};

static const struct coll_op ops[] = {
	{ { "barrier", "barrier latency", 0, 0 }, NULL, 0, 0 },
	{ { "bcast", "broadcast latency (root 0)", 1, 1u << 20 }, do_bcast,
	  0, 0 },
	{ { "allreduce", "allreduce latency (float sum)", 4, 1u << 20 },
	  do_allreduce, 0, 0 },
	{ { "allgather", "allgather latency (bytes per rank)", 1, 1u << 20 },
	  do_allgather, 0, 1 },
	{ { "alltoall", "alltoall latency (bytes per rank pair)", 1,
	    1u << 20 }, do_alltoall, 0, 1 },
	{ { "reduce_scatter", "reduce-scatter latency (float sum, whole "
	    "vector)", 4, 1u << 20 }, do_reduce_scatter, 1, 0 },
};

static const struct coll_op *op;

static int barrier_loop(size_t size, long iters, void *arg, double *sec_p)
{
	(void)size;
	(void)arg;
	(void)sec_p;
	for (long i = 0; i < iters; i++) {
		int rc = bk_barrier();

		if (rc)
			return rc;
	}
	return 0;
}

static int coll_loop(size_t size, long iters, void *arg, double *sec_p)
{
	struct coll *c = arg;
	double t = 0;

	for (long i = 0; i < iters; i++) {
		double t0 = bench_now();
		int rc = op->fn(c, size);

		t += bench_now() - t0;
		if (!rc)
			rc = bk_barrier();
		if (rc)
			return rc;
	}
	*sec_p = t;
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o = { 0 };
	struct coll c = { 0 };
	size_t bytes;

	op = bench_begin_op(&argc, &argv, &o, ops, sizeof(ops) / sizeof(ops[0]),
			    sizeof(ops[0]), COLL_OP);
	c.n = bk_size();
	if (op->per_rank_min && o.min_size < op->b.min_size * (size_t)c.n)
		o.min_size = op->b.min_size * (size_t)c.n;
	if (!op->fn) {
		bench_sweep(&o, BENCH_ALL, barrier_loop, NULL, NULL);
		return bench_end();
	}
	bytes = o.max_size * (op->block_per_rank ? (size_t)c.n : 1);
	c.src = bench_sym_alloc(bytes);
	c.dst = bench_sym_alloc(bytes);
	/* Every rank learns the same answer without talking. */
	if (op->fn(&c, o.min_size) == -ENOSYS)
		bench_skip("this library has no such collective");
	bench_sweep(&o, BENCH_ALL, coll_loop, &c, NULL);
	bk_free(c.dst);
	bk_free(c.src);
	return bench_end();
}
