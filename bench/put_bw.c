/* SPDX-License-Identifier: MIT */
/* Put bandwidth: a window of non-blocking puts (default 64, -w) then one
 * remote completion, rank 0 to rank 1, as osu_put_bw. Every put of a
 * window targets the same buffer. */
#include "harness.h"

struct put_bw {
	char *sym;
	char *local;
	int window;
};

static int loop(size_t size, long iters, void *arg, double *sec_p)
{
	struct put_bw *b = arg;

	(void)sec_p;
	for (long i = 0; i < iters; i++) {
		int rc = 0;

		for (int w = 0; w < b->window && !rc; w++)
			rc = bk_put_nbi(b->sym, b->local, size, 1);
		if (!rc)
			rc = bk_quiet(1);
		if (rc)
			return rc;
	}
	return 0;
}

/* Bytes per microsecond are MB/s (10^6 bytes, as OSU). */
static double mbps(const struct bench_opts *o, size_t size, double us)
{
	return (double)size * o->window / us;
}

int main(int argc, char **argv)
{
	struct bench_opts o = { .min_size = 1, .max_size = 4u << 20,
				.min_ranks = 2 };
	struct put_bw b;

	bench_begin(&argc, &argv, &o, "put bandwidth (window of put_nbi, "
		    "then quiet)", "Bandwidth (MB/s)");
	b.sym = bench_sym_alloc(o.max_size);
	b.local = bench_local_alloc(o.max_size);
	b.window = o.window;
	bench_sweep(&o, BENCH_RANK0, loop, &b, mbps);
	free(b.local);
	bk_free(b.sym);
	return bench_end();
}
