/* SPDX-License-Identifier: MIT */
/*
 * The send queue of a connection. At most one send is in flight per
 * connection, so op messages never interleave on the stream; it gathers as
 * many queued messages as credits and iovecs allow into one sendmsg.
 * Every SMB-Direct message spends one send credit (never the last one
 * without a grant: zc_smbd_credits_take_send enforces it); what has no
 * credit waits in the queue until the peer grants more.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tcp.h"

struct zc_tcp_tx *zc_tcp_tx_new(size_t inline_len)
{
	struct zc_tcp_tx *t = malloc(sizeof(*t) + inline_len);

	if (t)
		memset(t, 0, sizeof(*t));
	return t;
}

void zc_tcp_tx_enqueue(struct zc_tcp_conn *c, struct zc_tcp_tx *t)
{
	t->next = NULL;
	*c->txq_tail = t;
	c->txq_tail = &t->next;
	c->txq_bytes += t->dlen + ZC_MSG_HDR_SIZE;
}

void zc_tcp_tx_ack(struct zc_tcp_conn *c, uint16_t flags)
{
	struct zc_tcp_tx *t;

	/* After my goodbye the peer closes as soon as it has it: a message
	 * behind it would meet a closed socket (a reset, an error there). */
	if (c->bye_sent)
		return;
	t = zc_tcp_tx_new(0);
	if (!t)
		return;	/* the next message carries the ack instead */
	t->oh.op = ZC_MSG_ACK;
	t->flags = flags;
	zc_tcp_tx_enqueue(c, t);
}

void zc_tcp_tx_bye(struct zc_tcp_conn *c)
{
	struct zc_tcp_tx *t;

	if (c->bye_sent || c->state != ZC_TCP_UP || !(t = zc_tcp_tx_new(0)))
		return;
	t->oh.op = ZC_MSG_BYE;
	zc_tcp_tx_enqueue(c, t);
	c->bye_sent = true;
	zc_tcp_tx_kick(c);
}

void zc_tcp_tx_bye_all(struct zc_tcp_conn **conns, int n)
{
	for (int r = 0; r < n; r++) {
		struct zc_tcp_conn *c = conns[r];

		if (c) {
			pthread_mutex_lock(&c->lock);
			zc_tcp_tx_bye(c);
			pthread_mutex_unlock(&c->lock);
		}
	}
}

