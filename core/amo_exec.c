/* SPDX-License-Identifier: MIT */
/* The one execution of an atomic on local memory. Every provider's target
 * side runs atomics here (and the kernel module runs the same code,
 * zc_amo_cpu.h), so they are atomic with each other whichever provider
 * carried them. */
#include <errno.h>

#include "zc_amo_cpu.h"
#include "zc_provider.h"

int zc_amo_exec(void *loc, enum zc_amo_op op, size_t width, uint64_t value,
	       uint64_t cmp, uint64_t *old)
{
	return zc_amo_cpu(loc, (int)op, width, value, cmp, old);
}
