/* SPDX-License-Identifier: MIT */
/*
 * coll.h: the collectives layer's internals: the team object, its scratch
 * slot in the symmetric heap, the signalling helpers every algorithm uses
 * and the one algorithm-selection table. Includes zcomm.h and core's
 * zc_core.h (only for the shared dissemination barrier and zc_param);
 * data moves through the public operations only (put/get/atomic/wait/
 * quiet/zc_ptr). Used by the files of collectives/; core calls
 * zc_coll_init/fini.
 */
#ifndef ZC_COLL_H
#define ZC_COLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <zcomm.h>

#include "zc_core.h"

#define ZC_LINE 64		/* one flag per cache line */
#define ZC_COLL_MAX_TEAMS 4096	/* slots: a bitmap of 64-slot words */
#define ZC_BC_DEPTH 16		/* broadcast cells per member (pipelining) */
/* The world team's broadcast unit between members without load/store:
 * one hop for up to two units, where the pipelined tree needs two. */
#define ZC_BC_WORLD_UNIT (32u << 10)
/* Payload that rides in its flag's line, from byte 16 (aligned for every
 * type, long double included). */
#define ZC_INLINE_OFF 16
#define ZC_INLINE_MAX (ZC_LINE - ZC_INLINE_OFF)
#define ZC_CHUNK (16u << 10)	/* private staging chunk of the direct paths */
#define ZC_PIPE_CHUNK (128u << 10)	/* pipelined broadcast: bytes per signal */
#define ZC_STAGE_MIN (256u << 10)	/* bounce ring of non-mapped puts */

/* Algorithms; each collective accepts a subset (coll_select.c). */
enum zc_coll_alg {
	ZC_ALG_AUTO, ZC_ALG_DISSEM, ZC_ALG_BINOMIAL, ZC_ALG_SCATTER_ALLGATHER,
	ZC_ALG_DIRECT, ZC_ALG_RD, ZC_ALG_RING, ZC_ALG_PAIRWISE, ZC_ALG_FLAT,
	ZC_ALG_CELL, ZC_ALG_BRUCK, ZC_ALG_PIPELINE, ZC_ALG_COUNTER,
	ZC_ALG_LAST
};

enum zc_coll_kind {
	ZC_COLL_BARRIER, ZC_COLL_BCAST, ZC_COLL_REDUCE, ZC_COLL_ALLREDUCE,
	ZC_COLL_ALLGATHER, ZC_COLL_ALLTOALL, ZC_COLL_REDUCE_SCATTER,
	ZC_COLL_KIND_LAST
};

/*
 * A team's scratch slot, the same offsets in every member's heap. Each
 * flag sits alone on a cache line and is written by exactly one peer per
 * use; values are epochs that only grow, so nothing is ever reset and a
 * fast member's next collective never undoes a slow member's current one.
 *   bar   dissemination rounds (core's zc_core_dissem)
 *   sig   ring/parent "your data is ready" counters (sig_seq)
 *   cons  how many broadcast units I have finished (read by writers)
 *   ag    [2][maxn] lines {epoch, value}: allgather of one u64 (parity)
 *   rd    [2][rd_cells] cells: recursive doubling (parity = rd epoch)
 *   bc    [ZC_BC_DEPTH] cells: binomial broadcast (cons gives credit)
 *   fl_in [2][maxn] lines at member 0: flat gather (parity = fl epoch)
 *   fl_out [2] lines: flat release, written by member 0
 *   cnt   at member 0: the counter barrier's arrivals (+1 each, n per
 *         barrier; only grows)
 *   pr    [maxn] lines: line j is written only by member j ("I entered",
 *         "my data to you landed", "my buffer is free": values from
 *         pr_seq, reserved per call, see zc_coll_pr_begin)
 *   xc    [2][maxn] cells of xc_blk payload: member j's block of a small
 *         exchange (allgather, alltoall, reduce-scatter, allreduce;
 *         parity = xc epoch)
 * The world team's xc cells are not in its slot but in a larger region
 * after the last slot (wxc, ZC_COLL_XC_WORLD bytes per parity), and so
 * are its broadcast cells when its members lack load/store access (wbc,
 * ZC_BC_DEPTH cells of wbc_unit): the one team every job uses gets
 * one-hop exchanges and broadcasts of mid-size messages without every
 * slot paying for them (a provider that registers the heap pins the
 * whole pool).
 * A cell is a header line {epoch, up to 48 payload bytes at 16} followed by
 * room for a larger payload.
 */
