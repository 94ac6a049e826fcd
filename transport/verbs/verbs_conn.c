/* SPDX-License-Identifier: MIT */
/*
 * Connections: the full mesh of RC QPs set up with rdma_cm at init (the
 * lower rank of a pair connects, the higher accepts; private data names
 * the ranks and carries the job's cookie, so a stranger is rejected),
 * then the SMB-Direct negotiate on each QP, whose zcomm extension carries
 * the sender's heap as a Buffer Descriptor V1 (checked against what the
 * bootstrap published). After init the progress thread handles the
 * events: a disconnect, an error or a removed device fails the peer.
 * With device atomics a rank also connects to itself (a loopback QP
 * that carries only its atomics on its own heap, no SMB-Direct).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smbd_le.h"
#include "verbs.h"

/* Connect request private data: magic, from, to, 0, cookie. */
#define PDATA_SIZE 24u

struct pdata {
	uint32_t magic, from, to;
	uint64_t cookie;
};

static void pdata_encode(const struct pdata *d, unsigned char *b)
{
	memset(b, 0, PDATA_SIZE);
	zc_smbd_put_le32(b, d->magic);
	zc_smbd_put_le32(b + 4, d->from);
	zc_smbd_put_le32(b + 8, d->to);
	zc_smbd_put_le64(b + 16, d->cookie);
}

static bool pdata_decode(const void *buf, size_t len, struct pdata *d)
{
	const unsigned char *b = buf;

	if (!b || len < PDATA_SIZE)
		return false;
	d->magic = zc_smbd_get_le32(b);
	d->from = zc_smbd_get_le32(b + 4);
	d->to = zc_smbd_get_le32(b + 8);
	d->cookie = zc_smbd_get_le64(b + 16);
	return d->magic == ZC_VERBS_MAGIC;
}

/* The negotiate extension: magic, version, from, to, heap descriptor. */
static void ext_encode(const struct zc_prov *p, uint32_t to, unsigned char *b)
{
	struct zc_smbd_buffer_desc d = {
		.offset = (uintptr_t)p->heap, .token = p->heap_mr->rkey,
		.length = p->heap_size > UINT32_MAX ? UINT32_MAX :
			  (uint32_t)p->heap_size,
	};

	zc_smbd_put_le32(b, ZC_VERBS_MAGIC);
	zc_smbd_put_le32(b + 4, ZC_VERBS_WIRE_VERSION);
	zc_smbd_put_le32(b + 8, (uint32_t)p->rank);
	zc_smbd_put_le32(b + 12, to);
	zc_smbd_buffer_desc_encode(&d, 1, b + 16, ZC_SMBD_BUFFER_DESC_SIZE);
}

static int ext_check(struct zc_verbs_conn *c, const unsigned char *b)
{
	struct zc_smbd_buffer_desc d;

	if (zc_smbd_get_le32(b) != ZC_VERBS_MAGIC ||
	    zc_smbd_get_le32(b + 4) != ZC_VERBS_WIRE_VERSION ||
	    zc_smbd_get_le32(b + 8) != (uint32_t)c->rank ||
	    zc_smbd_get_le32(b + 12) != (uint32_t)c->prov->rank) {
		zc_err("verbs: %s: negotiate extension names the wrong ranks "
		       "or version", c->name);
		return -EPROTO;
	}
	if (zc_smbd_buffer_desc_decode(b + 16, ZC_SMBD_BUFFER_DESC_SIZE, &d,
				       1) != 1 ||
	    d.offset != c->raddr || d.token != c->rkey) {
		zc_err("verbs: %s: its heap descriptor (0x%lx, rkey 0x%x) is "
		       "not the one it published (0x%lx, rkey 0x%x)", c->name,
		       (unsigned long)d.offset, d.token,
		       (unsigned long)c->raddr, c->rkey);
		return -EPROTO;
	}
	return 0;
}

static void local_limits(struct zc_smbd_limits *l)
{
	zc_smbd_chan_limits(l, ZC_VERBS_MSG_SIZE);
}

static int send_request(struct zc_verbs_conn *c)
{
	struct zc_smbd_limits l;
	unsigned char m[ZC_SMBD_NEGOTIATE_REQ_SIZE + ZC_VERBS_EXT_SIZE];
	int rc;

	local_limits(&l);
	rc = zc_smbd_chan_request(&l, (uint16_t)zc_verbs_params.credits, m,
				  sizeof(m));
	if (rc < 0)
		return rc;
	ext_encode(c->prov, (uint32_t)c->rank, m + ZC_SMBD_NEGOTIATE_REQ_SIZE);
	return zc_verbs_send_raw(c, m, sizeof(m));
}

