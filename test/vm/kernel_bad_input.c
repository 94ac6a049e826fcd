/* SPDX-License-Identifier: MIT */
/*
 * Bad input to the zcomm module, straight through its uapi (no zcomm
 * library): each malformed or out-of-bounds command gets an error CQE,
 * the module keeps serving valid ones (a put and get to ourselves), and
 * the guest run's dmesg scan and rmmod prove nothing broke.
 *
 *   kernel_bad_input bad              the malformed commands
 *   kernel_bad_input intruder A RANK  another job (its own key) tries to
 *                                     reach RANK at address A: refused
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "t_helpers.h"
#include "zcomm_kernel.h"

static struct io_uring ring;
static int fd;

/* One command, waited for: res (and *res2). */
static int cmd(struct io_uring *r, uint32_t op, const void *c, size_t len,
	       int buf_index, uint64_t *res2)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(r);
	struct io_uring_cqe *cqe;
	int res;

	T_ASSERT(sqe, "an SQE");
	memset(sqe, 0, (r->flags & IORING_SETUP_SQE128) ? 128 : 64);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = op;
	if (len)
		memcpy(sqe->cmd, c, len);
	if (buf_index >= 0) {
		sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
		sqe->buf_index = (uint16_t)buf_index;
	}
	T_ASSERT(io_uring_submit(r) == 1, "submit");
	T_ASSERT(io_uring_wait_cqe(r, &cqe) == 0, "wait cqe");
	res = cqe->res;
	if (res2 && (r->flags & IORING_SETUP_CQE32))
		*res2 = (uint64_t)cqe->big_cqe[0];
	io_uring_cqe_seen(r, cqe);
	return res;
}

#define EXPECT(res, want, what)                                             \
	do {                                                                \
		int got_ = (res);                                           \
		T_ASSERT(got_ == (want), "%s: got %d (%s), want %d", what,  \
			 got_, strerror(-got_), want);                      \
		printf("ok: %s -> %s\n", what, strerror(-got_));            \
	} while (0)

static uint32_t my_addr(void)
{
	char buf[8192], a[64];
	ssize_t n;
	int f = open("/dev/" ZCK_DEV_NAME, O_RDONLY);
	const char *l;
	struct in_addr in;

	T_ASSERT(f >= 0, "open the report");
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	buf[n > 0 ? n : 0] = '\0';
	l = strstr(buf, "addr ");
	T_ASSERT(l && sscanf(l, "addr %63s", a) == 1 &&
		 inet_pton(AF_INET, a, &in) == 1, "an address in the report");
	return in.s_addr;
}

static void bind_as(uint32_t addr, uint32_t rank, unsigned char fill)
{
	struct zck_cmd_bind b = { .h = { .abi = ZCK_ABI_VERSION },
				  .rank = rank, .addr = addr };

	memset(b.job, fill, sizeof(b.job));
	EXPECT(cmd(&ring, ZCK_OP_BIND, &b, sizeof(b), -1, NULL), 0, "bind");
}