enum { ZC_SIG_LEFT, ZC_SIG_PARENT, ZC_SIG_N };

struct zc_coll_layout {
	size_t bar, sig, cons, ag, rd, bc, fl_in, fl_out, cnt, pr, xc, size;
	size_t cell;		/* bytes per cell: header + small */
	size_t xc_blk;		/* payload of an xc cell (whole lines) */
	size_t xc_cell;		/* bytes per xc cell: header + xc_blk */
	size_t wxc;		/* the world team's xc region, from the pool */
	size_t wxc_blk, wxc_cell;	/* its cells: payload, header + payload */
	size_t wbc, wbc_unit;	/* the world team's broadcast cells */
	int maxn;		/* world size: the largest team */
	int rounds;		/* dissemination rounds for the world size */
	int rd_cells;		/* cells per parity */
};

struct zc_team {
	int size;
	int me;			/* my index */
	int *world;		/* world rank of each member */
	int slot;		/* index into the scratch pool */
	char *base;		/* my scratch slot (a symmetric address) */
	char **pbase;		/* each member's slot, load/store, or NULL */
	bool mapped;		/* every member's memory is load/store here */
	bool oversub;		/* some member's node has more ranks than CPUs */
	uint64_t bar_epoch, ag_epoch, rd_epoch, bc_epoch, fl_epoch, cnt_epoch,
		 sig_seq;
	uint64_t pr_seq, xc_epoch;
	char *xc;		/* my xc cells (a symmetric address) */
	char *bc;		/* my broadcast cells (symmetric) */
	size_t bc_unit;		/* their payload */
	size_t xc_blk, xc_cell;	/* their payload, header + payload */
	char *stage;		/* private bounce ring of non-mapped puts */
	size_t stage_off;	/* bytes of it used since the last quiet */
	bool unquiet;		/* a put_fast reads its source in place */
	char *big;		/* private: ring reduce-scatter partials */
	size_t big_len;
	uint64_t *bc_known;	/* last seen cons of each member */
	char *acc;		/* private: small + ZC_LINE bytes */
	char *tmp;		/* private: 2 * ZC_CHUNK bytes */
	const char **ptrs;	/* per member, scratch for one call */
	size_t *off, *len;	/* per member, scratch for one call */
};

struct zc_coll_params {
	size_t small;		/* cell payload, recursive-doubling limit */
	size_t xc_world;	/* the world team's xc bytes per parity */
	long teams;		/* scratch slots */
	int check;		/* ZC_CHECK: members compare their arguments */
	const char *alg[ZC_COLL_KIND_LAST];
};
extern struct zc_coll_params zc_coll_params;
extern struct zc_coll_layout zc_coll_layout;
extern enum zc_coll_alg zc_coll_forced[ZC_COLL_KIND_LAST];

/* coll_select.c: the one place algorithms are chosen. nbytes: the whole
 * message, but the largest block one member sends to another for
 * allgather(v), alltoall and reduce-scatter. */
int zc_coll_params_check(void);
enum zc_coll_alg zc_coll_select(const struct zc_team *t,
				enum zc_coll_kind kind, size_t nbytes);

/* The bounce ring's size (signal.c); puts of up to a quarter of it are
 * copied there, so an xc block never exceeds that. */
static inline size_t zc_coll_stage_cap(void)
{
	size_t cap = zc_coll_params.small * 4;

	return cap < ZC_STAGE_MIN ? ZC_STAGE_MIN : cap;
}