static int on_request(struct zc_verbs_conn *c, const unsigned char *m,
		      size_t len)
{
	struct zc_smbd_limits local;
	unsigned char out[ZC_SMBD_NEGOTIATE_RESP_SIZE + ZC_VERBS_EXT_SIZE];
	int rc;

	if (len != ZC_SMBD_NEGOTIATE_REQ_SIZE + ZC_VERBS_EXT_SIZE) {
		zc_err("verbs: %s: negotiate request of %zu bytes", c->name, len);
		return -EPROTO;
	}
	rc = ext_check(c, m + ZC_SMBD_NEGOTIATE_REQ_SIZE);
	local_limits(&local);
	if (!rc)
		rc = zc_smbd_chan_accept(&local, (uint16_t)zc_verbs_params.credits,
					 m, ZC_SMBD_NEGOTIATE_REQ_SIZE, &c->lim,
					 &c->cred, out, sizeof(out));
	if (rc < 0)
		return rc;
	ext_encode(c->prov, (uint32_t)c->rank, out + ZC_SMBD_NEGOTIATE_RESP_SIZE);
	rc = zc_verbs_send_raw(c, out, sizeof(out));
	if (!rc)
		c->state = ZC_VERBS_UP;
	return rc;
}

static int on_response(struct zc_verbs_conn *c, const unsigned char *m,
		       size_t len)
{
	struct zc_smbd_limits local;
	int rc;

	if (len != ZC_SMBD_NEGOTIATE_RESP_SIZE + ZC_VERBS_EXT_SIZE) {
		zc_err("verbs: %s: negotiate response of %zu bytes", c->name,
		       len);
		return -EPROTO;
	}
	rc = ext_check(c, m + ZC_SMBD_NEGOTIATE_RESP_SIZE);
	local_limits(&local);
	if (!rc)
		rc = zc_smbd_chan_finish(&local, (uint16_t)zc_verbs_params.credits,
					 m, ZC_SMBD_NEGOTIATE_RESP_SIZE, &c->lim,
					 &c->cred);
	if (!rc) {
		c->state = ZC_VERBS_UP;
		rc = zc_verbs_grant_initial(c);
	}
	return rc;
}

int zc_verbs_on_negotiate(struct zc_verbs_conn *c, const unsigned char *m,
			  size_t len)
{
	return c->initiator ? on_response(c, m, len) : on_request(c, m, len);
}

int zc_verbs_qp_create(struct zc_verbs_conn *c, struct rdma_cm_id *id)
{
	struct zc_prov *p = c->prov;
	struct ibv_qp_init_attr a = {
		.send_cq = p->scq, .recv_cq = p->rcq, .qp_type = IBV_QPT_RC,
		.cap = {
			.max_send_wr = (uint32_t)zc_verbs_params.sq_depth,
			.max_recv_wr = (uint32_t)zc_verbs_params.credits + 1,
			.max_send_sge = 1, .max_recv_sge = 1,
			.max_inline_data = p->inline_max,
		},
	};
	int rc;

	if (rdma_create_qp(id, p->pd, &a)) {
		rc = -errno;
		zc_err("verbs: rdma_create_qp for %s: %m", c->name);
		return rc;
	}
	c->id = id;
	c->qp = id->qp;
	id->context = c;
	for (uint32_t i = 0; !c->self && i <= (uint32_t)zc_verbs_params.credits;
	     i++) {
		rc = zc_verbs_post_recv(c, i);
		if (rc)
			return rc;
	}
	return 0;
}

static void conn_param(struct zc_prov *p, struct rdma_conn_param *cp,
		       unsigned char *pd, uint32_t to)
{
	struct pdata d = { .magic = ZC_VERBS_MAGIC, .from = (uint32_t)p->rank,
			   .to = to, .cookie = p->cookie };
	int rd = p->dev.attr.max_qp_rd_atom < 16 ? p->dev.attr.max_qp_rd_atom
						 : 16;

	pdata_encode(&d, pd);
	memset(cp, 0, sizeof(*cp));
	cp->private_data = pd;
	cp->private_data_len = PDATA_SIZE;
	cp->initiator_depth = (uint8_t)rd;
	cp->responder_resources = (uint8_t)rd;
	cp->retry_count = 7;
	cp->rnr_retry_count = 7;
}

/* A connect request on the listener: only a rank of this job (cookie)
 * that I am waiting for may connect. Returns true to accept. */
