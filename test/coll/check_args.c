/* SPDX-License-Identifier: MIT */
/* ZC_CHECK=1: collectives whose arguments differ between members fail
 * with -EINVAL on every member and the log names the argument, the member
 * that differs and both values (without it they returned 0 with garbage,
 * or hung); calls that agree still give the right results. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t_helpers.h"

static char logbuf[8192];
static int cap_fd, saved_fd;

static void cap_begin(void)
{
	char path[] = "/tmp/zc_check.XXXXXX";

	fflush(stderr);
	cap_fd = mkstemp(path);
	saved_fd = dup(2);
	T_ASSERT(cap_fd >= 0 && saved_fd >= 0 && dup2(cap_fd, 2) == 2, "stderr");
	unlink(path);
}

static const char *cap_end(void)
{
	ssize_t n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	n = pread(cap_fd, logbuf, sizeof(logbuf) - 1, 0);
	logbuf[n > 0 ? n : 0] = '\0';
	close(cap_fd);
	return logbuf;
}

int main(void)
{
	struct zc_team *w;
	int64_t *in, *out;
	const char *log;
	int me, n, rc;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 2, "needs 2 ranks or more");
	w = zc_team_world();
	T_OK(zc_calloc(8, sizeof(int64_t), (void **)&in));
	T_OK(zc_calloc(8, sizeof(int64_t), (void **)&out));

	cap_begin();
	rc = zc_allreduce(w, out, in, me ? 4 : 3, ZC_INT64, ZC_OP_SUM);
	log = cap_end();
	T_ASSERT(rc == -EINVAL, "allreduce with differing counts: %d", rc);
	T_ASSERT(strstr(log, "zc_allreduce") && strstr(log, "count") &&
		 strstr(log, me ? "gave count 3" : "gave count 4"),
		 "allreduce log:\n%s", log);

	cap_begin();
	rc = zc_broadcast(w, out, in, 16, me ? 1 : 0);
	log = cap_end();
	T_ASSERT(rc == -EINVAL, "broadcast with differing roots: %d", rc);
	T_ASSERT(strstr(log, "zc_broadcast") && strstr(log, "root"),
		 "broadcast log:\n%s", log);

	cap_begin();
	rc = zc_reduce(w, out, in, 2, ZC_INT64, me ? ZC_OP_MAX : ZC_OP_SUM, 0);
	log = cap_end();
	T_ASSERT(rc == -EINVAL && strstr(log, "op"), "reduce ops: %d\n%s", rc,
		 log);

	/* Agreeing calls work as ever. */
	for (int i = 0; i < 4; i++)
		in[i] = me + i;
	T_OK(zc_allreduce(w, out, in, 4, ZC_INT64, ZC_OP_SUM));
	for (int i = 0; i < 4; i++)
		T_ASSERT(out[i] == (int64_t)n * (n - 1) / 2 + (int64_t)n * i,
			 "sum %d: %lld", i, (long long)out[i]);
	T_OK(zc_free(out));
	T_OK(zc_free(in));
	T_OK(zc_finalize());
	if (me == 0)
		printf("check_args: differing arguments named on %d ranks\n", n);
	return 0;
}
