// SPDX-License-Identifier: GPL-2.0
/*
 * The module: parameters, the misc device /dev/zcomm (one open = one
 * rank), the text report read() returns, load and unload.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "zck.h"

unsigned int zck_port = 18525;	/* not 18515: perftest's default */
module_param_named(port, zck_port, uint, 0444);
MODULE_PARM_DESC(port, "rdma_cm port the module listens on and connects to");
unsigned int zck_timeout_ms = 20000;
module_param_named(timeout_ms, zck_timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms, "bound on connect, attach and atomic requests");

struct workqueue_struct *zck_wq;
static atomic_t zck_nfiles = ATOMIC_INIT(0);
atomic64_t zck_pinned_pages = ATOMIC64_INIT(0);
static struct delayed_work zck_tick_work;

static void zck_tick(struct work_struct *w)
{
	zck_conns_tick();
	queue_delayed_work(zck_wq, &zck_tick_work,
			   msecs_to_jiffies(ZCK_TICK_MS));
}

static int zck_open(struct inode *inode, struct file *file)
{
	struct zck_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	spin_lock_init(&f->lock);
	mutex_init(&f->mutex);
	xa_init_flags(&f->peers, XA_FLAGS_ALLOC);
	INIT_LIST_HEAD(&f->quiets);
	init_waitqueue_head(&f->wq);
	file->private_data = f;
	atomic_inc(&zck_nfiles);
	return 0;
}

static int zck_release(struct inode *inode, struct file *file)
{
	zck_file_release(file->private_data);
	atomic_dec(&zck_nfiles);
	return 0;
}

/* The report: what zcomm_info prints and tests read counters from. */
static ssize_t zck_read(struct file *file, char __user *ubuf, size_t len,
			loff_t *pos)
{
	const size_t cap = 64 * 1024;
	struct seq_buf s;
	char *buf;
	ssize_t n;

	buf = kvmalloc(cap, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	seq_buf_init(&s, buf, cap);
	seq_buf_printf(&s, "zcomm kernel module %s abi %u port %u\n",
		       ZCK_VERSION, ZCK_ABI_VERSION, zck_port);
	zck_addrs_report(&s);
	mutex_lock(&zck_lock);
	zck_dev_report(&s);
	zck_conns_report(&s);
	seq_buf_printf(&s, "files %d registrations %ld pinned_pages %lld\n",
		       atomic_read(&zck_nfiles), atomic_long_read(&zck_nregs),
		       atomic64_read(&zck_pinned_pages));
	mutex_unlock(&zck_lock);
	n = simple_read_from_buffer(ubuf, len, pos, buf, seq_buf_used(&s));
	kvfree(buf);
	return n;
}

static const struct file_operations zck_fops = {
	.owner = THIS_MODULE,
	.open = zck_open,
	.release = zck_release,
	.read = zck_read,
	.uring_cmd = zck_uring_cmd,
	.llseek = noop_llseek,
};

static struct miscdevice zck_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = ZCK_DEV_NAME,
	.fops = &zck_fops,
	.mode = 0666,
};

static int __init zck_init(void)
{
	int rc;

	zck_wq = alloc_workqueue("zcomm", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!zck_wq)
		return -ENOMEM;
	rc = zck_dev_client_register();
	if (rc)
		goto out_wq;
	rc = zck_listen_start();
	if (rc)
		goto out_client;
	rc = misc_register(&zck_misc);
	if (rc)
		goto out_listen;
	INIT_DELAYED_WORK(&zck_tick_work, zck_tick);
	queue_delayed_work(zck_wq, &zck_tick_work,
			   msecs_to_jiffies(ZCK_TICK_MS));
	zck_info("loaded, version %s, listening on port %u", ZCK_VERSION,
		 zck_port);
	return 0;
out_listen:
	zck_listen_stop();
out_client:
	zck_dev_client_unregister();
out_wq:
	destroy_workqueue(zck_wq);
	return rc;
}

static void __exit zck_exit(void)
{
	misc_deregister(&zck_misc);
	cancel_delayed_work_sync(&zck_tick_work);
	zck_listen_stop();
	zck_regs_flush();
	zck_conns_kill_all();
	zck_dev_client_unregister();
	destroy_workqueue(zck_wq);
	zck_info("unloaded");
}

module_init(zck_init);
module_exit(zck_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("zcomm: kernel-owned RDMA connections fed by io_uring");
MODULE_VERSION(ZCK_VERSION);
