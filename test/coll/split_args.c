/* SPDX-License-Identifier: MIT */
/* A split whose arguments differ between members fails with -ZC_ETEAM on
 * every member, and the log says once, readably, which member gave what
 * and what I gave: the two values that differ (never two equal ones,
 * never one line per member). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t_helpers.h"

/* Runs one split with stderr in a file; returns what was logged. */
static char *logged_split(int start, int stride, int size, int *rc_p)
{
	char path[] = "/tmp/zc_split_args.XXXXXX", *buf = calloc(1, 8192);
	int fd = mkstemp(path), saved = dup(2);
	struct zc_team *t = NULL;
	ssize_t got;

	T_ASSERT(buf && fd >= 0 && saved >= 0 && dup2(fd, 2) == 2, "stderr");
	*rc_p = zc_team_split_strided(zc_team_world(), start, stride, size, &t);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	got = pread(fd, buf, 8191, 0);
	T_ASSERT(got >= 0, "pread");
	close(fd);
	unlink(path);
	T_ASSERT(t == NULL, "a failed split made a team");
	return buf;
}

static int count(const char *s, const char *what)
{
	int k = 0;

	for (const char *p = s; (p = strstr(p, what)); p++)
		k++;
	return k;
}

int main(void)
{
	char want[64], *log;
	int me, n, rc;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 2, "needs 2 ranks or more");
	/* Valid everywhere, but rank 0 asks for 1 member, the others for n. */
	log = logged_split(0, 1, me ? n : 1, &rc);
	T_ASSERT(rc == -ZC_ETEAM, "differing sizes: rc %d", rc);
	snprintf(want, sizeof(want), "size %d", n);
	T_ASSERT(count(log, "differ") == 1, "one line, not %d:\n%s",
		 count(log, "differ"), log);
	T_ASSERT(strstr(log, "size 1,") || strstr(log, "size 1)") ||
		 strstr(log, "size 1\n") || strstr(log, "size 1 "),
		 "rank 0's size missing:\n%s", log);
	T_ASSERT(strstr(log, want), "the others' size missing:\n%s", log);
	free(log);
	T_OK(zc_barrier_all());
	/* Rank 0's arguments are invalid: it says so; the others name it. */
	log = logged_split(0, 1, me ? n : 0, &rc);
	T_ASSERT(rc == -ZC_ETEAM, "invalid on rank 0: rc %d", rc);
	if (me == 0) {
		T_ASSERT(count(log, "do not fit") == 1 && !count(log, "differ"),
			 "rank 0 logged:\n%s", log);
	} else {
		T_ASSERT(count(log, "differ") == 1 && strstr(log, "invalid") &&
			 strstr(log, want), "rank %d logged:\n%s", me, log);
	}
	free(log);
	T_OK(zc_finalize());
	if (me == 0)
		printf("split_args: differing arguments named on %d ranks\n", n);
	return 0;
}
