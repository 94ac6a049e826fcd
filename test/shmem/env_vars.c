/* SPDX-License-Identifier: MIT */
/* The specification's environment variables, one mode per run (the
 * script env_vars.sh sets them and reads the output back):
 *   size BYTES  SHMEM_SYMMETRIC_SIZE (or SMA_) gives a heap where one
 *               BYTES block fits and a second one does not
 *   debug       SHMEM_DEBUG turned zcomm's debug log on
 *   plain       nothing else to check (the script reads stdout) */
#include <string.h>

#include "sh_test.h"

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "plain";

	shmem_init();
	if (!strcmp(mode, "size") && argc > 2) {
		size_t bytes = strtoull(argv[2], NULL, 10);
		char *a = shmem_malloc(bytes), *b;

		SH_ASSERT(a, "a block of the whole SHMEM_SYMMETRIC_SIZE");
		memset(a, 1, bytes);
		b = shmem_malloc(bytes);	/* logs the exhausted heap */
		SH_ASSERT(!b, "the heap is far larger than asked");
		shmem_free(a);
	} else if (!strcmp(mode, "debug")) {
		const char *lvl = getenv("ZC_LOG");

		SH_ASSERT(lvl && !strcmp(lvl, "debug"), "ZC_LOG=%s",
			  lvl ? lvl : "(unset)");
	}
	return sh_test_done("shmem env_vars");
}
