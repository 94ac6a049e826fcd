/* SPDX-License-Identifier: MIT */
/* zc_ptr gives a load/store pointer to same-node peers' objects (NULL
 * otherwise), and stores through it are what a get then reads. */
#include "t_helpers.h"

int main(void)
{
	const int *local;
	long *obj;
	int me, n, nl;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	nl = zc_local_ranks(&local);
	T_ASSERT(nl >= 1 && nl <= n, "local size %d", nl);
	T_ASSERT(zc_local_rank() >= 0 && zc_local_rank() < nl, "local rank");
	T_ASSERT(local[zc_local_rank()] == me, "local rank list");
	T_OK(zc_calloc(1, sizeof(long), (void **)&obj));
	T_ASSERT(zc_ptr(obj, me) == obj, "zc_ptr to myself is not my object");
	T_ASSERT(zc_ptr(obj, n) == NULL && zc_ptr(&n, 0) == NULL, "bad args");
	for (int i = 0; i < nl; i++) {
		long *p = zc_ptr(obj, local[i]);

		if (getenv("ZC_TRANSPORTS") && getenv("ZC_TRANSPORTS")[0] == 't' &&
		    local[i] != me) {
			T_ASSERT(p == NULL, "tcp peer %d mapped", local[i]);
			continue;
		}
		T_ASSERT(p != NULL, "same-node rank %d not mapped", local[i]);
		if (local[i] == (me + 1) % n)
			__atomic_store_n(p, 1000 + me, __ATOMIC_RELEASE);
	}
	T_OK(zc_barrier_all());
	if (zc_ptr(obj, (me + n - 1) % n)) {
		long v;

		T_ASSERT(*obj == 1000 + (me + n - 1) % n, "store via ptr: %ld", *obj);
		T_OK(zc_get(&v, obj, sizeof(v), me));
		T_ASSERT(v == *obj, "get disagrees");
	}
	T_OK(zc_barrier_all());
	T_OK(zc_free(obj));
	T_OK(zc_finalize());
	return 0;
}
