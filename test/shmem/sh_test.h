/* SPDX-License-Identifier: MIT */
/* Helpers for the OpenSHMEM tests: they use shmem.h only (built with the
 * zcshcc wrapper as well as by CMake). Exit 0 pass, 1 fail, 77 skip. */
#ifndef SH_TEST_H
#define SH_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include <shmem.h>

#define SH_FAIL(...)                                                        \
	do {                                                                \
		fprintf(stderr, "FAIL pe %d %s:%d: ", shmem_my_pe(),        \
			__FILE__, __LINE__);                                \
		fprintf(stderr, __VA_ARGS__);                               \
		fprintf(stderr, "\n");                                      \
		exit(1);                                                    \
	} while (0)

#define SH_ASSERT(cond, ...)                                                \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "(%s) ", #cond);                    \
			SH_FAIL(__VA_ARGS__);                               \
		}                                                           \
	} while (0)

/* The end of every test: all PEs agree it passed. */
static inline int sh_test_done(const char *name)
{
	int me = shmem_my_pe(), n = shmem_n_pes();

	shmem_barrier_all();
	shmem_finalize();
	if (me == 0)
		printf("%s: ok on %d PEs\n", name, n);
	return 0;
}

#endif /* SH_TEST_H */
