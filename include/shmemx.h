/* SPDX-License-Identifier: MIT */
/*
 * shmemx.h: zcomm's extensions to OpenSHMEM. Programs written for other
 * implementations often include it; everything zcomm adds is declared in
 * shmem.h (shmem_initialized), so this header only includes that.
 */
#ifndef ZC_SHMEMX_H
#define ZC_SHMEMX_H

#include <shmem.h>

#endif /* ZC_SHMEMX_H */
