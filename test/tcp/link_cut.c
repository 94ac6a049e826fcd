/* SPDX-License-Identifier: MIT */
/* A cut link (run by netns.sh --cut, which downs the veth between the two
 * "hosts" once rank 0 says it is busy): both ranks keep putting to each
 * other; each must get -ZC_EPEERDEAD within the bound (ZC_PEER_TIMEOUT
 * 2 s, no FIN or RST ever arrives), then finish. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "t_helpers.h"

/* Wall clock: the script stamps the cut with date(1). */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* When the script cut the link (it writes T_TCP_MARKER.cut first), or 0. */
static double cut_time(const char *marker)
{
	char path[512];
	double t = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s.cut", marker);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%lf", &t) != 1)
			t = 0;
		fclose(f);
	}
	return t;
}

int main(void)
{
	const char *marker = getenv("T_TCP_MARKER");
	unsigned char *buf, local[64];
	double t0, cut, err;
	int me, n, rc = 0;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n != 2 || !marker, "needs 2 ranks and T_TCP_MARKER "
		  "(run by netns.sh --cut)");
	T_OK(zc_calloc(1, sizeof(local), (void **)&buf));
	memset(local, me + 1, sizeof(local));
	T_OK(zc_barrier_all());
	if (me == 0) {
		int fd = open(marker, O_CREAT | O_WRONLY, 0600);

		T_ASSERT(fd >= 0, "marker %s", marker);
		close(fd);
	}
	t0 = now();
	while (!rc) {
		struct timespec ts = { 0, 5 * 1000000L };

		rc = zc_put(buf, local, sizeof(local), 1 - me);
		if (!rc)
			rc = zc_quiet();
		T_ASSERT(now() - t0 < 60, "no error 60 s after start");
		if (!rc)
			nanosleep(&ts, NULL);
	}
	err = now();
	cut = cut_time(marker);
	T_ASSERT(rc == -ZC_EPEERDEAD, "after the cut: %s", zc_strerror(rc));
	T_ASSERT(cut > 0 && err >= cut, "an error before the link was cut: "
		 "%s", zc_strerror(rc));
	T_ASSERT(err - cut < 2.0 + 5.0, "error %.1f s after the cut",
		 err - cut);
	printf("link_cut: rank %d saw the peer die %.1f s after the cut\n", me,
	       err - cut);
	zc_finalize();
	return 0;
}
