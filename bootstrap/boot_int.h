/* SPDX-License-Identifier: MIT */
/* The back-end table each bootstrap back-end fills (private to bootstrap/). */
#ifndef ZC_BOOT_INT_H
#define ZC_BOOT_INT_H

#include "zc_boot.h"

struct zc_boot_backend {
	/* -ENOENT: no launcher here (the caller tries the next back-end). */
	int (*init)(struct zc_boot_info *info);
	int (*put)(const char *key, const void *val, size_t len);
	int (*exchange)(void);
	int (*get)(int rank, const char *key, void *val, size_t *len_p);
	int (*barrier)(void);
	int (*abort)(int status, const char *msg);
	void (*finalize)(void);
};

extern const struct zc_boot_backend zc_boot_pmix;
extern const struct zc_boot_backend zc_boot_single;

#endif
