/* SPDX-License-Identifier: MIT */
/* The compiler wrappers link what OpenSHMEM programs expect with no extra
 * flags, libm included: this program calls sqrt/pow/exp on values known
 * only at run time, so the calls are real (built through zcshcc alone). */
#include <math.h>

#include "sh_test.h"

int main(void)
{
	volatile double v;
	double *x, s;
	int me, n;

	shmem_init();
	me = shmem_my_pe();
	n = shmem_n_pes();
	x = shmem_malloc(sizeof(double));
	SH_ASSERT(x != NULL, "shmem_malloc");
	v = (double)(me + 1) * (me + 1);
	*x = sqrt(v) + pow(2.0, (double)me) - exp(0.0 * v);
	shmem_barrier_all();
	s = shmem_double_g(x, (me + 1) % n);
	/* rank r holds (r + 1) + 2^r - 1 = r + 2^r */
	SH_ASSERT(s == (double)((me + 1) % n) + pow(2.0, (double)((me + 1) % n)),
		  "libm results: %g", s);
	shmem_free(x);
	return sh_test_done("shmem_libm");
}
