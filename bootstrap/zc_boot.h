/* SPDX-License-Identifier: MIT */
/*
 * zc_boot.h: who am I, who are my peers, how to reach them. Two back-ends:
 * PMIx (under mpirun or any PMIx launcher) and a singleton (started alone).
 * Includes only libc; core/ calls it (and hands providers boot services).
 */
#ifndef ZC_BOOT_H
#define ZC_BOOT_H

#include <stddef.h>

struct zc_boot_info {
	int rank;
	int size;
	int local_rank;		/* as the launcher reports it, -1 unknown */
	int local_size;
	const char *backend;	/* "pmix" or "singleton" */
};

/* Connects to the launcher; without one, becomes a job of one. */
int zc_boot_init(struct zc_boot_info *info);
int zc_boot_put(const char *key, const void *val, size_t len);
/* Publish every put and wait until every rank's are readable. */
int zc_boot_exchange(void);
/* *len_p: in, buffer size; out, value size. -EMSGSIZE if too small. */
int zc_boot_get(int rank, const char *key, void *val, size_t *len_p);
int zc_boot_barrier(void);
int zc_boot_abort(int status, const char *msg);
void zc_boot_finalize(void);

#endif /* ZC_BOOT_H */
