/* SPDX-License-Identifier: MIT */
/* Teams: the scratch pool (in the library's part of the heap), the world and
 * node teams, strided and 2D splits, translation and destruction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coll.h"

struct zc_coll_layout zc_coll_layout;

static char *pool;		/* ZC_COLL_TEAMS slots, symmetric (core's) */
static uint64_t free_map[ZC_COLL_MAX_TEAMS / 64];	/* free slots here */
static struct zc_team *slot_team[ZC_COLL_MAX_TEAMS];

static int map_words(void)
{
	return (int)((zc_coll_params.teams + 63) / 64);
}

static void slot_take(int slot)
{
	free_map[slot / 64] &= ~(1ull << (slot % 64));
}

static void slot_give(int slot)
{
	free_map[slot / 64] |= 1ull << (slot % 64);
	slot_team[slot] = NULL;
}
static struct zc_team *world_team, *node_team;

/* Payload per member of an xc region of `total` bytes per parity: whole
 * lines, at least a line's inline payload, at most what a put copies to
 * its bounce ring (so a cell's put never waits for a quiet). */
static size_t xc_blk(size_t total, int maxn)
{
	size_t b = total / (size_t)maxn, max = zc_coll_stage_cap() / 4;

	if (b < ZC_INLINE_MAX)
		b = ZC_INLINE_MAX;
	b = (b + ZC_LINE - 1) & ~(size_t)(ZC_LINE - 1);
	return b > max ? max : b;
}

static void layout_compute(int maxn)
{
	struct zc_coll_layout *l = &zc_coll_layout;
	size_t off = 0;

	l->maxn = maxn;
	for (l->rounds = 1; (1 << l->rounds) < maxn; l->rounds++)
		;
	l->rd_cells = l->rounds + 2;
	l->cell = ZC_LINE + zc_coll_params.small;
	l->bar = off;
	off += (size_t)l->rounds * ZC_LINE;
	l->sig = off;
	off += ZC_SIG_N * ZC_LINE;
	l->cons = off;
	off += ZC_LINE;
	l->ag = off;
	off += 2 * (size_t)maxn * ZC_LINE;
	l->rd = off;
	off += 2 * (size_t)l->rd_cells * l->cell;
	l->bc = off;
	off += ZC_BC_DEPTH * l->cell;
	l->fl_in = off;
	off += 2 * (size_t)maxn * ZC_LINE;
	l->fl_out = off;
	off += 2 * ZC_LINE;
	l->cnt = off;
	off += ZC_LINE;
	l->pr = off;
	off += (size_t)maxn * ZC_LINE;
	/* Small exchanges: a world-sized team shares four cells' worth (a
	 * one-way hop where the paths past them need two or three). */
	l->xc_blk = xc_blk(4 * zc_coll_params.small, maxn);
	l->xc_cell = ZC_LINE + l->xc_blk;
	l->xc = off;
	off += 2 * (size_t)maxn * l->xc_cell;
	l->size = off;
	/* The world team's, after the last slot. */
	l->wxc_blk = xc_blk(zc_coll_params.xc_world, maxn);
	if (l->wxc_blk < l->xc_blk)
		l->wxc_blk = l->xc_blk;
	l->wxc_cell = ZC_LINE + l->wxc_blk;
	l->wxc = (size_t)zc_coll_params.teams * l->size;
	l->wbc_unit = zc_coll_params.small > ZC_BC_WORLD_UNIT ?
		      zc_coll_params.small : ZC_BC_WORLD_UNIT;
	l->wbc = l->wxc + 2 * (size_t)maxn * l->wxc_cell;
}

static void team_free(struct zc_team *t)
{
	if (!t)
		return;
	free(t->world);
	free(t->pbase);
	free(t->bc_known);
	free(t->acc);
	free(t->tmp);
	free(t->ptrs);
	free(t->off);
	free(t->len);
	free(t->stage);
	free(t->big);
	free(t);
}

/* A team over world ranks `world` (n of them; I am member me) using
 * scratch slot `slot`, which the caller has zeroed everywhere. */
