/* SPDX-License-Identifier: MIT */
/* zc_init / zc_finalize: bootstrap, node map, heap, providers per peer. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zc_boot.h"
#include "zc_core.h"

struct zc_ctx *zc_ctx;

static const struct zc_boot_services boot_services = {
	.put = zc_boot_put,
	.get = zc_boot_get,
};

/* Same host and same boot: shared memory between the two is possible. */
static void node_key(char *buf, size_t len)
{
	char host[256] = "?", boot[64] = "?";
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY);

	if (fd >= 0) {
		ssize_t n = read(fd, boot, sizeof(boot) - 1);

		boot[n > 0 ? n : 0] = '\0';
		boot[strcspn(boot, "\n")] = '\0';
		close(fd);
	}
	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	snprintf(buf, len, "%s/%s%s%s", host, boot,
		 *zc_core_params.test_node ? "/" : "", zc_core_params.test_node);
}

/* Which built-in providers work here (bit i: zc_providers[i]): a peer is
 * given a provider only where it works at both ends, so that two ranks
 * never pick different providers for each other (one with an RDMA device,
 * one without, would otherwise wait for each other's connection). */
static int caps_put(void)
{
	uint32_t mask = 0;

	for (int i = 0; zc_providers[i] && i < 32; i++) {
		const char *why = "";

		if (!zc_providers[i]->query(&why))
			mask |= 1u << i;
	}
	return zc_boot_put("zc.prov", &mask, sizeof(mask));
}

static int provider_index(const struct zc_provider_ops *ops)
{
	for (int i = 0; zc_providers[i]; i++)
		if (zc_providers[i] == ops)
			return i;
	return -1;
}

static int node_map(struct zc_ctx *c)
{
	char key[384], other[384];
	char (*keys)[384];
	int rc;

	node_key(key, sizeof(key));
	rc = zc_boot_put("zc.node", key, strlen(key) + 1);
	if (!rc)
		rc = caps_put();
	if (!rc)
		rc = zc_boot_exchange();
	if (rc)
		return rc;
	c->node_of = calloc((size_t)c->size, sizeof(int));
	c->prov_mask = calloc((size_t)c->size, sizeof(uint32_t));
	c->local_ranks = calloc((size_t)c->size, sizeof(int));
	keys = calloc((size_t)c->size, sizeof(*keys));
	if (!c->node_of || !c->prov_mask || !c->local_ranks || !keys) {
		free(keys);
		return -ENOMEM;
	}
	c->nnodes = 0;
	c->local_size = 0;
	for (int r = 0; r < c->size; r++) {
		size_t len = sizeof(other);
		int n;

		rc = zc_boot_get(r, "zc.node", other, &len);
		if (!rc) {
			size_t mlen = sizeof(c->prov_mask[r]);

			rc = zc_boot_get(r, "zc.prov", &c->prov_mask[r], &mlen);
		}
		if (rc)
			break;
		other[sizeof(other) - 1] = '\0';
		for (n = 0; n < c->nnodes && strcmp(keys[n], other); n++)
			;
		if (n == c->nnodes)
			strcpy(keys[c->nnodes++], other);
		c->node_of[r] = n;
		if (!strcmp(other, key)) {
			if (r == c->rank)
				c->local_rank = c->local_size;
			c->local_ranks[c->local_size++] = r;
		}
	}
	free(keys);
	c->oversub = c->local_size > sysconf(_SC_NPROCESSORS_ONLN);
	return rc;
}

/* Heap offsets are the same on every rank; aligning the base too makes
 * zc_align's alignment hold for addresses, not only offsets. The base is
 * aligned to the largest power of two not above the user's part (at
 * least 2 MiB), so every alignment a block of that heap can have holds:
 * only address space is spent on it (PROT_NONE, MAP_NORESERVE). */
#define ZC_HEAP_BASE_ALIGN ((size_t)2 << 20)
static char *heap_map_aligned(int fd, size_t size, size_t user)
{
	size_t align = ZC_HEAP_BASE_ALIGN;
	char *resv, *base;

	while (align <= user / 2)
		align <<= 1;
	resv = mmap(NULL, size + align, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED)
		return MAP_FAILED;
	base = (char *)(((uintptr_t)resv + align - 1) &
			~(uintptr_t)(align - 1));
	if (base > resv)
		munmap(resv, (size_t)(base - resv));
	munmap(base + size, (size_t)(resv + align - base));
	return mmap(base, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		    fd, 0);
}