static int bad(void)
{
	const size_t len = 1 << 20;
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec iov = { buf, len };
	struct zck_cmd_rma m = { .h = { .abi = ZCK_ABI_VERSION } };
	struct zck_cmd_amo a = { .h = { .abi = ZCK_ABI_VERSION } };
	struct zck_cmd_reg rg = { .h = { .abi = ZCK_ABI_VERSION } };
	struct zck_cmd_attach at = { .h = { .abi = ZCK_ABI_VERSION } };
	struct io_uring small;
	unsigned char raw[80] = { 0 };
	uint32_t addr = my_addr();
	uint64_t old = 0, inl = 0;
	int handle;

	T_ASSERT(buf != MAP_FAILED, "mmap");
	/* A ring of 64-byte SQEs cannot carry the command area. */
	T_OK(io_uring_queue_init(8, &small, 0));
	EXPECT(cmd(&small, ZCK_OP_QUIET, NULL, 0, -1, NULL), -EINVAL,
	       "command from a 64-byte-SQE ring");
	io_uring_queue_exit(&small);

	EXPECT(cmd(&ring, 99, raw, sizeof(raw), -1, NULL), -EINVAL,
	       "unknown opcode");
	EXPECT(cmd(&ring, ZCK_OP_QUIET, raw, sizeof(raw), -1, NULL), -EINVAL,
	       "wrong ABI version");
	EXPECT(cmd(&ring, ZCK_OP_PUT, &m, sizeof(m), -1, NULL), -ENOTCONN,
	       "put before bind");
	memset(raw, 0xff, sizeof(raw));
	memcpy(raw, &m.h, sizeof(m.h));
	EXPECT(cmd(&ring, ZCK_OP_QUIET, raw, sizeof(raw), -1, NULL), -EINVAL,
	       "garbage past the command's size");
	{
		struct zck_cmd_bind b = { .h = { .abi = ZCK_ABI_VERSION },
					  .addr = htonl(0x7f000001) };

		EXPECT(cmd(&ring, ZCK_OP_BIND, &b, sizeof(b), -1, NULL),
		       -EADDRNOTAVAIL, "bind to an address of no RDMA device");
		memset(b.dev, 'x', sizeof(b.dev));
		b.addr = 0;
		EXPECT(cmd(&ring, ZCK_OP_BIND, &b, sizeof(b), -1, NULL),
		       -EINVAL, "bind with an unterminated device name");
	}
	bind_as(addr, 0, 0x5a);
	T_OK(io_uring_register_buffers(&ring, &iov, 1));
	rg.addr = (uintptr_t)buf + 100;
	rg.len = len - 4096;
	EXPECT(cmd(&ring, ZCK_OP_REG, &rg, sizeof(rg), 0, NULL), -EINVAL,
	       "unaligned registration");
	rg.addr = (uintptr_t)buf;
	rg.len = len;
	EXPECT(cmd(&ring, ZCK_OP_REG, &rg, sizeof(rg), -1, NULL), -EFAULT,
	       "registration of a buffer io_uring does not hold");
	rg.len = 2 * len;
	EXPECT(cmd(&ring, ZCK_OP_REG, &rg, sizeof(rg), 0, NULL), -EFAULT,
	       "registration past the registered buffer");
	rg.len = len;
	T_ASSERT(cmd(&ring, ZCK_OP_REG, &rg, sizeof(rg), 0, NULL) > 0,
		 "registration of the whole buffer");
	/* Myself as the peer: a real connection (loopback) and heap. */
	at.rank = 0;
	at.addr = addr;
	handle = cmd(&ring, ZCK_OP_ATTACH, &at, sizeof(at), -1, &inl);
	T_ASSERT(handle >= 0, "attach to myself: %s", strerror(-handle));
	printf("connection inline limit %llu bytes\n", (unsigned long long)inl);
	m.h.handle = (uint32_t)handle + 7;
	m.len = 8;
	m.addr = (uintptr_t)buf;
	EXPECT(cmd(&ring, ZCK_OP_PUT, &m, sizeof(m), -1, NULL), -EBADF,
	       "put with a handle never given");
	m.h.handle = (uint32_t)handle;
	m.off = len - 4;
	EXPECT(cmd(&ring, ZCK_OP_PUT, &m, sizeof(m), -1, NULL), -ERANGE,
	       "put past the peer's heap");
	m.off = ~0ull - 2;
	EXPECT(cmd(&ring, ZCK_OP_GET, &m, sizeof(m), -1, NULL), -ERANGE,
	       "get with a wrapping offset");
	m.off = 0;
	m.addr = (uintptr_t)&old;
	EXPECT(cmd(&ring, ZCK_OP_PUT, &m, sizeof(m), -1, NULL), -EFAULT,
	       "put from unregistered memory");
	a.h.handle = (uint32_t)handle;
	a.width = 8;
	a.off = 4;
	EXPECT(cmd(&ring, ZCK_OP_AMO, &a, sizeof(a), -1, NULL), -ERANGE,
	       "misaligned atomic");
	a.off = 8;
	a.width = 3;
	EXPECT(cmd(&ring, ZCK_OP_AMO, &a, sizeof(a), -1, NULL), -EINVAL,
	       "atomic of width 3");
	a.width = 8;
	a.op = 42;
	EXPECT(cmd(&ring, ZCK_OP_AMO, &a, sizeof(a), -1, NULL), -EINVAL,
	       "unknown atomic");
	{
		struct zck_cmd_put_signal ps = {
			.h = { .abi = ZCK_ABI_VERSION, .handle = (uint32_t)handle },
			.addr = (uintptr_t)buf, .len = 8, .off = 4096,
			.sig_off = 12, .sig_value = 7,
		};
		struct zck_cmd_hdr fh = { .abi = ZCK_ABI_VERSION, .handle = 1 };

		EXPECT(cmd(&ring, ZCK_OP_PUT_SIGNAL, &ps, sizeof(ps), -1, NULL),
		       -ERANGE, "put-signal with a misaligned signal");
		ps.sig_off = len - 4;
		EXPECT(cmd(&ring, ZCK_OP_PUT_SIGNAL, &ps, sizeof(ps), -1, NULL),
		       -ERANGE, "put-signal with its signal past the heap");
		ps.sig_off = ~0ull - 7;
		EXPECT(cmd(&ring, ZCK_OP_PUT_SIGNAL, &ps, sizeof(ps), -1, NULL),
		       -ERANGE, "put-signal with a wrapping signal offset");
		ps.sig_off = 16;
		ps.off = len;
		EXPECT(cmd(&ring, ZCK_OP_PUT_SIGNAL, &ps, sizeof(ps), -1, NULL),
		       -ERANGE, "put-signal with its data past the heap");
		EXPECT(cmd(&ring, ZCK_OP_FENCE, &fh, sizeof(fh), -1, NULL),
		       -EINVAL, "fence with a handle");
	}
	/* The valid ones still work: put, get, fetch-add, put-signal,
	 * fence, quiet. A put that fits inline completes when posted. */
	memset(buf, 0, len);
	strcpy(buf, "zcomm kernel provider");
	m.addr = (uintptr_t)buf;
	m.off = 4096;
	m.len = 64;
	EXPECT(cmd(&ring, ZCK_OP_PUT, &m, sizeof(m), -1, NULL),
	       m.len <= inl ? ZCK_RES_POSTED : 0, "put");
	m.addr = (uintptr_t)buf + 8192;
	EXPECT(cmd(&ring, ZCK_OP_GET, &m, sizeof(m), -1, NULL), 0, "get");
	T_ASSERT(!strcmp(buf + 8192, "zcomm kernel provider"),
		 "get returned what put wrote: '%s'", buf + 8192);
	a.op = ZC_AMO_ADD;
	a.value = 5;
	a.fetch = 1;
	a.off = 64;
	EXPECT(cmd(&ring, ZCK_OP_AMO, &a, sizeof(a), -1, &old), 0, "fetch-add");
	EXPECT(cmd(&ring, ZCK_OP_AMO, &a, sizeof(a), -1, &old), 0, "fetch-add");
	T_ASSERT(old == 5 && *(uint64_t *)(buf + 64) == 10,
		 "fetch-add: old %llu, value %llu", (unsigned long long)old,
		 (unsigned long long)*(uint64_t *)(buf + 64));
	if (inl >= 8) {
		/* data, then the signal: both land, the signal after */
		struct zck_cmd_put_signal ps = {
			.h = { .abi = ZCK_ABI_VERSION, .handle = (uint32_t)handle },
			.addr = (uintptr_t)buf + 8192, .len = 2 * inl,
			.off = 16384, .sig_off = 16384 + 2 * inl,
			.sig_value = 0x5167a1,
		};
		struct zck_cmd_hdr fh = { .abi = ZCK_ABI_VERSION };
		volatile uint64_t *sig = (uint64_t *)(buf + 16384 + 2 * inl);

		EXPECT(cmd(&ring, ZCK_OP_FENCE, &fh, sizeof(fh), -1, NULL), 0,
		       "fence");
		EXPECT(cmd(&ring, ZCK_OP_PUT_SIGNAL, &ps, sizeof(ps), -1, NULL),
		       0, "put-signal with data beyond the inline limit");
		T_ASSERT(*sig == 0x5167a1 &&
			 !strcmp(buf + 16384, "zcomm kernel provider"),
			 "put-signal: signal %#llx, data '%s'",
			 (unsigned long long)*sig, buf + 16384);
		ps.len = 0;
		ps.sig_value = 3;
		EXPECT(cmd(&ring, ZCK_OP_PUT_SIGNAL, &ps, sizeof(ps), -1, NULL),
		       ZCK_RES_POSTED, "put-signal without data");
		EXPECT(cmd(&ring, ZCK_OP_QUIET, &fh, sizeof(fh), -1, NULL), 0,
		       "quiet after it");
		T_ASSERT(*sig == 3, "signal alone: %llu",
			 (unsigned long long)*sig);
	} else {
		printf("put-signal not checked: the connection has no inline "
		       "WRITEs (-EOPNOTSUPP)\n");
	}
	/* The buffer unregistered from io_uring with a put in flight: the
	 * module's own page references and MRs keep the memory, so the put
	 * completes as if nothing happened (0); no oops. */
	m.addr = (uintptr_t)buf;
	m.off = 0;
	m.len = len;
	{
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct io_uring_cqe *cqe;
		int res;

		T_ASSERT(sqe, "an SQE");
		memset(sqe, 0, 2 * sizeof(*sqe));
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = fd;
		sqe->cmd_op = ZCK_OP_PUT;
		memcpy(sqe->cmd, &m, sizeof(m));
		T_ASSERT(io_uring_submit(&ring) == 1, "submit");
		T_OK(io_uring_unregister_buffers(&ring));
		T_OK(io_uring_wait_cqe(&ring, &cqe));
		res = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
		EXPECT(res, 0, "put in flight while the buffer was "
		       "unregistered");
	}
	EXPECT(cmd(&ring, ZCK_OP_PUT, &m, sizeof(m), -1, NULL), 0,
	       "put after the io_uring buffer went (the registration holds)");
	struct zck_cmd_hdr q = { .abi = ZCK_ABI_VERSION };
	EXPECT(cmd(&ring, ZCK_OP_QUIET, &q, sizeof(q), -1, NULL), 0, "quiet");
	printf("kernel_bad_input: all refused, module still serving\n");
	return 0;
}

