/* SPDX-License-Identifier: MIT */
/* A stranger (a process outside the job) connects to rank 1's port and
 * sends well-formed puts: with a wrong proof, with no proof, with no
 * handshake at all. Each time rank 1 closes the connection, its memory is
 * unchanged, and the job's own connection still works. */
#include <signal.h>
#include <sys/random.h>
#include <sys/wait.h>

#include "t_tcp.h"
#include "zc_core.h"

#define VLEN 4096

static size_t put_msg(unsigned char *out, uint64_t off)
{
	static unsigned char evil[VLEN];
	struct zc_msg_hdr oh = { .op = ZC_MSG_PUT, .seq = 1, .off = off,
				   .len = VLEN };

	memset(evil, 0xee, sizeof(evil));
	return t_tcp_op_msg(out, &oh, evil, VLEN);
}

/* Negotiate request + hello claiming to be rank 0; reads the response.
 * Returns 0 when the rank answered like a job member would. */
static int hello(int fd)
{
	struct zc_smbd_negotiate_req req = {
		.min_version = ZC_SMBD_VERSION_1,
		.max_version = ZC_SMBD_VERSION_1, .credits_requested = 8,
		.preferred_send_size = 65536, .max_receive_size = 65536,
		.max_fragmented_size = 1 << 20,
	};
	struct zc_tcp_hello h = { .from = 0, .to = 1 };
	unsigned char m[4 + ZC_SMBD_NEGOTIATE_REQ_SIZE + ZC_TCP_HELLO_EXT_SIZE];
	unsigned char r[4 + ZC_SMBD_NEGOTIATE_RESP_SIZE + ZC_TCP_RESP_EXT_SIZE];
	uint32_t len = sizeof(m) - 4;
	size_t got = 0;

	memcpy(m, &len, 4);
	zc_smbd_negotiate_req_encode(&req, m + 4, sizeof(m) - 4);
	if (getrandom(h.nonce, sizeof(h.nonce), 0) != sizeof(h.nonce))
		return -1;
	zc_tcp_hello_encode(&h, m + 4 + ZC_SMBD_NEGOTIATE_REQ_SIZE);
	if (t_tcp_send(fd, m, sizeof(m)))
		return -1;
	while (got < sizeof(r)) {
		ssize_t n = recv(fd, r + got, sizeof(r) - got, 0);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static int stranger(int port, uint64_t off)
{
	static unsigned char buf[2 * VLEN + 512];
	struct zc_msg_hdr auth = { .op = ZC_MSG_AUTH };
	unsigned char mac[ZC_TCP_MAC_SIZE];
	size_t n;
	int fd;

	/* 1. a full handshake with a guessed proof, then a put */
	fd = t_tcp_dial(port);
	if (hello(fd))
		return 10;
	if (getrandom(mac, sizeof(mac), 0) != sizeof(mac))
		return 11;
	n = t_tcp_op_msg(buf, &auth, mac, sizeof(mac));
	n += put_msg(buf + n, off);
	t_tcp_send(fd, buf, n);
	if (!t_tcp_closed_within(fd, 10))
		return 12;
	close(fd);
	/* 2. handshake answered, no proof, straight to the put */
	fd = t_tcp_dial(port);
	if (hello(fd))
		return 20;
	n = put_msg(buf, off);
	t_tcp_send(fd, buf, n);
	if (!t_tcp_closed_within(fd, 10))
		return 21;
	close(fd);
	/* 3. no handshake at all */
	fd = t_tcp_dial(port);
	n = put_msg(buf, off);
	t_tcp_send(fd, buf, n);
	if (!t_tcp_closed_within(fd, 10))
		return 30;
	close(fd);
	return 0;
}

int main(void)
{
	return t_tcp_intruder_run(stranger, VLEN, "tcp_foreign_put");
}
