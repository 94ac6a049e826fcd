/* SPDX-License-Identifier: MIT */
/*
 * shm.h: the same-node provider. Every local peer's symmetric heap (a
 * memfd) is mapped here, so put/get are one memcpy and atomics are CPU
 * atomics on the mapping; no target involvement, no progress thread.
 * Includes zc_provider.h only; core reaches it through zc_shm_ops.
 */
#ifndef ZC_SHM_H
#define ZC_SHM_H

#include <stdbool.h>

#include "zc_provider.h"

struct zc_prov {
	int rank;
	int size;
	size_t heap_size;
	char **base;		/* per rank: mapping of its heap, or NULL */
	char *own;		/* my own heap (not unmapped by us) */
	const unsigned char *assigned;	/* ranks core gave us */
	const struct zc_boot_services *boot;
	int *pidfd;		/* per rank: its process (pidfd_open), or -1 */
	/* per rank: found dead by peer_status (set once, any thread): its
	 * memory is still mapped here, so without this flag puts, gets and
	 * atomics to it would go on succeeding into a heap nobody owns. */
	bool *dead;
	uint64_t left_off;	/* zc_prov_env.left_off */
};

/* -ZC_EPEERDEAD once rank was found dead, else 0 (one load per op). */
static inline int zc_shm_dead(const struct zc_prov *p, int rank)
{
	return __builtin_expect(__atomic_load_n(&p->dead[rank],
						__ATOMIC_RELAXED), 0) ?
	       -ZC_EPEERDEAD : 0;
}

extern const struct zc_provider_ops zc_shm_ops;

/* The address blob a rank publishes under "zc.shm". */
struct zc_shm_addr {
	int32_t pid;
	int32_t fd;
	uint64_t heap_size;
};

int zc_shm_put(struct zc_prov *p, int rank, uint64_t off, const void *src,
	       size_t len, struct zc_comp *comp);
int zc_shm_put_signal(struct zc_prov *p, int rank, uint64_t off,
		      const void *src, size_t len, uint64_t sig_off,
		      enum zc_amo_op sig_op, uint64_t sig_value,
		      struct zc_comp *comp);
int zc_shm_get(struct zc_prov *p, int rank, uint64_t off, void *dst,
	       size_t len, struct zc_comp *comp);
int zc_shm_fence(struct zc_prov *p);
int zc_shm_quiet(struct zc_prov *p);
int zc_shm_amo_op(struct zc_prov *p, int rank, uint64_t off,
		  enum zc_amo_op op, size_t width, uint64_t value, uint64_t cmp,
		  uint64_t *old, struct zc_comp *comp);

#endif /* ZC_SHM_H */
