/* SPDX-License-Identifier: MIT */
/* PMIx back-end: rank, size and locality from the launcher's PMIx server;
 * address blobs through Put/Commit/Fence/Get. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pmix.h>

#include "boot_int.h"
#include "zc_log.h"
#include <zcomm.h>

static pmix_proc_t myproc;

static int get_u32(const pmix_proc_t *proc, const char *key, uint32_t *out)
{
	pmix_value_t *val = NULL;
	pmix_status_t rc = PMIx_Get(proc, key, NULL, 0, &val);

	if (rc != PMIX_SUCCESS) {
		zc_dbg("PMIx_Get(%s) of rank %u: %s", key, proc->rank,
		       PMIx_Error_string(rc));
		return -ENOENT;
	}
	switch (val->type) {
	case PMIX_UINT32: *out = val->data.uint32; break;
	case PMIX_UINT16: *out = val->data.uint16; break;
	case PMIX_INT: *out = (uint32_t)val->data.integer; break;
	case PMIX_PROC_RANK: *out = val->data.rank; break;
	default:
		PMIX_VALUE_RELEASE(val);
		return -EPROTO;
	}
	PMIX_VALUE_RELEASE(val);
	return 0;
}

/* No PMIx server for this process (a failed PMIx_Init): no launcher
 * appears later, and every PMIx_Init/PMIx_Finalize pair costs ~155 KiB
 * that PMIx never frees (a bare PMIx program shows it), so later zc_init
 * calls do not ask again. */
static bool no_server;

/* Connected to a PMIx server and left so by zc_finalize: the connection
 * is kept until the process ends, and the next zc_init uses it. Closing
 * it at every zc_finalize raced the peers' next cycle: the server ends a
 * fence during which a participant's connection closes with
 * PMIX_ERR_PARTIAL_SUCCESS and without that participant's data, so a
 * rank whose new zc_init reached its first fence before a slower rank
 * had closed its old connection failed (about 1 run in 4 of 5 cycles at
 * 2 ranks). */
static bool kept;

/* At exit (or when libzcomm is unloaded): the connection kept since the
 * last zc_finalize is closed as PMIx_Finalize closes it. A process that
 * ends without zc_finalize leaves PMIx as it always did. */
__attribute__((destructor)) static void pmix_close_kept(void)
{
	if (kept)
		PMIx_Finalize(NULL, 0);
	kept = false;
}

static int pmix_init(struct zc_boot_info *info)
{
	pmix_status_t rc = kept ? PMIX_SUCCESS
		: no_server ? PMIX_ERR_UNREACH : PMIx_Init(&myproc, NULL, 0);
	pmix_proc_t wild;
	uint32_t v;

	kept = false;
	if (rc != PMIX_SUCCESS) {
		bool alone = rc == PMIX_ERR_UNREACH || rc == PMIX_ERR_NOT_FOUND ||
			     rc == PMIX_ERR_INIT;

		no_server = alone;
		if (alone)
			zc_dbg("PMIx_Init: %s", PMIx_Error_string(rc));
		else
			zc_err("PMIx_Init failed: %s", PMIx_Error_string(rc));
		/* A failed PMIx_Init leaves PMIx initialised, its progress
		 * thread running and its event base's 4 fds open, until
		 * PMIx_Finalize. */
		if (PMIx_Initialized())
			PMIx_Finalize(NULL, 0);
		return alone ? -ENOENT : -ZC_EBOOT;
	}
	PMIX_LOAD_PROCID(&wild, myproc.nspace, PMIX_RANK_WILDCARD);
	info->rank = (int)myproc.rank;
	if (get_u32(&wild, PMIX_JOB_SIZE, &v)) {
		zc_err("PMIx_Get(%s) failed", PMIX_JOB_SIZE);
		PMIx_Finalize(NULL, 0);
		return -ZC_EBOOT;
	}
	info->size = (int)v;
	info->local_rank = get_u32(&myproc, PMIX_LOCAL_RANK, &v) ? -1 : (int)v;
	info->local_size = get_u32(&wild, PMIX_LOCAL_SIZE, &v) ? -1 : (int)v;
	info->backend = "pmix";
	return 0;
}

static int pmix_put(const char *key, const void *val, size_t len)
{
	pmix_value_t v;
	pmix_status_t rc;

	PMIX_VALUE_CONSTRUCT(&v);
	v.type = PMIX_BYTE_OBJECT;
	v.data.bo.bytes = (char *)val;
	v.data.bo.size = len;
	rc = PMIx_Put(PMIX_GLOBAL, key, &v);
	if (rc != PMIX_SUCCESS) {
		zc_err("PMIx_Put(%s, %zu bytes): %s", key, len,
		       PMIx_Error_string(rc));
		return -ZC_EBOOT;
	}
	return 0;
}

static int pmix_exchange(void)
{
	pmix_info_t info;
	bool collect = true;
	pmix_status_t rc = PMIx_Commit();

	if (rc != PMIX_SUCCESS) {
		zc_err("PMIx_Commit: %s", PMIx_Error_string(rc));
		return -ZC_EBOOT;
	}
	PMIX_INFO_LOAD(&info, PMIX_COLLECT_DATA, &collect, PMIX_BOOL);
	rc = PMIx_Fence(NULL, 0, &info, 1);
	PMIX_INFO_DESTRUCT(&info);
	if (rc != PMIX_SUCCESS) {
		zc_err("PMIx_Fence (exchange): %s", PMIx_Error_string(rc));
		return -ZC_EBOOT;
	}
	return 0;
}

static int pmix_get(int rank, const char *key, void *val, size_t *len_p)
{
	pmix_proc_t proc;
	pmix_value_t *v = NULL;
	pmix_status_t rc;
	int ret = 0;

	PMIX_LOAD_PROCID(&proc, myproc.nspace, (pmix_rank_t)rank);
	rc = PMIx_Get(&proc, key, NULL, 0, &v);
	if (rc != PMIX_SUCCESS) {
		zc_err("PMIx_Get(%s) of rank %d: %s", key, rank,
		       PMIx_Error_string(rc));
		return -ENOENT;
	}
	if (v->type != PMIX_BYTE_OBJECT) {
		ret = -EPROTO;
	} else if (v->data.bo.size > *len_p) {
		ret = -EMSGSIZE;
	} else {
		memcpy(val, v->data.bo.bytes, v->data.bo.size);
		*len_p = v->data.bo.size;
	}
	PMIX_VALUE_RELEASE(v);
	return ret;
}

static int pmix_barrier(void)
{
	pmix_status_t rc = PMIx_Fence(NULL, 0, NULL, 0);

	if (rc != PMIX_SUCCESS) {
		zc_err("PMIx_Fence: %s", PMIx_Error_string(rc));
		return -ZC_EBOOT;
	}
	return 0;
}

static int pmix_abort(int status, const char *msg)
{
	pmix_status_t rc = PMIx_Abort(status, msg, NULL, 0);

	return rc == PMIX_SUCCESS ? 0 : -ZC_EBOOT;
}

static void pmix_finalize(void)
{
	kept = true;
}

const struct zc_boot_backend zc_boot_pmix = {
	.init = pmix_init,
	.put = pmix_put,
	.exchange = pmix_exchange,
	.get = pmix_get,
	.barrier = pmix_barrier,
	.abort = pmix_abort,
	.finalize = pmix_finalize,
};
