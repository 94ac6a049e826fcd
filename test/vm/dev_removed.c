/* SPDX-License-Identifier: MIT */
/* The RDMA device removed under a running job (rdma link delete, by
 * dev_removed.sh): every rank's puts, gets, atomics and quiet must turn
 * into errors within the peer timeout, never a hang or a crash, and
 * zc_finalize must return. Prints "rank R saw the device go" on success. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "t_proc.h"

int main(void)
{
	long *sym, v = 1;
	double t0, gone = 0;
	int me, n, rc = 0;
	uint64_t old;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_OK(zc_calloc(1024, sizeof(long), (void **)&sym));
	printf("rank %d running\n", me);
	fflush(stdout);
	t0 = t_now();
	/* Until the device goes (the script removes it after a few s). */
	while (!rc && t_now() - t0 < 120) {
		int peer = (me + 1) % n;

		rc = zc_put(sym + me, &v, sizeof(v), peer);
		if (!rc)
			rc = zc_atomic(ZC_AMO_ADD, sym + 512, 8, 1, 0, peer, &old);
		if (!rc)
			rc = zc_get(&v, sym + me, sizeof(v), peer);
		if (!rc)
			rc = zc_quiet();
		if (rc)
			gone = t_now();
		usleep(1000);
	}
	T_ASSERT(rc, "the device never went away (no error in 120 s)");
	printf("rank %d: first error %s\n", me, zc_strerror(rc));
	/* Everything after fails at once, nothing hangs. */
	T_ASSERT(zc_put(sym, &v, sizeof(v), (me + 1) % n) < 0, "put after");
	T_ASSERT(zc_quiet() <= 0, "quiet after");
	T_ASSERT(t_now() - gone < 10.0, "ops after the error took %.1f s",
		 t_now() - gone);
	printf("rank %d saw the device go\n", me);
	fflush(stdout);
	(void)zc_finalize();
	return 0;
}
