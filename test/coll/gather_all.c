/* SPDX-License-Identifier: MIT */
/* allgather, allgatherv (per-member sizes, some zero) and alltoall, from
 * 0 B to about a MiB per member, on the world and a split team; every
 * block checked for who sent it and where it landed, bytes past the end
 * untouched. */
#include "coll_util.h"

#define BIG (4u << 20)

static unsigned char *src, *dst;

/* Byte i of the block member `from` sends to member `to`. */
static unsigned char pat(int from, int to, size_t len, size_t i)
{
	return t_pattern(from, to + (int)(len % 97), i);
}

static void check_allgather(struct zc_team *t, size_t len)
{
	int n = zc_team_size(t), me = zc_team_rank(t);

	for (size_t i = 0; i < len; i++)
		src[i] = pat(me, 0, len, i);
	memset(dst, 0xee, len * (size_t)n + 64);
	T_OK(zc_allgather(t, dst, src, len));
	for (int j = 0; j < n; j++)
		for (size_t i = 0; i < len; i++)
			if (dst[(size_t)j * len + i] != pat(j, 0, len, i))
				T_FAIL("allgather %zu B (team of %d): block %d "
				       "byte %zu", len, n, j, i);
	for (size_t i = 0; i < 64; i++)
		T_ASSERT(dst[len * (size_t)n + i] == 0xee, "past the end");
}

static size_t vlen(int j, size_t scale)
{
	return j % 3 == 1 ? 0 : ((size_t)j * 37 + 5) * scale;
}

static void check_allgatherv(struct zc_team *t, size_t scale)
{
	int n = zc_team_size(t), me = zc_team_rank(t);
	size_t off = 0;

	for (size_t i = 0; i < vlen(me, scale); i++)
		src[i] = pat(me, 1, scale, i);
	memset(dst, 0xee, BIG);
	T_OK(zc_allgatherv(t, dst, src, vlen(me, scale)));
	for (int j = 0; j < n; j++) {
		for (size_t i = 0; i < vlen(j, scale); i++)
			if (dst[off + i] != pat(j, 1, scale, i))
				T_FAIL("allgatherv scale %zu (team of %d): "
				       "block %d byte %zu", scale, n, j, i);
		off += vlen(j, scale);
	}
	for (size_t i = 0; i < 64; i++)
		T_ASSERT(dst[off + i] == 0xee, "allgatherv past the end");
}

static void check_alltoall(struct zc_team *t, size_t len)
{
	int n = zc_team_size(t), me = zc_team_rank(t);

	for (int j = 0; j < n; j++)
		for (size_t i = 0; i < len; i++)
			src[(size_t)j * len + i] = pat(me, j, len, i);
	memset(dst, 0xee, len * (size_t)n + 64);
	T_OK(zc_alltoall(t, dst, src, len));
	for (int j = 0; j < n; j++)
		for (size_t i = 0; i < len; i++)
			if (dst[(size_t)j * len + i] != pat(j, me, len, i))
				T_FAIL("alltoall %zu B (team of %d): block from "
				       "%d byte %zu", len, n, j, i);
	for (size_t i = 0; i < 64; i++)
		T_ASSERT(dst[len * (size_t)n + i] == 0xee, "past the end");
}

static void run(struct zc_team *t)
{
	static const size_t sizes[] = { 0, 1, 3, 8, 64, 1000, 4097, 65536 };
	int n = zc_team_size(t);

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		check_allgather(t, sizes[s]);
		check_alltoall(t, sizes[s]);
	}
	check_allgather(t, (BIG - 64) / (size_t)n);
	check_alltoall(t, (BIG - 64) / (size_t)n / 4 + 1);
	for (size_t scale = 1; scale < 5000; scale *= 9)
		check_allgatherv(t, scale);
}

int main(void)
{
	return t_coll_main("gather_all", BIG, &src, &dst, run);
}
