/* SPDX-License-Identifier: MIT */
/* The kernel provider's ops table, tunables and life: the device file,
 * the ring and its registered buffers, the node address (open); the job
 * key, bind, registration and the attaches (connect); close. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "kernel.h"

struct zc_kernel_params zc_kernel_params;

static const struct zc_param kernel_params[] = {
	{ "ZC_KERNEL_DEVICE", ZC_PARAM_STRING, "auto",
	  "RDMA device the module carries this rank's traffic on; auto: the "
	  "first (by name) with an IPv4 address", &zc_kernel_params.device },
	{ "ZC_KERNEL_ADDR", ZC_PARAM_STRING, "",
	  "this rank's node address (IPv4 of an RDMA device), when a host "
	  "has several; empty: from ZC_KERNEL_DEVICE",
	  &zc_kernel_params.addr },
	{ "ZC_KERNEL_BOUNCE_SLOT", ZC_PARAM_SIZE, "64K",
	  "bytes per bounce slot: non-heap buffers go through these",
	  &zc_kernel_params.bounce_slot },
	{ "ZC_KERNEL_BOUNCE_COUNT", ZC_PARAM_INT, "32",
	  "bounce slots (1..1024)", &zc_kernel_params.bounce_count },
	{ "ZC_KERNEL_WINDOW", ZC_PARAM_SIZE, "16M",
	  "put and get bytes in flight per rank (at least one op at a "
	  "time): what the module must finish before a killed rank's "
	  "peers hear of its death", &zc_kernel_params.window },
	{ NULL, 0, NULL, NULL, NULL },
};

/* The module's report (zcomm_kernel.h), NUL-terminated, or -errno. */
static int report(char *buf, size_t len)
{
	int fd = open(ZC_KERNEL_DEV, O_RDONLY | O_CLOEXEC);
	ssize_t n, got = 0;

	if (fd < 0)
		return -errno;
	while (got < (ssize_t)len - 1 &&
	       (n = read(fd, buf + got, len - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return 0;
}

static int zc_kernel_query(const char **why_p)
{
	static char why[160];
	char buf[4096];
	const char *a;
	unsigned abi;

	if (report(buf, sizeof(buf))) {
		*why_p = "no " ZC_KERNEL_DEV " (the zcomm module is not loaded)";
		return -ENODEV;
	}
	/* A module from another build refuses every command (-EINVAL):
	 * say so here rather than fail the first one. */
	a = strstr(buf, " abi ");
	if (!a || sscanf(a, " abi %u", &abi) != 1)
		abi = 0;	/* none: older than any numbered ABI */
	if (abi != ZCK_ABI_VERSION) {
		snprintf(why, sizeof(why), "the loaded zcomm module speaks "
			 "ABI %u, this library %u (load the module built with "
			 "it)", abi, ZCK_ABI_VERSION);
		*why_p = why;
		return -ENODEV;
	}
	if (!strstr(buf, "\naddr ")) {
		*why_p = "the zcomm module has no RDMA device with an IPv4 "
			 "address";
		return -ENODEV;
	}
	return 0;
}

static int zc_kernel_reachable(const struct zc_prov_env *env, int rank)
{
	return rank != env->rank;
}

/* My node address: ZC_KERNEL_ADDR, else the first "addr A dev D" line
 * of the report for ZC_KERNEL_DEVICE (or any). */
static int pick_addr(uint32_t *addr_p)
{
	const char *want = zc_kernel_params.device;
	char buf[16384], a[64], d[64];
	const char *l;
	struct in_addr in;

	if (*zc_kernel_params.addr) {
		if (inet_pton(AF_INET, zc_kernel_params.addr, &in) != 1) {
			zc_err("kernel: ZC_KERNEL_ADDR=%s is not an IPv4 "
			       "address", zc_kernel_params.addr);
			return -ZC_ECONFIG;
		}
		*addr_p = in.s_addr;
		return 0;
	}
	if (report(buf, sizeof(buf)))
		return -ENODEV;
	for (l = buf; (l = strstr(l, "addr ")); l++) {
		if (sscanf(l, "addr %63s dev %63s", a, d) != 2 ||
		    (strcmp(want, "auto") && strcmp(want, d)) ||
		    inet_pton(AF_INET, a, &in) != 1)
			continue;
		*addr_p = in.s_addr;
		return 0;
	}
	zc_err("kernel: no RDMA device %s with an IPv4 address in the "
	       "module's report", want);
	return -ENODEV;
}

static void prov_free(struct zc_prov *p)
{
	if (p->ring_ok)
		io_uring_queue_exit(&p->ring);
	if (p->fd >= 0)
		close(p->fd);
	if (p->bounce)
		munmap(p->bounce, p->slot_size * (size_t)p->nslots);
	free(p->slot_free);
	free(p->handle);
	free(p->max_inline);
	free(p->dead);
	free(p);
}

static int ring_open(struct zc_prov *p)
{
	const struct zc_prov_env *env = &p->env;
	struct iovec iov[2];
	int rc;

	p->fd = open(ZC_KERNEL_DEV, O_RDWR | O_CLOEXEC);
	if (p->fd < 0) {
		rc = -errno;
		zc_err("kernel: open %s: %s", ZC_KERNEL_DEV, strerror(errno));
		return rc;
	}
	rc = io_uring_queue_init(ZC_KERNEL_RING, &p->ring,
				 IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (rc) {
		zc_err("kernel: io_uring with 128-byte SQEs: %s", strerror(-rc));
		return rc;
	}
	p->ring_ok = true;
	iov[0].iov_base = env->heap_base;
	iov[0].iov_len = env->heap_size;
	iov[1].iov_base = p->bounce;
	iov[1].iov_len = p->slot_size * (size_t)p->nslots;
	rc = io_uring_register_buffers(&p->ring, iov, 2);
	if (rc)
		zc_err("kernel: registering the heap (%zu bytes) with io_uring: "
		       "%s (RLIMIT_MEMLOCK?)", env->heap_size, strerror(-rc));
	return rc;
}

static int zc_kernel_open(const struct zc_prov_env *env,
			  const unsigned char *peers, struct zc_prov **prov_p)
{
	struct zc_prov *p;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	int rc;

	if (zc_kernel_params.bounce_count < 1 ||
	    zc_kernel_params.bounce_count > 1024 ||
	    zc_kernel_params.bounce_slot < page) {
		zc_err("kernel: ZC_KERNEL_BOUNCE_COUNT must be 1..1024 and "
		       "ZC_KERNEL_BOUNCE_SLOT at least a page");
		return -ZC_ECONFIG;
	}
	if ((uintptr_t)env->heap_base % page || env->heap_size % page) {
		zc_err("kernel: the heap is not page-aligned");
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->env = *env;
	p->peers = peers;
	p->fd = -1;
	p->slot_size = (zc_kernel_params.bounce_slot + page - 1) / page * page;
	p->nslots = (int)zc_kernel_params.bounce_count;
	p->bounce = mmap(NULL, p->slot_size * (size_t)p->nslots,
			 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	p->slot_free = calloc((size_t)p->nslots, sizeof(int));
	p->handle = calloc((size_t)env->size, sizeof(uint32_t));
	p->max_inline = calloc((size_t)env->size, sizeof(uint64_t));
	p->dead = calloc((size_t)env->size, sizeof(bool));
	if (p->bounce == MAP_FAILED)
		p->bounce = NULL;
	if (!p->bounce || !p->slot_free || !p->handle || !p->max_inline ||
	    !p->dead) {
		prov_free(p);
		return -ENOMEM;
	}
	for (int i = 0; i < p->nslots; i++)
		p->slot_free[p->nfree_slots++] = i;
	for (unsigned i = 0; i < ZC_KERNEL_MAX_REQ; i++) {
		p->req[i].next_free = p->free_req;
		p->free_req = &p->req[i];
	}
	rc = ring_open(p);
	if (!rc)
		rc = pick_addr(&p->addr);
	if (!rc)
		rc = env->boot->put("zc.kernel.addr", &p->addr, sizeof(p->addr));
	if (!rc) {
		/* The job's secret: the module lets only holders reach us. */
		unsigned char key[ZCK_JOB_KEY_SIZE];

		if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
			rc = -errno;
		else
			rc = env->boot->put("zc.kernel.job", key, sizeof(key));
	}
	if (rc) {
		prov_free(p);
		return rc;
	}
	*prov_p = p;
	return 0;
}

/* The job key: the lowest rank's that has one (every rank with the
 * module published its own; all pick the same). */
static int job_key(struct zc_prov *p, unsigned char *key)
{
	for (int r = 0; r < p->env.size; r++) {
		size_t len = ZCK_JOB_KEY_SIZE;

		if (!p->env.boot->get(r, "zc.kernel.job", key, &len) &&
		    len == ZCK_JOB_KEY_SIZE)
			return 0;
	}
	return -ZC_EBOOT;
}

static int bind_and_register(struct zc_prov *p)
{
	struct zck_cmd_bind b = { .h = { .abi = ZCK_ABI_VERSION },
				  .rank = (uint32_t)p->env.rank,
				  .addr = p->addr };
	struct zck_cmd_reg heap = { .h = { .abi = ZCK_ABI_VERSION },
				    .addr = (uintptr_t)p->env.heap_base,
				    .len = p->env.heap_size };
	struct zck_cmd_reg bounce = { .h = { .abi = ZCK_ABI_VERSION },
				      .addr = (uintptr_t)p->bounce,
				      .len = p->slot_size * (size_t)p->nslots };
	uint64_t flags = 0;
	int rc = job_key(p, b.job);

	if (rc)
		return rc;
	rc = zc_kernel_sync(p, ZCK_OP_BIND, &b, sizeof(b), -1, &flags);
	p->flush = flags & ZCK_BIND_F_FLUSH;
	if (rc < 0) {
		zc_err("kernel: bind to %s: %s", inet_ntoa((struct in_addr){
		       p->addr }), strerror(-rc));
		return rc;
	}
	rc = zc_kernel_sync(p, ZCK_OP_REG, &heap, sizeof(heap), 0, NULL);
	if (rc >= 0)
		rc = zc_kernel_sync(p, ZCK_OP_REG, &bounce, sizeof(bounce), 1,
				    NULL);
	if (rc < 0)
		zc_err("kernel: registering the heap with the module: %s",
		       strerror(-rc));
	return rc < 0 ? rc : 0;
}

static int zc_kernel_connect(struct zc_prov *p)
{
	const struct zc_prov_env *env = &p->env;
	int *res = calloc((size_t)env->size, sizeof(int));
	int rc = 0;

	if (!res)
		return -ENOMEM;
	rc = bind_and_register(p);
	/* Every attach at once: the module connects and asks in parallel. */
	for (int r = 0; !rc && r < env->size; r++) {
		struct zck_cmd_attach a = { .h = { .abi = ZCK_ABI_VERSION },
					    .rank = (uint32_t)r };
		struct zc_kernel_req *q;
		size_t len = sizeof(a.addr);

		if (!p->peers[r])
			continue;
		rc = env->boot->get(r, "zc.kernel.addr", &a.addr, &len);
		if (rc)
			break;
		q = zc_kernel_req_get(p);
		q->rank = r;
		res[r] = 1 << 30;
		q->result = &res[r];
		q->result2 = &p->max_inline[r];
		rc = zc_kernel_cmd(p, ZCK_OP_ATTACH, &a, sizeof(a), -1, q);
	}
	for (int r = 0; r < env->size; r++) {
		while (p->peers[r] && res[r] == 1 << 30)
			zc_kernel_reap(p, true);
		if (!p->peers[r] || rc)
			continue;
		if (res[r] < 0) {
			zc_err("kernel: cannot reach rank %d: %s", r,
			       strerror(-res[r]));
			rc = zc_kernel_errno(res[r]);
		} else {
			p->handle[r] = (uint32_t)res[r];
		}
	}
	free(res);
	return rc;
}

static void zc_kernel_close(struct zc_prov *p)
{
	if (p->ring_ok)
		(void)zc_kernel_quiet(p);
	prov_free(p);
}

static void zc_kernel_info(FILE *out)
{
	char buf[16384];

	if (report(buf, sizeof(buf))) {
		fprintf(out, "  kernel: module not loaded (no %s)\n",
			ZC_KERNEL_DEV);
		return;
	}
	fprintf(out, "  kernel: the module's report (%s):\n", ZC_KERNEL_DEV);
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		fprintf(out, "    %s\n", l);
}

const struct zc_provider_ops zc_kernel_ops = {
	.size = sizeof(struct zc_provider_ops),
	.name = "kernel",
	.params = kernel_params,
	.query = zc_kernel_query,
	.reachable = zc_kernel_reachable,
	.open = zc_kernel_open,
	.connect = zc_kernel_connect,
	.close = zc_kernel_close,
	.put = zc_kernel_put,
	.get = zc_kernel_get,
	.amo = zc_kernel_amo,
	.fence = zc_kernel_fence,
	.put_signal = zc_kernel_put_signal,
	.quiet_local = zc_kernel_quiet_local,
	.quiet = zc_kernel_quiet,
	.progress = zc_kernel_progress,
	.peer_status = zc_kernel_peer_status,
	.info = zc_kernel_info,
};
