/* SPDX-License-Identifier: MIT */
/* One size grammar and honest limits (issue 15, usability): sizes take
 * fractions ("1.5G", as SHMEM_SYMMETRIC_SIZE always did) with the same
 * parser everywhere, also ZC_HEAP_SIZE's; times take the same numbers
 * and are rounded up to whole ms; ZC_PEER_TIMEOUT=0 is refused at init
 * naming the variable (not silently replaced by 5000); the heap's
 * minimum is enforced as stated, and a heap larger than the machine's
 * memory is warned about; a bad ZC_TCP_* value is
 * named with its value; a 1 MiB heap works (the library's own state no
 * longer takes from it). Each
 * zc_init runs alone (a singleton). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
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

	/* Times: the same number grammar, us/ms/s, rounded up to whole ms
	 * (1500us was 1 ms, 500us was 0 and then refused as not positive;
	 * strtod took nan, inf, 1e3 and hex). */
	{
		static const struct { const char *s; long ms; } ok[] = {
			{ "1500us", 2 }, { "500us", 1 }, { "2.5s", 2500 },
			{ "250", 250 }, { "0.0001ms", 1 }, { ".5s", 500 },
			{ "0", 0 }, { "7ms", 7 },
		};
		static const char *const bad[] = { "nan", "inf", "1e3", "0x10",
			"-1", "5 s", "5m", "", "s", "1.5.2s" };
		long ms;

		for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
			T_OK(zc_parse_time_ms(ok[i].s, &ms));
			T_ASSERT(ms == ok[i].ms, "%s is %ld ms, want %ld", ok[i].s,
				 ms, ok[i].ms);
		}
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			T_ASSERT(zc_parse_time_ms(bad[i], &ms) < 0,
				 "time '%s' accepted", bad[i]);
	}
	setenv("ZC_PEER_TIMEOUT", "500us", 1);
	rc = init_logged();
	T_ASSERT(rc == 0, "ZC_PEER_TIMEOUT=500us: %s\n%s", zc_strerror(rc),
		 logbuf);
	T_OK(zc_finalize());

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

	/* The minimum stated is the one enforced, with the value named. */
	setenv("ZC_HEAP_SIZE", "4095", 1);
	rc = init_logged();
	T_ASSERT(rc == -ZC_ECONFIG && strstr(logbuf, "ZC_HEAP_SIZE=4095") &&
		 strstr(logbuf, "minimum 4096"), "ZC_HEAP_SIZE=4095: %d\n%s", rc,
		 logbuf);
	setenv("ZC_HEAP_SIZE", "4096", 1);
	T_OK(init_logged());
	T_OK(zc_finalize());
	/* ZC_HEAP_SIZE itself takes the grammar's fractions. */
	setenv("ZC_HEAP_SIZE", "1.5M", 1);
	T_OK(init_logged());
	T_OK(zc_heap_info(&heap, &freeb));
	T_ASSERT(heap == (size_t)3 << 19, "ZC_HEAP_SIZE=1.5M gave %zu", heap);
	T_OK(zc_finalize());
	/* A heap larger than the machine's memory is warned about (it is
	 * only used as touched, so zc_init may still work). */
	{
		long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
		char big[32];

		T_ASSERT(pages > 0 && psz > 0, "_SC_PHYS_PAGES, _SC_PAGESIZE");
		snprintf(big, sizeof(big), "%zu", (size_t)pages * (size_t)psz * 2);
		setenv("ZC_HEAP_SIZE", big, 1);
		rc = init_logged();
		T_ASSERT(strstr(logbuf, "ZC_HEAP_SIZE=") &&
			 strstr(logbuf, "more than this machine's memory"),
			 "ZC_HEAP_SIZE=%s (twice the memory): no warning:\n%s",
			 big, logbuf);
		T_ASSERT(rc == 0 || rc == -ENOMEM, "ZC_HEAP_SIZE=%s: %s", big,
			 zc_strerror(rc));
		if (rc == 0)
			T_OK(zc_finalize());
		setenv("ZC_HEAP_SIZE", "64M", 1);
		rc = init_logged();
		T_ASSERT(rc == 0 && !strstr(logbuf, "machine's memory"),
			 "a 64M heap warned:\n%s", logbuf);
		T_OK(zc_finalize());
	}

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
