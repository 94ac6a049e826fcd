/* SPDX-License-Identifier: MIT */
/* Singleton back-end: a job of one when no launcher is present. Puts are
 * kept in a small table so the same code paths work with one rank. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "boot_int.h"
#include "zc_log.h"

struct single_kv {
	char *key;
	void *val;
	size_t len;
	struct single_kv *next;
};

static struct single_kv *kvs;

static int single_init(struct zc_boot_info *info)
{
	info->rank = 0;
	info->size = 1;
	info->local_rank = 0;
	info->local_size = 1;
	info->backend = "singleton";
	zc_info("no PMIx server reachable: running as a job of one");
	return 0;
}

static int single_put(const char *key, const void *val, size_t len)
{
	struct single_kv *kv = calloc(1, sizeof(*kv));

	if (!kv)
		return -ENOMEM;
	kv->key = strdup(key);
	kv->val = malloc(len ? len : 1);
	if (!kv->key || !kv->val) {
		free(kv->key);
		free(kv->val);
		free(kv);
		return -ENOMEM;
	}
	memcpy(kv->val, val, len);
	kv->len = len;
	kv->next = kvs;
	kvs = kv;
	return 0;
}

static int single_exchange(void)
{
	return 0;
}

static int single_get(int rank, const char *key, void *val, size_t *len_p)
{
	struct single_kv *kv;

	if (rank != 0)
		return -EINVAL;
	for (kv = kvs; kv; kv = kv->next) {
		if (strcmp(kv->key, key))
			continue;
		if (kv->len > *len_p)
			return -EMSGSIZE;
		memcpy(val, kv->val, kv->len);
		*len_p = kv->len;
		return 0;
	}
	return -ENOENT;
}

static int single_barrier(void)
{
	return 0;
}

static int single_abort(int status, const char *msg)
{
	zc_err("job abort (status %d): %s", status, msg);
	/* A job of one has no launcher to ask: end this process ourselves,
	 * the only exit the library takes, on the user's explicit request. */
	_Exit(status);
}

static void single_finalize(void)
{
	while (kvs) {
		struct single_kv *next = kvs->next;

		free(kvs->key);
		free(kvs->val);
		free(kvs);
		kvs = next;
	}
}

const struct zc_boot_backend zc_boot_single = {
	.init = single_init,
	.put = single_put,
	.exchange = single_exchange,
	.get = single_get,
	.barrier = single_barrier,
	.abort = single_abort,
	.finalize = single_finalize,
};
