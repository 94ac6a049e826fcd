/* SPDX-License-Identifier: MIT */
/*
 * The OpenSHMEM layer as one translation unit, for the profiling
 * interface: every routine is defined under its pshmem_* name (sh.h
 * includes the generated sh_pshmem_names.h, `#define shmem_X pshmem_X`),
 * and each shmem_* is made a weak alias of it here. GCC and clang accept
 * `#pragma weak alias = target` only for a target defined in the same
 * translation unit, hence one unit; the files stay separate to read.
 * Both generated headers come from doc/shmem-symbols.txt (shmem/CMakeLists.txt).
 */
#include "init.c"
#include "heap.c"
#include "rma.c"
#include "amo.c"
#include "sync.c"
#include "lock.c"
#include "team.c"
#include "coll.c"
#include "gets.c"
#include "aset.c"
#include "symdata.c"
#include "env.c"

#include "sh_pshmem_weak.h"
