/* SPDX-License-Identifier: MIT */
/* broadcast of 1 B .. a few MiB from every root (the large sizes from two
 * roots), on the world and on a split team; every byte of every member's
 * dest checked, bytes past the end untouched, the root's source intact. */
#include "coll_util.h"

#define BIG ((2u << 20) + 3)

static unsigned char *src, *dst;

static unsigned char pat(int root, size_t len, size_t i)
{
	return t_pattern(root, (int)(len % 251), i);
}

static void check(struct zc_team *t, size_t len, int root, int inplace)
{
	int me = zc_team_rank(t);
	unsigned char *from = inplace ? dst : src;

	memset(dst, 0xee, len + 64);
	if (me == root)
		for (size_t i = 0; i < len; i++)
			from[i] = pat(root, len, i);
	T_OK(zc_broadcast(t, dst, from, len, root));
	for (size_t i = 0; i < len; i++)
		if (dst[i] != pat(root, len, i))
			T_FAIL("broadcast of %zu B from %d (team of %d, in place "
			       "%d): byte %zu is %#x", len, root, zc_team_size(t),
			       inplace, i, dst[i]);
	for (size_t i = len; i < len + 64; i++)
		T_ASSERT(dst[i] == 0xee, "broadcast wrote past its end");
	if (me == root && !inplace)
		for (size_t i = 0; i < len; i++)
			T_ASSERT(src[i] == pat(root, len, i), "source changed");
}

static void run(struct zc_team *t)
{
	static const size_t sizes[] = { 0, 1, 7, 56, 57, 64, 4095, 4096, 4097,
					3 * 4096 + 5, 32768 + 3, 65536,
					65536 + 1 };
	int n = zc_team_size(t);

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (int root = 0; root < n; root++)
			check(t, sizes[s], root, (int)((s + (size_t)root) & 1));
	check(t, 300000, n - 1, 0);
	check(t, BIG, 0, 0);
	check(t, BIG - 7, n / 2, 1);
}

int main(void)
{
	return t_coll_main("bcast_all", BIG, &src, &dst, run);
}
