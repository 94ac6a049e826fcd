// SPDX-License-Identifier: GPL-2.0
/*
 * RDMA devices: one PD each (ib_client add/remove), and which IPv4
 * address reaches which device (rdma_cm binds by address: the same rule
 * as the verbs provider's discovery, found here by binding a throw-away
 * id to each address of the host).
 */
#include <linux/inetdevice.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "zck.h"

DEFINE_MUTEX(zck_lock);
LIST_HEAD(zck_devs);

static struct ib_client zck_client;

static void dev_free(struct kref *k)
{
	struct zck_dev *d = container_of(k, struct zck_dev, ref);

	kfree(d->sink);
	kfree(d);
}

void zck_dev_put(struct zck_dev *d)
{
	kref_put(&d->ref, dev_free);
}

static int zck_add_one(struct ib_device *ib)
{
	struct zck_dev *d;

	if (!(ib->attrs.device_cap_flags & IB_DEVICE_MEM_MGT_EXTENSIONS) ||
	    !ib->attrs.max_fast_reg_page_list_len) {
		zck_info("%s: no fast registration (FRWR): not used",
			 dev_name(&ib->dev));
		return -EOPNOTSUPP;
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->pd = ib_alloc_pd(ib, 0);
	if (IS_ERR(d->pd)) {
		int rc = PTR_ERR(d->pd);

		kfree(d);
		return rc;
	}
	d->ib = ib;
	d->iwarp = rdma_protocol_iwarp(ib, rdma_start_port(ib));
	if (d->iwarp) {
		d->sink = kzalloc(sizeof(*d->sink), GFP_KERNEL);
		if (d->sink)
			d->sink_dma = ib_dma_map_single(ib, d->sink,
							sizeof(*d->sink),
							DMA_FROM_DEVICE);
		if (!d->sink || ib_dma_mapping_error(ib, d->sink_dma)) {
			ib_dealloc_pd(d->pd);
			kfree(d->sink);
			kfree(d);
			return -ENOMEM;
		}
	}
	kref_init(&d->ref);
	mutex_lock(&zck_lock);
	list_add_tail(&d->node, &zck_devs);
	mutex_unlock(&zck_lock);
	ib_set_client_data(ib, &zck_client, d);
	zck_info("%s: added", dev_name(&ib->dev));
	return 0;
}

/* Device removal: every connection on it dies and is torn down now (its
 * commands complete with errors) and every registration's MRs on it are
 * dropped, then the PD: nothing of ours may touch the device after this
 * returns. Files bound to it fail their commands with -ENODEV. */
static void zck_remove_one(struct ib_device *ib, void *data)
{
	struct zck_dev *d = data;

	mutex_lock(&zck_lock);
	d->gone = true;
	list_del(&d->node);
	mutex_unlock(&zck_lock);
	zck_conns_kill_dev(d);
	zck_regs_drop_dev(d);
	if (d->sink)
		ib_dma_unmap_single(ib, d->sink_dma, sizeof(*d->sink),
				    DMA_FROM_DEVICE);
	ib_dealloc_pd(d->pd);
	d->pd = NULL;
	zck_info("%s: removed", dev_name(&ib->dev));
	zck_dev_put(d);
}

static struct ib_client zck_client = {
	.name = "zcomm",
	.add = zck_add_one,
	.remove = zck_remove_one,
};

int zck_dev_client_register(void)
{
	return ib_register_client(&zck_client);
}

void zck_dev_client_unregister(void)
{
	ib_unregister_client(&zck_client);
}

/* Referenced device for ib, or NULL. Under zck_lock. */
struct zck_dev *zck_dev_find(struct ib_device *ib)
{
	struct zck_dev *d;

	list_for_each_entry(d, &zck_devs, node)
		if (d->ib == ib && !d->gone) {
			kref_get(&d->ref);
			return d;
		}
	return NULL;
}

static int bind_handler(struct rdma_cm_id *id, struct rdma_cm_event *ev)
{
	return 0;
}

/* Which device an address binds to (referenced), or NULL. */
static struct zck_dev *addr_dev(__be32 a)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = a };
	struct rdma_cm_id *id;
	struct zck_dev *d = NULL;

	id = rdma_create_id(&init_net, bind_handler, NULL, RDMA_PS_TCP,
			    IB_QPT_RC);
	if (IS_ERR(id))
		return NULL;
	if (!rdma_bind_addr(id, (struct sockaddr *)&sin) && id->device) {
		mutex_lock(&zck_lock);
		d = zck_dev_find(id->device);
		mutex_unlock(&zck_lock);
	}
	rdma_destroy_id(id);
	return d;
}

