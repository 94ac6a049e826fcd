/* SPDX-License-Identifier: MIT */
/* The collectives' tunables and the one place where an algorithm is chosen
 * by message size, team size and reachability (or forced by ZC_COLL_*). */
#include <strings.h>

#include "coll.h"

struct zc_coll_params zc_coll_params;
enum zc_coll_alg zc_coll_forced[ZC_COLL_KIND_LAST];

const struct zc_param zc_coll_param_table[] = {
	{ "ZC_COLL_SMALL", ZC_PARAM_SIZE, "4K",
	  "largest message of the scratch-cell algorithms (recursive "
	  "doubling, binomial broadcast unit)", &zc_coll_params.small },
	{ "ZC_COLL_XC_WORLD", ZC_PARAM_SIZE, "128K",
	  "the world team's exchange cells, bytes per round split among the "
	  "members: blocks up to this / ranks (at most 64K) go in one hop "
	  "between ranks without load/store access",
	  &zc_coll_params.xc_world },
	{ "ZC_COLL_TEAMS", ZC_PARAM_INT, "256",
	  "teams that may exist at once (scratch slots, 2..4096; memory is "
	  "taken only by the slots of teams in use)",
	  &zc_coll_params.teams },
	{ "ZC_CHECK", ZC_PARAM_BOOL, "0",
	  "debug: collectives compare their arguments (count, root, type, "
	  "op, size) between members and fail naming the one that differs "
	  "(one allgather per argument per call)", &zc_coll_params.check },
	{ "ZC_COLL_BARRIER", ZC_PARAM_STRING, "auto",
	  "barrier (also inside every collective): auto|dissem|flat|counter "
	  "(counter: load/store teams; flat on others)",
	  &zc_coll_params.alg[ZC_COLL_BARRIER] },
	{ "ZC_COLL_BCAST", ZC_PARAM_STRING, "auto",
	  "broadcast: auto|binomial|flat|pipeline|scatter_allgather|direct",
	  &zc_coll_params.alg[ZC_COLL_BCAST] },
	{ "ZC_COLL_REDUCE", ZC_PARAM_STRING, "auto", "reduce: auto|rd|flat|direct",
	  &zc_coll_params.alg[ZC_COLL_REDUCE] },
	{ "ZC_COLL_ALLREDUCE", ZC_PARAM_STRING, "auto",
	  "allreduce: auto|rd|flat|ring|direct|cell",
	  &zc_coll_params.alg[ZC_COLL_ALLREDUCE] },
	{ "ZC_COLL_ALLGATHER", ZC_PARAM_STRING, "auto",
	  "allgather and allgatherv: auto|cell|bruck|ring|direct",
	  &zc_coll_params.alg[ZC_COLL_ALLGATHER] },
	{ "ZC_COLL_ALLTOALL", ZC_PARAM_STRING, "auto",
	  "alltoall: auto|cell|pairwise",
	  &zc_coll_params.alg[ZC_COLL_ALLTOALL] },
	{ "ZC_COLL_REDUCE_SCATTER", ZC_PARAM_STRING, "auto",
	  "reduce-scatter: auto|cell|ring|direct",
	  &zc_coll_params.alg[ZC_COLL_REDUCE_SCATTER] },
	{ NULL, 0, NULL, NULL, NULL },
};

static const char *const alg_names[ZC_ALG_LAST] = {
	[ZC_ALG_AUTO] = "auto", [ZC_ALG_DISSEM] = "dissem",
	[ZC_ALG_BINOMIAL] = "binomial",
	[ZC_ALG_SCATTER_ALLGATHER] = "scatter_allgather",
	[ZC_ALG_DIRECT] = "direct", [ZC_ALG_RD] = "rd", [ZC_ALG_RING] = "ring",
	[ZC_ALG_PAIRWISE] = "pairwise", [ZC_ALG_FLAT] = "flat",
	[ZC_ALG_CELL] = "cell", [ZC_ALG_BRUCK] = "bruck",
	[ZC_ALG_PIPELINE] = "pipeline", [ZC_ALG_COUNTER] = "counter",
};

