/* SPDX-License-Identifier: MIT */
/* Garbage on a rank's port: random bytes, an absurd length, a handshake
 * frame full of noise, and a connection that says nothing. Each is
 * dropped; the rank lives on, its memory unchanged, its peer still served. */
#include <sys/random.h>
#include <sys/wait.h>

#include "t_tcp.h"

#define VLEN 4096

static int stranger(int port, uint64_t off)
{
	static unsigned char noise[65536];
	uint32_t len;
	int fd;

	(void)off;	/* garbage needs no target */

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
	return t_tcp_intruder_run(stranger, VLEN, "tcp_garbage");
}