#define MAX_ADDRS 64

static int host_addrs(__be32 *a, int max)
{
	struct net_device *nd;
	int n = 0;

	rcu_read_lock();
	for_each_netdev_rcu(&init_net, nd) {
		struct in_device *in = __in_dev_get_rcu(nd);
		const struct in_ifaddr *ifa;

		if (!in || (nd->flags & IFF_LOOPBACK) || !(nd->flags & IFF_UP))
			continue;
		in_dev_for_each_ifa_rcu(ifa, in)
			if (n < max)
				a[n++] = ifa->ifa_local;
	}
	rcu_read_unlock();
	return n;
}

/*
 * The address and device a file binds to: want (an address, checked to
 * reach an RDMA device), else the first address of device name, else the
 * first address of the first device (by name) that has one.
 */
int zck_dev_resolve(const char *name, __be32 want, __be32 *addr_p,
		    struct zck_dev **dev_p)
{
	__be32 *a, best_a = 0;
	struct zck_dev *best = NULL;
	int n, i;

	if (want) {
		*dev_p = addr_dev(want);
		*addr_p = want;
		return *dev_p ? 0 : -EADDRNOTAVAIL;
	}
	a = kcalloc(MAX_ADDRS, sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	n = host_addrs(a, MAX_ADDRS);
	for (i = 0; i < n; i++) {
		struct zck_dev *d = addr_dev(a[i]);
		const char *dn;

		if (!d)
			continue;
		dn = dev_name(&d->ib->dev);
		if ((*name && strcmp(dn, name)) ||
		    (best && strcmp(dn, dev_name(&best->ib->dev)) >= 0)) {
			zck_dev_put(d);
			continue;
		}
		if (best)
			zck_dev_put(best);
		best = d;
		best_a = a[i];
	}
	kfree(a);
	if (!best)
		return -ENODEV;
	*dev_p = best;
	*addr_p = best_a;
	return 0;
}

/* Under zck_lock. */
void zck_dev_report(struct seq_buf *s)
{
	struct zck_dev *d;

	list_for_each_entry(d, &zck_devs, node) {
		const struct ib_device_attr *at = &d->ib->attrs;

		seq_buf_printf(s, "device %s max_qp_wr %d max_send_sge %d "
			       "max_sge_rd %d max_qp_rd_atom %d "
			       "fast_reg_pages %u\n", dev_name(&d->ib->dev),
			       at->max_qp_wr, at->max_send_sge, at->max_sge_rd,
			       at->max_qp_rd_atom,
			       at->max_fast_reg_page_list_len);
	}
}

/* "addr A dev D" for every host address that reaches one of our
 * devices: what the user-space provider picks its node address from.
 * Not under zck_lock (binding takes it). */
void zck_addrs_report(struct seq_buf *s)
{
	__be32 *a = kcalloc(MAX_ADDRS, sizeof(*a), GFP_KERNEL);
	int n, i;

	if (!a)
		return;
	n = host_addrs(a, MAX_ADDRS);
	for (i = 0; i < n; i++) {
		struct zck_dev *d = addr_dev(a[i]);

		if (!d)
			continue;
		seq_buf_printf(s, "addr %pI4 dev %s\n", &a[i],
			       dev_name(&d->ib->dev));
		zck_dev_put(d);
	}
	kfree(a);
}
