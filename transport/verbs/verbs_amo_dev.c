/* SPDX-License-Identifier: MIT */
/*
 * Device atomics (p->amo_device: ZC_VERBS_ATOMICS=auto or device, where
 * every rank of the job is a verbs peer whose device has atomics). The
 * NICs then execute every atomic of the job, a rank's atomics on its own
 * heap too (through its loopback QP, conns[rank]), so that each location
 * keeps one execution agent and no target CPU runs for an atomic. The
 * devices have 64-bit fetch-add and compare-swap. A fetch is an RDMA READ
 * of the word, not a fetch-add of 0: that would write the word back, and
 * lose a store its owner made meanwhile (the collectives' counters are
 * stored by their owner and fetched by peers). Every other op (and every
 * 32-bit op, on its aligned 64-bit word) is a read then compare-swaps
 * until one lands, each computed with the CPU's own definition of the op
 * (zc_amo_cpu) on a copy of the word; those return complete. Words are in host order on both sides, as the
 * device executes them (little-endian hosts: a 32-bit op at offset 4 is
 * the word's upper half).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verbs.h"
#include "zc_amo_cpu.h"

static uint32_t depth(void)
{
	return (uint32_t)zc_verbs_params.sq_depth;
}

int zc_verbs_amo_dev_start(struct zc_prov *p)
{
	size_t len = ((size_t)p->size + 1) * depth() * sizeof(uint64_t);

	p->amo_res = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
	if (!p->amo_res)
		return -ENOMEM;
	memset(p->amo_res, 0, len);
	p->amo_mr = ibv_reg_mr(p->pd, p->amo_res, len, IBV_ACCESS_LOCAL_WRITE);
	if (!p->amo_mr) {
		int rc = -errno;

		zc_err("verbs: ibv_reg_mr of %zu bytes for atomic results: %m",
		       len);
		return rc;
	}
	return 0;
}

void zc_verbs_amo_dev_fini(struct zc_prov *p)
{
	if (p->amo_mr)
		ibv_dereg_mr(p->amo_mr);
	free(p->amo_res);
	p->amo_mr = NULL;
	p->amo_res = NULL;
}

enum dev_op { DEV_READ, DEV_FADD, DEV_CAS };

/* Posts one device atomic (or an 8-byte READ) on c's 8-aligned word at
 * off; its result goes to the slot's amo_res entry, then to *old when it
 * retires. */
static int post(struct zc_verbs_conn *c, uint64_t off, enum dev_op op,
		uint64_t add_or_cmp, uint64_t swap, uint64_t *old,
		struct zc_comp *comp)
{
	static const enum ibv_wr_opcode opcode[] = {
		[DEV_READ] = IBV_WR_RDMA_READ,
		[DEV_FADD] = IBV_WR_ATOMIC_FETCH_AND_ADD,
		[DEV_CAS] = IBV_WR_ATOMIC_CMP_AND_SWP,
	};
	struct zc_prov *p = c->prov;
	int rc;

	pthread_mutex_lock(&c->lock);
	rc = zc_verbs_sq_reserve(c);
	if (!rc) {
		uint64_t *res = &p->amo_res[(size_t)(c - p->conns) * depth() +
					    c->sq_head % depth()];
		struct ibv_sge sge = {
			.addr = (uintptr_t)res, .length = 8,
			.lkey = p->amo_mr->lkey,
		};
		struct ibv_send_wr wr = {
			.sg_list = &sge, .num_sge = 1, .opcode = opcode[op],
		};
		struct zc_verbs_wr slot = {
			.kind = ZC_VERBS_WR_ATOMIC, .bounce = -1,
			.comp = comp, .old = old, .len = 8,
		};

		if (op == DEV_READ) {
			wr.wr.rdma.remote_addr = c->raddr + off;
			wr.wr.rdma.rkey = c->rkey;
		} else {
			wr.wr.atomic.remote_addr = c->raddr + off;
			wr.wr.atomic.compare_add = add_or_cmp;
			wr.wr.atomic.swap = swap;
			wr.wr.atomic.rkey = c->rkey;
		}
		rc = zc_verbs_sq_post(c, &wr, &slot, false);
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

/* One device atomic, waited for (bounded: the device completes or
 * fails every WR, a dead peer's flush included). */
static int run(struct zc_verbs_conn *c, uint64_t off, enum dev_op op,
	       uint64_t a, uint64_t b, uint64_t *old)
{
	struct zc_comp comp;
	unsigned spins = 0;
	int rc;

	zc_comp_init(&comp, 1);
	rc = post(c, off, op, a, b, old, &comp);
	if (rc)
		return rc;
	while (atomic_load_explicit(&comp.pending, memory_order_acquire))
		zc_verbs_wait_turn(c->prov, &spins);
	return atomic_load(&comp.status);
}

int zc_verbs_amo_dev(struct zc_prov *p, int rank, uint64_t off,
		     enum zc_amo_op op, size_t width, uint64_t value,
		     uint64_t cmp, uint64_t *old, struct zc_comp *comp)
{
	struct zc_verbs_conn *c = &p->conns[rank];
	uint64_t word = off & ~(uint64_t)7, guess, seen, part = 0;
	int rc;

	if (c->state != ZC_VERBS_UP)
		return -ZC_EPEERDEAD;
	if (width == 8 && (op == ZC_AMO_ADD || op == ZC_AMO_FETCH ||
			   op == ZC_AMO_CSWAP)) {
		rc = op == ZC_AMO_CSWAP ? post(c, off, DEV_CAS, cmp, value, old,
					       comp) :
		     op == ZC_AMO_ADD ? post(c, off, DEV_FADD, value, 0, old,
					     comp) :
		     post(c, off, DEV_READ, 0, 0, old, comp);
		return rc ? rc : ZC_INPROGRESS;
	}
	rc = run(c, word, DEV_READ, 0, 0, &guess);
	while (!rc) {
		uint64_t next = guess;

		rc = zc_amo_cpu((char *)&next + (off - word), op, width, value,
				cmp, &part);
		if (rc || next == guess)
			break;	/* nothing to write: done at the fetch */
		rc = run(c, word, DEV_CAS, guess, next, &seen);
		if (rc || seen == guess)
			break;
		guess = seen;
	}
	if (!rc && old)
		*old = part;
	return rc;
}