/* First element of chunk c when count elements are cut into n chunks. */
static inline size_t zc_coll_chunk_at(size_t count, int c, int n)
{
	return (size_t)((unsigned __int128)count * (unsigned)c / (unsigned)n);
}

/* Scratch addresses in my slot. */
static inline uint64_t *zc_line(const struct zc_team *t, size_t region,
				size_t i)
{
	return (uint64_t *)(t->base + region + i * ZC_LINE);
}

static inline char *zc_cell(const struct zc_team *t, size_t region,
			    size_t i)
{
	return t->base + region + i * zc_coll_layout.cell;
}

/* signal.c */
/* Store v into member's copy of my flag word `flag`; ordered after every
 * put I issued to it before. */
int zc_coll_signal(struct zc_team *t, int member, uint64_t *flag, uint64_t v);
/* Wait until my local flag reaches v. */
int zc_coll_wait(struct zc_team *t, uint64_t *flag, uint64_t v);
/* Write len bytes and then epoch into member's copy of my cell. */
int zc_coll_cell_put(struct zc_team *t, int member, char *cell,
		     const void *data, size_t len, uint64_t epoch);
/* Wait for epoch in my cell; returns where its payload lies. */
int zc_coll_cell_wait(struct zc_team *t, char *cell, size_t len,
		      uint64_t epoch, const void **data_p);
/* Copy len bytes into member's copy of symmetric dest (load/store when
 * mapped, else a put; nbi only when src stays untouched until quiet). */
int zc_coll_put(struct zc_team *t, void *dest, const void *src, size_t len,
		int member, bool nbi);
/* The same without a blocking operation: a load/store copy when mapped,
 * else a put_nbi from a private copy (small) or from src itself, which
 * then stays read until zc_coll_finish. */
int zc_coll_put_fast(struct zc_team *t, void *dest, const void *src,
		     size_t len, int member);
/* zc_coll_put_fast, then zc_coll_signal(member, flag, v): one message
 * where the provider carries a put with signal. */
int zc_coll_put_signal(struct zc_team *t, void *dest, const void *src,
		       size_t len, int member, uint64_t *flag, uint64_t v);
/* zc_barrier: the user's ops complete (zc_core_quiet_user), then
 * zc_coll_sync without its quiet. */
int zc_coll_barrier(struct zc_team *t);
/* Every zc_coll_put_fast source may be changed again (a quiet when one
 * was put from in place). */
int zc_coll_finish(struct zc_team *t);
/* The same, for a member that only sends (the root of a broadcast, whose
 * receivers wait for its flags): its sources are free once sent, the
 * acknowledgements are not awaited (over tcp one round trip less: 1 MiB
 * broadcast at 2 ranks 255-307 -> 202-210 µs). Not for the exchanges:
 * allgather and alltoall at 1 MiB, where every member sends and
 * receives, went from 278-320 to 340-450 µs with it (not understood). */
int zc_coll_finish_sent(struct zc_team *t);
/* A private buffer of at least len bytes, kept with the team (NULL: no
 * memory). */
char *zc_coll_scratch(struct zc_team *t, size_t len);
/* Read member's copy of symmetric src. */
int zc_coll_get(struct zc_team *t, void *dest, const void *src, size_t len,
		int member);
/* Load/store view of member's copy of a symmetric object (mapped teams). */
static inline const char *zc_coll_peer(const struct zc_team *t,
				       const void *sym, int member)
{
	return zc_ptr(sym, t->world[member]);
}
/* Every member gives one u64; out[i] is member i's. */
int zc_coll_ag64(struct zc_team *t, uint64_t mine, uint64_t *out);
/* ZC_CHECK=1 only (else 0 at once): the members compare n arguments
 * (one allgather each, the same number on every member); the first that
 * differs is logged with its name, the member that differs and both
 * values, and the call fails with -EINVAL on every member. */
int zc_coll_agree(struct zc_team *t, const char *fn, int n,
		  const char *const names[], const uint64_t vals[]);
