/* SPDX-License-Identifier: MIT */
/*
 * harness.h: what every OSU-style benchmark shares: options, the size
 * sweep, warm-up, choosing the iteration count, timing, and the OSU table
 * format ("# Size  Latency (us)"). Uses only backend.h, so one benchmark
 * source runs unchanged over zcomm, MPI and OpenSHMEM.
 *
 * A benchmark supplies a loop function that runs `iters` iterations of its
 * operation; the harness calls it to warm up, to calibrate and to time.
 * The loop lives in the benchmark so that the timed code makes direct
 * calls only.
 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "backend.h"

struct bench_opts {
	size_t min_size, max_size;	/* bytes, sweep doubles */
	double budget_ms;		/* target timed run per size */
	long iters;			/* fixed count; 0: from budget_ms */
	int window;			/* ops per completion (bandwidth) */
	int batches;			/* >1: best of this many batches */
	int min_ranks;			/* the benchmark needs this many */
};

/* Who runs the loop: rank 0 alone against an idle target (one-sided
 * latency and bandwidth, as OSU does); ranks 0 and 1 together, rank 0's
 * time reported (ping-pong); or every rank (collectives: the result is
 * the average over the ranks). With more than one rank in the loop, the
 * iteration counts are agreed. */
enum bench_who { BENCH_RANK0, BENCH_PAIR, BENCH_ALL };

/* Runs iters iterations at size. The harness times the call; a loop that
 * must leave something out of the timing (the barrier between two
 * collectives, as OSU does) stores the seconds it timed itself in
 * *sec_p. */
typedef int (*bench_loop_fn)(size_t size, long iters, void *arg,
			     double *sec_p);

/* bk_init, parse the command line over the defaults in *o, and print the
 * table header on rank 0: "# <title>" lines, then "# Size  <column>". */
void bench_begin(int *argc, char ***argv, struct bench_opts *o,
		 const char *title, const char *column);
/* What a program built for one of several operations (-DCOLL_OP="bcast")
 * looks up: every table entry starts with one of these. */
struct bench_op {
	const char *name;
	const char *title;
	size_t min_size, max_size;	/* the default sweep */
};

/* The entry of table (n entries of stride bytes) named want, its sizes as
 * the defaults in *o, then bench_begin with its title and a latency
 * column. Exits with status 2 when the table has no such entry. */
const void *bench_begin_op(int *argc, char ***argv, struct bench_opts *o,
			   const void *table, size_t n, size_t stride,
			   const char *want);
/* Free the harness's memory, finalize; returns the exit status. */
int bench_end(void);

/* Warm up, pick the count, time it: *us_p gets microseconds per
 * iteration on rank 0 (BENCH_RANK0, BENCH_PAIR) or the average over the
 * ranks (BENCH_ALL). Every rank calls it. */
void bench_measure(const struct bench_opts *o, size_t size,
		   enum bench_who who, bench_loop_fn fn, void *arg,
		   double *us_p);

/* Print one table row on rank 0. */
void bench_row(size_t size, double value);

/* The whole sweep: for every size from o->min_size to o->max_size
 * (doubling), measure fn and print the row; to_value turns microseconds
 * per iteration into the printed figure (NULL: print microseconds). */
typedef double (*bench_value_fn)(const struct bench_opts *o, size_t size,
				 double us);
void bench_sweep(const struct bench_opts *o, enum bench_who who,
		 bench_loop_fn fn, void *arg, bench_value_fn to_value);

/* Symmetric (bk_malloc) and private memory, zeroed; failure ends the
 * run. */
void *bench_sym_alloc(size_t size);
void *bench_local_alloc(size_t size);

/* Print "skipped: <why>" on rank 0, finalize, exit 77. */
void bench_skip(const char *why);

/* Report a failed call and end the job (benchmarks are programs: a
 * broken run must stop, the launcher reaps the other ranks). */
void bench_fail(const char *what, int rc);

/* The next size of the sweep: 1, 2, 4, ... (0 goes to 1). */
static inline size_t bench_next_size(size_t s)
{
	return s ? s * 2 : 1;
}

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define BENCH_CHECK(expr)                                                   \
	do {                                                                \
		int bench_rc_ = (expr);                                     \
		if (bench_rc_)                                              \
			bench_fail(#expr, bench_rc_);                       \
	} while (0)

#endif /* BENCH_HARNESS_H */