static bool on_connect_request(struct zc_prov *p, struct rdma_cm_event *ev)
{
	struct rdma_conn_param cp;
	unsigned char pd[PDATA_SIZE];
	struct zc_verbs_conn *c;
	struct pdata d;

	if (!pdata_decode(ev->param.conn.private_data,
			  ev->param.conn.private_data_len, &d) ||
	    d.cookie != p->cookie) {
		zc_warn("verbs: refused a connection that is not from this "
			"job (no zcomm private data, or another job's cookie)");
		return false;
	}
	if (d.to == (uint32_t)p->rank && d.from == d.to && p->amo_device) {
		c = &p->conns[p->size];	/* my loopback's passive end */
	} else if (d.to != (uint32_t)p->rank || d.from >= (uint32_t)p->size ||
		   d.from >= (uint32_t)p->rank || !p->assigned[d.from]) {
		zc_warn("verbs: refused a connection from rank %u to rank %u: "
			"not a peer I accept", d.from, d.to);
		return false;
	} else {
		c = &p->conns[d.from];
	}
	if (c->id || c->state != ZC_VERBS_IDLE) {
		zc_warn("verbs: refused a second connection from %s", c->name);
		return false;
	}
	if (zc_verbs_qp_create(c, ev->id)) {
		c->id = NULL;
		if (ev->id->qp)
			rdma_destroy_qp(ev->id);
		c->qp = NULL;
		return false;
	}
	c->state = ZC_VERBS_CONNECTING;
	conn_param(p, &cp, pd, d.from);
	if (rdma_accept(ev->id, &cp)) {
		zc_verbs_conn_fail(c, ZC_LOG_ERROR, "rdma_accept failed");
		return true;	/* the id is the connection's now */
	}
	return true;
}

static void fail_all(struct zc_prov *p, const char *why)
{
	for (int r = 0; r <= p->size; r++)
		if (p->conns[r].id)
			zc_verbs_conn_fail(&p->conns[r], ZC_LOG_ERROR, why);
}

void zc_verbs_cm_event(struct zc_prov *p, struct rdma_cm_event *ev)
{
	struct zc_verbs_conn *c = ev->id->context;
	struct rdma_cm_id *reject = NULL;
	struct rdma_conn_param cp;
	unsigned char pd[PDATA_SIZE];
	char why[160];

	switch (ev->event) {
	case RDMA_CM_EVENT_ADDR_RESOLVED:
		if (rdma_resolve_route(ev->id, 5000))
			zc_verbs_conn_fail(c, ZC_LOG_ERROR,
					   "rdma_resolve_route failed");
		break;
	case RDMA_CM_EVENT_ROUTE_RESOLVED:
		if (zc_verbs_qp_create(c, ev->id)) {
			zc_verbs_conn_fail(c, ZC_LOG_ERROR, "no queue pair");
			break;
		}
		c->state = ZC_VERBS_CONNECTING;
		conn_param(p, &cp, pd, (uint32_t)c->rank);
		if (rdma_connect(ev->id, &cp))
			zc_verbs_conn_fail(c, ZC_LOG_ERROR, "rdma_connect failed");
		break;
	case RDMA_CM_EVENT_CONNECT_REQUEST:
		if (!on_connect_request(p, ev))
			reject = ev->id;
		break;
	case RDMA_CM_EVENT_ESTABLISHED:
		pthread_mutex_lock(&c->lock);
		if (c->state == ZC_VERBS_CONNECTING)
			c->state = c->self ? ZC_VERBS_UP : ZC_VERBS_NEGOTIATING;
		if (c->initiator && !c->self && send_request(c))
			zc_verbs_conn_fail_locked(c, ZC_LOG_ERROR,
						  "cannot send the negotiate "
						  "request");
		pthread_mutex_unlock(&c->lock);
		break;
	case RDMA_CM_EVENT_ADDR_ERROR:
	case RDMA_CM_EVENT_ROUTE_ERROR:
	case RDMA_CM_EVENT_UNREACHABLE:
	case RDMA_CM_EVENT_REJECTED:
	case RDMA_CM_EVENT_CONNECT_ERROR:
		snprintf(why, sizeof(why), "rdma_cm: %s (status %d)",
			 rdma_event_str(ev->event), ev->status);
		if (c)
			zc_verbs_conn_fail(c, ZC_LOG_ERROR, why);
		break;
	case RDMA_CM_EVENT_DISCONNECTED:
		/* The peer's goodbye came before its disconnect, but may still
		 * wait in the receive CQ: read it before judging; and judge
		 * before our QP goes to error below, so that what it flushes
		 * counts as closed, not failed. */
		pthread_mutex_lock(&p->rcq_lock);
		while (zc_verbs_poll_rcq(p) > 0)
			;
		pthread_mutex_unlock(&p->rcq_lock);
		if (c)
			zc_verbs_conn_fail(c, c->bye ? ZC_LOG_DEBUG :
					   ZC_LOG_ERROR, c->bye ? "closed by "
					   "the peer" : "the peer disconnected "
					   "(rdma_cm DISCONNECTED)");
		/* The passive side answers, or the id lingers for seconds. */
		rdma_disconnect(ev->id);
		break;
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
		if (!atomic_exchange(&p->dev_gone, true)) {
			snprintf(why, sizeof(why), "device %s removed",
				 p->dev.name);
			fail_all(p, why);
		}
		break;
	default:
		break;
	}
	rdma_ack_cm_event(ev);
	/* Only after the ack: destroying an id waits for its events. */
	if (reject) {
		rdma_reject(reject, NULL, 0);
		rdma_destroy_id(reject);
	}
}

