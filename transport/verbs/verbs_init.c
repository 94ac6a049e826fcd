/* SPDX-License-Identifier: MIT */
/* The verbs ops table, its tunables, and the provider's life: device,
 * PD, CQs, the heap's registration and the listener (open), the mesh
 * (connect), orderly shutdown (close). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <unistd.h>

#include "verbs.h"

struct zc_verbs_params zc_verbs_params;

static const struct zc_param verbs_params[] = {
	{ "ZC_VERBS_DEVICE", ZC_PARAM_STRING, "auto",
	  "RDMA device[:port] to use; auto: the one nearest this rank's CPUs "
	  "(hwloc) with an active port and an IPv4 address, ties by name",
	  &zc_verbs_params.device },
	{ "ZC_VERBS_SQ_DEPTH", ZC_PARAM_INT, "256",
	  "send queue slots per peer (16..16384): posting waits for room "
	  "beyond that", &zc_verbs_params.sq_depth },
	{ "ZC_VERBS_CREDITS", ZC_PARAM_INT, "16",
	  "SMB-Direct credits per peer: receives posted for control "
	  "messages (atomics), and atomics in flight per peer (2..1024)",
	  &zc_verbs_params.credits },
	{ "ZC_VERBS_INLINE", ZC_PARAM_INT, "-1",
	  "puts up to this size are sent inline (no registration, source "
	  "free at once); -1: the device's largest, found by trying",
	  &zc_verbs_params.inline_max },
	{ "ZC_VERBS_BOUNCE_MAX", ZC_PARAM_SIZE, "64K",
	  "non-heap buffers up to this size are copied through a registered "
	  "bounce slot; larger ones are registered for the operation",
	  &zc_verbs_params.bounce_max },
	{ "ZC_VERBS_BOUNCE_COUNT", ZC_PARAM_INT, "32",
	  "bounce slots (1..4096)", &zc_verbs_params.bounce_count },
	{ "ZC_VERBS_ATOMICS", ZC_PARAM_STRING, "auto",
	  "who executes atomics: cpu (the target's progress thread, with CPU "
	  "atomics: atomic with shm peers' on the same location), device "
	  "(the NICs execute every atomic of the job, a rank's own too; only "
	  "where every rank is a verbs peer with device atomics, else cpu), "
	  "auto (device where the whole job can, else cpu; doc/verbs.md)",
	  &zc_verbs_params.atomics },
	{ "ZC_VERBS_CONNECT_TIMEOUT", ZC_PARAM_TIME_MS, "30s",
	  "time allowed for the full mesh to connect at init",
	  &zc_verbs_params.connect_timeout_ms },
	{ "ZC_VERBS_SPIN_US", ZC_PARAM_INT, "-1",
	  "the progress thread polls this long after a message before it "
	  "sleeps; -1: 20 unless this node runs more ranks than CPUs (0)",
	  &zc_verbs_params.spin_us },
	{ NULL, 0, NULL, NULL, NULL },
};

static int params_check(void)
{
	const struct zc_verbs_params *v = &zc_verbs_params;

	if (v->sq_depth < 16 || v->sq_depth > 16384) {
		zc_err("verbs: ZC_VERBS_SQ_DEPTH=%ld is outside 16..16384",
		       v->sq_depth);
		return -ZC_ECONFIG;
	}
	if (v->credits < 2 || v->credits > 1024) {
		zc_err("verbs: ZC_VERBS_CREDITS=%ld is outside 2..1024",
		       v->credits);
		return -ZC_ECONFIG;
	}
	if (v->bounce_count < 1 || v->bounce_count > 4096 ||
	    v->bounce_max < 64 || v->bounce_max > (16u << 20)) {
		zc_err("verbs: ZC_VERBS_BOUNCE_COUNT=%ld (1..4096) or "
		       "ZC_VERBS_BOUNCE_MAX=%zu (64..16M) out of range",
		       v->bounce_count, v->bounce_max);
		return -ZC_ECONFIG;
	}
	if (strcmp(v->atomics, "auto") && strcmp(v->atomics, "cpu") &&
	    strcmp(v->atomics, "device")) {
		zc_err("verbs: ZC_VERBS_ATOMICS=%s: auto, cpu or device",
		       v->atomics);
		return -ZC_ECONFIG;
	}
	return 0;
}

static int zc_verbs_query(const char **why_p)
{
	int n = 0;
	struct ibv_device **list = ibv_get_device_list(&n);

	if (list)
		ibv_free_device_list(list);
	if (!list || n == 0) {
		*why_p = "no RDMA device (ibv_get_device_list found none)";
		return -ENODEV;
	}
	return 0;
}

static int zc_verbs_reachable(const struct zc_prov_env *env, int rank)
{
	/* Core gives me only peers whose verbs works too; one fabric. */
	(void)env;
	(void)rank;
	return 1;
}