/* Which algorithms each collective implements (bit per enum value). */
#define B(a) (1u << (a))
static const unsigned allowed[ZC_COLL_KIND_LAST] = {
	[ZC_COLL_BARRIER] = B(ZC_ALG_AUTO) | B(ZC_ALG_DISSEM) | B(ZC_ALG_FLAT) |
			    B(ZC_ALG_COUNTER),
	[ZC_COLL_BCAST] = B(ZC_ALG_AUTO) | B(ZC_ALG_BINOMIAL) | B(ZC_ALG_FLAT) |
			  B(ZC_ALG_PIPELINE) | B(ZC_ALG_SCATTER_ALLGATHER) |
			  B(ZC_ALG_DIRECT),
	[ZC_COLL_REDUCE] = B(ZC_ALG_AUTO) | B(ZC_ALG_RD) | B(ZC_ALG_DIRECT) |
			   B(ZC_ALG_FLAT),
	[ZC_COLL_ALLREDUCE] = B(ZC_ALG_AUTO) | B(ZC_ALG_RD) | B(ZC_ALG_RING) |
			      B(ZC_ALG_DIRECT) | B(ZC_ALG_FLAT) |
			      B(ZC_ALG_CELL),
	[ZC_COLL_ALLGATHER] = B(ZC_ALG_AUTO) | B(ZC_ALG_CELL) |
			      B(ZC_ALG_BRUCK) | B(ZC_ALG_RING) |
			      B(ZC_ALG_DIRECT),
	[ZC_COLL_ALLTOALL] = B(ZC_ALG_AUTO) | B(ZC_ALG_CELL) |
			     B(ZC_ALG_PAIRWISE),
	[ZC_COLL_REDUCE_SCATTER] = B(ZC_ALG_AUTO) | B(ZC_ALG_CELL) |
				   B(ZC_ALG_RING) | B(ZC_ALG_DIRECT),
};

/* Called at init, after the table was loaded: names must be known. */
int zc_coll_params_check(void)
{
	if (zc_coll_params.teams < 2 ||
	    zc_coll_params.teams > ZC_COLL_MAX_TEAMS) {
		zc_err("ZC_COLL_TEAMS=%ld: must be 2..%d", zc_coll_params.teams,
		       ZC_COLL_MAX_TEAMS);
		return -ZC_ECONFIG;
	}
	if (zc_coll_params.small < ZC_INLINE_MAX ||
	    zc_coll_params.small > (1u << 20)) {
		zc_err("ZC_COLL_SMALL=%zu: must be %d..1M",
		       zc_coll_params.small, ZC_INLINE_MAX);
		return -ZC_ECONFIG;
	}
	if (zc_coll_params.xc_world > (64u << 20)) {
		zc_err("ZC_COLL_XC_WORLD=%zu: must be at most 64M",
		       zc_coll_params.xc_world);
		return -ZC_ECONFIG;
	}
	/* Whole lines, so cells stay line-aligned. */
	zc_coll_params.small = (zc_coll_params.small + ZC_LINE - 1) &
			       ~(size_t)(ZC_LINE - 1);
	for (int k = 0; k < ZC_COLL_KIND_LAST; k++) {
		const struct zc_param *p = zc_coll_param_table;
		int a;

		while (p->dst != &zc_coll_params.alg[k])
			p++;

		for (a = 0; a < ZC_ALG_LAST; a++)
			if (!strcasecmp(zc_coll_params.alg[k], alg_names[a]))
				break;
		if (a == ZC_ALG_LAST || !(allowed[k] & B(a))) {
			zc_err("invalid value '%s' for %s (%s)",
			       zc_coll_params.alg[k], p->name, p->help);
			return -ZC_ECONFIG;
		}
		zc_coll_forced[k] = (enum zc_coll_alg)a;
	}
	return 0;
}

/* The largest non-mapped allgather (bytes per member times members) that
 * goes Bruck (log2 n steps); beyond it the ring's neighbour-only traffic
 * wins. */
#define ZC_BRUCK_MAX (64u << 10)

/*
 * The choice. Every member computes it from the same inputs (the agreed
 * `mapped`, the team size, the message size), so all pick alike. nbytes
 * is the whole message, except for allgather, alltoall and reduce-scatter:
 * there it is the largest block one member sends to another.
 *  - small messages ride in scratch cells: no entry/exit barrier, one
 *    flag line per hop (recursive doubling, binomial broadcast, the xc
 *    exchange of small allgather/alltoall/reduce-scatter);
 *  - when ranks outnumber CPUs, each wait costs a trip through the
 *    scheduler: barriers and tiny reductions go flat (gather to member 0,
 *    release from it: two waits per member instead of log2(n));
 *  - large ones on a load/store team read peers' buffers in place
 *    (direct), one copy, every core busy; oversubscribed, broadcast
 *    avoids direct's two barriers up to one pipeline chunk;
 *  - large ones across providers without load/store: one-way puts
 *    straight into the destination with a flag behind each (every
 *    blocking operation there costs a network round trip): pipelined
 *    binomial broadcast, ring allreduce and reduce-scatter, Bruck (up
 *    to 64 KiB in all) or ring allgather.
 */
