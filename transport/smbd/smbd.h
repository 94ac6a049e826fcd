/* SPDX-License-Identifier: MIT */
/*
 * Lives here: the MS-SMBD 1.0 wire codec: messages, fragments, credits.
 * May include: the C standard library only (no zcomm header, no I/O).
 * Called by: transport providers framing with SMB-Direct (tcp, verbs).
 *
 * Everything here is a pure function over caller-owned memory: no allocation,
 * no logging, no globals, no locks. A caller that shares one state struct
 * between threads serialises access itself.
 *
 * Return convention: 0 (or a byte/element count where stated) on success,
 * a negative errno value on failure. The codes have fixed meanings so that a
 * provider can log precisely what the peer got wrong:
 *
 *   -EINVAL           caller bug: NULL pointer or a value we refuse to encode
 *   -ENOBUFS          the caller's output buffer is too small
 *   -EBADMSG          received bytes shorter than the fixed part (truncated),
 *                     or a descriptor array that is not a whole number of
 *                     descriptors
 *   -EPROTO           a field breaks an MS-SMBD rule (alignment, zero credits,
 *                     size below the protocol minimum, bad fragment sequence,
 *                     credit misuse by the peer)
 *   -EOVERFLOW        DataOffset/DataLength describe bytes outside the received
 *                     message (including 32-bit wrap-around)
 *   -EMSGSIZE         a negotiated size is exceeded (MaxReceiveSize,
 *                     MaxFragmentedSize)
 *   -EPROTONOSUPPORT  version range excludes 1.0 (request) or the negotiated
 *                     version is not 1.0 (response)
 *   -ECONNREFUSED     negotiate response carries a nonzero Status
 *   -EAGAIN           credits: the message may not be sent now
 *   -EBUSY            reassembly: a message is already in progress
 */
#ifndef ZC_SMBD_H
#define ZC_SMBD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZC_SMBD_VERSION_1                 0x0100u

#define ZC_SMBD_NEGOTIATE_REQ_SIZE        20u
#define ZC_SMBD_NEGOTIATE_RESP_SIZE       32u
/* Smallest valid data transfer message: the header without payload. */
#define ZC_SMBD_DATA_HDR_SIZE             20u
/* Where our encoder places payload: the first 8-byte aligned offset past
 * the 20-byte header (4 bytes of padding). */
#define ZC_SMBD_DATA_OFFSET               24u
#define ZC_SMBD_BUFFER_DESC_SIZE          16u

/* Data transfer Flags: ask the peer to answer promptly (keepalive). */
#define ZC_SMBD_FLAG_RESPONSE_REQUESTED   0x0001u

/* Protocol floors (MS-SMBD 3.1.5.6/3.1.5.7): a peer advertising less is
 * not speaking SMB-Direct. */
#define ZC_SMBD_MIN_RECEIVE_SIZE          128u
#define ZC_SMBD_MIN_FRAGMENTED_SIZE       131072u

/* NTSTATUS a responder returns when the version range excludes 1.0. */
#define ZC_SMBD_STATUS_NOT_SUPPORTED      0xC00000BBu

/* ---- negotiate (MS-SMBD 2.2.1, 2.2.2) ---------------------------------- */

/* The Reserved fields are not represented: we send 0, and ignore on receipt. */
struct zc_smbd_negotiate_req {
	uint16_t min_version;
	uint16_t max_version;
	uint16_t credits_requested;    /* send credits we ask the peer for */
	uint32_t preferred_send_size;  /* bytes we would like to send per message */
	uint32_t max_receive_size;     /* bytes we can receive per message */
	uint32_t max_fragmented_size;  /* largest reassembled message we accept */
};

struct zc_smbd_negotiate_resp {
	uint16_t min_version;
	uint16_t max_version;
	uint16_t negotiated_version;
	uint16_t credits_requested;
	uint16_t credits_granted;      /* initial send credits for the initiator */
	uint32_t status;               /* NTSTATUS; 0 = success */
	uint32_t max_read_write_size;  /* largest RDMA read/write the responder does */
	uint32_t preferred_send_size;
	uint32_t max_receive_size;
	uint32_t max_fragmented_size;
};

