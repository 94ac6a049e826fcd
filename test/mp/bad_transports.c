/* SPDX-License-Identifier: MIT */
/* An unknown ZC_TRANSPORTS value fails zc_init with ZC_ECONFIG (and a
 * line naming it); then a good value works in the same process. */
#include <stdlib.h>

#include "t_helpers.h"

int main(void)
{
	setenv("ZC_TRANSPORTS", "shm,carrier-pigeon", 1);
	int rc = zc_init();

	T_ASSERT(rc == -ZC_ECONFIG, "zc_init returned %d (%s)", rc, zc_strerror(rc));
	T_ASSERT(!zc_initialized(), "initialised despite the error");
	setenv("ZC_HEAP_SIZE", "12parsecs", 1);
	setenv("ZC_TRANSPORTS", "shm", 1);
	rc = zc_init();
	T_ASSERT(rc == -ZC_ECONFIG, "bad ZC_HEAP_SIZE: %d", rc);
	printf("bad_transports: init refused as expected\n");
	return 0;
}
