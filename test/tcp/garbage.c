/* SPDX-License-Identifier: MIT */
/* Garbage on a rank's port: random bytes, an absurd length, a handshake
 * frame full of noise, and a connection that says nothing. Each is
 * dropped; the rank lives on, its memory unchanged, its peer still served. */
#include <sys/random.h>
#include <sys/wait.h>

#include "t_tcp.h"

#define VLEN 4096

static int stranger(int port)
{
	static unsigned char noise[65536];
	uint32_t len;
	int fd;

	if (getrandom(noise, sizeof(noise), 0) != sizeof(noise))
		return 9;
	/* 1. random bytes */
	fd = t_tcp_dial(port);
	t_tcp_send(fd, noise, sizeof(noise));
	if (!t_tcp_closed_within(fd, 10))
		return 10;
	close(fd);
	/* 2. a length prefix of 4 GiB */
	fd = t_tcp_dial(port);
	len = 0xffffffffu;
	t_tcp_send(fd, &len, 4);
	t_tcp_send(fd, noise, 256);
	if (!t_tcp_closed_within(fd, 10))
		return 20;
	close(fd);
	/* 3. the size of a hello, but noise inside */
	fd = t_tcp_dial(port);
	len = ZC_SMBD_NEGOTIATE_REQ_SIZE + ZC_TCP_HELLO_EXT_SIZE;
	t_tcp_send(fd, &len, 4);
	t_tcp_send(fd, noise, len);
	if (!t_tcp_closed_within(fd, 10))
		return 30;
	close(fd);
	/* 4. silence: dropped after the peer timeout (2 s in this test) */
	fd = t_tcp_dial(port);
	if (!t_tcp_closed_within(fd, 10))
		return 40;
	close(fd);
	return 0;
}

int main(void)
{
	uint64_t *port;
	unsigned char *victim, *local;
	int me, n;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n != 2, "needs exactly 2 ranks (has %d)", n);
	T_OK(zc_calloc(1, sizeof(*port), (void **)&port));
	T_OK(zc_malloc(VLEN, (void **)&victim));
	memset(victim, 0x5a, VLEN);
	if (me == 1) {
		uint64_t p = (uint64_t)t_tcp_listen_port();

		T_ASSERT((int64_t)p > 0, "rank 1 has no listening socket");
		T_OK(zc_put(port, &p, sizeof(p), 0));
	}
	T_OK(zc_barrier_all());
	if (me == 0) {
		int st = 0;
		pid_t pid = fork();

		T_ASSERT(pid >= 0, "fork");
		if (pid == 0)
			_exit(stranger((int)*port));
		T_ASSERT(waitpid(pid, &st, 0) == pid, "waitpid");
		T_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			 "garbage was not dropped (step code %d)",
			 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	T_OK(zc_barrier_all());
	for (size_t i = 0; i < VLEN; i++)
		T_ASSERT(victim[i] == 0x5a, "rank %d: byte %zu changed to %#x",
			 me, i, victim[i]);
	/* Everyone has checked before the real puts land. */
	T_OK(zc_barrier_all());
	local = malloc(VLEN);
	T_ASSERT(local, "malloc");
	for (size_t i = 0; i < VLEN; i++)
		local[i] = t_pattern(me, 1 - me, i);
	T_OK(zc_put(victim, local, VLEN, 1 - me));
	T_OK(zc_barrier_all());
	for (size_t i = 0; i < VLEN; i++)
		T_ASSERT(victim[i] == t_pattern(1 - me, me, i),
			 "put after the garbage: byte %zu", i);
	memset(local, 0, VLEN);
	T_OK(zc_get(local, victim, VLEN, 1 - me));
	for (size_t i = 0; i < VLEN; i++)
		T_ASSERT(local[i] == t_pattern(me, 1 - me, i), "get byte %zu", i);
	free(local);
	T_OK(zc_finalize());
	if (me == 0)
		printf("tcp_garbage: dropped, rank alive\n");
	return 0;
}