/*
 * Encoders refuse (-EINVAL) anything the matching decoder would reject, so
 * a provider cannot put an invalid message on the wire. They return the
 * number of bytes written (20 or 32), or -ENOBUFS if len is too small.
 */
int zc_smbd_negotiate_req_encode(const struct zc_smbd_negotiate_req *req,
				 void *buf, size_t len);

/*
 * Decodes and checks the rules of MS-SMBD 3.1.5.6. Bytes beyond the first 20
 * are ignored. Returns 0, -EBADMSG (len < 20), -EPROTONOSUPPORT (range
 * excludes 1.0: the responder should answer with a failure response carrying
 * ZC_SMBD_STATUS_NOT_SUPPORTED), or -EPROTO (CreditsRequested 0,
 * MaxReceiveSize < 128, MaxFragmentedSize < 131072). *req_p is filled on 0,
 * -EPROTONOSUPPORT and -EPROTO, untouched otherwise.
 */
int zc_smbd_negotiate_req_decode(const void *buf, size_t len,
				 struct zc_smbd_negotiate_req *req_p);

/*
 * With status != 0 only MinVersion, MaxVersion and Status are taken from
 * *resp; every other field is written as 0, as MS-SMBD 3.1.5.3 requires of
 * a failure response. Returns 32, -ENOBUFS or -EINVAL.
 */
int zc_smbd_negotiate_resp_encode(const struct zc_smbd_negotiate_resp *resp,
				  void *buf, size_t len);

/*
 * Decodes and checks the context-free rules of MS-SMBD 3.1.5.7 (the check
 * against our own MaxReceiveSize is in zc_smbd_negotiate_finish()). Returns
 * 0, -EBADMSG (len < 32), -ECONNREFUSED (Status != 0; resp_p->status says
 * why), -EPROTONOSUPPORT (NegotiatedVersion != 1.0) or -EPROTO (zero
 * credits, sizes below the floors). *resp_p is filled unless -EBADMSG/-EINVAL.
 */
int zc_smbd_negotiate_resp_decode(const void *buf, size_t len,
				  struct zc_smbd_negotiate_resp *resp_p);

/* Per-connection sizes: what we offer before negotiation, what was agreed
 * after it. */
struct zc_smbd_limits {
	uint32_t max_send_size;            /* bytes per message we send */
	uint32_t max_receive_size;         /* bytes per message we receive */
	uint32_t max_fragmented_send_size; /* largest message the peer reassembles */
	uint32_t max_fragmented_recv_size; /* largest message we reassemble */
	uint32_t max_read_write_size;      /* largest RDMA read/write */
};

/*
 * Responder side, after a successful request decode: derives the agreed
 * limits per MS-SMBD 3.1.5.6. local->max_fragmented_send_size is unused.
 * Returns 0, or -EINVAL if *local is below the protocol floors.
 */
int zc_smbd_negotiate_accept(const struct zc_smbd_limits *local,
			     const struct zc_smbd_negotiate_req *req,
			     struct zc_smbd_limits *agreed_p);

/*
 * Initiator side, after a successful response decode: derives the agreed
 * limits per MS-SMBD 3.1.5.7. Returns 0, -EINVAL (local below floors) or
 * -EPROTO (the responder's PreferredSendSize exceeds our MaxReceiveSize).
 */
int zc_smbd_negotiate_finish(const struct zc_smbd_limits *local,
			     const struct zc_smbd_negotiate_resp *resp,
			     struct zc_smbd_limits *agreed_p);

/* ---- data transfer (MS-SMBD 2.2.3) ------------------------------------- */

struct zc_smbd_data_hdr {
	uint16_t credits_requested;     /* total send credits the sender wants */
	uint16_t credits_granted;       /* new credits granted to the receiver */
	uint16_t flags;                 /* ZC_SMBD_FLAG_* */
	uint32_t remaining_data_length; /* bytes of this message still to come */
	uint32_t data_offset;           /* 0 without payload, else 8-aligned >= 24 */
	uint32_t data_length;
};

