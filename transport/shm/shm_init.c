/* SPDX-License-Identifier: MIT */
/* The shm ops table, and mapping the local peers' heaps. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shm.h"

static int zc_shm_query(const char **why_p)
{
	(void)why_p;
	return 0;
}

static int zc_shm_reachable(const struct zc_prov_env *env, int rank)
{
	return env->node_of[rank] == env->node_of[env->rank];
}

static int zc_shm_open(const struct zc_prov_env *env,
		       const unsigned char *peers, struct zc_prov **prov_p)
{
	struct zc_shm_addr addr = {
		.pid = (int32_t)getpid(), .fd = env->heap_fd,
		.heap_size = env->heap_size,
	};
	struct zc_prov *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->base = calloc((size_t)env->size, sizeof(char *));
	p->pidfd = malloc((size_t)env->size * sizeof(int));
	p->dead = calloc((size_t)env->size, sizeof(bool));
	if (!p->base || !p->pidfd || !p->dead) {
		free(p->base);
		free(p->pidfd);
		free(p->dead);
		free(p);
		return -ENOMEM;
	}
	for (int r = 0; r < env->size; r++)
		p->pidfd[r] = -1;
	p->left_off = env->left_off;
	p->rank = env->rank;
	p->size = env->size;
	p->heap_size = env->heap_size;
	p->own = env->heap_base;
	p->assigned = peers;
	p->boot = env->boot;
	*prov_p = p;
	return env->boot->put("zc.shm", &addr, sizeof(addr));
}

static int map_peer(struct zc_prov *p, int rank, const struct zc_shm_addr *a)
{
	char path[64];
	void *m;
	int fd, rc;

	if (a->heap_size != p->heap_size) {
		zc_err("rank %d has a %lu-byte heap, mine is %zu: every rank "
		       "must set the same ZC_HEAP_SIZE", rank,
		       (unsigned long)a->heap_size, p->heap_size);
		return -ZC_ECONFIG;
	}
	/* The peer holds its memfd open until finalize; its /proc entry
	 * gives us our own descriptor of the same memory. */
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)a->pid,
		 (int)a->fd);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		zc_err("open %s (heap of rank %d): %m", path, rank);
		return rc;
	}
	m = mmap(NULL, p->heap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 0);
	rc = -errno;
	close(fd);
	if (m == MAP_FAILED) {
		zc_err("mmap of rank %d's %zu-byte heap: %m", rank,
		       p->heap_size);
		return rc;
	}
	p->base[rank] = m;
	/* Same-node death detection: the pidfd turns readable when the
	 * process ends (Linux 5.3; without it, no detection, as before). */
	p->pidfd[rank] = (int)syscall(SYS_pidfd_open, (pid_t)a->pid, 0);
	if (p->pidfd[rank] < 0)
		zc_dbg("pidfd_open of rank %d (pid %d): %m", rank, (int)a->pid);
	return 0;
}

static int zc_shm_connect(struct zc_prov *p)
{
	for (int r = 0; r < p->size; r++) {
		struct zc_shm_addr a;
		size_t len = sizeof(a);
		int rc;

		if (!p->assigned[r])
			continue;
		if (r == p->rank) {
			p->base[r] = p->own;
			continue;
		}
		rc = p->boot->get(r, "zc.shm", &a, &len);
		if (!rc && len != sizeof(a))
			rc = -EPROTO;
		if (!rc)
			rc = map_peer(p, r, &a);
		if (rc)
			return rc;
	}
	return 0;
}

static void zc_shm_close(struct zc_prov *p)
{
	for (int r = 0; r < p->size; r++) {
		if (p->base[r] && p->base[r] != p->own)
			munmap(p->base[r], p->heap_size);
		if (p->pidfd[r] >= 0)
			close(p->pidfd[r]);
	}
	free(p->base);
	free(p->pidfd);
	free(p->dead);
	free(p);
}

static void *zc_shm_map(struct zc_prov *p, int rank)
{
	return p->base[rank];
}

/* A local peer whose process ended without leaving through zc_finalize
 * (its "left" word, still readable in our mapping of its heap) is dead,
 * for good: from then on every op to it fails (zc_shm_dead). */
static int zc_shm_peer_status(struct zc_prov *p, int rank)
{
	struct pollfd pf = { .fd = p->pidfd[rank], .events = POLLIN };

	if (zc_shm_dead(p, rank))
		return -ZC_EPEERDEAD;
	if (pf.fd < 0 || poll(&pf, 1, 0) <= 0)
		return 0;
	if (p->base[rank] &&
	    __atomic_load_n((uint64_t *)(p->base[rank] + p->left_off),
			    __ATOMIC_ACQUIRE))
		return 0;
	if (!__atomic_exchange_n(&p->dead[rank], true, __ATOMIC_RELAXED))
		zc_warn("shm: local rank %d ended without zc_finalize: it is "
			"dead, and its puts, gets and atomics fail from now on",
			rank);
	return -ZC_EPEERDEAD;
}

const struct zc_provider_ops zc_shm_ops = {
	.size = sizeof(struct zc_provider_ops),
	.name = "shm",
	.query = zc_shm_query,
	.reachable = zc_shm_reachable,
	.open = zc_shm_open,
	.connect = zc_shm_connect,
	.close = zc_shm_close,
	.put = zc_shm_put,
	.get = zc_shm_get,
	.amo = zc_shm_amo_op,
	.fence = zc_shm_fence,
	.quiet = zc_shm_quiet,
	.map = zc_shm_map,
	.peer_status = zc_shm_peer_status,
	.put_signal = zc_shm_put_signal,
};
