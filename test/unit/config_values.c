/* SPDX-License-Identifier: MIT */
/* One size grammar and honest limits (issue 15, usability): sizes take
 * fractions ("1.5G", as SHMEM_SYMMETRIC_SIZE always did) with the same
 * parser everywhere; ZC_PEER_TIMEOUT=0 is refused at init naming the
 * variable (not silently replaced by 5000); a bad ZC_TCP_* value is
 * named with its value; a 1 MiB heap works (the library's own state no
 * longer takes from it); the minimum stated is what is enforced. Each
 * zc_init runs alone (a singleton). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t_capture.h"
#include "zc_core.h"

static const char *logbuf = "";

/* zc_init with stderr captured; returns its rc, logbuf holds the log. */
static int init_logged(void)
{
	int rc;

	t_cap_begin();
	rc = zc_init();
	logbuf = t_cap_end();
	return rc;
}

int main(void)
{
	size_t sz, heap, freeb;
	void *p;
	int rc;

	T_OK(zc_parse_size("1.5G", &sz));
	T_ASSERT(sz == (size_t)3 << 29, "1.5G is %zu", sz);
	T_OK(zc_parse_size("0.5k", &sz));
	T_ASSERT(sz == 512, "0.5k is %zu", sz);
	T_OK(zc_parse_size(".25M", &sz));
	T_ASSERT(sz == 1u << 18, ".25M is %zu", sz);
	T_OK(zc_parse_size("1.0001K", &sz));
	T_ASSERT(sz == 1025, "fractions round up: %zu", sz);
	T_ASSERT(zc_parse_size("1.5.2G", &sz) < 0, "1.5.2G accepted");
	T_ASSERT(zc_parse_size("nan", &sz) < 0 && zc_parse_size("inf", &sz) < 0 &&
		 zc_parse_size("0x10", &sz) < 0 && zc_parse_size("1e3", &sz) < 0,
		 "nan/inf/hex/exponent accepted");

	setenv("ZC_PEER_TIMEOUT", "0", 1);
	rc = init_logged();
	T_ASSERT(rc == -ZC_ECONFIG, "ZC_PEER_TIMEOUT=0: zc_init gave %d", rc);
	T_ASSERT(strstr(logbuf, "ZC_PEER_TIMEOUT"), "not named:\n%s", logbuf);
	unsetenv("ZC_PEER_TIMEOUT");

	setenv("ZC_TRANSPORTS", "tcp", 1);
	setenv("ZC_TCP_CREDITS", "0", 1);
	rc = init_logged();
	T_ASSERT(rc == -ZC_ECONFIG, "ZC_TCP_CREDITS=0: zc_init gave %d", rc);
	T_ASSERT(strstr(logbuf, "ZC_TCP_CREDITS=0"), "variable and value not "
		 "named:\n%s", logbuf);
	unsetenv("ZC_TCP_CREDITS");
	unsetenv("ZC_TRANSPORTS");

	setenv("ZC_HEAP_SIZE", "1M", 1);
	rc = init_logged();
	T_ASSERT(rc == 0, "ZC_HEAP_SIZE=1M: %s\n%s", zc_strerror(rc), logbuf);
	T_OK(zc_heap_info(&heap, &freeb));
	T_ASSERT(heap == 1u << 20 && freeb == heap, "1M heap: %zu, %zu free",
		 heap, freeb);
	T_OK(zc_malloc(freeb, &p));
	T_OK(zc_free(p));
	T_OK(zc_finalize());

	printf("config_values: ok\n");
	return 0;
}