/* Another job: its own key cannot reach a rank of the first job. */
static int intruder(const char *a, int rank)
{
	struct zck_cmd_attach at = { .h = { .abi = ZCK_ABI_VERSION },
				     .rank = (uint32_t)rank };
	struct zck_cmd_rma m = { .h = { .abi = ZCK_ABI_VERSION, .handle = 1 },
				 .len = 8 };
	struct in_addr in;
	int rc;

	T_ASSERT(inet_pton(AF_INET, a, &in) == 1, "address %s", a);
	at.addr = in.s_addr;
	bind_as(my_addr(), (uint32_t)rank, 0xa5);
	rc = cmd(&ring, ZCK_OP_ATTACH, &at, sizeof(at), -1, NULL);
	T_ASSERT(rc < 0, "attach with another job's key succeeded (%d)", rc);
	printf("ok: attach to rank %d of another job -> %s\n", rank,
	       strerror(-rc));
	for (uint32_t h = 0; h < 16; h++) {
		m.h.handle = h;
		T_ASSERT(cmd(&ring, ZCK_OP_PUT, &m, sizeof(m), -1, NULL) ==
			 -EBADF, "put with guessed handle %u", h);
	}
	printf("kernel_bad_input: intruder refused\n");
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	fd = open("/dev/" ZCK_DEV_NAME, O_RDWR);
	if (fd < 0) {
		printf("skipped: no /dev/%s (the zcomm module is not loaded)\n",
		       ZCK_DEV_NAME);
		return T_SKIP;
	}
	T_OK(io_uring_queue_init(16, &ring, IORING_SETUP_SQE128 |
				 IORING_SETUP_CQE32));
	if (argc >= 4 && !strcmp(argv[1], "intruder"))
		rc = intruder(argv[2], atoi(argv[3]));
	else
		rc = bad();
	io_uring_queue_exit(&ring);
	close(fd);
	return rc;
}
