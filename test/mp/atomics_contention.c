/* SPDX-License-Identifier: MIT */
/* Every atomic, 32 and 64 bit, hit by all ranks at once on rank 0's
 * words (and each rank's own); final values checked exactly. */
#include <errno.h>
#include <string.h>

#include <stdlib.h>

#include "t_helpers.h"

/* ZC_TEST_ITERS overrides (the verbs runs under qemu use fewer). */
static int ITERS = 2000;

struct cells {
	uint64_t add64, fadd64, cswap64, swap64, and64, or64, xor64, set64;
	uint32_t add32, fadd32, cswap32, swap32, and32, or32, xor32, set32;
};

int main(void)
{
	struct cells *c;
	int me, n;
	uint64_t old;

	if (getenv("ZC_TEST_ITERS"))
		ITERS = atoi(getenv("ZC_TEST_ITERS"));
	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_OK(zc_calloc(1, sizeof(*c), (void **)&c));
	c->and64 = ~0ull;
	c->and32 = ~0u;
	T_OK(zc_barrier_all());

	for (int t = 0; t < n; t++) {
		for (int i = 0; i < ITERS; i++) {
			T_OK(zc_atomic(ZC_AMO_ADD, &c->add64, 8, 3, 0, t, NULL));
			T_OK(zc_atomic(ZC_AMO_ADD, &c->add32, 4, 5, 0, t, NULL));
			T_OK(zc_atomic(ZC_AMO_ADD, &c->fadd64, 8, 1, 0, t, &old));
			T_ASSERT(old < (uint64_t)n * ITERS, "fetch-add64 old %lu", (unsigned long)old);
			T_OK(zc_atomic(ZC_AMO_ADD, &c->fadd32, 4, 1, 0, t, &old));
			T_ASSERT(old < (uint64_t)n * ITERS, "fetch-add32 old %lu", (unsigned long)old);
			/* cswap increment loop: exactly one winner per value. */
			uint64_t cur = 0;

			T_OK(zc_atomic(ZC_AMO_FETCH, &c->cswap64, 8, 0, 0, t, &cur));
			for (;;) {
				T_OK(zc_atomic(ZC_AMO_CSWAP, &c->cswap64, 8, cur + 1, cur, t, &old));
				if (old == cur)
					break;
				cur = old;
			}
			cur = 0;
			for (;;) {
				T_OK(zc_atomic(ZC_AMO_CSWAP, &c->cswap32, 4, cur + 1, cur, t, &old));
				if (old == cur)
					break;
				cur = old;
			}
		}
		/* Bit ops: rank r owns bit r (of 64) and bit r % 32. */
		T_OK(zc_atomic(ZC_AMO_OR, &c->or64, 8, 1ull << (me % 64), 0, t, NULL));
		T_OK(zc_atomic(ZC_AMO_OR, &c->or32, 4, 1u << (me % 32), 0, t, &old));
		T_OK(zc_atomic(ZC_AMO_AND, &c->and64, 8, ~(1ull << (me % 64)), 0, t, &old));
		T_OK(zc_atomic(ZC_AMO_AND, &c->and32, 4, ~(1u << (me % 32)), 0, t, NULL));
		T_OK(zc_atomic(ZC_AMO_XOR, &c->xor64, 8, 0xff00ull << me, 0, t, NULL));
		T_OK(zc_atomic(ZC_AMO_XOR, &c->xor32, 4, 0x0f0fu, 0, t, &old));
		T_OK(zc_atomic(ZC_AMO_SWAP, &c->swap64, 8, (uint64_t)me + 1, 0, t, &old));
		T_ASSERT(old <= (uint64_t)n, "swap64 old %lu", (unsigned long)old);
		T_OK(zc_atomic(ZC_AMO_SWAP, &c->swap32, 4, (uint64_t)me + 1, 0, t, &old));
		T_OK(zc_atomic(ZC_AMO_SET, &c->set64, 8, 0x1234567890abcdefull, 0, t, NULL));
		T_OK(zc_atomic(ZC_AMO_SET, &c->set32, 4, 0x89abcdef, 0, t, NULL));
	}
	T_OK(zc_quiet());
	T_OK(zc_barrier_all());
	/* Every rank's cells were hit by every rank. */
	uint64_t want_xor64 = 0;
	uint32_t want_xor32 = (n % 2) ? 0x0f0fu : 0;
	uint64_t or_bits = 0;
	uint32_t or_bits32 = 0;

	for (int r = 0; r < n; r++) {
		want_xor64 ^= 0xff00ull << r;
		or_bits |= 1ull << (r % 64);
		or_bits32 |= 1u << (r % 32);
	}
	T_ASSERT(c->add64 == 3ull * ITERS * n, "add64 %lu", (unsigned long)c->add64);
	T_ASSERT(c->add32 == 5u * ITERS * n, "add32 %u", c->add32);
	T_ASSERT(c->fadd64 == (uint64_t)ITERS * n, "fadd64 %lu", (unsigned long)c->fadd64);
	T_ASSERT(c->fadd32 == (uint32_t)ITERS * n, "fadd32 %u", c->fadd32);
	T_ASSERT(c->cswap64 == (uint64_t)ITERS * n, "cswap64 %lu", (unsigned long)c->cswap64);
	T_ASSERT(c->cswap32 == (uint32_t)ITERS * n, "cswap32 %u", c->cswap32);
	T_ASSERT(c->or64 == or_bits, "or64 %#lx", (unsigned long)c->or64);
	T_ASSERT(c->or32 == or_bits32, "or32 %#x", c->or32);
	T_ASSERT(c->and64 == ~or_bits, "and64 %#lx", (unsigned long)c->and64);
	T_ASSERT(c->and32 == ~or_bits32, "and32 %#x", c->and32);
	T_ASSERT(c->xor64 == want_xor64, "xor64 %#lx", (unsigned long)c->xor64);
	T_ASSERT(c->xor32 == want_xor32, "xor32 %#x", c->xor32);
	T_ASSERT(c->swap64 >= 1 && c->swap64 <= (uint64_t)n, "swap64 %lu", (unsigned long)c->swap64);
	T_ASSERT(c->swap32 >= 1 && c->swap32 <= (uint32_t)n, "swap32 %u", c->swap32);
	T_ASSERT(c->set64 == 0x1234567890abcdefull, "set64");
	T_ASSERT(c->set32 == 0x89abcdefu, "set32");
	/* 32-bit ops must not touch the neighbouring word. */
	T_ASSERT(zc_atomic(ZC_AMO_ADD, &c->add32, 3, 1, 0, 0, NULL) == -EINVAL, "width 3 accepted");
	T_ASSERT(zc_atomic(ZC_AMO_ADD, (char *)&c->add64 + 4, 8, 1, 0, 0, NULL) == -EINVAL,
		 "misaligned 64-bit atomic accepted");
	T_OK(zc_barrier_all());
	T_OK(zc_free(c));
	T_OK(zc_finalize());
	return 0;
}