#define ZC_PAGE_ROUND(x) (((x) + 4095) & ~(size_t)4095)

static int heap_create(struct zc_ctx *c)
{
	size_t scratch;
	int rc;

	c->heap_size = zc_core_params.heap_size;
	if (c->heap_size < 4096) {
		zc_err("ZC_HEAP_SIZE=%zu is too small (minimum 4096)",
		       c->heap_size);
		return -ZC_ECONFIG;
	}
	/* The library's part follows the user's, outside every public
	 * call's reach: core's sync area, then the collectives' scratch. A
	 * fresh memory file reads as zeros and takes memory only where
	 * written, so scratch slots of teams never made cost nothing. */
	rc = zc_coll_scratch_size(c->size, &scratch);
	if (rc)
		return rc;
	{
		long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

		if (pages > 0 && psz > 0 &&
		    c->heap_size / (size_t)psz > (size_t)pages)
			zc_warn("ZC_HEAP_SIZE=%zu is more than this machine's "
				"memory (%zu bytes): the heap is only used as "
				"it is touched, but filling it will fail",
				c->heap_size, (size_t)pages * (size_t)psz);
	}
	c->lib_off = ZC_PAGE_ROUND(c->heap_size);
	c->map_size = c->lib_off + ZC_PAGE_ROUND(sizeof(struct zc_sync_area)) +
		      ZC_PAGE_ROUND(scratch);
	/* An anonymous memory file: nothing on any file system to leak. Local
	 * peers open it through /proc/<pid>/fd while we hold it. */
	c->heap_fd = memfd_create("zcomm-heap", MFD_CLOEXEC);
	if (c->heap_fd < 0) {
		rc = -errno;
		zc_err("memfd_create for a %zu-byte heap: %m", c->map_size);
		return rc;
	}
	if (ftruncate(c->heap_fd, (off_t)c->map_size)) {
		rc = -errno;
		zc_err("ftruncate of the heap to %zu bytes: %m", c->map_size);
		return rc;
	}
	c->heap = heap_map_aligned(c->heap_fd, c->map_size, c->heap_size);
	if (c->heap == MAP_FAILED) {
		rc = -errno;
		c->heap = NULL;
		zc_err("mmap of a %zu-byte heap: %m", c->map_size);
		return rc;
	}
	c->sync = (struct zc_sync_area *)(c->heap + c->lib_off);
	c->coll_pool = c->heap + c->lib_off +
		       ZC_PAGE_ROUND(sizeof(struct zc_sync_area));
	return zc_heap_init(&c->alloc, c->heap_size);
}

static int self_provider(void)
{
	for (int i = 0; zc_providers[i]; i++)
		if (!strcmp(zc_providers[i]->name, "shm"))
			return i;
	return -1;
}

/* Open every usable listed provider; each peer gets the first that can
 * reach it. My own rank is always served by shm (load/store on my own
 * heap), like UCX's "self". */
/* How long a waiter spins before it yields: the thread that will end its
 * wait may need this very CPU (another rank's, or a provider's progress
 * thread), and then every pause only delays it. When ranks outnumber CPUs
 * the rank it waits for is, more often than not, queued behind it on this
 * CPU: it yields at its first miss (4 oversubscribed ranks, barrier
 * 2.9 -> 2.45 us against 8 pauses; doc/performance.md). */
static void set_spin(const struct zc_ctx *c)
{
	bool thread = false;

	for (int r = 0; r < c->size && !thread; r++) {
		const struct zc_provider_ops *o = c->peers[r].slot->ops;

		thread = r != c->rank && o->size > offsetof(
				struct zc_provider_ops, flags) &&
			 (o->flags & ZC_PROV_F_THREAD);
	}
	if (zc_core_params.spin >= 0)
		zc_backoff_spins = (unsigned)zc_core_params.spin;
	else
		zc_backoff_spins = c->oversub ? 0 : thread ? 8 : 256;
}

