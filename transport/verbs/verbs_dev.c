/* SPDX-License-Identifier: MIT */
/*
 * Device and port discovery: which RDMA devices exist, what they can do
 * (the largest inline send is not in any attribute: found by creating
 * queue pairs), which IPv4 address reaches each port (rdma_cm binds by
 * address), and the choice: ZC_VERBS_DEVICE=dev[:port], else the device
 * nearest this rank's CPUs by hwloc, ties broken by name.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hwloc.h>
#include <hwloc/openfabrics-verbs.h>

#include "verbs.h"

/* Largest max_inline_data an RC QP of this device accepts (0..4096). */
static uint32_t probe_inline(struct ibv_context *ctx)
{
	struct ibv_pd *pd = ibv_alloc_pd(ctx);
	struct ibv_cq *cq = pd ? ibv_create_cq(ctx, 4, NULL, NULL, 0) : NULL;
	uint32_t lo = 0, hi = 4096;

	if (!cq) {
		if (pd)
			ibv_dealloc_pd(pd);
		return 0;
	}
	while (lo < hi) {
		uint32_t mid = (lo + hi + 1) / 2;
		struct ibv_qp_init_attr a = {
			.send_cq = cq, .recv_cq = cq, .qp_type = IBV_QPT_RC,
			.cap = { .max_send_wr = 4, .max_recv_wr = 4,
				 .max_send_sge = 1, .max_recv_sge = 1,
				 .max_inline_data = mid },
		};
		struct ibv_qp *qp = ibv_create_qp(pd, &a);

		if (qp) {
			ibv_destroy_qp(qp);
			lo = mid;
		} else {
			hi = mid - 1;
		}
	}
	ibv_destroy_cq(cq);
	ibv_dealloc_pd(pd);
	return lo;
}

/* The IPv4 address rdma_cm binds to this device's port, if any. */
static bool find_ip(const char *dev, uint8_t port, struct in_addr *ip)
{
	struct ifaddrs *ifs, *i;
	bool found = false;

	if (getifaddrs(&ifs))
		return false;
	for (i = ifs; i && !found; i = i->ifa_next) {
		struct rdma_cm_id *id;
		struct sockaddr_in sa;

		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		if (rdma_create_id(NULL, &id, NULL, RDMA_PS_TCP))
			break;
		memcpy(&sa, i->ifa_addr, sizeof(sa));
		sa.sin_port = 0;
		if (!rdma_bind_addr(id, (struct sockaddr *)&sa) && id->verbs &&
		    !strcmp(ibv_get_device_name(id->verbs->device), dev) &&
		    (!port || id->port_num == port)) {
			*ip = sa.sin_addr;
			found = true;
		}
		rdma_destroy_id(id);
	}
	freeifaddrs(ifs);
	return found;
}

/* Fills d for device ibdev, its first active port (or want_port). */
static int dev_describe(struct ibv_device *ibdev, uint8_t want_port,
			struct zc_verbs_dev *d)
{
	struct ibv_context *ctx = ibv_open_device(ibdev);
	int rc = -ENODEV;

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", ibv_get_device_name(ibdev));
	if (!ctx)
		return -ENODEV;
	if (ibv_query_device(ctx, &d->attr))
		goto out;
	for (uint8_t p = 1; p <= d->attr.phys_port_cnt; p++) {
		if (want_port && p != want_port)
			continue;
		if (ibv_query_port(ctx, p, &d->port_attr))
			continue;
		d->port = p;
		if (d->port_attr.state == IBV_PORT_ACTIVE) {
			rc = 0;
			break;
		}
	}
	if (!rc) {
		d->max_inline = probe_inline(ctx);
		d->has_ip = find_ip(d->name, d->port, &d->ip);
	}
out:
	ibv_close_device(ctx);
	return rc;
}

/* Whether the device is close to the CPUs this thread may run on. */
static bool dev_near(hwloc_topology_t topo, struct ibv_device *ibdev)
{
	hwloc_cpuset_t mine = hwloc_bitmap_alloc(), near = hwloc_bitmap_alloc();
	bool ok = false;

	if (mine && near && !hwloc_get_cpubind(topo, mine, HWLOC_CPUBIND_THREAD) &&
	    !hwloc_ibv_get_device_cpuset(topo, ibdev, near))
		ok = hwloc_bitmap_isincluded(mine, near) ||
		     hwloc_bitmap_intersects(mine, near);
	hwloc_bitmap_free(mine);
	hwloc_bitmap_free(near);
	return ok;
}

