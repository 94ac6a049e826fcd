/* SPDX-License-Identifier: MIT */
/*
 * One-sided latency, rank 0 against an idle rank 1, as the OSU one-sided
 * latency tests: put + quiet (osu_put_latency), blocking get
 * (osu_get_latency), fetch-add (osu_fop_latency) and compare-swap
 * (osu_cas_latency). One source: the build names the operation in RMA_OP
 * ("put", "get", "fadd", "cswap") and makes one program of each.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"

struct rma_lat {
	char *sym;
	char *local;
};

static int put_loop(size_t size, long iters, void *arg, double *sec_p)
{
	struct rma_lat *b = arg;

	(void)sec_p;
	for (long i = 0; i < iters; i++) {
		int rc = bk_put_nbi(b->sym, b->local, size, 1);

		if (!rc)
			rc = bk_quiet(1);
		if (rc)
			return rc;
	}
	return 0;
}

static int get_loop(size_t size, long iters, void *arg, double *sec_p)
{
	struct rma_lat *b = arg;

	(void)sec_p;
	for (long i = 0; i < iters; i++) {
		int rc = bk_get(b->local, b->sym, size, 1);

		if (rc)
			return rc;
	}
	return 0;
}

static int fadd_loop(size_t size, long iters, void *arg, double *sec_p)
{
	struct rma_lat *b = arg;
	uint64_t old;

	(void)sec_p;
	(void)size;
	for (long i = 0; i < iters; i++) {
		int rc = bk_fetch_add((uint64_t *)b->sym, 1, 1, &old);

		if (rc)
			return rc;
	}
	return 0;
}

/* Only rank 0 touches the word, so compare-swap always succeeds: the
 * word holds the count of swaps so far. */
static int cswap_loop(size_t size, long iters, void *arg, double *sec_p)
{
	struct rma_lat *b = arg;
	uint64_t *word = (uint64_t *)b->sym, next;
	int rc = bk_get(&next, word, sizeof(next), 1);

	(void)sec_p;
	(void)size;
	for (long i = 0; i < iters && !rc; i++) {
		uint64_t old;

		rc = bk_cswap(word, next, next + 1, 1, &old);
		if (!rc && old != next)
			rc = -EPROTO;	/* somebody else swapped */
		next++;
	}
	return rc;
}

struct rma_op {
	struct bench_op b;	/* first: bench_begin_op finds it by name */
	bench_loop_fn loop;
};

static const struct rma_op ops[] = {
	{ { "put", "put latency (put + quiet)", 1, 4u << 20 }, put_loop },
	{ { "get", "get latency (blocking get)", 1, 4u << 20 }, get_loop },
	{ { "fadd", "fetch-add latency (64-bit, fetching)", 8, 8 }, fadd_loop },
	{ { "cswap", "compare-swap latency (64-bit)", 8, 8 }, cswap_loop },
};

int main(int argc, char **argv)
{
	const struct rma_op *op;
	struct bench_opts o = { .min_ranks = 2 };
	struct rma_lat b;

	op = bench_begin_op(&argc, &argv, &o, ops, sizeof(ops) / sizeof(ops[0]),
			    sizeof(ops[0]), RMA_OP);
	b.sym = bench_sym_alloc(o.max_size);
	b.local = bench_local_alloc(o.max_size);
	bench_sweep(&o, BENCH_RANK0, op->loop, &b, NULL);
	free(b.local);
	bk_free(b.sym);
	return bench_end();
}