static int team_new(const int *world, int n, int me, int slot,
		    struct zc_team **team_p)
{
	struct zc_team *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->size = n;
	t->me = me;
	t->slot = slot;
	t->base = pool + (size_t)slot * zc_coll_layout.size;
	if (slot) {
		t->xc = t->base + zc_coll_layout.xc;
		t->xc_blk = zc_coll_layout.xc_blk;
	} else {
		t->xc = pool + zc_coll_layout.wxc;
		t->xc_blk = zc_coll_layout.wxc_blk;
	}
	t->xc_cell = ZC_LINE + t->xc_blk;
	t->bc = t->base + zc_coll_layout.bc;
	t->bc_unit = zc_coll_params.small;
	t->world = malloc((size_t)n * sizeof(int));
	t->pbase = calloc((size_t)n, sizeof(char *));
	t->bc_known = calloc((size_t)n, sizeof(uint64_t));
	t->acc = malloc(zc_coll_params.small + ZC_LINE);
	t->tmp = malloc(2 * ZC_CHUNK);
	t->ptrs = calloc((size_t)n, sizeof(*t->ptrs));
	t->off = calloc((size_t)n, sizeof(size_t));
	t->len = calloc((size_t)n, sizeof(size_t));
	if (!t->world || !t->pbase || !t->bc_known || !t->acc || !t->tmp ||
	    !t->ptrs || !t->off || !t->len) {
		team_free(t);
		return -ENOMEM;
	}
	memcpy(t->world, world, (size_t)n * sizeof(int));
	t->mapped = true;
	for (int i = 0; i < n; i++) {
		t->pbase[i] = zc_core_ptr(t->base, world[i]);
		t->mapped &= t->pbase[i] != NULL;
	}
	slot_team[slot] = t;
	slot_take(slot);
	*team_p = t;
	return 0;
}

/* Members must pick the same algorithms: agree on load/store reach (all
 * must have it) and oversubscription (any member's node suffices). */
static int team_agree(struct zc_team *t)
{
	uint64_t *all = malloc((size_t)t->size * sizeof(uint64_t));
	bool over = zc_core_oversubscribed();
	int rc;

	if (!all)
		return -ENOMEM;
	rc = zc_coll_ag64(t, (uint64_t)t->mapped | (uint64_t)over << 1, all);
	for (int i = 0; i < t->size && !rc; i++) {
		t->mapped &= (all[i] & 1) != 0;
		t->oversub |= (all[i] & 2) != 0;
	}
	free(all);
	return rc;
}

/* The arguments of a split, unpacked from its key, for the log. */
typedef void key_describe_fn(uint64_t key, char *buf, size_t len);

static void strided_describe(uint64_t key, char *buf, size_t len)
{
	if (key == UINT64_MAX)
		snprintf(buf, len, "invalid arguments");
	else
		snprintf(buf, len, "start %d, stride %ld, size %d",
			 (int)(key >> 42),
			 (long)((key >> 21) & 0x1fffff) - (1L << 20),
			 (int)(key & 0x1fffff));
}

static void twod_describe(uint64_t key, char *buf, size_t len)
{
	if (key == UINT64_MAX)
		snprintf(buf, len, "invalid arguments");
	else
		snprintf(buf, len, "xrange %llu", (unsigned long long)key);
}

/* Every member learns the keys of all: the first that differs from mine
 * (or my own invalid one, logged by the caller) fails the split on every
 * member alike. One line, naming the two values that differ. */
static int keys_agree(struct zc_team *parent, uint64_t key, uint64_t *all,
		      key_describe_fn *describe)
{
	char theirs[96], mine[96];
	int rc = zc_coll_ag64(parent, key, all);

	if (rc)
		return rc;
	if (key == UINT64_MAX)
		return -ZC_ETEAM;
	for (int i = 0; i < parent->size; i++) {
		if (all[i] == key)
			continue;
		describe(all[i], theirs, sizeof(theirs));
		describe(key, mine, sizeof(mine));
		zc_err("team split: arguments differ between members: member "
		       "%d of the parent gave (%s), I (member %d) gave (%s)",
		       i, theirs, parent->me, mine);
		return -ZC_ETEAM;
	}
	return 0;
}

/* nt slots free on every parent member, lowest first, the same on all:
 * the members AND their free maps, a word at a time, until enough are
 * found (usually in the first word: one allgather, as before). */
static int slots_agree(struct zc_team *parent, uint64_t *all, int nt,
		       int slots[])
{
	int found = 0, rc = 0;

	for (int w = 0; w < map_words() && found < nt && !rc; w++) {
		uint64_t mask = ~0ull;

		rc = zc_coll_ag64(parent, free_map[w], all);
		for (int i = 0; i < parent->size && !rc; i++)
			mask &= all[i];
		while (!rc && mask && found < nt) {
			slots[found++] = w * 64 + __builtin_ctzll(mask);
			mask &= mask - 1;
		}
	}
	if (!rc && found < nt) {
		zc_err("team split: all %ld team scratch slots are in use on "
		       "some member of the parent; destroy teams or raise "
		       "ZC_COLL_TEAMS (at most %d)", zc_coll_params.teams,
		       ZC_COLL_MAX_TEAMS);
		rc = -ZC_ETEAM;
	}
	return rc;
}

