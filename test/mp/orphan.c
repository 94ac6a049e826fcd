/* SPDX-License-Identifier: MIT */
/* Helper of orphan.sh: every rank writes its pid to $ZC_TEST_PIDDIR (its
 * stderr to PID.err there) and then waits for ever (argv[1] "wait": zc_wait_until; "test": a loop of
 * zc_test, as shmem_test_any programs poll) on a flag nobody sets. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <unistd.h>

#include "t_helpers.h"

int main(int argc, char **argv)
{
	const char *dir = getenv("ZC_TEST_PIDDIR");
	uint64_t *flag;
	char path[512];
	FILE *f;

	T_ASSERT(argc > 1 && dir, "usage: ZC_TEST_PIDDIR=dir orphan wait|test");
	/* stderr to DIR/PID.err: once the launcher is gone, the pipe it
	 * gave us leads nowhere, and the rank's last line must be seen. */
	snprintf(path, sizeof(path), "%s/%d.err", dir, (int)getpid());
	T_ASSERT(freopen(path, "w", stderr), "stderr to %s", path);
	setvbuf(stderr, NULL, _IONBF, 0);
	T_OK(zc_init());
	T_OK(zc_calloc(1, 8, (void **)&flag));
	T_OK(zc_barrier_all());
	snprintf(path, sizeof(path), "%s/%d.pid", dir, zc_rank());
	f = fopen(path, "w");
	T_ASSERT(f && fprintf(f, "%d\n", (int)getpid()) > 0 && !fclose(f), "pid");
	if (!strcmp(argv[1], "wait"))
		zc_wait_until(flag, ZC_UINT64, ZC_CMP_EQ, 1);
	else
		while (!zc_test(flag, ZC_UINT64, ZC_CMP_EQ, 1))
			;
	return 0;
}
