/* SPDX-License-Identifier: MIT */
/*
 * Placement of the ranks of a node (ZC_BIND), with hwloc naming the cores.
 *
 * When a node runs more ranks than CPUs and the launcher bound none of
 * them (mpirun does not bind oversubscribed jobs), every waiting rank
 * yields instead of sleeping, so all of them stay runnable and the kernel
 * keeps moving them between CPUs; now and then it stacks three ranks on
 * one CPU of two. Measured (4 ranks on 2 CPUs, flat barrier): 2.9 us, or
 * 4.4 us in a quarter of the runs; bound round robin, 2.9-3.4 us every
 * time (doc/performance.md). So auto binds then, and only then.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <hwloc.h>

#include "zc_core.h"

/* The k-th CPU of `order`: cores round robin, then the hardware threads
 * of each core, so ranks fill every core before they share one. */
static int pick_pu(hwloc_topology_t topo, hwloc_const_bitmap_t allowed,
		   int k, hwloc_bitmap_t out)
{
	int ncores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	hwloc_obj_type_t type = ncores > 0 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
	int nobj = ncores > 0 ? ncores : hwloc_get_nbobjs_by_type(topo, type);
	hwloc_obj_t obj;
	int n, i, pu = -1;

	if (nobj <= 0)
		return -ENODEV;
	obj = hwloc_get_obj_by_type(topo, type, (unsigned)(k % nobj));
	if (!obj || !obj->cpuset)
		return -ENODEV;
	hwloc_bitmap_and(out, obj->cpuset, allowed);
	n = hwloc_bitmap_weight(out);
	if (n <= 0)
		return -ENODEV;
	for (i = 0, pu = hwloc_bitmap_first(out); i < (k / nobj) % n; i++)
		pu = hwloc_bitmap_next(out, pu);
	hwloc_bitmap_only(out, (unsigned)pu);
	return pu;
}

int zc_bind_rank(const struct zc_ctx *c)
{
	const char *mode = zc_core_params.bind;
	bool always = !strcmp(mode, "always");
	hwloc_topology_t topo;
	hwloc_bitmap_t cur, set;
	hwloc_const_bitmap_t allowed;
	int pu;

	if (!strcmp(mode, "none"))
		return 0;
	if (!always && strcmp(mode, "auto")) {
		zc_err("ZC_BIND=%s: expected auto, always or none", mode);
		return -ZC_ECONFIG;
	}
	if (!always && !c->oversub)
		return 0;
	if (hwloc_topology_init(&topo))
		return 0;
	cur = hwloc_bitmap_alloc();
	set = hwloc_bitmap_alloc();
	if (!cur || !set || hwloc_topology_load(topo)) {
		zc_warn("ZC_BIND: cannot read the topology; placement left "
			"to the OS");
		goto out;
	}
	allowed = hwloc_topology_get_allowed_cpuset(topo);
	if (hwloc_get_cpubind(topo, cur, HWLOC_CPUBIND_THREAD)) {
		zc_warn("ZC_BIND: cannot read my binding: %s", strerror(errno));
		goto out;
	}
	/* A launcher or the user bound me already: theirs to decide. */
	if (!always && !hwloc_bitmap_isincluded(allowed, cur)) {
		zc_dbg("ZC_BIND: already bound by the launcher; left as is");
		goto out;
	}
	pu = pick_pu(topo, allowed, c->local_rank, set);
	if (pu < 0) {
		zc_warn("ZC_BIND: no CPU to bind local rank %d to",
			c->local_rank);
		goto out;
	}
	/* This thread only: threads the application already runs keep their
	 * placement; ours (a provider's progress thread) inherit it. */
	if (hwloc_set_cpubind(topo, set, HWLOC_CPUBIND_THREAD)) {
		zc_warn("ZC_BIND: binding local rank %d to CPU %d failed: %s",
			c->local_rank, pu, strerror(errno));
		goto out;
	}
	zc_info("bound local rank %d to CPU %d (%d ranks here, %ld CPUs; "
		"ZC_BIND=none leaves placement to the OS)", c->local_rank, pu,
		c->local_size, sysconf(_SC_NPROCESSORS_ONLN));
out:
	hwloc_bitmap_free(set);
	hwloc_bitmap_free(cur);
	hwloc_topology_destroy(topo);
	return 0;
}