/*
 * Writes the 20-byte header and, when there is payload, zero padding up to
 * data_offset. Returns the bytes written (20, or data_offset): the payload
 * belongs at buf + that count, copied there or gathered by the provider.
 * -EINVAL when the header breaks a rule the decoder checks, or carries
 * unknown flags, or has RemainingDataLength without payload; -ENOBUFS.
 */
int zc_smbd_data_encode(const struct zc_smbd_data_hdr *hdr, void *buf,
			size_t len);

/*
 * Decodes one received message of len bytes and checks MS-SMBD 3.1.5.8:
 *   len < 20                                          -EBADMSG
 *   len > max_receive_size                            -EMSGSIZE
 *   CreditsRequested == 0                             -EPROTO
 *   DataLength == 0 and DataOffset != 0               -EPROTO
 *   DataLength != 0 and DataOffset unaligned or < 24  -EPROTO
 *   DataOffset + DataLength > len (64-bit sum)        -EOVERFLOW
 *   DataLength + RemainingDataLength > max_fragmented -EMSGSIZE
 * Unknown Flags bits are preserved, not rejected: the spec gives the
 * receiver no such check. On 0, *payload_p points into msg (NULL when
 * DataLength is 0). *hdr_p is filled only on 0.
 */
int zc_smbd_data_decode(const void *msg, size_t len, uint32_t max_receive_size,
			uint32_t max_fragmented_size,
			struct zc_smbd_data_hdr *hdr_p, const uint8_t **payload_p);

/* ---- buffer descriptor V1 (MS-SMBD 2.2.3.1) ---------------------------- */

struct zc_smbd_buffer_desc {
	uint64_t offset;  /* provider-specific address of the first byte */
	uint32_t token;   /* steering tag (rkey) */
	uint32_t length;
};

/* Writes n descriptors back to back; returns 16 * n bytes, -ENOBUFS, or
 * -EOVERFLOW when 16 * n does not fit the int return value. */
int zc_smbd_buffer_desc_encode(const struct zc_smbd_buffer_desc *d, size_t n,
			       void *buf, size_t len);

/* Reads len / 16 descriptors into d[0..max_n). Returns the count, -EBADMSG
 * (len not a multiple of 16), -ENOBUFS (more than max_n) or -EOVERFLOW. */
int zc_smbd_buffer_desc_decode(const void *buf, size_t len,
			       struct zc_smbd_buffer_desc *d, size_t max_n);

/* ---- fragmentation (sender) -------------------------------------------- */

/* Caller-owned; fields are private to smbd_frag.c. */
struct zc_smbd_frag_iter {
	size_t msg_len;
	size_t next_off;
	uint32_t max_data;
};

/*
 * Prepares to split a msg_len-byte upper-layer message into data transfer
 * messages of at most max_send_size bytes (the agreed max_send_size) each.
 * Every fragment carries its payload at ZC_SMBD_DATA_OFFSET. Returns 0,
 * -EINVAL (msg_len 0, or max_send_size < 128) or -EMSGSIZE (msg_len above
 * max_fragmented_send_size).
 */
int zc_smbd_frag_init(struct zc_smbd_frag_iter *it, size_t msg_len,
		      uint32_t max_send_size, uint32_t max_fragmented_send_size);

/*
 * Produces the next fragment: sets hdr's remaining_data_length, data_offset
 * and data_length (credits and flags are left to the caller) and
 * *msg_off_p, the offset of this fragment's payload within the message.
 * Nothing is copied. Returns 1 for a fragment, 0 when all were produced.
 */
int zc_smbd_frag_next(struct zc_smbd_frag_iter *it,
		      struct zc_smbd_data_hdr *hdr, size_t *msg_off_p);

/* ---- reassembly (receiver) --------------------------------------------- */

/* Caller-owned; fields are private to smbd_frag.c. */
struct zc_smbd_reasm {
	uint32_t max_fragmented;
	uint32_t total;
	uint32_t filled;
	uint8_t *buf;
};

