/* SPDX-License-Identifier: MIT */
/* Tunable parsing: sizes with suffixes, transports lists, invalid values
 * rejected by the same code zc_init runs. */
#include <stdlib.h>
#include <string.h>

#include "t_helpers.h"
#include "zc_core.h"

int main(void)
{
	size_t sz;
	int order[8], n;
	const struct zc_param *heap = NULL;

	zc_log_level = ZC_LOG_ERROR;
	T_OK(zc_parse_size("4096", &sz));
	T_ASSERT(sz == 4096, "%zu", sz);
	T_OK(zc_parse_size("64K", &sz));
	T_ASSERT(sz == 65536, "%zu", sz);
	T_OK(zc_parse_size("3m", &sz));
	T_ASSERT(sz == 3u << 20, "%zu", sz);
	T_OK(zc_parse_size("2G", &sz));
	T_ASSERT(sz == (size_t)2 << 30, "%zu", sz);
	T_OK(zc_parse_size("1MB", &sz));
	T_ASSERT(sz == 1u << 20, "%zu", sz);
	T_ASSERT(zc_parse_size("", &sz) < 0, "empty accepted");
	T_ASSERT(zc_parse_size("12Q", &sz) < 0, "bad suffix accepted");
	T_ASSERT(zc_parse_size("-5M", &sz) < 0, "negative accepted");
	T_ASSERT(zc_parse_size("99999999999999999999G", &sz) < 0,
		 "overflow accepted");
	T_ASSERT(zc_parse_size("1G2", &sz) < 0, "trailing junk accepted");

	T_OK(zc_transports_parse("shm", order, 8, &n));
	T_ASSERT(n == 1 && !strcmp(zc_providers[order[0]]->name, "shm"),
		 "shm not parsed");
	T_ASSERT(zc_transports_parse("shm,bogus", order, 8, &n) ==
		 -ZC_ECONFIG, "unknown transport accepted");
	T_ASSERT(zc_transports_parse("", order, 8, &n) == -ZC_ECONFIG,
		 "empty list accepted");
	T_ASSERT(zc_transports_parse("shm,,shm", order, 8, &n) ==
		 -ZC_ECONFIG, "empty element accepted");

	for (const struct zc_param *p = zc_core_param_table; p->name; p++)
		if (!strcmp(p->name, "ZC_HEAP_SIZE"))
			heap = p;
	T_ASSERT(heap != NULL, "ZC_HEAP_SIZE not declared");
	setenv("ZC_HEAP_SIZE", "32M", 1);
	T_OK(zc_param_load(heap));
	T_ASSERT(zc_core_params.heap_size == 32u << 20, "env not read");
	setenv("ZC_HEAP_SIZE", "lots", 1);
	T_ASSERT(zc_param_load(heap) == -ZC_ECONFIG, "bad env accepted");
	unsetenv("ZC_HEAP_SIZE");
	T_OK(zc_param_load(heap));
	T_ASSERT(zc_core_params.heap_size == 256u << 20, "default not 256M");
	setenv("ZC_LOG", "loud", 1);
	T_ASSERT(zc_params_load_all() == -ZC_ECONFIG, "bad ZC_LOG accepted");
	setenv("ZC_LOG", "error", 1);
	setenv("ZC_PEER_TIMEOUT", "2.5s", 1);
	T_OK(zc_params_load_all());
	T_ASSERT(zc_core_params.peer_timeout_ms == 2500, "%ld",
		 zc_core_params.peer_timeout_ms);
	printf("params_parse: ok\n");
	return 0;
}