static void txq_pop(struct zc_tcp_conn *c)
{
	struct zc_tcp_tx *t = c->txq;

	c->txq = t->next;
	if (!c->txq)
		c->txq_tail = &c->txq;
	c->txq_bytes -= t->dlen + ZC_MSG_HDR_SIZE;
	t->next = c->txfly;
	c->txfly = t;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Frames as many fragments of t as credits and iovecs allow. Returns 1
 * when t is fully framed, 0 when it must wait. */
static int frame(struct zc_tcp_conn *c, struct zc_tcp_tx *t, int *niov,
		 int *nhdr)
{
	uint64_t msg_len = ZC_MSG_HDR_SIZE + t->dlen;
	uint32_t maxdata = c->lim.max_send_size - ZC_SMBD_DATA_OFFSET;

	while (t->msg_off < msg_len) {
		struct zc_smbd_data_hdr h = { 0 };
		uint16_t g = zc_smbd_credits_grantable(&c->cred);
		uint64_t left = msg_len - t->msg_off;
		/* Equal fragments: a tail of a few bytes would cost the
		 * receiver one more round through its ring for nothing. */
		uint64_t nfrag = (left + maxdata - 1) / maxdata;
		uint32_t n = (uint32_t)((left + nfrag - 1) / nfrag);
		unsigned char *b;
		size_t hl;

		if (*niov + 2 > ZC_TCP_IOV_MAX || *nhdr >= ZC_TCP_IOV_MAX / 2)
			return 0;
		if (zc_smbd_credits_take_send(&c->cred, g, &h))
			return 0;
		h.flags = t->flags;
		h.data_offset = ZC_SMBD_DATA_OFFSET;
		h.data_length = n;
		h.remaining_data_length = (uint32_t)(left - n);
		b = c->hdrs[(*nhdr)++];
		put_le32(b, ZC_SMBD_DATA_OFFSET + n);
		zc_smbd_data_encode(&h, b + ZC_TCP_PREFIX_SIZE,
				    ZC_SMBD_DATA_OFFSET);
		hl = ZC_TCP_PREFIX_SIZE + ZC_SMBD_DATA_OFFSET;
		if (t->msg_off == 0) {
			/* The first fragment holds the whole op header
			 * (send sizes are at least 128 bytes). */
			t->oh.ack = __atomic_load_n(&c->rx_seq,
						    __ATOMIC_RELAXED);
			zc_msg_hdr_encode(&t->oh, b + hl);
			hl += ZC_MSG_HDR_SIZE;
			c->iov[(*niov)++] = (struct iovec){ b, hl };
			if (n > ZC_MSG_HDR_SIZE)
				c->iov[(*niov)++] = (struct iovec){
					(void *)t->data,
					n - ZC_MSG_HDR_SIZE };
		} else {
			c->iov[(*niov)++] = (struct iovec){ b, hl };
			c->iov[(*niov)++] = (struct iovec){
				(char *)t->data + t->msg_off -
					ZC_MSG_HDR_SIZE, n };
		}
		c->tx_len += hl + (c->iov[*niov - 1].iov_base == b ? 0 :
				   c->iov[*niov - 1].iov_len);
		t->msg_off += n;
	}
	/* Every framed op message carries the latest ack and our grants. */
	c->ack_due = false;
	c->grant_due = false;
	return 1;
}

void zc_tcp_tx_kick(struct zc_tcp_conn *c)
{
	struct io_uring_sqe *sqe;
	int niov = 0, nhdr = 0;
	bool zc;

	if (c->tx_busy || c->tx_zc_notif || c->state == ZC_TCP_DEAD)
		return;
	c->tx_len = 0;
	while (c->txq) {
		struct zc_tcp_tx *t = c->txq;

		if (t->raw) {
			if (niov == ZC_TCP_IOV_MAX)
				break;
			c->iov[niov++] = (struct iovec){ (void *)t->data,
							 t->dlen };
			c->tx_len += t->dlen;
			txq_pop(c);
			continue;
		}
		/* Op messages wait for the handshake to finish. */
		if (c->state != ZC_TCP_UP || !frame(c, t, &niov, &nhdr))
			break;
		txq_pop(c);
	}
	if (!niov)
		return;
	memset(&c->msg, 0, sizeof(c->msg));
	c->msg.msg_iov = c->iov;
	c->msg.msg_iovlen = (size_t)niov;
	/* SEND_ZC only where the kernel really avoids the copy: probed per
	 * connection, off once it reports copying (loopback always does). */
	zc = c->zc_mode != 0 && c->tx_len >= zc_tcp_params.zc_min;
	sqe = zc_tcp_sqe(c->ring);
	if (!sqe)
		return;
	if (zc) {
		io_uring_prep_sendmsg_zc(sqe, c->fd, &c->msg,
					 MSG_WAITALL | MSG_NOSIGNAL);
		sqe->ioprio |= IORING_SEND_ZC_REPORT_USAGE;
		c->tx_zc_notif = true;
		c->inflight += 2;
	} else {
		io_uring_prep_sendmsg(sqe, c->fd, &c->msg,
				      MSG_WAITALL | MSG_NOSIGNAL);
		c->inflight++;
	}
	zc_tcp_set_ud(sqe, c, ZC_TCP_UD_SEND);
	c->tx_busy = true;
	zc_tcp_submit(c->ring);
}

static void fly_free(struct zc_tcp_conn *c)
{
	while (c->txfly) {
		struct zc_tcp_tx *t = c->txfly;

		c->txfly = t->next;
		free(t);
	}
}

/* A short send (should not happen with MSG_WAITALL): send the rest. */
static bool resend_rest(struct zc_tcp_conn *c, size_t done)
{
	struct io_uring_sqe *sqe;

	while (c->msg.msg_iovlen && done >= c->msg.msg_iov[0].iov_len) {
		done -= c->msg.msg_iov[0].iov_len;
		c->msg.msg_iov++;
		c->msg.msg_iovlen--;
	}
	if (!c->msg.msg_iovlen)
		return false;
	c->msg.msg_iov[0].iov_base = (char *)c->msg.msg_iov[0].iov_base + done;
	c->msg.msg_iov[0].iov_len -= done;
	sqe = zc_tcp_sqe(c->ring);
	if (sqe) {
		io_uring_prep_sendmsg(sqe, c->fd, &c->msg,
				      MSG_WAITALL | MSG_NOSIGNAL);
		zc_tcp_set_ud(sqe, c, ZC_TCP_UD_SEND);
		c->inflight++;
		zc_tcp_submit(c->ring);
	}
	return sqe != NULL;
}

void zc_tcp_tx_done(struct zc_tcp_conn *c, int res, unsigned cqe_flags)
{
	pthread_mutex_lock(&c->lock);
	/* A SEND_ZC result without F_MORE has no notification to come. */
	if (!(cqe_flags & (IORING_CQE_F_NOTIF | IORING_CQE_F_MORE)) &&
	    c->tx_zc_notif && c->tx_busy) {
		c->tx_zc_notif = false;
		c->inflight--;
	}
	if (cqe_flags & IORING_CQE_F_NOTIF) {
		c->tx_zc_notif = false;
		if (c->zc_mode < 0) {
			bool copied = (unsigned)res & IORING_NOTIF_USAGE_ZC_COPIED;

			if (copied && ++c->zc_probes >= 2) {
				c->zc_mode = 0;
				zc_info("tcp: SEND_ZC to %s was copied by the "
					"kernel: plain sends from now on",
					c->name);
			} else if (!copied) {
				c->zc_mode = 1;
				zc_info("tcp: SEND_ZC to %s is zero-copy",
					c->name);
			}
		}
		if (!c->tx_busy) {
			fly_free(c);
			zc_tcp_tx_kick(c);
		}
		pthread_mutex_unlock(&c->lock);
		return;
	}
	/* Cancelled with the thread that submitted it (see dispatch): send
	 * it again, from where it stopped. */
	if (res == -ECANCELED && c->state != ZC_TCP_DEAD &&
	    resend_rest(c, 0)) {
		pthread_mutex_unlock(&c->lock);
		return;
	}
	if (res < 0) {
		pthread_mutex_unlock(&c->lock);
		if (c->state != ZC_TCP_DEAD) {
			char why[96];

			snprintf(why, sizeof(why), "send: %s", strerror(-res));
			zc_tcp_conn_fail(c, ZC_LOG_ERROR, why);
		}
		return;
	}
	if ((size_t)res < c->tx_len && !(cqe_flags & IORING_CQE_F_MORE)) {
		c->tx_len -= (size_t)res;
		if (resend_rest(c, (size_t)res)) {
			pthread_mutex_unlock(&c->lock);
			return;
		}
	}
	c->tx_busy = false;
	if (!c->tx_zc_notif) {
		fly_free(c);
		zc_tcp_tx_kick(c);
	}
	pthread_mutex_unlock(&c->lock);
}

void zc_tcp_tx_free_all(struct zc_tcp_conn *c)
{
	fly_free(c);
	while (c->txq) {
		struct zc_tcp_tx *t = c->txq;

		c->txq = t->next;
		free(t);
	}
	c->txq_tail = &c->txq;
	c->txq_bytes = 0;
}