/*
 * Split parent into nt families of teams at once (1 for strided, 2 for
 * 2D). key must be equal on every parent member (the arguments, packed;
 * UINT64_MAX when mine were invalid), so that disagreement is an error on
 * every member rather than a hang. members[s] lists my team's world
 * ranks in split s (NULL when I am in none), n[s] its size, me[s] my index.
 * Teams of one split are disjoint, so they share one slot number.
 */
static int team_split(struct zc_team *parent, uint64_t key,
		      key_describe_fn *describe, int nt,
		      int *const members[], const int n[], const int me[],
		      struct zc_team **out[])
{
	uint64_t *all = malloc((size_t)parent->size * sizeof(uint64_t));
	int slots[2], rc;

	if (!all)
		return -ENOMEM;
	rc = keys_agree(parent, key, all, describe);
	if (!rc)
		rc = slots_agree(parent, all, nt, slots);
	free(all);
	for (int s = 0; s < nt && !rc; s++) {
		if (!members[s])
			continue;
		memset(pool + (size_t)slots[s] * zc_coll_layout.size, 0,
		       zc_coll_layout.size);
		rc = team_new(members[s], n[s], me[s], slots[s], out[s]);
	}
	/* Nobody writes into a new slot before its owner has zeroed it. The
	 * barrier runs even after a local failure (e.g. ENOMEM), so nobody
	 * hangs; the creation then fails on that member only. */
	if (!rc || rc == -ENOMEM) {
		int r2 = zc_coll_sync(parent, true);

		rc = rc ? rc : r2;
	}
	for (int s = 0; s < nt && !rc; s++)
		if (members[s])
			rc = team_agree(*out[s]);
	return rc;
}

static int check_parent(const struct zc_team *parent, const char *fn)
{
	return zc_coll_check(parent, fn);
}

int zc_team_split_strided(struct zc_team *parent, int start, int stride,
			  int size, struct zc_team **team_p)
{
	int *members = NULL, n = 0, me = -1, rc;
	uint64_t key = UINT64_MAX;
	long last;
	bool valid;

	rc = check_parent(parent, __func__);
	if (rc)
		return rc;
	if (!team_p) {
		zc_err("%s: team_p is NULL", __func__);
		return -EINVAL;
	}
	*team_p = NULL;
	/* One member: any stride names the same PE. A negative stride
	 * walks the parent downwards (member i is start + i * stride). */
	if (size == 1)
		stride = 1;
	last = (long)start + (long)(size - 1) * stride;
	valid = size >= 1 && size <= parent->size && stride != 0 &&
		stride >= -parent->size && stride <= parent->size &&
		start >= 0 && start < parent->size && last >= 0 &&
		last < parent->size;
	if (!valid)
		zc_err("%s: start %d, stride %d, size %d do not fit a parent "
		       "of %d", __func__, start, stride, size, parent->size);
	if (valid) {
		long d = (long)parent->me - start;

		/* The stride, biased to stay positive, in 21 bits. */
		key = (uint64_t)start << 42 |
		      (uint64_t)(stride + (1L << 20)) << 21 | (uint64_t)size;
		if (d % stride == 0 && d / stride >= 0 && d / stride < size) {
			me = (int)(d / stride);
			n = size;
			members = malloc((size_t)size * sizeof(int));
			if (!members)
				key = UINT64_MAX;	/* fail everywhere */
			for (int i = 0; members && i < size; i++)
				members[i] = parent->world[start + i * stride];
		}
	}
	{
		struct zc_team **outs[1] = { team_p };

		rc = team_split(parent, key, strided_describe, 1, &members,
				&n, &me, outs);
	}
	free(members);
	if (rc && *team_p) {
		slot_give((*team_p)->slot);
		team_free(*team_p);
		*team_p = NULL;
	}
	return rc;
}

int zc_team_split_2d(struct zc_team *parent, int xrange,
		     struct zc_team **xteam_p, struct zc_team **yteam_p)
{
	int *members[2] = { NULL, NULL }, n[2], me[2], rc, p, row, col;
	uint64_t key = UINT64_MAX;