static int providers_open(struct zc_ctx *c)
{
	struct zc_prov_env env = {
		.rank = c->rank, .size = c->size, .node_of = c->node_of,
		/* Providers serve the whole file: the library's part too. */
		.heap_base = c->heap, .heap_size = c->map_size,
		.heap_fd = c->heap_fd, .oversub = c->oversub,
		.peer_timeout_ms = zc_core_params.peer_timeout_ms,
		.boot = &boot_services,
		.left_off = c->lib_off + offsetof(struct zc_sync_area, left),
	};
	int order[ZC_MAX_PROVIDERS], n, rc, self = self_provider();
	const char *list = zc_core_params.transports;
	int slot_of[ZC_MAX_PROVIDERS];

	if (!strcmp(list, "auto")) {
		for (n = 0; zc_providers[n] && n < ZC_MAX_PROVIDERS; n++)
			order[n] = n;
	} else {
		rc = zc_transports_parse(list, order, ZC_MAX_PROVIDERS, &n);
		if (rc)
			return rc;
	}
	/* Self first, then the list in order, without repeats. */
	c->nslots = 0;
	for (int i = -1; i < n; i++) {
		int idx = i < 0 ? self : order[i];
		const char *why = "";
		bool dup = false;

		if (idx < 0)
			continue;
		for (int s = 0; s < c->nslots; s++)
			dup |= c->slots[s].ops == zc_providers[idx];
		if (dup)
			continue;
		rc = zc_providers[idx]->query(&why);
		if (rc) {
			if (i >= 0 && strcmp(list, "auto"))
				zc_warn("transport %s unusable here: %s",
					zc_providers[idx]->name, why);
			continue;
		}
		slot_of[c->nslots] = i < 0 ? -1 : i;
		c->slots[c->nslots++].ops = zc_providers[idx];
	}
	c->peers = calloc((size_t)c->size, sizeof(*c->peers));
	if (!c->peers)
		return -ENOMEM;
	for (int s = 0; s < c->nslots; s++) {
		c->assigned[s] = calloc((size_t)c->size, 1);
		if (!c->assigned[s])
			return -ENOMEM;
	}
	for (int r = 0; r < c->size; r++) {
		for (int s = 0; s < c->nslots && !c->peers[r].slot; s++) {
			/* The self slot serves only me unless it is listed. */
			if (slot_of[s] < 0 && r != c->rank) {
				bool listed = false;

				for (int i = 0; i < n; i++)
					listed |= zc_providers[order[i]] ==
						  c->slots[s].ops;
				if (!listed)
					continue;
			}
			if (r != c->rank &&
			    (!(c->prov_mask[r] >> provider_index(
				       c->slots[s].ops) & 1) ||
			     !c->slots[s].ops->reachable(&env, r)))
				continue;
			c->peers[r].slot = &c->slots[s];
			c->assigned[s][r] = 1;
		}
		if (!c->peers[r].slot) {
			zc_err("no transport in ZC_TRANSPORTS='%s' can reach "
			       "rank %d (node %d; I am rank %d on node %d)",
			       list, r, c->node_of[r], c->rank,
			       c->node_of[c->rank]);
			return -ZC_ENOPROVIDER;
		}
	}
	for (int s = 0; s < c->nslots; s++) {
		rc = c->slots[s].ops->open(&env, c->assigned[s], &c->slots[s].prov);
		if (rc) {
			zc_err("opening transport %s: %s",
			       c->slots[s].ops->name, zc_strerror(rc));
			return rc;
		}
	}
	rc = zc_boot_exchange();
	for (int s = 0; s < c->nslots && !rc; s++) {
		if (c->slots[s].ops->connect)
			rc = c->slots[s].ops->connect(c->slots[s].prov);
		if (rc)
			zc_err("connecting transport %s: %s",
			       c->slots[s].ops->name, zc_strerror(rc));
	}
	for (int s = 0; s < c->nslots && !rc; s++) {
		const struct zc_provider_ops *o = c->slots[s].ops;

		if (o->size > offsetof(struct zc_provider_ops, amo_all) &&
		    o->amo_all && o->amo_all(c->slots[s].prov)) {
			c->amo_slot = &c->slots[s];
			zc_info("every atomic goes through %s's devices",
				o->name);
		}
	}
	for (int r = 0; r < c->size && !rc; r++) {
		struct zc_provider_slot *s = c->peers[r].slot;

		if (s->ops->map)
			c->peers[r].map = s->ops->map(s->prov, r);
	}
	return rc;
}