enum zc_coll_alg zc_coll_select(const struct zc_team *t,
				enum zc_coll_kind kind, size_t nbytes)
{
	bool small = nbytes <= zc_coll_params.small;
	bool tiny = t->oversub && nbytes <= ZC_INLINE_MAX;
	/* Load/store teams copy twice through a cell: past a quarter of a
	 * slot's cell the barrier-framed single copy wins, unless every wait
	 * is a trip through the scheduler (then up to a whole one). Others
	 * use all they have (the world team's cells are larger). */
	bool cell = t->mapped ? nbytes <= zc_coll_layout.xc_blk /
						(t->oversub ? 1 : 4)
			      : nbytes <= t->xc_blk;
	enum zc_coll_alg f = zc_coll_forced[kind];

	/* The counter is read through the mapping. */
	if (f == ZC_ALG_COUNTER && !t->mapped)
		f = ZC_ALG_FLAT;
	/* Flat reductions carry one line, cell one xc block: forcing them
	 * covers the messages that fit, larger ones get the automatic
	 * choice. */
	if (f != ZC_ALG_AUTO && (f != ZC_ALG_FLAT || kind == ZC_COLL_BCAST ||
				 nbytes <= ZC_INLINE_MAX) &&
	    (f != ZC_ALG_CELL || nbytes <= t->xc_blk *
	     (kind == ZC_COLL_ALLREDUCE ? (size_t)t->size : 1)))
		return f;
	switch (kind) {
	case ZC_COLL_BARRIER:
		/* Not the counter, though it is faster alone (doc/
		 * collectives.md): member 0 leaving last means the root of
		 * what follows is running when the others arrive there. */
		return t->oversub ? ZC_ALG_FLAT : ZC_ALG_DISSEM;
	case ZC_COLL_BCAST:
		if (small)
			return t->oversub && t->mapped ? ZC_ALG_FLAT
						       : ZC_ALG_BINOMIAL;
		/* Up to two cells' units (the world team's are large) one
		 * hop beats the pipelined tree's two ("entered", data). */
		if (!t->mapped)
			return nbytes <= 2 * t->bc_unit ? ZC_ALG_BINOMIAL
							: ZC_ALG_PIPELINE;
		/* Direct is framed by two barriers, each a trip through the
		 * scheduler when ranks outnumber CPUs: there the cell tree
		 * (as many units as it has cells) and then the tree writing
		 * into the destinations win up to one pipeline chunk. */
		if (t->oversub && nbytes <= ZC_BC_DEPTH * zc_coll_params.small)
			return ZC_ALG_BINOMIAL;
		if (t->oversub && nbytes <= ZC_PIPE_CHUNK)
			return ZC_ALG_PIPELINE;
		return ZC_ALG_DIRECT;
	case ZC_COLL_REDUCE:
		if (tiny)
			return ZC_ALG_FLAT;
		return small ? ZC_ALG_RD : ZC_ALG_DIRECT;
	case ZC_COLL_ALLREDUCE:
		if (tiny)
			return ZC_ALG_FLAT;
		if (small)
			return ZC_ALG_RD;
		/* Through the xc cells: one hop (the whole vector to every
		 * member) when it fits a cell, two (reduce-scatter, then
		 * allgather, of blocks) when it fits n of them. Else two rd
		 * units in turn (two one-way hops) still beat the ring's
		 * three ("entered", reduce-scatter, allgather). */
		if (!t->mapped && nbytes <= (size_t)t->size * t->xc_blk)
			return ZC_ALG_CELL;
		if (!t->mapped && nbytes <= 2 * zc_coll_params.small)
			return ZC_ALG_RD;
		return t->mapped ? ZC_ALG_DIRECT : ZC_ALG_RING;
	case ZC_COLL_ALLGATHER:
		if (cell)
			return ZC_ALG_CELL;
		if (t->mapped)
			return ZC_ALG_DIRECT;
		return nbytes <= ZC_BRUCK_MAX / (size_t)t->size ? ZC_ALG_BRUCK
								 : ZC_ALG_RING;
	case ZC_COLL_ALLTOALL:
		return cell ? ZC_ALG_CELL : ZC_ALG_PAIRWISE;
	case ZC_COLL_REDUCE_SCATTER:
	default:
		if (cell)
			return ZC_ALG_CELL;
		return t->mapped ? ZC_ALG_DIRECT : ZC_ALG_RING;
	}
}
