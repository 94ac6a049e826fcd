/* SPDX-License-Identifier: MIT */
/* shmem_test_any / shmem_wait_until_any (and the _vector forms) are fair:
 * a loop that clears the index each returns while a producer re-arms it
 * at once is, sooner or later, given every ready index (a scan that always
 * starts at index 0 returns 0 for ever). An excluded index never comes
 * back. */
#include <string.h>

#include "sh_test.h"

#define N 5
#define ROUNDS 200

static int *flags;

/* The producer: a put to my own flag (through the library, as a remote
 * producer's would land). */
static void rearm(size_t i, int me)
{
	shmem_int_p(&flags[i], 1, me);
	shmem_quiet();
}

static int run(int form, int me)
{
	int seen[N] = { 0 }, status[N] = { 0 }, want[N];
	size_t got;

	status[2] = 1;		/* excluded */
	for (int i = 0; i < N; i++) {
		flags[i] = 1;
		want[i] = 1;
	}
	for (int r = 0; r < ROUNDS; r++) {
		switch (form) {
		case 0:
			got = shmem_int_test_any(flags, N, status, SHMEM_CMP_EQ, 1);
			break;
		case 1:
			got = shmem_int_wait_until_any(flags, N, status,
						       SHMEM_CMP_EQ, 1);
			break;
		case 2:
			got = shmem_int_test_any_vector(flags, N, status,
							SHMEM_CMP_EQ, want);
			break;
		default:
			got = shmem_int_wait_until_any_vector(flags, N, status,
							      SHMEM_CMP_EQ, want);
			break;
		}
		SH_ASSERT(got < N, "form %d round %d: %zu", form, r, got);
		SH_ASSERT(got != 2, "form %d: excluded index 2 returned", form);
		seen[got]++;
		flags[got] = 0;		/* consumed ... */
		rearm(got, me);	/* ... and ready again at once */
	}
	for (int i = 0; i < N; i++)
		SH_ASSERT(i == 2 || seen[i] > 0,
			  "form %d: ready index %d never returned in %d rounds "
			  "(index 0: %d times)", form, i, ROUNDS, seen[0]);
	return 0;
}

int main(void)
{
	int me;

	shmem_init();
	me = shmem_my_pe();
	flags = shmem_calloc(N, sizeof(int));
	SH_ASSERT(flags != NULL, "shmem_calloc");
	for (int form = 0; form < 4; form++)
		run(form, me);
	shmem_free(flags);
	return sh_test_done("shmem_any_fair");
}