#define ZC_SMBD_REASM_NONE  0  /* message carried no payload (credits only) */
#define ZC_SMBD_REASM_MORE  1  /* payload taken, more fragments expected */
#define ZC_SMBD_REASM_DONE  2  /* the message is complete in the buffer */

/* max_fragmented_size: our agreed max_fragmented_recv_size. -EINVAL if 0. */
int zc_smbd_reasm_init(struct zc_smbd_reasm *r, uint32_t max_fragmented_size);

bool zc_smbd_reasm_idle(const struct zc_smbd_reasm *r);

/* Size of the whole message a first fragment announces:
 * DataLength + RemainingDataLength (0 for a payload-less message). */
uint64_t zc_smbd_data_msg_size(const struct zc_smbd_data_hdr *first);

/*
 * Opens a message from its first (decoded) fragment, before pushing it.
 * buf must hold zc_smbd_data_msg_size(first) bytes and stay valid until
 * DONE or an error. Nothing is copied yet. Returns 0, -EBUSY (a message is
 * in progress), -EINVAL (first has no payload, or NULL buf), -EMSGSIZE
 * (total above max_fragmented_size), -ENOBUFS (buf_len too small).
 * A provider may skip reassembly for a message whose first fragment has
 * RemainingDataLength 0 and use the payload in place.
 */
int zc_smbd_reasm_start(struct zc_smbd_reasm *r,
			const struct zc_smbd_data_hdr *first, void *buf,
			size_t buf_len);

/*
 * Feeds the next decoded message, in arrival order, with its payload.
 * Payload-less messages with RemainingDataLength 0 carry only credits and
 * return NONE at any time. Otherwise, while idle -EINVAL (call
 * zc_smbd_reasm_start first); in a message, DataLength +
 * RemainingDataLength must equal the bytes still missing, else -EPROTO.
 * On DONE the message occupies buf[0 .. zc_smbd_data_msg_size(first)) and r
 * is idle again. Every error returns r to idle (the buffer is released
 * to the caller, its contents undefined).
 */
int zc_smbd_reasm_push(struct zc_smbd_reasm *r,
		       const struct zc_smbd_data_hdr *h, const void *payload);

/* ---- credits (MS-SMBD 3.1.5.1, 3.1.5.8, 3.1.5.9) ----------------------- */

/*
 * One per connection. Send credits are what the peer granted us: one is
 * spent per data transfer message we send. Receive credits are what we
 * granted the peer: each is backed by a posted receive buffer and consumed
 * by one arriving data transfer message.
 *
 * Contract:
 *  - Negotiate messages use no credits. After the negotiate exchange call
 *    zc_smbd_credits_on_negotiate() once.
 *  - Every posted receive buffer is reported with zc_smbd_credits_post();
 *    every arriving data transfer message with zc_smbd_credits_on_recv(),
 *    which also counts its buffer as consumed (repost it and post again).
 *  - Before sending, grants = zc_smbd_credits_grantable(); then
 *    zc_smbd_credits_take_send(c, grants, &hdr) spends the send credit,
 *    commits the grants and fills hdr's credit fields. If it returns
 *    -EAGAIN the message waits for credits from the peer.
 *  - A sender never spends its last send credit in a message that grants
 *    nothing: the peer could then never send us a grant (deadlock).
 *  - We never grant more credits than we have spare posted buffers, nor
 *    (normally) more than min(peer's CreditsRequested, recv_max) in total.
 *    The one exception, from MS-SMBD 3.1.5.9, is one extra credit when we
 *    hold our last send credit and have nothing else to grant. Hence a
 *    peer may legitimately push our send credits to send_target + 1, and
 *    no further: beyond that on_recv reports -EPROTO.
 */
struct zc_smbd_credits {
	uint32_t send_credits;  /* granted by the peer, not yet spent */
	uint32_t recv_posted;   /* receive buffers posted, not yet consumed */
	uint32_t recv_granted;  /* granted to the peer, not yet consumed */
	uint16_t send_target;   /* our CreditsRequested, fixed for the connection */
	uint16_t recv_target;   /* the peer's latest CreditsRequested */
	uint16_t recv_max;      /* local cap on recv_granted */
};