struct verbs_addr {
	uint32_t ip;		/* network order */
	uint16_t port;		/* network order */
	uint16_t flags;		/* ADDR_F_* */
	uint32_t rkey;
	uint32_t pad2;
	uint64_t heap;
	uint64_t cookie;
};

static int start_active(struct zc_prov *p, struct zc_verbs_conn *c)
{
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_addr = p->dev.ip };
	struct rdma_cm_id *id;
	int rc;

	if (rdma_create_id(p->cm, &id, c, RDMA_PS_TCP)) {
		rc = -errno;
		zc_err("verbs: rdma_create_id for %s: %m", c->name);
		return rc;
	}
	c->id = id;
	c->state = ZC_VERBS_RESOLVING;
	if (rdma_resolve_addr(id, (struct sockaddr *)&src,
			      (struct sockaddr *)&c->sa, 5000)) {
		rc = -errno;
		zc_err("verbs: rdma_resolve_addr to %s: %m", c->name);
		return rc;
	}
	return 0;
}

/* I can have my device execute the job's atomics (amo_want). */
#define ADDR_F_AMO_DEVICE 1u

int zc_verbs_publish(struct zc_prov *p)
{
	struct verbs_addr a = {
		.ip = p->dev.ip.s_addr, .port = p->port, .rkey = p->heap_mr->rkey,
		.heap = (uintptr_t)p->heap, .cookie = p->cookie,
		.flags = p->amo_want ? ADDR_F_AMO_DEVICE : 0,
	};

	return p->boot->put("zc.verbs.addr", &a, sizeof(a));
}

/* Drives events and receives until every assigned peer is UP. */
static int wait_mesh(struct zc_prov *p)
{
	long long deadline = zc_verbs_now_ms() + zc_verbs_params.connect_timeout_ms;
	struct pollfd pf = { .fd = p->cm->fd, .events = POLLIN };

	for (;;) {
		struct rdma_cm_event *ev;
		int up = 0, dead = -1, want = p->nassigned;

		for (int r = 0; r <= p->size; r++) {
			if (!p->conns[r].id && (r == p->size || r == p->rank ||
						!p->assigned[r]))
				continue;
			up += p->conns[r].state == ZC_VERBS_UP;
			if (p->conns[r].state == ZC_VERBS_DEAD)
				dead = r;
		}
		if (p->amo_device)
			want += 2;	/* my loopback, both ends */
		if (dead >= 0) {
			zc_err("verbs: connecting to %s failed",
			       p->conns[dead].name);
			return -ZC_EPEERDEAD;
		}
		if (up == want)
			return 0;
		if (zc_verbs_now_ms() > deadline) {
			for (int r = 0; r <= p->size; r++)
				if ((p->conns[r].id || (r < p->size &&
							r != p->rank &&
							p->assigned[r])) &&
				    p->conns[r].state != ZC_VERBS_UP)
					zc_err("verbs: %s not connected after "
					       "%ld ms (state %d)",
					       p->conns[r].name,
					       zc_verbs_params.connect_timeout_ms,
					       p->conns[r].state);
			return -ETIMEDOUT;
		}
		if (!zc_verbs_poll_rcq(p) && !zc_verbs_poll_scq(p))
			poll(&pf, 1, 1);
		while (!rdma_get_cm_event(p->cm, &ev))
			zc_verbs_cm_event(p, ev);
	}
}

/* Device atomics only if every rank can: each reads every flag, so all
 * agree. */
