/* SPDX-License-Identifier: MIT */
/* Helpers shared by the smbd unit tests: checks that report file:line and
 * make the program exit 1 (fail) at the end, and a deterministic PRNG. */
#ifndef T_SMBD_H
#define T_SMBD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failures;

#define T_CHECK(cond)                                                      \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
			t_failures++;                                      \
		}                                                          \
	} while (0)

#define T_EQ(got, want)                                                    \
	do {                                                               \
		long long t_g_ = (long long)(got), t_w_ = (long long)(want); \
		if (t_g_ != t_w_) {                                        \
			fprintf(stderr, "%s:%d: %s = %lld, want %lld\n",   \
				__FILE__, __LINE__, #got, t_g_, t_w_);     \
			t_failures++;                                      \
		}                                                          \
	} while (0)

#define T_BYTES(got, want, n)                                              \
	do {                                                               \
		if (memcmp((got), (want), (n)) != 0) {                     \
			fprintf(stderr, "%s:%d: bytes differ:\n",          \
				__FILE__, __LINE__);                       \
			t_dump("got ", (got), (n));                        \
			t_dump("want", (want), (n));                       \
			t_failures++;                                      \
		}                                                          \
	} while (0)

static inline void t_dump(const char *tag, const void *p, size_t n)
{
	const uint8_t *b = p;

	fprintf(stderr, "  %s:", tag);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %02x", b[i]);
	fprintf(stderr, "\n");
}

/* An exactly sized heap copy, so ASan flags any read past n bytes. */
static inline void *t_dup(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);

	if (!q) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	memcpy(q, p, n);
	return q;
}

/* xorshift64*: reproducible across runs and platforms. */
static inline uint64_t t_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static inline int t_result(const char *name)
{
	if (t_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, t_failures);
		return 1;
	}
	printf("%s: pass\n", name);
	return 0;
}

#endif /* T_SMBD_H */