/* Gather to member 0, combine there in member order, release everyone
 * with the result (len <= ZC_INLINE_MAX; 0 for a plain barrier). Two
 * passes through the scheduler where recursive doubling and
 * dissemination need log2(n): the choice when ranks outnumber CPUs. */
int zc_coll_flat(struct zc_team *t, void *out, const void *data,
		 size_t count, size_t len, enum zc_dtype type, enum zc_op op);
/* Reserve k values of the per-writer lines (pr) for one call: every
 * member calls it alike; returns the base (values base+1 .. base+k). A
 * writer writes its line at a peer only with this call's values, and
 * never the next call's before the reader has passed its wait (each use
 * makes sure of that: see the callers). */
static inline uint64_t zc_coll_pr_begin(struct zc_team *t, uint64_t k)
{
	uint64_t b = t->pr_seq;

	t->pr_seq += k;
	return b;
}
/* My line at member m (written by me) and m's line here (read by me). */
int zc_coll_pr_signal(struct zc_team *t, int m, uint64_t v);
int zc_coll_pr_wait(struct zc_team *t, int m, uint64_t v);
/* Small exchanges through the xc cells: the epoch of this call; put my
 * block for member j (j != me); wait for member j's block to me. */
uint64_t zc_coll_xc_begin(struct zc_team *t);
int zc_coll_xc_put(struct zc_team *t, uint64_t e, int j, const void *data,
		   size_t len);
int zc_coll_xc_wait(struct zc_team *t, uint64_t e, int j, size_t len,
		    const void **data_p);
/* Barrier over the team; quiet first when `quiet`. */
int zc_coll_sync(struct zc_team *t, bool quiet);

/* Argument checks shared by every collective; log and return -ZC_E*. */
int zc_coll_check(const struct zc_team *t, const char *fn);
int zc_coll_check_root(const struct zc_team *t, int root, const char *fn);
int zc_coll_check_buf(const void *buf, size_t len, const char *fn,
		      const char *what);

/* reduce_op.c: out[i] = lo[i] op hi[i]; out may alias lo or hi. */
int zc_coll_op_check(enum zc_dtype type, enum zc_op op, const char *fn);
void zc_coll_combine(enum zc_dtype type, enum zc_op op, void *out,
		     const void *lo, const void *hi, size_t count);

/* The reduction algorithms (allreduce.c, reduce_direct.c). */
enum zc_red_mode { ZC_RED_ALL, ZC_RED_ROOT, ZC_RED_SCATTER };
int zc_coll_red_rd(struct zc_team *t, void *dest, const void *src,
		   size_t count, enum zc_dtype type, enum zc_op op, int root);
int zc_coll_red_flat(struct zc_team *t, void *dest, const void *src,
		     size_t count, enum zc_dtype type, enum zc_op op, int root);
int zc_coll_red_ring(struct zc_team *t, void *dest, const void *src,
		     size_t count, enum zc_dtype type, enum zc_op op);
int zc_coll_red_direct(struct zc_team *t, void *dest, const void *src,
		       size_t count, enum zc_dtype type, enum zc_op op,
		       enum zc_red_mode mode, int root);
/* reduce_scatter.c: reduce-scatter and allreduce through the xc cells,
 * and the ring reduce-scatter. */
int zc_coll_rs_cell(struct zc_team *t, void *dest, const void *src,
		    size_t count, enum zc_dtype type, enum zc_op op);
int zc_coll_ar_cell(struct zc_team *t, void *dest, const void *src,
		    size_t count, enum zc_dtype type, enum zc_op op);
/* allgather.c: member j's t->len[j] bytes land at dest + t->off[j] on
 * every member, through the xc cells (src: my block). */
int zc_coll_ag_cell(struct zc_team *t, char *dest, const char *src);
int zc_coll_rs_ring(struct zc_team *t, void *dest, const void *src,
		    size_t count, enum zc_dtype type, enum zc_op op);

/* team.c */
int zc_coll_init(void);
void zc_coll_fini(void);

#endif /* ZC_COLL_H */