static void decide_atomics(struct zc_prov *p, int refuser)
{
	bool asked = !strcmp(zc_verbs_params.atomics, "device");

	p->amo_device = p->amo_want && refuser < 0 && p->size > 1;
	if (p->amo_device)
		zc_info("verbs: atomics executed by the devices (every rank "
			"is a verbs peer with device atomics)");
	else if (asked && !p->amo_want)
		zc_warn("verbs: ZC_VERBS_ATOMICS=device, but %s: the target's "
			"CPU executes atomics", !p->dev_atomics ? "the device "
			"has no atomics" : "not every peer is a verbs peer here");
	else if (asked && refuser >= 0 && p->rank == 0)
		zc_warn("verbs: ZC_VERBS_ATOMICS=device, but rank %d cannot "
			"(no device atomics, not every peer on verbs, or "
			"ZC_VERBS_ATOMICS=cpu there): the target's CPU executes "
			"atomics", refuser);
}

/* My loopback: conns[rank] connects to my own listener, conns[size]
 * takes the request. */
static int start_self(struct zc_prov *p)
{
	struct zc_verbs_conn *c = &p->conns[p->rank], *s = &p->conns[p->size];
	int rc = zc_verbs_amo_dev_start(p);

	if (rc)
		return rc;
	c->self = s->self = true;
	c->initiator = true;
	c->sa = (struct sockaddr_in){ .sin_family = AF_INET,
				      .sin_addr = p->dev.ip,
				      .sin_port = p->port };
	c->raddr = (uintptr_t)p->heap;
	c->rkey = p->heap_mr->rkey;
	snprintf(c->name, sizeof(c->name), "rank %d (myself)", p->rank);
	snprintf(s->name, sizeof(s->name), "rank %d (myself, passive)",
		 p->rank);
	return start_active(p, c);
}

int zc_verbs_connect_all(struct zc_prov *p)
{
	struct verbs_addr a;
	size_t len = sizeof(a);
	int rc, refuser = -1;

	rc = p->boot->get(0, "zc.verbs.addr", &a, &len);
	if (rc)
		return rc;
	p->cookie = a.cookie;
	if (fcntl(p->cm->fd, F_SETFL, fcntl(p->cm->fd, F_GETFL) | O_NONBLOCK))
		return -errno;
	for (int r = 0; r < p->size; r++) {
		struct zc_verbs_conn *c = &p->conns[r];
		char ip[INET_ADDRSTRLEN];

		if (!p->assigned[r] || r == p->rank)
			continue;
		len = sizeof(a);
		rc = p->boot->get(r, "zc.verbs.addr", &a, &len);
		if (rc || len != sizeof(a)) {
			zc_err("verbs: rank %d published no verbs address", r);
			return rc ? rc : -EPROTO;
		}
		c->sa.sin_family = AF_INET;
		c->sa.sin_addr.s_addr = a.ip;
		c->sa.sin_port = a.port;
		c->raddr = a.heap;
		c->rkey = a.rkey;
		if (!(a.flags & ADDR_F_AMO_DEVICE) && refuser < 0)
			refuser = r;
		inet_ntop(AF_INET, &c->sa.sin_addr, ip, sizeof(ip));
		snprintf(c->name, sizeof(c->name), "rank %d (%s:%u)", r, ip,
			 ntohs(a.port));
		c->initiator = r > p->rank;
		if (c->initiator) {
			rc = start_active(p, c);
			if (rc)
				return rc;
		}
	}
	decide_atomics(p, refuser);
	if (p->amo_device) {
		rc = start_self(p);
		if (rc)
			return rc;
	}
	return wait_mesh(p);
}

void zc_verbs_conn_fail_locked(struct zc_verbs_conn *c,
			       enum zc_log_level lvl, const char *why)
{
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_ERR };

	if (c->state == ZC_VERBS_DEAD)
		return;
	if (why)
		zc_log(lvl, "verbs: connection to %s lost: %s", c->name, why);
	c->state = ZC_VERBS_DEAD;
	zc_verbs_pend_fail(c, -ZC_EPEERDEAD);
	zc_verbs_sq_fail(c, -ZC_EPEERDEAD);
	/* No more of its writes land in my heap, nor mine in its. */
	if (c->qp && !atomic_load(&c->prov->dev_gone))
		ibv_modify_qp(c->qp, &a, IBV_QP_STATE);
}

void zc_verbs_conn_fail(struct zc_verbs_conn *c, enum zc_log_level lvl,
			const char *why)
{
	pthread_mutex_lock(&c->lock);
	zc_verbs_conn_fail_locked(c, lvl, why);
	pthread_mutex_unlock(&c->lock);
}

void zc_verbs_conn_close(struct zc_verbs_conn *c)
{
	if (!c->id)
		return;
	if (c->qp)
		rdma_destroy_qp(c->id);
	rdma_destroy_id(c->id);
	c->id = NULL;
	c->qp = NULL;
}
