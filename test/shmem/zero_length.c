/* SPDX-License-Identifier: MIT */
/* Zero-length OpenSHMEM operations with NULL or non-symmetric pointers
 * are valid: RMA (blocking, nbi, strided, typed), the team collectives and
 * reductions with nelems 0 and the deprecated active-set forms return
 * success, log nothing (stderr stays empty) and change nothing. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh_test.h"

static long psync[SHMEM_REDUCE_SYNC_SIZE];
static long pwrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE];

int main(void)
{
	char path[] = "/tmp/zc_sh_zero_length.XXXXXX";
	unsigned char *canary;
	long local[8];
	int me, n, to, fd, saved, rc = 0;
	struct stat st;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	to = (me + 1) % n;
	for (int i = 0; i < SHMEM_REDUCE_SYNC_SIZE; i++)
		psync[i] = SHMEM_SYNC_VALUE;
	canary = shmem_malloc(4096);
	SH_ASSERT(canary != NULL, "shmem_malloc");
	memset(canary, 0x3c, 4096);
	shmem_barrier_all();
	fd = mkstemp(path);
	SH_ASSERT(fd >= 0, "mkstemp");
	saved = dup(2);
	SH_ASSERT(saved >= 0 && dup2(fd, 2) == 2, "stderr to a file");
	for (int k = 0; k < 2; k++) {
		long *p = k ? local : NULL;

		shmem_putmem(p, p, 0, to);
		shmem_getmem(p, p, 0, to);
		shmem_putmem_nbi(p, p, 0, to);
		shmem_getmem_nbi(p, p, 0, to);
		shmem_long_put(p, p, 0, to);
		shmem_long_get(p, p, 0, to);
		shmem_long_iput(p, p, 1, 1, 0, to);
		shmem_long_iget(p, p, 1, 1, 0, to);
		shmem_putmem((long *)canary, p, 0, to);
		rc |= shmem_broadcastmem(SHMEM_TEAM_WORLD, p, p, 0, 0);
		rc |= shmem_long_broadcast(SHMEM_TEAM_WORLD, p, p, 0, 0);
		rc |= shmem_collectmem(SHMEM_TEAM_WORLD, p, p, 0);
		rc |= shmem_fcollectmem(SHMEM_TEAM_WORLD, p, p, 0);
		rc |= shmem_alltoallmem(SHMEM_TEAM_WORLD, p, p, 0);
		rc |= shmem_alltoallsmem(SHMEM_TEAM_WORLD, p, p, 1, 1, 0);
		rc |= shmem_long_sum_reduce(SHMEM_TEAM_WORLD, p, p, 0);
		rc |= shmem_long_max_reduce(SHMEM_TEAM_WORLD, p, p, 0);
		shmem_long_sum_to_all(p, p, 0, 0, 0, n, pwrk, psync);
		shmem_barrier_all();
		shmem_broadcast64(p, p, 0, 0, 0, 0, n, psync);
		shmem_barrier_all();
		shmem_fcollect64(p, p, 0, 0, 0, n, psync);
		shmem_barrier_all();
	}
	shmem_quiet();
	shmem_barrier_all();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	SH_ASSERT(fstat(fd, &st) == 0, "fstat");
	if (st.st_size) {
		char buf[512] = { 0 };

		if (pread(fd, buf, sizeof(buf) - 1, 0) < 0)
			buf[0] = '\0';
		unlink(path);
		SH_FAIL("zero-length calls logged %lld bytes:\n%s",
			(long long)st.st_size, buf);
	}
	close(fd);
	unlink(path);
	SH_ASSERT(rc == 0, "a zero-length collective returned an error");
	for (int i = 0; i < 4096; i++)
		SH_ASSERT(canary[i] == 0x3c, "canary byte %d changed", i);
	shmem_free(canary);
	return sh_test_done("shmem_zero_length");
}