static int listen_on(struct zc_prov *p)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr = p->dev.ip };
	char ip[INET_ADDRSTRLEN];
	int rc;

	inet_ntop(AF_INET, &p->dev.ip, ip, sizeof(ip));
	p->cm = rdma_create_event_channel();
	if (!p->cm) {
		rc = -errno;
		zc_err("verbs: rdma_create_event_channel: %m");
		return rc;
	}
	if (rdma_create_id(p->cm, &p->listen_id, NULL, RDMA_PS_TCP) ||
	    rdma_bind_addr(p->listen_id, (struct sockaddr *)&sa) ||
	    rdma_listen(p->listen_id, 128)) {
		rc = -errno;
		zc_err("verbs: listening on %s (%s): %m", ip, p->dev.name);
		return rc;
	}
	p->port = rdma_get_src_port(p->listen_id);
	p->ctx = p->listen_id->verbs;
	if (!p->ctx || strcmp(ibv_get_device_name(p->ctx->device),
			      p->dev.name)) {
		zc_err("verbs: %s is bound to another device than %s", ip,
		       p->dev.name);
		return -ENODEV;
	}
	return 0;
}

static int verbs_objects(struct zc_prov *p)
{
	const struct ibv_device_attr *a = &p->dev.attr;
	int access = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
		     IBV_ACCESS_REMOTE_READ;
	long depth = zc_verbs_params.sq_depth, cr = zc_verbs_params.credits;
	long want;
	int rc;

	p->pd = ibv_alloc_pd(p->ctx);
	if (!p->pd) {
		rc = -errno;
		zc_err("verbs: ibv_alloc_pd on %s: %m", p->dev.name);
		return rc;
	}
	p->dev_atomics = a->atomic_cap != IBV_ATOMIC_NONE;
	if (p->dev_atomics)
		access |= IBV_ACCESS_REMOTE_ATOMIC;
	p->heap_mr = ibv_reg_mr(p->pd, p->heap, p->heap_size, access);
	if (!p->heap_mr) {
		rc = -errno;
		zc_err("verbs: ibv_reg_mr of the %zu-byte heap on %s: %m "
		       "(RLIMIT_MEMLOCK?)", p->heap_size, p->dev.name);
		return rc;
	}
	p->rchan = ibv_create_comp_channel(p->ctx);
	want = p->nassigned * depth + 16;
	p->scq_size = (int)(want < a->max_cqe ? want : a->max_cqe);
	want = p->nassigned * (cr + 1) + 16;
	p->scq = ibv_create_cq(p->ctx, p->scq_size, NULL, NULL, 0);
	p->rcq = p->rchan ? ibv_create_cq(p->ctx, (int)(want < a->max_cqe ?
					  want : a->max_cqe), NULL, p->rchan, 0)
			  : NULL;
	if (!p->scq || !p->rcq) {
		rc = -errno;
		zc_err("verbs: creating completion queues on %s: %m",
		       p->dev.name);
		return rc ? rc : -ENOMEM;
	}
	return 0;
}

