/* SPDX-License-Identifier: MIT */
/* Helpers for test programs: exit 0 pass, 1 fail, 77 skip. */
#ifndef T_HELPERS_H
#define T_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <zcomm.h>

#define T_SKIP 77

#define T_FAIL(...)                                                         \
	do {                                                                \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);        \
		fprintf(stderr, __VA_ARGS__);                               \
		fprintf(stderr, "\n");                                      \
		exit(1);                                                    \
	} while (0)

#define T_ASSERT(cond, ...)                                                 \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "(%s) ", #cond);                    \
			T_FAIL(__VA_ARGS__);                                \
		}                                                           \
	} while (0)

/* rc must be 0 */
#define T_OK(expr)                                                          \
	do {                                                                \
		int t_rc_ = (expr);                                         \
		if (t_rc_ < 0)                                              \
			T_FAIL("%s returned %d (%s)", #expr, t_rc_,         \
			       zc_strerror(t_rc_));                         \
	} while (0)

#define T_SKIP_IF(cond, ...)                                                \
	do {                                                                \
		if (cond) {                                                 \
			printf("skipped: " __VA_ARGS__);                    \
			printf("\n");                                       \
			exit(T_SKIP);                                       \
		}                                                           \
	} while (0)

/* A byte pattern every rank can compute for (writer, target, index). */
static inline unsigned char t_pattern(int writer, int target, size_t i)
{
	return (unsigned char)((i * 131u) ^ (unsigned)(writer * 37 + target * 11 + 1));
}

/* This process's resident size in KiB (0 if unknown). */
static inline long t_rss_kib(void)
{
	long pages = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

#endif /* T_HELPERS_H */
