/* SPDX-License-Identifier: MIT */
/* C++: the complex reductions are declared for C++ too (float _Complex /
 * double _Complex, layout-compatible with std::complex) and give the right
 * sums and products from extern "C" code, team-based and _to_all forms,
 * on every PE. Built only through the zcshc++ wrapper (-pedantic), with
 * pshmem.h. */
#include <pshmem.h>	/* and so shmem.h: pshmem.h compiles as C++ too */
#include <complex>
#include <cstdio>

extern "C" {
__extension__ typedef double _Complex cd_t;
__extension__ typedef float _Complex cf_t;
}

static long psync[SHMEM_REDUCE_SYNC_SIZE];
static std::complex<float> wrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE + 8];

int main() {
	shmem_init();
	int me = shmem_my_pe(), n = shmem_n_pes(), bad = pshmem_my_pe() != me;
	std::complex<double> *ds = static_cast<std::complex<double> *>(
		shmem_calloc(4, sizeof(std::complex<double>)));
	std::complex<float> *fs = static_cast<std::complex<float> *>(
		shmem_calloc(4, sizeof(std::complex<float>)));
	for (int i = 0; i < SHMEM_REDUCE_SYNC_SIZE; i++)
		psync[i] = SHMEM_SYNC_VALUE;
	/* Sum of (pe + 1, i) over PEs; product of (0, 1) over PEs is i^n. */
	ds[0] = std::complex<double>(me + 1, 1);
	ds[1] = std::complex<double>(0, 1);
	fs[0] = std::complex<float>(2.0f * me, -1.0f);
	fs[1] = std::complex<float>(0.0f, 1.0f);
	shmem_barrier_all();
	int rc = shmem_complexd_sum_reduce(SHMEM_TEAM_WORLD,
		reinterpret_cast<cd_t *>(&ds[2]), reinterpret_cast<cd_t *>(&ds[0]), 1);
	rc |= shmem_complexd_prod_reduce(SHMEM_TEAM_WORLD,
		reinterpret_cast<cd_t *>(&ds[3]), reinterpret_cast<cd_t *>(&ds[1]), 1);
	shmem_complexf_sum_to_all(reinterpret_cast<cf_t *>(&fs[2]),
		reinterpret_cast<cf_t *>(&fs[0]), 1, 0, 0, n,
		reinterpret_cast<cf_t *>(wrk), psync);
	shmem_barrier_all();
	shmem_complexf_prod_to_all(reinterpret_cast<cf_t *>(&fs[3]),
		reinterpret_cast<cf_t *>(&fs[1]), 1, 0, 0, n,
		reinterpret_cast<cf_t *>(wrk), psync);
	std::complex<double> isum(n * (n + 1) / 2.0, n), ipow(1, 0);
	for (int i = 0; i < n; i++)
		ipow *= std::complex<double>(0, 1);
	std::complex<float> fsum((float)n * (n - 1), -(float)n);
	if (rc || ds[2] != isum || std::abs(ds[3] - ipow) > 1e-12 ||
	    fs[2] != fsum || std::abs(std::complex<double>(fs[3]) - ipow) > 1e-6)
		bad = 1;
	if (bad) {
		std::printf("C++ complex FAIL pe %d: rc %d sum (%g,%g) prod (%g,%g) "
			    "fsum (%g,%g) fprod (%g,%g)\n", me, rc, ds[2].real(),
			    ds[2].imag(), ds[3].real(), ds[3].imag(),
			    (double)fs[2].real(), (double)fs[2].imag(),
			    (double)fs[3].real(), (double)fs[3].imag());
		return 1;
	}
	shmem_barrier_all();
	shmem_free(fs);
	shmem_free(ds);
	shmem_finalize();
	if (me == 0) std::printf("C++ complex reductions: ok on %d PEs\n", n);
	return 0;
}
