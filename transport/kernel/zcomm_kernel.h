/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * zcomm_kernel.h: the user/kernel interface of the zcomm kernel module
 * (transport/kernel/module/), shared by the module and the user-space
 * kernel provider (transport/kernel/). Nothing else.
 *
 * A process opens /dev/zcomm and creates an io_uring with
 * IORING_SETUP_SQE128 | IORING_SETUP_CQE32. Every request is an
 * IORING_OP_URING_CMD on that file: sqe->cmd_op is a ZCK_OP_*, the
 * 80-byte command area (sqe->cmd) holds the matching struct below, the
 * rest of it zero. The CQE's res is 0 (or a non-negative result named
 * below) or a negative errno; big_cqe[0] carries an atomic's old value.
 * read() on the file gives a text report: version, devices, the
 * addresses that reach them ("addr A dev D" lines), connections and
 * their counters.
 *
 * The order of a process's life: BIND (once), REG (the buffers put and
 * get may use, from io_uring registered buffers: IORING_URING_CMD_FIXED
 * and sqe->buf_index; the first is the heap peers reach), ATTACH (one per
 * remote rank), then PUT, GET, AMO, PUT_SIGNAL, FENCE, QUIET in any
 * number.
 *
 * A PUT (or PUT_SIGNAL) small enough to go inline completes when it is
 * posted, with res ZCK_RES_POSTED: its source is free, its WRITE may be
 * in flight still; the next QUIET waits for it and reports its error.
 * FENCE and PUT_SIGNAL order behind every earlier command of the file
 * that io_uring issued in submission order (not IOSQE_ASYNC).
 */
#ifndef ZCOMM_KERNEL_H
#define ZCOMM_KERNEL_H

#include <linux/types.h>

#define ZCK_ABI_VERSION 3u
#define ZCK_DEV_NAME "zcomm"
#define ZCK_CMD_AREA 80u
#define ZCK_JOB_KEY_SIZE 16u
#define ZCK_DEV_NAME_MAX 32u

enum zck_op {
	ZCK_OP_BIND = 1,	/* struct zck_cmd_bind; res 0, big_cqe[0] flags */
	ZCK_OP_REG = 2,		/* struct zck_cmd_reg; res = registration id */
	ZCK_OP_ATTACH = 3,	/* struct zck_cmd_attach; res = peer handle */
	ZCK_OP_PUT = 4,		/* struct zck_cmd_rma: local -> remote */
	ZCK_OP_GET = 5,		/* struct zck_cmd_rma: remote -> local */
	ZCK_OP_AMO = 6,		/* struct zck_cmd_amo; big_cqe[0] = old */
	ZCK_OP_QUIET = 7,	/* struct zck_cmd_hdr: every earlier op done */
	ZCK_OP_FENCE = 8,	/* struct zck_cmd_hdr: every earlier op ordered */
	ZCK_OP_PUT_SIGNAL = 9,	/* struct zck_cmd_put_signal */
	ZCK_OP_LAST
};

/* BIND's flags. FLUSH: the device completes a WRITE when it has left,
 * before the target placed it (iWARP): a completed PUT is not yet
 * visible there, and only a QUIET after it makes it so (the module ends
 * the QUIET with a READ to every peer written to). */
#define ZCK_BIND_F_FLUSH 1u

/* A PUT's res: posted inline, source free, not yet complete. */
#define ZCK_RES_POSTED 1

/* Every command starts with this. */
struct zck_cmd_hdr {
	__u32 abi;		/* ZCK_ABI_VERSION */
	__u32 handle;		/* PUT/GET/AMO: an ATTACH result; else 0 */
};

/* Names the job (a secret its ranks share: another job cannot guess it),
 * the rank, and the local address whose RDMA device carries the
 * traffic: addr (IPv4, network order), or dev by name, or neither for
 * the first device by name that has an IPv4 address. */
struct zck_cmd_bind {
	struct zck_cmd_hdr h;
	__u8 job[ZCK_JOB_KEY_SIZE];
	__u32 rank;
	__u32 addr;
	char dev[ZCK_DEV_NAME_MAX];	/* NUL-terminated or empty */
};

/* Registers [addr, addr + len) of io_uring registered buffer
 * sqe->buf_index (page-aligned): the first registration is the one
 * remote ranks reach (the symmetric heap), at offsets from its start;
 * later ones (bounce buffers) are local sources and sinks only. */
struct zck_cmd_reg {
	struct zck_cmd_hdr h;
	__u64 addr;
	__u64 len;
};

/* Reaches rank (of my job: the target's module checks the job key)
 * whose node address is addr (as that rank published it), once that rank
 * has registered its heap (the module asks again until the timeout).
 * Connects to the node if no connection exists yet (one per node pair).
 * big_cqe[0]: the connection's inline limit in bytes (PUT_SIGNAL needs
 * 8; 0 means it fails with -EOPNOTSUPP). */
struct zck_cmd_attach {
	struct zck_cmd_hdr h;
	__u32 rank;
	__u32 addr;
};

/* len bytes between local addr (inside one of my registrations) and
 * remote offset off of the peer's heap. */
struct zck_cmd_rma {
	struct zck_cmd_hdr h;
	__u64 off;
	__u64 addr;
	__u64 len;
};

/* A put (len may be 0), then an 8-byte WRITE of sig_value at the peer's
 * heap offset sig_off (8-aligned), which RC executes after the data's
 * WRITEs: the target sees the signal only with the data in place. It
 * waits for nothing, so the caller issues a FENCE first when earlier
 * commands must be ordered before it. */
struct zck_cmd_put_signal {
	struct zck_cmd_hdr h;
	__u64 off;
	__u64 addr;
	__u64 len;
	__u64 sig_off;
	__u64 sig_value;
};

/* An atomic at the peer's heap offset off (aligned to width), executed
 * by the target's kernel as a CPU atomic (so atomic with the target
 * node's shared-memory peers). op: enum zc_amo_op of include/zcomm.h. */
struct zck_cmd_amo {
	struct zck_cmd_hdr h;
	__u64 off;
	__u64 value;
	__u64 cmp;
	__u8 op;
	__u8 width;		/* 4 or 8 */
	__u8 fetch;		/* 1: the old value is wanted */
	__u8 pad[5];
};

#endif /* ZCOMM_KERNEL_H */