int zc_verbs_dev_pick(struct zc_verbs_dev *dev)
{
	const char *want = zc_verbs_params.device;
	struct ibv_device **list;
	hwloc_topology_t topo = NULL;
	char name[IBV_SYSFS_NAME_MAX] = "";
	unsigned port = 0;
	int n, best = -1, rc = -ENODEV;

	if (strcmp(want, "auto") &&
	    sscanf(want, "%63[^:]:%u", name, &port) < 1) {
		zc_err("verbs: ZC_VERBS_DEVICE=%s is not dev[:port]", want);
		return -ZC_ECONFIG;
	}
	list = ibv_get_device_list(&n);
	if (!list || n == 0) {
		zc_err("verbs: no RDMA device (ibv_get_device_list)");
		if (list)
			ibv_free_device_list(list);
		return -ENODEV;
	}
	if (!*name && !hwloc_topology_init(&topo)) {
		hwloc_topology_set_io_types_filter(topo,
						   HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
		if (hwloc_topology_load(topo)) {
			hwloc_topology_destroy(topo);
			topo = NULL;
		}
	}
	for (int i = 0; i < n; i++) {
		struct zc_verbs_dev d;
		int score;

		if (*name && strcmp(ibv_get_device_name(list[i]), name))
			continue;
		if (dev_describe(list[i], (uint8_t)port, &d) || !d.has_ip) {
			if (*name)
				zc_err("verbs: device %s%s has no active port "
				       "with an IPv4 address (rdma_cm needs "
				       "one)", name, port ? " (that port)" : "");
			continue;
		}
		/* Nearest first; the list is in name order already. */
		score = topo && dev_near(topo, list[i]) ? 1 : 0;
		if (best < score) {
			best = score;
			*dev = d;
			rc = 0;
		}
	}
	if (rc && *name && best < 0)
		zc_err("verbs: ZC_VERBS_DEVICE=%s: no such usable device", want);
	else if (rc)
		zc_err("verbs: no RDMA device has an active port with an IPv4 "
		       "address");
	if (topo)
		hwloc_topology_destroy(topo);
	ibv_free_device_list(list);
	return rc;
}

static const char *atomic_name(enum ibv_atomic_cap a)
{
	return a == IBV_ATOMIC_HCA ? "ATOMIC_HCA" :
	       a == IBV_ATOMIC_GLOB ? "ATOMIC_GLOB" : "ATOMIC_NONE";
}

void zc_verbs_dev_info(FILE *out)
{
	struct ibv_device **list;
	int n;

	list = ibv_get_device_list(&n);
	fprintf(out, "verbs devices:%s\n", list && n ? "" : " none");
	for (int i = 0; list && i < n; i++) {
		struct zc_verbs_dev d;
		char ip[INET_ADDRSTRLEN] = "none";

		if (dev_describe(list[i], 0, &d)) {
			fprintf(out, "  %-8s no active port\n", d.name);
			continue;
		}
		if (d.has_ip)
			inet_ntop(AF_INET, &d.ip, ip, sizeof(ip));
		fprintf(out, "  %-8s port %u %s, ipv4 %s, mtu %d\n"
			"           max_qp_wr %d, max_sge %d, max_sge_rd %d, "
			"max_inline %u (found by trying)\n"
			"           atomic_cap %s, max_qp_rd_atom %d, "
			"max_cqe %d, max_mr_size %llu\n",
			d.name, d.port, ibv_port_state_str(d.port_attr.state),
			ip, 128 << d.port_attr.active_mtu, d.attr.max_qp_wr,
			d.attr.max_sge, d.attr.max_sge_rd, d.max_inline,
			atomic_name(d.attr.atomic_cap), d.attr.max_qp_rd_atom,
			d.attr.max_cqe,
			(unsigned long long)d.attr.max_mr_size);
	}
	if (list)
		ibv_free_device_list(list);
}
