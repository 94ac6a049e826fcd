/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The kernel build of the shared codecs (transport/smbd, transport/msg):
 * the C library names they use, from the kernel's own headers. */
#include <linux/types.h>
#include <linux/limits.h>
#include <linux/stddef.h>
#ifndef UINT16_MAX
#define UINT16_MAX U16_MAX
#define UINT32_MAX U32_MAX
#define UINT64_MAX U64_MAX
#endif
