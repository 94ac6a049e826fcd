/* SPDX-License-Identifier: MIT */
/* A caller's bad local buffer is that op's error, not the connection's:
 * over tcp, puts of 64 KiB from (void *)0x10 and from an munmap'ed page,
 * and gets (blocking and nbi) of 64 KiB into an munmap'ed page, return
 * -EFAULT with a log line naming the buffer, and nothing of them goes on
 * the wire (the kernel used to fail the send with EFAULT part way and the
 * connection was declared lost: every barrier and zc_finalize then said
 * "peer dead" on both ranks). Afterwards 64 KiB moves both ways, every
 * byte checked, and barriers and zc_finalize succeed. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "t_capture.h"

#define LEN (64u << 10)

int main(void)
{
	unsigned char *sym, *buf, *hole;
	const char *log;
	int me, n, to, from, rc[4];

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n < 2, "needs 2 ranks or more");
	to = (me + 1) % n;
	from = (me + n - 1) % n;
	T_OK(zc_calloc(1, LEN, (void **)&sym));
	buf = malloc(LEN);
	T_ASSERT(buf, "malloc");
	/* A page that was mapped once and is gone. */
	hole = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(hole != MAP_FAILED && munmap(hole, LEN) == 0, "mmap/munmap");

	t_cap_begin();
	rc[0] = zc_put(sym, (void *)0x10, LEN, to);
	rc[1] = zc_put(sym, hole, LEN, to);
	rc[2] = zc_get(hole, sym, LEN, to);
	rc[3] = zc_get_nbi(hole, sym, LEN, to);
	log = t_cap_end();
	for (int i = 0; i < 4; i++)
		T_ASSERT(rc[i] == -EFAULT || rc[i] == -EINVAL, "op %d from/into "
			 "an unmapped buffer returned %d\n%s", i, rc[i], log);
	T_ASSERT(strstr(log, "not mapped") && strstr(log, "0x10"),
		 "the log names the buffer:\n%s", log);
	T_ASSERT(!strstr(log, "lost"), "a connection was lost:\n%s", log);
	T_OK(zc_quiet());
	T_OK(zc_barrier_all());
	/* The connections are healthy: 64 KiB each way, every byte. */
	for (size_t i = 0; i < LEN; i++)
		buf[i] = t_pattern(me, to, i);
	T_OK(zc_put(sym, buf, LEN, to));
	T_OK(zc_barrier_all());
	for (size_t i = 0; i < LEN; i++)
		T_ASSERT(sym[i] == t_pattern(from, me, i), "byte %zu from rank %d",
			 i, from);
	T_OK(zc_get(buf, sym, LEN, to));
	for (size_t i = 0; i < LEN; i++)
		T_ASSERT(buf[i] == t_pattern(me, to, i), "byte %zu got from rank "
			 "%d", i, to);
	T_OK(zc_barrier_all());
	T_OK(zc_free(sym));
	free(buf);
	T_OK(zc_finalize());
	if (me == 0)
		printf("tcp_bad_local_buf: unmapped buffers refused, %d ranks "
		       "still connected\n", n);
	return 0;
}
