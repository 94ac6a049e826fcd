/* SPDX-License-Identifier: MIT */
/* Dispatch between the PMIx and singleton back-ends, chosen once at init. */
#include <errno.h>

#include "zc_boot.h"
#include "boot_int.h"

static const struct zc_boot_backend *backend;

int zc_boot_init(struct zc_boot_info *info)
{
	int rc = zc_boot_pmix.init(info);

	if (rc == -ENOENT) {
		/* No launcher: run as a job of one. */
		rc = zc_boot_single.init(info);
		if (rc == 0)
			backend = &zc_boot_single;
		return rc;
	}
	if (rc == 0)
		backend = &zc_boot_pmix;
	return rc;
}

int zc_boot_put(const char *key, const void *val, size_t len)
{
	return backend->put(key, val, len);
}

int zc_boot_exchange(void)
{
	return backend->exchange();
}

int zc_boot_get(int rank, const char *key, void *val, size_t *len_p)
{
	return backend->get(rank, key, val, len_p);
}

int zc_boot_barrier(void)
{
	return backend->barrier();
}

int zc_boot_abort(int status, const char *msg)
{
	if (!backend)
		return -EINVAL;
	return backend->abort(status, msg);
}

void zc_boot_finalize(void)
{
	if (backend)
		backend->finalize();
	backend = NULL;
}
