/* SPDX-License-Identifier: MIT */
/* The shared benchmark harness: options, calibration, timing, output. */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "harness.h"

/* Symmetric scratch for agreeing on counts and collecting times. */
struct bench_scratch {
	long value;		/* rank 0's decision, put to every rank */
	double t[];		/* per-rank times, on rank 0 */
};

static struct bench_scratch *scratch;

void bench_fail(const char *what, int rc)
{
	fprintf(stderr, "%s rank %d: %s failed: %d (%s)\n", bk_name(),
		bk_rank(), what, rc, rc < 0 ? strerror(-rc) : "?");
	fflush(stderr);
	exit(1);
}

void bench_skip(const char *why)
{
	if (bk_rank() == 0) {
		printf("skipped: %s\n", why);
		fflush(stdout);
	}
	bk_finalize();
	exit(77);
}

static size_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; break;
	case 'm': case 'M': v <<= 20; break;
	case 'g': case 'G': v <<= 30; break;
	default: break;
	}
	return (size_t)v;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-m [min:]max] [-t ms] [-i iters] [-w window]\n"
		"  -m  message sizes (bytes, K/M suffixes), doubling\n"
		"  -t  time budget per size in ms (default 25)\n"
		"  -i  fixed iteration count instead of the budget\n"
		"  -w  operations per completion (bandwidth tests)\n"
		"  -k  split the timed run into k batches, report the fastest\n"
		"      (default 1: the average of all, as OSU)\n", prog);
}

static void parse_args(int argc, char **argv, struct bench_opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "m:t:i:w:k:h")) != -1) {
		switch (c) {
		case 'm': {
			char *colon = strchr(optarg, ':');

			if (colon) {
				o->min_size = parse_size(optarg);
				o->max_size = parse_size(colon + 1);
			} else {
				o->max_size = parse_size(optarg);
			}
			break;
		}
		case 't': o->budget_ms = strtod(optarg, NULL); break;
		case 'i': o->iters = strtol(optarg, NULL, 0); break;
		case 'w': o->window = (int)strtol(optarg, NULL, 0); break;
		case 'k': o->batches = (int)strtol(optarg, NULL, 0); break;
		default:
			if (bk_rank() == 0)
				usage(argv[0]);
			exit(c == 'h' ? 0 : 2);
		}
	}
	if (o->budget_ms <= 0)
		o->budget_ms = 25;
	if (o->window <= 0)
		o->window = 64;
	if (o->batches <= 0)
		o->batches = 1;
	if (o->min_size > o->max_size)
		o->min_size = o->max_size;
}

void bench_begin(int *argc, char ***argv, struct bench_opts *o,
		 const char *title, const char *column)
{
	int n;

	BENCH_CHECK(bk_init(argc, argv));
	parse_args(*argc, *argv, o);
	n = bk_size();
	if (n < o->min_ranks) {
		char why[160];

		snprintf(why, sizeof(why), "%s needs %d ranks, have %d",
			 title, o->min_ranks, n);
		bench_skip(why);
	}
	scratch = bk_malloc(sizeof(*scratch) + (size_t)n * sizeof(double));
	if (!scratch)
		bench_fail("bk_malloc(scratch)", -ENOMEM);
	if (bk_rank() == 0) {
		printf("# %s\n# backend %s, %d ranks\n", title, bk_name(), n);
		printf("%-10s%18s\n", "# Size", column);
		fflush(stdout);
	}
}

const void *bench_begin_op(int *argc, char ***argv, struct bench_opts *o,
			   const void *table, size_t n, size_t stride,
			   const char *want)
{
	for (size_t i = 0; i < n; i++) {
		const struct bench_op *op = (const void *)
			((const char *)table + i * stride);

		if (!strcmp(op->name, want)) {
			o->min_size = op->min_size;
			o->max_size = op->max_size;
			bench_begin(argc, argv, o, op->title, "Latency (us)");
			return op;
		}
	}
	fprintf(stderr, "bench: no operation named %s\n", want);
	exit(2);
}

int bench_end(void)
{
	BENCH_CHECK(bk_barrier());
	bk_free(scratch);
	BENCH_CHECK(bk_finalize());
	return 0;
}

void bench_row(size_t size, double value)
{
	if (bk_rank() == 0) {
		printf("%-10zu%18.3f\n", size, value);
		fflush(stdout);
	}
}

/* Rank 0's value becomes every rank's. */
static long share(long v)
{
	if (bk_rank() == 0) {
		for (int r = 0; r < bk_size(); r++)
			BENCH_CHECK(bk_put_nbi(&scratch->value, &v, sizeof(v), r));
		for (int r = 0; r < bk_size(); r++)
			BENCH_CHECK(bk_quiet(r));
	}
	BENCH_CHECK(bk_barrier());
	v = scratch->value;
	/* Nobody may overwrite value before everyone has read it. */
	BENCH_CHECK(bk_barrier());
	return v;
}

