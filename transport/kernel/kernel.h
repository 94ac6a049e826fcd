/* SPDX-License-Identifier: MIT */
/*
 * kernel.h: the kernel provider: user space holds no RDMA resource. The
 * zcomm module (module/, GPL) owns the connections (one per node pair,
 * shared by the node's ranks), the registrations and the completion
 * queues; this provider drives it with io_uring passthrough commands on
 * /dev/zcomm (zcomm_kernel.h): the heap and a bounce area are io_uring
 * registered buffers, registered with the module once; puts and gets are
 * RDMA WRITE/READ the module posts; atomics run on the target's kernel
 * as CPU atomics (atomic with the target node's shm peers).
 * Includes zc_provider.h, zcomm_kernel.h and liburing only.
 *
 * One thread: the application's. Nothing runs on the target's CPU in
 * user space for any op.
 */
#ifndef ZC_KERNEL_H
#define ZC_KERNEL_H

#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>

#include "zc_provider.h"
#include "zcomm_kernel.h"

struct zc_kernel_params {
	const char *device;	/* ZC_KERNEL_DEVICE */
	const char *addr;	/* ZC_KERNEL_ADDR */
	size_t bounce_slot;	/* ZC_KERNEL_BOUNCE_SLOT */
	long bounce_count;	/* ZC_KERNEL_BOUNCE_COUNT */
	size_t window;		/* ZC_KERNEL_WINDOW: put/get bytes in flight */
};
extern struct zc_kernel_params zc_kernel_params;

#define ZC_KERNEL_DEV "/dev/" ZCK_DEV_NAME
#define ZC_KERNEL_RING 256u	/* SQ entries; ops in flight at most 2x */
#define ZC_KERNEL_MAX_REQ (2u * ZC_KERNEL_RING)

/* One command in flight: its user_data. */
struct zc_kernel_req {
	struct zc_kernel_req *next_free;
	struct zc_comp *comp;	/* done at the CQE (or NULL) */
	uint64_t *old_p;	/* AMO */
	void *copy_to;		/* GET through a bounce slot */
	int slot;		/* bounce slot, or -1 */
	bool put;		/* PUT or PUT_SIGNAL: may end ZCK_RES_POSTED */
	size_t len;
	size_t window;		/* bytes it holds of the window */
	int rank;
	int *result;		/* synchronous commands: res lands here */
	uint64_t *result2;
};

struct zc_prov {
	struct zc_prov_env env;	/* a copy: core's lives only in open */
	const unsigned char *peers;
	int fd;
	struct io_uring ring;
	bool ring_ok;
	uint32_t addr;		/* my node address (network order) */
	char *bounce;
	size_t slot_size;
	int nslots;
	int *slot_free;		/* stack of free slots */
	int nfree_slots;
	uint32_t *handle;	/* per rank: the module's peer handle */
	uint64_t *max_inline;	/* per rank: its connection's inline bytes */
	bool *dead;
	struct zc_kernel_req req[ZC_KERNEL_MAX_REQ];
	struct zc_kernel_req *free_req;
	unsigned inflight;
	size_t window_used;	/* put/get bytes in flight */
	bool posted;		/* a put ended ZCK_RES_POSTED since QUIET (or
				 * any put, with flush) */
	bool flush;		/* the module's ZCK_BIND_F_FLUSH (iWARP) */
	int first_err;
};

/* kernel_ops.c */
struct zc_kernel_req *zc_kernel_req_get(struct zc_prov *p);
int zc_kernel_cmd(struct zc_prov *p, uint32_t op, const void *cmd,
		  size_t len, int buf_index, struct zc_kernel_req *r);
int zc_kernel_sync(struct zc_prov *p, uint32_t op, const void *cmd,
		   size_t len, int buf_index, uint64_t *res2);
int zc_kernel_reap(struct zc_prov *p, bool wait);
int zc_kernel_put(struct zc_prov *p, int rank, uint64_t off, const void *src,
		  size_t len, struct zc_comp *comp);
int zc_kernel_get(struct zc_prov *p, int rank, uint64_t off, void *dst,
		  size_t len, struct zc_comp *comp);
int zc_kernel_amo(struct zc_prov *p, int rank, uint64_t off,
		  enum zc_amo_op op, size_t width, uint64_t value, uint64_t cmp,
		  uint64_t *old, struct zc_comp *comp);
int zc_kernel_quiet(struct zc_prov *p);
int zc_kernel_fence(struct zc_prov *p);
int zc_kernel_quiet_local(struct zc_prov *p, int rank);
int zc_kernel_put_signal(struct zc_prov *p, int rank, uint64_t off,
			 const void *src, size_t len, uint64_t sig_off,
			 enum zc_amo_op sig_op, uint64_t sig_value,
			 struct zc_comp *comp);
int zc_kernel_progress(struct zc_prov *p);
int zc_kernel_peer_status(struct zc_prov *p, int rank);
int zc_kernel_errno(int res);

#endif /* ZC_KERNEL_H */