/* Receive and send buffers of every connection, registered once. */
static int ctl_buffers(struct zc_prov *p)
{
	size_t nr = (size_t)zc_verbs_params.credits + 1, per;

	p->nsbuf = (uint32_t)zc_verbs_params.credits + 4;
	per = (nr + p->nsbuf) * ZC_VERBS_MSG_SIZE;
	/* and 8 bytes at the end: the sink of quiet's READs (iWARP) */
	p->ctl_len = per * (size_t)(p->nassigned ? p->nassigned : 1) + 8;
	p->ctl = aligned_alloc(4096, (p->ctl_len + 4095) & ~(size_t)4095);
	if (!p->ctl)
		return -ENOMEM;
	p->flush_sink = p->ctl + p->ctl_len - 8;
	p->ctl_mr = ibv_reg_mr(p->pd, p->ctl, p->ctl_len,
			       IBV_ACCESS_LOCAL_WRITE);
	if (!p->ctl_mr) {
		int rc = -errno;

		zc_err("verbs: ibv_reg_mr of %zu control bytes: %m", p->ctl_len);
		return rc;
	}
	for (int r = 0, i = 0; r <= p->size; r++) {
		struct zc_verbs_conn *c = &p->conns[r];

		c->pend = calloc((size_t)zc_verbs_params.credits, sizeof(*c->pend));
		c->wr = calloc((size_t)zc_verbs_params.sq_depth, sizeof(*c->wr));
		c->outq = calloc(2 * (size_t)zc_verbs_params.credits + 4,
				 sizeof(*c->outq));
		if (!c->pend || !c->wr || !c->outq)
			return -ENOMEM;
		if (r == p->size || !p->assigned[r] || r == p->rank)
			continue;
		c->rbuf = p->ctl + per * (size_t)i++;
		c->sbuf = c->rbuf + nr * ZC_VERBS_MSG_SIZE;
	}
	return 0;
}

static void zc_verbs_close(struct zc_prov *p);

static int zc_verbs_open(const struct zc_prov_env *env,
			 const unsigned char *peers, struct zc_prov **prov_p)
{
	struct zc_prov *p;
	int rc = params_check();

	if (rc)
		return rc;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->rank = env->rank;
	p->size = env->size;
	p->assigned = peers;
	p->heap = env->heap_base;
	p->heap_size = env->heap_size;
	p->peer_timeout_ms = env->peer_timeout_ms;
	p->boot = env->boot;
	p->wake_fd = -1;
	p->spin_ns = zc_verbs_params.spin_us >= 0 ?
		zc_verbs_params.spin_us * 1000 : env->oversub ? 0 : 20000;
	pthread_mutex_init(&p->scq_lock, NULL);
	pthread_mutex_init(&p->rcq_lock, NULL);
	/* conns[size]: my loopback's passive end (device atomics). */
	p->conns = calloc((size_t)p->size + 1, sizeof(*p->conns));
	if (!p->conns) {
		free(p);
		return -ENOMEM;
	}
	for (int r = 0; r <= p->size; r++) {
		p->conns[r].prov = p;
		p->conns[r].rank = r < p->size ? r : p->rank;
		pthread_mutex_init(&p->conns[r].lock, NULL);
		snprintf(p->conns[r].name, sizeof(p->conns[r].name), "rank %d",
			 p->conns[r].rank);
		p->nassigned += r < p->size && peers[r] && r != p->rank;
	}
	*prov_p = p;
	rc = zc_verbs_dev_pick(&p->dev);
	if (!rc)
		rc = listen_on(p);
	if (!rc)
		rc = verbs_objects(p);
	if (!rc) {
		p->iwarp = p->ctx->device->transport_type ==
			   IBV_TRANSPORT_IWARP;
		long want = zc_verbs_params.inline_max;

		p->inline_max = want < 0 || (uint32_t)want > p->dev.max_inline ?
				p->dev.max_inline : (uint32_t)want;
		rc = ctl_buffers(p);
	}
	if (!rc)
		rc = zc_verbs_mem_init(p);
	p->amo_want = strcmp(zc_verbs_params.atomics, "cpu") &&
		      p->dev_atomics && p->nassigned == p->size - 1;
	if (!rc && getrandom(&p->cookie, sizeof(p->cookie), 0) !=
		   (ssize_t)sizeof(p->cookie))
		rc = -EIO;
	if (!rc)
		rc = zc_verbs_publish(p);
	if (rc) {
		zc_verbs_close(p);
		*prov_p = NULL;
		return rc;
	}
	zc_info("verbs: %s port %u, inline %u B", p->dev.name, p->dev.port,
		p->inline_max);
	return 0;
}

static bool zc_verbs_amo_all(struct zc_prov *p)
{
	return p->amo_device;
}

static int zc_verbs_connect(struct zc_prov *p)
{
	int rc = zc_verbs_connect_all(p);

	if (!rc)
		rc = zc_verbs_progress_start(p);
	return rc;
}

