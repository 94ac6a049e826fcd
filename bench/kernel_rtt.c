/* SPDX-License-Identifier: MIT */
/*
 * The io_uring passthrough round trip to the zcomm module: a QUIET with
 * nothing in flight (the module answers at issue) against an io_uring
 * NOP on the same ring: what one command to the module costs beyond
 * io_uring itself. Prints "nop_us X" and "uring_cmd_us Y" (means over N).
 *   kernel_rtt [N]
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zcomm_kernel.h"

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static double run(struct io_uring *r, int fd, int n, int nop)
{
	struct zck_cmd_hdr q = { .abi = ZCK_ABI_VERSION };
	double t0 = 0;

	for (int i = -100; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(r);
		struct io_uring_cqe *cqe;

		if (i == 0)
			t0 = now_us();
		if (!sqe)
			return -1;
		memset(sqe, 0, 2 * sizeof(*sqe));
		if (nop) {
			sqe->opcode = IORING_OP_NOP;
		} else {
			sqe->opcode = IORING_OP_URING_CMD;
			sqe->fd = fd;
			sqe->cmd_op = ZCK_OP_QUIET;
			memcpy(sqe->cmd, &q, sizeof(q));
		}
		if (io_uring_submit_and_wait(r, 1) < 1 ||
		    io_uring_wait_cqe(r, &cqe))
			return -1;
		if (!nop && cqe->res != -ENOTCONN && cqe->res != 0)
			return -1;
		io_uring_cqe_seen(r, cqe);
	}
	return (now_us() - t0) / n;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000;
	struct io_uring r;
	int fd = open("/dev/" ZCK_DEV_NAME, O_RDWR);

	if (fd < 0) {
		printf("kernel_rtt: no /dev/%s (module not loaded)\n",
		       ZCK_DEV_NAME);
		return 77;
	}
	if (io_uring_queue_init(8, &r, IORING_SETUP_SQE128 | IORING_SETUP_CQE32))
		return 1;
	printf("nop_us %.3f\n", run(&r, fd, n, 1));
	/* Unbound: the module refuses at once (-ENOTCONN), the same path
	 * length as a QUIET with nothing in flight. */
	printf("uring_cmd_us %.3f\n", run(&r, fd, n, 0));
	io_uring_queue_exit(&r);
	close(fd);
	return 0;
}
