/* SPDX-License-Identifier: MIT */
/* Zero-length operations are valid with NULL or non-symmetric pointers:
 * puts, gets (blocking, nbi, strided with nelems 0) and every collective
 * with a count of 0 return 0, log nothing (stderr stays empty), and move
 * nothing (a canary block is unchanged everywhere). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t_helpers.h"

int main(void)
{
	char path[] = "/tmp/zc_zero_length.XXXXXX";
	struct zc_team *w;
	unsigned char *canary, local[64];
	int me, n, to, fd, saved, rc = 0;
	struct stat st;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	to = (me + 1) % n;
	w = zc_team_world();
	T_OK(zc_malloc(4096, (void **)&canary));
	memset(canary, 0x3c, 4096);
	T_OK(zc_barrier_all());
	fd = mkstemp(path);
	T_ASSERT(fd >= 0, "mkstemp");
	saved = dup(2);
	T_ASSERT(saved >= 0 && dup2(fd, 2) == 2, "stderr to a file");

	/* NULL, and a stack address that is not symmetric. */
	for (int k = 0; k < 2; k++) {
		void *p = k ? (void *)local : NULL;

		rc |= zc_put(p, p, 0, to);
		rc |= zc_get(p, p, 0, to);
		rc |= zc_put_nbi(p, p, 0, to);
		rc |= zc_get_nbi(p, p, 0, to);
		rc |= zc_put(canary, p, 0, to);	/* symmetric dest, NULL src */
		rc |= zc_get(p, canary, 0, to);
		rc |= zc_iput(p, p, 1, 1, 8, 0, to);
		rc |= zc_iget(p, p, 1, 1, 8, 0, to);
		rc |= zc_broadcast(w, p, p, 0, 0);
		rc |= zc_reduce(w, p, p, 0, ZC_INT64, ZC_OP_SUM, 0);
		rc |= zc_allreduce(w, p, p, 0, ZC_INT64, ZC_OP_SUM);
		rc |= zc_allgather(w, p, p, 0);
		rc |= zc_allgatherv(w, p, p, 0);
		rc |= zc_alltoall(w, p, p, 0);
		rc |= zc_reduce_scatter(w, p, p, 0, ZC_INT64, ZC_OP_SUM);
	}
	rc |= zc_quiet();
	rc |= zc_barrier_all();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	T_ASSERT(fstat(fd, &st) == 0, "fstat");
	if (st.st_size) {
		char buf[512] = { 0 };

		if (pread(fd, buf, sizeof(buf) - 1, 0) < 0)
			buf[0] = '\0';
		unlink(path);
		T_FAIL("zero-length calls logged %lld bytes:\n%s",
		       (long long)st.st_size, buf);
	}
	close(fd);
	unlink(path);
	T_ASSERT(rc == 0, "a zero-length call returned an error");
	for (int i = 0; i < 4096; i++)
		T_ASSERT(canary[i] == 0x3c, "canary byte %d changed", i);
	T_OK(zc_free(canary));
	T_OK(zc_finalize());
	if (me == 0)
		printf("zero_length: silent successes on %d ranks\n", n);
	return 0;
}