/* The average of every rank's t, on rank 0. */
static double average(double t)
{
	double sum = 0;

	BENCH_CHECK(bk_put_nbi(&scratch->t[bk_rank()], &t, sizeof(t), 0));
	BENCH_CHECK(bk_quiet(0));
	BENCH_CHECK(bk_barrier());
	if (bk_rank() == 0)
		for (int r = 0; r < bk_size(); r++)
			sum += scratch->t[r];
	return sum / bk_size();
}

/* Time fn(iters) on the ranks that run it. */
static double timed(bool runs, size_t size, long iters, bench_loop_fn fn,
		    void *arg)
{
	double t0, self = -1;

	if (!runs)
		return 0;
	t0 = bench_now();
	BENCH_CHECK(fn(size, iters, arg, &self));
	t0 = bench_now() - t0;
	return self >= 0 ? self : t0;
}

/* Microseconds per iteration: of the whole run, or (batches > 1) of the
 * fastest of that many equal parts. The fastest part is the figure least
 * disturbed by other work on a shared machine; every rank cuts the same
 * parts, so loops that talk stay in step. */
static double best_batch(int batches, bool runs, size_t size, long iters,
			 bench_loop_fn fn, void *arg)
{
	long per = iters / batches > 0 ? iters / batches : 1;
	double best = 0;

	if (batches <= 1)
		return timed(runs, size, iters, fn, arg) * 1e6 / (double)iters;
	for (long done = 0; done < iters; done += per) {
		long n = iters - done < per ? iters - done : per;
		double t = timed(runs, size, n, fn, arg) * 1e6 / (double)n;

		if (done == 0 || t < best)
			best = t;
	}
	return best;
}

void bench_measure(const struct bench_opts *o, size_t size,
		   enum bench_who who, bench_loop_fn fn, void *arg,
		   double *us_p)
{
	bool all = who != BENCH_RANK0;	/* more than rank 0 loops */
	bool runs = bk_rank() == 0 || who == BENCH_ALL ||
		    (who == BENCH_PAIR && bk_rank() == 1);
	double budget = o->budget_ms * 1e-3, t = 0, warm = 0, per;
	long n = 1, done = 0, iters;

	BENCH_CHECK(bk_barrier());
	/* Warm up with doubling chunks until one chunk takes a tenth of the
	 * budget and the warm-up a quarter of it (or 1000 iterations ran);
	 * the last chunk calibrates. The time floor matters right after
	 * start, when the kernel may still run two ranks on one core for a
	 * few ms. With every rank in the loop, rank 0 decides. */
	for (;;) {
		long stop;

		t = timed(runs, size, n, fn, arg);
		warm += t;
		done += n;
		stop = (t >= budget / 10 && warm >= budget / 4) ||
		       done >= 1000;
		if (all)
			stop = share(stop);
		if (stop)
			break;
		n *= 2;
	}
	per = t / (double)n;
	if (o->iters > 0)
		iters = o->iters;
	else
		iters = per > 0 ? (long)(budget / per) : 10000000;
	if (iters < 3)
		iters = 3;
	if (iters > 10000000)
		iters = 10000000;
	if (all)
		iters = share(iters);
	BENCH_CHECK(bk_barrier());
	t = best_batch(o->batches, runs, size, iters, fn, arg);
	if (who == BENCH_ALL)
		t = average(t);
	else
		BENCH_CHECK(bk_barrier());
	*us_p = t;
}

void bench_sweep(const struct bench_opts *o, enum bench_who who,
		 bench_loop_fn fn, void *arg, bench_value_fn to_value)
{
	for (size_t s = o->min_size; s <= o->max_size; s = bench_next_size(s)) {
		double us;

		bench_measure(o, s, who, fn, arg, &us);
		bench_row(s, to_value ? to_value(o, s, us) : us);
	}
}

void *bench_sym_alloc(size_t size)
{
	char *p = bk_malloc(size);

	if (!p)
		bench_fail("bk_malloc", -ENOMEM);
	memset(p, 0, size);
	BENCH_CHECK(bk_barrier());
	return p;
}

void *bench_local_alloc(size_t size)
{
	void *p = NULL;

	if (posix_memalign(&p, BK_ALIGN, size ? size : 1))
		bench_fail("posix_memalign", -ENOMEM);
	/* Touch every page so first-touch faults stay out of the timing. */
	memset(p, 1, size);
	return p;
}
