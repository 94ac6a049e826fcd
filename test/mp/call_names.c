/* SPDX-License-Identifier: MIT */
/* Errors name the public call and the real state: "zc_put called before
 * zc_init", "... after zc_finalize" (not an internal helper's name such as
 * rma, sym_alloc or wait_check); and zc_wait_until/zc_test on memory that
 * is not symmetric fail with -ZC_ENOTSYM (a peer could never change it)
 * instead of waiting or returning 0. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t_capture.h"

#define HAS(log, s) T_ASSERT(strstr((log), (s)), "log lacks \"%s\":\n%s", (s), (log))

static void no_internal_names(const char *log)
{
	static const char *const bad[] = { "rma called", "sym_alloc",
		"wait_check", "amo called", "strided called", "test_fetch called" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_ASSERT(!strstr(log, bad[i]), "internal name \"%s\" in:\n%s",
			 bad[i], log);
}

int main(void)
{
	long x = 0, v = 1;
	uint64_t old;
	void *p;
	const char *log;
	int me;

	t_cap_begin();
	T_ASSERT(zc_put(&x, &v, 8, 0) == -ZC_ENOTINIT, "put before init");
	T_ASSERT(zc_malloc(8, &p) == -ZC_ENOTINIT, "malloc before init");
	T_ASSERT(zc_wait_until(&x, ZC_INT64, ZC_CMP_EQ, 0) == -ZC_ENOTINIT,
		 "wait before init");
	T_ASSERT(zc_atomic(ZC_AMO_ADD, &x, 8, 1, 0, 0, &old) == -ZC_ENOTINIT,
		 "atomic before init");
	log = t_cap_end();
	HAS(log, "zc_put called before zc_init");
	HAS(log, "zc_malloc called before zc_init");
	HAS(log, "zc_wait_until called before zc_init");
	HAS(log, "zc_atomic called before zc_init");
	no_internal_names(log);

	T_OK(zc_init());
	me = zc_rank();
	t_cap_begin();
	T_ASSERT(zc_wait_until(&x, ZC_INT64, ZC_CMP_EQ, 0) == -ZC_ENOTSYM,
		 "wait_until on a stack variable");
	T_ASSERT(zc_test(&x, ZC_INT64, ZC_CMP_EQ, 0) == -ZC_ENOTSYM,
		 "test on a stack variable");
	log = t_cap_end();
	HAS(log, "zc_wait_until: ");
	HAS(log, "zc_test: ");
	HAS(log, "not symmetric");
	T_OK(zc_finalize());

	t_cap_begin();
	T_ASSERT(zc_put(&x, &v, 8, 0) == -ZC_ENOTINIT, "put after finalize");
	T_ASSERT(zc_get_nbi(&x, &v, 8, 0) == -ZC_ENOTINIT, "get after finalize");
	T_ASSERT(zc_iput(&x, &v, 1, 1, 8, 1, 0) == -ZC_ENOTINIT, "iput after");
	T_ASSERT(zc_test(&x, ZC_INT64, ZC_CMP_EQ, 0) == -ZC_ENOTINIT, "test after");
	log = t_cap_end();
	HAS(log, "zc_put called after zc_finalize");
	HAS(log, "zc_get_nbi called after zc_finalize");
	HAS(log, "zc_iput called after zc_finalize");
	HAS(log, "zc_test called after zc_finalize");
	T_ASSERT(!strstr(log, "before zc_init"), "says before init:\n%s", log);
	no_internal_names(log);
	if (me == 0)
		printf("call_names: public names and states in every message\n");
	return 0;
}