/* send_target: the CreditsRequested we send (also in the negotiate
 * request). recv_max: most credits we let the peer hold. -EINVAL if 0. */
int zc_smbd_credits_init(struct zc_smbd_credits *c, uint16_t send_target,
			 uint16_t recv_max);

/*
 * Records the negotiate exchange: peer_requested is the peer's
 * CreditsRequested; peer_granted the response's CreditsGranted on the
 * initiator, 0 on the responder (a request grants nothing). -EPROTO if
 * peer_requested is 0 or peer_granted exceeds send_target.
 */
int zc_smbd_credits_on_negotiate(struct zc_smbd_credits *c,
				 uint16_t peer_requested,
				 uint16_t peer_granted);

/* n more receive buffers were posted. -EOVERFLOW if the count would wrap. */
int zc_smbd_credits_post(struct zc_smbd_credits *c, uint32_t n);

/* How many credits we may grant in the next message (see contract). */
uint16_t zc_smbd_credits_grantable(const struct zc_smbd_credits *c);

/* Commits grants without sending a data transfer message: for the
 * responder's negotiate response. -EINVAL if above grantable. */
int zc_smbd_credits_grant(struct zc_smbd_credits *c, uint16_t grants);

/* Whether a data transfer message granting `grants` may be sent now. */
bool zc_smbd_credits_can_send(const struct zc_smbd_credits *c,
			      uint16_t grants);

/*
 * Spends one send credit for a message granting `grants` and fills
 * hdr->credits_requested and hdr->credits_granted. Returns 0, -EAGAIN (no
 * credit, or only the last one and grants == 0), -EINVAL (grants above
 * grantable). State is unchanged on error.
 */
int zc_smbd_credits_take_send(struct zc_smbd_credits *c, uint16_t grants,
			      struct zc_smbd_data_hdr *hdr);

/*
 * Accounts one arriving (already decoded) data transfer message. -EPROTO,
 * state unchanged, if the peer sent without a credit, spent its last credit
 * without granting any, requested 0 credits, or granted us more than
 * send_target + 1 in total. Otherwise consumes one posted buffer and one
 * granted credit, adds the peer's grants and adopts its CreditsRequested.
 */
int zc_smbd_credits_on_recv(struct zc_smbd_credits *c,
			    const struct zc_smbd_data_hdr *h);

/* ---- the negotiate exchange of a connection (smbd_chan.c) ------------- */

/* The limits of a channel that sends and receives messages of msg_size
 * bytes, reassembles no more than the protocol floor (it never
 * fragments: verbs, kernel) and moves up to 1 GiB per RDMA op. */
void zc_smbd_chan_limits(struct zc_smbd_limits *l, uint32_t msg_size);

/* Encodes our negotiate request from our limits (20 bytes, or -ENOBUFS). */
int zc_smbd_chan_request(const struct zc_smbd_limits *local, uint16_t credits,
			 void *buf, size_t len);

/*
 * Responder: decodes the request, agrees the limits (*lim), starts the
 * credits (credits + 1 receives counted as posted, all grantable granted)
 * and encodes the response into out. Returns the response size (32) or
 * a decoder/negotiate error (the caller drops the connection).
 */
int zc_smbd_chan_accept(const struct zc_smbd_limits *local, uint16_t credits,
			const void *req_buf, size_t req_len,
			struct zc_smbd_limits *lim, struct zc_smbd_credits *cred,
			void *out, size_t out_len);

/* Initiator: decodes the response, agrees the limits, starts the
 * credits with what the responder granted. 0 or an error. */
int zc_smbd_chan_finish(const struct zc_smbd_limits *local, uint16_t credits,
			const void *resp_buf, size_t resp_len,
			struct zc_smbd_limits *lim, struct zc_smbd_credits *cred);

#endif /* ZC_SMBD_H */
