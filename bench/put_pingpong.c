/* SPDX-License-Identifier: MIT */
/*
 * Put ping-pong round trip, what a user of one-sided puts really waits
 * for: rank 0 puts the message into rank 1, orders it (fence) before a
 * flag put, and waits for its own flag; rank 1 waits for its flag and
 * answers the same way. One row is one full round trip. The MPI twin
 * completes each put with MPI_Win_flush (MPI orders puts no cheaper way)
 * and polls the flag in its window with MPI_Win_sync (backend_mpi.c).
 *
 * Built with PINGPONG_POLL_DATA (put_poll_pingpong): the message is its
 * own flag, its last 8 bytes the round's number, which the peer polls:
 * one put per direction, the scheme of perftest's ib_write_lat. It
 * relies on the last bytes of a put landing last, as perftest and MPI's
 * RDMA eager protocols do. Over rxe the difference matters: the poster's
 * doorbell system call carries each WRITE through its acknowledgement
 * and completion, so a second WR per direction costs a whole one.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"

struct pingpong {
	char *sym;
	char *local;
	uint64_t *flag;		/* symmetric: written by the peer */
	uint64_t seq;		/* last round trip, same on both ranks */
};

#ifdef PINGPONG_POLL_DATA
#define POLL_DATA 1
#else
#define POLL_DATA 0
#endif

static int send_to(struct pingpong *b, size_t size, int peer)
{
	int rc;

	if (POLL_DATA) {
		/* The MPI twin's flush is what moves its put at all. */
		memcpy(b->local + size - sizeof(b->seq), &b->seq,
		       sizeof(b->seq));
		rc = bk_put_nbi(b->sym, b->local, size, peer);
		return rc ? rc : bk_fence(peer);
	}
	rc = bk_put_nbi(b->sym, b->local, size, peer);

	if (!rc)
		rc = bk_fence(peer);
	return rc ? rc : bk_signal(b->flag, b->seq, peer);
}

static int loop(size_t size, long iters, void *arg, double *sec_p)
{
	struct pingpong *b = arg;
	int me = bk_rank();
	/* Larger sizes poll further on: a word no smaller size wrote. */
	uint64_t *flag = POLL_DATA ? (uint64_t *)(b->sym + size - 8) : b->flag;

	(void)sec_p;
	if (POLL_DATA && (size < 8 || size % 8))
		return -EINVAL;
	for (long i = 0; i < iters; i++) {
		int rc;

		b->seq++;
		if (me == 0) {
			rc = send_to(b, size, 1);
			if (!rc)
				rc = bk_wait_ge(flag, b->seq);
		} else {
			rc = bk_wait_ge(flag, b->seq);
			if (!rc)
				rc = send_to(b, size, 0);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o = { .min_size = 1, .max_size = 4u << 20,
				.min_ranks = 2 };
	struct pingpong b = { 0 };

	if (POLL_DATA)
		o.min_size = 8;
	bench_begin(&argc, &argv, &o, POLL_DATA ?
		    "put ping-pong round trip (one put, its last 8 bytes "
		    "polled by the peer, as ib_write_lat)" :
		    "put ping-pong round trip (put, fence, flag put; wait for "
		    "the reply's flag)", "Latency (us)");
	b.sym = bench_sym_alloc(o.max_size);
	b.flag = bench_sym_alloc(sizeof(*b.flag));
	b.local = bench_local_alloc(o.max_size);
	bench_sweep(&o, BENCH_PAIR, loop, &b, NULL);
	free(b.local);
	bk_free(b.flag);
	bk_free(b.sym);
	return bench_end();
}
