/* SPDX-License-Identifier: MIT */
/* Placeholder until the collectives layer lands: world barrier only. */
#include "zc_core.h"

int zc_barrier_all(void)
{
	return zc_core_barrier();
}