/* A peer up whose goodbye has not come. */
static bool bye_due(struct zc_prov *p)
{
	for (int r = 0; r < p->size; r++) {
		struct zc_verbs_conn *c = &p->conns[r];

		if (c->state == ZC_VERBS_UP && !c->self &&
		    !__atomic_load_n(&c->bye, __ATOMIC_ACQUIRE))
			return true;
	}
	return false;
}

/* My ops complete, then my goodbyes, so that the peers take our
 * disconnect as orderly and nothing of mine is in flight when one of
 * them disconnects; then theirs (the progress thread receives them),
 * because a disconnect before a peer's last sends completed would fail
 * them at its end. Its zc_finalize follows the same barrier as mine: the
 * wait is short, and bounded by the peer timeout for one that never
 * comes. */
static void say_bye(struct zc_prov *p)
{
	struct zc_msg_hdr h = { .op = ZC_MSG_BYE };
	long long end = zc_verbs_now_ms() + 200;
	struct timespec ms = { 0, 1000000 };

	(void)zc_verbs_quiet(p);
	for (int r = 0; r < p->size; r++) {
		struct zc_verbs_conn *c = &p->conns[r];

		if (c->state != ZC_VERBS_UP || c->self)
			continue;
		pthread_mutex_lock(&c->lock);
		c->bye_sent = true;
		(void)zc_verbs_send_msg(c, &h);
		pthread_mutex_unlock(&c->lock);
	}
	(void)zc_verbs_quiet(p);
	while (zc_verbs_now_ms() < end && zc_verbs_poll_scq(p))
		;
	end = zc_verbs_now_ms() + p->peer_timeout_ms;
	while (zc_verbs_now_ms() < end && bye_due(p))
		if (!zc_verbs_poll_scq(p))
			nanosleep(&ms, NULL);
}

static void zc_verbs_close(struct zc_prov *p)
{
	if (!p)
		return;
	if (p->thread_ok) {
		say_bye(p);
		zc_verbs_progress_stop(p);
	}
	for (int r = 0; r <= p->size; r++) {
		struct zc_verbs_conn *c = &p->conns[r];

		if (c->id && c->state != ZC_VERBS_IDLE)
			rdma_disconnect(c->id);
	}
	for (int r = 0; r <= p->size; r++) {
		struct zc_verbs_conn *c = &p->conns[r];

		pthread_mutex_lock(&c->lock);
		zc_verbs_conn_fail_locked(c, ZC_LOG_DEBUG, NULL);
		pthread_mutex_unlock(&c->lock);
		zc_verbs_conn_close(c);
		free(c->pend);
		free(c->wr);
		free(c->outq);
	}
	if (p->listen_id)
		rdma_destroy_id(p->listen_id);
	zc_verbs_amo_dev_fini(p);
	zc_verbs_mem_fini(p);
	if (p->ctl_mr)
		ibv_dereg_mr(p->ctl_mr);
	free(p->ctl);
	if (p->heap_mr)
		ibv_dereg_mr(p->heap_mr);
	if (p->scq)
		ibv_destroy_cq(p->scq);
	if (p->rcq)
		ibv_destroy_cq(p->rcq);
	if (p->rchan)
		ibv_destroy_comp_channel(p->rchan);
	if (p->pd)
		ibv_dealloc_pd(p->pd);
	if (p->cm)
		rdma_destroy_event_channel(p->cm);
	if (p->wake_fd >= 0)
		close(p->wake_fd);
	free(p->conns);
	free(p);
}

const struct zc_provider_ops zc_verbs_ops = {
	.size = sizeof(struct zc_provider_ops),
	.name = "verbs",
	.params = verbs_params,
	.query = zc_verbs_query,
	.reachable = zc_verbs_reachable,
	.open = zc_verbs_open,
	.connect = zc_verbs_connect,
	.close = zc_verbs_close,
	.put = zc_verbs_put,
	.get = zc_verbs_get,
	.amo = zc_verbs_amo,
	.fence = zc_verbs_fence,
	.quiet = zc_verbs_quiet,
	.progress = zc_verbs_progress,
	.peer_status = zc_verbs_peer_status,
	.info = zc_verbs_dev_info,
	.put_signal = zc_verbs_put_signal,
	.flags = ZC_PROV_F_THREAD,
	.amo_all = zc_verbs_amo_all,
};
