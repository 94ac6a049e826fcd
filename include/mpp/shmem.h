/* SPDX-License-Identifier: MIT */
/* <mpp/shmem.h>: where OpenSHMEM 1.0-era (SGI/Cray) programs look for the
 * API; the same as <shmem.h>. */
#ifndef ZC_MPP_SHMEM_H
#define ZC_MPP_SHMEM_H

#include <shmem.h>

#endif /* ZC_MPP_SHMEM_H */
