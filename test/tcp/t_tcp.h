/* SPDX-License-Identifier: MIT */
/* Helpers for the tcp provider's tests: find a rank's listening port and
 * play a stranger on the wire with the provider's own codecs. */
#ifndef T_TCP_H
#define T_TCP_H

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t_helpers.h"
#include "smbd.h"
#include "tcp_wire.h"
#include "zc_core.h"

/* The TCP port this process listens on (the tcp provider's), or -1. */
static inline int t_tcp_listen_port(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int port = -1;

	if (!d)
		return -1;
	while ((e = readdir(d)) && port < 0) {
		int fd = atoi(e->d_name), acc = 0;
		socklen_t l = sizeof(acc);
		struct sockaddr_in sa;
		socklen_t sl = sizeof(sa);

		if (e->d_name[0] == '.' ||
		    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &l) || !acc ||
		    getsockname(fd, (struct sockaddr *)&sa, &sl) ||
		    sa.sin_family != AF_INET)
			continue;
		port = ntohs(sa.sin_port);
	}
	closedir(d);
	return port;
}

static inline int t_tcp_dial(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("connect");
		exit(2);
	}
	return fd;
}

/* Sends len bytes; 0, or -1 when the peer has already closed. */
static inline int t_tcp_send(int fd, const void *b, size_t len)
{
	return send(fd, b, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* 1 when the peer closes the connection within secs (reading and
 * discarding whatever it sends first), 0 if it stays open. */
static inline int t_tcp_closed_within(int fd, int secs)
{
	char buf[4096];

	for (int ms = 0; ms < secs * 1000; ms += 10) {
		struct pollfd pfd = { fd, POLLIN, 0 };

		if (poll(&pfd, 1, 10) > 0) {
			ssize_t n = recv(fd, buf, sizeof(buf), 0);

			if (n <= 0)
				return 1;
		}
	}
	return 0;
}

/* Writes [len][SMB-Direct data transfer header][op header][payload] for
 * one unfragmented op message; returns the bytes written. */
static inline size_t t_tcp_op_msg(unsigned char *out,
				  const struct zc_msg_hdr *oh,
				  const void *payload, size_t plen)
{
	struct zc_smbd_data_hdr h = {
		.credits_requested = 8, .credits_granted = 1,
		.data_offset = ZC_SMBD_DATA_OFFSET,
		.data_length = (uint32_t)(ZC_MSG_HDR_SIZE + plen),
	};
	uint32_t len = ZC_SMBD_DATA_OFFSET + h.data_length;

	memcpy(out, &len, 4);	/* little-endian host */
	zc_smbd_data_encode(&h, out + 4, ZC_SMBD_DATA_OFFSET);
	zc_msg_hdr_encode(oh, out + 4 + ZC_SMBD_DATA_OFFSET);
	memcpy(out + 4 + ZC_SMBD_DATA_OFFSET + ZC_MSG_HDR_SIZE, payload,
	       plen);
	return 4 + len;
}

/*
 * The frame of the intruder tests, at 2 ranks: rank 1 publishes its port,
 * rank 0 forks a stranger (fn, given the port and the heap offset of a
 * victim buffer) that must return 0 once turned away; then every rank's
 * victim must be unchanged and the job's own put and get still work.
 */
static inline int t_tcp_intruder_run(int (*fn)(int port, uint64_t off),
				     size_t vlen, const char *name)
{
	uint64_t *port;
	unsigned char *victim, *local;
	int me, n;

	T_OK(zc_init());
	me = zc_rank();
	n = zc_size();
	T_SKIP_IF(n != 2, "needs exactly 2 ranks (has %d)", n);
	T_OK(zc_calloc(1, sizeof(*port), (void **)&port));
	T_OK(zc_malloc(vlen, (void **)&victim));
	memset(victim, 0x5a, vlen);
	if (me == 1) {
		uint64_t p = (uint64_t)t_tcp_listen_port();

		T_ASSERT((int64_t)p > 0, "rank 1 has no listening socket");
		T_OK(zc_put(port, &p, sizeof(p), 0));
	}
	T_OK(zc_barrier_all());
	if (me == 0) {
		/* The victim's offset is the same in every heap. */
		uint64_t off = (uint64_t)((char *)victim - zc_ctx->heap);
		int st = 0;
		pid_t pid = fork();

		T_ASSERT(pid >= 0, "fork");
		if (pid == 0)
			_exit(fn((int)*port, off));
		T_ASSERT(waitpid(pid, &st, 0) == pid, "waitpid");
		T_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			 "the stranger was not turned away (step code %d)",
			 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	T_OK(zc_barrier_all());
	for (size_t i = 0; i < vlen; i++)
		T_ASSERT(victim[i] == 0x5a, "rank %d: byte %zu changed to %#x "
			 "by a stranger", me, i, victim[i]);
	/* Everyone has checked before the real puts land. */
	T_OK(zc_barrier_all());
	local = malloc(vlen);
	T_ASSERT(local, "malloc");
	for (size_t i = 0; i < vlen; i++)
		local[i] = t_pattern(me, 1 - me, i);
	T_OK(zc_put(victim, local, vlen, 1 - me));
	T_OK(zc_barrier_all());
	for (size_t i = 0; i < vlen; i++)
		T_ASSERT(victim[i] == t_pattern(1 - me, me, i),
			 "put after the stranger: byte %zu", i);
	memset(local, 0, vlen);
	T_OK(zc_get(local, victim, vlen, 1 - me));
	for (size_t i = 0; i < vlen; i++)
		T_ASSERT(local[i] == t_pattern(me, 1 - me, i), "get byte %zu", i);
	free(local);
	T_OK(zc_finalize());
	if (me == 0)
		printf("%s: strangers turned away, memory intact\n", name);
	return 0;
}

#endif /* T_TCP_H */
