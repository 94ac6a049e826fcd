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
#include <unistd.h>

#include "t_helpers.h"
#include "smbd.h"
#include "tcp_wire.h"

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
				  const struct zc_tcp_ophdr *oh,
				  const void *payload, size_t plen)
{
	struct zc_smbd_data_hdr h = {
		.credits_requested = 8, .credits_granted = 1,
		.data_offset = ZC_SMBD_DATA_OFFSET,
		.data_length = (uint32_t)(ZC_TCP_OPHDR_SIZE + plen),
	};
	uint32_t len = ZC_SMBD_DATA_OFFSET + h.data_length;

	memcpy(out, &len, 4);	/* little-endian host */
	zc_smbd_data_encode(&h, out + 4, ZC_SMBD_DATA_OFFSET);
	zc_tcp_ophdr_encode(oh, out + 4 + ZC_SMBD_DATA_OFFSET);
	memcpy(out + 4 + ZC_SMBD_DATA_OFFSET + ZC_TCP_OPHDR_SIZE, payload,
	       plen);
	return 4 + len;
}

#endif /* T_TCP_H */