static void ctx_destroy(struct zc_ctx *c)
{
	for (int s = c->nslots - 1; s >= 0; s--)
		if (c->slots[s].prov)
			c->slots[s].ops->close(c->slots[s].prov);
	for (int s = 0; s < ZC_MAX_PROVIDERS; s++)
		free(c->assigned[s]);
	zc_heap_fini(&c->alloc);
	if (c->heap)
		munmap(c->heap, c->map_size);
	if (c->heap_fd >= 0)
		close(c->heap_fd);
	free(c->peers);
	free(c->node_of);
	free(c->prov_mask);
	free(c->local_ranks);
	free(c);
}

int zc_init(void)
{
	struct zc_boot_info info;
	struct zc_ctx *c;
	int rc;

	if (zc_ctx)
		return 0;
	rc = zc_params_load_all();
	if (rc)
		return rc;
	rc = zc_boot_init(&info);
	if (rc)
		return rc;
	zc_log_set_rank(info.rank);
	c = calloc(1, sizeof(*c));
	if (!c) {
		zc_boot_finalize();
		return -ENOMEM;
	}
	c->heap_fd = -1;
	c->launcher = strcmp(info.backend, "pmix") ? 0 : getppid();
	c->rank = info.rank;
	c->size = info.size;
	rc = node_map(c);
	if (!rc && info.local_size > 0 && info.local_size != c->local_size)
		zc_info("launcher reports %d local ranks, %d share this boot",
			info.local_size, c->local_size);
	/* Before any thread of ours exists: they inherit the binding. */
	if (!rc)
		rc = zc_bind_rank(c);
	if (!rc)
		rc = heap_create(c);
	if (!rc)
		rc = providers_open(c);
	if (!rc)
		set_spin(c);
	if (rc) {
		zc_err("zc_init failed: %s", zc_strerror(rc));
		ctx_destroy(c);
		zc_boot_finalize();
		return rc;
	}
	zc_ctx = c;
	zc_info("rank %d of %d (%s), %d on this node, heap %zu bytes",
		c->rank, c->size, info.backend, c->local_size, c->heap_size);
	/* Everyone is connected before anyone touches a peer's heap. */
	rc = zc_boot_barrier();
	if (!rc)
		rc = zc_coll_init();
	if (rc) {
		zc_finalize();
		return rc;
	}
	return 0;
}

bool zc_finalized;

int zc_finalize(void)
{
	int rc;

	if (!zc_ctx)
		return 0;
	zc_finalized = true;
	/* No peer may still be using my heap when it goes away. */
	rc = zc_core_barrier();
	/* Before my process ends: local peers that see it end read this
	 * and know I left rather than died. */
	__atomic_store_n(&zc_ctx->sync->left, 1, __ATOMIC_RELEASE);
	zc_coll_fini();
	ctx_destroy(zc_ctx);
	zc_ctx = NULL;
	zc_boot_finalize();
	return rc;
}

int zc_initialized(void)
{
	return zc_ctx != NULL;
}

int zc_rank(void)
{
	return zc_ctx ? zc_ctx->rank : -ZC_ENOTINIT;
}

int zc_size(void)
{
	return zc_ctx ? zc_ctx->size : -ZC_ENOTINIT;
}

int zc_local_rank(void)
{
	return zc_ctx ? zc_ctx->local_rank : -ZC_ENOTINIT;
}

bool zc_core_oversubscribed(void)
{
	return zc_ctx && zc_ctx->oversub;
}

int zc_local_size(void)
{
	return zc_ctx ? zc_ctx->local_size : -ZC_ENOTINIT;
}

int zc_local_ranks(const int **ranks_p)
{
	ZC_CHECK_INIT();
	if (!ranks_p) {
		zc_err("%s: ranks_p is NULL", __func__);
		return -EINVAL;
	}
	*ranks_p = zc_ctx->local_ranks;
	return zc_ctx->local_size;
}

int zc_global_exit(int status)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "zc_global_exit(%d) called", status);
	return zc_boot_abort(status, msg);
}