	rc = check_parent(parent, __func__);
	if (rc)
		return rc;
	if (!xteam_p || !yteam_p) {
		zc_err("%s: xteam_p or yteam_p is NULL", __func__);
		return -EINVAL;
	}
	*xteam_p = *yteam_p = NULL;
	p = parent->size;
	if (xrange > p)
		xrange = p;
	if (xrange >= 1)
		key = (uint64_t)xrange;
	else
		zc_err("%s: xrange %d must be positive", __func__, xrange);
	if (xrange < 1)
		xrange = 1;
	row = parent->me / xrange;
	col = parent->me % xrange;
	n[0] = p - row * xrange < xrange ? p - row * xrange : xrange;
	me[0] = col;
	n[1] = (p - col + xrange - 1) / xrange;
	me[1] = row;
	members[0] = malloc((size_t)n[0] * sizeof(int));
	members[1] = malloc((size_t)n[1] * sizeof(int));
	if (!members[0] || !members[1])
		key = UINT64_MAX;
	for (int i = 0; members[0] && i < n[0]; i++)
		members[0][i] = parent->world[row * xrange + i];
	for (int i = 0; members[1] && i < n[1]; i++)
		members[1][i] = parent->world[col + i * xrange];
	{
		struct zc_team **outs[2] = { xteam_p, yteam_p };

		rc = team_split(parent, key, twod_describe, 2, members, n, me,
				outs);
	}
	free(members[0]);
	free(members[1]);
	for (int s = 0; rc && s < 2; s++) {
		struct zc_team **tp = s ? yteam_p : xteam_p;

		if (*tp) {
			slot_give((*tp)->slot);
			team_free(*tp);
			*tp = NULL;
		}
	}
	return rc;
}

int zc_team_destroy(struct zc_team *team)
{
	int rc = zc_coll_check(team, __func__);

	if (rc)
		return rc;
	if (team == world_team || team == node_team) {
		zc_err("%s: the world and node teams live until finalize",
		       __func__);
		return -ZC_ETEAM;
	}
	/* Collective: nobody may still be writing into the slot when a
	 * later split hands it out again. */
	rc = zc_coll_sync(team, true);
	slot_give(team->slot);
	team_free(team);
	return rc;
}

struct zc_team *zc_team_world(void)
{
	return world_team;
}

struct zc_team *zc_team_node(void)
{
	return node_team;
}

int zc_team_rank(const struct zc_team *team)
{
	return team ? team->me : -1;
}

int zc_team_size(const struct zc_team *team)
{
	return team ? team->size : -ZC_ETEAM;
}

int zc_team_translate(const struct zc_team *src, int src_rank,
		      const struct zc_team *dst)
{
	if (!src || !dst || src_rank < 0 || src_rank >= src->size)
		return -1;
	for (int i = 0; i < dst->size; i++)
		if (dst->world[i] == src->world[src_rank])
			return i;
	return -1;
}

int zc_coll_scratch_size(int n, size_t *size_p)
{
	int rc = zc_coll_params_check();

	if (rc)
		return rc;
	layout_compute(n);
	*size_p = zc_coll_layout.wbc +
		  ZC_BC_DEPTH * (ZC_LINE + zc_coll_layout.wbc_unit);
	return 0;
}

int zc_coll_init(void)
{
	const int *local;
	int *all, rc, n = zc_size(), nl;
	size_t size;

	rc = zc_coll_scratch_size(n, &size);
	if (rc)
		return rc;
	/* Core made it with the heap (zeros, like a fresh file). */
	pool = zc_ctx->coll_pool;
	memset(free_map, 0, sizeof(free_map));
	for (int s = 0; s < zc_coll_params.teams; s++)
		slot_give(s);
	all = malloc((size_t)n * sizeof(int));
	if (!all)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		all[i] = i;
	rc = team_new(all, n, zc_rank(), 0, &world_team);
	free(all);
	nl = zc_local_ranks(&local);
	/* Node teams are disjoint: they all use slot 1. */
	if (!rc)
		rc = team_new(local, nl, zc_local_rank(), 1, &node_team);
	if (!rc)
		rc = team_agree(world_team);
	if (!rc)
		rc = team_agree(node_team);
	/* Before any broadcast; mapped members copy in place instead. */
	if (!rc && !world_team->mapped) {
		world_team->bc = pool + zc_coll_layout.wbc;
		world_team->bc_unit = zc_coll_layout.wbc_unit;
	}
	return rc;
}

void zc_coll_fini(void)
{
	for (int s = 0; s < ZC_COLL_MAX_TEAMS; s++) {
		team_free(slot_team[s]);
		slot_team[s] = NULL;
	}
	world_team = node_team = NULL;
	pool = NULL;
}
