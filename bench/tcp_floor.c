/* SPDX-License-Identifier: MIT */
/*
 * The floor under every tcp figure: an 8-byte ping-pong between two
 * processes over a loopback TCP connection, plain send/recv, no library.
 * Blocking receivers pay a wake-up per message; polling receivers
 * (MSG_DONTWAIT in a loop, as Open MPI's btl tcp polls) pay none. A
 * zcomm put + quiet is one such round trip plus the library's work, so
 * it cannot beat the polling figure.
 *
 * usage: tcp_floor [-i iterations]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int recv_all(int fd, char *b, size_t n, int poll)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = recv(fd, b + got, n - got, poll ? MSG_DONTWAIT : 0);

		if (r > 0)
			got += (size_t)r;
		else if (r == 0 || (errno != EAGAIN && errno != EINTR))
			return -1;
	}
	return 0;
}

/* Returns the mean round trip in µs, or a negative value on error. */
static double pingpong(int poll, long iters)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int one = 1, l, s, status;
	char b[8] = { 0 };
	double t0 = 0;
	pid_t pid;

	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &al))
		return -1;
	pid = fork();
	if (pid == 0) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(s, (struct sockaddr *)&a, sizeof(a)))
			_exit(1);
		for (long i = 0; i < iters + iters / 10; i++)
			if (recv_all(s, b, sizeof(b), poll) ||
			    send(s, b, sizeof(b), 0) != (ssize_t)sizeof(b))
				_exit(1);
		_exit(0);
	}
	s = accept(l, NULL, NULL);
	close(l);
	if (pid < 0 || s < 0)
		return -1;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* The first tenth warms up (and lets the scheduler settle). */
	for (long i = 0; i < iters + iters / 10; i++) {
		if (i == iters / 10)
			t0 = now_us();
		if (send(s, b, sizeof(b), 0) != (ssize_t)sizeof(b) ||
		    recv_all(s, b, sizeof(b), poll))
			return -1;
	}
	t0 = (now_us() - t0) / (double)iters;
	close(s);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return t0;
}

int main(int argc, char **argv)
{
	long iters = 20000;
	int opt;

	while ((opt = getopt(argc, argv, "i:")) != -1) {
		if (opt != 'i' || (iters = atol(optarg)) < 10) {
			fprintf(stderr, "usage: %s [-i iterations >= 10]\n",
				argv[0]);
			return 2;
		}
	}
	printf("# tcp loopback 8 B round trip, plain send/recv, 2 processes\n");
	printf("# Receiver        Round trip (us)\n");
	for (int poll = 0; poll < 2; poll++) {
		double us = pingpong(poll, iters);

		if (us < 0) {
			fprintf(stderr, "tcp_floor: ping-pong failed\n");
			return 1;
		}
		printf("%-16s %15.3f\n", poll ? "polling" : "blocking", us);
	}
	return 0;
}
